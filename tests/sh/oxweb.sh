# oxweb: the security of the operator console (issue 25), with curl on a
# running server: no session no data, CSRF tokens, roles, partner
# restriction, hostile trace values escaped, downloads inside the spool,
# login throttle, cookies, the users file; the actions land in the trace
# history with the web user's name.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.inc"
d=$OX_TMP/oxweb
web_setup "$d" || fail setup "web_setup"
O="$OX_ABIN/oxtrace -c $d/oxgate.ini"
DB=$d/spool/trace.db
sq() { sqlite3 "$DB" "$1"; }

# --- the users file ---------------------------------------------------
case $(cat "$d/users") in *'op:operator::$y$'*'help:viewer:acme:$y$'*) pass users_yescrypt ;; *) fail users_yescrypt "$(cat "$d/users")" ;; esac
[ "$(stat -c %a "$d/users")" = 640 ] && pass users_mode || fail users_mode "$(stat -c %a "$d/users")"
check_fails add_user_bad_role 64 sh -c "echo x | $OX_ABIN/oxweb -c $d/oxgate.ini --add-user x --role admin"
check_fails add_user_bad_name 65 sh -c "echo x | $OX_ABIN/oxweb -c $d/oxgate.ini --add-user 'a:b' --role viewer"
check_fails add_user_empty_password 65 sh -c "printf '\n' | $OX_ABIN/oxweb -c $d/oxgate.ini --add-user x --role viewer"
chmod 666 "$d/users"
check_fails users_writable_refused 78 "$OX_ABIN/oxweb" -c "$d/oxgate.ini"
chmod 640 "$d/users"

# --- hostile values in every text field of row 2 (supplier) ------------
# each field at most as long as the trace takes it (trace.h *_SZ), made
# of markup, quotes, control characters and multi-octet UTF-8
h='<script>alert(1)</script>"'"'"'&'
u8=$(printf '\342\202\254%.0s' $(seq 1 160))	# 480 octets of EUR signs
hs=$(printf '%s' "$h" | sed "s/'/''/g")	# h as an SQL literal's text
sq "UPDATE trace SET oftp_dsn = '<b>\"'' x', oftp_orig = '<i>', oftp_dest = '\"><', \
    mts_id = '${hs}$(printf '\001\033[31m')', ipm_id = '${hs}${u8}', edim_id = '${hs}', \
    note = '${hs}$(printf '\t\r\n\177')', x400_orig = '/O=${hs}/', in_file = '<in>', ack_file = '<ack>' WHERE id = 2"
sq "INSERT INTO trace_history (trace_id, time, state, note) VALUES (2, $WNOW, 'expired', '${hs}')"
sq "INSERT INTO trace_recipient (trace_id, seq, address, outcome, diag) VALUES (2, 1, '${hs}${u8}', 'pending', '${hs}')"

web_start || fail start "oxweb did not start: $(cat "$d/web.log")"

# --- no session: every page and API call refused ----------------------
bad=
for p in / /tx /tx/1 /tx/3 /tx/3/file/out /tx/3/csv /overflow /partners /status /status.csv \
    /api/v1/overview /api/v1/transactions /api/v1/transactions/1 /api/v1/overflow /api/v1/partners /api/v1/status.csv; do
	o=$(curl -s -w ' %{http_code}' "$B$p")
	case $o in *DELFOR*|*acme*|*supplier*) bad="$bad $p(data)" ;; *" 303"|*" 401") ;; *) bad="$bad $p(${o##* })" ;; esac
done
for p in /tx/3/reactivate /tx/3/delete /partners/acme /logout /api/v1/transactions/3/reactivate; do
	o=$(curl -s -w ' %{http_code}' -d 'csrf=x&action=hold' "$B$p")
	case $o in *" 401") ;; *) bad="$bad POST$p(${o##* })" ;; esac
done
[ -z "$bad" ] && pass no_session_refused || fail no_session_refused "$bad"
o=$(curl -s -o /dev/null -w '%{http_code}' -b "oxsid=$(printf '0%.0s' $(seq 1 64))" "$B/api/v1/overview")
[ "$o" = 401 ] && pass forged_session_refused || fail forged_session_refused "$o"

# --- cookies ----------------------------------------------------------
o=$(curl -s -i --data-urlencode user=op --data-urlencode password=pw-op "$B/login" | grep -i '^set-cookie')
case $o in *"oxsid="*"HttpOnly"*"SameSite=Strict"*) pass cookie_flags ;; *) fail cookie_flags "$o" ;; esac

