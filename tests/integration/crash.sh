#!/bin/sh
# crash.sh: crash safety (HARDENING.md §1.6, §1.7; cases E1 and E4).
# SIGKILL can come at any moment; afterwards every file in the output
# folder parses completely, no file is empty while events exist, the SQLite
# state passes integrity_check, the temporary files of the killed run are
# cleaned at the next start and never served, and the next start serves
# exactly what a fresh build of the same inputs would.
#
# Part 1, chosen crash points (needs strace with fault injection, else
# skipped): `evfeed build` killed on entering a given system call, on a
# copy of tests/data/hard-events:
#   - syncfs: the temporary files are written, nothing is renamed yet; the
#     edit is then undone, so the next build has nothing to write but must
#     still remove the temporary files;
#   - the 5th rename: some files are new, some old;
#   - the first fsync of a folder: every file is renamed, the state does
#     not know it yet; the new category the edit added is then taken away
#     again, and its files must not stay behind;
#   - a pwrite inside a SQLite write transaction.
#
# Part 2, random kills: `evfeed serve` on a copy of tests/data/hard-events
# with a partner source (a fixture server started here whose items change
# on every request, so that every fetch writes its items and causes a
# rebuild), restarted and killed with SIGKILL EVFEED_CRASH_KILLS times
# (200) at a random moment: 0-300 ms after the start, or after the daemon
# is ready, 0-300 ms after an edit of an event's title (now and then a
# category too), or after such an edit 0-3 ms after the first temporary
# file of the rebuild shows in the output folder. Some rounds also run `evfeed fetch` and kill it at its own
# random moment; some change the source URL so that the daemon fetches at
# its start. After every kill: every file parses (ICS: BEGIN:VCALENDAR ...
# END:VCALENDAR CRLF and python-icalendar; XML: xmllint --noout; JSON:
# Python's json; .gz: decompresses completely, then the same checks), no
# file is empty, every calendar and feed lists at least the events it lists
# in a build of the local events alone (and once the output has been
# complete none of those files goes away), and a copy of the state passes
# PRAGMA integrity_check (so that evfeed still does its own recovery).
# Every kill's checks run before the next start. After every restart
# that reaches readiness: the temporary files left by the kill are gone
# and the first of them is a 404. At the end: the daemon starts, serves
# the same events (UIDs, RSS guids, Atom ids) for every calendar and feed
# as a fresh `evfeed fetch` + `evfeed build` into another folder, the
# output folder holds the same files as that fresh build, every .gz equals
# its sibling, and SIGTERM stops it with status 0.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional PYTHON3,
# XMLLINT, CURL, SQLITE3, STRACE. EVFEED_CRASH_KILLS (default 200) and
# EVFEED_CRASH_SEED (printed as a diagnostic) replay a run.
# EVFEED_KEEP_TMP=1 keeps the temporary folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
PYTHON3=${PYTHON3:-/usr/bin/python3}
XMLLINT=${XMLLINT:-xmllint}
CURL=${CURL:-curl}
SQLITE3=${SQLITE3:-sqlite3}
STRACE=${STRACE:-strace}
kills=${EVFEED_CRASH_KILLS:-200}

"$PYTHON3" -c 'import icalendar' >/dev/null 2>&1 ||
	skip_all "no python3 with icalendar ($PYTHON3) to parse the calendars"
"$XMLLINT" --version >/dev/null 2>&1 ||
	skip_all "no xmllint ($XMLLINT) to parse the feeds"
"$SQLITE3" -version >/dev/null 2>&1 ||
	skip_all "no sqlite3 command ($SQLITE3) for PRAGMA integrity_check"
"$CURL" --version >/dev/null 2>&1 ||
	skip_all "no curl ($CURL) to ask the daemon"

tmp=$(mktmp)
py=$tmp/crashcheck.py
daemon=
fetcher=
watcher=
server=
checker=
# shellcheck disable=SC2154
trap 'for p in $daemon $fetcher $server $checker $watcher; do kill -9 "$p" 2>/dev/null; done; _tap_cleanup' EXIT

cat >"$py" <<'EOF'
"""Checks for crash.sh. Subcommands:
  plan SEED N FILE...        the random schedule, one line a round:
                             round mode delay_ms file fetch fetch_delay_ms newurl
  uids ICS                   the UIDs of a calendar, one a line, sorted
  ids OUT                    JSON: the events (UIDs, guids, ids) of every
                             calendar and feed below OUT
  scan-loop                  reads "OUT REF XMLLINT DONE" lines: checks
                             every file below OUT (see crash.sh) against REF
                             (from ids); answers "TEMP path" for temporary
                             files, "ERROR ..." for problems, then "END"
  gzmatch OUT                every x.gz decompresses to exactly x
  compare OUT FRESH BASE     OUT and FRESH hold the same files; for every
                             calendar and feed of FRESH, BASE serves the same
                             events
  server                     the partner fixture: prints "PORT n", serves an
                             RSS feed whose titles change on every request
  watch-kill PID OUT US MS   prints "WATCHING", then polls OUT for a
                             temporary file; on sight waits US microseconds
                             and kills PID with SIGKILL ("KILLED"); gives up
                             after MS milliseconds ("MISSED")
"""
import gzip
import os
import random
import sys
import threading
import time
import xml.etree.ElementTree as ET

