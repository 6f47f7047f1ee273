# Two gateway "hosts" on one spool and one trace (issue 24): hosts a and
# b, each its own session (setsid: a process group of its own), its own
# host name (a UTS namespace of its own, unshare -u: the work
# directories say whose they are, oxgate-spool(5) "Several hosts"), its
# own configuration file and working directory, run all four converters
# side by side on one shared spool and one trace: host a as the systemd
# unit runs them (--watch, started again after a kill), host b as cron
# does (--spool, again and again). Both directions at once:
#   OFTP files in (oftp/in) -> oftp2x400 -> P1 (x400/out); a simulated
#   MTA takes each the moment it is there and answers with a delivery
#   report (x400/reports) -> report2eerp -> EERP (oftp/eerp.out, EERP
#   mode 2), taken by the OFTP daemon;
#   X.400 P1 messages in (x400/in, crashgen ipm) -> x4002oftp -> OFTP
#   files (oftp/out, transfer mode); a simulated OFTP daemon takes each
#   pair the moment its .sfid is there and answers with the station's
#   EERP (oftp/eerp.in, crashgen eerp) -> eerp2report -> X.400 delivery
#   report (x400/out), taken by the MTA.
# Meanwhile SIGKILL hits a random converter of a random host
# TWOHOSTS_KILLS times (default 50); in the PostgreSQL run
# (twohosts.sh@pg) the server is also killed and started again in the
# middle (tests/pg.sh restart): the cron runs exit 75 meanwhile, the
# watchers defer what they hold, and all go on when it is back. Then, of
# TWOHOSTS_N inputs (default 1,000: half OFTP files, half X.400
# messages), every one gave each of its outputs exactly once, by
# identity (the invoice number in the P1, the DSN in the EERP, the
# message's text in the OFTP file, its MTS identifier in the DR) and by
# name (a second copy under a taken name shows); the trace agrees (SQL,
# on either backend): every row in its final state with its history, one
# recorded output per queue and transaction, every file taken recorded
# and every output recorded taken; the queues and work directories are
# empty; every converter exited 0, 75 or by the kill (a watcher also 143
# on SIGTERM), and the watchers converted their share.
# TWOHOSTS_LIMIT (seconds, default 400) ends a run that does not finish
# (the checks then say what is missing); under valgrind the defaults are
# 100 inputs and 10 kills.
. "$(dirname "$0")/lib.sh"
# (under valgrind, make check-valgrind: 100 inputs, 10 kills)
if [ -n "${OX_VALGRIND:-}" ]; then N=${TWOHOSTS_N:-100} KILLS=${TWOHOSTS_KILLS:-10}
else N=${TWOHOSTS_N:-1000} KILLS=${TWOHOSTS_KILLS:-50}; fi
LIMIT=${TWOHOSTS_LIMIT:-400}
NO=$((N / 2)) NX=$((N - N / 2))	# OFTP files in, X.400 messages in
CG=$OX_TOOLS/crashgen
d=$OX_TMP/twohosts
S=$d/spool
TK=$d/taken
# --- the hosts ---------------------------------------------------------------
CONVS="oftp2x400 x4002oftp report2eerp eerp2report"
# loop H P: the converter P of host H, again and again: host a runs
# its converters as the systemd unit does (--watch; started again after
# a kill, as Restart= does), host b as cron does (--spool)
loop() {
	_m=--spool; [ "$1" = a ] && _m=--watch
	while [ ! -e "$d/stop" ]; do
		"$OX_ABIN/$2" -c "$d/$1/oxgate.ini" $_m 2>>"$d/$1/$2.log" &
		echo $! > "$d/$1/$2.pid"
		wait $!
		echo $? >> "$d/$1/$2.rc"
	done
}
# host H: its own session and host name, the four converters side by side
host() {
	cd "$d/$1" || exit 1
	hostname "host$1" || exit 1
	for _p in $CONVS; do loop "$1" "$_p" & done
	wait
}
# (a host: this script run as "twohosts.sh host H" in its own session
# and UTS namespace)
if [ "${1:-}" = host ]; then host "$2"; exit; fi
rm -rf "$d"
mkdir -p "$S/oftp/in/tmp" "$S/x400/in/tmp" "$S/x400/reports/tmp" "$S/oftp/eerp.in/tmp" \
    "$TK/x400" "$TK/eerp" "$TK/oftp" "$d/a" "$d/b" "$d/dn"
