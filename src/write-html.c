/*
 * write-html.c: a view → the subscriber page (index.html, archive.html of a
 * scope) and the site's one stylesheet. The page is HTML5 written through
 * xmlTextWriter, which does all the escaping; only the event descriptions,
 * already reduced to an allowlist by evf_html_sanitize, are written raw.
 *
 * Upcoming or past: an event is past once it has ended by @now, the time
 * of the build (never before the site's last change). The page depends on
 * @now only through which events had ended by then and which occurrence of
 * each running series is next, so that builds at other times give the
 * same bytes until one of these changes (evf_page_prepare says when); the
 * footer gives the site's last change, not @now.
 * A running series is listed, on the page of upcoming events, at its
 * occurrence then current or next (the first not ended by @now), under
 * that occurrence's month, and its article names it ("Next"); articles
 * are kept on the event for the occurrence in ev->next_day, next_start.
 *
 * Invariants: the bytes depend on the view and @now only (no wall clock, no
 * locale: month names are spelled here); every URL is absolute from the
 * site's url except the stylesheet's, which is relative so that a copy of
 * the output folder still shows styled; elements that may not be empty in
 * HTML are always closed with an end tag (never "<div/>"), and only void
 * elements (meta, link, img) are written self-closed. No script, ever.
 * The page's own ids ("_main", "_m-2027-03"…) start with '_', which an
 * event's slug, its article's id, never has ([a-z0-9-]; a partner series'
 * a '.' too): no event file's name can take an id of the page.
 */
#include "autoconf.h"
#include "render.h"

#include "autocleanups.h"
#include "rrule.h"
#include "tz.h"
#include "util.h"
#include "xmlout.h"

#include <libical/ical.h>
#include <string.h>

static const char *const month_names[] = {
	"",        "January",  "February", "March",  "April",
	"May",     "June",     "July",     "August", "September",
	"October", "November", "December",
};

/* Recurrences are followed this far to decide whether a series is over;
 * a longer series counts as upcoming (an event file's COUNT goes no
 * further). */
#define MAX_OCCURRENCES EVF_RRULE_MAX_COUNT

typedef struct {
	xmlTextWriter *w;
	gboolean ok;
	const EvfConfig *cfg;
	const EvfView *view;
	char *dir;     /* the scope's folder: "" or "category/x/" */
	gboolean root; /* the scope is the whole site */
	gboolean archive;
	gint64 now;
	gint64 changed; /* the site's last change, µs */
	GTimeZone *tz;  /* the site's */
} Page;

/* A series' occurrence other than its first: the day it starts (a Julian
 * day, as evf_event_start_day gives it) and, timed, its instant (unix
 * seconds); day 0 for none. @ends: when the event that had not ended
 * is over, or the occurrence found is (unix seconds; 0 when not known):
 * until then the answer of compute_past stays the same. */
typedef struct {
	guint32 day;
	gint64 start;
	gint64 ends;
} Occurrence;

/* An event as the page lists it: at @next, the occurrence of a running
 * series then current or next (compute_past), else at its start; @day and
 * @start are that day and instant, the keys of its order. */
typedef struct {
	EvfEvent *ev;
	Occurrence next;
	guint32 day;
	gint64 start;
	const char *further; /* a partner's series': list_series_once */
} Listed;

/* ------------------------------------------------------------ writing */

static void
start(Page *p, const char *name)
{
	p->ok &= xmlTextWriterStartElement(p->w, BAD_CAST name) >= 0;
}

/* Closes a non-void element with an end tag, even when it is empty. */
static void
end(Page *p)
{
	p->ok &= xmlTextWriterFullEndElement(p->w) >= 0;
}

/* Closes a void element (meta, link, img): "<link …/>". */
static void
end_void(Page *p)
{
	p->ok &= xmlTextWriterEndElement(p->w) >= 0;
}

static void
attr(Page *p, const char *name, const char *value)
{
	g_autofree char *clean = NULL;

	if (value == NULL)
		return;
	clean = evf_text_sanitize(value, -1);
	p->ok &= xmlTextWriterWriteAttribute(p->w, BAD_CAST name,
	                                     BAD_CAST clean) >= 0;
}

static void
text(Page *p, const char *s)
{
	g_autofree char *clean = NULL;

	if (s == NULL || s[0] == '\0')
		return;
	clean = evf_text_sanitize(s, -1);
	p->ok &= xmlTextWriterWriteString(p->w, BAD_CAST clean) >= 0;
}

/* A line break between blocks, so that the source reads well. */
static void
nl(Page *p)
{
	p->ok &= xmlTextWriterWriteRaw(p->w, BAD_CAST "\n") >= 0;
}

/* Whether @lang (a BCP 47 tag) is English, the language of evfeed's own
 * words on the pages. */
static gboolean
is_english(const char *lang)
{
	return g_ascii_strncasecmp(lang, "en", 2) == 0 &&
	       (lang[2] == '\0' || lang[2] == '-');
}

/* Marks the element just opened as the site's text, not evfeed's: in the
 * site's language, when that is not English, the language of the page's
 * own words (a screen reader reads each in its own voice), and laid out
 * by its first strong character (a Hebrew or Arabic title right to left,
 * its punctuation where it belongs). */
static void
own_text(Page *p)
{
	if (!is_english(p->cfg->language))
		attr(p, "lang", p->cfg->language);
	attr(p, "dir", "auto");
}

/* <name href="href" class="cls">text</name>, @href (nullable) for a
 * link; @own: of the site's text (own_text). */
static void
put(Page *p, const char *name, const char *href, const char *cls, const char *s,
    gboolean own)
{
	start(p, name);
	attr(p, "href", href);
	attr(p, "class", cls);
	if (own)
		own_text(p);
	text(p, s);
	end(p);
}

/* <name class="cls">text</name> */
static void
element(Page *p, const char *name, const char *cls, const char *s)
{
	put(p, name, NULL, cls, s, FALSE);
}

/* element(), of the site's text. */
static void
own_element(Page *p, const char *name, const char *cls, const char *s)
{
	put(p, name, NULL, cls, s, TRUE);
}

static void
link_to(Page *p, const char *href, const char *cls, const char *s)
{
	put(p, "a", href, cls, s, FALSE);
}

/* Opens a section (with @id or @cls) labelled by its h2 heading. */
static void
start_section(Page *p, const char *id, const char *cls, const char *heading_id,
              const char *heading)
{
	start(p, "section");
	attr(p, "id", id);
	attr(p, "class", cls);
	attr(p, "aria-labelledby", heading_id);
	nl(p);
	start(p, "h2");
	attr(p, "id", heading_id);
	text(p, heading);
	end(p);
	nl(p);
}

/* Text for screen readers only, to tell apart links that read the same. */
static void
hidden_text(Page *p, const char *s)
{
	element(p, "span", "vh", s);
}

/* --------------------------------------------------------------- URLs */

static char *
site_url(const Page *p, const char *dir, const char *name)
{
	g_autofree char *path = g_strconcat(dir, name, NULL);

	return evf_config_url(p->cfg, path);
}

/* (transfer full): the page of the scope in @dir; the root is the site's
 * url itself, which the daemon and any web server map to index.html. */
static char *
page_url(const Page *p, const char *dir, gboolean archive)
{
	if (archive)
		return site_url(p, dir, "archive.html");
	if (dir[0] == '\0')
		return g_strdup(p->cfg->url);
	return site_url(p, dir, "index.html");
}