TEMP = '.evfeed-tmp-'


def is_temp(name):
    return name.startswith('.') and TEMP in name


def ics_uids(data):
    import icalendar
    cal = icalendar.Calendar.from_ical(data)
    return sorted(set(str(c['UID']) for c in cal.walk('VEVENT')))


def feed_ids(data, name):
    root = ET.fromstring(data)
    if name.endswith('rss.xml'):
        return sorted(set((i.findtext('guid') or '') for i in root.iter('item')))
    ns = '{http://www.w3.org/2005/Atom}'
    return sorted(set((e.findtext(ns + 'id') or '') for e in root.iter(ns + 'entry')))


def check_ics(rel, data, errors):
    if not data.startswith(b'BEGIN:VCALENDAR\r\n'):
        errors.append('%s: does not start with BEGIN:VCALENDAR' % rel)
        return None
    if not data.endswith(b'END:VCALENDAR\r\n'):
        errors.append('%s: does not end with END:VCALENDAR CRLF (%d bytes)'
                      % (rel, len(data)))
        return None
    try:
        return ics_uids(data)
    except Exception as e:  # any parse failure is the finding
        errors.append('%s: python-icalendar: %s' % (rel, e))
        return None


def check_xml(rel, name, data, errors):
    try:
        return feed_ids(data, name)
    except Exception as e:
        errors.append('%s: %s' % (rel, e))
        return None


def ids_of(out):
    """rel -> ids for the calendars and feeds below out (no .gz)."""
    found = {}
    for root, dirs, files in os.walk(out):
        for name in files:
            if is_temp(name) or name.endswith('.gz'):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, out)
            with open(path, 'rb') as f:
                data = f.read()
            if name.endswith('.ics'):
                found[rel] = ics_uids(data)
            elif name.endswith('.xml'):
                found[rel] = feed_ids(data, name)
    return found


