# rfc2156: the RFC 2156 example table (tests/rfc2156/cases) through
# oxaddr(1), row by row; tests/unit/t_rfc2156.c runs the same rows
# through the library. Each result is checked against the row's expected
# value: exact, an O/R address compared in its std-or form ("OR:"), or an
# error whose message holds the text ("ERR:", exit 65, or 78 for check).
#
# Then every row a converter can carry goes through it, with the same
# tables, gateway address and domain, and must give oxaddr's answer
# (one code path, mixer; rfc2156_conv.inc):
#   toor    oftp2x400, MIME To -> the IPM heading's primary recipient
#           (an address that does not map: a free-form-name)
#   or1984  oftp2x400 for a P2 partnership (content = p2): the input as
#           the std-or local part of a MIME To (4.3.4 step 6), its
#           X.400(1984) form in the heading (none: the error logged,
#           the extension attributes or the CN left out)
#   ipmid   oftp2x400, MIME Message-ID -> this-IPM (one that does not
#           map: the gateway's own identifier, logged)
#   refid   oftp2x400, MIME References -> related-IPMs
#   to822   x4002oftp (mime = header), an IPM whose originator is the
#           input -> the From field
#   msgid   x4002oftp, this-IPM -> Message-ID
#   ref     x4002oftp, replied-to-IPM -> In-Reply-To
# No converter carries the other verbs, so those rows run through oxaddr
# and the library only: escape and unescape (3.4: the converters escape
# inside the mappings above, which use them), stdor and pn (the text
# forms of 4.1.2/4.1.3: partners.ini reads std-or through the same
# orname_parse, no conversion writes encoded-pn but to822's local part),
# resolve (4.4.1: a check on the tables, oxgate-mapping(5)) and check
# (loading the tables strictly: oxtrace --check-config, oftp2x400.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rfc2156_conv.inc"
A=$OX_ABIN/oxaddr
D=$OX_TOP/tests/rfc2156
TAB=$(printf '\t')
n=0
while IFS=$TAB read -r ref sect kind verb opts input want; do
	case $ref in '#'*|'') continue ;; esac
	n=$((n + 1))
	name="$n:$ref:$kind:$verb"
	map=$D gw=/C=us/A=MCI/P=relay/ icase=
	oldifs=$IFS; IFS=,
	for o in $opts; do
		case $o in
		map=*) map=$D/${o#map=} ;;
		gw=*) gw=${o#gw=} ;;
		icase) icase=1 ;;
		esac
	done
	IFS=$oldifs
	if [ "$verb" = check ]; then
		got=$("$A" -m "$map" --check 2>"$OX_TMP/err"); rc=$?; bad=78
	else
		got=$("$A" -m "$map" --gateway "$gw" --domain gw.example "$verb" "$input" 2>"$OX_TMP/err"); rc=$?; bad=65
	fi
	err=$(cat "$OX_TMP/err")
	conv_queue "$n" "$ref" "$verb" "$map" "$gw" "$input" "$rc" "$got" "$want"
	case $want in
	ERR:*)
		case $err in *"${want#ERR:}"*) ok=$rc ;; *) ok=x ;; esac
		if [ "$ok" = "$bad" ]; then pass "$name"; else fail "$name" "$input: exit $rc [$got] [$err], expected an error with [${want#ERR:}]"; fi
		continue ;;
	OR:*)
		want=$("$A" stdor "${want#OR:}" 2>&1)
		[ $rc -ne 0 ] || got=$("$A" stdor "$got" 2>&1) ;;
	esac
	if [ -n "$icase" ]; then
		g=$(printf '%s' "$got" | tr '[:upper:]' '[:lower:]')
		w=$(printf '%s' "$want" | tr '[:upper:]' '[:lower:]')
	else
		g=$got w=$want
	fi
	if [ $rc -eq 0 ] && [ "$g" = "$w" ]; then pass "$name"; else fail "$name" "$input: exit $rc [$got] $err, expected [$want]"; fi
done < "$D/cases"
[ "$n" -ge 100 ] && pass rows_read || fail rows_read "$n rows"
conv_run
