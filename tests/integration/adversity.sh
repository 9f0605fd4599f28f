#!/bin/sh
# adversity.sh: the daemon, the state and the outputs when the world around
# them misbehaves (HARDENING.md §3, cases D10, E3 and E7 to E11). Every
# server started here listens on 127.0.0.1 on a free port and stops by
# itself; nothing leaves the machine.
#
# A site of 1000 events (bench/gen-events.py), its calendar over 1 MB,
# served with `[server] timeout=3s`:
# D10  40 clients with a 1 KiB receive buffer ask for the calendar and never
#      read: the daemon's resident memory grows by far less than a calendar
#      per client, another client meanwhile gets the whole calendar at
#      once, and the idle timeout closes every stalled connection (the
#      daemon's sockets go back to what they were; a stalled client reading
#      at last gets part of the calendar, then the end of the connection).
#      Then 10,000 requests on one kept-alive connection: all answered, the
#      memory bounded.
# E10  SIGTERM the moment a rebuild has a temporary file out: the rebuild
#      finishes and publishes the edit, exit status 0, every output parses,
#      none is temporary, integrity_check is ok.
# E11  `evfeed build` of an edit under `ulimit -v` limits rising by 8 %
#      from the smallest that lets evfeed start: no build that runs out of
#      memory hangs; each exits non-zero and leaves every output file its
#      old or its complete new version; at least one dies in the middle
#      (with temporary files of its own written) leaving the outputs
#      byte-identical, and none of those records the edit in the state
#      (a build records it once its files are written); the first with
#      enough memory publishes the edit.
#      (The libical child under its RLIMIT_AS: /import-ics/sandbox/
#      memory-limit.) Skipped where evfeed cannot run under `ulimit -v`
#      (AddressSanitizer).
# Threads  `evfeed build` of a copy of it with pthread_create failing
#      (tests/fail-sync.so, EVFEED_FAIL_THREADS): it finishes, with the
#      same bytes as a build with threads; so does `evfeed fetch` of the
#      small site's sources.
#
# A small site (feeds/events) with two partner sources on the fixture
# server (tests/integration/partner-server.py), `interval=1h`:
# E3   The state held by another process (python3's sqlite3, BEGIN
#      EXCLUSIVE): `evfeed build` of an edit fails after the 5 s busy
#      timeout with "database is locked" naming the state, exit status 1,
#      the outputs byte-identical, no temporary file; `evfeed sources`
#      still reads the state; once the lock is gone the next build
#      publishes the edit.
# E7   The state's -wal and -shm deleted while `evfeed serve` runs (and
#      -shm alone): the next rebuild publishes an edit, or fails naming the
#      state while the previous calendar stays served; a source that falls
#      due meanwhile is fetched once, not again on every tick; SIGTERM gives
#      status 0; the state passes integrity_check and still knows every
#      event; the next build publishes the edit. (A read-only or impossible
#      state folder: state-dir.sh.)
# E8   fsync and syncfs failing with EIO (tests/fail-sync.so, preloaded):
#      the syncfs of the output folder fails the build with status 1 and
#      "cannot flush" naming it, is called once (never retried), leaves no
#      temporary file and the outputs byte-identical; a folder fsync after
#      the renames fails the build the same way, and every output is its
#      old or its new version; fsync failing on the state fails the build
#      naming the state, which passes integrity_check; the next build
#      publishes the edit.
# E9   The fetch times moved in the state: 400 days back (the clock jumped
#      forward) makes each source due, fetched exactly once by the daemon,
#      then scheduled an hour from now; 400 days ahead (the clock jumped
#      back a day) delays them: `evfeed sources` shows the date, the daemon
#      fetches nothing and idles (under half a second of CPU in 4 s), and
#      `evfeed fetch` puts the schedule right; 400 days ahead, farther than
#      evfeed ever schedules, makes them due: fetched once, then an hour
#      from now. The wall clock of a running daemon stepped (fail-sync.so,
#      EVFEED_CLOCK_STEP_FILE): a day forward makes nothing due, an hour
#      back leaves a fetch due in 3 s due in 3 s.
# E10  SIGTERM while a fetch hangs or drips (the source's timeout 30 s):
#      exit status 0 within 5 s, the sources and their items exactly as
#      before (nothing committed), the outputs byte-identical,
#      integrity_check ok.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional PYTHON3,
# CURL. EVFEED_KEEP_TMP=1 keeps the temporary folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
PYTHON3=${PYTHON3:-/usr/bin/python3}
CURL=${CURL:-curl}

"$PYTHON3" -c 'import http.server, sqlite3' >/dev/null 2>&1 ||
	skip_all "no python3 with sqlite3 ($PYTHON3) for the clients and the state"
"$CURL" --version >/dev/null 2>&1 ||
	skip_all "no curl ($CURL) to ask the daemon"

tmp=$(mktmp)
py=$tmp/adversity.py
shim=$(dirname "$EVFEED")/tests/fail-sync.so
serve_pid=
server=
helper=
# shellcheck disable=SC2154
trap 'for p in $serve_pid $server $helper; do kill -9 "$p" 2>/dev/null; done; _tap_cleanup' EXIT

cat >"$py" <<'EOF'
"""Helpers of adversity.sh. Subcommands:
  stall PORT N PATH RELEASE  N connections with a 1 KiB receive buffer ask
                             for PATH and never read; prints "OPEN N"; once
                             the file RELEASE exists, reads what the first
                             three still get: "DRAINED BYTES eof|reset|open"
  keepalive PORT N PATH      N HEAD requests on one kept-alive connection;
                             prints "ANSWERED K" (K answered 200)
  signal-on-temp PID DIR     prints "WATCHING", then sends SIGTERM to PID as
                             soon as DIR holds a temporary file ("SENT"), or
                             gives up after 60 s ("MISSED")
  lock STATE RELEASE         holds STATE with BEGIN EXCLUSIVE ("LOCKED")
                             until the file RELEASE exists (at most 120 s)
  sql STATE SQL              runs SQL on STATE, prints the rows
  outputs DIR                checks that every file below DIR parses
                             completely: "ERROR ..." lines, "CHECKED N"
  rss PID                    the resident memory of PID in KiB
  cpu PID                    the CPU time of PID in clock ticks
  sockets PID                how many sockets PID holds
"""
import gzip
import json
import os
import signal
import socket
import sqlite3
import sys
import time
import xml.etree.ElementTree as ET

