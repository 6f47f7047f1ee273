#!/bin/sh
# tests/fuzz/campaign.sh - a libFuzzer campaign over every fuzz target.
#
#   sh tests/fuzz/campaign.sh [NAME...]
#
# Builds each tests/fuzz/fuzz_NAME.c with clang, -fsanitize=fuzzer,address,
# undefined, against the library sources (as the Makefile's fuzz target
# does), and runs it for FUZZ_SECONDS (default 60) on the corpus
# $B/fuzz/corpus/NAME, seeded from tests/fuzz/seeds/NAME. Crash, leak,
# timeout and out-of-memory inputs are kept in tests/fuzz/regress/NAME
# (replayed by make check). The library is compiled once (objects in
# $B/fuzz/obj, in parallel), each target linked against it; targets run
# one after another (FUZZ_JOBS > 1: that many libFuzzer jobs each). The last lines are a table: target,
# executions, corpus size (files), new crash inputs. The exit status is
# 1 when any target found something or did not build.
#
# Environment: B (build directory, default build), FUZZ_SECONDS,
# FUZZ_CC (default clang), FUZZ_FLAGS (extra libFuzzer flags, e.g.
# -max_len=65536), FUZZ_RSS (-rss_limit_mb, default 2048),
# FUZZ_TIMEOUT (-timeout per input, default 10).
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
B=${B:-build}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_RSS=${FUZZ_RSS:-2048}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
# the libraries: the Makefile's PKGS, the one list
PKGS=${PKGS:-$(sed -n 's/^PKGS[[:space:]]*:=[[:space:]]*//p' Makefile)}

command -v "$FUZZ_CC" >/dev/null || { echo "campaign: needs clang (apt-get install clang)"; exit 69; }
cflags=$(pkg-config --cflags $PKGS) || exit 69
libs="$(pkg-config --libs $PKGS) -liniparser"
lib_src=$(ls lib/*/*.c | sort)
if [ $# -gt 0 ]; then names=$*
else names=$(ls tests/fuzz/fuzz_*.c | sed 's,.*/fuzz_,,; s,\.c$,,' | sort); fi

mkdir -p "$B/fuzz/obj"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -DOX_VERSION=\"fuzz\" -Ilib -I/usr/include/iniparser $cflags"
export FUZZ_CC flags san B
echo "== build the library for fuzzing"
# shellcheck disable=SC2016
printf '%s\n' $lib_src | xargs -P "$(nproc)" -I{} sh -c '
	o=$B/fuzz/obj/$(echo "{}" | tr / _ | sed "s/\.c$/.o/")
	[ "$o" -nt "{}" ] && [ -z "$(find lib -name "*.h" -newer "$o")" ] && exit 0
	$FUZZ_CC $flags $san -fsanitize=fuzzer-no-link -c -o "$o" "{}"' || exit 1
objs=$(printf '%s\n' $lib_src | tr / _ | sed "s,^,$B/fuzz/obj/,; s/\.c$/.o/")
table=$B/fuzz/campaign.table
: > "$table"
bad=0
for f in $names; do
	bin=$B/fuzz/fuzz_$f
	log=$B/fuzz/fuzz_$f.log
	mkdir -p "$B/fuzz/corpus/$f" "tests/fuzz/regress/$f"
	echo "== build fuzz_$f"
	# shellcheck disable=SC2086
	if ! $FUZZ_CC $flags $san -fsanitize=fuzzer -o "$bin" \
	    "tests/fuzz/fuzz_$f.c" $objs $libs; then
		printf '%s\t%s\t%s\t%s\n' "$f" - - "build failed" >> "$table"
		bad=1
		continue
	fi
	[ -d "tests/fuzz/seeds/$f" ] && cp -n "tests/fuzz/seeds/$f"/* "$B/fuzz/corpus/$f/" 2>/dev/null
	before=$(ls "tests/fuzz/regress/$f" | wc -l)
	echo "== fuzz_$f for ${FUZZ_SECONDS}s"
	# -fork would survive crashes, but loses the stats: one run, stop at
	# the first finding (it is kept; run again to look further)
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    "$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
	    -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS" \
	    ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} \
	    -artifact_prefix="tests/fuzz/regress/$f/" \
	    $FUZZ_FLAGS "$B/fuzz/corpus/$f" > "$log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|==.*ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s += $1} END {print s + 0}')
	corpus=$(ls "$B/fuzz/corpus/$f" | wc -l)
	after=$(ls "tests/fuzz/regress/$f" | wc -l)
	crashes=$((after - before))
	[ $rc -ne 0 ] && [ $crashes -eq 0 ] && crashes="exit $rc"
	[ "$crashes" != 0 ] && bad=1
	printf '%s\t%s\t%s\t%s\n' "$f" "$execs" "$corpus" "$crashes" >> "$table"
done
echo
printf '%-10s %14s %8s %s\n' target executions corpus crashes
while IFS='	' read -r t e c x; do
	printf '%-10s %14s %8s %s\n' "$t" "$e" "$c" "$x"
done < "$table"
exit $bad
