# An OS4X-style daemon (daemons.md: event scripts with positional
# arguments; the start-receive script runs inside the protocol, its exit
# status 0 makes the daemon answer SFPA, any other SFNA) around oxgate:
# the start-receive script of oxgate-integration(7) is oxspool check
# --os4x; the daemon calls it as OS4X does (partner, virtual file name,
# final path, temporary path, size in kB, partner index, SFID
# destination, SFID originator, description), answers SFPA or SFNA by
# its status, and for an accepted file receives it and hands it in; the
# file then becomes a P1, a refused one never comes.
# RFC 5024 5.3.5 (rfc5024.txt:2807-2826): the SFNA reasons.
. "$(dirname "$0")/lib.sh"
S=$OX_ABIN/oxspool
d=$OX_TMP/os4x
rm -rf "$d"; mkdir -p "$d/bin" "$d/os4x/tmp" "$d/os4x/in"
printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = 1M\n' > "$d/oxgate.ini"
printf '[rita]\nodette = O0013RITA\nuserid = 000042\nx400 = /C=DE/A=VIAT/P=OFTP/O=Rita/\n' > "$d/partners.ini"
V=O0177000000000X0LU000042
# the scripts as oxgate-integration(7) gives them (oxspool in PATH)
ln -s "$S" "$d/bin/oxspool"
printf '#!/bin/sh\nexec oxspool check --os4x -- "$@"\n' > "$d/start-receive"
cat > "$d/end-receive" <<'EOF'
#!/bin/sh
# $1 partner, $2 VFN, $3 final path, $4 SFIDDATE, $5 SFIDTIME, $6 dest, $7 orig
exec oxspool put -s dsn="$2" -s date="$4" -s time="$5" -s dest="$6" \
    -s orig="$7" -s format=U "$3"
EOF
chmod +x "$d/start-receive" "$d/end-receive"
export PATH="$d/bin:$PATH" OXGATE_CONF="$d/oxgate.ini"

# the daemon's start of a receipt: SFPA or SFNA by the script's status
k=0
start() {	# VFN KB DEST ORIG [DESC]: prints SFPA or "SFNA <status>"
	k=$((k + 1))
	"$d/start-receive" rita "$1" "$d/os4x/in/$1" "$d/os4x/tmp/$1.$k" "$2" 3 "$3" "$4" "${5:-}" \
	    > "$d/answer.$k" 2>>"$d/log"
	_rc=$?
	if [ $_rc -eq 0 ]; then echo SFPA; else echo "SFNA $_rc"; fi
}
answer() {	# NAME EXPECTED VFN KB DEST ORIG [DESC]
	_n=$1; _w=$2; shift 2
	_a=$(start "$@")
	[ "$_a" = "$_w" ] && pass "$_n" || fail "$_n" "$_a, expected $_w: $(cat "$d/answer.$k")"
}
answer sfpa_known SFPA INVOIC 12 $V O0013RITA "Rechnung"
answer sfpa_desc_dash SFPA INVOIC 12 $V O0013RITA "-- not an option"
answer sfpa_no_desc SFPA INVOIC 12 $V O0013RITA
answer sfna_02_destination "SFNA 2" INVOIC 12 O0177000000000X0LU000099 O0013RITA
answer sfna_03_origin "SFNA 3" INVOIC 12 $V O0013NOBODY
answer sfna_06_size "SFNA 6" INVOIC 1025 $V O0013RITA
answer sfpa_size_at_limit SFPA INVOIC 1024 $V O0013RITA
answer sfna_bad_vfn "SFNA 65" "in voic" 12 $V O0013RITA
answer sfna_bad_size "SFNA 65" INVOIC 12kB $V O0013RITA
# what the script printed: the SFNA reason, its RFC text and why
start INVOIC 12 O0177000000000X0LU000099 O0013RITA >/dev/null
grep -q '^SFNA 02 Invalid destination\. (NERP 12): no partnership has the virtual station ID O0177000000000X0LU000099' "$d/answer.$k" &&
    pass sfna_line || fail sfna_line "$(cat "$d/answer.$k")"
start "in voic" 12 $V O0013RITA >/dev/null
grep -q "^SFNA 99 .*malformed.*: dsn: character 'i'" "$d/answer.$k" && pass sfna_names_field ||
    fail sfna_names_field "$(cat "$d/answer.$k")"
start INVOIC 12kB $V O0013RITA >/dev/null
grep -q '^SFNA 99 .*argument 5 (size in kB): fsize:' "$d/answer.$k" && pass sfna_names_argument ||
    fail sfna_names_argument "$(cat "$d/answer.$k")"
check_fails too_few_arguments 64 "$d/start-receive" rita INVOIC "$d/x" "$d/y" 12 3 $V

# an accepted file received and handed in; oftp2x400 takes it, as check said
a=$(start ORDERS 1 $V O0013RITA)
if [ "$a" = SFPA ]; then
	printf 'order\r\n' > "$d/os4x/tmp/ORDERS.$k" && mv "$d/os4x/tmp/ORDERS.$k" "$d/os4x/in/ORDERS"
	"$d/end-receive" rita ORDERS "$d/os4x/in/ORDERS" 20261207 1200000001 $V O0013RITA > "$d/item" 2>>"$d/log" &&
	    pass end_receive_put || fail end_receive_put "$(tail -2 "$d/log")"
fi
"$OX_ABIN/oftp2x400" --spool 2>>"$d/log"
[ -f "$d/spool/x400/out/$(cat "$d/item").p1" ] && [ -z "$(ls "$d/spool/failed" | grep -v '^tmp$')" ] &&
    pass accepted_converted || fail accepted_converted "$(ls -R "$d/spool/x400/out" "$d/spool/failed" | tr '\n' ' ') $(tail -2 "$d/log")"
