/*
 * NAME
 *	t61 - TeletexString (T.61) text to and from UTF-8 (see t61.h)
 * DESCRIPTION
 *	Latin-1 letters U+00C0..U+00FF as (diacritic, base) pairs of T.61 /
 *	ISO 6937, or a single supplementary code point (the base 0).
 */
#include <string.h>

#include "x400/t61.h"

/* Non-spacing diacritical marks of the T.61 supplementary set */
#define GRAVE	0xc1
#define ACUTE	0xc2
#define CIRC	0xc3
#define TILDE	0xc4
#define DIAER	0xc8
#define RING	0xca
#define CEDIL	0xcb

static const unsigned char latin1_letters[64][2] = {
	/* C0 */ { GRAVE, 'A' }, { ACUTE, 'A' }, { CIRC, 'A' }, { TILDE, 'A' },
	/* C4 */ { DIAER, 'A' }, { RING, 'A' }, { 0xe1, 0 }, { CEDIL, 'C' },
	/* C8 */ { GRAVE, 'E' }, { ACUTE, 'E' }, { CIRC, 'E' }, { DIAER, 'E' },
	/* CC */ { GRAVE, 'I' }, { ACUTE, 'I' }, { CIRC, 'I' }, { DIAER, 'I' },
	/* D0 */ { 0xe2, 0 }, { TILDE, 'N' }, { GRAVE, 'O' }, { ACUTE, 'O' },
	/* D4 */ { CIRC, 'O' }, { TILDE, 'O' }, { DIAER, 'O' }, { 0xb4, 0 },
	/* D8 */ { 0xe9, 0 }, { GRAVE, 'U' }, { ACUTE, 'U' }, { CIRC, 'U' },
	/* DC */ { DIAER, 'U' }, { ACUTE, 'Y' }, { 0xec, 0 }, { 0xfb, 0 },
	/* E0 */ { GRAVE, 'a' }, { ACUTE, 'a' }, { CIRC, 'a' }, { TILDE, 'a' },
	/* E4 */ { DIAER, 'a' }, { RING, 'a' }, { 0xf1, 0 }, { CEDIL, 'c' },
	/* E8 */ { GRAVE, 'e' }, { ACUTE, 'e' }, { CIRC, 'e' }, { DIAER, 'e' },
	/* EC */ { GRAVE, 'i' }, { ACUTE, 'i' }, { CIRC, 'i' }, { DIAER, 'i' },
	/* F0 */ { 0xf3, 0 }, { TILDE, 'n' }, { GRAVE, 'o' }, { ACUTE, 'o' },
	/* F4 */ { CIRC, 'o' }, { TILDE, 'o' }, { DIAER, 'o' }, { 0xb8, 0 },
	/* F8 */ { 0xf9, 0 }, { GRAVE, 'u' }, { ACUTE, 'u' }, { CIRC, 'u' },
	/* FC */ { DIAER, 'u' }, { ACUTE, 'y' }, { 0xfc, 0 }, { DIAER, 'y' },
};

/* Latin-1 symbols U+00A0..U+00BF at the same T.61 position, else 0. */
static const unsigned char latin1_symbols[32] = {
	/* A0 */ ' ', 0xa1, 0xa2, 0xa3, 0, 0xa5, 0, 0xa7,
	/* A8 */ 0, 0, 0, 0xab, 0, 0, 0, 0,
	/* B0 */ 0xb0, 0xb1, 0xb2, 0xb3, 0, 0xb5, 0xb6, 0xb7,
	/* B8 */ 0, 0, 0, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
};

/* ASCII positions T.61's primary set does not have (ISO 646 IRV). */
static int
t61_ascii_ok(unsigned c)
{
	return c >= 0x20 && c < 0x7f && c != '\\' && c != '^' && c != '`' &&
	    c != '{' && c != '}' && c != '~' && c != '$' && c != '#';
}

