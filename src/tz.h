/*
 * tz.h: VTIMEZONE components in the shape Outlook accepts: libical's
 * built-in zone, truncated to the years in use with RRULE observances only
 * (ms_compatible), its TZID rewritten to the plain IANA name that every
 * TZID= parameter uses.
 */
#pragma once

#include <glib.h>
#include <libical/ical.h>

typedef struct _EvfTzSet EvfTzSet;

EvfTzSet *evf_tz_set_new(void);
void evf_tz_set_free(EvfTzSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfTzSet, evf_tz_set_free)

/* Notes that @tzid is used from @year on (the earliest year wins). */
void evf_tz_set_use(EvfTzSet *set, const char *tzid, int year);

/* Notes that @tzid is used up to the wall time of @last (the latest
 * wins), or without end when @last is NULL (a series). Without a note,
 * it is used forever. */
void evf_tz_set_use_until(EvfTzSet *set, const char *tzid, GDateTime *last);

/* (transfer full) (nullable): a copy of the VTIMEZONE for @tzid, built on
 * first use from the earliest year noted (or the first regular year, see
 * below, or 1970), NULL for an unknown zone. Any thread may call this and
 * evf_tz_set_use. */
icalcomponent *evf_tz_set_clone(EvfTzSet *set, const char *tzid);

/* Whether @name names UTC itself, in any case: UTC, Etc/UTC, GMT, Zulu,
 * …, and what calendars write for it (Z, "Coordinated Universal Time").
 * Times in it are written with Z and need no VTIMEZONE: libical has none
 * for "UTC", and a one-observance VTIMEZONE of offset 0 is read by some
 * clients as a zone of its own. Zones that merely have offset 0
 * (Africa/Abidjan, Atlantic/Reykjavik) are places, and keep theirs. */
gboolean evf_tz_is_utc(const char *name);

/* (transfer full): the first line of tzdata.zi, which names the version
 * of the time zone data ("# version 2024a"), in the folder GLib reads
 * zones from; "" when there is none. */
char *evf_tz_data_version(void);

/* Tells the zone facts kept for the life of the process (each zone's
 * years, each year's clock changes, each series' last date) the version
 * of the time zone data a build reads, @version (evf_tz_data_version's):
 * what they kept of another version is not used again, so a daemon that
 * runs across a tzdata update checks and publishes as a new process
 * would. */
void evf_tz_data_seen(const char *version);

/* The number of versions of the time zone data seen: a part of the key of
 * every zone fact kept. */
guint evf_tz_generation(void);

/* (transfer full) (nullable): the zone named @name, when evfeed publishes
 * it: a Region/City name of tzdata's (a zone or a link, as tzdata.zi lists
 * them) that GLib and libical both read. Otherwise NULL, and @problem
 * (nullable) says why, in words for an editor: tzdata's old names without a
 * region (EST, CET, Japan) are refused, as are its right/ and posix/ copies,
 * files such as localtime that are not zones, and anything GLib would read as a
 * POSIX TZ rule. UTC's names are the caller's (evf_tz_is_utc). */
GTimeZone *evf_tz_new(const char *name, const char **problem);

/* Why no zone can be read, when the zone files GLib reads (TZDIR's) count
 * leap seconds, as tzdata's right/ copies do; NULL when they do not. Every
 * command is refused with it before it runs. */
const char *evf_tz_data_problem(void);

/* (transfer none): the names of tzdata's zones that are places, such as
 * Europe/Berlin (no links, no Etc/), sorted; empty without tzdata. */
const GPtrArray *evf_tz_places(void);

/* The first year of the zones' rules that evfeed publishes. */
#define EVF_TZ_FIRST_YEAR 1970

/* The first year (1970 at the earliest) from which @tzid's VTIMEZONE has
 * no RDATE list, which Outlook ignores, and
 * gives tzdata's offsets (see build_faithful in tz.c); -1 when it never
 * has (Asia/Gaza). Before it are irregular years: Sydney's
 * Olympic summer of 2000, Brazil's and Chile's yearly decrees, Morocco's
 * and Palestine's Ramadan breaks. Any thread may call this; each zone's
 * years are found once per process. */
int evf_tz_regular_from(const char *tzid);
/* Whether @year is one of @tzid's regular years: from
 * evf_tz_regular_from on, in which the clocks change by yearly rules only
 * (no observance without RRULE changes them: Outlook reads only rules, and
 * would miss Morocco's Ramadan breaks, Moscow's new offset of 2014), and
 * in which the VTIMEZONE evfeed publishes gives tzdata's UTC offsets at
 * every instant. libical's yearly rules miss
 * days in some years after that (Sao Paulo's end of summer time on 16
 * February 2014, Easter Island's September changes of 2020 to 2022), and
 * every client reading the VTIMEZONE would put times an hour off. */
gboolean evf_tz_is_regular(const char *tzid, int year);
/* Whether Outlook reads every rule of @tzid's VTIMEZONE as evfeed
 * publishes it from @year on, a regular year (evf_tz_is_regular): one
 * month each, and a day of it or one counted weekday (MS-OXCICAL
 * §2.1.3.1.1.19.2.2). Not so for the zones whose clocks change on "the
 * first Sunday on or after the 2nd" (Santiago), "the Friday on or after
 * the 23rd" (Jerusalem), "the Saturday on or after the 24th" (Nuuk),
 * which libical writes as a weekday and seven days. */
