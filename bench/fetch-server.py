#!/usr/bin/env python3
"""Partner sources for bench/fetch: N feeds of about 1 MB each, one host each.

usage: fetch-server.py [--sources N] [--size BYTES] [--seed S]
                       [--today YYYY-MM-DD] [--no-gzip] [--dump DIR]
                       [--lifetime SECS]

Source i (1 <= i <= N, N <= 200) is served by its own HTTP server on
127.0.0.(i + 1), on a port the kernel picks, at /sNN.rss or /sNN.ics: odd
sources are RSS 2.0 feeds, even ones iCalendar files, so that every subset
of the first n sources is half and half. Every source has its own address
because evfeed opens at most one connection per host at a time: sources on
one address would be fetched one after the other.

The bodies are made before the servers start and served from memory, with
Content-Length, ETag and Last-Modified (a matching If-None-Match gets a
304), and gzip-compressed (made once) when the request accepts gzip,
unless --no-gzip. Each body is at most --size bytes (default 1 MiB) and
has at most 500 items, occurrences of recurring events included, since
evfeed keeps at most 500 items of a source:

- RSS: the mod_event namespace (ev:startdate and ev:enddate as dates or
  RFC 3339 times with offsets, ev:location, ev:organizer, ev:type), a long
  HTML description (escaped text in some feeds, CDATA in others) with
  markup that the sanitiser must remove (script, iframe, style and event
  handler attributes, images), pubDate in RFC 822 with some of its common
  sloppy variants, categories, a few relative links and a few items
  without event dates (listings).
- iCalendar: Outlook-like files (Windows zone names, X-ALT-DESC HTML,
  VALARM) and Google-like ones (IANA TZIDs, X-WR-TIMEZONE), each with its
  VTIMEZONEs; timed, all-day and UTC events, long folded DESCRIPTIONs,
  CATEGORIES, URL, some RRULEs (COUNT or UNTIL), some EXDATEs and a few
  UIDs listed twice with a higher SEQUENCE.

About one item in twenty is an event from a shared pool (same title, start
date and URL in every source that lists it), so the merge finds duplicates
across sources. Event dates lie from two months before --today (default:
the current UTC date) to eighteen months after it, so that recurring
events fall inside evfeed's expansion window. The same arguments give the
same bodies.

On stdout, one line per source, "SOURCE NAME FORMAT URL BYTES ITEMS", then
"CONTROL URL" (a server on 127.0.0.1 whose /stats answers, as JSON, the
requests, 200s, 304s and body bytes sent since the last /reset, the most
responses in progress at once and the most source connections open at
once) and "READY". The servers stop when the
parent process exits, on SIGTERM, or after --lifetime seconds.
"""

import argparse
import datetime
import gzip
import hashlib
import http.server
import json
import os
import random
import signal
import sys
import threading
import time
from email.utils import format_datetime

CRLF = '\r\n'
MAX_ITEMS = 500

COUNTRIES = [
    ('Vienna', 'Austria'), ('Zagreb', 'Croatia'), ('Belgrade', 'Serbia'),
    ('Sarajevo', 'Bosnia and Herzegovina'), ('Skopje', 'North Macedonia'),
    ('Tirana', 'Albania'), ('Podgorica', 'Montenegro'),
    ('Ljubljana', 'Slovenia'), ('Pristina', 'Kosovo'), ('Sofia', 'Bulgaria'),
    ('Bucharest', 'Romania'), ('Chisinau', 'Moldova'), ('Geneva',
                                                        'Switzerland'),
    ('Brussels', 'Belgium'), ('Ohrid', 'North Macedonia'),
    ('Budva', 'Montenegro'), ('Split', 'Croatia'), ('Athens', 'Greece'),
]

KINDS = [
    'Regional Workshop', 'International Conference', 'Expert Group Meeting',
    'Training Course', 'Seminar', 'Round Table', 'Summer School',
    'Ministerial Meeting', 'Annual Forum', 'Consultation', 'Webinar',
    'Study Visit', 'Technical Working Group', 'Launch Event',
    'Peer Review Mission', 'Table-Top Exercise',
]

