# P2 <-> PEDI conversion rules end to end, for partnerships whose X.400
# side speaks IPM (content p22 or p2) while the traffic is EDI:
#  - x4002oftp: an IPM (built by edimgen) whose one IA5 / general text
#    body part is an EDIFACT or X12 interchange: the file is the
#    interchange, a blank subject is no subject, the trace keeps the
#    EDIM identifier derived from originator + IPM identifier, the
#    notifications follow the IPN rules (agent mode: RN on the EERP);
#  - oftp2x400: an EDIFACT file to an IPM partnership: primary body part
#    IA5 (general text for 8-bit syntaxes; P2: IA5), the partner as primary
#    recipient, the subject absent / one blank / the file's per
#    edi-subject (default: the file's); UNOC and later syntaxes as
#    general text; the derived EDIM identifier is traced, so an EDIN an
#    EDI-UA sends on it comes back through report2eerp as an EERP.
# IPMs are checked with Wireshark's P1/P22 decoders (x400check).
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/x4002oftp
O2X=$OX_ABIN/oftp2x400
E2R=$OX_ABIN/eerp2report
R2E=$OX_ABIN/report2eerp
D=$OX_ABIN/oxdump
EG=$OX_TOOLS/edimgen
G=$OX_TOOLS/rptgen
CHK=$OX_SHARED/tools/x400check
d=$OX_TMP/p2pedi
mkdir -p "$d"
TOM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Agent/G=Tom/
JOHN=/C=DE/A=DBP/P=ACME/O=Acme/S=Smith/
JOHN_P='/S=Smith/O=Acme/PRMD=ACME/ADMD=DBP/C=DE/'
V=O0177000000000X0LU
printf "UNA:+.? 'UNB+UNOA:3+SENDER:14+RECEIVER:14+261122:1300+REF1'UNH+1+ORDERS:D:96A:UN'UNZ+1+REF1'\r\n" > "$d/ichg"
printf 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261122*1300*U*00401*000000001*0*P*>~\r\n' > "$d/x12"
printf 'Dear John,\r\nplain text, no EDI.\r\n' > "$d/text"

