/*
 * snapshot.h: what the server answers from: an immutable, reference-counted
 * set of ready responses for every file of the output folder (identity and
 * gzip bodies, their ETags, Last-Modified). Publishing builds a new
 * snapshot and swaps it in; responses in flight keep the old one alive.
 */
#pragma once

#include <glib.h>

struct MHD_Response;

typedef struct {
	char *path;               /* "calendar.ics", "category/x/rss.xml" */
	const char *content_type; /* static */
	GBytes *body;
	GBytes *gzip; /* nullable */
	char *etag;   /* strong, quoted */
	char *etag_gzip;
	gint64 mtime; /* seconds, the file's: what nginx would send */
	/* seconds, its Last-Modified: the file's time, or when it was read
	 * if that is earlier (a clock set back since the build): RFC 9110
	 * §8.8.2.1 has no Last-Modified later than the answer's Date */
	gint64 modified;
	char *last_modified;
	char *link; /* nullable: the WebSub Link header of a feed */
	/* ready MHD responses, shared by every request */
	struct MHD_Response *ok;
	struct MHD_Response *ok_gzip;
	struct MHD_Response *not_modified;
	struct MHD_Response *not_modified_gzip;
	/* identity of the file it was read from, to reuse it unchanged */
	guint64 dev, ino, size;
	gint64 mtime_ns;
	gboolean redated; /* by evf_snapshot_date_changes, not its file yet */
	gint64 answered;  /* the last second an answer of it was dated in
	                   * (evf_entry_answered; atomic) */
	/* swapped in within the second of its Last-Modified, in which the
	 * version before it was answered too, here or (its file dated
	 * later: read before the second it is dated in) by another server
	 * of the folder */
	gboolean shared_second;
} EvfEntry;

typedef struct _EvfSnapshot EvfSnapshot;

/* (transfer full): a snapshot of the files named in @manifest (the
 * publisher's "path size" lines) under @dir; "x.gz" files become the gzip
 * variant of "x". Entries of @previous (nullable) whose file is unchanged
 * are shared, not read again. @max_age is the Cache-Control max-age. With
 * a WebSub @hub (nullable), the feeds' answers carry a Link header naming
 * it and their own URL under @site_url (with its trailing '/'). */
EvfSnapshot *evf_snapshot_load(const char *dir, const char *manifest,
                               gint64 max_age, const char *hub,
                               const char *site_url, EvfSnapshot *previous,
                               GError **error);

/* The first second (0: none) in which an entry of @snap, whose file is
 * dated after its Last-Modified (read before the second its file is
 * dated in: serve's own build dates its files ahead), is due to be read
 * anew by evf_snapshot_load with @snap as its previous, and served with
 * its file's date: until then, an If-Modified-Since of its Last-Modified
 * is answered in full (shared_second). */
gint64 evf_snapshot_due(EvfSnapshot *snap);
/* Notes that an answer of @e is being dated now (time(), as
 * libmicrohttpd dates answers): for evf_snapshot_date_changes. */
void evf_entry_answered(const EvfEntry *e);
/* Dates each entry of @snap, not yet served, that gives other bytes than
 * @previous's (nullable) of its path after the old version's date, and
 * no earlier than @now (seconds): until @snap is swapped in, @previous
 * answers, and a client that asks If-Modified-Since with such an
 * answer's Date must not be told that @snap's version is not modified. One
 * whose old version was answered in the second it is dated by is marked
 * shared_second (that second names either); one whose old version was
 * answered later (a clock set back) is dated after that. The latest
 * second so given, or 0 when none changed: the caller swaps @snap in once
 * it has begun (at once, but for two versions within a second). */
gint64 evf_snapshot_date_changes(EvfSnapshot *snap, EvfSnapshot *previous,
                                 gint64 now);
/* Dates the files under @dir of the entries evf_snapshot_date_changes
 * dated likewise, once their second has begun (never back: a file dated
 * later keeps its date), and their `.gz` copies,
 * which another web server answers gzip from with their own dates: for
 * another server of the folder, and for this one after a restart. */
void evf_snapshot_date_files(EvfSnapshot *snap, const char *dir);

EvfSnapshot *evf_snapshot_ref(EvfSnapshot *snap);
void evf_snapshot_unref(EvfSnapshot *snap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfSnapshot, evf_snapshot_unref)

/* (transfer none) (nullable): the entry for @path (no leading '/'). */
const EvfEntry *evf_snapshot_lookup(EvfSnapshot *snap, const char *path);
guint evf_snapshot_size(EvfSnapshot *snap);
/* The Cache-Control max-age of the snapshot's answers, in seconds. */
gint64 evf_snapshot_max_age(EvfSnapshot *snap);
/* (transfer none): the ETag of @path, or NULL. */
const char *evf_snapshot_etag(EvfSnapshot *snap, const char *path);
