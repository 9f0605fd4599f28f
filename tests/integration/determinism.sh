#!/bin/sh
# determinism.sh: the same events and state give the same bytes, whatever
# the time zone of the machine; an edit bumps the SEQUENCE and LAST-MODIFIED
# of the edited event only and leaves every feed id (RSS guid) alone.
#
# Builds the hard cases of tests/data/hard-events (time zone changes, UTC
# and offset times, recurrence, escaping, long multi-byte titles, unsafe
# HTML) so that every code path that could depend on the environment runs.

. "$(dirname "$0")/lib.sh"

py=${PYTHON3:-}
[ -n "$py" ] || py=/usr/bin/python3
command -v "$py" >/dev/null 2>&1 || skip_all "python3 is needed to read the calendar"

t=$(mktmp)
cp -R "$top_srcdir/tests/data/hard-events" "$t/events"
mkdir "$t/a" "$t/b" "$t/c"
write_config "$t/a" "$t/events"

# build TZ DIR: builds with DIR/evfeed.conf under the time zone TZ.
build()
{
	TZ=$1 with_timeout 300 "$EVFEED" build --config "$2/evfeed.conf" \
	    >"$2/build.out" 2>"$2/build.err"
	status=$?
	if [ "$status" -ne 0 ]; then
		diag "evfeed build under TZ=$1 exited with status $status"
		diag_file "$2/build.err"
	fi
	return "$status"
}

# same_tree DESC SUMS DIR: DIR holds exactly the files and bytes of SUMS.
same_tree()
{
	tree_sums "$3" >"$3.sums" 2>/dev/null
	if [ -s "$2" ] && cmp -s "$2" "$3.sums"; then
		pass "$1"
	else
		fail "$1"
		diff "$2" "$3.sums" | sed -n '1,40s/^/# /p'
	fi
}

# copy_state FROM TO: the SQLite state file and its write-ahead log, if any.
copy_state()
{
	for suffix in "" -wal; do
		if [ -f "$1$suffix" ]; then
			cp "$1$suffix" "$2$suffix"
		fi
	done
}

build UTC "$t/a"
ok $? "first build succeeds"
for f in calendar.ics rss.xml atom.xml; do
	test -s "$t/a/public/$f"
	ok $? "first build writes $f"
done
tree_sums "$t/a/public" >"$t/first.sums" 2>/dev/null

build UTC "$t/a"
ok $? "second build succeeds"
same_tree "second build with the same state is byte-identical" \
    "$t/first.sums" "$t/a/public"

