/*
 * test-store.c: the state tracker: first sight, unchanged rebuilds, edits
 * (SEQUENCE + 1, a later LAST-MODIFIED, nothing else), removal and return,
 * and unique LAST-MODIFIED values.
 */
#include "autoconf.h"

#include "event.h"
#include "store.h"
#include "util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *dir;
	char *path;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("evfeed-store-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	f->path = g_build_filename(f->dir, "state.db", NULL);
}

static void
teardown(Fixture *f, gconstpointer data)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(f->dir);
	g_free(f->path);
}

static EvfEvent *
event(const char *uid, const char *fingerprint)
{
	EvfEvent *ev = evf_event_new();

	ev->uid = g_strdup(uid);
	ev->fingerprint = g_strdup(fingerprint);
	return ev;
}

static GPtrArray *
events(const char *a_fp, const char *b_fp)
{
	GPtrArray *list =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);

	if (a_fp != NULL)
		g_ptr_array_add(list, event("a", a_fp));
	if (b_fp != NULL)
		g_ptr_array_add(list, event("b", b_fp));
	return list;
}

#define T0 (G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC)

static void
test_first_sight(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) list = events("1", "2");
	EvfEvent *a, *b;
	gint64 updated = 0;

	g_assert_no_error(error);
	g_assert_true(evf_store_track(store, list, T0, &updated, &error));
	g_assert_no_error(error);
	a = g_ptr_array_index(list, 0);
	b = g_ptr_array_index(list, 1);
	g_assert_cmpuint(a->sequence, ==, 0);
	g_assert_cmpuint(b->sequence, ==, 0);
	g_assert_cmpint(a->created, ==, a->modified);
	/* Two events seen at once still get distinct LAST-MODIFIED, whole
	 * milliseconds in the order of the list, the last one at @now: none
	 * in the future. */
	g_assert_cmpint(b->modified, ==, T0);
	g_assert_cmpint(a->modified, ==, T0 - 1000);
	g_assert_cmpint(updated, ==, b->modified);
}

/* A build's time that is not a whole millisecond: the stamps are, and
 * none is after it. */
static void
test_whole_milliseconds(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) list = events("1", "2");
	gint64 now = T0 + 1234567, updated = 0;

	g_assert_true(evf_store_track(store, list, now, &updated, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < list->len; i++) {
		EvfEvent *ev = g_ptr_array_index(list, i);

		g_assert_cmpint(ev->modified % 1000, ==, 0);
		g_assert_cmpint(ev->modified, <=, now);
		g_assert_cmpint(ev->modified, >, now - 1000 * list->len);
	}
	g_assert_cmpint(updated, ==, T0 + 1234000);
}

static void
test_unchanged_and_edit(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) first = events("1", "2");
	g_autoptr(GPtrArray) same = events("1", "2");
	g_autoptr(GPtrArray) edited = events("1", "2-edited");
	EvfEvent *a0, *b0, *a1, *b1, *a2, *b2;
	gint64 u0, u1, u2;

	g_assert_true(evf_store_track(store, first, T0, &u0, &error));
	g_assert_true(evf_store_track(store, same, T0 + 10 * G_USEC_PER_SEC,
	                              &u1, &error));
	g_assert_no_error(error);
	a0 = g_ptr_array_index(first, 0);
	b0 = g_ptr_array_index(first, 1);
	a1 = g_ptr_array_index(same, 0);
	b1 = g_ptr_array_index(same, 1);
	/* Nothing changed: nothing moves, whatever the clock says. */
	g_assert_cmpint(u1, ==, u0);
	g_assert_cmpint(a1->modified, ==, a0->modified);
	g_assert_cmpint(b1->modified, ==, b0->modified);
	g_assert_cmpuint(b1->sequence, ==, 0);

	g_assert_true(evf_store_track(store, edited, T0 + 20 * G_USEC_PER_SEC,
	                              &u2, &error));
	a2 = g_ptr_array_index(edited, 0);
	b2 = g_ptr_array_index(edited, 1);
	g_assert_cmpuint(a2->sequence, ==, 0);
	g_assert_cmpint(a2->modified, ==, a0->modified);
	g_assert_cmpuint(b2->sequence, ==, 1);
	g_assert_cmpint(b2->modified, >, b0->modified);
	g_assert_cmpint(b2->modified, ==, T0 + 20 * G_USEC_PER_SEC);
	g_assert_cmpint(b2->created, ==, b0->created);
	g_assert_cmpint(u2, ==, b2->modified);
}

