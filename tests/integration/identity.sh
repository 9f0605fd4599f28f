#!/bin/sh
# identity.sh: an event published from a partner's listing keeps its
# identity when the site starts listing it too, end to end: `evfeed fetch`
# of an RSS feed served on 127.0.0.1, `evfeed build`, then an event file
# written for the same workshop, which wins the merge.
#
# The workshop stays one event for subscribers: calendar.ics keeps its UID
# (with SEQUENCE one higher, as for an edit), rss.xml its guid and pubDate,
# atom.xml its id and published date, so that calendar programs update the
# event they have and feed readers are not told of it again. It keeps them
# once the partner lists it no more, after the state is lost (its
# published date then to the second), and after a build from scratch with
# the same state. An event file published under its own UID keeps it when
# a partner starts to list its event, and the partner's listing goes on
# under it once the file is deleted. A file whose uid names the identity
# another file's event took is warned of. A source renamed, its url the
# same, keeps its items' identities. A partner's weekly series (iCalendar)
# moved to another time of day keeps each occurrence's UID and .ics file,
# with SEQUENCE one higher, and an occurrence moved on its own, whose time
# did not change, keeps SEQUENCE 0; read again in full, and moved back,
# the same UIDs. Its one feed item keeps its id when a mirror of higher
# priority starts to list the series, and when the academy goes.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional PYTHON3.
# EVFEED_KEEP_TMP=1 keeps the temporary folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
PYTHON3=${PYTHON3:-/usr/bin/python3}

"$PYTHON3" -c 'import http.server' >/dev/null 2>&1 ||
	skip_all "no python3 ($PYTHON3) to serve the partner's feed"

tmp=$(mktmp)
conf=$tmp/evfeed.conf
pub=$tmp/public
mkdir "$tmp/events" "$tmp/www" || bail_out "cannot make folders in $tmp"

# partner_feed ITEM...: the partner's feed, of the items named (workshop,
# forum, board), given a modification time ahead of the last so that the server
# does not answer 304 to a feed rewritten within the same second.
mtime=$(($(date +%s) + 60))
partner_feed()
{
	{
		cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/">
<channel><title>Partner</title><link>https://partner.example/</link>
<description>Partner listings</description>
EOF
		for item in "$@"; do
			case $item in
			workshop)
				cat <<'EOF'
<item><title>Regional Cyber Security Workshop</title>
<link>https://partner.example/events/cyber-workshop</link>
<guid isPermaLink="false">ws-2027-06</guid>
<pubDate>Mon, 01 Nov 2027 09:00:00 +0000</pubDate>
<description>The partner's notice of the workshop.</description>
<ev:startdate>2027-06-01</ev:startdate>
<ev:enddate>2027-06-02</ev:enddate>
<ev:location>Ljubljana</ev:location>
</item>
EOF
				;;
			moved)
				cat <<'EOF'
<item><title>Regional Cyber Security Workshop</title>
<link>https://partner.example/events/cyber-workshop-2</link>
<guid isPermaLink="false">ws-2027-06</guid>
<pubDate>Mon, 01 Nov 2027 09:00:00 +0000</pubDate>
<description>The partner's notice of its second workshop.</description>
<ev:startdate>2027-06-15</ev:startdate>
<ev:location>Skopje</ev:location>
</item>
EOF
				;;
			forum)
				cat <<'EOF'
<item><title>Border Management Forum</title>
<link>https://partner.example/events/border-forum</link>
<guid isPermaLink="false">forum-2027-09</guid>
<pubDate>Mon, 01 Nov 2027 09:00:00 +0000</pubDate>
<description>The partner's notice of the forum.</description>
<ev:startdate>2027-09-14</ev:startdate>
<ev:location>Skopje</ev:location>
</item>
EOF
				;;
			board)
				cat <<'EOF'
<item><title>Board Meeting</title>
<link>https://partner.example/events/board</link>
<guid isPermaLink="false">board@partner.example</guid>
<description>The partner's notice of the board meeting.</description>
<ev:startdate>2027-03-02</ev:startdate>
</item>
EOF
				;;
			esac
		done
		printf '</channel></rss>\n'
	} >"$tmp/www/partner.rss.new" &&
		touch -d "@$mtime" "$tmp/www/partner.rss.new" &&
		mv "$tmp/www/partner.rss.new" "$tmp/www/partner.rss" ||
		bail_out "cannot write the partner's feed"
	mtime=$((mtime + 60))
}

