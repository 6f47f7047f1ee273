# Every input ends (issue 22): no input is retried for ever. On a
# simulated clock (OXGATE_NOW) and a queue lifetime of 2 hours, the
# hostile inputs of tests/hostile/ (OFTP files and P1 messages) and two
# failure injections (a key file that is missing: OFTP2 security to
# undo, a partnership that compresses) go through oftp2x400 and
# x4002oftp at T0, T0 + 1 h and T0 + 2 h 1 min. Each must then be in a
# terminal state: converted, or in failed/ with a .why (with the NERP or
# NDR owed), nothing left in an input queue or in the deferral table.
# Meanwhile the temporary failures are counted (attempts, first, next
# try, last error; oxtrace deferred); the last attempt answers with NERP
# 34 (its text naming the lifetime) or an NDR maximum-time-expired
# (X.411 NonDeliveryDiagnosticCode 5). A refusal text with a CR (an
# EDIFACT UNB recipient the central EDI function does not know) no
# longer makes the NERP unbuildable (exit 75 for ever): the NERP goes,
# its text with the CR made a space (NERPREAST is UTF-8 text,
# rfc5024.txt:3568), in spool and in filter mode.
. "$(dirname "$0")/lib.sh"
H=${OX_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/hostile
O2X=$OX_ABIN/oftp2x400
X2O=$OX_ABIN/x4002oftp
OXT=$OX_ABIN/oxtrace
DUMP=$OX_ABIN/oxdump
d=$OX_TMP/lifecycle
rm -rf "$d"
mkdir -p "$d/gen"
V=O0177000000000X0LU
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
T0=$(( $(date +%s) / 60 * 60 ))
at() {	# SECONDS CMD...: CMD with the clock at T0 + SECONDS
	_s=$1; shift
	OXGATE_NOW=$((T0 + _s)) "$@"
}

# two gateways: o (oftp2x400) and x (x4002oftp); both with a key and a
# certificate that are not there, and a lifetime of 2 hours
for g in o x; do
	mkdir -p "$d/$g/spool/oftp/in/tmp" "$d/$g/spool/x400/in/tmp" "$d/$g/mapping"
	printf '[spool]\nroot = spool\nqueue-lifetime = 2\n[x400]\nmapping = mapping\n[oftp]\nmax-file-size = 8M\n[security]\nkey = missing.key\ncertificate = missing.crt\n' > "$d/$g/oxgate.ini"
done
printf '4012345000009:14\t/S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\n' > "$d/o/mapping/edi-partners"
cat > "$d/o/partners.ini" <<INI
[mime]
odette = O0013MIME
userid = 000060
x400 = /O=Mime/P=MIME/A=DBP/C=DE/
mime = header
eerp = 2
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
[central]
odette = O0013CENTRAL
userid = 000062
x400 = /DD.EDI=central/P=OFTP/A=VIAT/C=DE/
content = p35
INI
printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\nmime = header\ncompress = yes\n' "$SAM" "$RITA" > "$d/x/partners.ini"

n=0
oput() {	# NAME PAYLOAD [SFID | USERID ODETTE [EXTRA]]: an OFTP file into o
	q=$d/o/spool/oftp/in; n=$((n + 1))
	cp "$2" "$q/tmp/$1" && mv "$q/tmp/$1" "$q/$1"
	if [ -f "${3:-}" ]; then cp "$3" "$q/tmp/$1.sfid"
	else printf "[sfid]\ndsn = L%05d\ndate = 20261122\ntime = 12%06d01\ndest = %s%s\norig = %s\nformat = U\n${5:-}" \
	    $n $n "$V" "${3:-000060}" "${4:-O0013MIME}" > "$q/tmp/$1.sfid"
	fi
	mv "$q/tmp/$1.sfid" "$q/$1.sfid"
}
xput() { cp "$2" "$d/x/spool/x400/in/tmp/$1" && mv "$d/x/spool/x400/in/tmp/$1" "$d/x/spool/x400/in/$1"; }
run() {	# SECONDS: both converters, batch, at T0 + SECONDS
	at "$1" "$O2X" -c "$d/o/oxgate.ini" --spool 2>>"$d/o/log"
	at "$1" "$X2O" -c "$d/x/oxgate.ini" --spool 2>>"$d/x/log"
}
items() {	# G QUEUE: the items still in the input queue
	ls "$d/$1/spool/$2" | grep -v '^tmp$\|^work$\|\.sfid$'
}
deferred() { at "${2:-0}" "$OXT" -c "$d/$1/oxgate.ini" deferred 2>/dev/null | tail -n +2; }
nerp_field() {	# FILE: reason and text of an OFTP2 NERP (RFC 5024 5.3.14)
	dd if="$1" bs=1 skip=126 count=2 2>/dev/null; printf ' '
	_l=$(dd if="$1" bs=1 skip=128 count=3 2>/dev/null)
	dd if="$1" bs=1 skip=131 count="$(expr "$_l" + 0)" 2>/dev/null
}
nerp_for() {	# DSN: the NERP of gateway o answering that file
	for _f in "$d/o/spool/oftp/eerp.out"/*.nerp; do
		[ -f "$_f" ] && dd if="$_f" bs=1 skip=1 count=26 2>/dev/null | grep -q "^$1 " && { echo "$_f"; return; }
	done
}

# --- the inputs ---------------------------------------------------------------
# a refusal text with a CR: the UNB recipient of the central EDI function
printf "UNB+UNOA:3+S+NO\rBODY+261122:1030+R1'UNZ+0+R1'" > "$d/gen/cr"
oput CRNERP "$d/gen/cr" 000062 O0013CENTRAL
# failure injection 1: OFTP2 security to undo, the keys are missing
printf 'compressed, they say\r\n' > "$d/gen/keys"
oput KEYS "$d/gen/keys" 000042 O0013ACMEGMBH 'sec = 00\nciph = 00\ncomp = 1\nenv = 1\n'
# the hostile OFTP files (their own .sfid where they have one)
for f in "$H"/*.payload "$H"/*.sfid; do
	b=${f##*/}; b=${b%.*}
	case $f in
	*.payload) [ -f "$H/$b.sfid" ] && s=$H/$b.sfid || s= ;;
	*.sfid) [ -f "$H/$b.payload" ] && continue; printf 'hello\r\n' > "$d/gen/hello"; s=$f; f=$d/gen/hello ;;
	esac
	case $b in cms-*) oput "H-$b" "$f" 000042 O0013ACMEGMBH 'sec = 00\nciph = 00\ncomp = 1\nenv = 1\n' ;;
	*) if [ -n "$s" ]; then oput "H-$b" "$f" "$s"; else oput "H-$b" "$f"; fi ;; esac
