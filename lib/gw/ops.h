/*
 * NAME
 *	ops - the operator's actions on the trace and the spool: finding a
 *	transaction, overflow reactivate / export / delete, partner hold /
 *	release / divert / undivert, a transaction's files
 * SYNOPSIS
 *	#include "gw/ops.h"
 *
 *	struct ops o;
 *
 *	ops_init(&o, trace, &cfg, &partners, now, "alice");
 *	if (ops_reactivate(&o, "42", &r) < 0)
 *		fatal(o.code, "%s", o.err);
 *	if (o.warn[0]) warn("%s", o.warn);
 *	if (o.info[0]) info("%s", o.info);
 * DESCRIPTION
 *	The one implementation of every action oxtrace(1) and oxweb(8)
 *	offer: both call these functions, and every change lands in the
 *	trace history with the name of who did it (o.who: the login name
 *	for oxtrace, the web user for oxweb).
 *
 *	ops_find() finds a transaction by row number, by MTS, IPM or EDIM
 *	identifier (either direction), or by its virtual file name (DSN;
 *	the newest such row).
 *	ops_reactivate() puts a transaction of overflow/ (state overflow
 *	or diverted) back into its output queue: the trace first (received,
 *	then converted with a new timer, one commit), then the files
 *	(.sfid last); run again after a crash between the two, it finishes
 *	the move ("finishing a reactivation" in o.info). The new deadline:
 *	agent mode, the delivery timer from now; transfer mode, the X.400
 *	expiry the row had while it has not passed. A diverted agent-mode
 *	file whose originator asked for a delivery report gets it now (held
 *	back at the conversion), in the same trace transaction. In transfer mode a
 *	message whose X.400 expiry sent the NDR is refused (65): the seed
 *	allows reactivation only until then. A partner on hold or diverted
 *	gives a warning (o.warn); the file goes out all the same.
 *	ops_delete() removes the files of an overflow transaction (.sfid
 *	first) and records it deleted. ops_export() copies them and the
 *	transaction's CSV record into a directory.
 *	ops_partner() sets a partnership's state (OPS_HOLD, OPS_RELEASE,
 *	OPS_DIVERT, OPS_UNDIVERT) with the note "was STATE" and the
 *	operator's note; a hold takes its end (time_t, after now; 0: until
 *	released), kept in partner_state.hold_until with a "hold-until"
 *	line in the history; release ends only a hold and moves the held
 *	files into spool/oftp/out (oldest first, each row from held to
 *	converted, its deadline running on; *released counts them),
 *	undivert ends only a divert.
 *	ops_release_due_holds() ends every hold whose end has come (the
 *	expiry sweep calls it first), as a release does, with the note
 *	"was hold until TIME".
 *	ops_held() counts the committed items of a partner's hold directory.
 *	ops_partner_named() finds a partnership by its section name (any
 *	case).
 *	ops_file_open() opens, read-only, one of a transaction's files
 *	(OPS_FILE_IN, OPS_FILE_OUT, OPS_FILE_ACK: the names recorded in the
 *	trace) in the spool queue that holds it now; the name never comes
 *	from the caller, a recorded name with a '/' or a leading dot is
 *	refused, symbolic links are not followed and only regular files
 *	open.
 *	ops_out_queue() names the queue a transaction's converted file
 *	goes to (x400/out or oftp/out).
 *	ops_present() and ops_move() are the file steps the expiry sweep
 *	shares: whether a name is in a directory, and the move of an item
 *	(NAME, NAME.sfid for OFTP files) between queues with the .sfid as
 *	commit marker (leaving a live queue it goes first, entering one
 *	last; into overflow/ the files get the time of the move as mtime).
 *	ops_who_login() names the user running a command (the sudo user
 *	too).
 * DIAGNOSTICS
 *	Functions return -1 with a sysexits(3) code in o.code and one line
 *	in o.err: 65 an action the state does not allow, 66 a file not
 *	there, 67 no such transaction or partnership, 73 a file not
 *	writable, 74 a file operation failed, 75 the trace failed.
 *	ops_find() returns 1; ops_partner() returns 1 changed, 0 already
 *	so; ops_present() and ops_move() 1 or 0; ops_file_open() a file
 *	descriptor.
 */
#ifndef OX_OPS_H
#define OX_OPS_H

#include <stddef.h>
#include <time.h>

#include "gw/trace.h"

struct ox_config;
struct ox_partners;
struct ox_partner;

#define OPS_ERR_MAX	512

enum ops_pact { OPS_HOLD, OPS_RELEASE, OPS_DIVERT, OPS_UNDIVERT };
enum ops_file { OPS_FILE_IN, OPS_FILE_OUT, OPS_FILE_ACK };

struct ops {
	struct trace		 *db;
	const struct ox_config	 *cfg;
	const struct ox_partners *partners;	/* NULL: none loaded */
	time_t			  now;
	char			  who[TRACE_WHO_SZ];
	int			  code;		/* of the last -1 */
	char			  err[OPS_ERR_MAX];
	char			  warn[OPS_ERR_MAX];	/* "" or a warning */
	char			  info[OPS_ERR_MAX];	/* "" or what was done */
	void			(*say)(const char *);	/* NULL, or told of
						   each file released */
};

void	 ops_init(struct ops *, struct trace *, const struct ox_config *,
	    const struct ox_partners *, time_t, const char *);
void	 ops_who_login(char *, size_t);
int	 ops_find(struct ops *, const char *, struct trace_row *);
const struct ox_partner *ops_partner_named(struct ops *, const char *);
int	 ops_reactivate(struct ops *, const char *, struct trace_row *);
int	 ops_delete(struct ops *, const char *, struct trace_row *);
int	 ops_export(struct ops *, const char *, const char *);
int	 ops_partner(struct ops *, const char *, enum ops_pact, const char *,
	    time_t, size_t *);
int	 ops_release_due_holds(struct ops *, size_t *, size_t *);
int	 ops_held(struct ops *, const char *, size_t *);
int	 ops_file_open(struct ops *, const struct trace_row *, enum ops_file,
	    const char **);
int	 ops_out_queue(struct ops *, const struct trace_row *, char *,
	    size_t);
int	 ops_present(struct ops *, const char *, const char *);
int	 ops_move(struct ops *, const char *, const char *, const char *, int,
	    int);
const char *ops_pact_name(enum ops_pact);
int	 ops_pact_parse(const char *, enum ops_pact *);

#endif
