# oxpurge: exact Purgetime boundary, archive read back with bsdtar,
# dry run, tmp leftovers, old archives, single instance, converters
# writing to the trace while a purge runs, the age of a failed item
# counted from its failure, items purged whole, a symlinked queue.
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
"$OX_TOOLS/tracefill" "$(tspec "$db")" $((cut - 1)) OLD >/dev/null || fail fill old
"$OX_TOOLS/tracefill" "$(tspec "$db")" $cut EDGE >/dev/null || fail fill edge
"$OX_TOOLS/tracefill" "$(tspec "$db")" $now NEW >/dev/null || fail fill new
check spool "$X" $C --dry-run --now @$now
rows() { tsql "$db" "SELECT count(*) FROM trace${1:+ WHERE $1}"; }
mk() {	# FILE EPOCH CONTENT
	mkdir -p "$(dirname "$1")"; printf '%s' "$3" > "$1"; touch -d "@$2" "$1"
}
mk "$d/spool/failed/OLDF" $((cut - 1)) "old failed"
mk "$d/spool/failed/OLDF.why" $((cut - 1)) "reason: x"
mk "$d/spool/failed/EDGEF" $cut "edge failed"
mk "$d/spool/overflow/OLDO" $((cut - 3600)) "old overflow"
mk "$d/spool/x400/out/tmp/junk.123.0" $((now - 25 * 3600)) "crashed writer"
mk "$d/spool/x400/out/tmp/busy.124.0" $((now - 3600)) "being written"
# an output its writer recorded in the trace and died before renaming
# (oxgate-spool(5), "Commit order"): published by the purge, not removed,
# however old; the same in a hold directory
mk "$d/spool/x400/out/tmp/rec.p1.00aa" $((now - 99 * 3600)) "recorded"
mk "$d/spool/hold/acme/tmp/held.0bb0" $((now - 99 * 3600)) "recorded, held"
mk "$d/spool/hold/acme/tmp/junk.0cc0" $((now - 99 * 3600)) "crashed writer"
nid=$(tsql "$db" "SELECT id FROM trace WHERE oftp_dsn LIKE 'NEW%' LIMIT 1")
tsql "$db" "INSERT INTO trace_output VALUES ($nid, 1, 'x400/out', 'rec.p1.00aa', 'rec.p1', $now);
    INSERT INTO trace_output VALUES ($nid, 2, 'hold/acme', 'held.0bb0', 'held', $now)"
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
[ "$(tsql "$db" "SELECT count(*) FROM trace_history h WHERE NOT EXISTS (SELECT 1 FROM trace t WHERE t.id = h.trace_id)")" -eq 0 ] && pass history_went_too || fail history_went_too "orphans"
[ ! -e "$d/spool/failed/OLDF" ] && [ ! -e "$d/spool/failed/OLDF.why" ] && [ ! -e "$d/spool/overflow/OLDO" ] && pass old_files_gone || fail old_files_gone "$(ls "$d/spool/failed" "$d/spool/overflow")"
[ -f "$d/spool/failed/EDGEF" ] && pass file_at_cutoff_stays || fail file_at_cutoff_stays "EDGEF gone"
[ ! -e "$d/spool/x400/out/tmp/junk.123.0" ] && [ -f "$d/spool/x400/out/tmp/busy.124.0" ] && pass tmp_leftovers || fail tmp_leftovers "$(ls "$d/spool/x400/out/tmp")"
[ "$(cat "$d/spool/x400/out/rec.p1" 2>/dev/null)" = recorded ] && [ ! -e "$d/spool/x400/out/tmp/rec.p1.00aa" ] &&
    [ "$(cat "$d/spool/hold/acme/held" 2>/dev/null)" = "recorded, held" ] && [ ! -e "$d/spool/hold/acme/tmp/junk.0cc0" ] &&
    pass recorded_outputs_published || fail recorded_outputs_published "$(ls -R "$d/spool/x400/out" "$d/spool/hold")"
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
"$OX_TOOLS/tracefill" "$(tspec "$db")" $((cut - 10)) OFF >/dev/null
n=$(ls "$d/spool/archive" | wc -l)
check archive_off "$X" -c "$d/off.ini" --now @$now
[ "$(ls "$d/spool/archive" | wc -l)" -eq "$n" ] && [ "$(rows)" -eq 0 ] && pass archive_off_nothing_written || fail archive_off_nothing_written "$(ls "$d/spool/archive")"