TOPICS = [
    'Countering Violent Extremism', 'Illicit Financial Flows',
    'Trafficking in Persons', 'Firearms Trafficking', 'Cybercrime',
    'Border Management', 'Judicial Cooperation in Criminal Matters',
    'Anti-Money Laundering', 'Cultural Property Protection',
    'Police Reform', 'Asset Recovery', 'Witness Protection',
    'Drug Policy', 'Gender and Security', 'Maritime Security',
    'Integrity in Public Procurement', 'Juvenile Justice',
    'Prison Management', 'Open Source Intelligence', 'Crypto-Assets',
    'Small Arms and Light Weapons', 'Disaster Risk Reduction',
]

CATEGORIES = [
    'security', 'criminal justice', 'rule of law', 'border security',
    'cybercrime', 'organised crime', 'corruption', 'migration',
    'counter-terrorism', 'arms control', 'training', 'conference',
    'workshop', 'policy', 'human rights', 'gender',
]

WORDS = (
    'the regional meeting brings together prosecutors judges police '
    'officers customs officials and representatives of civil society from '
    'South East Europe to exchange practice on joint investigations '
    'financial analysis mutual legal assistance and the protection of '
    'victims participants will review the implementation of the regional '
    'roadmap discuss recent cases and agree on priorities for the coming '
    'year the agenda includes working sessions on data protection '
    'electronic evidence and cooperation with the private sector '
    'interpretation will be provided registration closes two weeks before '
    'the event and travel support is available for a limited number of '
    'participants from beneficiary institutions'
).split()

ORGANIZERS = [
    'OSCE Mission to Serbia', 'UNODC Regional Programme for South Eastern '
    'Europe', 'DCAF Geneva Centre for Security Sector Governance',
    'Ministry of Justice', 'Ministry of the Interior', 'Faculty of Law',
    'Regional Cooperation Council', 'SELEC', 'RACVIAC', 'EU Delegation',
]

# (Windows name, IANA name, standard offset, daylight offset)
ZONES = [
    ('W. Europe Standard Time', 'Europe/Vienna', '+0100', '+0200'),
    ('Central Europe Standard Time', 'Europe/Belgrade', '+0100', '+0200'),
    ('Central European Standard Time', 'Europe/Sarajevo', '+0100', '+0200'),
    ('GTB Standard Time', 'Europe/Sofia', '+0200', '+0300'),
    ('Romance Standard Time', 'Europe/Brussels', '+0100', '+0200'),
]


# ------------------------------------------------------------ the pool


class Event:
    """One event, before it is written as an RSS item or a VEVENT."""

    def __init__(self, rnd, today, ident, host):
        kind = rnd.choice(KINDS)
        topic = rnd.choice(TOPICS)
        self.city, self.country = rnd.choice(COUNTRIES)
        self.title = '%s on %s' % (kind, topic)
        if rnd.random() < 0.4:
            self.title += ' in %s' % self.city
        if rnd.random() < 0.15:
            self.title += ': "%s" & Beyond' % rnd.choice(TOPICS)
        self.ident = ident
        self.slug = '%s-%s' % ('-'.join(self.title.lower().replace(
            '"', '').replace(':', '').replace('&', 'and').split())[:60],
            ident)
        self.url = 'https://%s/events/%s' % (host, self.slug)
        day = today + datetime.timedelta(days=rnd.randint(-60, 540))
        r = rnd.random()
        if r < 0.35:
            self.all_day = True
            self.start = day
            self.end = day + datetime.timedelta(days=rnd.randint(0, 3))
        else:
            self.all_day = False
            self.start = datetime.datetime(day.year, day.month, day.day,
                                           rnd.choice([8, 9, 9, 10, 13, 14]),
                                           rnd.choice([0, 0, 30]))
            self.end = self.start + datetime.timedelta(
                minutes=rnd.choice([90, 120, 240, 390, 480]))
        self.zone = rnd.choice(ZONES)
        # announced a week to four months before, and never after today
        self.published = datetime.datetime.combine(
            min(day - datetime.timedelta(days=rnd.randint(7, 120)),
                today - datetime.timedelta(days=rnd.randint(0, 30))),
            datetime.time(rnd.randint(6, 18), rnd.randint(0, 59),
                          rnd.randint(0, 59)), datetime.timezone.utc)
        self.categories = rnd.sample(CATEGORIES, rnd.randint(1, 3))
        self.organizer = rnd.choice(ORGANIZERS)
        self.paragraphs = []

    def text(self, rnd, size):
        """Paragraphs of plain text, about @size bytes in all."""
        out, n = [], 0
        while n < size:
            words = [rnd.choice(WORDS) for _ in range(rnd.randint(25, 70))]
            p = ' '.join(words).capitalize() + '.'
            out.append(p)
            n += len(p)
        return out


