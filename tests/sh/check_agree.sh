# oxspool check agrees with oftp2x400 (issue 23): for every .sfid that
# the shell tests hand to oftp2x400, and for the hostile ones below, the
# answer oxspool check gives before receipt (SFPA, or SFNA with the NERP
# the file would get) is what oftp2x400 then does: converted, or refused
# with that NERP reason and the same text; a malformed .sfid is refused
# by both. Both run gw/accept.h's accept_sfid(), so this checks that
# each calls it, on the same fields, before anything else decides.
#
# How: the tests below run with OX_ABIN and OX_BIN naming copies in
# which oftp2x400 is a wrapper; before each run it asks oxspool check
# about every input of the queue (or the --sfid of filter mode) with the
# same configuration, then notes what oftp2x400 did to it (failed/ with
# its .why, or gone: converted, or still waiting) in one log, which this
# test compares line by line. A --watch run is passed through unchecked
# (its inputs come while it runs); the count is printed.
# RFC 5024 5.3.5 (rfc5024.txt:2807-2826): SFNAREAS; 5.3.14
# (rfc5024.txt:3508-3547): NERP 11-16 and 20-30 are "SFNA(RETRY=N)
# received with reason code" 01-06 and 10-20.
. "$(dirname "$0")/lib.sh"
top=${OX_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
d=$OX_TMP/check_agree
rm -rf "$d"; mkdir -p "$d/abin" "$d/bin" "$d/run"
log=$d/agree.log
: > "$log"
# the tests whose oftp2x400 inputs are compared: by default those that
# hand it the most kinds of .sfid (AGREE_TESTS=all: every test that runs
# oftp2x400 but the kill, fault and install ones; about 25 minutes)
# (under valgrind: only the hostile inputs below, unless AGREE_TESTS says)
[ -n "${OX_VALGRIND:-}" ] && : "${AGREE_TESTS:= }"
: "${AGREE_TESTS:=oftp2x400 hostile oxspool demodette oftp4net inbox os4x}"
[ "$AGREE_TESTS" = all ] && AGREE_TESTS="oftp2x400 hostile limits seed_conv oxspool demodette oftp4net inbox os4x duplicate p2pedi ctypes cms_openssl lifecycle oxtrace oxpurge partner_ctl report2eerp ident"

# wrapper REAL CHECK: oftp2x400 with oxspool check before each input
wrapper() {
	cat <<EOF
#!/bin/sh
real='$1'; chk='$2'; log='$log'
EOF
	cat <<'EOF'
conf=${OXGATE_CONF:-}; sfid=; mode=; prev=
for a in "$@"; do
	case $prev in -c|--config) conf=$a ;; --sfid) sfid=$a ;; esac
	case $a in --spool) mode=spool ;; --watch) mode=watch ;;
	--config=*) conf=${a#--config=} ;; --sfid=*) sfid=${a#--sfid=} ;; esac
	prev=$a
done
[ -n "$sfid" ] && mode=filter
if [ -z "$conf" ] || [ -z "$mode" ] || [ "$mode" = watch ]; then
	echo "unchecked|$mode|$*" >> "$log"; exec "$real" "$@"
fi
verdict() { _v=$("$chk" -c "$conf" check --sfid "$1" 2>/dev/null); echo "$?|$_v"; }
if [ "$mode" = filter ]; then
	v=$(verdict "$sfid"); e=$(mktemp)
	"$real" "$@" 2> "$e"; rc=$?; cat "$e" >&2
	w=$(grep -o 'NERP [0-9]* (.*' "$e" | head -1); rm -f "$e"
	echo "filter|$sfid|$v|rc=$rc|$w" >> "$log"; exit $rc
fi
root=$(awk -F' *= *' '/^\[/{s=$0} s=="[spool]" && $1=="root"{print $2}' "$conf" | tr -d '"')
case $root in
'') echo "unchecked|no [spool] root|$*" >> "$log"; exec "$real" "$@" ;;
/*) ;; *) root=$(dirname "$conf")/$root ;; esac
in=$root/oftp/in; mark=$(mktemp); names=
for s in "$in"/*.sfid; do
	n=${s##*/}; n=${n%.sfid}
	[ -f "$s" ] && [ -f "$in/$n" ] || continue	# a payload named *.sfid
	names="$names $n"
	echo "$(verdict "$s")" > "$mark.$n"
	stat -c '%y %i' "$root/failed/$n.why" > "$mark.$n.why" 2>/dev/null
done
"$real" "$@"; rc=$?
for n in $names; do
	why=$root/failed/$n.why
	if [ -f "$why" ] && [ "$(stat -c '%y %i' "$why")" != "$(cat "$mark.$n.why")" ]; then
		out="failed|$(head -c 600 "$why" | tr '\n' ' ')"
	elif [ -e "$in/$n.sfid" ]; then out="waiting|rc=$rc"
	else out="done|"; fi
	echo "spool|$n|$(cat "$mark.$n")|$out" >> "$log"; rm -f "$mark.$n" "$mark.$n.why"
