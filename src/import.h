/*
 * import.h: partner listings → events. The importers are pure functions
 * from bytes to events (no network, no files, no clock but the one given),
 * so that they can be fuzzed; fetch.c brings the bytes, merge.c decides.
 *
 * Every string of an imported event is sanitised (evf_text_sanitize) and
 * bounded, and its texts mended where encoded twice (evf_import_mend_text);
 * HTML goes through evf_html_sanitize; link targets are absolute.
 * An item without an event date becomes a listing: ev->tba is TRUE (feeds
 * only, never the calendar).
 */
#pragma once

#include <glib.h>
#include "event.h"

typedef enum {
	EVF_FORMAT_AUTO,
	EVF_FORMAT_ICS,
	EVF_FORMAT_RSS, /* RSS 2.0, also 0.9x and RSS 1.0 (RDF) */
	EVF_FORMAT_ATOM,
} EvfFormat;

/* Caps on what one source may bring. */
#define EVF_IMPORT_MAX_ITEMS       500   /* the newest are kept */
#define EVF_IMPORT_MAX_TITLE       1024  /* bytes, cut on a UTF-8 boundary */
#define EVF_IMPORT_MAX_DESCRIPTION 65536 /* bytes of HTML */
#define EVF_IMPORT_MAX_OCCURRENCES 100   /* per recurring event */

typedef struct {
	GPtrArray *events;   /* (element-type EvfEvent) owned */
	guint skipped;       /* items left out (no usable data) */
	GPtrArray *warnings; /* (element-type utf8) what was not carried over */
	/* an RSS or Atom document, which lists a partner's newest items,
	 * not all: one that is not in it was not taken away */
	gboolean window;
} EvfImport;

/* Which of a source's items are taken ([source] include= and exclude=,
 * evfeed.conf(5)). The importers choose before their cap, so that the
 * items asked for are not lost among a large calendar's others. */
typedef struct {
	GStrv include; /* NULL or empty: every item not excluded */
	GStrv exclude; /* (nullable) */
	/* (private, nullable) evf_import_filter_fold()'s */
	GStrv include_folded;
	GStrv exclude_folded;
} EvfImportFilter;

/* Folds @filter's words once (evf_words_fold), for the many events it is
 * asked of; evf_import_filter_clear() frees what this makes. */
void evf_import_filter_fold(EvfImportFilter *filter);
void evf_import_filter_clear(EvfImportFilter *filter);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EvfImportFilter, evf_import_filter_clear)

/* Whether @filter (nullable) has words, and so may leave items out. */
gboolean evf_import_filter_chooses(const EvfImportFilter *filter);

/* Whether @filter (nullable: every item) takes @ev, an event as an
 * importer makes it: asked of its texts as published (evf_import_tidy),
 * as merge.c asks again of the items it merges. */
gboolean evf_import_chosen(const EvfImportFilter *filter, const EvfEvent *ev);

/* The same, of an event whose texts are already as published (an item
 * once taken). */
gboolean evf_import_chosen_as_is(const EvfImportFilter *filter,
                                 const EvfEvent *ev);

void evf_import_free(EvfImport *imp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfImport, evf_import_free)

/* Mends, in place, every text of @ev that its source supplies (title,
 * location, organizers, categories, description as HTML and as text)
 * where it was encoded twice on its way (evf_text_mend: "CafÃ©" →
 * "Café"), and writes a replacement character U+FFFD as '?', as the feeds
 * must (evf_text_replacement_as_question), so that every output shows the
 * same mended text; links and
 * identifiers are left as they came. Both importers do it to each event
 * they make, and partner.c to items kept in the state from before. Does
 * not update the fingerprint; returns whether anything changed. */
gboolean evf_import_mend_text(EvfEvent *ev);

/* Makes @ev's texts what a partner's are when published: plain text
 * where plain (evf_event_tidy: "&#8211;" in a title is "–"), mended where
 * encoded twice (evf_import_mend_text), the fingerprint updated when
 * anything changed. partner.c does it to each item it takes, and
 * `evfeed import` to each event it writes. */
