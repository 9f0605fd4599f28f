#!/usr/bin/python3
"""Check an RSS 2.0 feed and an Atom 1.0 feed the way feed readers and the
W3C Feed Validation Service see them.

usage: check_feeds.py --rss FILE --atom FILE --self-rss URL --self-atom URL
                      [--expect-titles-from JSONL] [--max-items N]
                      [--xmllint PATH] [--atom-rng PATH]

Three independent looks at each file:

1. libxml2's xmllint: well-formedness, and for Atom the RFC 4287 RELAX NG
   schema (tests/data/atom.rng).
2. feedparser (what many readers use): bozo must be 0; every entry needs a
   title, an id, a link and a published date, and an Atom entry its
   author; RSS items that carry
   <ev:startdate> must expose it as ev_startdate.
3. The rules of the W3C Feed Validation Service, re-implemented here for
   the elements evfeed writes, because the service cannot be reached from
   a test run.  Each failure names the validator's message class
   (MissingAtomSelfLink, InvalidRFC2822Date, ContainsRelRef, InvalidTAG…),
   so that it can be looked up in the validator's documentation.  Errors
   and warnings both fail: the goal is a feed with neither.

With --expect-titles-from, JSONL is what tests/clients/check-ics.js printed
for the matching calendar.ics: every event listed there must appear in both
feeds (unless the feed is full, --max-items), and its RSS item must carry
an ev:startdate at the same instant.

Problems go to stderr as "FILE: Class: where: detail"; exit status 1 if
there is any.
"""

import argparse
import calendar
import datetime
import email.utils
import html.entities
import html.parser
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import xml.dom
import xml.dom.minidom
import xml.parsers.expat

try:
    import feedparser
    import html5lib
    import html5lib.html5parser
except ImportError as e:
    sys.stderr.write('check_feeds.py: cannot import %s; run '
                     'tools/install-deps (Debian packages python3-feedparser '
                     'and python3-html5lib)\n' % e)
    sys.exit(3)

ATOM_NS = 'http://www.w3.org/2005/Atom'
EV_NS = 'http://purl.org/rss/1.0/modules/event/'
DC_NS = 'http://purl.org/dc/elements/1.1/'
DCTERMS_NS = 'http://purl.org/dc/terms/'
CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/'
XHTML_NS = 'http://www.w3.org/1999/xhtml'
XML_NS = 'http://www.w3.org/XML/1998/namespace'

# How far in the future a publication or update time may lie before the
# validator calls it implausible (it allows ten minutes of clock skew).
CLOCK_SKEW = 600

ELEMENT = xml.dom.Node.ELEMENT_NODE


# ---------------------------------------------------------------- reporting

class Report:
    def __init__(self):
        self.problems = []

    def add(self, path, klass, where, detail=''):
        msg = '%s: %s: %s' % (path, klass, where)
        if detail:
            msg += ': ' + detail
        self.problems.append(msg)


# -------------------------------------------------------------- DOM helpers

def kids(el, ns=None, name=None):
    """Child elements of el, optionally only those of one (ns, name)."""
    out = []
    for c in el.childNodes:
        if c.nodeType != ELEMENT:
            continue
        if name is not None and (c.namespaceURI != ns or c.localName != name):
            continue
        out.append(c)
    return out


def text_of(el):
    """(text content, whether the line the element starts on in the file
    holds a hexadecimal character reference: see mark_hexref_lines)."""
    parts = []
    for c in el.childNodes:
        if c.nodeType in (c.CDATA_SECTION_NODE, c.TEXT_NODE):
            parts.append(c.data)
        elif c.nodeType == ELEMENT:
            parts.append(text_of(c)[0])
    return ''.join(parts), getattr(el, 'hexref_line', False)


def elements_in_order(node):
    for c in node.childNodes:
        if c.nodeType == ELEMENT:
            yield c
            yield from elements_in_order(c)


def mark_hexref_lines(doc, data):
    """Notes on each element whether the line it starts on holds "&#x".

    The validator's RSS Profile support reads the raw file: a plain-text
    element whose lines carry a hexadecimal character reference (such as
    &#x3C; for "<") is exempt from CharacterData and from ContainsHTML's
    entity rule; nothing else is (not CDATA, whose "<" and "&" the profile
    asks to encode instead).  Only the start line counts here, the
    stricter reading."""
    raw = data.decode('utf-8', 'replace') if isinstance(data, bytes) \
        else data
    hexref = ['&#x' in ln for ln in
              raw.replace('\r\n', '\n').replace('\r', '\n').split('\n')]
    starts = []
    p = xml.parsers.expat.ParserCreate()
    p.StartElementHandler = \
        lambda name, attrs: starts.append(p.CurrentLineNumber)
    p.Parse(data, True)
    for el, line in zip(elements_in_order(doc), starts):
        el.hexref_line = hexref[line - 1]


def qname(el):
    if el.namespaceURI in (None, ''):
        return el.localName
    prefix = {ATOM_NS: 'atom', EV_NS: 'ev', DC_NS: 'dc', CONTENT_NS: 'content',
              DCTERMS_NS: 'dcterms', XHTML_NS: 'xhtml'}.get(el.namespaceURI)
    return '%s:%s' % (prefix or '{%s}' % el.namespaceURI, el.localName)


def attr(el, name, ns=None):
    if ns is None:
        return el.getAttribute(name) if el.hasAttribute(name) else None
    if el.hasAttributeNS(ns, name):
        return el.getAttributeNS(ns, name)
    return None


# ----------------------------------------------------- value-level checks

URI_CHARS = re.compile(r"^[0-9A-Za-z;/?:@&=+$.\-_!~*'()%,#\[\]]*$")
FULL_URI = re.compile(r"^[A-Za-z][0-9A-Za-z+.\-]*:(//)?"
                      r"[0-9A-Za-z;/?:@&=+$.\-_!~*'()%,#]+$")
SCHEME = re.compile(r'^([A-Za-z][0-9A-Za-z+.\-]*):')
UUID_URN = re.compile(r'^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
                      r'[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', re.I)
URN = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{1,31}:"
                 r"([A-Za-z0-9()+,.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+$", re.I)

# RFC 4151: tag:authorityName,date:specific[#fragment], with the lower-case
# authority the validator insists on.
_DNSCOMP = r'[a-z0-9](?:[a-z0-9-]*[a-z0-9])?'
_DNSNAME = r'%s(?:\.%s)*' % (_DNSCOMP, _DNSCOMP)
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
TAG_URI = re.compile(
    r'^tag:(?P<auth>(?:[a-z0-9._-]+@)?%s),'
    r'(?P<date>(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?)'
    r':(?P<specific>(?:%s|[/?])*)(?:#(?:%s|[/?])*)?$'
    % (_DNSNAME, _PCHAR, _PCHAR))


def check_tag(value):
    """None if value is a valid tag: URI, else why not."""
    m = TAG_URI.match(value)
    if not m:
        return ('not tag:authority,YYYY[-MM[-DD]]:specific with a '
                'lower-case authority (RFC 4151)')
    y = int(m.group('y'))
    mo = int(m.group('m') or 1)
    d = int(m.group('d') or 1)
    try:
        day = datetime.date(y, mo, d)
    except ValueError:
        return 'tagging date %s does not exist' % m.group('date')
    if day > datetime.date.today():
        return 'tagging date %s lies in the future' % m.group('date')
    return None