/* An edit within the second of the last build: the calendars show
 * LAST-MODIFIED in whole seconds, and it must still be later there. */
static void
test_edit_within_second(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) first = events("1", "2");
	g_autoptr(GPtrArray) edited = events("1", "2-edited");
	EvfEvent *b0, *b1;
	gint64 u0, u1;

	g_assert_true(evf_store_track(store, first, T0 + 200000, &u0, &error));
	g_assert_true(evf_store_track(store, edited, T0 + 500000, &u1, &error));
	g_assert_no_error(error);
	b0 = g_ptr_array_index(first, 1);
	b1 = g_ptr_array_index(edited, 1);
	g_assert_cmpuint(b1->sequence, ==, 1);
	g_assert_cmpint(b1->modified / G_USEC_PER_SEC, >,
	                b0->modified / G_USEC_PER_SEC);
	g_assert_cmpint(b1->modified, ==, T0 + G_USEC_PER_SEC);
	g_assert_cmpint(u1, ==, b1->modified);
}

/* Thousands of events seen at once, then half of them edited a moment
 * later (within the same millisecond as the last stamp), then one more
 * event a second later: every LAST-MODIFIED distinct and a whole
 * millisecond, the first build's counted back from @now in the order of
 * the list, each edit later than the stamp it replaces and than the last
 * build's latest (the window back to it being empty, they go on after
 * @now, in the order of the list), and a later build's event after all
 * of them. */
static void
test_many_at_once(Fixture *f, gconstpointer data)
{
	enum { N = 5000 };
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) first =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GPtrArray) edited =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GPtrArray) later =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GHashTable) seen =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	gint64 u0 = 0, u1 = 0, u2 = 0, prev = 0;
	EvfEvent *extra;

	for (guint i = 0; i < N; i++) {
		g_autofree char *uid = g_strdup_printf("e%05u", i);

		g_ptr_array_add(first, event(uid, "1"));
		g_ptr_array_add(edited, event(uid, i % 2 ? "2" : "1"));
		g_ptr_array_add(later, event(uid, i % 2 ? "2" : "1"));
	}
	g_ptr_array_add(later, event("f", "1"));
	g_assert_true(evf_store_track(store, first, T0, &u0, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < N; i++) {
		EvfEvent *ev = g_ptr_array_index(first, i);

		g_assert_cmpint(ev->modified, ==,
		                T0 - (gint64)(N - 1 - i) * 1000);
	}
	g_assert_cmpint(u0, ==, T0);

	g_assert_true(evf_store_track(store, edited, T0 + 10, &u1, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < N; i++) {
		EvfEvent *old = g_ptr_array_index(first, i);
		EvfEvent *ev = g_ptr_array_index(edited, i);

		g_assert_false(g_hash_table_contains(seen, &ev->modified));
		g_hash_table_add(seen,
		                 g_memdup2(&ev->modified, sizeof(gint64)));
		g_assert_cmpint(ev->modified % 1000, ==, 0);
		if (i % 2 == 0) {
			g_assert_cmpint(ev->modified, ==, old->modified);
			continue;
		}
		g_assert_cmpuint(ev->sequence, ==, 1);
		g_assert_cmpint(ev->modified, >, u0);
		g_assert_cmpint(ev->modified, >, prev);
		prev = ev->modified;
	}
	/* Packed: the first edit right after the last build's latest. */
	g_assert_cmpint(((EvfEvent *)g_ptr_array_index(edited, 1))->modified,
	                ==, T0 + 1000);
	g_assert_cmpint(u1, ==, T0 + (gint64)(N / 2) * 1000);

	g_assert_true(evf_store_track(store, later, T0 + 60 * G_USEC_PER_SEC,
	                              &u2, &error));
	g_assert_no_error(error);
	extra = g_ptr_array_index(later, N);
	g_assert_cmpint(extra->modified, ==, T0 + 60 * G_USEC_PER_SEC);
	g_assert_cmpint(u2, ==, extra->modified);
}

static void
test_state_survives_reopen(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) first = events("1", NULL);
	g_autoptr(GPtrArray) edited = events("1b", NULL);
	gint64 u;

	{
		g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
		g_assert_true(evf_store_track(store, first, T0, &u, &error));
	}
	{
		g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
		g_assert_true(
		    evf_store_track(store, edited, T0 + 5, &u, &error));
	}
	g_assert_cmpuint(((EvfEvent *)g_ptr_array_index(edited, 0))->sequence,
	                 ==, 1);
}