/* (transfer full): @url with its http or https scheme swapped for webcal. */
static char *
webcal_url(const char *url)
{
	if (g_str_has_prefix(url, "https://"))
		return g_strconcat("webcal://", url + strlen("https://"), NULL);
	if (g_str_has_prefix(url, "http://"))
		return g_strconcat("webcal://", url + strlen("http://"), NULL);
	return g_strdup(url);
}

static char *
query_escape(const char *s)
{
	return g_uri_escape_string(s, NULL, FALSE);
}

/* ------------------------------------------------------------- events */

/* Midnight at the start of @d in @site_tz, the site's zone, in unix
 * seconds: all-day dates are the site's. */
static gint64
day_start(GTimeZone *site_tz, const GDate *d)
{
	g_autoptr(GDateTime) t = evf_tz_datetime_new(
	    site_tz, g_date_get_year(d), g_date_get_month(d), g_date_get_day(d),
	    0, 0, 0);

	return g_date_time_to_unix(t);
}

/* The end of the occurrence of @ev that starts at @at (a wall time in
 * @tz, the event's zone), unix seconds. */
static gint64
occurrence_end(GTimeZone *site_tz, const EvfEvent *ev, GTimeZone *tz,
               struct icaltimetype at)
{
	if (ev->all_day) {
		GDate d;

		g_date_clear(&d, 1);
		g_date_set_dmy(&d, (GDateDay)at.day, (GDateMonth)at.month,
		               (GDateYear)at.year);
		g_date_add_days(&d, g_date_get_julian(&ev->end_date) -
		                        g_date_get_julian(&ev->start_date));
		return day_start(site_tz, &d);
	}
	{
		g_autoptr(GDateTime) utc =
		    g_date_time_new_from_unix_utc(evf_rrule_instant(tz, at));
		g_autoptr(GDateTime) start = NULL;
		g_autoptr(GDateTime) end = NULL;

		if (utc == NULL)
			return evf_rrule_instant(tz, at);
		start = g_date_time_to_timezone(
		    utc, g_date_time_get_timezone(ev->start));
		end = evf_event_occurrence_end(ev, start);
		return g_date_time_to_unix(end);
	}
}

/* @t's wall clock read as UTC, unix seconds: the clock libical steps an
 * hourly rule on. */
static gint64
naive_seconds(struct icaltimetype t)
{
	g_autoptr(GDateTime) d = g_date_time_new_utc(
	    t.year, t.month, t.day, t.is_date ? 0 : t.hour,
	    t.is_date ? 0 : t.minute, t.is_date ? 0 : t.second);

	return d != NULL ? g_date_time_to_unix(d) : 0;
}

/* Moves @it, running the rule @rt without COUNT from @first, to just
 * before the occurrences that may end after @now (unix seconds): libical
 * steps through ICU, some microseconds an occurrence, and an hourly series
 * since 1990 has hundreds of thousands of them. Every occurrence it skips
 * starts over a day before @now less the event's length, so it ended
 * before @now whatever the zones (an all-day date ends at midnight in the
 * site's zone, at most 14 hours from UTC's) or a DST hour.
 *
 * A rule by hours is started afresh on its own grid instead (its first
 * step on the wall clock from @first that is not after that point, a
 * whole number of INTERVAL hours): libical's set_start moves the grid of
 * such a rule (an hourly rule of interval 5 from 1 April 03:00, started
 * on 30 May 07:00, gives 08:00, 13:00…). The fresh start is itself given
 * as an occurrence, whatever the rule's BY parts say, but it ended long
 * before @now. */
static void
skip_to_near(icalrecur_iterator **it, const struct icalrecurrencetype *rt,
             const EvfEvent *ev, struct icaltimetype first, gint64 now)
{
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) local = NULL;
	struct icaltimetype target;
	gint64 length;

	length = ev->all_day ? ((gint64)g_date_get_julian(&ev->end_date) -
	                        g_date_get_julian(&ev->start_date)) *
	                           86400
	                     : g_date_time_to_unix(ev->end) -
	                           g_date_time_to_unix(ev->start);
	utc = g_date_time_new_from_unix_utc(now - length - 2 * 86400);
	if (utc == NULL)
		return;
	if (ev->all_day) {
		target = first;
		target.year = g_date_time_get_year(utc);
		target.month = g_date_time_get_month(utc);
		target.day = g_date_time_get_day_of_month(utc);
	} else {
		local = g_date_time_to_timezone(
		    utc, g_date_time_get_timezone(ev->start));
		target = evf_tz_wall_time(local);
	}
	if (icaltime_compare(target, first) <= 0)
		return;
	if (rt->freq == ICAL_HOURLY_RECURRENCE) {
		gint64 step = 3600 * (gint64)MAX(rt->interval, 1);
		gint64 from = naive_seconds(first);
		g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(
		    from + (naive_seconds(target) - from) / step * step);
		icalrecur_iterator *fresh;

		if (at == NULL)
			return;
		target = evf_tz_wall_time(at);
		target.zone = first.zone;
		fresh = icalrecur_iterator_new(*rt, target);
		if (fresh == NULL) {
			icalerror_clear_errno();
			return;
		}
		icalrecur_iterator_free(*it);
		*it = fresh;
	} else if (!icalrecur_iterator_set_start(*it, target)) {
		icalerror_clear_errno();
	}
}

/* Notes @at, an occurrence of @ev in @tz (its zone; NULL: UTC) as
 * evf_rrule_start gives the first, in @l, unless it is the first. */
static void
note_occurrence(const EvfEvent *ev, GTimeZone *tz, struct icaltimetype first,
                struct icaltimetype at, Occurrence *l)
{
	GDate d;

	if (icaltime_compare(at, first) == 0)
		return;
	if (!ev->all_day) {
		/* on the day the page shows its start */
		l->start = evf_rrule_instant(tz, at);
		l->day = evf_event_day_at(ev, l->start);
		return;
	}
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, (GDateDay)at.day, (GDateMonth)at.month,
	               (GDateYear)at.year);
	l->day = g_date_get_julian(&d);
	l->start = 0;
}

/* Whether @ev had ended by @now (µs): its end, or the end of its last
 * occurrence, is not after @now. A series without COUNT or UNTIL never
 * ends; occurrences are stepped in UTC (one may move by the DST hour), a
 * series without COUNT from shortly before @now, and a series with more
 * than MAX_OCCURRENCES left to step counts as running. When it had not
 * ended, @next (nullable) gets the first occurrence that had not ended by
 * @now (its day and start; day 0 when that is the first, or when it is
 * past MAX_OCCURRENCES), and when it ends; when it had, when it ended
 * (ends). */
