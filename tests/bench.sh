#!/bin/sh
# make bench: the speed and memory targets, measured against a baseline
# taken in the same run on the same files (the machines are shared and
# noisy: ratios, not absolute times, are what to compare). Inputs are
# generated here; nothing large is committed. Optimised build (make bench
# builds it), durable writes (fsync) as in production.
#
# Environment: BENCH_MB (default 100) size of the large files,
# BENCH_SMALL (default 10000) number of small files, BENCH_ROWS (default
# 1000000) trace rows for the purge and for report2eerp, BENCH_REPORTS
# (default 100000) delivery reports for report2eerp, BENCH_RATE (default
# 100) files per second for BENCH_WATCH_S (default 10) seconds into the
# watcher, BENCH_REPEAT (default 3) runs of each case, BENCH_REPEAT_BIG
# (default 1) runs of the cases on a trace of BENCH_ROWS rows (each run
# needs the trace rebuilt), TMPDIR where to work (a disk, not tmpfs, for
# honest fsync numbers). Timed cases print min / median / max seconds of
# their runs and the peak RSS of the largest; ratios are of the medians.
# Run once: the fsync cost probe and the watch-mode latency run (which is
# BENCH_RATE * BENCH_WATCH_S samples of its own), and oxweb under load
# (tests/bench_web.inc: BENCH_WEB_CLIENTS, BENCH_WEB_S, BENCH_WEB_REPEAT;
# BENCH_ONLY=web runs only these rows, on their own trace of BENCH_ROWS).
# PostgreSQL rows (issue 24): a cluster of the bench's own (tests/pg.sh,
# stopped at the end) holds the same trace for the purge with the
# converter-like writer beside it and for report2eerp, whose rate is
# compared with SQLite's (target: at least half). BENCH_ONLY=pg runs only
# the cases the PostgreSQL rows need and compare with: the small files,
# the purge and report2eerp, on SQLite and then on PostgreSQL.
# BENCH_ONLY=large runs only the large-file rows (the paths' ratios to
# cat + sync and their peak RSS).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/bin
T=$top/${OX_BUILD:-build}/rel/tests/tools
MB=${BENCH_MB:-100}
SMALL=${BENCH_SMALL:-10000}
ROWS=${BENCH_ROWS:-1000000}
REPORTS=${BENCH_REPORTS:-100000}
REPEAT=${BENCH_REPEAT:-3}
REPEAT_BIG=${BENCH_REPEAT_BIG:-1}
RATE=${BENCH_RATE:-100}
WATCH_S=${BENCH_WATCH_S:-10}
ONLY=${BENCH_ONLY:-}
w=$(mktemp -d "${TMPDIR:-/var/tmp}/oxbench.XXXXXX")
pgd=
[ -n "$BENCH_KEEP" ] || trap '[ -z "$pgd" ] || sh "$top/tests/pg.sh" stop "$pgd"; rm -rf "$w"' EXIT
cd "$w"

# run NAME CMD...: wall seconds and peak RSS (KiB) of CMD into $secs, $kb
run() {
	_n=$1; shift
	/usr/bin/time -f '%e %M' -o "$w/time" "$@" > "$w/out.$_n" 2> "$w/err" ||
	    { echo "bench: $_n: $* failed:"; cat "$w/err"; exit 1; }
	read -r secs kb < "$w/time"
}
# reps NAME COUNT PREP CMD...: COUNT runs of CMD, each after "PREP RUN#"
# (PREP "" for none; untimed); $smin $smed $smax seconds, $kb the largest
# peak RSS, $secs the median
reps() {
	_rn=$1 _rc=$2 _rp=$3
	shift 3
	_rt= _rk=0 _ri=1
	while [ $_ri -le "$_rc" ]; do
		[ -z "$_rp" ] || $_rp $_ri
		run "$_rn" "$@"
		_rt="$_rt $secs"
		[ "$kb" -le "$_rk" ] || _rk=$kb
		_ri=$((_ri + 1))
	done
	stats $_rt
	kb=$_rk
}
stats() {	# SECS...: $smin $smed $smax, $secs = $smed
	set -- $(printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		  printf "%s %.2f %s\n", v[1], m, v[NR] }')
	smin=$1 smed=$2 smax=$3 secs=$2
}
row() {	# case min median max kb ratio target
	printf '%-46s %6s %6s %6s %9s %6s   %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7"
}
trow() {	# case ratio target: a timed case, after reps
	row "$1" "$smin" "$smed" "$smax" "$kb" "$2" "$3"
}
one() {	# case value kb ratio target: a single figure, in the median column
	row "$1" "" "$2" "" "$3" "$4" "$5"
}
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t + 0 ? "met" : "MISSED") }'; }
atmost() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 <= t + 0 ? "met" : "MISSED") }'; }
# the target column of a large-file row: "RSS" (the peak RSS of every
# path stays under 32 MiB, $kb) and, with a ratio RATIO MIN, that too
rss() { printf '<= 32768 KiB: %s' "$(atmost "$kb" 32768)"; }
tgt() { printf '>= %s: %s, %s' "$2" "$(verdict "$1" "$2")" "$(rss)"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mbs() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 0) }'; }
if [ "${BENCH_ONLY:-}" = web ]; then	# the oxweb rows alone
	echo "oxgate benchmark, oxweb only: $(date -u +%FT%TZ), $(nproc) cores, work dir $w"
	row case "min" "med" "max" "" "" target
	. "$top/tests/bench_web.inc"
	exit 0
