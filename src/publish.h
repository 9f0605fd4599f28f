/*
 * publish.h: rendered files → the output folder. A subscriber must never
 * see a truncated or half-written file, so each changed file is written to
 * a temporary file in its own folder, flushed to disk, and renamed over the
 * old one; unchanged files are not touched at all.
 */
#pragma once

#include <glib.h>

/* Writes @files (EvfFile*) under @dir, creating folders as needed; only
 * files whose bytes differ are written. Then removes the files named in
 * @stale (relative paths; nullable) that are not in @files. On error every
 * temporary file is removed and the old files stay as they were.
 * *written is the number of files written; @changed (nullable, element-type
 * utf8, owning its strings) gets the path of each, once it is in place. */
gboolean evf_publish(const char *dir, GPtrArray *files,
                     const char *const *stale, guint *written,
                     GPtrArray *changed, GError **error);

/* (transfer full): one line per file: "path size" — what a build leaves in
 * the state to know what it published. */
char *evf_publish_manifest(GPtrArray *files);

/* Whether every file of @manifest is in @dir with its size. */
gboolean evf_publish_manifest_present(const char *dir, const char *manifest);

/* Removes temporary files left in @dir (and below) by a crash. */
void evf_publish_clean(const char *dir);
