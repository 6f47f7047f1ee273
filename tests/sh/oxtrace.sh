# oxtrace on a real trace database and spool: status, list, report,
# expiry sweep into overflow, reactivate/export/delete, config check.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/oxtrace
d=$OX_TMP/oxtrace
mkdir -p "$d/spool/oftp/out/tmp" "$d/spool/x400/out/tmp" "$d/spool/oftp/eerp.out/tmp" "$d/spool/overflow" "$d/export"
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
INI
: > "$d/partners.ini"
now=1795000000
check fill "$OX_TOOLS/tracefill" "$(tspec "$d/spool/trace.db")" $now
C="-c $d/oxgate.ini"

o=$($X $C status 1 2>&1)
case $o in *"direction: oftp2x400"*"partner: acme"*"state: converted"*"mts-id: mts-1"*) pass status_by_id ;; *) fail status_by_id "$o" ;; esac
case $o in *"history:"*"received"*"converted"*) pass status_history ;; *) fail status_history "$o" ;; esac
o=$($X --db "$(tspec "$d/spool/trace.db")" status mts-2 2>&1)
case $o in *"id: 2"*"DELFOR002"*) pass status_by_mts_id ;; *) fail status_by_mts_id "$o" ;; esac
check_fails status_unknown 67 $X $C status mts-404
check_fails status_usage 64 $X $C status

[ "$($X $C list | wc -l)" -eq 3 ] && pass list_all || fail list_all "$($X $C list)"
[ "$($X $C list --partner supplier | wc -l)" -eq 2 ] && pass list_partner || fail list_partner "$($X $C list --partner supplier)"
[ "$($X $C list --dir oftp2x400 | wc -l)" -eq 1 ] && pass list_dir || fail list_dir "dir filter"
[ "$($X $C list --since @$((now + 1)) | wc -l)" -eq 0 ] && pass list_since || fail list_since "since filter"
check_fails list_bad_state 65 $X $C list --state nosuch
check_fails list_bad_time 65 $X $C list --since yesterday-ish

o=$($X $C report --csv)
[ "$(printf '%s\n' "$o" | wc -l)" -eq 4 ] && pass report_lines || fail report_lines "$o"
case $o in *'"waits, ""late"""'*) pass report_csv_quoting ;; *) fail report_csv_quoting "$o" ;; esac
[ "$(printf '%s\n' "$o" | tr -d -c '\r' | wc -c)" -eq 4 ] && pass report_crlf || fail report_crlf "not 4 CRLF line ends"
# a report that cannot be written is a failure (EX_IOERR), not an exit 0
check_fails report_stdout_full 74 sh -c "$X $C report --csv > /dev/full"
check_fails list_stdout_full 74 sh -c "$X $C list > /dev/full"

