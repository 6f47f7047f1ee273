# One message, several stations (issue 22): an X.400 message to two
# recipients at two partnerships (transfer mode) becomes two OFTP files,
# each a transaction of its own (oxgate-trace(5), schema 8: rcpt, its
# own OFTP identity, state and deadline). Every EERP finds its
# recipient, and every recipient gets exactly one report: the
# originally specified recipient asked for it (X.411
# PerRecipientReportTransferFields, the DR names that recipient and its
# originally-specified-recipient-number), the EERP of its station gives
# the DR, the expiry of its file the NDR; a second EERP gives nothing.
# Hold and release take each file alone. The reports are checked with
# Wireshark's X.400 decoders. Runs on SQLite and on PostgreSQL (@pg).
. "$(dirname "$0")/lib.sh"
X=$OX_ABIN/x4002oftp
E2R=$OX_ABIN/eerp2report
CHK=$OX_SHARED/tools/x400check
G=$OX_TOOLS/rptgen
d=$OX_TMP/multi
rm -rf "$d"
mkdir -p "$d/spool/x400/in/tmp" "$d/spool/oftp/eerp.in/tmp"
JANE='/DD.RFC-822=x(a)acme.example/CN=Jane Doe/G=Jane/I=Q/S=Doe/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'
JOHN='/DD.RFC-822=x(a)acme.example/CN=John Smith/G=John/I=Q/S=Smith/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'
RICK='/DD.RFC-822=x(a)acme.example/CN=Rick Roe/G=Rick/I=Q/S=Roe/GQ=Jr/OU=EMEA/OU=Sales/O=Acme Ltd/PRMD=ACME/ADMD= /C=GB/'
printf '[spool]\nroot = spool\n' > "$d/oxgate.ini"
# msg.p1: Jane (number 1: originating-MTA-report and originator-report,
# so a DR and an NDR are owed) and Rick (number 2: originating-MTA-report,
# a DR owed; X.411 no-report from the originator: no NDR); each at a
# partnership of its own station
printf '[jane]\nodette = O0013JANE\nuserid = 000043\nx400 = %s\nlocal = %s\nmode = transfer\n' "$JOHN" "$JANE" > "$d/partners.ini"
printf '[rick]\nodette = O0013RICK\nuserid = 000044\nx400 = %s\nlocal = %s\nmode = transfer\n' "$JOHN" "$RICK" >> "$d/partners.ini"
db=$d/spool/trace.db
out=$d/spool/oftp/out
xo=$d/spool/x400/out
ei=$d/spool/oftp/eerp.in
# the same message under another MTS identifier (same length)
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"msg-0001", sys.argv[3].encode()))' \
    "$OX_SHARED/fixtures/x400/msg.p1" "$d/m2.p1" msg-0002
for m in 1 2; do
	[ $m = 1 ] && cp "$OX_SHARED/fixtures/x400/msg.p1" "$d/spool/x400/in/tmp/m1" || cp "$d/m2.p1" "$d/spool/x400/in/tmp/m2"
	mv "$d/spool/x400/in/tmp/m$m" "$d/spool/x400/in/m$m"
done
check convert "$X" -c "$d/oxgate.ini" --spool
q() { tsql "$db" "$1"; }	# SQLite, or PostgreSQL in the @pg run
# states MSG: the states of the message's transactions, by rcpt
states() { q "SELECT state FROM trace WHERE mts_id LIKE '%$1]' ORDER BY rcpt" | tr '\n' ' '; }
# two files per message, each a transaction with its own OFTP identity
[ "$(ls "$out" | grep -c '\.sfid$')" -eq 4 ] && pass four_files || fail four_files "$(ls "$out")"
[ "$(q "SELECT count(*) FROM trace WHERE dir = 'x4002oftp' AND state = 'converted' AND deadline IS NOT NULL")" -eq 4 ] &&
    pass four_transactions_waiting || fail four_transactions_waiting "$(q 'SELECT id, mts_id, rcpt, state FROM trace')"
[ "$(q "SELECT count(DISTINCT oftp_dsn || oftp_date || oftp_time || oftp_orig || oftp_dest || out_file) FROM trace")" -eq 4 ] &&
    pass own_oftp_identity || fail own_oftp_identity "$(q 'SELECT oftp_dest, oftp_time, out_file FROM trace')"
[ "$(q "SELECT partner || ':' || rcpt FROM trace WHERE mts_id LIKE '%msg-0002]' ORDER BY rcpt" | tr '\n' ' ')" = "jane:1 rick:2 " ] &&
    pass rows_per_recipient || fail rows_per_recipient "$(q 'SELECT mts_id, partner, rcpt FROM trace')"
