# oxspool demodette: oxgate behind a DEModette OFTP daemon, acting as the
# daemon does (daemons.md; DEModette's DirectoryFileService): a received
# file ID#VFN#STAMP.recv with its XML sidecar in the partner's in/
# directory goes to oftp2x400, and oxgate's EERP or NERP comes back as
# <commit reasonCode reasonText> in the sidecar with the file renamed
# .se2e, which makes DEModette send it. V records get their length
# prefixes; hostile sidecars are refused without stopping the run.
. "$(dirname "$0")/lib.sh"
S=$OX_ABIN/oxspool
X=$OX_ABIN/oftp2x400
d=$OX_TMP/demodette
dm=$d/demodette/acme/in
mkdir -p "$dm"
cat > "$d/oxgate.ini" <<INI
[spool]
root = spool
INI
cat > "$d/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
demodette-in = demodette/acme/in
INI
run() { "$S" -c "$d/oxgate.ini" demodette 2>>"$d/log"; }
o2x() { "$X" -c "$d/oxgate.ini" --spool 2>>"$d/log"; }
items() { ls "$d/spool/oftp/in" | grep -v '^tmp$\|^work$' | sort | tr '\n' ' '; }
sidecar() {	# NAME FORMAT LRECL [RECORDS]
	printf '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<oftp>\n  <description format="%s" maximumRecordSize="%s" fileSize="1" fileSizeUnpacked="1">Lieferschein</description>%s\n</oftp>\n' \
	    "$2" "$3" "${4:-}" > "$dm/$1.xml"
}

# 1. a U file: handed in once, converted, its EERP back as DEModette wants
f=O0013ACMEGMBH#INVOIC#202612071011150001
printf 'UNA:+.? '"'"'UNB+UNOA:3+SENDER+RCPT+261207:1011+1'"'"'\n' > "$dm/$f.recv"
sidecar "$f" Unstructured 0
check first_run run
[ "$(items | wc -w)" -eq 2 ] && pass handed_in || fail handed_in "$(items) $(tail -3 "$d/log" | tr '\n' '|')"
grep -q '^desc *= *"Lieferschein"' "$d/spool/oftp/in/"*.sfid && grep -q '^orig *= *"*O0013ACMEGMBH' "$d/spool/oftp/in/"*.sfid &&
    grep -q '^dest *= *"*O0177000000000X0LU000042' "$d/spool/oftp/in/"*.sfid && pass sfid_from_name_and_sidecar ||
    fail sfid_from_name_and_sidecar "$(cat "$d/spool/oftp/in/"*.sfid | tr '\n' '|')"
check second_run run
[ "$(items | wc -w)" -eq 2 ] && pass not_twice || fail not_twice "$(items)"
o2x
[ -z "$(items)" ] && [ -n "$(ls "$d/spool/oftp/eerp.out" | grep -v '^tmp$')" ] && pass converted_eerp_made ||
    fail converted_eerp_made "$(items) / $(ls "$d/spool/oftp/eerp.out")"
check third_run run
[ -z "$(items)" ] && pass converted_not_again || fail converted_not_again "$(items)"
[ -f "$dm/$f.se2e" ] && [ ! -f "$dm/$f.recv" ] && pass renamed_se2e || fail renamed_se2e "$(ls "$dm")"
grep -q '<commit reasonCode="0"' "$dm/$f.xml" && grep -q 'Lieferschein' "$dm/$f.xml" && pass commit_eerp ||
    fail commit_eerp "$(cat "$dm/$f.xml" | tr '\n' '|')"
[ -z "$(ls "$d/spool/oftp/eerp.out" | grep -v '^tmp$')" ] && pass eerp_taken || fail eerp_taken "$(ls "$d/spool/oftp/eerp.out")"

# 2. a file oftp2x400 refuses (format F with a record of the wrong
# length): NERP with its reason into <commit>
g=O0013ACMEGMBH#ORDERS#202612071011160001
printf 'abc' > "$dm/$g.recv"
sidecar "$g" Fixed 80
run; o2x; run
grep -q '<commit reasonCode="[1-9][0-9]*" reasonText="[^"]' "$dm/$g.xml" && [ -f "$dm/$g.se2e" ] && pass commit_nerp ||
    fail commit_nerp "$(ls "$dm") $(cat "$dm/$g.xml" | tr '\n' '|')"