# an archive that cannot be written (file size limit): nothing is deleted
"$OX_TOOLS/tracefill" "$(tspec "$db")" $((cut - 10)) KEEP >/dev/null
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
tsql "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
    INSERT INTO trace (dir, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest, state, created, updated)
    SELECT 'oftp2x400', 'BULK' || i, '20261122', '1000000001', 'O0013A', 'O0013B', 'received', $cut - 100, $cut - 100 FROM n;" ||
    fail bulk_insert tsql
"$X" $C --now @$now 2>"$d/purge.log" &
pid=$!
"$OX_TOOLS/tracefill" "$(tspec "$db")" $now LIVE >/dev/null 2>"$d/fill.log" && pass converter_writes_during_purge || fail converter_writes_during_purge "$(cat "$d/fill.log")"
wait $pid && pass purge_during_writes || fail purge_during_writes "$(cat "$d/purge.log")"
[ "$(rows "oftp_dsn LIKE 'BULK%'")" -eq 0 ] && [ "$(rows "oftp_dsn LIKE 'LIVE%'")" -eq 3 ] && pass bulk_purged_live_kept || fail bulk_purged_live_kept "$(rows)"
# a backlog of 60,000 stale rows: a delete transaction whose statement
# journal (the tally triggers' undo) outgrows memory. SQLite 3.40 with
# a statement-journal spill of 1 MiB made it "database or disk is full"
# from 30,000 rows or so; the journals stay in memory (temp_store)
tsql "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
    INSERT INTO trace (dir, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest, state, created, updated)
    SELECT 'oftp2x400', 'BACKLOG' || i, '20261122', '1000000001', 'O0013A', 'O0013B', 'received', $cut - 100, $cut - 100 FROM n;" ||
    fail backlog_insert tsql
check purge_backlog "$X" $C --now @$now
[ "$(rows "oftp_dsn LIKE 'BACKLOG%'")" -eq 0 ] && pass backlog_purged || fail backlog_purged "$(rows "oftp_dsn LIKE 'BACKLOG%'")"
# an item that fails now counts its age in failed/ from the failure (its
# .why), not from the old mtime its files came with and keep; T, T.sfid
# and T.why go together
p=$OX_TMP/purge_failed; in=$p/spool/oftp/in; f=$p/spool/failed
mkdir -p "$in/tmp" "$p/spool/x400/out/tmp"
printf '[spool]\nroot = spool\n' > "$p/oxgate.ini"
P="-c $p/oxgate.ini"
old=$(( $(date +%s) - 11 * 86400 ))
printf 'FAIL\n' > "$in/OLDIN"; printf '[sfid]\n' > "$in/OLDIN.sfid"
touch -d "@$old" "$in/OLDIN" "$in/OLDIN.sfid"
t0=$(date +%s)
check fails_now "$OX_TOOLS/qdemo" -p --spool "$in" --out "$p/spool/x400/out" --failed "$f"
t1=$(date +%s)
[ -f "$f/OLDIN.why" ] && [ "$(stat -c %Y "$f/OLDIN")" = "$old" ] && [ "$(stat -c %Y "$f/OLDIN.why")" -ge $((t0 - 1)) ] &&
    pass failed_keeps_old_mtime || fail failed_keeps_old_mtime "$(ls -l --time-style=+%s "$f" | tr '\n' '|')"
