/*
 * snapshot.c: see snapshot.h. Entries are themselves reference counted so
 * that a rebuild that changes one file shares every other entry, and its
 * ready responses, with the previous snapshot.
 */
#include "autoconf.h"
#include "snapshot.h"

#include "gzip.h"
#include "util.h"
#include "websub.h"

#include <microhttpd.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

struct _EvfSnapshot {
	gint refcount;
	GHashTable *entries; /* path → EvfEntry (g_rc_box) */
	gint64 max_age;      /* the Cache-Control max-age of its answers */
};

/* Lets go of @e's ready answers, if any. */
static void
entry_drop_answers(EvfEntry *e)
{
	g_clear_pointer(&e->ok, MHD_destroy_response);
	g_clear_pointer(&e->ok_gzip, MHD_destroy_response);
	g_clear_pointer(&e->not_modified, MHD_destroy_response);
	g_clear_pointer(&e->not_modified_gzip, MHD_destroy_response);
}

static void
entry_clear(gpointer p)
{
	EvfEntry *e = p;

	g_free(e->path);
	g_clear_pointer(&e->body, g_bytes_unref);
	g_clear_pointer(&e->gzip, g_bytes_unref);
	g_free(e->etag);
	g_free(e->etag_gzip);
	g_free(e->last_modified);
	g_free(e->link);
	entry_drop_answers(e);
}

static void
entry_unref(gpointer p)
{
	g_rc_box_release_full(p, entry_clear);
}

static const char *
content_type(const char *path)
{
	if (g_str_has_suffix(path, ".ics"))
		return "text/calendar; charset=utf-8";
	if (g_str_has_suffix(path, "rss.xml"))
		return "application/rss+xml; charset=utf-8";
	if (g_str_has_suffix(path, "atom.xml"))
		return "application/atom+xml; charset=utf-8";
	if (g_str_has_suffix(path, "feed.json"))
		return "application/feed+json; charset=utf-8";
	if (g_str_has_suffix(path, "calendar.json"))
		return "application/calendar+json; charset=utf-8";
	if (g_str_has_suffix(path, ".json"))
		return "application/json; charset=utf-8";
	if (g_str_has_suffix(path, ".html"))
		return "text/html; charset=utf-8";
	if (g_str_has_suffix(path, ".css"))
		return "text/css; charset=utf-8";
	return "application/octet-stream";
}

static char *
etag_of(GBytes *bytes, const char *suffix)
{
	g_autofree char *hex =
	    g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);

	hex[32] = '\0';
	return g_strdup_printf("\"%s%s\"", hex, suffix);
}

static void
release_bytes(void *cls)
{
	g_bytes_unref(cls);
}

/* A response with @body. libmicrohttpd sends no body with a 304 but
 * still its Content-Length, which must then be the length of the 200 it
 * stands for (RFC 9110 §8.6), never 0: so both are built on the body. */
static struct MHD_Response *
response(GBytes *body)
{
	gsize len = 0;
	const void *data = g_bytes_get_data(body, &len);

	/* The response holds its own reference to the bytes, so that it
	 * can outlive the snapshot while it is being sent. */
	return MHD_create_response_from_buffer_with_free_callback_cls(
	    len, (void *)data, release_bytes, g_bytes_ref(body));
}

static void
add_headers(struct MHD_Response *r, const EvfEntry *e, const char *etag,
            const char *cache, gboolean gzip, gboolean full)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED,
	                        e->last_modified);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
	/* only where there is a gzip answer to vary to (not the one-event
	 * calendars), as nginx's gzip_static says */
	if (e->gzip != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
		                        "Accept-Encoding");
	if (e->link != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LINK, e->link);
	if (full) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        e->content_type);
		MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
		if (gzip)
			MHD_add_response_header(
			    r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	}
}

/* @e's ready answers, dated e->modified, in place of any it had. */
static void
entry_answer(EvfEntry *e, gint64 max_age)
{
	g_autofree char *cache =
	    g_strdup_printf("public, max-age=%" G_GINT64_FORMAT, max_age);

	entry_drop_answers(e);
	g_free(e->last_modified);
	e->last_modified = evf_date_rfc822(e->modified * G_USEC_PER_SEC, TRUE);
	e->ok = response(e->body);
	e->not_modified = response(e->body);
	add_headers(e->ok, e, e->etag, cache, FALSE, TRUE);
	add_headers(e->not_modified, e, e->etag, cache, FALSE, FALSE);
	if (e->gzip != NULL) {
		e->ok_gzip = response(e->gzip);
		e->not_modified_gzip = response(e->gzip);
		add_headers(e->ok_gzip, e, e->etag_gzip, cache, TRUE, TRUE);
		add_headers(e->not_modified_gzip, e, e->etag_gzip, cache, TRUE,
		            FALSE);
	}
}

