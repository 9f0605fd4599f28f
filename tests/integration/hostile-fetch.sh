#!/bin/sh
# hostile-fetch.sh: partner fetches against hostile servers, end to end
# with the evfeed binary and the fixture server on 127.0.0.1
# (tests/integration/partner-server.py): the cases of HARDENING.md §3 B
# that partners.sh leaves out.
#
#   B3   a connect that never completes, a TLS handshake that stalls: the
#        10 s connect timeout ends them, well before the source's 60 s
#   B4   Content-Length: 1 GiB: "too large" at once, before any body
#   B7   Content-Encoding: gzip, gzip decoded; the same chain around a gzip
#        bomb stopped by the cap on decoded bytes; six encodings refused
#   B9   redirects to file:, ftp:, gopher: and dict: refused, and the
#        target never reached
#   B10  a source URL spelled 2130706433 or 0x7f.1: refused as loopback
#   B11  a host name that resolves to 127.0.0.1: refused, since the check
#        is on the address connected to
#   B14  Retry-After (seconds or a date) puts the next fetch at least that
#        far ahead, and no more than 7 days
#   B15  410: gone, loudly; not fetched again until its URL changes (or
#        named to `evfeed fetch`); its
#        items stay. 404: a failure with exponential backoff; items stay
#   B17  an empty 200: "empty body"; items stay
#   B19  a self-signed certificate, and plain HTTP behind an https URL:
#        "TLS failed"
#   B20  an unknown host: "unknown host (DNS)", in a network namespace of
#        its own so that not even the lookup leaves the machine
#   B22  the same body under a new ETag: not parsed again, nothing written
#   B23  proxy variables in the environment: not used
#
# And what a source's answers say besides its items: a permanent redirect
# to a relative reference, logged with the absolute address; the warnings
# of a calendar whose times are floating or in an unknown zone (taken as
# UTC), in `evfeed fetch` and in the log of `evfeed serve`. And a source
# whose url a reload changes while its old URL is being fetched: the old
# answer is discarded and the new URL fetched.
#
# A redirect from a public source to a private address cannot be served
# from loopback alone: tests/test-fetch.c covers it.
#
# Environment (make check sets it): EVFEED, top_srcdir; optional PYTHON3,
# CURL. Optional tools: openssl (B19), unshare (B20), /usr/bin/time.
# EVFEED_KEEP_TMP=1 keeps the temporary folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
PYTHON3=${PYTHON3:-/usr/bin/python3}
CURL=${CURL:-curl}

"$PYTHON3" -c 'import http.server, ssl, sqlite3' >/dev/null 2>&1 ||
	skip_all "no python3 ($PYTHON3) to run the fixture server"
"$CURL" --version >/dev/null 2>&1 ||
	skip_all "no curl ($CURL) to drive the fixture server"

tmp=$(mktmp)
conf=$tmp/evfeed.conf
state=$tmp/state.db
mkdir "$tmp/events"

# A throwaway self-signed certificate for the fixture's HTTPS listener.
set --
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		>"$tmp/openssl.log" 2>&1; then
	set -- --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem"
fi

"$PYTHON3" "$top_srcdir/tests/integration/partner-server.py" --lifetime 3600 \
	"$@" >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
trap 'kill "$server" 2>/dev/null; _tap_cleanup' EXIT

fixture_port "$tmp/server.out" "$tmp/server.err" "the fixture server"
base=http://127.0.0.1:$port

# listener NAME: the port of the fixture's other listener NAME (empty
# when it has none).
listener()
{
	sed -n "s/^$1 \([0-9][0-9]*\)\$/\1/p" "$tmp/server.out"
}
stall_port=$(listener STALL-PORT)
mute_port=$(listener MUTE-PORT)
sink_port=$(listener SINK-PORT)
tls_port=$(listener TLS-PORT)
diag "fixture server at $base; stall $stall_port, mute $mute_port," \
	"sink $sink_port, TLS ${tls_port:-none}"

# ctl FEED MODE: how FEED answers from now on.
ctl()
{
	"$CURL" -sf -X POST "$base/control/$1/$2" >/dev/null ||
		diag "cannot switch $1 to $2"
}

# hits FEED: how many requests for FEED reached the fixture.
hits()
{
	"$CURL" -sf "$base/control/requests/$1" |
		"$PYTHON3" -c 'import json, sys; print(json.load(sys.stdin)["count"])'
}

# sink_hits: how many connections the sink got.
sink_hits()
{
	"$CURL" -sf "$base/control/sink-hits"
}

