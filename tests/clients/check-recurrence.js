#!/usr/bin/env node
// Expand every recurring VEVENT of an iCalendar file with two parsers that
// share no code: ical.js (Thunderbird's, which reads the file's VTIMEZONEs)
// and node-ical (the most used iCalendar package on npm, whose rules go
// through rrule-temporal and whose zones come from the system's tz
// database), and check that both give the same occurrences.
//
// usage: node check-recurrence.js FILE
//
// An occurrence is its start: a "YYYY-MM-DDTHH:MM:SSZ" instant, or a
// "YYYY-MM-DD" date for an all-day series. The first 60 of each series
// are compared (a series without an end is cut there). Every disagreement
// is printed to stderr as "FILE: UID: problem" and makes the exit status 1;
// on stdout, one line per series: "UID COUNT".
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

function icalJs(text) {
	const comp = new ICAL.Component(ICAL.parse(text));
	const out = new Map();

	for (const v of comp.getAllSubcomponents('vtimezone'))
		ICAL.TimezoneService.register(v);
	for (const ve of comp.getAllSubcomponents('vevent')) {
		const ev = new ICAL.Event(ve);
		if (!ev.isRecurring() || ev.isRecurrenceException())
			continue;
		const list = [];
		const it = ev.iterator();
		for (let t; list.length < LIMIT && (t = it.next());) {
			list.push(t.isDate ? t.toString().slice(0, 10)
			                   : instant(t.toJSDate()));
		}
		out.set(ev.uid, list);
	}
	return out;
}

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
		const list = ev.rrule.all((d, i) => i < LIMIT).map((d) => allDay
		    ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
		    : instant(d));
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
		for (let i = 0; i < n; i++) {
			if (x[i] !== y[i]) {
				problem(uid, `occurrence ${i + 1}: ical.js ` +
				    `${x[i] || '(none)'}, node-ical ${y[i] || '(none)'}`);
				break;
			}
		}
		process.stdout.write(`${uid} ${x.length}\n`);
	}
	process.exit(bad ? 1 : 0);
}

main();
