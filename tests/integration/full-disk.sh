#!/bin/sh
# full-disk.sh: a full disk (HARDENING.md §1.6, §1.7; cases E2 and E5).
# Needs root to mount small tmpfs file systems, and is skipped with the
# reason otherwise.
#
# A. Output and state on one small tmpfs. A good site is built and served;
#    then a filler file takes every free byte and an event is edited, so
#    that the next build needs more space (A1: while the daemon runs, so
#    SQLite's -wal and -shm files exist; A2: while nothing runs, so SQLite
#    must create them on the full disk; A3: the running daemon through a
#    full disk and back):
#    - the running `evfeed serve` logs the failed rebuild, says the disk is
#      full, and keeps serving the previous files (same ETag, same body);
#    - `evfeed build` exits 1 with a clear error: it says the disk is full
#      and names the file it could not write; the previous outputs are
#      byte-identical, no temporary file is left, the state passes
#      integrity_check;
#    - `evfeed serve` started while the disk is full serves the previous
#      files;
#    then the filler is removed: the next `evfeed build` succeeds and
#    publishes the edit, and the running daemon publishes the next edit.
# B. Only the output on a small tmpfs, filled up to a few kilobytes, so
#    that some temporary files are written before one fails: `evfeed build`
#    exits 1 naming the file, says there is no space, keeps the previous
#    outputs byte-identical and leaves no temporary file; with space again
#    the next build succeeds.
# C. A new state on the output's tmpfs, filled to a few kilobytes: `evfeed
#    build` exits 1, naming the state and saying the disk is full in a
#    short line (not the SQL that failed), and publishes nothing.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional CURL,
# SQLITE3. EVFEED_KEEP_TMP=1 keeps the temporary folder (unmounted).
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
CURL=${CURL:-curl}
SQLITE3=${SQLITE3:-sqlite3}

if [ "$(id -u)" -ne 0 ]; then
	skip_all "mounting a small tmpfs needs root (running as uid $(id -u))"
fi
"$CURL" --version >/dev/null 2>&1 || skip_all "no curl ($CURL) to ask the daemon"

tmp=$(mktmp)
disk=$tmp/disk
outdisk=$tmp/outdisk
mkdir "$disk" "$outdisk"
mounted=
daemon=
daemon2=

cleanup()
{
	for p in $daemon $daemon2; do
		kill -9 "$p" 2>/dev/null
	done
	for m in $mounted; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	_tap_cleanup
}
trap cleanup EXIT

if ! mount -t tmpfs -o size=16m,mode=0755 evfeed-test "$disk" 2>"$tmp/mount.err"; then
	skip_all "cannot mount a tmpfs here: $(head -n 1 "$tmp/mount.err")"
fi
mounted=$disk
if ! mount -t tmpfs -o size=8m,mode=0755 evfeed-test "$outdisk" 2>"$tmp/mount.err"; then
	skip_all "cannot mount a second tmpfs here: $(head -n 1 "$tmp/mount.err")"
fi
mounted="$disk $outdisk"

# fill DIR [KEEP_KB]: a filler file in DIR that leaves KEEP_KB kilobytes
# (default 0) of the file system free.
fill()
{
	if [ "${2:-0}" -eq 0 ]; then
		dd if=/dev/zero of="$1/filler" bs=16k >/dev/null 2>&1
	else
		_avail=$(df -Pk "$1" | awk 'NR == 2 { print $4 }')
		dd if=/dev/zero of="$1/filler" bs=1k count=$((_avail - $2)) >/dev/null 2>&1
	fi
	df -Pk "$1" | awk 'NR == 2 { print $4 }'
}

# build_fails CONF WHAT: `evfeed build --config CONF`, its output in
# $tmp/build.out and $tmp/build.err, exits 1 ("WHAT exits 1").
build_fails()
{
	"$EVFEED" build --config "$1" >"$tmp/build.out" 2>"$tmp/build.err"
	_bf_st=$?
	test $_bf_st -eq 1
	ok $? "$2 exits 1 (status $_bf_st)"
	diag_file "$tmp/build.err"
}

# temps DIR: the temporary files below DIR.
temps()
{
	find "$1" -name '.*evfeed-tmp-*'
}

# integrity STATE: PRAGMA integrity_check on a copy (off the full disk).
integrity()
{
	if ! "$SQLITE3" -version >/dev/null 2>&1; then
		echo ok
		return
	fi
	rm -rf "$tmp/ic"
	mkdir "$tmp/ic"
	cp "$1" "$tmp/ic/state.db"
	test -e "$1-wal" && cp "$1-wal" "$tmp/ic/state.db-wal"
	"$SQLITE3" "$tmp/ic/state.db" 'PRAGMA integrity_check' 2>&1 | tr '\n' ' ' | sed 's/ $//'
}

# start_serve VAR OUT ERR: `evfeed serve` in the background, its pid in VAR;
# waits up to 10 s for it to be ready and sets $base (empty on failure).
start_serve()
{
	rm -f "$2" "$3"
	"$EVFEED" serve --config "$conf" --listen 127.0.0.1:0 >"$2" 2>"$3" </dev/null &
	_ss_pid=$!
	eval "$1=\$_ss_pid"
	serve_wait "$2" "$_ss_pid" 10
}