# write_conf SOURCE...: the configuration with those sources (all of them
# without arguments). Each misbehaving source has a name of its own, so
# that its state is its own; osce, unodc and dcaf are fetched good first.
# $dcaf_url is dcaf's URL.
all_sources="osce unodc dcaf stall mute tls plain decimal hex name dns"
write_conf()
{
	write_config "$tmp" "$tmp/events"
	if [ $# -eq 0 ]; then
		# shellcheck disable=SC2086 # a list of names
		set -- $all_sources
	fi
	for s in "$@"; do
		printf '\n[source %s]\n' "$s"
		case $s in
		osce) printf 'url=%s/osce.rss\ninterval=1h\n' "$base" ;;
		unodc) printf 'url=%s/unodc.ics\ninterval=1min\n' "$base" ;;
		dcaf) printf 'url=%s\n' "$dcaf_url" ;;
		stall) echo "url=http://127.0.0.1:$stall_port/osce.rss" ;;
		mute) echo "url=https://127.0.0.1:$mute_port/osce.rss" ;;
		tls) echo "url=https://127.0.0.1:${tls_port:-1}/osce.rss" ;;
		plain) echo "url=https://127.0.0.1:$port/osce.rss" ;;
		decimal) echo "url=http://2130706433:$port/osce.rss" ;;
		hex) echo "url=http://0x7f.1:$port/osce.rss" ;;
		name) echo "url=http://evfeed-test.localhost:$port/osce.rss" ;;
		dns) echo "url=http://nonexistent.invalid/osce.rss" ;;
		moving) printf 'url=%s\ninterval=1h\n' "$moving_url" ;;
		zoned) printf 'url=%s/unodc.ics\ninterval=1h\n' "$base" ;;
		cred) echo "url=http://evfeed:s3cret-pw@127.0.0.1:$port/osce.rss" ;;
		elsewhere) echo "url=http://127.0.0.1:$port/osce.rss" ;;
		misformat) printf 'url=%s/unodc.ics\nformat=rss\n' "$base" ;;
		esac
	done >>"$conf"
}

# fetch TAG SOURCE [COMMAND...]: `evfeed fetch SOURCE`, run by COMMAND
# (env, unshare, time) when one is given; sets rc, and secs to the wall
# clock time; the output goes to $tmp/TAG.out and $tmp/TAG.err.
fetch()
{
	_tag=$1
	_src=$2
	shift 2
	_t0=$(date +%s.%N)
	with_timeout 120 "$@" "$EVFEED" fetch --config "$conf" "$_src" \
		>"$tmp/$_tag.out" 2>"$tmp/$_tag.err" </dev/null
	rc=$?
	secs=$(awk -v a="$_t0" -v b="$(date +%s.%N)" \
		'BEGIN { printf "%.2f", b - a }')
}

# line SOURCE: SOURCE's line of `evfeed sources`.
line()
{
	"$EVFEED" sources --config "$conf" </dev/null 2>/dev/null |
		awk -v s="$1" '$1 == s'
}

# failed TAG SOURCE WORDS: the fetch TAG exited 1, saying
# "evfeed: source SOURCE: WORDS", and `evfeed sources` shows SOURCE with
# that error. Shows what it got when not.
failed()
{
	_l=$(line "$2")
	if test "$rc" -eq 1 && grep -qF "evfeed: source $2: $3" "$tmp/$1.err" &&
		echo "$_l" | grep -qF -- "$3"; then
		return 0
	fi
	diag "exit status $rc; sources: $_l"
	diag_file "$tmp/$1.err"
	return 1
}

# status_is SOURCE STATUS ITEMS: `evfeed sources` shows SOURCE with that
# status and that many items.
status_is()
{
	line "$1" | awk -v s="$2" -v n="$3" '$2 == s && $3 == n { f = 1 }
		END { exit !f }'
}

# published SOURCE: how many events the build publishes for SOURCE.
published()
{
	with_timeout 60 "$EVFEED" build --config "$conf" >"$tmp/build.log" 2>&1 \
		</dev/null || diag_file "$tmp/build.log"
	grep -c '^BEGIN:VEVENT' "$tmp/public/source/$1/calendar.ics" 2>/dev/null
}

# kept DESC SOURCE N: SOURCE is failing and keeps its N items, in the
# state and in what a build publishes.
kept()
{
	status_is "$2" failing "$3"
	ok $? "$1: $2 keeps its $3 items"
	_n=$(published "$2")
	test "$_n" = "$3"
	ok $? "$1: build still publishes $2's $3 items ($_n)"
}

# next_in SOURCE T0 T1 MIN MAX: SOURCE's next fetch, as `evfeed sources`
# shows it, lies MIN to MAX seconds after a fetch that ran from T0 to T1
# (seconds since the epoch). Shows the delay when not.
next_in()
{
	_next=$(line "$1" | awk '{ print $5 }')
	_at=$(date -u -d "$_next" +%s 2>/dev/null) || _at=0
	if [ "$_at" -ge $(($2 + $4 - 1)) ] && [ "$_at" -le $(($3 + $5 + 1)) ]; then
		return 0
	fi
	diag "next fetch $_next: $((_at - $2)) s after the fetch (expected" \
		"$4 to $5 s)"
	return 1
}

# state_value SQL: the first column of the first row of SQL in the state.
state_value()
{
	"$PYTHON3" -c 'import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print("" if row is None else row[0])' "$state" "$1"
}

# restore FEED: FEED answers normally again, and its source is ok.
restore()
{
	ctl "$1" normal
	fetch restore "$1"
	if [ "$rc" -ne 0 ]; then
		diag "$1 did not recover: $(line "$1")"
		diag_file "$tmp/restore.err"
	fi
}

dcaf_url=$base/dcaf.atom
write_conf