def scan(out, ref_file, cache, xmllint, done_file):
    """Every file parses completely; every calendar and feed of the
    reference build exists (once the output has been complete) and lists
    at least the reference's events. Contents already found good are
    remembered in the dict cache by their SHA-256. Returns the lines to
    print."""
    import hashlib
    import json
    import subprocess
    import tempfile

    with open(ref_file) as f:
        ref = json.load(f)
    lines = []
    errors = []
    present = set()
    pending = []  # (rel, name, sha, data) of XML not yet through xmllint
    for root, dirs, files in os.walk(out):
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, out)
            if is_temp(name):
                lines.append('TEMP %s' % rel)
                continue
            with open(path, 'rb') as f:
                data = f.read()
            if not data:
                errors.append('%s: empty' % rel)
                continue
            inner = rel
            if name.endswith('.gz'):
                inner = rel[:-3]
                try:
                    data = gzip.decompress(data)
                except Exception as e:
                    errors.append('%s: gzip: %s' % (rel, e))
                    continue
                if not data:
                    errors.append('%s: decompresses to nothing' % rel)
                    continue
            present.add(rel)
            sha = hashlib.sha256(data).hexdigest()
            if sha in cache:
                ids = cache[sha]
            elif inner.endswith('.ics'):
                ids = check_ics(rel, data, errors)
                if ids is not None:
                    cache[sha] = ids
            elif inner.endswith('.xml'):
                ids = check_xml(rel, inner, data, errors)
                if ids is not None:
                    pending.append((rel, sha, data, ids))
                    ids = None  # checked against ref after xmllint
            elif inner.endswith('.json'):
                try:
                    json.loads(data.decode('utf-8'))
                    cache[sha] = []
                except ValueError as e:
                    errors.append('%s: JSON: %s' % (rel, e))
                continue
            else:
                continue
            want = ref.get(inner)
            if ids is not None and want is not None:
                missing = set(want) - set(ids)
                if missing:
                    errors.append('%s: lacks %d of its events (%s)'
                                  % (rel, len(missing), sorted(missing)[0]))
    if pending:
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for i, (rel, sha, data, ids) in enumerate(pending):
                p = os.path.join(d, '%d.xml' % i)
                with open(p, 'wb') as f:
                    f.write(data)
                paths.append(p)
            r = subprocess.run([xmllint, '--noout'] + paths,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            bad = set()
            if r.returncode != 0:
                text = r.stdout.decode('utf-8', 'replace')
                for i, (rel, sha, data, ids) in enumerate(pending):
                    if paths[i] + ':' in text:
                        bad.add(i)
                        line = [l for l in text.splitlines()
                                if l.startswith(paths[i] + ':')][0]
                        errors.append('%s: xmllint: %s'
                                      % (rel, line[len(paths[i]) + 1:]))
                if not bad:
                    errors.append('xmllint failed: %s' % text[:200])
            for i, (rel, sha, data, ids) in enumerate(pending):
                if i in bad:
                    continue
                cache[sha] = ids
                inner = rel[:-3] if rel.endswith('.gz') else rel
                want = ref.get(inner)
                if want is not None:
                    missing = set(want) - set(ids)
                    if missing:
                        errors.append('%s: lacks %d of its events (%s)'
                                      % (rel, len(missing),
                                         sorted(missing)[0]))
    # Once every reference file has been there, none may go away.
    expected = set(ref) | set(r + '.gz' for r in ref)
    absent = sorted(expected - present)
    if not absent:
        open(done_file, 'a').close()
    elif os.path.exists(done_file):
        errors.append('%s is gone (and %d more)' % (absent[0], len(absent) - 1))
    return lines + ['ERROR %s' % e for e in errors]


def scan_loop():
    """scan requests on stdin, one a line: OUT REF XMLLINT DONE; answers
    with the lines of scan() and a line END."""
    cache = {}
    for line in sys.stdin:
        args = line.split()
        if len(args) != 4:
            break
        try:
            out = scan(args[0], args[1], cache, args[2], args[3])
        except Exception as e:
            out = ['ERROR the check itself failed: %r' % e]
        sys.stdout.write(''.join(l + '\n' for l in out) + 'END\n')
        sys.stdout.flush()


def gzmatch(out):
    bad = 0
    for root, dirs, files in os.walk(out):
        for name in files:
            if not name.endswith('.gz') or is_temp(name):
                continue
            path = os.path.join(root, name)
            try:
                with open(path, 'rb') as f:
                    inner = gzip.decompress(f.read())
                with open(path[:-3], 'rb') as f:
                    plain = f.read()
            except Exception as e:
                print('ERROR %s: %s' % (os.path.relpath(path, out), e))
                bad += 1
                continue
            if inner != plain:
                print('ERROR %s differs from its sibling'
                      % os.path.relpath(path, out))
                bad += 1


def listing(top):
    found = set()
    for root, dirs, files in os.walk(top):
        for name in files:
            found.add(os.path.relpath(os.path.join(root, name), top))
    return found


def compare(out, fresh, base):
    import urllib.request

    a, b = listing(out), listing(fresh)
    # The test category, published during the kills and emptied since,
    # keeps its calendar and feeds, empty (evfeed(1), build), where a
    # fresh build never had it.
    kept = 'category/crash-toggle/'
    for rel in sorted(a - b):
        if rel.startswith(kept) and os.path.exists(os.path.join(out, kept, 'calendar.ics')):
            with open(os.path.join(out, kept, 'calendar.ics'), 'rb') as f:
                if b'BEGIN:VEVENT' not in f.read():
                    continue
        print('ERROR %s is in the output but a fresh build does not write it'
              % rel)
    for rel in sorted(b - a):
        print('ERROR %s is missing from the output' % rel)
    checked = 0
    for rel in sorted(b):
        if rel.endswith('.gz'):
            continue
        with open(os.path.join(fresh, rel), 'rb') as f:
            want = f.read()
        try:
            with urllib.request.urlopen(base + '/' + rel, timeout=10) as r:
                got = r.read()
        except Exception as e:
            print('ERROR GET /%s: %s' % (rel, e))
            continue
        if rel.endswith('.ics'):
            w, g = ics_uids(want), ics_uids(got)
        elif rel.endswith('rss.xml') or rel.endswith('atom.xml'):
            w, g = feed_ids(want, rel), feed_ids(got, rel)
        else:
            continue
        if w != g:
            print('ERROR /%s serves %d events, a fresh build has %d '
                  '(only served: %s; only fresh: %s)'
                  % (rel, len(g), len(w), sorted(set(g) - set(w))[:3],
                     sorted(set(w) - set(g))[:3]))
        checked += 1
    print('CHECKED %d' % checked)


RSS = '''<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/">
  <channel>
    <title>Partner: Events</title>
    <link>https://partner.example.org/events</link>
    <description>Events of a partner</description>
%s  </channel>
</rss>
'''
ITEM = '''    <item>
      <title>Partner meeting %d, version %d</title>
      <link>https://partner.example.org/event/%d</link>
      <guid isPermaLink="false">partner-crash-%d</guid>
      <category>Partner</category>
      <description>Partner meeting %d as of request %d.</description>
      <ev:startdate>2018-1%d-1%d</ev:startdate>
      <ev:location>Vienna, Austria</ev:location>
    </item>
'''


def server():
    import http.server

    lock = threading.Lock()
    count = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with lock:
                count[0] += 1
                n = count[0]
            items = ''.join(ITEM % (i, n, i, i, i, n, i - 1, i)
                            for i in (1, 2, 3))
            body = (RSS % items).encode()
            self.send_response(200)
            self.send_header('Content-Type',
                             'application/rss+xml; charset=utf-8')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    parent = os.getppid()

    def watchdog():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    sys.stdout.write('PORT %d\n' % srv.server_address[1])
    sys.stdout.flush()
    srv.serve_forever(poll_interval=0.2)


def watch_kill(pid, out, extra_us, limit_ms):
    import signal
    sys.stdout.write('WATCHING\n')
    sys.stdout.flush()
    end = time.monotonic() + limit_ms / 1000.0
    while time.monotonic() < end:
        try:
            names = os.listdir(out)
        except OSError:
            names = []
        if any(is_temp(n) for n in names):
            time.sleep(extra_us / 1e6)
            os.kill(pid, signal.SIGKILL)
            sys.stdout.write('KILLED\n')
            return
    sys.stdout.write('MISSED\n')


def plan(seed, n, files):
    r = random.Random(seed)
    for k in range(1, n + 1):
        x = r.random()
        # Some edits are killed the moment the rebuild they cause has a
        # temporary file out: a random moment of the writing itself, which
        # timed kills alone reach only now and then on a fast disk.
        mode = 'start' if x < 0.35 else 'write' if x < 0.6 else 'edit'
        fetch = 1 if r.random() < 0.3 else 0
        newurl = 1 if r.random() < 0.3 else 0
        print(k, mode, r.randint(0, 300), r.choice(files), fetch,
              r.randint(0, 300), newurl)


def main():
    cmd = sys.argv[1]
    if cmd == 'plan':
        plan(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
    elif cmd == 'uids':
        with open(sys.argv[2], 'rb') as f:
            for u in ics_uids(f.read()):
                print(u)
    elif cmd == 'ids':
        import json
        json.dump(ids_of(sys.argv[2]), sys.stdout, indent=0, sort_keys=True)
    elif cmd == 'scan-loop':
        scan_loop()
    elif cmd == 'gzmatch':
        gzmatch(sys.argv[2])
    elif cmd == 'compare':
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == 'server':
        server()
    elif cmd == 'watch-kill':
        watch_kill(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]),
                   int(sys.argv[5]))


