# The seed gateway's conversion rules (issue 21): each check is a
# behaviour of seed 000 (../shared/seeds/000_*, sections "Datenaustausch
# OFTP Anwender -> BusinessMail X.400" and "BusinessMail X.400 -> OFTP
# Anwender", cited by line as seed:N) that oxgate did not have; README's
# table "The seed's behaviours" names each check. Every PDU oxgate writes
# here passes x400check; every CMS object opens with openssl cms.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/x4002oftp
CHK=$OX_SHARED/tools/x400check
BE="python3 $OX_TOP/tests/tools/beredit.py"
d=$OX_TMP/seed
mkdir -p "$d/gen1" "$d/gen2"
"$OX_TOOLS/p1gen" "$d/gen1" >/dev/null && "$OX_TOOLS/p22gen" "$d/gen2" >/dev/null ||
    fail generators "p1gen / p22gen"
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
MSG=$d/gen1/gen_msg.p1			# one IA5 body part for Rita, "Gen IPM"

# gw NAME [partner keys...]: a gateway of its own, partnership [p] with
# Rita's station O0013RITA for Sam
gw() {
	g=$d/$1; shift
	mkdir -p "$g/spool/x400/in/tmp"
	printf '[spool]\nroot = spool\n' > "$g/oxgate.ini"
	{ printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\n' "$SAM" "$RITA"
	  for kv in "$@"; do printf '%s\n' "$kv"; done; } > "$g/partners.ini"
}
# x2o FILE.p1: hand it to x4002oftp --spool
x2o() {
	cp "$1" "$g/spool/x400/in/tmp/m.p1" && mv "$g/spool/x400/in/tmp/m.p1" "$g/spool/x400/in/m.p1"
	"$X" -c "$g/oxgate.ini" --spool 2>>"$g/log"
}
files() { ls "$g/spool/oftp/out" 2>/dev/null | grep -v '\.sfid$\|^tmp$'; }
sfkey() { f=$(files | head -1); sed -n "s/^$1 *= *//p" "$g/spool/oftp/out/$f.sfid" | tr -d '"'; }
payload() { cat "$g/spool/oftp/out/$(files | head -1)"; }
# reports NAME: the x400check dump of every P1 x4002oftp wrote to x400/out
reports() { for f in "$g"/spool/x400/out/*.p1; do [ -f "$f" ] && "$CHK" p1 "$f"; done 2>&1; }
allcheck() {	# NAME: every PDU in x400/out passes x400check
	_bad=
	for f in "$g"/spool/x400/out/*.p1; do
		[ -f "$f" ] || continue
		"$CHK" -q p1 "$f" >/dev/null 2>&1 || _bad="$_bad ${f##*/}"
	done
	[ -z "$_bad" ] && pass "$1" || fail "$1" "x400check:$_bad"
}

# 1. seed:101 "dass der Betreff der X.400 Mitteilung in den VSDN abgebildet
# wird": a subject with umlauts spells them out (AE OE UE SS) instead of
# dropping them ("Lieferschein Maerz Nr. 7" with a-umlaut gave M.RZ). The
# subject is T.61: 0xc8 is the non-spacing diaeresis, 0xfb sharp s.
sub=$(printf 'Lieferschein M\310arz Nr. 7 Gr\310u\373e' | od -An -tx1 | tr -d ' \n')
$BE "$MSG" "$d/umlaut.p1" value a0/04/'>'/a0/31/a8/14 "$sub" ||
    fail umlaut_fixture "beredit"
check umlaut_fixture_decodes "$CHK" -q p1 "$d/umlaut.p1"
gw vdsn_umlaut; x2o "$d/umlaut.p1"
[ "$(sfkey dsn)" = "LIEFERSCHEIN.MAERZ.NR.7.GR" ] && pass vdsn_umlaut_transliterated ||
    fail vdsn_umlaut_transliterated "dsn '$(sfkey dsn)' $(tail -2 "$g/log" | tr '\n' '|')"
case $(sfkey desc) in "Lieferschein März Nr. 7 Grüße") pass vdsn_umlaut_desc_kept ;;
	*) fail vdsn_umlaut_desc_kept "desc '$(sfkey desc)'" ;; esac

# 2. seed:32 "Unterstuetzte X.400 Mitteilungsformate: P2 (84er Standard),
# P22 (88/92er Standard), P35": a content type in X.411's extended form
# (ContentType ::= CHOICE { built-in, extended OBJECT IDENTIFIER }) is the
# same content as its built-in number: id-mct-p2-1988 2.6.1.10.1 = 22,
# id-mct-p2-1984 2.6.1.10.0 = 2 (X.420), id-mct-pedi 2.6.7.10.0 = 35
# (X.435). A really unknown type is refused, printed as it is.
for ct in 1988:060456010a01 1984:060456010a00; do
	$BE "$MSG" "$d/oid$ct.p1" tlv a0/31/46 "${ct#*:}" || fail "oid_fixture_${ct%:*}" beredit
	check "oid_fixture_${ct%:*}_decodes" "$CHK" -q p1 "$d/oid$ct.p1"
	gw "oid_${ct%:*}"; x2o "$d/oid$ct.p1"
	[ "$(payload)" = "$(printf 'hello\r\n')" ] && pass "oid_${ct%:*}_converted" ||
	    fail "oid_${ct%:*}_converted" "$(files) $(tail -2 "$g/log" | tr '\n' '|')"
	o=$(reports)
	case $o in *"message-delivery-time"*"extended: ${ct%:*}"*|*"extended: 2.6.1.10."*"message-delivery-time"*) pass "oid_${ct%:*}_dr_keeps_oid" ;;
		*) fail "oid_${ct%:*}_dr_keeps_oid" "$(printf '%s' "$o" | grep -i 'content-type\|extended\|delivery' | head -5 | tr '\n' '|')" ;; esac
	allcheck "oid_${ct%:*}_reports_decode"
done
$BE "$MSG" "$d/oidbad.p1" tlv a0/31/46 06032a0304 || fail oid_fixture_unknown beredit
gw oid_unknown; x2o "$d/oidbad.p1"
grep -q "content type 1.2.3.4 is not P2, P22 or P35" "$g/log" && pass oid_unknown_printed_right ||
    fail oid_unknown_printed_right "$(tail -2 "$g/log" | tr '\n' '|')"
case $(reports) in *"content-type-not-supported (15)"*) pass oid_unknown_ndr ;;
	*) fail oid_unknown_ndr "$(reports | grep -i 'reason\|diag' | head -3 | tr '\n' '|')" ;; esac
allcheck oid_unknown_ndr_decodes

# 3. seed:94-96 "In der X.400 Mitteilung angeforderte Ausliefer- bzw.
# Lesebestaetigungen werden ... generiert: Agent Modus: ... Lesebestaetigung
# (RN/NRN) -> Auswertung der EERP/NERP": the RN answers the message in its
# own content type: a P2 (1984) message gets a P2 IPN (a P2 user agent
# need not take P22). Rita asked
# an RN in gen_ia5's heading; the envelope says content type 2.
# eerp FILE: the station's EERP for the file x4002oftp wrote, into eerp.in
eerp() {
	_f=$(files | head -1)
	mkdir -p "$g/spool/oftp/eerp.in/tmp"
	"$OX_TOOLS/rptgen" eerp "$g/spool/oftp/eerp.in/tmp/$1" e "$(sfkey dsn)" "$(sfkey date)" \
	    "$(sfkey time)" "$(sfkey orig)" "$(sfkey dest)" &&
	    mv "$g/spool/oftp/eerp.in/tmp/$1" "$g/spool/oftp/eerp.in/$1"
}
$BE "$MSG" "$d/p2a.p1" value a0/04 @"$d/gen2/gen_ia5.p22" &&
    $BE "$d/p2a.p1" "$d/p2.p1" tlv a0/31/46 460102 || fail p2_fixture beredit
