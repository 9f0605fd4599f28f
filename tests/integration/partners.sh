#!/bin/sh
# partners.sh: partner syndication against a fixture server on 127.0.0.1
# (tests/integration/partner-server.py) that serves an OSCE-like RSS feed,
# a UNODC-like Outlook calendar and a DCAF-like Atom feed, and misbehaves
# on request.
#
# The good path: `evfeed fetch` of all three, `evfeed sources`, `evfeed
# build`; the Zagreb meeting (ours and UNODC's) appears once, as ours, with
# UNODC attribution; the cultural property workshop (ours, date to be
# announced; OSCE's, dated) appears once, as ours, now dated; every other
# partner item appears once with its attribution (RSS and Atom <source>,
# the calendar's DESCRIPTION and CATEGORIES) and its times resolved (Windows
# zone names, offsets); the User-Agent; a second fetch is conditional and
# gets a 304.
#
# Then each failure mode applied to one source: `evfeed fetch` exits 1
# naming that source and no other, within the timeout plus a margin and in
# bounded memory; `evfeed sources` shows it in words; after `evfeed build`
# the calendar and the RSS feed list exactly what they listed before (the
# failing source's last good items and everything else), and every output
# still parses. A sudden drop to no items or to fewer is held, then
# accepted after three fetches. XXE reads neither a local URL nor a file.
# Removing a source removes its items; an unreachable source fails alone.
#
# Every calendar and feed is read back with ical.js, python-icalendar and
# feedparser/xmllint (tests/clients).
#
# Environment (make check sets it): EVFEED, top_srcdir; optional PYTHON3,
# NODE, NODE_PATH, XMLLINT, CURL. EVFEED_KEEP_TMP=1 keeps the temporary
# folder.
. "$top_srcdir/tests/integration/lib.sh"

LC_ALL=C
export LC_ALL
PYTHON3=${PYTHON3:-/usr/bin/python3}
CURL=${CURL:-curl}
NODE=${NODE:-node}
XMLLINT=${XMLLINT:-xmllint}
if [ -z "${NODE_PATH:-}" ]; then
	NODE_PATH=$(npm root -g 2>/dev/null) || NODE_PATH=
fi
export NODE_PATH XMLLINT

clients=$top_srcdir/tests/clients
site=https://events.example.org/
events=$top_srcdir/feeds/events

# Limits for one `evfeed fetch` of a misbehaving source (every source has
# timeout=5s): seconds and kilobytes of peak RSS.
max_secs=20
max_kb=204800

"$PYTHON3" -c 'import http.server' >/dev/null 2>&1 ||
	skip_all "no python3 ($PYTHON3) to run the fixture server"
"$CURL" --version >/dev/null 2>&1 ||
	skip_all "no curl ($CURL) to drive the fixture server"

tmp=$(mktmp)
conf=$tmp/evfeed.conf
pub=$tmp/public
py=$tmp/inspect.py

# ------------------------------------------------------------ the server

"$PYTHON3" "$top_srcdir/tests/integration/partner-server.py" --lifetime 3600 \
	>"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
trap 'kill "$server" 2>/dev/null; _tap_cleanup' EXIT

fixture_port "$tmp/server.out" "$tmp/server.err" "the fixture server"
base=http://127.0.0.1:$port
diag "fixture server at $base"

# ctl FEED MODE: how FEED answers from now on (FEED may be "all").
ctl()
{
	"$CURL" -sf -X POST "$base/control/$1/$2" >/dev/null ||
		diag "cannot switch $1 to $2"
}

# requests FEED: what the server saw of FEED, as JSON.
requests()
{
	"$CURL" -sf "$base/control/requests/$1"
}

secret=$("$CURL" -sf "$base/control/secret-token")

# ------------------------------------------------------------ inspection

cat >"$py" <<'EOF'
"""What the tests need to know of an output: UIDs, attribution, guids."""
import json
import re
import sys
import xml.etree.ElementTree as ET

ATOM = '{http://www.w3.org/2005/Atom}'


def unfold(path):
    with open(path, 'rb') as f:
        text = f.read().decode('utf-8', 'replace')
    text = text.replace('\r\n', '\n')
    return re.sub(r'\n[ \t]', '', text).split('\n')


def unescape(v):
    out, i = [], 0
    while i < len(v):
        if v[i] == '\\' and i + 1 < len(v):
            out.append('\n' if v[i + 1] in 'nN' else v[i + 1])
            i += 2
        else:
            out.append(v[i])
            i += 1
    return ''.join(out)


def split_list(v):
    parts, cur, i = [], '', 0
    while i < len(v):
        if v[i] == '\\' and i + 1 < len(v):
            cur += v[i:i + 2]
            i += 2
        elif v[i] == ',':
            parts.append(cur)
            cur = ''
            i += 1
        else:
            cur += v[i]
            i += 1
    parts.append(cur)
    return [unescape(p) for p in parts]


def vevents(path):
    out, cur, depth = [], None, 0
    for line in unfold(path):
        if line == 'BEGIN:VEVENT':
            cur, depth = {'uid': '', 'summary': '', 'dtstart': '',
                          'dtend': '', 'description': '',
                          'categories': []}, 0
            continue
        if cur is None:
            continue
        if line == 'END:VEVENT':
            out.append(cur)
            cur = None
            continue
        if line.startswith('BEGIN:'):
            depth += 1
            continue
        if line.startswith('END:'):
            depth -= 1
            continue
        if depth > 0:
            continue
        head, _, value = line.partition(':')
        name = head.split(';')[0].upper()
        if name == 'UID':
            cur['uid'] = value
        elif name == 'SUMMARY':
            cur['summary'] = unescape(value)
        elif name == 'DTSTART':
            cur['dtstart'] = line
        elif name == 'DTEND':
            cur['dtend'] = line
        elif name == 'DESCRIPTION':
            cur['description'] = unescape(value)
        elif name == 'CATEGORIES':
            cur['categories'] += split_list(value)
    return out


def text(el):
    return '' if el is None else ''.join(el.itertext())


def rss_items(path):
    for item in ET.parse(path).getroot().iter('item'):
        src = item.find('source')
        yield (text(item.find('guid')), text(item.find('title')),
               '' if src is None else src.get('url', ''), text(src))


def atom_entries(path):
    for e in ET.parse(path).getroot().iter(ATOM + 'entry'):
        src = e.find(ATOM + 'source')
        yield (text(e.find(ATOM + 'id')), text(e.find(ATOM + 'title')),
               '' if src is None else text(src.find(ATOM + 'title')))


