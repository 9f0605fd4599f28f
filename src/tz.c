/*
 * tz.c: VTIMEZONEs (see tz.h). libical's built-in zones carry a
 * "/freeassociation.sourceforge.net/" prefix that must not leak, and
 * icaltimezone_set_tzid_prefix("") is ignored in 3.0, so each component is
 * cloned and its TZID property replaced.
 */
#include "autoconf.h"
#include "tz.h"

#include "autocleanups.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _EvfTzSet {
	GMutex lock;       /* the writers of a build run on several threads */
	GHashTable *years; /* tzid → earliest year (GINT_TO_POINTER) */
	GHashTable *lasts; /* tzid → latest wall time (icaltimetype), NULL
	                    * for a zone used without end */
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

/* The path of tzdata.zi in the folder GLib reads zones from. */
static char *
tzdata_zi_path(void)
{
	const char *dir = g_getenv("TZDIR");

	return g_build_filename(
	    dir != NULL && dir[0] != '\0' ? dir : "/usr/share/zoneinfo",
	    "tzdata.zi", NULL);
}

char *
evf_tz_data_version(void)
{
	g_autofree char *path = tzdata_zi_path();
	FILE *f = fopen(path, "re");
	char line[128] = "";

	/* Its first line ("# version 2024a"), not its 100 kB: every build
	 * reads it, an unchanged one too. */
	if (f == NULL)
		return g_strdup("");
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return g_strdup(line);
}

static guint generation;

void
evf_tz_data_seen(const char *version)
{
	G_LOCK_DEFINE_STATIC(seen);
	static char *last;

	g_return_if_fail(version != NULL);
	G_LOCK(seen);
	if (last != NULL && strcmp(last, version) != 0)
		g_atomic_int_inc(&generation);
	if (last == NULL || strcmp(last, version) != 0) {
		g_free(last);
		last = g_strdup(version);
	}
	G_UNLOCK(seen);
}

guint
evf_tz_generation(void)
{
	return (guint)g_atomic_int_get(&generation);
}

/* What tzdata.zi lists, in the folder GLib reads zones from: names, its
 * zones and links (NULL when the file is not there), and places, its
 * zones that are places ("Europe/Berlin", not "Etc/GMT-1", "CET" or a
 * link), sorted. */
typedef struct {
	GHashTable *names;
	GPtrArray *places;
} Tzdata;

static gint
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
tzdata_read(Tzdata *t)
{
	g_autofree char *path = tzdata_zi_path();
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	t->places = g_ptr_array_new_with_free_func(g_free);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	t->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit_set(text, "\n", -1);
	for (char **l = lines; *l != NULL; l++) {
		g_auto(GStrv) f = NULL;

		/* "Z NAME ..." for a zone, "L TARGET NAME" for a link */
		if (((*l)[0] != 'Z' && (*l)[0] != 'L') || (*l)[1] != ' ')
			continue;
		f = g_strsplit_set(*l, " \t", 4);
		if ((*l)[0] == 'Z' && f[1] != NULL) {
			g_hash_table_add(t->names, g_strdup(f[1]));
			if (strchr(f[1], '/') != NULL &&
			    !g_str_has_prefix(f[1], "Etc/"))
				g_ptr_array_add(t->places, g_strdup(f[1]));
		} else if ((*l)[0] == 'L' && f[1] != NULL && f[2] != NULL) {
			g_hash_table_add(t->names, g_strdup(f[2]));
		}
	}
	g_ptr_array_sort(t->places, name_cmp);
}

/* (transfer none): tzdata.zi's lists, read once. */
static const Tzdata *
tzdata(void)
{
	static gsize once;
	static Tzdata t;

	if (g_once_init_enter(&once)) {
		tzdata_read(&t);
		g_once_init_leave(&once, 1);
	}
	return &t;
}

static gboolean
tzdata_lists(const char *name)
{
	GHashTable *names = tzdata()->names;

	/* without the list, the shape checked by the caller must do */
	return names == NULL || g_hash_table_contains(names, name);
}

const GPtrArray *
evf_tz_places(void)
{
	return tzdata()->places;
}

/* Whether the zone files GLib reads (TZDIR's) count leap seconds, as
 * tzdata's right/ copies do: every change of the clocks then falls 27 s
 * off its rule, and a series was refused, a single event published in
 * UTC. London's change of 26 March 2023, 01:00 UTC, is looked at; the
 * system's own zone files, without TZDIR, count none (its right/ copies
 * are names, which evf_tz_new() refuses). */
static gboolean
zones_count_leap_seconds(void)
{
	static gsize once;
	static gboolean leap;

	if (g_once_init_enter(&once)) {
		const char *dir = g_getenv("TZDIR");
		GTimeZone *tz =
		    dir != NULL && dir[0] != '\0'
		        ? g_time_zone_new_identifier("Europe/London")
		        : NULL;

		if (tz != NULL) {
			gint i = g_time_zone_find_interval(
			    tz, G_TIME_TYPE_UNIVERSAL, 1679792400);

			leap = i >= 0 && g_time_zone_get_offset(tz, i) == 0;
			g_time_zone_unref(tz);
		}
		g_once_init_leave(&once, 1);
	}
	return leap;
}

const char *
evf_tz_data_problem(void)
{
	return zones_count_leap_seconds()
	           ? "the zone files of TZDIR count leap seconds (tzdata's "
	             "right/ zones), which calendars do not: set TZDIR to the "
	             "zones without them, or unset it"
	           : NULL;
}

