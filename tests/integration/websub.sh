#!/bin/sh
# websub.sh: WebSub ([feeds] hub=URL) against the fixture hub of
# tests/integration/partner-server.py, which records every ping it gets.
#
# `evfeed serve` with a hub and a partner source:
#  - every feed (rss.xml, atom.xml, feed.json of the site, of each category
#    and of the source) names the hub, as feedparser reads it and in
#    feed.json's "hubs"; the feeds still pass xmllint with the Atom RELAX NG
#    schema, the W3C validator's rules (tests/clients/check_feeds.py) and
#    the JSON Feed rules;
#  - their 200, 304 and HEAD answers carry Link: <hub>; rel="hub",
#    <self>; rel="self"; no other file's do;
#  - the first build pings the hub once for every feed, each ping a POST of
#    application/x-www-form-urlencoded hub.mode=publish&hub.url=<feed URL>;
#  - a live edit of an event file pings, within a few seconds, exactly the
#    feeds whose bytes changed (the site's and its categories'), and not
#    the others;
#  - a rebuild whose files come out the same, a rewrite of a file with the
#    same bytes and a reload ping nothing;
#  - a hub answering 500 is logged and retried, the new feeds are served
#    meanwhile, and the retry succeeds once the hub recovers;
#  - a reload without the hub drops the links and the Link headers, and
#    an edit then pings nothing.
#
# `evfeed build` with a hub pings the feeds it wrote before it exits, none
# when nothing changed, only the changed ones after an edit, and a failing
# hub is a warning, not a failed build.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional PYTHON3,
# XMLLINT, CURL. EVFEED_KEEP_TMP=1 keeps the temporary folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
PYTHON3=${PYTHON3:-/usr/bin/python3}
CURL=${CURL:-curl}
XMLLINT=${XMLLINT:-xmllint}

# Under valgrind (make check-valgrind) everything takes ten times longer.
slow=1
[ -n "${EVFEED_SLOW:-}" ] && slow=10

"$PYTHON3" -c 'import http.server' >/dev/null 2>&1 ||
	skip_all "no python3 ($PYTHON3) to run the fixture hub"
"$CURL" --version >/dev/null 2>&1 ||
	skip_all "no curl ($CURL) to talk to the servers"
"$PYTHON3" -c 'import feedparser' >/dev/null 2>&1 ||
	skip_all "no feedparser for $PYTHON3 (python3-feedparser)"

clients=$top_srcdir/tests/clients
site=https://events.example.org/
tmp=$(mktmp)
py=$tmp/websub.py
pid=

# ------------------------------------------------------------ the hub

"$PYTHON3" "$top_srcdir/tests/integration/partner-server.py" --lifetime 3600 \
	>"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
trap 'kill "$server" 2>/dev/null; [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; _tap_cleanup' EXIT

fixture_port "$tmp/server.out" "$tmp/server.err" "the fixture server"
base=http://127.0.0.1:$port
hub=$base/hub
diag "fixture hub at $hub"

# hub_mode MODE: how the hub answers from now on (normal: 204, or 500).
hub_mode()
{
	"$CURL" -sf -X POST "$base/control/hub/$1" >/dev/null ||
		diag "cannot switch the hub to $1"
}

cat >"$py" <<'EOF'
"""What websub.sh needs to know of the feeds and of the hub's records."""
import json
import os
import sys
import urllib.request

import feedparser

FEEDS = ('rss.xml', 'atom.xml', 'feed.json')


def scopes(pub):
    """The folders of the site, of each category and of each source."""
    out = ['']
    for kind in ('category', 'source'):
        d = os.path.join(pub, kind)
        if os.path.isdir(d):
            out += ['%s/%s/' % (kind, n) for n in sorted(os.listdir(d))
                    if os.path.isdir(os.path.join(d, n))]
    return out


