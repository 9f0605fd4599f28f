/*
 * tz.c: VTIMEZONEs (see tz.h). libical's built-in zones carry a
 * "/freeassociation.sourceforge.net/" prefix that must not leak, and
 * icaltimezone_set_tzid_prefix("") is ignored in 3.0, so each component is
 * cloned and its TZID property replaced.
 */
#include "autoconf.h"
#include "tz.h"

#include "autocleanups.h"

#include <string.h>

struct _EvfTzSet {
	GMutex lock;       /* the writers of a build run on several threads */
	GHashTable *years; /* tzid → earliest year (GINT_TO_POINTER) */
	GHashTable *built; /* tzid → icalcomponent */
};

/* UTC's names: tzdata's "Etc" zone and the links to it, and what
 * partners' calendars write for it (Outlook's Windows name, a bare Z). */
static const char *const utc_names[] = {
	"UTC",
	"Etc/UTC",
	"GMT",
	"Etc/GMT",
	"Z",
	"Zulu",
	"Etc/Zulu",
	"Universal",
	"Etc/Universal",
	"UCT",
	"Etc/UCT",
	"Greenwich",
	"Etc/Greenwich",
	"GMT0",
	"Etc/GMT0",
	"GMT+0",
	"GMT-0",
	"Etc/GMT+0",
	"Etc/GMT-0",
	"Coordinated Universal Time",
};

gboolean
evf_tz_is_utc(const char *name)
{
	g_return_val_if_fail(name != NULL, FALSE);
	for (gsize i = 0; i < G_N_ELEMENTS(utc_names); i++)
		if (g_ascii_strcasecmp(name, utc_names[i]) == 0)
			return TRUE;
	return FALSE;
}

/* libical 3.0 loads a built-in zone's component on first use and then
 * replaces the zone's location string, which the search for a built-in
 * zone compares for every zone: two threads, one loading and one
 * searching, read freed memory (AddressSanitizer saw it in a build of
 * every zone). Every use of libical's built-in zones goes
 * through the two functions below, under this lock. */
G_LOCK_DEFINE_STATIC(builtin_zones);

/* Whether libical has a built-in zone named @name. */
static gboolean
builtin_known(const char *name)
{
	gboolean known;

	G_LOCK(builtin_zones);
	known = icaltimezone_get_builtin_timezone(name) != NULL;
	G_UNLOCK(builtin_zones);
	return known;
}

/* (transfer full) (nullable): a copy of libical's built-in VTIMEZONE
 * named @name. */
static icalcomponent *
builtin_clone(const char *name)
{
	icaltimezone *zone;
	icalcomponent *c = NULL;

	G_LOCK(builtin_zones);
	zone = icaltimezone_get_builtin_timezone(name);
	if (zone != NULL && (c = icaltimezone_get_component(zone)) != NULL)
		c = icalcomponent_clone(c);
	G_UNLOCK(builtin_zones);
	return c;
}

/* (transfer full) (nullable): tzdata's names, its zones and links as
 * tzdata.zi lists them, in the folder GLib reads zones from; NULL when
 * the file is not there. */
static GHashTable *
tzdata_names_read(void)
{
	const char *dir = g_getenv("TZDIR");
	g_autofree char *path = g_build_filename(
	    dir != NULL && dir[0] != '\0' ? dir : "/usr/share/zoneinfo",
	    "tzdata.zi", NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GHashTable *names;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l != NULL; l++) {
		g_auto(GStrv) f = NULL;

		/* "Z NAME ..." for a zone, "L TARGET NAME" for a link */
		if (((*l)[0] != 'Z' && (*l)[0] != 'L') || (*l)[1] != ' ')
			continue;
		f = g_strsplit_set(*l, " \t", 4);
		if ((*l)[0] == 'Z' && f[1] != NULL)
			g_hash_table_add(names, g_strdup(f[1]));
		else if ((*l)[0] == 'L' && f[1] != NULL && f[2] != NULL)
			g_hash_table_add(names, g_strdup(f[2]));
	}
	return names;
}

