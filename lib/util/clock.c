/* clock - the time "now", overridable for tests (see clock.h) */
#include <errno.h>
#include <stdlib.h>

#include "util/clock.h"

time_t
clock_now(void)
{
	const char	*s = getenv("OXGATE_NOW");
	char		*end;
	long long	 v;

	if (s != NULL && *s == '@')
		s++;
	if (s != NULL && *s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0')
			return (time_t)v;
	}
	return time(NULL);
}