def links(pub, site, hub):
    """Every feed names the hub (or, with hub '-', none does) and itself."""
    problems = []
    for scope in scopes(pub):
        for name in FEEDS:
            path = os.path.join(pub, scope, name)
            self_url = site + scope + name
            if not os.path.isfile(path):
                problems.append('%s%s: missing' % (scope, name))
                continue
            if name == 'feed.json':
                with open(path, encoding='utf-8') as f:
                    doc = json.load(f)
                got = doc.get('hubs')
                want = None if hub == '-' else [{'type': 'WebSub',
                                                 'url': hub}]
                if got != want:
                    problems.append('%s%s: hubs is %r, not %r'
                                    % (scope, name, got, want))
                if doc.get('feed_url') != self_url:
                    problems.append('%s%s: feed_url is %r'
                                    % (scope, name, doc.get('feed_url')))
                continue
            d = feedparser.parse(path)
            if d.bozo:
                problems.append('%s%s: feedparser: %s'
                                % (scope, name, d.bozo_exception))
            rels = [(l.get('rel'), l.get('href'))
                    for l in d.feed.get('links', [])]
            hubs = [h for r, h in rels if r == 'hub']
            selfs = [h for r, h in rels if r == 'self']
            want = [] if hub == '-' else [hub]
            if hubs != want:
                problems.append('%s%s: rel=hub links %r, not %r'
                                % (scope, name, hubs, want))
            if selfs != [self_url]:
                problems.append('%s%s: rel=self links %r, not [%r]'
                                % (scope, name, selfs, self_url))
    for p in problems:
        print(p)
    return 1 if problems else 0


def posts(base, skip):
    """The topics pinged since the first SKIP requests, one a line, after
    checking that each request is a well-formed ping."""
    with urllib.request.urlopen(base + '/control/hub-posts') as r:
        got = json.load(r)[int(skip):]
    bad = 0
    for p in got:
        form = p['form']
        if (p['method'] != 'POST' or
                p['content_type'] != 'application/x-www-form-urlencoded' or
                form.get('hub.mode') != ['publish'] or
                len(form.get('hub.url', [])) != 1 or
                sorted(form) != ['hub.mode', 'hub.url']):
            sys.stderr.write('not a WebSub ping: %r\n' % p)
            bad += 1
            continue
        print('%s %d' % (form['hub.url'][0], p['status']))
    return 1 if bad else 0


def count(base):
    with urllib.request.urlopen(base + '/control/hub-posts') as r:
        print(len(json.load(r)))
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == 'links':
        return links(*sys.argv[2:5])
    if cmd == 'posts':
        return posts(*sys.argv[2:4])
    if cmd == 'count':
        return count(sys.argv[2])
    return 2


sys.exit(main())
EOF

# count: how many requests the hub got so far.
count()
{
	"$PYTHON3" "$py" count "$base"
}

# pinged SKIP: the topics pinged after the first SKIP requests, sorted,
# one a line (with duplicates); fails when a request was not a ping.
pinged()
{
	"$PYTHON3" "$py" posts "$base" "$1" >"$tmp/pinged.raw" ||
		return 1
	cut -d' ' -f1 "$tmp/pinged.raw" | sort
}

# feed_sums DIR: "sha256 URL" of every feed below DIR, by URL.
feed_sums()
{
	(cd "$1" && find . -type f \( -name rss.xml -o -name atom.xml \
		-o -name feed.json \) -exec sha256sum {} +) |
		sed "s|  \./|  $site|" | sort -k 2
}

# changed_urls BEFORE AFTER: the URLs whose sums differ, sorted.
changed_urls()
{
	join -1 2 -2 2 "$1" "$2" | awk '$2 != $3 { print $1 }' | sort
}

# wait_count N SECS: waits until the hub got at least N requests; fails
# after SECS seconds.
at_least_requests()
{
	[ "$(count)" -ge "$1" ]
}
wait_count()
{
	wait_until $(($2 * slow)) at_least_requests "$1"
}

# wait_log PATTERN N SECS: waits until the log holds N lines matching
# PATTERN.
at_least_lines()
{
	[ "$(grep -c -- "$1" "$tmp/serve.err")" -ge "$2" ]
}
wait_log()
{
	wait_until $(($3 * slow)) at_least_lines "$1" "$2"
}

# same_lists DESC EXPECTED GOT: pass when the two files are equal, else
# show both.
same_lists()
{
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diag "expected:"
		diag_file "$2"
		diag "got:"
		diag_file "$3"
	fi
}