def html_body(ev, rnd, size, hostile):
    """A partner's HTML description: paragraphs, lists, links, and (when
    @hostile) markup the sanitiser has to take out."""
    parts = []
    paras = ev.text(rnd, size)
    for i, p in enumerate(paras):
        words = p.split(' ')
        if len(words) > 8:
            k = rnd.randint(1, len(words) - 4)
            words[k] = '<strong>%s</strong>' % words[k]
            words[k + 2] = '<a href="/documents/%s-%d.pdf" title="agenda">' \
                '%s</a>' % (ev.slug[:20], i, words[k + 2])
        style = ' style="font-family:Calibri;color:#333"' if hostile else ''
        parts.append('<p%s>%s</p>' % (style, ' '.join(words)))
        if i == 0:
            parts.append('<ul><li>Venue: %s, %s</li><li>Organiser: %s'
                         '</li><li>Language: English &amp; local '
                         'languages</li></ul>' % (
                             ev.city, ev.country, ev.organizer))
    if hostile:
        parts.insert(1, '<script type="text/javascript">var _gaq = _gaq '
                     '|| []; _gaq.push(["_trackPageview"]);</script>')
        parts.append('<img src="https://cdn.example.net/banner.jpg" '
                     'onerror="alert(1)" width="600" height="200" alt="">')
        parts.append('<iframe src="https://video.example.net/embed/%s" '
                     'allowfullscreen></iframe>' % ev.ident)
        parts.append('<table border="1"><tr><td onclick="go()">Day 1</td>'
                     '<td>Day 2</td></tr></table>')
    return '\n'.join(parts)


def make_pool(seed, today, n=400):
    rnd = random.Random('pool-%d' % seed)
    return [Event(rnd, today, 'p%04d' % i, 'www.events-pool.example.org')
            for i in range(n)]


# ------------------------------------------------------------------ RSS


