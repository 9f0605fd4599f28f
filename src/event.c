/*
 * event.c: the event model (see event.h): its lifecycle, fingerprint, sort
 * orders and the human and W3C-DTF forms of its dates.
 */
#include "autoconf.h"
#include "event.h"

#include "html.h"
#include "rrule.h"
#include "tz.h"
#include "util.h"

#include <string.h>

EvfEvent *
evf_event_new(void)
{
	EvfEvent *ev = g_rc_box_new0(EvfEvent);

	ev->organizers = g_ptr_array_new_with_free_func(g_free);
	ev->categories = g_ptr_array_new_with_free_func(g_free);
	ev->also_listed = g_ptr_array_new_with_free_func(g_free);
	return ev;
}

static void
event_clear(gpointer p)
{
	EvfEvent *ev = p;

	g_free(ev->uid);
	g_free(ev->slug);
	g_free(ev->path);
	g_free(ev->title);
	g_clear_pointer(&ev->start, g_date_time_unref);
	g_clear_pointer(&ev->end, g_date_time_unref);
	g_free(ev->tzid);
	g_free(ev->location);
	g_ptr_array_unref(ev->organizers);
	g_free(ev->organizer_email);
	g_ptr_array_unref(ev->categories);
	g_clear_pointer(&ev->categories_at, g_array_unref);
	g_free(ev->url);
	g_free(ev->image);
	g_free(ev->rrule);
	g_free(ev->description_md);
	g_free(ev->description_html);
	g_free(ev->description_text);
	g_free(ev->source);
	g_free(ev->source_title);
	g_free(ev->source_url);
	g_ptr_array_unref(ev->also_listed);
	if (ev->also_series != NULL)
		g_ptr_array_unref(ev->also_series);
	g_free(ev->series);
	g_free(ev->occurrence);
	g_free(ev->series_id);
	g_free(ev->series_dates);
	g_free(ev->fingerprint);
	g_free(ev->fingerprint_dated);
	evf_event_clear_renders(ev);
}

static gpointer
string_copy(gconstpointer s, gpointer unused)
{
	return g_strdup(s);
}

static GPtrArray *
strings_copy(GPtrArray *list)
{
	return g_ptr_array_copy(list, string_copy, NULL);
}

EvfEvent *
evf_event_copy(const EvfEvent *ev)
{
	EvfEvent *c = g_rc_box_new0(EvfEvent);

	/* Every field, then the owned ones replaced by copies of their
	 * own; not the renders, which belong to a build. */
	*c = *ev;
	c->uid = g_strdup(ev->uid);
	c->slug = g_strdup(ev->slug);
	c->path = g_strdup(ev->path);
	c->title = g_strdup(ev->title);
	c->start = ev->start != NULL ? g_date_time_ref(ev->start) : NULL;
	c->end = ev->end != NULL ? g_date_time_ref(ev->end) : NULL;
	c->tzid = g_strdup(ev->tzid);
	c->utc_offset = ev->utc_offset;
	c->location = g_strdup(ev->location);
	c->organizers = strings_copy(ev->organizers);
	c->organizer_email = g_strdup(ev->organizer_email);
	c->categories = strings_copy(ev->categories);
	c->categories_at =
	    ev->categories_at != NULL ? g_array_copy(ev->categories_at) : NULL;
	c->url = g_strdup(ev->url);
	c->image = g_strdup(ev->image);
	c->rrule = g_strdup(ev->rrule);
	c->description_md = g_strdup(ev->description_md);
	c->description_html = g_strdup(ev->description_html);
	c->description_text = g_strdup(ev->description_text);
	c->source = g_strdup(ev->source);
	c->source_title = g_strdup(ev->source_title);
	c->source_url = g_strdup(ev->source_url);
	c->also_listed = strings_copy(ev->also_listed);
	c->also_series =
	    ev->also_series != NULL ? strings_copy(ev->also_series) : NULL;
	c->series = g_strdup(ev->series);
	c->occurrence = g_strdup(ev->occurrence);
	c->series_id = g_strdup(ev->series_id);
	c->series_dates = g_strdup(ev->series_dates);
	c->fingerprint = g_strdup(ev->fingerprint);
	c->fingerprint_dated = g_strdup(ev->fingerprint_dated);
	c->vevent = c->jcal = c->article[0] = c->article[1] = NULL;
	c->rrule_out = NULL;
	c->vevent_utc_repeated = c->vevent_zoned = FALSE;
	return c;
}

void
evf_event_clear_renders(EvfEvent *ev)
{
	g_clear_pointer(&ev->vevent, g_free);
	g_clear_pointer(&ev->jcal, g_free);
	g_clear_pointer(&ev->rrule_out, g_free);
	ev->vevent_utc_repeated = ev->vevent_zoned = FALSE;
	g_clear_pointer(&ev->article[0], g_free);
	g_clear_pointer(&ev->article[1], g_free);
}

void
evf_event_renders_for(EvfEvent *ev)
{
	if (ev->rendered_created != ev->created ||
	    ev->rendered_modified != ev->modified ||
	    ev->rendered_sequence != ev->sequence)
		evf_event_clear_renders(ev);
	ev->rendered_created = ev->created;
	ev->rendered_modified = ev->modified;
	ev->rendered_sequence = ev->sequence;
}

EvfEvent *
evf_event_ref(EvfEvent *ev)
{
	return g_rc_box_acquire(ev);
}

void
evf_event_unref(EvfEvent *ev)
{
	if (ev != NULL)
		g_rc_box_release_full(ev, event_clear);
}

gint64
evf_event_over_by(const EvfEvent *ev)
{
	GDateTime *t = ev->end != NULL ? ev->end : ev->start;

	if (ev->tba || (ev->all_day && !g_date_valid(&ev->end_date)) ||
	    (!ev->all_day && t == NULL))
		return G_MAXINT64;
	if (ev->all_day) {
		/* the end of its last day where that day ends last, 12 hours
		 * behind UTC: whatever the site's zone */
		g_autoptr(GDateTime) end = g_date_time_new_utc(
		    g_date_get_year(&ev->end_date),
		    g_date_get_month(&ev->end_date),
		    g_date_get_day(&ev->end_date), 12, 0, 0);

		return end != NULL ? g_date_time_to_unix(end) * G_USEC_PER_SEC
		                   : G_MAXINT64;
	}
	return g_date_time_to_unix(t) * G_USEC_PER_SEC;
}

