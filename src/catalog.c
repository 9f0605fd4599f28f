/*
 * catalog.c: the events folder (see catalog.h).
 */
#include "autoconf.h"
#include "catalog.h"

#include "event.h"
#include "eventfile.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	guint64 dev, ino, size;
	gint64 mtime_s, mtime_ns;
	/* The change time, which no program can set back (an edit in place
	 * that keeps the size and restores the modification time); racy:
	 * the file changed in the second it was read, which a file system
	 * with whole seconds cannot tell from a later change (git's "racy
	 * clean"): it is read again. */
	gint64 ctime_s, ctime_ns;
	gboolean racy;
	GBytes *bytes;
	EvfEvent *event; /* nullable: not parsed, or invalid */
} CacheEntry;

struct _EvfCatalogCache {
	GHashTable *files; /* name → CacheEntry */
	/* (nullable) the listing_add() digest of the folder as the last read
	 * found it, and whether a file in it had changed in that very second */
	char *listing;
	gboolean racy;
};

static void
cache_entry_free(gpointer p)
{
	CacheEntry *e = p;

	g_clear_pointer(&e->bytes, g_bytes_unref);
	evf_event_unref(e->event);
	g_free(e);
}

EvfCatalogCache *
evf_catalog_cache_new(void)
{
	EvfCatalogCache *cache = g_new0(EvfCatalogCache, 1);

	cache->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                     cache_entry_free);
	return cache;
}

void
evf_catalog_cache_free(EvfCatalogCache *cache)
{
	if (cache == NULL)
		return;
	g_hash_table_unref(cache->files);
	g_free(cache->listing);
	g_free(cache);
}

/* Whether @name is one of an event file (hidden files are not). */
static gboolean
is_event_name(const char *name)
{
	return name[0] != '.' && g_str_has_suffix(name, ".md") &&
	       strlen(name) > 3;
}

/* Adds to @sum what @st (all zero: not there) says of the event file
 * @name: its device, inode, size, change and modification times; sets
 * *@racy when it changed in this very second (@now_s) on a file system of
 * whole seconds, which cannot tell that change from a later one. */
static void
listing_add(GChecksum *sum, const char *name, const struct stat *st,
            gint64 now_s, gboolean *racy)
{
	char line[128];
	int len;

	*racy |= st->st_ctim.tv_sec >= now_s && st->st_ctim.tv_nsec == 0;
	len = g_snprintf(line, sizeof line, "%ju %ju %jd %jd.%ld %jd.%ld",
	                 (uintmax_t)st->st_dev, (uintmax_t)st->st_ino,
	                 (intmax_t)st->st_size, (intmax_t)st->st_mtim.tv_sec,
	                 st->st_mtim.tv_nsec, (intmax_t)st->st_ctim.tv_sec,
	                 st->st_ctim.tv_nsec);
	g_checksum_update(sum, (const guchar *)name, strlen(name) + 1);
	g_checksum_update(sum, (const guchar *)line, len + 1);
}

/* One file of the events folder, read on any thread. */
typedef struct {
	const char *name; /* borrowed: its name in the folder */
	int dirfd;        /* the folder, open: read once, though its path is
	                   * pointed elsewhere meanwhile */
	EvfSourceFile *file;
	struct stat st;
	gboolean known;  /* st is the file's, and the cache may hold it */
	gboolean cached; /* its bytes came from the cache */
	GError *error;
	char *digest; /* SHA-256 of its name, size and bytes */
} ReadJob;

static void
read_job_free(gpointer p)
{
	ReadJob *j = p;

	evf_source_file_free(j->file);
	g_clear_error(&j->error);
	g_free(j->digest);
	g_free(j);
}

/* Reads a file, or takes its bytes from the cache (user_data, nullable)
 * when its identity is unchanged. The cache is only looked at here: it is
 * updated after, on one thread. */