# 3. V records: DEModette keeps them without prefixes, listed in the sidecar
h=O0013ACMEGMBH#DELFOR#202612071011170001
printf 'AAABBBBB' > "$dm/$h.recv"
sidecar "$h" Variable 10 '<records><r o="0" l="3"/><r o="3" l="5"/></records>'
run
p=$(for s in "$d/spool/oftp/in/"*.sfid; do grep -q DELFOR "$s" && echo "${s%.sfid}"; done)
[ -n "$p" ] && [ "$(od -An -tx1 "$p" | tr -d ' \n')" = "000341414100054242424242" ] && pass v_prefixed ||
    fail v_prefixed "$(od -An -tx1 "$p" 2>&1)"

# 4. hostile or broken sidecars, records that are not the file's: the
# file is refused at once with NERP 34 and the reason in <commit> (the
# state DEModette expects for a refused file: .se2e, it sends the NERP),
# logged once; nothing goes into the spool; the run goes on
refused() {	# NAME BASE REASON-PATTERN: refused with NERP 34 for that reason
	if [ -f "$dm/$2.se2e" ] && [ ! -e "$dm/$2.recv" ] &&
	    grep -q "<commit reasonCode=\"34\" reasonText=\"$3" "$dm/$2.xml" &&
	    ! grep -qs "$2" "$d/spool/oftp/in/"*.sfid; then pass "$1"
	else fail "$1" "$(ls "$dm" | grep "${2#*#}" | tr '\n' ' ') $(head -c 300 "$dm/$2.xml" | tr '\n' '|') $(tail -2 "$d/log" | tr '\n' '|')"; fi
}
b=O0013ACMEGMBH#BAD#202612071011180001
printf 'x' > "$dm/$b.recv"
printf '<!DOCTYPE oftp [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><oftp><description>&b;</description></oftp>' > "$dm/$b.xml"
b2=O0013ACMEGMBH#HUGE#202612071011180002
printf 'x' > "$dm/$b2.recv"; truncate -s 65M "$dm/$b2.xml"
b3=O0013ACMEGMBH#EBCDIC#202612071011180003
printf 'x' > "$dm/$b3.recv"
printf '<?xml version="1.0" encoding="EBCDIC-CP-US"?><oftp/>' > "$dm/$b3.xml"
b4=O0013ACMEGMBH#OUTSIDE#202612071011180004
printf 'AAA' > "$dm/$b4.recv"
sidecar "$b4" Variable 10 '<records><r o="0" l="3"/><r o="3" l="5"/></records>'
b5=O0013ACMEGMBH#LINKED#202612071011180005
printf 'x' > "$dm/$b5.recv"; ln -s "$d/oxgate.ini" "$dm/$b5.xml"
b7=O0013ACMEGMBH#LINKRECV#202612071011180007
mkdir -p "$OX_TMP/demodette.outside"; echo secret > "$OX_TMP/demodette.outside/secret"
ln -s "$OX_TMP/demodette.outside/secret" "$dm/$b7.recv"; sidecar "$b7" Unstructured 0
b6=O0013ACMEGMBH#NOLRECL#202612071011180006
printf 'abc' > "$dm/$b6.recv"
sidecar "$b6" Fixed 0
: > "$d/log"
check hostile_run run
refused hostile_refused "$b" 'sidecar: .*refused'
refused huge_refused "$b2" 'sidecar: not a regular file of at most 67108864 octets'
refused encoding_refused "$b3" 'sidecar: '
refused records_outside_refused "$b4" 'record 2 outside the file'
refused link_refused "$b5" 'sidecar: Too many levels of symbolic links'
refused field_refused "$b6" 'lrecl'
# a .recv that is a symbolic link is not followed (a file outside would
# go to X.400): refused, the link left to the daemon as .se2e
[ -L "$dm/$b7.se2e" ] && grep -q '<commit reasonCode="34" reasonText="Too many levels of symbolic links' "$dm/$b7.xml" &&
    ! grep -qs secret "$d/spool/oftp/in/"* && pass recv_link_refused || fail recv_link_refused "$(ls -l "$dm" | grep LINKRECV)"
[ "$(grep -c 'refused (NERP 34)' "$d/log")" -eq 7 ] && pass refused_logged || fail refused_logged "$(cat "$d/log" | tr '\n' '|')"
[ "$(readlink "$dm/$b5.xml")" = "" ] && grep -q '^\[spool\]' "$d/oxgate.ini" && pass link_not_followed ||
    fail link_not_followed "$(ls -l "$dm/$b5.xml")"
: > "$d/log"
run
! grep -q 'refused\|sidecar' "$d/log" && pass refused_once || fail refused_once "$(cat "$d/log" | tr '\n' '|')"
printf 'not a DEModette name' > "$dm/README.recv"
check odd_names_ignored run
check_fails usage 64 "$S" -c "$d/oxgate.ini" demodette extra

# 5. outbound: a message from X.400 becomes a file in DEModette's out/
# (ORIG#VFN#STAMP.sent after its sidecar); DEModette sends it (.we2e),
# the station's EERP comes (.re2e with <commit reasonCode="0">); the run
# hands the EERP to eerp2report, which makes the delivery report.
o=$d/out
mkdir -p "$o/gen" "$o/demodette/rita/out" "$o/spool/x400/in/tmp"
"$OX_TOOLS/p1gen" "$o/gen" >/dev/null || fail p1gen "p1gen"
printf '[spool]\nroot = spool\n' > "$o/oxgate.ini"
printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\nmode = transfer\nformat = V\nlrecl = 3\ndemodette-out = demodette/rita/out\n' \
    /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/ /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/ > "$o/partners.ini"
cp "$o/gen/gen_msg.p1" "$o/spool/x400/in/tmp/m.p1" && mv "$o/spool/x400/in/tmp/m.p1" "$o/spool/x400/in/m.p1"
"$OX_ABIN/x4002oftp" -c "$o/oxgate.ini" --spool 2>>"$d/log"
ob=$o/demodette/rita/out
[ -n "$(ls "$o/spool/oftp/out" | grep -v '^tmp$\|^work$')" ] && pass out_made || fail out_made "$(tail -3 "$d/log" | tr '\n' '|')"
check out_run "$S" -c "$o/oxgate.ini" demodette
sent=$(ls "$ob" | grep '\.sent$')
case $sent in O0177000000000X0LU000042#*#[0-9]*.sent) pass sent_named ;; *) fail sent_named "'$sent' in $(ls "$ob")" ;; esac
[ -z "$(ls "$o/spool/oftp/out" | grep -v '^tmp$\|^work$')" ] && pass out_taken || fail out_taken "$(ls "$o/spool/oftp/out")"
base=${sent%.sent}
grep -q 'format="Variable" maximumRecordSize="3"' "$ob/$base.xml" && grep -q '<records>' "$ob/$base.xml" &&
    grep -q '<oxgate dest="O0013RITA"' "$ob/$base.xml" && pass sent_sidecar || fail sent_sidecar "$(cat "$ob/$base.xml" | tr '\n' '|')"
# the records without prefixes, listed in the sidecar: the line "hello"
# in records of at most 3 octets, "hel" and "lo"
[ "$(cat "$ob/$sent")" = hello ] && grep -q '<r o="0" l="3" />' "$ob/$base.xml" && grep -q '<r o="3" l="2" />' "$ob/$base.xml" &&
    pass sent_records_bare || fail sent_records_bare "$(od -An -c "$ob/$sent") $(grep '<r ' "$ob/$base.xml" | tr '\n' ' ')"
# DEModette: sent -> we2e -> re2e with the station's EERP
mv "$ob/$sent" "$ob/$base.we2e"
sed 's|</oftp>|  <commit reasonCode="0" reasonText="" userData="" />\n</oftp>|' "$ob/$base.xml" > "$ob/x" && mv "$ob/x" "$ob/$base.xml"
mv "$ob/$base.we2e" "$ob/$base.re2e"
check e2e_run "$S" -c "$o/oxgate.ini" demodette
[ -f "$ob/$base.done" ] && pass re2e_done || fail re2e_done "$(ls "$ob")"
# a .re2e whose sidecar says no answer (broken XML): neither EERP nor
# NERP can be made; moved aside as .bad with the reason in .why, once
bb=O0177000000000X0LU000042#BROKEN#202612071011200001
printf 'x' > "$ob/$bb.re2e"; printf '<oftp><commit reasonCode="0"' > "$ob/$bb.xml"
: > "$d/log"
check aside_run "$S" -c "$o/oxgate.ini" demodette 2>>"$d/log"
[ -f "$ob/$bb.bad" ] && [ ! -e "$ob/$bb.re2e" ] && grep -q '^sidecar: ' "$ob/$bb.why" && pass re2e_moved_aside ||
    fail re2e_moved_aside "$(ls "$ob" | tr '\n' ' ') $(cat "$ob/$bb.why" 2>&1)"
"$S" -c "$o/oxgate.ini" demodette 2>"$d/log2"
! grep -q BROKEN "$d/log2" && pass re2e_aside_once || fail re2e_aside_once "$(cat "$d/log2")"
e=$(ls "$o/spool/oftp/eerp.in" | grep '\.eerp$')
[ -n "$e" ] && pass eerp_handed_in || fail eerp_handed_in "$(ls "$o/spool/oftp/eerp.in") $(tail -2 "$d/log" | tr '\n' '|')"
"$OX_ABIN/eerp2report" -c "$o/oxgate.ini" --spool 2>>"$d/log"; rc=$?
[ $rc -eq 0 ] && [ -n "$(ls "$o/spool/x400/out" | grep '\.p1$')" ] && pass round_trip_dr ||
    fail round_trip_dr "exit $rc: $(ls "$o/spool/x400/out") $(tail -3 "$d/log" | tr '\n' '|')"
check round_trip_dr_decodes "$OX_SHARED/tools/x400check" -q p1 "$o/spool/x400/out/$(ls "$o/spool/x400/out" | grep '\.p1$' | head -1)"

# 6. --watch: a file DEModette renames to .recv is handed in without a
# cron run; SIGTERM ends the watcher with 0
"$S" -c "$d/oxgate.ini" --watch demodette 2>>"$d/log" & w=$!
wf=O0013ACMEGMBH#WATCHED#202612071011190001
sidecar "$wf" Unstructured 0
printf 'watched\n' > "$dm/$wf.new"; mv "$dm/$wf.new" "$dm/$wf.recv"
i=0; while [ $i -lt 300 ] && ! grep -qs WATCHED "$d/spool/oftp/in/"*.sfid; do sleep 0.1; i=$((i + 1)); done
grep -qs WATCHED "$d/spool/oftp/in/"*.sfid && pass watch_handed_in || fail watch_handed_in "$(tail -3 "$d/log" | tr '\n' '|')"
# it runs in the converters' sandbox: no new privileges (and Landlock
# where the kernel has it, gw_sandbox)
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$w/status" && pass watch_sandboxed || fail watch_sandboxed "$(grep NoNewPrivs "/proc/$w/status")"
kill -TERM $w; wait $w; rc=$?
[ $rc -eq 0 ] && pass watch_term_0 || fail watch_term_0 "exit $rc"
check_fails watch_not_for_put 64 "$S" -c "$d/oxgate.ini" --watch put /dev/null

# 7. --watch takes an output the moment it appears: a file committed into
# oftp/out (payload, then .sfid) for a demodette-out partner is in
# DEModette's out/ within 5 s (inotify; the timer alone would take 60 s)
"$S" -c "$o/oxgate.ini" --watch demodette 2>>"$d/log" & w=$!
sleep 1		# the watches are set before the file comes
q=$o/spool/oftp/out
printf 'hello\n' > "$q/tmp/W1" && mv "$q/tmp/W1" "$q/W1"
printf '[sfid]\ndsn = WATCHOUT\ndate = 20261207\ntime = 1300000001\ndest = O0013RITA\norig = O0177000000000X0LU000042\nformat = U\n' > "$q/tmp/W1.sfid"
t0=$(date +%s%N); mv "$q/tmp/W1.sfid" "$q/W1.sfid"
# (the file is in out/ before its queue entry goes: wait for both)
i=0; while [ $i -lt 100 ] && ! { ls "$ob" | grep -q '#WATCHOUT#.*\.sent$' && [ ! -e "$q/W1.sfid" ]; }; do
	sleep 0.05; i=$((i + 1))
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
ls "$ob" | grep -q '#WATCHOUT#.*\.sent$' && [ ! -e "$q/W1.sfid" ] && lim [ $ms -lt 5000 ] && pass watch_out_at_once ||
    fail watch_out_at_once "after $ms ms: $(ls "$ob" | tr '\n' ' ') $(tail -2 "$d/log" | tr '\n' '|')"
kill -TERM $w; wait $w