# right/...: a zone with leap seconds, which glibc's gmtime() counts
for run in b:America/New_York c:Asia/Kolkata d:right/Europe/Ljubljana \
	e:right/UTC; do
	d=$t/${run%%:*}
	zone=${run#*:}
	mkdir -p "$d"
	copy_state "$t/a/state.db" "$d/state.db"
	write_config "$d" "$t/events"
	build "$zone" "$d"
	ok $? "build under TZ=$zone succeeds"
	same_tree "build under TZ=$zone is byte-identical to the one under UTC" \
	    "$t/first.sums" "$d/public"
done

# The zone files themselves from a folder with leap seconds (TZDIR at
# tzdata's right/ copies): every change of the clocks 27 s off its rule, a
# series was refused and a single event published in UTC, without a word.
# The build says why it cannot; TZDIR at the plain zones changes nothing.
if [ -f /usr/share/zoneinfo/right/Europe/London ]; then
	d=$t/tzdir-right
	mkdir -p "$d"
	copy_state "$t/a/state.db" "$d/state.db"
	write_config "$d" "$t/events"
	TZDIR=/usr/share/zoneinfo/right with_timeout 300 "$EVFEED" build \
	    --config "$d/evfeed.conf" >"$d/build.out" 2>"$d/build.err"
	st=$?
	test $st -eq 1 && grep -q "^evfeed: error: the zone files of TZDIR count leap seconds (tzdata's right/ zones), which calendars do not" "$d/build.err" &&
		test ! -e "$d/public/calendar.ics"
	ok $? "TZDIR with leap seconds: the build says so and writes nothing (status $st)"
	diag_file "$d/build.err"
	# and import, which took every zone for unknown and its times for
	# UTC, hours off
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:z@t\r\nDTSTAMP:20300101T000000Z\r\nDTSTART;TZID=Europe/Ljubljana:20300601T100000\r\nSUMMARY:Zoned\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$d/zoned.ics"
	(cd "$d" && TZDIR=/usr/share/zoneinfo/right "$EVFEED" import -n zoned.ics \
	    >import.out 2>import.err)
	st=$?
	test $st -eq 1 && test ! -s "$d/import.out" &&
		grep -q "^evfeed: error: the zone files of TZDIR count leap seconds" "$d/import.err"
	ok $? "TZDIR with leap seconds: import says so and writes nothing (status $st)"
	diag_file "$d/import.err"
else
	skip "TZDIR with leap seconds" "no right/ zones here"
fi
d=$t/tzdir-plain
mkdir -p "$d"
copy_state "$t/a/state.db" "$d/state.db"
write_config "$d" "$t/events"
TZDIR=/usr/share/zoneinfo build UTC "$d"
ok $? "build with TZDIR at the plain zones succeeds"
same_tree "build with TZDIR at the plain zones is byte-identical" \
    "$t/first.sums" "$d/public"
# an empty TZDIR is none (GLib read zones from the folder it ran in)
d=$t/tzdir-empty
mkdir -p "$d"
copy_state "$t/a/state.db" "$d/state.db"
write_config "$d" "$t/events"
(cd / && TZDIR= with_timeout 300 "$EVFEED" build --config "$d/evfeed.conf" \
    >"$d/build.out" 2>"$d/build.err")
ok $? "build with an empty TZDIR, run from /, succeeds"
diag_file "$d/build.err"
same_tree "build with an empty TZDIR is byte-identical" \
    "$t/first.sums" "$d/public"

# The same when the machine's own zone, /etc/localtime, has leap seconds,
# and in evfeed's iCalendar reader too, a process of its own: `evfeed
# import` of a calendar with a VTIMEZONE of its own, whose rules are known
# as a zone's only when read without leap seconds. In a mount namespace,
# with the zone bound over /etc/localtime (and so over the file it names,
# such as Etc/UTC, in that namespace alone).
leap=/usr/share/zoneinfo/right/Europe/Ljubljana
cat >"$t/custom-zone.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//evfeed tests//leap seconds//EN
BEGIN:VTIMEZONE
TZID:Custom Berlin Zone
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:weekly@partner.example
DTSTAMP:20190101T000000Z
DTSTART;TZID=Custom Berlin Zone:20270315T090000
DTEND;TZID=Custom Berlin Zone:20270315T100000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Weekly across the clock change
END:VEVENT
END:VCALENDAR
EOF
# in_leap_ns CMD...: CMD with the leap-second zone as /etc/localtime
in_leap_ns()
{
	$ns sh -c 'mount --bind "$0" /etc/localtime && exec "$@"' "$leap" "$@"
}
ns=
if [ -f "$leap" ] && [ -e /etc/localtime ]; then
	for u in "unshare -m" "unshare -rm"; do
		if $u sh -c 'mount --bind "$0" /etc/localtime' "$leap" \
		    2>/dev/null; then
			ns=$u
			break
		fi
	done
fi
if [ -z "$ns" ]; then
	skip "import and build with leap seconds in /etc/localtime" \
	    "no mount namespace here (needs root or user namespaces), or no right/ zones"
else
	for run in plain leap; do
		mkdir -p "$t/$run/events"
		write_config "$t/$run" "$t/$run/events"
	done
	env -u TZ "$EVFEED" import --config "$t/plain/evfeed.conf" \
	    "$t/custom-zone.ics" >"$t/plain/import.out" 2>&1
	ok $? "import of a calendar with its own VTIMEZONE succeeds"
	grep -q '^timezone: Europe/Berlin$' "$t/plain/events/"*.md
	ok $? "its VTIMEZONE is known as Europe/Berlin"
	in_leap_ns env -u TZ "$EVFEED" import --config "$t/leap/evfeed.conf" \
	    "$t/custom-zone.ics" >"$t/leap/import.out" 2>&1
	ok $? "import with leap seconds in /etc/localtime succeeds"
	diag_file "$t/leap/import.out"
	diff -r "$t/plain/events" "$t/leap/events" >"$t/leap/events.diff" 2>&1
	ok $? "import with leap seconds in /etc/localtime writes the same file"
	sed -n '1,20s/^/# /p' "$t/leap/events.diff"

	mkdir "$t/leap-build"
	copy_state "$t/a/state.db" "$t/leap-build/state.db"
	write_config "$t/leap-build" "$t/events"
	in_leap_ns env -u TZ "$EVFEED" build \
	    --config "$t/leap-build/evfeed.conf" >"$t/leap-build/build.out" \
	    2>"$t/leap-build/build.err"
	ok $? "build with leap seconds in /etc/localtime succeeds"
	same_tree "build with leap seconds in /etc/localtime is byte-identical" \
	    "$t/first.sums" "$t/leap-build/public"
fi

# Locales whose case rules (Turkish dotless i), decimal comma (German) or
# digits and direction (Arabic) would show in the output if any code
# followed them: tools/install-deps generates them.
mkdir "$t/l"
for loc in tr_TR.UTF-8 de_DE.UTF-8 ar_EG.UTF-8; do
	want=$(printf '%s' "$loc" | tr 'A-Z' 'a-z' | sed 's/utf-8$/utf8/')
	if ! locale -a 2>/dev/null | tr 'A-Z' 'a-z' | grep -qx "$want"; then
		skip "build under LC_ALL=$loc" \
		    "the locale is not installed (tools/install-deps makes it)"
		continue
	fi
	rm -rf "$t/l/public" "$t/l/state.db" "$t/l/state.db-wal"
	copy_state "$t/a/state.db" "$t/l/state.db"
	write_config "$t/l" "$t/events"
	LC_ALL=$loc TZ=UTC with_timeout 300 "$EVFEED" build \
	    --config "$t/l/evfeed.conf" >"$t/l/build.out" 2>"$t/l/build.err"
	ok $? "build under LC_ALL=$loc succeeds"
	same_tree "build under LC_ALL=$loc is byte-identical to the first" \
	    "$t/first.sums" "$t/l/public"
done

# A rule in lower case (RFC 5545 §3.1: names and values in any case) under
# a Turkish locale, whose strcasecmp(), which libical compares names with,
# takes "I" for no capital "i": "freq=daily" was an invalid rule there.
mkdir -p "$t/lower/events"
cat >"$t/lower/events/every-other-day.md" <<'EOF'
---
title: Every other day
start: 2018-03-01T10:00
end: 2018-03-01T11:00
timezone: Europe/Ljubljana
recurrence: freq=daily;interval=2;until=20180309t230000z
---
Five mornings.
EOF
write_config "$t/lower" "$t/lower/events"
if locale -a 2>/dev/null | tr 'A-Z' 'a-z' | grep -qx tr_tr.utf8; then
	LC_ALL=tr_TR.UTF-8 TZ=UTC with_timeout 60 "$EVFEED" build \
	    --config "$t/lower/evfeed.conf" >"$t/lower/build.out" \
	    2>"$t/lower/build.err"
	ok $? "a rule in lower case is read under LC_ALL=tr_TR.UTF-8"
	diag_file "$t/lower/build.err"
	grep -q '^RRULE:FREQ=DAILY;UNTIL=20180309T230000Z;INTERVAL=2' \
	    "$t/lower/public/calendar.ics"
	ok $? "... and published in upper case"
else
	skip "a rule in lower case under LC_ALL=tr_TR.UTF-8" \
	    "the locale is not installed (tools/install-deps makes it)"
fi

# The edit, at once: the calendars show LAST-MODIFIED in whole seconds, and
# an edit made within the second of the last build must still move it.
cp "$t/a/public/calendar.ics" "$t/before.ics"
cp "$t/a/public/rss.xml" "$t/before-rss.xml"
ev=$t/events/tokyo-timed-no-dst.md
sed 's/^title: Tokyo Regional Dialogue on Maritime Security$/title: Tokyo Regional Dialogue on Maritime and Port Security/' \
    "$ev" >"$ev.new" && mv "$ev.new" "$ev"
grep -q '^title: Tokyo Regional Dialogue on Maritime and Port Security$' "$ev"
ok $? "the title of one event is edited"

build UTC "$t/a"
ok $? "build after the edit succeeds"

"$py" - "$t/before.ics" "$t/a/public/calendar.ics" \
    "$t/before-rss.xml" "$t/a/public/rss.xml" >"$t/compare" 2>"$t/compare.err" <<'EOF'
import re
import sys
import xml.etree.ElementTree as ET

OLD = "Maritime Security"
NEW = "Maritime and Port Security"


def report(good, desc, detail=None):
    print("%s\t%s" % ("ok" if good else "not ok", desc))
    if not good and detail:
        print("diag\t%s" % detail)


def split_prop(line):
    """NAME and value of an unfolded content line; ':' in quotes is data."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:i].split(";", 1)[0].upper(), line[i + 1:]
    return None, None


def unescape(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def vevents(path):
    """{(UID, RECURRENCE-ID): {property: value}} of the VEVENTs of a file."""
    data = open(path, "rb").read().decode("utf-8")
    data = data.replace("\r\n ", "").replace("\r\n\t", "")
    events, stack, cur = {}, [], None
    for line in data.split("\r\n"):
        name, value = split_prop(line)
        if name == "BEGIN":
            stack.append(value.upper())
            if stack[-1] == "VEVENT":
                cur = {}
        elif name == "END":
            if stack and stack[-1] == "VEVENT" and cur is not None:
                key = (cur.get("UID", ""), cur.get("RECURRENCE-ID", ""))
                events[key] = cur
                cur = None
            if stack:
                stack.pop()
        elif cur is not None and stack and stack[-1] == "VEVENT":
            cur.setdefault(name, value)
    return events


def seq(ev):
    return int(ev.get("SEQUENCE", "0"))


def guids(path):
    root = ET.parse(path).getroot()
    return [g.text for g in root.iter("guid")]


before = vevents(sys.argv[1])
after = vevents(sys.argv[2])
uids = {uid for uid, _ in before}
report(len(uids) >= 14, "the calendar holds every dated event (%d UIDs)" % len(uids))
report(set(before) == set(after), "the edit keeps the set of UIDs",
       "before only: %s; after only: %s" % (sorted(set(before) - set(after)),
                                            sorted(set(after) - set(before))))

edited = [k for k, ev in after.items() if NEW in unescape(ev.get("SUMMARY", ""))]
report(len(edited) >= 1, "the edited title is in the calendar")
for key in edited:
    old, new = before.get(key), after[key]
    report(old is not None and OLD in unescape(old.get("SUMMARY", ""))
           and NEW not in unescape(old.get("SUMMARY", "")),
           "the edited event keeps its UID %s" % key[0])
    if old is None:
        continue
    report(seq(new) == seq(old) + 1,
           "its SEQUENCE goes up by one (%d -> %d)" % (seq(old), seq(new)))
    lm_old, lm_new = old.get("LAST-MODIFIED", ""), new.get("LAST-MODIFIED", "")
    utc = re.compile(r"^\d{8}T\d{6}Z$")
    report(bool(utc.match(lm_old)) and bool(utc.match(lm_new)) and lm_new > lm_old,
           "its LAST-MODIFIED is later (%s -> %s)" % (lm_old, lm_new))

others = [k for k in before if k in after and k not in edited]
moved = ["%s: %d -> %d" % (k[0], seq(before[k]), seq(after[k]))
         for k in others if seq(before[k]) != seq(after[k])]
report(others and not moved, "every other SEQUENCE is unchanged", "; ".join(moved))
touched = ["%s: %s -> %s" % (k[0], before[k].get("LAST-MODIFIED"),
                             after[k].get("LAST-MODIFIED"))
           for k in others
           if before[k].get("LAST-MODIFIED") != after[k].get("LAST-MODIFIED")]
report(others and not touched, "every other LAST-MODIFIED is unchanged",
       "; ".join(touched))

g_before, g_after = guids(sys.argv[3]), guids(sys.argv[4])
report(len(g_before) > 0 and len(set(g_before)) == len(g_before),
       "rss.xml has %d distinct guids" % len(g_before))
report(set(g_before) == set(g_after), "the edit keeps the set of RSS guids",
       "before only: %s; after only: %s" % (sorted(set(g_before) - set(g_after)),
                                            sorted(set(g_after) - set(g_before))))
EOF
ok $? "the calendar and the feed before and after the edit can be read"
diag_file "$t/compare.err"
while IFS=$(printf '\t') read -r verdict text; do
	case $verdict in
	ok) pass "$text" ;;
	diag) diag "$text" ;;
	*) fail "$text" ;;
	esac
done <"$t/compare"

done_testing
