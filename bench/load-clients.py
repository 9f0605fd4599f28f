#!/usr/bin/env python3
"""The clients of bench/load besides wrk: python3 standard library only
(and the icalendar package, when the interpreter has it).

    load-clients.py halfopen --port P --count N --ready FILE --out FILE
    load-clients.py check --port P --event SLUG --categories A,B,... --out FILE
    load-clients.py churn --pid PID --file EVENT.md --out FILE
    load-clients.py ical --out FILE BODY...

halfopen: keeps COUNT connections that sent half a request ("GET
/calendar.ics HTTP/1.1", a Host header and no blank line) and then stall.
When the server closes one, the time since its connect is recorded and a new
one takes its place at once, so COUNT stay open until SIGTERM. FILE gets a
JSON summary.

check: polls the published feeds and calendars about every 0.2 s (one
keep-alive connection per path set, as a subscriber would) and checks every
answer: status 200, Content-Length equal to the body read, gzip when asked,
and a body that parses completely (iCalendar structure and CRLF lines, XML
with xml.etree, JSON with json). A strong ETag must always name the same
bytes, and the number of items of a path (VEVENTs, <item>s, <entry>s, JSON
items) must not change, since the edits made during the run change titles
only. Each distinct .ics body is kept and parsed with icalendar after the
load ("ical" subcommand, in a separate process). Runs until SIGTERM.

churn: every second rewrites one event file with a new title, alternately
through a temporary file and rename(2) and in place (truncate and write the
same inode); every tenth edit has an invalid start date, which evfeed must
refuse while it keeps serving the last good version. Every two seconds
(offset by half a second) sends SIGHUP to PID. On SIGTERM it writes a
final valid version and its summary, with the last title written.
"""

import argparse
import collections
import gzip
import hashlib
import http.client
import json
import os
import re
import selectors
import signal
import socket
import statistics
import sys
import threading
import time
import xml.etree.ElementTree as ET

stopping = threading.Event()


def on_term(signum, frame):
    stopping.set()


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
    os.rename(tmp, path)


def summary_of(values):
    if not values:
        return None
    return {
        "n": len(values),
        "min": round(min(values), 3),
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
    }


# --- halfopen ---------------------------------------------------------------

def halfopen(args):
    request = b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n"
    sel = selectors.DefaultSelector()
    opened_at = {}
    stats = {
        "connects": 0,
        "connect_failures": 0,
        "connect_errors": collections.Counter(),
        "closed_by_server": 0,
        "reset_by_server": 0,
        "answered": collections.Counter(),  # first line of what the server sent
    }
    close_after = []

    def open_one():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.settimeout(10)
            s.connect((args.host, args.port))
            s.sendall(request)
            s.setblocking(False)
        except OSError as e:
            stats["connect_failures"] += 1
            stats["connect_errors"][type(e).__name__] += 1
            s.close()
            return False
        stats["connects"] += 1
        opened_at[s] = time.monotonic()
        sel.register(s, selectors.EVENT_READ, bytearray())
        return True

    signal.signal(signal.SIGTERM, on_term)
    failures = 0
    while len(opened_at) < args.count and failures < 100:
        if not open_one():
            failures += 1
            time.sleep(0.05)
    with open(args.ready, "w") as f:
        f.write("%d\n" % len(opened_at))

    while not stopping.is_set():
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                data = None
            if data:
                key.data.extend(data[: 4096 - len(key.data)])
                continue
            # EOF or reset: the server closed it.
            stats["closed_by_server"] += 1
            if data is None:
                stats["reset_by_server"] += 1
            close_after.append(time.monotonic() - opened_at.pop(s))
            if key.data:
                first = bytes(key.data).split(b"\r\n", 1)[0]
                stats["answered"][first.decode("latin-1")[:60]] += 1
            sel.unregister(s)
            s.close()
            open_one()
        # Keep the count up when a reconnect failed.
        while len(opened_at) < args.count and not stopping.is_set():
            if not open_one():
                break

    stats["open_at_end"] = len(opened_at)
    now = time.monotonic()
    stats["oldest_open_s"] = round(max((now - t for t in opened_at.values()), default=0), 3)
    stats["close_after_s"] = summary_of(close_after)
    stats["connect_errors"] = dict(stats["connect_errors"])
    stats["answered"] = dict(stats["answered"])
    write_json(args.out, stats)
    for s in list(opened_at):
        s.close()