static void
test_removal_and_return(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) both = events("1", "2");
	g_autoptr(GPtrArray) only_a = events("1", NULL);
	g_autoptr(GPtrArray) back = events("1", "2");
	gint64 u0, u1, u2;
	EvfEvent *b;

	g_assert_true(evf_store_track(store, both, T0, &u0, &error));
	g_assert_true(evf_store_track(store, only_a, T0 + 100, &u1, &error));
	/* A removal is a change of the site. */
	g_assert_cmpint(u1, >, u0);
	g_assert_true(evf_store_track(store, back, T0 + 200, &u2, &error));
	b = g_ptr_array_index(back, 1);
	/* Back with the same content: clients must still see it again, so
	 * it counts as a change. */
	g_assert_cmpuint(b->sequence, ==, 1);
	g_assert_cmpint(u2, >, u1);
}

static void
test_meta(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autofree char *v = NULL;

	g_assert_null(evf_store_get_meta(store, "k"));
	g_assert_true(evf_store_set_meta(store, "k", "v1", &error));
	g_assert_true(evf_store_set_meta(store, "k", "v2", &error));
	v = evf_store_get_meta(store, "k");
	g_assert_cmpstr(v, ==, "v2");
}

/* The keys under a prefix, without it: not those that only share its
 * first characters, nor one that is the prefix without its slash. */
static void
test_meta_prefixed(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GHashTable) got = NULL;
	const char *const keys[] = {
		"category/a",  "category/\xc3\xa9t\xc3\xa9",
		"category/",   "category",
		"categoryx/b", "categor",
		"xcategory/c"
	};

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
		g_assert_true(
		    evf_store_set_meta(store, keys[i], keys[i], &error));
	got = evf_store_get_meta_prefixed(store, "category/");
	g_assert_cmpuint(g_hash_table_size(got), ==, 3);
	g_assert_cmpstr(g_hash_table_lookup(got, "a"), ==, "category/a");
	g_assert_cmpstr(g_hash_table_lookup(got, "\xc3\xa9t\xc3\xa9"), ==,
	                "category/\xc3\xa9t\xc3\xa9");
	g_assert_cmpstr(g_hash_table_lookup(got, ""), ==, "category/");
	g_clear_pointer(&got, g_hash_table_unref);
	got = evf_store_get_meta_prefixed(store, "none/");
	g_assert_cmpuint(g_hash_table_size(got), ==, 0);
}

/* A damaged page that a read goes through is not taken for an empty one:
 * the reads give what they got, and evf_store_read_ok tells the damage, so
 * that a build does not publish from a state read in part. */