TEMP = '.evfeed-tmp-'


def stall(port, n, path, release):
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.connect(('127.0.0.1', port))
        s.sendall(('GET %s HTTP/1.1\r\nHost: x\r\n\r\n' % path).encode())
        socks.append(s)
    print('OPEN %d' % n, flush=True)
    end = time.monotonic() + 120
    while not os.path.exists(release) and time.monotonic() < end:
        time.sleep(0.1)
    for s in socks[:3]:
        s.settimeout(30)
        got, how = 0, 'eof'
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                got += len(data)
        except socket.timeout:
            how = 'open'
        except OSError:
            how = 'reset'
        print('DRAINED %d %s' % (got, how), flush=True)


def keepalive(port, n, path):
    s = socket.create_connection(('127.0.0.1', port), timeout=30)
    f = s.makefile('rb')
    req = ('HEAD %s HTTP/1.1\r\nHost: x\r\n\r\n' % path).encode()
    answered = 0
    for _ in range(n):
        s.sendall(req)
        status = f.readline()
        while True:
            line = f.readline()
            if line in (b'\r\n', b'\n', b''):
                break
        if not status:
            break
        if status.startswith(b'HTTP/1.1 200 '):
            answered += 1
    print('ANSWERED %d' % answered)


def signal_on_temp(pid, top):
    print('WATCHING', flush=True)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            names = os.listdir(top)
        except OSError:
            names = []
        if [n for n in names if n.startswith('.') and TEMP in n]:
            os.kill(pid, signal.SIGTERM)
            print('SENT', flush=True)
            return
        # a temporary file stays until the build's syncfs() is done:
        # looking every 2 ms leaves the processor to the daemon
        time.sleep(0.002)
    print('MISSED', flush=True)


def lock(state, release):
    db = sqlite3.connect(state, isolation_level=None)
    db.execute('BEGIN EXCLUSIVE')
    print('LOCKED', flush=True)
    end = time.monotonic() + 120
    while not os.path.exists(release) and time.monotonic() < end:
        time.sleep(0.05)
    db.execute('ROLLBACK')


def sql(state, text):
    db = sqlite3.connect(state, isolation_level=None)
    for row in db.execute(text):
        print('\t'.join(str(v) for v in row))


def check_one(rel, name, data, errors):
    if not data:
        errors.append('%s: empty' % rel)
    elif name.endswith('.ics'):
        if not data.startswith(b'BEGIN:VCALENDAR\r\n') or \
                not data.endswith(b'END:VCALENDAR\r\n'):
            errors.append('%s: not a whole calendar' % rel)
    elif name.endswith('.xml'):
        try:
            ET.fromstring(data)
        except ET.ParseError as e:
            errors.append('%s: %s' % (rel, e))
    elif name.endswith('.json'):
        try:
            json.loads(data.decode('utf-8'))
        except ValueError as e:
            errors.append('%s: %s' % (rel, e))


def outputs(top):
    errors = []
    checked = 0
    for root, dirs, files in os.walk(top):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), top)
            if TEMP in name:
                errors.append('%s: a temporary file' % rel)
                continue
            with open(os.path.join(root, name), 'rb') as f:
                data = f.read()
            if name.endswith('.gz'):
                try:
                    data = gzip.decompress(data)
                except (OSError, EOFError) as e:
                    errors.append('%s: %s' % (rel, e))
                    continue
                name = name[:-3]
            check_one(rel, name, data, errors)
            checked += 1
    for e in errors:
        print('ERROR %s' % e)
    print('CHECKED %d' % checked)


def proc_field(pid, key):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return -1


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'stall':
        stall(int(args[0]), int(args[1]), args[2], args[3])
    elif cmd == 'keepalive':
        keepalive(int(args[0]), int(args[1]), args[2])
    elif cmd == 'signal-on-temp':
        signal_on_temp(int(args[0]), args[1])
    elif cmd == 'lock':
        lock(args[0], args[1])
    elif cmd == 'sql':
        sql(args[0], args[1])
    elif cmd == 'outputs':
        outputs(args[0])
    elif cmd == 'rss':
        print(proc_field(int(args[0]), 'VmRSS'))
    elif cmd == 'cpu':
        with open('/proc/%s/stat' % args[0]) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        print(int(fields[11]) + int(fields[12]))
    elif cmd == 'sockets':
        # A connection the daemon closes between the listing and the
        # readlink is not counted: it is gone.
        fds = '/proc/%s/fd' % args[0]
        n = 0
        for fd in os.listdir(fds):
            try:
                n += os.readlink(os.path.join(fds, fd)).startswith('socket:')
            except FileNotFoundError:
                pass
        print(n)


main()
EOF

# sql STATE SQL: runs SQL on the state, prints the rows (tab-separated).
sql()
{
	"$PYTHON3" "$py" sql "$1" "$2"
}

# temps DIR: the temporary files below DIR, one a line.
temps()
{
	find "$1" -name '.*evfeed-tmp-*' 2>/dev/null
}

# wait_for FILE PATTERN SECS: waits up to SECS seconds for a line of FILE
# that matches PATTERN (grep -E); returns 1 when none came.
wait_for()
{
	_wf_n=0
	while ! grep -Eq "$2" "$1" 2>/dev/null; do
		[ $_wf_n -ge $(($3 * 20)) ] && return 1
		sleep 0.05
		_wf_n=$((_wf_n + 1))
	done
}

