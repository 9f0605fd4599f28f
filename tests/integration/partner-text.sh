#!/bin/sh
# partner-text.sh: what a site publishes of partners' text and of the
# partners themselves, end to end: `evfeed fetch` of an RSS feed and of a
# calendar served on 127.0.0.1 (tests/data/import/partner-text/), whose
# text was encoded twice on its way ("CafÃ©": UTF-8 read as Latin-1), then
# `evfeed build`.
#
# Every output shows the mended text ("Café Forum in Zürich", "Déjà vu"),
# and none the broken one: calendar.ics, the events' own .ics files, the
# source's calendar, calendar.json, feed.json, the page, rss.xml and
# atom.xml. A second build of the same items changes nothing (their
# fingerprints are of the mended text, so their SEQUENCE stays).
#
# The feeds name each partner's feed as it may be published: the RSS
# source, fetched with a user name and password, as the self link of its
# Atom <source> (typed application/rss+xml) and as the url of its RSS
# <source>, without the password; the calendar source, whose link= is its
# home page, by that page alone (rel="alternate"), its address never.
# rss.xml and atom.xml pass tests/clients/check_feeds.py.
#
# Two more partners, an RSS feed and a calendar, are fetched from a secret
# address (a key in its path) and have link= set: their relative links,
# which would resolve against that address, are published as text, and
# no output holds the key; their absolute links stay.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional PYTHON3,
# XMLLINT. EVFEED_KEEP_TMP=1 keeps the temporary folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
PYTHON3=${PYTHON3:-/usr/bin/python3}
XMLLINT=${XMLLINT:-xmllint}

"$PYTHON3" -c 'import http.server' >/dev/null 2>&1 ||
	skip_all "no python3 ($PYTHON3) to serve the partners' files"

tmp=$(mktmp)
conf=$tmp/evfeed.conf
pub=$tmp/public
mkdir "$tmp/events" "$tmp/www" || bail_out "cannot make folders in $tmp"
cp "$top_srcdir/tests/data/import/partner-text/twice.rss" \
	"$top_srcdir/tests/data/import/partner-text/twice.ics" "$tmp/www/" ||
	bail_out "cannot copy the fixtures"
mkdir "$tmp/www/private-k3y" || bail_out "cannot make folders in $tmp"
cat >"$tmp/www/private-k3y/keyed.rss" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Keyed</title><link>https://keyed.example/</link>
<description>Keyed listings</description>
<item><title>Keyed Forum</title><link>events/42.html</link>
<guid isPermaLink="false">keyed-forum</guid>
<pubDate>Mon, 01 Nov 2027 09:00:00 +0000</pubDate>
<description>&lt;p&gt;The &lt;a href="programme.pdf"&gt;programme&lt;/a&gt;, the &lt;a href="/venue.html"&gt;venue&lt;/a&gt; and the &lt;a href="https://keyed.example/full"&gt;full notice&lt;/a&gt;.&lt;/p&gt;</description>
</item></channel></rss>
EOF
printf '%s\r\n' 'BEGIN:VCALENDAR' 'VERSION:2.0' 'PRODID:-//Keyed//EN' \
	'BEGIN:VEVENT' 'UID:keyed-seminar@keyed.example' 'DTSTAMP:20271101T090000Z' \
	'DTSTART:20271202T090000Z' 'DTEND:20271202T120000Z' 'SUMMARY:Keyed Seminar' \
	'URL:events/43.html' 'DESCRIPTION:See the programme.' \
	'X-ALT-DESC;FMTTYPE=text/html:<p>See the <a href="programme.pdf">programme</a> and the <a href="https://keyed.example/seminar">notice</a>.</p>' \
	'END:VEVENT' 'END:VCALENDAR' >"$tmp/www/private-k3y/keyed.ics"

file_server "$tmp/www"

write_config "$tmp" "$tmp/events"
cat >>"$conf" <<EOF

[source twice]
title=Twice
url=http://evfeed:s3cret-pw@127.0.0.1:$port/twice.rss
format=rss

[source cal]
title=Cal
url=$base/twice.ics
link=https://partner.example/
format=ics

[source keyedrss]
url=$base/private-k3y/keyed.rss
link=https://keyed.example/
format=rss

[source keyedics]
url=$base/private-k3y/keyed.ics
link=https://keyed.example/
format=ics
EOF

with_timeout 120 "$EVFEED" fetch --config "$conf" >"$tmp/fetch.out" \
	2>"$tmp/fetch.err" </dev/null
rc=$?
test "$rc" -eq 0
ok $? "evfeed fetch of both sources succeeds (exit $rc)" ||
	diag_file "$tmp/fetch.err"

with_timeout 120 "$EVFEED" build --config "$conf" >"$tmp/build.out" \
	2>"$tmp/build.err" </dev/null
rc=$?
test "$rc" -eq 0
ok $? "evfeed build succeeds (exit $rc)" || diag_file "$tmp/build.err"

