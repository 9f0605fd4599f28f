/*
 * test-publish.c: atomic output: changed files replaced, unchanged files
 * left alone (same inode), stale files removed, failures leave the old
 * files and no temporary files behind; a build records the configuration
 * it was made from.
 */
#include "autoconf.h"

#include "build.h"
#include "files.h"
#include "publish.h"
#include "render.h"
#include "snapshot.h"
#include "util.h"

#include <glib/gstdio.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

static GPtrArray *
files(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)evf_file_free);
}

static void
stage_one(gpointer data, gpointer user_data)
{
	evf_stage_add(user_data, data);
}

/* Stages @files under @dir, on all processors as a build does, and
 * commits them. */
static gboolean
publish(const char *dir, GPtrArray *files, const char *const *stale,
        guint *written, GPtrArray *changed, GError **error)
{
	g_autoptr(EvfStage) st = evf_stage_new(dir);

	evf_parallel_for(files, stage_one, st);
	return evf_stage_commit(st, stale, written, changed, error);
}

static char *
slurp(const char *dir, const char *path)
{
	g_autofree char *full = g_build_filename(dir, path, NULL);
	char *text = NULL;

	if (!g_file_get_contents(full, &text, NULL, NULL))
		return NULL;
	return text;
}

static ino_t
inode(const char *dir, const char *path)
{
	g_autofree char *full = g_build_filename(dir, path, NULL);
	struct stat st;

	g_assert_cmpint(stat(full, &st), ==, 0);
	return st.st_ino;
}

static guint
count_temps(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	guint n = 0;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		if (strstr(name, "evfeed-tmp") != NULL)
			n++;
		else if (g_file_test(path, G_FILE_TEST_IS_DIR))
			n += count_temps(path);
	}
	return n;
}

