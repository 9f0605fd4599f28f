#!/usr/bin/env node
// Parse an iCalendar file with ical.js (the parser inside Thunderbird) and
// check it against the interoperability rules of RFC 5545, RFC 7986 and
// what Outlook, Google and Apple are known to require.
//
// usage: node check-ics.js FILE [--single] [--expect-events N]
//
// Every problem is printed to stderr as "FILE: problem" and makes the exit
// status 1.  On stdout one JSON object per VEVENT is printed, with the same
// keys and formats as check_ics.py, so that a test can compare both clients:
//   {uid, recurrence_id, summary, start_utc, end_utc, allday, sequence,
//    status, location, categories}
// Timed values are "YYYY-MM-DDTHH:MM:SSZ" instants, all-day values
// "YYYY-MM-DD" dates.
'use strict';

const fs = require('fs');

function usage() {
	process.stderr.write(
		'usage: node check-ics.js FILE [--single] [--expect-events N]\n');
	process.exit(2);
}

let ICAL;
try {
	ICAL = require('ical.js');
} catch (e) {
	process.stderr.write(
		'check-ics.js: cannot load ical.js (' + e.message + '); run ' +
		'tools/install-deps and set NODE_PATH="$(npm root -g)"\n');
	process.exit(3);
}

const args = process.argv.slice(2);
let file = null;
let single = false;
let expectEvents = null;
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	if (a === '--single') {
		single = true;
	} else if (a === '--expect-events') {
		if (i + 1 >= args.length || !/^\d+$/.test(args[i + 1]))
			usage();
		expectEvents = parseInt(args[++i], 10);
	} else if (a.startsWith('-') || file !== null) {
		usage();
	} else {
		file = a;
	}
}
if (file === null)
	usage();

const problems = [];
function problem(msg) {
	problems.push(msg);
}

function finish(events) {
	for (const ev of events || [])
		process.stdout.write(JSON.stringify(ev) + '\n');
	for (const p of problems)
		process.stderr.write(file + ': ' + p + '\n');
	process.exit(problems.length ? 1 : 0);
}

let raw;
try {
	raw = fs.readFileSync(file);
} catch (e) {
	problem('cannot read: ' + e.message);
	finish();
}

// ------------------------------------------------------------- raw octets

if (raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf)
	problem('starts with a UTF-8 byte order mark');

if (raw.length === 0) {
	problem('empty file');
	finish();
}

// Unfold at the octet level first, so that a fold inside a UTF-8 sequence
// is reported once (below) and not again as invalid UTF-8.
const unfolded = Buffer.from(raw.toString('latin1')
	.replace(/\r?\n[ \t]/g, ''), 'latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });
let text;
try {
	text = utf8.decode(unfolded);
} catch (e) {
	problem('not valid UTF-8');
	text = unfolded.toString('utf8');
}

// Split into physical lines on CRLF, and check every line ending.
{
	let lineNo = 1;
	let start = 0;
	let bareLF = 0;
	let bareCR = 0;
	for (let i = 0; i < raw.length; i++) {
		if (raw[i] === 0x0d) {
			if (i + 1 < raw.length && raw[i + 1] === 0x0a) {
				checkPhysicalLine(raw.subarray(start, i), lineNo);
				i++;
				start = i + 1;
				lineNo++;
			} else if (bareCR++ === 0) {
				problem('line ' + lineNo + ': CR without LF');
			}
		} else if (raw[i] === 0x0a) {
			if (bareLF++ === 0)
				problem('line ' + lineNo + ': ends in LF, not CRLF');
			checkPhysicalLine(raw.subarray(start, i), lineNo);
			start = i + 1;
			lineNo++;
		}
	}
	if (start < raw.length) {
		problem('last line does not end in CRLF');
		checkPhysicalLine(raw.subarray(start), lineNo);
	}
	if (bareLF > 1)
		problem(bareLF + ' lines end in a bare LF');
}

function checkPhysicalLine(bytes, lineNo) {
	if (bytes.length > 75)
		problem('line ' + lineNo + ': ' + bytes.length +
			' octets, more than 75 (fold it)');
	if (bytes.length === 0)
		problem('line ' + lineNo + ': empty line');
	if (bytes.length > 0 && (bytes[0] === 0x20 || bytes[0] === 0x09)) {
		if (bytes.length > 1 && (bytes[1] & 0xc0) === 0x80)
			problem('line ' + lineNo +
				': folded inside a UTF-8 sequence ' +
				'(continuation line starts with byte 0x' +
				bytes[1].toString(16) + ')');
	}
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i];
		if ((b < 0x20 && b !== 0x09) || b === 0x7f) {
			problem('line ' + lineNo +
				': control character 0x' + b.toString(16));
			break;
		}
	}
}

