# oxtrace on a real trace database and spool: status, list, report,
# expiry sweep into overflow, reactivate/export/delete, config check.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/oxtrace
d=$OX_TMP/oxtrace
mkdir -p "$d/spool/oftp/out/tmp" "$d/spool/x400/out/tmp" "$d/spool/overflow" "$d/export"
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
INI
: > "$d/partners.ini"
now=1795000000
check fill "$OX_TOOLS/tracefill" "$d/spool/trace.db" $now
C="-c $d/oxgate.ini"

o=$($X $C status 1 2>&1)
case $o in *"direction: oftp2x400"*"partner: acme"*"state: converted"*"mts-id: mts-1"*) pass status_by_id ;; *) fail status_by_id "$o" ;; esac
case $o in *"history:"*"received"*"converted"*) pass status_history ;; *) fail status_history "$o" ;; esac
o=$($X --db "$d/spool/trace.db" status mts-2 2>&1)
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

# F3 still waits in oftp/out: the sweep moves it (with its .sfid) to overflow
echo payload > "$d/spool/oftp/out/F3"; echo "[sfid]" > "$d/spool/oftp/out/F3.sfid"
check expire $X $C expire --now @$now
o=$($X $C status 3); case $o in *"state: overflow"*) pass expired_to_overflow ;; *) fail expired_to_overflow "$o" ;; esac
o=$($X $C status 1); case $o in *"state: expired"*) pass expired_no_file ;; *) fail expired_no_file "$o" ;; esac
o=$($X $C status 2); case $o in *"state: converted"*) pass not_yet_expired ;; *) fail not_yet_expired "$o" ;; esac
[ -f "$d/spool/overflow/F3" ] && [ -f "$d/spool/overflow/F3.sfid" ] && [ ! -e "$d/spool/oftp/out/F3" ] && [ ! -e "$d/spool/oftp/out/F3.sfid" ] && pass moved_pair || fail moved_pair "$(ls -R "$d/spool")"
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

# configuration check: the shipped samples pass, a bad key is named
check check_config_samples $X -c "$OX_TOP/etc/oxgate.ini" --check-config
printf '[oftp]\nmax-file-size = 12X\n' > "$d/bad.ini"
o=$($X -c "$d/bad.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"bad.ini: [oftp] max-file-size: "*) true ;; *) false ;; esac && pass check_config_bad || fail check_config_bad "rc $rc: $o"
check_fails unknown_command 64 $X $C frobnicate
check help $X --help
