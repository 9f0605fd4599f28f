/*
 * store.c: the state database (see store.h). One connection, used from one
 * thread; write transactions start with BEGIN IMMEDIATE so that a second
 * writer waits for the busy timeout instead of deadlocking.
 */
#include "autoconf.h"
#include "store.h"

#include "autocleanups.h"
#include "event.h"
#include "util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct _EvfStore {
	sqlite3 *db;
	char *path;
	char *set_aside;    /* (nullable) evf_store_set_aside's message */
	GError *read_error; /* the first read that failed (note_read) */
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta ("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events ("
    "  uid TEXT PRIMARY KEY,"
    "  fingerprint TEXT NOT NULL,"
    "  sequence INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  modified INTEGER NOT NULL,"
    "  present INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sources ("
    "  name TEXT PRIMARY KEY, url TEXT, etag TEXT, last_modified TEXT,"
    "  body_hash TEXT, last_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_success INTEGER NOT NULL DEFAULT 0,"
    "  next_fetch INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
    "  failures INTEGER NOT NULL DEFAULT 0,"
    "  items INTEGER NOT NULL DEFAULT 0, held INTEGER NOT NULL DEFAULT 0,"
    "  gone INTEGER NOT NULL DEFAULT 0, moved_to TEXT);"
    "CREATE TABLE IF NOT EXISTS source_items ("
    "  source TEXT NOT NULL, uid TEXT NOT NULL, item BLOB NOT NULL,"
    "  PRIMARY KEY (source, uid));";

/* Why the state at @path cannot be written, as an errno (0 when it can):
 * the file's own, or its folder's (where the file and its journal are
 * made). SQLite, told it may not write, falls back to opening the file
 * read-only and then reports the errno of that last try ("No such file or
 * directory" for a state not yet made on a read-only file system). */
static int
why_not_writable(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);

	if (access(path, W_OK) < 0 && errno != ENOENT)
		return errno;
	return access(dir, W_OK | X_OK) == 0 ? 0 : errno;
}

/* Whether the state at @path and its -wal and -shm files, those there,
 * may be written; if not, sets @error naming the one that may not. Asked
 * before SQLite opens them: it falls back to reading a state it may not
 * write, and makes the -wal and -shm files as the state's mode says, read
 * only for one made so, where they stayed after the state was made
 * writable again, every build failing on "attempt to write a readonly
 * database", which named the state. */
static gboolean
state_writable(const char *path, GError **error)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	/* SQLite keeps them beside the file a link names */
	g_autofree char *real = realpath(path, NULL);

	for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		g_autofree char *file =
		    g_strconcat(real != NULL ? real : path, suffixes[i], NULL);
		int e;

		if (access(file, W_OK) == 0 || errno == ENOENT)
			continue;
		e = errno;
		return evf_throw(error, "state '%s': cannot write '%s': %s%s",
		                 path, file, g_strerror(e),
		                 i > 0 ? " (SQLite makes it with the state's "
		                         "mode: make it writable too)"
		                       : "");
	}
	return TRUE;
}

static gboolean
fail(EvfStore *store, GError **error, const char *what)
{
	int sys = sqlite3_system_errno(store->db);
	int code = sqlite3_errcode(store->db) & 0xff;

	if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY) {
		int why = why_not_writable(store->path);

		if (why != 0)
			sys = why;
	}

	/* "disk I/O error" alone hides a full disk: say what the system
	 * said. A damaged state has a code of its own (a build moves it
	 * aside). */
	g_set_error(error, EVF_ERROR,
	            code == SQLITE_CORRUPT || code == SQLITE_NOTADB
	                ? EVF_ERROR_DAMAGED
	                : EVF_ERROR_IO,
	            "state '%s': %s: %s%s%s", store->path, what,
	            sqlite3_errmsg(store->db), sys != 0 ? ": " : "",
	            sys != 0 ? g_strerror(sys) : "");
	return FALSE;
}

/* Keeps the first failure of a read whose caller goes on with what it
 * got (@rc, of sqlite3_prepare_v2 or sqlite3_step): a damaged page of
 * the state read as an empty one (evf_store_read_ok). */
static void
note_read(EvfStore *store, int rc)
{
	if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE &&
	    store->read_error == NULL)
		fail(store, &store->read_error, "cannot read");
}

gboolean
evf_store_read_ok(EvfStore *store, GError **error)
{
	if (store->read_error == NULL)
		return TRUE;
	g_propagate_error(error, g_error_copy(store->read_error));
	return FALSE;
}

static gboolean
exec(EvfStore *store, const char *sql, GError **error)
{
	if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(store, error, sql);
	return TRUE;
}

void
evf_store_free(EvfStore *store)
{
	if (store == NULL)
		return;
	sqlite3_close(store->db);
	g_clear_error(&store->read_error);
	g_free(store->path);
	g_free(store->set_aside);
	g_free(store);
}

/* A state an earlier evfeed wrote kept each source's URL as the
 * configuration gives it, password too: it now keeps a digest in its
 * place (evf_url_for_state), the same the next fetch compares with, so
 * nothing else changes. (Best effort: a state that cannot be written is
 * read as it is.) */