# F3 still waits in oftp/out: the sweep moves it (with its .sfid) to overflow
echo payload > "$d/spool/oftp/out/F3"; echo "[sfid]" > "$d/spool/oftp/out/F3.sfid"
check expire $X $C expire --now @$now
o=$($X $C status 3); case $o in *"state: overflow"*) pass expired_to_overflow ;; *) fail expired_to_overflow "$o" ;; esac
# 1 is oftp2x400 in EERP mode 2: its OFTP user gets a NERP (timers below)
o=$($X $C status 1); case $o in *"state: nerp-sent"*) pass expired_no_file ;; *) fail expired_no_file "$o" ;; esac
o=$($X $C status 2); case $o in *"state: converted"*) pass not_yet_expired ;; *) fail not_yet_expired "$o" ;; esac
# --now relative to the clock, back (-3h) or ahead (+3h), or absolute; the
# sweep says which time it took (issue 22); the clock is OXGATE_NOW here
dl=$(tsql "$d/spool/trace.db" "SELECT deadline FROM trace WHERE id = 2")
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
clk=$((dl - 7200))
o=$(OXGATE_NOW=$clk $X $C expire --now -3h 2>&1)
case $o in *"now is $(iso $((clk - 10800))) (--now -3h: relative to the clock, $(iso $clk))"*) pass expire_now_minus ;; *) fail expire_now_minus "$o" ;; esac
o=$($X $C status 2); case $o in *"state: converted"*) pass expire_minus_not_yet ;; *) fail expire_minus_not_yet "$o" ;; esac
o=$(OXGATE_NOW=$clk $X $C expire --now 3h 2>&1)
case $o in *"now is $(iso $((clk - 10800))) (--now 3h: relative"*) pass expire_now_ago ;; *) fail expire_now_ago "$o" ;; esac
o=$(OXGATE_NOW=$clk $X $C expire --now 2020-01-01T00:00Z 2>&1)
case $o in *"now is 2020-01-01T00:00:00Z (--now 2020-01-01T00:00Z: an absolute time)"*) pass expire_now_absolute ;; *) fail expire_now_absolute "$o" ;; esac
o=$(OXGATE_NOW=$clk $X $C expire 2>&1)
case $o in *"now is $(iso $clk) (the clock)"*) pass expire_now_clock ;; *) fail expire_now_clock "$o" ;; esac
o=$($X $C status 2); case $o in *"state: converted"*) pass expire_clock_not_yet ;; *) fail expire_clock_not_yet "$o" ;; esac
o=$(OXGATE_NOW=$clk $X $C expire --now +3h 2>&1)
case $o in *"now is $(iso $((clk + 10800))) (--now +3h: relative to the clock, $(iso $clk))"*"1 expired"*) pass expire_now_plus ;; *) fail expire_now_plus "$o" ;; esac
o=$($X $C status 2); case $o in *"state: converted"*) fail expire_plus_expired "$o" ;; *) pass expire_plus_expired ;; esac
check_fails expire_now_bad 65 $X $C expire --now +3x
[ -f "$d/spool/overflow/F3" ] && [ -f "$d/spool/overflow/F3.sfid" ] && [ ! -e "$d/spool/oftp/out/F3" ] && [ ! -e "$d/spool/oftp/out/F3.sfid" ] && pass moved_pair || fail moved_pair "$(ls -R "$d/spool")"
# in overflow/ its age (oxpurge) counts from the sweep, not the conversion
[ "$(stat -c %Y "$d/spool/overflow/F3")" = $now ] && [ "$(stat -c %Y "$d/spool/overflow/F3.sfid")" = $now ] &&
    pass overflow_mtime_is_the_move || fail overflow_mtime_is_the_move "$(stat -c '%n %Y' "$d/spool/overflow/F3"*)"
o=$($X $C overflow list); case $o in 3*) pass overflow_list ;; *) fail overflow_list "$o" ;; esac

check export $X $C overflow export 3 "$d/export"
[ -f "$d/export/F3" ] && [ -f "$d/export/F3.sfid" ] && grep -q DELFOR003 "$d/export/F3.csv" && pass exported || fail exported "$(ls "$d/export")"
check reactivate $X $C overflow reactivate 3
[ -f "$d/spool/oftp/out/F3" ] && [ -f "$d/spool/oftp/out/F3.sfid" ] && [ ! -e "$d/spool/overflow/F3" ] && pass reactivated_files || fail reactivated_files "$(ls -R "$d/spool")"
o=$($X $C status 3); case $o in *"state: converted"*"reactivated"*) pass reactivated_state ;; *) fail reactivated_state "$o" ;; esac
check_fails reactivate_again 65 $X $C overflow reactivate 3
# expire once more, then delete from overflow
check expire_again $X $C expire --now @$(( $(date +%s) + 200000 ))
check delete $X $C overflow delete 3
[ ! -e "$d/spool/overflow/F3" ] && [ ! -e "$d/spool/overflow/F3.sfid" ] && pass deleted_files || fail deleted_files "$(ls "$d/spool/overflow")"
o=$($X $C status 3); case $o in *"state: deleted"*) pass deleted_state ;; *) fail deleted_state "$o" ;; esac

