/*
 * NAME
 *	gw - what every converter program shares: configuration, partners,
 *	trace, and the spool run modes
 * SYNOPSIS
 *	#include "gw/gw.h"
 *
 *	struct gw g;
 *
 *	gw_start(&g, conf, watch);	(gw_open(), waiting in watch mode)
 *	ex = gw_run(&g, SPOOL_OFTP_IN, QUEUE_PAIRS, watch, handler, &ctx);
 *	gw_close(&g);
 * DESCRIPTION
 *	gw_open() loads oxgate.ini and partners.ini (see oxgate.ini(5),
 *	partners.ini(5)), creates the spool tree if it is missing and opens
 *	the trace table. gw_reload() loads both files again (on SIGHUP); a
 *	configuration that does not load is logged and the old one kept.
 *	gw_start() is gw_open() for a main(): a configuration error ends the
 *	program (78), a temporary one (a full disk, a locked or unreadable
 *	trace: 75) ends a batch or filter run but makes a watcher wait and
 *	try again (1, 2, 4 ... 60 s) until it opens.
 *	gw_run() runs a handler over an input queue of the spool, once
 *	(batch: what is there, then exit) or watching it (inotify), with the
 *	queue engine's crash recovery and failed/ handling (spool/queue.h). It
 *	first publishes what dead processes committed and left in tmp/
 *	(outbox_recover(), see gw/outbox.h); before each item it checks that
 *	the trace database is still the file it opened (trace_check()):
 *	when it was removed or replaced, the item is deferred and the run
 *	stops with 78 (restore it, or start again to make a new one), so no
 *	row goes into a file nobody sees. A PostgreSQL trace whose server
 *	cannot be reached (restarted, failed over) only defers the item
 *	(75): the next item tries to connect again, so converters wait for
 *	the server and go on when it is back. A watcher waits for a queue it
 *	cannot open for a temporary reason instead of ending.
 *	The items go in groups ([spool] batch, batch-time; spool/queue.h,
 *	Group commit): gw_run() opens and ends each group with
 *	outbox_group_begin() and outbox_group_end() (gw/outbox.h), so the
 *	converters' handlers, unchanged, share one sync and one trace
 *	transaction per group.
 *	Temporary failures (issue 22): gw_run() counts each temporary
 *	outcome of an item in the trace (trace_deferral_record(): attempts,
 *	first and last failure, last error, next try after a backoff of
 *	GW_BACKOFF_MIN seconds doubled at every attempt up to
 *	GW_BACKOFF_MAX) and adds the attempt and the next try to the
 *	reason the queue engine logs. A watcher does not try an item again
 *	before its next try (the reason says "backoff"); a batch run tries
 *	every item it finds (cron's period is its schedule, a run by hand
 *	a deliberate retry). The first attempt once [spool] queue-lifetime
 *	hours have passed since the first failure is the last: g->final is
 *	set while the handler runs, so that a converter makes a temporary
 *	failure permanent with the answer it owes (oftp2x400: NERP;
 *	x4002oftp: NDR); if the handler still returns a temporary code and
 *	the trace can record it, gw_run() makes it GW_EX_LIFETIME (70, the
 *	item goes to failed/ with its .why naming the lifetime). A trace
 *	that cannot be written keeps the item waiting: nothing can be
 *	recorded without it. A permanent outcome drops the item's deferral.
 *	The time is clock_now() (util/clock.h). gw_backoff() gives that
 *	wait after a number of failures from a first one (doubled each time
 *	up to GW_BACKOFF_MAX, or the first when it is longer); oxspool
 *	failed waits so before a file is taken again.
 *	gw_main() is the whole main() of a converter (struct gw_prog): the
 *	common options (-c, -v, --spool, --watch, --filter [INPUT], --help,
 *	--version), the program's own (files of filter mode: the input's
 *	.sfid, files it writes besides stdout), exactly one mode, the
 *	configuration (setup() then loads the program's tables), the
 *	sandbox, then gw_run() or the one input. Older spellings of filter
 *	mode stay: oftp2x400 --sfid FILE without --filter, x4002oftp with
 *	no mode (filter_default). Filter mode refuses a terminal as input.
 *	gw_sandbox() enters the sandbox of util/sandbox.h unless [security]
 *	sandbox = off: read-write the spool root, the trace database's
 *	directory, $TMPDIR if set (not /tmp otherwise) and the directories
 *	of the output files given;
 *	read-only the configuration, mapping, certificate and key
 *	directories, the input files given, and what the libraries read
 *	at run time (/usr/lib, time zones, /etc/ssl, /dev/urandom,
 *	/proc/self). gw_run() calls it before the first item; a filter-mode
 *	main() calls it with its input and output files. gw_sandbox_dirs()
 *	is the same with directories read-write besides the spool (oxspool's
 *	adapters: the partners' DEModette and inbox directories). Started as root,
 *	gw_open() becomes the owner of the spool root (unless that is root)
 *	before it creates the spool or opens the trace.
 *	gw_queue() gives the path of a queue of the configured spool.
 *	gw_tmpdir() gives the directory for anonymous temporary files:
 *	$TMPDIR if set, else the tmp/ of a queue of the spool.
 *	gw_mixer() gives the RFC 2156 mapping tables of the configured
 *	mapping directory, loaded on first use (a missing directory is empty
 *	tables; a bad line is logged with its file:line and skipped, the
 *	other lines are used; a table that cannot be read is logged and
 *	not used); the gateway is
 *	local-domain, its RFC 822 domain [x400] rfc822-domain, else
 *	local-domain's entry in or-domain, else "x400.invalid". A reload
 *	drops them to be loaded again.
 *	gw_ctypes() gives the content-type tables (mime-to-x400,
 *	x400-to-mime of the mapping directory, see oxgate-content-types(5);
 *	a missing file is the built-in default), loaded on first use: a
 *	table that does not load is a configuration error, logged with its
 *	file and line, and the program exits 78 (EX_CONFIG); the converters
 *	call it at start. A reload loads them again; bad tables are then
 *	logged and the old ones kept.
 *	gw_oftp_id() gives the OFTP identity of a file (DSN, date, time,
 *	originator, destination of its SFID) as the trace keeps it.
 *	gw_mtsid_text() and gw_ipmid_text() give the text forms under which
 *	every program stores and finds identifiers in the trace table:
 *	an MTS identifier as "[C*ADMD*PRMD;local]" (RFC 2156 mts-msg-id;
 *	"*PRMD" only when there is one), an IPM identifier as
 *	"STD-OR;local" (the user's std-or, empty when absent).
 * DIAGNOSTICS
 *	gw_open() returns 0, or a sysexits(3) code with the reason in err:
 *	78 for the configuration or a spool directory that is a symbolic
 *	link or not a directory (named there), 75 for a spool or trace that
 *	cannot be made or opened now. gw_run() returns a sysexits(3) code: when the queue cannot
 *	be opened, 78 (EX_CONFIG) if one of its directories is a symbolic
 *	link or not a directory (the layout needs an operator), else 75
 *	(EX_TEMPFAIL: ENOSPC, EIO, EACCES, ...); the queue engine logs the
 *	directory and the reason.
 */
