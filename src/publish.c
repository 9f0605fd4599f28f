/*
 * publish.c: atomic output (see publish.h).
 *
 * Durability without an fsync per file: all temporary files are written,
 * then one syncfs() flushes the file system they are on, then they are
 * renamed into place and each folder is fsync'ed. A failed sync is never
 * retried (Linux drops the dirty pages and a second call would lie): the
 * temporary files are removed and the build fails.
 *
 * A build publishes all its files or none: each file is swapped with the
 * one it replaces (renameat2 RENAME_EXCHANGE), the old one kept under the
 * temporary name until every swap has succeeded, so that a swap that
 * fails half-way (a directory in the way, an I/O error) swaps back those
 * already made and removes those created, and subscribers keep the whole
 * last good output rather than some new files beside old ones. (A crash
 * in the middle cannot be undone: the files are then each whole, some
 * new and some old, and the next build makes them agree.)
 *
 * A replaced file's modification time is its Last-Modified, here and in any
 * web server serving the folder, and Last-Modified has whole seconds: two
 * versions written within one second would share it, and a client asking
 * If-Modified-Since with the first would be told that the second is not
 * modified (RFC 9110 §13.1.3). So each new version of a file is dated in
 * the second after the files are put in place, and after the version it
 * replaces (see date_after).
 */
#define _GNU_SOURCE
#include "autoconf.h"
#include "publish.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMP_MARK ".evfeed-tmp-"

EvfFile *
evf_file_new(char *path, GBytes *bytes)
{
	EvfFile *f = g_new0(EvfFile, 1);

	f->path = path;
	f->bytes = bytes;
	f->size = g_bytes_get_size(bytes);
	return f;
}

void
evf_file_free(EvfFile *f)
{
	if (f == NULL)
		return;
	g_free(f->path);
	if (f->bytes != NULL)
		g_bytes_unref(f->bytes);
	g_free(f);
}

typedef struct {
	char *path; /* relative to the output folder */
	char *final;
	char *temp;    /* the file written, until it is renamed */
	GError *error; /* why it could not be written */
	gint64 after;  /* second of the file it replaces, or -1 */
	/* once in place: the old file is now at temp (swapped), or there
	 * was none (created) */
	gboolean swapped, created;
} Pending;

static void
pending_free(gpointer p)
{
	Pending *x = p;

	if (x->temp != NULL)
		unlink(x->temp);
	g_free(x->path);
	g_free(x->final);
	g_free(x->temp);
	g_clear_error(&x->error);
	g_free(x);
}

static gint
pending_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(Pending *const *)a)->path,
	              (*(Pending *const *)b)->path);
}

struct _EvfStage {
	char *dir;
	GMutex lock;        /* files come from several threads */
	GHashTable *made;   /* the folders made so far */
	GPtrArray *created; /* those of them that were not there before */
	GPtrArray *files;   /* of Pending */
	gboolean committed;
	gboolean partly;  /* put back but in part: some stayed in place */
	gboolean at_once; /* evf_stage_at_once */
	gboolean dated;   /* evf_stage_date */
	gboolean holding; /* the signals of held_signals, since then */
	struct sigaction held[4];
	/* evf_stage_ready's: the files to rename (of files'), the folders
	 * to flush once they are, and the paths staged */
	gboolean ready;
	GPtrArray *renames;
	GHashTable *dirs;
	GHashTable *keep;
};

static void release_signals(EvfStage *st);

EvfStage *
evf_stage_new(const char *dir)
{
	EvfStage *st = g_new0(EvfStage, 1);

	st->dir = g_strdup(dir);
	g_mutex_init(&st->lock);
	st->made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	st->created = g_ptr_array_new_with_free_func(g_free);
	st->files = g_ptr_array_new_with_free_func(pending_free);
	st->renames = g_ptr_array_new();
	st->dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	st->keep = g_hash_table_new(g_str_hash, g_str_equal);
	return st;
}

/* Longest path first: a folder before the one it is in. */
static gint
path_cmp_deepest(gconstpointer a, gconstpointer b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	gsize lx = strlen(x), ly = strlen(y);

	return lx != ly ? (lx < ly) - (lx > ly) : strcmp(x, y);
}

