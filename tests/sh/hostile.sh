# Hostile inputs (issue 11): every file of tests/hostile/ (and the large
# ones tests/hostile/gen.py makes at run time) goes to the program that
# reads its kind of input, through a real spool with --spool, and to every
# other converter as well; oxdump reads every file, oxaddr every text
# file. Each run is bounded (timeout 30 s); it must exit with a sysexits
# code, say nothing under ASan/UBSan, leave nothing in a tmp/ or work/
# directory nor in its input queue, and end as the README table says:
# in spool/failed/ with a .why naming the problem (and no output but the
# documented NERP / NDR), or converted with the hostile part sanitised.
# The slowest run is printed.
. "$(dirname "$0")/lib.sh"
H=${OX_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/hostile
d=$OX_TMP/hostile
mkdir -p "$d/big" "$d/nomap"
touch "$d/start"
command -v python3 >/dev/null || fail python3 "python3 needed to make the large inputs"
python3 "$H/gen.py" big "$H" "$d/big" || fail gen_big "gen.py big"
V=O0177000000000X0LU
RITA=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Receiver/G=Rita/
SAM=/C=DE/A=VIAT/P=OFTP/O=Gateway/S=Sender/G=Sam/
RITA_STD=/G=Rita/S=Receiver/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/
SAM_STD=/G=Sam/S=Sender/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/
EDIU=/S=EDI/O=Gateway/PRMD=OFTP/ADMD=VIAT/C=DE/

# the expected outcomes: "FILE PROGRAM EXPECTED..." from the README table
exp=$d/expected
sed -n 's/^| `\([^`]*\)`[^|]* | \([a-z0-9]*\) | [^|]* | \(.*\) |$/\1 \2 \3/p' "$H/README.md" > "$exp"
[ "$(wc -l < "$exp")" -ge 25 ] && pass readme_table || fail readme_table "$(wc -l < "$exp") rows"
# every file has a row, every row a file
for f in "$H"/*.sfid "$H"/*.payload "$H"/*.p1 "$H"/*.eerp "$H"/*.nerp "$H"/*.txt "$d"/big/*; do
	b=${f##*/}
	case $b in *.payload) [ -f "$H/${b%.payload}.sfid" ] && continue ;; esac
	grep -q "^$b " "$exp" || fail "row_$b" "no row in README.md"
done
while read -r b p rest; do
	[ -f "$H/$b" ] || [ -f "$d/big/$b" ] || fail "file_$b" "README names a missing file"
done < "$exp"

# one gateway per program (spools of their own), all partnerships in each
mkg() {	# DIR
	mkdir -p "$1/spool/oftp/in/tmp" "$1/spool/x400/in/tmp" "$1/spool/x400/reports/tmp" "$1/spool/oftp/eerp.in/tmp"
	printf '[spool]\nroot = spool\n[oftp]\nmax-file-size = 8M\n' > "$1/oxgate.ini"
	cat > "$1/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
[mime]
odette = O0013MIME
userid = 000060
x400 = /O=Mime/P=MIME/A=DBP/C=DE/
mime = header
eerp = 2
[p]
odette = O0013RITA
userid = 000044
x400 = $SAM
local = $RITA
mime = header
[xfer]
odette = O0013XFER
userid = 000099
x400 = /O=Xfer/P=XFER/A=DBP/C=DE/
mode = transfer
INI
}
for p in oftp2x400 x4002oftp report2eerp eerp2report; do mkg "$d/$p"; done
# the transactions the reports and responses answer (rptgen rows)
"$OX_TOOLS/rptgen" row "$d/report2eerp/spool/trace.db" oftp2x400 mime HOSTILE 20261122 1000000001 O0013MIME ${V}000060 \
    "[DE*VIAT*OFTP;hostile-rpt]" "$SAM_STD;gen-multi" "$EDIU;hostile-edim" 2 0 1 1 "$RITA_STD" >/dev/null &&
"$OX_TOOLS/rptgen" row "$d/eerp2report/spool/trace.db" x4002oftp xfer HOSTILE 20261122 1000000001 ${V}000099 O0013XFER \
    "[DE*VIAT*OFTP;m-hostile]" "$SAM_STD;ipm-hostile" - 0 0 1 1 "/DD.ODETTEID=O0013XFER/PRMD=OFTP/ADMD=VIAT/C=DE/" >/dev/null ||
    fail rows "rptgen row"

