# x4002oftp end to end: P1 messages in a real spool become OFTP virtual
# files (payload + .sfid) in each file format and MIME usage of the
# partnership; reports, IPNs and EDINs go to x400/reports; unknown
# recipients and probes get reports that Wireshark decodes; bad PDUs go
# to failed/ with the offset; agent mode writes the delivery report.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/x4002oftp
CHK=$OX_SHARED/tools/x400check
fx=$OX_SHARED/fixtures/x400
d=$OX_TMP/x2o
mkdir -p "$d/gen1" "$d/gen2"
"$OX_TOOLS/p1gen" "$d/gen1" >/dev/null && "$OX_TOOLS/p22gen" "$d/gen2" >/dev/null ||
    fail generators "p1gen / p22gen"

# wrap TEMPLATE.p1 CONTENT LOCALID(10 chars) CTYPE OUT: the template's
# envelope (its local identifier gen-p1-msg replaced) around CONTENT
wrap() {
	python3 - "$@" <<'PY'
import sys
def hdr(tag, n):
    if n < 128:
        return bytes([tag, n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([tag, 0x80 | len(b)]) + b
def tlv(d, i):
    i += 1
    n = d[i]; i += 1
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(d[i:i + k], 'big'); i += k
    return i, n
tpl, content, local, ct, out = sys.argv[1:6]
d = open(tpl, 'rb').read()
i, _ = tlv(d, 0)
j, n = tlv(d, i)
env = d[i:j + n]
assert len(local) == 10 and b'gen-p1-msg' in env
env = env.replace(b'gen-p1-msg', local.encode())
if ct == '35':
    env = env.replace(b'\x46\x01\x16', b'\x46\x01\x23')
c = open(content, 'rb').read()
body = env + hdr(0x04, len(c)) + c
open(out, 'wb').write(hdr(0xa0, len(body)) + body)
PY
}
T1=$d/gen2/gen_msg.p1
sed 's/report\.bin/..\/..\/evil/' "$d/gen2/gen_multi.p22" > "$d/hostile.p22"
sed 's/report\.bin/..\\..\\evil/' "$d/gen2/gen_multi.p22" > "$d/hostile2.p22"
wrap "$T1" "$d/gen2/gen_bp15.p22" x2o-bp15-1 22 "$d/bp15.p1"
wrap "$T1" "$d/gen2/gen_bp14.p22" x2o-bp14-1 22 "$d/bp14.p1"
wrap "$T1" "$d/gen2/gen_ftbp.p22" x2o-ftbp-1 22 "$d/ftbp.p1"
wrap "$T1" "$d/gen2/gen_cms.p22" x2o-cms0-1 22 "$d/cms.p1"
wrap "$T1" "$d/hostile.p22" x2o-host-1 22 "$d/hostile.p1"
wrap "$T1" "$d/hostile2.p22" x2o-host-2 22 "$d/hostile2.p1"
wrap "$T1" "$fx/edim.p35" x2o-edim-1 35 "$d/edim.p1"
wrap "$T1" "$fx/edin_pn.p35" x2o-edin-1 35 "$d/edin.p1"
check wrapped_decodable "$CHK" -q p1 "$d/bp14.p1"

RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
JANE='/DD.RFC-822=x(a)acme.example/CN=Jane Doe/G=Jane/I=Q/S=Doe/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'
JOHN='/DD.RFC-822=x(a)acme.example/CN=John Smith/G=John/I=Q/S=Smith/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'

# setup NAME [partner keys...]: a gateway of its own with one partnership
# [p] whose station is Rita, and [jane] for the fixture
setup() {
	g=$d/$1; shift
	mkdir -p "$g/spool/x400/in/tmp"
	printf '[spool]\nroot = spool\n' > "$g/oxgate.ini"
	{ printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\n' "$SAM" "$RITA"
	  for kv in "$@"; do printf '%s\n' "$kv"; done
	  printf '[jane]\nodette = O0013JANE\nuserid = 000043\nx400 = %s\nlocal = %s\nformat = T\n' "$JOHN" "$JANE"
	} > "$g/partners.ini"
}
put() { cp "$2" "$g/spool/x400/in/tmp/$1" && mv "$g/spool/x400/in/tmp/$1" "$g/spool/x400/in/$1"; }
run() { "$X" -c "$g/oxgate.ini" --spool 2>>"$g/log"; }
out() { ls "$g/spool/oftp/out" | grep -v '\.sfid$\|^tmp$' ; }	# payload names
# the payload and the .sfid of the one file of the run
pay() { f=$(out | head -1); [ -n "$f" ] && cat "$g/spool/oftp/out/$f"; }
sf() { f=$(out | head -1); sed -n "s/^$1 *= *//p" "$g/spool/oftp/out/$f.sfid" | tr -d '"'; }
same() {	# NAME EXPECTED-FILE
	if [ -n "$(out)" ] && cmp -s "$2" "$g/spool/oftp/out/$(out | head -1)"; then pass "$1"
	else fail "$1" "$(pay | od -c | head -5 | tr '\n' '|') $(tail -3 "$g/log" 2>/dev/null | tr '\n' '|')"; fi
}
field() {	# NAME KEY VALUE
	[ "$(sf "$2" 2>/dev/null)" = "$3" ] && pass "$1" || fail "$1" "$2 = '$(sf "$2")', want '$3'"
}

# 1. one IA5 body part in each file format
printf 'hello\r\n' > "$d/hello"
for f in U:0 T:0; do
	setup "ia5_${f%:*}" "format = ${f%:*}"
	put m.p1 "$d/gen1/gen_msg.p1"; run
	same "ia5_format_${f%:*}" "$d/hello"
	field "ia5_${f%:*}_sfid_format" format "${f%:*}"
done
setup ia5_F "format = F" "lrecl = 4"; put m.p1 "$d/gen1/gen_msg.p1"; run
printf 'hello\r\n ' > "$d/exp"; same ia5_format_F_padded "$d/exp"
field ia5_F_lrecl lrecl 4
setup ia5_V "format = V" "lrecl = 3"; put m.p1 "$d/gen1/gen_msg.p1"; run
printf '\000\003hel\000\002lo' > "$d/exp"; same ia5_format_V_lines "$d/exp"
field sfid_dest_is_station dest O0013RITA
field sfid_orig_virtual orig O0177000000000X0LU000042
field sfid_dsn_from_subject dsn GEN.IPM
field sfid_desc_subject desc "Gen IPM"
d8=$(sf date); t10=$(sf time)
case $d8$t10 in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) pass sfid_stamp ;; *) fail sfid_stamp "$d8 $t10" ;; esac
# Otto is nobody's station: a non-delivery report 1/0 to Sam
ndr=$(grep -l 'gen-msg-1' $(ls "$g/spool/x400/out"/*.p1) | while read -r f; do "$CHK" p1 "$f" 2>&1 | grep -q non-delivery-reason-code && echo "$f"; done | head -1)
o=$("$CHK" p1 "$ndr" 2>&1)
case $o in *"non-delivery-reason-code: unable-to-transfer (1)"*"unrecognised-OR-name (0)"*) pass ndr_for_unknown ;; *) fail ndr_for_unknown "$o" ;; esac
check ndr_x400check "$CHK" -q p1 "$ndr"
case $o in *"S=Other/G=Otto"*) pass ndr_names_recipient ;; *) fail ndr_names_recipient "no Otto" ;; esac
# agent mode: Rita asked for a delivery report
dr=$(ls "$g/spool/x400/out"/*.p1 | wc -l)
[ "$dr" -eq 2 ] && pass agent_dr_written || fail agent_dr_written "$(ls "$g/spool/x400/out")"
o=$(for f in "$g"/spool/x400/out/*.p1; do "$CHK" p1 "$f"; done 2>&1)
case $o in *"message-delivery-time"*"S=Receiver/G=Rita"*|*"S=Receiver/G=Rita"*"message-delivery-time"*) pass agent_dr_decodes ;; *) fail agent_dr_decodes "$o" ;; esac
o=$("$OX_ABIN/oxtrace" -c "$g/oxgate.ini" status '[DE*VIAT*OFTP;gen-msg-1]' 2>&1)
case $o in *converted*) pass trace_converted ;; *) fail trace_converted "$o" ;; esac
case $o in *"agent mode: delivery report written"*) pass trace_records_dr ;; *) fail trace_records_dr "$o" ;; esac
case $o in *"x4002oftp"*) pass trace_direction ;; *) fail trace_direction "$o" ;; esac
# a redo (the same input again) gives no second output
put m.p1 "$d/gen1/gen_msg.p1"; run
[ "$(out | wc -l)" -eq 1 ] && pass redo_one_output || fail redo_one_output "$(out)"
[ "$("$OX_ABIN/oxtrace" -c "$g/oxgate.ini" list --dir x4002oftp | grep -c gen-msg-1)" -eq 1 ] && pass redo_one_row || fail redo_one_row "rows"

# transfer mode: no delivery report now
setup transfer "mode = transfer"; put m.p1 "$d/gen1/gen_msg.p1"; run
[ "$(ls "$g/spool/x400/out"/*.p1 | wc -l)" -eq 1 ] && pass transfer_no_dr || fail transfer_no_dr "$(ls "$g/spool/x400/out")"

# 2. other body parts, one each
setup bp15 "format = U"; put m.p1 "$d/bp15.p1"; run
printf 'Gr\374\337e aus K\366ln\r\n' > "$d/exp"; same bp15_latin1_octets_kept "$d/exp"
tail -c +17 "$d/gen2/data.bin" > "$d/bp14.exp"
setup bp14 "format = U"; put m.p1 "$d/bp14.p1"; run
same bp14_as_is "$d/bp14.exp"
setup bp14v "format = V" "lrecl = 1000"; put m.p1 "$d/bp14.p1"; run
[ "$(pay | wc -c)" -eq 4090 ] && [ "$(pay | head -c 2 | od -An -tx1 | tr -d ' ')" = 03e8 ] && pass bp14_V_blocks || fail bp14_V_blocks "$(pay | wc -c)"
setup ftbp "format = U"; put m.p1 "$d/ftbp.p1"; run
same ftbp_as_is "$d/gen2/data.bin"
setup vdsn "vdsn = FIXED.NAME"; put m.p1 "$d/ftbp.p1"; run
field vdsn_fixed dsn FIXED.NAME

# 3. several body parts: MIME multipart/mixed by the mime usage
setup mnone "mime = none"; put m.p1 "$T1"; run
p=$(pay)
case $p in --_oxgate_*) pass mime_none_body_only ;; *) fail mime_none_body_only "$(printf '%s' "$p" | head -3)" ;; esac
case $p in *"MIME-Version"*) fail mime_none_no_header "header" ;; *) pass mime_none_no_header ;; esac
case $p in *'Content-Type: text/plain; charset=us-ascii'*'Hello from oxgate'*) pass mime_ia5_part ;; *) fail mime_ia5_part "$p" ;; esac
case $p in *'charset=iso-8859-1'*'Gr=FC=DFe aus K=F6ln'*) pass mime_latin1_part ;; *) fail mime_latin1_part "$p" ;; esac
case $p in *'filename=report.bin'*) pass mime_ftbp_filename ;; *) fail mime_ftbp_filename "$p" ;; esac
[ -z "$(pay | tr -d '\r' | grep -c . | grep -x 0)" ] && [ "$(pay | grep -c "$(printf '[^\r]$')")" -eq 0 ] && pass mime_crlf_lines || fail mime_crlf_lines "bare LF"
field mime_none_desc_is_subject desc "gen multi"
setup mheader "mime = header"; put m.p1 "$T1"; run
p=$(pay)
case $p in "MIME-Version: 1.0"*"Subject: gen multi"*"Content-Type: multipart/mixed"*"boundary="*) pass mime_header_at_start ;; *) fail mime_header_at_start "$(printf '%s' "$p" | head -8)" ;; esac
# the file is a MIME message: every part comes back with a MIME parser
n=$(pay | python3 -c 'import email,sys; m=email.message_from_bytes(sys.stdin.buffer.read()); print(len(m.get_payload()), m.get_payload()[1].get_payload(decode=True) == open(sys.argv[1],"rb").read())' "$d/bp14.exp" 2>&1)
[ "$n" = "4 True" ] && pass mime_header_parses || fail mime_header_parses "$n"
setup mdesc "mime = description"; put m.p1 "$T1"; run
case $(sf desc) in 'Content-Type: multipart/mixed; boundary=_oxgate_'*) pass mime_description_desc ;; *) fail mime_description_desc "$(sf desc)" ;; esac
case $(pay | head -c 20) in --_oxgate_*) pass mime_description_body ;; *) fail mime_description_body "$(pay | head -2)" ;; esac
setup mT "mime = header" "format = T"; put m.p1 "$T1"; run
[ "$(sf format)" = T ] && pay | head -1 | grep -q "^MIME-Version: 1.0$(printf '\r')\$" && pass mime_in_T_file || fail mime_in_T_file "$(pay | head -1 | od -c)"

# the MIME header's addresses come from the IPM heading, mapped to RFC 822
# (RFC 2156): without tables, std-or (an atom: no quotes) at the fallback
# domain; the heading's ORDescriptors with their display name (free-form
# name, else the personal name) as a quoted phrase
hf() { pay | tr -d '\r' | sed -n '/^$/q;p' | sed -n "s/^$1: //p" | head -1; }
setup mheader_nomap "mime = header"; put m.p1 "$T1"; run
[ "$(hf From)" = '"Sam Sender" </G=Sam/S=Sender/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/@x400.invalid>' ] && pass mime_from_unmapped_std_or || fail mime_from_unmapped_std_or "$(hf From)"
[ "$(hf To)" = '/G=Rita/S=Receiver/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/@x400.invalid' ] && pass mime_to_partnership_unmapped || fail mime_to_partnership_unmapped "$(hf To)"
# with an or-domain table: encoded-pn at the domain, msg-id from this-IPM
setup mheader_map "mime = header"; mkdir -p "$g/mapping"
printf '# test\nPRMD$OFTP.ADMD$VIAT.C$DE#oftp.example#\n' > "$g/mapping/or-domain"
put m.p1 "$T1"; run
[ "$(hf From)" = '"Sam Sender" <Sam.Sender@Gateway.oftp.example>' ] && pass mime_from_822 || fail mime_from_822 "$(hf From) $(cat "$g/log")"
[ "$(hf To)" = 'Rita.Receiver@Gateway.oftp.example' ] && pass mime_to_822 || fail mime_to_822 "$(hf To)"
# the same answer as oxaddr with the same table (one code path, mixer_run)
[ "$(hf From)" = "\"Sam Sender\" <$("$OX_ABIN/oxaddr" -m "$g/mapping" --gateway /C=DE/A=VIAT/P=OFTP/ to822 "$SAM")>" ] && pass mime_from_as_oxaddr || fail mime_from_as_oxaddr "$(hf From)"
[ "$(hf Message-ID)" = "$("$OX_ABIN/oxaddr" -m "$g/mapping" msgid "gen-multi*$SAM")" ] && pass mime_message_id_as_oxaddr || fail mime_message_id_as_oxaddr "$(hf Message-ID)"
# RFC 2156 4.7.3.2 (rfc2156.txt:3856, 3877): at the domain MHS, quoted as the RFC writes it
[ "$(hf Message-ID)" = '<"gen-multi*/G=Sam/S=Sender/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/"@MHS>' ] && pass mime_message_id_ipm || fail mime_message_id_ipm "$(hf Message-ID)"
case $(hf Date) in [A-Z][a-z][a-z],\ 02\ Jan\ 2025\ 03:04:05\ +0000) pass mime_date_arrival ;; *) fail mime_date_arrival "$(hf Date)" ;; esac
[ -z "$(hf Cc)" ] && pass mime_no_cc_without_copy || fail mime_no_cc_without_copy "$(hf Cc)"
# the heading's RFC-822 attributes: From, To and Cc are the addresses
setup mheader_fix "mime = header"; put msg.p1 "$fx/msg.p1"; mv "$g/partners.ini" "$g/p.tmp"
sed 's/^format = T$/format = T\nmime = header/' "$g/p.tmp" > "$g/partners.ini"; run
f=$(ls "$g/spool/oftp/out" | grep -v '\.sfid$\|^tmp$' | head -1)
hdr=$(tr -d '\r' < "$g/spool/oftp/out/$f" | sed -n '/^$/q;p')
case $hdr in *'From: "John Smith" <x@acme.example>'*'To: "Jane Q. Doe" <x@acme.example>'*'Cc: "Rick Q. Roe" <x@acme.example>'*"Message-ID: <\"ipm-0001*/DD.RFC-822="*"@MHS>"*) pass mime_heading_rfc822_dda ;; *) fail mime_heading_rfc822_dda "$hdr" ;; esac
# a free-form name outside ASCII (T.61 "u" with diaeresis) becomes RFC 2047
# encoded-words in the phrase; Python's email package decodes them
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); k = d.index(b"\x80\x0aJohn Smith") + 2; open(sys.argv[2], "wb").write(d[:k] + b"J\xc8urg Smit" + d[k + 10:])' "$fx/msg.p1" "$d/ffn8.p1"
setup mheader_ffn8 "mime = header"; put msg.p1 "$d/ffn8.p1"; mv "$g/partners.ini" "$g/p.tmp"
sed 's/^format = T$/format = T\nmime = header/' "$g/p.tmp" > "$g/partners.ini"; run
from=$(tr -d '\r' < "$g/spool/oftp/out/$(out | head -1)" | sed -n '/^$/q;s/^From: //p')
nm=$(printf '%s' "$from" | python3 -c 'import sys, email.header as h; v = sys.stdin.read(); print(str(h.make_header(h.decode_header(v.split(" <")[0]))))')
case $from in '=?'*'?='*' <x@acme.example>') [ "$nm" = "Jürg Smit" ] && pass mime_phrase_encoded_word || fail mime_phrase_encoded_word "$nm" ;; *) fail mime_phrase_encoded_word "$from $(tail -2 "$g/log")" ;; esac