void
evf_stage_free(EvfStage *st)
{
	if (st == NULL)
		return;
	release_signals(st);
	g_hash_table_unref(st->keep);
	g_hash_table_unref(st->dirs);
	g_ptr_array_unref(st->renames);
	g_ptr_array_unref(st->files); /* and their temporary files */
	/* A stage that did not publish leaves no folder it made (a new
	 * category's): those still empty go, the deepest first. */
	if (!st->committed) {
		g_ptr_array_sort(st->created, path_cmp_deepest);
		for (guint i = 0; i < st->created->len; i++)
			rmdir(g_ptr_array_index(st->created, i));
	}
	g_ptr_array_unref(st->created);
	g_hash_table_unref(st->made);
	g_mutex_clear(&st->lock);
	g_free(st->dir);
	g_free(st);
}

static gboolean
io_error(GError **error, const char *what, const char *path, int e)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
	            "cannot %s '%s': %s", what, path, g_strerror(e));
	return FALSE;
}

/* Makes the output folder @dir when it is not there, readable by the web
 * server whatever the umask, as the files are (0644). */
static gboolean
make_root(const char *dir, GError **error)
{
	if (g_file_test(dir, G_FILE_TEST_IS_DIR))
		return TRUE;
	if (g_mkdir_with_parents(dir, 0755) < 0 || chmod(dir, 0755) < 0)
		return io_error(error, "create", dir, errno);
	return TRUE;
}

/* Whether @path holds exactly @bytes. *after is the second of its
 * modification time, or -1 when there is no such file. */
static gboolean
same_content(const char *path, GBytes *bytes, gint64 *after)
{
	g_autoptr(GBytes) old = NULL;
	struct stat st;

	*after = -1;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return FALSE;
	*after = st.st_mtim.tv_sec;
	if ((gsize)st.st_size != g_bytes_get_size(bytes))
		return FALSE;
	old = evf_file_read(path, g_bytes_get_size(bytes), NULL);
	return old != NULL && g_bytes_equal(old, bytes);
}

static gboolean
write_all(int fd, const guint8 *data, gsize len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FALSE;
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* Writes @bytes to a new temporary file beside @final. */
static char *
write_temp(const char *final, GBytes *bytes, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(final);
	g_autofree char *base = g_path_get_basename(final);
	char *temp = g_strdup_printf("%s/.%s" TEMP_MARK "XXXXXX", dir, base);
	gsize len;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	int fd = g_mkstemp_full(temp, O_WRONLY | O_CLOEXEC, 0644);

	if (fd < 0) {
		int e = errno;
		io_error(error, "create a temporary file for", final, e);
		g_free(temp);
		return NULL;
	}
	if (!write_all(fd, data, len) || fchmod(fd, 0644) < 0) {
		int e = errno;
		close(fd);
		unlink(temp);
		io_error(error, "write", final, e);
		g_free(temp);
		return NULL;
	}
	if (close(fd) < 0) {
		int e = errno;
		unlink(temp);
		io_error(error, "write", final, e);
		g_free(temp);
		return NULL;
	}
	return temp;
}

static gboolean
sync_dir(const char *dir, gboolean whole_fs, GError **error)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return io_error(error, "open", dir, errno);
	rc = whole_fs ? syncfs(fd) : fsync(fd);
	if (rc < 0) {
		int e = errno;
		close(fd);
		return io_error(error, "flush", dir, e);
	}
	close(fd);
	return TRUE;
}

/* Dates each file of @renames that replaces one in the second after the
 * present one (as the files are about to be put in place), and after the
 * file it replaces: up to now the old version is served, with a Date of
 * this second at the latest, and a client that asks If-Modified-Since
 * with that Date (or the time it fetched, as `curl -z` does) must not be
 * told that the new one is not modified, however long the build took
 * since the file was written. Then waits, at most a second, for that
 * second to begin, so that the server never sends a Last-Modified later
 * than the answer's Date (RFC 9110 §8.8.2.1); an old file dated further
 * ahead, by a clock set back, is not waited for. A file that replaces
 * none keeps its time (no client has an older version), and files not
 * written keep theirs: the date moves only with the bytes.
 *
 * @at_once (a server's own build, whose edits must be served within a
 * second) dates them so too, but waits only for the second before it:
 * only when the file it replaces is itself dated ahead (two versions
 * within one second). Until its second begins, another web server of the
 * folder sends a Last-Modified later than its Date, the price of serving
 * an edit at once: no second up to the present one is a new version's,
 * since any may be a Date the old one was sent with, which nginx, and
 * every client that takes it for If-Modified-Since (`curl -z`), would
 * take for the new one's. The server itself sends no such date
 * (evf_snapshot_load); Apache sends the time of the request. */
