#!/bin/sh
# crash - the spool contract under SIGKILL, in the shipped configuration
# (issue 18: nothing lost, nothing twice). The gateway is built from the
# shipped etc/ files and the programs run as the systemd unit and the cron
# file run them (shipped.inc), on a trace of 10,000 rows. Each stage feeds
# the outputs of the one before, in batches while the kills go on, and
# kills its program with SIGKILL at random points at least $CRASH_KILLS
# times (default 50; fewer under valgrind), while
#  (a) a consumer (the OFTP daemon and the MTA) takes every output the
#      moment it is complete - each file of x400/out and oftp/eerp.out,
#      each pair of oftp/out once NAME.sfid is there - into taken/, every
#      copy under a name of its own (NAME, NAME~2, ...): a duplicate shows;
#  (b) two instances run each round (a converter: one --spool from cron,
#      one --watch as the unit runs it), one or both killed.
# Stages: oftp2x400 (EERP mode 1 and 2), report2eerp, x4002oftp (transfer
# and agent mode), eerp2report, oxtrace expire, oxtrace partner release,
# oxtrace overflow reactivate (agent mode; refused in transfer mode after
# the expiry's NDR), oxpurge. After each: one undisturbed run,
# the consumer drains, then every input ended exactly once on the far
# side, the queues and their work/ and failed/ are empty, no recorded
# output is still in a tmp/, every file taken is recorded in trace_output,
# the trace (SQL) agrees with the files, no instance that was not killed
# exited with other than 0 or 75, and no sanitizer spoke. Where a random
# kill can hardly hit the instant that matters (a pair moved by two
# renames), strace kills the program exactly there. Printed per stage:
# kills, rounds, items put back from killed claims, starts that published
# outputs a dead process had committed, redos that finished one, files
# killed runs left staged in a tmp/, seconds. CRASH_KILLS (default 50),
# CRASH_MAXIN (inputs of one kind per converter stage, default 150),
# CRASH_DEBUG=1 (round timings in the gateway's debug file). In a
# PostgreSQL run (crash.sh@pg) the trace is a database of the run's
# cluster (shipped.inc), the SQL the same on both (lib.sh: tsql), and
# every stage runs there too.
. "$(dirname "$0")/lib.sh"
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
TOM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Agent/G=Tom/
HOLLY=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Held/G=Holly/
JOHN=/C=DE/A=DBP/P=ACME/O=Acme/S=Smith/
SHIPPED_PARTNERS="; e1: EERP at once; e2: EERP on the delivery report
[e1]
odette = O0013EONE
userid = 000101
x400 = /C=DE/A=DBP/P=ONE/O=One/S=EDI/
eerp = 1
[e2]
odette = O0013ETWO
userid = 000102
x400 = /C=DE/A=DBP/P=TWO/O=Two/S=EDI/
eerp = 2
; X.400 to OFTP: transfer mode, agent mode, and one to hold
[xt]
odette = O0013XT
x400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
local = $RITA
mode = transfer
[xa]
odette = O0013XA
x400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sue/
local = $TOM
mode = agent
[hp]
odette = O0013HP
x400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Hal/
local = $HOLLY
mode = transfer"
. "$(dirname "$0")/shipped.inc"
env_drift
if [ -n "${OX_VALGRIND:-}" ]; then KILLS=${CRASH_KILLS:-6}; else KILLS=${CRASH_KILLS:-50}; fi
CG=$OX_TOOLS/crashgen
TK=$SG/taken
mkdir -p "$TK/x400" "$TK/eerp" "$TK/oftp"
T0=$(date +%s)
rnd() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }
msleep() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
# alive PID: running (not a zombie waiting for its wait)
alive() { _st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ "$_st" != Z ]; }
items() { ls "$1" 2>/dev/null | grep -cvxE 'tmp|work'; }	# files of a queue
pairs() { ls "$1" 2>/dev/null | grep -c '\.sfid$'; }