done
rm -f "$mark"; exit $rc
EOF
}
for p in "$OX_ABIN"/* "$OX_BIN"/*; do
	case $p in "$OX_ABIN"/*) w=$d/abin ;; *) w=$d/bin ;; esac
	case $p in *.c|*.o|*.d) continue ;; esac
	[ -f "$p" ] && [ -x "$p" ] || continue
	if [ "${p##*/}" = oftp2x400 ]; then
		case $w in */abin) c=$OX_ABIN/oxspool ;; *) c=$OX_BIN/oxspool ;; esac
		wrapper "$p" "$c" > "$w/oftp2x400"; chmod +x "$w/oftp2x400"
	else ln -sf "$p" "$w/${p##*/}"; fi
done

# hostile .sfid inputs of our own: each refused (or not) by one rule
h=$d/hostile; mkdir -p "$h/spool/oftp/in/tmp"
cat > "$h/oxgate.ini" <<INI
[spool]
root = spool
[oftp]
max-file-size = 10K
station-id = O0177000000000X0LU
INI
cat > "$h/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
routed = O0013ACMEWERK2
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
[edi]
odette = O0013CENTRAL
x400 = /DD.EDI=CENTRAL/O=Central/P=CENTRAL/A=DBP/C=DE/
content = p35
INI
V=O0177000000000X0LU
k=0
hput() {	# NAME PAYLOAD-PRINTF SFID-LINES...
	_n=$1; _p=$2; shift 2; k=$((k + 1))
	printf "$_p" > "$h/spool/oftp/in/tmp/$_n"; mv "$h/spool/oftp/in/tmp/$_n" "$h/spool/oftp/in/$_n"
	{ echo '[sfid]'; printf 'date = 20261207\ntime = 10000000%02d\n' $k
	  case " $* " in *" format = "*) ;; *) echo "format = U" ;; esac
	  for _l in "$@"; do echo "$_l"; done; } > "$h/spool/oftp/in/tmp/$_n.sfid"
	mv "$h/spool/oftp/in/tmp/$_n.sfid" "$h/spool/oftp/in/$_n.sfid"
}
ok="dest = ${V}000042"; from="orig = O0013ACMEGMBH"
hput H_OK 'hello\r\n' "dsn = H.OK" "$ok" "$from" "format = T"
hput H_LOWER 'hello\r\n' "dsn = H.LOWER" "dest = o0177000000000x0lu000042" "$from" "format = T"
hput H_ROUTED 'x' "dsn = H.ROUTED" "$ok" "orig = O0013ACMEWERK2"
hput H_STRANGER 'x' "dsn = H.STRANGER" "$ok" "orig = O0013NOBODY"
hput H_NOUSER 'x' "dsn = H.NOUSER" "dest = ${V}000099" "$from"
hput H_GENERAL 'x' "dsn = 000042.INVOIC" "dest = ${V}" "$from"
hput H_GENLONG 'x' "dsn = 12345678.INVOIC" "dest = ${V}" "$from"
hput H_GENEMPTY 'x' "dsn = .INVOIC" "dest = ${V}" "$from"
hput H_CENTRAL 'x' "dsn = INVOIC" "dest = ${V}" "orig = O0013CENTRAL"
hput H_CENTRAL_ROUTED 'x' "dsn = INVOIC" "dest = ${V}" "orig = O0013CENTRAL2"
hput H_FSIZE 'x' "dsn = H.FSIZE" "$ok" "$from" "fsize = 11"
hput H_FSIZE_AT 'x' "dsn = H.FSIZEAT" "$ok" "$from" "fsize = 10" "osize = 10"
hput H_OSIZE 'x' "dsn = H.OSIZE" "$ok" "$from" "fsize = 1" "osize = 9999999999999"
hput H_ENC 'x' "dsn = H.ENC" "$ok" "$from" "sec = 01" "ciph = 01" "env = 1"
hput H_SIGNED 'x' "dsn = H.SIGNED" "$ok" "$from" "sec = 02" "ciph = 01" "env = 1"
hput H_ENVONLY 'x' "dsn = H.ENVONLY" "$ok" "$from" "env = 1"
hput H_COMP 'x' "dsn = H.COMP" "$ok" "$from" "comp = 1" "env = 1"
hput H_FORMAT 'x' "dsn = H.FORMAT" "$ok" "$from" "format = X"
hput H_LRECL 'x' "dsn = H.LRECL" "$ok" "$from" "format = F" "lrecl = 0"
hput H_NODEST 'x' "dsn = H.NODEST" "$from"
hput H_DSN_BAD 'x' "dsn = ../../etc" "$ok" "$from"
hput H_DEST_LONG 'x' "dsn = H.LONG" "dest = ${V}00004200000000" "$from"
(cd "$h" && "$d/abin/oftp2x400" -c "$h/oxgate.ini" --spool 2>/dev/null)