check p2_fixture_decodes "$CHK" -q p1 "$d/p2.p1"
gw ipn_p2 "mode = agent"; x2o "$d/p2.p1"
rm -f "$g"/spool/x400/out/*.p1		# the agent-mode DR
eerp e1; "$OX_ABIN/eerp2report" -c "$g/oxgate.ini" --spool 2>>"$g/log"
rn=$(ls "$g"/spool/x400/out/*.p1 2>/dev/null | head -1)
o=$([ -n "$rn" ] && "$OX_ABIN/oxdump" "$rn" 2>&1)
case $o in *"content-type: interpersonal-messaging-1984 (2)"*"receipt-fields"*) pass ipn_p2_is_p2 ;;
	*) fail ipn_p2_is_p2 "$(printf '%s' "$o" | grep -i 'content-type\|kind' | head -3 | tr '\n' '|') $(tail -2 "$g/log" | tr '\n' '|')" ;; esac
allcheck ipn_p2_decodes
# transfer mode: the delivery report from the EERP names content type 2
gw dr_p2 "mode = transfer"; x2o "$d/p2.p1"
rm -f "$g"/spool/x400/out/*.p1		# the NDR for Otto
eerp e1; "$OX_ABIN/eerp2report" -c "$g/oxgate.ini" --spool 2>>"$g/log"
dr=$(ls "$g"/spool/x400/out/*.p1 2>/dev/null | head -1)
case $([ -n "$dr" ] && "$OX_ABIN/oxdump" "$dr" 2>&1) in *"kind: P1 report"*"content-type: interpersonal-messaging-1984 (2)"*) pass dr_p2_names_p2 ;;
	*) fail dr_p2_names_p2 "$(tail -1 "$g/log")" ;; esac
allcheck dr_p2_decodes
# the P22 (1988) message keeps P22
$BE "$MSG" "$d/p22.p1" value a0/04 @"$d/gen2/gen_ia5.p22" || fail p22_fixture beredit
gw ipn_p22 "mode = agent"; x2o "$d/p22.p1"
rm -f "$g"/spool/x400/out/*.p1
eerp e1; "$OX_ABIN/eerp2report" -c "$g/oxgate.ini" --spool 2>>"$g/log"
rn=$(ls "$g"/spool/x400/out/*.p1 2>/dev/null | head -1)
case $([ -n "$rn" ] && "$OX_ABIN/oxdump" "$rn" 2>&1) in *"content-type: interpersonal-messaging-1988 (22)"*"receipt-fields"*) pass ipn_p22_is_p22 ;;
	*) fail ipn_p22_is_p22 "$(tail -2 "$g/log" | tr '\n' '|')" ;; esac
allcheck ipn_p22_decodes

# 4. seed:35 "Maximale Mitteilungs- und Dateigroesse: 100 MByte", in both
# directions: an X.400 message whose data is above max-file-size gets a
# non-delivery report (unable-to-transfer, content-too-long 7) and no file,
# not a positive delivery report. "hello\r\n" is 7 octets.
for lim in 6:ndr 7:dr; do
	gw "size_${lim#*:}" "mode = agent"
	printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = %s\n' "${lim%:*}" > "$g/oxgate.ini"
	x2o "$MSG"
	o=$(reports)
	if [ "${lim#*:}" = ndr ]; then
		case $o in *"S=Receiver/G=Rita/)"*"non-delivery-reason-code: unable-to-transfer (1)"*"content-too-long (7)"*) pass size_over_ndr ;;
			*) fail size_over_ndr "$(printf '%s' "$o" | grep -i 'reason\|diagnostic\|delivery-time' | head -4 | tr '\n' '|')" ;; esac
		[ -z "$(files)" ] && pass size_over_no_file || fail size_over_no_file "$(files)"
		case $o in *message-delivery-time*) fail size_over_no_dr "a delivery report too" ;; *) pass size_over_no_dr ;; esac
		grep -q "message's data of 7 octets is above the maximum file size 6" "$g/log" &&
		    pass size_over_logged || fail size_over_logged "$(tail -1 "$g/log")"
	else
		[ "$(payload)" = "$(printf 'hello\r\n')" ] && pass size_at_limit_converted ||
		    fail size_at_limit_converted "$(tail -1 "$g/log")"
	fi
	allcheck "size_${lim#*:}_reports_decode"
done

# 5. seed:100 "Der in der X.400 Mitteilung angegebene Betreff kann
# partnerschaftsbezogen als Betreff (Subject) im MIME Header der Nutzdaten
# abgebildet werden (bei V1.4 und V2.0) oder in der File Description (nur
# V2.0)": with mime = header one body part also gets its MIME header, which
# carries the subject (an OFTP 1.4 station has no SFIDDESC to see it in);
# oftp = 1.4 with mime = description is refused (no file description).
gw subj14 "oftp = 1.4" "mime = header"; x2o "$MSG"
h=$(payload | tr -d '\r')
case $h in "MIME-Version: 1.0"*"Subject: Gen IPM"*"Content-Type: text/plain"*"hello") pass subject14_mime_header ;;
	*) fail subject14_mime_header "$(payload | head -c 300 | od -c | head -3 | tr '\n' '|') $(tail -1 "$g/log")" ;; esac
printf '%s\n' "$h" | python3 -c '
import email, sys
m = email.message_from_string(sys.stdin.read())
assert m["Subject"] == "Gen IPM" and m.get_content_type() == "text/plain", m.items()
assert m.get_payload(decode=True).rstrip(b"\n") == b"hello", m.get_payload()' &&
    pass subject14_parses || fail subject14_parses "python email"
[ -z "$(sfkey desc)" ] && pass subject14_no_desc || fail subject14_no_desc "desc '$(sfkey desc)'"
gw subj14none "oftp = 1.4"; x2o "$MSG"		# mime = none: the body part alone
[ "$(payload)" = "$(printf 'hello\r\n')" ] && pass subject14_none_plain || fail subject14_none_plain "$(payload | head -c 80)"
gw desc14 "oftp = 1.4" "mime = description"
o=$("$OX_ABIN/oxtrace" -c "$g/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[p] mime: description needs oftp 2.0"*) true ;; *) false ;; esac &&
    pass desc14_check_config_refuses || fail desc14_check_config_refuses "rc $rc: $o"
x2o "$MSG"; [ -z "$(files)" ] && pass desc14_no_file || fail desc14_no_file "$(files)"

# 6. seed:84 "Signierte Inhalte werden als Content-Type multipart/signed ...
# Verschluesselte bzw. signierte und verschluesselte Inhalte werden als
# Content-Type application/pkcs7-mime; smime-type=enveloped-data
# uebergeben", and seed:106 (X.400 -> OFTP: the CMS object "als S/MIME
# Content"): the label follows the CMS content type of the FTBP's object
# (RFC 5751 3.2.2 smime-type), a SignedData is signed-data, an
# EnvelopedData enveloped-data (signed data was labelled enveloped-data).
mkdir -p "$d/k"
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate seed test" -days 2 \
    -keyout "$d/k/k.pem" -out "$d/k/c.pem" >/dev/null 2>&1 || fail smime_keys "openssl req"
printf 'Content-Type: text/plain\r\n\r\nsigned hello\r\n' > "$d/k/in"
openssl cms -sign -nodetach -binary -in "$d/k/in" -signer "$d/k/c.pem" -inkey "$d/k/k.pem" \
    -outform DER -out "$d/k/signed-data.der" 2>/dev/null || fail smime_sign "openssl cms -sign"
openssl cms -encrypt -binary -aes256 -in "$d/k/in" -outform DER -out "$d/k/enveloped-data.der" \
    "$d/k/c.pem" 2>/dev/null || fail smime_encrypt "openssl cms -encrypt"
for kind in signed-data enveloped-data; do
	$BE "$d/gen2/gen_cms.p22" "$d/$kind.p22" value a0/30/af/28/a0/30/28/81 @"$d/k/$kind.der" &&
	    $BE "$MSG" "$d/$kind.p1" value a0/04 @"$d/$kind.p22" || fail "smime_${kind}_fixture" beredit
	check "smime_${kind}_fixture_decodes" "$CHK" -q p1 "$d/$kind.p1"
	gw "smime_$kind" "mime = header"; x2o "$d/$kind.p1"
	payload > "$d/$kind.mime"
	o=$(python3 - "$d/$kind.mime" "$d/$kind.out" <<'PY'
import email, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read())
open(sys.argv[2], 'wb').write(m.get_payload(decode=True) or b'')
print(m.get_content_type(), m.get_param('smime-type'), m.get_filename())
PY
)
	[ "$o" = "application/pkcs7-mime $kind smime.p7m" ] && pass "smime_${kind}_label" ||
	    fail "smime_${kind}_label" "'$o' $(tail -1 "$g/log")"
	cmp -s "$d/$kind.out" "$d/k/$kind.der" && pass "smime_${kind}_object_intact" ||
	    fail "smime_${kind}_object_intact" "the part is not the CMS object sent"
done
check smime_signed_opens openssl cms -verify -noverify -inform DER -in "$d/signed-data.out" -out /dev/null
check smime_enveloped_opens openssl cms -decrypt -inform DER -in "$d/enveloped-data.out" \
    -inkey "$d/k/k.pem" -recip "$d/k/c.pem" -out /dev/null

# 7. seed:52 "Der OFTP Kunde erhaelt auf Wunsch eine ... standardkonforme
# Bestaetigung (EERP)" in both directions: a signed EERP acknowledges the
# file as sent, RFC 5024 5.3.13 EERPHSH (rfc5024.txt:3339 "Hash of the
# transmitted Virtual File", :3345 "validate the EERPHSH to ensure that the
# EERP is acknowledging the exact same file as was originally transmitted"):
# x4002oftp keeps that hash, eerp2report refuses a signed EERP whose hash
# is another file's (before, no hash was kept and any signed EERP passed).
# seerp NAME FILE: the station's EERP on the file sent, hash of FILE, signed
seerp() {
	_f=$(files | head -1)
	mkdir -p "$g/spool/oftp/eerp.in/tmp"
	"$OX_TOOLS/rptgen" eerp "$g/$1.plain" e "$(sfkey dsn)" "$(sfkey date)" "$(sfkey time)" \
	    "$(sfkey orig)" "$(sfkey dest)" &&
	"$OX_TOOLS/cmstool" sign-eerp -s 4 -k "$d/k/k.pem" -c "$d/k/c.pem" -f "$2" \
	    "$g/$1.plain" "$g/spool/oftp/eerp.in/tmp/$1" >/dev/null &&
	    mv "$g/spool/oftp/eerp.in/tmp/$1" "$g/spool/oftp/eerp.in/$1"
}
e2r() { "$OX_ABIN/eerp2report" -c "$g/oxgate.ini" --spool 2>>"$g/log"; }
SE="mode = transfer|signed-eerp = yes|cipher = 04|certificate = $d/k/c.pem"
IFS='|'; set -- $SE; unset IFS
gw hash_good "$@"; x2o "$MSG"
[ "$(sfkey sign)" = Y ] && pass hash_sfid_asks_signed || fail hash_sfid_asks_signed "sign '$(sfkey sign)'"
h=$(sqlite3 "$g/spool/trace.db" "SELECT hash FROM trace WHERE dir = 'x4002oftp'")
[ -n "$h" ] && [ "$h" = "$("$OX_TOOLS/cmstool" hash -s 4 "$g/spool/oftp/out/$(files | head -1)")" ] &&
    pass hash_kept_of_file_sent || fail hash_kept_of_file_sent "trace '$h'"
nrep() { ls "$g"/spool/x400/out/*.p1 2>/dev/null | wc -l; }	# Otto's NDR is one
n0=$(nrep); seerp good "$g/spool/oftp/out/$(files | head -1)"; e2r
[ ! -e "$g/spool/failed/good" ] && [ "$(nrep)" -eq $((n0 + 1)) ] &&
    pass hash_right_accepted || fail hash_right_accepted "$(tail -2 "$g/log" | tr '\n' '|')"
allcheck hash_right_dr_decodes
gw hash_bad "$@"; x2o "$MSG"
printf 'another file\r\n' > "$g/other"
n0=$(nrep); seerp bad "$g/other"; e2r
grep -q "hash is not the hash of the file sent" "$g/spool/failed/bad.why" 2>/dev/null &&
    pass hash_wrong_refused || fail hash_wrong_refused "$(ls "$g/spool/failed" 2>&1 | tr '\n' ' ') $(tail -1 "$g/log")"
[ "$(nrep)" -eq "$n0" ] && pass hash_wrong_no_report || fail hash_wrong_no_report "a report was made"
# a signed file: the hash is the transmitted (signed) file's, not the plain
gw hash_signed "$@" "sign = yes"
printf '[spool]\nroot = spool\n[security]\ncertificate = %s\nkey = %s\n' "$d/k/c.pem" "$d/k/k.pem" > "$g/oxgate.ini"
x2o "$MSG"
sent=$g/spool/oftp/out/$(files | head -1)
check hash_signed_file_opens openssl cms -verify -noverify -inform DER -binary -in "$sent" -out /dev/null
h=$(sqlite3 "$g/spool/trace.db" "SELECT hash FROM trace WHERE dir = 'x4002oftp'")
[ -n "$h" ] && [ "$h" = "$("$OX_TOOLS/cmstool" hash -s 4 "$sent")" ] &&
    pass hash_signed_of_transmitted || fail hash_signed_of_transmitted "trace '$h'"
printf 'hello\r\n' > "$g/plain"
n0=$(nrep); seerp plainhash "$g/plain"; e2r
grep -q "hash is not the hash of the file sent" "$g/spool/failed/plainhash.why" 2>/dev/null &&
    [ "$(nrep)" -eq "$n0" ] && pass hash_signed_plain_refused || fail hash_signed_plain_refused "$(tail -1 "$g/log")"
n0=$(nrep); seerp good "$sent"; e2r
[ ! -e "$g/spool/failed/good" ] && [ "$(nrep)" -eq $((n0 + 1)) ] &&
    pass hash_signed_right_accepted || fail hash_signed_right_accepted "$(tail -2 "$g/log" | tr '\n' '|')"
allcheck hash_signed_reports_decode

# 8. seed:22 "Somit besteht ein durchgaengiges Reporting vom OFTP Anwender bis
# zur X.400 Mailbox des Partners und umgekehrt": the reason text of a far
# station's NERP travels. Station SAMST sends a file through gateway A
# (oftp2x400) to Rita at gateway B (x4002oftp); Rita's station answers
# with a NERP whose text is "test NERP 12"; B's NDR carries it as
# supplementary information (X.411 per-recipient supplementary-information),
# and the NERP A sends on to SAMST has it after the X.400 codes (it had
# only "X.400 non-delivery: ..." before).
A=$d/chainA
mkdir -p "$A/spool/oftp/in/tmp"
printf '[spool]\nroot = spool\n' > "$A/oxgate.ini"
printf '[rita]\nodette = O0013SAMST\nuserid = 000042\nx400 = %s\neerp = 2\n' "$RITA" > "$A/partners.ini"
printf 'order 4711\r\n' > "$A/spool/oftp/in/ORDERS"
printf '[sfid]\ndsn = ORDERS.4711\ndate = 20261207\ntime = 0100000001\ndest = O0177000000000X0LU000042\norig = O0013SAMST\nformat = T\n' \
    > "$A/spool/oftp/in/tmp/ORDERS.sfid" && mv "$A/spool/oftp/in/tmp/ORDERS.sfid" "$A/spool/oftp/in/ORDERS.sfid"
"$OX_ABIN/oftp2x400" -c "$A/oxgate.ini" --spool 2>>"$A/log"
am=$(ls "$A"/spool/x400/out/*.p1 2>/dev/null | head -1)
[ -n "$am" ] && check chain_a_message_decodes "$CHK" -q p1 "$am" || fail chain_a_message "$(tail -1 "$A/log")"
gw chainB "mode = transfer"; x2o "$am"
_f=$(files | head -1)
mkdir -p "$g/spool/oftp/eerp.in/tmp"
"$OX_TOOLS/rptgen" eerp "$g/spool/oftp/eerp.in/tmp/n1" n:12 "$(sfkey dsn)" "$(sfkey date)" "$(sfkey time)" \
    "$(sfkey orig)" "$(sfkey dest)" && mv "$g/spool/oftp/eerp.in/tmp/n1" "$g/spool/oftp/eerp.in/n1"
"$OX_ABIN/eerp2report" -c "$g/oxgate.ini" --spool 2>>"$g/log"
ndr=$(for f in "$g"/spool/x400/out/*.p1; do "$CHK" p1 "$f" 2>/dev/null | grep -q "supplementary-information" && echo "$f"; done | head -1)
o=$([ -n "$ndr" ] && "$CHK" p1 "$ndr" 2>&1)
case $o in *"non-delivery-reason-code"*"supplementary-information: OFTP NERP 12 from O0013RITA: test NERP 12"*) pass chain_ndr_has_station_text ;;
	*) fail chain_ndr_has_station_text "$(printf '%s' "$o" | grep -i 'supplementary\|reason' | head -3 | tr '\n' '|') $(tail -1 "$g/log")" ;; esac
allcheck chain_b_reports_decode
mkdir -p "$A/spool/x400/reports/tmp"
cp "$ndr" "$A/spool/x400/reports/tmp/ndr.p1" && mv "$A/spool/x400/reports/tmp/ndr.p1" "$A/spool/x400/reports/ndr.p1"
"$OX_ABIN/report2eerp" -c "$A/oxgate.ini" --spool 2>>"$A/log"
nerp=$(ls "$A"/spool/oftp/eerp.out/* 2>/dev/null | grep -v '/tmp$' | head -1)
o=$([ -n "$nerp" ] && "$OX_ABIN/oxdump" "$nerp" 2>&1)
case $o in *"X.400 non-delivery: "*": OFTP NERP 12 from O0013RITA: test NERP 12"*) pass chain_nerp_has_station_text ;;
	*) fail chain_nerp_has_station_text "$(printf '%s' "$o" | grep -i 'text\|reason' | tr '\n' '|') $(tail -2 "$A/log" | tr '\n' '|')" ;; esac
printf '%s\n' "$o" | grep -q '^dest  *O0013SAMST$' && printf '%s\n' "$o" | grep -q '^dsn  *ORDERS.4711$' &&
    pass chain_nerp_to_sender || fail chain_nerp_to_sender "$o"

# 9. seed:51 "Es koennen deshalb auch mehrere Partnerschaften fuer denselben
# X.400 Partner (X.400 Adresse) existieren, wenn hier unterschiedliche
# Station ID (SFID) angegeben wurden": two partnerships with Sam's user ID
# and address, one for station ACME, one for station WERK2; a file to the
# virtual station ID takes the partnership of the station that sent it
# (a second partnership with the same user ID was refused: exit 78).
M=$d/multi
mkdir -p "$M/spool/oftp/in/tmp"
printf '[spool]\nroot = spool\n' > "$M/oxgate.ini"
printf '[acme]\nodette = O0013ACME\nuserid = 000042\nx400 = %s\n[werk2]\nodette = O0013WERK2\nuserid = 000042\nx400 = %s\n' \
    "$SAM" "$SAM" > "$M/partners.ini"
check multi_check_config "$OX_ABIN/oxtrace" -c "$M/oxgate.ini" --check-config
for st in ACME WERK2; do
	printf 'from %s\r\n' $st > "$M/spool/oftp/in/F$st"
	printf '[sfid]\ndsn = F%s\ndate = 20261207\ntime = 0200000001\ndest = O0177000000000X0LU000042\norig = O0013%s\nformat = T\n' \
	    $st $st > "$M/spool/oftp/in/tmp/F$st.sfid" && mv "$M/spool/oftp/in/tmp/F$st.sfid" "$M/spool/oftp/in/F$st.sfid"
done
"$OX_ABIN/oftp2x400" -c "$M/oxgate.ini" --spool 2>>"$M/log"
for st in ACME WERK2; do
	p=$(sqlite3 "$M/spool/trace.db" "SELECT partner FROM trace WHERE oftp_dsn = 'F$st'" 2>/dev/null)
	lc=$(echo $st | tr 'A-Z' 'a-z')
	[ "$p" = "$lc" ] && pass "multi_${lc}_partnership" || fail "multi_${lc}_partnership" "'$p' $(tail -1 "$M/log")"
done
for f in "$M"/spool/x400/out/*.p1; do [ -f "$f" ] && "$OX_ABIN/oxdump" "$f"; done > "$M/dump" 2>&1
grep -q "originator-name: .*DD.ODETTEID=O0013WERK2" "$M/dump" && grep -q "originator-name: .*DD.ODETTEID=O0013ACME" "$M/dump" &&
    pass multi_originators_by_station || fail multi_originators_by_station "$(grep originator-name "$M/dump" | head -3 | tr '\n' '|')"
g=$M; allcheck multi_messages_decode
# and back: Sam's message to WERK2's address goes to station WERK2, from
# the virtual station ID (the O/R name taken from the P1 made above)
wm=
for f in "$M"/spool/x400/out/*.p1; do
	"$OX_ABIN/oxdump" "$f" 2>/dev/null | grep -q "originator-name: .*DD.ODETTEID=O0013WERK2" && wm=$f
done
on=$($BE "$wm" - get a0/31/60) && $BE "$MSG" "$d/towerk2.p1" tlv a0/31/a2/31/60 "60$(printf '%s' "$on" |
    python3 -c 'import sys; v = bytes.fromhex(sys.stdin.read().strip()); n = len(v)
print((bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82]) + n.to_bytes(2, "big")).hex() + v.hex())')" ||
    fail multi_back_fixture beredit
check multi_back_fixture_decodes "$CHK" -q p1 "$d/towerk2.p1"
mkdir -p "$M/spool/x400/in/tmp"; g=$M; x2o "$d/towerk2.p1"
[ "$(sfkey dest)" = O0013WERK2 ] && [ "$(sfkey orig)" = O0177000000000X0LU000042 ] &&
    pass multi_back_to_werk2 || fail multi_back_to_werk2 "dest '$(sfkey dest)' orig '$(sfkey orig)' $(tail -1 "$M/log")"

# 10. seed:49 "Die alternative Adressierung bei Versand von EDIFACT-Dokumenten
# ueber aktivierte zentrale EDI Funktion und allgemeine Station ID des
# Service steht nur fuer den OFTP Benutzereintrag zur Verfuegung und nicht
# fuer geroutete Stationen ... Sind die zu erreichenden X.400 Mailboxen in
# der EDI Tradingpartner Datenbank eingetragen, so werden hierbei die
# Adressen im UNB Segment ... zur X.400-Adressierung herangezogen": a
# central partnership without user ID (x400 with DDA EDI, content p35); an
# EDIFACT file to the general station ID with no user ID in its VDSN is
# addressed from its UNB recipient through mapping/edi-partners (it got
# NERP 12 "no partnership has the virtual station ID ...X0LUINVOIC").
C=$d/central
mkdir -p "$C/spool/oftp/in/tmp" "$C/mapping"
printf '[spool]\nroot = spool\n[x400]\nmapping = mapping\n' > "$C/oxgate.ini"
printf '[central]\nodette = O0013CENTRAL\nrouted = O0013BEHIND\nx400 = /DD.EDI=central/P=OFTP/A=VIAT/C=DE/\ncontent = p35\n' > "$C/partners.ini"
cinput() {	# NAME ORIG < DATA: a file to the general station ID
	cat > "$C/spool/oftp/in/tmp/$1"; mv "$C/spool/oftp/in/tmp/$1" "$C/spool/oftp/in/$1"
	printf '[sfid]\ndsn = INVOIC\ndate = 20261207\ntime = 03000000%s\ndest = O0177000000000X0LU000000\norig = %s\nformat = U\n' \
	    "$3" "$2" > "$C/spool/oftp/in/tmp/$1.sfid" && mv "$C/spool/oftp/in/tmp/$1.sfid" "$C/spool/oftp/in/$1.sfid"
}
c_reason() { for f in "$C"/spool/oftp/eerp.out/*.nerp; do [ -f "$f" ] && "$OX_ABIN/oxdump" "$f"; done 2>/dev/null |
    awk -v d="$1" '/^dsn/ {x = ($2 == "INVOIC")} /^time/ {t = $2} /^reason/ && t ~ d"$" {print $2}'; }
o=$("$OX_ABIN/oxtrace" -c "$C/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[central]: central EDI function: "*"edi-partners"*) true ;; *) false ;; esac &&
    pass central_check_config_no_table || fail central_check_config_no_table "rc $rc: $o"
printf '4012345000009:14\t/S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\n' > "$C/mapping/edi-partners"
check central_check_config_ok "$OX_ABIN/oxtrace" -c "$C/oxgate.ini" --check-config
printf "UNA:+.? 'UNB+UNOA:3+SENDER1:ZZ+4012345000009:14+261207:0300+REF7'\r\nUNH+1+INVOIC:D:96A:UN'\r\nUNZ+1+REF7'\r\n" > "$d/cedi"
cinput CGOOD O0013CENTRAL 01 < "$d/cedi"
cinput CROUTED O0013BEHIND 02 < "$d/cedi"
"$OX_ABIN/oftp2x400" -c "$C/oxgate.ini" --spool 2>>"$C/log"
cm=$(ls "$C"/spool/x400/out/*.p1 2>/dev/null | head -1)
o=$([ -n "$cm" ] && "$OX_TOOLS/p35info" "$cm" 2>&1)
case $o in *"rcpt: /S=EDI/O=ACME/PRMD=ACME/ADMD=DBP/C=DE/"*"ichg-rcpt: 4012345000009"*) pass central_general_station_edim ;;
	*) fail central_general_station_edim "$(printf '%s' "$o" | head -3 | tr '\n' '|') $(tail -2 "$C/log" | tr '\n' '|')" ;; esac
[ -n "$cm" ] && check central_envelope_decodes "$CHK" -q p1 "$cm"
[ "$(c_reason 02)" = 12 ] && grep -q "CROUTED: .*no partnership has the virtual station ID O0177000000000X0LUINVOIC" "$C/log" &&
    pass central_not_for_routed_12 || fail central_not_for_routed_12 "reason '$(c_reason 02)' $(tail -1 "$C/log")"
[ "$(ls "$C"/spool/x400/out/*.p1 2>/dev/null | wc -l)" -eq 1 ] && pass central_one_message || fail central_one_message "$(ls "$C/spool/x400/out")"
# the setup that cannot work is refused: the central EDI function makes EDIMs
printf '[central]\nodette = O0013CENTRAL\nx400 = /DD.EDI=central/P=OFTP/A=VIAT/C=DE/\n' > "$C/partners.ini"
o=$("$OX_ABIN/oxtrace" -c "$C/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[central] content: the central EDI function (x400 with a DDA EDI) needs content p35"*) true ;; *) false ;; esac &&
    pass central_needs_p35 || fail central_needs_p35 "rc $rc: $o"

# 11. seed:40 "Die Signatur und Verschluesselung der Nachrichten/Dateien eines
# X.400 Partner in Richtung OFTP Kunde erfolgt ueber ein allgemeines
# (OFTP-Service), oder wenn der X.400 Partner ueber eine lokale, virtuelle
# Station angesprochen wird, ueber ein individuelles Zertifikat" and seed:51
# "Systembedingt muss fuer jede geroutete Station ein eigenes Zertifikat
# (Alias) hinterlegt werden, falls die uebertragenen Daten verschluesselt
# oder signiert werden sollen": Sam's virtual station 000042 has its own
# key (station-key, station-certificate), the routed station WERK2 its own
# certificate (routed-certificate); the general pair stays the default for
# the general station ID. Before, WERK2's signature was checked with the
# partnership's certificate (NERP 31) and everything used the general key.
# Every input is made by openssl cms, every output opened by it.
K=$d/certs
mkdir -p "$K/keys" "$K/spool/oftp/in/tmp" "$K/spool/x400/in/tmp"
for who in gw vst rita werk2 other; do
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate seed $who" -days 2 \
	    -keyout "$K/keys/$who.key" -out "$K/keys/$who.crt" >/dev/null 2>&1 || fail certs_keys "openssl req $who"
done
printf '[spool]\nroot = spool\n[security]\ncertificate = keys/gw.crt\nkey = keys/gw.key\n' > "$K/oxgate.ini"
certs_partner() {	# extra lines: the partnership [p] of Rita's station
	{ printf '[p]\nodette = O0013RITA\nrouted = O0013WERK2\nuserid = 000042\nx400 = %s\nlocal = %s\n' "$SAM" "$RITA"
	  printf 'certificate = keys/rita.crt\nstation-certificate = keys/vst.crt\nstation-key = keys/vst.key\n'
	  printf 'routed-certificate = O0013WERK2:keys/werk2.crt\nsign = yes\nencrypt = yes\ncipher = 04\n'
	  printf 'signed-eerp = yes\nmode = transfer\n'
	  for kv in "$@"; do printf '%s\n' "$kv"; done; } > "$K/partners.ini"
}
certs_partner
o=$("$OX_ABIN/oxtrace" -c "$K/oxgate.ini" --check-config 2>&1) &&
    case $o in *"certificates and keys: ok, 6 files, each key matches its certificate"*) true ;; *) false ;; esac &&
    pass certs_check_config_ok || fail certs_check_config_ok "$o"
# cin NAME SIGNER RECIPIENT ORIG [DEST]: plain text signed by SIGNER,
# encrypted for RECIPIENT's certificate (openssl cms), from station ORIG
cn=0
cin() {
	cn=$((cn + 1))
	printf 'Bestellung %s\r\n' "$1" > "$K/$1.plain"
	openssl cms -sign -binary -nodetach -outform DER -md sha256 -in "$K/$1.plain" \
	    -signer "$K/keys/$2.crt" -inkey "$K/keys/$2.key" -out "$K/$1.sig" 2>/dev/null &&
	openssl cms -encrypt -binary -aes256 -inform DER -outform DER -in "$K/$1.sig" \
	    -out "$K/spool/oftp/in/$1" "$K/keys/$3.crt" 2>/dev/null || fail "certs_fixture_$1" "openssl cms"
	printf '[sfid]\ndsn = %s\ndate = 20261207\ntime = 04000000%02d\ndest = %s\norig = %s\nformat = T\nsec = 03\nciph = 04\ncomp = 0\nenv = 1\nsign = Y\n' \
	    "$1" $cn "${5:-O0177000000000X0LU000042}" "$4" > "$K/spool/oftp/in/tmp/$1.sfid" &&
	    mv "$K/spool/oftp/in/tmp/$1.sfid" "$K/spool/oftp/in/$1.sfid"
}
cin RW2OWN werk2 vst O0013WERK2		# WERK2 signs with its own certificate
cin RW2BAD other vst O0013WERK2		# ... with a certificate not its own
cin RW2RITA rita vst O0013WERK2		# ... with the partnership's
cin RITAOWN rita vst O0013RITA		# Rita's station, its own
cin TOGEN werk2 gw O0013WERK2		# encrypted for the general key: not ours here
cin GENST werk2 gw O0013WERK2 O0177000000000X0LU000000	# to the general station ID
mv "$K/spool/oftp/in/GENST.sfid" "$K/g.sfid" && sed 's/^dsn = GENST/dsn = 000042.GENST/' "$K/g.sfid" > "$K/spool/oftp/in/GENST.sfid"
"$OX_ABIN/oftp2x400" -c "$K/oxgate.ini" --spool 2>>"$K/log"
k_nerp() { for f in "$K"/spool/oftp/eerp.out/*.nerp; do [ -f "$f" ] && "$OX_ABIN/oxdump" "$f"; done 2>/dev/null |
    awk -v d="$1" '/^dsn/ {x = ($2 == d)} /^reason/ && x {print $2}'; }
k_msg() { for f in "$K"/spool/x400/out/*.p1; do "$CHK" p1 "$f" 2>/dev/null | grep -q "Bestellung $1" && echo "$f"; done | head -1; }
[ -n "$(k_msg RW2OWN)" ] && [ -z "$(k_nerp RW2OWN)" ] && pass certs_routed_own_accepted ||
    fail certs_routed_own_accepted "NERP '$(k_nerp RW2OWN)' $(grep RW2OWN "$K/log" | tail -1)"
[ "$(k_nerp RW2BAD)" = 31 ] && [ -z "$(k_msg RW2BAD)" ] && pass certs_routed_wrong_31 ||
    fail certs_routed_wrong_31 "NERP '$(k_nerp RW2BAD)'"
[ "$(k_nerp RW2RITA)" = 31 ] && pass certs_routed_not_partners_31 || fail certs_routed_not_partners_31 "NERP '$(k_nerp RW2RITA)'"
[ -n "$(k_msg RITAOWN)" ] && pass certs_station_own_accepted || fail certs_station_own_accepted "NERP '$(k_nerp RITAOWN)'"
[ "$(k_nerp TOGEN)" = 33 ] && pass certs_virtual_not_general_33 || fail certs_virtual_not_general_33 "NERP '$(k_nerp TOGEN)'"
[ -n "$(k_msg GENST)" ] && pass certs_general_station_general_key ||
    fail certs_general_station_general_key "NERP '$(k_nerp GENST)' $(grep GENST "$K/log" | tail -1)"
for f in "$K"/spool/x400/out/*.p1; do "$CHK" -q p1 "$f" >/dev/null 2>&1 || echo "${f##*/}"; done > "$K/bad"
[ ! -s "$K/bad" ] && [ -n "$(k_msg RW2OWN)" ] && pass certs_messages_decode || fail certs_messages_decode "$(cat "$K/bad")"
# the signed EERPs: by the virtual station's key for a file to it, by the
# general key for a file to the general station ID (RFC 5024 5.3.13)
k_eerp() { for f in "$K"/spool/oftp/eerp.out/*.eerp; do "$OX_ABIN/oxdump" "$f" 2>/dev/null | grep -q "^dsn  *$1$" && echo "$f"; done | head -1; }
# k_sig EERP OUT: the bare CMS signature of an OFTP2 EERP (RFC 5024 5.3.13:
# EERPHSHL at octet 106, then the hash, EERPSIGL, the signature)
k_sig() { python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); h = int.from_bytes(b[106:108], "big")
s = int.from_bytes(b[108 + h:110 + h], "big"); open(sys.argv[2], "wb").write(b[110 + h:110 + h + s])' "$1" "$2"; }
e=$(k_eerp RW2OWN); eg=$(k_eerp 000042.GENST)
[ -n "$e" ] && check certs_eerp_by_virtual_station "$OX_TOOLS/cmstool" verify-eerp -p "$K/keys/vst.crt" "$e" ||
    fail certs_eerp_by_virtual_station "no EERP"
[ -n "$e" ] && check_fails certs_eerp_not_general 65 "$OX_TOOLS/cmstool" verify-eerp -p "$K/keys/gw.crt" "$e"
[ -n "$eg" ] && check certs_eerp_general_station "$OX_TOOLS/cmstool" verify-eerp -p "$K/keys/gw.crt" "$eg" ||
    fail certs_eerp_general_station "no EERP"
[ -n "$e" ] && k_sig "$e" "$K/eerp.sig" && openssl cms -verify -inform DER -binary -in "$K/eerp.sig" \
    -CAfile "$K/keys/vst.crt" -purpose any -out /dev/null 2>/dev/null &&
    pass certs_eerp_opens || fail certs_eerp_opens "openssl cms -verify"
# X.400 -> OFTP: signed with the virtual station's key, encrypted for the
# station the file goes to: Rita's station, or WERK2 with its own (the two
# messages share their MTS identifier: Rita's goes through a second spool)
x2k() {	# GATEWAY FILE.p1 -> x4002oftp
	mkdir -p "$1/spool/x400/in/tmp"
	cp "$2" "$1/spool/x400/in/tmp/m.p1" && mv "$1/spool/x400/in/tmp/m.p1" "$1/spool/x400/in/m.p1"
	"$X" -c "$1/oxgate.ini" --spool 2>>"$1/log"
}
k_out() { for f in "$2"/spool/oftp/out/*.sfid; do grep -q "^dest *= *\"*$1" "$f" && echo "${f%.sfid}"; done | head -1; }
K2=$d/certs2; mkdir -p "$K2"; ln -s "$K/keys" "$K2/keys"
cp "$K/oxgate.ini" "$K/partners.ini" "$K2/"
x2k "$K2" "$MSG"; x2k "$K" "$d/towerk2.p1"
for st in RITA:rita:$K2 WERK2:werk2:$K; do
	who=${st#*:}; f=$(k_out "O0013${st%%:*}" "${who#*:}"); who=${who%%:*}
	[ -n "$f" ] && openssl cms -decrypt -inform DER -binary -in "$f" -inkey "$K/keys/$who.key" \
	    -recip "$K/keys/$who.crt" -out "$K/$who.signed" 2>/dev/null && pass "certs_x2o_${who}_decrypts" ||
	    fail "certs_x2o_${who}_decrypts" "'$f' $(tail -1 "$K/log")"
	openssl cms -verify -inform DER -binary -in "$K/$who.signed" -CAfile "$K/keys/vst.crt" -purpose any \
	    -out "$K/$who.plain.out" 2>/dev/null && [ "$(cat "$K/$who.plain.out")" = "$(printf 'hello\r\n')" ] &&
	    pass "certs_x2o_${who}_signed_by_virtual" || fail "certs_x2o_${who}_signed_by_virtual" "openssl cms -verify"
	openssl cms -verify -inform DER -binary -in "$K/$who.signed" -CAfile "$K/keys/gw.crt" -purpose any \
	    -out /dev/null 2>/dev/null && fail "certs_x2o_${who}_not_general" "verifies with gw.crt" ||
	    pass "certs_x2o_${who}_not_general"
done
f=$(k_out O0013WERK2 "$K")
[ -n "$f" ] && openssl cms -decrypt -inform DER -binary -in "$f" -inkey "$K/keys/rita.key" \
    -recip "$K/keys/rita.crt" -out /dev/null 2>/dev/null && fail certs_x2o_werk2_not_for_rita "rita decrypts" ||
    pass certs_x2o_werk2_not_for_rita
# WERK2's signed EERP on the file it got: checked with WERK2's certificate
# (eerp2report), a signature by another certificate refused
kseerp() {	# NAME KEY: WERK2's EERP signed with KEY, hash of the file sent
	mkdir -p "$K/spool/oftp/eerp.in/tmp"
	_s=$(k_out O0013WERK2 "$K").sfid; _v() { sed -n "s/^$1 *= *//p" "$_s" | tr -d '"'; }
	"$OX_TOOLS/rptgen" eerp "$K/$1.plain" e "$(_v dsn)" "$(_v date)" "$(_v time)" "$(_v orig)" "$(_v dest)" &&
	"$OX_TOOLS/cmstool" sign-eerp -s 4 -k "$K/keys/$2.key" -c "$K/keys/$2.crt" -f "${_s%.sfid}" \
	    "$K/$1.plain" "$K/spool/oftp/eerp.in/tmp/$1" >/dev/null &&
	    mv "$K/spool/oftp/eerp.in/tmp/$1" "$K/spool/oftp/eerp.in/$1"
}
kseerp w2bad other; "$OX_ABIN/eerp2report" -c "$K/oxgate.ini" --spool 2>>"$K/log"
grep -q "bad signature" "$K/spool/failed/w2bad.why" 2>/dev/null && pass certs_eerp_wrong_refused ||
    fail certs_eerp_wrong_refused "$(tail -1 "$K/log")"