# outputs_parse DESC DIR: every file below DIR parses completely.
outputs_parse()
{
	"$PYTHON3" "$py" outputs "$2" >"$tmp/outputs.out" 2>&1
	! grep -q '^ERROR' "$tmp/outputs.out" && grep -q '^CHECKED [1-9]' "$tmp/outputs.out"
	ok $? "$1: every output parses completely, none is temporary ($(sed -n 's/^CHECKED //p' "$tmp/outputs.out") files)"
	grep '^ERROR' "$tmp/outputs.out" | head -n 5 | while read -r l; do diag "$l"; done
}

# now_us: the time now in microseconds since the epoch (the state's unit).
now_us()
{
	echo $(($(date +%s) * 1000000))
}

# ------------------------------------------------------------ the big site

big=$tmp/big
mkdir "$big"
"$PYTHON3" "$top_srcdir/bench/gen-events.py" 1000 "$big/events" >/dev/null 2>"$tmp/gen.err" ||
	bail_out "bench/gen-events.py failed: $(head -n 1 "$tmp/gen.err")"
write_config "$big" "$big/events"
cat >>"$big/evfeed.conf" <<EOF

[server]
timeout=3s
EOF
"$EVFEED" build --config "$big/evfeed.conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "a site of 1000 events is built"
callen=$(wc -c <"$big/public/calendar.ics" | tr -d ' ')
test "$callen" -gt 1000000
ok $? "its calendar is large ($callen bytes)"
big_event=$(ls "$big/events" | sed -n 5p)

# ---------------------------------------------- D10: clients that never read