static void
read_job(gpointer data, gpointer user_data)
{
	ReadJob *j = data;
	EvfCatalogCache *cache = user_data;
	EvfSourceFile *f = j->file;
	g_autoptr(GChecksum) sum = NULL;
	g_autofree char *size = NULL;
	const guchar *bytes;
	gsize len;

	/* (the stat is the folder's listing too: see listing_add) */
	if (cache != NULL &&
	    fstatat(j->dirfd, j->name, &j->st, AT_SYMLINK_NOFOLLOW) != 0)
		memset(&j->st, 0, sizeof j->st);
	j->known = cache != NULL && S_ISREG(j->st.st_mode);
	if (j->known) {
		CacheEntry *e = g_hash_table_lookup(cache->files, j->name);

		if (e != NULL && e->dev == (guint64)j->st.st_dev &&
		    e->ino == (guint64)j->st.st_ino &&
		    e->size == (guint64)j->st.st_size &&
		    e->mtime_s == j->st.st_mtim.tv_sec &&
		    e->mtime_ns == j->st.st_mtim.tv_nsec &&
		    e->ctime_s == j->st.st_ctim.tv_sec &&
		    e->ctime_ns == j->st.st_ctim.tv_nsec && !e->racy) {
			f->bytes = g_bytes_ref(e->bytes);
			j->cached = TRUE;
		}
	}
	if (f->bytes == NULL)
		f->bytes = evf_file_read_at(j->dirfd, j->name, f->path,
		                            EVF_EVENTFILE_MAX_FILE, &j->error);
	if (f->bytes == NULL)
		return;
	sum = g_checksum_new(G_CHECKSUM_SHA256);
	bytes = g_bytes_get_data(f->bytes, &len);
	size = g_strdup_printf("%" G_GSIZE_FORMAT ":", len);
	g_checksum_update(sum, (const guchar *)j->name, strlen(j->name) + 1);
	g_checksum_update(sum, (const guchar *)size, strlen(size));
	g_checksum_update(sum, bytes, len);
	j->digest = g_strdup(g_checksum_get_string(sum));
}

/* Remembers, or forgets, what @j read. */
static void
cache_update(EvfCatalogCache *cache, ReadJob *j)
{
	CacheEntry *e;

	if (cache == NULL || !j->known || j->cached)
		return;
	if (j->file->bytes == NULL) {
		g_hash_table_remove(cache->files, j->name);
		return;
	}
	e = g_new0(CacheEntry, 1);
	e->dev = j->st.st_dev;
	e->ino = j->st.st_ino;
	e->size = j->st.st_size;
	e->mtime_s = j->st.st_mtim.tv_sec;
	e->mtime_ns = j->st.st_mtim.tv_nsec;
	e->ctime_s = j->st.st_ctim.tv_sec;
	e->ctime_ns = j->st.st_ctim.tv_nsec;
	e->racy = e->ctime_s >= g_get_real_time() / G_USEC_PER_SEC;
	e->bytes = g_bytes_ref(j->file->bytes);
	g_hash_table_replace(cache->files, g_strdup(j->name), e);
}

/* Runs @func on each of @jobs, on as many threads as there are processors
 * (a handful of files is not worth the threads). */
static void
run_all(GPtrArray *jobs, GFunc func, gpointer data)
{
	if (jobs->len < 16)
		g_ptr_array_foreach(jobs, func, data);
	else
		evf_parallel_for(jobs, func, data);
}

EvfSourceFile *
evf_source_file_new(const char *path, const char *text)
{
	EvfSourceFile *f = g_new0(EvfSourceFile, 1);
	g_autofree char *name = g_path_get_basename(path);

	g_return_val_if_fail(g_str_has_suffix(name, ".md"), NULL);
	f->path = g_strdup(path);
	f->display = evf_catalog_display_path(path);
	f->stem = g_strndup(name, strlen(name) - 3);
	f->bytes = g_bytes_new(text, strlen(text));
	return f;
}

void
evf_source_file_free(EvfSourceFile *f)
{
	if (f == NULL)
		return;
	g_free(f->path);
	g_free(f->display);
	g_free(f->stem);
	if (f->bytes != NULL)
		g_bytes_unref(f->bytes);
	g_free(f);
}

