#!/usr/bin/env node
// The subscriber page in headless Chromium (Debian's chromium, driven by
// playwright-core): layout at 1280 and 390 pixels, subscribe and
// autodiscovery links, h-event microformats against calendar.ics, the
// keyboard, landmarks, headings and text contrast.
//
// usage: node page-test.js URL OUTDIR
//
// URL is the site's root as served (e.g. http://127.0.0.1:PORT/ from
// `evfeed serve`). The pages name every URL from the site's public url
// (e.g. https://events.example.org/), read from <link rel="canonical">;
// requests under it are answered from URL instead, in the browser and in
// the checks.
//
// Output: one line per check, "ok - DESC" or "not ok - DESC", with
// "# " lines of diagnostics, for tests/integration/page.sh to turn into
// TAP. Exit status: 0 when every check ran (whatever the results), 2 for a
// usage error, 3 when playwright-core, ical.js or Chromium is missing.
// Screenshots (page-1280.png, page-390.png, archive-390.png) go to OUTDIR.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
	'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync',
];
const FEED_TYPES = {
	'calendar.ics': 'text/calendar',
	'rss.xml': 'application/rss+xml',
	'atom.xml': 'application/atom+xml',
	'feed.json': 'application/feed+json',
	'calendar.json': 'application/calendar+json',
	'.html': 'text/html',
	'.css': 'text/css',
	'.ics': 'text/calendar',
};

function missing(what, e) {
	process.stderr.write('page-test.js: cannot load ' + what + ' (' +
		e.message.split('\n')[0] + '); run tools/install-deps and set ' +
		'NODE_PATH="$(npm root -g)"\n');
	process.exit(3);
}

let chromium, ICAL;
try {
	({ chromium } = require('playwright-core'));
} catch (e) {
	missing('playwright-core', e);
}
try {
	ICAL = require('ical.js');
} catch (e) {
	missing('ical.js', e);
}
if (!fs.existsSync(CHROMIUM))
	missing(CHROMIUM, new Error('no such file'));

const args = process.argv.slice(2);
if (args.length !== 2 || !/^https?:\/\//.test(args[0])) {
	process.stderr.write('usage: node page-test.js URL OUTDIR\n');
	process.exit(2);
}
const served = args[0].endsWith('/') ? args[0] : args[0] + '/';
const outdir = args[1];
fs.mkdirSync(outdir, { recursive: true });

let failures = 0;
function result(good, desc, details) {
	process.stdout.write((good ? 'ok - ' : 'not ok - ') + desc + '\n');
	if (!good) {
		failures++;
		for (const d of [].concat(details || []).slice(0, 20))
			process.stdout.write('# ' + String(d).replace(/\n/g, '\n# ') +
				'\n');
	}
}
// Runs the check FN (which returns a list of problems) as one result.
async function check(desc, fn) {
	let problems;
	try {
		problems = await fn();
	} catch (e) {
		problems = ['threw: ' + (e && e.stack ? e.stack : e)];
	}
	result(problems.length === 0, desc, problems);
	return problems.length === 0;
}

let site = served; // the public url the pages are written for
function local(u) {
	return u.startsWith(site) ? served + u.slice(site.length) : u;
}
function feedType(u) {
	const p = new URL(u).pathname;
	for (const [suffix, type] of Object.entries(FEED_TYPES))
		if (p.endsWith(suffix))
			return type;
	return null;
}

// Fetches a URL of the site through the browser's request context.
const cache = new Map();
async function get(request, u) {
	if (!cache.has(u)) {
		const r = await request.get(local(u), { maxRedirects: 0 });
		cache.set(u, {
			status: r.status(),
			type: (r.headers()['content-type'] || '').split(';')[0].trim(),
			body: await r.text(),
		});
	}
	return cache.get(u);
}
async function checkTarget(request, u, want) {
	const r = await get(request, u);
	const problems = [];
	if (r.status !== 200)
		problems.push(u + ': status ' + r.status);
	if (want && r.type !== want)
		problems.push(u + ': Content-Type ' + r.type + ', expected ' + want);
	return problems;
}

// --------------------------------------------------------------- iCalendar

