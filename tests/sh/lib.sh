# tests/sh/lib.sh - helpers for shell tests (sourced, not run).
#
#   pass NAME               print a PASS line
#   fail NAME WHY           print a FAIL line
#   check NAME CMD...       PASS if CMD exits 0, else FAIL with its output
#   check_fails NAME CODE CMD...   PASS if CMD exits with status CODE
# Variables: OX_BIN (release programs), OX_ABIN (ASan programs), OX_TOOLS,
# OX_SHARED, OX_TMP (a scratch directory), T (this test file's name).
T=$(basename "$0" .sh)
: "${OX_TMP:=$(mktemp -d)}"
pass() { echo "PASS $T:$1"; }
fail() { echo "FAIL $T:$1: $2"; }
check() {
	_n=$1; shift
	if _o=$("$@" 2>&1); then pass "$_n"; else fail "$_n" "$(printf '%s' "$_o" | tail -5 | tr '\n' '|')"; fi
}
check_fails() {
	_n=$1; _want=$2; shift 2
	_o=$("$@" 2>&1); _rc=$?
	if [ $_rc -eq "$_want" ]; then pass "$_n"; else fail "$_n" "exit $_rc, expected $_want: $(printf '%s' "$_o" | tail -3 | tr '\n' '|')"; fi
}
