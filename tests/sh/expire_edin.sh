# The expiry sweep and EDI notifications (X.435): an EDIM whose
# originator asked for NN goes through the real x4002oftp into an OFTP
# file; no EERP comes; `oxtrace expire` past the deadline writes, besides
# the NDR owed (transfer mode), a negative EDIN (EDI-UA delivery-timeout)
# to the EDIM originator, in both modes, and records edin_sent NN, so a
# late EERP sends no second EDIN; in transfer mode the NDR ends the
# message (no reactivation, issue 22), in agent mode it may be
# reactivated; a
# second sweep and a redo after a crash write the same one EDIN. Every
# P1 passes Wireshark's decoder (x400check); the P35 fields are read
# with our decoder (oxdump).
. "$(dirname "$0")/lib.sh"
d=$OX_TMP/expire_edin
. "$(dirname "$0")/edi_gw.inc"
OXT=$OX_ABIN/oxtrace
later=$(( $(date +%s) + 60 * 86400 ))	# past every deadline
sweep() { "$OXT" $C expire --now "@${1:-$later}" 2>>"$g/log"; }
fetched() {	# LOCAL: the OFTP daemon took the file of message LOCAL
	_f=$(grep -l "mts-id = \"\[DE\*VIAT\*OFTP;$1\]\"" "$oo"/*.sfid | head -1)
	cp "$_f" "$d/$1.sfid" && rm -f "$_f" "${_f%.sfid}"
}
eerp() {	# NAME e|n:R LOCAL: the station's answer to the file of message LOCAL
	"$G" eerp "$ei/tmp/$1" "$2" "$(sed -n 's/^dsn *= *//p' "$d/$3.sfid")" \
	    "$(sed -n 's/^date *= *//p' "$d/$3.sfid")" "$(sed -n 's/^time *= *//p' "$d/$3.sfid")" \
	    "$(sed -n 's/^orig *= *//p' "$d/$3.sfid")" "$(sed -n 's/^dest *= *//p' "$d/$3.sfid")" &&
	    mv "$ei/tmp/$1" "$ei/$1"
}
gen() {	# LOCAL RCPT[#REQ]: an EDIM edim-LOCAL from John, into x400/in
	"$EG" edim "$d/$1.p1" "$1" "$JOHN" "edim-$1" "$d/ichg" "$2" || fail "gen_$1" edimgen
	put "$1.p1" "$d/$1.p1"
}

# transfer mode: t1 fetched (EERP timeout), t2 not fetched (delivery
# timeout), t3 only pn asked, t4 nothing asked; agent mode: a1 nn asked
# (the DR went at conversion: no NDR at expiry), a2 pn only. t2, t4 and
# a2 are not fetched: they go to overflow.
gen t1 "$RITA#pn,nn"; gen t2 "$RITA#nn"; gen t3 "$RITA#pn"; gen t4 "$RITA"
gen a1 "$TOM#nn,pn"; gen a2 "$TOM#pn"
check x4002oftp x2o
[ "$(row t1 edin_req)" = 3 ] && [ "$(row t2 edin_req)" = 2 ] && [ "$(row a1 edin_req)" = 3 ] &&
    pass trace_nn_requested || fail trace_nn_requested "$(row t1 edin_req) $(row t2 edin_req) $(row a1 edin_req)"
fetched t1; fetched a1; fetched t3
hours=$(( ($(row t1 deadline) - $(row t1 created) + 1800) / 3600 ))	# the timer, as oxtrace rounds it
[ -z "$(edins)" ] && pass no_edin_before_expiry || fail no_edin_before_expiry "$(edins)"

# a sweep before the deadline does nothing
check sweep_early sweep "$(date +%s)"
[ -z "$(edins)" ] && [ "$(row t1 state)" = converted ] && pass early_sweep_no_edin || fail early_sweep_no_edin "$(row t1 state) $(edins)"

check sweep sweep
nn=$(edin_on edim-t1 negative)
has transfer_nn "$nn" "kind: P1 message" "content-type: edi-interchange (35)" \
    "recipient-name: $JOHN_P" "originator-name: $RITA_P" "negative-notification:" \
    "subject-edim: $JOHN_P;edim-t1" "edin-originator: $RITA_P" "first-recipient: $RITA_P" \
    "edin-initiator: internal-ua (0)" "source: user-agent-or-ms" "basic-code: delivery-timeout (2)" \
    "supplementary-info: EERP timeout: no end-to-end response (EERP) from the OFTP station within $hours hours"
# Wireshark's reading of the envelope: identifier (the file name),
# originator Rita, content type 35, recipient John
id=$(basename "$nn" .p1)
o=$("$CHK" p1 "$nn" 2>&1)
case $o in *"local-identifier: $id"*"originator-name ($RITA)"*"built-in: edi-messaging (35)"*"recipient-name ($JOHN)"*)
    pass transfer_nn_envelope_x400check ;; *) fail transfer_nn_envelope_x400check "$(printf '%s' "$o" | grep -E 'identifier|name \(|built-in' | tr '\n' '|')" ;; esac
