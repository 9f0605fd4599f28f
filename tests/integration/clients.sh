#!/bin/sh
# clients.sh: build a site from tests/data/hard-events (and from the bundled
# sample feeds/events) and read every output back with clients nobody here
# wrote:
#   - every .ics with ical.js (Thunderbird's parser, tests/clients/check-ics.js)
#     with python-icalendar (tests/clients/check_ics.py) and with
#     python-vobject (tests/clients/check_vobject.py, which reads the file's
#     own VTIMEZONEs) and with Ruby's icalendar (tests/clients/check_ics.rb,
#     which does too); all must accept it and agree on every event's
#     instants;
#   - every calendar with a recurring event with ical.js and with node-ical
#     (tests/clients/check-recurrence.js), whose rules go through another
#     library (rrule-temporal) and whose zones come from the system: both
#     must give the same occurrences, also with the machine in another
#     zone (TZ=Pacific/Chatham, TZ=America/St_Johns), and each timed
#     occurrence must end, by RFC 5545, at the wall-clock length the
#     editor wrote after its start (with the clients' known misreadings
#     tolerated, as check-recurrence.js says);
#   - a series in UTC with python3-recurring-ical-events, which reads
#     X-WR-TIMEZONE as Google Calendar does, against RFC 5545 (dateutil);
#   - every rss.xml/atom.xml with feedparser, xmllint (Atom: the RFC 4287
#     RELAX NG schema) and the W3C Feed Validation Service's rules
#     (tests/clients/check_feeds.py);
#   - no output may contain "<script" or "javascript:".
#
# TAP on stdout. Environment (make check sets it):
#   EVFEED      the evfeed binary            (default: $top_srcdir/evfeed)
#   top_srcdir  the source tree              (default: two folders up)
#   NODE        node                         (default: node)
#   NODE_PATH   where ical.js and node-ical are (default: $(npm root -g))
#   PYTHON3     python with icalendar, vobject and feedparser
#               (default: /usr/bin/python3)
#   XMLLINT     libxml2's xmllint            (default: xmllint)
#   RUBY        ruby with the icalendar gem  (default: ruby)
# CLIENTS_KEEP_TMP=1 keeps the temporary folder for a post-mortem.
#
# tools/install-deps installs every one of these tools.

LC_ALL=C
export LC_ALL

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
EVFEED=${EVFEED:-$top_srcdir/evfeed}
NODE=${NODE:-node}
PYTHON3=${PYTHON3:-/usr/bin/python3}
XMLLINT=${XMLLINT:-xmllint}
RUBY=${RUBY:-ruby}
if [ -z "${NODE_PATH:-}" ]; then
	NODE_PATH=$(npm root -g 2>/dev/null) || NODE_PATH=
fi
export NODE_PATH XMLLINT

clients=$top_srcdir/tests/clients
site=https://events.example.org/

# ------------------------------------------------------------ TAP helpers

n=0
failed=0

pass()
{
	n=$((n + 1))
	echo "ok $n - $*"
}

fail()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

# Shows a file as diagnostics, at most 60 lines of it, with the temporary
# folder's name left out of paths.
diag_file()
{
	if [ -s "$1" ]; then
		sed -n "1,60{s|$tmp/||g;s/^/#   /;p;}" "$1"
		lines=$(wc -l <"$1")
		if [ "$lines" -gt 60 ]; then
			echo "#   ... ($lines lines in all)"
		fi
	fi
}

finish()
{
	echo "1..$n"
	if [ "$failed" -ne 0 ]; then
		diag "$failed of $n tests failed"
		exit 1
	fi
	exit 0
}

# ------------------------------------------------------------ temp folder

tmp=$(mktemp -d "${TMPDIR:-/tmp}/evfeed-clients.XXXXXX") || {
	echo "1..0 # SKIP cannot make a temporary folder"
	exit 99
}
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ "${CLIENTS_KEEP_TMP:-}" = 1 ]; then
		echo "# kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------- the tools we need

if "$NODE" -e "require('ical.js')" >"$tmp/node.err" 2>&1; then
	pass "ical.js loads in $NODE (NODE_PATH=$NODE_PATH)"
	have_node=1
else
	fail "ical.js loads in $NODE (NODE_PATH=$NODE_PATH)"
	diag "ical.js is missing: run tools/install-deps (as root) to install" \
		"node and ical.js 2.2.1, or set NODE and NODE_PATH"
	diag_file "$tmp/node.err"
	have_node=0
fi

if "$NODE" -e "require('node-ical')" >"$tmp/node-ical.err" 2>&1; then
	pass "node-ical loads in $NODE (NODE_PATH=$NODE_PATH)"
	have_nodeical=1
else
	fail "node-ical loads in $NODE (NODE_PATH=$NODE_PATH)"
	diag "node-ical is missing: run tools/install-deps (as root)"
	diag_file "$tmp/node-ical.err"
	have_nodeical=0