gint64
evf_event_pubdate(const EvfEvent *ev)
{
	/* A partner's date may lie in the future; a listing is never
	 * announced after evfeed first saw it. A date before 1990 is a
	 * partner's placeholder (0, the epoch), not an announcement. */
	if (ev->published >= EVF_EARLIEST_PUBDATE &&
	    (ev->created == 0 || ev->published <= ev->created))
		return ev->published;
	/* A partner's event without a date of publication that was over
	 * before evfeed first saw it (the back catalogue of a calendar
	 * without CREATED, as Exchange publishes them) is not a new listing:
	 * dated by its end, it does not push the site's own listings out of
	 * its feeds, each announced as new. (A series' occurrence: see
	 * series_item in render.c.) */
	if (ev->source != NULL && ev->series == NULL && !ev->tba &&
	    ev->rrule == NULL && ev->created != 0 &&
	    evf_event_over_by(ev) < ev->created)
		return MAX(evf_event_over_by(ev), EVF_EARLIEST_PUBDATE);
	return ev->created;
}

static void
put_str(GVariantDict *d, const char *key, const char *value)
{
	if (value != NULL)
		g_variant_dict_insert(d, key, "s", value);
}

static void
put_list(GVariantDict *d, const char *key, GPtrArray *list)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; i < list->len; i++)
		g_variant_builder_add(&b, "s", g_ptr_array_index(list, i));
	g_variant_dict_insert_value(d, key, g_variant_builder_end(&b));
}

GVariant *
evf_event_serialize(const EvfEvent *ev)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	put_str(&d, "uid", ev->uid);
	put_str(&d, "slug", ev->slug);
	put_str(&d, "title", ev->title);
	g_variant_dict_insert(&d, "tba", "b", ev->tba);
	g_variant_dict_insert(&d, "all_day", "b", ev->all_day);
	if (!ev->tba && ev->all_day) {
		g_variant_dict_insert(&d, "start_date", "u",
		                      g_date_get_julian(&ev->start_date));
		g_variant_dict_insert(&d, "end_date", "u",
		                      g_date_get_julian(&ev->end_date));
	} else if (!ev->tba) {
		g_variant_dict_insert(&d, "start", "x",
		                      g_date_time_to_unix(ev->start));
		g_variant_dict_insert(&d, "end", "x",
		                      g_date_time_to_unix(ev->end));
	}
	put_str(&d, "tzid", ev->tzid);
	if (ev->utc_offset != 0)
		g_variant_dict_insert(&d, "utc_offset", "i", ev->utc_offset);
	put_str(&d, "location", ev->location);
	if (ev->has_geo)
		g_variant_dict_insert(&d, "geo", "(dd)", ev->lat, ev->lon);
	put_list(&d, "organizers", ev->organizers);
	put_str(&d, "organizer_email", ev->organizer_email);
	put_list(&d, "categories", ev->categories);
	put_str(&d, "url", ev->url);
	g_variant_dict_insert(&d, "status", "u", (guint32)ev->status);
	if (ev->status_unknown)
		g_variant_dict_insert(&d, "status_unknown", "b", TRUE);
	g_variant_dict_insert(&d, "published", "x", ev->published);
	if (ev->seen != 0)
		g_variant_dict_insert(&d, "seen", "x", ev->seen);
	put_str(&d, "image", ev->image);
	put_str(&d, "rrule", ev->rrule);
	put_str(&d, "description_html", ev->description_html);
	put_str(&d, "description_text", ev->description_text);
	put_str(&d, "series", ev->series);
	put_str(&d, "occurrence", ev->occurrence);
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

static char *
get_str(GVariantDict *d, const char *key)
{
	char *v = NULL;

	g_variant_dict_lookup(d, key, "s", &v);
	return v;
}

static void
get_list(GVariantDict *d, const char *key, GPtrArray *out)
{
	g_autoptr(GVariantIter) it = NULL;
	char *s;

	if (!g_variant_dict_lookup(d, key, "as", &it))
		return;
	while (g_variant_iter_next(it, "s", &s))
		g_ptr_array_add(out, s);
}

EvfEvent *
evf_event_deserialize(GVariant *v)
{
	g_autoptr(EvfEvent) ev = evf_event_new();
	g_auto(GVariantDict) d = G_VARIANT_DICT_INIT(NULL);
	guint32 status = 0, sd = 0, ed = 0;
	gint64 start = 0, end = 0;

	if (v == NULL || !g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT))
		return NULL;
	g_variant_dict_clear(&d);
	g_variant_dict_init(&d, v);
	ev->uid = get_str(&d, "uid");
	ev->slug = get_str(&d, "slug");
	ev->title = get_str(&d, "title");
	if (ev->uid == NULL || ev->slug == NULL || ev->title == NULL)
		return NULL;
	g_variant_dict_lookup(&d, "tba", "b", &ev->tba);
	g_variant_dict_lookup(&d, "all_day", "b", &ev->all_day);
	ev->tzid = get_str(&d, "tzid");
	if (!ev->tba && ev->all_day) {
		if (!g_variant_dict_lookup(&d, "start_date", "u", &sd) ||
		    !g_variant_dict_lookup(&d, "end_date", "u", &ed) ||
		    !g_date_valid_julian(sd) || !g_date_valid_julian(ed) ||
		    ed <= sd)
			return NULL;
		g_date_clear(&ev->start_date, 1);
		g_date_clear(&ev->end_date, 1);
		g_date_set_julian(&ev->start_date, sd);
		g_date_set_julian(&ev->end_date, ed);
	} else if (!ev->tba) {
		g_autoptr(GTimeZone) tz = NULL;
		g_autoptr(GDateTime) s = NULL;
		g_autoptr(GDateTime) e = NULL;

		if (!g_variant_dict_lookup(&d, "start", "x", &start) ||
		    !g_variant_dict_lookup(&d, "end", "x", &end) || end < start)
			return NULL;
		tz = ev->tzid != NULL ? g_time_zone_new_identifier(ev->tzid)
		                      : g_time_zone_new_utc();
		if (tz == NULL)
			return NULL;
		/* an offset is kept for a time in UTC */
		g_variant_dict_lookup(&d, "utc_offset", "i", &ev->utc_offset);
		if (ev->utc_offset != 0 &&
		    (ev->tzid != NULL || !evf_utc_offset_valid(ev->utc_offset)))
			return NULL;
		s = g_date_time_new_from_unix_utc(start);
		e = g_date_time_new_from_unix_utc(end);
		if (s == NULL || e == NULL)
			return NULL;
		ev->start = g_date_time_to_timezone(s, tz);
		ev->end = g_date_time_to_timezone(e, tz);
	}
	ev->location = get_str(&d, "location");
	ev->has_geo =
	    g_variant_dict_lookup(&d, "geo", "(dd)", &ev->lat, &ev->lon);
	get_list(&d, "organizers", ev->organizers);
	ev->organizer_email = get_str(&d, "organizer_email");
	get_list(&d, "categories", ev->categories);
	ev->url = get_str(&d, "url");
	g_variant_dict_lookup(&d, "status", "u", &status);
	if (status > EVF_STATUS_CANCELLED)
		return NULL;
	ev->status = (EvfStatus)status;
	g_variant_dict_lookup(&d, "status_unknown", "b", &ev->status_unknown);
	g_variant_dict_lookup(&d, "published", "x", &ev->published);
	g_variant_dict_lookup(&d, "seen", "x", &ev->seen);
	ev->image = get_str(&d, "image");
	ev->rrule = get_str(&d, "rrule");
	ev->description_html = get_str(&d, "description_html");
	ev->description_text = get_str(&d, "description_text");
	ev->series = get_str(&d, "series");
	ev->occurrence = get_str(&d, "occurrence");
	evf_event_update_fingerprint(ev);
	return g_steal_pointer(&ev);
}

