#!/bin/sh
# batch_kill - a group commit (oxgate-spool(5), Group commit) killed with
# SIGKILL at each instant that matters, with several items in the group
# (issue 27): oftp2x400 --spool takes BATCH_N OFTP files of a partnership
# with EERP mode 1 (a P1 and an EERP each) and one file for no
# partnership (refused: a NERP, the input to failed/) in one group; strace
# kills it
#   staged        at the group's sync (syncfs): every output staged,
#                 nothing synced, nothing committed
#   synced        at the trace's commit (the first write of its WAL):
#                 the outputs durable, the transaction not committed
#   committed     at the first rename of the publication: committed,
#                 nothing renamed
#   renames       between two renames of the publication
#   published     at the first unlink of an input: every output renamed,
#                 no input removed
#   removing      between the removals of the inputs
# After each kill the consumer takes every output visible (each copy
# under a name of its own, so that a second copy of an output shows),
# then an undisturbed run finishes, and the consumer takes again. Then:
# every input converted exactly once (one P1 and one EERP for each good
# file, one NERP for the bad one, each in the trace and each taken once),
# the bad input in failed/ once with its .why, the queue, its work/ and
# the tmp/ of the output queues empty of recorded files, every file
# taken recorded in trace_output, the trace rows in their final state.
. "$(dirname "$0")/lib.sh"
BATCH_N=${BATCH_N:-6}
G=$OX_TMP/$T
mkdir -p "$G"
if [ -n "${OX_VALGRIND:-}" ] || ! command -v strace > /dev/null 2>&1 ||
    ! strace -f -qq -o /dev/null -e trace=rename true > /dev/null 2>&1; then
	echo "SKIP $T: strace cannot run here"
	exit 0
fi
O2X=$OX_ABIN/oftp2x400
[ -x "$O2X" ] || O2X=$OX_BIN/oftp2x400
V=O0177000000000X0LU000042