/* @path as shown from @cwd, the current folder (relative below it) */
static char *
display_from(const char *cwd, const char *path)
{
	gsize n = strlen(cwd);

	if (strncmp(path, cwd, n) == 0 && path[n] == '/')
		return g_strdup(path + n + 1);
	return g_strdup(path);
}

char *
evf_catalog_display_path(const char *path)
{
	g_autofree char *cwd = g_get_current_dir();

	return display_from(cwd, path);
}

static gint
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether the event files of @cfg's folder are otherwise than the last
 * read of @cache found them (evf_catalog_cache_stale); *@known is FALSE,
 * with FALSE, when that cannot be told: before the first read, and when
 * the folder cannot be read. One read in the second of a change, on a
 * file system of whole seconds, is otherwise. */
static gboolean
listing_changed(const EvfConfig *cfg, EvfCatalogCache *cache, gboolean *known)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	gint64 now_s = g_get_real_time() / G_USEC_PER_SEC;
	struct dirent *entry;
	gboolean racy;
	int dirfd;
	DIR *dir;

	*known = FALSE;
	if (cache->listing == NULL)
		return FALSE;
	if (cache->racy) {
		*known = TRUE;
		return TRUE;
	}
	dirfd = open(cfg->events_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return FALSE;
	if ((dir = fdopendir(dirfd)) == NULL) {
		close(dirfd);
		return FALSE;
	}
	*known = TRUE;
	while ((entry = readdir(dir)) != NULL)
		if (is_event_name(entry->d_name))
			g_ptr_array_add(names, g_strdup(entry->d_name));
	g_ptr_array_sort(names, name_cmp);
	racy = FALSE;
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		struct stat st;

		if (fstatat(dirfd, n, &st, AT_SYMLINK_NOFOLLOW) != 0)
			memset(&st, 0, sizeof st);
		listing_add(sum, n, &st, now_s, &racy);
	}
	closedir(dir); /* and dirfd with it */
	return strcmp(g_checksum_get_string(sum), cache->listing) != 0;
}

gboolean
evf_catalog_cache_stale(const EvfConfig *cfg, EvfCatalogCache *cache)
{
	gboolean known;

	return listing_changed(cfg, cache, &known);
}

gboolean
evf_catalog_cache_as_read(const EvfConfig *cfg, EvfCatalogCache *cache,
                          const char *name, const char *other)
{
	gboolean known;

	return name != NULL && is_event_name(name) &&
	       (other == NULL || is_event_name(other)) &&
	       !listing_changed(cfg, cache, &known) && known;
}

/* Whether the folder @path holds a file named *.md. */
static gboolean
holds_event_files(const char *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const char *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL)
		if (name[0] != '.' && g_str_has_suffix(name, ".md"))
			return TRUE;
	return FALSE;
}

/* A warning for @name in the events folder, which is not read, when it
 * looks like an event file an editor means to publish: one whose name
 * ends in .md in another case or in .markdown, or in .md.txt, or a
 * subfolder of .md files. Editors' backups and other files pass in
 * silence. */
static void
warn_unread(const EvfConfig *cfg, const char *name, GPtrArray *diags)
{
	g_autofree char *path = g_build_filename(cfg->events_dir, name, NULL);
	g_autofree char *shown = evf_catalog_display_path(path);
	g_autofree char *lower = g_ascii_strdown(name, -1);

	if (g_str_has_suffix(lower, ".md") ||
	    g_str_has_suffix(lower, ".markdown"))
		evf_diags_warn(diags, shown, 0, 0,
		               "not read: an event file's name ends in '.md', "
		               "in lower case");
	else if (g_str_has_suffix(lower, ".md.txt") ||
	         g_str_has_suffix(lower, ".markdown.txt"))
		evf_diags_warn(
		    diags, shown, 0, 0,
		    "not read: the name ends in '.txt' after its "
		    "'.md' (as Notepad saves a file), where an event "
		    "file's name ends in '.md'");
	else if (g_str_has_suffix(g_strchomp(lower), ".md"))
		evf_diags_warn(
		    diags, shown, 0, 0,
		    "not read: the name has a space after its '.md', "
		    "where an event file's name ends");
	else if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
	         !g_file_test(path, G_FILE_TEST_IS_SYMLINK) &&
	         holds_event_files(path))
		evf_diags_warn(diags, shown, 0, 0,
		               "not read: event files go directly in the "
		               "events folder, not in folders within it");
}