# Under AddressSanitizer freed memory waits in a quarantine of 256 MB,
# which the resident size counts: none for this daemon, whose memory is
# measured.
asan_options=${ASAN_OPTIONS-}
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
export ASAN_OPTIONS
serve_start "$big/evfeed.conf" "$tmp/d10.out" "$tmp/d10.err"
started=$?
ASAN_OPTIONS=$asan_options
if [ $started -eq 0 ]; then
	port=${base##*:}
	sleep 1
	rss0=$("$PYTHON3" "$py" rss "$serve_pid")
	sock0=$("$PYTHON3" "$py" sockets "$serve_pid")
	rm -f "$tmp/release"
	"$PYTHON3" "$py" stall "$port" 40 /calendar.ics "$tmp/release" \
		>"$tmp/stall.out" 2>"$tmp/stall.err" &
	helper=$!
	wait_for "$tmp/stall.out" '^OPEN' 30
	sleep 0.3
	rss1=$("$PYTHON3" "$py" rss "$serve_pid")
	sock1=$("$PYTHON3" "$py" sockets "$serve_pid")
	test "$sock1" -ge $((sock0 + 40))
	ok $? "D10: 40 clients that never read hold their connections ($sock0 sockets before, $sock1 now)"
	growth=$((rss1 - rss0))
	test "$growth" -lt 16384
	ok $? "D10: the daemon's memory grows by $growth KiB for them (one calendar each would be $((callen * 40 / 1024)) KiB)"
	code=$("$CURL" -s -m 5 -o "$tmp/cal.got" -w '%{http_code} %{time_total}' "$base/calendar.ics")
	test "${code% *}" = 200 && cmp -s "$tmp/cal.got" "$big/public/calendar.ics"
	ok $? "D10: meanwhile another client gets the whole calendar (HTTP $code s)"
	# The idle timeout (3 s) closes the stalled connections.
	n=0
	sock2=$sock1
	while [ "$sock2" -gt "$sock0" ] && [ $n -lt 150 ]; do
		sleep 0.1
		n=$((n + 1))
		sock2=$("$PYTHON3" "$py" sockets "$serve_pid")
	done
	test "$sock2" -le "$sock0"
	ok $? "D10: the idle timeout closes every stalled connection (sockets back to $sock2 after $((n / 10)).$((n % 10)) s more)"
	touch "$tmp/release"
	wait "$helper"
	helper=
	bad=$(awk -v len="$callen" '/^DRAINED/ && ($2 >= len || $3 == "open") { n++ } END { print n + 0 }' "$tmp/stall.out")
	test "$(grep -c '^DRAINED' "$tmp/stall.out")" -eq 3 && test "$bad" -eq 0
	ok $? "D10: a stalled client reading at last gets part of the calendar, then the end of the connection ($(sed -n 's/^DRAINED //p' "$tmp/stall.out" | tr '\n' ';'))"
	diag_file "$tmp/stall.err"

	"$PYTHON3" "$py" keepalive "$port" 10000 /calendar.ics >"$tmp/keepalive.out" 2>&1
	grep -q '^ANSWERED 10000$' "$tmp/keepalive.out"
	ok $? "D10: 10,000 requests on one kept-alive connection are all answered ($(cat "$tmp/keepalive.out"))"
	rss2=$("$PYTHON3" "$py" rss "$serve_pid")
	test $((rss2 - rss0)) -lt 16384
	ok $? "D10: ... and the daemon's memory grows by $((rss2 - rss0)) KiB in all"
	serve_stop TERM
	test "$serve_status" -eq 0
	ok $? "D10: SIGTERM: exit status 0 ($serve_status)"
else
	diag_file "$tmp/d10.err"
	fail "D10: evfeed serve of the big site starts"
	serve_stop KILL
fi

# ------------------------------------------- E10: SIGTERM during a rebuild

if serve_start "$big/evfeed.conf" "$tmp/e10.out" "$tmp/e10.err"; then
	"$PYTHON3" "$py" signal-on-temp "$serve_pid" "$big/public" >"$tmp/watch.out" 2>&1 &
	helper=$!
	wait_for "$tmp/watch.out" WATCHING 30
	retitle "$big/events/$big_event" "Edited before SIGTERM"
	wait "$helper"
	helper=
	serve_stop 0
	grep -q SENT "$tmp/watch.out"
	ok $? "E10: SIGTERM sent while the rebuild writes its files ($(tr '\n' ' ' <"$tmp/watch.out"))"
	grep -q SENT "$tmp/watch.out" || diag_file "$tmp/e10.err"
	test "$serve_status" -eq 0
	ok $? "E10: SIGTERM during a rebuild: exit status 0 ($serve_status)"
	grep -q 'published' "$tmp/e10.err" && grep -q 'stopped' "$tmp/e10.err" &&
		grep -q 'SUMMARY:Edited before SIGTERM' "$big/public/calendar.ics"
	ok $? "E10: the rebuild in progress finishes and publishes the edit before the daemon stops"
	outputs_parse "E10: after SIGTERM during a rebuild" "$big/public"
	ic=$(state_integrity "$big/state.db")
	test "$ic" = ok
	ok $? "E10: after SIGTERM during a rebuild the state passes integrity_check ($ic)"
else
	diag_file "$tmp/e10.err"
	fail "E10: evfeed serve of the big site starts"
	serve_stop KILL
fi

# --------------------------------------------- E11: running out of memory

# under_limit KIB COMMAND...: COMMAND under `ulimit -v KIB`, with two
# malloc arenas at most: glibc reserves 64 MB of address space for each
# thread's arena, so that the limits would grow with the processors.
under_limit()
{
	(
		_ul=$1
		shift
		ulimit -v "$_ul" 2>/dev/null || exit 126
		MALLOC_ARENA_MAX=2
		export MALLOC_ARENA_MAX
		"$@"
	)
}

if ! under_limit 8388608 "$EVFEED" --version >/dev/null 2>"$tmp/ulimit.err"; then
	skip "E11: memory exhaustion in the middle of a build" \
		"evfeed does not run under \`ulimit -v\` here (AddressSanitizer, which reserves terabytes of shadow memory, or a shell without it): $(head -n 1 "$tmp/ulimit.err")"
else
	# The smallest limit evfeed starts under, within 25 %.
	floor=16384
	while ! under_limit $floor "$EVFEED" --version >/dev/null 2>&1 &&
		[ $floor -lt 8388608 ]; do
		floor=$((floor * 5 / 4))
	done
	tree_sums "$big/public" >"$tmp/e11.old"
	seq0=$(sql "$big/state.db" 'SELECT sum(sequence) FROM events')
	retitle "$big/events/$big_event" "Edited under a memory limit"
	limit=$((floor * 11 / 10))
	tries=0
	failed=0
	midbuild=0
	recorded=0
	hung=0
	st=1
	: >"$tmp/e11.bad"
	while [ $tries -lt 80 ]; do
		tries=$((tries + 1))
		under_limit $limit with_timeout 120 "$EVFEED" build \
			--config "$big/evfeed.conf" >"$tmp/e11.out" 2>"$tmp/e11.err"
		st=$?
		[ $st -eq 0 ] && break
		failed=$((failed + 1))
		if [ $st -eq 124 ]; then
			hung=$((hung + 1))
			diag "E11: ulimit -v $limit: the build hung (stopped after 120 s)"
		fi
		tree_sums "$big/public" | grep -v 'evfeed-tmp-' >"$tmp/e11.now"
		if cmp -s "$tmp/e11.old" "$tmp/e11.now"; then
			seq=$(sql "$big/state.db" 'SELECT sum(sequence) FROM events')
			if [ "${seq:-0}" -gt "${seq0:-0}" ]; then
				recorded=$((recorded + 1))
				diag "E11: ulimit -v $limit: status $st, the outputs unchanged but the edit in the state"
			fi
			if [ -n "$(temps "$big/public")" ]; then
				midbuild=$((midbuild + 1))
				diag "E11: ulimit -v $limit: status $st, temporary files written, the outputs unchanged: $(grep -v '^PHASE\|lib.sh: line' "$tmp/e11.err" | tail -n 1 | cut -c 1-120)"
			fi
		else
			cp "$tmp/e11.now" "$tmp/e11.after-$tries"
			echo "$tries $limit $st" >>"$tmp/e11.bad"
		fi
		limit=$((limit * 108 / 100))
	done
	diag "E11: evfeed starts under ${floor} KiB; $failed builds ran out of memory, the one under $limit KiB succeeded (status $st)"
	test $st -eq 0 && grep -q 'SUMMARY:Edited under a memory limit' "$big/public/calendar.ics"
	ok $? "E11: with enough memory the build publishes the edit"
	test $hung -eq 0
	ok $? "E11: no build that runs out of memory hangs ($hung of $failed did)"
	test $midbuild -gt 0
	ok $? "E11: a build that runs out of memory in the middle ($midbuild of $failed) exits non-zero and leaves the outputs byte-identical"
	test $recorded -eq 0
	ok $? "E11: none of them records the edit in the state ($recorded did)"
	# Any other failed build left each file old or new, never partial.
	tree_sums "$big/public" >"$tmp/e11.new"
	cat "$tmp/e11.old" "$tmp/e11.new" | LC_ALL=C sort -u >"$tmp/e11.either"
	partial=0
	while read -r t l s; do
		if [ -n "$(LC_ALL=C sort "$tmp/e11.after-$t" | comm -23 - "$tmp/e11.either")" ]; then
			partial=$((partial + 1))
			diag "E11: ulimit -v $l (status $s) left a file that is neither the old nor the new version"
		fi
	done <"$tmp/e11.bad"
	test $partial -eq 0
	ok $? "E11: no build that ran out of memory left a file other than its old or its new version ($(wc -l <"$tmp/e11.bad" | tr -d ' ') changed some files)"
	test -z "$(temps "$big/public")"
	ok $? "E11: the build that succeeds removes the temporary files of those that died"
	ic=$(state_integrity "$big/state.db")
	test "$ic" = ok
	ok $? "E11: the state passes integrity_check ($ic)"
fi

# ------------------------------------------------------------ the small site

small=$tmp/small
mkdir "$small"
cp -R "$top_srcdir/feeds/events" "$small/events"
write_config "$small" "$small/events"
"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "a small site is built"
small_event=$small/events/2018-06-28-illicit-financial-flows-zagreb.md

# ------------------------------------------------------- partner sources

"$PYTHON3" "$top_srcdir/tests/integration/partner-server.py" --lifetime 3600 \
	>"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
fixture_port "$tmp/server.out" "$tmp/server.err" "the fixture server"
partner=http://127.0.0.1:$port

# requests FEED: how many requests the fixture server got for FEED.
requests()
{
	"$CURL" -sf "$partner/control/requests/$1" | sed -n 's/^ *"count": *\([0-9]*\).*/\1/p'
}

# fetched SOURCE COUNT: whether SOURCE has had other than COUNT requests.
fetched()
{
	[ "$(requests "$1")" != "$2" ]
}

cat >>"$small/evfeed.conf" <<EOF

[source osce]
url=$partner/osce.rss
interval=1h
timeout=30s

[source dcaf]
url=$partner/dcaf.atom
interval=1h
timeout=30s
EOF
"$EVFEED" fetch --config "$small/evfeed.conf" >"$tmp/fetch.out" 2>"$tmp/fetch.err" &&
	"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/build.out" 2>"$tmp/build.err"
ok $? "the partner sources are fetched and built"
diag_file "$tmp/fetch.err"

# --------------------------------------------- E3: the state held elsewhere

tree_sums "$small/public" >"$tmp/e3.before"
retitle "$small_event" "Edited while the state is locked"
rm -f "$tmp/release"
"$PYTHON3" "$py" lock "$small/state.db" "$tmp/release" >"$tmp/lock.out" 2>&1 &
helper=$!
if wait_for "$tmp/lock.out" LOCKED 30; then
	t0=$(date +%s)
	"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/e3.out" 2>"$tmp/e3.err"
	st=$?
	t1=$(date +%s)
	test $st -eq 1 && grep -q 'database is locked' "$tmp/e3.err" &&
		grep -qF "$small/state.db" "$tmp/e3.err"
	ok $? "E3: evfeed build exits 1 with 'database is locked' naming the state (status $st)"
	diag_file "$tmp/e3.err"
	test $((t1 - t0)) -ge 4 && test $((t1 - t0)) -le 30
	ok $? "E3: ... after the busy timeout ($((t1 - t0)) s)"
	tree_sums "$small/public" >"$tmp/e3.after"
	cmp -s "$tmp/e3.before" "$tmp/e3.after" && test -z "$(temps "$small/public")"
	ok $? "E3: the outputs are byte-identical and no temporary file is left"
	with_timeout 10 "$EVFEED" sources --config "$small/evfeed.conf" >"$tmp/e3.sources" 2>&1
	ok $? "E3: evfeed sources still reads the state meanwhile"
else
	diag_file "$tmp/lock.out"
	fail "E3: python3 holds the state with BEGIN EXCLUSIVE"
fi
touch "$tmp/release"
wait "$helper"
helper=
"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/e3.out" 2>"$tmp/e3.err" &&
	grep -q 'SUMMARY:Edited while the state is locked' "$small/public/calendar.ics"
ok $? "E3: once the lock is gone the next build publishes the edit"

# ------------------------------- E7: -wal and -shm deleted while serving

for gone in "-wal -shm" "-shm"; do
	what="E7: $(echo "$gone" | sed 's/ / and /') deleted while serving"
	# osce is due 3 s after the start, after the files are gone.
	sql "$small/state.db" "UPDATE sources SET next_fetch = $(now_us) + 3000000
		WHERE name = 'osce'"
	o0=$(requests osce)
	known0=$(sql "$small/state.db" 'SELECT count(*) FROM events WHERE present')
	if ! serve_start "$small/evfeed.conf" "$tmp/e7.out" "$tmp/e7.err"; then
		diag_file "$tmp/e7.err"
		fail "$what: evfeed serve starts"
		serve_stop KILL
		continue
	fi
	sleep 0.5
	"$CURL" -s -o "$tmp/e7.cal0" "$base/calendar.ics"
	for s in $gone; do
		rm -f "$small/state.db$s"
	done
	title="Edited after$(echo "$gone" | tr -d ' ') went"
	retitle "$small_event" "$title"
	outcome=
	n=0
	while [ -z "$outcome" ] && [ $n -lt 200 ]; do
		sleep 0.1
		n=$((n + 1))
		if "$CURL" -s "$base/calendar.ics" | grep -q "SUMMARY:$title"; then
			outcome=published
		elif grep -q "build failed: .*$small/state.db" "$tmp/e7.err"; then
			outcome=failed
		fi
	done
	"$CURL" -s -o "$tmp/e7.cal1" "$base/calendar.ics"
	case $outcome in
	published) pass "$what: the next rebuild works" ;;
	failed)
		cmp -s "$tmp/e7.cal0" "$tmp/e7.cal1"
		ok $? "$what: the next rebuild fails naming the state, the previous calendar stays served"
		grep "build failed" "$tmp/e7.err" | head -n 1 | while read -r l; do diag "$l"; done
		;;
	*)
		fail "$what: the next rebuild neither works nor fails clearly"
		diag_file "$tmp/e7.err"
		;;
	esac
	sleep 6
	o1=$(requests osce)
	test $((o1 - o0)) -eq 1
	ok $? "$what: a source due meanwhile is fetched once, not again on every tick ($((o1 - o0)) requests in 6 s)"
	serve_stop
	test "$serve_status" -eq 0
	ok $? "$what: SIGTERM: exit status 0 ($serve_status)"
	ic=$(state_integrity "$small/state.db")
	known=$(sql "$small/state.db" 'SELECT count(*) FROM events WHERE present' 2>&1)
	test "$ic" = ok && test "$known" = "$known0"
	ok $? "$what: the state passes integrity_check ($ic) and still knows all $known0 events ($known)"
	"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/e7.bout" 2>"$tmp/e7.berr" &&
		grep -q "SUMMARY:$title" "$small/public/calendar.ics"
	ok $? "$what: the next build publishes the edit"
	diag_file "$tmp/e7.berr"