static void
test_read_damaged(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) got = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int page = 0, size = 0;
	FILE *fp;

	{
		g_autoptr(EvfStore) store = evf_store_open(f->path, &error);

		g_assert_no_error(error);
		/* enough for the meta table to take several pages */
		for (guint i = 0; i < 400; i++) {
			g_autofree char *k = g_strdup_printf("members/%03u", i);

			g_assert_true(evf_store_set_meta(
			    store, k, "a value of some length, to fill pages",
			    &error));
		}
		got = evf_store_get_meta_prefixed(store, "members/");
		g_assert_cmpuint(g_hash_table_size(got), ==, 400);
		g_assert_true(evf_store_read_ok(store, &error));
		g_clear_pointer(&got, g_hash_table_unref);
	}
	/* a leaf page of the meta table, zeroed */
	g_assert_cmpint(sqlite3_open(f->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(
	    sqlite3_prepare_v2(db,
	                       "SELECT pageno, pgsize FROM dbstat WHERE name = "
	                       "'meta' AND pagetype = 'leaf' LIMIT 1",
	                       -1, &st, NULL),
	    ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	page = sqlite3_column_int(st, 0);
	size = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	g_assert_cmpint(page, >, 1);
	fp = fopen(f->path, "r+b");
	g_assert_nonnull(fp);
	g_assert_cmpint(fseek(fp, (long)(page - 1) * size, SEEK_SET), ==, 0);
	for (int i = 0; i < size; i++)
		fputc(0, fp);
	fclose(fp);
	{
		g_autoptr(EvfStore) store = evf_store_open(f->path, &error);

		g_assert_no_error(error);
		got = evf_store_get_meta_prefixed(store, "members/");
		g_assert_cmpuint(g_hash_table_size(got), <, 400);
		g_assert_false(evf_store_read_ok(store, &error));
		g_assert_error(error, EVF_ERROR, EVF_ERROR_DAMAGED);
	}
}

static void
test_unwritable(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store =
	    evf_store_open("/nonexistent-folder/state.db", &error);

	g_assert_null(store);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "/nonexistent-folder"));
}

/* 2027-01-01T00:00:00Z */
#define C1   (G_GINT64_CONSTANT(1798761600) * G_USEC_PER_SEC)
#define HOUR (G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC)
#define DAY  (24 * HOUR)

/* (transfer none): the event @uid of @list. */
static EvfEvent *
find(GPtrArray *list, const char *uid)
{
	for (guint i = 0; i < list->len; i++) {
		EvfEvent *ev = g_ptr_array_index(list, i);

		if (strcmp(ev->uid, uid) == 0)
			return ev;
	}
	g_assert_not_reached();
}

/* In two steps: what evf_store_track_prepare works out is not recorded
 * until evf_store_track_save (a build that fails between records
 * nothing), and a last change more than an hour ahead of the clock is
 * told (evf_store_track_ahead). */
static void
test_track_in_two_steps(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) first = events("1", NULL);
	gint64 updated = 0;

	g_assert_no_error(error);
	g_assert_true(evf_store_track(store, first, C1, &updated, &error));
	/* an edit worked out twice, by builds that failed, then saved */
	for (guint i = 0; i < 3; i++) {
		g_autoptr(GPtrArray) edited = events("2", NULL);
		g_autoptr(EvfStoreTrack) t = evf_store_track_prepare(
		    store, edited, C1 + (i + 1) * HOUR, &updated, &error);

		g_assert_no_error(error);
		g_assert_nonnull(t);
		g_assert_cmpuint(find(edited, "a")->sequence, ==, 1);
		g_assert_cmpint(evf_store_track_ahead(t), ==, 0);
		if (i == 2)
			g_assert_true(evf_store_track_save(store, t, &error));
	}
	{
		g_autoptr(GPtrArray) again = events("2", NULL);
		g_autoptr(GPtrArray) behind = events("2", NULL);
		g_autoptr(EvfStoreTrack) t = NULL;

		g_assert_true(evf_store_track(store, again, C1 + 4 * HOUR,
		                              &updated, &error));
		g_assert_cmpuint(find(again, "a")->sequence, ==, 1);
		/* the clock two hours behind the last change */
		t = evf_store_track_prepare(store, behind, C1 + HOUR, &updated,
		                            &error);
		g_assert_nonnull(t);
		g_assert_cmpint(evf_store_track_ahead(t), >=, C1 + 3 * HOUR);
	}
}

/* evf_store_track_undo, for a build whose files were all put back: an
 * edit, a new event and a removal saved, then undone, are worked out
 * again as the first time (the same SEQUENCE, the removed event present),
 * and the site's last change is the one before. */
