#!/bin/sh
# state-dir.sh: a state folder that cannot be used (HARDENING.md §1.6;
# cases E6 and E7).
#
# A read-only state folder, empty or holding the state of an earlier
# build (read-only with chmod 555 for a user other than root; for root,
# whom file modes do not stop, a read-only bind mount, and skipped with the
# reason when that cannot be made), and a state folder that cannot be
# created (the state path is under a regular file): `evfeed build`,
# `evfeed fetch` and `evfeed serve` each stop at start with exit status 1
# and an error that names the path, never a crash, never a served port,
# and the output folder is left as it was.
#
# A file at the state path that is not a database (text), and a database
# cut short in the middle: no crash, and the message names the path; then,
# as HARDENING.md E6 asks, the file is moved aside (its bytes kept beside
# it), the state is rebuilt from the event files, `evfeed build` succeeds
# and `evfeed serve` starts and serves the calendar.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional CURL.
# EVFEED_KEEP_TMP=1 keeps the temporary folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
CURL=${CURL:-curl}

tmp=$(mktmp)
mounted=
daemon=

cleanup()
{
	test -n "$daemon" && kill -9 "$daemon" 2>/dev/null
	for m in $mounted; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	# Folders made read-only for a user other than root.
	find "$tmp" -type d ! -perm -u+w -exec chmod u+w {} + 2>/dev/null
	_tap_cleanup
}
trap cleanup EXIT

cp -R "$top_srcdir/tests/data/hard-events" "$tmp/events"
geo=$tmp/events/geo-coordinates.md
cp "$geo" "$tmp/geo.orig"

# set_title TEXT: a new title for the geo event (so that a build has
# something to write).
set_title()
{
	sed "s/^title: .*/title: $1/" "$tmp/geo.orig" >"$tmp/edit" && mv "$tmp/edit" "$geo"
}

# conf NAME STATE: $tmp/NAME/evfeed.conf with the state at STATE; the
# output in $tmp/NAME/public. Prints the config's path.
conf()
{
	mkdir -p "$tmp/$1"
	write_config "$tmp/$1" "$tmp/events" "$tmp/$1/public" "$2"
	echo "$tmp/$1/evfeed.conf"
}

# run_serve CONF OUT ERR: starts `evfeed serve` and waits up to 20 s for it
# to be ready or to exit. Sets $serve_status to its exit status, or to
# "ready" (and $base to its address) when it serves; then the daemon runs,
# its pid in $daemon.
run_serve()
{
	rm -f "$2" "$3"
	"$EVFEED" serve --config "$1" --listen 127.0.0.1:0 >"$2" 2>"$3" </dev/null &
	daemon=$!
	if serve_wait "$2" "$daemon" 20; then
		serve_status=ready
	elif ! kill -0 "$daemon" 2>/dev/null; then
		wait "$daemon"
		serve_status=$?
		daemon=
	else
		serve_status=hung
	fi
}

stop_serve()
{
	if [ -n "$daemon" ]; then
		kill -9 "$daemon" 2>/dev/null
		wait "$daemon" 2>/dev/null
		daemon=
	fi
}

# refuses DESC CONF PATH [REASON]: build, fetch and serve with CONF each
# exit 1 at start, name PATH (and the system's REASON, when given) on
# stderr, and leave the output folder as it was.
refuses()
{
	_dir=$(dirname "$2")
	_why=${4:-}
	mkdir -p "$_dir/public"
	tree_sums "$_dir/public" >"$_dir/sums.before"
	for _cmd in build fetch; do
		"$EVFEED" "$_cmd" --config "$2" >"$_dir/$_cmd.out" 2>"$_dir/$_cmd.err" </dev/null
		_st=$?
		test $_st -eq 1 && grep -qF "$3" "$_dir/$_cmd.err" &&
			grep -qF "$_why" "$_dir/$_cmd.err"
		ok $? "$1: evfeed $_cmd exits 1 (status $_st) naming $(basename "$3")${_why:+ and saying '$_why'}"
		diag_file "$_dir/$_cmd.err"
	done
	run_serve "$2" "$_dir/serve.out" "$_dir/serve.err"
	test "$serve_status" = 1 && grep -qF "$3" "$_dir/serve.err" &&
		grep -qF "$_why" "$_dir/serve.err"
	ok $? "$1: evfeed serve stops at start with status 1 (status $serve_status) naming $(basename "$3")${_why:+ and saying '$_why'}"
	diag_file "$_dir/serve.err"
	stop_serve
	tree_sums "$_dir/public" >"$_dir/sums.after"
	cmp -s "$_dir/sums.before" "$_dir/sums.after"
	ok $? "$1: the output folder is left as it was"
}

