#!/usr/bin/env python3
"""Write N event files for evfeed into a folder.

usage: gen-events.py [--seed S] [--series SHARE [--rule RULE]] N DIR

The files are varied the way an editor's folder is: all-day events of one to
four days, timed events in the site zone, in Europe/Zagreb and Asia/Tokyo or
in UTC (written with Z), a few with a UTC offset, events whose date is still
to be announced, cancelled and tentative ones, one to four categories from a
pool of thirty, one or more organizers, locations, sometimes geo, an image or
a yearly recurrence, and a Markdown body of one to three paragraphs (about
600 bytes) with a link. With --series, that share of the dated events
repeats instead, weekly ten times or by --rule (a site of regular
meetings). The same arguments always give the same files.
"""

import argparse
import os
import random
import re
import sys

CATEGORIES = [
    "conference", "workshop", "meeting", "training", "seminar",
    "roundtable", "summer school", "webinar", "expert group", "policy",
    "counter-terrorism", "criminal justice", "border security",
    "cybercrime", "cultural property", "illicit financial flows",
    "organised crime", "corruption", "human trafficking", "migration",
    "police reform", "rule of law", "judicial cooperation",
    "violent extremism", "arms control", "drug policy",
    "disaster response", "gender and security", "maritime security",
    "anti-money laundering",
]

KINDS = [
    "Regional Workshop", "International Conference", "Expert Meeting",
    "Training Course", "Seminar", "Round Table", "Summer School",
    "Ministerial Meeting", "Annual Forum", "Consultation", "Webinar",
    "Study Visit", "Technical Working Group", "Launch Event",
]

TOPICS = [
    "Countering Violent Extremism", "Illicit Financial Flows",
    "Cross-border Trafficking in Cultural Property", "Cybercrime Investigations",
    "Judicial Cooperation in Criminal Matters", "Border Management",
    "Integrity in the Public Sector", "Asset Recovery",
    "Trafficking in Human Beings", "Small Arms and Light Weapons Control",
    "Community Policing", "Financial Intelligence", "Witness Protection",
    "Prison Reform", "Drug Demand Reduction", "Maritime Domain Awareness",
    "Gender Mainstreaming in Security Institutions",
    "Evidence-based Policy-making", "Parliamentary Oversight of Security",
    "Disaster Risk Reduction", "Protection of Critical Infrastructure",
    "Anti-Money Laundering Supervision", "Open-source Intelligence",
]

REGIONS = [
    "South East Europe", "the Western Balkans", "the Adriatic Region",
    "Central and Eastern Europe", "the Danube Region", "the Mediterranean",
    "Europe and Central Asia", "the OSCE Area", "the Black Sea Region",
]

# (location, latitude, longitude, time zone of the place)
PLACES = [
    ("Ljubljana, Slovenia", 46.0569, 14.5058, "Europe/Ljubljana"),
    ("Maribor, Slovenia", 46.5547, 15.6459, "Europe/Ljubljana"),
    ("Bled, Slovenia", 46.3683, 14.1146, "Europe/Ljubljana"),
    ("Zagreb, Croatia", 45.8150, 15.9819, "Europe/Zagreb"),
    ("Split, Croatia", 43.5081, 16.4402, "Europe/Zagreb"),
    ("Dubrovnik, Croatia", 42.6507, 18.0944, "Europe/Zagreb"),
    ("Sarajevo, Bosnia and Herzegovina", 43.8563, 18.4131, "Europe/Sarajevo"),
    ("Belgrade, Serbia", 44.7866, 20.4489, "Europe/Belgrade"),
    ("Novi Sad, Serbia", 45.2671, 19.8335, "Europe/Belgrade"),
    ("Podgorica, Montenegro", 42.4304, 19.2594, "Europe/Podgorica"),
    ("Tirana, Albania", 41.3275, 19.8187, "Europe/Tirane"),
    ("Skopje, North Macedonia", 41.9981, 21.4254, "Europe/Skopje"),
    ("Priština", 42.6629, 21.1655, "Europe/Belgrade"),
    ("Vienna, Austria", 48.2082, 16.3738, "Europe/Vienna"),
    ("Geneva, Switzerland", 46.2044, 6.1432, "Europe/Zurich"),
    ("Brussels, Belgium", 50.8503, 4.3517, "Europe/Brussels"),
    ("Tokyo, Japan", 35.6762, 139.6503, "Asia/Tokyo"),
    ("Osaka, Japan", 34.6937, 135.5023, "Asia/Tokyo"),
    ("Online", None, None, "UTC"),
]