static void
test_track_undo(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) first = events("1", NULL);
	g_autofree char *last = NULL;
	gint64 updated = 0, first_modified;

	g_assert_no_error(error);
	g_assert_true(evf_store_track(store, first, C1, &updated, &error));
	first_modified = find(first, "a")->modified;
	last = evf_store_get_meta(store, "last_change");
	for (guint i = 0; i < 2; i++) {
		/* "a" edited and "b" new; then "a" removed */
		g_autoptr(GPtrArray) edited =
		    i == 0 ? events("2", "3") : events(NULL, "3");
		g_autoptr(EvfStoreTrack) t = evf_store_track_prepare(
		    store, edited, C1 + HOUR, &updated, &error);
		g_autofree char *after = NULL;

		g_assert_nonnull(t);
		g_assert_true(evf_store_track_save(store, t, &error));
		after = evf_store_get_meta(store, "last_change");
		g_assert_cmpstr(after, !=, last);
		g_assert_true(evf_store_track_undo(store, t, &error));
		g_assert_no_error(error);
		g_clear_pointer(&after, g_free);
		after = evf_store_get_meta(store, "last_change");
		g_assert_cmpstr(after, ==, last);
	}
	{
		g_autoptr(GPtrArray) same = events("1", NULL);
		g_autoptr(GPtrArray) edited = events("2", "3");

		/* as it was: nothing changed */
		g_assert_true(evf_store_track(store, same, C1 + 2 * HOUR,
		                              &updated, &error));
		g_assert_cmpuint(find(same, "a")->sequence, ==, 0);
		g_assert_cmpint(find(same, "a")->modified, ==, first_modified);
		g_assert_cmpint(updated, ==, g_ascii_strtoll(last, NULL, 10));
		/* and the edit, once published, once higher; "b" new */
		g_assert_true(evf_store_track(store, edited, C1 + 3 * HOUR,
		                              &updated, &error));
		g_assert_cmpuint(find(edited, "a")->sequence, ==, 1);
		g_assert_cmpuint(find(edited, "b")->sequence, ==, 0);
		g_assert_cmpint(find(edited, "b")->created, >, C1 + 2 * HOUR);
	}
}

/* A build run while the clock was ahead does not hold later times in the
 * future once the clock is right again: they are taken back to the clock,
 * SEQUENCE unchanged, and what was stamped ahead with them; a clock a
 * little ahead (under an hour) keeps times in order, and a clock that is
 * the wrong one (1970) does not drag the times back. */
