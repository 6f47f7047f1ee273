/*
 * NAME
 *	unb - the EDIFACT interchange header (see unb.h)
 */
#include <ctype.h>
#include <string.h>

#include "gw/edipart.h"
#include "gw/unb.h"
#include "util/err.h"

static void
skip_while(struct cur *c, const char *set)
{
	uint8_t	 ch;

	while (cur_peek_u8(c, &ch) && ch != '\0' && strchr(set, ch) != NULL)
		cur_skip(c, 1);
}

/* Whether the cursor starts with the n bytes of s (nothing consumed). */
static int
starts(const struct cur *c, const char *s, size_t n)
{
	return cur_len(c) >= n && memcmp(cur_data(c), s, n) == 0;
}

/* The six service characters of a UNA (the cursor is after "UNA"). */
static void
una_read(struct cur *c, struct p35_ssa *s)
{
	const uint8_t *a;

	cur_get_bytes(c, &a, 6);
	s->component_sep = a[0];
	s->element_sep = a[1];
	s->decimal = a[2];
	s->has_release = a[3] != ' ';
	s->release = a[3];
	s->has_reserved = a[4] != ' ';
	s->reserved = a[4];
	s->segment_term = a[5];
}

int
unb_start(struct cur *c, struct unb *u)
{
	const uint8_t *p;

	memset(u, 0, sizeof(*u));
	u->ssa.component_sep = ':';
	u->ssa.element_sep = '+';
	u->ssa.decimal = '.';
	u->ssa.has_release = 1;
	u->ssa.release = '?';
	u->ssa.reserved = ' ';
	u->ssa.segment_term = '\'';
	skip_while(c, " \t\r\n");
	if (starts(c, "ISA", 3) && cur_len(c) >= 4) {
		p = cur_data(c);
		return p[3] > 0x20 && p[3] < 0x7f && !isalnum(p[3]) ?
		    EDIPART_X12 : EDIPART_NONE;
	}
	if (starts(c, "UNA", 3) && cur_len(c) >= 9) {
		cur_skip(c, 3);
		una_read(c, &u->ssa);
		u->has_una = 1;
		skip_while(c, "\r\n");
	}
	if (!starts(c, "UNB", 3) || cur_len(c) < 4 ||
	    cur_data(c)[3] != u->ssa.element_sep)
		return EDIPART_NONE;
	cur_skip(c, 4);
	return EDIPART_EDIFACT;
}

int
unb_parse(struct cur *c, struct unb *u, char *err, size_t errlen)
{
	const struct p35_ssa *s = &u->ssa;
	size_t	 e = 0, k = 0, vl = 0;
	uint8_t	 ch;

	switch (unb_start(c, u)) {
	case EDIPART_EDIFACT:
		break;
	case EDIPART_X12:
		return errf(err, errlen, -1, "offset %zu: not an EDIFACT "
		    "interchange: an ANSI X12 ISA header", cur_offset(c));
	default:
		return errf(err, errlen, -1, "offset %zu: not an EDIFACT "
		    "interchange: no UNB segment at the start of the file",
		    cur_offset(c));
	}
	while (cur_get_u8(c, &ch)) {
		if (s->has_release && ch == s->release && cur_len(c) > 0)
			cur_get_u8(c, &ch);
		else if (ch == s->segment_term)
			return 0;
		else if (ch == s->element_sep) {
			if (++e >= UNB_ELEMS)
				return errf(err, errlen, -1, "offset %zu: UNB "
				    "has more than %d elements",
				    cur_offset(c) - 1, UNB_ELEMS);
			k = vl = 0;
			continue;
		} else if (ch == s->component_sep) {
			if (++k >= UNB_COMPS)
				return errf(err, errlen, -1, "offset %zu: UNB "
				    "element %zu has more than %d components",
				    cur_offset(c) - 1, e + 1, UNB_COMPS);
			vl = 0;
			continue;
		}
		if (vl + 1 >= UNB_VAL_MAX)
			return errf(err, errlen, -1, "offset %zu: UNB element "
			    "%zu component %zu is longer than %d characters",
			    cur_offset(c) - 1, e + 1, k + 1, UNB_VAL_MAX - 1);
		u->v[e][k][vl++] = (char)ch;
	}
	return errf(err, errlen, -1, "offset %zu: UNB element %zu component "
	    "%zu: no segment terminator (truncated, or longer than %d "
	    "bytes)", cur_offset(c), e + 1, k + 1, UNB_HEAD_MAX);
}

const char *
unb_syntax(const struct unb *u)
{
	return u->v[UNB_SYNTAX][0];
}

int
unb_7bit(const struct unb *u)
{
	const char *syn = unb_syntax(u);

	return strcmp(syn, "UNOA") == 0 || strcmp(syn, "UNOB") == 0;
}

int
unb_get(const struct unb *u, int e, int k, char *dst, size_t ub, int *has)
{
	const char *v = u->v[e][k];
	size_t	 n = strlen(v);

	if (n > ub)
		return -1;
	memcpy(dst, v, n + 1);
	if (has != NULL)
		*has = n > 0;
	return 0;
}

int
unb_party(const struct unb *u, int e, struct p35_party *p)
{
	p->present = u->v[e][0][0] != '\0';
	return unb_get(u, e, 0, p->id, P35_UB_IDENTIFICATION_CODE, NULL) < 0 ||
	    unb_get(u, e, 1, p->qual, P35_UB_ID_CODE_QUALIFIER, &p->has_qual)
	    < 0 || unb_get(u, e, 2, p->route, P35_UB_ROUTING_ADDRESS,
	    &p->has_route) < 0 ? -1 : 0;
}

/* n decimal digits at s, or -1. */
static int
digits(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
unb_time(const struct unb *u, time_t *t)
{
	const char *d = u->v[UNB_DATETIME][0], *hm = u->v[UNB_DATETIME][1];
	struct tm tm, chk;
	size_t	 n = strlen(d);
	int	 y;

	if ((n != 6 && n != 8) || strlen(hm) != 4 || digits(d, n) < 0 ||
	    digits(hm, 4) < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	y = digits(d, n - 4);
	tm.tm_year = n == 6 ? (y < 70 ? y + 100 : y) : y - 1900;
	tm.tm_mon = digits(d + n - 4, 2) - 1;
	tm.tm_mday = digits(d + n - 2, 2);
	tm.tm_hour = digits(hm, 2);
	tm.tm_min = digits(hm + 2, 2);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59)
		return -1;
	chk = tm;
	*t = timegm(&chk);
	/* a day the month does not have (0231) is no date, not 3 March */
	if (chk.tm_mday != tm.tm_mday || chk.tm_mon != tm.tm_mon)
		return -1;
	return 0;
}