/* Why the event file @f could not be read (@error from evf_file_read), in
 * an editor's words, without a line and column, which do not apply (but
 * a file too large is reported at its start, as before): the name is
 * already at the start of the line, so the message does not repeat it. */
static void
report_unreadable(const EvfSourceFile *f, const GError *error, GPtrArray *diags)
{
	const char *what = error->message;
	struct stat st;
	/* what it is, before why it could not be read: a folder this user
	 * may not open is a folder to rename, a socket cannot be opened */
	gboolean known = lstat(f->path, &st) == 0 && !S_ISLNK(st.st_mode);

	if (g_error_matches(error, EVF_ERROR, EVF_ERROR_INVALID)) {
		evf_diags_add(diags, f->display, 1, 1,
		              "file is too large (the limit is %d MiB)",
		              EVF_EVENTFILE_MAX_FILE >> 20);
		return;
	}
	if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_LOOP))
		what = "a symbolic link, which evfeed does not follow: copy or "
		       "move the file itself here";
	else if (known && S_ISDIR(st.st_mode))
		what = "a folder named like an event file: rename it so that "
		       "its name does not end in '.md' (event files go "
		       "directly in the events folder)";
	else if ((known && !S_ISREG(st.st_mode)) ||
	         g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_INVAL))
		what = "not a regular file (a pipe, socket or device), so it "
		       "is not read";
	else if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
		what = "permission denied: evfeed's user cannot read it";
	else if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
		what = "removed while evfeed was reading the folder";
	evf_diags_add(diags, f->display, 1, 1, "%s", what);
}

/* Whether @e (nullable) is the machine's, and passes. */
static gboolean
passing(const GError *e)
{
	return g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_MFILE) ||
	       g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NFILE) ||
	       g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOMEM);
}

