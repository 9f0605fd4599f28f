/*
 * test-gzip.c: gzip siblings: deterministic, decompressing to their file,
 * none where the caller says so, and a sibling already on disk taken as
 * it is only when it decompresses to exactly the new bytes.
 */
#include "autoconf.h"

#include "files.h"
#include "gzip.h"
#include "render.h"
#include "snapshot.h"

#include <glib/gstdio.h>
#include <string.h>

/* (transfer full): the gzip siblings of @files, as a build makes them. */
static GPtrArray *
siblings(const char *dir, GPtrArray *files,
         gboolean (*compress)(const char *path))
{
	EvfGzipper *g = evf_gzipper_new(dir, compress, NULL);

	for (guint i = 0; i < files->len; i++)
		evf_gzipper_add(g, g_ptr_array_index(files, i));
	return evf_gzipper_finish(g);
}

/* (transfer full): @text gzipped at @level, as another program (or an
 * older evfeed) may have written it. */
static GBytes *
gzip_at(const char *text, int level)
{
	g_autoptr(GBytes) plain = g_bytes_new(text, strlen(text));

	return evf_gzip_level(plain, level);
}

static GBytes *
text_bytes(const char *text)
{
	return g_bytes_new(text, strlen(text));
}

static char *
long_text(guint n)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		g_string_append_printf(s, "BEGIN:VEVENT line %u\r\n", i % 97);
	return g_string_free(s, FALSE);
}

static void
test_gunzip_equal(void)
{
	g_autofree char *text = long_text(5000);
	g_autoptr(GBytes) plain = text_bytes(text);
	g_autoptr(GBytes) gz = evf_gzip(plain);
	g_autoptr(GBytes) other = text_bytes("something else");
	gsize len;
	const guint8 *data = g_bytes_get_data(gz, &len);

	g_assert_true(evf_gunzip_equal(gz, plain));
	g_assert_false(evf_gunzip_equal(gz, other));
	/* A prefix of the text, or the text and more, is not equal. */
	{
		g_autoptr(GBytes) shorter = g_bytes_new(text, strlen(text) - 1);
		g_autofree char *more = g_strconcat(text, "x", NULL);
		g_autoptr(GBytes) longer = text_bytes(more);

		g_assert_false(evf_gunzip_equal(gz, shorter));
		g_assert_false(evf_gunzip_equal(gz, longer));
	}
	/* Truncated, or followed by anything, or not gzip at all. */
	{
		g_autoptr(GBytes) cut = g_bytes_new(data, len - 9);
		g_autofree guint8 *twice = g_malloc(2 * len);
		g_autoptr(GBytes) two = NULL;

		memcpy(twice, data, len);
		memcpy(twice + len, data, len);
		two = g_bytes_new(twice, 2 * len);
		g_assert_false(evf_gunzip_equal(cut, plain));
		g_assert_false(evf_gunzip_equal(two, plain));
		g_assert_false(evf_gunzip_equal(plain, plain));
	}
	/* The empty file. */
	{
		g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
		g_autoptr(GBytes) gz_empty = evf_gzip(empty);

		g_assert_true(evf_gunzip_equal(gz_empty, empty));
		g_assert_false(evf_gunzip_equal(gz_empty, plain));
	}
}

static gboolean
not_in_events(const char *path)
{
	return !g_str_has_prefix(path, "events/");
}

static void
test_siblings(void)
{
	g_autoptr(GPtrArray) files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_file_free);
	g_autoptr(GPtrArray) gz = NULL;
	g_autoptr(GPtrArray) again = NULL;

	for (guint i = 0; i < 50; i++) {
		g_autofree char *path = g_strdup_printf("f%02u.ics", i);
		g_autofree char *text = long_text(100 + i * 37);

		g_ptr_array_add(files, file(path, text));
	}
	g_ptr_array_add(files, file("events/one.ics", "BEGIN:VCALENDAR\r\n"));
	gz = siblings(NULL, files, not_in_events);
	/* One each, in the files' order, none in events/. */
	g_assert_cmpuint(gz->len, ==, 50);
	for (guint i = 0; i < gz->len; i++) {
		EvfFile *f = g_ptr_array_index(files, i);
		EvfFile *g = g_ptr_array_index(gz, i);
		g_autofree char *want = g_strconcat(f->path, ".gz", NULL);
		g_autoptr(GBytes) alone = evf_gzip(f->bytes);

		g_assert_cmpstr(g->path, ==, want);
		g_assert_true(evf_gunzip_equal(g->bytes, f->bytes));
		/* The same bytes as one call, whatever thread did it. */
		g_assert_true(g_bytes_equal(g->bytes, alone));
	}
	again = siblings(NULL, files, not_in_events);
	for (guint i = 0; i < gz->len; i++)
		g_assert_true(g_bytes_equal(
		    ((EvfFile *)g_ptr_array_index(gz, i))->bytes,
		    ((EvfFile *)g_ptr_array_index(again, i))->bytes));
}