GTimeZone *
evf_tz_new(const char *name, const char **problem)
{
	static const char *const unknown =
	    "unknown time zone (expected an IANA name such as "
	    "Europe/Ljubljana)";
	static const char *const in_tzdir =
	    "unknown time zone in the zone files of TZDIR (expected an "
	    "IANA name such as Europe/Ljubljana)";
	gsize n = strlen(name);
	const char *unused;
	GTimeZone *tz;

	if (problem == NULL)
		problem = &unused;
	*problem = g_getenv("TZDIR") != NULL && g_getenv("TZDIR")[0] != '\0'
	               ? in_tzdir
	               : unknown;
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
	g_autoptr(GDateTime) other = NULL;

	if (t == NULL)
		return NULL;
	if (g_date_time_get_hour(t) != h || g_date_time_get_minute(t) != mi ||
	    g_date_time_get_day_of_month(t) != d) {
		/* In the gap where the clocks go forward, GLib moves to the
		 * gap's end; RFC 5545 reads the time with the offset before
		 * the gap (02:30 where 02:00 +01:00 becomes 03:00 +02:00 is
		 * 03:30 +02:00). */
		g_autoptr(GDateTime) before =
		    g_date_time_add(t, -G_TIME_SPAN_DAY);
		g_autoptr(GDateTime) wall =
		    g_date_time_new_utc(y, mo, d, h, mi, s);

		if (before != NULL && wall != NULL) {
			g_autoptr(GDateTime) at = g_date_time_add(
			    wall, -g_date_time_get_utc_offset(before));

			if (at != NULL) {
				g_date_time_unref(t);
				return g_date_time_to_timezone(at, tz);
			}
		}
		return t;
	}
	other = twin(t);
	if (other != NULL && g_date_time_compare(other, t) < 0) {
		g_date_time_unref(t);
		return g_steal_pointer(&other);
	}
	return t;
}

GTimeZone *
evf_tz_or_utc(const char *name)
{
	GTimeZone *tz = name != NULL ? g_time_zone_new_identifier(name) : NULL;

	return tz != NULL ? tz : g_time_zone_new_utc();
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

GTimeSpan
evf_tz_set_back(GDateTime *t)
{
	g_autoptr(GDateTime) day_before = NULL;
	g_autoptr(GDateTime) change = NULL;
	g_autoptr(GDateTime) just_before = NULL;
	GTimeSpan off, before;

	g_return_val_if_fail(t != NULL, 0);
	off = g_date_time_get_utc_offset(t);
	day_before = g_date_time_add(t, -G_TIME_SPAN_DAY);
	if (day_before == NULL ||
	    (before = g_date_time_get_utc_offset(day_before)) <= off)
		return 0;
	/* the same wall time read with the offset before: the instant the
	 * clocks went back, if they did then */
	change = g_date_time_add(t, off - before);
	just_before = change != NULL
	                  ? g_date_time_add(change, -G_TIME_SPAN_SECOND)
	                  : NULL;
	return just_before != NULL &&
	               g_date_time_get_utc_offset(change) == off &&
	               g_date_time_get_utc_offset(just_before) == before
	           ? before - off
	           : 0;
}

/* The offset of @tz at @utc (unix seconds). */
static gint32
offset_at(GTimeZone *tz, gint64 utc)
{
	return g_time_zone_get_offset(
	    tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, utc));
}

/* temporal-polyfill's step through a zone's changes: 60 days */
#define POLYFILL_STEP (60 * 86400)

int
evf_tz_node_ical_from(const char *tzid, gint64 at, gint64 now, gint32 *taken)
{
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GDateTime) reader = g_date_time_new_from_unix_utc(now);
	g_autoptr(GDateTime) horizon = NULL;
	g_autoptr(GDateTime) start = NULL;
	gint64 last, step, step_end;
	gint32 end;

	/* (a reader beyond 9989 has no horizon within GDateTime's years,
	 * nor any that the calendars' years reach) */
	if (reader == NULL || g_date_time_get_year(reader) + 10 > 9999)
		return 0;
	horizon = g_date_time_new_utc(g_date_time_get_year(reader) + 10, 1, 1,
	                              0, 0, 0);
	last = g_date_time_to_unix(horizon);
	if (at < last)
		return 0;
	tz = evf_tz_or_utc(tzid);
	step = last / POLYFILL_STEP * POLYFILL_STEP;
	step_end = step + POLYFILL_STEP;
	end = offset_at(tz, step_end);
	/* (a change within the last step is found, and its offsets
	 * right up to the step's end) */
	if (offset_at(tz, at) == end ||
	    (at < step_end && offset_at(tz, step) != end))
		return 0;
	if (taken != NULL)
		*taken = end;
	start = g_date_time_new_from_unix_utc(at);
	return start != NULL ? g_date_time_get_year(start) - 9 : 0;
}

