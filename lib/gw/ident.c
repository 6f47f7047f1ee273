/*
 * NAME
 *	ident - the local identifiers the gateway makes (see ident.h)
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "gw/config.h"
#include "gw/ident.h"
#include "gw/trace.h"
#include "oftp/sfid.h"
#include "util/log.h"
#include "x400/p1.h"

_Static_assert(IDENT_LEN == P1_UB_LOCAL_ID, "an identifier fills ub-local-id");
_Static_assert(IDENT_DESIGNATOR_LEN == CONFIG_DESIGNATOR_LEN,
    "config keeps a designator");
_Static_assert(IDENT_PART_LEN * 5 <= 256, "the part comes from SHA-256");

#define DEFAULT_DESIGNATOR	"OXGATE"

static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

static int
alnum(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9');
}

static int
designator_char(char ch)
{
	return alnum(ch) || ch == '-' || ch == '.';
}

int
ident_designator_check(const char *v, char *why, size_t wlen)
{
	size_t	 n = strlen(v), i;

	if (n != IDENT_DESIGNATOR_LEN) {
		snprintf(why, wlen, "'%.64s' has %zu characters, exactly %d "
		    "are required", v, n, IDENT_DESIGNATOR_LEN);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!designator_char(v[i])) {
			snprintf(why, wlen, "'%s': character %zu (0x%02x) is "
			    "not a letter, digit, '-' or '.'", v, i + 1,
			    (unsigned)(unsigned char)v[i]);
			return -1;
		}
	if (!alnum(v[0])) {
		snprintf(why, wlen, "'%s' does not start with a letter or a "
		    "digit", v);
		return -1;
	}
	return 0;
}

void
ident_designator_from(const char *mta, char *d)
{
	size_t	 n = 0;

	while (*mta != '\0' && !alnum(*mta))
		mta++;
	if (*mta == '\0')
		mta = DEFAULT_DESIGNATOR;
	for (; *mta != '\0' && n < IDENT_DESIGNATOR_LEN; mta++)
		d[n++] = designator_char(*mta) ? *mta : '-';
	while (n < IDENT_DESIGNATOR_LEN)
		d[n++] = '-';
	d[n] = '\0';
}

void
ident_local(const char *designator, const char *kind, const char *key,
    char *id)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	EVP_MD_CTX	*ctx;
	unsigned	 acc = 0, bits = 0;
	size_t		 i = 0, n;

	if (strchr(kind, '|') != NULL)
		log_panic("ident: kind '%s' has a '|'", kind);
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, kind, strlen(kind)) != 1 ||
	    EVP_DigestUpdate(ctx, "|", 1) != 1 ||
	    EVP_DigestUpdate(ctx, key, strlen(key)) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		log_panic("ident: SHA-256 failed");
	EVP_MD_CTX_free(ctx);
	memcpy(id, designator, IDENT_DESIGNATOR_LEN);
	/* big-endian bits, five at a time, as RFC 4648 base32 */
	for (n = IDENT_DESIGNATOR_LEN; n < IDENT_LEN; n++) {
		if (bits < 5) {
			acc = (acc << 8) | md[i++];
			bits += 8;
		}
		id[n] = b32[(acc >> (bits - 5)) & 31];
		bits -= 5;
	}
	id[IDENT_LEN] = '\0';
}

void
ident_oftp(const char *designator, const struct sfid *sf, char *id)
{
	char	 key[SFID_DSN_LEN + 8 + 10 + 2 * SFID_ID_LEN + 8];

	snprintf(key, sizeof(key), "%s|%s|%s|%s|%s", sf->dsn, sf->date,
	    sf->time, sf->orig, sf->dest);
	ident_local(designator, "oftp", key, id);
}

int
ident_oftp_taken(struct trace *t, const char *mts_text, const struct sfid *sf,
    char *why, size_t wlen)
{
	struct trace_row r;
	int	 rc;

	if ((rc = trace_find_by_mts_id(t, TRACE_OFTP2X400, mts_text, &r)) <
	    0) {
		snprintf(why, wlen, "trace: %.400s", trace_error(t));
		return -1;
	}
	if (rc == 0 || (strcmp(r.oftp.dsn, sf->dsn) == 0 &&
	    strcmp(r.oftp.date, sf->date) == 0 &&
	    strcmp(r.oftp.time, sf->time) == 0 &&
	    strcmp(r.oftp.orig, sf->orig) == 0 &&
	    strcmp(r.oftp.dest, sf->dest) == 0))
		return 0;
	snprintf(why, wlen, "MTS identifier %s is already the one of trace "
	    "row %lld (DSN %s, date %s, time %s, from %s to %s); a second "
	    "transaction must not take it: not converted", mts_text,
	    (long long)r.id, r.oftp.dsn, r.oftp.date, r.oftp.time, r.oftp.orig,
	    r.oftp.dest);
	return 1;
}
