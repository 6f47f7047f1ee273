# ident: the local identifiers the gateway makes (lib/gw/ident.h): the
# configured MTA designator and 20 base32 characters that openssl and
# coreutils' base32 compute from the transaction too; N files converted
# by two oftp2x400 processes at once get N distinct identifiers (MTS,
# IPM, trace, file names); a redo and filter mode (other processes) give
# the same identifier again; a file whose identifier is held by another
# transaction in the trace goes to failed/ instead of overwriting its
# output; the reports of eerp2report and x4002oftp follow the same rule;
# a bad mta-designator stops the programs with a message naming it.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/oftp2x400
CHK=$OX_SHARED/tools/x400check
d=$OX_TMP/ident
D=GW-ACME.T001
N=300
V=O0177000000000X0LU
mkdir -p "$d/spool/oftp/in/tmp"
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
[x400]
mta-designator = $D
INI
cat > "$d/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
INI
in=$d/spool/oftp/in
xo=$d/spool/x400/out
db=$d/spool/trace.db
# idof KIND KEY: the identifier computed without our code
idof() {
	printf '%s|%s' "$1" "$2" | openssl dgst -sha256 -binary | head -c 15 |
	    base32 | tr 'A-Z' 'a-z' | cut -c1-20 | sed "s/^/$D/"
}
key() { printf 'ID.%s|20261122|1%09d|O0013ACMEGMBH|%s000042' "$1" "$1" "$V"; }
put() {	# I: a one-line T file ID.I, time 1 and I in 9 digits
	printf 'line %s\r\n' "$1" > "$in/tmp/f$1"; mv "$in/tmp/f$1" "$in/f$1"
	printf '[sfid]\ndsn = ID.%s\ndate = 20261122\ntime = 1%09d\ndest = %s000042\norig = O0013ACMEGMBH\nformat = T\n' \
	    "$1" "$1" "$V" > "$in/tmp/f$1.sfid"
	mv "$in/tmp/f$1.sfid" "$in/f$1.sfid"
}
i=1; while [ $i -le $N ]; do put $i; i=$((i + 1)); done

# two processes on one spool
"$X" -c "$d/oxgate.ini" --spool 2>"$d/log1" & p1=$!
"$X" -c "$d/oxgate.ini" --spool 2>"$d/log2" & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && pass two_processes_exit_0 || fail two_processes_exit_0 "$r1 $r2 $(tail -2 "$d/log1" "$d/log2" | tr '\n' '|')"
c1=$(grep -c ' -> ' "$d/log1"); c2=$(grep -c ' -> ' "$d/log2")
[ $((c1 + c2)) -eq $N ] && pass "two_processes_converted_${N}" || fail "two_processes_converted_$N" "$c1 + $c2"
echo "# process 1 converted $c1, process 2 $c2" >&2
[ "$(ls "$xo" | grep -c '\.p1$')" -eq $N ] && pass "distinct_output_names_$N" || fail "distinct_output_names_$N" "$(ls "$xo" | grep -c '\.p1$')"
miss=0; i=1
while [ $i -le $N ]; do
	id=$(idof oftp "$(key $i)")
	[ -f "$xo/$id.p1" ] && [ -f "$d/spool/oftp/eerp.out/$id.eerp" ] || miss=$((miss + 1))
	i=$((i + 1))
done
[ $miss -eq 0 ] && pass names_are_computed_ids || fail names_are_computed_ids "$miss of $N not found"
id7=$(idof oftp "$(key 7)")
case $id7 in "$D"[a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7]) pass id_form ;; *) fail id_form "$id7" ;; esac
o=$(sqlite3 "$db" "SELECT count(*), count(DISTINCT mts_id), count(DISTINCT ipm_id) FROM trace WHERE dir = 'oftp2x400'")
[ "$o" = "$N|$N|$N" ] && pass trace_ids_distinct || fail trace_ids_distinct "$o"
o=$(sqlite3 "$db" "SELECT mts_id, out_file FROM trace WHERE oftp_dsn = 'ID.7'")
[ "$o" = "[DE*VIAT*OFTP;$id7]|$id7.p1" ] && pass trace_mts_id || fail trace_mts_id "$o"
# what Wireshark reads in the message: MTS and IPM identifier
check x400check_message "$CHK" -q p1 "$xo/$id7.p1"
o=$("$CHK" p1 "$xo/$id7.p1" -T fields -e p1.local_identifier -e p22.user_relative_identifier)
[ "$o" = "$id7	$id7" ] && pass wireshark_local_ids || fail wireshark_local_ids "$o"