# hostile FTBP names never leave the directory
for h in hostile hostile2; do
	setup "$h" "mime = header"; put m.p1 "$d/$h.p1"; run
	p=$(pay)
	case $p in *'filename=evil'*) pass "${h}_sanitised" ;; *) fail "${h}_sanitised" "$(printf '%s' "$p" | grep -i filename)" ;; esac
	case $p in *'..'*'evil'*) fail "${h}_no_dotdot" "dots kept" ;; *) pass "${h}_no_dotdot" ;; esac
done

# the fixture message: Jane is a station, Rick is not
setup fixture; put msg.p1 "$fx/msg.p1"; run
field fixture_dest dest O0013JANE
field fixture_orig_virtual orig O0177000000000X0LU000043
field fixture_dsn dsn TEST.SUBJECT
field fixture_format_T format T
case $(pay) in *"Content-Type: text/plain"*) pass fixture_two_parts_mime ;; *) fail fixture_two_parts_mime "$(pay | head -3)" ;; esac
setup fixture_indef; put msg.p1 "$fx/msg_indef_all.p1"; run
[ -n "$(out)" ] && pass fixture_indefinite || fail fixture_indefinite "$(cat "$g/log")"
for f in "$g"/spool/x400/out/*.p1; do check "fixture_report_$(basename "$f" .p1 | head -c 6)" "$CHK" -q p1 "$f"; done

# S/MIME body part with mime none (issue 22): delivered at once as the
# CMS object itself (DER, what the FTBP holds), with a warning; nothing
# waits in x400/in (it used to exit 75 on every run)
setup cmsnone; put m.p1 "$d/cms.p1"
check cms_mime_none_delivered run
grep -q 'mime = none: the S/MIME body part goes as its CMS object' "$g/log" && [ ! -f "$g/spool/x400/in/m.p1" ] &&
    pass cms_none_not_held || fail cms_none_not_held "$(cat "$g/log")"
openssl asn1parse -inform DER -in "$g/spool/oftp/out/$(out | head -1)" 2>/dev/null | head -3 | grep -q 'OBJECT *:\(pkcs7-\|id-smime\|id-ct-\)' &&
    pass cms_none_der_cms || fail cms_none_der_cms "$(openssl asn1parse -inform DER -in "$g/spool/oftp/out/$(out | head -1)" 2>&1 | head -3 | tr '\n' '|')"
setup cmshdr "mime = header"; put m.p1 "$d/cms.p1"; run
case $(pay) in *"Content-Type: application/pkcs7-mime; smime-type=enveloped-data"*) pass cms_smime ;; *) fail cms_smime "$(pay | head -5)" ;; esac

# 5. EDIM: the interchange is the file
setup edim "format = U"; put e.p1 "$d/edim.p1"; run
printf 'ISA*00*          *00*          *ZZ*SENDER~' > "$d/exp"; same edim_interchange "$d/exp"

# reports, IPNs, EDINs go unchanged to x400/reports; probes are answered
setup reports
for f in dr ndr msg_rn probe; do put "$f.p1" "$fx/$f.p1"; done
put gen_rn.p1 "$d/gen2/gen_rn.p1"; put edin.p1 "$d/edin.p1"; put gen_probe.p1 "$d/gen1/gen_probe.p1"
check_fails reports_exit_0 0 run
for f in dr ndr msg_rn gen_rn edin; do
	cmp -s "$g/spool/x400/reports/$f.p1" "$( [ -f "$fx/$f.p1" ] && echo "$fx/$f.p1" || { [ $f = gen_rn ] && echo "$d/gen2/gen_rn.p1" || echo "$d/edin.p1"; })" &&
	    pass "moved_$f" || fail "moved_$f" "$(ls "$g/spool/x400/reports")"
done
[ -z "$(ls "$g/spool/x400/in" | grep -v '^tmp$\|^work$')" ] && pass reports_inputs_gone || fail reports_inputs_gone "$(ls "$g/spool/x400/in")"
[ -z "$(out)" ] && pass reports_no_file || fail reports_no_file "$(out)"
o=$(for f in "$g"/spool/x400/out/*.p1; do "$CHK" p1 "$f"; done 2>&1)
case $o in *"message-delivery-time"*) pass probe_dr ;; *) fail probe_dr "$o" ;; esac
case $o in *"unrecognised-OR-name"*) pass probe_ndr ;; *) fail probe_ndr "$o" ;; esac
for f in "$g"/spool/x400/out/*.p1; do check "probe_report_decodes_$(basename "$f" | head -c 6)" "$CHK" -q p1 "$f"; done

# unknown recipient only: NDR, the input in failed/
setup unknown; put fx.p1 "$fx/msg.p1"
sed -i 's/CN=Jane Doe/CN=Nobody/' "$g/partners.ini"
check_fails unknown_exit_0 0 run
[ -f "$g/spool/failed/fx.p1" ] && grep -q 'no partnership for' "$g/spool/failed/fx.p1.why" && pass unknown_to_failed || fail unknown_to_failed "$(cat "$g/spool/failed/"*.why 2>&1)"
n=$(ls "$g/spool/x400/out"/*.p1 | head -1)
o=$("$CHK" p1 "$n" 2>&1)
case $o in *"S=Doe/G=Jane"*"S=Roe/G=Rick"*"unrecognised-OR-name (0)"*) pass unknown_ndr_both ;; *) fail unknown_ndr_both "$o" ;; esac

# malformed and truncated PDUs: failed/ with the offset
setup bad
put bad_len.p1 "$fx/bad_len.p1"; put trail.p1 "$fx/trail.p1"
head -c 600 "$fx/msg.p1" > "$d/trunc.p1"; put trunc.p1 "$d/trunc.p1"
check_fails bad_exit_0 0 run
for f in bad_len trail trunc; do
	grep -q 'offset [0-9]' "$g/spool/failed/$f.p1.why" 2>/dev/null && pass "failed_$f" || fail "failed_$f" "$(cat "$g/spool/failed/$f.p1.why" 2>&1)"
done
grep -q 'offset 29' "$g/spool/failed/bad_len.p1.why" && pass bad_len_offset_29 || fail bad_len_offset_29 "$(cat "$g/spool/failed/bad_len.p1.why")"

check_fails usage_two_modes 64 "$X" -c "$g/oxgate.ini" --spool --watch
check_fails usage_spool_with_input 64 "$X" -c "$g/oxgate.ini" --spool "$fx/msg.p1"
check_fails usage_sfid_out_with_spool 64 "$X" -c "$g/oxgate.ini" --spool --sfid-out "$d/x.sfid"
check_fails usage_two_inputs 64 "$X" -c "$g/oxgate.ini" "$fx/msg.p1" "$fx/msg.p1"
check help "$X" --help

# 6. OFTP2 security: the file opens with openssl cms
k=$d/keys; mkdir -p "$k"
for who in gw partner; do
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=x2o test $who" -days 2 \
	    -keyout "$k/$who.key" -out "$k/$who.crt" >/dev/null 2>&1 || fail keys "openssl req"
done
secsetup() {	# NAME keys...
	setup "$@" "cipher = 04" "certificate = $k/partner.crt"
	printf '[security]\ncertificate = %s\nkey = %s\n' "$k/gw.crt" "$k/gw.key" >> "$g/oxgate.ini"
	put m.p1 "$d/gen1/gen_msg.p1"; run
	sec=$g/spool/oftp/out/$(out | head -1)
}
secsetup enc "encrypt = yes"
openssl cms -decrypt -inform DER -in "$sec" -recip "$k/partner.crt" -inkey "$k/partner.key" -out "$d/dec" 2>"$d/err" &&
    cmp -s "$d/dec" "$d/hello" && pass encrypted_opens || fail encrypted_opens "$(cat "$d/err" "$g/log")"
field enc_sfid_sec sec 01
field enc_sfid_ciph ciph 04
field enc_sfid_env env 1
secsetup sig "sign = yes" "signed-eerp = yes"
openssl cms -verify -inform DER -in "$sec" -CAfile "$k/gw.crt" -out "$d/ver" 2>"$d/err" &&
    cmp -s "$d/ver" "$d/hello" && pass signed_verifies || fail signed_verifies "$(cat "$d/err" "$g/log")"
field sig_sfid_sec sec 02
field sig_sfid_sign sign Y
secsetup all "sign = yes" "compress = yes" "encrypt = yes"
"$OX_TOOLS/cmstool" unwrap -k "$k/partner.key" -c "$k/partner.crt" -p "$k/gw.crt" "$sec" "$d/unw" >"$d/err" 2>&1 &&
    cmp -s "$d/unw" "$d/hello" && pass sce_unwraps || fail sce_unwraps "$(cat "$d/err" "$g/log")"
field sce_sfid_sec sec 03
field sce_sfid_comp comp 1

# A recipient whose ODETTEID names a station routed through the partner
# (partners.ini(5) routed): the file goes to that station. The attribute
# type is compared without case, by the one rule of oftp/odette that also
# finds the partner (before, x4002oftp compared it with case: the partner
# was found, the routed station not). Cf. RFC 2156 4.1.3 (line 2344):
# keywords of the text form are matched case-independently.
setup routed_dda "routed = O0013GAMMA2"
"$OX_TOOLS/crashgen" ipm "$g/spool/x400/in" rt 0 1 "$SAM" "/DD.odetteid=O0013GAMMA2/PRMD=OFTP/ADMD=VIAT/C=DE/" >/dev/null 2>>"$g/log" &&
    run; field routed_dda_lowercase_type dest O0013GAMMA2

# 7. filter mode: one message, the payload to stdout, the .sfid to
# --sfid-out, the trace row as in spool mode, nothing into the spool
FX() { "$X" -c "$g/oxgate.ini" "$@" 2>>"$g/log"; }
fsf() { sed -n "s/^$2 *= *//p" "$1" | tr -d '"'; }	# SFID-FILE KEY
ffield() {	# NAME SFID-FILE KEY VALUE
	[ "$(fsf "$2" "$3")" = "$4" ] && pass "$1" || fail "$1" "$3 = '$(fsf "$2" "$3")', want '$4'"
}
setup flt_U "format = U"
# stdout not written (a full disk): 74, nothing recorded, the run below
# converts the same message
check_fails filter_stdout_full 74 sh -c "'$X' -c '$g/oxgate.ini' --sfid-out '$d/f.sfid' '$d/gen1/gen_msg.p1' > /dev/full"
FX --sfid-out "$d/f.sfid" "$d/gen1/gen_msg.p1" > "$d/f.out"; rc=$?
[ $rc -eq 0 ] && cmp -s "$d/f.out" "$d/hello" && pass filter_U_payload || fail filter_U_payload "exit $rc: $(od -c "$d/f.out" | head -3 | tr '\n' '|') $(tail -3 "$g/log" | tr '\n' '|')"
ffield filter_sfid_dsn "$d/f.sfid" dsn GEN.IPM
ffield filter_sfid_dest "$d/f.sfid" dest O0013RITA
ffield filter_sfid_orig "$d/f.sfid" orig O0177000000000X0LU000042
ffield filter_sfid_format "$d/f.sfid" format U
ffield filter_sfid_fsize "$d/f.sfid" fsize 1
ffield filter_sfid_desc "$d/f.sfid" desc "Gen IPM"
ffield filter_sfid_mtsid "$d/f.sfid" mts-id '[DE*VIAT*OFTP;gen-msg-1]'
case $(fsf "$d/f.sfid" date)$(fsf "$d/f.sfid" time) in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) pass filter_sfid_stamp ;; *) fail filter_sfid_stamp "$(cat "$d/f.sfid")" ;; esac
[ -z "$(ls "$g/spool/oftp/out" 2>/dev/null | grep -v '^tmp$')" ] && [ -z "$(ls "$g/spool/x400/out" 2>/dev/null | grep -v '^tmp$')" ] &&
    pass filter_nothing_in_spool || fail filter_nothing_in_spool "$(ls -R "$g/spool" | tr '\n' ' ')"
