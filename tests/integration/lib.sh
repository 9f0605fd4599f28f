# lib.sh: TAP helpers for the integration scripts. Sourced, never run.
#
# Output is TAP on stdout ("1..N", "ok 1 - desc", "not ok 2 - desc"); the
# automake TAP driver reads it. Environment (set by make check):
#   EVFEED      the evfeed binary, absolute
#   top_srcdir  the source tree, absolute
#   PYTHON3, NODE, XMLLINT, CURL  tools found by configure (may be empty)
#
#   plan N                  announce N tests up front (or use done_testing)
#   pass DESC / fail DESC   report one result
#   ok STATUS DESC          pass when STATUS is 0: `test a = b; ok $? "a is b"`
#   check DESC CMD ARGS...  run CMD; pass when it exits 0, else fail and show
#                           its output as diagnostics
#   skip DESC [REASON]      report a skipped test
#   skip_all REASON         skip the whole script (only before any test)
#   diag TEXT...            a diagnostic line ("# TEXT")
#   bail_out REASON         abort the whole run
#   done_testing            print the plan if none was given and exit 0:
#                           failures are in the TAP stream, and the TAP
#                           driver would count a non-zero exit as one more
#   mktmp                   print the name of a fresh empty folder; all of
#                           them go when the script exits (EVFEED_KEEP_TMP=1
#                           keeps them for a post-mortem)
#   write_config DIR EVENTS [OUTPUT [STATE]]
#                           write DIR/evfeed.conf for the events folder
#                           EVENTS, output DIR/public and state DIR/state.db
#                           unless OUTPUT and STATE say otherwise
#   tree_sums DIR           print "sha256  ./path" for every file below DIR,
#                           sorted by path
#   retitle FILE TEXT       give the event file FILE the title TEXT (written
#                           beside it and renamed into place)
#   serve_start CONF OUT ERR
#                           start `evfeed serve` and wait until it serves
#                           (sets $serve_pid and $base)
#   wait_until SECS CMD...  run CMD every 0.1 s until it succeeds (status 0)
#                           or SECS seconds have passed (status 1)
#   serve_wait OUT PID SECS wait until the daemon PID prints its Calendar
#                           line to OUT (sets $base)
#   serve_stop [SIGNAL]     stop it (sets $serve_status)
#   head_of PATH [CURL ARGS]
#                           the response headers of $base PATH, CRs removed
#   header NAME             NAME's value in the headers on stdin
#   status                  the status code of the headers on stdin
#   state_integrity STATE   print what PRAGMA integrity_check says of the
#                           SQLite state STATE ("ok")
#   state_left_ago STATE KEY DAYS
#                           in the state STATE, move the time at which the
#                           scope KEY ("category/x", "source/x") lost its
#                           last event, and the time up to which the output
#                           holds, back as they would be DAYS days later
#                           (fails unless KEY is recorded as left)

_tap_n=0
_tap_failed=0
_tap_plan=

plan()
{
	_tap_plan=$1
	echo "1..$1"
}

pass()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

fail()
{
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $*"
}

# ok STATUS DESCRIPTION: passes when STATUS is 0, else fails; returns
# STATUS's truth, so that `ok $? "..." || diag_file F` tells why.
ok()
{
	_tap_status=$1
	shift
	if [ "$_tap_status" -eq 0 ]; then
		pass "$@"
	else
		fail "$@"
		return 1
	fi
}

diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

# Shows a file as diagnostics, at most 40 lines of it.
diag_file()
{
	if [ -s "$1" ]; then
		sed -n '1,40s/^/#   /p' "$1"
	fi
}

check()
{
	_tap_desc=$1
	shift
	_tap_out=$(mktmp)/out
	if "$@" >"$_tap_out" 2>&1; then
		pass "$_tap_desc"
	else
		_tap_status=$?
		fail "$_tap_desc"
		diag "command: $*"
		diag "exit status: $_tap_status"
		diag_file "$_tap_out"
	fi
}

