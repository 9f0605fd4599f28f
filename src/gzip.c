/*
 * gzip.c: see gzip.h.
 */
#include "autoconf.h"
#include "gzip.h"

#include "util.h"

#include <libdeflate.h>
#include <string.h>
#include <zlib.h>

GBytes *
evf_gzip(GBytes *in)
{
	return evf_gzip_level(in, 5);
}

GBytes *
evf_gzip_level(GBytes *in, int level)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(in, &len);
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
	gsize bound, n;
	guint8 *out;

	/* NULL only for a level out of range, or when memory is exhausted,
	 * which GLib's allocator treats as fatal too. */
	if (c == NULL)
		g_error("cannot compress at level %d: out of memory", level);
	bound = libdeflate_gzip_compress_bound(c, len);
	out = g_malloc(bound);
	n = libdeflate_gzip_compress(c, data, len, out, bound);
	libdeflate_free_compressor(c);
	/* The bound is the worst case: this cannot fail. */
	g_assert(n > 0);
	return g_bytes_new_take(g_realloc(out, n), n);
}

gboolean
evf_gunzip_equal(GBytes *gz, GBytes *plain)
{
	gsize gz_len, len;
	const guint8 *in = g_bytes_get_data(gz, &gz_len);
	const guint8 *want = g_bytes_get_data(plain, &len);
	guint8 buf[65536];
	z_stream zs = { 0 };
	gsize at = 0;
	int rc;

	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return FALSE;
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)gz_len;
	do {
		gsize got;

		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		rc = inflate(&zs, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END)
			break;
		got = sizeof buf - zs.avail_out;
		if (got > len - at ||
		    (got > 0 && memcmp(buf, want + at, got) != 0)) {
			rc = Z_DATA_ERROR;
			break;
		}
		at += got;
	} while (rc == Z_OK);
	inflateEnd(&zs);
	/* The whole of @gz is one member, and it held all of @plain. */
	return rc == Z_STREAM_END && at == len && zs.avail_in == 0;
}

gboolean
evf_gzip_trailer_matches(GBytes *gz, GBytes *plain)
{
	gsize gz_len, len;
	const guint8 *in = g_bytes_get_data(gz, &gz_len);
	const guint8 *data = g_bytes_get_data(plain, &len);
	const guint8 *t;
	guint32 crc, size;

	/* a header of 10 bytes, at least 2 of deflate data, a trailer of 8 */
	if (gz_len < 20 || in[0] != 0x1f || in[1] != 0x8b)
		return FALSE;
	t = in + gz_len - 8;
	crc = (guint32)t[0] | (guint32)t[1] << 8 | (guint32)t[2] << 16 |
	      (guint32)t[3] << 24;
	size = (guint32)t[4] | (guint32)t[5] << 8 | (guint32)t[6] << 16 |
	       (guint32)t[7] << 24;
	return size == (guint32)len &&
	       crc == libdeflate_crc32(0, data != NULL ? data : in, len);
}

typedef struct {
	const char *dir;
	EvfStage *stage; /* nullable */
	GBytes *plain;   /* until it is compressed */
	EvfFile *gz;
	gboolean done;
} Job;

static void
job_free(gpointer data)
{
	Job *j = data;

	g_clear_pointer(&j->plain, g_bytes_unref);
	g_free(j);
}

static void
sibling(gpointer data, gpointer user_data)
{
	Job *j = data;
	g_autofree char *old_path =
	    j->dir != NULL ? g_build_filename(j->dir, j->gz->path, NULL) : NULL;
	g_autoptr(GBytes) old = NULL;

	/* A .gz bigger than its file would not have been written. */
	if (old_path != NULL)
		old = evf_file_read(old_path, g_bytes_get_size(j->plain) + 1024,
		                    NULL);
	if (old != NULL && evf_gunzip_equal(old, j->plain)) {
		j->gz->bytes = g_steal_pointer(&old);
		j->gz->on_disk = TRUE;
	} else
		j->gz->bytes = evf_gzip(j->plain);
	j->gz->size = g_bytes_get_size(j->gz->bytes);
	g_clear_pointer(&j->plain, g_bytes_unref);
	if (j->stage != NULL) {
		evf_stage_add(j->stage, j->gz);
		g_clear_pointer(&j->gz->bytes, g_bytes_unref);
	}
	j->done = TRUE;
}

struct _EvfGzipper {
	char *dir;
	gboolean (*compress)(const char *path);
	EvfStage *stage; /* nullable */
	GThreadPool *pool;
	GMutex lock;     /* for jobs: files come from several threads */
	GPtrArray *jobs; /* of Job */
};

EvfGzipper *
evf_gzipper_new(const char *dir, gboolean (*compress)(const char *path),
                EvfStage *stage)
{
	EvfGzipper *g = g_new0(EvfGzipper, 1);

	g->dir = g_strdup(dir);
	g->compress = compress;
	g->stage = stage;
	g->pool = g_thread_pool_new(
	    sibling, NULL, (gint)MAX(1u, g_get_num_processors()), FALSE, NULL);
	g_mutex_init(&g->lock);
	g->jobs = g_ptr_array_new_with_free_func(job_free);
	return g;
}

void
evf_gzipper_add(EvfGzipper *g, EvfFile *file)
{
	if (g->compress(file->path)) {
		Job *j = g_new0(Job, 1);

		j->dir = g->dir;
		j->stage = g->stage;
		j->plain = g_bytes_ref(file->bytes);
		j->gz = g_new0(EvfFile, 1);
		j->gz->path = g_strconcat(file->path, ".gz", NULL);
		g_mutex_lock(&g->lock);
		g_ptr_array_add(g->jobs, j);
		g_mutex_unlock(&g->lock);
		g_thread_pool_push(g->pool, j, NULL);
	}
	if (g->stage != NULL) {
		evf_stage_add(g->stage, file);
		g_clear_pointer(&file->bytes, g_bytes_unref);
	}
}

static gint
path_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(EvfFile *const *)a)->path,
	              (*(EvfFile *const *)b)->path);
}

GPtrArray *
evf_gzipper_finish(EvfGzipper *g)
{
	GPtrArray *out =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_file_free);

	/* Waits for every job. A pool that could not start a single thread
	 * (out of memory, or of threads) would never run its queue and the
	 * build would wait for ever: what it did not run is done here. */
	if (g_thread_pool_get_num_threads(g->pool) > 0) {
		g_thread_pool_free(g->pool, FALSE, TRUE);
	} else {
		g_thread_pool_free(g->pool, TRUE, TRUE);
		for (guint i = 0; i < g->jobs->len; i++) {
			Job *j = g_ptr_array_index(g->jobs, i);

			if (!j->done)
				sibling(j, NULL);
		}
	}
	for (guint i = 0; i < g->jobs->len; i++)
		g_ptr_array_add(out,
		                ((Job *)g_ptr_array_index(g->jobs, i))->gz);
	g_ptr_array_sort(out, path_cmp);
	g_ptr_array_unref(g->jobs);
	g_mutex_clear(&g->lock);
	g_free(g->dir);
	g_free(g);
	return out;
}
