# oxdump on PDUs built outside the project: values, offsets, JSON, errors.
. "$(dirname "$0")/lib.sh"
fx=$OX_SHARED/fixtures/x400
D=$OX_ABIN/oxdump

# has NAME OUTPUT PATTERN...: every pattern is a line of OUTPUT
has() {
	n=$1; o=$2; shift 2
	for p in "$@"; do
		if ! printf '%s\n' "$o" | grep -qF -- "$p"; then
			fail "$n" "no line with '$p' in: $(printf '%s' "$o" | head -c 3000)"
			return
		fi
	done
	pass "$n"
}
jvalid() {	# name file [options]
	n=$1; f=$2; shift 2
	if "$D" --json "$@" "$f" | python3 -m json.tool >/dev/null 2>&1; then
		pass "$n"; else fail "$n" "not JSON"; fi
}
# jget FILE PYEXPR: a value of the JSON output, d is the object
jget() { "$D" --json "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" 2>&1; }

orig='/DD.RFC-822=x(a)acme.example/CN=John Smith/G=John/I=Q/S=Smith/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'
jane='/DD.RFC-822=x(a)acme.example/CN=Jane Doe/G=Jane/I=Q/S=Doe/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'

# P1 message with a P22 IPM
o=$("$D" "$fx/msg.p1" 2>&1)
has msg_envelope "$o" 'kind: P1 message' \
    '  message-identifier: [GB* *ACME;msg-0001]' \
    "  originator-name: $orig" \
    '  original-encoded-information-types: ia5-text' \
    '  content-type: interpersonal-messaging-1988 (22)' \
    '  content-identifier: cid-0001' '  priority: urgent (2)' \
    '  per-message-indicators: disclosure-of-other-recipients, alternate-recipient-allowed, content-return-request' \
    '  deferred-delivery-time: 2025-01-02T03:00:00Z'
has msg_trace "$o" '    - global-domain-identifier: /PRMD=ACME/ADMD= /C=GB/' \
    '      arrival-time: 2025-01-02T03:04:05Z' '      routing-action: relayed (0)'
has msg_extension "$o" '    - type: recipient-reassignment-prohibited (1)' \
    '      criticality: for-delivery'
has msg_recipients "$o" "    - recipient-name: $jane" \
    '      originally-specified-recipient-number: 1' \
    '      per-recipient-indicators: responsibility, originating-MTA-report, originator-report' \
    '      originally-specified-recipient-number: 2' \
    '      per-recipient-indicators: responsibility, originating-MTA-report'
has msg_heading "$o" 'content:' '  kind: IPM' \
    "      this-IPM: $orig;ipm-0001" '        free-form-name: John Smith' \
    '          notification-requests: rn, nrn' '          reply-requested: true' \
    '      subject: Test subject' '      expiry-time: 2025-02-01T00:00:00Z' \
    '      importance: high (2)' '      sensitivity: company-confidential (3)'
has msg_body "$o" '      - type: ia5-text' '        size: 34' \
    '        first-line: Hello from the X.400 test vector' \
    '      - type: general-text' '        first-line: Grüße'
# indefinite lengths everywhere: the same values
o2=$("$D" "$fx/msg_indef_all.p1" 2>&1) && pass indef_ok || fail indef_ok "$o2"
o3=$(printf '%s\n' "$o" | grep -v '^  size: ')
o2=$(printf '%s\n' "$o2" | grep -v '^  size: ')
[ "$o2" = "$o3" ] && pass indef_same_values || fail indef_same_values "$(printf '%s\n%s' "$o3" "$o2" | head -c 2000)"

o=$("$D" "$fx/msg_rn.p1" 2>&1)
has msg_rn "$o" 'kind: P1 message' '  kind: IPN' "    subject-ipm: $orig;ipm-0001" \
    "      formal-name: $jane" '    receipt-fields:' \
    '      receipt-time: 2025-01-02T04:00:00Z' '      acknowledgment-mode: automatic (1)'

o=$("$D" "$fx/ndr.p1" 2>&1)
has ndr_fields "$o" 'kind: P1 report' '  report-identifier: [GB* *ACME;rpt-0001]' \
    "  report-destination-name: $orig" '  subject-identifier: [GB* *ACME;msg-0001]' \
    "    - actual-recipient-name: $jane" \
    '        arrival-time: 2025-01-02T03:59:59Z' '        non-delivery:' \
    '          non-delivery-reason-code: unable-to-transfer (1)' \
    '          non-delivery-diagnostic-code: unrecognised-OR-name (0)' \
    '      supplementary-information: supplementary text'
