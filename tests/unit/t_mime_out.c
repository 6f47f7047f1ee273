/*
 * NAME
 *	t_mime_out - unit tests of the MIME writer: an IPM heading in, the
 *	RFC 822 header lines out, and the entity of two body parts
 * DESCRIPTION
 *	The header follows RFC 2156 5.3.4 (this-IPM -> Message-ID by
 *	4.7.3.4, originator -> From, primary-recipients -> To,
 *	copy-recipients -> Cc, subject -> Subject; a field of no address
 *	is left out), the addresses RFC 2156 4.3.5 (by the or-domain table)
 *	and the ORDescriptor 4.7.2 (free-form name as the phrase; our
 *	reading: else "Given I. Surname"). A display name that is not
 *	printable ASCII, and a subject that is not ASCII, become RFC 2047
 *	encoded words of charset utf-8; a T.61 free-form name is converted
 *	to UTF-8 first. An address that does not map is told to the warn
 *	callback, and From / To then fall back to the std-or text.
 *	mime_out_write() of two body parts without the header: a
 *	multipart/mixed with the given boundary, its Content-Type given
 *	back for the .sfid description.
 */
#include <sys/mman.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <gmime/gmime.h>
#include <openssl/evp.h>

#include "gw/mime_out.h"
#include "test.h"
#include "util/buf.h"
#include "x400/mixer.h"
#include "x400/orname.h"
#include "x400/p22.h"

static const char t_or_domain[] =
    "ADMD$atlas.C$fr#atlas.fr#\n"
    "PRMD$ACME.ADMD$DBP.C$DE#acme.example#\n";

static struct mixer	 mx;
static int		 nwarn;
static char		 lastwarn[512];

static void
setup_tables(void)
{
	char		 err[256];

	mixer_init(&mx);
	CHECK_EQ_INT(mixer_load_text(&mx, MIXER_OR_DOMAIN, "or-domain",
	    t_or_domain, strlen(t_or_domain), err, sizeof(err)), MIXER_OK);
}

static void
setup(void)
{
	struct orname	 g;

	setup_tables();
	CHECK_EQ_INT(orname_parse("/C=DE/A=VIAT/P=OFTP/", -1, &g, NULL),
	    OR_OK);
	CHECK_EQ_INT(mixer_set_gateway(&mx, &g, "x400.example.org"),
	    MIXER_OK);
}

static void
on_warn(void *arg, const char *msg)
{
	(void)arg;
	nwarn++;
	snprintf(lastwarn, sizeof(lastwarn), "%s", msg);
}

static void
set_desc(struct p22_ordesc *d, const char *formal, const char *ffn)
{
	memset(d, 0, sizeof(*d));
	d->has_formal = 1;
	test_orname(&d->formal, formal);
	if (ffn != NULL) {
		d->has_ffn = 1;
		d->ffnlen = strlen(ffn);
		memcpy(d->ffn, ffn, d->ffnlen);
	}
}

static void
header(const struct mime_out *m, struct buf *b)
{
	buf_reset(b);
	mime_out_header(m, b);
	CHECK(!buf_error(b));
}