ORGANIZERS = [
    "OSCE", "UNODC", "DCAF Ljubljana", "Council of Europe", "European Commission",
    "Regional Cooperation Council", "SEESAC", "INTERPOL", "Europol",
    "University of Maribor, Faculty of Criminal Justice and Security",
    "University of Zagreb, Faculty of Law",
    "Ministry of the Interior of the Republic of Slovenia",
    "Ministry of Justice of the Republic of Croatia",
    "Ministry of Defence of the Republic of Slovenia",
    "Geneva Centre for Security Sector Governance",
    "Southeast European Law Enforcement Center (SELEC)",
    "Japan International Cooperation Agency (JICA)",
    "Centre for Security Studies, Sarajevo",
    "IISG – Integrative Internal Security Governance",
]

SITES = [
    "https://www.osce.org/", "https://www.unodc.org/", "https://www.dcaf.ch/",
    "https://www.coe.int/", "https://www.rcc.int/", "https://www.seesac.org/",
    "https://www.fvv.um.si/en/", "https://www.gov.si/en/", "https://gov.hr/",
    "https://www.jica.go.jp/english/", "https://www.selec.org/",
]

OPENERS = [
    "The {org} is organizing the {title} {when}, in {where}.",
    "The {org} invites practitioners, researchers and officials to the {title}, held {when} in {where}.",
    "{where_c} hosts the {title} {when}; it is organized by the {org}.",
    "Save the date: the {title} takes place {when} in {where}.",
]

MIDDLES = [
    "The event brings together representatives of law enforcement agencies, prosecution services and ministries from {region} to exchange good practices and discuss {topic_l}.",
    "Participants will review the findings of the latest regional assessment on {topic_l} and agree on priorities for the next two years of cooperation.",
    "Sessions combine short presentations, case studies and practical exercises; the working languages are English and the languages of the region, with interpretation.",
    "The programme puts a particular emphasis on **inter-agency cooperation** and on the role of civil society, academia and the private sector in {region}.",
    "Speakers include senior officials of national institutions, experts of international organisations and researchers who have worked on {topic_l} for many years.",
    "A first draft of the recommendations will be circulated to participants two weeks before the event; comments are welcome until the last day.",
    "The meeting continues the work begun in previous years and looks at how the commitments made then have been put into practice – and where they have not.",
]

CLOSERS = [
    "For more information please visit the website [here]({url}).",
    "Registration and the draft agenda are available at <{url}>.",
    "Details: [{host}]({url}). Places are limited; early registration is recommended.",
    "More about the organizers and previous editions on [their website]({url}).",
]

CANCEL_NOTES = [
    "**This event has been cancelled.** The organizers will announce a new date in due course.",
    "**Cancelled.** Registered participants have been informed by e-mail.",
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]

DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def days_in(year, month):
    if month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 29
    return DAYS_IN_MONTH[month - 1]


def add_days(y, m, d, n):
    d += n
    while d > days_in(y, m):
        d -= days_in(y, m)
        m += 1
        if m > 12:
            m, y = 1, y + 1
    return y, m, d


def slugify(text):
    out, dash = [], False
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            if dash and out:
                out.append("-")
            out.append(ch)
            dash = False
        else:
            dash = True
    return "".join(out) or "x"