# ------------------------------------------------------------ good first

for s in osce unodc dcaf; do
	fetch "good.$s" "$s"
	test "$rc" -eq 0
	ok $? "$s: the first fetch succeeds"
done
status_is osce ok 3 && status_is unodc ok 3 && status_is dcaf ok 2
ok $? "sources: osce, unodc and dcaf ok with 3, 3 and 2 items"
n=$(published osce)
test "$n" = 3
ok $? "build: osce's 3 items are published ($n)"

# ------------------------------------------------------ B3: connect timeout

# The sources have the default timeout=60s: only the connect timeout can
# end these in 10 s.
fetch stall stall
failed stall stall "timed out"
ok $? "B3 a connect that never completes: 'timed out'"
awk -v s="$secs" 'BEGIN { exit !(s >= 9 && s < 18) }'
ok $? "B3 a connect that never completes: ends at the 10 s connect" \
	"timeout (${secs}s)"

fetch mute mute
failed mute mute "timed out"
ok $? "B3 a TLS handshake that stalls: 'timed out'"
awk -v s="$secs" 'BEGIN { exit !(s >= 9 && s < 18) }'
ok $? "B3 a TLS handshake that stalls: ends at the 10 s connect timeout" \
	"(${secs}s)"

# -------------------------------------------------- B4: Content-Length

# The fixture sends the headers, then nothing: only the announced length
# can end this before the source's timeout (60 s) does.
ctl osce big-length
fetch big osce
failed big osce "too large (over the source's max_bytes)"
ok $? "B4 Content-Length: 1 GiB: 'too large'"
awk -v s="$secs" 'BEGIN { exit !(s < 5) }'
ok $? "B4 Content-Length: 1 GiB: refused before any body, at once (${secs}s)"
kept "B4 Content-Length: 1 GiB" osce 3
restore osce

# A chunked body's trailer lines without end, which libcurl 7.88 keeps all
# of (its cap is on a response's header): stopped by evfeed's cap on header
# and trailer lines, at once, not by the source's timeout some gigabytes on.
set --
if [ -x /usr/bin/time ]; then
	set -- /usr/bin/time -f %M -o "$tmp/trailers.kb"
fi
ctl osce trailers
fetch trailers osce "$@"
failed trailers osce "too large: header and trailer lines over 1024 KiB"
ok $? "chunked trailers without end: 'too large'"
awk -v s="$secs" 'BEGIN { exit !(s < 10) }'
ok $? "chunked trailers without end: stopped at once (${secs}s)"
if [ -s "$tmp/trailers.kb" ]; then
	kb=$(tail -n 1 "$tmp/trailers.kb")
	test "$kb" -lt 200000
	ok $? "chunked trailers without end: the fetch stays small (${kb} KiB)"
fi
kept "chunked trailers without end" osce 3
restore osce

# ---------------------------------------------- B7: chained encodings

# The body decodes to the very bytes osce had: the same digest, so the
# source is ok only if both encodings were undone.
ctl osce gzip-gzip
fetch gzip2 osce
test "$rc" -eq 0 && status_is osce ok 3
ok $? "B7 Content-Encoding: gzip, gzip: decoded" \
	"(exit $rc; $(line osce | awk '{ print $2, $3 }'))"

set --
if [ -x /usr/bin/time ]; then
	set -- /usr/bin/time -f %M -o "$tmp/bomb.kb"
fi
ctl osce gzip-gzip-bomb
fetch bomb osce "$@"
failed bomb osce "too large (over the source's max_bytes)"
ok $? "B7 a gzip bomb inside gzip, gzip: the cap on decoded bytes stops it"
if [ -s "$tmp/bomb.kb" ]; then
	kb=$(tail -n 1 "$tmp/bomb.kb")
	test "$kb" -lt 204800
	ok $? "B7 a gzip bomb inside gzip, gzip: under 200 MB (${kb} KB)"
else
	skip "B7 a gzip bomb inside gzip, gzip: under 200 MB" "no /usr/bin/time"
fi

ctl osce gzip-x6
fetch gzip6 osce
failed gzip6 osce "bad content encoding"
ok $? "B7 six chained encodings: 'bad content encoding'"
kept "B7 six chained encodings" osce 3
restore osce

# ------------------------------------------- B9: redirects to other schemes

sink0=$(sink_hits)
for scheme in file ftp gopher dict; do
	ctl osce "redirect-$scheme"
	fetch "redirect-$scheme" osce
	failed "redirect-$scheme" osce \
		"refused: only http and https are fetched"
	ok $? "B9 a redirect to $scheme: 'refused: only http and https are fetched'"
done
sink1=$(sink_hits)
test "$sink0" = "$sink1"
ok $? "B9 the ftp:, gopher: and dict: targets got no connection" \
	"($sink0, then $sink1)"
! grep -q 'root:' "$tmp/redirect-file.err" "$tmp/redirect-file.out" &&
	! grep -rq 'root:' "$tmp/public"
ok $? "B9 nothing of /etc/passwd appears"
kept B9 osce 3
restore osce

# ----------------------------------- B10, B11: private addresses in disguise