o=$("$D" "$fx/dr.p1" 2>&1)
has dr_fields "$o" 'kind: P1 report' '  report-identifier: [GB* *ACME;rpt-0001]' \
    '        delivery:' '          message-delivery-time: 2025-01-02T04:00:00Z' \
    '          type-of-MTS-user: public (0)'
o=$("$D" "$fx/probe.p1" 2>&1)
has probe_fields "$o" 'kind: P1 probe' '  probe-identifier: [GB* *ACME;prb-0001]' \
    "  originator-name: $orig" '  content-type: interpersonal-messaging-1988 (22)' \
    "    - recipient-name: $jane"

# bare P22 and P35
o=$("$D" "$fx/rn.p22" 2>&1)
has rn_p22 "$o" 'kind: P22 IPN' "  subject-ipm: $orig;ipm-0001" \
    '    receipt-time: 2025-01-02T04:00:00Z' '    acknowledgment-mode: automatic (1)'
o=$("$D" "$fx/nrn.p22" 2>&1)
has nrn_p22 "$o" 'kind: P22 IPN' '  non-receipt-fields:' \
    '    non-receipt-reason: ipm-discarded (0)' '    discard-reason: ipm-expired (0)'
o=$("$D" "$fx/ftbp.p22" 2>&1)
has ftbp_p22 "$o" 'kind: P22 IPM' '    subject: FTBP test' '    - type: file-transfer' \
    '      document-type: FTAM-3 (1.0.8571.5.3)' '      pathname: report.pdf' \
    '      date-and-time-of-creation: 2025-01-02T03:04:05Z' '      object-size: 11' \
    '      cms: false'
o=$("$D" "$fx/edim.p35" 2>&1)
has edim_p35 "$o" 'kind: P35 EDIM' "    this-EDIM: $orig;edim-0001" \
    "      - recipient: $jane" '        action-request: for-action' \
    '        edi-notification-requests: pn, nn' '    edi-bodypart-type: ansiX12-ISO646' \
    '    edi-message-type: ORDERS' '    primary-body-part: edi-body-part' '    size: 42'
o=$("$D" "$fx/edin_pn.p35" 2>&1)
has edin_p35 "$o" 'kind: P35 EDIN' '  positive-notification:' \
    "    subject-edim: $orig;edim-0001" "    edin-originator: $jane" \
    '    notification-time: 2025-01-02T05:00:00Z' '    edin-initiator: internal-ua (0)'

# JSON: valid for every fixture, the same values
for f in msg.p1 msg_indef_all.p1 msg_rn.p1 dr.p1 ndr.p1 probe.p1 rn.p22 nrn.p22 ftbp.p22 edim.p35 edin_pn.p35; do
	jvalid "json_${f%%.*}_${f##*.}" "$fx/$f"
done
v=$(jget "$fx/msg.p1" 'd["message"]["message-identifier"], d["content"]["ipm"]["heading"]["subject"], d["message"]["per-recipient-fields"][1]["originally-specified-recipient-number"]')
[ "$v" = "[GB* *ACME;msg-0001] Test subject 2" ] && pass json_msg_values || fail json_msg_values "$v"
v=$(jget "$fx/ndr.p1" 'd["report"]["per-recipient-fields"][0]["last-trace-information"]["non-delivery"]["non-delivery-diagnostic-code"]')
[ "$v" = "unrecognised-OR-name (0)" ] && pass json_ndr_diag || fail json_ndr_diag "$v"
v=$(jget "$fx/msg.p1" 'd["message"]["per-message-indicators"]')
[ "$v" = "['disclosure-of-other-recipients', 'alternate-recipient-allowed', 'content-return-request']" ] && pass json_bits_list || fail json_bits_list "$v"