def tsv(*fields):
    print('\t'.join(f.replace('\t', ' ').replace('\n', '\\n')
                    for f in fields))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'uids':
        for ev in vevents(args[0]):
            print(ev['uid'])
    elif cmd == 'find':
        for ev in vevents(args[0]):
            if re.search(args[1], ev['summary'], re.I):
                tsv(ev['uid'], ev['dtstart'], ev['dtend'],
                    '|'.join(ev['categories']), ev['description'])
    elif cmd == 'sourced':
        pat = re.compile(r'(^|\n)Source: %s <' % re.escape(args[1]))
        for ev in vevents(args[0]):
            if pat.search(ev['description']):
                print(ev['uid'])
    elif cmd == 'ends-with-source':
        # ends-with-source FILE REGEX TITLE: the description of the one
        # matching event ends with "Source: TITLE <url>"
        pat = re.compile(r'(^|\n)Source: %s <[a-z]+://[^>\s]+>\s*$'
                         % re.escape(args[2]))
        evs = [ev for ev in vevents(args[0])
               if re.search(args[1], ev['summary'], re.I)]
        sys.exit(0 if len(evs) == 1 and pat.search(evs[0]['description'])
                 else 1)
    elif cmd == 'guids':
        for guid, _, _, _ in rss_items(args[0]):
            print(guid)
    elif cmd == 'rss':
        for item in rss_items(args[0]):
            tsv(*item)
    elif cmd == 'atom':
        for entry in atom_entries(args[0]):
            tsv(*entry)
    elif cmd == 'start':
        # start JSONL REGEX: start_utc of the events check-ics.js saw
        with open(args[0], encoding='utf-8') as f:
            for line in f:
                if line.strip():
                    ev = json.loads(line)
                    if re.search(args[1], ev.get('summary') or '', re.I):
                        print(ev.get('start_utc'))
    elif cmd == 'json':
        v = json.load(sys.stdin)
        for k in args[0].split('.'):
            v = v.get(k) if isinstance(v, dict) else None
        print('' if v is None else v)
    elif cmd == 'clean':
        # clean FILE...: valid UTF-8, no control characters but TAB, LF
        # and CR
        bad = 0
        for path in args:
            with open(path, 'rb') as f:
                data = f.read()
            try:
                s = data.decode('utf-8')
            except UnicodeDecodeError as e:
                print('%s: invalid UTF-8 at byte %d' % (path, e.start))
                bad += 1
                continue
            m = re.search('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]', s)
            if m:
                print('%s: control character %r at %d'
                      % (path, m.group(), m.start()))
                bad += 1
        sys.exit(1 if bad else 0)
    else:
        sys.exit('unknown command ' + cmd)


main()
EOF

inspect()
{
	"$PYTHON3" "$py" "$@"
}

# --------------------------------------------------------------- helpers

# write_conf SOURCE...: the configuration with those sources.
write_conf()
{
	write_config "$tmp" "$events"
	sed 's/^max_items=50$/max_items=1000/' "$conf" >"$conf.new" &&
		mv "$conf.new" "$conf"
	for s in "$@"; do
		case $s in
		osce)
			printf '[source osce]\nurl=%s/osce.rss\ninterval=1h\n' "$base"
			printf 'timeout=5s\n'
			;;
		osce-cyber)
			printf '[source osce]\nurl=%s/osce.rss\ninterval=1h\n' "$base"
			printf 'timeout=5s\ninclude=cyber\n'
			;;
		osce-auth)
			printf '[source osce]\nurl=http://editor:%s@%s/osce.rss\n' \
			    "$password" "${base#http://}"
			printf 'interval=1h\ntimeout=5s\n'
			;;
		unodc)
			printf '[source unodc]\nurl=%s/unodc.ics\ntimeout=5s\n' "$base"
			;;
		unodc-moved)
			printf '[source unodc]\nurl=http://127.0.0.1:1/unodc.ics\n'
			printf 'timeout=5s\n'
			;;
		osce-sub)
			printf '[source osce]\nurl=%s/sub/osce.rss\n' "$base"
			printf 'timeout=5s\n'
			;;
		dcaf | dcaf-off)
			printf '[source dcaf]\nurl=%s/dcaf.atom\ntimeout=5s\n' "$base"
			printf 'max_bytes=1MiB\n'
			if [ "$s" = dcaf-off ]; then
				printf 'enabled=false\n'
			fi
			;;
		dead)
			printf '[source dead]\nurl=http://127.0.0.1:1/\ntimeout=5s\n'
			;;
		esac >>"$conf"
	done
}

# A command that hangs is killed after $hang_secs seconds; after three of
# them the run stops rather than taking hours.
hang_secs=45
hangs=0
if command -v timeout >/dev/null 2>&1; then
	to="timeout -k 5 $hang_secs"
else
	to=
fi

