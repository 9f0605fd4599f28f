#!/usr/bin/python3
"""partner-server.py: partner feeds that misbehave on request, for the tests
of partner syndication (tests/integration/partners.sh, hostile-fetch.sh),
and a WebSub hub that records the pings it gets
(tests/integration/websub.sh).

usage: partner-server.py [--lifetime SECONDS] [--verbose]
                         [--tls-cert FILE --tls-key FILE]

Listens on 127.0.0.1 on a free port and prints "PORT <n>" on stdout, after
the lines of the other listeners below. Stops by itself after --lifetime
seconds (default 300) or as soon as its parent process is gone, so that a
test that dies cannot leave it behind.

Other listeners, on 127.0.0.1 too, each on a free port printed as a line
"<NAME> <n>" before the PORT line (tests/integration/hostile-fetch.sh):
  STALL-PORT   a listener whose accept queue is full: a connection to it
               never completes (the kernel drops the SYN)
  MUTE-PORT    accepts connections and never sends a byte (a TLS handshake
               that stalls)
  SINK-PORT    counts the connections it gets and closes them at once: a
               proxy or a redirect target that must never be reached
  TLS-PORT     only with --tls-cert and --tls-key (PEM files): the feeds and
               the controls over HTTPS with that certificate

Feeds, each with an ETag and a Last-Modified, answering If-None-Match and
If-Modified-Since with 304:
  /osce.rss    OSCE-like RSS 2.0 with the mod_event module (ev:startdate),
               3 items; one is the cultural property workshop, dated here
  /unodc.ics   UNODC-like iCalendar as Outlook exports it (CRLF, Windows
               zone names with VTIMEZONEs, X-ALT-DESC, X-MICROSOFT-CDO-*),
               3 events; one is the Zagreb meeting of 28-29 June 2018
  /dcaf.atom   DCAF-like Atom with ev:startdate/ev:enddate, 2 entries

Control (GET or POST):
  /control/<feed>/<mode>           how <feed> answers from now on; <feed>
  /control?feed=<feed>&mode=<mode>   may be "all"
  /control/requests/<feed>         JSON: how many requests, the last one's
                                   headers and the status it got
  /control/secret-hits             how many times /secret was requested
  /control/secret-token            what /secret answers (to look for it)
  /control/sink-hits               how many connections SINK-PORT got
  /control/hub/<mode>              how /hub answers from now on: "normal"
                                   (204) or "500"
  /control/hub-posts               JSON: every request /hub got, in order,
                                   each {"method", "content_type", "body",
                                   "form" (the body parsed), "status",
                                   "time"}

WebSub hub:
  /hub            records the request and answers as /control/hub says

Modes:
  normal          the feed
  304             always 304 Not Modified
  500             500 Internal Server Error
  503-retry       503 with Retry-After: 120
  hang            accept the request, send nothing, until the client leaves
  drip            the headers, then the feed at 1 byte a second
  huge            50 MB without Content-Length, generated while sent
  gzip-bomb       Content-Encoding: gzip, about 100 KB that decode to 100 MB
  redirect-loop   302 to itself, with a counter, for ever
  wrong-type      200 text/html: a login page
  truncated       cut short, with a Content-Length for what is sent: the
                  calendar stops after its second event (no END:VCALENDAR),
                  a feed in its middle
  cut-connection  a Content-Length for the whole feed, half of it sent, then
                  the connection closed
  malformed       not well-formed XML (for the calendar: broken nesting)
  xxe-url         a feed with <!ENTITY x SYSTEM "http://127.0.0.1:<port>/secret">
  xxe-file        a feed with <!ENTITY x SYSTEM "file:///etc/hostname">
  billion-laughs  nine levels of nested entities
  bad-utf8        the feed plus one item with invalid UTF-8 and raw control
                  characters, declared UTF-8
  secondly        the calendar plus an event with RRULE:FREQ=SECONDLY and no
                  COUNT, from 1970 (the feeds answer as normal)
  deep            the feed plus 100,000 nested elements (the calendar: nested
                  components)
  empty           a valid feed or calendar with no items
  fewer           the same feed with only one of its items
  utf16le         the calendar plus an event "Zürich Café Forum – €", in
                  UTF-16LE without a byte order mark, with
                  charset=utf-16le in its Content-Type
  latin1          the feed plus an item titled "Zürich Café Forum – €", in
                  windows-1252 with no encoding in its XML declaration, served
                  with "; charset=ISO-8859-1" (which browsers and feed
                  readers read as windows-1252); the calendar plus such an
                  event, served so too
  relative        the feed plus an item whose link and description link
                  are relative references (the calendar: as normal)
  empty-body      200 with the feed's Content-Type and no body at all
  new-etag        the normal feed with a new ETag on every answer, and a 200
                  even to If-None-Match
  big-length      200 with Content-Length: 1 GiB, then not a byte of body
                  until the client leaves
  trailers        200, chunked: one chunk, the last chunk, then trailer
                  lines without end until the client leaves
  404             404 Not Found
  410             410 Gone
  429-retry-day   429 with Retry-After: 86400
  503-retry-date  503 with Retry-After: an HTTP date three days ahead
  503-retry-month 503 with Retry-After: 2592000 (30 days)
  503-cached      503 whose error page may be cached a week
                  (Cache-Control: max-age=604800), without Retry-After
  gzip-gzip       the feed gzipped twice, Content-Encoding: gzip, gzip
  gzip-gzip-bomb  the gzip bomb gzipped once more, Content-Encoding: gzip,
                  gzip
  gzip-x6         the feed gzipped six times, one more than libcurl decodes
  redirect-file   302 to file:///etc/passwd
  redirect-ftp    302 to ftp://127.0.0.1:<SINK-PORT>/feed; likewise
  redirect-gopher gopher:// and dict:// (the sink counts a connection if the
  redirect-dict   redirect is followed)
  late            the normal answer, after 3 seconds of silence
  moved-relative  301 to a relative reference, "<path>?moved", which answers
                  as normal
  moved-file      301 to file:///etc/passwd, which is not fetched
  relative-elsewhere
                  302 to "/sub<path>?moved", which answers as relative:
                  its relative links are relative to /sub/
  scrolled        the feed (OSCE) as a news feed shows it after one more
                  post: a newer item on top, and the item published first
                  (the Skopje conference) pushed out of its window
  removed         the same newer item on top, and the item published last
                  (the Tirana meeting) taken out from among the others
  nodate          the feed (OSCE) without pubDate, its items the newest
                  first (RSS makes pubDate optional)
  nodate-scrolled the same after one more post: a newer item on top, and
                  the last (the Skopje conference) pushed out
  nodate-removed  the same newer item on top, and the Tirana meeting
                  taken out from among the others
  undated         the same items without their ev: elements (a template
                  that lost them); OSCE and DCAF (scrolled and removed:
                  OSCE; the calendar answers these as normal)
  moved-page      301 to "<path>?page", which answers as wrong-type (an
                  old feed's address moved to a relaunched site's page)
  floating        the calendar plus an event at a floating time (no TZID)
                  and one in an unknown time zone without a VTIMEZONE
                  (the feeds answer as normal)

Standard library only.
"""

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import re
import secrets
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import zlib