fi

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
echo "runs per case: $REPEAT, on the $ROWS-row trace: $REPEAT_BIG"
row case "min s" "med s" "max s" "peak KiB" ratio target
# outputs of the run before go, so that the disk holds one of each
clear_out() { [ ! -d spool/x400/out ] || find spool/x400/out -maxdepth 1 -type f -delete; }
if [ "$ONLY" != pg ]; then	# BENCH_ONLY (the large files)
head -c $((MB * 1048576)) /dev/urandom > UBIN
reps cat "$REPEAT" "" sh -c 'cat UBIN > cat.out && sync cat.out'
cat_s=$secs
trow "cat + sync of ${MB} MB (baseline)" 1.00 ""
prep_u() { clear_out; put UBIN U; }
reps o2x_u "$REPEAT" prep_u "$B/oftp2x400" -c oxgate.ini --spool
r=$(ratio "$cat_s" "$secs")
trow "oftp2x400 ${MB} MB U -> BP14" "$r" "$(tgt "$r" 0.5)"
u_kb=$kb
# that P1 (UBIN as one BP14 body part) is the input of x4002oftp below
mv "$(ls spool/x400/out/*.p1 | head -1)" BP14.p1

# x4002oftp: the BP14 message back to an OFTP file, U and V (lrecl 1024),
# in a gateway of its own, against cat + sync of the same P1
x2o_gw() {	# DIR FORMAT [LRECL [P1]]: a fresh one each run (else a redo)
	rm -rf "$1"
	mkdir -p "$1/spool/x400/in/tmp"
	printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = %sM\n' $((MB * 2 + 10)) > "$1/oxgate.ini"
	printf '[acme]\nodette = O0013ACMEGMBH\nuserid = 000042\nx400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\nformat = %s\n' "$2" > "$1/partners.ini"
	[ -z "$3" ] || printf 'lrecl = %s\n' "$3" >> "$1/partners.ini"
	cp "${4:-BP14.p1}" "$1/spool/x400/in/tmp/m.p1"
	mv "$1/spool/x400/in/tmp/m.p1" "$1/spool/x400/in/m.p1"
}
x2o_out() { ls "$1/spool/oftp/out" | grep -v '\.sfid$\|^tmp$' | head -1; }
reps cat3 "$REPEAT" "" sh -c 'cat BP14.p1 > cat.out && sync cat.out'
cat3_s=$secs
trow "cat + sync of the ${MB} MB BP14 P1 (baseline)" 1.00 ""
prep_x2u() { x2o_gw x2u U; }
reps x2o_u "$REPEAT" prep_x2u "$B/x4002oftp" -c x2u/oxgate.ini --spool
trow "x4002oftp ${MB} MB BP14 -> U file" "$(ratio "$cat3_s" "$secs")" "$(rss)"
x2o_kb=$kb
cmp -s UBIN "x2u/spool/oftp/out/$(x2o_out x2u)" || { echo "bench: x4002oftp U output differs from the input"; exit 1; }
prep_x2v() { x2o_gw x2v V 1024; }
reps x2o_v "$REPEAT" prep_x2v "$B/x4002oftp" -c x2v/oxgate.ini --spool
r=$(ratio "$cat3_s" "$secs")
trow "x4002oftp ${MB} MB BP14 -> V file, lrecl 1024" "$r" "$(tgt "$r" 0.7)"
vsz=$(wc -c < "x2v/spool/oftp/out/$(x2o_out x2v)")
[ "$vsz" -eq $((MB * 1024 * 1026)) ] || { echo "bench: V output is $vsz octets, want $((MB * 1024 * 1026))"; exit 1; }
rm -rf x2u x2v