V=O0177000000000X0LU
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
JOHN=/C=DE/A=DBP/P=ACME/O=Acme/S=Smith/
for h in a b; do
	printf '[spool]\nroot = %s\n' "$S" > "$d/$h/oxgate.ini"
	printf '[two]\nodette = O0013TWO\nuserid = 000043\nx400 = /S=EDI/O=TWO/P=TWO/A=DBP/C=DE/\neerp = 2\n' > "$d/$h/partners.ini"
	printf '[xt]\nodette = O0013XT\nx400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/\nlocal = %s\nmode = transfer\n' \
	    "$RITA" >> "$d/$h/partners.ini"
done
rnd() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }
# --- inputs ------------------------------------------------------------------
no=0 nx=0
put() {	# OFTP files TH.00000 ... (payload "invoice 00000"), each .sfid last
	_k=0
	while [ $_k -lt "$1" ] && [ $no -lt $NO ]; do
		_i=$(printf '%05d' $no)
		printf 'invoice %s\r\n' "$_i" > "$S/oftp/in/tmp/TH.$_i"
		printf '[sfid]\ndsn = TH%s\ndate = 20261122\ntime = 1100000001\ndest = %s000043\norig = O0013TWO\nformat = T\n' \
		    "$_i" "$V" > "$S/oftp/in/tmp/TH.$_i.sfid"
		mv "$S/oftp/in/tmp/TH.$_i" "$S/oftp/in/TH.$_i" && mv "$S/oftp/in/tmp/TH.$_i.sfid" "$S/oftp/in/TH.$_i.sfid"
		no=$((no + 1)) _k=$((_k + 1))
	done
	# X.400 messages xt-00000 ... ("message xt-00000") from John to Rita
	_k=$1; [ $((nx + _k)) -le $NX ] || _k=$((NX - nx))
	[ $_k -le 0 ] && return
	"$CG" ipm "$S/x400/in" xt $nx $_k "$JOHN" "$RITA" || fail feed "crashgen ipm"
	nx=$((nx + _k))
}
# --- the MTA and the OFTP daemon -----------------------------------------------
# take FILE DIR: into DIR under its name, or NAME~2, NAME~3 ... if taken
take() {
	_n=${1##*/} _c=1 _t=$2/${1##*/}
	while [ -e "$_t" ]; do _c=$((_c + 1)); _t=$2/$_n~$_c; done
	mv "$1" "$_t" 2>/dev/null && _moved=$((_moved + 1)) && echo "$_t" >> "$3"
}
consumer() {	# until stop: takes every output, answers P1 and OFTP file
	_pass=0
	while [ ! -e "$d/consumer.stop" ]; do
		_moved=0
		: > "$d/new.x400"; : > "$d/new.oftp"
		for _f in "$S"/x400/out/* "$S"/oftp/eerp.out/*; do
			case ${_f##*/} in tmp|work|\*) continue ;; esac
			case $_f in */x400/out/*) take "$_f" "$TK/x400" "$d/new.x400" ;; *) take "$_f" "$TK/eerp" /dev/null ;; esac
		done
		for _f in "$S"/oftp/out/*.sfid; do
			[ -e "$_f" ] || continue
			take "${_f%.sfid}" "$TK/oftp" /dev/null
			take "$_f" "$TK/oftp" "$d/new.oftp"
		done
		# the MTA: a delivery report on each P1 of oftp2x400 (the DRs
		# of eerp2report it only takes); the stations: an EERP each
		_l=$(xargs -r grep -la 'invoice [0-9]' < "$d/new.x400")
		# shellcheck disable=SC2086
		[ -z "$_l" ] || "$CG" report "$S/x400/reports" $_l 2>>"$d/consumer.log" || echo "report failed: $_l" >> "$d/consumer.err"
		# shellcheck disable=SC2046
		[ ! -s "$d/new.oftp" ] || "$CG" eerp "$S/oftp/eerp.in" $(cat "$d/new.oftp") 2>>"$d/consumer.log" ||
		    echo "eerp failed: $(cat "$d/new.oftp")" >> "$d/consumer.err"
		_pass=$((_pass + 1))
		echo "$_pass $_moved" > "$d/consumer.pass.new" && mv "$d/consumer.pass.new" "$d/consumer.pass"
		sleep 0.05
	done
}
# run on host H (its name, its directory): COMMAND...
on() { _h=$1; shift; (cd "$d/$_h" && unshare -u sh -c 'hostname "$0" && exec "$@"' "host$_h" "$@"); }
rm -f "$d/consumer.stop"
consumer & CONSUMER=$!
trap 'touch "$d/stop" "$d/consumer.stop"' EXIT
t0=$(date +%s)
put 50
HOSTS=
for h in a b; do
	setsid unshare -u sh "$0" host "$h" 2>"$d/$h/shell.log" &
	HOSTS="$HOSTS $!"
done
sent=0 kills=0 restarted=0
counts() {	# P1, EERPs, OFTP files, DRs taken
	np=$(grep -la 'invoice [0-9]' "$TK"/x400/* 2>/dev/null | grep -c .)
	nd=$(ls "$TK/x400" | grep -c .); nd=$((nd - np))
	ne=$(ls "$TK/eerp" | grep -c .)
	nf=$(ls "$TK/oftp" | grep -c '\.sfid')
}
while :; do
	[ $no -lt $NO ] || [ $nx -lt $NX ] && [ "$(ls "$S/oftp/in" | grep -c sfid)" -lt 60 ] && put 25
	# the kills keep pace with the inputs fed, the last ones after
	# (a kill counts when the converter died of it: exit 137)
	kills=$(cat "$d"/[ab]/*.rc 2>/dev/null | grep -c '^137$')
	if [ $kills -lt "$KILLS" ] && [ $((kills * N)) -le $(((no + nx) * KILLS)) ]; then
		h=a; [ "$(rnd 2)" -eq 0 ] && h=b
		set -- $CONVS; shift "$(rnd 4)"
		pid=$(cat "$d/$h/$1.pid" 2>/dev/null)
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && sent=$((sent + 1))
	fi
	if [ -n "${OX_PG_DIR:-}" ] && [ $restarted = 0 ] && [ $((no + nx)) -ge $((N / 2)) ]; then
		sh "$OX_TOP/tests/pg.sh" restart "$OX_PG_DIR" && restarted=1
	fi
	if [ $kills -ge "$KILLS" ] && [ $no -ge $NO ] && [ $nx -ge $NX ]; then
		counts
		[ "$np" -ge $NO ] && [ "$ne" -ge $NO ] && [ "$nf" -ge $NX ] && [ "$nd" -ge $NX ] && break
		sleep 1
	fi
	[ $(( $(date +%s) - t0 )) -lt "$LIMIT" ] || break
	sleep 0.$(( $(rnd 4) + 1 ))
done
tk=$(( $(date +%s) - t0 ))
touch "$d/stop"
# the watchers end on SIGTERM (each finishes its item); again until the
# hosts are gone (a loop may have started one more just before the stop)
while kill -0 $HOSTS 2>/dev/null; do
	for p in $CONVS; do kill -TERM "$(cat "$d/a/$p.pid")" 2>/dev/null; done
	sleep 0.5
done
wait $HOSTS
kills=$(cat "$d"/[ab]/*.rc | grep -c '^137$')
# undisturbed rounds on each host, the MTA's and the stations' answers
# between (a P1 of the last round needs two more: its DN, then its EERP)
for h in a b a b; do
	drain "$d"
	for p in $CONVS; do
		on $h "$OX_ABIN/$p" -c oxgate.ini --spool 2>>"$d/$h/$p.log" || fail "final_round_$h" "$p: exit $?"
	done
done
drain "$d"
touch "$d/consumer.stop"
wait $CONSUMER
counts
echo "# twohosts: $N inputs ($NO OFTP files, $NX X.400 messages), $kills kills ($sent SIGKILLs sent), PostgreSQL restarted: $restarted, $tk s under the kills, $(( $(date +%s) - t0 )) s in all"
[ $kills -ge "$KILLS" ] && pass kills || fail kills "$kills of $KILLS"
[ -z "${OX_PG_DIR:-}" ] || { [ $restarted = 1 ] && pass pg_restarted || fail pg_restarted "no restart"; }
[ ! -s "$d/consumer.err" ] && pass consumer_answered || fail consumer_answered "$(head -c 300 "$d/consumer.err")"
dup=$(find "$TK" -name '*~[0-9]*' | sed 's|.*/taken/||')
[ -z "$dup" ] && pass no_second_copy || fail no_second_copy "$(echo "$dup" | wc -l): $(echo $dup | cut -c1-200)"
# once DIR PATTERN COUNT NAME: the identities PATTERN finds in the files
# of taken/DIR (its number) are COUNT numbers, each in one file only
once() {
	_got=$(find "$TK/$1" -type f ! -name '*.sfid' -exec grep -aoH "$2" {} + | sort -u | sed 's/.*[^0-9]//' | sort | uniq -c |
	    awk -v n="$3" '$1 != 1 { bad = bad " " $2 "x" $1 } { seen++ }
	    END { if (seen != n) printf "%d of %d;", seen, n; if (bad) printf " not once:%s", substr(bad, 1, 200) }')
	[ -z "$_got" ] && pass "$4" || fail "$4" "$_got"
}
once x400 'invoice [0-9]\{5\}' $NO p1_once_each_oftp_file
once eerp 'TH[0-9]\{5\}' $NO eerp_once_each_oftp_file
once oftp 'message xt-[0-9]\{5\}' $NX oftp_file_once_each_message
# a DR names its subject message (the local identifier xt-NNNNN of its
# MTS identifier); a P1 of oftp2x400 names no xt- message
once x400 'xt-[0-9]\{5\}' $NX dr_once_each_eerp
[ "$np" -eq $NO ] && [ "$nd" -eq $NX ] && [ "$ne" -eq $NO ] && [ "$nf" -eq $NX ] &&
    [ "$(ls "$TK/oftp" | grep -vc '\.sfid')" -eq $NX ] && pass outputs_total ||
    fail outputs_total "$np P1, $ne EERPs for $NO files; $nf OFTP files, $nd DRs for $NX messages"
# --- the trace -----------------------------------------------------------------
db=$S/trace.db
q() { tsql "$db" "$1"; }
o=$(q "SELECT count(*), count(DISTINCT oftp_dsn), sum(CASE WHEN state = 'eerp-sent' THEN 1 ELSE 0 END) FROM trace WHERE dir = 'oftp2x400'")
[ "$o" = "$NO|$NO|$NO" ] && pass trace_oftp2x400_eerp_sent || fail trace_oftp2x400_eerp_sent "rows|files|eerp-sent: $o"
o=$(q "SELECT count(*), count(DISTINCT mts_id), sum(CASE WHEN state = 'eerp-received' THEN 1 ELSE 0 END) FROM trace WHERE dir = 'x4002oftp'")
[ "$o" = "$NX|$NX|$NX" ] && pass trace_x4002oftp_eerp_received || fail trace_x4002oftp_eerp_received "rows|messages|eerp-received: $o"
[ "$(q "SELECT count(*) FROM trace")" -eq $N ] && pass trace_no_other_row || fail trace_no_other_row "$(q "SELECT dir, state, count(*) FROM trace GROUP BY dir, state")"
# each transaction: its outputs, one per queue and kind (oftp2x400: the
# P1 and the EERP; x4002oftp: the payload, its .sfid and the DR)
o=$(q "SELECT count(*) FROM trace t WHERE
    (SELECT count(*) FROM trace_output o WHERE o.trace_id = t.id AND o.queue = 'x400/out') <> 1 OR
    (SELECT count(*) FROM trace_output o WHERE o.trace_id = t.id AND o.queue = 'oftp/eerp.out') <> CASE t.dir WHEN 'oftp2x400' THEN 1 ELSE 0 END OR
    (SELECT count(*) FROM trace_output o WHERE o.trace_id = t.id AND o.queue = 'oftp/out') <> CASE t.dir WHEN 'x4002oftp' THEN 2 ELSE 0 END OR
    (SELECT count(*) FROM trace_output o WHERE o.trace_id = t.id) <> 3 - CASE t.dir WHEN 'oftp2x400' THEN 1 ELSE 0 END")
[ "$o" = 0 ] && pass trace_outputs_one_per_queue || fail trace_outputs_one_per_queue "$o transactions with other outputs"
# the history: each state once, the last the row's state (received,
# converted, delivered, eerp-sent; received, converted, eerp-received)
o=$(q "SELECT count(*) FROM trace t WHERE
    (SELECT count(*) FROM trace_history h WHERE h.trace_id = t.id) <> CASE t.dir WHEN 'oftp2x400' THEN 4 ELSE 3 END OR
    (SELECT count(DISTINCT state) FROM trace_history h WHERE h.trace_id = t.id) <> CASE t.dir WHEN 'oftp2x400' THEN 4 ELSE 3 END OR
    (SELECT h.state FROM trace_history h WHERE h.trace_id = t.id ORDER BY h.id DESC LIMIT 1) <> t.state")
[ "$o" = 0 ] && pass trace_history_each_state_once || fail trace_history_each_state_once "$o transactions: $(q "SELECT h.trace_id, h.state, h.note FROM trace_history h WHERE h.trace_id IN (SELECT trace_id FROM trace_history GROUP BY trace_id, state HAVING count(*) > 1) ORDER BY h.id LIMIT 6" | tr '\n' ' ')"
# the files taken are the outputs recorded, name for name; and the names
# the rows give (out_file, ack_file) are among them
q "SELECT queue || ' ' || name FROM trace_output" | sed 's|^x400/out |x400 |; s|^oftp/eerp.out |eerp |; s|^oftp/out |oftp |' | sort > "$d/recorded"
(cd "$TK" && find . -type f | sed 's|^\./||; s|/| |; s/~[0-9]*$//') | sort > "$d/takenlist"
o=$(comm -3 "$d/recorded" "$d/takenlist" | head -4 | tr '\n' ' ')
[ -z "$o" ] && [ -s "$d/recorded" ] && pass trace_outputs_are_the_files_taken || fail trace_outputs_are_the_files_taken "recorded | taken: $o"
cut -d' ' -f2 "$d/recorded" | sort > "$d/recorded.names"
o=$(q "SELECT out_file FROM trace UNION ALL SELECT coalesce(ack_file, '-') FROM trace" | sort | comm -23 - "$d/recorded.names" | head -3 | tr '\n' ' ')
[ -z "$o" ] && pass trace_names_recorded || fail trace_names_recorded "out_file/ack_file not among the outputs: $o"
# --- the spool -----------------------------------------------------------------
# (files a killed run staged in a tmp/ stay, unrecorded: oxpurge
# removes them; none that the trace records as an output)
left=$(find "$S/oftp" "$S/x400" "$S/failed" -type f ! -path '*/tmp/*' 2>/dev/null | grep -v '/\.lock$' | head -3)
[ -z "$left" ] && pass queues_empty || fail queues_empty "$left"
left=$(q "SELECT queue || '/tmp/' || tmp FROM trace_output" | while read -r f; do [ -e "$S/$f" ] && echo "$f"; done | head -3)
[ -z "$left" ] && pass no_recorded_output_in_tmp || fail no_recorded_output_in_tmp "$left"
staged=$(find "$S" -path '*/tmp/*' -type f | wc -l)
w=$(find "$S" -path '*/work/*' -type d | sed 's|.*/work/||; s/\..*//' | sort -u | tr '\n' ' ')
[ -z "$(find "$S" -path '*/work/*' -type d)" ] && pass work_dirs_gone || fail work_dirs_gone "$w"
hs=$(cat "$d"/[ab]/*.log | sed -n 's/.*work\/\(host[ab]\)\..*/\1/p' | sort -u | tr '\n' ' ')
# (a watcher's SIGTERM may also give 143 before its handler is in place)
bad=$( (cat "$d"/b/*.rc; grep -hv '^143$' "$d"/a/*.rc) 2>/dev/null | grep -cv '^\(0\|75\|137\)$' || true)
[ "$bad" -eq 0 ] && pass exits_0_75_or_killed || fail exits_0_75_or_killed "$bad runs: $(cat "$d"/[ab]/*.rc | sort | uniq -c | tr '\n' ' ')"
# host a's watchers converted their share (every watcher's conversions
# are logged with " -> ")
n=$(cat "$d"/a/*.log | grep -c ' -> ')
[ "$n" -gt 0 ] && pass watchers_converted || fail watchers_converted "host a's watchers converted nothing"
echo "# host a (watchers) made $n outputs' lines, host b (cron) $(cat "$d"/b/*.log | grep -c ' -> ')"
echo "# runs: $(cat "$d"/[ab]/*.rc | sort | uniq -c | awk '{ printf "%s exit %s, ", $1, $2 }')$(grep -c 'put back' "$d"/[ab]/*.log | awk -F: '{ s += $2 } END { print s }') items put back from killed claims, $staged files staged by killed runs left in a tmp/${hs:+; work directories of $hs}"
if grep -qE 'Sanitizer|runtime error' "$d"/[ab]/*.log; then fail no_sanitizer "$(grep -h -m2 -E 'Sanitizer|runtime error' "$d"/[ab]/*.log | tr '\n' '|')"
else pass no_sanitizer; fi