# --- the consumer: the OFTP daemon and the MTA ---------------------------
# take FILE DIR: into DIR under its name, or NAME~2, NAME~3 ... if taken
take() {
	_n=${1##*/} _k=1 _d=$2/${1##*/}
	while [ -e "$_d" ]; do _k=$((_k + 1)); _d=$2/$_n~$_k; done
	mv "$1" "$_d" 2>/dev/null && _moved=$((_moved + 1))
}
consumer() {
	_pass=0
	while [ ! -e "$SG/consumer.stop" ]; do
		_moved=0
		for _f in "$S"/x400/out/* "$S"/oftp/eerp.out/*; do
			case ${_f##*/} in tmp|work|\*) continue ;; esac
			case $_f in */x400/out/*) take "$_f" "$TK/x400" ;; *) take "$_f" "$TK/eerp" ;; esac
		done
		if [ ! -e "$SG/consumer.nooftp" ]; then
			for _f in "$S"/oftp/out/*.sfid; do
				[ -e "$_f" ] || continue
				# the pair: payload first, its .sfid (complete) last
				take "${_f%.sfid}" "$TK/oftp"
				take "$_f" "$TK/oftp"
			done
		fi
		_pass=$((_pass + 1))
		echo "$_pass $_moved" > "$SG/consumer.pass.new" && mv "$SG/consumer.pass.new" "$SG/consumer.pass"
		sleep 0.03
	done
}
rm -f "$SG/consumer.stop"
consumer & CONSUMER=$!
trap 'touch "$SG/consumer.stop"' EXIT

# --- the kill rounds -----------------------------------------------------
# A round starts two instances (KIND CMD each: "cron" and a command line,
# or "unit" and the arguments after the program), waits a random pause,
# then SIGKILLs one or both (chosen at random). A surviving watcher gets
# SIGTERM (it finishes its item and exits 0); a surviving cron run goes
# on beside the next round's instances (with ROUND_WAIT=1 it is waited
# for first) and is reaped when it ends. The pause adapts as in
# queue_kill.sh: a cron run that ended before its kill shrinks it by a
# third, a killed one widens it by 20 ms, so that most die at a random
# point of their work. Counted per stage: the kills, the rounds, and odd
# exits (an instance not killed that exited neither 0 nor 75; a
# watcher's SIGTERM may also give 143 before its handler is in place).
max=300 pending=
# reap [all]: the surviving cron runs that ended (all: wait for each)
reap() {
	_keep=
	for _p in $pending; do
		if [ "${1:-}" = all ]; then
			_w=0
			while alive "$_p" && [ $_w -lt 3000 ]; do sleep 0.02; _w=$((_w + 1)); done
			alive "$_p" && { kill -KILL "-$_p" 2>/dev/null; odd="$odd hung"; }
		fi
		if alive "$_p"; then _keep="$_keep $_p"; continue; fi
		wait "$_p"; _rc=$?
		case $_rc in 0|75) ;; *) odd="$odd $_rc" ;; esac
	done
	pending=$_keep
}
round() {	# LOG KIND1 CMD1 KIND2 CMD2
	[ -z "${CRASH_DEBUG:-}" ] || echo "$stage round $rounds start $(date +%s%3N)" >> "$SG/debug"
	reap
	_log=$1; shift
	_k1=$1 _c1=$2 _k2=$3 _c2=$4
	if [ "$_k1" = cron ]; then cron_bg "$_c1" 2>>"$_log"; _p1=$CRON_PID; else unit_bg $_c1 2>>"$_log"; _p1=$UNIT_PID; fi
	if [ "$_k2" = cron ]; then cron_bg "$_c2" 2>>"$_log"; _p2=$CRON_PID; else unit_bg $_c2 2>>"$_log"; _p2=$UNIT_PID; fi
	_pause=$((base + $(rnd "$max")))
	msleep $_pause
	[ -z "${CRASH_DEBUG:-}" ] || echo "$stage round $rounds paused $_pause $(date +%s%3N)" >> "$SG/debug"
	_v=$(rnd 6)	# 0: the first, 1: the second, 2 to 5: both
	rounds=$((rounds + 1))
	for _i in 1 2; do
		eval "_p=\$_p$_i _k=\$_k$_i"
		if [ "$_v" -ge 2 ] || [ "$_v" -eq $((_i - 1)) ]; then
			if [ "$_k" = cron ]; then kill -KILL "-$_p" 2>/dev/null; else kill -KILL "$_p" 2>/dev/null; fi
			wait "$_p"; _rc=$?
			[ -z "${CRASH_DEBUG:-}" ] || echo "round $rounds max $max v $_v kill $_k rc $_rc" >> "$SG/debug"
			if [ $_rc -eq 137 ]; then
				kills=$((kills + 1))
				[ "$_k" = cron ] && { max=$((max + 20)); [ $max -le 800 ] || max=800; }
			else
				[ "$_k" = cron ] && { max=$((max * 2 / 3)); [ $max -ge 20 ] || max=20; }
				# the run ended before the kill: on a loaded machine
				# (or under valgrind) the idle run that measured base
				# was slower than this work; aim earlier
				[ "$_k" = cron ] && base=$((base * 3 / 4))
				case $_rc in 0|75) ;; *) odd="$odd $_rc" ;; esac
			fi
		elif [ "$_k" = unit ]; then
			kill -TERM "$_p" 2>/dev/null
			wait "$_p"; _rc=$?
			case $_rc in 0|75|143) ;; *) odd="$odd $_rc" ;; esac
		else
			pending="$pending $_p"
			[ -z "${ROUND_WAIT:-}" ] || reap all
		fi
	done
	[ -z "${CRASH_DEBUG:-}" ] || echo "$stage round $rounds end $(date +%s%3N)" >> "$SG/debug"
}
tmps() { (cd "$S" && find . -path '*/tmp/*' -type f | sort); }	# files in the tmp/ of the spool
# stage_begin NAME 'CRON LINE': the line is a run of the stage's program
# with nothing to do; three quarters of its time is the least pause of a
# round (the start-up: the kills fall into the work that follows it)
stage_begin() {
	stage=$1 kills=0 rounds=0 odd= st0=$(date +%s) max=300 pending=
	LOG=$SG/$1.log
	: > "$LOG"
	find "$TK" -type f | sort > "$SG/taken.before"
	tmps > "$SG/tmp.before"
	_t=$(date +%s%3N)
	cron "$2" >/dev/null 2>&1
	base=$(( ($(date +%s%3N) - _t) * 3 / 4 ))
}
stage_numbers() {	# [EXTRA TEXT [KILLS WANTED]]
	back=$(grep -c 'put back from' "$LOG")
	pub=$(grep -c 'published [0-9]* output' "$LOG")
	fin=$(grep -c 'finished' "$LOG")
	staged=$(tmps | comm -13 "$SG/tmp.before" - | wc -l)
	[ -z "${CRASH_DEBUG:-}" ] || { echo "$stage tmp:"; tmps | comm -13 "$SG/tmp.before" - | sed 's|/tmp/.*||' | sort | uniq -c; } >> "$SG/debug"
	echo "# $stage: $kills kills in $rounds rounds (pauses ${base} ms + 0..$max ms at the end), $back items put back from killed claims, $pub starts published outputs a dead process had committed, $fin redos finished a committed transaction, $staged files staged by killed runs left in a tmp/ (not recorded: oxpurge removes them), $(( $(date +%s) - st0 )) s${1:+; $1}"
	if [ $kills -ge "${2:-$KILLS}" ]; then pass "${stage}_kills"; else fail "${stage}_kills" "only $kills kills in $rounds rounds"; fi
	if [ -z "$odd" ]; then pass "${stage}_exits"; else fail "${stage}_exits" "instances not killed exited with:$odd; the log says: $(grep -E 'fatal|ERROR: [A-Za-z]*Sanitizer' "$LOG" | sed 's|/[^ ]*/oxgate/||; s/==[0-9]*==//' | sort | uniq -c | sort -rn | head -3 | tr '\n' '|')"; fi
}

