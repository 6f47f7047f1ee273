#!/bin/sh
# tests/deb.sh - make check-deb: the Debian package on this machine.
#
# As root on Debian 12 (CI): builds the package twice (make deb, the
# second time as a newer version), checks it with lintian and by its
# contents, installs the first build with apt-get, runs the demo round
# trip (tests/demo.sh, DEMO_INSTALLED=1) on the installed programs,
# configuration and spool, upgrades to the second build with an edited
# conffile, removes the package (configuration, spool and trace stay) and
# purges it (all gone). One PASS/FAIL line per check, then
# "N passed, N failed", as tests/run; exit 1 on any failure. The output of
# each step is kept in $OX_TMP/NAME.log and shown for a failed step.
#
# It installs and purges the package oxgate on this machine: it refuses to
# start where oxgate is installed or /etc/oxgate or /var/spool/oxgate
# exists, unless OX_DEB_FORCE=1 (or CI=true), which purges it first.
# Whatever happens, the package is purged at the end. Environment:
# OX_BUILD (the build directory of the test tools the demo needs).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export OX_TMP
OX_TMP=$(mktemp -d "${TMPDIR:-/tmp}/oxdeb.XXXXXX") || exit 2
chmod 755 "$OX_TMP"
. "$top/tests/sh/lib.sh"
SPOOL=/var/spool/oxgate CONF=/etc/oxgate
res=$OX_TMP/results
export DEBIAN_FRONTEND=noninteractive

# step NAME CMD...: run CMD with its output in NAME.log; PASS or FAIL
# with the log's tail
step() {
	_n=$1; shift
	if "$@" > "$OX_TMP/$_n.log" 2>&1; then pass "$_n"
	else fail "$_n" "exit $?: $(tail -15 "$OX_TMP/$_n.log" | tr '\n' '|')"; fi
}
apt_install() { apt-get install -y -q --no-install-recommends "$@"; }
installed() { dpkg-query -W -f='${Status} ${Version}\n' oxgate 2>/dev/null; }
mode() { stat -c '%a %U:%G' "$1" 2>/dev/null || echo missing; }
as_oxgate() { runuser -u oxgate -- "$@"; }
purge_all() { apt-get purge -y -q oxgate > "$OX_TMP/cleanup.log" 2>&1; }
sv=$(sed -n 's/^#define TRACE_SCHEMA_VERSION[[:space:]]*//p' lib/gw/trace.h)

build() {
	v1=$(dpkg-parsechangelog -l debian/changelog -S Version) || return 1
	v2=$v1+check1
	rm -f oxgate_*.deb oxgate-dbgsym_*.deb
	step build_v1 make -s deb
	mkdir -p "$OX_TMP/v1" "$OX_TMP/v2"
	mv oxgate_*.deb oxgate-dbgsym_*.deb "$OX_TMP/v1/" 2>/dev/null
	step build_v2 make -s deb DEB_VERSION="$v2"
	mv oxgate_*.deb oxgate-dbgsym_*.deb "$OX_TMP/v2/" 2>/dev/null
	deb1=$OX_TMP/v1/oxgate_${v1}_amd64.deb deb2=$OX_TMP/v2/oxgate_${v2}_amd64.deb
	[ -f "$deb1" ] && [ -f "$deb2" ] && [ -f "$OX_TMP/v1/oxgate-dbgsym_${v1}_amd64.deb" ] &&
	    pass deb_files || fail deb_files "$(ls "$OX_TMP"/v1 "$OX_TMP"/v2 | tr '\n' ' ')"
}