cat >"$tmp/events/board-meeting.md" <<'EOF'
---
title: Board meeting
start: 2027-03-02
location: Ljubljana
---
The board meets.
EOF

partner_feed workshop forum
file_server "$tmp/www"
write_config "$tmp" "$tmp/events"
cat >>"$conf" <<EOF

[source partner]
title=Partner
url=$base/partner.rss
format=rss
EOF

# step NAME: `evfeed fetch` and `evfeed build`; fails the test on either's
# error.
step()
{
	with_timeout 120 "$EVFEED" fetch --config "$conf" >"$tmp/$1.fetch" \
		2>&1 </dev/null
	_rc=$?
	test "$_rc" -eq 0
	ok $? "$1: evfeed fetch (exit $_rc)" || diag_file "$tmp/$1.fetch"
	with_timeout 120 "$EVFEED" build --config "$conf" >"$tmp/$1.build" \
		2>&1 </dev/null
	_rc=$?
	test "$_rc" -eq 0
	ok $? "$1: evfeed build (exit $_rc)" || diag_file "$tmp/$1.build"
}

# ids NAME TITLE: what the outputs say of the event titled TITLE, one line
# each: its UID and SEQUENCE in calendar.ics, its guid and pubDate in
# rss.xml, its id and published in atom.xml, and how many events and items
# have that title. Into $tmp/NAME.ids.
ids()
{
	"$PYTHON3" - "$pub" "$2" >"$tmp/$1.ids" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
pub, title = sys.argv[1], sys.argv[2]
A = '{http://www.w3.org/2005/Atom}'
with open(pub + '/calendar.ics', 'rb') as f:
    text = re.sub(r'\r\n[ \t]', '', f.read().decode('utf-8'))
events = [e for e in text.split('BEGIN:VEVENT')[1:]
          if re.search(r'^SUMMARY[;:]' + re.escape(title) + r'\r?$', e,
                       re.M)]
print('vevents', len(events))
for e in events:
    print('uid', re.search(r'^UID:(.*)$', e, re.M).group(1).strip())
    print('sequence', re.search(r'^SEQUENCE:(.*)$', e, re.M).group(1).strip())
items = [i for i in ET.parse(pub + '/rss.xml').getroot().iter('item')
         if i.findtext('title') == title]
print('items', len(items))
for i in items:
    print('guid', i.findtext('guid'))
    print('pubdate', i.findtext('pubDate'))
entries = [e for e in ET.parse(pub + '/atom.xml').getroot().iter(A + 'entry')
           if e.findtext(A + 'title') == title]
print('entries', len(entries))
for e in entries:
    print('id', e.findtext(A + 'id'))
    print('published', e.findtext(A + 'published'))
PY
	test $? -eq 0 || diag "cannot read the outputs of $1"
}

# field NAME KEY: KEY's value in $tmp/NAME.ids.
field()
{
	sed -n "s/^$2 //p" "$tmp/$1.ids"
}

# same_identity DESC A B [KEY...]: the event has the same UID, guid,
# pubDate, id and published date in A as in B (or the same KEYs).
same_identity()
{
	_si_ok=0
	_si_d=$1
	_si_a=$2
	_si_b=$3
	shift 3
	for _k in ${*:-uid guid pubdate id published}; do
		if [ "$(field "$_si_a" $_k)" != "$(field "$_si_b" $_k)" ] ||
			[ -z "$(field "$_si_a" $_k)" ]; then
			diag "$_k: '$(field "$_si_a" $_k)' in $_si_a, '$(field "$_si_b" $_k)' in $_si_b"
			_si_ok=1
		fi
	done
	ok $_si_ok "$_si_d"
}

# once NAME: the event is once in calendar.ics, rss.xml and atom.xml.
once()
{
	test "$(field "$1" vevents)" = 1 && test "$(field "$1" items)" = 1 &&
		test "$(field "$1" entries)" = 1
	ok $? "$1: the workshop is one event, one item and one entry" ||
		diag_file "$tmp/$1.ids"
}

# ------------------------------------------------- the partner's listing

step partner
ids partner 'Regional Cyber Security Workshop'
once partner
test "$(field partner sequence)" = 0
ok $? "partner: the workshop's SEQUENCE is 0"

