/*
 * rrule.h: the recurrence rules evfeed refuses to hand to libical's
 * iterator, for event files and partners' calendars alike.
 */
#pragma once

#include <glib.h>
#include <libical/ical.h>
#include "event.h"

/* The most occurrences an event file's COUNT may give: a series is
 * stepped through from its start to know whether it is over (libical
 * counts from there), as far as this. */
#define EVF_RRULE_MAX_COUNT 100000

/* (transfer none) (nullable): why libical must not iterate @rt, in words
 * ("it never occurs: …"); NULL when it may. Linear in the rule's BY lists,
 * without iterating. */
const char *evf_rrule_refusal(const struct icalrecurrencetype *rt);

/* The rule @rule as libical reads it, with the values of its BYSECOND,
 * BYMINUTE, BYHOUR and BYMONTH in order and each once: RFC 5545 makes
 * them sets, but ical.js (Thunderbird) steps through them as written,
 * and libical through BYHOUR, so that FREQ=DAILY;BYHOUR=21,9;COUNT=4 ended
 * on other days in each. Every reader of an event's rule takes it so. */
struct icalrecurrencetype evf_rrule_from_string(const char *rule);

/* Writes the COUNT of @rt, @ev's rule, as the UNTIL of its last
 * occurrence where a client counts otherwise and leaves out the last
 * dates: ical.js (Thunderbird) a monthly rule with BYMONTH that starts in
 * another month than the first of its BYMONTH (one too many), node-ical a
 * rule with several BYSETPOS that give one day twice (BYDAY=MO;
 * BYSETPOS=-2,3 in a month of four Mondays). The same dates in every
 * client. Left as it is when the last occurrence is too far to step to. */
void evf_rrule_count_as_until(const EvfEvent *ev,
                              struct icalrecurrencetype *rt);

/* Whether the rule @rt of @ev ends, within a bounded number of steps and
 * years, and with as many occurrences as its COUNT says: its last
 * occurrence's start (as evf_rrule_start gives it) in *@last. */
gboolean evf_rrule_last(const EvfEvent *ev, struct icalrecurrencetype rt,
                        struct icaltimetype *last);

/* Whether the BY part @by of a rule (rt.by_month, …) lists anything. */
gboolean evf_rrule_has(const short *by);

/* The number of values in the BY part @by of @size (none: 0). */
guint evf_rrule_by_count(const short *by, int size);
/* The largest number of a numbered weekday of @rt's BYDAY, without its
 * sign (1 for 1MO and -1FR, 20 for 20MO); 0 when none is numbered. */
int evf_rrule_day_number_max(const struct icalrecurrencetype *rt);

/* Where @ev's RRULE starts as calendar clients run it: the date of an
 * all-day event, or the wall time of a timed one in its zone (UTC when it
 * has none), as a floating time. */
struct icaltimetype evf_rrule_start(const EvfEvent *ev);

/* Makes @rt's UNTIL, when a UTC time, the wall time of @ev's zone at that
 * instant: libical's iterator compares UNTIL with the wall times from
 * evf_rrule_start() as they are, where clients compare instants. */
void evf_rrule_until_local(const EvfEvent *ev, struct icalrecurrencetype *rt);

/* The instant, in unix seconds, of @at, a wall time of a series in @tz
 * (the first of two where the clocks go back); in UTC when @tz is NULL or
 * @at a date. */
gint64 evf_rrule_instant(GTimeZone *tz, struct icaltimetype at);

/* (transfer full) (nullable): where the last occurrence of the timed
 * series @ev ends, when its RRULE has an end (COUNT or UNTIL) that a
 * bounded number of steps reaches; NULL for a series without end, or one
 * of too many occurrences to step through. */
GDateTime *evf_rrule_last_end(const EvfEvent *ev);
