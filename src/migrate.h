/*
 * migrate.h: `evfeed import`: an existing calendar (a file or a URL) →
 * event files, to move a site to evfeed. Each event keeps its UID; its
 * file is named as `evfeed new` names one; nothing is ever overwritten;
 * whatever an event file cannot hold is reported against the line of the
 * calendar it came from.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include "config.h"

/* Limits on what is read, as for a partner source's defaults. */
#define EVF_MIGRATE_MAX_BYTES (16 * 1024 * 1024)
#define EVF_MIGRATE_TIMEOUT   60 /* seconds for a fetch */

/* Imports the calendar at @source: a file, or an http, https or webcal URL
 * (fetched with fetch.c's limits; the calendar is parsed in a sandboxed
 * child by evf_import_ics_series). Writes one event file per event into
 * cfg->events_dir and prints the path of each on @out (with @dry_run,
 * what would be written, and nothing is). An event whose uid is already
 * in the events folder, or whose file exists or gives another file's
 * address, is refused; categories take the spelling the folder has for
 * their address. The new files are checked with the folder before any
 * is written, and none is if it would then fail `evfeed check`. Every problem
 * goes into @diags, warnings for what was not carried over ("FILE:LINE:
 * warning: 'UID': ATTENDEE is not carried over") and errors for events
 * not imported; the events folder must pass `evfeed check` before and
 * after. @now (µs) bounds `published`. Returns the number of events
 * written (or that would be). */
guint evf_migrate_run(const EvfConfig *cfg, const char *source,
                      gboolean dry_run, gint64 now, FILE *out,
                      GPtrArray *diags);

/* (transfer full): plain @text as Markdown that renders back to the same
 * text: Markdown's punctuation escaped (and whatever would start a
 * block: a list, a heading, a quote, code), paragraphs at blank lines,
 * lines as written; web addresses left alone, so that they become links. */
char *evf_migrate_markdown(const char *text);