# read_only DIR: makes DIR read-only for this user; fails when it cannot.
# Sets $ro_reason to what the system then says of a write there.
read_only()
{
	if [ "$(id -u)" -ne 0 ]; then
		ro_reason="Permission denied"
		chmod 555 "$1" && ! touch "$1/.probe" 2>/dev/null
		return
	fi
	ro_reason="Read-only file system"
	mkdir "$1.src" || return 1
	cp -R "$1/." "$1.src/" 2>/dev/null
	mount --bind "$1.src" "$1" 2>"$tmp/mount.err" || return 1
	mounted="$1 $mounted"
	mount -o remount,bind,ro "$1" 2>"$tmp/mount.err" || return 1
	! touch "$1/.probe" 2>/dev/null
}

# ---------------------------------------------- a read-only state folder

c=$(conf ro-empty "$tmp/ro-empty/state/state.db")
mkdir "$tmp/ro-empty/state"
if read_only "$tmp/ro-empty/state"; then
	refuses "read-only empty state folder" "$c" "$tmp/ro-empty/state" "$ro_reason"
else
	for d in "evfeed build" "evfeed fetch" "evfeed serve" "output"; do
		skip "read-only empty state folder: $d" \
			"cannot make a read-only folder here: $(head -n 1 "$tmp/mount.err" 2>/dev/null)"
	done
fi

c=$(conf ro-full "$tmp/ro-full/state/state.db")
"$EVFEED" build --config "$c" >/dev/null 2>&1
ok $? "an earlier build made the state of the next case"
if read_only "$tmp/ro-full/state"; then
	set_title "Edited with a read-only state"
	refuses "read-only state folder with a state" "$c" "$tmp/ro-full/state" "$ro_reason"
	# showing the sources writes nothing: it reads a state it may not
	# write
	"$EVFEED" sources --config "$c" >"$tmp/ro-full/sources.out" 2>"$tmp/ro-full/sources.err"
	st=$?
	test $st -eq 0 && grep -q '^SOURCE' "$tmp/ro-full/sources.out"
	ok $? "read-only state folder with a state: evfeed sources reads it (status $st)" ||
		diag_file "$tmp/ro-full/sources.err"
else
	for d in "evfeed build" "evfeed fetch" "evfeed serve" "output" \
		"evfeed sources reads it"; do
		skip "read-only state folder with a state: $d" \
			"cannot make a read-only folder here: $(head -n 1 "$tmp/mount.err" 2>/dev/null)"
	done
fi

# ------------------------------------- a state folder that cannot be made

mkdir "$tmp/nodir"
echo "a regular file" >"$tmp/nodir/file.txt"
c=$(conf nodir "$tmp/nodir/file.txt/state.db")
refuses "state folder under a regular file" "$c" "$tmp/nodir/file.txt" "is a file, not a folder"

# ---------------------------------------------- a state that is a folder

c=$(conf isdir "$tmp/isdir/state/state.db")
mkdir -p "$tmp/isdir/state/state.db"
refuses "a state that is a folder" "$c" "$tmp/isdir/state/state.db" "is a folder: name the state's file in it"

# ------------------------------------------------ not a database (E6)

