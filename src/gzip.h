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