def check_uri(value, full=True):
    """(class, detail) of the problem with a URI or IRI value, or None."""
    if value != value.strip():
        return ('UnexpectedWhitespace', repr(value))
    scheme = SCHEME.match(value)
    scheme = scheme.group(1).lower() if scheme else None
    if scheme == 'tag':
        why = check_tag(value)
        return ('InvalidTAG', '%s: %s' % (value, why)) if why else None
    if scheme == 'urn':
        if value.lower().startswith('urn:uuid:'):
            if not UUID_URN.match(value):
                return ('InvalidUUID', value)
            return None
        if not URN.match(value):
            return ('InvalidURN', value)
        return None
    if any(ord(c) > 127 for c in value):
        return ('InvalidFullLink' if full else 'InvalidLink',
                '%s: non-ASCII characters must be percent-encoded' % value)
    for c in value:
        if not URI_CHARS.match(c):
            return ('InvalidUriChar', '%s: character %r' % (value, c))
    if full:
        if not FULL_URI.match(value):
            return ('InvalidFullLink', '%s is not an absolute URI' % value)
        if scheme in ('http', 'https', 'ftp') and \
                not re.match(r'^\w+://[^/]', value):
            return ('InvalidFullLink', '%s has no host' % value)
    return None


_SUBDELIMS = "!$&'()*+,;="
_PCHAR = '-._~' + _SUBDELIMS + ':@'
_RESERVED = ':/?#[]@' + _SUBDELIMS


def _canonical_part(s, safe):
    """One part of a URI as the validator's uri.py normalises it: a
    reserved character that the part allows (@safe) stays as written,
    percent-encoded or not (the encoding in upper case); every other run
    of octets is decoded (twice: percent-decoding the decoded text again),
    put in NFC and encoded again, with what @safe and RFC 3986's
    unreserved characters allow raw. A character outside ASCII, which
    the validator takes as one octet, fails where that octet is no UTF-8
    (an IRI is no canonical URI)."""
    out = ''
    run = bytearray()

    def flush():
        text = urllib.parse.unquote(run.decode('utf-8'))
        return urllib.parse.quote(
            unicodedata.normalize('NFC', text).encode('utf-8'), safe=safe)

    i = 0
    while i < len(s):
        if s[i] == '%' and re.match(r'[0-9A-Fa-f]{2}', s[i + 1:i + 3]):
            token, octet = s[i:i + 3].upper(), int(s[i + 1:i + 3], 16)
            i += 3
        elif s[i] == '%':
            raise ValueError('a % without two hexadecimal digits')
        else:
            token, octet = s[i], ord(s[i])
            i += 1
        if octet < 128 and chr(octet) in _RESERVED and chr(octet) in safe:
            out += flush() + token
            run = bytearray()
        elif octet < 256:
            run.append(octet)
        else:
            raise UnicodeError('not an octet: %r' % token)
    return out + flush()


def canonical_uri(value):
    """The validator's canonical form, which NonCanonicalURI compares (as
    its uri.py gives it): the scheme and host in lower case, no default
    port, the path's dot segments resolved, and each part normalised by
    _canonical_part; None for a relative reference or what it cannot
    read."""
    m = re.match(r'^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?'
                 r'(#(.*))?$', value)
    if not m:
        return None
    try:
        return _canonical_uri(m)
    except (ValueError, UnicodeError):
        return None


def _canonical_uri(m):
    scheme = m.group(2)
    out = ''
    if scheme is not None:
        out += scheme.lower() + ':'
    path = m.group(5)
    if m.group(3) is None and not path.startswith('/'):
        if scheme is None:
            return None
        path = _canonical_part(path, _PCHAR + '/')
    else:
        if m.group(3) is not None:
            auth = m.group(4)
            userinfo = ''
            if '@' in auth:
                userinfo, auth = auth.rsplit('@', 1)
                userinfo += '@'
            auth = auth.lower()
            default = {'http': '80', 'https': '443', 'ftp': '21'}.get(
                (scheme or '').lower())
            host, _, port = auth.rpartition(':') \
                if re.search(r':\d*$', auth) else (auth, '', '')
            if port == '' or port == default:
                auth = host
            out += '//' + userinfo + auth
        segs = []
        for seg in path.split('/'):
            if seg == '.':
                continue
            if seg == '..':
                if len(segs) > 1:
                    segs.pop()
                continue
            segs.append(seg)
        if path.endswith(('/.', '/..')):
            segs.append('')
        if segs == ['']:
            segs = ['', '']
        path = '/'.join(_canonical_part(seg, _PCHAR) for seg in segs)
    out += path
    if m.group(6) is not None:
        out += '?' + _canonical_part(m.group(7), _PCHAR + '/?')
    if m.group(8) is not None:
        out += '#' + _canonical_part(m.group(9), _PCHAR + '/?')
    return out


_MONTHS = ('jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec')
RFC2822 = re.compile(
    r'^((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d\d? '
    r'(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} '
    r'\d\d:\d\d(:\d\d)? ([+-]?\d\d[03]0|UT|GMT|[ECMP][SD]T|Z)$')
RFC822_LAX = re.compile(
    r'^((mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?\d\d?\s+(%s)\s+\d\d(\d\d)?\s+'
    r'\d\d:\d\d(:\d\d)?\s+([+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z])?$'
    % _MONTHS)


def check_rfc822(value, now):
    """(class, detail) or None for an RSS date."""
    if RFC2822.match(value):
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return ('InvalidRFC2822Date', value)
        try:
            day = datetime.date(*parsed[:3])
        except ValueError as e:
            return ('InvalidRFC2822Date', '%s: %s' % (value, e))
        if parsed[3] > 23 or parsed[4] > 59 or parsed[5] > 60:
            return ('InvalidRFC2822Date', '%s: no such time' % value)
        if ',' in value and day.strftime('%a') != value[:3]:
            return ('IncorrectDOW', '%s: %s is a %s' % (
                value, day.isoformat(), day.strftime('%a')))
        stamp = email.utils.mktime_tz(parsed)
        if stamp > now + CLOCK_SKEW or parsed[0] < 1990:
            return ('ImplausibleDate', '%s lies in the future or before '
                    '1990' % value)
        return None
    lax = re.sub(r'\([^()]*\)', ' ', value).strip().lower()
    if RFC822_LAX.match(lax):
        return ('ProblematicalRFC822Date', value)
    return ('InvalidRFC2822Date', value)


RFC3339 = re.compile(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?'
                     r'(Z|[+-]\d\d:\d\d)$')


def parse_instant(date_part, time_part=None, zone=None):
    """Seconds since the epoch, or raise ValueError."""
    y, mo, d = (int(x) for x in date_part)
    if time_part is None:
        return calendar.timegm(datetime.date(y, mo, d).timetuple())
    h, mi, s = time_part
    dt = datetime.datetime(y, mo, d, h, mi, min(s, 59))
    off = 0
    if zone and zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        zh, zm = int(zone[1:3]), int(zone[4:6])
        if zh > 23 or zm > 59:
            raise ValueError('bad zone offset %s' % zone)
        off = sign * (zh * 3600 + zm * 60)
    return calendar.timegm(dt.timetuple()) - off


def check_rfc3339(value, now):
    m = RFC3339.match(value)
    if not m:
        return ('InvalidRFC3339Date', value)
    try:
        stamp = parse_instant(m.group(1, 2, 3),
                              tuple(int(x) for x in m.group(4, 5, 6)),
                              m.group(8))
    except ValueError as e:
        return ('InvalidRFC3339Date', '%s: %s' % (value, e))
    if stamp > now + CLOCK_SKEW or int(m.group(1)) < 1990:
        return ('ImplausibleDate', '%s lies in the future or before 1990'
                % value)
    return None


W3CDTF = re.compile(r'^(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)'
                    r'(?::(\d\d)(\.\d+)?)?(Z|[+-]\d\d:\d\d))?)?)?$')


def parse_w3cdtf(value):
    """(kind, value): ('date', 'YYYY-MM-DD') or ('instant', epoch); or
    raise ValueError."""
    m = W3CDTF.match(value)
    if not m:
        raise ValueError('not a W3C-DTF date or date-time with zone')
    y = m.group(1)
    mo = m.group(2) or '01'
    d = m.group(3) or '01'
    if m.group(4) is None:
        datetime.date(int(y), int(mo), int(d))
        return ('date', '%s-%s-%s' % (y, mo, d))
    sec = int(m.group(6) or 0)
    if int(m.group(4)) > 23 or int(m.group(5)) > 59 or sec > 60:
        raise ValueError('no such time')
    return ('instant', parse_instant((y, mo, d), (int(m.group(4)),
                                                   int(m.group(5)), sec),
                                     m.group(8)))


