#!/usr/bin/python3
"""Check a JSON Feed against the rules of JSON Feed 1.1
(https://www.jsonfeed.org/version/1.1/), with nothing but the standard
library, since the feed readers tested elsewhere do not read JSON Feed.

usage: check_jsonfeed.py FILE...

The rules checked:

- the file is UTF-8 JSON whose top level is an object;
- "version" is "https://jsonfeed.org/version/1.1", "title" a non-empty
  string, "items" an array; "home_page_url" and "feed_url" (strongly
  recommended) are there;
- every URL (home_page_url, feed_url, next_url, icon, favicon, author and
  item URLs, images, attachment URLs, hub URLs) is absolute http(s);
- "authors" is an array of objects with a name, url or avatar; the 1.0
  "author" is not used;
- every item has an "id" that is a non-empty string, unique in the feed,
  and content_html or content_text; date_published and date_modified are
  RFC 3339 date-times; tags is an array of strings; every attachment has
  a url and a mime_type;
- every member that JSON Feed does not define is an extension: its name
  starts with '_', and an extension object's "about", if there, is an
  absolute URL.

Problems go to stderr as "FILE: where: problem"; the exit status is 1 if
there is any, 2 on a usage error.
"""

import datetime
import json
import re
import sys
import urllib.parse

VERSION = 'https://jsonfeed.org/version/1.1'

FEED_KEYS = {'version', 'title', 'home_page_url', 'feed_url', 'description',
             'user_comment', 'next_url', 'icon', 'favicon', 'authors',
             'author', 'language', 'expired', 'hubs', 'items'}
ITEM_KEYS = {'id', 'url', 'external_url', 'title', 'content_html',
             'content_text', 'summary', 'image', 'banner_image',
             'date_published', 'date_modified', 'authors', 'author', 'tags',
             'language', 'attachments'}
AUTHOR_KEYS = {'name', 'url', 'avatar'}
ATTACHMENT_KEYS = {'url', 'mime_type', 'title', 'size_in_bytes',
                   'duration_in_seconds'}
HUB_KEYS = {'type', 'url'}

RFC3339 = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})'
                     r'(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$')
LANGUAGE = re.compile(r'^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$')
MIME_TYPE = re.compile(r'^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+'
                       r'(\s*;.*)?$')