o=$("$OX_ABIN/oxtrace" -c "$d/oxgate.ini" status '[GB* *ACME;msg-0001]' 2>&1)
case $o in *"transactions of the message:"*"rcpt=1 partner=jane state=converted"*"G=Jane"*"rcpt=2 partner=rick state=converted"*"G=Rick"*) pass status_lists_recipients ;;
*) fail status_lists_recipients "$o" ;; esac

# eerp NAME MSG STATION [e|n:R]: the station's answer to its file of
# MSG, naming the file as its .sfid (in oftp/out or overflow) does
sfv() { sed -n "s/^$2 *= *//p" "$1" | tr -d '"'; }
eerp() {
	_s=$(grep -l "^mts-id = \"\[GB\* \*ACME;$2\]\"" "$out"/*.sfid "$d/spool/overflow"/*.sfid 2>/dev/null |
	    while read -r _f; do [ "$(sfv "$_f" dest)" = "$3" ] && echo "$_f"; done | head -1)
	[ -n "$_s" ] || { echo "no file of $2 for $3"; return 1; }
	"$G" eerp "$ei/tmp/$1" "${4:-e}" "$(sfv "$_s" dsn)" "$(sfv "$_s" date)" "$(sfv "$_s" time)" \
	    "$(sfv "$_s" orig)" "$3" && mv "$ei/tmp/$1" "$ei/$1"
}
e2r() { "$E2R" -c "$d/oxgate.ini" --spool 2>>"$d/log"; }
# reports MSG: the decoded reports on MSG in x400/out, one per line
# "KIND NAME" (x400check accepts each, or the line is "BAD NAME")
reports() {
	for _f in "$xo"/*.p1; do
		[ -f "$_f" ] || continue
		_o=$("$CHK" p1 "$_f" 2>&1) || { echo "BAD $_f"; continue; }
		case $_o in *"$1"*) ;; *) continue ;; esac
		case $_o in *"non-delivery-reason-code"*) _k=NDR ;; *"message-delivery-time"*) _k=DR ;; *) _k=OTHER ;; esac
		case $_o in *"G=Jane"*) _k="$_k Jane" ;; esac
		case $_o in *"G=Rick"*) _k="$_k Rick" ;; esac
		echo "$_k"
	done | sort | tr '\n' ','
}

# 1. an EERP from each station: a DR for each recipient, none failed
eerp j1 msg-0001 O0013JANE
eerp r1 msg-0001 O0013RICK
check eerps_exit_0 e2r
failed() { ls "$d/spool/failed" 2>/dev/null | grep -v '^tmp$'; }
[ -z "$(failed)" ] && pass no_eerp_failed || fail no_eerp_failed "$(cat "$d/spool/failed"/*.why 2>/dev/null)"
[ "$(reports 'msg-0001')" = "DR Jane,DR Rick," ] && pass one_dr_per_recipient || fail one_dr_per_recipient "$(reports msg-0001)"
[ "$(states msg-0001)" = "eerp-received eerp-received " ] &&
    pass both_eerp_received || fail both_eerp_received "$(q 'SELECT rcpt, state, note FROM trace')"
# the DR on Rick's file names Rick as the message numbered him (2)
f=$xo/$(q "SELECT ack_file FROM trace WHERE mts_id LIKE '%msg-0001]' AND rcpt = 2")
o=$("$CHK" p1 "$f" 2>&1)
case $o in *"G=Rick"*"originally-specified-recipient-number: 2"*|*"originally-specified-recipient-number: 2"*"G=Rick"*) pass dr_names_its_recipient ;;
*) fail dr_names_its_recipient "$(printf '%s' "$o" | grep -i 'recipient' | head -5)" ;; esac

# 2. a second EERP from Rick's station: no second DR, not failed
n=$(ls "$xo" | wc -l)
eerp r1again msg-0001 O0013RICK
check duplicate_exit_0 e2r
[ "$(ls "$xo" | wc -l)" -eq "$n" ] && [ ! -e "$d/spool/failed/r1again" ] && pass duplicate_no_second_dr || fail duplicate_no_second_dr "$(ls "$xo") $(ls "$d/spool/failed" 2>/dev/null)"

# 3. msg-0002: Rick's station answers, Jane's file expires: one DR (Rick)
# and one NDR (Jane), each recipient once; Jane's file goes to overflow
eerp r2 msg-0002 O0013RICK
check eerp2_exit_0 e2r
check expire "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" expire --now +1d
[ "$(reports 'msg-0002')" = "DR Rick,NDR Jane," ] && pass dr_and_ndr || fail dr_and_ndr "$(reports msg-0002)"
[ "$(states msg-0002)" = "overflow eerp-received " ] &&
    pass expiry_covers_second_file || fail expiry_covers_second_file "$(q "SELECT rcpt, state, note FROM trace WHERE mts_id LIKE '%msg-0002]'")"
rf=$(q "SELECT out_file FROM trace WHERE mts_id LIKE '%msg-0002]' AND rcpt = 1")
[ -e "$d/spool/overflow/$rf" ] && [ ! -e "$out/$rf" ] && pass expired_file_in_overflow || fail expired_file_in_overflow "$(ls "$d/spool/overflow")"
# a late EERP for the expired file: no DR after the NDR
n=$(ls "$xo" | wc -l)
eerp j2late msg-0002 O0013JANE
e2r
[ "$(ls "$xo" | wc -l)" -eq "$n" ] && [ "$(reports 'msg-0002')" = "DR Rick,NDR Jane," ] && pass late_eerp_no_dr || fail late_eerp_no_dr "$(reports msg-0002)"
[ -z "$(failed)" ] && pass nothing_failed || fail nothing_failed "$(cat "$d/spool/failed"/*.why 2>/dev/null)"

# 4. a redo of the message: no file again, no transaction again
cp "$OX_SHARED/fixtures/x400/msg.p1" "$d/spool/x400/in/tmp/m1" && mv "$d/spool/x400/in/tmp/m1" "$d/spool/x400/in/m1"
n=$(ls "$out" | wc -l)
"$X" -c "$d/oxgate.ini" --spool 2>>"$d/log"
[ "$(ls "$out" | wc -l)" -eq "$n" ] && [ "$(q 'SELECT count(*) FROM trace')" -eq 4 ] && pass redo_nothing_new || fail redo_nothing_new "$(ls "$out")"

# 5. signed EERPs: each file's hash kept in its own transaction (RFC 5024
# 5.3.13 EERPHSH, rfc5024.txt:3339 "Hash of the transmitted Virtual
# File"). Rick's partnership sends the two body parts with their MIME
# header, Jane's without: two different files. Rick's station signs an
# EERP with the hash of its own file: accepted, a DR; Jane's station
# signs one with the hash of Rick's file: refused, no DR.
mkdir -p "$d/keys"
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=oxgate test station" -days 2 \
    -keyout "$d/keys/st.key" -out "$d/keys/st.crt" >/dev/null 2>&1 || fail keys "openssl req"
sed -i 's/^mode = transfer$/mode = transfer\nsigned-eerp = yes\ncertificate = keys\/st.crt/' "$d/partners.ini"
printf 'mime = header\n' >> "$d/partners.ini"		# [rick] is last
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"msg-0001", sys.argv[3].encode()))' \
    "$OX_SHARED/fixtures/x400/msg.p1" "$d/spool/x400/in/tmp/m3" msg-0003
mv "$d/spool/x400/in/tmp/m3" "$d/spool/x400/in/m3"
check convert_signed "$X" -c "$d/oxgate.ini" --spool
h() { q "SELECT hash FROM trace WHERE mts_id LIKE '%msg-0003]' AND rcpt = $1"; }
[ -n "$(h 1)" ] && [ -n "$(h 2)" ] && [ "$(h 1)" != "$(h 2)" ] && pass hash_per_file || fail hash_per_file "$(h 1) / $(h 2)"
file_of() { printf '%s/%s' "$out" "$(q "SELECT out_file FROM trace WHERE mts_id LIKE '%msg-0003]' AND rcpt = $1")"; }
alg=$(q "SELECT hash_alg FROM trace WHERE mts_id LIKE '%msg-0003]' AND rcpt = 2")
[ "$(openssl dgst -"$(echo "$alg" | tr 'A-Z' 'a-z')" -r "$(file_of 2)" | cut -d' ' -f1)" = "$(h 2)" ] &&
    pass hash_is_of_file_sent || fail hash_is_of_file_sent "$alg $(h 2)"
suite=$(sed -n 's/^ciph *= *//p' "$(file_of 2).sfid" | sed 's/^0*//')
sign() {	# NAME STATION FILE: a signed EERP for the station's file of msg-0003
	eerp "$1.plain" msg-0003 "$2" && mv "$ei/$1.plain" "$d/$1.plain" &&
	    "$OX_TOOLS/cmstool" sign-eerp -s "$suite" -k "$d/keys/st.key" -c "$d/keys/st.crt" -f "$3" "$d/$1.plain" "$ei/tmp/$1" &&
	    mv "$ei/tmp/$1" "$ei/$1"
}
check sign_rick sign sr O0013RICK "$(file_of 2)"
check sign_jane_wrong sign sj O0013JANE "$(file_of 2)"
e2r
[ "$(reports 'msg-0003')" = "DR Rick," ] && pass signed_own_hash_dr || fail signed_own_hash_dr "$(reports msg-0003) $(tail -3 "$d/log")"
grep -q "hash is not the hash of the file sent" "$d/spool/failed/sj.why" 2>/dev/null &&
    pass signed_other_hash_refused || fail signed_other_hash_refused "$(ls "$d/spool/failed")"
[ "$(q "SELECT state FROM trace WHERE mts_id LIKE '%msg-0003]' AND rcpt = 1")" = converted ] &&
    pass refused_eerp_no_state_change || fail refused_eerp_no_state_change "$(q "SELECT state FROM trace WHERE mts_id LIKE '%msg-0003]'")"

# 6. hold is per file: Rick's partnership on hold, Jane's not: Jane's
# file waits for its EERP, Rick's is held (its deadline running on, as
# timers made it: a file held too long expires from hold/) until the
# release finds its transaction by the file's OFTP identity
ox() { "$OX_ABIN/oxtrace" -c "$d/oxgate.ini" "$@" 2>>"$d/log"; }
check hold_rick ox partner hold rick
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"msg-0001", sys.argv[3].encode()))' \
    "$OX_SHARED/fixtures/x400/msg.p1" "$d/spool/x400/in/tmp/m4" msg-0004