done

# ------------------------------------------------ E8: a sync that fails

# with_shim CALLS PATH COMMAND...: COMMAND with fail-sync.so preloaded,
# CALLS failing with EIO below PATH, each failure logged to $tmp/sync.log.
with_shim()
{
	: >"$tmp/sync.log"
	SHIM_LOG=$tmp/sync.log shim_run "$@"
}

# failed_sync CALL DESC: `evfeed build` with CALL failing below the output
# folder: status 1 and "cannot flush" naming the folder, CALL made once
# (never retried), no temporary file left; the output's sums in e8.now.
failed_sync()
{
	with_shim "$1" "$out" "$EVFEED" build --config "$small/evfeed.conf" \
		>"$tmp/e8.out" 2>"$tmp/e8.err"
	_fs_st=$?
	test $_fs_st -eq 1 && grep -qF "cannot flush '$small/public" "$tmp/e8.err" &&
		grep -q 'Input/output error' "$tmp/e8.err"
	ok $? "E8: $2 failing with EIO fails the build with status 1 and 'cannot flush' naming the folder (status $_fs_st)"
	diag_file "$tmp/e8.err"
	_fs_n=$(grep -c "^$1 " "$tmp/sync.log")
	test "$_fs_n" -eq 1
	ok $? "E8: $1: the failed call is not retried ($_fs_n calls)"
	tree_sums "$small/public" >"$tmp/e8.now"
	test -z "$(temps "$small/public")"
	ok $? "E8: $1: no temporary file is left"
}

