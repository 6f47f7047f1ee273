/*
 * NAME
 *	fuzz_config - libFuzzer target for oxgate.ini and partners.ini
 * DESCRIPTION
 *	The input becomes a file (a memfd, loaded by its /proc path) read
 *	both as oxgate.ini and as partners.ini; whatever loads is looked up
 *	by its own first ODETTE ID and O/R address, which must find it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gw/config.h"
#include "util/afile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	static struct ox_config cfg;
	struct ox_partners ps;
	char	 path[64], err[CONFIG_ERR_MAX];
	int	 fd;

	if ((fd = memfd_create("config", 0)) < 0)
		return 0;
	if (write_all(fd, p, n) == 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		(void)config_load(path, &cfg, err, sizeof(err));
		if (partners_load(path, &ps, err, sizeof(err)) == CONFIG_OK) {
			if (ps.n > 0 && partner_by_odette(&ps, ps.p[0].odette) ==
			    NULL)
				__builtin_trap();
			partners_free(&ps);
		}
	}
	close(fd);
	return 0;
}
