/*
 * NAME
 *	fuzz_sfid - libFuzzer target for the .sfid sidecar reader
 * DESCRIPTION
 *	Writes the input to a memfd and loads it through /proc/self/fd/N
 *	(iniparser only loads from a path). When the input is accepted, the
 *	result must validate, must render with sfid_write() (unless the
 *	description holds both kinds of quote, which a .sfid cannot carry),
 *	and the rendering must read back to the same values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "oftp/sfid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
load(const void *p, size_t n, struct sfid *s, char *err, size_t errlen)
{
	char	 path[64];
	int	 fd, rc;

	if ((fd = memfd_create("fuzz_sfid", 0)) == -1)
		return -1;
	if (n > 0 && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = sfid_read_file(s, path, err, errlen);
	close(fd);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	static struct sfid s, r;
	struct buf b;
	char	 err[512];

	if (load(p, n, &s, err, sizeof(err)) != SFID_OK)
		return 0;
	if (sfid_validate(&s, err, sizeof(err)) != SFID_OK)
		abort();
	buf_init(&b);
	if (sfid_write(&s, &b, err, sizeof(err)) == SFID_OK) {
		if (load(b.p, b.len, &r, err, sizeof(err)) != SFID_OK ||
		    strcmp(r.dsn, s.dsn) != 0 || strcmp(r.desc, s.desc) != 0 ||
		    r.lrecl != s.lrecl || r.nox != s.nox)
			abort();
	} else if (strchr(s.desc, '"') == NULL || strchr(s.desc, '\'') == NULL)
		abort();
	buf_free(&b);
	return 0;
}
