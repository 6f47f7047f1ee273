/*
 * NAME
 *	conftab - key tables for oxgate.ini and partners.ini (see conftab.h)
 * DESCRIPTION
 *	The setters shared by both files. A setter checks the whole value
 *	before it stores anything, so a bad value leaves the member as it
 *	was. The messages are the ones the configuration always gave: the
 *	caller puts "FILE: [SECTION] KEY: " in front.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gw/conftab.h"
#include "oftp/odette.h"
#include "oftp/sfid.h"
#include "util/err.h"

#define MEMBER(k, obj)	((char *)(obj) + (k)->off)

int
conf_resolve_path(const char *file, const char *v, char *dst, size_t size)
{
	const char *slash;
	int	 n;

	if (v[0] == '/' || (slash = strrchr(file, '/')) == NULL)
		n = snprintf(dst, size, "%s", v);
	else
		n = snprintf(dst, size, "%.*s/%s",
		    (int)(slash == file ? 0 : slash - file), file, v);
	return n >= 0 && (size_t)n < size;
}

int
conf_parse_u64(const char *v, size_t n, uint64_t *out)
{
	uint64_t u = 0;
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return 0;
		if (u > (UINT64_MAX - (uint64_t)(v[i] - '0')) / 10)
			return 0;
		u = u * 10 + (uint64_t)(v[i] - '0');
	}
	*out = u;
	return 1;
}

int
conf_set_path_opt(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	char	 tmp[CONFIG_PATH_MAX];

	if (*v == '\0') {
		MEMBER(k, obj)[0] = '\0';
		return CONFIG_OK;
	}
	if (!conf_resolve_path(file, v, tmp, k->size))
		return errf(why, wlen, CONFIG_EVALUE,
		    "path longer than %d characters", CONFIG_PATH_MAX - 1);
	memcpy(MEMBER(k, obj), tmp, strlen(tmp) + 1);
	return CONFIG_OK;
}

int
conf_set_path(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	if (*v == '\0')
		return errf(why, wlen, CONFIG_EVALUE,
		    "empty, a path is required");
	return conf_set_path_opt(k, v, obj, file, why, wlen);
}

/* An unsigned number of unit between the key's min and max. */
static int
set_unsigned(const struct conf_key *k, const char *v, void *obj,
    const char *unit, char *why, size_t wlen)
{
	uint64_t u;
	unsigned h;

	if (!conf_parse_u64(v, strlen(v), &u))
		return errf(why, wlen, CONFIG_EVALUE,
		    "'%.64s' is not a number of %s", v, unit);
	if (u < k->min || u > k->max)
		return errf(why, wlen, CONFIG_EVALUE,
		    "%llu %s out of range (%llu to %llu)",
		    (unsigned long long)u, unit, (unsigned long long)k->min,
		    (unsigned long long)k->max);
	h = (unsigned)u;
	memcpy(MEMBER(k, obj), &h, sizeof(h));
	return CONFIG_OK;
}

int
conf_set_hours(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	(void)file;
	return set_unsigned(k, v, obj, "hours", why, wlen);
}

int
conf_set_number(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	(void)file;
	return set_unsigned(k, v, obj, k->fmt, why, wlen);
}

/* "'v' is not a, b or c" */
static int
word_error(const char *v, const char *const *words, char *why, size_t wlen)
{
	char	 list[128];
	size_t	 n = 0;
	int	 i;

	list[0] = '\0';
	for (i = 0; words[i] != NULL && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
		    i == 0 ? "" : words[i + 1] == NULL ? " or " : ", ",
		    words[i]);
	return errf(why, wlen, CONFIG_EVALUE, "'%.64s' is not %s", v, list);
}

