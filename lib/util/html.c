/*
 * html.c - escaping text into HTML and URLs (html.h).
 */
#include <string.h>

#include "util/buf.h"
#include "util/html.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

/* RFC 3629 3: the UTF-8 sequence at s (n octets left), 1 to 4, or 0. */
size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t	 len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
html_esc(struct buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t	 n = strlen(str), i = 0, k;

	while (i < n) {
		switch (s[i]) {
		case '&':
			buf_add_str(b, "&amp;");
			break;
		case '<':
			buf_add_str(b, "&lt;");
			break;
		case '>':
			buf_add_str(b, "&gt;");
			break;
		case '"':
			buf_add_str(b, "&quot;");
			break;
		case '\'':
			buf_add_str(b, "&#39;");
			break;
		default:
			if (s[i] < 0x20 || s[i] == 0x7f)
				buf_add_str(b, REPLACEMENT);
			else if ((k = utf8_len(s + i, n - i)) == 0)
				buf_add_str(b, REPLACEMENT);
			else {
				buf_add(b, s + i, k);
				i += k;
				continue;
			}
		}
		i++;
	}
}

void
url_esc(struct buf *b, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	char	 e[3] = { '%', 0, 0 };

	for (; *s != '\0'; s++) {
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s) != NULL)
			buf_add(b, s, 1);
		else {
			e[1] = hex[*s >> 4];
			e[2] = hex[*s & 15];
			buf_add(b, e, 3);
		}
	}
}