static void
put(const char *dir, const char *path, GBytes *bytes)
{
	g_autofree char *full = g_build_filename(dir, path, NULL);
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);

	g_assert_true(g_file_set_contents(full, data, (gssize)len, NULL));
}

static void
test_siblings_reuse(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-gzip-XXXXXX", NULL);
	g_autofree char *a = long_text(3000);
	g_autofree char *b = long_text(2000);
	g_autoptr(GPtrArray) files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_file_free);
	g_autoptr(GPtrArray) gz = NULL;
	g_autoptr(GBytes) a_fast = gzip_at(a, 1);
	g_autoptr(GBytes) stale = gzip_at("an older calendar\r\n", 1);
	g_autoptr(GBytes) b_fresh = NULL;
	EvfFile *ga, *gb, *gc;

	g_assert_nonnull(dir);
	g_ptr_array_add(files, file("a.ics", a));
	g_ptr_array_add(files, file("b.ics", b));
	g_ptr_array_add(files, file("c.ics", "BEGIN:VCALENDAR\r\n"));
	b_fresh = evf_gzip(((EvfFile *)files->pdata[1])->bytes);
	/* a.ics.gz on disk holds a's new bytes, compressed otherwise than
	 * evf_gzip would; b.ics.gz holds an older b; c.ics.gz is not gzip. */
	put(dir, "a.ics.gz", a_fast);
	put(dir, "b.ics.gz", stale);
	{
		g_autoptr(GBytes) junk = text_bytes("not gzip");

		put(dir, "c.ics.gz", junk);
	}
	gz = siblings(dir, files, not_in_events);
	g_assert_cmpuint(gz->len, ==, 3);
	ga = gz->pdata[0];
	gb = gz->pdata[1];
	gc = gz->pdata[2];
	/* Taken as it was: */
	g_assert_true(g_bytes_equal(ga->bytes, a_fast));
	g_assert_true(ga->on_disk);
	g_assert_false(gb->on_disk);
	g_assert_false(gc->on_disk);
	/* compressed again: */
	g_assert_true(g_bytes_equal(gb->bytes, b_fresh));
	g_assert_true(
	    evf_gunzip_equal(gc->bytes, ((EvfFile *)files->pdata[2])->bytes));
	for (guint i = 0; i < 3; i++) {
		g_autofree char *path = g_strdup_printf("%c.ics.gz", 'a' + i);
		g_autofree char *full = g_build_filename(dir, path, NULL);

		g_assert_cmpint(g_unlink(full), ==, 0);
	}
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_trailer_matches(void)
{
	g_autofree char *a = long_text(3000);
	g_autofree char *b = g_strdup(a);
	g_autoptr(GBytes) plain = text_bytes(a);
	g_autoptr(GBytes) gz = gzip_at(a, 5);
	g_autoptr(GBytes) fast = gzip_at(a, 1);
	g_autoptr(GBytes) empty = text_bytes("");
	g_autoptr(GBytes) empty_gz = evf_gzip(empty);
	g_autoptr(GBytes) other = NULL;
	g_autoptr(GBytes) other_gz = NULL;
	g_autoptr(GBytes) cut = NULL;
	g_autoptr(GBytes) junk =
	    text_bytes("not gzip, but twenty bytes or more");

	/* another version of the same length: one letter changed */
	b[1500] = b[1500] == 'x' ? 'y' : 'x';
	other = text_bytes(b);
	other_gz = gzip_at(b, 5);
	g_assert_true(evf_gzip_trailer_matches(gz, plain));
	g_assert_true(evf_gzip_trailer_matches(fast, plain));
	g_assert_true(evf_gzip_trailer_matches(empty_gz, empty));
	g_assert_true(evf_gzip_trailer_matches(other_gz, other));
	g_assert_false(evf_gzip_trailer_matches(other_gz, plain));
	g_assert_false(evf_gzip_trailer_matches(gz, other));
	g_assert_false(evf_gzip_trailer_matches(empty_gz, plain));
	g_assert_false(evf_gzip_trailer_matches(gz, empty));
	g_assert_false(evf_gzip_trailer_matches(junk, plain));
	cut = g_bytes_new_from_bytes(gz, 0, 12);
	g_assert_false(evf_gzip_trailer_matches(cut, plain));
}