done
# failure injection 2: a partnership that compresses, the keys are missing
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen "p1gen"
xput KEYS.p1 "$d/gen/gen_msg.p1"
for f in "$H"/p1-*.p1 "$H"/p2*.p1 "$H"/p35-*.p1; do [ -f "$f" ] && xput "H-${f##*/}" "$f"; done
nin=$(items o oftp/in | wc -l); nxin=$(items x x400/in | wc -l)
[ "$nin" -ge 20 ] && [ "$nxin" -ge 10 ] && pass inputs_queued || fail inputs_queued "$nin OFTP files, $nxin P1"

# --- T0: the first attempt ------------------------------------------------------
run 0
# the CR: refused with its NERP at once (before: "cannot build the NERP",
# exit 75 on every run); the CR is a space in NERPREAST
f=$(nerp_for L00001)
t=$( [ -n "$f" ] && nerp_field "$f")
case $t in "12 central EDI function: UNB recipient NO BODY is not in "*) pass cr_refusal_nerp ;;
	*) fail cr_refusal_nerp "NERP '$t'; $(grep CRNERP "$d/o/log" | tail -2 | tr '\n' '|')" ;; esac
[ -f "$d/o/spool/failed/CRNERP.why" ] && [ ! -e "$d/o/spool/oftp/in/CRNERP" ] && pass cr_refusal_failed ||
    fail cr_refusal_failed "$(ls "$d/o/spool/oftp/in" "$d/o/spool/failed" | tr '\n' ' ')"
# filter mode: the same file, exit 65 (refused) and the NERP written
printf "[sfid]\ndsn = FILTERCR\ndate = 20261122\ntime = 1300000001\ndest = ${V}000062\norig = O0013CENTRAL\nformat = U\n" > "$d/gen/cr.sfid"
at 0 "$O2X" -c "$d/o/oxgate.ini" --sfid "$d/gen/cr.sfid" --eerp "$d/gen/cr.nerp" < "$d/gen/cr" > "$d/gen/cr.p1" 2>>"$d/o/log"; rc=$?
t=$( [ -s "$d/gen/cr.nerp" ] && nerp_field "$d/gen/cr.nerp")
[ $rc -eq 65 ] && case $t in "12 central EDI function: UNB recipient NO BODY"*) true ;; *) false ;; esac &&
    pass cr_refusal_filter || fail cr_refusal_filter "exit $rc, NERP '$t'"
# the injections are deferred and counted: attempt 1, next try T0 + 60 s
# (the backoff of a watcher: 60 s doubled at each attempt)
nt=$(date -u -d "@$((T0 + 60))" +%Y-%m-%dT%H:%M:%SZ)
l=$(deferred o | grep '^oftp/in  *KEYS ')
case $l in *" 1 "*" $nt keys: "*) pass deferral_counted_oftp ;; *) fail deferral_counted_oftp "'$l'" ;; esac
l=$(deferred x | grep '^x400/in  *KEYS.p1 ')
case $l in *" 1 "*" $nt partnership [p]: keys: "*) pass deferral_counted_x400 ;; *) fail deferral_counted_x400 "'$l'" ;; esac
grep -q 'KEYS: deferred: .*(attempt 1, next try ' "$d/o/log" && pass deferral_logged || fail deferral_logged "$(grep KEYS "$d/o/log" | tail -1)"
[ -e "$d/o/spool/oftp/in/KEYS" ] && [ -e "$d/x/spool/x400/in/KEYS.p1" ] && pass injections_wait || fail injections_wait "gone before the lifetime"