static void
forget_passwords(EvfStore *store)
{
	g_autoptr(sqlite3_stmt) get = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func(g_free);

	if (sqlite3_prepare_v2(store->db,
	                       "SELECT name, url FROM sources WHERE url LIKE "
	                       "'%@%' AND url NOT LIKE '% sha256:%'",
	                       -1, &get, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(get) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(get, 0);
		const char *url = (const char *)sqlite3_column_text(get, 1);
		g_autofree char *kept = evf_url_for_state(url);

		if (name != NULL && kept != NULL && strcmp(kept, url) != 0) {
			g_ptr_array_add(names, g_strdup(name));
			g_ptr_array_add(urls, g_steal_pointer(&kept));
		}
	}
	/* (the old text zeroed, not left in free space) */
	if (names->len > 0)
		sqlite3_exec(store->db, "PRAGMA secure_delete=ON", NULL, NULL,
		             NULL);
	for (guint i = 0; i < names->len; i++) {
		g_autoptr(sqlite3_stmt) put = NULL;

		if (sqlite3_prepare_v2(
		        store->db, "UPDATE sources SET url = ? WHERE name = ?",
		        -1, &put, NULL) != SQLITE_OK)
			break;
		sqlite3_bind_text(put, 1, g_ptr_array_index(urls, i), -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(put, 2, g_ptr_array_index(names, i), -1,
		                  SQLITE_STATIC);
		(void)sqlite3_step(put);
	}
	if (names->len > 0)
		sqlite3_exec(store->db, "PRAGMA secure_delete=OFF", NULL, NULL,
		             NULL);
}

static EvfStore *
store_open(const char *path, int create, GError **error)
{
	g_autoptr(EvfStore) store = g_new0(EvfStore, 1);
	int rc;

	store->path = g_strdup(path);
	if (!state_writable(path, error))
		return NULL;
	rc = sqlite3_open_v2(
	    path, &store->db,
	    SQLITE_OPEN_READWRITE | create | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (store->db == NULL) {
			evf_throw(error, "cannot open state '%s'", path);
			return NULL;
		}
		fail(store, error, "cannot open");
		return NULL;
	}
	sqlite3_extended_result_codes(store->db, 1);
	sqlite3_busy_timeout(store->db, 5000);
	if (!exec(store, "PRAGMA journal_mode=WAL", error) ||
	    !exec(store, "PRAGMA synchronous=NORMAL", error) ||
	    (sqlite3_exec(store->db, schema, NULL, NULL, NULL) != SQLITE_OK &&
	     !fail(store, error, "cannot create its tables"))) {
		g_prefix_error(error, "cannot open state: ");
		return NULL;
	}
	forget_passwords(store);
	return g_steal_pointer(&store);
}

char *
evf_store_set_aside(const char *path, const char *why)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%SZ");
	g_autofree char *aside = g_strdup_printf("%s.corrupt-%s", path, stamp);

	if (rename(path, aside) < 0)
		return NULL;
	for (guint i = 0; i < 2; i++) {
		const char *suffix = i == 0 ? "-wal" : "-shm";
		g_autofree char *from = g_strconcat(path, suffix, NULL);
		g_autofree char *to = g_strconcat(aside, suffix, NULL);

		rename(from, to);
	}
	return g_strdup_printf("%s; moved it to '%s' and started a new state",
	                       why, aside);
}

const char *
evf_store_set_aside_note(EvfStore *store)
{
	return store->set_aside;
}

EvfStore *
evf_store_open(const char *path, GError **error)
{
	g_autoptr(GError) first = NULL;
	g_autofree char *note = NULL;
	EvfStore *store;

	store = store_open(path, SQLITE_OPEN_CREATE, &first);
	if (store != NULL)
		return store;
	/* Not a database, or a damaged one: the state is a cache of what
	 * the event files and the partners say, so it is moved aside (kept
	 * for a post-mortem) and started afresh rather than crash-looping;
	 * a build then takes what it can of the old from the calendars it
	 * published (evf_store_seed). */
	if (!g_error_matches(first, EVF_ERROR, EVF_ERROR_DAMAGED) ||
	    (note = evf_store_set_aside(path, first->message)) == NULL) {
		g_propagate_error(error, g_steal_pointer(&first));
		return NULL;
	}
	store = store_open(path, SQLITE_OPEN_CREATE, error);
	if (store != NULL)
		store->set_aside = g_steal_pointer(&note);
	return store;
}

gboolean
evf_store_is_new(EvfStore *store)
{
	g_autoptr(sqlite3_stmt) st = NULL;

	return sqlite3_prepare_v2(store->db, "SELECT 1 FROM events LIMIT 1", -1,
	                          &st, NULL) == SQLITE_OK &&
	       sqlite3_step(st) == SQLITE_DONE;
}

gboolean
evf_store_seed(EvfStore *store, GPtrArray *seeds, guint *changed,
               GError **error)
{
	guint n = 0;

	g_autoptr(sqlite3_stmt) put = NULL;
	gint64 last = 0;

	if (!exec(store, "BEGIN IMMEDIATE", error))
		return FALSE;
	/* An event the state knows keeps what it knows, but never less
	 * than was published: the higher SEQUENCE and LAST-MODIFIED, the
	 * earlier first-seen time (a second apart at least, as published
	 * times are whole seconds). A revision published that the state did
	 * not record (a state restored from a backup, its events folder
	 * with it) may hold what the file no longer says: the state's
	 * fingerprint of the file is forgotten, and the next build
	 * publishes the event once more, as a revision of its own (its
	 * SEQUENCE one higher), not under the SEQUENCE and LAST-MODIFIED of
	 * the one subscribers have. */
	if (sqlite3_prepare_v2(
	        store->db,
	        "INSERT INTO events VALUES (?, '', ?, ?, ?, 0) "
	        "ON CONFLICT(uid) DO UPDATE SET "
	        "fingerprint = CASE WHEN excluded.sequence > sequence OR "
	        "excluded.modified > modified + 1000000 THEN '' "
	        "ELSE fingerprint END, "
	        "sequence = MAX(sequence, excluded.sequence), "
	        "created = CASE WHEN excluded.created < created - 1000000 "
	        "THEN excluded.created ELSE created END, "
	        "modified = CASE WHEN excluded.modified > modified + 1000000 "
	        "THEN excluded.modified ELSE modified END "
	        "WHERE excluded.sequence > sequence OR "
	        "excluded.created < created - 1000000 OR "
	        "excluded.modified > modified + 1000000",
	        -1, &put, NULL) != SQLITE_OK) {
		fail(store, error, "cannot seed the events");
		goto rollback;
	}
	for (guint i = 0; i < seeds->len; i++) {
		const EvfSeed *e = g_ptr_array_index(seeds, i);

		sqlite3_reset(put);
		sqlite3_bind_text(put, 1, e->uid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(put, 2, e->sequence);
		sqlite3_bind_int64(put, 3, e->created);
		sqlite3_bind_int64(put, 4, e->modified);
		if (sqlite3_step(put) != SQLITE_DONE) {
			fail(store, error, "cannot seed the events");
			goto rollback;
		}
		n += (guint)sqlite3_changes(store->db);
		last = MAX(last, e->modified);
	}
	{
		g_autofree char *was = evf_store_get_meta(store, "last_change");

		if (was != NULL &&
		    g_ascii_strtoll(was, NULL, 10) + G_USEC_PER_SEC >= last)
			last = 0;
	}
	if (last > 0) {
		g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT, last);

		if (!evf_store_set_meta(store, "last_change", v, error))
			goto rollback;
	}
	if (changed != NULL)
		*changed = n;
	return exec(store, "COMMIT", error);

rollback:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

EvfStore *
evf_store_open_existing(const char *path, GError **error)
{
	return store_open(path, 0, error);
}

EvfStore *
evf_store_open_in_place(const char *path, GError **error)
{
	return store_open(path, SQLITE_OPEN_CREATE, error);
}

EvfStore *
evf_store_open_readonly(const char *path, GError **error)
{
	g_autoptr(EvfStore) store = g_new0(EvfStore, 1);
	g_autofree char *base = g_filename_to_uri(path, NULL, error);
	g_autofree char *uri = NULL;

	if (base == NULL)
		return NULL;
	/* immutable: no -shm or -wal is created, so it works on a full or
	 * read-only disk (a state closed cleanly has its WAL folded in). */
	uri = g_strconcat(base, "?immutable=1", NULL);
	store->path = g_strdup(path);
	if (sqlite3_open_v2(uri, &store->db,
	                    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	                        SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		if (store->db != NULL)
			fail(store, error, "cannot open for reading");
		else
			evf_throw(error, "cannot open state '%s'", path);
		return NULL;
	}
	return g_steal_pointer(&store);
}

typedef struct {
	char *fingerprint;
	guint sequence;
	gint64 created;
	gint64 modified;
	gboolean present;
	gboolean seen;
	gboolean dirty; /* to be saved */
	gboolean fresh; /* not in the state before */
	/* removed before, and back with another fingerprint (not one
	 * seeded from the output, which has none: evf_store_seed) */
	gboolean back;
	gboolean returned; /* removed before, and back, however it is */
	/* as the state had it, for evf_store_track_undo (not of a fresh
	 * row); was_fingerprint once the fingerprint is replaced */
	char *was_fingerprint;
	guint was_sequence;
	gint64 was_created;
	gint64 was_modified;
	gboolean was_present;
} Row;

struct _EvfStoreTrack {
	GHashTable *rows; /* uid → Row: every event's, the dirty saved */
	gint64 last_change;
	char *was_last_change; /* (nullable) the state's, as it was */
	gint64 ahead;          /* the last change recorded, when it was ahead */
	gint64 later; /* the latest time given after the clock's, if far */
};

void
evf_store_track_free(EvfStoreTrack *t)
{
	if (t == NULL)
		return;
	g_hash_table_unref(t->rows);
	g_free(t->was_last_change);
	g_free(t);
}

static void
row_free(gpointer p)
{
	Row *r = p;

	g_free(r->fingerprint);
	g_free(r->was_fingerprint);
	g_free(r);
}

/* Gives @r the fingerprint @fingerprint, keeping the one the state had
 * (evf_store_track_undo). */
static void
row_set_fingerprint(Row *r, const char *fingerprint)
{
	if (r->was_fingerprint == NULL && !r->fresh)
		r->was_fingerprint = r->fingerprint;
	else
		g_free(r->fingerprint);
	r->fingerprint = g_strdup(fingerprint);
}

/* New stamps are whole milliseconds: feed readers such as ROME take the
 * digits after the second as milliseconds, so that ".075372" would read as
 * 75 s later; three digits mean the same to every reader. */
#define STAMP_STEP G_GINT64_CONSTANT(1000)

/* @t rounded up to a whole step. */
static gint64
ceil_step(gint64 t)
{
	gint64 r = t % STAMP_STEP;

	return r == 0 ? t : t + (r > 0 ? STAMP_STEP - r : -r);
}

/* How far ahead of the clock a stored time must be to have been set by a
 * clock that was ahead: more than clocks that are right disagree by. */
#define CLOCK_AHEAD (G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC)
#define CLOCK_SANE  (EVF_CLOCK_SANE * G_USEC_PER_SEC)
/* How far after the clock a change's time may go unsaid: those given
 * after it when thousands change within seconds of the last build
 * (free_times) stay well within it. */
#define CLOCK_LATER (G_GINT64_CONSTANT(60) * G_USEC_PER_SEC)

/* Whether @last_change, the site's last change the state recorded, was
 * given by a clock that was ahead: far ahead of the clock at @now, with
 * an earlier change behind it (@before_now, 0 for none), or else a clock
 * that reads a time after this program was written (one reset to 1970 is
 * the clock that is wrong). */
static gboolean
was_ahead(gint64 last_change, gint64 before_now, gint64 now)
{
	return last_change > now + CLOCK_AHEAD &&
	       (before_now > 0 || now >= CLOCK_SANE);
}

/* Distinct times for the @n changes of one build, in ascending order.
 * They go backwards from the build's time, so that nothing is published
 * in the future however many events change at once, and stay after the
 * site's last change (@floor), so that one build's listings are newer
 * than the last's; only when that window is full (thousands of changes
 * within seconds of the last build) do they go on after @now. @used holds
 * every time already taken; *@up is left at the first time after them
 * that may be free. */
static GArray *
free_times(GHashTable *used, gint64 now, gint64 floor, guint n, gint64 *up)
{
	GArray *times = g_array_sized_new(FALSE, FALSE, sizeof(gint64), n);
	gint64 t = now - now % STAMP_STEP;
	gint64 u = ceil_step(MAX(t, floor) + 1);
	guint down;

	for (; times->len < n && t > floor; t -= STAMP_STEP)
		if (!g_hash_table_contains(used, &t))
			g_array_append_val(times, t);
	down = times->len;
	for (guint i = 0; i < down / 2; i++) {
		gint64 x = g_array_index(times, gint64, i);

		g_array_index(times, gint64, i) =
		    g_array_index(times, gint64, down - 1 - i);
		g_array_index(times, gint64, down - 1 - i) = x;
	}
	for (; times->len < n; u += STAMP_STEP)
		if (!g_hash_table_contains(used, &u))
			g_array_append_val(times, u);
	*up = u;
	return times;
}

/* The first time from *@up on that is free and after @after (for a state
 * whose last change was lost). */
static gint64
free_time_after(GHashTable *used, gint64 *up, gint64 after)
{
	gint64 t = MAX(*up, ceil_step(after + 1));

	while (g_hash_table_contains(used, &t))
		t += STAMP_STEP;
	*up = t + STAMP_STEP;
	return t;
}

/* The order of the events' rows in @rows (uid → Row) by modification. */
static gint
modified_cmp(gconstpointer a, gconstpointer b, gpointer rows)
{
	const Row *x = g_hash_table_lookup(rows, (*(EvfEvent *const *)a)->uid);
	const Row *y = g_hash_table_lookup(rows, (*(EvfEvent *const *)b)->uid);

	return (x->modified > y->modified) - (x->modified < y->modified);
}

static gboolean
save_row(EvfStore *store, sqlite3_stmt *st, const char *uid, const Row *r,
         GError **error)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->sequence);
	sqlite3_bind_int64(st, 4, r->created);
	sqlite3_bind_int64(st, 5, r->modified);
	sqlite3_bind_int(st, 6, r->present);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(store, error, "cannot save an event");
	return TRUE;
}

EvfStoreTrack *
evf_store_track_prepare(EvfStore *store, GPtrArray *events, gint64 now,
                        gint64 *updated, GError **error)
{
	g_autoptr(GHashTable) rows =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, row_free);
	g_autoptr(GHashTable) used =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g_autoptr(GPtrArray) changed = g_ptr_array_new();
	g_autoptr(GPtrArray) restamped = g_ptr_array_new();
	g_autoptr(GArray) times = NULL;
	gint64 up, removed_at;
	g_autoptr(sqlite3_stmt) sel = NULL;
	EvfStoreTrack *track;
	g_autofree char *last = NULL;
	gint64 last_change = 0;
	gint64 before_now = 0; /* the last change stored that is not ahead */
	gboolean skewed;
	gint64 ahead = 0;
	gint64 later = 0;
	GHashTableIter it;
	gpointer key, value;
	int rc;

	/* read as one snapshot; written by evf_store_track_save */
	if (!exec(store, "BEGIN", error))
		return NULL;
	last = evf_store_get_meta(store, "last_change");
	if (last != NULL)
		last_change = g_ascii_strtoll(last, NULL, 10);

	if (sqlite3_prepare_v2(store->db,
	                       "SELECT uid, fingerprint, sequence, created, "
	                       "modified, present FROM events",
	                       -1, &sel, NULL) != SQLITE_OK) {
		fail(store, error, "cannot read events");
		goto rollback;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		Row *r = g_new0(Row, 1);

		r->fingerprint =
		    g_strdup((const char *)sqlite3_column_text(sel, 1));
		r->sequence = (guint)sqlite3_column_int64(sel, 2);
		r->created = sqlite3_column_int64(sel, 3);
		r->modified = sqlite3_column_int64(sel, 4);
		r->present = sqlite3_column_int(sel, 5);
		r->was_sequence = r->sequence;
		r->was_created = r->created;
		r->was_modified = r->modified;
		r->was_present = r->present;
		if (r->modified <= now)
			before_now = MAX(before_now, r->modified);
		g_hash_table_add(used, g_memdup2(&r->modified, sizeof(gint64)));
		g_hash_table_insert(
		    rows, g_strdup((const char *)sqlite3_column_text(sel, 0)),
		    r);
	}
	if (rc != SQLITE_DONE) {
		fail(store, error, "cannot read events");
		goto rollback;
	}
	/* The site's last change far ahead of the clock, and earlier changes
	 * behind it: a build ran while the clock was ahead. Its times would
	 * hold every later one in the future, and count upcoming events as
	 * past, until the clock caught up; they are taken back to the clock
	 * (with no earlier change to go by, a clock that reads a time before
	 * this program was written is the one that is wrong, as one reset to
	 * 1970 is, and the times stay). */
	skewed = was_ahead(last_change, before_now, now);
	if (skewed) {
		ahead = last_change;
		last_change = before_now;
	}

	/* First the rows that change: new events, and those edited or back
	 * after removal. */
	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		Row *r = g_hash_table_lookup(rows, ev->uid);

		if (r == NULL) {
			r = g_new0(Row, 1);
			r->modified = G_MININT64; /* none yet: created too */
			r->fresh = TRUE;
			g_hash_table_insert(rows, g_strdup(ev->uid), r);
			g_ptr_array_add(changed, ev);
		} else if (r->present && ev->fingerprint_dated != NULL &&
		           strcmp(r->fingerprint, ev->fingerprint_dated) == 0) {
			/* recorded by an earlier version, with the partner's
			 * date in it: the same content, recorded anew */
			row_set_fingerprint(r, ev->fingerprint);
			r->dirty = TRUE;
		} else if (!r->present ||
		           strcmp(r->fingerprint, ev->fingerprint) != 0) {
			r->returned = !r->present;
			r->back = !r->present && r->fingerprint[0] != '\0' &&
			          strcmp(r->fingerprint, ev->fingerprint) != 0;
			r->sequence++;
			g_ptr_array_add(changed, ev);
		} else if (skewed && r->modified > now + CLOCK_AHEAD) {
			/* restamped, not changed: the same SEQUENCE */
			g_ptr_array_add(restamped, ev);
		}
		r->seen = TRUE;
	}
	/* Changes made at once are stamped in the order of @events, which
	 * the catalogue keeps sorted, after the times taken back from ahead
	 * of the clock, in their order. */
	if (restamped->len > 0) {
		g_ptr_array_sort_with_data(restamped, modified_cmp, rows);
		g_ptr_array_extend(restamped, changed, NULL, NULL);
		g_ptr_array_unref(changed);
		changed = g_steal_pointer(&restamped);
	}
	/* A removal is a change of the site too: it moves the site's time
	 * to @now, or just after the last change if that is later. */
	removed_at = MAX(now - now % STAMP_STEP, ceil_step(last_change + 1));
	times = free_times(used, now, last_change, changed->len, &up);
	for (guint i = 0; i < changed->len; i++) {
		EvfEvent *ev = g_ptr_array_index(changed, i);
		Row *r = g_hash_table_lookup(rows, ev->uid);
		gint64 t = g_array_index(times, gint64, i);
		/* The calendars show LAST-MODIFIED in whole seconds: an
		 * edit moves it to a later second, even one made within the
		 * second of the last. */
		gint64 after =
		    r->modified == G_MININT64 ||
		            (skewed && r->modified > now + CLOCK_AHEAD)
		        ? G_MININT64
		        : r->modified - r->modified % G_USEC_PER_SEC +
		              G_USEC_PER_SEC - 1;

		if (t <= after)
			t = free_time_after(used, &up, after);
		if (r->modified == G_MININT64 || r->created > t)
			r->created = t;
		/* A new listing whose published: (not in the future) comes
		 * after the time counted back for it, within the build's own
		 * second: first seen when its editor says, as no reader was
		 * told of it before; and changed then too, unless an earlier
		 * change has that time (a later one of this build takes the
		 * time counted back for this one instead: they are all
		 * new). */
		if (r->fresh && ev->source == NULL && ev->published > t &&
		    ev->published <= now) {
			gboolean vacant =
			    !g_hash_table_contains(used, &ev->published);

			r->created = ev->published;
			for (guint j = 0; vacant && j < times->len; j++) {
				gint64 *o = &g_array_index(times, gint64, j);

				if (*o != ev->published || j == i)
					continue;
				if (j < i)
					vacant = FALSE;
				else
					*o = t;
			}
			if (vacant)
				t = ev->published;
		}
		r->modified = t;
		row_set_fingerprint(r, ev->fingerprint);
		r->present = TRUE;
		r->dirty = TRUE;
		last_change = MAX(last_change, r->modified);
		if (t > now + CLOCK_LATER)
			later = MAX(later, t);
	}
	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		Row *r = g_hash_table_lookup(rows, ev->uid);

		/* A partner's item keeps the earliest publication date its
		 * source gave as when it was first seen: a partner that moves
		 * an item's date to each of its edits (many RSS feeds) does
		 * not move it up the site's feeds. */
		if (ev->source != NULL &&
		    ev->published >= EVF_EARLIEST_PUBDATE &&
		    ev->published < r->created) {
			r->created = ev->published;
			r->dirty = TRUE;
		}
		ev->created = r->created;
		ev->modified = r->modified;
		ev->sequence = r->sequence;
	}
	g_hash_table_iter_init(&it, rows);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		Row *r = value;

		if (r->seen || !r->present)
			continue;
		r->present = FALSE;
		r->dirty = TRUE;
		last_change = MAX(last_change, removed_at);
	}
	if (last_change == 0)
		last_change = removed_at;
	if (!exec(store, "COMMIT", error))
		goto rollback;
	*updated = last_change;
	track = g_new0(EvfStoreTrack, 1);
	track->rows = g_steal_pointer(&rows);
	track->last_change = last_change;
	track->was_last_change = g_steal_pointer(&last);
	track->ahead = ahead;
	track->later = later;
	return track;

