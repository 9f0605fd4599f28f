#!/usr/bin/python3
"""Parse an iCalendar file with python-vobject and print its events.

usage: check_vobject.py FILE

vobject (the parser of Radicale, among others) turns each VTIMEZONE of
the file into a time zone of its own, with dateutil's RRULE code, rather
than looking the TZID up in a database as python-icalendar does, or
stepping the rules as ical.js does: a third reading of every VTIMEZONE.

On stdout: one JSON object per VEVENT, with the keys and formats of
check-ics.js that the comparison uses:
  {uid, recurrence_id, summary, start_utc, end_utc, allday, sequence,
   status, location}
Problems go to stderr as "FILE: problem"; any problem makes the exit
status 1.
"""

import datetime
import json
import sys

try:
    import vobject
    from vobject.icalendar import getTzid
except ImportError as e:
    sys.stderr.write('check_vobject.py: cannot import vobject (%s); run '
                     'tools/install-deps (Debian package python3-vobject)\n'
                     % e)
    sys.exit(3)

UTC = datetime.timezone.utc

# beside this script, and no __pycache__ in the source tree
sys.dont_write_bytecode = True
from rfc5545 import add_duration  # noqa: E402


def fmt(value):
    """An instant as YYYY-MM-DDTHH:MM:SSZ, a date as YYYY-MM-DD."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')
    return value.strftime('%Y-%m-%d')


def child(comp, name):
    """The value of @comp's property @name (its first), or None."""
    lst = comp.contents.get(name.lower())
    return lst[0].value if lst else None


def offsets(vtz):
    """The TZOFFSETFROM and TZOFFSETTO values of @vtz's observances, as
    written (a VTIMEZONE without observances has none, and is no UTC)."""
    out = set()
    for name in ('standard', 'daylight'):
        for obs in vtz.contents.get(name, []):
            for prop in ('tzoffsetfrom', 'tzoffsetto'):
                out.update(p.value.strip() for p in obs.contents.get(prop, []))
    return out or {'none'}


def tzids(ve):
    """The TZID parameter of each date property of @ve, as written."""
    out = {}
    for name in ('DTSTART', 'DTEND', 'RECURRENCE-ID'):
        lst = ve.contents.get(name.lower())
        if lst:
            out[name] = lst[0].params.get('TZID', [None])[0]
    return out


def main(argv):
    if len(argv) != 2:
        sys.stderr.write('usage: check_vobject.py FILE\n')
        return 2
    path = argv[1]
    problems = []

    try:
        with open(path, encoding='utf-8', newline='') as f:
            text = f.read()
        cal = vobject.readOne(text, transform=False)
        # TZID parameters as written: making the values native takes them
        # off.
        named = [tzids(ve) for ve in cal.contents.get('vevent', [])]
        utc_like = {child(tz, 'TZID')
                    for tz in cal.contents.get('vtimezone', [])
                    if offsets(tz) <= {'+0000', '-0000', '+000000'}}
        cal.transformChildrenToNative()
    except Exception as e:  # any parser failure is a test failure
        sys.stderr.write('%s: vobject cannot parse it: %s\n' % (path, e))
        return 1
    if cal.name != 'VCALENDAR':
        problems.append('top-level component is %s' % cal.name)

    # Every zone the file names must come from its own VTIMEZONE: vobject
    # would otherwise fall back to pytz, and the check would not read the
    # file's rules.
    declared = {child(tz, 'TZID')
                for tz in cal.contents.get('vtimezone', [])}
    # A zone whose offset is always 0 (Africa/Abidjan) vobject reads as UTC
    # itself, by design: it registers no zone equal to UTC (pickTzid in
    # vobject/icalendar.py). The instants are the same.
    for tzid in sorted(t for t in declared if t and t not in utc_like):
        zone = getTzid(tzid, False)
        if zone is None or type(zone).__module__.startswith('pytz'):
            problems.append('VTIMEZONE %s: vobject did not read it' % tzid)

    out = []
    for i, ve in enumerate(cal.contents.get('vevent', [])):
        uid = child(ve, 'UID')
        label = 'VEVENT "%s"' % uid if uid else 'VEVENT #%d' % (i + 1)
        start = child(ve, 'DTSTART')
        end = child(ve, 'DTEND')
        for name, tzid in sorted(named[i].items()):
            if tzid is not None and tzid not in declared:
                problems.append('%s: %s names %s, which has no VTIMEZONE'
                                % (label, name, tzid))
        if start is None:
            problems.append('%s: no DTSTART' % label)
            continue
        if isinstance(start, datetime.datetime) and start.tzinfo is None:
            problems.append('%s: DTSTART is floating' % label)
            continue
        duration = child(ve, 'DURATION')
        if end is None and duration is not None:
            end = add_duration(start, duration)
        if end is None:
            end = start if isinstance(start, datetime.datetime) else \
                start + datetime.timedelta(days=1)
        rid = child(ve, 'RECURRENCE-ID')
        sequence = child(ve, 'SEQUENCE')
        out.append({
            'uid': uid,
            'recurrence_id': fmt(rid) if rid is not None else None,
            'summary': child(ve, 'SUMMARY'),
            'start_utc': fmt(start),
            'end_utc': fmt(end),
            'allday': not isinstance(start, datetime.datetime),
            'sequence': int(sequence) if sequence is not None else None,
            'status': child(ve, 'STATUS'),
            'location': child(ve, 'LOCATION'),
        })

    for ev in out:
        print(json.dumps(ev, ensure_ascii=False, sort_keys=True))
    for p in problems:
        sys.stderr.write('%s: %s\n' % (path, p))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