# ------------------------------------------- an event file for it wins

cat >"$tmp/events/cyber-workshop.md" <<'EOF'
---
title: Regional Cyber Security Workshop (site)
start: 2027-06-01
end: 2027-06-02
location: Ljubljana, Slovenia
organizer: Ministry of Public Administration
---
The site's own notice of the workshop, with its agenda.
EOF
step local
ids local 'Regional Cyber Security Workshop (site)'
once local
grep -q "^DESCRIPTION:The site's own notice" "$pub/events/cyber-workshop.ics"
ok $? "local: the event file's listing is the one published"
same_identity "local: the workshop keeps the UID, guid, pubDate, id and published it had" \
	partner local
test "$(field local sequence)" = 1
ok $? "local: its SEQUENCE is 1, as after an edit (is $(field local sequence))"
! grep -q 'identity changed' "$tmp/local.build"
ok $? "local: no warning of a changed identity" || diag_file "$tmp/local.build"

# ------------------------------------------- the partner lists it no more

partner_feed forum
step gone
ids gone 'Regional Cyber Security Workshop (site)'
once gone
same_identity "gone: the workshop keeps its identity once the partner lists it no more" \
	partner gone
grep -q 'Border Management Forum' "$pub/calendar.ics"
ok $? "gone: the partner's other listing is still published"

# the state lost (deleted, or set aside as damaged): the one-event
# calendars say which identity the site's event had taken, and it keeps it
rm -f "$tmp/state.db" "$tmp/state.db-wal" "$tmp/state.db-shm"
step lost
ids lost 'Regional Cyber Security Workshop (site)'
once lost
same_identity "lost: the workshop keeps its identity after the state is lost" \
	partner lost uid guid pubdate id
test "$(field lost published | cut -c1-19)" = \
	"$(field partner published | cut -c1-19)"
ok $? "lost: its published date, to the second"
! grep -q 'identity changed' "$tmp/lost.build"
ok $? "lost: no warning of a changed identity" || diag_file "$tmp/lost.build"

# the partner lists its item again, on another date: two events now, the
# site's keeping the identity, the partner's another; no UID or id twice
partner_feed moved forum
step moved
"$PYTHON3" - "$pub" >"$tmp/moved.dups" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
pub = sys.argv[1]
with open(pub + '/calendar.ics', 'rb') as f:
    text = re.sub(r'\r\n[ \t]', '', f.read().decode('utf-8'))
uids = re.findall(r'^UID:(.*?)\r?$', text, re.M)
guids = [g.text for g in ET.parse(pub + '/rss.xml').getroot().iter('guid')]
A = '{http://www.w3.org/2005/Atom}'
ids = [e.findtext(A + 'id')
       for e in ET.parse(pub + '/atom.xml').getroot().iter(A + 'entry')]
for name, got in (('UID', uids), ('guid', guids), ('id', ids)):
    for v in sorted(set(x for x in got if got.count(x) > 1)):
        print(name, v)
print('events', len(uids))
PY
test "$(grep -cv '^events ' "$tmp/moved.dups")" = 0 &&
	grep -qx 'events 4' "$tmp/moved.dups"
ok $? "moved: four events, no UID, guid or id twice" ||
	diag_file "$tmp/moved.dups"
ids moved 'Regional Cyber Security Workshop (site)'
ids moved-partner 'Regional Cyber Security Workshop'
test "$(field moved uid)" = "$(field partner uid)" &&
	test -n "$(field moved-partner uid)" &&
	test "$(field moved-partner uid)" != "$(field partner uid)"
ok $? "moved: the site's event keeps the UID, the partner's has another" ||
	diag_file "$tmp/moved.ids"
partner_feed forum
step gone-again

# the same state, the output made again from scratch
mv "$pub" "$tmp/public.before" || bail_out "cannot move the output aside"
with_timeout 120 "$EVFEED" build --config "$conf" >"$tmp/again.build" 2>&1 \
	</dev/null
ok $? "again: evfeed build into an empty folder" || diag_file "$tmp/again.build"
diff -r "$tmp/public.before" "$pub" >"$tmp/again.diff" 2>&1
ok $? "again: the same files, byte for byte" || diag_file "$tmp/again.diff"

# ---------------------------- an event file published first keeps its UID

