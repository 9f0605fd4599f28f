/*
 * write-ics.c: a view → iCalendar (RFC 5545, RFC 7986), through libical so
 * that escaping and folding (75 octets, never inside a UTF-8 sequence, CRLF)
 * are libical's. Each event's VEVENT is serialised once and cached on the
 * event, since the same event appears in several calendars.
 *
 * libical 3.0 escapes neither ',' nor ';' inside CATEGORIES (so a category
 * containing one would split) nor in X- properties. Such characters are written
 * as the two-byte placeholders U+0080 and U+0081 (which evf_text_sanitize keeps
 * out of all text) and replaced by the two-byte escapes afterwards: the lengths
 * are equal, so libical's folding stays right.
 */
#include "autoconf.h"
#include "render.h"
#include "rrule.h"

#include "autocleanups.h"
#include "util.h"

#include <math.h>
#include <string.h>

#define PH_COMMA "\xc2\x80"
#define PH_SEMI  "\xc2\x81"

static struct icaltimetype
utc_time(gint64 usec)
{
	return icaltime_from_timet_with_zone(usec / G_USEC_PER_SEC, 0,
	                                     icaltimezone_get_utc_timezone());
}

static struct icaltimetype
date_value(const GDate *d)
{
	struct icaltimetype t = icaltime_null_date();

	t.year = g_date_get_year(d);
	t.month = g_date_get_month(d);
	t.day = g_date_get_day(d);
	return t;
}

/* From this year on, readers whose zone data stop in 2037 go wrong:
 * python3-icalendar (through pytz) reads summer 2040 in Ljubljana as
 * winter, and node-ical 0.26 matches no zone to a VTIMEZONE from 2036 on
 * and takes the time as floating. */
#define FAR_YEAR 2036

/* Whether a time in a zone at @t's wall time is read as another
 * instant by some clients: one that occurs twice (evf_tz_is_ambiguous),
 * or the one the clocks were set back from (evf_tz_set_back). */
static gboolean
misread_time(GDateTime *t)
{
	return evf_tz_is_ambiguous(t) || evf_tz_set_back(t) != 0;
}

const char *
evf_ics_tzid(const EvfEvent *ev)
{
	if (ev->tzid == NULL || ev->all_day || ev->rrule != NULL)
		return ev->tzid;
	/* as the VEVENT made has it: every calendar the event is in asks */
	if (ev->vevent != NULL)
		return ev->vevent_zoned ? ev->tzid : NULL;
	/* where the clocks go back, clients disagree on the instant (and
	 * Ruby's icalendar on the time they were set back from); so they
	 * do in far years, and before the zone's last change of rules
	 * Ruby's icalendar refuses the calendar (evf_tz_is_settled); and
	 * Outlook reads some zones' rules not at all (evf_tz_outlook_reads).
	 * A series cannot be moved to UTC: its rule runs on the wall
	 * clock. */
	if (misread_time(ev->start) || misread_time(ev->end) ||
	    g_date_time_get_year(ev->end) >= FAR_YEAR ||
	    !evf_tz_is_settled(ev->tzid, ev->start) ||
	    !evf_tz_outlook_reads(ev->tzid, g_date_time_get_year(ev->start)))
		return NULL;
	return evf_tz_next_irregular(ev->tzid, g_date_time_get_year(ev->start),
	                             g_date_time_get_year(ev->end)) == 0
	           ? ev->tzid
	           : NULL;
}

/* A monthly or yearly rule that takes its day from DTSTART, on a day that
 * not every month (or February 29, every year) has, with that day written
 * out: BYMONTHDAY (and BYMONTH for a yearly rule). RFC 5545 §3.3.10 reads
 * both the same, and skips the months without the day; node-ical 0.26
 * (rrule-temporal) moves such an occurrence to the month's last day and
 * keeps that day from then on, 31 January giving 28 February, 28 March,
 * 28 April, unless the day is in the rule. */
