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
 * by" on the winner, which never names its own source; its identity goes
 * to the winner when only it was published (EvfMergeIds).
 */
#pragma once

#include <glib.h>
#include "config.h"

/* What keeps an event's identity when another listing of it starts to
 * win the merge (a local file written for a partner's item, a source of
 * higher priority that lists it too): the identity that subscribers
 * have. */
typedef struct {
	/* (element-type utf8): the UIDs published now (the state's) */
	GHashTable *published;
	/* (element-type utf8 utf8): a listing's own UID (a local file's, a
	 * partner item's as labelled) → the UID it is published under,
	 * which an earlier listing of its event had; the merge adds those
	 * it gives, and lists their own UIDs in @added */
	GHashTable *aliases;
	GPtrArray *added; /* (element-type utf8) */
	/* (element-type utf8 utf8) (nullable): a UID a partner gave → the
	 * source whose item was published under it as given, the state's,
	 * which keeps it while it lists it when another source lists an
	 * item of that UID too (each other's is namespaced); the merge puts
	 * those of this merge in @owned */
	GHashTable *owners;
	GHashTable *owned;
	/* (element-type utf8 utf8) (nullable): a UID published now → the
	 * own UID of the listing it was published for, where that is
	 * another's (a listing that went on under the UID of one it had
	 * joined), the state's (an empty value: none); the merge puts those
	 * of this merge in @published_now. A listing whose own UID went out
	 * for another that goes on apart takes its alias, and leaves its
	 * own to that one (after the joins). */
	GHashTable *published_for;
	GHashTable *published_now;
} EvfMergeIds;

/* @ids with its tables made, empty; evf_merge_ids_clear() lets them go. */
void evf_merge_ids_init(EvfMergeIds *ids);
void evf_merge_ids_clear(EvfMergeIds *ids);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EvfMergeIds, evf_merge_ids_clear)

/* (transfer full) (element-type EvfEvent): @local (EvfEvent*) and the
 * partner items in @partners (source name → GPtrArray of EvfEvent*, the
 * sources' last good items), filtered and labelled by their source's
 * configuration, merged and sorted by uid. Only sources of @cfg that are
 * enabled contribute. Partner items are shared and changed in place (uid,
 * slug, source, categories); a local event that a partner also lists is
 * copied before it is changed (its dates, its "also listed by", its
 * identity), and the others are shared as they are: @local is never
 * changed. With @ids (nullable), an event that wins over a listing
 * published before it, while its own UID is not, takes that listing's UID
 * (and so its feed id and first-seen time) for good. */
GPtrArray *evf_merge(const EvfConfig *cfg, GPtrArray *local,
                     GHashTable *partners, EvfMergeIds *ids);

/* (transfer full): the UID that an item of source @source (its [source
 * NAME]) given @uid by its source is published under when @uid is meant
 * to be unique only in its source (or clashes): a UUIDv5 of the two. */
char *evf_merge_source_uid(const char *source, const char *uid);

/* (transfer full): @title reduced for comparison: transliterated where
 * ASCII has the letter (the others kept), lower case, words of letters
 * and digits separated by single spaces. */
char *evf_merge_normalize_title(const char *title);

/* Whether two normalised titles are near-identical: the same, or word
 * sets with a Jaccard similarity of at least 3/4. */
gboolean evf_merge_titles_match(const char *a, const char *b);
