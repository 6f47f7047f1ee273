#!/bin/sh
# faults - the trace and the spool failing under oftp2x400, run as the
# shipped unit and cron file run it (shipped.inc: sandbox on, no TMPDIR,
# umask 0027, the spool's owner, a trace of 10,000 rows). The trace:
# locked beyond the busy timeout, read-only (the file, the directory),
# the disk full (spool and trace on a small tmpfs), unlinked under a
# running --watch, a page overwritten; the spool: full, a queue not
# writable, a queue that is a symbolic link. For each: no input lost (it
# stays in oftp/in, never in failed/), no output without its trace row
# (every file that reached an output queue - not tmp/ - is recorded in
# trace_output), the exit status (75 for temporary trouble; 78 only for
# configuration, such as the symbolic link), and work resumes when the
# fault goes: a batch run converts, a watcher that saw the fault is still
# there and converts (after its retry delay: one shared wait at the end).
# Also issue 18, item 1: with that trace, as the unit runs it, a file is
# converted, its trace row is there and its EERP (mode 1) too; with the
# trace read-only, exit 75, the input stays, no P1, no EERP. And for
# every program that commits outputs (oftp2x400, x4002oftp, report2eerp,
# eerp2report, oxtrace expire): its output queue not writable after the
# trace commit keeps the recorded outputs in tmp/, and the next run
# publishes them, once.
# On PostgreSQL (faults.sh@pg: each gateway's trace a database of the
# run's cluster, shipped.inc) the faults of a trace file (read-only, its
# directory, SQLite's lock, a damaged page, the disk full, unlinked) are
# replaced by the server's: down (killed; the batch exits 75, the input
# stays, a watcher defers it and stays, and both convert once it is back)
# and the trace table locked beyond the lock timeout (75), the answer of
# the trace's COMMIT lost after the commit (75, the outputs kept and
# published by the next run, once); the rest - item
# 1, the spool's faults, the output queues not writable after the trace
# commit, the symbolic links - runs as on SQLite.
. "$(dirname "$0")/lib.sh"
PG=${OX_PG_CONN:-}
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
JOHN=/C=DE/A=DBP/P=ACME/O=Acme/S=Smith/
SHIPPED_PARTNERS="[e1]
odette = O0013EONE
userid = 000101
x400 = /C=DE/A=DBP/P=ONE/O=One/S=EDI/
eerp = 1
[e2]
odette = O0013ETWO
userid = 000102
x400 = /C=DE/A=DBP/P=TWO/O=Two/S=EDI/
eerp = 2
[xt]
odette = O0013XT
x400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
local = $RITA
mode = transfer"
CG=$OX_TOOLS/crashgen
FG=$OX_TMP/$T
mkdir -p "$FG"
SHIPPED_DIR=$FG/main
. "$(dirname "$0")/shipped.inc"
MNT=
cleanup() {
	for _p in $WATCHERS; do kill -KILL "$_p" 2>/dev/null; done
	for _m in $MNT; do umount "$_m" 2>/dev/null; done
}
trap cleanup EXIT
WATCHERS=
# a new gateway NAME (its trace a copy of the 10,000 rows), made current
gateway() { shipped_use "$FG/$1"; shipped_build && shipped_fill "$DB"; }