# configuration check: the shipped samples pass, a bad key is named. The
# samples name certificates under /etc/oxgate, which --check-config loads:
# checked as a copy whose /etc/oxgate is a directory with those files
mkdir -p "$d/sample/partners"
for f in oxgate.ini partners.ini; do sed "s|/etc/oxgate/|$d/sample/|" "$OX_TOP/etc/$f" > "$d/sample/$f"; done
cp -R "$OX_TOP/etc/mapping" "$d/sample/" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate sample" -days 2 -keyout "$d/sample/oxgate.key" \
    -out "$d/sample/oxgate.crt" >/dev/null 2>&1 && cp "$d/sample/oxgate.crt" "$d/sample/partners/acme.pem" ||
    fail sample_keys "openssl req"
check check_config_samples $X -c "$d/sample/oxgate.ini" --check-config
o=$($X -c "$OX_TOP/etc/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[security] key, certificate: "*"/etc/oxgate/oxgate.key"*) true ;; *) false ;; esac &&
    pass check_config_missing_key || fail check_config_missing_key "rc $rc: $o"
printf '[oftp]\nmax-file-size = 12X\n' > "$d/bad.ini"
o=$($X -c "$d/bad.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"bad.ini: [oftp] max-file-size: "*) true ;; *) false ;; esac && pass check_config_bad || fail check_config_bad "rc $rc: $o"
# a partnership or a key given twice is refused, naming both lines
printf '[spool]\nroot = spool\n[oftp]\npartners = dup-partners.ini\n' > "$d/dup.ini"
printf '[acme]\nodette = O0013ACME\nx400 = /O=Acme/P=ACME/A=DBP/C=DE/\nmode = agent\n[ACME]\nmode = transfer\n' > "$d/dup-partners.ini"
o=$($X -c "$d/dup.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"dup-partners.ini: line 5: section [ACME] given twice (first at line 1)"*) true ;; *) false ;; esac && pass check_config_dup_section || fail check_config_dup_section "rc $rc: $o"
printf '[spool]\nroot = spool\nroot = spool2\n' > "$d/dup.ini"
o=$($X -c "$d/dup.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"dup.ini: line 3: [spool] root given twice (first at line 2)"*) true ;; *) false ;; esac && pass check_config_dup_key || fail check_config_dup_key "rc $rc: $o"
check_fails unknown_command 64 $X $C frobnicate
check help $X --help

# --- timers: oxtrace expire answers what is owed (timerfill rows) ------
CHK=$OX_SHARED/tools/x400check
t=$OX_TMP/oxtimer
mkdir -p "$t/spool/oftp/out/tmp" "$t/spool/x400/out/tmp" "$t/spool/oftp/eerp.out/tmp" "$t/spool/overflow"
printf '[spool]\nroot = spool\n' > "$t/oxgate.ini"
cat > "$t/partners.ini" <<INI
[agent]
odette = O0013AGENT
x400 = /O=Agent/P=AGENT/A=DBP/C=DE/
mode = agent
[xfer]
odette = O0013XFER
x400 = /O=Xfer/P=XFER/A=DBP/C=DE/
mode = transfer
[acme]
odette = O0013ACME
x400 = /O=Acme/P=ACME/A=DBP/C=DE/
mode = transfer
eerp = 2
INI
# the timers' gateway has a trace of its own: in a PostgreSQL run
# (oxtrace.sh@pg) a second database, named in tt for its commands
tt=
if [ -n "${OX_PG_CONN:-}" ]; then
	tsql x "DROP DATABASE IF EXISTS oxtrace_timers" && tsql x "CREATE DATABASE oxtrace_timers" ||
	    fail timers_db "tsql"
	tt=postgresql:$(printf '%s' "$OX_PG_CONN" | sed 's/dbname=[^ ]*/dbname=oxtrace_timers/')
fi
check timerfill "$OX_TOOLS/timerfill" "${tt:-$t/spool/trace.db}" $now
echo payload > "$t/spool/oftp/out/AGNF"; echo "[sfid]" > "$t/spool/oftp/out/AGNF.sfid"
echo p1 > "$t/spool/x400/out/O2M2"
TC="-c $t/oxgate.ini"
tdb() {
	if [ -n "$tt" ]; then psql -X -q -At -v ON_ERROR_STOP=1 "${tt#postgresql:}" -c "$1"
	else sqlite3 "$t/spool/trace.db" "$1"; fi
}
st() { tdb "SELECT state FROM trace WHERE oftp_dsn = '$1'"; }
ackf() { tdb "SELECT ack_file FROM trace WHERE oftp_dsn = '$1'"; }
check timer_sweep env OXGATE_TRACE_DATABASE="$tt" $X $TC expire --now @$now
# x4002oftp: NDRs exactly for AGNF, AGNE, XFER, XOLD
n=$(ls "$t/spool/x400/out" | grep -c '\.p1$')
[ "$n" -eq 4 ] && pass timer_ndr_count || fail timer_ndr_count "$n: $(ls "$t/spool/x400/out")"
for k in AGNF AGNE XFER XOLD; do
	f=$t/spool/x400/out/$(ackf $k)
	if [ -z "$(ackf $k)" ] || [ ! -f "$f" ]; then fail timer_ndr_$k "no NDR"; continue; fi
	"$CHK" -q p1 "$f" >/dev/null 2>&1 || { fail timer_ndr_$k "x400check rejects $f"; continue; }
	o=$("$CHK" p1 "$f" -T fields -e p1.non_delivery_reason_code -e p1.non_delivery_diagnostic_code 2>&1)
	case $o in *0*5*) ;; *) fail timer_ndr_$k "reason/diagnostic: $o"; continue ;; esac
	o=$("$CHK" p1 "$f" 2>&1)
	case $o in *"/C=DE/A=DBP/P=ACME/O=Acme/S=Sender/"*m-$k*) pass timer_ndr_$k ;; *) fail timer_ndr_$k "destination or subject: $(printf '%s' "$o" | head -5)" ;; esac