char *
evf_event_display_title(const EvfEvent *ev)
{
	static GRegex *says_so;

	/* Editors and partners often say it in the title already, as a
	 * mark before it: "CANCELLED: …", "[Canceled] …", "Cancelled – …",
	 * "CANCELLED …"; not "Cancelled-flights forum" nor "Cancelled
	 * flights: …", whose first word it is. */
	if (ev->status == EVF_STATUS_CANCELLED &&
	    !g_regex_match(
	        evf_regex_once(&says_so,
	                       "^\\W*(?:cancell?ed(?:\\s*(?:$|[^\\w\\s-])|"
	                       "\\s+[-\\x{2013}\\x{2014}](?:\\s|$))|"
	                       "(?-i:CANCELL?ED)\\s)",
	                       G_REGEX_CASELESS),
	        ev->title, 0, NULL))
		return g_strconcat("Cancelled: ", ev->title, NULL);
	return g_strdup(ev->title);
}

static void
fp_add(GChecksum *sum, const char *s)
{
	if (s != NULL)
		g_checksum_update(sum, (const guchar *)s, strlen(s));
	g_checksum_update(sum, (const guchar *)"\x1f", 1);
}

static void
fp_add_list(GChecksum *sum, GPtrArray *list)
{
	for (guint i = 0; i < list->len; i++) {
		fp_add(sum, g_ptr_array_index(list, i));
	}
	fp_add(sum, "\x1e");
}

void
evf_event_update_fingerprint(EvfEvent *ev)
{
	evf_event_update_fingerprint_attributed(ev, NULL);
}

/* (transfer full): the digest of @ev's content, with @published as its
 * date of publication. */
static char *
fingerprint(const EvfEvent *ev, const char *attribution, gint64 published)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree char *start = evf_event_w3c_start(ev);
	g_autofree char *end = evf_event_w3c_end(ev);
	g_autofree char *geo =
	    ev->has_geo ? g_strdup_printf("%.6f;%.6f", ev->lat, ev->lon) : NULL;
	g_autofree char *flags =
	    g_strdup_printf("%d;%d;%d;%" G_GINT64_FORMAT, ev->tba, ev->all_day,
	                    ev->status, published);

	fp_add(sum, "evfeed-event-1");
	fp_add(sum, ev->uid);
	fp_add(sum, ev->title);
	fp_add(sum, flags);
	fp_add(sum, start);
	fp_add(sum, end);
	fp_add(sum, ev->tzid);
	fp_add(sum, ev->location);
	fp_add(sum, geo);
	fp_add_list(sum, ev->organizers);
	fp_add(sum, ev->organizer_email);
	fp_add_list(sum, ev->categories);
	fp_add(sum, ev->url);
	fp_add(sum, ev->image);
	fp_add(sum, ev->rrule);
	/* What the Markdown gives, not how it is written: a line's trailing
	 * space, another blank line or '*' for '-' changes no output, and
	 * subscribers are told of no change. */
	fp_add(sum, ev->description_text);
	fp_add(sum, ev->description_html);
	fp_add(sum, ev->source);
	fp_add_list(sum, ev->also_listed);
	/* last, and only when given, so that other events keep the
	 * fingerprint they had before it was known */
	if (ev->utc_offset != 0) {
		g_autofree char *offset =
		    g_strdup_printf("offset %d", ev->utc_offset);

		fp_add(sum, offset);
	}
	if (attribution != NULL) {
		fp_add(sum, "attribution");
		fp_add(sum, attribution);
	}
	return g_strdup(g_checksum_get_string(sum));
}

void
evf_event_update_fingerprint_attributed(EvfEvent *ev, const char *attribution)
{
	/* A partner's date of publication is not part of it: its item keeps
	 * the earliest the source gave (the state's), which no later date
	 * changes, and many feeds date each item anew at each edit, or each
	 * time they are made. */
	gboolean partner = ev->source != NULL && ev->published != 0;

	g_free(ev->fingerprint);
	ev->fingerprint =
	    fingerprint(ev, attribution, partner ? 0 : ev->published);
	g_free(ev->fingerprint_dated);
	ev->fingerprint_dated =
	    partner ? fingerprint(ev, attribution, ev->published) : NULL;
}

static const char *const month_names[] = {
	"",        "January",  "February", "March",  "April",
	"May",     "June",     "July",     "August", "September",
	"October", "November", "December",
};

/* Appends @items (n of them) to @s as "a", "a and b", "a, b and c". */
static void
append_list(GString *s, GPtrArray *items)
{
	for (guint i = 0; i < items->len; i++) {
		if (i > 0)
			g_string_append(s, i + 1 < items->len ? ", " : " and ");
		g_string_append(s, g_ptr_array_index(items, i));
	}
}

/* (transfer none) (nullable): the ordinal of @n in words ("first",
 * "last"), NULL past the fifth (a yearly rule's 20th Monday), which is
 * then left unsaid. */
static const char *
ordinal(int n)
{
	static const char *const words[] = { NULL,    "first",  "second",
		                             "third", "fourth", "fifth" };

	if (n == -1)
		return "last";
	if (n == -2)
		return "second to last";
	if (n >= 1 && n < (int)G_N_ELEMENTS(words))
		return words[n];
	return NULL;
}

