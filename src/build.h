/*
 * build.h: one pass of the pipeline: load → track → render → publish.
 * Used by `evfeed build` and by the daemon.
 */
#pragma once

#include <glib.h>
#include "config.h"

typedef struct {
	guint events;     /* events in the catalogue */
	guint files;      /* files in the output layout */
	guint written;    /* files whose bytes changed */
	gboolean skipped; /* nothing changed since the last build */
} EvfBuildStats;

/* Checks the event files only: every problem goes into @diags. */
gboolean evf_build_check(const EvfConfig *cfg, gint64 now, GPtrArray *diags);

/* Builds the site into cfg->output_dir at @now (µs). Input errors go into
 * @diags and nothing is written; runtime errors (state, disk) set @error.
 * Returns TRUE on success. */
gboolean evf_build_run(const EvfConfig *cfg, gint64 now, GPtrArray *diags,
                       EvfBuildStats *stats, GError **error);