main()
EOF

# ------------------------------------------------------------- helpers

# The checker runs once, answering requests through two named pipes, so
# that Python and python-icalendar start once and not after every kill.
mkfifo "$tmp/scan.req" "$tmp/scan.rep" || bail_out "mkfifo failed"
"$PYTHON3" "$py" scan-loop <"$tmp/scan.req" >"$tmp/scan.rep" 2>"$tmp/scan.log" &
checker=$!
exec 3>"$tmp/scan.req" 4<"$tmp/scan.rep"

# scan_output OUT TAG REF: the checks after a kill, against the events of
# the reference build REF (from `crashcheck.py ids`). Writes the problems
# to $tmp/scan.err (empty when there are none) and the temporary files to
# $tmp/scan.temps.
scan_output()
{
	echo "$1 $3 $XMLLINT $3.complete" >&3
	: >"$tmp/scan.out"
	while read -r _l <&4; do
		[ "$_l" = END ] && break
		echo "$_l" >>"$tmp/scan.out"
	done
	if [ "$_l" != END ]; then
		diag_file "$tmp/scan.log"
		bail_out "the output checker stopped"
	fi
	sed -n 's/^TEMP //p' "$tmp/scan.out" >"$tmp/scan.temps"
	grep -v '^TEMP ' "$tmp/scan.out" | sed "s|^|$2: |" >"$tmp/scan.err"
}

# integrity STATE: PRAGMA integrity_check on a copy of STATE and its WAL,
# so that the next start of evfeed does its own recovery. Prints the answer.
integrity()
{
	rm -rf "$tmp/ic"
	mkdir "$tmp/ic"
	if [ ! -e "$1" ]; then
		echo ok
		return
	fi
	cp "$1" "$tmp/ic/state.db"
	if [ -e "$1-wal" ]; then
		cp "$1-wal" "$tmp/ic/state.db-wal"
	fi
	"$SQLITE3" "$tmp/ic/state.db" 'PRAGMA integrity_check' 2>&1 | tr '\n' ' ' | sed 's/ $//'
}

# temps DIR: the temporary files below DIR, one a line.
temps()
{
	find "$1" -name '.*evfeed-tmp-*' 2>/dev/null
}

# ------------------------------------------- part 1: chosen crash points

det=$tmp/det
mkdir "$det"
cp -R "$top_srcdir/tests/data/hard-events" "$det/events"
write_config "$det" "$det/events"
geo=$det/events/geo-coordinates.md
cp "$geo" "$det/geo.orig"

# The reference: the events every calendar and feed lists.
"$EVFEED" build --config "$det/evfeed.conf" >"$det/build.out" 2>"$det/build.err"
ok $? "part 1: a first build"
"$PYTHON3" "$py" ids "$det/public" >"$det/ref.json"
n=$("$PYTHON3" "$py" uids "$det/public/calendar.ics" | wc -l)
test "$n" -ge 10
ok $? "the reference: $n events in calendar.ics"

strace_ok=no
if "$STRACE" -f -o /dev/null -e trace=write -e inject=write:signal=KILL:when=1 \
	"$EVFEED" --version >/dev/null 2>&1; then
	:
elif [ $? -eq 137 ]; then
	strace_ok=yes
fi

# set_title TEXT: the title of the geo event.
set_title()
{
	sed "s/^title: .*/title: $1/" "$geo" >"$det/edit.tmp" && mv "$det/edit.tmp" "$geo"
}

