# Least privilege: the converters' sandbox (no_new_privs + Landlock) lets
# them touch the spool, the trace and $TMPDIR read-write and the
# configuration read-only, and nothing else; where the kernel has no
# Landlock (or a filter blocks it) they log it and go on; started as root
# they become the owner of the spool. sbprobe enters the very sandbox a
# converter enters (gw_sandbox) and tries things; the converters
# themselves are checked through what they can and cannot do.
. "$(dirname "$0")/lib.sh"
P=$OX_TOOLS/sbprobe
d=$OX_TMP/sb
rm -rf "$d"
mkdir -p "$d/etc/mapping" "$d/certs" "$d/tmp" "$d/outside" "$d/in" "$d/out" "$d/trace"
cat > "$d/etc/oxgate.ini" <<INI
[spool]
root = ../spool
trace = ../trace/trace.db
[security]
certificate = ../certs/gw.pem
key = ../certs/gw.key
INI
cat > "$d/etc/partners.ini" <<INI
[acme]
odette = O0013ACMEGMBH
userid = 000042
x400 = /S=EDI/O=ACME/P=ACME/A=DBP/C=DE/
certificate = ../certs/acme.pem
INI
echo table > "$d/etc/mapping/or-domain"
for f in gw.pem gw.key acme.pem; do echo pem > "$d/certs/$f"; done
echo secret > "$d/outside/secret"
echo input > "$d/in/file"
echo other > "$d/in/other"
export TMPDIR=$d/tmp		# /tmp itself would be read-write
unset JOURNAL_STREAM		# log lines on stderr
C=$d/etc/oxgate.ini

probe() {	# sbprobe with the configuration above; output in $d/probe
	"$P" -c "$C" -i "$d/in/file" -o "$d/out/f.sfid" -l "$d/outside/sock" "$@" \
	    > "$d/probe" 2> "$d/probe.err"
}
want() {	# NAME "OP ARG RESULT": that line is in the probe's output
	if grep -qxF "$2" "$d/probe"; then pass "$1"
	else fail "$1" "want '$2', got '$(grep -F "${2% *} " "$d/probe")' $(tr '\n' '|' < "$d/probe.err")"; fi
}

probe read "$C" read "$d/etc/mapping/or-domain" read "$d/certs/acme.pem" \
    write "$d/etc/new" write "$d/spool/x400/out/tmp/p" \
    mv "$d/spool/x400/out/tmp/p:$d/spool/failed/p" mkdir "$d/spool/archive/sub" \
    write "$d/trace/probe" write "$d/tmp/t" \
    read "$d/outside/secret" write "$d/outside/new" ls "$d/outside" \
    mv "$d/spool/failed/p:$d/outside/p" read /etc/passwd exec /bin/sh \
    read "$d/in/file" read "$d/in/other" write "$d/out/new" \
    tcp 1 unix "$d/outside/sock" signal $$ read /etc/localtime
rc=$?
abi=$(sed -n 's/^sandbox //p' "$d/probe")
[ $rc -eq 0 ] && [ -n "$abi" ] && pass "probe_runs_abi_$abi" || fail probe_runs "exit $rc: $(cat "$d/probe.err")"

if [ "${abi:-0}" -ge 2 ]; then
	# Landlock in force: the lists of gw_sandbox(3), nothing more
	want enforced_reads_config "read $C ok"
	want enforced_reads_mapping "read $d/etc/mapping/or-domain ok"
	want enforced_reads_partner_cert "read $d/certs/acme.pem ok"
	want enforced_config_read_only "write $d/etc/new EACCES"
	want enforced_writes_spool "write $d/spool/x400/out/tmp/p ok"
	want enforced_renames_across_queues "mv $d/spool/x400/out/tmp/p:$d/spool/failed/p ok"
	want enforced_mkdir_spool "mkdir $d/spool/archive/sub ok"
	want enforced_writes_trace_dir "write $d/trace/probe ok"
	want enforced_writes_tmpdir "write $d/tmp/t ok"
	want enforced_no_read_outside "read $d/outside/secret EACCES"
	want enforced_no_write_outside "write $d/outside/new EACCES"
	want enforced_no_list_outside "ls $d/outside EACCES"
	grep -qE "^mv $d/spool/failed/p:$d/outside/p (EACCES|EXDEV)\$" "$d/probe" &&
	    [ ! -e "$d/outside/p" ] && pass enforced_no_rename_out ||
	    fail enforced_no_rename_out "$(grep '^mv .*outside' "$d/probe")"
	want enforced_no_etc_passwd "read /etc/passwd EACCES"
	want enforced_no_exec "exec /bin/sh EACCES"
	want enforced_filter_input "read $d/in/file ok"
	want enforced_filter_input_only "read $d/in/other EACCES"
	want enforced_filter_output_dir "write $d/out/new ok"
	want enforced_localtime "read /etc/localtime ok"
	# syslog's /dev/log: a path-named socket Landlock does not restrict
	want enforced_unix_socket_connects "unix $d/outside/sock ok"
	if [ "$abi" -ge 4 ]; then want enforced_no_tcp "tcp 1 EACCES"
	else want tcp_not_handled_abi_$abi "tcp 1 ECONNREFUSED"; fi
	if [ "$abi" -ge 6 ]; then want enforced_no_signal_out "signal $$ EPERM"
	else want signal_not_scoped_abi_$abi "signal $$ ok"; fi
	# without TMPDIR (the systemd unit and the cron file set none), /tmp
	# is not opened: a queue or a trace made to point there is refused
	tf=$(mktemp /tmp/oxsb.XXXXXX)
	(unset TMPDIR; probe write "$tf" write "$d/spool/x400/out/tmp/q")
	want enforced_no_tmp_without_tmpdir "write $tf EACCES"
	want enforced_spool_without_tmpdir "write $d/spool/x400/out/tmp/q ok"
	rm -f "$tf"
