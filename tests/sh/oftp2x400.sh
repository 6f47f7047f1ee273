# oftp2x400 end to end: OFTP virtual files in a real spool become P1
# messages that Wireshark's decoders accept, with the body part, report
# requests, addresses, EERP/NERP and trace row each partnership asks for.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/oftp2x400
CHK=$OX_SHARED/tools/x400check
d=$OX_TMP/o2x
mkdir -p "$d"
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
[oftp]
max-file-size = 64K
INI
cat > "$d/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
[beta]
odette = O0013BETA
userid = 000043
x400 = /S=Orders/O=Beta/P=BETA/A=DBP/C=DE/
eerp = 2
bodypart = latin1
[gamma]
odette = O0013GAMMA
routed = O0013GAMMA2
userid = 000044
x400 = /O=Gamma/P=GAMMA/A=DBP/C=DE/
eerp = 3
bodypart = bp14
oftp = 1.4
[delta]
odette = O0013DELTA
userid = 000045
x400 = /O=Delta/P=DELTA/A=DBP/C=DE/
bodypart = ascii
[old]
odette = O0013OLD
userid = 000046
x400 = /O=Old/P=OLD/A=DBP/C=DE/
content = p2
INI
in=$d/spool/oftp/in
mkdir -p "$in/tmp"
n=0
# put NAME FORMAT LRECL DEST ORIG [DESC]: payload from stdin, .sfid last
put() {
	n=$((n + 1))
	cat > "$in/tmp/$1"; mv "$in/tmp/$1" "$in/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261122\ntime = 10000000%02d\ndest = %s\norig = %s\nformat = %s\nlrecl = %s\ndesc = "%s"\n' \
	    "$1" $n "$4" "$5" "$2" "$3" "${6:-}" > "$in/tmp/$1.sfid"
	mv "$in/tmp/$1.sfid" "$in/$1.sfid"
}
V=O0177000000000X0LU
run() { "$X" -c "$d/oxgate.ini" --spool 2>"$d/log"; }
# the one output of an input: found through the trace row
out_of() { "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" status "$1" 2>/dev/null | sed -n 's/^files: in=.* out=\([^ ]*\) .*/\1/p'; }
show() { "$CHK" p1 "$d/spool/x400/out/$1" 2>&1; }
has() {	# NAME FILE PATTERN...: all patterns in the decoded file
	_t=$1; _f=$2; shift 2; _o=$(show "$_f")
	for _p in "$@"; do case $_o in *"$_p"*) ;; *) fail "$_t" "no '$_p' in $_f"; return ;; esac; done
	pass "$_t"
}

printf 'UNA:+.? '"'"'UNB+UNOC:3+SENDER+RECEIVER+261122:1000+1'"'"'\r\nUNZ+1+1'"'"'\r\n' |
    put INVOIC1 T 0 ${V}000042 O0013ACMEGMBH "Rechnung für ACME"
printf 'Bestellung \344\366\374\r\n' | put TXT2 U 0 ${V}000043 O0013BETA
head -c 3000 /dev/urandom | put BIN1 U 0 ${V}000042 O0013ACMEGMBH
printf 'line one\r\nline two\r\n' | put TXT3 T 0 ${V}000044 O0013GAMMA2 "routed"
printf '\000\005abcde\000\003xyz' | put VREC V 10 ${V}000042 O0013ACMEGMBH
printf 'AAAA\001BBB' | put 000042.FBIN F 4 O0177000000000X0LU000000 O0013ACMEGMBH
check_fails batch_with_refusals 0 run
first=$(out_of INVOIC1)
[ -n "$first" ] && [ -f "$d/spool/x400/out/$first" ] && pass t_file_converted || fail t_file_converted "$(cat "$d/log")"
check tshark_t_file "$CHK" -q p1 "$d/spool/x400/out/$first"
has t_is_general_text "$first" "id-et-general-text" "Latin Alphabet No.1" "subject: Rechnung für ACME" \
    "recipient-name (/C=DE/A=DBP/P=ACME/O=ACME/S=EDI/)" "originator-name (/C=DE/A=VIAT/P=OFTP/DD.ODETTEID=O0013ACMEGMBH/)" \
    "originator-report: False" "originator-non-delivery-report: True" "interpersonal-messaging-1988 (22)"
# EERP mode 1: the EERP is there at once, 110 octets, for the originator
e=$d/spool/oftp/eerp.out/${first%.p1}.eerp
[ "$(wc -c < "$e")" -eq 110 ] && [ "$(head -c 1 "$e")" = E ] && pass eerp_mode1 || fail eerp_mode1 "$(ls "$d/spool/oftp/eerp.out")"
[ "$(dd if="$e" bs=1 skip=56 count=25 2>/dev/null)" = "O0013ACMEGMBH            " ] && pass eerp_dest_is_originator || fail eerp_dest_is_originator "$(od -c "$e" | head -5)"
o=$("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" list)
case $o in *"eerp-sent"*"acme"*"INVOIC1"*) pass trace_mode1 ;; *) fail trace_mode1 "$o" ;; esac