done
o=$("$CHK" p1 "$t/spool/x400/out/$(ackf AGNF)" 2>&1); case $o in *"delivery timeout"*) pass timer_ndr_text_delivery ;; *) fail timer_ndr_text_delivery "no supplementary text" ;; esac
o=$("$CHK" p1 "$t/spool/x400/out/$(ackf AGNE)" 2>&1); case $o in *"EERP timeout"*) pass timer_ndr_text_eerp ;; *) fail timer_ndr_text_eerp "no supplementary text" ;; esac
o=$("$CHK" p1 "$t/spool/x400/out/$(ackf XFER)" 2>&1); case $o in *"maximum time"*) pass timer_ndr_text_expiry ;; *) fail timer_ndr_text_expiry "no supplementary text" ;; esac
[ -z "$(ackf AGDR)" ] && [ -z "$(ackf AGSUP)" ] && pass timer_no_ndr_not_owed || fail timer_no_ndr_not_owed "$(ackf AGDR) $(ackf AGSUP)"
# states: AGNF to overflow with its pair; the rest expired; XFUT waits
[ "$(st AGNF)" = overflow ] && [ -f "$t/spool/overflow/AGNF" ] && [ -f "$t/spool/overflow/AGNF.sfid" ] && [ ! -e "$t/spool/oftp/out/AGNF" ] && pass timer_not_fetched_overflow || fail timer_not_fetched_overflow "$(st AGNF)"
s=""; for k in AGNE AGDR AGSUP XFER XOLD O2M1; do s="$s$(st $k) "; done
[ "$s" = "expired expired expired expired expired expired " ] && pass timer_states_expired || fail timer_states_expired "$s"
[ "$(st XFUT)" = converted ] && pass timer_future_untouched || fail timer_future_untouched "$(st XFUT)"
case $(tdb "SELECT note FROM trace WHERE oftp_dsn = 'AGDR'") in *"delivery report was sent"*) pass timer_note_dr_sent ;; *) fail timer_note_dr_sent "note" ;; esac
case $(tdb "SELECT note FROM trace WHERE oftp_dsn = 'AGSUP'") in *"asked for no report"*) pass timer_note_suppressed ;; *) fail timer_note_suppressed "note" ;; esac
# oftp2x400: NERP 35 (mode 2) and 36 (mode 3), octets checked
eo=$t/spool/oftp/eerp.out
[ "$(ls "$eo" | grep -c '\.nerp$')" -eq 2 ] && pass timer_nerp_count || fail timer_nerp_count "$(ls "$eo")"
[ "$(st O2M2)" = nerp-sent ] && [ "$(st O2M3)" = nerp-sent ] && pass timer_nerp_sent_state || fail timer_nerp_sent_state "$(st O2M2) $(st O2M3)"
nerp_ok() {	# FILE DSN REASON
	_f=$1; [ -f "$_f" ] || return 1
	[ "$(head -c 1 "$_f")" = N ] || return 1
	# NERP (OFTP2): N, DSN 26, reserved 6, date 8, time 10, dest 25, orig 25, creator 25, reason 2, text length 3, text
	[ "$(dd if="$_f" bs=1 skip=1 count=26 2>/dev/null | tr -d ' ')" = "$2" ] || return 1
	[ "$(dd if="$_f" bs=1 skip=51 count=25 2>/dev/null | tr -d ' ')" = O0013ACME ] || return 1
	[ "$(dd if="$_f" bs=1 skip=126 count=2 2>/dev/null)" = "$3" ] || return 1
	grep -q 'no report before the deadline' "$_f"
}
nerp_ok "$eo/m-O2M2.nerp" O2M2 35 && pass timer_nerp_35 || fail timer_nerp_35 "$(od -c "$eo/m-O2M2.nerp" 2>&1 | head -5)"
nerp_ok "$eo/m-O2M3.nerp" O2M3 36 && pass timer_nerp_36 || fail timer_nerp_36 "$(od -c "$eo/m-O2M3.nerp" 2>&1 | head -5)"
[ -f "$t/spool/overflow/O2M2" ] && [ ! -e "$t/spool/x400/out/O2M2" ] && pass timer_nerp_message_to_overflow || fail timer_nerp_message_to_overflow "$(ls "$t/spool/overflow")"
# a second sweep makes nothing new and changes nothing
before=$(ls -R "$t/spool" | md5sum); hb=$(tdb "SELECT count(*) FROM trace_history")
check timer_sweep_again env OXGATE_TRACE_DATABASE="$tt" $X $TC expire --now @$((now + 60))
[ "$(ls -R "$t/spool" | md5sum)" = "$before" ] && [ "$(tdb "SELECT count(*) FROM trace_history")" = "$hb" ] && pass timer_idempotent || fail timer_idempotent "$(ls -R "$t/spool")"

