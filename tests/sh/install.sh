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
[ -f "$st/etc/cron.d/oxgate" ] && grep -q '^PATH=/usr/bin' "$st/etc/cron.d/oxgate" && pass installed_cron || fail installed_cron "$(ls -R "$st/etc")"
[ -f "$st/etc/oxgate/oxgate.ini" ] && [ -f "$st/etc/oxgate/partners.ini" ] && [ -f "$st/etc/oxgate/mapping/edi-partners" ] && pass installed_config || fail installed_config "$(ls -R "$st/etc")"
# an edited configuration is never overwritten
echo "; mine" >> "$st/etc/oxgate/oxgate.ini"
check install_again make -s install DESTDIR="$st" PREFIX=/usr
grep -q '; mine' "$st/etc/oxgate/oxgate.ini" && pass config_kept || fail config_kept "overwritten"
check uninstall make -s uninstall DESTDIR="$st" PREFIX=/usr
left=$(find "$st" -type f ! -path "$st/etc/oxgate/*" | wc -l)
[ "$left" -eq 0 ] && pass uninstall_clean || fail uninstall_clean "$(find "$st" -type f ! -path "$st/etc/oxgate/*")"
[ -f "$st/etc/oxgate/oxgate.ini" ] && pass uninstall_keeps_config || fail uninstall_keeps_config "config removed"