# the element tree, forced with --tree
o=$("$D" --tree "$fx/dr.p1" 2>&1)
case $o in *'IA5String len 8: "rpt-0001"'*) pass dr_report_id ;; *) fail dr_report_id "$o" ;; esac
case $o in *'PrintableString len 2: "GB"'*) pass dr_country ;; *) fail dr_country "$o" ;; esac
# indefinite and definite encodings print the same tree apart from offsets
a=$("$D" --tree "$fx/msg.p1" | sed 's/^ *[0-9]* //; s/ len [0-9]*\( indefinite\)*//')
b=$("$D" --tree "$fx/msg_indef_all.p1" | sed 's/^ *[0-9]* //; s/ len [0-9]*\( indefinite\)*//')
case $("$D" --tree "$fx/msg_indef_all.p1") in *"[0] { len 1281 indefinite"*) pass shows_indefinite ;; *) fail shows_indefinite "no indefinite mark" ;; esac
[ "$a" = "$b" ] && pass same_tree || fail same_tree "trees differ"
jvalid json_tree "$fx/ndr.p1" --tree
case $("$D" --tree --json "$fx/ndr.p1") in *'"offset": 0, "tag": "[1]", "constructed": true'*) pass json_root ;; *) fail json_root "root" ;; esac

# malformed files: the offset and the field of the first problem
check_fails bad_len 65 "$D" "$fx/bad_len.p1"
o=$("$D" "$fx/bad_len.p1" 2>&1 >/dev/null)
case $o in *"bad_len.p1: offset 29: local-identifier: length runs past the enclosing element (P1 message)"*) pass bad_len_offset ;; *) fail bad_len_offset "$o" ;; esac
o=$("$D" --tree "$fx/bad_len.p1" 2>&1 >/dev/null)
case $o in *"bad_len.p1: offset 29: length runs past the enclosing element"*) pass bad_len_tree_offset ;; *) fail bad_len_tree_offset "$o" ;; esac
check_fails trail 65 "$D" "$fx/trail.p1"
o=$("$D" "$fx/trail.p1" 2>&1 >/dev/null)
case $o in *"offset 1182: "*"data after the end of the element"*) pass trail_offset ;; *) fail trail_offset "$o" ;; esac
check_fails bad_tag 65 "$D" "$fx/bad_tag.p1"
o=$("$D" "$fx/bad_tag.p1" 2>&1 >/dev/null)
case $o in *"offset 180: [APPLICATION 17] in MessageTransferEnvelope: unexpected element"*) pass bad_tag_field ;; *) fail bad_tag_field "$o" ;; esac
check_fails missing 66 "$D" "$OX_TMP/does-not-exist"
check_fails directory 66 "$D" "$OX_TMP"
mkfifo "$OX_TMP/oxdump.fifo" && check_fails fifo 66 "$D" "$OX_TMP/oxdump.fifo"
check_fails usage 64 "$D"
check help "$D" --help
case $("$D" --version) in "oxdump "*) pass version ;; *) fail version "no version" ;; esac

# OFTP files, recognised by their first octets, printed field by field
d=$OX_TMP/oxdump; mkdir -p "$d"
printf '; a comment\n\n[sfid]\ndsn = INVOIC.0001\ndate = 20261122\ntime = 1000000001\ndest = O0177000000000X0LU000042\norig = O0013ACMEGMBH\nformat = V\nlrecl = 80\ndesc = "Rechnung"\n' > "$d/f.sfid"
o=$("$D" "$d/f.sfid" 2>&1)
case $o in *"kind       SFID sidecar"*"dsn        INVOIC.0001"*"format     V"*"lrecl      80"*"desc       Rechnung"*) pass sfid_sidecar ;; *) fail sfid_sidecar "$o" ;; esac
"$OX_TOOLS/rptgen" eerp "$d/x.eerp" e INVOIC.0001 20261122 1000000001 O0013ACMEGMBH O0177000000000X0LU000042 >/dev/null
o=$("$D" "$d/x.eerp" 2>&1)
case $o in *"kind       EERP"*"layout     OFTP2"*"dest       O0013ACMEGMBH"*"orig       O0177000000000X0LU000042"*) pass eerp_fields ;; *) fail eerp_fields "$o" ;; esac
"$OX_TOOLS/rptgen" eerp "$d/x.nerp" n:35 INVOIC.0001 20261122 1000000001 O0013ACMEGMBH O0177000000000X0LU000042 14 >/dev/null
o=$("$D" "$d/x.nerp" 2>&1)
case $o in *"kind       NERP"*"layout     OFTP 1.4"*"reason     35 "*) pass nerp_fields ;; *) fail nerp_fields "$o" ;; esac
if "$D" --json "$d/x.eerp" | python3 -m json.tool >/dev/null 2>&1; then pass eerp_json; else fail eerp_json "not JSON"; fi
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxdump test" -days 2 -keyout "$d/k.pem" -out "$d/c.pem" >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxdump other" -days 2 -keyout "$d/k2.pem" -out "$d/c2.pem" >/dev/null 2>&1
printf 'file' > "$d/file"
"$OX_TOOLS/cmstool" sign-eerp -s 04 -k "$d/k.pem" -c "$d/c.pem" -f "$d/file" "$d/x.eerp" "$d/s.eerp" >/dev/null 2>&1
o=$("$D" --cert "$d/c.pem" "$d/s.eerp" 2>&1)
case $o in *"verified   yes"*) pass signed_eerp_verified ;; *) fail signed_eerp_verified "$o" ;; esac
check_fails signed_eerp_wrong_cert 65 "$D" --cert "$d/c2.pem" "$d/s.eerp"

