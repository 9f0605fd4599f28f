/*
 * merge.h: one catalogue from the site's own events and its partners'
 * items. Pure: events in, events out.
 *
 * Identity: a partner's UID is kept when no other event has it, else it is
 * namespaced (a UUIDv5 of the source and the UID), deterministically.
 * Duplicates: the same event listed in several places (the site and a
 * partner, or two partners), never two items of one place, which are
 * distinct events. Two items are the same event when their dates agree
 * (all-day: the same start day; timed: starts at most an hour apart; one of
 * each: the timed one starts on the all-day one's day) and they have the
 * same UID (both dated), the same event page (a URL that is neither a
 * site's home page nor one that a place gives to several of its items) or
 * near-identical titles; an undated local listing matches a partner item of
 * the same title or event page; an undated winner takes the dates of what
 * it joins; the occurrences of a partner's series of a local series' UID
 * are that series'. Precedence: local events first, then partners by
 * priority (higher first), then by name. What loses is kept as "also listed
 * by" on the winner, which never names its own source.
 */
#pragma once

#include <glib.h>
#include "config.h"

/* (transfer full) (element-type EvfEvent): @local (EvfEvent*) and the
 * partner items in @partners (source name → GPtrArray of EvfEvent*, the
 * sources' last good items), filtered and labelled by their source's
 * configuration, merged and sorted by uid. Only sources of @cfg that are
 * enabled contribute. Partner items are shared and changed in place (uid,
 * slug, source, categories); a local event that a partner also lists is
 * copied before it is changed (its dates, its "also listed by"), and the
 * others are shared as they are: @local is never changed. */
GPtrArray *evf_merge(const EvfConfig *cfg, GPtrArray *local,
                     GHashTable *partners);

/* (transfer full): @title reduced for comparison: transliterated where
 * ASCII has the letter (the others kept), lower case, words of letters
 * and digits separated by single spaces. */
char *evf_merge_normalize_title(const char *title);

/* Whether two normalised titles are near-identical: the same, or word
 * sets with a Jaccard similarity of at least 3/4. */
gboolean evf_merge_titles_match(const char *a, const char *b);
