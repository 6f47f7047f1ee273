# report2eerp end to end: OFTP files go through the real oftp2x400; the
# test plays the MTA and writes the DN/NDN/RN/NRN/EDIN it would send back
# (subject identifiers taken from the .p1 oftp2x400 wrote); report2eerp
# turns them into EERP/NERP files whose octets are checked.
. "$(dirname "$0")/lib.sh"
O2X=$OX_ABIN/oftp2x400
R2E=$OX_ABIN/report2eerp
G=$OX_TOOLS/rptgen
d=$OX_TMP/r2e
mkdir -p "$d/keys"
for who in gw other; do
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate test $who" -days 2 \
	    -keyout "$d/keys/$who.key" -out "$d/keys/$who.crt" >/dev/null 2>&1 || fail keys "openssl req"
done
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
[security]
certificate = keys/gw.crt
key = keys/gw.key
INI
cat > "$d/partners.ini" <<INI
[acme]
odette = O0013ACME
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
[beta]
odette = O0013BETA
userid = 000043
x400 = /S=Orders/O=Beta/P=BETA/A=DBP/C=DE/
eerp = 2
cipher = 04
[gamma]
odette = O0013GAMMA
userid = 000044
x400 = /O=Gamma/P=GAMMA/A=DBP/C=DE/
eerp = 3
oftp = 1.4
INI
in=$d/spool/oftp/in
rep=$d/spool/x400/reports
eo=$d/spool/oftp/eerp.out
V=O0177000000000X0LU
mkdir -p "$in/tmp"
n=0
put() {	# NAME USERID ORIG [SIGN]
	n=$((n + 1))
	printf 'line %s\r\n' "$1" > "$in/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261122\ntime = 10000000%02d\ndest = %s%s\norig = %s\nformat = T\n' \
	    "$1" $n "$V" "$2" "$3" > "$in/tmp/$1.sfid"
	[ "${4:-N}" = Y ] && printf 'sign = Y\nciph = 04\n' >> "$in/tmp/$1.sfid"
	mv "$in/tmp/$1.sfid" "$in/$1.sfid"
}
o2x() { "$O2X" -c "$d/oxgate.ini" --spool 2>>"$d/log"; }
r2e() { "$R2E" -c "$d/oxgate.ini" --spool 2>>"$d/log"; }
tr_() { "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" "$@" 2>/dev/null; }
p1of() { tr_ status "$1" | sed -n 's/^files: in=.* out=\([^ ]*\) .*/\1/p'; }
msg() { echo "$d/spool/x400/out/$(p1of "$1")"; }
id() { p=$(p1of "$1"); echo "${p%.p1}"; }
field() { dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null; }	# FILE OFF LEN
mta() {	# NAME KIND ARGS...: the simulated MTA drops a PDU into reports/
	_nm=$1; shift
	"$G" "$@" && mv "$rep/tmp/$_nm" "$rep/$_nm"
}
state() { tr_ status "$1" | sed -n 's/^state: \([^ ]*\).*/\1/p'; }

put DN1 000043 O0013BETA
put NDN1 000043 O0013BETA
put RN2 000043 O0013BETA
put GDN 000044 O0013GAMMA
put GNRN 000044 O0013GAMMA
put GNDN 000044 O0013GAMMA
put A1 000042 O0013ACME
put SIG1 000043 O0013BETA Y
put SIG2 000043 O0013BETA Y
check oftp2x400_converts o2x
mkdir -p "$rep/tmp"

# mode 2: DN -> EERP (OFTP2, 110 octets: the file's identity, back to its originator)
mta dn1 report "$(msg DN1)" "$rep/tmp/dn1" d
check run_dn r2e
e=$eo/$(id DN1).eerp
[ -f "$e" ] && [ "$(wc -c < "$e")" -eq 110 ] && [ "$(field "$e" 0 1)" = E ] && pass dn_eerp || fail dn_eerp "$(ls "$eo"; tail -3 "$d/log")"
[ "$(field "$e" 1 26)" = "DN1                       " ] && pass eerp_dsn || fail eerp_dsn "$(field "$e" 1 26)"
[ "$(field "$e" 30 18)" = 202611221000000001 ] && pass eerp_date_time || fail eerp_date_time "$(field "$e" 30 18)"
[ "$(field "$e" 56 25)" = "O0013BETA                " ] && pass eerp_dest_is_originator || fail eerp_dest_is_originator "$(field "$e" 56 25)"
[ "$(field "$e" 81 25)" = "${V}000043 " ] && pass eerp_orig_is_recipient || fail eerp_orig_is_recipient "$(field "$e" 81 25)"
[ "$(state DN1)" = eerp-sent ] && pass dn_trace_eerp_sent || fail dn_trace_eerp_sent "$(tr_ status DN1)"
[ ! -e "$rep/dn1" ] && [ ! -e "$d/spool/failed/dn1" ] && pass dn_input_removed || fail dn_input_removed "$(ls "$rep")"

