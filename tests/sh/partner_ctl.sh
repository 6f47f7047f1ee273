# Partner hold and divert through the real programs: oxtrace partner
# hold -> x4002oftp keeps the files in spool/hold/p -> release sends them
# into oftp/out oldest first (payload, then .sfid); divert -> overflow ->
# overflow reactivate -> oftp/out; the same while x4002oftp --watch runs
# (no restart); a release stopped half-way finishes without a copy.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/x4002oftp
O=$OX_ABIN/oxtrace
D=$OX_ABIN/oxdump
d=$OX_TMP/partner_ctl
mkdir -p "$d/gen"
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen "p1gen"
# message N: the generator's message under the MTS local ID gen-msg-N
msg() { perl -pe "s/gen-msg-1/gen-msg-$1/g" "$d/gen/gen_msg.p1" > "$d/m$1.p1"; }
for n in 1 2 3 4 5 6 7 8; do msg $n; done
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
g=$d/gw
mkdir -p "$g/spool/x400/in/tmp"
printf '[spool]\nroot = spool\n' > "$g/oxgate.ini"
printf '[p]\nodette = O0013RITA\nx400 = %s\nlocal = %s\nmode = transfer\n[other]\nodette = O0013OTHER\nx400 = /O=Other/P=OTHER/A=DBP/C=DE/\n' "$SAM" "$RITA" > "$g/partners.ini"
C="-c $g/oxgate.ini"
S=$g/spool
put() { cp "$d/m$1.p1" "$S/x400/in/tmp/m$1.p1" && mv "$S/x400/in/tmp/m$1.p1" "$S/x400/in/m$1.p1"; }
run() { "$X" $C --spool 2>>"$g/log"; }
pairs() { ls "$1" 2>/dev/null | grep '\.sfid$' | sed 's/\.sfid$//'; }	# committed items
payloads() { ls "$1" 2>/dev/null | grep -v '\.sfid$\|^tmp$'; }
st() { "$O" $C status "[DE*VIAT*OFTP;gen-msg-$1]" 2>&1 | sed -n 's/^state: //p'; }
# wait up to 20 s for a file matching a shell test
waitfor() { i=0; while [ $i -lt 200 ]; do eval "$1" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }

# --- the commands ------------------------------------------------------
o=$("$O" $C partner list 2>&1)
case $o in *"p "*"O0013RITA"*"active"*"other"*"active"*) pass list_active ;; *) fail list_active "$o" ;; esac
check_fails unknown_partner 67 "$O" $C partner hold nosuch
check_fails unknown_partner_release 67 "$O" $C partner release nosuch
check_fails usage_verb 64 "$O" $C partner freeze p
check_fails usage_no_name 64 "$O" $C partner hold
check hold "$O" $C partner hold p
o=$("$O" $C partner hold P 2>&1); rc=$?
[ $rc -eq 0 ] && case $o in *"nothing to change"*) true ;; *) false ;; esac && pass hold_idempotent || fail hold_idempotent "rc $rc: $o"
o=$("$O" $C partner show p)
case $o in *"state: hold"*) pass show_hold ;; *) fail show_hold "$o" ;; esac
n=$(printf '%s\n' "$o" | grep -c ' hold .*was active')
[ "$n" -eq 1 ] && pass one_history_entry || fail one_history_entry "$n: $o"
case $o in *" hold "*"$(id -un)"*) pass history_who ;; *) fail history_who "$o" ;; esac

# --- hold: three messages, nothing in oftp/out -------------------------
put 1; run; sleep 0.01; put 2; run; sleep 0.01; put 3; run
[ -z "$(payloads "$S/oftp/out")" ] && pass hold_nothing_out || fail hold_nothing_out "$(ls "$S/oftp/out")"
[ "$(pairs "$S/hold/p" | wc -l)" -eq 3 ] && [ "$(payloads "$S/hold/p" | wc -l)" -eq 3 ] && pass hold_three_pairs || fail hold_three_pairs "$(ls -R "$S/hold")"
[ "$(st 1)$(st 2)$(st 3)" = heldheldheld ] && pass trace_held || fail trace_held "$(st 1) $(st 2) $(st 3)"
o=$("$O" $C list --state held | wc -l)
[ "$o" -eq 3 ] && pass list_state_held || fail list_state_held "$o"
# issue 22: the timer runs on while held (transfer mode: the X.400 expiry)
case $("$O" $C status "[DE*VIAT*OFTP;gen-msg-1]") in *"deadline: 20"*"partnership on hold"*) pass held_timer_runs ;; *) fail held_timer_runs "deadline or note" ;; esac
o=$("$O" $C partner list); case $o in *"p "*"hold"*" 3 "*) pass list_held_count ;; *) fail list_held_count "$o" ;; esac
# the order they were made: x4002oftp's log
made=$(sed -n 's/.*-> hold\/p\/\([0-9a-f]*\) .*/\1/p' "$g/log" | tr '\n' ' ')
[ "$(echo $made | wc -w)" -eq 3 ] && pass made_logged || fail made_logged "$made"
for f in $(pairs "$S/hold/p"); do cksum < "$S/hold/p/$f" > "$d/$f.sum"; done