// ------------------------------------------------- unfolded content lines

// Content lines (already unfolded) for the lexical checks below.
const logical = text.split(/\r?\n/);
if (logical.length && logical[logical.length - 1] === '')
	logical.pop();

function splitLine(line) {
	// name *(";" param) ":" value, with DQUOTEs protecting ":" ";" ","
	let inq = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (c === '"')
			inq = !inq;
		else if (c === ':' && !inq)
			return { head: line.slice(0, i), value: line.slice(i + 1) };
	}
	return null;
}

// Parameters of calendar-level properties, as written (ical.js consumes VALUE=).
const calParams = new Map();

const TEXT_PROPS = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT',
	'NAME', 'X-WR-CALNAME', 'X-WR-CALDESC', 'CONTACT', 'RESOURCES']);

{
	const stack = [];
	let seenComponent = false;
	let afterAlarm = false;
	logical.forEach((line, idx) => {
		const where = 'content line ' + (idx + 1);
		const parts = splitLine(line);
		if (!parts) {
			problem(where + ': no ":" in "' + line.slice(0, 40) + '"');
			return;
		}
		const name = parts.head.split(';')[0];
		if (!/^[A-Z0-9-]+$/.test(name))
			problem(where + ': property name "' + name +
				'" is not upper-case');
		const uname = name.toUpperCase();
		if (uname === 'BEGIN') {
			if (stack.length === 1)
				seenComponent = true;
			if (stack.length === 0 && parts.value !== 'VCALENDAR')
				problem(where + ': first component is ' +
					parts.value + ', not VCALENDAR');
			if (stack.length === 0 && idx !== 0)
				problem(where + ': BEGIN:VCALENDAR is not the first line');
			stack.push(parts.value.toUpperCase());
			return;
		}
		if (uname === 'END') {
			const top = stack.pop();
			if (top !== parts.value.toUpperCase())
				problem(where + ': END:' + parts.value +
					' closes ' + top);
			if (top === 'VALARM')
				afterAlarm = true;
			if (top === 'VEVENT')
				afterAlarm = false;
			if (stack.length === 0 && idx !== logical.length - 1)
				problem(where + ': content after END:VCALENDAR');
			return;
		}
		if (stack.length === 0) {
			problem(where + ': property ' + name +
				' outside of any component');
			return;
		}
		if (stack.length === 1)
			calParams.set(uname, parts.head.split(';').slice(1)
				.map((x) => x.toUpperCase()));
		if (stack.length === 1 && seenComponent)
			problem(where + ': calendar property ' + name +
				' after the first component (Outlook ignores it)');
		if (stack[stack.length - 1] === 'VEVENT' && afterAlarm)
			problem(where + ': VEVENT property ' + name +
				' after a VALARM');
		if ((uname === 'TZOFFSETFROM' || uname === 'TZOFFSETTO') &&
		    !/^[+-]\d{4}$/.test(parts.value))
			problem(where + ': ' + uname + ':' + parts.value +
				' is not +hhmm (seconds offsets are LMT observances)');
		if (TEXT_PROPS.has(uname) || uname === 'CATEGORIES')
			checkTextEscapes(where, uname, parts.value);
	});
	if (stack.length)
		problem('component ' + stack.join('/') + ' is not closed');
}

