#!/bin/sh
# past-days.sh: [feeds] past_days leaves events long past out of the
# calendars (calendar.ics and calendar.json of the site, of each category),
# counted back from the time of the build, and nothing else: the feeds,
# the pages and each event's own calendar keep them; a series stays while
# any occurrence is within the window, an endless one always. Without the
# key every dated event stays. A site calendar over 1 MB brings a warning
# that names Google Calendar's limit and the key.
. "$top_srcdir/tests/integration/lib.sh"

py=${PYTHON3:-/usr/bin/python3}
tmp=$(mktmp)
mkdir "$tmp/events"

# Dates relative to today (UTC), since the window is counted back from the
# build.
day()
{
	date -u -d "$1" +%Y-%m-%d
}

event()
{
	# event NAME START END [RRULE]
	{
		printf -- '---\ntitle: %s\nstart: %s\nend: %s\n' "$1" "$2" "$3"
		printf 'categories: [Kept or not]\n'
		[ -n "${4:-}" ] && printf 'recurrence: %s\n' "$4"
		printf -- '---\nAbout %s.\n' "$1"
	} >"$tmp/events/$1.md"
}

event long-past "$(day '400 days ago')" "$(day '399 days ago')"
event just-past "$(day '20 days ago')" "$(day '19 days ago')"
event upcoming "$(day '30 days')" "$(day '31 days')"
event ended-series "$(day '900 days ago')" "$(day '900 days ago')" \
	"FREQ=YEARLY;COUNT=2"
event running-series "$(day '900 days ago')" "$(day '900 days ago')" \
	"FREQ=YEARLY;UNTIL=$(date -u -d '300 days' +%Y%m%d)"
event endless-series "$(day '2000 days ago')" "$(day '2000 days ago')" \
	"FREQ=MONTHLY"

# Which of the events each calendar lists, by title, sorted.
titles()
{
	"$py" - "$1" <<'EOF'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print(" ".join(sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))))
EOF
}

jcal_titles()
{
	"$py" - "$1" <<'EOF'
import json, sys
cal = json.load(open(sys.argv[1]))
names = []
for comp in cal[2]:
    if comp[0] == "vevent":
        names += [p[3] for p in comp[1] if p[0] == "summary"]
print(" ".join(sorted(names)))
EOF
}

all="ended-series endless-series just-past long-past running-series upcoming"
kept="endless-series just-past running-series upcoming"

# build_expect WHAT EXPECTED: a build from a fresh state, then the titles
# in calendar.ics.
build_expect()
{
	rm -rf "$tmp/public" "$tmp/state.db"*
	"$EVFEED" build --config "$tmp/evfeed.conf" >"$tmp/out" 2>"$tmp/err"
	ok $? "build $1"
	diag_file "$tmp/err"
	got=$(titles "$tmp/public/calendar.ics")
	test "$got" = "$2"
	ok $? "$1, calendar.ics holds $2"
}

write_config "$tmp" "$tmp/events"
build_expect "without past_days" "$all"

sed 's/^\[feeds\]$/[feeds]\npast_days=365/' "$tmp/evfeed.conf" >"$tmp/c" &&
	mv "$tmp/c" "$tmp/evfeed.conf"
build_expect "with past_days=365 (what ended over 365 days ago left out)" "$kept"
got=$(titles "$tmp/public/category/kept-or-not/calendar.ics")
test "$got" = "$kept"
ok $? "so does the category's calendar.ics ($got)"
got=$(jcal_titles "$tmp/public/calendar.json")
test "$got" = "$kept"
ok $? "so does calendar.json, which is calendar.ics as JSON ($got)"
test -f "$tmp/public/events/long-past.ics" &&
	test -f "$tmp/public/events/ended-series.ics"
ok $? "events long past keep their own calendars"
grep -q '>long-past<' "$tmp/public/rss.xml" &&
	grep -q '>long-past<' "$tmp/public/atom.xml" &&
	grep -q 'long-past' "$tmp/public/archive.html"
ok $? "and stay in the feeds and on the archive page"
"$py" "$top_srcdir/tests/clients/check_ics.py" "$tmp/public/calendar.ics" \
	>"$tmp/check" 2>&1
ok $? "the shorter calendar.ics still passes python3-icalendar's checks"
diag_file "$tmp/check"

# A bad value is an error of the configuration.
for v in -1 36501 1.5 year; do
	sed "s/^past_days=.*/past_days=$v/" "$tmp/evfeed.conf" >"$tmp/bad.conf"
	"$EVFEED" check --config "$tmp/bad.conf" >"$tmp/out" 2>"$tmp/err"
	st=$?
	test $st -eq 1 && grep -q "error: \[feeds\] past_days: .*'$v'" "$tmp/err"
	ok $? "past_days=$v is refused (status $st)"
	diag_file "$tmp/err"
done

# A calendar over 1 MB: a warning, once, on the site's calendar.ics.
big=$(mktmp)
"$py" "$top_srcdir/bench/gen-events.py" 1500 "$big/events" >/dev/null 2>&1
write_config "$big" "$big/events"
(cd "$big" && "$EVFEED" build --config evfeed.conf) >"$big/out" 2>"$big/err"
st=$?
size=$(wc -c <"$big/public/calendar.ics")
test $st -eq 0 && test "$size" -gt 1000000 &&
	[ "$(grep -c 'Google Calendar' "$big/err")" = 1 ] &&
	grep -q '^public/calendar.ics: warning: [0-9.]* MB: Google Calendar leaves out events of subscribed calendars over about 1 MB.*set \[feeds\] past_days' "$big/err"
