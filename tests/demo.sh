#!/bin/sh
# make demo: the gateway's whole story on a temporary spool, with the
# real programs. Two partnerships: an OFTP station "acme" sending an
# EDIFACT invoice to an X.400 mailbox (EERP mode 2: the EERP comes from
# the X.400 delivery report), and a station "rita" receiving an X.400
# message with two attachments as one file with a MIME header (agent
# mode: her EERP becomes the receipt notification the sender asked for).
# Then the operator holds Rita's station and releases it, and Rita gets
# her status file (the CSV status report of her transactions).
# The MTA and the OFTP daemon are simulated by the test tool rptgen.
#
# DEMO_INSTALLED=1 (make check-deb, as root): the same story with the
# installed package: the programs in /usr/bin, run as the user oxgate, the
# installed /etc/oxgate/oxgate.ini and mapping tables, the demo's
# partners.ini written over /etc/oxgate/partners.ini (as an operator edits
# it), and the spool /var/spool/oxgate (spool/ in the demo's directory is
# a link to it). The MTA and the daemon (rptgen, root) write into the
# setgid hand-off queues as members of group oxgate would.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/bin C=oxgate.ini
run() { _p=$1; shift; "$B/$_p" "$@"; }
if [ -n "${DEMO_INSTALLED:-}" ]; then
	B=/usr/bin C=/etc/oxgate/oxgate.ini
	run() { _p=$1; shift; runuser -u oxgate -- "$B/$_p" "$@"; }