function checkTextEscapes(where, name, value) {
	for (let i = 0; i < value.length; i++) {
		const c = value[i];
		if (c === '\\') {
			const n = value[i + 1];
			if (n === undefined || '\\;,nN'.indexOf(n) < 0) {
				problem(where + ': ' + name + ': invalid escape "\\' +
					(n === undefined ? '' : n) + '"');
			}
			i++;
		} else if (c === ';' || (c === ',' && name !== 'CATEGORIES')) {
			problem(where + ': ' + name + ': unescaped "' + c +
				'" in TEXT value');
			return;
		}
	}
}

// ------------------------------------------------------------ ical.js parse

let vcal;
try {
	const jcal = ICAL.parse(text);
	if (Array.isArray(jcal) && Array.isArray(jcal[0])) {
		problem('contains ' + jcal.length + ' VCALENDAR objects, not one');
		vcal = new ICAL.Component(jcal[0]);
	} else {
		vcal = new ICAL.Component(jcal);
	}
} catch (e) {
	problem('ical.js cannot parse it: ' + e.message);
	finish();
}

if (vcal.name !== 'vcalendar') {
	problem('top-level component is ' + vcal.name + ', not vcalendar');
	finish();
}

function countProps(comp, name) {
	return comp.getAllProperties(name).length;
}
function firstString(comp, name) {
	const p = comp.getFirstProperty(name);
	if (!p)
		return null;
	const v = p.getFirstValue();
	return v === null || v === undefined ? null : String(v);
}

// VCALENDAR properties
if (countProps(vcal, 'version') !== 1 || firstString(vcal, 'version') !== '2.0')
	problem('VCALENDAR needs exactly one VERSION:2.0');
if (countProps(vcal, 'prodid') !== 1 || !firstString(vcal, 'prodid'))
	problem('VCALENDAR needs exactly one non-empty PRODID');
{
	const cs = firstString(vcal, 'calscale');
	if (cs !== null && cs.toUpperCase() !== 'GREGORIAN')
		problem('CALSCALE is ' + cs + ', not GREGORIAN');
	const method = firstString(vcal, 'method');
	if (method !== null && method !== 'PUBLISH')
		problem('METHOD:' + method + ' (a feed must use PUBLISH or omit it)');
}

if (vcal.getAllSubcomponents().length === 0)
	problem('VCALENDAR has no component (RFC 5545 §3.6 needs at least one)');

if (single) {
	if (countProps(vcal, 'x-wr-calname'))
		problem('single-event file has X-WR-CALNAME (Outlook opens it ' +
			'as a new calendar)');
	if (countProps(vcal, 'name'))
		problem('single-event file has a calendar NAME');
} else {
	if (countProps(vcal, 'x-wr-calname') !== 1 ||
	    !firstString(vcal, 'x-wr-calname'))
		problem('subscription calendar needs one non-empty X-WR-CALNAME');
	if (countProps(vcal, 'name') !== 1 || !firstString(vcal, 'name'))
		problem('subscription calendar needs one non-empty NAME (RFC 7986)');
	if (firstString(vcal, 'method') !== 'PUBLISH')
		problem('subscription calendar needs METHOD:PUBLISH');
	const ri = vcal.getFirstProperty('refresh-interval');
	let riValue = null;
	if (!ri) {
		problem('subscription calendar has no REFRESH-INTERVAL');
	} else {
		const params = calParams.get('REFRESH-INTERVAL') || [];
		if (params.indexOf('VALUE=DURATION') < 0)
			problem('REFRESH-INTERVAL lacks the mandatory ' +
				'VALUE=DURATION parameter');
		riValue = String(ri.getFirstValue());
		if (!/^P/.test(riValue))
			problem('REFRESH-INTERVAL value ' + riValue +
				' is not a duration');
	}
	const ttl = firstString(vcal, 'x-published-ttl');
	if (ttl === null)
		problem('subscription calendar has no X-PUBLISHED-TTL');
	else if (!/^P/.test(ttl))
		problem('X-PUBLISHED-TTL value ' + ttl + ' is not a duration');
	else if (riValue !== null && ttl !== riValue)
		problem('X-PUBLISHED-TTL ' + ttl + ' differs from ' +
			'REFRESH-INTERVAL ' + riValue);
}

