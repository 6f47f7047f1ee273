# The timers of a partnership in agent mode (issue 22; seed 000,
# "Management des OFTP2-Zugangs": "im Agent Modus festlegen, wie lange
# der OFTP2-Zugang versuchen soll, Dateien oder asynchrone EERP an seine
# direkt angebundene OFTP Station auszuliefern, bzw. wie der
# OFTP2-Zugang reagieren soll, wenn die OFTP Station keine asynchrone
# EERP zuruecksendet. Sind die Timer abgelaufen, werden die
# Transaktionen auf fehlerhaft gesetzt und die Dateien in ein
# Ueberlaufverzeichnis verschoben"). On a simulated clock (OXGATE_NOW,
# oxtrace expire --now) through the real programs:
#   delivery-timer: a file still in oftp/out expires after it, not after
#     the X.400 expiry (24 h): overflow/, and the originator, who got
#     the DR at the hand-over (seed: agent mode DN at the hand-over to
#     the OFTP module), gets the NRN he asked for (X.420 non-receipt,
#     ipm-discarded, discard-reason ipm-expired), no NDR;
#   eerp-timer: a file the daemon took becomes sent at the sweep, and
#     expires with an NDR ("EERP timeout") only after eerp-timer more;
#   eerp-out-timer: an EERP left in oftp/eerp.out goes to overflow/;
#   the keys and their checks (--check-config).
. "$(dirname "$0")/lib.sh"
d=$OX_TMP/timers
MID=gen-p1-
OXGATE_EXTRA=$(printf '[timers]\ndelivery = 50\neerp = 50\neerp-out = 50\n')
PARTNER_EXTRA=$(printf 'delivery-timer = 2\neerp-timer = 3\neerp-out-timer = 1\n')
. "$(dirname "$0")/agent_gw.inc"
"$OX_TOOLS/p22gen" "$d/gen" >/dev/null || fail p22gen "p22gen"
# gen_att: an IPM for Rita who is asked for an RN; its per-recipient
# indicators (X.411 PerRecipientIndicators: responsibility 0,
# originating-MTA-report 1, -non-delivery-report 2, originator-report 3,
# originator-non-delivery-report 4) made: a DR asked (00d0), or only
# NDRs (00a8)
$BE "$d/gen/gen_att.p1" "$d/att1.p1" value a0/31/a2/31/81 00d0 || fail fixture beredit
$BE "$d/gen/gen_att.p1" "$d/att0.p1" value a0/31/a2/31/81 00a8 || fail fixture beredit
msg() {	# ID(3 characters) DR(0/1): the message under MTS local ID gen-p1-ID
	perl -pe "s/gen-p1-att/gen-p1-$1/g" "$d/att$2.p1" > "$d/m$1.p1"
}
sweep() { "$O" $C expire --now "@$((T0 + $1))" 2>>"$g/log"; }

# --- the keys: defaults in oxgate.ini, per partnership, checked --------
check check_config "$O" $C --check-config
k=$d/keys; mkdir -p "$k"
cp "$g/oxgate.ini" "$k/oxgate.ini"
printf '[t]\nodette = O0013T\nx400 = %s\nmode = transfer\ndelivery-timer = 5\n' "$SAM" > "$k/partners.ini"
o=$("$O" -c "$k/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[t] delivery-timer: agent mode only"*) true ;; *) false ;; esac && pass transfer_timer_refused || fail transfer_timer_refused "rc $rc: $o"
printf '[a]\nodette = O0013A\nx400 = %s\neerp-timer = 0\n' "$SAM" > "$k/partners.ini"
o=$("$O" -c "$k/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[a] eerp-timer"*) true ;; *) false ;; esac && pass timer_zero_refused || fail timer_zero_refused "rc $rc: $o"
printf '[spool]\nroot = spool\n[timers]\neerp-out = soon\n' > "$k/oxgate.ini"
o=$("$O" -c "$k/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[timers] eerp-out"*) true ;; *) false ;; esac && pass default_timer_checked || fail default_timer_checked "rc $rc: $o"