def xml_escape(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def rfc822(dt, rnd):
    """pubDate: mostly RFC 822, sometimes one of its sloppy variants."""
    r = rnd.random()
    if r < 0.75:
        return format_datetime(dt.astimezone(datetime.timezone(
            datetime.timedelta(hours=2))))
    if r < 0.85:
        return dt.strftime('%a, %d %b %Y %H:%M:%S GMT')
    if r < 0.93:
        return dt.strftime('%d %b %Y %H:%M +0000')  # no weekday, no seconds
    return dt.strftime('%a, %-d %b %Y %H:%M:%S UT')


def ev_time(ev, which):
    value = ev.start if which == 'start' else ev.end
    if ev.all_day:
        return value.strftime('%Y-%m-%d')
    std = ev.zone[2]
    dst = ev.zone[3]
    off = dst if 4 <= value.month <= 9 else std
    return value.strftime('%Y-%m-%dT%H:%M:%S') + off[:3] + ':' + off[3:]


def rss_item(ev, rnd, size, cdata, listing):
    desc = html_body(ev, rnd, size, hostile=rnd.random() < 0.5)
    if cdata:
        desc = '<![CDATA[%s]]>' % desc
    else:
        desc = xml_escape(desc)
    link = ev.url
    if ev.ident[0] != 'p' and rnd.random() < 0.1:
        link = '/events/' + ev.slug  # relative: resolved against the feed
    lines = [
        '    <item>',
        '      <title>%s</title>' % xml_escape(ev.title),
        '      <link>%s</link>' % xml_escape(link),
        '      <guid isPermaLink="false">%s</guid>' % ev.ident,
        '      <pubDate>%s</pubDate>' % rfc822(ev.published, rnd),
    ]
    lines += ['      <category>%s</category>' % c for c in ev.categories]
    lines.append('      <description>%s</description>' % desc)
    if not listing:
        lines.append('      <ev:startdate>%s</ev:startdate>' %
                     ev_time(ev, 'start'))
        if rnd.random() < 0.85:
            lines.append('      <ev:enddate>%s</ev:enddate>' %
                         ev_time(ev, 'end'))
        lines.append('      <ev:location>%s, %s</ev:location>' % (
            xml_escape(ev.city), xml_escape(ev.country)))
        lines.append('      <ev:organizer>%s</ev:organizer>' %
                     xml_escape(ev.organizer))
        lines.append('      <ev:type>%s</ev:type>' % ev.categories[0])
    lines.append('    </item>')
    return '\n'.join(lines) + '\n'


def make_rss(i, rnd, today, pool, size):
    host = 'www.partner-%02d.example.org' % i
    cdata = i % 4 == 1
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/'
        'event/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        '  <channel>\n'
        '    <title>Partner %02d: events</title>\n'
        '    <link>https://%s/events</link>\n'
        '    <description>Workshops, conferences and meetings announced by '
        'partner %02d.</description>\n'
        '    <language>en</language>\n'
        '    <lastBuildDate>%s</lastBuildDate>\n'
        '    <generator>Drupal 9 (https://www.drupal.org)</generator>\n'
        % (i, host, i, format_datetime(datetime.datetime.combine(
            today, datetime.time(6), datetime.timezone.utc))))
    tail = '  </channel>\n</rss>\n'
    items, total, n = [], len(head) + len(tail), 0
    while n < MAX_ITEMS:
        if rnd.random() < 0.05:
            ev = rnd.choice(pool)
        else:
            ev = Event(rnd, today, 's%02d-%05d' % (i, n), host)
        item = rss_item(ev, rnd, rnd.randint(1200, 3000), cdata,
                        listing=rnd.random() < 0.08)
        b = len(item.encode('utf-8'))
        if total + b > size:
            break
        items.append(item)
        total += b
        n += 1
    return (head + ''.join(items) + tail).encode('utf-8'), n


# ------------------------------------------------------------ iCalendar


def ics_escape(text):
    return (text.replace('\\', '\\\\').replace(';', '\\;')
            .replace(',', '\\,').replace('\n', '\\n'))


def fold(line):
    """One content line folded at 75 octets, on character boundaries."""
    data = line.encode('utf-8')
    out = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        out.append(data[:cut])
        data = data[cut:]
        limit = 74
    out.append(data)
    return b'\r\n '.join(out).decode('utf-8') + CRLF


def vtimezone(tzid, std, dst):
    return [
        'BEGIN:VTIMEZONE',
        'TZID:' + tzid,
        'BEGIN:STANDARD',
        'DTSTART:16011028T030000',
        'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
        'TZOFFSETFROM:' + dst,
        'TZOFFSETTO:' + std,
        'END:STANDARD',
        'BEGIN:DAYLIGHT',
        'DTSTART:16010325T020000',
        'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
        'TZOFFSETFROM:' + std,
        'TZOFFSETTO:' + dst,
        'END:DAYLIGHT',
        'END:VTIMEZONE',
    ]


