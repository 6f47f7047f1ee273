# Resource limits and filesystem safety (issue 11), through the real
# programs on temporary spools: decompression bombs (CMS CompressedData:
# NERP 32; MIME decoding beyond the maximum file size: NERP 16), deep BER
# nesting, millions of tiny elements, overlong MIME header lines, huge
# declared lengths in short files (bounded RSS), symlinks / FIFOs / hard
# links in a queue, hostile names, modes of what the programs create.
# The 50-part MIME limit (51 parts: NERP 34) is tested in oftp2x400.sh
# (nerp_MULTI51_34, why_51_parts).
. "$(dirname "$0")/lib.sh"
O=$OX_ABIN/oftp2x400
X=$OX_ABIN/x4002oftp
D=$OX_ABIN/oxdump
d=$OX_TMP/lim
umask 022			# the programs must not depend on the umask
mkd() { (umask 077 && mkdir -p "$@"); }	# our directories 0700
mkd "$d/gen1" "$d/gen2"
"$OX_TOOLS/p1gen" "$d/gen1" >/dev/null && "$OX_TOOLS/p22gen" "$d/gen2" >/dev/null ||
    fail generators "p1gen / p22gen"
command -v python3 >/dev/null || fail python3 "python3 needed to make the inputs"
TMPL=$d/gen2/gen_msg.p1

