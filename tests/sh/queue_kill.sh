#!/bin/sh
# queue_kill - a batch killed with SIGKILL at random points, at least 50
# times, while items keep arriving; after a last undisturbed run every
# item has exactly one output with the right content, the queue, its
# work/ and failed/ are empty, and no name but a complete output is
# visible in the output queue (leftovers of killed writers can only be in
# its tmp/, which nobody reads).
. "$(dirname "$0")/lib.sh"
Q=$OX_TMP/$T.q; O=$OX_TMP/$T.out; F=$OX_TMP/$T.failed; L=$OX_TMP/$T.log
KILLS=${QUEUE_KILLS:-60}
mkdir -p "$Q/tmp" "$O/tmp" "$F"
total=0
add() {	# add N more items, written as the spool contract says
	k=0
	while [ $k -lt "$1" ]; do
		printf 'item %d\n' $total > "$Q/tmp/i$total"
		mv "$Q/tmp/i$total" "$Q/i$total"
		printf '[sfid]\ndsn=%d\n' $total > "$Q/tmp/i$total.sfid"
		mv "$Q/tmp/i$total.sfid" "$Q/i$total.sfid"
		total=$((total + 1)); k=$((k + 1))
	done
}
rnd() {	# a random number in [0, $1)
	echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 ))
}
waitlog() {	# PID: until the log grows (at most 5 s) or PID ends
	_n=$(cat "$L" 2>/dev/null | wc -c) _w=0
	while [ "$(cat "$L" 2>/dev/null | wc -c)" -le "$_n" ] && [ $_w -lt 500 ] &&
	    kill -0 "$1" 2>/dev/null; do
		sleep 0.01; _w=$((_w + 1))
	done
}
run() {
	"$OX_TOOLS/qdemo" -p --spool "$Q" --out "$O" --failed "$F" --log "$L" "$@"
}
add 100
start=$(date +%s)
kills=0 rounds=0
# The pause before the kill is random in [0, max) ms. How long a run
# takes depends on the machine and its load, so max adapts per mode: a
# run that ended before the kill shrinks it by a third, a killed run
# widens it by 10 ms (at most 150). It settles where about half the runs
# are killed, at random points of their work, on fast and slow machines
# alike.
max0=150 max1=150
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $((KILLS * 4)) ]; do
	rounds=$((rounds + 1))
	# half the runs pause 1 ms in each item, half run flat out
	mode=$(rnd 2)
	eval "max=\$max$mode"
	# not through run(): $! must be qdemo itself, not a subshell
	"$OX_TOOLS/qdemo" -p --spool "$Q" --out "$O" --failed "$F" --log "$L" \
	    --sleep-ms "$mode" 2>>"$OX_TMP/$T.err" & pid=$!
	# under valgrind a run needs about a second to start: the random
	# pause begins when it has logged its first item
	[ -z "${OX_VALGRIND:-}" ] || waitlog $pid
	sleep "$(printf '0.%03d' "$(rnd "$max")")"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ $? -eq 137 ]; then
		kills=$((kills + 1)) max=$((max + 10))
		[ $max -le 150 ] || max=150
	else
		max=$((max * 2 / 3)); [ $max -ge 2 ] || max=2
	fi
	eval "max$mode=\$max"
	left=$(ls "$Q" | grep -c '\.sfid$')
	[ "$left" -lt 15 ] && add 25
done
if [ $kills -ge "$KILLS" ]; then pass kills; else fail kills "only $kills of $rounds runs were killed"; fi
dead=$(ls "$Q/work" | wc -l)
run 2>>"$OX_TMP/$T.err"; rc=$?
end=$(date +%s)
if [ $rc -eq 0 ]; then pass restart; else fail restart "exit $rc"; fi
echo "# $total items, $kills kills in $rounds runs ($dead dead claims left), $((end - start)) s; pause bounds at the end: $max0 ms flat out, $max1 ms with 1 ms per item"
outs=$(ls "$O" | grep -c '\.out$')
others=$(ls "$O" | grep -vc -e '\.out$' -e '^tmp$')
if [ "$outs" -eq $total ] && [ "$others" -eq 0 ]; then
	pass one_output_each
else
	fail one_output_each "$outs outputs, $others other names, for $total items"
fi
# every output says what its input said; every item is in the log
bad=$( (cd "$O" && grep -H '' ./*.out) | awk -F: -v n=$total '
	{ f = $1; sub(/^\.\/i/, "", f); sub(/\.out$/, "", f)
	  if ($2 != "out" || $3 != "item " f) bad++; seen[f]++ }
	END { for (i = 0; i < n; i++) if (seen[i] != 1) bad++; print bad + 0 }')
missing=$(cut -d' ' -f1 "$L" | sort -u | wc -l)
[ "$missing" -eq $total ] || bad=$((bad + total - missing))
if [ $bad -eq 0 ]; then pass contents; else fail contents "$bad outputs wrong or missing"; fi
left=$(ls -A "$Q" "$Q/work" "$Q/tmp" "$F" | grep -cvE '^(tmp|work|)$|:$')
if [ "$left" -eq 0 ]; then pass clean; else fail clean "$left left: $(ls -AR "$Q" "$F" | tr '\n' ' ' | cut -c1-200)"; fi
back=$(grep -c 'put back from' "$OX_TMP/$T.err")
done_half=$(grep -c 'finished moving' "$OX_TMP/$T.err")
echo "# $back items put back from the work directories of killed runs"
if [ "$back" -gt 0 ]; then pass kills_hit_claims; else fail kills_hit_claims "no kill hit a claimed item"; fi
redo=$(( $(wc -l < "$L") - total ))
echo "# $redo items redone after a kill; $(ls "$O/tmp" | wc -l) writer leftovers in $O/tmp"