fi
T=$top/${OX_BUILD:-build}/rel/tests/tools
shared=$(cd "$top/../shared" 2>/dev/null && pwd) || shared=
w=$(mktemp -d "${TMPDIR:-/tmp}/oxdemo.XXXXXX")
[ -n "$DEMO_KEEP" ] || trap 'rm -rf "$w"' EXIT
cd "$w"
[ -z "${DEMO_INSTALLED:-}" ] || { chmod 755 "$w"; ln -s /var/spool/oxgate spool; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { sed 's/^/   /'; }
tshark_ok() {
	if [ -n "$shared" ] && command -v tshark >/dev/null; then
		"$shared/tools/x400check" -q p1 "$1" &&
		    echo "   (Wireshark's X.400 decoder reads $1 without a problem)"
	fi
}

say "A gateway: oxgate.ini and partners.ini in $(cd "$(dirname "$C")" && pwd)"
[ -n "${DEMO_INSTALLED:-}" ] || cat > oxgate.ini <<INI
[spool]
root = spool
[x400]
local-domain = /C=DE/A=VIAT/P=OFTP/
INI
cat > "$(dirname "$C")/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=Buyer/O=Retail/P=RETAIL/A=DBP/C=DE/
eerp = 2
[rita]
odette = O0013RITA
local = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
x400 = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
mode = agent
mime = header
status-vdsn = OX.STATUS
INI
if [ -z "${DEMO_INSTALLED:-}" ]; then	# installed: its tables (oftp.example.net)
	mkdir -p mapping	# RFC 2156 table: the gateway's X.400 domain <-> oftp.example
	echo 'PRMD$OFTP.ADMD$VIAT.C$DE#oftp.example#' > mapping/or-domain
	echo 'oftp.example#PRMD$OFTP.ADMD$VIAT.C$DE#' > mapping/domain-or
fi
run oxtrace -c "$C" --check-config | show
mkdir -p spool/oftp/in/tmp

say "1. The OFTP station O0013ACMEGMBH sends an EDIFACT invoice"
printf "UNA:+.? 'UNB+UNOC:3+4012345000009:14+4098765000003:14+261122:1000+INV0001'UNH+1+INVOIC:D:96A:UN'BGM+380+INV0001+9'UNT+3+1'UNZ+1+INV0001'\r\n" > spool/oftp/in/INVOIC.0001
cat > spool/oftp/in/tmp/INVOIC.0001.sfid <<SFID
[sfid]
dsn = INVOIC.0001
date = 20261122
time = 1000000001
dest = O0177000000000X0LU000042
orig = O0013ACMEGMBH
format = T
desc = "Rechnung INV0001 für Retail"
SFID
mv spool/oftp/in/tmp/INVOIC.0001.sfid spool/oftp/in/   # the .sfid last: the commit marker
"$B/oxdump" spool/oftp/in/INVOIC.0001.sfid | show

say "2. oftp2x400 makes an X.400 message of it"
run oftp2x400 -c "$C" --spool 2>&1 | show
msg=$(ls spool/x400/out/*.p1)
echo "   $msg:"
if [ -n "$shared" ] && command -v tshark >/dev/null; then
	"$shared/tools/x400check" p1 "$msg" 2>/dev/null | grep -E 'message-identifier|originator-name|recipient-name \(|originator-report:|content-type|built-in:|subject:|direct-reference: 2.6.1.4|GeneralTextData' | sed 's/^ *//' | show
fi
tshark_ok "$msg"

say "3. The MTA delivers it and returns a delivery report"
"$T/rptgen" report "$msg" spool/x400/reports/dr-1.p1 d
"$B/oxdump" spool/x400/reports/dr-1.p1 | grep -E 'IA5String|UTCTime' | head -4 | show
tshark_ok spool/x400/reports/dr-1.p1
mkdir -p seen && mv spool/x400/out/*.p1 seen/	# the MTA took the message

say "4. report2eerp answers the OFTP station with an EERP"
run report2eerp -c "$C" --spool 2>&1 | show
"$B/oxdump" spool/oftp/eerp.out/*.eerp | show

say "5. The other way: an X.400 note with two attachments for the OFTP station of Rita"
mkdir -p gen spool/x400/in && "$T/p22gen" gen > /dev/null
cp gen/gen_att.p1 spool/x400/in/msg-1.p1
"$B/oxdump" spool/x400/in/msg-1.p1 | grep -E 'originator-name|recipient-name|notification-requests|subject|- type:|pathname' | show
run x4002oftp -c "$C" --spool 2>&1 | show
sf=$(ls spool/oftp/out/*.sfid | head -1)
echo "   one OFTP file with a MIME header, $(wc -c < "${sf%.sfid}") octets:"
grep -a -E "^(MIME-Version|Content-Type|Subject|From|To|Message-ID|Date):|^--|filename" "${sf%.sfid}" | head -14 | show
"$B/oxdump" "$sf" | grep -E '^(dsn|dest|orig|format|desc) ' | show

say "6. Rita's OFTP station confirms with an EERP; eerp2report makes the receipt notification"
get() { sed -n "s/^$1 *= *//p" "$sf"; }
"$T/rptgen" eerp spool/oftp/eerp.in/rita.eerp e "$(get dsn)" "$(get date)" "$(get time)" "$(get orig)" "$(get dest)"
"$B/oxdump" spool/oftp/eerp.in/rita.eerp | grep -E '^(kind|dsn|dest|orig) ' | show
run eerp2report -c "$C" --spool 2>&1 | show
for r in spool/x400/out/*.p1; do
	[ -f "$r" ] || continue
	"$B/oxdump" "$r" | grep -E 'kind|recipient-name|subject-ipm|receipt-time|ipn-originator|acknowledgment' | head -8 | show
	tshark_ok "$r"
done

say "7. The trace: every transaction with its states"
run oxtrace -c "$C" report --csv | cut -d, -f1-8,13 | show
run oxtrace -c "$C" status INVOIC.0001 | sed -n '/^history:/,/^recipients:/p' | show
say "8. Rita's station is down for maintenance: the operator holds her files"
mkdir -p sent && find spool/oftp/out/ -maxdepth 1 -type f -exec mv {} sent/ \;	# the daemon sent the first
run oxtrace -c "$C" partner hold rita 2>&1 | show
perl -pe 's/gen-p1-att/gen-p1-at2/g' gen/gen_att.p1 > spool/x400/in/msg-2.p1	# a second message
run x4002oftp -c "$C" --spool 2>&1 | show
echo "   oftp/out: $(ls spool/oftp/out | grep -vc '^tmp$') files; hold/rita: $(ls spool/hold/rita | grep -v '^tmp$' | tr '\n' ' ')"
run oxtrace -c "$C" list | show
run oxtrace -c "$C" partner list | show
run oxtrace -c "$C" partner release rita 2>&1 | show
echo "   oftp/out now: $(ls spool/oftp/out | grep -v '^tmp$' | tr '\n' ' ')"
run oxtrace -c "$C" partner show rita | sed -n '/^history:/,$p' | show

say "9. The daily status file for Rita's station (cron: oxtrace status-files)"
mv spool/oftp/out/[0-9a-f]* sent/
sleep 1		# the window ends now: what was made in this second is next time's
run oxtrace -c "$C" status-files 2>&1 | show
st=$(ls spool/oftp/out/status.rita.* | grep -v '\.sfid$')
echo "   $st:"
cut -d, -f1-4,8,13 "$st" | show
"$B/oxdump" "$st.sfid" | grep -E '^(dsn|date|time|dest|orig|format|desc) ' | show
say "Done. Run 'make check' for the tests; DEMO_KEEP=1 keeps $w."
