#!/bin/sh
# make bench: benchmarks with ratios against a baseline measured in the
# same run. Today: the BER reader over a 100 MB OCTET STRING (oxdump)
# against cat of the same file. The converter cases are added with the
# converters (issue "Benchmarks").
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$((100 * 1024 * 1024))
# 04 84 <len> + n octets
printf '\004\204' > "$tmp/big.ber"
printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((n >> 24 & 255)) $((n >> 16 & 255)) $((n >> 8 & 255)) $((n & 255)))" >> "$tmp/big.ber"
head -c $n /dev/zero >> "$tmp/big.ber"
t0=$(date +%s.%N); cat "$tmp/big.ber" > "$tmp/out"; t1=$(date +%s.%N)
"$top/bin/oxdump" "$tmp/big.ber" > "$tmp/out"; t2=$(date +%s.%N)
echo "case                         seconds   MB/s   ratio-to-cat"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n=$n 'BEGIN {
	printf "cat 100 MB                   %7.3f %7.0f   1.00\n", b - a, n / 1048576 / (b - a);
	printf "oxdump 100 MB OCTET STRING   %7.3f %7.0f   %.2f\n", c - b, n / 1048576 / (c - b), (b - a) / (c - b) }'
