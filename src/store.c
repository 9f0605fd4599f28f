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

#include <sqlite3.h>
#include <string.h>

struct _EvfStore {
	sqlite3 *db;
	char *path;
};

static const char schema[] = "CREATE TABLE IF NOT EXISTS meta ("
                             "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                             "CREATE TABLE IF NOT EXISTS events ("
                             "  uid TEXT PRIMARY KEY,"
                             "  fingerprint TEXT NOT NULL,"
                             "  sequence INTEGER NOT NULL,"
                             "  created INTEGER NOT NULL,"
                             "  modified INTEGER NOT NULL,"
                             "  present INTEGER NOT NULL);";

static gboolean
fail(EvfStore *store, GError **error, const char *what)
{
	g_set_error(error, EVF_ERROR, EVF_ERROR_IO, "state '%s': %s: %s",
	            store->path, what, sqlite3_errmsg(store->db));
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
	g_free(store->path);
	g_free(store);
}

EvfStore *
evf_store_open(const char *path, GError **error)
{
	g_autoptr(EvfStore) store = g_new0(EvfStore, 1);
	int rc;

	store->path = g_strdup(path);
	rc = sqlite3_open_v2(path, &store->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                         SQLITE_OPEN_NOMUTEX,
	                     NULL);
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
	    !exec(store, schema, error)) {
		g_prefix_error(error, "cannot open state: ");
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
} Row;

static void
row_free(gpointer p)
{
	Row *r = p;

	g_free(r->fingerprint);
	g_free(r);
}

/* A LAST-MODIFIED at @now that no other event has, and later than @after. */
static gint64
unique_time(GHashTable *used, gint64 now, gint64 after)
{
	gint64 t = MAX(now, after + 1);

	while (g_hash_table_contains(used, &t))
		t++;
	g_hash_table_add(used, g_memdup2(&t, sizeof t));
	return t;
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

gboolean
evf_store_track(EvfStore *store, GPtrArray *events, gint64 now, gint64 *updated,
                GError **error)
{
	g_autoptr(GHashTable) rows =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, row_free);
	g_autoptr(GHashTable) used =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g_autoptr(sqlite3_stmt) sel = NULL;
	g_autoptr(sqlite3_stmt) put = NULL;
	g_autofree char *last = NULL;
	gint64 last_change = 0;
	GHashTableIter it;
	gpointer key, value;
	int rc;

	if (!exec(store, "BEGIN IMMEDIATE", error))
		return FALSE;
	last = evf_store_get_meta(store, "last_change");
	if (last != NULL)
		last_change = g_ascii_strtoll(last, NULL, 10);

	if (sqlite3_prepare_v2(store->db,
	                       "SELECT uid, fingerprint, sequence, created, "
	                       "modified, present FROM events",
	                       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(store->db,
	                       "INSERT OR REPLACE INTO events VALUES "
	                       "(?, ?, ?, ?, ?, ?)",
	                       -1, &put, NULL) != SQLITE_OK) {
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
		g_hash_table_add(used, g_memdup2(&r->modified, sizeof(gint64)));
		g_hash_table_insert(
		    rows, g_strdup((const char *)sqlite3_column_text(sel, 0)),
		    r);
	}
	if (rc != SQLITE_DONE) {
		fail(store, error, "cannot read events");
		goto rollback;
	}

	/* Changes made at once are stamped in the order of @events, which
	 * the catalogue keeps sorted. */
	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		Row *r = g_hash_table_lookup(rows, ev->uid);

		if (r == NULL) {
			r = g_new0(Row, 1);
			r->fingerprint = g_strdup(ev->fingerprint);
			r->modified = unique_time(used, now, 0);
			r->created = r->modified;
			r->present = TRUE;
			g_hash_table_insert(rows, g_strdup(ev->uid), r);
			if (!save_row(store, put, ev->uid, r, error))
				goto rollback;
			last_change = MAX(last_change, r->modified);
		} else if (!r->present ||
		           strcmp(r->fingerprint, ev->fingerprint) != 0) {
			g_free(r->fingerprint);
			r->fingerprint = g_strdup(ev->fingerprint);
			r->sequence++;
			r->modified = unique_time(used, now, r->modified);
			r->present = TRUE;
			if (!save_row(store, put, ev->uid, r, error))
				goto rollback;
			last_change = MAX(last_change, r->modified);
		}
		r->seen = TRUE;
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
		if (!save_row(store, put, key, r, error))
			goto rollback;
		last_change = MAX(last_change, now);
	}
	if (last_change == 0)
		last_change = now;
	{
		g_autofree char *v =
		    g_strdup_printf("%" G_GINT64_FORMAT, last_change);
		if (!evf_store_set_meta(store, "last_change", v, error))
			goto rollback;
	}
	if (!exec(store, "COMMIT", error))
		goto rollback;
	*updated = last_change;
	return TRUE;

rollback:
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

char *
evf_store_get_meta(EvfStore *store, const char *key)
{
	g_autoptr(sqlite3_stmt) st = NULL;

	if (sqlite3_prepare_v2(store->db,
	                       "SELECT value FROM meta WHERE key = ?", -1, &st,
	                       NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	return g_strdup((const char *)sqlite3_column_text(st, 0));
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
