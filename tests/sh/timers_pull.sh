# oxspool done / failed and the trace (issue 22, issue 23 "take / done /
# failed": "on done remove it and record the time in the trace; failed
# with a reason puts it back with backoff or into overflow after the
# partner's delivery timer"). On a simulated clock (OXGATE_NOW), a
# partnership in agent mode (delivery-timer 2 h, eerp-timer 3 h):
#   done: the transaction becomes sent at the time of done, its deadline
#     the eerp-timer from then; the EERP/NERP taken gets a history line;
#   failed: back into oftp/out, not to be taken before --retry seconds,
#     doubled at the next failure, each counted (oxtrace deferred);
#   failed after the delivery deadline: into overflow/, and the next
#     oxtrace expire answers it as a file never fetched (overflow, NDR).
. "$(dirname "$0")/lib.sh"
d=$OX_TMP/timers_pull
MID=gen-p1-
PARTNER_EXTRA=$(printf 'delivery-timer = 2\neerp-timer = 3\n')
. "$(dirname "$0")/agent_gw.inc"
"$OX_TOOLS/p22gen" "$d/gen" >/dev/null || fail p22gen "p22gen"
# gen_att with only NDRs asked (X.411 PerRecipientIndicators:
# responsibility, originating-MTA-non-delivery-report,
# originator-non-delivery-report)
$BE "$d/gen/gen_att.p1" "$d/att.p1" value a0/31/a2/31/81 00a8 || fail fixture beredit
msg() { perl -pe "s/gen-p1-att/gen-p1-$1/g" "$d/att.p1" > "$d/m$1.p1"; }
T() { _s=$1; shift; OXGATE_NOW=$((T0 + _s)) "$SP" $C "$@" 2>>"$g/log"; }

# --- done: sent, the EERP timer from then ------------------------------
msg DN1; put DN1
check convert_dn1 at 0 "$X2O" $C --spool
eval "$(T 600 take --station O0013RITA)"
[ "$OFTP_KIND" = file ] && pass take_file || fail take_file "$(tail -3 "$g/log")"
[ "$(st DN1)" = converted ] && pass claimed_still_converted || fail claimed_still_converted "$(st DN1)"
check done_dn1 T 1200 done "$OFTP_TOKEN"
[ "$(st DN1)" = sent ] && pass done_records_sent || fail done_records_sent "$(st DN1)"
[ "$(row DN1 deadline)" = "$(iso $((T0 + 1200 + 10800)))" ] && pass done_starts_eerp_timer || fail done_starts_eerp_timer "$(row DN1 deadline)"
case $("$O" $C status "[DE*VIAT*OFTP;gen-p1-DN1]") in *"$(iso $((T0 + 1200))) sent"*"oxspool done"*) pass done_time_in_history ;; *) fail done_time_in_history "$("$O" $C status "[DE*VIAT*OFTP;gen-p1-DN1]")" ;; esac
# before its deadline the sweep leaves it; after, the EERP timeout NDR
check sweep_dn1_early "$O" $C expire --now "@$((T0 + 1200 + 10799))"
[ "$(st DN1)" = sent ] && pass sent_waits_for_eerp || fail sent_waits_for_eerp "$(st DN1)"
check sweep_dn1 "$O" $C expire --now "@$((T0 + 1200 + 10800))"
[ "$(st DN1)" = expired ] && pass sent_expires || fail sent_expires "$(st DN1)"