function parseCalendar(text) {
	const vcal = new ICAL.Component(ICAL.parse(text));
	for (const vtz of vcal.getAllSubcomponents('vtimezone'))
		ICAL.TimezoneService.register(vtz);
	return vcal;
}
// X-WR-CALNAME: ical.js leaves the TEXT escapes of X- properties in.
function calName(text) {
	const p = parseCalendar(text).getFirstProperty('x-wr-calname');
	if (!p)
		return null;
	const v = String(p.getFirstValue());
	return p.type === 'text' ? v : v.replace(/\\([\\;,nN])/g,
		(m, c) => c === 'n' || c === 'N' ? '\n' : c);
}
function pad(n) {
	return String(n).padStart(2, '0');
}
function icalDate(t) {
	return String(t.year).padStart(4, '0') + '-' + pad(t.month) + '-' +
		pad(t.day);
}
// A VEVENT as the page should show it: dates inclusive, instants in ms.
function veventFacts(ve) {
	const ev = new ICAL.Event(ve);
	const start = ev.startDate;
	let end = ev.endDate;
	const facts = {
		uid: ev.uid,
		name: ev.summary,
		location: ve.getFirstPropertyValue('location'),
		categories: [].concat(...ve.getAllProperties('categories')
			.map((p) => p.getValues().map(String))),
	};
	if (start.isDate) {
		const last = end.clone();
		if (ve.hasProperty('dtend') || ve.hasProperty('duration'))
			last.adjust(-1, 0, 0, 0);
		facts.start = icalDate(start);
		facts.end = icalDate(last.compare(start) < 0 ? start : last);
	} else {
		facts.start = start.toJSDate().getTime();
		facts.end = end.toJSDate().getTime();
	}
	return facts;
}

// ---------------------------------------------------------- microformats2

// A tiny microformats2 reader (the parts h-event uses): for each top-level
// .h-event, p-* from text, dt-* from time[datetime] / data[value] / text,
// u-* from href/src; values of nested h-* items are not taken.
function readHEvents() {
	const norm = (s) => s.replace(/\s+/g, ' ').trim();
	const isRoot = (el) => [...el.classList].some((c) => /^h-[a-z]/.test(c));
	function props(root) {
		const out = {};
		const walk = (el) => {
			for (const child of el.children) {
				for (const c of child.classList) {
					const m = /^(p|dt|u|e)-([a-z0-9-]+)$/.exec(c);
					if (!m)
						continue;
					let v;
					if (m[1] === 'p')
						v = norm(child.textContent);
					else if (m[1] === 'dt')
						v = child.getAttribute('datetime') ||
							child.getAttribute('value') ||
							norm(child.textContent);
					else if (m[1] === 'u')
						v = child.href || child.src ||
							norm(child.textContent);
					else
						v = child.innerHTML.trim();
					(out[m[2]] = out[m[2]] || []).push(v);
				}
				if (!isRoot(child))
					walk(child);
			}
		};
		walk(root);
		return out;
	}
	return [...document.querySelectorAll('.h-event')]
		.filter((el) => !el.parentElement.closest('[class*="h-"]') ||
			!isRoot(el.parentElement.closest('[class*="h-"]')))
		.map((el) => {
			const ics = el.querySelector('a[href$=".ics"]');
			return {
				id: el.id,
				props: props(el),
				ics: ics ? ics.href : null,
				cancelled: !!el.querySelector('.p-name s, .p-name del'),
			};
		});
}

// ------------------------------------------------------------ page checks

async function layoutProblems(page) {
	return page.evaluate(() => {
		const d = document.documentElement;
		const out = [];
		if (d.scrollWidth > d.clientWidth)
			out.push('scrollWidth ' + d.scrollWidth + ' > clientWidth ' +
				d.clientWidth);
		for (const el of document.body.querySelectorAll('*')) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > d.clientWidth + 1 &&
			    getComputedStyle(el).position !== 'absolute')
				out.push('<' + el.tagName.toLowerCase() +
					(el.className ? ' class="' + el.className + '"' : '') +
					'> reaches ' + Math.round(r.right) + ' px');
		}
		return out.slice(0, 10);
	});
}