# the tests, with the wrapped programs
for t in $AGREE_TESTS; do
	OX_ABIN=$d/abin OX_BIN=$d/bin OX_TMP=$d/run sh "$top/tests/sh/$t.sh" > "$d/out.$t" 2>&1
	grep -q '^FAIL' "$d/out.$t" && fail "ran_$t" "$(grep '^FAIL' "$d/out.$t" | head -3 | tr '\n' '|')"
done

# compare. The texts of accept_sfid(): a file it accepted must not be
# refused with one of them (they need nothing but the SFID).
acc='no partnership has the virtual station|is the general station ID, the VDSN|is not the station .* nor routed|KiB is above the maximum file size|SFIDENV is 1 but|the file is encrypted and no key|the file is signed and partnership'
awk -F'|' -v acc="$acc" '
function bad(why) { nbad++; print "DISAGREE " why ": " $0 }
$1 == "unchecked" { unchecked++; next }
{
	total++
	crc = $3; verdict = $4
	nerp = ""; text = ""
	if (match(verdict, /\(NERP [0-9]+\): /)) {
		nerp = substr(verdict, RSTART + 6, RLENGTH - 9)
		text = substr(verdict, RSTART + RLENGTH)
	}
	if ($1 == "filter") {
		refused = $5 != "rc=0"; why = $6
	} else {
		refused = $5 == "failed"; why = $6
		if ($5 == "waiting") { waiting++; if (crc != 0 && crc != 75 && crc != 78) bad("waiting, check refused"); next }
	}
	if (crc == 0) {
		accepted++
		if (refused && why ~ acc) bad("check SFPA, oftp2x400 refused by accept_sfid")
		else if (refused) content++
	} else if (crc == 65) {
		malformed++
		if (!refused) bad("check: malformed, oftp2x400 took it")
	} else if (nerp != "") {
		sfna++
		if (!refused) bad("check SFNA, oftp2x400 took it")
		else if (why ~ /refused before/) before++
		else if (index(why, "NERP " nerp " (") == 0) bad("another NERP")
		else if (index(why, text) == 0) bad("another text")
	} else if (crc != 78) bad("check exit " crc)
}
END {
	printf "inputs %d: SFPA %d (%d refused after receipt for their content), SFNA %d (%d refused before), malformed %d, waiting %d; watch runs unchecked %d; disagreements %d\n", total, accepted, content, sfna, before, malformed, waiting, unchecked, nbad
	exit nbad > 0
}' "$log" > "$d/compare" 2>&1
rc=$?
cat "$d/compare" | tail -1
if [ $rc -eq 0 ] && lim [ "$(grep -c '^spool|' "$log")" -ge 100 ]; then pass agree_all_inputs
else fail agree_all_inputs "$(grep -m5 DISAGREE "$d/compare" | tr '\n' '|') $(tail -1 "$d/compare")"; fi

# our own hostile inputs: check's answer is the rule's (gw/accept.h);
# the comparison above says oftp2x400 did the same
want() {	# NAME EXIT: check's exit status (the SFNA reason) for input NAME
	_got=$(awk -F'|' -v n="$1" '$1 == "spool" && $2 == n { print $3 }' "$log" | head -1)
	if [ "$_got" = "$2" ]; then pass "check_$1"; else fail "check_$1" "exit ${_got:-none}, expected $2"; fi
}
want H_OK 0		# the virtual station ID of [acme], its station
want H_LOWER 65		# malformed: an ODETTE ID is upper case (RFC 5024 5.4)
want H_ROUTED 0		# a routed station of [acme]
want H_STRANGER 3	# SFNA 03 invalid origin (NERP 13)
want H_NOUSER 2		# SFNA 02 invalid destination (NERP 12)
want H_GENERAL 0	# general station ID, user ID 000042 starts the VDSN
want H_GENLONG 2	# a user ID longer than 7 characters is none
want H_GENEMPTY 2	# an empty one too
want H_CENTRAL 0	# the central EDI partnership of the sending station
want H_CENTRAL_ROUTED 2	# not for another station
want H_FSIZE 6		# 11 KiB > 10K: SFNA 06 file size too big (NERP 16)
want H_FSIZE_AT 0	# 10 KiB is the limit itself
want H_OSIZE 6		# the original size counts too
want H_ENC 16		# no [security] key: SFNA 16 encrypted file not allowed (NERP 26)
want H_SIGNED 19	# [acme] has no certificate: SFNA 19 signed file not allowed (NERP 29)
want H_ENVONLY 99	# SFIDENV with no layer: NERP 34, no SFNA of its own
want H_COMP 0		# compression needs no key (the payload then fails: NERP 32)
want H_FORMAT 65	# malformed: oftp2x400 cannot read the .sfid either
want H_LRECL 65
want H_NODEST 65
want H_DSN_BAD 65
want H_DEST_LONG 65
