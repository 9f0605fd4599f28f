/*
 * files.h: output files made up for the tests of gzip.c and publish.c.
 */
#pragma once

#include "render.h"

#include <string.h>

/* (transfer full): the output file @path holding @text. */
static inline EvfFile *
file(const char *path, const char *text)
{
	EvfFile *f = g_new0(EvfFile, 1);

	f->path = g_strdup(path);
	f->bytes = g_bytes_new(text, strlen(text));
	return f;
}