gboolean evf_tz_outlook_reads(const char *tzid, int year);
/* The first year evf_tz_outlook_reads says so of, G_MAXINT for none. */
int evf_tz_outlook_from(const char *tzid);
/* The first of @tzid's years from @first to @last (G_MAXINT: with no end)
 * that is not regular (evf_tz_is_regular), 0 when all are. */
int evf_tz_next_irregular(const char *tzid, int first, int last);
/* (transfer full) (nullable): for tzdata's Etc/GMT+5, which is five
 * hours west of Greenwich, UTC-05:00 (POSIX counts offsets westward), the
 * words that say which offset it is and what to write for the other: an
 * editor who writes it for UTC+05:00 gets every time ten hours off. NULL
 * for any other name. */
char *evf_tz_etc_advice(const char *tzid);
/* (transfer full): how to put right the time zone name @tzid that
 * evf_tz_new() refused, as the end of its diagnostic (" (did you mean
 * 'Europe/Belgrade'?)"); "" when that is not known. @with_times: it is an
 * event's, whose times may be given with their offset instead. */
char *evf_tz_advice(const char *tzid, gboolean with_times);
/* Whether the wall time of @t (in @tzid) comes after the first onset of
 * every observance of @tzid's VTIMEZONE, as evfeed publishes it from any
 * year: after the zone's last change of rules (New York's of 2007,
 * Moscow's of 2014; not the end of a rule, as Mexico City's summer time in
 * 2022, whose observances began before). Ruby's icalendar (2.8)
 * fails on a time in a zone whose VTIMEZONE has an observance that has
 * not begun at it beside one of the same kind that has (it compares
 * their last onsets, nil for the one): a calendar with an event in New
 * York in 2006 and another in 2020 would be refused whole. */
gboolean evf_tz_is_settled(const char *tzid, GDateTime *t);
/* Whether GLib, from which evfeed takes a wall time's instant, gives
 * other offsets in @year than tzdata's final rule, which the VTIMEZONE
 * follows: GLib 2.74 reads Europe/Dublin's winter "negative summer time"
 * as +02:00 from November 2038 on. Only years after 2037 are so judged,
 * where tzdata's files hold one repeating rule and no more dates. */
gboolean evf_tz_is_misread(const char *tzid, int year);

/* (transfer full) (nullable): wall time @y-@mo-@d @h:@mi:@s in @tz, as
 * g_date_time_new() gives it, except where RFC 5545 §3.3.5 says otherwise:
 * where the clocks go back and the wall time occurs twice, the first of
 * the two instants (GLib takes standard time, the second); where they go
 * forward and it does not exist, the wall time read with the offset
 * before the gap (GLib takes the gap's end), so that its hour and minute
 * differ from @h and @mi. */
GDateTime *evf_tz_datetime_new(GTimeZone *tz, int y, int mo, int d, int h,
                               int mi, double s);

/* node-ical 0.26 (the iCalendar reader of MagicMirror² and other Node.js
 * programs) takes a series' start to a time in its zone with
 * temporal-polyfill 0.3, which knows a zone's clock changes only up to
 * 1 January ten years after the reader's year (its maxPossibleTransition,
 * found by 60-day steps): past that it gives every instant the offset at
 * the end of the step that holds that day. Its rules library then refuses
 * the start as not a time of the zone, and node-ical the whole calendar.
 * For a series starting at @at (s since 1970) in @tzid, read at @now (s):
 * 0 when node-ical reads it, else the first year from whose 1 January it
 * does, and *@taken (nullable) the UTC offset (s) it takes for the start's
 * and every later time's. */
int evf_tz_node_ical_from(const char *tzid, gint64 at, gint64 now,
                          gint32 *taken);

/* (transfer full): the zone called @name (a name the configuration
 * checked), or UTC when GLib cannot read it. */
GTimeZone *evf_tz_or_utc(const char *name);

/* @t's wall time in its own zone, as a floating libical time. */
struct icaltimetype evf_tz_wall_time(GDateTime *t);

/* Whether @t's wall time occurs twice in its zone (where the clocks go
 * back). Clients disagree on which instant such a time in a zone is:
 * libical, ical.js and python-icalendar take the second, the RFC and
 * vobject the first. */
gboolean evf_tz_is_ambiguous(GDateTime *t);

/* How far the clocks were set back from @t's wall time, 0 when they were
 * not: where they go back, the first wall time after those that occur
 * twice (03:00 in Ljubljana on the last Sunday of October, set back an
 * hour), which occurs once. Ruby's icalendar reads it with the offset of
 * before the change, as the instant of the change itself: that much
 * early (an hour there, 30 minutes in Australia/Lord_Howe, two hours in
 * Antarctica/Troll). */
GTimeSpan evf_tz_set_back(GDateTime *t);
/* Whether in @year (and a day around it) @tz's clocks change where they
 * show the wall time @second_of_day (seconds after midnight): it does not
 * exist on the day they go forward, or happens twice on the day they go
 * back. Looks at the whole year: about 800 lookups of GLib's. */
gboolean evf_tz_changes_at(GTimeZone *tz, int year, int second_of_day);

/* The wall times at which a zone's clocks change: from @wall (seconds
 * since 1970-01-01T00:00 on the zone's clock) for @len seconds. */
typedef struct {
	gint64 wall;
	int len;
} EvfTzWindow;

/* (transfer full) (element-type EvfTzWindow): where in @year (and a day
 * around it) @tz's clocks change, as evf_tz_changes_at looks for them,
 * one window a change. */
GArray *evf_tz_changes_in(GTimeZone *tz, int year);
