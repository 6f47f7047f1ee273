# oxtrace migrate --to (issue 24): an existing SQLite trace copied into a
# new database, every table, history and ids kept. On SQLite the
# destination is another SQLite file; in the PostgreSQL run
# (trace_migrate.sh@pg, tests/run) it is the test's PostgreSQL database:
# the way one gateway host becomes several. Checked: the rows of every
# table (the counts oxtrace prints and counted again with SQL), whole
# rows of each table compared, oxtrace list/status print the same from
# both, new transactions in the copy get new ids (the identity follows
# the copied ids), a second copy into a database that has transactions
# is refused (65), and a password in a connection string given on the
# command line is refused before anything is done. In the PostgreSQL run
# also the GRANTs of oxgate-trace(5): enough for a converter's role and
# oxpurge's, and a role without them refused.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/oxtrace
d=$OX_TMP/trace_migrate
rm -rf "$d"; mkdir -p "$d"
src=$d/old.db
now=1795000000
"$OX_TOOLS/tracefill" "$src" $now >/dev/null || fail fill tracefill
"$OX_TOOLS/tracefill" "$src" $((now + 60)) B 20 >/dev/null || fail fill tracefill
# the tables tracefill leaves empty, by hand (SQLite, behind the API)
sqlite3 "$src" "INSERT INTO trace_recipient VALUES (1, 1, '/C=DE/S=A/', 'delivered', $now, NULL), (1, 2, '/C=DE/S=B/', 'pending', NULL, 'x,y');
    INSERT INTO partner_state (partner, state, changed, status_last, status_next, hold_until) VALUES ('acme', 'hold', $now, $now, NULL, $((now + 3600)));
    INSERT INTO partner_history (partner, time, action, who, note) VALUES ('acme', $now, 'hold', 'op', 'it''s down');
    INSERT INTO trace_output VALUES (2, 1, 'oftp/out', 'F2.tmp', 'F2', $now);
    INSERT INTO deferral VALUES ('oftp/in', 'IN1', $now, $now, 3, $((now + 600)), 'disk full');" ||
    fail fill sqlite3
dst=$(tspec "$d/new.db")
o=$($X --db "$src" migrate --to "$dst" 2>&1)
want="trace 23, trace_history 46, trace_recipient 2, partner_state 1, partner_history 1, trace_output 1, deferral 1"
case $o in *"$dst: copied $want") pass copy_counts ;; *) fail copy_counts "$o" ;; esac
n=
for tb in trace trace_history trace_recipient partner_state partner_history trace_output deferral; do
	n="$n${n:+, }$tb $(tsql "$d/new.db" "SELECT count(*) FROM $tb")"
done
[ "$n" = "$want" ] && pass counted_again || fail counted_again "$n"
# whole rows, as text, the same on both sides
same=1
for q in "SELECT id, dir, partner, oftp_dsn, mts_id, state, created, updated, deadline, out_file, note FROM trace ORDER BY id" \
    "SELECT id, trace_id, time, state, note FROM trace_history ORDER BY id" \
    "SELECT trace_id, seq, address, outcome, time, diag FROM trace_recipient ORDER BY trace_id, seq" \
    "SELECT partner, state, changed, status_last, status_next FROM partner_state" \
    "SELECT id, partner, time, action, who, note FROM partner_history" \
    "SELECT trace_id, seq, queue, tmp, name, time FROM trace_output" \
    "SELECT queue, name, first, last, attempts, next_try, error FROM deferral"; do
	a=$(sqlite3 "$src" "$q"); b=$(tsql "$d/new.db" "$q")
	[ "$a" = "$b" ] || { same=0; fail rows_equal "$q: $(printf '%s' "$a" | head -2) <> $(printf '%s' "$b" | head -2)"; }
done
[ $same = 1 ] && pass rows_equal
for c in "list" "status 1" "status mts-2" "list --state converted --partner supplier"; do
	# shellcheck disable=SC2086
	[ "$($X --db "$src" $c 2>&1)" = "$($X --db "$dst" $c 2>&1)" ] && pass "same_output:$c" ||
	    fail "same_output:$c" "$($X --db "$dst" $c 2>&1 | head -3)"
done
"$OX_TOOLS/tracefill" "$dst" $((now + 120)) C >/dev/null && pass new_rows_after_copy || fail new_rows_after_copy "tracefill"
[ "$(tsql "$d/new.db" "SELECT min(id) FROM trace WHERE oftp_dsn LIKE 'C%' OR mts_id LIKE 'C%'")" -gt 23 ] &&
    pass new_ids_follow || fail new_ids_follow "$(tsql "$d/new.db" "SELECT id FROM trace ORDER BY id DESC LIMIT 3")"
check_fails copy_into_used 65 $X --db "$src" migrate --to "$dst"
o=$($X --db "$src" migrate --to "postgresql:host=/nonexistent dbname=x password=secret" 2>&1); rc=$?
[ $rc -ne 0 ] && case $o in *"password in the connection string is refused"*) true ;; *) false ;; esac &&
    pass password_refused || fail password_refused "$rc $o"
# PostgreSQL only: the GRANTs of oxgate-trace(5) POSTGRESQL are enough
# for a converter's role (it writes, reads, deletes) and for oxpurge's,
# and a role without them is refused with a permanent error
if [ -n "${OX_PG_CONN:-}" ]; then
	tsql x "DO \$\$ BEGIN CREATE ROLE oxconv LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
	    DO \$\$ BEGIN CREATE ROLE oxnone LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
	    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO oxconv;
	    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO oxconv" || fail grants "tsql"
	conv="$dst user=oxconv"
	"$OX_TOOLS/tracefill" "$conv" $((now + 180)) D >/dev/null && [ "$($X --db "$conv" list | wc -l)" -eq 29 ] &&
	    pass grants_converter || fail grants_converter "$($X --db "$conv" list 2>&1 | tail -2)"
	mkdir -p "$d/pspool"; printf '[spool]\nroot = pspool\npurgetime = 1\n' > "$d/p.ini"; : > "$d/partners.ini"
	o=$(OXGATE_TRACE_DATABASE="$conv" "$OX_ABIN/oxpurge" -c "$d/p.ini" --now @$((now + 7 * 86400)) 2>&1) &&
	    [ "$(tsql x "SELECT count(*) FROM trace")" -eq 0 ] && pass grants_oxpurge || fail grants_oxpurge "$o"
	o=$("$OX_TOOLS/tracefill" "$dst user=oxnone" $now E 2>&1); rc=$?
	[ $rc -ne 0 ] && case $o in *"permission denied"*) true ;; *) false ;; esac &&
	    pass no_grants_refused || fail no_grants_refused "$rc $o"
fi
