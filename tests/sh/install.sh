# make install into a DESTDIR puts the whole tree in place: programs, man
# pages, the systemd unit, the cron file, sample configuration and the
# spool tree with its modes. A second install keeps an edited
# configuration; make uninstall leaves only configuration and spool.
# (A DESTDIR install never creates users or changes owners, even as root.)
. "$(dirname "$0")/lib.sh"
cd "$OX_TOP" || exit 1
st=$OX_TMP/stage
unit=$st/lib/systemd/system/oxgate@.service
spool=$st/var/spool/oxgate
users_before=$(getent passwd | wc -l)
check install make -s install DESTDIR="$st" PREFIX=/usr

# programs: every bin/*.c
for p in bin/*.c; do
	p=$(basename "$p" .c)
	[ -f "$st/usr/bin/$p" ] && [ "$(stat -c %a "$st/usr/bin/$p")" = 755 ] &&
	    pass "installed_$p" || fail "installed_$p" "missing or not 755"
done
# man pages, each in the section its name says
n=0
for m in man/*.[1578]; do
	b=${m#man/}; n=$((n + 1))
	[ -f "$st/usr/share/man/man${b##*.}/$b" ] && pass "installed_$b" || fail "installed_$b" "missing"
done
[ "$n" -gt 0 ] && [ "$(find "$st/usr/share/man" -type f | wc -l)" -eq "$n" ] &&
    pass man_sections || fail man_sections "$(find "$st/usr/share/man" -type f)"

# the systemd template unit, paths substituted
if [ -f "$unit" ] && [ "$(stat -c %a "$unit")" = 644 ] &&
    ! grep -qE '@(BINDIR|SPOOLDIR)@' "$unit" && grep -qx 'ExecStart=/usr/bin/%i --watch' "$unit" &&
    grep -qx 'ReadWritePaths=/var/spool/oxgate' "$unit"; then
	pass installed_unit
else
	fail installed_unit "$(ls -lR "$st/lib" 2>&1 | tr '\n' '|')"
fi
# its keys (a missing or misspelt option would fail open, so check each)
keys_ok=1
for k in 'User=oxgate' 'Group=oxgate' 'Restart=on-failure' 'KillSignal=SIGTERM' \
    'ExecReload=/bin/kill -HUP $MAINPID' 'ProtectSystem=strict' 'ProtectHome=yes' \
    'PrivateTmp=yes' 'PrivateDevices=yes' 'NoNewPrivileges=yes' \
    'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectControlGroups=yes' \
    'RestrictAddressFamilies=AF_UNIX' 'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' \
    'RestrictRealtime=yes' 'SystemCallArchitectures=native' 'UMask=0027' \
    'WantedBy=multi-user.target'; do
	grep -qxF "$k" "$unit" || { keys_ok=0; fail "unit_key" "no line '$k'"; }
done
[ $keys_ok = 1 ] && pass unit_keys
# systemd's own verdict, where systemd is installed: no warning at all for
# each instance (ExecStart pointed at the staged program, which must exist)
# and an exposure score of at most 2.0 ("SAFE"/"OK").
if command -v systemd-analyze >/dev/null 2>&1; then
	vd=$OX_TMP/unitcheck; mkdir -p "$vd"
	sed "s|^ExecStart=/usr/bin/|ExecStart=$st/usr/bin/|" "$unit" > "$vd/oxgate@.service"
	for i in oftp2x400 x4002oftp report2eerp eerp2report; do
		o=$(systemd-analyze verify --man=no "$vd/oxgate@$i.service" 2>&1)
		[ $? -eq 0 ] && [ -z "$o" ] && pass "unit_verify_$i" ||
		    fail "unit_verify_$i" "$(printf '%s' "$o" | tr '\n' '|')"
	done
	o=$(systemd-analyze security --offline=yes --threshold=20 "$vd/oxgate@oftp2x400.service" 2>&1) &&
	    pass unit_exposure || fail unit_exposure "$(printf '%s' "$o" | grep -E 'Overall|✗' | tr '\n' '|')"
else
	pass unit_verify_skipped	# no systemd-analyze: the key checks above stand
fi

# oxweb's unit: substituted, the same hardening, TCP allowed (oxweb(8))
wu=$st/lib/systemd/system/oxweb.service
if [ -f "$wu" ] && [ "$(stat -c %a "$wu")" = 644 ] && ! grep -qE '@(BINDIR|SPOOLDIR)@' "$wu" &&
    grep -qx 'ExecStart=/usr/bin/oxweb' "$wu" && grep -qx 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' "$wu" &&
    ! grep -q '^PrivateNetwork' "$wu"; then
	pass installed_oxweb_unit
else
	fail installed_oxweb_unit "$(ls -l "$st/lib/systemd/system" 2>&1 | tr '\n' '|')"
fi
keys_ok=1
for k in 'User=oxgate' 'ProtectSystem=strict' 'ReadWritePaths=/var/spool/oxgate' 'NoNewPrivileges=yes' \
    'PrivateTmp=yes' 'PrivateDevices=yes' 'MemoryDenyWriteExecute=yes' 'CapabilityBoundingSet=' \
    'SystemCallFilter=@system-service' 'RestartPreventExitStatus=64 78'; do
	grep -qxF "$k" "$wu" || { keys_ok=0; fail oxweb_unit_key "no line '$k'"; }
done
[ $keys_ok = 1 ] && pass oxweb_unit_keys
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|^ExecStart=/usr/bin/|ExecStart=$st/usr/bin/|" "$wu" > "$vd/oxweb.service"
	o=$(systemd-analyze verify --man=no "$vd/oxweb.service" 2>&1)
	[ $? -eq 0 ] && [ -z "$o" ] && pass oxweb_unit_verify || fail oxweb_unit_verify "$(printf '%s' "$o" | tr '\n' '|')"
fi

# cron file with the installed path; configuration with the installed paths
[ -f "$st/etc/cron.d/oxgate" ] && grep -q '^PATH=/usr/bin' "$st/etc/cron.d/oxgate" &&
    pass installed_cron || fail installed_cron "$(ls -R "$st/etc")"
cfg_ok=1
for f in oxgate.ini partners.ini; do
	[ -f "$st/etc/oxgate/$f" ] && [ "$(stat -c %a "$st/etc/oxgate/$f")" = 640 ] || cfg_ok=0
done
for f in etc/mapping/*; do [ -f "$st/etc/oxgate/mapping/${f##*/}" ] || cfg_ok=0; done
[ "$(stat -c %a "$st/etc/oxgate")" = 750 ] || cfg_ok=0
grep -qx 'root = /var/spool/oxgate' "$st/etc/oxgate/oxgate.ini" || cfg_ok=0
[ $cfg_ok = 1 ] && pass installed_config || fail installed_config "$(ls -lR "$st/etc" | tr '\n' '|')"