# --- CSRF: a state change without the token (or with another) refused ---
[ "$(login "$d/op" op pw-op)" = 303 ] && pass login_operator || fail login_operator "no 303"
TOK=$(csrf "$d/op")
[ ${#TOK} -eq 64 ] && pass csrf_token || fail csrf_token "'$TOK'"
o=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' -d 'x=1' "$B/tx/3/reactivate")
o2=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' -d "csrf=$(printf 'f%.0s' $(seq 1 64))" "$B/tx/3/reactivate")
o3=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' "$B/tx/3/reactivate")
o4=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' -d 'action=hold' "$B/partners/acme")
[ "$o $o2 $o3 $o4" = "403 403 404 403" ] && [ "$(sq 'SELECT state FROM trace WHERE id = 3')" = overflow ] &&
    [ -f "$d/spool/overflow/F3" ] && [ "$($O partner show acme | sed -n 's/^state: //p')" = active ] &&
    pass csrf_required || fail csrf_required "$o $o2 $o3 $o4 $(sq 'SELECT state FROM trace WHERE id = 3')"

# --- a viewer cannot act ----------------------------------------------
login "$d/view" view pw-view > /dev/null
TV=$(csrf "$d/view")
o=$(curl -s -b "$d/view" -o /dev/null -w '%{http_code}' -d "csrf=$TV" "$B/tx/3/reactivate")
o2=$(curl -s -b "$d/view" -o /dev/null -w '%{http_code}' -d "csrf=$TV&action=hold" "$B/partners/acme")
o3=$(curl -s -b "$d/view" -o /dev/null -w '%{http_code}' -H "X-CSRF-Token: $TV" -d '' "$B/api/v1/transactions/3/delete")
[ "$o $o2 $o3" = "403 403 403" ] && [ "$(sq 'SELECT state FROM trace WHERE id = 3')" = overflow ] &&
    pass viewer_cannot_act || fail viewer_cannot_act "$o $o2 $o3"
curl -s -b "$d/view" "$B/tx/3" | grep -q 'reactivate</button>' && fail viewer_no_buttons "buttons shown" || pass viewer_no_buttons
[ "$(curl -s -b "$d/view" -o /dev/null -w '%{http_code}' "$B/tx/3")" = 200 ] && pass viewer_reads || fail viewer_reads "not 200"

# --- a partner-restricted user sees only its partnerships -------------
login "$d/help" help pw-help > /dev/null
bad=
for p in /tx/2 /tx/3 /tx/2/file/out /tx/3/file/out /tx/3/csv /api/v1/transactions/2 /api/v1/transactions/3 /tx/999 /tx/0 /tx/-1 /tx/3abc; do
	o=$(curl -s -b "$d/help" -w ' %{http_code}' "$B$p")
	case $o in *DELFOR00[23]*|*payload*) bad="$bad $p(data)" ;; *" 404") ;; *) bad="$bad $p(${o##* })" ;; esac
done
# the same answer for another partner's row as for no row at all
[ "$(curl -s -b "$d/help" "$B/tx/3")" = "$(curl -s -b "$d/help" "$B/tx/999")" ] || bad="$bad differs"
[ -z "$bad" ] && pass restricted_by_id || fail restricted_by_id "$bad"
o=$(curl -s -b "$d/help" "$B/api/v1/transactions")
case $o in *'"partner":"acme"'*) case $o in *supplier*) fail restricted_list "$o" ;; *) pass restricted_list ;; esac ;; *) fail restricted_list "$o" ;; esac
o=$(curl -s -b "$d/help" "$B/tx?partner=supplier")$(curl -s -b "$d/help" "$B/tx?q=DELFOR003")$(curl -s -b "$d/help" "$B/status.csv?partner=supplier")$(curl -s -b "$d/help" "$B/partners")$(curl -s -b "$d/help" "$B/")$(curl -s -b "$d/help" "$B/api/v1/overflow")
# (the search form shows what was asked: the rows are what must not come)
case $o in *'/tx/2"'*|*'/tx/3"'*|*'"id":2,'*|*'"id":3,'*|*SUPPLIER*|*'tx?partner=supplier"'*|*"$(printf '\n')"[23],x4002oftp*) fail restricted_search "$(printf '%s' "$o" | grep -o '.\{30\}/tx/[23]".\{10\}\|.\{30\}SUPPLIER.\{10\}\|^[23],x4002.\{20\}' | head -3)" ;; *) pass restricted_search ;; esac
[ "$(curl -s -b "$d/help" "$B/tx/1" -o /dev/null -w '%{http_code}')" = 200 ] && pass restricted_own_row || fail restricted_own_row "not 200"