# mode 2: NDN -> NERP 35 with the reason and diagnostic in words
mta ndn1 report "$(msg NDN1)" "$rep/tmp/ndn1" n:1:0
r2e
e=$eo/$(id NDN1).nerp
[ -f "$e" ] && [ "$(field "$e" 0 1)" = N ] && [ "$(field "$e" 126 2)" = 35 ] && pass ndn_nerp_35 || fail ndn_nerp_35 "$(ls "$eo")"
txt="X.400 non-delivery: unable-to-transfer (1), diagnostic unrecognised-OR-name (0)"
[ "$(field "$e" 128 3)" = "$(printf %03d ${#txt})" ] && [ "$(field "$e" 131 ${#txt})" = "$txt" ] && pass nerp_reason_text || fail nerp_reason_text "$(field "$e" 128 120)"
[ "$(field "$e" 101 25)" = "${V}000043 " ] && pass nerp_creator || fail nerp_creator "$(field "$e" 101 25)"
[ "$(state NDN1)" = nerp-sent ] && pass ndn_trace_nerp_sent || fail ndn_trace_nerp_sent "$(state NDN1)"

# duplicate: a second DN for DN1 is recorded, no second EERP
rm -f "$eo/$(id DN1).eerp"
mta dn1b report "$(msg DN1)" "$rep/tmp/dn1b" d
check_fails duplicate_exit_0 0 r2e
[ ! -e "$eo/$(id DN1).eerp" ] && pass duplicate_no_second_eerp || fail duplicate_no_second_eerp "EERP again"
[ ! -e "$d/spool/failed/dn1b" ] && pass duplicate_not_failed || fail duplicate_not_failed "in failed/"
grep -q 'already answered' "$d/log" && pass duplicate_logged || fail duplicate_logged "$(tail -2 "$d/log")"

# mode 2: an RN was not asked for: recorded, not forwarded
mta rn2 ipn "$(msg RN2)" "$rep/tmp/rn2" rn
r2e
[ ! -e "$eo/$(id RN2).eerp" ] && [ "$(state RN2)" = converted ] && pass mode2_rn_not_forwarded || fail mode2_rn_not_forwarded "$(state RN2)"
tr_ status RN2 | grep -q 'read' && pass mode2_rn_recorded || fail mode2_rn_recorded "$(tr_ status RN2)"

# mode 3 (OFTP 1.4 partner): DN only records delivery; RN -> 106-octet EERP
mta gdn report "$(msg GDN)" "$rep/tmp/gdn" d
r2e
[ ! -e "$eo/$(id GDN).eerp" ] && [ "$(state GDN)" = delivered ] && pass mode3_dn_waits || fail mode3_dn_waits "$(state GDN)"
mta grn ipn "$(msg GDN)" "$rep/tmp/grn" rn
r2e
e=$eo/$(id GDN).eerp
[ -f "$e" ] && [ "$(wc -c < "$e")" -eq 106 ] && pass mode3_rn_eerp_14 || fail mode3_rn_eerp_14 "$(ls -l "$eo"; tail -3 "$d/log")"
[ "$(state GDN)" = eerp-sent ] && pass mode3_trace || fail mode3_trace "$(state GDN)"
# mode 3: NRN -> NERP 36 (128 octets, no text in 1.4); NDN -> NERP 35
mta gnrn ipn "$(msg GNRN)" "$rep/tmp/gnrn" nrn:0
mta gndn report "$(msg GNDN)" "$rep/tmp/gndn" n:0:5
r2e
e=$eo/$(id GNRN).nerp
[ -f "$e" ] && [ "$(wc -c < "$e")" -eq 128 ] && [ "$(field "$e" 126 2)" = 36 ] && pass mode3_nrn_nerp_36 || fail mode3_nrn_nerp_36 "$(ls -l "$eo")"
e=$eo/$(id GNDN).nerp
[ -f "$e" ] && [ "$(field "$e" 126 2)" = 35 ] && pass mode3_ndn_nerp_35 || fail mode3_ndn_nerp_35 "$(ls -l "$eo")"
tr_ status GNRN | grep -q 'ipm-discarded (0), discard reason ipm-expired (0)' && pass nrn_reason_in_trace || fail nrn_reason_in_trace "$(tr_ status GNRN)"