MODES = (
    'normal', '304', '500', '503-retry', 'hang', 'drip', 'huge', 'gzip-bomb',
    'redirect-loop', 'wrong-type', 'truncated', 'cut-connection', 'malformed',
    'xxe-url', 'xxe-file', 'billion-laughs', 'bad-utf8', 'secondly', 'deep',
    'empty', 'fewer', 'empty-body', 'new-etag', 'big-length', '404', '410',
    '429-retry-day', '503-retry-date', '503-retry-month', '503-cached',
    'gzip-gzip',
    'gzip-gzip-bomb', 'gzip-x6', 'redirect-file', 'redirect-ftp',
    'redirect-gopher', 'redirect-dict', 'late', 'moved-relative',
    'moved-file', 'floating',
    'relative-elsewhere',
    'latin1', 'utf16le', 'relative', 'scrolled', 'removed', 'undated',
    'moved-page', 'trailers', 'nodate', 'nodate-scrolled', 'nodate-removed',
)

# The item that a news feed's next post puts on top (scrolled, removed).
NEWER_ITEM = '''    <item>
      <title>Regional Seminar on Countering Terrorist Financing</title>
      <link>https://www.osce.org/event/ctf-seminar-2018</link>
      <guid isPermaLink="false">osce-event-2018-401236</guid>
      <pubDate>Thu, 04 Oct 2018 11:00:00 +0200</pubDate>
      <ev:startdate>2018-12-20</ev:startdate>
      <ev:location>Belgrade, Serbia</ev:location>
    </item>
'''

# The Last-Modified of each feed's normal answer; the other bodies carry
# the time the server started, so that a validator of one body never
# matches another.
NORMAL_MTIME = email.utils.parsedate_to_datetime(
    'Mon, 01 Oct 2018 08:00:00 GMT').timestamp()
START_TIME = float(int(time.time()))

# The events that a mode adds to the calendar.
EXTRA_EVENTS = {
    'secondly': [
        'BEGIN:VEVENT',
        'UID:every-second-since-1970@unodc.example',
        'DTSTAMP:20181001T080000Z',
        'DTSTART:19700101T000000Z',
        'DTEND:19700101T000001Z',
        'RRULE:FREQ=SECONDLY',
        'SUMMARY:SECONDLY every second since 1970',
        'END:VEVENT',
    ],
    'floating': [
        'BEGIN:VEVENT',
        'UID:floating@unodc.example',
        'DTSTAMP:20181001T080000Z',
        'DTSTART:20181120T090000',
        'DTEND:20181120T100000',
        'SUMMARY:FLOATING no time zone',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:unknown-zone@unodc.example',
        'DTSTAMP:20181001T080000Z',
        'DTSTART;TZID=Mars/Olympus_Mons:20181121T090000',
        'DTEND;TZID=Mars/Olympus_Mons:20181121T100000',
        'SUMMARY:UNKNOWN-ZONE on Mars',
        'END:VEVENT',
    ],
}

HUGE_BYTES = 50 * 1000 * 1000
BOMB_BYTES = 100 * 1000 * 1000
DEEP_LEVELS = 100000


# ------------------------------------------------------------------ OSCE

RSS_HEAD = '''<?xml version="1.0" encoding="UTF-8"?>
%(doctype)s<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/" \
xmlns:dc="http://purl.org/dc/elements/1.1/" \
xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>OSCE: Events</title>
    <link>https://www.osce.org/events</link>
    <description>Upcoming events of the Organization for Security and \
Co-operation in Europe</description>
    <language>en</language>
    <lastBuildDate>Mon, 01 Oct 2018 08:00:00 +0000</lastBuildDate>
    <atom:link href="%(self)s" rel="self" type="application/rss+xml"/>
'''
RSS_TAIL = '''  </channel>
</rss>
'''

OSCE_ITEMS = [
    '''    <item>
      <title>Regional Workshop on Combating Illicit Cross-border Trafficking \
in Cultural Property in South East Europe</title>
      <link>https://www.osce.org/event/cultural-property-see-2018</link>
      <guid isPermaLink="false">osce-event-2018-401233</guid>
      <pubDate>Tue, 02 Oct 2018 09:15:00 +0200</pubDate>
      <dc:creator>OSCE Transnational Threats Department</dc:creator>
      <category>Transnational threats</category>
      <description>&lt;p&gt;The Workshop aims to raise awareness regarding \
illicit trafficking in cultural property and its impact on security and \
stability in the South Eastern Europe region.&lt;/p&gt;&lt;p&gt;For more \
information please visit the &lt;a href="/event/cultural-property-see-2018"\
&gt;OSCE website&lt;/a&gt;.&lt;/p&gt;</description>
      <ev:startdate>2018-11-20</ev:startdate>
      <ev:enddate>2018-11-21</ev:enddate>
      <ev:location>Sarajevo, Bosnia and Herzegovina</ev:location>
      <ev:organizer>OSCE</ev:organizer>
      <ev:type>workshop</ev:type>
    </item>
''',
    '''    <item>
      <title>OSCE Sub-regional Conference on Cyber/ICT Security in \
South-Eastern Europe</title>
      <link>https://www.osce.org/event/cyber-ict-security-see-2018</link>
      <guid isPermaLink="false">osce-event-2018-401234</guid>
      <pubDate>Mon, 17 Sep 2018 14:00:00 +0200</pubDate>
      <category>Cyber/ICT security</category>
      <description>&lt;p&gt;Experts from the region discuss confidence-\
building measures to reduce the risks of conflict stemming from the use of \
ICTs.&lt;/p&gt;&lt;script&gt;alert("osce")&lt;/script&gt;&lt;p&gt;&lt;a \
href="javascript:alert(1)" onclick="alert(2)"&gt;Register&lt;/a&gt;&lt;/p&gt;\
</description>
      <ev:startdate>2018-10-15T09:00:00+02:00</ev:startdate>
      <ev:enddate>2018-10-16T17:00:00+02:00</ev:enddate>
      <ev:location>Skopje</ev:location>
      <ev:organizer>OSCE Mission to Skopje</ev:organizer>
    </item>
''',
    '''    <item>
      <title>Border Security and Management Focal Points Network Meeting \
for South-Eastern Europe</title>
      <link>https://www.osce.org/event/bsm-focal-points-2018</link>
      <guid isPermaLink="false">osce-event-2018-401235</guid>
      <pubDate>Wed, 03 Oct 2018 10:30:00 +0200</pubDate>
      <category>Border management</category>
      <description>&lt;p&gt;The annual meeting of the national focal points \
for border security and management.&lt;/p&gt;</description>
      <ev:startdate>2018-12-11</ev:startdate>
      <ev:enddate>2018-12-12</ev:enddate>
      <ev:location>Tirana, Albania</ev:location>
      <ev:organizer>OSCE Presence in Albania</ev:organizer>
    </item>
''',
]

