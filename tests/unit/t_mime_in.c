/*
 * NAME
 *	t_mime_in - unit tests for lib/gw/mime_in: In-Reply-To, References
 * DESCRIPTION
 *	The items of In-Reply-To and References (RFC 822 4.6.3,
 *	*(phrase / msg-id); RFC 2156 5.1.3, rfc2156.txt:4107, and the
 *	phrase form of 4.7.3.5, rfc2156.txt:3912): msg-ids with their
 *	angle brackets, phrases as their words; comments, quotes and
 *	folding removed; malformed fields (an unterminated msg-id, quote or
 *	comment, too many or too long items, octets outside ASCII) give
 *	what can be read and never more than the bounds. A route-addr
 *	keeps its route (RFC 822 6.1; RFC 2156 4.3.4 maps it whole,
 *	rfc2156.txt:3055), which GMime's address parser drops. Base64
 *	content with an octet outside its alphabet, '=' and white space is
 *	refused, wherever the octet stands. The rest of
 *	mime_in is covered by the converters' shell tests and fuzz_mime.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "test.h"
#include "gw/mime_in.h"

/* Parse a message whose header has the given extra fields. */
static int
parse(struct mime_in *m, const char *fields)
{
	char	 path[1024], err[256];
	FILE	*f;
	int	 fd, e;

	snprintf(path, sizeof(path), "%s/msg", test_dir());
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "MIME-Version: 1.0\r\nFrom: a@b.example\r\n%s"
	    "Content-Type: text/plain\r\n\r\nhello\r\n", fields);
	fclose(f);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	mime_in_init(m);
	e = mime_in_parse(m, fd, test_dir(), 1 << 20, err, sizeof(err));
	close(fd);
	return e;
}

static void
t_refs(void)
{
	struct mime_in	*m = calloc(1, sizeof(*m));
	char		 many[1024], big[1200];
	size_t		 i;

	if (m == NULL)
		return;
	CHECK_EQ_INT(parse(m, "In-Reply-To: <abc@host.example>\r\n"
	    "References: <1229.614418325@UK.AC.NOTT.CS> \"Re: plans\" "
	    "(a (nested) comment)\r\n <\"147*/S=Dietrich/O=Siemens/"
	    "ADMD=DBP/C=DE/\"@MHS> two  words\r\n"), MIME_IN_OK);
	CHECK_EQ_INT(m->ninreplyto, 1);
	CHECK_EQ_STR(m->inreplyto[0], "<abc@host.example>");
	CHECK_EQ_INT(m->nrefs, 4);
	CHECK_EQ_STR(m->refs[0], "<1229.614418325@UK.AC.NOTT.CS>");
	CHECK_EQ_STR(m->refs[1], "Re: plans");
	CHECK_EQ_STR(m->refs[2],
	    "<\"147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/\"@MHS>");
	CHECK_EQ_STR(m->refs[3], "two words");
	mime_in_free(m);

	/* malformed: unterminated msg-id, quote and comment */
	CHECK_EQ_INT(parse(m, "In-Reply-To: x <unterminated@x\r\n"
	    "References: \"open quote (no end\r\n"), MIME_IN_OK);
	CHECK_EQ_INT(m->ninreplyto, 1);
	CHECK_EQ_STR(m->inreplyto[0], "x");
	CHECK_EQ_INT(m->nrefs, 1);
	CHECK_EQ_STR(m->refs[0], "open quote (no end");
	mime_in_free(m);
	CHECK_EQ_INT(parse(m, "References: (never closed <a@b>\r\n"),
	    MIME_IN_OK);
	CHECK_EQ_INT(m->nrefs, 0);
	mime_in_free(m);

	/* more than MIME_IN_REFS: the first ones kept */
	for (i = 0, many[0] = '\0'; i < MIME_IN_REFS + 5; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
		    " <%zu@x.example>", i);
	snprintf(big, sizeof(big), "References:%s\r\n", many);
	CHECK_EQ_INT(parse(m, big), MIME_IN_OK);
	CHECK_EQ_INT(m->nrefs, MIME_IN_REFS);
	CHECK_EQ_STR(m->refs[MIME_IN_REFS - 1], "<15@x.example>");
	mime_in_free(m);

	/* a msg-id over MIME_IN_REF_LEN is dropped, the next one kept */
	memset(many, 'a', 400);
	many[400] = '\0';
	snprintf(big, sizeof(big), "References: <%s@x> <ok@x>\r\n", many);
	CHECK_EQ_INT(parse(m, big), MIME_IN_OK);
	CHECK_EQ_INT(m->nrefs, 1);
	CHECK_EQ_STR(m->refs[0], "<ok@x>");
	mime_in_free(m);

	/* octets outside printable ASCII are dropped; no field, no item */
	CHECK_EQ_INT(parse(m, "In-Reply-To: caf\xc3\xa9\r\n"), MIME_IN_OK);
	CHECK_EQ_INT(m->ninreplyto, 1);
	CHECK_EQ_STR(m->inreplyto[0], "caf");
	CHECK_EQ_INT(m->nrefs, 0);
	mime_in_free(m);
	free(m);
}