static int
put_utf8(struct buf *b, unsigned cp)
{
	uint8_t	 o[3];

	if (cp < 0x80)
		return buf_add_u8(b, (uint8_t)cp);
	if (cp < 0x800) {
		o[0] = (uint8_t)(0xc0 | cp >> 6);
		o[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return buf_add(b, o, 2);
	}
	o[0] = (uint8_t)(0xe0 | cp >> 12);
	o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (uint8_t)(0x80 | (cp & 0x3f));
	return buf_add(b, o, 3);
}

int
t61_from_utf8(const char *s, ssize_t n, struct buf *b, int *lossy)
{
	const unsigned char *u = (const unsigned char *)s, *end;
	unsigned cp;
	int	 bad = 0;

	end = u + (n < 0 ? strlen(s) : (size_t)n);
	while (u < end) {
		if (*u < 0x80)
			cp = *u++;
		else if ((*u & 0xe0) == 0xc0 && u + 1 < end &&
		    (u[1] & 0xc0) == 0x80) {
			cp = (unsigned)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
			u += 2;
		} else {
			cp = 0xfffd;
			for (u++; u < end && (*u & 0xc0) == 0x80; u++)
				;
		}
		if (cp < 0x20 || cp == 0x7f)
			buf_add_u8(b, ' ');
		else if (cp < 0x80 && t61_ascii_ok(cp))
			buf_add_u8(b, (uint8_t)cp);
		else if (cp == '$')
			buf_add_u8(b, 0xa4);	/* T.61 dollar sign */
		else if (cp == '#')
			buf_add_u8(b, 0xa6);	/* T.61 number sign */
		else if (cp >= 0xa0 && cp < 0xc0 && latin1_symbols[cp - 0xa0])
			buf_add_u8(b, latin1_symbols[cp - 0xa0]);
		else if (cp >= 0xc0 && cp <= 0xff) {
			buf_add_u8(b, latin1_letters[cp - 0xc0][0]);
			if (latin1_letters[cp - 0xc0][1] != 0)
				buf_add_u8(b, latin1_letters[cp - 0xc0][1]);
		} else {
			buf_add_u8(b, '?');
			bad = 1;
		}
	}
	if (lossy != NULL)
		*lossy = bad;
	return buf_error(b) ? -1 : 0;
}

int
t61_to_utf8(const void *v, size_t n, struct buf *b)
{
	const unsigned char *p = v;
	size_t	 i, k;
	unsigned cp;

	for (i = 0; i < n; i++) {
		cp = p[i];
		if (cp >= 0xc1 && cp <= 0xcf && i + 1 < n) {
			/* diacritic + base: the composed Latin-1 letter */
			for (k = 0; k < 64; k++)
				if (latin1_letters[k][0] == cp &&
				    latin1_letters[k][1] == p[i + 1])
					break;
			cp = k < 64 ? 0xc0 + (unsigned)k : p[i + 1];
			i++;
		} else if (cp == 0xa4)
			cp = '$';
		else if (cp == 0xa6)
			cp = '#';
		else if (cp >= 0xa0) {
			for (k = 0; k < 64; k++)
				if (latin1_letters[k][0] == cp &&
				    latin1_letters[k][1] == 0)
					break;
			if (k < 64)
				cp = 0xc0 + (unsigned)k;
			else {
				for (k = 0; k < 32; k++)
					if (latin1_symbols[k] == cp)
						break;
				cp = k < 32 && cp != ' ' ? 0xa0 + (unsigned)k :
				    0xfffd;
			}
		} else if (cp >= 0x80 || (cp < 0x20 && cp != '\r' &&
		    cp != '\n'))
			cp = 0xfffd;
		put_utf8(b, cp);
	}
	return buf_error(b) ? -1 : 0;
}

size_t
t61_fit(const void *v, size_t n, size_t max)
{
	const uint8_t *p = v;

	if (n > max)
		n = max;
	if (n > 0 && p[n - 1] >= 0xc1 && p[n - 1] <= 0xcf)
		n--;
	return n;
}
