# oxtrace status-files: per partnership with status-vdsn, the CSV status
# report of its transactions since the last status file, as an OFTP
# virtual file in oftp/out. The CSV is checked field by field against the
# trace table (sqlite3), the .sfid with oxdump (our reader) and Python;
# the station's EERP for it is answered by eerp2report; hold is obeyed; a
# run that dies after recording its window is redone with the same file.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/x4002oftp
O=$OX_ABIN/oxtrace
D=$OX_ABIN/oxdump
d=$OX_TMP/status_files
mkdir -p "$d/gen"
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen "p1gen"
msg() { perl -pe "s/gen-msg-1/gen-msg-$1/g" "$d/gen/gen_msg.p1" > "$d/m$1.p1"; }
for n in 1 2 3; do msg $n; done
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
g=$d/gw
mkdir -p "$g/spool/x400/in/tmp"
printf '[spool]\nroot = spool\n[oftp]\nstation-id = O0013GATEWAY\n' > "$g/oxgate.ini"
cat > "$g/partners.ini" <<INI
[p]
odette = O0013RITA
x400 = $SAM
local = $RITA
mode = transfer
status-vdsn = OX.STATUS
[old]
odette = O0013OLD
x400 = /O=Old/P=OLD/A=DBP/C=DE/
oftp = 1.4
status-vdsn = STATUS14
status-format = U
[quiet]
odette = O0013QUIET
x400 = /O=Quiet/P=QUIET/A=DBP/C=DE/
INI
C="-c $g/oxgate.ini"
S=$g/spool
put() { cp "$d/m$1.p1" "$S/x400/in/tmp/m$1.p1" && mv "$S/x400/in/tmp/m$1.p1" "$S/x400/in/m$1.p1"; }
run() { "$X" $C --spool 2>>"$g/log"; }
sf() { sed -n "s/^$2 *= *//p" "$1" | tr -d '"'; }

# configuration: the keys are checked
check config_ok "$O" $C --check-config
printf '[x]\nodette = O0013X\nx400 = /O=X/P=X/A=DBP/C=DE/\nstatus-format = F\n' > "$d/bad.ini"
printf '[spool]\nroot = spool\n[oftp]\npartners = %s\n' "$d/bad.ini" > "$d/bad-gw.ini"
o=$("$O" -c "$d/bad-gw.ini" --check-config 2>&1)
case $o in *"[x] status-format: 'F' is not T or U"*) pass bad_format_named ;; *) fail bad_format_named "$o" ;; esac
printf '[x]\nodette = O0013X\nx400 = /O=X/P=X/A=DBP/C=DE/\nstatus-vdsn = bad@name\n' > "$d/bad.ini"
check_fails bad_vdsn 78 "$O" -c "$d/bad-gw.ini" --check-config
check_fails no_status_vdsn 65 "$O" $C status-files --partner quiet
check_fails unknown_partner 67 "$O" $C status-files --partner nosuch

# --- two messages, then the first status files ------------------------
put 1; run; put 2; run
t0=$(date +%s)
while [ "$(date +%s)" -eq "$t0" ]; do sleep 0.1; done
o=$("$O" -v $C status-files 2>&1); rc=$?
[ $rc -eq 0 ] && pass first_run || fail first_run "rc $rc: $o"
f=$(ls "$S/oftp/out" | grep '^status\.p\.[0-9]*$')
[ -n "$f" ] && [ -f "$S/oftp/out/$f.sfid" ] && pass file_pair || fail file_pair "$(ls "$S/oftp/out")"
until=${f#status.p.}
F=$S/oftp/out/$f
# the CSV: header plus exactly the two rows of p, CRLF, equal to report
[ "$(wc -l < "$F")" -eq 3 ] && pass csv_three_lines || fail csv_three_lines "$(cat "$F")"
[ "$(tr -d -c '\r' < "$F" | wc -c)" -eq 3 ] && pass csv_crlf || fail csv_crlf "CR count"
"$O" $C report --partner p --until "@$until" > "$d/report.csv"
cmp -s "$F" "$d/report.csv" && pass csv_is_report || fail csv_is_report "$(diff "$F" "$d/report.csv" | head -5)"
# field by field against the trace table
python3 - "$F" "$S/trace.db" <<'PY' && pass csv_fields_match_trace || fail csv_fields_match_trace "see above"
import csv, sqlite3, sys, time
rows = list(csv.reader(open(sys.argv[1], newline='')))
db = sqlite3.connect(sys.argv[2])
hdr = rows[0]
assert hdr[:4] == ['id', 'direction', 'partner', 'state'], hdr
cols = {'direction': 'dir', 'dsn': 'oftp_dsn', 'date': 'oftp_date',
        'time': 'oftp_time', 'originator': 'oftp_orig',
        'destination': 'oftp_dest', 'x400_originator': 'x400_orig'}
iso = lambda v: '' if v is None else time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(v))
ids = []
for r in rows[1:]:
    rec = dict(zip(hdr, r))
    ids.append(int(rec['id']))
    for k, v in rec.items():
        if k == 'recipients':
            want = db.execute('SELECT count(*) FROM trace_recipient WHERE trace_id = ?', (rec['id'],)).fetchone()[0]
        else:
            want = db.execute('SELECT %s FROM trace WHERE id = ?' % cols.get(k, k), (rec['id'],)).fetchone()[0]
            if k in ('created', 'updated', 'deadline'):
                want = iso(want)
        want = '' if want is None else str(want)
        if want != v:
            print('row %s %s: csv %r trace %r' % (rec['id'], k, v, want)); sys.exit(1)