static void
test_clock_was_ahead(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	gint64 updated = 0, a_modified;

	g_assert_no_error(error);
	/* a new site, first built three days ahead */
	{
		g_autoptr(GPtrArray) one = events("1", NULL);
		g_autoptr(GPtrArray) two = events("1", "2");
		EvfEvent *a, *b;

		g_assert_true(evf_store_track(store, one, C1 + 3 * DAY,
		                              &updated, &error));
		g_assert_cmpint(updated, >, C1 + 2 * DAY);
		g_assert_true(
		    evf_store_track(store, two, C1, &updated, &error));
		a = find(two, "a");
		b = find(two, "b");
		g_assert_cmpint(updated, <=, C1);
		g_assert_cmpint(a->created, <=, C1);
		g_assert_cmpint(a->modified, <=, C1);
		g_assert_cmpuint(a->sequence, ==, 0);
		g_assert_cmpint(b->created, <=, C1);
		g_assert_cmpint(b->modified, >, a->modified);
		a_modified = a->modified;
	}
	/* established, then 400 days ahead, then right: what was stamped
	 * ahead comes back, the rest stays */
	{
		g_autoptr(GPtrArray) three = events("1", "2");
		g_autoptr(GPtrArray) four = events("1", "2");

		g_ptr_array_add(three, event("c", "3"));
		g_ptr_array_add(four, event("c", "3"));
		g_ptr_array_add(four, event("d", "4"));
		g_assert_true(evf_store_track(store, three, C1 + 400 * DAY,
		                              &updated, &error));
		g_assert_cmpint(find(three, "c")->created, >, C1 + 399 * DAY);
		g_assert_true(evf_store_track(store, four, C1 + 2 * HOUR,
		                              &updated, &error));
		g_assert_cmpint(updated, <=, C1 + 2 * HOUR);
		g_assert_cmpint(find(four, "a")->modified, ==, a_modified);
		g_assert_cmpint(find(four, "c")->created, <=, C1 + 2 * HOUR);
		g_assert_cmpint(find(four, "c")->created, >, a_modified);
		g_assert_cmpuint(find(four, "c")->sequence, ==, 0);
		g_assert_cmpint(find(four, "d")->created, >,
		                find(four, "c")->created);
		g_assert_cmpint(find(four, "d")->created, <=, C1 + 2 * HOUR);
	}
	/* half an hour ahead, then right: still in order */
	{
		g_autoptr(GPtrArray) five = events("1", "2");
		g_autoptr(GPtrArray) six = events("1", "2");

		g_ptr_array_add(five, event("e", "5"));
		g_ptr_array_add(six, event("e", "5"));
		g_ptr_array_add(six, event("g", "6"));
		g_assert_true(evf_store_track(store, five, C1 + 3 * HOUR,
		                              &updated, &error));
		g_assert_true(evf_store_track(store, six,
		                              C1 + G_GINT64_CONSTANT(150) * 60 *
		                                       G_USEC_PER_SEC,
		                              &updated, &error));
		g_assert_cmpint(find(six, "g")->created, >,
		                find(six, "e")->created);
	}
	/* a clock reset to 1970: nothing goes back there */
	{
		g_autoptr(GPtrArray) seven = events("1", "2");

		g_ptr_array_add(seven, event("e", "5"));
		g_ptr_array_add(seven, event("g", "6"));
		g_ptr_array_add(seven, event("h", "7"));
		g_assert_true(evf_store_track(
		    store, seven, G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC,
		    &updated, &error));
		g_assert_cmpint(find(seven, "h")->created, >,
		                find(seven, "g")->created);
		g_assert_cmpint(updated, >, C1);
	}
	g_assert_no_error(error);
}

/* A partner's item keeps the earliest publication date its source gave,
 * whatever it gives later: a partner that moves an item's pubDate to each
 * of its edits (many RSS feeds do) does not move it up the site's feeds.
 * A local event's `published` is the editor's, as written each time. */
static void
test_partner_pubdate_kept(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	g_autoptr(GPtrArray) first = events("1", "2");
	g_autoptr(GPtrArray) edited = events("1b", "2b");
	gint64 nov1 = T0 - 30 * G_TIME_SPAN_DAY;
	gint64 updated = 0;
	EvfEvent *item, *local;

	g_assert_no_error(error);
	for (guint i = 0; i < 2; i++) {
		item = g_ptr_array_index(i == 0 ? first : edited, 0);
		local = g_ptr_array_index(i == 0 ? first : edited, 1);
		item->source = g_strdup("partner");
		/* first the date of its announcement, then of an edit */
		item->published = i == 0 ? nov1 : T0 + G_TIME_SPAN_DAY - 1000;
		local->published = i == 0 ? nov1 : nov1 + G_TIME_SPAN_DAY;
	}
	g_assert_true(evf_store_track(store, first, T0, &updated, &error));
	item = g_ptr_array_index(first, 0);
	g_assert_cmpint(evf_event_pubdate(item), ==, nov1);
	g_assert_true(evf_store_track(store, edited, T0 + G_TIME_SPAN_DAY,
	                              &updated, &error));
	g_assert_no_error(error);
	item = g_ptr_array_index(edited, 0);
	local = g_ptr_array_index(edited, 1);
	g_assert_cmpuint(item->sequence, ==, 1);
	g_assert_cmpint(evf_event_pubdate(item), ==, nov1);
	g_assert_cmpint(evf_event_pubdate(local), ==, nov1 + G_TIME_SPAN_DAY);
}

/* A partner's item whose source dates it anew (an RSS pubDate, or an Atom
 * entry's updated, moved at each edit elsewhere in the feed, or each time
 * the feed is made) with nothing else changed is no change: not a new
 * SEQUENCE, nor LAST-MODIFIED. Nor is it when the state was written by an
 * earlier version, whose fingerprint had the date in it. */
