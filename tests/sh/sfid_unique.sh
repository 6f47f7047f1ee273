# sfid_unique - no two OFTP files get the same identity (issue 18, item 3):
# many messages for one station with one fixed VDSN, converted within
# the same seconds by two x4002oftp at once, must all differ in SFIDDATE
# and SFIDTIME (DSN, originator and destination being equal), so that an
# EERP always finds its own transaction. The SFIDTIME counter starts from
# the MTS identifier's hash; two hashes meet in one second often enough
# (about N^2/2/9999 pairs per second), and the trace's unique key decides.
. "$(dirname "$0")/lib.sh"
d=$OX_TMP/sfidu
OXGATE_EXTRA=
. "$(dirname "$0")/edi_gw.inc"
# every file of rita under one VDSN
sed -i '/^\[rita\]/a vdsn = ONE.DSN' "$g/partners.ini"
# MTS local identifiers in groups of 10 whose SFIDTIME counters start
# equal (x4002oftp: 4 hex digits of a SHA-256 over the MTS identifier,
# mod 9999, plus 1): converted in the same second, each group collides
# unless the trace decides
python3 - "$d/ids" <<'PY'
import hashlib, sys, collections
g = collections.defaultdict(list)
for k in range(300000):
    loc = "u-%d" % k
    h = hashlib.sha256(("[DE*VIAT*OFTP;%s]" % loc).encode()).hexdigest()
    g[int(h[20:24], 16) % 9999 + 1].append(loc)
big = sorted(g.values(), key=len, reverse=True)[:3]
open(sys.argv[1], "w").write("".join(l + "\n" for grp in big for l in grp[:10]))
PY
N=$(wc -l < "$d/ids")
i=0
for loc in $(cat "$d/ids"); do
	"$EG" edim "$d/m$i.p1" "$loc" "$JOHN" "e-$i" "$d/ichg" "$RITA" || { fail gen "edimgen $i"; break; }
	i=$((i + 1))
done
# the converters start together, the messages arrive while they run
"$X" $C --watch 2>>"$g/log" & w1=$!
"$X" $C --watch 2>>"$g/log" & w2=$!
i=0
while [ $i -lt $N ]; do put "m$i.p1" "$d/m$i.p1"; i=$((i + 1)); done
t=0
while [ "$(ls "$oo" | grep -c '\.sfid$')" -lt $N ] && [ $t -lt 600 ]; do sleep 0.1; t=$((t + 1)); done
kill -TERM $w1 $w2; wait $w1 $w2
[ "$(ls "$oo" | grep -c '\.sfid$')" -eq $N ] && pass all_converted || fail all_converted "$(ls "$oo" | grep -c '\.sfid$') of $N"
ids=$(for f in "$oo"/*.sfid; do sed -n 's/^\(dsn\|date\|time\|orig\|dest\) *= *//p' "$f" | tr '\n' ' '; echo; done)
[ "$(printf '%s\n' "$ids" | sort -u | wc -l)" -eq $N ] && pass files_distinct ||
    fail files_distinct "$(printf '%s\n' "$ids" | sort | uniq -d | head -3)"
[ "$(printf '%s\n' "$ids" | cut -d' ' -f1 | sort -u)" = ONE.DSN ] && pass one_dsn || fail one_dsn "$(printf '%s\n' "$ids" | cut -d' ' -f1 | sort -u | head -3)"
o=$(q "SELECT count(*), count(DISTINCT oftp_date || oftp_time) FROM trace WHERE oftp_dsn = 'ONE.DSN' AND state = 'converted'")
[ "$o" = "$N|$N" ] && pass trace_identities_distinct || fail trace_identities_distinct "$o"
secs=$(printf '%s\n' "$ids" | cut -d' ' -f3 | cut -c1-6 | sort -u | wc -l)
echo "# $N files in $secs distinct seconds; $(grep -c 'deferred' "$g/log") deferrals"
# every file's identity leads back to its own message through the trace
bad=0
for f in "$oo"/*.sfid; do
	set -- $(sed -n 's/^\(date\|time\|mts-id\) *= *"*\([^"]*\)"*$/\2/p' "$f")
	[ "$(q "SELECT mts_id FROM trace WHERE oftp_dsn = 'ONE.DSN' AND oftp_date = '$1' AND oftp_time = '$2'")" = "$3" ] || bad=$((bad + 1))
done
[ $bad -eq 0 ] && pass identity_leads_to_its_message || fail identity_leads_to_its_message "$bad files"
grep -E 'ERROR|Sanitizer|runtime error' "$g/log" >/dev/null && fail no_sanitizer "$(grep -m2 -E 'ERROR|Sanitizer|runtime error' "$g/log")" || pass no_sanitizer