# --- helpers ---------------------------------------------------------------
put() {	# DSN: an OFTP file of e1 (EERP mode 1), payload then .sfid via tmp/
	printf 'file %s\r\n' "$1" > "$S/oftp/in/tmp/$1" && mv "$S/oftp/in/tmp/$1" "$S/oftp/in/$1" &&
	printf '[sfid]\ndsn = %s\ndate = %s\ntime = 1200000001\ndest = O0177000000000X0LU000101\norig = O0013EONE\nformat = T\n' \
	    "$1" "$(date -u +%Y%m%d)" > "$S/oftp/in/tmp/$1.sfid" && mv "$S/oftp/in/tmp/$1.sfid" "$S/oftp/in/$1.sfid"
}
# stage DSN: the pair written in oftp/in/tmp, to be renamed in by commit
stage() {
	printf 'file %s\r\n' "$1" > "$S/oftp/in/tmp/$1" &&
	printf '[sfid]\ndsn = %s\ndate = %s\ntime = 1200000001\ndest = O0177000000000X0LU000101\norig = O0013EONE\nformat = T\n' \
	    "$1" "$(date -u +%Y%m%d)" > "$S/oftp/in/tmp/$1.sfid"
}
commit() { mv "$S/oftp/in/tmp/$1" "$S/oftp/in/$1" && mv "$S/oftp/in/tmp/$1.sfid" "$S/oftp/in/$1.sfid"; }
outs() { ls "$S/x400/out" "$S/oftp/eerp.out" 2>/dev/null | grep -cvE '^(tmp|work|)$|:$'; }
# intact NAME DSN: the input is in oftp/in as it came, nothing of it
# went to failed/, no P1 and no EERP are visible
intact() {
	_w=
	[ -f "$S/oftp/in/$2" ] && [ -f "$S/oftp/in/$2.sfid" ] || _w="$_w not in oftp/in ($(ls "$S/oftp/in" "$S/oftp/in/work"/* 2>/dev/null | tr '\n' ' '));"
	[ -z "$(ls "$S/failed" | grep -v '^tmp$')" ] || _w="$_w failed/: $(ls "$S/failed" | tr '\n' ' ');"
	[ "$(outs)" -eq 0 ] || _w="$_w outputs visible: $(ls "$S/x400/out" "$S/oftp/eerp.out" | tr '\n' ' ');"
	if [ -z "$_w" ]; then pass "$1"; else fail "$1" "$_w"; fi
}
# converted NAME DSN: its row, its P1 in x400/out and its EERP in
# oftp/eerp.out (EERP mode 1), each named by the trace, each once
converted() {
	_r=$(sq "SELECT state || ' ' || out_file FROM trace WHERE dir = 'oftp2x400' AND oftp_dsn = '$2'")
	_e=$(sq "SELECT o.name FROM trace_output o JOIN trace t ON t.id = o.trace_id WHERE t.oftp_dsn = '$2' AND o.queue = 'oftp/eerp.out'")
	if [ "${_r%% *}" = eerp-sent ] && [ -f "$S/x400/out/${_r#* }" ] && [ -n "$_e" ] && [ -f "$S/oftp/eerp.out/$_e" ] &&
	    [ ! -e "$S/oftp/in/$2.sfid" ] && [ "$(outs)" -eq 2 ]; then
		pass "$1"
	else
		fail "$1" "row '$_r', EERP '$_e'; x400/out: $(ls "$S/x400/out" | tr '\n' ' '); eerp.out: $(ls "$S/oftp/eerp.out" | tr '\n' ' '); oftp/in: $(ls "$S/oftp/in" | tr '\n' ' ')"
	fi
}
# every file in an output queue (not tmp/) has its trace_output row
recorded() {
	_miss=
	for _q in x400/out oftp/eerp.out oftp/out; do
		for _f in $(ls "$S/$_q" | grep -vxE 'tmp|work'); do
			[ "$(sq "SELECT count(*) FROM trace_output WHERE queue = '$_q' AND name = '$_f'")" -ge 1 ] || _miss="$_miss $_q/$_f"
		done
	done
	if [ -z "$_miss" ]; then pass "$1"; else fail "$1" "outputs without their trace row:$_miss"; fi
}
took() {	# the MTA and the OFTP daemon took what was there
	for _q in x400/out oftp/eerp.out oftp/out; do
		ls "$S/$_q" | grep -vxE 'tmp|work' | sed "s|^|$S/$_q/|" | xargs -r rm -f
	done
}
rc_is() {	# NAME WANT GOT LOG
	if [ "$3" -eq "$2" ]; then pass "$1"; else fail "$1" "exit $3, expected $2: $(grep -v 'started as root' "$4" | tail -2 | sed 's|/[^ ]*/oxgate/||g' | tr '\n' '|')"; fi
}
# the log of each run in $L.1 (what rc_is shows), all of them in $L
batch_unit() { unit oftp2x400 --spool 2>"$L.1"; _rc=$?; cat "$L.1" >> "$L"; return $_rc; }
batch_cron() { cron "oftp2x400 -c $CONF --spool" 2>"$L.1"; _rc=$?; cat "$L.1" >> "$L"; return $_rc; }
L=$FG/log
alive_pid() { _st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ "$_st" != Z ]; }
# unit_watch_exit SECONDS: a watcher of the current gateway that must
# end by itself; its exit status (143 if it was still there after
# SECONDS and got SIGTERM)
unit_watch_exit() {
	unit_bg oftp2x400 --watch 2>"$L.1"; _p=$UNIT_PID
	_i=0; while alive_pid $_p && [ $_i -lt $(($1 * 10)) ]; do sleep 0.1; _i=$((_i + 1)); done
	alive_pid $_p && kill -TERM $_p
	wait $_p; _rc=$?; cat "$L.1" >> "$L"; return $_rc
}

no_sanitizer() {	# LOG...: no sanitizer spoke in them
	for _f in "$@"; do
		if grep -qE 'Sanitizer|runtime error' "$_f"; then fail "no_sanitizer_${_f##*/}" "$(grep -m2 -E 'Sanitizer|runtime error' "$_f" | tr '\n' '|')"; fi
	done
	pass no_sanitizer_checked
}
# lock_trace: in the background, once the lock is held: another writer
# holds the trace (SQLite: a write transaction, BEGIN EXCLUSIVE;
# PostgreSQL: a session holding the table trace, LOCK TABLE) until
# unlock_trace (at most 300 s): however slow the converters start (under
# valgrind), the lock outlasts their busy timeout
hold_until_unlock() { _j=0; while [ ! -e "$FG/unlock" ] && [ $_j -lt 3000 ]; do sleep 0.1; _j=$((_j + 1)); done; }
lock_trace() {
	rm -f "$FG/locked" "$FG/unlock"
	if [ -n "$PG" ]; then
		(printf 'BEGIN;\nLOCK TABLE trace IN ACCESS EXCLUSIVE MODE;\n\\! echo locked > %s/locked\n' "$FG"
		 hold_until_unlock; printf 'COMMIT;\n') |
		    psql -X -q "${TRACE#postgresql:}" > /dev/null 2>&1 &
	else
		(printf 'BEGIN EXCLUSIVE;\n.print locked\n'; hold_until_unlock; printf 'COMMIT;\n') |
		    as_owner sqlite3 "$DB" > "$FG/locked" 2>&1 &
	fi
	LOCKER=$!
	_i=0
	while ! grep -q locked "$FG/locked" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}