# ------------------------------------------------------------------ DCAF

ATOM_HEAD = '''<?xml version="1.0" encoding="utf-8"?>
%(doctype)s<feed xmlns="http://www.w3.org/2005/Atom" \
xmlns:ev="http://purl.org/rss/1.0/modules/event/" xml:lang="en" \
xml:base="https://www.dcaf.ch/">
  <title>DCAF - Geneva Centre for Security Sector Governance: Events</title>
  <id>tag:dcaf.ch,2018:events</id>
  <updated>2018-10-01T08:00:00Z</updated>
  <link rel="self" href="%(self)s"/>
  <link rel="alternate" type="text/html" href="/events"/>
  <author><name>DCAF</name></author>
'''
ATOM_TAIL = '''</feed>
'''

DCAF_ENTRIES = [
    '''  <entry>
    <title>Parliamentary Oversight of the Security Sector in the Western \
Balkans</title>
    <id>tag:dcaf.ch,2018:event-5521</id>
    <link rel="alternate" type="text/html" \
href="events/parliamentary-oversight-western-balkans-2018"/>
    <published>2018-09-03T10:00:00+02:00</published>
    <updated>2018-09-20T16:45:00+02:00</updated>
    <category term="parliamentary oversight"/>
    <summary type="html">&lt;p&gt;A regional seminar for members and \
staff of parliamentary committees on defence and security.&lt;/p&gt;\
</summary>
    <ev:startdate>2018-10-22T09:00:00+02:00</ev:startdate>
    <ev:enddate>2018-10-23T13:00:00+02:00</ev:enddate>
    <ev:location>Budva, Montenegro</ev:location>
    <ev:organizer>DCAF Ljubljana</ev:organizer>
  </entry>
''',
    '''  <entry>
    <title>Regional Conference on Police Integrity in South East Europe\
</title>
    <id>tag:dcaf.ch,2018:event-5540</id>
    <link rel="alternate" type="text/html" \
href="events/police-integrity-see-2018"/>
    <published>2018-09-28T12:00:00+02:00</published>
    <updated>2018-09-28T12:00:00+02:00</updated>
    <category term="police"/>
    <content type="html">&lt;p&gt;Heads of internal control units of the \
police services of South East Europe meet to compare integrity plans.\
&lt;/p&gt;</content>
    <ev:startdate>2018-12-04</ev:startdate>
    <ev:enddate>2018-12-05</ev:enddate>
    <ev:location>Ohrid, North Macedonia</ev:location>
    <ev:organizer>DCAF</ev:organizer>
  </entry>
''',
]

# ----------------------------------------------------------------- UNODC

CRLF = '\r\n'

VTIMEZONES = [
    ('Central Europe Standard Time', '+0100', '+0200'),
    ('W. Europe Standard Time', '+0100', '+0200'),
]


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
        limit = 74  # the leading space of a continuation counts
    out.append(data)
    return b'\r\n '.join(out).decode('utf-8') + CRLF


def outlook_html(text):
    paras = ''.join('<P DIR=LTR><SPAN LANG="en-us"><FONT FACE="Calibri">%s'
                    '</FONT></SPAN></P>\n\n' % p for p in text.split('\n'))
    return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2//EN">\n<HTML>\n'
            '<HEAD>\n<META NAME="Generator" CONTENT="MS Exchange Server '
            'version rmj.rmm.rup.rpr">\n<TITLE></TITLE>\n</HEAD>\n<BODY>\n'
            '<!-- Converted from text/rtf format -->\n\n' + paras +
            '</BODY>\n</HTML>')


UNODC_EVENTS = [
    {
        'uid': '040000008200E00074C5B7101A82E0080000000030F1E5A0B40ED4010'
               '00000000000000010000000E2C9C1B4E1C7F04B9C0B5A2E4F1D8C11',
        'summary': 'Inter-Regional Meeting between South-Eastern Europe and '
                   'West and Central Asia on Building Partnerships in '
                   'Countering Illicit Financial Flows',
        'start': 'DTSTART;VALUE=DATE:20180628',
        'end': 'DTEND;VALUE=DATE:20180630',
        'location': 'Zagreb, Croatia',
        'created': '20180412T083012Z',
        'modified': '20180601T101500Z',
        'busy': 'FREE',
        'description': 'Between the 28-29 June, UNODC is organizing an '
                       'Inter-Regional Meeting between South-Eastern Europe '
                       'and West and Central Asia on Building Partnerships in '
                       'Countering Illicit Financial Flows, in Zagreb, '
                       'Croatia.\nThe event will allow officials of these '
                       'regions to meet as a group for the first time.',
    },
    {
        'uid': '040000008200E00074C5B7101A82E00800000000B0A3C1D2E455D4010'
               '0000000000000001000000047A3D9E0C0B1A94D8F2E6C7B5A4D3E21',
        'summary': 'Regional Meeting on Countering Trafficking in Persons '
                   'along the Balkan Route',
        'start': 'DTSTART;TZID=Central Europe Standard Time:20181009T090000',
        'end': 'DTEND;TZID=Central Europe Standard Time:20181009T173000',
        'location': 'Belgrade, Serbia',
        'created': '20180801T120000Z',
        'modified': '20180915T091000Z',
        'busy': 'BUSY',
        'description': 'Prosecutors and police officers from the countries '
                       'along the Balkan route exchange practice on joint '
                       'investigations; agenda and registration: '
                       'https://www.unodc.org/southeasterneurope/',
    },
    {
        'uid': '040000008200E00074C5B7101A82E00800000000C0D4E5F6A7B8D4010'
               '0000000000000001000000099B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4',
        'summary': 'Expert Group Meeting on Firearms Trafficking in '
                   'South-Eastern Europe',
        'start': 'DTSTART;TZID=W. Europe Standard Time:20181106T100000',
        'end': 'DTEND;TZID=W. Europe Standard Time:20181106T160000',
        'location': 'Vienna International Centre, Vienna, Austria',
        'created': '20180903T074500Z',
        'modified': '20181001T080000Z',
        'busy': 'BUSY',
        'description': 'National firearms focal points review the '
                       'implementation of the regional roadmap.',
    },
]