n=0
slow=0; slowname=
crashed() { grep -qE 'AddressSanitizer|LeakSanitizer|runtime error|Segmentation|Aborted' "$1"; }
# go NAME CMD...: run CMD bounded, its status in $rc; note the slowest;
# a crash, a hang or a status outside sysexits fails NAME
go() {
	_n=$1; shift
	_t0=$(date +%s%N)
	timeout 30 "$@" >"$d/out" 2>"$d/err"; rc=$?
	_ms=$(( ($(date +%s%N) - _t0) / 1000000 ))
	[ "$_ms" -gt "$slow" ] && { slow=$_ms; slowname=$_n; }
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then fail "$_n" "hung (killed after 30 s)"; return 1
	elif crashed "$d/err"; then fail "$_n" "$(grep -m3 -E 'Sanitizer|runtime error|SUMMARY' "$d/err" | tr '\n' '|')"; return 1
	elif [ $rc -ne 0 ] && { [ $rc -lt 64 ] || [ $rc -gt 78 ]; }; then fail "$_n" "status $rc: $(tail -2 "$d/err" | tr '\n' '|')"; return 1
	fi
	return 0
}
# clean G ITEM QUEUE: nothing in a tmp/ or work/ directory, the item not
# left in its queue
clean() {
	_o=$(cd "$1" && find spool \( -path '*/tmp/*' -o -path '*/work/*' \) -type f | head -3)
	[ -z "$_o" ] || { echo "half-written: $_o"; return 1; }
	[ ! -e "$1/spool/$3/$2" ] || { echo "still in $3/"; return 1; }
}
# news G: the files of the output queues not seen before (kept in G/seen)
news() {
	(cd "$1/spool" && find oftp/out oftp/eerp.out x400/out x400/reports -maxdepth 1 -type f 2>/dev/null | sort) > "$1/now"
	touch "$1/seen"
	comm -13 "$1/seen" "$1/now"
	cp "$1/now" "$1/seen"
}

# put the item into G's queue for PROGRAM; an OFTP file gets its .sfid
# (the file's own, or one for the partnership its name says)
put() {	# G PROGRAM ITEM FILE [SFID]
	case $2 in
	oftp2x400)
		q=$1/spool/oftp/in; cp "$4" "$q/tmp/$3"; mv "$q/tmp/$3" "$q/$3"
		n=$((n + 1))
		if [ -n "${5:-}" ]; then cp "$5" "$q/tmp/$3.sfid"
		else
			case $3 in mime-*) u=000060 o=O0013MIME x= ;;
			cms-*) u=000042 o=O0013ACMEGMBH x='sec = 00\nciph = 00\ncomp = 1\nenv = 1\n' ;;
			*) u=000060 o=O0013MIME x= ;; esac
			printf "[sfid]\ndsn = H%05d\ndate = 20261122\ntime = 11%06d01\ndest = %s%s\norig = %s\nformat = U\n$x" \
			    $n $n "$V" $u $o > "$q/tmp/$3.sfid"
		fi
		mv "$q/tmp/$3.sfid" "$q/$3.sfid" ;;
	x4002oftp) q=$1/spool/x400/in; cp "$4" "$q/tmp/$3"; mv "$q/tmp/$3" "$q/$3" ;;
	report2eerp) q=$1/spool/x400/reports; cp "$4" "$q/tmp/$3"; mv "$q/tmp/$3" "$q/$3" ;;
	eerp2report) q=$1/spool/oftp/eerp.in; cp "$4" "$q/tmp/$3"; mv "$q/tmp/$3" "$q/$3" ;;
	esac
}
queue() { case $1 in oftp2x400) echo oftp/in ;; x4002oftp) echo x400/in ;; report2eerp) echo x400/reports ;; eerp2report) echo oftp/eerp.in ;; esac; }
nerp_of() {	# G NEWS: the reason of the NERP among the new files
	for _f in $2; do case $_f in *.nerp) dd if="$1/spool/$_f" bs=1 skip=126 count=2 2>/dev/null ;; esac; done
}