rollback:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return NULL;
}

gboolean
evf_store_track_is_new(const EvfStoreTrack *track, const char *uid)
{
	const Row *r = g_hash_table_lookup(track->rows, uid);

	return r != NULL && r->fresh;
}

gboolean
evf_store_track_is_returning(const EvfStoreTrack *track, const char *uid)
{
	const Row *r = g_hash_table_lookup(track->rows, uid);

	return r != NULL && r->returned;
}

gboolean
evf_store_track_is_back(const EvfStoreTrack *track, const char *uid,
                        gint64 *created)
{
	const Row *r = g_hash_table_lookup(track->rows, uid);

	if (r == NULL || !r->back)
		return FALSE;
	*created = r->created;
	return TRUE;
}

gboolean
evf_store_is_ahead(EvfStore *store, gint64 now)
{
	g_autofree char *last = evf_store_get_meta(store, "last_change");

	/* (an earlier change behind the clock is not looked for: one ahead
	 * needs a clock that reads a time after CLOCK_SANE then) */
	return last != NULL &&
	       was_ahead(g_ascii_strtoll(last, NULL, 10), 0, now);
}

gint64
evf_store_track_ahead(const EvfStoreTrack *track)
{
	return track->ahead;
}

gint64
evf_store_track_later(const EvfStoreTrack *track)
{
	return track->later;
}