static gboolean
date_after(GPtrArray *renames, gboolean at_once, GError **error)
{
	gint64 latest = -1, wait;
	const gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	for (guint i = 0; i < renames->len; i++) {
		Pending *p = g_ptr_array_index(renames, i);
		const gint64 date = MAX(p->after, now) + 1;
		struct timespec times[2] = { { 0, UTIME_OMIT }, { date, 0 } };

		if (p->after < 0)
			continue;
		if (utimensat(AT_FDCWD, p->temp, times, 0) < 0)
			return io_error(error, "set the time of", p->final,
			                errno);
		latest = MAX(latest, date);
	}
	if (at_once)
		latest--;
	/* (up to two seconds: serve's own build dates its files a second
	 * ahead, and a build beside it in that second dates its own a
	 * second after those; a file further ahead is one of a clock set
	 * back) */
	wait = latest * G_USEC_PER_SEC - g_get_real_time();
	if (latest >= 0 && wait > 0 && wait <= 2 * G_USEC_PER_SEC)
		g_usleep(wait);
	return TRUE;
}

/* Puts @p's temporary file in place of its final one: swapped with the
 * file there, or renamed where there is none. A file system that cannot
 * swap gets a plain rename, which cannot be undone. A directory in the
 * way is refused (a swap would move it to the temporary name). FALSE with
 * errno set when the file is not in place. */