static GArray *
changes_in_scan(GTimeZone *tz, int year)
{
	/* Offsets are looked at every twelve hours, and a change between
	 * two looks is found to the second: no zone changes its clocks
	 * twice within twelve hours. */
	const gint64 step = 12 * 3600;
	GArray *out = g_array_new(FALSE, FALSE, sizeof(EvfTzWindow));
	g_autoptr(GDateTime) jan = g_date_time_new_utc(year, 1, 1, 0, 0, 0);
	g_autoptr(GDateTime) next =
	    g_date_time_new_utc(year + 1, 1, 1, 0, 0, 0);
	gint64 from, to;

	g_return_val_if_fail(tz != NULL, out);
	if (jan == NULL || next == NULL)
		return out;
	/* a day around, for changes near midnight in far zones */
	from = g_date_time_to_unix(jan) - 86400;
	to = g_date_time_to_unix(next) + 86400;
	for (gint64 t = from; t < to; t += step) {
		gint32 before = offset_at(tz, t);
		gint32 after = offset_at(tz, t + step);
		gint64 lo = t, hi = t + step;
		EvfTzWindow w;

		if (before == after)
			continue;
		while (hi - lo > 1) {
			gint64 mid = lo + (hi - lo) / 2;

			if (offset_at(tz, mid) == before)
				lo = mid;
			else
				hi = mid;
		}
		/* The wall times that do not exist (the clocks go forward)
		 * begin at the change, read in the old offset; those that
		 * happen twice (they go back) end there. */
		w.len = (int)MIN(ABS((gint64)after - before), 86400);
		w.wall = hi + before - (after < before ? w.len : 0);
		g_array_append_val(out, w);
	}
	return out;
}

GArray *
evf_tz_changes_in(GTimeZone *tz, int year)
{
	/* Kept for each zone and year: a scan looks up the offset some 1,500
	 * times, and each series is checked in each of its years (a site of
	 * weekly meetings in one zone asked for the same years again and
	 * again). Zones and years in use are few. */
	G_LOCK_DEFINE_STATIC(scans);
	static GHashTable *scans; /* "generation zone year" → GArray */
	g_autofree char *key = NULL;
	GArray *found;

	g_return_val_if_fail(tz != NULL,
	                     g_array_new(FALSE, FALSE, sizeof(EvfTzWindow)));
	key = g_strdup_printf("%u %s %d", evf_tz_generation(),
	                      g_time_zone_get_identifier(tz), year);
	G_LOCK(scans);
	if (scans == NULL)
		scans = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                              (GDestroyNotify)g_array_unref);
	found = g_hash_table_lookup(scans, key);
	if (found != NULL) {
		found = g_array_copy(found);
		G_UNLOCK(scans);
		return found;
	}
	G_UNLOCK(scans);
	/* scanned outside the lock, as zone_years finds a zone's years:
	 * two threads may scan one year, and the first kept wins */
	found = changes_in_scan(tz, year);
	G_LOCK(scans);
	if (!g_hash_table_contains(scans, key))
		g_hash_table_insert(scans, g_strdup(key), g_array_copy(found));
	G_UNLOCK(scans);
	return found;
}

gboolean
evf_tz_changes_at(GTimeZone *tz, int year, int second_of_day)
{
	g_autoptr(GArray) changes = evf_tz_changes_in(tz, year);

	for (guint i = 0; i < changes->len; i++) {
		const EvfTzWindow *w = &g_array_index(changes, EvfTzWindow, i);

		if (((second_of_day - w->wall) % 86400 + 86400) % 86400 <
		    w->len)
			return TRUE;
	}
	return FALSE;
}

EvfTzSet *
evf_tz_set_new(void)
{
	EvfTzSet *set = g_new0(EvfTzSet, 1);

	g_mutex_init(&set->lock);
	set->years =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	set->lasts =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
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
	g_hash_table_unref(set->lasts);
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

static GPtrArray *observances(icalcomponent *vtz);

/* Removes the observances of @vtz that begin after the wall time @last,
 * and so are in force at no time that uses it, keeping one
 * at least. Ruby's icalendar (2.8) fails on a VTIMEZONE with an
 * observance that has not begun yet at a time it reads (it compares the
 * last onset of each, nil for that one): a zone whose rules changed after
 * the times of a calendar, as New York's in March 2007 after an event of
 * 2006 or of January 2007, would make it refuse the whole calendar. */
static void
drop_after(icalcomponent *vtz, struct icaltimetype last)
{
	g_autoptr(GPtrArray) obs = observances(vtz);
	guint kept = obs->len;

	for (guint i = 0; i < obs->len && kept > 1; i++) {
		icalcomponent *o = g_ptr_array_index(obs, i);
		icalproperty *p =
		    icalcomponent_get_first_property(o, ICAL_DTSTART_PROPERTY);

		/* both floating: libical compares them field by field */
		if (p == NULL ||
		    icaltime_compare(icalproperty_get_dtstart(p), last) <= 0)
			continue;
		icalcomponent_remove_component(vtz, o);
		icalcomponent_free(o);
		kept--;
	}
}

void
evf_tz_set_use_until(EvfTzSet *set, const char *tzid, GDateTime *last)
{
	g_autoptr(GMutexLocker) locked = g_mutex_locker_new(&set->lock);
	struct icaltimetype wall;
	gpointer old;

	if (g_hash_table_lookup_extended(set->lasts, tzid, NULL, &old)) {
		if (old == NULL)
			return; /* used without end already */
		if (last != NULL &&
		    icaltime_compare(*(struct icaltimetype *)old,
		                     evf_tz_wall_time(last)) >= 0)
			return;
	}
	if (last != NULL)
		wall = evf_tz_wall_time(last);
	g_hash_table_insert(set->lasts, g_strdup(tzid),
	                    last != NULL ? g_memdup2(&wall, sizeof wall)
	                                 : NULL);
	g_hash_table_remove(set->built, tzid);
}

#define FIRST_YEAR EVF_TZ_FIRST_YEAR
#define LAST_YEAR  2100
/* libical's zones list their onsets up to 2037, and from then on follow
 * the rule at the end of tzdata's files */
#define LIBICAL_LAST_RULES 2037
#define LAST_CHECKED       LIBICAL_LAST_RULES
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

typedef struct _ZoneYears ZoneYears;
static gboolean faithful_years(icalcomponent *vtz, const char *tzid, int first,
                               int last, const ZoneYears *z);

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
		                   LIBICAL_LAST_RULES + CHECKED_YEARS + 1,
		                   NULL)) {
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
	/* Cut where wall year @year begins first anywhere, at midnight at
	 * UTC+14:00: every time of that year in the zone comes after the
	 * first observance's onset. ical.js reads a time before it as UTC:
	 * cut at midnight UTC, 08:00 in Tokyo on 1 January was 08:00Z. */
	start.year = year - 1;
	start.month = 12;
	start.day = 31;
	start.hour = 10;
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

/* What a year is to a zone (ZoneYears) */
enum {
	YEAR_REGULAR,
	/* the VTIMEZONE published for the zone gives other offsets than
	 * tzdata's: libical's rules list other days in some years
	 * (Sao Paulo's end of summer time on 16 February 2014) */
	YEAR_UNFAITHFUL,
	/* after 2037, GLib gives other offsets than the VTIMEZONE, which
	 * follows tzdata's final rule as every client does */
	YEAR_MISREAD,
};

/* A zone's years, found once per process. */
struct _ZoneYears {
	int from;                                 /* evf_tz_regular_from */
	guint8 years[LAST_YEAR - FIRST_YEAR + 1]; /* YEAR_* */
	/* evf_tz_is_settled: the latest first onset of an observance of
	 * the VTIMEZONE published from @from, a wall time */
	struct icaltimetype settled;
	/* evf_tz_outlook_reads: the first year from which that VTIMEZONE
	 * has only rules Outlook reads, G_MAXINT for none */
	int outlook_from;
};

/* What @year is to @tzid, the years after LAST_YEAR like it (tzdata's
 * final rule and libical's both repeat by then). */
static int
year_kind(const ZoneYears *z, int year)
{
	return z->years[MIN(year, LAST_YEAR) - FIRST_YEAR];
}

/* One change of a VTIMEZONE's offset: from the instant @at (unix
 * seconds) on, @to holds, where @from held before. */
typedef struct {
	gint64 at;
	int from;
	int to;
} Onset;

static gint
onset_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = ((const Onset *)a)->at, y = ((const Onset *)b)->at;

	return x < y ? -1 : x > y;
}