g=$d/gw
mkdir -p "$g/spool/x400/in/tmp" "$g/spool/oftp/eerp.in/tmp" "$g/spool/oftp/in/tmp"
printf '[spool]\nroot = spool\n' > "$g/oxgate.ini"
cat > "$g/partners.ini" <<INI
[tom]
odette = O0013TOM
userid = 000043
x400 = /C=DE/A=DBP/P=ACME/O=Acme/S=Smith/
local = $TOM
mode = agent
eerp = 3
[absent]
odette = O0013ABS
userid = 000044
x400 = /S=EDI/O=Abs/P=ABS/A=DBP/C=DE/
eerp = 3
edi-subject = absent
[blank]
odette = O0013BLANK
userid = 000045
x400 = /S=EDI/O=Blank/P=BLANK/A=DBP/C=DE/
edi-subject = blank
[file]
odette = O0013FILE
userid = 000046
x400 = /S=EDI/O=File/P=FILE/A=DBP/C=DE/
edi-subject = file
subject = vdsn
[pii]
odette = O0013P2
userid = 000047
x400 = /S=EDI/O=Two/P=TWO/A=DBP/C=DE/
content = p2
INI
db=$g/spool/trace.db
xo=$g/spool/x400/out
q() { sqlite3 "$db" "$1"; }
put() { cp "$2" "$g/spool/x400/in/tmp/$1" && mv "$g/spool/x400/in/tmp/$1" "$g/spool/x400/in/$1"; }
x2o() { "$X" -c "$g/oxgate.ini" --spool 2>>"$g/log"; }
row() { q "SELECT $2 FROM trace WHERE mts_id = '[DE*VIAT*OFTP;$1]'"; }
sfid() {	# LOCAL KEY
	_f=$(grep -l "mts-id = \"\[DE\*VIAT\*OFTP;$1\]\"" "$g"/spool/oftp/out/*.sfid | head -1)
	sed -n "s/^$2 *= *//p" "$_f"
}
payload() { _f=$(grep -l "mts-id = \"\[DE\*VIAT\*OFTP;$1\]\"" "$g"/spool/oftp/out/*.sfid | head -1); echo "${_f%.sfid}"; }

# ---- x4002oftp: IPMs carrying EDI
"$EG" ipm "$d/i1.p1" p2p-i1 "$JOHN" ipm-i1 "$d/ichg" 22 ia5 " " "$TOM#rn" || fail gen_i1 edimgen
"$EG" ipm "$d/i2.p1" p2p-i2 "$JOHN" ipm-i2 "$d/x12" 2 ia5 - "$TOM" || fail gen_i2 edimgen
"$EG" ipm "$d/i3.p1" p2p-i3 "$JOHN" ipm-i3 "$d/ichg" 22 gt "ORDERS 4711" "$TOM" || fail gen_i3 edimgen
"$EG" ipm "$d/i4.p1" p2p-i4 "$JOHN" ipm-i4 "$d/text" 22 ia5 " " "$TOM" || fail gen_i4 edimgen
check ipm_x400check "$CHK" -q p1 "$d/i1.p1"
check p2_x400check "$CHK" -q p1 "$d/i2.p1"
for i in 1 2 3 4; do put "i$i.p1" "$d/i$i.p1"; done
check x4002oftp_ipms x2o
cmp -s "$(payload p2p-i1)" "$d/ichg" && pass ipm_edifact_file_is_interchange || fail ipm_edifact_file_is_interchange "$(od -c "$(payload p2p-i1)" | head -3)"
cmp -s "$(payload p2p-i2)" "$d/x12" && pass p2_x12_file_is_interchange || fail p2_x12_file_is_interchange "differs"
cmp -s "$(payload p2p-i3)" "$d/ichg" && pass general_text_file_is_interchange || fail general_text_file_is_interchange "differs"
[ "$(row p2p-i1 edim_id)" = "$JOHN_P;ipm-i1" ] && [ "$(row p2p-i1 ipm_id)" = "$JOHN_P;ipm-i1" ] &&
    pass derived_edim_id_traced || fail derived_edim_id_traced "edim '$(row p2p-i1 edim_id)' ipm '$(row p2p-i1 ipm_id)'"
[ "$(row p2p-i2 edim_id)" = "$JOHN_P;ipm-i2" ] && pass p2_derived_edim_id || fail p2_derived_edim_id "$(row p2p-i2 edim_id)"
[ -z "$(row p2p-i4 edim_id)" ] && pass plain_ipm_no_edim_id || fail plain_ipm_no_edim_id "$(row p2p-i4 edim_id)"
# a blank subject is no subject: no SFIDDESC, the VDSN from the IPM identifier
[ "$(sfid p2p-i1 desc)" = "" ] && [ "$(sfid p2p-i1 dsn)" = IPM-I1 ] && pass blank_subject_absent ||
    fail blank_subject_absent "desc '$(sfid p2p-i1 desc)' dsn '$(sfid p2p-i1 dsn)'"
[ "$(sfid p2p-i4 desc)" = " " ] || [ "$(sfid p2p-i4 desc)" = '" "' ] && pass plain_ipm_subject_kept || fail plain_ipm_subject_kept "desc '$(sfid p2p-i4 desc)'"
[ "$(sfid p2p-i3 dsn)" = ORDERS.4711 ] && pass edi_ipm_real_subject_kept || fail edi_ipm_real_subject_kept "$(sfid p2p-i3 dsn)"
[ "$(row p2p-i1 rn_req)" = 1 ] && [ "$(row p2p-i1 edin_req)" = 0 ] && pass ipn_rules_rn_traced || fail ipn_rules_rn_traced "rn $(row p2p-i1 rn_req) edin $(row p2p-i1 edin_req)"
# agent mode, the IPN rules: the EERP gives the RN the IPM asked for, no EDIN
ei=$g/spool/oftp/eerp.in
"$G" eerp "$ei/tmp/e1" e "$(sfid p2p-i1 dsn)" "$(sfid p2p-i1 date)" "$(sfid p2p-i1 time)" "$(sfid p2p-i1 orig)" "$(sfid p2p-i1 dest)" &&
    mv "$ei/tmp/e1" "$ei/e1"
"$E2R" -c "$g/oxgate.ini" --spool 2>>"$g/log"
rn=$xo/$(row p2p-i1 ack_file)
o=$("$CHK" p1 "$rn" 2>&1)
case $o in *receipt-fields*ipm-i1*|*ipm-i1*receipt-fields*) pass edi_ipm_eerp_rn ;; *) fail edi_ipm_eerp_rn "$(printf '%s' "$o" | tail -3)" ;; esac
"$D" "$rn" | grep -q 'P35 EDIN' && fail edi_ipm_no_edin "an EDIN" || pass edi_ipm_no_edin

# ---- oftp2x400: an EDIFACT file to IPM partnerships
in=$g/spool/oftp/in
n=0
file() {	# NAME USERID ORIG PAYLOAD [FORMAT]
	n=$((n + 1))
	cp "$4" "$in/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261122\ntime = 14000000%02d\ndest = %s%s\norig = %s\nformat = %s\ndesc = Bestellung 4711\n' \
	    "$1" $n "$V" "$2" "$3" "${5:-U}" > "$in/tmp/$1.sfid"
	mv "$in/tmp/$1.sfid" "$in/$1.sfid"
}
printf "UNA:+.? 'UNB+UNOC:3+SENDER:14+RECEIVER:14+261122:1300+REF2'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++Caf\351'UNZ+1+REF2'\r\n" > "$d/latin1"
file ABS1 000044 O0013ABS "$d/ichg"
file BLANK1 000045 O0013BLANK "$d/ichg"
file FILE1 000046 O0013FILE "$d/ichg"
file P21 000047 O0013P2 "$d/ichg"
file LAT1 000044 O0013ABS "$d/latin1"
file PLAIN1 000044 O0013ABS "$d/text" T
# white space before the UNB: one window (unb(3), UNB_HEAD_MAX) for
# whether the file is EDI and for its UNB, not 512 bytes for the one
{ printf '%600s' ''; cat "$d/ichg"; } > "$d/blank600"
file BLANK600 000044 O0013ABS "$d/blank600"
check oftp2x400_edi "$O2X" -c "$g/oxgate.ini" --spool
p1() { echo "$xo/$(q "SELECT out_file FROM trace WHERE dir = 'oftp2x400' AND oftp_dsn = '$1'")"; }
ipm() {	# TEST DSN PATTERN... / !PATTERN: x400check passes, the output shows (or not) each
	_t=$1; _f=$(p1 "$2"); shift 2
	"$CHK" -q p1 "$_f" >/dev/null 2>&1 || { fail "$_t" "x400check rejects $_f"; return; }
	_o=$("$CHK" p1 "$_f" 2>&1)
	for _p in "$@"; do
		case $_p in
		!*) case $_o in *"${_p#!}"*) fail "$_t" "'${_p#!}' in $_f"; return ;; esac ;;
		*) case $_o in *"$_p"*) ;; *) fail "$_t" "no '$_p' in $_f"; return ;; esac ;;
		esac
	done
	pass "$_t"
}
ipm o2x_edi_ia5_primary ABS1 "ia5-text" "UNB+UNOA" "primary-recipients" "O=Abs" "!general-text" "!p22.subject" "!Subject:"
ipm o2x_edi_subject_blank BLANK1 "ia5-text" "primary-recipients"
o=$("$CHK" p1 "$(p1 BLANK1)" -T fields -e p22.subject 2>/dev/null | tr -d '\n')
[ "$o" = " " ] && pass o2x_subject_one_blank || fail o2x_subject_one_blank "subject '$o'"
o=$("$CHK" p1 "$(p1 ABS1)" -T fields -e p22.subject 2>/dev/null | tr -d '\n')
[ -z "$o" ] && pass o2x_subject_absent || fail o2x_subject_absent "subject '$o'"
o=$("$CHK" p1 "$(p1 FILE1)" -T fields -e p22.subject 2>/dev/null | tr -d '\n')
[ "$o" = FILE1 ] && pass o2x_subject_file_rule || fail o2x_subject_file_rule "subject '$o'"
o=$("$CHK" p1 "$(p1 PLAIN1)" -T fields -e p22.subject 2>/dev/null | tr -d '\n')
[ "$o" = "Bestellung 4711" ] && pass o2x_plain_file_subject_unchanged || fail o2x_plain_file_subject_unchanged "subject '$o'"
ipm o2x_p2_ia5 P21 "ia5-text" "UNB+UNOA" "!general-text"
o=$("$CHK" p1 "$(p1 P21)" -T fields -e p22.subject 2>/dev/null | tr -d '\n')
[ "$o" = "Bestellung 4711" ] && pass o2x_default_edi_subject_is_file_rule || fail o2x_default_edi_subject_is_file_rule "subject '$o'"
"$D" "$(p1 P21)" | grep -q 'content-type: .*(2)' && pass o2x_p2_content_type || fail o2x_p2_content_type "$("$D" "$(p1 P21)" | grep content-type)"
ipm o2x_latin1_general_text LAT1 "general-text" "!ia5-text"
[ "$(q "SELECT edim_id FROM trace WHERE oftp_dsn = 'ABS1'")" = "$(q "SELECT ipm_id FROM trace WHERE oftp_dsn = 'ABS1'")" ] &&
    [ -n "$(q "SELECT edim_id FROM trace WHERE oftp_dsn = 'ABS1'")" ] && pass o2x_derived_edim_id || fail o2x_derived_edim_id "$(q "SELECT ipm_id, edim_id FROM trace WHERE oftp_dsn = 'ABS1'")"
ipm o2x_edi_after_600_blanks BLANK600 "ia5-text" "!general-text" "!p22.subject" "!Subject:"
[ -z "$(q "SELECT edim_id FROM trace WHERE oftp_dsn = 'PLAIN1'")" ] && pass o2x_plain_no_edim_id || fail o2x_plain_no_edim_id "has one"

# an EDI-UA answers the IPM with an EDIN on the derived EDIM identifier:
# x4002oftp forwards it, report2eerp finds the row and writes the EERP
id=$(q "SELECT edim_id FROM trace WHERE oftp_dsn = 'ABS1'")
"$G" edin "${id%;*}" "${id##*;}" /S=EDI/O=Abs/P=ABS/A=DBP/C=DE/ "$d/edin.p1" pn || fail gen_edin rptgen
put edin.p1 "$d/edin.p1"; x2o
[ -f "$g/spool/x400/reports/edin.p1" ] && pass edin_forwarded || fail edin_forwarded "$(ls "$g/spool/x400/reports")"
"$R2E" -c "$g/oxgate.ini" --spool 2>>"$g/log"
f=$(q "SELECT out_file FROM trace WHERE oftp_dsn = 'ABS1'")
[ -f "$g/spool/oftp/eerp.out/${f%.*}.eerp" ] &&
    pass edin_on_derived_id_eerp || fail edin_on_derived_id_eerp "$(ls "$g/spool/oftp/eerp.out"; tail -2 "$g/log")"
[ "$(q "SELECT state FROM trace WHERE oftp_dsn = 'ABS1'")" = eerp-sent ] && pass edin_trace_eerp_sent || fail edin_trace_eerp_sent "$(q "SELECT state FROM trace WHERE oftp_dsn = 'ABS1'")"

# a bad edi-subject is a configuration error naming the key
b=$d/bad; mkdir -p "$b"
printf '[spool]\nroot = spool\n' > "$b/oxgate.ini"
printf '[x]\nodette = O0013X\nuserid = 000049\nx400 = /O=X/P=X/A=DBP/C=DE/\nedi-subject = none\n' > "$b/partners.ini"
o=$("$O2X" -c "$b/oxgate.ini" --spool 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *edi-subject*) true ;; *) false ;; esac && pass bad_edi_subject_config || fail bad_edi_subject_config "$rc: $o"

grep -E 'ERROR|Sanitizer|runtime error' "$g/log" >/dev/null && fail no_sanitizer "$(grep -m2 -E 'ERROR|Sanitizer|runtime error' "$g/log")" || pass no_sanitizer