# --- checks ----------------------------------------------------------------
# copies DIR: "COUNT NAME" for each name taken into taken/DIR
copies() { ls "$TK/$1" | sed 's/~[0-9]*$//' | sort | uniq -c; }
# taken_once NAME KIND LIST: each name of LIST (a file, one per line) is in
# taken/KIND exactly once
taken_once() {
	_bad=$(copies "$2" | awk 'NR == FNR { c[$2] = $1; next }
	    { if ($0 == "") e++; else if (c[$0] != 1) { printf "%s:%d ", $0, c[$0]; n++ } }
	    END { if (e) printf "%d of %d rows name no file; ", e, FNR; if (n) printf "(%d not taken exactly once)", n }' - "$3")
	if [ -z "$_bad" ]; then pass "$1"; else fail "$1" "$(printf '%s' "$_bad" | cut -c1-300)"; fi
}
# the stage's new taken files, per directory
new_taken() { find "$TK" -type f | sort | comm -13 "$SG/taken.before" - | grep -c "${1:-.}"; }
no_dups() {
	_d=$(find "$TK" -type f -name '*~[0-9]*' | sed 's|.*/taken/||')
	if [ -z "$_d" ]; then pass "${stage}_no_duplicate"; else fail "${stage}_no_duplicate" "$(echo "$_d" | wc -l) second copies: $(echo $_d | cut -c1-200)"; fi
}
# every taken file is an output the trace records (no output without its row)
taken_recorded() {
	sq "SELECT DISTINCT name FROM trace_output" | sort > "$SG/recorded"
	_u=$(find "$TK" -type f | sed 's|.*/||; s/~[0-9]*$//' | sort -u | comm -23 - "$SG/recorded")
	if [ -z "$_u" ]; then pass "${stage}_taken_recorded"; else fail "${stage}_taken_recorded" "taken, no trace_output row: $(echo $_u | cut -c1-200)"; fi
}
# no file recorded in trace_output is still in a tmp/; no row 'received'
trace_clean() {
	_left=$(sq "SELECT queue || '/tmp/' || tmp FROM trace_output" | while read -r _f; do
		[ -e "$S/$_f" ] && echo "$_f"; done)
	if [ -z "$_left" ]; then pass "${stage}_no_recorded_tmp"; else fail "${stage}_no_recorded_tmp" "recorded outputs still in tmp/: $(echo $_left | cut -c1-200)"; fi
	_r=$(sq "SELECT count(*) FROM trace WHERE state = 'received'")
	if [ "$_r" = 0 ]; then pass "${stage}_no_received_row"; else fail "${stage}_no_received_row" "$_r rows in state received"; fi
}
# queue_empty Q...: no item, nothing in work/, failed/ empty
queues_empty() {
	_l=
	for _q in "$@"; do
		[ "$(items "$S/$_q")" -eq 0 ] || _l="$_l $_q:$(ls "$S/$_q" | grep -vxE 'tmp|work' | head -3 | tr '\n' ',')"
		[ -z "$(ls -A "$S/$_q/work" 2>/dev/null)" ] || _l="$_l $_q/work:$(ls -A "$S/$_q/work" | head -3 | tr '\n' ',')"
	done
	[ "$(items "$S/failed")" -eq 0 ] || _l="$_l failed:$(ls "$S/failed" | grep -v '^tmp$' | head -3 | tr '\n' ',')"
	if [ -z "$_l" ]; then pass "${stage}_queues_empty"; else fail "${stage}_queues_empty" "$_l"; fi
}
# states WANT SQL: the "state count" lines of the stage's rows are WANT
states() {
	_got=$(sq "SELECT partner || ' ' || state || ' ' || count(*) FROM trace WHERE $2 GROUP BY partner, state ORDER BY partner, state" | tr '\n' ',')
	if [ "$_got" = "$1" ]; then pass "${stage}_trace_states"; else fail "${stage}_trace_states" "want '$1', got '$_got'"; fi
}
sanitizer() {
	if grep -qE 'Sanitizer|runtime error' "$LOG"; then fail "${stage}_no_sanitizer" "$(grep -m2 -E 'Sanitizer|runtime error' "$LOG" | tr '\n' '|')"
	else pass "${stage}_no_sanitizer"; fi
}

# --- inputs ------------------------------------------------------------------
DATE=$(date -u +%Y%m%d)
oftp_put() {	# DSN USERID ORIG: an OFTP file, payload then .sfid, each via tmp/
	_q=$S/oftp/in
	printf 'file %s\r\n' "$1" > "$_q/tmp/$1" && mv "$_q/tmp/$1" "$_q/$1" &&
	printf '[sfid]\ndsn = %s\ndate = %s\ntime = 1200000001\ndest = O0177000000000X0LU%s\norig = %s\nformat = T\n' \
	    "$1" "$DATE" "$2" "$3" > "$_q/tmp/$1.sfid" && mv "$_q/tmp/$1.sfid" "$_q/$1.sfid"
}
n_a=0
feed_oftp() {	# N: N files for e1 (A1-) and N for e2 (A2-)
	_i=0
	while [ $_i -lt "$1" ]; do
		oftp_put "$(printf 'A1-%05d' $n_a)" 000101 O0013EONE
		oftp_put "$(printf 'A2-%05d' $n_a)" 000102 O0013ETWO
		n_a=$((n_a + 1)) _i=$((_i + 1))
	done
}
MAXIN=${CRASH_MAXIN:-150}	# inputs of one kind per stage, at most

# --- stage 1: oftp2x400 ------------------------------------------------------
stage_begin oftp2x400 "oftp2x400 -c $CONF --spool"
feed_oftp 15
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 3)) ]; do
	[ "$(pairs "$S/oftp/in")" -lt 10 ] && [ $n_a -lt $MAXIN ] && feed_oftp 10
	round "$LOG" cron "oftp2x400 -c $CONF --spool" unit "oftp2x400 --watch"
done
reap all
cron "oftp2x400 -c $CONF --spool" 2>>"$LOG" && pass oftp2x400_last_run || fail oftp2x400_last_run "exit $?"
drain "$SG" || fail oftp2x400_drain "the consumer did not finish"
A="dir = 'oftp2x400' AND (oftp_dsn LIKE 'A1-%' OR oftp_dsn LIKE 'A2-%')"
stage_numbers "$((n_a * 2)) OFTP files"
queues_empty oftp/in
states "e1 eerp-sent $n_a,e2 converted $n_a," "$A"
sq "SELECT out_file FROM trace WHERE $A" > "$SG/want"
taken_once oftp2x400_one_p1_each x400 "$SG/want"
sq "SELECT o.name FROM trace_output o JOIN trace t ON t.id = o.trace_id WHERE $A AND t.partner = 'e1' AND o.queue = 'oftp/eerp.out'" > "$SG/want"
[ "$(grep -c . "$SG/want")" -eq $n_a ] && pass oftp2x400_eerp_recorded || fail oftp2x400_eerp_recorded "$(grep -c . "$SG/want") EERPs recorded for $n_a mode 1 files"
taken_once oftp2x400_one_eerp_each eerp "$SG/want"
# oxgate-trace(5): ack_file names the EERP written for the transaction
sq "SELECT coalesce(ack_file, '') FROM trace WHERE $A AND partner = 'e1'" > "$SG/want"
taken_once oftp2x400_mode1_ack_file_is_the_eerp eerp "$SG/want"
[ "$(new_taken /x400/)" -eq $((n_a * 2)) ] && [ "$(new_taken /eerp/)" -eq $n_a ] &&
    pass oftp2x400_outputs_total || fail oftp2x400_outputs_total "$(new_taken /x400/) P1, $(new_taken /eerp/) EERP for $n_a + $n_a files"
no_dups; taken_recorded; trace_clean; sanitizer

# --- stage 2: report2eerp ----------------------------------------------------
stage_begin report2eerp "report2eerp -c $CONF --spool"
sq "SELECT out_file FROM trace WHERE $A AND partner = 'e2'" > "$SG/drs"
n_dr=0 total_dr=$(grep -c . "$SG/drs")
feed_dr() {	# N: the delivery reports on the next N P1 of e2
	_l=$(sed -n "$((n_dr + 1)),$((n_dr + $1))p" "$SG/drs" | sed "s|^|$TK/x400/|")
	[ -n "$_l" ] || return 0
	# shellcheck disable=SC2086
	"$CG" report "$S/x400/reports" $_l || fail report2eerp_feed "crashgen report"
	n_dr=$((n_dr + $(echo "$_l" | wc -l)))
}
feed_dr 20
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 3)) ]; do
	[ "$(items "$S/x400/reports")" -lt 10 ] && feed_dr 15
	round "$LOG" cron "report2eerp -c $CONF --spool" unit "report2eerp --watch"