# oftp2x400: the same octets as a base64 MIME attachment -> one FTBP
{ printf 'MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n'
  printf 'Content-Disposition: attachment; filename=ubin.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  base64 -w 76 UBIN | sed 's/$/\r/'; } > MIME
reps cat4 "$REPEAT" "" sh -c 'cat MIME > cat.out && sync cat.out'
cat4_s=$secs
trow "cat + sync of the base64 MIME file (baseline)" 1.00 "$(($(wc -c < MIME) / 1048576)) MiB"
prep_mime() {
	clear_out
	cp MIME spool/oftp/in/MIME
	printf '[sfid]\ndsn = MIME\ndate = 20261122\ntime = 100009999%s\ndest = O0177000000000X0LU000043\norig = O0013ACMEMIME\nformat = U\n' \
	    "$1" > spool/oftp/in/tmp/MIME.sfid
	mv spool/oftp/in/tmp/MIME.sfid spool/oftp/in/MIME.sfid
}
reps o2x_mime "$REPEAT" prep_mime "$B/oftp2x400" -c oxgate.ini --spool
r=$(ratio "$cat4_s" "$secs")
trow "oftp2x400 ${MB} MB base64 MIME -> FTBP" "$r" "$(tgt "$r" 0.5)"
[ "$(ls spool/x400/out | grep -c '\.p1$')" -eq 1 ] && [ ! -e spool/failed/MIME ] ||
    { echo "bench: the MIME file was not converted"; cat spool/failed/MIME.why 2>/dev/null; exit 1; }
mv "$(ls spool/x400/out/*.p1 | head -1)" FTBP.p1

# x4002oftp: that FTBP back to a base64 MIME attachment (mime = header),
# against the same baseline (the output is that MIME file again)
prep_x2m() {
	x2o_gw x2m U "" FTBP.p1
	printf '[acmemime]\nodette = O0013ACMEMIME\nuserid = 000043\nx400 = /S=MIME/O=ACME/P=ACME/A=DBP/C=DE/\nmime = header\n' > x2m/partners.ini
}
reps x2o_mime "$REPEAT" prep_x2m "$B/x4002oftp" -c x2m/oxgate.ini --spool
r=$(ratio "$cat4_s" "$secs")
trow "x4002oftp ${MB} MB FTBP -> base64 MIME" "$r" "$(tgt "$r" 0.5)"
tr -d '\r' < "x2m/spool/oftp/out/$(x2o_out x2m)" | sed '1,/^$/d' | base64 -d | cmp -s UBIN - ||
    { echo "bench: x4002oftp MIME output does not decode to the input"; exit 1; }
rm -rf MIME FTBP.p1 x2m

# 62-octet CR LF lines of EDIFACT-like text
yes 'UNH+1+INVOIC:D:96A:UN'"'"'BGM+380+INV0001+9'"'"'DTM+137:20261122:102'"'"'XX' |
    head -n $((MB * 1048576 / 62)) | sed 's/$/\r/' > TTEXT
reps cat2 "$REPEAT" "" sh -c 'cat TTEXT > cat.out && sync cat.out'
cat2_s=$secs
trow "cat + sync of the ${MB} MB T file (baseline)" 1.00 ""
prep_t() { clear_out; put TTEXT T; }
reps o2x_t "$REPEAT" prep_t "$B/oftp2x400" -c oxgate.ini --spool
r=$(ratio "$cat2_s" "$secs")
trow "oftp2x400 ${MB} MB T -> general text" "$r" "$(tgt "$r" 0.7)"
[ "$(ls spool/x400/out | grep -c '\.p1$')" -eq 1 ] || { echo "bench: the T file was not converted"; exit 1; }
rm -f TTEXT

# F (lrecl 80) and V (lrecl 80, 62-octet records) text files -> one
# general text body part, against cat + sync of each file
perl -e 'print(substr("UNH+1+INVOIC:D:96A:UN BGM+380+INV0001+9 DTM+137:20261122:102 " x 2, 0, 80) x '$((MB * 1048576 / 80))')' > FTEXT
perl -e '$r = "UNH+1+INVOIC:D:96A:UN BGM+380+INV0001+9 DTM+137:20261122:10200"; print((pack("n", length $r) . $r) x '$((MB * 1048576 / 64))')' > VTEXT
for fv in F V; do
	reps "cat$fv" "$REPEAT" "" sh -c "cat ${fv}TEXT > cat.out && sync cat.out"
	catfv_s=$secs
	trow "cat + sync of the ${MB} MB $fv file (baseline)" 1.00 ""
	eval "prep_$fv() { clear_out; put ${fv}TEXT $fv 'lrecl = 80
'; }"
	reps "o2x_$fv" "$REPEAT" "prep_$fv" "$B/oftp2x400" -c oxgate.ini --spool
	r=$(ratio "$catfv_s" "$secs")
	trow "oftp2x400 ${MB} MB $fv (lrecl 80) -> general text" "$r" "$(tgt "$r" 0.7)"
	[ "$(ls spool/x400/out | grep -c '\.p1$')" -eq 1 ] || { echo "bench: the $fv file was not converted"; cat spool/failed/*.why; exit 1; }
done
rm -f FTEXT VTEXT

# OFTP2 unwrap: signed + encrypted by the partner for the gateway, against
# openssl's own decrypt | verify pipeline on the same file
"$T/cmstool" wrap -s 04 -l se -k p.key -c p.crt -p gw.crt UBIN secured > /dev/null
reps ossl "$REPEAT" "" sh -c 'openssl cms -decrypt -binary -inform DER -in secured -inkey gw.key -recip gw.crt |
    openssl cms -verify -binary -inform DER -noverify -CAfile p.crt -out ossl.out 2>/dev/null'
ossl_s=$secs
trow "openssl cms -decrypt | -verify, ${MB} MB (base)" 1.00 ""
reps unwrap "$REPEAT" "" "$T/cmstool" unwrap -l se -k gw.key -c gw.crt -p p.crt -t . secured unwrapped
r=$(ratio "$ossl_s" "$secs")
trow "cms_unwrap ${MB} MB signed+encrypted" "$r" "$(tgt "$r" 0.8)"
cmp -s UBIN unwrapped || { echo "bench: unwrap differs"; exit 1; }
prep_sec() {
	clear_out
	cp secured SEC
	put SEC U "sec = 03
ciph = 04
env = 1
"
}
reps o2x_sec "$REPEAT" prep_sec "$B/oftp2x400" -c oxgate.ini --spool
trow "oftp2x400 ${MB} MB secured -> BP14" "$(ratio "$ossl_s" "$secs")" "$(rss)"
[ "$(ls spool/x400/out | grep -c '\.p1$')" -eq 1 ] || { echo "bench: the secured file was not converted"; exit 1; }
clear_out
fi	# BENCH_ONLY
rm -f UBIN secured unwrapped ossl.out cat.out BP14.p1
[ "$ONLY" != large ] || exit 0

# many small files, durable; the fsync+rename cost of this disk is the floor
mkdir -p fq/tmp
run fsync "$T/fsynccost" fq 500 2048
us=$(cat "$w/out.fsync")
head -c 2048 /dev/urandom | tr -c 'A-Z0-9' 'X' > small
prep_small() {	# each run its own OFTP identities (else a redo)
	clear_out
	find spool/oftp/eerp.out -maxdepth 1 -type f -delete 2>/dev/null || true
	_i=0
	while [ $_i -lt "$SMALL" ]; do
		cp small spool/oftp/in/S$_i
		printf '[sfid]\ndsn = S%s\ndate = 20261122\ntime = 11%08d\ndest = %s\norig = O0013ACMEGMBH\nformat = U\n' \
		    $_i "$1" $V > spool/oftp/in/S$_i.sfid
		_i=$((_i + 1))
	done
}
reps small "$REPEAT" prep_small "$B/oftp2x400" -c oxgate.ini --spool
floor=$(awk -v u="$us" 'BEGIN { printf "%.0f", (u > 0 ? 1e6 / (3 * u) : 0) }')
fps=$(awk -v n="$SMALL" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
trow "oftp2x400 $SMALL x 2 KB, batch" "" ""
r=$(ratio "$fps" "$floor")
one "  files/s (of the median run)" "$fps" "" "$r" ">= 4.0 x 1/(3 fsync+rename): $(verdict "$r" 4.0)"
[ "$(ls spool/x400/out | grep -c '\.p1$')" -eq "$SMALL" ] || { echo "bench: not all small files were converted"; exit 1; }
one "  (fsync+rename of one 2 KB file, us)" "$us" "" "" "p1, eerp and trace commit per file"
clear_out

if [ "$ONLY" != pg ]; then	# BENCH_ONLY (the watch cases)
# watch mode under load: SMALL files at once into a running watcher
# (payloads first, then every .sfid by one mv), timed from the first
# rename to the last .p1 in x400/out; the target is that of batch mode
mkdir -p wb/stage
cp oxgate.ini partners.ini gw.crt gw.key p.crt wb/
"$B/oftp2x400" -c wb/oxgate.ini --watch 2> wb/watch.err & bpid=$!
trap 'kill -TERM $bpid 2>/dev/null; [ -n "$BENCH_KEEP" ] || rm -rf "$w"' EXIT
i=0
while [ $i -lt 100 ] && ! ls wb/spool/oftp/in/work/*/.lock > /dev/null 2>&1; do sleep 0.05; i=$((i + 1)); done
i=0
while [ $i -lt "$SMALL" ]; do
	cp small wb/spool/oftp/in/W$i
	printf '[sfid]\ndsn = W%s\ndate = 20261122\ntime = 1200000001\ndest = %s\norig = O0013ACMEGMBH\nformat = U\n' \
	    $i $V > wb/stage/W$i.sfid
	i=$((i + 1))
done
t0=$(date +%s.%N)
(cd wb/stage && mv -- *.sfid ../spool/oftp/in/)
i=0
while [ "$(ls wb/spool/x400/out | grep -c '\.p1$')" -lt "$SMALL" ] && [ $i -lt 6000 ]; do
	sleep 0.02; i=$((i + 1))
done
t1=$(date +%s.%N)
kill -TERM $bpid; wait $bpid || true
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$w"' EXIT
got=$(ls wb/spool/x400/out | grep -c '\.p1$' || true)
wfps=$(awk -v n="$got" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b > a ? n / (b - a) : 0) }')
r=$(ratio "$wfps" "$floor")
one "oftp2x400 --watch, $SMALL x 2 KB at once: files/s" "$wfps" "" "$r" ">= 4.0 x 1/(3 fsync+rename): $(verdict "$r" 4.0) ($got of $SMALL out)"
[ "$got" -eq "$SMALL" ] || { echo "bench: watch mode under load: $got of $SMALL converted:"; tail -5 wb/watch.err; exit 1; }
rm -rf wb

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
pgd=
[ -n "$BENCH_KEEP" ] || trap '[ -z "$pgd" ] || sh "$top/tests/pg.sh" stop "$pgd"; rm -rf "$w"' EXIT
wkb=$(tail -1 wtime | awk '{ print $2 }')
one "oftp2x400 --watch, $lsent x 2 KB at $RATE/s: p50 ms" "$p50" "$wkb" "" "latency rename -> .p1"
one "  latency p99 ms (max ms in ratio column)" "$p99" "" "$lmax" "p99 <= 50 ms: $(atmost "$p99" 50) ($lgot of $lsent out)"
one "  exit status after SIGTERM" "$wrc" "" "" "0"
[ "$lrc" -eq 0 ] && [ "$wrc" -eq 0 ] || { echo "bench: watch mode: latency $lrc, exit $wrc:"; tail -5 watch.err; exit 1; }
rm -rf wq
fi	# BENCH_ONLY

# purge of ROWS trace rows, with a converter-like writer beside it; each
# run on a trace refilled with ROWS rows of its own
db=spool/trace.db
prep_purge() {
	sqlite3 "$db" "PRAGMA journal_mode=WAL; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
	    INSERT INTO trace (dir, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest, state, created, updated)
	    SELECT 'oftp2x400', 'OLD$1X' || i, '20261122', '1000000001', 'O0013A', 'O0013B', 'received', 1000, 1000 FROM n;" > /dev/null
}
# purge_runs LABEL TARGET DB PREP LEFT: REPEAT_BIG runs of oxpurge, each
# after "PREP RUN#", lockprobe writing into DB beside it; LEFT prints the
# old rows left (none, or the bench stops)
purge_runs() {
	pt= pmaxes= pmeds= pns=0 kbmax=0 r=1
	while [ $r -le "$REPEAT_BIG" ]; do
		$4 $r
		"$T/lockprobe" "$3" 600 > probe.out &
		probe=$!
		sleep 0.5
		run purge "$B/oxpurge" -c oxgate.ini
		kill -TERM $probe
		wait $probe
		read -r pn pmax pmed < probe.out
		pt="$pt $secs" pmaxes="$pmaxes $pmax" pmeds="$pmeds $pmed" pns=$((pns + pn))
		[ "$kb" -le "$kbmax" ] || kbmax=$kb
		left=$($5)
		[ "$left" -eq 0 ] || { echo "bench: $1: oxpurge left $left of the $ROWS old rows"; exit 1; }
		r=$((r + 1))
	done
	stats $pmaxes
	pmax=$smax
	stats $pmeds
	pmed=$smed
	stats $pt
	kb=$kbmax
	trow "$1" "" "$2: $(atmost "$smax" 60)"
	one "  converter wait during purge: max / median ms" "$pmax" "" "$pmed" "max <= 1000 ms: $(atmost "$pmax" 1000) ($pns commits)"
}
left_lite() { sqlite3 "$db" "SELECT count(*) FROM trace WHERE oftp_dsn LIKE 'OLD%'"; }
purge_runs "oxpurge $ROWS rows (archived)" "max <= 60 s" "$db" prep_purge left_lite

# report2eerp: REPORTS delivery reports against a trace of ROWS rows of
# oftp2x400 transactions in EERP mode 2 (converted, waiting for the DN),
# in a gateway of its own. One real conversion gives the template: its
# trace row, recipient, history and output rows (the P1 it published:
# every converted transaction has one, so a trace in its steady state
# has as many output rows as transactions; PostgreSQL plans its
# statements on trace_output by that table's size), and the P1 the
# reports are on;
# the other ROWS - 1 transactions are copies of it with their own OFTP
# DSN and MTS / IPM local identifiers ("be" + 22 hex digits of the row
# id, as long as oftp2x400's), made by sqlite3 in one transaction. Every
# (ROWS - 1) / REPORTS-th copy gets a DN from rptbulk (rptgen in a loop
# takes ~2 ms a report), so the lookups spread over the whole trace. Each
# run starts from a copy of that trace and a fresh set of reports.
rq=$w/rq
mkdir -p "$rq/spool/oftp/in/tmp" "$rq/spool/x400/reports"
cp oxgate.ini gw.crt gw.key p.crt "$rq/"
printf '[acme]\nodette = O0013ACMEGMBH\nuserid = 000042\nx400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/\neerp = 2\n' > "$rq/partners.ini"
cp small "$rq/spool/oftp/in/TEMPLATE"
printf '[sfid]\ndsn = TEMPLATE\ndate = 20261122\ntime = 1200000001\ndest = %s\norig = O0013ACMEGMBH\nformat = U\n' \
    $V > "$rq/spool/oftp/in/tmp/TEMPLATE.sfid"
mv "$rq/spool/oftp/in/tmp/TEMPLATE.sfid" "$rq/spool/oftp/in/TEMPLATE.sfid"
"$B/oftp2x400" -c "$rq/oxgate.ini" --spool 2> rq.err || { echo "bench: template conversion failed:"; cat rq.err; exit 1; }
mv "$rq"/spool/x400/out/*.p1 "$rq/msg.p1"
rdb=$rq/spool/trace.db
tid=$(sqlite3 "$rdb" "SELECT id FROM trace WHERE dir = 'oftp2x400' AND oftp_dsn = 'TEMPLATE'
    AND state = 'converted' AND eerp_mode = 2 AND (SELECT count(*) FROM trace_recipient WHERE trace_id = trace.id) = 1")
[ -n "$tid" ] || { echo "bench: no template row in mode 2, converted, with one recipient"; exit 1; }
cp "$rdb" rq.template.db
[ "$REPORTS" -le $((ROWS - 1)) ] || { echo "bench: BENCH_REPORTS must be below BENCH_ROWS"; exit 1; }
first=$((tid + 1))
step=$(((ROWS - 1) / REPORTS))
sqlite3 "$rdb" "BEGIN;
CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT $first UNION ALL SELECT i + 1 FROM c WHERE i < $((tid + ROWS - 1)))
    INSERT INTO n SELECT i FROM c;
INSERT INTO trace (id, dir, partner, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest,
    mts_id, ipm_id, edim_id, eerp_mode, eerp_signed, dn_req, rn_req, state, created, updated,
    deadline, hash_alg, hash, in_file, out_file, ack_file, note, x400_orig, no_ndr)
  SELECT n.i, dir, partner, printf('B%07d', n.i), oftp_date, oftp_time, oftp_orig, oftp_dest,
    substr(mts_id, 1, instr(mts_id, ';')) || printf('be%022x', n.i) || ']',
    substr(ipm_id, 1, instr(ipm_id, ';')) || printf('be%022x', n.i), edim_id,
    eerp_mode, eerp_signed, dn_req, rn_req, state, created, updated,
    deadline, hash_alg, hash, printf('B%07d', n.i), printf('be%022x.p1', n.i), ack_file, note, x400_orig, no_ndr
  FROM n, trace WHERE trace.id = $tid;
INSERT INTO trace_recipient (trace_id, seq, address, outcome, time, diag)
  SELECT n.i, seq, address, outcome, time, diag FROM n, trace_recipient WHERE trace_id = $tid;
INSERT INTO trace_history (trace_id, time, state, note)
  SELECT n.i, time, state, note FROM n, trace_history WHERE trace_id = $tid ORDER BY n.i, trace_history.id;
INSERT INTO trace_output (trace_id, seq, queue, tmp, name, time)
  SELECT n.i, seq, queue, printf('be%022x.p1.%016x', n.i, n.i), printf('be%022x.p1', n.i), time
  FROM n, trace_output WHERE trace_id = $tid;
COMMIT;" > /dev/null
[ "$REPEAT_BIG" -le 1 ] || cp "$rdb" rq.snap
prep_rpt() {
	if [ "$1" -gt 1 ]; then
		rm -f "$rdb-wal" "$rdb-shm"
		cp rq.snap "$rdb"
	fi
	find "$rq/spool/oftp/eerp.out" -maxdepth 1 -type f -delete 2>/dev/null || true
	"$T/rptbulk" "$rq/msg.p1" "$rq/spool/x400/reports" be "$first" "$step" "$REPORTS"
}
rpt_check() {
	_ne=$(ls "$rq/spool/oftp/eerp.out" | grep -c '^be[0-9a-f]*\.eerp$' || true)
	_nr=$(ls "$rq/spool/x400/reports" | grep -c '\.p1$' || true)
	_nf=$(find "$rq/spool/failed" -maxdepth 1 -type f 2>/dev/null | wc -l)
	_ns=$(sqlite3 "$rdb" "SELECT count(*) FROM trace WHERE state = 'eerp-sent'")
	[ "$_ne" -eq "$REPORTS" ] && [ "$_nr" -eq 0 ] && [ "$_nf" -eq 0 ] && [ "$_ns" -eq "$REPORTS" ] || {
		echo "bench: report2eerp: $_ne EERPs, $_ns rows eerp-sent for $REPORTS reports; $_nr left, $_nf failed:"
		tail -3 "$w/err"; cat "$rq"/spool/failed/*.why 2>/dev/null | head -3; exit 1; }
}
pt= kbmax=0 r=1
while [ $r -le "$REPEAT_BIG" ]; do
	prep_rpt $r
	run rpt "$B/report2eerp" -c "$rq/oxgate.ini" --spool
	rpt_check
	pt="$pt $secs"
	[ "$kb" -le "$kbmax" ] || kbmax=$kb
	r=$((r + 1))
done
stats $pt
kb=$kbmax
trow "report2eerp $REPORTS DNs, trace of $ROWS rows" "" "$REPORTS EERPs written"
one "  reports/s (of the median run)" "$(awk -v n="$REPORTS" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" "" "" ""
lite_rps=$(awk -v n="$REPORTS" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')

# The same on PostgreSQL: the purge of ROWS rows with the writer beside
# it, and report2eerp against a trace of ROWS rows made as above
pgd=$(mktemp -d /tmp/oxbpg.XXXXXX) && rmdir "$pgd"
OX_PG_FSYNC=on sh "$top/tests/pg.sh" start "$pgd" > /dev/null || { echo "bench: no PostgreSQL cluster"; exit 1; }
pgsql() { psql -X -q -At -v ON_ERROR_STOP=1 "$pgc" -c "$1"; }
pgc=$(sh "$top/tests/pg.sh" db "$pgd" small)
export OXGATE_TRACE_DATABASE="postgresql:$pgc"
reps small_pg "$REPEAT" prep_small "$B/oftp2x400" -c oxgate.ini --spool
pfps=$(awk -v n="$SMALL" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
trow "PostgreSQL: oftp2x400 $SMALL x 2 KB, batch" "" ""
r=$(ratio "$pfps" "$fps")
one "  files/s (of the median run)" "$pfps" "" "$r" ">= 0.5 of SQLite's $fps/s: $(verdict "$r" 0.5)"
[ "$(ls spool/x400/out | grep -c '\.p1$')" -eq "$SMALL" ] || { echo "bench: PostgreSQL: not all small files were converted"; exit 1; }
clear_out
pgc=$(sh "$top/tests/pg.sh" db "$pgd" purge)
export OXGATE_TRACE_DATABASE="postgresql:$pgc"
"$B/oxtrace" -c oxgate.ini migrate > /dev/null
prep_purge_pg() {
	pgsql "INSERT INTO trace (dir, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest, state, created, updated)
	    SELECT 'oftp2x400', 'OLD${1}X' || i, '20261122', '1000000001', 'O0013A', 'O0013B', 'received', 1000, 1000
	    FROM generate_series(1, $ROWS) i" > /dev/null
}
left_pg() { pgsql "SELECT count(*) FROM trace WHERE oftp_dsn LIKE 'OLD%'"; }
purge_runs "PostgreSQL: oxpurge $ROWS rows (archived)" "max <= 60 s" "$OXGATE_TRACE_DATABASE" prep_purge_pg left_pg
# report2eerp: the template trace copied (oxtrace migrate --to), the
# ROWS - 1 copies made by SQL as for SQLite
pgc=$(sh "$top/tests/pg.sh" db "$pgd" rpt)
export OXGATE_TRACE_DATABASE="postgresql:$pgc"
"$B/oxtrace" --db rq.template.db migrate --to "$OXGATE_TRACE_DATABASE" > /dev/null
pgsql "BEGIN;
INSERT INTO trace (id, dir, partner, oftp_dsn, oftp_date, oftp_time, oftp_orig, oftp_dest,
    mts_id, ipm_id, edim_id, eerp_mode, eerp_signed, dn_req, rn_req, state, created, updated,
    deadline, hash_alg, hash, in_file, out_file, ack_file, note, x400_orig, no_ndr)
  SELECT n.i, dir, partner, 'B' || lpad(n.i::text, 7, '0'), oftp_date, oftp_time, oftp_orig, oftp_dest,
    substr(mts_id, 1, strpos(mts_id, ';')) || 'be' || lpad(to_hex(n.i), 22, '0') || ']',
    substr(ipm_id, 1, strpos(ipm_id, ';')) || 'be' || lpad(to_hex(n.i), 22, '0'), edim_id,
    eerp_mode, eerp_signed, dn_req, rn_req, state, created, updated,
    deadline, hash_alg, hash, 'B' || lpad(n.i::text, 7, '0'), 'be' || lpad(to_hex(n.i), 22, '0') || '.p1',
    ack_file, note, x400_orig, no_ndr
  FROM generate_series($first, $((tid + ROWS - 1))) n(i), trace WHERE trace.id = $tid;
INSERT INTO trace_recipient (trace_id, seq, address, outcome, time, diag)
  SELECT n.i, seq, address, outcome, time, diag FROM generate_series($first, $((tid + ROWS - 1))) n(i),
    trace_recipient WHERE trace_id = $tid;
INSERT INTO trace_history (trace_id, time, state, note)
  SELECT n.i, time, state, note FROM generate_series($first, $((tid + ROWS - 1))) n(i), trace_history
    WHERE trace_id = $tid ORDER BY n.i, trace_history.id;
INSERT INTO trace_output (trace_id, seq, queue, tmp, name, time)
  SELECT n.i, seq, queue, 'be' || lpad(to_hex(n.i), 22, '0') || '.p1.' || lpad(to_hex(n.i), 16, '0'),
    'be' || lpad(to_hex(n.i), 22, '0') || '.p1', time
  FROM generate_series($first, $((tid + ROWS - 1))) n(i), trace_output WHERE trace_id = $tid;
SELECT setval(pg_get_serial_sequence('trace', 'id'), $((tid + ROWS)), false);
SELECT setval(pg_get_serial_sequence('trace_history', 'id'), (SELECT max(id) + 1 FROM trace_history), false);
COMMIT" > /dev/null
# a trace in its steady state, as autovacuum keeps one: not a table
# bulk-loaded a moment ago, whose first vacuum (and first visits, which
# set every row's hint bits) would fall into the measured run
pgsql "VACUUM ANALYZE" > /dev/null
rpt_check_pg() {
	_ne=$(ls "$rq/spool/oftp/eerp.out" | grep -c '^be[0-9a-f]*\.eerp$' || true)
	_ns=$(pgsql "SELECT count(*) FROM trace WHERE state = 'eerp-sent'")
	[ "$_ne" -eq "$REPORTS" ] && [ "$_ns" -eq "$REPORTS" ] || {
		echo "bench: report2eerp (PostgreSQL): $_ne EERPs, $_ns rows eerp-sent for $REPORTS reports"
		tail -3 "$w/err"; exit 1; }
}
prep_rpt_pg() {	# RUN: the run before checked, its rows converted again
	if [ "$1" -gt 1 ]; then
		rpt_check_pg
		pgsql "DELETE FROM trace_output WHERE queue = 'oftp/eerp.out';
		    UPDATE trace SET state = 'converted', ack_file = NULL WHERE state = 'eerp-sent';
		    UPDATE trace_recipient SET outcome = 'pending', time = NULL, diag = NULL
		    WHERE outcome <> 'pending'" > /dev/null
		pgsql "VACUUM ANALYZE" > /dev/null
	fi
	find "$rq/spool/oftp/eerp.out" -maxdepth 1 -type f -delete 2>/dev/null || true
	"$T/rptbulk" "$rq/msg.p1" "$rq/spool/x400/reports" be "$first" "$step" "$REPORTS"
}
reps rpt_pg "$REPEAT_BIG" prep_rpt_pg "$B/report2eerp" -c "$rq/oxgate.ini" --spool
rpt_check_pg
pg_rps=$(awk -v n="$REPORTS" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
trow "PostgreSQL: report2eerp $REPORTS DNs, $ROWS rows" "" "$REPORTS EERPs written"
r=$(ratio "$pg_rps" "$lite_rps")
one "  reports/s (of the median run)" "$pg_rps" "" "$r" ">= 0.5 of SQLite's $lite_rps/s: $(verdict "$r" 0.5)"
unset OXGATE_TRACE_DATABASE
# oxweb: 50 clients for 60 s against the trace of ROWS rows
if [ "$ONLY" != pg ]; then
. "$top/tests/bench_web.inc"
echo "u_peak_kib=$u_kb x2o_u_peak_kib=$x2o_kb"
fi