# moved_aside DESC CONF STATE ORIG: the E6 behaviour for a bad file at STATE
# whose original bytes are in ORIG.
moved_aside()
{
	_dir=$(dirname "$2")
	"$EVFEED" build --config "$2" >"$_dir/build.out" 2>"$_dir/build.err" </dev/null
	_st=$?
	test $_st -le 1
	ok $? "$1: evfeed build does not crash (status $_st)"
	diag_file "$_dir/build.err"
	grep -qF "$3" "$_dir/build.err" &&
		grep -q "state.db: warning: .*moved it to '.*state.db.corrupt-" "$_dir/build.err" &&
		! grep -q 'WARNING\|^(evfeed:' "$_dir/build.err"
	ok $? "$1: the message names the state file, as a warning of the documented form"
	_sum=$(sha256sum <"$4" | cut -d' ' -f1)
	_kept=
	for _f in "$(dirname "$3")"/*; do
		case $_f in "$3" | "$3-wal" | "$3-shm") continue ;; esac
		if [ -f "$_f" ] && [ "$(sha256sum <"$_f" | cut -d' ' -f1)" = "$_sum" ]; then
			_kept=$_f
		fi
	done
	test $_st -eq 0 && test -n "$_kept" && test -s "$_dir/public/calendar.ics" &&
		grep -q 'BEGIN:VEVENT' "$_dir/public/calendar.ics"
	ok $? "$1: moved aside (its bytes kept${_kept:+ in $(basename "$_kept")}) and the state rebuilt: evfeed build succeeds (HARDENING E6)"
	run_serve "$2" "$_dir/serve.out" "$_dir/serve.err"
	_code=
	if [ "$serve_status" = ready ]; then
		_code=$("$CURL" -s -o /dev/null -w '%{http_code}' "$base/calendar.ics")
	fi
	test "$serve_status" = ready && test "$_code" = 200
	ok $? "$1: evfeed serve starts and serves the calendar (status $serve_status${_code:+, HTTP $_code})"
	if [ "$serve_status" != ready ]; then
		diag_file "$_dir/serve.err"
	fi
	stop_serve
}

mkdir -p "$tmp/notdb"
i=0
while [ $i -lt 40 ]; do
	echo "This is not a database: a note left where the state should be."
	i=$((i + 1))
done >"$tmp/notdb/state.db"
cp "$tmp/notdb/state.db" "$tmp/notdb.orig"
c=$(conf notdb "$tmp/notdb/state.db")
moved_aside "a text file at the state path" "$c" "$tmp/notdb/state.db" "$tmp/notdb.orig"

c=$(conf cut "$tmp/cut/state.db")
"$EVFEED" build --config "$c" >/dev/null 2>&1
size=$(wc -c <"$tmp/cut/state.db" | tr -d ' ')
test "$size" -gt 8192
ok $? "a state to cut short ($size bytes)"
head -c $((size / 3)) "$tmp/cut/state.db" >"$tmp/cut.orig"
cp "$tmp/cut.orig" "$tmp/cut/state.db"
set_title "Edited after the state was cut short"
moved_aside "a database cut short" "$c" "$tmp/cut/state.db" "$tmp/cut.orig"

# ------------------------------ a new state for a site that has published

# backup_state STATE COPY: a copy of STATE as `sqlite3 STATE .backup COPY`
# makes it (evfeed(1)).
backup_state()
{
	"${PYTHON3:-/usr/bin/python3}" - "$1" "$2" <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1])
dst = sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close()
PY
}

# seq_of CALENDAR TITLE: the SEQUENCE of the event TITLE in CALENDAR.
seq_of()
{
	awk -v t="SUMMARY:$2" '{ sub(/\r$/, "") }
		/^BEGIN:VEVENT/ { s = ""; hit = 0 }
		/^SEQUENCE:/ { s = substr($0, 10) }
		$0 == t { hit = 1 }
		/^END:VEVENT/ && hit { print s }' "$1"
}

# edited_twice NAME: a site built three times, the geo event edited twice
# (SEQUENCE 2); its CREATED lines in $tmp/NAME/created.
edited_twice()
{
	_c=$(conf "$1" "$tmp/$1/state.db")
	set_title "$1 zero" && "$EVFEED" build --config "$_c" >/dev/null 2>&1 &&
		set_title "$1 one" && "$EVFEED" build --config "$_c" >/dev/null 2>&1 &&
		set_title "$1 two" && "$EVFEED" build --config "$_c" >/dev/null 2>&1 &&
		test "$(seq_of "$tmp/$1/public/calendar.ics" "$1 two")" = 2 &&
		grep '^CREATED' "$tmp/$1/public/calendar.ics" | sort >"$tmp/$1/created"
}

# A state deleted (or lost with its disk): SEQUENCE numbers go on from
# those the calendars published, which calendar programs compare (an
# update with a lower one is ignored), and every event keeps when it was
# first seen (its CREATED, its feeds' publication date).
edited_twice lost
ok $? "a site whose geo event was edited twice (SEQUENCE 2)"
rm -f "$tmp/lost/state.db" "$tmp/lost/state.db-wal" "$tmp/lost/state.db-shm"
set_title "lost three"
"$EVFEED" build --config "$tmp/lost/evfeed.conf" >"$tmp/lost/out" 2>"$tmp/lost/err"
test $? -eq 0 &&
	test "$(seq_of "$tmp/lost/public/calendar.ics" "lost three")" = 3 &&
	grep '^CREATED' "$tmp/lost/public/calendar.ics" | sort | cmp -s - "$tmp/lost/created" &&
	grep -q 'state.db: warning: a new state: the SEQUENCE and first-seen time of [0-9]* events are taken from the calendars published' "$tmp/lost/err"
ok $? "the state deleted: the next edit has SEQUENCE 3, and every event its CREATED"
diag_file "$tmp/lost/err"

# A new state takes what the output folder holds of evfeed's calendars and
# scopes as published (withdrawing what is gone), and nothing else: files of
# other programs there stay as they are (evfeed.conf(5), output): a
# calendar of another PRODID among the one-event calendars, a folder whose
# calendar is not evfeed's, a file of another name in evfeed's folder. Nor
# does the calendar of the system a site moves from seed a new state.
c=$(conf others "$tmp/others/state.db")
"$EVFEED" build --config "$c" >/dev/null 2>&1
ok $? "a site to put other programs' files in"
o=$tmp/others/public
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Old CMS//EN\r\nBEGIN:VEVENT\r\nUID:legacy-1@old.example.org\r\nDTSTAMP:20170101T000000Z\r\nDTSTART:20170601T090000Z\r\nSUMMARY:Old summit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$o/events/legacy.ics"
cp "$o/events/legacy.ics" "$o/events/legacy.ics.gz"
mkdir -p "$o/category/mine" "$o/source/old"
echo '<p>mine</p>' >"$o/category/mine/index.html"
printf 'BEGIN:VCALENDAR\r\n' >"$o/category/mine/calendar.ics"
printf 'BEGIN:VCALENDAR\r\n' >"$o/source/old/calendar.ics"
theirs=$(find "$o/category" -mindepth 1 -maxdepth 1 -type d ! -name mine | head -n 1)
echo 'notes' >"$theirs/notes.txt"
mine="$o/events/legacy.ics $o/events/legacy.ics.gz $o/category/mine/index.html $o/category/mine/calendar.ics $o/source/old/calendar.ics $theirs/notes.txt"
# shellcheck disable=SC2086
cat $mine >"$tmp/others/mine"
rm -f "$tmp/others/state.db" "$tmp/others/state.db-wal" "$tmp/others/state.db-shm"
"$EVFEED" build --config "$c" >"$tmp/others/out" 2>"$tmp/others/err"
st=$?
# shellcheck disable=SC2086
test $st -eq 0 && cat $mine 2>/dev/null | cmp -s - "$tmp/others/mine" &&
	test "$(find "$o/category/mine" "$o/source/old" -type f | grep -c .)" -eq 3 &&
	! grep -q 'legacy' "$tmp/others/err"
ok $? "the state deleted: other programs' files in the output folder left as they were"
diag_file "$tmp/others/err"
c=$(conf moved "$tmp/moved/state.db")
mkdir -p "$tmp/moved/public/events" "$tmp/moved/public/category/news"
cp "$o/events/legacy.ics" "$tmp/moved/public/calendar.ics"
cp "$o/events/legacy.ics" "$tmp/moved/public/events/legacy.ics"
echo '<p>news</p>' >"$tmp/moved/public/category/news/index.html"
cp "$o/events/legacy.ics" "$tmp/moved/public/category/news/calendar.ics"
"$EVFEED" build --config "$c" >"$tmp/moved/out" 2>"$tmp/moved/err"
test $? -eq 0 && cmp -s "$tmp/moved/public/events/legacy.ics" "$o/events/legacy.ics" &&
	grep -q '^<p>news</p>$' "$tmp/moved/public/category/news/index.html" &&
	grep -q '^PRODID:-//evfeed//' "$tmp/moved/public/calendar.ics" &&
	! grep -q 'a new state' "$tmp/moved/err"
ok $? "a first build over another program's output: its files left, no state seeded from them"
diag_file "$tmp/moved/err"

# A state damaged where opening it does not look (every page after the
# first): moved aside by the build that finds it, which then succeeds with a
# new state seeded from the published calendars.
edited_twice deep
ok $? "a site whose geo event was edited twice, to be damaged"
size=$(wc -c <"$tmp/deep/state.db" | tr -d ' ')
head -c $((size - 4096)) /dev/urandom |
	dd of="$tmp/deep/state.db" bs=4096 seek=1 conv=notrunc 2>/dev/null
cp "$tmp/deep/state.db" "$tmp/deep/damaged"
# a build that finds an error in an event file leaves it as it is (the
# damage not yet found), and the output
sed 's/^start: .*/start: 2018-02-30/' "$tmp/geo.orig" >"$geo"
(cd "$tmp/deep/public" && find . -type f -exec cksum {} + | sort) >"$tmp/deep/sums.before"
"$EVFEED" build --config "$tmp/deep/evfeed.conf" >/dev/null 2>"$tmp/deep/err0"
st=$?
(cd "$tmp/deep/public" && find . -type f -exec cksum {} + | sort) >"$tmp/deep/sums.after"
test $st -eq 1 && grep -q 'nothing was written' "$tmp/deep/err0" &&
	! grep -q 'moved it to' "$tmp/deep/err0" &&
	cmp -s "$tmp/deep/state.db" "$tmp/deep/damaged" &&
	test -z "$(find "$tmp/deep" -maxdepth 1 -name 'state.db.corrupt-*')" &&
	cmp -s "$tmp/deep/sums.before" "$tmp/deep/sums.after"
ok $? "a state damaged deep in, and an error in an event file: the build fails, the state and the output as they were"
diag_file "$tmp/deep/err0"
set_title "deep three"
"$EVFEED" build --config "$tmp/deep/evfeed.conf" >"$tmp/deep/out" 2>"$tmp/deep/err"
test $? -eq 0 &&
	test -n "$(find "$tmp/deep" -maxdepth 1 -name 'state.db.corrupt-*')" &&
	grep -q 'state.db: warning: .*malformed.*moved it to' "$tmp/deep/err" &&
	! grep -q 'WARNING\|^(evfeed:' "$tmp/deep/err" &&
	test "$(seq_of "$tmp/deep/public/calendar.ics" "deep three")" = 3 &&
	grep '^CREATED' "$tmp/deep/public/calendar.ics" | sort | cmp -s - "$tmp/deep/created" &&
	"$EVFEED" build --config "$tmp/deep/evfeed.conf" >"$tmp/deep/out2" 2>&1 &&
	grep -q 'nothing changed' "$tmp/deep/out2"
ok $? "a state damaged deep in: moved aside, the build succeeds, SEQUENCE 3 and every CREATED kept"
diag_file "$tmp/deep/err"

# A state restored from a backup older than what was published (evfeed(1)
# advises backups): no SEQUENCE goes back, and the next edit goes past
# what subscribers have; an event added after the backup keeps its CREATED.
c=$(conf restored "$tmp/restored/state.db")
set_title "restored zero" && "$EVFEED" build --config "$c" >/dev/null 2>&1
backup_state "$tmp/restored/state.db" "$tmp/restored/backup.db"
set_title "restored one" && "$EVFEED" build --config "$c" >/dev/null 2>&1 &&
	set_title "restored two" && "$EVFEED" build --config "$c" >/dev/null 2>&1
grep '^CREATED' "$tmp/restored/public/calendar.ics" | sort >"$tmp/restored/created"
test "$(seq_of "$tmp/restored/public/calendar.ics" "restored two")" = 2
ok $? "a site whose geo event was edited twice after a backup (SEQUENCE 2)"
rm -f "$tmp/restored/state.db" "$tmp/restored/state.db-wal" "$tmp/restored/state.db-shm"
cp "$tmp/restored/backup.db" "$tmp/restored/state.db"
"$EVFEED" build --config "$c" >"$tmp/restored/out" 2>"$tmp/restored/err"
st=$?
s=$(seq_of "$tmp/restored/public/calendar.ics" "restored two")
test $st -eq 0 && test "$s" -ge 2 &&
	grep -q 'state.db: warning: the output folder holds calendars this state did not publish (a state restored from a backup?)' "$tmp/restored/err"
ok $? "the backup restored: SEQUENCE $s, not back to 1, with a warning"
diag_file "$tmp/restored/err"
set_title "restored three"
"$EVFEED" build --config "$c" >"$tmp/restored/out" 2>"$tmp/restored/err2"
s3=$(seq_of "$tmp/restored/public/calendar.ics" "restored three")
test "$s3" -gt "$s" && ! grep -v 'warning: description: the \(HTML\|link\)' "$tmp/restored/err2" | grep -q 'warning' &&
	grep '^CREATED' "$tmp/restored/public/calendar.ics" | sort | cmp -s - "$tmp/restored/created"
ok $? "the next edit: SEQUENCE $s3, above it, every CREATED kept, no warning again"

# The calendar touched (or restored in place with its state): looked at
# once, nothing to take, no warning, and not looked at again.
touch -d '2020-01-01' "$tmp/restored/public/calendar.ics"
"$EVFEED" build --config "$c" >/dev/null 2>"$tmp/restored/err3" &&
	"$EVFEED" build --config "$c" >/dev/null 2>"$tmp/restored/err4" &&
	! grep -q warning "$tmp/restored/err3" "$tmp/restored/err4" &&
	test "$(seq_of "$tmp/restored/public/calendar.ics" "restored three")" = "$s3"
ok $? "calendar.ics touched: no warning, now or at the next build, SEQUENCE kept"
diag_file "$tmp/restored/err3"

# A build that finds an error writes nothing, the state neither: not what
# it would take from a calendar touched since (its stamp, its manifest), nor
# what a new state for a damaged one would take.
meta_of()
{
	"${PYTHON3:-/usr/bin/python3}" - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("SELECT * FROM meta ORDER BY key"):
    print(repr(row))
PY
}
meta_of "$tmp/restored/state.db" >"$tmp/restored/meta.before"
touch -d '2021-01-01' "$tmp/restored/public/calendar.ics"
sed 's/^start: .*/start: 2018-02-30/' "$tmp/geo.orig" >"$geo"
"$EVFEED" build --config "$c" >/dev/null 2>"$tmp/restored/err6"
st=$?
meta_of "$tmp/restored/state.db" >"$tmp/restored/meta.after"
test $st -eq 1 && grep -q 'nothing was written' "$tmp/restored/err6" &&
	cmp -s "$tmp/restored/meta.before" "$tmp/restored/meta.after"
ok $? "a build with an error after calendar.ics was touched: the state as it was"
diag_file "$tmp/restored/err6"
cp "$tmp/restored/state.db" "$tmp/restored/state.keep"
rm -f "$tmp/restored/state.db-wal" "$tmp/restored/state.db-shm"
echo garbage >"$tmp/restored/state.db"
"$EVFEED" build --config "$c" >/dev/null 2>"$tmp/restored/err7"
st=$?
test $st -eq 1 && grep -q 'state.db: warning: .*left as it is until a build without errors' "$tmp/restored/err7" &&
	! grep -q 'moved it to\|a new state: the SEQUENCE' "$tmp/restored/err7" &&
	test "$(cat "$tmp/restored/state.db")" = garbage &&
	test -z "$(find "$tmp/restored" -maxdepth 1 -name 'state.db.corrupt-*')"
ok $? "a build with an error and a damaged state: the state left as it is, and told"
diag_file "$tmp/restored/err7"
# the same under serve, whose first build finds the error
run_serve "$c" "$tmp/restored/serve7.out" "$tmp/restored/serve7.err"
wait_until 10 grep -q 'error.* in the events' "$tmp/restored/serve7.err"
told=$?
stop_serve
test "$serve_status" = ready && test $told -eq 0 &&
	test "$(cat "$tmp/restored/state.db")" = garbage &&
	test -z "$(find "$tmp/restored" -maxdepth 1 -name 'state.db.corrupt-*')"
ok $? "serve with an error and a damaged state: the state left as it is (status $serve_status)"
diag_file "$tmp/restored/serve7.err"
# and once the file is mended, the server's build moves it aside and
# serves a new one
cp "$tmp/geo.orig" "$geo"
run_serve "$c" "$tmp/restored/serve8.out" "$tmp/restored/serve8.err"
code=
if [ "$serve_status" = ready ]; then
	wait_until 10 grep -q 'published' "$tmp/restored/serve8.err"
	code=$("$CURL" -s -o /dev/null -w '%{http_code}' "$base/calendar.ics")
fi
stop_serve
test "$code" = 200 &&
	grep -q 'state.db: warning: .*moved it to' "$tmp/restored/serve8.err" &&
	test -n "$(find "$tmp/restored" -maxdepth 1 -name 'state.db.corrupt-*')"
ok $? "serve with a damaged state and good files: moved aside, the calendar served (HTTP ${code:-none})"
diag_file "$tmp/restored/serve8.err"
rm -f "$tmp/restored"/state.db.corrupt-*
rm -f "$tmp/restored/state.db" "$tmp/restored/state.db-wal" "$tmp/restored/state.db-shm"
cp "$tmp/restored/state.keep" "$tmp/restored/state.db"
set_title "restored three"

# A backup made by an evfeed that did not record the calendar it published
# (no "published" in the state): looked at all the same.
"${PYTHON3:-/usr/bin/python3}" - "$tmp/restored/state.db" "$tmp/restored/backup.db" <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1])
dst = sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.execute("DELETE FROM meta WHERE key = 'published'")
dst.commit()
dst.close()
PY
set_title "restored four" && "$EVFEED" build --config "$c" >/dev/null 2>&1 &&
	set_title "restored five" && "$EVFEED" build --config "$c" >/dev/null 2>&1