# An e-mail address in angle brackets, as the validator's nonemail finds
# it (case-insensitively): local part, '@', a dotted domain or IPv4 prefix.
BRACKETED_EMAIL = re.compile(
    r"<[A-Z0-9_\-+.']+@(([0-9]{1,3}\.){3}|([A-Z0-9\-]+\.)+)"
    r"[A-Z0-9][-A-Z0-9]*>", re.I)
LANGUAGE_FORM = re.compile(r'^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$')


def iso_639_codes():
    """ISO 639's two- and three-letter codes, as Debian's iso-codes lists
    them: the validator looks up a tag's first subtag in such a list."""
    with open('/usr/share/iso-codes/json/iso_639-2.json',
              encoding='utf-8') as f:
        langs = json.load(f)['639-2']
    # less the codes given after 2006, the W3C validator's list
    return {lang[key] for lang in langs
            for key in ('alpha_2', 'alpha_3', 'bibliographic')
            if key in lang} - {'cnr', 'nqo', 'syc', 'zbl', 'zgh', 'zxx',
                               'zza'}


ISO_639 = iso_639_codes()


class _Language:
    """LANGUAGE.match(tag): well formed, and its language is one of ISO
    639's (the validator's InvalidLanguage)."""

    @staticmethod
    def match(tag):
        return (LANGUAGE_FORM.match(tag) is not None and
                tag.split('-')[0].lower() in ISO_639)


LANGUAGE = _Language()
MIME = re.compile(r'^[^\s()<>,;:\\"/\[\]?=]+/[^\s()<>,;:\\"/\[\]?=]+'
                  r'(\s*;\s*[^\s()<>,;:\\"/\[\]?=]+=("[^"]*"|'
                  r'[^\s()<>,;:\\"/\[\]?=]+))*$')


# ------------------------------------------------------------ HTML checks

# HTML element names, to tell markup from text such as "</3>".
HTML_ELEMENTS = set('''a abbr acronym address applet area article aside audio
b base basefont bdi bdo big blockquote body br button canvas caption center
cite code col colgroup data datalist dd del details dfn dialog dir div dl dt
em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3
h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend
li link main map mark menu meta meter nav noframes noscript object ol
optgroup option output p param picture pre progress q rp rt ruby s samp
script section select slot small source span strike strong style sub summary
sup table tbody td template textarea tfoot th thead time title tr track tt u
ul var video wbr xmp plaintext listing'''.split())

# Elements the validator reports as SecurityRisk inside feed HTML.
RISKY_ELEMENTS = set('''script style iframe frame frameset noframes object
embed applet param meta link base basefont head html body title xmp
plaintext listing slot'''.split())

# Attributes the validator accepts; anything else (on* handlers, but also
# e.g. aria-*) is SecurityRiskAttr.  data-* is accepted too.
SAFE_ATTRIBUTES = set('''abbr accept accept-charset accesskey action align alt
autocomplete autoplay axis bgcolor border cellpadding cellspacing char charoff
charset checked cite class clear color cols colspan compact contenteditable
controls coords datetime decoding default dir disabled download draggable
enctype face for frame headers height hidden high href hreflang hspace icon id
ismap itemprop itemscope itemtype kind label lang list loading longdesc loop
low max maxlength media method min multiple muted name nohref noshade nowrap
open optimum pattern ping placeholder poster preload rel rev readonly required
reversed rows rowspan rules scope selected shape size sizes span spellcheck
src srclang srcset start step summary tabindex target title translate type
usemap valign value vspace width wrap xml:lang xmlns'''.split())

URL_ATTRIBUTES = set('''href src cite longdesc usemap action formaction poster
background lowsrc dynsrc'''.split())

SCRIPT_SCHEMES = ('javascript', 'vbscript', 'livescript', 'mocha')