# gw NAME: a fresh gateway in $G/NAME, made current ($S, $C, $DB, $TK)
gw() {
	D=$G/$1 S=$G/$1/spool C=$G/$1/oxgate.ini DB=$G/$1/spool/trace.db TK=$G/$1/taken
	mkdir -p "$S/oftp/in/tmp" "$TK"
	printf "[spool]\nroot = %s\nbatch-time = 1000\n[security]\nsandbox = off\n" "$S" > "$C"
	printf '[acme]\nodette = O0013ACME\nuserid = 000042\nx400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\neerp = 1\n' > "$D/partners.ini"
}
# put DSN ORIG: an OFTP file, payload then .sfid (the commit marker)
put() {
	printf 'file %s\r\n' "$1" > "$S/oftp/in/tmp/$1" && mv "$S/oftp/in/tmp/$1" "$S/oftp/in/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261207\ntime = 1200000001\ndest = %s\norig = %s\nformat = T\n' \
	    "$1" "$V" "$2" > "$S/oftp/in/tmp/$1.sfid" && mv "$S/oftp/in/tmp/$1.sfid" "$S/oftp/in/$1.sfid"
}
# take: the consumer takes every output visible, each copy once
take() {
	for _f in "$S"/x400/out/* "$S"/oftp/eerp.out/*; do
		[ -f "$_f" ] || continue
		_n=${_f##*/} _k=1 _d=$TK/${_f##*/}
		while [ -e "$_d" ]; do _k=$((_k + 1)); _d=$TK/$_n~$_k; done
		mv "$_f" "$_d"
	done
}
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }
# killed NAME SYSCALL WHEN: a run killed at the WHEN-th call of SYSCALL
killed() {
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e trace="$2" \
	    -e inject="$2":signal=SIGKILL:when="$3" "$O2X" -c "$C" --spool 2> "$D/killed.err"
	_rc=$?
	if [ $_rc -eq 137 ] || grep -q 'killed by SIGKILL' "$D/killed.err"; then
		pass "$1_killed"
	else
		fail "$1_killed" "exit $_rc, not killed: $(tail -2 "$D/killed.err" | tr '\n' '|')"
	fi
}
# verify NAME: after the kill, the consumer, one run, the consumer
verify() {
	_name=$1 _w=
	take
	"$O2X" -c "$C" --spool 2> "$D/redo.err"; _rc=$?
	take
	[ $_rc -eq 0 ] || _w="$_w redo exit $_rc: $(tail -2 "$D/redo.err" | tr '\n' '|');"
	_p1=$(ls "$TK" | grep -c '\.p1') _eerp=$(ls "$TK" | grep -c '\.eerp') _nerp=$(ls "$TK" | grep -c '\.nerp')
	_dup=$(ls "$TK" | grep -c '~')
	[ "$_p1" -eq "$BATCH_N" ] && [ "$_eerp" -eq "$BATCH_N" ] && [ "$_nerp" -eq 1 ] ||
	    _w="$_w taken: $_p1 P1, $_eerp EERP, $_nerp NERP for $BATCH_N good files and one bad;"
	[ "$_dup" -eq 0 ] || _w="$_w $_dup outputs taken twice: $(ls "$TK" | grep '~' | tr '\n' ' ');"
	_left=$(ls -A "$S/oftp/in" "$S/oftp/in/work" | grep -cvE '^(tmp|work|)$|:$')
	[ "$_left" -eq 0 ] || _w="$_w left in oftp/in: $(ls -AR "$S/oftp/in" | tr '\n' ' ' | cut -c1-200);"
	_f=$(ls "$S/failed" | grep -cvx tmp)
	[ "$_f" -eq 3 ] && [ -f "$S/failed/BAD.why" ] || _w="$_w failed/: $(ls "$S/failed" | tr '\n' ' ');"
	# no recorded output is still in a tmp/; every file taken is recorded
	for _q in x400/out oftp/eerp.out; do
		for _t in $(ls "$S/$_q/tmp"); do
			[ "$(sql "SELECT count(*) FROM trace_output WHERE queue = '$_q' AND tmp = '$_t'")" -eq 0 ] ||
			    _w="$_w recorded output $_q/tmp/$_t not published;"
		done
	done
	for _t in $(ls "$TK"); do
		[ "$(sql "SELECT count(*) FROM trace_output WHERE name = '${_t%%~*}'")" -eq 1 ] ||
		    _w="$_w $_t taken, not recorded once;"
	done
	_rows=$(sql "SELECT count(*) FROM trace")
	_good=$(sql "SELECT count(*) FROM trace WHERE state = 'eerp-sent'")
	_bad=$(sql "SELECT count(*) FROM trace WHERE state = 'failed'")
	[ "$_rows" -eq $((BATCH_N + 1)) ] && [ "$_good" -eq "$BATCH_N" ] && [ "$_bad" -eq 1 ] ||
	    _w="$_w trace: $_rows rows, $_good eerp-sent, $_bad failed;"
	if [ -z "$_w" ]; then pass "$_name"; else fail "$_name" "$_w"; fi
}
# at NAME VISIBLE DECIDED CLAIMED: where the kill left the group: outputs
# visible in the queues, trace rows decided (past received), files of
# inputs still claimed in the work directory
at() {
	_v=$(ls "$S/x400/out" "$S/oftp/eerp.out" | grep -cvE '^(tmp|work|)$|:$')
	_d=$(sql "SELECT count(*) FROM trace WHERE state <> 'received'")
	_c=$(ls "$S"/oftp/in/work/* 2>/dev/null | grep -cvE '^(|.*:)$')
	if [ "$_v $_d $_c" = "$2 $3 $4" ]; then pass "$1_at"; else
		fail "$1_at" "$_v outputs visible, $_d rows decided, $_c files claimed; expected $2 $3 $4"; fi
}
# case NAME SYSCALL WHEN VISIBLE DECIDED CLAIMED: a fresh batch, killed
# there, where it was checked, then verified
case_at() {
	gw "$1"
	_i=1
	while [ $_i -le "$BATCH_N" ]; do put "F$_i" O0013ACME; _i=$((_i + 1)); done
	put BAD O0013NOBODY
	# arrival order: the bad file in the middle of the group; all in the
	# past (a .sfid newer than its transaction is the file sent again)
	_t=$(($(date +%s) - 60))
	touch -d "@$((_t + 3))" "$S/oftp/in/BAD.sfid"
	_i=1
	while [ $_i -le "$BATCH_N" ]; do
		touch -d "@$((_t + _i))" "$S/oftp/in/F$_i.sfid"; _i=$((_i + 1))
	done
	killed "$1" "$2" "$3"
	at "$1" "$4" "$5" "$6"
	verify "$1"
}

# the syscalls of one undisturbed group, to place the kills: the claims
# (two renames each), the group's sync (syncfs), its commit (the writes
# of the trace's WAL), the publication (renames), the removals (unlinkat)
gw probe
_i=1
while [ $_i -le "$BATCH_N" ]; do put "F$_i" O0013ACME; _i=$((_i + 1)); done
put BAD O0013NOBODY
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$G/probe.trace" \
    -e trace=renameat,syncfs,fsync,fdatasync,unlinkat,pwrite64 "$O2X" -c "$C" --spool 2> "$D/probe.err"
verify probe_undisturbed
claims=$((2 * (BATCH_N + 1)))
first_sync=$(grep -n 'syncfs(' "$G/probe.trace" | head -1 | cut -d: -f1)
wal_before=$(head -n "$first_sync" "$G/probe.trace" | grep -c 'pwrite64(')
# one group: every claim before the group's sync
claimed=$(head -n "$first_sync" "$G/probe.trace" | grep -c 'renameat(')
if [ "$claimed" -eq "$claims" ]; then pass one_group; else fail one_group "$claimed renames before the first sync, $claims claims"; fi
echo "# probe: $(grep -c 'syncfs(' "$G/probe.trace") syncfs, $(grep -c ' fsync(' "$G/probe.trace") fsync, $(grep -c 'fdatasync(' "$G/probe.trace") fdatasync, $(grep -c 'renameat(' "$G/probe.trace") renameat, $(grep -c 'unlinkat(' "$G/probe.trace") unlinkat; $wal_before trace writes before the group's sync"

n=$((BATCH_N + 1)) outs=$((2 * BATCH_N + 1))
case_at staged syncfs 1 0 0 $((2 * n))
case_at synced pwrite64 $((wal_before + 1)) 0 0 $((2 * n))
case_at committed renameat $((claims + 1)) 0 $n $((2 * n))
case_at renames renameat $((claims + 4)) 3 $n $((2 * n))
case_at published unlinkat 1 $outs $n $((2 * n))
case_at removing unlinkat 4 $outs $n $((2 * n - 3))