void evf_import_tidy(EvfEvent *ev);

/* What the bytes look like: ICS, RSS or Atom, from the first bytes (after
 * a BOM and white space); AUTO when none. */
EvfFormat evf_import_sniff(const char *data, gsize len);

/* (transfer full): the events of an RSS 2.0, RSS 1.0/RDF or Atom document.
 * @base_url (the feed's URL) resolves relative links (xml:base first).
 * Imported events have: uid (guid/id, else link, else a digest of the
 * item), title, url, description_html/text, published (pubDate/published/
 * updated, µs), categories, start/end from mod_event ev:startdate/enddate
 * (all_day when date-only; tzid NULL, UTC instants otherwise), location,
 * organizers. NULL with @error when the document is not a feed or is not
 * well-formed; entity declarations and external entities are refused. */
EvfImport *evf_import_feed(const char *data, gsize len, const char *base_url,
                           GError **error);

/* The same, for a document served with @charset (nullable), the charset
 * parameter of its Content-Type: the encoding of a document that names
 * none itself (no byte order mark, no encoding in its XML declaration)
 * and is not UTF-8. */
EvfImport *evf_import_feed_charset(const char *data, gsize len,
                                   const char *base_url, const char *charset,
                                   GError **error);

/* The same, with only the items @filter (nullable) chooses, chosen before
 * the cap: the newest EVF_IMPORT_MAX_ITEMS of those. */
EvfImport *evf_import_feed_filtered(const char *data, gsize len,
                                    const char *base_url, const char *charset,
                                    const EvfImportFilter *filter,
                                    GError **error);

/* (transfer full): the VEVENTs of an iCalendar document, parsed by
 * libical in a short-lived child process under memory and CPU limits
 * after a linear pre-check of the bytes. Recurring events are expanded
 * into their occurrences within [@now - 1 year, @now + 2 years], at most
 * EVF_IMPORT_MAX_OCCURRENCES each, each with its own uid
 * ("<uid>/<start>"). The same UID twice: the higher SEQUENCE wins. A body
 * without END:VCALENDAR is refused. TZIDs resolve to IANA zones (Windows
 * names too); unknown ones fall back to UTC with a warning. */
EvfImport *evf_import_ics(const char *data, gsize len, const char *base_url,
                          gint64 now, GError **error);

/* The same, with only the events @filter (nullable) chooses, chosen
 * before the cap: the nearest EVF_IMPORT_MAX_ITEMS of those. A series is
 * chosen by its own texts, an override of one occurrence by its own. */
EvfImport *evf_import_ics_filtered(const char *data, gsize len,
                                   const char *base_url, gint64 now,
                                   const EvfImportFilter *filter,
                                   GError **error);

/* The same, in this process, without the child: for the child itself, and
 * for fuzzing under a harness that supplies its own limits. */
EvfImport *evf_import_ics_unsandboxed(const char *data, gsize len,
                                      const char *base_url, gint64 now,
                                      GError **error);

/* (transfer full): the same parse in series mode, for `evfeed import`
 * (migrating a site): nothing is expanded, and there is no window and no
 * cap but the pre-check's. Each event (UID) comes out once, with its uid
 * as written and its first RRULE as ev->rrule (as libical writes it,
 * unchecked); EXDATE, RDATE, further RRULEs and overrides (RECURRENCE-ID)
 * are left out, and not warned about: the caller reports what the
 * document had. Also sets ev->organizer_email from a mailto: ORGANIZER,
 * and strips the "Cancelled: " that evfeed's own calendar puts before the
 * title of a cancelled event. Private events, and events without a UID,
 * are left out, and not warned about. */
EvfImport *evf_import_ics_series(const char *data, gsize len,
                                 const char *base_url, GError **error);
EvfImport *evf_import_ics_series_unsandboxed(const char *data, gsize len,
                                             const char *base_url,
                                             GError **error);

/* The linear pre-check alone: NULL when the bytes may go to libical, else
 * (transfer full) why not. */
char *evf_import_ics_precheck(const char *data, gsize len);