etag()
{
	"$CURL" -s -o /dev/null -D - "$1/calendar.ics" | tr -d '\r' |
		sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}

# set_title TEXT: the title of the geo event, written beside and renamed.
set_title()
{
	sed "s/^title: .*/title: $1/" "$geo" >"$tmp/edit.tmp" && mv "$tmp/edit.tmp" "$geo"
}

# says_full FILE: FILE says the disk is full, in words.
says_full()
{
	grep -Eqi 'no space left|disk is full|disk full|ENOSPC' "$1"
}

# ------------------------------------------------ A. output and state

cp -R "$top_srcdir/tests/data/hard-events" "$tmp/events"
geo=$tmp/events/geo-coordinates.md
write_config "$tmp" "$tmp/events" "$disk/public" "$disk/state/state.db"
conf=$tmp/evfeed.conf
pub=$disk/public

"$EVFEED" build --config "$conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "A: a good site is built on a 4 MB tmpfs"
tree_sums "$pub" >"$tmp/sums.good"
cp "$pub/calendar.ics" "$tmp/calendar.good"

if start_serve daemon "$tmp/serve.out" "$tmp/serve.err"; then
	pass "A: evfeed serve runs"
else
	fail "A: evfeed serve runs"
	diag_file "$tmp/serve.err"
fi
tag=$(etag "$base")

left=$(fill "$disk")
test "$left" -eq 0
ok $? "A: the filler takes every free byte (${left} KB left)"

# The daemon sees the edit and cannot rebuild.
set_title "Edited while the disk is full"
i=0
while ! grep -q 'build failed' "$tmp/serve.err" && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
grep 'build failed' "$tmp/serve.err" >"$tmp/serve.fail"
test -s "$tmp/serve.fail" && grep -q 'still serving the previous version' "$tmp/serve.fail"
ok $? "A: evfeed serve logs the failed rebuild and keeps the previous version"
diag_file "$tmp/serve.fail"
says_full "$tmp/serve.fail"
ok $? "A: ... and the log says the disk is full"
test -n "$tag" && test "$(etag "$base")" = "$tag"
ok $? "A: the ETag of calendar.ics does not change ($tag)"
"$CURL" -s "$base/calendar.ics" | cmp -s - "$tmp/calendar.good"
ok $? "A: the daemon serves the previous calendar, byte for byte"

build_fails "$conf" "A: evfeed build on the full disk"
grep -q 'error' "$tmp/build.err" &&
	{ says_full "$tmp/build.err" || grep -Eqi 'cannot write' "$tmp/build.err" ||
		grep -qF "$disk/" "$tmp/build.err"; }
ok $? "A: the error says what failed (no space, cannot write, or the file)"
says_full "$tmp/build.err"
ok $? "A: the error says the disk is full"
tree_sums "$pub" >"$tmp/sums.now"
cmp -s "$tmp/sums.good" "$tmp/sums.now"
ok $? "A: the previous outputs are byte-identical"
test -z "$(temps "$disk")"
ok $? "A: no temporary file is left"
ic=$(integrity "$disk/state/state.db")
test "$ic" = ok
ok $? "A: the state passes integrity_check ($ic)"

# A daemon started now, on the full disk, serves the previous files.
kill -TERM "$daemon"
wait "$daemon"
st=$?
daemon=
test $st -eq 0
ok $? "A: SIGTERM stops evfeed serve on the full disk with status 0 (status $st)"
if start_serve daemon2 "$tmp/serve2.out" "$tmp/serve2.err"; then
	pass "A: evfeed serve starts on the full disk"
	test "$(etag "$base")" = "$tag" &&
		"$CURL" -s "$base/calendar.ics" | cmp -s - "$tmp/calendar.good"
	ok $? "A: ... and serves the previous calendar with its ETag"
	kill -TERM "$daemon2"
	wait "$daemon2"
else
	fail "A: evfeed serve starts on the full disk"
	diag_file "$tmp/serve2.err"
	skip "A: ... and serves the previous calendar with its ETag" "it did not start"
fi
daemon2=
tree_sums "$pub" >"$tmp/sums.now"
cmp -s "$tmp/sums.good" "$tmp/sums.now" && test -z "$(temps "$disk")"
ok $? "A: the outputs are still byte-identical, no temporary file"

# Space again.
rm -f "$disk/filler"
"$EVFEED" build --config "$conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "A: with space again evfeed build succeeds"
diag_file "$tmp/build.err"
grep -q 'Edited while the disk is full' "$pub/calendar.ics"
ok $? "A: ... and publishes the edit"
test -z "$(temps "$disk")"
ok $? "A: no temporary file"
ic=$(integrity "$disk/state/state.db")
test "$ic" = ok
ok $? "A: the state passes integrity_check ($ic)"