# --- check ------------------------------------------------------------------

def ics_check(body):
    """A complete iCalendar stream: returns (ok, why, number of VEVENTs)."""
    if not body.startswith(b"BEGIN:VCALENDAR\r\n"):
        return False, "does not start with BEGIN:VCALENDAR CRLF", 0
    if not body.endswith(b"END:VCALENDAR\r\n"):
        return False, "does not end with END:VCALENDAR CRLF", 0
    if body.count(b"\n") != body.count(b"\r\n"):
        return False, "a line ends with a bare LF", 0
    stack = []
    events = 0
    unfolded = body[:-2].replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    for line in unfolded.split(b"\r\n"):
        if b":" not in line:
            return False, "a content line without ':': %r" % line[:60], 0
        if line.startswith(b"BEGIN:"):
            stack.append(line[6:])
            if line == b"BEGIN:VEVENT":
                events += 1
        elif line.startswith(b"END:"):
            if not stack or stack.pop() != line[4:]:
                return False, "unbalanced %r" % line[:60], 0
    if stack:
        return False, "unclosed components %r" % stack, 0
    return True, "", events


def xml_check(body):
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        return False, "XML: %s" % e, 0
    tag = root.tag
    if tag == "rss":
        return True, "", len(root.findall("./channel/item"))
    if tag == "{http://www.w3.org/2005/Atom}feed":
        return True, "", len(root.findall("{http://www.w3.org/2005/Atom}entry"))
    return False, "unexpected root element %s" % tag, 0


def json_check(path, body):
    try:
        doc = json.loads(body)
    except ValueError as e:
        return False, "JSON: %s" % e, 0
    if path.endswith("calendar.json"):
        # jCal: ["vcalendar", [props], [components]]
        if not (isinstance(doc, list) and len(doc) == 3 and doc[0] == "vcalendar"):
            return False, "not a jCal vcalendar", 0
        return True, "", sum(1 for c in doc[2] if c and c[0] == "vevent")
    if not isinstance(doc, dict) or "items" not in doc:
        return False, "not a JSON Feed", 0
    return True, "", len(doc["items"])