bin=$(out_of BIN1)
has u_binary_is_bp14 "$bin" "bilaterally-defined"
t2=$(out_of TXT2)
has latin1_partner "$t2" "id-et-general-text" "GeneralTextData: Bestellung"
has mode2_requests_dn "$t2" "originator-report: True" "originating-MTA-report: True"
txt=$(out_of TXT3)
has bp14_partner "$txt" "bilaterally-defined"
has mode3_requests_rn "$txt" "rn: True"
has routed_station_dda "$txt" "DD.ODETTEID=O0013GAMMA2"
[ ! -e "$d/spool/oftp/eerp.out/${txt%.p1}.eerp" ] && pass mode3_no_eerp_yet || fail mode3_no_eerp_yet "EERP written"
v=$(out_of VREC)
has v_records_text "$v" "GeneralTextData: abcde"
f=$(out_of 000042.FBIN)
# binary F without a MIME name: BP14, as U (seed 000 lines 67, 71: an FTBP
# only "mit Name im MIME Header"; it was an FTBP named by the VDSN)
has f_binary_bp14_general_station "$f" "bilaterally-defined" "recipient-name (/C=DE/A=DBP/P=ACME/O=ACME/S=EDI/)"
[ -z "$(ls "$in" | grep -v '^tmp$\|^work$')" ] && pass inputs_removed || fail inputs_removed "$(ls "$in")"