done
reap all
feed_dr "$total_dr"
cron "report2eerp -c $CONF --spool" 2>>"$LOG" && pass report2eerp_last_run || fail report2eerp_last_run "exit $?"
drain "$SG" || fail report2eerp_drain "the consumer did not finish"
stage_numbers "$total_dr delivery reports"
queues_empty x400/reports
states "e1 eerp-sent $n_a,e2 eerp-sent $n_a," "$A"
sq "SELECT coalesce(ack_file, '') FROM trace WHERE $A AND partner = 'e2'" > "$SG/want"
taken_once report2eerp_one_eerp_each eerp "$SG/want"
[ "$(new_taken /eerp/)" -eq "$total_dr" ] && [ "$(new_taken)" -eq "$total_dr" ] &&
    pass report2eerp_outputs_total || fail report2eerp_outputs_total "$(new_taken) new files for $total_dr reports"
no_dups; taken_recorded; trace_clean; sanitizer

# --- stage 3: x4002oftp ------------------------------------------------------
stage_begin x4002oftp "x4002oftp -c $CONF --spool"
n_x=0
feed_x400() {	# N: N messages to xt (transfer mode) and N to xa (agent mode)
	"$CG" ipm "$S/x400/in" xt $n_x "$1" "$JOHN" "$RITA" &&
	    "$CG" ipm "$S/x400/in" xa $n_x "$1" "$JOHN" "$TOM" || fail x4002oftp_feed "crashgen ipm"
	n_x=$((n_x + $1))
}
feed_x400 10
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 3)) ]; do
	[ "$(items "$S/x400/in")" -lt 10 ] && [ $n_x -lt $MAXIN ] && feed_x400 8
	round "$LOG" cron "x4002oftp -c $CONF --spool" unit "x4002oftp --watch"
done
reap all
cron "x4002oftp -c $CONF --spool" 2>>"$LOG" && pass x4002oftp_last_run || fail x4002oftp_last_run "exit $?"
drain "$SG" || fail x4002oftp_drain "the consumer did not finish"
X="dir = 'x4002oftp' AND (mts_id LIKE '%;xt-%' OR mts_id LIKE '%;xa-%')"
stage_numbers "$((n_x * 2)) messages"
queues_empty x400/in
states "xa converted $n_x,xt converted $n_x," "$X"
sq "SELECT out_file FROM trace WHERE $X; SELECT out_file || '.sfid' FROM trace WHERE $X" > "$SG/want"
taken_once x4002oftp_one_pair_each oftp "$SG/want"
sq "SELECT coalesce(ack_file, '') FROM trace WHERE $X AND partner = 'xa'" > "$SG/want"
taken_once x4002oftp_agent_one_dr_each x400 "$SG/want"
[ "$(new_taken /oftp/)" -eq $((n_x * 4)) ] && [ "$(new_taken /x400/)" -eq $n_x ] && [ "$(new_taken)" -eq $((n_x * 5)) ] &&
    pass x4002oftp_outputs_total || fail x4002oftp_outputs_total "$(new_taken /oftp/) OFTP files, $(new_taken /x400/) DRs, $(new_taken) in all for $n_x + $n_x messages"
no_dups; taken_recorded; trace_clean; sanitizer

# --- stage 4: eerp2report ----------------------------------------------------
stage_begin eerp2report "eerp2report -c $CONF --spool"
sq "SELECT out_file || '.sfid' FROM trace WHERE $X" > "$SG/eerps"
n_ee=0 total_ee=$(grep -c . "$SG/eerps")
feed_eerp() {	# N: the EERPs of the stations for the next N OFTP files
	_l=$(sed -n "$((n_ee + 1)),$((n_ee + $1))p" "$SG/eerps" | sed "s|^|$TK/oftp/|")
	[ -n "$_l" ] || return 0
	# shellcheck disable=SC2086
	"$CG" eerp "$S/oftp/eerp.in" $_l || fail eerp2report_feed "crashgen eerp"
	n_ee=$((n_ee + $(echo "$_l" | wc -l)))
}
feed_eerp 20
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 3)) ]; do
	[ "$(items "$S/oftp/eerp.in")" -lt 10 ] && feed_eerp 15
	round "$LOG" cron "eerp2report -c $CONF --spool" unit "eerp2report --watch"
done
reap all
feed_eerp "$total_ee"
cron "eerp2report -c $CONF --spool" 2>>"$LOG" && pass eerp2report_last_run || fail eerp2report_last_run "exit $?"
drain "$SG" || fail eerp2report_drain "the consumer did not finish"
stage_numbers "$total_ee EERPs"
queues_empty oftp/eerp.in
states "xa eerp-received $n_x,xt eerp-received $n_x," "$X"
sq "SELECT coalesce(ack_file, '') FROM trace WHERE $X AND partner = 'xt'" > "$SG/want"
taken_once eerp2report_transfer_one_dr_each x400 "$SG/want"
[ "$(new_taken /x400/)" -eq $n_x ] && [ "$(new_taken)" -eq $n_x ] &&
    pass eerp2report_outputs_total || fail eerp2report_outputs_total "$(new_taken) new files for $n_x transfer-mode EERPs (and $n_x agent-mode ones: none)"
no_dups; taken_recorded; trace_clean; sanitizer

