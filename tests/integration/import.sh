#!/bin/sh
# import.sh: `evfeed import` migrates a calendar into event files. An
# Outlook export and evfeed's own calendar.ics (of the sample and the hard
# events) round-trip: imported into an empty folder and built again, every
# event has the same UID, SUMMARY, DTSTART and DTEND instants and LOCATION
# (and RRULE) as python-icalendar reads them, and a series across a change
# of the clocks keeps its DURATION and its first occurrence's override.
# Also: `evfeed check` passes after an import, nothing is ever overwritten
# (neither a file nor a uid), what cannot be carried over is reported as
# FILE:LINE: warning lines, --dry-run writes nothing, and a calendar is
# fetched from a URL.
. "$top_srcdir/tests/integration/lib.sh"

PYTHON3=${PYTHON3:-/usr/bin/python3}
if ! "$PYTHON3" -c 'import icalendar' >/dev/null 2>&1; then
	skip_all "python3-icalendar is not installed"
fi
ics=$top_srcdir/tests/data/import/ics
outlook=$ics/outlook-export.ics
uncarried=$top_srcdir/tests/data/import/migrate/uncarried.ics

# compare ORIGINAL REBUILT: every public VEVENT of ORIGINAL is in REBUILT
# with the same UID, SUMMARY, LOCATION, RRULE and start and end instants
# (an Outlook all-day event written as midnight to midnight compares by
# its dates); REBUILT has no other event. Prints what differs.
compare()
{
	"$PYTHON3" - "$1" "$2" <<'EOF'
import datetime, sys
import icalendar

def events(path):
    cal = icalendar.Calendar.from_ical(open(path, 'rb').read())
    out = {}
    for ev in cal.walk('VEVENT'):
        if str(ev.get('CLASS', 'PUBLIC')).upper() in ('PRIVATE', 'CONFIDENTIAL'):
            continue
        out[str(ev['UID'])] = ev
    return out

def when(ev, key, allday):
    if key not in ev:
        return None
    v = ev.decoded(key)
    if allday and isinstance(v, datetime.datetime):
        return v.date()
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            raise SystemExit('%s: floating %s' % (ev['UID'], key))
        return v.astimezone(datetime.timezone.utc)
    return v

def text(ev, key):
    v = ev.get(key)
    return None if v is None else str(v)

def summary(ev):
    s = text(ev, 'SUMMARY')
    # evfeed's own calendar writes "Cancelled: " before the title of a
    # cancelled event; it must be there as often on both sides.
    return s

a, b = events(sys.argv[1]), events(sys.argv[2])
bad = 0
if sorted(a) != sorted(b):
    print('uids differ: only in the original: %s; only in the rebuilt: %s'
          % (sorted(set(a) - set(b)), sorted(set(b) - set(a))))
    bad += 1
for uid in sorted(set(a) & set(b)):
    x, y = a[uid], b[uid]
    allday = not isinstance(y.decoded('DTSTART'), datetime.datetime)
    for what, f in (('SUMMARY', summary),
                    ('LOCATION', lambda e: text(e, 'LOCATION')),
                    ('RRULE', lambda e: e.get('RRULE')),
                    ('DTSTART', lambda e: when(e, 'DTSTART', allday)),
                    ('DTEND', lambda e: when(e, 'DTEND', allday))):
        if f(x) != f(y):
            print('%s: %s: %r != %r' % (uid, what, f(x), f(y)))
            bad += 1
print('%d events compared' % len(set(a) & set(b)))
sys.exit(1 if bad or not a else 0)
EOF
}

# ------------------------------------------------------------ Outlook
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
conf=$tmp/evfeed.conf
(cd "$tmp" && "$EVFEED" --config "$conf" import "$outlook") \
	>"$tmp/out" 2>"$tmp/err"
ok $? "Outlook export: import exits 0"
test "$(wc -l <"$tmp/out")" -eq 4 && test "$(ls "$tmp/events" | wc -l)" -eq 4
ok $? "Outlook export: four event files written and printed"
grep -q '^events/2018-05-22-counter-terrorism-challenges-in-south-eastern-europe\.md$' "$tmp/out"
ok $? "Outlook export: files named as evfeed new names them"
grep -q "outlook-export\.ics:134: warning: '.*' (\"Dentist\"): a private event is not imported" "$tmp/err"
ok $? "Outlook export: the private event is reported, with its line"
# A class not known (X-SECRET) is private too (RFC 5545 §3.8.1.3): left
# out with the same warning, the import's status 0.
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//x//EN BEGIN:VEVENT \
	UID:secret@x.example DTSTAMP:20270101T000000Z \
	DTSTART:20270601T090000Z CLASS:X-SECRET SUMMARY:Hidden END:VEVENT \
	BEGIN:VEVENT UID:open@x.example DTSTAMP:20270101T000000Z \
	DTSTART:20270602T090000Z CLASS:PUBLIC SUMMARY:Open END:VEVENT \
	END:VCALENDAR >"$tmp/classes.ics"
mkdir "$tmp/classes" && write_config "$tmp/classes" "$tmp/classes/events" &&
	"$EVFEED" --config "$tmp/classes/evfeed.conf" import "$tmp/classes.ics" \
		>"$tmp/classes.out" 2>"$tmp/classes.err" &&
	test "$(ls "$tmp/classes/events")" = 2027-06-02-open.md &&
	grep -q "a private event is not imported" "$tmp/classes.err"
ok $? "a class not known (X-SECRET) is private: not imported, status 0" ||
	diag_file "$tmp/classes.err"
grep -q "outlook-export\.ics:58: warning: '.*' (\"Inter-Regional Meeting on Countering Illicit Financial Flows\"): PRIORITY is not carried over" "$tmp/err"
ok $? "Outlook export: PRIORITY reported at its line"
grep -q '040000008200E00074C5B7101A82E00800000000F1E2D3C4B5A6D301000000000000000010000000B3C4D5E6F708192A3B4C5D6E7F809102' \
	"$tmp/events/2018-05-22-counter-terrorism-challenges-in-south-eastern-europe.md"
ok $? "Outlook export: the UID is kept"
check "Outlook export: evfeed check passes" "$EVFEED" --config "$conf" check
check "Outlook export: evfeed build passes" "$EVFEED" --config "$conf" build
check "Outlook export: summary, times, location and UID round-trip" \
	compare "$outlook" "$tmp/public/calendar.ics"

# Again into the same folder: every uid is there already.
tree_sums "$tmp/events" >"$tmp/sums"
(cd "$tmp" && "$EVFEED" --config "$conf" import "$outlook") \
	>"$tmp/out" 2>"$tmp/err"
test $? -eq 1
ok $? "import again: exit 1"
test "$(grep -c 'the events folder has this uid already' "$tmp/err")" -eq 4
ok $? "import again: each of the four is refused"
tree_sums "$tmp/events" | cmp -s - "$tmp/sums"
ok $? "import again: nothing changed"

# A different event already has the file name one of them would take.
tmp=$(mktmp)
mkdir "$tmp/events"
write_config "$tmp" "$tmp/events"
conf=$tmp/evfeed.conf
taken=$tmp/events/2018-09-25-criminal-justice-and-security-conference.md
printf -- '---\ntitle: Someone else'"'"'s event\nstart: 2018-01-01\nuid: mine\n---\nKeep me.\n' >"$taken"
cp "$taken" "$tmp/before"
(cd "$tmp" && "$EVFEED" --config "$conf" import "$outlook") \
	>"$tmp/out" 2>"$tmp/err"