int
conf_set_word(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	int	 i, val;
	char	 c;

	(void)file;
	for (i = 0; k->words[i] != NULL; i++)
		if (strcmp(v, k->words[i]) == 0)
			break;
	if (k->words[i] == NULL) {
		if (k->fmt != NULL)
			return errf(why, wlen, CONFIG_EVALUE, k->fmt, v);
		return word_error(v, k->words, why, wlen);
	}
	val = k->vals != NULL ? k->vals[i] : i;
	if (k->size == 1) {
		c = (char)val;
		memcpy(MEMBER(k, obj), &c, 1);
	} else
		memcpy(MEMBER(k, obj), &val, sizeof(val));
	return CONFIG_OK;
}

int
conf_parse_orname(const char *v, struct orname *or, char *why, size_t wlen)
{
	struct or_err e;

	orname_init(or);
	if (orname_parse(v, -1, or, &e) != OR_OK)
		return errf(why, wlen, CONFIG_EVALUE,
		    "bad O/R address '%.128s': %s%s%s", v,
		    e.key[0] != '\0' ? e.key : "",
		    e.key[0] != '\0' ? ": " : "",
		    orname_strerror(e.code));
	return CONFIG_OK;
}

int
conf_set_orname(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	(void)file;
	return conf_parse_orname(v, (struct orname *)(void *)MEMBER(k, obj),
	    why, wlen);
}

int
conf_set_odette(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	(void)file;
	if (odette_check_id(v, why, wlen) != ODETTE_OK)
		return CONFIG_EVALUE;
	memcpy(MEMBER(k, obj), v, strlen(v) + 1);
	return CONFIG_OK;
}

int
conf_set_x(const struct conf_key *k, const char *v, void *obj,
    const char *file, char *why, size_t wlen)
{
	(void)file;
	if (sfid_check_x(k->name, v, k->size - 1, k->min > 0, why, wlen) !=
	    SFID_OK)
		return CONFIG_EVALUE;
	memcpy(MEMBER(k, obj), v, strlen(v) + 1);
	return CONFIG_OK;
}

void
conf_defaults(const struct conf_key *keys, size_t n, void *obj)
{
	char	 why[256];
	size_t	 i;

	for (i = 0; i < n; i++)
		if (keys[i].def != NULL)
			(void)keys[i].set(&keys[i], keys[i].def, obj, "", why,
			    sizeof(why));
}

const struct conf_key *
conf_find(const struct conf_key *keys, size_t n, const char *section,
    size_t slen, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((keys[i].section == NULL ||
		    (strlen(keys[i].section) == slen &&
		    strncmp(keys[i].section, section, slen) == 0)) &&
		    strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

int
conf_apply(const struct conf_key *k, const char *v, void *obj,
    const char *file, const char *section, char *err, size_t errlen)
{
	char	 why[256];
	int	 rc;

	if ((rc = k->set(k, v, obj, file, why, sizeof(why))) != CONFIG_OK)
		return errf(err, errlen, rc, "%s: [%s] %s: %s", file, section,
		    k->name, why);
	return CONFIG_OK;
}

int
conf_load_ini(const char *path, char *dst, size_t size, long long max,
    dictionary **d, struct ini_names *in, char *err, size_t errlen)
{
	static const int code[] = { [INI_OK] = CONFIG_OK,
		[INI_EIO] = CONFIG_EIO, [INI_ESYNTAX] = CONFIG_ESYNTAX,
		[INI_ENOMEM] = CONFIG_ENOMEM };
	struct stat st;

	if (snprintf(dst, size, "%s", path) >= (int)size)
		return errf(err, errlen, CONFIG_EIO, "%.64s...: path too "
		    "long", path);
	if (stat(path, &st) == -1)
		return errf(err, errlen, CONFIG_EIO, "%s: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return errf(err, errlen, CONFIG_EIO, "%s: not a regular file",
		    path);
	if (max > 0 && st.st_size > max)
		return errf(err, errlen, CONFIG_EIO,
		    "%s: %lld octets, at most %lld allowed", path,
		    (long long)st.st_size, max);
	return code[ini_load(path, d, in, err, errlen)];
}
