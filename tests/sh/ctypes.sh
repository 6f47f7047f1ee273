# The content-type tables end to end (oxgate-content-types(5)): with the
# built-in tables an unknown MIME type is an FTBP without application
# reference; a line added to mapping/mime-to-x400 (no rebuild) makes it
# an FTBP with that OID, or tunnels the whole MIME entity in BP14, as
# Wireshark's decoder and ours (oxdump) show; the P22 carried back
# through x4002oftp gets its MIME type from a line of x400-to-mime; the
# 1984 (P2) lines never give extended body parts; a bad table line stops
# both programs with exit 78 naming file and line, and the input stays.
. "$(dirname "$0")/lib.sh"
O2X=$OX_ABIN/oftp2x400
X2O=$OX_ABIN/x4002oftp
CHK=$OX_SHARED/tools/x400check
d=$OX_TMP/ctypes
mkdir -p "$d/o/spool/oftp/in/tmp"

# --- MIME -> X.400 ---------------------------------------------------------
printf '[spool]\nroot = spool\n' > "$d/o/oxgate.ini"
cat > "$d/o/partners.ini" <<INI
[mime]
odette = O0013MIME
userid = 000060
x400 = /O=Mime/P=MIME/A=DBP/C=DE/
mime = header
[old]
odette = O0013OLD
userid = 000061
x400 = /O=Old/P=OLD/A=DBP/C=DE/
mime = header
content = p2
INI
in=$d/o/spool/oftp/in
n=0
put() {	# NAME USERID ORIG: the MIME payload from stdin, .sfid last
	n=$((n + 1))
	cat > "$in/tmp/$1"; mv "$in/tmp/$1" "$in/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261122\ntime = 10000000%02d\ndest = O0177000000000X0LU%s\norig = %s\nformat = U\nlrecl = 0\n' \
	    "$1" $n "$2" "$3" > "$in/tmp/$1.sfid"
	mv "$in/tmp/$1.sfid" "$in/$1.sfid"
}
payload() {	# three parts: text, application/x-foo foo.dat, application/x-tun
	printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n'
	printf -- '--b0\r\nContent-Type: text/plain\r\n\r\nhello\r\n'
	printf -- '--b0\r\nContent-Type: application/x-foo\r\nContent-Disposition: attachment; filename="foo.dat"\r\n'
	printf 'Content-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n'
	printf -- '--b0\r\nContent-Type: application/x-tun\r\n\r\ntunnelled\r\n--b0--\r\n'
}
run() { "$O2X" -c "$d/o/oxgate.ini" --spool 2>>"$d/o/log"; }
out_of() { "$OX_ABIN/oxtrace" -c "$d/o/oxgate.ini" status "$1" 2>/dev/null | sed -n 's/^files: in=.* out=\([^ ]*\) .*/\1/p'; }
p1of() { echo "$d/o/spool/x400/out/$(out_of "$1")"; }
ws() { "$CHK" p1 "$(p1of "$1")" 2>&1; }
dump() { "$OX_ABIN/oxdump" "$(p1of "$1")" 2>&1; }
bpdata() { "$OX_TOOLS/p35info" -b "$2" "$(p1of "$1")" 2>/dev/null; }
has() {	# NAME TEXT PATTERN...
	_t=$1; _o=$2; shift 2
	for _p in "$@"; do case $_o in *"$_p"*) ;; *) fail "$_t" "no '$_p'"; return ;; esac; done
	pass "$_t"
}
hasnt() { case $2 in *"$3"*) fail "$1" "'$3' found" ;; *) pass "$1" ;; esac; }

# 1. no mapping directory: the built-in tables (the seed's rules)
payload | put BUILTIN 000060 O0013MIME
check_fails builtin_run 0 run
check builtin_x400check "$CHK" -q p1 "$(p1of BUILTIN)"
o=$(ws BUILTIN)
has builtin_parts "$o" "id-et-general-text" "id-et-file-transfer" "Pathname item: foo.dat" "basic: bilaterally-defined (14)"
hasnt builtin_no_appref "$o" "1.2.3.4"
[ "$(bpdata BUILTIN 3)" = tunnelled ] && pass builtin_x_tun_is_bp14_data || fail builtin_x_tun_is_bp14_data "$(bpdata BUILTIN 3 | od -c | head -2)"

