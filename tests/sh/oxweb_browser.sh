# oxweb in a real browser (issue 25): Debian's chromium, headless, driven
# by chromedriver through the W3C WebDriver HTTP API (tests/tools/
# browser.mjs, node's fetch): log in, find a transaction by its DSN, open
# it, download its payload, reactivate it from overflow, hold and release
# a partner, download the status CSV. Screenshots of the main pages go to
# build/oxweb-*.png (doc/oxweb-overview.png is one of them). A missing
# chromium, chromedriver or node is a failure, not a skip (make deps
# installs them). As root (CI) chromium runs with --no-sandbox.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.inc"
d=$OX_TMP/oxweb_browser
shots=$OX_TOP/${OX_BUILD:-build}
for p in chromium chromedriver node; do
	command -v $p > /dev/null || { fail "needs_$p" "$p is not installed (make deps)"; exit 0; }
done
pass tools_installed
web_setup "$d" || fail setup "web_setup"
web_start || fail start "oxweb did not start: $(cat "$d/web.log")"
DPORT=$((WPORT + 1))
chromedriver --port=$DPORT > "$d/driver.log" 2>&1 &
DRV=$!
trap 'kill $WPID $DRV 2>/dev/null' EXIT
i=0
until curl -s "http://127.0.0.1:$DPORT/status" | grep -q '"ready": *true'; do
	i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
done
mkdir -p "$shots"
node "$OX_TOP/tests/tools/browser.mjs" "$B" "http://127.0.0.1:$DPORT" "$d" DELFOR003 op pw-op
kill $DRV 2>/dev/null; wait $DRV 2>/dev/null
for f in login overview transactions transaction partners; do
	if [ -s "$d/oxweb-$f.png" ] && [ "$(head -c 8 "$d/oxweb-$f.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
		cp "$d/oxweb-$f.png" "$shots/" && pass "screenshot_$f"
	else fail "screenshot_$f" "no PNG"; fi
done
case $("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" partner show supplier) in
*"hold "*"op "*"was active: browser test"*"release "*"op "*) pass partner_history_web_user ;;
*) fail partner_history_web_user "$("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" partner show supplier | tail -3)" ;; esac
web_stop; rc=$?
[ $rc -eq 0 ] && pass stops || fail stops "exit $rc"
grep -q 'AddressSanitizer\|runtime error' "$d/web.log" && fail sanitizers_clean "$(grep -m3 'ERROR\|runtime error' "$d/web.log")" || pass sanitizers_clean
