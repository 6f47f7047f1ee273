/*
 * NAME
 *	handin - fields of a virtual file from options, environment, JSON
 *	(see handin.h)
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "oftp/handin.h"
#include "util/err.h"

struct field {
	const char	*key;		/* of the .sfid; "path": the payload */
	const char	*json;		/* the hook's JSON member */
	int		 num;		/* an integer in JSON */
};

static const struct field fields[] = {
	{ "dsn", "virtualFileName", 0 },
	{ "date", "fileDate", 0 },
	{ "time", "fileTime", 0 },
	{ "user", "userData", 0 },
	{ "dest", "destination", 0 },
	{ "orig", "originator", 0 },
	{ "format", "fileFormat", 0 },
	{ "lrecl", "maximumRecordSize", 1 },
	{ "fsize", "fileSize", 1 },
	{ "osize", "fileSizeUnpacked", 1 },
	{ "sec", "securityLevel", 1 },
	{ "ciph", "cipherSuite", 1 },
	{ "comp", "compression", 1 },
	{ "env", "envelopingFormat", 1 },
	{ "sign", "signedEerpRequest", 0 },
	{ "desc", "description", 0 },
	{ "path", "filePath", 0 },
	/* an end-to-end response a daemon received: [oxgate] pairs */
	{ "ox:reason", "reasonCode", 1 },
	{ "ox:reason-text", "reasonText", 0 },
	{ NULL, NULL, 0 }
};

/* OFTP_ and the member's words upper case, joined by '_'. */
static void
env_name(const char *json, char *dst, size_t size)
{
	size_t	 n = (size_t)snprintf(dst, size, "OFTP_");

	for (; *json != '\0' && n + 2 < size; json++) {
		if (isupper((unsigned char)*json))
			dst[n++] = '_';
		dst[n++] = (char)toupper((unsigned char)*json);
	}
	dst[n] = '\0';
}

static const struct field *
lookup(const char *name)
{
	const struct field *f;
	char	 env[64];

	for (f = fields; f->key != NULL; f++) {
		env_name(f->json, env, sizeof(env));
		if (strcmp(name, f->key) == 0 || strcmp(name, f->json) == 0 ||
		    strcmp(name, env) == 0)
			return f;
	}
	return NULL;
}

int
handin_set(struct sfid *s, const char *name, const char *value, char *path,
    size_t pathlen, char *err, size_t errlen)
{
	const struct field *f = lookup(name);
	char	 e[512];
	int	 rc;

	if (f == NULL)
		return errf(err, errlen, SFID_EKEY, "%.64s: not a field of a "
		    "virtual file", name);
	if (strcmp(f->key, "path") == 0) {
		if (strlen(value) >= pathlen || value[0] == '\0')
			return errf(err, errlen, SFID_ELIMIT, "%.64s: empty or "
			    "longer than %zu octets", name, pathlen - 1);
		memcpy(path, value, strlen(value) + 1);
		return SFID_OK;
	}
	if (strncmp(f->key, "ox:", 3) == 0)
		rc = sfid_ox_set(s, f->key + 3, value, e, sizeof(e));
	else
		rc = sfid_set(s, f->key, value, e, sizeof(e));
	if (rc == SFID_OK)
		return SFID_OK;
	if (strcmp(name, f->key) == 0)
		return errf(err, errlen, rc, "%s", e);
	return errf(err, errlen, rc, "%.64s: %s", name, e);
}

int
handin_env(struct sfid *s, char *const *envp, char *path, size_t pathlen,
    char *err, size_t errlen)
{
	char	 name[64];
	size_t	 n;
	int	 rc;

	for (; *envp != NULL; envp++) {
		n = strcspn(*envp, "=");
		if (strncmp(*envp, "OFTP_", 5) != 0 || (*envp)[n] != '=' ||
		    n >= sizeof(name))
			continue;
		memcpy(name, *envp, n);
		name[n] = '\0';
		if (lookup(name) == NULL)
			continue;	/* another variable of the daemon's */
		if ((rc = handin_set(s, name, *envp + n + 1, path, pathlen, err,
		    errlen)) != SFID_OK)
			return rc;
	}
	return SFID_OK;
}

/* One member's value as the text handin_set() takes. */
static int
json_text(const struct field *f, const char *name, json_t *v, char *dst,
    size_t size, char *err, size_t errlen)
{
	if (json_is_string(v))	/* no NUL in it: no JSON_ALLOW_NUL */
		snprintf(dst, size, "%s", json_string_value(v));
	else if (f->num && json_is_integer(v) && json_integer_value(v) >= 0)
		snprintf(dst, size, "%lld", (long long)json_integer_value(v));
	else if (strcmp(f->key, "sign") == 0 && json_is_boolean(v))
		snprintf(dst, size, "%s", json_is_true(v) ? "Y" : "N");
	else
		return errf(err, errlen, SFID_EFIELD, "%.64s: %s expected",
		    name, f->num ? "a string or a number of 0 or more" :
		    "a string");
	if (json_is_string(v) && json_string_length(v) >= size)
		return errf(err, errlen, SFID_EFIELD, "%.64s: longer than %zu "
		    "octets", name, size - 1);
	return SFID_OK;
}

int
handin_json(struct sfid *s, const char *text, size_t len, char *path,
    size_t pathlen, char *err, size_t errlen)
{
	const struct field *f;
	const char *name;
	json_error_t je;
	json_t	*root, *v;
	char	 val[HANDIN_PATH_MAX];
	int	 rc = SFID_OK;

	if (len > HANDIN_JSON_MAX)
		return errf(err, errlen, SFID_ELIMIT, "JSON: %zu octets, at "
		    "most %d", len, HANDIN_JSON_MAX);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return errf(err, errlen, SFID_ESYNTAX, "JSON: line %d column "
		    "%d: %.200s", je.line, je.column, je.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return errf(err, errlen, SFID_ESYNTAX, "JSON: not an object");
	}
	json_object_foreach(root, name, v) {
		if ((f = lookup(name)) == NULL || strcmp(name, f->json) != 0)
			continue;	/* another member of the daemon's */
		if ((rc = json_text(f, name, v, val, sizeof(val), err,
		    errlen)) != SFID_OK || (rc = handin_set(s, name, val, path,
		    pathlen, err, errlen)) != SFID_OK)
			break;
	}
	json_decref(root);
	return rc;
}

void
handin_each(const struct sfid *s, handin_fn *fn, void *arg)
{
	const struct field *f;
	char	 env[64], v[SFID_DESC_MAX + 1];

	for (f = fields; f->key != NULL; f++) {
		if (strcmp(f->key, "path") == 0 || strncmp(f->key, "ox:", 3) ==
		    0)
			continue;
		env_name(f->json, env, sizeof(env));
		sfid_get(s, f->key, v, sizeof(v));
		fn(f->json, env, v, arg);
	}
}