# fetch_run NAME [SOURCE]: `evfeed fetch`; sets rc, secs and kb (peak RSS,
# empty when /usr/bin/time is missing); output in $tmp/NAME.out and .err.
fetch_run()
{
	_fn=$1
	shift
	if [ -x /usr/bin/time ]; then
		# shellcheck disable=SC2086 # $to is a command and its options
		/usr/bin/time -f '%e %M' -o "$tmp/$_fn.time" $to \
			"$EVFEED" fetch --config "$conf" "$@" \
			>"$tmp/$_fn.out" 2>"$tmp/$_fn.err" </dev/null
		rc=$?
		_line=$(tail -n 1 "$tmp/$_fn.time")
		secs=${_line% *}
		kb=${_line#* }
	else
		_t0=$(date +%s)
		# shellcheck disable=SC2086
		$to "$EVFEED" fetch --config "$conf" "$@" \
			>"$tmp/$_fn.out" 2>"$tmp/$_fn.err" </dev/null
		rc=$?
		secs=$(($(date +%s) - _t0))
		kb=
	fi
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		hangs=$((hangs + 1))
		diag "evfeed fetch $* was killed after ${hang_secs}s"
		if [ $hangs -ge 3 ]; then
			bail_out "evfeed fetch hung $hangs times"
		fi
	fi
}

# sources_run NAME: `evfeed sources` into $tmp/NAME.sources.
sources_run()
{
	"$EVFEED" sources --config "$conf" >"$tmp/$1.sources" \
		2>"$tmp/$1.sources.err" </dev/null
}

# source_line NAME SOURCE: SOURCE's line of $tmp/NAME.sources.
source_line()
{
	awk -v s="$2" '$1 == s' "$tmp/$1.sources"
}

# build_run NAME: `evfeed build`, then the UIDs of calendar.ics and the
# guids of rss.xml into $tmp/NAME.uids and $tmp/NAME.guids.
build_run()
{
	$to "$EVFEED" build --config "$conf" >"$tmp/$1.build" 2>&1 </dev/null
	_brc=$?
	inspect uids "$pub/calendar.ics" 2>/dev/null | sort >"$tmp/$1.uids"
	inspect guids "$pub/rss.xml" 2>/dev/null | sort >"$tmp/$1.guids"
	return $_brc
}

# same_set DESC EXPECTED ACTUAL: the two sorted lists are the same.
same_set()
{
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff "$2" "$3" | sed -n '1,20s/^/#   /p'
	fi
}

# superset DESC EXPECTED ACTUAL: ACTUAL holds every line of EXPECTED.
superset()
{
	comm -23 "$2" "$3" >"$tmp/missing"
	if [ ! -s "$tmp/missing" ]; then
		pass "$1"
	else
		fail "$1"
		diag "missing:"
		diag_file "$tmp/missing"
	fi
}

# read_back NAME DIR SELF: DIR's calendar.ics, rss.xml and atom.xml read by
# ical.js, python-icalendar, feedparser and xmllint; SELF is DIR's public
# URL. The ical.js view of the calendar goes to $tmp/NAME.jsonl.
read_back()
{
	_d=$2
	if NODE_PATH=$NODE_PATH "$NODE" "$clients/check-ics.js" \
		"$_d/calendar.ics" >"$tmp/$1.jsonl" 2>"$tmp/$1.js.err" </dev/null
	then
		pass "$1: ical.js reads calendar.ics"
	else
		fail "$1: ical.js reads calendar.ics"
		diag_file "$tmp/$1.js.err"
	fi
	if "$PYTHON3" "$clients/check_ics.py" "$_d/calendar.ics" \
		>"$tmp/$1.py.jsonl" 2>"$tmp/$1.py.err" </dev/null; then
		pass "$1: python-icalendar reads calendar.ics"
	else
		fail "$1: python-icalendar reads calendar.ics"
		diag_file "$tmp/$1.py.err"
	fi
	set -- "$1" --rss "$_d/rss.xml" --atom "$_d/atom.xml" \
		--self-rss "${3}rss.xml" --self-atom "${3}atom.xml" \
		--max-items 1000 --xmllint "$XMLLINT" \
		--atom-rng "$top_srcdir/tests/data/atom.rng"
	if [ -s "$tmp/$1.jsonl" ]; then
		set -- "$@" --expect-titles-from "$tmp/$1.jsonl"
	fi
	_n=$1
	shift
	if "$PYTHON3" "$clients/check_feeds.py" "$@" >"$tmp/$_n.feeds" 2>&1 \
		</dev/null; then
		pass "$_n: rss.xml and atom.xml pass feedparser, xmllint and" \
			"the W3C rules"
	else
		fail "$_n: rss.xml and atom.xml pass feedparser, xmllint and" \
			"the W3C rules"
		diag_file "$tmp/$_n.feeds"
	fi
}

# names_only NAME SOURCE: the fetch's stderr names SOURCE as
# "evfeed: source SOURCE: why" and names no other source.
names_only()
{
	grep -q "^evfeed: source $2: ." "$tmp/$1.err" &&
		! grep '^evfeed: source ' "$tmp/$1.err" | grep -qv "^evfeed: source $2: "
}

# within_limits NAME: the last fetch_run took under $max_secs seconds and
# under $max_kb KB.
within_time()
{
	awk -v s="$secs" -v m="$max_secs" 'BEGIN { exit !(s + 0 < m) }'
}
within_memory()
{
	[ -n "$kb" ] && [ "$kb" -lt "$max_kb" ]
}

# ---------------------------------------------------------- the commands

"$EVFEED" --help >"$tmp/help" 2>&1
grep -q 'fetch' "$tmp/help" && grep -q 'sources' "$tmp/help"
ok $? "--help lists fetch and sources"
"$EVFEED" fetch --help >"$tmp/fetch-help" 2>&1
grep -qi 'fetch' "$tmp/fetch-help"
ok $? "fetch --help"

# ------------------------------------------------- before the first fetch

write_conf osce unodc dcaf
# Showing the sources changes nothing: before any fetch or build there is
# no state, and `evfeed sources` creates none.
sources_run fresh
test $? -eq 0 && test ! -e "$tmp/state.db" &&
	test "$(awk '$1 != "SOURCE" && $4 == "never"' "$tmp/fresh.sources" | wc -l)" -eq 3
ok $? "sources before any fetch: each never fetched, no state created"
diag_file "$tmp/fresh.sources.err"
# A file that is no state is reported and left where it is (build moves
# it aside and starts afresh; a command that only shows must not).
echo 'not a database' >"$tmp/state.db"
sources_run junk
test $? -eq 1 && grep -q "^evfeed: error: .*state.db" "$tmp/junk.sources.err" &&
	test "$(cat "$tmp/state.db")" = 'not a database' &&
	test -z "$(find "$tmp" -maxdepth 1 -name 'state.db.corrupt-*')"
ok $? "sources with a state that is no database: an error, the file untouched"
diag_file "$tmp/junk.sources.err"
rm -f "$tmp/state.db"
build_run local
ok $? "build with partner sources never fetched"
zagreb_ics=$pub/events/2018-06-28-illicit-financial-flows-zagreb.ics
zagreb_uid=$(inspect uids "$zagreb_ics" 2>/dev/null | head -n 1)
tba_uid=$(inspect rss "$pub/rss.xml" 2>/dev/null |
	awk -F '\t' '$2 ~ /Cultural Property/ { print $1 }' | sed 's/.*://')
diag "our UIDs: Zagreb $zagreb_uid, workshop $tba_uid"
test -n "$zagreb_uid" && test -n "$tba_uid"
ok $? "our own UIDs of the Zagreb meeting and the workshop are known"
test ! -e "$pub/events/tba-cultural-property-trafficking-workshop.ics"
ok $? "the workshop has no calendar file while its date is to be announced"
n=0
for f in osce unodc dcaf; do
	c=$(requests $f | inspect json count)
	n=$((n + ${c:-1}))
done
test "$n" -eq 0
ok $? "build does not fetch (the server saw $n requests)"

# ------------------------------------------------------------ good fetch

ctl all normal
fetch_run good
test "$rc" -eq 0
ok $? "fetch of three good sources: exit 0 (exit $rc)"
if [ "$rc" -ne 0 ]; then
	diag_file "$tmp/good.err"
fi
! grep -q '^evfeed: source ' "$tmp/good.err"
ok $? "fetch of three good sources names no failure"
grep -q osce "$tmp/good.out" && grep -q unodc "$tmp/good.out" &&
	grep -q dcaf "$tmp/good.out"
ok $? "fetch prints a line for each source"

sources_run good
head -n 1 "$tmp/good.sources" | grep -q 'SOURCE' &&
	head -n 1 "$tmp/good.sources" | grep -q 'STATUS' &&
	head -n 1 "$tmp/good.sources" | grep -q 'ITEMS' &&
	head -n 1 "$tmp/good.sources" | grep -Eq 'LAST[ -]SUCCESS' &&
	head -n 1 "$tmp/good.sources" | grep -Eq 'NEXT[ -]FETCH' &&
	head -n 1 "$tmp/good.sources" | grep -Eq 'LAST[ -]ERROR'
ok $? "sources: a table with its header"
for s in osce:3 unodc:3 dcaf:2; do
	name=${s%:*}
	want=${s#*:}
	line=$(source_line good "$name")
	echo "$line" | awk -v n="$want" '$2 == "ok" && $3 == n { f = 1 }
		END { exit !f }'
	ok $? "sources: $name ok with $want items"
	[ -n "$line" ] || diag_file "$tmp/good.sources"
done

for f in osce unodc dcaf; do
	requests $f >"$tmp/req.$f"
	ua=$(inspect json last.User-Agent <"$tmp/req.$f")
	case $ua in
	*evfeed/0.1.0*) pass "$f: User-Agent names evfeed/0.1.0 ($ua)" ;;
	*) fail "$f: User-Agent names evfeed/0.1.0 ($ua)" ;;
	esac
	ae=$(inspect json last.Accept-Encoding <"$tmp/req.$f")
	case $ae in
	*gzip*) pass "$f: Accept-Encoding offers gzip ($ae)" ;;
	*) fail "$f: Accept-Encoding offers gzip ($ae)" ;;
	esac
done

build_run good
ok $? "build with the partners' items"
# An unchanged build counts the same events: the partners' too.
_n=$(sed -n 's/^evfeed: \([0-9]*\) events\{0,1\}: wrote.*/\1/p' "$tmp/good.build")
$to "$EVFEED" build --config "$conf" >"$tmp/good.again" 2>&1 </dev/null
_m=$(sed -n 's/^evfeed: \([0-9]*\) events\{0,1\}, nothing changed.*/\1/p' "$tmp/good.again")
test -n "$_n" && test "$_n" = "$_m" && test "$_n" -gt 4
ok $? "an unchanged build counts the partners' events too ($_n, then $_m)"
cp "$tmp/good.uids" "$tmp/good.uids.saved"
test -z "$(uniq -d "$tmp/good.uids")"
ok $? "no UID twice in calendar.ics"
test -z "$(uniq -d "$tmp/good.guids")"
ok $? "no guid twice in rss.xml"
cal=$pub/calendar.ics

# The Zagreb meeting: ours and UNODC's, once, as ours.
inspect find "$cal" 'Illicit Financial Flows' >"$tmp/zagreb"
test "$(wc -l <"$tmp/zagreb")" -eq 1
ok $? "the Zagreb meeting is in calendar.ics once ($(wc -l <"$tmp/zagreb") times)"
diag_file "$tmp/zagreb"
test "$(cut -f 1 "$tmp/zagreb")" = "$zagreb_uid"
ok $? "the Zagreb meeting keeps our UID"
cut -f 5 "$tmp/zagreb" | grep -q 'Also listed by: UNODC'
ok $? "the Zagreb meeting: DESCRIPTION has 'Also listed by: UNODC'"
cut -f 4 "$tmp/zagreb" | tr '|' '\n' | grep -qx 'UNODC'
ok $? "the Zagreb meeting: UNODC among its CATEGORIES"
cut -f 2,3 "$tmp/zagreb" | grep -q 'DTSTART;VALUE=DATE:20180628' &&
	cut -f 2,3 "$tmp/zagreb" | grep -q 'DTEND;VALUE=DATE:20180630'
