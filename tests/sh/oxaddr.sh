# oxaddr: the real program on arguments and on stdin batches; RFC 2156
# examples with tables written here; errors, line numbers, exit codes.
. "$(dirname "$0")/lib.sh"
A=$OX_ABIN/oxaddr
M=$OX_TMP/oxaddr-map
mkdir -p "$M"
cat > "$M/domain-or" <<'T'
# RFC 2156 Appendix F example
AC.UK#PRMD$UK\.AC.ADMD$GOLD 400.C$GB#
autoroutes.fr#PRMD$autoroutes.ADMD$atlas.C$fr#
T
cat > "$M/or-domain" <<'T'
PRMD$UK\.AC.ADMD$GOLD 400.C$GB#AC.UK#
PRMD$autoroutes.ADMD$atlas.C$fr#autoroutes.fr#
PRMD$OFTP.ADMD$VIAT.C$DE#oftp.example.net#
T
same() {	# name got want
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got [$2], expected [$3]"; fi
}

# arguments: RFC 2156 4.3.4 / 4.3.5 examples
same toor_salford "$("$A" -m "$M" toor S.Kille@R-D.Salford.AC.UK)" \
    "/I=S/S=Kille/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/"
same to822_salford "$("$A" -m "$M" to822 '/G=Marshall/S=Rose/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/')" \
    "Marshall.Rose@Salford.AC.UK"
same to822_quoted "$("$A" -m "$M" to822 '/S=renseignements/O=Region Parisienne/PRMD=autoroutes/ADMD=atlas/C=fr/')" \
    '"/S=renseignements/O=Region Parisienne/"@autoroutes.fr'
same toor_stage2 "$("$A" -m "$M" --gateway '/C=us/A=MCI/P=relay/' toor Tom_Harris@cs.widget.com)" \
    "/DD.RFC-822=Tom(u)Harris(a)cs.widget.com/PRMD=relay/ADMD=MCI/C=us/"
same to822_dda "$("$A" -m "$M" to822 '/DD.RFC-822=Tom(u)Harris(a)cs.widget.com/PRMD=relay/ADMD=MCI/C=us/')" \
    "Tom_Harris@cs.widget.com"
same to822_gwdomain "$("$A" -m "$M" to822 '/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/')" \
    '"/S=Smith/O=Acme/PRMD=ACME/ADMD= /C=GB/"@oftp.example.net'
same to822_domain_opt "$("$A" -m "$M" --domain gw.example to822 '/S=Smith/ADMD=X/C=GB/')" \
    "/S=Smith/ADMD=X/C=GB/@gw.example"
same escape "$("$A" escape 'a~b@c_d')" "a(126)b(a)c(u)d"
same escape_octal "$("$A" --octal escape 'a~b')" "a(176)b"
same unescape "$("$A" unescape 'a(126)b(a)c(U)d')" "a~b@c_d"
same unescape_octal "$("$A" --octal unescape 'a(176)b')" "a~b"
same odette "$("$A" -m "$M" odette O0177000000000X0LU000001)" \
    "/DD.ODETTEID=O0177000000000X0LU000001/PRMD=OFTP/ADMD=VIAT/C=DE/"
same odette_reverse "$("$A" -m "$M" odette --reverse '/DD.ODETTEID=O0177000000000X0LU000001/P=oftp/A=VIAT/C=DE/')" \
    "O0177000000000X0LU000001"
same odette_gateway "$("$A" --gateway '/C=DE/A=VIAT/P=EDI/' odette O0177ACME)" \
    "/DD.ODETTEID=O0177ACME/PRMD=EDI/ADMD=VIAT/C=DE/"
# the converters' address (partners.ini(5) local): C, ADMD, PRMD of the domain only
same odette_domain_parts "$("$A" --gateway '/O=GW/C=DE/A=VIAT/P=EDI/' odette O0177ACME-DE)" \
    "/DD.ODETTEID=O0177ACME-DE/PRMD=EDI/ADMD=VIAT/C=DE/"
same odette_to822 "$("$A" -m "$M" to822 '/DD.ODETTEID=O0177000000000X0LU000001/PRMD=OFTP/ADMD=VIAT/C=DE/')" \
    "/DD.ODETTEID=O0177000000000X0LU000001/@oftp.example.net"

# stdin batches: one result per line, failures keep their line
printf '%s\n' 'Marshall.Rose@Salford.AC.UK' 'no-domain' '  postmaster@AC.UK  ' \
    '"/S=renseignements/O=Region Parisienne/"@autoroutes.fr' 'a..b@x' > "$OX_TMP/in"