s5=$(seq_of "$tmp/restored/public/calendar.ics" "restored five")
rm -f "$tmp/restored/state.db" "$tmp/restored/state.db-wal" "$tmp/restored/state.db-shm"
cp "$tmp/restored/backup.db" "$tmp/restored/state.db"
set_title "restored six"
"$EVFEED" build --config "$c" >/dev/null 2>"$tmp/restored/err5"
s6=$(seq_of "$tmp/restored/public/calendar.ics" "restored six")
test "$s6" -gt "$s5"
ok $? "an older evfeed's backup restored: the next edit's SEQUENCE $s6 is above $s5"
diag_file "$tmp/restored/err5"

# The events folder restored with the state, from one backup (one disk),
# the output folder not: an event edited after the backup goes out as it
# was, as a revision of its own, SEQUENCE above the one subscribers have
# (with SEQUENCE and LAST-MODIFIED unchanged, calendar programs keep the
# edit); an event added after the backup, and gone with the restore, is
# withdrawn: its one-event calendar goes, and its category, of no event
# now, is emptied.
c=$(conf together "$tmp/together/state.db")
set_title "together before" && "$EVFEED" build --config "$c" >/dev/null 2>&1
backup_state "$tmp/together/state.db" "$tmp/together/backup.db"
cat >"$tmp/events/added-after-the-backup.md" <<'EOF'
---
title: Added after the backup
start: 2030-05-06
categories: [Added Later]
---
Gone with the restore.
EOF
set_title "together edited" && "$EVFEED" build --config "$c" >/dev/null 2>&1
s7=$(seq_of "$tmp/together/public/calendar.ics" "together edited")
test -n "$s7" && test -f "$tmp/together/public/events/added-after-the-backup.ics" &&
	test "$(seq_of "$tmp/together/public/category/added-later/calendar.ics" \
	    "Added after the backup")" = 0
