/*
 * rrule.h: the recurrence rules evfeed refuses to hand to libical's
 * iterator, for event files and partners' calendars alike.
 */
#pragma once

#include <glib.h>
#include <libical/ical.h>

/* (transfer none) (nullable): why libical must not iterate @rt, in words
 * ("it never occurs: …"); NULL when it may. Linear in the rule's BY lists,
 * without iterating. */
const char *evf_rrule_refusal(const struct icalrecurrencetype *rt);
