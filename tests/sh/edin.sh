# EDI notifications (X.435) end to end: EDIMs built by edimgen with
# pn / nn requests go through the real x4002oftp into OFTP files; the
# test plays the OFTP daemon and drops the station's EERP / NERP into
# spool/oftp/eerp.in; eerp2report writes the positive or negative EDIN
# (besides the DR / NDR in transfer mode). Every P1 passes Wireshark's
# decoder (x400check), the P35 EDIN fields are read with our decoder
# (oxdump, verified against the X.435 module). An EDIM x4002oftp refuses
# gets a negative EDIN for every recipient that asked for NN.
. "$(dirname "$0")/lib.sh"
d=$OX_TMP/edin
OXGATE_EXTRA='[oftp]\nmax-file-size = 1K\n'
. "$(dirname "$0")/edi_gw.inc"
NOBODY=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Nobody/
NOBODY_P='/S=Nobody/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/'
sfid() {	# LOCAL KEY: a field of the file x4002oftp made for message LOCAL
	_f=$(grep -l "mts-id = \"\[DE\*VIAT\*OFTP;$1\]\"" "$g"/spool/oftp/out/*.sfid | head -1)
	sed -n "s/^$2 *= *//p" "$_f"
}
eerp() {	# NAME e|n:R LOCAL: the station's answer to the file of message LOCAL
	"$G" eerp "$ei/tmp/$1" "$2" "$(sfid "$3" dsn)" "$(sfid "$3" date)" "$(sfid "$3" time)" \
	    "$(sfid "$3" orig)" "$(sfid "$3" dest)" && mv "$ei/tmp/$1" "$ei/$1"
}

# 1. transfer mode: Rita asked pn+nn, Nobody (no partnership) nn
"$EG" edim "$d/t1.p1" edin-t1 "$JOHN" edim-t1 "$d/ichg" "$RITA#pn,nn" "$NOBODY#nn" ||
    fail gen_t1 "edimgen"
check t1_x400check "$CHK" -q p1 "$d/t1.p1"
put t1.p1 "$d/t1.p1"
check t1_x4002oftp x2o
[ "$(row edin-t1 edin_req)" = 3 ] && pass trace_records_pn_nn_requested || fail trace_records_pn_nn_requested "edin_req '$(row edin-t1 edin_req)'"
[ "$(row edin-t1 edim_id)" = "$JOHN_P;edim-t1" ] && pass trace_edim_id || fail trace_edim_id "$(row edin-t1 edim_id)"
has unknown_rcpt_nn "$(edin_on edim-t1 negative)" "content-type: edi-interchange (35)" \
    "recipient-name: $JOHN_P" "originator-name: $NOBODY_P" "edin-originator: $NOBODY_P" \
    "first-recipient: $NOBODY_P" "source: user-agent-or-ms" "basic-code: unspecified (0)" \
    "supplementary-info: recipient $NOBODY_P is no OFTP partnership"
[ "$(edin_on edim-t1 negative | wc -l)" -eq 1 ] && pass unknown_rcpt_one_nn || fail unknown_rcpt_one_nn "$(edin_on edim-t1 negative)"
case $(row edin-t1 note) in *"negative EDI notification"*) pass trace_notes_nn_unknown ;; *) fail trace_notes_nn_unknown "$(row edin-t1 note)" ;; esac
[ -z "$(row edin-t1 edin_sent)" ] && pass unknown_nn_leaves_pn_owed || fail unknown_nn_leaves_pn_owed "$(row edin-t1 edin_sent)"
eerp t1e e edin-t1
check t1_eerp2report e2r
pn=$(edin_on edim-t1 positive)
has transfer_eerp_pn "$pn" "kind: P1 message" "content-type: edi-interchange (35)" \
    "recipient-name: $JOHN_P" "originator-name: $RITA_P" "positive-notification:" \
    "subject-edim: $JOHN_P;edim-t1" "edin-originator: $RITA_P" "first-recipient: $RITA_P" \
    "notification-time: 20" "edin-initiator: internal-ua (0)" "supplementary-info: OFTP EERP from O0013RITA"
ack=$(row edin-t1 ack_file)
has transfer_eerp_dr_too "$xo/$ack" "kind: P1 report" "subject-identifier: [DE*VIAT*OFTP;edin-t1]" "delivery:"
[ "$(row edin-t1 state)" = eerp-received ] && [ "$(row edin-t1 edin_sent)" = PN ] && pass trace_pn_sent ||
    fail trace_pn_sent "$(row edin-t1 state) $(row edin-t1 edin_sent)"