# the spool tree: every queue of lib/spool/spool.c and its tmp/, with its mode
queues=$(sed -n 's/^\t\[SPOOL_[A-Z0-9_]*\] = "\([^"]*\)",$/\1/p' lib/spool/spool.c)
[ "$(echo "$queues" | wc -w)" -eq 10 ] && pass spool_queue_list || fail spool_queue_list "$queues"
modes() { stat -c %a "$1" 2>/dev/null || echo missing; }
sp_ok=1
for d in "" /oftp /x400; do
	[ "$(modes "$spool$d")" = 750 ] || { sp_ok=0; fail "spool_mode" "$spool$d $(modes "$spool$d")"; }
done
for q in $queues; do
	case $q in failed|overflow|archive) want=750 ;; *) want=2770 ;; esac
	for d in "$spool/$q" "$spool/$q/tmp"; do
		[ "$(modes "$d")" = $want ] || { sp_ok=0; fail spool_mode "$d: $(modes "$d"), want $want"; }
	done
done
[ $sp_ok = 1 ] && pass spool_tree
nd=$(find "$spool" -type d | wc -l)
[ "$nd" -eq 23 ] && pass spool_nothing_else || fail spool_nothing_else "$(find "$spool" | tr '\n' ' ')"
[ "$(getent passwd | wc -l)" -eq "$users_before" ] && pass no_user_created || fail no_user_created "passwd changed"

# an edited configuration and a spool item survive a second install; a
# changed spool mode is the operator's choice and stays too
echo "; mine" >> "$st/etc/oxgate/oxgate.ini"
echo item > "$spool/oftp/in/ITEM"
chmod 0700 "$spool/archive"
check install_again make -s install DESTDIR="$st" PREFIX=/usr
grep -q '; mine' "$st/etc/oxgate/oxgate.ini" && pass config_kept || fail config_kept "overwritten"
[ -f "$spool/oftp/in/ITEM" ] && [ "$(modes "$spool/archive")" = 700 ] &&
    pass spool_kept || fail spool_kept "$(modes "$spool/archive")"
chmod 0750 "$spool/archive"

check uninstall make -s uninstall DESTDIR="$st" PREFIX=/usr
left=$(find "$st" -type f ! -path "$st/etc/oxgate/*" ! -path "$spool/*")
[ -z "$left" ] && pass uninstall_clean || fail uninstall_clean "$(echo $left)"
[ -f "$st/etc/oxgate/oxgate.ini" ] && [ -f "$st/etc/oxgate/partners.ini" ] &&
    [ -f "$st/etc/oxgate/mapping/edi-partners" ] &&
    pass uninstall_keeps_config || fail uninstall_keeps_config "config removed"
[ -f "$spool/oftp/in/ITEM" ] && [ "$(find "$spool" -type d | wc -l)" -eq 23 ] &&
    pass uninstall_keeps_spool || fail uninstall_keeps_spool "$(find "$spool" | tr '\n' ' ')"
# a cron file the operator edited is configuration: it stays
check install_3 make -s install DESTDIR="$st" PREFIX=/usr
echo "# mine" >> "$st/etc/cron.d/oxgate"
check uninstall_2 make -s uninstall DESTDIR="$st" PREFIX=/usr
grep -q '# mine' "$st/etc/cron.d/oxgate" 2>/dev/null && pass uninstall_keeps_edited_cron ||
    fail uninstall_keeps_edited_cron "removed"