ok $? "an event edited after a backup (SEQUENCE $s7), and one added"
rm -f "$tmp/together/state.db" "$tmp/together/state.db-wal" "$tmp/together/state.db-shm" \
    "$tmp/events/added-after-the-backup.md"
cp "$tmp/together/backup.db" "$tmp/together/state.db"
set_title "together before"
"$EVFEED" build --config "$c" >"$tmp/together/out" 2>"$tmp/together/err"
st=$?
s8=$(seq_of "$tmp/together/public/calendar.ics" "together before")
test $st -eq 0 && test -n "$s8" && test "$s8" -gt "$s7"
ok $? "restored with its file: the event as it was, SEQUENCE $s8 above $s7"
diag_file "$tmp/together/err"
test ! -e "$tmp/together/public/events/added-after-the-backup.ics" &&
	test -f "$tmp/together/public/category/added-later/calendar.ics" &&
	! grep -q '^BEGIN:VEVENT' "$tmp/together/public/category/added-later/calendar.ics" &&
	grep -q 'the event of added-after-the-backup.md (its calendar events/added-after-the-backup.ics) is gone' "$tmp/together/err"
ok $? "the event added after the backup is withdrawn, its category emptied"
"$EVFEED" build --config "$c" >"$tmp/together/out2" 2>&1 &&
	grep -q 'nothing changed' "$tmp/together/out2" &&
	test "$(seq_of "$tmp/together/public/calendar.ics" "together before")" = "$s8"
