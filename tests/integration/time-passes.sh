#!/bin/sh
# time-passes.sh: what is past is judged at the time of the build, not at
# the site's last change, so that a site without edits does not keep an
# ended event under "upcoming": `evfeed build` (as from cron) moves it to
# the archive once it has ended, and builds before that are skipped with
# the same bytes; `evfeed serve` builds again by itself when it ends, and
# serves the new page.
. "$top_srcdir/tests/integration/lib.sh"

slow=1
[ -n "${EVFEED_SLOW:-}" ] && slow=10

CURL=${CURL:-curl}
tmp=$(mktmp)
trap '[ -n "${serve_pid:-}" ] && kill -9 "$serve_pid" 2>/dev/null; _tap_cleanup' EXIT

# site DIR SECONDS: a site in DIR with an event that started an hour ago and
# ends SECONDS from now, and one far ahead.
site()
{
	mkdir -p "$1/events"
	printf -- '---\ntitle: Ending soon\nstart: %s\nend: %s\n---\nBody.\n' \
		"$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)" \
		"$(date -u -d "$2 seconds" +%Y-%m-%dT%H:%M:%SZ)" \
		>"$1/events/soon.md"
	printf -- '---\ntitle: Far ahead\nstart: 2031-01-01\n---\n' \
		>"$1/events/far.md"
	write_config "$1" "$1/events"
}

# where DIR: "upcoming", "past", "both" or "none", as the pages in the
# output folder DIR list the ending event.
where()
{
	_u=$(grep -c '>Ending soon<' "$1/index.html")
	_p=$(grep -c '>Ending soon<' "$1/archive.html")
	case "$_u$_p" in
	[1-9]0) echo upcoming ;;
	0[1-9]) echo past ;;
	00) echo none ;;
	*) echo both ;;
	esac
}

wait_s=$((4 * slow))
site "$tmp/cron" "$wait_s"
"$EVFEED" build --config "$tmp/cron/evfeed.conf" >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 && test "$(where "$tmp/cron/public")" = upcoming
ok $? "build: an event not ended yet is upcoming (status $st)"
tree_sums "$tmp/cron/public" >"$tmp/before"
"$EVFEED" build --config "$tmp/cron/evfeed.conf" >"$tmp/out" 2>&1 &&
	grep -q 'nothing changed' "$tmp/out" &&
	tree_sums "$tmp/cron/public" | cmp -s - "$tmp/before"
ok $? "build again before it ends: skipped, the same bytes" || diag_file "$tmp/out"
sleep $((wait_s + 1))
"$EVFEED" build --config "$tmp/cron/evfeed.conf" >"$tmp/out" 2>&1 &&
	test "$(where "$tmp/cron/public")" = past &&
	grep -q 'archive.html#soon' "$tmp/cron/public/rss.xml" &&
	grep -q 'Last change to these listings' "$tmp/cron/public/index.html"
ok $? "build after it ended, without an edit: the event is past, the feeds link to the archive" ||
	diag_file "$tmp/out"
tree_sums "$tmp/cron/public" >"$tmp/before"
"$EVFEED" build --config "$tmp/cron/evfeed.conf" >"$tmp/out" 2>&1 &&
	grep -q 'nothing changed' "$tmp/out" &&
	tree_sums "$tmp/cron/public" | cmp -s - "$tmp/before"
ok $? "and again: nothing changed"

