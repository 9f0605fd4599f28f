#!/bin/sh
# serve.sh: `evfeed serve` driven with curl on 127.0.0.1 and a free port:
# headers, conditional requests (both validators, If-None-Match winning),
# HEAD, gzip, 405, 404, path traversal, a live edit served within a second
# with SEQUENCE + 1 and a new ETag, two edits within one second with two
# Last-Modified, an invalid edit that keeps the ETag and logs the file,
# SIGHUP, and SIGTERM with exit status 0.
. "$top_srcdir/tests/integration/lib.sh"

# Under valgrind (make check-valgrind) everything takes ten times longer.
slow=1
[ -n "${EVFEED_SLOW:-}" ] && slow=10

CURL=${CURL:-curl}
tmp=$(mktmp)
mkdir "$tmp/events"
cp "$top_srcdir"/feeds/events/*.md "$tmp/events/"
write_config "$tmp" "$tmp/events"

"$EVFEED" serve --config "$tmp/evfeed.conf" --listen 127.0.0.1:0 \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
# The server must stop even if this script dies.
trap 'kill -9 $pid 2>/dev/null; _tap_cleanup' EXIT

i=0
while ! grep -q '^Calendar:' "$tmp/out" 2>/dev/null && [ $i -lt $((100 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
done
base=$(sed -n 's|^Calendar: *\(http://[^/]*\)/calendar.ics$|\1|p' "$tmp/out")
if [ -z "$base" ]; then
	diag_file "$tmp/err"
	bail_out "evfeed serve did not start"
fi
diag "serving at $base"
grep -q "webcal://" "$tmp/out"
ok $? "announces the webcal URL"
# A new user reads these lines first: the loopback address is no address
# to give subscribers, and the public one comes from [site] url.
grep -q "^evfeed .*: serving .* on $base/ (from this machine only)\$" "$tmp/out" &&
	grep -q '^Public:    https://events.example.org/calendar.ics$' "$tmp/out" &&
	grep -q '^ *(from \[site\] url: what the calendar and the feeds link to' "$tmp/out" &&
	grep -q ' subscribers use' "$tmp/out"
ok $? "the start-up lines say whom the address serves, and where the public one comes from"
diag_file "$tmp/out"


h=$(head_of /calendar.ics)
test "$(echo "$h" | status)" = 200
ok $? "GET /calendar.ics is 200"
test "$(echo "$h" | header Content-Type)" = "text/calendar; charset=utf-8"
ok $? "calendar Content-Type"
etag=$(echo "$h" | header ETag)
echo "$etag" | grep -Eq '^"[0-9a-f]{32}"$'
ok $? "strong ETag ($etag)"
lm=$(echo "$h" | header Last-Modified)
echo "$lm" | grep -Eq '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$'
ok $? "Last-Modified is an HTTP date ($lm)"
test "$(echo "$h" | header Cache-Control)" = "public, max-age=3600"
ok $? "Cache-Control max-age from [feeds] refresh"
test "$(echo "$h" | header Vary)" = "Accept-Encoding"
ok $? "Vary: Accept-Encoding"
len=$(echo "$h" | header Content-Length)
test "$len" = "$(wc -c <"$tmp/public/calendar.ics" | tr -d ' ')"
ok $? "Content-Length is the file's size"
"$CURL" -s "$base/calendar.ics" | cmp -s - "$tmp/public/calendar.ics"
ok $? "the body is the published file, byte for byte"

test "$(head_of /rss.xml | header Content-Type)" = "application/rss+xml; charset=utf-8"
ok $? "RSS Content-Type"
test "$(head_of /atom.xml | header Content-Type)" = "application/atom+xml; charset=utf-8"
ok $? "Atom Content-Type"
test "$(head_of /category/conference/calendar.ics | status)" = 200
ok $? "category calendar served"
# The home page that a category's feeds name: its index.html, the name
# the page gives itself (a static host without index documents has no page
# at the folder's address); the folder serves it too.
home=$(sed -n 's|^ *<link>https://[^/]*/\(category/conference/[^<]*\)</link>$|\1|p' \
	"$tmp/public/category/conference/rss.xml")
test "$home" = category/conference/index.html &&
	"$CURL" -s "$base/$home" | cmp -s - "$tmp/public/$home" &&
	grep -qF "<link rel=\"canonical\" href=\"https://events.example.org/$home\"/>" \
		"$tmp/public/$home"
ok $? "a category's feeds name its page as the page names itself ($home)"
"$CURL" -s "$base/category/conference/" | cmp -s - "$tmp/public/$home"
ok $? "a category's folder serves its index.html"
ev=$(cd "$tmp/public/events" && ls *.ics | head -n 1)
test "$(head_of "/events/$ev" | status)" = 200
ok $? "one-event file served"
test -z "$(head_of "/events/$ev" -H 'Accept-Encoding: gzip' | header Vary)"
ok $? "one-event file, which has no gzip answer: no Vary (as nginx's gzip_static)"
# Google's fetcher sends no Accept header; an odd Accept changes nothing.
test "$(head_of /calendar.ics -H 'Accept:' | status)" = 200 &&
	test "$(head_of /calendar.ics -H 'Accept: application/json' | header ETag)" = "$etag"
ok $? "the Accept header never changes the answer"

# Conditional requests.
h=$(head_of /calendar.ics -H "If-None-Match: $etag")
test "$(echo "$h" | status)" = 304
ok $? "If-None-Match: 304"
test "$(echo "$h" | header ETag)" = "$etag" &&
	test -n "$(echo "$h" | header Cache-Control)"
ok $? "304 carries ETag and Cache-Control"
lenh=$(echo "$h" | header Content-Length)
test -z "$lenh" || test "$lenh" = "$len"
ok $? "304 never claims a length of 0"
test "$(head_of /calendar.ics -H "If-None-Match: \"other\", $etag" | status)" = 304
ok $? "If-None-Match with a list"
# The weak comparison (RFC 9110 §8.8.3.2, §13.1.2) and "*", which matches
# any current representation.
test "$(head_of /calendar.ics -H "If-None-Match: W/$etag" | status)" = 304 &&
	test "$(head_of /calendar.ics -H 'If-None-Match: W/"other"' | status)" = 200 &&
	test "$(head_of /calendar.ics -H 'If-None-Match: *' | status)" = 304 &&
	test "$(head_of /nothing-here.ics -H 'If-None-Match: *' | status)" = 404
ok $? "If-None-Match with a weak tag or *: 304 for a file that exists"
test "$(head_of /calendar.ics -H "If-Modified-Since: $lm" | status)" = 304
ok $? "If-Modified-Since: 304"
test "$(head_of /calendar.ics -H 'If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT' | status)" = 200
ok $? "If-Modified-Since in the past: 200"
# A date later than the server's time is invalid and ignored (RFC 9110
# §13.1.3): it is no Last-Modified this server sent.
soon=$(LC_ALL=C date -u -d '+1 hour' '+%a, %d %b %Y %H:%M:%S GMT')
test "$(head_of /calendar.ics -H "If-Modified-Since: $soon" | status)" = 200 &&
	test "$(head_of /calendar.ics -H 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT' | status)" = 200
ok $? "If-Modified-Since later than now ($soon): 200"
test "$(head_of /calendar.ics -H 'If-None-Match: "stale"' -H "If-Modified-Since: $lm" | status)" = 200
ok $? "If-None-Match wins over If-Modified-Since"

# HEAD
h=$("$CURL" -s -I -D - -o "$tmp/headbody" "$base/calendar.ics" | tr -d '\r')
test "$(echo "$h" | status)" = 200 && test "$(echo "$h" | header Content-Length)" = "$len" &&
	test "$(echo "$h" | header ETag)" = "$etag"
ok $? "HEAD: same headers"

# gzip
h=$(head_of /calendar.ics -H 'Accept-Encoding: gzip')
test "$(echo "$h" | header Content-Encoding)" = gzip
ok $? "gzip when Accept-Encoding allows it"
"$CURL" -s -H 'Accept-Encoding: gzip' "$base/calendar.ics" | gzip -dc |
	cmp -s - "$tmp/public/calendar.ics"
ok $? "gzip body decompresses to the identity bytes"
test -z "$(head_of /calendar.ics -H 'Accept-Encoding: gzip;q=0' | header Content-Encoding)"
ok $? "no gzip when q=0"
test -z "$(head_of /calendar.ics -H 'Accept-Encoding: identity' | header Content-Encoding)"
ok $? "no gzip when not asked for"
# Empty list elements are allowed (RFC 9110 §5.6.1); they once crashed the
# server (tests/fuzz/corpus/http/regress-accept-encoding-empty-element).
test "$(head_of /calendar.ics -H 'Accept-Encoding: identity,,gzip' | header Content-Encoding)" = gzip &&
	test -z "$(head_of /calendar.ics -H 'Accept-Encoding: identity,' | header Content-Encoding)"
ok $? "empty elements in Accept-Encoding are skipped"
# The lines of one field make one list (RFC 9110 §5.3): a later line's
# gzip;q=0 refuses gzip as on the same line.
test -z "$(head_of /calendar.ics -H 'Accept-Encoding: *' -H 'Accept-Encoding: gzip;q=0' | header Content-Encoding)" &&
	test "$(head_of /calendar.ics -H 'Accept-Encoding: identity' -H 'Accept-Encoding: gzip' | header Content-Encoding)" = gzip
ok $? "two Accept-Encoding lines make one list"
gtag=$(head_of /calendar.ics -H 'Accept-Encoding: gzip' | header ETag)
test "$gtag" != "$etag" &&
	test "$(head_of /calendar.ics -H 'Accept-Encoding: gzip' -H "If-None-Match: $gtag" | status)" = 304
ok $? "the gzip variant has its own ETag, and it validates"

# raw_status REQUEST: the status of the answer to REQUEST, sent as it is
# with printf's escapes (\r\n), or "closed".
raw_status()
{
	# shellcheck disable=SC2059
	printf "$1" | "${PYTHON3:-/usr/bin/python3}" -c '
import socket
import sys

s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.stdin.buffer.read())
try:
    line = s.recv(64).split(b"\r\n")[0].decode("latin-1")
except OSError:
    line = ""
print(line.split(" ")[1] if line.startswith("HTTP/") else "closed")
' "${base##*:}"
}

# raw_answers REQUESTS: the status of each answer the server sends to
# REQUESTS (printf format), space-separated, then "closed" when it closes
# the connection within 3 s of its last answer, or "open".
raw_answers()
{
	# shellcheck disable=SC2059
	printf "$1" | "${PYTHON3:-/usr/bin/python3}" -c '
import re
import socket
import sys

s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(sys.stdin.buffer.read())
got = b""
end = "closed"
while True:
    try:
        b = s.recv(65536)
    except OSError:
        end = "open"
        break
    if not b:
        break
    got += b
codes = re.findall(rb"HTTP/1\.[01] (\d{3}) ", got)
print(" ".join([c.decode() for c in codes] + [end]))
' "${base##*:}"
}