# crash_build SYSCALL N: `evfeed build` killed on entering the Nth SYSCALL.
crash_build()
{
	"$STRACE" -f -o /dev/null -e trace="$1" -e inject="$1":signal=KILL:when="$2" \
		"$EVFEED" build --config "$det/evfeed.conf" >"$det/crash.out" 2>&1
}

# after_crash DESC: the checks right after a kill in part 1.
after_crash()
{
	scan_output "$det/public" "$1" "$det/ref.json"
	test ! -s "$tmp/scan.err"
	ok $? "$1: every output file parses completely and lists events"
	diag_file "$tmp/scan.err"
	ic=$(integrity "$det/state.db")
	test "$ic" = ok
	ok $? "$1: the state passes integrity_check ($ic)"
}

# fresh_listing: the files a fresh build of the same events writes.
fresh_listing()
{
	rm -rf "$det/fresh"
	mkdir "$det/fresh"
	write_config "$det/fresh" "$det/events"
	"$EVFEED" build --config "$det/fresh/evfeed.conf" >/dev/null 2>&1
	(cd "$det/fresh/public" && find . -type f | LC_ALL=C sort)
}

if [ "$strace_ok" = no ]; then
	for d in "killed before any rename" "killed in the middle of the renames" \
		"killed after the renames" "killed inside a SQLite transaction" \
		"SIGTERM while the files are dated" "SIGTERM during the renames"; do
		skip "part 1: $d" "strace cannot inject SIGKILL here (no strace, or no ptrace)"
	done
else
	# 1. Temporary files written, nothing renamed; then the edit is undone.
	tree_sums "$det/public" >"$det/sums.before"
	set_title "Crash point one"
	crash_build syncfs 1
	st=$?
	n=$(temps "$det/public" | wc -l)
	test "$st" -eq 137 && test "$n" -gt 0
	ok $? "killed on syncfs with $n temporary files written (status $st)"
	after_crash "killed before any rename"
	tree_sums "$det/public" | grep -v 'evfeed-tmp-' >"$det/sums.after"
	cmp -s "$det/sums.before" "$det/sums.after"
	ok $? "killed before any rename: the previous files are byte-identical"
	cp "$det/geo.orig" "$geo"
	"$EVFEED" build --config "$det/evfeed.conf" >"$det/build.out" 2>"$det/build.err"
	ok $? "the edit undone: the next build succeeds"
	left=$(temps "$det/public")
	test -z "$left"
	ok $? "the edit undone: the next build removes the temporary files of the killed one"
	if [ -n "$left" ]; then
		diag "left behind: $(echo "$left" | wc -l | tr -d ' ') files, e.g. $(echo "$left" | head -n 1 | sed "s|^$det/||")"
		diag "$(head -n 1 "$det/build.out")"
		temps "$det/public" | while read -r f; do rm -f "$f"; done
	fi

	# 2. In the middle of the renames.
	set_title "Crash point two"
	crash_build '?rename,?renameat,renameat2' 5
	st=$?
	test "$st" -eq 137
	ok $? "killed on the 5th rename (status $st)"
	after_crash "killed in the middle of the renames"
	"$EVFEED" build --config "$det/evfeed.conf" >"$det/build.out" 2>"$det/build.err"
	ok $? "after a kill in the middle of the renames the next build succeeds"
	grep -q 'Crash point two' "$det/public/calendar.ics" &&
		test -z "$(temps "$det/public")" &&
		test -z "$("$PYTHON3" "$py" gzmatch "$det/public")"
	ok $? "... and publishes the edit, every .gz equal to its sibling, no temporary file"

	# 3. After every rename, before the state records the new manifest; the
	# edit added a category, which is taken away again before the next build.
	sed 's/^categories: \[\(.*\)\]/categories: [\1, crash orphan]/' "$det/geo.orig" >"$geo"
	grep -q 'crash orphan' "$geo" || bail_out "cannot add a category to $geo"
	crash_build fsync 1
	st=$?
	test "$st" -eq 137 && test -s "$det/public/category/crash-orphan/calendar.ics"
	ok $? "killed on the first folder fsync, after the new category's files were renamed (status $st)"
	after_crash "killed after the renames"
	cp "$det/geo.orig" "$geo"
	"$EVFEED" build --config "$det/evfeed.conf" >"$det/build.out" 2>"$det/build.err"
	ok $? "the category taken away: the next build succeeds"
	fresh_listing >"$det/fresh.list"
	(cd "$det/public" && find . -type f | LC_ALL=C sort) >"$det/out.list"
	cmp -s "$det/fresh.list" "$det/out.list"
	ok $? "the category taken away: the output holds exactly the files of a fresh build"
	diff "$det/fresh.list" "$det/out.list" | sed -n 's/^> /only in the output: /p' |
		head -n 6 | while read -r l; do diag "$l"; done
	rm -rf "$det/public/category/crash-orphan"

	# 4. Inside a SQLite write transaction (the 12th pwrite: the WAL
	# frames of the first transaction of the build).
	set_title "Crash point four"
	crash_build pwrite64 12
	st=$?
	test "$st" -eq 137
	ok $? "killed on a pwrite to the state (status $st; WAL $(wc -c <"$det/state.db-wal" 2>/dev/null || echo 0) bytes)"
	after_crash "killed inside a SQLite transaction"
	"$EVFEED" build --config "$det/evfeed.conf" >"$det/build.out" 2>"$det/build.err"
	ok $? "after a kill inside a transaction the next build succeeds"
	grep -q 'Crash point four' "$det/public/calendar.ics"
	ok $? "... and publishes the edit"
	ic=$(integrity "$det/state.db")
	test "$ic" = ok
	ok $? "... and the state passes integrity_check ($ic)"

	# 5. SIGTERM (as Ctrl-C's SIGINT, which a shell's background jobs
	# ignore) while the files are dated, before the state records the
	# edit: nothing is published, nor recorded as published; the edit
	# undone, the next build has nothing to write, and the event's
	# SEQUENCE is the one subscribers have. Then SIGTERM on the first
	# rename: it waits until every file is in place, and the next build
	# has nothing to write.
	seq_of() { tr -d '\r' <"$det/public/events/geo-coordinates.ics" | sed -n 's/^SEQUENCE://p'; }
	seq0=$(seq_of)
	set_title "Crash point five"
	"$STRACE" -f -o /dev/null -e trace=utimensat -e inject=utimensat:signal=TERM:when=1 \
		"$EVFEED" build --config "$det/evfeed.conf" >"$det/crash.out" 2>&1
	st=$?
	set_title "Crash point four"
	"$EVFEED" build --config "$det/evfeed.conf" >"$det/build.out" 2>"$det/build.err"
	test "$st" -eq 143 && grep -q 'nothing changed' "$det/build.out" &&
		test "$(seq_of)" = "$seq0" && test -z "$(temps "$det/public")"
	ok $? "SIGTERM while the files are dated, the edit undone: nothing to write, SEQUENCE $(seq_of) as before ($seq0; status $st)" ||
		diag_file "$det/build.out"
	set_title "Crash point six"
	"$STRACE" -f -o /dev/null -e trace=renameat2 -e inject=renameat2:signal=TERM:when=1 \
		"$EVFEED" build --config "$det/evfeed.conf" >"$det/crash.out" 2>&1
	st=$?
	seq1=$(seq_of)
	"$EVFEED" build --config "$det/evfeed.conf" >"$det/build.out" 2>"$det/build.err"
	test "$st" -eq 143 && grep -q 'Crash point six' "$det/public/calendar.ics" &&
		test "$seq1" -eq $((seq0 + 1)) && test "$(seq_of)" = "$seq1" &&
		grep -q 'wrote 0 of' "$det/build.out"
	ok $? "SIGTERM during the renames: every file put in place, then the next build writes nothing, SEQUENCE $(seq_of) once higher (status $st)" ||
		diag_file "$det/build.out"