GPtrArray *
evf_catalog_read(const EvfConfig *cfg, EvfCatalogCache *cache, GPtrArray *diags,
                 char **digest, GError **out_error)
{
	g_autoptr(GError) error = NULL;
	/* The folder is opened once, listed and read through that one
	 * descriptor: a deploy that points its path at another folder
	 * meanwhile (a symbolic link swapped) would mix the two. */
	int dirfd = open(cfg->events_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = NULL;
	struct dirent *entry;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_source_file_free);
	g_autoptr(GPtrArray) jobs =
	    g_ptr_array_new_with_free_func(read_job_free);
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree char *cwd = NULL;
	const char *name;
	gint64 now_s;

	/* (one descriptor for both: a machine short of them reads the
	 * folder all the same, and says which file it could not open) */
	if (dirfd >= 0 && (dir = fdopendir(dirfd)) == NULL) {
		int e = errno;

		close(dirfd);
		dirfd = -1;
		errno = e;
	}
	if (dirfd < 0) {
		int e = errno;

		g_set_error(&error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "Error opening directory “%s”: %s", cfg->events_dir,
		            g_strerror(e));
	}
	if (dir == NULL && out_error != NULL && passing(error)) {
		g_set_error(out_error, EVF_ERROR, EVF_ERROR_IO,
		            "cannot read the events folder: %s",
		            error->message);
		return NULL;
	}
	if (dir == NULL) {
		g_autofree char *shown =
		    evf_catalog_display_path(cfg->events_dir);
		evf_diags_add(diags, shown, 0, 0,
		              "cannot read the events folder: %s",
		              error->message);
		return NULL;
	}
	while ((entry = readdir(dir)) != NULL) {
		name = entry->d_name;
		/* (".", "..", and the hidden files, are not read) */
		if (is_event_name(name))
			g_ptr_array_add(names, g_strdup(name));
		else if (name[0] != '.')
			warn_unread(cfg, name, diags);
	}
	g_ptr_array_sort(names, name_cmp);

	/* (the current folder once, not a stat of it and of $PWD a file) */
	cwd = g_get_current_dir();
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		ReadJob *j = g_new0(ReadJob, 1);

		j->name = n;
		j->dirfd = dirfd;
		j->file = g_new0(EvfSourceFile, 1);
		j->file->path = g_build_filename(cfg->events_dir, n, NULL);
		j->file->display = display_from(cwd, j->file->path);
		j->file->stem = g_strndup(n, strlen(n) - 3);
		g_ptr_array_add(jobs, j);
	}
	now_s = g_get_real_time() / G_USEC_PER_SEC;
	run_all(jobs, read_job, cache);
	closedir(dir); /* and dirfd with it */
	/* as each file was before it was read: a change while it was is
	 * seen */
	if (cache != NULL) {
		g_autoptr(GChecksum) listing =
		    g_checksum_new(G_CHECKSUM_SHA256);

		cache->racy = FALSE;
		for (guint i = 0; i < jobs->len; i++) {
			ReadJob *j = g_ptr_array_index(jobs, i);

			listing_add(listing, j->name, &j->st, now_s,
			            &cache->racy);
		}
		g_free(cache->listing);
		cache->listing = g_strdup(g_checksum_get_string(listing));
	}
	for (guint i = 0; i < jobs->len; i++) {
		ReadJob *j = g_ptr_array_index(jobs, i);
		EvfSourceFile *f = j->file;

		cache_update(cache, j);
		if (f->bytes == NULL && out_error != NULL &&
		    passing(j->error)) {
			if (*out_error == NULL)
				g_set_error(out_error, EVF_ERROR, EVF_ERROR_IO,
				            "cannot read %s: %s", f->display,
				            j->error->message);
			continue;
		}
		if (f->bytes == NULL) {
			report_unreadable(f, j->error, diags);
			continue;
		}
		g_checksum_update(sum, (const guchar *)j->digest,
		                  strlen(j->digest));
		g_ptr_array_add(files, g_steal_pointer(&j->file));
	}
	if (cache != NULL) {
		/* Forget the files that are gone. */
		GHashTableIter it;
		gpointer key;
		g_autoptr(GHashTable) present =
		    g_hash_table_new(g_str_hash, g_str_equal);

		for (guint i = 0; i < names->len; i++)
			g_hash_table_add(present, g_ptr_array_index(names, i));
		g_hash_table_iter_init(&it, cache->files);
		while (g_hash_table_iter_next(&it, &key, NULL))
			if (!g_hash_table_contains(present, key))
				g_hash_table_iter_remove(&it);
	}
	if (out_error != NULL && *out_error != NULL)
		return NULL;
	*digest = g_strdup(g_checksum_get_string(sum));
	return g_steal_pointer(&files);
}

static gint
uid_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(EvfEvent *const *)a)->uid,
	              (*(EvfEvent *const *)b)->uid);
}

/* Why the file of @self has the uid of @other's too, said to @self's
 * editor, when it was not written in both (uid_line 1: made from the file
 * name): "" when it was. Two names that give one uid are one name in
 * Unicode's NFC: they differ only in how their accented letters are
 * encoded, and look alike. */
static const char *
uid_clash_reason(const EvfEvent *self, const EvfEvent *other)
{
	if (self->uid_line == 1 && other->uid_line == 1)
		return " (both made from the file name: the two names differ "
		       "only in how their accented letters are encoded, "
		       "composed or not; rename or remove one)";
	/* The 'uid:' may be a renamed file's, which kept its published
	 * identity as evfeed-event(5) says to, and the other a new file
	 * given the old name: changing the published one would give its
	 * identity to the new event. */
	if (self->uid_line == 1)
		return " (made from this file's name, as it has no 'uid:'; "
		       "the other file's 'uid:' copies it: if that file is "
		       "the event published under this uid, renamed from "
		       "this name, give this file another name or a 'uid:' "
		       "of its own; else change that one)";
	if (other->uid_line == 1)
		return " (the other file's uid is made from its name, as it "
		       "has no 'uid:'; this 'uid:' copies it: if this file is "
		       "the event published under it, renamed from that "
		       "name, keep it, and give the other file another name "
		       "or a 'uid:' of its own; else change it)";
	return "";
}

