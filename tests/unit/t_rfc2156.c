/*
 * NAME
 *	t_rfc2156 - the RFC 2156 example table through the library
 * DESCRIPTION
 *	Runs every row of tests/rfc2156/cases (its format is in its header)
 *	through mixer_run(), the code oxaddr(1) runs (tests/sh/rfc2156.sh
 *	runs the same rows through the program): each row's tables, the
 *	gateway's address and the gateway's domain gw.example, the verb on
 *	the input, the result against the expected value (exact, an O/R
 *	address compared in its std-or form, or an error with its text).
 *	Also checks the table itself: at least 50 literal rows, each row's
 *	rfc2156.txt line inside the section the row names (the nearest
 *	section heading above the line in ../shared/reference/rfc/
 *	rfc2156.txt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "test.h"
#include "x400/mixer.h"

#define NFIELD	7

struct row {
	char	*f[NFIELD];	/* ref sect kind verb opts input expect */
	int	 line;		/* of the cases file */
};

/* The opts of a row: map directory, gateway, icase. */
struct opts {
	char	 map[512];
	char	 gw[256];
	int	 icase;
};

static const char *
top(void)
{
	const char *t = getenv("OX_TOP");

	return t != NULL ? t : ".";
}

static void
row_opts(const char *s, struct opts *o)
{
	char	 tmp[512], *p, *save = NULL;

	snprintf(o->map, sizeof(o->map), "%s/tests/rfc2156", top());
	snprintf(o->gw, sizeof(o->gw), "/C=us/A=MCI/P=relay/");
	o->icase = 0;
	snprintf(tmp, sizeof(tmp), "%s", s);
	for (p = strtok_r(tmp, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (strncmp(p, "map=", 4) == 0)
			snprintf(o->map, sizeof(o->map), "%s/tests/rfc2156/%s",
			    top(), p + 4);
		else if (strncmp(p, "gw=", 3) == 0)
			snprintf(o->gw, sizeof(o->gw), "%s", p + 3);
		else if (strcmp(p, "icase") == 0)
			o->icase = 1;
	}
}

/* The std-or form of an O/R address written in any input form. */
static int
canon(const char *in, struct buf *out)
{
	struct orname	 or;

	return orname_parse(in, -1, &or, NULL) == OR_OK &&
	    orname_print(&or, out) == OR_OK;
}

static int
same(const char *got, const char *want, int icase)
{
	return icase ? strcasecmp(got, want) == 0 : strcmp(got, want) == 0;
}

/* The tables, the gateway and its domain of one row. */
static int
row_mixer(const struct opts *o, struct mixer *mx, char *err, size_t errlen)
{
	struct orname	 gw;
	int		 e;

	mixer_init(mx);
	if ((e = mixer_load_dir(mx, o->map, err, errlen)) != MIXER_OK)
		return e;
	if (orname_parse(o->gw, -1, &gw, NULL) != OR_OK) {
		snprintf(err, errlen, "gw=%s does not parse", o->gw);
		return MIXER_EARG;
	}
	return mixer_set_gateway(mx, &gw, "gw.example");
}

static void
run_row(const struct row *r)
{
	struct opts	 o;
	struct mixer	 mx;
	struct buf	 out, a, b;
	const char	*want = r->f[6];
	char		 err[512] = "";
	int		 e, v, ok;

	row_opts(r->f[4], &o);
	buf_init(&out);
	buf_init(&a);
	buf_init(&b);
	e = row_mixer(&o, &mx, err, sizeof(err));
	if (e == MIXER_OK && strcmp(r->f[3], "check") == 0)
		buf_addf(&out, "%zu + %zu + %zu + %zu table lines (domain-or, "
		    "or-domain, domain-gw, or-gw)",
		    mixer_table_size(&mx, MIXER_DOMAIN_OR),
		    mixer_table_size(&mx, MIXER_OR_DOMAIN),
		    mixer_table_size(&mx, MIXER_DOMAIN_GW),
		    mixer_table_size(&mx, MIXER_OR_GW));
	else if (e == MIXER_OK) {
		if ((v = mixer_verb(r->f[3])) < 0)
			test_fail(__FILE__, __LINE__, "cases:%d: verb %s",
			    r->line, r->f[3]);
		else
			e = mixer_run(&mx, (enum mixer_verb)v, r->f[5], &out,
			    err, sizeof(err));
	}
	if (strncmp(want, "ERR:", 4) == 0)
		ok = e != MIXER_OK && strstr(err, want + 4) != NULL;
	else if (strncmp(want, "OR:", 3) == 0)
		ok = e == MIXER_OK && canon(want + 3, &a) &&
		    canon(buf_cstr(&out), &b) &&
		    same(buf_cstr(&b), buf_cstr(&a), o.icase);
	else
		ok = e == MIXER_OK && same(buf_cstr(&out), want, o.icase);
	if (!ok)
		test_fail(__FILE__, __LINE__, "cases:%d %s %s %s \"%s\": got "
		    "\"%s\" (%s), expected \"%s\"", r->line, r->f[0], r->f[2],
		    r->f[3], r->f[5], buf_cstr(&out), err, want);
	buf_free(&out);
	buf_free(&a);
	buf_free(&b);
	mixer_free(&mx);
}

/* The rows of the cases file, in rows[] (at most max); their number. */
static size_t
read_rows(char *text, struct row *rows, size_t max)
{
	char	*line, *save = NULL, *p;
	size_t	 n = 0, k;
	int	 lineno = 0;

	for (line = text; line != NULL && n < max; line = save) {
		lineno++;
		if ((save = strchr(line, '\n')) != NULL)
			*save++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		rows[n].line = lineno;
		for (k = 0, p = line; k < NFIELD; k++) {
			rows[n].f[k] = p;
			if (k + 1 < NFIELD && (p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
			if (p == NULL)
				break;
		}
		if (k < NFIELD) {
			test_fail(__FILE__, __LINE__, "cases:%d: fewer than %d "
			    "fields", lineno, NFIELD);
			continue;
		}
		n++;
	}
	return n;
}

/*
 * The section a line of rfc2156.txt is in: the nearest heading above
 * it ("4.3.4.  ...", "Appendix F - ..."; inside an appendix only the
 * appendix counts, its own "1.  " headings do not), whether it starts
 * with sect.
 */
static int
in_section(char **lines, size_t nlines, int at, const char *sect)
{
	char	 want[32];
	int	 i;

	if (at < 1 || (size_t)at > nlines)
		return 0;
	if (strncmp(sect, "App. ", 5) == 0)
		snprintf(want, sizeof(want), "Appendix %s ", sect + 5);
	else
		snprintf(want, sizeof(want), "%s.", sect);
	for (i = at - 1; i >= 0; i--) {
		if (strncmp(lines[i], "Appendix ", 9) == 0 ||
		    (want[0] != 'A' && lines[i][0] >= '1' && lines[i][0] <= '9' &&
		    strstr(lines[i], ".  ") != NULL &&
		    strspn(lines[i], "0123456789.") > 1))
			return strncmp(lines[i], want, strlen(want)) == 0;
	}
	return 0;
}

static void
t_cases(void)
{
	static struct row rows[512];
	static char	*lines[9000];
	char		 path[1024];
	uint8_t		*text, *rfc;
	size_t		 len, rlen, n, i, nl = 0, literal = 0;
	char		*p;

	snprintf(path, sizeof(path), "%s/tests/rfc2156/cases", top());
	if (test_read_file(path, &text, &len) != 0) {
		test_fail(__FILE__, __LINE__, "%s: cannot read", path);
		return;
	}
	snprintf(path, sizeof(path), "%s/reference/rfc/rfc2156.txt",
	    test_shared());
	if (test_read_file(path, &rfc, &rlen) != 0) {
		test_fail(__FILE__, __LINE__, "%s: cannot read", path);
		free(text);
		return;
	}
	for (p = (char *)rfc; p != NULL && nl < 9000; nl++) {
		lines[nl] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	n = read_rows((char *)text, rows, sizeof(rows) / sizeof(rows[0]));
	for (i = 0; i < n; i++) {
		if (strncmp(rows[i].f[0], "rfc2156.txt:", 12) != 0 ||
		    !in_section(lines, nl, atoi(rows[i].f[0] + 12),
		    rows[i].f[1]))
			test_fail(__FILE__, __LINE__, "cases:%d: %s is not in "
			    "section %s", rows[i].line, rows[i].f[0],
			    rows[i].f[1]);
		literal += strcmp(rows[i].f[2], "literal") == 0;
		run_row(&rows[i]);
	}
	printf("# %zu rows, %zu literal\n", n, literal);
	CHECK(n >= 100);
	CHECK(literal >= 50);
	free(text);
	free(rfc);
}

int
main(void)
{
	TEST(t_cases);
	return test_done();
}
