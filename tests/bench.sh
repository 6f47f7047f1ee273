#!/bin/sh
# make bench: the speed and memory targets, measured against a baseline
# taken in the same run on the same files (the machines are shared and
# noisy: ratios, not absolute times, are what to compare). Inputs are
# generated here; nothing large is committed. Optimised build (make bench
# builds it), durable writes (fsync) as in production.
#
# Environment: BENCH_MB (default 100) size of the large files,
# BENCH_SMALL (default 10000) number of small files, BENCH_ROWS (default
# 1000000) trace rows for the purge, BENCH_RATE (default 100) files per
# second for BENCH_WATCH_S (default 10) seconds into the watcher, TMPDIR
# where to work (a disk, not tmpfs, for honest fsync numbers).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/bin
T=$top/${OX_BUILD:-build}/rel/tests/tools
MB=${BENCH_MB:-100}
SMALL=${BENCH_SMALL:-10000}
ROWS=${BENCH_ROWS:-1000000}
RATE=${BENCH_RATE:-100}
WATCH_S=${BENCH_WATCH_S:-10}
w=$(mktemp -d "${TMPDIR:-/var/tmp}/oxbench.XXXXXX")
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$w"' EXIT
cd "$w"

# run NAME CMD...: wall seconds and peak RSS (KiB) of CMD into $secs, $kb
run() {
	_n=$1; shift
	/usr/bin/time -f '%e %M' -o "$w/time" "$@" > "$w/out.$_n" 2> "$w/err" ||
	    { echo "bench: $_n: $* failed:"; cat "$w/err"; exit 1; }
	read -r secs kb < "$w/time"
}
row() {	# case secs kb ratio target
	printf '%-46s %8s %9s %8s   %s\n' "$1" "$2" "$3" "$4" "$5"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mbs() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 0) }'; }

# A gateway: one partnership per body part setting.
# (the limit leaves room for the base64 MIME file, 4/3 of MB and line ends)
printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = %sM\n[security]\ncertificate = gw.crt\nkey = gw.key\n' $((MB * 2 + 10)) > oxgate.ini
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=bench gw" -days 2 -keyout gw.key -out gw.crt 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=bench partner" -days 2 -keyout p.key -out p.crt 2>/dev/null
cat > partners.ini <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
certificate = p.crt
[acmemime]
odette = O0013ACMEMIME
userid = 000043
x400 = /S=MIME/O=ACME/P=ACME/A=DBP/C=DE/
mime = header
INI
mkdir -p spool/oftp/in/tmp
V=O0177000000000X0LU000042
n=0
put() {	# FILE FORMAT [SECURITY-KEYS]: into the queue, .sfid last
	n=$((n + 1))
	cp "$1" spool/oftp/in/"$1"
	printf '[sfid]\ndsn = %s\ndate = 20261122\ntime = 10000%05d\ndest = %s\norig = O0013ACMEGMBH\nformat = %s\n%s' \
	    "$1" $n $V "$2" "${3:-}" > spool/oftp/in/tmp/"$1".sfid
	mv spool/oftp/in/tmp/"$1".sfid spool/oftp/in/"$1".sfid
}


echo "oxgate benchmark: $(date -u +%FT%TZ), $(nproc) cores, ${MB} MB files, work dir $w"
row case seconds "peak KiB" ratio target
head -c $((MB * 1048576)) /dev/urandom > UBIN
run cat sh -c 'cat UBIN > cat.out && sync cat.out'
cat_s=$secs
row "cat + sync of ${MB} MB (baseline)" "$cat_s" "$kb" 1.00 ""
put UBIN U
run o2x_u "$B/oftp2x400" -c oxgate.ini --spool
row "oftp2x400 ${MB} MB U -> BP14" "$secs" "$kb" "$(ratio "$cat_s" "$secs")" ">= 0.5, <= 32768 KiB"
u_kb=$kb
# that P1 (UBIN as one BP14 body part) is the input of x4002oftp below
mv "$(ls spool/x400/out/*.p1 | head -1)" BP14.p1