#ifndef OX_GW_H
#define OX_GW_H

#include <stddef.h>
#include <sysexits.h>

#include "gw/config.h"
#include "gw/ctypes.h"
#include "x400/mixer.h"
#include "x400/p1.h"
#include "x400/p22.h"
#include "spool/queue.h"
#include "spool/spool.h"
#include "gw/trace.h"

struct sfid;

struct gw {
	struct ox_config	 cfg;
	struct ox_partners	 partners;
	struct trace		*trace;
	char			 conf[CONFIG_PATH_MAX];
	struct mixer		*mx;	/* gw_mixer(), loaded on first use */
	struct ctypes		*ct;	/* gw_ctypes(), loaded on first use */
	int			 final;	/* gw_run(): the item's last attempt,
					   its queue lifetime is over */
};

#define GW_BACKOFF_MIN	60		/* s: first wait of a watcher */
#define GW_BACKOFF_MAX	3600		/* s: longest wait */
#define GW_EX_LIFETIME	EX_SOFTWARE	/* a temporary failure made
					   permanent: the lifetime is over */

int	 gw_open(struct gw *, const char *, char *, size_t);
void	 gw_start(struct gw *, const char *, int);
void	 gw_reload(struct gw *);
void	 gw_close(struct gw *);
void	 gw_queue(const struct gw *, enum spool_queue, char *, size_t);
void	 gw_tmpdir(const struct gw *, enum spool_queue, char *, size_t);
int	 gw_sandbox(struct gw *, const char *const *, const char *const *);
int	 gw_sandbox_dirs(struct gw *, const char *const *);
int	 gw_run(struct gw *, enum spool_queue, int, int, queue_handler_fn *,
	    void *);
time_t	 gw_backoff(time_t, unsigned);
/* A converter's own option: a file of filter mode (gw_main()). */
struct gw_opt {
	const char	*name;		/* --name FILE */
	const char	**value;	/* where FILE goes */
	int		 role;		/* GW_OPT_SFID or GW_OPT_OUT */
};
#define GW_OPT_SFID	1		/* the .sfid of the input: read */
#define GW_OPT_OUT	2		/* a file it writes */

/* A converter, as gw_main() runs it. */
struct gw_prog {
	enum spool_queue	 in;		/* its input queue */
	int			 flags;		/* queue flags (QUEUE_PAIRS) */
	queue_handler_fn	*handler;
	void			(*usage)(int);	/* prints, exits */
	const struct gw_opt	*opts;		/* ends with { NULL }; or NULL */
	void			(*setup)(struct gw *);	/* or NULL */
	void			(*cleanup)(void);	/* or NULL */
	int			 filter_default; /* no mode: filter mode */
};

int	 gw_main(int, char **, struct gw *, const struct gw_prog *);
void	 gw_mtsid_text(const struct p1_mtsid *, char *, size_t);
const struct mixer *gw_mixer(struct gw *);
const struct ctypes *gw_ctypes(struct gw *);
void	 gw_ipmid_text(const struct p22_ipmid *, char *, size_t);
void	 gw_oftp_id(struct trace_oftp_id *, const struct sfid *);

#endif
