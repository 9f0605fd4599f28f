#!/usr/bin/env node
// Read a jCal file (RFC 7265) with ical.js, turn it back into iCalendar and
// check that it holds the same events as the iCalendar file it was made
// from.
//
// usage: node check-jcal.js calendar.json calendar.ics
//
// The jCal goes through ICAL.Component and ICAL.stringify to iCalendar text,
// which is parsed again; the .ics is parsed with ICAL.parse. Each side's
// times are resolved with its own VTIMEZONEs, so a zone that lost a rule on
// the way shows up as a different instant. Events are matched by UID (and
// RECURRENCE-ID) and compared: summary, start and end (UTC instants, or
// dates for all-day events), location, categories, sequence, status,
// description, url and rrule, then every property as ical.js reads it.
//
// Every difference is printed to stderr as "calendar.json: problem" and
// makes the exit status 1; 2 is a usage error, 3 means ical.js is missing.
'use strict';

const fs = require('fs');

let ICAL;
try {
	ICAL = require('ical.js');
} catch (e) {
	process.stderr.write(
		'check-jcal.js: cannot load ical.js (' + e.message + '); run ' +
		'tools/install-deps and set NODE_PATH="$(npm root -g)"\n');
	process.exit(3);
}

const args = process.argv.slice(2);
if (args.length !== 2 || args.some((a) => a.startsWith('-'))) {
	process.stderr.write('usage: node check-jcal.js calendar.json ' +
		'calendar.ics\n');
	process.exit(2);
}
const [jcalFile, icsFile] = args;

const problems = [];
function problem(msg) {
	problems.push(msg);
}
function finish() {
	for (const p of problems)
		process.stderr.write(jcalFile + ': ' + p + '\n');
	process.exit(problems.length ? 1 : 0);
}

function read(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch (e) {
		problem('cannot read ' + file + ': ' + e.message);
		finish();
	}
}

// ------------------------------------------------------------------ read

let jcal;
try {
	jcal = JSON.parse(read(jcalFile));
} catch (e) {
	problem('not JSON: ' + e.message);
	finish();
}
if (!Array.isArray(jcal) || jcal.length !== 3 || jcal[0] !== 'vcalendar' ||
    !Array.isArray(jcal[1]) || !Array.isArray(jcal[2])) {
	problem('not a jCal object: the root must be ' +
		'["vcalendar", [properties], [components]]');
	finish();
}

let fromJcal;
try {
	// ICAL.Component must take the jCal as it is; ICAL.stringify writes
	// it out as iCalendar, which must parse again.
	const comp = new ICAL.Component(jcal);
	if (comp.name !== 'vcalendar')
		problem('ICAL.Component reads it as ' + comp.name);
	const text = ICAL.stringify(jcal);
	// (stringify ends the text with a CRLF, toString does not)
	if (text.replace(/\r\n$/, '') !== comp.toString())
		problem('ICAL.stringify and ICAL.Component.toString disagree');
	fromJcal = new ICAL.Component(ICAL.parse(text));
} catch (e) {
	problem('ical.js cannot turn the jCal into iCalendar: ' + e.message);
	finish();
}

let fromIcs;
try {
	const parsed = ICAL.parse(read(icsFile));
	if (Array.isArray(parsed[0])) {
		problem(icsFile + ' holds ' + parsed.length +
			' VCALENDAR objects, not one');
		finish();
	}
	fromIcs = new ICAL.Component(parsed);
} catch (e) {
	problem('ical.js cannot parse ' + icsFile + ': ' + e.message);
	finish();
}

// ----------------------------------------------------------------- times

// Each calendar's own zones, by TZID: nothing is registered globally, so
// neither side can borrow the other's definitions.
function zonesOf(vcal, label) {
	const zones = new Map();
	for (const vtz of vcal.getAllSubcomponents('vtimezone')) {
		const tzid = vtz.getFirstPropertyValue('tzid');
		try {
			zones.set(String(tzid), new ICAL.Timezone({
				component: vtz,
				tzid: String(tzid),
			}));
		} catch (e) {
			problem(label + ': VTIMEZONE ' + tzid + ': ' + e.message);
		}
	}
	return zones;
}