test $? -eq 1
ok $? "existing file: exit 1"
cmp -s "$taken" "$tmp/before"
ok $? "existing file: not overwritten"
grep -q "outlook-export\.ics:107: error: '.*' (\"Criminal Justice and Security Conference\"): 'events/2018-09-25-criminal-justice-and-security-conference\.md' exists and is not overwritten" "$tmp/err"
ok $? "existing file: reported at the event's line"
test "$(ls "$tmp/events" | wc -l)" -eq 4
ok $? "existing file: the three others are imported"
check "existing file: evfeed check passes" "$EVFEED" --config "$conf" check

# A folder with errors: nothing is imported.
tmp=$(mktmp)
mkdir "$tmp/events"
write_config "$tmp" "$tmp/events"
printf -- '---\ntitle: Broken\nstart: 2018-02-30\n---\n' >"$tmp/events/broken.md"
"$EVFEED" --config "$tmp/evfeed.conf" import "$outlook" >/dev/null 2>"$tmp/err"
test $? -eq 1 && test "$(ls "$tmp/events" | wc -l)" -eq 1 &&
	grep -q 'broken.md:3:8: error' "$tmp/err"
ok $? "a folder that does not check: nothing is imported"

# 101 events of one title on one day: "-2" to "-101", each imported (from
# the 100th on, "-99" was given again and the whole import refused).
tmp=$(mktmp)
mkdir "$tmp/events"
write_config "$tmp" "$tmp/events"
{
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n'
	i=1
	while [ $i -le 101 ]; do
		printf 'BEGIN:VEVENT\r\nUID:same-%d@t\r\nDTSTAMP:20260101T000000Z\r\n' $i
		printf 'DTSTART;VALUE=DATE:20260610\r\nSUMMARY:Open day\r\nEND:VEVENT\r\n'
		i=$((i + 1))
	done
	printf 'END:VCALENDAR\r\n'
} >"$tmp/same.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/same.ics" >"$tmp/out" 2>"$tmp/err"
test $? -eq 0 && test "$(ls "$tmp/events" | wc -l)" -eq 101 &&
	test -f "$tmp/events/2026-06-10-open-day-101.md" &&
	"$EVFEED" --config "$tmp/evfeed.conf" check >/dev/null 2>&1
ok $? "101 events of one title and day: all imported, -2 to -101, and they check" ||
	diag_file "$tmp/err"

# Addresses that clash with the folder's files: another file name with the
# same address (events/<slug>.ics) is refused as an existing file is; a
# category with the address of one the folder has takes its spelling, and
# one the event has already under another spelling is left out. The folder
# passes check after, and --dry-run says the same as the import.
tmp=$(mktmp)
mkdir "$tmp/events"
write_config "$tmp" "$tmp/events"
printf -- '---\ntitle: Seminar\nstart: 2026-06-02\n---\n' >"$tmp/events/2026-06-02 Seminar.md"
printf -- '---\ntitle: Old\nstart: 2026-06-01\ncategories: [police-reform]\n---\n' >"$tmp/events/2026-06-01-old.md"
(cd "$tmp" && "$EVFEED" --config "$tmp/evfeed.conf" import --dry-run "$ics/clash.ics") \
	>"$tmp/dry.out" 2>"$tmp/dry.err"
dry=$?
(cd "$tmp" && "$EVFEED" --config "$tmp/evfeed.conf" import "$ics/clash.ics") \
	>"$tmp/out" 2>"$tmp/err"
test $? -eq 1 && test $dry -eq 1 &&
	grep -q "clash\.ics:11: error: 'seminar@t' (\"Seminar\"): 'events/2026-06-02-seminar.md' would have the same address (events/2026-06-02-seminar.ics) as 'events/2026-06-02 Seminar.md': not imported" "$tmp/err"
ok $? "same address as another file: refused, exit 1"
grep -qx 'categories: \[police-reform, Foo\]' "$tmp/events/2026-06-03-talk.md" &&
	grep -q "category 'Police Reform' is written 'police-reform'" "$tmp/err" &&
	grep -q "category 'foo!' is left out" "$tmp/err"
ok $? "categories take the address's existing spelling, once each"
check "addresses: evfeed check passes after the import" \
	"$EVFEED" --config "$tmp/evfeed.conf" check
grep -v '^evfeed: ' "$tmp/err" >"$tmp/err.body" &&
	grep -v '^evfeed: ' "$tmp/dry.err" | cmp -s - "$tmp/err.body" &&
	sed 's/^would write //' "$tmp/dry.out" | cmp -s - "$tmp/out"
ok $? "addresses: --dry-run reports what the import does"

# A CREATED that published would refuse (in the future, before 1990) is
# left out with a warning at its line; the event is imported.
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
(cd "$tmp" && "$EVFEED" --config "$tmp/evfeed.conf" import "$ics/created.ics") \
	>"$tmp/out" 2>"$tmp/err"
test $? -eq 0 && [ "$(ls "$tmp/events" | wc -l)" = 2 ] &&
	! grep -q '^published:' "$tmp/events/"*.md &&
	grep -q "created\.ics:8: warning: 'future@t' (\"Future\"): CREATED is not carried over (in the future)" "$tmp/err" &&
	grep -q "created\.ics:15: warning: 'eighties@t' (\"Eighties\"): CREATED is not carried over (before 1990)" "$tmp/err"
ok $? "CREATED in the future or before 1990: imported without published, with a warning"

# A single occurrence one is invited to, as Google exports it: a changed
# occurrence without its series is an event of its own, with a note.
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
(cd "$tmp" && "$EVFEED" --config "$tmp/evfeed.conf" import "$ics/invited-occurrence.ics") \
	>"$tmp/out" 2>"$tmp/err"
test $? -eq 0 &&
	grep -qx 'uid: 7kq2series@google.com/20260609T080000Z' "$tmp/events/2026-06-10-weekly-board-moved.md" &&
	grep -qx 'start: 2026-06-10T08:00:00Z' "$tmp/events/2026-06-10-weekly-board-moved.md" &&
	grep -q "invited-occurrence\.ics:4: warning: '7kq2series@google.com' (\"Weekly board (moved)\"): a changed occurrence (RECURRENCE-ID) whose series is not in the calendar is imported as an event of its own" "$tmp/err" &&
	grep -q "invited-occurrence\.ics:10: warning: '7kq2series@google.com' (\"Weekly board (moved)\"): ATTENDEE is not carried over" "$tmp/err" &&
	grep -q 'imported 1 event$' "$tmp/err"
ok $? "a changed occurrence without its series: imported as an event of its own"

