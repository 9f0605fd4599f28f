#!/bin/sh
# nginx.sh: config/nginx-site.conf, run by nginx on 127.0.0.1 over the
# output folder that `evfeed serve` serves beside it, answers as evfeed
# serve does: the same Content-Type, Cache-Control, Vary and nosniff for
# every kind of file, the .gz sibling to clients that accept gzip (also
# behind a proxy, which adds Via, and in HTTP/1.0), 304 for either
# validator (If-Modified-Since the file's Last-Modified; one later than
# the clock is ignored, 200, a stale copy never confirmed), the whole file
# for a Range, no Cache-Control on a 404, a relative Location for a folder
# without its "/", and 405 with Allow for other methods.
. "$top_srcdir/tests/integration/lib.sh"

CURL=${CURL:-curl}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
if [ ! -x "$NGINX" ] || [ ! -r /etc/nginx/mime.types ]; then
	skip_all "nginx is not installed (tools/install-deps installs nginx-light)"
fi

tmp=$(mktmp)
mkdir "$tmp/events" "$tmp/nginx"
cp "$top_srcdir"/feeds/events/*.md "$tmp/events/"
write_config "$tmp" "$tmp/events"
check "evfeed build" "$EVFEED" build --config "$tmp/evfeed.conf"

# The site's file, with only its address and folder changed, in a main
# configuration of the test's own (nginx's workers read the folder as
# this user).
port=$("${PYTHON3:-python3}" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
sed -e "/^[[:space:]]*listen /d" \
	-e "s|^\([[:space:]]*\)server_name .*|\1listen 127.0.0.1:$port;\n\1server_name events.example.org;|" \
	-e "s|^\([[:space:]]*\)root .*|\1root $tmp/public;|" \
	"$top_srcdir/config/nginx-site.conf" >"$tmp/nginx/site.conf"
user=
[ "$(id -u)" = 0 ] && user='user root;'
cat >"$tmp/nginx/nginx.conf" <<EOF
$user
daemon off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log off;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	include $tmp/nginx/site.conf;
}
EOF
if ! "$NGINX" -t -p "$tmp/nginx" -e "$tmp/nginx/error.log" \
	-c "$tmp/nginx/nginx.conf" >"$tmp/nginx/test.out" 2>&1; then
	diag_file "$tmp/nginx/test.out"
	bail_out "nginx refuses config/nginx-site.conf"
fi
pass "nginx accepts config/nginx-site.conf"
"$NGINX" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
	>/dev/null 2>&1 &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null; [ -n "$serve_pid" ] && kill -9 $serve_pid 2>/dev/null; _tap_cleanup' EXIT
nginx=http://127.0.0.1:$port
if ! wait_until 10 "$CURL" -s -o /dev/null "$nginx/"; then
	diag_file "$tmp/nginx/error.log"
	bail_out "nginx did not start"
fi
serve_pid=
if ! serve_start "$tmp/evfeed.conf" "$tmp/serve.out" "$tmp/serve.err"; then
	diag_file "$tmp/serve.err"
	bail_out "evfeed serve did not start"
fi

serve_base=$base

# norm: a header's value in lower case, without spaces after ";" (nginx
# writes "text/css; charset=utf-8").
norm()
{
	tr 'A-Z' 'a-z' | sed 's/; */;/g'
}
# same WHAT PATH NAME [CURL ARGS]: header NAME (or the status, for
# "status") of PATH is the same from both servers.
same()
{
	_what=$1 _path=$2 _name=$3
	shift 3
	if [ "$_name" = status ]; then
		base=$serve_base
		_a=$(head_of "$_path" "$@" | status)
		base=$nginx
		_b=$(head_of "$_path" "$@" | status)
	else
		base=$serve_base
		_a=$(head_of "$_path" "$@" | header "$_name" | norm)
		base=$nginx
		_b=$(head_of "$_path" "$@" | header "$_name" | norm)
	fi
	if [ "$_a" = "$_b" ]; then
		base=$serve_base
		pass "$_what: $_path: $_name '$_a' from both"
	else
		base=$serve_base
		fail "$_what: $_path: $_name '$_a' from evfeed serve, '$_b' from nginx"
	fi
}

category=$(cd "$tmp/public/category" && ls | head -n 1)
event=$(cd "$tmp/public/events" && ls | head -n 1)
for p in /calendar.ics /rss.xml /atom.xml /feed.json /calendar.json / \
	/index.html /style.css "/category/$category/calendar.ics" \
	"/category/$category/rss.xml" "/category/$category/" \
	"/events/$event"; do
	same plain "$p" status
	same plain "$p" Content-Type
	same plain "$p" Cache-Control
	same plain "$p" X-Content-Type-Options
	same gzip "$p" Content-Encoding -H 'Accept-Encoding: gzip'
	same gzip "$p" Vary -H 'Accept-Encoding: gzip'
done

