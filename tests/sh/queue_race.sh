#!/bin/sh
# queue_race - two processes racing over one queue of 1,000 items (pairs)
# process each item exactly once: one output each, one log line each,
# nothing left in the queue, in work/ or in the output queue's tmp/.
. "$(dirname "$0")/lib.sh"
Q=$OX_TMP/$T.q; O=$OX_TMP/$T.out; F=$OX_TMP/$T.failed; L=$OX_TMP/$T.log
N=1000
mkdir -p "$Q/tmp" "$O/tmp" "$F"
i=0
while [ $i -lt $N ]; do
	printf 'item %d\n' $i > "$Q/i$i"
	printf '[sfid]\ndsn=%d\n' $i > "$Q/i$i.sfid"
	i=$((i + 1))
done
start=$(date +%s)
"$OX_TOOLS/qdemo" -p --spool "$Q" --out "$O" --failed "$F" --log "$L" & p1=$!
"$OX_TOOLS/qdemo" -p --spool "$Q" --out "$O" --failed "$F" --log "$L" & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
end=$(date +%s)
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ]; then pass exit_status; else fail exit_status "exit $r1 and $r2"; fi
outs=$(ls "$O" | grep -c '\.out$')
lines=$(wc -l < "$L")
dups=$(cut -d' ' -f1 "$L" | sort | uniq -d | wc -l)
uniq=$(cut -d' ' -f1 "$L" | sort -u | wc -l)
if [ "$outs" -eq $N ]; then pass outputs; else fail outputs "$outs outputs for $N items"; fi
if [ "$lines" -eq $N ] && [ "$dups" -eq 0 ] && [ "$uniq" -eq $N ]; then
	pass exactly_once
else
	fail exactly_once "$lines log lines, $uniq items, $dups processed twice"
fi
bad=0
i=0
while [ $i -lt $N ]; do
	[ "$(cat "$O/i$i.out" 2>/dev/null)" = "out:item $i" ] || bad=$((bad + 1))
	i=$((i + 1))
done
if [ $bad -eq 0 ]; then pass contents; else fail contents "$bad outputs wrong"; fi
left=$(ls -A "$Q" "$Q/work" "$Q/tmp" "$O/tmp" "$F" | grep -cvE '^(tmp|work|)$|:$')
if [ "$left" -eq 0 ]; then pass clean; else fail clean "$left files left: $(ls -AR "$Q" "$F" | head -5 | tr '\n' ' ')"; fi
n1=$(grep -c " $p1\$" "$L"); n2=$(grep -c " $p2\$" "$L")
echo "# $N items in $((end - start)) s: process 1 did $n1, process 2 did $n2"
if [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; then pass both_worked; else fail both_worked "$n1 / $n2: no race took place"; fi