ok $? "the Zagreb meeting: still 28-29 June, all day"
! grep -q '040000008200E00074C5B7101A82E0080000000030F1E5A0' "$cal"
ok $? "UNODC's UID of the Zagreb meeting is not published"
inspect rss "$pub/rss.xml" >"$tmp/good.rss"
inspect atom "$pub/atom.xml" >"$tmp/good.atom"
test "$(grep -c 'Illicit Financial Flows' "$tmp/good.rss")" -eq 1 &&
	test "$(grep -c 'Illicit Financial Flows' "$tmp/good.atom")" -eq 1
ok $? "the Zagreb meeting is once in rss.xml and once in atom.xml"

# The workshop: ours (date to be announced) and OSCE's (dated), once, as
# ours, now dated.
inspect find "$cal" 'Cultural Property' >"$tmp/workshop"
test "$(wc -l <"$tmp/workshop")" -eq 1
ok $? "the workshop is in calendar.ics once, dated by OSCE ($(wc -l <"$tmp/workshop") times)"
diag_file "$tmp/workshop"
test "$(cut -f 1 "$tmp/workshop")" = "$tba_uid"
ok $? "the workshop keeps our UID"
grep -q 'DTSTART;VALUE=DATE:20181120' "$tmp/workshop" &&
	grep -q 'DTEND;VALUE=DATE:20181122' "$tmp/workshop"
ok $? "the workshop: 20-21 November 2018, all day, from OSCE's ev: dates"
cut -f 5 "$tmp/workshop" | grep -q 'Also listed by: OSCE'
ok $? "the workshop: DESCRIPTION has 'Also listed by: OSCE'"
cut -f 4 "$tmp/workshop" | tr '|' '\n' | grep -qx 'OSCE'
ok $? "the workshop: OSCE among its CATEGORIES"
test "$(inspect uids \
	"$pub/events/tba-cultural-property-trafficking-workshop.ics" \
	2>/dev/null)" = "$tba_uid"
ok $? "the workshop now has its calendar file, with our UID"
test "$(grep -c 'Cultural Property' "$tmp/good.rss")" -eq 1 &&
	grep 'Cultural Property' "$tmp/good.rss" | cut -f 1 |
	grep -q ":$tba_uid\$"
ok $? "the workshop is once in rss.xml, with our guid"
grep -q '<ev:startdate>2018-11-20' "$pub/rss.xml"
ok $? "rss.xml gives the workshop's ev:startdate"

# partner_item REGEX TITLE FEED START: one partner-only item.
partner_item()
{
	inspect find "$cal" "$1" >"$tmp/item"
	test "$(wc -l <"$tmp/item")" -eq 1
	ok $? "$2: '$1' is in calendar.ics once"
	inspect ends-with-source "$cal" "$1" "$2"
	_st=$?
	ok $_st "$2: '$1': DESCRIPTION ends with 'Source: $2 <url>'"
	if [ $_st -ne 0 ]; then
		cut -f 5 "$tmp/item" | sed -n '1s/^/#   /p'
	fi
	cut -f 4 "$tmp/item" | tr '|' '\n' | grep -qx "$2"
	ok $? "$2: '$1': $2 among its CATEGORIES"
	grep "$1" "$tmp/good.rss" >"$tmp/item.rss"
	test "$(wc -l <"$tmp/item.rss")" -eq 1 &&
		test "$(cut -f 3,4 "$tmp/item.rss")" = "$(printf '%s\t%s' \
			"$base/$3" "$2")"
	ok $? "$2: '$1': rss.xml <source url=\"$base/$3\">$2</source>"
	grep "$1" "$tmp/good.atom" >"$tmp/item.atom"
	test "$(wc -l <"$tmp/item.atom")" -eq 1 &&
		test "$(cut -f 3 "$tmp/item.atom")" = "$2"
	ok $? "$2: '$1': atom.xml <source> titled $2"
	got=$(inspect start "$tmp/good.jsonl" "$1" 2>/dev/null)
	test "$got" = "$4"
	ok $? "$2: '$1' starts at $4 (ical.js: $got)"
}

read_back good "$pub" "$site"
partner_item 'Cyber/ICT Security' OSCE osce.rss 2018-10-15T07:00:00Z
partner_item 'Border Security and Management Focal Points' OSCE osce.rss \
	2018-12-11
partner_item 'Trafficking in Persons along the Balkan Route' UNODC \
	unodc.ics 2018-10-09T07:00:00Z
partner_item 'Firearms Trafficking' UNODC unodc.ics 2018-11-06T09:00:00Z
partner_item 'Parliamentary Oversight' DCAF dcaf.atom 2018-10-22T07:00:00Z
partner_item 'Police Integrity' DCAF dcaf.atom 2018-12-04
grep -q 'https://www.dcaf.ch/events/police-integrity-see-2018' \
	"$pub/rss.xml"
ok $? "DCAF: a relative link resolved against xml:base"

for s in osce unodc dcaf; do
	for f in calendar.ics rss.xml atom.xml; do
		test -s "$pub/source/$s/$f"
		ok $? "source/$s/$f exists"
	done
	if [ -s "$pub/source/$s/calendar.ics" ]; then
		read_back "source-$s" "$pub/source/$s" "${site}source/$s/"
	fi
done
grep -q 'Parliamentary Oversight' "$pub/source/dcaf/rss.xml" 2>/dev/null &&
	grep -q 'Police Integrity' "$pub/source/dcaf/rss.xml" &&
	! grep -q 'Firearms' "$pub/source/dcaf/rss.xml"
ok $? "source/dcaf/rss.xml lists DCAF's items and only those"

find "$pub" -type f ! -name '*.gz' -exec grep -l -i -e '<script' \
	-e '&lt;script' -e 'javascript:' {} + >"$tmp/scripts" 2>/dev/null
test ! -s "$tmp/scripts"
ok $? "no output carries <script or javascript: from a partner"
diag_file "$tmp/scripts"

for s in OSCE UNODC DCAF; do
	inspect sourced "$cal" "$s" | sort >"$tmp/good.src.$s"
done

# A second fetch is conditional and gets 304s.
fetch_run again
test "$rc" -eq 0
ok $? "second fetch: exit 0"
for f in osce unodc dcaf; do
	requests $f >"$tmp/req.$f"
	inm=$(inspect json last.If-None-Match <"$tmp/req.$f")
	st=$(inspect json status <"$tmp/req.$f")
	test -n "$inm" && test "$st" = 304
	ok $? "$f: second fetch sends If-None-Match ($inm) and gets 304 ($st)"
done
build_run again
same_set "after the 304s the calendar lists the same events" \
	"$tmp/good.uids" "$tmp/again.uids"
same_set "after the 304s rss.xml lists the same items" \
	"$tmp/good.guids" "$tmp/again.guids"

