#!/bin/sh
# queue_full - outputs that cannot be written (disk full, file too large,
# output queue broken) are a temporary failure: exit 75, every input
# intact in its queue, no output visible, nothing in tmp/ or work/ or
# failed/; once there is room again the same items go through.
# Disk full is a 64 KiB tmpfs when mount(8) works here, and a file size
# limit (ulimit -f, SIGXFSZ ignored: writes fail with EFBIG) always.
. "$(dirname "$0")/lib.sh"
Q=$OX_TMP/$T.q; F=$OX_TMP/$T.failed; L=$OX_TMP/$T.log; KEEP=$OX_TMP/$T.keep
N=4
mkdir -p "$Q/tmp" "$F" "$KEEP"
i=0
while [ $i -lt $N ]; do
	# 200 KiB payloads: larger than either limit
	head -c 204800 /dev/urandom | od -An -tx1 | head -c 204800 > "$Q/big$i"
	printf '[sfid]\ndsn=BIG%d\n' $i > "$Q/big$i.sfid"
	i=$((i + 1))
done
cp "$Q"/big* "$KEEP"/

run() {	# out-queue [extra shell commands before exec]
	o=$1; shift
	(eval "$*"; exec "$OX_TOOLS/qdemo" -p --spool "$Q" --out "$o" \
	    --failed "$F" --log "$L") 2>/dev/null
}
intact() {	# name out-queue
	bad=
	for f in "$KEEP"/*; do
		cmp -s "$f" "$Q/${f##*/}" || bad="$bad ${f##*/}"
	done
	outs=$(ls -A "$2" | grep -cv '^tmp$')
	tmps=$(ls -A "$2/tmp" 2>/dev/null | wc -l)
	work=$(ls -A "$Q/work" | wc -l)
	failed=$(ls -A "$F" | wc -l)
	if [ -z "$bad" ] && [ "$outs" -eq 0 ] && [ "$tmps" -eq 0 ] &&
	    [ "$work" -eq 0 ] && [ "$failed" -eq 0 ]; then
		pass "$1"
	else
		fail "$1" "changed:$bad; $outs outputs, $tmps in tmp, $work in work, $failed failed"
	fi
}
expect() {	# name code got
	if [ "$3" -eq "$2" ]; then pass "$1"; else fail "$1" "exit $3, expected $2"; fi
}

# 1. a full file system (tmpfs of 64 KiB), if this system lets us mount
M=$OX_TMP/$T.mnt
mkdir -p "$M"
trap 'umount "$M" 2>/dev/null' EXIT INT TERM
if mount -t tmpfs -o size=64k oxtest "$M" 2>/dev/null; then
	mkdir -p "$M/out/tmp"
	run "$M/out"; rc=$?
	expect enospc_exit 75 $rc
	intact enospc_intact "$M/out"
	umount "$M"
else
	echo "# mount not permitted: the tmpfs case is skipped, ulimit case runs"
fi

# 2. a file size limit: write(2) fails with EFBIG
O=$OX_TMP/$T.out
mkdir -p "$O/tmp"
run "$O" "trap '' XFSZ; ulimit -f 64"; rc=$?
expect efbig_exit 75 $rc
intact efbig_intact "$O"

# 3. an output queue without tmp/: afile cannot create its file
rmdir "$O/tmp"
run "$O"; rc=$?
expect broken_exit 75 $rc
mkdir "$O/tmp"
intact broken_intact "$O"

# 4. room again: everything goes through, once
run "$O"; rc=$?
expect room_exit 0 $rc
n=$(ls "$O" | grep -c '\.out$')
left=$(ls "$Q" | grep -cv -e '^tmp$' -e '^work$')
if [ "$n" -eq $N ] && [ "$left" -eq 0 ] && [ "$(wc -l < "$L")" -eq $N ]; then
	pass room_done
else
	fail room_done "$n outputs, $left inputs left"
fi