static gint
int_cmp(gconstpointer a, gconstpointer b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* (transfer full) (nullable): a day of the month in words ("15th", "last
 * day"), NULL for one counted further from the end. */
static char *
month_day_words(int d)
{
	const char *suffix = (d % 10 == 1 && d != 11)   ? "st"
	                     : (d % 10 == 2 && d != 12) ? "nd"
	                     : (d % 10 == 3 && d != 13) ? "rd"
	                                                : "th";

	if (d == -1)
		return g_strdup("last day");
	if (d >= 1 && d <= 31)
		return g_strdup_printf("%d%s", d, suffix);
	return NULL;
}

/* Appends the days, months and times of @rt, the rule of @ev, to @s after
 * its frequency: "weekly on Monday and Wednesday", "monthly on the first
 * Tuesday", "on the last weekday", "yearly on the last Sunday in March",
 * "daily at 09:00 and 14:00". FALSE, with @s as it may be, for a rule
 * these words cannot say in full (the sentence would then tell readers of
 * other dates than the calendar's). */
static gboolean
append_rule(GString *s, const struct icalrecurrencetype *rt, const EvfEvent *ev)
{
	static const char *const days[] = {
		"",          "Sunday",   "Monday", "Tuesday",
		"Wednesday", "Thursday", "Friday", "Saturday",
	};
	/* each frequency's unit ("every 2 weeks") and adverb ("weekly") */
	static const char *const words[][2] = {
		[ICAL_YEARLY_RECURRENCE] = { "year", "yearly" },
		[ICAL_MONTHLY_RECURRENCE] = { "month", "monthly" },
		[ICAL_WEEKLY_RECURRENCE] = { "week", "weekly" },
		[ICAL_DAILY_RECURRENCE] = { "day", "daily" },
		[ICAL_HOURLY_RECURRENCE] = { "hour", "hourly" },
	};
	guint n_day = evf_rrule_by_count(rt->by_day, ICAL_BY_DAY_SIZE);
	guint n_mday =
	    evf_rrule_by_count(rt->by_month_day, ICAL_BY_MONTHDAY_SIZE);
	guint n_month = evf_rrule_by_count(rt->by_month, ICAL_BY_MONTH_SIZE);
	guint n_pos = evf_rrule_by_count(rt->by_set_pos, ICAL_BY_SETPOS_SIZE);
	guint n_hour = evf_rrule_by_count(rt->by_hour, ICAL_BY_HOUR_SIZE);
	guint n_min = evf_rrule_by_count(rt->by_minute, ICAL_BY_MINUTE_SIZE);
	gboolean by_period = rt->freq == ICAL_MONTHLY_RECURRENCE ||
	                     rt->freq == ICAL_YEARLY_RECURRENCE;
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	guint plain = 0; /* bits of the days without a position */
	gboolean positioned = FALSE, every = FALSE;

	/* A series whose start has an offset runs in UTC, where its days
	 * and hours are not those it is shown in. */
	gboolean in_utc = ev->tzid == NULL && ev->utc_offset != 0;

	/* A monthly or yearly series in UTC whose day there, at the end
	 * or the start of a month, is not the day shown: on which day of
	 * which month each date is shown (the 28th in UTC is the 29th, or
	 * 1 March, at +02:00), the words cannot say. */
	if (in_utc && by_period && !ev->all_day) {
		g_autoptr(GDateTime) shown =
		    evf_event_shown_time(ev, ev->start);
		int day = g_date_time_get_day_of_month(ev->start);

		if (shown == NULL ||
		    (g_date_time_get_day_of_month(shown) != day &&
		     (day >= 28 || day == 1)))
			return FALSE;
	}
	if ((guint)rt->freq >= G_N_ELEMENTS(words) ||
	    words[rt->freq][0] == NULL ||
	    (in_utc && (n_day > 0 || n_mday > 0 || n_month > 0 || n_pos > 0 ||
	                n_hour > 0 || n_min > 0)) ||
	    (n_pos > 0 && rt->freq != ICAL_MONTHLY_RECURRENCE) ||
	    evf_rrule_by_count(rt->by_second, ICAL_BY_SECOND_SIZE) > 0 ||
	    evf_rrule_by_count(rt->by_year_day, ICAL_BY_YEARDAY_SIZE) > 0 ||
	    evf_rrule_by_count(rt->by_week_no, ICAL_BY_WEEKNO_SIZE) > 0 ||
	    (n_min > 0 && n_hour == 0))
		return FALSE;
	for (guint i = 0; i < n_day; i++) {
		int day = icalrecurrencetype_day_day_of_week(rt->by_day[i]);
		int pos = icalrecurrencetype_day_position(rt->by_day[i]);

		if (day < 1 || day > 7 || (pos != 0 && ordinal(pos) == NULL))
			return FALSE;
		if (pos == 0)
			plain |= 1u << day;
		positioned |= pos != 0;
		g_ptr_array_add(items, pos == 0 ? g_strdup(days[day])
		                                : g_strdup_printf("the %s %s",
		                                                  ordinal(pos),
		                                                  days[day]));
	}
	/* What the days' BY parts can say: a position is of a month or a
	 * year; BYSETPOS picks among plain days; a day of the month with a
	 * weekday is one of each ("Friday the 13th"); a day of the month is
	 * not a day's or a week's. */
	if ((positioned && (!by_period || n_pos > 0 || n_mday > 0)) ||
	    (n_pos > 0 && (n_day == 0 || n_mday > 0 || n_hour > 0)) ||
	    (n_mday > 0 && n_day > 0 && (n_day > 1 || n_mday > 1)) ||
	    (n_mday > 0 && !by_period))
		return FALSE;
	/* every Monday of the month or year, not one Monday a month */
	every =
	    by_period && n_day > 0 && !positioned && n_pos == 0 && n_mday == 0;

	if (rt->freq == ICAL_YEARLY_RECURRENCE && n_mday > 0 && n_month == 0)
		return FALSE; /* refused by the event file's checks */
	if (rt->interval > 1)
		g_string_append_printf(s, " every %d %ss", rt->interval,
		                       words[rt->freq][0]);
	else if (!every)
		g_string_append_printf(s, " %s", words[rt->freq][1]);

	if (n_pos > 0) {
		g_autoptr(GPtrArray) nth = g_ptr_array_new();
		const char *set = plain == 0x7c   ? "weekday"
		                  : plain == 0x82 ? "weekend day"
		                  : plain == 0xfe ? "day"
		                  : n_day == 1    ? g_ptr_array_index(items, 0)
		                                  : NULL;

		for (guint i = 0; i < n_pos; i++) {
			const char *o = ordinal(rt->by_set_pos[i]);

			if (o == NULL)
				return FALSE;
			g_ptr_array_add(nth, (gpointer)o);
		}
		if (set == NULL)
			return FALSE;
		g_string_append(s, " on the ");
		append_list(s, nth);
		g_string_append_printf(s, " %s", set);
	} else if (n_mday > 0 && n_day > 0) {
		g_autofree char *d = month_day_words(rt->by_month_day[0]);

		if (d == NULL || rt->by_month_day[0] < 0)
			return FALSE;
		g_string_append_printf(s, " on %s the %s",
		                       (char *)g_ptr_array_index(items, 0), d);
	} else if (n_day > 0) {
		g_string_append(s, every ? " on every " : " on ");
		if (plain == 0x7c && n_day == 5)
			g_string_append(s, every ? "weekday" : "weekdays");
		else
			append_list(s, items);
	} else if (n_mday > 0) {
		g_ptr_array_set_size(items, 0);
		for (guint i = 0; i < n_mday; i++) {
			char *d = month_day_words(rt->by_month_day[i]);

			if (d == NULL)
				return FALSE;
			g_ptr_array_add(items, d);
		}
		g_string_append(s, " on the ");
		append_list(s, items);
	} else if (rt->freq == ICAL_MONTHLY_RECURRENCE && n_month == 0) {
		/* RFC 5545 skips the months without the start's day: a
		 * series from 31 October is in December, not November */
		int day = ev->all_day ? g_date_get_day(&ev->start_date)
		                      : g_date_time_get_day_of_month(ev->start);
		g_autofree char *d = day > 28 ? month_day_words(day) : NULL;

		if (d != NULL)
			g_string_append_printf(
			    s, " on the %s, in the months that have one", d);
	}

	if (n_month > 0) {
		g_autoptr(GPtrArray) months = g_ptr_array_new();

		for (guint i = 0; i < n_month; i++) {
			if (rt->by_month[i] < 1 || rt->by_month[i] > 12)
				return FALSE;
			g_ptr_array_add(months,
			                (gpointer)month_names[rt->by_month[i]]);
		}
		g_string_append(s, " in ");
		append_list(s, months);
	}

	if (n_hour > 0) {
		g_autoptr(GArray) at = g_array_new(FALSE, FALSE, sizeof(int));
		g_autoptr(GPtrArray) times =
		    g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GDateTime) start =
		    ev->start != NULL ? evf_event_shown_time(ev, ev->start)
		                      : NULL;

		if (start == NULL || n_hour * MAX(n_min, 1) > 8)
			return FALSE;
		for (guint h = 0; h < n_hour; h++)
			for (guint m = 0; m < MAX(n_min, 1); m++) {
				int minute =
				    n_min > 0 ? rt->by_minute[m]
				              : g_date_time_get_minute(start);
				int v = rt->by_hour[h] * 60 + minute;

				g_array_append_val(at, v);
			}
		g_array_sort(at, int_cmp);
		for (guint i = 0; i < at->len; i++)
			g_ptr_array_add(
			    times,
			    g_strdup_printf("%02d:%02d",
			                    g_array_index(at, int, i) / 60,
			                    g_array_index(at, int, i) % 60));
		g_string_append(s, " at ");
		append_list(s, times);
	}
	return TRUE;
}

const char *
evf_event_organizers_label(const EvfEvent *ev)
{
	return ev->organizers->len > 1 ? "Organisers" : "Organiser";
}

void
evf_event_category_at(const EvfEvent *ev, guint k, guint *line, guint *col)
{
	const GArray *at = ev->categories_at;
	gboolean placed = at != NULL && at->len >= 2 * (k + 1);

	*line = placed ? g_array_index(at, guint, 2 * k)
	               : MAX(ev->categories_line, 1);
	*col = placed ? g_array_index(at, guint, 2 * k + 1)
	              : MAX(ev->categories_col, 1);
}

char *
evf_event_format_organizers(const EvfEvent *ev)
{
	GString *line;

	if (ev->organizers->len == 0)
		return NULL;
	line = g_string_new(g_ptr_array_index(ev->organizers, 0));
	for (guint i = 1; i < ev->organizers->len; i++) {
		g_string_append(line, EVF_ORGANIZER_SEPARATOR);
		g_string_append(line, g_ptr_array_index(ev->organizers, i));
	}
	return g_string_free(line, FALSE);
}

char *
evf_event_format_repeats(const EvfEvent *ev)
{
	struct icalrecurrencetype rt;
	GString *s;

	if (ev->series_dates != NULL)
		return g_strdup(ev->series_dates);
	if (ev->rrule == NULL || ev->tba)
		return NULL;
	icalerror_clear_errno();
	rt = evf_rrule_from_string(ev->rrule);
	icalerror_clear_errno();
	if (rt.freq == ICAL_NO_RECURRENCE)
		return NULL;
	s = g_string_new("Repeats");
	/* a rule these words cannot say: only that it repeats, and to
	 * when */
	if (!append_rule(s, &rt, ev))
		g_string_truncate(s, strlen("Repeats"));
	if (rt.count > 0) {
		g_string_append_printf(s, "%s %d times",
		                       s->len > strlen("Repeats") ? "," : "",
		                       rt.count);
	} else if (!icaltime_is_null_time(rt.until)) {
		/* the day of the last occurrence, as calendars run the rule
		 * (a daily series at 09:00 to an UNTIL of midnight ends the
		 * day before), else the UNTIL's day in the event's own
		 * zone, not UTC's */
		struct icaltimetype last;

		if (!evf_rrule_last(ev, rt, &last)) {
			evf_rrule_until_local(ev, &rt);
			last = rt.until;
		}
		/* a start with an offset runs the rule in UTC: the day at
		 * that offset, as the start's is shown */
		if (!ev->all_day && ev->tzid == NULL && ev->utc_offset != 0) {
			g_autoptr(GDateTime) at = g_date_time_new(
			    g_date_time_get_timezone(ev->start), last.year,
			    last.month, last.day, last.hour, last.minute,
			    MIN(last.second, 59));
			g_autoptr(GDateTime) shown =
			    at != NULL ? evf_event_shown_time(ev, at) : NULL;

			if (shown != NULL)
				g_date_time_get_ymd(shown, &last.year,
				                    &last.month, &last.day);
		}
		g_string_append_printf(
		    s, "%s until %d %s %d",
		    s->len > strlen("Repeats") ? "," : "", last.day,
		    month_names[CLAMP(last.month, 0, 12)], last.year);
	}
	return g_string_free(s, FALSE);
}

static char *
format_day(int d, int m, int y, gboolean month, gboolean year)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "%d", d);
	if (month)
		g_string_append_printf(s, " %s", month_names[m]);
	if (year)
		g_string_append_printf(s, " %d", y);
	return g_string_free(s, FALSE);
}