fi

if "$PYTHON3" -c 'import icalendar, feedparser' >"$tmp/py.err" 2>&1; then
	pass "python-icalendar and feedparser import in $PYTHON3"
	have_py=1
else
	fail "python-icalendar and feedparser import in $PYTHON3"
	diag "run tools/install-deps (python3-icalendar, python3-feedparser)"
	diag_file "$tmp/py.err"
	have_py=0
fi

if "$PYTHON3" -c 'import vobject' >"$tmp/vobject.err" 2>&1; then
	pass "python-vobject imports in $PYTHON3"
	have_vobject=1
else
	fail "python-vobject imports in $PYTHON3"
	diag "run tools/install-deps (python3-vobject)"
	diag_file "$tmp/vobject.err"
	have_vobject=0
fi

if "$RUBY" -e "require 'icalendar'" >"$tmp/ruby.err" 2>&1; then
	pass "Ruby's icalendar loads in $RUBY"
	have_ruby=1
else
	fail "Ruby's icalendar loads in $RUBY"
	diag "run tools/install-deps (ruby, ruby-icalendar)"
	diag_file "$tmp/ruby.err"
	have_ruby=0
fi

if "$XMLLINT" --version >/dev/null 2>&1; then
	pass "xmllint runs ($XMLLINT)"
else
	fail "xmllint runs ($XMLLINT)"
	diag "run tools/install-deps (libxml2-utils)"
fi

# --------------------------------------------------------------- helpers

# write_config DIR EVENTS [ZONE]: DIR/evfeed.conf for a site built from
# EVENTS, in ZONE (default Europe/Ljubljana).
write_config()
{
	cat >"$1/evfeed.conf" <<EOF
[site]
title=Client Test
url=$site
tag_date=2018
timezone=${3:-Europe/Ljubljana}
language=en

[paths]
events=$2
output=$1/public
state=$1/state.db

[feeds]
max_items=50
refresh=PT1H
EOF
}

# build NAME EVENTS [ZONE]: build the site into $tmp/NAME/public.
build()
{
	mkdir -p "$tmp/$1"
	write_config "$tmp/$1" "$2" "${3:-}"
	if "$EVFEED" build --config "$tmp/$1/evfeed.conf" \
		>"$tmp/$1/build.out" 2>&1; then
		pass "$1: evfeed build"
		return 0
	fi
	fail "$1: evfeed build"
	diag_file "$tmp/$1/build.out"
	return 1
}

# ics_client DESC HAVE PACKAGE OUT CMD...: a client (installed when HAVE is
# 1, from PACKAGE) reads a calendar: CMD's JSON lines, one per event, go to
# OUT, its complaints to OUT.err; the check is DESC.
ics_client()
{
	desc=$1
	have=$2
	package=$3
	out=$4
	shift 4
	if [ "$have" != 1 ]; then
		fail "$desc: $package is not installed, run tools/install-deps"
		return 1
	fi
	if "$@" >"$out" 2>"$out.err"; then
		pass "$desc"
		return 0
	fi
	fail "$desc"
	diag_file "$out.err"
	return 1
}

# listed OUT OK: a client's events can be compared: it accepted the file
# (OK is 1), or it rejected it but got as far as listing events.
listed()
{
	[ -f "$1" ] && { [ "$2" = 1 ] || [ -s "$1" ]; }
}

# same_events NAME JS OTHER LABEL: ical.js and the client LABEL saw the
# same events at the same instants.
same_events()
{
	if [ "$have_py" != 1 ]; then
		fail "$1: ical.js and $4 agree (no python)"
		return
	fi
	if "$PYTHON3" - "$2" "$3" "$4" >"$tmp/cmp.out" 2>&1 <<'EOF'
import json, sys

FIELDS = ('start_utc', 'end_utc', 'allday', 'summary', 'location',
          'status', 'sequence')

def load(path):
    out = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                ev = json.loads(line)
                out[(ev['uid'], ev.get('recurrence_id'))] = ev
    return out

js, py, other = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
bad = 0
for key in sorted(set(js) | set(py), key=str):
    if key not in py:
        print('only ical.js sees %r' % (key,)); bad += 1; continue
    if key not in js:
        print('only %s sees %r' % (other, key)); bad += 1; continue
    # A series whose first occurrence has an override (where a DURATION
    # across a change of the clocks would not end it as the editor
    # wrote): the series' own end is that of no occurrence a client
    # shows, and ical.js 2.2.1 adds the DURATION's exact hours on the
    # wall clock (00:30 + PT2H the night St. John's clocks go back:
    # 02:30, where RFC 5545 gives 01:30). check-recurrence.js compares
    # every occurrence's end.
    overridden = key[1] is None and \
        (key[0], js[key].get('start_utc')) in js
    for f in FIELDS:
        if f == 'end_utc' and overridden:
            continue
        if js[key].get(f) != py[key].get(f):
            print('%r %s: ical.js %r, %s %r'
                  % (key[0], f, js[key].get(f), other, py[key].get(f)))
            bad += 1
if not js and not py:
    print('(no events on either side)')
sys.exit(1 if bad else 0)
EOF
	then
		pass "$1: ical.js and $4 agree on every event"
	else
		fail "$1: ical.js and $4 agree on every event"
		diag_file "$tmp/cmp.out"
	fi
}

