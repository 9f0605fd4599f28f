#!/bin/sh
# zones.sh: every time zone of tzdata (zone1970.tab of the machine), read
# back by three clients that know nothing of one another: ical.js, which
# reads the calendar's VTIMEZONEs as Thunderbird does, python-icalendar
# and vobject. In each zone, a summer and a winter event and a monthly
# series in 2025, and winter events in 2018 and 2026; every client must accept the calendar and find every occurrence
# at the instant Python's own zoneinfo gives for that wall time (the first
# of two where the clocks go back, as RFC 5545 has it), and the RSS feed
# must carry the same instants.
#
# Zones whose clocks changed on dates no yearly rule gives in 2025 (Gaza
# and Hebron, for tzdata 2026) cannot hold a series: evfeed check must say
# so at the recurrence line, and nothing else; those series are left out.

. "$(dirname "$0")/lib.sh"

PYTHON3=${PYTHON3:-/usr/bin/python3}
NODE=${NODE:-node}
if [ -z "${NODE_PATH:-}" ]; then
	NODE_PATH=$(npm root -g 2>/dev/null) || NODE_PATH=
fi
export NODE_PATH
clients=$top_srcdir/tests/clients
tab=/usr/share/zoneinfo/zone1970.tab

[ -r "$tab" ] || skip_all "no $tab (tzdata is not installed)"
"$PYTHON3" -c 'import icalendar, vobject, zoneinfo' 2>/dev/null ||
	skip_all "python3-icalendar or python3-vobject is missing: run tools/install-deps"
"$NODE" -e "require('ical.js')" 2>/dev/null ||
	skip_all "ical.js is missing: run tools/install-deps"

tmp=$(mktmp)
mkdir "$tmp/events"
write_config "$tmp" "$tmp/events"
sed -i 's/^timezone=.*/timezone=UTC/' "$tmp/evfeed.conf"

# The events, and what Python's zoneinfo says each occurrence is.
"$PYTHON3" - "$tab" "$tmp/events" "$tmp/expected.json" <<'EOF'
import datetime, json, sys, zoneinfo

tab, folder, out = sys.argv[1:]
zones = sorted({line.split('\t')[2].strip() for line in open(tab)
                if line.strip() and not line.startswith('#')})
expected = {}


