#!/usr/bin/python3
"""Parse an iCalendar file with python-icalendar and print its events.

usage: check_ics.py FILE [--single]

python-icalendar is the parser behind many Python calendar tools (khal,
vdirsyncer, Home Assistant…).  It resolves TZID names through pytz (the
system's tz database), while ical.js uses the file's VTIMEZONE rules, so
comparing the instants both print checks the VTIMEZONEs as well.

On stdout: one JSON object per VEVENT, with exactly the keys and formats of
check-ics.js:
  {uid, recurrence_id, summary, start_utc, end_utc, allday, sequence,
   status, location, categories}
Timed values are "YYYY-MM-DDTHH:MM:SSZ", all-day values "YYYY-MM-DD".
Problems go to stderr as "FILE: problem"; any problem makes the exit
status 1.
"""

import datetime
import json
import sys

try:
    import icalendar
except ImportError as e:
    sys.stderr.write('check_ics.py: cannot import icalendar (%s); run '
                     'tools/install-deps (Debian package python3-icalendar)\n'
                     % e)
    sys.exit(3)

UTC = datetime.timezone.utc

# beside this script, and no __pycache__ in the source tree
sys.dont_write_bytecode = True
from rfc5545 import add_duration  # noqa: E402


def usage():
    sys.stderr.write('usage: check_ics.py FILE [--single]\n')
    sys.exit(2)


class Checker:
    def __init__(self, path, single):
        self.path = path
        self.single = single
        self.problems = []

    def problem(self, msg):
        self.problems.append(msg)

    @staticmethod
    def fmt(value):
        """An instant as YYYY-MM-DDTHH:MM:SSZ, a date as YYYY-MM-DD."""
        if isinstance(value, datetime.datetime):
            return value.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')
        return value.strftime('%Y-%m-%d')

    def time_value(self, label, comp, name):
        prop = comp.get(name)
        if prop is None:
            return None
        if isinstance(prop, list):
            self.problem('%s: %s appears %d times' % (label, name, len(prop)))
            prop = prop[0]
        value = getattr(prop, 'dt', None)
        if not isinstance(value, (datetime.date, datetime.datetime)):
            self.problem('%s: %s is not a date or date-time' % (label, name))
            return None
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            self.problem('%s: %s is a floating date-time (TZID unknown '
                         'to pytz and to the file, or no TZID)'
                         % (label, name))
            return None
        return value

    @staticmethod
    def text(comp, name):
        value = comp.get(name)
        if value is None:
            return None
        if isinstance(value, list):
            value = value[0]
        return str(value)

    def event(self, index, ve):
        uid = self.text(ve, 'UID')
        label = 'VEVENT "%s"' % uid if uid else 'VEVENT #%d' % index
        if not uid:
            self.problem('%s: no UID' % label)
        for name, err in getattr(ve, 'errors', []):
            self.problem('%s: cannot parse %s: %s' % (label, name, err))

        if ve.get('DTSTART') is None:
            self.problem('%s: no DTSTART' % label)
        start = self.time_value(label, ve, 'DTSTART')
        end = self.time_value(label, ve, 'DTEND')
        duration = ve.get('DURATION')
        if ve.get('DTEND') is not None and duration is not None:
            self.problem('%s: has both DTEND and DURATION' % label)

        if start is not None and end is None:
            if duration is not None:
                end = add_duration(start, duration.dt)
            elif isinstance(start, datetime.datetime):
                end = start
            else:
                end = start + datetime.timedelta(days=1)

        allday = start is not None and \
            not isinstance(start, datetime.datetime)
        if start is not None and end is not None:
            if isinstance(end, datetime.datetime) != \
                    isinstance(start, datetime.datetime):
                self.problem('%s: DTEND and DTSTART differ in value type'
                             % label)
            elif end < start:
                self.problem('%s: ends before it starts' % label)

        rid = self.time_value(label, ve, 'RECURRENCE-ID')

        sequence = ve.get('SEQUENCE')
        if sequence is not None:
            try:
                sequence = int(sequence)
            except (TypeError, ValueError):
                self.problem('%s: SEQUENCE is not an integer' % label)
                sequence = None

        categories = []
        cats = ve.get('CATEGORIES')
        if cats is not None:
            if not isinstance(cats, list):
                cats = [cats]
            for c in cats:
                if hasattr(c, 'cats'):
                    categories.extend(str(x) for x in c.cats)
                else:
                    categories.extend(str(c).split(','))

        return {
            'uid': uid,
            'recurrence_id': self.fmt(rid) if rid is not None else None,
            'summary': self.text(ve, 'SUMMARY'),
            'start_utc': self.fmt(start) if start is not None else None,
            'end_utc': self.fmt(end) if end is not None else None,
            'allday': allday,
            'sequence': sequence,
            'status': self.text(ve, 'STATUS'),
            'location': self.text(ve, 'LOCATION'),
            'categories': categories,
        }

    def run(self):
        try:
            with open(self.path, 'rb') as f:
                data = f.read()
        except OSError as e:
            self.problem('cannot read: %s' % e)
            return []
        try:
            cal = icalendar.Calendar.from_ical(data)
        except Exception as e:  # any parser failure is a test failure
            self.problem('python-icalendar cannot parse it: %s' % e)
            return []
        if cal.name != 'VCALENDAR':
            self.problem('top-level component is %s' % cal.name)
        for comp in cal.walk():
            for name, err in getattr(comp, 'errors', []):
                if comp.name != 'VEVENT':
                    self.problem('%s: cannot parse %s: %s'
                                 % (comp.name, name, err))
        if str(cal.get('VERSION', '')) != '2.0':
            self.problem('VERSION is not 2.0')
        if not cal.get('PRODID'):
            self.problem('no PRODID')
        if self.single and cal.get('X-WR-CALNAME') is not None:
            self.problem('single-event file has X-WR-CALNAME')
        if not self.single and cal.get('X-WR-CALNAME') is None:
            self.problem('subscription calendar has no X-WR-CALNAME')

        events = [self.event(i + 1, ve)
                  for i, ve in enumerate(cal.walk('VEVENT'))]
        seen = set()
        for ev in events:
            key = (ev['uid'], ev['recurrence_id'])
            if ev['uid'] and key in seen:
                self.problem('VEVENT "%s": UID is not unique' % ev['uid'])
            seen.add(key)
        if self.single and len({ev['uid'] for ev in events}) != 1:
            self.problem('single-event file must hold exactly one event '
                         '(found %d)' % len(events))
        return events


def main(argv):
    path = None
    single = False
    for a in argv[1:]:
        if a == '--single':
            single = True
        elif a.startswith('-') or path is not None:
            usage()
        else:
            path = a
    if path is None:
        usage()
    checker = Checker(path, single)
    events = checker.run()
    for ev in events:
        sys.stdout.write(json.dumps(ev, ensure_ascii=False,
                                    separators=(',', ':')) + '\n')
    for p in checker.problems:
        sys.stderr.write('%s: %s\n' % (path, p))
    return 1 if checker.problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
