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
/* (transfer full): the state at @path for reading only, without writing
 * anything beside it (for a full disk); NULL when there is none. */
EvfStore *evf_store_open_readonly(const char *path, GError **error);

/* (transfer full): the state at @path, which must exist and be a state:
 * neither created nor, when damaged, moved aside (for commands that only
 * show it). */
EvfStore *evf_store_open_existing(const char *path, GError **error);
/* (transfer full): the state at @path, created if missing, as
 * evf_store_open; but one found damaged is left where it is, the error
 * EVF_ERROR_DAMAGED, for a caller that moves it aside
 * (evf_store_set_aside) only once it knows it can do without it. */
EvfStore *evf_store_open_in_place(const char *path, GError **error);

void evf_store_free(EvfStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfStore, evf_store_free)

/* An error of the state's functions is EVF_ERROR_DAMAGED when SQLite
 * found the state damaged ("database disk image is malformed"), as a read
 * or write deep in it that opening it did not reach may. */
/* Moves the state at @path, damaged as @why says, aside (with its -wal and
 * -shm) for a post-mortem. (transfer full) (nullable): the warning to
 * give, that says so and where it went; NULL when it could not. */
char *evf_store_set_aside(const char *path, const char *why);
/* (nullable): the warning of the state that evf_store_open found damaged
 * and moved aside before it made this one (evf_store_set_aside). */
const char *evf_store_set_aside_note(EvfStore *store);

/* Whether the state knows no event yet: a new state, or one started
 * afresh. */
gboolean evf_store_is_new(EvfStore *store);
/* What a published calendar says of an event, to seed a new state. */
typedef struct {
	char *uid;
	guint sequence;
	gint64 created; /* µs */
	gint64 modified;
} EvfSeed;
/* Records each of @seeds (EvfSeed*) as an event that was published and is
 * gone, so that a build that finds it again gives it its SEQUENCE + 1 and
 * keeps when it was first seen, and the site's last change as the latest
 * of them; an event the state knows keeps what it knows, but takes the
 * seed's SEQUENCE and LAST-MODIFIED when higher and its first-seen time
 * when earlier (a state older than what was published). One transaction;
 * *changed (nullable) gets how many events it added or raised. */
gboolean evf_store_seed(EvfStore *store, GPtrArray *seeds, guint *changed,
                        GError **error);

/* Gives every event of @events (EvfEvent*) its created, modified and
 * sequence, recording what changed at @now (µs): a new event is created
 * and modified now with SEQUENCE 0; a changed one (another fingerprint, or
 * back after removal) gets SEQUENCE + 1 and a new LAST-MODIFIED; events no
 * longer present are marked removed. Every LAST-MODIFIED is unique within
 * the site, so no two feed entries share an `updated`: changes made at the
 * same moment get whole milliseconds counted back from @now (in the order
 * of @events, the last one latest), after the site's last change, and
 * only when those are all taken ones after @now. *updated is the time of
 * the site's latest change. One transaction. */
gboolean evf_store_track(EvfStore *store, GPtrArray *events, gint64 now,
                         gint64 *updated, GError **error);

/* evf_store_track() in two steps: what it gives every event of @events
 * and the site's latest change, read in one snapshot and written by
 * nothing; then, once the build that publishes them is ready to, saved
 * in one transaction, so that a build that fails before that (an output
 * folder that cannot be written, a full disk) records no edit, no
 * SEQUENCE and no first-seen time that no subscriber saw. Nothing but
 * this build may change the events' rows between the two (the build
 * lock). */
typedef struct _EvfStoreTrack EvfStoreTrack;
EvfStoreTrack *evf_store_track_prepare(EvfStore *store, GPtrArray *events,
                                       gint64 now, gint64 *updated,
                                       GError **error);
gboolean evf_store_track_save(EvfStore *store, EvfStoreTrack *track,
                              GError **error);
/* Undoes evf_store_track_save: the rows and the site's last change as
 * they were when @track was prepared, for a build that then published
 * nothing (its renames failed and were put back). */
gboolean evf_store_track_undo(EvfStore *store, EvfStoreTrack *track,
                              GError **error);
void evf_store_track_free(EvfStoreTrack *track);
/* The site's last change the state recorded (µs), when it was more than
 * an hour ahead of the clock, and the times ahead were taken back to it
 * (see evf_store_track); else 0. */
