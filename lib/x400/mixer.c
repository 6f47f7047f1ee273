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

struct mx_entry {
	char		*dom;			/* as written */
	char		*lev[MIXER_NLEV];	/* NULL: absent ("@") */
	unsigned	 nlev;
	unsigned long	 line;
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
	for (i = 0; i < t->n; i++)
		free(t->e[i].dom);
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
 * right, "\." a dot in a value, "@" an absent attribute.
 */
static int
mx_parse_or(const char *s, size_t n, struct mixer_line *ln, char *err,
    size_t errlen)
{
	char		 val[MIXER_NLEV][OR_UB_ORGANIZATION + 1];
	size_t		 vlen[MIXER_NLEV];
	int		 lev[MIXER_NLEV], absent[MIXER_NLEV];
	struct orname	 chk;
	size_t		 i = 0, ks, len;
	unsigned	 np = 0, j, k;
	int		 l, e;

	if (n == 0)
		return errf(err, errlen, MIXER_ETABLE, "empty O/R address");
	for (;;) {
		if (np == MIXER_NLEV)
			return errf(err, errlen, MIXER_ETABLE,
			    "more than %d attributes (C, ADMD, PRMD, O and "
			    "four OUs)", MIXER_NLEV);
		ks = i;
		while (i < n && s[i] != '$' && s[i] != '.')
			i++;
		if (i == n || s[i] != '$')
			return errf(err, errlen, MIXER_ETABLE,
			    "\"%.*s\" is not key$value", (int)(i - ks), s + ks);
		if ((l = mx_key_level(s + ks, i - ks)) < 0)
			return errf(err, errlen, MIXER_ETABLE,
			    "unknown key \"%.*s\" (C, ADMD, PRMD, O, OU)",
			    (int)(i - ks), s + ks);
		i++;				/* "$" */
		len = 0;
		while (i < n && s[i] != '.') {
			if (s[i] == '\\') {
				if (i + 1 == n || s[i + 1] != '.')
					return errf(err, errlen, MIXER_ETABLE,
					    "\"\\\" in a %s value not followed "
					    "by \".\"", mx_levname[l]);
				i++;
			}
			if (len == OR_UB_ORGANIZATION)
				return errf(err, errlen, MIXER_ETABLE,
				    "%s value longer than %d characters",
				    mx_levname[l], OR_UB_ORGANIZATION);
			val[np][len++] = s[i++];
		}
		val[np][len] = '\0';
		vlen[np] = len;
		lev[np] = l;
		absent[np] = len == 1 && val[np][0] == '@';
		if (len == 0)
			return errf(err, errlen, MIXER_ETABLE,
			    "empty %s value (write %s$@ for an absent "
			    "attribute)", mx_levname[l], mx_levname[l]);
		np++;
		if (i == n)
			break;
		i++;				/* "." */
	}

	/* Right to left: C, ADMD, PRMD, O, OU... */
	orname_init(&chk);
	memset(ln->lev, 0, sizeof(ln->lev));
	ln->absent = 0;
	ln->nlev = np;
	for (k = 0; k < np; k++) {
		j = np - 1 - k;
		l = lev[j];
		if ((k < 4 && l != (int)k) || (k >= 4 && l != 4))
			return errf(err, errlen, MIXER_ETABLE,
			    "%s where %s belongs: the attributes go C, ADMD, "
			    "PRMD, O, OU from the right%s%s%s", mx_levname[l],
			    mx_levname[k < 4 ? k : 4], k >= 2 ? " (write " :
			    "", k >= 2 ? mx_levname[k < 4 ? k : 4] : "",
			    k >= 2 ? "$@ for an absent one)" : "");
		if (k > 0 && (ln->absent & (1u << (k - 1))) && k - 1 >= 3)
			return errf(err, errlen, MIXER_ETABLE,
			    "%s below an absent %s", mx_levname[k],
			    mx_levname[k - 1]);
		if (absent[j]) {
			if (k < 2)
				return errf(err, errlen, MIXER_ETABLE,
				    "%s cannot be absent", mx_levname[k]);
			ln->absent |= 1u << k;
			continue;
		}
		if (k < 4)
			e = orname_set(&chk, k == 0 ? OR_C : k == 1 ? OR_ADMD :
			    k == 2 ? OR_PRMD : OR_O, val[j], vlen[j]);
		else
			e = orname_set_ou(&chk, k - 3, val[j], vlen[j]);
		if (e != OR_OK)
			return errf(err, errlen, MIXER_ETABLE,
			    "%s value \"%s\": %s", mx_levname[k], val[j],
			    orname_strerror(e));
		memcpy(ln->lev[k], val[j], vlen[j] + 1);
	}
	return MIXER_OK;
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
		e = mx_parse_or(h1 + 1, n2, ln, err, errlen);
	} else {
		if ((e = mx_parse_or(s, n1, ln, err, errlen)) != MIXER_OK)
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
	dl = strlen(ln->domain);
	sz = dl + 1;
	for (i = 0; i < ln->nlev; i++)
		sz += strlen(ln->lev[i]) + 1;
	if ((p = malloc(sz)) == NULL)
		return errf(err, errlen, MIXER_ENOMEM, "%s:%lu: out of memory",
		    name, line);
	memcpy(p, ln->domain, dl + 1);
	e.dom = p;
	off = dl + 1;
	for (i = 0; i < ln->nlev; i++) {
		if (ln->absent & (1u << i))
			continue;
		l = strlen(ln->lev[i]);
		memcpy(p + off, ln->lev[i], l + 1);
		e.lev[i] = p + off;
		off += l + 1;
	}
	e.nlev = ln->nlev;
	e.line = line;

	old = mx_domain_keyed(kind) ? mx_find_domain(t, e.dom, dl) :
	    mx_find_levels(t, e.lev, e.nlev);
	if (old != NULL) {
		free(p);
		return errf(err, errlen, MIXER_EDUP,
		    "%s:%lu: %s given again (first at line %lu)", name, line,
		    mx_domain_keyed(kind) ? "domain" : "O/R address",
		    old->line);
	}
	if (t->n == t->cap) {
		sz = t->cap ? t->cap * 2 : 64;
		if ((ne = reallocarray(t->e, sz, sizeof(*ne))) == NULL) {
			free(p);
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

static int
mx_load_line(struct mixer_table *t, enum mixer_kind kind, const char *name,
    unsigned long line, const char *s, size_t n, char *err, size_t errlen)
{
	struct mixer_line ln;
	char		 why[256];
	int		 e;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if ((e = mixer_line_parse(kind, s, n, &ln, why, sizeof(why))) !=
	    MIXER_OK)
		return errf(err, errlen, e, "%s:%lu: %s", name, line, why);
	if (ln.nlev == 0)
		return MIXER_OK;
	return mx_table_add(t, kind, &ln, name, line, err, errlen);
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
		if ((e = mx_load_line(t, kind, name, line, text, n, err,
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
		if ((e = mx_load_line(t, kind, path, line, s, (size_t)n, err,
		    errlen)) != MIXER_OK)
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

static const struct mx_entry *
mx_match_or(const struct mixer_table *t, const struct orname *or)
{
	const struct mx_entry *e;
	char		*lev[MIXER_NLEV];
	unsigned	 k;

	mx_or_levels(or, lev);
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

/*
 * encoded-pn (RFC 2156 4.2.1): [ given "." ] *( initial "." ) surname,
 * given two or more characters without ".", initial one letter.
 */
int
mixer_pn_parse(const char *s, size_t n, struct orname *or)
{
	char		 ini[OR_UB_INITIALS + 1];
	size_t		 i = 0, j, ni = 0;
	int		 e;

	orname_init(or);
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return OR_ESYNTAX;
	for (j = 1; j < n; j++)
		if (s[j] == '.' && s[j - 1] == '.')
			return OR_ESYNTAX;
	if (!ber_chars_ok(BER_PRINTABLE_STRING, s, n))
		return OR_ECHARS;
	/* given: a first component of two or more characters */
	for (j = 0; j < n && s[j] != '.'; j++)
		;
	if (j < n && j >= 2) {
		if ((e = orname_set(or, OR_G, s, j)) != OR_OK)
			return e;
		i = j + 1;
	}
	/* initials: one-letter components before the last */
	while (i + 1 < n && s[i + 1] == '.' && isalpha((unsigned char)s[i])) {
		if (ni == OR_UB_INITIALS)
			return OR_ESIZE;
		ini[ni++] = s[i];
		i += 2;
	}
	if (ni > 0 && (e = orname_set(or, OR_I, ini, ni)) != OR_OK)
		return e;
	return orname_set(or, OR_S, s + i, n - i);
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
};

static int
mx_addr_split(const char *a, struct mx_addr *ad, char *err, size_t errlen)
{
	size_t	 n = strlen(a), i = 0, lo = 0, d0, j;
	int	 word;

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
	/* local-part: word *("." word) */
	for (word = 0;; word++) {
		if (i < n && a[i] == '"') {
			for (i++; i < n && a[i] != '"'; i++) {
				if (a[i] == '\\' && ++i == n)
					break;
				ad->local[lo++] = a[i];
			}
			if (i >= n)
				return errf(err, errlen, MIXER_EADDR,
				    "unterminated quoted string");
			i++;
		} else {
			j = i;
			while (i < n && mx_atext(a[i]))
				ad->local[lo++] = a[i++];
			if (i == j && i == n)
				return errf(err, errlen, MIXER_EADDR,
				    "empty word at the end of the local part");
			if (i == j)
				return errf(err, errlen, MIXER_EADDR,
				    "character '%c' at offset %zu in the local "
				    "part", a[i], i);
		}
		if (i < n && a[i] == '.') {
			ad->local[lo++] = '.';
			i++;
			continue;
		}
		break;
	}
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
	} else {
		for (;;) {
			j = i;
			while (i < n && mx_atext(a[i]))
				i++;
			if (i == j && i == n)
				return errf(err, errlen, MIXER_EADDR,
				    "empty domain label at the end");
			if (i == j)
				return errf(err, errlen, MIXER_EADDR,
				    "character '%c' at offset %zu in the "
				    "domain", a[i], i);
			if (i < n && a[i] == '.') {
				i++;
				continue;
			}
			break;
		}
		if (i != n)
			return errf(err, errlen, MIXER_EADDR,
			    "character '%c' at offset %zu in the domain", a[i],
			    i);
	}
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

/* A local part as RFC 822 wants it: an atom sequence or quoted. */
static void
mx_add_local(struct buf *out, const char *s)
{
	size_t	 n = strlen(s), i;
	int	 atom = n > 0 && s[0] != '.' && s[n - 1] != '.';

	for (i = 0; atom && i < n; i++)
		if (!mx_atext(s[i]) && !(s[i] == '.' && s[i + 1] != '.'))
			atom = 0;
	if (atom) {
		buf_add(out, s, n);
		return;
	}
	buf_add_u8(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_add_u8(out, '\\');
		buf_add_u8(out, (uint8_t)s[i]);
	}
	buf_add_u8(out, '"');
}

static void
mx_copy_attr(struct orname *dst, const struct orname *src, enum or_attr a)
{
	const char *v = orname_get(src, a);

	orname_set(dst, a, v, strlen(v));
	dst->numeric = (dst->numeric & ~(1u << a)) |
	    (src->numeric & (1u << a));
}

/* Merge the local part's attributes under the domain's; 0 on a clash. */
static int
mx_merge(struct orname *base, const struct orname *loc)
{
	unsigned i;
	int	 a;

	for (a = 0; a < OR_NATTR; a++) {
		if (orname_get(loc, a) == NULL)
			continue;
		if (orname_get(base, a) != NULL)
			return 0;
		mx_copy_attr(base, loc, a);
	}
	if (loc->nou > 0 && orname_get(base, OR_O) == NULL)
		return 0;
	for (i = 0; i < loc->nou; i++)
		if (orname_set_ou(base, base->nou + 1, loc->ou[i],
		    strlen(loc->ou[i])) != OR_OK)
			return 0;
	for (i = 0; i < loc->ndda; i++)
		if (orname_add_dda(base, loc->dda[i].type, loc->dda[i].value,
		    strlen(loc->dda[i].value)) != OR_OK)
			return 0;
	return 1;
}

/* Stage I of RFC 2156 4.3.4; 0 when the address needs stage II. */
static int
mx_stage1(const struct mixer *mx, const struct mx_addr *ad, struct orname *or)
{
	struct orname	 loc;
	size_t		 ml, n, end, st;

	if (ad->literal || mixer_lookup_domain(mx, MIXER_DOMAIN_OR,
	    ad->domain, or, &ml) != MIXER_OK)
		return 0;
	/* labels left of the match: O, then OUs, right to left */
	n = strlen(ad->domain);
	if (ml < n) {
		end = n - ml - 1;		/* the "." before the match */
		while (end > 0) {
			st = end;
			while (st > 0 && ad->domain[st - 1] != '.')
				st--;
			if (orname_get(or, OR_O) == NULL) {
				if (orname_set(or, OR_O, ad->domain + st,
				    end - st) != OR_OK)
					return 0;
			} else if (orname_set_ou(or, or->nou + 1,
			    ad->domain + st, end - st) != OR_OK)
				return 0;
			end = st > 0 ? st - 1 : 0;
		}
	}
	if (ad->local[0] == '/') {
		if (orname_parse(ad->local, -1, &loc, NULL) != OR_OK)
			return 0;
	} else if (mixer_pn_parse(ad->local, strlen(ad->local), &loc) != OR_OK)
		return 0;
	return mx_merge(or, &loc);
}

/*
 * RFC 2156 4.4.2 ("The mappings defined are symmetrical and reversible
 * across a single gateway"): a whole O/R address written as std-or at
 * the domain of this gateway, or at the domain that the or-gw table
 * gives for that very address, is that O/R address. It is what 4.3.5
 * writes for an address that no or-domain line maps, so it must come
 * back unchanged. Only a std-or with a country counts: "/S=x/" at the
 * gateway's domain is a local part under its domain-or line (stage I).
 */
static int
mx_gateway_std_or(const struct mixer *mx, const struct mx_addr *ad,
    struct orname *or)
{
	struct buf	 dom;
	int		 ok;

	if (ad->literal || ad->local[0] != '/' ||
	    orname_parse(ad->local, -1, or, NULL) != OR_OK ||
	    orname_get(or, OR_C) == NULL)
		return 0;
	if (mx->gwdomain[0] != '\0' && strcasecmp(ad->domain, mx->gwdomain) == 0)
		return 1;
	buf_init(&dom);
	ok = mixer_lookup_or(mx, MIXER_OR_GW, or, &dom, NULL) == MIXER_OK &&
	    !buf_error(&dom) && strcasecmp(buf_cstr(&dom), ad->domain) == 0;
	buf_free(&dom);
	return ok;
}

static int	mx_rfc822_dda(const struct mixer *, const struct orname *,
		    struct buf *);

/*
 * RFC 2156 4.4.1, recursive mapping at one gateway: an O/R address
 * whose RFC-822 attribute holds an address that this gateway maps to
 * X.400 by a table (stage I) or as a gateway std-or is replaced by that
 * X.400 address, so that no needless protocol conversion happens. At
 * most MX_RECURSE rounds; an address that does not map stays as it is.
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
		if (!ok)
			break;
		orname_init(&next);
		if (!mx_gateway_std_or(mx, &ad, &next) &&
		    !mx_stage1(mx, &ad, &next))
			break;
		cur = next;
		if (changed != NULL)
			*changed = 1;
	}
	*out = cur;
	return MIXER_OK;
}

int
mixer_822_to_or(const struct mixer *mx, const char *addr, struct orname *or,
    char *err, size_t errlen)
{
	struct mx_addr	 ad;
	struct orname	 t;
	struct buf	 esc;
	size_t		 off, n;
	unsigned	 k;
	int		 e;

	if (addr == NULL || or == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	orname_init(or);
	if ((e = mx_addr_split(addr, &ad, err, errlen)) != MIXER_OK)
		return e;
	if (mx_gateway_std_or(mx, &ad, &t))
		return mixer_or_resolve(mx, &t, or, NULL);
	orname_init(or);
	if (mx_stage1(mx, &ad, or))
		return MIXER_OK;

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
	if (ad.literal || mixer_lookup_domain(mx, MIXER_DOMAIN_GW, ad.domain,
	    or, NULL) != MIXER_OK) {
		if (!mx->has_gw) {
			buf_free(&esc);
			orname_init(or);
			return errf(err, errlen, MIXER_ENOMAP,
			    "%s: no table maps it and no gateway address is "
			    "set", addr);
		}
		*or = mx->gw;
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

/* No O/R -> domain match: the std-or left of the gateway's domain. */
static int
mx_822_via_gw(const struct mixer *mx, const struct orname *or,
    struct buf *out, char *err, size_t errlen)
{
	struct buf	 dom;
	int		 e;

	buf_init(&dom);
	if (mixer_lookup_or(mx, MIXER_OR_GW, or, &dom, NULL) != MIXER_OK) {
		if (mx->gwdomain[0] == '\0') {
			buf_free(&dom);
			return errf(err, errlen, MIXER_ENOMAP,
			    "no table maps the address and no gateway domain "
			    "is set");
		}
		buf_add_str(&dom, mx->gwdomain);
	}
	if ((e = mx_local_std_or(or, out)) != OR_OK) {
		buf_free(&dom);
		return errf(err, errlen, MIXER_ENOMEM, "%s",
		    orname_strerror(e));
	}
	buf_add_u8(out, '@');
	buf_add(out, dom.p, dom.len);
	buf_free(&dom);
	return buf_error(out) ? errf(err, errlen, MIXER_ENOMEM,
	    "out of memory") : MIXER_OK;
}

/*
 * The levels below a match of nlev levels (domain dlen long) that are
 * valid domain labels, in lab[]: PRMD is skipped when absent, O and
 * then the OUs follow; their number.
 */
static unsigned
mx_domain_labels(const struct orname *or, unsigned nlev, size_t dlen,
    const char **lab)
{
	const char	*v;
	unsigned	 lev, nlab = 0;

	for (lev = nlev; lev < MIXER_NLEV; lev++) {
		if (lev == 2) {
			if (orname_get(or, OR_PRMD) != NULL)
				break;
			continue;
		}
		if (lev < 2)
			break;
		v = lev == 3 ? orname_get(or, OR_O) :
		    lev - 4 < or->nou ? or->ou[lev - 4] : NULL;
		if (v == NULL || !mx_valid_label(v) ||
		    dlen + strlen(v) + 1 > MIXER_DOMAIN_MAX)
			break;
		if (lev > 3 && orname_get(or, OR_O) == NULL)
			break;
		lab[nlab++] = v;
		dlen += strlen(v) + 1;
	}
	return nlab;
}

/*
 * rest without what became labels (and the ouskip OUs of the match),
 * keeping one attribute left of "@": labels are given back from the
 * most specific until something is left. The labels used, in *nlab.
 */
static void
mx_drop_labels(const struct orname *or, struct orname *rest,
    const char **lab, unsigned *nlab, unsigned ouskip)
{
	struct orname	 t;
	unsigned	 i, nou_lab;

	for (;;) {
		t = *rest;
		nou_lab = 0;
		for (i = 0; i < *nlab; i++) {
			if (lab[i] == orname_get(or, OR_O))
				t.present &= ~(1u << OR_O);
			else
				nou_lab++;
		}
		mx_drop_ous(&t, ouskip + nou_lab);
		if (!mx_or_empty(&t) || *nlab == 0) {
			*rest = t;
			return;
		}
		(*nlab)--;
	}
}

int
mixer_or_to_822(const struct mixer *mx, const struct orname *or,
    struct buf *out, char *err, size_t errlen)
{
	static const enum or_attr top[4] = { OR_C, OR_ADMD, OR_PRMD, OR_O };
	struct orname	 rest;
	struct buf	 dom;
	const char	*lab[1 + OR_UB_OUS];
	unsigned	 nlev, lev, nlab, i;
	int		 e;

	if (or == NULL || out == NULL)
		return errf(err, errlen, MIXER_EARG, "bad argument");
	if (mx_rfc822_dda(mx, or, out))
		return buf_error(out) ? errf(err, errlen, MIXER_ENOMEM,
		    "out of memory") : MIXER_OK;
	buf_init(&dom);
	if (mixer_lookup_or(mx, MIXER_OR_DOMAIN, or, &dom, &nlev) != MIXER_OK)
		goto nomatch;
	rest = *or;
	for (lev = 0; lev < nlev && lev < 4; lev++)
		rest.present &= ~(1u << top[lev]);
	nlab = mx_domain_labels(or, nlev, dom.len, lab);
	mx_drop_labels(or, &rest, lab, &nlab, nlev > 4 ? nlev - 4 : 0);
	if (mx_or_empty(&rest))
		goto nomatch;		/* the address is the table's key */
	if ((e = mx_local_part(&rest, out)) != OR_OK) {
		buf_free(&dom);
		return errf(err, errlen, MIXER_ENOMEM, "%s",
		    orname_strerror(e));
	}
	buf_add_u8(out, '@');
	for (i = nlab; i > 0; i--) {
		buf_add_str(out, lab[i - 1]);
		buf_add_u8(out, '.');
	}
	buf_add(out, dom.p, dom.len);
	buf_free(&dom);
	return buf_error(out) ? errf(err, errlen, MIXER_ENOMEM,
	    "out of memory") : MIXER_OK;

nomatch:
	buf_free(&dom);
	return mx_822_via_gw(mx, or, out, err, errlen);
}

/*
 * Message identifiers (RFC 2156 4.7.3)
 */

/*
 * Whether an addr-spec is the gateway form id "*" [std-or] "@" domain:
 * id PrintableString of 64 at most, then a std-or, or nothing at the
 * gateway's own domain. Fills user (has_user) and the length of id.
 */
static int
mx_star_form(const struct mixer *mx, const struct mx_addr *ad,
    struct orname *user, int *has_user, size_t *idlen)
{
	const char	*star;
	size_t		 n;

	orname_init(user);
	*has_user = 0;
	if ((star = strchr(ad->local, '*')) == NULL)
		return 0;
	n = (size_t)(star - ad->local);
	if (n > MIXER_URI_MAX ||
	    !ber_chars_ok(BER_PRINTABLE_STRING, ad->local, n))
		return 0;
	*idlen = n;
	if (star[1] == '/' && orname_parse(star + 1, -1, user, NULL) == OR_OK) {
		*has_user = 1;
		return 1;
	}
	orname_init(user);
	return star[1] == '\0' && !ad->literal && mx->gwdomain[0] != '\0' &&
	    strcasecmp(ad->domain, mx->gwdomain) == 0;
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
	if (mx->gwdomain[0] == '\0')
		return errf(err, errlen, MIXER_ENOMAP,
		    "no gateway domain is set for the msg-id");
	buf_init(&loc);
	buf_add(&loc, uri, n);
	buf_add_u8(&loc, '*');
	if (user != NULL && (e = orname_print(user, &loc)) != OR_OK) {
		buf_free(&loc);
		return errf(err, errlen, MIXER_EADDR, "ORName: %s",
		    orname_strerror(e));
	}
	buf_add_u8(out, '<');
	mx_add_local(out, buf_cstr(&loc));
	buf_add_u8(out, '@');
	buf_add_str(out, mx->gwdomain);
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