ids board-before 'Board meeting'
partner_feed forum board
step board
ids board 'Board meeting'
test "$(field board vevents)" = 1 && test "$(field board items)" = 1
ok $? "board: the board meeting is listed once" || diag_file "$tmp/board.ids"
same_identity "board: the event file's own identity stays" board-before board
grep -q 'board@partner.example' "$pub/calendar.ics"
test $? -ne 0
ok $? "board: the partner's UID is not published"

# ------------- a file that names the identity the workshop's file took

cat >"$tmp/events/claim.md" <<EOF
---
title: Another workshop
uid: $(field partner uid)
start: 2027-09-01
---
A file given the workshop's published UID.
EOF
step claim
grep -q "claim[.]md:3:[0-9]*: warning: uid '$(field partner uid)' is the identity under which .*cyber-workshop[.]md has been published" \
	"$tmp/claim.build"
ok $? "claim: a uid that takes over the workshop's identity is warned of, naming its file" ||
	diag_file "$tmp/claim.build"

# ------- the event file deleted: the partner's listing goes on under its UID

rm "$tmp/events/board-meeting.md" || bail_out "cannot remove the board's file"
step board-gone
ids board-gone 'Board Meeting'
test "$(field board-gone vevents)" = 1 && test "$(field board-gone items)" = 1
ok $? "board-gone: the partner's board meeting is listed once" ||
	diag_file "$tmp/board-gone.ids"
same_identity "board-gone: it goes on under the identity the file's event had" \
	board board-gone
! grep -q 'board-meeting.ics) is gone' "$tmp/board-gone.build"
ok $? "board-gone: no warning that the event leaves the calendars" ||
	diag_file "$tmp/board-gone.build"

# ------------ the source renamed, its url the same: its items keep their UIDs

ids forum-before 'Border Management Forum'
sed 's/^\[source partner\]$/[source partners]/' "$conf" >"$conf.new" &&
	mv "$conf.new" "$conf" || bail_out "cannot rename the source"
# a build before any fetch under the new name: the last good items stay
with_timeout 120 "$EVFEED" build --config "$conf" >"$tmp/renamed-build.build" \
	2>&1 </dev/null
ok $? "renamed, not fetched: evfeed build" || diag_file "$tmp/renamed-build.build"
ids renamed-build 'Border Management Forum'
test "$(field renamed-build vevents)" = 1 &&
	test "$(field renamed-build items)" = 1
ok $? "renamed, not fetched: the forum is still listed" ||
	diag_file "$tmp/renamed-build.ids"
same_identity "renamed, not fetched: the forum keeps its identity" \
	forum-before renamed-build
step renamed
ids renamed 'Border Management Forum'
test "$(field renamed vevents)" = 1 && test "$(field renamed items)" = 1
ok $? "renamed: the forum is listed once" || diag_file "$tmp/renamed.ids"
same_identity "renamed: the forum keeps its identity under the source's new name" \
	forum-before renamed
# (in evfeed's own form, as every line of the command line's, not GLib's
# with the local time of day)
grep -q '^evfeed: source partner is no longer configured, and source partners has its url' \
	"$tmp/renamed-build.build" &&
	grep -q '^evfeed: source partners keeps the last good items of partner until it is fetched' \
		"$tmp/renamed-build.build" &&
	! grep -q 'evfeed-Message' "$tmp/renamed-build.build"
ok $? "renamed: the build says the items keep their identities" ||
	diag_file "$tmp/renamed.build"

# ---- a partner's series moved to another time of day keeps its identities

# academy_calendar TIME OVERRIDE [ZONE]: the academy's calendar of a weekly
# series of four, from the first Tuesday three weeks or more ahead, at TIME
# (HHMM) in ZONE (Europe/Sarajevo), the second occurrence moved to OVERRIDE
# (HHMM) that day, and its RECURRENCE-ID at TIME as the partner moves it
# with the series.
academy_calendar()
{
	"$PYTHON3" - "$1" "$2" "${3:-Europe/Sarajevo}" \
		>"$tmp/www/academy.ics.new" <<'PY' &&
import datetime, sys
at, moved, zone = sys.argv[1], sys.argv[2], sys.argv[3]
day = datetime.date.today() + datetime.timedelta(days=21)
day += datetime.timedelta(days=(1 - day.weekday()) % 7)
second = (day + datetime.timedelta(days=7)).strftime('%Y%m%d')
first = day.strftime('%Y%m%d')
lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Academy//EN',
         'BEGIN:VEVENT', 'UID:weekly-brief@academy.example',
         'DTSTAMP:20260101T000000Z',
         'DTSTART;TZID=%s:%sT%s00' % (zone, first, at),
         'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=4',
         'SUMMARY:Weekly briefing', 'END:VEVENT',
         'BEGIN:VEVENT', 'UID:weekly-brief@academy.example',
         'DTSTAMP:20260101T000000Z',
         'RECURRENCE-ID;TZID=%s:%sT%s00' % (zone, second, at),
         'DTSTART;TZID=%s:%sT%s00' % (zone, second, moved),
         'DURATION:PT1H', 'SUMMARY:Weekly briefing', 'END:VEVENT',
         'END:VCALENDAR']