// ---------------------------------------------------------------- VTIMEZONE

const vtimezones = vcal.getAllSubcomponents('vtimezone');
const tzids = new Set();
for (const vtz of vtimezones) {
	const tzid = firstString(vtz, 'tzid');
	if (!tzid) {
		problem('VTIMEZONE without TZID');
		continue;
	}
	if (tzids.has(tzid))
		problem('VTIMEZONE ' + tzid + ' defined twice');
	tzids.add(tzid);
	if (tzid.indexOf('/freeassociation') >= 0 ||
	    tzid.indexOf('freeassociation.sourceforge.net') >= 0)
		problem('VTIMEZONE TZID "' + tzid + '" carries libical\'s ' +
			'/freeassociation prefix; use the IANA name');
	const obs = vtz.getAllSubcomponents().filter(
		(c) => c.name === 'standard' || c.name === 'daylight');
	if (obs.length === 0)
		problem('VTIMEZONE ' + tzid + ' has no STANDARD/DAYLIGHT');
	if (countProps(vtz, 'rdate'))
		problem('VTIMEZONE ' + tzid + ' has RDATE');
	for (const o of vtz.getAllSubcomponents()) {
		if (o.name !== 'standard' && o.name !== 'daylight') {
			problem('VTIMEZONE ' + tzid + ' contains ' +
				o.name.toUpperCase());
			continue;
		}
		const label = 'VTIMEZONE ' + tzid + ' ' + o.name.toUpperCase();
		for (const req of ['dtstart', 'tzoffsetfrom', 'tzoffsetto'])
			if (countProps(o, req) !== 1)
				problem(label + ' needs exactly one ' +
					req.toUpperCase());
		if (countProps(o, 'rdate'))
			problem(label + ' has RDATE (Outlook dislikes it; use RRULE)');
	}
	try {
		ICAL.TimezoneService.register(vtz);
	} catch (e) {
		problem('VTIMEZONE ' + tzid + ': ical.js cannot use it: ' +
			e.message);
	}
}

// Every TZID= parameter anywhere must name a VTIMEZONE of this object.
function walkProps(comp, fn) {
	for (const p of comp.getAllProperties())
		fn(p, comp);
	for (const c of comp.getAllSubcomponents())
		walkProps(c, fn);
}
walkProps(vcal, (p, comp) => {
	const tzid = p.getParameter('tzid');
	if (tzid === undefined || tzid === null)
		return;
	const where = comp.name.toUpperCase() + ' ' + p.name.toUpperCase();
	if (String(tzid).indexOf('freeassociation') >= 0)
		problem(where + ': TZID "' + tzid + '" carries libical\'s ' +
			'/freeassociation prefix');
	if (!tzids.has(String(tzid)))
		problem(where + ': TZID "' + tzid + '" has no VTIMEZONE in ' +
			'this file (ical.js would make it floating)');
	const v = p.getFirstValue();
	if (v && v.zone === ICAL.Timezone.utcTimezone &&
	    /Z$/.test(p.toICALString()))
		problem(where + ': TZID parameter on a UTC (Z) value');
});

// ------------------------------------------------------------------ VEVENTs

function pad(n, w) {
	return String(n).padStart(w || 2, '0');
}
function fmtDate(t) {
	return pad(t.year, 4) + '-' + pad(t.month) + '-' + pad(t.day);
}
function fmtUtc(t) {
	const u = t.convertToZone(ICAL.Timezone.utcTimezone);
	return fmtDate(u) + 'T' + pad(u.hour) + ':' + pad(u.minute) + ':' +
		pad(u.second) + 'Z';
}
function isFloating(t) {
	return !t.isDate && (!t.zone || t.zone === ICAL.Timezone.localTimezone ||
		t.zone.tzid === 'floating');
}
function fmtTime(t) {
	return t.isDate ? fmtDate(t) : fmtUtc(t);
}

