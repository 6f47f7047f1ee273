# rfc2156: the RFC 2156 example table (tests/rfc2156/cases) through
# oxaddr(1), row by row; tests/unit/t_rfc2156.c runs the same rows
# through the library. Each result is checked against the row's expected
# value: exact, an O/R address compared in its std-or form ("OR:"), or an
# error whose message holds the text ("ERR:", exit 65, or 78 for check).
. "$(dirname "$0")/lib.sh"
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