# x4002oftp: the BP14 message back to an OFTP file, U and V (lrecl 1024),
# in a gateway of its own, against cat + sync of the same P1
x2o_gw() {	# DIR FORMAT [LRECL]
	mkdir -p "$1/spool/x400/in/tmp"
	printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = %sM\n' $((MB * 2 + 10)) > "$1/oxgate.ini"
	printf '[acme]\nodette = O0013ACMEGMBH\nuserid = 000042\nx400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\nformat = %s\n' "$2" > "$1/partners.ini"
	[ -z "$3" ] || printf 'lrecl = %s\n' "$3" >> "$1/partners.ini"
	cp BP14.p1 "$1/spool/x400/in/tmp/m.p1"
	mv "$1/spool/x400/in/tmp/m.p1" "$1/spool/x400/in/m.p1"
}
x2o_out() { ls "$1/spool/oftp/out" | grep -v '\.sfid$\|^tmp$' | head -1; }
run cat3 sh -c 'cat BP14.p1 > cat.out && sync cat.out'
cat3_s=$secs
row "cat + sync of the ${MB} MB BP14 P1 (baseline)" "$cat3_s" "$kb" 1.00 ""
x2o_gw x2u U
run x2o_u "$B/x4002oftp" -c x2u/oxgate.ini --spool
row "x4002oftp ${MB} MB BP14 -> U file" "$secs" "$kb" "$(ratio "$cat3_s" "$secs")" "<= 32768 KiB"
x2o_kb=$kb
cmp -s UBIN "x2u/spool/oftp/out/$(x2o_out x2u)" || { echo "bench: x4002oftp U output differs from the input"; exit 1; }
x2o_gw x2v V 1024
run x2o_v "$B/x4002oftp" -c x2v/oxgate.ini --spool
row "x4002oftp ${MB} MB BP14 -> V file, lrecl 1024" "$secs" "$kb" "$(ratio "$cat3_s" "$secs")" ""
vsz=$(wc -c < "x2v/spool/oftp/out/$(x2o_out x2v)")
[ "$vsz" -eq $((MB * 1024 * 1026)) ] || { echo "bench: V output is $vsz octets, want $((MB * 1024 * 1026))"; exit 1; }