skip()
{
	_tap_n=$((_tap_n + 1))
	if [ $# -gt 1 ]; then
		echo "ok $_tap_n - $1 # SKIP $2"
	else
		echo "ok $_tap_n - $1 # SKIP"
	fi
}

skip_all()
{
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out()
{
	echo "Bail out! $*"
	exit 99
}

done_testing()
{
	if [ -z "$_tap_plan" ]; then
		echo "1..$_tap_n"
	elif [ "$_tap_plan" -ne "$_tap_n" ]; then
		diag "planned $_tap_plan tests but ran $_tap_n"
	fi
	if [ "$_tap_failed" -gt 0 ]; then
		diag "$_tap_failed of $_tap_n tests failed"
	fi
	exit 0
}

# One root per script, created now so that mktmp also works inside $(...),
# where it runs in a subshell and could not record anything for the trap.
_tap_root=$(mktemp -d "${TMPDIR:-/tmp}/evfeed-test.XXXXXX") ||
	bail_out "cannot create a temporary folder under ${TMPDIR:-/tmp}"

_tap_cleanup()
{
	if [ "${EVFEED_KEEP_TMP:-0}" = 1 ]; then
		echo "# kept $_tap_root"
	else
		rm -rf "$_tap_root"
	fi
}
trap '_tap_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

mktmp()
{
	mktemp -d "$_tap_root/t.XXXXXX" || bail_out "mktemp failed"
}

# Prints the absolute form of an existing folder.
_tap_abs()
{
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) (cd "$1" && pwd) ;;
	esac
}

write_config()
{
	_wc_dir=$(_tap_abs "$1")
	_wc_events=$(_tap_abs "$2")
	_wc_output=${3:-$_wc_dir/public}
	_wc_state=${4:-$_wc_dir/state.db}
	cat >"$_wc_dir/evfeed.conf" <<EOF
[site]
title=Test Events
url=https://events.example.org/
tag_date=2018
timezone=Europe/Ljubljana
language=en

[paths]
events=$_wc_events
output=$_wc_output
state=$_wc_state

[feeds]
max_items=50
refresh=PT1H
EOF
}

# shim_run CALLS PATH COMMAND...: COMMAND with tests/fail-sync.so (beside
# $EVFEED) preloaded, the calls CALLS (comma-separated: fsync, syncfs, …)
# failing with EIO below PATH, each failure logged to $SHIM_LOG if set.
shim_run()
{
	_calls=$1
	_path=$2
	shift 2
	env LD_PRELOAD="$(dirname "$EVFEED")/tests/fail-sync.so" \
		EVFEED_FAIL_SYNC="$_calls" EVFEED_FAIL_SYNC_PATH="$_path" \
		${SHIM_LOG:+EVFEED_FAIL_SYNC_LOG="$SHIM_LOG"} \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}

tree_sums()
{
	(cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort -k 2)
}

# Runs COMMAND... with a time limit when timeout(1) is there, so that a
# hanging binary fails its test instead of hanging make check.
with_timeout()
{
	_tap_secs=$1
	shift
	if command -v timeout >/dev/null 2>&1; then
		timeout "$_tap_secs" "$@"
	else
		"$@"
	fi
}

# Every script needs the binary; without it there is nothing to test.
if [ -z "${EVFEED:-}" ] || [ ! -x "$EVFEED" ]; then
	bail_out "EVFEED is not set to an executable (run the tests with make check)"
fi
if [ -z "${top_srcdir:-}" ] || [ ! -d "$top_srcdir/tests" ]; then
	bail_out "top_srcdir is not set to the source tree (run the tests with make check)"
fi

# fixture_port OUT ERR WHAT: waits up to 10 s for the "PORT n" line that a
# fixture server writes to the file OUT once it listens, and sets $port;
# else shows the server's stderr (the file ERR) and bails out, naming WHAT.
fixture_port()
{
	_i=0
	while ! grep -q '^PORT [0-9]' "$1" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	port=$(sed -n 's/^PORT \([0-9][0-9]*\)$/\1/p' "$1")
	if [ -z "$port" ]; then
		diag_file "$2"
		bail_out "$3 did not start"
	fi
}

# file_server DIR: serves the files of DIR on 127.0.0.1 and a free port
# until 5 minutes have passed or this script is gone, and stops it on exit;
# sets $server (its PID), $port and $base ("http://127.0.0.1:PORT"). Its
# output goes to $tmp/server.out and .err.
file_server()
{
	"$PYTHON3" -c '
import functools, http.server, os, sys, threading, time
parent = os.getppid()
handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                            directory=sys.argv[1])
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print("PORT %d" % httpd.server_address[1], flush=True)
def watch():
    end = time.time() + 300
    while time.time() < end and os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
httpd.serve_forever()
' "$1" >"$tmp/server.out" 2>"$tmp/server.err" &
	server=$!
	trap 'kill "$server" 2>/dev/null; _tap_cleanup' EXIT
	fixture_port "$tmp/server.out" "$tmp/server.err" "the file server"
	base=http://127.0.0.1:$port
}

