/*
 * catalog.h: the events folder → the site's local events. Reading (bytes
 * and a digest of them) is separate from parsing, so that an unchanged
 * rebuild can stop after reading.
 */
#pragma once

#include <glib.h>
#include "config.h"

typedef struct {
	char *path;    /* absolute */
	char *display; /* as diagnostics show it (relative to the cwd) */
	char *stem;    /* file name without .md */
	GBytes *bytes;
} EvfSourceFile;

void evf_source_file_free(EvfSourceFile *f);

/* (transfer full) (element-type EvfSourceFile): every *.md file of the
 * events folder (hidden files left out), sorted by name; *digest (transfer
 * full) is a SHA-256 over names and contents. Unreadable files become
 * diagnostics; NULL when the folder itself cannot be read. */
GPtrArray *evf_catalog_read(const EvfConfig *cfg, GPtrArray *diags,
                            char **digest);

/* (transfer full) (element-type EvfEvent): the events of @files, sorted by
 * uid, after the checks across files (duplicate uids, slugs and category
 * URLs). NULL when any error was added to @diags. */
GPtrArray *evf_catalog_parse(const EvfConfig *cfg, GPtrArray *files, gint64 now,
                             GPtrArray *diags);

/* (transfer full): @path as shown to the user: relative to the current
 * folder when it is inside it. */
char *evf_catalog_display_path(const char *path);
