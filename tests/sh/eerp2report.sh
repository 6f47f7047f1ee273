# eerp2report end to end: x4002oftp transactions (trace rows made by the
# rptgen tool: the file sent, its MTS and IPM identifiers, DN/RN asked);
# the test plays the OFTP daemon and drops the EERP/NERP the station sent
# into spool/oftp/eerp.in; eerp2report makes the RN/NRN (agent mode) or
# DR/NDR (transfer mode) that Wireshark's X.400 decoders accept.
. "$(dirname "$0")/lib.sh"
E2R=$OX_ABIN/eerp2report
G=$OX_TOOLS/rptgen
CHK=$OX_SHARED/tools/x400check
d=$OX_TMP/e2r
mkdir -p "$d/keys"
for who in partner other; do
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate test $who" -days 2 \
	    -keyout "$d/keys/$who.key" -out "$d/keys/$who.crt" >/dev/null 2>&1 || fail keys "openssl req"
done
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
INI
cat > "$d/partners.ini" <<INI
[agent]
odette = O0013AGENT
userid = 000051
x400 = /O=Agent/P=AGENT/A=DBP/C=DE/
mode = agent
[xfer]
odette = O0013XFER
userid = 000052
x400 = /O=Xfer/P=XFER/A=DBP/C=DE/
mode = transfer
[sec]
odette = O0013SEC
userid = 000053
x400 = /O=Sec/P=SEC/A=DBP/C=DE/
mode = transfer
signed-eerp = yes
certificate = keys/partner.crt
INI
mkdir -p "$d/spool/oftp/eerp.in/tmp"
db=$d/spool/trace.db
ei=$d/spool/oftp/eerp.in
xo=$d/spool/x400/out
V=O0177000000000X0LU
ORIGIN=/S=Sender/O=Acme/PRMD=ACME/ADMD=DBP/C=DE/
n=0
row() {	# DSN PARTNER STATION SIGNED DN RN: an x4002oftp transaction
	n=$((n + 1))
	"$G" row "$db" x4002oftp "$2" "$1" 20261122 13000000$(printf %02d $n) "${V}000099" "$3" \
	    "[DE*DBP*MTA;m-$1]" "$ORIGIN;ipm-$1" - 0 "$4" "$5" "$6" "/DD.ODETTEID=$3/PRMD=OFTP/ADMD=VIAT/C=DE/" >/dev/null
}
eerp() {	# NAME e|n:R DSN STATION [14]: the station's answer to row DSN
	_t=$(sqlite3 "$db" "SELECT oftp_time FROM trace WHERE oftp_dsn = '$3'")
	"$G" eerp "$ei/tmp/$1" "$2" "$3" 20261122 "$_t" "${V}000099" "$4" $5 && mv "$ei/tmp/$1" "$ei/$1"
}
e2r() { "$E2R" -c "$d/oxgate.ini" --spool 2>>"$d/log"; }
tr_() { "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" "$@" 2>/dev/null; }
state() { sqlite3 "$db" "SELECT state FROM trace WHERE oftp_dsn = '$1'"; }
ack() { sqlite3 "$db" "SELECT ack_file FROM trace WHERE oftp_dsn = '$1'"; }
has() {	# NAME DSN PATTERN...: the P1 answering DSN decodes and shows the patterns
	_t=$1; _f=$xo/$(ack "$2"); shift 2
	[ -f "$_f" ] || { fail "$_t" "no output: $(tail -2 "$d/log")"; return; }
	"$CHK" -q p1 "$_f" >/dev/null 2>&1 || { fail "$_t" "x400check rejects $_f: $("$CHK" -q p1 "$_f" 2>&1 | tail -2)"; return; }
	_o=$("$CHK" p1 "$_f" 2>&1)
	for _p in "$@"; do case $_o in *"$_p"*) ;; *) fail "$_t" "no '$_p' in $_f"; return ;; esac; done
	pass "$_t"
}
mkdir -p "$ei/tmp"

# agent mode: EERP -> RN (asked for), EERP without RN request -> nothing, NERP -> NRN
row ARN agent O0013AGENT 0 1 1
row ANORN agent O0013AGENT 0 1 0
row ANRN agent O0013AGENT 0 1 1
eerp arn e ARN O0013AGENT
eerp anorn e ANORN O0013AGENT
eerp anrn n:35 ANRN O0013AGENT
check run_agent e2r
has agent_eerp_rn ARN "receipt-fields" "ipm-" "ipm-ARN" "m-" 
has agent_rn_to_originator ARN "/C=DE/A=DBP/P=ACME/O=Acme/S=Sender/"
[ "$(state ARN)" = eerp-received ] && pass agent_trace_eerp_received || fail agent_trace_eerp_received "$(state ARN)"
[ -z "$(ack ANORN)" ] && [ "$(state ANORN)" = eerp-received ] && pass agent_no_rn_not_asked || fail agent_no_rn_not_asked "$(ack ANORN) $(state ANORN)"
has agent_nerp_nrn ANRN "non-receipt-fields" "ipm-discarded"
[ "$(state ANRN)" = nerp-received ] && pass agent_trace_nerp_received || fail agent_trace_nerp_received "$(state ANRN)"