gboolean
evf_utc_offset_valid(gint32 seconds)
{
	return seconds >= -12 * 3600 && seconds <= 14 * 3600;
}

GDateTime *
evf_event_shown_time(const EvfEvent *ev, GDateTime *t)
{
	g_autoptr(GTimeZone) tz = NULL;

	if (ev->tzid != NULL || ev->utc_offset == 0)
		return g_date_time_to_timezone(
		    t, g_date_time_get_timezone(ev->start));
	tz = g_time_zone_new_offset(ev->utc_offset);
	return g_date_time_to_timezone(t, tz);
}

/* An all-day range of @ev from @start to @end (exclusive), or a timed one
 * from @start_time to @end_time, in words, in the zone @ev is shown in. */
static char *
format_range(const EvfEvent *ev, const GDate *start, const GDate *end,
             GDateTime *start_time, GDateTime *end_time)
{
	if (ev->all_day) {
		GDate last = *end;
		int sd, sm, sy, ld, lm, ly;

		g_date_subtract_days(&last, 1);
		sd = g_date_get_day(start);
		sm = g_date_get_month(start);
		sy = g_date_get_year(start);
		ld = g_date_get_day(&last);
		lm = g_date_get_month(&last);
		ly = g_date_get_year(&last);
		if (g_date_compare(start, &last) >= 0)
			return format_day(sd, sm, sy, TRUE, TRUE);
		{
			g_autofree char *a = format_day(
			    sd, sm, sy, sm != lm || sy != ly, sy != ly);
			g_autofree char *b = format_day(ld, lm, ly, TRUE, TRUE);
			/* An en dash, spaced when either side has spaces. */
			return g_strdup_printf(
			    "%s%s%s", a, strchr(a, ' ') ? " \u2013 " : "\u2013",
			    b);
		}
	}
	{
		g_autoptr(GDateTime) s = evf_event_shown_time(ev, start_time);
		g_autoptr(GDateTime) e = evf_event_shown_time(ev, end_time);
		g_autofree char *zone = evf_zone_label(ev->tzid, s);
		g_autofree char *sday = format_day(
		    g_date_time_get_day_of_month(s), g_date_time_get_month(s),
		    g_date_time_get_year(s), TRUE, TRUE);
		/* to the second when either is written so (10:00:15 to
		 * 10:00:45 is not "10:00–10:00"); a wall time that happens
		 * twice says which, and then so does the other ("01:15–01:45
		 * (UTC+10:30)" would put both at the offset of the end) */
		gboolean seconds = g_date_time_get_second(s) != 0 ||
		                   g_date_time_get_second(e) != 0;
		gboolean twice =
		    evf_tz_is_ambiguous(s) || evf_tz_is_ambiguous(e);
		const char *hm = seconds ? "%H:%M:%S" : "%H:%M";
		const char *hm_utc =
		    seconds ? "%H:%M:%S (UTC%:z)" : "%H:%M (UTC%:z)";
		g_autofree char *stime =
		    g_date_time_format(s, twice ? hm_utc : hm);
		g_autofree char *etime =
		    g_date_time_format(e, twice ? hm_utc : hm);

		/* An event that ends at its start has no end to show. */
		if (g_date_time_equal(s, e))
			return g_strdup_printf("%s, %s (%s)", sday, stime,
			                       zone);
		if (g_date_time_get_year(s) == g_date_time_get_year(e) &&
		    g_date_time_get_day_of_year(s) ==
		        g_date_time_get_day_of_year(e))
			return g_strdup_printf("%s, %s\u2013%s (%s)", sday,
			                       stime, etime, zone);
		{
			g_autofree char *eday =
			    format_day(g_date_time_get_day_of_month(e),
			               g_date_time_get_month(e),
			               g_date_time_get_year(e), TRUE, TRUE);
			return g_strdup_printf("%s, %s \u2013 %s, %s (%s)",
			                       sday, stime, eday, etime, zone);
		}
	}
}

