# oxspool inbox: a daemon that leaves received files in a directory with
# no metadata (mendelson's move after receipt, a plain inbox): each file
# becomes a U file from the partner's station, a distinct identity even
# for files of the same second, handed in once across crashes.
. "$(dirname "$0")/lib.sh"
S=$OX_ABIN/oxspool
d=$OX_TMP/inbox
ib=$d/inbox/acme
mkdir -p "$ib"
printf '[spool]\nroot = spool\n' > "$d/oxgate.ini"
printf '[acme]\nodette = O0013ACMEGMBH\nuserid = 000042\nx400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\ninbox = inbox/acme\n' > "$d/partners.ini"
items() { ls "$d/spool/oftp/in" 2>/dev/null | grep -v '^tmp$\|^work$' | sort | tr '\n' ' '; }
run() { "$S" -c "$d/oxgate.ini" inbox 2>>"$d/log"; }
printf 'order one\n' > "$ib/order-1.edi"
printf 'order two\n' > "$ib/order-2.edi"
printf 'same name other case\n' > "$ib/ORDER-1.EDI"
touch -d '2026-12-07 10:11:12' "$ib/order-1.edi" "$ib/order-2.edi" "$ib/ORDER-1.EDI"
ln -s /etc/passwd "$ib/link"
check run1 run
[ "$(items | wc -w)" -eq 6 ] && pass three_handed_in || fail three_handed_in "$(items) $(tail -3 "$d/log" | tr '\n' '|')"
[ "$(ls -A "$ib")" = link ] && pass inbox_emptied_link_left || fail inbox_emptied_link_left "$(ls -A "$ib")"
# ORDER-1.EDI and order-1.edi both give dsn ORDER-1.EDI: distinct counters
ids=$(for f in "$d/spool/oftp/in/"*.sfid; do grep -E '^(dsn|time)' "$f" | tr -d '\n'; echo; done | sort -u | wc -l)
[ "$ids" -eq 3 ] && grep -q '^date *= *"*20261207' "$d/spool/oftp/in/"*.sfid && pass distinct_identities ||
    fail distinct_identities "$(cat "$d/spool/oftp/in/"*.sfid | grep -E '^(dsn|date|time)' | tr '\n' ' ')"
grep -q '^orig *= *"*O0013ACMEGMBH' "$d/spool/oftp/in/"*.sfid && grep -q '^dest *= *"*O0177000000000X0LU000042' "$d/spool/oftp/in/"*.sfid &&
    grep -q '^format *= *"*U' "$d/spool/oftp/in/"*.sfid && pass fields || fail fields "$(head -12 "$(ls "$d/spool/oftp/in/"*.sfid | head -1)")"
# a crash after the rename: a taken file whose identity is already in
# the queue is removed, not handed in twice; one that is not is handed in
t=$(sed -n 's/^time *= *"*\([0-9]*\)"*/\1/p' "$(ls "$d/spool/oftp/in/"*.sfid | head -1)")
n=$(sed -n 's/^dsn *= *"*\([^"]*\)"*/\1/p' "$(ls "$d/spool/oftp/in/"*.sfid | head -1)")
printf 'again\n' > "$ib/.oxgate.20261207.$t.$n"
printf 'lost run\n' > "$ib/.oxgate.20261207.1011129999.LATE.EDI"
check run2 run
[ "$(items | wc -w)" -eq 8 ] && [ "$(ls -A "$ib")" = link ] && pass crash_once_each || fail crash_once_each "$(items) / $(ls -A "$ib")"
"$OX_ABIN/oftp2x400" -c "$d/oxgate.ini" --spool 2>>"$d/log"
[ -z "$(items)" ] && [ "$(ls "$d/spool/x400/out" | grep -c '\.p1$')" -eq 4 ] && pass converted ||
    fail converted "$(items) $(ls "$d/spool/x400/out") $(tail -3 "$d/log" | tr '\n' '|')"
