/*
 * publish.h: rendered files → the output folder. A subscriber must never
 * see a truncated or half-written file, so each changed file is written to
 * a temporary file in its own folder, flushed to disk, and renamed over the
 * old one; unchanged files are not touched at all.
 */
#pragma once

#include <glib.h>

/* A rendered file of the output layout. */
typedef struct {
	char *path;    /* relative to the output root */
	GBytes *bytes; /* NULL once written to a stage (see gzip.h) */
	gsize size;
	gboolean on_disk; /* @bytes were read from the output folder's copy */
} EvfFile;
/* (transfer full): a file of @path and @bytes (both transfer full). */
EvfFile *evf_file_new(char *path, GBytes *bytes);
void evf_file_free(EvfFile *f);

/* The files of a build, written beside their final names as they are made
 * (any thread may add them), then put in place together. Freeing a stage
 * removes the temporary files it did not put in place. */
typedef struct _EvfStage EvfStage;
EvfStage *evf_stage_new(const char *dir);
void evf_stage_free(EvfStage *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfStage, evf_stage_free)
/* Writes @f (with its bytes) to a temporary file in its folder under the
 * stage's, creating folders as needed, unless the file there holds these
 * bytes already (or @f is marked on_disk). A failure is kept for
 * evf_stage_commit. @f need not outlive the call. */
void evf_stage_add(EvfStage *st, const EvfFile *f);
/* Fails with the first failure of evf_stage_add in path order. Else
 * flushes the file system: what is left to do cannot fail for want of
 * space. Once is enough. */
gboolean evf_stage_ready(EvfStage *st, GError **error);
/* evf_stage_ready(), unless done; then dates each file for
 * evf_stage_commit, as it says, unless done; then holds off the signals
 * that stop a program (SIGINT, SIGTERM, SIGHUP, SIGQUIT) until the files
 * are in place or put back (or the stage is freed), so that what a build
 * records of the version it is about to publish (evf_store_track_save)
 * is not left recorded by a build stopped before it published. */
gboolean evf_stage_date(EvfStage *st, GError **error);
/* evf_stage_date(), unless done; then dates each file that replaces
 * another in the next second, and later than the old one (waiting up to a
 * second for that second, unless evf_stage_at_once), so that each
 * version has its own
 * Last-Modified, later than the Date of any answer that served the old
 * one; then renames the temporary files over the old ones
 * and removes the files named in @stale (relative paths; nullable) that
 * were not staged. *written is the number of files written; @changed
 * (nullable, element-type utf8, owning its strings) gets the path of each,
 * in path order, once it is in place. */
/* For a server that serves each version as soon as it is in place:
 * evf_stage_commit puts the files in place without waiting for the second
 * they are dated in (but for the one before it, when the old file is
 * dated ahead: two versions within one second), so that an edit is not
 * held back until the next second begins. */
void evf_stage_at_once(EvfStage *st);
gboolean evf_stage_commit(EvfStage *st, const char *const *stale,
                          guint *written, GPtrArray *changed, GError **error);

/* Whether evf_stage_commit put every file in place (it puts them back
 * when one cannot be). */
gboolean evf_stage_committed(const EvfStage *st);
/* Whether no file of the stage is in place: not committed, and each
 * put back (a plain rename, where a file system cannot swap, cannot be
 * undone). */
gboolean evf_stage_untouched(const EvfStage *st);

/* Appends to @paths (element-type utf8, owning its strings) the path of
 * each file evf_stage_commit is to put in place, in path order. */
void evf_stage_paths(const EvfStage *st, GPtrArray *paths);

/* (transfer full): one line per file: "path size" — what a build leaves in
 * the state to know what it published. */
char *evf_publish_manifest(GPtrArray *files);

/* Whether every file of @manifest is in @dir with its size. */
gboolean evf_publish_manifest_present(const char *dir, const char *manifest);

/* Removes temporary files left in @dir (and below) by a crash. */
void evf_publish_clean(const char *dir);