"$A" -m "$M" --gateway '/C=us/A=MCI/P=relay/' toor < "$OX_TMP/in" > "$OX_TMP/out" 2> "$OX_TMP/err"
rc=$?
same batch_rc "$rc" 65
same batch_lines "$(wc -l < "$OX_TMP/out" | tr -d ' ')" 5
same batch_line1 "$(sed -n 1p "$OX_TMP/out")" "/G=Marshall/S=Rose/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/"
same batch_line2 "$(sed -n 2p "$OX_TMP/out")" ""
same batch_line3 "$(sed -n 3p "$OX_TMP/out")" "/S=postmaster/PRMD=UK.AC/ADMD=GOLD 400/C=GB/"
same batch_line4 "$(sed -n 4p "$OX_TMP/out")" "/S=renseignements/O=Region Parisienne/PRMD=autoroutes/ADMD=atlas/C=fr/"
case $(cat "$OX_TMP/err") in *'line 2: no "@domain"'*'line 5: '*) pass batch_errors ;; *) fail batch_errors "$(cat "$OX_TMP/err")" ;; esac
same batch_nerr "$(wc -l < "$OX_TMP/err" | tr -d ' ')" 2
# the round trip through both commands in a pipeline
printf '%s\n' 'Marshall.Rose@Salford.AC.UK' 'S.Kille@R-D.Salford.AC.UK' > "$OX_TMP/rt"
same pipeline "$("$A" -m "$M" toor < "$OX_TMP/rt" | "$A" -m "$M" to822)" "$(cat "$OX_TMP/rt")"
printf 'O0177000000000X0LU000001\n' | "$A" -m "$M" odette > "$OX_TMP/o1"
same odette_batch "$("$A" -m "$M" odette --reverse < "$OX_TMP/o1")" O0177000000000X0LU000001
same batch_ok_rc "$(printf 'a(126)\n' | "$A" unescape >/dev/null 2>&1; echo $?)" 0
same escape_keeps_blanks "$(printf ' a b \n' | "$A" escape | od -c | head -1 | tr -s ' ')" \
    "$(printf ' a b \n' | od -c | head -1 | tr -s ' ')"

# errors and exit codes
check_fails bad_address 65 "$A" -m "$M" toor 'no-domain'
check_fails bad_stdor 65 "$A" -m "$M" to822 '/X=1/'
o=$("$A" -m "$M" to822 '/X=1/' 2>&1)
case $o in *'not a std-or address: X: unknown or unsupported key'*) pass bad_stdor_msg ;; *) fail bad_stdor_msg "$o" ;; esac
check_fails bad_odette 65 "$A" odette 'o0177'
check_fails stdout_full 74 sh -c "\"$A\" -m \"$M\" to822 '/C=DE/ADMD=VIATEL/PRMD=ACME/S=Smith/' > /dev/full"
# RFC 5024 5.4: 'O', a 9(4) ICD, then the organisation code (A-Z 0-9 -)
check_fails odette_no_org 65 "$A" odette 'O0177'
check_fails odette_no_icd 65 "$A" odette 'ABC'
check_fails odette_org_dot 65 "$A" odette 'O0177ACME.DE'
check_fails odette_foreign 65 "$A" odette --reverse '/DD.ODETTEID=X/P=OTHER/A=VIAT/C=DE/'
check_fails no_gwdomain 65 "$A" -m "$OX_TMP" to822 '/S=x/ADMD=Y/C=GB/'
check_fails usage_none 64 "$A"
check_fails usage_cmd 64 "$A" frobnicate x
check_fails usage_reverse 64 "$A" --reverse toor x
check_fails missing_mapdir 66 "$A" -m "$OX_TMP/nonexistent" toor a@b.example
check_fails missing_config 66 "$A" -c "$OX_TMP/nonexistent.ini" toor a@b.example
check_fails bad_gateway 78 "$A" --gateway '/Q/' toor a@b.example
check_fails bad_domain 78 "$A" --domain 'a b' toor a@b.example
mkdir -p "$OX_TMP/badmap"
printf '# ok\nAC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#\nx.com#OU$Acme.ADMD$A.C$GB#\n' > "$OX_TMP/badmap/domain-or"
check_fails bad_table 78 "$A" -m "$OX_TMP/badmap" toor a@b.example
o=$("$A" -m "$OX_TMP/badmap" toor a@b.example 2>&1)
case $o in *"badmap/domain-or:3: OU where PRMD belongs"*) pass bad_table_line ;; *) fail bad_table_line "$o" ;; esac
# --check: strict, the file:line of the bad line, exit 78; the good tables count
check_fails check_bad 78 "$A" -m "$OX_TMP/badmap" --check
o=$("$A" -m "$OX_TMP/badmap" --check 2>&1)
case $o in *"badmap/domain-or:3: OU where PRMD belongs"*) pass check_bad_line ;; *) fail check_bad_line "$o" ;; esac
same check_ok "$("$A" -m "$M" --check)" "2 + 3 + 0 + 0 table lines (domain-or, or-domain, domain-gw, or-gw)"
check_fails check_usage 64 "$A" -m "$M" --check toor x@y
# -c: the mapping directory beside the configuration file
mkdir -p "$OX_TMP/conf/mapping"
cp "$M/domain-or" "$OX_TMP/conf/mapping/"
: > "$OX_TMP/conf/oxgate.ini"
same config_mapdir "$("$A" -c "$OX_TMP/conf/oxgate.ini" toor postmaster@AC.UK)" \
    "/S=postmaster/PRMD=UK.AC/ADMD=GOLD 400/C=GB/"
same env_config "$(OXGATE_CONF=$OX_TMP/conf/oxgate.ini "$A" toor postmaster@AC.UK)" \
    "/S=postmaster/PRMD=UK.AC/ADMD=GOLD 400/C=GB/"
# the sample tables of etc/mapping load
check sample_tables "$A" -m "$OX_TOP/etc/mapping" toor a@b.example
check help "$A" --help
case $("$A" --version) in "oxaddr "*) pass version ;; *) fail version "no version" ;; esac