/* Whether @e's file is dated a second after its Last-Modified: read in
 * the second before its file's (serve's own build dates a new version in
 * the next second, and puts it in place at once), a second that another
 * server of the folder may have answered the version before it in, and
 * which so names either. (A file dated further ahead is one of a clock
 * set back since.) */
static gboolean
read_before_its_second(const EvfEntry *e)
{
	return e->mtime == e->modified + 1;
}

static EvfEntry *
entry_new(const char *dir, const char *path, const struct stat *st,
          gint64 max_age, const char *link, GError **error)
{
	EvfEntry *e = g_rc_box_new0(EvfEntry);
	g_autofree char *full = g_build_filename(dir, path, NULL);
	g_autofree char *gz = g_strconcat(full, ".gz", NULL);

	e->path = g_strdup(path);
	e->link = g_strdup(link);
	e->content_type = content_type(path);
	e->body = evf_file_read(full, G_MAXINT32, error);
	if (e->body == NULL) {
		entry_unref(e);
		return NULL;
	}
	if (g_file_test(gz, G_FILE_TEST_IS_REGULAR))
		e->gzip = evf_file_read(gz, G_MAXINT32, NULL);
	/* A build beside the server (evfeed build from cron) that renamed
	 * its files between the two reads gave the `.gz` of another version:
	 * this file is answered without gzip until the next load, which the
	 * other build's change brings (an answer's gzip must decompress to
	 * the body its ETag names). */
	if (e->gzip != NULL && !evf_gzip_trailer_matches(e->gzip, e->body))
		g_clear_pointer(&e->gzip, g_bytes_unref);
	e->etag = etag_of(e->body, "");
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->size = st->st_size;
	e->mtime = st->st_mtim.tv_sec;
	e->mtime_ns = st->st_mtim.tv_nsec;
	e->modified = MIN(e->mtime, g_get_real_time() / G_USEC_PER_SEC);
	e->shared_second = read_before_its_second(e);
	if (e->gzip != NULL)
		e->etag_gzip = etag_of(e->body, "-gzip");
	entry_answer(e, max_age);
	return e;
}

static gboolean
same_file(const EvfEntry *e, const struct stat *st, const char *gz)
{
	struct stat gst;
	gboolean has_gz = stat(gz, &gst) == 0;

	return e->dev == (guint64)st->st_dev && e->ino == (guint64)st->st_ino &&
	       e->size == (guint64)st->st_size &&
	       e->mtime == st->st_mtim.tv_sec &&
	       e->mtime_ns == st->st_mtim.tv_nsec &&
	       has_gz == (e->gzip != NULL) &&
	       (!has_gz || g_bytes_get_size(e->gzip) == (gsize)gst.st_size);
}

EvfSnapshot *
evf_snapshot_load(const char *dir, const char *manifest, gint64 max_age,
                  const char *hub, const char *site_url, EvfSnapshot *previous,
                  GError **error)
{
	EvfSnapshot *snap = g_new0(EvfSnapshot, 1);
	g_auto(GStrv) lines =
	    g_strsplit_set(manifest ? manifest : "", "\n", -1);

	snap->refcount = 1;
	snap->max_age = max_age;
	snap->entries =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, entry_unref);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *sp = strrchr(lines[i], ' ');
		g_autofree char *full = NULL;
		g_autofree char *gz = NULL;
		g_autofree char *link = NULL;
		EvfEntry *e = NULL;
		struct stat st;

		if (sp == NULL)
			continue;
		*sp = '\0';
		if (g_str_has_suffix(lines[i], ".gz"))
			continue;
		full = g_build_filename(dir, lines[i], NULL);
		gz = g_strconcat(full, ".gz", NULL);
		if (hub != NULL && evf_websub_is_feed(lines[i])) {
			g_autofree char *self =
			    g_strconcat(site_url, lines[i], NULL);

			link = evf_websub_link_header(hub, self);
		}
		if (stat(full, &st) < 0) {
			int err = errno;
			g_set_error(
			    error, G_FILE_ERROR, g_file_error_from_errno(err),
			    "cannot read '%s': %s", full, g_strerror(err));
			evf_snapshot_unref(snap);
			return NULL;
		}
		/* (its ready answers carry its max-age: another refresh,
		 * whether or not the reload that brought it could build, makes
		 * every answer anew) */
		if (previous != NULL && previous->max_age == max_age) {
			EvfEntry *old =
			    g_hash_table_lookup(previous->entries, lines[i]);

			/* (but one whose file is dated after its Last-Modified
			 * once that second has begun: read anew, it is served
			 * with its file's date, which If-Modified-Since of it
			 * gets a 304 for) */
			if (old != NULL && same_file(old, &st, gz) &&
			    g_strcmp0(old->link, link) == 0 &&
			    !(old->modified < old->mtime &&
			      old->mtime <= g_get_real_time() / G_USEC_PER_SEC))
				e = g_rc_box_acquire(old);
		}
		if (e == NULL)
			e = entry_new(dir, lines[i], &st, max_age, link, error);
		if (e == NULL) {
			evf_snapshot_unref(snap);
			return NULL;
		}
		g_hash_table_replace(snap->entries, e->path, e);
	}
	return snap;
}

