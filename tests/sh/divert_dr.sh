# Divert in agent mode (issue 22): no positive delivery report while the
# file sits in overflow/. Seed 000: agent mode "Auslieferbestaetigung/
# Nicht-Auslieferbestaetigung (DN/NDN) -> Uebergabe der X.400 Mitteilung
# an das OFTP- Kommunikationsmodul des Zugangs", and divert sends "alle
# Dateien direkt in das Ueberlaufverzeichnis": a diverted file has not
# been handed to the OFTP side, so its DR waits for oxtrace overflow
# reactivate (the hand-over), or the delivery timer ends it with the NDR
# instead; never both. On a simulated clock.
. "$(dirname "$0")/lib.sh"
d=$OX_TMP/divert_dr
MID=gen-msg-
PARTNER_EXTRA=$(printf 'delivery-timer = 2\n')
. "$(dirname "$0")/agent_gw.inc"
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen "p1gen"
# gen_msg: Rita (ours) asks for a DR (originator-report)
msg() { perl -pe "s/gen-msg-1/gen-msg-$1/g" "$d/gen/gen_msg.p1" > "$d/m$1.p1"; }
id() { row "$1" id; }
# the reports in x400/out: DRs (a delivery), NDRs; Otto, the second
# recipient of gen_msg, is no partnership: his NDR comes at conversion
reports() { ls "$S/x400/out" 2>/dev/null | grep -c '\.p1$'; }
drs() { _n=0; for _f in "$S"/x400/out/*.p1; do [ -f "$_f" ] && "$D" "$_f" | grep -q 'message-delivery-time' && _n=$((_n + 1)); done; echo $_n; }
kinds() { for _f in "$S"/x400/out/*.p1; do [ -f "$_f" ] && "$D" "$_f" | grep -E '^kind|delivery-time|non-delivery-reason'; done | tr '\n' ','; }

check divert at 0 "$O" $C partner divert p
# --- diverted: no DR while in overflow/ --------------------------------
msg 1; put 1
at 0 "$X2O" $C --spool 2>"$g/log" && pass convert_1 || fail convert_1 "$(cat "$g/log")"
[ "$(st 1)" = diverted ] && [ -n "$(pairs "$S/overflow")" ] && pass diverted_to_overflow || fail diverted_to_overflow "$(st 1)"
[ "$(drs)" -eq 0 ] && [ "$(reports)" -eq 1 ] && pass no_dr_while_diverted || fail no_dr_while_diverted "$(kinds)"
grep -q "delivery report waits until the diverted file leaves" "$g/log" && pass dr_wait_logged || fail dr_wait_logged "$(cat "$g/log")"
# --- reactivate: the file leaves, the DR goes with it ------------------
check reactivate_1 at 600 "$O" $C overflow reactivate "$(id 1)"
[ "$(st 1)" = converted ] && [ -n "$(pairs "$S/oftp/out")" ] && pass reactivated_out || fail reactivated_out "$(st 1)"
[ "$(drs)" -eq 1 ] && pass dr_at_reactivation || fail dr_at_reactivation "$(kinds)"
o=$("$D" "$S/x400/out/$(ack 1)" 2>&1)
case $o in *"kind: P1 report"*"gen-msg-1"*"/G=Rita/S=Receiver/"*"message-delivery-time"*) pass dr_is_delivery_report ;; *) fail dr_is_delivery_report "$(ack 1): $(printf '%s' "$o" | head -30)" ;; esac
case $o in *"non-delivery"*) fail dr_not_ndr "$o" ;; *) pass dr_not_ndr ;; esac
case $("$O" $C status "[DE*VIAT*OFTP;gen-msg-1]") in *"diverted"*"reactivated"*"delivery report"*) pass dr_in_history ;; *) fail dr_in_history "history" ;; esac
# the sweep later: the DR was sent, so no NDR (no RN asked: nothing)
mv "$S/oftp/out/"* "$d/" 2>/dev/null; mkdir -p "$S/oftp/out/tmp"	# the daemon took it
check sweep_1 at 0 "$O" $C expire --now "@$((T0 + 600 + 7200 + 86400 * 2))"
[ "$(reports)" -eq 2 ] && pass no_ndr_after_dr || fail no_ndr_after_dr "$(kinds)"
# --- diverted until the delivery timer: the NDR, never a DR ------------
msg 2; put 2
check convert_2 at 100 "$X2O" $C --spool
check sweep_2_early at 0 "$O" $C expire --now "@$((T0 + 100 + 7199))"
[ "$(st 2)" = diverted ] && pass diverted_waits || fail diverted_waits "$(st 2)"
check sweep_2 at 0 "$O" $C expire --now "@$((T0 + 100 + 7200))"
[ "$(st 2)" = overflow ] && pass diverted_expires || fail diverted_expires "$(st 2)"
o=$("$D" "$S/x400/out/$(ack 2)" 2>&1)
case $o in *"kind: P1 report"*"gen-msg-2"*"non-delivery"*"delivery timeout"*) pass diverted_ndr ;; *) fail diverted_ndr "$(ack 2): $(printf '%s' "$o" | head -30)" ;; esac
n=$(reports)
check reactivate_2 at 0 "$O" $C overflow reactivate "$(id 2)"
[ "$(reports)" -eq "$n" ] && [ "$(drs)" -eq 1 ] && pass no_dr_after_ndr || fail no_dr_after_ndr "$(kinds)"