# strace_kill N CRON LINE: the program of the line gets SIGKILL at its
# Nth rename (rename, renameat, renameat2 counted together: glibc's
# rename(3) is one of them); its exit status
strace_kill() {
	_n=$1; shift
	ASAN_OPTIONS=detect_leaks=0 cron "strace -f -qq -o /dev/null -e trace=rename,renameat,renameat2 -e inject=rename,renameat,renameat2:signal=SIGKILL:when=$_n $*" 2>>"$LOG"
}
# strace works here (ptrace of its child), as the spool's owner; not
# under valgrind
can_strace() {
	[ -z "${OX_VALGRIND:-}" ] && command -v strace >/dev/null 2>&1 &&
	    cron "strace -f -qq -o /dev/null -e trace=rename true" >/dev/null 2>&1
}
# --- stage 5: oxtrace expire -------------------------------------------------
# New transactions that wait: OFTP files of e2 (EERP mode 2: the sweep
# owes a NERP) and messages to xt (transfer mode: an NDR) whose files the
# OFTP daemon does not fetch (the consumer leaves oftp/out alone): the
# sweep moves them to overflow/. The sweep runs as cron runs it, twice
# at once, with --now three days ahead; more transactions are made (by
# undisturbed runs of the converters) while the kills go on.
# Of two sweeps at once, the one that finds a pair gone under its move
# takes it as moved by the other, and one that finds a row answered
# meanwhile drops what it staged (and frees it: ASan would exit 1).
NOW_EXP=$(( $(date +%s) + 3 * 86400 ))
stage_begin expire "oxtrace -c $CONF expire --now @$NOW_EXP"
touch "$SG/consumer.nooftp"
E="(dir = 'oftp2x400' AND oftp_dsn LIKE 'X2-%') OR (dir = 'x4002oftp' AND mts_id LIKE '%;xe-%')"
n_e=0
feed_expire() {	# N: N of each kind, converted now
	_i=0
	while [ $_i -lt "$1" ]; do oftp_put "$(printf 'X2-%05d' $((n_e + _i)))" 000102 O0013ETWO; _i=$((_i + 1)); done
	"$CG" ipm "$S/x400/in" xe $n_e "$1" "$JOHN" "$RITA" || fail expire_feed "crashgen ipm"
	cron_bg "oftp2x400 -c $CONF --spool" 2>>"$SG/expire-feed.log"; _f1=$CRON_PID
	cron "x4002oftp -c $CONF --spool" 2>>"$SG/expire-feed.log"; _r2=$?
	wait $_f1 && [ $_r2 -eq 0 ] || fail expire_feed "a converter failed: $(tail -2 "$SG/expire-feed.log" | tr '\n' '|')"
	n_e=$((n_e + $1))
}
feed_expire 20
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 3)) ]; do
	[ "$(sq "SELECT count(*) FROM trace WHERE ($E) AND state = 'converted'")" -lt 20 ] && [ $n_e -lt 120 ] && feed_expire 20
	round "$LOG" cron "oxtrace -c $CONF expire --now @$NOW_EXP" cron "oxtrace -c $CONF expire --now @$NOW_EXP"
done
reap all
cron "oxtrace -c $CONF expire --now @$NOW_EXP" 2>>"$LOG" && pass expire_last_run || fail expire_last_run "exit $?"
drain "$SG" || fail expire_drain "the consumer did not finish"
stage_numbers "$n_e + $n_e transactions expired"
queues_empty oftp/in x400/in
states "e2 nerp-sent $n_e,xt overflow $n_e," "$E"
sq "SELECT coalesce(ack_file, '') FROM trace WHERE ($E) AND partner = 'e2'" > "$SG/want"
taken_once expire_one_nerp_each eerp "$SG/want"
sq "SELECT coalesce(ack_file, '') FROM trace WHERE ($E) AND partner = 'xt'" > "$SG/want"
taken_once expire_one_ndr_each x400 "$SG/want"
# the files of xt: in overflow/, whole, and nowhere else
bad=$(sq "SELECT out_file FROM trace WHERE ($E) AND partner = 'xt'" | while read -r f; do
	[ -f "$S/overflow/$f" ] && [ -f "$S/overflow/$f.sfid" ] && [ ! -e "$S/oftp/out/$f" ] &&
	    [ ! -e "$S/oftp/out/$f.sfid" ] && [ ! -e "$TK/oftp/$f" ] || echo "$f"; done)
[ -z "$bad" ] && [ "$(items "$S/oftp/out")" -eq 0 ] && pass expire_files_in_overflow ||
    fail expire_files_in_overflow "not whole in overflow/ alone: $(echo $bad | cut -c1-200); oftp/out: $(ls "$S/oftp/out" | head -4 | tr '\n' ' ')"
# new files on the far side: the P1 of each X2 file, the NERPs, the NDRs
[ "$(new_taken /eerp/)" -eq $n_e ] && [ "$(new_taken /x400/)" -eq $((n_e * 2)) ] && [ "$(new_taken /oftp/)" -eq 0 ] &&
    pass expire_outputs_total || fail expire_outputs_total "$(new_taken /eerp/) NERPs, $(new_taken /x400/) P1 files (P1 + NDR), $(new_taken /oftp/) OFTP files for $n_e + $n_e transactions"
no_dups; taken_recorded; trace_clean; sanitizer
cat "$SG/expire-feed.log" >> "$SG/feed.log"

# A sweep killed between the two renames of a pair into overflow/ (the
# .sfid went, the payload not yet): strace kills it at that instant; the
# next sweep finishes the move, once.
if can_strace; then
	"$CG" ipm "$S/x400/in" xh 0 1 "$JOHN" "$RITA" && cron "x4002oftp -c $CONF --spool" 2>>"$SG/feed.log"
	f=$(sq "SELECT out_file FROM trace WHERE mts_id = '[DE*VIAT*OFTP;xh-00000]'")
	# the sweep's only transaction: its first rename is the .sfid's into
	# overflow/, the second the payload's, which gets SIGKILL
	strace_kill 2 "oxtrace -c $CONF expire --now @$NOW_EXP"
	rc=$?
	half=$( [ -f "$S/overflow/$f.sfid" ] && [ -f "$S/oftp/out/$f" ] && echo yes)
	cron "oxtrace -c $CONF expire --now @$NOW_EXP" 2>>"$LOG"; rc2=$?
	drain "$SG"
	if [ "$half" = yes ] && [ $rc2 -eq 0 ] && [ -f "$S/overflow/$f" ] && [ -f "$S/overflow/$f.sfid" ] && [ ! -e "$S/oftp/out/$f" ] &&
	    [ "$(sq "SELECT state FROM trace WHERE out_file = '$f'")" = overflow ]; then
		pass expire_half_moved_pair_finished
	else
		fail expire_half_moved_pair_finished "killed run exit $rc, half-moved: ${half:-no}, next sweep exit $rc2; overflow: $(ls "$S/overflow" | grep -c "$f"), oftp/out: $(ls "$S/oftp/out" | grep -c "$f"), state $(sq "SELECT state FROM trace WHERE out_file = '$f'")"
	fi
fi
rm -f "$SG/consumer.nooftp"

# --- stage 6: oxtrace partner release ----------------------------------------
# hp is held; messages for it are converted (undisturbed) into
# spool/hold/hp/; "oxtrace partner release hp" runs twice at once and is
# killed at random, and again until the hold is empty; then hp is held
# again and more messages come.
# Of two releases at once, the one whose rename of NAME.sfid finds it
# moved by the other goes on (hold_move() returns 0).
stage_begin release "oxtrace -c $CONF partner show hp"
H="dir = 'x4002oftp' AND mts_id LIKE '%;hp-%'"
n_h=0
feed_hold() {	# N
	cron "oxtrace -c $CONF partner hold hp" >/dev/null 2>>"$SG/feed.log" &&
	    "$CG" ipm "$S/x400/in" hp $n_h "$1" "$JOHN" "$HOLLY" &&
	    cron "x4002oftp -c $CONF --spool" 2>>"$SG/feed.log" || fail release_feed "$(tail -2 "$SG/feed.log" | tr '\n' '|')"
	n_h=$((n_h + $1))
}
feed_hold 40
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 3)) ]; do
	[ "$(pairs "$S/hold/hp")" -eq 0 ] && [ $n_h -lt 200 ] && feed_hold 40
	round "$LOG" cron "oxtrace -c $CONF partner release hp" cron "oxtrace -c $CONF partner release hp"