[ "$(edin_on edim-t1 negative | wc -l)" -eq 1 ] && [ -z "$(edin_on edim-t1 positive)" ] && pass transfer_one_nn || fail transfer_one_nn "$(edins)"
# its identifier: designator + 20 characters
case $id in ????????????[a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7][a-z2-7]) pass nn_ident_form ;; *) fail nn_ident_form "$id" ;; esac
"$D" "$nn" | grep -q "$id" && pass nn_ident_in_envelope || fail nn_ident_in_envelope "$id not in the dump"
has transfer_ndr_too "$xo/$(row t1 ack_file)" "kind: P1 report" "subject-identifier: [DE*VIAT*OFTP;t1]" \
    "maximum-time-expired (5)"
[ "$(row t1 edin_sent)" = NN ] && [ "$(row t1 state)" = expired ] && pass trace_nn_sent || fail trace_nn_sent "$(row t1 state) '$(row t1 edin_sent)'"
case $(row t1 note) in *"NDR $(row t1 ack_file); EDIN NN ${nn##*/}"*) pass trace_note_names_edin ;; *) fail trace_note_names_edin "$(row t1 note)" ;; esac
has transfer_not_fetched_nn "$(edin_on edim-t2 negative)" "basic-code: delivery-timeout (2)" \
    "supplementary-info: delivery timeout: the OFTP station did not fetch the file within $hours hours"
[ "$(row t2 state)" = overflow ] && [ "$(row t2 edin_sent)" = NN ] && pass not_fetched_overflow_nn_sent || fail not_fetched_overflow_nn_sent "$(row t2 state) $(row t2 edin_sent)"
[ -z "$(edin_on edim-t3 negative)" ] && [ -z "$(edin_on edim-t4 negative)" ] && [ -z "$(row t3 edin_sent)" ] && [ -z "$(row t4 edin_sent)" ] &&
    [ -n "$(row t3 ack_file)" ] && pass nn_not_asked_no_edin || fail nn_not_asked_no_edin "$(edins)"
# agent mode: the EDIN, no NDR (the DR went at conversion)
has agent_nn "$(edin_on edim-a1 negative)" "originator-name: $TOM_P" "recipient-name: $JOHN_P" \
    "edin-originator: $TOM_P" "basic-code: delivery-timeout (2)" "EERP timeout"
[ "$(row a1 edin_sent)" = NN ] && [ "$(row a1 ack_file)" = "$(basename "$(edin_on edim-a1 negative)")" ] &&
    pass agent_ack_is_edin || fail agent_ack_is_edin "$(row a1 edin_sent) $(row a1 ack_file)"
case $(row a1 note) in *"delivery report was sent"*"EDIN NN"*) pass agent_note ;; *) fail agent_note "$(row a1 note)" ;; esac
[ -z "$(edin_on edim-a2 negative)" ] && [ -z "$(row a2 edin_sent)" ] && pass agent_pn_only_no_edin || fail agent_pn_only_no_edin "$(row a2 edin_sent)"
[ "$(edins | wc -l)" -eq 3 ] && pass three_edins || fail three_edins "$(edins | wc -l)"
grep -q 'expire: 6 expired, 3 moved to overflow, 4 NDR, 0 NERP, 3 EDIN, 0 left' "$g/log" && pass sweep_counts || fail sweep_counts "$(grep 'expire:' "$g/log" | tail -1)"

# a second sweep: nothing new, nothing changed
before=$(ls -l --time-style=+%s.%N "$xo" | md5sum); hb=$(q "SELECT count(*) FROM trace_history")
check sweep_again sweep $((later + 60))
[ "$(ls -l --time-style=+%s.%N "$xo" | md5sum)" = "$before" ] && [ "$(q "SELECT count(*) FROM trace_history")" = "$hb" ] &&
    pass second_sweep_one_edin || fail second_sweep_one_edin "$(ls "$xo")"