out=$(cd "$small/public" && pwd -P)
if [ ! -f "$shim" ]; then
	skip "E8: a failing sync" "$shim is not built (make check builds it)"
elif ! with_shim none / "$EVFEED" --version >/dev/null 2>"$tmp/shim.err"; then
	skip "E8: a failing sync" "evfeed does not start with $shim preloaded: $(head -n 1 "$tmp/shim.err")"
else
	tree_sums "$small/public" >"$tmp/e8.old"
	retitle "$small_event" "Edited before a failing sync"
	failed_sync syncfs "the syncfs of the output folder"
	cmp -s "$tmp/e8.old" "$tmp/e8.now"
	ok $? "E8: syncfs: the previous outputs are byte-identical"
	failed_sync fsync "the fsync of a folder after the renames"
	"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/e8.out" 2>"$tmp/e8.err" &&
		grep -q 'SUMMARY:Edited before a failing sync' "$small/public/calendar.ics"
	ok $? "E8: the next build without the failure publishes the edit"
	tree_sums "$small/public" >"$tmp/e8.new"
	cat "$tmp/e8.old" "$tmp/e8.new" | LC_ALL=C sort -u >"$tmp/e8.either"
	test -z "$(LC_ALL=C sort "$tmp/e8.now" | comm -23 - "$tmp/e8.either")"
	ok $? "E8: after the failed fsync every output was its old or its new version, complete"

	# A rename failing half-way: the files put in place before it are
	# put back, so that subscribers never get some new files beside old
	# ones (rss.xml is renamed after calendar.ics and the category files).
	retitle "$small_event" "Edited before a failing rename"
	tree_sums "$small/public" >"$tmp/e8r.old"
	with_shim none / env EVFEED_FAIL_RENAME=public/rss.xml \
		"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/e8r.out" 2>"$tmp/e8r.err"
	st=$?
	test $st -eq 1 && grep -q "rss.xml" "$tmp/e8r.err" &&
		grep -q 'Input/output error' "$tmp/e8r.err"
	ok $? "E8: a rename failing with EIO fails the build with status 1 naming the file (status $st)"
	diag_file "$tmp/e8r.err"
	tree_sums "$small/public" >"$tmp/e8r.now"
	cmp -s "$tmp/e8r.old" "$tmp/e8r.now" && test -z "$(temps "$small/public")" &&
		! grep -q 'Edited before a failing rename' "$small/public/calendar.ics"
	ok $? "E8: ... every file put in place before it is put back: the previous outputs are byte-identical, no temporary file left"
	"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/e8r.out" 2>"$tmp/e8r.err" &&
		grep -q 'SUMMARY:Edited before a failing rename' "$small/public/calendar.ics"
	ok $? "E8: ... and the next build publishes the edit"

	# SQLite syncs a new WAL's header at the first commit.
	state_path=$(cd "$small" && pwd -P)/state.db
	retitle "$small_event" "Edited while the state cannot sync"
	with_shim fsync,fdatasync "$state_path" "$EVFEED" build --config "$small/evfeed.conf" \
		>"$tmp/e8.out" 2>"$tmp/e8.err"
	st=$?
	test $st -eq 1 && grep -qF "state '$small/state.db'" "$tmp/e8.err"
	ok $? "E8: fsync of the state failing with EIO: the build fails with status 1 naming the state (status $st)"
	diag_file "$tmp/e8.err"
	ic=$(state_integrity "$small/state.db")
	test "$ic" = ok
	ok $? "E8: ... and the state passes integrity_check ($ic)"
	"$EVFEED" build --config "$small/evfeed.conf" >"$tmp/e8.out" 2>"$tmp/e8.err" &&
		grep -q 'SUMMARY:Edited while the state cannot sync' "$small/public/calendar.ics"
	ok $? "E8: ... and the next build publishes the edit"
fi

# ------------------------------------- threads that cannot be started

# Every pool of evfeed (parsing, rendering, compressing, partner parsers)
# leaves its work to the caller's thread when no thread of it starts (out
# of memory, or of tasks: systemd's TasksMax): a build and a fetch with
# pthread_create failing finish, and the build gives the same bytes.
if [ ! -f "$shim" ]; then
	skip "threads that cannot start" "$shim is not built (make check builds it)"