static gboolean
compute_past(GTimeZone *site_tz, const EvfEvent *ev, gint64 now,
             Occurrence *next)
{
	struct icalrecurrencetype rt;
	struct icaltimetype first;
	icalrecur_iterator *it;
	gboolean past = TRUE;
	gboolean endless;
	gint64 end_s;
	g_autoptr(GTimeZone) tz = NULL;
	Occurrence ignored;

	if (next == NULL)
		next = &ignored;
	next->day = 0;
	next->start = 0;
	next->ends = 0;
	if (ev->tba)
		return FALSE;
	end_s = ev->all_day ? day_start(site_tz, &ev->end_date)
	                    : g_date_time_to_unix(ev->end);
	/* its only or first occurrence still on: no need to step */
	if (end_s * G_USEC_PER_SEC > now) {
		next->ends = end_s;
		return FALSE;
	}
	if (ev->rrule == NULL) {
		next->ends = end_s;
		return TRUE;
	}

	icalerror_clear_errno();
	rt = evf_rrule_from_string(ev->rrule);
	icalerror_clear_errno();
	if (rt.freq == ICAL_NO_RECURRENCE)
		return TRUE;
	endless = rt.count == 0 && icaltime_is_null_time(rt.until);
	/* in the event's wall time, as clients run the rule */
	first = evf_rrule_start(ev);
	evf_rrule_until_local(ev, &rt);
	if (ev->tzid != NULL && !ev->all_day)
		tz = g_time_zone_new_identifier(ev->tzid);
	it = icalrecur_iterator_new(rt, first);
	if (it == NULL) {
		icalerror_clear_errno();
		next->ends = end_s;
		return !endless && end_s * G_USEC_PER_SEC <= now;
	}
	/* libical cannot start a rule with COUNT elsewhere than at its
	 * start: it counts the occurrences. */
	if (rt.count == 0)
		skip_to_near(&it, &rt, ev, first, now / G_USEC_PER_SEC);
	for (guint i = 0;; i++) {
		struct icaltimetype at = icalrecur_iterator_next(it);

		if (icaltime_is_null_time(at))
			break;
		if (i == MAX_OCCURRENCES) {
			past = FALSE;
			break;
		}
		end_s = occurrence_end(site_tz, ev, tz, at);
		if (end_s * G_USEC_PER_SEC > now) {
			note_occurrence(ev, tz, first, at, next);
			next->ends = end_s;
			past = FALSE;
			break;
		}
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	if (past)
		next->ends = end_s;
	return past && !endless;
}

/* Whether @ev had ended by @now, and if not, the occurrence @next
 * (nullable) it is listed at (compute_past): as evf_page_prepare found
 * them for that @now, else worked out in @site_tz (and not kept: the
 * scopes that ask run on several threads at once). */
static gboolean
is_past(GTimeZone *site_tz, const EvfEvent *ev, gint64 now, Occurrence *next)
{
	if (ev->past_known && ev->past_now == now) {
		if (next != NULL) {
			next->day = ev->next_day;
			next->start = ev->next_start;
		}
		return ev->past;
	}
	return compute_past(site_tz, ev, now, next);
}

gboolean
evf_page_is_past(const EvfConfig *cfg, const EvfEvent *ev, gint64 now)
{
	/* the zone only when the answer is not kept */
	g_autoptr(GTimeZone) tz = ev->past_known && ev->past_now == now
	                              ? NULL
	                              : evf_tz_or_utc(cfg->timezone);

	return is_past(tz, ev, now, NULL);
}

/* When the answer for @next changes: the end it gives, in µs, or
 * G_MAXINT64 when none is known. */
static gint64
answer_until(const Occurrence *next)
{
	return next->ends > 0 && next->ends < G_MAXINT64 / G_USEC_PER_SEC
	           ? next->ends * G_USEC_PER_SEC
	           : G_MAXINT64;
}

/* When @ev, which has ended, ended (s): its end, or its last
 * occurrence's (compute_past steps a series from near the time it asks
 * about, and may have seen none); @seen, the end compute_past saw last,
 * for a series of too many occurrences to step through. */
static gint64
last_end(GTimeZone *site_tz, const EvfEvent *ev, gint64 seen)
{
	struct icalrecurrencetype rt;
	struct icaltimetype last;
	g_autoptr(GTimeZone) tz = NULL;
	gboolean found;

	if (ev->rrule == NULL)
		return seen;
	icalerror_clear_errno();
	rt = evf_rrule_from_string(ev->rrule);
	icalerror_clear_errno();
	found = evf_rrule_last(ev, rt, &last);
	if (!found)
		return seen;
	if (ev->tzid != NULL && !ev->all_day)
		tz = g_time_zone_new_identifier(ev->tzid);
	return MAX(seen, occurrence_end(site_tz, ev, tz, last));
}

gboolean
evf_page_ended_by(GTimeZone *site_tz, const EvfEvent *ev, gint64 t,
                  gint64 *until, gint64 *ended_at)
{
	Occurrence next;
	gboolean ended = compute_past(site_tz, ev, t, &next);

	if (until != NULL)
		*until = ended ? G_MAXINT64 : answer_until(&next);
	if (ended_at != NULL)
		*ended_at =
		    ended ? last_end(site_tz, ev, next.ends) * G_USEC_PER_SEC
		          : 0;
	return ended;
}

/* The month @l is listed under. */
static void
listed_month(const Listed *l, int *year, int *month)
{
	GDate d;

	g_date_clear(&d, 1);
	g_date_set_julian(&d, l->day);
	*year = g_date_get_year(&d);
	*month = g_date_get_month(&d);
}

/* By start, as evf_event_cmp_start orders events, of the occurrence each
 * is listed at. */
static gint
cmp_listed(gconstpointer a, gconstpointer b)
{
	const Listed *x = a, *y = b;

	return evf_event_cmp_at(x->ev, x->day, x->start, y->ev, y->day,
	                        y->start);
}

static gint
cmp_listed_desc(gconstpointer a, gconstpointer b)
{
	return cmp_listed(b, a);
}

/* ---------------------------------------------------------- the page */

/* By publication date (evf_event_pubdate), the earliest first. */
static gint
cmp_pubdate(gconstpointer a, gconstpointer b)
{
	return evf_event_cmp_pubdate_desc(b, a);
}

static void
head_link(Page *p, const char *rel, const char *type, const char *title,
          const char *href)
{
	start(p, "link");
	attr(p, "rel", rel);
	attr(p, "type", type);
	attr(p, "title", title);
	attr(p, "href", href);
	end_void(p);
	nl(p);
}

static void
write_head(Page *p, const char *title)
{
	const EvfView *view = p->view;
	g_autofree char *canonical = page_url(p, p->dir, p->archive);
	g_autofree char *ics = site_url(p, p->dir, "calendar.ics");
	g_autofree char *rss = site_url(p, p->dir, "rss.xml");
	g_autofree char *atom = site_url(p, p->dir, "atom.xml");
	g_autofree char *json = site_url(p, p->dir, "feed.json");
	g_autofree char *css = NULL;
	g_autofree char *t_ics = g_strconcat(view->title, " (iCalendar)", NULL);
	g_autofree char *t_rss = g_strconcat(view->title, " (RSS)", NULL);
	g_autofree char *t_atom = g_strconcat(view->title, " (Atom)", NULL);
	g_autofree char *t_json =
	    g_strconcat(view->title, " (JSON Feed)", NULL);
	GString *up = g_string_new(NULL);

	/* "../" once per folder between the page and the root. */
	for (const char *c = view->path; *c != '\0'; c++)
		if (*c == '/')
			g_string_append(up, "../");
	g_string_append(up, "style.css");
	css = g_string_free(up, FALSE);

	start(p, "head");
	nl(p);
	start(p, "meta");
	attr(p, "charset", "utf-8");
	end_void(p);
	nl(p);
	start(p, "meta");
	attr(p, "name", "viewport");
	attr(p, "content", "width=device-width, initial-scale=1");
	end_void(p);
	nl(p);
	element(p, "title", NULL, title);
	nl(p);
	if (p->cfg->description[0] != '\0') {
		start(p, "meta");
		attr(p, "name", "description");
		attr(p, "content", p->cfg->description);
		end_void(p);
		nl(p);
	}
	start(p, "meta");
	attr(p, "name", "generator");
	attr(p, "content", "evfeed " PACKAGE_VERSION);
	end_void(p);
	nl(p);
	head_link(p, "stylesheet", NULL, NULL, css);
	head_link(p, "canonical", NULL, NULL, canonical);
	head_link(p, "alternate", "text/calendar", t_ics, ics);
	head_link(p, "alternate", "application/rss+xml", t_rss, rss);
	head_link(p, "alternate", "application/atom+xml", t_atom, atom);
	head_link(p, "alternate", "application/feed+json", t_json, json);
	end(p);
	nl(p);
}

static void
write_header(Page *p)
{
	g_autofree char *home = page_url(p, "", FALSE);
	g_autofree char *upcoming = page_url(p, p->dir, FALSE);
	g_autofree char *past = page_url(p, p->dir, TRUE);

	start(p, "a");
	attr(p, "class", "skip");
	attr(p, "href", "#_main");
	text(p, "Skip to the events");
	end(p);
	nl(p);
	start(p, "header");
	attr(p, "class", "banner");
	nl(p);
	start(p, "p");
	attr(p, "class", "site-title");
	own_text(p);
	link_to(p, home, NULL, p->cfg->title);
	end(p);
	nl(p);
	start(p, "nav");
	attr(p, "aria-label", "Pages");
	start(p, "ul");
	start(p, "li");
	start(p, "a");
	attr(p, "href", upcoming);
	if (!p->archive)
		attr(p, "aria-current", "page");
	text(p, "Upcoming events");
	end(p);
	end(p);
	start(p, "li");
	start(p, "a");
	attr(p, "href", past);
	if (p->archive)
		attr(p, "aria-current", "page");
	text(p, "Past events");
	end(p);
	end(p);
	start(p, "li");
	link_to(p, "#_subscribe", NULL, "Subscribe");
	end(p);
	if (!p->root) {
		start(p, "li");
		link_to(p, home, NULL, "All events");
		end(p);
	}
	end(p);
	end(p);
	nl(p);
	end(p);
	nl(p);
}

/* One <li> of a subscribe list. */
static void
subscribe_item(Page *p, const char *href, const char *label, const char *hint,
               const char *scope)
{
	start(p, "li");
	start(p, "a");
	attr(p, "href", href);
	text(p, label);
	if (scope != NULL)
		hidden_text(p, scope);
	if (hint != NULL) {
		text(p, " ");
		element(p, "span", "hint", hint);
	}
	end(p);
	end(p);
	nl(p);
}

/* The <li> of a subscribe list that shows the calendar's address @url to
 * copy, for the programs that subscribe to an address they are given
 * (Thunderbird, Nextcloud, Google's "From URL"): not a link, since a
 * calendar opened from a link is imported, a copy that never updates
 * (PRIOR-ART.md §7). One click selects it whole (CSS). */
static void
subscribe_address(Page *p, const char *url, const char *scope)
{
	start(p, "li");
	attr(p, "class", "address");
	start(p, "span");
	text(p, "Other calendars");
	if (scope != NULL)
		hidden_text(p, scope);
	text(p, " ");
	element(p, "span", "hint",
	        "Thunderbird and others: subscribe to this address (a "
	        "calendar opened as a download is a copy that never "
	        "updates)");
	end(p);
	element(p, "code", NULL, url);
	end(p);
	nl(p);
}

/* The subscribe links of the scope in @dir; @scope (nullable) tells the
 * links of one category from another's for screen readers. */
static void
write_subscribe_list(Page *p, const char *dir, const char *title,
                     const char *scope)
{
	g_autofree char *ics = site_url(p, dir, "calendar.ics");
	g_autofree char *webcal = webcal_url(ics);
	g_autofree char *webcal_q = query_escape(webcal);
	g_autofree char *ics_q = query_escape(ics);
	g_autofree char *title_q = query_escape(title);
	g_autofree char *google = g_strconcat(
	    "https://calendar.google.com/calendar/r?cid=", webcal_q, NULL);
	g_autofree char *outlook = g_strconcat(
	    "https://outlook.live.com/calendar/0/addfromweb?url=", ics_q,
	    "&name=", title_q, NULL);
	/* (the same for a work or school account, on another host) */
	g_autofree char *office = g_strconcat(
	    "https://outlook.office.com/calendar/0/addfromweb?url=", ics_q,
	    "&name=", title_q, NULL);
	g_autofree char *rss = site_url(p, dir, "rss.xml");
	g_autofree char *atom = site_url(p, dir, "atom.xml");
	g_autofree char *json = site_url(p, dir, "feed.json");

	start(p, "ul");
	attr(p, "class", "subscribe");
	nl(p);
	subscribe_item(p, webcal, "Apple Calendar", "and Outlook on a desktop",
	               scope);
	subscribe_item(p, google, "Google Calendar", NULL, scope);
	subscribe_item(p, outlook, "Outlook.com", NULL, scope);
	subscribe_item(p, office, "Outlook", "Microsoft 365", scope);
	subscribe_item(p, rss, "RSS", NULL, scope);
	subscribe_item(p, atom, "Atom", NULL, scope);
	subscribe_item(p, json, "JSON Feed", NULL, scope);
	subscribe_address(p, ics, scope);
	end(p);
	nl(p);
}

static void
write_subscribe(Page *p)
{
	start_section(p, "_subscribe", NULL, "_subscribe-h", "Subscribe");
	element(p, "p", NULL,
	        "Add these events to your calendar, and it stays up to date "
	        "by itself; or follow them in a feed reader.");
	nl(p);
	write_subscribe_list(p, p->dir, p->view->title, NULL);
	/* What the JSON Feed's "_event" extension holds: its "about" URL
	 * points here (JSON Feed 1.1, "Extensions"). */
	start(p, "p");
	attr(p, "id", EVF_JSONFEED_ABOUT_ID);
	attr(p, "class", "hint");
	text(p, "In the JSON Feed, each item's \"_event\" object holds the "
	        "event as a calendar sees it: its start and end (W3C date "
	        "and time; for an all-day event, the dates of its first and "
	        "last day; both null while the date is to be announced), "
	        "time zone, repeat rule, place, status and organisers.");
	end(p);
	nl(p);
	end(p);
	nl(p);
}

/* The section of the category or partner source (@prefix "category" or
 * "source") pages of @list (EvfCategory), each with its subscribe links. */
static void
write_scopes(Page *p, GPtrArray *list, const char *prefix, const char *id,
             const char *heading, const char *intro)
{
	g_autofree char *heading_id = NULL;
	g_autofree char *cls = NULL;

	if (list->len == 0)
		return;
	heading_id = g_strconcat(id, "-h", NULL);
	cls = g_strconcat("scopes ", id + 1, NULL);
	start_section(p, id, NULL, heading_id, heading);
	element(p, "p", NULL, intro);
	nl(p);
	start(p, "ul");
	attr(p, "class", cls);
	nl(p);
	for (guint i = 0; i < list->len; i++) {
		const EvfCategory *c = g_ptr_array_index(list, i);
		g_autofree char *dir =
		    g_strdup_printf("%s/%s/", prefix, c->slug);
		g_autofree char *url = page_url(p, dir, FALSE);
		g_autofree char *title =
		    g_strdup_printf("%s: %s", p->cfg->title, c->name);
		g_autofree char *scope = g_strdup_printf(" (%s)", c->name);

		start(p, "li");
		start(p, "details");
		start(p, "summary");
		own_text(p);
		text(p, c->name);
		end(p);
		nl(p);
		start(p, "p");
		start(p, "a");
		attr(p, "href", url);
		text(p, "Upcoming events");
		hidden_text(p, scope);
		end(p);
		end(p);
		nl(p);
		write_subscribe_list(p, dir, title, scope);
		end(p);
		end(p);
		nl(p);
	}
	end(p);
	nl(p);
	end(p);
	nl(p);
}

/* One row of an event's details: <dt>label</dt><dd class=…>value</dd>,
 * the value of the site's text (own_text). */
static void
detail(Page *p, const char *label, const char *cls, const char *value)
{
	if (value == NULL)
		return;
	element(p, "dt", NULL, label);
	own_element(p, "dd", cls, value);
	nl(p);
}

/* When @ev (evf_event_is_news) was published, in the site's zone. */
static void
write_published(Page *p, const EvfEvent *ev)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(
	    evf_event_pubdate(ev) / G_USEC_PER_SEC);
	g_autoptr(GDateTime) t = g_date_time_to_timezone(utc, p->tz);
	g_autofree char *w3c = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
	g_autofree char *shown = g_strdup_printf(
	    "%d %s %d", g_date_time_get_day_of_month(t),
	    month_names[g_date_time_get_month(t)], g_date_time_get_year(t));

	element(p, "dt", NULL, "Published");
	start(p, "dd");
	start(p, "time");
	attr(p, "class", "dt-published");
	attr(p, "datetime", w3c);
	text(p, shown);
	end(p);
	end(p);
	nl(p);
}