/* Adds to @out an onset at wall time @t, in the offset @from it changes
 * from to @to (RFC 5545 §3.6.5). */
static void
add_onset(GArray *out, struct icaltimetype t, int from, int to)
{
	Onset on = { icaltime_as_timet(t) - from, from, to };

	g_array_append_val(out, on);
}

/* Adds to @out observance @o's onsets from its DTSTART, RDATEs and RRULE,
 * the rule's from a year before @first_year (or before its UNTIL, when
 * earlier) to the end of @last_year: enough to know the offset in force
 * from @first_year on, without stepping through the decades a rule may
 * have run before (libical's iterator takes some 70,000 instructions a
 * year). */
static void
observance_onsets(icalcomponent *o, int first_year, int last_year, GArray *out)
{
	icalproperty *from =
	    icalcomponent_get_first_property(o, ICAL_TZOFFSETFROM_PROPERTY);
	icalproperty *to =
	    icalcomponent_get_first_property(o, ICAL_TZOFFSETTO_PROPERTY);
	struct icaltimetype start = icalcomponent_get_dtstart(o);
	int f, t;

	if (from == NULL || to == NULL || icaltime_is_null_time(start))
		return;
	f = icalproperty_get_tzoffsetfrom(from);
	t = icalproperty_get_tzoffsetto(to);
	add_onset(out, start, f, t);
	for (icalproperty *p =
	         icalcomponent_get_first_property(o, ICAL_RDATE_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(o, ICAL_RDATE_PROPERTY)) {
		struct icaltimetype d = icalproperty_get_rdate(p).time;

		if (icaltime_is_null_time(d))
			continue;
		/* a date takes DTSTART's time (RFC 5545 §3.8.5.2) */
		if (d.is_date) {
			d.is_date = 0;
			d.hour = start.hour;
			d.minute = start.minute;
			d.second = start.second;
		}
		add_onset(out, d, f, t);
	}
	for (icalproperty *p =
	         icalcomponent_get_first_property(o, ICAL_RRULE_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(o, ICAL_RRULE_PROPERTY)) {
		struct icalrecurrencetype rt = icalproperty_get_rrule(p);
		struct icaltimetype from_here = start, next;
		icalrecur_iterator *it;
		int skip_to = first_year - 1;

		if (!icaltime_is_null_time(rt.until))
			skip_to = MIN(skip_to, rt.until.year - 1);
		it = icalrecur_iterator_new(rt, start);
		if (it == NULL)
			continue;
		/* A yearly rule (the only kind in libical's zones) started
		 * on DTSTART's day a year earlier still gives every onset
		 * from then on, the one in force at the start of @first_year
		 * among them. */
		if (rt.freq == ICAL_YEARLY_RECURRENCE && rt.count == 0 &&
		    skip_to - 1 > start.year) {
			from_here.year = skip_to - 1;
			from_here = icaltime_normalize(from_here);
			icalrecur_iterator_set_start(it, from_here);
		}
		while (!icaltime_is_null_time(
		           next = icalrecur_iterator_next(it)) &&
		       next.year <= last_year)
			add_onset(out, next, f, t);
		icalrecur_iterator_free(it);
	}
}

/* The wall year of instant @t at UTC offset @off. */
static int
wall_year(gint64 t, int off)
{
	g_autoptr(GDateTime) d = g_date_time_new_from_unix_utc(t + off);

	return d != NULL ? g_date_time_get_year(d) : FIRST_YEAR;
}

/* The first instant in [@lo, @hi) in tzdata's interval @i of @tz or a
 * later one (GLib's intervals follow one another in time). */
static gint64
interval_start(GTimeZone *tz, gint i, gint64 lo, gint64 hi)
{
	while (lo < hi) {
		gint64 mid = lo + (hi - lo) / 2;

		if (g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, mid) >=
		    i)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Sets, in @bad (a year a byte, from FIRST_YEAR to LAST_YEAR), each wall
 * year of @first_year to @last_year in which @vtz gives another UTC offset
 * than tzdata (as GLib reads it) at any instant. Exactly, not by samples:
 * between two of the VTIMEZONE's onsets its offset is one, and GLib's
 * intervals in that span are all compared with it, so a change on another
 * day, or at another hour of the same day, is found. */
static void
unfaithful_years(icalcomponent *vtz, GTimeZone *tz, int first_year,
                 int last_year, guint8 *bad)
{
	g_autoptr(GArray) on = g_array_new(FALSE, FALSE, sizeof(Onset));
	g_autoptr(GPtrArray) obs = observances(vtz);
	g_autoptr(GDateTime) first =
	    g_date_time_new_utc(first_year, 1, 1, 0, 0, 0);
	g_autoptr(GDateTime) last =
	    g_date_time_new_utc(last_year + 1, 1, 1, 0, 0, 0);
	/* wall years run up to 14 hours either side of UTC's */
	gint64 lo =
	    g_date_time_to_unix(first) - G_TIME_SPAN_DAY / G_USEC_PER_SEC;
	gint64 hi =
	    g_date_time_to_unix(last) + G_TIME_SPAN_DAY / G_USEC_PER_SEC;

	for (guint i = 0; i < obs->len; i++)
		observance_onsets(g_ptr_array_index(obs, i), first_year,
		                  last_year, on);
	if (on->len == 0) {
		for (int y = first_year; y <= last_year; y++)
			bad[y - FIRST_YEAR] = 1;
		return;
	}
	g_array_sort(on, onset_cmp);
	/* span k runs from onset k to onset k + 1; span -1 is before the
	 * first, in the offset that one changes from */
	for (gint k = -1; k < (gint)on->len; k++) {
		gint64 s = k < 0 ? lo : g_array_index(on, Onset, k).at;
		gint64 e = k + 1 < (gint)on->len
		               ? g_array_index(on, Onset, k + 1).at
		               : hi;
		int off = k < 0 ? g_array_index(on, Onset, 0).from
		                : g_array_index(on, Onset, k).to;
		gint i0, i1;

		s = MAX(s, lo);
		e = MIN(e, hi);
		if (s >= e)
			continue;
		i0 = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, s);
		i1 =
		    g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, e - 1);
		for (gint i = i0; i <= i1; i++) {
			int o = g_time_zone_get_offset(tz, i);
			gint64 a, b;

			if (o == off)
				continue;
			a = i == i0 ? s : interval_start(tz, i, s, e);
			b = i == i1 ? e : interval_start(tz, i + 1, s, e);
			for (int y = MAX(wall_year(a, MIN(o, off)), first_year);
			     y <= MIN(wall_year(b - 1, MAX(o, off)), last_year);
			     y++)
				bad[y - FIRST_YEAR] = 1;
		}
	}
}

/* (transfer full) (nullable): tzdata's @tzid, as GLib reads it. */
static GTimeZone *
tzdata_zone(const char *tzid)
{
	return g_time_zone_new_identifier(evf_tz_is_utc(tzid) ? "UTC" : tzid);
}

/* Whether @vtz gives @tzid's UTC offsets, as tzdata has them (read by
 * GLib), at every instant of the wall years @first to @last
 * (unfaithful_years); with @z (nullable), of those it has regular. */
static gboolean
faithful_years(icalcomponent *vtz, const char *tzid, int first_year,
               int last_year, const ZoneYears *z)
{
	g_autoptr(GTimeZone) tz = tzdata_zone(tzid);
	guint8 bad[LAST_YEAR - FIRST_YEAR + 1] = { 0 };

	if (tz == NULL)
		return FALSE;
	unfaithful_years(vtz, tz, first_year, last_year, bad);
	for (int y = first_year; y <= last_year; y++)
		if (bad[y - FIRST_YEAR] &&
		    (z == NULL || year_kind(z, y) == YEAR_REGULAR))
			return FALSE;
	return TRUE;
}

/* Whether @vtz is faithful (faithful_years) for CHECKED_YEARS years from
 * @year on, not after LAST_CHECKED. */
static gboolean
faithful(icalcomponent *vtz, const char *tzid, int year)
{
	return faithful_years(
	    vtz, tzid, year, MIN(year + CHECKED_YEARS - 1, LAST_CHECKED), NULL);
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

/* The first year from which @tzid has a faithful VTIMEZONE with RRULE
 * observances only; -1 when it never has. Irregular years before it are
 * history, or a rule tzdata lists date by date (Ramadan, in Gaza and
 * Morocco): RDATEs, once in the VTIMEZONE, stay in it, so the search
 * assumes they do not come back. */
static int
find_regular_from(const char *tzid)
{
	int lo = FIRST_YEAR, hi = LAST_YEAR;

	if (regular(tzid, lo))
		return lo;
	if (!regular(tzid, hi))
		return -1;
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;

		if (regular(tzid, mid))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* The indexes of @tz's intervals in wall year @year, in @i0 and @i1. */
static void
intervals_of_year(GTimeZone *tz, int year, gint *i0, gint *i1)
{
	g_autoptr(GDateTime) a = g_date_time_new_utc(year, 1, 1, 0, 0, 0);
	g_autoptr(GDateTime) b = g_date_time_new_utc(year + 1, 1, 1, 0, 0, 0);

	*i0 = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL,
	                                g_date_time_to_unix(a));
	*i1 = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL,
	                                g_date_time_to_unix(b) - 1);
}

/* The first year after LIBICAL_LAST_RULES from which GLib misreads @tz
 * (G_MAXINT when it never does). After 2037 tzdata's files hold no more
 * dates but one rule, which GLib 2.74 reads wrongly where summer time is
 * negative (Dublin's GMT in winter, IST in summer: +02:00 from November
 * 2038 on). Its offsets in 2037, the last year of dates, are the
 * zone's; one that is none of them is GLib's mistake, and from that year
 * on a disagreement with the VTIMEZONE, which every client follows, is
 * too. */
static int
misread_from(GTimeZone *tz)
{
	gint i0, i1, j0, j1;

	intervals_of_year(tz, LIBICAL_LAST_RULES, &i0, &i1);
	for (int y = LIBICAL_LAST_RULES + 1; y <= LAST_YEAR; y++) {
		intervals_of_year(tz, y, &j0, &j1);
		for (gint j = j0; j <= j1; j++) {
			gboolean known = FALSE;

			for (gint i = i0; i <= i1 && !known; i++)
				known = g_time_zone_get_offset(tz, i) ==
				        g_time_zone_get_offset(tz, j);
			if (!known)
				return y;
		}
	}
	return G_MAXINT;
}

/* Marks in @bad (indexed from FIRST_YEAR) each year from @from to
 * LAST_YEAR in which @vtz's clocks change by an observance without a rule:
 * one change that Outlook, which reads only yearly rules, never sees
 * (Morocco's Ramadan breaks, which tzdata gives one by one from 2025;
 * Samoa's day skipped in December 2011; Moscow's new offset of October
 * 2014). The first observance is the one in force when the times begin,
 * and one that changes no offset is libical's own (the one it starts in
 * 2037). */
static void
one_off_years(icalcomponent *vtz, int from, guint8 *bad)
{
	g_autoptr(GPtrArray) obs = observances(vtz);
	struct icaltimetype earliest = icaltime_null_time();

	for (guint i = 0; i < obs->len; i++) {
		struct icaltimetype s =
		    icalcomponent_get_dtstart(g_ptr_array_index(obs, i));

		if (i == 0 || icaltime_compare(s, earliest) < 0)
			earliest = s;
	}
	for (guint i = 0; i < obs->len; i++) {
		icalcomponent *o = g_ptr_array_index(obs, i);
		struct icaltimetype start = icalcomponent_get_dtstart(o);
		icalproperty *f = icalcomponent_get_first_property(
		    o, ICAL_TZOFFSETFROM_PROPERTY);
		icalproperty *t = icalcomponent_get_first_property(
		    o, ICAL_TZOFFSETTO_PROPERTY);

		if (icalcomponent_get_first_property(o, ICAL_RRULE_PROPERTY) ==
		        NULL &&
		    f != NULL && t != NULL &&
		    icalproperty_get_tzoffsetfrom(f) !=
		        icalproperty_get_tzoffsetto(t) &&
		    start.year >= from && start.year <= LAST_YEAR &&
		    icaltime_compare(start, earliest) > 0)
			bad[start.year - FIRST_YEAR] = 1;
	}
}

/* The latest DTSTART of @vtz's observances (a wall time). */
static struct icaltimetype
latest_start(icalcomponent *vtz)
{
	g_autoptr(GPtrArray) obs = observances(vtz);
	struct icaltimetype latest = icaltime_null_time();

	for (guint i = 0; i < obs->len; i++) {
		struct icaltimetype s =
		    icalcomponent_get_dtstart(g_ptr_array_index(obs, i));

		if (icaltime_is_null_time(latest) ||
		    icaltime_compare(s, latest) > 0)
			latest = s;
	}
	return latest;
}

/* Whether Outlook reads the yearly rule @rt of an observance: MS-OXCICAL
 * §2.1.3.1.1.19.2.2 takes one month, and either a day of it or one
 * weekday counted in it (2SU, -1SU), not both. tzdata's "Sunday on or
 * after the 2nd" (Santiago), "Friday on or after the 23rd" (Jerusalem)
 * and "Saturday on or after the 24th" (Nuuk) are neither, and libical
 * writes them as a weekday and seven days. */
static gboolean
outlook_rule(const struct icalrecurrencetype *rt)
{
	gboolean by_day = rt->by_day[0] != ICAL_RECURRENCE_ARRAY_MAX;
	gboolean by_month_day =
	    rt->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX;

	if (rt->freq != ICAL_YEARLY_RECURRENCE || by_day == by_month_day ||
	    rt->by_month[0] == ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_month[1] != ICAL_RECURRENCE_ARRAY_MAX)
		return FALSE;
	if (by_month_day)
		return rt->by_month_day[1] == ICAL_RECURRENCE_ARRAY_MAX;
	return rt->by_day[1] == ICAL_RECURRENCE_ARRAY_MAX &&
	       icalrecurrencetype_day_position(rt->by_day[0]) != 0;
}

/* The first year from which @vtz, cut there, has only observances whose
 * rules Outlook reads (outlook_rule): the year after the last one that
 * ends, G_MAXINT when one never ends. An observance without a rule is a
 * year that is not regular, and said so elsewhere. */
static int
outlook_from(icalcomponent *vtz)
{
	g_autoptr(GPtrArray) obs = observances(vtz);
	int from = FIRST_YEAR;

	for (guint i = 0; i < obs->len; i++) {
		icalproperty *p = icalcomponent_get_first_property(
		    g_ptr_array_index(obs, i), ICAL_RRULE_PROPERTY);
		struct icalrecurrencetype rt;

		if (p == NULL)
			continue;
		rt = icalproperty_get_rrule(p);
		if (outlook_rule(&rt))
			continue;
		if (icaltime_is_null_time(rt.until))
			return G_MAXINT;
		from = MAX(from, rt.until.year + 1);
	}
	return from;
}

/* (transfer full): @tzid's years: from its first regular year on, those
 * in which the VTIMEZONE evfeed publishes from that year (the one
 * evf_tz_set_clone builds: every later start gives the same offsets from
 * its own year on, truncation keeping every onset after the cut) gives
 * other offsets than tzdata's at any instant. */
static ZoneYears *
zone_years_new(const char *tzid)
{
	ZoneYears *z = g_new0(ZoneYears, 1);
	g_autoptr(GTimeZone) tz = tzdata_zone(tzid);
	guint8 bad[LAST_YEAR - FIRST_YEAR + 1] = { 0 };
	guint8 one_off[LAST_YEAR - FIRST_YEAR + 1] = { 0 };
	icalcomponent *vtz;
	int misread;

	z->from = find_regular_from(tzid);
	if (z->from < 0 || tz == NULL ||
	    (vtz = build_faithful(tzid, z->from)) == NULL) {
		z->from = -1;
		return z;
	}
	vtz = join_continued(vtz, tzid);
	unfaithful_years(vtz, tz, z->from, LAST_YEAR, bad);
	one_off_years(vtz, z->from, one_off);
	z->settled = latest_start(vtz);
	z->outlook_from = outlook_from(vtz);
	icalcomponent_free(vtz);
	misread = misread_from(tz);
	for (int y = z->from; y <= LAST_YEAR; y++)
		if (one_off[y - FIRST_YEAR])
			z->years[y - FIRST_YEAR] = YEAR_UNFAITHFUL;
		else if (bad[y - FIRST_YEAR])
			z->years[y - FIRST_YEAR] =
			    y >= misread ? YEAR_MISREAD : YEAR_UNFAITHFUL;
	return z;
}

/* (transfer none): @tzid's years, found on first use. */
static const ZoneYears *
zone_years(const char *tzid)
{
	G_LOCK_DEFINE_STATIC(cache);
	/* "generation tzid" → ZoneYears, never freed: those of an older
	 * version of tzdata stay where a caller may still hold them */
	static GHashTable *cache;
	g_autofree char *key =
	    g_strdup_printf("%u %s", evf_tz_generation(), tzid);
	ZoneYears *z;

	G_LOCK(cache);
	if (cache == NULL)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                              g_free);
	z = g_hash_table_lookup(cache, key);
	G_UNLOCK(cache);
	if (z != NULL)
		return z;
	/* found outside the lock, which would hold up every other zone;
	 * two threads may both find one zone's, and the first kept wins */
	z = zone_years_new(tzid);
	G_LOCK(cache);
	if (g_hash_table_contains(cache, key)) {
		g_free(z);
		z = g_hash_table_lookup(cache, key);
	} else {
		g_hash_table_insert(cache, g_steal_pointer(&key), z);
	}
	G_UNLOCK(cache);
	return z;
}

