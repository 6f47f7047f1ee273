# An Oftp4Net-style daemon (daemons.md: hooks get OFTP_* variables and a
# JSON object; files to send come from an outbox) around oxgate, the whole
# round trip both ways:
#   in:  OnReceived -> oxspool put --env -> oftp2x400 -> P1; the EERP it
#        owes the station is pulled with oxspool take --kind eerp
#   out: x4002oftp -> oftp/out -> oxspool take (the outbox) -> done;
#        OnDelivered / OnNotDelivered -> oxspool put --eerp --env ->
#        eerp2report -> delivery report / non-delivery report
. "$(dirname "$0")/lib.sh"
S=$OX_ABIN/oxspool
CHK=$OX_SHARED/tools/x400check
d=$OX_TMP/oftp4net
mkdir -p "$d/gen" "$d/spool/x400/in/tmp"
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen p1gen
printf '[spool]\nroot = spool\n' > "$d/oxgate.ini"
printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\nmode = transfer\n' \
    /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/ /C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/ > "$d/partners.ini"
C="-c $d/oxgate.ini"
V=O0177000000000X0LU000042

# in: the OnReceived hook
printf 'hello\r\n' > "$d/rcv"
env OFTP_VIRTUAL_FILE_NAME=INVOIC OFTP_FILE_DATE=20261207 OFTP_FILE_TIME=1200000001 \
    OFTP_ORIGINATOR=O0013RITA OFTP_DESTINATION=$V OFTP_FILE_FORMAT=T OFTP_FILE_PATH="$d/rcv" \
    OFTP_STATUS=Received "$S" $C put --env >/dev/null 2>>"$d/log" && pass on_received || fail on_received "$(tail -2 "$d/log")"
"$OX_ABIN/oftp2x400" $C --spool 2>>"$d/log"
p1=$(ls "$d/spool/x400/out" | grep '\.p1$' | head -1)
[ -n "$p1" ] && check in_p1_decodes "$CHK" -q p1 "$d/spool/x400/out/$p1" || fail in_p1_decodes "no P1: $(tail -2 "$d/log")"
eval "$("$S" $C take --kind eerp 2>>"$d/log")"
[ "$OFTP_KIND" = eerp ] && [ "$OFTP_VIRTUAL_FILE_NAME" = INVOIC ] && [ "$OFTP_DESTINATION" = O0013RITA ] && pass eerp_pulled ||
    fail eerp_pulled "'$OFTP_KIND' '$OFTP_DESTINATION'"
check eerp_sent "$S" $C done "$OFTP_TOKEN"

# out: a message for Rita, taken from the outbox, delivered
rm -f "$d/spool/x400/out/"*.p1
cp "$d/gen/gen_msg.p1" "$d/spool/x400/in/tmp/m.p1" && mv "$d/spool/x400/in/tmp/m.p1" "$d/spool/x400/in/m.p1"
"$OX_ABIN/x4002oftp" $C --spool 2>>"$d/log"
unset OFTP_TOKEN
eval "$("$S" $C take --kind file 2>>"$d/log")"
[ "$OFTP_KIND" = file ] && [ -f "$OFTP_FILE_PATH" ] && [ "$OFTP_DESTINATION" = O0013RITA ] && pass outbox_take ||
    fail outbox_take "'$OFTP_KIND' $(tail -2 "$d/log")"
check outbox_done "$S" $C done "$OFTP_TOKEN"
# OnDelivered: the file's own fields and reason 0
env OFTP_VIRTUAL_FILE_NAME="$OFTP_VIRTUAL_FILE_NAME" OFTP_FILE_DATE="$OFTP_FILE_DATE" \
    OFTP_FILE_TIME="$OFTP_FILE_TIME" OFTP_ORIGINATOR="$OFTP_ORIGINATOR" \
    OFTP_DESTINATION="$OFTP_DESTINATION" OFTP_REASON_CODE=0 "$S" $C put --eerp --env >/dev/null 2>>"$d/log" &&
    pass on_delivered || fail on_delivered "$(tail -2 "$d/log")"
"$OX_ABIN/eerp2report" $C --spool 2>>"$d/log"; rc=$?
# (x4002oftp's NDR for gen_msg's other recipient is there too)
dr=; for f in "$d/spool/x400/out/"*.p1; do "$CHK" p1 "$f" 2>&1 | grep -q 'report-type: delivery (0)' && dr=$f; done
[ $rc -eq 0 ] && [ -n "$dr" ] && "$CHK" p1 "$dr" 2>&1 | grep -q 'subject-identifier (.*gen-msg-1)' &&
    pass delivered_dr || fail delivered_dr "exit $rc $(ls "$d/spool/x400/out") $(tail -3 "$d/log" | tr '\n' '|')"
# OnNotDelivered for a file nobody sent: a NERP with its reason, parsed
env OFTP_VIRTUAL_FILE_NAME=NOFILE OFTP_FILE_DATE=20261207 OFTP_FILE_TIME=1300000001 \
    OFTP_ORIGINATOR=$V OFTP_DESTINATION=O0013RITA OFTP_REASON_CODE=3 OFTP_REASON_TEXT='unknown file' \
    "$S" $C put --eerp --env > "$d/nerpname" 2>>"$d/log"
n=$(cat "$d/nerpname")
case $n in *.nerp) "$OX_ABIN/oxdump" "$d/spool/oftp/eerp.in/$n" 2>&1 | grep -q 'unknown file' && pass on_not_delivered ||
    fail on_not_delivered "$("$OX_ABIN/oxdump" "$d/spool/oftp/eerp.in/$n" 2>&1 | head -5)" ;;
*) fail on_not_delivered "'$n' $(tail -2 "$d/log")" ;; esac
check_fails on_not_delivered_bad_reason 65 env OFTP_VIRTUAL_FILE_NAME=A OFTP_FILE_DATE=20261207 \
    OFTP_FILE_TIME=1300000001 OFTP_ORIGINATOR=$V OFTP_DESTINATION=O0013RITA OFTP_REASON_CODE=77 "$S" $C put --eerp --env