# migrate (the Debian postinst's step): a database that is not there is
# not made; an empty one (schema 0) gets every migration; a newer one
# than this program knows is refused and left as it is
m=$d/migrate; mkdir -p "$m"
# (SQLite files: the PostgreSQL run has trace_migrate.sh@pg and t_trace@pg)
sv=$(sed -n 's/^#define TRACE_SCHEMA_VERSION[[:space:]]*//p' "$OX_TOP/lib/gw/trace.h")
o=$($X --db "$m/none.db" migrate 2>&1) && [ ! -e "$m/none.db" ] &&
    case $o in *"no trace database yet"*) true ;; *) false ;; esac &&
    pass migrate_missing_not_made || fail migrate_missing_not_made "$o $(ls "$m")"
: > "$m/old.db"
o=$($X --db "$m/old.db" migrate 2>&1) && [ "$o" = "$m/old.db: schema version $sv" ] &&
    [ "$(sqlite3 "$m/old.db" 'PRAGMA user_version')" = "$sv" ] &&
    [ "$(sqlite3 "$m/old.db" "SELECT count(*) FROM sqlite_master WHERE name = 'trace'")" = 1 ] &&
    pass migrate_from_0 || fail migrate_from_0 "$o"
check migrate_current $X $C migrate
sqlite3 "$m/new.db" 'PRAGMA user_version = 99'
check_fails migrate_newer_refused 75 $X --db "$m/new.db" migrate
[ "$(sqlite3 "$m/new.db" 'PRAGMA user_version')" = 99 ] && pass migrate_newer_untouched || fail migrate_newer_untouched "changed"
check_fails migrate_usage 64 $X --db "$m/old.db" migrate extra
