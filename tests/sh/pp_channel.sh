# An X.400 MTA that runs a program per message (PP's shell channel,
# daemons.md; PP's Chans/shell/shell.c pipes the message to the program,
# logs its output, and reads its exit status as a reply code of
# h/retcode.h: the basic value 0300 is "not now, nor never", a
# non-delivery report; other failures are tried again): x4002oftp's
# filter mode reads the P1 on stdin and exits 0 / a sysexits(3)
# permanent status / 75; etc/pp/oxgate-channel, the channel program of
# oxgate-integration(7), commits the file into spool/oftp/out and turns
# the status into PP's codes. One test per outcome, for each of the two.
. "$(dirname "$0")/lib.sh"
top=${OX_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
X=$OX_ABIN/x4002oftp
d=$OX_TMP/pp_channel
rm -rf "$d"; mkdir -p "$d/gen" "$d/bin" "$d/spool/oftp/out/tmp" "$d/bad/spool/trace.db"
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen p1gen
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
printf '[spool]\nroot = spool\n' > "$d/oxgate.ini"
printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\n' "$SAM" "$RITA" > "$d/partners.ini"
# no recipient of gen_msg is a partnership here
mkdir -p "$d/none"
printf '[spool]\nroot = spool\n' > "$d/none/oxgate.ini"
printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Nobody/\n' "$SAM" > "$d/none/partners.ini"
# a trace that cannot be opened (a directory): a temporary failure
printf '[spool]\nroot = spool\ntrace = spool/trace.db\n' > "$d/bad/oxgate.ini"
cp "$d/partners.ini" "$d/bad/"
head -c 60 "$d/gen/gen_msg.p1" > "$d/truncated.p1"

# x4002oftp --filter itself: the sysexits(3) a channel reads
status() {	# NAME EXPECTED CONF INPUT
	"$X" -c "$3" --filter < "$4" > "$d/out" 2>>"$d/log"; _rc=$?
	[ $_rc -eq "$2" ] && pass "$1" || fail "$1" "exit $_rc, expected $2: $(tail -1 "$d/log")"
}
status filter_0_converted 0 "$d/oxgate.ini" "$d/gen/gen_msg.p1"
status filter_65_report 65 "$d/oxgate.ini" "$d/gen/gen_dr.p1"
status filter_65_undecodable 65 "$d/oxgate.ini" "$d/truncated.p1"
status filter_67_no_partnership 67 "$d/none/oxgate.ini" "$d/gen/gen_msg.p1"
status filter_75_trace 75 "$d/bad/oxgate.ini" "$d/gen/gen_msg.p1"

# the channel program, called as PP calls it: the message on stdin,
# $(QID) as argument, stdout and stderr to the log
ln -s "$X" "$d/bin/x4002oftp"
chan() {	# CONF QID INPUT: the channel's exit status
	PATH="$d/bin:$PATH" OXGATE_CONF=$1 sh "$top/etc/pp/oxgate-channel" "$d/spool" "$2" < "$3" >>"$d/log" 2>&1
}
out=$d/spool/oftp/out
chan "$d/oxgate.ini" msg.1 "$d/gen/gen_msg.p1"; rc=$?
[ $rc -eq 0 ] && [ -s "$out/pp-msg.1" ] && [ -f "$out/pp-msg.1.sfid" ] && [ -z "$(ls "$out/tmp")" ] &&
    pass channel_delivered || fail channel_delivered "exit $rc: $(ls "$out" "$out/tmp" | tr '\n' ' ')"
# PP: rp_gbval(status) == RP_BNO (0300) is permanent: a non-delivery report
permanent() {	# NAME CONF INPUT
	chan "$2" "$1" "$3"; _rc=$?
	[ $((_rc & 0300)) -eq $((0300)) ] && [ ! -e "$out/pp-$1" ] && [ ! -e "$out/pp-$1.sfid" ] && [ -z "$(ls "$out/tmp")" ] &&
	    pass "channel_ndr_$1" || fail "channel_ndr_$1" "exit $_rc: $(ls "$out" "$out/tmp" | tr '\n' ' ')"
}
permanent report "$d/oxgate.ini" "$d/gen/gen_dr.p1"
permanent undecodable "$d/oxgate.ini" "$d/truncated.p1"
permanent no_partnership "$d/none/oxgate.ini" "$d/gen/gen_msg.p1"
# anything else: not 0300, PP tries again; nothing half-written
chan "$d/bad/oxgate.ini" retry "$d/gen/gen_msg.p1"; rc=$?
[ $rc -eq 75 ] && [ $((rc & 0300)) -ne $((0300)) ] && [ ! -e "$out/pp-retry" ] && [ -z "$(ls "$out/tmp")" ] &&
    pass channel_retry || fail channel_retry "exit $rc: $(ls "$out" "$out/tmp" | tr '\n' ' ')"
# the queue's tmp/ gone (a spool not made): retried, not refused
mv "$out/tmp" "$out/tmp.away"
chan "$d/oxgate.ini" notmp "$d/gen/gen_msg.p1"; rc=$?
mv "$out/tmp.away" "$out/tmp"
[ $rc -eq 75 ] && [ ! -e "$out/pp-notmp" ] && pass channel_no_tmp_retry || fail channel_no_tmp_retry "exit $rc"
