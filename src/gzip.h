/*
 * gzip.h: gzip (RFC 1952) with zlib, deterministic: no name and a zero
 * time in the header, so the same bytes always compress to the same bytes
 * (for `.gz` siblings that nginx's gzip_static serves, and for ETags).
 */
#pragma once

#include <glib.h>

/* (transfer full): @in compressed at zlib level 5. On a site's own
 * calendars, jCal and pages (bench/build, 10,000 events) it takes 40 % less
 * CPU than the default level 6 for 7 % more bytes; level 9 costs about
 * three times the CPU of 6 for a few per cent less, and level 1 makes the
 * polled files half as large again. */
GBytes *evf_gzip(GBytes *in);
/* (transfer full): the same at zlib level @level (0-9). */
GBytes *evf_gzip_level(GBytes *in, int level);

/* Whether @gz is a gzip member that decompresses to exactly @plain. */
gboolean evf_gunzip_equal(GBytes *gz, GBytes *plain);

/* Makes the gzip siblings of files as they are handed to it, on as many
 * threads as there are processors, while the caller goes on (rendering
 * the next files). x.gz is made for each file x whose @compress returns
 * TRUE. Where @dir already holds an x.gz that decompresses to x's new
 * bytes, those bytes are taken as they are instead of compressing x again
 * (a rebuild after one edit compresses only what changed), and marked
 * on_disk, so that publishing does not read them a second time. */
typedef struct _EvfGzipper EvfGzipper;
EvfGzipper *evf_gzipper_new(const char *dir,
                            gboolean (*compress)(const char *path));
/* Queues @file (EvfFile, from render.h, with its path and bytes set;
 * it need not outlive the call). */
void evf_gzipper_add(EvfGzipper *g, gpointer file);
/* (transfer full) (element-type EvfFile): waits for every sibling and
 * frees @g; the siblings sorted by path. */
GPtrArray *evf_gzipper_finish(EvfGzipper *g);