grep -q 'agent mode: the delivery report owed is not written' "$g/log" && grep -q 'Otto.* is no partnership' "$g/log" &&
    pass filter_reports_logged || fail filter_reports_logged "$(cat "$g/log")"
o=$("$OX_ABIN/oxtrace" -c "$g/oxgate.ini" status '[DE*VIAT*OFTP;gen-msg-1]' 2>&1)
case $o in *converted*) pass filter_trace_converted ;; *) fail filter_trace_converted "$o" ;; esac
case $o in *x4002oftp*) pass filter_trace_direction ;; *) fail filter_trace_direction "$o" ;; esac
# stdin, a pipe: the same bytes; a redo: the same SFID (date and time
# from the trace row), still one row
cat "$d/gen1/gen_msg.p1" | FX --sfid-out "$d/f2.sfid" > "$d/f2.out"
cmp -s "$d/f.out" "$d/f2.out" && pass filter_stdin_pipe || fail filter_stdin_pipe "$(od -c "$d/f2.out" | head -2)"
cmp -s "$d/f.sfid" "$d/f2.sfid" && pass filter_redo_same_sfid || fail filter_redo_same_sfid "$(diff "$d/f.sfid" "$d/f2.sfid" | tr '\n' '|')"
[ "$("$OX_ABIN/oxtrace" -c "$g/oxgate.ini" list --dir x4002oftp | grep -c gen-msg-1)" -eq 1 ] && pass filter_redo_one_row || fail filter_redo_one_row rows
FX < "$d/gen1/gen_msg.p1" > "$d/f3.out" && cmp -s "$d/f.out" "$d/f3.out" && pass filter_no_sfid_out || fail filter_no_sfid_out "$(tail -2 "$g/log")"
# --filter, the one spelling of all converters, is the same filter mode
FX --filter --sfid-out "$d/f4.sfid" - < "$d/gen1/gen_msg.p1" > "$d/f4.out" && cmp -s "$d/f.out" "$d/f4.out" &&
    cmp -s "$d/f.sfid" "$d/f4.sfid" && pass filter_flag || fail filter_flag "$(tail -2 "$g/log")"
