/*
 * NAME
 *	mixer - RFC 2156 (MIXER) address and message identifier mapping
 * DESCRIPTION
 *	See mixer.h. A table is an array of entries and an open-addressing
 *	hash of them (FNV-1a over the lower-cased key): a domain-keyed
 *	table hashes the domain, an O/R-keyed one its levels. A longest
 *	match is one hash probe per candidate (each domain suffix, each O/R
 *	prefix), so a lookup costs at most a few probes whatever the size.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "asn1/ber.h"
#include "util/err.h"
#include "x400/mixer.h"
#include "x400/ormatch.h"

struct mx_entry {
	char		*dom;			/* as written */
	char		*lev[MIXER_NLEV];	/* NULL: absent ("@") */
	unsigned	 nlev;
	unsigned long	 line;
	struct or_dda	*dda;			/* domain-gw "~TYPE$v" */
	unsigned	 ndda;
};

struct mixer_table {
	struct mx_entry	*e;
	size_t		 n, cap;
	uint32_t	*slot;			/* entry index + 1; 0 empty */
	size_t		 nslot;			/* a power of two */
};

static const char *const mx_files[MIXER_NKIND] = {
	[MIXER_DOMAIN_OR] = "domain-or",
	[MIXER_OR_DOMAIN] = "or-domain",
	[MIXER_DOMAIN_GW] = "domain-gw",
	[MIXER_OR_GW] = "or-gw",
};

static const char *const mx_levname[MIXER_NLEV] = {
	"C", "ADMD", "PRMD", "O", "OU", "OU", "OU", "OU"
};

static const char *const mx_errtext[MIXER_NERR] = {
	[MIXER_OK] = "no error",
	[MIXER_ETABLE] = "bad mapping table line",
	[MIXER_EDUP] = "key given twice in a mapping table",
	[MIXER_EIO] = "cannot read a mapping table",
	[MIXER_ENOMEM] = "out of memory",
	[MIXER_EADDR] = "address does not parse",
	[MIXER_ESIZE] = "result longer than its upper bound",
	[MIXER_ENOMAP] = "no mapping",
	[MIXER_EARG] = "bad argument",
};

/* The RFC-822 attribute and its continuations (RFC 2156 4.3.4). */
static const char *const mx_ddatypes[] = {
	"RFC-822", "RFC822C1", "RFC822C2", "RFC822C3"
};

#define MX_NDDATYPES	(sizeof(mx_ddatypes) / sizeof(mx_ddatypes[0]))

const char *
mixer_strerror(int e)
{
	if (e < 0 || e >= MIXER_NERR || mx_errtext[e] == NULL)
		return "unknown error";
	return mx_errtext[e];
}

const char *
mixer_kind_file(enum mixer_kind k)
{
	return (unsigned)k < MIXER_NKIND ? mx_files[k] : NULL;
}

static int
mx_domain_keyed(enum mixer_kind k)
{
	return k == MIXER_DOMAIN_OR || k == MIXER_DOMAIN_GW;
}

void
mixer_init(struct mixer *mx)
{
	memset(mx, 0, sizeof(*mx));
	orname_init(&mx->gw);
	mx->ps = OR_PS_DECIMAL;
}

static void
mx_table_free(struct mixer_table *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->e[i].dom);
		free(t->e[i].dda);
	}
	free(t->e);
	free(t->slot);
	free(t);
}

void
mixer_free(struct mixer *mx)
{
	unsigned k;

	for (k = 0; k < MIXER_NKIND; k++) {
		mx_table_free(mx->tab[k]);
		mx->tab[k] = NULL;
	}
}

size_t
mixer_table_size(const struct mixer *mx, enum mixer_kind k)
{
	if ((unsigned)k >= MIXER_NKIND || mx->tab[k] == NULL)
		return 0;
	return mx->tab[k]->n;
}

/*
 * Hashing. A domain key is its lower-cased text; an O/R key is its
 * levels, each lower-cased (an absent one as 0x02) and ended by 0x01.
 */

#define FNV_OFF		2166136261u
#define FNV_PRIME	16777619u

static uint32_t
mx_hash_str(uint32_t h, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		h ^= (uint8_t)tolower((unsigned char)s[i]);
		h *= FNV_PRIME;
	}
	return h;
}

static uint32_t
mx_hash_levels(char *const *lev, unsigned n)
{
	uint32_t h = FNV_OFF;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (lev[i] == NULL) {
			h ^= 0x02;
			h *= FNV_PRIME;
		} else
			h = mx_hash_str(h, lev[i], strlen(lev[i]));
		h ^= 0x01;
		h *= FNV_PRIME;
	}
	return h;
}

static int
mx_levels_equal(char *const *a, char *const *b, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if ((a[i] == NULL) != (b[i] == NULL))
			return 0;
		if (a[i] != NULL && strcasecmp(a[i], b[i]) != 0)
			return 0;
	}
	return 1;
}

static uint32_t
mx_entry_hash(enum mixer_kind k, const struct mx_entry *e)
{
	if (mx_domain_keyed(k))
		return mx_hash_str(FNV_OFF, e->dom, strlen(e->dom));
	return mx_hash_levels(e->lev, e->nlev);
}

/* Probe for a domain key of n characters: the entry or NULL. */
static const struct mx_entry *
mx_find_domain(const struct mixer_table *t, const char *d, size_t n)
{
	const struct mx_entry *e;
	size_t	 i, mask;

	if (t == NULL || t->nslot == 0)
		return NULL;
	mask = t->nslot - 1;
	for (i = mx_hash_str(FNV_OFF, d, n) & mask; t->slot[i] != 0;
	    i = (i + 1) & mask) {
		e = &t->e[t->slot[i] - 1];
		if (strlen(e->dom) == n && strncasecmp(e->dom, d, n) == 0)
			return e;
	}
	return NULL;
}

static const struct mx_entry *
mx_find_levels(const struct mixer_table *t, char *const *lev, unsigned n)
{
	const struct mx_entry *e;
	size_t	 i, mask;

	if (t == NULL || t->nslot == 0)
		return NULL;
	mask = t->nslot - 1;
	for (i = mx_hash_levels(lev, n) & mask; t->slot[i] != 0;
	    i = (i + 1) & mask) {
		e = &t->e[t->slot[i] - 1];
		if (e->nlev == n && mx_levels_equal(e->lev, lev, n))
			return e;
	}
	return NULL;
}

static int
mx_rehash(struct mixer_table *t, enum mixer_kind k, size_t nslot)
{
	uint32_t *s;
	size_t	 i, j, mask = nslot - 1;

	if ((s = calloc(nslot, sizeof(*s))) == NULL)
		return MIXER_ENOMEM;
	for (i = 0; i < t->n; i++) {
		for (j = mx_entry_hash(k, &t->e[i]) & mask; s[j] != 0;
		    j = (j + 1) & mask)
			;
		s[j] = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = s;
	t->nslot = nslot;
	return MIXER_OK;
}

/*
 * Table lines (RFC 2156 Appendix F)
 */

static int
mx_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
mx_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/* A domain of a table: letters, digits and "-" in dot-separated labels. */
static int
mx_parse_domain(const char *s, size_t n, char *out, char *err,
    size_t errlen)
{
	size_t	 i, lab = 0;

	while (n > 0 && mx_blank(*s)) {
		s++;
		n--;
	}
	while (n > 0 && mx_blank(s[n - 1]))
		n--;
	if (n == 0)
		return errf(err, errlen, MIXER_ETABLE, "empty domain");
	if (n > MIXER_DOMAIN_MAX)
		return errf(err, errlen, MIXER_ETABLE,
		    "domain longer than %d characters", MIXER_DOMAIN_MAX);
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (lab == 0)
				return errf(err, errlen, MIXER_ETABLE,
				    "empty label in domain \"%.*s\"", (int)n,
				    s);
			lab = 0;
			continue;
		}
		if (!mx_label_char(s[i]))
			return errf(err, errlen, MIXER_ETABLE,
			    "character '%c' in domain \"%.*s\" (letters, "
			    "digits and - only)", isprint((unsigned char)s[i]) ?
			    s[i] : '?', (int)n, s);
		if (++lab > MIXER_LABEL_MAX)
			return errf(err, errlen, MIXER_ETABLE,
			    "label longer than %d characters in domain",
			    MIXER_LABEL_MAX);
	}
	if (lab == 0)
		return errf(err, errlen, MIXER_ETABLE,
		    "empty label in domain \"%.*s\"", (int)n, s);
	memcpy(out, s, n);
	out[n] = '\0';
	return MIXER_OK;
}

static int
mx_key_level(const char *k, size_t n)
{
	static const struct { const char *k; int lev; } keys[] = {
		{ "C", 0 }, { "ADMD", 1 }, { "A", 1 }, { "PRMD", 2 },
		{ "P", 2 }, { "O", 3 }, { "OU", 4 }
	};
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].k) == n && strncasecmp(keys[i].k, k, n) == 0)
			return keys[i].lev;
	return -1;
}

/*
 * An O/R side: key$value parts joined by ".", most significant on the
 * right, "\." a dot in a value, "@" an absent attribute. A part is a
 * level (C, ADMD, PRMD, O, OU: lev 0..4) or a domain-defined attribute
 * "~TYPE$value" (lev -1; RFC 2156 Appendix F dmn-attribute).
 */
struct mx_part {
	int	 lev;
	char	 type[OR_UB_DDA_TYPE + 1];
	char	 val[OR_UB_DDA_VALUE + 1];
	size_t	 len;
};

#define MX_NPART	(MIXER_NLEV + OR_UB_DDAS)