ok $? "and the next build changes nothing"

# A build killed after its renames, before it recorded what it published,
# then its edit undone: the next build has the inputs of the last one that
# finished, and output files of the sizes that one recorded, and yet it
# may not skip: the files are those of the killed build. (The state is put
# as the kill leaves it, the killed build's files of the same sizes.)
kd=$tmp/killed-publishing
mkdir "$kd"
cp -R "$top_srcdir/feeds/events" "$kd/events"
write_config "$kd" "$kd/events"
kf=$kd/events/2018-06-28-illicit-financial-flows-zagreb.md
sed -i 's/^title: .*/title: Published AAAA/' "$kf"
"$EVFEED" build --config "$kd/evfeed.conf" >/dev/null 2>&1
inputs=$(sqlite3 "$kd/state.db" "SELECT value FROM meta WHERE key = 'inputs'")
sed -i 's/^title: .*/title: Published BBBB/' "$kf"
"$EVFEED" build --config "$kd/evfeed.conf" >/dev/null 2>&1
sqlite3 "$kd/state.db" "UPDATE meta SET value = '$inputs' WHERE key = 'inputs';
	UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'manifest')
	WHERE key = 'publishing';"
sed -i 's/^title: .*/title: Published AAAA/' "$kf"
"$EVFEED" build --config "$kd/evfeed.conf" >"$kd/out" 2>"$kd/err"
st=$?
test -n "$inputs" && test $st -eq 0 && ! grep -q 'nothing changed' "$kd/out" &&
	grep -q 'Published AAAA' "$kd/public/rss.xml" &&
	! grep -q 'Published BBBB' "$kd/public/rss.xml" &&
	test -z "$(sqlite3 "$kd/state.db" "SELECT value FROM meta WHERE key = 'publishing'")"
