# The P1 encoder against an outside decoder: p1gen writes a message, a
# delivery report, a non-delivery report and a probe with p1_encode(),
# and Wireshark's P1 dissector (x400check) must decode each without a
# complaint and find the local identifier that was encoded.
. "$(dirname "$0")/lib.sh"
chk=$OX_SHARED/tools/x400check
d=$OX_TMP/p1gen
mkdir -p "$d"
check p1gen "$OX_TOOLS/p1gen" "$d"
for f in msg dr ndr probe; do
	check "tshark_$f" "$chk" -q p1 "$d/gen_$f.p1"
done
for p in msg:gen-msg-1 dr:gen-rpt-1 ndr:gen-rpt-2 probe:gen-prb-1; do
	f=${p%%:*} want=${p#*:}
	got=$("$chk" p1 "$d/gen_$f.p1" -T fields -e p1.local_identifier 2>&1)
	case $got in
	"$want"*) pass "local_id_$f" ;;
	*) fail "local_id_$f" "got '$(printf '%s' "$got" | tr '\n' ' ')', want $want" ;;
	esac
done