# a late EERP and NERP: logged only, no PN, no second NN
eerp t1late e t1; eerp a1late n:36 a1
n=$(ls "$xo" | wc -l)
check late_eerp_exit_0 e2r
[ "$(ls "$xo" | wc -l)" -eq "$n" ] && [ -z "$(edin_on edim-t1 positive)" ] && [ "$(edin_on edim-a1 negative | wc -l)" -eq 1 ] &&
    pass late_eerp_no_second_edin || fail late_eerp_no_second_edin "$(ls "$xo")"
grep -q 'late; the transaction is expired' "$g/log" && pass late_eerp_logged || fail late_eerp_logged "$(tail -3 "$g/log")"
[ "$(row t1 state)" = expired ] && [ "$(row t1 edin_sent)" = NN ] && pass late_eerp_row_unchanged || fail late_eerp_row_unchanged "$(row t1 state)"

# transfer mode: the expiry sent t2's NDR, the message is over (seed:
# reactivation only until the X.400 expiry and its NDN; issue 22):
# reactivating it is refused, nothing changes, no DR can follow the NDR
n=$(ls "$xo" | wc -l)
check_fails reactivate_transfer_refused 65 "$OXT" $C overflow reactivate "$(row t2 id)"
[ "$(row t2 state)" = overflow ] && [ "$(row t2 edin_sent)" = NN ] && [ "$(ls "$xo" | wc -l)" -eq "$n" ] &&
    pass reactivate_refused_unchanged || fail reactivate_refused_unchanged "$(row t2 state) $(row t2 edin_sent)"
# a transfer-mode row reactivated before that rule (made converted by
# hand here): its late EERP is recorded, and no DR follows the NDR (one
# report per message)
q "UPDATE trace SET state = 'converted' WHERE id = $(row t2 id)"
cp "$g/spool/overflow/$(row t2 out_file).sfid" "$d/t2.sfid" && eerp t2e e t2
n=$(ls "$xo" | wc -l)
check eerp_after_ndr e2r
case $(row t2 note) in *"no delivery report: the X.400 expiry sent the NDR $(row t2 ack_file)"*) true ;; *) false ;; esac &&
    [ "$(row t2 state)" = eerp-received ] && [ "$(ls "$xo" | wc -l)" -eq "$n" ] &&
    pass no_dr_after_ndr || fail no_dr_after_ndr "$(row t2 state): $(row t2 note); $(ls "$xo" | wc -l) files in x400/out, $n before"
# agent mode: reactivated at any time (a2, in overflow, no NDR sent)
check reactivate_agent "$OXT" $C overflow reactivate "$(row a2 id)"
[ "$(row a2 state)" = converted ] && pass reactivated_agent_converted || fail reactivated_agent_converted "$(row a2 state)"

# a sweep killed after its trace commit, before its rename (oxgate-spool(5),
# "Commit order"): the EDIN is recorded and still in tmp/ under its
# temporary name; the next sweep publishes it, once, and makes no new one
tmpn=$(q "SELECT tmp FROM trace_output WHERE trace_id = $(row t1 id) AND name = '${nn##*/}'")
sum1=$(md5sum < "$nn")
[ -n "$tmpn" ] && mv "$nn" "$xo/tmp/$tmpn" && pass redo_recorded_tmp || fail redo_recorded_tmp "no trace_output row for ${nn##*/}"
check redo_sweep sweep $((later + 120))
[ -f "$nn" ] && [ ! -e "$xo/tmp/$tmpn" ] && [ "$(md5sum < "$nn")" = "$sum1" ] &&
    pass redo_published_once || fail redo_published_once "$(ls "$xo" "$xo/tmp")"
check redo_sweep_again sweep $((later + 180))
[ "$(edins | wc -l)" -eq 3 ] && [ "$(md5sum < "$nn")" = "$sum1" ] && [ "$(row t1 state)" = expired ] &&
    pass redo_no_second_edin || fail redo_no_second_edin "$(edins | wc -l) $(row t1 state)"

grep -E 'ERROR|Sanitizer|runtime error' "$g/log" >/dev/null && fail no_sanitizer "$(grep -m2 -E 'ERROR|Sanitizer|runtime error' "$g/log")" || pass no_sanitizer