sys.stdout.write('\r\n'.join(lines) + '\r\n')
PY
		touch -d "@$mtime" "$tmp/www/academy.ics.new" &&
		mv "$tmp/www/academy.ics.new" "$tmp/www/academy.ics" ||
		bail_out "cannot write the academy's calendar"
	mtime=$((mtime + 60))
}

# briefings NAME: the academy's occurrences in calendar.ics, one line each
# in the order of their start: UID, SEQUENCE and start (local wall time),
# into $tmp/NAME.briefings; and the names of the events' own files.
briefings()
{
	"$PYTHON3" - "$pub/calendar.ics" >"$tmp/$1.briefings" <<'PY'
import sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
rows = []
for ev in cal.walk('VEVENT'):
    if 'Weekly briefing' not in str(ev.get('SUMMARY')):
        continue
    start = ev.decoded('DTSTART')
    rows.append((start, str(ev['UID']), int(ev.get('SEQUENCE', 0))))
for start, uid, seq in sorted(rows):
    print(uid, seq, start.strftime('%Y-%m-%dT%H:%M'))
PY
	ls "$pub/events" | grep '^academy[-.]' >"$tmp/$1.files"
}

academy_calendar 1000 1500
cat >>"$conf" <<EOF

[source academy]
title=Academy
url=$base/academy.ics
format=ics
EOF
step series
briefings series
# (each occurrence's own calendar, and the series' of all four, which the
# "Add to calendar" of its one article and feed item gives)
whole=0
for f in $(cat "$tmp/series.files"); do
	[ "$(grep -c '^BEGIN:VEVENT' "$pub/events/$f")" -eq 4 ] && whole=$((whole + 1))
done
test "$(wc -l <"$tmp/series.briefings")" -eq 4 &&
	test "$(wc -l <"$tmp/series.files")" -eq 5 && test "$whole" -eq 1 &&
	test "$(awk '{ print $2 }' "$tmp/series.briefings" | sort -u)" = 0
ok $? "series: four occurrences of the academy's briefing, SEQUENCE 0, each with its calendar and the series with one of all four" ||
	diag_file "$tmp/series.briefings"

academy_calendar 1030 1500
step series-moved
briefings series-moved
awk '{ print $1 }' "$tmp/series.briefings" >"$tmp/series.uids"
awk '{ print $1 }' "$tmp/series-moved.briefings" >"$tmp/series-moved.uids"
cmp -s "$tmp/series.uids" "$tmp/series-moved.uids" &&
	cmp -s "$tmp/series.files" "$tmp/series-moved.files"
ok $? "series moved to 10:30: each occurrence keeps its UID and its own .ics" ||
	diag_file "$tmp/series-moved.briefings"
awk '{ print $2, substr($3, 12) }' "$tmp/series-moved.briefings" \
	>"$tmp/series-moved.seq"
printf '%s\n' '1 10:30' '0 15:00' '1 10:30' '1 10:30' |
	cmp -s - "$tmp/series-moved.seq"
ok $? "series moved: the moved ones at 10:30 with SEQUENCE 1, the one moved on its own unchanged" ||
	diag_file "$tmp/series-moved.seq"

# fetched again in full: the same identities
parsed_body_again()
{
	"$PYTHON3" - "$tmp/state.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE sources SET etag = NULL, last_modified = NULL, body_hash = NULL WHERE name = 'academy'")