/* Checks across files: one uid, one slug and one category URL each; and
 * the category URLs of the sources' categories= too, which name theirs
 * first. */
static void
check_unique(const EvfConfig *cfg, GPtrArray *events, GPtrArray *diags)
{
	g_autoptr(GHashTable) uids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) slugs = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) cats =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* What first named each category (keys are cats'): a file's path,
	 * or a source's section. */
	g_autoptr(GHashTable) namers =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *conf = cfg->path != NULL
	                            ? evf_catalog_display_path(cfg->path)
	                            : g_strdup("the configuration");

	for (guint s = 0; cfg->sources != NULL && s < cfg->sources->len; s++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, s);
		char *section =
		    g_strdup_printf("[source %s] in %s", src->name, conf);

		g_ptr_array_add(sections, section);
		for (guint i = 0; src->enabled && src->categories != NULL &&
		                  src->categories[i] != NULL;
		     i++) {
			char *slug = evf_slugify_name(src->categories[i]);

			if (g_hash_table_contains(cats, slug)) {
				g_free(slug);
				continue;
			}
			g_hash_table_insert(cats, slug, src->categories[i]);
			g_hash_table_insert(namers, slug, section);
		}
	}

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		EvfEvent *other;

		other = g_hash_table_lookup(uids, ev->uid);
		if (other != NULL) {
			evf_diags_add(
			    diags, ev->path, ev->uid_line, ev->uid_col,
			    "duplicate uid '%s': also used by %s%s", ev->uid,
			    other->path, uid_clash_reason(ev, other));
			evf_diags_add(
			    diags, other->path, other->uid_line, other->uid_col,
			    "duplicate uid '%s': also used by %s%s", ev->uid,
			    ev->path, uid_clash_reason(other, ev));
		} else {
			g_hash_table_insert(uids, ev->uid, ev);
		}
		other = g_hash_table_lookup(slugs, ev->slug);
		if (other != NULL)
			evf_diags_add(diags, ev->path, 1, 1,
			              "file name gives the same address "
			              "(events/%s.ics) as %s",
			              ev->slug, other->path);
		else
			g_hash_table_insert(slugs, ev->slug, ev);
		for (guint k = 0; k < ev->categories->len; k++) {
			const char *name = g_ptr_array_index(ev->categories, k);
			char *slug = evf_slugify_name(name);
			const char *seen = g_hash_table_lookup(cats, slug);

			if (seen == NULL) {
				g_hash_table_insert(cats, slug, (char *)name);
				g_hash_table_insert(namers, slug, ev->path);
				continue;
			}
			if (strcmp(seen, name) != 0) {
				const char *namer =
				    g_hash_table_lookup(namers, slug);
				gboolean alike =
				    evf_names_look_alike(seen, name);
				/* what tells apart two names that look
				 * alike ("" for one name in two cases) */
				g_autofree char *told =
				    alike && !evf_same_name(seen, name)
				        ? evf_name_told(name, seen)
				        : g_strdup("");
				guint line, col;

				evf_event_category_at(ev, k, &line, &col);

				if (!alike)
					evf_diags_add(
					    diags, ev->path, line, col,
					    "category '%s' has the same "
					    "address (category/%s/) as "
					    "category '%s' of %s",
					    name, slug, seen, namer);
				/* One of the spellings names the category's
				 * feeds, calendar and page, and another file
				 * could change which. */
				else
					evf_diags_warn(
					    diags, ev->path, line, col,
					    "category '%s' is written '%s' "
					    "in %s: write it alike in every "
					    "file (its feeds, calendar and "
					    "page are named after one of "
					    "them, which another file can "
					    "change)%s",
					    name, seen, namer, told);
			}
			g_free(slug);
		}
	}
}

/* A warning for each dated event that has the title and the start of an
 * earlier file's: most often a file copied or renamed with the old one
 * left in place, which would be listed twice under two identities. Both
 * may be meant (then the warning can be ignored), so it is no error. */