def utc_stamp(dt):
    return dt.astimezone(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')


def vevent(ev, rnd, size, outlook, seq=0):
    """(text, occurrences): one VEVENT and how many items it becomes."""
    tzid = ev.zone[0] if outlook else ev.zone[1]
    lines = ['BEGIN:VEVENT']
    if ev.all_day:
        lines.append('DTSTART;VALUE=DATE:' + ev.start.strftime('%Y%m%d'))
        lines.append('DTEND;VALUE=DATE:' + (
            ev.end + datetime.timedelta(days=1)).strftime('%Y%m%d'))
    elif rnd.random() < 0.15:
        # UTC, as some exporters write every time
        off = int(ev.zone[3 if 4 <= ev.start.month <= 9 else 2][:3])
        tz = datetime.timezone(datetime.timedelta(hours=off))
        lines.append('DTSTART:' + utc_stamp(ev.start.replace(tzinfo=tz)))
        lines.append('DTEND:' + utc_stamp(ev.end.replace(tzinfo=tz)))
    else:
        lines.append('DTSTART;TZID=%s:%s' % (
            tzid, ev.start.strftime('%Y%m%dT%H%M%S')))
        lines.append('DTEND;TZID=%s:%s' % (
            tzid, ev.end.strftime('%Y%m%dT%H%M%S')))
    occurrences = 1
    r = rnd.random()
    if ev.ident[0] != 'p' and r < 0.06:
        count = rnd.randint(3, 10)
        freq = rnd.choice(['WEEKLY', 'WEEKLY', 'MONTHLY', 'DAILY'])
        rule = 'RRULE:FREQ=%s;COUNT=%d' % (freq, count)
        if freq == 'WEEKLY' and rnd.random() < 0.5:
            rule += ';BYDAY=' + ['MO', 'TU', 'WE', 'TH', 'FR', 'SA',
                                 'SU'][ev.start.weekday()]
        lines.append(rule)
        occurrences = count
        if count > 4 and rnd.random() < 0.5:
            step = {'WEEKLY': 7, 'MONTHLY': 28, 'DAILY': 1}[freq]
            ex = ev.start + datetime.timedelta(days=step * 2)
            if freq != 'MONTHLY':
                if ev.all_day:
                    lines.append('EXDATE;VALUE=DATE:' +
                                 ex.strftime('%Y%m%d'))
                elif not lines[1].startswith('DTSTART:'):
                    lines.append('EXDATE;TZID=%s:%s' % (
                        tzid, ex.strftime('%Y%m%dT%H%M%S')))
                    occurrences -= 1
    elif ev.ident[0] != 'p' and r < 0.08:
        until = ev.start + datetime.timedelta(days=rnd.randint(60, 200))
        lines.append('RRULE:FREQ=MONTHLY;UNTIL=%s' % (
            until.strftime('%Y%m%d') if ev.all_day
            else until.strftime('%Y%m%dT235959Z')))
        occurrences = (until - ev.start).days // 28 + 1
    paras = ev.text(rnd, size)
    desc = '\n\n'.join(paras) + '\n\nMore: ' + ev.url
    lines += [
        'UID:%s@%s' % (ev.ident, 'partner.example.org' if ev.ident[0] == 's'
                       else 'pool.example.org'),
        'DTSTAMP:' + utc_stamp(ev.published),
        'CREATED:' + utc_stamp(ev.published),
        'LAST-MODIFIED:' + utc_stamp(ev.published + datetime.timedelta(
            days=seq + 1)),
        'SEQUENCE:%d' % seq,
        'SUMMARY' + (';LANGUAGE=en-us' if outlook else '') + ':' +
        ics_escape(ev.title),
        'LOCATION:' + ics_escape('%s, %s' % (ev.city, ev.country)),
        'CATEGORIES:' + ','.join(ics_escape(c) for c in ev.categories),
        'URL:' + ev.url,
        'ORGANIZER;CN="%s":mailto:events@partner.example.org' %
        ev.organizer.replace('"', ''),
        'DESCRIPTION:' + ics_escape(desc),
        'STATUS:' + ('TENTATIVE' if rnd.random() < 0.05 else 'CONFIRMED'),
        'TRANSP:OPAQUE',
    ]
    if outlook:
        html = ('<html><body>' + ''.join(
            '<p class=MsoNormal><span style=\'font-family:"Calibri"\'>%s'
            '</span></p>' % p for p in paras[:2]) + '</body></html>')
        lines += [
            'X-ALT-DESC;FMTTYPE=text/html:' + ics_escape(html),
            'X-MICROSOFT-CDO-BUSYSTATUS:BUSY',
            'X-MICROSOFT-CDO-IMPORTANCE:1',
            'BEGIN:VALARM',
            'TRIGGER:-PT15M',
            'ACTION:DISPLAY',
            'DESCRIPTION:Reminder',
            'END:VALARM',
        ]
    lines.append('END:VEVENT')
    return ''.join(fold(line) for line in lines), occurrences


def make_ics(i, rnd, today, pool, size):
    outlook = i % 4 == 2
    head = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'METHOD:PUBLISH']
    if outlook:
        head += ['PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
                 'X-WR-CALNAME:Partner %02d' % i]
    else:
        head += ['PRODID:-//Google Inc//Google Calendar 70.9054//EN',
                 'CALSCALE:GREGORIAN', 'X-WR-CALNAME:Partner %02d events' % i,
                 'X-WR-TIMEZONE:Europe/Vienna']
    for win, iana, std, dst in ZONES:
        head += vtimezone(win if outlook else iana, std, dst)
    head = ''.join(fold(line) for line in head)
    tail = 'END:VCALENDAR' + CRLF
    parts, total, n, uids = [], len(head) + len(tail), 0, []
    while True:
        if rnd.random() < 0.05:
            ev = rnd.choice(pool)
        else:
            ev = Event(rnd, today, 's%02d-%05d' % (i, len(parts)), 'www.'
                       'partner-%02d.example.org' % i)
        text, occ = vevent(ev, rnd, rnd.randint(1000, 2600) if outlook
                           else rnd.randint(1400, 3200), outlook)
        again = None
        if ev.ident[0] == 's' and rnd.random() < 0.01:
            # The same UID again, updated: the higher SEQUENCE wins.
            again, _ = vevent(ev, rnd, 800, outlook, seq=2)
        b = len(text.encode('utf-8')) + (len(again.encode('utf-8'))
                                         if again else 0)
        if n + occ > MAX_ITEMS or total + b > size:
            break
        if again is not None:
            parts.append(again)  # the newer copy first
        parts.append(text)
        total += b
        n += occ
    return (head + ''.join(parts) + tail).encode('utf-8'), n