# ------------------------------------------------------ evfeed's own
# The sample and the hard events, built; their calendar imported into an
# empty folder and built again.
tmp=$(mktmp)
mkdir "$tmp/a" "$tmp/a/events" "$tmp/b"
cp "$top_srcdir"/feeds/events/*.md "$top_srcdir"/tests/data/hard-events/*.md \
	"$tmp/a/events/"
# an event in a zone whose rules Outlook cannot read: published in UTC
cat >"$tmp/a/events/santiago-concert.md" <<'EOF'
---
title: Santiago concert
start: 2027-06-12T20:00
end: 2027-06-12T23:00
timezone: America/Santiago
---
EOF
write_config "$tmp/a" "$tmp/a/events"
write_config "$tmp/b" "$tmp/b/events"
check "own calendar: the original builds" \
	"$EVFEED" --config "$tmp/a/evfeed.conf" build
"$EVFEED" --config "$tmp/b/evfeed.conf" import "$tmp/a/public/calendar.ics" \
	>"$tmp/out" 2>"$tmp/err"
ok $? "own calendar: import exits 0"
test "$(ls "$tmp/b/events" | wc -l)" -eq "$(grep -c '^BEGIN:VEVENT' "$tmp/a/public/calendar.ics")"
ok $? "own calendar: one file per event"
check "own calendar: evfeed check passes" \
	"$EVFEED" --config "$tmp/b/evfeed.conf" check
check "own calendar: the import builds" \
	"$EVFEED" --config "$tmp/b/evfeed.conf" build
check "own calendar: summary, times, location, RRULE and UID round-trip" \
	compare "$tmp/a/public/calendar.ics" "$tmp/b/public/calendar.ics"
grep -q '^status: cancelled$' "$tmp/b/events/2018-05-03-briefing-on-regional-police-cooperation.md" &&
	grep -q '^title: Briefing on Regional Police Cooperation$' "$tmp/b/events/2018-05-03-briefing-on-regional-police-cooperation.md"
ok $? "own calendar: a cancelled event keeps its title without 'Cancelled: '"
grep -q '^recurrence: FREQ=WEEKLY;COUNT=4$' "$tmp/b/events/2018-10-09-weekly-seminar-on-countering-violent-extremism.md"
ok $? "own calendar: a recurring event stays one file with its rule"
grep -q '^organizer_email: events@example.org$' "$tmp/b/events/2018-10-16-conference-on-security-sector-reform-with-every-optional-key.md"
ok $? "own calendar: the organiser's address is kept"
grep -q '^image: https://events.example.org/images/ssr-conference.png$' "$tmp/b/events/2018-10-16-conference-on-security-sector-reform-with-every-optional-key.md" &&
	! grep -q 'IMAGE is not carried over' "$tmp/err"
ok $? "own calendar: the image is kept"
! grep -q '<script' "$tmp/b/events/"*.md
ok $? "own calendar: no raw HTML in the bodies"
# Times the calendar gives in UTC come back as they were written (its
# X-EVFEED-ZONE), not in its X-WR-TIMEZONE: the zone, the offset, UTC.
grep -q '^start: 2027-06-12T20:00:00$' "$tmp/b/events/2027-06-12-santiago-concert.md" &&
	grep -q '^timezone: America/Santiago$' "$tmp/b/events/2027-06-12-santiago-concert.md" &&
	grep -q '^start: 2018-06-12T14:00:00+02:00$' "$tmp/b/events/2018-06-12-expert-meeting-on-firearms-trafficking-times-with-a-02-00.md" &&
	grep -q '^start: 2018-11-05T08:00:00Z$' "$tmp/b/events/2018-11-05-online-briefing-on-border-management-times-in-utc.md" &&
	! grep -q 'X-EVFEED-ZONE' "$tmp/err"
ok $? "own calendar: times published in UTC keep the zone or offset they were written in" ||
	diag_file "$tmp/err"
# A second generation is the same as the first: the round trip is stable.
mkdir "$tmp/c"
write_config "$tmp/c" "$tmp/c/events"
"$EVFEED" --config "$tmp/c/evfeed.conf" import "$tmp/b/public/calendar.ics" >/dev/null 2>&1
(cd "$tmp/b/events" && for f in *.md; do grep -v '^published: ' "$f"; done) >"$tmp/gen1"
(cd "$tmp/c/events" && for f in *.md; do grep -v '^published: ' "$f"; done) >"$tmp/gen2"
cmp -s "$tmp/gen1" "$tmp/gen2"
ok $? "own calendar: importing the import's calendar gives the same files"

# ----------------------------------- series across a change of the clocks
# evfeed writes a series whose first occurrence spans a change of the
# clocks with DURATION, and overrides the first occurrence where the
# change falls within the DURATION's hours (St. John's night: PT2H and an
# override to 02:30). Imported and built again, the calendar says the same:
# the same DTSTART, DURATION, DTEND, RRULE and RECURRENCE-ID lines, not
# PT1H for the night (the first occurrence's end by PT2H alone); the
# override is not reported as left out, since the event file holds it.
tmp=$(mktmp)
mkdir "$tmp/a" "$tmp/a/events" "$tmp/b"
cp "$top_srcdir"/tests/data/clock-change-series/*.md "$tmp/a/events/"
write_config "$tmp/a" "$tmp/a/events"
write_config "$tmp/b" "$tmp/b/events"
# times_of CALENDAR: the lines that say when each VEVENT is
times_of()
{
	grep -E '^(BEGIN:VEVENT|DTSTART|DTEND|DURATION|RRULE|RECURRENCE-ID)' "$1"
}
check "clock changes: the original builds" \
	"$EVFEED" --config "$tmp/a/evfeed.conf" build
grep -q '^DURATION:PT2H' "$tmp/a/public/calendar.ics" &&
	grep -q '^DURATION:P2DT8H' "$tmp/a/public/calendar.ics" &&
	grep -q '^RECURRENCE-ID;TZID=America/St_Johns:20261101T003000' \
		"$tmp/a/public/calendar.ics"
ok $? "clock changes: the original has the DURATIONs and the override"
"$EVFEED" --config "$tmp/b/evfeed.conf" import "$tmp/a/public/calendar.ics" \
	>"$tmp/out" 2>"$tmp/err"
ok $? "clock changes: import exits 0"
! grep -q 'not carried over' "$tmp/err"
ok $? "clock changes: the override of the first night is carried over"
diag_file "$tmp/err"
# An end in the hour that happens twice is written with its offset: the
# event file reads back without a warning.
! grep -q 'occurs twice' "$tmp/err" &&
	grep -q '^end: 2026-10-25T02:30:00+02:00$' "$tmp"/b/events/*night-duty*.md
ok $? "clock changes: an end in the hour that happens twice is written with its offset"
grep -qx 'end: 2026-11-01T02:30:00' "$tmp/b/events/"*st-john-s.md &&
	grep -qx 'end: 2026-10-25T17:00:00' "$tmp/b/events/"*summer-time.md
ok $? "clock changes: the first occurrences end where the editor wrote"
check "clock changes: the import builds" \
	"$EVFEED" --config "$tmp/b/evfeed.conf" build
times_of "$tmp/a/public/calendar.ics" >"$tmp/a.times"
times_of "$tmp/b/public/calendar.ics" >"$tmp/b.times"
check "clock changes: the calendar says when as the original did" \
	diff "$tmp/a.times" "$tmp/b.times"

# ------------------------------------------------ what is not carried
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
"$EVFEED" --config "$tmp/evfeed.conf" import "$uncarried" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1
ok $? "uncarried: an event that cannot be read makes the exit status 1"
for want in \
	"11: warning: 'series@old.example.org' (\"Weekly coordination call\"): EXDATE is not carried over" \
	"12: warning: 'series@old.example.org' (\"Weekly coordination call\"): RDATE is not carried over" \
	"15: warning: 'series@old.example.org' (\"Weekly coordination call\"): ATTENDEE is not carried over" \
	"16: warning: 'series@old.example.org' (\"Weekly coordination call\"): ATTENDEE is not carried over" \
	"17: warning: 'series@old.example.org' (\"Weekly coordination call\"): ATTACH is not carried over" \
	"18: warning: 'series@old.example.org' (\"Weekly coordination call\"): VALARM is not carried over" \
	"23: warning: 'series@old.example.org' (\"Weekly coordination call\"): X-OLD-SITE-COLOUR is not carried over" \
	"25: warning: 'series@old.example.org' (\"Weekly coordination call (moved to Tuesday)\"): a changed occurrence (RECURRENCE-ID) is not carried over: the series has that occurrence as its rule gives it (one cancelled takes place)" \
	"40: warning: 'single@old.example.org' (\"A single event\"): RESOURCES is not carried over" \
	"42: warning: a VTODO is not imported" \
	"46: error: 'broken@old.example.org' (\"No start\"): the event could not be read"; do
	grep -qF "uncarried.ics:$want" "$tmp/err"
	ok $? "uncarried: ${want#*: }"
done
test "$(grep -c 'X-OLD-SITE-COLOUR' "$tmp/err")" -eq 1
ok $? "uncarried: an X- property is reported once per calendar"
grep -q '^recurrence: FREQ=WEEKLY;COUNT=6;BYDAY=MO$' "$tmp/events/2018-06-04-weekly-coordination-call.md" &&
	grep -q '^timezone: Europe/Vienna$' "$tmp/events/2018-06-04-weekly-coordination-call.md"
ok $? "uncarried: the series keeps its rule and its zone"
check "uncarried: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# import_one NAME EVENT: imports a calendar of one VEVENT, whose
# properties are EVENT (lines without their CRLF), into a new site;
# $tmp is that site, its output and errors in $tmp/out and $tmp/err.
import_one()
{
	tmp=$(mktmp)
	write_config "$tmp" "$tmp/events"
	{
		printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n'
		printf '%s\n' "$2" | sed 's/$/\r/'
		printf 'END:VEVENT\r\nEND:VCALENDAR\r\n'
	} >"$tmp/$1.ics"
	"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/$1.ics" \
		>"$tmp/out" 2>"$tmp/err"
	ok $? "$1: exit 0"
}

# ------------------------------------------------ what publishers write
# The Events Calendar's titles with character references; Google's HTML in
# DESCRIPTION and its single events in UTC, in a calendar that names its
# zone: the event file holds the title and text as a partner's are
# published, the time in that zone, and the link stays a link.
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
printf '%s\r\n' 'BEGIN:VCALENDAR' 'VERSION:2.0' 'PRODID:-//Google Inc//Google Calendar 70.9054//EN' \
	'X-WR-TIMEZONE:Europe/Podgorica' 'BEGIN:VEVENT' 'UID:meetup@old.example.org' \
	'DTSTAMP:20261203T101500Z' 'DTSTART:20270317T170000Z' 'DTEND:20270317T190000Z' \
	'SUMMARY:Okrugli sto &#8211; Sigurnost &amp; pravo' \
	'DESCRIPTION:<b>Agenda</b>:<br>Doors open at 18:00<br><a href="https://old.example.org/a">register</a>' \
	'END:VEVENT' 'END:VCALENDAR' >"$tmp/google.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/google.ics" >"$tmp/out" 2>"$tmp/err"
ok $? "publishers: import exits 0"
f=$tmp/events/2027-03-17-okrugli-sto-sigurnost-pravo.md
test -f "$f" &&
	grep -qx "title: Okrugli sto – Sigurnost & pravo" "$f" &&
	grep -qx 'start: 2027-03-17T18:00:00' "$f" &&
	grep -qx 'timezone: Europe/Podgorica' "$f"
ok $? "publishers: the title plain, its file name without the references, the time in the calendar's zone"
! grep -q '&#\|&amp;\|<b>\|&lt;' "$f" && grep -q 'Doors open at 18:00' "$f"
ok $? "publishers: the description as text, without tags or references"
check "publishers: evfeed check passes, without a warning" sh -c \
	"'$EVFEED' --config '$tmp/evfeed.conf' check 2>&1 | grep . && exit 1; exit 0"
"$EVFEED" --config "$tmp/evfeed.conf" build >/dev/null 2>&1
grep -q '<a href="https://old.example.org/a">' "$tmp/public/index.html"
ok $? "publishers: the link is a link on the page"

# ----------------------------------------------- a non-Gregorian rule
# RSCALE (RFC 7529): an event file refuses it, since most clients would put
# the occurrences on other days; the import says so and keeps the event.
import_one rscale 'UID:rscale@old.example.org
DTSTAMP:20180101T000000Z
DTSTART;VALUE=DATE:20180522
SUMMARY:Yearly by the Hebrew calendar
RRULE:RSCALE=HEBREW;FREQ=YEARLY;COUNT=3'
grep -q "rscale.ics:9: warning: 'rscale@old.example.org' (\"Yearly by the Hebrew calendar\"): RRULE is not carried over (RSCALE=HEBREW is not supported: " "$tmp/err" &&
	test "$(grep -c RSCALE "$tmp/err")" = 1 &&
	! grep -q '^recurrence:' "$tmp/events/"*.md
ok $? "rscale: the rule is reported once, at its line, and left out"
check "rscale: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check
# RFC 7529's Gregorian calendar, without a SKIP, is RFC 5545's own rule:
# kept, without RSCALE, and nothing to warn of.
import_one gregorian 'UID:gregorian@old.example.org
DTSTAMP:20180101T000000Z
DTSTART:20270131T100000Z
DTEND:20270131T110000Z
SUMMARY:Monthly on the last day
RRULE:RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3'
! grep -q warning "$tmp/err" &&
	grep -qx 'recurrence: FREQ=MONTHLY;COUNT=3;BYMONTHDAY=-1' "$tmp/events/"*.md
ok $? "gregorian: RSCALE=GREGORIAN is carried over as RFC 5545's rule"
# A rule longer than the 64 bytes a warning quotes of other lines is read
# whole: the reason is its calendar, not a cut "COUNT=".
import_one longrscale 'UID:longrscale@old.example.org
DTSTAMP:20180101T000000Z
DTSTART:20270115T100000Z
DTEND:20270115T110000Z
SUMMARY:Lunar monthly
RRULE:RSCALE=CHINESE;FREQ=MONTHLY;BYMONTHDAY=1,15;UNTIL=20300101T000000Z'
grep -q "longrscale.ics:10: warning: .*RRULE is not carried over (RSCALE=CHINESE is not supported: " "$tmp/err" &&
	! grep -q 'invalid RRULE' "$tmp/err"
ok $? "longrscale: a long rule in another calendar is told of by its calendar" ||
	diag_file "$tmp/err"
check "gregorian: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# ------------------------------------- a series from an hour that is skipped
# 02:30 does not exist in Berlin on 2027-03-28: RFC 5545 reads the start as
# 03:30, and ical.js the later occurrences at 02:30, python-icalendar at
# 03:30; an event file says neither. The first occurrence is kept, as for a
# start that happens twice: the RRULE's line says why. An EXDATE of that
# first occurrence is told: the calendar cancelled what the file holds.
import_one gap 'UID:gap-weekly@old.example.org
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:20270328T023000
DTEND;TZID=Europe/Berlin:20270328T040000
SUMMARY:Weekly from the skipped hour
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Berlin:20270328T023000'
grep -q "gap.ics:10: warning: 'gap-weekly@old.example.org' (\"Weekly from the skipped hour\"): RRULE is not carried over (its start, 2027-03-28T02:30, does not exist in Europe/Berlin: the clocks go forward, and calendar clients disagree on the times of such a series): only the first occurrence is imported" "$tmp/err" &&
	grep -q "gap.ics:11: warning: .*: EXDATE excludes the first occurrence, the one imported: the calendar cancelled it" "$tmp/err" &&
	test "$(grep -c warning "$tmp/err")" = 2 &&
	! grep -q '^recurrence:' "$tmp/events/"*.md &&
	grep -q '^start: 2027-03-28T03:30:00$' "$tmp/events/"*.md
ok $? "gap: a series from a skipped hour is reported, its first occurrence kept"
check "gap: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# ------------------------------------- a title of 60,000 line separators
# U+2028 ends a line: each is a space in the title, at once (a regex
# replace checked the whole text at each match, and the parser was killed
# at its CPU limit).
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
"${PYTHON3:-/usr/bin/python3}" - "$tmp/seps.ics" <<'PY'
import sys
summary = "Reading" + "\u2028" * 60000 + "group"
lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN",
         "BEGIN:VEVENT", "UID:seps@old.example.org", "DTSTAMP:20260101T000000Z",
         "DTSTART:20270110T100000Z", "DTEND:20270110T110000Z",
         "SUMMARY:" + summary, "END:VEVENT", "END:VCALENDAR"]
open(sys.argv[1], "w", encoding="utf-8", newline="").write("\r\n".join(lines) + "\r\n")
PY
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/seps.ics" >"$tmp/out" 2>"$tmp/err"
ok $? "separators: exit 0" || diag_file "$tmp/err"
grep -q '^title: Reading group$' "$tmp/events/"*.md
ok $? "separators: the title's line separators are one space"

# --------------------------------------- an INTERVAL libical cannot hold
# libical keeps INTERVAL in a short: 65538 would be imported as 2, a
# series every 65538 weeks as a fortnightly one.
import_one interval 'UID:interval@old.example.org
DTSTAMP:20250101T000000Z
DTSTART:20270104T090000Z
DTEND:20270104T100000Z
SUMMARY:Once in 1256 years
RRULE:FREQ=WEEKLY;INTERVAL=65538'
grep -q "warning: 'interval@old.example.org' (\"Once in 1256 years\"): RRULE is not carried over (.*INTERVAL is too large: at most 32767): only the first occurrence is imported" "$tmp/err" &&
	! grep -q '^recurrence:' "$tmp/events/"*.md
ok $? "interval: the rule is reported, not imported as another"
check "interval: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# --------------------------------------------- an UNTIL that means for ever
# Calendar programs end a series without an end with an UNTIL in 9999,
# past the years an event file takes (vobject fails on a calendar that
# holds it): imported as a series without an end, without a warning.
import_one forever 'UID:forever@old.example.org
DTSTAMP:20250101T000000Z
DTSTART:20270104T090000Z
DTEND:20270104T100000Z
SUMMARY:Weekly for ever
RRULE:FREQ=WEEKLY;UNTIL=99991231T235959Z;BYDAY=MO'
grep -qx 'recurrence: FREQ=WEEKLY;BYDAY=MO' "$tmp/events/"*.md && ! grep -q 'warning' "$tmp/err"
ok $? "forever: imported without its UNTIL in 9999" || diag_file "$tmp/err"
check "forever: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# ------------------------------- a time in UTC in a zone GLib cannot write
# Google writes single events in UTC with the calendar's X-WR-TIMEZONE; an
# event file cannot give times in Europe/Dublin after 2037 (GLib misreads
# its rule), so such an event keeps UTC rather than being refused
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 'PRODID:-//Google Inc//Google Calendar 70.9054//EN' \
	X-WR-TIMEZONE:Europe/Dublin \
	BEGIN:VEVENT UID:dub-2040@google.com DTSTAMP:20260101T000000Z \
	DTSTART:20400115T100000Z DTEND:20400115T120000Z 'SUMMARY:Planning 2040' \
	END:VEVENT END:VCALENDAR >"$tmp/dublin.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/dublin.ics" >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 && grep -qx 'start: 2040-01-15T10:00:00Z' "$tmp/events/"*.md
ok $? "Dublin 2040: a time in UTC kept in UTC (status $st)" || diag_file "$tmp/err"
check "Dublin 2040: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check
# ... in lower case too, which libical reads in upper case only (RFC 5545
# names and values are case-insensitive), and past 2200-12-31T08:00Z
import_one forever-lower 'UID:lower@old.example.org
DTSTAMP:20250101T000000Z
DTSTART:20270104T090000Z
DTEND:20270104T100000Z
SUMMARY:Weekly in lower case
RRULE:freq=weekly;until=99991231t235959z;byday=mo'
grep -qx 'recurrence: FREQ=WEEKLY;BYDAY=MO' "$tmp/events/"*.md && ! grep -q 'warning' "$tmp/err"
ok $? "forever: a rule in lower case, imported without its UNTIL" || diag_file "$tmp/err"
import_one forever-2200 'UID:late@old.example.org
DTSTAMP:20250101T000000Z
DTSTART:20270104T090000Z
DTEND:20270104T100000Z
SUMMARY:Weekly to the last day of 2200
RRULE:FREQ=WEEKLY;UNTIL=22001231T235959Z'
grep -qx 'recurrence: FREQ=WEEKLY' "$tmp/events/"*.md && ! grep -q 'warning' "$tmp/err"
ok $? "forever: an UNTIL after 2200-12-31T08:00Z left out" || diag_file "$tmp/err"

# ------------------------------------------ a series in an irregular zone
# Gaza's clocks change on dates no yearly rule gives: its VTIMEZONE needs
# RDATE lists, which Outlook ignores, so an event file refuses a series
# there; the import keeps the first occurrence and says so.
import_one gaza 'UID:gaza-weekly@old.example.org
DTSTAMP:20250101T000000Z
DTSTART;TZID=Asia/Gaza:20250303T100000
DTEND;TZID=Asia/Gaza:20250303T110000
SUMMARY:Weekly consultation in Gaza City
RRULE:FREQ=WEEKLY;COUNT=8'
grep -q "warning: 'gaza-weekly@old.example.org' (\"Weekly consultation in Gaza City\"): RRULE is not carried over (in 2025 the clocks of Asia/Gaza change on dates no yearly rule gives, which Outlook cannot follow in a series: give each date an event file of its own): only the first occurrence is imported" "$tmp/err" &&
	[ "$(grep -c 'RRULE is not carried over' "$tmp/err")" = 1 ] &&
	grep -q 'gaza.ics:10: warning:' "$tmp/err" &&
	! grep -q '^recurrence:' "$tmp/events/"*.md &&
	grep -q '^timezone: Asia/Gaza$' "$tmp/events/"*.md
ok $? "gaza: the series is reported once, at its RRULE line, and kept as its first occurrence"
check "gaza: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# ------------------------------------------------- a line without ':'
# An exporter that wraps a long line without the leading space of a fold
# leaves a line that is no property: libical drops it, and the import
# says so at that line rather than losing the text without a word.
import_one unfolded 'UID:unfolded@old.example.org
DTSTAMP:20180101T000000Z
DTSTART:20180522T090000Z
SUMMARY:Wrapped description
DESCRIPTION:The first half of a long description
that the exporter wrapped without a space
LOCATION:Skopje'
grep -q "unfolded\.ics:10: warning: 'unfolded@old.example.org' (\"Wrapped description\"): the line 'that the exporter wrapped without a space' is not a property (no ':'): it is left out" "$tmp/err" &&
	grep -q '^location: Skopje$' "$tmp/events/"*.md
ok $? "unfolded: a line that is no property is reported at its line"
check "unfolded: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# Thousands of such lines (or of properties not carried over) are not a
# warning each: ten are named, the rest counted in one.
import_one flood "UID:flood@old.example.org
DTSTAMP:20180101T000000Z
DTSTART:20180522T090000Z
SUMMARY:Flooded
$(for i in $(seq 1 3000); do echo "stray line $i"; done)
$(for i in $(seq 1 500); do echo "FOO$i:bar"; done)"
n=$(grep -c 'warning' "$tmp/err")
test "$n" -le 15 &&
	grep -q "flood\.ics:4: warning: 'flood@old.example.org' (\"Flooded\"): and 3490 more lines that are not properties, or are properties not carried over, are left out" "$tmp/err"
ok $? "flood: 3,500 stray lines give $n warnings, the rest counted"

# ------------------------------------------------------------ dry run
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
(cd "$tmp" && "$EVFEED" --config "$tmp/evfeed.conf" import --dry-run "$outlook") \
	>"$tmp/out" 2>&1
ok $? "--dry-run: exit 0"
test ! -e "$tmp/events" &&
	grep -q '^would write events/2018-06-28-inter-regional-meeting-on-countering-illicit-financial-flows\.md$' "$tmp/out"
ok $? "--dry-run: says what it would write, writes nothing"

# ------------------------------------------------------------ a URL
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
# Serves the fixtures' folder on a free port of 127.0.0.1, prints it, and
# stops by itself after three requests or 30 seconds.
"$PYTHON3" - "$ics" >"$tmp/port" 2>"$tmp/server.log" <<'EOF' &
import functools, http.server, sys, time
handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                            directory=sys.argv[1])
server = http.server.HTTPServer(('127.0.0.1', 0), handler)
server.timeout = 1
print(server.server_address[1], flush=True)
end = time.monotonic() + 30
served = 0
while served < 3 and time.monotonic() < end:
    before = time.monotonic()
    server.handle_request()
    if time.monotonic() - before < server.timeout:
        served += 1
EOF
server=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	test -s "$tmp/port" && break
	sleep 0.5
done
port=$(cat "$tmp/port")
test -n "$port"
ok $? "the test server is listening"
with_timeout 60 "$EVFEED" --config "$tmp/evfeed.conf" import \
	"http://127.0.0.1:$port/outlook-export.ics" >"$tmp/out" 2>"$tmp/err"
ok $? "URL: import exits 0"
test "$(ls "$tmp/events" | wc -l)" -eq 4
ok $? "URL: the four events are written"
grep -q "^http://127.0.0.1:$port/outlook-export.ics:134: warning:" "$tmp/err"
ok $? "URL: reports name the URL and the line"
with_timeout 60 "$EVFEED" --config "$tmp/evfeed.conf" import \
	"http://127.0.0.1:$port/no-such.ics" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1 && grep -q 'no-such.ics: error: cannot fetch' "$tmp/err"
ok $? "URL: a 404 is an error"
# webcal:, which says nothing of TLS, is read as https: a server without
# it (as evfeed's pages give webcal: for an http site) is told of
with_timeout 60 "$EVFEED" --config "$tmp/evfeed.conf" import \
	"webcal://127.0.0.1:$port/outlook-export.ics" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1 &&
	grep -qF "(webcal:// is read as https://; for a server without TLS, give http://127.0.0.1:$port/outlook-export.ics)" "$tmp/err"
ok $? "URL: webcal:// of a server without TLS: says to give http://" ||
	diag_file "$tmp/err"
wait "$server"
"$EVFEED" --config "$tmp/evfeed.conf" import "ftp://127.0.0.1/x.ics" >/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -q 'only http, https and webcal' "$tmp/err"
ok $? "URL: other schemes are refused"

# A calendar whose lines end in CR alone: said so, not "no BEGIN:VCALENDAR".
printf 'BEGIN:VCALENDAR\rVERSION:2.0\rPRODID:x\rEND:VCALENDAR\r' >"$tmp/cr.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/cr.ics" >/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -q 'cr.ics: error: its lines end in CR alone' "$tmp/err"
ok $? "a calendar with CR line ends: said so" || diag_file "$tmp/err"

# More than evfeed import reads: said so, not as a source's max_bytes (no
# source is involved). The server answers once, or gives up after 30 s.
"$PYTHON3" - >"$tmp/port2" 2>"$tmp/server2.log" <<'EOF' &
import http.server
class Big(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'text/calendar')
        self.send_header('Content-Length', str(17 << 20))
        self.end_headers()
        try:
            for _ in range(17 * 16):
                self.wfile.write(b'X' * 65536)
        except OSError:
            pass
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(('127.0.0.1', 0), Big)
server.timeout = 30
print(server.server_address[1], flush=True)
server.handle_request()
EOF
server=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	test -s "$tmp/port2" && break
	sleep 0.5
done
with_timeout 60 "$EVFEED" --config "$tmp/evfeed.conf" import \
	"http://127.0.0.1:$(cat "$tmp/port2")/big.ics" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1 && grep -q 'big.ics: error: cannot fetch: too large (over 16 MiB, the most evfeed import reads)' "$tmp/err"
ok $? "URL: one too large says the limit of import, not of a source" ||
	diag_file "$tmp/err"
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null

# ---------------------------------------------- warnings that say where
# Each warning about an event names it (UID and SUMMARY) at the line of
# its BEGIN:VEVENT (or of the property), past a VTIMEZONE and a VALARM;
# what is left out says so (a URL that is not http(s), a GEO out of
# range, an ORGANIZER that is not an address); an event without an end
# (RFC 5545: it ends at its start) gets a file without one, and a warning.
where=$top_srcdir/tests/data/import/migrate/where.ics
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
"$EVFEED" --config "$tmp/evfeed.conf" import "$where" >"$tmp/out" 2>"$tmp/err"
test $? -eq 0
ok $? "where: import exits 0"
for want in \
	"19: warning: 'links@old.example.org' (\"Open day\"): URL 'ftp://files.old.example.org/programme.pdf' is left out: not an http or https address" \
	"19: warning: 'links@old.example.org' (\"Open day\"): GEO '95.000000;14.500000' is left out: not a latitude within -90..90 and a longitude within -180..180" \
	"19: warning: 'links@old.example.org' (\"Open day\"): ORGANIZER 'front desk' is left out: not an e-mail address (mailto:)" \
	"28: warning: 'links@old.example.org' (\"Open day\"): VALARM is not carried over" \
	"40: warning: 'backwards@old.example.org' (\"Backwards\"): DTEND is before DTSTART: the event ends one hour after its start" \
	"34: warning: 'doors@old.example.org' (\"Doors open\"): no end in the source (no DTEND or DURATION, so it ends at its start): the event file gets no end, which evfeed reads as one hour after the start"; do
	grep -qF "where.ics:$want" "$tmp/err"
	ok $? "where: ${want#*: }"
done
[ "$(grep -c 'warning:' "$tmp/err")" = "$(grep -c 'where\.ics:[0-9][0-9]*: warning:' "$tmp/err")" ]
ok $? "where: every warning has the file and a line"
grep -qx 'start: 2026-06-05T18:00:00' "$tmp/events/2026-06-05-doors-open.md" &&
	! grep -q '^end:' "$tmp/events/2026-06-05-doors-open.md"
ok $? "where: the event without an end has no end: key"
check "where: evfeed check passes" "$EVFEED" --config "$tmp/evfeed.conf" check

# ------------------------------------------------ an event without a UID
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 'PRODID:-//Old site//EN' \
	BEGIN:VEVENT DTSTAMP:20260101T000000Z DTSTART:20260301T100000Z \
	DTEND:20260301T110000Z \
	'SUMMARY:No UID here' END:VEVENT \
	BEGIN:VEVENT UID:kept@old.example.org DTSTAMP:20260101T000000Z \
	DTSTART:20260302T100000Z DTEND:20260302T110000Z 'SUMMARY:Has a UID' \
	END:VEVENT \
	END:VCALENDAR >"$tmp/nouid.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/nouid.ics" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1
ok $? "no UID: import exits 1"
test "$(cat "$tmp/err")" = "$(printf '%s\n' \
	"$tmp/nouid.ics:4: error: an event without a UID (\"No UID here\"): not imported: RFC 5545 requires one; add a UID line to it" \
	'evfeed: imported 1 event; 1 error')"
ok $? "no UID: said once, as an error naming the event and its line"
test "$(ls "$tmp/events")" = 2026-03-02-has-a-uid.md
ok $? "no UID: the other event is imported"

# ------------------------------- two events that one calendar gives one UID
# (a plug-in's two days of a workshop): both are imported, the second
# under a UID of its own, said at its line; a copy of the same start is
# one event
tmp=$(mktmp)
write_config "$tmp" "$tmp/events"
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 'PRODID:-//Plug-in//EN' \
	BEGIN:VEVENT UID:ev-17@wp.example DTSTAMP:20260101T000000Z \
	DTSTART:20260301T100000Z 'SUMMARY:Spring workshop day 1' END:VEVENT \
	BEGIN:VEVENT UID:ev-17@wp.example DTSTAMP:20260101T000000Z \
	DTSTART:20260308T100000Z 'SUMMARY:Spring workshop day 2' END:VEVENT \
	BEGIN:VEVENT UID:ev-17@wp.example DTSTAMP:20260105T000000Z \
	DTSTART:20260308T100000Z 'SUMMARY:Spring workshop day 2 (room B)' END:VEVENT \
	BEGIN:VEVENT UID:ev-18@wp.example DTSTAMP:20260101T000000Z \
	DTSTART:20260310T100000Z 'SUMMARY:Seminar' END:VEVENT \
	BEGIN:VEVENT UID:ev-18@wp.example DTSTAMP:20260102T000000Z \
	DTSTART:20260310T100000Z 'SUMMARY:Seminar (room B)' END:VEVENT \
	END:VCALENDAR >"$tmp/dupuid.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/dupuid.ics" >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 &&
	grep -qx 'uid: ev-17@wp.example' "$tmp/events/2026-03-01-spring-workshop-day-1.md" &&
	grep -qx 'uid: ev-17@wp.example/20260308T100000Z' "$tmp/events/2026-03-08-spring-workshop-day-2-room-b.md" &&
	grep -q "dupuid.ics:10: warning: 'ev-17@wp.example' (\"Spring workshop day 2\"): its UID is that of another event, of another start: imported as an event of its own, uid 'ev-17@wp.example/20260308T100000Z'" "$tmp/err" &&
	test "$(ls "$tmp/events" | wc -l)" -eq 3 &&
	grep -q '^title: Seminar (room B)' "$tmp/events/2026-03-10-seminar-room-b.md" &&
	grep -q "given more than once" "$tmp/err" &&
	"$EVFEED" --config "$tmp/evfeed.conf" check >/dev/null 2>&1
ok $? "one UID for two events of other starts: both imported, the second under a UID of its own, of whose copies the latest (status $st)" ||
	diag_file "$tmp/err"

# ----------------- a zone evfeed does not know: each event in it is named
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 'PRODID:-//Exchange//EN' \
	BEGIN:VEVENT UID:odd-1@exchange.example DTSTAMP:20260101T000000Z \
	'DTSTART;TZID=Nowhere Standard Time:20260501T100000' 'SUMMARY:Odd zone one' \
	END:VEVENT \
	BEGIN:VEVENT UID:odd-2@exchange.example DTSTAMP:20260101T000000Z \
	'DTSTART;TZID=Nowhere Standard Time:20260502T100000' 'SUMMARY:Odd zone two' \
	END:VEVENT \
	END:VCALENDAR >"$tmp/oddzone.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import --dry-run "$tmp/oddzone.ics" >"$tmp/out" 2>"$tmp/err"
grep -q "oddzone.ics:4: warning: 'odd-1@exchange.example' (\"Odd zone one\"): its times are taken as UTC (unknown time zone 'Nowhere Standard Time')" "$tmp/err" &&
	grep -q "oddzone.ics:10: warning: 'odd-2@exchange.example' (\"Odd zone two\"): its times are taken as UTC" "$tmp/err"
ok $? "an unknown zone: each event whose times are taken as UTC is named at its line" ||
	diag_file "$tmp/err"
# indented lines of a plain-text description: said that their
# indentation is not kept
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 'PRODID:-//Old site//EN' \
	BEGIN:VEVENT UID:agenda-1@old.example DTSTAMP:20260101T000000Z \
	DTSTART:20260601T080000Z 'SUMMARY:Agenda' \
	'DESCRIPTION:Agenda:\n    09:00 Welcome\n    10:00 Keynote\nEnd.' \
	END:VEVENT END:VCALENDAR >"$tmp/indent.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import --dry-run "$tmp/indent.ics" >"$tmp/out" 2>"$tmp/err"
grep -q "indent.ics:9: warning: 'agenda-1@old.example' (\"Agenda\"): the indentation of 2 lines of its description is not kept" "$tmp/err"
ok $? "import: indented description lines are said to lose their indentation" ||
	diag_file "$tmp/err"
# a file of the folder with a warning: told once, not once per reading
printf -- '---\ntitle: Reversed\nstart: 2026-06-01T10:00\ntimezone: Etc/GMT+5\n---\n' \
	>"$tmp/events/reversed.md"
"$EVFEED" --config "$tmp/evfeed.conf" import --dry-run "$tmp/oddzone.ics" >"$tmp/out" 2>"$tmp/err"
test "$(grep -c 'reversed.md:4:11: warning: timezone: .Etc/GMT+5. is UTC-05:00' "$tmp/err")" = 1
ok $? "import: a warning of a file in the events folder is told once" || diag_file "$tmp/err"
rm -f "$tmp/events/reversed.md"

# ------------------------- links that only the HTML description (X-ALT-DESC)
# has are carried over, with the HTML's text
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 'PRODID:-//Outlook//EN' \
	BEGIN:VEVENT UID:alt-1@outlook.example DTSTAMP:20260101T000000Z \
	DTSTART:20260401T100000Z 'SUMMARY:Registration open' \
	'DESCRIPTION:Please register here.' \
	'X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Please <a href="https://example.org/register">register here</a>.</p></body></html>' \
	END:VEVENT \
	BEGIN:VEVENT UID:alt-2@outlook.example DTSTAMP:20260101T000000Z \
	DTSTART:20260402T100000Z 'SUMMARY:Plain enough' \
	'DESCRIPTION:See https://example.org/plain for more.' \
	'X-ALT-DESC;FMTTYPE=text/html:<p>See <a href="https://example.org/plain">https://example.org/plain</a> for <b>more</b>.</p>' \
	END:VEVENT \
	END:VCALENDAR >"$tmp/altdesc.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/altdesc.ics" >"$tmp/out" 2>"$tmp/err"
st=$?
"$EVFEED" --config "$tmp/evfeed.conf" build >/dev/null 2>>"$tmp/err"
test $st -eq 0 &&
	grep -q 'https://example.org/register' "$tmp/events/2026-04-01-registration-open.md" &&
	grep -q '^DESCRIPTION:Please register here <https://example.org/register>' "$tmp/public/events/2026-04-01-registration-open.ics" &&
	grep -qx 'See https://example.org/plain for more.' "$tmp/events/2026-04-02-plain-enough.md"
ok $? "a link only X-ALT-DESC has is carried over; a plain text with the links stays as it is (status $st)" ||
	diag_file "$tmp/err"
# The same link in both, in another case (Teams writes "19%3ameeting",
# which the HTML's links give as "%3A"): the plain text, with its lines
# the HTML has not, stays
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 'PRODID:-//Outlook//EN' \
	BEGIN:VEVENT UID:teams-1@outlook.example DTSTAMP:20260101T000000Z \
	DTSTART:20260403T100000Z 'SUMMARY:Teams call' \
	'DESCRIPTION:Agenda: budget.\nDial-in: +49 30 1234567\nJoin<https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0>' \
	'X-ALT-DESC;FMTTYPE=text/html:<p><a href="https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0">Join</a></p>' \
	END:VEVENT END:VCALENDAR >"$tmp/teams.ics"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/teams.ics" >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 && grep -q 'Dial-in: +49 30 1234567' "$tmp/events/2026-04-03-teams-call.md"
ok $? "the same link in the HTML in another case: the plain text stays (status $st)" ||
	diag_file "$tmp/events/2026-04-03-teams-call.md"
rm -f "$tmp/events/2026-04-03-teams-call.md"

# ------------------------------------------------------ usage errors
"$EVFEED" --config "$tmp/evfeed.conf" import >/dev/null 2>&1
test $? -eq 2
ok $? "import without a calendar: exit 2"
"$EVFEED" --config "$tmp/evfeed.conf" import "$tmp/missing.ics" >/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -q 'missing.ics' "$tmp/err"
ok $? "a missing file: exit 1 naming it"

# ------------------------------------------ output that cannot be written

# A reader that goes away (`| head`) does not stop the import half-way:
# every event is written, and the lost list is an error (status 1); so is
# output to a full disk, for import's dry-run list and new's path.
mkdir "$tmp/pipe" "$tmp/pipe/events"
write_config "$tmp/pipe" "$tmp/pipe/events"
"${PYTHON3:-python3}" - "$tmp/pipe/many.ics" <<'PY'
import sys
out = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"]
for i in range(400):
    out.append("BEGIN:VEVENT\r\nUID:many-%d@example.org\r\n"
               "DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:2027%02d%02d\r\n"
               "SUMMARY:Event number %d with a fairly long title\r\n"
               "END:VEVENT\r\n" % (i, 1 + i % 12, 1 + i % 28, i))
out.append("END:VCALENDAR\r\n")
open(sys.argv[1], "w", newline="").write("".join(out))
PY
# (a pipe whose reader is gone before the first line: `| head -c 1`
# read it all when the list, smaller than a pipe holds, was written
# before head ran, and nothing was lost)
"${PYTHON3:-python3}" - "$EVFEED" "$tmp/pipe/evfeed.conf" "$tmp/pipe/many.ics" \
	"$tmp/pipe/err" >"$tmp/pipe/status" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
with open(sys.argv[4], "wb") as err:
    # (SIGPIPE as a shell leaves it: restore_signals)
    print(subprocess.call([sys.argv[1], "--config", sys.argv[2], "import",
                           sys.argv[3]], stdout=w, stderr=err))
PY
test "$(cat "$tmp/pipe/status")" = 1 &&
	test "$(ls "$tmp/pipe/events" | wc -l)" -eq 400 &&
	grep -q '^evfeed: imported 400 events$' "$tmp/pipe/err" &&
	grep -q '^evfeed: error: cannot write the output: Broken pipe$' "$tmp/pipe/err"
ok $? "import to a pipe whose reader is gone: all 400 events written, the lost list an error (status $(cat "$tmp/pipe/status"))" ||
	diag_file "$tmp/pipe/err"
if [ -w /dev/full ]; then
	rm -f "$tmp/pipe/events"/*
	"$EVFEED" --config "$tmp/pipe/evfeed.conf" import --dry-run "$tmp/pipe/many.ics" \
		>/dev/full 2>"$tmp/pipe/err"
	st=$?
	test $st -eq 1 && grep -q 'cannot write the output: No space left' "$tmp/pipe/err"
	ok $? "import --dry-run to a full disk: status 1 (status $st)" || diag_file "$tmp/pipe/err"
	"$EVFEED" --config "$tmp/pipe/evfeed.conf" new "Lost path" --start 2027-01-01 \
		>/dev/full 2>"$tmp/pipe/err"
	st=$?
	test $st -eq 1 && grep -q 'cannot write the output: No space left' "$tmp/pipe/err"
	ok $? "new to a full disk: status 1, its path lost (status $st)" || diag_file "$tmp/pipe/err"
	"$EVFEED" -V >/dev/full 2>/dev/null
	st=$?
	test $st -eq 1
	ok $? "--version to a full disk: status 1 (status $st)"
	"$EVFEED" --help >/dev/full 2>"$tmp/pipe/err"
	st=$?
	test $st -eq 1 && grep -q 'cannot write the output: No space left' "$tmp/pipe/err"
	ok $? "--help to a full disk: status 1 (status $st)" || diag_file "$tmp/pipe/err"
else
	skip "import --dry-run to a full disk" "no /dev/full"
	skip "new to a full disk" "no /dev/full"
	skip "--version to a full disk" "no /dev/full"
	skip "--help to a full disk" "no /dev/full"
fi

done_testing