kseerp w2own werk2; "$OX_ABIN/eerp2report" -c "$K/oxgate.ini" --spool 2>>"$K/log"
[ ! -e "$K/spool/failed/w2own" ] && [ ! -e "$K/spool/oftp/eerp.in/w2own" ] && pass certs_eerp_routed_own_accepted ||
    fail certs_eerp_routed_own_accepted "$(cat "$K/spool/failed/w2own.why" 2>/dev/null) $(tail -1 "$K/log")"
for f in "$K"/spool/x400/out/*.p1; do "$CHK" -q p1 "$f" >/dev/null 2>&1 || echo "${f##*/}"; done > "$K/bad"
[ ! -s "$K/bad" ] && pass certs_reports_decode || fail certs_reports_decode "$(cat "$K/bad")"
# --check-config: each file read, each key against its certificate
certs_partner "station-key = keys/other.key"
sed -i '/^station-key = keys\/vst.key$/d' "$K/partners.ini"
o=$("$OX_ABIN/oxtrace" -c "$K/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[p] station-key, station-certificate: "*"does not match"*) true ;; *) false ;; esac &&
    pass certs_check_key_mismatch || fail certs_check_key_mismatch "rc $rc: $o"
certs_partner; sed -i 's|keys/werk2.crt|keys/missing.crt|' "$K/partners.ini"
o=$("$OX_ABIN/oxtrace" -c "$K/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[p] routed-certificate O0013WERK2: "*"missing.crt"*) true ;; *) false ;; esac &&
    pass certs_check_missing_file || fail certs_check_missing_file "rc $rc: $o"