else
	# no Landlock on this machine: no_new_privs only, and the program goes on
	grep -q 'info: sandbox: no new privileges, but no file system sandbox: Landlock' "$d/probe.err" &&
	    pass landlock_unavailable_logged || fail landlock_unavailable_logged "$(cat "$d/probe.err")"
	want landlock_unavailable_reads_outside "read $d/outside/secret ok"
fi

# --- the converters themselves ----------------------------------------
# an OFTP item for acme; x400/out a symbolic link out of the spool: the
# converter refuses the layout at the start (78), whatever the kernel,
# so no output can land outside the spool; then, with x400/out a real
# directory, it converts (confined where Landlock is there)
s=$d/spool
rm -rf "$s/x400/out"
mkdir -p "$d/elsewhere/out/tmp" "$s/oftp/in/tmp"
ln -s "$d/elsewhere/out" "$s/x400/out"
item() {
	printf 'hello\r\n' > "$s/oftp/in/F1"
	printf '[sfid]\ndsn = F1\ndate = 20261122\ntime = 1000000001\ndest = O0177000000000X0LU000042\norig = O0013ACMEGMBH\nformat = T\nlrecl = 0\n' \
	    > "$s/oftp/in/F1.sfid"
	rm -f "$s/x400/out/"*.p1
	# the same file each time: a new transaction, not one converted before
	sqlite3 "$d/trace/trace.db" "PRAGMA foreign_keys = ON; DELETE FROM trace" 2>/dev/null || :
}
converted() { ls "$s/x400/out/" | grep -q '\.p1$'; }
O=$OX_ABIN/oftp2x400

item
"$O" -v -c "$C" --spool 2> "$d/log"
rc=$?
[ $rc -eq 78 ] && [ -f "$s/oftp/in/F1.sfid" ] && ! ls "$d/elsewhere/out" | grep -q '\.p1$' &&
    grep -q 'fatal: .*/spool/x400/out: is a symbolic link' "$d/log" &&
    pass converter_refuses_symlinked_queue ||
    fail converter_refuses_symlinked_queue "exit $rc: $(tr '\n' '|' < "$d/log")"
rm "$s/x400/out"
item
"$O" -v -c "$C" --spool 2> "$d/log"
rc=$?
if [ "${abi:-0}" -ge 2 ]; then
	[ $rc -eq 0 ] && converted && [ ! -e "$s/oftp/in/F1.sfid" ] &&
	    grep -q "debug: sandbox: no new privileges, Landlock ABI $abi" "$d/log" &&
	    pass converter_confined_converts ||
	    fail converter_confined_converts "exit $rc: $(tr '\n' '|' < "$d/log")"
else
	[ $rc -eq 0 ] && converted && grep -q 'no file system sandbox' "$d/log" &&
	    pass converter_unconfined_no_landlock || fail converter_unconfined_no_landlock "exit $rc: $(tr '\n' '|' < "$d/log")"
fi

# graceful fallback, whatever the kernel: Landlock made to fail as on a
# kernel without it (ENOSYS) and as under a system call filter (EPERM)
for e in enosys eperm; do
	item
	"$P" -n $e "$O" -c "$C" --spool 2> "$d/log"
	rc=$?
	case $e in enosys) why='Landlock not in this kernel' ;; *) why='Landlock blocked by a system call filter' ;; esac
	note=
	if [ $e = eperm ] && [ -n "${OX_VALGRIND:-}" ]; then
		# valgrind answers the Landlock calls itself (ENOSYS), before
		# the filter could say EPERM
		why='Landlock not in this kernel'
		note=' (under valgrind, which answers the Landlock calls itself: ENOSYS)'
	fi
	[ $rc -eq 0 ] && converted && [ ! -e "$s/oftp/in/F1.sfid" ] &&
	    grep -q "info: sandbox: no new privileges, but no file system sandbox: $why" "$d/log" &&
	    pass "fallback_${e}_goes_on$note" || fail "fallback_${e}_goes_on" "exit $rc: $(tr '\n' '|' < "$d/log")"