done
reap all
cron "oxtrace -c $CONF partner release hp" >/dev/null 2>>"$LOG" && pass release_last_run || fail release_last_run "exit $?"
drain "$SG" || fail release_drain "the consumer did not finish"
stage_numbers "$n_h held files; $(grep -c 'released .* into' "$LOG") release lines"
queues_empty x400/in
[ "$(pairs "$S/hold/hp")" -eq 0 ] && [ "$(items "$S/hold/hp")" -eq 0 ] && pass release_hold_empty ||
    fail release_hold_empty "$(ls "$S/hold/hp" | head -5 | tr '\n' ' ')"
states "hp converted $n_h," "$H"
sq "SELECT out_file FROM trace WHERE $H; SELECT out_file || '.sfid' FROM trace WHERE $H" > "$SG/want"
taken_once release_one_pair_each oftp "$SG/want"
[ "$(new_taken /oftp/)" -eq $((n_h * 2)) ] && [ "$(new_taken)" -eq $((n_h * 2)) ] &&
    pass release_outputs_total || fail release_outputs_total "$(new_taken /oftp/) OFTP files, $(new_taken) in all, for $n_h held"
no_dups; taken_recorded; trace_clean; sanitizer

# A release killed between the two renames of a pair (the payload in
# oftp/out, its .sfid still held): the next release finishes the move.
if can_strace; then
	feed_hold 1
	f=$(sq "SELECT out_file FROM trace WHERE mts_id = '[DE*VIAT*OFTP;$(printf 'hp-%05d' $((n_h - 1)))]'")
	strace_kill 2 "oxtrace -c $CONF partner release hp" >/dev/null
	rc=$?
	where=$( [ -f "$S/hold/hp/$f.sfid" ] && [ -f "$S/oftp/out/$f" ] && echo "payload in oftp/out, .sfid held")
	o=$(cron "oxtrace -c $CONF partner release hp" 2>&1); rc2=$?
	drain "$SG"
	if [ -n "$where" ] && [ $rc2 -eq 0 ] && [ -f "$TK/oftp/$f" ] && [ -f "$TK/oftp/$f.sfid" ] && [ "$(pairs "$S/hold/hp")" -eq 0 ]; then
		pass release_half_moved_pair_finished
	else
		fail release_half_moved_pair_finished "killed run exit $rc (${where:-not half moved}); the next: exit $rc2 '$(printf '%s' "$o" | tail -1)'"
	fi
fi

# --- stage 7: oxtrace overflow reactivate ------------------------------------
# Transfer mode: the X.400 expiry's NDR ended the messages of xt (seed:
# reactivation only until the expiry and its NDN; issue 22): reactivating
# one is refused (65) and changes nothing. Messages to xa (agent mode:
# reactivated "jederzeit") are made and expired here, undisturbed; the
# transactions the sweep put in overflow/ go back to oftp/out, one
# "oxtrace overflow reactivate ID" each, two at once (two IDs), killed at
# random, run again until each is back. One is kept for the half-move
# case below.
id=$(sq "SELECT id FROM trace WHERE ($E) AND partner = 'xt' AND state = 'overflow' ORDER BY id LIMIT 1")
check_fails reactivate_transfer_after_ndr_refused 65 cron "oxtrace -c $CONF overflow reactivate $id"
[ "$(sq "SELECT state FROM trace WHERE id = $id")" = overflow ] && [ -f "$S/overflow/$(sq "SELECT out_file FROM trace WHERE id = $id")" ] &&
    pass reactivate_transfer_refused_unchanged || fail reactivate_transfer_refused_unchanged "$(sq "SELECT state FROM trace WHERE id = $id")"
touch "$SG/consumer.nooftp"
"$CG" ipm "$S/x400/in" xr 0 "$n_e" "$JOHN" "$TOM" && cron "x4002oftp -c $CONF --spool" 2>>"$SG/feed.log" &&
    cron "oxtrace -c $CONF expire --now @$NOW_EXP" 2>>"$SG/feed.log" || fail reactivate_feed "$(tail -2 "$SG/feed.log" | tr '\n' '|')"
drain "$SG"
rm -f "$SG/consumer.nooftp"
stage_begin reactivate "oxtrace -c $CONF overflow list"
ROUND_WAIT=1	# a run goes on until it ends: the next one takes the ID again
sq "SELECT id FROM trace WHERE dir = 'x4002oftp' AND mts_id LIKE '%;xr-%' AND state = 'overflow' ORDER BY id" > "$SG/ov.ids"
# the last two are kept for the cases with strace below
keep1=$(tail -2 "$SG/ov.ids" | head -1) keep2=$(tail -1 "$SG/ov.ids")
head -n -2 "$SG/ov.ids" > "$SG/todo"
cp "$SG/todo" "$SG/ov.done"
n_ov=$(grep -c . "$SG/todo")
back_in() {	# ID: reactivated and its files out of overflow/
	_f=$(sq "SELECT state || ' ' || out_file FROM trace WHERE id = $1")
	[ "${_f%% *}" = converted ] && [ ! -e "$S/overflow/${_f#* }" ] && [ ! -e "$S/overflow/${_f#* }.sfid" ]
}
runs=0
while [ -s "$SG/todo" ] && [ $kills -lt "$KILLS" ]; do
	set -- $(head -2 "$SG/todo")
	sed -i 1,2d "$SG/todo"
	# two transactions at once; the last one alone beside a list
	c2="oxtrace -c $CONF overflow list"; [ -z "${2:-}" ] || c2="oxtrace -c $CONF overflow reactivate $2"
	round "$LOG" cron "oxtrace -c $CONF overflow reactivate $1" cron "$c2"
	runs=$((runs + 2))
	for i in $1 $2; do back_in "$i" || echo "$i" >> "$SG/todo"; done
done
reap all
# the rest (and what the kills left) undisturbed
for i in $(cat "$SG/todo"); do
	cron "oxtrace -c $CONF overflow reactivate $i" 2>>"$LOG" || fail reactivate_last_run "$i: exit $?"