certs_partner; sed -i 's|O0013WERK2:keys|O0013ELSE:keys|' "$K/partners.ini"
o=$("$OX_ABIN/oxtrace" -c "$K/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"[p] routed-certificate: O0013ELSE is not a routed station"*) true ;; *) false ;; esac &&
    pass certs_check_not_routed || fail certs_check_not_routed "rc $rc: $o"
certs_partner; sed -i '/^station-key/d' "$K/partners.ini"
o=$("$OX_ABIN/oxtrace" -c "$K/oxgate.ini" --check-config 2>&1); rc=$?
[ $rc -eq 78 ] && case $o in *"station-certificate and station-key go together"*) true ;; *) false ;; esac &&
    pass certs_check_pair || fail certs_check_pair "rc $rc: $o"
# without routed-certificate a routed station is checked with the
# partnership's certificate (what oxgate did for every routed station):
# WERK2's own signature is then NERP 31
K3=$d/certs3; mkdir -p "$K3/spool/oftp/in/tmp"; ln -s "$K/keys" "$K3/keys"
cp "$K/oxgate.ini" "$K3/"
certs_partner; grep -v '^routed-certificate\|^station-' "$K/partners.ini" > "$K3/partners.ini"
K0=$K; K=$K3; cin RW2FALL werk2 gw O0013WERK2; K=$K0
"$OX_ABIN/oftp2x400" -c "$K3/oxgate.ini" --spool 2>>"$K3/log"
r=$(for f in "$K3"/spool/oftp/eerp.out/*.nerp; do [ -f "$f" ] && "$OX_ABIN/oxdump" "$f"; done 2>/dev/null | sed -n 's/^reason  *\([0-9]*\).*/\1/p')
[ "$r" = 31 ] && pass certs_routed_fallback_31 || fail certs_routed_fallback_31 "reason '$r' $(tail -1 "$K3/log")"

# 12. seed:60-78 "Pro Trading Partnerschaft kann festgelegt werden, wie die
# in der Datei angelieferten Nutzdaten in der X.400 Mitteilung ...
# abgebildet werden ... Bei Einstellung 'variable' (voreingestellt) wird der
# Inhalt abhaengig von Dateityp oder dem MIME Type (Content Definition wird
# bevorzugt behandelt) im X.400 Bodypart abgebildet": a partnership with no
# options at all (bodypart variable, mime none) and one file per row of the
# seed's table, each named after its seed line (R66 ... R78, R80). Before,
# a MIME file under mime none went as one BP14 of raw MIME, text/plain
# us-ascii was IA5 and binary F/V without a MIME name an FTBP named by the
# VDSN. oftp2x400(1) "Body parts" has the same table.
B=$d/bp
mkdir -p "$B/spool/oftp/in/tmp"
printf '[spool]\nroot = spool\n' > "$B/oxgate.ini"
printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\n[fixed]\nodette = O0013FIX\nuserid = 000043\nx400 = /O=Fix/P=FIX/A=DBP/C=DE/\nbodypart = latin1\n' \
    "$SAM" > "$B/partners.ini"
bn=0
bput() {	# NAME FORMAT LRECL [USERID]: the payload from stdin
	bn=$((bn + 1))
	cat > "$B/spool/oftp/in/tmp/$1"; mv "$B/spool/oftp/in/tmp/$1" "$B/spool/oftp/in/$1"
	_o=O0013RITA; [ "${4:-000042}" = 000043 ] && _o=O0013FIX
	printf '[sfid]\ndsn = %s\ndate = 20261207\ntime = 05000000%02d\ndest = O0177000000000X0LU%s\norig = %s\nformat = %s\nlrecl = %s\n' \
	    "$1" $bn "${4:-000042}" $_o "$2" "$3" > "$B/spool/oftp/in/tmp/$1.sfid" &&
	    mv "$B/spool/oftp/in/tmp/$1.sfid" "$B/spool/oftp/in/$1.sfid"
}
# records LRECL: stdin as records of LRECL octets, the last padded with NULs
frecs() { python3 -c 'import sys; n = int(sys.argv[1]); d = sys.stdin.buffer.read()
d += b"\0" * (-len(d) % n); sys.stdout.buffer.write(d)' "$1"; }
# vrecs: stdin as V records of at most 20 octets (2-octet length prefix)
vrecs() { python3 -c 'import sys; d = sys.stdin.buffer.read()
sys.stdout.buffer.write(b"".join(len(c).to_bytes(2, "big") + c for c in (d[i:i + 20] for i in range(0, len(d), 20))))'; }
mimeone() {	# CONTENT-TYPE BODY [EXTRA-HEADERS]: a one-part MIME entity
	printf 'MIME-Version: 1.0\r\nContent-Type: %s\r\n%b\r\n%b' "$1" "${3:+$3\r\n}" "$2"
}
NAMED='Content-Disposition: attachment; filename="teile.bin"'
BINBODY='\001\002\003\000\377teile\r\n'
printf 'Lieferschein\r\n' | bput R66 T 0
head -c 300 /dev/urandom | bput R67 U 0
mimeone application/octet-stream 'AAECAwQF' "Content-Transfer-Encoding: base64\r\n$NAMED" | bput R68 U 0
printf 'Satz eins       Satz zwei       ' | bput R69 F 16
printf 'Satz eins' | vrecs | bput R70 V 20
mimeone application/octet-stream "$BINBODY" "Content-Transfer-Encoding: binary\r\n$NAMED" | frecs 16 | bput R71 F 16
mimeone application/octet-stream "$BINBODY" "Content-Transfer-Encoding: binary\r\n$NAMED" | vrecs | bput R72 V 20
printf '\001\002\003\004\005\006\007\010' | bput R71NONAME F 4
printf '\001\002\003' | vrecs | bput R72NONAME V 20
mimeone 'text/plain; charset=us-ascii' 'plain ascii\r\n' | bput R73 U 0
mimeone application/EDIFACT "UNB+UNOC:3+A+B+261207:0500+1'UNZ+0+1'" | bput R74 U 0
mimeone application/EDI-X12 'ISA*00*~' | bput R75 U 0
mimeone application/EDI-consent 'consent data' | bput R76 U 0
mimeone application/octet-stream 'AAECAwQF' 'Content-Transfer-Encoding: base64' | bput R77 U 0
{ printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n--b0\r\nContent-Type: text/plain\r\n\r\nAnschreiben\r\n'
  printf -- '--b0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n%s\r\n\r\nAAECAwQF\r\n--b0--\r\n' "$NAMED"; } | bput R80 U 0
mimeone 'text/plain; charset=us-ascii' 'fixed\r\n' | bput FIXED U 0 000043
"$OX_ABIN/oftp2x400" -c "$B/oxgate.ini" --spool 2>>"$B/log"
b_out() { "$OX_ABIN/oxtrace" -c "$B/oxgate.ini" status "$1" 2>/dev/null | sed -n 's/^files: in=.* out=\([^ ]*\) .*/\1/p'; }
b_show() { _f=$(b_out "$1"); [ -n "$_f" ] && "$CHK" p1 "$B/spool/x400/out/$_f" 2>&1; }
b_data() { "$OX_TOOLS/p35info" -b "$2" "$B/spool/x400/out/$(b_out "$1")" 2>/dev/null | od -An -tx1 | tr -d ' \n'; }
bhas() {	# CHECK NAME PATTERN...: all patterns in the decoded message
	_t=$1; _o=$(b_show "$2"); shift 2
	[ -n "$_o" ] || { fail "$_t" "no message: $(tail -1 "$B/log")"; return; }
	for _p in "$@"; do case $_o in *"$_p"*) ;; *) fail "$_t" "no '$_p'"; return ;; esac; done
	pass "$_t"
}
nbp() { b_show "$1" | grep -c 'direct-reference: 2.6.1.4.11 (id-et-general-text)\|basic: bilaterally-defined (14)\|basic: ia5-text (0)\|direct-reference: 2.6.1.4.12 (id-et-file-transfer)'; }
HEX=000102030405
bhas bp_r66_text_bp15 R66 "id-et-general-text" "GeneralTextData: Lieferschein"
bhas bp_r67_u_bp14 R67 "basic: bilaterally-defined (14)"
bhas bp_r68_u_named_ftbp R68 "id-et-file-transfer" "Pathname item: teile.bin" "actual-values: 6"
[ "$(b_data R68 1)" = $HEX ] && pass bp_r68_data_decoded || fail bp_r68_data_decoded "$(b_data R68 1)"
bhas bp_r69_f_text_bp15 R69 "id-et-general-text" "GeneralTextData: Satz eins"
bhas bp_r70_v_text_bp15 R70 "id-et-general-text" "GeneralTextData: Satz eins"
bhas bp_r71_f_named_ftbp R71 "id-et-file-transfer" "Pathname item: teile.bin"
bhas bp_r72_v_named_ftbp R72 "id-et-file-transfer" "Pathname item: teile.bin"
BIN=$(printf "$BINBODY" | od -An -tx1 | tr -d ' \n')
# (the F file's last record is padded: the padding ends the part's data)
case $(b_data R71 1) in "$BIN"*) [ "$(b_data R72 1)" = "$BIN" ] ;; *) false ;; esac && pass bp_r71_r72_data ||
    fail bp_r71_r72_data "$(b_data R71 1) / $(b_data R72 1)"