# --- release: into oftp/out, oldest first, each .sfid after its payload -
o=$("$O" -v $C partner release p 2>&1); rc=$?
[ $rc -eq 0 ] && pass release || fail release "rc $rc: $o"
rel=$(printf '%s\n' "$o" | sed -n 's/.*\[p\] released \([0-9a-f]*\) into.*/\1/p' | tr '\n' ' ')
[ "$rel" = "$made" ] && pass release_order || fail release_order "released '$rel', made '$made'"
[ "$(pairs "$S/oftp/out" | wc -l)" -eq 3 ] && [ -z "$(ls "$S/hold/p" | grep -v '^tmp$')" ] && pass released_pairs || fail released_pairs "$(ls -R "$S/oftp/out" "$S/hold")"
ok=1; for f in $(pairs "$S/oftp/out"); do
	[ "$(cksum < "$S/oftp/out/$f")" = "$(cat "$d/$f.sum")" ] || ok=0
	# the .sfid ctime (its rename) is not before its payload's
	[ "$(stat -c %Z "$S/oftp/out/$f.sfid")" -ge "$(stat -c %Z "$S/oftp/out/$f")" ] || ok=0
done
[ $ok -eq 1 ] && pass released_unchanged || fail released_unchanged "checksums"
f=$(pairs "$S/oftp/out" | head -1)
o=$("$D" "$S/oftp/out/$f.sfid" 2>&1)
case $o in *"dest"*"O0013RITA"*) pass released_sfid_oxdump ;; *) fail released_sfid_oxdump "$o" ;; esac
[ "$(st 1)$(st 2)$(st 3)" = convertedconvertedconverted ] && pass trace_released || fail trace_released "$(st 1) $(st 2) $(st 3)"
case $("$O" $C status "[DE*VIAT*OFTP;gen-msg-2]") in *"deadline: 20"*"held"*"converted"*"released"*) pass released_timer_history ;; *) fail released_timer_history "no deadline or history" ;; esac
o=$("$O" $C partner show p)
case $o in *"state: active"*" release "*"was hold"*" released "*"3 held files"*) pass release_history ;; *) fail release_history "$o" ;; esac
o=$("$O" $C partner release p 2>&1); rc=$?
[ $rc -eq 0 ] && case $o in *"0 files released"*) true ;; *) false ;; esac && pass release_idempotent || fail release_idempotent "rc $rc: $o"
mkdir -p "$d/out1"; mv "$S/oftp/out/"* "$d/out1/" 2>/dev/null; mkdir -p "$S/oftp/out/tmp"	# the daemon took them

# --- a release stopped after the payload: run again, one copy ---------
"$O" $C partner hold p 2>/dev/null
put 4; run
f=$(pairs "$S/hold/p")
mv "$S/hold/p/$f" "$S/oftp/out/$f"	# as a release that died between the renames
check release_after_crash "$O" $C partner release p
[ -f "$S/oftp/out/$f" ] && [ -f "$S/oftp/out/$f.sfid" ] && [ ! -e "$S/hold/p/$f.sfid" ] && [ "$(payloads "$S/oftp/out" | wc -l)" -eq 1 ] && pass release_finishes_half_move || fail release_finishes_half_move "$(ls -R "$S/oftp/out" "$S/hold/p")"
[ "$(st 4)" = converted ] && pass release_after_crash_trace || fail release_after_crash_trace "$(st 4)"
rm -f "$S/oftp/out/"*.* "$S/oftp/out/"[0-9a-f]* 2>/dev/null