case $(row edin-t1 note) in *"DR $ack, EDIN PN ${pn##*/}"*) pass trace_note_names_both ;; *) fail trace_note_names_both "$(row edin-t1 note)" ;; esac
q "SELECT h.note FROM trace_history h JOIN trace t ON t.id = h.trace_id WHERE t.mts_id = '[DE*VIAT*OFTP;edin-t1]'" | grep -q 'EDIN PN' &&
    pass history_names_edin || fail history_names_edin "no history line"
# a second EERP (and a late NERP) make no second EDIN
before=$(ls "$xo" | wc -l)
eerp t1e2 e edin-t1
eerp t1n n:35 edin-t1
check_fails second_eerp_exit_0 0 e2r
[ "$(ls "$xo" | wc -l)" -eq "$before" ] && [ "$(edin_on edim-t1 positive | wc -l)" -eq 1 ] && [ -z "$(edin_on edim-t1 negative | sed 1d)" ] &&
    pass second_eerp_no_second_edin || fail second_eerp_no_second_edin "$(ls "$xo" | wc -l) files, was $before"

# 2. transfer mode NERP 12 -> NDR and NN with the mapped reason
"$EG" edim "$d/t2.p1" edin-t2 "$JOHN" edim-t2 "$d/ichg" "$RITA#pn,nn" || fail gen_t2 edimgen
put t2.p1 "$d/t2.p1"; x2o
eerp t2n n:12 edin-t2
e2r
has transfer_nerp12_nn "$(edin_on edim-t2 negative)" "negative-notification:" "subject-edim: $JOHN_P;edim-t2" \
    "edin-originator: $RITA_P" "source: user" "basic-code: interchange-recipient-unknown (3)" \
    "supplementary-info: OFTP NERP 12 from O0013RITA"
has transfer_nerp12_ndr_too "$xo/$(row edin-t2 ack_file)" "non-delivery-reason-code: unable-to-transfer (1)" "unrecognised-OR-name (0)"
[ "$(row edin-t2 state)" = nerp-received ] && [ "$(row edin-t2 edin_sent)" = NN ] && pass trace_nn_sent ||
    fail trace_nn_sent "$(row edin-t2 state) $(row edin-t2 edin_sent)"
[ -z "$(edin_on edim-t2 positive)" ] && pass nerp_no_pn || fail nerp_no_pn "a PN"

# 3. transfer mode, only pn asked: a NERP gets the NDR and no EDIN
"$EG" edim "$d/t3.p1" edin-t3 "$JOHN" edim-t3 "$d/ichg" "$RITA#pn" || fail gen_t3 edimgen
put t3.p1 "$d/t3.p1"; x2o
[ "$(row edin-t3 edin_req)" = 1 ] && pass trace_pn_only || fail trace_pn_only "$(row edin-t3 edin_req)"
eerp t3n n:16 edin-t3; e2r
[ -z "$(edin_on edim-t3 negative)" ] && [ -n "$(row edin-t3 ack_file)" ] && [ -z "$(row edin-t3 edin_sent)" ] &&
    pass nn_not_asked_no_nn || fail nn_not_asked_no_nn "$(edin_on edim-t3 negative) $(row edin-t3 edin_sent)"