want = [i for (i,) in db.execute("SELECT id FROM trace WHERE partner = 'p' AND mts_id NOT LIKE 'status:%' ORDER BY id")]
assert ids == want, (ids, want)
PY
# the .sfid: oxdump (our reader), then field by field
o=$("$D" "$F.sfid" 2>&1); rc=$?
[ $rc -eq 0 ] && pass sfid_oxdump_reads || fail sfid_oxdump_reads "rc $rc: $o"
[ "$(sf "$F.sfid" dsn)" = OX.STATUS ] && pass sfid_dsn || fail sfid_dsn "$(sf "$F.sfid" dsn)"
[ "$(sf "$F.sfid" orig)" = O0013GATEWAY ] && pass sfid_orig_station || fail sfid_orig_station "$(sf "$F.sfid" orig)"
[ "$(sf "$F.sfid" dest)" = O0013RITA ] && pass sfid_dest_partner || fail sfid_dest_partner "$(sf "$F.sfid" dest)"
[ "$(sf "$F.sfid" format)" = T ] && pass sfid_format_T || fail sfid_format_T "$(sf "$F.sfid" format)"
[ "$(sf "$F.sfid" date)" = "$(date -d "@$until" +%Y%m%d)" ] && [ "$(sf "$F.sfid" time)" = "$(date -d "@$until" +%H%M%S)0001" ] && pass sfid_date_time || fail sfid_date_time "$(sf "$F.sfid" date) $(sf "$F.sfid" time)"
sz=$(wc -c < "$F")
[ "$(sf "$F.sfid" fsize)" -eq $(( (sz + 1023) / 1024 )) ] && pass sfid_fsize || fail sfid_fsize "$(sf "$F.sfid" fsize) for $sz octets"
case $(sf "$F.sfid" desc) in "oxgate status report "*", 2 transactions") pass sfid_desc ;; *) fail sfid_desc "$(sf "$F.sfid" desc)" ;; esac
o=$("$D" --json "$F.sfid" 2>&1)
printf '%s' "$o" | python3 -c 'import json,sys; j=json.load(sys.stdin); s=json.dumps(j); assert "OX.STATUS" in s and "O0013RITA" in s and "status:p:" in s, s' && pass sfid_json || fail sfid_json "$o"
# the OFTP 1.4 partner: U, no description
F14=$S/oftp/out/$(ls "$S/oftp/out" | grep '^status\.old\.[0-9]*$')
[ "$(sf "$F14.sfid" format)" = U ] && [ -z "$(sf "$F14.sfid" desc)" ] && [ "$(sf "$F14.sfid" dsn)" = STATUS14 ] && pass sfid_14_U || fail sfid_14_U "$(cat "$F14.sfid")"
[ "$(wc -l < "$F14")" -eq 1 ] && pass empty_window_header_only || fail empty_window_header_only "$(cat "$F14")"
[ -z "$(ls "$S/oftp/out" | grep '^status\.quiet')" ] && pass no_vdsn_no_file || fail no_vdsn_no_file "$(ls "$S/oftp/out")"

# --- the trace: an outgoing transaction, answered by the EERP ----------
o=$("$O" $C status "status:p:$until" 2>&1)
case $o in *"direction: x4002oftp"*"partner: p"*"state: converted"*"dsn=OX.STATUS"*"orig=O0013GATEWAY dest=O0013RITA"*"out=$f "*) pass trace_row ;; *) fail trace_row "$o" ;; esac
case $("$O" $C partner show p) in *"last status file: "*"status-file"*"$f into oftp/out: 2 transactions from the start to "*) pass partner_history ;; *) fail partner_history "$("$O" $C partner show p)" ;; esac
mkdir -p "$S/oftp/eerp.in"
"$OX_TOOLS/rptgen" eerp "$S/oftp/eerp.in/st.eerp" e OX.STATUS "$(sf "$F.sfid" date)" "$(sf "$F.sfid" time)" O0013GATEWAY O0013RITA
n1=$(ls "$S/x400/out" | grep -c '\.p1$')
check eerp2report "$OX_ABIN/eerp2report" $C --spool
[ -z "$(ls "$S/failed" 2>/dev/null | grep -v '^tmp$')" ] && pass eerp_not_failed || fail eerp_not_failed "$(ls "$S/failed")"
case $("$O" $C status "status:p:$until") in *"state: eerp-received"*) pass eerp_received ;; *) fail eerp_received "$("$O" $C status "status:p:$until" | grep state)" ;; esac
[ "$(ls "$S/x400/out" | grep -c '\.p1$')" -eq "$n1" ] && pass no_report_for_status || fail no_report_for_status "$(ls "$S/x400/out")"