/* Writes the rows @track changes and the site's last change, in one
 * transaction: as it worked them out, or (@undo) as they were before. */
static gboolean
put_track(EvfStore *store, EvfStoreTrack *track, gboolean undo, GError **error)
{
	g_autoptr(sqlite3_stmt) put = NULL;
	g_autoptr(sqlite3_stmt) del = NULL;
	g_autofree char *v =
	    undo ? g_strdup(track->was_last_change)
	         : g_strdup_printf("%" G_GINT64_FORMAT, track->last_change);
	GHashTableIter it;
	gpointer key, value;

	if (!exec(store, "BEGIN IMMEDIATE", error))
		return FALSE;
	if (sqlite3_prepare_v2(store->db,
	                       "INSERT OR REPLACE INTO events VALUES "
	                       "(?, ?, ?, ?, ?, ?)",
	                       -1, &put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(store->db, "DELETE FROM events WHERE uid = ?",
	                       -1, &del, NULL) != SQLITE_OK) {
		fail(store, error, "cannot save an event");
		goto rollback;
	}
	g_hash_table_iter_init(&it, track->rows);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const Row *r = value;
		Row was;

		if (!r->dirty)
			continue;
		if (!undo) {
			if (!save_row(store, put, key, r, error))
				goto rollback;
			continue;
		}
		/* a new one goes; any other is as it was */
		if (r->fresh) {
			sqlite3_reset(del);
			sqlite3_bind_text(del, 1, key, -1, SQLITE_STATIC);
			if (sqlite3_step(del) != SQLITE_DONE) {
				fail(store, error, "cannot save an event");
				goto rollback;
			}
			continue;
		}
		was = (Row){ .fingerprint = r->was_fingerprint != NULL
			                        ? r->was_fingerprint
			                        : r->fingerprint,
			     .sequence = r->was_sequence,
			     .created = r->was_created,
			     .modified = r->was_modified,
			     .present = r->was_present };
		if (!save_row(store, put, key, &was, error))
			goto rollback;
	}
	if ((v != NULL
	         ? !evf_store_set_meta(store, "last_change", v, error)
	         : !exec(store, "DELETE FROM meta WHERE key = 'last_change'",
	                 error)) ||
	    !exec(store, "COMMIT", error))
		goto rollback;
	return TRUE;

rollback:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

gboolean
evf_store_track_save(EvfStore *store, EvfStoreTrack *track, GError **error)
{
	return put_track(store, track, FALSE, error);
}

gboolean
evf_store_track_undo(EvfStore *store, EvfStoreTrack *track, GError **error)
{
	return put_track(store, track, TRUE, error);
}

gboolean
evf_store_track(EvfStore *store, GPtrArray *events, gint64 now, gint64 *updated,
                GError **error)
{
	EvfStoreTrack *track =
	    evf_store_track_prepare(store, events, now, updated, error);
	gboolean ok =
	    track != NULL && evf_store_track_save(store, track, error);

	evf_store_track_free(track);
	return ok;
}

char *
evf_store_get_meta(EvfStore *store, const char *key)
{
	g_autoptr(sqlite3_stmt) st = NULL;
	int rc = sqlite3_prepare_v2(
	    store->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL);

	if (rc != SQLITE_OK) {
		note_read(store, rc);
		return NULL;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		note_read(store, rc);
		return NULL;
	}
	return g_strdup((const char *)sqlite3_column_text(st, 0));
}

GHashTable *
evf_store_get_meta_prefixed(EvfStore *store, const char *prefix)
{
	GHashTable *out =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(sqlite3_stmt) st = NULL;
	size_t n = strlen(prefix);
	int rc;

	/* substr() counts characters, the prefix's bytes: an ASCII prefix */
	g_return_val_if_fail(g_str_is_ascii(prefix), out);
	if ((rc = sqlite3_prepare_v2(store->db,
	                             "SELECT key, value FROM meta "
	                             "WHERE substr(key, 1, ?1) = ?2",
	                             -1, &st, NULL)) != SQLITE_OK) {
		note_read(store, rc);
		return out;
	}
	sqlite3_bind_int(st, 1, (int)n);
	sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_insert(
		    out, g_strdup((const char *)sqlite3_column_text(st, 0) + n),
		    g_strdup((const char *)sqlite3_column_text(st, 1)));
	note_read(store, rc);
	return out;
}

GHashTable *
evf_store_published_uids(EvfStore *store)
{
	GHashTable *out =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(sqlite3_stmt) st = NULL;
	int rc = sqlite3_prepare_v2(
	    store->db, "SELECT uid FROM events WHERE present", -1, &st, NULL);

	if (rc != SQLITE_OK) {
		note_read(store, rc);
		return out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_add(
		    out, g_strdup((const char *)sqlite3_column_text(st, 0)));
	note_read(store, rc);
	return out;
}

gboolean
evf_store_set_meta(EvfStore *store, const char *key, const char *value,
                   GError **error)
{
	g_autoptr(sqlite3_stmt) st = NULL;

	if (sqlite3_prepare_v2(store->db,
	                       "INSERT OR REPLACE INTO meta VALUES (?, ?)", -1,
	                       &st, NULL) != SQLITE_OK)
		return fail(store, error, "cannot write");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(store, error, "cannot write");
	return TRUE;
}

void
evf_source_state_free(EvfSourceState *st)
{
	if (st == NULL)
		return;
	g_free(st->name);
	g_free(st->url);
	g_free(st->etag);
	g_free(st->last_modified);
	g_free(st->body_hash);
	g_free(st->last_error);
	g_free(st->moved_to);
	g_free(st);
}

static char *
column_str(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v != NULL ? g_strdup((const char *)v) : NULL;
}

static EvfSourceState *
source_from_row(sqlite3_stmt *st)
{
	EvfSourceState *s = g_new0(EvfSourceState, 1);

	s->name = column_str(st, 0);
	s->url = column_str(st, 1);
	s->etag = column_str(st, 2);
	s->last_modified = column_str(st, 3);
	s->body_hash = column_str(st, 4);
	s->last_attempt = sqlite3_column_int64(st, 5);
	s->last_success = sqlite3_column_int64(st, 6);
	s->next_fetch = sqlite3_column_int64(st, 7);
	s->last_error = column_str(st, 8);
	s->failures = (guint)sqlite3_column_int64(st, 9);
	s->items = (guint)sqlite3_column_int64(st, 10);
	s->held = (guint)sqlite3_column_int64(st, 11);
	s->gone = sqlite3_column_int(st, 12) != 0;
	s->moved_to = column_str(st, 13);
	return s;
}

#define SOURCE_COLUMNS                                                        \
	"name, url, etag, last_modified, body_hash, last_attempt, "           \
	"last_success, next_fetch, last_error, failures, items, held, gone, " \
	"moved_to"

EvfSourceState *
evf_store_get_source(EvfStore *store, const char *name)
{
	g_autoptr(sqlite3_stmt) st = NULL;
	EvfSourceState *s;

	if (store != NULL && sqlite3_prepare_v2(store->db,
	                                        "SELECT " SOURCE_COLUMNS
	                                        " FROM sources WHERE name = ?",
	                                        -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			return source_from_row(st);
	}
	s = g_new0(EvfSourceState, 1);
	s->name = g_strdup(name);
	return s;
}

GPtrArray *
evf_store_list_sources(EvfStore *store)
{
	g_autoptr(sqlite3_stmt) st = NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_source_state_free);

	if (sqlite3_prepare_v2(store->db,
	                       "SELECT " SOURCE_COLUMNS
	                       " FROM sources ORDER BY name",
	                       -1, &st, NULL) != SQLITE_OK)
		return out;
	while (sqlite3_step(st) == SQLITE_ROW)
		g_ptr_array_add(out, source_from_row(st));
	return out;
}

static gboolean
put_source(EvfStore *store, const EvfSourceState *s, GError **error)
{
	g_autoptr(sqlite3_stmt) st = NULL;

	if (sqlite3_prepare_v2(store->db,
	                       "INSERT OR REPLACE INTO sources (" SOURCE_COLUMNS
	                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	                       "?, ?)",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(store, error, "cannot save a source");
	sqlite3_bind_text(st, 1, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->etag, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s->last_modified, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, s->body_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, s->last_attempt);
	sqlite3_bind_int64(st, 7, s->last_success);
	sqlite3_bind_int64(st, 8, s->next_fetch);
	sqlite3_bind_text(st, 9, s->last_error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, s->failures);
	sqlite3_bind_int64(st, 11, s->items);
	sqlite3_bind_int64(st, 12, s->held);
	sqlite3_bind_int(st, 13, s->gone);
	sqlite3_bind_text(st, 14, s->moved_to, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(store, error, "cannot save a source");
	return TRUE;
}

gboolean
evf_store_put_source(EvfStore *store, const EvfSourceState *s, GError **error)
{
	return put_source(store, s, error);
}

gboolean
evf_store_set_source_items(EvfStore *store, const EvfSourceState *s,
                           GPtrArray *events, GError **error)
{
	g_autoptr(sqlite3_stmt) del = NULL;
	g_autoptr(sqlite3_stmt) ins = NULL;

	if (!exec(store, "BEGIN IMMEDIATE", error))
		return FALSE;
	if (sqlite3_prepare_v2(store->db,
	                       "DELETE FROM source_items WHERE source = ?", -1,
	                       &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(store->db,
	                       "INSERT OR REPLACE INTO source_items VALUES "
	                       "(?, ?, ?)",
	                       -1, &ins, NULL) != SQLITE_OK) {
		fail(store, error, "cannot save the items");
		goto rollback;
	}
	sqlite3_bind_text(del, 1, s->name, -1, SQLITE_STATIC);
	if (sqlite3_step(del) != SQLITE_DONE) {
		fail(store, error, "cannot save the items");
		goto rollback;
	}
	for (guint i = 0; i < events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(events, i);
		g_autoptr(GVariant) v = evf_event_serialize(ev);

		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, s->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, ev->uid, -1, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 3, g_variant_get_data(v),
		                  (int)g_variant_get_size(v), SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fail(store, error, "cannot save the items");
			goto rollback;
		}
	}
	if (!put_source(store, s, error) || !exec(store, "COMMIT", error))
		goto rollback;
	return TRUE;

rollback:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

GPtrArray *
evf_store_get_source_items(EvfStore *store, const char *name)
{
	g_autoptr(sqlite3_stmt) st = NULL;
	GPtrArray *out =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	int rc = sqlite3_prepare_v2(store->db,
	                            "SELECT item FROM source_items WHERE "
	                            "source = ? ORDER BY uid",
	                            -1, &st, NULL);

	if (rc != SQLITE_OK) {
		note_read(store, rc);
		return out;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gsize len = (gsize)sqlite3_column_bytes(st, 0);
		g_autoptr(GBytes) b =
		    g_bytes_new(sqlite3_column_blob(st, 0), len);
		g_autoptr(GVariant) v = g_variant_ref_sink(
		    g_variant_new_from_bytes(G_VARIANT_TYPE_VARDICT, b, FALSE));
		EvfEvent *ev = evf_event_deserialize(v);

		/* A row that does not read back is dropped, not fatal. */
		if (ev != NULL)
			g_ptr_array_add(out, ev);
	}
	note_read(store, rc);
	return out;
}

gboolean
evf_store_shift_schedules(EvfStore *store, gint64 delta, GError **error)
{
	g_autoptr(sqlite3_stmt) st = NULL;

	if (sqlite3_prepare_v2(store->db,
	                       "UPDATE sources SET next_fetch = next_fetch + ? "
	                       "WHERE next_fetch > 0",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(store, error, "cannot move the fetch schedule");
	sqlite3_bind_int64(st, 1, delta);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(store, error, "cannot move the fetch schedule");
	return TRUE;
}

gboolean
evf_store_rename_source(EvfStore *store, const char *from, const char *to,
                        GError **error)
{
	static const char *const sql[] = {
		"UPDATE source_items SET source = ?2 WHERE source = ?1",
		/* fetched again in full, and read with its new section's
		 * settings (format=, include=), not taken as unchanged */
		"UPDATE sources SET name = ?2, etag = NULL, "
		"last_modified = NULL, body_hash = NULL, next_fetch = 0 "
		"WHERE name = ?1",
	};

	if (!evf_store_forget_source(store, to, error))
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(sql); i++) {
		g_autoptr(sqlite3_stmt) st = NULL;

		if (sqlite3_prepare_v2(store->db, sql[i], -1, &st, NULL) !=
		    SQLITE_OK)
			return fail(store, error, "cannot rename a source");
		sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return fail(store, error, "cannot rename a source");
	}
	return TRUE;
}

gboolean
evf_store_forget_source(EvfStore *store, const char *name, GError **error)
{
	g_autoptr(sqlite3_stmt) a = NULL;
	g_autoptr(sqlite3_stmt) b = NULL;

	if (sqlite3_prepare_v2(store->db,
	                       "DELETE FROM source_items WHERE source = ?", -1,
	                       &a, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(store->db, "DELETE FROM sources WHERE name = ?",
	                       -1, &b, NULL) != SQLITE_OK)
		return fail(store, error, "cannot forget a source");
	sqlite3_bind_text(a, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(b, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(a) != SQLITE_DONE || sqlite3_step(b) != SQLITE_DONE)
		return fail(store, error, "cannot forget a source");
	return TRUE;
}
