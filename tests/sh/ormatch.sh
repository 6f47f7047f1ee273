# O/R name matching on the real programs (issue 20): X.402 18.4 as the
# NIST OIW agreements Part 8 Annex B.1 adopt it
# (../shared/seeds/001_2c98374275ef77fa.txt from byte 79111): values
# compare without regard to case, spaces at the ends and repeated spaces
# are not significant; ODETTE IDs compare upper-cased. The cases a new
# user tried: a message to the partner's address in lower case, with
# "O=TOM " (a trailing space) and to DD.ODETTEID=o0013rita must reach
# the station, not come back as a non-delivery report; an originator
# written in other case is the partner's X.400 address, so the file
# goes out under the partner's virtual station ID, not the general one.
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/x4002oftp
EG=$OX_TOOLS/edimgen
d=$OX_TMP/orm
mkdir -p "$d"
printf 'hello\r\n' > "$d/body"

SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
TOM=/C=DE/A=VIAT/P=OFTP/O=TOM/
OTTO=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Other/G=Otto/

# setup NAME: a gateway whose partnership [p] is the station O0013RITA
# (routed O0013SUB) at the local address TOM, X.400 partner Sam
setup() {
	g=$d/$1
	mkdir -p "$g/spool/x400/in/tmp"
	printf '[spool]\nroot = spool\n' > "$g/oxgate.ini"
	printf '[p]\nodette = O0013RITA\nrouted = O0013SUB\nuserid = 000042\nx400 = %s\nlocal = %s\n' \
	    "$SAM" "$TOM" > "$g/partners.ini"
}
# send NAME ORIG RCPT: one IPM from ORIG to RCPT through x4002oftp
send() {
	setup "$1"
	"$EG" ipm "$g/m.p1" "orm-$1" "$2" "ipm-$1" "$d/body" 22 ia5 - "$3" \
	    2>>"$g/log" || { fail "$1" "edimgen: $(tail -1 "$g/log")"; return; }
	cp "$g/m.p1" "$g/spool/x400/in/tmp/m.p1" && mv "$g/spool/x400/in/tmp/m.p1" "$g/spool/x400/in/m.p1"
	"$X" -c "$g/oxgate.ini" --spool 2>>"$g/log"
}
out() { ls "$g/spool/oftp/out" 2>/dev/null | grep -v '\.sfid$\|^tmp$' ; }
sf() { f=$(out | head -1); [ -n "$f" ] && sed -n "s/^$1 *= *//p" "$g/spool/oftp/out/$f.sfid" | tr -d '"'; }
# delivered NAME DEST ORIG: one file for the station, with this SFID
# destination and originator, and no "no partnership" in the log
delivered() {
	if [ "$(out | wc -l)" -eq 1 ] && [ "$(sf dest)" = "$2" ] &&
	    [ "$(sf orig)" = "$3" ] && ! grep -q 'no partnership\|unrecognised' "$g/log"; then
		pass "$1"
	else
		fail "$1" "files '$(out | tr '\n' ' ')' dest '$(sf dest)' orig '$(sf orig)' log '$(tail -2 "$g/log" | tr '\n' '|')'"
	fi
}
VID=O0177000000000X0LU000042
GEN=O0177000000000X0LU000000

# the recipient in lower case: X.402 18.4, case is not significant
send lower "$SAM" /C=de/A=viat/P=oftp/O=tom/
delivered rcpt_lower_case O0013RITA "$VID"
# a trailing space (and one in front, and a run inside the ADMD's
# neighbour): spaces at the ends are not significant
send trailing "$SAM" '/C=DE/A=VIAT/P=OFTP/O=TOM /'
delivered rcpt_trailing_space O0013RITA "$VID"
send leading "$SAM" '/C=DE/A=VIAT/P= OFTP/O=  tom/'
delivered rcpt_leading_spaces O0013RITA "$VID"
# the station named by DD.ODETTEID in lower case; the SFID carries the
# ID upper-cased (RFC 5024 5.3 allows no lower case)
send ddaid "$SAM" /C=DE/A=VIAT/P=OFTP/DD.ODETTEID=o0013rita/
delivered rcpt_odetteid_lower_case O0013RITA "$VID"
send ddatype "$SAM" /C=DE/A=VIAT/P=OFTP/DD.odetteid=O0013RITA/
delivered rcpt_odetteid_type_lower_case O0013RITA "$VID"
send routed "$SAM" /C=DE/A=VIAT/P=OFTP/DD.ODETTEID=o0013sub/
delivered rcpt_routed_lower_case O0013SUB "$VID"
# the originator in other case (and with repeated spaces) is Sam: the
# partner's virtual station ID, not the general station ID
send origcase '/c=de/a=viat/p=oftp/o=GATEWAY/s=sender/g=SAM/' "$TOM"
delivered orig_other_case_virtual_id O0013RITA "$VID"
send origspaces '/C=DE/A=VIAT/P=OFTP/O=Gate way/S=Sender/G=Sam/' "$TOM"
delivered orig_other_name_general_id O0013RITA "$GEN"
send origrun '/C=DE/A=VIAT/P=OFTP/O= Gateway /S=Sender  /G=Sam/' "$TOM"
delivered orig_spaces_virtual_id O0013RITA "$VID"

# what still differs is somebody else: no file, a non-delivery report
send other "$SAM" /C=DE/A=VIAT/P=OFTP/O=TIM/
if [ -z "$(out)" ] && [ "$(ls "$g/spool/x400/out" | grep -c '\.p1$')" -eq 1 ]; then
	pass rcpt_other_name_ndr
else
	fail rcpt_other_name_ndr "files '$(out)' reports '$(ls "$g/spool/x400/out")'"
fi
send otherid "$SAM" /C=DE/A=VIAT/P=OFTP/DD.ODETTEID=o0013rit/
[ -z "$(out)" ] && pass rcpt_other_odetteid_ndr || fail rcpt_other_odetteid_ndr "files '$(out)'"

# oxaddr: the ODETTE ID of an address written in lower case
o=$("$OX_ABIN/oxaddr" --gateway /C=DE/A=VIAT/P=OFTP/ odette --reverse \
    '/DD.ODETTEID=o0013rita/P=oftp/A=viat/C=de/' 2>&1)
[ "$o" = O0013RITA ] && pass oxaddr_odette_reverse_upper || fail oxaddr_odette_reverse_upper "$o"

# two local addresses that match are one address: refused
setup dup
printf '[q]\nodette = O0013QUI\nx400 = /C=DE/A=VIAT/P=OFTP/O=Q/\nlocal = /C=de/A=viat/P=oftp/O=tom /\n' >> "$g/partners.ini"
o=$("$OX_ABIN/oxtrace" -c "$g/oxgate.ini" --check-config 2>&1)
case $o in *"local: O/R address also in [p]"*) pass local_duplicate_refused ;;
*) fail local_duplicate_refused "$o" ;; esac