# 2. two lines added to the shipped table, no rebuild
mkdir -p "$d/o/mapping"
{ cat "$OX_TOP/etc/mapping/mime-to-x400"
  printf 'application/x-foo\t1988\tftbp 1.2.3.4\n'
  printf 'application/x-tun 1988 tunnel\n'; } > "$d/o/mapping/mime-to-x400"
payload | put ADDED 000060 O0013MIME
check_fails added_run 0 run
check added_x400check "$CHK" -q p1 "$(p1of ADDED)"
o=$(ws ADDED)
has added_ftbp_appref "$o" "id-et-file-transfer" "application-reference: registered-identifier (0)" \
    "registered-identifier: 1.2.3.4" "Pathname item: foo.dat" "id-et-general-text" "interpersonal-messaging-1988 (22)"
o=$(dump ADDED)
has added_oxdump_appref "$o" "type: file-transfer" "application-reference: 1.2.3.4" "type: bilaterally-defined"
[ "$(bpdata ADDED 2 | od -An -tx1 | tr -d ' \n')" = 000102030405 ] && pass added_ftbp_data || fail added_ftbp_data "$(bpdata ADDED 2 | od -c | head -2)"
printf 'Content-Type: application/x-tun\r\n\r\ntunnelled' > "$d/tun.exp"
bpdata ADDED 3 > "$d/tun.got"
cmp -s "$d/tun.exp" "$d/tun.got" && pass added_tunnel_entity || fail added_tunnel_entity "$(od -c "$d/tun.got" | head -3)"

# 3. 1984 (P2): the shipped lines give IA5 and BP14 only, never FTBP / BP15
payload | put OLD84 000061 O0013OLD
check_fails p2_run 0 run
check p2_x400check "$CHK" -q p1 "$(p1of OLD84)"
o=$(ws OLD84)
has p2_parts "$o" "interpersonal-messaging-1984 (2)" "basic: ia5-text (0)" "basic: bilaterally-defined (14)"
hasnt p2_no_ftbp "$o" "file-transfer"
# a 1984 line of its own: image/* tunnelled
printf 'image/*\t1984\ttunnel\n' >> "$d/o/mapping/mime-to-x400"
printf 'MIME-Version: 1.0\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n' | put GIF84 000061 O0013OLD
check_fails p2_tunnel_run 0 run
case $(bpdata GIF84 1 | tr -d '\r') in "Content-Type: image/gif"*"Content-Transfer-Encoding: base64"*R0lGODlh*) pass p2_tunnel_entity ;;
    *) fail p2_tunnel_entity "$(bpdata GIF84 1 | od -c | head -3)" ;; esac

