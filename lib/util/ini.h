/*
 * NAME
 *	ini - iniparser(3) glue: load an INI file quietly, with line numbers
 * SYNOPSIS
 *	#include "util/ini.h"
 *
 *	dictionary *d;
 *	struct ini_names in;
 *
 *	if (ini_load(path, &d, &in, err, errlen) != INI_OK)
 *		return ...;
 *	line = ini_line_of(&in, "acme", "mode");
 *	ini_names_free(&in);
 *	iniparser_freedict(d);
 * DESCRIPTION
 *	ini_load() reads path with iniparser into *d. iniparser reports a
 *	syntax error through a callback, which is set here so that the
 *	library prints nothing; the line number is taken from its message.
 *
 *	When in is not NULL, one more pass over the text (ini_scan) records
 *	the sections and keys with their lines and refuses what iniparser
 *	merges silently: a section given twice (in any case) or a key given
 *	twice in a section. It splits lines as iniparser_load() does:
 *	trailing blanks go, a line ending in '\' goes on on the next line,
 *	'#' or ';' starts a comment, "[name]" opens a section, else the key
 *	is what stands before the first '='. Names are trimmed and compared
 *	without case, as iniparser lowercases them. "[]" is refused:
 *	iniparser would take it for a section named after the first letter
 *	of the one before. ini_line_of() gives the line of a section (key
 *	NULL) or of a key in it, 0 if none; ini_names_free() frees the list
 *	(also after a failed ini_load(): there is nothing to free then).
 * DIAGNOSTICS
 *	ini_load() returns INI_OK or an INI_E* code and writes one line into
 *	err naming the file and, for a syntax error, the line:
 *	"partners.ini: line 9: [acme] mode given twice (first at line 7)".
 *	It is not thread-safe (iniparser's error callback is global).
 */
#ifndef OX_INI_H
#define OX_INI_H

#include <stddef.h>

#include <iniparser.h>

enum ini_err {
	INI_OK = 0,
	INI_EIO,	/* cannot read the file */
	INI_ESYNTAX,	/* does not parse, or a name given twice */
	INI_ENOMEM
};

#define INI_LINE_MAX	1024		/* iniparser's ASCIILINESZ */

struct ini_name {
	int	 line;		/* the (first) line it is on */
	int	 section;	/* 1: a section, 0: a key of the one before */
	char	*name;		/* lower case */
};

struct ini_names {
	struct ini_name *v;
	size_t	 n;
};

int	 ini_load(const char *, dictionary **, struct ini_names *, char *,
	    size_t);
int	 ini_line_of(const struct ini_names *, const char *, const char *);
void	 ini_names_free(struct ini_names *);

#endif