# Once a day the same bytes are read again, from a full answer: a partner's
# series is taken as its occurrences nearest to the time of the parse, and
# one whose calendar did not change would otherwise stop with the last
# occurrences of its first fetch. The state says UNODC's was parsed two
# days ago.
# parsed_at NAME [SECONDS_AGO]: sets, or prints, when NAME's body was
# parsed (unix s).
parsed_at()
{
	"$PYTHON3" - "$tmp/state.db" "$@" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
key = 'parsed/' + sys.argv[2]
if len(sys.argv) > 3:
    db.execute('UPDATE meta SET value = ? WHERE key = ?',
               (str(int((time.time() - int(sys.argv[3])) * 1e6)), key))
    db.commit()
else:
    row = db.execute('SELECT value FROM meta WHERE key = ?', (key,)).fetchone()
    print(int(row[0]) // 1000000 if row else 0)
PY
}
parsed_at unodc $((2 * 86400))
fetch_run daily
requests unodc >"$tmp/req.unodc"
requests osce >"$tmp/req.osce"
test "$rc" -eq 0 &&
	test -z "$(inspect json last.If-None-Match <"$tmp/req.unodc")" &&
	test "$(inspect json status <"$tmp/req.unodc")" = 200 &&
	test "$(parsed_at unodc)" -gt $(($(date +%s) - 600))
ok $? "a calendar parsed a day ago or more is fetched in full and read again"
test -n "$(inspect json last.If-None-Match <"$tmp/req.osce")" &&
	test "$(inspect json status <"$tmp/req.osce")" = 304
ok $? "one parsed less than a day ago is still asked for with its ETag (304)"
build_run daily
same_set "read again, the same calendar lists the same events" \
	"$tmp/good.uids" "$tmp/daily.uids"

# `fetch --due`, for cron: only what the daemon would fetch now. OSCE
# (interval=1h) was just fetched; a source whose next fetch is past is due.
"$PYTHON3" - "$tmp/state.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE sources SET next_fetch = 1 WHERE name = 'dcaf'")
db.commit()
PY
n_osce=$(requests osce | inspect json count)
n_dcaf=$(requests dcaf | inspect json count)
fetch_run due --due
test "$rc" -eq 0 &&
	test "$(requests osce | inspect json count)" = "$n_osce" &&
	test "$(requests dcaf | inspect json count)" = $((n_dcaf + 1))
ok $? "fetch --due fetches the source that is due and not the others"
"$EVFEED" build --due --config "$conf" >/dev/null 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: build: --due is an option of 'fetch' only" "$tmp/err"
ok $? "build --due: exit 2 naming it"

# A partner's words in the last error (what its calendar's lines say) are
# shown by `evfeed sources` with their control characters escaped: an
# ESC would clear and recolour the operator's terminal.
"$PYTHON3" - "$tmp/state.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE sources SET last_error = ? WHERE name = 'dcaf'",
           ('cannot parse: END:\x1b[2J\x1b[31mX\x07',))
db.commit()
PY
"$EVFEED" sources --config "$conf" >"$tmp/esc.out" 2>&1
"$PYTHON3" -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(any(b < 32 and b not in (9, 10) for b in d))' "$tmp/esc.out" &&
	grep -q 'END:' "$tmp/esc.out"
ok $? "sources: a partner's control characters are escaped, not sent to the terminal"

# ---------------------------------------------------------- failure modes

count_of()
{
	case $1 in
	dcaf) echo 2 ;;
	*) echo 3 ;;
	esac
}

# error_words MODE: what the last error of MODE should say (an ERE).
error_words()
{
	case $1 in
	500) echo '500' ;;
	503-retry) echo '503' ;;
	hang | drip) echo 'tim(ed|e) ?out|too slow|slow' ;;
	huge | gzip-bomb) echo 'too large|too big|max_bytes|size' ;;
	redirect-loop) echo 'redirect' ;;
	wrong-type) echo 'html|content.type|not a (calendar|feed)' ;;
	truncated | cut-connection) echo 'truncat|END:VCALENDAR|premature|end|parse' ;;
	malformed) echo 'pars|malformed|well-formed|xml|mismatch' ;;
	xxe-* | billion-laughs) echo 'entit|doctype|dtd|pars' ;;
	deep) echo 'deep|depth|nest|pars' ;;
	*) echo '.' ;;
	esac
}

# restore FEED: FEED back to normal; fetch until it is ok with all its
# items again (a held drop needs up to three); the outputs are the good
# ones again.
restore()
{
	ctl "$1" normal
	_i=0
	_st=1
	_want=$(count_of "$1")
	while [ $_i -lt 4 ] && [ $_st -ne 0 ]; do
		fetch_run restore "$1"
		sources_run restore
		source_line restore "$1" |
			awk -v n="$_want" '$2 == "ok" && $3 == n { f = 1 }
				END { exit !f }'
		_st=$?
		_i=$((_i + 1))
	done
	build_run restore
	[ $_st -eq 0 ] && cmp -s "$tmp/good.uids" "$tmp/restore.uids" &&
		cmp -s "$tmp/good.guids" "$tmp/restore.guids"
	ok $? "$1 back to normal: ok with its $_want items and the good outputs ($_i fetches)"
	if [ $_st -ne 0 ]; then
		diag "sources: $(source_line restore "$1")"
	fi
}

# failure FEED MODE KIND: FEED answers MODE. KIND is
#   fail      the fetch fails: exit 1 naming FEED, the outputs unchanged
#   tolerate  the fetch may fail or be accepted; nothing is lost, the
#             outputs stay clean
#   same      the fetch succeeds and changes nothing (304)
failure()
{
	_f=$1
	_m=$2
	_k=$3
	_t="$_f $_m"
	ctl all normal
	ctl "$_f" "$_m"
	fetch_run "$_f.$_m"
	diag "$_t: exit $rc, ${secs}s, ${kb}KB"
	case $_k in
	fail)
		test "$rc" -eq 1 && names_only "$_f.$_m" "$_f"
		_st=$?
		_d="fetch exits 1 naming $_f and no other source"
		;;
	tolerate)
		# (accepted, it may say what it read through)
		{ test "$rc" -eq 0 && { ! grep -q '^evfeed: source ' \
			"$tmp/$_f.$_m.err" || names_only "$_f.$_m" "$_f"; }; } ||
			{ test "$rc" -eq 1 && names_only "$_f.$_m" "$_f"; }
		_st=$?
		_d="fetch accepts it (exit 0) or fails naming $_f alone"
		;;
	*)
		test "$rc" -eq 0 && ! grep -q '^evfeed: source ' \
			"$tmp/$_f.$_m.err"
		_st=$?
		_d="fetch exits 0"
		;;
	esac
	ok $_st "$_t: $_d"
	if [ $_st -ne 0 ]; then
		diag_file "$tmp/$_f.$_m.err"
	fi
	within_time
	ok $? "$_t: fetch ends within ${max_secs}s (${secs}s; timeout=5s)"
	if [ -n "$kb" ]; then
		within_memory
		ok $? "$_t: fetch stays under $((max_kb / 1024)) MB (${kb} KB)"
	fi

	sources_run "$_f.$_m"
	_line=$(source_line "$_f.$_m" "$_f")
	diag "sources: $_line"
	case $_k in
	fail)
		_w=$(error_words "$_m")
		echo "$_line" | awk '$2 == "failing" || $2 == "held" { f = 1 }
			END { exit !f }' &&
			echo "$_line" | grep -Eiq "$_w"
		ok $? "$_t: sources shows $_f failing, in words (/$_w/)"
		;;
	tolerate)
		echo "$_line" | awk '$2 == "ok" || $2 == "failing" { f = 1 }
			END { exit !f }'
		ok $? "$_t: sources shows $_f ok or failing"
		;;
	*)
		echo "$_line" | awk '$2 == "ok" { f = 1 } END { exit !f }'
		ok $? "$_t: sources shows $_f ok"
		;;
	esac
	_others=0
	for _o in osce unodc dcaf; do
		[ "$_o" = "$_f" ] && continue
		source_line "$_f.$_m" "$_o" | awk '$2 == "ok" { f = 1 }
			END { exit !f }' || {
			_others=1
			diag "$(source_line "$_f.$_m" "$_o")"
		}
	done
	ok $_others "$_t: sources shows the other sources ok"

	build_run "$_f.$_m"
	ok $? "$_t: build"
	case $_k in
	tolerate)
		superset "$_t: calendar.ics lists every event it listed" \
			"$tmp/good.uids" "$tmp/$_f.$_m.uids"
		superset "$_t: rss.xml lists every item it listed" \
			"$tmp/good.guids" "$tmp/$_f.$_m.guids"
		_n=$(($(wc -l <"$tmp/$_f.$_m.uids") - $(wc -l <"$tmp/good.uids")))
		test "$_n" -le 101
		ok $? "$_t: at most 101 more events in calendar.ics ($_n)"
		;;
	*)
		same_set "$_t: calendar.ics lists the same events" \
			"$tmp/good.uids" "$tmp/$_f.$_m.uids"
		same_set "$_t: rss.xml lists the same items" \
			"$tmp/good.guids" "$tmp/$_f.$_m.guids"
		;;
	esac
	find "$pub" -type f ! -name '*.gz' ! -name '*.db*' \
		-exec "$PYTHON3" "$py" clean {} + >"$tmp/clean" 2>&1
	ok $? "$_t: every output is valid UTF-8 without control characters"
	diag_file "$tmp/clean"
	read_back "$_f.$_m" "$pub" "$site"
	case $_m in
	xxe-*)
		hits=$("$CURL" -sf "$base/control/secret-hits")
		test "$hits" = 0
		ok $? "$_t: the local URL of the entity was never requested ($hits)"
		host=$(cat /etc/hostname 2>/dev/null)
		! grep -r -l -F -e "$secret" -e "XXE-FILE[$host" -e "XXE-URL[E" \
			"$pub" "$tmp/$_f.$_m.sources" >/dev/null 2>&1
		ok $? "$_t: no output holds what the entity points at"
		;;
	esac
	restore "$_f"
}