# texts MODE FILE: FILE, as its readers see its text (iCalendar unfolded
# and unescaped, JSON decoded, XML and HTML references resolved), shows
# nothing encoded twice ("Ã", "Â") and, with MODE all, both partners'
# mended texts, with MODE one, one partner's title mended; else says what
# it shows.
texts()
{
	"$PYTHON3" - "$@" <<'EOF'
import html, json, re, sys
mode, path = sys.argv[1], sys.argv[2]
titles = ["Caf\u00e9 Forum in Z\u00fcrich", "Caf\u00e9 Seminar in K\u00f6ln"]
others = ["Cr\u00e8me br\u00fbl\u00e9e", "D\u00e9j\u00e0 vu"]
text = open(path, encoding="utf-8").read()
if path.endswith(".ics"):
    text = re.sub(r"\r?\n[ \t]", "", text)
    text = re.sub(r"\\([,;\\])", r"\1", text)
elif path.endswith(".json"):
    text = json.dumps(json.loads(text), ensure_ascii=False)
else:
    text = html.unescape(html.unescape(text))
status = 0
if mode == "all":
    for w in titles + others:
        if w not in text:
            print("# %s: no %r" % (path, w))
            status = 1
elif not any(w in text for w in titles):
    print("# %s: neither title mended" % path)
    status = 1
for bad in ("\u00c3", "\u00c2"):
    i = text.find(bad)
    if i >= 0:
        print("# %s: %r" % (path, text[max(0, i - 30):i + 30]))
        status = 1
sys.exit(status)
EOF
}

for f in calendar.ics calendar.json feed.json index.html rss.xml atom.xml; do
	if [ -f "$pub/$f" ]; then
		texts all "$pub/$f"
		ok $? "$f shows the partners' text mended, and none encoded twice"
	else
		fail "$f shows the partners' text mended (no $f)"
	fi
done
n=0
for f in "$pub"/events/twice-*.ics "$pub"/events/cal-*.ics \
	"$pub"/source/twice/calendar.ics "$pub"/source/cal/calendar.ics; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	texts one "$f"
	ok $? "${f#"$pub"/} shows its text mended, and none encoded twice"
done
test "$n" -eq 4
ok $? "both partner items have their own .ics, both sources a calendar ($n)"

# The partner's feed changes elsewhere (a new body, parsed again): the
# items' fingerprints are of the mended text, so they did not change, and
# neither does the calendar, nor any SEQUENCE.
# edit_and_build N SED: the partner's feed edited by SED (a new modification
# time, later with each N), then fetched and built; the build's status.
edit_and_build()
{
	sed "$2" "$tmp/www/twice.rss" >"$tmp/www/twice.new" &&
		mv "$tmp/www/twice.new" "$tmp/www/twice.rss" &&
		touch -d "@$(($(date +%s) + 60 * $1))" "$tmp/www/twice.rss"
	with_timeout 120 "$EVFEED" fetch --config "$conf" >"$tmp/fetch$1.out" \
		2>"$tmp/fetch$1.err" </dev/null
	with_timeout 120 "$EVFEED" build --config "$conf" >"$tmp/build$1.out" \
		2>"$tmp/build$1.err" </dev/null
}
cp "$pub/calendar.ics" "$tmp/calendar.1"
edit_and_build 2 's|<description>A partner|<description>Still a partner|'
rc=$?
test "$rc" -eq 0
ok $? "a fetch of a new body and a build succeed (exit $rc)" ||
	diag_file "$tmp/build2.err"
# (the two partners' items and the keyed calendar's, below)
test "$(grep -c '^SEQUENCE:0' "$pub/calendar.ics")" -eq 3 &&
	cmp -s "$tmp/calendar.1" "$pub/calendar.ics"
ok $? "then calendar.ics is the same, each event at SEQUENCE 0" ||
	diff "$tmp/calendar.1" "$pub/calendar.ics" | sed 's/^/# /'

# The partner dates its item anew, as feeds made on each request do, and
# changes nothing else: no new SEQUENCE, LAST-MODIFIED or feed update.
cp "$pub/rss.xml" "$tmp/rss.1"
cp "$pub/atom.xml" "$tmp/atom.1"
edit_and_build 3 's|<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate>|<pubDate>Sat, 04 Dec 2027 10:00:00 GMT</pubDate>|'
grep -q 'Sat, 04 Dec 2027' "$tmp/www/twice.rss" &&
	cmp -s "$tmp/calendar.1" "$pub/calendar.ics" &&
	cmp -s "$tmp/rss.1" "$pub/rss.xml" && cmp -s "$tmp/atom.1" "$pub/atom.xml"
ok $? "the item dated anew, nothing else changed: the calendar and feeds are the same" ||
	{ diff "$tmp/calendar.1" "$pub/calendar.ics" | sed 's/^/# /'; diag_file "$tmp/build3.err"; }

# --------------------------------------------------- the partners named

grep -qF "<link rel=\"self\" type=\"application/rss+xml\" href=\"$base/twice.rss\"/>" \
	"$pub/atom.xml"