static gboolean
put_in_place(Pending *p)
{
	struct stat st;

	/* There was none when it was staged: one system call. */
	if (p->after < 0 && renameat2(AT_FDCWD, p->temp, AT_FDCWD, p->final,
	                              RENAME_NOREPLACE) == 0) {
		p->created = TRUE;
		return TRUE;
	}
	if (lstat(p->final, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return FALSE;
	}
	if (renameat2(AT_FDCWD, p->temp, AT_FDCWD, p->final, RENAME_EXCHANGE) ==
	    0) {
		p->swapped = TRUE;
		return TRUE;
	}
	if (errno == ENOENT && renameat2(AT_FDCWD, p->temp, AT_FDCWD, p->final,
	                                 RENAME_NOREPLACE) == 0) {
		p->created = TRUE;
		return TRUE;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return FALSE;
	return rename(p->temp, p->final) == 0;
}

/* Undoes put_in_place for the first @n files of @renames, last first:
 * each old file goes back in place, each created one goes. What cannot
 * be undone stays as it is: FALSE when anything does. */
static gboolean
put_back(GPtrArray *renames, guint n)
{
	gboolean all = TRUE;

	while (n-- > 0) {
		Pending *p = g_ptr_array_index(renames, n);

		if (p->swapped && renameat2(AT_FDCWD, p->temp, AT_FDCWD,
		                            p->final, RENAME_EXCHANGE) == 0)
			p->swapped = FALSE; /* the new file is at temp again */
		else if (p->created && unlink(p->final) == 0)
			g_clear_pointer(&p->temp, g_free);
		else
			all = FALSE;
	}
	return all;
}

/* Makes the folder @path is in, once. */
static gboolean
make_parent(EvfStage *st, const char *path, GError **error)
{
	g_autofree char *parent = g_path_get_dirname(path);
	g_autoptr(GMutexLocker) locked = g_mutex_locker_new(&st->lock);
	guint before = st->created->len;
	char *up;

	if (g_hash_table_contains(st->made, parent))
		return TRUE;
	/* the folders that are not there yet, up to the output folder */
	up = g_strdup(parent);
	while (strlen(up) > strlen(st->dir) &&
	       !g_file_test(up, G_FILE_TEST_EXISTS)) {
		char *next = g_path_get_dirname(up);

		g_ptr_array_add(st->created, up);
		up = next;
	}
	g_free(up);
	if (!make_root(st->dir, error))
		return FALSE;
	if (g_mkdir_with_parents(parent, 0755) < 0)
		return io_error(error, "create", parent, errno);
	/* readable by the web server whatever the umask, as the files are */
	for (guint i = before; i < st->created->len; i++)
		if (chmod(g_ptr_array_index(st->created, i), 0755) < 0)
			return io_error(error, "create",
			                g_ptr_array_index(st->created, i),
			                errno);
	g_hash_table_add(st->made, g_steal_pointer(&parent));
	return TRUE;
}

void
evf_stage_add(EvfStage *st, const EvfFile *f)
{
	Pending *p = g_new0(Pending, 1);

	p->path = g_strdup(f->path);
	p->final = g_build_filename(st->dir, f->path, NULL);
	p->after = -1;
	/* A sibling just read from there needs no second look. */
	if (make_parent(st, p->final, &p->error) && !f->on_disk &&
	    !same_content(p->final, f->bytes, &p->after))
		p->temp = write_temp(p->final, f->bytes, &p->error);
	g_mutex_lock(&st->lock);
	g_ptr_array_add(st->files, p);
	g_mutex_unlock(&st->lock);
}

/* The signals that stop a program (Ctrl-C, kill, a closed terminal),
 * which the renames of a commit hold off: stopped among them, a build
 * would leave some files of the new version beside others of the old, and
 * a .gz that is not its file's. */
static const int held_signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };
G_STATIC_ASSERT(G_N_ELEMENTS(held_signals) ==
                G_N_ELEMENTS(((EvfStage *)NULL)->held));
/* each that came meanwhile, kept apart: a SIGTERM then a SIGHUP is a stop
 * and a reload, not a reload alone */
static volatile sig_atomic_t signal_held[G_N_ELEMENTS(held_signals)];

static void
hold_signal(int sig)
{
	for (guint i = 0; i < G_N_ELEMENTS(held_signals); i++)
		if (held_signals[i] == sig)
			signal_held[i] = 1;
}

/* Holds off the signals of held_signals (the handlers they had kept in
 * @st), whatever thread they come to, unless they are held already. */
static void
hold_signals(EvfStage *st)
{
	struct sigaction sa;

	if (st->holding)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = hold_signal;
	sigemptyset(&sa.sa_mask);
	for (guint i = 0; i < G_N_ELEMENTS(held_signals); i++)
		signal_held[i] = 0;
	for (guint i = 0; i < G_N_ELEMENTS(held_signals); i++)
		sigaction(held_signals[i], &sa, &st->held[i]);
	st->holding = TRUE;
}

/* Gives the signals back the handlers @st kept, if it holds them, and
 * raises each that came meanwhile, for its handler to take (or to stop
 * the program, as it would have). */
static void
release_signals(EvfStage *st)
{
	if (!st->holding)
		return;
	st->holding = FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(held_signals); i++)
		sigaction(held_signals[i], &st->held[i], NULL);
	/* (in the order of held_signals: the stops before a reload) */
	for (guint i = 0; i < G_N_ELEMENTS(held_signals); i++)
		if (signal_held[i]) {
			signal_held[i] = 0;
			raise(held_signals[i]);
		}
}

gboolean
evf_stage_ready(EvfStage *st, GError **error)
{
	GPtrArray *pending = st->files;

	if (st->ready)
		return TRUE;
	if (!make_root(st->dir, error))
		return FALSE;
	/* In path order, whatever order the threads staged them in: the
	 * first failure is the one reported; every temporary file goes
	 * with the stage. */
	g_ptr_array_sort(pending, pending_cmp);
	for (guint i = 0; i < pending->len; i++) {
		Pending *p = g_ptr_array_index(pending, i);

		if (p->error != NULL) {
			g_propagate_error(error, g_steal_pointer(&p->error));
			return FALSE;
		}
		g_hash_table_add(st->keep, p->path);
		/* Only what is written is renamed, and its folder
		 * flushed. */
		if (p->temp == NULL)
			continue;
		g_ptr_array_add(st->renames, p);
		g_hash_table_add(st->dirs, g_path_get_dirname(p->final));
	}
	if (st->renames->len > 0 && !sync_dir(st->dir, TRUE, error))
		return FALSE;
	st->ready = TRUE;
	return TRUE;
}

void
evf_stage_at_once(EvfStage *st)
{
	st->at_once = TRUE;
}

