/*
 * gzip.h: gzip (RFC 1952) with zlib, deterministic: no name and a zero
 * time in the header, so the same bytes always compress to the same bytes
 * (for `.gz` siblings that nginx's gzip_static serves, and for ETags).
 */
#pragma once

#include <glib.h>

/* (transfer full): @in compressed at zlib's default level (6): level 9
 * costs about three times the CPU for a few per cent less. */
GBytes *evf_gzip(GBytes *in);
/* (transfer full): the same at zlib level @level (0-9). */
GBytes *evf_gzip_level(GBytes *in, int level);

/* Whether @gz is a gzip member that decompresses to exactly @plain. */
gboolean evf_gunzip_equal(GBytes *gz, GBytes *plain);

/* (transfer full): the gzip siblings of @files (EvfFile, from render.h),
 * in their order: x.gz for each x whose @compress returns TRUE. Where
 * @dir already holds an x.gz that decompresses to x's new bytes, those
 * bytes are taken as they are instead of compressing x again (a rebuild
 * after one edit compresses only what changed), and marked on_disk, so
 * that publishing does not read them a second time. The work is shared among
 * as many threads as there are processors. */
GPtrArray *evf_gzip_siblings(const char *dir, GPtrArray *files,
                             gboolean (*compress)(const char *path));