bhas bp_r71_f_noname_bp14 R71NONAME "basic: bilaterally-defined (14)"
bhas bp_r72_v_noname_bp14 R72NONAME "basic: bilaterally-defined (14)"
case $(b_show R71NONAME)$(b_show R72NONAME) in *file-transfer*) fail bp_r71_r72_noname_no_ftbp "an FTBP" ;; *) pass bp_r71_r72_noname_no_ftbp ;; esac
bhas bp_r73_text_plain_ascii_bp15 R73 "id-et-general-text" "Latin Alphabet No.1" "GeneralTextData: plain ascii"
bhas bp_r74_edifact_bp15 R74 "id-et-general-text" "GeneralTextData: UNB+UNOC"
bhas bp_r75_x12_bp15 R75 "id-et-general-text" "GeneralTextData: ISA*00"
bhas bp_r76_consent_bp15 R76 "id-et-general-text" "GeneralTextData: consent data"
bhas bp_r77_octet_bp14 R77 "basic: bilaterally-defined (14)"
[ "$(b_data R77 1)" = $HEX ] && pass bp_r77_data_decoded || fail bp_r77_data_decoded "$(b_data R77 1)"
# R78 "application/octet-stream mit Filename in content-disposition in File
# Transfer Body Part": R68 above (its part has that filename); R80 the
# multipart of seed:80 "Die einzelnen MIME Content type werden entsprechend
# den o.g. Regeln in X.400 Bodyparts umgesetzt"
bhas bp_r78_named_ftbp R68 "id-et-file-transfer" "Pathname item: teile.bin"
[ "$(nbp R80)" -eq 2 ] && bhas bp_r80_multipart_each_part R80 "GeneralTextData: Anschreiben" "Pathname item: teile.bin" ||
    fail bp_r80_multipart_each_part "$(nbp R80) body parts"