char *
evf_zone_label(const char *tzid, GDateTime *t)
{
	/* tzdata's Etc/ zones are fixed offsets, whose names readers
	 * misread (Etc/GMT+5 is UTC-05:00): shown as offsets too */
	if (tzid != NULL && !g_str_has_prefix(tzid, "Etc/"))
		return g_strdup(tzid);
	return g_date_time_get_utc_offset(t) != 0
	           ? g_date_time_format(t, "UTC%:z")
	           : g_strdup("UTC");
}

char *
evf_event_format_when(const EvfEvent *ev)
{
	if (ev->tba)
		return g_strdup("Date to be announced");
	return format_range(ev, &ev->start_date, &ev->end_date, ev->start,
	                    ev->end);
}

/* @t's wall time as if it were UTC, for lengths on the wall clock. */
static GDateTime *
wall_as_utc(GDateTime *t)
{
	struct icaltimetype w = evf_tz_wall_time(t);

	return g_date_time_new_utc(w.year, w.month, w.day, w.hour, w.minute,
	                           w.second);
}

/* @ev's length on its zone's wall clock, as evf_event_wall_length but
 * whether an end was written or not. */
static gint64
clock_length(const EvfEvent *ev)
{
	g_autoptr(GDateTime) wall_start = NULL;
	g_autoptr(GDateTime) wall_end = NULL;

	if (ev->tzid == NULL || ev->all_day || ev->start == NULL ||
	    ev->end == NULL)
		return -1;
	wall_start = wall_as_utc(ev->start);
	wall_end = wall_as_utc(ev->end);
	if (wall_start == NULL || wall_end == NULL)
		return -1;
	return g_date_time_difference(wall_end, wall_start) /
	       G_TIME_SPAN_SECOND;
}

gint64
evf_event_wall_length(const EvfEvent *ev)
{
	gint64 clock = clock_length(ev);

	/* the editor gave no end, and an hour is meant: on the day the
	 * clocks change, an hour on the clock is two or none (a series from
	 * 01:30 on that day would have lasted two hours every day) */
	if (clock > 0 && ev->end_default)
		return g_date_time_difference(ev->end, ev->start) /
		       G_TIME_SPAN_SECOND;
	return clock;
}

gboolean
evf_event_spans_change(const EvfEvent *ev)
{
	gint64 clock = clock_length(ev);

	return clock > 0 && clock * G_TIME_SPAN_SECOND !=
	                        g_date_time_difference(ev->end, ev->start);
}

GDateTime *
evf_event_duration_end(const EvfEvent *ev, GDateTime *start)
{
	GTimeSpan exact = g_date_time_difference(ev->end, ev->start);
	gint64 wall = evf_event_wall_length(ev);
	g_autoptr(GDateTime) at = NULL;
	struct icaltimetype w;

	/* the first's length on the wall clock, as its DURATION says it
	 * (write-ics.c): whole days on the wall clock, the rest exact */
	if (wall > 0 && wall * G_TIME_SPAN_SECOND != exact) {
		w = evf_tz_wall_time(start);
		icaltime_adjust(&w, (int)(wall / 86400), 0, 0, 0);
		at = evf_tz_datetime_new(g_date_time_get_timezone(start),
		                         w.year, w.month, w.day, w.hour,
		                         w.minute, w.second);
		return at != NULL ? g_date_time_add_seconds(
		                        at, (gdouble)(wall % 86400))
		                  : NULL;
	}
	return g_date_time_add(start, exact);
}