# --------------------------------------------------------------- server


class Body:
    def __init__(self, name, fmt, data, items):
        self.name = name
        self.fmt = fmt
        self.data = data
        self.gz = None
        self.items = items
        self.etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
        self.ctype = ('application/rss+xml; charset=utf-8' if fmt == 'rss'
                      else 'text/calendar; charset=utf-8')


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.requests = self.ok = self.not_modified = self.bytes = 0
        self.active = self.max_active = 0
        self.max_conns = getattr(self, 'conns', 0)
        self.conns = getattr(self, 'conns', 0)

    def snapshot(self):
        with self.lock:
            return {'requests': self.requests, 'ok': self.ok,
                    'not_modified': self.not_modified, 'bytes': self.bytes,
                    'max_concurrent': self.max_active,
                    'max_connections': self.max_conns}


STATS = Stats()
MTIME = 'Mon, 02 Jan 2006 15:04:05 GMT'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'fixture'
    sys_version = ''

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        if self.server.body is not None:
            with STATS.lock:
                STATS.conns += 1
                STATS.max_conns = max(STATS.max_conns, STATS.conns)

    def finish(self):
        try:
            super().finish()
        finally:
            if self.server.body is not None:
                with STATS.lock:
                    STATS.conns -= 1

    def send(self, status, body, headers):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        body = self.server.body
        if body is None:
            return self.control()
        if self.path != '/' + body.name + '.' + body.fmt:
            return self.send(404, b'not found\n', [])
        with STATS.lock:
            STATS.requests += 1
            STATS.active += 1
            STATS.max_active = max(STATS.max_active, STATS.active)
        try:
            headers = [('ETag', body.etag), ('Last-Modified', MTIME),
                       ('Cache-Control', 'max-age=300')]
            if self.headers.get('If-None-Match') == body.etag:
                with STATS.lock:
                    STATS.not_modified += 1
                return self.send(304, b'', headers)
            data = body.data
            headers.append(('Content-Type', body.ctype))
            if body.gz is not None and 'gzip' in self.headers.get(
                    'Accept-Encoding', ''):
                data = body.gz
                headers += [('Content-Encoding', 'gzip'),
                            ('Vary', 'Accept-Encoding')]
            self.send(200, data, headers)
            with STATS.lock:
                STATS.ok += 1
                STATS.bytes += len(data)
        finally:
            with STATS.lock:
                STATS.active -= 1

    def control(self):
        if self.path == '/stats':
            data = json.dumps(STATS.snapshot()).encode() + b'\n'
        elif self.path == '/reset':
            with STATS.lock:
                STATS.reset()
            data = b'{}\n'
        else:
            return self.send(404, b'not found\n', [])
        self.send(200, data, [('Content-Type', 'application/json')])


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # a client that went away


