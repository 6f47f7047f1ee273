# Every man page is clean under mandoc -Tlint and has the sections a
# reader looks for; every program has a page.
. "$(dirname "$0")/lib.sh"
cd "$OX_TOP" || exit 1
for m in man/*.[1578]; do
	n=${m#man/}
	check "lint_$n" sh -c "o=\$(mandoc -Tlint -Wwarning '$m' 2>&1); [ -z \"\$o\" ] || { echo \"\$o\"; exit 1; }"
	for s in FILES EXAMPLES 'SEE ALSO'; do
		t=$(echo "${n}_has_$s" | tr ' ' _)
		if grep -q "^\.Sh $s\$" "$m"; then pass "$t"; else fail "$t" "no .Sh $s"; fi
	done
	case $n in *.[57]) ;; *)
		if grep -q '^\.Sh EXIT STATUS$' "$m"; then pass "${n}_has_EXIT_STATUS"; else fail "${n}_has_EXIT_STATUS" "no .Sh EXIT STATUS"; fi ;;
	esac
done
for p in bin/*.c; do
	p=${p#bin/}; p=${p%.c}
	if ls man/"$p".[18] >/dev/null 2>&1; then pass "page_for_$p"; else fail "page_for_$p" "no man/$p.1 or man/$p.8"; fi
done
