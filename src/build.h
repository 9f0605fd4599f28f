/*
 * build.h: one pass of the pipeline: load → track → render → publish.
 * Used by `evfeed build` and by the daemon.
 */
#pragma once

#include <glib.h>
#include "catalog.h"
#include "config.h"

typedef struct {
	guint events;     /* events in the catalogue */
	guint files;      /* files in the output layout */
	guint written;    /* files whose bytes changed */
	gboolean skipped; /* nothing changed since the last build */
	char *manifest;   /* what the output folder holds ("path size" lines) */
	char *digest;     /* of the inputs the output was built from */
	gint64 until;     /* µs: when an event ends and the output with it, at
	                   * the latest (G_MAXINT64: none) */
	GPtrArray *changed; /* (element-type utf8): the paths written */
} EvfBuildStats;

void evf_build_stats_clear(EvfBuildStats *stats);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EvfBuildStats, evf_build_stats_clear)

/* (transfer full) (nullable): the manifest of the last successful build,
 * from the state, without building. */
char *evf_build_last_manifest(const EvfConfig *cfg);

/* Checks the event files only: every problem goes into @diags. */
gboolean evf_build_check(const EvfConfig *cfg, gint64 now, GPtrArray *diags);

typedef enum {
	/* another build under way on the same state is waited for; else it
	 * is an error */
	EVF_BUILD_WAIT = 1 << 0,
	/* for `serve`, which serves a new version as soon as it is in
	 * place: its files are put in place without waiting for the second
	 * they are dated in (evf_stage_at_once) */
	EVF_BUILD_AT_ONCE = 1 << 1,
} EvfBuildFlags;

/* Builds the site into cfg->output_dir at @now (µs). Input errors go into
 * @diags and nothing is written; runtime errors (state, disk) set @error.
 * Returns TRUE on success. @stats is cleared first. @cache (nullable)
 * spares reading and parsing unchanged files again. */
gboolean evf_build_run(const EvfConfig *cfg, EvfCatalogCache *cache, gint64 now,
                       EvfBuildFlags flags, GPtrArray *diags,
                       EvfBuildStats *stats, GError **error);