check_fails filter_and_spool 64 "$X" -c "$g/oxgate.ini" --filter --spool
# V with lrecl, a BP14 body part: 1000-octet records
setup flt_V "format = V" "lrecl = 1000"
FX --sfid-out "$d/v.sfid" "$d/bp14.p1" > "$d/v.out"
[ "$(wc -c < "$d/v.out")" -eq 4090 ] && [ "$(head -c 2 "$d/v.out" | od -An -tx1 | tr -d ' ')" = 03e8 ] && pass filter_V_records || fail filter_V_records "$(wc -c < "$d/v.out")"
ffield filter_V_sfid_format "$d/v.sfid" format V
ffield filter_V_sfid_lrecl "$d/v.sfid" lrecl 1000
# the same payload as spool mode (a spool of its own: the trace row of
# the filter run would make this a redo, which writes nothing)
setup flt_V_spool "format = V" "lrecl = 1000"; put m.p1 "$d/bp14.p1"; run
cmp -s "$d/v.out" "$g/spool/oftp/out/$(out | head -1)" && pass filter_equals_spool || fail filter_equals_spool "differs"
# MIME: the fixture's two body parts, header usage
setup flt_mime "mime = header"
FX --sfid-out "$d/m.sfid" "$T1" > "$d/m.out"
case $(head -c 18 "$d/m.out") in "MIME-Version: 1.0"*) pass filter_mime_header ;; *) fail filter_mime_header "$(head -3 "$d/m.out")" ;; esac
ffield filter_mime_dsn "$d/m.sfid" dsn GEN.MULTI
# refused: reports, IPNs, EDINs, probes (65, nothing on stdout)
setup flt_refuse
for f in "$fx/dr.p1" "$fx/ndr.p1" "$d/gen2/gen_rn.p1" "$d/edin.p1" "$d/gen1/gen_probe.p1"; do
	b=$(basename "$f" .p1)
	FX --sfid-out "$d/r.sfid" "$f" > "$d/r.out"; rc=$?
	[ $rc -eq 65 ] && [ ! -s "$d/r.out" ] && [ ! -e "$d/r.sfid" ] && pass "filter_refuses_$b" || fail "filter_refuses_$b" "exit $rc"