# The daemon, with nothing else happening: no edit, no partner.
wait_s=$((6 * slow))
site "$tmp/daemon" "$wait_s"
if serve_start "$tmp/daemon/evfeed.conf" "$tmp/sout" "$tmp/serr"; then
	"$CURL" -s "$base/index.html" >"$tmp/page1"
	grep -q '>Ending soon<' "$tmp/page1"
	ok $? "serve: the event not ended yet is on the page of upcoming events"
	archived()
	{
		"$CURL" -s "$base/archive.html" | grep -q '>Ending soon<' &&
			! "$CURL" -s "$base/index.html" | grep -q '>Ending soon<'
	}
	wait_until $((wait_s + 10 * slow)) archived
	ok $? "serve: once it has ended, it is served among the past events, without an edit" ||
		diag_file "$tmp/serr"
	test "$(where "$tmp/daemon/public")" = past
	ok $? "serve: and the output folder says so too"
	# An event to be published a few seconds from now: an error until
	# then, which time alone mends; the daemon builds again at that
	# time, without an edit.
	ahead=$(date -u -d "$((3 * slow)) seconds" +%Y-%m-%dT%H:%M:%SZ)
	printf -- '---\ntitle: Announced later\nstart: 2031-02-01\npublished: %s\n---\n' \
		"$ahead" >"$tmp/daemon/events/later.md"
	wait_until $((10 * slow)) grep -q 'published: in the future' "$tmp/serr" &&
		grep -q "error in the events; still serving the previous version, building again at $ahead" "$tmp/serr"
	ok $? "serve: a publication date ahead is an error, and says when it builds again" ||
		diag_file "$tmp/serr"
	announced()
	{
		"$CURL" -s "$base/calendar.ics" | grep -q '^SUMMARY:Announced later'
	}
	wait_until $((10 * slow)) announced
	ok $? "serve: at the publication date it builds again and publishes the event, without an edit" ||
		diag_file "$tmp/serr"
	serve_stop
	test "$serve_status" -eq 0
	ok $? "serve stops with status 0"
else
	diag_file "$tmp/serr"
	fail "evfeed serve did not start"
fi

# A clock that ran ahead and was set back (by hand, or by NTP): what a build
# at the later time judged past may not have ended yet. The next build is
# not skipped, and serve, which hears the clock step back, builds again.
# libfaketime (tools/install-deps installs it) moves the clock; its file
# times are left alone (NO_FAKE_STAT), since a build's skip test reads them.
# Preloaded before the sanitizers' runtime, which allows it as for
# shim_run (lib.sh).
preload_ok="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
faketime_lib=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -n 1)
if [ -z "$faketime_lib" ]; then
	fail "libfaketime is not installed: run tools/install-deps"
else
	cb=$tmp/clock-back
	mkdir -p "$cb/events"
	printf -- '---\ntitle: Ending soon\nstart: %s\nend: %s\n---\nTomorrow.\n' \
		"$(date -u -d '1 day' +%Y-%m-%dT%H:%M:%SZ)" \
		"$(date -u -d '1 day 1 hour' +%Y-%m-%dT%H:%M:%SZ)" \
		>"$cb/events/soon.md"
	printf -- '---\ntitle: Far ahead\nstart: 2031-01-01\n---\n' >"$cb/events/far.md"
	write_config "$cb" "$cb/events"
	"$EVFEED" build --config "$cb/evfeed.conf" >"$cb/out1" 2>&1
	st1=$?
	w1=$(where "$cb/public")
	# (libfaketime preloaded, not its faketime wrapper, whose named
	# semaphore, left by an earlier run of the same process id, made
	# it refuse to run: "sem_open: File exists")
	FAKETIME='+2d' NO_FAKE_STAT=1 LD_PRELOAD=$faketime_lib \
		ASAN_OPTIONS=$preload_ok \
		"$EVFEED" build --config "$cb/evfeed.conf" \
		>"$cb/out2" 2>&1
	st2=$?
	w2=$(where "$cb/public")
	"$EVFEED" build --config "$cb/evfeed.conf" >"$cb/out" 2>&1
	st3=$?
	w3=$(where "$cb/public")
	test $st1 -eq 0 && test "$w1" = upcoming && test $st2 -eq 0 &&
		test "$w2" = past && test $st3 -eq 0 && test "$w3" = upcoming
	ok $? "build: after a build two days ahead, one at the right time lists the event as upcoming again" || {
		diag "the three builds: status $st1, $st2, $st3; the event $w1, $w2, $w3"
		diag_file "$cb/out1"
		diag_file "$cb/out2"
		diag_file "$cb/out"
	}

	# serve, its clock two days ahead, then set back
	rm -rf "$cb/public" "$cb/state.db" "$cb/state.db-wal" "$cb/state.db-shm"
	echo '+2d' >"$cb/offset"
	FAKETIME_TIMESTAMP_FILE=$cb/offset FAKETIME_NO_CACHE=1 NO_FAKE_STAT=1 \
		FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD=$faketime_lib \
		ASAN_OPTIONS=$preload_ok \
		"$EVFEED" serve --config "$cb/evfeed.conf" --listen 127.0.0.1:0 \
		>"$cb/sout" 2>"$cb/serr" </dev/null &
	serve_pid=$!
	is_past() { test "$(where "$cb/public")" = past; }
	is_upcoming() { test "$(where "$cb/public")" = upcoming; }
	if serve_wait "$cb/sout" "$serve_pid" 60 &&
		wait_until $((10 * slow)) is_past; then
		echo '+0' >"$cb/offset"
		wait_until $((20 * slow)) is_upcoming &&
			grep -q 'and what is past is judged again' "$cb/serr"
		ok $? "serve: its clock set back two days, it builds again and lists the event as upcoming" ||
			diag_file "$cb/serr"
		serve_stop
	else
		fail "serve with its clock two days ahead lists the event as past"
		diag_file "$cb/serr"
		serve_stop
	fi