mv "$d/spool/x400/in/tmp/m4" "$d/spool/x400/in/m4"
check convert_held "$X" -c "$d/oxgate.ini" --spool
[ "$(states msg-0004)" = "converted held " ] && pass held_per_file || fail held_per_file "$(states msg-0004)"
[ -n "$(q "SELECT deadline FROM trace WHERE mts_id LIKE '%msg-0004]' AND rcpt = 2")" ] && pass held_keeps_deadline || fail held_keeps_deadline "no deadline"
check release_rick ox partner release rick
[ "$(states msg-0004)" = "converted converted " ] && pass released_per_file || fail released_per_file "$(states msg-0004) $(tail -2 "$d/log")"
rf=$(q "SELECT out_file FROM trace WHERE mts_id LIKE '%msg-0004]' AND rcpt = 2")
[ -e "$out/$rf.sfid" ] && pass released_into_out || fail released_into_out "$(ls "$out")"

# 7. agent mode: the DR at conversion names both recipients (one each);
# each station's EERP gives the receipt notification its recipient asked
# for: Jane asked rn (IPM heading notification-requests), Rick nothing
sed -i 's/^mode = transfer$/mode = agent/' "$d/partners.ini"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"msg-0001", sys.argv[3].encode()))' \
    "$OX_SHARED/fixtures/x400/msg.p1" "$d/spool/x400/in/tmp/m5" msg-0005