# The configuration names them, but not as private literals: they are
# public sources whose address turns out to be 127.0.0.1.
for s in decimal hex name; do
	case $s in
	decimal) t="B10 a source at http://2130706433" ;;
	hex) t="B10 a source at http://0x7f.1" ;;
	*) t="B11 a source at http://evfeed-test.localhost (a name for 127.0.0.1)" ;;
	esac
	before=$(hits osce)
	fetch "$s" "$s"
	failed "$s" "$s" "refused: the address is private or local"
	ok $? "$t: 'refused: the address is private or local'"
	test "$(hits osce)" = "$before"
	ok $? "$t: no request reached the server"
done

# ------------------------------------------------- B14: Retry-After

# unodc has interval=1min, so after one failure the backoff alone would
# be a minute.
for m in 429-retry-day 503-retry-date 503-retry-month 503-cached; do
	case $m in
	503-cached)
		# an error page's max-age says how long the page may be kept,
		# not when to ask again: the backoff alone
		want=60
		words="HTTP 503 (server error)"
		;;
	429-retry-day)
		want=86400
		words="HTTP 429 (too many requests)"
		;;
	503-retry-date)
		want=$((3 * 86400))
		words="HTTP 503 (server error)"
		;;
	*)
		want=$((7 * 86400)) # the cap: it asks for 30 days
		words="HTTP 503 (server error)"
		;;
	esac
	ctl unodc "$m"
	t0=$(date +%s)
	fetch "$m" unodc
	t1=$(date +%s)
	failed "$m" unodc "$words"
	ok $? "B14 $m: fails with '$words'"
	# The jitter adds up to a tenth.
	next_in unodc "$t0" "$t1" "$want" $((want + want / 10))
	ok $? "B14 $m: the next fetch is $want s ahead (plus jitter)," \
		"no sooner, no later"
	kept "B14 $m" unodc 3
	restore unodc
done

# ------------------------------------------------- B15: 404 and 410

ctl osce 404
for i in 1 2 3; do
	t0=$(date +%s)
	fetch "404-$i" osce
	t1=$(date +%s)
	failed "404-$i" osce "HTTP 404 (not found)"
	ok $? "B15 404, failure $i: 'HTTP 404 (not found)'"
	want=$((3600 << (i - 1)))
	next_in osce "$t0" "$t1" "$want" $((want + want / 10))
	ok $? "B15 404, failure $i: backoff, the next fetch in $want s"
done
kept "B15 404" osce 3
restore osce

ctl dcaf 410
fetch gone dcaf
failed gone dcaf "HTTP 410 (gone)"
ok $? "B15 410: fails with 'HTTP 410 (gone)'"
grep -q 'source dcaf: the feed is gone (HTTP 410): no longer fetched' \
	"$tmp/gone.err"
ok $? "B15 410: a warning says it is gone and no longer fetched"
line dcaf | awk '$2 == "gone" && $3 == 2 && $5 == "-" { f = 1 }
	END { exit !f }'
ok $? "B15 410: sources shows dcaf gone, with its 2 items and no next fetch"
ctl dcaf normal
before=$(hits dcaf)
write_conf osce unodc dcaf
with_timeout 120 "$EVFEED" fetch --config "$conf" >"$tmp/all.out" \
	2>"$tmp/all.err" </dev/null
test "$(hits dcaf)" = "$before"
ok $? "B15 410: 'evfeed fetch' of every source does not fetch it again"
with_timeout 120 "$EVFEED" fetch --due --config "$conf" >"$tmp/all.out" \
	2>"$tmp/all.err" </dev/null
test "$(hits dcaf)" = "$before"
ok $? "B15 410: nor does 'evfeed fetch --due'"
status_is dcaf gone 2
ok $? "B15 410: dcaf still gone with its 2 items"
n=$(published dcaf)
test "$n" = 2
ok $? "B15 410: build still publishes dcaf's 2 items ($n)"
dcaf_url="$base/dcaf.atom?moved"
write_conf
fetch gone-moved dcaf
test "$rc" -eq 0 && test "$(hits dcaf)" -gt "$before" &&
	status_is dcaf ok 2
ok $? "B15 410: a new URL is fetched afresh"
# Named, a gone source is fetched all the same: the way to try again after
# a partner's 410 by mistake; it is back once it answers.
ctl dcaf 410
fetch gone-2 dcaf
status_is dcaf gone 2
ok $? "B15 410: gone again"
ctl dcaf normal
before=$(hits dcaf)
fetch gone-named dcaf
test "$rc" -eq 0 && test "$(hits dcaf)" = $((before + 1)) &&
	status_is dcaf ok 2
ok $? "B15 410: 'evfeed fetch dcaf' fetches it all the same, and it is back (exit $rc)"
# A new address starts afresh: its first answer, however small, is not held
# against the old address's items.
ctl dcaf empty
dcaf_url="$base/dcaf.atom?smaller"
write_conf
fetch moved-empty dcaf
st=$(line dcaf | awk '{ print $2, $3 }')
n=$(published dcaf)
test "$rc" -eq 0 && test "$st" = "ok 0" &&
	! grep -q 'Police Integrity' "$tmp/public/calendar.ics"