static gboolean
tzdata_lists(const char *name)
{
	static gsize once;
	static GHashTable *names;

	if (g_once_init_enter(&once)) {
		names = tzdata_names_read();
		g_once_init_leave(&once, 1);
	}
	/* without the list, the shape checked by the caller must do */
	return names == NULL || g_hash_table_contains(names, name);
}

GTimeZone *
evf_tz_new(const char *name, const char **problem)
{
	static const char *const unknown =
	    "unknown time zone (expected an IANA name such as "
	    "Europe/Ljubljana)";
	gsize n = strlen(name);
	const char *unused;
	GTimeZone *tz;

	if (problem == NULL)
		problem = &unused;
	*problem = unknown;
	/* a name, never a POSIX TZ rule, an absolute path or tzdata's
	 * right/ and posix/ copies */
	if (n == 0 || n > 64 || !g_ascii_isalpha(name[0]) ||
	    name[n - 1] == '/' || strstr(name, "//") != NULL ||
	    g_str_has_prefix(name, "right/") ||
	    g_str_has_prefix(name, "posix/"))
		return NULL;
	for (const char *p = name; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && strchr("/_+-", *p) == NULL)
			return NULL;
	if (!tzdata_lists(name))
		return NULL;
	if (strchr(name, '/') == NULL) {
		*problem = "an old tzdata name without a region "
		           "(expected a Region/City name such as "
		           "Europe/Ljubljana or America/New_York)";
		return NULL;
	}
	tz = g_time_zone_new_identifier(name);
	if (tz == NULL)
		return NULL;
	if (!builtin_known(name)) {
		g_time_zone_unref(tz);
		return NULL;
	}
	*problem = NULL;
	return tz;
}

/* (transfer full) (nullable): the other instant whose wall time in @t's
 * zone is @t's, where the clocks go back about it. A transition within a
 * day of @t has the offset of one side at @t and the other a day away. */
static GDateTime *
twin(GDateTime *t)
{
	static const GTimeSpan away[] = { -G_TIME_SPAN_DAY, G_TIME_SPAN_DAY };
	GTimeSpan off = g_date_time_get_utc_offset(t);

	for (gsize i = 0; i < G_N_ELEMENTS(away); i++) {
		g_autoptr(GDateTime) probe = g_date_time_add(t, away[i]);
		GTimeSpan o;
		GDateTime *other;

		if (probe == NULL)
			continue;
		o = g_date_time_get_utc_offset(probe);
		if (o == off)
			continue;
		/* the same wall time, read with the offset @o */
		other = g_date_time_add(t, off - o);
		if (other != NULL && g_date_time_get_utc_offset(other) == o)
			return other;
		g_clear_pointer(&other, g_date_time_unref);
	}
	return NULL;
}

GDateTime *
evf_tz_datetime_new(GTimeZone *tz, int y, int mo, int d, int h, int mi,
                    double s)
{
	GDateTime *t = g_date_time_new(tz, y, mo, d, h, mi, s);
	g_autoptr(GDateTime) other = t != NULL ? twin(t) : NULL;

	if (other != NULL && g_date_time_compare(other, t) < 0) {
		g_date_time_unref(t);
		return g_steal_pointer(&other);
	}
	return t;
}

struct icaltimetype
evf_tz_wall_time(GDateTime *t)
{
	struct icaltimetype w = icaltime_null_time();

	w.year = g_date_time_get_year(t);
	w.month = g_date_time_get_month(t);
	w.day = g_date_time_get_day_of_month(t);
	w.hour = g_date_time_get_hour(t);
	w.minute = g_date_time_get_minute(t);
	w.second = g_date_time_get_second(t);
	return w;
}

gboolean
evf_tz_is_ambiguous(GDateTime *t)
{
	g_autoptr(GDateTime) other = NULL;

	g_return_val_if_fail(t != NULL, FALSE);
	other = twin(t);
	return other != NULL;
}