done
drain "$SG" || fail reactivate_drain "the consumer did not finish"
mid=$(grep -c 'finishing a reactivation' "$LOG")
# one run moves one pair: its work (one trace transaction, two renames)
# takes a few ms after ~0.15 s of start-up, so few kills can fall into
# it; there are as many runs as transactions in overflow/ (two a round).
# The two instants that matter are also hit exactly, with strace, below.
stage_numbers "$n_ov transactions, $runs runs, $mid runs finished a reactivation a killed one had committed" $((KILLS / 2))
[ $kills -ge "$KILLS" ] || echo "# reactivate: too fast to be killed $KILLS times mid-work: $kills kills in $runs runs (one per transaction in overflow/), $mid of them between its trace commit and its renames; the rest fell into the start-up or after the move"
bad=
for i in $(cat "$SG/ov.done"); do back_in "$i" || bad="$bad $i"; done
[ -z "$bad" ] && pass reactivate_all_back || fail reactivate_all_back "still in overflow or not converted:$bad"
sq "SELECT out_file FROM trace WHERE id IN ($(paste -sd, "$SG/ov.done")); SELECT out_file || '.sfid' FROM trace WHERE id IN ($(paste -sd, "$SG/ov.done"))" > "$SG/want"
taken_once reactivate_one_pair_each oftp "$SG/want"
[ "$(new_taken /oftp/)" -eq $((n_ov * 2)) ] && [ "$(new_taken)" -eq $((n_ov * 2)) ] &&
    pass reactivate_outputs_total || fail reactivate_outputs_total "$(new_taken /oftp/) OFTP files, $(new_taken) in all, for $n_ov reactivated"
no_dups; trace_clean; sanitizer

# Reactivations killed at the two instants that matter (oxtrace(1):
# "the trace first, then the file: run again, it finishes"): after the
# trace commit, before the first rename (the trace says converted, both
# files still in overflow/); and between the renames (the payload back in
# oftp/out, its .sfid still in overflow/). Run again, each must finish
# the move, once: the next run finds the transaction converted and the
# payload or its .sfid still in overflow/, and moves what is left.
if can_strace && [ -n "$keep2" ]; then
	for case in 1:$keep1 2:$keep2; do
		n=${case%%:*} id=${case#*:}
		f=$(sq "SELECT out_file FROM trace WHERE id = $id")
		strace_kill $n "oxtrace -c $CONF overflow reactivate $id"
		rc=$?
		if [ $n = 1 ]; then
			state=$(sq "SELECT state FROM trace WHERE id = $id")
			where=$( [ -f "$S/overflow/$f" ] && [ -f "$S/overflow/$f.sfid" ] && echo "both in overflow/, trace $state")
		else
			where=$( [ -f "$S/overflow/$f.sfid" ] && [ -f "$S/oftp/out/$f" ] && echo "payload in oftp/out, .sfid in overflow/")
		fi
		o=$(cron "oxtrace -c $CONF overflow reactivate $id" 2>&1); rc2=$?
		drain "$SG"
		name=reactivate_killed_after_commit_finished; [ $n = 2 ] && name=reactivate_half_moved_pair_finished
		if [ -n "$where" ] && [ $rc2 -eq 0 ] && back_in "$id" && [ -f "$TK/oftp/$f" ] && [ -f "$TK/oftp/$f.sfid" ] &&
		    [ ! -e "$TK/oftp/$f~2" ]; then
			pass "$name"
		else
			fail "$name" "killed run exit $rc (${where:-not the state wanted}); the next run: exit $rc2, '$(printf '%s' "$o" | tail -1)'; $f: overflow/ has '$(ls "$S/overflow" | grep "$f" | tr '\n' ' ')', oftp/out has '$(ls "$S/oftp/out" | grep "$f" | tr '\n' ' ')', trace state $(sq "SELECT state FROM trace WHERE id = $id")"
		fi
	done
fi

# A reactivated transaction whose file the station does not answer
# either expires again (its deadline was set anew): the sweep must end it
# (expired, with at most the one NDR of its first expiry) and exit 0,
# not leave it for every next sweep: the NDR of the first expiry is
# recorded for the transaction, so the second sends none.
NOW_EXP2=$((NOW_EXP + 3 * 86400))
id=$(sed -n 2p "$SG/ov.ids")
o=$(cron "oxtrace -c $CONF expire --now @$NOW_EXP2" 2>&1); rc=$?
echo "$o" >> "$LOG"
drain "$SG"
st=$(sq "SELECT state FROM trace WHERE id = $id")
if [ $rc -eq 0 ] && [ "$st" != converted ] && [ -z "$(find "$TK" -name '*~[0-9]*')" ]; then
	pass reactivated_expires_again
else
	fail reactivated_expires_again "sweep exit $rc, transaction $id $st: '$(printf '%s\n' "$o" | grep "transaction $id" | tail -1)'; $(printf '%s\n' "$o" | grep -c 'already recorded') transactions 'already recorded'"
fi

# --- stage 8: oxpurge --------------------------------------------------------
# A trace with many stale rows (updated 30 days ago, beyond the purgetime
# of 240 h; each with history, a recipient and a recorded output) and
# stale items in failed/; oxpurge runs twice at once (its lock lets one
# work) and is killed at random while it archives and deletes. After each
# round: no row is half gone (no history, recipient or output row without
# its transaction; a stale row still there has all of its own). At the
# end: every stale row and item is gone, nothing that was not stale is,
# and every archive reads back and holds every row deleted.
stage_begin oxpurge "oxpurge -c $CONF --dry-run"
ROUND_WAIT=1	# one oxpurge at a time (its lock): no run beside the next round
OLD=$(( $(date +%s) - 30 * 86400 ))
n_st=0
stale_rows() {	# N more stale rows
	sq "PRAGMA foreign_keys = ON; BEGIN;
	    WITH RECURSIVE c(i) AS (SELECT $n_st UNION ALL SELECT i + 1 FROM c WHERE i < $((n_st + $1 - 1)))
	    INSERT INTO trace (dir, partner, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest, mts_id, eerp_mode,
	        dn_req, state, created, updated, in_file, out_file, ack_file, note)
	    SELECT 'oftp2x400', 'e2', 'STALE-' || i, '$DATE', '1200000001', 'O0013ETWO', 'O0177000000000X0LU000102',
	        '[DE*VIAT*OFTP;STALE-' || i || ']', 2, 1, 'eerp-sent', $OLD, $OLD + 60, 'STALE-' || i,
	        'STALE-' || i || '.p1', 'STALE-' || i || '.eerp', 'EERP STALE-' || i || '.eerp after the DN' FROM c;
	    INSERT INTO trace_history (trace_id, time, state, note) SELECT id, $OLD, 'converted', 'waiting'
	        FROM trace WHERE oftp_dsn LIKE 'STALE-%' AND id NOT IN (SELECT trace_id FROM trace_history);
	    INSERT INTO trace_history (trace_id, time, state, note) SELECT id, $OLD + 60, 'eerp-sent', 'EERP'
	        FROM trace WHERE oftp_dsn LIKE 'STALE-%' AND id IN (SELECT trace_id FROM trace_history GROUP BY trace_id HAVING count(*) = 1);
	    INSERT INTO trace_recipient (trace_id, seq, address, outcome, time) SELECT id, 1, '/C=DE/A=DBP/P=TWO/O=Two/S=EDI/', 'delivered', $OLD + 60
	        FROM trace WHERE oftp_dsn LIKE 'STALE-%' AND id NOT IN (SELECT trace_id FROM trace_recipient);
	    INSERT INTO trace_output (trace_id, seq, queue, tmp, name, time) SELECT id, 1, 'x400/out', out_file || '.0000000000000000', out_file, $OLD
	        FROM trace WHERE oftp_dsn LIKE 'STALE-%' AND id NOT IN (SELECT trace_id FROM trace_output);
	    COMMIT;" || fail oxpurge_stale_rows "sqlite3"
	n_st=$((n_st + $1))
}
n_sf=0
stale_items() {	# N more stale items in failed/ (T, T.sfid, T.why of 30 days ago)
	_i=0
	while [ $_i -lt "$1" ]; do
		_t=$S/failed/stale$((n_sf + _i))
		printf 'payload\r\n' > "$_t"; printf '[sfid]\ndsn = STALE\n' > "$_t.sfid"
		printf 'item: stale\nreason: test\n' > "$_t.why"
		touch -d "@$OLD" "$_t" "$_t.sfid" "$_t.why"
		chown "$OWNER:$OWNER_GROUP" "$_t" "$_t.sfid" "$_t.why"
		_i=$((_i + 1))
	done
	n_sf=$((n_sf + $1))
}
stale_rows 1200
stale_items 10
# what is not stale, and its history
CUT="updated >= $((OLD + 86400))"
sq "SELECT id FROM trace WHERE $CUT ORDER BY id" > "$SG/keep.ids"
sq "SELECT trace_id || ' ' || count(*) FROM trace_history WHERE trace_id IN (SELECT id FROM trace WHERE $CUT) GROUP BY trace_id ORDER BY trace_id" > "$SG/keep.hist"
ls "$S/overflow" | sort > "$SG/keep.overflow"
half_gone() {	# the number of rows half gone
	sq "SELECT (SELECT count(*) FROM trace_history WHERE trace_id NOT IN (SELECT id FROM trace))
	    + (SELECT count(*) FROM trace_recipient WHERE trace_id NOT IN (SELECT id FROM trace))
	    + (SELECT count(*) FROM trace_output WHERE trace_id NOT IN (SELECT id FROM trace))
	    + (SELECT count(*) FROM trace t WHERE oftp_dsn LIKE 'STALE-%' AND (
	        (SELECT count(*) FROM trace_history WHERE trace_id = t.id) != 2 OR
	        (SELECT count(*) FROM trace_recipient WHERE trace_id = t.id) != 1 OR
	        (SELECT count(*) FROM trace_output WHERE trace_id = t.id) != 1))"
}
halfs=0 items_half=0
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 3)) ]; do
	left=$(sq "SELECT count(*) FROM trace WHERE oftp_dsn LIKE 'STALE-%'")
	[ "$left" -lt 500 ] && [ $n_st -lt 40000 ] && { stale_rows 1000; stale_items 5; }
	round "$LOG" cron "oxpurge -c $CONF" cron "oxpurge -c $CONF"
	h=$(half_gone); [ "$h" -eq 0 ] || halfs=$((halfs + 1))
	# an item of failed/ goes whole or not at all: its T.why, the
	# marker of the failure, is the one oxpurge keeps the longest
	for w in "$S"/failed/stale*; do
		[ -e "$w" ] || continue
		t=${w%.why}; t=${t%.sfid}
		[ -e "$t.why" ] || items_half=$((items_half + 1))
	done