# retitle FILE TEXT: the event file FILE with the title TEXT, written beside
# it and renamed into place, as an editor saves it.
retitle()
{
	sed "s/^title: .*/title: $2/" "$1" >"$1.retitle" && mv "$1.retitle" "$1"
}

# serve_start CONF OUT ERR: starts `evfeed serve --config CONF` on
# 127.0.0.1 and a free port, its stdout in OUT and its stderr in ERR, and
# waits up to 60 s for its Calendar line. Sets $serve_pid, and $base to
# "http://127.0.0.1:PORT"; returns 1 with $base empty when the daemon exits
# or hangs instead. serve_stop stops it.
serve_start()
{
	rm -f "$2" "$3"
	"$EVFEED" serve --config "$1" --listen 127.0.0.1:0 >"$2" 2>"$3" </dev/null &
	serve_pid=$!
	serve_wait "$2" "$serve_pid" 60
}

# wait_until SECS CMD...: runs CMD every 0.1 s until it succeeds, for at
# most SECS seconds; the status of the last run.
wait_until()
{
	_wu_n=$(($1 * 10))
	shift
	until "$@"; do
		[ "$_wu_n" -le 0 ] && return 1
		sleep 0.1
		_wu_n=$((_wu_n - 1))
	done
}

# serve_wait OUT PID SECONDS: waits up to SECONDS for the daemon PID to
# print its Calendar line to OUT. Sets $base to "http://127.0.0.1:PORT"
# and returns 0 then; returns 1 with $base empty when the daemon exits or
# hangs instead.
serve_wait()
{
	base=
	_sw_n=0
	while [ $_sw_n -lt $(($3 * 50)) ]; do
		if grep -q '^Calendar:' "$1" 2>/dev/null; then
			base=$(sed -n 's|^Calendar: *\(http://[^/]*\)/calendar.ics$|\1|p' "$1")
			return 0
		fi
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.02
		_sw_n=$((_sw_n + 1))
	done
	return 1
}

# serve_stop [SIGNAL]: sends SIGNAL (TERM by default; 0 sends nothing) to
# the daemon of serve_start and waits up to 30 s for it to end, then kills
# it. Sets $serve_status to its exit status (137 when it had to be killed).
serve_stop()
{
	kill -"${1:-TERM}" "$serve_pid" 2>/dev/null
	_ss_n=0
	while kill -0 "$serve_pid" 2>/dev/null && [ $_ss_n -lt 600 ]; do
		sleep 0.05
		_ss_n=$((_ss_n + 1))
	done
	kill -9 "$serve_pid" 2>/dev/null
	wait "$serve_pid"
	serve_status=$?
	serve_pid=
}

# head_of PATH [CURL ARGS]: the response headers of $base PATH, CRs
# removed.
head_of()
{
	_p=$1
	shift
	"${CURL:-curl}" -s -o /dev/null -D - "$@" "$base$_p" | tr -d '\r'
}
header()
{
	sed -n "s/^$1: //Ip" | head -n 1
}
status()
{
	head -n 1 | cut -d' ' -f2
}

# state_integrity STATE: PRAGMA integrity_check of the SQLite state STATE,
# on a copy of it and its WAL so that the next evfeed still finds the state
# as it was left; prints "ok", or the problems on one line.
state_integrity()
{
	_si_dir=$(mktmp)
	cp "$1" "$_si_dir/state.db" || return
	if [ -e "$1-wal" ]; then
		cp "$1-wal" "$_si_dir/state.db-wal"
	fi
	"${PYTHON3:-/usr/bin/python3}" - "$_si_dir/state.db" <<'PY' 2>&1 | tr '\n' ' ' | sed 's/ $//'
import sqlite3
import sys

try:
    rows = sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check')
    print(' '.join(r[0] for r in rows))
except sqlite3.Error as e:
    print('sqlite3: %s' % e)
PY
	rm -rf "$_si_dir"
}

state_left_ago()
{
	"${PYTHON3:-/usr/bin/python3}" - "$1" "$2" "$3" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
key, days = sys.argv[2], float(sys.argv[3])
then = int((time.time() - days * 86400) * 1e6)
row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
assert row is not None and not row[0].startswith("0 "), row
db.execute("UPDATE meta SET value = ? WHERE key = ?",
           (str(then) + row[0][row[0].index(" "):], key))
db.execute("UPDATE meta SET value = ? WHERE key = 'until'",
           (str(then + 90 * 86400 * 10**6),))
db.commit()
PY
}