static EvfEvent *
partner_item(gint64 published)
{
	EvfEvent *ev = evf_event_new();

	ev->uid = g_strdup("item@partner");
	ev->title = g_strdup("Maritime security seminar");
	ev->source = g_strdup("partner");
	ev->tba = TRUE;
	ev->published = published;
	evf_event_update_fingerprint(ev);
	return ev;
}

static void
test_partner_redated(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(f->path, &error);
	gint64 updated = 0, modified = 0;

	g_assert_no_error(error);
	for (guint i = 0; i < 4; i++) {
		g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)evf_event_unref);
		/* (the second as the first: as an earlier version recorded
		 * it, the first had the date in its fingerprint) */
		EvfEvent *ev = partner_item(T0 - G_TIME_SPAN_DAY +
		                            MAX(i, 1) * G_TIME_SPAN_HOUR);

		/* the first, as an earlier version recorded it */
		if (i == 0) {
			g_assert_nonnull(ev->fingerprint_dated);
			g_free(ev->fingerprint);
			ev->fingerprint = g_strdup(ev->fingerprint_dated);
		}
		g_ptr_array_add(list, ev);
		g_assert_true(evf_store_track(
		    store, list, T0 + i * G_TIME_SPAN_HOUR, &updated, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(ev->sequence, ==, 0);
		if (i == 0)
			modified = ev->modified;
		g_assert_cmpint(ev->modified, ==, modified);
		g_assert_cmpint(evf_event_pubdate(ev), ==,
		                T0 - G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR);
	}
	/* a real change still is one */
	{
		g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)evf_event_unref);
		EvfEvent *ev = partner_item(T0);

		g_free(ev->title);
		ev->title = g_strdup("Maritime security seminar, day two");
		evf_event_update_fingerprint(ev);
		g_ptr_array_add(list, ev);
		g_assert_true(evf_store_track(
		    store, list, T0 + 5 * G_TIME_SPAN_HOUR, &updated, &error));
		g_assert_cmpuint(ev->sequence, ==, 1);
		g_assert_cmpint(ev->modified, >, modified);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/store/first-sight", Fixture, NULL, setup, test_first_sight,
	           teardown);
	g_test_add("/store/whole-milliseconds", Fixture, NULL, setup,
	           test_whole_milliseconds, teardown);
	g_test_add("/store/unchanged-and-edit", Fixture, NULL, setup,
	           test_unchanged_and_edit, teardown);
	g_test_add("/store/edit-within-second", Fixture, NULL, setup,
	           test_edit_within_second, teardown);
	g_test_add("/store/many-at-once", Fixture, NULL, setup,
	           test_many_at_once, teardown);
	g_test_add("/store/reopen", Fixture, NULL, setup,
	           test_state_survives_reopen, teardown);
	g_test_add("/store/removal-and-return", Fixture, NULL, setup,
	           test_removal_and_return, teardown);
	g_test_add("/store/meta", Fixture, NULL, setup, test_meta, teardown);
	g_test_add("/store/meta-prefixed", Fixture, NULL, setup,
	           test_meta_prefixed, teardown);
	g_test_add("/store/track-undo", Fixture, NULL, setup, test_track_undo,
	           teardown);
	g_test_add("/store/read-damaged", Fixture, NULL, setup,
	           test_read_damaged, teardown);
	g_test_add("/store/track-in-two-steps", Fixture, NULL, setup,
	           test_track_in_two_steps, teardown);
	g_test_add("/store/clock-was-ahead", Fixture, NULL, setup,
	           test_clock_was_ahead, teardown);
	g_test_add("/store/partner-redated", Fixture, NULL, setup,
	           test_partner_redated, teardown);
	g_test_add_func("/store/unwritable", test_unwritable);
	g_test_add("/store/partner-pubdate-kept", Fixture, NULL, setup,
	           test_partner_pubdate_kept, teardown);
	return g_test_run();
}
