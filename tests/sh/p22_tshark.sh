# The P22 encoder against an outside decoder: p22gen writes IPMs (ia5
# with every heading field, BP14 and FTBP streamed from a file, BP15,
# CMS in an FTBP, several body parts, a P2 IPM), IPNs (RN, NRN) and P1
# messages carrying them, all with p22_encode() (and p1_encode()), and
# Wireshark's P22 / P1 dissectors (x400check) must decode each without a
# complaint and find the values that were encoded.
. "$(dirname "$0")/lib.sh"
chk=$OX_SHARED/tools/x400check
d=$OX_TMP/p22gen
mkdir -p "$d"
check p22gen "$OX_TOOLS/p22gen" "$d"
for f in ia5 bp14 bp15 ftbp cms multi rn nrn p2; do
	check "tshark_$f" "$chk" -q p22 "$d/gen_$f.p22"
done
for f in msg rn; do
	check "tshark_p1_$f" "$chk" -q p1 "$d/gen_$f.p1"
done

field() {	# NAME KIND FILE WANT FIELD...
	_n=$1 _k=$2 _f=$3 _w=$4; shift 4
	_a=
	for _e in "$@"; do _a="$_a -e $_e"; done
	# shellcheck disable=SC2086
	_g=$("$chk" "$_k" "$d/$_f" -T fields -E separator=, $_a 2>&1 | head -1)
	case $_g in
	"$_w") pass "$_n" ;;
	*) fail "$_n" "got '$(printf '%s' "$_g" | tr '\n' ' ')', want '$_w'" ;;
	esac
}
field subject_ia5 p22 gen_ia5.p22 "gen ia5" p22.subject
field subject_multi p22 gen_multi.p22 "gen multi" p22.subject
field subject_p2 p22 gen_p2.p22 "gen ia5" p22.subject
field p1_msg p1 gen_msg.p1 "gen-p1-msg,gen multi" p1.local_identifier p22.subject
field rn p22 gen_rn.p22 "gen-ia5,1,read by gateway" p22.user_relative_identifier p22.acknowledgment_mode p22.suppl_receipt_info
field p1_rn p1 gen_rn.p1 "gen-p1-rn,gen-ia5" p1.local_identifier p22.user_relative_identifier
field nrn p22 gen_nrn.p22 "gen-ia5,0,0" p22.user_relative_identifier p22.non_receipt_reason p22.discard_reason
field ftbp_size p22 gen_ftbp.p22 "4096,report.bin" ftam.actual_values7 ftam.Pathname_item
cms=$("$chk" p22 "$d/gen_cms.p22" 2>&1)
case $cms in
*"contentType: 1.2.840.113549.1.7.1"*) pass cms_contentinfo ;;
*) fail cms_contentinfo "Wireshark did not find the ContentInfo in the FTBP" ;;
esac