class HtmlScan(html.parser.HTMLParser):
    """Collect what the validator would say about an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def _url(self, tag, name, value):
        value = (value or '').strip()
        m = SCHEME.match(value)
        if m:
            scheme = m.group(1).lower()
            if scheme in SCRIPT_SCHEMES or (
                    scheme == 'data' and 'html' in value[:30].lower()):
                self.found.append(('SecurityRisk', '<%s %s="%s">'
                                   % (tag, name, value[:60])))
        else:
            self.found.append(('ContainsRelRef', '<%s %s="%s">'
                               % (tag, name, value[:80])))

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in RISKY_ELEMENTS:
            self.found.append(('SecurityRisk', '<%s>' % tag))
        elif tag not in HTML_ELEMENTS:
            self.found.append(('NotHtml', '<%s> is not an HTML element' % tag))
        for name, value in attrs:
            name = name.lower()
            if name.startswith('on'):
                self.found.append(('SecurityRiskAttr', '<%s %s>' % (tag, name)))
            elif name == 'style':
                if re.search(r'url\s*\(|expression|javascript|behavior|'
                             r'binding|@import|\\', value or '', re.I):
                    self.found.append(('DangerousStyleAttr',
                                       '<%s style="%s">' % (tag, value)))
            elif name not in SAFE_ATTRIBUTES and not name.startswith('data-'):
                self.found.append(('SecurityRiskAttr', '<%s %s>' % (tag, name)))
            if name in URL_ATTRIBUTES:
                self._url(tag, name, value)
            elif name == 'srcset':
                for part in (value or '').split(','):
                    self._url(tag, name, part.strip().split(' ')[0])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_pi(self, data):
        if data.lower().startswith('import'):
            self.found.append(('SecurityRisk', '<?import'))


def html5_problem(value):
    """What html5lib in strict mode, the parser the W3C validator reads
    HTML content with, says about @value: the validator reports NotHtml
    for any parse error (a cell outside a row, a block inside <p>, an end
    tag without its start); None when it parses cleanly."""
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parseFragment(value)
    except html5lib.html5parser.ParseError as e:
        return str(e)
    return None


def scan_html(value):
    scan = HtmlScan()
    try:
        scan.feed(value)
        scan.close()
    except Exception as e:  # html.parser is lenient, but be safe
        scan.found.append(('NotHtml', str(e)))
    problem = html5_problem(value)
    if problem is not None:
        scan.found.append(('NotHtml', 'html5lib (strict): %s' % problem))
    if re.search(r'<\?import', value, re.I) and \
            ('SecurityRisk', '<?import') not in scan.found:
        scan.found.append(('SecurityRisk', '<?import'))
    return scan.found


def nonhtml_problem(value, hexref, rss):
    """What the validator says about markup in a plain-text element;
    @hexref: whether its line in the file holds "&#x"."""
    tags = [t for t in re.findall(r'</(\w+)>', value)
            if t.lower() in HTML_ELEMENTS]
    if tags:
        return 'contains </%s>' % tags[0]
    if hexref:
        return None
    for ent in re.findall(r'&(#?\w+)', value):
        if ent in html.entities.name2codepoint or ent == 'apos' or \
                not ent.isalpha():
            return 'contains the escaped entity &%s; (escaped twice?)' % ent
    if rss and re.search(r'&#[x0-9]|<[/a-zA-Z]', value):
        return ('contains text that looks like markup; the validator '
                'reports it (CharacterData) unless "<" and "&" are '
                'written as hexadecimal character references (&#x3C;)')
    return None


# -------------------------------------------------------------- the checker

class FeedChecker:
    def __init__(self, report, now, xmllint, atom_rng):
        self.report = report
        self.now = now
        self.xmllint = xmllint
        self.atom_rng = atom_rng

    # -- common ------------------------------------------------------------

    def raw_checks(self, path, data):
        r = self.report
        decl = re.match(rb'<\?xml\s+version\s*=\s*["\']1\.0["\']'
                        rb'(\s+encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\'])?'
                        rb'(\s+standalone\s*=\s*["\'](yes|no)["\'])?\s*\?>',
                        data)
        if not decl:
            r.add(path, 'MissingEncoding', 'document',
                  'does not start with <?xml version="1.0" '
                  'encoding="UTF-8"?>')
        elif not decl.group(2) or decl.group(2).lower() != b'utf-8':
            r.add(path, 'MissingEncoding', 'xml declaration',
                  'encoding is %r, not UTF-8' % (decl.group(2),))
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError as e:
            r.add(path, 'UnicodeError', 'document', str(e))
            text = data.decode('utf-8', 'replace')
        bad = re.search('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]', text)
        if bad:
            r.add(path, 'ControlCharacter', 'document',
                  'control character U+%04X at offset %d'
                  % (ord(bad.group()), bad.start()))
        for m in re.finditer(r'&#(x[0-9a-fA-F]+|[0-9]+);', text):
            ref = m.group(1)
            cp = int(ref[1:], 16) if ref[0] in 'xX' else int(ref)
            if (cp < 0x20 and cp not in (9, 10, 13)) or cp == 0xfffe or \
                    cp == 0xffff:
                r.add(path, 'ControlCharacter', 'document',
                      'character reference &#%s; is not allowed in XML 1.0'
                      % ref)
                break
        c1 = re.search('[\x80-\x9f\ufffd]', text)
        for m in re.finditer(r'&#(x[0-9a-fA-F]+|[0-9]+);', text):
            # the validator looks at the parsed text: a reference to one
            # is as bad as the character
            ref = m.group(1)
            cp = int(ref[1:], 16) if ref[0] in 'xX' else int(ref)
            if c1 is None and (0x80 <= cp <= 0x9f or cp == 0xfffd):
                r.add(path, 'BadCharacters', 'document',
                      '&#%s; at offset %d (mis-decoded text?)'
                      % (ref, m.start()))
                break
        twice = re.search('[\xc2\xc3][\x80-\xbf]', text)
        if twice:
            # base.py's characters(): a character from U+0080 to U+00BF
            # after U+00C2 or U+00C3 is UTF-8 read as Latin-1 (the
            # validator asks, besides, that the whole run of text be such)
            r.add(path, 'BadCharacters', 'document',
                  '%r at offset %d (UTF-8 read as Latin-1?)'
                  % (twice.group(), twice.start()))
        if c1:
            r.add(path, 'BadCharacters', 'document',
                  'U+%04X at offset %d (mis-decoded text?)'
                  % (ord(c1.group()), c1.start()))
        return text

    def run_xmllint(self, path, rng=None):
        cmd = [self.xmllint, '--noout', '--nonet']
        if rng:
            cmd += ['--relaxng', rng]
        cmd.append(path)
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            self.report.add(path, 'xmllint', 'cannot run %s' % self.xmllint,
                            str(e))
            return
        if p.returncode != 0:
            what = 'RELAX NG (RFC 4287)' if rng else 'well-formedness'
            msg = p.stderr.decode('utf-8', 'replace').strip()
            lines = [ln for ln in msg.splitlines()
                     if not ln.endswith(' validates')]
            self.report.add(path, 'xmllint', what,
                            ' | '.join(lines[:8]) or 'exit %d' % p.returncode)

    def parse_dom(self, path, data):
        try:
            doc = xml.dom.minidom.parseString(data)
        except (xml.parsers.expat.ExpatError, ValueError) as e:
            self.report.add(path, 'SAXError', 'document', str(e))
            return None
        mark_hexref_lines(doc, data)
        return doc

    def feedparser_checks(self, path, data, kind):
        r = self.report
        d = feedparser.parse(data)
        if d.get('bozo'):
            r.add(path, 'feedparser', 'bozo=1', repr(d.get('bozo_exception')))
        want = 'rss20' if kind == 'rss' else 'atom10'
        if d.get('version') != want:
            r.add(path, 'feedparser', 'version',
                  'detected %r, not %r' % (d.get('version'), want))
        # (an Atom entry's own author: feedparser, like newsboat and
        # sfeed, gives an entry none of the feed's)
        keys = ('title', 'id', 'link', 'published') + \
            (('author',) if kind == 'atom' else ())
        for i, e in enumerate(d.entries, 1):
            where = 'entry %d (%s)' % (i, e.get('title', '?'))
            for key in keys:
                if not e.get(key):
                    r.add(path, 'feedparser', where, 'no %s' % key)
            if e.get('published') and not e.get('published_parsed'):
                r.add(path, 'feedparser', where,
                      'cannot parse published date %r' % e.get('published'))
        return d

    def check_link_element(self, path, where, link, parent_kind, expect_self):
        """An atom:link, in RSS channel/item or Atom feed/entry."""
        r = self.report
        rel = attr(link, 'rel') or 'alternate'
        href = attr(link, 'href')
        if href is None:
            r.add(path, 'MissingHref', where, '<link> without href')
        registered = {'alternate', 'related', 'self', 'enclosure', 'via',
                      'hub', 'license', 'replies', 'edit', 'edit-media',
                      'first', 'last', 'next', 'previous', 'next-archive',
                      'prev-archive', 'current', 'payment', 'search',
                      'service', 'up', 'describedby'}
        if rel not in registered and not FULL_URI.match(rel):
            r.add(path, 'UnregisteredAtomLinkRel', where, 'rel=%r' % rel)
        ltype = attr(link, 'type')
        if ltype is not None and not MIME.match(ltype):
            r.add(path, 'InvalidMIMEType', where, 'type=%r' % ltype)
        hreflang = attr(link, 'hreflang')
        if hreflang is not None and not LANGUAGE.match(hreflang):
            r.add(path, 'InvalidLanguage', where, 'hreflang=%r' % hreflang)
        if text_of(link)[0].strip():
            r.add(path, 'AtomLinkNotEmpty', where)
        if href is not None:
            prob = check_uri(href, full=False)
            if prob:
                r.add(path, prob[0], where, prob[1])
            elif not SCHEME.match(href) and not self.has_base(link):
                if rel == 'self':
                    r.add(path, 'RelativeSelf', where, href)
                else:
                    r.add(path, 'ContainsRelRef', where,
                          'relative href=%r without xml:base' % href)
        if rel == 'self' and parent_kind in ('feed', 'channel'):
            if ltype is None or ltype.split(';')[0].strip() not in (
                    'application/atom+xml', 'application/rss+xml',
                    'application/rdf+xml'):
                r.add(path, 'SelfNotAtom', where, 'type=%r' % ltype)
            if href is not None and expect_self is not None:
                got = canonical_uri(href)
                if got is None or got != canonical_uri(expect_self):
                    r.add(path, 'SelfDoesntMatchLocation', where,
                          'self href %r, feed is fetched from %r'
                          % (href, expect_self))
        return rel, ltype, attr(link, 'hreflang')

    @staticmethod
    def has_base(el):
        while el is not None and el.nodeType == ELEMENT:
            if el.hasAttributeNS(XML_NS, 'base'):
                return True
            el = el.parentNode
        return False

    def check_alternates(self, path, where, links):
        seen = set()
        for rel, ltype, lang in links:
            if rel != 'alternate':
                continue
            key = (ltype, lang)
            if key in seen:
                self.report.add(path, 'DuplicateAtomLink', where,
                                'more than one rel="alternate" link with '
                                'type=%r hreflang=%r' % (ltype, lang))
            seen.add(key)

    def check_ev(self, path, where, el):
        """mod_event elements: W3C-DTF dates (the validator's
        InvalidISO8601DateTime), no duplicates."""
        r = self.report
        names = [c.localName for c in kids(el) if c.namespaceURI == EV_NS]
        for n in set(names):
            if names.count(n) > 1 and n in ('startdate', 'enddate', 'type'):
                r.add(path, 'DuplicateElement', where, 'ev:%s twice' % n)
        parsed = {}
        for n in ('startdate', 'enddate'):
            els = kids(el, EV_NS, n)
            if not els:
                continue
            value = text_of(els[0])[0]
            try:
                parsed[n] = parse_w3cdtf(value)
            except ValueError as e:
                r.add(path, 'InvalidISO8601DateTime', where,
                      'ev:%s %r: %s' % (n, value, e))
        if 'startdate' in parsed and 'enddate' in parsed:
            s, e = parsed['startdate'], parsed['enddate']
            if s[0] == e[0] and e[1] < s[1]:
                r.add(path, 'EventEndsBeforeStart', where,
                      'ev:enddate is before ev:startdate')
        for c in kids(el):
            if c.namespaceURI == EV_NS and c.localName not in (
                    'startdate', 'enddate', 'location', 'organizer', 'type'):
                r.add(path, 'UndefinedElement', where, 'ev:%s' % c.localName)
        return parsed

    def check_prefixes(self, path, doc):
        """Elements written with the usual prefixes must be in the right
        namespace, or readers will not find them."""
        expected = {'atom': ATOM_NS, 'ev': EV_NS, 'dc': DC_NS,
                    'content': CONTENT_NS}
        for el in doc.getElementsByTagName('*'):
            if el.prefix in expected and el.namespaceURI != expected[el.prefix]:
                self.report.add(path, 'UnknownNamespace', el.tagName,
                                'prefix %s is bound to %r, not %r'
                                % (el.prefix, el.namespaceURI,
                                   expected[el.prefix]))

    def check_html_value(self, path, where, value):
        for klass, detail in scan_html(value):
            self.report.add(path, klass, where, detail)

    # -- RSS 2.0 -----------------------------------------------------------

    CHANNEL_ELEMENTS = set('''title link description language copyright
    managingEditor webMaster pubDate lastBuildDate category generator docs
    cloud ttl image rating textInput skipHours skipDays item'''.split())
    ITEM_ELEMENTS = set('''title link description author category comments
    enclosure guid pubDate source'''.split())

    def check_rss(self, path, data, self_url):
        r = self.report
        self.raw_checks(path, data)
        self.run_xmllint(path)
        doc = self.parse_dom(path, data)
        fp = self.feedparser_checks(path, data, 'rss')
        if doc is None:
            return None
        self.check_prefixes(path, doc)
        root = doc.documentElement
        if root.namespaceURI or root.localName != 'rss':
            r.add(path, 'UndefinedElement', 'root',
                  'root is %s, not <rss>' % root.tagName)
            return None
        if root.getAttribute('version') != '2.0':
            r.add(path, 'InvalidRSSVersion', 'rss',
                  'version=%r' % root.getAttribute('version'))
        channels = kids(root, None, 'channel')
        if len(channels) != 1:
            r.add(path, 'MissingElement' if not channels else
                  'DuplicateElement', 'rss',
                  '%d <channel> elements' % len(channels))
            if not channels:
                return None
        ch = channels[0]

        def one(parent, where, name, required, klass):
            els = kids(parent, None, name)
            if len(els) > 1:
                r.add(path, 'DuplicateElement', where, '<%s> twice' % name)
            if not els:
                if required:
                    r.add(path, klass, where, 'no <%s>' % name)
                return None
            return els[0]

        for name, klass in (('title', 'MissingTitle'),
                            ('link', 'MissingLink'),
                            ('description', 'MissingDescription')):
            el = one(ch, 'channel', name, True, klass)
            if el is None:
                continue
            value, hexref = text_of(el)
            if not value.strip():
                r.add(path, 'NotBlank', 'channel/%s' % name)
            if name == 'link':
                prob = check_uri(value.strip())
                if prob:
                    r.add(path, prob[0], 'channel/link', prob[1])
            else:
                why = nonhtml_problem(value, hexref, True)
                if why:
                    r.add(path, 'ContainsHTML', 'channel/%s' % name, why)

        lang = one(ch, 'channel', 'language', False, None)
        if lang is not None and not LANGUAGE.match(text_of(lang)[0].strip()):
            r.add(path, 'InvalidLanguage', 'channel/language',
                  text_of(lang)[0])
        for name in ('pubDate', 'lastBuildDate'):
            el = one(ch, 'channel', name, False, None)
            if el is not None:
                prob = check_rfc822(text_of(el)[0], self.now)
                if prob:
                    r.add(path, prob[0], 'channel/%s' % name, prob[1])
        ttl = one(ch, 'channel', 'ttl', False, None)
        if ttl is not None and not re.match(r'^\s*[1-9]\d*\s*$',
                                            text_of(ttl)[0]):
            r.add(path, 'InvalidPositiveInteger', 'channel/ttl',
                  text_of(ttl)[0])
        for name in ('docs',):
            el = one(ch, 'channel', name, False, None)
            if el is not None:
                prob = check_uri(text_of(el)[0].strip())
                if prob:
                    r.add(path, prob[0], 'channel/%s' % name, prob[1])
        one(ch, 'channel', 'generator', False, None)
        for name in ('managingEditor', 'webMaster'):
            el = one(ch, 'channel', name, False, None)
            if el is not None:
                self.check_rss_email(path, 'channel/%s' % name, el)
        for pair in (('language', DC_NS, 'language'),
                     ('pubDate', DC_NS, 'date'),
                     ('managingEditor', DC_NS, 'creator'),
                     ('copyright', DC_NS, 'rights'),
                     ('lastBuildDate', DCTERMS_NS, 'modified')):
            if kids(ch, None, pair[0]) and kids(ch, pair[1], pair[2]):
                r.add(path, 'DuplicateSemantics', 'channel',
                      '<%s> and the Dublin Core %s' % (pair[0], pair[2]))

        # atom:link rel="self" and friends
        links = []
        for i, link in enumerate(kids(ch, ATOM_NS, 'link'), 1):
            links.append(self.check_link_element(
                path, 'channel/atom:link[%d]' % i, link, 'channel', self_url))
        if not any(rel == 'self' for rel, _, _ in links):
            r.add(path, 'MissingAtomSelfLink', 'channel',
                  'no <atom:link rel="self" href="%s" '
                  'type="application/rss+xml"/>' % self_url)
        self.check_alternates(path, 'channel', links)

        # element vocabulary and order
        seen_item = False
        for c in kids(ch):
            if c.namespaceURI in (None, ''):
                if c.localName not in self.CHANNEL_ELEMENTS:
                    r.add(path, 'UndefinedElement', 'channel',
                          '<%s>' % c.localName)
                if c.localName == 'item':
                    seen_item = True
                    continue
            if seen_item:
                r.add(path, 'MisplacedItem', 'channel',
                      '<%s> after the first <item>' % qname(c))

        items = kids(ch, None, 'item')
        guids = {}
        entries = []
        for i, item in enumerate(items, 1):
            entries.append(self.check_rss_item(path, i, item, guids))

        # feedparser must expose mod_event
        fp_entries = fp.entries if fp is not None else []
        for i, (item, e) in enumerate(zip(items, fp_entries), 1):
            sd = kids(item, EV_NS, 'startdate')
            if sd:
                want = text_of(sd[0])[0].strip()
                if e.get('ev_startdate', '').strip() != want:
                    r.add(path, 'feedparser', 'item %d' % i,
                          'ev_startdate is %r, the feed says %r'
                          % (e.get('ev_startdate'), want))
            # the event's kind: its first category, once
            types = kids(item, EV_NS, 'type')
            cats = kids(item, None, 'category')
            if sd and cats:
                want = text_of(cats[0])[0]
                if len(types) != 1 or text_of(types[0])[0] != want:
                    r.add(path, 'EventType', 'item %d' % i,
                          '%d <ev:type>, not one of the first category %r'
                          % (len(types), want))
                elif e.get('ev_type') != want:
                    r.add(path, 'feedparser', 'item %d' % i,
                          'ev_type is %r, the feed says %r'
                          % (e.get('ev_type'), want))
        return entries

    def check_rss_email(self, path, where, el):
        value = text_of(el)[0].strip()
        m = re.match(r'^([A-Za-z0-9_\-+.\']+@[A-Za-z0-9\-.]+\.[A-Za-z]{2,})'
                     r'( \(.+\))?$', value)
        if not m:
            self.report.add(path, 'InvalidContact', where,
                            '%r is not "address@example.org (Name)"' % value)
        elif not m.group(2):
            self.report.add(path, 'MissingRealName', where, value)

    def check_rss_item(self, path, i, item, guids):
        r = self.report
        titles = kids(item, None, 'title')
        label = text_of(titles[0])[0] if titles else '#%d' % i
        where = 'item %d (%s)' % (i, label[:50])
        for c in kids(item):
            if c.namespaceURI in (None, '') and \
                    c.localName not in self.ITEM_ELEMENTS:
                r.add(path, 'UndefinedElement', where, '<%s>' % c.localName)
        for name in ('title', 'link', 'description', 'guid', 'pubDate',
                     'comments', 'author', 'source'):
            if len(kids(item, None, name)) > 1:
                r.add(path, 'DuplicateElement', where, '<%s> twice' % name)
        if not titles and not kids(item, None, 'description'):
            r.add(path, 'ItemMustContainTitleOrDescription', where)
        out = {'title': None, 'start': None, 'pubdate': None}
        if titles:
            value, hexref = text_of(titles[0])
            out['title'] = value
            if not value.strip():
                r.add(path, 'NotBlank', where, 'empty <title>')
            why = nonhtml_problem(value, hexref, True)
            if why:
                r.add(path, 'ContainsHTML', where + '/title', why)
        links = kids(item, None, 'link')
        if links:
            prob = check_uri(text_of(links[0])[0].strip())
            if prob:
                r.add(path, prob[0], where + '/link', prob[1])
        for name in ('comments',):
            for el in kids(item, None, name):
                prob = check_uri(text_of(el)[0].strip())
                if prob:
                    r.add(path, prob[0], where + '/' + name, prob[1])
        for el in kids(item, None, 'description') + \
                kids(item, CONTENT_NS, 'encoded'):
            self.check_html_value(path, '%s/%s' % (where, qname(el)),
                                  text_of(el)[0])
        if kids(item, CONTENT_NS, 'encoded') and \
                not kids(item, None, 'description'):
            r.add(path, 'NeedDescriptionBeforeContent', where)
        for el in kids(item, None, 'category'):
            value, hexref = text_of(el)
            if not value.strip():
                r.add(path, 'NotBlank', where, 'empty <category>')
            why = nonhtml_problem(value, hexref, True)
            if why:
                r.add(path, 'ContainsHTML', where + '/category', why)
        for el in kids(item, None, 'author'):
            self.check_rss_email(path, where + '/author', el)
        for el in kids(item, None, 'enclosure'):
            self.check_enclosure(path, where, el)
        for el in kids(item, None, 'source'):
            url = attr(el, 'url')
            prob = check_uri(url or '')
            if prob:
                r.add(path, prob[0], where + '/source@url', prob[1])
            # item.py's source is nonhtml, as a title is
            value, hexref = text_of(el)
            why = nonhtml_problem(value, hexref, True)
            if why:
                r.add(path, 'ContainsHTML', where + '/source', why)

        pub = kids(item, None, 'pubDate')
        if pub:
            value = text_of(pub[0])[0]
            prob = check_rfc822(value, self.now)
            if prob:
                r.add(path, prob[0], where + '/pubDate', prob[1])
            parsed = email.utils.parsedate_tz(value)
            if parsed:
                out['pubdate'] = email.utils.mktime_tz(parsed)

        gl = kids(item, None, 'guid')
        if not gl:
            r.add(path, 'MissingGuid', where)
        else:
            self.check_guid(path, where, i, gl[0], guids)

        for pair in (('author', DC_NS, 'creator'),
                     ('category', DC_NS, 'subject'),
                     ('pubDate', DC_NS, 'date'),
                     ('guid', ATOM_NS, 'id'),
                     ('pubDate', ATOM_NS, 'published')):
            if kids(item, None, pair[0]) and kids(item, pair[1], pair[2]):
                r.add(path, 'DuplicateItemSemantics', where,
                      '<%s> and %s' % (pair[0], pair[2]))
        for name in ('title', 'content'):
            if kids(item, ATOM_NS, name):
                r.add(path, 'DuplicateDescriptionSemantics', where,
                      'atom:%s in an RSS item' % name)

        alinks = [self.check_link_element(path, where + '/atom:link', ln,
                                          'item', None)
                  for ln in kids(item, ATOM_NS, 'link')]
        self.check_alternates(path, where, alinks)
        ev = self.check_ev(path, where, item)
        out['start'] = ev.get('startdate')
        return out

    def check_enclosure(self, path, where, el):
        r = self.report
        url = attr(el, 'url')
        if url is None:
            r.add(path, 'MissingAttribute', where + '/enclosure', 'url')
        elif not re.match(r'^https?://[^/]', url, re.I):
            r.add(path, 'InvalidURLAttribute', where + '/enclosure', url)
        length = attr(el, 'length')
        if length is None:
            r.add(path, 'MissingAttribute', where + '/enclosure', 'length')
        elif not re.match(r'^\d+$', length):
            r.add(path, 'InvalidIntegerAttribute', where + '/enclosure',
                  'length=%r' % length)
        etype = attr(el, 'type')
        if etype is None:
            r.add(path, 'MissingAttribute', where + '/enclosure', 'type')
        elif not MIME.match(etype):
            r.add(path, 'InvalidMIMEAttribute', where + '/enclosure', etype)

    def check_guid(self, path, where, index, el, guids):
        r = self.report
        value = text_of(el)[0]
        perma = attr(el, 'isPermaLink')
        if perma is not None and perma not in ('true', 'false'):
            r.add(path, 'InvalidBooleanAttribute', where + '/guid',
                  'isPermaLink=%r' % perma)
        if not value.strip():
            r.add(path, 'NotBlank', where, 'empty <guid>')
        elif value in guids:
            r.add(path, 'DuplicateValue', where + '/guid',
                  '%r is also the guid of item %d' % (value, guids[value]))
        else:
            guids[value] = index
        if perma != 'false':
            low = value.lower()
            if low.startswith('tag:') or low.startswith('urn:uuid:'):
                r.add(path, 'InvalidPermalink', where + '/guid',
                      '%r is not a URL; add isPermaLink="false"' % value)
                return
            prob = check_uri(value)
            if prob:
                klass = 'InvalidHttpGUID' if prob[0] in (
                    'InvalidFullLink', 'InvalidUriChar') else prob[0]
                r.add(path, klass, where + '/guid',
                      '%s (guid is a permalink unless isPermaLink="false")'
                      % prob[1])
        else:
            if len(value) < 9 and value.isdigit():
                r.add(path, 'NotSufficientlyUnique', where + '/guid', value)
            if SCHEME.match(value):
                prob = check_uri(value)
                if prob and prob[0] in ('InvalidTAG', 'InvalidUUID',
                                        'InvalidURN'):
                    r.add(path, prob[0], where + '/guid', prob[1])

    # -- Atom 1.0 ----------------------------------------------------------

    FEED_ELEMENTS = set('''author category contributor generator icon id
    link logo rights subtitle title updated entry'''.split())
    ENTRY_ELEMENTS = set('''author category content contributor id link
    published rights source summary title updated'''.split())

    def check_atom(self, path, data, self_url):
        r = self.report
        self.raw_checks(path, data)
        self.run_xmllint(path)
        if self.atom_rng:
            self.run_xmllint(path, self.atom_rng)
        doc = self.parse_dom(path, data)
        self.feedparser_checks(path, data, 'atom')
        if doc is None:
            return None
        self.check_prefixes(path, doc)
        feed = doc.documentElement
        if feed.namespaceURI != ATOM_NS or feed.localName != 'feed':
            r.add(path, 'UndefinedElement', 'root',
                  'root is {%s}%s, not Atom <feed>'
                  % (feed.namespaceURI, feed.localName))
            return None

        for el in [feed] + list(feed.getElementsByTagName('*')):
            if el.hasAttributeNS(XML_NS, 'lang'):
                lang = el.getAttributeNS(XML_NS, 'lang')
                if not LANGUAGE.match(lang):
                    r.add(path, 'InvalidLanguage', el.tagName,
                          'xml:lang=%r' % lang)
        seen_entry = False
        for c in kids(feed):
            if c.namespaceURI == ATOM_NS:
                if c.localName not in self.FEED_ELEMENTS:
                    r.add(path, 'UndefinedElement', 'feed',
                          '<%s>' % c.localName)
                if c.localName == 'entry':
                    seen_entry = True
                    continue
            if seen_entry:
                r.add(path, 'MisplacedMetadata', 'feed',
                      '<%s> after the first <entry>' % qname(c))

        for name in ('id', 'title', 'updated'):
            n = len(kids(feed, ATOM_NS, name))
            if n == 0:
                r.add(path, 'MissingElement', 'feed', 'no <%s>' % name)
            elif n > 1:
                r.add(path, 'DuplicateElement', 'feed', '<%s> twice' % name)
        for name in ('subtitle', 'rights', 'generator', 'icon', 'logo'):
            if len(kids(feed, ATOM_NS, name)) > 1:
                r.add(path, 'DuplicateElement', 'feed', '<%s> twice' % name)
        self.check_atom_common(path, 'feed', feed)
        feed_authors = kids(feed, ATOM_NS, 'author')

        links = []
        for i, link in enumerate(kids(feed, ATOM_NS, 'link'), 1):
            links.append(self.check_link_element(
                path, 'feed/link[%d]' % i, link, 'feed', self_url))
        if not any(rel == 'self' for rel, _, _ in links):
            r.add(path, 'MissingSelf', 'feed',
                  'no <link rel="self" href="%s" '
                  'type="application/atom+xml"/>' % self_url)
        self.check_alternates(path, 'feed', links)

        ids = {}
        updated = {}
        entries = []
        for i, entry in enumerate(kids(feed, ATOM_NS, 'entry'), 1):
            entries.append(self.check_atom_entry(path, i, entry, bool(
                feed_authors), ids, updated))
        return entries

    def check_atom_common(self, path, where, el):
        """Children shared by feed and entry: id, title, updated, author,
        text constructs, category."""
        r = self.report
        for idel in kids(el, ATOM_NS, 'id'):
            value = text_of(idel)[0]
            if value != value.strip():
                r.add(path, 'UnexpectedWhitespace', where + '/id', repr(value))
            value = value.strip()
            prob = check_uri(value)
            if prob:
                r.add(path, prob[0], where + '/id', prob[1])
            elif canonical_uri(value) != value:
                r.add(path, 'NonCanonicalURI', where + '/id',
                      '%s (canonical: %s)' % (value, canonical_uri(value)))
        for name in ('updated', 'published'):
            for d in kids(el, ATOM_NS, name):
                value = text_of(d)[0]
                if value != value.strip():
                    r.add(path, 'UnexpectedWhitespace', '%s/%s'
                          % (where, name), repr(value))
                prob = check_rfc3339(value.strip(), self.now)
                if prob:
                    r.add(path, prob[0], '%s/%s' % (where, name), prob[1])
        for name in ('title', 'subtitle', 'rights', 'summary', 'content'):
            for t in kids(el, ATOM_NS, name):
                self.check_text_construct(path, '%s/%s' % (where, name), t,
                                          content=(name == 'content'))
        for a in kids(el, ATOM_NS, 'author') + \
                kids(el, ATOM_NS, 'contributor'):
            self.check_person(path, '%s/%s' % (where, a.localName), a)
        for c in kids(el, ATOM_NS, 'category'):
            if not attr(c, 'term'):
                r.add(path, 'MissingAttribute', where + '/category', 'term')
            scheme = attr(c, 'scheme')
            if scheme is not None:
                prob = check_uri(scheme, full=False)
                if prob:
                    r.add(path, prob[0], where + '/category@scheme', prob[1])

    def check_person(self, path, where, person):
        r = self.report
        names = kids(person, ATOM_NS, 'name')
        if len(names) != 1 or not text_of(names[0])[0].strip():
            r.add(path, 'MissingElement', where, 'needs one non-empty <name>')
        for n in names:
            # validators.py's nonemail: an address in angle brackets in a
            # name is a warning (it belongs in <email>).
            m = BRACKETED_EMAIL.search(text_of(n)[0])
            if m:
                r.add(path, 'ContainsEmail', where + '/name', m.group(0))
        for e in kids(person, ATOM_NS, 'email'):
            if not re.match(r'^[A-Za-z0-9_\-+.\']+@[A-Za-z0-9\-.]+'
                            r'\.[A-Za-z]{2,}$', text_of(e)[0].strip()):
                r.add(path, 'InvalidAddrSpec', where + '/email',
                      text_of(e)[0])
        for u in kids(person, ATOM_NS, 'uri'):
            prob = check_uri(text_of(u)[0].strip(), full=False)
            if prob:
                r.add(path, prob[0], where + '/uri', prob[1])

    def check_text_construct(self, path, where, el, content=False):
        r = self.report
        ttype = attr(el, 'type') or 'text'
        src = attr(el, 'src')
        if src is not None:
            if not content:
                r.add(path, 'UnexpectedAttribute', where, 'src')
            prob = check_uri(src, full=False)
            if prob:
                r.add(path, prob[0], where + '@src', prob[1])
            return
        if ttype not in ('text', 'html', 'xhtml'):
            if not content or not MIME.match(ttype):
                r.add(path, 'InvalidTextType' if not content else
                      'InvalidMIMEType', where, 'type=%r' % ttype)
            return
        value, hexref = text_of(el)
        if ttype == 'xhtml':
            divs = kids(el)
            if len(divs) != 1 or divs[0].namespaceURI != XHTML_NS or \
                    divs[0].localName != 'div' or \
                    any(c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE) and
                        c.data.strip() for c in el.childNodes):
                r.add(path, 'MissingXhtmlDiv', where)
            else:
                self.check_html_value(path, where, divs[0].toxml())
        elif ttype == 'html':
            self.check_html_value(path, where, value)
        else:
            why = nonhtml_problem(value, hexref, False)
            if why:
                r.add(path, 'ContainsUndeclaredHTML', where, why)
        if not value.strip() and not kids(el):
            r.add(path, 'NotBlank', where)

    def check_atom_entry(self, path, i, entry, feed_has_author, ids, updated):
        r = self.report
        titles = kids(entry, ATOM_NS, 'title')
        label = text_of(titles[0])[0] if titles else '#%d' % i
        where = 'entry %d (%s)' % (i, label[:50])
        out = {'title': label if titles else None, 'pubdate': None,
               'start': None}
        for c in kids(entry):
            if c.namespaceURI == ATOM_NS and \
                    c.localName not in self.ENTRY_ELEMENTS:
                r.add(path, 'UndefinedElement', where, '<%s>' % c.localName)
        for name in ('id', 'title', 'updated'):
            n = len(kids(entry, ATOM_NS, name))
            if n == 0:
                r.add(path, 'MissingElement', where, 'no <%s>' % name)
            elif n > 1:
                r.add(path, 'DuplicateElement', where, '<%s> twice' % name)
        for name in ('published', 'content', 'summary', 'rights', 'source'):
            if len(kids(entry, ATOM_NS, name)) > 1:
                r.add(path, 'DuplicateElement', where, '<%s> twice' % name)
        for src in kids(entry, ATOM_NS, 'source'):
            # feed.py's source.validate_metadata(): a copied entry's
            # <source> without the source feed's id, title or updated
            # (RFC 4287 4.2.11: SHOULD be preserved) is a warning.
            for name in ('id', 'title', 'updated'):
                if not kids(src, ATOM_NS, name):
                    r.add(path, 'MissingSourceElement', where + '/source',
                          'no <%s>' % name)
            self.check_atom_common(path, where + '/source', src)
        if not feed_has_author and not kids(entry, ATOM_NS, 'author'):
            r.add(path, 'MissingElement', where,
                  'no <author> here and none on the feed')
        self.check_atom_common(path, where, entry)

        for idel in kids(entry, ATOM_NS, 'id')[:1]:
            value = text_of(idel)[0].strip()
            if value in ids:
                r.add(path, 'DuplicateEntries', where,
                      'id %r is also the id of entry %d' % (value, ids[value]))
            else:
                ids[value] = i
        for up in kids(entry, ATOM_NS, 'updated')[:1]:
            value = text_of(up)[0].strip()
            if value in updated:
                r.add(path, 'DuplicateUpdated', where,
                      'updated %s equals that of entry %d'
                      % (value, updated[value]))
            else:
                updated[value] = i
        for name in ('published', 'updated'):
            els = kids(entry, ATOM_NS, name)
            if els and out['pubdate'] is None:
                m = RFC3339.match(text_of(els[0])[0].strip())
                if m:
                    try:
                        out['pubdate'] = parse_instant(
                            m.group(1, 2, 3),
                            tuple(int(x) for x in m.group(4, 5, 6)),
                            m.group(8))
                    except ValueError:
                        pass

        links = [self.check_link_element(path, where + '/link', ln, 'entry',
                                         None)
                 for ln in kids(entry, ATOM_NS, 'link')]
        self.check_alternates(path, where, links)
        contents = kids(entry, ATOM_NS, 'content')
        if contents:
            c = contents[0]
            ctype = attr(c, 'type') or 'text'
            if not kids(entry, ATOM_NS, 'summary') and (
                    attr(c, 'src') is not None or (
                        '/' in ctype and not (
                            ctype.endswith('+xml') or
                            ctype.endswith('/xml') or
                            ctype.startswith('text/')))):
                r.add(path, 'MissingSummary', where)
        else:
            if not kids(entry, ATOM_NS, 'summary'):
                r.add(path, 'MissingTextualContent', where,
                      'neither <content> nor <summary>')
            if not any(rel == 'alternate' for rel, _, _ in links):
                r.add(path, 'MissingContentOrAlternate', where)
        ev = self.check_ev(path, where, entry)
        out['start'] = ev.get('startdate')
        return out


# -------------------------------------------------- cross-feed expectations

def strip_cancelled(title):
    return re.sub(r'^\s*cancell?ed:\s*', '', title or '', flags=re.I).strip()


def check_order(report, path, entries, what):
    """Newest listings first, by publication date."""
    dates = [e['pubdate'] for e in entries if e['pubdate'] is not None]
    for i in range(1, len(dates)):
        if dates[i] > dates[i - 1]:
            report.add(path, 'NotNewestFirst', '%s %d' % (what, i + 1),
                       'published after the %s before it' % what)
            return


def check_expectations(report, args, rss_entries, atom_entries):
    if rss_entries is not None and atom_entries is not None:
        rt = sorted(e['title'] or '' for e in rss_entries)
        at = sorted(e['title'] or '' for e in atom_entries)
        if rt != at:
            only_r = sorted(set(rt) - set(at))
            only_a = sorted(set(at) - set(rt))
            report.add(args.rss, 'FeedsDisagree', 'titles',
                       'RSS has %d items, Atom %d entries; only in RSS: %r; '
                       'only in Atom: %r' % (len(rt), len(at), only_r[:5],
                                             only_a[:5]))
    if not args.expect_titles_from:
        return
    try:
        with open(args.expect_titles_from, encoding='utf-8') as f:
            events = [json.loads(ln) for ln in f if ln.strip()]
    except (OSError, ValueError) as e:
        report.add(args.expect_titles_from, 'Expectations', 'cannot read',
                   str(e))
        return
    for path, entries, kind in ((args.rss, rss_entries, 'rss'),
                                (args.atom, atom_entries, 'atom')):
        if entries is None:
            continue
        by_title = {}
        for e in entries:
            by_title.setdefault(strip_cancelled(e['title']), []).append(e)
        full = len(entries) >= args.max_items
        # A partner's series that evfeed expanded is one item in the
        # feeds and one event per occurrence in the calendar: the item
        # starts when one of them does.
        same_title = {}
        for ev in events:
            if not ev.get('recurrence_id'):
                same_title.setdefault(strip_cancelled(ev.get('summary')),
                                      []).append(ev)
        for title, group in sorted(same_title.items()):
            found = by_title.get(title)
            if kind != 'rss' or not found or len(found) >= len(group):
                continue
            for e in found:
                if not any(start_matches(ev, e['start']) for ev in group):
                    report.add(path, 'EventStartDiffers', repr(title),
                               'ev:startdate is none of the starts of '
                               'the %d calendar events of this title'
                               % len(group))
        for ev in events:
            if ev.get('recurrence_id'):
                continue
            title = strip_cancelled(ev.get('summary'))
            found = by_title.get(title)
            if found and len(found) < len(same_title[title]):
                continue
            if not found:
                if not full:
                    report.add(path, 'MissingEvent', repr(title),
                               'event %s of the calendar has no %s'
                               % (ev.get('uid'), 'item' if kind == 'rss'
                                  else 'entry'))
                continue
            if kind != 'rss':
                continue
            start = ev.get('start_utc')
            if not start:
                continue
            if not any(e['start'] for e in found):
                report.add(path, 'MissingEventStart', repr(title),
                           'the calendar has a start (%s), the item has no '
                           'ev:startdate' % start)
                continue
            if not any(start_matches(ev, e['start']) for e in found):
                report.add(path, 'EventStartDiffers', repr(title),
                           'ev:startdate is not the calendar start %s'
                           % start)


def start_matches(ev, item_start):
    """Whether an item's ev:startdate (kind, value) is the calendar
    event @ev's start."""
    start = ev.get('start_utc')
    if not start or not item_start:
        return False
    kind_, value = item_start
    if ev.get('allday'):
        if kind_ == 'date':
            return value == start
        day = datetime.datetime.fromtimestamp(
            value, datetime.timezone.utc).date().isoformat()
        return day == start
    if kind_ == 'instant':
        return value == calendar.timegm(time.strptime(
            start, '%Y-%m-%dT%H:%M:%SZ'))
    return False


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--rss')
    ap.add_argument('--atom')
    ap.add_argument('--self-rss')
    ap.add_argument('--self-atom')
    ap.add_argument('--expect-titles-from')
    ap.add_argument('--max-items', type=int, default=50)
    ap.add_argument('--xmllint', default=os.environ.get('XMLLINT') or
                    'xmllint')
    ap.add_argument('--atom-rng', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'atom.rng'))
    args = ap.parse_args(argv[1:])
    if not args.rss and not args.atom:
        ap.error('give --rss FILE and/or --atom FILE')
    if args.rss and not args.self_rss:
        ap.error('--rss needs --self-rss URL')
    if args.atom and not args.self_atom:
        ap.error('--atom needs --self-atom URL')

    report = Report()
    if not os.path.exists(args.atom_rng):
        report.add(args.atom_rng, 'xmllint', 'schema', 'not found')
        args.atom_rng = None
    checker = FeedChecker(report, time.time(), args.xmllint, args.atom_rng)
    rss_entries = atom_entries = None
    for path, kind in ((args.rss, 'rss'), (args.atom, 'atom')):
        if not path:
            continue
        try:
            with open(path, 'rb') as f:
                data = f.read()
        except OSError as e:
            report.add(path, 'IOError', 'cannot read', str(e))
            continue
        if kind == 'rss':
            rss_entries = checker.check_rss(path, data, args.self_rss)
            if rss_entries:
                check_order(report, path, rss_entries, 'item')
        else:
            atom_entries = checker.check_atom(path, data, args.self_atom)
            if atom_entries:
                check_order(report, path, atom_entries, 'entry')
    check_expectations(report, args, rss_entries, atom_entries)

    for p in report.problems:
        sys.stderr.write(p + '\n')
    return 1 if report.problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