# --- hostile values render escaped ------------------------------------
for p in /tx/2 "/tx?partner=supplier" /api/v1/transactions/2 /status.csv?partner=supplier; do
	curl -s -b "$d/op" "$B$p" > "$d/page"
	n=${p%%\?*}; n=$(echo "$n" | tr '/' '_')
	case $p in
	/api*)	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert "<script>" in j["mts_id"] and "\u20ac"*160 in j["ipm_id"] and "<script>" in j["history"][-1]["note"]' "$d/page" &&
		    pass "json_hostile_round_trip" || fail json_hostile_round_trip "$(head -c 300 "$d/page")" ;;
	/status*) grep -q '<script>alert(1)</script>' "$d/page" && pass csv_is_data_not_html || fail csv_is_data_not_html "$(head -c 300 "$d/page")" ;;
	*)	if grep -q '<script\|<b>\|<i>\|<in>\|<ack>\|<\/i>' "$d/page" || tr -d '\n' < "$d/page" | LC_ALL=C grep -q "$(printf '[\001\033\r\177]')"; then
			fail "html_escaped$n" "$(grep -o '.\{20\}<script.\{20\}' "$d/page" | head -2)"
		else pass "html_escaped$n"; fi ;;
	esac
done
curl -s -b "$d/op" "$B/tx/2" > "$d/page"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;' "$d/page" && grep -q "$u8" "$d/page" &&
    grep -q '&lt;b&gt;&quot;&#39; x' "$d/page" && grep -q '&quot;&gt;&lt;' "$d/page" && pass html_text_kept || fail html_text_kept "$(grep -o '.\{10\}alert.\{40\}' "$d/page" | head -3)"
# a value longer than the trace takes (999 octets, written behind its
# back) is refused with the reason, not shown raw and not a crash
sq "UPDATE trace SET note = '<script>$(printf '\303\244%.0s' $(seq 1 499))x' WHERE id = 1"
o=$(curl -s -b "$d/op" -w ' %{http_code}' "$B/tx/1")
case $o in *"<script>"*) fail note_999_refused "raw" ;; *" 503") pass note_999_refused ;; *) fail note_999_refused "${o##* }" ;; esac
sq "UPDATE trace SET note = 'n' WHERE id = 1"
kill -0 $WPID && pass alive_after_hostile || fail alive_after_hostile "oxweb died"

# --- downloads never leave the spool ----------------------------------
ln -s ../../oxgate.ini "$d/spool/overflow/link"
bad=
for f in ../../oxgate.ini /etc/passwd link .. . '' F3/../../../oxgate.ini; do
	sq "UPDATE trace SET out_file = '$f', in_file = '$f', ack_file = '$f' WHERE id = 2"
	for k in out in ack; do
		o=$(curl -s -b "$d/op" -w ' %{http_code}' "$B/tx/2/file/$k")
		case $o in *"[spool]"*|*root:*) bad="$bad $f:$k(leak)" ;; *" 404") ;; *) bad="$bad $f:$k(${o##* })" ;; esac
	done
done
for p in /tx/3/file/../../../oxgate.ini /tx/3/file/%2e%2e%2foxgate.ini /tx/3/file/out/../../oxgate.ini /tx/3/file/out%2F..%2F..%2Foxgate.ini /../oxgate.ini; do
	o=$(curl -s --path-as-is -b "$d/op" -w ' %{http_code}' "$B$p")
	case $o in *"[spool]"*) bad="$bad $p(leak)" ;; *" 404"|*" 400") ;; *) bad="$bad $p(${o##* })" ;; esac
done
[ -z "$bad" ] && pass download_stays_in_spool || fail download_stays_in_spool "$bad"
o=$(curl -s -b "$d/op" -D "$d/hdr" "$B/tx/3/file/out")
[ "$o" = payload-of-F3 ] && grep -qi 'content-disposition: attachment; filename="F3"' "$d/hdr" && pass download_payload || fail download_payload "$o $(cat "$d/hdr")"

# --- actions: the library's, with the web user's name -----------------
o=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' -d "csrf=$TOK" "$B/tx/3/reactivate")
[ "$o" = 303 ] && [ -f "$d/spool/oftp/out/F3" ] && [ -f "$d/spool/oftp/out/F3.sfid" ] && [ ! -e "$d/spool/overflow/F3" ] &&
    pass reactivate || fail reactivate "$o $(ls "$d/spool/overflow" "$d/spool/oftp/out")"