unlock_trace() { touch "$FG/unlock"; wait $LOCKER; }
# The server down (PostgreSQL; instead of the faults of a trace file)
pgctl() { sh "$OX_TOP/tests/pg.sh" "$1" "$OX_PG_DIR"; }
pg_trace_faults() {
	# the server down (killed): a temporary failure, the input stays
	put PGDOWN
	pgctl down
	batch_cron; rc=$?
	rc_is pg_down_75 75 $rc "$L.1"
	batch_unit; rc=$?
	rc_is pg_down_unit_75 75 $rc "$L.1"
	intact pg_down_input_stays PGDOWN
	pgctl up || fail pg_up "$(tail -3 "$OX_PG_DIR/server.log" | tr '\n' '|')"
	recorded pg_down_outputs_recorded
	batch_cron; rc=$?
	rc_is pg_up_converts 0 $rc "$L.1"
	converted pg_up_row_p1_eerp PGDOWN
	took
	# The COMMIT's answer lost (the connection reset as it comes: a
	# server killed right after its commit, a network cut): the commit
	# happened, the converter cannot know. It exits 75 and must keep the
	# staged outputs, which the trace now records (before, it removed
	# them: the next run found the file converted, nothing to publish,
	# the P1 and the EERP lost). A preloaded shim fails every read once
	# the COMMIT has been sent (tests/shim/commit_lost.c, built here).
	# (not under valgrind: the shim would come before valgrind's own)
	if [ -z "${OX_VALGRIND:-}" ]; then
		shim=$FG/commit_lost.so
		cc -shared -fPIC -O2 -o "$shim" "$OX_TOP/tests/shim/commit_lost.c" -ldl &&
		    chmod 0755 "$FG" "$shim" || fail commit_answer_lost_shim "cc failed"
		CX=CXLOST
		put $CX
		ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 cron "env LD_PRELOAD=$shim oftp2x400 -c $CONF --spool" 2>"$L.1"
		rc=$?; cat "$L.1" >> "$L"
		rc_is commit_answer_lost_75 75 $rc "$L.1"
		[ "$(sq "SELECT state FROM trace WHERE oftp_dsn = '$CX'")" = eerp-sent ] &&
		    pass commit_answer_lost_committed ||
		    fail commit_answer_lost_committed "the commit did not happen: the case tests nothing ($(grep -m1 'deferred' "$L.1"))"
		intact commit_answer_lost_input_stays $CX
		batch_cron; rc=$?
		rc_is commit_answer_lost_next_run_0 0 $rc "$L.1"
		converted commit_answer_lost_outputs_published_once $CX
		took
	fi
}