def watchdog(deadline, parent):
    while True:
        time.sleep(0.5)
        if time.time() >= deadline or os.getppid() != parent:
            os._exit(0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sources', type=int, default=50)
    ap.add_argument('--size', type=int, default=1 << 20,
                    help='the largest body, in bytes (default 1 MiB)')
    ap.add_argument('--seed', type=int, default=20180925)
    ap.add_argument('--today', default=None,
                    help='YYYY-MM-DD (default: the current UTC date)')
    ap.add_argument('--no-gzip', action='store_true')
    ap.add_argument('--dump', default=None,
                    help='also write the bodies into this folder')
    ap.add_argument('--lifetime', type=float, default=7200.0)
    args = ap.parse_args()
    if not 1 <= args.sources <= 200:
        ap.error('--sources: 1 to 200')
    if args.today:
        today = datetime.date.fromisoformat(args.today)
    else:
        today = datetime.datetime.now(datetime.timezone.utc).date()

    parent = os.getppid()
    pool = make_pool(args.seed, today)
    bodies = []
    for i in range(1, args.sources + 1):
        rnd = random.Random('%d-%d' % (args.seed, i))
        name = 's%02d' % i
        if i % 2:
            data, items = make_rss(i, rnd, today, pool, args.size)
            bodies.append(Body(name, 'rss', data, items))
        else:
            data, items = make_ics(i, rnd, today, pool, args.size)
            bodies.append(Body(name, 'ics', data, items))
        if not args.no_gzip:
            bodies[-1].gz = gzip.compress(data, 6, mtime=0)
        if args.dump:
            os.makedirs(args.dump, exist_ok=True)
            with open(os.path.join(args.dump, name + '.' + bodies[-1].fmt),
                      'wb') as f:
                f.write(data)

    servers = []
    for i, body in enumerate(bodies, 1):
        srv = Server(('127.0.0.%d' % (i + 1), 0), Handler)
        srv.body = body
        servers.append(srv)
    control = Server(('127.0.0.1', 0), Handler)
    control.body = None
    servers.append(control)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, kwargs={
            'poll_interval': 0.5}, daemon=True).start()
    threading.Thread(target=watchdog, args=(
        time.time() + args.lifetime, parent), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))

    out = []
    for srv in servers[:-1]:
        b = srv.body
        host, port = srv.server_address[:2]
        out.append('SOURCE %s %s http://%s:%d/%s.%s %d %d\n' % (
            b.name, b.fmt, host, port, b.name, b.fmt, len(b.data), b.items))
    out.append('CONTROL http://127.0.0.1:%d\n' % control.server_address[1])
    out.append('READY\n')
    sys.stdout.write(''.join(out))
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