db.commit()
PY
}
parsed_body_again
step series-again
briefings series-again
cmp -s "$tmp/series-moved.briefings" "$tmp/series-again.briefings"
ok $? "series read again: the same UIDs, SEQUENCEs and times" ||
	diag_file "$tmp/series-again.briefings"

academy_calendar 1000 1500
step series-back
briefings series-back
awk '{ print $1 }' "$tmp/series-back.briefings" >"$tmp/series-back.uids"
awk '{ print $2, substr($3, 12) }' "$tmp/series-back.briefings" \
	>"$tmp/series-back.seq"
cmp -s "$tmp/series.uids" "$tmp/series-back.uids" &&
	printf '%s\n' '2 10:00' '0 15:00' '2 10:00' '2 10:00' |
	cmp -s - "$tmp/series-back.seq"
ok $? "series moved back to 10:00: the same UIDs, SEQUENCE 2" ||
	diag_file "$tmp/series-back.briefings"

# moved to another zone, where the UTC start its UIDs name falls on the
# day before (09:00Z is 22:00 the day before in Pago Pago): the same UIDs,
# and again when read again in full
academy_calendar 0900 1500 Pacific/Pago_Pago
step series-zone
briefings series-zone
awk '{ print $1 }' "$tmp/series-zone.briefings" >"$tmp/series-zone.uids"
cmp -s "$tmp/series.uids" "$tmp/series-zone.uids" &&
	cmp -s "$tmp/series.files" "$tmp/series-zone.files"
ok $? "series moved to Pago Pago: the same UIDs and .ics files" ||
	diag_file "$tmp/series-zone.briefings"
parsed_body_again
step series-zone-again
briefings series-zone-again
cmp -s "$tmp/series-zone.briefings" "$tmp/series-zone-again.briefings"
ok $? "series in Pago Pago read again: the same UIDs, SEQUENCEs and times" ||
	diag_file "$tmp/series-zone-again.briefings"

# ---- a second source that lists the same series and wins (a mirror of
# higher priority): the series' one feed item keeps its id, in rss.xml and
# atom.xml, and keeps it once the first source goes

# series_ids NAME: the ids of the feed items of the academy's series, in
# rss.xml then atom.xml, one line each, into $tmp/NAME.series-ids.
series_ids()
{
	"$PYTHON3" - "$pub" >"$tmp/$1.series-ids" <<'PY'
import sys
import feedparser
for name in ('rss.xml', 'atom.xml'):
    feed = feedparser.parse(sys.argv[1] + '/' + name)
    ids = [e.id for e in feed.entries if 'Weekly briefing' in e.title]
    print(name, len(ids), ' '.join(ids))
PY
}
series_ids series-alone
# (under a UID of its own: a calendar of the same briefings, which the
# merge joins by title and time)
sed 's/^UID:weekly-brief@academy.example/UID:briefings@mirror.example/' \
	"$tmp/www/academy.ics" >"$tmp/www/mirror.ics"
printf '\n[source mirror]\ntitle=Mirror\nurl=%s/mirror.ics\nformat=ics\npriority=10\n' \
	"$base" >>"$conf"
step series-mirror
series_ids series-mirror
briefings series-mirror
awk '{ print $1 }' "$tmp/series-mirror.briefings" >"$tmp/series-mirror.uids"
grep -q '^rss.xml 1 ' "$tmp/series-alone.series-ids" &&
	grep -q '^atom.xml 1 ' "$tmp/series-alone.series-ids" &&
	cmp -s "$tmp/series-alone.series-ids" "$tmp/series-mirror.series-ids" &&
	cmp -s "$tmp/series.uids" "$tmp/series-mirror.uids"
ok $? "series listed by a mirror that wins: its feed item keeps its id" ||
	{ diag_file "$tmp/series-alone.series-ids"; diag_file "$tmp/series-mirror.series-ids"; }
awk '/^\[source academy\]$/ { skip = 1 } /^$/ { skip = 0 } !skip' "$conf" \
	>"$conf.new" && mv "$conf.new" "$conf"
step series-first-gone
series_ids series-first-gone
cmp -s "$tmp/series-alone.series-ids" "$tmp/series-first-gone.series-ids"
ok $? "the first source of the series gone: its feed item keeps its id" ||
	{ diag_file "$tmp/series-alone.series-ids"; diag_file "$tmp/series-first-gone.series-ids"; }

