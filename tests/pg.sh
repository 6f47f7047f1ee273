#!/bin/sh
# tests/pg.sh - a PostgreSQL cluster of the test suite's own.
#
#   sh tests/pg.sh start DIR    make DIR, initdb in DIR/data, start the
#                               server on a unix socket in DIR (no TCP);
#                               prints the libpq connection string base
#                               ("host=DIR port=P user=oxgate")
#   sh tests/pg.sh stop DIR     stop it (immediate) and remove DIR
#   sh tests/pg.sh restart DIR  stop it (immediate: as a crash) and start
#                               it again (twohosts.sh)
#   sh tests/pg.sh down DIR     stop it (immediate), keep DIR (faults.sh)
#   sh tests/pg.sh up DIR       start it again after down
#   sh tests/pg.sh db DIR NAME  a new, empty database NAME; prints its
#                               connection string
#
# OX_PG_FSYNC=on makes the server sync its writes (make bench, to compare
# with SQLite's durable commits); the tests run it with fsync off.
# The server must not run as root: as root (CI), initdb and pg_ctl run as
# OX_PG_USER (default nobody) through runuser, and DIR is given to that
# user. The binaries are those of PG_BINDIR, else the newest of
# /usr/lib/postgresql/*/bin (Debian's postgresql package). Nothing is
# skipped: without PostgreSQL, start fails (exit 1) and says why, and
# tests/run counts that as a failure.
set -u
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: pg.sh start|stop|restart|down|up|db DIR [NAME]" >&2; exit 64; }
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
user=${OX_PG_USER:-nobody}
port=${OX_PG_PORT:-5439}
as() {	# run as the cluster's owner
	if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}
conn="host=$dir port=$port user=oxgate"
case $cmd in
start)
	[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || {
		echo "pg.sh: no PostgreSQL server binaries (install the postgresql package: make deps)" >&2
		exit 1
	}
	mkdir -p "$dir" || exit 1
	[ "$(id -u)" = 0 ] && chown "$user" "$dir"
	chmod 700 "$dir"
	as "$bindir/initdb" -D "$dir/data" -A trust -U oxgate -E UTF8 \
	    --no-sync > "$dir/initdb.log" 2>&1 || {
		echo "pg.sh: initdb failed:" >&2; tail -5 "$dir/initdb.log" >&2; exit 1; }
	# fsync off: a test cluster, thrown away; the socket in DIR only
	as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    -o "-k $dir -c listen_addresses='' -p $port -c fsync=${OX_PG_FSYNC:-off} -c max_connections=60" \
	    start > "$dir/pg_ctl.log" 2>&1 || {
		echo "pg.sh: the server did not start:" >&2; tail -5 "$dir/server.log" >&2; exit 1; }
	echo "$conn"
	;;
stop)
	[ -d "$dir/data" ] && as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1
	rm -rf "$dir"
	;;
restart|down|up)
	if [ "$cmd" != up ]; then
		as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1
		[ "$cmd" = down ] && exit 0
		sleep "${OX_PG_DOWN:-2}"
	fi
	as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    -o "-k $dir -c listen_addresses='' -p $port -c fsync=${OX_PG_FSYNC:-off} -c max_connections=60" \
	    start > "$dir/pg_ctl.log" 2>&1
	;;
db)
	name=${3:?db NAME}
	PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q "$conn dbname=postgres" -c "DROP DATABASE IF EXISTS \"$name\"" -c "CREATE DATABASE \"$name\"" > /dev/null || exit 1
	echo "$conn dbname=$name"
	;;
*)
	echo "usage: pg.sh start|stop|restart|down|up|db DIR [NAME]" >&2; exit 64 ;;
esac
