/*
 * NAME
 *	oxdump - print a file of the toolkit readably
 * SYNOPSIS
 *	oxdump [-v] [--json] [--max-octets N] [--cert FILE] FILE
 * DESCRIPTION
 *	Prints a BER file (a P1 MTS-APDU, a P22 or P35 content, a CMS
 *	object) as an indented element tree: offset, tag, length and, for
 *	primitives, the decoded value (INTEGER, OID, strings, times in
 *	ISO 8601, BIT STRINGs as bits, other octets in hex). With --json
 *	the same tree is printed as JSON. The first problem in a malformed
 *	file is reported with its byte offset. OFTP files are recognised by
 *	their first octets and printed field by field: a .sfid sidecar
 *	("[sfid]"), an SFID command ('H'), an EERP ('E') or NERP ('N') in
 *	either layout, its signature verified with --cert.
 * EXIT STATUS
 *	0 printed; 64 usage; 65 the file is malformed; 66 cannot read it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "asn1/ber.h"
#include "oftp/cms.h"
#include "oftp/eerp.h"
#include "oftp/sfid.h"
#include "util/log.h"

static int	 json;
static size_t	 max_octets = 32;
static const char *cert;	/* --cert: verify signed EERP/NERP */

/* One "key: value" line, or a JSON member (value escaped). */
static void
field(const char *k, const char *v, int *first)
{
	const char *q;

	if (!json) {
		printf("%-10s %s\n", k, v);
		return;
	}
	printf("%s\n  \"%s\": \"", *first ? "{" : ",", k);
	for (q = v; *q != '\0'; q++) {
		if (*q == '"' || *q == '\\')
			putchar('\\');
		if ((unsigned char)*q < 0x20)
			printf("\\u%04x", (unsigned char)*q);
		else
			putchar(*q);
	}
	putchar('"');
	*first = 0;
}

static void
fieldu(const char *k, unsigned long long v, int *first)
{
	char	 b[32];

	snprintf(b, sizeof(b), "%llu", v);
	field(k, b, first);
}

static void
print_sfid(const char *kind, const struct sfid *sf)
{
	char	 f[2] = { sf->format, 0 }, sg[2] = { sf->sign, 0 };
	unsigned i;
	int	 first = 1;

	field("kind", kind, &first);
	field("dsn", sf->dsn, &first);
	field("date", sf->date, &first);
	field("time", sf->time, &first);
	field("user", sf->user, &first);
	field("dest", sf->dest, &first);
	field("orig", sf->orig, &first);
	field("format", f, &first);
	fieldu("lrecl", sf->lrecl, &first);
	fieldu("fsize", sf->fsize, &first);
	fieldu("osize", sf->osize, &first);
	fieldu("sec", sf->sec, &first);
	fieldu("ciph", sf->ciph, &first);
	fieldu("comp", sf->comp, &first);
	fieldu("env", sf->env, &first);
	field("sign", sg, &first);
	field("desc", sf->desc, &first);
	for (i = 0; i < sf->nox; i++)
		field(sf->ox[i].key, sf->ox[i].val, &first);
	if (json)
		printf("\n}\n");
}