ok $? "atom.xml: the RSS partner's <source> self link is its feed, typed"
grep -qF "<source url=\"$base/twice.rss\">Twice</source>" "$pub/rss.xml"
ok $? "rss.xml: the RSS partner's <source url> is its feed"
grep -qF '<link rel="alternate" href="https://partner.example/"/>' \
	"$pub/atom.xml"
ok $? "atom.xml: the calendar partner's <source> links its home page"
grep -rlF "s3cret" "$pub" >"$tmp/leaks"
test ! -s "$tmp/leaks"
ok $? "no output holds the RSS partner's password" || diag_file "$tmp/leaks"
grep -rlF "twice.ics" "$pub" >"$tmp/leaks"
test ! -s "$tmp/leaks"
ok $? "no output holds the address of the calendar partner, which has link=" ||
	diag_file "$tmp/leaks"
grep -rlF "private-k3y" "$pub" >"$tmp/leaks"
test ! -s "$tmp/leaks"
ok $? "no output holds the key in the path of partners with link=, relative links and all" ||
	diag_file "$tmp/leaks"
grep -qF 'Keyed Forum' "$pub/rss.xml" &&
	grep -qF 'Keyed Seminar' "$pub/calendar.ics" &&
	grep -qF 'href="https://keyed.example/full"' "$pub/index.html" &&
	grep -qF 'href="https://keyed.example/seminar"' "$pub/index.html" &&
	grep -qF 'The programme, the venue and the' "$pub/index.html"
ok $? "their items are published, with their absolute links, and relative ones as text"

# link= set on a source whose items were read without it: they are read
# again from a whole body (no If-Modified-Since, which would get a 304 and
# keep the links resolved against the secret address).
late=$tmp/late
mkdir -p "$late/events"
write_config "$late" "$late/events"
cat >>"$late/evfeed.conf" <<EOF

[source keyedrss]
url=$base/private-k3y/keyed.rss
format=rss
EOF
with_timeout 120 "$EVFEED" fetch --config "$late/evfeed.conf" >/dev/null 2>&1 &&
	with_timeout 120 "$EVFEED" build --config "$late/evfeed.conf" >/dev/null 2>&1 &&
	grep -qF "private-k3y" "$late/public/rss.xml"
ok $? "without link=, the relative links resolve against the address (the key shows)"
echo "link=https://keyed.example/" >>"$late/evfeed.conf"
with_timeout 120 "$EVFEED" fetch --config "$late/evfeed.conf" >/dev/null 2>"$late/fetch.err" &&
	with_timeout 120 "$EVFEED" build --config "$late/evfeed.conf" >/dev/null 2>&1
grep -rlF "private-k3y" "$late/public" >"$tmp/leaks"
test ! -s "$tmp/leaks" && grep -qF 'Keyed Forum' "$late/public/rss.xml"
ok $? "link= set then: the items are read again, and no output holds the key" ||
	diag_file "$tmp/leaks"

if "$PYTHON3" -c 'import feedparser' >/dev/null 2>&1; then
	"$PYTHON3" "$top_srcdir/tests/clients/check_feeds.py" \
		--rss "$pub/rss.xml" --atom "$pub/atom.xml" \
		--self-rss https://events.example.org/rss.xml \
		--self-atom https://events.example.org/atom.xml \
		--xmllint "$XMLLINT" \
		--atom-rng "$top_srcdir/tests/data/atom.rng" >"$tmp/feeds.out" 2>&1
	ok $? "rss.xml and atom.xml pass check_feeds.py" ||
		diag_file "$tmp/feeds.out"
else
	skip "rss.xml and atom.xml pass check_feeds.py" "no feedparser"
fi

# serve's log, outside the journal and in this C locale: a partner's title
# in a warning keeps its characters, as evfeed's other lines do (GLib's
# writer made each that is not ASCII a '?').
printf '%s\r\n' 'BEGIN:VCALENDAR' 'VERSION:2.0' 'PRODID:-//Log//EN' \
	'BEGIN:VEVENT' 'UID:log-1@log.example' 'DTSTAMP:20271101T090000Z' \
	'DTSTART:20271203T090000Z' 'DTEND:20271203T120000Z' \
	'SUMMARY:Tagung für Çalıştay' 'URL:javascript:alert(1)' \
	'END:VEVENT' 'END:VCALENDAR' >"$tmp/www/log.ics"
lg=$tmp/log
mkdir -p "$lg/events"
write_config "$lg" "$lg/events"
printf '\n[source log]\nurl=%s/log.ics\nformat=ics\n' "$base" >>"$lg/evfeed.conf"
if serve_start "$lg/evfeed.conf" "$lg/out" "$lg/err"; then
	wait_until 30 grep -q 'javascript:alert' "$lg/err"
	serve_stop
	grep -q "WARNING \*\*: [0-9:.]*: source log: .*(\"Tagung für Çalıştay\"): URL 'javascript:alert(1)'" "$lg/err" &&
		! grep -q 'f?r' "$lg/err"
	ok $? "serve's warnings keep a partner's title in UTF-8, in a C locale" ||
		diag_file "$lg/err"
else
	fail "serve's warnings keep a partner's title in UTF-8, in a C locale"
	diag_file "$lg/err"
fi

done_testing