static struct icalrecurrencetype
explicit_day(struct icalrecurrencetype r, struct icaltimetype start)
{
	if ((r.freq != ICAL_MONTHLY_RECURRENCE &&
	     r.freq != ICAL_YEARLY_RECURRENCE) ||
	    start.day <= 28 ||
	    (r.freq == ICAL_YEARLY_RECURRENCE &&
	     !(start.month == 2 && start.day == 29) &&
	     r.by_month[0] == ICAL_RECURRENCE_ARRAY_MAX) ||
	    r.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
		return r;
	r.by_month_day[0] = (short)start.day;
	r.by_month_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
	if (r.freq == ICAL_YEARLY_RECURRENCE &&
	    r.by_month[0] == ICAL_RECURRENCE_ARRAY_MAX) {
		r.by_month[0] = (short)start.month;
		r.by_month[1] = ICAL_RECURRENCE_ARRAY_MAX;
	}
	return r;
}

/* Whether @ev's VEVENT gives its start (or, with @end, its end) in UTC:
 * all its times where it has no zone there (evf_ics_tzid), and an end
 * that happens twice (the clocks go back), which clients read as either
 * instant, or that the clocks were set back from, only in the override of a
 * series' first occurrence (series_duration): a single event's times are all in
 * UTC then. */
static gboolean
given_in_utc(const EvfEvent *ev, gboolean end)
{
	return !ev->all_day &&
	       (evf_ics_tzid(ev) == NULL || (end && misread_time(ev->end)));
}

/* A DTSTART or DTEND property for @t, in the event's zone. */
static icalproperty *
time_property(const EvfEvent *ev, gboolean end)
{
	const char *tzid = evf_ics_tzid(ev);
	icalproperty *p;

	if (ev->all_day) {
		struct icaltimetype t =
		    date_value(end ? &ev->end_date : &ev->start_date);
		return end ? icalproperty_new_dtend(t)
		           : icalproperty_new_dtstart(t);
	}
	if (given_in_utc(ev, end)) {
		gint64 s = g_date_time_to_unix(end ? ev->end : ev->start);
		struct icaltimetype t = utc_time(s * G_USEC_PER_SEC);
		return end ? icalproperty_new_dtend(t)
		           : icalproperty_new_dtstart(t);
	} else {
		struct icaltimetype t =
		    evf_tz_wall_time(end ? ev->end : ev->start);
		/* libical 3.0 writes a zoned time as floating unless the
		 * TZID parameter is added by hand. */
		p = end ? icalproperty_new_dtend(t)
		        : icalproperty_new_dtstart(t);
		icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
		return p;
	}
}

/* Whether the series @ev says how long each occurrence lasts with a
 * DURATION, which @dur receives, rather than with a DTEND, and has an
 * override of its first occurrence.
 *
 * RFC 5545 §3.8.5.3 gives every occurrence the exact duration of the
 * first (DTEND - DTSTART): a first occurrence across a change of the
 * clocks would give all the others an hour more or less on the wall
 * clock than the editor wrote. A DURATION of whole days and a remainder
 * (§3.3.6: the days nominal, the rest exact) keeps the editor's wall
 * clock end wherever the last partial day holds no change. The first
 * occurrence, which spans the change, also gets an override
 * (RECURRENCE-ID) with the editor's DTEND: where the change is in its
 * last partial day the DURATION ends it elsewhere, and node-ical 0.26,
 * which adds a DURATION's days as 24 exact hours, would end it an hour
 * off in any case. So does a series whose first occurrence ends at a
 * wall time that happens twice, where the clocks go back: clients read
 * such a DTEND as either instant; and one that ends at the wall time the
 * clocks were set back from, which Ruby's icalendar reads as the instant
 * of the change (and would give every occurrence an hour less). Every
 * other event keeps its DTEND. */
static gboolean
series_duration(const EvfEvent *ev, struct icaldurationtype *dur)
{
	gint64 wall, rest;

	if (ev->rrule == NULL || ev->all_day || evf_ics_tzid(ev) == NULL)
		return FALSE;
	wall = evf_event_wall_length(ev);
	/* an end before the start on the wall clock has no DURATION; one
	 * across no change of the clocks needs none; an end at a wall time
	 * that happens twice needs one all the same: ical.js and
	 * python-icalendar read such a DTEND as the later of the two
	 * instants, where the editor meant the first, and so does one at
	 * the wall time the clocks were set back from (the override's
	 * DTEND is then in UTC, time_property) */
	if (wall <= 0 ||
	    (!evf_event_spans_change(ev) && !misread_time(ev->end)))
		return FALSE;

	*dur = icaldurationtype_null_duration();
	dur->days = (unsigned int)(wall / 86400);
	rest = wall % 86400;
	dur->hours = (unsigned int)(rest / 3600);
	dur->minutes = (unsigned int)(rest / 60 % 60);
	dur->seconds = (unsigned int)(rest % 60);

	return TRUE;
}

/* (transfer full): @text with ',' and ';' as placeholders. */
static char *
protect_text(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ',')
			g_string_append(s, PH_COMMA);
		else if (*p == ';')
			g_string_append(s, PH_SEMI);
		else
			g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

char *
evf_ics_plain(const char *value)
{
	char *out = g_strdup(value);
	char *w = out;

	/* Each placeholder is two bytes, C2 80 or C2 81, for one. */
	for (const char *r = out; *r != '\0'; r++) {
		if (r[0] == PH_COMMA[0] &&
		    (r[1] == PH_COMMA[1] || r[1] == PH_SEMI[1])) {
			*w++ = r[1] == PH_COMMA[1] ? ',' : ';';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return out;
}

/* libical 3.0.16 sometimes folds a line between its own CR and LF (a long
 * value without spaces whose end falls on the fold), writing CR, CR LF,
 * SPACE, LF. Values never hold a raw CR, so that sequence is always this
 * mistake: it becomes the CR LF it should have been. In place. */
static void
repair_folds(char *ics)
{
	static const char bad[] = "\r\r\n \n";
	char *w = ics, *r = ics, *hit;

	while ((hit = strstr(r, bad)) != NULL) {
		gsize n = (gsize)(hit - r);

		memmove(w, r, n);
		w += n;
		memcpy(w, "\r\n", 2);
		w += 2;
		r = hit + strlen(bad);
	}
	memmove(w, r, strlen(r) + 1);
}

/* The first octet at or after @i in @line that a fold may go before: not
 * inside a UTF-8 sequence, nor right after a backslash that escapes the
 * octet there (an odd run of them). */
static gsize
fold_ok_before(const char *line, gsize start, gsize i)
{
	for (; i > start + 1; i--) {
		gsize run = 0;

		while (run < i && line[i - 1 - run] == '\\')
			run++;
		if (((guchar)line[i] & 0xc0) != 0x80 && run % 2 == 0)
			break;
	}
	return i;
}

/* libical 3.0.16 folds a long line anywhere that is not inside a UTF-8
 * sequence, between a TEXT escape's backslash and the character it
 * escapes too (`…\` CRLF SPACE `n…`). RFC 5545 unfolds before it reads,
 * but Google Calendar leaves such an event out (collective/icalendar
 * #1501), and escapes are common: a link at a paragraph's end gives
 * `</a></p>\n<p>` in X-ALT-DESC. Such a fold moves back before the
 * backslash; a line that this makes longer than 75 octets passes its last
 * characters on in turn. libical's other folds stay where they are. */
static void
mend_escape_folds(char **ics)
{
	GString *out, *line;
	GArray *cuts;
	const char *p = *ics;

	if (strstr(p, "\\\r\n ") == NULL)
		return;
	out = g_string_sized_new(strlen(p) + 64);
	line = g_string_new(NULL);
	cuts = g_array_new(FALSE, FALSE, sizeof(gsize));
	while (*p != '\0') {
		gboolean crlf = FALSE;
		gsize start = 0;
		guint k = 0;

		/* one content line, unfolded, and where libical folded it */
		g_string_truncate(line, 0);
		g_array_set_size(cuts, 0);
		while (*p != '\0') {
			const char *eol = strstr(p, "\r\n");

			if (eol == NULL) {
				g_string_append(line, p);
				p += strlen(p);
				break;
			}
			g_string_append_len(line, p, eol - p);
			p = eol + 2;
			if (*p != ' ') {
				crlf = TRUE;
				break;
			}
			g_array_append_val(cuts, line->len);
			p++;
		}
		/* each of libical's folds, or an earlier one; more at the end
		 * where the moves made the last line too long */
		for (;;) {
			gsize limit = start + (start == 0 ? 75 : 74);
			gsize cut;

			if (k < cuts->len)
				cut = g_array_index(cuts, gsize, k++);
			else if (line->len > limit)
				cut = limit;
			else
				break;
			cut = fold_ok_before(line->str, start, MIN(cut, limit));
			g_string_append_len(out, line->str + start,
			                    cut - start);
			g_string_append(out, "\r\n ");
			start = cut;
		}
		g_string_append_len(out, line->str + start, line->len - start);
		if (crlf)
			g_string_append(out, "\r\n");
	}
	g_array_unref(cuts);
	g_string_free(line, TRUE);
	g_free(*ics);
	*ics = g_string_free(out, FALSE);
}

/* Replaces the placeholders by their escapes, in place (same length). */
static void
unprotect(char *ics)
{
	for (char *p = ics; (p = strstr(p, "\xc2")) != NULL; p++) {
		if (p[1] == '\x80')
			p[0] = '\\', p[1] = ',';
		else if (p[1] == '\x81')
			p[0] = '\\', p[1] = ';';
	}
}

/* libical's text of a component as the calendars carry it: its folds
 * mended, the placeholders back to escapes, no fold inside an escape. */
static void
finish_ics(char **ics)
{
	repair_folds(*ics);
	unprotect(*ics);
	mend_escape_folds(ics);
}

/* An X- property with a TEXT value, escaped as RFC 5545 §3.3.11 says:
 * libical 3.0 escapes only '\\' and newlines in X- properties, so ',' and
 * ';' go through the placeholders. */
static icalproperty *
add_x(icalcomponent *comp, const char *name, const char *value)
{
	g_autofree char *text = protect_text(value);
	icalproperty *p = icalproperty_new_x(text);

	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(comp, p);
	return p;
}

/* @name among the categories @cats (escaped, for one CATEGORIES
 * property), unless it has that category already: one whose name has the
 * same slug in @slugs, as category/<slug>/ gathers them. A source's title
 * is often one of the categories its configuration adds to its items too. */
static void
add_category(GPtrArray *cats, GHashTable *slugs, const char *name)
{
	if (g_hash_table_add(slugs, evf_slugify_name(name)))
		g_ptr_array_add(cats, protect_text(name));
}

/* (transfer full): the mailto: URI (RFC 6068) of the address @addr: in the
 * part before '@', what a mailto URI gives a meaning to ('?' starts its
 * headers, '%' an escape, ',' another address, '&', '=', '/', '#') and
 * non-ASCII letters
 * percent-encoded; a domain of other than ASCII letters in its IDNA form,
 * as mail systems know it. */
static char *
mailto_uri(const char *addr)
{
	const char *at = strrchr(addr, '@');
	g_autofree char *l =
	    at != NULL ? g_strndup(addr, at - addr) : g_strdup(addr);
	g_autofree char *ascii = at != NULL && g_hostname_is_non_ascii(at + 1)
	                             ? g_hostname_to_ascii(at + 1)
	                             : NULL;
	g_autofree char *local = g_uri_escape_string(l, "!$'()*+;:", FALSE);
	g_autofree char *domain =
	    at != NULL ? g_uri_escape_string(ascii != NULL ? ascii : at + 1,
	                                     NULL, FALSE)
	               : NULL;

	return g_strconcat("mailto:", local, at != NULL ? "@" : "",
	                   domain != NULL ? domain : "", NULL);
}
/* A parameter value may hold neither DQUOTE nor controls (RFC 5545 §3.2).
 * RFC 6868 readers (ical.js) take "^n", "^'" and "^^" for escapes: a '^'
 * before 'n', '\'' or '^' is written as "^^" (§3), so that they read the
 * text back; any other '^' they keep as it is, as older readers do. */
static char *
param_text(const char *text)
{
	g_autofree char *s = evf_text_oneline(text);
	GString *out = g_string_sized_new(strlen(s));

	g_strdelimit(s, "\"", '\'');
	for (const char *p = s; *p != '\0'; p++) {
		g_string_append_c(out, *p);
		if (*p == '^' && p[1] != '\0' && strchr("n'^", p[1]) != NULL)
			g_string_append_c(out, '^');
	}
	return g_string_free(out, FALSE);
}

/* @ev's VEVENT, with a DURATION of @dur (nullable) instead of its DTEND,
 * or, with @first, the override of its first occurrence that
 * series_duration asks for: the same properties, with the editor's
 * DTSTART and DTEND, a RECURRENCE-ID and no RRULE (an override replaces
 * the whole occurrence in clients). */
static icalcomponent *
vevent_new(const EvfConfig *cfg, const EvfEvent *ev,
           const struct icaldurationtype *dur, gboolean first)
{
	icalcomponent *ve = icalcomponent_new_vevent();
	g_autofree char *summary = evf_event_display_title(ev);
	icalproperty *p;

	icalcomponent_add_property(ve, icalproperty_new_uid(ev->uid));
	/* DTSTAMP is the last revision, not "now", so that the bytes (and
	 * the ETag) only change when the event does. */
	icalcomponent_add_property(
	    ve, icalproperty_new_dtstamp(utc_time(ev->modified)));
	icalcomponent_add_property(
	    ve, icalproperty_new_created(utc_time(ev->created)));
	icalcomponent_add_property(
	    ve, icalproperty_new_lastmodified(utc_time(ev->modified)));
	icalcomponent_add_property(
	    ve, icalproperty_new_sequence((int)ev->sequence));
	icalcomponent_add_property(ve, time_property(ev, FALSE));
	if (first) {
		/* the first start, in DTSTART's form */
		p = icalproperty_new_recurrenceid(evf_tz_wall_time(ev->start));
		icalproperty_add_parameter(
		    p, icalparameter_new_tzid(evf_ics_tzid(ev)));
		icalcomponent_add_property(ve, p);
	}
	/* An event that ends at its start (a partner's VEVENT without an
	 * end) has no DTEND: RFC 5545 §3.8.2.2 wants a DTEND after the
	 * DTSTART, and §3.6.1 reads a DATE-TIME DTSTART alone as ending
	 * there. Never both DTEND and DURATION (§3.6.1). */
	if (dur != NULL)
		icalcomponent_add_property(ve, icalproperty_new_duration(*dur));
	else if (ev->all_day || !g_date_time_equal(ev->start, ev->end))
		icalcomponent_add_property(ve, time_property(ev, TRUE));
	/* How the times given in UTC were written (evf_ics_tzid), for
	 * `evfeed import` of this calendar, which would otherwise take them
	 * in X-WR-TIMEZONE: the event's zone, "UTC", or an offset. */
	if (!ev->all_day && !first && evf_ics_tzid(ev) == NULL) {
		g_autoptr(GDateTime) shown =
		    evf_event_shown_time(ev, ev->start);
		g_autofree char *offset = g_date_time_format(shown, "%:z");

		add_x(ve, "X-EVFEED-ZONE",
		      ev->tzid != NULL      ? ev->tzid
		      : ev->utc_offset != 0 ? offset
		                            : "UTC");
	}
	if (ev->rrule != NULL && !first) {
		struct icalrecurrencetype r = evf_rrule_from_string(ev->rrule);

		evf_rrule_count_as_until(ev, &r);
		icalcomponent_add_property(
		    ve, icalproperty_new_rrule(
		            explicit_day(r, icalcomponent_get_dtstart(ve))));
	}
	icalcomponent_add_property(ve, icalproperty_new_summary(summary));
	{
		g_autofree char *attribution = evf_render_attribution(cfg, ev);
		const char *body =
		    ev->description_text != NULL ? ev->description_text : "";
		/* as it is: the indentation of its first line is a list
		 * item's, or a code block's (evf_markdown_render) */
		g_autofree char *text =
		    g_strjoin("\n\n", body[0] != '\0' ? body : attribution,
		              body[0] != '\0' ? attribution : NULL, NULL);

		if (text[0] != '\0')
			icalcomponent_add_property(
			    ve, icalproperty_new_description(text));
	}
	if (ev->location != NULL)
		icalcomponent_add_property(
		    ve, icalproperty_new_location(ev->location));
	if (ev->has_geo) {
		struct icalgeotype geo = { 0 };

		/* libical writes six decimals: rounded here first, so that
		 * -0.0000001 is 0.000000, not -0.000000 */
		geo.lat = round(ev->lat * 1e6) / 1e6 + 0.0;
		geo.lon = round(ev->lon * 1e6) / 1e6 + 0.0;
		icalcomponent_add_property(ve, icalproperty_new_geo(geo));
	}
	if (ev->url != NULL)
		icalcomponent_add_property(ve, icalproperty_new_url(ev->url));
	{
		/* Where it is listed, as categories too, so that clients can
		 * colour or filter by partner. */
		g_autoptr(GPtrArray) sources = evf_render_sources(cfg, ev);
		g_autoptr(GHashTable) slugs = g_hash_table_new_full(
		    g_str_hash, g_str_equal, g_free, NULL);
		g_autoptr(GPtrArray) cats =
		    g_ptr_array_new_with_free_func(g_free);

		for (guint i = 0; i < ev->categories->len; i++)
			add_category(cats, slugs,
			             g_ptr_array_index(ev->categories, i));
		for (guint i = 0; i < sources->len; i++)
			add_category(cats, slugs,
			             g_ptr_array_index(sources, i));
		/* One property, its categories comma-separated, as RFC 5545
		 * §3.8.1.2 lists them and Outlook, Apple and Thunderbird
		 * write them: khal shows none of several properties, and
		 * Nextcloud's apps the first alone. But one that ends in a
		 * backslash has its own, last: ical.js reads the comma after
		 * "\\" as escaped. */
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		g_autoptr(GPtrArray) alone = g_ptr_array_new();

		for (guint i = 0; i < cats->len; i++) {
			char *c = g_ptr_array_index(cats, i);

			g_ptr_array_add(g_str_has_suffix(c, "\\") ? alone : one,
			                c);
		}
		if (one->len > 0) {
			g_autofree char *all = NULL;

			g_ptr_array_add(one, NULL);
			all = g_strjoinv(",", (char **)one->pdata);
			icalcomponent_add_property(
			    ve, icalproperty_new_categories(all));
		}
		for (guint i = 0; i < alone->len; i++)
			icalcomponent_add_property(
			    ve, icalproperty_new_categories(
			            g_ptr_array_index(alone, i)));
	}
	if (ev->organizer_email != NULL) {
		g_autofree char *mailto = mailto_uri(ev->organizer_email);

		p = icalproperty_new_organizer(mailto);
		if (ev->organizers->len > 0) {
			g_autofree char *cn =
			    param_text(g_ptr_array_index(ev->organizers, 0));
			icalproperty_add_parameter(p, icalparameter_new_cn(cn));
		}
		icalcomponent_add_property(ve, p);
	}
	/* Every organiser the ORGANIZER does not name is a CONTACT: the
	 * others of a list must not vanish from the calendar. */
	for (guint i = ev->organizer_email != NULL ? 1 : 0;
	     i < ev->organizers->len; i++)
		icalcomponent_add_property(
		    ve, icalproperty_new_contact(
		            g_ptr_array_index(ev->organizers, i)));
	icalcomponent_add_property(
	    ve, icalproperty_new_status(ev->status == EVF_STATUS_CANCELLED
	                                    ? ICAL_STATUS_CANCELLED
	                                : ev->status == EVF_STATUS_TENTATIVE
	                                    ? ICAL_STATUS_TENTATIVE
	                                    : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ve,
	                           icalproperty_new_class(ICAL_CLASS_PUBLIC));
	/* A public listing should not make its subscribers busy. */
	icalcomponent_add_property(
	    ve, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	if (ev->image != NULL) {
		p = icalproperty_new(ICAL_IMAGE_PROPERTY);
		icalproperty_set_value(p, icalvalue_new_uri(ev->image));
		icalproperty_add_parameter(
		    p, icalparameter_new_value(ICAL_VALUE_URI));
		icalcomponent_add_property(ve, p);
	}
	/* Outlook shows it instead of DESCRIPTION: the attribution too;
	 * not where it shows nothing a DESCRIPTION does not (a description
	 * of a rule alone, "---"), but an image (a poster of no words) */
	if (ev->description_html != NULL && ev->description_html[0] != '\0' &&
	    ((ev->description_text != NULL &&
	      ev->description_text[0] != '\0') ||
	     strstr(ev->description_html, "<img") != NULL)) {
		g_autofree char *credit = evf_render_attribution_html(cfg, ev);
		g_autofree char *html = g_strconcat(
		    "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2//EN\">"
		    "<html><body>",
		    ev->description_html, credit != NULL ? "\n" : "",
		    credit != NULL ? credit : "", "</body></html>", NULL);

		p = add_x(ve, "X-ALT-DESC", html);
		icalproperty_add_parameter(
		    p, icalparameter_new_fmttype("text/html"));
	}
	p = icalproperty_new_x(ev->all_day ? "TRUE" : "FALSE");
	icalproperty_set_x_name(p, "X-MICROSOFT-CDO-ALLDAYEVENT");
	icalcomponent_add_property(ve, p);
	p = icalproperty_new_x("FREE");
	icalproperty_set_x_name(p, "X-MICROSOFT-CDO-BUSYSTATUS");
	icalcomponent_add_property(ve, p);
	return ve;
}

/* Whether @t (nullable), seen in @site, falls in an hour that its clocks
 * repeat. */
static gboolean
repeated_in(GTimeZone *site, GDateTime *t)
{
	g_autoptr(GDateTime) there =
	    t != NULL ? g_date_time_to_timezone(t, site) : NULL;

	return there != NULL && evf_tz_is_ambiguous(there);
}

/* Whether @ev's VEVENT gives in UTC (time_property) a time that falls, in
 * the site's zone, in an hour that its clocks repeat (evf_ics_head). */
static gboolean
utc_time_repeated(const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autoptr(GTimeZone) site = NULL;

	if (ev->tba || evf_tz_is_utc(cfg->timezone) || !given_in_utc(ev, TRUE))
		return FALSE;
	site = evf_tz_or_utc(cfg->timezone);
	return (given_in_utc(ev, FALSE) && repeated_in(site, ev->start)) ||
	       repeated_in(site, ev->end);
}

/* Serialises @ev's VEVENT and makes its jCal from the same component:
 * both once per build, since the event appears in several calendars. */
static gboolean
prepare(const EvfConfig *cfg, EvfEvent *ev, GError **error)
{
	struct icaldurationtype dur;
	gboolean duration = series_duration(ev, &dur);
	g_autoptr(icalcomponent) ve =
	    vevent_new(cfg, ev, duration ? &dur : NULL, FALSE);
	/* the override of the first occurrence, if any, right after the
	 * series, in every calendar and in the jCal alike */
	g_autoptr(icalcomponent) first =
	    duration ? vevent_new(cfg, ev, NULL, TRUE) : NULL;

	if (ev->vevent == NULL) {
		g_autofree char *series = icalcomponent_as_ical_string_r(ve);
		g_autofree char *over =
		    first != NULL ? icalcomponent_as_ical_string_r(first)
		                  : NULL;

		icalproperty *rule =
		    icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY);

		ev->vevent_zoned = evf_ics_tzid(ev) != NULL;
		ev->vevent = g_strconcat(series, over, NULL);
		ev->vevent_utc_repeated = utc_time_repeated(cfg, ev);
		finish_ics(&ev->vevent);
		g_clear_pointer(&ev->rrule_out, g_free);
		if (rule != NULL) {
			char *v = icalproperty_get_value_as_string_r(rule);

			ev->rrule_out = g_strdup(v);
			icalmemory_free_buffer(v);
		}
	}
	if (ev->jcal == NULL) {
		g_autofree char *series =
		    evf_jcal_component(ve, ev->vevent, error);
		g_autofree char *over =
		    series != NULL && first != NULL
		        ? evf_jcal_component(first, ev->vevent, error)
		        : NULL;

		if (series != NULL && (first == NULL || over != NULL))
			ev->jcal = g_strjoin(",", series, over, NULL);
	}
	return ev->jcal != NULL;
}

const char *
evf_ics_vevent(const EvfConfig *cfg, EvfEvent *ev)
{
	if (ev->vevent == NULL)
		(void)prepare(cfg, ev, NULL);
	return ev->vevent;
}

const char *
evf_jcal_vevent(const EvfConfig *cfg, EvfEvent *ev, GError **error)
{
	if (ev->jcal == NULL)
		(void)prepare(cfg, ev, error);
	return ev->jcal;
}

/* A property whose value is ours (a URI or a duration), not user text. */
static void
add_parsed(icalcomponent *cal, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *line = NULL;
	icalproperty *p;

	va_start(ap, fmt);
	line = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p = icalproperty_new_from_string(line);
	g_assert(p != NULL);
	icalcomponent_add_property(cal, p);
}

static gint
str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether readers that take X-WR-TIMEZONE as Google Calendar does
 * (python's x-wr-timezone, and recurring-ical-events with it) would misread
 * @view's events: they move a time given in UTC to that zone's wall clock.
 * A timed series whose times are written in UTC (its start was written
 * with an offset, or in UTC) then runs its rule on that wall clock, and an
 * occurrence after a change of its clocks comes an hour off; a time in an
 * hour that those clocks repeat, which the VEVENT gives in UTC so that it
 * means one instant, comes back as the later of the two. */
static gboolean
wr_timezone_misleads(const EvfView *view)
{
	for (guint i = 0; i < view->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(view->events, i);

		if (ev->all_day || ev->tba)
			continue;
		if (ev->rrule != NULL && evf_ics_tzid(ev) == NULL)
			return TRUE;
		if (evf_ics_vevent(view->config, ev) != NULL &&
		    ev->vevent_utc_repeated)
			return TRUE;
	}
	return FALSE;
}

char *
evf_ics_head(const EvfView *view, GError **error)
{
	const EvfConfig *cfg = view->config;
	g_autoptr(icalcomponent) cal = icalcomponent_new_vcalendar();
	g_autoptr(GPtrArray) zones = g_ptr_array_new();
	g_autofree char *prodid =
	    g_strdup_printf("-//evfeed//evfeed %s//EN", PACKAGE_VERSION);
	char *head;

	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(prodid));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(
	    cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	if (!view->single) {
		icalproperty *p = icalproperty_new(ICAL_NAME_PROPERTY);
		g_autofree char *home = evf_view_home_url(view);

		icalproperty_set_value(p, icalvalue_new_text(view->title));
		icalcomponent_add_property(cal, p);
		add_x(cal, "X-WR-CALNAME", view->title);
		if (cfg->description[0] != '\0') {
			icalcomponent_add_property(
			    cal,
			    icalproperty_new_description(cfg->description));
			add_x(cal, "X-WR-CALDESC", cfg->description);
		}
		/* (not where readers would misread it:
		 * wr_timezone_misleads) */
		if (evf_tz_is_utc(cfg->timezone) || !wr_timezone_misleads(view))
			add_x(cal, "X-WR-TIMEZONE", cfg->timezone);
		/* the page of this calendar's events: a category's own */
		add_parsed(cal, "URL;VALUE=URI:%s", home);
		add_parsed(cal, "SOURCE;VALUE=URI:%s", view->self_url);
		add_parsed(cal, "REFRESH-INTERVAL;VALUE=DURATION:%s",
		           cfg->refresh);
		add_x(cal, "X-PUBLISHED-TTL", cfg->refresh);
		icalcomponent_add_property(cal, icalproperty_new_lastmodified(
		                                    utc_time(view->updated)));
	}

	/* One VTIMEZONE per zone in use; the site's zone always, in a
	 * subscription calendar, so that it is never empty of components
	 * and X-WR-TIMEZONE names a zone it defines. */
	if (!view->single && !evf_tz_is_utc(cfg->timezone))
		g_ptr_array_add(zones, cfg->timezone);
	for (guint i = 0; i < view->events->len; i++) {
		const char *tzid =
		    evf_ics_tzid(g_ptr_array_index(view->events, i));
		gboolean seen = FALSE;

		if (tzid == NULL)
			continue;
		for (guint k = 0; k < zones->len; k++)
			seen |= strcmp(g_ptr_array_index(zones, k), tzid) == 0;
		if (!seen)
			g_ptr_array_add(zones, (char *)tzid);
	}
	/* A calendar needs a component (RFC 5545 §3.6): one without events
	 * in a site in UTC, which needs no VTIMEZONE, gets UTC's. */
	if (!view->single && zones->len == 0 && view->events->len == 0)
		g_ptr_array_add(zones, (char *)"UTC");
	g_ptr_array_sort(zones, str_cmp);
	for (guint k = 0; k < zones->len; k++) {
		icalcomponent *vtz =
		    evf_tz_set_clone(view->tzs, g_ptr_array_index(zones, k));

		if (vtz == NULL) {
			evf_throw(error, "no time zone data for '%s'",
			          (const char *)g_ptr_array_index(zones, k));
			return NULL;
		}
		icalcomponent_add_component(cal, vtz);
	}

	head = icalcomponent_as_ical_string_r(cal);
	finish_ics(&head);
	return head;
}

GBytes *
evf_write_ics_with_head(const EvfView *view, const char *head)
{
	const char *tail = "END:VCALENDAR\r\n";
	gsize head_len = strlen(head);
	GString *out;

	g_assert(g_str_has_suffix(head, tail));
	out = g_string_sized_new(head_len + view->events->len * 1024);
	g_string_append_len(out, head, head_len - strlen(tail));
	for (guint i = 0; i < view->events->len; i++)
		g_string_append(
		    out, evf_ics_vevent(view->config,
		                        g_ptr_array_index(view->events, i)));
	g_string_append(out, tail);
	return g_string_free_to_bytes(out);
}

GBytes *
evf_write_ics(const EvfView *view, GError **error)
{
	g_autofree char *head = evf_ics_head(view, error);

	return head != NULL ? evf_write_ics_with_head(view, head) : NULL;
}