# the same identity again (the station sent the file twice): it is
# recognised by its trace row (a duplicate, duplicate.sh), no second P1
cp "$xo/$id7.p1" "$d/before.p1"
rm "$xo/$id7.p1"		# taken by the MTA
put 7; "$X" -c "$d/oxgate.ini" --spool 2>"$d/log3"
[ "$(ls "$xo" | grep -c '\.p1$')" -eq $((N - 1)) ] && grep -q "ID.7 .*not converted again" "$d/log3" && pass redo_no_second_copy || fail redo_no_second_copy "$(cat "$d/log3")"
cp "$d/before.p1" "$xo/$id7.p1"
[ "$(sqlite3 "$db" "SELECT count(*) FROM trace WHERE oftp_dsn = 'ID.7'")" = 1 ] && pass redo_one_row || fail redo_one_row "rows"
# filter mode, twice: two more processes, the same identifier
printf 'line 7\r\n' > "$d/f7"
printf '[sfid]\ndsn = ID.7\ndate = 20261122\ntime = 1000000007\ndest = %s000042\norig = O0013ACMEGMBH\nformat = T\n' "$V" > "$d/f7.sfid"
"$X" -c "$d/oxgate.ini" --sfid "$d/f7.sfid" "$d/f7" > "$d/a.p1" 2>/dev/null
"$X" -c "$d/oxgate.ini" --sfid "$d/f7.sfid" "$d/f7" > "$d/b.p1" 2>/dev/null
a=$("$CHK" p1 "$d/a.p1" -T fields -e p1.local_identifier); b=$("$CHK" p1 "$d/b.p1" -T fields -e p1.local_identifier)
[ "$a" = "$id7" ] && [ "$b" = "$id7" ] && pass filter_same_id || fail filter_same_id "'$a' '$b' want $id7"

# the impossible case, forced: file 8's identifier already held by file 9
id8=$(idof oftp "$(key 8)"); id9=$(idof oftp "$(key 9)")
sqlite3 "$db" "PRAGMA foreign_keys = ON; DELETE FROM trace WHERE oftp_dsn = 'ID.8';
    UPDATE trace SET mts_id = '[DE*VIAT*OFTP;$id8]' WHERE oftp_dsn = 'ID.9'"
rm -f "$xo/$id8.p1"
put 8; "$X" -c "$d/oxgate.ini" --spool 2>"$d/log4"
[ ! -e "$xo/$id8.p1" ] && [ -f "$d/spool/failed/f8" ] && pass collision_to_failed || fail collision_to_failed "$(ls "$d/spool/failed") $(cat "$d/log4")"
grep -q "MTS identifier \[DE\*VIAT\*OFTP;$id8\] is already the one of trace row [0-9]* (DSN ID.9," "$d/spool/failed/f8.why" 2>/dev/null &&
    pass collision_why || fail collision_why "$(cat "$d/spool/failed/f8.why" 2>&1)"

# eerp2report: the report on an x4002oftp row (made by rptgen)
mkdir -p "$d/spool/oftp/eerp.in/tmp"
"$OX_TOOLS/rptgen" row "$db" x4002oftp acme ORD.1 20261122 1300000001 "${V}000099" O0013ACMEGMBH \
    "[DE*DBP*MTA;m-1]" "/S=Sender/O=Acme/PRMD=ACME/ADMD=DBP/C=DE/;ipm-1" - 0 0 1 1 \
    "/DD.ODETTEID=O0013ACMEGMBH/PRMD=OFTP/ADMD=VIAT/C=DE/" >/dev/null
row=$(sqlite3 "$db" "SELECT id FROM trace WHERE oftp_dsn = 'ORD.1'")
"$OX_TOOLS/rptgen" eerp "$d/spool/oftp/eerp.in/tmp/e1" e ORD.1 20261122 1300000001 "${V}000099" O0013ACMEGMBH &&
    mv "$d/spool/oftp/eerp.in/tmp/e1" "$d/spool/oftp/eerp.in/e1"
"$OX_ABIN/eerp2report" -c "$d/oxgate.ini" --spool 2>"$d/log5"
rid=$(idof report "$row|[DE*DBP*MTA;m-1]")
if [ -f "$xo/$rid.p1" ]; then
	pass report_name
	o=$("$CHK" p1 "$xo/$rid.p1" -T fields -e p1.local_identifier)
	case $o in "$rid"*) pass report_local_id ;; *) fail report_local_id "$o" ;; esac
	check x400check_report "$CHK" -q p1 "$xo/$rid.p1"
else fail report_name "no $rid.p1: $(cat "$d/log5")"; fi

# x4002oftp, agent mode: the DR on a message and the NDR for Otto
g=$d/x2o
mkdir -p "$g/gen" "$g/spool/x400/in/tmp"
"$OX_TOOLS/p1gen" "$g/gen" >/dev/null || fail p1gen "p1gen"
printf '[spool]\nroot = spool\n[x400]\nmta-designator = %s\n' "$D" > "$g/oxgate.ini"
printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/\nlocal = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/\n' > "$g/partners.ini"
cp "$g/gen/gen_msg.p1" "$g/spool/x400/in/tmp/m.p1" && mv "$g/spool/x400/in/tmp/m.p1" "$g/spool/x400/in/m.p1"
"$OX_ABIN/x4002oftp" -c "$g/oxgate.ini" --spool 2>"$g/log"
for k in dr ndr; do
	f=$g/spool/x400/out/$(idof $k "[DE*VIAT*OFTP;gen-msg-1]").p1
	[ -f "$f" ] && "$CHK" -q p1 "$f" && pass "x2o_${k}_name" || fail "x2o_${k}_name" "$(ls "$g/spool/x400/out") $(cat "$g/log")"
done

# the designator is checked where the configuration is read
n=0
for bad in ACME ACME/GW/0001 .ACME-GW-001; do
	n=$((n + 1))
	printf '[spool]\nroot = spool\n[x400]\nmta-designator = %s\n' "$bad" > "$d/bad.ini"
	o=$("$X" -c "$d/bad.ini" --spool 2>&1); rc=$?
	case $rc:$o in 78:*"bad.ini: [x400] mta-designator: '$bad'"*) pass "bad_designator_$n" ;; *) fail "bad_designator_$n" "$rc $o" ;; esac
done