static void
warn_copies(GPtrArray *events, GPtrArray *diags)
{
	/* "<d|t><start>\x1f<title, case-folded>" → the first event of that
	 * day (all-day) or instant and title, in file order: each event is
	 * looked up once, however many start together */
	g_autoptr(GHashTable) first =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		g_autofree char *title = NULL;
		char *key;
		const EvfEvent *other;

		/* Two listings of one title whose dates are both still to
		 * be announced may well be two events. */
		if (ev->tba)
			continue;
		title = g_utf8_casefold(ev->title, -1);
		key = g_strdup_printf(
		    "%c%" G_GINT64_FORMAT "\x1f%s", ev->all_day ? 'd' : 't',
		    ev->all_day ? (gint64)evf_event_start_day(ev)
		                : g_date_time_to_unix(ev->start),
		    title);
		other = g_hash_table_lookup(first, key);
		if (other == NULL) {
			g_hash_table_insert(first, key, ev);
			continue;
		}
		g_free(key);
		evf_diags_warn(
		    diags, ev->path, ev->title_line, ev->title_col,
		    "the same title and start as %s: subscribers "
		    "will see the event twice; if one file is a copy "
		    "of the other, delete it",
		    other->path);
	}
}

/* One event file to parse, on a thread of its own choosing. */
typedef struct {
	const EvfConfig *cfg;
	gint64 now;
	EvfSourceFile *file;
	EvfEvent *event;   /* the result, */
	gboolean complete; /* or what of it could be read */
	GPtrArray *diags;  /* the file's own, merged in order after */
} ParseJob;

static void
parse_job(gpointer data, gpointer unused)
{
	ParseJob *j = data;
	gsize len;
	const char *bytes = g_bytes_get_data(j->file->bytes, &len);

	j->event =
	    evf_eventfile_read(j->file->display, j->file->stem, bytes, len,
	                       j->cfg, j->now, j->diags, &j->complete);
}

GPtrArray *
evf_catalog_parse(const EvfConfig *cfg, EvfCatalogCache *cache,
                  GPtrArray *files, gint64 now, GPtrArray *diags)
{
	g_autoptr(GPtrArray) events =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func(g_free);
	/* the files with errors: what could be read of them */
	g_autoptr(GPtrArray) broken =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	/* every file's, in the files' order (borrowed) */
	g_autoptr(GPtrArray) all = g_ptr_array_new();
	g_autofree CacheEntry **entries = g_new0(CacheEntry *, files->len);
	guint before = evf_diags_errors(diags);

	for (guint i = 0; i < files->len; i++) {
		EvfSourceFile *f = g_ptr_array_index(files, i);
		g_autofree char *name = g_strconcat(f->stem, ".md", NULL);
		CacheEntry *e = cache != NULL
		                    ? g_hash_table_lookup(cache->files, name)
		                    : NULL;
		ParseJob *j;

		entries[i] = e;
		/* Unchanged since it was parsed: no job. */
		if (e != NULL && e->bytes == f->bytes && e->event != NULL)
			continue;
		j = g_new0(ParseJob, 1);
		j->cfg = cfg;
		j->now = now;
		j->file = f;
		j->diags = evf_diags_new();
		g_ptr_array_add(jobs, j);
	}
	run_all(jobs, parse_job, NULL);

	for (guint i = 0, k = 0; i < files->len; i++) {
		EvfSourceFile *f = g_ptr_array_index(files, i);
		CacheEntry *e = entries[i];
		ParseJob *j;

		if (e != NULL && e->bytes == f->bytes && e->event != NULL) {
			/* The state sets its identity again; what the
			 * writers made from it last time is kept if that is
			 * the same (evf_event_renders_for). */
			g_ptr_array_add(events, evf_event_ref(e->event));
			g_ptr_array_add(all, e->event);
			continue;
		}
		j = g_ptr_array_index(jobs, k++);
		g_ptr_array_extend_and_steal(diags, j->diags);
		g_ptr_array_add(all, j->event);
		if (!j->complete) {
			g_ptr_array_add(broken, j->event);
			continue;
		}
		g_ptr_array_add(events, j->event);
		if (e != NULL && e->bytes == f->bytes)
			e->event = evf_event_ref(j->event);
	}
	/* the files with errors too, so that a uid, address or category
	 * they clash on is told at once, not after they are mended */
	check_unique(cfg, all, diags);
	warn_copies(events, diags);
	if (evf_diags_errors(diags) > before)
		return NULL;
	g_ptr_array_sort(events, uid_cmp);
	return g_steal_pointer(&events);
}