else
	nt=$tmp/nothreads
	mkdir "$nt"
	cp -R "$big/events" "$nt/events"
	cp "$big/state.db" "$nt/state.db"
	if [ -f "$big/state.db-wal" ]; then
		cp "$big/state.db-wal" "$nt/state.db-wal"
	fi
	write_config "$nt" "$nt/events"
	"$EVFEED" build --config "$nt/evfeed.conf" >"$tmp/nt.out" 2>"$tmp/nt.err"
	ok $? "threads: a copy of the big site is built"
	tree_sums "$nt/public" >"$tmp/nt.with"
	rm -rf "$nt/public"
	# A pool that waited for a thread that never started would hang.
	limit=
	if command -v timeout >/dev/null 2>&1; then
		limit="timeout 300"
	fi
	# shellcheck disable=SC2086
	with_shim none / env EVFEED_FAIL_THREADS=1 $limit \
		"$EVFEED" build --config "$nt/evfeed.conf" >"$tmp/nt.out" 2>"$tmp/nt.err"
	st=$?
	test $st -eq 0
	ok $? "threads: the build with pthread_create failing finishes with status 0 (status $st)"
	diag_file "$tmp/nt.err"
	tree_sums "$nt/public" >"$tmp/nt.without"
	cmp -s "$tmp/nt.with" "$tmp/nt.without"
	ok $? "threads: ... and writes the same $(wc -l <"$tmp/nt.with" | tr -d ' ') files, byte for byte"
	# shellcheck disable=SC2086
	with_shim none / env EVFEED_FAIL_THREADS=1 $limit \
		"$EVFEED" fetch --config "$small/evfeed.conf" >"$tmp/nt.out" 2>"$tmp/nt.err"
	st=$?
	test $st -eq 0 && grep -q '^osce  *ok ' "$tmp/nt.out" &&
		grep -q '^dcaf  *ok ' "$tmp/nt.out"
	ok $? "threads: a fetch with pthread_create failing finishes, both sources ok (status $st)"
	diag_file "$tmp/nt.err"
fi

# ------------------------------------------------ E9: the clock jumps

# clock_jump DAYS: the sources' fetch times DAYS days from now (negative:
# ago), where a jump of the clock the other way leaves them; then `evfeed
# sources` in e9.sources, and the fixture's request counts in $o0, $d0.
clock_jump()
{
	_cj_at=$(($(now_us) + $1 * 86400000000))
	sql "$small/state.db" "UPDATE sources SET next_fetch = $_cj_at,
		last_attempt = $_cj_at - 3600000000,
		last_success = $_cj_at - 3600000000"
	"$EVFEED" sources --config "$small/evfeed.conf" >"$tmp/e9.sources" 2>&1
	diag_file "$tmp/e9.sources"
	o0=$(requests osce)
	d0=$(requests dcaf)
}