# transfer mode: EERP -> DR, NERP -> NDR (reason / diagnostic from the table)
row TDR xfer O0013XFER 0 1 0
row TNOD xfer O0013XFER 0 0 0
row TNDR xfer O0013XFER 0 1 0
row TNDR14 xfer O0013XFER 0 0 0
row TNERP16 xfer O0013XFER 0 0 0
eerp tdr e TDR O0013XFER
eerp tnod e TNOD O0013XFER
eerp tndr n:12 TNDR O0013XFER
eerp tndr14 n:35 TNDR14 O0013XFER 14
eerp tnerp16 n:16 TNERP16 O0013XFER
e2r
has transfer_eerp_dr TDR "delivery" "m-TDR" "OFTP EERP from O0013XFER"
[ -z "$(ack TNOD)" ] && [ "$(state TNOD)" = eerp-received ] && pass transfer_no_dr_not_asked || fail transfer_no_dr_not_asked "$(ack TNOD)"
has transfer_nerp12_ndr TNDR "non-delivery" "unable-to-transfer" "unrecognised-OR-name" "OFTP NERP 12"
has transfer_nerp14_layout TNDR14 "non-delivery" "recipient-unavailable"
has transfer_nerp16_too_long TNERP16 "content-too-long"
[ "$(state TNDR)" = nerp-received ] && pass transfer_trace_nerp_received || fail transfer_trace_nerp_received "$(state TNDR)"

# duplicate: a second EERP for TDR writes nothing and is not failed
before=$(ls "$xo" | wc -l)
eerp tdr2 e TDR O0013XFER
check_fails duplicate_exit_0 0 e2r
[ "$(ls "$xo" | wc -l)" -eq "$before" ] && [ ! -e "$d/spool/failed/tdr2" ] && pass duplicate_no_second_report || fail duplicate_no_second_report "$(ls "$xo")"
grep -q 'duplicate' "$d/log" && pass duplicate_logged || fail duplicate_logged "$(tail -2 "$d/log")"

# unknown / purged, malformed
"$G" eerp "$ei/tmp/unk" e NOSUCH 20261122 1300000099 "${V}000099" O0013XFER && mv "$ei/tmp/unk" "$ei/unk"
row PURGED xfer O0013XFER 0 1 0
eerp purged e PURGED O0013XFER
sqlite3 "$db" "PRAGMA foreign_keys = ON; DELETE FROM trace WHERE oftp_dsn = 'PURGED'"
printf 'E%s' "garbage" > "$ei/tmp/bad"; mv "$ei/tmp/bad" "$ei/bad"
check_fails failures_exit_0 0 e2r
grep -q 'unknown or purged transaction' "$d/spool/failed/unk.why" && pass unknown_to_failed || fail unknown_to_failed "$(ls "$d/spool/failed")"
grep -q 'unknown or purged transaction' "$d/spool/failed/purged.why" && pass late_purged_to_failed || fail late_purged_to_failed "$(ls "$d/spool/failed")"
grep -q 'malformed EERP/NERP' "$d/spool/failed/bad.why" && pass malformed_to_failed || fail malformed_to_failed "$(cat "$d/spool/failed/bad.why" 2>&1)"

# late: the timer expired first: logged, no report
row LATE xfer O0013XFER 0 1 0
"$OX_ABIN/oxtrace" -c "$d/oxgate.ini" expire --now @4102444800 >/dev/null 2>&1
eerp late e LATE O0013XFER
e2r
[ -z "$(ack LATE)" ] && [ ! -e "$d/spool/failed/late" ] && grep -q 'LATE: late' "$d/log" && pass late_expired_logged || fail late_expired_logged "$(state LATE)"

# signed: by the partner's key -> accepted; by another key -> failed/
row SGOOD sec O0013SEC 1 1 0
row SBAD sec O0013SEC 1 1 0
for s in SGOOD SBAD; do
	_t=$(sqlite3 "$db" "SELECT oftp_time FROM trace WHERE oftp_dsn = '$s'")
	"$G" eerp "$d/$s.plain" e $s 20261122 "$_t" "${V}000099" O0013SEC
done
printf 'the file\r\n' > "$d/file"
check sign_good "$OX_TOOLS/cmstool" sign-eerp -s 4 -k "$d/keys/partner.key" -c "$d/keys/partner.crt" -f "$d/file" "$d/SGOOD.plain" "$ei/tmp/sgood"
check sign_bad "$OX_TOOLS/cmstool" sign-eerp -s 4 -k "$d/keys/other.key" -c "$d/keys/other.crt" -f "$d/file" "$d/SBAD.plain" "$ei/tmp/sbad"
mv "$ei/tmp/sgood" "$ei/sgood"; mv "$ei/tmp/sbad" "$ei/sbad"
e2r
has signed_eerp_accepted SGOOD "delivery"
grep -q 'bad signature' "$d/spool/failed/sbad.why" 2>/dev/null && pass bad_signature_to_failed || fail bad_signature_to_failed "$(ls "$d/spool/failed"; tail -2 "$d/log")"
[ "$(state SBAD)" = converted ] && pass bad_signature_no_state_change || fail bad_signature_no_state_change "$(state SBAD)"

# filter mode: the P1 on stdout
row FILT xfer O0013XFER 0 1 0
eerp filt e FILT O0013XFER; mv "$ei/filt" "$d/filt.eerp"
check_fails filter_stdout_full 74 sh -c "'$E2R' -c '$d/oxgate.ini' --filter '$d/filt.eerp' > /dev/full"
check filter_mode sh -c "'$E2R' -c '$d/oxgate.ini' --filter '$d/filt.eerp' > '$d/filt.p1'"
check filter_x400check "$CHK" -q p1 "$d/filt.p1"
check_fails usage 64 "$E2R" -c "$d/oxgate.ini"
[ -z "$(ls "$ei" | grep -v '^tmp$\|^work$')" ] && pass eerp_in_empty || fail eerp_in_empty "$(ls "$ei")"
