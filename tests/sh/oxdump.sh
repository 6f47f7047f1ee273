# oxdump on PDUs built outside the project: values, offsets, JSON, errors.
. "$(dirname "$0")/lib.sh"
fx=$OX_SHARED/fixtures/x400
D=$OX_ABIN/oxdump
o=$("$D" "$fx/dr.p1" 2>&1)
case $o in *'IA5String len 8: "rpt-0001"'*) pass dr_report_id ;; *) fail dr_report_id "$o" ;; esac
case $o in *'PrintableString len 2: "GB"'*) pass dr_country ;; *) fail dr_country "$o" ;; esac
o=$("$D" "$fx/msg_indef_all.p1" 2>&1) && pass indef_ok || fail indef_ok "$o"
# indefinite and definite encodings print the same tree apart from offsets
a=$("$D" "$fx/msg.p1" | sed 's/^ *[0-9]* //; s/ len [0-9]*\( indefinite\)*//')
b=$("$D" "$fx/msg_indef_all.p1" | sed 's/^ *[0-9]* //; s/ len [0-9]*\( indefinite\)*//')
case $("$D" "$fx/msg_indef_all.p1") in *"[0] { len 1281 indefinite"*) pass shows_indefinite ;; *) fail shows_indefinite "no indefinite mark" ;; esac
[ "$a" = "$b" ] && pass same_tree || fail same_tree "trees differ"
if "$D" --json "$fx/ndr.p1" | python3 -m json.tool >/dev/null 2>&1; then pass json_valid; else fail json_valid "not JSON"; fi
case $("$D" --json "$fx/ndr.p1") in *'"offset": 0, "tag": "[1]", "constructed": true'*) pass json_root ;; *) fail json_root "root" ;; esac
check_fails bad_len 65 "$D" "$fx/bad_len.p1"
o=$("$D" "$fx/bad_len.p1" 2>&1 >/dev/null)
case $o in *"bad_len.p1: offset 29: length runs past the enclosing element"*) pass bad_len_offset ;; *) fail bad_len_offset "$o" ;; esac
o=$("$D" "$fx/trail.p1" 2>&1 >/dev/null)
case $o in *"offset 1182: data after the end of the element"*) pass trail_offset ;; *) fail trail_offset "$o" ;; esac
check_fails missing 66 "$D" "$OX_TMP/does-not-exist"
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