const vevents = vcal.getAllSubcomponents('vevent');
const events = [];
const keys = new Set();
const masters = new Set();
const overrides = [];

if (!single && vcal.getAllSubcomponents('valarm').length)
	problem('VALARM at calendar level');

vevents.forEach((ve, idx) => {
	const uid = firstString(ve, 'uid');
	const label = 'VEVENT ' + (uid ? '"' + uid + '"' : '#' + (idx + 1));
	if (!uid)
		problem(label + ': no UID');
	else if (Buffer.byteLength(uid, 'utf8') > 202)
		problem(label + ': UID longer than 202 octets (Outlook)');
	for (const one of ['uid', 'dtstamp', 'dtstart', 'dtend', 'duration',
		'sequence', 'summary', 'description', 'location', 'status',
		'recurrence-id', 'last-modified', 'created', 'url', 'transp',
		'class', 'rrule'])
		if (countProps(ve, one) > 1)
			problem(label + ': ' + one.toUpperCase() +
				' appears more than once');

	const dtstampP = ve.getFirstProperty('dtstamp');
	if (!dtstampP) {
		problem(label + ': no DTSTAMP');
	} else {
		const v = dtstampP.getFirstValue();
		if (!v || v.isDate || v.zone !== ICAL.Timezone.utcTimezone)
			problem(label + ': DTSTAMP is not a UTC date-time');
	}
	for (const utcProp of ['last-modified', 'created']) {
		const p = ve.getFirstProperty(utcProp);
		if (!p)
			continue;
		const v = p.getFirstValue();
		if (!v || v.isDate || v.zone !== ICAL.Timezone.utcTimezone)
			problem(label + ': ' + utcProp.toUpperCase() +
				' is not a UTC date-time');
	}

	const seqP = ve.getFirstProperty('sequence');
	let sequence = null;
	if (!seqP) {
		problem(label + ': no SEQUENCE');
	} else {
		sequence = seqP.getFirstValue();
		if (typeof sequence !== 'number' || !Number.isInteger(sequence) ||
		    sequence < 0)
			problem(label + ': SEQUENCE is not a non-negative integer');
	}

	const status = firstString(ve, 'status');
	if (status !== null &&
	    ['TENTATIVE', 'CONFIRMED', 'CANCELLED'].indexOf(status) < 0)
		problem(label + ': STATUS:' + status + ' is not valid for VEVENT');

	if (countProps(ve, 'attendee') && !single)
		problem(label + ': ATTENDEE in a public subscription feed');
	if (ve.getAllSubcomponents('valarm').length && !single)
		problem(label + ': VALARM in a subscription feed');

	const dtstartP = ve.getFirstProperty('dtstart');
	const dtendP = ve.getFirstProperty('dtend');
	const durationP = ve.getFirstProperty('duration');
	if (dtendP && durationP)
		problem(label + ': has both DTEND and DURATION');

	let start = null;
	let end = null;
	if (!dtstartP) {
		problem(label + ': no DTSTART');
	} else {
		start = dtstartP.getFirstValue();
		if (!start || typeof start.toUnixTime !== 'function') {
			problem(label + ': DTSTART is not a date or date-time');
			start = null;
		} else if (isFloating(start)) {
			problem(label + ': DTSTART is a floating date-time ' +
				'(no TZID with VTIMEZONE, no Z)');
		}
	}
	if (dtendP) {
		end = dtendP.getFirstValue();
		if (!end || typeof end.toUnixTime !== 'function') {
			problem(label + ': DTEND is not a date or date-time');
			end = null;
		} else if (start) {
			if (start.isDate !== end.isDate)
				problem(label + ': DTEND is a ' +
					(end.isDate ? 'DATE' : 'DATE-TIME') +
					' but DTSTART is a ' +
					(start.isDate ? 'DATE' : 'DATE-TIME'));
			else if (end.compare(start) <= 0)
				problem(label + ': DTEND ' + fmtTime(end) +
					' is not after DTSTART ' + fmtTime(start));
			if (isFloating(end))
				problem(label + ': DTEND is a floating date-time');
		}
	} else if (start && durationP) {
		const d = durationP.getFirstValue();
		end = start.clone();
		end.addDuration(d);
		if (end.compare(start) < 0)
			problem(label + ': negative DURATION');
	} else if (start) {
		// RFC 5545 §3.6.1: a DATE start alone lasts one day, a DATE-TIME
		// start alone ends when it starts.
		end = start.clone();
		if (start.isDate)
			end.adjust(1, 0, 0, 0);
	}

	const ridP = ve.getFirstProperty('recurrence-id');
	let rid = null;
	if (ridP) {
		const r = ridP.getFirstValue();
		if (!r || typeof r.toUnixTime !== 'function') {
			problem(label + ': RECURRENCE-ID is not a date or date-time');
		} else {
			if (isFloating(r))
				problem(label + ': RECURRENCE-ID is floating');
			rid = fmtTime(r);
		}
	}
	for (const p of ve.getAllProperties('exdate').concat(
		ve.getAllProperties('rdate'))) {
		for (const v of p.getValues()) {
			if (v && typeof v.toUnixTime === 'function' && isFloating(v))
				problem(label + ': ' + p.name.toUpperCase() +
					' is floating');
			if (v && start && typeof v.toUnixTime === 'function' &&
			    v.isDate !== start.isDate)
				problem(label + ': ' + p.name.toUpperCase() +
					' value type differs from DTSTART');
		}
	}
	const rruleP = ve.getFirstProperty('rrule');
	if (rruleP && start) {
		const rr = rruleP.getFirstValue();
		if (rr && rr.until) {
			if (start.isDate && !rr.until.isDate)
				problem(label + ': RRULE UNTIL must be a DATE');
			if (!start.isDate && rr.until.zone !==
			    ICAL.Timezone.utcTimezone)
				problem(label + ': RRULE UNTIL must be UTC');
		}
	}

	if (uid) {
		const key = uid + '\u0000' + (rid || '');
		if (keys.has(key))
			problem(label + ': UID' + (rid ? '+RECURRENCE-ID ' + rid :
				'') + ' is not unique');
		keys.add(key);
		if (rid)
			overrides.push(uid);
		else
			masters.add(uid);
	}

	// ICAL.Event must see the same times: it is what Thunderbird uses.
	let evStart = start;
	let evEnd = end;
	try {
		const e = new ICAL.Event(ve);
		if (start && e.startDate &&
		    e.startDate.toUnixTime() !== start.toUnixTime())
			problem(label + ': ICAL.Event start differs');
		if (e.startDate)
			evStart = e.startDate;
		if (dtendP || durationP) {
			if (e.endDate)
				evEnd = e.endDate;
		}
	} catch (err) {
		problem(label + ': ICAL.Event fails: ' + err.message);
	}

	const categories = [];
	for (const p of ve.getAllProperties('categories'))
		for (const v of p.getValues())
			categories.push(String(v));

	events.push({
		uid: uid,
		recurrence_id: rid,
		summary: firstString(ve, 'summary'),
		start_utc: evStart ? fmtTime(evStart) : null,
		end_utc: evEnd ? fmtTime(evEnd) : null,
		allday: evStart ? Boolean(evStart.isDate) : false,
		sequence: sequence,
		status: status,
		location: firstString(ve, 'location'),
		categories: categories,
	});
});

for (const uid of overrides)
	if (!masters.has(uid))
		problem('VEVENT "' + uid + '": RECURRENCE-ID override without ' +
			'its master event in the same file');

if (single) {
	const masterEvents = vevents.filter(
		(v) => !v.getFirstProperty('recurrence-id'));
	const uids = new Set(vevents.map((v) => firstString(v, 'uid')));
	if (masterEvents.length !== 1 || uids.size !== 1)
		problem('single-event file must hold exactly one VEVENT ' +
			'(found ' + vevents.length + ')');
}
if (expectEvents !== null && vevents.length !== expectEvents)
	problem('expected ' + expectEvents + ' VEVENTs, found ' +
		vevents.length);

finish(events);