gint64 evf_store_track_ahead(const EvfStoreTrack *track);
/* The latest time this build gave a change (µs) when it is more than a
 * minute after the clock: the clock reads a time before the last change
 * the state recorded, less than an hour before it (more is taken back:
 * evf_store_track_ahead), and the changes are dated after that change so
 * that feed readers see them in order, ahead of the clock; else 0. */
gint64 evf_store_track_later(const EvfStoreTrack *track);
/* Whether the site's last change the state recorded is more than an hour
 * ahead of @now (µs): a build ran while the clock was ahead, whose times
 * the next evf_store_track_prepare takes back. */
gboolean evf_store_is_ahead(EvfStore *store, gint64 now);
/* Whether the state had no event of @uid before. */
gboolean evf_store_track_is_new(const EvfStoreTrack *track, const char *uid);
/* Whether the event of @uid had been removed, and is back (as it was, or
 * other than it was). */
gboolean evf_store_track_is_returning(const EvfStoreTrack *track,
                                      const char *uid);
/* Whether the event of @uid had been removed, and is back other than it
 * was (another fingerprint); then *@created is when it was first seen. */
gboolean evf_store_track_is_back(const EvfStoreTrack *track, const char *uid,
                                 gint64 *created);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfStoreTrack, evf_store_track_free)

/* What is known of a partner source between fetches. */
typedef struct {
	char *name;
	char *url;  /* the URL it was last fetched from */
	char *etag; /* validators of the last good answer */
	char *last_modified;
	char *body_hash;     /* of the last body parsed */
	gint64 last_attempt; /* µs; 0: never */
	gint64 last_success; /* µs */
	gint64 next_fetch;   /* µs */
	char *last_error;    /* nullable: in words */
	guint failures;      /* in a row */
	guint items;         /* kept in the state */
	guint held;          /* fetches in a row that found far fewer items */
	gboolean gone;       /* 410: no longer fetched */
	char *moved_to;      /* nullable: a permanent redirect's target */
} EvfSourceState;

void evf_source_state_free(EvfSourceState *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfSourceState, evf_source_state_free)

/* (transfer full): the state of source @name; a fresh one (never
 * fetched) when there is none, or no @store (NULL: no state yet). */
EvfSourceState *evf_store_get_source(EvfStore *store, const char *name);
gboolean evf_store_put_source(EvfStore *store, const EvfSourceState *st,
                              GError **error);
/* (transfer full) (element-type EvfSourceState): every source known. */
GPtrArray *evf_store_list_sources(EvfStore *store);
/* Replaces the last good items of @name by @events, and saves @st, in one
 * transaction. */
gboolean evf_store_set_source_items(EvfStore *store, const EvfSourceState *st,
                                    GPtrArray *events, GError **error);
/* (transfer full) (element-type EvfEvent): the last good items of @name,
 * in uid order. */
GPtrArray *evf_store_get_source_items(EvfStore *store, const char *name);
/* Moves every source's next fetch by @delta µs (the step the wall clock
 * just made, so that the fetches stay as far ahead as they were). */
gboolean evf_store_shift_schedules(EvfStore *store, gint64 delta,
                                   GError **error);
/* Gives the state of source @from (its last good items and status) to
 * @to, whose own, if any, is let go: a source renamed. Its validators
 * are not given: the next fetch reads the source in full, with @to's
 * settings. */
gboolean evf_store_rename_source(EvfStore *store, const char *from,
                                 const char *to, GError **error);
/* Forgets a source that is no longer configured: its items and state. */
gboolean evf_store_forget_source(EvfStore *store, const char *name,
                                 GError **error);

/* A small key → value table for the build (input digest, manifest). */
char *evf_store_get_meta(EvfStore *store, const char *key);
/* Whether every read that goes on with what it got (evf_store_get_meta,
 * evf_store_get_meta_prefixed, evf_store_published_uids,
 * evf_store_get_source_items) read all it asked for; else the first
 * failure, EVF_ERROR_DAMAGED for a damaged state: a build that read less
 * than the state holds publishes nothing made from it. */
gboolean evf_store_read_ok(EvfStore *store, GError **error);
gboolean evf_store_set_meta(EvfStore *store, const char *key, const char *value,
                            GError **error);
/* (transfer full): the keys that start with @prefix, without it, and their
 * values; empty if none, or if the state cannot be read. */
GHashTable *evf_store_get_meta_prefixed(EvfStore *store, const char *prefix);

/* (transfer full) (element-type utf8): the UIDs of the events published
 * now, as the last build recorded them (an empty set when they cannot be
 * read: the build's own reading of them says why). */
GHashTable *evf_store_published_uids(EvfStore *store);
