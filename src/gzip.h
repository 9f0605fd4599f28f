/*
 * gzip.h: gzip (RFC 1952) with libdeflate, deterministic: no name and a
 * zero time in the header, so the same bytes always compress to the same
 * bytes (for `.gz` siblings that nginx's gzip_static serves, and for
 * ETags). libdeflate compresses whole buffers, which is what a build has;
 * zlib streams the comparison with a sibling already on disk.
 */
#pragma once

#include <glib.h>

#include "publish.h"

/* (transfer full): @in compressed at libdeflate level 5. On a site's own
 * calendars, jCal and pages (bench/build, 10,000 events: 202 MB) that is as
 * small as zlib's level 5 (18.40 MB either way) in 60 % of zlib's time;
 * level 6 is 5 % smaller for a quarter more time, level 4 is 1.4 % larger
 * for a tenth less, and level 1 makes the polled files a third larger. */
GBytes *evf_gzip(GBytes *in);
/* (transfer full): the same at libdeflate level @level (0-12). */
GBytes *evf_gzip_level(GBytes *in, int level);

/* Whether @gz is a gzip member that decompresses to exactly @plain. */
gboolean evf_gunzip_equal(GBytes *gz, GBytes *plain);
/* Whether @gz looks like the gzip of @plain by its trailer alone (RFC 1952
 * §2.3.1: the CRC-32 and size of what it holds), without decompressing
 * it: a cheap check that a `.gz` sibling read is of the same version as
 * its file, not of the one before or after. */
gboolean evf_gzip_trailer_matches(GBytes *gz, GBytes *plain);

/* Makes the gzip siblings of files as they are handed to it, on as many
 * threads as there are processors, while the caller goes on (rendering
 * the next files). x.gz is made for each file x whose @compress returns
 * TRUE. Where @dir already holds an x.gz that decompresses to x's new
 * bytes, those bytes are taken as they are instead of compressing x again
 * (a rebuild after one edit compresses only what changed), and marked
 * on_disk, so that publishing does not read them a second time.
 *
 * With a @stage, each file handed over and each sibling is written to it
 * at once, and its bytes are let go (its size stays): a build holds in
 * memory only the files being made, not the whole site. */
typedef struct _EvfGzipper EvfGzipper;
EvfGzipper *evf_gzipper_new(const char *dir,
                            gboolean (*compress)(const char *path),
                            EvfStage *stage);
/* Queues @file (with its path and bytes set; it need not outlive the
 * call, and with a stage its bytes are gone when this returns). Any
 * thread may call this. */
void evf_gzipper_add(EvfGzipper *g, EvfFile *file);
/* (transfer full) (element-type EvfFile): waits for every sibling and
 * frees @g; the siblings sorted by path (without their bytes, with a
 * stage). */
GPtrArray *evf_gzipper_finish(EvfGzipper *g);
