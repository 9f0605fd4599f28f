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
	return evf_file_new(g_strdup(path), g_bytes_new(text, strlen(text)));
}