# refusals: NERP with the reason, input in failed/ with .why
printf 'x\r\n' | put NOPART T 0 ${V}000099 O0013ACMEGMBH
printf 'x\r\n' | put BADORIG T 0 ${V}000042 O0013INTRUDER
head -c 70000 /dev/zero | put BIG U 0 ${V}000042 O0013ACMEGMBH
printf '\000\077abc' | put BADV V 10 ${V}000042 O0013ACMEGMBH
# a binary record first, then a cut one: refused too (the check went on
# only while the records were text, and the body ended at the cut)
printf '\000\003a\001b\000\002cd\000\077abc' | put BADVBIN V 10 ${V}000042 O0013ACMEGMBH
printf 'gr\374n\r\n' | put EIGHTBIT T 0 ${V}000045 O0013DELTA
printf 'a\000b' | put BINLATIN U 0 ${V}000043 O0013BETA
check_fails refusals_handled_exit_0 0 run
reason() {	# the NERP reason of the refused input NAME
	for _f in "$d"/spool/oftp/eerp.out/*.nerp; do
		[ "$(dd if="$_f" bs=1 skip=1 count=26 2>/dev/null | tr -d ' ')" = "$1" ] &&
		    dd if="$_f" bs=1 skip=126 count=2 2>/dev/null
	done
}
for c in NOPART:12 BADORIG:13 BIG:16 BADV:34 BADVBIN:34 EIGHTBIT:34 BINLATIN:34; do
	nm=${c%:*}; want=${c#*:}
	[ "$(reason "$nm")" = "$want" ] && pass "nerp_${nm}_$want" || fail "nerp_${nm}_$want" "got '$(reason "$nm")'"
	[ -f "$d/spool/failed/$nm" ] && [ -f "$d/spool/failed/$nm.sfid" ] && grep -q "NERP $want" "$d/spool/failed/$nm.why" &&
	    pass "failed_$nm" || fail "failed_$nm" "$(cat "$d/spool/failed/$nm.why" 2>&1)"
done
grep -q 'no partnership has the virtual station ID O0177000000000X0LU000099' "$d/spool/failed/NOPART.why" && pass why_names_field || fail why_names_field "$(cat "$d/spool/failed/NOPART.why")"
ls "$d"/spool/x400/out/*.p1 | wc -l | grep -qx 6 && pass no_output_for_refused || fail no_output_for_refused "$(ls "$d/spool/x400/out")"
# a refused file put back into its queue is refused again, with no second
# NERP (the redo of a decision, oxgate-spool(5) "Commit order"); after
# oxtrace reprocess it is converted: BIG, once the size limit allows it
back() { mv "$d/spool/failed/$1" "$in/$1" && mv "$d/spool/failed/$1.sfid" "$in/$1.sfid" && rm "$d/spool/failed/$1.why"; }
nerps=$(ls "$d"/spool/oftp/eerp.out/*.nerp | wc -l)
back BIG; run
[ "$(ls "$d"/spool/oftp/eerp.out/*.nerp | wc -l)" -eq "$nerps" ] && grep -q "refused before (transaction" "$d/spool/failed/BIG.why" &&
    pass refused_again_no_second_nerp || fail refused_again_no_second_nerp "$(cat "$d/spool/failed/BIG.why")"
sed -i 's/^max-file-size = 64K$/max-file-size = 1M/' "$d/oxgate.ini"
check reprocess "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" reprocess BIG
check_fails reprocess_not_failed 65 "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" reprocess BIG
back BIG; run
[ -f "$d/spool/x400/out/$(out_of BIG)" ] && [ ! -e "$in/BIG.sfid" ] && [ ! -e "$d/spool/failed/BIG" ] &&
    pass reprocessed_converted || fail reprocessed_converted "$(cat "$d/log")"
rm -f "$d/spool/x400/out/$(out_of BIG)"
sed -i 's/^max-file-size = 1M$/max-file-size = 64K/' "$d/oxgate.ini"

# OFTP 1.4 partner: 128-octet NERP
printf 'x\r\n' | put OLDNERP T 0 ${V}000044 O0013NOBODY
run
[ "$(reason OLDNERP)" = 13 ] && [ "$(wc -c < "$(grep -l OLDNERP "$d"/spool/oftp/eerp.out/*.nerp)")" -eq 128 ] && pass nerp_oftp14_layout || fail nerp_oftp14_layout "1.4 NERP"

# a P2 partner gets content type 2 and no extended body part
printf 'plain\r\n' | put P2FILE T 0 ${V}000046 O0013OLD
run
p2=$(out_of P2FILE)
has p2_content "$p2" "interpersonal-messaging-1984 (2)" "ia5-text"

# a redo (the input comes again after a crash) rewrites the same output
cp "$d/spool/x400/out/$first" "$d/first.p1"
printf 'UNA:+.? '"'"'UNB+UNOC:3+SENDER+RECEIVER+261122:1000+1'"'"'\r\nUNZ+1+1'"'"'\r\n' > "$in/INVOIC1"
printf '[sfid]\ndsn = INVOIC1\ndate = 20261122\ntime = 1000000001\ndest = %s\norig = O0013ACMEGMBH\nformat = T\ndesc = "Rechnung für ACME"\n' ${V}000042 > "$in/INVOIC1.sfid"
run
[ "$(out_of INVOIC1)" = "$first" ] && pass redo_same_name || fail redo_same_name "$(out_of INVOIC1)"
[ "$("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" list | grep -c INVOIC1)" -eq 1 ] && pass redo_one_trace_row || fail redo_one_trace_row "rows"

# filter mode: stdin to stdout, EERP to a named file
printf 'hello\r\n' > "$d/F1"
printf '[sfid]\ndsn = F1\ndate = 20261122\ntime = 1100000001\ndest = %s\norig = O0013ACMEGMBH\nformat = T\n' ${V}000042 > "$d/F1.sfid"
# stdout not written (a full disk): 74 (EX_IOERR), the run below converts
check_fails filter_stdout_full 74 sh -c "'$X' -c '$d/oxgate.ini' --sfid '$d/F1.sfid' < '$d/F1' > /dev/full"
check filter_mode sh -c "'$X' -c '$d/oxgate.ini' --sfid '$d/F1.sfid' --eerp '$d/F1.eerp' < '$d/F1' > '$d/F1.p1'"
check tshark_filter "$CHK" -q p1 "$d/F1.p1"
[ "$(wc -c < "$d/F1.eerp")" -eq 110 ] && pass filter_eerp || fail filter_eerp "no EERP"
# one spelling of filter mode in every converter (gw_main): --filter with
# --sfid gives the same P1 as the older --sfid alone (a redo: the same
# identifiers; the arrival time is the run's)
check filter_flag sh -c "'$X' -c '$d/oxgate.ini' --filter --sfid '$d/F1.sfid' < '$d/F1' > '$d/F1b.p1'"
"$OX_BIN/oxdump" "$d/F1.p1" | grep -v arrival-time > "$d/F1.dump"
"$OX_BIN/oxdump" "$d/F1b.p1" | grep -v arrival-time > "$d/F1b.dump"
cmp -s "$d/F1.dump" "$d/F1b.dump" && grep -q "message-identifier: .*OXGATE" "$d/F1.dump" &&
    pass filter_flag_same_p1 || fail filter_flag_same_p1 "$(diff "$d/F1.dump" "$d/F1b.dump" | tr '\n' '|')"
check_fails filter_needs_sfid 64 "$X" -c "$d/oxgate.ini" --filter "$d/F1"
check_fails eerp_outside_filter 64 "$X" -c "$d/oxgate.ini" --spool --eerp "$d/x.eerp"
check_fails two_modes 64 "$X" -c "$d/oxgate.ini" --spool --sfid "$d/F1.sfid"
check_fails usage 64 "$X" -c "$d/oxgate.ini"
printf '[oftp]\nmax-file-size = 1Q\n' > "$d/bad.ini"
check_fails bad_config 78 "$X" -c "$d/bad.ini" --spool
check help "$X" --help

# OFTP2 security: a signed, compressed, encrypted file is unwrapped; the
# EERP is signed when SFIDSIGN=Y; bad layers give NERP 31 / 33.
k=$d/keys; mkdir -p "$k"
for who in gw partner other; do
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate test $who" -days 2 \
	    -keyout "$k/$who.key" -out "$k/$who.crt" >/dev/null 2>&1 || fail keys "openssl req"
done
cat >> "$d/oxgate.ini" <<INI
[security]
certificate = keys/gw.crt
key = keys/gw.key
INI
cat >> "$d/partners.ini" <<INI
[secure]
odette = O0013SECURE
userid = 000050
x400 = /O=Secure/P=SEC/A=DBP/C=DE/
sign = yes
encrypt = yes
compress = yes
cipher = 04
certificate = keys/partner.crt
INI
printf 'Geheime Bestellung\r\n' > "$d/plain"
CT=$OX_TOOLS/cmstool
check wrap_for_gateway "$CT" wrap -s 04 -l sce -k "$k/partner.key" -c "$k/partner.crt" -p "$k/gw.crt" "$d/plain" "$d/sec1"
check wrap_for_other "$CT" wrap -s 04 -l sce -k "$k/partner.key" -c "$k/partner.crt" -p "$k/other.crt" "$d/plain" "$d/sec2"
check wrap_wrong_signer "$CT" wrap -s 04 -l sce -k "$k/other.key" -c "$k/other.crt" -p "$k/gw.crt" "$d/plain" "$d/sec3"
putsec() {	# NAME FILE
	n=$((n + 1))
	cp "$2" "$in/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261122\ntime = 12000000%02d\ndest = %s\norig = O0013SECURE\nformat = T\nsec = 03\nciph = 04\ncomp = 1\nenv = 1\nsign = Y\n' \
	    "$1" $n ${V}000050 > "$in/tmp/$1.sfid"
	mv "$in/tmp/$1.sfid" "$in/$1.sfid"
}
putsec SEC1 "$d/sec1"; putsec SEC2 "$d/sec2"; putsec SEC3 "$d/sec3"
run
s1=$(out_of SEC1)
has secured_unwrapped "$s1" "GeneralTextData: Geheime Bestellung"
se=$d/spool/oftp/eerp.out/${s1%.p1}.eerp
[ -f "$se" ] && [ "$(wc -c < "$se")" -gt 110 ] && pass signed_eerp_written || fail signed_eerp_written "$(ls -l "$d/spool/oftp/eerp.out")"
check signed_eerp_verifies "$CT" verify-eerp -p "$k/gw.crt" "$se"
check_fails signed_eerp_not_by_other 65 "$CT" verify-eerp -p "$k/other.crt" "$se"
[ "$(reason SEC2)" = 33 ] && pass nerp_33_not_for_us || fail nerp_33_not_for_us "got '$(reason SEC2)'"
[ "$(reason SEC3)" = 31 ] && pass nerp_31_wrong_signer || fail nerp_31_wrong_signer "got '$(reason SEC3)'"
o=$("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" status SEC1)
case $o in *"hash: SHA256 "[0-9a-f]*) pass trace_has_hash ;; *) fail trace_has_hash "$o" ;; esac
# made by OpenSSL's own tool (signed, then encrypted; it cannot compress)
printf 'Bestellung von OpenSSL\r\n' > "$d/plain2"
openssl cms -sign -binary -nodetach -outform DER -md sha256 -in "$d/plain2" \
    -signer "$k/partner.crt" -inkey "$k/partner.key" -out "$d/ossl.sig" 2>/dev/null &&
openssl cms -encrypt -binary -aes256 -inform DER -outform DER -in "$d/ossl.sig" \
    -out "$d/ossl.sec" "$k/gw.crt" 2>/dev/null || fail openssl_made "openssl cms"
n=$((n + 1))
cp "$d/ossl.sec" "$in/OSSL"
printf '[sfid]\ndsn = OSSL\ndate = 20261122\ntime = 12000000%02d\ndest = %s\norig = O0013SECURE\nformat = T\nsec = 03\nciph = 04\ncomp = 0\nenv = 1\n' \
    $n ${V}000050 > "$in/tmp/OSSL.sfid"
mv "$in/tmp/OSSL.sfid" "$in/OSSL.sfid"
run
has openssl_made_unwrapped "$(out_of OSSL)" "GeneralTextData: Bestellung von OpenSSL"
o=$("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" status OSSL)
case $o in *"state: eerp-sent"*"partner: secure"*|*"partner: secure"*"state: eerp-sent"*) pass openssl_made_trace_row ;; *) fail openssl_made_trace_row "$o" ;; esac

# MIME input (partnership mime = header): one body part per MIME part,
# chosen by the MIME type; transfer encodings decoded; S/MIME in an FTBP
# carrying the CMS object; corrupt MIME and more than 50 parts: NERP 34.
cat >> "$d/partners.ini" <<INI
[mime]
odette = O0013MIME
userid = 000060
x400 = /O=Mime/P=MIME/A=DBP/C=DE/
mime = header
subject = mime
[pedi]
odette = O0013PEDI
userid = 000061
x400 = /O=Pedi/P=PEDI/A=DBP/C=DE/
content = p35
eerp = 3
[central]
odette = O0013CENTRAL
userid = 000062
x400 = /DD.EDI=central/P=OFTP/A=VIAT/C=DE/
content = p35
INI
mput() { put "$1" U 0 ${V}000060 O0013MIME "desc $1"; }
single() {	# NAME CONTENT-TYPE BODY [EXTRA-HEADER]
	printf 'MIME-Version: 1.0\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe?= %s\r\nContent-Type: %s\r\n%b\r\n%b' "$1" "$2" "${4:+$4\r\n}" "$3" | mput "$1"
}
single MASCII 'text/plain; charset=us-ascii' 'hello ascii\r\n'
single MLATIN 'text/plain; charset=iso-8859-1' 'gr\374n\r\n'
single MUTF8 'text/plain; charset=utf-8' 'gr\303\274n\r\n'
single MEDI 'application/EDIFACT' "UNB+UNOC:3+A+B+261122:1000+1'UNZ+0+1'"
single MX12 'application/EDI-X12' 'ISA*00*~'
single MCONS 'application/EDI-consent' 'consent data'
single MOCT 'application/octet-stream' 'AAECAwQF' 'Content-Transfer-Encoding: base64'
single MFILE 'application/octet-stream' 'AAECAwQF' 'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="report.bin"'
single MEVIL 'application/octet-stream' 'AAECAwQF' 'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="../../etc/\0001cron.d"'
single MQP 'text/plain; charset=iso-8859-1' 'Stra=DFe=\r\n ok\r\n' 'Content-Transfer-Encoding: quoted-printable'
multi() {	# NAME N: multipart/mixed with N text parts
	{ printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n'
	  i=0; while [ $i -lt "$2" ]; do i=$((i + 1)); printf -- '--b0\r\nContent-Type: text/plain\r\n\r\npart %d\r\n' $i; done
	  printf -- '--b0--\r\n'; } | mput "$1"
}
multi MULTI2 2; multi MULTI50 50; multi MULTI51 51
printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n--b0\r\nContent-Type: text/plain\r\n\r\ncut off\r\n' | mput MCUT
printf 'MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n!!not base64!!\r\n' | mput MBAD64
printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n\r\nno boundary\r\n--x--\r\n' | mput MNOBND
printf 'Content-Type: text/plain\r\n\r\nsigned hello\r\n' > "$d/inner"
openssl smime -sign -in "$d/inner" -signer "$k/partner.crt" -inkey "$k/partner.key" -out "$d/smime" 2>/dev/null || fail smime_make "openssl smime"
mput SMIME < "$d/smime"
openssl smime -sign -nodetach -in "$d/inner" -signer "$k/partner.crt" -inkey "$k/partner.key" -out "$d/smime2" 2>/dev/null
mput SMIME2 < "$d/smime2"
printf 'MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nnot parsed\r\n' | put NOMIME T 0 ${V}000042 O0013ACMEGMBH
printf 'MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nnot parsed\r\n' | put NOMIME2 T 0 ${V}000045 O0013DELTA
check_fails mime_batch 0 run
# text/plain in us-ascii: BP15 (seed 000 line 73 "MIME Type Text/plain in
# BP15/ ISO8859-1"; it was IA5)
has mime_ascii_bp15 "$(out_of MASCII)" "id-et-general-text" "GeneralTextData: hello ascii" "subject: Grüße MASCII"
bpdata() { "$OX_TOOLS/p35info" -b "$2" "$d/spool/x400/out/$(out_of "$1")" 2>/dev/null | od -An -c | tr -s ' \n' ' '; }
has mime_latin1_bp15 "$(out_of MLATIN)" "id-et-general-text" "GeneralTextData: gr"
[ "$(bpdata MLATIN 1)" = " g r 374 n \r \n " ] && pass mime_latin1_data || fail mime_latin1_data "$(bpdata MLATIN 1)"
has mime_utf8_bp15 "$(out_of MUTF8)" "id-et-general-text" "GeneralTextData: gr"
[ "$(bpdata MUTF8 1)" = " g r 374 n \r \n " ] && pass mime_utf8_to_latin1 || fail mime_utf8_to_latin1 "$(bpdata MUTF8 1)"
has mime_edifact_bp15 "$(out_of MEDI)" "id-et-general-text" "GeneralTextData: UNB+UNOC"
has mime_x12_bp15 "$(out_of MX12)" "id-et-general-text" "GeneralTextData: ISA*00"
has mime_consent_bp15 "$(out_of MCONS)" "id-et-general-text" "GeneralTextData: consent data"
has mime_octet_bp14 "$(out_of MOCT)" "bilaterally-defined"
has mime_filename_ftbp "$(out_of MFILE)" "id-et-file-transfer" "Pathname item: report.bin" "actual-values: 6"
has mime_hostile_name "$(out_of MEVIL)" "id-et-file-transfer" "Pathname item: cron.d"
has mime_qp_bp15 "$(out_of MQP)" "id-et-general-text"
[ "$(bpdata MQP 1)" = " S t r a 337 e o k \r \n " ] && pass mime_qp_decoded || fail mime_qp_decoded "$(bpdata MQP 1)"
# [acme] has mime none and bodypart variable (the defaults): the MIME type
# decides (seed 000 line 64 "Content Definition wird bevorzugt behandelt";
# the file went as it was before); [delta], bodypart ascii with mime none,
# gets the whole file as it is
has nomime_variable_parsed "$(out_of NOMIME)" "GeneralTextData: not parsed"
case $(show "$(out_of NOMIME)") in *MIME-Version*) fail nomime_variable_no_header "the MIME header is in the body" ;; *) pass nomime_variable_no_header ;; esac
has nomime_fixed_raw "$(out_of NOMIME2)" "basic: ia5-text (0)" "MIME-Version: 1.0"
o=$(show "$(out_of MULTI2)")
[ "$(printf '%s\n' "$o" | grep -c 'id-et-general-text')" -eq 2 ] && pass mime_multipart_2 || fail mime_multipart_2 "$o"
o=$(show "$(out_of MULTI50)")
[ "$(printf '%s\n' "$o" | grep -c 'id-et-general-text')" -eq 50 ] && pass mime_multipart_50 || fail mime_multipart_50 "$(printf '%s\n' "$o" | grep -c 'id-et-general-text')"
check tshark_multipart_50 "$CHK" -q p1 "$d/spool/x400/out/$(out_of MULTI50)"
for c in MULTI51:34 MCUT:34 MBAD64:34 MNOBND:34; do
	nm=${c%:*}; want=${c#*:}
	[ "$(reason "$nm")" = "$want" ] && pass "nerp_${nm}_$want" || fail "nerp_${nm}_$want" "got '$(reason "$nm")'"
done
grep -q 'more than 50 MIME parts' "$d/spool/failed/MULTI51.why" && pass why_51_parts || fail why_51_parts "$(cat "$d/spool/failed/MULTI51.why")"
for s in SMIME SMIME2; do
	has "smime_ftbp_$s" "$(out_of $s)" "id-et-file-transfer" "1.2.840.113549.1.9.16.1.6"
	"$OX_TOOLS/p35info" -b 1 "$d/spool/x400/out/$(out_of $s)" > "$d/$s.cms" 2>"$d/$s.cmserr"
	grep -q is_cms "$d/$s.cmserr" && openssl cms -verify -inform DER -in "$d/$s.cms" -CAfile "$k/partner.crt" -out "$d/$s.out" 2>/dev/null &&
	    grep -q 'signed hello' "$d/$s.out" && pass "smime_cms_verifies_$s" || fail "smime_cms_verifies_$s" "$(cat "$d/$s.cmserr")"
done

# P35: an EDIFACT interchange becomes a PEDI EDIM with its heading from UNA/UNB
P=$OX_TOOLS/p35info
mkdir -p "$d/mapping"
printf '4012345000009:14\t/S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\n' > "$d/mapping/edi-partners"
printf "UNA:+.? 'UNB+UNOA:3+SENDER1:ZZ+4012345000009:14+261122:1030+REF42++APPREF++1++1'\r\nUNH+1+INVOIC:D:96A:UN'\r\nUNZ+1+REF42'\r\n" > "$d/edi1"
put PEDI1 U 0 ${V}000061 O0013PEDI < "$d/edi1"
put CENT1 U 0 ${V}000062 O0013CENTRAL < "$d/edi1"
printf "UNB+UNOA:3+S+NOBODY+261122:1030+R1'UNZ+0+R1'" | put CENT2 U 0 ${V}000062 O0013CENTRAL
printf 'no edifact here\r\n' | put PEDI2 U 0 ${V}000061 O0013PEDI
check_fails p35_batch 0 run
p=$d/spool/x400/out/$(out_of PEDI1)
o=$("$P" "$p" 2>&1)
for want in "ctype: 35" "bodypart: 2.6.7.11.0" "syntax: UNOA" "version: 3" "sender: SENDER1" "sender-qual: ZZ" \
    "prep: 2026-11-22 10:30 UTC" "appref: APPREF" "ssa: :+.? '" "rcpt: /O=Pedi/PRMD=PEDI/ADMD=DBP/C=DE/" "notif: pn nn" \
    "ichg-rcpt: 4012345000009" "ichg-rcpt-qual: 14" "icr: REF42" "test: 1" "ack: 1" "body-len: $(wc -c < "$d/edi1")"; do
	case $o in *"$want"*) ;; *) fail p35_heading "no '$want' in: $o"; want=FAILED; break ;; esac
done
[ "$want" != FAILED ] && pass p35_heading
check tshark_p35_envelope "$CHK" -q p1 "$p"
has p35_envelope_ctype "$(out_of PEDI1)" "35"
o=$("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" status PEDI1)
case $o in *"$(printf '%s' "$("$P" "$p" | sed -n 's/^edim-local: //p')")"*) pass p35_trace_edim ;; *) fail p35_trace_edim "$o" ;; esac
o=$("$P" "$d/spool/x400/out/$(out_of CENT1)" 2>&1)
case $o in *"rcpt: /S=EDI/O=ACME/PRMD=ACME/ADMD=DBP/C=DE/"*"notif:"*) pass p35_central_edi ;; *) fail p35_central_edi "$o" ;; esac
[ "$(reason CENT2)" = 12 ] && pass nerp_central_unknown_12 || fail nerp_central_unknown_12 "got '$(reason CENT2)'"
[ "$(reason PEDI2)" = 34 ] && pass nerp_p35_not_edifact_34 || fail nerp_p35_not_edifact_34 "got '$(reason PEDI2)'"

# MIME header addresses into the IPM heading (RFC 2156, mapping/domain-or);
# the envelope stays the partnership's; an address that does not map (too
# long for RFC-822) becomes a free-form-name
printf 'acme.example#PRMD$ACME.ADMD$DBP.C$DE#\n' > "$d/mapping/domain-or"
long=$(printf '%0600d' 0)
printf 'MIME-Version: 1.0\r\nFrom: "Hans Muster" <Hans.Muster@acme.example>\r\nTo: Jane.Doe@sales.acme.example, "Long Name" <%s@acme.example>\r\nCc: bob@nowhere.example\r\nMessage-ID: <abc123@acme.example>\r\nSubject: addrs\r\nContent-Type: text/plain\r\n\r\nhello\r\n' "$long" | mput MADDR
check_fails mime_addr_batch 0 run
o=$("$OX_ABIN/oxdump" "$d/spool/x400/out/$(out_of MADDR)" 2>&1)
h=$(printf '%s\n' "$o" | sed -n '/heading:/,/subject:/p')
for want in "this-IPM: ;abc123(a)acme.example" "formal-name: /G=Hans/S=Muster/PRMD=ACME/ADMD=DBP/C=DE/" \
    "formal-name: /G=Jane/S=Doe/O=sales/PRMD=ACME/ADMD=DBP/C=DE/" "free-form-name: Long Name" \
    "formal-name: /DD.RFC-822=bob(a)nowhere.example/PRMD=OFTP/ADMD=VIAT/C=DE/"; do
	case $h in *"$want"*) ;; *) fail mime_addr_heading "no '$want' in: $h"; want=FAILED; break ;; esac
done
[ "$want" != FAILED ] && pass mime_addr_heading
case $(printf '%s\n' "$o" | sed -n '/per-recipient-fields:/,/content:/p') in *"recipient-name: /O=Mime/PRMD=MIME/ADMD=DBP/C=DE/"*) pass mime_addr_envelope_partnership ;; *) fail mime_addr_envelope_partnership "$o" ;; esac
check tshark_mime_addr "$CHK" -q p1 "$d/spool/x400/out/$(out_of MADDR)"
# the RFC 2156 example table (tests/rfc2156/cases, its tables): these
# addresses in a MIME header map into the IPM heading exactly as oxaddr
# toor maps them (one code path, mixer_822_to_or)
cp "$d/mapping/domain-or" "$d/domain-or.keep"
mkdir -p "$d/map2156"
for t in domain-or domain-gw; do cp "$OX_TOP/tests/rfc2156/$t" "$d/mapping/$t"; cp "$OX_TOP/tests/rfc2156/$t" "$d/map2156/$t"; done
# a bad line in the table: warned about with its file:line and skipped,
# the other lines still map (oxtrace --check-config refuses it)
printf 'bad.example#OU$x.ADMD$A.C$GB#\n' >> "$d/mapping/domain-or"
bad=$(wc -l < "$d/mapping/domain-or" | tr -d ' ')
rows='Kille@R-D.Salford.AC.UK J.Linnimouth@Marketing.Widget.COM /I=J/S=Linnimouth/GQ=5/@Marketing.Widget.COM postmaster@UK.alter.net /PN=Duval/DD.Title=Manager/@Inria.ATLAS.FR x@ZI.HNE.EGM x@XEROX.COM x@abc.GMD.DE someone@chief.example Smith@ZZ.YY.XX x@I.J.K.L x@A.B.C'
to=$(printf '%s, ' $rows)
printf 'MIME-Version: 1.0\r\nFrom: Tom_Harris@cs.widget.com\r\nTo: %s\r\nIn-Reply-To: <abc@host.example>\r\nReferences: <1229.614418325@UK.AC.NOTT.CS> "Re: plans" (a comment)\r\n <"147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/"@MHS>\r\nSubject: rfc2156\r\nContent-Type: text/plain\r\n\r\nhello\r\n' "${to%, }" | mput M2156
check_fails rfc2156_batch 0 run
case $(cat "$d/log") in *"mapping/domain-or:$bad: OU where PRMD belongs"*"line skipped"*) pass rfc2156_bad_line_skipped ;; *) fail rfc2156_bad_line_skipped "$(cat "$d/log")" ;; esac
check_fails rfc2156_bad_line_check_config 78 "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" --check-config
h=$("$OX_ABIN/oxdump" "$d/spool/x400/out/$(out_of M2156)" 2>&1 | sed -n '/heading:/,/subject:/p')
for a in Tom_Harris@cs.widget.com $rows; do
	want=$("$OX_ABIN/oxaddr" -m "$d/map2156" --gateway /C=DE/A=VIAT/P=OFTP/ toor "$a")
	case $want in /*/) ;; *) fail "rfc2156_heading $a" "oxaddr gave '$want'"; continue ;; esac
	case $h in *"formal-name: $want"*) pass "rfc2156_heading $a" ;; *) fail "rfc2156_heading $a" "no 'formal-name: $want' in: $h" ;; esac