# the outcome checks named in the README table (G NEWS: the gateway, the
# new files of its output queues); they print what is wrong
escaped() {	# a file named after the attack anywhere outside the spools
	_e=$({ find "$d" \( -iname '*oxevil*' -o -name passwd -o -name 'evil*' \)
	    find /tmp -maxdepth 2 -newer "$d/start" \( -iname '*oxevil*' -o -name passwd -o -name 'evil*' \); } 2>/dev/null |
	    grep -v "^$d/[a-z0-9]*/spool/\(failed\|x400/out\|oftp/out\)/" | head -3)
	[ -z "$_e" ] || { echo "escaped: $_e"; return 1; }
}
p1of() { for _f in $2; do case $_f in x400/out/*.p1) echo "$1/spool/$_f" ;; esac; done; }
payload() { for _f in $2; do case $_f in oftp/out/*.sfid) ;; oftp/out/*) cat "$1/spool/$_f" ;; esac; done; }
sfidof() { for _f in $2; do case $_f in oftp/out/*.sfid) echo "$1/spool/$_f" ;; esac; done; }
p1conv() {	# one P1 that x400check accepts; its oxdump in $dump
	_p=$(p1of "$@")
	[ -n "$_p" ] && [ "$(printf '%s\n' "$_p" | wc -l)" -eq 1 ] || { echo "not one P1: $2"; return 1; }
	escaped || return 1
	"$OX_SHARED/tools/x400check" -q p1 "$_p" >/dev/null 2>&1 || { echo "x400check: $("$OX_SHARED/tools/x400check" -q p1 "$_p" 2>&1 | tail -2)"; return 1; }
	dump=$("$OX_ABIN/oxdump" "$_p" 2>&1)	# 65 for junk inside an FTBP
	return 0
}
oconv() {	# one OFTP file whose .sfid oxdump reads
	_s=$(sfidof "$@")
	[ -n "$_s" ] && [ -f "${_s%.sfid}" ] || { echo "no OFTP file: $2"; return 1; }
	escaped || return 1
	"$OX_ABIN/oxdump" "$_s" > "$d/sfdump" 2>&1 || { echo "oxdump .sfid: $(tail -2 "$d/sfdump")"; return 1; }
}
chk_dsn() {
	p1conv "$@" || return 1
	case $2 in *OXEVIL*|*..*) echo "output named after the DSN: $2"; return 1 ;; esac
	case $dump in *"subject: ../../../TMP/OXEVIL"*) ;; *) echo "no DSN subject: $dump"; return 1 ;; esac
}
chk_p1safe() {
	p1conv "$@" || return 1
	_h=$(printf '%s\n' "$dump" | grep 'pathname:')
	case $_h in *'/'*|*': .'|*': ..') echo "unsafe: $_h"; return 1 ;; esac
	case $_i in *rfc2231*) case $_h in *': passwd') ;; *) echo "pathname: '$_h'"; return 1 ;; esac ;; esac
	case $_i in *smime*) case $dump in *'document-type: 1.2.840.113549.1.9.16.1.6'*) ;; *) echo "no CMS FTBP: $dump"; return 1 ;; esac ;; esac
	[ "$(printf '%s\n' "$_h" | sed 's/.*pathname: //' | awk '{ print length($0) }' | sort -n | tail -1)" -le 255 ] || { echo "pathname too long: $_h"; return 1; }
}
chk_raw() {
	p1conv "$@" || return 1
	_sz=$(wc -c < "$_f")
	[ "$(printf '%s\n' "$dump" | grep -c -- '- type:')" -eq 1 ] &&
	    printf '%s\n' "$dump" | grep -q -- '- type: bilaterally-defined' &&
	    printf '%s\n' "$dump" | grep -q "^ *size: $_sz\$" || { echo "not one BP14 of $_sz octets: $(printf '%s\n' "$dump" | grep -A1 'type:')"; return 1; }
}
chk_filename() {
	oconv "$@" || return 1
	_h=$(payload "$@" | tr -d '\r' | grep -i 'filename')
	[ "$(printf '%s\n' "$_h" | grep -c .)" -eq 2 ] || { echo "not two filenames: $_h"; return 1; }
	case $_h in *'/'*|*'\'*|*'="."'*|*'=".."'*|*'=.'|*'=..'|*'=..;'*) echo "unsafe: $_h"; return 1 ;; esac
}
chk_header() {
	oconv "$@" || return 1
	_h=$(payload "$@" | tr -d '\r' | sed -n '/^$/q;p')
	printf '%s\n' "$_h" | grep -qi '^bcc:' && { echo "header injected: $_h"; return 1; }
	[ "$(printf '%s\n' "$_h" | grep -c '^Subject: x  Bcc: evil@example.com ')" -eq 1 ] || { echo "subject: $_h"; return 1; }
	LC_ALL=C grep -q "$(printf '[\001-\010\013-\037]')" "$(sfidof "$@")" && { echo "control in .sfid"; return 1; }
	return 0
}
chk_quotes() {
	oconv "$@" || return 1
	grep -q "^desc *= *\"Bob's 'big' order\"\$" "$(sfidof "$@")" || { echo "desc: $(grep desc "$(sfidof "$@")")"; return 1; }
}
chk_sfidok() { oconv "$@"; }
chk_ndr() {
	p1conv "$@" || return 1
	_s=$("$OX_SHARED/tools/x400check" p1 "$(p1of "$@")" 2>&1 | grep 'supplementary-information')
	case $dump in *non-delivery-reason-code*) ;; *) echo "no NDR: $dump"; return 1 ;; esac
	case $_s in *"OFTP NERP 16 from O0013XFER: Fehler: Datei zu gro"*) ;; *) echo "supplementary-information: $_s"; return 1 ;; esac
}

# outcome NAME G PROGRAM ITEM FILE EXPECTED: the outcome of the last run
outcome() {
	_t=$1 _g=$2 _p=$3 _i=$4 _f=$5 _e=$6
	_new=$(news "$_g" | tr '\n' ' ')
	_w=$(clean "$_g" "$_i" "$(queue "$_p")") || { fail "$_t" "$_w"; return; }
	case $_e in
	failed:*)
		_k=${_e#failed: }; _k=${_k% ; NERP *}
		if [ ! -f "$_g/spool/failed/$_i" ]; then fail "$_t" "not in failed/ (new: $_new) $(tail -2 "$d/err" | tr '\n' '|')"; return; fi
		grep -qiF -- "$_k" "$_g/spool/failed/$_i.why" || { fail "$_t" "no '$_k' in the .why: $(head -c 300 "$_g/spool/failed/$_i.why")"; return; }
		case $_e in *' ; NERP '*)
			_r=${_e##* NERP }
			[ "$(nerp_of "$_g" "$_new")" = "$_r" ] || { fail "$_t" "NERP '$(nerp_of "$_g" "$_new")', want $_r"; return; }
			_new=$(printf '%s\n' $_new | grep -v '^oftp/eerp.out/.*\.nerp$' | tr '\n' ' ') ;;
		esac
		for _o in $_new; do	# an NDR is the documented answer
			case $_o in x400/out/*.p1) "$OX_ABIN/oxdump" "$_g/spool/$_o" 2>/dev/null | grep -q 'non-delivery-reason-code' && continue ;; esac
			fail "$_t" "output for a refused input: $_o"; return
		done
		pass "$_t" ;;
	*)
		_w=$("chk_$_e" "$_g" "$_new") && pass "$_t" || fail "$_t" "$_w" ;;
	esac
}

# ---- 1. each file to its program, one run each
while read -r b p e; do
	f=$H/$b; [ -f "$f" ] || f=$d/big/$b
	g=$d/$p
	case $p in
	oxaddr)
		for c in toor to822; do
			go "oxaddr_${c}_$b" "$OX_ABIN/oxaddr" -m "$d/nomap" "$c" < "$f" || continue
			if [ $rc -eq 65 ] && grep -qiF -- "${e#warning: }" "$d/err"; then pass "oxaddr_${c}_$b"
			else fail "oxaddr_${c}_$b" "status $rc: $(head -c 300 "$d/err")"; fi
		done
		# an escape above 127 is an error naming its offset (RFC 2156
		# 3.4, issue 20): 65 then; output line N still belongs to line N
		go "oxaddr_unescape_$b" "$OX_ABIN/oxaddr" -m "$d/nomap" unescape < "$f" &&
		if { [ $rc -eq 0 ] || { [ $rc -eq 65 ] && grep -q 'offset [0-9]*: .* above 127' "$d/err"; }; } &&
		    [ "$(wc -l < "$d/out")" -eq "$(wc -l < "$f")" ]; then pass "oxaddr_unescape_$b"
		else fail "oxaddr_unescape_$b" "status $rc, $(wc -l < "$d/out") lines: $(head -c 300 "$d/err")"; fi
		continue ;;
	esac
	case $b in
	*.sfid) s=$f; pl=$H/${b%.sfid}.payload; [ -f "$pl" ] || { printf 'hello\r\n' > "$d/hello"; pl=$d/hello; } ;;
	*) s=; pl=$f ;;
	esac
	news "$g" >/dev/null
	put "$g" "$p" "$b" "$pl" "$s"
	go "${p}_$b" "$OX_ABIN/$p" -c "$g/oxgate.ini" --spool && outcome "${p}_$b" "$g" "$p" "$b" "$pl" "$e"
	cat "$d/err" >> "$g/log"
done < "$exp"

# ---- 2. every file to the other converters, a batch each: a clean
# refusal (x4002oftp forwards the reports it can decode); any octets are
# an OFTP file, so oftp2x400 (the MIME partnership) converts them, or
# refuses them with NERP 34 when they look like MIME and are not
set -- "$H"/*.sfid "$H"/*.payload "$H"/*.p1 "$H"/*.eerp "$H"/*.nerp "$H"/*.txt "$d"/big/*
for p in oftp2x400 x4002oftp report2eerp eerp2report; do
	g=$d/$p; news "$g" >/dev/null; items=
	for f in "$@"; do
		b=${f##*/}
		case $p:$b in
		oftp2x400:*.sfid|oftp2x400:*.payload|eerp2report:*.eerp|eerp2report:*.nerp) continue ;;
		x4002oftp:rpt-*|x4002oftp:ipn-*|x4002oftp:edin-*) ;;
		report2eerp:rpt-*|report2eerp:ipn-*|report2eerp:edin-*|x4002oftp:*.p1) continue ;;
		esac
		put "$g" "$p" "w-$b" "$f"; items="$items w-$b"
	done
	go "wrong_$p" "$OX_ABIN/$p" -c "$g/oxgate.ini" --spool || continue
	cat "$d/err" >> "$g/log"
	bad=; nf=0; nc=0
	for i in $items; do
		w=$(clean "$g" "$i" "$(queue "$p")") || { bad="$bad $i: $w;"; continue; }
		if [ -f "$g/spool/failed/$i" ]; then
			nf=$((nf + 1))
			case $p in
			x4002oftp|report2eerp) grep -qE 'P1|P22|P35|IPM' "$g/spool/failed/$i.why" ;;
			eerp2report) grep -q 'malformed EERP/NERP' "$g/spool/failed/$i.why" ;;
			oftp2x400) grep -q 'NERP 34' "$g/spool/failed/$i.why" ;;
			esac || bad="$bad $i: $(sed -n 's/^reason: //p' "$g/spool/failed/$i.why" | head -c 150);"
		elif [ $p = x4002oftp ] && [ -f "$g/spool/x400/reports/$i" ]; then nc=$((nc + 1))
		elif [ $p = oftp2x400 ]; then nc=$((nc + 1))
		else bad="$bad $i: neither refused nor forwarded;"
		fi
	done
	[ $p = oftp2x400 ] && [ "$(news "$g" | grep -c '^x400/out/')" -ne $nc ] && bad="$bad $nc converted, other outputs: $(news "$g" | tr '\n' ' ');"
	[ -z "$bad" ] && pass "wrong_${p}_${nf}_refused_${nc}_converted" || fail "wrong_${p}_refused" "$bad"
