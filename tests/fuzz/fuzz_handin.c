/*
 * NAME
 *	fuzz_handin - libFuzzer target for the fields an OFTP daemon hands
 *	over (JSON object, OFTP_* environment)
 * DESCRIPTION
 *	The first octet chooses: even, the rest is the JSON object of a
 *	hook (handin_json()); odd, the rest is an environment, entries
 *	separated by NUL (handin_env()). Every failure must say why; a
 *	result that validates must render as a .sfid, unless its
 *	description holds both ' and ", which a .sfid cannot.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oftp/handin.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
env_run(struct sfid *s, const uint8_t *p, size_t n, char *path, char *err,
    size_t errlen)
{
	char	*text, **envp;
	size_t	 i, k = 0;
	int	 rc;

	if ((text = malloc(n + 1)) == NULL ||
	    (envp = calloc(n + 2, sizeof(*envp))) == NULL) {
		free(text);
		return SFID_OK;
	}
	memcpy(text, p, n);
	text[n] = '\0';
	envp[k++] = text;
	for (i = 0; i < n; i++)
		if (text[i] == '\0')
			envp[k++] = text + i + 1;
	envp[k] = NULL;
	rc = handin_env(s, envp, path, HANDIN_PATH_MAX, err, errlen);
	free(envp);
	free(text);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct sfid	 s;
	struct buf	 b;
	char		 err[512] = "", path[HANDIN_PATH_MAX] = "";
	int		 rc;

	if (n == 0)
		return 0;
	sfid_init(&s);
	if (p[0] % 2 == 0)
		rc = handin_json(&s, (const char *)p + 1, n - 1, path,
		    sizeof(path), err, sizeof(err));
	else
		rc = env_run(&s, p + 1, n - 1, path, err, sizeof(err));
	if (rc != SFID_OK && err[0] == '\0')
		__builtin_trap();
	if (rc != SFID_OK || sfid_validate(&s, err, sizeof(err)) != SFID_OK)
		return 0;
	/* a .sfid value cannot hold both quote characters (oxgate-sfid(5)):
	 * the one refusal of sfid_write() after sfid_validate() */
	buf_init(&b);
	if (sfid_write(&s, &b, err, sizeof(err)) != SFID_OK &&
	    (strchr(s.desc, '"') == NULL || strchr(s.desc, '\'') == NULL))
		__builtin_trap();
	buf_free(&b);
	return 0;
}
