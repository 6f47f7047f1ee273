/*
 * NAME
 *	opt - the options every oxgate program shares
 * SYNOPSIS
 *	#include "util/opt.h"
 *
 *	while ((ch = getopt_long(argc, argv, "c:v", opts, NULL)) != -1) {
 *		switch (ch) {
 *		case 'c':
 *			conf = optarg;
 *			break;
 *		default:
 *			opt_common(ch, "oxpurge", &verbose, usage);
 *		}
 *	}
 * DESCRIPTION
 *	opt_common() takes what getopt_long() returned that is none of the
 *	program's own options: -v raises *verbose by one and sets the log
 *	level to it; --help ('h') is usage(0); --version ('V') prints
 *	"PROG VERSION" to standard output and exits 0; anything else is
 *	usage(EX_USAGE). usage() prints and exits.
 */
#ifndef OX_OPT_H
#define OX_OPT_H

void	opt_common(int, const char *, int *, void (*)(int));

#endif