/* @further (nullable): a partner series' further dates
 * (list_series_once). */
static void
write_when(Page *p, const EvfEvent *ev, const char *further)
{
	g_autofree char *when = evf_event_format_when(ev);
	g_autofree char *w3c_start = evf_event_w3c_start(ev);
	g_autofree char *w3c_end = evf_event_w3c_end_shown(ev);
	g_autofree char *repeats =
	    further != NULL ? g_strdup(further) : evf_event_format_repeats(ev);

	element(p, "dt", NULL, "When");
	start(p, "dd");
	if (ev->tba) {
		text(p, when);
	} else {
		/* The range is read as one phrase; dt-end carries only its
		 * machine-readable value. */
		start(p, "time");
		attr(p, "class", "dt-start");
		attr(p, "datetime", w3c_start);
		text(p, when);
		end(p);
		/* (none for a start alone, evf_event_w3c_end_shown) */
		if (w3c_end != NULL) {
			start(p, "time");
			attr(p, "class", "dt-end");
			attr(p, "datetime", w3c_end);
			end(p);
		}
	}
	if (repeats != NULL) {
		text(p, "; ");
		text(p, repeats);
	}
	end(p);
	nl(p);
}

/* A running series' occurrence then current or next, when it is not the
 * first (@next as compute_past gives it). */