/* EERP / NERP: every field; the signature checked with --cert. */
static int
print_eerp(const struct eerp *e, const char *path)
{
	struct cms_keys *k = NULL;
	char	 hex[2 * 64 + 1], b[64], err[512];
	size_t	 i;
	int	 first = 1, rc = 0;

	field("kind", e->cmd == 'E' ? "EERP" : "NERP", &first);
	field("layout", e->level == EERP_OFTP14 ? "OFTP 1.4" : "OFTP2", &first);
	field("dsn", e->dsn, &first);
	field("date", e->date, &first);
	field("time", e->time, &first);
	if (e->cmd == 'E')
		field("user", e->user, &first);
	field("dest", e->dest, &first);
	field("orig", e->orig, &first);
	if (e->cmd == 'N') {
		field("creator", e->crea, &first);
		snprintf(b, sizeof(b), "%02u %s", e->reason,
		    nerp_reason_text(e->reason));
		field("reason", b, &first);
		field("text", e->text, &first);
	}
	for (i = 0; i < e->hash_len && i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", e->hash[i]);
	hex[2 * i] = '\0';
	field("hash", e->hash_len ? hex : "-", &first);
	fieldu("signature", e->sig_len, &first);
	if (e->sig_len > 0 && cert != NULL) {
		if (cms_keys_load(&k, NULL, NULL, cert, err, sizeof(err)) !=
		    CMS_OK || cms_verify_eerp(k, e, err, sizeof(err)) !=
		    CMS_OK) {
			field("verified", err, &first);
			log_warn("%s: signature: %s", path, err);
			rc = EX_DATAERR;
		} else
			field("verified", "yes, by the given certificate",
			    &first);
		cms_keys_free(k);
	}
	if (json)
		printf("\n}\n");
	return rc;
}

/* OFTP files: .sfid sidecar, SFID command, EERP/NERP; -1 if not one. */
static int
dump_oftp(const char *path, const uint8_t *p, size_t n)
{
	struct sfid	 sf;
	struct eerp	 e;
	struct cur	 c;
	char		 err[512];
	size_t		 i = 0;

	/* a sidecar: "[sfid]" after blank and comment lines */
	while (i < n && (p[i] == ';' || p[i] == '#' || p[i] == '\n' ||
	    p[i] == '\r' || p[i] == ' ' || p[i] == '\t')) {
		if (p[i] == ';' || p[i] == '#')
			while (i < n && p[i] != '\n')
				i++;
		else
			i++;
	}
	if (n - i >= 6 && memcmp(p + i, "[sfid]", 6) == 0) {
		sfid_init(&sf);
		if (sfid_read_file(&sf, path, err, sizeof(err)) != SFID_OK) {
			log_warn("%s: %s", path, err);
			return EX_DATAERR;
		}
		print_sfid("SFID sidecar", &sf);
		return 0;
	}
	cur_init(&c, p, n);
	if (n > 0 && p[0] == 'H') {
		sfid_init(&sf);
		if (sfid_parse_h(&sf, &c, err, sizeof(err)) == SFID_OK) {
			print_sfid("SFID command", &sf);
			return 0;
		}
	} else if (n > 0 && (p[0] == 'E' || p[0] == 'N') &&
	    eerp_parse(&e, &c, EERP_ANY, err, sizeof(err)) == EERP_OK)
		return print_eerp(&e, path);
	return -1;
}

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: oxdump [-v] [--json] [--max-octets N] [--cert FILE] FILE\n"
	    "Print a file of the toolkit: a BER file (P1, P22, P35, CMS) as an\n"
	    "element tree; a .sfid sidecar, SFID command or EERP/NERP by field.\n"
	    "  --json            print JSON instead of text\n"
	    "  --cert FILE       verify a signed EERP/NERP with this certificate\n"
	    "  --max-octets N    octets of hex shown per value (default 32)\n"
	    "  -v                more log\n"
	    "  --help, --version\n");
	exit(code);
}

static const char *
univ_name(uint32_t tag)
{
	static const char *const n[] = { "EOC", "BOOLEAN", "INTEGER",
	    "BIT STRING", "OCTET STRING", "NULL", "OBJECT IDENTIFIER",
	    "ObjectDescriptor", "EXTERNAL", "REAL", "ENUMERATED",
	    "EMBEDDED PDV", "UTF8String", "RELATIVE-OID", "14", "15",
	    "SEQUENCE", "SET", "NumericString", "PrintableString",
	    "TeletexString", "VideotexString", "IA5String", "UTCTime",
	    "GeneralizedTime", "GraphicString", "VisibleString",
	    "GeneralString", "UniversalString", "CHARACTER STRING",
	    "BMPString" };

	return tag < sizeof(n) / sizeof(n[0]) ? n[tag] : NULL;
}

static void
tag_text(const struct ber_tlv *t, char *s, size_t n)
{
	static const char *const cls[] = { "UNIVERSAL ", "APPLICATION ", "",
	    "PRIVATE " };

	if (t->cls == BER_UNIV && univ_name(t->tag) != NULL)
		snprintf(s, n, "%s", univ_name(t->tag));
	else
		snprintf(s, n, "[%s%" PRIu32 "]", cls[t->cls >> 6], t->tag);
}

