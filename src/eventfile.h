/*
 * eventfile.h: one editor's event file → an EvfEvent. Pure: the bytes, the
 * site's configuration and the current time in, an event or diagnostics out.
 *
 * The file is YAML front matter between two `---` lines, then a Markdown
 * body. Every problem is reported (file:line:col), not just the first.
 */
#pragma once

#include <glib.h>
#include <libical/ical.h>
#include "config.h"
#include "event.h"

#define EVF_EVENTFILE_MAX_FRONT_MATTER (64 * 1024)
#define EVF_EVENTFILE_MAX_BODY         (1024 * 1024)
/* Files larger than this are not even read. */
#define EVF_EVENTFILE_MAX_FILE (16 * 1024 * 1024)

/* (transfer full) (nullable): the event in @data (@len bytes) read from
 * @path (as shown in diagnostics); @stem is the file name without ".md" and
 * gives the default uid and the slug. @now (µs since 1970, UTC) bounds
 * `published`. Returns NULL when any error was added to @diags. */
EvfEvent *evf_eventfile_parse(const char *path, const char *stem,
                              const char *data, gsize len, const EvfConfig *cfg,
                              gint64 now, GPtrArray *diags);

/* (transfer full): as evf_eventfile_parse(), but the event is returned
 * also when the file has errors (@complete FALSE): what could be read of
 * it, for the checks across files (its path, slug, uid, categories), and
 * no more. */
EvfEvent *evf_eventfile_read(const char *path, const char *stem,
                             const char *data, gsize len, const EvfConfig *cfg,
                             gint64 now, GPtrArray *diags, gboolean *complete);

/* Checks an RRULE value for an event starting at @ev's start: returns NULL
 * when it is valid, else (transfer full) the reason. */
char *evf_eventfile_check_rrule(const EvfEvent *ev, const char *rrule);
/* Whether the UNTIL @until (a valid date, or date and time in UTC) is
 * after the years an event file takes (to 2200-12-31T08:00Z, as a
 * start's). */
gboolean evf_eventfile_until_late(const struct icaltimetype *until);

/* Whether an unquoted YAML scalar @text is read as null (and so as an
 * empty value): whoever writes a front matter quotes such a text. */
gboolean evf_eventfile_is_null_word(const char *text);
/* Whether @text, unquoted as an item of a list, would be read otherwise
 * than as itself: as no value (evf_eventfile_is_null_word), or as a list
 * mistyped (one that begins with a bullet or a dash, which the reader
 * warns of). */
gboolean evf_eventfile_needs_quotes(const char *text);
