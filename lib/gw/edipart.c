/*
 * NAME
 *	edipart - the EDI trading-partner table (see edipart.h)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw/edipart.h"
#include "gw/unb.h"
#include "util/err.h"

void
edipart_free(struct edipart_table *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* UNB identification characters: EDIFACT level A/B printable, no blank. */
static int
id_ok(const char *s, size_t n, size_t max)
{
	size_t	 i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] > '~' ||
		    s[i] == ':' || s[i] == '+' || s[i] == '\'' || s[i] == '?')
			return 0;
	return 1;
}

static int
parse_line(struct edipart *e, char *line, char *why, size_t wlen)
{
	struct or_err oe;
	char	*p = line, *id, *addr, *colon, *end;
	size_t	 n;

	while (*p == ' ' || *p == '\t')
		p++;
	id = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p == '\0')
		return errf(why, wlen, -1, "no O/R address after '%.40s'", id);
	*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	addr = p;
	end = addr + strlen(addr);
	while (end > addr && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	memset(e, 0, sizeof(*e));
	if ((colon = strchr(id, ':')) != NULL) {
		*colon = '\0';
		n = strlen(colon + 1);
		if (!id_ok(colon + 1, n, EDIPART_QUAL_MAX))
			return errf(why, wlen, -1, "bad qualifier '%.40s' "
			    "(1 to %d characters)", colon + 1,
			    EDIPART_QUAL_MAX);
		memcpy(e->qual, colon + 1, n + 1);
	}
	n = strlen(id);
	if (!id_ok(id, n, EDIPART_ID_MAX))
		return errf(why, wlen, -1, "bad interchange ID '%.40s' (1 to "
		    "%d characters, no blank, : + ' or ?)", id, EDIPART_ID_MAX);
	memcpy(e->id, id, n + 1);
	if (orname_parse(addr, -1, &e->or, &oe) != OR_OK)
		return errf(why, wlen, -1, "O/R address '%.80s': %s%s%s",
		    addr, oe.key[0] ? oe.key : "", oe.key[0] ? ": " : "",
		    orname_strerror(oe.code));
	return 0;
}

int
edipart_load(struct edipart_table *t, const char *path, char *err,
    size_t errlen)
{
	FILE		*f;
	struct edipart	 e, *nv;
	char		 line[1024], why[256], *hash;
	size_t		 lineno = 0, i, cap = 0;

	t->v = NULL;
	t->n = 0;
	if ((f = fopen(path, "r")) == NULL)
		return errf(err, errlen, -1, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			errf(err, errlen, -1, "%s:%zu: line longer than %zu "
			    "characters", path, lineno, sizeof(line) - 2);
			goto fail;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if (parse_line(&e, line, why, sizeof(why)) < 0) {
			errf(err, errlen, -1, "%s:%zu: %s", path, lineno, why);
			goto fail;
		}
		for (i = 0; i < t->n; i++)
			if (strcmp(t->v[i].id, e.id) == 0 &&
			    strcmp(t->v[i].qual, e.qual) == 0) {
				errf(err, errlen, -1, "%s:%zu: %s%s%s given "
				    "twice", path, lineno, e.id,
				    e.qual[0] ? ":" : "", e.qual);
				goto fail;
			}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = reallocarray(t->v, cap, sizeof(*nv))) ==
			    NULL) {
				errf(err, errlen, -1, "%s: out of memory",
				    path);
				goto fail;
			}
			t->v = nv;
		}
		t->v[t->n++] = e;
	}
	if (ferror(f)) {
		errf(err, errlen, -1, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	edipart_free(t);
	return -1;
}

const struct orname *
edipart_lookup(const struct edipart_table *t, const char *id,
    const char *qual)
{
	const struct orname *any = NULL;
	size_t	 i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].id, id) != 0)
			continue;
		if (t->v[i].qual[0] == '\0')
			any = &t->v[i].or;
		else if (qual != NULL && strcmp(t->v[i].qual, qual) == 0)
			return &t->v[i].or;
	}
	return any;
}

/* The rule of where an interchange starts is unb_start()'s. */
int
edipart_detect(const uint8_t *p, size_t n)
{
	struct unb	 u;
	struct cur	 c;

	cur_init(&c, p, n);
	return unb_start(&c, &u);
}