/* Text of a primitive value, JSON-safe when json is set. */
static void
value_text(struct ber_dec *d, const struct ber_tlv *t, struct buf *out)
{
	const uint8_t	*p = cur_data(&t->val);
	size_t		 n = cur_len(&t->val), i;
	char		 oid[512];
	int64_t		 v;
	uint64_t	 bits;
	unsigned	 nb;
	time_t		 tm;
	struct tm	 g;
	int		 text = 1;

	if (t->cls == BER_UNIV) {
		switch (t->tag) {
		case BER_INTEGER:
		case BER_ENUMERATED:
			if (ber_get_int(d, t, &v) == BER_OK) {
				buf_addf(out, "%" PRId64, v);
				return;
			}
			break;
		case BER_BOOLEAN:
			buf_add_str(out, n == 1 && p[0] ? "TRUE" : "FALSE");
			return;
		case BER_OID:
			if (ber_get_oid(d, t, oid, sizeof(oid)) == BER_OK) {
				buf_add_str(out, oid);
				return;
			}
			break;
		case BER_BIT_STRING:
			if (ber_get_bits(d, t, &bits, &nb) == BER_OK) {
				buf_add_u8(out, '\'');
				for (i = 0; i < nb && i < 64; i++)
					buf_add_u8(out, bits >> i & 1 ? '1' :
					    '0');
				buf_add_str(out, "'B");
				return;
			}
			break;
		case BER_UTC_TIME:
		case BER_GENERALIZED_TIME:
			if (ber_get_time(d, t, (int)t->tag, &tm) == BER_OK &&
			    gmtime_r(&tm, &g) != NULL) {
				buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ",
				    g.tm_year + 1900, g.tm_mon + 1, g.tm_mday,
				    g.tm_hour, g.tm_min, g.tm_sec);
				return;
			}
			break;
		case BER_NULL:
			buf_add_str(out, "NULL");
			return;
		}
	}
	d->err = BER_OK;	/* a value we cannot read is shown in hex */
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			text = 0;
	if (text && n > 0) {
		buf_add_u8(out, '"');
		for (i = 0; i < n; i++) {
			if (p[i] == '"' || p[i] == '\\')
				buf_add_u8(out, '\\');
			buf_add_u8(out, p[i]);
		}
		buf_add_u8(out, '"');
		return;
	}
	for (i = 0; i < n && i < max_octets; i++)
		buf_addf(out, "%s%02x", i ? " " : "", p[i]);
	if (n > max_octets)
		buf_addf(out, " ... (%zu octets)", n);
}

static int
dump(struct ber_dec *d, struct cur c, int level)
{
	struct ber_tlv	 t;
	struct buf	 v;
	char		 tag[64];
	int		 first = 1, e;

	while (cur_len(&c) > 0) {
		if ((e = ber_read(d, &c, &t)) != BER_OK)
			return e;
		tag_text(&t, tag, sizeof(tag));
		buf_init(&v);
		if (!t.cons)
			value_text(d, &t, &v);
		if (json) {
			printf("%s\n%*s{\"offset\": %zu, \"tag\": \"%s\", "
			    "\"constructed\": %s, \"length\": %zu%s", first ?
			    "" : ",", level * 2, "", t.off, tag, t.cons ?
			    "true" : "false", cur_len(&t.val), t.indef ?
			    ", \"indefinite\": true" : "");
			if (!t.cons && v.p[0] == '"')
				printf(", \"value\": %s}", v.p);
			else if (!t.cons)
				printf(", \"value\": \"%s\"}", v.p);
		} else
			printf("%6zu %*s%s%s len %zu%s%s%s\n", t.off,
			    level * 2, "", tag, t.cons ? " {" : "",
			    cur_len(&t.val), t.indef ? " indefinite" : "",
			    t.cons ? "" : ": ", t.cons ? "" : (char *)v.p);
		buf_free(&v);
		if (t.cons) {
			if (json)
				printf(", \"children\": [");
			if ((e = dump(d, t.val, level + 1)) != BER_OK)
				return e;
			if (json)
				printf("]}");
			else
				printf("%6s %*s}\n", "", level * 2, "");
		}
		first = 0;
	}
	return BER_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max-octets", required_argument, NULL, 'm' },
		{ "cert", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct cur	 c;
	FILE		*f;
	uint8_t		*p;
	long		 n;
	int		 ch, verbose = 0, e;

	log_open(argv[0], 0, 0);
	while ((ch = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'm':
			max_octets = strtoul(optarg, NULL, 10);
			break;
		case 'C':
			cert = optarg;
			break;
		case 'v':
			log_set_verbose(++verbose);
			break;
		case 'h':
			usage(0);
			break;
		case 'V':
			printf("oxdump %s\n", OX_VERSION);
			return 0;
		default:
			usage(EX_USAGE);
		}
	}
	if (argc - optind != 1)
		usage(EX_USAGE);
	if ((f = fopen(argv[optind], "rb")) == NULL || fseek(f, 0, SEEK_END) ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    (p = malloc((size_t)n + 1)) == NULL ||
	    fread(p, 1, (size_t)n, f) != (size_t)n)
		log_fatal(EX_NOINPUT, "%s: cannot read: %s", argv[optind],
		    strerror(errno));
	fclose(f);
	if ((e = dump_oftp(argv[optind], p, (size_t)n)) >= 0) {
		free(p);
		return e;
	}
	ber_dec_init(&d);
	if (ber_read_one(&d, p, (size_t)n, &t) != BER_OK) {
		log_warn("%s: offset %zu: %s", argv[optind], d.err_off,
		    ber_strerror(d.err));
		free(p);
		return EX_DATAERR;
	}
	cur_init(&c, p, (size_t)n);
	if (json)
		printf("[");
	e = dump(&d, c, json);
	if (json)
		printf("\n]\n");
	free(p);
	if (e != BER_OK) {
		fflush(stdout);
		log_warn("%s: offset %zu: %s", argv[optind], d.err_off,
		    ber_strerror(e));
		return EX_DATAERR;
	}
	return 0;
}