ok $? "a new URL's first answer is taken as it is, not held against the old one's items ($st)"
# A source that lists nothing has its calendar and feeds all the same,
# empty: a 404 would leave its subscribers' calendars as they were.
test "$n" = 0 && grep -q '^END:VCALENDAR' "$tmp/public/source/dcaf/calendar.ics" &&
	grep -q '</feed>' "$tmp/public/source/dcaf/atom.xml" &&
	grep -q '</rss>' "$tmp/public/source/dcaf/rss.xml"
ok $? "and its calendar and feeds are there, empty ($n events)"
ctl dcaf normal
dcaf_url="$base/dcaf.atom?moved"
write_conf
fetch moved-back dcaf
status_is dcaf ok 2
ok $? "and the old address again: its 2 items"

# ------------------------------------------------------ B17: empty body

ctl osce empty-body
fetch empty osce
failed empty osce "empty body"
ok $? "B17 an empty 200: 'empty body'"
kept "B17 an empty 200" osce 3
restore osce

# --------------------------------------------------------------- B19: TLS

if [ -n "$tls_port" ]; then
	"$CURL" -skf "https://127.0.0.1:$tls_port/osce.rss" | grep -q '<rss'
	ok $? "B19 control: the fixture serves the feed over HTTPS (curl -k)"
	before=$(hits osce)
	fetch tls tls
	failed tls tls "TLS failed (certificate or handshake)"
	ok $? "B19 a self-signed certificate: 'TLS failed (certificate or handshake)'"
	test "$(hits osce)" = "$before"
	ok $? "B19 a self-signed certificate: no request was sent"
else
	skip "B19 a self-signed certificate" "openssl cannot make one here"
fi
fetch plain plain
failed plain plain "TLS failed (certificate or handshake)"
ok $? "B19 plain HTTP behind an https URL:" \
	"'TLS failed (certificate or handshake)'"

# ----------------------------------------------------------- B20: DNS

# In a network namespace of its own there is no network at all, only a
# loopback that is down: the lookup cannot leave the machine.
netns=
for u in "unshare -n" "unshare -rn"; do
	if $u true >/dev/null 2>&1; then
		netns=$u
		break
	fi
done
if [ -n "$netns" ]; then
	# shellcheck disable=SC2086 # $netns is a command and its options
	fetch dns dns $netns
	failed dns dns "unknown host (DNS)"
	ok $? "B20 nonexistent.invalid: 'unknown host (DNS)'"
	line dns | awk '$2 == "failing" { f = 1 } END { exit !f }'
	ok $? "B20 nonexistent.invalid: failing, to be tried again"
else
	why="no network namespace (unshare -n) to keep the lookup off the network"
	skip "B20 nonexistent.invalid: 'unknown host (DNS)'" "$why"
	skip "B20 nonexistent.invalid: failing, to be tried again" "$why"
fi

# ------------------------------------------------- B22: same body, new ETag

ctl osce new-etag
rev0=$(state_value "SELECT value FROM meta WHERE key = 'partners'")
before=$(hits osce)
fetch new-etag osce
test "$rc" -eq 0 && status_is osce ok 3 && test "$(hits osce)" -gt "$before"
ok $? "B22 the same body with a new ETag: fetched, ok"
rev1=$(state_value "SELECT value FROM meta WHERE key = 'partners'")
test -n "$rev0" && test "$rev0" = "$rev1"
ok $? "B22 the same body with a new ETag: not parsed, the items not" \
	"rewritten (revision $rev0, then $rev1)"
etag=$(state_value "SELECT etag FROM sources WHERE name = 'osce'")
case $etag in
'"new-'*) true ;;
*) false ;;
esac
ok $? "B22 the same body with a new ETag: the new ETag is kept ($etag)"
restore osce

# ----------------------------------------------------- B23: proxy variables

proxy=http://127.0.0.1:$sink_port
set -- env -u no_proxy -u NO_PROXY http_proxy="$proxy" HTTP_PROXY="$proxy" \
	https_proxy="$proxy" HTTPS_PROXY="$proxy" all_proxy="$proxy" \
	ALL_PROXY="$proxy"
sink0=$(sink_hits)
"$@" "$CURL" -s -m 5 "$base/osce.rss" >/dev/null 2>&1
sink1=$(sink_hits)
test "$sink1" -gt "$sink0"
ok $? "B23 control: curl(1) with these variables goes to the proxy"
before=$(hits osce)
fetch proxy osce "$@"
test "$rc" -eq 0 && status_is osce ok 3 && test "$(hits osce)" -gt "$before"
ok $? "B23 http_proxy, HTTPS_PROXY, ALL_PROXY set: fetched directly (exit $rc)"
test "$(sink_hits)" = "$sink1"
ok $? "B23 http_proxy, HTTPS_PROXY, ALL_PROXY set: the proxy got no connection"

# ------------------------------------------- what an answer says besides

