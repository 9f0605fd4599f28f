#!/usr/bin/env node
// Expand every recurring VEVENT of an iCalendar file with two parsers that
// share no code: ical.js (Thunderbird's, which reads the file's VTIMEZONEs)
// and node-ical (the most used iCalendar package on npm, whose rules go
// through rrule-temporal and whose zones come from the ICU data built into
// Node, not from the file nor the system's tz database), and check that
// both give the same occurrences, and that each timed occurrence ends
// where the editor meant it to. (Where a zone's rules changed after Node's
// ICU data was made, node-ical gives the old offsets: the fixtures keep to
// zones and years on which both agree.)
//
// usage: node check-recurrence.js FILE
//
// An occurrence is its start: a "YYYY-MM-DDTHH:MM:SSZ" instant, or a
// "YYYY-MM-DD" date for an all-day series. The first 60 of each series
// are compared (a series without an end is cut there). Every disagreement
// is printed to stderr as "FILE: UID: problem" and makes the exit status 1;
// on stdout, one line per series: "UID COUNT".
//
// The end of each timed occurrence is decided by RFC 5545, computed here
// with ical.js's reading of the zone: an override (RECURRENCE-ID) ends at
// its own DTEND; otherwise a DTEND gives every occurrence the first one's
// exact duration (§3.8.5.3), and a DURATION's days are nominal, the same
// wall time days later, and its time exact (§3.3.6). That end must be
// what the editor meant: the occurrence's wall-clock start plus the
// wall-clock length the editor wrote, that of the first occurrence as
// written (its override's DTSTART to DTEND, else DTSTART to DTEND, else
// the DURATION read on the wall clock). Both clients must give that end,
// but where they are known to misread RFC 5545, which is tolerated and
// noted on stdout ("UID: N tolerated"):
//   - ical.js 2.2.1 adds the series' duration (DTEND - DTSTART, exact, or
//     the whole DURATION) to each start on the wall clock;
//   - node-ical 0.26 adds it exactly (a DURATION's days as 24 hours): an
//     occurrence of a series with DURATION:P2DT8H that the clocks change
//     in ends an hour off (evfeed overrides the first such occurrence,
//     the first of the series, so that it ends right there too).
// ical.js reads a wall time that occurs twice as the later of the two
// instants, where RFC 5545 takes the first: the editor's end is worked
// out here with the first.
'use strict';

const fs = require('fs');

const LIMIT = 60;

function load(name) {
	try {
		return require(name);
	} catch (e) {
		process.stderr.write(
		    `check-recurrence.js: cannot load ${name} (${e.message}); ` +
		    'run tools/install-deps\n');
		process.exit(3);
	}
}

const ICAL = load('ical.js');
const nodeIcal = load('node-ical');

const pad = (n) => String(n).padStart(2, '0');
const instant = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// The wall-clock fields of an ICAL.Time as seconds, as if it were UTC.
const wallSeconds = (t) => Date.UTC(t.year, t.month - 1, t.day, t.hour,
    t.minute, t.second) / 1000;

// The wall time of the instant @unix in @zone (wallSeconds' form), from
// the onsets ical.js lists for the zone's VTIMEZONE, in UTC (its own
// convertToZone takes the offset at the UTC time read as a wall time, an
// hour off in the hours after a change).
function wallOf(unix, zone) {
	let off = 0;
	if (zone && zone.tzid !== 'UTC' && zone.tzid !== 'floating' &&
	    zone.component) {
		zone._ensureCoverage(new Date(unix * 1000).getUTCFullYear() + 1);
		for (const c of zone.changes) {
			const at = Date.UTC(c.year, c.month - 1, c.day, c.hour,
			    c.minute, c.second) / 1000;
			if (at > unix)
				break;
			off = c.utcOffset;
		}
	}
	return unix + off;
}

// The instant of the wall time @secs (wallSeconds' form) in @zone, as
// RFC 5545 (§3.3.5) and evfeed read it (ical.js itself reads both cases
// otherwise): of a wall time that occurs twice, where the clocks go back,
// the first; one that does not exist, where they go forward, with the
// offset from before the change.
function wallInstant(secs, zone) {
	const d = new Date(secs * 1000);
	const at = ICAL.Time.fromData({
		year: d.getUTCFullYear(), month: d.getUTCMonth() + 1,
		day: d.getUTCDate(), hour: d.getUTCHours(),
		minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
	}, zone).toUnixTime();
	if (wallOf(at, zone) !== secs)
		return secs - (wallOf(at - 86400, zone) - (at - 86400));
	// the clocks go back by three hours at most, in quarters
	let first = at;
	for (let back = 900; back <= 3 * 3600; back += 900) {
		if (wallOf(at - back, zone) === secs)
			first = at - back;
	}
	return first;
}

// A DURATION as [nominal days, exact seconds].
function durationParts(d) {
	const sign = d.isNegative ? -1 : 1;
	return [sign * (d.weeks * 7 + d.days),
	    sign * ((d.hours * 60 + d.minutes) * 60 + d.seconds)];
}

const fmtUnix = (u) => instant(new Date(u * 1000));

