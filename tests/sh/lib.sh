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
	n=$1; shift
	if o=$("$@" 2>&1); then pass "$n"; else fail "$n" "$(printf '%s' "$o" | tail -5 | tr '\n' '|')"; fi
}
check_fails() {
	n=$1; want=$2; shift 2
	o=$("$@" 2>&1); rc=$?
	if [ $rc -eq "$want" ]; then pass "$n"; else fail "$n" "exit $rc, expected $want: $(printf '%s' "$o" | tail -3 | tr '\n' '|')"; fi
}