mv "$d/spool/x400/in/tmp/m5" "$d/spool/x400/in/m5"
check convert_agent "$X" -c "$d/oxgate.ini" --spool
[ "$(reports 'msg-0005')" = "DR Jane Rick," ] && pass agent_one_dr_both || fail agent_one_dr_both "$(reports msg-0005)"
eerp aj msg-0005 O0013JANE && eerp ar msg-0005 O0013RICK
check agent_eerps e2r
[ "$(states msg-0005)" = "eerp-received eerp-received " ] && pass agent_both_answered || fail agent_both_answered "$(states msg-0005)"
rn=$xo/$(q "SELECT ack_file FROM trace WHERE mts_id LIKE '%msg-0005]' AND rcpt = 1")
o=$("$CHK" p1 "$rn" 2>&1)
case $o in *"ipm-0001"*"receipt-fields"*"OFTP EERP from O0013JANE"*) pass agent_rn_for_jane ;; *) fail agent_rn_for_jane "$(printf '%s' "$o" | head -5)" ;; esac
[ "$(q "SELECT note FROM trace WHERE mts_id LIKE '%msg-0005]' AND rcpt = 2")" = "EERP received; no receipt notification was asked for" ] &&
    pass agent_no_rn_for_rick || fail agent_no_rn_for_rick "$(q "SELECT note FROM trace WHERE mts_id LIKE '%msg-0005]'")"