int
evf_tz_regular_from(const char *tzid)
{
	g_return_val_if_fail(tzid != NULL, -1);
	return zone_years(tzid)->from;
}

gboolean
evf_tz_is_regular(const char *tzid, int year)
{
	return evf_tz_next_irregular(tzid, year, year) == 0;
}

int
evf_tz_outlook_from(const char *tzid)
{
	const ZoneYears *z;

	g_return_val_if_fail(tzid != NULL, G_MAXINT);
	z = zone_years(tzid);
	return z->from >= 0 ? MAX(z->from, z->outlook_from) : G_MAXINT;
}

gboolean
evf_tz_outlook_reads(const char *tzid, int year)
{
	return year >= evf_tz_outlook_from(tzid);
}

int
evf_tz_next_irregular(const char *tzid, int first, int last)
{
	const ZoneYears *z;

	g_return_val_if_fail(tzid != NULL, first);
	z = zone_years(tzid);
	if (z->from < 0 || first < z->from)
		return first;
	for (int y = first; y <= last; y++) {
		if (year_kind(z, y) == YEAR_UNFAITHFUL)
			return y;
		/* the years after LAST_YEAR are all like it */
		if (y >= LAST_YEAR)
			break;
	}
	return 0;
}

char *
evf_tz_advice(const char *tzid, gboolean with_times)
{
	static GRegex *offset_form;
	g_autofree char *guess = g_strdup(tzid);
	g_autoptr(GTimeZone) tz = NULL;
	gboolean word = TRUE;

	/* europe/ljubljana, America/New York */
	for (char *p = guess; *p != '\0'; p++) {
		if (*p == ' ')
			*p = '_';
		*p = word ? g_ascii_toupper(*p) : g_ascii_tolower(*p);
		word = strchr("/_-", *p) != NULL;
	}
	if (strcmp(guess, tzid) != 0 && (tz = evf_tz_new(guess, NULL)) != NULL)
		return g_strdup_printf(" (did you mean '%s'?)", guess);
	if (strstr(tzid, "Standard Time") != NULL)
		return g_strdup(" (a Windows name: write the IANA name of a "
		                "city in the zone, such as Europe/Ljubljana)");
	/* a misspelt city: the one zone nearest it, at most two letters
	 * off (Europe/Belgrad, America/Sao_Paolo) */
	if (strchr(tzid, '/') != NULL) {
		const GPtrArray *places = evf_tz_places();
		const char *best = NULL;
		guint best_d = 3, ties = 0;

		for (guint i = 0; i < places->len; i++) {
			const char *p = g_ptr_array_index(places, i);
			guint d = evf_edit_distance(tzid, p);

			if (d < best_d) {
				best = p;
				best_d = d;
				ties = 0;
			} else if (d == best_d) {
				ties++;
			}
		}
		if (best != NULL && best_d > 0 && ties == 0)
			return g_strdup_printf(" (did you mean '%s'?)", best);
	}
	if (g_regex_match(
	        evf_regex_once(&offset_form,
	                       "^(UTC|GMT)?[+-][0-9]{1,2}(:?[0-9]{2})?$",
	                       G_REGEX_CASELESS),
	        tzid, 0, NULL))
		return g_strdup(
		    with_times ? " (an offset is written with the time, as in "
		                 "2018-05-22T09:30+02:00, or name a city's "
		                 "zone, such as Europe/Ljubljana)"
		               : " (name a city's zone, whose clock changes "
		                 "an offset does not follow, such as "
		                 "Europe/Ljubljana)");
	return g_strdup("");
}