# the package as built: lintian, its dependencies, its files
contents() {
	step lintian_clean lintian -I --fail-on error,warning,info "$deb1"
	dep=$(dpkg-deb -f "$deb1" Depends)
	case $dep in *libsqlite3-0*libssl3*|*libssl3*libsqlite3-0*) pass shlibs_depends ;;
	*) fail shlibs_depends "$dep" ;; esac
	dpkg-deb -c "$deb1" | awk '{ print $6 }' | sed 's|^\./|/|' > "$OX_TMP/files"
	ok=1
	for p in bin/*.c; do p=${p#bin/}; grep -qx "/usr/bin/${p%.c}" "$OX_TMP/files" || { ok=0; fail "file_$p" missing; }; done
	for m in man/*.[1578]; do b=${m#man/}
		grep -qx "/usr/share/man/man${b##*.}/$b.gz" "$OX_TMP/files" || { ok=0; fail "file_$b" missing; }
	done
	for f in /lib/systemd/system/oxgate@.service /etc/cron.d/oxgate /etc/oxgate/oxgate.ini \
	    /etc/oxgate/partners.ini /usr/share/doc/oxgate/README.Debian /usr/share/doc/oxgate/copyright; do
		grep -qx "$f" "$OX_TMP/files" || { ok=0; fail "file_$f" missing; }
	done
	[ $ok = 1 ] && pass files_in_place
	grep -q '^/var' "$OX_TMP/files" && fail spool_not_shipped "$(grep '^/var' "$OX_TMP/files" | head -3)" ||
	    pass spool_not_shipped
	dpkg-deb --ctrl-tarfile "$deb1" | tar -xOf - ./conffiles > "$OX_TMP/conffiles"
	grep -qx /etc/oxgate/oxgate.ini "$OX_TMP/conffiles" && grep -qx /etc/cron.d/oxgate "$OX_TMP/conffiles" &&
	    grep -qx /etc/oxgate/mapping/or-domain "$OX_TMP/conffiles" &&
	    pass conffiles || fail conffiles "$(tr '\n' ' ' < "$OX_TMP/conffiles")"
}

# after the first install: the user, the spool, the configuration, the
# unit not enabled, nothing running
fresh() {
	pw=$(getent passwd oxgate)
	uid=$(echo "$pw" | cut -d: -f3)
	case $pw in *":$SPOOL:/usr/sbin/nologin") ;; *) pw= ;; esac
	[ -n "$pw" ] && [ "$uid" -lt 1000 ] && getent group oxgate >/dev/null &&
	    pass system_user || fail system_user "$(getent passwd oxgate)"
	ok=1
	for d in "" /oftp /x400; do [ "$(mode "$SPOOL$d")" = "750 oxgate:oxgate" ] ||
		{ ok=0; fail spool_mode "$SPOOL$d: $(mode "$SPOOL$d")"; }; done
	for q in $(make -s print-SPOOL_HANDOFF); do for d in "$SPOOL/$q" "$SPOOL/$q/tmp"; do
		[ "$(mode "$d")" = "2770 oxgate:oxgate" ] || { ok=0; fail spool_mode "$d: $(mode "$d")"; }
	done; done
	for q in $(make -s print-SPOOL_INTERNAL); do for d in "$SPOOL/$q" "$SPOOL/$q/tmp"; do
		[ "$(mode "$d")" = "750 oxgate:oxgate" ] || { ok=0; fail spool_mode "$d: $(mode "$d")"; }
	done; done
	[ $ok = 1 ] && pass spool_modes
	[ "$(mode "$CONF")" = "750 root:oxgate" ] && [ "$(mode "$CONF/oxgate.ini")" = "640 root:oxgate" ] &&
	    [ "$(mode "$CONF/partners.ini")" = "640 root:oxgate" ] &&
	    pass config_modes || fail config_modes "$(mode "$CONF") $(mode "$CONF/oxgate.ini")"
	[ ! -e "$SPOOL/trace.db" ] && grep -q "no trace database yet" "$OX_TMP/install.log" &&
	    pass install_migrate_makes_no_trace || fail install_migrate_makes_no_trace "$(ls "$SPOOL")"
	set -- /etc/systemd/system/*.wants/oxgate@*
	[ ! -e "$1" ] && pass units_not_enabled || fail units_not_enabled "$*"
	grep -qE '^[^#].*(oftp2x400|x4002oftp|report2eerp|eerp2report)' /etc/cron.d/oxgate &&
	    fail cron_no_converter "$(grep -E '^[^#]' /etc/cron.d/oxgate)" || pass cron_no_converter
	# the sample names the gateway's key and the partners' certificates,
	# which --check-config loads: until the operator installs them it
	# says so, naming the file (README.Debian), and nothing else
	o=$(as_oxgate oxtrace --check-config 2>&1); rc=$?
	[ $rc -eq 78 ] && case $o in *"[security] key, certificate: "*"/etc/oxgate/oxgate.key: No such file"*) true ;; *) false ;; esac &&
	    pass check_config || fail check_config "rc $rc: $(echo "$o" | tr '\n' '|')"
}

demo() {
	step demo_round_trip env DEMO_INSTALLED=1 OX_BUILD="${OX_BUILD:-build}" sh tests/demo.sh
	n=$(as_oxgate oxtrace list 2>/dev/null | wc -l)
	[ "$n" -ge 3 ] && pass demo_trace || fail demo_trace "$n transactions: $(as_oxgate oxtrace list 2>&1 | head -5)"
	set -- "$SPOOL"/oftp/eerp.out/*.eerp
	[ -f "$1" ] && [ "$(stat -c %U "$1")" = oxgate ] && pass demo_eerp_by_oxgate || fail demo_eerp_by_oxgate "$(ls -l "$SPOOL/oftp/eerp.out")"
	left=$(find "$SPOOL" -name 'trace.db*' ! -user oxgate)
	[ -z "$left" ] && [ -f "$SPOOL/trace.db" ] && pass demo_trace_owned_by_oxgate || fail demo_trace_owned_by_oxgate "$left"
}

upgrade() {
	echo '; edited by check-deb' >> "$CONF/oxgate.ini"
	rows=$(as_oxgate oxtrace list 2>/dev/null | wc -l)
	step upgrade apt_install "$deb2"
	installed | grep -qx "install ok installed $v2" && pass upgraded_version || fail upgraded_version "$(installed)"
	grep -qx '; edited by check-deb' "$CONF/oxgate.ini" && ! [ -e "$CONF/oxgate.ini.dpkg-new" ] &&
	    pass upgrade_keeps_edited_conffile || fail upgrade_keeps_edited_conffile "$(tail -2 "$CONF/oxgate.ini") $(ls "$CONF")"
	grep -q '^\[rita\]' "$CONF/partners.ini" && pass upgrade_keeps_partners || fail upgrade_keeps_partners "replaced"
	[ "$(mode "$CONF/oxgate.ini")" = "640 root:oxgate" ] && pass upgrade_config_mode || fail upgrade_config_mode "$(mode "$CONF/oxgate.ini")"
	grep -q "$SPOOL/trace.db: schema version $sv" "$OX_TMP/upgrade.log" &&
	    pass upgrade_migrates_trace || fail upgrade_migrates_trace "$(grep -i trace "$OX_TMP/upgrade.log" | head -3)"
	[ "$(as_oxgate oxtrace list 2>/dev/null | wc -l)" -eq "$rows" ] && [ "$rows" -gt 0 ] &&
	    pass upgrade_keeps_trace || fail upgrade_keeps_trace "$rows rows before"
}

remove() {
	cronjob=$(awk -F'\t' '/^[^#].*oxpurge/ { print $3 }' /etc/cron.d/oxgate)
	step remove apt-get remove -y -q oxgate
	installed | grep -q '^deinstall ok config-files' && pass removed || fail removed "$(installed)"
	[ ! -e /usr/bin/oftp2x400 ] && [ ! -e /lib/systemd/system/oxgate@.service ] &&
	    pass remove_programs_gone || fail remove_programs_gone "still there"
	grep -qx '; edited by check-deb' "$CONF/oxgate.ini" && [ -f /etc/cron.d/oxgate ] &&
	    pass remove_keeps_config || fail remove_keeps_config "$(ls -l "$CONF")"
	[ -f "$SPOOL/trace.db" ] && [ "$(mode "$SPOOL/oftp/in")" = "2770 oxgate:oxgate" ] &&
	    [ -n "$(ls "$SPOOL"/oftp/eerp.out/*.eerp 2>/dev/null)" ] &&
	    pass remove_keeps_spool || fail remove_keeps_spool "$(ls "$SPOOL")"
	# cron still runs the jobs of the conffile: they find no program
	# and say nothing (Debian policy 9.5.1)
	o=$(cd / && runuser -u oxgate -- env -i PATH=/usr/bin:/bin /bin/sh -c "$cronjob" 2>&1)
	[ -n "$cronjob" ] && [ -z "$o" ] && pass remove_cron_silent || fail remove_cron_silent "'$cronjob': $o"
}

purge() {
	step purge apt-get purge -y -q oxgate
	[ -z "$(installed)" ] || installed | grep -q '^unknown ok not-installed' &&
	    pass purged || fail purged "$(installed)"
	[ ! -e "$CONF" ] && [ ! -e "$SPOOL" ] && [ ! -e /etc/cron.d/oxgate ] &&
	    pass purge_all_gone || fail purge_all_gone "$(ls -d "$CONF" "$SPOOL" /etc/cron.d/oxgate 2>&1 | tr '\n' ' ')"
	# Debian leaves system users (README.Debian)
	getent passwd oxgate >/dev/null && pass purge_keeps_user || fail purge_keeps_user "gone"
}

main() {
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		fail setup "check-deb installs a package: run it as root on Debian"; return
	fi
	if [ -n "$(installed)" ] || [ -e "$CONF" ] || [ -e "$SPOOL" ]; then
		if [ "${OX_DEB_FORCE:-}" != 1 ] && [ "${CI:-}" != true ]; then
			fail setup "oxgate is installed here ($(installed)) or $CONF/$SPOOL exist: OX_DEB_FORCE=1 purges them"
			return
		fi
		purge_all; rm -rf "$CONF" "$SPOOL"
	fi
	trap 'purge_all' EXIT
	build
	[ -f "$deb1" ] && [ -f "$deb2" ] || return
	contents
	step install apt_install "$deb1"
	installed | grep -qx "install ok installed $v1" || { fail installed "$(installed)"; return; }
	fresh
	demo
	upgrade
	remove
	purge
}

t0=$(date +%s)
main | tee "$res"
passed=$(grep -c '^PASS ' "$res")
failed=$(grep -c '^FAIL ' "$res")
if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then
	echo "# check-deb: $(( $(date +%s) - t0 )) s"
	rm -rf "$OX_TMP"
	echo "$passed passed, $failed failed"
	exit 0
fi
echo "# check-deb: $(( $(date +%s) - t0 )) s; the logs of each step are in $OX_TMP"
echo "$passed passed, $failed failed"
exit 1