done
reap all
cron "oxpurge -c $CONF" 2>>"$LOG" && pass oxpurge_last_run || fail oxpurge_last_run "exit $?"
stage_numbers "$n_st stale rows and $n_sf stale items purged, $(ls "$S/archive" | grep -c 'tar.gz$') archives"
[ $halfs -eq 0 ] && [ "$(half_gone)" -eq 0 ] && pass oxpurge_no_row_half_gone || fail oxpurge_no_row_half_gone "$halfs rounds left a row half gone"
[ $items_half -eq 0 ] && pass oxpurge_no_item_half_gone || fail oxpurge_no_item_half_gone "$items_half times an item of failed/ without its .why"
[ "$(sq "SELECT count(*) FROM trace WHERE oftp_dsn LIKE 'STALE-%'")" -eq 0 ] && [ -z "$(ls "$S/failed" | grep stale)" ] &&
    pass oxpurge_stale_gone || fail oxpurge_stale_gone "$(sq "SELECT count(*) FROM trace WHERE oftp_dsn LIKE 'STALE-%'") rows, $(ls "$S/failed" | grep -c stale) files left"
sq "SELECT id FROM trace WHERE $CUT ORDER BY id" | cmp -s - "$SG/keep.ids" &&
    sq "SELECT trace_id || ' ' || count(*) FROM trace_history WHERE trace_id IN (SELECT id FROM trace WHERE $CUT) GROUP BY trace_id ORDER BY trace_id" | cmp -s - "$SG/keep.hist" &&
    ls "$S/overflow" | sort | cmp -s - "$SG/keep.overflow" &&
    pass oxpurge_fresh_kept || fail oxpurge_fresh_kept "rows, history or overflow/ changed: $(sq "SELECT id FROM trace WHERE $CUT ORDER BY id" | comm -3 - "$SG/keep.ids" | head -3 | tr '\n' ' ')"
# every archive reads back; together they hold every stale row and item
bad=0
: > "$SG/archived"
for a in "$S"/archive/*.tar.gz; do
	[ -e "$a" ] || continue
	if ! tar -tzf "$a" > "$SG/members" 2>/dev/null; then bad=$((bad + 1)); continue; fi
	grep '^failed/stale' "$SG/members" | sed 's|^|file |' >> "$SG/archived"
	tar -xzOf "$a" trace.csv 2>/dev/null | awk -F, '$8 ~ /^STALE-[0-9]+$/ { print "row " $8 }' >> "$SG/archived"
done
sort -u "$SG/archived" -o "$SG/archived"
missing=$(awk -v n=$n_st -v f=$n_sf 'BEGIN { for (i = 0; i < n; i++) print "row STALE-" i
	for (i = 0; i < f; i++) { print "file failed/stale" i; print "file failed/stale" i ".sfid"; print "file failed/stale" i ".why" } }' |
    sort | comm -23 - "$SG/archived" | wc -l)
[ $bad -eq 0 ] && [ $missing -eq 0 ] && [ -n "$(ls "$S/archive" | grep 'tar.gz$')" ] && pass oxpurge_archives_hold_everything ||
    fail oxpurge_archives_hold_everything "$bad archives unreadable, $missing stale rows or files in no archive"
trace_clean; sanitizer

touch "$SG/consumer.stop"
wait $CONSUMER
echo "# crash.sh: $(( $(date +%s) - T0 )) s in all, $KILLS kills wanted per program"
