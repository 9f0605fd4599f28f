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

done_testing
