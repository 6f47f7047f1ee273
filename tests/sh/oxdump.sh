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