EvfTzSet *
evf_tz_set_new(void)
{
	EvfTzSet *set = g_new0(EvfTzSet, 1);

	g_mutex_init(&set->lock);
	set->years =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	set->built = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                   (GDestroyNotify)icalcomponent_free);
	return set;
}

void
evf_tz_set_free(EvfTzSet *set)
{
	if (set == NULL)
		return;
	g_hash_table_unref(set->years);
	g_hash_table_unref(set->built);
	g_mutex_clear(&set->lock);
	g_free(set);
}

void
evf_tz_set_use(EvfTzSet *set, const char *tzid, int year)
{
	g_autoptr(GMutexLocker) locked = g_mutex_locker_new(&set->lock);
	gpointer old;

	if (g_hash_table_lookup_extended(set->years, tzid, NULL, &old) &&
	    GPOINTER_TO_INT(old) <= year)
		return;
	g_hash_table_insert(set->years, g_strdup(tzid), GINT_TO_POINTER(year));
	g_hash_table_remove(set->built, tzid);
}

#define FIRST_YEAR 1970
#define LAST_YEAR  2100
/* libical's zones list their onsets up to 2037, and from then on follow
 * the rule at the end of tzdata's files */
#define LIBICAL_LAST_RULES 2037
#define LAST_CHECKED       (LIBICAL_LAST_RULES - 1)
/* A cut VTIMEZONE goes wrong, if at all, from the cut on: the years
 * checked from there */
#define CHECKED_YEARS 2
/* how many years before the first it needs a zone's VTIMEZONE may
 * start */
#define MAX_BACK 10

/* (transfer container) @vtz's observances, listed once: libical's
 * components share one iterator per parent, which whoever changes @vtz
 * or looks at two of them at a time would upset. */
static GPtrArray *
observances(icalcomponent *vtz)
{
	GPtrArray *obs = g_ptr_array_new();

	for (icalcomponent *o =
	         icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	     o != NULL;
	     o = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT))
		g_ptr_array_add(obs, o);
	return obs;
}

/* The onset of observance @o that follows the last one its RRULE's
 * UNTIL allows, were the rule not to end; a null time when there is none.
 * UNTIL is an instant in UTC, the onsets are wall times in the offset
 * they change from (libical's own iterator compares the two as they
 * are, which is hours off). */
static struct icaltimetype
next_after_until(icalcomponent *o, struct icalrecurrencetype rt)
{
	icalproperty *from =
	    icalcomponent_get_first_property(o, ICAL_TZOFFSETFROM_PROPERTY);
	time_t until = icaltime_as_timet(rt.until);
	struct icaltimetype t = icaltime_null_time();
	struct icaltimetype start = icalcomponent_get_dtstart(o);
	icalrecur_iterator *it;

	if (from == NULL)
		return t;
	/* libical's iterator takes some 70,000 instructions a year: with
	 * the month and day given by the rule, not by DTSTART, it may start
	 * a year before UNTIL (the start itself comes first, and is before
	 * UNTIL too) */
	if (rt.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	    (rt.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	     rt.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX) &&
	    start.year < rt.until.year - 1) {
		start.year = rt.until.year - 1;
		start.month = 1;
		start.day = 1;
	}
	rt.until = icaltime_null_time();
	it = icalrecur_iterator_new(rt, start);
	if (it == NULL)
		return t;
	while (!icaltime_is_null_time(t = icalrecur_iterator_next(it)) &&
	       icaltime_as_timet(t) - icalproperty_get_tzoffsetfrom(from) <=
	           until)
		;
	icalrecur_iterator_free(it);
	return t;
}

/* Whether observances @a and @b change between the same offsets under
 * the same name. */