ok $? "a calendar.ics of $size bytes: one warning, naming the limit and past_days (status $st)"
diag_file "$big/err"
# The same events twelve years later, none of them past: past_days would
# leave out nothing, and is not the advice.
"$py" - "$big/events" <<'PY'
import os, re, sys
for name in os.listdir(sys.argv[1]):
    path = os.path.join(sys.argv[1], name)
    with open(path, encoding='utf-8') as f:
        text = f.read()
    text = re.sub(r'^(start|end): (\d{4})',
                  lambda m: '%s: %d' % (m.group(1), int(m.group(2)) + 12),
                  text, flags=re.M)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
PY
rm -rf "$big/public" "$big/state.db"
(cd "$big" && "$EVFEED" build --config evfeed.conf) >"$big/out" 2>"$big/err"
st=$?
test $st -eq 0 &&
	grep -q '^public/calendar.ics: warning: [0-9.]* MB: Google Calendar leaves out events of subscribed calendars over about 1 MB.*list fewer events in one calendar' "$big/err" &&
	! grep -q 'past_days' "$big/err"
ok $? "a large calendar of events to come: the advice is not past_days (status $st)"
diag_file "$big/err"
test "$(wc -c <"$tmp/public/calendar.ics")" -lt 1000000 &&
	! grep -q 'Google' "$tmp/err"
ok $? "a small calendar brings no such warning"
! grep -q 'feed validators' "$big/err" "$tmp/err"
ok $? "feeds under 2 MB bring no warning about their size"

# Feeds over 2 MB, which feed validators refuse: three events of 0.9 MB
# (each within the 1 MiB an event's description may have).
large=$(mktmp)
mkdir "$large/events"
for n in 1 2 3; do
	{
		printf -- '---\ntitle: Long report %s\nstart: 2018-06-1%s\n---\n' "$n" "$n"
		i=0
		while [ $i -lt 2900 ]; do
			printf 'Paragraph %s of a long report, with enough words in it to make the whole description nearly a megabyte long, as a pasted report can be. The rest of the line repeats it: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n\n' "$i"
			i=$((i + 1))
		done
	} >"$large/events/report-$n.md"
done
write_config "$large" "$large/events"
(cd "$large" && "$EVFEED" build --config evfeed.conf) >"$large/out" 2>"$large/err"
st=$?
size=$(wc -c <"$large/public/rss.xml")
test $st -eq 0 && test "$size" -gt 2000000 &&
	grep -q '^public/rss.xml: warning: [0-9.]* MB: feed validators .* refuse a feed over 2 MB; lower \[feeds\] max_items (now 50)' "$large/err" &&
	grep -q '^public/atom.xml: warning: [0-9.]* MB: feed validators' "$large/err"
ok $? "an rss.xml of $size bytes: a warning for it and for atom.xml, naming max_items (status $st)"
diag_file "$large/err"

# An event that leaves the calendars as time passes changes them: their
# LAST-MODIFIED moves forward to when it left (its end, past_days=0),
# which clients and caches take as their last change.
soon=$(mktmp)
mkdir "$soon/events"
end=$(date -u -d '4 seconds' +%Y-%m-%dT%H:%M:%SZ)
printf -- '---\ntitle: Ending soon\nstart: %s\nend: %s\n---\nB.\n' \
	"$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)" "$end" >"$soon/events/soon.md"
printf -- '---\ntitle: Far ahead\nstart: 2031-01-01\n---\nB.\n' >"$soon/events/far.md"
write_config "$soon" "$soon/events"
sed 's/^\[feeds\]$/[feeds]\npast_days=0/' "$soon/evfeed.conf" >"$soon/c" &&
	mv "$soon/c" "$soon/evfeed.conf"
cal_modified()
{
	tr -d '\r' <"$soon/public/$1" | sed -n 's/^LAST-MODIFIED://p' | head -n 1
}
"$EVFEED" build --config "$soon/evfeed.conf" >/dev/null 2>"$soon/err1"
m1=$(cal_modified calendar.ics)
t1=$(titles "$soon/public/calendar.ics")
while [ "$(date -u +%s)" -le "$(date -u -d "$end" +%s)" ]; do
	sleep 1
done
"$EVFEED" build --config "$soon/evfeed.conf" >/dev/null 2>"$soon/err2"
m2=$(cal_modified calendar.ics)
t2=$(titles "$soon/public/calendar.ics")
want=$(date -u -d "$end" +%Y%m%dT%H%M%SZ)
test "$t1" = "Ending soon Far ahead" && test "$t2" = "Far ahead" &&
	test -n "$m1" && expr "$m2" \> "$m1" >/dev/null && test "$m2" = "$want"
ok $? "an event that leaves calendar.ics as time passes moves its LAST-MODIFIED to when it left ($m1 -> $m2, ended $want)" ||
	{ diag "$t1 / $t2"; diag_file "$soon/err2"; }

done_testing