failure osce 304 same
failure osce 500 fail
failure unodc 503-retry fail
failure dcaf hang fail
failure osce drip fail
failure osce huge fail
failure dcaf huge fail
failure unodc gzip-bomb fail
failure dcaf gzip-bomb fail
failure osce redirect-loop fail
failure unodc wrong-type fail
failure unodc truncated fail
failure osce truncated fail
failure unodc cut-connection fail
failure osce malformed fail
failure dcaf malformed fail
failure unodc malformed fail
failure osce xxe-url fail
failure dcaf xxe-url fail
failure osce xxe-file fail
failure dcaf xxe-file fail
failure osce billion-laughs fail
failure osce deep fail
failure dcaf deep fail
failure osce bad-utf8 tolerate
failure unodc bad-utf8 tolerate
failure unodc secondly tolerate
failure unodc deep tolerate

# ------------------------------------------------------ sudden drops held

# held FEED MODE TITLE ITEMS: FEED suddenly lists ITEMS items; the first
# two fetches are held, the third is believed.
held()
{
	_f=$1
	_m=$2
	_s=$3
	_want=$4
	_t="$_f $_m"
	_old=$(count_of "$_f")
	ctl all normal
	ctl "$_f" "$_m"
	for _n in 1 2; do
		fetch_run "$_f.$_m.$_n"
		diag "$_t: fetch $_n: exit $rc"
		! grep '^evfeed: source ' "$tmp/$_f.$_m.$_n.err" |
			grep -qv "^evfeed: source $_f: "
		ok $? "$_t: fetch $_n names no other source"
		sources_run "$_f.$_m.$_n"
		_line=$(source_line "$_f.$_m.$_n" "$_f")
		diag "sources: $_line"
		echo "$_line" | awk -v n="$_old" '$2 == "held" && $3 == n { f = 1 }
			END { exit !f }'
		ok $? "$_t: fetch $_n held: $_f keeps its $_old items"
		if [ "$_n" = 1 ]; then
			_w='until 2 more fetches confirm'
		else
			_w='until 1 more fetch confirms'
		fi
		echo "$_line" | grep -q "$_w\$"
		ok $? "$_t: fetch $_n held: sources says '$_w'"
		grep -q "^evfeed: source $_f: held: .*$_w\$" "$tmp/$_f.$_m.$_n.err"
		ok $? "$_t: fetch $_n held: and says so on standard error"
		build_run "$_f.$_m.$_n"
		cmp -s "$tmp/good.uids" "$tmp/$_f.$_m.$_n.uids" &&
			cmp -s "$tmp/good.guids" "$tmp/$_f.$_m.$_n.guids"
		ok $? "$_t: fetch $_n held: the outputs are unchanged"
	done
	# the source's own feeds and calendar, before the drop is taken
	source_dates "$_f" >"$tmp/$_f.$_m.dates.before"
	sleep 1
	fetch_run "$_f.$_m.3"
	test "$rc" -eq 0 &&
		grep -q "^evfeed: source $_f: now lists [0-9]* items where there were $_old: taken, as 3 fetches in a row said so\$" "$tmp/$_f.$_m.3.err"
	ok $? "$_t: third fetch exits 0, saying the drop is taken"
	sources_run "$_f.$_m.3"
	_line=$(source_line "$_f.$_m.3" "$_f")
	diag "sources: $_line"
	echo "$_line" | awk -v n="$_want" '$2 == "ok" && $3 == n { f = 1 }
		END { exit !f }'
	ok $? "$_t: third fetch believed: $_f ok with $_want items"
	build_run "$_f.$_m.3"
	ok $? "$_t: build"
	# Items that left are a change of the source's calendar and feeds:
	# their last change moves forward, never back to the newest item
	# still listed.
	source_dates "$_f" >"$tmp/$_f.$_m.dates.after"
	_b=$(sed -n 1p "$tmp/$_f.$_m.dates.before")
	_a=$(sed -n 1p "$tmp/$_f.$_m.dates.after")
	_lb=$(sed -n 2p "$tmp/$_f.$_m.dates.before")
	_la=$(sed -n 2p "$tmp/$_f.$_m.dates.after")
	test -n "$_b" && test -n "$_lb" && expr "$_a" \> "$_b" >/dev/null &&
		expr "$_la" \> "$_lb" >/dev/null
	ok $? "$_t: source/$_f/ atom.xml updated and calendar LAST-MODIFIED move forward ($_b -> $_a, $_lb -> $_la)"
	inspect sourced "$pub/calendar.ics" "$_s" | sort >"$tmp/$_f.$_m.src"
	# What should be listed now: the good events, less those of this
	# source that are gone.
	comm -23 "$tmp/good.src.$_s" "$tmp/$_f.$_m.src" >"$tmp/gone"
	comm -23 "$tmp/good.uids" "$tmp/gone" >"$tmp/$_f.$_m.expect"
	if [ "$_f" = osce ]; then
		# The workshop's date came from OSCE: it is to be announced
		# again, so out of the calendar.
		grep -vx "$tba_uid" "$tmp/$_f.$_m.expect" >"$tmp/x" &&
			mv "$tmp/x" "$tmp/$_f.$_m.expect"
	fi
	_n=$(wc -l <"$tmp/$_f.$_m.src")
	test "$_n" -eq "$_want"
	ok $? "$_t: calendar.ics has $_want items with 'Source: $_s' ($_n)"
	same_set "$_t: calendar.ics lists the good events less $_f's gone ones" \
		"$tmp/$_f.$_m.expect" "$tmp/$_f.$_m.3.uids"
	if [ "$_f" = unodc ]; then
		! inspect find "$pub/calendar.ics" 'Illicit Financial Flows' |
			grep -q 'Also listed by: UNODC'
		ok $? "$_t: the Zagreb meeting is no longer 'Also listed by: UNODC'"
	fi
	read_back "$_f.$_m.3" "$pub" "$site"
	restore "$_f"
}

# source_dates NAME: the Atom updated and the calendar's LAST-MODIFIED of
# source/NAME/, a line each.
source_dates()
{
	sed -n 's|^  <updated>\(.*\)</updated>$|\1|p' "$pub/source/$1/atom.xml" |
		head -n 1
	tr -d '\r' <"$pub/source/$1/calendar.ics" |
		sed -n 's/^LAST-MODIFIED://p' | head -n 1
}