static void
write_next(Page *p, const EvfEvent *ev, const Occurrence *next)
{
	g_autofree char *when = NULL;
	g_autofree char *w3c = NULL;

	if (next == NULL || next->day == 0)
		return;
	when = evf_event_format_occurrence(ev, next->day, next->start, &w3c);
	element(p, "dt", NULL, "Next");
	start(p, "dd");
	start(p, "time");
	attr(p, "datetime", w3c);
	text(p, when);
	end(p);
	end(p);
	nl(p);
}

/* @next (nullable): where a running series is (write_next); @further
 * (nullable): a partner series' further dates (list_series_once). */
static void
write_event(Page *p, const EvfEvent *ev, const char *heading,
            const Occurrence *next, const char *further)
{
	gboolean cancelled = ev->status == EVF_STATUS_CANCELLED;
	g_autoptr(GPtrArray) sources = evf_render_sources(p->cfg, ev);
	g_autofree char *ics = NULL;
	g_autofree char *which = g_strconcat(": ", ev->title, NULL);
	g_autofree char *shown = evf_event_display_title(ev);
	g_autofree char *id = evf_render_article_id(ev, !p->archive);

	start(p, "article");
	/* (a partner's news post is an entry, with its date of publication:
	 * an event without a date to microformats readers) */
	attr(p, "class",
	     evf_event_is_news(ev) ? "h-entry"
	     : cancelled           ? "h-event cancelled"
	                           : "h-event");
	attr(p, "id", id);
	nl(p);
	/* p-name reads like the calendar's SUMMARY: "Cancelled: …", unless
	 * the title says so already (evf_event_display_title). */
	start(p, heading);
	attr(p, "class", "p-name");
	/* the title is the site's text, the label evfeed's: the marks on
	 * the title alone, else "Cancelled:" would set a Hebrew title's
	 * direction, and be read in its language */
	if (cancelled) {
		if (strcmp(shown, ev->title) != 0) {
			element(p, "span", "status", "Cancelled:");
			text(p, " ");
		}
		own_element(p, "s", NULL, ev->title);
	} else {
		own_text(p);
		text(p, ev->title);
	}
	end(p);
	nl(p);
	/* (a date that may change: not one to come, nor one past) */
	if (ev->status == EVF_STATUS_TENTATIVE) {
		element(p, "p", "status",
		        ev->tba      ? "Tentative."
		        : p->archive ? "Listed as tentative."
		                     : "Tentative: the date may change.");
		nl(p);
	}
	start(p, "dl");
	attr(p, "class", "details");
	nl(p);
	if (evf_event_is_news(ev))
		write_published(p, ev);
	else
		write_when(p, ev, further);
	write_next(p, ev, next);
	detail(p, "Where", "p-location", ev->location);
	if (ev->organizers->len > 0) {
		element(p, "dt", NULL, evf_event_organizers_label(ev));
		start(p, "dd");
		for (guint i = 0; i < ev->organizers->len; i++) {
			if (i > 0)
				text(p, EVF_ORGANIZER_SEPARATOR);
			own_element(p, "span", "p-organizer",
			            g_ptr_array_index(ev->organizers, i));
		}
		end(p);
		nl(p);
	}
	if (ev->categories->len > 0) {
		element(p, "dt", NULL,
		        ev->categories->len > 1 ? "Categories" : "Category");
		start(p, "dd");
		start(p, "ul");
		attr(p, "class", "tags");
		for (guint i = 0; i < ev->categories->len; i++) {
			const char *name = g_ptr_array_index(ev->categories, i);
			g_autofree char *slug = evf_slugify_name(name);
			g_autofree char *dir =
			    g_strdup_printf("category/%s/", slug);
			g_autofree char *url = page_url(p, dir, FALSE);

			start(p, "li");
			put(p, "a", url, "p-category", name, TRUE);
			end(p);
		}
		end(p);
		end(p);
		nl(p);
	}
	if (ev->source != NULL) {
		element(p, "dt", NULL, "Source");
		start(p, "dd");
		link_to(p, ev->source_url, NULL,
		        sources->len > 0 ? (char *)sources->pdata[0]
		                         : ev->source);
		end(p);
		nl(p);
	}
	if (sources->len > (ev->source != NULL ? 1u : 0u)) {
		element(p, "dt", NULL, "Also listed by");
		start(p, "dd");
		for (guint i = ev->source != NULL ? 1 : 0; i < sources->len;
		     i++) {
			if (i > (ev->source != NULL ? 1u : 0u))
				text(p, ", ");
			text(p, g_ptr_array_index(sources, i));
		}
		end(p);
		nl(p);
	}
	end(p);
	nl(p);
	/* The archive lists past events without their pictures and
	 * descriptions: it grows with every event ever held, and it must
	 * stay light enough for a phone. Each event's .ics has the whole. */
	if (ev->image != NULL && !p->archive) {
		start(p, "img");
		attr(p, "class", "u-photo");
		attr(p, "src", ev->image);
		attr(p, "alt", "");
		attr(p, "loading", "lazy");
		end_void(p);
		nl(p);
	}
	if (ev->description_html != NULL && ev->description_html[0] != '\0' &&
	    !p->archive) {
		start(p, "div");
		attr(p, "class", "e-description");
		own_text(p);
		nl(p);
		/* Already reduced to the allowlist by evf_html_sanitize. */
		p->ok &= xmlTextWriterWriteRaw(
		             p->w, BAD_CAST ev->description_html) >= 0;
		nl(p);
		end(p);
		nl(p);
	}
	/* A tba event without a link has no action: no empty paragraph. */
	if (ev->tba && ev->url == NULL) {
		end(p);
		nl(p);
		return;
	}
	start(p, "p");
	attr(p, "class", "actions");
	if (!ev->tba) {
		/* (a partner's series is listed once on the page of
		 * upcoming events, with its further dates: all of them) */
		g_autofree char *path = evf_render_ics_path(ev, !p->archive);

		ics = evf_config_url(p->cfg, path);
		start(p, "a");
		attr(p, "class", "button");
		attr(p, "href", ics);
		attr(p, "type", "text/calendar");
		text(p, "Add to calendar");
		hidden_text(p, which);
		end(p);
	}
	if (ev->url != NULL) {
		if (!ev->tba)
			text(p, " ");
		start(p, "a");
		attr(p, "class", "u-url");
		attr(p, "href", ev->url);
		text(p, "More information");
		hidden_text(p, which);
		end(p);
	}
	end(p);
	nl(p);
	end(p);
	nl(p);
}