async function structureProblems(page) {
	return page.evaluate(() => {
		const out = [];
		const one = (sel, what) => {
			const n = document.querySelectorAll(sel).length;
			if (n !== 1)
				out.push(n + ' ' + what + ' (expected 1)');
		};
		if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(document.documentElement.lang))
			out.push('html lang="' + document.documentElement.lang + '"');
		const vp = document.querySelector('meta[name=viewport]');
		if (!vp || !/width=device-width/.test(vp.content))
			out.push('no meta viewport with width=device-width');
		if (document.compatMode !== 'CSS1Compat')
			out.push('quirks mode: ' + document.compatMode);
		one('h1', 'h1 elements');
		one('body > header', 'header landmarks');
		one('main', 'main landmarks');
		one('body > footer', 'footer landmarks');
		if (!document.querySelector('header nav'))
			out.push('no nav in the header');
		if (document.querySelectorAll('script').length)
			out.push('the page has script elements');
		for (const el of document.querySelectorAll('*'))
			for (const a of el.getAttributeNames())
				if (/^on/i.test(a))
					out.push('event handler attribute ' + a);
		let last = 0;
		for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
			const level = +h.tagName[1];
			if (level > last + 1)
				out.push('heading "' + h.textContent.trim() + '" is h' +
					level + ' after h' + last);
			last = level;
		}
		const ids = new Set();
		for (const el of document.querySelectorAll('[id]')) {
			if (ids.has(el.id))
				out.push('duplicate id "' + el.id + '"');
			ids.add(el.id);
		}
		for (const a of document.querySelectorAll('a[href^="#"]'))
			if (a.getAttribute('href') !== '#' &&
			    !document.getElementById(a.getAttribute('href').slice(1)))
				out.push('link to missing anchor ' + a.getAttribute('href'));
		for (const img of document.querySelectorAll('img:not([alt])'))
			out.push('img without alt: ' + img.src);
		return out;
	});
}

// WCAG 2 contrast of every visible text against its backdrop: 4.5:1, or
// 3:1 for large text (24 px, or 18.66 px bold).
async function contrastProblems(page) {
	return page.evaluate(() => {
		const parse = (c) => {
			const m = c.match(/rgba?\(([^)]+)\)/);
			if (!m)
				return null;
			const v = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
			return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
		};
		const lum = (c) => {
			const f = (x) => {
				x /= 255;
				return x <= 0.04045 ? x / 12.92 :
					Math.pow((x + 0.055) / 1.055, 2.4);
			};
			return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
		};
		const over = (top, bottom) => ({
			r: top.r * top.a + bottom.r * (1 - top.a),
			g: top.g * top.a + bottom.g * (1 - top.a),
			b: top.b * top.a + bottom.b * (1 - top.a),
			a: 1,
		});
		const backdrop = (el) => {
			const layers = [];
			for (let e = el; e; e = e.parentElement) {
				const bg = parse(getComputedStyle(e).backgroundColor);
				if (bg && bg.a > 0)
					layers.push(bg);
				if (bg && bg.a === 1)
					break;
			}
			let c = { r: 255, g: 255, b: 255, a: 1 };
			for (const l of layers.reverse())
				c = over(l, c);
			return c;
		};
		const out = [];
		const walker = document.createTreeWalker(document.body,
			NodeFilter.SHOW_TEXT);
		const seen = new Set();
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const el = n.parentElement;
			if (!n.textContent.trim() || seen.has(el))
				continue;
			seen.add(el);
			const r = el.getBoundingClientRect();
			const cs = getComputedStyle(el);
			if (r.width <= 1 || r.height <= 1 || cs.visibility === 'hidden' ||
			    el.closest('.vh, .skip, details:not([open]) > :not(summary)'))
				continue;
			const fg = over(parse(cs.color), backdrop(el));
			const bg = backdrop(el);
			const l1 = lum(fg), l2 = lum(bg);
			const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
			const size = parseFloat(cs.fontSize);
			const large = size >= 24 || (size >= 18.66 && +cs.fontWeight >= 700);
			if (ratio < (large ? 3 : 4.5))
				out.push('"' + n.textContent.trim().slice(0, 40) + '": ' +
					ratio.toFixed(2) + ':1 (' + cs.color + ' on rgb(' +
					[bg.r, bg.g, bg.b].map(Math.round).join(', ') + '))');
		}
		return out;
	});
}

