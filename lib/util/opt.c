/*
 * NAME
 *	opt - the options every oxgate program shares (see opt.h)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "util/log.h"
#include "util/opt.h"

void
opt_common(int ch, const char *prog, int *verbose, void (*usage)(int))
{
	switch (ch) {
	case 'v':
		log_set_verbose(++*verbose);
		break;
	case 'h':
		usage(0);
		break;
	case 'V':
		printf("%s %s\n", prog, OX_VERSION);
		exit(EX_OK);
	default:
		usage(EX_USAGE);
	}
}