/* (transfer full) (nullable): @ev's article (an h3 under a month or "to be
 * announced") on a page, or an archive page, listed at @next (nullable;
 * see write_next), with a partner series' @further dates (nullable). */
static char *
article_new(const EvfConfig *cfg, GTimeZone *site_tz, const EvfEvent *ev,
            gboolean archive, const Occurrence *next, const char *further)
{
	g_autoptr(xmlBuffer) buf = evf_xml_buffer_new();
	g_autoptr(xmlTextWriter) w = xmlNewTextWriterMemory(buf, 0);
	Page p = { .w = w,
		   .ok = TRUE,
		   .cfg = cfg,
		   .archive = archive,
		   .tz = site_tz };

	write_event(&p, ev, "h3", next, further);
	if (!p.ok || xmlTextWriterFlush(w) < 0)
		return NULL;
	return g_strndup((const char *)xmlBufferContent(buf),
	                 (gsize)xmlBufferLength(buf));
}

/* @l's article: the one evf_page_prepare kept on the event, which is on
 * the pages of every scope it is in, for the page (upcoming events) or
 * the archive page it is listed on then. Unless @l is listed elsewhere
 * (a page of another @now than evf_page_prepare's, or at another
 * occurrence) or with a series' further dates, which depend on the
 * scope: its article is then made for the page alone, not kept, as the
 * scopes' pages are written on several threads at once. */
static void
write_article(Page *p, const Listed *l)
{
	g_autofree char *own = NULL;
	const char *a = l->ev->article[p->archive ? 1 : 0];

	if (a == NULL || l->further != NULL ||
	    (!p->archive && (l->next.day != l->ev->next_day ||
	                     l->next.start != l->ev->next_start)))
		a = own = article_new(p->cfg, p->tz, l->ev, p->archive,
		                      p->archive ? NULL : &l->next, l->further);
	p->ok &= a != NULL && xmlTextWriterWriteRaw(p->w, BAD_CAST a) >= 0;
}

void
evf_page_prepare(const EvfConfig *cfg, GTimeZone *site_tz, gint64 now,
                 EvfEvent *ev)
{
	Occurrence next = { 0, 0, 0 };
	char **kept;

	ev->past = compute_past(site_tz, ev, now, &next);
	ev->past_now = now;
	ev->past_until = ev->past ? G_MAXINT64 : answer_until(&next);
	ev->past_known = TRUE;
	/* An event is on the archive page once it is past, on the page
	 * of upcoming events before: one article is kept, the one for
	 * the page it is on, and for the occurrence it names there. */
	if (ev->past || next.day != ev->next_day ||
	    next.start != ev->next_start)
		g_clear_pointer(&ev->article[0], g_free);
	if (!ev->past)
		g_clear_pointer(&ev->article[1], g_free);
	ev->next_day = next.day;
	ev->next_start = next.start;
	kept = &ev->article[ev->past ? 1 : 0];
	if (*kept == NULL)
		*kept = article_new(cfg, site_tz, ev, ev->past,
		                    ev->past ? NULL : &next, NULL);
}

/* A partner's series on the page of upcoming events, as in the feeds: once,
 * at the occurrence evf_render_series_next gives, with its further dates
 * (kept in @further, which owns them), not once for each occurrence in
 * the window (a weekly series was a hundred articles, each with its
 * description). Each occurrence is still in the calendars. */
static void
list_series_once(Page *p, GArray *listed, GHashTable *further,
                 GHashTable *shown)
{
	g_autoptr(GPtrArray) events = g_ptr_array_new();
	g_autoptr(GHashTable) series = NULL;
	EvfEvent *copy;
	GHashTableIter it;
	gpointer occ;
	guint kept = 0;

	for (guint i = 0; i < listed->len; i++)
		g_ptr_array_add(events, g_array_index(listed, Listed, i).ev);
	series = evf_render_series_group(events);
	if (series == NULL)
		return;
	g_hash_table_iter_init(&it, series);
	while (g_hash_table_iter_next(&it, NULL, &occ)) {
		char *text = NULL;
		guint rep = evf_render_series_next(p->cfg, occ, p->now, &text);
		EvfEvent *at = g_ptr_array_index((GPtrArray *)occ, rep);

		g_hash_table_insert(further, at, text);
		if ((copy = evf_render_series_shown(occ, rep)) != NULL)
			g_hash_table_insert(shown, at, copy);
	}
	/* the others out, in one pass (one removal at a time moved the
	 * rest of a page's events along for each) */
	for (guint i = 0; i < listed->len; i++) {
		Listed l = g_array_index(listed, Listed, i);

		if (l.ev->series != NULL &&
		    !g_hash_table_lookup_extended(further, l.ev, NULL,
		                                  (gpointer *)&l.further))
			continue;
		if ((copy = g_hash_table_lookup(shown, l.ev)) != NULL)
			l.ev = copy;
		g_array_index(listed, Listed, kept++) = l;
	}
	g_array_set_size(listed, kept);
}

/* Events grouped under month headings (h2), each event an h3. */
static void
write_months(Page *p, GArray *listed)
{
	int year = 0, month = 0;
	gboolean open = FALSE;

	for (guint i = 0; i < listed->len; i++) {
		const Listed *l = &g_array_index(listed, Listed, i);
		int y, m;

		listed_month(l, &y, &m);
		if (y != year || m != month) {
			g_autofree char *id =
			    g_strdup_printf("_m-%04d-%02d", y, m);
			g_autofree char *heading =
			    g_strdup_printf("%s %d", month_names[m], y);

			if (open) {
				end(p);
				nl(p);
			}
			start_section(p, NULL, "month", id, heading);
			open = TRUE;
			year = y;
			month = m;
		}
		write_article(p, l);
	}
	if (open) {
		end(p);
		nl(p);
	}
}

static void
write_footer(Page *p)
{
	g_autoptr(GDateTime) utc =
	    g_date_time_new_from_unix_utc(p->changed / G_USEC_PER_SEC);
	g_autoptr(GDateTime) t = g_date_time_to_timezone(utc, p->tz);
	g_autofree char *w3c = NULL;
	g_autofree char *shown = NULL;
	g_autofree char *zone = evf_zone_label(p->cfg->timezone, t);

	w3c = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
	shown = g_strdup_printf(
	    "%d %s %d, %02d:%02d (%s)", g_date_time_get_day_of_month(t),
	    month_names[g_date_time_get_month(t)], g_date_time_get_year(t),
	    g_date_time_get_hour(t), g_date_time_get_minute(t), zone);

	start(p, "footer");
	attr(p, "class", "contentinfo");
	nl(p);
	start(p, "p");
	text(p, "Last change to these listings: ");
	start(p, "time");
	attr(p, "datetime", w3c);
	text(p, shown);
	end(p);
	text(p, ".");
	end(p);
	nl(p);
	end(p);
	nl(p);
}