# --- T0 + 1 h: still within the lifetime ----------------------------------------
run 3600
nt=$(date -u -d "@$((T0 + 3600 + 120))" +%Y-%m-%dT%H:%M:%SZ)
l=$(deferred o | grep '^oftp/in  *KEYS ')
case $l in *" 2 "*" $nt keys: "*) pass deferral_attempt_2_backoff ;; *) fail deferral_attempt_2_backoff "'$l'" ;; esac
[ -e "$d/o/spool/oftp/in/KEYS" ] && [ -z "$(nerp_for L00002)" ] && pass within_lifetime_waits || fail within_lifetime_waits "answered early"
# a watcher honours the backoff: at T0 + 1 h + 1 min the next try (T0 + 1 h
# + 2 min) has not come; the item is not tried (attempts stay 2)
OXGATE_NOW=$((T0 + 3660)) "$O2X" -c "$d/o/oxgate.ini" --watch 2>>"$d/o/wlog" & wp=$!
_i=0; while ! grep -q 'KEYS: deferred' "$d/o/wlog" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
kill -TERM $wp; wait $wp
grep -q 'KEYS: deferred: backoff: next try ' "$d/o/wlog" && deferred o | grep -q '^oftp/in  *KEYS  *2 ' &&
    pass watcher_backoff || fail watcher_backoff "$(tail -2 "$d/o/wlog" | tr '\n' '|')"

# --- T0 + 2 h 1 min: the lifetime is over, the last attempt ---------------------
run 7260
f=$(nerp_for L00002)
t=$( [ -n "$f" ] && nerp_field "$f")
case $t in "34 not converted within the queue lifetime of 2 hours: keys: "*) pass lifetime_nerp_34 ;;
	*) fail lifetime_nerp_34 "NERP '$t'; $(grep KEYS "$d/o/log" | tail -1)" ;; esac
grep -q 'queue lifetime' "$d/o/spool/failed/KEYS.why" 2>/dev/null && pass lifetime_failed_why || fail lifetime_failed_why "$(ls "$d/o/spool/failed" | grep KEYS)"
[ "$(at 7260 "$OXT" -c "$d/o/oxgate.ini" list --state failed 2>/dev/null | grep -c ' L00002 ')" = 1 ] &&
    pass lifetime_row_failed || fail lifetime_row_failed "$(at 7260 "$OXT" -c "$d/o/oxgate.ini" list 2>&1 | grep L00002)"
ndr=
for f in "$d/x/spool/x400/out"/*.p1; do
	[ -f "$f" ] && "$DUMP" "$f" 2>/dev/null | grep -q 'maximum-time-expired' && ndr=$f
done
[ -n "$ndr" ] && "$DUMP" "$ndr" | grep -q 'unable-to-transfer' && pass lifetime_ndr || fail lifetime_ndr "$(ls "$d/x/spool/x400/out"; tail -2 "$d/x/log")"
grep -q 'queue lifetime' "$d/x/spool/failed/KEYS.p1.why" 2>/dev/null && pass lifetime_x400_failed_why || fail lifetime_x400_failed_why "$(ls "$d/x/spool/failed" | grep KEYS)"

# every input ended: nothing in an input queue, work or tmp; no deferral
left=$(items o oftp/in; items x x400/in)
[ -z "$left" ] && pass every_input_ended || fail every_input_ended "$(echo $left)"
o=$(cd "$d" && find o/spool x/spool \( -path '*/tmp/*' -o -path '*/work/*' \) -type f | head -3)
[ -z "$o" ] && pass nothing_half_done || fail nothing_half_done "$o"
[ -z "$(deferred o; deferred x)" ] && pass no_deferral_left || fail no_deferral_left "$(deferred o; deferred x)"
# each one converted or failed with a .why (the hostile ones as hostile.sh
# says: their outcome is not repeated here)
bad=
for g in o x; do
	for w in "$d/$g/spool/failed"/*.why; do
		[ -f "$w" ] || continue
		b=${w%.why}; [ -e "$b" ] || bad="$bad ${w##*/}:no-input"
		[ -s "$w" ] || bad="$bad ${w##*/}:empty"
	done
done
[ -z "$bad" ] && pass failed_have_reasons || fail failed_have_reasons "$bad"
if grep -qE 'Sanitizer|runtime error' "$d/o/log" "$d/x/log" "$d/o/wlog"; then
	fail no_sanitizer "$(grep -m2 -hE 'Sanitizer|runtime error' "$d/o/log" "$d/x/log" "$d/o/wlog" | tr '\n' '|')"
else pass no_sanitizer; fi
