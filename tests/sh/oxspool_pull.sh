# oxspool take / done / failed: an OFTP daemon that pulls its files and
# EERP/NERPs (Accord's nextOftpObjectToSend, Oftp4Net's outbox) claims
# one at a time across processes; a claim that is never finished goes
# back to the queue when its time is over; two pullers never get the
# same item; a crash at any step loses nothing.
. "$(dirname "$0")/lib.sh"
S=$OX_ABIN/oxspool
d=$OX_TMP/pull
mkdir -p "$d"
printf '[spool]\nroot = spool\n' > "$d/oxgate.ini"
printf '[rita]\nodette = O0013RITA\nuserid = 000042\nx400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/\n' > "$d/partners.ini"
"$S" -c "$d/oxgate.ini" put -s dsn=X -s date=20261207 -s time=1000000001 -s orig=O0013RITA \
    -s dest=O0177000000000X0LU000042 -s format=U /dev/null >/dev/null 2>&1	# makes the spool
out=$d/spool/oftp/out
eo=$d/spool/oftp/eerp.out
mkfile() {	# NAME DEST
	printf 'payload %s\n' "$1" > "$out/tmp/$1"; mv "$out/tmp/$1" "$out/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261207\ntime = 1100000001\ndest = %s\norig = O0177000000000X0LU000042\nformat = U\n' "$1" "$2" > "$out/tmp/$1.sfid"
	mv "$out/tmp/$1.sfid" "$out/$1.sfid"
}
items() { ls "$out" | grep -v '^tmp$\|^work$' | sort | tr '\n' ' '; }
T() { "$S" -c "$d/oxgate.ini" "$@" 2>>"$d/log"; }

# 1. EERP/NERPs first, then files; the fields as shell assignments
mkfile BETAFILE O0013BETA
mkfile RITAFILE O0013RITA
"$OX_TOOLS/rptgen" eerp "$eo/tmp/e1" e INVOIC 20261207 1011120001 O0013RITA O0177000000000X0LU000042 && mv "$eo/tmp/e1" "$eo/e1.eerp"
eval "$(T take)"
[ "$OFTP_KIND" = eerp ] && [ "$OFTP_VIRTUAL_FILE_NAME" = INVOIC ] && [ "$OFTP_REASON_CODE" = 0 ] && [ -f "$OFTP_FILE_PATH" ] &&
    pass take_eerp_first || fail take_eerp_first "kind '$OFTP_KIND' dsn '$OFTP_VIRTUAL_FILE_NAME' $(tail -2 "$d/log")"
[ -z "$(ls "$eo" | grep -v '^tmp$')" ] && pass eerp_claimed_out_of_queue || fail eerp_claimed_out_of_queue "$(ls -a "$eo")"
check eerp_done T done "$OFTP_TOKEN"
check_fails done_twice 66 T done "$OFTP_TOKEN"
# 2. one station's files only
eval "$(T take --station O0013RITA)"
[ "$OFTP_KIND" = file ] && [ "$OFTP_VIRTUAL_FILE_NAME" = RITAFILE ] && [ "$OFTP_DESTINATION" = O0013RITA ] &&
    [ "$(cat "$OFTP_FILE_PATH")" = "payload RITAFILE" ] && pass take_station || fail take_station "$OFTP_VIRTUAL_FILE_NAME $(tail -2 "$d/log")"
[ "$(items)" = "BETAFILE BETAFILE.sfid " ] && pass station_left_others || fail station_left_others "$(items)"
check file_done T done "$OFTP_TOKEN"
[ "$(items)" = "BETAFILE BETAFILE.sfid " ] && pass done_removed || fail done_removed "$(items)"
[ -z "$(T take --station O0013RITA)" ] && pass nothing_for_station || fail nothing_for_station "took one"
# 3. failed: back with a time before the next try; JSON
j=$(T take --format json)
tok=$(printf '%s' "$j" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["token"]) if o["virtualFileName"] == "BETAFILE" and o["destination"] == "O0013BETA" else print("")')
[ -n "$tok" ] && pass take_json || fail take_json "$j"
check failed_back T failed "$tok" --reason "session broke" --retry 600
[ "$(items)" = "BETAFILE BETAFILE.sfid " ] && pass failed_in_queue || fail failed_in_queue "$(items)"
[ -z "$(T take)" ] && pass failed_held_back || fail failed_held_back "taken before its next try"
grep -q 'not sent: session broke' "$d/log" && pass failed_reason_logged || fail failed_reason_logged "$(tail -2 "$d/log")"
touch "$out/BETAFILE.sfid"
# 4. a claim whose time ran out goes back; its old token is refused
eval "$(T take --timeout 0)"; old=$OFTP_TOKEN
eval "$(T take)"
[ -n "$OFTP_TOKEN" ] && [ "$OFTP_TOKEN" != "$old" ] && [ "$OFTP_VIRTUAL_FILE_NAME" = BETAFILE ] && pass expired_given_back ||
    fail expired_given_back "'$OFTP_TOKEN' '$old'"
check_fails expired_token_refused 66 T done "$old"
check expired_new_done T done "$OFTP_TOKEN"
[ -z "$(items)" ] && pass queue_empty || fail queue_empty "$(items)"
# 5. crashes between the steps, made by hand: each state is finished
cl=$out/.claims
mkfile HALFCLAIM O0013BETA
mkdir -p "$cl/00000000000000000000000000000001"
printf 'HALFCLAIM\n0\n' > "$cl/00000000000000000000000000000001/.claim"
mv "$out/HALFCLAIM.sfid" "$cl/00000000000000000000000000000001/"	# died after the marker
mkdir -p "$cl/00000000000000000000000000000002"
printf 'HALFDONE\n9999999999\n' > "$cl/00000000000000000000000000000002/.claim"
printf 'x' > "$cl/00000000000000000000000000000002/HALFDONE"	# died in done
mkdir -p "$cl/00000000000000000000000000000003"		# died before .claim
eval "$(T take)"
[ "$OFTP_VIRTUAL_FILE_NAME" = HALFCLAIM ] && [ "$(cat "$OFTP_FILE_PATH")" = "payload HALFCLAIM" ] && pass crash_half_claim ||
    fail crash_half_claim "'$OFTP_VIRTUAL_FILE_NAME' $(ls -R "$cl" | tr '\n' ' ')"
[ "$(ls "$cl" | wc -l)" -eq 1 ] && pass crash_leftovers_removed || fail crash_leftovers_removed "$(ls "$cl")"
T done "$OFTP_TOKEN"
# 6. two pullers at once, 60 files: each taken exactly once
i=0; while [ $i -lt 60 ]; do mkfile F$i O0013BETA; i=$((i + 1)); done
puller() { while :; do o=$(T take) || break; [ -n "$o" ] || break; eval "$o"; echo "$OFTP_VIRTUAL_FILE_NAME"; T done "$OFTP_TOKEN" || echo "DONEFAIL"; done; }
puller > "$d/p1" & a=$!
puller > "$d/p2" & b=$!
wait $a $b
n=$(cat "$d/p1" "$d/p2" | grep -c '^F'); u=$(cat "$d/p1" "$d/p2" | grep '^F' | sort -u | wc -l)
[ "$n" -eq 60 ] && [ "$u" -eq 60 ] && ! grep -q DONEFAIL "$d/p1" "$d/p2" && [ -z "$(items)" ] && pass two_pullers_once ||
    fail two_pullers_once "taken $n, distinct $u, left $(items)"
check_fails usage_take_reason 64 T take --reason x
check_fails usage_unknown 64 T fetch