# --- divert: straight to overflow, reactivate sends it -----------------
check divert "$O" $C partner divert p
check divert_again "$O" $C partner divert p
put 5; run
f=$(pairs "$S/overflow")
[ -n "$f" ] && [ -f "$S/overflow/$f" ] && [ -z "$(payloads "$S/oftp/out")" ] && pass diverted_to_overflow || fail diverted_to_overflow "$(ls -R "$S/overflow" "$S/oftp/out")"
[ "$(st 5)" = diverted ] && pass trace_diverted || fail trace_diverted "$(st 5)"
o=$("$O" $C overflow list); case $o in *diverted*) pass overflow_list_diverted ;; *) fail overflow_list_diverted "$o" ;; esac
id=$("$O" $C status "[DE*VIAT*OFTP;gen-msg-5]" | sed -n 's/^id: //p')
o=$("$O" $C overflow reactivate "$id" 2>&1); rc=$?
[ $rc -eq 0 ] && case $o in *"is divert"*"all the same"*) true ;; *) false ;; esac && pass reactivate_warns || fail reactivate_warns "rc $rc: $o"
[ -f "$S/oftp/out/$f" ] && [ -f "$S/oftp/out/$f.sfid" ] && [ ! -e "$S/overflow/$f" ] && [ ! -e "$S/overflow/$f.sfid" ] && pass reactivated_pair || fail reactivated_pair "$(ls -R "$S/overflow" "$S/oftp/out")"
case $("$O" $C status "$id") in *"state: converted"*"diverted"*"reactivated"*) pass reactivated_trace ;; *) fail reactivated_trace "$("$O" $C status "$id")" ;; esac
check undivert "$O" $C partner undivert p
case $("$O" $C partner show p) in *"state: active"*" divert "*" undivert "*"was divert"*) pass undivert_history ;; *) fail undivert_history "history" ;; esac
# release does not end a divert, undivert does not end a hold
"$O" $C partner divert p 2>/dev/null; "$O" $C partner release p >/dev/null 2>&1
case $("$O" $C partner show p) in *"state: divert"*) pass release_keeps_divert ;; *) fail release_keeps_divert "state" ;; esac
"$O" $C partner undivert p 2>/dev/null
rm -f "$S/oftp/out/"[0-9a-f]* 2>/dev/null

# --- the same while x4002oftp --watch runs: no restart -----------------
"$X" $C --watch 2>"$g/watch.log" &
wpid=$!
waitfor '[ -s "$g/watch.log" ] || [ -d "$S/x400/in" ]'
put 6
waitfor '[ -n "$(pairs "$S/oftp/out")" ]' && pass watch_active_out || fail watch_active_out "$(ls "$S/oftp/out")"
"$O" $C partner hold p 2>/dev/null
put 7
waitfor '[ -n "$(pairs "$S/hold/p")" ]' && [ "$(pairs "$S/oftp/out" | wc -l)" -eq 1 ] && pass watch_hold_takes_effect || fail watch_hold_takes_effect "$(ls -R "$S/hold" "$S/oftp/out")"
waitfor '[ "$(st 7)" = held ]' && pass watch_trace_held || fail watch_trace_held "$(st 7)"
"$O" $C partner release p >/dev/null 2>&1
[ "$(pairs "$S/oftp/out" | wc -l)" -eq 2 ] && pass watch_released || fail watch_released "$(ls "$S/oftp/out")"
"$O" $C partner divert p 2>/dev/null
put 8
waitfor '[ "$(st 8)" = diverted ]' && [ "$(pairs "$S/oftp/out" | wc -l)" -eq 2 ] && pass watch_divert_takes_effect || fail watch_divert_takes_effect "$(st 8) $(ls "$S/oftp/out")"
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
"$O" $C partner undivert p 2>/dev/null
grep -q "ERROR\|AddressSanitizer" "$g/watch.log" && fail watch_clean_log "$(grep 'ERROR\|AddressSanitizer' "$g/watch.log" | head -3)" || pass watch_clean_log

# --- the tables (schema version 3 and later) with their history --------
v=$(sqlite3 "$S/trace.db" 'PRAGMA user_version')
[ "$v" -ge 3 ] && pass schema_v3 || fail schema_v3 "$v"
n=$(sqlite3 "$S/trace.db" "SELECT count(*) FROM partner_history WHERE partner = 'p' AND action IN ('hold', 'divert')")
[ "$n" -eq 6 ] && pass history_rows || fail history_rows "$n"
