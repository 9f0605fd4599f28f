/*
 * gzip.c: see gzip.h.
 */
#include "autoconf.h"
#include "gzip.h"

#include <zlib.h>

GBytes *
evf_gzip(GBytes *in)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(in, &len);
	z_stream zs = { 0 };
	uLong bound;
	guint8 *out;
	int rc;

	/* 15 + 16: a gzip wrapper whose header zlib fills with zeros. */
	rc = deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	g_assert(rc == Z_OK);
	bound = deflateBound(&zs, len);
	out = g_malloc(bound);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	g_assert(rc == Z_STREAM_END);
	len = zs.total_out;
	deflateEnd(&zs);
	return g_bytes_new_take(g_realloc(out, len), len);
}
