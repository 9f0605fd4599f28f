/*
 * eventwrite.h: an EvfEvent → the text of an event file (the inverse of
 * eventfile.c), for `evfeed new` and `evfeed import`. The front matter is
 * written with libyaml's emitter, which quotes and escapes.
 */
#pragma once

#include <glib.h>
#include "config.h"
#include "event.h"

/* (transfer full): the event file for @ev: front matter with every field
 * the event has (the uid always, so that the identity survives a rename),
 * then @body (Markdown; nullable). NULL with @error if libyaml fails. */
char *evf_eventwrite_format(const EvfConfig *cfg, const EvfEvent *ev,
                            const char *body, GError **error);

/* (transfer full): an event file with the given front matter: @fields is
 * key, value, key, value… (NULL-terminated; a NULL value is skipped), then
 * @categories (nullable, NULL-terminated), then @body. For `evfeed new`,
 * which takes the values as the user wrote them, to be read as any event
 * file's. */
char *evf_eventwrite_fields(const char *const *fields, char **categories,
                            const char *body, GError **error);

/* (transfer full): a file name for @ev: "<start date>-<slug of the
 * title>.md", or "tba-<slug>.md". */
char *evf_eventwrite_filename(const EvfEvent *ev);

/* Creates the file @path (@shown in messages) with @text. An existing
 * file is never overwritten: that fails with G_FILE_ERROR_EXIST. A file
 * that could not be written whole is removed. */
gboolean evf_eventwrite_create(const char *path, const char *shown,
                               const char *text, GError **error);