// Each series of the file: its occurrences by ical.js, with the ends RFC
// 5545 and the editor give them (timed series only).
function icalJs(text) {
	const comp = new ICAL.Component(ICAL.parse(text));
	const out = new Map();

	for (const v of comp.getAllSubcomponents('vtimezone'))
		ICAL.TimezoneService.register(v);
	const events = comp.getAllSubcomponents('vevent')
	    .map((ve) => new ICAL.Event(ve));
	for (const ev of events) {
		if (!ev.isRecurring() || ev.isRecurrenceException())
			continue;
		const overrides = new Map();
		for (const o of events) {
			if (o.isRecurrenceException() && o.uid === ev.uid) {
				ev.relateException(o);
				overrides.set(o.recurrenceId.toUnixTime(), o);
			}
		}
		const dtstart = ev.startDate;
		const dtend = ev.component.getFirstPropertyValue('dtend');
		const dur = ev.component.getFirstPropertyValue('duration');
		const first = overrides.get(dtstart.toUnixTime());
		let wallLength = null;
		// (its end read in the zone of its start: an end that occurs
		// twice there is written in UTC)
		if (first)
			wallLength = wallOf(first.endDate.toUnixTime(),
			    first.startDate.zone) - wallSeconds(first.startDate);
		else if (dtend)
			wallLength = wallSeconds(dtend) - wallSeconds(dtstart);
		else if (dur)
			wallLength = durationParts(dur)[0] * 86400 +
			    durationParts(dur)[1];
		const exact = dtend ? dtend.toUnixTime() - dtstart.toUnixTime()
		    : dur ? dur.toSeconds() : 0;
		const list = [];
		const it = ev.iterator();
		for (let t; list.length < LIMIT && (t = it.next());) {
			if (t.isDate) {
				list.push({ start: t.toString().slice(0, 10) });
				continue;
			}
			const start = t.toUnixTime();
			const o = overrides.get(start);
			let rfc;
			if (o) {
				rfc = o.endDate.toUnixTime();
			} else if (dur) {
				const [days, rest] = durationParts(dur);
				const w = t.clone();
				w.adjust(days, 0, 0, 0);
				rfc = w.toUnixTime() + rest;
			} else {
				rfc = start + exact;
			}
			const wall = t.clone();
			wall.addDuration(ICAL.Duration.fromSeconds(
			    dtend ? exact : dur ? dur.toSeconds() : 0));
			list.push({
				start: instant(t.toJSDate()),
				end: fmtUnix(ev.getOccurrenceDetails(t).endDate
				    .toUnixTime()),
				rfc: fmtUnix(rfc),
				editor: wallLength === null ? null : fmtUnix(
				    wallInstant(wallSeconds(t) + wallLength,
				        t.zone)),
				// ical.js's misreading, and node-ical's
				icaljsWall: o ? null : fmtUnix(wall.toUnixTime()),
				nodeExact: o ? null : fmtUnix(start + exact),
			});
		}
		out.set(ev.uid, list);
	}
	return out;
}

// Each series of the file: its occurrences by node-ical, with their ends.
function nodeIcalJs(path) {
	const data = nodeIcal.sync.parseFile(path);
	const out = new Map();

	for (const key of Object.keys(data)) {
		const ev = data[key];
		if (ev.type !== 'VEVENT' || !ev.rrule)
			continue;
		const allDay = ev.start && ev.start.dateOnly;
		// node-ical gives an all-day occurrence as the local midnight
		// of its date.
		const dates = ev.rrule.all((d, i) => i < LIMIT);
		const ends = new Map();
		if (!allDay && dates.length > 0) {
			for (const inst of nodeIcal.expandRecurringEvent(ev, {
				from: dates[0], to: dates[dates.length - 1],
			}))
				ends.set(instant(inst.start), instant(inst.end));
		}
		const list = dates.map((d) => allDay
		    ? { start: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-` +
		          `${pad(d.getDate())}` }
		    : { start: instant(d), end: ends.get(instant(d)) });
		out.set(ev.uid, list);
	}
	return out;
}

function main() {
	const path = process.argv[2];
	if (!path || process.argv.length > 3) {
		process.stderr.write('usage: node check-recurrence.js FILE\n');
		process.exit(2);
	}
	const text = fs.readFileSync(path, 'utf8');
	const a = icalJs(text);
	const b = nodeIcalJs(path);
	let bad = 0;
	const problem = (uid, msg) => {
		process.stderr.write(`${path}: ${uid}: ${msg}\n`);
		bad++;
	};

	for (const uid of new Set([...a.keys(), ...b.keys()])) {
		if (!a.has(uid)) {
			problem(uid, 'only node-ical reads a series');
			continue;
		}
		if (!b.has(uid)) {
			problem(uid, 'only ical.js reads a series');
			continue;
		}
		const x = a.get(uid), y = b.get(uid);
		const n = Math.max(x.length, y.length);
		let same = true;
		for (let i = 0; i < n; i++) {
			const xs = x[i] ? x[i].start : '(none)';
			const ys = y[i] ? y[i].start : '(none)';
			if (xs !== ys) {
				problem(uid, `occurrence ${i + 1}: ical.js ` +
				    `${xs}, node-ical ${ys}`);
				same = false;
				break;
			}
		}
		let tolerated = 0;
		for (let i = 0; same && i < n; i++) {
			const o = x[i];
			if (o.rfc === undefined)
				continue;
			const at = `occurrence ${i + 1} (${o.start})`;
			if (o.editor !== o.rfc) {
				problem(uid, `${at}: ends at ${o.rfc} by RFC 5545, ` +
				    `the editor meant ${o.editor}`);
				continue;
			}
			if (o.end !== o.rfc) {
				if (o.end === o.icaljsWall)
					tolerated++;
				else
					problem(uid, `${at}: ical.js ends it at ` +
					    `${o.end}, RFC 5545 at ${o.rfc}`);
			}
			if (y[i].end !== o.rfc) {
				if (y[i].end === o.nodeExact)
					tolerated++;
				else
					problem(uid, `${at}: node-ical ends it at ` +
					    `${y[i].end}, RFC 5545 at ${o.rfc}`);
			}
		}
		process.stdout.write(`${uid} ${x.length}\n`);
		if (tolerated > 0)
			process.stdout.write(`${uid}: ${tolerated} tolerated\n`);
	}
	process.exit(bad ? 1 : 0);
}

main();