gboolean
evf_stage_date(EvfStage *st, GError **error)
{
	if (!evf_stage_ready(st, error))
		return FALSE;
	if (!st->dated && !date_after(st->renames, st->at_once, error))
		return FALSE;
	st->dated = TRUE;
	hold_signals(st);
	return TRUE;
}

gboolean
evf_stage_commit(EvfStage *st, const char *const *stale, guint *written,
                 GPtrArray *changed, GError **error)
{
	const char *dir = st->dir;
	GPtrArray *renames = st->renames;
	GHashTable *dirs = st->dirs;
	GHashTable *keep = st->keep;
	GHashTableIter it;
	gpointer key;

	*written = 0;
	/* (dated just before the renames, which follow at once) */
	if (!evf_stage_date(st, error))
		return FALSE;
	for (guint i = 0; i < renames->len; i++) {
		Pending *p = g_ptr_array_index(renames, i);

		if (!put_in_place(p)) {
			int e = errno;

			st->partly = !put_back(renames, i);
			release_signals(st);
			return io_error(error, "replace", p->final, e);
		}
	}
	release_signals(st);
	st->committed = TRUE;
	for (guint i = 0; i < renames->len; i++) {
		Pending *p = g_ptr_array_index(renames, i);

		/* the old file, swapped out, or nothing */
		if (p->swapped)
			unlink(p->temp);
		g_clear_pointer(&p->temp, g_free);
		(*written)++;
		if (changed != NULL)
			g_ptr_array_add(changed, g_strdup(p->path));
	}
	for (guint i = 0; stale != NULL && stale[i] != NULL; i++) {
		g_autofree char *path = NULL;

		if (stale[i][0] == '\0' ||
		    g_hash_table_contains(keep, stale[i]) ||
		    strstr(stale[i], "..") != NULL || stale[i][0] == '/')
			continue;
		path = g_build_filename(dir, stale[i], NULL);
		if (unlink(path) == 0) {
			g_autofree char *parent = g_path_get_dirname(path);

			/* Empty category folders go too; rmdir fails on
			 * anything else, which is what we want. */
			if (strcmp(parent, dir) != 0 && rmdir(parent) == 0) {
				g_autofree char *up =
				    g_path_get_dirname(parent);
				g_hash_table_add(dirs, g_steal_pointer(&up));
			} else {
				g_hash_table_add(dirs,
				                 g_steal_pointer(&parent));
			}
		}
	}
	g_hash_table_iter_init(&it, dirs);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (g_file_test(key, G_FILE_TEST_IS_DIR) &&
		    !sync_dir(key, FALSE, error))
			return FALSE;
	return TRUE;
}

gboolean
evf_stage_committed(const EvfStage *st)
{
	return st->committed;
}

gboolean
evf_stage_untouched(const EvfStage *st)
{
	return !st->committed && !st->partly;
}

void
evf_stage_paths(const EvfStage *st, GPtrArray *paths)
{
	for (guint i = 0; i < st->renames->len; i++)
		g_ptr_array_add(
		    paths,
		    g_strdup(
		        ((Pending *)g_ptr_array_index(st->renames, i))->path));
}

char *
evf_publish_manifest(GPtrArray *files)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < files->len; i++) {
		EvfFile *f = g_ptr_array_index(files, i);

		g_string_append_printf(s, "%s %" G_GSIZE_FORMAT "\n", f->path,
		                       f->size);
	}
	return g_string_free(s, FALSE);
}

gboolean
evf_publish_manifest_present(const char *dir, const char *manifest)
{
	g_auto(GStrv) lines = g_strsplit_set(manifest, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		char *sp = strrchr(lines[i], ' ');
		g_autofree char *path = NULL;
		struct stat st;

		if (sp == NULL)
			continue;
		*sp = '\0';
		path = g_build_filename(dir, lines[i], NULL);
		if (stat(path, &st) < 0 ||
		    (guint64)st.st_size != g_ascii_strtoull(sp + 1, NULL, 10))
			return FALSE;
	}
	return TRUE;
}

void
evf_publish_clean(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		if (name[0] == '.' && strstr(name, TEMP_MARK) != NULL)
			unlink(path);
		else if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
		         !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			evf_publish_clean(path);
	}
}
