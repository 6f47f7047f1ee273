# The same OFTP file again (issue 22): same DSN, date, time, originator
# and destination (the transaction's OFTP identity, oxgate-trace(5)),
# arriving after the first was converted and its P1 collected by the MTA.
# Dataset name, date and time "are used to uniquely identify a file"
# (rfc5024.txt:410-411): the same identity is the same file, sent again
# by a station that did not get our answer. No second P1 (no second
# X.400 message with the same MTS identifier); the station gets
# the EERP again when one was sent (EERP mode 1), byte for byte the same
# response under a name of its own; the trace history records the
# duplicate. A file still waiting for its report (EERP mode 2) gets no
# EERP yet; a refused file goes to failed/ again, its duplicate recorded.
# The redo of an input after a crash (its .sfid older than the
# transaction) is no duplicate: nothing is sent again.
. "$(dirname "$0")/lib.sh"
O2X=$OX_ABIN/oftp2x400
OXT=$OX_ABIN/oxtrace
d=$OX_TMP/duplicate
rm -rf "$d"
mkdir -p "$d/spool/oftp/in/tmp" "$d/taken"
V=O0177000000000X0LU
printf '[spool]\nroot = spool\n' > "$d/oxgate.ini"
cat > "$d/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
eerp = 1
[two]
odette = O0013TWO
userid = 000043
x400 = /S=EDI/O=TWO/P=TWO/A=DBP/C=DE/
eerp = 2
INI
T0=$(( $(date +%s) - 600 ))	# the first conversions, ten minutes ago
put() {	# NAME DSN USERID ORIG [MTIME]: an OFTP file, its .sfid written at MTIME
	q=$d/spool/oftp/in
	printf 'invoice %s\r\n' "$2" > "$q/tmp/$1" && mv "$q/tmp/$1" "$q/$1"
	printf "[sfid]\ndsn = %s\ndate = 20261122\ntime = 1100000001\ndest = %s%s\norig = %s\nformat = T\n" \
	    "$2" "$V" "$3" "$4" > "$q/tmp/$1.sfid"
	[ -z "${5:-}" ] || touch -d "@$5" "$q/tmp/$1.sfid"
	mv "$q/tmp/$1.sfid" "$q/$1.sfid"
}
run() { OXGATE_NOW=${1:-$(date +%s)} "$O2X" -c "$d/oxgate.ini" --spool 2>>"$d/log"; }
collect() {	# what the MTA and the OFTP daemon take
	for f in "$d"/spool/x400/out/*.p1 "$d"/spool/oftp/eerp.out/*.eerp; do
		[ -f "$f" ] && mv "$f" "$d/taken/"
	done
}
count() { ls "$d/spool/$1" | grep -c "\.$2\$"; }
hist() { "$OXT" -c "$d/oxgate.ini" status "$1" 2>/dev/null; }

put A1 DUP1 000042 O0013ACMEGMBH $((T0 - 5))
put B1 DUP2 000043 O0013TWO $((T0 - 5))
put C1 DUP3 000099 O0013TWO $((T0 - 5))	# no such partnership: NERP 12
check first_run run $T0
[ "$(count x400/out p1)" = 2 ] && [ "$(count oftp/eerp.out eerp)" = 1 ] && [ "$(count oftp/eerp.out nerp)" = 1 ] &&
    pass first_converted || fail first_converted "$(ls "$d/spool/x400/out" "$d/spool/oftp/eerp.out")"
eerp1=$(ls "$d/spool/oftp/eerp.out" | grep '\.eerp$')
rm -f "$d"/spool/oftp/eerp.out/*.nerp
cp "$d/spool/oftp/eerp.out/$eerp1" "$d/first.eerp"
collect

# the redo of an input after a crash: the same file put back with its
# old .sfid (older than the transaction): nothing again, no duplicate
put A1 DUP1 000042 O0013ACMEGMBH $((T0 - 5))
check redo_run run $((T0 + 60))
[ "$(count x400/out p1)" = 0 ] && [ "$(count oftp/eerp.out eerp)" = 0 ] && ! hist DUP1 | grep -q duplicate &&
    pass redo_not_duplicate || fail redo_not_duplicate "$(ls "$d/spool/x400/out" "$d/spool/oftp/eerp.out"); $(hist DUP1 | grep duplicate)"

# the same OFTP files again, later, under other names
put A2 DUP1 000042 O0013ACMEGMBH $((T0 + 300))
put B2 DUP2 000043 O0013TWO $((T0 + 300))
put C2 DUP3 000099 O0013TWO $((T0 + 300))
check duplicate_run run $((T0 + 310))
[ "$(count x400/out p1)" = 0 ] && pass no_second_p1 || fail no_second_p1 "$(ls "$d/spool/x400/out")"
e=$(ls "$d/spool/oftp/eerp.out" | grep '\.eerp$')
[ "$(echo "$e" | grep -c .)" = 1 ] && [ "$e" != "$eerp1" ] && cmp -s "$d/spool/oftp/eerp.out/$e" "$d/first.eerp" &&
    pass eerp_sent_again || fail eerp_sent_again "eerp.out: '$e', first '$eerp1'"
[ ! -e "$d/spool/oftp/in/A2" ] && [ ! -e "$d/spool/oftp/in/B2" ] && [ -z "$(ls "$d/spool/failed" | grep -v '^tmp$\|^C[12]')" ] &&
    pass duplicates_done || fail duplicates_done "$(ls "$d/spool/oftp/in" "$d/spool/failed")"
# a refused file again: refused again into failed/ ("refused before"), the
# history records it, no second NERP (its reason code is not kept)
grep -q 'refused before' "$d/spool/failed/C2.why" 2>/dev/null && [ "$(count oftp/eerp.out nerp)" = 0 ] &&
    hist DUP3 | grep -q 'duplicate: the OFTP file arrived again as C2' &&
    pass refused_duplicate || fail refused_duplicate "$(cat "$d/spool/failed/C2.why" 2>&1); $(hist DUP3 | grep duplicate)"
h=$(hist DUP1)
case $h in *"duplicate: the OFTP file arrived again as A2 (written $((T0 + 300))), not converted again; EERP sent again: $e"*) pass history_duplicate_eerp ;;
	*) fail history_duplicate_eerp "$h" ;; esac
h=$(hist DUP2)
case $h in *"duplicate: the OFTP file arrived again as B2"*) pass history_duplicate_waiting ;; *) fail history_duplicate_waiting "$h" ;; esac
case $h in *"EERP sent again"*) fail mode2_no_eerp_yet "$h" ;; *) pass mode2_no_eerp_yet ;; esac
[ "$("$OXT" -c "$d/oxgate.ini" list 2>/dev/null | grep -c .)" = 3 ] && pass one_row_each || fail one_row_each "$("$OXT" -c "$d/oxgate.ini" list 2>&1)"
# the mode-1 EERP's history line has its time (it had none: time 0)
case $(hist DUP1) in *"  - eerp-sent"*) fail eerp_sent_has_time "$(hist DUP1 | grep eerp-sent)" ;; *) pass eerp_sent_has_time ;; esac