# 4. agent mode: the EDIN instead of the RN / NRN (the DR went at once)
"$EG" edim "$d/a1.p1" edin-a1 "$JOHN" edim-a1 "$d/ichg" "$TOM#pn,nn" || fail gen_a1 edimgen
"$EG" edim "$d/a2.p1" edin-a2 "$JOHN" edim-a2 "$d/ichg" "$TOM#pn,nn" || fail gen_a2 edimgen
"$EG" edim "$d/a3.p1" edin-a3 "$JOHN" edim-a3 "$d/ichg" "$TOM" || fail gen_a3 edimgen
put a1.p1 "$d/a1.p1"; put a2.p1 "$d/a2.p1"; put a3.p1 "$d/a3.p1"; x2o
eerp a1e e edin-a1; eerp a2n n:36 edin-a2; eerp a3e e edin-a3
check agent_eerp2report e2r
has agent_eerp_pn "$(edin_on edim-a1 positive)" "subject-edim: $JOHN_P;edim-a1" "edin-originator: $TOM_P" "originator-name: $TOM_P"
[ "$(row edin-a1 ack_file)" = "$(basename "$(edin_on edim-a1 positive)")" ] && pass agent_ack_is_edin || fail agent_ack_is_edin "$(row edin-a1 ack_file)"
has agent_nerp36_nn "$(edin_on edim-a2 negative)" "source: user-agent-or-ms" "basic-code: delivery-timeout (2)" "OFTP NERP 36"
o=$(for f in "$xo"/*.p1; do "$D" "$f"; done 2>/dev/null)
case $o in *receipt-fields*|*non-receipt*) fail agent_no_ipn "an IPN was written" ;; *) pass agent_no_ipn ;; esac
[ "$(row edin-a3 state)" = eerp-received ] && [ -z "$(edin_on edim-a3 positive)" ] && [ -z "$(row edin-a3 edin_sent)" ] &&
    pass agent_no_request_no_edin || fail agent_no_request_no_edin "$(row edin-a3 state) $(row edin-a3 ack_file)"
case $(row edin-a3 note) in *"no positive EDI notification was asked for"*) pass agent_note_not_asked ;; *) fail agent_note_not_asked "$(row edin-a3 note)" ;; esac
[ ! -e "$g/spool/failed/a1e" ] && [ ! -e "$g/spool/failed/a3e" ] && pass agent_edi_not_refused || fail agent_edi_not_refused "$(ls "$g/spool/failed")"

# 5. refused: an interchange above max-file-size (1K): NDR content-too-long
# for both, NN for the one recipient that asked for it, failed/ + .why
head -c 2000 /dev/zero | tr '\0' 'A' > "$d/big"
{ cat "$d/ichg"; cat "$d/big"; } > "$d/bigichg"
"$EG" edim "$d/r1.p1" edin-r1 "$JOHN" edim-r1 "$d/bigichg" "$RITA#pn" "$TOM#nn" || fail gen_r1 edimgen
put r1.p1 "$d/r1.p1"
check_fails refused_exit_0 0 x2o
grep -q 'above the maximum file size' "$g/spool/failed/r1.p1.why" 2>/dev/null && pass refused_failed_why || fail refused_failed_why "$(ls "$g/spool/failed")"
[ "$(edin_on edim-r1 negative | wc -l)" -eq 1 ] && pass refused_one_nn_per_requester || fail refused_one_nn_per_requester "$(edin_on edim-r1 negative | wc -l)"
has refused_nn_fields "$(edin_on edim-r1 negative)" "edin-originator: $TOM_P" "basic-code: unspecified (0)" \
    "supplementary-info: the interchange of" "recipient-name: $JOHN_P"
ndr=$(grep -l 'edin-r1' "$xo"/*.p1 | while read -r f; do "$D" "$f" | grep -q 'kind: P1 report' && echo "$f"; done | head -1)
has refused_ndr_too "$ndr" "content-too-long (7)" "$RITA_P" "$TOM_P"
[ "$(row edin-r1 state)" = failed ] && [ "$(row edin-r1 edin_sent)" = NN ] && pass refused_trace || fail refused_trace "$(row edin-r1 state) $(row edin-r1 edin_sent)"

# 6. refused: an EDIM whose every recipient is unknown (EX_NOUSER)
"$EG" edim "$d/r2.p1" edin-r2 "$JOHN" edim-r2 "$d/ichg" "$NOBODY#nn,pn" || fail gen_r2 edimgen
put r2.p1 "$d/r2.p1"; x2o
has unknown_only_nn "$(edin_on edim-r2 negative)" "edin-originator: $NOBODY_P"
grep -q 'negative EDI notification' "$g/spool/failed/r2.p1.why" 2>/dev/null && pass unknown_only_why_names_nn || fail unknown_only_why_names_nn "$(cat "$g/spool/failed/r2.p1.why" 2>&1)"

# 7. a redo writes the same names: no second NN
n1=$(ls "$xo" | wc -l)
mv "$g/spool/failed/r2.p1" "$g/spool/x400/in/r2.p1"; rm -f "$g/spool/failed/r2.p1.why"; x2o
[ "$(ls "$xo" | wc -l)" -eq "$n1" ] && pass redo_same_nn_name || fail redo_same_nn_name "$(ls "$xo" | wc -l) vs $n1"

grep -E 'ERROR|Sanitizer|runtime error' "$g/log" >/dev/null && fail no_sanitizer "$(grep -m2 -E 'ERROR|Sanitizer|runtime error' "$g/log")" || pass no_sanitizer
