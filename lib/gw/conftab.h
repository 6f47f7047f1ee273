/*
 * NAME
 *	conftab - key tables for oxgate.ini and partners.ini (internal to
 *	config.c and partners.c)
 * SYNOPSIS
 *	#include "gw/conftab.h"
 *
 *	static const struct conf_key keys[] = {
 *		{ "spool", "purgetime", "240", conf_set_hours,
 *		  CONF_MEMBER(struct ox_config, purgetime), 1, 87600 },
 *		...
 *	};
 *
 *	conf_defaults(keys, n, &cfg);
 *	k = conf_find(keys, n, "spool", 5, "purgetime");
 *	rc = conf_apply(k, value, &cfg, file, "spool", err, errlen);
 * DESCRIPTION
 *	Postfix's CONFIG_*_TABLE: each key of a file is one row that says
 *	where its value goes (off, size: a member of the struct the file
 *	fills), its default as the text a user would write (NULL: none,
 *	the member stays zero), and how the text is checked and stored
 *	(set, with min and max, or words). Reading a file is a loop over the
 *	dictionary that finds the row of each key and calls its setter;
 *	conf_defaults() sets up a fresh struct by the same setters.
 *
 *	Setters (every one writes why and returns CONFIG_EVALUE on a bad
 *	value, and stores nothing then):
 *	  conf_set_path, conf_set_path_opt
 *		a path relative to the directory of file, into char[size];
 *		_opt: empty means none.
 *	  conf_set_hours
 *		hours, decimal digits min .. max, into an unsigned.
 *	  conf_set_number
 *		the same for any unit (fmt names it for the message).
 *	  conf_set_word	one of words (NULL-terminated) into an int, or a
 *		char when size is 1; the value is vals[i] when vals is set,
 *		else the index; the message is fmt with the value, or
 *		"'v' is not a, b or c".
 *	  conf_set_orname
 *		a std-or address (orname_parse()) into a struct orname.
 *	  conf_set_odette
 *		an ODETTE ID (odette(3)) into char[size].
 *	  conf_set_x	an X(size - 1) value (sfid_check_x()), required when
 *		min is 1.
 *	Specific setters live beside their table.
 *
 *	conf_parse_orname() is conf_set_orname() into any struct orname.
 *	conf_apply() calls the setter of a row and, on a bad value, writes
 *	"FILE: [SECTION] KEY: why" into err.
 *
 *	conf_resolve_path() makes a path relative to the directory of a
 *	file; conf_parse_u64() reads decimal digits without sign or
 *	overflow; conf_load_ini() copies path into dst (the struct's path),
 *	checks that the file is a regular file of at most max octets (0: no
 *	limit) and loads it (ini(3)), its error as a CONFIG_E* code.
 */
#ifndef OX_CONFTAB_H
#define OX_CONFTAB_H

#include <stddef.h>
#include <stdint.h>

#include "gw/config.h"
#include "util/ini.h"

struct conf_key;
typedef int conf_setter(const struct conf_key *, const char *, void *,
    const char *, char *, size_t);

struct conf_key {
	const char	*section;	/* NULL: any (partners.ini) */
	const char	*name;
	const char	*def;		/* the default, as text; NULL: none */
	conf_setter	*set;
	size_t		 off;		/* offsetof the member */
	size_t		 size;		/* sizeof the member */
	uint64_t	 min, max;
	const char *const *words;	/* conf_set_word */
	const int	*vals;		/* conf_set_word: values, or NULL */
	const char	*fmt;		/* conf_set_word: message, or NULL;
					   conf_set_number: the unit */
};

#define CONF_MEMBER(type, m)	offsetof(type, m), sizeof(((type *)0)->m)

conf_setter	 conf_set_path, conf_set_path_opt, conf_set_hours,
		 conf_set_number,
		 conf_set_word, conf_set_orname, conf_set_odette, conf_set_x;

void	 conf_defaults(const struct conf_key *, size_t, void *);
const struct conf_key *conf_find(const struct conf_key *, size_t,
	    const char *, size_t, const char *);
int	 conf_parse_orname(const char *, struct orname *, char *, size_t);
int	 conf_apply(const struct conf_key *, const char *, void *,
	    const char *, const char *, char *, size_t);
int	 conf_resolve_path(const char *, const char *, char *, size_t);
int	 conf_parse_u64(const char *, size_t, uint64_t *);
int	 conf_load_ini(const char *, char *, size_t, long long,
	    dictionary **, struct ini_names *, char *, size_t);

#endif