fi

# A listing first seen by a build at the very second of its published:
# (a clock held at a scheduled time, as a test harness holds it) is no
# listing published before: no warning that readers were told of it
# earlier. Its first-seen time is counted back from the build's, a
# millisecond for each new listing, and so falls just before it.
if [ -n "$faketime_lib" ]; then
	ps=$tmp/published-now
	mkdir -p "$ps/events"
	printf -- '---\ntitle: Other new event\nstart: 2027-12-01\nuid: zzz-other\n---\nB\n' \
		>"$ps/events/other.md"
	printf -- '---\ntitle: Scheduled\nstart: 2027-12-02\nuid: aaa-scheduled\npublished: 2027-09-05T08:00:00Z\n---\nB\n' \
		>"$ps/events/sched.md"
	write_config "$ps" "$ps/events"
	TZ=UTC FAKETIME='2027-09-05 08:00:00' LD_PRELOAD=$faketime_lib \
		ASAN_OPTIONS=$preload_ok \
		"$EVFEED" build --config "$ps/evfeed.conf" >"$ps/out" 2>&1 </dev/null
	st=$?
	# and none at the builds after it
	TZ=UTC FAKETIME='2027-09-05 08:05:00' LD_PRELOAD=$faketime_lib \
		ASAN_OPTIONS=$preload_ok \
		"$EVFEED" build --config "$ps/evfeed.conf" >>"$ps/out" 2>&1 </dev/null
	test "$st" -eq 0 && ! grep -q 'warning' "$ps/out" &&
		grep -q '<pubDate>Sun, 05 Sep 2027 08:00:00 +0000</pubDate>' "$ps/public/rss.xml" &&
		[ "$(tr -d '\r' <"$ps/public/events/sched.ics" | grep -E '^(CREATED|LAST-MODIFIED):' | sort | tr '\n' ' ')" = \
			"CREATED:20270905T080000Z LAST-MODIFIED:20270905T080000Z " ]
	ok $? "a new listing built at the second of its published: first seen and changed then, no warning that it was published before, then or later" ||
		{ diag_file "$ps/out"; diag_file "$ps/public/events/sched.ics"; }

	# A clock set back by less than an hour (NTP stepping it): the new
	# listing is dated after the last build's changes, so that feed
	# readers see it after them, ahead of the clock, and the operator is
	# told why (more than an hour is taken back, as tested above).
	cb2=$tmp/clock-behind
	mkdir -p "$cb2/events"
	printf -- '---\ntitle: First\nstart: 2027-12-01\n---\nB\n' >"$cb2/events/first.md"
	write_config "$cb2" "$cb2/events"
	TZ=UTC FAKETIME='2027-06-01 12:00:00' LD_PRELOAD=$faketime_lib \
		ASAN_OPTIONS=$preload_ok \
		"$EVFEED" build --config "$cb2/evfeed.conf" >"$cb2/out1" 2>&1 </dev/null
	printf -- '---\ntitle: Second\nstart: 2027-12-02\n---\nB\n' >"$cb2/events/second.md"
	TZ=UTC FAKETIME='2027-06-01 11:01:00' LD_PRELOAD=$faketime_lib \
		ASAN_OPTIONS=$preload_ok \
		"$EVFEED" build --config "$cb2/evfeed.conf" >"$cb2/out2" 2>&1 </dev/null
	st=$?
	test "$st" -eq 0 && ! grep -q warning "$cb2/out1" &&
		grep -q 'warning: the clock reads 2027-06-01T11:01:00Z, before the last change this state recorded: this build.s changes are dated after it, up to 2027-06-01T12:00:00Z, ahead of the clock' "$cb2/out2" &&
		grep -q '<pubDate>Tue, 01 Jun 2027 12:00:00 +0000</pubDate>' "$cb2/public/rss.xml"
	ok $? "a clock set back 59 minutes: the new listing dated after the last build's, and the operator told why" ||
		{ diag_file "$cb2/out1"; diag_file "$cb2/out2"; }

	# A clock reset to 1970 (no battery, not yet synchronised): every
	# command refuses to run, and says that the clock is wrong, not the
	# configuration's tag_date, which must never change.
	TZ=UTC FAKETIME='1970-01-01 00:01:00' LD_PRELOAD=$faketime_lib \
		ASAN_OPTIONS=$preload_ok \
		"$EVFEED" build --config "$ps/evfeed.conf" >"$ps/out1970" 2>&1 </dev/null
	st=$?
	test "$st" -eq 1 &&
		grep -q "tag_date: a date after today by the system clock, which is wrong (it reads a time before 2026): set the clock right" "$ps/out1970"
	ok $? "a clock reset to 1970: the build refuses to run and says the clock is wrong (status $st)" ||
		diag_file "$ps/out1970"