# gen KIND ARGS... OUT: the hostile inputs
gen() {
	python3 - "$@" <<'PY'
import sys
def hdr(tag, n):
    if n < 128:
        return bytes([tag, n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([tag, 0x80 | len(b)]) + b
def tlv(d, i):
    i += 1
    n = d[i]; i += 1
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(d[i:i + k], 'big'); i += k
    return i, n
def env(tpl, local=None):
    d = open(tpl, 'rb').read()
    i, _ = tlv(d, 0)
    j, n = tlv(d, i)
    e = d[i:j + n]
    if local is not None:
        assert len(local) == 10 and b'gen-p1-msg' in e
        e = e.replace(b'gen-p1-msg', local.encode())
    return e
def p1(e, content):
    body = e + content
    return hdr(0xa0, len(body)) + body
a = sys.argv[1:]
k, out = a[0], a[-1]
if k == 'deep':			# deep N def|indef
    n = int(a[1])
    if a[2] == 'def':
        x = b'\x05\x00'
        for _ in range(n):
            x = hdr(0x30, len(x)) + x
        x = hdr(0xa0, len(x)) + x
    else:
        x = b'\xa0\x80' + b'\x30\x80' * n + b'\x00\x00' * (n + 1)
elif k == 'nulls':		# nulls N: an envelope SET of N NULLs
    n = int(a[1])
    s = b'\x05\x00' * n
    x = p1(hdr(0x31, len(s)) + s, b'\x04\x00')
elif k == 'envnulls':		# envnulls TEMPLATE N: a real envelope + N NULLs
    e = env(a[1]); n = int(a[2])
    i, ln = tlv(e, 0)
    s = e[i:i + ln] + b'\x05\x00' * n
    x = p1(hdr(0x31, len(s)) + s, b'\x04\x00')
elif k == 'segs':		# segs TEMPLATE CONTENT N: content as N segments
    e = env(a[1]); c = open(a[2], 'rb').read(); n = int(a[3])
    segs = b''.join(hdr(0x04, 1) + c[i:i + 1] for i in range(len(c)))
    segs += b'\x04\x00' * (n - len(c))
    x = p1(e, b'\x24\x80' + segs + b'\x00\x00')
elif k == 'huge':		# huge OCTETS-OF-LENGTH: declared, 100-byte file
    m = int(a[1])
    x = b'\xa0' + bytes([0x80 | m]) + b'\xff' * m
    x += b'\x31\x80\x04' + bytes([0x80 | m]) + b'\x7f' + b'\xff' * (m - 1)
    x += b'A' * (100 - len(x))
elif k == 'wrap':		# wrap TEMPLATE CONTENT LOCAL10
    x = p1(env(a[1], a[3]), (lambda c: hdr(0x04, len(c)) + c)(open(a[2], 'rb').read()))
open(out, 'wb').write(x)
PY
}
# tm CMD...: run CMD, leave "seconds rss_kib" in $el $rss, its status in $rc
tm() {
	/usr/bin/time -f '%e %M' -o "$d/time" "$@" >"$d/out" 2>"$d/err"
	rc=$?
	read -r el rss <<EOF
$(tail -1 "$d/time")
EOF
}
info() { echo "    $T: $1: ${el}s, peak RSS ${rss} KiB"; }
under() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
crashed() { grep -qE 'AddressSanitizer|runtime error|LeakSanitizer|Segmentation' "$d/err"; }

# ---- oftp2x400: a gateway with max-file-size 2M
g=$d/o2x
mkd "$g/spool/oftp/in/tmp"
printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = 2M\n' > "$g/oxgate.ini"
cat > "$g/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
[mime]
odette = O0013MIME
userid = 000060
x400 = /O=Mime/P=MIME/A=DBP/C=DE/
mime = header
INI
in=$g/spool/oftp/in
V=O0177000000000X0LU
n=0
# oput NAME USERID ORIG [SFID-EXTRA]: payload from stdin, .sfid last
oput() {
	n=$((n + 1))
	cat > "$in/tmp/$1"; chmod 600 "$in/tmp/$1"; mv "$in/tmp/$1" "$in/$1"
	printf '[sfid]\ndsn = %s\ndate = 20261122\ntime = 10000000%02d\ndest = %s\norig = %s\nformat = U\n%b' \
	    "$1" $n "$V$2" "$3" "${4:-}" > "$in/tmp/$1.sfid"
	chmod 600 "$in/tmp/$1.sfid"; mv "$in/tmp/$1.sfid" "$in/$1.sfid"
}
reason() {	# the NERP reason of the refused input NAME
	for _f in "$g"/spool/oftp/eerp.out/*.nerp; do
		[ "$(dd if="$_f" bs=1 skip=1 count=26 2>/dev/null | tr -d ' ')" = "$1" ] &&
		    dd if="$_f" bs=1 skip=126 count=2 2>/dev/null
	done
}
refused() {	# TEST NAME NERP: the NERP, and the input in failed/ with a .why
	_r=$(reason "$2")
	if [ "$_r" = "$3" ] && [ -f "$g/spool/failed/$2" ] && grep -q "NERP $3" "$g/spool/failed/$2.why"; then
		pass "$1"
	else
		fail "$1" "NERP '$_r', why: $(cat "$g/spool/failed/$2.why" 2>&1 | head -c 300)"
	fi
}
orun() { tm "$O" -c "$g/oxgate.ini" --spool; cat "$d/err" >> "$g/log"; }

# 1. CMS CompressedData bomb: 200 MiB of zeros in a ~200 KiB file
head -c 200M /dev/zero > "$d/zeros"
"$OX_TOOLS/cmstool" wrap -l c "$d/zeros" "$d/bomb.der" >/dev/null || fail cms_bomb_make "cmstool wrap"
rm -f "$d/zeros"
oput BOMB 000042 O0013ACMEGMBH 'sec = 00\nciph = 00\ncomp = 1\nenv = 1\n' < "$d/bomb.der"
orun
refused cms_bomb_nerp_32 BOMB 32
grep -q 'above the' "$g/spool/failed/BOMB.why" && pass cms_bomb_why_says_limit || fail cms_bomb_why_says_limit "$(cat "$g/spool/failed/BOMB.why")"
lim under "$el" 10 && lim [ "$rss" -lt 131072 ] && { info cms_bomb; pass cms_bomb_bounded; } || fail cms_bomb_bounded "${el}s ${rss} KiB"
[ -z "$(ls "$g/spool/x400/out" 2>/dev/null | grep -v '^tmp$')" ] && pass cms_bomb_no_output || fail cms_bomb_no_output "$(ls "$g/spool/x400/out")"

# 2. MIME decoding beyond the maximum file size. base64 only shrinks, so
# the bomb is the text line-end rule: 1.5 MB of bare LF in a text/plain
# part decodes to 3 MB of CR LF, above max-file-size = 2M.
{ printf 'MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n'; head -c 1500000 /dev/zero | tr '\0' '\n'; } |
    oput MLFBOMB 000060 O0013MIME
# and a base64 part whose file is beyond the maximum (the size check)
{ printf 'MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  head -c 1700000 /dev/zero | base64; } | oput MB64BIG 000060 O0013MIME
# 3. a 1 MB MIME header line (a Subject), and 1 MB of one header's
# continuation lines: refused or converted, never a crash
{ printf 'MIME-Version: 1.0\r\nSubject: '; head -c 1048576 /dev/zero | tr '\0' x
  printf '\r\nContent-Type: text/plain\r\n\r\nbody\r\n'; } | oput MLONGHDR 000060 O0013MIME
{ printf 'MIME-Version: 1.0\r\nContent-Type: text/plain;\r\n'; i=0
  head -c 1048576 /dev/zero | tr '\0' y | fold -w 78 | sed 's/^/ x=/; s/$/\r/'
  printf '\r\nbody\r\n'; } | oput MLONGCONT 000060 O0013MIME
orun
refused mime_crlf_bomb_nerp_16 MLFBOMB 16
refused mime_base64_too_big_nerp_16 MB64BIG 16
for nm in MLONGHDR MLONGCONT; do
	if crashed; then fail "mime_${nm}_no_crash" "$(grep -m3 -E 'Sanitizer|runtime error' "$d/err")"
	elif [ -f "$g/spool/failed/$nm" ]; then pass "mime_${nm}_refused_$(reason $nm)"
	elif [ ! -e "$in/$nm" ]; then pass "mime_${nm}_converted"
	else fail "mime_${nm}_handled" "still in the queue: $(tail -3 "$g/log")"; fi
done
[ "$rc" -eq 0 ] && lim under "$el" 20 && { info mime_batch; pass mime_batch; } || fail mime_batch "status $rc, ${el}s"

# ---- x4002oftp: a gateway of its own for each case
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
setup() {	# NAME [partner keys...]
	g=$d/$1; shift
	mkd "$g/spool/x400/in/tmp"
	printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = 64M\n' > "$g/oxgate.ini"
	{ printf '[p]\nodette = O0013RITA\nuserid = 000042\nx400 = %s\nlocal = %s\n' "$SAM" "$RITA"
	  for kv in "$@"; do printf '%s\n' "$kv"; done; } > "$g/partners.ini"
}
xput() { cp "$2" "$g/spool/x400/in/tmp/$1" && chmod 600 "$g/spool/x400/in/tmp/$1" && mv "$g/spool/x400/in/tmp/$1" "$g/spool/x400/in/$1"; }
to=30; [ -z "${OX_VALGRIND:-}" ] || to=600	# valgrind: 20-50 times slower
xrun() { tm timeout $to "$X" -c "$g/oxgate.ini" --spool; cat "$d/err" >> "$g/log"; }
xfailed() {	# TEST NAME PATTERN: in failed/, the .why matches, no crash
	if crashed; then fail "$1" "$(grep -m3 -E 'Sanitizer|runtime error|Segm' "$d/err")"
	elif [ -f "$g/spool/failed/$2" ] && grep -qiE "$3" "$g/spool/failed/$2.why"; then pass "$1"
	else fail "$1" "status $rc: $(cat "$g/spool/failed/$2.why" 2>&1 | head -c 300)"; fi
}

# 4. deep nesting: 1000 definite, 100000 indefinite constructed levels
gen deep 1000 def "$d/deep.p1"; gen deep 100000 indef "$d/deepi.p1"
setup deep; xput deep.p1 "$d/deep.p1"; xrun
xfailed deep_1000_failed deep.p1 'not a P1 PDU'
setup deepi; xput deepi.p1 "$d/deepi.p1"; xrun
xfailed deep_100000_indef_failed deepi.p1 'not a P1 PDU.*(deep|nest)'
lim under "$el" 10 && { info deep_indef; pass deep_indef_time; } || fail deep_indef_time "${el}s"
for f in deep deepi; do
	tm "$D" "$d/$f.p1"
	[ "$rc" -eq 65 ] && ! crashed && grep -qiE 'deep|nest' "$d/err" && pass "oxdump_$f" || fail "oxdump_$f" "status $rc: $(head -c 300 "$d/err")"
	tm "$D" --tree "$d/$f.p1"
	[ "$rc" -eq 65 ] && ! crashed && pass "oxdump_tree_$f" || fail "oxdump_tree_$f" "status $rc: $(head -c 300 "$d/err")"
done

# 5. millions of tiny elements: an envelope SET of 2 million NULLs; a
# real envelope with 1 million NULLs more; the content as 1 million
# one-octet (and empty) segments of a constructed OCTET STRING
gen nulls 2000000 "$d/nulls.p1"
gen envnulls "$TMPL" 1000000 "$d/envnulls.p1"
gen segs "$TMPL" "$d/gen2/gen_ia5.p22" 1000000 "$d/segs.p1"
for f in nulls envnulls segs; do
	setup "$f"; xput "$f.p1" "$d/$f.p1"; xrun
	if crashed; then fail "tiny_$f" "$(grep -m3 -E 'Sanitizer|runtime error|Segm' "$d/err")"
	elif [ "$rc" -ne 0 ]; then fail "tiny_$f" "status $rc: $(tail -3 "$d/err")"
	elif [ -e "$g/spool/x400/in/$f.p1" ]; then fail "tiny_$f" "not handled"
	else pass "tiny_${f}_handled_$( [ -f "$g/spool/failed/$f.p1" ] && echo failed || echo converted)"; fi
	lim under "$el" 10 && { info "tiny_$f"; pass "tiny_${f}_time"; } || fail "tiny_${f}_time" "${el}s (limit 10 s)"
	tm "$D" "$d/$f.p1"
	! crashed && lim under "$el" 10 && { info "oxdump_tiny_$f"; pass "oxdump_tiny_$f"; } || fail "oxdump_tiny_$f" "status $rc ${el}s"
done

# and 5 million empty segments: above the decoder's TLV limit (4,000,000)
gen segs "$TMPL" /dev/null 5000000 "$d/segs5m.p1"
setup segs5m; xput s.p1 "$d/segs5m.p1"; xrun
xfailed tiny_5m_over_tlv_limit s.p1 'more elements than'
lim under "$el" 10 && { info tiny_5m; pass tiny_5m_time; } || fail tiny_5m_time "${el}s (limit 10 s)"
rm -f "$d/segs5m.p1"

# 6. huge declared lengths in a 100-byte file: 'truncated', no big
# allocation (peak RSS under 64 MiB, ASan and release programs)
for m in 4 8; do
	gen huge $m "$d/huge$m.p1"
	setup "huge$m"; xput h.p1 "$d/huge$m.p1"; xrun
	xfailed "huge_len_${m}_failed" h.p1 'truncat|too long|longer than'
	lim [ "$rss" -lt 65536 ] && { info "huge_len_$m"; pass "huge_len_${m}_rss"; } || fail "huge_len_${m}_rss" "$rss KiB"
	setup "huger$m"; xput h.p1 "$d/huge$m.p1"
	tm "$OX_BIN/x4002oftp" -c "$g/oxgate.ini" --spool
	lim [ "$rss" -lt 65536 ] && [ -f "$g/spool/failed/h.p1" ] && { info "huge_len_${m}_release"; pass "huge_len_${m}_release_rss"; } || fail "huge_len_${m}_release" "$rss KiB"
	tm "$D" "$d/huge$m.p1"
	[ "$rc" -eq 65 ] && grep -qiE 'truncat|too long|longer than' "$d/err" && lim [ "$rss" -lt 65536 ] &&
	    pass "oxdump_huge_$m" || fail "oxdump_huge_$m" "status $rc, $rss KiB: $(head -c 200 "$d/err")"
done

# 7. symlinks, FIFOs and hard links in a queue are not read: they go to
# failed/, the .why saying what they are
setup fs
xput real.p1 "$d/gen1/gen_msg.p1"
cp "$d/gen1/gen_msg.p1" "$d/secret.p1"
ln -s "$d/secret.p1" "$g/spool/x400/in/link.p1"
mkfifo "$g/spool/x400/in/fifo.p1"
xrun
[ "$rc" -eq 0 ] && lim under "$el" 10 && pass queue_fifo_no_hang || fail queue_fifo_no_hang "status $rc, ${el}s"
[ -L "$g/spool/failed/link.p1" ] && [ -p "$g/spool/failed/fifo.p1" ] &&
    grep -q "^reason: link.p1: a symbolic link (to $d/secret.p1), not a regular file" "$g/spool/failed/link.p1.why" &&
    grep -q '^reason: fifo.p1: a FIFO, not a regular file' "$g/spool/failed/fifo.p1.why" &&
    pass queue_fails_symlink_fifo ||
    fail queue_fails_symlink_fifo "$(ls -l "$g/spool/x400/in" "$g/spool/failed" 2>&1 | tr '\n' '|')"
[ "$(ls "$g/spool/oftp/out" | grep -vc '\.sfid$\|^tmp$')" -eq 1 ] && pass queue_only_real_converted ||
    fail queue_only_real_converted "$(ls "$g/spool/oftp/out" | tr '\n' ' ')"
cmp -s "$d/secret.p1" "$d/gen1/gen_msg.p1" && pass symlink_target_untouched || fail symlink_target_untouched "changed"
# oftp2x400: a payload that is a symlink, a .sfid that is a FIFO
g=$d/o2x; in=$g/spool/oftp/in
printf 'secret\r\n' > "$d/secret.txt"
ln -s "$d/secret.txt" "$in/SLINK"
printf '[sfid]\ndsn = SLINK\ndate = 20261122\ntime = 1000009901\ndest = %s000042\norig = O0013ACMEGMBH\nformat = U\n' "$V" > "$in/SLINK.sfid"
printf 'x\r\n' > "$in/SFIFO"; mkfifo -m 600 "$in/SFIFO.sfid"; chmod 600 "$in/SLINK.sfid" "$in/SFIFO"
before=$(ls "$g/spool/x400/out" | wc -l)
tm timeout 30 "$O" -c "$g/oxgate.ini" --spool
[ "$rc" -eq 0 ] && [ "$(ls "$g/spool/x400/out" | wc -l)" -eq "$before" ] && [ -f "$d/secret.txt" ] &&
    grep -q '^reason: SLINK: a symbolic link' "$g/spool/failed/SLINK.why" &&
    grep -q '^reason: SFIFO.sfid: a FIFO' "$g/spool/failed/SFIFO.why" &&
    pass o2x_symlink_fifo_not_read || fail o2x_symlink_fifo_not_read "status $rc: $(ls "$in" "$g/spool/failed" | tr '\n' ' ')"
# a spool file has one link: a hard link to a file elsewhere is refused
setup hard; chmod 600 "$d/secret.p1"; ln "$d/secret.p1" "$g/spool/x400/in/hard.p1"; xrun
[ -f "$g/spool/failed/hard.p1" ] && grep -q 'hard links' "$g/spool/failed/hard.p1.why" && pass queue_refuses_hard_link || fail queue_refuses_hard_link "$(ls "$g/spool/failed" "$g/spool/x400/in" | tr '\n' ' ')"

# 8. hostile names: FTBP pathnames and MTS local identifiers with ../ and
# / give output names inside spool/oftp/out, and no file elsewhere
sed 's/report\.bin/..\/..\/evil/' "$d/gen2/gen_multi.p22" > "$d/h1.p22"
sed 's/report\.bin/\/tmp\/evil1/' "$d/gen2/gen_multi.p22" > "$d/h2.p22"
gen wrap "$TMPL" "$d/h1.p22" '../../evil' "$d/h1.p1"
gen wrap "$TMPL" "$d/h2.p22" '/tmp/evil2' "$d/h2.p1"
gen wrap "$TMPL" "$d/gen2/gen_ftbp.p22" '../../evi3' "$d/h3.p1"
for m in none header; do
	setup "names_$m" "mime = $m"
	xput h1.p1 "$d/h1.p1"; xput h2.p1 "$d/h2.p1"; xput h3.p1 "$d/h3.p1"; xrun
	o=$(cd "$g" && find . -newer partners.ini ! -type d | grep -v '^\./spool/\(oftp/out\|x400/out\|failed\|work\|[a-z.]*\)/[^/]*$\|^\./spool/[^/]*$\|^\./log$')
	[ -z "$o" ] && pass "names_${m}_inside_spool" || fail "names_${m}_inside_spool" "$o"
	[ -z "$(find "$d" /tmp -maxdepth 3 -name 'evil*' -newer "$g/partners.ini" 2>/dev/null)" ] &&
	    pass "names_${m}_no_evil" || fail "names_${m}_no_evil" "$(find "$d" /tmp -maxdepth 3 -name 'evil*' -newer "$g/partners.ini")"
	[ "$(ls "$g/spool/oftp/out" | grep -vc '\.sfid$\|^tmp$')" -eq 3 ] && pass "names_${m}_three_outputs" ||
	    fail "names_${m}_three_outputs" "$(ls "$g/spool/oftp/out" "$g/spool/failed" 2>&1 | tr '\n' ' ')"
	grep -h '^dsn' "$g"/spool/oftp/out/*.sfid | grep -q '/' && fail "names_${m}_dsn_no_slash" "$(grep -h '^dsn' "$g"/spool/oftp/out/*.sfid)" ||
	    pass "names_${m}_dsn_no_slash"
done

# 9. modes (the umask is 022): queue files are at most 0640 (the daemons
# of the gateway's group read the output queues; nobody else), the trace
# database 0600, directories the programs made 0700
o=$(find "$d"/*/spool -type f -perm /0137 2>/dev/null | sed "s,$d/,," | head -5)
[ -z "$o" ] && pass files_not_world_readable || fail files_not_world_readable "$o"
o=$(find "$d"/*/spool -type f -name 'trace.db*' ! -perm 600 | sed "s,$d/,," | head -3)
[ -z "$o" ] && pass trace_db_0600 || fail trace_db_0600 "$o"
o=$(find "$d"/*/spool -type d ! -perm 700 2>/dev/null | sed "s,$d/,," | head -5)
[ -z "$o" ] && pass dirs_0700 || fail dirs_0700 "$o"