ctl osce moved-relative
fetch moved osce
want="evfeed: source osce: moved permanently to $base/osce.rss?moved; update its url in the configuration"
test "$rc" -eq 0 && grep -qxF "$want" "$tmp/moved.err"
ok $? "301 to a relative reference: 'evfeed: source osce: moved permanently to' the absolute URL (exit $rc)"
diag_file "$tmp/moved.err"
# The next fetch does not say it again; `evfeed sources` says it while the
# url moves, and stops once it answers as it is.
fetch moved-again osce
"$EVFEED" sources --config "$conf" </dev/null >"$tmp/moved.sources" 2>/dev/null
test "$rc" -eq 0 && ! grep -q "moved permanently" "$tmp/moved-again.err" &&
	grep -qxF "osce: its url moves permanently to $base/osce.rss?moved; update it in the configuration" \
		"$tmp/moved.sources"
ok $? "301 again: fetch is silent, sources gives the advice" || diag_file "$tmp/moved.sources"
# Once the configuration names the new address, the advice is done with,
# before any fetch.
sed -i "s|^url=$base/osce.rss\$|url=$base/osce.rss?moved|" "$conf"
"$EVFEED" sources --config "$conf" </dev/null >"$tmp/moved-set.sources" 2>/dev/null
! grep -q "moves permanently" "$tmp/moved-set.sources" && grep -q "osce.rss?moved" "$conf"
ok $? "the url set to where it moves: sources gives no advice" || diag_file "$tmp/moved-set.sources"
sed -i "s|^url=$base/osce.rss?moved\$|url=$base/osce.rss|" "$conf"
restore osce
fetch moved-back osce
"$EVFEED" sources --config "$conf" </dev/null >"$tmp/moved-back.sources" 2>/dev/null
test "$rc" -eq 0 && ! grep -q "moves permanently" "$tmp/moved-back.sources"
ok $? "its url answering as it is again: sources no longer says it moves" ||
	diag_file "$tmp/moved-back.sources"

# A 301 to an address evfeed does not fetch is no advice to give: the
# configuration would refuse it, and the fetch says why it failed.
ctl osce moved-file
fetch moved-file osce
failed moved-file osce "refused: only http and https are fetched" &&
	! grep -q "moved permanently" "$tmp/moved-file.err"
ok $? "301 to file:: refused, with no advice to put that address in the configuration"
diag_file "$tmp/moved-file.err"
restore osce

ctl unodc floating
fetch floating unodc
grep -qxE "evfeed: source unodc: line [1-9][0-9]*: 'floating@unodc\.example' \(\"FLOATING no time zone\"\): floating times \(no time zone\): taken as UTC" \
	"$tmp/floating.err" &&
	grep -qxF "evfeed: source unodc: unknown time zone 'Mars/Olympus_Mons' and no usable VTIMEZONE: times taken as UTC" \
		"$tmp/floating.err" && test "$rc" -eq 0 && status_is unodc ok 5
ok $? "floating times and an unknown zone: fetch warns that they are taken as UTC, naming the event by line, UID and SUMMARY (exit $rc)"
diag_file "$tmp/floating.err"
# The fetch says so once, for a new body; `evfeed sources` and status.json
# keep saying it while those items are in use, and stop when they are not.
sources_warns()
{
	"$EVFEED" sources --config "$conf" </dev/null 2>/dev/null \
		>"$tmp/warns.sources"
	grep -qxF "unodc: unknown time zone 'Mars/Olympus_Mons' and no usable VTIMEZONE: times taken as UTC" \
		"$tmp/warns.sources" &&
		grep -qE "^unodc: line [1-9][0-9]*: 'floating@unodc\.example' .*taken as UTC\$" \
			"$tmp/warns.sources"
}
fetch floating-again unodc
sources_warns && test "$rc" -eq 0 && ! grep -q 'taken as UTC' "$tmp/floating-again.err"
ok $? "floating times and an unknown zone: sources keeps showing the warnings after a fetch of the same body, which no longer prints them"
diag_file "$tmp/warns.sources"
restore unodc
! sources_warns && status_is unodc ok 3 && ! grep -q 'unodc:' "$tmp/warns.sources"
ok $? "a body without them: sources shows no warnings for the source"
diag_file "$tmp/warns.sources"

# A feed that names no encoding and is not UTF-8: the charset of its
# Content-Type says what it is (RFC 7303 §3.2).
ctl osce latin1
fetch latin1 osce
n=$(published osce)
test "$rc" -eq 0 && status_is osce ok 4 && test "$n" = 4 &&
	grep -qF "<title>Z$(printf '\303\274')rich Caf$(printf '\303\251') Forum $(printf '\342\200\223 \342\202\254')</title>" \
		"$tmp/public/source/osce/rss.xml"
ok $? "ISO-8859-1 without an XML encoding, named by the Content-Type charset: read as windows-1252 (exit $rc)"
diag_file "$tmp/latin1.err"
restore osce
ctl unodc latin1
fetch latin1 unodc
n=$(published unodc)
test "$rc" -eq 0 && status_is unodc ok 4 && test "$n" = 4 &&
	grep -qF "SUMMARY:Z$(printf '\303\274')rich Caf$(printf '\303\251') Forum $(printf '\342\200\223 \342\202\254')" \
		"$tmp/public/source/unodc/calendar.ics"