/* (transfer full): the page written into @buf, which gives it up: taken
 * rather than copied (a site's pages are megabytes), and without the room
 * the buffer grew by doubling, which a snapshot would keep. */
static GBytes *
page_bytes(xmlBuffer *buf)
{
	gsize len = (gsize)xmlBufferLength(buf);
	xmlChar *data = xmlBufferDetach(buf);
	xmlChar *fit;

	g_assert(data != NULL);
	fit = xmlRealloc(data, len + 1);
	if (fit != NULL)
		data = fit;
	return g_bytes_new_with_free_func(data, len, xmlFree, data);
}

GBytes *
evf_write_page(const EvfView *view, gint64 now, gboolean archive,
               GError **error)
{
	g_autoptr(xmlBuffer) buf = evf_xml_buffer_new();
	g_autoptr(xmlTextWriter) w = xmlNewTextWriterMemory(buf, 0);
	g_autoptr(GArray) listed = g_array_new(FALSE, FALSE, sizeof(Listed));
	g_autoptr(GPtrArray) tba = g_ptr_array_new();
	g_autoptr(GPtrArray) news = g_ptr_array_new(); /* evf_event_is_news */
	g_autoptr(GPtrArray) cats = NULL;
	g_autoptr(GPtrArray) sources = NULL;
	g_autoptr(GHashTable) further =
	    g_hash_table_new_full(NULL, NULL, NULL, g_free);
	/* a partner series' occurrence shown → its copy with the series'
	 * texts (list_series_once) */
	g_autoptr(GHashTable) shown = g_hash_table_new_full(
	    NULL, NULL, NULL, (GDestroyNotify)evf_event_unref);
	g_autofree char *dir = NULL;
	g_autofree char *h1 = NULL;
	g_autofree char *title = NULL;
	g_autofree char *site_prefix = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	const char *slash, *scope;
	Page page = { 0 }, *p = &page;
	guint elsewhere = 0; /* the events the other page lists */

	g_return_val_if_fail(view != NULL && view->config != NULL, NULL);

	slash = strrchr(view->path, '/');
	dir = slash != NULL ? g_strndup(view->path, slash + 1 - view->path)
	                    : g_strdup("");
	p->w = w;
	p->ok = w != NULL;
	p->cfg = view->config;
	p->view = view;
	p->dir = dir;
	p->root = dir[0] == '\0';
	p->archive = archive;
	p->now = now;
	p->changed = view->changed;
	/* Looked up once a page: GLib reads the zone file each time. */
	tz = evf_tz_or_utc(p->cfg->timezone);
	p->tz = tz;

	for (guint i = 0; i < view->events->len; i++) {
		Listed l = { .ev = g_ptr_array_index(view->events, i) };

		if (l.ev->tba) {
			g_ptr_array_add(evf_event_is_news(l.ev) ? news : tba,
			                l.ev);
			elsewhere += archive;
			continue;
		}
		if (is_past(p->tz, l.ev, now, &l.next) != archive) {
			elsewhere++;
			continue;
		}
		/* the archive lists a series at its start; the page of
		 * upcoming events a running one at its occurrence then */
		if (archive)
			l.next.day = 0;
		l.day =
		    l.next.day != 0 ? l.next.day : evf_event_start_day(l.ev);
		l.start = l.next.day != 0 ? l.next.start
		          : l.ev->all_day ? 0
		                          : g_date_time_to_unix(l.ev->start);
		g_array_append_val(listed, l);
	}
	if (!archive)
		list_series_once(p, listed, further, shown);
	g_array_sort(listed, archive ? cmp_listed_desc : cmp_listed);
	/* in the order they were listed, a new one last; a partner's
	 * news the newest first, as many as a feed holds */
	g_ptr_array_sort(tba, cmp_pubdate);
	g_ptr_array_sort(news, evf_event_cmp_pubdate_desc);
	if (news->len > p->cfg->max_items)
		g_ptr_array_set_size(news, p->cfg->max_items);

	/* A scope's name: its category, else its title without the site's
	 * ("Site: OSCE" → "OSCE"). */
	site_prefix = g_strconcat(p->cfg->title, ": ", NULL);
	scope = view->category != NULL ? view->category : view->title;
	if (view->category == NULL && g_str_has_prefix(scope, site_prefix))
		scope += strlen(site_prefix);
	h1 = g_strdup_printf("%s%s%s",
	                     archive ? "Past events" : "Upcoming events",
	                     p->root ? "" : ": ", p->root ? "" : scope);
	title = p->root ? g_strdup_printf("%s – %s", h1, view->title)
	                : g_strdup_printf("%s – %s", h1, p->cfg->title);

	if (!p->ok)
		goto fail;
	p->ok &=
	    xmlTextWriterWriteDTD(w, BAD_CAST "html", NULL, NULL, NULL) >= 0;
	nl(p);
	/* the language of evfeed's words; the site's text says its own */
	start(p, "html");
	attr(p, "lang", is_english(p->cfg->language) ? p->cfg->language : "en");
	nl(p);
	write_head(p, title);
	start(p, "body");
	nl(p);
	write_header(p);
	start(p, "main");
	attr(p, "id", "_main");
	attr(p, "tabindex", "-1");
	nl(p);
	/* evfeed's words, and the scope's name, the site's text */
	start(p, "h1");
	text(p, archive ? "Past events" : "Upcoming events");
	if (!p->root) {
		text(p, ": ");
		own_element(p, "span", NULL, scope);
	}
	end(p);
	nl(p);
	if (p->root && !archive && p->cfg->description[0] != '\0') {
		own_element(p, "p", "lead", p->cfg->description);
		nl(p);
	}
	if (!archive)
		write_subscribe(p);
	/* (events whose date is to be announced are upcoming too, and so
	 * are a partner's news, listed with them) */
	if (listed->len == 0 &&
	    (archive || (tba->len == 0 && news->len == 0))) {
		g_autofree char *past = page_url(p, p->dir, !archive);

		start(p, "p");
		attr(p, "class", "empty");
		text(p, archive ? "No past events yet."
		                : "No upcoming events at the moment.");
		/* (to the other page only when it lists something) */
		if (elsewhere > 0) {
			text(p, " ");
			link_to(p, past, NULL,
			        archive ? "See the upcoming events."
			                : "See the past events.");
		}
		end(p);
		nl(p);
	}
	write_months(p, listed);
	if (!archive && tba->len > 0) {
		start_section(p, NULL, "month", "_tba", "Date to be announced");
		for (guint i = 0; i < tba->len; i++) {
			Listed l = { .ev = g_ptr_array_index(tba, i) };

			write_article(p, &l);
		}
		end(p);
		nl(p);
	}
	if (!archive && news->len > 0) {
		start_section(p, NULL, "month", "_partners",
		              "From partners, no date given");
		for (guint i = 0; i < news->len; i++) {
			Listed l = { .ev = g_ptr_array_index(news, i) };

			write_article(p, &l);
		}
		end(p);
		nl(p);
	}
	if (archive)
		write_subscribe(p);
	if (p->root) {
		cats = evf_render_categories(view->events);
		write_scopes(p, cats, "category", "_categories", "Categories",
		             "Each category has its own page, calendar and "
		             "feeds.");
		sources = evf_render_source_lists(p->cfg, view->events);
		write_scopes(p, sources, "source", "_sources", "Partners",
		             "The listings of each partner, as this site "
		             "publishes them, have their own page, calendar "
		             "and feeds.");
	}
	end(p); /* main */
	nl(p);
	write_footer(p);
	end(p); /* body */
	nl(p);
	end(p); /* html */
	nl(p);
	p->ok &= xmlTextWriterEndDocument(w) >= 0;
	p->ok &= xmlTextWriterFlush(w) >= 0;
	if (!p->ok)
		goto fail;
	return page_bytes(buf);

fail:
	evf_throw(error, "cannot write '%s'", view->path);
	return NULL;
}