# --- delivery-timer: not fetched within 2 h -> overflow, NRN -----------
msg DR1 1; put DR1
check convert_dr1 at 0 "$X2O" $C --spool
f=$(ls "$S/oftp/out" | grep '\.sfid$' | sed 's/\.sfid$//')
[ -n "$f" ] && [ "$(st DR1)" = converted ] && pass dr1_converted || fail dr1_converted "$(st DR1) $(ls "$S/oftp/out")"
[ "$(row DR1 deadline)" = "$(iso $((T0 + 7200)))" ] && pass deadline_is_delivery_timer || fail deadline_is_delivery_timer "$(row DR1 deadline), not $(iso $((T0 + 7200)))"
n0=$(ls "$S/x400/out" | grep -c '\.p1$')	# the DR of the hand-over
[ "$n0" -eq 1 ] && pass agent_dr_at_handover || fail agent_dr_at_handover "$(ls "$S/x400/out")"
check sweep_before at 0 sweep 7199
[ "$(st DR1)" = converted ] && [ -f "$S/oftp/out/$f.sfid" ] && pass not_before_delivery_timer || fail not_before_delivery_timer "$(st DR1)"
check sweep_delivery at 0 sweep 7200
[ "$(st DR1)" = overflow ] && [ -f "$S/overflow/$f" ] && [ -f "$S/overflow/$f.sfid" ] && [ ! -e "$S/oftp/out/$f" ] && pass delivery_timer_overflow || fail delivery_timer_overflow "$(st DR1) $(ls "$S/overflow")"
nrn=$(ack DR1)
o=$("$D" "$S/x400/out/$nrn" 2>&1)
case $o in *"recipient-name: /G=Sam/S=Sender/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/"*"kind: IPN"*"gen-att"*"non-receipt-reason: ipm-discarded"*"discard-reason: ipm-expired"*) pass delivery_timer_nrn ;; *) fail delivery_timer_nrn "$nrn: $(printf '%s' "$o" | head -30)" ;; esac
[ "$(ls "$S/x400/out" | grep -c '\.p1$')" -eq 2 ] && pass no_ndr_after_dr || fail no_ndr_after_dr "$(ls "$S/x400/out")"
case $("$O" $C status "[DE*VIAT*OFTP;gen-p1-DR1]") in *"delivery timeout"*"within 2 hours"*) pass delivery_timeout_note ;; *) fail delivery_timeout_note "note" ;; esac

# --- eerp-timer: taken, then 3 h for the EERP -> NDR -------------------
msg NE1 0; put NE1
check convert_ne1 at 0 "$X2O" $C --spool
f=$(ls "$S/oftp/out" | grep '\.sfid$' | sed 's/\.sfid$//')
mkdir -p "$d/taken"; mv "$S/oftp/out/$f.sfid" "$S/oftp/out/$f" "$d/taken/"	# a daemon took it
check sweep_taken at 0 sweep 7200
[ "$(st NE1)" = sent ] && pass taken_is_sent || fail taken_is_sent "$(st NE1)"
[ "$(row NE1 deadline)" = "$(iso $((T0 + 7200 + 10800)))" ] && pass eerp_timer_deadline || fail eerp_timer_deadline "$(row NE1 deadline)"
check sweep_eerp_early at 0 sweep $((7200 + 10799))
[ "$(st NE1)" = sent ] && pass not_before_eerp_timer || fail not_before_eerp_timer "$(st NE1)"
check sweep_eerp at 0 sweep $((7200 + 10800))
[ "$(st NE1)" = expired ] && pass eerp_timer_expired || fail eerp_timer_expired "$(st NE1)"
ndr=$(ack NE1)
o=$("$D" "$S/x400/out/$ndr" 2>&1)
case $o in *"non-delivery"*"EERP timeout"*"within 3 hours"*) pass eerp_timer_ndr ;; *) fail eerp_timer_ndr "$ndr: $(printf '%s' "$o" | head -30)" ;; esac
case $("$O" $C status "[DE*VIAT*OFTP;gen-p1-NE1]") in *"history:"*"converted"*"sent"*"expired"*) pass history_sent_expired ;; *) fail history_sent_expired "history" ;; esac

# --- eerp-out-timer: an EERP for the station left in oftp/eerp.out -----
mkdir -p "$S/oftp/in/tmp"
echo invoice > "$d/inv"
check put_file at 0 "$SP" $C put -s dsn=INVOICE -s date=20261207 -s time=1000000001 -s orig=O0013RITA -s dest=O0177000000000X0LU000042 -s format=U "$d/inv"
check convert_o2x at 0 "$O2X" $C --spool
e=$(ls "$S/oftp/eerp.out" | grep -v '^tmp$')
[ -n "$e" ] && pass eerp_waits || fail eerp_waits "$(ls "$S/oftp/eerp.out")"
check sweep_eerp_out_early at 0 sweep 3599
[ -f "$S/oftp/eerp.out/$e" ] && pass eerp_out_not_before || fail eerp_out_not_before "$(ls "$S/overflow")"
o=$(OXGATE_NOW=$((T0 + 3600)) "$O" -v $C expire 2>&1)
[ -f "$S/overflow/$e" ] && [ ! -e "$S/oftp/eerp.out/$e" ] && pass eerp_out_overflow || fail eerp_out_overflow "$o"
case $o in *"1 EERP/NERP not collected"*) pass eerp_out_counted ;; *) fail eerp_out_counted "$o" ;; esac
s=$("$O" $C list --dir oftp2x400 | head -1)
case $s in *overflow*) pass eerp_out_trace_overflow ;; *) fail eerp_out_trace_overflow "$s" ;; esac
id=$(printf '%s' "$s" | awk '{print $1}')
case $("$O" $C status "$id") in *"eerp-sent"*"expired"*"not collected from oftp/eerp.out within 1 hours"*"overflow"*) pass eerp_out_history ;; *) fail eerp_out_history "$("$O" $C status "$id")" ;; esac
# a second sweep changes nothing
before=$(ls -R "$S" | md5sum)
check sweep_again at 0 sweep 90000
[ "$(ls -R "$S" | md5sum)" = "$before" ] && pass sweep_idempotent || fail sweep_idempotent "$(ls -R "$S")"
