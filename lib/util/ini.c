/*
 * NAME
 *	ini - iniparser(3) glue: load an INI file quietly, with line numbers
 *	(see ini.h)
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "util/ini.h"

/* iniparser's error callback: keep the last message, print nothing. */
static char ini_msg[256];

static int
ini_errback(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ini_msg, sizeof(ini_msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* "... (N)" in iniparser's message: the line number, or 0. */
static int
ini_msg_line(void)
{
	const char *p = strrchr(ini_msg, '(');
	int	 line = 0;

	if (p != NULL && sscanf(p, "(%d)", &line) == 1 && line > 0)
		return line;
	return 0;
}

/*
 * The sections and keys of the file with their lines (the pass over the
 * text, see ini.h): the keys of a section follow it in the list.
 */
void
ini_names_free(struct ini_names *in)
{
	size_t	 i;

	for (i = 0; i < in->n; i++)
		free(in->v[i].name);
	free(in->v);
	in->v = NULL;
	in->n = 0;
}

/* s[0 .. n) lowercased, appended; its index, or -1. */
static int
ini_names_add(struct ini_names *in, int line, int section, const char *s,
    size_t n)
{
	struct ini_name *nv;
	char	*name;
	size_t	 i;

	if ((nv = reallocarray(in->v, in->n + 1, sizeof(*nv))) == NULL)
		return -1;
	in->v = nv;
	if ((name = malloc(n + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)s[i]);
	name[n] = '\0';
	nv[in->n].line = line;
	nv[in->n].section = section;
	nv[in->n].name = name;
	return (int)in->n++;
}

/* The line of a section (key NULL) or of a key in it; 0 if none. */
int
ini_line_of(const struct ini_names *in, const char *section,
    const char *key)
{
	size_t	 i, s;

	for (s = 0; s < in->n; s++)
		if (in->v[s].section && strcmp(in->v[s].name, section) == 0)
			break;
	if (s == in->n)
		return 0;
	if (key == NULL)
		return in->v[s].line;
	for (i = s + 1; i < in->n && !in->v[i].section; i++)
		if (strcmp(in->v[i].name, key) == 0)
			return in->v[i].line;
	return 0;
}

/*
 * One line (continuations joined, trailing blanks gone) into the list:
 * a section or a key, refused if given before; *sec is the section open.
 */
static int
ini_scan_line(const char *path, char *s, int line, struct ini_names *in,
    int *sec, char *err, size_t errlen)
{
	size_t	 n, i, from;
	int	 section, k;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	if (n == 0 || *s == '#' || *s == ';')
		return INI_OK;
	if ((section = *s == '[' && s[n - 1] == ']')) {
		n = strcspn(++s, "]");
		from = 0;
	} else {
		if (s[n = strcspn(s, "=")] == '\0')
			return INI_OK;	/* iniparser refused it */
		from = *sec < 0 ? 0 : (size_t)*sec + 1;
	}
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (section && n == 0)
		return errf(err, errlen, INI_ESYNTAX, "%s: line %d: "
		    "section without a name", path, line);
	if (n == 0)
		return INI_OK;	/* a lone "=" at the end: skipped */
	for (i = from; i < in->n; i++) {
		if (in->v[i].section != section ||
		    strlen(in->v[i].name) != n ||
		    strncasecmp(in->v[i].name, s, n) != 0)
			continue;
		if (section)
			return errf(err, errlen, INI_ESYNTAX, "%s: line "
			    "%d: section [%.*s] given twice (first at line "
			    "%d)", path, line, (int)n, s, in->v[i].line);
		return errf(err, errlen, INI_ESYNTAX, "%s: line %d: [%s] "
		    "%.*s given twice (first at line %d)", path, line,
		    *sec < 0 ? "" : in->v[*sec].name, (int)n, s,
		    in->v[i].line);
	}
	if ((k = ini_names_add(in, line, section, s, n)) < 0)
		return errf(err, errlen, INI_ENOMEM, "%s: out of memory",
		    path);
	if (section)
		*sec = k;
	return INI_OK;
}

/* The pass over the file at path (see above). */
static int
ini_scan(const char *path, struct ini_names *in, char *err, size_t errlen)
{
	FILE	*f;
	char	 b[INI_LINE_MAX + 1];
	size_t	 last = 0, n;
	int	 line = 0, first = 0, sec = -1, rc = INI_OK;

	memset(in, 0, sizeof(*in));
	if ((f = fopen(path, "r")) == NULL)
		return errf(err, errlen, INI_EIO, "%s: %s", path,
		    strerror(errno));
	while (rc == INI_OK && fgets(b + last, sizeof(b) - last, f) !=
	    NULL) {
		if (last == 0)
			first = line + 1;
		line++;
		n = strlen(b);
		while (n > 0 && isspace((unsigned char)b[n - 1]))
			b[--n] = '\0';
		if (n > 0 && b[n - 1] == '\\') {
			last = n - 1;
			continue;
		}
		last = 0;
		rc = ini_scan_line(path, b, first, in, &sec, err, errlen);
	}
	fclose(f);
	if (rc != INI_OK)
		ini_names_free(in);
	return rc;
}

int
ini_load(const char *path, dictionary **d, struct ini_names *in,
    char *err, size_t errlen)
{
	int	 line, rc = INI_OK;

	ini_msg[0] = '\0';
	iniparser_set_error_callback(ini_errback);
	if ((*d = iniparser_load(path)) == NULL) {
		line = ini_msg_line();
		if (strstr(ini_msg, "too long") != NULL)
			return errf(err, errlen, INI_ESYNTAX,
			    "%s: line %d: line too long (at most 1022 "
			    "characters)", path, line);
		if (strstr(ini_msg, "syntax error") != NULL)
			return errf(err, errlen, INI_ESYNTAX,
			    "%s: line %d: syntax error", path, line);
		if (strstr(ini_msg, "cannot open") != NULL)
			return errf(err, errlen, INI_EIO,
			    "%s: cannot open", path);
		return errf(err, errlen, INI_ENOMEM,
		    "%s: cannot load (out of memory?)", path);
	}
	if (in != NULL && (rc = ini_scan(path, in, err, errlen)) != INI_OK) {
		iniparser_freedict(*d);
		*d = NULL;
	}
	return rc;
}
