# Two gateway "hosts" on one spool and one trace (issue 24), small: two
# process groups, each with its own configuration file and working
# directory, run oftp2x400 and report2eerp as cron does (--spool, again
# and again) on one shared spool, while SIGKILL hits a random one of the
# four TWOHOSTS_KILLS times (default 10) and a simulated MTA takes every
# P1 the moment it is complete and answers it with a delivery report. In
# the PostgreSQL run (twohosts.sh@pg) the server is also killed and
# started again in the middle (tests/pg.sh restart): the converters fail
# with 75 meanwhile and go on when it is back. Then every one of
# TWOHOSTS_N OFTP files (default 30; EERP mode 2) gave exactly one P1 and
# exactly one EERP, the trace agrees (SQL: every row eerp-sent, one P1
# and one EERP output recorded each), the queues and work directories are
# empty. x4002oftp and eerp2report are not in it yet.
. "$(dirname "$0")/lib.sh"
O2X=$OX_ABIN/oftp2x400
R2E=$OX_ABIN/report2eerp
G=$OX_TOOLS/rptgen
N=${TWOHOSTS_N:-30}
KILLS=${TWOHOSTS_KILLS:-10}
d=$OX_TMP/twohosts
S=$d/spool
rm -rf "$d"
mkdir -p "$S/oftp/in/tmp" "$S/x400/reports/tmp" "$d/taken" "$d/a" "$d/b"
V=O0177000000000X0LU
for h in a b; do
	printf '[spool]\nroot = %s\n' "$S" > "$d/$h/oxgate.ini"
	printf '[two]\nodette = O0013TWO\nuserid = 000043\nx400 = /S=EDI/O=TWO/P=TWO/A=DBP/C=DE/\neerp = 2\n' > "$d/$h/partners.ini"
