# oxspool put: an OFTP daemon's hook hands a received file to the spool
# the way daemons.md says they call hooks (Oftp4Net: OFTP_* variables and
# one JSON object on stdin; any daemon: -s fields and a path), and
# oftp2x400 converts what it wrote. Errors name the field; nothing is
# half-written.
. "$(dirname "$0")/lib.sh"
S=$OX_ABIN/oxspool
X=$OX_ABIN/oftp2x400
d=$OX_TMP/oxspool
mkdir -p "$d"
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
INI
cat > "$d/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
INI
in=$d/spool/oftp/in
V=O0177000000000X0LU000042
printf 'UNA:+.? '"'"'UNB+UNOA:3+SENDER+RCPT+261207:1011+1'"'"'\n' > "$d/payload"
items() { ls "$in" | grep -v '^tmp$\|^work$' | sort | tr '\n' ' '; }

# 1. Oftp4Net-style hook: the fields in OFTP_* variables, the path too
name=$(env OFTP_VIRTUAL_FILE_NAME=INVOIC OFTP_FILE_DATE=20261207 \
    OFTP_FILE_TIME=1011120001 OFTP_ORIGINATOR=O0013ACMEGMBH \
    OFTP_DESTINATION=$V OFTP_FILE_FORMAT=U OFTP_STATUS=received \
    OFTP_FILE_PATH="$d/payload" "$S" -c "$d/oxgate.ini" put --env 2>"$d/err")
rc=$?
[ $rc -eq 0 ] && [ "$(items)" = "$name $name.sfid " ] && cmp -s "$in/$name" "$d/payload" &&
    pass env_hook || fail env_hook "exit $rc, name '$name', queue '$(items)': $(cat "$d/err")"
grep -q '^dsn *= *"*INVOIC' "$in/$name.sfid" && grep -q '^fsize *= *"*1"*$' "$in/$name.sfid" &&
    pass env_sfid_fields || fail env_sfid_fields "$(cat "$in/$name.sfid" | tr '\n' '|')"
# the same file handed in again: the same item, not a second one
name2=$(env OFTP_VIRTUAL_FILE_NAME=INVOIC OFTP_FILE_DATE=20261207 \
    OFTP_FILE_TIME=1011120001 OFTP_ORIGINATOR=O0013ACMEGMBH \
    OFTP_DESTINATION=$V OFTP_FILE_FORMAT=U "$S" -c "$d/oxgate.ini" put --env "$d/payload")
[ "$name2" = "$name" ] && [ "$(items)" = "$name $name.sfid " ] && pass same_file_once ||
    fail same_file_once "'$name2' vs '$name': $(items)"
# oftp2x400 converts it: the P1 is in x400/out
"$X" -c "$d/oxgate.ini" --spool 2>"$d/log"; rc=$?
[ $rc -eq 0 ] && [ -z "$(items)" ] && [ "$(ls "$d/spool/x400/out" | grep -c '\.p1$')" -eq 1 ] &&
    pass converted || fail converted "exit $rc: $(items) $(tail -2 "$d/log" | tr '\n' '|')"

# 2. the JSON object on stdin, a field overridden by -s
printf '{"virtualFileName":"ORDERS","fileDate":"20261207","fileTime":"1011130001","originator":"O0013ACMEGMBH","destination":"%s","fileFormat":"U","filePath":"%s","partner":{"name":"acme"}}' \
    "$V" "$d/payload" > "$d/hook.json"
name=$("$S" -c "$d/oxgate.ini" put --json -s description=Order < "$d/hook.json" 2>"$d/err"); rc=$?
[ $rc -eq 0 ] && grep -q '^desc *= *"Order"' "$in/$name.sfid" && pass json_hook ||
    fail json_hook "exit $rc: $(cat "$d/err")"