done

# ---- 3. oxdump reads every file: 0 (and valid JSON with --json), or 65
# with the problem said
for f in "$@"; do
	b=${f##*/}
	go "oxdump_$b" "$OX_ABIN/oxdump" "$f" || continue
	if [ $rc -eq 0 ] || { [ $rc -eq 65 ] && [ -s "$d/err" ]; }; then pass "oxdump_$b"
	else fail "oxdump_$b" "status $rc: $(head -c 200 "$d/err")"; continue; fi
	[ $rc -eq 0 ] || continue
	# what it read, as JSON: valid whatever the strings hold
	go "oxdump_json_$b" "$OX_ABIN/oxdump" --json "$f" || continue
	python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$d/out" 2>"$d/jerr" &&
	    pass "oxdump_json_$b" || fail "oxdump_json_$b" "status $rc: $(tail -1 "$d/jerr")"
done
# ---- 4. oxaddr reads every text file line by line
for f in "$H"/*.sfid "$H"/*.payload "$d"/big/*.payload "$d"/big/*.sfid; do
	b=${f##*/}
	go "oxaddr_$b" "$OX_ABIN/oxaddr" -m "$d/nomap" toor < "$f" || continue
	[ $rc -eq 0 ] || [ $rc -eq 65 ] && pass "oxaddr_$b" || fail "oxaddr_$b" "status $rc"
done
echo "    $T: attacks: $(awk '{ n[$2]++ } END { for (p in n) printf "%s %d, ", p, n[p] }' "$exp")slowest run: $slowname, $slow ms"