# Preconditions in RFC 9110 §13.2.2's order; If-None-Match compared with
# the selected representation's ETag only; lines of one field combined.
test "$(head_of /calendar.ics -H 'If-Match: "other"' | status)" = 412 &&
	test "$(head_of /calendar.ics -H "If-Match: W/$etag" | status)" = 412 &&
	test "$(head_of /calendar.ics -H "If-Match: $gtag" | status)" = 412
ok $? "If-Match without the current ETag (strong comparison): 412"
test "$(head_of /calendar.ics -H 'If-Match: *' | status)" = 200 &&
	test "$(head_of /calendar.ics -H "If-Match: \"other\", $etag" | status)" = 200 &&
	test "$(head_of /calendar.ics -H 'Accept-Encoding: gzip' -H "If-Match: $gtag" | status)" = 200
ok $? "If-Match with * or the current ETag: 200"
# A comma may be inside a quoted tag (RFC 9110 §8.8.3): "x, *, y" is one
# tag, not a list with *.
test "$(head_of /calendar.ics -H 'If-None-Match: "x, *, y"' | status)" = 200 &&
	test "$(head_of /calendar.ics -H 'If-Match: "x, *, y"' | status)" = 412 &&
	test "$(head_of /calendar.ics -H "If-None-Match: \"a,b\" , W/$etag" | status)" = 304 &&
	test "$(head_of /calendar.ics -H "If-None-Match: junk, $etag" | status)" = 304
ok $? "entity-tag lists read tag by tag, commas in quotes included"
test "$(head_of /calendar.ics -I -H 'If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT' | status)" = 412 &&
	test "$(head_of /calendar.ics -H "If-Unmodified-Since: $lm" | status)" = 200
ok $? "If-Unmodified-Since before Last-Modified: 412 (GET and HEAD)"
test "$(head_of /calendar.ics -H "If-Match: $etag" -H 'If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT' | status)" = 200 &&
	test "$(head_of /calendar.ics -H 'If-Match: "other"' -H "If-None-Match: $etag" | status)" = 412
ok $? "If-Match wins over If-Unmodified-Since, and comes before If-None-Match"
test "$(head_of /calendar.ics -H "If-Modified-Since: $lm, $lm" | status)" = 200 &&
	test "$(head_of /calendar.ics -H 'If-Modified-Since: yesterday' | status)" = 200
ok $? "If-Modified-Since that is not one HTTP-date is ignored"
asc=$(LC_ALL=C date -u -d "$lm" '+%a %b %e %H:%M:%S %Y')
r850=$(LC_ALL=C date -u -d "$lm" '+%A, %d-%b-%y %H:%M:%S GMT')
test "$(head_of /calendar.ics -H "If-Modified-Since: $asc" | status)" = 304 &&
	test "$(head_of /calendar.ics -H "If-Modified-Since: $r850" | status)" = 304
ok $? "If-Modified-Since in the obsolete forms ($asc; $r850)"
test "$(raw_status "GET /calendar.ics HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\nIf-None-Match: $etag\r\n\r\n")" = 304
ok $? "two If-None-Match lines make one list"
test "$(head_of /calendar.ics -H "If-None-Match: $gtag" | status)" = 200 &&
	h=$(head_of /calendar.ics -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag") &&
	test "$(echo "$h" | status)" = 200 &&
	h=$(head_of /calendar.ics -H 'Accept-Encoding: gzip' -H "If-None-Match: W/$gtag") &&
	test "$(echo "$h" | status)" = 304 && test "$(echo "$h" | header ETag)" = "$gtag"
ok $? "If-None-Match is compared with the selected representation's ETag"

# HTTP/1.1 message rules (RFC 9112 §3.2, §3.2.2, §5.1).
test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n')" = 400
ok $? "HTTP/1.1 without Host, or with two Host lines: 400"
test "$(raw_status 'GET /calendar.ics HTTP/1.0\r\n\r\n')" = 200 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost:\r\n\r\n')" = 200
ok $? "HTTP/1.0 without Host, or an empty Host: 200"
for v in 'a b' 'x:port' '[::1' 'x/y' 'user@x'; do
	test "$(raw_status "GET /calendar.ics HTTP/1.1\r\nHost: $v\r\n\r\n")" = 400
	ok $? "an invalid Host ($v): 400"
done
test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n')" = 200 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: Events.Example.org.\r\n\r\n')" = 200
ok $? "a Host with an IPv6 address and a port, or a name: 200"
# white space after a value is not of it (RFC 9110 §5.5)
test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x \r\n\r\n')" = 200 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x\t\r\n\r\n')" = 200
ok $? "a Host with white space after it: 200"
# only spaces and tabs are white space there: a form feed is a control
# character, which no field value holds (RFC 9112 §3.2)
test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x\f\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: \fx\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x:80 \f \r\n\r\n')" = 400
ok $? "a Host with a form feed around it: 400"
test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x\r\nBad\t: y\r\n\r\n')" = 400
ok $? "white space before a field's colon: 400"
# A body's length must be the one every reader of the request finds
# (RFC 9112 §6.1, §6.3): a front proxy that reads the other one would
# take what follows for a request of its own (request smuggling).
test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n')" = "400 closed"
ok $? "Transfer-Encoding with Content-Length: 400, and the connection closed"
test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n')" = "400 closed" &&
	test "$(raw_answers 'GET /rss.xml HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')" = "400 closed"
ok $? "a Transfer-Encoding that does not end in chunked, or in HTTP/1.0: 400"
test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n')" = "501 closed"
ok $? "a transfer coding other than chunked: 501"
# libmicrohttpd reads a chunked body only under "chunked" alone: the
# valid "chunked " and ", chunked" it read to the connection's end, and
# the request went unanswered until the timeout.
test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked \r\n\r\n0\r\n\r\n')" = "501 closed" &&
	test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n')" = "501 closed" &&
	test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n')" = "501 closed"
ok $? "chunked as a list, or with white space after it: 501 at once"
# an empty Content-Length beside chunked: 400, and the server lives (it
# read past the empty value's list, and fell)
test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nContent-Length:\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')" = "400 closed" &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n')" = 200
ok $? "an empty Content-Length beside chunked: 400, and still serving"
# libmicrohttpd read the body by the first of two Content-Length lines and
# took the rest ("f") for the start of the next request.
test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdefGET /atom.xml HTTP/1.1\r\nHost: x\r\n\r\n')" = "400 closed" &&
	test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nabcdeGET /atom.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')" = "200 200 closed"