GDateTime *
evf_event_occurrence_end(const EvfEvent *ev, GDateTime *start)
{
	GDateTime *end;

	/* the first ends where its editor said (the calendars override
	 * it where its DURATION would not) */
	if (g_date_time_equal(start, ev->start))
		return g_date_time_ref(ev->end);
	end = evf_event_duration_end(ev, start);
	return end != NULL ? end
	                   : g_date_time_add(start, g_date_time_difference(
	                                                ev->end, ev->start));
}

/* The first and last day (exclusive) of @ev's occurrence on @day, a Julian
 * day (all-day), or its start and end (timed: it starts at @start, unix
 * seconds, in the event's zone, and ends as evf_event_occurrence_end
 * says). */
static void
occurrence(const EvfEvent *ev, guint32 day, gint64 start, GDate *first,
           GDate *end, GDateTime **s, GDateTime **e)
{
	g_autoptr(GDateTime) utc = NULL;

	g_date_clear(first, 1);
	g_date_clear(end, 1);
	*s = *e = NULL;
	if (ev->all_day) {
		g_date_set_julian(first, day);
		g_date_set_julian(end,
		                  day + (g_date_get_julian(&ev->end_date) -
		                         g_date_get_julian(&ev->start_date)));
		return;
	}
	utc = g_date_time_new_from_unix_utc(start);
	*s = g_date_time_to_timezone(utc, g_date_time_get_timezone(ev->start));
	*e = evf_event_occurrence_end(ev, *s);
}

static char *
w3c_date(const GDate *d)
{
	return g_strdup_printf("%04d-%02d-%02d", g_date_get_year(d),
	                       g_date_get_month(d), g_date_get_day(d));
}

static char *
w3c_time(GDateTime *t)
{
	GTimeSpan offset = g_date_time_get_utc_offset(t);

	/* An offset of whole minutes, as W3C-DTF and RFC 3339 write one; a
	 * zone's local mean time before it took a standard one (St John's
	 * until 1935 was 3:30:52 behind UTC) is written in UTC, where
	 * %:z would drop its seconds and move the instant. */
	if (offset % (60 * G_TIME_SPAN_SECOND) != 0) {
		g_autoptr(GDateTime) utc = g_date_time_to_utc(t);

		return g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
	}
	if (offset == 0)
		return g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
	return g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
}

char *
evf_event_w3c_start(const EvfEvent *ev)
{
	if (ev->tba)
		return NULL;
	if (ev->all_day)
		return w3c_date(&ev->start_date);
	return w3c_time(ev->start);
}

char *
evf_event_format_occurrence(const EvfEvent *ev, guint32 day, gint64 start,
                            char **w3c)
{
	GDate first, end;
	g_autoptr(GDateTime) s = NULL;
	g_autoptr(GDateTime) e = NULL;

	g_return_val_if_fail(!ev->tba, NULL);
	occurrence(ev, day, start, &first, &end, &s, &e);
	*w3c = ev->all_day ? w3c_date(&first) : w3c_time(s);
	return format_range(ev, &first, &end, s, e);
}

char *
evf_event_w3c_end(const EvfEvent *ev)
{
	if (ev->tba)
		return NULL;
	if (ev->all_day) {
		GDate last = ev->end_date;

		g_date_subtract_days(&last, 1);
		return w3c_date(&last);
	}
	return w3c_time(ev->end);
}

char *
evf_event_w3c_end_shown(const EvfEvent *ev)
{
	if (!ev->tba && !ev->all_day && g_date_time_equal(ev->start, ev->end))
		return NULL;
	return evf_event_w3c_end(ev);
}

gboolean
evf_event_is_news(const EvfEvent *ev)
{
	return ev->tba && ev->source != NULL;
}

/* The Julian day of @t's date. */
static guint32
julian_day(GDateTime *t)
{
	GDate d;

	g_date_clear(&d, 1);
	g_date_set_dmy(&d, (GDateDay)g_date_time_get_day_of_month(t),
	               (GDateMonth)g_date_time_get_month(t),
	               (GDateYear)g_date_time_get_year(t));
	return g_date_get_julian(&d);
}

guint32
evf_event_start_day(const EvfEvent *ev)
{
	if (ev->all_day)
		return g_date_get_julian(&ev->start_date);
	/* (the sorts call this: only an offset needs a new time) */
	if (ev->tzid == NULL && ev->utc_offset != 0)
		return evf_event_day_at(ev, g_date_time_to_unix(ev->start));
	return julian_day(ev->start);
}

guint32
evf_event_day_at(const EvfEvent *ev, gint64 instant)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(instant);
	g_autoptr(GDateTime) t = NULL;

	if (utc == NULL)
		return 0;
	t = evf_event_shown_time(ev, utc);
	return julian_day(t);
}

gint
evf_event_cmp_at(const EvfEvent *x, guint32 dx, gint64 sx, const EvfEvent *y,
                 guint32 dy, gint64 sy)
{
	/* By the day first, as the page groups its months: an all-day
	 * event has a date, not an instant, and putting it at midnight in
	 * any one zone would order it against timed events of other days.
	 * Within a day, the all-day events first, then the timed ones by
	 * instant. */
	if (dx != dy)
		return dx < dy ? -1 : 1;
	if (x->all_day != y->all_day)
		return x->all_day ? -1 : 1;
	if (!x->all_day && sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(x->uid, y->uid);
}

/* An event with what evf_event_cmp_start orders it by. */
typedef struct {
	EvfEvent *ev;
	guint32 day;  /* evf_event_start_day, when dated */
	gint64 start; /* unix seconds, when timed */
} Keyed;

static Keyed
keyed(EvfEvent *ev)
{
	Keyed k = { ev, 0, 0 };

	if (!ev->tba) {
		k.day = evf_event_start_day(ev);
		k.start = ev->all_day ? 0 : g_date_time_to_unix(ev->start);
	}
	return k;
}

static gint
keyed_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	const Keyed *x = a, *y = b;

	if (x->ev->tba != y->ev->tba)
		return x->ev->tba ? 1 : -1;
	if (x->ev->tba)
		return strcmp(x->ev->uid, y->ev->uid);
	return evf_event_cmp_at(x->ev, x->day, x->start, y->ev, y->day,
	                        y->start);
}

gint
evf_event_cmp_start(gconstpointer a, gconstpointer b)
{
	Keyed x = keyed(*(EvfEvent *const *)a);
	Keyed y = keyed(*(EvfEvent *const *)b);

	return keyed_cmp(&x, &y, NULL);
}