static gboolean
same_change(icalcomponent *a, icalcomponent *b)
{
	static const icalproperty_kind kinds[] = {
		ICAL_TZOFFSETFROM_PROPERTY,
		ICAL_TZOFFSETTO_PROPERTY,
		ICAL_TZNAME_PROPERTY,
	};

	for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
		icalproperty *pa =
		    icalcomponent_get_first_property(a, kinds[i]);
		icalproperty *pb =
		    icalcomponent_get_first_property(b, kinds[i]);

		if (pa == NULL || pb == NULL) {
			if (pa != pb)
				return FALSE;
			continue;
		}
		if (icalvalue_compare(icalproperty_get_value(pa),
		                      icalproperty_get_value(pb)) !=
		    ICAL_XLICCOMPARETYPE_EQUAL)
			return FALSE;
	}
	return TRUE;
}

/* Whether observance @b only goes on with @a's rule where @a's UNTIL
 * stopped it: the same kind and the same yearly rule but for UNTIL; when
 * @exact, also the same offsets and name, and @b's first onset the one
 * @a's rule would have had next (when not, tzdata decides: see
 * join_continued). */
static gboolean
continues(icalcomponent *a, icalcomponent *b, gboolean exact)
{
	icalproperty *ra =
	    icalcomponent_get_first_property(a, ICAL_RRULE_PROPERTY);
	icalproperty *rb =
	    icalcomponent_get_first_property(b, ICAL_RRULE_PROPERTY);
	struct icalrecurrencetype ta, tb;
	struct icaltimetype next, first, until;
	g_autofree char *sa = NULL;
	g_autofree char *sb = NULL;

	if (a == b || ra == NULL || rb == NULL ||
	    icalcomponent_isa(a) != icalcomponent_isa(b) ||
	    (exact && !same_change(a, b)) ||
	    icalcomponent_get_first_property(a, ICAL_RDATE_PROPERTY) != NULL ||
	    icalcomponent_get_first_property(b, ICAL_RDATE_PROPERTY) != NULL)
		return FALSE;
	ta = icalproperty_get_rrule(ra);
	tb = icalproperty_get_rrule(rb);
	if (ta.freq != ICAL_YEARLY_RECURRENCE || ta.count != 0 ||
	    tb.count != 0 || icaltime_is_null_time(ta.until))
		return FALSE;
	until = ta.until;
	/* @b begins after @a ends, a day's offsets aside */
	first = icalcomponent_get_dtstart(b);
	if (icaltime_as_timet(first) + 24 * 60 * 60 < icaltime_as_timet(until))
		return FALSE;
	ta.until = tb.until = icaltime_null_time();
	sa = g_strdup(icalrecurrencetype_as_string(&ta));
	sb = g_strdup(icalrecurrencetype_as_string(&tb));
	if (strcmp(sa, sb) != 0)
		return FALSE;
	/* loosely, only the rule at the end of tzdata's files, as libical
	 * read it, may go: nothing before */
	if (!exact)
		return first.year >= LIBICAL_LAST_RULES &&
		       until.year >= LIBICAL_LAST_RULES - 1;
	next = next_after_until(a, icalproperty_get_rrule(ra));
	return icaltime_compare(next, first) == 0;
}

/* Joins, in @vtz, each observance to the one that goes on with its rule
 * (continues(@exact)); returns how many it joined. */
static guint
join(icalcomponent *vtz, gboolean exact)
{
	g_autoptr(GPtrArray) obs = observances(vtz);
	guint joined = 0;

	for (guint i = 0; i < obs->len; i++) {
		icalcomponent *a = g_ptr_array_index(obs, i);

		for (guint j = 0; j < obs->len; j++) {
			icalcomponent *b = g_ptr_array_index(obs, j);

			if (!continues(a, b, exact))
				continue;
			icalproperty_set_rrule(
			    icalcomponent_get_first_property(
			        a, ICAL_RRULE_PROPERTY),
			    icalproperty_get_rrule(
			        icalcomponent_get_first_property(
			            b, ICAL_RRULE_PROPERTY)));
			icalcomponent_remove_component(vtz, b);
			icalcomponent_free(b);
			g_ptr_array_remove_index(obs, j);
			joined++;
			/* @a's rule changed: look for its next part again */
			i = (guint)-1;
			break;
		}
	}
	return joined;
}

static gboolean faithful_years(icalcomponent *vtz, const char *tzid, int first,
                               int last);