# oftp2x400: the same octets as a base64 MIME attachment -> one FTBP
{ printf 'MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n'
  printf 'Content-Disposition: attachment; filename=ubin.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  base64 -w 76 UBIN | sed 's/$/\r/'; } > MIME
run cat4 sh -c 'cat MIME > cat.out && sync cat.out'
cat4_s=$secs
row "cat + sync of the base64 MIME file (baseline)" "$cat4_s" "$kb" 1.00 "$(($(wc -c < MIME) / 1048576)) MiB"
cp MIME spool/oftp/in/MIME
printf '[sfid]\ndsn = MIME\ndate = 20261122\ntime = 1000099999\ndest = O0177000000000X0LU000043\norig = O0013ACMEMIME\nformat = U\n' > spool/oftp/in/tmp/MIME.sfid
mv spool/oftp/in/tmp/MIME.sfid spool/oftp/in/MIME.sfid
np1=$(ls spool/x400/out | grep -c '\.p1$' || true)
run o2x_mime "$B/oftp2x400" -c oxgate.ini --spool
row "oftp2x400 ${MB} MB base64 MIME -> FTBP" "$secs" "$kb" "$(ratio "$cat4_s" "$secs")" ""
[ "$(ls spool/x400/out | grep -c '\.p1$')" -eq $((np1 + 1)) ] && [ ! -e spool/failed/MIME ] ||
    { echo "bench: the MIME file was not converted"; cat spool/failed/MIME.why 2>/dev/null; exit 1; }

# 62-octet CR LF lines of EDIFACT-like text
yes 'UNH+1+INVOIC:D:96A:UN'"'"'BGM+380+INV0001+9'"'"'DTM+137:20261122:102'"'"'XX' |
    head -n $((MB * 1048576 / 62)) | sed 's/$/\r/' > TTEXT
run cat2 sh -c 'cat TTEXT > cat.out && sync cat.out'
cat2_s=$secs
put TTEXT T
run o2x_t "$B/oftp2x400" -c oxgate.ini --spool
row "oftp2x400 ${MB} MB T -> general text" "$secs" "$kb" "$(ratio "$cat2_s" "$secs")" ""

# OFTP2 unwrap: signed + encrypted by the partner for the gateway, against
# openssl's own decrypt | verify pipeline on the same file
"$T/cmstool" wrap -s 04 -l se -k p.key -c p.crt -p gw.crt UBIN secured > /dev/null
run ossl sh -c 'openssl cms -decrypt -binary -inform DER -in secured -inkey gw.key -recip gw.crt |
    openssl cms -verify -binary -inform DER -noverify -CAfile p.crt -out ossl.out 2>/dev/null'
ossl_s=$secs
row "openssl cms -decrypt | -verify, ${MB} MB (base)" "$ossl_s" "$kb" 1.00 ""
run unwrap "$T/cmstool" unwrap -l se -k gw.key -c gw.crt -p p.crt -t . secured unwrapped
row "cms_unwrap ${MB} MB signed+encrypted" "$secs" "$kb" "$(ratio "$ossl_s" "$secs")" ">= 0.8"
cmp -s UBIN unwrapped || { echo "bench: unwrap differs"; exit 1; }
cp secured SEC
put SEC U "sec = 03
ciph = 04
env = 1
"
run o2x_sec "$B/oftp2x400" -c oxgate.ini --spool
row "oftp2x400 ${MB} MB secured -> BP14" "$secs" "$kb" "$(ratio "$ossl_s" "$secs")" ""

# many small files, durable; the fsync+rename cost of this disk is the floor
mkdir -p fq/tmp
run fsync "$T/fsynccost" fq 500 2048
us=$(cat "$w/out.fsync")
head -c 2048 /dev/urandom | tr -c 'A-Z0-9' 'X' > small
i=0
while [ $i -lt "$SMALL" ]; do
	cp small spool/oftp/in/S$i
	printf '[sfid]\ndsn = S%s\ndate = 20261122\ntime = 1100000001\ndest = %s\norig = O0013ACMEGMBH\nformat = U\n' \
	    $i $V > spool/oftp/in/S$i.sfid
	i=$((i + 1))
done
run small "$B/oftp2x400" -c oxgate.ini --spool
fps=$(awk -v n="$SMALL" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
floor=$(awk -v u="$us" 'BEGIN { printf "%.0f", (u > 0 ? 1e6 / (3 * u) : 0) }')
row "oftp2x400 $SMALL x 2 KB, batch: files/s" "$fps" "$kb" "$(ratio "$fps" "$floor")" ">= 500/s; ratio to 1/(3 fsync+rename)"
row "  (fsync+rename of one 2 KB file, us)" "$us" "" "" "p1, eerp and trace commit per file"

# watch mode: 2 KB files at RATE/s for WATCH_S s renamed into the queue of
# a running "oftp2x400 --watch"; latency from the rename of the .sfid to
# the rename of the .p1 into x400/out (tests/tools/latency); then SIGTERM
[ -x "$T/latency" ] || { echo "bench: $T/latency is missing (make bench builds it)"; exit 1; }
mkdir -p wq
cp oxgate.ini partners.ini gw.crt gw.key p.crt wq/
/usr/bin/time -f '%e %M' -o wtime "$B/oftp2x400" -c wq/oxgate.ini --watch 2> watch.err &
tpid=$!
# the watcher is time's child; it must not outlive an early exit
wpid() { cat /proc/$tpid/task/$tpid/children 2>/dev/null || pgrep -P $tpid || true; }
trap 'p=$(wpid); [ -z "$p" ] || kill -TERM $p; [ -n "$BENCH_KEEP" ] || rm -rf "$w"' EXIT
i=0
while [ $i -lt 100 ] && ! ls wq/spool/oftp/in/work/*/.lock > /dev/null 2>&1; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
lrc=0
"$T/latency" wq/spool/oftp/in wq/spool/x400/out "$RATE" "$WATCH_S" 2048 $V O0013ACMEGMBH > lat.out || lrc=$?
read -r lsent lgot p50 p99 lmax < lat.out || true
p=$(wpid)
[ -z "$p" ] || kill -TERM $p
wrc=0
wait $tpid || wrc=$?
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$w"' EXIT
wkb=$(tail -1 wtime | awk '{ print $2 }')
row "oftp2x400 --watch, $lsent x 2 KB at $RATE/s: p50 ms" "$p50" "$wkb" "" "latency rename -> .p1"
row "  latency p99 / max ms" "$p99" "" "$lmax" "p99 <= 50 ms ($lgot of $lsent out)"
row "  exit status after SIGTERM" "$wrc" "" "" "0"
[ "$lrc" -eq 0 ] && [ "$wrc" -eq 0 ] || { echo "bench: watch mode: latency $lrc, exit $wrc:"; tail -5 watch.err; exit 1; }

# purge of ROWS trace rows, with a converter-like writer beside it
db=spool/trace.db
sqlite3 "$db" "PRAGMA journal_mode=WAL; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
    INSERT INTO trace (dir, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest, state, created, updated)
    SELECT 'oftp2x400', 'OLD' || i, '20261122', '1000000001', 'O0013A', 'O0013B', 'received', 1000, 1000 FROM n;" > /dev/null
"$T/lockprobe" "$db" 600 > probe.out &
probe=$!
sleep 0.5
run purge "$B/oxpurge" -c oxgate.ini
kill -TERM $probe
wait $probe
read -r pn pmax pmed < probe.out
row "oxpurge $ROWS rows (archived)" "$secs" "$kb" "" "well under 60 s"
row "  converter wait during purge: max / median ms" "$pmax" "" "$pmed" "max <= 1000 ms ($pn commits)"
echo "u_peak_kib=$u_kb x2o_u_peak_kib=$x2o_kb"
