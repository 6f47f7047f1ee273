# oxpurge: exact Purgetime boundary, archive read back with bsdtar,
# dry run, tmp leftovers, old archives, single instance, and converters
# writing to the trace while a purge runs.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/oxpurge
d=$OX_TMP/purge
mkdir -p "$d"
printf '[spool]\nroot = spool\n' > "$d/oxgate.ini"
: > "$d/partners.ini"
C="-c $d/oxgate.ini"
now=1795000000
cut=$((now - 240 * 3600))
db=$d/spool/trace.db
mkdir -p "$d/spool"
"$OX_TOOLS/tracefill" "$db" $((cut - 1)) OLD >/dev/null || fail fill old
"$OX_TOOLS/tracefill" "$db" $cut EDGE >/dev/null || fail fill edge
"$OX_TOOLS/tracefill" "$db" $now NEW >/dev/null || fail fill new
check spool "$X" $C --dry-run --now @$now
rows() { sqlite3 "$db" "SELECT count(*) FROM trace${1:+ WHERE $1}"; }
mk() {	# FILE EPOCH CONTENT
	mkdir -p "$(dirname "$1")"; printf '%s' "$3" > "$1"; touch -d "@$2" "$1"
}
mk "$d/spool/failed/OLDF" $((cut - 1)) "old failed"
mk "$d/spool/failed/OLDF.why" $((cut - 1)) "reason: x"
mk "$d/spool/failed/EDGEF" $cut "edge failed"
mk "$d/spool/overflow/OLDO" $((cut - 3600)) "old overflow"
mk "$d/spool/x400/out/tmp/junk.123.0" $((now - 25 * 3600)) "crashed writer"
mk "$d/spool/x400/out/tmp/busy.124.0" $((now - 3600)) "being written"
mk "$d/spool/archive/oxgate-20250101T000000Z.tar.gz" $((now - 91 * 86400)) "old"
mk "$d/spool/archive/oxgate-20260901T000000Z.tar.gz" $((now - 80 * 86400)) "recent"

o=$("$X" $C --dry-run --now @$now 2>&1)
[ "$(rows)" -eq 9 ] && [ -f "$d/spool/failed/OLDF" ] && pass dry_run_changes_nothing || fail dry_run_changes_nothing "$(rows) rows"
case $o in *"OLDINVOIC001"*) ;; *) o=missing ;; esac
case $o in *"file failed/OLDF "*) ;; *) o=missing ;; esac
case $o in *"would purge 3 transactions, 3 files"*) pass dry_run_lists ;; *) fail dry_run_lists "$o" ;; esac

check purge "$X" $C --now @$now
[ "$(rows "oftp_dsn LIKE 'OLD%'")" -eq 0 ] && pass old_rows_gone || fail old_rows_gone "$(rows "oftp_dsn LIKE 'OLD%'")"
[ "$(rows "oftp_dsn LIKE 'EDGE%'")" -eq 3 ] && pass rows_at_cutoff_stay || fail rows_at_cutoff_stay "$(rows "oftp_dsn LIKE 'EDGE%'")"
[ "$(rows "oftp_dsn LIKE 'NEW%'")" -eq 3 ] && pass new_rows_stay || fail new_rows_stay "new"
[ "$(sqlite3 "$db" "SELECT count(*) FROM trace_history h WHERE NOT EXISTS (SELECT 1 FROM trace t WHERE t.id = h.trace_id)")" -eq 0 ] && pass history_went_too || fail history_went_too "orphans"
[ ! -e "$d/spool/failed/OLDF" ] && [ ! -e "$d/spool/failed/OLDF.why" ] && [ ! -e "$d/spool/overflow/OLDO" ] && pass old_files_gone || fail old_files_gone "$(ls "$d/spool/failed" "$d/spool/overflow")"
[ -f "$d/spool/failed/EDGEF" ] && pass file_at_cutoff_stays || fail file_at_cutoff_stays "EDGEF gone"
[ ! -e "$d/spool/x400/out/tmp/junk.123.0" ] && [ -f "$d/spool/x400/out/tmp/busy.124.0" ] && pass tmp_leftovers || fail tmp_leftovers "$(ls "$d/spool/x400/out/tmp")"
[ ! -e "$d/spool/archive/oxgate-20250101T000000Z.tar.gz" ] && [ -f "$d/spool/archive/oxgate-20260901T000000Z.tar.gz" ] && pass old_archives || fail old_archives "$(ls "$d/spool/archive")"
a=$(ls "$d"/spool/archive/oxgate-*.tar.gz | grep -v 2025 | grep -v 20260901)
[ -n "$a" ] && pass archive_written || fail archive_written "$(ls "$d/spool/archive")"
o=$(bsdtar -tzf "$a" 2>&1 | sort | tr '\n' ' ')
[ "$o" = "failed/OLDF failed/OLDF.why overflow/OLDO trace.csv " ] && pass archive_members || fail archive_members "$o"
csv=$(bsdtar -xOf "$a" trace.csv)
case $csv in id,direction*OLDINVOIC001*OLDDELFOR002*OLDDELFOR003*) pass archive_csv ;; *) fail archive_csv "$csv" ;; esac
case $csv in *EDGE*|*NEW*) fail archive_csv_only_purged "$csv" ;; *) pass archive_csv_only_purged ;; esac
[ "$(bsdtar -xOf "$a" failed/OLDF)" = "old failed" ] && pass archive_file_content || fail archive_file_content "content"
[ "$(ls "$d/spool/archive/tmp" | wc -l)" -eq 0 ] && pass archive_tmp_clean || fail archive_tmp_clean "$(ls "$d/spool/archive/tmp")"