# --- the same second again: nothing new --------------------------------
n0=$(ls "$S/oftp/out" | grep -c '^status\.p\.[0-9]*$')
"$O" $C status-files --now "@$until" 2>/dev/null
[ "$(ls "$S/oftp/out" | grep -c '^status\.p\.[0-9]*$')" -eq "$n0" ] && pass same_second_nothing || fail same_second_nothing "$(ls "$S/oftp/out")"

# --- the next window: only what came since ------------------------------
mkdir -p "$d/taken"; mv "$S/oftp/out/status."* "$d/taken/"	# the daemon took them
put 3; run
t0=$(date +%s); while [ "$(date +%s)" -eq "$t0" ]; do sleep 0.1; done
check second_run "$O" $C status-files --partner p
f2=$(ls "$S/oftp/out" | grep '^status\.p\.[0-9]*$')
u2=${f2#status.p.}
"$O" $C report --partner p --since "@$until" --until "@$u2" > "$d/report2.csv"
cmp -s "$S/oftp/out/$f2" "$d/report2.csv" && pass second_is_report || fail second_is_report "$(diff "$S/oftp/out/$f2" "$d/report2.csv" | head -5)"
# m3 and the first status file itself (created at its window's end)
o=$(cut -d, -f13 "$S/oftp/out/$f2" | tr -d '\r' | tr '\n' ' ')
case $o in "mts_id "*"status:p:$until"*"gen-msg-3"*) pass second_window_rows ;; *) fail second_window_rows "$o" ;; esac
[ "$(wc -l < "$S/oftp/out/$f2")" -eq 3 ] && pass second_window_count || fail second_window_count "$(cat "$S/oftp/out/$f2")"
[ -z "$(ls "$S/oftp/out" | grep '^status\.old')" ] && pass partner_option_only_p || fail partner_option_only_p "$(ls "$S/oftp/out")"
mv "$S/oftp/out/status."* "$d/taken/"

# --- hold is obeyed ----------------------------------------------------
"$O" $C partner hold p 2>/dev/null
t0=$(date +%s); while [ "$(date +%s)" -eq "$t0" ]; do sleep 0.1; done
check held_run "$O" $C status-files --partner p
h=$(ls "$S/hold/p" 2>/dev/null | grep '^status\.p\.[0-9]*\.sfid$')
[ -n "$h" ] && [ -z "$(ls "$S/oftp/out" | grep '^status\.')" ] && pass status_file_held || fail status_file_held "$(ls "$S/hold/p" "$S/oftp/out")"
case $("$O" $C status "status:p:$(echo "$h" | sed 's/status\.p\.\([0-9]*\)\.sfid/\1/')") in *"state: held"*) pass status_trace_held ;; *) fail status_trace_held "state" ;; esac
"$O" $C partner release p >/dev/null 2>&1
[ -n "$(ls "$S/oftp/out" | grep '^status\.p\.[0-9]*\.sfid$')" ] && pass status_file_released || fail status_file_released "$(ls "$S/oftp/out")"
mv "$S/oftp/out/status."* "$d/taken/"

# --- a run that dies after recording its window: redone, one file ------
t0=$(date +%s); while [ "$(date +%s)" -eq "$t0" ]; do sleep 0.1; done
mv "$S/oftp/out/tmp" "$S/oftp/out/tmp.away"; : > "$S/oftp/out/tmp"	# no tmp/: the write fails
check_fails crash_run 75 "$O" $C status-files --partner p
pend=$(sqlite3 "$S/trace.db" "SELECT status_next FROM partner_state WHERE partner = 'p'")
[ -n "$pend" ] && [ -z "$(ls "$S/oftp/out" | grep '^status\.')" ] && pass window_recorded || fail window_recorded "'$pend' $(ls "$S/oftp/out")"
rm "$S/oftp/out/tmp"; mv "$S/oftp/out/tmp.away" "$S/oftp/out/tmp"
sleep 1
check redo_run "$O" $C status-files --partner p
[ "$(ls "$S/oftp/out" | grep -c '^status\.p\.[0-9]*$')" -eq 1 ] && [ -f "$S/oftp/out/status.p.$pend.sfid" ] && pass redo_same_window || fail redo_same_window "$(ls "$S/oftp/out") pending $pend"
[ -z "$(sqlite3 "$S/trace.db" "SELECT status_next FROM partner_state WHERE partner = 'p'")" ] && pass window_closed || fail window_closed "status_next still set"
[ "$("$O" $C list | grep -c "status:p:$pend")" -eq 1 ] && pass redo_one_row || fail redo_one_row "$("$O" $C list | grep status)"