static const char stylesheet[] =
    "/* evfeed: the subscriber page. No script; readable from 320 px. */\n"
    ":root {\n"
    "  color-scheme: light dark;\n"
    "  --fg: #1b1b1b; --bg: #ffffff; --muted: #4a4a4a;\n"
    "  --link: #0b57a4; --accent: #0b57a4; --accent-fg: #ffffff;\n"
    "  --line: #c8c8c8; --panel: #f3f5f8; --focus: #b3410e;\n"
    "}\n"
    "@media (prefers-color-scheme: dark) {\n"
    "  :root {\n"
    "    --fg: #ececec; --bg: #16181c; --muted: #c2c2c2;\n"
    "    --link: #8cc4ff; --accent: #8cc4ff; --accent-fg: #111111;\n"
    "    --line: #474b52; --panel: #22252b; --focus: #ffb35c;\n"
    "  }\n"
    "}\n"
    "*, *::before, *::after { box-sizing: border-box; }\n"
    "html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }\n"
    "body {\n"
    "  margin: 0; color: var(--fg); background: var(--bg);\n"
    "  font: 1.0625rem/1.55 system-ui, -apple-system, \"Segoe UI\", "
    "Roboto, \"Noto Sans\", sans-serif;\n"
    "  overflow-wrap: anywhere;\n"
    "}\n"
    ".banner, main, .contentinfo {\n"
    "  max-width: 48rem; margin: 0 auto; padding: 0 1rem;\n"
    "}\n"
    "a { color: var(--link); text-underline-offset: 0.15em; }\n"
    "a:hover { text-decoration-thickness: 2px; }\n"
    ":focus-visible {\n"
    "  outline: 3px solid var(--focus); outline-offset: 2px;\n"
    "  border-radius: 2px;\n"
    "}\n"
    "main:focus { outline: none; }\n"
    ".skip {\n"
    "  position: absolute; left: 0.5rem; top: -10rem; z-index: 1;\n"
    "  padding: 0.5rem 1rem; background: var(--bg); color: var(--link);\n"
    "}\n"
    ".skip:focus { top: 0.5rem; }\n"
    ".vh {\n"
    "  position: absolute; width: 1px; height: 1px; overflow: hidden;\n"
    "  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;\n"
    "}\n"
    ".banner { padding-top: 1rem; border-bottom: 1px solid var(--line); }\n"
    ".site-title { margin: 0; font-size: 1.25rem; font-weight: 700; }\n"
    ".site-title a { color: var(--fg); text-decoration: none; }\n"
    "nav ul {\n"
    "  display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem;\n"
    "  margin: 0.5rem 0 0.75rem; padding: 0; list-style: none;\n"
    "}\n"
    "nav a[aria-current] { font-weight: 700; text-decoration: none; }\n"
    "h1 { font-size: 1.9rem; line-height: 1.2; margin: 1.5rem 0 0.5rem; }\n"
    "h2 {\n"
    "  font-size: 1.35rem; margin: 2rem 0 0.75rem;\n"
    "  padding-bottom: 0.25rem; border-bottom: 2px solid var(--line);\n"
    "}\n"
    "h3 { font-size: 1.15rem; line-height: 1.3; margin: 0 0 0.5rem; }\n"
    ".lead { font-size: 1.125rem; color: var(--muted); }\n"
    "#_subscribe, .scopes details {\n"
    "  background: var(--panel); border-radius: 6px; padding: 0.25rem "
    "1rem 0.75rem;\n"
    "}\n"
    "#_subscribe h2 { border: 0; margin-top: 0.75rem; }\n"
    ".subscribe {\n"
    "  display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0;\n"
    "  padding: 0; list-style: none;\n"
    "}\n"
    ".subscribe li { display: flex; }\n"
    ".subscribe a, .button {\n"
    "  display: inline-block; padding: 0.4rem 0.8rem; border-radius: "
    "4px;\n"
    "  background: var(--accent); color: var(--accent-fg);\n"
    "  text-decoration: none; font-weight: 600;\n"
    "}\n"
    ".hint { display: block; font-size: 0.875rem; font-weight: 400; }\n"
    ".subscribe .address { flex-direction: column; flex-basis: 100%; }\n"
    ".subscribe code {\n"
    "  user-select: all; overflow-wrap: anywhere; padding: 0.25rem "
    "0.4rem;\n"
    "  border: 1px solid var(--line); border-radius: 4px;\n"
    "}\n"
    ".scopes { margin: 0; padding: 0; list-style: none; }\n"
    ".scopes li { margin: 0.5rem 0; }\n"
    ".scopes .subscribe li { margin: 0; }\n"
    "summary { cursor: pointer; font-weight: 600; padding: 0.5rem 0; }\n"
    ".h-event, .h-entry {\n"
    "  margin: 0 0 1.25rem; padding: 1rem; border: 1px solid "
    "var(--line);\n"
    "  border-radius: 6px;\n"
    "}\n"
    ".details {\n"
    "  display: grid; grid-template-columns: max-content minmax(0, 1fr);\n"
    "  gap: 0.2rem 0.75rem; margin: 0 0 0.75rem;\n"
    "}\n"
    ".details dt { font-weight: 600; }\n"
    ".details dd { margin: 0; min-width: 0; }\n"
    ".tags { display: inline; margin: 0; padding: 0; list-style: none; }\n"
    ".tags li { display: inline; }\n"
    ".tags li + li::before { content: \", \"; }\n"
    ".status { font-weight: 700; }\n"
    ".cancelled .p-name s { text-decoration: line-through; }\n"
    ".cancelled { border-style: dashed; }\n"
    ".e-description { max-width: 100%; }\n"
    ".e-description img, .u-photo { max-width: 100%; height: auto; }\n"
    ".e-description pre { overflow-x: auto; white-space: pre-wrap; }\n"
    ".e-description table { display: block; overflow-x: auto; }\n"
    ".actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; "
    "align-items: center; margin: 0.75rem 0 0; }\n"
    ".contentinfo {\n"
    "  margin-top: 2rem; padding-bottom: 2rem; border-top: 1px solid "
    "var(--line);\n"
    "  color: var(--muted); font-size: 0.9375rem;\n"
    "}\n"
    "@media print {\n"
    "  :root { --fg: #000; --bg: #fff; --link: #000; --panel: #fff; }\n"
    "  .skip, nav, #_subscribe, #_categories, #_sources, .button {\n"
    "    display: none;\n"
    "  }\n"
    "  .h-event, .h-entry { break-inside: avoid; border: 0; padding: 0; "
    "}\n"
    "  .u-url::after { content: \" <\" attr(href) \">\"; }\n"
    "}\n";

GBytes *
evf_write_stylesheet(void)
{
	return g_bytes_new_static(stylesheet, sizeof stylesheet - 1);
}