# The .gz siblings behind a proxy (Via) and in HTTP/1.0.
for p in /calendar.ics /rss.xml "/category/$category/atom.xml"; do
	for how in "proxy:-H:Via: 1.1 cdn.example.net" "http1.0:--http1.0:"; do
		name=${how%%:*} rest=${how#*:}
		opt=${rest%%:*} val=${rest#*:}
		if [ -n "$val" ]; then
			set -- "$opt" "$val"
		else
			set -- "$opt"
		fi
		a=$("$CURL" -s -H 'Accept-Encoding: gzip' "$@" "$nginx$p" | gzip -dc 2>/dev/null | cmp -s - "$tmp/public$p" && echo gzip)
		b=$("$CURL" -s -H 'Accept-Encoding: gzip' "$@" "$base$p" | gzip -dc 2>/dev/null | cmp -s - "$tmp/public$p" && echo gzip)
		if [ "$a" = gzip ] && [ "$b" = gzip ]; then
			pass "$name: $p: gzip from both, the file's bytes"
		else
			fail "$name: $p: gzip from both, the file's bytes (nginx '$a', evfeed serve '$b')"
		fi
	done
done

# Conditional requests: each server's own ETag; an If-Modified-Since of
# the file's Last-Modified; not one later than the clock (a client's
# running ahead), which would be answered 304 after a change.
ahead=$(date -u -d '+1 hour' '+%a, %d %b %Y %H:%M:%S GMT')
for p in /calendar.ics /atom.xml; do
	for base in "$serve_base" "$nginx"; do
		etag=$(head_of "$p" | header ETag)
		lm=$(head_of "$p" | header Last-Modified)
		h=$(head_of "$p" -H "If-None-Match: $etag")
		test "$(echo "$h" | status)" = 304 &&
			test "$(echo "$h" | header Cache-Control)" = 'public, max-age=3600'
		ok $? "$base$p: If-None-Match: 304, with Cache-Control"
		test "$(head_of "$p" -H "If-Modified-Since: $lm" | status)" = 304
		ok $? "$base$p: If-Modified-Since its Last-Modified: 304"
		test "$(head_of "$p" -H "If-Modified-Since: $ahead" | status)" = 200
		ok $? "$base$p: If-Modified-Since later than the clock ($ahead): 200"
	done
done

same range /calendar.ics status -H 'Range: bytes=0-9'
same "a .gz sibling is no address of its own" /calendar.ics.gz status
# nothing under a name that starts with '.', a file without a '.' of its
# own too (which the folders' redirect had served)
mkdir -p "$tmp/public/.git"
echo x >"$tmp/public/.git/config"
same "a name that starts with a dot" /.git/config status
rm -rf "$tmp/public/.git"
same "no Cache-Control on errors" /no-such-file.ics status
same "no Cache-Control on errors" /no-such-file.ics Cache-Control
same "other methods" /calendar.ics status -X POST
same "other methods" /calendar.ics Allow -X POST
# A folder without its "/": the same relative Location ("x/", with the
# query), which keeps the path a proxy in front takes off; nginx's own
# ("/category/x/" with absolute_redirect off) left the site.
for base in "$serve_base" "$nginx"; do
	loc=$(head_of "/category/$category?a=1" | header Location)
	case $loc in
	"$category"/?a=1) pass "$base: a folder without its /: relative Location '$loc'" ;;
	*) fail "$base: a folder without its /: relative Location '$loc'" ;;
	esac
done
base=$serve_base

# A live edit that serve builds beside nginx: a client of nginx that asks
# If-Modified-Since with the Date of its last fetch (or the time it
# fetched, as `curl -z` does) gets the new version, never a 304; and the
# new file is dated after that Date. The fetch is made early in a second,
# and the edit at once, so that serve has built it within that second.
f=$(ls "$tmp"/events/*.md | head -n 1)
for round in 1 2 3; do
	"${PYTHON3:-/usr/bin/python3}" -c 'import time; time.sleep(1.05 - time.time() % 1)'
	h=$("$CURL" -s -D - -o /dev/null "$nginx/calendar.ics" | tr -d '\r')
	fetched=$(echo "$h" | header Date)
	retitle "$f" "Edited beside nginx $round"
	in_place()
	{
		grep -q "^SUMMARY:Edited beside nginx $round" "$tmp/public/calendar.ics"
	}
	wait_until 5 in_place
	ok $? "round $round: serve has put the edit in place"
	# (serve itself serves it once it has read it: at once, or as the
	# next second begins, for a version within a second of the last)
	serves_it()
	{
		"$CURL" -s "$serve_base/calendar.ics" |
			grep -q "^SUMMARY:Edited beside nginx $round"
	}
	wait_until 5 serves_it
	ok $? "round $round: serve serves the edit"
	for how in identity gzip; do
		set -- -H "If-Modified-Since: $fetched"
		[ $how = gzip ] && set -- "$@" -H 'Accept-Encoding: gzip'
		for b in "$nginx" "$serve_base"; do
			code=$("$CURL" -s -o /dev/null -w '%{http_code}' "$@" "$b/calendar.ics")
			test "$code" = 200
			ok $? "round $round: $b, $how: If-Modified-Since the Date of a fetch of the version before ($fetched): $code"
		done
	done
	test "$(stat -c %Y "$tmp/public/calendar.ics")" -gt "$(date -d "$fetched" +%s)" &&
		test "$(stat -c %Y "$tmp/public/calendar.ics.gz")" -gt "$(date -d "$fetched" +%s)"
	ok $? "round $round: the new file and its .gz are dated after that Date"
done

serve_stop
kill "$nginx_pid" 2>/dev/null
wait "$nginx_pid" 2>/dev/null
done_testing