# CMS objects made by openssl: layers, algorithms, signer, recipients
printf 'hello, cms\n' > "$d/plain"
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxdump signer/O=Acme" -days 2 -keyout "$d/ks.pem" -out "$d/cs.pem" >/dev/null 2>&1
serial=$(openssl x509 -in "$d/cs.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f' | sed 's/\(..\)/\1:/g; s/:$//')
openssl cms -sign -binary -nodetach -outform DER -in "$d/plain" -signer "$d/cs.pem" -inkey "$d/ks.pem" -out "$d/s.der" 2>/dev/null
o=$("$D" "$d/s.der" 2>&1)
has cms_signed "$o" 'kind: CMS' '  - layer: signed' \
    '    digest-algorithms: sha256 (2.16.840.1.101.3.4.2.1)' \
    '    encapsulated-content-type: data (1.2.840.113549.1.7.1)' \
    '    certificates: 1' '      - issuer: CN=oxdump signer, O=Acme' \
    "        serial-number: $serial" \
    '        signature-algorithm: rsaEncryption (1.2.840.113549.1.1.1)' \
    '  - layer: data' '    size: 11'
o=$("$D" --cert "$d/cs.pem" "$d/s.der" 2>&1)
has cms_signed_verified "$o" '    verified: yes, by the given certificate'
check_fails cms_signed_wrong_cert 65 "$D" --cert "$d/c2.pem" "$d/s.der"
jvalid json_cms_signed "$d/s.der"
openssl cms -encrypt -aes256 -binary -outform DER -in "$d/plain" -out "$d/e.der" "$d/cs.pem" 2>/dev/null
o=$("$D" "$d/e.der" 2>&1)
has cms_enveloped "$o" '  - layer: enveloped' '      - kind: ktri' \
    '        issuer: CN=oxdump signer, O=Acme' "        serial-number: $serial" \
    '        key-encryption-algorithm: rsaEncryption (1.2.840.113549.1.1.1)' \
    '    content-encryption-algorithm: aes256-cbc (2.16.840.1.101.3.4.1.42)' \
    "    inner-layers: not visible without the recipient's key"
jvalid json_cms_enveloped "$d/e.der"
# our own layers (cms_wrap): compressed outside, signed inside, the data
"$OX_TOOLS/cmstool" wrap -s 3 -l sc -k "$d/ks.pem" -c "$d/cs.pem" -p "$d/cs.pem" "$d/plain" "$d/sc.der" >/dev/null 2>&1
o=$("$D" "$d/sc.der" 2>&1)
has cms_compressed_signed "$o" '  - layer: compressed' \
    '    compression-algorithm: zlib (1.2.840.113549.1.9.16.3.8)' '  - layer: signed' \
    '      - issuer: CN=oxdump signer, O=Acme' '  - layer: data' '    size: 11'
# a corrupted CMS object: offset, exit 65
head -c 300 "$d/s.der" > "$d/cut.der"
check_fails cms_truncated 65 "$D" "$d/cut.der"
# a dump that cannot be written is a failure (EX_IOERR), not an exit 0
check_fails stdout_full 74 sh -c "\"$D\" \"$d/s.der\" > /dev/full"