held osce fewer OSCE 1
held unodc empty UNODC 0
held dcaf empty DCAF 0

# ---------------------------------------------- a news feed's window moves

# A feed lists its newest items, not all: one that a newer post pushes out
# of it is not taken away, while one missing from among those it lists
# is. (calendar.ics has each event's title, so `inspect find` finds it.)
listed() { inspect find "$pub/calendar.ics" "$1" | grep -q .; }
ctl all normal
ctl osce scrolled
fetch_run osce.scrolled osce
sources_run osce.scrolled
source_line osce.scrolled osce | awk '$2 == "ok" && $3 == 3 { f = 1 }
	END { exit !f }'
ok $? "a news feed's next post: osce ok with the 3 items it lists ($(source_line osce.scrolled osce))"
build_run osce.scrolled
listed 'Cyber/ICT Security' && listed 'Countering Terrorist Financing' &&
	test -z "$(comm -23 "$tmp/good.uids" "$tmp/osce.scrolled.uids")"
ok $? "an item pushed out of a news feed's window by a newer post stays listed, beside the newer one" ||
	diag_file "$tmp/osce.scrolled.err"
ctl osce removed
fetch_run osce.removed osce
build_run osce.removed
! listed 'Focal Points Network' && listed 'Cyber/ICT Security' &&
	listed 'Countering Terrorist Financing'
ok $? "an item missing from among those a feed lists is taken away"
read_back osce.removed "$pub" "$site"
restore osce

# The same of a feed without dates of publication (RSS makes pubDate
# optional): each item counts as published when a fetch first listed it,
# in the feed's order, the newest first.
ctl osce nodate
fetch_run osce.nodate osce
ctl osce nodate-scrolled
fetch_run osce.nodate-scrolled osce
build_run osce.nodate-scrolled
listed 'Cyber/ICT Security' && listed 'Countering Terrorist Financing' &&
	listed 'Focal Points Network'
ok $? "a feed without pubDate: an item pushed out by a newer post stays listed, beside the newer one" ||
	diag_file "$tmp/osce.nodate-scrolled.err"
ctl osce nodate-removed
fetch_run osce.nodate-removed osce
build_run osce.nodate-removed
! listed 'Focal Points Network' && listed 'Cyber/ICT Security' &&
	listed 'Countering Terrorist Financing'
ok $? "a feed without pubDate: an item missing from among those it lists is taken away"
restore osce

# A feed whose items all lose their event dates (a template that dropped
# its ev: elements) takes every event out of the calendars: held, as an
# answer with far fewer items is.
ctl osce undated
fetch_run osce.undated osce
grep -q '^evfeed: source osce: held: 0 items with a date where there were 3; the previous items stay until 2 more fetches confirm$' \
	"$tmp/osce.undated.err"
ok $? "a feed whose items lost their dates: held, and said so" ||
	diag_file "$tmp/osce.undated.err"
build_run osce.undated
cmp -s "$tmp/good.uids" "$tmp/osce.undated.uids"
ok $? "a feed whose items lost their dates: the calendar is unchanged"
restore osce

# An old feed's address that moves to a web page: no advice to put the
# page's address in the configuration, which would fail the same way.
ctl osce moved-page
fetch_run osce.moved-page osce
grep -q '^evfeed: source osce: cannot parse what its url now moves permanently to, http://127\.0\.0\.1:[0-9]*/osce\.rss?page: not a calendar or a feed' \
	"$tmp/osce.moved-page.err" &&
	! grep -q 'update its url' "$tmp/osce.moved-page.err"
ok $? "a feed moved to a page: said so, with no advice to take the page's address" ||
	diag_file "$tmp/osce.moved-page.err"
restore osce

# ------------------------------------------- include= with other words

# include= and exclude= choose as a source is read, before its cap: once
# they have other words, the source is due at once and read again in
# full (a 304 would keep what the old words chose), and that it then
# keeps fewer items is not held as a failing partner's answer would be.
# With the words taken out, every item is back at the next fetch.
write_conf osce-cyber unodc dcaf
# (a build fetches nothing: it says so)
build_run words.build
grep -q "evfeed.conf: warning: \[source osce\]: its items were read with other include=, exclude= or link= settings; the outputs show those that the settings now choose until \`evfeed fetch\` reads it again" "$tmp/words.build.build"
ok $? "other words in include=: a build, which fetches nothing, says the source's items are to be read again" ||
	diag_file "$tmp/words.build.build"
n_osce=$(requests osce | inspect json count)
fetch_run words.narrow --due
sources_run words.narrow
test "$rc" -eq 0 &&
	test "$(requests osce | inspect json count)" = $((n_osce + 1)) &&
	source_line words.narrow osce | awk '$2 == "ok" && $3 == 1 { f = 1 }
		END { exit !f }' &&
	! grep -q 'held' "$tmp/words.narrow.err"
ok $? "include= with other words: osce due at once, read again, its 1 chosen item kept, not held ($(source_line words.narrow osce))" ||
	diag_file "$tmp/words.narrow.err"
build_run words.narrow
listed 'Cyber/ICT Security' && ! listed 'Focal Points Network'
ok $? "include=cyber: the calendar lists OSCE's cyber conference and not its other items"
write_conf osce unodc dcaf
n_osce=$(requests osce | inspect json count)
fetch_run words.wide --due
sources_run words.wide
build_run words.wide
test "$(requests osce | inspect json count)" = $((n_osce + 1)) &&
	source_line words.wide osce | awk '$2 == "ok" && $3 == 3 { f = 1 }
		END { exit !f }' &&
	cmp -s "$tmp/good.uids" "$tmp/words.wide.uids"
ok $? "include= taken out: osce read again at once, every item back ($(source_line words.wide osce))"
# Other words while the partner fails: fetched at once, once; then it
# waits as a failing source waits, not fetched at each round.
ctl osce 500
write_conf osce-cyber unodc dcaf
n_osce=$(requests osce | inspect json count)
fetch_run words.failing --due
fetch_run words.failing2 --due
fetch_run words.failing3 --due
test "$(requests osce | inspect json count)" = $((n_osce + 1))
ok $? "other words while the partner fails: fetched once, then it waits ($(($(requests osce | inspect json count) - n_osce)) requests)"
write_conf osce unodc dcaf
restore osce

# ------------------------------------------------------ disabling a source

# kept_source NAME: source/dcaf/ keeps its calendar and feeds, empty, so
# that its subscribers' calendar programs drop its items (a 404 left them
# showing them for ever), and they read it.
kept_source()
{
	for f in calendar.ics rss.xml atom.xml calendar.json feed.json \
		index.html; do
		test -s "$pub/source/dcaf/$f" || echo "$f"
	done >"$tmp/$1.missing"
	test ! -s "$tmp/$1.missing" &&
		! grep -q '^BEGIN:VEVENT' "$pub/source/dcaf/calendar.ics" &&
		grep -q '^X-WR-CALNAME:Test Events: DCAF' \
			"$pub/source/dcaf/calendar.ics" &&
		! grep -q '<item>' "$pub/source/dcaf/rss.xml" &&
		! grep -q '<entry>' "$pub/source/dcaf/atom.xml"
	ok $? "$1: source/dcaf/ keeps its calendar and feeds, empty" ||
		diag_file "$tmp/$1.missing"
	read_back "$1-dcaf" "$pub/source/dcaf" "${site}source/dcaf/"
	(cd "$pub/source/dcaf" && cksum calendar.ics rss.xml atom.xml) \
		>"$tmp/$1.kept"
}

write_conf osce unodc dcaf-off
build_run disabled
ok $? "build with [source dcaf] disabled"
inspect sourced "$pub/calendar.ics" DCAF >"$tmp/disabled.src"
test ! -s "$tmp/disabled.src"
ok $? "calendar.ics: the disabled source's items are gone"
kept_source disabled