done
grep -q 'report: refused in filter mode' "$g/log" && grep -q 'IPM notification: refused in filter mode' "$g/log" &&
    grep -q 'EDI notification: refused' "$g/log" && grep -q 'probe: refused in filter mode' "$g/log" &&
    pass filter_refusal_says_why || fail filter_refusal_says_why "$(cat "$g/log")"
[ -z "$(ls "$g/spool/x400/reports" 2>/dev/null | grep -v '^tmp$')" ] && pass filter_refused_not_forwarded || fail filter_refused_not_forwarded "$(ls "$g/spool/x400/reports")"
FX "$d/trunc.p1" > /dev/null; [ $? -eq 65 ] && grep -q 'not a P1 PDU: offset' "$g/log" && pass filter_truncated_65 || fail filter_truncated_65 "$(tail -1 "$g/log")"
check_fails filter_no_input 66 "$X" -c "$g/oxgate.ini" "$d/does-not-exist.p1"
# several partnerships: refused (one stdout, one file); none: 67
setup flt_two
RICK='/DD.RFC-822=x(a)acme.example/CN=Rick Roe/G=Rick/I=Q/S=Roe/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'
printf '[rick]\nodette = O0013RICK\nx400 = %s\nlocal = %s\n' "$JOHN" "$RICK" >> "$g/partners.ini"
FX "$fx/msg.p1" > "$d/t.out"; rc=$?
[ $rc -eq 65 ] && [ ! -s "$d/t.out" ] && grep -q '2 recipients of .* are OFTP partnerships; filter mode writes one file' "$g/log" &&
    pass filter_two_partnerships_refused || fail filter_two_partnerships_refused "exit $rc $(tail -1 "$g/log")"