/* Counts each of @diags from @from to @to in @seen, by its line. */
static void
count_diags(GHashTable *seen, GPtrArray *diags, guint from, guint to)
{
	for (guint i = from; i < to; i++) {
		char *line = evf_diag_format(g_ptr_array_index(diags, i));
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, line));

		g_hash_table_replace(seen, line, GUINT_TO_POINTER(n + 1));
	}
}

/* For evf_catalog_check: the folder's own files @files already fail
 * `evfeed check`, or the files added to it do. Keeps in @diags, from
 * @start on, only what the folder alone does not give (each diagnostic
 * counted, so that a second copy of one is new); TRUE when no error is
 * left, i.e. the folder was broken before and the added files make it no
 * worse, with a warning that says so. @diags from @start to @read_end are
 * what reading the folder gave (files that cannot be read), which are the
 * folder's own; @before: the errors before @start. */
static gboolean
only_new_errors(const EvfConfig *cfg, GPtrArray *files, gint64 now,
                GPtrArray *diags, guint start, guint read_end, guint before)
{
	g_autoptr(GPtrArray) base = evf_diags_new();
	g_autoptr(GPtrArray) events =
	    evf_catalog_parse(cfg, NULL, files, now, base);
	g_autoptr(GHashTable) seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *shown = evf_catalog_display_path(cfg->events_dir);
	guint old_errors = evf_diags_errors(base);

	/* the folder's own: what parsing it alone gives, and what reading
	 * it gave */
	count_diags(seen, base, 0, base->len);
	count_diags(seen, diags, start, read_end);
	for (guint i = start; i < read_end; i++)
		old_errors +=
		    !((EvfDiag *)g_ptr_array_index(diags, i))->warning;
	for (guint i = start; i < diags->len;) {
		g_autofree char *line =
		    evf_diag_format(g_ptr_array_index(diags, i));
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, line));

		if (n == 0) {
			i++;
			continue;
		}
		g_hash_table_replace(seen, g_steal_pointer(&line),
		                     GUINT_TO_POINTER(n - 1));
		g_ptr_array_remove_index(diags, i);
	}
	if (evf_diags_errors(diags) > before)
		return FALSE;
	evf_diags_warn(diags, shown, 0, 0,
	               "the events folder already fails 'evfeed check' "
	               "(%u error%s in the files already there: run 'evfeed "
	               "check'); nothing added brings an error of its own",
	               old_errors, old_errors == 1 ? "" : "s");
	return TRUE;
}

gboolean
evf_catalog_check(const EvfConfig *cfg, GPtrArray *added, gint64 now,
                  GPtrArray *diags)
{
	g_autofree char *digest = NULL;
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(GPtrArray) all = g_ptr_array_new(); /* borrowed */
	g_autoptr(GPtrArray) events = NULL;
	guint before = evf_diags_errors(diags), start = diags->len;
	guint read_end = start;

	if (added == NULL || g_file_test(cfg->events_dir, G_FILE_TEST_EXISTS)) {
		files = evf_catalog_read(cfg, NULL, diags, &digest, NULL);
		if (files == NULL)
			return FALSE;
		g_ptr_array_extend(all, files, NULL, NULL);
		read_end = diags->len;
	}
	if (added != NULL)
		g_ptr_array_extend(all, added, NULL, NULL);
	events = evf_catalog_parse(cfg, NULL, all, now, diags);
	if (events != NULL && evf_diags_errors(diags) == before)
		return TRUE;
	if (added == NULL || files == NULL)
		return FALSE;
	return only_new_errors(cfg, files, now, diags, start, read_end, before);
}