class Checker:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.responses = 0
        self.bytes = 0
        self.bad = []  # (path, why)
        self.errors = collections.Counter()  # connection-level failures
        self.statuses = collections.Counter()
        self.verdicts = {}  # sha256 -> (ok, why, items)
        self.etags = {}  # (path, gzip, etag) -> sha256
        self.items = collections.defaultdict(set)  # path -> item counts
        self.versions = collections.defaultdict(set)  # path -> sha256 seen
        self.ics_bodies = {}  # sha256 -> body, for icalendar afterwards
        self.latency = []
        self.fetches = collections.Counter()

    def note_bad(self, path, why):
        with self.lock:
            if len(self.bad) < 1000:
                self.bad.append((path, why))

    def verify(self, path, body):
        digest = hashlib.sha256(body).hexdigest()
        with self.lock:
            v = self.verdicts.get(digest)
        if v is None:
            if path.endswith(".ics"):
                v = ics_check(body)
            elif path.endswith(".xml"):
                v = xml_check(body)
            elif path.endswith(".json"):
                v = json_check(path, body)
            else:
                v = (True, "", 0)
            with self.lock:
                self.verdicts[digest] = v
                if v[0] and path.endswith(".ics"):
                    self.ics_bodies.setdefault(digest, body)
        return digest, v

    def fetch(self, conn, path, want_gzip):
        headers = {"Accept-Encoding": "gzip" if want_gzip else "identity"}
        t0 = time.monotonic()
        conn.request("GET", "/" + path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()  # IncompleteRead if the connection ends early
        dt = time.monotonic() - t0
        label = path + (" (gzip)" if want_gzip else "")
        with self.lock:
            self.responses += 1
            self.bytes += len(body)
            self.statuses[resp.status] += 1
            self.latency.append(dt)
            self.fetches[label] += 1
        if resp.status != 200:
            self.note_bad(label, "status %d" % resp.status)
            return
        cl = resp.getheader("Content-Length")
        if cl is None or int(cl) != len(body):
            self.note_bad(label, "Content-Length %s, body %d bytes" % (cl, len(body)))
            return
        ce = resp.getheader("Content-Encoding")
        if want_gzip != (ce == "gzip"):
            self.note_bad(label, "Content-Encoding %r" % ce)
            return
        raw_digest = hashlib.sha256(body).hexdigest()
        etag = resp.getheader("ETag")
        if etag is None:
            self.note_bad(label, "no ETag")
        else:
            key = (path, want_gzip, etag)
            with self.lock:
                prev = self.etags.setdefault(key, raw_digest)
            if prev != raw_digest:
                self.note_bad(label, "ETag %s names two different bodies" % etag)
        if want_gzip:
            try:
                body = gzip.decompress(body)
            except (OSError, EOFError) as e:
                self.note_bad(label, "gzip: %s" % e)
                return
        digest, (ok, why, items) = self.verify(path, body)
        if not ok:
            self.note_bad(label, why)
            return
        with self.lock:
            self.items[label].add(items)
            self.versions[label].add(digest)

    def worker(self, paths):
        conn = None
        i = 0
        while not stopping.is_set():
            path, want_gzip = paths[i % len(paths)]
            i += 1
            t0 = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(
                        self.args.host, self.args.port, timeout=self.args.timeout)
                self.fetch(conn, path, want_gzip)
            except (OSError, http.client.HTTPException) as e:
                with self.lock:
                    self.errors["%s: %s" % (path, type(e).__name__)] += 1
                if conn is not None:
                    conn.close()
                conn = None
            rest = self.args.interval - (time.monotonic() - t0)
            if rest > 0:
                stopping.wait(rest)
        if conn is not None:
            conn.close()


def check(args):
    signal.signal(signal.SIGTERM, on_term)
    c = Checker(args)
    kinds = ["calendar.ics", "rss.xml", "atom.xml", "calendar.json", "feed.json"]
    sets = [
        [("calendar.ics", False)],
        [("calendar.ics", True)],
        [("rss.xml", False), ("atom.xml", False)],
        [("calendar.json", False), ("feed.json", True)],
        [("events/%s.ics" % args.event, False)],
        [("category/%s/%s" % (cat, k), False)
         for cat in args.categories.split(",") for k in kinds],
    ]
    threads = [threading.Thread(target=c.worker, args=(s,)) for s in sets]
    for t in threads:
        t.start()
    while not stopping.is_set():
        stopping.wait(0.5)
    for t in threads:
        t.join()

    varied = {p: sorted(n) for p, n in c.items.items() if len(n) > 1}
    for p, n in varied.items():
        c.note_bad(p, "the number of items changed: %s" % n)
    out = {
        "responses": c.responses,
        "bytes": c.bytes,
        "statuses": {str(k): v for k, v in c.statuses.items()},
        "connection_errors": sum(c.errors.values()),
        "connection_error_kinds": dict(c.errors),
        "bad_bodies": len(c.bad),
        "bad_examples": c.bad[:20],
        "distinct_bodies_checked": len(c.verdicts),
        "versions": {p: len(v) for p, v in sorted(c.versions.items())},
        "items": {p: sorted(n) for p, n in sorted(c.items.items())},
        "fetches": dict(sorted(c.fetches.items())),
        "latency_s": summary_of(c.latency),
        "ics_bodies": len(c.ics_bodies),
    }
    # Keep every distinct calendar for the icalendar pass after the load.
    os.makedirs(args.ics_dir, exist_ok=True)
    for digest, body in c.ics_bodies.items():
        with open(os.path.join(args.ics_dir, digest + ".ics"), "wb") as f:
            f.write(body)
    write_json(args.out, out)


def ical(args):
    """Parses each file with icalendar (when installed): every one must
    give a VCALENDAR with as many VEVENTs as its BEGIN:VEVENT lines."""
    try:
        import icalendar
    except ImportError:
        write_json(args.out, {"icalendar": None, "files": len(args.files)})
        return
    bad = []
    for name in args.files:
        with open(name, "rb") as f:
            body = f.read()
        try:
            cal = icalendar.Calendar.from_ical(body)
            n = sum(1 for _ in cal.walk("VEVENT"))
            if cal.name != "VCALENDAR" or n != body.count(b"\r\nBEGIN:VEVENT\r\n"):
                bad.append((os.path.basename(name), "VEVENT count %d" % n))
        except Exception as e:  # noqa: BLE001 (any failure is a bad body)
            bad.append((os.path.basename(name), "%s: %s" % (type(e).__name__, e)))
    write_json(args.out, {
        "icalendar": getattr(icalendar, "__version__", "?"),
        "files": len(args.files),
        "bad": len(bad),
        "bad_examples": bad[:20],
    })


# --- churn ------------------------------------------------------------------

def churn(args):
    signal.signal(signal.SIGTERM, on_term)
    with open(args.file, encoding="utf-8") as f:
        original = f.read()
    if not re.search(r"(?m)^title: .*$", original):
        sys.exit("churn: %s has no title line" % args.file)
    counts = collections.Counter()
    last_title = None

    def content(n, invalid):
        title = "title: Load test edit %d" % n
        text = re.sub(r"(?m)^title: .*$", title, original, count=1)
        if invalid:
            text = re.sub(r"(?m)^start: .*$", "start: 2018-13-01", text, count=1)
        return text.encode("utf-8")

    def write(n, mode, invalid):
        data = content(n, invalid)
        if mode == "rename":
            tmp = os.path.join(os.path.dirname(args.file), ".edit.tmp")
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, args.file)
        else:
            with open(args.file, "r+b") as f:
                f.truncate(0)
                f.write(data)
        counts["edit_" + mode] += 1
        if invalid:
            counts["edit_invalid"] += 1

    start = time.monotonic()
    n = 0
    next_edit = start + 1.0
    next_hup = start + 0.5
    while not stopping.is_set():
        now = time.monotonic()
        if now >= next_hup:
            try:
                os.kill(args.pid, signal.SIGHUP)
                counts["sighup"] += 1
            except ProcessLookupError:
                counts["sighup_failed"] += 1
            next_hup += args.hup_every
        if now >= next_edit:
            n += 1
            invalid = n % 10 == 0
            write(n, "rename" if n % 2 else "in_place", invalid)
            if not invalid:
                last_title = "Load test edit %d" % n
            next_edit += args.edit_every
        stopping.wait(max(0.0, min(next_edit, next_hup) - time.monotonic()))
    # Leave a valid edit behind: the server must end up serving it.
    n += 1
    write(n, "rename", False)
    last_title = "Load test edit %d" % n
    out = dict(counts)
    out["last_title"] = last_title
    out["seconds"] = round(time.monotonic() - start, 1)
    write_json(args.out, out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    h = sub.add_parser("halfopen")
    h.add_argument("--host", default="127.0.0.1")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("--count", type=int, default=500)
    h.add_argument("--ready", required=True)
    h.add_argument("--out", required=True)

    c = sub.add_parser("check")
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--event", required=True, help="slug of the edited event")
    c.add_argument("--categories", required=True)
    c.add_argument("--interval", type=float, default=0.2)
    c.add_argument("--timeout", type=float, default=60)
    c.add_argument("--ics-dir", required=True)
    c.add_argument("--out", required=True)

    i = sub.add_parser("ical")
    i.add_argument("--out", required=True)
    i.add_argument("files", nargs="*")

    u = sub.add_parser("churn")
    u.add_argument("--pid", type=int, required=True)
    u.add_argument("--file", required=True)
    u.add_argument("--hup-every", type=float, default=2.0)
    u.add_argument("--edit-every", type=float, default=1.0)
    u.add_argument("--out", required=True)

    args = p.parse_args()
    {"halfopen": halfopen, "check": check, "ical": ical, "churn": churn}[args.cmd](args)


if __name__ == "__main__":
    main()