/* A full heading: every field the mapping makes. */
static void
t_heading(void)
{
	struct p22_content *c = calloc(1, sizeof(*c));
	struct p22_rcpt	 prim[2], copy[1];
	struct p22_ipmid rel[3];
	struct orname	 env, to;
	struct mime_out	 m;
	struct buf	 b;

	if (c == NULL)
		return;
	setup();
	c->kind = P22_IPM;
	c->h.this_ipm.has_user = 1;
	test_orname(&c->h.this_ipm.user, "/C=fr/A=atlas/S=Dupont/");
	snprintf(c->h.this_ipm.local, sizeof(c->h.this_ipm.local), "ipm42");
	c->h.has_originator = 1;
	set_desc(&c->h.originator, "/C=fr/A=atlas/G=Jean/S=Dupont/",
	    "Jean \"JD\" Dupont");
	memset(prim, 0, sizeof(prim));
	/* no free-form name: "Given I. Surname" of the formal name */
	set_desc(&prim[0].r, "/C=DE/A=DBP/P=ACME/G=Anna/I=B/S=Berg/", NULL);
	/* a T.61 free-form name (0xC8 0x75: u umlaut): encoded words, in
	 * the smallest charset that holds it (here ISO 8859-1) */
	set_desc(&prim[1].r, "/C=DE/A=DBP/P=ACME/S=Mueller/", "J\xc8u");
	c->h.primary.n = 2;
	c->h.primary.v = prim;
	memset(copy, 0, sizeof(copy));
	set_desc(&copy[0].r, "/C=DE/A=DBP/P=ACME/S=Copy/", NULL);
	c->h.copy.n = 1;
	c->h.copy.v = copy;
	/* RFC 2156 5.3.4 (rfc2156.txt:4979): replied-to-IPM -> In-Reply-To,
	 * related-IPMs -> References (4.7.3.5 phrase form for an id that
	 * is no msg-id), obsoleted-IPMs -> Supersedes */
	c->h.has_replied = 1;
	snprintf(c->h.replied.local, sizeof(c->h.replied.local),
	    "abc(a)host.example");
	memset(rel, 0, sizeof(rel));
	snprintf(rel[0].local, sizeof(rel[0].local), "1229.614418325(a)UK.AC."
	    "NOTT.CS");
	snprintf(rel[1].local, sizeof(rel[1].local), "Re: plans");
	rel[2].has_user = 1;
	test_orname(&rel[2].user, "/C=DE/ADMD=DBP/O=Siemens/S=Dietrich/");
	snprintf(rel[2].local, sizeof(rel[2].local), "147");
	c->h.related = rel;
	c->h.nrelated = 3;
	c->h.obsoleted = rel;
	c->h.nobsoleted = 1;
	test_orname(&env, "/C=fr/A=atlas/S=Envelope/");
	test_orname(&to, "/C=DE/A=DBP/P=ACME/S=Station/");
	mime_out_init(&m);
	m.mixer = &mx;
	m.ipm = c;
	m.env_orig = &env;
	m.to = &to;
	m.subject = "Gr\xc3\xbc\xc3\x9f" "e";		/* UTF-8 */
	m.date = 1795000000;
	m.warn = on_warn;
	nwarn = 0;
	buf_init(&b);
	header(&m, &b);
	CHECK_EQ_STR(buf_cstr(&b),
	    "MIME-Version: 1.0\r\n"
	    "From: \"Jean \\\"JD\\\" Dupont\" <Jean.Dupont@atlas.fr>\r\n"
	    "To: \"Anna B. Berg\" <Anna.B.Berg@acme.example>,\r\n"
	    " =?iso-8859-1?b?Svw=?= <Mueller@acme.example>\r\n"
	    "Cc: \"Copy\" <Copy@acme.example>\r\n"
	    "Message-ID: <\"ipm42*/S=Dupont/ADMD=atlas/C=fr/\"@MHS>\r\n"
	    "In-Reply-To: <abc@host.example>\r\n"
	    "References: <1229.614418325@UK.AC.NOTT.CS>\r\n"
	    " \"Re: plans\"\r\n"
	    " <\"147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/\"@MHS>\r\n"
	    "Supersedes: <1229.614418325@UK.AC.NOTT.CS>\r\n"
	    "Subject: =?UTF-8?b?R3LDvMOfZQ==?=\r\n"
	    "Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n");
	CHECK_EQ_INT(nwarn, 0);
	buf_free(&b);
	free(c);
	mixer_free(&mx);
}

/*
 * No originator and no primary recipient in the heading: From the
 * envelope's originator, To the station. Without a gateway domain an
 * address outside the tables does not map (RFC 2156 4.3.5 has nothing
 * to put it under): its std-or text, and a warning.
 */
