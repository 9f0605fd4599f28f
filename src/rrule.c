/*
 * rrule.c: recurrence rules that libical 3.0.16 spins on, recognised from
 * the rule alone. For a sub-daily rule libical steps through every
 * second, minute or hour between two occurrences, inside one call of
 * icalrecur_iterator_next(), and until the end of its range when there is
 * none: 30 February every hour takes 10 to 30 s to be found empty, a
 * secondly rule limited to 31 December runs through 18 million seconds to
 * reach it. No cap on the number of calls bounds that; refusing the rule
 * before the iterator exists does. Event files (eventfile.c) and partners'
 * calendars (import-ics.c) share this one check.
 */
#include "autoconf.h"
#include "rrule.h"

#include "autocleanups.h"
#include "tz.h"

gboolean
evf_rrule_has(const short *by)
{
	return by[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

guint
evf_rrule_by_count(const short *by, int size)
{
	guint n = 0;

	while ((int)n < size && by[n] != ICAL_RECURRENCE_ARRAY_MAX)
		n++;
	return n;
}

/* Whether no month of BYMONTH has a day of BYMONTHDAY (30 February). */
static gboolean
no_month_has_the_day(const struct icalrecurrencetype *rt)
{
	if (!evf_rrule_has(rt->by_month) || !evf_rrule_has(rt->by_month_day))
		return FALSE;
	for (int i = 0; i < ICAL_BY_MONTH_SIZE &&
	                rt->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++) {
		int m = rt->by_month[i];
		int days;

		if (m < 1 || m > 12)
			return FALSE;
		days = m == 2 ? 29 : g_date_get_days_in_month(m, 2001);
		for (int j = 0;
		     j < ICAL_BY_MONTHDAY_SIZE &&
		     rt->by_month_day[j] != ICAL_RECURRENCE_ARRAY_MAX;
		     j++)
			if (ABS(rt->by_month_day[j]) <= days)
				return FALSE;
	}
	return TRUE;
}

/* Whether a month of @days days has a day of BYMONTHDAY that is one of
 * the weekdays BYDAY counts in the month (1MO: its days 1 to 7; -1SU: its
 * last seven). */
static gboolean
month_days_meet(const struct icalrecurrencetype *rt, int days)
{
	for (int i = 0;
	     i < ICAL_BY_DAY_SIZE && rt->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++) {
		int n = icalrecurrencetype_day_position(rt->by_day[i]);
		int first = n > 0 ? 7 * (n - 1) + 1 : days + 7 * n + 1;
		int last = first + 6;

		for (int j = 0;
		     j < ICAL_BY_MONTHDAY_SIZE &&
		     rt->by_month_day[j] != ICAL_RECURRENCE_ARRAY_MAX;
		     j++) {
			int d = rt->by_month_day[j];

			if (d < 0)
				d += days + 1;
			if (d >= MAX(first, 1) && d <= MIN(last, days))
				return TRUE;
		}
	}
	return FALSE;
}

/* Whether no day of BYMONTHDAY can be the weekday BYDAY counts within its
 * month (the first Monday on the 15th), in a monthly rule or a yearly one
 * by months: libical searches for it to the end of its range before the
 * iterator exists (seconds for each rule). Only when every BYDAY has its
 * number: a weekday without one is on any day of the month. */
static gboolean
no_month_day_is_the_weekday(const struct icalrecurrencetype *rt)
{
	static const int lengths[] = { 28, 29, 30, 31 };

	if (!evf_rrule_has(rt->by_day) || !evf_rrule_has(rt->by_month_day) ||
	    !(rt->freq == ICAL_MONTHLY_RECURRENCE ||
	      (rt->freq == ICAL_YEARLY_RECURRENCE &&
	       evf_rrule_has(rt->by_month))))
		return FALSE;
	for (int i = 0;
	     i < ICAL_BY_DAY_SIZE && rt->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++)
		if (icalrecurrencetype_day_position(rt->by_day[i]) == 0)
			return FALSE;
	if (!evf_rrule_has(rt->by_month)) {
		for (gsize k = 0; k < G_N_ELEMENTS(lengths); k++)
			if (month_days_meet(rt, lengths[k]))
				return FALSE;
		return TRUE;
	}
	for (int i = 0; i < ICAL_BY_MONTH_SIZE &&
	                rt->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++) {
		int m = rt->by_month[i];

		if (m < 1 || m > 12)
			return FALSE;
		if (month_days_meet(rt, g_date_get_days_in_month(m, 2001)) ||
		    (m == 2 && month_days_meet(rt, 29)))
			return FALSE;
	}
	return TRUE;
}

int
evf_rrule_day_number_max(const struct icalrecurrencetype *rt)
{
	int most = 0;

	for (int i = 0;
	     i < ICAL_BY_DAY_SIZE && rt->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++)
		most = MAX(most,
		           ABS(icalrecurrencetype_day_position(rt->by_day[i])));
	return most;
}

const char *
evf_rrule_refusal(const struct icalrecurrencetype *rt)
{
	gboolean month_level, year_level;

	g_return_val_if_fail(rt != NULL, NULL);
	/* RFC 5545 §3.3.10: a numbered weekday ("-1FR", the last Friday)
	 * counts in a month or a year; with another FREQ clients take it
	 * for every such weekday. */
	if (rt->freq != ICAL_MONTHLY_RECURRENCE &&
	    rt->freq != ICAL_YEARLY_RECURRENCE &&
	    evf_rrule_day_number_max(rt) > 0)
		return "a numbered weekday in BYDAY (such as -1FR, the last "
		       "Friday) is for FREQ=MONTHLY or FREQ=YEARLY (RFC "
		       "5545); write FREQ=MONTHLY;BYDAY=-1FR for the last "
		       "Friday of each month";
	if (no_month_has_the_day(rt))
		return "it never occurs: no month of BYMONTH has a day of "
		       "BYMONTHDAY";
	if (no_month_day_is_the_weekday(rt))
		return "it never occurs: no day of BYMONTHDAY can be the "
		       "weekday that BYDAY counts in its month (1MO is one "
		       "of the days 1 to 7)";
	/* Day-level filters on a sub-daily rule: each one can put a month
	 * to years between occurrences, all of it stepped through. */
	month_level =
	    evf_rrule_has(rt->by_month) || evf_rrule_has(rt->by_month_day);
	year_level =
	    evf_rrule_has(rt->by_year_day) || evf_rrule_has(rt->by_week_no);
	switch (rt->freq) {
	case ICAL_SECONDLY_RECURRENCE:
		if (month_level || year_level || evf_rrule_has(rt->by_day))
			return "FREQ=SECONDLY with BYMONTH, BYMONTHDAY, "
			       "BYYEARDAY, BYWEEKNO or BYDAY would take "
			       "libical minutes to step through";
		break;
	case ICAL_MINUTELY_RECURRENCE:
		if (month_level || year_level)
			return "FREQ=MINUTELY with BYMONTH, BYMONTHDAY, "
			       "BYYEARDAY or BYWEEKNO would take libical "
			       "minutes to step through";
		break;
	case ICAL_HOURLY_RECURRENCE:
		/* Day of the year or week number against the month or the
		 * weekday: often impossible (day 366 in February), and then
		 * stepped through to the end. */
		if (year_level && (month_level || evf_rrule_has(rt->by_day)))
			return "FREQ=HOURLY with BYYEARDAY or BYWEEKNO and "
			       "BYMONTH, BYMONTHDAY or BYDAY would take "
			       "libical minutes to step through";
		break;
	default:
		break;
	}
	return NULL;
}

struct icaltimetype
evf_rrule_start(const EvfEvent *ev)
{
	/* (not icaltime_null_date(): its hours of -1 put the iterator's
	 * first date weeks off) */
	struct icaltimetype t = icaltime_null_time();

	if (!ev->all_day)
		return evf_tz_wall_time(ev->start);
	t.is_date = 1;
	t.year = g_date_get_year(&ev->start_date);
	t.month = g_date_get_month(&ev->start_date);
	t.day = g_date_get_day(&ev->start_date);
	return t;
}

void
evf_rrule_until_local(const EvfEvent *ev, struct icalrecurrencetype *rt)
{
	g_autoptr(GDateTime) u = NULL;
	g_autoptr(GDateTime) w = NULL;

	if (ev->all_day || icaltime_is_null_time(rt->until) ||
	    rt->until.is_date || !icaltime_is_utc(rt->until))
		return;
	u = g_date_time_new_utc(rt->until.year, rt->until.month, rt->until.day,
	                        rt->until.hour, rt->until.minute,
	                        MIN(rt->until.second, 59));
	if (u == NULL)
		return;
	w = g_date_time_to_timezone(u, g_date_time_get_timezone(ev->start));
	if (w != NULL)
		rt->until = evf_tz_wall_time(w);
}

gint64
evf_rrule_instant(GTimeZone *tz, struct icaltimetype at)
{
	g_autoptr(GDateTime) t = NULL;

	if (tz == NULL || at.is_date)
		return icaltime_as_timet_with_zone(
		    at, icaltimezone_get_utc_timezone());
	t = evf_tz_datetime_new(tz, at.year, at.month, at.day, at.hour,
	                        at.minute, at.second);
	return t != NULL ? g_date_time_to_unix(t)
	                 : icaltime_as_timet_with_zone(
	                       at, icaltimezone_get_utc_timezone());
}

static int
short_cmp(const void *a, const void *b)
{
	return *(const short *)a - *(const short *)b;
}

/* Leaves one of each value of the BY part @by, in order: a value given
 * twice (BYSETPOS=-1,-1) is one date, which the rule in words told twice
 * ("the last and last Wednesday"). */
static void
unique_by(short *by, int size)
{
	int n = (int)evf_rrule_by_count(by, size), kept = 0;

	for (int i = 0; i < n; i++) {
		gboolean seen = FALSE;

		for (int k = 0; k < kept && !seen; k++)
			seen = by[k] == by[i];
		if (!seen)
			by[kept++] = by[i];
	}
	/* (the whole tail: libical puts a default in the first place of
	 * a part with none, and reads on to the next end mark) */
	for (int i = kept; i < n; i++)
		by[i] = ICAL_RECURRENCE_ARRAY_MAX;
}

/* Puts the values of the BY part @by (of @size) in order, each once. */
static void
sort_by(short *by, int size)
{
	qsort(by, evf_rrule_by_count(by, size), sizeof *by, short_cmp);
	unique_by(by, size);
}

struct icalrecurrencetype
evf_rrule_from_string(const char *rule)
{
	/* (names and values are case-insensitive, RFC 5545 §3.1; libical
	 * knows upper case only, and so does a 'T' or 'Z' in UNTIL) */
	g_autofree char *upper = g_ascii_strup(rule, -1);
	struct icalrecurrencetype rt = icalrecurrencetype_from_string(upper);

	sort_by(rt.by_second, ICAL_BY_SECOND_SIZE);
	sort_by(rt.by_minute, ICAL_BY_MINUTE_SIZE);
	sort_by(rt.by_hour, ICAL_BY_HOUR_SIZE);
	sort_by(rt.by_month, ICAL_BY_MONTH_SIZE);
	unique_by(rt.by_day, ICAL_BY_DAY_SIZE);
	unique_by(rt.by_month_day, ICAL_BY_MONTHDAY_SIZE);
	unique_by(rt.by_year_day, ICAL_BY_YEARDAY_SIZE);
	unique_by(rt.by_week_no, ICAL_BY_WEEKNO_SIZE);
	unique_by(rt.by_set_pos, ICAL_BY_SETPOS_SIZE);
	return rt;
}

/* The occurrences the last one is looked for through, at most, and the
 * years after the first. */
#define LAST_END_STEPS 5000
#define LAST_END_YEARS 100

/* What evf_rrule_last found for a rule from a start. */
typedef struct {
	gboolean ended;
	struct icaltimetype last;
} LastFound;

/* The last occurrences found, by rule and start: a series' "until" is
 * asked for by each feed, page and calendar that shows it, and the
 * stepping costs up to 5,000 of libical's steps (each a few thousand
 * instructions in ICU). Let go when it grows large, as edits in a long
 * run of serve leave rules no event has. */
G_LOCK_DEFINE_STATIC(last_found);
static GHashTable *last_found; /* "generation rule start" → LastFound */
#define LAST_FOUND_MAX 50000

static gboolean
last_found_lookup(const char *key, LastFound *out)
{
	const LastFound *f;

	G_LOCK(last_found);
	f = last_found != NULL ? g_hash_table_lookup(last_found, key) : NULL;
	if (f != NULL)
		*out = *f;
	G_UNLOCK(last_found);
	return f != NULL;
}

static void
last_found_keep(const char *key, const LastFound *found)
{
	G_LOCK(last_found);
	if (last_found == NULL)
		last_found = g_hash_table_new_full(g_str_hash, g_str_equal,
		                                   g_free, g_free);
	if (g_hash_table_size(last_found) >= LAST_FOUND_MAX)
		g_hash_table_remove_all(last_found);
	g_hash_table_replace(last_found, g_strdup(key),
	                     g_memdup2(found, sizeof *found));
	G_UNLOCK(last_found);
}

gboolean
evf_rrule_last(const EvfEvent *ev, struct icalrecurrencetype rt,
               struct icaltimetype *last)
{
	struct icaltimetype start = evf_rrule_start(ev);
	icalrecur_iterator *it;
	gboolean ended = FALSE;
	int n = 0;
	g_autofree char *key = NULL;
	LastFound found;

	*last = icaltime_null_time();
	if (rt.freq == ICAL_NO_RECURRENCE ||
	    (rt.count == 0 && icaltime_is_null_time(rt.until)) ||
	    rt.count > LAST_END_STEPS || evf_rrule_refusal(&rt) != NULL)
		return FALSE;
	evf_rrule_until_local(ev, &rt);
	{
		/* the stepping's every input: the rule (its UNTIL on the
		 * wall clock) and the start */
		char *rule = icalrecurrencetype_as_string_r(&rt);
		char *from = icaltime_as_ical_string_r(start);

		if (rule != NULL && from != NULL)
			key = g_strdup_printf("%u %s %s", evf_tz_generation(),
			                      rule, from);
		icalmemory_free_buffer(rule);
		icalmemory_free_buffer(from);
	}
	if (key != NULL && last_found_lookup(key, &found)) {
		*last = found.last;
		return found.ended;
	}
	it = icalrecur_iterator_new(rt, start);
	if (it == NULL) {
		icalerror_clear_errno();
		return FALSE;
	}
	for (guint i = 0; i <= LAST_END_STEPS; i++) {
		struct icaltimetype at = icalrecur_iterator_next(it);

		if (icaltime_is_null_time(at)) {
			ended = TRUE;
			break;
		}
		/* libical steps through each day of a sparse rule (Friday
		 * the 13th), up to its year 2582, where it stops short of
		 * the COUNT: no further than LAST_END_YEARS */
		if (at.year > start.year + LAST_END_YEARS)
			break;
		*last = at;
		n++;
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	found.ended = ended && !icaltime_is_null_time(*last) &&
	              (rt.count == 0 || n == rt.count);
	found.last = *last;
	if (key != NULL)
		last_found_keep(key, &found);
	return found.ended;
}

/* The last start of @ev's rule @rt (with a COUNT) in *@last, and in *@next
 * the start after it that the rule without its COUNT gives (the null time
 * when there is none): one pass, as far as evf_rrule_last would step. FALSE
 * when the COUNT's last start is not reached. */
static gboolean
last_and_next(const EvfEvent *ev, struct icalrecurrencetype rt,
              struct icaltimetype *last, struct icaltimetype *next)
{
	struct icaltimetype start = evf_rrule_start(ev);
	int count = rt.count;
	icalrecur_iterator *it;
	int n = 0;

	*last = *next = icaltime_null_time();
	if (count > LAST_END_STEPS || evf_rrule_refusal(&rt) != NULL)
		return FALSE;
	rt.count = 0;
	it = icalrecur_iterator_new(rt, start);
	if (it == NULL) {
		icalerror_clear_errno();
		return FALSE;
	}
	while (n <= count) {
		struct icaltimetype at = icalrecur_iterator_next(it);

		/* (no further than LAST_END_YEARS: evf_rrule_last) */
		if (icaltime_is_null_time(at) ||
		    at.year > start.year + LAST_END_YEARS)
			break;
		if (++n <= count)
			*last = at;
		else
			*next = at;
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	return n >= count;
}

void
evf_rrule_count_as_until(const EvfEvent *ev, struct icalrecurrencetype *rt)
{
	GTimeZone *tz =
	    ev->tzid != NULL ? g_date_time_get_timezone(ev->start) : NULL;
	struct icaltimetype last, next;
	gint64 until;

	/* several BYSETPOS, which may be one day (the 3rd Monday and the
	 * 2nd-last in a month of four): node-ical counts that day twice */
	gboolean positions = evf_rrule_has(rt->by_set_pos) &&
	                     rt->by_set_pos[1] != ICAL_RECURRENCE_ARRAY_MAX;
	gboolean months = rt->freq == ICAL_MONTHLY_RECURRENCE &&
	                  evf_rrule_has(rt->by_month) &&
	                  evf_rrule_start(ev).month != rt->by_month[0];

	if (rt->count <= 0 || !(positions || months) ||
	    !last_and_next(ev, *rt, &last, &next))
		return;
	rt->count = 0;
	if (last.is_date) {
		rt->until = last;
		return;
	}
	/* Not the last start itself: python-recurring-ical-events 2.0
	 * compares an UNTIL in UTC with the start's offset, and left out a
	 * last date at a greater offset than the first's (summer time after
	 * winter), an evening's as well at the end of its day. A day less a
	 * second after it, or the second before the next start of the rule
	 * without COUNT when that is sooner: instants, as a wall time a
	 * second before a start just after the clocks go forward does not
	 * exist. */
	until = evf_rrule_instant(tz, last) + 86399;
	if (!icaltime_is_null_time(next))
		until = MIN(until, evf_rrule_instant(tz, next) - 1);
	rt->until = icaltime_from_timet_with_zone(
	    (time_t)until, 0, icaltimezone_get_utc_timezone());
}

GDateTime *
evf_rrule_last_end(const EvfEvent *ev)
{
	struct icalrecurrencetype rt;
	struct icaltimetype last;
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) start = NULL;

	if (ev->rrule == NULL || ev->tba || ev->all_day)
		return NULL;
	icalerror_clear_errno();
	rt = evf_rrule_from_string(ev->rrule);
	icalerror_clear_errno();
	if (!evf_rrule_last(ev, rt, &last))
		return NULL;
	utc = g_date_time_new_from_unix_utc(evf_rrule_instant(
	    ev->tzid != NULL ? g_date_time_get_timezone(ev->start) : NULL,
	    last));
	if (utc == NULL)
		return NULL;
	start =
	    g_date_time_to_timezone(utc, g_date_time_get_timezone(ev->start));
	return start != NULL ? evf_event_occurrence_end(ev, start) : NULL;
}