case $($O status 3) in *"state: converted"*"reactivated by op"*) pass reactivate_history_user ;; *) fail reactivate_history_user "$($O status 3)" ;; esac
o=$(curl -s -b "$d/op" -w ' %{http_code}' -d "csrf=$TOK" "$B/tx/3/reactivate")
case $o in *"not in overflow"*" 409") pass reactivate_again_refused ;; *) fail reactivate_again_refused "$o" ;; esac
o=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' -d "csrf=$TOK&action=hold&note=<maintenance>&until=%2B4h" "$B/partners/supplier")
case $o/$($O partner show supplier) in 303/*"state: hold"*"hold"*"op"*"was active: <maintenance>; until "*) pass hold_with_note ;; *) fail hold_with_note "$o $($O partner show supplier)" ;; esac
o=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' -d "csrf=$TOK&action=release&until=%2B4h" "$B/partners/supplier")
[ "$o" = 400 ] && pass until_hold_only || fail until_hold_only "$o"
o=$(curl -s -b "$d/op" -H "X-CSRF-Token: $TOK" -d 'action=release' "$B/api/v1/partners/supplier")
case $o/$($O partner show supplier) in *'"ok":true'*/*"state: active"*"release"*"op"*) pass api_release ;; *) fail api_release "$o" ;; esac
o=$(curl -s -b "$d/op" -o /dev/null -w '%{http_code}' -d "csrf=$TOK&action=hold" "$B/partners/nosuch")
[ "$o" = 404 ] && pass partner_unknown || fail partner_unknown "$o"
o=$(curl -s -b "$d/op" "$B/api/v1/partners")
case $o in *'"name":"acme"'*'"state":"active"'*'"name":"supplier"'*) pass api_partners ;; *) fail api_partners "$o" ;; esac

# oxtrace does the same through the same function, with its login name
who=$(id -un)
$O partner divert acme --note "cli note" 2>/dev/null && $O partner undivert acme 2>/dev/null
case $($O partner show acme) in *"divert "*"$who"*"was active: cli note"*"undivert "*"$who"*"was divert"*) pass oxtrace_note_and_user ;;
*) fail oxtrace_note_and_user "$($O partner show acme | tail -3)" ;; esac
check_fails oxtrace_note_usage 64 $O partner hold acme --note

# --- logout ends the session ------------------------------------------
curl -s -b "$d/view" -o /dev/null -d "csrf=$TV" "$B/logout"
[ "$(curl -s -b "$d/view" -o /dev/null -w '%{http_code}' "$B/api/v1/overview")" = 401 ] && pass logout || fail logout "still in"

# --- login throttle: 5 failures, then even the right password waits ----
for i in 1 2 3 4 5; do login "$d/x" view wrong > /dev/null; done
o=$(login "$d/x" view pw-view)
[ "$o" = 429 ] && pass login_throttled || fail login_throttled "$o"
grep -q 'login refused from 127.0.0.1' "$d/web.log" && pass login_failure_logged || fail login_failure_logged "$(tail -3 "$d/web.log")"

web_stop; rc=$?
[ $rc -eq 0 ] && pass stops_on_sigterm || fail stops_on_sigterm "exit $rc: $(tail -5 "$d/web.log")"
grep -q 'AddressSanitizer\|runtime error' "$d/web.log" && fail sanitizers_clean "$(grep -m3 'ERROR\|runtime error' "$d/web.log")" || pass sanitizers_clean

# --- TLS: the cookie is Secure ----------------------------------------
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" -out "$d/cert.pem" -days 1 -subj /CN=localhost 2>/dev/null; then
	printf 'certificate = %s\nkey = %s\n' "$d/cert.pem" "$d/key.pem" >> "$d/oxgate.ini"
	if WSCHEME=https web_start; then
		o=$(curl -s -k -i --data-urlencode user=op --data-urlencode password=pw-op "https://127.0.0.1:$WPORT/login" | grep -i '^set-cookie\|^strict')
		case $o in *"HttpOnly"*"SameSite=Strict; Secure"*) pass tls_secure_cookie ;; *) fail tls_secure_cookie "$o" ;; esac
		o=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WPORT/login")
		[ "$o" != 200 ] && pass tls_no_plain_http || fail tls_no_plain_http "$o"
		web_stop
	else fail tls_start "$(tail -3 "$d/web.log")"; fi
else fail tls_cert "openssl req"; fi