def utc(zone, y, mo, d, h, mi):
    local = datetime.datetime(y, mo, d, h, mi, tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


for zone in zones:
    slug = zone.replace('/', '-').lower()
    for kind, (y, mo, d, h), hours, rule in (
            ('summer', (2025, 7, 1, 10), 2, None),
            ('winter', (2025, 1, 15, 9), 1, None),
            ('monthly', (2025, 3, 3, 10), 1, 'FREQ=MONTHLY;COUNT=12'),
            # the sample's year, and the next
            ('winter-2018', (2018, 1, 15, 9), 1, None),
            # the first morning of the first year each VTIMEZONE is
            # for: east of Greenwich, before midnight UTC
            ('new-year-2018', (2018, 1, 1, 8), 1, None),
            ('winter-2026', (2026, 1, 15, 9), 1, None)):
        title = '%s %s' % (kind, zone)
        with open('%s/%s-%s.md' % (folder, kind, slug), 'w') as f:
            f.write('---\ntitle: %s\nstart: %04d-%02d-%02dT%02d:00\n'
                    'end: %04d-%02d-%02dT%02d:00\ntimezone: %s\n'
                    % (title, y, mo, d, h, y, mo, d, h + hours, zone))
            if rule:
                f.write('recurrence: %s\n' % rule)
            f.write('---\nIn %s.\n' % zone)
        months = 12 if rule else 1
        expected[title] = [
            utc(zone, y + (mo - 1 + k) // 12, (mo - 1 + k) % 12 + 1, d, h, 0)
            for k in range(months)]
json.dump(expected, open(out, 'w'))
print('%d zones' % len(zones))
EOF
ok $? "six events in each zone"

# Series in irregular zones: refused at their recurrence line, and only
# they.
"$EVFEED" check --config "$tmp/evfeed.conf" >"$tmp/check.out" 2>"$tmp/check.err"
grep ': error: ' "$tmp/check.err" >"$tmp/errors"
if ! grep -v '/monthly-[^/]*\.md:6:13: error: recurrence: in 2025 the clocks of .* change on dates no yearly rule gives' \
	"$tmp/errors" >"$tmp/other"; then
	pass "check: only series in irregular zones are refused ($(wc -l <"$tmp/errors"))"
else
	fail "check: only series in irregular zones are refused"
	diag_file "$tmp/other"
fi
sed -n 's|^.*/\(monthly-[^/]*\.md\):6:13: error: .*|\1|p' "$tmp/errors" |
	while read -r f; do rm -f "$tmp/events/$f"; done

check "build" "$EVFEED" build --config "$tmp/evfeed.conf"
cal=$tmp/public/calendar.ics
check "ical.js accepts calendar.ics (every TZID has its VTIMEZONE, no RDATE)" \
	sh -c '"$0" "$1/check-ics.js" "$2" >"$3/js.jsonl"' \
	"$NODE" "$clients" "$cal" "$tmp"
check "python-icalendar accepts calendar.ics" \
	sh -c '"$0" "$1/check_ics.py" "$2" >"$3/py.jsonl"' \
	"$PYTHON3" "$clients" "$cal" "$tmp"
check "vobject accepts calendar.ics" \
	sh -c '"$0" "$1/check_vobject.py" "$2" >"$3/vo.jsonl"' \
	"$PYTHON3" "$clients" "$cal" "$tmp"
check "feeds pass feedparser, xmllint and the W3C rules" \
	"$PYTHON3" "$clients/check_feeds.py" \
	--rss "$tmp/public/rss.xml" --self-rss https://events.example.org/rss.xml \
	--atom "$tmp/public/atom.xml" --self-atom https://events.example.org/atom.xml \
	--atom-rng "$top_srcdir/tests/data/atom.rng" \
	--expect-titles-from "$tmp/js.jsonl" --max-items 50

# Every occurrence as ical.js and vobject expand the series through the
# calendar's own VTIMEZONEs; python-icalendar's first occurrences
# (check_ics.py) beside them.
"$NODE" - "$cal" >"$tmp/js-all.jsonl" 2>"$tmp/js-all.err" <<'EOF'
const ICAL = require('ical.js');
const fs = require('fs');
const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(process.argv[2], 'utf8')));
for (const vtz of cal.getAllSubcomponents('vtimezone'))
	ICAL.TimezoneService.register(vtz);
for (const ve of cal.getAllSubcomponents('vevent')) {
	const ev = new ICAL.Event(ve);
	const it = ev.iterator();
	for (let t = it.next(), n = 0; t && n < 24; t = it.next(), n++)
		console.log(JSON.stringify({ summary: ev.summary,
			start_utc: t.toJSDate().toISOString().replace('.000Z', 'Z') }));
}
EOF
ok $? "ical.js expands every series"
"$PYTHON3" - "$cal" >"$tmp/vo-all.jsonl" 2>"$tmp/vo-all.err" <<'EOF'
import datetime, json, sys, vobject

cal = vobject.readOne(open(sys.argv[1], encoding='utf-8').read())
for ve in cal.vevent_list:
    for t in list(ve.getrruleset(addRDate=True) or [ve.dtstart.value])[:24]:
        print(json.dumps({'summary': ve.summary.value, 'start_utc':
              t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}))
EOF
ok $? "vobject expands every series"

"$PYTHON3" - "$tmp/expected.json" "$tmp/js-all.jsonl" "$tmp/vo-all.jsonl" \
	"$tmp/py.jsonl" >"$tmp/compare.out" 2>&1 <<'EOF'
import json, sys

expected = json.load(open(sys.argv[1]))
bad = 0
for path, name, first in zip(sys.argv[2:], ('ical.js', 'vobject',
                                            'python-icalendar'),
                             (False, False, True)):
    seen = {}
    for line in open(path, encoding='utf-8'):
        if line.strip():
            ev = json.loads(line)
            seen.setdefault(ev['summary'], []).append(ev['start_utc'])
    for title, want in expected.items():
        got = sorted(seen.get(title, []))
        if title.startswith('monthly') and not got:
            continue  # a series refused by evfeed check
        if first:
            want = want[:1]
        if got != want:
            bad += 1
            if bad <= 20:
                print('%s: %s: %s, not %s' % (name, title, got, want))
print('%d disagreements' % bad)
sys.exit(1 if bad else 0)
EOF
if [ $? -eq 0 ]; then
	pass "every client finds every occurrence where zoneinfo puts it"
else
	fail "every client finds every occurrence where zoneinfo puts it"
	diag_file "$tmp/compare.out"
fi

done_testing