/* An observance from an offset to the same one changes the zone's name
 * at most (Vancouver's PDT becoming MST in November 2026, for good), or
 * nothing at all (libical ends its list of onsets with one on 19 January
 * 2038, where a 32-bit time_t ends: Bangkok from +07:00 to +07:00). Ruby's
 * icalendar (2.8) fails on an observance that has not begun at the time
 * it reads, and the offsets are the same without: every such observance
 * goes but the first, which says what the offset is at all. */
static void
drop_no_ops(icalcomponent *vtz)
{
	g_autoptr(GPtrArray) obs = observances(vtz);
	icalcomponent *first = NULL;

	for (guint i = 0; i < obs->len; i++) {
		icalcomponent *o = g_ptr_array_index(obs, i);

		if (first == NULL ||
		    icaltime_compare(icalcomponent_get_dtstart(o),
		                     icalcomponent_get_dtstart(first)) < 0)
			first = o;
	}
	for (guint i = 0; i < obs->len; i++) {
		icalcomponent *o = g_ptr_array_index(obs, i);
		icalproperty *from = icalcomponent_get_first_property(
		    o, ICAL_TZOFFSETFROM_PROPERTY);
		icalproperty *to = icalcomponent_get_first_property(
		    o, ICAL_TZOFFSETTO_PROPERTY);

		if (o != first && from != NULL && to != NULL &&
		    icalproperty_get_tzoffsetfrom(from) ==
		        icalproperty_get_tzoffsetto(to)) {
			icalcomponent_remove_component(vtz, o);
			icalcomponent_free(o);
		}
	}
}

static gboolean
starts_late(icalcomponent *o)
{
	return icalcomponent_get_dtstart(o).year >= LIBICAL_LAST_RULES;
}

static gboolean
lists_rdates(icalcomponent *o)
{
	return icalcomponent_get_first_property(o, ICAL_RDATE_PROPERTY) != NULL;
}

/* Whether one of @vtz's observances is @what. */
static gboolean
any_observance(icalcomponent *vtz, gboolean (*what)(icalcomponent *o))
{
	g_autoptr(GPtrArray) obs = observances(vtz);

	for (guint i = 0; i < obs->len; i++)
		if (what(g_ptr_array_index(obs, i)))
			return TRUE;
	return FALSE;
}

/* (transfer full) @vtz (transfer full), cleaned of libical's artifacts.
 *
 * libical's zones end each rule in 2037, where the list of onsets in
 * tzdata's files ends, and start the same rule again as a second
 * observance, from the rule at the files' end: Ruby's icalendar (2.8)
 * fails on a VTIMEZONE with an observance that has not begun yet at a
 * time it reads, and every reader does more work. The two become one
 * observance with the second's rule.
 *
 * Where libical read the rule at the files' end otherwise (St John's
 * summer time from 2038 as -01:30 at 01:00, not -02:30 at 02:00; Troll's
 * return to +00 as from +00; a Santiago observance from -03:00 to -03:00
 * on 19 January 2038), the rule before it simply goes on, when that
 * gives tzdata's offsets (GLib's reading) from 2036 to a few years past
 * 2037. */
static icalcomponent *
join_continued(icalcomponent *vtz, const char *tzid)
{
	join(vtz, TRUE);
	if (any_observance(vtz, starts_late)) {
		icalcomponent *loose = icalcomponent_clone(vtz);

		if (join(loose, FALSE) > 0 &&
		    faithful_years(loose, tzid, LIBICAL_LAST_RULES - 1,
		                   LIBICAL_LAST_RULES + CHECKED_YEARS + 1)) {
			icalcomponent_free(vtz);
			vtz = loose;
		} else {
			icalcomponent_free(loose);
		}
	}
	drop_no_ops(vtz);
	return vtz;
}

