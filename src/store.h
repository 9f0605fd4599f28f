/*
 * store.h: the state (SQLite, WAL): per event its first-seen time,
 * fingerprint, SEQUENCE and LAST-MODIFIED; per site its last change and the
 * manifest of what the last build published. The state is what makes the
 * outputs deterministic: the same inputs and state give the same bytes.
 */
#pragma once

#include <glib.h>

typedef struct _EvfStore EvfStore;

/* (transfer full): the state at @path, created if missing (its folder must
 * exist and be writable). */
EvfStore *evf_store_open(const char *path, GError **error);
void evf_store_free(EvfStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfStore, evf_store_free)

/* Gives every event of @events (EvfEvent*) its created, modified and
 * sequence, recording what changed at @now (µs): a new event is created
 * and modified now with SEQUENCE 0; a changed one (another fingerprint, or
 * back after removal) gets SEQUENCE + 1 and a new LAST-MODIFIED; events no
 * longer present are marked removed. Every LAST-MODIFIED is unique within
 * the site (changes made at the same moment get consecutive microseconds
 * in the order of @events), so no two feed entries share an `updated`.
 * *updated is the time of the site's latest change. One transaction. */
gboolean evf_store_track(EvfStore *store, GPtrArray *events, gint64 now,
                         gint64 *updated, GError **error);

/* A small key → value table for the build (input digest, manifest). */
char *evf_store_get_meta(EvfStore *store, const char *key);
gboolean evf_store_set_meta(EvfStore *store, const char *key, const char *value,
                            GError **error);