# --- issue 18, item 1 --------------------------------------------------------
grep -qx 'sandbox = on' "$CONF" && pass shipped_sandbox_on || fail shipped_sandbox_on "$(grep sandbox "$CONF")"
[ "$(sq "SELECT count(*) FROM trace")" -ge 10000 ] && pass trace_10000_rows || fail trace_10000_rows "$(sq "SELECT count(*) FROM trace")"
put ITEM1
batch_unit; rc=$?
rc_is item1_unit_converts 0 $rc "$L.1"
converted item1_row_p1_eerp ITEM1
recorded item1_outputs_recorded
took
# the trace as a file: SQLite only (PostgreSQL: its own cases below)
if [ -z "$PG" ]; then
	# the trace read-only (the file; the -wal and -shm are gone after a run)
	put ITEM1RO
	chmod 0440 "$DB"
	batch_unit; rc=$?
	rc_is item1_readonly_unit_75 75 $rc "$L.1"
	intact item1_readonly_input_stays ITEM1RO
	batch_cron; rc=$?
	rc_is item1_readonly_cron_75 75 $rc "$L.1"
	intact item1_readonly_cron_input_stays ITEM1RO
	# the mode fixed, the next run converts: a run on the read-only file
	# leaves no -shm of the file's mode that would keep the trace read-only
	# after the fault (trace_open() refuses before SQLite makes one)
	chmod 0600 "$DB"
	batch_unit; rc=$?
	rc_is item1_readonly_fixed_converts 0 $rc "$L.1"
	if [ $rc -ne 0 ]; then
		echo "# after the read-only trace: $(ls -l "$DB"* | awk '{ print $1, $NF }' | sed 's|/.*/||' | tr '\n' ' ')"
		chmod 0600 "$DB"*	# what an operator would have to find out
		batch_unit
	fi
	converted item1_readonly_fixed_row_p1_eerp ITEM1RO
	recorded item1_readonly_outputs_recorded
	took

	# --- the trace ---------------------------------------------------------------
	# its directory (the spool root) read-only: no -wal or -shm can be made;
	# a temporary failure (75), not a configuration error (78); the same for
	# the full disk below
	put RODIR
	[ -s "$DB-wal" ] || rm -f "$DB-wal" "$DB-shm"
	chmod 0550 "$S"
	batch_cron; rc=$?
	chmod 0750 "$S"
	rc_is trace_dir_readonly_75 75 $rc "$L.1"
	intact trace_dir_readonly_input_stays RODIR
	recorded trace_dir_readonly_outputs_recorded
	batch_cron; rc=$?
	rc_is trace_dir_fixed_converts 0 $rc "$L.1"
	converted trace_dir_fixed_row_p1_eerp RODIR
	recorded trace_dir_outputs_recorded
	took

	# A damaged database is no reason to fail the input (it is not the
	# input's fault) and no configuration error: the batch stops with 75 and
	# the input stays, or it converts with the row recorded (when it did not
	# touch the damaged page). Restored from a copy, the next run converts.
	# Two damages: 16 KiB in the middle of the file, and the header of the
	# root page of the index every conversion looks its file up in
	# (trace_oftp_key).
	cp "$DB" "$FG/trace.copy"
	pgsz=$(sq "PRAGMA page_size")
	root=$(sq "SELECT rootpage FROM sqlite_master WHERE name = 'trace_oftp_key'")
	sz=$(stat -c %s "$DB")
	for where in middle index; do
		d=$(echo "CORRUPT$where" | tr a-z A-Z)
		put "$d"
		if [ $where = middle ]; then
			dd if=/dev/urandom of="$DB" bs=4096 seek=$((sz / 4096 / 2)) count=4 conv=notrunc 2>/dev/null
		else
			# its b-tree page header: the page type, the cell count, ...
			head -c 12 /dev/zero | tr '\0' '\377' |
			    dd of="$DB" bs=1 seek=$(( (root - 1) * pgsz )) count=12 conv=notrunc 2>/dev/null
		fi
		batch_cron; rc=$?
		echo "# a damaged page ($where): exit $rc, $(tail -1 "$L" | cut -c1-200)"
		case $rc in
		0)	# it did not touch the damaged pages: then the row must be there
			[ "$(sq "SELECT state FROM trace WHERE oftp_dsn = '$d'" 2>/dev/null)" = eerp-sent ] &&
			    pass "trace_corrupt_${where}_converted_with_row" || fail "trace_corrupt_${where}_converted_with_row" "exit 0 and no row"
			;;
		75)	pass "trace_corrupt_${where}_75"; intact "trace_corrupt_${where}_input_stays" "$d" ;;
		*)	fail "trace_corrupt_${where}_exit" "exit $rc (expected 75, or 0 with the row): $(tail -2 "$L" | tr '\n' '|')"
			[ -z "$(ls "$S/failed" | grep -v '^tmp$')" ] && [ -f "$S/oftp/in/$d.sfid" ] && pass "trace_corrupt_${where}_input_stays" ||
			    fail "trace_corrupt_${where}_input_stays" "oftp/in: $(ls "$S/oftp/in" | tr '\n' ' '); failed/: $(ls "$S/failed" | tr '\n' ' ')" ;;
		esac
		cp "$FG/trace.copy" "$DB" && rm -f "$DB-wal" "$DB-shm" && chown "$OWNER:$OWNER_GROUP" "$DB"
		if [ $rc -ne 0 ]; then
			batch_cron; rc=$?
			rc_is "trace_restored_${where}_converts" 0 $rc "$L.1"
			converted "trace_restored_${where}_row_p1_eerp" "$d"
		fi
		took
	done
else
	pg_trace_faults
fi
# locked beyond the busy timeout (5 s; PostgreSQL: the lock_timeout):
# another writer holds the trace for 8 s
put LOCKED
lock_trace
t0=$(date +%s)
batch_cron; rc=$?
el=$(( $(date +%s) - t0 ))
rc_is trace_locked_75 75 $rc "$L.1"
[ $el -ge 4 ] && pass trace_locked_waited_busy_timeout || fail trace_locked_waited_busy_timeout "gave up after $el s"
intact trace_locked_input_stays LOCKED
recorded trace_locked_outputs_recorded
unlock_trace
batch_cron; rc=$?
rc_is trace_unlocked_converts 0 $rc "$L.1"
converted trace_unlocked_row_p1_eerp LOCKED
took