/* One part at s[*i..n): key, "$", value up to an unescaped "." */
static int
mx_part_parse(const char *s, size_t n, size_t *i, struct mx_part *p,
    char *err, size_t errlen)
{
	size_t	 ks = *i, cap;

	while (*i < n && s[*i] != '$' && s[*i] != '.')
		++*i;
	if (*i == n || s[*i] != '$')
		return errf(err, errlen, MIXER_ETABLE,
		    "\"%.*s\" is not key$value", (int)(*i - ks), s + ks);
	p->lev = -1;
	if (s[ks] == '~') {
		if (*i - ks - 1 == 0 || *i - ks - 1 > OR_UB_DDA_TYPE)
			return errf(err, errlen, MIXER_ETABLE,
			    "\"%.*s\": a domain-defined type is 1 to %d "
			    "characters", (int)(*i - ks), s + ks,
			    OR_UB_DDA_TYPE);
		memcpy(p->type, s + ks + 1, *i - ks - 1);
		p->type[*i - ks - 1] = '\0';
	} else if ((p->lev = mx_key_level(s + ks, *i - ks)) < 0)
		return errf(err, errlen, MIXER_ETABLE,
		    "unknown key \"%.*s\" (C, ADMD, PRMD, O, OU, ~TYPE)",
		    (int)(*i - ks), s + ks);
	cap = p->lev < 0 ? OR_UB_DDA_VALUE : OR_UB_ORGANIZATION;
	for (++*i, p->len = 0; *i < n && s[*i] != '.'; ++*i) {
		if (s[*i] == '\\' && (*i + 1 == n || s[++*i] != '.'))
			return errf(err, errlen, MIXER_ETABLE,
			    "\"\\\" in a value not followed by \".\"");
		if (p->len == cap)
			return errf(err, errlen, MIXER_ETABLE,
			    "%s value longer than %zu characters",
			    p->lev < 0 ? p->type : mx_levname[p->lev], cap);
		p->val[p->len++] = s[*i];
	}
	p->val[p->len] = '\0';
	if (p->len == 0)
		return errf(err, errlen, MIXER_ETABLE,
		    "empty %s value (write %s$@ for an absent attribute)",
		    p->lev < 0 ? p->type : mx_levname[p->lev],
		    p->lev < 0 ? p->type : mx_levname[p->lev]);
	return MIXER_OK;
}

/* Check a value of level k (or a DDA) as the O/R model takes it. */
static int
mx_level_check(unsigned k, const struct mx_part *p, char *err, size_t errlen)
{
	static const enum or_attr top[4] = { OR_C, OR_ADMD, OR_PRMD, OR_O };
	struct orname	 chk;
	int		 e;

	orname_init(&chk);
	if (p->lev < 0)
		e = orname_add_dda(&chk, p->type, p->val, p->len);
	else if (k < 4)
		e = orname_set(&chk, top[k], p->val, p->len);
	else
		e = orname_set_ou(&chk, 1, p->val, p->len);
	if (e != OR_OK)
		return errf(err, errlen, MIXER_ETABLE, "%s value \"%s\": %s",
		    p->lev < 0 ? p->type : mx_levname[k], p->val,
		    orname_strerror(e));
	return MIXER_OK;
}

/*
 * The levels, right to left: C, ADMD, PRMD, O, OU. Two readings of
 * RFC 2156 Appendix F (oxgate-mapping(5)): "ADMD$@" (rfc2156.txt:7154)
 * is the ADMD of one space, which 4.3.5 (rfc2156.txt:3152) makes of a
 * zero-length one; an O right after the ADMD (XEROX.COM, line 7204,
 * against rule b, line 7175) is read with the PRMD omitted ("PRMD$@").
 */
static int
mx_levels_set(struct mx_part *p, unsigned np, struct mixer_line *ln,
    char *err, size_t errlen)
{
	unsigned j, k = 0;
	int	 e;

	for (j = np; j-- > 0; k++) {
		if (k == 2 && p[j].lev == 3)
			ln->absent |= 1u << k++;
		if (k >= MIXER_NLEV)
			return errf(err, errlen, MIXER_ETABLE,
			    "more than %d attributes (C, ADMD, PRMD, O and "
			    "four OUs)", MIXER_NLEV);
		if (p[j].lev != (int)(k < 4 ? k : 4))
			return errf(err, errlen, MIXER_ETABLE,
			    "%s where %s belongs: the attributes go C, ADMD, "
			    "PRMD, O, OU from the right%s%s%s",
			    mx_levname[p[j].lev], mx_levname[k < 4 ? k : 4],
			    k >= 2 ? " (write " : "",
			    k >= 2 ? mx_levname[k < 4 ? k : 4] : "",
			    k >= 2 ? "$@ for an absent one)" : "");
		if (k >= 4 && (ln->absent & (1u << (k - 1))))
			return errf(err, errlen, MIXER_ETABLE,
			    "%s below an absent %s", mx_levname[k],
			    mx_levname[k - 1]);
		if (p[j].len == 1 && p[j].val[0] == '@') {
			if (k == 0)
				return errf(err, errlen, MIXER_ETABLE,
				    "C cannot be absent");
			if (k == 1)
				p[j].val[0] = ' ';	/* ADMD$@ */
			else {
				ln->absent |= 1u << k;
				continue;
			}
		}
		if ((e = mx_level_check(k, &p[j], err, errlen)) != MIXER_OK)
			return e;
		memcpy(ln->lev[k], p[j].val, p[j].len + 1);
	}
	ln->nlev = k;
	return MIXER_OK;
}

static int
mx_parse_or(enum mixer_kind kind, const char *s, size_t n,
    struct mixer_line *ln, char *err, size_t errlen)
{
	struct mx_part	 p[MX_NPART];
	size_t		 i = 0;
	unsigned	 np = 0, nd = 0, j;
	int		 e;

	memset(ln->lev, 0, sizeof(ln->lev));
	ln->absent = 0;
	ln->ndda = 0;
	if (n == 0)
		return errf(err, errlen, MIXER_ETABLE, "empty O/R address");
	for (;;) {
		if (np == MX_NPART)
			return errf(err, errlen, MIXER_ETABLE,
			    "more than %d attributes", MX_NPART);
		if ((e = mx_part_parse(s, n, &i, &p[np++], err, errlen)) !=
		    MIXER_OK)
			return e;
		if (i == n)
			break;
		i++;				/* "." */
	}
	/* ~TYPE parts: least significant, so on the left; domain-gw only
	 * (Appendix F 7, rfc2156.txt:7238) */
	while (nd < np && p[nd].lev < 0)
		nd++;
	for (j = nd; j < np; j++)
		if (p[j].lev < 0)
			return errf(err, errlen, MIXER_ETABLE,
			    "~%s right of C, ADMD, PRMD, O or OU (it goes on "
			    "the left)", p[j].type);
	if (nd > 0 && kind != MIXER_DOMAIN_GW)
		return errf(err, errlen, MIXER_ETABLE,
		    "~%s: domain-defined attributes only in domain-gw",
		    p[0].type);
	if (nd == np)
		return errf(err, errlen, MIXER_ETABLE, "no C");
	if (nd > OR_UB_DDAS)
		return errf(err, errlen, MIXER_ETABLE,
		    "more than %d domain-defined attributes", OR_UB_DDAS);
	for (j = 0; j < nd; j++) {
		if ((e = mx_level_check(0, &p[j], err, errlen)) != MIXER_OK)
			return e;
		memcpy(ln->dda[nd - 1 - j].type, p[j].type,
		    sizeof(p[j].type));
		memcpy(ln->dda[nd - 1 - j].value, p[j].val, p[j].len + 1);
	}
	ln->ndda = nd;
	return mx_levels_set(p + nd, np - nd, ln, err, errlen);
}

int
mixer_line_parse(enum mixer_kind kind, const char *s, size_t n,
    struct mixer_line *ln, char *err, size_t errlen)
{
	const char	*h1, *h2;
	size_t		 i = 0, n1, n2;
	int		 e;