# mode 1: EERP at once; a later DN is recorded only
mta a1 report "$(msg A1)" "$rep/tmp/a1" d
rm -f "$eo/$(id A1).eerp"
r2e
[ ! -e "$eo/$(id A1).eerp" ] && [ ! -e "$d/spool/failed/a1" ] && pass mode1_dn_recorded_only || fail mode1_dn_recorded_only "$(ls "$eo")"

# signed: the SFID asked (SIGN Y), the EERP / NERP carry our signature over the hash
mta sig1 report "$(msg SIG1)" "$rep/tmp/sig1" d
mta sig2 report "$(msg SIG2)" "$rep/tmp/sig2" n:1:4
r2e
e=$eo/$(id SIG1).eerp
[ -f "$e" ] && [ "$(wc -c < "$e")" -gt 142 ] && pass signed_eerp || fail signed_eerp "$(ls -l "$eo")"
check signed_eerp_verifies "$OX_TOOLS/cmstool" verify-eerp -p "$d/keys/gw.crt" "$e"
check_fails signed_eerp_not_other 65 "$OX_TOOLS/cmstool" verify-eerp -p "$d/keys/other.crt" "$e"
check signed_nerp_verifies "$OX_TOOLS/cmstool" verify-eerp -p "$d/keys/gw.crt" "$eo/$(id SIG2).nerp"
h=$(tr_ status SIG1 | sed -n 's/^hash: SHA256 \([0-9a-f]*\).*/\1/p')
[ -n "$h" ] && [ "$(field "$e" 108 32 | od -An -tx1 | tr -d ' \n')" = "$h" ] && pass signed_eerp_hash_is_trace_hash || fail signed_eerp_hash_is_trace_hash "hash '$h'"

# unknown (never ours) and late (purged) reports: failed/ with a .why
mta unk report -l 0123456789abcdef01234567 "$(msg DN1)" "$rep/tmp/unk" d
put LATE 000043 O0013BETA
o2x
late=$(msg LATE)
# the purge (oxpurge) removed the row: simulated with sqlite3
sqlite3 "$d/spool/trace.db" "PRAGMA foreign_keys = ON; DELETE FROM trace WHERE oftp_dsn = 'LATE'"
mta late report "$late" "$rep/tmp/late" d
check_fails unknown_exit_0 0 r2e
grep -q 'unknown or purged transaction' "$d/spool/failed/unk.why" 2>/dev/null && pass unknown_to_failed || fail unknown_to_failed "$(ls "$d/spool/failed")"
grep -q 'unknown or purged transaction' "$d/spool/failed/late.why" 2>/dev/null && pass late_purged_to_failed || fail late_purged_to_failed "$(cat "$d/spool/failed/late.why" 2>&1)"
# late: the timer expired before the DN came: recorded, no EERP
put EXP 000043 O0013BETA
o2x
expid=$(id EXP)
"$G" report "$(msg EXP)" "$d/exp.p1" d
"$OX_ABIN/oxtrace" -c "$d/oxgate.ini" expire --now @4102444800 >/dev/null 2>&1
cp "$d/exp.p1" "$rep/tmp/exp"; mv "$rep/tmp/exp" "$rep/exp"
r2e
# (the expiry sweep answered the OFTP user with NERP 35 when the timer ran out)
[ -f "$eo/$expid.nerp" ] && pass late_timer_nerp || fail late_timer_nerp "$(ls "$eo")"
[ ! -e "$eo/$expid.eerp" ] && [ ! -e "$d/spool/failed/exp" ] && pass late_expired_recorded || fail late_expired_recorded "$(state EXP) $(tail -2 "$d/log")"

