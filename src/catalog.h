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

/* (transfer full): the event file at @path (absolute, ending in .md)
 * with the contents @text, such as one about to be written. */
EvfSourceFile *evf_source_file_new(const char *path, const char *text);
void evf_source_file_free(EvfSourceFile *f);

/* What a long-running process keeps between builds so that only changed
 * files are read and parsed again: per file name, the file's identity
 * (device, inode, size, mtime), its bytes and its event. Valid for one
 * configuration. */
typedef struct _EvfCatalogCache EvfCatalogCache;
EvfCatalogCache *evf_catalog_cache_new(void);
void evf_catalog_cache_free(EvfCatalogCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfCatalogCache, evf_catalog_cache_free)
/* Whether an event file of @cfg's folder came, went or changed (its
 * identity, size or times, as stat() tells them) since @cache last read
 * the folder: for a file system that tells no one of a change (NFS, SMB,
 * an edit through a hard link elsewhere). FALSE before the first read,
 * and when the folder cannot be read (the build says why). */
gboolean evf_catalog_cache_stale(const EvfConfig *cfg, EvfCatalogCache *cache);
/* Whether @name (nullable), a name in @cfg's events folder, and @other
 * (nullable: the other name of a move) are those of event files, and the
 * folder's event files are all as @cache last read them: a word from a
 * monitor of the folder about them brings nothing to build then (one that
 * came after the build that read the change, or about a file opened for
 * writing and closed unchanged). */
gboolean evf_catalog_cache_as_read(const EvfConfig *cfg, EvfCatalogCache *cache,
                                   const char *name, const char *other);

/* (transfer full) (element-type EvfSourceFile): every *.md file of the
 * events folder (hidden files left out), sorted by name; *digest (transfer
 * full) is a SHA-256 over each file's SHA-256 of its name, size and
 * contents (made on all processors). Unreadable files become
 * diagnostics; NULL when the folder itself cannot be read. With @error
 * (nullable), a failure of the machine's that passes (too many open files,
 * no memory) is not blamed on a file but set there, with NULL, so that a
 * daemon tries again. With @cache (nullable), files whose identity is
 * unchanged are not read again. */
GPtrArray *evf_catalog_read(const EvfConfig *cfg, EvfCatalogCache *cache,
                            GPtrArray *diags, char **digest, GError **error);

/* (transfer full) (element-type EvfEvent): the events of @files, sorted by
 * uid, after the checks across files (duplicate uids, slugs and category
 * URLs). NULL when any error was added to @diags. With @cache (nullable),
 * the events of files whose bytes were not read again are reused. */
GPtrArray *evf_catalog_parse(const EvfConfig *cfg, EvfCatalogCache *cache,
                             GPtrArray *files, gint64 now, GPtrArray *diags);

/* Whether the events folder passes `evfeed check` with the files @added
 * (element-type EvfSourceFile) (nullable) read as if they were written
 * (none of their names may be in the folder): every file's checks and
 * those across files. Errors go into @diags. With @added, a folder that
 * does not exist is an empty one, and a folder that already fails is
 * judged by what @added changes: TRUE when the files add no error of
 * their own, with a warning that the folder fails without them, and
 * otherwise only their own errors in @diags. */
gboolean evf_catalog_check(const EvfConfig *cfg, GPtrArray *added, gint64 now,
                           GPtrArray *diags);

/* (transfer full): @path as shown to the user: relative to the current
 * folder when it is inside it. */
char *evf_catalog_display_path(const char *path);