# --- the spool ---------------------------------------------------------------
# x400/out/tmp not writable: nothing can be staged
put UNWTMP
chmod 0550 "$S/x400/out/tmp"
batch_cron; rc=$?
rc_is queue_tmp_unwritable_75 75 $rc "$L.1"
intact queue_tmp_unwritable_input_stays UNWTMP
recorded queue_tmp_unwritable_outputs_recorded
chmod 2770 "$S/x400/out/tmp"
batch_cron; rc=$?
rc_is queue_tmp_fixed_converts 0 $rc "$L.1"
converted queue_tmp_fixed_row_p1_eerp UNWTMP
took
# x400/out not writable: the outputs are staged and recorded, but cannot
# be published; the input stays; fixed, the redo publishes them, once
put UNWQ
chmod 0550 "$S/x400/out"
batch_cron; rc=$?
chmod 2770 "$S/x400/out"
rc_is queue_unwritable_75 75 $rc "$L.1"
[ -f "$S/oftp/in/UNWQ.sfid" ] && [ -z "$(ls "$S/failed" | grep -v '^tmp$')" ] && [ -z "$(ls "$S/x400/out" | grep -v '^tmp$')" ] &&
    pass queue_unwritable_input_stays || fail queue_unwritable_input_stays "$(ls "$S/oftp/in" "$S/x400/out" "$S/failed" | tr '\n' ' ')"
recorded queue_unwritable_outputs_recorded
batch_cron; rc=$?
rc_is queue_fixed_converts 0 $rc "$L.1"
converted queue_fixed_row_p1_eerp UNWQ
# published by the start-up recovery (outbox_recover) or by the redo of UNWQ
grep -qE 'UNWQ.*finished the conversion|published [0-9]+ outputs? committed by a process' "$L.1" &&
    pass queue_fixed_redo_publishes || fail queue_fixed_redo_publishes "$(grep UNWQ "$L.1" | tail -1)"