char *
evf_tz_etc_advice(const char *tzid)
{
	static GRegex *etc;
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *sign = NULL, *hours = NULL;
	g_autofree char *other = NULL, *instead = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	gboolean east;

	if (!g_regex_match(evf_regex_once(&etc, "^Etc/GMT([+-])([0-9]+)$", 0),
	                   tzid, 0, &m))
		return NULL;
	sign = g_match_info_fetch(m, 1);
	hours = g_match_info_fetch(m, 2);
	if (atoi(hours) == 0)
		return NULL;
	east = sign[0] == '-';
	other = g_strdup_printf("Etc/GMT%s%s", east ? "+" : "-", hours);
	/* Etc/GMT-14 has no Etc/GMT+14 */
	if ((tz = evf_tz_new(other, NULL)) != NULL)
		instead = g_strdup_printf("for UTC%s%02d:00 write %s, or "
		                          "better a city's zone",
		                          sign, atoi(hours), other);
	return g_strdup_printf("'%s' is UTC%s%02d:00: tzdata's Etc/GMT names "
	                       "have the sign reversed (%s)",
	                       tzid, east ? "+" : "-", atoi(hours),
	                       instead != NULL ? instead
	                                       : "a city's zone is clearer");
}

gboolean
evf_tz_is_settled(const char *tzid, GDateTime *t)
{
	const ZoneYears *z;

	g_return_val_if_fail(tzid != NULL && t != NULL, FALSE);
	z = zone_years(tzid);
	/* both floating: libical compares them field by field */
	return z->from >= 0 && !icaltime_is_null_time(z->settled) &&
	       icaltime_compare(evf_tz_wall_time(t), z->settled) > 0;
}

