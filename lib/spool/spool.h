/*
 * NAME
 *	spool - the queue directories of an oxgate spool root
 * SYNOPSIS
 *	#include "spool/spool.h"
 *
 *	char q[SPOOL_PATH_MAX];
 *
 *	if (spool_create(root, err, sizeof(err)) != 0) ...
 *	spool_path(q, sizeof(q), root, SPOOL_X400_OUT);
 * DESCRIPTION
 *	The spool layout of DESIGN.md and oxgate-spool(5), in one place:
 *	  oftp/in, oftp/out, oftp/eerp.in, oftp/eerp.out,
 *	  x400/in, x400/out, x400/reports,
 *	  failed, overflow, archive.
 *	Every queue has its tmp/ directory. spool_create() makes the tree
 *	(mode 0700 for directories it creates; existing ones are left as
 *	they are) and is idempotent. The root may be a symbolic link; a
 *	symbolic link anywhere below it (oftp/, x400/, a queue, its tmp/) is
 *	refused: the queues must be on one file system, and nothing may
 *	lead a reader out of the spool. spool_queue_name() gives a queue's
 *	path below the root ("oftp/out"). The partners' hold queues
 *	(hold/NAME) are made and scanned by gw/hold.h.
 * DIAGNOSTICS
 *	spool_create() returns 0, or -1 with a message naming the directory
 *	in err and errno set: ELOOP for a symbolic link, ENOTDIR for
 *	something else that is not a directory (both a layout an operator
 *	must fix), else the error of mkdir(2) or stat(2). spool_path()
 *	returns 0, or -1 when the path does not fit.
 */
#ifndef OX_SPOOL_H
#define OX_SPOOL_H

#include <stddef.h>

#define SPOOL_PATH_MAX	1024

enum spool_queue {
	SPOOL_OFTP_IN, SPOOL_OFTP_OUT, SPOOL_OFTP_EERP_IN, SPOOL_OFTP_EERP_OUT,
	SPOOL_X400_IN, SPOOL_X400_OUT, SPOOL_X400_REPORTS,
	SPOOL_FAILED, SPOOL_OVERFLOW, SPOOL_ARCHIVE, SPOOL_NQUEUES
};

const char *spool_queue_name(enum spool_queue);
int	 spool_path(char *, size_t, const char *, enum spool_queue);
int	 spool_create(const char *, char *, size_t);

#endif