took
# (queue_fixed_* fail now, and the four converters below: after a failed
# outbox_publish() the handler's final outbox_abort() unlinks the staged
# files the trace has recorded; the redo finds the row done and nothing
# to publish: the outputs are lost.)
# The same for every program that commits outputs: its output queue not
# writable after the trace commit. The outputs are recorded and wait in
# tmp/ (outbox.h: "nothing else removes a recorded file"); the input
# stays; once the queue is writable, the next run publishes them.
# publish_fails NAME QUEUE CRON-LINE INPUT-QUEUE: the input is there
# new_outputs COLUMNS: COLUMNS of the trace_output rows not in
# outputs.before (the rows recorded since)
new_outputs() {
	sq "SELECT trace_id || '.' || seq || ' ' || $1 FROM trace_output" |
	    awk 'NR == FNR { b[$1]; next } !($1 in b) { sub(/^[^ ]* /, ""); print }' "$FG/outputs.before" -
}
publish_fails() {
	_n=$1 _q=$2 _c=$3 _i=$4
	_before=$(ls "$S/$_i" | grep -cvxE 'tmp|work')
	sq "SELECT trace_id || '.' || seq FROM trace_output" > "$FG/outputs.before"
	chmod 0550 "$S/$_q"
	cron "$_c" 2>"$L.1"; _rc=$?; cat "$L.1" >> "$L"
	chmod 2770 "$S/$_q"
	rc_is "${_n}_queue_unwritable_75" 75 $_rc "$L.1"
	# the outputs this run recorded: each in tmp/ or published
	_lost=$(new_outputs "queue || ' ' || tmp || ' ' || name" |
	    while read -r _oq _ot _on; do [ -e "$S/$_oq/tmp/$_ot" ] || [ -e "$S/$_oq/$_on" ] || echo "$_oq/$_on"; done)
	[ -z "$_lost" ] && pass "${_n}_recorded_outputs_kept" || fail "${_n}_recorded_outputs_kept" "recorded, neither in tmp/ nor published:$(echo $_lost)"
	[ "$(ls "$S/$_i" | grep -cvxE 'tmp|work')" -eq "$_before" ] && [ -z "$(ls "$S/failed" | grep -v '^tmp$')" ] &&
	    pass "${_n}_input_stays" || fail "${_n}_input_stays" "$(ls "$S/$_i" "$S/failed" | tr '\n' ' ')"
	cron "$_c" 2>"$L.1"; _rc=$?; cat "$L.1" >> "$L"
	rc_is "${_n}_fixed_0" 0 $_rc "$L.1"
	new_outputs queue | grep -qx "$_q" ||
	    fail "${_n}_recorded_an_output" "the run recorded no output into $_q: the case tests nothing"
	_miss=$(new_outputs "queue || ' ' || name" |
	    while read -r _oq _on; do [ -e "$S/$_oq/$_on" ] || echo "$_oq/$_on"; done)
	[ -z "$_miss" ] && pass "${_n}_fixed_published" || fail "${_n}_fixed_published" "recorded but never published:$(echo $_miss)"
}
# x4002oftp: a message for xt; oftp/out not writable
"$CG" ipm "$S/x400/in" pf 0 1 "$JOHN" "$RITA"
publish_fails x4002oftp oftp/out "x4002oftp -c $CONF --spool" x400/in
took
# eerp2report: the station's EERP on a file of xt; x400/out not writable
# (the delivery report)
"$CG" ipm "$S/x400/in" pf 1 1 "$JOHN" "$RITA"
cron "x4002oftp -c $CONF --spool" 2>>"$L"
mkdir -p "$FG/far"; mv "$S"/oftp/out/[0-9a-f]* "$FG/far/" 2>/dev/null
"$CG" eerp "$S/oftp/eerp.in" "$FG"/far/*.sfid
publish_fails eerp2report x400/out "eerp2report -c $CONF --spool" oftp/eerp.in
took
# report2eerp: a file of e2 (EERP mode 2), its delivery report;
# oftp/eerp.out not writable (the EERP)
printf 'file E2\r\n' > "$S/oftp/in/tmp/E2" && mv "$S/oftp/in/tmp/E2" "$S/oftp/in/E2"
printf '[sfid]\ndsn = E2\ndate = %s\ntime = 1200000001\ndest = O0177000000000X0LU000102\norig = O0013ETWO\nformat = T\n' \
    "$(date -u +%Y%m%d)" > "$S/oftp/in/tmp/E2.sfid" && mv "$S/oftp/in/tmp/E2.sfid" "$S/oftp/in/E2.sfid"
batch_cron
"$CG" report "$S/x400/reports" "$S"/x400/out/*.p1 && rm -f "$S"/x400/out/*.p1
publish_fails report2eerp oftp/eerp.out "report2eerp -c $CONF --spool" x400/reports
took
# oxtrace expire: a file of e2 whose report never comes; the NERP cannot
# be published (oftp/eerp.out not writable): the next sweep publishes it
printf 'file E2X\r\n' > "$S/oftp/in/tmp/E2X" && mv "$S/oftp/in/tmp/E2X" "$S/oftp/in/E2X"
printf '[sfid]\ndsn = E2X\ndate = %s\ntime = 1200000001\ndest = O0177000000000X0LU000102\norig = O0013ETWO\nformat = T\n' \
    "$(date -u +%Y%m%d)" > "$S/oftp/in/tmp/E2X.sfid" && mv "$S/oftp/in/tmp/E2X.sfid" "$S/oftp/in/E2X.sfid"
batch_cron; took
publish_fails oxtrace_expire oftp/eerp.out "oxtrace -c $CONF expire --now @$(( $(date +%s) + 3 * 86400 ))" oftp/in
took

# a queue or its tmp/ a symbolic link: refused at the start with 78,
# nothing touched, as the unit and as cron run it, batch and watch
mkdir -p "$FG/elsewhere/tmp"
put SYMLINK
for what in x400/out x400/out/tmp; do
	mv "$S/$what" "$S/$what.real" && ln -s "$FG/elsewhere" "$S/$what"
	n=$(echo "$what" | tr / _)
	batch_unit; rc=$?
	rc_is "symlinked_${n}_unit_78" 78 $rc "$L.1"
	grep -q 'is a symbolic link' "$L.1" && pass "symlinked_${n}_says_so" || fail "symlinked_${n}_says_so" "$(tail -2 "$L.1" | tr '\n' '|')"
	batch_cron; rc=$?
	rc_is "symlinked_${n}_cron_78" 78 $rc "$L.1"
	unit_watch_exit 5; rc=$?
	rc_is "symlinked_${n}_watch_78" 78 $rc "$L.1"
	[ -f "$S/oftp/in/SYMLINK.sfid" ] && [ -z "$(ls "$FG/elsewhere" | grep -v '^tmp$')" ] && [ -z "$(ls "$FG/elsewhere/tmp")" ] &&
	    pass "symlinked_${n}_nothing_touched" || fail "symlinked_${n}_nothing_touched" "$(ls -R "$FG/elsewhere" "$S/oftp/in" | tr '\n' ' ')"
	rm "$S/$what" && mv "$S/$what.real" "$S/$what"
	recorded "symlinked_${n}_outputs_recorded"
done
batch_cron; rc=$?
rc_is symlink_fixed_converts 0 $rc "$L.1"
converted symlink_fixed_row_p1_eerp SYMLINK
took

# --- PostgreSQL: a watcher through the server's restart ----------------------
# The watcher, as the unit starts it, loses its connection when the
# server is killed; an input arriving meanwhile is deferred and the
# watcher stays; once the server is back, the next input converts at
# once (the connection made again at its first BEGIN); the server
# killed and started again while the watcher is idle, the next input
# converts at once too. The deferred one waits for its retry delay (60
# s; the SQLite watchers below wait for it): here the watcher ends (0
# on SIGTERM) and a batch run converts it, so nothing is lost. The rest
# below is a trace file's.
if [ -n "$PG" ]; then
	unit_bg oftp2x400 --watch 2>"$FG/wpg.wlog"; wp=$UNIT_PID
	WATCHERS="$WATCHERS $wp"
	i=0; while ! grep -q 'started as root\|sandbox' "$FG/wpg.wlog" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 0.3
	pgctl down
	put WPGDOWN
	i=0; while ! grep -q 'deferred\|trying again in' "$FG/wpg.wlog" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q 'deferred\|trying again in' "$FG/wpg.wlog" && alive_pid $wp && pass pg_down_watch_defers_and_stays ||
	    fail pg_down_watch_defers_and_stays "$(alive_pid $wp && echo running || echo exited): $(tail -3 "$FG/wpg.wlog" | tr '\n' '|')"
	pgctl up || fail pg_up "$(tail -3 "$OX_PG_DIR/server.log" | tr '\n' '|')"
	# wait_p1 DSN: its row eerp-sent within 10 s
	wait_p1() {
		_i=0
		while [ "$(sq "SELECT count(*) FROM trace WHERE oftp_dsn = '$1' AND state = 'eerp-sent'")" != 1 ] && [ $_i -lt 100 ]; do
			sleep 0.1; _i=$((_i + 1))
		done
	}
	put WPGUP
	wait_p1 WPGUP
	alive_pid $wp && [ -f "$S/oftp/in/WPGDOWN.sfid" ] && [ ! -e "$S/oftp/in/WPGUP.sfid" ] &&
	    pass pg_up_watch_still_there || fail pg_up_watch_still_there "$(tail -3 "$FG/wpg.wlog" | tr '\n' '|')"
	converted pg_up_watch_converts_next WPGUP
	took
	pgctl restart
	put WPGRESTART
	wait_p1 WPGRESTART
	converted pg_restart_idle_watch_converts_next WPGRESTART
	took
	recorded pg_watch_outputs_recorded
	if alive_pid $wp; then
		kill -TERM $wp; wait $wp; rc=$?
		rc_is pg_watch_sigterm_0 0 $rc "$FG/wpg.wlog"
	else
		wait $wp; rc=$?
		fail pg_watch_sigterm_0 "the watcher exited ($rc): $(tail -3 "$FG/wpg.wlog" | tr '\n' '|')"
	fi
	batch_cron; rc=$?
	rc_is pg_deferred_batch_converts 0 $rc "$L.1"
	converted pg_deferred_row_p1_eerp WPGDOWN
	WATCHERS=
	no_sanitizer "$L" "$FG/wpg.wlog"
	exit 0
fi

# --- disk full: the spool and the trace on a small tmpfs ------------------------
# (if mount(8) is not allowed here, a file size limit instead, SIGXFSZ
# ignored: writes beyond it fail with EFBIG as with a full disk)
gateway full
if mount -t tmpfs -o size=8m,mode=0750,uid="$(id -u "$OWNER")",gid="$(id -g "$OWNER")" oxfaults "$S" 2>/dev/null; then
	MNT="$MNT $S"
	shipped_spool && shipped_fill "$DB"
	put FULL
	dd if=/dev/zero of="$S/filler" bs=64k 2>/dev/null; dd if=/dev/zero of="$S/filler2" bs=512 2>/dev/null
	batch_cron; rc=$?
	rc_is disk_full_75 75 $rc "$L.1"
	batch_unit; rc=$?
	rc_is disk_full_unit_75 75 $rc "$L.1"
	intact disk_full_input_stays FULL
	recorded disk_full_outputs_recorded
	rm -f "$S/filler" "$S/filler2"
	batch_cron; rc=$?
	rc_is disk_room_again_converts 0 $rc "$L.1"
	converted disk_room_again_row_p1_eerp FULL
	took
	FULLMNT=1
else
	echo "# mount not permitted: disk full stands in as a file size limit"
	put FULL
	head -c 300000 /dev/urandom | od -An -tx1 > "$S/oftp/in/tmp/FULL" && mv "$S/oftp/in/tmp/FULL" "$S/oftp/in/FULL"
	(trap '' XFSZ; ulimit -f 200; batch_cron); rc=$?
	rc_is file_size_limit_75 75 $rc "$L.1"
	[ -f "$S/oftp/in/FULL.sfid" ] && [ -z "$(ls "$S/failed" | grep -v '^tmp$')" ] && pass file_size_limit_input_stays || fail file_size_limit_input_stays "$(ls "$S/oftp/in" "$S/failed")"
	recorded file_size_limit_outputs_recorded
	batch_cron; rc=$?
	rc_is file_size_limit_gone_converts 0 $rc "$L.1"
	FULLMNT=
fi

# --- the trace unlinked under a running --watch --------------------------------
# It must stop with a clear error naming the trace, not go on writing
# rows into the unlinked file (trace_check() before each item): exit 78,
# the input stays.
gateway unlinked
WL=$FG/unlinked.log
unit_bg oftp2x400 --watch 2>"$WL"; wp=$UNIT_PID
i=0; while ! grep -q 'started as root\|sandbox' "$WL" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
rm -f "$DB" "$DB-wal" "$DB-shm"
put UNLINKED
i=0; while alive_pid $wp && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if alive_pid $wp; then
	kill -TERM $wp; wait $wp
	fail unlinked_trace_watch_stops "the watcher goes on after its trace was unlinked: $(ls "$S/x400/out" | grep -c '\.p1$') P1 written, rows into the unlinked file; log: $(tail -2 "$WL" | tr '\n' '|')"
else
	wait $wp; rc=$?
	# 78: not restarted by systemd into a new empty trace; the operator
	# restores it (or starts the service again to make a new one)
	[ $rc -eq 78 ] && grep -q 'trace.db.*removed while in use.*stopped' "$WL" && pass unlinked_trace_watch_stops ||
	    fail unlinked_trace_watch_stops "exit $rc: $(tail -2 "$WL" | tr '\n' '|')"
fi
[ -f "$S/oftp/in/UNLINKED.sfid" ] && [ -z "$(ls "$S/x400/out" | grep -v '^tmp$')" ] && pass unlinked_trace_input_stays ||
    fail unlinked_trace_input_stays "oftp/in: $(ls "$S/oftp/in" | tr '\n' ' '); x400/out: $(ls "$S/x400/out" | tr '\n' ' ')"

# --- watchers through temporary faults ----------------------------------------
# One gateway per fault, its watcher started as the unit starts it; the
# fault comes, an input arrives, the watcher defers it and stays; the
# fault goes; within its retry delay (60 s) plus a margin it converts.
wstart() {	# NAME: the watcher of the current gateway
	unit_bg oftp2x400 --watch 2>"$FG/$1.wlog"; eval "W_$1=$UNIT_PID"
	WATCHERS="$WATCHERS $UNIT_PID"
	_i=0; while ! grep -q 'started as root\|sandbox' "$FG/$1.wlog" && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	sleep 0.3
}
deferred() {	# NAME: the watcher logged the deferral (waits up to 10 s)
	# an item deferred, or (a trace it cannot open) the start waited for
	_i=0; while ! grep -q 'deferred\|trying again in' "$FG/$1.wlog" && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
	grep -q 'deferred\|trying again in' "$FG/$1.wlog"
}
# (a trace made read-only under a running watcher changes nothing: its
# file is open; the watcher started on a read-only trace is the case)
WNAMES="wlocked wqueue wstartro"
gateway wlocked; wstart wlocked
lock_trace
put WLOCKED
gateway wstartro
chmod 0440 "$DB"
put WSTARTRO
wstart wstartro
gateway wqueue; wstart wqueue
chmod 0550 "$S/x400/out/tmp"
put WQUEUE
if [ -n "$FULLMNT" ]; then
	gateway wfull
	mount -t tmpfs -o size=8m,mode=0750,uid="$(id -u "$OWNER")",gid="$(id -g "$OWNER")" oxfaults "$S" && MNT="$MNT $S"
	shipped_spool && shipped_fill "$DB"
	wstart wfull
	stage WFULL
	dd if=/dev/zero of="$S/filler" bs=64k 2>/dev/null; dd if=/dev/zero of="$S/filler2" bs=512 2>/dev/null
	commit WFULL
	WNAMES="$WNAMES wfull"
fi
# the faults are there: each watcher deferred its input and goes on
for w in $WNAMES; do
	eval "p=\$W_$w"
	if deferred $w && alive_pid "$p"; then pass "${w}_watch_defers_and_stays"
	else fail "${w}_watch_defers_and_stays" "$(alive_pid "$p" && echo running || echo "exited")"": $(tail -3 "$FG/$w.wlog" | tr '\n' '|')"; fi
done
# a watcher started on a read-only trace must not end with 78: systemd
# would not start it again (RestartPreventExitStatus=64 78); it waits,
# trying to open the trace again (1, 2, 4 ... 60 s), and leaves no
# read-only -shm behind
p=$W_wstartro
if ! alive_pid "$p"; then
	wait "$p"; rc=$?
	[ $rc -ne 78 ] && pass wstartro_not_78 || fail wstartro_not_78 "a watcher started on a read-only trace exits 78 (EX_CONFIG, no restart by systemd): $(tail -1 "$FG/wstartro.wlog")"
	eval "W_wstartro=$p"
else
	pass wstartro_not_78
fi
# the faults go
unlock_trace
shipped_use "$FG/wstartro"; chmod 0600 "$DB"
shipped_use "$FG/wqueue"; chmod 2770 "$S/x400/out/tmp"
[ -z "$FULLMNT" ] || { shipped_use "$FG/wfull"; rm -f "$S/filler" "$S/filler2"; }
# then each converts within its retry delay, still running
t0=$(date +%s)
left=$WNAMES
while [ -n "$left" ] && [ $(( $(date +%s) - t0 )) -lt 75 ]; do
	nl=
	for w in $left; do
		shipped_use "$FG/$w"
		ls "$S/x400/out" | grep -q '\.p1$' || nl="$nl $w"
	done
	left=$nl
	[ -z "$left" ] || sleep 1
done
echo "# the watchers converted within $(( $(date +%s) - t0 )) s of the faults' end (retry delay 60 s)"
for w in $WNAMES; do
	shipped_use "$FG/$w"
	eval "p=\$W_$w"
	d=$(echo "$w" | tr a-z A-Z)
	if alive_pid "$p"; then
		converted "${w}_watch_converts_after_fault" "$d"
		recorded "${w}_outputs_recorded"
		kill -TERM "$p"; wait "$p"; rc=$?
		rc_is "${w}_watch_sigterm_0" 0 $rc "$FG/$w.wlog"
	else
		wait "$p"; rc=$?
		fail "${w}_watch_converts_after_fault" "the watcher exited ($rc): $(tail -3 "$FG/$w.wlog" | tr '\n' '|')"
	fi
done
WATCHERS=
no_sanitizer "$L" "$FG"/*.wlog "$WL"