# ------------------------------------------------------- removing a source

write_conf osce unodc
build_run removed
ok $? "build without [source dcaf]"
inspect sourced "$pub/calendar.ics" DCAF >"$tmp/removed.src"
test ! -s "$tmp/removed.src"
ok $? "calendar.ics: DCAF's items are gone"
comm -23 "$tmp/good.uids" "$tmp/good.src.DCAF" >"$tmp/removed.expect"
same_set "calendar.ics: everything else stays" \
	"$tmp/removed.expect" "$tmp/removed.uids"
! grep -q "$base/dcaf.atom" "$pub/rss.xml" &&
	! grep -q "$base/dcaf.atom" "$pub/atom.xml"
ok $? "rss.xml and atom.xml: no item from DCAF"
kept_source removed
cmp -s "$tmp/disabled.kept" "$tmp/removed.kept"
ok $? "source/dcaf/: the same files, disabled and then removed"
sources_run removed
test -z "$(source_line removed dcaf)"
ok $? "sources: dcaf no longer listed"
read_back removed "$pub" "$site"
# 90 days on (the state's time of its leaving, and the time up to which
# the output holds, moved back as they would be then): it goes.
state_left_ago "$tmp/state.db" source/dcaf 91 ||
	bail_out "cannot move the state's times back"
build_run gone
test $? -eq 0 && test ! -e "$pub/source/dcaf" &&
	test -s "$pub/source/osce/calendar.ics"
ok $? "90 days after it was disabled, source/dcaf/ is gone"
same_set "calendar.ics: everything else stays, 90 days on" \
	"$tmp/removed.expect" "$tmp/gone.uids"

# ------------------------------------------------ an unreachable source

write_conf osce unodc dead
fetch_run dead
test "$rc" -eq 1 && names_only dead dead &&
	grep '^evfeed: source dead: ' "$tmp/dead.err" | grep -q 'cannot connect'
ok $? "nothing listening: fetch exits 1 with 'evfeed: source dead: cannot connect' alone"
diag_file "$tmp/dead.err"
within_time
ok $? "nothing listening: fetch ends within ${max_secs}s (${secs}s)"
sources_run dead
source_line dead dead | grep -q 'cannot connect' &&
	source_line dead dead | awk '$2 == "failing" { f = 1 } END { exit !f }'
ok $? "sources: dead failing, 'cannot connect'"
diag "$(source_line dead dead)"
source_line dead osce | awk '$2 == "ok" { f = 1 } END { exit !f }' &&
	source_line dead unodc | awk '$2 == "ok" { f = 1 } END { exit !f }'
ok $? "sources: osce and unodc still ok"
build_run dead
ok $? "build with an unreachable source"
same_set "calendar.ics: osce's and unodc's events are all there" \
	"$tmp/removed.expect" "$tmp/dead.uids"
read_back dead "$pub" "$site"
# Taken out with nothing listed, it changes no event: its 90 days count
# from this build, not from the site's last change, which may be long
# past (its files went at once, or after a few days).
before_us=$("$PYTHON3" -c 'import time; print(int(time.time() * 1e6))')
write_conf osce unodc
build_run dead-gone
test $? -eq 0 && test -s "$pub/source/dead/calendar.ics" &&
	"$PYTHON3" - "$tmp/state.db" "$before_us" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT value FROM meta WHERE key = 'source/dead'").fetchone()
last = db.execute("SELECT value FROM meta WHERE key = 'last_change'").fetchone()
assert row is not None, "no source/dead"
left = int(row[0].split(" ")[0])
assert int(last[0]) < int(sys.argv[2]), ("the site changed", last)
assert left >= int(sys.argv[2]), (left, sys.argv[2])
PY
ok $? "a source taken out with nothing listed is kept 90 days from then"

# A source's password stays in the configuration (chmod 600 it): the state,
# which more people may read and which goes into backups, keeps the URL
# with a digest for it, and knows it again: the next fetch is conditional.
password=pw-$$-not-in-the-state
write_conf osce-auth unodc
fetch_run auth osce
test "$rc" -eq 0
ok $? "fetch of a source whose url has a user name and password"
diag_file "$tmp/auth.err"
fetch_run auth-again osce
requests osce >"$tmp/req.auth"
test "$rc" -eq 0 &&
	test -n "$(inspect json last.If-None-Match <"$tmp/req.auth")" &&
	test "$(inspect json status <"$tmp/req.auth")" = 304
ok $? "with a password too, the second fetch is conditional and gets 304"
found=$(grep -a -l -F -e "$password" "$tmp/state.db" "$tmp/state.db-wal" \
    2>/dev/null)
test -s "$tmp/state.db" && test -z "$found"
ok $? "the state holds no source's password ($found)"
# A state of an earlier evfeed, which kept the password: it is forgotten
# when the state is opened, and the source is known again (not "new", its
# next fetch conditional).
"$PYTHON3" - "$tmp/state.db" "$base" "$password" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
url = "http://editor:%s@%s/osce.rss" % (sys.argv[3], sys.argv[2][len("http://"):])
db.execute("UPDATE sources SET url = ? WHERE name = 'osce'", (url,))
db.commit()
PY
fetch_run auth-old osce
requests osce >"$tmp/req.auth-old"
found=$(grep -a -l -F -e "$password" "$tmp/state.db" "$tmp/state.db-wal" \
    2>/dev/null)
test "$rc" -eq 0 &&
	test -n "$(inspect json last.If-None-Match <"$tmp/req.auth-old")" &&
	test "$(inspect json status <"$tmp/req.auth-old")" = 304 &&
	test -z "$found"
ok $? "a state that kept the password forgets it, and knows the source ($found)"

# The url changed and the new address fails: the source's last good items
# stay listed, and `evfeed sources` counts them (not 0, as if the partner
# had withdrawn them).
write_conf osce unodc
sources_run url-before
had=$(source_line url-before unodc | awk '{ print $3 }')
write_conf osce unodc-moved
fetch_run url-moved unodc
sources_run url-moved
test "$rc" -eq 1 && test "${had:-0}" -gt 0 &&
	source_line url-moved unodc |
	awk -v n="$had" '$2 == "failing" && $3 == n { f = 1 } END { exit !f }'
ok $? "url changed, the new one failing: sources shows unodc failing with its $had items" ||
	diag_file "$tmp/url-moved.sources"
# Its url changed again, before a fetch: a new address, fetched at once,
# of which no error is known yet (the one shown was the old address's).
write_conf osce unodc
sources_run url-back
source_line url-back unodc |
	awk '$2 == "new" && $5 == "now" && $6 == "-" && NF == 6 { f = 1 }
		END { exit !f }'
ok $? "url changed again, not fetched: sources shows unodc new, its fetch now, no error ($(source_line url-back unodc))" ||
	diag_file "$tmp/url-back.sources"
# When the new address then answers, with far fewer items, they are a new
# address's: taken at once, not held against the old address's count, and
# the old address's items are not kept with them.
write_conf osce unodc
fetch_run url-osce osce
sources_run url-osce
had=$(source_line url-osce osce | awk '{ print $3 }')
ctl osce 404
write_conf osce-sub unodc
fetch_run url-osce-moved osce
ctl osce fewer
fetch_run url-sub osce
sources_run url-sub
test "$rc" -eq 0 && test "${had:-0}" -ge 3 &&
	source_line url-sub osce |
	awk '$2 == "ok" && $3 == 1 { f = 1 } END { exit !f }'
ok $? "url changed, failed, then answered: its one item taken at once, not held against the $had before" ||
	diag_file "$tmp/url-sub.sources"
build_run url-sub
test "$(grep -c '<item>' "$pub/source/osce/rss.xml")" -eq 1
ok $? "... and the old address's items are not published with it" ||
	diag_file "$pub/source/osce/rss.xml"
ctl osce normal

done_testing