# seed:62 "Bei Einstellung Isolatin 1 wird der Inhalt immer als Textbody (BP
# 15 ...) versendet": a fixed bodypart with mime none takes the file whole
bhas bp_r62_fixed_whole_file FIXED "id-et-general-text" "GeneralTextData: MIME-Version: 1.0"
[ "$(nbp FIXED)" -eq 1 ] && pass bp_r62_fixed_one_part || fail bp_r62_fixed_one_part "$(nbp FIXED)"
for f in "$B"/spool/x400/out/*.p1; do "$CHK" -q p1 "$f" >/dev/null 2>&1 || echo "${f##*/}"; done > "$B/bad"
[ ! -s "$B/bad" ] && [ "$(ls "$B"/spool/x400/out/*.p1 | wc -l)" -eq 16 ] && pass bp_all_decode ||
    fail bp_all_decode "$(cat "$B/bad") $(ls "$B"/spool/x400/out/*.p1 | wc -l) messages; $(grep -i warn "$B/log" | tail -2)"
# the EERP report2eerp makes from a delivery report (eerp = 2) is signed
# by the virtual station's key too: the EERP comes from that station
K4=$d/certs4; mkdir -p "$K4/spool/oftp/in/tmp" "$K4/spool/x400/reports/tmp"; ln -s "$K/keys" "$K4/keys"
cp "$K/oxgate.ini" "$K4/"
certs_partner "eerp = 2"; cp "$K/partners.ini" "$K4/partners.ini"
K=$K4; cin RW2DR werk2 vst O0013WERK2; K=$K0
"$OX_ABIN/oftp2x400" -c "$K4/oxgate.ini" --spool 2>>"$K4/log"
m=$(ls "$K4"/spool/x400/out/*.p1 2>/dev/null | head -1)
[ -n "$m" ] && "$OX_TOOLS/rptgen" report "$m" "$K4/spool/x400/reports/tmp/dr.p1" d &&
    mv "$K4/spool/x400/reports/tmp/dr.p1" "$K4/spool/x400/reports/dr.p1" || fail certs_dr_fixture "$(tail -1 "$K4/log")"
"$OX_ABIN/report2eerp" -c "$K4/oxgate.ini" --spool 2>>"$K4/log"
e=$(ls "$K4"/spool/oftp/eerp.out/*.eerp 2>/dev/null | head -1)
[ -n "$e" ] && check certs_dr_eerp_by_virtual_station "$OX_TOOLS/cmstool" verify-eerp -p "$K/keys/vst.crt" "$e" ||
    fail certs_dr_eerp_by_virtual_station "no EERP: $(tail -1 "$K4/log")"
[ -n "$e" ] && check_fails certs_dr_eerp_not_general 65 "$OX_TOOLS/cmstool" verify-eerp -p "$K/keys/gw.crt" "$e"