static icalcomponent *
build(const char *tzid, int year)
{
	/* libical has no "UTC" zone, only tzdata's Etc/UTC. */
	icalcomponent *vtz =
	    builtin_clone(evf_tz_is_utc(tzid) ? "Etc/UTC" : tzid);
	struct icaltimetype start = icaltime_null_time();
	icalproperty *p, *next;

	if (vtz == NULL)
		return NULL;
	start.year = year;
	start.month = 1;
	start.day = 1;
	start.zone = icaltimezone_get_utc_timezone();
	icaltimezone_truncate_vtimezone(vtz, start, icaltime_null_time(), 1);
	for (p = icalcomponent_get_first_property(vtz, ICAL_ANY_PROPERTY);
	     p != NULL; p = next) {
		next = icalcomponent_get_next_property(vtz, ICAL_ANY_PROPERTY);
		if (icalproperty_isa(p) == ICAL_TZID_PROPERTY ||
		    (icalproperty_isa(p) == ICAL_X_PROPERTY &&
		     strcmp(icalproperty_get_x_name(p), "X-LIC-LOCATION") ==
		         0)) {
			icalcomponent_remove_property(vtz, p);
			icalproperty_free(p);
		}
	}
	/* An observance's RRULE ends (UNTIL) at its last onset, in UTC.
	 * vobject (dateutil) compares that with the onsets in the offset
	 * they change to, not from, and loses the last one (Fiji's return to
	 * standard time in January 2021, Tehran's last summer in 2022). A
	 * day later ends the yearly rule just the same. */
	for (icalcomponent *o =
	         icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	     o != NULL;
	     o = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		icalproperty *rule =
		    icalcomponent_get_first_property(o, ICAL_RRULE_PROPERTY);
		struct icalrecurrencetype rt;

		if (rule == NULL)
			continue;
		rt = icalproperty_get_rrule(rule);
		if (rt.freq == ICAL_YEARLY_RECURRENCE &&
		    !icaltime_is_null_time(rt.until)) {
			icaltime_adjust(&rt.until, 1, 0, 0, 0);
			icalproperty_set_rrule(rule, rt);
		}
	}
	/* TZID first, as every client writes it. */
	p = icalproperty_new_tzid(tzid);
	icalcomponent_add_property(vtz, p);
	return vtz;
}

/* Whether @vtz gives @tzid's UTC offset, as tzdata has it (read by GLib),
 * at noon UTC of every day from 1 January @first to 31 December @last. */
static gboolean
faithful_years(icalcomponent *vtz, const char *tzid, int first_year,
               int last_year)
{
	g_autoptr(GTimeZone) tz =
	    g_time_zone_new_identifier(evf_tz_is_utc(tzid) ? "UTC" : tzid);
	g_autoptr(GDateTime) first =
	    g_date_time_new_utc(first_year, 1, 1, 12, 0, 0);
	g_autoptr(GDateTime) last =
	    g_date_time_new_utc(last_year, 12, 31, 12, 0, 0);
	icaltimezone *zone;
	gboolean ok = TRUE;

	if (tz == NULL || first == NULL || last == NULL)
		return FALSE;
	zone = icaltimezone_new();
	icaltimezone_set_component(zone, icalcomponent_clone(vtz));
	for (gint64 t = g_date_time_to_unix(first);
	     ok && t <= g_date_time_to_unix(last); t += 24 * 60 * 60) {
		struct icaltimetype at = icaltime_from_timet_with_zone(
		    (time_t)t, 0, icaltimezone_get_utc_timezone());
		int daylight;

		ok = icaltimezone_get_utc_offset_of_utc_time(zone, &at,
		                                             &daylight) ==
		     g_time_zone_get_offset(tz,
		                            g_time_zone_find_interval(
		                                tz, G_TIME_TYPE_UNIVERSAL, t));
	}
	icaltimezone_free(zone, 1);
	return ok;
}

/* Whether @vtz is faithful (faithful_years) for CHECKED_YEARS years from
 * @year on, not after LAST_CHECKED. */
static gboolean
faithful(icalcomponent *vtz, const char *tzid, int year)
{
	return faithful_years(vtz, tzid, year,
	                      MIN(year + CHECKED_YEARS - 1, LAST_CHECKED));
}