ok $? "two Content-Length lines that disagree: 400, closed (the same length twice: read once)"
# A large body (none is expected) is read and dropped, never kept, and the
# next request on the connection is answered.
code=$("${PYTHON3:-/usr/bin/python3}" - "${base##*:}" <<'PY'
import re
import socket
import sys

s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
s.sendall(b'POST /calendar.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\n\r\n' +
          b'a' * 4000000 +
          b'GET /rss.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
got = b''
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
except OSError:
    pass
print(' '.join(c.decode() for c in re.findall(rb'HTTP/1\.1 (\d{3}) ', got)))
PY
)
test "$code" = "405 200"
ok $? "a 4 MB body is read and dropped, and the next request answered ($code)"
test "$(raw_answers 'GET /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /atom.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')" = "200 200 closed"
ok $? "a chunked body alone is read and dropped, and the connection kept"
test "$(raw_status "GET $base/calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n")" = 200 &&
	"$CURL" -s --request-target "http://elsewhere.example/rss.xml" "$base/" |
	cmp -s - "$tmp/public/rss.xml" &&
	test "$(raw_status "GET $base/events/../calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n")" = 404
ok $? "a target in absolute form is served by its path"
# and, in absolute form, an empty host (invalid, RFC 9110 §4.2.1) or a
# user name and password (§4.2.4)
for t in calendar.ics '*' 'http:calendar.ics' 'webcal://x/calendar.ics' \
	'http:///calendar.ics' 'http://user:pw@x/calendar.ics'; do
	test "$(raw_status "GET $t HTTP/1.1\r\nHost: x\r\n\r\n")" = 400
	ok $? "a target neither in origin nor in absolute form ($t): 400"
done
test "$(raw_status 'GET http://us%%3Aer:s3cr%%40t@x:81/rss.xml?q=1 HTTP/1.1\r\nHost: x\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET http://us:pw@x:bad/rss.xml HTTP/1.1\r\nHost: x\r\n\r\n')" = 400
ok $? "a target with a user name and password: 400, also with a bad port"
test "$(raw_status 'CONNECT alice:s3cret@x:443 HTTP/1.1\r\nHost: x\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET http:alice:s3cret@x/rss.xml HTTP/1.1\r\nHost: x\r\n\r\n')" = 400
grep -q '"GET http://(hidden)@x:81/rss.xml" 400' "$tmp/err" &&
	grep -q '"GET (hidden)@x:bad/rss.xml" 400' "$tmp/err" &&
	grep -q '"CONNECT (hidden)@x:443" 400' "$tmp/err" &&
	! grep -q 's3cr\|us:pw\|user:pw\|us%3Aer\|alice' "$tmp/err"
ok $? "the access log shows no user name or password"
# an answer sent whole says nothing of how much of it was taken
! grep -q 'bytes of the answer taken' "$tmp/err" &&
	grep -q '"GET http://(hidden)@x:81/rss.xml" 400 [0-9]*$' "$tmp/err"
ok $? "the access log's 400s, sent whole, end with their size"
test "$(raw_status 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n')" = 405
ok $? "OPTIONS *: 405"
# refused TARGET-OR-FIELD LABEL: a request with the target TARGET (when
# it starts with '/') or the header field FIELD gets 400, and its
# connection is closed.
refused()
{
	case $1 in
	/*) _r="GET $1 HTTP/1.1\r\nHost: x\r\n\r\n" ;;
	*) _r="GET /calendar.ics HTTP/1.1\r\nHost: x\r\n$1\r\n\r\n" ;;
	esac
	test "$(raw_answers "$_r")" = "400 closed"
	ok $? "$2: 400, closed"
}
# A NUL is never part of a request line, and one in a field value, a bare
# CR there and a field folded over two lines (obs-fold) are grounds for
# 400 (RFC 9110 §5.5, RFC 9112 §2.2, §3, §5.2). libmicrohttpd took a NUL
# for the end of what held it ("/calendar.ics\0junk" was served as
# /calendar.ics, "a\0b" read as "a"), kept a bare CR, and glued a folded
# line's text onto the field's name.
refused '/calendar.ics\000junk' "a NUL in the target"
refused '/calendar.ics?a\000b' "a NUL in the target's query"
refused '/calendar.ics x' "white space in the target"
refused '/calendar.ics\001' "a control character in the target"
test "$(raw_status 'GET\000x /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET /calendar.ics HTTP/1.1\000x\r\nHost: x\r\n\r\n')" = 400
ok $? "a NUL in the method or the version: 400"
# next to the spaces, where libmicrohttpd puts its own NULs
test "$(raw_status 'GET\000 /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET /calendar.ics\000 HTTP/1.1\r\nHost: x\r\n\r\n')" = 400 &&
	test "$(raw_status 'GET  /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n')" = 200
ok $? "a NUL before the space after the method or the target: 400"
refused 'X-A: a\000b\r\nConnection: close' "a NUL in a field value"
refused 'Connection: close\r\nX-A: a\000b' "a NUL in the last field value"
refused "If-None-Match: $etag\\000x" "a NUL after a matching ETag"
refused 'X-A: a\rb' "a bare CR in a field value"
refused 'X-A: a\r\n b' "a field folded with a space (obs-fold)"
refused 'X-A: a\r\n\tb' "a field folded with a tab (obs-fold)"
test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\n Host: x\r\n\r\n')" = 400
ok $? "white space before the first header field: 400"
# The controls: what libmicrohttpd leaves out here is white space and
# line ends only.
test "$(raw_status 'GET /calendar.ics HTTP/1.1\r\nHost: x\r\nX-A:   a   \r\nX-E:\r\nX-B:b\r\n\r\n')" = 200 &&
	test "$(raw_status '\r\nGET /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n')" = 200 &&
	test "$(raw_status 'GET /calendar.ics?a=b&c HTTP/1.1\nHost: x\n\n')" = 200
ok $? "white space around field values, an empty value, an empty line before the request, LF line ends: 200"

# A folder's address ending in / is its index.html, as a static server
# (nginx's index) serves it: the category pages, like the home page.
page=$(cd "$tmp/public" && ls -d category/*/index.html | head -n 1)
test -n "$page" &&
	"$CURL" -sf "$base/${page%index.html}" | cmp -s - "$tmp/public/$page" &&
	test "$(head_of "/${page%index.html}" | header Content-Type)" = "text/html; charset=utf-8"
ok $? "/${page%index.html} serves its index.html"
h=$(head_of "/${page%/index.html}")
folder=$(basename "${page%/index.html}")
test "$(echo "$h" | status)" = 301 &&
	test "$(echo "$h" | header Location)" = "$folder/" &&
	test "$(head_of /category | status)" = 404
ok $? "/${page%/index.html} without its final / is moved there (301), by a Location relative to it, which holds behind a proxy's prefix"
# The query goes with it, as a static server keeps it.
h=$(head_of "/${page%/index.html}?utm_source=x&q=%41%20b")
test "$(echo "$h" | status)" = 301 &&
	test "$(echo "$h" | header Location)" = "$folder/?utm_source=x&q=%41%20b"
ok $? "the 301 to the folder keeps the query"
# A request line of 8,000 octets is read (RFC 9112 §3), its query, in
# the Location, too: answered, never a closed connection.
long=$(head -c 8100 /dev/zero | tr '\0' a)
h=$(head_of "/${page%/index.html}?$long")
test "$(echo "$h" | status)" = 301 &&
	test "$(echo "$h" | header Location)" = "$folder/?$long"
ok $? "a request line of 8 KB to a folder: 301 with its query"
# A query that escapes to three times its length ('"' is %22), with a
# dozen header fields: answered, with the query (2,000 octets of it) or a
# 414 (7,500), never a connection closed without a word.
fields=$(i=0; while [ $i -lt 15 ]; do printf -- "-H\nX-H$i: %090d\n" 0; i=$((i + 1)); done)
quoted=$(head -c 2000 /dev/zero | tr '\0' '"')
h=$(IFS='
'; head_of "/${page%/index.html}?$quoted" $fields)
test "$(echo "$h" | status)" = 301 &&
	test "$(echo "$h" | header Location)" = "$folder/?$(echo "$quoted" | sed 's/"/%22/g')"
ok $? "a query of 2,000 '\"' to a folder, with 15 header fields: 301 with all of it escaped"
quoted=$(head -c 7500 /dev/zero | tr '\0' '"')
h=$(IFS='
'; head_of "/${page%/index.html}?$quoted" $fields)
test "$(echo "$h" | status)" = 301 &&
	test "$(echo "$h" | header Location)" = "$folder/?$(echo "$quoted" | sed 's/"/%22/g')"
ok $? "a query of 7,500 '\"' to a folder, with 15 header fields: 301 with all of it escaped (status $(echo "$h" | status))"
quoted=$(head -c 16000 /dev/zero | tr '\0' '"')
h=$(IFS='
'; head_of "/${page%/index.html}?$quoted" $fields)
test "$(echo "$h" | status)" = 414
ok $? "a query of 16,000 '\"' to a folder, with 15 header fields: 414, not a closed connection (status $(echo "$h" | status))"

# Methods, unknown paths, traversal.
h=$("$CURL" -s -o /dev/null -D - -X POST -d x=1 "$base/calendar.ics" | tr -d '\r')
test "$(echo "$h" | status)" = 405 && test "$(echo "$h" | header Allow)" = "GET, HEAD"
ok $? "POST: 405 with Allow"
for m in PUT DELETE OPTIONS TRACE; do
	test "$("$CURL" -s -o /dev/null -w '%{http_code}' -X $m "$base/calendar.ics")" = 405
	ok $? "$m: 405"
done
# Any other method, one HTTP does not define too (they are case-sensitive):
# 405 with Allow, as for POST.
for m in FOO get PROPFIND; do
	"$CURL" -s -D - -o /dev/null -X $m "$base/calendar.ics" >"$tmp/h.$m"
	test "$(status <"$tmp/h.$m")" = 405 &&
		grep -qi '^Allow: GET, HEAD' "$tmp/h.$m"
	ok $? "unknown method $m: 405 with Allow"
done
test "$(head_of /nothing-here.ics | status)" = 404
ok $? "unknown path: 404"
for p in '/../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/category/..%2f..%2fetc%2fpasswd' \
	'/calendar.ics%00.txt' '/events/../calendar.ics' '//etc/passwd' '/category/' \
	'/%2fetc%2fpasswd'; do
	test "$("$CURL" -s --path-as-is -o /dev/null -w '%{http_code}' "$base$p")" = 404
	ok $? "traversal $p: 404"
done
# An encoded character is that character (RFC 9110 §4.2.3), decoded once.
for p in '/calendar%2Eics' '/%63alendar.ics'; do
	"$CURL" -sf --path-as-is "$base$p" | cmp -s - "$tmp/public/calendar.ics"
	ok $? "$p is /calendar.ics"
done
test "$("$CURL" -s --path-as-is -o /dev/null -w '%{http_code}' "$base/calendar%252Eics")" = 404
ok $? "/calendar%252Eics is not decoded twice: 404"
# Runs of '/' are one, as nginx reads them (merge_slashes): a proxy that
# passes /events/calendar.ics on as //calendar.ics finds the calendar.
for p in '//calendar.ics' '/category//workshop/' '///category/workshop///index.html'; do
	f=$(printf '%s' "$p" | sed 's|//*|/|g; s|^/||; s|/$|/index.html|')
	"$CURL" -sf --path-as-is "$base$p" | cmp -s - "$tmp/public/$f"
	ok $? "$p is /$f"
done
# A "." segment goes, as nginx takes it out (RFC 3986 §5.2.4), and a
# fragment in the request line too, as in the absolute form; a ".." stays
# not found (above).
for p in '/./calendar.ics' '/category/./workshop/./calendar.ics' \
	'/calendar.ics#subscribe'; do
	f=$(printf '%s' "$p" | sed 's|/\./|/|g; s|#.*||; s|^/||')
	test "$(raw_status "GET $p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")" = 200 &&
		"$CURL" -sf --path-as-is "$base${p%%#*}" | cmp -s - "$tmp/public/$f"
	ok $? "$p is /$f"
done
test "$(raw_status "GET /category/workshop#x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")" = 301
ok $? "/category/workshop#x: 301, as /category/workshop"
test "$(raw_status "GET /category/./../calendar.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")" = 404
ok $? "/category/./../calendar.ics: 404"
# nor one escaped in part, and a run of '/' before a "." is one '/', not
# a host's name
test "$("$CURL" -s --path-as-is -o /dev/null -w '%{http_code}' "$base/category/.%2e/calendar.ics")" = 404
ok $? "/category/.%2e/calendar.ics: 404"
"$CURL" -sf --path-as-is "$base//category/./workshop/calendar.ics" |
	cmp -s - "$tmp/public/category/workshop/calendar.ics"
ok $? "//category/./workshop/calendar.ics is /category/workshop/calendar.ics"
test "$(raw_status "GET //.x/calendar.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")" = 404
ok $? "//.x/calendar.ics: 404"
# a fragment after a query stays out of the Location
loc=$(printf 'GET /category/workshop?a=1#f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
	"${PYTHON3:-/usr/bin/python3}" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.stdin.buffer.read())
data = b""
while b"\r\n\r\n" not in data:
    b = s.recv(4096)
    if not b:
        break
    data += b
for line in data.split(b"\r\n"):
    if line.lower().startswith(b"location:"):
        print(line.split(b":", 1)[1].strip().decode())
' "${base##*:}")
test "$loc" = "workshop/?a=1"
ok $? "/category/workshop?a=1#f: Location workshop/?a=1 ($loc)"
# Large requests under the limits are answered: a Cookie of 16 KB (a
# parent domain's cookies) and a request line of 32 KB filled the
# connection's memory, and got no answer at all, the access log saying 200.
"${PYTHON3:-/usr/bin/python3}" - "${base##*:}" >"$tmp/sizes" <<'PY'
import socket
import sys

def status(head):
    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
    try:
        s.sendall(head.encode())
        line = s.recv(64).split(b'\r\n')[0].decode('latin-1')
    except OSError:
        line = ''
    s.close()
    return line.split(' ')[1] if line.startswith('HTTP/') else 'closed'

for n in range(15900, 16500, 25):
    for gz in ('', 'Accept-Encoding: gzip\r\n'):
        print('cookie', n, 'gzip' if gz else 'identity', status(
            'GET /calendar.ics HTTP/1.1\r\nHost: x\r\n%sCookie: x=%s\r\n\r\n'
            % (gz, 'a' * n)))
for n in range(32100, 32900, 25):
    print('query', n, status('GET /calendar.ics?%s HTTP/1.1\r\nHost: x\r\n\r\n'
                             % ('a' * n)))
PY
test "$(grep -c ' 200$' "$tmp/sizes")" = "$(wc -l <"$tmp/sizes")" &&
	test "$(wc -l <"$tmp/sizes")" = 80
ok $? "a Cookie of 15.9–16.5 KB and a request line of 32.1–32.9 KB: 200 each ($(grep -v ' 200$' "$tmp/sizes" | head -n 1))"
big=$(head -c 100000 /dev/zero | tr '\0' a)
code=$("$CURL" -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$base/calendar.ics")
test "$code" = 431 || test "$code" = 413
ok $? "a 100 KB header: $code"
# Ten thousand small headers: the same limit (HARDENING D7b), never an
# answer.
code=$("${PYTHON3:-/usr/bin/python3}" - "${base##*:}" <<'PY'
import socket
import sys

s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
head = ('GET /calendar.ics HTTP/1.1\r\nHost: x\r\n' +
        ''.join('X-H%d: v\r\n' % i for i in range(10000)) + '\r\n')
try:
    s.sendall(head.encode())
except OSError:
    pass
try:
    line = s.recv(64).split(b'\r\n')[0].decode('latin-1')
except OSError:
    line = ''
print(line.split(' ')[1] if line.startswith('HTTP/') else 'closed')
PY
)
test "$code" = 431 || test "$code" = 413 || test "$code" = closed
ok $? "10,000 headers: $code"
# No Range support (HARDENING D9): a Range request gets the whole body.
code=$("$CURL" -s -o "$tmp/ranged" -w '%{http_code}' -H 'Range: bytes=0-9' \
	"$base/calendar.ics")
"$CURL" -s -o "$tmp/whole" "$base/calendar.ics"
test "$code" = 200 && test -s "$tmp/whole" && cmp -s "$tmp/ranged" "$tmp/whole"
ok $? "a Range request: 200 with the whole body ($code)"

# A live edit is served within a second, with SEQUENCE + 1.
f=$tmp/events/2018-06-28-illicit-financial-flows-zagreb.md
sed 's/^location: .*/location: Zagreb, Croatia (Hotel Esplanade)/' "$f" >"$f.new" && mv "$f.new" "$f"
new=$etag
i=0
while [ "$new" = "$etag" ] && [ $i -lt $((10 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
	new=$(head_of /calendar.ics | header ETag)
done
test "$new" != "$etag"
ok $? "a live edit is served within $slow second(s) (after ${i}00 ms)"
"$CURL" -s "$base/calendar.ics" | tr -d '\r' | awk '
	/^BEGIN:VEVENT/ { seq = ""; loc = 0 }
	/^SEQUENCE:/ { seq = substr($0, 10) }
	/^LOCATION:Zagreb/ { loc = 1 }
	/^END:VEVENT/ { if (loc) print seq }' >"$tmp/seq"
test "$(cat "$tmp/seq")" = 1
ok $? "the edited event has SEQUENCE:1"

# Two edits within one second: Last-Modified has whole seconds, yet each
# version has its own, so that If-Modified-Since with the first version's
# date gets the second version (RFC 9110 §13.1.3), and no Last-Modified is
# later than the answer's Date.
etag_is_not()
{
	test "$(head_of /calendar.ics | header ETag)" != "$1"
}
# The second edit must fall within the second the first version was put
# in place in: serve's own build dates its file in the next second, and
# puts it in place at once (evfeed(1), FILES). The first version is
# awaited on the disk, where it is seen at once, then over HTTP, for the
# Last-Modified it is served with. A first version seen too near the end
# of its second is made again, up to five times.
mtime_is_not()
{
	test "$(stat -c %Y "$tmp/public/calendar.ics")" != "$1"
}
serves_first()
{
	h=$(head_of /calendar.ics)
	test "$(echo "$h" | header ETag)" != "$1"
}
tries=0
while :; do
	tries=$((tries + 1))
	m0=$(stat -c %Y "$tmp/public/calendar.ics")
	e0=$(head_of /calendar.ics | header ETag)
	"${PYTHON3:-/usr/bin/python3}" -c 'import time; time.sleep(1.02 - time.time() % 1)'
	retitle "$f" "Illicit financial flows, first $tries"
	wait_until $((3 * slow)) mtime_is_not "$m0"
	m1=$(stat -c %Y "$tmp/public/calendar.ics")
	g1=$(stat -c %Y "$tmp/public/calendar.ics.gz")
	wait_until $((3 * slow)) serves_first "$e0"
	lm1=$(echo "$h" | header Last-Modified)
	t0=$(date +%s.%N)
	awk -v a="$t0" -v m="$m1" 'BEGIN { exit !(a < m - 1 + 0.8) }' && break
	[ $tries -ge 5 ] && break
done
# (a machine so loaded that none of five builds was seen within the
# second it was put in place in cannot show what follows)
within=$(awk -v a="$t0" -v m="$m1" 'BEGIN { print (a < m - 1 + 0.8) ? "yes" : "no" }')
serves_second()
{
	"$CURL" -s "$base/calendar.ics" | grep -qF 'Illicit financial flows\, second'
}
# on_disk_second: the second version's file is in place (seen at once,
# before the server reads it); its date then goes to $tmp/m_first
on_disk_second()
{
	grep -qF 'Illicit financial flows\, second' "$tmp/public/calendar.ics" &&
		stat -c %Y "$tmp/public/calendar.ics" >"$tmp/m_first"
}
retitle "$f" "Illicit financial flows, second"
wait_until $((3 * slow)) on_disk_second
wait_until $((3 * slow)) serves_second
t1=$(date +%s.%N)
h=$(head_of /calendar.ics)
new=$(echo "$h" | header ETag)
lm2=$(echo "$h" | header Last-Modified)
# evfeed(1): a version made within the second of the one before it is
# served when the next second begins, which its Last-Modified names: not
# later than a rebuild after that (half a second), nor two seconds after
# the edit.
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
diag "first: $lm1; second: $new $lm2; $tries tries"
if [ "$within" = yes ]; then
	awk -v a="$t0" -v b="$t1" -v l="$(date -d "$lm2" +%s)" -v k=$slow \
		'BEGIN { exit !(b - l < 1.5 * k && b - a < 2 * k) }'
	ok $? "the second version is served as its second begins ($took s after the edit)"
	test "$lm2" != "$lm1"
	ok $? "two versions within one second have two Last-Modified"
else
	skip "the second version is served as its second begins" "no build seen within its second in $tries tries"
	skip "two versions within one second have two Last-Modified" "likewise"
fi
# (a date after the second version's: 304. At its own date, 304 too,
# unless it was swapped in within that second while the first was
# answered, as this test's polling may have it: that second names either
# version, and the answer is 200, never a 304 for other bytes.)
sleep 1
after=$(LC_ALL=C date -u -d "@$(($(date -d "$lm2" +%s) + 1))" '+%a, %d %b %Y %H:%M:%S GMT')
test "$(head_of /calendar.ics -H "If-Modified-Since: $lm1" | status)" = 200 &&
	test "$(head_of /calendar.ics -H "If-Modified-Since: $after" | status)" = 304
ok $? "If-Modified-Since with the first version's date: 200"
test "$(date -d "$lm2" +%s)" -le "$(date -d "$(echo "$h" | header Date)" +%s)"
ok $? "Last-Modified is never later than Date"
# Once the second its file is dated in has begun, that date is its
# Last-Modified, and an If-Modified-Since of it gets a 304: a client that
# sends only that is not answered in full for as long as the version is
# served.
lm_is_file_date()
{
	lm3=$(head_of /calendar.ics | header Last-Modified)
	test "$(date -d "$lm3" +%s)" = "$(stat -c %Y "$tmp/public/calendar.ics")"
}
wait_until $((3 * slow)) lm_is_file_date &&
	test "$(head_of /calendar.ics -H "If-Modified-Since: $lm3" | status)" = 304
ok $? "once its second has begun, the file's date is the Last-Modified, which brings a 304 ($lm3)"
# For another web server of the folder, which sends a file's date as its
# Last-Modified (and in its ETag): the second version is in place with a
# later date than the first from the moment it is there, not a moment
# later; and the .gz copy, from which nginx's gzip_static answers with
# its own date, is dated with its file.
m2=$(stat -c %Y "$tmp/public/calendar.ics")
g2=$(stat -c %Y "$tmp/public/calendar.ics.gz")
if [ "$within" = yes ]; then
	test "$(cat "$tmp/m_first")" -gt "$m1"
	ok $? "the second version's file is in place dated after the first ($m1, $(cat "$tmp/m_first"))"
	test "$g2" = "$m2" && test "$g2" -gt "$g1"
	ok $? "its .gz copy is dated with it, after the first's ($g1, $g2, $m2)"
else
	skip "the second version's file is in place dated after the first" "no build seen within its second in $tries tries"
	skip "its .gz copy is dated with it, after the first's" "likewise"
fi

# Three saves a tenth of a second apart, early in a second: the second and
# the third come after a version put in place in that second, dated in the
# next, and are built together as it begins (evfeed(1)): the last is
# served before the second after it. (Built apart, the second version
# waited inside its build for the next second, and the third, made
# meanwhile, for the one after: served two seconds after the first.)
serves_title()
{
	"$CURL" -s "$base/calendar.ics" | grep -qF "SUMMARY:$1"
}
sleep 1.1
"${PYTHON3:-/usr/bin/python3}" -c 'import time; time.sleep(1.02 - time.time() % 1)'
for k in 1 2 3; do
	retitle "$f" "Illicit financial flows, burst $k"
	s3=$(date +%s.%N)
	[ $k -lt 3 ] && sleep 0.12
done
wait_until $((3 * slow)) serves_title "Illicit financial flows\\, burst 3"
t3=$(date +%s.%N)
awk -v a="$s3" -v b="$t3" -v k=$slow \
	'BEGIN { exit !(b < int(a) + 1 + 0.9 * k) }'
ok $? "three saves within a second: the last is served as the next second begins ($(awk -v a="$s3" -v b="$t3" 'BEGIN { printf "%.2f", b - a }') s after it)"
new=$(head_of /calendar.ics | header ETag)

# An invalid edit keeps the last good calendar and logs the file (once
# built: as the next second begins, made so soon after a version).
printf -- '---\ntitle: Broken\nstart: 2018-13-01\n---\n' >"$tmp/events/broken.md"
wait_until $((3 * slow)) grep -q 'broken.md:3:8: error: start' "$tmp/err"
ok $? "the invalid edit is logged as a diagnostic with the file name"
test "$(head_of /calendar.ics | header ETag)" = "$new"
ok $? "an invalid edit keeps the previous ETag"
test "$(head_of /calendar.ics | status)" = 200
ok $? "still serving"
rm "$tmp/events/broken.md"
# Undone, the errors leave the output as it is served: the log says so, so
# that its last word is not the errors.
wait_until $((3 * slow)) grep -q 'the events build again, as they are served' "$tmp/err"
ok $? "the invalid edit undone: logged" || diag_file "$tmp/err"

# An event file rewritten in place, with its size and its modification
# time as they were, as a filesystem whose timestamps have whole seconds
# leaves them after a second save within the second: the change is heard
# of, and the build must not take the file from its cache, which
# src/catalog.c keys on the inode, the size, the modification time and the
# change time (which no program can set back).
sleep 1
stamp=$(stat -c %y "$f")
"${PYTHON3:-/usr/bin/python3}" - "$f" <<'PY'
import re
import sys

with open(sys.argv[1], 'r+') as fh:
    text = fh.read()
    new = re.sub(r'(?m)^title: .*$', lambda m: 'title: ' + 'Z' * (len(m.group(0)) - 7), text, count=1)
    assert len(new) == len(text)
    fh.seek(0)
    fh.write(new)
PY
touch -d "$stamp" "$f"
title_served()
{
	"$CURL" -s "$base/calendar.ics" | grep -q '^SUMMARY:ZZZZZZZZ'
}
wait_until $((3 * slow)) title_served
ok $? "an edit in place that keeps the size and the modification time is served"

# An edit the file system tells no one of: one on NFS or SMB, or here one
# made in place through a hard link outside the events folder, which the
# folder's monitor does not hear of. serve looks at the files every 5 s.
ln "$f" "$tmp/elsewhere.md"
"${PYTHON3:-/usr/bin/python3}" - "$tmp/elsewhere.md" <<'PY'
import re
import sys

with open(sys.argv[1], 'r+') as fh:
    text = fh.read()
    new = re.sub(r'(?m)^title: .*$', 'title: Heard of by looking', text,
                 count=1)
    fh.seek(0)
    fh.truncate()
    fh.write(new)
PY
linked_served()
{
	"$CURL" -s "$base/calendar.ics" | grep -q '^SUMMARY:Heard of by looking'
}
wait_until $((12 * slow)) linked_served
ok $? "an edit through a hard link, which no file monitor tells of, is served"
rm -f "$tmp/elsewhere.md"

# `evfeed build` from cron published an edit before serve rebuilt it
# (serve held here): serve's own build of the same inputs is skipped, and
# it serves what the other published.
has_summary()
{
	"$CURL" -s "$base/calendar.ics" | grep -q "^SUMMARY:$1"
}
kill -STOP $pid
retitle "$f" "Published by cron"
"$EVFEED" build --config "$tmp/evfeed.conf" >"$tmp/cron.out" 2>&1
cron=$?
kill -CONT $pid
test $cron -eq 0 && wait_until $((3 * slow)) has_summary "Published by cron"
ok $? "an edit that evfeed build published first is served"
diag_file "$tmp/cron.out"

# Another evfeed's build (another configuration file: other inputs)
# published, then an edit breaks the build here: it is tried once for
# the other build, not again every few seconds.
cp "$tmp/evfeed.conf" "$tmp/other.conf"
echo "# the cron job's copy" >>"$tmp/other.conf"
kill -STOP $pid
"$EVFEED" build --config "$tmp/other.conf" >/dev/null 2>&1
printf -- '---\ntitle: Broken again\nstart: 2018-13-01\n---\n' >"$tmp/events/broken-again.md"
# (and the second it was written in gone, as a cron job's edit would be:
# a file read in the second it was changed in is read again at the next
# look, however it built, since a change later in that second would keep
# its date; a build that ends as a second begins, as the cron build
# beside serve's files does, left the edit in that second)
"${PYTHON3:-/usr/bin/python3}" -c 'import time; time.sleep(1.02 - time.time() % 1)'
kill -CONT $pid
sleep $((12 * slow))
n=$(grep -c 'broken-again.md:3:8: error' "$tmp/err")
test "$n" -ge 1 && test "$n" -le 2
ok $? "a failing build is not made again every few seconds for another evfeed's build ($n times in 12 s)"
# The file opened for writing and closed unchanged, as a sync tool or an
# editor's autosave may: the folder's monitor tells of it, but the files
# are as the last build read them, which is not made again.
: >>"$tmp/events/broken-again.md"
sleep $((2 * slow))
m=$(grep -c 'broken-again.md:3:8: error' "$tmp/err")
rm "$tmp/events/broken-again.md" "$tmp/other.conf"
test "$m" -eq "$n"
ok $? "a file opened for writing and closed unchanged is not built again ($((m - n)) more builds)"
wait_until $((5 * slow)) has_summary "Published by cron"

# A build that failed for a passing reason (the state locked by another
# program for longer than evfeed waits, 5 s) is tried again.
"${PYTHON3:-/usr/bin/python3}" - "$tmp/state.db" 8 <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute('BEGIN EXCLUSIVE')
open(sys.argv[1] + '.locked', 'w').close()
time.sleep(float(sys.argv[2]))
c.execute('ROLLBACK')
PY
locker=$!
wait_until 10 test -e "$tmp/state.db.locked"
retitle "$f" "Edited while the state was locked"
wait_until $((30 * slow)) has_summary "Edited while the state was locked" &&
	grep -q 'build failed: .*trying again in 10 s' "$tmp/err"
ok $? "a build that failed on a locked state is tried again, and serves the edit"
wait $locker
rm -f "$tmp/state.db.locked"

# Another build under way (an `evfeed build` held by Ctrl-Z, here a
# process holding the lock of the state folder): the server does not wait
# for it with its loop stopped, deaf to its signals, but tries again; a
# SIGHUP meanwhile is acted on at once, and the edit is served once the
# lock is let go.
"${PYTHON3:-/usr/bin/python3}" - "$tmp" 12 <<'PY' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(os.path.join(sys.argv[1], 'folder.locked'), 'w').close()
time.sleep(float(sys.argv[2]))
os.remove(os.path.join(sys.argv[1], 'folder.locked'))
PY
locker=$!
wait_until 10 test -e "$tmp/folder.locked"
retitle "$f" "Edited while another build held the lock"
wait_until $((10 * slow)) grep -q "build failed: another build is under way (it holds the lock on the state folder '$tmp'); still serving the previous version, trying again in 10 s" "$tmp/err"
ok $? "another build under way: the server does not wait for it, and says so"
reloads=$(grep -c 'configuration reloaded' "$tmp/err")
kill -HUP $pid
wait_until 3 sh -c "test \$(grep -c 'configuration reloaded' '$tmp/err') -gt $reloads" &&
	test -e "$tmp/folder.locked"
ok $? "a SIGHUP while another build holds the lock is acted on at once"
wait $locker
wait_until $((30 * slow)) has_summary "Edited while another build held the lock"
ok $? "the edit made while another build held the lock is served once it is let go"

# The state removed while the server runs (an operator starting afresh, a
# disk replaced): the server opens the new one the next build makes, and
# an edit is served with a SEQUENCE above the one published before.
seq_before=$("$CURL" -s "$base/calendar.ics" | tr -d '\r' | awk '
	/^BEGIN:VEVENT/ { s = ""; hit = 0 }
	/^SEQUENCE:/ { s = substr($0, 10) }
	/^SUMMARY:Edited while another build held the lock$/ { hit = 1 }
	/^END:VEVENT/ && hit { print s }')
rm -f "$tmp/state.db" "$tmp/state.db-wal" "$tmp/state.db-shm"
retitle "$f" "Edited with a new state"
wait_until $((5 * slow)) has_summary "Edited with a new state" &&
	wait_until $((5 * slow)) grep -q "is another file now: opening it" "$tmp/err"
ok $? "the state removed under the server: it opens the new one, and serves the next edit"
seq_after=$("$CURL" -s "$base/calendar.ics" | tr -d '\r' | awk '
	/^BEGIN:VEVENT/ { s = ""; hit = 0 }
	/^SEQUENCE:/ { s = substr($0, 10) }
	/^SUMMARY:Edited with a new state$/ { hit = 1 }
	/^END:VEVENT/ && hit { print s }')
test -n "$seq_before" && test "$seq_after" -gt "$seq_before"
ok $? "with the state removed, SEQUENCE goes on ($seq_before, then $seq_after)"

# SIGHUP reloads the configuration (a new refresh interval shows); a
# [server] setting, which the server keeps until it starts again, is said
# to be kept.
sed 's/^refresh=.*/refresh=PT2H/' "$tmp/evfeed.conf" >"$tmp/conf.new" &&
	printf '[server]\nmax_per_client=7\n' >>"$tmp/conf.new" &&
	mv "$tmp/conf.new" "$tmp/evfeed.conf"
kill -HUP $pid
i=0
cc=
while [ "$cc" != "public, max-age=7200" ] && [ $i -lt $((20 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
	cc=$(head_of /calendar.ics | header Cache-Control)
done
test "$cc" = "public, max-age=7200"
ok $? "SIGHUP: the new configuration is used"
wait_until $((5 * slow)) grep -q '\[server\] max_per_client changed: restart evfeed to apply it' "$tmp/err"
ok $? "SIGHUP: a changed [server] setting is said to wait for a restart"
# (the setting taken out again, for the servers started below)
reloads=$(grep -c 'configuration reloaded' "$tmp/err")
sed -e '/^\[server\]$/d' -e '/^max_per_client=7$/d' "$tmp/evfeed.conf" >"$tmp/conf.new" &&
	mv "$tmp/conf.new" "$tmp/evfeed.conf"
reloaded()
{
	test "$(grep -c 'configuration reloaded' "$tmp/err")" -gt "$reloads"
}
wait_until $((5 * slow)) reloaded
test "$(head_of "/${page%/index.html}" | header Cache-Control)" = "public, max-age=7200"
ok $? "a folder's 301 has the same max-age"
kill -0 $pid
ok $? "alive after SIGHUP"

# Access log: one line per request, with the bytes of the body sent:
# none for HEAD, a 404's own, a 301's own.
"$CURL" -s -o /dev/null "$base/${page%/index.html}"
grep -q '127.0.0.1 "GET /calendar.ics" 200' "$tmp/err" &&
	grep -q "\"GET /${page%/index.html}\" 301 18\$" "$tmp/err" &&
	grep -q '127.0.0.1 "HEAD /calendar.ics" 200 0$' "$tmp/err" &&
	! grep -q '"HEAD /calendar.ics" 200 [1-9]' "$tmp/err" &&
	grep -q '"GET [^"]*" 404 10$' "$tmp/err" &&
	! grep -q '"GET [^"]*" 404 0$' "$tmp/err"
ok $? "access log line"

# A connection kept alive between requests holds nothing up: SIGTERM
# closes it and exits well within the grace of three seconds.
"${PYTHON3:-/usr/bin/python3}" - "${base##*:}" "$pid" <<'PY'
import os
import signal
import socket
import sys
import time

s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
s.sendall(b'GET /rss.xml HTTP/1.1\r\nHost: x\r\n\r\n')
got = b''
while b'\r\n\r\n' not in got:
    got += s.recv(65536)
time.sleep(0.2)
os.kill(int(sys.argv[2]), signal.SIGTERM)
t0 = time.monotonic()
pid = int(sys.argv[2])
while time.monotonic() - t0 < 10:
    try:
        os.kill(pid, 0)
    except OSError:
        break
    # a zombie (exited, not yet waited for) counts as gone
    with open('/proc/%d/stat' % pid) as f:
        if f.read().split(')')[-1].split()[0] == 'Z':
            break
    time.sleep(0.02)
print('%.2f' % (time.monotonic() - t0), file=sys.stderr)
sys.exit(0 if time.monotonic() - t0 < 2.0 else 1)
PY
idle_rc=$?
wait $pid
rc=$?
test "$idle_rc" -eq 0
ok $? "SIGTERM with a connection idle between requests: exits at once"
test "$rc" -eq 0
ok $? "SIGTERM: exit status 0"

# Limits: a second server with a 1 s idle timeout and 2 connections per
# client. Half-sent requests are cut at the timeout, and so is one sent a
# byte at a time (slowloris), never idle for long; a third connection
# from the same address is refused while two are open.
cat >>"$tmp/evfeed.conf" <<CONF
[server]
timeout=1s
max_per_client=2
CONF
# It reads its configuration through a symbolic link, as from /etc into
# a deployment (evfeed(1), FILES), and its events folder is a link to a
# release, as a deployment has it.
mkdir "$tmp/etc1" && ln -s etc1 "$tmp/etc"
mv "$tmp/events" "$tmp/release1" && ln -s release1 "$tmp/events"
ln -s ../evfeed.conf "$tmp/etc/evfeed.conf"
"$EVFEED" serve --config "$tmp/etc/evfeed.conf" --listen 127.0.0.1:0 \
	>"$tmp/out2" 2>"$tmp/err2" &
pid=$!
trap 'kill -9 $pid 2>/dev/null; _tap_cleanup' EXIT
i=0
while ! grep -q '^Calendar:' "$tmp/out2" 2>/dev/null && [ $i -lt $((100 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
done
port=$(sed -n 's|^Calendar: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out2")
"${PYTHON3:-/usr/bin/python3}" - "$port" "$slow" <<'PY' >"$tmp/limits"
import socket, sys, time
port = int(sys.argv[1])
def half():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n")
    return s
a, b = half(), half()
time.sleep(0.2)
c = socket.create_connection(("127.0.0.1", port))
c.settimeout(2 * int(sys.argv[2]))
try:
    c.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n")
    third = c.recv(100)
except OSError:
    third = b""
print("third-refused" if not third.startswith(b"HTTP/1.1 200") else "third-served")
a.settimeout(5 * int(sys.argv[2]))
t0 = time.time()
try:
    data = a.recv(100)
except OSError:
    data = b""
print("idle-closed-after %.1f" % (time.time() - t0))
b.close()
d = socket.create_connection(("127.0.0.1", port))
d.settimeout(0.3)
t0 = time.time()
head = b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 1000
for i in range(len(head)):
    if time.time() - t0 > 10 * int(sys.argv[2]):
        break
    try:
        d.sendall(head[i:i + 1])
        if d.recv(100) == b"":
            break
    except socket.timeout:
        pass
    except OSError:
        break
print("slow-closed-after %.1f" % (time.time() - t0))
PY
grep -q third-refused "$tmp/limits"
ok $? "per-client connection limit"
secs=$(sed -n 's/idle-closed-after //p' "$tmp/limits")
awk -v s="$secs" -v k=$slow 'BEGIN { exit !(s != "" && s < 3.5 * k) }'
ok $? "an idle half-sent request is closed at the timeout (${secs}s)"
secs=$(sed -n 's/slow-closed-after //p' "$tmp/limits")
awk -v s="$secs" -v k=$slow 'BEGIN { exit !(s != "" && s < 3.5 * k) }'
ok $? "a request sent a byte at a time is closed at the timeout (${secs}s)"
# An edit of the file that the link names reloads the configuration, as
# an edit of a configuration file does.
base=http://127.0.0.1:$port
cc_is()
{
	test "$(head_of /calendar.ics | header Cache-Control)" = "$1"
}
sed 's/^refresh=.*/refresh=PT3H/' "$tmp/evfeed.conf" >"$tmp/conf.new" &&
	cat "$tmp/conf.new" >"$tmp/evfeed.conf"
wait_until $((3 * slow)) cc_is "public, max-age=10800"
ok $? "a configuration through a symbolic link: an edit of its file is used"
# An editor that writes the file in place truncates it first: it is read
# once written, not while it is empty (which would name other folders).
sed 's/^refresh=.*/refresh=PT3H30M/' "$tmp/evfeed.conf" >"$tmp/conf.new"
{
	sleep 0.15
	cat "$tmp/conf.new"
} >"$tmp/evfeed.conf"
wait_until $((3 * slow)) cc_is "public, max-age=12600"
ok $? "a configuration written in place is used once written"
! grep -q "cannot read the events folder" "$tmp/err2"
ok $? "a configuration written in place is not read while it is empty"
# The link pointed at a file with errors, then that file mended.
printf '[site]\ntitel=x\n' >"$tmp/other.conf"
ln -s ../other.conf "$tmp/etc/new.conf" && mv -T "$tmp/etc/new.conf" "$tmp/etc/evfeed.conf"
wait_until $((3 * slow)) grep -q "unknown key 'titel'" "$tmp/err2"
sed 's/^refresh=.*/refresh=PT4H/' "$tmp/evfeed.conf" >"$tmp/other.conf"
wait_until $((3 * slow)) cc_is "public, max-age=14400"
ok $? "a symbolic link pointed at a file with errors: the mended file is used"
# The events folder's link pointed at another release: that release is
# served, and so are the edits made in it afterwards, each within two
# seconds. A version made within the second of the one before it is held
# until the next second begins (evfeed(1), FILES), so each change is made
# as a second begins: the two seconds are then the rebuild's alone (with
# the hold, a slow rebuild under load once went past them).
next_second()
{
	"${PYTHON3:-/usr/bin/python3}" -c 'import time; time.sleep(1.02 - time.time() % 1)'
}
served_has()
{
	"$CURL" -s "$base/calendar.ics" | grep -q "$1"
}
cp -R "$tmp/release1" "$tmp/release2"
retitle "$tmp/release2/$(basename "$f")" "Release two"
next_second
ln -s release2 "$tmp/new-link" && mv -T "$tmp/new-link" "$tmp/events"
wait_until $((2 * slow)) served_has "SUMMARY:Release two$(printf '\r')"
ok $? "the events folder's link pointed at another folder: it is served"
next_second
retitle "$tmp/release2/$(basename "$f")" "Release two edited"
wait_until $((2 * slow)) served_has "SUMMARY:Release two edited"
ok $? "an edit in the folder the link now names: it is served"
# The link to the folder that holds the configuration pointed at another
# folder, with another configuration in it: that one is used.
mkdir "$tmp/etc2"
sed 's/^refresh=.*/refresh=PT5H/' "$tmp/evfeed.conf" >"$tmp/etc2/evfeed.conf"
ln -s etc2 "$tmp/new-etc" && mv -T "$tmp/new-etc" "$tmp/etc"
wait_until $((2 * slow)) cc_is "public, max-age=18000"
ok $? "the link to the configuration's folder pointed elsewhere: its configuration is used"
kill -TERM $pid
wait $pid
ok $? "SIGTERM: exit status 0 (second server)"

# A clock set back since the build (one that ran ahead, corrected): a
# file dated later than now is answered with a Last-Modified no later
# than the answer's Date (RFC 9110 §8.8.2.1), which brings a 304.
touch -d '+2 hours' "$tmp/public/category/workshop/rss.xml"
if serve_start "$tmp/evfeed.conf" "$tmp/out-ahead" "$tmp/err-ahead"; then
	h=$(head_of /category/workshop/rss.xml)
	lm=$(echo "$h" | header Last-Modified)
	served=$(echo "$h" | header Date)
	test -n "$lm" && test -n "$served" &&
		test "$(date -u -d "$lm" +%s)" -le "$(date -u -d "$served" +%s)"
	ok $? "a file dated ahead of the clock: Last-Modified ($lm) no later than Date ($served)"
	test "$(head_of /category/workshop/rss.xml -H "If-Modified-Since: $lm" | status)" = 304
	ok $? "a file dated ahead of the clock: its Last-Modified brings a 304"
	serve_stop
else
	fail "serve starts for a file dated ahead of the clock"
	diag_file "$tmp/err-ahead"
fi

# Under systemd (Type=notify): READY=1 once serving, STOPPING=1 at the end.
"${PYTHON3:-/usr/bin/python3}" - "$tmp/notify" "$EVFEED" "$tmp/evfeed.conf" "$slow" \
	>"$tmp/notify.out" 2>&1 <<'PY'
import os, signal, socket, subprocess, sys, time
path, evfeed, conf = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(10 * int(sys.argv[4]))
env = dict(os.environ, NOTIFY_SOCKET=path)
p = subprocess.Popen([evfeed, "serve", "--config", conf, "--listen",
                      "127.0.0.1:0"], env=env, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
try:
    got = [s.recv(100).decode()]
    p.send_signal(signal.SIGHUP)
    got += [s.recv(100).decode(), s.recv(100).decode()]
    p.send_signal(signal.SIGTERM)
    got.append(s.recv(100).decode())
    print(" ".join(got), "exit", p.wait(10))
finally:
    if p.poll() is None:
        p.kill()
PY
grep -q '^READY=1 RELOADING=1 READY=1 STOPPING=1 exit 0$' "$tmp/notify.out"
ok $? "sd_notify: READY, RELOADING/READY on SIGHUP, STOPPING"
diag_file "$tmp/notify.out"

# Listening on every address (0.0.0.0), the start-up lines name the
# machine: the wildcard is no address a client can ask for. The daemon
# runs in a network namespace of its own (unshare -n), where nothing but
# its own loopback could reach it. (Its first build waited for as long as
# serve_start waits: a loaded machine running the sanitizers' build took
# more than ten seconds.)
if unshare -n true 2>/dev/null; then
	unshare -n "$EVFEED" serve --config "$tmp/evfeed.conf" --listen 0.0.0.0:0 \
		>"$tmp/out3" 2>"$tmp/err3" </dev/null &
	pid=$!
	trap 'kill -9 $pid 2>/dev/null; _tap_cleanup' EXIT
	wait_until $((60 * slow)) grep -q '^Calendar:' "$tmp/out3"
	name=$("${PYTHON3:-/usr/bin/python3}" -c 'import socket; print(socket.gethostname())')
	grep -q "^Calendar:  http://$name:[0-9]*/calendar.ics\$" "$tmp/out3" &&
		grep -q "(listening on every address of this machine)\$" "$tmp/out3" &&
		! grep -q '0\.0\.0\.0' "$tmp/out3"
	ok $? "listening on 0.0.0.0: the start-up lines name the machine ($name)"
	diag_file "$tmp/out3"
	kill -TERM $pid
	wait $pid
else
	skip "listening on 0.0.0.0: the start-up lines name the machine" \
		"unshare -n is not permitted here"
fi
trap _tap_cleanup EXIT

# A file evfeed's user cannot read (an editor's umask of 077) fails the
# build; made readable, with chmod alone, it is published: the daemon
# hears of a change of a file's attributes too, the configuration's as
# well. As root (which reads every file) the daemon runs as nobody, as
# under systemd's unit a user of its own, from a folder nobody can reach.
perm=$(mktemp -d "${TMPDIR:-/tmp}/evfeed-perm.XXXXXX") || bail_out "mktemp failed"
chmod 755 "$perm"
mkdir "$perm/events" "$perm/var"
cp "$EVFEED" "$perm/evfeed"
printf -- '---\ntitle: Alpha\nstart: 2031-05-01T10:00\n---\nAlpha.\n' >"$perm/events/alpha.md"
write_config "$perm" "$perm/events" "$perm/var/public" "$perm/var/state.db"
chmod 755 "$perm/events" "$perm/evfeed"
chmod 644 "$perm/evfeed.conf" "$perm/events/alpha.md"
as=
runs=yes
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		chown 65534:65534 "$perm/var"
	else
		runs=
	fi
fi
if [ -n "$runs" ]; then
	$as "$perm/evfeed" serve --config "$perm/evfeed.conf" --listen 127.0.0.1:0 \
		>"$perm/out" 2>"$perm/err" </dev/null &
	pid=$!
	trap 'kill -9 $pid 2>/dev/null; rm -rf "$perm"; _tap_cleanup' EXIT
	wait_until $((10 * slow)) grep -q '^Calendar:' "$perm/out"
	base=$(sed -n 's|^Calendar: *\(http://[^/]*\)/calendar.ics$|\1|p' "$perm/out")
	printf -- '---\ntitle: Gamma\nstart: 2031-07-01T10:00\n---\nGamma.\n' \
		>"$perm/gamma.md"
	chmod 000 "$perm/gamma.md"
	mv "$perm/gamma.md" "$perm/events/gamma.md"
	wait_until $((10 * slow)) grep -q "gamma.md:1:1: error: permission denied" "$perm/err"
	ok $? "an event file evfeed's user cannot read: the build fails, said so"
	chmod 644 "$perm/events/gamma.md"
	wait_until $((10 * slow)) has_summary Gamma
	ok $? "made readable with chmod alone, it is published" ||
		diag_file "$perm/err"
	sed 's/^title=Test Events$/title=Renamed Events/' "$perm/evfeed.conf" >"$perm/conf.new"
	chmod 000 "$perm/conf.new"
	mv "$perm/conf.new" "$perm/evfeed.conf"
	wait_until $((10 * slow)) grep -q "evfeed.conf: error:" "$perm/err"
	chmod 644 "$perm/evfeed.conf"
	wait_until $((10 * slow)) sh -c "$CURL -s '$base/rss.xml' | grep -q '<title>Renamed Events</title>'"
	ok $? "the configuration made readable with chmod alone is read again" ||
		diag_file "$perm/err"
	kill -TERM $pid
	wait $pid
	trap _tap_cleanup EXIT
else
	skip "an event file made readable with chmod alone is published" \
		"running as root without setpriv"
fi
rm -rf "$perm"

# A client that takes a big calendar slowly but steadily gets all of it:
# the timeout (1 s here) is for a connection idle, and libmicrohttpd's,
# counted from its last write to a socket that drains a third at a time,
# cut it in the middle of the body; so did the watchdog, that took the
# send queue, which a slow reader keeps full, for no progress. One that
# takes nothing for longer than the timeout is closed (through a small
# receive buffer, a slow link).
big=$tmp/big
mkdir -p "$big/events"
"${PYTHON3:-/usr/bin/python3}" - "$big/events" <<'PY'
import sys
words = "Regional workshop on the security of critical infrastructure. "
for i in range(600):
    with open("%s/e%03d.md" % (sys.argv[1], i), "w") as f:
        f.write("---\ntitle: Event %d\nstart: 2030-01-%02d\n---\n%s\n"
                % (i, i % 28 + 1, words * 40))
PY
cat >"$big/evfeed.conf" <<CONF
[site]
title=Big
url=https://events.example.org/
timezone=Europe/Ljubljana
[paths]
events=events
output=public
state=state.db
[server]
timeout=1s
CONF
"$EVFEED" serve --config "$big/evfeed.conf" --listen 127.0.0.1:0 \
	>"$big/out" 2>"$big/err" </dev/null &
pid=$!
trap 'kill -9 $pid 2>/dev/null; _tap_cleanup' EXIT
wait_until $((30 * slow)) grep -q '^Calendar:' "$big/out"
port=$(sed -n 's|^Calendar: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$big/out")
"${PYTHON3:-/usr/bin/python3}" - "$port" "$slow" <<'PY' >"$big/slow"
import re, socket, sys, time
port, slow = int(sys.argv[1]), int(sys.argv[2])
def get(rate, stall):
    s = socket.socket()
    if stall:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    s.connect(("127.0.0.1", port))
    s.settimeout(30 * slow)
    s.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n"
              b"Accept-Encoding: identity\r\nConnection: close\r\n\r\n")
    data = b""
    t0 = time.time()
    while True:
        b = s.recv(rate // 20)
        if not b:
            break
        data += b
        time.sleep(3 * slow if stall and len(data) > 100000 else 0.05)
        stall = stall and len(data) <= 100000
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    return length, len(body), time.time() - t0
length, got, took = get(250000, False)
print("steady", length, got, "%.1f" % took)
length, got, took = get(120000, True)
print("stalled", length, got, "%.1f" % took)
PY
set -- $(sed -n 's/^steady //p' "$big/slow")
test "${1:-0}" -gt 3000000 && test "$1" = "${2:-}"
ok $? "a client that takes a ${1:-?}-byte calendar slowly, in ${3:-?} s, gets all of it" ||
	diag_file "$big/slow"
set -- $(sed -n 's/^stalled //p' "$big/slow")
test -n "${2:-}" && test "$2" -lt "$1"
ok $? "a client that takes nothing for three times the timeout is closed (${2:-?} of ${1:-?} bytes)" ||
	diag_file "$big/slow"
stalled_got=${2:-0}
kill -TERM $pid
wait $pid
# The access log says which answer went out whole and which did not, and
# how much of the cut one the client had taken when it was cut: some, and
# no more than it read in the end (what was on its way still came), but
# for the header.
grep '"GET /calendar.ics" 200' "$big/err" >"$big/log"
taken=$(sed -n 's/.* 200 [0-9]*, not sent whole (\([0-9]*\) bytes of the answer taken): .*/\1/p' "$big/log")
size=$(sed -n 's/.* 200 \([0-9]*\), not sent whole .*/\1/p' "$big/log")
test "$(grep -c ' 200 [0-9]*$' "$big/log")" = 1 &&
	test "$(grep -c ' 200 [0-9]*, not sent whole (' "$big/log")" = 1 &&
	test "${taken:-0}" -gt 0 && test "${taken:-0}" -le $((stalled_got + 4096)) &&
	test "$stalled_got" -lt "${size:-0}"
ok $? "the access log tells the cut answer from the whole one, and how much of it was taken (${taken:-?} of ${size:-?}; the client read ${stalled_got})" ||
	diag_file "$big/log"
# Started with an error in the events: the output of the last build that
# succeeded is served, and the log says so.
printf -- '---\ntitle: Broken\nstart: 2030-13-01\n---\n' >"$big/events/broken.md"
"$EVFEED" serve --config "$big/evfeed.conf" --listen 127.0.0.1:0 \
	>"$big/out2" 2>"$big/err2" </dev/null &
pid=$!
wait_until $((30 * slow)) grep -q '^Calendar:' "$big/out2"
base=$(sed -n 's|^Calendar: *\(http://[^/]*\)/calendar.ics$|\1|p' "$big/out2")
"$CURL" -s "$base/calendar.ics" | cmp -s - "$big/public/calendar.ics" &&
	grep -q "1 error in the events; serving the output of the last build that succeeded" "$big/err2" &&
	! grep -q "nothing built to serve" "$big/err2"
ok $? "started with an error: the last good output is served, and the log says so" ||
	diag_file "$big/err2"
kill -TERM $pid
wait $pid

# A signal while the first build is under way (held in its syncfs, its
# files written and not yet renamed): SIGTERM lets the build finish and
# exits with status 0, nothing half-written left behind; SIGHUP reloads
# and the daemon goes on. Both ended the process at once.
shim=$(dirname "$EVFEED")/tests/fail-sync.so
sg=$(mktmp)
mkdir -p "$sg/events"
printf -- '---\ntitle: Held\nstart: 2030-06-01\n---\nBody\n' >"$sg/events/held.md"
write_config "$sg" "$sg/events"
for sig in TERM HUP; do
	rm -rf "$sg/public" "$sg/state.db" "$sg/go" "$sg/go.held"
	env LD_PRELOAD="$shim" EVFEED_SYNC_HOLD="$sg/go" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$EVFEED" serve --config "$sg/evfeed.conf" --listen 127.0.0.1:0 \
		>"$sg/out" 2>"$sg/err" </dev/null &
	serve_pid=$!
	wait_until $((30 * slow)) test -e "$sg/go.held"
	held=$?
	kill -$sig "$serve_pid"
	sleep 0.3
	: >"$sg/go"
	served=0
	if [ $sig = HUP ]; then
		serve_wait "$sg/out" "$serve_pid" $((30 * slow))
		served=$?
	fi
	serve_stop $([ $sig = TERM ] && echo 0 || echo TERM)
	st=$serve_status
	[ $served -eq 0 ] || st="$st, never served"
	temps=$(find "$sg/public" -name '*evfeed-tmp*' 2>/dev/null | wc -l)
	test $held -eq 0 && test "$st" = 0 && test "$temps" -eq 0 &&
		grep -q 'BEGIN:VEVENT' "$sg/public/calendar.ics"
	ok $? "SIG$sig during the first build: it is finished, then $([ $sig = TERM ] && echo 'exit status 0' || echo 'served, and stopped with 0') (status $st, $temps temporary files)" ||
		diag_file "$sg/err"
done

# A new refresh whose reload could not build (an error in the events)
# reaches every file's Cache-Control once the events are mended, not only
# the files whose bytes changed (an Atom feed, a one-event calendar).
rf=$(mktmp)
mkdir -p "$rf/events"
printf -- '---\ntitle: Kept\nstart: 2030-06-01\n---\nBody\n' >"$rf/events/kept.md"
cp "$rf/events/kept.md" "$rf/kept.md"
write_config "$rf" "$rf/events"
serve_start "$rf/evfeed.conf" "$rf/out" "$rf/err"
errors_logged() { test "$(grep -c 'error in the events' "$rf/err")" -ge "$1"; }
sed 's/^start: .*/start: 2030-13-01/' "$rf/kept.md" >"$rf/events/kept.md.new" &&
	mv "$rf/events/kept.md.new" "$rf/events/kept.md"
wait_until $((10 * slow)) errors_logged 1
sed 's/^refresh=.*/refresh=PT2H/' "$rf/evfeed.conf" >"$rf/conf.new" &&
	mv "$rf/conf.new" "$rf/evfeed.conf"
kill -HUP "$serve_pid"
wait_until $((10 * slow)) errors_logged 2
reloaded=$?
cp "$rf/kept.md" "$rf/events/kept.md.new" && mv "$rf/events/kept.md.new" "$rf/events/kept.md"
max_age_of() { head_of "$1" | header Cache-Control; }
calendar_max_age_is() { test "$(max_age_of /calendar.ics)" = "public, max-age=$1"; }
wait_until $((10 * slow)) calendar_max_age_is 7200
cc=
for p in /calendar.ics /atom.xml /events/kept.ics /index.html; do
	cc="$cc $p=$(max_age_of "$p" | sed 's/.*max-age=//')"
done
test $reloaded -eq 0 && test "$cc" = " /calendar.ics=7200 /atom.xml=7200 /events/kept.ics=7200 /index.html=7200"
ok $? "a refresh whose reload failed to build: every file's max-age once the events are mended ($cc)" ||
	diag_file "$rf/err"
serve_stop

# An address it cannot listen on (in use, or no port) is said at start,
# before the first build: an edit is not published by a serve that stops
# at once (a WebSub hub would never be told of it).
la=$(mktmp)
mkdir -p "$la/events"
printf -- '---\ntitle: Listed\nstart: 2030-06-01\n---\nBody\n' >"$la/events/listed.md"
write_config "$la" "$la/events"
"$EVFEED" build --config "$la/evfeed.conf" >/dev/null 2>&1 ||
	bail_out "cannot build the site of the listen cases"
printf -- '---\ntitle: Edited\nstart: 2030-06-01\n---\nBody\n' >"$la/events/listed.md"
tree_sums "$la/public" >"$la/before"
"${PYTHON3:-python3}" -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(60)
' >"$la/port" &
holder=$!
wait_until $((10 * slow)) test -s "$la/port"
for listen in "127.0.0.1:$(cat "$la/port")" 127.0.0.1:99999; do
	with_timeout 60 "$EVFEED" serve --config "$la/evfeed.conf" --listen "$listen" \
		>"$la/out" 2>"$la/err" </dev/null
	st=$?
	tree_sums "$la/public" >"$la/after"
	test $st -eq 1 && grep -q "^evfeed: error: .*'$listen'" "$la/err" &&
		! grep -q 'published' "$la/err" && cmp -s "$la/before" "$la/after"
	ok $? "listen $listen: serve stops at start with status 1 (status $st), before it builds" ||
		diag_file "$la/err"
done
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
# an IPv6 address and a port without brackets: said so, with the form meant
with_timeout 60 "$EVFEED" serve --config "$la/evfeed.conf" --listen ::1:0 \
	>"$la/out" 2>"$la/err" </dev/null
st=$?
test $st -eq 1 && grep -qF "'[::1]:0'" "$la/err" && grep -q 'brackets' "$la/err"
ok $? "listen ::1:0: serve says that an IPv6 address goes in brackets (status $st)" ||
	diag_file "$la/err"
# localhost is 127.0.0.1, as for every client of IPv4 and a proxy that
# asks the system for it (GLib's resolver answers ::1 first)
"$EVFEED" serve --config "$la/evfeed.conf" --listen localhost:0 \
	>"$la/out" 2>"$la/err" </dev/null &
serve_pid=$!
serve_wait "$la/out" "$serve_pid" $((60 * slow))
port=$(sed -n 's|^evfeed [^:]*: serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$la/out")
test -n "$port" &&
	test "$("$CURL" -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/calendar.ics")" = 200
ok $? "listen localhost:0: serve listens on 127.0.0.1 ($(head -n 1 "$la/out"))" ||
	diag_file "$la/err"
serve_stop

# A reader of its log that goes away (a pipe to a log process that
# restarts) does not stop serve: the next line it logs, of a rebuild, fails
# and the edit is served.
mkfifo "$la/log" || bail_out "cannot make a FIFO"
"$EVFEED" serve --config "$la/evfeed.conf" --listen 127.0.0.1:0 \
	>"$la/out" 2>"$la/log" </dev/null &
serve_pid=$!
head -c 1 <"$la/log" >/dev/null
serve_wait "$la/out" "$serve_pid" $((60 * slow)) ||
	bail_out "serve with its log in a pipe did not start"
printf -- '---\ntitle: Edited again\nstart: 2030-06-01\n---\nBody\n' >"$la/events/listed.new" &&
	mv "$la/events/listed.new" "$la/events/listed.md"
served_edit() { "$CURL" -s "$base/calendar.ics" | grep -q '^SUMMARY:Edited again'; }
wait_until $((10 * slow)) served_edit
served=$?
sleep 0.5
kill -0 "$serve_pid" 2>/dev/null
alive=$?
serve_stop
test $served -eq 0 && test $alive -eq 0 && test "$serve_status" = 0
ok $? "its log's reader gone: serve goes on, serves the edit, and stops with 0 (status $serve_status)"

# Open files: a limit of 160 holds 24 connections beside the 136 files
# kept for builds, partners and libmicrohttpd's 2 threads. A client beyond them waits for one to
# close, and an edit made while they are held is published (builds failed
# with EMFILE, and clients were left unanswered for good).
fl=$(mktmp)
mkdir -p "$fl/events"
printf -- '---\ntitle: Held\nstart: 2030-06-01\n---\nBody\n' >"$fl/events/held.md"
write_config "$fl" "$fl/events"
printf '[server]\nmax_per_client=0\n' >>"$fl/evfeed.conf"
(ulimit -n 160 && exec "$EVFEED" serve --config "$fl/evfeed.conf" \
	--listen 127.0.0.1:0 >"$fl/out" 2>"$fl/err" </dev/null) &
serve_pid=$!
serve_wait "$fl/out" "$serve_pid" $((60 * slow)) ||
	bail_out "serve under a limit of open files did not start"
port=$(echo "$base" | sed 's|.*:||')
"${PYTHON3:-/usr/bin/python3}" - "$port" "$slow" "$fl/events/held.md" <<'PY' >"$fl/held"
import os, socket, sys, time
port, slow, event = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
time.sleep(0.5)
c = socket.create_connection(("127.0.0.1", port))
c.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
with open(event + ".new", "w") as f:
    f.write("---\ntitle: Edited while held\nstart: 2030-06-01\n---\nBody\n")
os.rename(event + ".new", event)
time.sleep(3 * slow)
for s in held:
    s.close()
c.settimeout(10 * slow)
try:
    got = c.recv(100)
except OSError:
    got = b""
print("served" if got.startswith(b"HTTP/1.1 200") else "unanswered")
PY
served_held() { "$CURL" -s "$base/calendar.ics" | grep -q '^SUMMARY:Edited while held'; }
wait_until $((10 * slow)) served_held
published=$?
serve_stop
grep -q 'max_connections=4000 is more than the 160 files this process may open allow, with 136 kept for builds, partners and 2 threads: at most 24 connections at once' "$fl/err" &&
	test "$(cat "$fl/held")" = served && test $published -eq 0 &&
	! grep -q 'Too many open files' "$fl/err"
ok $? "a limit of open files: 200 connections held, a client waits and is served, the edit published ($(cat "$fl/held"))" ||
	diag_file "$fl/err"
# 64 threads keep more than such a limit leaves: told so at start
printf 'threads=64\nmax_connections=16\n' >>"$fl/evfeed.conf"
(ulimit -n 160 && exec "$EVFEED" serve --config "$fl/evfeed.conf" \
	--listen 127.0.0.1:0 >"$fl/out" 2>"$fl/err" </dev/null) &
serve_pid=$!
serve_wait "$fl/out" "$serve_pid" $((60 * slow))
started=$?
# (said as the server starts, which may be a moment after the Calendar
# line on stdout)
test $started -eq 0 &&
	wait_until $((10 * slow)) grep -q 'the 160 files this process may open are too few: builds, partners and 64 threads keep 384' "$fl/err"
said=$?
serve_stop
test $said -eq 0
ok $? "a limit of open files too low for its threads: said at start" ||
	diag_file "$fl/err"

# A site whose url has a path (https://events.example.org/events/): serve
# answers under it too, as the feeds' self links and the hub's topics name
# it, listening on that host or behind a proxy that passes the path on;
# from '/' as well, and its own folder named events/ stays its own.
pf=$tmp/prefixed
mkdir -p "$pf/events"
write_config "$pf" "$pf/events"
sed -i 's|^url=.*|url=https://events.example.org/events/|' "$pf/evfeed.conf"
printf -- '---\ntitle: One\nstart: 2030-05-05\n---\nBody.\n' >"$pf/events/2030-05-05-one.md"
# (an event file called calendar.md: its own calendar, events/calendar.ics
# in the output, is /events/events/calendar.ics; /events/calendar.ics is
# the site's)
printf -- '---\ntitle: Two\nstart: 2030-05-06\n---\nBody.\n' >"$pf/events/calendar.md"
serve_start "$pf/evfeed.conf" "$pf/out" "$pf/err"
code() { "$CURL" -s -o /dev/null -w '%{http_code}' "$base$1"; }
self=$("$CURL" -s "$base/events/atom.xml" | sed -n 's|.*<link rel="self" [^>]*href="https://events.example.org\([^"]*\)".*|\1|p' | head -n 1)
got="$(code /events/rss.xml) $(code /events/atom.xml) $(code /events/feed.json) $(code /events/calendar.ics) $(code /events/) $(code /events/events/2030-05-05-one.ics) $(code /rss.xml) $(code /events/2030-05-05-one.ics) $(code "$self")"
moved=$("$CURL" -s -o /dev/null -w '%{http_code} %{redirect_url}' "$base/events")
site_events=$("$CURL" -s "$base/events/calendar.ics" | grep -c '^BEGIN:VEVENT')
own_events=$("$CURL" -s "$base/events/events/calendar.ics" | grep -c '^BEGIN:VEVENT')
serve_stop
test "$got" = "200 200 200 200 200 200 200 200 200" && test "$self" = /events/atom.xml &&
	test "$moved" = "301 $base/events/" && test "$site_events" = 2 && test "$own_events" = 1
ok $? "a url with a path: served under it and from '/' ($got; self $self; /events: $moved; calendar.ics $site_events events, the event's own $own_events)" ||
	diag_file "$pf/err"
# a path with characters a Location must encode: "/a b%3F/" without its '/'
sed -i 's|^url=.*|url=https://events.example.org/a%20b%3F/|' "$pf/evfeed.conf"
serve_start "$pf/evfeed.conf" "$pf/out" "$pf/err"
moved=$("$CURL" -s -o /dev/null -w '%{http_code} %{redirect_url}' "$base/a%20b%3F")
got=$(code '/a%20b%3F/rss.xml')
serve_stop
test "$moved" = "301 $base/a%20b%3F/" && test "$got" = 200
ok $? "a url path with a space and a '?': its 301 encodes them ($moved; $got)" ||
	diag_file "$pf/err"

trap _tap_cleanup EXIT
done_testing