gint64
evf_snapshot_due(EvfSnapshot *snap)
{
	GHashTableIter it;
	gpointer value;
	gint64 due = 0;

	g_hash_table_iter_init(&it, snap->entries);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const EvfEntry *e = value;

		if (e->modified < e->mtime && (due == 0 || e->mtime < due))
			due = e->mtime;
	}
	return due;
}

void
evf_entry_answered(const EvfEntry *e)
{
	__atomic_store_n(&((EvfEntry *)e)->answered, (gint64)time(NULL),
	                 __ATOMIC_RELAXED);
}

gint64
evf_snapshot_date_changes(EvfSnapshot *snap, EvfSnapshot *previous, gint64 now)
{
	GHashTableIter it;
	gpointer value;
	gint64 latest = 0;

	g_hash_table_iter_init(&it, snap->entries);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		EvfEntry *e = value;
		const EvfEntry *old =
		    previous != NULL
		        ? g_hash_table_lookup(previous->entries, e->path)
		        : NULL;
		gint64 at, answered;

		/* (an entry shared with @previous is served already; one of
		 * a new path replaces no version a client may have) */
		if (old == NULL || old == e || strcmp(old->etag, e->etag) == 0)
			continue;
		/* after the old version's date: now, if that was before */
		answered = __atomic_load_n(&old->answered, __ATOMIC_RELAXED);
		at = MAX(old->modified + 1, now);
		if (answered > at)
			at = answered + 1;
		latest = MAX(latest, at);
		/* (dated so already: written in this second) */
		if (e->modified < at) {
			e->modified = at;
			e->redated = TRUE;
			entry_answer(e, snap->max_age);
		}
		e->shared_second =
		    answered == e->modified || read_before_its_second(e);
	}
	return latest;
}

void
evf_snapshot_date_files(EvfSnapshot *snap, const char *dir)
{
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, snap->entries);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		EvfEntry *e = value;
		g_autofree char *full = NULL;
		struct timespec times[2] = { { 0, UTIME_OMIT },
			                     { e->modified, 0 } };
		struct stat st;

		if (!e->redated)
			continue;
		e->redated = FALSE;
		/* A file dated later already (serve's own build dates it
		 * ahead) keeps its date: moved back, it could be the date of
		 * the version before it, which another server sent. */
		if (e->mtime >= e->modified)
			continue;
		full = g_build_filename(dir, e->path, NULL);
		/* (a file another build replaced meanwhile is left to the
		 * next load) */
		if (stat(full, &st) == 0 && (guint64)st.st_ino == e->ino &&
		    st.st_mtim.tv_sec == e->mtime &&
		    st.st_mtim.tv_nsec == e->mtime_ns &&
		    utimensat(AT_FDCWD, full, times, 0) == 0) {
			g_autofree char *gz = g_strconcat(full, ".gz", NULL);

			e->mtime = e->modified;
			e->mtime_ns = 0;
			/* (the copy of this version: of its size, and dated
			 * before it) */
			if (e->gzip != NULL && stat(gz, &st) == 0 &&
			    st.st_size == (off_t)g_bytes_get_size(e->gzip) &&
			    st.st_mtim.tv_sec < e->modified)
				(void)utimensat(AT_FDCWD, gz, times, 0);
		}
	}
}

EvfSnapshot *
evf_snapshot_ref(EvfSnapshot *snap)
{
	g_atomic_int_inc(&snap->refcount);
	return snap;
}

void
evf_snapshot_unref(EvfSnapshot *snap)
{
	if (snap == NULL || !g_atomic_int_dec_and_test(&snap->refcount))
		return;
	g_hash_table_unref(snap->entries);
	g_free(snap);
}

const EvfEntry *
evf_snapshot_lookup(EvfSnapshot *snap, const char *path)
{
	return g_hash_table_lookup(snap->entries, path);
}

guint
evf_snapshot_size(EvfSnapshot *snap)
{
	return g_hash_table_size(snap->entries);
}

const char *
evf_snapshot_etag(EvfSnapshot *snap, const char *path)
{
	const EvfEntry *e = evf_snapshot_lookup(snap, path);

	return e != NULL ? e->etag : NULL;
}

gint64
evf_snapshot_max_age(EvfSnapshot *snap)
{
	return snap->max_age;
}