done
put() {	# I: OFTP file TH.I, its .sfid last
	printf 'invoice %s\r\n' "$1" > "$S/oftp/in/tmp/TH.$1" && mv "$S/oftp/in/tmp/TH.$1" "$S/oftp/in/TH.$1"
	printf '[sfid]\ndsn = TH%s\ndate = 20261122\ntime = 1100000001\ndest = %s000043\norig = O0013TWO\nformat = T\n' \
	    "$1" "$V" > "$S/oftp/in/tmp/TH.$1.sfid" && mv "$S/oftp/in/tmp/TH.$1.sfid" "$S/oftp/in/TH.$1.sfid"
}
take() {	# F: into taken/, a second copy under F~2 (a duplicate shows)
	_t=$d/taken/${1##*/}
	[ -e "$_t" ] && _t=$_t~2
	mv "$1" "$_t"
}
mta() {	# takes every P1 and answers with a DN; takes every EERP
	for f in "$S"/x400/out/*.p1; do
		[ -f "$f" ] || continue
		_n=${f##*/}
		take "$f"
		"$G" report "$d/taken/$_n" "$S/x400/reports/tmp/dn-$_n" d 2>>"$d/mta.log" &&
		    mv "$S/x400/reports/tmp/dn-$_n" "$S/x400/reports/dn-$_n"
	done
	for f in "$S"/oftp/eerp.out/*.eerp; do
		[ -f "$f" ] && take "$f"
	done
}
host() {	# H: the host's converters, round after round, until stop
	cd "$d/$1" || exit 1
	while [ ! -e "$d/stop" ]; do
		for p in o2x r2e; do
			case $p in o2x) c=$O2X ;; r2e) c=$R2E ;; esac
			"$c" -c "$d/$1/oxgate.ini" --spool 2>>"$d/$1/log" &
			echo $! > "$d/$1/$p.pid"
			wait $!
			echo $? >> "$d/$1/$p.rc"
		done
	done
}
i=0
while [ $i -lt $((N / 2)) ]; do put $i; i=$((i + 1)); done
host a & ha=$!
host b & hb=$!
kills=0 restarted=0 t0=$(date +%s)
while :; do
	mta
	[ $i -lt "$N" ] && { put $i; i=$((i + 1)); }
	if [ $kills -lt "$KILLS" ]; then
		h=a; [ $(( $(od -An -N1 -tu1 /dev/urandom) % 2 )) -eq 0 ] && h=b
		p=o2x; [ $(( $(od -An -N1 -tu1 /dev/urandom) % 2 )) -eq 0 ] && p=r2e
		pid=$(cat "$d/$h/$p.pid" 2>/dev/null)
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
	fi
	if [ -n "${OX_PG_DIR:-}" ] && [ $restarted = 0 ] && [ $i -ge $((N * 3 / 4)) ]; then
		sh "$OX_TOP/tests/pg.sh" restart "$OX_PG_DIR" && restarted=1
	fi
	np=$(ls "$d/taken" | grep -c '\.p1')
	ne=$(ls "$d/taken" | grep -c '\.eerp')
	[ $kills -ge "$KILLS" ] && [ $i -ge "$N" ] && [ "$np" -ge "$N" ] && [ "$ne" -ge "$N" ] && break
	[ $(( $(date +%s) - t0 )) -lt 240 ] || break
	sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 4 + 1 ))
done
touch "$d/stop"
wait $ha $hb
# one undisturbed round on each host, the MTA's last answers between
for h in a b a; do
	mta
	(cd "$d/$h" && "$O2X" -c oxgate.ini --spool && "$R2E" -c oxgate.ini --spool) 2>>"$d/$h/log" || fail "final_round_$h" "exit $?"
done
mta
echo "# twohosts: $N files, $kills kills, PostgreSQL restarted: $restarted, $(( $(date +%s) - t0 )) s"
[ $kills -ge "$KILLS" ] && pass kills || fail kills "$kills of $KILLS"
[ -z "${OX_PG_DIR:-}" ] || { [ $restarted = 1 ] && pass pg_restarted || fail pg_restarted "no restart"; }
np=$(ls "$d/taken" | grep -c '\.p1$'); ne=$(ls "$d/taken" | grep -c '\.eerp$')
dup=$(ls "$d/taken" | grep -c '~' || true)
[ "$np" -eq "$N" ] && [ "$dup" -eq 0 ] && pass p1_once || fail p1_once "$np P1 of $N, $dup duplicates: $(ls "$d/taken" | grep '~' | head -3)"
[ "$ne" -eq "$N" ] && [ "$dup" -eq 0 ] && pass eerp_once || fail eerp_once "$ne EERPs of $N"
db=$S/trace.db
o=$(tsql "$db" "SELECT count(*), sum(CASE WHEN state = 'eerp-sent' THEN 1 ELSE 0 END) FROM trace")
[ "$o" = "$N|$N" ] && pass trace_all_eerp_sent || fail trace_all_eerp_sent "$o"
o=$(tsql "$db" "SELECT count(*), count(DISTINCT trace_id) FROM trace_output WHERE queue = 'x400/out'")
o2=$(tsql "$db" "SELECT count(*), count(DISTINCT trace_id) FROM trace_output WHERE queue = 'oftp/eerp.out'")
[ "$o" = "$N|$N" ] && [ "$o2" = "$N|$N" ] && pass trace_outputs_once || fail trace_outputs_once "p1 $o, eerp $o2"
left=$(find "$S/oftp/in" "$S/x400/reports" "$S/failed" -type f 2>/dev/null | grep -v '/\.lock$' | head -3)
[ -z "$left" ] && pass queues_empty || fail queues_empty "$left"
bad=$(cat "$d/a/o2x.rc" "$d/a/r2e.rc" "$d/b/o2x.rc" "$d/b/r2e.rc" 2>/dev/null | grep -cv '^\(0\|75\|137\)$' || true)
[ "$bad" -eq 0 ] && pass exits_0_75_or_killed || fail exits_0_75_or_killed "$bad runs: $(cat "$d"/*/[or]*.rc | sort | uniq -c | tr '\n' ' ')"