def vevent(ev, extra=()):
    lines = [
        'BEGIN:VEVENT',
        'CLASS:PUBLIC',
        'CREATED:' + ev['created'],
        'DESCRIPTION:' + ics_escape(ev['description']) + '\\n',
        ev['end'],
        'DTSTAMP:20181001T080000Z',
        ev['start'],
        'LAST-MODIFIED:' + ev['modified'],
        'LOCATION:' + ics_escape(ev['location']),
        'PRIORITY:5',
        'SEQUENCE:0',
        'SUMMARY;LANGUAGE=en-us:' + ics_escape(ev['summary']),
        'TRANSP:' + ('TRANSPARENT' if ev['busy'] == 'FREE' else 'OPAQUE'),
        'UID:' + ev['uid'],
    ]
    lines.extend(extra)
    lines += [
        'X-ALT-DESC;FMTTYPE=text/html:' +
        ics_escape(outlook_html(ev['description'])),
        'X-MICROSOFT-CDO-BUSYSTATUS:' + ev['busy'],
        'X-MICROSOFT-CDO-IMPORTANCE:1',
        'X-MICROSOFT-CDO-INTENDEDSTATUS:' + ev['busy'],
        'X-MICROSOFT-DISALLOW-COUNTER:FALSE',
        'X-MS-OLK-AUTOFILLLOCATION:FALSE',
        'X-MS-OLK-CONFTYPE:0',
        'BEGIN:VALARM',
        'TRIGGER:-PT15M',
        'ACTION:DISPLAY',
        'DESCRIPTION:Reminder',
        'END:VALARM',
        'END:VEVENT',
    ]
    return ''.join(fold(line) for line in lines)


