/* util/html: the one escaping of trace values into pages and URLs. */
#include <string.h>

#include "test.h"
#include "util/buf.h"
#include "util/html.h"

static const char *
esc(struct buf *b, const char *s)
{
	buf_reset(b);
	html_esc(b, s);
	return buf_cstr(b);
}

static void
t_markup(void)
{
	struct buf b;

	buf_init(&b);
	CHECK_EQ_STR(esc(&b, "<script>alert(1)</script>"),
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_EQ_STR(esc(&b, "a\"b'c&d"), "a&quot;b&#39;c&amp;d");
	CHECK_EQ_STR(esc(&b, "&amp;"), "&amp;amp;");	/* never decoded */
	CHECK_EQ_STR(esc(&b, ""), "");
	CHECK_EQ_STR(esc(&b, "INVOIC 2026/12"), "INVOIC 2026/12");
	buf_free(&b);
}

static void
t_controls(void)
{
	struct buf b;

	buf_init(&b);
	/* C0 controls and DEL become U+FFFD: nothing steers the page */
	CHECK_EQ_STR(esc(&b, "a\001b\033[31mc\r\n\t\177"),
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd[31mc\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd");
	buf_free(&b);
}

/* RFC 3629 3: what UTF-8 is, and what is not (overlong, surrogates). */
static void
t_utf8(void)
{
	struct buf b;

	buf_init(&b);
	CHECK_EQ_STR(esc(&b, "F\xc3\xbcr M\xc3\xa4rz \xe2\x82\xac \xf0\x9f\x93\xa6"),
	    "F\xc3\xbcr M\xc3\xa4rz \xe2\x82\xac \xf0\x9f\x93\xa6");
	CHECK_EQ_STR(esc(&b, "\xc0\xbc"), "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong '<' */
	CHECK_EQ_STR(esc(&b, "\xe0\x80\xbc"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_EQ_STR(esc(&b, "\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* U+D800 */
	CHECK_EQ_STR(esc(&b, "\xf4\x90\x80\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_EQ_STR(esc(&b, "\xe2\x82"), "\xef\xbf\xbd\xef\xbf\xbd");	/* cut short */
	CHECK_EQ_INT(utf8_len((const unsigned char *)"\xf4\x8f\xbf\xbf", 4), 4);
	CHECK_EQ_INT(utf8_len((const unsigned char *)"\xc2\x80", 1), 0);
	CHECK_EQ_INT(utf8_len((const unsigned char *)"\x80", 1), 0);
	buf_free(&b);
}

/* 999 octets of two-octet characters and markup: all of it, escaped. */
static void
t_long(void)
{
	char	 in[1000];
	struct buf b;
	size_t	 i;

	for (i = 0; i + 2 <= 998; i += 2)
		memcpy(in + i, i % 20 ? "\xc3\xa4" : "<>", 2);
	in[998] = '"';
	in[999] = '\0';
	buf_init(&b);
	html_esc(&b, in);
	CHECK(!buf_error(&b));
	CHECK(strchr(buf_cstr(&b), '<') == NULL);
	CHECK(strchr(buf_cstr(&b), '"') == NULL);
	CHECK_EQ_INT(b.len, 50 * 8 + 449 * 2 + 6);
	buf_free(&b);
}

/* RFC 3986 2.1, 2.3: unreserved characters stay, the rest is %XX. */
static void
t_url(void)
{
	struct buf b;

	buf_init(&b);
	url_esc(&b, "acme-1._~ a/b?c&d=\"<\xc3\xa4>#%");
	CHECK_EQ_STR(buf_cstr(&b),
	    "acme-1._~%20a%2Fb%3Fc%26d%3D%22%3C%C3%A4%3E%23%25");
	buf_free(&b);
}

int
main(void)
{
	TEST(t_markup);
	TEST(t_controls);
	TEST(t_utf8);
	TEST(t_long);
	TEST(t_url);
	return test_done();
}