done

# [security] sandbox = off
printf 'sandbox = off\n' >> "$C"
item
"$O" -v -c "$C" --spool 2> "$d/log"
rc=$?
[ $rc -eq 0 ] && converted && grep -q 'debug: sandbox: off (\[security\] sandbox in ' "$d/log" &&
    pass sandbox_off_key || fail sandbox_off_key "exit $rc: $(tr '\n' '|' < "$d/log")"
printf '[security]\nsandbox = maybe\n' > "$d/bad.ini"
"$O" -c "$d/bad.ini" --spool 2> "$d/log"
rc=$?
[ $rc -eq 78 ] && grep -q "bad.ini: \[security\] sandbox: 'maybe' is neither on nor off" "$d/log" &&
    pass sandbox_key_checked || fail sandbox_key_checked "exit $rc: $(tr '\n' '|' < "$d/log")"
sed -i '/^sandbox = off$/d' "$C"

# a watcher: no_new_privs on every thread, Landlock entered before any
# thread could escape it; SIGTERM still ends it
E=$OX_ABIN/eerp2report
"$E" -v -c "$C" --watch 2> "$d/wlog" &
pid=$!
i=0
while ! grep -q 'sandbox:' "$d/wlog" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
# an item it refuses, seen in failed/: the watch loop (and its SIGTERM
# handler) runs; under valgrind the start takes seconds
mkdir -p "$s/oftp/eerp.in/tmp"
printf 'junk' > "$s/oftp/eerp.in/tmp/ready.eerp" && mv "$s/oftp/eerp.in/tmp/ready.eerp" "$s/oftp/eerp.in/"
i=0
while [ ! -e "$s/failed/ready.eerp.why" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
nnp=$(cat /proc/$pid/task/*/status 2>/dev/null | grep -c '^NoNewPrivs:[[:space:]]*1')
tasks=$(ls /proc/$pid/task 2>/dev/null | wc -l)
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
[ "$tasks" -ge 1 ] && [ "$nnp" = "$tasks" ] && [ $rc -eq 0 ] && pass "watcher_no_new_privs_${tasks}_threads" ||
    fail watcher_no_new_privs "tasks $tasks, nnp $nnp, exit $rc: $(tr '\n' '|' < "$d/wlog")"

# --- root ---------------------------------------------------------------
# Started as root, a converter becomes the owner of the spool root (here
# nobody) before it creates anything: the trace database is nobody's.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	w=$(mktemp -d /tmp/oxsbroot.XXXXXX) || exit 1
	chmod 755 "$w"
	mkdir -p "$w/etc" "$w/spool" "$w/tmp"
	printf '[spool]\nroot = ../spool\n' > "$w/etc/oxgate.ini"
	cp "$d/etc/partners.ini" "$w/etc/"
	sed -i '/^certificate/d' "$w/etc/partners.ini"
	chmod -R a+rX "$w/etc"
	chown nobody "$w/spool"
	nuid=$(id -u nobody)
	TMPDIR=$w/tmp "$OX_ABIN/report2eerp" -c "$w/etc/oxgate.ini" --spool 2> "$d/log"
	rc=$?
	[ $rc -eq 0 ] && [ "$(stat -c %u "$w/spool/trace.db")" = "$nuid" ] &&
	    [ "$(stat -c %u "$w/spool/x400/reports")" = "$nuid" ] &&
	    grep -q "info: started as root, running as uid $nuid (nobody)" "$d/log" &&
	    pass root_becomes_spool_owner || fail root_becomes_spool_owner "exit $rc: $(tr '\n' '|' < "$d/log"); $(ls -ln "$w/spool" | tr '\n' '|')"
	# a spool that belongs to root: stays root and says so
	"$O" -c "$C" --spool 2> "$d/log"
	grep -q "info: running as root (.* belongs to root): the converters need no root" "$d/log" &&
	    pass root_spool_of_root_logged || fail root_spool_of_root_logged "$(tr '\n' '|' < "$d/log")"
	rm -rf "$w"
else
	"$O" -c "$C" --spool 2> "$d/log"
	! grep -q 'root' "$d/log" && pass not_root_no_change || fail not_root_no_change "$(tr '\n' '|' < "$d/log")"
fi