# 4. the watcher reads the tables again on SIGHUP; bad ones are logged
# and the old ones kept
waitfor() {	# NAME: until its output exists (10 s at most)
	_i=0
	while [ -z "$(out_of "$1")" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}
"$O2X" -c "$d/o/oxgate.ini" --watch 2>"$d/o/watch.log" &
wpid=$!
payload | put HUP0 000060 O0013MIME; waitfor HUP0	# it runs: signals are caught
has hup_before "$(ws HUP0)" "registered-identifier: 1.2.3.4"
cp "$d/o/mapping/mime-to-x400" "$d/o/m2x.good"
sed -i 's/^application\/x-foo\t1988\tftbp 1.2.3.4$/application\/x-foo\t1988\tftbp 1.2.3.9/' "$d/o/mapping/mime-to-x400"
kill -HUP $wpid
payload | put HUP1 000060 O0013MIME; waitfor HUP1
has hup_new_table "$(ws HUP1)" "registered-identifier: 1.2.3.9"
printf 'nonsense line\n' >> "$d/o/mapping/mime-to-x400"
kill -HUP $wpid
payload | put HUP2 000060 O0013MIME; waitfor HUP2
has hup_bad_keeps_old "$(ws HUP2)" "registered-identifier: 1.2.3.9"
grep -q "mime-to-x400:$(wc -l < "$d/o/mapping/mime-to-x400"): .*keeping the old content-type tables" "$d/o/watch.log" &&
    pass hup_bad_logged || fail hup_bad_logged "$(cat "$d/o/watch.log")"
kill -TERM $wpid; wait $wpid
cp "$d/o/m2x.good" "$d/o/mapping/mime-to-x400"

# 5. a bad line: exit 78 naming the file and line; the input stays
printf 'text/plain\t1984\tlatin1 | bp14\n' >> "$d/o/mapping/mime-to-x400"
nl=$(wc -l < "$d/o/mapping/mime-to-x400")
payload | put WAITS 000060 O0013MIME
"$O2X" -c "$d/o/oxgate.ini" --spool 2>"$d/o/err"; rc=$?
[ $rc -eq 78 ] && pass bad_table_exit_78 || fail bad_table_exit_78 "exit $rc"
grep -q "mapping/mime-to-x400:$nl: latin1 in 1984 mode" "$d/o/err" && pass bad_table_names_line || fail bad_table_names_line "$(cat "$d/o/err")"
[ -f "$in/WAITS" ] && [ -f "$in/WAITS.sfid" ] && [ ! -e "$d/o/spool/failed/WAITS" ] && pass bad_table_input_stays || fail bad_table_input_stays "$(ls "$in" "$d/o/spool/failed")"
printf 'MIME-Version: 1.0\r\n\r\nx\r\n' | "$O2X" -c "$d/o/oxgate.ini" --sfid "$in/WAITS.sfid" >/dev/null 2>&1; rc=$?
[ $rc -eq 78 ] && pass bad_table_filter_exit_78 || fail bad_table_filter_exit_78 "exit $rc"

# --- X.400 -> MIME ---------------------------------------------------------
# The P22 of ADDED, in the envelope of p1gen's message for Rita
mkdir -p "$d/gen"
"$OX_TOOLS/p1gen" "$d/gen" >/dev/null || fail p1gen "p1gen"
python3 - "$d/gen/gen_msg.p1" "$(p1of ADDED)" "$d/back.p1" <<'PY'
import sys
def tlv(d, i):
    i += 1
    n = d[i]; i += 1
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(d[i:i + k], 'big'); i += k
    return i, n
def hdr(tag, n):
    if n < 128:
        return bytes([tag, n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([tag, 0x80 | len(b)]) + b
tpl, src, out = sys.argv[1:4]
t = open(tpl, 'rb').read()
i, _ = tlv(t, 0); j, n = tlv(t, i); env = t[i:j + n]
s = open(src, 'rb').read()
i, _ = tlv(s, 0); j, n = tlv(s, i); k, m = tlv(s, j + n)   # envelope, content
assert s[j + n] == 0x04
body = env.replace(b'gen-p1-msg', b'ctypes-001') + hdr(0x04, m) + s[k:k + m]
open(out, 'wb').write(hdr(0xa0, len(body)) + body)
PY
check back_x400check "$CHK" -q p1 "$d/back.p1"
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
xsetup() {	# NAME: a gateway with partnership [p] (Rita, mime = header)
	g=$d/$1
	mkdir -p "$g/spool/x400/in/tmp"
	printf '[spool]\nroot = spool\n' > "$g/oxgate.ini"
	printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\nmime = header\n' "$SAM" "$RITA" > "$g/partners.ini"
	cp "$d/back.p1" "$g/spool/x400/in/tmp/m.p1" && mv "$g/spool/x400/in/tmp/m.p1" "$g/spool/x400/in/m.p1"
}
xrun() { "$X2O" -c "$g/oxgate.ini" --spool 2>>"$g/log"; }
pay() { f=$(ls "$g/spool/oftp/out" | grep -v '\.sfid$\|^tmp$' | head -1); [ -n "$f" ] && cat "$g/spool/oftp/out/$f"; }
# the MIME type, filename and data of each part, by a MIME parser
parts() {
	pay | python3 -c '
import email, sys
m = email.message_from_bytes(sys.stdin.buffer.read())
for p in m.get_payload():
    print(p.get_content_type(), p.get_filename(), p.get_param("charset"), p.get_payload(decode=True).hex())'
}
# (the text part went to X.400 as BP15, seed 000 line 73 "MIME Type
# Text/plain in BP15/ ISO8859-1": it comes back as iso-8859-1)
xsetup xbuiltin; check_fails x_builtin_run 0 xrun
o=$(parts)
has x_builtin_octet_stream "$o" "text/plain None iso-8859-1 68656c6c6f" \
    "application/octet-stream foo.dat None 000102030405"
xsetup xadded; mkdir -p "$g/mapping"
{ cat "$OX_TOP/etc/mapping/x400-to-mime"
  printf 'ftbp 1.2.3.4\t1988\tapplication/x-foo; x-origin=oxgate\n'
  printf 'bp14 1988 application/x-tunnelled\n'; } > "$g/mapping/x400-to-mime"
sed -i '/^bp14[[:space:]]*1988[[:space:]]*application\/octet-stream/d' "$g/mapping/x400-to-mime"
check_fails x_added_run 0 xrun
o=$(parts)
has x_added_types "$o" "text/plain None iso-8859-1 68656c6c6f" \
    "application/x-foo foo.dat None 000102030405" \
    "application/x-tunnelled None None $(od -An -tx1 "$d/tun.exp" | tr -d ' \n')"
case $(pay | tr -d '\r') in *"Content-Type: application/x-foo; x-origin=oxgate"*) pass x_added_param ;; *) fail x_added_param "$(pay | grep -a x-foo)" ;; esac
xsetup xbad; mkdir -p "$g/mapping"
printf '# bad\nlatin1 1984 text/plain\n' > "$g/mapping/x400-to-mime"
"$X2O" -c "$g/oxgate.ini" --spool 2>"$g/err"; rc=$?
[ $rc -eq 78 ] && pass x_bad_table_exit_78 || fail x_bad_table_exit_78 "exit $rc"
grep -q "mapping/x400-to-mime:2: latin1 in 1984 mode" "$g/err" && pass x_bad_table_names_line || fail x_bad_table_names_line "$(cat "$g/err")"
[ -f "$g/spool/x400/in/m.p1" ] && pass x_bad_table_input_stays || fail x_bad_table_input_stays "$(ls "$g/spool/x400/in")"

# --- make install: the shipped tables in place, edited ones kept --------
st=$d/stage
if (cd "$OX_TOP" && make -s install DESTDIR="$st" PREFIX=/usr) >"$d/inst.log" 2>&1; then
	m=$st/etc/oxgate/mapping
	cmp -s "$OX_TOP/etc/mapping/mime-to-x400" "$m/mime-to-x400" &&
	    cmp -s "$OX_TOP/etc/mapping/x400-to-mime" "$m/x400-to-mime" &&
	    [ -f "$st/usr/share/man/man5/oxgate-content-types.5" ] &&
	    pass install_tables || fail install_tables "$(ls -l "$m" | tr '\n' '|')"
	echo 'application/x-mine 1988 bp14' >> "$m/mime-to-x400"
	(cd "$OX_TOP" && make -s install DESTDIR="$st" PREFIX=/usr) >>"$d/inst.log" 2>&1
	grep -q '^application/x-mine 1988 bp14$' "$m/mime-to-x400" &&
	    pass install_keeps_edited_table || fail install_keeps_edited_table "overwritten"
else
	fail install_tables "$(tail -3 "$d/inst.log" | tr '\n' '|')"
fi