function pad(n, w) {
	return String(n).padStart(w || 2, '0');
}
function fmtDate(t) {
	return pad(t.year, 4) + '-' + pad(t.month) + '-' + pad(t.day);
}
function fmtInstant(seconds) {
	return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

// A DATE as YYYY-MM-DD; a DATE-TIME as its UTC instant, its wall-clock
// time read in the zone the TZID names in this calendar.
function instant(prop, zones, label) {
	if (!prop)
		return null;
	const v = prop.getFirstValue();
	if (!v || typeof v.toUnixTime !== 'function') {
		problem(label + ': ' + prop.name + ' is not a date or date-time');
		return null;
	}
	if (v.isDate)
		return fmtDate(v);
	const tzid = prop.getParameter('tzid');
	if (tzid !== undefined && tzid !== null) {
		const zone = zones.get(String(tzid));
		if (!zone) {
			problem(label + ': ' + prop.name + ': TZID ' + tzid +
				' has no VTIMEZONE');
			return null;
		}
		const t = new ICAL.Time({
			year: v.year, month: v.month, day: v.day,
			hour: v.hour, minute: v.minute, second: v.second,
			isDate: false,
		}, zone);
		return fmtInstant(t.toUnixTime());
	}
	if (v.zone !== ICAL.Timezone.utcTimezone) {
		problem(label + ': ' + prop.name + ' is floating');
		return null;
	}
	return fmtInstant(v.toUnixTime());
}

// ---------------------------------------------------------------- events

function text(comp, name) {
	const v = comp.getFirstPropertyValue(name);
	return v === null || v === undefined ? null : String(v);
}

// A property as ical.js reads it, with its parameters in a fixed order.
function canonical(prop) {
	const json = prop.toJSON();
	const params = {};
	for (const k of Object.keys(json[1]).sort())
		params[k] = json[1][k];
	return JSON.stringify([json[0], params, json[2]].concat(
		json.slice(3).map((v) => v && typeof v === 'object' &&
			!Array.isArray(v) ? Object.fromEntries(
				Object.entries(v).sort()) : v)));
}

function eventsOf(vcal, label) {
	const zones = zonesOf(vcal, label);
	const events = new Map();
	vcal.getAllSubcomponents('vevent').forEach((ve, i) => {
		const uid = text(ve, 'uid');
		const ridProp = ve.getFirstProperty('recurrence-id');
		const where = label + ': VEVENT ' +
			(uid ? '"' + uid + '"' : '#' + (i + 1));
		const rid = instant(ridProp, zones, where);
		const key = (uid || '#' + (i + 1)) + (rid ? ' ' + rid : '');
		const start = instant(ve.getFirstProperty('dtstart'), zones,
			where);
		let end = instant(ve.getFirstProperty('dtend'), zones, where);
		const duration = ve.getFirstPropertyValue('duration');
		if (end === null && duration && start !== null) {
			const t = ve.getFirstPropertyValue('dtstart').clone();
			t.addDuration(duration);
			end = t.isDate ? fmtDate(t) : fmtInstant(t.toUnixTime());
		}
		const categories = [];
		for (const p of ve.getAllProperties('categories'))
			for (const v of p.getValues())
				categories.push(String(v));
		const rrule = ve.getFirstPropertyValue('rrule');
		if (events.has(key))
			problem(where + ': UID is not unique');
		events.set(key, {
			fields: {
				summary: text(ve, 'summary'),
				dtstart: start,
				dtend: end,
				location: text(ve, 'location'),
				categories: categories,
				sequence: ve.getFirstPropertyValue('sequence'),
				status: text(ve, 'status'),
				description: text(ve, 'description'),
				url: text(ve, 'url'),
				rrule: rrule ? rrule.toString() : null,
			},
			properties: ve.getAllProperties().map(canonical),
		});
	});
	return events;
}

function show(v) {
	const s = JSON.stringify(v);
	return s.length > 120 ? s.slice(0, 117) + '...' : s;
}

const jEvents = eventsOf(fromJcal, 'jCal');
const iEvents = eventsOf(fromIcs, icsFile);

for (const key of iEvents.keys())
	if (!jEvents.has(key))
		problem('VEVENT "' + key + '" of ' + icsFile +
			' is missing from the jCal');
for (const [key, j] of jEvents) {
	const i = iEvents.get(key);
	if (!i) {
		problem('VEVENT "' + key + '" is not in ' + icsFile);
		continue;
	}
	for (const field of Object.keys(j.fields)) {
		const a = JSON.stringify(j.fields[field]);
		const b = JSON.stringify(i.fields[field]);
		if (a !== b)
			problem('VEVENT "' + key + '": ' + field + ' differs: ' +
				'jCal ' + show(j.fields[field]) + ', iCalendar ' +
				show(i.fields[field]));
	}
	const n = Math.max(j.properties.length, i.properties.length);
	for (let k = 0; k < n; k++) {
		if (j.properties[k] !== i.properties[k]) {
			problem('VEVENT "' + key + '": property ' + (k + 1) +
				' differs: jCal ' + (j.properties[k] || 'none') +
				', iCalendar ' + (i.properties[k] || 'none'));
			break;
		}
	}
}
if (jEvents.size === 0 && iEvents.size === 0)
	process.stderr.write(jcalFile + ': note: no VEVENT on either side\n');

finish();