/* A server that loads the output while another build renames its files
 * in place reads a file and then the `.gz` of the next version: that
 * `.gz` is not answered under the file's ETag. */
static void
test_snapshot_versions(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-gzip-XXXXXX", NULL);
	g_autofree char *a = long_text(3000);
	g_autofree char *b = long_text(2000);
	g_autoptr(GBytes) a_plain = text_bytes(a);
	g_autoptr(GBytes) a_gz = gzip_at(a, 5);
	g_autoptr(GBytes) b_plain = text_bytes(b);
	g_autoptr(GBytes) b_next = gzip_at("BEGIN:VCALENDAR\r\nNEXT\r\n", 5);
	g_autoptr(EvfSnapshot) snap = NULL;
	g_autoptr(GError) error = NULL;
	const EvfEntry *e;

	g_assert_nonnull(dir);
	put(dir, "a.ics", a_plain);
	put(dir, "a.ics.gz", a_gz);
	put(dir, "b.ics", b_plain);
	put(dir, "b.ics.gz", b_next);
	snap =
	    evf_snapshot_load(dir, "a.ics 1\na.ics.gz 1\nb.ics 1\nb.ics.gz 1\n",
	                      3600, NULL, "https://example.org/", NULL, &error);
	g_assert_no_error(error);
	e = evf_snapshot_lookup(snap, "a.ics");
	g_assert_nonnull(e);
	g_assert_nonnull(e->gzip);
	g_assert_true(evf_gunzip_equal(e->gzip, e->body));
	e = evf_snapshot_lookup(snap, "b.ics");
	g_assert_nonnull(e);
	g_assert_true(g_bytes_equal(e->body, b_plain));
	g_assert_null(e->gzip);
	g_assert_null(e->ok_gzip);
	/* once the other build has put b.ics.gz's file in place too, the
	 * next load answers it with gzip again */
	{
		g_autoptr(GBytes) next =
		    text_bytes("BEGIN:VCALENDAR\r\nNEXT\r\n");
		g_autoptr(EvfSnapshot) again = NULL;

		put(dir, "b.ics", next);
		again = evf_snapshot_load(
		    dir, "a.ics 1\na.ics.gz 1\nb.ics 1\nb.ics.gz 1\n", 3600,
		    NULL, "https://example.org/", snap, &error);
		g_assert_no_error(error);
		e = evf_snapshot_lookup(again, "b.ics");
		g_assert_nonnull(e);
		g_assert_nonnull(e->gzip);
		g_assert_true(evf_gunzip_equal(e->gzip, e->body));
		g_assert_true(evf_snapshot_lookup(again, "a.ics") ==
		              evf_snapshot_lookup(snap, "a.ics"));
	}
	for (guint i = 0; i < 2; i++) {
		g_autofree char *path = g_strdup_printf("%c.ics", 'a' + i);
		g_autofree char *full = g_build_filename(dir, path, NULL);
		g_autofree char *full_gz = g_strconcat(full, ".gz", NULL);

		g_assert_cmpint(g_unlink(full), ==, 0);
		g_assert_cmpint(g_unlink(full_gz), ==, 0);
	}
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/gzip/gunzip-equal", test_gunzip_equal);
	g_test_add_func("/gzip/siblings", test_siblings);
	g_test_add_func("/gzip/siblings-reuse", test_siblings_reuse);
	g_test_add_func("/gzip/trailer-matches", test_trailer_matches);
	g_test_add_func("/gzip/snapshot-of-two-versions",
	                test_snapshot_versions);
	return g_test_run();
}