# malformed input
printf '\060\003\001\001' > "$rep/tmp/bad"; mv "$rep/tmp/bad" "$rep/bad"
head -c 200 /dev/urandom > "$rep/tmp/junk"; mv "$rep/tmp/junk" "$rep/junk"
r2e
grep -q 'malformed P1' "$d/spool/failed/bad.why" && grep -q 'malformed P1' "$d/spool/failed/junk.why" && pass malformed_to_failed || fail malformed_to_failed "$(cat "$d/spool/failed/"*.why)"

# multi-recipient (rows made by the tool): all positive -> EERP; the first negative -> NERP
gdi=$(tr_ status DN1 | sed -n 's/^mts-id: \(\[[^;]*;\).*/\1/p')
[ -n "$gdi" ] || gdi=$(tr_ status DN1 | grep -o '\[[^;]*;' | head -1)
db=$d/spool/trace.db
R1=/S=One/O=Beta/P=BETA/A=DBP/C=DE/
R2=/S=Two/O=Beta/P=BETA/A=DBP/C=DE/
"$G" row "$db" oftp2x400 beta MULTI1 20261122 1100000001 O0013BETA ${V}000043 "${gdi}multi1]" - - 2 0 1 0 "$R1" "$R2" >/dev/null
"$G" row "$db" oftp2x400 beta MULTI2 20261122 1100000002 O0013BETA ${V}000043 "${gdi}multi2]" - - 2 0 1 0 "$R1" "$R2" >/dev/null
mta m1a report -l multi1 "$(msg DN1)" "$rep/tmp/m1a" d
r2e
[ -z "$(ls "$eo" | grep '^multi1')" ] && pass multi_one_of_two_waits || fail multi_one_of_two_waits "$(ls "$eo")"
mta m1b report -l multi1 "$(msg DN1)" "$rep/tmp/m1b" d d
r2e
[ -f "$eo/multi1.eerp" ] && pass multi_all_positive_eerp || fail multi_all_positive_eerp "$(ls "$eo"; tail -3 "$d/log")"
mta m2 report -l multi2 "$(msg DN1)" "$rep/tmp/m2" d n:1:4
r2e
[ -f "$eo/multi2.nerp" ] && [ ! -f "$eo/multi2.eerp" ] && grep -q 'recipient-unavailable (4)' "$eo/multi2.nerp" && pass multi_negative_nerp || fail multi_negative_nerp "$(ls "$eo")"

# EDIN: PN -> EERP, NN -> NERP 36 naming the code
U=/S=EDI/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/
"$G" row "$db" oftp2x400 beta EDI1 20261122 1200000001 O0013BETA ${V}000043 "${gdi}edi1]" - "$U;edim-1" 2 0 1 0 "$R1" >/dev/null
"$G" row "$db" oftp2x400 beta EDI2 20261122 1200000002 O0013BETA ${V}000043 "${gdi}edi2]" - "$U;edim-2" 2 0 1 0 "$R1" >/dev/null
mta pn edin "$U" edim-1 "$R1" "$rep/tmp/pn" pn
mta nn edin "$U" edim-2 "$R1" "$rep/tmp/nn" nn:1:1
r2e
[ -f "$eo/edi1.eerp" ] && pass edin_pn_eerp || fail edin_pn_eerp "$(ls "$eo"; tail -3 "$d/log")"
[ -f "$eo/edi2.nerp" ] && [ "$(field "$eo/edi2.nerp" 126 2)" = 36 ] && grep -q 'syntax-error (1)' "$eo/edi2.nerp" && pass edin_nn_nerp || fail edin_nn_nerp "$(ls "$eo")"

# filter mode: the EERP on stdout
put FILT 000043 O0013BETA
o2x
"$G" report "$(msg FILT)" "$d/filt.p1" d
check_fails filter_stdout_full 74 sh -c "'$R2E' -c '$d/oxgate.ini' --filter '$d/filt.p1' > /dev/full"
check filter_mode sh -c "'$R2E' -c '$d/oxgate.ini' --filter '$d/filt.p1' > '$d/filt.eerp'"
[ "$(wc -c < "$d/filt.eerp")" -eq 110 ] && pass filter_eerp || fail filter_eerp "$(wc -c < "$d/filt.eerp")"
check_fails usage 64 "$R2E" -c "$d/oxgate.ini"
check help "$R2E" --help
[ -z "$(ls "$rep" | grep -v '^tmp$\|^work$')" ] && pass reports_queue_empty || fail reports_queue_empty "$(ls "$rep")"
