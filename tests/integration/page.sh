#!/bin/sh
# page.sh: the subscriber page, served by `evfeed serve`, checked in
# headless Chromium by tests/browser/page-test.js: no horizontal scrolling
# at 1280 and 390 pixels, subscribe and autodiscovery links, h-event
# properties against calendar.ics, keyboard focus, landmarks and contrast.
# The screenshots stay in tests/artefacts of the build folder.
#
# Needs Debian's chromium, node, and playwright-core and ical.js installed
# with npm -g: tools/install-deps installs them all. Without them the
# script fails; it never skips.
#
# Environment (besides make check's): NODE, NODE_PATH (default
# $(npm root -g)), CHROMIUM (default /usr/bin/chromium).
. "$top_srcdir/tests/integration/lib.sh"

NODE=${NODE:-node}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -z "${NODE_PATH:-}" ]; then
	NODE_PATH=$(npm root -g 2>/dev/null) || NODE_PATH=
fi
export NODE_PATH CHROMIUM
artefacts=${G_TEST_BUILDDIR:-.}/artefacts
tmp=$(mktmp)

missing=
if [ ! -x "$CHROMIUM" ]; then
	missing="$missing $CHROMIUM"
fi
for m in playwright-core ical.js; do
	if ! "$NODE" -e "require('$m')" >"$tmp/node.err" 2>&1; then
		missing="$missing $m"
		diag_file "$tmp/node.err"
	fi
done
if [ -n "$missing" ]; then
	fail "the browser test has what it needs (missing:$missing; run tools/install-deps)"
	done_testing
fi
pass "chromium, playwright-core and ical.js are there"

# The sample listings are from 2018, so past; three more, next year, give
# the page upcoming events: all-day, timed in a zone and cancelled, and one
# with words and URLs too long for a phone's width.
mkdir "$tmp/events"
cp "$top_srcdir"/feeds/events/*.md "$tmp/events/"
next=$(($(date -u +%Y) + 1))
cat >"$tmp/events/$next-03-10-border-security-workshop.md" <<EOF
---
title: Workshop on Border Security and Migration
start: $next-03-10
end: $next-03-12
location: Skopje, North Macedonia
organizer: [OSCE, UNODC]
categories: [workshop, border management]
url: https://www.osce.org/
---
Three days on **border security**, with the [programme](https://www.osce.org/).
EOF
cat >"$tmp/events/$next-03-20-police-cooperation-briefing.md" <<EOF
---
title: Briefing on Regional Police Cooperation
start: $next-03-20T10:00
end: $next-03-20T12:00
timezone: Europe/Ljubljana
location: Ljubljana, Slovenia
organizer: Regional Police Cooperation Council
categories: [briefing, policing]
status: cancelled
---
Called off; the briefing moves to the autumn.
EOF
cat >"$tmp/events/$next-04-02-long-words.md" <<EOF
---
title: Interdisciplinaryconferenceoncounteringtransnationalorganisedcrimeinsoutheasterneurope
start: $next-04-02T09:00
end: $next-04-03T17:00
timezone: Europe/Ljubljana
location: Cankarjev-dom-Cultural-and-Congress-Centre-Prešernova-cesta-10-Ljubljana
organizer: University of Maribor, Faculty of Criminal Justice and Security
categories: [conference]
url: https://www.fvv.um.si/en/a/very/long/path/to/the/programme/of/the/conference/that/must/wrap
---
The programme: <https://www.fvv.um.si/en/a/very/long/path/to/the/programme/of/the/conference/that/must/wrap/on/a/phone>
EOF
write_config "$tmp" "$tmp/events"

"$EVFEED" serve --config "$tmp/evfeed.conf" --listen 127.0.0.1:0 \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
# The server must stop even if this script dies.
trap 'kill -9 $pid 2>/dev/null; _tap_cleanup' EXIT

i=0
while ! grep -q '^Calendar:' "$tmp/out" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
base=$(sed -n 's|^Calendar: *\(http://[^/]*\)/calendar.ics$|\1|p' "$tmp/out")
if [ -z "$base" ]; then
	diag_file "$tmp/err"
	bail_out "evfeed serve did not start"
fi
diag "serving at $base"

mkdir -p "$artefacts"
rm -f "$artefacts"/*.png
with_timeout 300 "$NODE" "$top_srcdir/tests/browser/page-test.js" \
	"$base/" "$artefacts" >"$tmp/page.out" 2>"$tmp/page.err"
status=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) pass "${line#ok - }" ;;
	"not ok - "*) fail "${line#not ok - }" ;;
	"# "*) echo "$line" ;;
	*) diag "$line" ;;
	esac
done <"$tmp/page.out"
test "$status" -eq 0
ok $? "page-test.js ran to the end (exit status $status)"
if [ "$status" -ne 0 ]; then
	diag_file "$tmp/page.err"
fi
test -s "$artefacts/page-1280.png" && test -s "$artefacts/page-390.png"
ok $? "screenshots kept in $artefacts"

kill -TERM $pid
wait $pid
ok $? "SIGTERM: exit status 0"
trap _tap_cleanup EXIT
done_testing