# 3. stdin as the payload, every field by -s in .sfid spelling
name=$("$S" -c "$d/oxgate.ini" put -s dsn=DELFOR -s date=20261207 -s time=1011140001 \
    -s orig=O0013ACMEGMBH -s dest=$V -s format=U < "$d/payload" 2>"$d/err"); rc=$?
[ $rc -eq 0 ] && cmp -s "$in/$name" "$d/payload" && pass stdin_payload || fail stdin_payload "exit $rc: $(cat "$d/err")"

# 4. bad input: 65 naming the field, nothing written
before=$(items)
check_fails bad_date 65 env OFTP_VIRTUAL_FILE_NAME=X OFTP_FILE_DATE=20261332 \
    OFTP_FILE_TIME=1011120001 OFTP_ORIGINATOR=O0013ACMEGMBH OFTP_DESTINATION=$V \
    OFTP_FILE_FORMAT=U "$S" -c "$d/oxgate.ini" put --env "$d/payload"
env OFTP_VIRTUAL_FILE_NAME=X OFTP_FILE_DATE=20261332 OFTP_FILE_TIME=1011120001 \
    OFTP_ORIGINATOR=O0013ACMEGMBH OFTP_DESTINATION=$V OFTP_FILE_FORMAT=U \
    "$S" -c "$d/oxgate.ini" put --env "$d/payload" 2>"$d/err"
grep -q 'date' "$d/err" && pass bad_date_named || fail bad_date_named "$(cat "$d/err")"
check_fails missing_dsn 65 "$S" -c "$d/oxgate.ini" put -s date=20261207 -s time=1011120001 \
    -s orig=O0013ACMEGMBH -s dest=$V -s format=U "$d/payload"
check_fails unknown_field 65 "$S" -c "$d/oxgate.ini" put -s colour=red "$d/payload"
printf '{"virtualFileName":' > "$d/bad.json"
check_fails json_malformed 65 sh -c "'$S' -c '$d/oxgate.ini' put --json '$d/payload' < '$d/bad.json'"
printf '{"originator":42}' > "$d/bad.json"
check_fails json_wrong_type 65 sh -c "'$S' -c '$d/oxgate.ini' put --json '$d/payload' < '$d/bad.json'"
printf '{"virtualFileName":"A"}' > "$d/nopath.json"
check_fails json_no_payload 64 sh -c "'$S' -c '$d/oxgate.ini' put --json < '$d/nopath.json'"
check_fails payload_missing 66 "$S" -c "$d/oxgate.ini" put -s dsn=A -s date=20261207 -s time=1011120001 \
    -s orig=O0013ACMEGMBH -s dest=$V -s format=U "$d/nonexistent"
check_fails usage 64 "$S" -c "$d/oxgate.ini" fetch
[ "$(items)" = "$before" ] && [ -z "$(ls "$in/tmp")" ] && pass nothing_half_written ||
    fail nothing_half_written "$(items) / tmp: $(ls "$in/tmp")"

# 5. an EERP the station sent: parsed, into oftp/eerp.in
"$OX_TOOLS/rptgen" eerp "$d/e1" e INVOIC 20261207 1011120001 "$V" O0013ACMEGMBH
name=$("$S" -c "$d/oxgate.ini" put --eerp "$d/e1" 2>"$d/err"); rc=$?
[ $rc -eq 0 ] && cmp -s "$d/e1" "$d/spool/oftp/eerp.in/$name" && case $name in *.eerp) true ;; *) false ;; esac &&
    pass eerp_put || fail eerp_put "exit $rc '$name': $(cat "$d/err")"
ein=$(ls "$d/spool/oftp/eerp.in" | tr '\n' ' ')
check_fails eerp_garbage 65 sh -c "printf 'garbage' | '$S' -c '$d/oxgate.ini' put --eerp"
[ "$(ls "$d/spool/oftp/eerp.in" | tr '\n' ' ')" = "$ein" ] && pass eerp_garbage_not_written ||
    fail eerp_garbage_not_written "$(ls "$d/spool/oftp/eerp.in")"