/* route-addrs: the route in front of the addr-spec, spaces left out */
static void
t_routes(void)
{
	struct mime_in	*m = calloc(1, sizeof(*m));
	char		 big[1200];

	if (m == NULL)
		return;
	/* rfc2156.txt:3055, 4.3.4 example 1; a route of two, folded */
	CHECK_EQ_INT(parse(m, "To: <@relay.co.uk:userb@host2>, x <@a.example"
	    ",\r\n @b.example : u@c.example >, plain@d.example\r\n"
	    "Cc: \"<@q:not@route\" <y@e.example>, (<@c:z@f>) z@f\r\n"),
	    MIME_IN_OK);
	CHECK_EQ_INT(m->naddr[MIME_IN_TO], 3);
	CHECK_EQ_STR(m->addr[MIME_IN_TO][0].addr, "@relay.co.uk:userb@host2");
	CHECK_EQ_STR(m->addr[MIME_IN_TO][1].addr,
	    "@a.example,@b.example:u@c.example");
	CHECK_EQ_STR(m->addr[MIME_IN_TO][1].name, "x");
	CHECK_EQ_STR(m->addr[MIME_IN_TO][2].addr, "plain@d.example");
	/* a "<@" inside a quoted display name or a comment is no route */
	CHECK_EQ_INT(m->naddr[MIME_IN_CC], 2);
	CHECK_EQ_STR(m->addr[MIME_IN_CC][0].addr, "y@e.example");
	CHECK_EQ_STR(m->addr[MIME_IN_CC][1].addr, "z@f");
	CHECK_EQ_STR(m->addr[MIME_IN_FROM][0].addr, "a@b.example");
	mime_in_free(m);

	/* malformed: no ":" or no ">" after the route; no route kept */
	CHECK_EQ_INT(parse(m, "To: <@a.example u@c.example>, <@b:v@d\r\n"),
	    MIME_IN_OK);
	if (m->naddr[MIME_IN_TO] > 0)
		CHECK(m->addr[MIME_IN_TO][0].addr[0] != '@');
	mime_in_free(m);

	/* a route that does not fit MIME_IN_ADDR_LEN with its address */
	memset(big, 'r', 1100);
	memcpy(big, "To: <@", 6);
	snprintf(big + 1040, sizeof(big) - 1040, ".example:u@c.example>\r\n");
	CHECK_EQ_INT(parse(m, big), MIME_IN_OK);
	CHECK_EQ_INT(m->naddr[MIME_IN_TO], 1);
	CHECK_EQ_STR(m->addr[MIME_IN_TO][0].addr, "u@c.example");
	mime_in_free(m);
	free(m);
}