fi

# A partner's open daily series: its one feed item keeps the publication
# date of when the series was first seen, months on, as its early
# occurrences leave the window of the source's calendar; it had taken that
# of the earliest occurrence in the window, and climbed above a listing
# published after it. Fetched and built on days months apart (libfaketime).
PYTHON3=${PYTHON3:-/usr/bin/python3}
if [ -z "$faketime_lib" ] || ! "$PYTHON3" -c 'import http.server' 2>/dev/null; then
	fail "libfaketime or python3 is missing: run tools/install-deps"
else
	sr=$tmp/series
	mkdir -p "$sr/events" "$sr/www"
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partner//EN\r\nBEGIN:VEVENT\r\nUID:daily-1@partner.example\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270101T090000Z\r\nDTEND:20270101T093000Z\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Daily Partner Standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' \
		>"$sr/www/p.ics"
	file_server "$sr/www"
	write_config "$sr" "$sr/events"
	printf '\n[source part]\nurl=%s/p.ics\n' "$base" >>"$sr/evfeed.conf"
	# on_day DAY [DIR]: `evfeed fetch` and `evfeed build` of the site in
	# DIR (default $sr) at 10:00 UTC on DAY
	on_day()
	{
		_od=${2:-$sr}
		for _cmd in fetch build; do
			TZ=UTC FAKETIME="@$1 10:00:00" LD_PRELOAD=$faketime_lib \
				ASAN_OPTIONS=$preload_ok \
				"$EVFEED" $_cmd --config "$_od/evfeed.conf" \
				>"$_od/$1.$_cmd" 2>&1 </dev/null ||
				diag_file "$_od/$1.$_cmd"
		done
	}
	# items: the RSS items' titles and pubDates, newest first
	items()
	{
		"$PYTHON3" -c '
import sys, xml.etree.ElementTree as ET
for i in ET.parse(sys.argv[1]).getroot().iter("item"):
    print(i.findtext("title"), "|", i.findtext("pubDate"))
' "$sr/public/rss.xml"
	}
	on_day 2027-02-01
	items >"$sr/first.items"
	printf -- '---\ntitle: New Workshop\nstart: 2027-09-01\n---\n' \
		>"$sr/events/workshop.md"
	on_day 2027-03-15
	on_day 2027-06-01
	on_day 2027-07-01
	items >"$sr/last.items"
	grep -q '^Daily Partner Standup | Mon, 01 Feb 2027 ' "$sr/first.items" &&
		grep -q '^Daily Partner Standup | Mon, 01 Feb 2027 ' "$sr/last.items"
	ok $? "a partner's series keeps the publication date of when it was first seen, months on" ||
		{ diag_file "$sr/first.items"; diag_file "$sr/last.items"; }
	test "$(sed -n 1p "$sr/last.items" | cut -d'|' -f1)" = 'New Workshop '
	ok $? "a listing published after the series stays above it" ||
		diag_file "$sr/last.items"
	# the source renamed, its url the same: the series' item keeps its
	# guid and date
	guids()
	{
		"$PYTHON3" -c '
import sys, xml.etree.ElementTree as ET
for i in ET.parse(sys.argv[1]).getroot().iter("item"):
    print(i.findtext("title"), "|", i.findtext("guid"), "|", i.findtext("pubDate"))
' "$sr/public/rss.xml"
	}
	guids >"$sr/before-rename.guids"
	sed 's/^\[source part\]$/[source partner]/' "$sr/evfeed.conf" \
		>"$sr/evfeed.conf.new" && mv "$sr/evfeed.conf.new" "$sr/evfeed.conf"
	on_day 2027-07-02
	guids >"$sr/after-rename.guids"
	grep '^Daily Partner Standup' "$sr/before-rename.guids" >"$sr/series.before" &&
		grep '^Daily Partner Standup' "$sr/after-rename.guids" >"$sr/series.after" &&
		cmp -s "$sr/series.before" "$sr/series.after"
	ok $? "a partner's series keeps its feed item's guid and date when its source is renamed" ||
		{ diag_file "$sr/before-rename.guids"; diag_file "$sr/after-rename.guids"; }

	# A weekly series of five: an occurrence moved, then cancelled. The
	# item's updated never goes back: it had gone back to before the
	# move, as the occurrence that had moved left the calendars.
	wk=$tmp/weekly
	mkdir -p "$wk/events"
	write_config "$wk" "$wk/events"
	printf '\n[source brief]\nurl=%s/w.ics\n' "$base" >>"$wk/evfeed.conf"
	# weekly EXTRA OVERRIDE: the partner's calendar, given a modification
	# time a minute after the last, so that the server does not answer
	# 304 to one rewritten within the same second
	wk_mtime=$(($(date +%s) + 60))
	weekly()
	{
		printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partner//EN\r\nBEGIN:VEVENT\r\nUID:s1@partner.example\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270301T090000Z\r\nDTEND:20270301T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\n%bSUMMARY:Weekly Briefing\r\nEND:VEVENT\r\n%bEND:VCALENDAR\r\n' \
			"$1" "$2" >"$sr/www/w.ics.new" &&
			touch -d "@$wk_mtime" "$sr/www/w.ics.new" &&
			mv "$sr/www/w.ics.new" "$sr/www/w.ics"
		wk_mtime=$((wk_mtime + 60))
	}
	# updated: the Atom updated of the series' item
	updated()
	{
		"$PYTHON3" -c '
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
for e in ET.parse(sys.argv[1]).getroot().iter(A + "entry"):
    print(e.findtext(A + "updated"))
' "$wk/public/atom.xml"
	}
	weekly "" ""
	on_day 2027-02-01 "$wk"
	weekly "" 'BEGIN:VEVENT\r\nUID:s1@partner.example\r\nDTSTAMP:20270102T000000Z\r\nSEQUENCE:1\r\nRECURRENCE-ID:20270315T090000Z\r\nDTSTART:20270315T130000Z\r\nDTEND:20270315T140000Z\r\nSUMMARY:Weekly Briefing (afternoon)\r\nEND:VEVENT\r\n'
	on_day 2027-02-02 "$wk"
	moved=$(updated)
	weekly 'EXDATE:20270315T090000Z\r\n' ""
	on_day 2027-02-03 "$wk"
	cancelled=$(updated)
	case $moved in
	2027-02-02T*) test "$cancelled" = "$moved" || expr "$cancelled" \> "$moved" >/dev/null ;;
	*) false ;;
	esac
	ok $? "a partner's series item's updated does not go back when an occurrence is cancelled ($moved, then $cancelled)" ||
		diag_file "$wk/public/atom.xml"
fi

done_testing