item3() { [ -f "$f/OLDIN" ] && [ -f "$f/OLDIN.sfid" ] && [ -f "$f/OLDIN.why" ]; }
none3() { [ ! -e "$f/OLDIN" ] && [ ! -e "$f/OLDIN.sfid" ] && [ ! -e "$f/OLDIN.why" ]; }
check purge_after_failure "$X" $P
item3 && pass just_failed_old_item_stays || fail just_failed_old_item_stays "$(ls "$f")"
check purge_before_purgetime "$X" $P --now @$((t0 - 2 + 240 * 3600))
item3 && pass stays_purgetime_from_failure || fail stays_purgetime_from_failure "$(ls "$f")"
check purge_after_purgetime "$X" $P --now @$((t1 + 1 + 240 * 3600))
none3 && pass gone_purgetime_after_failure || fail gone_purgetime_after_failure "$(ls "$f")"
a=$(ls "$p"/spool/archive/oxgate-*.tar.gz | tail -1)
[ "$(bsdtar -tzf "$a" | sort | tr '\n' ' ')" = "failed/OLDIN failed/OLDIN.sfid failed/OLDIN.why " ] &&
    pass failed_item_archived_whole || fail failed_item_archived_whole "$(bsdtar -tzf "$a" | tr '\n' ' ')"

# items, not files: a new .why keeps its old T and T.sfid; an old .why
# takes a newer payload along; without a .why (overflow/) the newest
# file counts; a symbolic link goes without an archive member (its .why
# says what it was); a directory stays, with a warning
pn=$(( $(date +%s) + 1000 * 3600 )); pc=$((pn - 240 * 3600))
mk "$f/NEWWHY" $((pc - 99)) "old payload"; mk "$f/NEWWHY.sfid" $((pc - 99)) "[sfid]"
mk "$f/NEWWHY.why" $pc "reason: x"
mk "$f/OLDWHY" $pn "newer payload"; mk "$f/OLDWHY.why" $((pc - 1)) "reason: x"
mk "$f/x.why" $((pc - 5)) "payload named x.why"; mk "$f/x.why.why" $pc "reason: x"
mk "$p/spool/overflow/OV" $((pc - 99)) "old"; mk "$p/spool/overflow/OV.sfid" $pc "[sfid]"
mk "$p/spool/overflow/OVOLD" $((pc - 9)) "old"; mk "$p/spool/overflow/OVOLD.sfid" $((pc - 9)) "[sfid]"
ln -s /etc/passwd "$f/LNK"; touch -h -d "@$((pc - 9))" "$f/LNK"; mk "$f/LNK.why" $((pc - 9)) "reason: a symbolic link"
mkdir "$f/DIR"; mk "$f/DIR/inside" $((pc - 9)) "x"; touch -d "@$((pc - 9))" "$f/DIR"; mk "$f/DIR.why" $((pc - 9)) "reason: a directory"
"$X" $P --now @$pn 2> "$p/log"; rc=$?
[ $rc -eq 0 ] && pass purge_items || fail purge_items "exit $rc: $(tr '\n' '|' < "$p/log")"
left=$(ls "$f" "$p/spool/overflow" | grep -v '^tmp$' | tr '\n' ' ')
[ "$left" = "$f: DIR DIR.why NEWWHY NEWWHY.sfid NEWWHY.why x.why x.why.why  $p/spool/overflow: OV OV.sfid " ] &&
    pass items_go_whole || fail items_go_whole "$left"
grep -q "warning: $f/DIR: the item holds a directory, which oxpurge does not remove" "$p/log" &&
    [ "$(grep -c warning "$p/log")" -eq 1 ] &&
    pass directory_item_warned || fail directory_item_warned "$(tr '\n' '|' < "$p/log")"
a=$(ls "$p"/spool/archive/oxgate-*.tar.gz | tail -1)
[ "$(bsdtar -tzf "$a" | sort | tr '\n' ' ')" = "failed/LNK.why failed/OLDWHY failed/OLDWHY.why overflow/OVOLD overflow/OVOLD.sfid " ] &&
    pass link_no_member || fail link_no_member "$(bsdtar -tzf "$a" | tr '\n' ' ')"
[ -f /etc/passwd ] && pass link_target_untouched || fail link_target_untouched "/etc/passwd"

# a symbolic link in the spool's layout is a configuration error (78)
mv "$p/spool/overflow" "$p/ov.real"; ln -s ../ov.real "$p/spool/overflow"
check_fails symlinked_queue_78 78 "$X" $P
"$X" $P 2>&1 | grep -q "spool/overflow: is a symbolic link" && pass symlinked_queue_named || fail symlinked_queue_named "$("$X" $P 2>&1)"

check_fails usage 64 "$X" $C extra
check help "$X" --help