fi

# ------------------------------------------------ part 2: random kills

run=$tmp/run
mkdir "$run"
cp -R "$top_srcdir/tests/data/hard-events" "$run/events"
state=$run/state.db
out=$run/public
# Every calendar and feed lists at least what it lists in a build of the
# local events alone (the titles change, the events do not).
cp "$det/ref.json" "$run/ref.json"

"$PYTHON3" "$py" server >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
fixture_port "$tmp/server.out" "$tmp/server.err" "the partner fixture server"

# conf URLTAG: the daemon's configuration; URLTAG makes a new source URL,
# which the daemon fetches at once when it starts.
conf()
{
	write_config "$run" "$run/events"
	cat >>"$run/evfeed.conf" <<EOF

[source partner]
url=http://127.0.0.1:$port/feed.rss?v=$1
interval=1m
timeout=5s
EOF
}
conf 0

seed=${EVFEED_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
diag "seed $seed (EVFEED_CRASH_SEED=$seed replays this run), $kills kills"
# Every event file but the one with CRLF line endings, which sed would mangle.
files=
for f in "$run"/events/*.md; do
	case $f in *crlf*) continue ;; esac
	files="$files ${f##*/}"
done
# shellcheck disable=SC2086
"$PYTHON3" "$py" plan "$seed" "$kills" $files >"$tmp/plan"

# start_daemon: `evfeed serve` in the background; its pid in $daemon.
start_daemon()
{
	# Gone first: the shell truncates them only once the job runs, and the
	# previous run's Calendar line must not pass for this one's.
	rm -f "$tmp/serve.out" "$tmp/serve.err"
	"$EVFEED" serve --config "$run/evfeed.conf" --listen 127.0.0.1:0 \
		>"$tmp/serve.out" 2>"$tmp/serve.err" </dev/null 3>&- 4<&- &
	daemon=$!
}

# wait_ready: waits up to 10 s for the daemon's Calendar line; sets $base.
wait_ready()
{
	serve_wait "$tmp/serve.out" "$daemon" 10
}

# ms N: sleeps N milliseconds.
ms()
{
	sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"
}

