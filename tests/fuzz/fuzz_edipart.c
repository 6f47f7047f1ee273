/*
 * NAME
 *	fuzz_edipart - libFuzzer target for the EDI trading-partner table
 * DESCRIPTION
 *	The input becomes the table file (a memfd, loaded by its /proc
 *	path); whatever loads is looked up by its own first ID.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gw/edipart.h"
#include "util/afile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct edipart_table t;
	char	 path[64], err[512];
	int	 fd;

	if ((fd = memfd_create("edipart", 0)) < 0)
		return 0;
	if (write_all(fd, p, n) == 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (edipart_load(&t, path, err, sizeof(err)) == 0) {
			if (t.n > 0 && edipart_lookup(&t, t.v[0].id,
			    t.v[0].qual) == NULL)
				__builtin_trap();
			edipart_free(&t);
		}
	}
	close(fd);
	return 0;
}
