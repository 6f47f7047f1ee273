# make install into a DESTDIR puts every program and man page in place;
# make uninstall removes them again.
. "$(dirname "$0")/lib.sh"
cd "$OX_TOP" || exit 1
st=$OX_TMP/stage
check install make -s install DESTDIR="$st" PREFIX=/usr
for p in bin/*.c; do
	p=$(basename "$p" .c)
	[ -x "$st/usr/bin/$p" ] && pass "installed_$p" || fail "installed_$p" "missing"
done
for m in man/*.[158]; do
	n=${m#man/}
	[ -f "$st/usr/share/man/man${n##*.}/$n" ] && pass "installed_$n" || fail "installed_$n" "missing"
done
check uninstall make -s uninstall DESTDIR="$st" PREFIX=/usr
left=$(find "$st" -type f | wc -l)
[ "$left" -eq 0 ] && pass uninstall_clean || fail uninstall_clean "$left files left"