setup flt_none
sed -i 's/CN=Jane Doe/CN=Nobody/' "$g/partners.ini"
FX "$fx/msg.p1" > "$d/t.out"; rc=$?
[ $rc -eq 67 ] && [ ! -s "$d/t.out" ] && [ -z "$(ls "$g/spool/x400/out" 2>/dev/null | grep -v '^tmp$')" ] &&
    pass filter_no_partnership_67 || fail filter_no_partnership_67 "exit $rc"
# OFTP2 security in filter mode: stdout opens with openssl cms
setup flt_enc "encrypt = yes" "cipher = 04" "certificate = $k/partner.crt"
printf '[security]\ncertificate = %s\nkey = %s\n' "$k/gw.crt" "$k/gw.key" >> "$g/oxgate.ini"
FX --sfid-out "$d/e.sfid" "$d/gen1/gen_msg.p1" > "$d/e.out"
openssl cms -decrypt -inform DER -in "$d/e.out" -recip "$k/partner.crt" -inkey "$k/partner.key" -out "$d/e.dec" 2>"$d/err" &&
    cmp -s "$d/e.dec" "$d/hello" && pass filter_encrypted_opens || fail filter_encrypted_opens "$(cat "$d/err" | head -2)"
ffield filter_enc_sfid_env "$d/e.sfid" env 1
ffield filter_enc_sfid_ciph "$d/e.sfid" ciph 04