ok $? "a calendar in windows-1252 served as ISO-8859-1: read as windows-1252 (exit $rc)"
diag_file "$tmp/latin1.err"
restore unodc
# UTF-16 without a byte order mark, named by the charset: read with the
# format left to evfeed as with format=ics (it was "not a calendar or a
# feed")
ctl unodc utf16le
fetch utf16le unodc
n=$(published unodc)
test "$rc" -eq 0 && status_is unodc ok 4 && test "$n" = 4 &&
	grep -qF "SUMMARY:Z$(printf '\303\274')rich Caf$(printf '\303\251') Forum $(printf '\342\200\223 \342\202\254')" \
		"$tmp/public/source/unodc/calendar.ics"
ok $? "a calendar in UTF-16LE without a byte order mark, charset=utf-16le: read (exit $rc)"
diag_file "$tmp/utf16le.err"
restore unodc

# A source whose url holds a user name and password: its items' relative
# links resolve against the url without them, which are never published
# (evfeed.conf(5)).
write_conf cred
ctl osce relative
fetch cred cred
n=$(published cred)
test "$rc" -eq 0 && test "$n" = 4 &&
	grep -qF "http://127.0.0.1:$port/events/relative-item" \
		"$tmp/public/source/cred/calendar.ics" &&
	grep -qF "http://127.0.0.1:$port/more/relative.html" \
		"$tmp/public/source/cred/feed.json" &&
	! grep -r -q -F 's3cret-pw' "$tmp/public"
ok $? "a url with a password: relative links resolve without it, never published (exit $rc)"
grep -r -l -F 's3cret-pw' "$tmp/public" | while read -r f; do diag "password in $f"; done
# Behind a redirect, relative links resolve against the address that
# answered (RFC 3986 §5.1.3), as feed readers do.
write_conf elsewhere
ctl osce relative-elsewhere
fetch elsewhere elsewhere
n=$(published elsewhere)
test "$rc" -eq 0 && test "$n" = 4 &&
	grep -qF "http://127.0.0.1:$port/sub/events/relative-item" \
		"$tmp/public/source/elsewhere/calendar.ics" &&
	grep -qF "http://127.0.0.1:$port/sub/more/relative.html" \
		"$tmp/public/source/elsewhere/feed.json"
ok $? "behind a redirect: relative links resolve against the address that answered (exit $rc, $n items)"
# format= that the body is not: the error says what the body is.
write_conf misformat
fetch misformat misformat
test "$rc" -eq 1 &&
	grep -q "the body is an iCalendar calendar, not what format=rss says: set format=ics, or leave format out" \
		"$tmp/misformat.out" "$tmp/misformat.err"
ok $? "format=rss on a calendar: said so (exit $rc)"
diag_file "$tmp/misformat.err"
ctl osce normal

# ------------------------------------ a reload changes a url mid-fetch

# moving's old URL answers after 3 s; meanwhile a reload gives it dcaf's.
# zoned, new, reads the calendar with a floating time and an unknown zone.
fixture=$base
moving_url=$fixture/osce.rss
write_conf moving zoned
ctl osce late
ctl unodc floating
o0=$(hits osce)
d0=$(hits dcaf)
osce_asked()
{
	test "$(hits osce)" -gt "$o0"
}
if serve_start "$conf" "$tmp/serve.out" "$tmp/serve.err"; then
	daemon=$base
	base=$fixture
	wait_until 10 osce_asked || diag "moving's old URL was not requested"
	moving_url=$fixture/dcaf.atom
	write_conf moving zoned
	kill -HUP "$serve_pid"
	# moving_fetched [ITEMS]: status.json has moving fetched from its
	# url, with no error (and ITEMS items).
	moving_fetched()
	{
		"$CURL" -sf "$daemon/status.json" | "$PYTHON3" -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sources"] if x["name"] == "moving"]
sys.exit(not (s and s[0]["url"] == sys.argv[1] and s[0]["status"] == "ok"
              and (sys.argv[2] == "" or s[0]["items"] == int(sys.argv[2]))
              and s[0]["last_error"] is None))' \
			"$moving_url" "${1:-}"
	}
	# The old answer comes 3 s after its request, the new one at once.
	moving_ok()
	{
		moving_fetched 2
	}
	wait_until 15 moving_ok && sleep 4 && moving_ok
	ok $? "reload mid-fetch: the new url's 2 items, not the old answer's 3"
	test "$(hits dcaf)" -gt "$d0"
	ok $? "reload mid-fetch: the new url is fetched without waiting for the interval"
	# The change undone: the url of before, fetched a moment ago, is
	# fetched again at once too (it waited a minute from its last fetch).
	o1=$(hits osce)
	moving_url=$fixture/osce.rss
	write_conf moving zoned
	kill -HUP "$serve_pid"
	osce_again()
	{
		test "$(hits osce)" -gt "$o1"
	}
	wait_until 10 osce_again
	ok $? "reload back to the url of before: fetched again at once"
	# (its late answer taken, 3 s on)
	wait_until 15 moving_fetched || diag "moving: no answer from $moving_url"
	d1=$(hits dcaf)
	moving_url=$fixture/dcaf.atom
	write_conf moving zoned
	kill -HUP "$serve_pid"
	dcaf_again()
	{
		test "$(hits dcaf)" -gt "$d1"
	}
	wait_until 10 dcaf_again
	ok $? "... and forward again: fetched again at once"
	grep -qE "source zoned: line [1-9][0-9]*: 'floating@unodc\.example' \(\"FLOATING no time zone\"\): floating times \(no time zone\): taken as UTC" \
		"$tmp/serve.err" &&
		grep -q "source zoned: unknown time zone 'Mars/Olympus_Mons' and no usable VTIMEZONE: times taken as UTC" \
			"$tmp/serve.err"
	ok $? "serve: the log warns of the times taken as UTC"
	"$CURL" -sf "$daemon/status.json" | "$PYTHON3" -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sources"] if x["name"] == "zoned"]