/* (transfer full) (nullable): @tzid's VTIMEZONE for times from @year on:
 * libical's, truncated to start as late as it can and still give tzdata's
 * offsets from @year on (faithful). libical 3.0 drops the observance in
 * force at the cut when its rule ended before it: Vancouver's VTIMEZONE
 * cut at 2026 lost the change to standard time of November 2025 (the
 * last before British Columbia kept summer time), and read January 2026
 * as summer time; started at 2025, it is right. NULL when no start up
 * to MAX_BACK years earlier is. */
static icalcomponent *
build_faithful(const char *tzid, int year)
{
	for (int from = year; from >= year - MAX_BACK; from--) {
		icalcomponent *vtz = build(tzid, from);

		if (vtz == NULL)
			return NULL;
		if (year > LAST_CHECKED || faithful(vtz, tzid, year))
			return vtz;
		icalcomponent_free(vtz);
	}
	return NULL;
}

/* Whether @tzid has a faithful VTIMEZONE from @year on with RRULE
 * observances only. */
static gboolean
regular(const char *tzid, int year)
{
	g_autoptr(icalcomponent) vtz = build_faithful(tzid, year);

	return vtz != NULL && !any_observance(vtz, lists_rdates);
}

int
evf_tz_regular_from(const char *tzid)
{
	G_LOCK_DEFINE_STATIC(cache);
	static GHashTable *cache; /* tzid → year + 1 (0: never) */
	int lo = FIRST_YEAR, hi = LAST_YEAR, found;

	g_return_val_if_fail(tzid != NULL, -1);
	G_LOCK(cache);
	if (cache == NULL)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                              NULL);
	if (g_hash_table_contains(cache, tzid)) {
		found = GPOINTER_TO_INT(g_hash_table_lookup(cache, tzid)) - 1;
		G_UNLOCK(cache);
		return found;
	}
	G_UNLOCK(cache);

	/* Irregular years are history, or a rule tzdata lists date by date
	 * (Ramadan, in Gaza and Morocco): find where they end, assuming
	 * they do not come back. */
	if (regular(tzid, lo)) {
		found = lo;
	} else if (!regular(tzid, hi)) {
		found = -1;
	} else {
		while (hi - lo > 1) {
			int mid = lo + (hi - lo) / 2;

			if (regular(tzid, mid))
				hi = mid;
			else
				lo = mid;
		}
		found = hi;
	}
	G_LOCK(cache);
	g_hash_table_insert(cache, g_strdup(tzid), GINT_TO_POINTER(found + 1));
	G_UNLOCK(cache);
	return found;
}

gboolean
evf_tz_is_regular(const char *tzid, int year)
{
	int from = evf_tz_regular_from(tzid);

	return from >= 0 && year >= from;
}

icalcomponent *
evf_tz_set_clone(EvfTzSet *set, const char *tzid)
{
	g_autoptr(GMutexLocker) locked = g_mutex_locker_new(&set->lock);
	icalcomponent *vtz = g_hash_table_lookup(set->built, tzid);
	gpointer year = NULL;

	if (vtz == NULL) {
		if (!g_hash_table_lookup_extended(set->years, tzid, NULL,
		                                  &year))
			year = GINT_TO_POINTER(
			    MAX(FIRST_YEAR, evf_tz_regular_from(tzid)));
		vtz = build_faithful(tzid, GPOINTER_TO_INT(year));
		/* none: only a series in an irregular year needs one */
		if (vtz == NULL)
			vtz = build(tzid, GPOINTER_TO_INT(year));
		if (vtz == NULL)
			return NULL;
		/* once, for what is published: the offsets stay the same, so
		 * the checks above need not see it */
		vtz = join_continued(vtz, tzid);
		g_hash_table_insert(set->built, g_strdup(tzid), vtz);
	}
	/* Cloned under the lock too: libical promises nothing about two
	 * threads reading one component. */
	return icalcomponent_clone(vtz);
}
