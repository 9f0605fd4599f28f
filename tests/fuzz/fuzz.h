/*
 * fuzz.h: what every harness shares. A harness defines the two libFuzzer
 * entry points below; the fuzzer (with -fsanitize=fuzzer) or the replay
 * driver (replay.c, under `make check`) calls them. The process is set up
 * the way main() sets it up, and GLib's log is kept quiet except for
 * programmer errors (criticals), which abort so that they are reported.
 */
#pragma once

#include <glib.h>
#include <libical/ical.h>
#include <libxml/parser.h>
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "Now" for every harness: 2018-06-01T00:00:00Z, as in the unit tests. */
#define EVF_FUZZ_NOW (G_GINT64_CONSTANT(1527811200) * G_USEC_PER_SEC)

static inline void
evf_fuzz_log(const char *domain, GLogLevelFlags level, const char *message,
             gpointer data)
{
	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) == 0)
		return;
	fprintf(stderr, "%s: %s\n", domain != NULL ? domain : "(none)",
	        message);
	abort();
}

/* What main() does before anything else, and a quiet log. */
static inline void
evf_fuzz_setup(void)
{
	setlocale(LC_CTYPE, "");
	icalerror_set_errors_are_fatal(0);
	xmlInitParser();
	g_log_set_default_handler(evf_fuzz_log, NULL);
}

/* (transfer full): @data as a NUL-terminated string (it may hold NULs). */
static inline char *
evf_fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = g_malloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Whether @s is what evf_text_sanitize makes: valid UTF-8 without C0
 * controls (but TAB and LF), DEL or U+FFFE/U+FFFF. NULL passes. */
static inline gboolean
evf_fuzz_clean(const char *s)
{
	if (s == NULL)
		return TRUE;
	if (!g_utf8_validate(s, -1, NULL))
		return FALSE;
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f ||
		    ch == 0xfffe || ch == 0xffff)
			return FALSE;
	}
	return TRUE;
}

#ifdef EVF_FUZZ_IMPORT
#include "event.h"
#include "import.h"

static inline void
evf_fuzz_fail(const char *what, const char *value)
{
	fprintf(stderr, "broken promise: %s%s%s\n", what,
	        value != NULL ? ": " : "", value != NULL ? value : "");
	abort();
}

/* Aborts unless @imp keeps the promises of import.h: at most
 * EVF_IMPORT_MAX_ITEMS events, each with a uid and a title, every string
 * sanitised, titles and descriptions within their caps, no timed event
 * ending before it starts. */
static inline void
evf_fuzz_check_import(const EvfImport *imp)
{
	if (imp->events == NULL || imp->warnings == NULL)
		evf_fuzz_fail("no event or warning list", NULL);
	if (imp->events->len > EVF_IMPORT_MAX_ITEMS)
		evf_fuzz_fail("more than EVF_IMPORT_MAX_ITEMS events", NULL);
	for (guint i = 0; i < imp->events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(imp->events, i);
		const char *const strings[] = {
			ev->uid,
			ev->title,
			ev->location,
			ev->url,
			ev->description_html,
			ev->description_text,
		};

		if (ev->uid == NULL || ev->uid[0] == '\0')
			evf_fuzz_fail("event without a uid", NULL);
		if (ev->title == NULL)
			evf_fuzz_fail("event without a title", ev->uid);
		if (strlen(ev->title) > EVF_IMPORT_MAX_TITLE)
			evf_fuzz_fail("title longer than the cap", ev->uid);
		if (ev->description_html != NULL &&
		    strlen(ev->description_html) > EVF_IMPORT_MAX_DESCRIPTION)
			evf_fuzz_fail("description longer than the cap",
			              ev->uid);
		for (gsize k = 0; k < G_N_ELEMENTS(strings); k++)
			if (!evf_fuzz_clean(strings[k]))
				evf_fuzz_fail("string not sanitised",
				              strings[k]);
		if (!ev->tba && !ev->all_day &&
		    (ev->start == NULL || ev->end == NULL ||
		     g_date_time_compare(ev->start, ev->end) > 0))
			evf_fuzz_fail("timed event without a valid span",
			              ev->uid);
	}
}
#endif