static void
t_fallbacks(void)
{
	struct p22_content *c = calloc(1, sizeof(*c));
	struct orname	 env, to;
	struct mime_out	 m;
	struct buf	 b;

	if (c == NULL)
		return;
	c->kind = P22_IPM;
	snprintf(c->h.this_ipm.local, sizeof(c->h.this_ipm.local), "x");
	test_orname(&env, "/C=XX/A=NOWHERE/S=Lost/");
	test_orname(&to, "/C=DE/A=DBP/P=ACME/S=Station/");
	setup_tables();			/* no gateway domain */
	mime_out_init(&m);
	m.mixer = &mx;
	m.ipm = c;
	m.env_orig = &env;
	m.to = &to;
	m.date = 0;
	m.warn = on_warn;
	nwarn = 0;
	buf_init(&b);
	header(&m, &b);
	CHECK(strstr(buf_cstr(&b), "\r\nTo: Station@acme.example\r\n") !=
	    NULL);
	CHECK(strstr(buf_cstr(&b), "\r\nCc:") == NULL);	/* no address */
	CHECK(strstr(buf_cstr(&b), "\r\nSubject:") == NULL);	/* empty */
	CHECK(strstr(buf_cstr(&b), "\r\nDate: Thu, 01 Jan 1970 00:00:00 "
	    "+0000\r\n") != NULL);
	CHECK(strstr(buf_cstr(&b), "\r\nFrom: /") != NULL);
	CHECK(strstr(buf_cstr(&b), "S=Lost/") != NULL);
	CHECK(nwarn >= 1);
	CHECK(strstr(lastwarn, "does not map") != NULL);
	buf_free(&b);
	free(c);
	mixer_free(&mx);
}

/* Two IA5 body parts, usage "description": the body only, a multipart
 * with our boundary, and its Content-Type for the .sfid. */
static void
t_entity(void)
{
	struct p22_content *c = calloc(1, sizeof(*c));
	struct p22_bodypart bp[2];
	struct orname	 env;
	struct mime_out	 m;
	char		 path[4200], desc[256];
	uint8_t		*got;
	size_t		 n;
	FILE		*f;

	if (c == NULL)
		return;
	memset(bp, 0, sizeof(bp));
	bp[0].type = bp[1].type = P22_BP_IA5;
	bp[0].data.p = (const uint8_t *)"one\r\n";
	bp[0].data.len = 5;
	bp[1].data.p = (const uint8_t *)"two\r\n";
	bp[1].data.len = 5;
	c->kind = P22_IPM;
	c->nbp = 2;
	c->bp = bp;
	test_orname(&env, "/C=fr/A=atlas/S=Dupont/");
	mime_out_init(&m);
	m.ipm = c;
	m.env_orig = m.to = &env;
	m.boundary = "_oxgate_t";
	snprintf(path, sizeof(path), "%s/entity", test_dir());
	if ((f = fopen(path, "w+b")) == NULL) {
		test_fail(__FILE__, __LINE__, "%s", path);
		free(c);
		return;
	}
	CHECK_EQ_INT(mime_out_write(&m, fileno(f), desc, sizeof(desc)), 0);
	fclose(f);
	CHECK_EQ_STR(desc, "Content-Type: multipart/mixed; "
	    "boundary=_oxgate_t");
	if (test_read_file(path, &got, &n) == 0) {
		got[n] = '\0';
		CHECK(strstr((char *)got, "--_oxgate_t\r\n") != NULL);
		CHECK(strstr((char *)got, "\r\n\r\none\r\n") != NULL);
		CHECK(strstr((char *)got, "\r\n\r\ntwo\r\n") != NULL);
		CHECK(strstr((char *)got, "--_oxgate_t--") != NULL);
		CHECK(strstr((char *)got, "MIME-Version") == NULL);
		free(got);
	}
	free(c);
}

/* The base64 content after the header ending at h: decoded into out. */
static size_t
b64_lines(const char *h, uint8_t *out, size_t max, int *bad)
{
	const char	*l = strstr(h, "\r\n\r\n"), *e;
	size_t		 n = 0, len, pad;
	int		 k;

	if (l == NULL) {
		(*bad)++;
		return 0;
	}
	for (l += 4; *l != '\0' && *l != '\r' && *l != '-'; l = e + 2) {
		if ((e = strstr(l, "\r\n")) == NULL) {
			(*bad)++;
			return n;
		}
		len = (size_t)(e - l);
		if (len != 76 && (e[2] != '\r' && e[2] != '-' && e[2] != '\0'))
			(*bad)++;		/* only the last line is short */
		pad = len > 0 && l[len - 1] == '=' ? 1 + (len > 1 &&
		    l[len - 2] == '=') : 0;
		if (n + len > max || (k = EVP_DecodeBlock(out + n,
		    (const unsigned char *)l, (int)len)) < 0) {
			(*bad)++;
			return n;
		}
		n += (size_t)k - pad;
	}
	return n;
}