def json_type(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'a boolean'
    if isinstance(v, (int, float)):
        return 'a number'
    if isinstance(v, list):
        return 'an array'
    if isinstance(v, dict):
        return 'an object'
    return 'a string'


class Checker:
    def __init__(self, path):
        self.path = path
        self.problems = []

    def problem(self, where, what):
        self.problems.append('%s: %s: %s' % (self.path, where, what))

    # ---------------------------------------------------------- values

    def string(self, obj, key, where, required=False, empty_ok=False):
        if key not in obj:
            if required:
                self.problem(where, '"%s" is required' % key)
            return None
        v = obj[key]
        if not isinstance(v, str):
            self.problem(where, '"%s" is not a string' % key)
            return None
        if not v and not empty_ok:
            self.problem(where, '"%s" is empty' % key)
        return v

    def url(self, obj, key, where, required=False):
        v = self.string(obj, key, where, required)
        if v is None:
            return None
        u = urllib.parse.urlsplit(v)
        if u.scheme not in ('http', 'https') or not u.netloc:
            self.problem(where, '"%s" is not an absolute http(s) URL: %r'
                         % (key, v))
        elif re.search(r'[\s<>"{}|\\^`]', v):
            self.problem(where, '"%s" has characters a URL may not hold: %r'
                         % (key, v))
        return v

    def date(self, obj, key, where):
        v = self.string(obj, key, where)
        if v is None:
            return
        m = RFC3339.match(v)
        if not m:
            self.problem(where, '"%s" is not an RFC 3339 date-time: %r'
                         % (key, v))
            return
        try:
            datetime.datetime.fromisoformat(
                v.upper().replace('Z', '+00:00'))
        except ValueError as e:
            self.problem(where, '"%s" is not a valid date-time: %r (%s)'
                         % (key, v, e))

    def extensions(self, obj, known, where):
        """Members JSON Feed does not define must be '_' extensions."""
        for key, value in obj.items():
            if key in known:
                continue
            if not key.startswith('_'):
                self.problem(where, 'unknown member "%s" (extensions start '
                             'with "_")' % key)
            elif isinstance(value, dict) and 'about' in value:
                self.url(value, 'about', '%s.%s' % (where, key))

    def authors(self, obj, where):
        if 'author' in obj:
            self.problem(where, '"author" is JSON Feed 1.0, deprecated in '
                         '1.1: use "authors"')
        if 'authors' not in obj:
            return
        authors = obj['authors']
        if not isinstance(authors, list) or not authors:
            self.problem(where, '"authors" is not a non-empty array')
            return
        for i, a in enumerate(authors):
            w = '%s.authors[%d]' % (where, i)
            if not isinstance(a, dict):
                self.problem(w, 'not an object')
                continue
            if not any(k in a for k in AUTHOR_KEYS):
                self.problem(w, 'needs a name, url or avatar')
            self.string(a, 'name', w)
            self.url(a, 'url', w)
            self.url(a, 'avatar', w)
            self.extensions(a, AUTHOR_KEYS, w)

    # ------------------------------------------------------------ feed

    def feed(self, doc):
        if not isinstance(doc, dict):
            self.problem('top level', 'not an object')
            return
        where = 'feed'
        version = self.string(doc, 'version', where, required=True)
        if version is not None and version != VERSION:
            self.problem(where, '"version" is %r, not %r' % (version, VERSION))
        self.string(doc, 'title', where, required=True)
        if 'home_page_url' not in doc:
            self.problem(where, '"home_page_url" is missing (strongly '
                         'recommended)')
        if 'feed_url' not in doc:
            self.problem(where, '"feed_url" is missing (strongly '
                         'recommended)')
        for key in ('home_page_url', 'feed_url', 'next_url', 'icon',
                    'favicon'):
            self.url(doc, key, where)
        self.string(doc, 'description', where)
        self.string(doc, 'user_comment', where)
        language = self.string(doc, 'language', where)
        if language is not None and not LANGUAGE.match(language):
            self.problem(where, '"language" is not a language tag: %r'
                         % language)
        if 'expired' in doc and not isinstance(doc['expired'], bool):
            self.problem(where, '"expired" is not a boolean')
        self.authors(doc, where)
        if 'hubs' in doc:
            if not isinstance(doc['hubs'], list):
                self.problem(where, '"hubs" is not an array')
            else:
                for i, h in enumerate(doc['hubs']):
                    w = 'hubs[%d]' % i
                    if not isinstance(h, dict):
                        self.problem(w, 'not an object')
                        continue
                    self.string(h, 'type', w, required=True)
                    self.url(h, 'url', w, required=True)
                    self.extensions(h, HUB_KEYS, w)
        self.extensions(doc, FEED_KEYS, where)

        items = doc.get('items')
        if not isinstance(items, list):
            self.problem(where, '"items" is required and must be an array')
            return
        ids = {}
        for i, it in enumerate(items):
            self.item(it, i, ids)

    def item(self, it, i, ids):
        where = 'items[%d]' % i
        if not isinstance(it, dict):
            self.problem(where, 'not an object')
            return
        if 'id' not in it:
            self.problem(where, '"id" is required')
        elif not isinstance(it['id'], str):
            self.problem(where, '"id" is %s, not a string'
                         % json_type(it['id']))
        elif not it['id']:
            self.problem(where, '"id" is empty')
        elif it['id'] in ids:
            self.problem(where, '"id" %r is also the id of items[%d]'
                         % (it['id'], ids[it['id']]))
        else:
            ids[it['id']] = i
            where = 'items[%d] (%s)' % (i, it['id'])
        html = self.string(it, 'content_html', where, empty_ok=True)
        text = self.string(it, 'content_text', where, empty_ok=True)
        if html is None and text is None:
            self.problem(where, 'needs content_html or content_text')
        for key in ('url', 'external_url', 'image', 'banner_image'):
            self.url(it, key, where)
        for key in ('title', 'summary'):
            self.string(it, key, where, empty_ok=True)
        for key in ('date_published', 'date_modified'):
            self.date(it, key, where)
        language = self.string(it, 'language', where)
        if language is not None and not LANGUAGE.match(language):
            self.problem(where, '"language" is not a language tag: %r'
                         % language)
        if 'tags' in it:
            tags = it['tags']
            if (not isinstance(tags, list) or
                    not all(isinstance(t, str) and t for t in tags)):
                self.problem(where, '"tags" is not an array of non-empty '
                             'strings')
        self.authors(it, where)
        if 'attachments' in it:
            self.attachments(it['attachments'], where)
        self.extensions(it, ITEM_KEYS, where)

    def attachments(self, attachments, where):
        if not isinstance(attachments, list):
            self.problem(where, '"attachments" is not an array')
            return
        for k, a in enumerate(attachments):
            w = '%s.attachments[%d]' % (where, k)
            if not isinstance(a, dict):
                self.problem(w, 'not an object')
                continue
            self.url(a, 'url', w, required=True)
            mime = self.string(a, 'mime_type', w, required=True)
            if mime is not None and not MIME_TYPE.match(mime):
                self.problem(w, '"mime_type" is not a media type: %r' % mime)
            self.string(a, 'title', w)
            for key in ('size_in_bytes', 'duration_in_seconds'):
                v = a.get(key)
                if v is not None and (isinstance(v, bool) or
                                      not isinstance(v, (int, float)) or
                                      v < 0):
                    self.problem(w, '"%s" is not a non-negative number'
                                 % key)
            self.extensions(a, ATTACHMENT_KEYS, w)


def check(path):
    c = Checker(path)
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError as e:
        c.problem('file', 'cannot read: %s' % e.strerror)
        return c.problems
    if raw.startswith(b'\xef\xbb\xbf'):
        c.problem('file', 'starts with a UTF-8 byte order mark')
        raw = raw[3:]
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        c.problem('file', 'not UTF-8: %s' % e)
        return c.problems
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        c.problem('file', 'not JSON: %s' % e)
        return c.problems
    c.feed(doc)
    return c.problems


def main(argv):
    if not argv or any(a.startswith('-') for a in argv):
        sys.stderr.write('usage: check_jsonfeed.py FILE...\n')
        return 2
    problems = []
    for path in argv:
        problems += check(path)
    for p in problems:
        sys.stderr.write(p + '\n')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