# --purgetime overrides; zip archives read back with bsdtar too
printf 'archive = zip\n' >> "$d/oxgate.ini"
check purgetime_override "$X" $C --now @$((now + 1)) --purgetime 240
[ "$(rows "oftp_dsn LIKE 'EDGE%'")" -eq 0 ] && pass edge_goes_one_second_later || fail edge_goes_one_second_later "$(rows)"
z=$(ls "$d"/spool/archive/*.zip)
[ "$(bsdtar -tf "$z" | sort | tr '\n' ' ')" = "failed/EDGEF trace.csv " ] && pass zip_archive || fail zip_archive "$(bsdtar -tf "$z")"
check purgetime_1h "$X" $C --now @$((now + 3601)) --purgetime 1
[ "$(rows)" -eq 0 ] && pass purgetime_1h_all || fail purgetime_1h_all "$(rows)"

# archiving off: rows go, nothing is written
printf '[spool]\nroot = spool\narchive = off\n' > "$d/off.ini"
"$OX_TOOLS/tracefill" "$db" $((cut - 10)) OFF >/dev/null
n=$(ls "$d/spool/archive" | wc -l)
check archive_off "$X" -c "$d/off.ini" --now @$now
[ "$(ls "$d/spool/archive" | wc -l)" -eq "$n" ] && [ "$(rows)" -eq 0 ] && pass archive_off_nothing_written || fail archive_off_nothing_written "$(ls "$d/spool/archive")"

# an archive that cannot be written (file size limit): nothing is deleted
"$OX_TOOLS/tracefill" "$db" $((cut - 10)) KEEP >/dev/null
head -c 3000000 /dev/urandom > "$d/spool/failed/BIGF"; touch -d "@$((cut - 5))" "$d/spool/failed/BIGF"
# (tar.gz: libarchive 3.6's zip writer leaks its deflate state on a write error)
printf '[spool]\nroot = spool\n' > "$d/tgz.ini"
check_fails archive_fails_exit_74 74 sh -c "trap '' XFSZ; ulimit -f 2048; exec '$X' -c '$d/tgz.ini' --now @$now"
[ -f "$d/spool/failed/BIGF" ] && pass archive_fails_file_kept || fail archive_fails_file_kept "BIGF gone"
[ "$(rows "oftp_dsn LIKE 'KEEP%'")" -eq 3 ] && pass archive_fails_nothing_deleted || fail archive_fails_nothing_deleted "$(rows)"
[ "$(ls "$d/spool/archive/tmp" | wc -l)" -eq 0 ] && pass archive_fails_no_partial || fail archive_fails_no_partial "$(ls "$d/spool/archive/tmp")"
check archive_ok_again "$X" $C --now @$now
[ ! -e "$d/spool/failed/BIGF" ] && [ "$(rows "oftp_dsn LIKE 'KEEP%'")" -eq 0 ] && pass archive_ok_then_deleted || fail archive_ok_then_deleted "$(rows)"

# single instance: a second purger exits at once
( flock 9; sleep 3 ) 9> "$d/spool/.oxpurge.lock" &
sleep 0.5
t0=$(date +%s)
check_fails second_instance 75 "$X" $C --now @$now
lim [ $(( $(date +%s) - t0 )) -le 1 ] && pass second_instance_at_once || fail second_instance_at_once "waited"
wait

# converters keep writing while 5000 stale rows are purged
sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
    INSERT INTO trace (dir, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest, state, created, updated)
    SELECT 'oftp2x400', 'BULK' || i, '20261122', '1000000001', 'O0013A', 'O0013B', 'received', $cut - 100, $cut - 100 FROM n;" ||
    fail bulk_insert sqlite3
"$X" $C --now @$now 2>"$d/purge.log" &
pid=$!
"$OX_TOOLS/tracefill" "$db" $now LIVE >/dev/null 2>"$d/fill.log" && pass converter_writes_during_purge || fail converter_writes_during_purge "$(cat "$d/fill.log")"
wait $pid && pass purge_during_writes || fail purge_during_writes "$(cat "$d/purge.log")"
[ "$(rows "oftp_dsn LIKE 'BULK%'")" -eq 0 ] && [ "$(rows "oftp_dsn LIKE 'LIVE%'")" -eq 3 ] && pass bulk_purged_live_kept || fail bulk_purged_live_kept "$(rows)"
check_fails usage 64 "$X" $C extra
check help "$X" --help