w = s[0]["warnings"] if s else []
sys.exit(not (any("Mars/Olympus_Mons" in x and "taken as UTC" in x
                  for x in w) and
              any("floating@unodc.example" in x for x in w)))'
	ok $? "serve: status.json lists the warnings about zoned's items"
	# It has no ETag: If-Match holds for "*" alone, If-None-Match "*"
	# says the client has it (RFC 9110 §13.1.1-2).
	sj()
	{
		"$CURL" -s -o /dev/null -w '%{http_code}' "$@" "$daemon/status.json"
	}
	test "$(sj -H 'If-Match: "nope"')" = 412 &&
		test "$(sj -H 'If-Match: *')" = 200 &&
		test "$(sj -H 'If-None-Match: *')" = 304 &&
		test "$(sj -H 'If-None-Match: "nope"')" = 200
	ok $? "serve: status.json answers If-Match and If-None-Match"
	# a 304's Content-Length is the 200's, or none (RFC 9110 §8.6),
	# never 0 (the status is live: the two may be a moment apart)
	l200=$("$CURL" -sI "$daemon/status.json" | tr -d '\r' |
		sed -n 's/^[Cc]ontent-[Ll]ength: //p')
	l304=$("$CURL" -sI -H 'If-None-Match: *' "$daemon/status.json" |
		tr -d '\r' | sed -n 's/^[Cc]ontent-[Ll]ength: //p')
	test -n "$l200" && test "$l200" -gt 0 &&
		{ test -z "$l304" || test "$l304" -gt 0; }
	ok $? "serve: status.json's 304 says the 200's length (${l304:-none}, the 200 $l200)"
	serve_stop
	test "$serve_status" -eq 0
	ok $? "reload mid-fetch: SIGTERM: exit status 0 ($serve_status)"
else
	diag_file "$tmp/serve.err"
	fail "reload mid-fetch: evfeed serve starts"
	serve_stop KILL
fi
base=$fixture
ctl osce normal
ctl unodc normal

# ------------------------- `evfeed fetch NAME` beside a running serve

# evfeed(1) advises it to apply a shorter interval at once: what it
# fetches is published by the server within seconds, though the server's
# own fetch, an hour away, would get the same answer and change nothing.
write_conf osce
fetch beside.first osce
if serve_start "$conf" "$tmp/beside.out" "$tmp/beside.err"; then
	daemon=$base
	base=$fixture
	ctl osce scrolled
	fetch beside.second osce
	seminar_served()
	{
		"$CURL" -sf "$daemon/source/osce/calendar.ics" |
			grep -q 'Regional Seminar on Countering Terrorist Financing'
	}
	# its next fetch, as the fetch beside it scheduled it
	next=$("$EVFEED" sources --config "$conf" | awk '$1 == "osce" { print $5 }')
	status_told()
	{
		"$CURL" -sf "$daemon/status.json" | "$PYTHON3" -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sources"] if x["name"] == "osce"]
sys.exit(not (s and s[0]["next_fetch"] == sys.argv[1]))' "$next"
	}
	test "$rc" -eq 0 && test -n "$next" && wait_until 20 seminar_served &&
		wait_until 5 status_told
	if ! ok $? "evfeed fetch beside serve: the item it fetched served within seconds, and its next fetch in status.json"; then
		diag "fetch: exit $rc"
		diag_file "$tmp/beside.second.err"
		diag_file "$tmp/beside.err"
		diag "sources: next fetch $next"
		"$CURL" -sf "$daemon/status.json" >"$tmp/beside.status"
		diag_file "$tmp/beside.status"
	fi
	# and a fetch that fails, which changes no item: told all the same
	ctl osce 500
	fetch beside.third osce
	failing_told()
	{
		"$CURL" -sf "$daemon/status.json" | "$PYTHON3" -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sources"] if x["name"] == "osce"]
sys.exit(not (s and s[0]["status"] == "failing" and s[0]["failures"] == 1
              and "500" in (s[0]["last_error"] or "")))'
	}
	test "$rc" -ne 0 && wait_until 15 failing_told
	ok $? "evfeed fetch beside serve that fails: status.json says so within seconds"
	serve_stop
else
	diag_file "$tmp/beside.err"
	fail "evfeed fetch beside serve: evfeed serve starts"
	serve_stop KILL
fi
base=$fixture
ctl osce normal

done_testing
