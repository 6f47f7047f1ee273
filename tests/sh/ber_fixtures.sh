# The BER codec against PDUs built outside the project and an outside
# decoder: every valid fixture is read and re-encoded with definite
# lengths, and Wireshark's P1/P22 dissectors (x400check) accept the
# result; the malformed fixtures are refused with their error.
. "$(dirname "$0")/lib.sh"
fx=$OX_SHARED/fixtures/x400
chk=$OX_SHARED/tools/x400check
for f in msg msg_indef_all msg_rn dr ndr probe; do
	check "norm_$f" "$OX_TOOLS/bernorm" "$fx/$f.p1" "$OX_TMP/$f.p1"
	check "tshark_$f" "$chk" -q p1 "$OX_TMP/$f.p1"
done
for f in rn nrn ftbp; do
	check "norm_$f" "$OX_TOOLS/bernorm" "$fx/$f.p22" "$OX_TMP/$f.p22"
	check "tshark_$f" "$chk" -q p22 "$OX_TMP/$f.p22"
done
for f in edim edin_pn; do
	check "norm_$f" "$OX_TOOLS/bernorm" "$fx/$f.p35" "$OX_TMP/$f.p35"
	check "same_$f" cmp "$fx/$f.p35" "$OX_TMP/$f.p35"
done
# the indefinite-length message normalises to the definite one
check same_indef cmp "$OX_TMP/msg.p1" "$OX_TMP/msg_indef_all.p1"
check_fails bad_len 65 "$OX_TOOLS/bernorm" "$fx/bad_len.p1" "$OX_TMP/x"
check_fails trail 65 "$OX_TOOLS/bernorm" "$fx/trail.p1" "$OX_TMP/x"
o=$("$OX_TOOLS/bernorm" "$fx/trail.p1" "$OX_TMP/x" 2>&1)
case $o in *"offset 1182: data after the end"*) pass trail_msg ;; *) fail trail_msg "$o" ;; esac
o=$("$OX_TOOLS/bernorm" "$fx/bad_len.p1" "$OX_TMP/x" 2>&1)
case $o in *"length runs past the enclosing element"*) pass bad_len_msg ;; *) fail bad_len_msg "$o" ;; esac
# x400check itself must reject what it should, or the checks above prove nothing
check_fails tshark_rejects_bad_tag 1 "$chk" -q p1 "$fx/bad_tag.p1"