def ics_head():
    lines = [
        'BEGIN:VCALENDAR',
        'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
        'VERSION:2.0',
        'METHOD:PUBLISH',
        'X-CALSTART:20180628T000000',
        'X-CALEND:20181106T160000',
        'X-CLIPSTART:20180601T000000',
        'X-CLIPEND:20181231T000000',
        'X-WR-RELCALID:{0000002E-9A1B-2C3D-4E5F-60718293A4B5}',
        'X-WR-CALNAME:UNODC South-Eastern Europe',
        'X-PRIMARY-CALENDAR:TRUE',
        'X-OWNER;CN="UNODC SEE":mailto:unodc-see@example.org',
        'X-MS-OLK-WKHRSTART;TZID="Central Europe Standard Time":080000',
        'X-MS-OLK-WKHREND;TZID="Central Europe Standard Time":170000',
        'X-MS-OLK-WKHRDAYS:MO,TU,WE,TH,FR',
    ]
    for tzid, std, dst in VTIMEZONES:
        lines += [
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
    return ''.join(fold(line) for line in lines)


ICS_TAIL = 'END:VCALENDAR' + CRLF


# --------------------------------------------------------------- bodies


class Feeds:
    """Every body the server can send, made once (the huge ones are
    generated while they are sent, never held)."""

    def __init__(self, port):
        self.port = port
        self.base = 'http://127.0.0.1:%d' % port
        self.secret = 'EVFEED-FIXTURE-SECRET-' + secrets.token_hex(8)
        self.info = {
            'osce': ('/osce.rss', 'application/rss+xml; charset=utf-8'),
            'unodc': ('/unodc.ics', 'text/calendar; charset=utf-8'),
            'dcaf': ('/dcaf.atom', 'application/atom+xml; charset=utf-8'),
        }
        self.bodies = {}
        for feed in self.info:
            for mode in ('normal', 'truncated', 'malformed', 'xxe-url',
                         'xxe-file', 'billion-laughs', 'bad-utf8',
                         'secondly', 'deep', 'empty', 'fewer', 'floating',
                         'latin1', 'utf16le', 'relative', 'scrolled',
                         'removed', 'undated', 'nodate', 'nodate-scrolled',
                         'nodate-removed'):
                if mode == 'utf16le' and feed != 'unodc':
                    continue
                if (mode in ('scrolled', 'removed', 'nodate',
                             'nodate-scrolled', 'nodate-removed') and
                        feed != 'osce' or
                        mode == 'undated' and feed == 'unodc'):
                    continue
                self.bodies[(feed, mode)] = self.make(feed, mode)
        self._bomb = None
        self._bomb_twice = None
        self._bomb_lock = threading.Lock()

    # -- XML feeds

    def xml(self, feed, items, doctype='', extra=''):
        if feed == 'osce':
            head, tail = RSS_HEAD, RSS_TAIL
        else:
            head, tail = ATOM_HEAD, ATOM_TAIL
        self_url = self.base + self.info[feed][0]
        return (head % {'doctype': doctype, 'self': self_url} +
                ''.join(items) + extra + tail)

    def xml_item(self, feed, ident, title):
        if feed == 'osce':
            return ('    <item>\n      <title>%s</title>\n'
                    '      <link>https://www.osce.org/event/%s</link>\n'
                    '      <guid isPermaLink="false">%s</guid>\n'
                    '      <ev:startdate>2018-12-18</ev:startdate>\n'
                    '    </item>\n' % (title, ident, ident))
        return ('  <entry>\n    <title>%s</title>\n'
                '    <id>tag:dcaf.ch,2018:%s</id>\n'
                '    <link href="events/%s"/>\n'
                '    <updated>2018-10-01T08:00:00Z</updated>\n'
                '    <ev:startdate>2018-12-18</ev:startdate>\n'
                '  </entry>\n' % (title, ident, ident))

    def make_xml(self, feed, mode):
        items = OSCE_ITEMS if feed == 'osce' else DCAF_ENTRIES
        root = 'rss' if feed == 'osce' else 'feed'
        if mode == 'normal':
            return self.xml(feed, items).encode('utf-8')
        if mode == 'empty':
            return self.xml(feed, []).encode('utf-8')
        if mode == 'fewer':
            return self.xml(feed, items[1:2]).encode('utf-8')
        if mode == 'truncated':
            data = self.xml(feed, items).encode('utf-8')
            cut = len(data) // 2
            while (data[cut] & 0xC0) == 0x80:
                cut -= 1
            return data[:cut]
        if mode == 'malformed':
            text = self.xml(feed, items)
            # An end tag that closes nothing, an unclosed element and junk
            # after the root.
            text = text.replace('</title>', '</titel>', 2)
            return (text + '<item><title>after the end</item>\n'
                    ).encode('utf-8')
        if mode == 'xxe-url':
            doctype = ('<!DOCTYPE %s [<!ENTITY x SYSTEM "%s/secret">]>\n'
                       % (root, self.base))
            return self.xml(feed, items, doctype, self.xml_item(
                feed, 'xxe-url', 'XXE-URL[&x;]')).encode('utf-8')
        if mode == 'xxe-file':
            doctype = ('<!DOCTYPE %s [<!ENTITY x SYSTEM '
                       '"file:///etc/hostname">]>\n' % root)
            return self.xml(feed, items, doctype, self.xml_item(
                feed, 'xxe-file', 'XXE-FILE[&x;]')).encode('utf-8')
        if mode == 'billion-laughs':
            ents = ['<!ENTITY lol "lol">']
            prev = 'lol'
            for i in range(1, 10):
                ents.append('<!ENTITY lol%d "%s">' % (i, ('&%s;' % prev) * 10))
                prev = 'lol%d' % i
            doctype = '<!DOCTYPE %s [\n%s\n]>\n' % (root, '\n'.join(ents))
            return self.xml(feed, items, doctype, self.xml_item(
                feed, 'laughs', 'LAUGHS[&lol9;]')).encode('utf-8')
        if mode == 'bad-utf8':
            good = self.xml(feed, items, '', '@@BAD@@').encode('utf-8')
            bad = self.xml_item(feed, 'bad-utf8', 'BAD-UTF8[@@T@@]').encode(
                'utf-8').replace(b'@@T@@', BAD_BYTES)
            return good.replace(b'@@BAD@@', bad)
        if mode == 'deep':
            nest = '<x>' * DEEP_LEVELS + 'deep' + '</x>' * DEEP_LEVELS
            if feed == 'osce':
                extra = ('    <item>\n      <title>DEEP</title>\n'
                         '      <guid isPermaLink="false">deep</guid>\n'
                         '      %s\n    </item>\n' % nest)
            else:
                extra = ('  <entry>\n    <title>DEEP</title>\n'
                         '    <id>tag:dcaf.ch,2018:deep</id>\n'
                         '    <updated>2018-10-01T08:00:00Z</updated>\n'
                         '    %s\n  </entry>\n' % nest)
            return self.xml(feed, items, '', extra).encode('utf-8')
        if mode == 'latin1':
            text = self.xml(feed, items, '', self.xml_item(
                feed, 'latin1', 'Z\u00fcrich Caf\u00e9 Forum \u2013 \u20ac'))
            return text.replace(' encoding="UTF-8"', '', 1).replace(
                ' encoding="utf-8"', '', 1).encode('cp1252')
        if mode == 'scrolled' and feed == 'osce':
            return self.xml(feed, [NEWER_ITEM, items[0], items[2]]).encode(
                'utf-8')
        if mode == 'removed' and feed == 'osce':
            return self.xml(feed, [NEWER_ITEM, items[0], items[1]]).encode(
                'utf-8')
        if mode.startswith('nodate') and feed == 'osce':
            listed = {'nodate': [items[0], items[2], items[1]],
                      'nodate-scrolled': [NEWER_ITEM, items[0], items[2]],
                      'nodate-removed': [NEWER_ITEM, items[0], items[1]]}
            return re.sub(r'\n *<pubDate>[^<]*</pubDate>', '',
                          self.xml(feed, listed[mode])).encode('utf-8')
        if mode == 'undated':
            return re.sub(r'\n *<ev:[a-z]+>[^<]*</ev:[a-z]+>', '',
                          self.xml(feed, items)).encode('utf-8')
        if mode == 'relative' and feed == 'osce':
            extra = ('    <item>\n      <title>RELATIVE links</title>\n'
                     '      <link>events/relative-item</link>\n'
                     '      <guid isPermaLink="false">relative</guid>\n'
                     '      <description>&lt;a href="more/relative.html"'
                     '&gt;More&lt;/a&gt;</description>\n'
                     '      <ev:startdate>2018-12-20</ev:startdate>\n'
                     '    </item>\n')
            return self.xml(feed, items, '', extra).encode('utf-8')
        # secondly, floating: the feeds answer as normal.
        return self.xml(feed, items).encode('utf-8')

    # -- the calendar

    def make_ics(self, mode):
        head = ics_head()
        events = [vevent(ev) for ev in UNODC_EVENTS]
        if mode == 'normal':
            return (head + ''.join(events) + ICS_TAIL).encode('utf-8')
        if mode == 'empty':
            return (head + ICS_TAIL).encode('utf-8')
        if mode == 'fewer':
            return (head + events[1] + ICS_TAIL).encode('utf-8')
        if mode == 'truncated':
            # Two whole events and no END:VCALENDAR: a parser that does not
            # look for the end would take two events for the whole.
            return (head + events[0] + events[1]).encode('utf-8')
        if mode == 'malformed':
            return (head + 'BEGIN:VEVENT' + CRLF + 'UID:broken-1' + CRLF +
                    'SUMMARY:Never closed' + CRLF + 'this line has no colon' +
                    CRLF + 'DTSTART:2018XXYYT1' + CRLF + events[1] +
                    'END:VTODO' + CRLF + 'END:VCALENDAR' + CRLF +
                    'END:VEVENT' + CRLF).encode('utf-8')
        if mode == 'bad-utf8':
            bad = ''.join(fold(line) for line in [
                'BEGIN:VEVENT',
                'UID:bad-utf8@unodc.example',
                'DTSTAMP:20181001T080000Z',
                'DTSTART;VALUE=DATE:20181218',
                'SUMMARY:BAD-UTF8[@@T@@]',
                'DESCRIPTION:@@T@@',
                'END:VEVENT',
            ]).encode('utf-8').replace(b'@@T@@', BAD_BYTES)
            return ((head + ''.join(events)).encode('utf-8') + bad +
                    ICS_TAIL.encode('utf-8'))
        if mode == 'utf16le':
            extra = ''.join(fold(line) for line in [
                'BEGIN:VEVENT',
                'UID:utf16le@unodc.example',
                'DTSTAMP:20181001T080000Z',
                'DTSTART;VALUE=DATE:20181219',
                'SUMMARY:Z\u00fcrich Caf\u00e9 Forum \u2013 \u20ac',
                'END:VEVENT',
            ])
            return (head + ''.join(events) + extra + ICS_TAIL).encode(
                'utf-16-le')
        if mode == 'latin1':
            extra = ''.join(fold(line) for line in [
                'BEGIN:VEVENT',
                'UID:latin1@unodc.example',
                'DTSTAMP:20181001T080000Z',
                'DTSTART;VALUE=DATE:20181219',
                'SUMMARY:Z\u00fcrich Caf\u00e9 Forum \u2013 \u20ac',
                'END:VEVENT',
            ])
            return (head + ''.join(events) + extra + ICS_TAIL).encode(
                'cp1252')
        if mode in EXTRA_EVENTS:
            extra = ''.join(fold(line) for line in EXTRA_EVENTS[mode])
            return (head + ''.join(events) + extra + ICS_TAIL).encode(
                'utf-8')
        if mode == 'deep':
            nest = (('BEGIN:X-DEEP' + CRLF) * DEEP_LEVELS +
                    ('END:X-DEEP' + CRLF) * DEEP_LEVELS)
            return (head + ''.join(events) + nest + ICS_TAIL).encode('utf-8')
        # xxe-url, xxe-file, billion-laughs: XML attacks; the calendar
        # path sends the RSS versions.
        return self.make_xml('osce', mode)

    def make(self, feed, mode):
        if feed == 'unodc':
            return self.make_ics(mode)
        return self.make_xml(feed, mode)

    # -- generated bodies

    def huge_chunk(self, feed):
        if feed == 'unodc':
            ev = ''.join(fold(line) for line in [
                'BEGIN:VEVENT', 'UID:huge@unodc.example',
                'DTSTAMP:20181001T080000Z', 'DTSTART;VALUE=DATE:20181218',
                'SUMMARY:' + 'huge ' * 100, 'END:VEVENT'])
        else:
            ev = self.xml_item(feed, 'huge', 'huge ' * 100)
        data = ev.encode('utf-8')
        return data * (65536 // len(data) + 1)

    def huge_head(self, feed):
        if feed == 'unodc':
            return ics_head().encode('utf-8')
        tail = RSS_TAIL if feed == 'osce' else ATOM_TAIL
        return self.xml(feed, [])[:-len(tail)].encode('utf-8')

    def bomb(self):
        """A gzip member that decodes to BOMB_BYTES: a feed's start, then
        white space for ever. Made once, a megabyte at a time."""
        with self._bomb_lock:
            if self._bomb is None:
                z = zlib.compressobj(9, zlib.DEFLATED, 31)
                start = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                         b'<rss version="2.0"><channel><title>bomb</title>')
                parts = [z.compress(start)]
                block = b' ' * 1000000
                left = BOMB_BYTES - len(start)
                while left > 0:
                    n = min(left, len(block))
                    parts.append(z.compress(block[:n]))
                    left -= n
                parts.append(z.flush())
                self._bomb = b''.join(parts)
            return self._bomb

    def bomb_twice(self):
        """The bomb gzipped once more, for Content-Encoding: gzip, gzip."""
        bomb = self.bomb()
        with self._bomb_lock:
            if self._bomb_twice is None:
                self._bomb_twice = gzip_bytes(bomb)
            return self._bomb_twice


BAD_BYTES = (b'\xff\xfe invalid \xc3\x28 overlong \xc0\xaf surrogate '
             b'\xed\xa0\x80 cut \xe2\x82 controls \x01\x02\x08\x0b\x0c\x1b'
             b'\x7f end')


def etag_of(data):
    return '"%s"' % hashlib.sha256(data).hexdigest()[:32]


def gzip_bytes(data, times=1):
    """@data in @times nested gzip members."""
    for _ in range(times):
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        data = z.compress(data) + z.flush()
    return data


# --------------------------------------------------------------- server


class State:
    def __init__(self, feeds, deadline):
        self.feeds = feeds
        self.deadline = deadline
        self.lock = threading.Lock()
        self.modes = {name: 'normal' for name in feeds.info}
        self.requests = {name: {'count': 0, 'last': None, 'headers': None,
                                'status': None}
                         for name in feeds.info}
        self.redirects = {name: 0 for name in feeds.info}
        self.secret_hits = 0
        self.hub_mode = 'normal'
        self.hub_posts = []
        self.sink_port = 0
        self.sink_hits = 0
        self.answers = 0  # of new-etag, for a new ETag every time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def version_string(self):
        return 'PartnerFixture/1.0'

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write('%s %s\n' % (self.log_date_time_string(),
                                          fmt % args))

    @property
    def state(self):
        return self.server.state

    # -- plumbing

    def answer(self, status, body=b'', ctype='text/plain; charset=utf-8',
               headers=(), head_only=False):
        self.send_response(status)
        if status != 304:
            self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if status != 304 and not head_only:
            self.wfile.write(body)

    def record(self, feed):
        h = self.headers
        with self.state.lock:
            r = self.state.requests[feed]
            r['count'] += 1
            r['last'] = {
                'User-Agent': h.get('User-Agent'),
                'If-None-Match': h.get('If-None-Match'),
                'If-Modified-Since': h.get('If-Modified-Since'),
                'Accept-Encoding': h.get('Accept-Encoding'),
            }
            r['headers'] = {k: v for k, v in h.items()}
            r['path'] = self.path
            r['status'] = None

    def set_status(self, feed, status):
        with self.state.lock:
            self.state.requests[feed]['status'] = status

    def not_modified(self, etag, mtime):
        inm = self.headers.get('If-None-Match')
        if inm is not None:
            tags = [t.strip() for t in inm.split(',')]
            weak = [t[2:] if t.startswith('W/') else t for t in tags]
            return '*' in tags or etag in weak
        ims = self.headers.get('If-Modified-Since')
        if ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
            return mtime <= since
        return False

    def client_gone(self, wait):
        """Waits up to @wait seconds; whether the client closed."""
        try:
            r, _, _ = select.select([self.connection], [], [], wait)
            if r:
                return self.connection.recv(1, socket.MSG_PEEK) == b''
        except OSError:
            return True
        return False

    # -- requests

    def do_GET(self):
        self.route(head_only=False)

    def do_HEAD(self):
        self.route(head_only=True)

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        self.post_body = b''
        if length:
            self.post_body = self.rfile.read(min(length, 65536))
        self.route(head_only=False)

    def route(self, head_only):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        self.close_connection = True
        if path == '/control' or path.startswith('/control/'):
            return self.control(path, urllib.parse.parse_qs(url.query))
        if path == '/hub':
            return self.hub()
        if path == '/secret':
            with self.state.lock:
                self.state.secret_hits += 1
            return self.answer(200, self.state.feeds.secret.encode())
        for feed, (fpath, _) in self.state.feeds.info.items():
            if path == fpath or path == '/sub' + fpath:
                return self.feed(feed, head_only)
        return self.answer(404, b'not found\n')

    def control(self, path, query):
        parts = [p for p in path.split('/') if p][1:]
        st = self.state
        if parts == ['secret-hits']:
            with st.lock:
                n = st.secret_hits
            return self.answer(200, b'%d\n' % n)
        if parts == ['secret-token']:
            return self.answer(200, st.feeds.secret.encode() + b'\n')
        if parts == ['sink-hits']:
            with st.lock:
                n = st.sink_hits
            return self.answer(200, b'%d\n' % n)
        if parts == ['hub-posts']:
            with st.lock:
                body = json.dumps(st.hub_posts, indent=1, sort_keys=True)
            return self.answer(200, body.encode() + b'\n',
                               'application/json')
        if len(parts) == 2 and parts[0] == 'hub':
            if parts[1] not in ('normal', '500'):
                return self.answer(400, b'unknown mode\n')
            with st.lock:
                st.hub_mode = parts[1]
            return self.answer(200, ('hub %s\n' % parts[1]).encode())
        if len(parts) == 2 and parts[0] == 'requests':
            with st.lock:
                r = st.requests.get(parts[1])
                body = json.dumps(r, indent=1, sort_keys=True)
            if r is None:
                return self.answer(404, b'no such feed\n')
            return self.answer(200, body.encode() + b'\n',
                               'application/json')
        if len(parts) == 2:
            feed, mode = parts
        elif not parts and 'feed' in query and 'mode' in query:
            feed, mode = query['feed'][0], query['mode'][0]
        else:
            return self.answer(404, b'no such control\n')
        if mode not in MODES:
            return self.answer(400, b'unknown mode\n')
        with st.lock:
            names = list(st.modes) if feed == 'all' else [feed]
            if any(n not in st.modes for n in names):
                return self.answer(404, b'no such feed\n')
            for n in names:
                st.modes[n] = mode
                st.redirects[n] = 0
        return self.answer(200, ('%s %s\n' % (feed, mode)).encode())

    def hub(self):
        body = getattr(self, 'post_body', b'')
        text = body.decode('utf-8', 'replace')
        st = self.state
        with st.lock:
            status = 500 if st.hub_mode == '500' else 204
            st.hub_posts.append({
                'method': self.command,
                'content_type': self.headers.get('Content-Type'),
                'body': text,
                'form': urllib.parse.parse_qs(text, keep_blank_values=True),
                'status': status,
                'time': time.time(),
            })
        if status == 500:
            return self.answer(500, b'hub failure\n')
        return self.answer(204)

    def feed(self, feed, head_only):
        st = self.state
        feeds = st.feeds
        self.record(feed)
        with st.lock:
            mode = st.modes[feed]
        ctype = feeds.info[feed][1]
        status = 200
        try:
            status = self.feed_mode(feed, mode, ctype, head_only)
        finally:
            self.set_status(feed, status)

    def feed_mode(self, feed, mode, ctype, head_only):
        st = self.state
        feeds = st.feeds
        normal = feeds.bodies[(feed, 'normal')]
        if mode == '304':
            self.answer(304, headers=[('ETag', etag_of(normal))])
            return 304
        if mode == '500':
            self.answer(500, b'<html><body><h1>Internal Server Error</h1>'
                        b'</body></html>\n', 'text/html')
            return 500
        if mode == '503-retry':
            self.answer(503, b'<html><body><h1>Service Unavailable</h1>'
                        b'</body></html>\n', 'text/html',
                        [('Retry-After', '120')])
            return 503
        if mode in ('404', '410'):
            self.answer(int(mode), b'<html><body><h1>%s</h1></body></html>\n'
                        % mode.encode(), 'text/html')
            return int(mode)
        if mode == '503-cached':
            self.answer(503, b'<html><body><h1>Down</h1></body></html>\n',
                        'text/html',
                        [('Cache-Control', 'public, max-age=604800')])
            return 503
        retry = {
            '429-retry-day': (429, '86400'),
            '503-retry-date': (503, email.utils.formatdate(
                time.time() + 3 * 86400, usegmt=True)),
            '503-retry-month': (503, '2592000'),
        }
        if mode in retry:
            status, after = retry[mode]
            self.answer(status, b'<html><body><h1>Not now</h1>'
                        b'</body></html>\n', 'text/html',
                        [('Retry-After', after)])
            return status
        if mode == 'empty-body':
            self.answer(200, b'', ctype, head_only=head_only)
            return 200
        if mode == 'new-etag':
            with st.lock:
                st.answers += 1
                n = st.answers
            self.answer(200, normal, ctype, [('ETag', '"new-%d"' % n)],
                        head_only)
            return 200
        if mode == 'big-length':
            self.send_response(200)
            self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(1 << 30))
            self.end_headers()
            self.wfile.flush()
            while time.time() < st.deadline:
                if self.client_gone(1.0):
                    break
            return 200
        if mode == 'trailers':
            self.send_response(200)
            self.send_header('Content-Type', ctype)
            self.send_header('Transfer-Encoding', 'chunked')
            self.send_header('Trailer', 'X-Fill')
            self.end_headers()
            lines = (b'X-Fill: ' + b'a' * 90 + b'\r\n') * 1000
            try:
                self.wfile.write(b'1\r\nA\r\n0\r\n')
                while time.time() < st.deadline:
                    self.wfile.write(lines)
            except OSError:
                pass
            self.close_connection = True
            return 200
        layers = {'gzip-gzip': 2, 'gzip-x6': 6}
        if mode in layers or mode == 'gzip-gzip-bomb':
            if mode in layers:
                body = gzip_bytes(normal, layers[mode])
                n = layers[mode]
            else:
                body = feeds.bomb_twice()
                n = 2
            self.answer(200, body, ctype,
                        [('Content-Encoding', ', '.join(['gzip'] * n))],
                        head_only)
            return 200
        if mode.startswith('redirect-') and mode != 'redirect-loop':
            scheme = mode[len('redirect-'):]
            if scheme == 'file':
                where = 'file:///etc/passwd'
            else:
                where = '%s://127.0.0.1:%d/feed' % (scheme, st.sink_port)
            self.answer(302, b'moved\n', headers=[('Location', where)],
                        head_only=head_only)
            return 302
        if mode == 'late':
            time.sleep(3)
            mode = 'normal'
        if mode == 'relative-elsewhere':
            if urllib.parse.urlsplit(self.path).query != 'moved':
                self.answer(302, b'found\n', headers=[
                    ('Location', '/sub' + feeds.info[feed][0] + '?moved')],
                    head_only=head_only)
                return 302
            mode = 'relative'
        if mode == 'moved-file':
            self.answer(301, b'moved\n',
                        headers=[('Location', 'file:///etc/passwd')],
                        head_only=head_only)
            return 301
        # a 301 to "<path>?<query>", which answers as the mode after it
        moves = {'moved-relative': ('moved', 'normal'),
                 'moved-page': ('page', 'wrong-type')}
        if mode in moves:
            query, then = moves[mode]
            if urllib.parse.urlsplit(self.path).query != query:
                self.answer(301, b'moved\n', headers=[
                    ('Location', feeds.info[feed][0] + '?' + query)],
                    head_only=head_only)
                return 301
            mode = then
        if mode == 'hang':
            while time.time() < st.deadline:
                if self.client_gone(1.0):
                    break
            return 0
        if mode == 'drip':
            self.send_response(200)
            self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(len(normal)))
            self.end_headers()
            self.wfile.flush()
            try:
                for i in range(len(normal)):
                    if time.time() >= st.deadline:
                        break
                    self.wfile.write(normal[i:i + 1])
                    self.wfile.flush()
                    if self.client_gone(1.0):
                        break
            except OSError:
                pass
            return 200
        if mode == 'huge':
            self.send_response(200)
            self.send_header('Content-Type', ctype)
            self.send_header('Connection', 'close')
            self.end_headers()
            if head_only:
                return 200
            chunk = feeds.huge_chunk(feed)
            sent = 0
            try:
                self.wfile.write(feeds.huge_head(feed))
                while sent < HUGE_BYTES:
                    self.wfile.write(chunk)
                    sent += len(chunk)
                self.wfile.flush()
            except OSError:
                pass
            return 200
        if mode == 'gzip-bomb':
            body = feeds.bomb()
            self.answer(200, body, ctype,
                        [('Content-Encoding', 'gzip'),
                         ('ETag', etag_of(body))], head_only)
            return 200
        if mode == 'redirect-loop':
            with st.lock:
                st.redirects[feed] += 1
                hop = st.redirects[feed]
            where = '%s%s?hop=%d' % (feeds.base, feeds.info[feed][0], hop)
            self.answer(302, b'moved\n', headers=[('Location', where)],
                        head_only=head_only)
            return 302
        if mode == 'wrong-type':
            page = (b'<!DOCTYPE html>\n<html><head><title>Sign in</title>'
                    b'</head><body><form method="post" action="/login">'
                    b'<input name="user"><input name="password" '
                    b'type="password"><button>Sign in</button></form>'
                    b'</body></html>\n')
            self.answer(200, page, 'text/html; charset=utf-8',
                        head_only=head_only)
            return 200
        if mode == 'latin1':
            ctype = ctype.replace('charset=utf-8', 'charset=ISO-8859-1')
        if mode == 'utf16le':
            ctype = ctype.replace('charset=utf-8', 'charset=utf-16le')
        if mode == 'cut-connection':
            self.send_response(200)
            self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(len(normal)))
            self.end_headers()
            if not head_only:
                try:
                    self.wfile.write(normal[:len(normal) // 2])
                    self.wfile.flush()
                except OSError:
                    pass
            return 200
        # (the modes of one feed: the others answer as normal)
        body = feeds.bodies.get((feed, mode), normal)
        etag = etag_of(body)
        mtime = NORMAL_MTIME if mode == 'normal' else START_TIME
        headers = [('ETag', etag),
                   ('Last-Modified', email.utils.formatdate(mtime,
                                                            usegmt=True)),
                   ('Cache-Control', 'max-age=60')]
        if self.not_modified(etag, mtime):
            self.answer(304, headers=headers)
            return 304
        self.answer(200, body, ctype, headers, head_only)
        return 200


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that gives up (a timeout, a byte cap) is what these
        # tests are about, not an error.
        if self.verbose:
            super().handle_error(request, client_address)


class TLSServer(Server):
    """The same feeds over HTTPS. The handshake happens in the request's
    thread, so that a client that gives up on the certificate stops only
    its own connection."""

    def __init__(self, address, handler, context):
        super().__init__(address, handler)
        self.context = context

    def finish_request(self, request, client_address):
        request.settimeout(10)
        with self.context.wrap_socket(request, server_side=True) as tls:
            super().finish_request(tls, client_address)


def listener(backlog=16):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(('127.0.0.1', 0))
    s.listen(backlog)
    return s


def stall_listener():
    """A listener whose accept queue is full, and stays full: the one
    connection it may hold is made here and never accepted, so the SYN of
    any other is dropped and its connect() never completes."""
    s = listener(0)
    filler = socket.create_connection(s.getsockname())
    return s, filler


def serve_mute(sock):
    """Accepts connections and never sends a byte."""
    held = []
    while True:
        conn, _ = sock.accept()
        held.append(conn)


def serve_sink(sock, state):
    """Counts the connections, and closes them at once."""
    while True:
        conn, _ = sock.accept()
        with state.lock:
            state.sink_hits += 1
        conn.close()


def watchdog(deadline, parent):
    while True:
        time.sleep(0.5)
        if time.time() >= deadline or os.getppid() != parent:
            os._exit(0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--lifetime', type=float, default=300.0,
                    help='stop after this many seconds (default 300)')
    ap.add_argument('--verbose', action='store_true',
                    help='log requests and errors on stderr')
    ap.add_argument('--tls-cert', help='also serve HTTPS with this '
                    'certificate (PEM)')
    ap.add_argument('--tls-key', help='the key of --tls-cert (PEM)')
    args = ap.parse_args()
    if (args.tls_cert is None) != (args.tls_key is None):
        ap.error('--tls-cert and --tls-key go together')

    parent = os.getppid()
    deadline = time.time() + args.lifetime
    server = Server(('127.0.0.1', 0), Handler)
    server.verbose = args.verbose
    port = server.server_address[1]
    server.state = State(Feeds(port), deadline)
    threading.Thread(target=watchdog, args=(deadline, parent),
                     daemon=True).start()
    # The bomb takes a second to make: make it before anyone asks.
    threading.Thread(target=server.state.feeds.bomb, daemon=True).start()

    ports = []
    server.stall = stall_listener()
    ports.append(('STALL-PORT', server.stall[0].getsockname()[1]))
    mute = listener()
    ports.append(('MUTE-PORT', mute.getsockname()[1]))
    threading.Thread(target=serve_mute, args=(mute,), daemon=True).start()
    sink = listener()
    server.state.sink_port = sink.getsockname()[1]
    ports.append(('SINK-PORT', server.state.sink_port))
    threading.Thread(target=serve_sink, args=(sink, server.state),
                     daemon=True).start()
    if args.tls_cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        tls = TLSServer(('127.0.0.1', 0), Handler, context)
        tls.verbose = args.verbose
        tls.state = server.state
        ports.append(('TLS-PORT', tls.server_address[1]))
        threading.Thread(target=tls.serve_forever, args=(0.5,),
                         daemon=True).start()
    sys.stdout.write(''.join('%s %d\n' % p for p in ports) +
                     'PORT %d\n' % port)
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