# ---- three partners: a listing that went on under the UID of another it
# had joined leaves that UID with it. a's and e's item are one meeting
# (a1@a); a's becomes c's training (c1@c), and e's goes on as a1@a; c
# goes, and a's goes on as c1@c, e's keeps a1@a: no event is removed and
# added again under another UID (a took back a1@a, e got e1@e).
three=$tmp/three
mkdir "$three" "$three/events" || bail_out "cannot make folders in $three"
write_config "$three" "$three/events"
# three_feed SOURCE TITLE...: SOURCE's feed, an item SOURCE1@SOURCE of
# each TITLE given (none: empty), on 14 May 2027.
three_feed()
{
	_src=$1
	shift
	{
		printf '<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>%s</title><link>https://%s.example/</link><description>d</description>\n' "$_src" "$_src"
		for _t in "$@"; do
			printf '<item><title>%s</title><guid isPermaLink="false">%s1@%s</guid><ev:startdate>2027-05-14</ev:startdate></item>\n' "$_t" "$_src" "$_src"
		done
		printf '</channel></rss>\n'
	} >"$tmp/www/three-$_src.new" &&
		touch -d "@$mtime" "$tmp/www/three-$_src.new" &&
		mv "$tmp/www/three-$_src.new" "$tmp/www/three-$_src.rss" ||
		bail_out "cannot write $_src's feed"
	mtime=$((mtime + 60))
}
for src in c:40 a:30 e:20; do
	printf '\n[source %s]\ntitle=%s\nurl=%s/three-%s.rss\nformat=rss\npriority=%s\n' \
		"${src%:*}" "${src%:*}" "$base" "${src%:*}" "${src#*:}" \
		>>"$three/evfeed.conf"
done
meeting='Annual Meeting of Prosecutors Network'
training='Training for Customs Officers at Borders'
# three_step NAME: fetch and build; the UID and source of each event, one
# line each ("UID TITLE-WORD"), into $tmp/NAME.three.
three_step()
{
	with_timeout 120 "$EVFEED" fetch --config "$three/evfeed.conf" \
		>"$tmp/$1.fetch" 2>&1 </dev/null &&
		with_timeout 120 "$EVFEED" build --config "$three/evfeed.conf" \
			>"$tmp/$1.build" 2>&1 </dev/null
	ok $? "$1: evfeed fetch and build" ||
		{ diag_file "$tmp/$1.fetch"; diag_file "$tmp/$1.build"; }
	"$PYTHON3" - "$three/public/calendar.ics" >"$tmp/$1.three" <<'PY'
import re, sys
text = re.sub(r'\r\n[ \t]', '', open(sys.argv[1], encoding='utf-8', newline='').read())
for ev in re.findall(r'BEGIN:VEVENT\r\n(.*?)END:VEVENT', text, re.S):
    uid = re.search(r'^UID:(.*?)\r$', ev, re.M).group(1)
    title = re.search(r'^SUMMARY:(.*?)\r$', ev, re.M).group(1)
    print(uid, title.split()[0])
PY
}
three_feed c "$training"
three_feed a "$meeting"
three_feed e "$meeting"
three_step three-1
three_feed a "$training"
three_step three-2
# (c no longer a source: a feed of no items would be held as a failure)
awk '/^\[source c\]$/ { skip = 1 } /^$/ { skip = 0 } !skip' \
	"$three/evfeed.conf" >"$three/evfeed.conf.new" &&
	mv "$three/evfeed.conf.new" "$three/evfeed.conf" ||
	bail_out "cannot write $three/evfeed.conf"
three_step three-3
three_step three-4
grep -qx 'a1@a Annual' "$tmp/three-2.three" &&
	grep -qx 'c1@c Training' "$tmp/three-2.three"
ok $? "three partners: a's item joins c's, e's goes on as a1@a" ||
	diag_file "$tmp/three-2.three"
grep -qx 'a1@a Annual' "$tmp/three-3.three" &&
	grep -qx 'c1@c Training' "$tmp/three-3.three" &&
	test "$(wc -l <"$tmp/three-3.three")" -eq 2
ok $? "c gone: a's item goes on as c1@c, e's keeps a1@a" ||
	diag_file "$tmp/three-3.three"
cmp -s "$tmp/three-3.three" "$tmp/three-4.three"
ok $? "... and so again at the next build" || diag_file "$tmp/three-4.three"

done_testing