// The subscribe lists of the page, each with the name shown (the summary
// of a category's <details>, or null for the page's own scope).
async function subscribeLists(page) {
	return page.evaluate(() => [...document.querySelectorAll('ul.subscribe')]
		.map((ul) => {
			const det = ul.closest('details');
			const pageLink = det ? det.querySelector('p a') : null;
			return {
				category: det ? det.querySelector('summary').textContent.trim()
					: null,
				page: pageLink ? pageLink.href : null,
				links: [...ul.querySelectorAll('a')].map((a) => a.href),
				addresses: [...ul.querySelectorAll('code')]
					.map((c) => c.textContent),
			};
		}));
}

async function checkSubscribeList(page, request, list, title) {
	const problems = [];
	const https = list.links.filter((u) => /^https?:/.test(u) &&
		u.startsWith(site));
	// The calendar's https address is shown to copy, not linked: opened
	// from a link, a calendar is imported, a copy that never updates.
	const ics = list.addresses.find((u) => u.startsWith(site) &&
		u.endsWith('/calendar.ics'));
	const office = list.links.find((u) =>
		u.startsWith('https://outlook.office.com/calendar/0/addfromweb?'));
	const webcal = list.links.find((u) => u.startsWith('webcal://'));
	const google = list.links.find((u) =>
		u.startsWith('https://calendar.google.com/calendar/r?'));
	const outlook = list.links.find((u) =>
		u.startsWith('https://outlook.live.com/calendar/0/addfromweb?'));
	const label = list.category ? 'category "' + list.category + '"' : 'page';

	if (!ics)
		return [label + ': no https calendar address to copy'];
	if (https.some((u) => u.endsWith('/calendar.ics')))
		problems.push(label + ': the calendar is a link, which imports it');
	https.push(ics);
	const dir = ics.slice(0, -'calendar.ics'.length);
	for (const name of ['rss.xml', 'atom.xml', 'feed.json'])
		if (!https.includes(dir + name))
			problems.push(label + ': no link to ' + dir + name);
	if (list.page && !list.page.startsWith(dir))
		problems.push(label + ': its page ' + list.page +
			' is not beside its calendar ' + ics);
	const wantWebcal = 'webcal://' + ics.replace(/^https?:\/\//, '');
	if (webcal !== wantWebcal)
		problems.push(label + ': webcal link ' + webcal + ', expected ' +
			wantWebcal);
	if (!google) {
		problems.push(label + ': no Google Calendar link');
	} else {
		const q = new URL(google).searchParams;
		if (q.get('cid') !== wantWebcal)
			problems.push(label + ': Google cid decodes to ' + q.get('cid'));
	}
	let name = null;
	if (!outlook) {
		problems.push(label + ': no Outlook.com link');
	} else {
		const q = new URL(outlook).searchParams;
		if (q.get('url') !== ics)
			problems.push(label + ': Outlook url decodes to ' + q.get('url'));
		name = q.get('name');
		if (!name)
			problems.push(label + ': Outlook link without a name');
	}
	if (!office) {
		problems.push(label + ': no Outlook (Microsoft 365) link');
	} else {
		const q = new URL(office).searchParams;
		if (q.get('url') !== ics || q.get('name') !== name)
			problems.push(label + ': Microsoft 365 link for ' +
				q.get('url') + ', ' + q.get('name'));
	}
	for (const u of https)
		problems.push(...await checkTarget(request, u, feedType(u)));
	if (problems.length)
		return problems;

	// The right feed: the calendar's name, the feeds' titles and the
	// Outlook name all say the same scope.
	const cal = calName((await get(request, ics)).body);
	if (cal !== name)
		problems.push(label + ': X-WR-CALNAME "' + cal +
			'" but Outlook name "' + name + '"');
	if (title !== null && cal !== title)
		problems.push(label + ': calendar "' + cal + '", expected "' +
			title + '"');
	if (list.category && !(cal || '').endsWith(': ' + list.category))
		problems.push(label + ': calendar "' + cal +
			'" is not the category\'s');
	const titles = await page.evaluate(([rss, atom]) => {
		const title = (xml, sel) => {
			const d = new DOMParser().parseFromString(xml, 'application/xml');
			const t = d.querySelector(sel);
			return t ? t.textContent : null;
		};
		return [title(rss, 'rss > channel > title'),
			title(atom, 'feed > title')];
	}, [(await get(request, dir + 'rss.xml')).body,
		(await get(request, dir + 'atom.xml')).body]);
	const json = JSON.parse((await get(request, dir + 'feed.json')).body);
	for (const [what, t] of [['RSS', titles[0]], ['Atom', titles[1]],
		['JSON Feed', json.title]])
		if (t !== cal)
			problems.push(label + ': ' + what + ' title "' + t +
				'", calendar "' + cal + '"');
	return problems;
}

async function main() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'evfeed-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: FLAGS,
		viewport: { width: 1280, height: 900 },
		serviceWorkers: 'block',
	});
	try {
		await run(context);
	} finally {
		await context.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
}