/* Parse a base64 attachment whose 48 encoded octets are b64. */
static int
parse_b64(struct mime_in *m, const unsigned char *b64)
{
	static const char hdr[] = "MIME-Version: 1.0\r\nContent-Type: "
	    "application/octet-stream\r\nContent-Transfer-Encoding: "
	    "base64\r\n\r\n";
	char	 path[1024], err[256];
	int	 fd, e;

	snprintf(path, sizeof(path), "%s/b64", test_dir());
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		return -1;
	if (write(fd, hdr, sizeof(hdr) - 1) != (ssize_t)sizeof(hdr) - 1 ||
	    write(fd, b64, 48) != 48 || write(fd, "\r\n", 2) != 2 ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	mime_in_init(m);
	e = mime_in_parse(m, fd, test_dir(), 1 << 20, err, sizeof(err));
	close(fd);
	mime_in_free(m);
	return e;
}

/*
 * Base64 content holds the alphabet, '=' and white space only (RFC 2045
 * 6.8; anything else is refused, not skipped): each octet in lanes of
 * the 16-octet steps and in the tail.
 */
static void
t_base64_octets(void)
{
	static const size_t at[] = { 0, 5, 15, 16, 31, 32, 47 };
	struct mime_in	*m = malloc(sizeof(*m));
	unsigned char	 b64[49];
	size_t		 i;
	int		 ch, want, bad = 0;

	memcpy(b64, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlq", 49);
	CHECK_EQ_INT(parse_b64(m, b64), MIME_IN_OK);
	for (ch = 0; ch < 256; ch++)
		for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			b64[at[i]] = (unsigned char)ch;
			want = isalnum(ch) || strchr("+/= \t\r\n", ch) ?
			    MIME_IN_OK : MIME_IN_ECORRUPT;
			if (ch == 0 || ch > 0x7f)
				want = MIME_IN_ECORRUPT;
			if (parse_b64(m, b64) != want)
				bad++;
			b64[at[i]] = 'Q';
		}
	CHECK_EQ_INT(bad, 0);
	free(m);
}

/*
 * mime_in_b64_step() against GMime's own step: random text of the
 * alphabet, '=' (also inside), line ends, spaces and other octets, cut
 * into random steps (the state carried, as the parser's 64 KiB reads
 * do): the same octets and the same state after every step.
 */
static void
t_b64_step(void)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	uint8_t		 in[600], a[600], b[600];
	uint32_t	 sa, sb, rnd = 12345;
	size_t		 len, i, at, k, na, nb;
	int		 round, ta, tb, bad = 0;

#define RND()	(rnd = rnd * 1103515245u + 12345u, rnd >> 8)
	for (round = 0; round < 20000; round++) {
		len = RND() % sizeof(in);
		for (i = 0; i < len; i++) {
			k = RND() % 100;
			in[i] = k < 80 ? (uint8_t)al[RND() % 64] : k < 86 ?
			    '=' : k < 93 ? (RND() % 2 ? '\r' : '\n') : k < 96 ?
			    ' ' : (uint8_t)RND();
		}
		if (round % 3 == 0)		/* mostly clean lines */
			for (i = 0; i < len; i++)
				if (in[i] == '=' || in[i] > 'z')
					in[i] = 'Q';
		sa = sb = 0;
		ta = tb = 0;
		for (at = 0; at < len; at += k) {
			k = 1 + RND() % (len - at);
			na = mime_in_b64_step(in + at, k, a, &ta, &sa);
			nb = g_mime_encoding_base64_decode_step(in + at, k, b,
			    &tb, &sb);
			if (na != nb || memcmp(a, b, na) != 0 || ta != tb ||
			    sa != sb)
				bad++;
		}
	}
#undef RND
	CHECK_EQ_INT(bad, 0);
}

int
main(void)
{
	TEST(t_refs);
	TEST(t_routes);
	TEST(t_base64_octets);
	TEST(t_b64_step);
	mime_in_shutdown();	/* mime_in started GMime on first use */
	return test_done();
}