# same_series FILE: ical.js and node-ical expand FILE's recurring events
# alike, with the machine in UTC and in two zones with odd offsets, and
# each occurrence ends where the editor meant.
same_series()
{
	rel=${1#"$tmp"/}
	if [ "$have_node" != 1 ] || [ "$have_nodeical" != 1 ]; then
		fail "$rel: ical.js and node-ical expand the series alike" \
			"(run tools/install-deps)"
		return
	fi
	for zone in UTC Pacific/Chatham America/St_Johns; do
		if TZ=$zone "$NODE" "$clients/check-recurrence.js" "$1" \
			>"$tmp/series.out" 2>"$tmp/series.err"; then
			pass "$rel: ical.js and node-ical expand the series alike" \
				"(TZ=$zone)"
		else
			fail "$rel: ical.js and node-ical expand the series alike" \
				"(TZ=$zone)"
			diag_file "$tmp/series.err"
		fi
	done
}

# check_ics FILE [--single]: every client, then each compared with
# ical.js.
check_ics()
{
	f=$1
	shift
	rel=${f#"$tmp"/}
	key=$(printf '%s' "$rel" | tr '/' '_')
	js=$tmp/$key.js.jsonl
	py=$tmp/$key.py.jsonl
	vo=$tmp/$key.vo.jsonl
	rb=$tmp/$key.rb.jsonl
	js_ok=0
	py_ok=0
	vo_ok=0
	rb_ok=0
	ics_client "ical.js reads $rel${1:+ ($*)}" "$have_node" ical.js "$js" \
		"$NODE" "$clients/check-ics.js" "$f" "$@" && js_ok=1
	ics_client "python-icalendar reads $rel${1:+ ($*)}" "$have_py" \
		python3-icalendar "$py" \
		"$PYTHON3" "$clients/check_ics.py" "$f" "$@" && py_ok=1
	ics_client "python-vobject reads $rel with its own VTIMEZONEs" \
		"$have_vobject" python3-vobject "$vo" \
		"$PYTHON3" "$clients/check_vobject.py" "$f" && vo_ok=1
	# Ruby's icalendar 2.8 fails on an observance that begins after a
	# time it reads (IceCube occurrences compared with nil); a zone whose
	# future tzdata already changes, as Cairo's in 2030, needs one.
	if grep -q '^TZID:Africa/Cairo' "$f"; then
		n=$((n + 1))
		echo "ok $n - Ruby's icalendar reads $rel # SKIP the gem" \
			"fails on Cairo's observance of 2030, which tzdata needs"
	else
		ics_client "Ruby's icalendar reads $rel with its own VTIMEZONEs" \
			"$have_ruby" ruby-icalendar "$rb" \
			"$RUBY" "$clients/check_ics.rb" "$f" && rb_ok=1
	fi
	if awk '/^BEGIN:VEVENT/ { e = 1 } /^END:VEVENT/ { e = 0 }
		e && /^RRULE/ { found = 1 } END { exit !found }' "$f"; then
		same_series "$f"
	fi
	if listed "$js" $js_ok && listed "$py" $py_ok; then
		same_events "$rel" "$js" "$py" python-icalendar
	fi
	if listed "$js" $js_ok && listed "$vo" $vo_ok; then
		same_events "$rel" "$js" "$vo" python-vobject
	fi
	if listed "$js" $js_ok && listed "$rb" $rb_ok; then
		same_events "$rel" "$js" "$rb" "Ruby's icalendar"
	fi
}

# urlpath STRING: percent-encode one path segment as a URL needs it.
urlpath()
{
	"$PYTHON3" -c 'import sys, urllib.parse
print(urllib.parse.quote(sys.argv[1], safe=""))' "$1" 2>/dev/null ||
		printf '%s\n' "$1"
}

# check_feeds DIR URLPREFIX CALJSON: rss.xml and atom.xml in DIR, served
# under URLPREFIX; CALJSON is check-ics.js's view of DIR/calendar.ics.
check_feeds()
{
	dir=$1
	prefix=$2
	rel=${dir#"$tmp"/}
	for f in rss.xml atom.xml; do
		if [ ! -f "$dir/$f" ]; then
			fail "$rel/$f exists"
			return
		fi
	done
	if [ "$have_py" != 1 ]; then
		fail "$rel: rss.xml and atom.xml pass the feed checks (no python)"
		return
	fi
	set -- --rss "$dir/rss.xml" --atom "$dir/atom.xml" \
		--self-rss "${prefix}rss.xml" --self-atom "${prefix}atom.xml" \
		--max-items 50 --xmllint "$XMLLINT" \
		--atom-rng "$top_srcdir/tests/data/atom.rng"
	if [ -s "$3" ]; then
		set -- "$@" --expect-titles-from "$3"
	fi
	if "$PYTHON3" "$clients/check_feeds.py" "$@" >"$tmp/feeds.out" 2>&1
	then
		pass "$rel: rss.xml and atom.xml pass feedparser, xmllint and" \
			"the W3C validator's rules"
	else
		fail "$rel: rss.xml and atom.xml pass feedparser, xmllint and" \
			"the W3C validator's rules"
		diag_file "$tmp/feeds.out"
	fi
}

# check_json DIR: calendar.json (jCal) back to iCalendar by ical.js, event
# by event equal to calendar.ics; feed.json against the JSON Feed rules.
check_json()
{
	rel=${1#"$tmp"/}
	if "$NODE" "$clients/check-jcal.js" "$1/calendar.json" \
		"$1/calendar.ics" >"$tmp/jcal.out" 2>&1; then
		pass "$rel: calendar.json is calendar.ics, event by event (ical.js)"
	else
		fail "$rel: calendar.json is calendar.ics, event by event (ical.js)"
		diag_file "$tmp/jcal.out"
	fi
	if "$PYTHON3" "$clients/check_jsonfeed.py" "$1/feed.json" \
		>"$tmp/jsonfeed.out" 2>&1; then
		pass "$rel: feed.json follows JSON Feed 1.1"
	else
		fail "$rel: feed.json follows JSON Feed 1.1"
		diag_file "$tmp/jsonfeed.out"
	fi
}

# no_scripts DIR: nothing under DIR carries script.
no_scripts()
{
	find "$1" -type f ! -name '*.gz' ! -name '*.db' ! -name '*.db-*' \
		-exec grep -l -i -e '<script' -e '&lt;script' -e 'javascript:' \
		{} + >"$tmp/scripts.out" 2>/dev/null
	if [ -s "$tmp/scripts.out" ]; then
		fail "${1#"$tmp"/}: no output contains <script or javascript:"
		while read -r f; do
			diag "${f#"$tmp"/}:"
			grep -n -i -o -e '.\{0,30\}<script.\{0,20\}' \
				-e '.\{0,30\}&lt;script.\{0,20\}' \
				-e '.\{0,30\}javascript:.\{0,20\}' "$f" |
				sed -n '1,5s/^/#   /p'
		done <"$tmp/scripts.out"
	else
		pass "${1#"$tmp"/}: no output contains <script or javascript:"
	fi
}

# check_site NAME: everything in $tmp/NAME/public.
check_site()
{
	pub=$tmp/$1/public
	for f in calendar.ics rss.xml atom.xml; do
		if [ -f "$pub/$f" ]; then
			pass "$1: public/$f exists"
		else
			fail "$1: public/$f exists"
		fi
	done

	# Every calendar: the site's, each category's and each event's.
	if [ -f "$pub/calendar.ics" ]; then
		check_ics "$pub/calendar.ics"
	fi
	find "$pub" -name '*.ics' -type f | sort >"$tmp/$1.ics-list"
	while read -r f; do
		case $f in
		"$pub/calendar.ics") ;;
		"$pub"/events/*.ics) check_ics "$f" --single ;;
		*) check_ics "$f" ;;
		esac
	done <"$tmp/$1.ics-list"

	if [ -d "$pub/events" ] &&
		[ -n "$(find "$pub/events" -name '*.ics' -type f)" ]; then
		pass "$1: events/<slug>.ics files exist"
	else
		fail "$1: events/<slug>.ics files exist"
	fi

	# The feeds, with the calendar's events as the expected listings.
	cal=$tmp/$(printf '%s' "$1/public/calendar.ics" | tr '/' '_').js.jsonl
	check_feeds "$pub" "$site" "$cal"
	check_json "$pub"
	if [ -d "$pub/category" ]; then
		for d in "$pub"/category/*/; do
			[ -d "$d" ] || continue
			d=${d%/}
			slug=${d##*/}
			for f in calendar.ics rss.xml atom.xml; do
				if [ ! -f "$d/$f" ]; then
					fail "$1: category/$slug/$f exists"
				fi
			done
			cal=$tmp/$(printf '%s' "$1/public/category/$slug/calendar.ics" |
				tr '/' '_').js.jsonl
			check_feeds "$d" \
				"${site}category/$(urlpath "$slug")/" "$cal"
			check_json "$d"
		done
	fi

	no_scripts "$pub"
}

# ------------------------------------------------------------------- run

if [ ! -x "$EVFEED" ]; then
	fail "the evfeed binary $EVFEED exists (build it first, or set EVFEED)"
	finish
fi

if build hard "$top_srcdir/tests/data/hard-events"; then
	check_site hard
	# check_feeds.py holds the validator's rule; this, that the fixture
	# still has what it tests
	if grep -q '<title>Q&#x26;A on R&#x26;D: the &#x3C;online&gt;' \
		"$tmp/hard/public/rss.xml"; then
		pass "hard: '&' and '<' in plain text as hexadecimal references"
	else
		fail "hard: '&' and '<' in plain text as hexadecimal references"
	fi
	# and that the checker reads HTML as the validator does, with
	# html5lib in strict mode: a cell outside a row parses with libxml2
	# and Python's html.parser, but the validator calls it NotHtml
	bad=$tmp/hard-bad
	mkdir -p "$bad"
	cp "$tmp/hard/public/atom.xml" "$bad/atom.xml"
	sed '0,/<description>&lt;p&gt;/s//<description>\&lt;table\&gt;\&lt;td\&gt;x\&lt;\/td\&gt;\&lt;\/table\&gt;\&lt;p\&gt;/' \
		"$tmp/hard/public/rss.xml" >"$bad/rss.xml"
	if ! cmp -s "$bad/rss.xml" "$tmp/hard/public/rss.xml" &&
		! "$PYTHON3" "$clients/check_feeds.py" --rss "$bad/rss.xml" \
			--atom "$bad/atom.xml" --self-rss "${site}rss.xml" \
			--self-atom "${site}atom.xml" --max-items 50 \
			--xmllint "$XMLLINT" \
			--atom-rng "$top_srcdir/tests/data/atom.rng" \
			>"$tmp/bad.out" 2>&1 &&
		grep -q 'NotHtml.*html5lib (strict): Unexpected table cell' "$tmp/bad.out"; then
		pass "the feed checker refuses a table cell outside a row (html5lib, strict)"
	else
		fail "the feed checker refuses a table cell outside a row (html5lib, strict)"
		diag_file "$tmp/bad.out"
	fi
fi

# A series with an end (COUNT) before its zone's rules change (New York,
# autumn 2006; the rules of 2007 on): its VTIMEZONE ends with the series, as
# a single event's does, and every client reads it (Ruby's icalendar read
# no event of a calendar with rules no occurrence uses).
mkdir -p "$tmp/series-end-events"
printf -- '---\ntitle: Autumn lecture series 2006\nstart: 2006-10-20T10:00\nend: 2006-10-20T11:00\ntimezone: America/New_York\nrecurrence: FREQ=WEEKLY;COUNT=4\n---\nFour Fridays.\n' \
	>"$tmp/series-end-events/lectures.md"
if build series-end "$tmp/series-end-events"; then
	check_site series-end
	if ! grep -q '^DTSTART:2007' "$tmp/series-end/public/calendar.ics" &&
		grep -q '^TZID:America/New_York' "$tmp/series-end/public/calendar.ics"; then
		pass "series-end: New York's VTIMEZONE ends with the series (no rules of 2007)"
	else
		fail "series-end: New York's VTIMEZONE ends with the series (no rules of 2007)"
		sed -n '/TZID:America/,/END:VTIMEZONE/p' "$tmp/series-end/public/calendar.ics" | sed 's/^/# /'
	fi
fi

# Events in a zone on both sides of a change of its rules (New York's of
# 2007, Moscow's of 2014; Mexico City's end of summer time in 2022 is the
# end of a rule, not a change): Ruby's icalendar refused the whole calendar
# (an observance that had not begun at the old event's time beside one that
# had). A single event before its zone's last change of rules is written in
# UTC; every client reads each calendar, and the later events keep their
# zone.
mkdir -p "$tmp/rules-change-events"
rules_event()
{
	printf -- '---\ntitle: %s\nstart: %s\nend: %s\ntimezone: %s\n---\nA meeting.\n' \
		"$2" "$3" "$4" "$5" >"$tmp/rules-change-events/$1.md"
}
rules_event ny-2006 'New York, autumn 2006' 2006-10-20T10:00 2006-10-20T11:00 America/New_York
rules_event ny-2007 'New York, January 2007' 2007-01-15T10:00 2007-01-15T11:00 America/New_York
rules_event ny-2020 'New York, autumn 2020' 2020-10-20T10:00 2020-10-20T11:00 America/New_York
rules_event moscow-2012 'Moscow, summer 2012' 2012-06-01T10:00 2012-06-01T11:00 Europe/Moscow
rules_event moscow-2020 'Moscow, summer 2020' 2020-06-01T10:00 2020-06-01T11:00 Europe/Moscow
rules_event mexico-2019 'Mexico City, summer 2019' 2019-06-01T10:00 2019-06-01T11:00 America/Mexico_City
rules_event mexico-2024 'Mexico City, summer 2024' 2024-06-01T10:00 2024-06-01T11:00 America/Mexico_City
if build rules-change "$tmp/rules-change-events"; then
	check_site rules-change
	times=$(grep -E '^DTSTART(:[0-9]{8}T[0-9]{6}Z|;TZID=)' "$tmp/rules-change/public/calendar.ics" | tr -d '\r' | sort | tr '\n' ' ')
	if [ "$times" = 'DTSTART:20061020T140000Z DTSTART:20070115T150000Z DTSTART:20120601T060000Z DTSTART;TZID=America/Mexico_City:20190601T100000 DTSTART;TZID=America/Mexico_City:20240601T100000 DTSTART;TZID=America/New_York:20201020T100000 DTSTART;TZID=Europe/Moscow:20200601T100000 ' ]; then
		pass "rules-change: the events before their zone's last change of rules in UTC, the others in their zone"
	else
		fail "rules-change: the events before their zone's last change of rules in UTC, the others in their zone"
		diag "$times"
	fi
fi

# A site in UTC, with events in UTC's other names: every time with a Z,
# no TZID and no VTIMEZONE for them (libical has none for UTC; a build
# once failed on it). And zones libical can describe only with RDATE
# lists, which Outlook ignores (check-ics.js refuses them): a single event
# in such a year is written in UTC, and Sydney from 2008 keeps its zone.
if build zones "$top_srcdir/tests/data/zone-events" UTC; then
	check_site zones
	pub=$tmp/zones/public
	# (Vancouver in 2026 and Cairo in 2025, a series: the zones whose
	# VTIMEZONE libical cut wrong; the clients above agree on their
	# instants)
	if [ "$(grep '^TZID:' "$pub/calendar.ics" | tr -d '\r' | sort | tr '\n' ' ')" = \
		'TZID:Africa/Cairo TZID:America/Vancouver TZID:Australia/Sydney ' ] &&
		[ -z "$(grep 'TZID=' "$pub/calendar.ics" |
			grep -v -e 'TZID=Australia/Sydney' -e 'TZID=America/Vancouver' \
				-e 'TZID=Africa/Cairo')" ]; then
		pass "zones: VTIMEZONEs for Sydney, Vancouver, Cairo; none for UTC or Gaza"
	else
		fail "zones: VTIMEZONEs for Sydney, Vancouver, Cairo; none for UTC or Gaza"
		grep -n 'TZID' "$pub/calendar.ics" | sed 's/^/# /'
	fi
	if ! grep -q '^RDATE' "$pub/calendar.ics"; then
		pass "zones: no RDATE in any VTIMEZONE"
	else
		fail "zones: no RDATE in any VTIMEZONE"
	fi
	if grep -q '^DTSTART;TZID=Australia/Sydney:20241030T100000' \
		"$pub/calendar.ics"; then
		pass "zones: Sydney 2024 keeps its zone"
	else
		fail "zones: Sydney 2024 keeps its zone"
	fi
	if [ "$(grep -c '^BEGIN:VEVENT' "$pub/category/statistics/calendar.ics")" = 0 ] &&
		grep -q '^TZID:UTC' "$pub/category/statistics/calendar.ics"; then
		pass "zones: a calendar without events in a UTC site has UTC's VTIMEZONE"
	else
		fail "zones: a calendar without events in a UTC site has UTC's VTIMEZONE"
	fi
	# Berlin's 02:30 on 27 October 2024 happens twice: the first, in UTC;
	# and so is an event that ends at the 03:00 the clocks go back from
	for t in 20240521T070000Z 20240604T130000Z 20241112T100000Z \
		20240422T070000Z 20051029T230000Z 20241027T003000Z \
		20241026T200000Z; do
		if grep -q "^DTSTART:$t" "$pub/calendar.ics"; then
			pass "zones: DTSTART:$t"
		else
			fail "zones: DTSTART:$t"
		fi
	done
	if grep -q '^DTEND:20241027T020000Z' "$pub/calendar.ics"; then
		pass "zones: an end at the 03:00 Berlin's clocks go back from, in UTC"
	else
		fail "zones: an end at the 03:00 Berlin's clocks go back from, in UTC"
	fi
fi

# Series whose day not every month has: RFC 5545 skips those months, and
# node-ical moved such an occurrence to the month's last day (and kept that
# day) unless the rule names it; series across the odd changes of
# Chatham's and St John's clocks; and series whose first occurrence spans
# a change, which a DTEND would give every later occurrence the first
# one's exact length (an hour off the editor's): a conference that ends
# on the Sunday summer time does (DURATION with days), a night in which
# St John's clocks go back (DURATION and an override of the first night).
mkdir -p "$tmp/rules-events"
cat >"$tmp/rules-events/on-the-31st.md" <<'EOF'
---
title: Monthly Briefing on the 31st
start: 2026-01-31T10:00
end: 2026-01-31T11:00
recurrence: FREQ=MONTHLY;COUNT=6
---
Every month that has a 31st.
EOF
cat >"$tmp/rules-events/on-the-30th.md" <<'EOF'
---
title: Reading Day on the 30th
start: 2027-01-30
recurrence: FREQ=MONTHLY;INTERVAL=1;UNTIL=20271231
---
All day, every month that has a 30th.
EOF
cat >"$tmp/rules-events/st-johns-weekly.md" <<'EOF'
---
title: Weekly Call from St. John's
start: 2026-10-24T21:30
end: 2026-10-24T22:30
timezone: America/St_Johns
recurrence: FREQ=WEEKLY;COUNT=4
---
Across the end of daylight saving time in Newfoundland.
EOF
cat >"$tmp/rules-events/chatham-daily.md" <<'EOF'
---
title: Daily Watch on the Chatham Islands
start: 2026-09-25T09:00
end: 2026-09-25T10:00
recurrence: FREQ=DAILY;COUNT=4
---
Across the start of daylight saving time on the Chatham Islands.
EOF
cp "$top_srcdir"/tests/data/clock-change-series/*.md "$tmp/rules-events/"
if build rules "$tmp/rules-events" Pacific/Chatham; then
	# that the fixtures still have what they test
	cal=$tmp/rules/public/calendar.ics
	if grep -q '^DURATION:P2DT8H' "$cal" && grep -q '^DURATION:PT2H' "$cal" &&
		grep -q '^RECURRENCE-ID;TZID=America/St_Johns:20261101T003000' \
			"$cal" && grep -q '^DURATION:PT5H' "$cal" &&
		grep -q '^DTEND:20261025T020000Z' "$cal"; then
		pass "rules: DURATION for series across a change, an override" \
			"for St. John's first night and for a night to the" \
			"03:00 Ljubljana's clocks go back from, in UTC"
	else
		fail "rules: DURATION for series across a change, an override" \
			"for St. John's first night and for a night to the" \
			"03:00 Ljubljana's clocks go back from, in UTC"
	fi
	check_ics "$tmp/rules/public/calendar.ics"
	# the overrides in the jCal too
	check_json "$tmp/rules/public"
	for f in "$tmp/rules/public/events/"*.ics; do
		check_ics "$f" --single
	done
fi

# node-ical's time zone library (temporal-polyfill) knows clock changes
# only up to 1 January ten years after the reader's year: it throws on a
# series that starts later at another offset than it takes for all that
# time, and so refuses the whole calendar. evfeed warns of just those
# series, as node-ical reads them now: a series in summer ten years ahead
# (winter in Sydney), not one nine years ahead, nor one ten years ahead
# in winter, nor a single event.
mkdir -p "$tmp/horizon-events"
year=$(date -u +%Y)
horizon_event()
{
	printf -- '---\ntitle: %s\nstart: %s\nend: %s\ntimezone: %s\n%b---\nA meeting.\n' \
		"$2" "$3T14:30" "$3T15:30" "$4" "$5" >"$tmp/horizon-events/$1.md"
}
horizon_event far-summer 'Far summer' "$((year + 10))-08-06" Europe/Ljubljana 'recurrence: FREQ=WEEKLY;COUNT=3\n'
horizon_event far-winter-sydney 'Far winter in Sydney' "$((year + 10))-07-06" Australia/Sydney 'recurrence: FREQ=WEEKLY;COUNT=3\n'
horizon_event near-summer 'Near summer' "$((year + 9))-08-06" Europe/Ljubljana 'recurrence: FREQ=WEEKLY;COUNT=3\n'
horizon_event far-winter 'Far winter' "$((year + 10))-01-10" Europe/Ljubljana 'recurrence: FREQ=WEEKLY;COUNT=3\n'
horizon_event far-summer-sydney 'Far summer in Sydney' "$((year + 10))-12-06" Australia/Sydney 'recurrence: FREQ=WEEKLY;COUNT=3\n'
horizon_event far-single 'Far single' "$((year + 10))-08-06" Europe/Ljubljana ''
if build horizon "$tmp/horizon-events"; then
	for f in "$tmp/horizon/public/events/"*.ics; do
		name=$(basename "$f" .ics)
		if grep -q "/$name.md:6:13: warning: recurrence: node-ical" \
			"$tmp/horizon/build.out"; then
			warned=1
		else
			warned=0
		fi
		if [ "$have_nodeical" != 1 ]; then
			fail "horizon: $name: node-ical is not installed"
			continue
		fi
		if "$NODE" -e "require('node-ical').sync.parseFile(process.argv[1])" \
			"$f" >"$tmp/horizon/$name.err" 2>&1; then
			read=1
		else
			read=0
		fi
		if [ "$warned" != "$read" ]; then
			pass "horizon: $name: evfeed warns (warned=$warned) exactly when node-ical refuses it (read=$read)"
		else
			fail "horizon: $name: evfeed warns (warned=$warned) exactly when node-ical refuses it (read=$read)"
			diag_file "$tmp/horizon/build.out"
			diag_file "$tmp/horizon/$name.err"
		fi
		case $name in
		far-summer | far-winter-sydney) want=0 ;;
		*) want=1 ;;
		esac
		if [ "$read" = "$want" ]; then
			pass "horizon: $name: node-ical reads it: $want"
		else
			fail "horizon: $name: node-ical reads it: $want"
		fi
	done
	if [ "$(grep -c 'warning: recurrence: node-ical' "$tmp/horizon/build.out")" = 2 ]; then
		pass "horizon: two warnings"
	else
		fail "horizon: two warnings"
		diag_file "$tmp/horizon/build.out"
	fi
fi

# A series in UTC, across a change of the site's clocks: readers that
# take X-WR-TIMEZONE as Google Calendar does (python3-recurring-ical-events
# through python3-x-wr-timezone) ran its rule on the site's wall clock, an
# hour off after the change. They must give the instants RFC 5545 gives
# (python-icalendar and dateutil), for it and for a series in the zone.
mkdir -p "$tmp/utc-series-events"
printf -- '---\ntitle: Weekly call at 09:00 UTC\nstart: 2027-03-15T09:00\nend: 2027-03-15T10:00\ntimezone: UTC\nrecurrence: FREQ=WEEKLY;COUNT=4\n---\nAcross 28 March.\n' \
	>"$tmp/utc-series-events/utc-call.md"
printf -- '---\ntitle: Weekly meeting in Ljubljana\nstart: 2027-03-16T10:00\nend: 2027-03-16T11:00\nrecurrence: FREQ=WEEKLY;COUNT=4\n---\nAcross 28 March.\n' \
	>"$tmp/utc-series-events/local.md"
if build utc-series "$tmp/utc-series-events"; then
	if "$PYTHON3" - "$tmp/utc-series/public/calendar.ics" \
		>"$tmp/utc-series/compare.out" 2>&1 <<'EOF'
import datetime as dt, sys, zoneinfo
import icalendar, recurring_ical_events
from dateutil.rrule import rrulestr

cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
utc = dt.timezone.utc
want = set()
for e in cal.walk('VEVENT'):
    # the rule on the wall clock of the start's zone (tzdata's), or UTC
    start = e['DTSTART'].dt
    tzid = e['DTSTART'].params.get('TZID')
    zone = zoneinfo.ZoneInfo(tzid) if tzid else utc
    wall = start.astimezone(zone).replace(tzinfo=None)
    rule = e['RRULE'].to_ical().decode()
    want |= {o.replace(tzinfo=zone).astimezone(utc)
             for o in rrulestr(rule, dtstart=wall)}
got = {e['DTSTART'].dt.astimezone(utc) for e in
       recurring_ical_events.of(cal).between(dt.date(2027, 1, 1),
                                             dt.date(2028, 1, 1))}
for t in sorted(want ^ got):
    print('only', 'RFC 5545' if t in want else 'recurring-ical-events', t)
sys.exit(0 if want == got and len(want) == 8 else 1)
EOF
	then
		pass "utc-series: recurring-ical-events gives RFC 5545's instants (X-WR-TIMEZONE)"
	else
		fail "utc-series: recurring-ical-events gives RFC 5545's instants (X-WR-TIMEZONE)"
		diag_file "$tmp/utc-series/compare.out"
	fi
fi

if build sample "$top_srcdir/feeds/events"; then
	pub=$tmp/sample/public
	if [ -f "$pub/calendar.ics" ]; then
		check_ics "$pub/calendar.ics"
	else
		fail "sample: public/calendar.ics exists"
	fi
	cal=$tmp/$(printf '%s' "sample/public/calendar.ics" | tr '/' '_').js.jsonl
	check_feeds "$pub" "$site" "$cal"
	no_scripts "$pub"
fi

# A site whose path holds sub-delims: the feeds' tag: ids keep them as
# they are, since the W3C validator decodes an encoded one and warns
# (NonCanonicalURI), and so do the feeds of its categories.
site_was=$site
site="https://events.example.org/o'reilly-club/c++/"
if build subdelims "$top_srcdir/feeds/events"; then
	pub=$tmp/subdelims/public
	check_feeds "$pub" "$site" ""
	for d in "$pub"/category/*/; do
		check_feeds "${d%/}" "$site${d#"$pub"/}" ""
	done
	if grep -q "<id>tag:events.example.org,2018:o'reilly-club/c++/atom.xml<" \
		"$pub/atom.xml"; then
		pass "subdelims: the feed's id keeps ' and + as they are"
	else
		fail "subdelims: the feed's id keeps ' and + as they are"
		diag_file "$pub/atom.xml"
	fi
fi
site=$site_was

finish