# The disk fills while nothing runs: the state was closed cleanly, so
# SQLite must create its -wal and -shm files on the full disk.
test ! -e "$disk/state/state.db-wal" && test ! -e "$disk/state/state.db-shm"
ok $? "A2: the state is closed cleanly (no -wal, no -shm)"
tree_sums "$pub" >"$tmp/sums.good"
cp "$pub/calendar.ics" "$tmp/calendar.good"
left=$(fill "$disk")
set_title "Edited while the disk is full and nothing runs"
build_fails "$conf" "A2: evfeed build on the full disk"
grep -qF "$disk/" "$tmp/build.err" && says_full "$tmp/build.err"
ok $? "A2: the error names the state and says the disk is full"
tree_sums "$pub" >"$tmp/sums.now"
cmp -s "$tmp/sums.good" "$tmp/sums.now" && test -z "$(temps "$disk")"
ok $? "A2: the previous outputs are byte-identical, no temporary file"
if start_serve daemon2 "$tmp/serve4.out" "$tmp/serve4.err"; then
	pass "A2: evfeed serve starts on the full disk"
	"$CURL" -s "$base/calendar.ics" | cmp -s - "$tmp/calendar.good"
	ok $? "A2: ... and serves the previous calendar"
	kill -TERM "$daemon2"
	wait "$daemon2"
else
	fail "A2: evfeed serve starts on the full disk"
	diag_file "$tmp/serve4.err"
	skip "A2: ... and serves the previous calendar" "it did not start"
fi
daemon2=
rm -f "$disk/filler"
"$EVFEED" build --config "$conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "A2: with space again evfeed build succeeds"
diag_file "$tmp/build.err"
grep -q 'Edited while the disk is full and nothing runs' "$pub/calendar.ics" &&
	test -z "$(temps "$disk")"
ok $? "A2: ... publishes the edit and leaves no temporary file"
ic=$(integrity "$disk/state/state.db")
test "$ic" = ok
ok $? "A2: the state passes integrity_check ($ic)"

# The daemon, through a full disk and back.
if start_serve daemon "$tmp/serve3.out" "$tmp/serve3.err"; then
	tag=$(etag "$base")
	fill "$disk" >/dev/null
	set_title "Second edit while the disk is full"
	i=0
	while ! grep -q 'build failed' "$tmp/serve3.err" && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	test "$(etag "$base")" = "$tag"
	ok $? "A3: a running daemon keeps its ETag through a second full disk"
	rm -f "$disk/filler"
	set_title "Edit after the space came back"
	i=0
	while [ "$(etag "$base")" = "$tag" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	"$CURL" -s "$base/calendar.ics" | grep -q 'Edit after the space came back'
	ok $? "A3: with space again the daemon publishes the next edit"
	kill -TERM "$daemon"
	wait "$daemon"
	daemon=
else
	fail "A3: evfeed serve starts again with space"
	diag_file "$tmp/serve3.err"
fi

# ------------------------------------------------------- B. output only

mkdir "$tmp/b"
write_config "$tmp/b" "$tmp/events" "$outdisk/public" "$tmp/b/state.db"
conf=$tmp/b/evfeed.conf
pub=$outdisk/public
"$EVFEED" build --config "$conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "B: a good site is built on a 8 MB tmpfs"
tree_sums "$pub" >"$tmp/sums.good"
left=$(fill "$outdisk" 24)
diag "B: ${left} KB left free"
set_title "Edited while the output disk is nearly full"
build_fails "$conf" "B: evfeed build"
grep -qF "$pub/" "$tmp/build.err" && says_full "$tmp/build.err"
ok $? "B: the error names the file and says there is no space"
tree_sums "$pub" >"$tmp/sums.now"
cmp -s "$tmp/sums.good" "$tmp/sums.now"
ok $? "B: the previous outputs are byte-identical"
test -z "$(temps "$outdisk")"
ok $? "B: the temporary files already written are removed"
rm -f "$outdisk/filler"
"$EVFEED" build --config "$conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "B: with space again evfeed build succeeds"
grep -q 'Edited while the output disk is nearly full' "$pub/calendar.ics" &&
	test -z "$(temps "$outdisk")"
ok $? "B: ... publishes the edit and leaves no temporary file"

# ---------------------------------------- C. a new state on a full disk

# A few kilobytes free: SQLite creates the file and starts its WAL, then
# cannot create the tables.
mkdir "$tmp/c" "$outdisk/c"
write_config "$tmp/c" "$tmp/events" "$tmp/c/public" "$outdisk/c/state.db"
left=$(fill "$outdisk" 12)
diag "C: ${left} KB left free"
build_fails "$tmp/c/evfeed.conf" "C: evfeed build with a new state on the full disk"
grep 'error:' "$tmp/build.err" >"$tmp/build.errors"
grep -qF "$outdisk/c/state.db" "$tmp/build.errors" &&
	says_full "$tmp/build.errors" && ! grep -q 'CREATE' "$tmp/build.errors" &&
	test "$(wc -l <"$tmp/build.errors")" -eq 1 &&
	test "$(wc -L <"$tmp/build.errors")" -lt 250
ok $? "C: the error names the state and says the disk is full, in one short line"
test ! -e "$tmp/c/public/calendar.ics"
ok $? "C: ... and nothing is published"

done_testing