async function run(context) {
	const request = context.request;
	const page = context.pages()[0] || await context.newPage();
	const outside = new Set();
	const consoleErrors = [];
	page.on('console', (m) => {
		if (m.type() === 'error')
			consoleErrors.push(m.text());
	});

	// Public URLs are answered by the served copy; nothing else is
	// fetched from the network.
	await context.route('**/*', async (route) => {
		const u = route.request().url();
		if (u.startsWith(served) || u.startsWith(site)) {
			if (u.startsWith(served) || site === served)
				return route.continue();
			const r = await request.get(local(u), { maxRedirects: 0 });
			return route.fulfill({ response: r });
		}
		outside.add(u);
		return route.abort();
	});

	const first = await page.goto(served);
	if (!await check('the page loads (' + served + ')', async () =>
		first && first.status() === 200 ? [] :
			['status ' + (first ? first.status() : 'none')]))
		return;
	site = await page.evaluate(() => {
		const c = document.querySelector('link[rel=canonical]');
		return c ? c.href : null;
	}) || served;
	process.stdout.write('# the pages are written for ' + site + '\n');

	const pages = { index: site };
	const archiveUrl = await page.evaluate(() => {
		const a = [...document.querySelectorAll('nav a')]
			.find((x) => /past/i.test(x.textContent));
		return a ? a.href : null;
	});
	await check('the page links to its archive', async () =>
		archiveUrl ? [] : ['no "Past events" link in the nav']);
	if (archiveUrl)
		pages.archive = archiveUrl;
	const categoryUrl = await page.evaluate(() => {
		const a = document.querySelector('.h-event .p-category');
		return a ? a.href : null;
	});
	if (categoryUrl)
		pages.category = categoryUrl;

	const request_ok = (r) => r && r.status() === 200;
	for (const [name, u] of Object.entries(pages)) {
		for (const width of [1280, 390]) {
			await page.setViewportSize({ width, height: 900 });
			const r = await page.goto(u);
			await check(name + ' page at ' + width + ' px: loads, no ' +
				'horizontal scrolling', async () => {
				if (!request_ok(r))
					return [u + ': status ' + (r ? r.status() : 'none')];
				return layoutProblems(page);
			});
			const shot = name === 'index' ? 'page-' + width + '.png' :
				name + '-' + width + '.png';
			await page.screenshot({ path: path.join(outdir, shot),
				fullPage: true });
		}
		await check(name + ' page: lang, viewport, one h1, landmarks, ' +
			'heading order, no script', () => structureProblems(page));
		await check(name + ' page: the stylesheet loads', async () =>
			page.evaluate(() => [...document.styleSheets]
				.some((s) => s.href && s.cssRules.length > 0)) ? [] :
				['no stylesheet with rules']);
		for (const scheme of ['light', 'dark']) {
			await page.emulateMedia({ colorScheme: scheme });
			await check(name + ' page: text contrast, ' + scheme + ' scheme',
				() => contrastProblems(page));
		}
		await page.emulateMedia({ colorScheme: 'light' });

		await check(name + ' page: autodiscovery links resolve with ' +
			'their type', async () => {
			const links = await page.evaluate(() =>
				[...document.querySelectorAll('head link[rel=alternate]')]
					.map((l) => ({ href: l.href, type: l.type })));
			const problems = [];
			const want = ['text/calendar', 'application/rss+xml',
				'application/atom+xml', 'application/feed+json'];
			for (const t of want)
				if (!links.some((l) => l.type === t))
					problems.push('no <link rel="alternate" type="' + t + '">');
			for (const l of links) {
				if (!l.href.startsWith(site))
					problems.push(l.href + ' is not on the site');
				else
					problems.push(...await checkTarget(request, l.href, l.type));
			}
			return problems;
		});

		const lists = await subscribeLists(page);
		const title = await page.evaluate(() => {
			const l = document.querySelector(
				'head link[rel=alternate][type="text/calendar"]');
			return l ? l.title.replace(/ \(iCalendar\)$/, '') : null;
		});
		await check(name + ' page: subscribe links (' + lists.length +
			' lists) are well-formed and reach the right feeds', async () => {
			if (lists.length === 0)
				return ['no subscribe list'];
			const problems = [];
			for (const l of lists)
				problems.push(...await checkSubscribeList(page, request, l,
					l.category ? null : title));
			return problems;
		});

		await check(name + ' page: every link of the page into the site ' +
			'resolves',
			async () => {
			const hrefs = await page.evaluate(() =>
				[...new Set([...document.querySelectorAll('a[href]')]
					.filter((a) => !a.closest('.e-description'))
					.map((a) => a.href))]);
			const problems = [];
			for (const h of hrefs)
				if (h.startsWith(site))
					problems.push(...await checkTarget(request,
						h.replace(/#.*/, ''), feedType(h)));
			return problems;
		});
	}

	// h-event: every event of calendar.ics is on the index or the archive
	// page, with the same name, dates and place.
	const cal = await get(request, site + 'calendar.ics');
	const vevents = new Map();
	for (const ve of parseCalendar(cal.body).getAllSubcomponents('vevent'))
		if (!ve.hasProperty('recurrence-id'))
			vevents.set(String(ve.getFirstPropertyValue('uid')), ve);
	const shown = new Map();
	for (const name of ['index', 'archive']) {
		if (!pages[name])
			continue;
		await page.goto(pages[name]);
		const items = await page.evaluate(readHEvents);
		await check(name + ' page: each h-event\'s properties parse and ' +
			'match calendar.ics (' + items.length + ' events)', async () => {
			const problems = [];
			for (const it of items) {
				const p = it.props;
				const label = name + ' #' + it.id;
				if (!p.name || p.name.length !== 1 || !p.name[0])
					problems.push(label + ': p-name ' + JSON.stringify(p.name));
				if (!p.start) {
					// Date to be announced: feeds only, no calendar.
					if (name !== 'index' || it.ics)
						problems.push(label + ': no dt-start');
					continue;
				}
				if (!it.ics) {
					problems.push(label + ': no "Add to calendar" link');
					continue;
				}
				const one = await get(request, it.ics);
				if (one.status !== 200 || one.type !== 'text/calendar') {
					problems.push(label + ': ' + it.ics + ': ' + one.status +
						' ' + one.type);
					continue;
				}
				const single = parseCalendar(one.body)
					.getFirstSubcomponent('vevent');
				const uid = String(single.getFirstPropertyValue('uid'));
				const ve = vevents.get(uid);
				if (!ve) {
					problems.push(label + ': UID ' + uid +
						' is not in calendar.ics');
					continue;
				}
				if (shown.has(uid))
					problems.push(label + ': also shown as ' + shown.get(uid));
				shown.set(uid, label);
				const f = veventFacts(ve);
				const cmp = (what, got, want) => {
					if (JSON.stringify(got) !== JSON.stringify(want))
						problems.push(label + ': ' + what + ' ' +
							JSON.stringify(got) + ', calendar.ics has ' +
							JSON.stringify(want));
				};
				cmp('p-name', p.name[0], f.name);
				cmp('p-location', p.location ? p.location[0] : null,
					f.location === null ? null : String(f.location));
				cmp('p-category', (p.category || []).slice().sort(),
					f.categories.slice().sort());
				const when = (v) => /T/.test(v) ? Date.parse(v) : v;
				if (!p.end)
					problems.push(label + ': no dt-end');
				cmp('dt-start', when(p.start[0]), f.start);
				if (p.end)
					cmp('dt-end', when(p.end[0]), f.end);
				if (/T/.test(p.start[0]) &&
				    !/(Z|[+-]\d\d:\d\d)$/.test(p.start[0]))
					problems.push(label + ': dt-start ' + p.start[0] +
						' has no offset');
				const status = ve.getFirstPropertyValue('status');
				if ((String(status).toUpperCase() === 'CANCELLED') !==
				    it.cancelled)
					problems.push(label + ': STATUS ' + status +
						' but struck through: ' + it.cancelled);
			}
			return problems;
		});
	}
	await check('every event of calendar.ics (' + vevents.size +
		') is on the index or the archive page', async () =>
		[...vevents.keys()].filter((u) => !shown.has(u))
			.map((u) => 'UID ' + u + ' (' +
				vevents.get(u).getFirstPropertyValue('summary') +
				') is on neither page'));

	// Keyboard: the first Tab reaches the skip link, which shows, with a
	// visible outline; following it moves to the main content.
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(site);
	await page.keyboard.press('Tab');
	await check('keyboard: Tab reaches the skip link first, with a ' +
		'visible focus outline', async () => {
		const f = await page.evaluate(() => {
			const a = document.activeElement;
			const cs = getComputedStyle(a);
			const r = a.getBoundingClientRect();
			return {
				tag: a.tagName, href: a.getAttribute('href'),
				text: a.textContent.trim(),
				outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
				visible: r.width > 0 && r.bottom > 0 && r.top < innerHeight &&
					r.right > 0 && r.left < innerWidth,
			};
		});
		const problems = [];
		if (f.tag !== 'A' || !/^#/.test(f.href || ''))
			problems.push('first focus: <' + f.tag + ' href="' + f.href +
				'"> "' + f.text + '"');
		if (f.outline === 'none' || !(f.width > 0))
			problems.push('focus outline: ' + f.outline + ' ' + f.width + 'px');
		if (!f.visible)
			problems.push('the focused skip link is off screen');
		return problems;
	});
	await page.screenshot({ path: path.join(outdir, 'focus-1280.png') });
	await page.keyboard.press('Enter');
	await check('keyboard: the skip link moves focus to the main content',
		async () => {
		const where = await page.evaluate(() =>
			document.activeElement.closest('main') ? null :
				document.activeElement.tagName + ' ' + location.hash);
		return where ? ['focus after Enter: ' + where] : [];
	});
	await check('keyboard: every link and summary shows a focus outline',
		async () => {
		const problems = [];
		const n = await page.evaluate(() =>
			document.querySelectorAll('a[href], summary').length);
		for (let i = 0; i < Math.min(n, 60); i++) {
			await page.keyboard.press('Tab');
			const f = await page.evaluate(() => {
				const a = document.activeElement;
				const cs = getComputedStyle(a);
				return { what: a.tagName + ' ' + a.textContent.trim()
					.slice(0, 30), outline: cs.outlineStyle,
				width: parseFloat(cs.outlineWidth),
				end: a === document.body || !a.matches('a, summary') };
			});
			if (f.end)
				break;
			if (f.outline === 'none' || !(f.width > 0))
				problems.push(f.what + ': outline ' + f.outline);
		}
		return problems;
	});

	await check('nothing outside the site was requested', async () =>
		[...outside].map((u) => 'requested ' + u));
	await check('no console errors', async () => consoleErrors);
}

main().then(() => {
	process.stdout.write('# ' + failures + ' checks failed; screenshots in ' +
		outdir + '\n');
	process.exit(0);
}, (e) => {
	process.stderr.write('page-test.js: ' + (e && e.stack ? e.stack : e) +
		'\n');
	process.exit(1);
});