# --- failed: back with backoff, counted --------------------------------
# (30 min after T0 on the clock: a queue item whose file is newer than
# the clock is not yet due, and T0 is the minute the test began)
msg FB1; put FB1
check convert_fb1 at 0 "$X2O" $C --spool
eval "$(T 1860 take --station O0013RITA)"; tok=$OFTP_TOKEN; f=$(basename "$OFTP_FILE_PATH")
check failed_fb1 T 1860 failed "$tok" --reason "link down" --retry 100
[ -f "$S/oftp/out/$f.sfid" ] && [ "$(st FB1)" = converted ] && pass failed_back_in_queue || fail failed_back_in_queue "$(ls "$S/oftp/out") $(st FB1)"
[ -z "$(T 1959 take --station O0013RITA)" ] && pass failed_not_before_retry || fail failed_not_before_retry "taken early"
o=$("$O" $C deferred 2>&1)
case $o in *"oftp/out"*"$f"*" 1 "*"link down"*) pass failed_counted ;; *) fail failed_counted "$o" ;; esac
eval "$(T 1960 take --station O0013RITA)"
[ "$OFTP_TOKEN" != "$tok" ] && [ -n "$OFTP_TOKEN" ] && pass taken_after_retry || fail taken_after_retry "$(tail -2 "$g/log")"
check failed_fb1_again T 1960 failed "$OFTP_TOKEN" --reason "link down" --retry 100
[ -z "$(T 2159 take --station O0013RITA)" ] && pass backoff_doubled || fail backoff_doubled "taken before 200 s"
eval "$(T 2160 take --station O0013RITA)"
[ -n "$OFTP_TOKEN" ] && pass taken_after_backoff || fail taken_after_backoff "$(tail -2 "$g/log")"
check done_fb1 T 2200 done "$OFTP_TOKEN"
case $("$O" $C deferred 2>&1) in *"$f"*) fail done_clears_deferral "still listed" ;; *) pass done_clears_deferral ;; esac

# --- failed after the delivery deadline: overflow, then the sweep ------
msg OV1; put OV1
check convert_ov1 at 0 "$X2O" $C --spool
eval "$(T 7100 take --station O0013RITA)"; f=$(basename "$OFTP_FILE_PATH")
check failed_late T 7200 failed "$OFTP_TOKEN" --reason "station refused"
[ -f "$S/overflow/$f" ] && [ -f "$S/overflow/$f.sfid" ] && [ ! -e "$S/oftp/out/$f.sfid" ] && pass failed_late_to_overflow || fail failed_late_to_overflow "$(ls "$S/overflow" "$S/oftp/out")"
grep -q "delivery deadline has passed" "$g/log" && pass failed_late_logged || fail failed_late_logged "$(tail -2 "$g/log")"
check sweep_ov1 "$O" $C expire --now "@$((T0 + 7200))"
[ "$(st OV1)" = overflow ] && pass failed_late_ends_overflow || fail failed_late_ends_overflow "$(st OV1)"
o=$("$D" "$S/x400/out/$(ack OV1)" 2>&1)
case $o in *"non-delivery"*"delivery timeout"*) pass failed_late_ndr ;; *) fail failed_late_ndr "$(ack OV1): $(printf '%s' "$o" | head -20)" ;; esac

# --- sent, then the station's EERP (an OnDelivered hook: the file's own
# fields, reason 0): answered as before ----------------------------------
msg EE1; put EE1
check convert_ee1 at 0 "$X2O" $C --spool
eval "$(T 7300 take --station O0013RITA)"
check done_ee1 T 7300 done "$OFTP_TOKEN"
env OFTP_VIRTUAL_FILE_NAME="$OFTP_VIRTUAL_FILE_NAME" OFTP_FILE_DATE="$OFTP_FILE_DATE" \
    OFTP_FILE_TIME="$OFTP_FILE_TIME" OFTP_ORIGINATOR="$OFTP_ORIGINATOR" \
    OFTP_DESTINATION="$OFTP_DESTINATION" OFTP_REASON_CODE=0 OXGATE_NOW=$((T0 + 7400)) \
    "$SP" $C put --eerp --env >/dev/null 2>>"$g/log" && pass eerp_put || fail eerp_put "$(tail -2 "$g/log")"
check e2r_ee1 at 7400 "$OX_ABIN/eerp2report" $C --spool
[ "$(st EE1)" = eerp-received ] && pass sent_takes_eerp || fail sent_takes_eerp "$(st EE1) $(tail -3 "$g/log")"