static void
rm_rf(const char *dir)
{
	g_autofree char *cmd =
	    g_strdup_printf("chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_write_and_skip(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autofree char *a = NULL, *b = NULL;
	guint written = 0;
	ino_t ia, ib;

	g_ptr_array_add(v1, file("a.ics", "one"));
	g_ptr_array_add(v1, file("category/x/b.xml", "two"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(written, ==, 2);
	ia = inode(dir, "a.ics");
	ib = inode(dir, "category/x/b.xml");

	g_ptr_array_add(v2, file("a.ics", "one"));
	g_ptr_array_add(v2, file("category/x/b.xml", "two, edited"));
	g_assert_true(publish(dir, v2, NULL, &written, changed, &error));
	g_assert_cmpuint(written, ==, 1);
	/* What changed is named, for the WebSub pings; nothing else is. */
	g_assert_cmpuint(changed->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(changed, 0), ==, "category/x/b.xml");
	/* The unchanged file was not even rewritten. */
	g_assert_cmpuint(inode(dir, "a.ics"), ==, ia);
	/* The changed one was replaced by a new file, never edited in
	 * place, so a reader holding the old one sees it whole. */
	g_assert_cmpuint(inode(dir, "category/x/b.xml"), !=, ib);
	a = slurp(dir, "a.ics");
	b = slurp(dir, "category/x/b.xml");
	g_assert_cmpstr(a, ==, "one");
	g_assert_cmpstr(b, ==, "two, edited");
	g_assert_cmpuint(count_temps(dir), ==, 0);
	rm_rf(dir);
}

static gint64
mtime(const char *dir, const char *path)
{
	g_autofree char *full = g_build_filename(dir, path, NULL);
	struct stat st;

	g_assert_cmpint(stat(full, &st), ==, 0);
	return st.st_mtim.tv_sec;
}

/* Last-Modified has whole seconds: two versions written within one second
 * must still have different ones, the later one the later, and never one
 * in the future. */
static void
test_newer_second(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GPtrArray) v3 = files();
	g_autoptr(GError) error = NULL;
	gint64 a, b;
	guint written;

	/* Early in a second, so that both writes fall in it. */
	g_usleep(G_USEC_PER_SEC - g_get_real_time() % G_USEC_PER_SEC + 10000);
	g_ptr_array_add(v1, file("a.ics", "one"));
	g_ptr_array_add(v1, file("b.ics", "two"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	a = mtime(dir, "a.ics");
	b = mtime(dir, "b.ics");

	g_ptr_array_add(v2, file("a.ics", "one, edited"));
	g_ptr_array_add(v2, file("b.ics", "two"));
	g_assert_true(publish(dir, v2, NULL, &written, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(mtime(dir, "a.ics"), ==, a + 1);
	g_assert_cmpint(mtime(dir, "a.ics") * G_USEC_PER_SEC, <=,
	                g_get_real_time());
	/* Unchanged bytes keep their date. */
	g_assert_cmpint(mtime(dir, "b.ics"), ==, b);

	/* Written in a later second anyway: its own time. */
	g_usleep(G_USEC_PER_SEC + 100000);
	g_ptr_array_add(v3, file("a.ics", "one, edited again"));
	g_assert_true(publish(dir, v3, NULL, &written, NULL, &error));
	g_assert_cmpint(mtime(dir, "a.ics"), >, a + 1);
	g_assert_cmpint(mtime(dir, "a.ics") * G_USEC_PER_SEC, <=,
	                g_get_real_time());
	rm_rf(dir);
}

/* Stages @files under @dir as `serve`'s own build does, and commits them:
 * the second it began in; *end, when it ended (µs). */
static gint64
publish_at_once(const char *dir, GPtrArray *files, gint64 *end)
{
	g_autoptr(EvfStage) st = evf_stage_new(dir);
	g_autoptr(GError) error = NULL;
	gint64 start;
	guint written;

	evf_parallel_for(files, stage_one, st);
	evf_stage_at_once(st);
	start = g_get_real_time() / G_USEC_PER_SEC;
	g_assert_true(evf_stage_commit(st, NULL, &written, NULL, &error));
	*end = g_get_real_time();
	g_assert_no_error(error);
	g_assert_cmpuint(written, ==, files->len);
	return start;
}

/* `serve` serves a version as soon as it is in place: its build dates
 * what it replaces in the next second, as any build does (any second up
 * to the present one may be the Date the old version was sent with, which
 * nginx and `curl -z` would take for the new one's), but does not wait
 * for it (an edit is served within a second); only a second version
 * within one second waits, for the second before its own, so that no file
 * is dated more than a second ahead. */
static volatile sig_atomic_t got_term, got_hup, term_first;

static void
on_term(int sig)
{
	term_first |= got_hup == 0;
	got_term++;
}

static void
on_hup(int sig)
{
	got_hup++;
}

/* From evf_stage_date to the end of the renames the signals that stop a
 * program wait: each that came is raised then, a SIGHUP and a SIGTERM
 * both (a reload and a stop), not the last alone, and the stop first; a
 * stage freed without a commit gives them back too. */
static void
test_signals_held(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	struct sigaction sa = { 0 }, old_term, old_hup;
	g_autoptr(GError) error = NULL;
	guint written;

	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, &old_hup);
	for (guint commit = 0; commit < 2; commit++) {
		g_autoptr(EvfStage) st = evf_stage_new(dir);
		EvfFile *f = file("a.ics", commit ? "two" : "one");

		got_term = got_hup = term_first = 0;
		evf_stage_add(st, f);
		evf_file_free(f);
		evf_stage_at_once(st);
		g_assert_true(evf_stage_date(st, &error));
		g_assert_cmpint(kill(getpid(), SIGHUP), ==, 0);
		g_assert_cmpint(kill(getpid(), SIGTERM), ==, 0);
		g_assert_cmpint(got_term, ==, 0);
		g_assert_cmpint(got_hup, ==, 0);
		if (commit)
			g_assert_true(
			    evf_stage_commit(st, NULL, &written, NULL, &error));
		else
			g_clear_pointer(&st, evf_stage_free);
		g_assert_cmpint(got_term, ==, 1);
		g_assert_cmpint(got_hup, ==, 1);
		g_assert_true(term_first);
	}
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	rm_rf(dir);
}

static void
test_at_once(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GPtrArray) v3 = files();
	g_autoptr(GPtrArray) v4 = files();
	g_autoptr(GError) error = NULL;
	gint64 a, start, end;
	guint written;

	g_ptr_array_add(v1, file("a.ics", "one"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	a = mtime(dir, "a.ics");
	/* Early in a later second, so that both writes below fall in it. */
	g_usleep(G_USEC_PER_SEC - g_get_real_time() % G_USEC_PER_SEC + 10000);

	g_ptr_array_add(v2, file("a.ics", "one, edited"));
	start = publish_at_once(dir, v2, &end);
	g_assert_cmpint(start, >, a);
	g_assert_cmpint(mtime(dir, "a.ics"), ==, start + 1);
	g_assert_cmpint(end, <, (start + 1) * G_USEC_PER_SEC);

	g_ptr_array_add(v3, file("a.ics", "one, edited again"));
	publish_at_once(dir, v3, &end);
	g_assert_cmpint(mtime(dir, "a.ics"), ==, start + 2);
	g_assert_cmpint(end, >=, (start + 1) * G_USEC_PER_SEC);
	g_assert_cmpint(end, <, (start + 2) * G_USEC_PER_SEC);

	/* A build beside it (from cron) in that second: dated after it, and
	 * put in place once that second has begun, two seconds on (not
	 * taken for a file of a clock set back), so that another server
	 * sends no Last-Modified later than its Date. */
	g_ptr_array_add(v4, file("a.ics", "one, edited by cron"));
	g_assert_true(publish(dir, v4, NULL, &written, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(mtime(dir, "a.ics"), ==, start + 3);
	g_assert_cmpint(g_get_real_time(), >=, (start + 3) * G_USEC_PER_SEC);
	rm_rf(dir);
}

/* A file written early in a long build: dated when it is put in place,
 * not when it was written, since the old version was served meanwhile,
 * its answers dated up to the moment of the renames. */
static void
test_dated_when_in_place(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStage) st = evf_stage_new(dir);
	gint64 served;
	guint written;

	g_ptr_array_add(v1, file("a.ics", "one"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	g_ptr_array_add(v2, file("a.ics", "one, edited"));
	evf_parallel_for(v2, stage_one, st);
	/* the rest of the build, while the old version is served */
	g_usleep(G_USEC_PER_SEC + 200000);
	served = g_get_real_time() / G_USEC_PER_SEC;
	g_assert_true(evf_stage_commit(st, NULL, &written, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(mtime(dir, "a.ics"), >, served);
	g_assert_cmpint(mtime(dir, "a.ics") * G_USEC_PER_SEC, <=,
	                g_get_real_time());
	rm_rf(dir);
}

/* The server reads a new version after the build put it in place, and
 * serves the old one until then: what changed is dated when it is swapped
 * in, what did not keeps its date, and a new file its own. */
static void
test_snapshot_dated_when_swapped(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfSnapshot) old = NULL;
	g_autoptr(EvfSnapshot) snap = NULL;
	g_autofree char *m1 = NULL;
	g_autofree char *m2 = NULL;
	g_autofree char *at_text = NULL;
	const EvfEntry *a, *b, *c;
	gint64 now, at, b_modified, c_modified;
	guint written;

	g_ptr_array_add(v1, file("a.ics", "one"));
	g_ptr_array_add(v1, file("b.ics", "two"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	m1 = evf_publish_manifest(v1);
	old = evf_snapshot_load(dir, m1, 3600, NULL, NULL, NULL, &error);
	g_assert_no_error(error);
	g_ptr_array_add(v2, file("a.ics", "one, edited"));
	g_ptr_array_add(v2, file("b.ics", "two"));
	g_ptr_array_add(v2, file("c.ics", "three"));
	g_assert_true(publish(dir, v2, NULL, &written, NULL, &error));
	m2 = evf_publish_manifest(v2);
	snap = evf_snapshot_load(dir, m2, 3600, NULL, NULL, old, &error);
	g_assert_no_error(error);
	b_modified = evf_snapshot_lookup(snap, "b.ics")->modified;
	c_modified = evf_snapshot_lookup(snap, "c.ics")->modified;
	/* the old a.ics answered in a second to come (as if the clock
	 * were later): the new one is dated after it */
	now = g_get_real_time() / G_USEC_PER_SEC;
	at = now + 5;
	((EvfEntry *)evf_snapshot_lookup(old, "a.ics"))->answered = at - 1;
	g_assert_cmpint(evf_snapshot_date_changes(snap, old, now), ==, at);
	g_assert_false(evf_snapshot_lookup(snap, "a.ics")->shared_second);
	a = evf_snapshot_lookup(snap, "a.ics");
	b = evf_snapshot_lookup(snap, "b.ics");
	c = evf_snapshot_lookup(snap, "c.ics");
	g_assert_cmpint(a->modified, ==, at);
	at_text = evf_date_rfc822(at * G_USEC_PER_SEC, TRUE);
	g_assert_cmpstr(a->last_modified, ==, at_text);
	g_assert_cmpstr(MHD_get_response_header(a->ok, "Last-Modified"), ==,
	                at_text);
	g_assert_cmpstr(
	    MHD_get_response_header(a->not_modified, "Last-Modified"), ==,
	    at_text);
	g_assert_cmpstr(MHD_get_response_header(a->ok, "ETag"), ==, a->etag);
	g_assert_cmpint(b->modified, ==, b_modified);
	g_assert_true(b == evf_snapshot_lookup(old, "b.ics"));
	g_assert_cmpint(c->modified, ==, c_modified);
	/* the changed file too, once swapped in, for other servers and the
	 * next load; the others as they were */
	g_assert_cmpint(mtime(dir, "a.ics"), <, at);
	evf_snapshot_date_files(snap, dir);
	g_assert_cmpint(mtime(dir, "a.ics"), ==, at);
	g_assert_cmpint(a->mtime, ==, at);
	g_assert_cmpint(mtime(dir, "b.ics"), <, at);
	g_assert_cmpint(mtime(dir, "c.ics"), <, at);
	/* once dated, nothing more to date */
	g_assert_cmpint(evf_snapshot_date_changes(snap, old, now), ==, at);
	/* the old version answered in the second the new is dated by: that
	 * second names either, and the new one is served at once */
	((EvfEntry *)evf_snapshot_lookup(old, "a.ics"))->answered = at + 10;
	g_assert_cmpint(evf_snapshot_date_changes(snap, old, at + 10), ==,
	                at + 10);
	g_assert_true(a->shared_second);
	g_assert_cmpint(a->modified, ==, at + 10);
	/* a file dated later already (as serve's own build dates it ahead)
	 * keeps its date: moved back, it could be the version before's */
	{
		g_autofree char *full = g_build_filename(dir, "a.ics", NULL);
		struct timespec ahead[2] = { { 0, UTIME_OMIT },
			                     { at + 20, 0 } };

		g_assert_cmpint(utimensat(AT_FDCWD, full, ahead, 0), ==, 0);
		((EvfEntry *)a)->mtime = at + 20;
		((EvfEntry *)a)->mtime_ns = 0;
		g_assert_true(a->redated);
		evf_snapshot_date_files(snap, dir);
		g_assert_cmpint(mtime(dir, "a.ics"), ==, at + 20);
	}
	rm_rf(dir);
}

static void
test_stale_removed(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GError) error = NULL;
	g_autofree char *manifest = NULL;
	g_autofree char *gone = NULL;
	const char *stale[] = { "a.ics", "category/x/b.xml", "../escape",
		                NULL };
	guint written;

	g_ptr_array_add(v1, file("a.ics", "one"));
	g_ptr_array_add(v1, file("category/x/b.xml", "two"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	manifest = evf_publish_manifest(v1);
	g_assert_cmpstr(manifest, ==, "a.ics 3\ncategory/x/b.xml 3\n");
	g_assert_true(evf_publish_manifest_present(dir, manifest));

	g_ptr_array_add(v2, file("a.ics", "one"));
	g_assert_true(publish(dir, v2, stale, &written, NULL, &error));
	g_assert_no_error(error);
	g_assert_null(slurp(dir, "category/x/b.xml"));
	gone = g_build_filename(dir, "category", "x", NULL);
	g_assert_false(g_file_test(gone, G_FILE_TEST_EXISTS));
	g_assert_false(evf_publish_manifest_present(dir, manifest));
	rm_rf(dir);
}

static void
test_failure_keeps_old(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autofree char *blocker = g_build_filename(dir, "blocker", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GError) error = NULL;
	g_autofree char *a = NULL;
	guint written;

	g_ptr_array_add(v1, file("a.ics", "one"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	/* A file where a folder must go: the second file cannot be
	 * written, after the first one's temporary file was. */
	g_assert_true(g_file_set_contents(blocker, "x", -1, NULL));
	g_ptr_array_add(v2, file("a.ics", "one, edited"));
	g_ptr_array_add(v2, file("blocker/b.xml", "two"));
	g_assert_false(publish(dir, v2, NULL, &written, NULL, &error));
	g_assert_nonnull(error);
	g_assert_cmpuint(written, ==, 0);
	a = slurp(dir, "a.ics");
	/* Nothing was renamed: all files or none. */
	g_assert_cmpstr(a, ==, "one");
	g_assert_cmpuint(count_temps(dir), ==, 0);
	rm_rf(dir);
}

/* Many files, written on all processors: each gets its bytes; then one
 * among them cannot be written (a name that fits but whose temporary
 * twin's is too long), and then none is replaced, and no temporary file
 * is left, whichever thread got there first. */
static void
test_many_files_one_failure(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GError) error = NULL;
	g_autofree char *long_name = g_strnfill(250, 'x');
	guint written = 0;

	for (guint i = 0; i < 300; i++) {
		g_autofree char *path = g_strdup_printf("events/e%03u.ics", i);
		g_autofree char *text = g_strdup_printf("event %u", i);

		g_ptr_array_add(v1, file(path, text));
	}
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(written, ==, 300);
	for (guint i = 0; i < 300; i++) {
		g_autofree char *path = g_strdup_printf("events/e%03u.ics", i);
		g_autofree char *want = g_strdup_printf("event %u", i);
		g_autofree char *got = slurp(dir, path);

		g_assert_cmpstr(got, ==, want);
	}

	for (guint i = 0; i < 300; i++) {
		g_autofree char *path = g_strdup_printf("events/e%03u.ics", i);
		g_autofree char *text = g_strdup_printf("event %u, edited", i);

		g_ptr_array_add(v2, file(path, text));
		if (i == 150) {
			g_autofree char *bad =
			    g_strconcat("events/", long_name, NULL);

			g_ptr_array_add(v2, file(bad, "cannot be"));
		}
	}
	g_assert_false(publish(dir, v2, NULL, &written, NULL, &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, long_name));
	g_assert_cmpuint(written, ==, 0);
	for (guint i = 0; i < 300; i++) {
		g_autofree char *path = g_strdup_printf("events/e%03u.ics", i);
		g_autofree char *want = g_strdup_printf("event %u", i);
		g_autofree char *got = slurp(dir, path);

		g_assert_cmpstr(got, ==, want);
	}
	g_assert_cmpuint(count_temps(dir), ==, 0);
	rm_rf(dir);
}

/* A file that can be written but not put in place (a folder stands where
 * it goes) is found only after the files before it in path order were put
 * in place: they are put back. The old files are in place again, byte for
 * byte and as the same files, a new file made meanwhile is gone, and
 * neither a temporary file nor a folder made for the new files is left. */
static void
test_put_back(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autofree char *folder = g_build_filename(dir, "z.xml", NULL);
	g_autofree char *made = g_build_filename(dir, "category", NULL);
	g_autofree char *events = g_build_filename(dir, "events", NULL);
	g_autoptr(GPtrArray) v1 = files();
	g_autoptr(GPtrArray) v2 = files();
	g_autoptr(GError) error = NULL;
	g_autofree char *a = NULL;
	g_autofree char *b = NULL;
	g_autofree char *created = NULL;
	g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func(g_free);
	ino_t a_ino, b_ino;
	guint written = 0;

	g_ptr_array_add(v1, file("a.ics", "one"));
	g_ptr_array_add(v1, file("events/b.ics", "two"));
	g_assert_true(publish(dir, v1, NULL, &written, NULL, &error));
	a_ino = inode(dir, "a.ics");
	b_ino = inode(dir, "events/b.ics");
	g_assert_cmpint(g_mkdir(folder, 0755), ==, 0);
	g_ptr_array_add(v2, file("a.ics", "one, edited"));
	g_ptr_array_add(v2, file("events/b.ics", "two, edited"));
	g_ptr_array_add(v2, file("events/c.ics", "three, new"));
	g_ptr_array_add(v2, file("category/new/rss.xml", "new folders"));
	g_ptr_array_add(v2, file("z.xml", "cannot be"));
	g_assert_false(publish(dir, v2, NULL, &written, changed, &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "z.xml"));
	g_assert_cmpuint(written, ==, 0);
	g_assert_cmpuint(changed->len, ==, 0);
	a = slurp(dir, "a.ics");
	b = slurp(dir, "events/b.ics");
	created = slurp(dir, "events/c.ics");
	g_assert_cmpstr(a, ==, "one");
	g_assert_cmpstr(b, ==, "two");
	g_assert_null(created);
	g_assert_cmpuint(inode(dir, "a.ics"), ==, a_ino);
	g_assert_cmpuint(inode(dir, "events/b.ics"), ==, b_ino);
	g_assert_true(g_file_test(folder, G_FILE_TEST_IS_DIR));
	g_assert_cmpuint(count_temps(dir), ==, 0);
	/* No folder the failed build made is left; those there before
	 * stay. */
	g_assert_false(g_file_test(made, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(events, G_FILE_TEST_IS_DIR));
	rm_rf(dir);
}

static void
test_clean(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-pub-XXXXXX", NULL);
	g_autofree char *temp =
	    g_build_filename(dir, ".a.ics.evfeed-tmp-123456", NULL);
	g_autofree char *keep = g_build_filename(dir, "a.ics", NULL);

	g_assert_true(g_file_set_contents(temp, "partial", -1, NULL));
	g_assert_true(g_file_set_contents(keep, "whole", -1, NULL));
	g_assert_cmpuint(count_temps(dir), ==, 1);
	evf_publish_clean(dir);
	g_assert_cmpuint(count_temps(dir), ==, 0);
	g_assert_false(g_file_test(temp, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(keep, G_FILE_TEST_EXISTS));
	rm_rf(dir);
}

/* The site of @dir with the configuration of @title, written. */
static void
write_site_config(const char *dir, const char *title)
{
	g_autofree char *path = g_build_filename(dir, "evfeed.conf", NULL);
	g_autofree char *text = g_strdup_printf(
	    "[site]\ntitle=%s\nurl=https://events.example.org/\n"
	    "timezone=Europe/Ljubljana\n[paths]\nevents=events\n"
	    "output=public\nstate=state.db\n",
	    title);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

/* A build made from a configuration read before its file changed (the
 * daemon rebuilds for an event edited with it, before it reloads the
 * configuration) records what it was made from, not the file's new text:
 * the build from the new configuration is not taken for one of nothing
 * changed, and publishes it. */
static void
test_build_config_as_read(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-build-XXXXXX", NULL);
	g_autofree char *events = g_build_filename(dir, "events", NULL);
	g_autofree char *event = g_build_filename(events, "meeting.md", NULL);
	g_autofree char *conf = g_build_filename(dir, "evfeed.conf", NULL);
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfConfig) old = NULL;
	g_autoptr(EvfConfig) new = NULL;
	g_autofree char *rss = NULL;
	gint64 now = g_get_real_time();

	g_assert_cmpint(g_mkdir(events, 0755), ==, 0);
	g_assert_true(g_file_set_contents(
	    event, "---\ntitle: Board meeting\nstart: 2027-03-02\n---\n", -1,
	    NULL));
	write_site_config(dir, "Old Title");
	old = evf_config_load(conf, diags);
	g_assert_nonnull(old);
	{
		g_auto(EvfBuildStats) st = { 0 };

		g_assert_true(evf_build_run(old, NULL, now, EVF_BUILD_WAIT,
		                            diags, &st, NULL));
	}
	/* the configuration and an event edited at once; a build from the
	 * configuration as it was read, then from the new */
	write_site_config(dir, "New Title");
	g_assert_true(g_file_set_contents(
	    event, "---\ntitle: Board meeting\nstart: 2027-03-03\n---\n", -1,
	    NULL));
	{
		g_auto(EvfBuildStats) st = { 0 };

		g_assert_true(evf_build_run(old, NULL, now + 1000,
		                            EVF_BUILD_WAIT, diags, &st, NULL));
		g_assert_false(st.skipped);
	}
	new = evf_config_load(conf, diags);
	g_assert_nonnull(new);
	{
		g_auto(EvfBuildStats) st = { 0 };

		g_assert_true(evf_build_run(new, NULL, now + 2000,
		                            EVF_BUILD_WAIT, diags, &st, NULL));
		g_assert_false(st.skipped);
	}
	evf_diags_print(diags, stderr);
	rss = slurp(dir, "public/rss.xml");
	g_assert_nonnull(strstr(rss, "<title>New Title</title>"));
	rm_rf(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/publish/write-and-skip", test_write_and_skip);
	g_test_add_func("/publish/newer-second", test_newer_second);
	g_test_add_func("/publish/at-once", test_at_once);
	g_test_add_func("/publish/signals-held", test_signals_held);
	g_test_add_func("/publish/dated-when-in-place",
	                test_dated_when_in_place);
	g_test_add_func("/publish/snapshot-dated-when-swapped",
	                test_snapshot_dated_when_swapped);
	g_test_add_func("/publish/stale-removed", test_stale_removed);
	g_test_add_func("/publish/failure-keeps-old", test_failure_keeps_old);
	g_test_add_func("/publish/many-files-one-failure",
	                test_many_files_one_failure);
	g_test_add_func("/publish/put-back", test_put_back);
	g_test_add_func("/publish/clean", test_clean);
	g_test_add_func("/publish/build-config-as-read",
	                test_build_config_as_read);
	return g_test_run();
}
