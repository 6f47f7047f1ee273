# A hold with an end, and held files sent to a station that calls in
# (issue 22; seed 000, "Management des OFTP2-Zugangs": "kann er den
# Versand von Dateien durch den Zugang befristet unterbinden. Falls die
# OFTP Station des Anwenders aber eine Verbindung aufbaut, werden diese
# Dateien innerhalb dieser Session uebertragen"). On a simulated clock:
#   oxtrace partner hold NAME --until TIME (the time syntax of expire
#     --now), shown by partner show and list;
#   files held go to spool/hold/NAME; oxspool take --station serves them
#     only with --inbound (a session the station opened), after
#     oftp/out's, and done makes the transaction sent;
#   when the time has come, new files go to oftp/out at once, and the
#     next oxtrace expire ends the hold and releases the held files.
. "$(dirname "$0")/lib.sh"
d=$OX_TMP/hold_until
MID=gen-msg-
. "$(dirname "$0")/agent_gw.inc"
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen "p1gen"
msg() { perl -pe "s/gen-msg-1/gen-msg-$1/g" "$d/gen/gen_msg.p1" > "$d/m$1.p1"; }
T() { _s=$1; shift; OXGATE_NOW=$((T0 + _s)) "$SP" $C "$@" 2>>"$g/log"; }

# --- hold --until ------------------------------------------------------
check_fails until_past 65 at 0 "$O" $C partner hold p --until "@$((T0 - 60))"
check_fails until_bad 65 at 0 "$O" $C partner hold p --until tomorrowish
check hold_until at 0 "$O" $C partner hold p --until +1h
o=$(at 0 "$O" $C partner show p)
case $o in *"state: hold until $(iso $((T0 + 3600)))"*"hold-until"*"until $(iso $((T0 + 3600)))"*) pass show_until ;; *) fail show_until "$o" ;; esac
case $(at 0 "$O" $C partner list) in *"p "*"hold"*"until $(iso $((T0 + 3600)))"*) pass list_until ;; *) fail list_until "$(at 0 "$O" $C partner list)" ;; esac

# --- held files: only for a session the station opened ----------------
# (the takes run 15 min after T0 on the clock: a queue item whose file
# is newer than the clock is not yet due, and T0 is the minute the test
# began, so a slow run, e.g. under valgrind, made its files "later" than
# a take at T0 + 60 s)
msg 1; put 1
check convert_1 at 0 "$X2O" $C --spool
f=$(pairs "$S/hold/p")
[ -n "$f" ] && [ "$(st 1)" = held ] && [ -z "$(pairs "$S/oftp/out")" ] && pass held_in_hold_dir || fail held_in_hold_dir "$(st 1) $(ls -R "$S/hold")"
[ -z "$(T 900 take --station O0013RITA)" ] && pass outbound_session_no_held || fail outbound_session_no_held "a held file was taken"
check_fails inbound_needs_station 64 T 900 take --inbound
eval "$(T 900 take --station O0013RITA --inbound)"
[ "$OFTP_KIND" = file ] && [ "$OFTP_DESTINATION" = O0013RITA ] && [ "$(basename "$OFTP_FILE_PATH")" = "$f" ] && pass inbound_takes_held || fail inbound_takes_held "$(tail -2 "$g/log")"
[ -z "$(pairs "$S/hold/p")" ] && pass held_claimed || fail held_claimed "$(ls "$S/hold/p")"
check inbound_done T 960 done "$OFTP_TOKEN"
[ "$(st 1)" = sent ] && pass held_sent_in_session || fail held_sent_in_session "$(st 1)"
case $("$O" $C status "[DE*VIAT*OFTP;gen-msg-1]") in *"held"*"sent"*"sent from hold/p (oxspool done)"*) pass held_sent_history ;; *) fail held_sent_history "history" ;; esac
# failed in the session: back into hold/p, not into oftp/out
msg 2; put 2
check convert_2 at 960 "$X2O" $C --spool
eval "$(T 1020 take --station O0013RITA --inbound)"
check inbound_failed T 1020 failed "$OFTP_TOKEN" --reason "session dropped" --retry 1
[ -n "$(pairs "$S/hold/p")" ] && [ -z "$(pairs "$S/oftp/out")" ] && [ "$(st 2)" = held ] && pass failed_back_to_hold || fail failed_back_to_hold "$(ls -R "$S/hold" "$S/oftp/out")"

# --- the end of the hold ------------------------------------------------
msg 3; put 3
check convert_3 at 3600 "$X2O" $C --spool
[ "$(st 3)" = converted ] && [ -n "$(pairs "$S/oftp/out")" ] && pass hold_over_new_files_out || fail hold_over_new_files_out "$(st 3)"
[ "$(st 2)" = held ] && pass held_until_sweep || fail held_until_sweep "$(st 2)"
o=$(at 3600 "$O" -v $C expire 2>&1)
case $o in *"[p] hold ended"*"1 file released"*) pass sweep_ends_hold ;; *) fail sweep_ends_hold "$o" ;; esac
[ "$(st 2)" = converted ] && [ -z "$(pairs "$S/hold/p")" ] && [ "$(pairs "$S/oftp/out" | wc -l)" -eq 2 ] && pass sweep_releases_held || fail sweep_releases_held "$(st 2) $(ls -R "$S/hold" "$S/oftp/out")"
o=$(at 3600 "$O" $C partner show p)
case $o in *"state: active"*"release "*"oxtrace expire"*"was hold until $(iso $((T0 + 3600)))"*"released "*) pass release_in_history ;; *) fail release_in_history "$o" ;; esac
# a hold without an end stays
check hold_open at 3600 "$O" $C partner hold p
check sweep_later at 3600 "$O" $C expire --now "@$((T0 + 90000))"
case $(at 3600 "$O" $C partner show p) in *"state: hold"*) pass hold_without_until_stays ;; *) fail hold_without_until_stays "released" ;; esac