# edit_event FILE K: a new title (and for the geo event, now and then a
# category more or less), written to the side and renamed into place.
edit_event()
{
	_f=$run/events/$1
	if [ "$1" = geo-coordinates.md ] && [ $(($2 % 2)) -eq 0 ]; then
		if grep -q 'crash toggle' "$_f"; then
			sed 's/, crash toggle\]/]/' "$_f"
		else
			sed 's/^categories: \[\(.*\)\]/categories: [\1, crash toggle]/' "$_f"
		fi
	else
		cat "$_f"
	fi | sed "s/^title: .*/title: Edited before kill $2/" >"$run/edit.tmp"
	mv "$run/edit.tmp" "$_f"
}

bad_parse=0
bad_state=0
bad_start=0
bad_exit=0
bad_temps=0
bad_served=0
with_temps=0
with_wal=0
fetch_killed=0
watch_killed=0
ready=0
seen_cal=no
: >"$tmp/failures"

# note KIND TEXT: one failure, kept for the diagnostics.
note()
{
	echo "$1: $2" >>"$tmp/failures"
}

while read -r k mode delay file fetch fdelay newurl; do
	if [ "$newurl" = 1 ]; then
		conf "$k"
	fi
	start_daemon
	fetcher=
	if [ "$fetch" = 1 ]; then
		"$EVFEED" fetch --config "$run/evfeed.conf" >/dev/null \
			2>"$tmp/fetch.err" </dev/null 3>&- 4<&- &
		fetcher=$!
	fi
	if [ "$mode" != start ]; then
		if wait_ready; then
			ready=$((ready + 1))
			# The kill before left these; the start must have removed them.
			if [ -s "$tmp/scan.temps" ]; then
				stale=0
				while read -r t; do
					test -e "$out/$t" && stale=$((stale + 1))
				done <"$tmp/scan.temps"
				if [ $stale -gt 0 ]; then
					bad_temps=$((bad_temps + 1))
					note "kill $k" "$stale temporary files of the previous kill still there after the restart (e.g. $(head -n 1 "$tmp/scan.temps")); the log of the start: $(grep -v '"GET ' "$tmp/serve.err" | tail -n 3 | tr '\n' ' ')"
				fi
				t=$(head -n 1 "$tmp/scan.temps")
				code=$("$CURL" -s -m 10 -o /dev/null -w '%{http_code}' "$base/$t")
				if [ "$code" != 404 ]; then
					bad_served=$((bad_served + 1))
					note "kill $k" "GET /$t answered $code"
				fi
			fi
			if [ "$mode" = write ]; then
				# The delay, in tens of microseconds, after the
				# first temporary file is seen.
				rm -f "$tmp/watch.out"
				"$PYTHON3" "$py" watch-kill "$daemon" "$out" \
					$((delay * 10)) 3000 >"$tmp/watch.out" &
				watcher=$!
				_w=0
				until grep -q WATCHING "$tmp/watch.out" 2>/dev/null ||
					[ $_w -ge 500 ]; do
					sleep 0.01
					_w=$((_w + 1))
				done
				edit_event "$file" "$k"
				wait "$watcher"
				watcher=
				grep -q KILLED "$tmp/watch.out" && watch_killed=$((watch_killed + 1))
			else
				edit_event "$file" "$k"
			fi
		else
			bad_start=$((bad_start + 1))
			note "kill $k" "evfeed serve did not become ready after the previous kill: $(tail -n 2 "$tmp/serve.err" | tr '\n' ' ')"
		fi
	fi
	if [ "$mode" = write ]; then
		:
	elif [ -n "$fetcher" ] && [ "$fdelay" -lt "$delay" ]; then
		ms "$fdelay"
		kill -9 "$fetcher" 2>/dev/null
		ms $((delay - fdelay))
	else
		ms "$delay"
	fi
	kill -9 "$daemon" 2>/dev/null
	wait "$daemon" 2>/dev/null
	st=$?
	{
		echo "=== kill $k ($mode, $delay ms, file $file, fetch $fetch, new URL $newurl): status $st"
		cat "$tmp/serve.err"
	} >>"$tmp/serve.log"
	if [ $st -ne 137 ]; then
		bad_exit=$((bad_exit + 1))
		note "kill $k" "evfeed serve exited by itself with status $st: $(tail -n 2 "$tmp/serve.err" | tr '\n' ' ')"
	fi
	daemon=
	if [ -n "$fetcher" ]; then
		kill -9 "$fetcher" 2>/dev/null
		wait "$fetcher" 2>/dev/null
		st=$?
		case $st in
		0 | 1) ;;
		137) fetch_killed=$((fetch_killed + 1)) ;;
		*)
			bad_exit=$((bad_exit + 1))
			note "kill $k" "evfeed fetch exited with status $st: $(tail -n 2 "$tmp/fetch.err" | tr '\n' ' ')"
			;;
		esac
		fetcher=
	fi

	# After the kill.
	if [ -e "$out/calendar.ics" ]; then
		seen_cal=yes
	elif [ $seen_cal = yes ]; then
		bad_parse=$((bad_parse + 1))
		note "kill $k" "calendar.ics is gone"
	fi
	if [ -d "$out" ]; then
		scan_output "$out" "kill $k ($mode, ${delay} ms)" "$run/ref.json"
		if [ -s "$tmp/scan.err" ]; then
			bad_parse=$((bad_parse + 1))
			cat "$tmp/scan.err" >>"$tmp/failures"
			cp -R "$out" "$tmp/out-at-kill-$k" 2>/dev/null
		fi
		test -s "$tmp/scan.temps" && with_temps=$((with_temps + 1))
	fi
	test -s "$state-wal" && with_wal=$((with_wal + 1))
	ic=$(integrity "$state")
	if [ "$ic" != ok ]; then
		bad_state=$((bad_state + 1))
		note "kill $k" "integrity_check: $ic"
		cp "$state" "$tmp/state-at-kill-$k.db" 2>/dev/null
	fi