def scalar(s):
    """A YAML scalar: plain when that is safe, else double-quoted."""
    plain_ok = (
        s == s.strip() and s != ""
        and s[0] not in "!&*{}[]|>'\"%@`#,?:-"
        and ": " not in s and " #" not in s
        and s.lower() not in ("null", "true", "false", "yes", "no", "on", "off", "~")
    )
    if plain_ok:
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_item(s):
    if any(c in s for c in ",[]{}:#\"'"):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def make_event(rng, i, series=(0.01, "FREQ=YEARLY;COUNT=3")):
    kind = rng.choice(KINDS)
    topic = rng.choice(TOPICS)
    region = rng.choice(REGIONS)
    year = rng.randint(2015, 2027)
    month = rng.randint(1, 12)
    day = rng.randint(1, days_in(year, month))
    mode = rng.random()
    zone = rng.random()
    # the place fits the zone of a timed event
    if mode >= 0.52 and 0.55 <= zone < 0.75:
        place = rng.choice([p for p in PLACES if p[3] == "Asia/Tokyo"])
    elif mode >= 0.52 and 0.35 <= zone < 0.55:
        place = rng.choice([p for p in PLACES if p[3] == "Europe/Zagreb"])
    elif mode >= 0.52 and zone < 0.35:
        place = rng.choice([p for p in PLACES if p[3] == "Europe/Ljubljana"])
    else:
        place = rng.choice(PLACES)
    r = rng.random()
    if r < 0.15:
        title = "%s on %s in %s" % (kind, topic, region)
    elif r < 0.30:
        title = "%s: %s – Challenges and Responses" % (kind, topic)
    elif r < 0.40:
        title = '%s "%s" (%d)' % (kind, topic, year)
    else:
        title = "%s on %s" % (kind, topic)

    status = "confirmed"
    r = rng.random()
    if r < 0.06:
        status = "cancelled"
    elif r < 0.09:
        status = "tentative"

    front = ["---", "title: " + scalar(title)]
    dated = True
    if mode < 0.07:
        dated = False
        front.append("start: tba")
        when_text = "on a date still to be announced"
    elif mode < 0.52:
        # all-day, one to four days
        length = rng.choice([1, 1, 2, 2, 3, 3, 3, 4])
        front.append("start: %04d-%02d-%02d" % (year, month, day))
        ey, em, ed = add_days(year, month, day, length - 1)
        if length > 1 or rng.random() < 0.5:
            front.append("end: %04d-%02d-%02d" % (ey, em, ed))
        if length == 1:
            when_text = "on %d %s %d" % (day, MONTHS[month - 1], year)
        elif em == month:
            when_text = "from %d to %d %s %d" % (day, ed, MONTHS[em - 1], ey)
        else:
            when_text = "from %d %s to %d %s %d" % (day, MONTHS[month - 1], ed, MONTHS[em - 1], ey)
    else:
        hour = rng.choice([8, 9, 9, 10, 10, 11, 13, 14, 15, 16])
        minute = rng.choice([0, 0, 0, 15, 30, 30, 45])
        dur = rng.choice([60, 90, 120, 180, 240, 360, 480])
        while hour * 60 + minute + dur > 20 * 60:
            dur //= 2
        eh, emin = hour + (minute + dur) // 60, (minute + dur) % 60
        z = zone
        start = "%04d-%02d-%02dT%02d:%02d" % (year, month, day, hour, minute)
        end = "%04d-%02d-%02dT%02d:%02d" % (year, month, day, eh, emin)
        if z < 0.35:        # the site zone (Europe/Ljubljana), no timezone key
            front += ["start: " + start, "end: " + end]
        elif z < 0.55:
            front += ["start: " + start, "end: " + end, "timezone: Europe/Zagreb"]
        elif z < 0.75:
            front += ["start: " + start, "end: " + end, "timezone: Asia/Tokyo"]
        elif z < 0.93:
            front += ["start: %sZ" % start, "end: %sZ" % end]
        else:
            front += ["start: %s:00+02:00" % start]  # end defaults to one hour
        when_text = "on %d %s %d at %02d:%02d" % (day, MONTHS[month - 1], year, hour, minute)

    if place[0] != "Online" or rng.random() < 0.5:
        front.append("location: " + scalar(place[0]))
    if place[1] is not None and rng.random() < 0.25:
        front.append("geo: %.4f, %.4f" % (place[1], place[2]))

    n_org = rng.choice([1, 1, 1, 1, 2, 2, 3])
    orgs = rng.sample(ORGANIZERS, n_org)
    if n_org == 1:
        front.append("organizer: " + scalar(orgs[0]))
    else:
        front.append("organizer:")
        front += ["  - " + scalar(o) for o in orgs]
    if rng.random() < 0.15:
        front.append("organizer_email: events%d@example.org" % rng.randint(1, 40))

    cats = rng.sample(CATEGORIES, rng.randint(1, 4))
    front.append("categories: [%s]" % ", ".join(flow_item(c) for c in cats))
    url = rng.choice(SITES)
    if rng.random() < 0.8:
        front.append("url: " + url)
    if status != "confirmed" or rng.random() < 0.1:
        front.append("status: " + status)
    if rng.random() < 0.05:
        front.append("image: %simages/event-%d.jpg" % (url, i))
    if dated and rng.random() < series[0]:
        rule = series[1]
        if not any(f.startswith("start: ") and "T" in f for f in front):
            # an all-day series ends on a date (RFC 5545 3.3.10)
            rule = re.sub(r"UNTIL=(\d{8})T\d{6}Z?", r"UNTIL=\1", rule)
        front.append("recurrence: " + rule)
    if rng.random() < 0.2:
        py, pm, pd = rng.randint(2014, min(year, 2024)), rng.randint(1, 12), rng.randint(1, 28)
        front.append("published: %04d-%02d-%02d" % (py, pm, pd))
    front.append("---")

    fmt = {
        "when": when_text, "org": orgs[0], "title": title,
        "where": "an online meeting" if place[0] == "Online" else place[0],
        "where_c": "An online meeting" if place[0] == "Online" else place[0],
        "region": region, "topic_l": topic.lower(), "url": url,
        "host": url.split("/")[2],
    }
    paras = []
    if status == "cancelled":
        paras.append(rng.choice(CANCEL_NOTES))
    n_par = rng.randint(1, 3)
    first = rng.choice(OPENERS).format(**fmt)
    mids = [m.format(**fmt) for m in rng.sample(MIDDLES, 4)]
    close = rng.choice(CLOSERS).format(**fmt)
    if n_par == 1:
        paras.append(" ".join([first] + mids[:2] + [close]))
    elif n_par == 2:
        paras.append(" ".join([first, mids[0]]))
        paras.append(" ".join(mids[1:2] + [close]))
    else:
        paras.append(first)
        paras.append(" ".join(mids[:2]))
        paras.append(close)

    if dated:
        stem = "%04d-%02d-%02d-%s" % (year, month, day, slugify(title))
    else:
        stem = "tba-" + slugify(title)
    name = "%s-%06d.md" % (stem[:80].rstrip("-"), i)
    text = "\n".join(front) + "\n" + "\n\n".join(paras) + "\n"
    return name, text


def main():
    ap = argparse.ArgumentParser(description="Write N evfeed event files into DIR.")
    ap.add_argument("--seed", type=int, default=20180925, help="random seed (default: %(default)s)")
    ap.add_argument("--series", type=float, metavar="SHARE",
                    help="give this share (0 to 1) of the dated events a weekly "
                    "recurrence of ten dates, instead of a yearly one of three "
                    "to about one in a hundred")
    ap.add_argument("--rule", default="FREQ=WEEKLY;COUNT=10",
                    help="the recurrence of --series (default: %(default)s)")
    ap.add_argument("n", type=int, metavar="N", help="number of event files")
    ap.add_argument("dir", metavar="DIR", help="folder to write into (created if missing)")
    args = ap.parse_args()
    if args.n < 0:
        ap.error("N must not be negative")
    os.makedirs(args.dir, exist_ok=True)
    if args.series is not None and not 0 <= args.series <= 1:
        ap.error("SHARE must be from 0 to 1")
    rng = random.Random(args.seed)
    for i in range(args.n):
        if args.series is None:
            name, text = make_event(rng, i)
        else:
            name, text = make_event(rng, i, (args.series, args.rule))
        with open(os.path.join(args.dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
