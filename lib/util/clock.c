/* clock - the time "now", overridable for tests (see clock.h) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * A time: absolute (YYYY-MM-DD[THH:MM[:SS]][Z], @EPOCH) or relative to
 * the clock: NUMBER[mhd] or -NUMBER[mhd] that long ago, +NUMBER[mhd]
 * that long ahead. -1 if it does not parse; *rel says which it was (1
 * relative, 0 absolute) when rel is not NULL.
 */
int
clock_parse(const char *s, time_t now, time_t *out, int *rel)
{
	struct tm tm;
	char	*end;
	long long v;
	const char *rest;
	int	 sign = s[0] == '+' ? 1 : -1;

	if (rel != NULL)
		*rel = 0;
	if (s[0] == '@') {
		v = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end != '\0')
			return -1;
		*out = (time_t)v;
		return 0;
	}
	rest = s[0] == '+' || s[0] == '-' ? s + 1 : s;
	v = *rest >= '0' && *rest <= '9' ? strtoll(rest, &end, 10) : -1;
	if (v >= 0 && end[0] != '\0' && end[1] == '\0' &&
	    strchr("mhd", end[0]) != NULL) {
		*out = now + sign * (time_t)v * (end[0] == 'm' ? 60 :
		    end[0] == 'h' ? 3600 : 86400);
		if (rel != NULL)
			*rel = 1;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if ((rest = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return -1;
	if (*rest == 'T' && (end = strptime(rest + 1, "%H:%M", &tm)) != NULL) {
		rest = end;
		if (*rest == ':' && (end = strptime(rest + 1, "%S", &tm)))
			rest = end;
	}
	if (*rest == 'Z')
		rest++;
	if (*rest != '\0')
		return -1;
	*out = timegm(&tm);
	return 0;
}


void
clock_iso(time_t t, char *s, size_t n)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL)
		snprintf(s, n, "-");
	else
		strftime(s, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t
clock_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