done <"$tmp/plan"

diag "$ready restarts reached readiness; $with_temps kills left temporary files (killed while writing); $with_wal left a non-empty WAL; $fetch_killed evfeed fetch runs killed; $watch_killed killed on sight of a temporary file"
if [ -s "$tmp/failures" ]; then
	diag "first failures (EVFEED_KEEP_TMP=1 keeps every start's log in serve.log):"
	head -n 15 "$tmp/failures" | while read -r l; do diag "  $l"; done
fi
test "$(wc -l <"$tmp/plan")" -eq "$kills"
ok $? "$kills kills of evfeed serve at random moments"
test $bad_exit -eq 0
ok $? "evfeed serve and evfeed fetch never died but by the kill ($bad_exit times)"
test $bad_start -eq 0
ok $? "evfeed serve starts again after every kill ($bad_start failures)"
test $bad_parse -eq 0
ok $? "after every kill every output file parses completely and none is empty ($bad_parse kills with a problem)"
test $bad_state -eq 0
ok $? "after every kill the state passes integrity_check ($bad_state failures)"
test $bad_temps -eq 0
ok $? "the temporary files of a kill are gone after the next start ($bad_temps restarts left some)"
test $bad_served -eq 0
ok $? "a temporary file is never served ($bad_served answered other than 404)"
test "$ready" -gt 0 && test "$with_temps" -gt 0
ok $? "the kills hit the daemon while it was writing ($with_temps of $kills)"

# ------------------------------------------------- the final restart

# The events as they are now, without the test category.
sed 's/, crash toggle\]/]/' "$run/events/geo-coordinates.md" >"$run/edit.tmp" &&
	mv "$run/edit.tmp" "$run/events/geo-coordinates.md"
conf final
n=$("$SQLITE3" "$state" 'SELECT count(*) FROM source_items' 2>/dev/null)
test "${n:-0}" -gt 0
ok $? "the partner items fetched during the kills are in the state ($n)"

start_daemon
wait_ready
ok $? "evfeed serve starts after the last kill"
if [ -z "$base" ]; then
	diag_file "$tmp/serve.err"
	done_testing
fi
# Let the fetch of the new URL and its rebuild finish.
i=0
while ! grep -q 'published' "$tmp/serve.err" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
sleep 1.5
# A rebuild may still be writing (the fetch of the new URL causes one, and
# the sanitizers slow it down): its temporary files are there for a moment.
# What a kill left behind would stay.
i=0
while [ -n "$(temps "$out")" ] && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
test -z "$(temps "$out")"
ok $? "no temporary file is left in the output folder"

fresh=$tmp/fresh
mkdir "$fresh"
sed -e "s|^output=.*|output=$fresh/public|" -e "s|^state=.*|state=$fresh/state.db|" \
	"$run/evfeed.conf" >"$fresh/evfeed.conf"
"$EVFEED" fetch --config "$fresh/evfeed.conf" >"$fresh/fetch.out" 2>&1 &&
	"$EVFEED" build --config "$fresh/evfeed.conf" >"$fresh/build.out" 2>&1
ok $? "a fresh fetch and build of the same inputs into another folder"
"$PYTHON3" "$py" compare "$out" "$fresh/public" "$base" >"$tmp/compare.out" 2>&1
! grep -q '^ERROR' "$tmp/compare.out" && grep -q '^CHECKED [1-9]' "$tmp/compare.out"
ok $? "the daemon serves the same events as the fresh build, in every calendar and feed ($(sed -n 's/^CHECKED //p' "$tmp/compare.out") files), and the output holds the same files, but for the emptied test category kept empty"
grep -v '^CHECKED' "$tmp/compare.out" >"$tmp/compare.err"
diag_file "$tmp/compare.err"
test -z "$("$PYTHON3" "$py" gzmatch "$out")"
ok $? "every .gz equals its sibling"
scan_output "$out" final "$run/ref.json"
test ! -s "$tmp/scan.err"
ok $? "every output file parses completely"
diag_file "$tmp/scan.err"
ic=$(integrity "$state")
test "$ic" = ok
ok $? "the state passes integrity_check ($ic)"

kill -TERM "$daemon"
wait "$daemon"
st=$?
daemon=
test $st -eq 0
ok $? "SIGTERM stops it with status 0 (status $st)"

done_testing
