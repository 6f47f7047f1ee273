#!/bin/sh
# make demo: what a new user sees first. Grows into the full round trip
# (OFTP file -> X.400 -> delivery report -> EERP) as the converters land;
# today it shows the programs that exist and decodes a sample X.400 PDU.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$top/../shared" 2>/dev/null && pwd) || shared=
echo "== oxgate demo"
for p in "$top"/bin/*; do
	[ -x "$p" ] && [ -f "$p" ] || continue
	echo "--- $(basename "$p") --help"
	"$p" --help
done
if [ -n "$shared" ] && [ -f "$shared/fixtures/x400/dr.p1" ]; then
	echo "--- oxdump of a delivery report (built outside the project)"
	"$top/bin/oxdump" "$shared/fixtures/x400/dr.p1"
fi
echo "== demo done"