done
# In-Reply-To -> replied-to-IPM, References -> related-IPMs (RFC 2156
# 5.1.3, rfc2156.txt:4107; a phrase is the user-relative-identifier,
# 4.7.3.5; the MHS form gives back its ORName, 4.7.3.3)
h=$("$OX_ABIN/oxdump" "$d/spool/x400/out/$(out_of M2156)" 2>&1)
for want in "replied-to-IPM: ;$("$OX_ABIN/oxaddr" refid "<abc@host.example>" | sed "s/[*]\$//")" \
    "1229.614418325(a)UK.AC.NOTT.CS" "Re: plans" "147"; do
	case $h in *"$want"*) pass "rfc2156_refs $want" ;; *) fail "rfc2156_refs $want" "$h" ;; esac
done
case $h in *related-IPMs*Dietrich*) pass rfc2156_refs_user ;; *) fail rfc2156_refs_user "$h" ;; esac
rm -f "$d/mapping/domain-gw"; mv "$d/domain-or.keep" "$d/mapping/domain-or"
# a P2 (X.400(1984)) partnership: a common name in the heading is the
# domain-defined attribute "Common" (RFC 2156 Appendix B, rfc2156.txt:6503),
# as oxaddr or1984 writes it
printf '[oldmime]\nodette = O0013OLDMIME\nuserid = 000097\nx400 = /O=Oldmime/P=OLD/A=DBP/C=DE/\ncontent = p2\nmime = header\n' >> "$d/partners.ini"
printf 'MIME-Version: 1.0\r\nFrom: "/CN=Help Desk/"@acme.example\r\nTo: Jane.Doe@sales.acme.example\r\nSubject: p2\r\nContent-Type: text/plain\r\n\r\nhello\r\n' | put P2CN T 0 ${V}000097 O0013OLDMIME
check_fails p2_cn_batch 0 run
want=$("$OX_ABIN/oxaddr" -m "$d/mapping" --gateway /C=DE/A=VIAT/P=OFTP/ toor '"/CN=Help Desk/"@acme.example')
want=$("$OX_ABIN/oxaddr" or1984 "$want")
h=$("$OX_ABIN/oxdump" "$d/spool/x400/out/$(out_of P2CN)" 2>&1)
case $want in '/DD.Common=Help Desk/'*) pass p2_cn_want ;; *) fail p2_cn_want "$want" ;; esac
case $h in *"interpersonal-messaging-1984"*"formal-name: $want"*) pass p2_cn_common_dda ;; *) fail p2_cn_common_dda "$h" ;; esac