ok $? "a build killed while publishing, its edit undone: the next build does not skip, and publishes the inputs"
diag_file "$kd/err"

# A state made read-only: the build says which file it cannot write, and
# leaves no read-only -wal or -shm behind (SQLite makes them with the
# state's mode, and every build failed on "attempt to write a readonly
# database" once the state was writable again). As root, which writes
# every file, the builds run as nobody.
ro=$(mktemp -d "${TMPDIR:-/tmp}/evfeed-ro.XXXXXX") || bail_out "mktemp failed"
chmod 755 "$ro"
trap 'rm -rf "$ro"; cleanup' EXIT
cp -R "$top_srcdir/feeds/events" "$ro/events"
write_config "$ro" "$ro/events" "$ro/public" "$ro/var/state.db"
as=
runs=yes
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		chown -R 65534:65534 "$ro"
	else
		runs=
	fi
fi
if [ -n "$runs" ]; then
	$as "$EVFEED" build --config "$ro/evfeed.conf" >/dev/null 2>"$ro/err0"
	first=$?
	chmod 444 "$ro/var/state.db"
	printf 'Edited while the state was read-only.\n' >>"$ro/events/2018-06-28-illicit-financial-flows-zagreb.md"
	$as "$EVFEED" build --config "$ro/evfeed.conf" >/dev/null 2>"$ro/err1"
	second=$?
	diag_file "$ro/err1"
	test $first -eq 0 && test $second -eq 1 &&
		grep -q "^evfeed: error: state '$ro/var/state.db': cannot write '$ro/var/state.db': Permission denied\$" "$ro/err1" &&
		test ! -e "$ro/var/state.db-shm" && test ! -e "$ro/var/state.db-wal" &&
		! grep -q 'Edited while the state' "$ro/public/rss.xml"
	ok $? "a read-only state: the build names it, writes nothing, and leaves no -wal or -shm"
	chmod 644 "$ro/var/state.db"
	$as "$EVFEED" build --config "$ro/evfeed.conf" >/dev/null 2>"$ro/err2" &&
		grep -q 'Edited while the state' "$ro/public/rss.xml"
	ok $? "made writable again, the next build publishes the edit"
	diag_file "$ro/err2"
	# a -shm left read-only by another program: named
	: >"$ro/var/state.db-shm"
	chmod 444 "$ro/var/state.db-shm"
	$as "$EVFEED" build --config "$ro/evfeed.conf" >/dev/null 2>"$ro/err3"
	test $? -eq 1 &&
		grep -q "^evfeed: error: state '$ro/var/state.db': cannot write '$ro/var/state.db-shm': Permission denied (SQLite makes it with the state's mode: make it writable too)\$" "$ro/err3"
	ok $? "a read-only -shm beside a writable state is named"
	diag_file "$ro/err3"
	# a state reached through a link: SQLite keeps its -wal and -shm
	# beside the file the link names, and so are they looked at
	rm -f "$ro/var/state.db-shm"
	mkdir "$ro/real"
	mv "$ro/var/state.db" "$ro/real/state.db"
	ln -s ../real/state.db "$ro/var/state.db"
	: >"$ro/var/state.db-shm"
	chmod 444 "$ro/var/state.db-shm"
	chown -R 65534:65534 "$ro/real" "$ro/var" 2>/dev/null
	$as "$EVFEED" build --config "$ro/evfeed.conf" >/dev/null 2>"$ro/err4"
	st4=$?
	: >"$ro/real/state.db-shm"
	chmod 444 "$ro/real/state.db-shm"
	$as "$EVFEED" build --config "$ro/evfeed.conf" >/dev/null 2>"$ro/err5"
	st5=$?
	test $st4 -eq 0 && test $st5 -eq 1 &&
		grep -q "cannot write '$ro/real/state.db-shm': Permission denied" "$ro/err5"
	ok $? "a state through a link: a read-only -shm beside the link is none of its own, and one beside its file is named"
	diag_file "$ro/err4"
	diag_file "$ro/err5"
else
	for t in "a read-only state" "made writable again" "a read-only -shm" \
		"a state through a link"; do
		skip "$t" "running as root without setpriv"
	done
fi

done_testing
