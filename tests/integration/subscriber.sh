#!/bin/sh
# subscriber.sh: what a subscriber's clients see over HTTP from `evfeed
# serve`: the calendar read by ical.js (Thunderbird's parser) and by
# python3-icalendar, the feeds by python3-feedparser, which then polls again
# with the ETag it was given and must get a 304.
. "$top_srcdir/tests/integration/lib.sh"

# Under valgrind (make check-valgrind) everything takes ten times longer.
slow=1
[ -n "${EVFEED_SLOW:-}" ] && slow=10

CURL=${CURL:-curl}
PY=${PYTHON3:-/usr/bin/python3}
NODE=${NODE:-node}
if [ -z "${NODE_PATH:-}" ] && command -v npm >/dev/null 2>&1; then
	NODE_PATH=$(npm root -g)
	export NODE_PATH
fi
clients=$top_srcdir/tests/clients
tmp=$(mktmp)
write_config "$tmp" "$top_srcdir/feeds/events"

"$EVFEED" serve --config "$tmp/evfeed.conf" --listen 127.0.0.1:0 \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
trap 'kill -9 $pid 2>/dev/null; _tap_cleanup' EXIT
i=0
while ! grep -q '^Calendar:' "$tmp/out" 2>/dev/null && [ $i -lt $((100 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
done
base=$(sed -n 's|^Calendar: *\(http://[^/]*\)/calendar.ics$|\1|p' "$tmp/out")
test -n "$base" || bail_out "evfeed serve did not start"

"$CURL" -sf -o "$tmp/calendar.ics" "$base/calendar.ics"
ok $? "calendar downloaded"
"$NODE" "$clients/check-ics.js" "$tmp/calendar.ics" >"$tmp/icaljs.jsonl" 2>"$tmp/icaljs.err"
ok $? "ical.js reads the served calendar"
diag_file "$tmp/icaljs.err"
"$PY" "$clients/check_ics.py" "$tmp/calendar.ics" >"$tmp/pyical.jsonl" 2>"$tmp/pyical.err"
ok $? "python3-icalendar reads the served calendar"
diag_file "$tmp/pyical.err"
test "$(wc -l <"$tmp/icaljs.jsonl")" -eq 3
ok $? "three dated events (the tba one is left out)"
grep -q '"start_utc": *"2018-06-28"' "$tmp/pyical.jsonl" &&
	grep -q '"end_utc": *"2018-06-30"' "$tmp/pyical.jsonl"
ok $? "the Zagreb meeting is 28-29 June 2018 (exclusive end 30 June)"

"$PY" - "$base" >"$tmp/feeds" 2>&1 <<'PY'
import sys, feedparser
base = sys.argv[1]
for name in ("rss.xml", "atom.xml"):
    d = feedparser.parse(base + "/" + name)
    assert d.bozo == 0, (name, d.bozo_exception)
    assert d.status == 200, (name, d.status)
    assert len(d.entries) == 4, (name, len(d.entries))
    titles = [e.title for e in d.entries]
    assert any("Zagreb" in (e.get("ev_location") or "") for e in d.entries), name
    assert any("Date to be announced" in e.summary for e in d.entries), name
    etag, modified = d.get("etag"), d.get("modified")
    assert etag, name
    again = feedparser.parse(base + "/" + name, etag=etag)
    assert again.status == 304, (name, again.status)
    assert len(again.entries) == 0
    again = feedparser.parse(base + "/" + name, modified=modified)
    assert again.status == 304, (name, "If-Modified-Since", again.status)
    print(name, "ok", len(titles), "entries, then 304")
PY
st=$?
diag_file "$tmp/feeds"
ok $st "feedparser reads both feeds, then gets 304 with the ETag and with the date"

kill -TERM $pid
wait $pid
ok $? "SIGTERM: exit status 0"
trap _tap_cleanup EXIT
done_testing