# check_feeds_all PUB: every scope's feeds against the clients' checks.
check_feeds_all()
{
	_bad=0
	for _s in "" $(cd "$1" && ls -d category/*/ source/*/ 2>/dev/null); do
		"$PYTHON3" "$clients/check_feeds.py" \
			--rss "$1/${_s}rss.xml" --atom "$1/${_s}atom.xml" \
			--self-rss "$site${_s}rss.xml" \
			--self-atom "$site${_s}atom.xml" --max-items 50 \
			--xmllint "$XMLLINT" \
			--atom-rng "$top_srcdir/tests/data/atom.rng" \
			>>"$tmp/check.out" 2>&1 || _bad=1
		"$PYTHON3" "$clients/check_jsonfeed.py" "$1/${_s}feed.json" \
			>>"$tmp/check.out" 2>&1 || _bad=1
	done
	return $_bad
}

# ------------------------------------------------------------ evfeed serve

mkdir "$tmp/events"
cp "$top_srcdir"/feeds/events/*.md "$tmp/events/"
zagreb=$tmp/events/2018-06-28-illicit-financial-flows-zagreb.md
write_config "$tmp" "$tmp/events"
conf=$tmp/evfeed.conf
pub=$tmp/public
cp "$conf" "$tmp/nohub.conf"
printf 'hub=%s\n' "$hub" >>"$conf"
printf '[source osce]\nurl=%s/osce.rss\ninterval=1h\ntimeout=5s\n' "$base" \
	>>"$conf"

check "evfeed fetch of the partner source" \
	"$EVFEED" fetch --config "$conf"

n0=$(count)
"$EVFEED" serve --config "$conf" --listen 127.0.0.1:0 \
	>"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
i=0
while ! grep -q '^Calendar:' "$tmp/serve.out" 2>/dev/null && [ $i -lt $((100 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
done
srv=$(sed -n 's|^Calendar: *\(http://[^/]*\)/calendar.ics$|\1|p' "$tmp/serve.out")
if [ -z "$srv" ]; then
	diag_file "$tmp/serve.err"
	bail_out "evfeed serve did not start"
fi
diag "serving at $srv"

# The links in the feeds.
test -d "$pub/source/osce" && test -d "$pub/category/meeting"
ok $? "the site has category and source scopes"
if "$PYTHON3" "$py" links "$pub" "$site" "$hub" >"$tmp/links.out" 2>&1; then
	pass "every feed of every scope names the hub and itself (feedparser, feed.json hubs)"
else
	fail "every feed of every scope names the hub and itself (feedparser, feed.json hubs)"
	diag_file "$tmp/links.out"
fi
: >"$tmp/check.out"
if check_feeds_all "$pub"; then
	pass "the feeds with the hub pass xmllint (Atom RELAX NG), the W3C rules and JSON Feed 1.1"
else
	fail "the feeds with the hub pass xmllint (Atom RELAX NG), the W3C rules and JSON Feed 1.1"
	diag_file "$tmp/check.out"
fi

# The Link headers.
# link_of PATH [CURL ARGS]: the status and the Link header, on one line.
link_of()
{
	_p=$1
	shift
	"$CURL" -s -o /dev/null -D - "$@" "$srv/$_p" | tr -d '\r' |
		awk 'NR == 1 { s = $2 } tolower($1) == "link:" { sub(/^[^:]*: /, ""); l = $0 }
		END { print s " " l }'
}
bad=0
for p in rss.xml atom.xml feed.json category/meeting/rss.xml \
	category/conference/atom.xml category/meeting/feed.json \
	source/osce/rss.xml source/osce/feed.json; do
	want="<$hub>; rel=\"hub\", <$site$p>; rel=\"self\""
	etag=$("$CURL" -s -o /dev/null -D - "$srv/$p" | tr -d '\r' |
		sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
	for how in "" "-I" "-H If-None-Match:$etag" "-H Accept-Encoding:gzip"; do
		code=200
		[ "$how" = "-H If-None-Match:$etag" ] && code=304
		# shellcheck disable=SC2086 # $how is options
		got=$(link_of "$p" $how)
		if [ "$got" != "$code $want" ]; then
			bad=1
			diag "$p ($how): got '$got', expected '$code $want'"
		fi
	done
done
ok $bad "the feeds' 200, 304, HEAD and gzip answers carry Link: <hub>; rel=\"hub\", <self>; rel=\"self\""
bad=0
for p in calendar.ics index.html category/meeting/calendar.ics calendar.json; do
	got=$(link_of "$p")
	if [ "$got" != "200 " ]; then
		bad=1
		diag "$p: got '$got'"
	fi
done
ok $bad "calendars and pages carry no Link header"

# The first build pinged every feed once.
feed_sums "$pub" >"$tmp/sums.0"
cut -d' ' -f3 "$tmp/sums.0" | sort >"$tmp/all.expected"
nfeeds=$(wc -l <"$tmp/all.expected" | tr -d ' ')
wait_count $((n0 + nfeeds)) 10
sleep 1
pinged "$n0" >"$tmp/all.got"
ok $? "every request to the hub is a form-encoded hub.mode=publish ping"
same_lists "the first build pinged each of the $nfeeds feeds once" \
	"$tmp/all.expected" "$tmp/all.got"

# A live edit pings exactly the feeds whose bytes changed, within seconds.
n1=$(count)
old=$(sha256sum <"$pub/rss.xml")
t0=$(date +%s)
printf '\nThe agenda now includes a session on asset recovery.\n' >>"$zagreb"
i=0
while [ "$(sha256sum <"$pub/rss.xml")" = "$old" ] && [ $i -lt $((50 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
done
feed_sums "$pub" >"$tmp/sums.1"
changed_urls "$tmp/sums.0" "$tmp/sums.1" >"$tmp/edit.expected"
nchanged=$(wc -l <"$tmp/edit.expected" | tr -d ' ')
wait_count $((n1 + nchanged)) 5
t1=$(date +%s)
sleep 1
pinged "$n1" >"$tmp/edit.got"
same_lists "an edit pinged exactly the $nchanged feeds whose bytes changed" \
	"$tmp/edit.expected" "$tmp/edit.got"
grep -qx "${site}rss.xml" "$tmp/edit.got" &&
	grep -qx "${site}category/meeting/atom.xml" "$tmp/edit.got" &&
	grep -qx "${site}category/illicit-financial-flows/feed.json" "$tmp/edit.got"
ok $? "the pinged feeds include the site's and the edited event's categories"
! grep -q "/category/conference/\|/source/osce/" "$tmp/edit.got" &&
	test "$nchanged" -lt "$nfeeds"
ok $? "feeds whose bytes did not change are not pinged (conference, the source)"
test $((t1 - t0)) -le $((5 * slow))
ok $? "the pings came within seconds of the edit ($((t1 - t0)) s)"

# Rebuilds that change no feed's bytes ping nothing.
n2=$(count)
published=$(grep -c 'published' "$tmp/serve.err")
sed 's/^title:/# an editor'"'"'s note, not published\ntitle:/' "$zagreb" \
	>"$tmp/zagreb.new" && mv "$tmp/zagreb.new" "$zagreb"
wait_log 'published' $((published + 1)) 5
ok $? "a comment in an event file rebuilds the site"
grep 'published' "$tmp/serve.err" | tail -n 1 | grep -q '(0 files changed)'
ok $? "and its files come out the same"
reloads=$(grep -c 'configuration reloaded' "$tmp/serve.err")
kill -HUP "$pid"
wait_log 'configuration reloaded' $((reloads + 1)) 5
cp "$zagreb" "$tmp/zagreb.same" && mv "$tmp/zagreb.same" "$zagreb"
sleep 2
test "$(count)" -eq "$n2"
ok $? "an unchanged rebuild, a reload and a rewrite with the same bytes ping nothing"

# A hub that fails is retried, and serving goes on.
hub_mode 500
n3=$(count)
feed_sums "$pub" >"$tmp/sums.2"
printf '\nRegistration closes on 20 June.\n' >>"$zagreb"
wait_log "websub: cannot ping the hub '$hub' for '${site}rss.xml': HTTP 500 (server error); retrying in 2 s$" 1 5
ok $? "a failed ping is logged with the hub, the feed, the reason and the retry"
"$CURL" -s "$srv/rss.xml" >"$tmp/served.xml"
cmp -s "$tmp/served.xml" "$pub/rss.xml" && grep -q 'Registration closes' "$tmp/served.xml"
ok $? "the new feed is served while the hub fails"
# The first retry comes 2 s later, and fails too.
i=0
while [ "$(pinged "$n3" | grep -cx "${site}rss.xml")" -lt 2 ] && [ $i -lt $((60 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
done
test "$(pinged "$n3" | grep -cx "${site}rss.xml")" -ge 2
ok $? "a ping that got 500 is tried again"
hub_mode normal
feed_sums "$pub" >"$tmp/sums.3"
changed_urls "$tmp/sums.2" "$tmp/sums.3" >"$tmp/retry.expected"
i=0
while :; do
	"$PYTHON3" "$py" posts "$base" "$n3" | awk '$2 == 204 { print $1 }' |
		sort -u >"$tmp/retry.got"
	cmp -s "$tmp/retry.expected" "$tmp/retry.got" && break
	[ $i -ge $((250 * slow)) ] && break
	sleep 0.1
	i=$((i + 1))
done
same_lists "once the hub recovers, every changed feed's ping succeeds" \
	"$tmp/retry.expected" "$tmp/retry.got"
test "$("$CURL" -s -o /dev/null -w '%{http_code}' "$srv/calendar.ics")" = 200
ok $? "the server answered throughout"

# Without a hub: no links, no Link header, no pings. Pings to the hub
# that wait for a retry then are not tried again: it is taken out.
hub_mode 500
failed=$(grep -c 'retrying in 2 s$' "$tmp/serve.err")
printf '\nCoffee is served.\n' >>"$zagreb"
wait_log 'retrying in 2 s$' $((failed + 1)) 5
cp "$tmp/nohub.conf" "$conf.new"
printf '[source osce]\nurl=%s/osce.rss\ninterval=1h\ntimeout=5s\n' "$base" \
	>>"$conf.new"
published=$(grep -c 'published' "$tmp/serve.err")
mv "$conf.new" "$conf"
# The configuration is watched; the rebuild after the reload rewrites every
# feed without the hub.
wait_log 'published' $((published + 1)) 10 ||
	{ kill -HUP "$pid"; wait_log 'published' $((published + 1)) 10; }
ok $? "a new configuration without the hub is taken up"
n4=$(count)
sleep 3
test "$(count)" -eq "$n4"
ok $? "the hub taken out: its failed pings are not tried again ($n4, $(count) requests)"
hub_mode normal
if "$PYTHON3" "$py" links "$pub" "$site" - >"$tmp/links.out" 2>&1; then
	pass "without a hub, no feed names one"
else
	fail "without a hub, no feed names one"
	diag_file "$tmp/links.out"
fi
test "$(link_of rss.xml)" = "200 " && test "$(link_of category/meeting/feed.json)" = "200 "
ok $? "without a hub, no Link header"
published=$(grep -c 'published' "$tmp/serve.err")
printf '\nLunch is provided.\n' >>"$zagreb"
wait_log 'published' $((published + 1)) 5
sleep 2
test "$(count)" -eq "$n4"
ok $? "without a hub, neither the reload nor an edit pings"

kill -TERM "$pid"
wait "$pid"
ok $? "evfeed serve stops with status 0"
pid=

# ------------------------------------------------------------ evfeed build

b=$(mktmp)
mkdir "$b/events"
cp "$top_srcdir"/feeds/events/*.md "$b/events/"
write_config "$b" "$b/events"
printf 'hub=%s\n' "$hub" >>"$b/evfeed.conf"
printf '[source osce]\nurl=%s/osce.rss\ninterval=1h\ntimeout=5s\n' "$base" \
	>>"$b/evfeed.conf"
hub_mode normal
"$EVFEED" fetch --config "$b/evfeed.conf" >/dev/null 2>&1
n5=$(count)
with_timeout 60 "$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
ok $? "evfeed build with a hub succeeds"
feed_sums "$b/public" >"$b/sums.0"
cut -d' ' -f3 "$b/sums.0" | sort >"$b/all.expected"
pinged "$n5" >"$b/all.got"
same_lists "evfeed build pinged every feed it wrote before it exited" \
	"$b/all.expected" "$b/all.got"
grep -q "^WebSub: *told $hub about $(wc -l <"$b/all.expected" | tr -d ' ') feeds" "$b/out"
ok $? "evfeed build says whom it told"
if "$PYTHON3" "$py" links "$b/public" "$site" "$hub" >"$tmp/links.out" 2>&1; then
	pass "evfeed build: every feed names the hub"
else
	fail "evfeed build: every feed names the hub"
	diag_file "$tmp/links.out"
fi

n6=$(count)
with_timeout 60 "$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
test $? -eq 0 && grep -q 'nothing changed' "$b/out" && test "$(count)" -eq "$n6"
ok $? "an unchanged evfeed build pings nothing"

printf '\nThe venue changed.\n' >>"$b/events/2018-06-28-illicit-financial-flows-zagreb.md"
with_timeout 60 "$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
feed_sums "$b/public" >"$b/sums.1"
changed_urls "$b/sums.0" "$b/sums.1" >"$b/edit.expected"
pinged "$n6" >"$b/edit.got"
same_lists "evfeed build after an edit pings only the feeds whose bytes changed" \
	"$b/edit.expected" "$b/edit.got"
test "$(wc -l <"$b/edit.got")" -lt "$(wc -l <"$b/all.expected")"
ok $? "and that is fewer than all of them"

hub_mode 500
printf '\nCoffee at ten.\n' >>"$b/events/2018-06-28-illicit-financial-flows-zagreb.md"
with_timeout 60 "$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
st=$?
test $st -eq 0 && grep -q 'Coffee at ten' "$b/public/rss.xml"
ok $? "a failing hub does not fail evfeed build (status $st)"
grep -q "^evfeed: warning: cannot ping the WebSub hub '$hub' for '.*': HTTP 500 (server error) (.* of .* feeds failed)$" "$b/err"
ok $? "evfeed build warns about the failing hub"
hub_mode normal

# A build that fails after its renames (a folder's fsync failing) has put
# the edited feeds in place; the next build writes nothing, and tells the
# hub of them then: no later build changes their bytes again, and the
# hub's subscribers heard of the edit from no one.
shim=$(dirname "$EVFEED")/tests/fail-sync.so
if [ ! -f "$shim" ]; then
	skip "a build failing after its renames" "$shim is not built"
else
	feed_sums "$b/public" >"$b/sums.2"
	printf '\nLunch at one.\n' >>"$b/events/2018-06-28-illicit-financial-flows-zagreb.md"
	n7=$(count)
	shim_run fsync "$(cd "$b/public" && pwd -P)" \
		"$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
	st=$?
	test $st -eq 1 && grep -q 'cannot flush' "$b/err" &&
		grep -q 'Lunch at one' "$b/public/rss.xml"
	ok $? "a build failing after its renames: status 1, the edit in place (status $st)"
	diag_file "$b/err"
	feed_sums "$b/public" >"$b/sums.3"
	changed_urls "$b/sums.2" "$b/sums.3" >"$b/untold.expected"
	with_timeout 60 "$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
	st=$?
	test $st -eq 0 && test -s "$b/untold.expected"
	ok $? "the next build succeeds (status $st)"
	pinged "$n7" >"$b/untold.got"
	same_lists "... and tells the hub of the feeds the failed build put in place" \
		"$b/untold.expected" "$b/untold.got"
	n9=$(count)
	with_timeout 60 "$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
	test $? -eq 0 && test "$(count)" -eq "$n9"
	ok $? "... once: the build after it pings nothing"

	# A build whose renames are put back published nothing: the next
	# build tells the hub of nothing, least of all of a category's feeds
	# that never were.
	printf -- '---\ntitle: Never published\nstart: 2027-02-01\ncategories: [Zzz only]\n---\n' \
		>"$b/events/never.md"
	shim_run none / env EVFEED_FAIL_RENAME=public/rss.xml \
		"$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
	st=$?
	rm -f "$b/events/never.md"
	n10=$(count)
	with_timeout 60 "$EVFEED" build --config "$b/evfeed.conf" >"$b/out" 2>"$b/err"
	st2=$?
	test $st -eq 1 && test $st2 -eq 0 && test "$(count)" -eq "$n10" &&
		test ! -e "$b/public/category/zzz-only"
	ok $? "a build whose renames were put back leaves nothing to tell the hub (status $st, then $st2)"
	diag_file "$b/err"
fi

done_testing