gboolean
evf_tz_is_misread(const char *tzid, int year)
{
	const ZoneYears *z;

	g_return_val_if_fail(tzid != NULL, FALSE);
	z = zone_years(tzid);
	return z->from >= 0 && year >= z->from &&
	       year_kind(z, MAX(year, FIRST_YEAR)) == YEAR_MISREAD;
}

/* (transfer full) @vtz (transfer full), @tzid's VTIMEZONE from @year on,
 * or one that starts earlier where @vtz gives other offsets than tzdata's
 * in a year evf_tz_is_regular promises them for. Cut after 2037, libical
 * loses the rule join_continued makes go on (St John's summer time as
 * -01:30); the zone's years are found with the VTIMEZONE from its first
 * regular year on, which is the last resort. */
static icalcomponent *
faithful_published(icalcomponent *vtz, const char *tzid, int year)
{
	const ZoneYears *z = zone_years(tzid);
	int earlier[] = { LIBICAL_LAST_RULES - 1, z->from };

	if (z->from < 0 || year < z->from || year > LAST_YEAR ||
	    faithful_years(vtz, tzid, year, LAST_YEAR, z))
		return vtz;
	for (gsize i = 0; i < G_N_ELEMENTS(earlier); i++) {
		icalcomponent *other;

		if (earlier[i] >= year || earlier[i] < z->from ||
		    (other = build_faithful(tzid, earlier[i])) == NULL)
			continue;
		other = join_continued(other, tzid);
		if (faithful_years(other, tzid, year, LAST_YEAR, z)) {
			icalcomponent_free(vtz);
			return other;
		}
		icalcomponent_free(other);
	}
	return vtz;
}

icalcomponent *
evf_tz_set_clone(EvfTzSet *set, const char *tzid)
{
	g_autoptr(GMutexLocker) locked = g_mutex_locker_new(&set->lock);
	icalcomponent *vtz = g_hash_table_lookup(set->built, tzid);
	gpointer year = NULL;
	struct icaltimetype *last;

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
		vtz = faithful_published(vtz, tzid, GPOINTER_TO_INT(year));
		last = g_hash_table_lookup(set->lasts, tzid);
		if (last != NULL)
			drop_after(vtz, *last);
		g_hash_table_insert(set->built, g_strdup(tzid), vtz);
	}
	/* Cloned under the lock too: libical promises nothing about two
	 * threads reading one component. */
	return icalcomponent_clone(vtz);
}