/*
 * Base64 parts: lines of 76 characters ending CR LF that decode to the
 * data, one part from memory and one from the mapping of a file (read
 * with pread), sizes around the encoder's 57-octet lines and buffers.
 */
static void
t_base64(void)
{
	static const size_t sizes[] = { 0, 1, 56, 57, 58, 840 * 57,
	    840 * 57 + 1, 100000 };
	struct p22_content *c = calloc(1, sizeof(*c));
	struct p22_bodypart bp[2];
	struct p22_ftbp	 ft;
	struct orname	 env;
	struct mime_out	 m;
	char		 path[4200], dpath[4200], desc[256], *h;
	uint8_t		*data, *got, *dec, *map;
	size_t		 i, n, k, sz;
	int		 fd, dfd, bad = 0;

	data = malloc(100000);
	dec = malloc(200000);
	if (c == NULL || data == NULL || dec == NULL)
		goto out;
	for (i = 0; i < 100000; i++)
		data[i] = (uint8_t)((i * 2654435761u) >> 13);
	snprintf(dpath, sizeof(dpath), "%s/ftbp-data", test_dir());
	dfd = open(dpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(dfd >= 0 && write(dfd, data, 100000) == 100000);
	map = mmap(NULL, 100000, PROT_READ, MAP_PRIVATE, dfd, 0);
	CHECK(map != MAP_FAILED);
	test_orname(&env, "/C=fr/A=atlas/S=Dupont/");
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		sz = sizes[k];
		memset(bp, 0, sizeof(bp));
		memset(c, 0, sizeof(*c));
		memset(&ft, 0, sizeof(ft));
		bp[0].type = P22_BP_BILATERAL;
		bp[0].data.p = data;
		bp[0].data.len = sz;
		bp[1].type = P22_BP_FTBP;
		bp[1].ftbp = &ft;
		bp[1].data.p = map + (100000 - sz);
		bp[1].data.len = sz;
		c->kind = P22_IPM;
		c->nbp = 2;
		c->bp = bp;
		mime_out_init(&m);
		m.ipm = c;
		m.env_orig = m.to = &env;
		m.boundary = "_oxgate_t";
		m.fd = dfd;
		m.map = map;
		m.maplen = 100000;
		snprintf(path, sizeof(path), "%s/b64", test_dir());
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		CHECK_EQ_INT(mime_out_write(&m, fd, desc, sizeof(desc)), 0);
		close(fd);
		if (test_read_file(path, &got, &n) != 0)
			continue;
		got[n] = '\0';
		CHECK(memchr(got, '\001', n) == NULL);	/* no mark left */
		h = strstr((char *)got, "Content-Transfer-Encoding: base64");
		CHECK(h != NULL);
		if (h != NULL) {
			CHECK_EQ_MEM(dec, b64_lines(h, dec, 200000, &bad),
			    data, sz);
			h = strstr(h + 1, "Content-Transfer-Encoding: base64");
		}
		CHECK(h != NULL);
		if (h != NULL)
			CHECK_EQ_MEM(dec, b64_lines(h, dec, 200000, &bad),
			    map + (100000 - sz), sz);
		CHECK(strstr((char *)got, "\r\n--_oxgate_t--") != NULL);
		CHECK_EQ_INT(bad, 0);
		free(got);
	}
	munmap(map, 100000);
	close(dfd);
out:
	free(dec);
	free(data);
	free(c);
}

int
main(void)
{
	g_mime_init();
	TEST(t_heading);
	TEST(t_fallbacks);
	TEST(t_entity);
	TEST(t_base64);
	g_mime_shutdown();
	return test_done();
}
