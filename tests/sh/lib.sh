# tests/sh/lib.sh - helpers for shell tests (sourced, not run).
#
#   pass NAME               print a PASS line
#   fail NAME WHY           print a FAIL line
#   check NAME CMD...       PASS if CMD exits 0, else FAIL with its output
#   check_fails NAME CODE CMD...   PASS if CMD exits with status CODE
#   lim CMD...              a time or RSS limit in a condition (lim under
#                           "$el" 10 && pass ...): runs CMD, except under
#                           valgrind, where it holds and the next pass
#                           prints SKIP instead: not checked, not passed
#   tsql DB SQL             SQL on the trace, either backend (below)
#   drain DIR               wait for a consumer loop's empty pass (below)
# Variables: OX_BIN (release programs), OX_ABIN (ASan programs), OX_TOOLS,
# OX_SHARED, OX_TMP (a scratch directory), T (this test file's name),
# OX_VALGRIND (set by make check-valgrind: the programs run under
# valgrind, many times slower, and /usr/bin/time measures valgrind).
T=$(basename "$0" .sh)
: "${OX_TMP:=$(mktemp -d)}"
pass() {
	if [ -n "${_lim:-}" ]; then echo "SKIP $T:$1: $_lim not checked under valgrind"
	else echo "PASS $T:$1"; fi
	_lim=
}
fail() { echo "FAIL $T:$1: $2"; _lim=; }
lim() {
	if [ -n "${OX_VALGRIND:-}" ]; then _lim="time/RSS limit"; return 0; fi
	"$@"
}
check() {
	_n=$1; shift
	if _o=$("$@" 2>&1); then pass "$_n"; else fail "$_n" "$(printf '%s' "$_o" | tail -5 | tr '\n' '|')"; fi
}
check_fails() {
	_n=$1; _want=$2; shift 2
	_o=$("$@" 2>&1); _rc=$?
	if [ $_rc -eq "$_want" ]; then pass "$_n"; else fail "$_n" "exit $_rc, expected $_want: $(printf '%s' "$_o" | tail -3 | tr '\n' '|')"; fi
}
# tsql DB SQL: SQL on the trace, behind the programs' back, on whichever
# backend the run uses: the SQLite file DB; or, when DB is a trace spec
# postgresql:CONNINFO, that database; or in a PostgreSQL run (tests/run's
# NAME@pg: OX_PG_CONN) that run's database. On PostgreSQL SQLite's PRAGMA
# foreign_keys (always on there) is dropped; the SQL must be common to
# both (coalesce, not ifnull; LIKE, not GLOB; no rowid). Rows print as
# sqlite3 prints them (fields joined by '|').
tsql() {
	case $1 in
	postgresql:*) _tc=${1#postgresql:} ;;
	*) _tc=${OX_PG_CONN:-} ;;
	esac
	if [ -n "$_tc" ]; then
		PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 \
		    "$_tc" -c "$(printf '%s' "$2" | sed 's/PRAGMA foreign_keys = ON;//')"
	else sqlite3 "$1" "$2"; fi
}
# drain DIR: until a whole pass of a consumer loop (the simulated MTA
# and OFTP daemon of crash.sh and twohosts.sh, which write "PASS MOVED"
# into DIR/consumer.pass after each pass) that began after the call took
# nothing; 1 if none did within 20 s
drain() {
	_dd=$1
	_p0=$(cut -d' ' -f1 "$_dd/consumer.pass" 2>/dev/null || echo 0)
	_i=0
	while [ $_i -lt 1000 ]; do
		set -- $(cat "$_dd/consumer.pass" 2>/dev/null) 0 0
		[ "$1" -ge $((_p0 + 2)) ] && [ "$2" -eq 0 ] && return 0
		sleep 0.02; _i=$((_i + 1))
	done
	return 1
}
# tspec DB: the trace as programs and test tools name it (DB, or the
# PostgreSQL database of a NAME@pg run)
tspec() { printf '%s' "${OXGATE_TRACE_DATABASE:-$1}"; }