	memset(ln, 0, sizeof(*ln));
	if ((unsigned)kind >= MIXER_NKIND || (s == NULL && n > 0))
		return errf(err, errlen, MIXER_EARG, "bad argument");
	if (n > MIXER_LINE_MAX)
		return errf(err, errlen, MIXER_ETABLE,
		    "line longer than %d characters", MIXER_LINE_MAX);
	if (memchr(s, '\0', n) != NULL)
		return errf(err, errlen, MIXER_ETABLE, "NUL byte in line");
	while (i < n && mx_blank(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return MIXER_OK;		/* blank or comment */
	s += i;
	n -= i;
	if ((h1 = memchr(s, '#', n)) == NULL)
		return errf(err, errlen, MIXER_ETABLE,
		    "no \"#\": a line is %s", mx_domain_keyed(kind) ?
		    "domain#O/R#" : "O/R#domain#");
	n1 = (size_t)(h1 - s);
	if ((h2 = memchr(h1 + 1, '#', n - n1 - 1)) == NULL)
		return errf(err, errlen, MIXER_ETABLE,
		    "no closing \"#\" (it is required: a value may end in "
		    "a space)");
	n2 = (size_t)(h2 - h1 - 1);
	for (i = (size_t)(h2 - s) + 1; i < n; i++)
		if (!mx_blank(s[i]))
			return errf(err, errlen, MIXER_ETABLE,
			    "text after the closing \"#\"");
	if (mx_domain_keyed(kind)) {
		if ((e = mx_parse_domain(s, n1, ln->domain, err, errlen)) !=
		    MIXER_OK)
			return e;
		e = mx_parse_or(kind, h1 + 1, n2, ln, err, errlen);
	} else {
		if ((e = mx_parse_or(kind, s, n1, ln, err, errlen)) !=
		    MIXER_OK)
			return e;
		e = mx_parse_domain(h1 + 1, n2, ln->domain, err, errlen);
	}
	if (e != MIXER_OK)
		ln->nlev = 0;
	return e;
}

/* Add a parsed line; name and line number are for the messages. */
static int
mx_table_add(struct mixer_table *t, enum mixer_kind kind,
    const struct mixer_line *ln, const char *name, unsigned long line,
    char *err, size_t errlen)
{
	const struct mx_entry *old;
	struct mx_entry	 e, *ne;
	size_t		 sz, dl, off, l, mask, j;
	unsigned	 i;
	char		*p;

	memset(&e, 0, sizeof(e));
	if (ln->ndda > 0) {
		if ((e.dda = calloc(ln->ndda, sizeof(*e.dda))) == NULL)
			return errf(err, errlen, MIXER_ENOMEM,
			    "%s:%lu: out of memory", name, line);
		memcpy(e.dda, ln->dda, ln->ndda * sizeof(*e.dda));
		e.ndda = ln->ndda;
	}
	dl = strlen(ln->domain);
	sz = dl + 1;
	for (i = 0; i < ln->nlev; i++)
		sz += strlen(ln->lev[i]) + 1;
	if ((p = malloc(sz)) == NULL) {
		free(e.dda);
		return errf(err, errlen, MIXER_ENOMEM, "%s:%lu: out of memory",
		    name, line);
	}
	memcpy(p, ln->domain, dl + 1);
	e.dom = p;
	off = dl + 1;
	for (i = 0; i < ln->nlev; i++) {
		if (ln->absent & (1u << i))
			continue;
		l = strlen(ln->lev[i]);
		if (mx_domain_keyed(kind))
			memcpy(p + off, ln->lev[i], l + 1);
		else if ((l = ormatch_fold(ln->lev[i], p + off, l + 1)) ==
		    0 && i == 1)
			memcpy(p + off, " ", (l = 1) + 1);	/* ADMD */
		e.lev[i] = p + off;
		off += l + 1;
	}
	e.nlev = ln->nlev;
	e.line = line;

	old = mx_domain_keyed(kind) ? mx_find_domain(t, e.dom, dl) :
	    mx_find_levels(t, e.lev, e.nlev);
	if (old != NULL) {
		free(p);
		free(e.dda);
		return errf(err, errlen, MIXER_EDUP,
		    "%s:%lu: %s given again (first at line %lu)", name, line,
		    mx_domain_keyed(kind) ? "domain" : "O/R address",
		    old->line);
	}
	if (t->n == t->cap) {
		sz = t->cap ? t->cap * 2 : 64;
		if ((ne = reallocarray(t->e, sz, sizeof(*ne))) == NULL) {
			free(p);
			free(e.dda);
			return errf(err, errlen, MIXER_ENOMEM,
			    "%s:%lu: out of memory", name, line);
		}
		t->e = ne;
		t->cap = sz;
	}
	t->e[t->n++] = e;
	if (t->n * 2 > t->nslot) {
		if (mx_rehash(t, kind, t->nslot ? t->nslot * 2 : 128) !=
		    MIXER_OK) {
			free(t->e[--t->n].dom);
			free(t->e[t->n].dda);
			return errf(err, errlen, MIXER_ENOMEM,
			    "%s:%lu: out of memory", name, line);
		}
	} else {
		mask = t->nslot - 1;
		for (j = mx_entry_hash(kind, &t->e[t->n - 1]) & mask;
		    t->slot[j] != 0; j = (j + 1) & mask)
			;
		t->slot[j] = (uint32_t)t->n;
	}
	return MIXER_OK;
}

static int
mx_table_get(struct mixer *mx, enum mixer_kind kind, struct mixer_table **t,
    char *err, size_t errlen)
{
	if ((unsigned)kind >= MIXER_NKIND)
		return errf(err, errlen, MIXER_EARG, "bad table kind");
	if (mx->tab[kind] == NULL &&
	    (mx->tab[kind] = calloc(1, sizeof(**t))) == NULL)
		return errf(err, errlen, MIXER_ENOMEM, "out of memory");
	*t = mx->tab[kind];
	return MIXER_OK;
}

/*
 * One line. A bad line (ETABLE, EDUP) is an error, or, when mx->warn
 * is set (lenient loading), given to warn with its file:line, counted
 * and skipped.
 */
static int
mx_load_line(struct mixer *mx, struct mixer_table *t, enum mixer_kind kind,
    const char *name, unsigned long line, const char *s, size_t n,
    char *err, size_t errlen)
{
	struct mixer_line ln;
	char		 why[256], msg[512];
	int		 e;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if ((e = mixer_line_parse(kind, s, n, &ln, why, sizeof(why))) !=
	    MIXER_OK)
		snprintf(msg, sizeof(msg), "%s:%lu: %s", name, line, why);
	else if (ln.nlev == 0)
		return MIXER_OK;
	else if ((e = mx_table_add(t, kind, &ln, name, line, msg,
	    sizeof(msg))) == MIXER_OK)
		return MIXER_OK;
	if (mx->warn != NULL && (e == MIXER_ETABLE || e == MIXER_EDUP)) {
		mx->warn(mx->warnarg, msg);
		mx->nskipped++;
		return MIXER_OK;
	}
	return errf(err, errlen, e, "%s", msg);
}

/* Lines of text, added to the table of this kind. */
int
mixer_load_text(struct mixer *mx, enum mixer_kind kind, const char *name,
    const char *text, size_t len, char *err, size_t errlen)
{
	struct mixer_table *t;
	const char	*nl;
	unsigned long	 line = 0;
	size_t		 n;
	int		 e;

	if (text == NULL && len > 0)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	if ((e = mx_table_get(mx, kind, &t, err, errlen)) != MIXER_OK)
		return e;
	while (len > 0) {
		line++;
		nl = memchr(text, '\n', len);
		n = nl != NULL ? (size_t)(nl - text) : len;
		if ((e = mx_load_line(mx, t, kind, name, line, text, n, err,
		    errlen)) != MIXER_OK)
			return e;
		if (nl == NULL)
			break;
		text += n + 1;
		len -= n + 1;
	}
	return MIXER_OK;
}

int
mixer_load(struct mixer *mx, enum mixer_kind kind, const char *path,
    char *err, size_t errlen)
{
	struct mixer_table *t;
	FILE		*f;
	char		*s = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	unsigned long	 line = 0;
	int		 e;

	if ((e = mx_table_get(mx, kind, &t, err, errlen)) != MIXER_OK)
		return e;
	if ((f = fopen(path, "r")) == NULL)
		return errf(err, errlen, MIXER_EIO, "%s: %s", path,
		    strerror(errno));
	e = MIXER_OK;
	while ((n = getline(&s, &cap, f)) >= 0) {
		line++;
		if (n > 0 && s[n - 1] == '\n')
			n--;
		if ((e = mx_load_line(mx, t, kind, path, line, s, (size_t)n,
		    err, errlen)) != MIXER_OK)
			break;
	}
	if (e == MIXER_OK && ferror(f))
		e = errf(err, errlen, MIXER_EIO, "%s: %s", path,
		    strerror(errno));
	free(s);
	fclose(f);
	return e;
}

/* The four tables of a directory; a missing file is an empty table. */
int
mixer_load_dir(struct mixer *mx, const char *dir, char *err, size_t errlen)
{
	struct stat	 st;
	char		 path[4096];
	unsigned	 k;
	int		 e, n;

	if (stat(dir, &st) < 0)
		return errf(err, errlen, MIXER_EIO, "%s: %s", dir,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errf(err, errlen, MIXER_EIO, "%s: not a directory",
		    dir);
	for (k = 0; k < MIXER_NKIND; k++) {
		n = snprintf(path, sizeof(path), "%s/%s", dir, mx_files[k]);
		if (n < 0 || (size_t)n >= sizeof(path))
			return errf(err, errlen, MIXER_EIO,
			    "%s: path too long", dir);
		if (stat(path, &st) < 0 && errno == ENOENT)
			continue;
		if ((e = mixer_load(mx, k, path, err, errlen)) != MIXER_OK)
			return e;
	}
	return MIXER_OK;
}

int
mixer_set_gateway(struct mixer *mx, const struct orname *gw,
    const char *domain)
{
	char	 why[128];

	if (gw != NULL) {
		mx->gw = *gw;
		mx->has_gw = 1;
	}
	if (domain != NULL) {
		if (*domain == '\0') {
			mx->gwdomain[0] = '\0';
			return MIXER_OK;
		}
		if (mx_parse_domain(domain, strlen(domain), mx->gwdomain, why,
		    sizeof(why)) != MIXER_OK) {
			mx->gwdomain[0] = '\0';
			return MIXER_EARG;
		}
	}
	return MIXER_OK;
}

/*
 * Lookups
 */

/* The O/R levels of an address: C ADMD PRMD O OU1..OU4, NULL absent. */
static void
mx_or_levels(const struct orname *or, char *lev[MIXER_NLEV])
{
	static const enum or_attr top[4] = { OR_C, OR_ADMD, OR_PRMD, OR_O };
	unsigned i;

	for (i = 0; i < 4; i++)
		lev[i] = (char *)orname_get(or, top[i]);
	for (i = 0; i < OR_UB_OUS; i++)
		lev[4 + i] = i < or->nou ? (char *)or->ou[i] : NULL;
}

static void
mx_entry_or(const struct mx_entry *e, struct orname *or)
{
	unsigned i;

	orname_init(or);
	for (i = 0; i < e->nlev; i++) {
		if (e->lev[i] == NULL)
			continue;
		if (i < 4)
			orname_set(or, i == 0 ? OR_C : i == 1 ? OR_ADMD :
			    i == 2 ? OR_PRMD : OR_O, e->lev[i],
			    strlen(e->lev[i]));
		else
			orname_set_ou(or, i - 3, e->lev[i], strlen(e->lev[i]));
	}
	for (i = 0; i < e->ndda; i++)
		orname_add_dda(or, e->dda[i].type, e->dda[i].value,
		    strlen(e->dda[i].value));
}

static const struct mx_entry *
mx_match_domain(const struct mixer_table *t, const char *d, size_t *mlen)
{
	const struct mx_entry *e;
	size_t	 n = strlen(d), i = 0;

	for (;;) {
		if ((e = mx_find_domain(t, d + i, n - i)) != NULL) {
			*mlen = n - i;
			return e;
		}
		while (i < n && d[i] != '.')
			i++;
		if (i == n)
			return NULL;
		i++;
	}
}

/*
 * Longest match of an O/R address, its values folded (4.3.5 step 1,
 * rfc2156.txt:3148: no leading, trailing or adjacent spaces) by
 * ormatch_fold(), the one folding rule (X.402 18.4), as the O/R-keyed
 * table lines were when loaded; it also upper-cases, which changes
 * nothing here, since the hash and the comparison of levels ignore case.
 */
static const struct mx_entry *
mx_match_or(const struct mixer_table *t, const struct orname *or)
{
	const struct mx_entry *e;
	char		*lev[MIXER_NLEV];
	char		 fold[MIXER_NLEV][OR_UB_ORGANIZATION + 1];
	unsigned	 k;

	mx_or_levels(or, lev);
	for (k = 0; k < MIXER_NLEV; k++) {
		if (lev[k] == NULL)
			continue;
		ormatch_fold(lev[k], fold[k], sizeof(fold[k]));
		if (k == 1 && fold[k][0] == '\0')
			strcpy(fold[k], " ");	/* zero-length ADMD */
		lev[k] = fold[k];
	}
	for (k = MIXER_NLEV; k > 0; k--)
		if ((e = mx_find_levels(t, lev, k)) != NULL)
			return e;
	return NULL;
}

/* Longest match of a domain: the O/R of the line, the suffix length. */
int
mixer_lookup_domain(const struct mixer *mx, enum mixer_kind kind,
    const char *domain, struct orname *or, size_t *matchlen)
{
	const struct mx_entry *e;
	size_t	 ml;

	if ((unsigned)kind >= MIXER_NKIND || !mx_domain_keyed(kind) ||
	    domain == NULL)
		return MIXER_EARG;
	if ((e = mx_match_domain(mx->tab[kind], domain, &ml)) == NULL)
		return MIXER_ENOMAP;
	if (or != NULL)
		mx_entry_or(e, or);
	if (matchlen != NULL)
		*matchlen = ml;
	return MIXER_OK;
}

/* Longest match of an O/R address: the domain, the levels matched. */
int
mixer_lookup_or(const struct mixer *mx, enum mixer_kind kind,
    const struct orname *or, struct buf *domain, unsigned *nlev)
{
	const struct mx_entry *e;

	if ((unsigned)kind >= MIXER_NKIND || mx_domain_keyed(kind) ||
	    or == NULL)
		return MIXER_EARG;
	if ((e = mx_match_or(mx->tab[kind], or)) == NULL)
		return MIXER_ENOMAP;
	if (domain != NULL)
		buf_add_str(domain, e->dom);
	if (nlev != NULL)
		*nlev = e->nlev;
	return domain != NULL && buf_error(domain) ? MIXER_ENOMEM : MIXER_OK;
}

/* encoded-pn (RFC 2156 4.1.2): orname_pn_parse(), the one parser. */
int
mixer_pn_parse(const char *s, size_t n, struct orname *or)
{
	return orname_pn_parse(s, n, or);
}

/* The encoded-pn of S, G, I when it reads back to the same. */
int
mixer_pn_print(const struct orname *or, struct buf *out)
{
	const char	*s = orname_get(or, OR_S), *g = orname_get(or, OR_G);
	const char	*in = orname_get(or, OR_I), *v;
	struct orname	 back;
	struct buf	 b;
	char		 tmp[OR_UB_GIVEN_NAME + OR_UB_INITIALS * 2 +
			    OR_UB_SURNAME + 8];
	size_t		 i;

	if (s == NULL || orname_get(or, OR_GQ) != NULL)
		return OR_EARG;
	buf_init_fixed(&b, tmp, sizeof(tmp));
	if (g != NULL) {
		if (strlen(g) < 2 || strchr(g, '.') != NULL)
			return OR_EARG;
		buf_add_str(&b, g);
		buf_add_u8(&b, '.');
	}
	for (i = 0; in != NULL && in[i] != '\0'; i++) {
		if (!isalpha((unsigned char)in[i]))
			return OR_EARG;
		buf_add_u8(&b, (uint8_t)in[i]);
		buf_add_u8(&b, '.');
	}
	buf_add_str(&b, s);
	if (buf_error(&b) || mixer_pn_parse((const char *)b.p, b.len, &back) !=
	    OR_OK)
		return OR_EARG;
	if (((v = orname_get(&back, OR_G)) == NULL) != (g == NULL) ||
	    (g != NULL && strcmp(v, g) != 0) ||
	    ((v = orname_get(&back, OR_I)) == NULL) != (in == NULL) ||
	    (in != NULL && strcmp(v, in) != 0) ||
	    strcmp(orname_get(&back, OR_S), s) != 0)
		return OR_EARG;
	buf_add(out, b.p, b.len);
	return buf_error(out) ? OR_ENOMEM : OR_OK;
}

/*
 * RFC 822 addr-spec: local-part "@" domain, each dot-separated atoms or
 * quoted strings (domain: atoms or a domain literal).
 */

static int
mx_atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

struct mx_addr {
	char	 local[MIXER_ADDR_MAX + 1];	/* unquoted */
	char	 domain[MIXER_ADDR_MAX + 1];
	int	 literal;			/* domain is [ ... ] */
	char	 route[MIXER_ADDR_MAX + 1];	/* first route domain, or "" */
};

/* A dot-atom domain at a[*i..n), up to a character no atext or ".". */
static int
mx_scan_domain(const char *a, size_t n, size_t *i, char *err, size_t errlen)
{
	size_t	 j;

	for (;;) {
		j = *i;
		while (*i < n && mx_atext(a[*i]))
			++*i;
		if (*i == j && *i == n)
			return errf(err, errlen, MIXER_EADDR,
			    "empty domain label at the end");
		if (*i == j)
			return errf(err, errlen, MIXER_EADDR,
			    "character '%c' at offset %zu in a domain", a[*i],
			    *i);
		if (*i < n && a[*i] == '.') {
			++*i;
			continue;
		}
		return MIXER_OK;
	}
}

/*
 * A source route "@d1,@d2:" (RFC 822 route, RFC 2156 4.3.4 stage I
 * step 1, rfc2156.txt:2837): the first domain, the one routed on.
 */
static int
mx_scan_route(const char *a, size_t n, size_t *i, struct mx_addr *ad,
    char *err, size_t errlen)
{
	size_t	 d0;
	int	 e;

	for (;;) {
		d0 = ++*i;			/* "@" */
		if ((e = mx_scan_domain(a, n, i, err, errlen)) != MIXER_OK)
			return e;
		if (ad->route[0] == '\0') {
			memcpy(ad->route, a + d0, *i - d0);
			ad->route[*i - d0] = '\0';
		}
		if (*i < n && a[*i] == ':') {
			++*i;
			return MIXER_OK;
		}
		if (*i + 1 >= n || a[*i] != ',' || a[*i + 1] != '@')
			return errf(err, errlen, MIXER_EADDR,
			    "bad source route at offset %zu (@domain,@domain:"
			    "local@domain)", *i);
		++*i;
	}
}

/* local-part: word *("." word), unquoted into ad->local. */
static int
mx_scan_local(const char *a, size_t n, size_t *i, struct mx_addr *ad,
    char *err, size_t errlen)
{
	size_t	 lo = 0, j;

	for (;;) {
		if (*i < n && a[*i] == '"') {
			for (++*i; *i < n && a[*i] != '"'; ++*i) {
				if (a[*i] == '\\' && ++*i == n)
					break;
				ad->local[lo++] = a[*i];
			}
			if (*i >= n)
				return errf(err, errlen, MIXER_EADDR,
				    "unterminated quoted string");
			++*i;
		} else {
			j = *i;
			while (*i < n && mx_atext(a[*i]))
				ad->local[lo++] = a[(*i)++];
			if (*i == j && *i == n)
				return errf(err, errlen, MIXER_EADDR,
				    "empty word at the end of the local part");
			if (*i == j)
				return errf(err, errlen, MIXER_EADDR,
				    "character '%c' at offset %zu in the local "
				    "part", a[*i], *i);
		}
		if (*i < n && a[*i] == '.') {
			ad->local[lo++] = '.';
			++*i;
			continue;
		}
		return MIXER_OK;
	}
}

/* [ route ] local-part "@" domain (a dot-atom or a domain literal) */
static int
mx_addr_split(const char *a, struct mx_addr *ad, char *err, size_t errlen)
{
	size_t	 n = strlen(a), i = 0, d0, j;
	int	 e;

	memset(ad, 0, sizeof(*ad));
	if (n == 0)
		return errf(err, errlen, MIXER_EADDR, "empty address");
	if (n > MIXER_ADDR_MAX)
		return errf(err, errlen, MIXER_EADDR,
		    "address longer than %d characters", MIXER_ADDR_MAX);
	for (j = 0; j < n; j++)
		if ((unsigned char)a[j] < 0x20 || (unsigned char)a[j] > 0x7e)
			return errf(err, errlen, MIXER_EADDR,
			    "character 0x%02x at offset %zu",
			    (unsigned char)a[j], j);
	if (a[0] == '@' &&
	    (e = mx_scan_route(a, n, &i, ad, err, errlen)) != MIXER_OK)
		return e;
	if ((e = mx_scan_local(a, n, &i, ad, err, errlen)) != MIXER_OK)
		return e;
	if (i == n)
		return errf(err, errlen, MIXER_EADDR,
		    "no \"@domain\" (an address is local-part@domain)");
	if (a[i] != '@')
		return errf(err, errlen, MIXER_EADDR,
		    "character '%c' at offset %zu in the local part", a[i], i);
	d0 = ++i;
	if (i < n && a[i] == '[') {
		for (i++; i < n && a[i] != ']'; i++)
			if (a[i] == '[' || a[i] == '\\')
				return errf(err, errlen, MIXER_EADDR,
				    "character '%c' in a domain literal", a[i]);
		if (i == n || i + 1 != n)
			return errf(err, errlen, MIXER_EADDR,
			    "bad domain literal");
		ad->literal = 1;
	} else if ((e = mx_scan_domain(a, n, &i, err, errlen)) != MIXER_OK)
		return e;
	else if (i != n)
		return errf(err, errlen, MIXER_EADDR,
		    "character '%c' at offset %zu in the domain", a[i], i);
	memcpy(ad->domain, a + d0, n - d0);
	ad->domain[n - d0] = '\0';
	return MIXER_OK;
}

static int
mx_addr_valid(const char *a)
{
	struct mx_addr	 ad;

	return mx_addr_split(a, &ad, NULL, 0) == MIXER_OK;
}

static void	mx_add_quoted(struct buf *, const char *);

/* A local part as RFC 822 wants it: an atom sequence or quoted. */
static void
mx_add_local(struct buf *out, const char *s)
{
	size_t	 n = strlen(s), i;
	int	 atom = n > 0 && s[0] != '.' && s[n - 1] != '.';

	for (i = 0; atom && i < n; i++)
		if (!mx_atext(s[i]) && !(s[i] == '.' && s[i + 1] != '.'))
			atom = 0;
	if (atom)
		buf_add(out, s, n);
	else
		mx_add_quoted(out, s);
}

/* A quoted-string. */
static void
mx_add_quoted(struct buf *out, const char *s)
{
	size_t	 n = strlen(s), i;

	buf_add_u8(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_add_u8(out, '\\');
		buf_add_u8(out, (uint8_t)s[i]);
	}
	buf_add_u8(out, '"');
}

static int
mx_valid_label(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > MIXER_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!mx_label_char(s[i]))
			return 0;
	return 1;
}

static int
mx_or_empty(const struct orname *or)
{
	return or->present == 0 && or->nou == 0 && or->ndda == 0;
}

static void
mx_copy_attr(struct orname *dst, const struct orname *src, enum or_attr a)
{
	const char *v = orname_get(src, a);

	orname_set(dst, a, v, strlen(v));
	dst->numeric = (dst->numeric & ~(1u << a)) |
	    (src->numeric & (1u << a));
}

#define MX_BIT(a)	(1u << (a))
#define MX_NONMNEM	(MX_BIT(OR_X121) | MX_BIT(OR_TID) | MX_BIT(OR_UAID))

/* The value of level lev (C ADMD PRMD O OU1..OU4) of an address. */
static const char *
mx_level_value(const struct orname *or, unsigned lev)
{
	static const enum or_attr top[4] = { OR_C, OR_ADMD, OR_PRMD, OR_O };

	if (lev < 4)
		return orname_get(or, top[lev]);
	return lev - 4 < or->nou ? or->ou[lev - 4] : NULL;
}

/*
 * 4.3.4 stage I steps 2-5 (rfc2156.txt:2871): the unquoted local part
 * as attributes, or 0 (stage II). No leading, trailing or two adjacent
 * spaces; PrintableString, "{", "}", "*", "$" (and ";", the other
 * std-or separator of 4.1.3); a std-or (it starts with a separator),
 * else an encoded-pn.
 */
static int
mx_lhs(const char *local, struct orname *lhs)
{
	size_t	 n = strlen(local), i;

	orname_init(lhs);
	if (n == 0 || local[0] == ' ' || local[n - 1] == ' ' ||
	    strstr(local, "  ") != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (!ber_chars_ok(BER_PRINTABLE_STRING, local + i, 1) &&
		    strchr("{}*$;", local[i]) == NULL)
			return 0;
	if ((local[0] == '/' || local[0] == ';') &&
	    orname_parse(local, -1, lhs, NULL) == OR_OK)
		return 1;
	return mixer_pn_parse(local, n, lhs) == OR_OK;
}

/* 4.3.4 step 6 / 9: a valid X.400 address (C, ADMD and more). */
static int
mx_complete(const struct orname *or)
{
	return orname_get(or, OR_C) != NULL &&
	    orname_get(or, OR_ADMD) != NULL &&
	    ((or->present & ~(MX_BIT(OR_C) | MX_BIT(OR_ADMD) |
	    MX_BIT(OR_PRMD))) != 0 || or->nou > 0 || or->ndda > 0);
}

/*
 * 4.3.4 step 8 (rfc2156.txt:2900): the domain's longest MCGAM match,
 * and each label left of it the next level after the match - C, ADMD,
 * PRMD, O, OU, the match's omitted levels counted. 1: all labels
 * taken; 0: a label over its bound or a fifth OU (rhs holds what was
 * derived: stage II uses it); -1: no match or a label that is no
 * domain-syntax (nothing derived).
 */
static int
mx_rhs(const struct mixer *mx, const char *domain, struct orname *rhs)
{
	static const enum or_attr top[4] = { OR_C, OR_ADMD, OR_PRMD, OR_O };
	const struct mx_entry *e;
	char		 pre[MIXER_DOMAIN_MAX + 1], *p, *dot;
	size_t		 ml, pl;
	unsigned	 lev;
	int		 ok;

	orname_init(rhs);
	if (strlen(domain) > MIXER_DOMAIN_MAX || (e = mx_match_domain(
	    mx->tab[MIXER_DOMAIN_OR], domain, &ml)) == NULL)
		return -1;
	pl = strlen(domain) - ml;
	pl = pl > 0 ? pl - 1 : 0;		/* the "." before the match */
	memcpy(pre, domain, pl);
	pre[pl] = '\0';
	for (p = pre; pl > 0; p = dot + 1) {	/* all domain-syntax */
		if ((dot = strchr(p, '.')) != NULL)
			*dot = '\0';
		ok = mx_valid_label(p);
		if (dot != NULL)
			*dot = '.';
		if (!ok)
			return -1;
		if (dot == NULL)
			break;
	}
	mx_entry_or(e, rhs);
	for (lev = e->nlev; pl > 0; lev++) {
		dot = strrchr(pre, '.');
		p = dot != NULL ? dot + 1 : pre;
		if (lev >= MIXER_NLEV || (lev < 4 ? orname_set(rhs, top[lev],
		    p, strlen(p)) : orname_set_ou(rhs, lev - 3, p,
		    strlen(p))) != OR_OK)
			return 0;
		if (dot == NULL)
			break;
		*dot = '\0';
	}
	return 1;
}

/*
 * The end of step 8 (rfc2156.txt:2929): all LHS attributes; of the RHS
 * only C if the LHS has an ADMD, C and ADMD if it has a PRMD, C, ADMD
 * and PRMD if it has an O, else all (the LHS OUs below the RHS ones).
 * 0 when the LHS holds a C, or the OUs are more than four.
 */
static int
mx_merge(const struct orname *rhs, const struct orname *lhs,
    struct orname *out)
{
	static const enum or_attr top[4] = { OR_C, OR_ADMD, OR_PRMD, OR_O };
	unsigned	 keep = 4, i;

	if (orname_get(lhs, OR_C) != NULL)
		return 0;
	if (orname_get(lhs, OR_ADMD) != NULL)
		keep = 1;
	else if (orname_get(lhs, OR_PRMD) != NULL)
		keep = 2;
	else if (orname_get(lhs, OR_O) != NULL)
		keep = 3;
	*out = *lhs;
	out->nou = 0;
	for (i = 0; i < keep; i++)
		if (orname_get(rhs, top[i]) != NULL)
			mx_copy_attr(out, rhs, top[i]);
	if (keep == 4)
		for (i = 0; i < rhs->nou; i++)
			if (orname_set_ou(out, out->nou + 1, rhs->ou[i],
			    strlen(rhs->ou[i])) != OR_OK)
				return 0;
	for (i = 0; i < lhs->nou; i++)
		if (orname_set_ou(out, out->nou + 1, lhs->ou[i],
		    strlen(lhs->ou[i])) != OR_OK)
			return 0;
	return 1;
}

/*
 * Stage I of RFC 2156 4.3.4 (rfc2156.txt:2835); 0 when the address
 * needs stage II. A source-routed address always does (step 1).
 */
static int
mx_stage1(const struct mixer *mx, const struct mx_addr *ad, struct orname *or)
{
	struct orname	 lhs, rhs;

	orname_init(or);
	if (ad->route[0] != '\0' || !mx_lhs(ad->local, &lhs))
		return 0;
	if (mx_complete(&lhs)) {		/* step 6 */
		*or = lhs;
		return 1;
	}
	if ((lhs.present & MX_NONMNEM) != 0 || ad->literal)	/* step 7 */
		return 0;
	if (mx_rhs(mx, ad->domain, &rhs) != 1 || !mx_merge(&rhs, &lhs, or))
		return 0;
	if (!mx_complete(or)) {			/* step 9 */
		orname_init(or);
		return 0;
	}
	return 1;
}

static int	mx_rfc822_dda(const struct mixer *, const struct orname *,
		    struct buf *);

/*
 * RFC 2156 4.4.1, recursive mapping at one gateway: an O/R address
 * whose RFC-822 attribute holds an address that this gateway maps to
 * X.400 by stage I is replaced by that X.400 address, so that no
 * needless protocol conversion happens. At most MX_RECURSE rounds; an
 * address that does not map stays as it is.
 */
#define MX_RECURSE	4

int
mixer_or_resolve(const struct mixer *mx, const struct orname *in,
    struct orname *out, int *changed)
{
	struct orname	 cur, next;
	struct mx_addr	 ad;
	struct buf	 a;
	unsigned	 k;
	int		 ok;

	if (mx == NULL || in == NULL || out == NULL)
		return MIXER_EARG;
	cur = *in;
	if (changed != NULL)
		*changed = 0;
	for (k = 0; k < MX_RECURSE; k++) {
		buf_init(&a);
		ok = mx_rfc822_dda(mx, &cur, &a) && !buf_error(&a) &&
		    mx_addr_split(buf_cstr(&a), &ad, NULL, 0) == MIXER_OK;
		buf_free(&a);
		if (!ok || !mx_stage1(mx, &ad, &next))
			break;
		cur = next;
		if (changed != NULL)
			*changed = 1;
	}
	*out = cur;
	return MIXER_OK;
}

/*
 * Stage II (rfc2156.txt:2953): the attributes beside the RFC-822 one -
 * step 8 on the domain routed on (the first of a source route), what
 * it derived even when it stopped; else the domain-gw table's longest
 * match (the preferred gateway, 2997); else the gateway's own address.
 */
static int
mx_stage2_base(const struct mixer *mx, const struct mx_addr *ad,
    struct orname *or)
{
	const char	*dom = ad->route[0] != '\0' ? ad->route : ad->domain;

	if ((ad->route[0] != '\0' || !ad->literal) &&
	    mx_rhs(mx, dom, or) >= 0 && mx_or_empty(or) == 0)
		return 1;
	if ((ad->route[0] != '\0' || !ad->literal) &&
	    mixer_lookup_domain(mx, MIXER_DOMAIN_GW, dom, or, NULL) ==
	    MIXER_OK)
		return 1;
	if (!mx->has_gw)
		return 0;
	*or = mx->gw;
	return 1;
}

int
mixer_822_to_or(const struct mixer *mx, const char *addr, struct orname *or,
    char *err, size_t errlen)
{
	struct mx_addr	 ad;
	struct buf	 esc;
	size_t		 off, n;
	unsigned	 k;
	int		 e;

	if (addr == NULL || or == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	orname_init(or);
	if ((e = mx_addr_split(addr, &ad, err, errlen)) != MIXER_OK)
		return e;
	if (mx_stage1(mx, &ad, or))
		return mixer_or_resolve(mx, or, or, NULL);

	/* Stage II: the address in RFC-822 (and continuations). */
	buf_init(&esc);
	if (orname_ps_encode(addr, strlen(addr), mx->ps, &esc) != OR_OK) {
		buf_free(&esc);
		return errf(err, errlen, MIXER_ENOMEM, "out of memory");
	}
	if (esc.len > MIXER_DDA_TOTAL) {
		n = esc.len;
		buf_free(&esc);
		return errf(err, errlen, MIXER_ESIZE,
		    "address is %zu characters escaped, more than the %d "
		    "that RFC-822 and RFC822C1..C3 hold", n, MIXER_DDA_TOTAL);
	}
	if (!mx_stage2_base(mx, &ad, or)) {
		buf_free(&esc);
		orname_init(or);
		return errf(err, errlen, MIXER_ENOMAP,
		    "%s: no table maps it and no gateway address is set",
		    addr);
	}
	for (off = 0, k = 0; off < esc.len || k == 0; k++) {
		n = esc.len - off;
		if (n > OR_UB_DDA_VALUE)
			n = OR_UB_DDA_VALUE;
		if (orname_add_dda(or, mx_ddatypes[k], (const char *)esc.p +
		    off, n) != OR_OK) {
			buf_free(&esc);
			orname_init(or);
			return errf(err, errlen, MIXER_ESIZE,
			    "%s: no room for the RFC-822 domain-defined "
			    "attributes in the gateway's address", addr);
		}
		off += n;
	}
	buf_free(&esc);
	return MIXER_OK;
}

/*
 * X.400 -> RFC 822 (RFC 2156 4.3.5)
 */

static int
mx_dda_index(const struct orname *or, const char *type)
{
	unsigned i;

	for (i = 0; i < or->ndda && i < OR_UB_DDAS; i++)
		if (strcasecmp(or->dda[i].type, type) == 0)
			return (int)i;
	return -1;
}

/* The decoded RFC-822 attribute and its continuations, if valid. */
static int
mx_rfc822_dda(const struct mixer *mx, const struct orname *or,
    struct buf *out)
{
	struct buf	 v, d;
	unsigned	 k;
	int		 i, ok;

	if (mx_dda_index(or, mx_ddatypes[0]) < 0)
		return 0;
	buf_init(&v);
	buf_init(&d);
	for (k = 0; k < MX_NDDATYPES; k++) {
		if ((i = mx_dda_index(or, mx_ddatypes[k])) < 0)
			break;
		buf_add_str(&v, or->dda[i].value);
	}
	ok = orname_ps_decode((const char *)v.p, v.len, mx->ps, &d) ==
	    OR_OK && !buf_error(&d) && d.len > 0 &&
	    memchr(d.p, '\0', d.len) == NULL && mx_addr_valid(buf_cstr(&d));
	if (ok)
		buf_add(out, d.p, d.len);
	buf_free(&v);
	buf_free(&d);
	return ok;
}

/* Remove the first k OUs. */
static void
mx_drop_ous(struct orname *or, unsigned k)
{
	unsigned i;

	if (k > or->nou)
		k = or->nou;
	for (i = k; i < or->nou; i++)
		memcpy(or->ou[i - k], or->ou[i], sizeof(or->ou[0]));
	or->nou -= k;
}

static int
mx_local_std_or(const struct orname *or, struct buf *out)
{
	struct buf	 t;
	int		 e;

	buf_init(&t);
	if ((e = orname_print(or, &t)) == OR_OK)
		mx_add_local(out, buf_cstr(&t));
	buf_free(&t);
	return e;
}

/* Only personal-name attributes left: encoded-pn if it reads back. */
static int
mx_local_part(const struct orname *rest, struct buf *out)
{
	uint32_t pn = (1u << OR_S) | (1u << OR_G) | (1u << OR_I);
	struct buf t;
	int	 ok;

	buf_init(&t);
	ok = (rest->present & ~pn) == 0 && rest->nou == 0 &&
	    rest->ndda == 0 && mixer_pn_print(rest, &t) == OR_OK;
	if (ok)
		mx_add_local(out, buf_cstr(&t));
	buf_free(&t);
	return ok ? OR_OK : mx_local_std_or(rest, out);
}

/*
 * 4.3.5 step 4 (rfc2156.txt:3196): the levels below a match of nlev
 * levels (domain dlen long), from the next one on while each is present
 * and a valid domain label - an omitted level ends them, so that the
 * rest goes left of "@" (a PRMD missing below an ADMD match keeps the
 * O there). Their values in lab[]; their number.
 */
static unsigned
mx_domain_labels(const struct orname *or, unsigned nlev, size_t dlen,
    const char **lab)
{
	const char	*v;
	unsigned	 lev, nlab = 0;

	for (lev = nlev; lev < MIXER_NLEV; lev++) {
		v = mx_level_value(or, lev);
		if (v == NULL || !mx_valid_label(v) ||
		    dlen + strlen(v) + 1 > MIXER_DOMAIN_MAX)
			break;
		lab[nlab++] = v;
		dlen += strlen(v) + 1;
	}
	return nlab;
}

/* An address without its first nlev levels (C ADMD PRMD O OU1..). */
static void
mx_drop_levels(struct orname *or, unsigned nlev)
{
	static const enum or_attr top[4] = { OR_C, OR_ADMD, OR_PRMD, OR_O };
	unsigned i;

	for (i = 0; i < nlev && i < 4; i++)
		or->present &= ~MX_BIT(top[i]);
	if (nlev > 4)
		mx_drop_ous(or, nlev - 4);
}

/* local "@" labels (most specific first) "." domain */
static int
mx_write_822(const struct orname *rest, const char *const *lab,
    unsigned nlab, const char *dom, int whole, struct buf *out, char *err,
    size_t errlen)
{
	int	 e;

	e = whole ? mx_local_std_or(rest, out) : mx_local_part(rest, out);
	if (e != OR_OK)
		return errf(err, errlen, MIXER_ENOMEM, "%s",
		    orname_strerror(e));
	buf_add_u8(out, '@');
	for (; nlab > 0; nlab--) {
		buf_add_str(out, lab[nlab - 1]);
		buf_add_u8(out, '.');
	}
	buf_add_str(out, dom);
	return buf_error(out) ? errf(err, errlen, MIXER_ENOMEM,
	    "out of memory") : MIXER_OK;
}

/*
 * A match that routes (step 3, rfc2156.txt:3180: "domains with only one
 * component will not route to a gateway").
 */
static const struct mx_entry *
mx_match_routed(const struct mixer *mx, enum mixer_kind k,
    const struct orname *or)
{
	const struct mx_entry *e = mx_match_or(mx->tab[k], or);

	return e != NULL && strchr(e->dom, '.') != NULL ? e : NULL;
}

/*
 * No MCGAM: the or-gw table's preferred gateway (Appendix F 8; 4.3.5
 * example 4, rfc2156.txt:3279: its prefix dropped, the rest left of
 * "@"), else the whole std-or at the gateway's own domain.
 */
static int
mx_822_via_gw(const struct mixer *mx, const struct orname *or,
    struct buf *out, char *err, size_t errlen)
{
	const struct mx_entry *e;
	struct orname	 rest = *or;

	if ((e = mx_match_routed(mx, MIXER_OR_GW, or)) != NULL) {
		mx_drop_levels(&rest, e->nlev);
		if (!mx_or_empty(&rest))
			return mx_write_822(&rest, NULL, 0, e->dom,
			    (or->present & MX_NONMNEM) != 0 || or->xrawlen > 0,
			    out, err, errlen);
	}
	if (mx->gwdomain[0] == '\0')
		return errf(err, errlen, MIXER_ENOMAP,
		    "no table maps the address and no gateway domain is set");
	return mx_write_822(or, NULL, 0, mx->gwdomain, 1, out, err, errlen);
}

/*
 * Mapping B of 4.3.5 (rfc2156.txt:3140). Step 5: an address with an
 * attribute of no mnemonic form (X121, T-ID, UA-ID, an extension
 * attribute such as a postal one) goes whole left of "@".
 */
int
mixer_or_to_822(const struct mixer *mx, const struct orname *or,
    struct buf *out, char *err, size_t errlen)
{
	const struct mx_entry *e;
	struct orname	 rest;
	const char	*lab[MIXER_NLEV];
	unsigned	 nlab;

	if (or == NULL || out == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	if (mx_rfc822_dda(mx, or, out))			/* mapping A */
		return buf_error(out) ? errf(err, errlen, MIXER_ENOMEM,
		    "out of memory") : MIXER_OK;
	if ((e = mx_match_routed(mx, MIXER_OR_DOMAIN, or)) == NULL)
		return mx_822_via_gw(mx, or, out, err, errlen);
	if ((or->present & MX_NONMNEM) != 0 || or->xrawlen > 0)
		return mx_write_822(or, NULL, 0, e->dom, 1, out, err, errlen);
	nlab = mx_domain_labels(or, e->nlev, strlen(e->dom), lab);
	for (;;) {		/* one attribute stays left of "@" */
		rest = *or;
		mx_drop_levels(&rest, e->nlev + nlab);
		if (!mx_or_empty(&rest) || nlab == 0)
			break;
		nlab--;
	}
	if (mx_or_empty(&rest))		/* the address is the table's key */
		return mx_822_via_gw(mx, or, out, err, errlen);
	return mx_write_822(&rest, lab, nlab, e->dom, 0, out, err, errlen);
}

/*
 * Message identifiers (RFC 2156 4.7.3)
 */

/*
 * Whether an addr-spec is the X.400 form id "*" [std-or] "@" "MHS"
 * (4.7.3.3, rfc2156.txt:3879; also at the gateway's own domain, where
 * oxgate wrote it before): id PrintableString of 64 at most, then a
 * std-or or nothing. Fills user (has_user) and the length of id.
 */
static int
mx_star_form(const struct mixer *mx, const struct mx_addr *ad,
    struct orname *user, int *has_user, size_t *idlen)
{
	const char	*star;
	size_t		 n;

	orname_init(user);
	*has_user = 0;
	if (ad->literal || ad->route[0] != '\0' ||
	    (strcasecmp(ad->domain, MIXER_MSGID_DOMAIN) != 0 &&
	    (mx->gwdomain[0] == '\0' ||
	    strcasecmp(ad->domain, mx->gwdomain) != 0)) ||
	    (star = strchr(ad->local, '*')) == NULL)
		return 0;
	n = (size_t)(star - ad->local);
	if (n > MIXER_URI_MAX ||
	    !ber_chars_ok(BER_PRINTABLE_STRING, ad->local, n))
		return 0;
	*idlen = n;
	if (star[1] == '\0')
		return 1;
	if (star[1] == '/' && orname_parse(star + 1, -1, user, NULL) == OR_OK) {
		*has_user = 1;
		return 1;
	}
	orname_init(user);
	return 0;
}

int
mixer_ipm_to_msgid(const struct mixer *mx, const struct orname *user,
    const char *uri, struct buf *out, char *err, size_t errlen)
{
	struct mx_addr	 ad;
	struct orname	 tmp;
	struct buf	 d, loc;
	size_t		 n, idlen;
	int		 e, has;

	if (uri == NULL || out == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	n = strlen(uri);
	if (n > MIXER_URI_MAX)
		return errf(err, errlen, MIXER_ESIZE,
		    "user-relative-identifier longer than %d characters",
		    MIXER_URI_MAX);
	if (!ber_chars_ok(BER_PRINTABLE_STRING, uri, n))
		return errf(err, errlen, MIXER_EADDR,
		    "user-relative-identifier is not a PrintableString");
	if (user == NULL) {
		buf_init(&d);
		if (orname_ps_decode(uri, n, mx->ps, &d) == OR_OK &&
		    !buf_error(&d) && d.len > 0 &&
		    memchr(d.p, '\0', d.len) == NULL && mx_addr_split(buf_cstr(&d), &ad, NULL, 0) ==
		    MIXER_OK && !mx_star_form(mx, &ad, &tmp, &has, &idlen)) {
			buf_add_u8(out, '<');
			buf_add(out, d.p, d.len);
			buf_add_u8(out, '>');
			buf_free(&d);
			return buf_error(out) ? errf(err, errlen,
			    MIXER_ENOMEM, "out of memory") : MIXER_OK;
		}
		buf_free(&d);
	}
	buf_init(&loc);
	buf_add(&loc, uri, n);
	buf_add_u8(&loc, '*');
	if (user != NULL && (e = orname_print(user, &loc)) != OR_OK) {
		buf_free(&loc);
		return errf(err, errlen, MIXER_EADDR, "ORName: %s",
		    orname_strerror(e));
	}
	/* quoted when it holds a std-or, as 4.7.3.2 writes it
	 * (rfc2156.txt:3877): other gateways make the same string */
	buf_add_u8(out, '<');
	if (user != NULL)
		mx_add_quoted(out, buf_cstr(&loc));
	else
		mx_add_local(out, buf_cstr(&loc));
	buf_add_u8(out, '@');
	buf_add_str(out, MIXER_MSGID_DOMAIN);
	buf_add_u8(out, '>');
	buf_free(&loc);
	return buf_error(out) ? errf(err, errlen, MIXER_ENOMEM,
	    "out of memory") : MIXER_OK;
}

int
mixer_msgid_to_ipm(const struct mixer *mx, const char *msgid,
    struct orname *user, int *has_user, struct buf *uri, char *err,
    size_t errlen)
{
	struct mx_addr	 ad;
	struct buf	 esc;
	char		 inner[MIXER_ADDR_MAX + 1];
	size_t		 n, idl;
	int		 e;

	if (msgid == NULL || user == NULL || has_user == NULL || uri == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	orname_init(user);
	*has_user = 0;
	n = strlen(msgid);
	if (n < 3 || msgid[0] != '<' || msgid[n - 1] != '>')
		return errf(err, errlen, MIXER_EADDR,
		    "a msg-id is \"<\" addr-spec \">\"");
	if (n - 2 > MIXER_ADDR_MAX)
		return errf(err, errlen, MIXER_EADDR,
		    "msg-id longer than %d characters", MIXER_ADDR_MAX);
	memcpy(inner, msgid + 1, n - 2);
	inner[n - 2] = '\0';
	if ((e = mx_addr_split(inner, &ad, err, errlen)) != MIXER_OK)
		return e;

	/* id "*" [std-or], generated by a gateway */
	if (mx_star_form(mx, &ad, user, has_user, &idl)) {
		buf_add(uri, ad.local, idl);
		goto done;
	}
	buf_init(&esc);
	orname_ps_encode(inner, strlen(inner), mx->ps, &esc);
	if (buf_error(&esc) || esc.len > MIXER_URI_MAX) {
		n = esc.len;
		buf_free(&esc);
		return errf(err, errlen, MIXER_ESIZE,
		    "msg-id is %zu characters escaped, more than the %d of a "
		    "user-relative-identifier", n, MIXER_URI_MAX);
	}
	buf_add(uri, esc.p, esc.len);
	buf_free(&esc);
done:
	return buf_error(uri) ? errf(err, errlen, MIXER_ENOMEM,
	    "out of memory") : MIXER_OK;
}

/*
 * X.400(1984) (RFC 2156 Appendix B, rfc2156.txt:6503): a common name
 * becomes the domain-defined attribute "Common"; 1984 has no other
 * extension attribute ("No teletex encoding is allowed",
 * rfc2156.txt:6480): an address with one (a teletex value) is refused.
 */
int
mixer_or_1984(const struct orname *in, struct orname *out, char *err,
    size_t errlen)
{
	const char	*cn = orname_get(in, OR_CN);

	if (in == NULL || out == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	*out = *in;
	if (in->xrawlen > 0)
		return errf(err, errlen, MIXER_EADDR, "an extension attribute "
		    "that X.400(1984) has no form for");
	if (cn == NULL)
		return MIXER_OK;
	out->present &= ~MX_BIT(OR_CN);
	if (orname_add_dda(out, MIXER_DDA_COMMON, cn, strlen(cn)) != OR_OK) {
		*out = *in;
		return errf(err, errlen, MIXER_ESIZE, "no room for the common "
		    "name as domain-defined attribute %s (four at most)",
		    MIXER_DDA_COMMON);
	}
	return MIXER_OK;
}

/*
 * In-Reply-To and References (4.7.3.5, rfc2156.txt:3912): an IPM
 * identifier without ORName whose user-relative-identifier is no
 * msg-id is the phrase of that text, quoted; any other is its msg-id.
 */
int
mixer_ipm_to_ref(const struct mixer *mx, const struct orname *user,
    const char *uri, struct buf *out, char *err, size_t errlen)
{
	struct mx_addr	 ad;
	struct buf	 d;
	int		 phrase;

	if (uri == NULL || out == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	if (user != NULL)
		return mixer_ipm_to_msgid(mx, user, uri, out, err, errlen);
	buf_init(&d);
	phrase = orname_ps_decode(uri, strlen(uri), mx->ps, &d) == OR_OK &&
	    !buf_error(&d) && d.len > 0 && memchr(d.p, '\0', d.len) ==
	    NULL && mx_addr_split(buf_cstr(&d), &ad, NULL, 0) != MIXER_OK;
	if (phrase)
		mx_add_quoted(out, buf_cstr(&d));
	buf_free(&d);
	if (phrase)
		return buf_error(out) ? errf(err, errlen, MIXER_ENOMEM,
		    "out of memory") : MIXER_OK;
	return mixer_ipm_to_msgid(mx, NULL, uri, out, err, errlen);
}

/*
 * And back: "<msg-id>" as mixer_msgid_to_ipm(); anything else is a
 * phrase (quotes removed), escaped into the user-relative-identifier.
 */
int
mixer_ref_to_ipm(const struct mixer *mx, const char *ref,
    struct orname *user, int *has_user, struct buf *uri, char *err,
    size_t errlen)
{
	struct buf	 t, esc;
	size_t		 n, i;
	int		 e = MIXER_OK;

	if (ref == NULL || user == NULL || has_user == NULL || uri == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	if (ref[0] == '<')
		return mixer_msgid_to_ipm(mx, ref, user, has_user, uri, err,
		    errlen);
	orname_init(user);
	*has_user = 0;
	buf_init(&t);
	buf_init(&esc);
	n = strlen(ref);
	for (i = 0; i < n; i++) {
		if (ref[i] == '"')
			continue;
		if (ref[i] == '\\' && i + 1 < n)
			i++;
		buf_add_u8(&t, (uint8_t)ref[i]);
	}
	if (orname_ps_encode(t.p, t.len, mx->ps, &esc) != OR_OK ||
	    buf_error(&esc))
		e = errf(err, errlen, MIXER_EADDR, "phrase is not ASCII");
	else if (esc.len > MIXER_URI_MAX)
		e = errf(err, errlen, MIXER_ESIZE, "phrase is %zu characters "
		    "escaped, more than the %d of a user-relative-identifier",
		    esc.len, MIXER_URI_MAX);
	else
		buf_add(uri, esc.p, esc.len);
	buf_free(&t);
	buf_free(&esc);
	return e;
}

/*
 * The text interface (oxaddr(1), tests/rfc2156/cases)
 */

static const char *const mx_verbs[MIXER_NVERB] = {
	[MIXER_V_TOOR] = "toor", [MIXER_V_TO822] = "to822",
	[MIXER_V_ESCAPE] = "escape", [MIXER_V_UNESCAPE] = "unescape",
	[MIXER_V_MSGID] = "msgid", [MIXER_V_IPMID] = "ipmid",
	[MIXER_V_STDOR] = "stdor", [MIXER_V_PN] = "pn",
	[MIXER_V_RESOLVE] = "resolve", [MIXER_V_REF] = "ref",
	[MIXER_V_REFID] = "refid", [MIXER_V_OR1984] = "or1984",
};

int
mixer_verb(const char *name)
{
	int	 v;

	for (v = 0; v < MIXER_NVERB; v++)
		if (strcmp(name, mx_verbs[v]) == 0)
			return v;
	return -1;
}

static int
mx_stdor_arg(const char *in, struct orname *or, char *err, size_t errlen)
{
	struct or_err	 oe;

	if (orname_parse(in, -1, or, &oe) != OR_OK)
		return errf(err, errlen, MIXER_EADDR, "not a std-or address: "
		    "%s%s%s", oe.key, oe.key[0] != '\0' ? ": " : "",
		    orname_strerror(oe.code));
	return MIXER_OK;
}

/* id-loc "[uri] * [std-or]" to a msg-id (4.7.3.4), or a reference. */
static int
mx_run_msgid(const struct mixer *mx, int ref, const char *in,
    struct buf *out, char *err, size_t errlen)
{
	struct orname	 user;
	const char	*star = strchr(in, '*');
	char		 uri[MIXER_URI_MAX + 1];
	size_t		 n;
	int		 e;

	if (star == NULL)
		return errf(err, errlen, MIXER_EADDR, "no \"*\": an IPM "
		    "identifier is written [user-relative-id]*[std-or]");
	if ((n = (size_t)(star - in)) > MIXER_URI_MAX)
		return errf(err, errlen, MIXER_ESIZE, "user-relative-"
		    "identifier longer than %d characters", MIXER_URI_MAX);
	memcpy(uri, in, n);
	uri[n] = '\0';
	if (star[1] != '\0' &&
	    (e = mx_stdor_arg(star + 1, &user, err, errlen)) != MIXER_OK)
		return e;
	return (ref ? mixer_ipm_to_ref : mixer_ipm_to_msgid)(mx,
	    star[1] != '\0' ? &user : NULL, uri, out, err, errlen);
}

/* msg-id (or a reference) to id-loc (4.7.3.3). */
static int
mx_run_ipmid(const struct mixer *mx, int ref, const char *in,
    struct buf *out, char *err, size_t errlen)
{
	struct orname	 user;
	struct buf	 uri;
	int		 e, has;

	buf_init(&uri);
	if ((e = (ref ? mixer_ref_to_ipm : mixer_msgid_to_ipm)(mx, in, &user,
	    &has, &uri, err, errlen)) == MIXER_OK) {
		buf_add(out, uri.p, uri.len);
		buf_add_u8(out, '*');
		if (has && orname_print(&user, out) != OR_OK)
			e = errf(err, errlen, MIXER_EADDR, "cannot print");
	}
	buf_free(&uri);
	return e;
}

/* The escapes both ways (3.4), the error at its offset. */
static int
mx_run_ps(const struct mixer *mx, int enc, const char *in, struct buf *out,
    char *err, size_t errlen)
{
	size_t	 off = 0;
	int	 e;

	e = enc ? orname_ps_encode(in, strlen(in), mx->ps, out) :
	    orname_ps_decode_at(in, strlen(in), mx->ps, out, &off);
	if (e == OR_ECHARS && enc)
		return errf(err, errlen, MIXER_EADDR, "a byte above 127 (RFC "
		    "2156 3.4 maps ASCII, 0-127)");
	if (e == OR_ECHARS)
		return errf(err, errlen, MIXER_EADDR, "offset %zu: \"%.5s\" "
		    "is above 127 (RFC 2156 3.4: 0-127 only)", off, in + off);
	return e == OR_OK ? MIXER_OK : errf(err, errlen, MIXER_ENOMEM,
	    "%s", orname_strerror(e));
}

int
mixer_run(const struct mixer *mx, enum mixer_verb v, const char *in,
    struct buf *out, char *err, size_t errlen)
{
	struct orname	 or, res;
	int		 e = MIXER_OK;

	if (mx == NULL || in == NULL || out == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	switch (v) {
	case MIXER_V_ESCAPE:
	case MIXER_V_UNESCAPE:
		return mx_run_ps(mx, v == MIXER_V_ESCAPE, in, out, err, errlen);
	case MIXER_V_MSGID:
	case MIXER_V_REF:
		return mx_run_msgid(mx, v == MIXER_V_REF, in, out, err, errlen);
	case MIXER_V_IPMID:
	case MIXER_V_REFID:
		return mx_run_ipmid(mx, v == MIXER_V_REFID, in, out, err,
		    errlen);
	case MIXER_V_TOOR:
		if ((e = mixer_822_to_or(mx, in, &res, err, errlen)) ==
		    MIXER_OK)
			e = orname_print(&res, out) == OR_OK ? MIXER_OK :
			    errf(err, errlen, MIXER_ENOMEM, "out of memory");
		return e;
	case MIXER_V_TO822:
	case MIXER_V_STDOR:
	case MIXER_V_PN:
	case MIXER_V_RESOLVE:
	case MIXER_V_OR1984:
		if ((e = mx_stdor_arg(in, &or, err, errlen)) != MIXER_OK)
			return e;
		if (v == MIXER_V_OR1984 &&
		    (e = mixer_or_1984(&or, &or, err, errlen)) != MIXER_OK)
			return e;
		if (v == MIXER_V_TO822)
			return mixer_or_to_822(mx, &or, out, err, errlen);
		if (v == MIXER_V_PN)
			return mixer_pn_print(&or, out) == OR_OK ? MIXER_OK :
			    errf(err, errlen, MIXER_EADDR, "no encoded-pn for "
			    "these attributes (4.1.2)");
		if (v == MIXER_V_RESOLVE)
			mixer_or_resolve(mx, &or, &or, NULL);
		return orname_print(&or, out) == OR_OK ? MIXER_OK :
		    errf(err, errlen, MIXER_ENOMEM, "out of memory");
	default:
		return errf(err, errlen, MIXER_EARG, "unknown verb");
	}
}