# once_then_hourly WHAT: each source fetched exactly once by the daemon
# since the counts $o0 and $d0; the daemon stopped, with status 0; then
# each source scheduled an hour from now.
once_then_hourly()
{
	o1=$(requests osce)
	d1=$(requests dcaf)
	test $((o1 - o0)) -eq 1 && test $((d1 - d0)) -eq 1
	ok $? "$1: the daemon fetches each source exactly once (osce $((o1 - o0)), dcaf $((d1 - d0)))"
	serve_stop
	test "$serve_status" -eq 0
	ok $? "$1: SIGTERM: exit status 0 ($serve_status)"
	now=$(now_us)
	late=$(sql "$small/state.db" "SELECT count(*) FROM sources
		WHERE next_fetch BETWEEN $now + 3000000000 AND $now + 4000000000 + 360000000")
	test "$late" = 2
	ok $? "$1: each source is then scheduled an hour from now, not from the past ($late of 2)"
}

# E9 forward: the fetch times 400 days back.
clock_jump -400
test "$(awk '$1 == "osce" || $1 == "dcaf"' "$tmp/e9.sources" | grep -c ' now ')" -eq 2
ok $? "E9 forward: evfeed sources shows both sources due now"
if serve_start "$small/evfeed.conf" "$tmp/e9.out" "$tmp/e9.err"; then
	sleep 4
	once_then_hourly "E9 forward"
else
	diag_file "$tmp/e9.err"
	fail "E9 forward: evfeed serve starts"
	serve_stop KILL
fi

# E9 back: the fetch times a day ahead, as a clock set back a day leaves
# them, and as evfeed may schedule them (Retry-After, backoff): kept.
clock_jump 1
day=$(date -u -d "@$(($(date +%s) + 86400))" +%Y-%m-%d)
test "$(awk '($1 == "osce" || $1 == "dcaf") && $5 ~ /^'"$day"'T/' "$tmp/e9.sources" | wc -l)" -eq 2
ok $? "E9 back: evfeed sources shows the next fetch a day ahead ($day)"
if serve_start "$small/evfeed.conf" "$tmp/e9.out" "$tmp/e9.err"; then
	sleep 1
	cpu0=$("$PYTHON3" "$py" cpu "$serve_pid")
	sleep 4
	cpu1=$("$PYTHON3" "$py" cpu "$serve_pid")
	ticks=$(getconf CLK_TCK 2>/dev/null || echo 100)
	o1=$(requests osce)
	d1=$(requests dcaf)
	test "$o1" = "$o0" && test "$d1" = "$d0"
	ok $? "E9 back: the daemon does not fetch the delayed sources (osce $((o1 - o0)), dcaf $((d1 - d0)))"
	test $((cpu1 - cpu0)) -lt $((ticks / 2))
	ok $? "E9 back: the daemon idles meanwhile, no busy loop ($((cpu1 - cpu0)) of $ticks clock ticks a second, in 4 s)"
	serve_stop
	test "$serve_status" -eq 0
	ok $? "E9 back: SIGTERM: exit status 0 ($serve_status)"
else
	diag_file "$tmp/e9.err"
	fail "E9 back: evfeed serve starts"
	serve_stop KILL
fi
"$EVFEED" fetch --config "$small/evfeed.conf" >"$tmp/fetch.out" 2>"$tmp/fetch.err"
st=$?
now=$(now_us)
late=$(sql "$small/state.db" "SELECT count(*) FROM sources WHERE next_fetch < $now + 5 * 3600000000")
test $st -eq 0 && test "$late" = 2
ok $? "E9 back: evfeed fetch puts the schedule right (status $st; $late of 2 due within hours)"

# E9 far back: the fetch times 400 days ahead, farther than evfeed ever
# schedules one (a week and a tenth): only a clock that was that far ahead
# set them, and they would hold the sources back for 400 days. Due now.
clock_jump 400
test "$(awk '($1 == "osce" || $1 == "dcaf") && $5 == "now"' "$tmp/e9.sources" | wc -l)" -eq 2
ok $? "E9 far back: evfeed sources shows both sources due now"
if serve_start "$small/evfeed.conf" "$tmp/e9.out" "$tmp/e9.err"; then
	wait_until 10 fetched dcaf "$d0"
	sleep 3
	once_then_hourly "E9 far back"
else
	diag_file "$tmp/e9.err"
	fail "E9 far back: evfeed serve starts"
	serve_stop KILL
fi

# E9 steps: the wall clock of a running daemon stepped (fail-sync.so moves
# it by the seconds in a file, the boot clock going on): the fetch times
# move with it, and the fetches keep to their intervals.
if [ ! -f "$shim" ] ||
	! with_shim none / "$EVFEED" --version >/dev/null 2>"$tmp/shim.err"; then
	skip "E9 steps: the clock of a running daemon" "evfeed does not start with $shim preloaded"
else
	step=$tmp/clock-step
	echo 0 >"$step"
	sql "$small/state.db" "UPDATE sources SET next_fetch = $(now_us) + 3600000000"
	o0=$(requests osce)
	d0=$(requests dcaf)
	LD_PRELOAD=$shim EVFEED_CLOCK_STEP_FILE=$step
	ASAN_OPTIONS_SAVED=${ASAN_OPTIONS-}
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	export LD_PRELOAD EVFEED_CLOCK_STEP_FILE ASAN_OPTIONS
	serve_start "$small/evfeed.conf" "$tmp/e9s.out" "$tmp/e9s.err"
	started=$?
	unset LD_PRELOAD EVFEED_CLOCK_STEP_FILE
	ASAN_OPTIONS=$ASAN_OPTIONS_SAVED
	if [ $started -eq 0 ]; then
		sleep 2
		# a day forward: nothing becomes due
		echo 86400 >"$step"
		wait_until 10 grep -q 'the clock moved +86400 s' "$tmp/e9s.err"
		ok $? "E9 steps: the daemon notices the clock set a day forward"
		sleep 3
		o1=$(requests osce)
		d1=$(requests dcaf)
		test "$o1" = "$o0" && test "$d1" = "$d0"
		ok $? "E9 steps: a day forward makes no fetch due (osce $((o1 - o0)), dcaf $((d1 - d0)))"
		# an hour back: a fetch due in 3 s stays due in 3 s
		sql "$small/state.db" "UPDATE sources SET next_fetch = $(now_us) + (86400 + 3) * 1000000 WHERE name = 'osce'"
		echo $((86400 - 3600)) >"$step"
		wait_until 10 grep -q 'the clock moved -3600 s' "$tmp/e9s.err"
		ok $? "E9 steps: the daemon notices the clock set an hour back"
		wait_until 8 fetched osce "$o0"
		sleep 1
		o1=$(requests osce)
		d1=$(requests dcaf)
		test $((o1 - o0)) -eq 1 && test "$d1" = "$d0"
		ok $? "E9 steps: after an hour back, the fetch due in 3 s is made (osce $((o1 - o0)), dcaf $((d1 - d0)))"
		serve_stop
		test "$serve_status" -eq 0
		ok $? "E9 steps: SIGTERM: exit status 0 ($serve_status)"
	else
		diag_file "$tmp/e9s.err"
		fail "E9 steps: evfeed serve starts"
		serve_stop KILL
	fi
fi

# --------------------------------------- E10: SIGTERM during a partner fetch

for mode in hang drip; do
	"$CURL" -sf -X POST "$partner/control/osce/$mode" >/dev/null ||
		diag "cannot switch osce to $mode"
	sql "$small/state.db" "UPDATE sources SET next_fetch = 0 WHERE name = 'osce'"
	sql "$small/state.db" 'SELECT * FROM sources ORDER BY name' >"$tmp/e10.rows0"
	sql "$small/state.db" 'SELECT source, uid, hex(item) FROM source_items ORDER BY source, uid' >"$tmp/e10.items0"
	tree_sums "$small/public" >"$tmp/e10.sums0"
	o0=$(requests osce)
	if ! serve_start "$small/evfeed.conf" "$tmp/e10.out" "$tmp/e10.err"; then
		diag_file "$tmp/e10.err"
		fail "E10 $mode: evfeed serve starts"
		serve_stop KILL
		continue
	fi
	n=0
	while [ "$(requests osce)" = "$o0" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 1.5
	t0=$(date +%s)
	serve_stop
	t1=$(date +%s)
	test "$(requests osce)" != "$o0"
	ok $? "E10 $mode: SIGTERM while the fetch of osce is in flight"
	test "$serve_status" -eq 0 && test $((t1 - t0)) -le 5
	ok $? "E10 $mode: exit status 0 ($serve_status) within $((t1 - t0)) s, not at the fetch's 30 s timeout"
	sql "$small/state.db" 'SELECT * FROM sources ORDER BY name' >"$tmp/e10.rows1"
	sql "$small/state.db" 'SELECT source, uid, hex(item) FROM source_items ORDER BY source, uid' >"$tmp/e10.items1"
	cmp -s "$tmp/e10.rows0" "$tmp/e10.rows1" && cmp -s "$tmp/e10.items0" "$tmp/e10.items1"
	ok $? "E10 $mode: the fetch in flight is not committed: the sources and their items are as before"
	tree_sums "$small/public" >"$tmp/e10.sums1"
	cmp -s "$tmp/e10.sums0" "$tmp/e10.sums1"
	ok $? "E10 $mode: the outputs are byte-identical"
	ic=$(state_integrity "$small/state.db")
	test "$ic" = ok
	ok $? "E10 $mode: the state passes integrity_check ($ic)"
done
"$CURL" -sf -X POST "$partner/control/osce/normal" >/dev/null
outputs_parse "E10: after the stops" "$small/public"

done_testing