void
evf_events_sort_by_start(GPtrArray *events)
{
	g_autofree Keyed *k = g_new(Keyed, events->len);

	/* each event's keys once, not at each of the n log n comparisons
	 * (a day in the site's zone, for a time with an offset) */
	for (guint i = 0; i < events->len; i++)
		k[i] = keyed(g_ptr_array_index(events, i));
	g_qsort_with_data(k, (gint)events->len, sizeof *k, keyed_cmp, NULL);
	for (guint i = 0; i < events->len; i++)
		events->pdata[i] = k[i].ev;
}

gint
evf_event_cmp_pubdate_desc(gconstpointer a, gconstpointer b)
{
	const EvfEvent *x = *(EvfEvent *const *)a;
	const EvfEvent *y = *(EvfEvent *const *)b;
	gint64 px = evf_event_pubdate(x), py = evf_event_pubdate(y);

	if (px != py)
		return px > py ? -1 : 1;
	return strcmp(x->uid, y->uid);
}

/* Makes *@s plain text (evf_text_plain) in NFC (evf_text_nfc), without
 * blank ends (evf_text_trim_blank), in place; whether it changed. */
static gboolean
make_plain(char **s)
{
	char *plain;
	char *normal;
	gboolean changed = FALSE;

	if (*s == NULL)
		return FALSE;
	if ((plain = evf_text_plain(*s, NULL)) != NULL && plain[0] != '\0') {
		g_free(*s);
		*s = plain;
		changed = TRUE;
	} else {
		g_free(plain);
	}
	normal = evf_text_trim_blank(evf_text_nfc(*s));
	if (normal[0] != '\0' && strcmp(normal, *s) != 0) {
		g_free(*s);
		*s = normal;
		return TRUE;
	}
	g_free(normal);
	return changed;
}

/* Makes *@s, a link, a URI in place (evf_uri_from_iri); whether it
 * changed. */
static gboolean
make_uri(char **s)
{
	char *uri;

	if (*s == NULL || (uri = evf_uri_from_iri(*s)) == NULL)
		return FALSE;
	if (strcmp(uri, *s) == 0) {
		g_free(uri);
		return FALSE;
	}
	g_free(*s);
	*s = uri;
	return TRUE;
}

void
evf_event_tidy(EvfEvent *ev)
{
	gboolean changed = FALSE;
	GPtrArray *lists[] = { ev->organizers, ev->categories };

	g_return_if_fail(ev != NULL);
	changed |= make_plain(&ev->title);
	changed |= make_plain(&ev->location);
	changed |= make_uri(&ev->url);
	changed |= make_uri(&ev->image);
	for (guint k = 0; k < G_N_ELEMENTS(lists); k++)
		for (guint i = 0; i < lists[k]->len; i++)
			changed |= make_plain((char **)&lists[k]->pdata[i]);
	if (changed)
		evf_event_update_fingerprint(ev);
}

void
evf_event_settle_dates(EvfEvent *ev)
{
	GDate *dates[] = { &ev->start_date, &ev->end_date };

	for (gsize i = 0; i < G_N_ELEMENTS(dates); i++)
		if (g_date_valid(dates[i])) {
			(void)g_date_get_julian(dates[i]);
			(void)g_date_get_year(dates[i]);
		}
}

/* @s case-folded and in NFKC, each run of white space one space, so that
 * a phrase matches across a line break or a no-break space. */
static char *
fold_words(const char *s)
{
	g_autofree char *folded = g_utf8_casefold(s, -1);
	g_autofree char *nfkc =
	    g_utf8_normalize(folded, -1, G_NORMALIZE_ALL_COMPOSE);
	GString *out = g_string_new(NULL);
	gboolean space = FALSE;

	for (const char *p = nfkc; p != NULL && *p != '\0';
	     p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c)) {
			space = TRUE;
			continue;
		}
		if (space && out->len > 0)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* Whether the UTF-8 character at @p is part of a word that spaces set
 * apart. Scripts written without spaces between words (Chinese, Japanese,
 * Thai, Lao, Khmer, Myanmar…) have no such edges: a term in them is found
 * anywhere, as before whole words were asked for. */
static gboolean
word_char(const char *p)
{
	static const GUnicodeScript unspaced[] = {
		G_UNICODE_SCRIPT_HAN,      G_UNICODE_SCRIPT_HIRAGANA,
		G_UNICODE_SCRIPT_KATAKANA, G_UNICODE_SCRIPT_BOPOMOFO,
		G_UNICODE_SCRIPT_THAI,     G_UNICODE_SCRIPT_LAO,
		G_UNICODE_SCRIPT_KHMER,    G_UNICODE_SCRIPT_MYANMAR,
		G_UNICODE_SCRIPT_TIBETAN,  G_UNICODE_SCRIPT_YI,
		G_UNICODE_SCRIPT_JAVANESE, G_UNICODE_SCRIPT_BALINESE,
	};
	gunichar c = g_utf8_get_char(p);
	GUnicodeScript script;

	if (!g_unichar_isalnum(c) && !g_unichar_ismark(c))
		return FALSE;
	script = g_unichar_get_script(c);
	for (guint i = 0; i < G_N_ELEMENTS(unspaced); i++)
		if (script == unspaced[i])
			return FALSE;
	return TRUE;
}

gboolean
evf_event_mentions(const EvfEvent *ev, GStrv words)
{
	g_auto(GStrv) folded = evf_words_fold(words);

	return evf_event_mentions_folded(ev, folded);
}

GStrv
evf_words_fold(GStrv words)
{
	GStrv folded =
	    g_new0(char *, words != NULL ? g_strv_length(words) + 1 : 1);

	for (guint i = 0; words != NULL && words[i] != NULL; i++)
		folded[i] = fold_words(words[i]);
	return folded;
}

gboolean
evf_event_mentions_folded(const EvfEvent *ev, GStrv words)
{
	g_autoptr(GString) hay = g_string_new(ev->title);
	g_autofree char *folded = NULL;

	g_string_append_printf(
	    hay, "\n%s\n", ev->description_text ? ev->description_text : "");
	for (guint i = 0; i < ev->categories->len; i++)
		g_string_append_printf(
		    hay, "%s\n", (char *)g_ptr_array_index(ev->categories, i));
	folded = fold_words(hay->str);
	for (guint i = 0; words != NULL && words[i] != NULL; i++) {
		const char *w = words[i];
		gsize n = strlen(w);

		if (n == 0)
			continue;
		for (const char *at = strstr(folded, w); at != NULL;
		     at = strstr(g_utf8_next_char(at), w)) {
			gboolean starts =
			    at == folded ||
			    !word_char(g_utf8_find_prev_char(folded, at)) ||
			    !word_char(at);
			gboolean ends =
			    at[n] == '\0' || !word_char(at + n) ||
			    !word_char(g_utf8_find_prev_char(folded, at + n));

			if (starts && ends)
				return TRUE;
		}
	}
	return FALSE;
}
