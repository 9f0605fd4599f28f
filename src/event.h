/*
 * event.h: the catalogue's model of one event, whatever it was read from.
 * An EvfEvent is a plain value: loaders fill it, the state tracker adds its
 * identity over time (first seen, SEQUENCE, LAST-MODIFIED) and the writers
 * only read it.
 */
#pragma once

#include <glib.h>

typedef enum {
	EVF_STATUS_CONFIRMED,
	EVF_STATUS_TENTATIVE,
	EVF_STATUS_CANCELLED,
} EvfStatus;

typedef struct {
	/* identity */
	char *uid;      /* stable forever; the iCalendar UID */
	char *slug;     /* file stem: events/<slug>.ics and page anchors */
	char *path;     /* where it was read from (diagnostics) */
	guint uid_line; /* where `uid:` is in that file; 1 when derived */
	guint uid_col;
	guint categories_line; /* where `categories:` is; 0 when absent */
	guint categories_col;
	guint published_line; /* where `published:` is; 0 when absent */
	guint published_col;
	guint title_line; /* where `title:`'s value is; 0 when unknown */
	guint title_col;
	/* (nullable) where each of categories is in that file: a line and
	 * a column (guint) each */
	GArray *categories_at;

	/* content */
	char *title;
	gboolean tba;     /* date to be announced: feeds only, no calendar */
	gboolean all_day; /* start_date/end_date, else start/end */
	GDate start_date;
	GDate end_date; /* exclusive, as in iCalendar */
	GDateTime *start;
	GDateTime *end;
	/* no end written: an hour, exactly (evf_event_wall_length), in every
	 * occurrence of a series too */
	gboolean end_default;
	char *tzid; /* timed events in a zone: its IANA name; NULL for UTC */
	/* a timed event without a zone (tzid NULL), whose times were
	 * written with this offset from UTC (seconds; 0: with Z): start and
	 * end are in UTC, and are shown at this offset */
	gint32 utc_offset;
	char *location;
	gboolean has_geo;
	double lat;
	double lon;
	GPtrArray *organizers; /* char*, never NULL */
	char *organizer_email;
	GPtrArray *categories; /* char*, never NULL */
	char *url;
	EvfStatus status;
	/* the source says nothing of the status (a news feed's item: RSS
	 * and Atom have none), which is then taken as confirmed */
	gboolean status_unknown;
	gint64 published; /* from the file, µs since 1970 UTC; 0: not given */
	/* a partner's item without a date of publication, in a document of
	 * its newest items: when a fetch first listed it (µs), less its
	 * place in that document (partner.c: date_unlisted); 0: unknown */
	gint64 seen;
	char *image;
	char *rrule; /* validated RRULE value, or NULL */
	char *description_md;
	char *description_html; /* safe HTML, absolute links */
	char *description_text; /* plain text, link targets kept */

	/* provenance (merge) */
	char *source;       /* the [source NAME] it came from; NULL: local */
	char *source_title; /* that source's name as shown (attribution) */
	char *source_url;   /* that source's link as published (its link=,
	                     * else its url without user name, password,
	                     * query and fragment): for people to follow */
	GPtrArray
	    *also_listed; /* char*: other sources listing it; never NULL */
	/* an occurrence of a partner's recurring series, which evfeed
	 * expanded (uid "<series>/<occurrence>"): the series' UID as the
	 * source wrote it, which the feeds list once; NULL otherwise */
	char *series;
	/* (nullable) for such an occurrence that keeps the UID it had before
	 * its source moved the series to another time of day or zone
	 * (partner.c): the UID its source's calendar now gives it */
	char *occurrence;
	/* for an occurrence of such a series: when the series was first
	 * listed, and when it last changed, as the state keeps them (µs; 0:
	 * not known), which its feed item keeps however its occurrences
	 * come and go in the window of the source's calendar */
	gint64 series_first, series_changed;
	/* (nullable) the UID of its series' feed item, where it is not
	 * evf_render_series_uid()'s (a source renamed keeps its old one) */
	char *series_id;
	/* (nullable) char*: "<source>\x1f<series>" of each other source
	 * (also_listed) that lists it as an occurrence of a series of its
	 * own, whose feed item the series' keeps (build.c: series_uid) */
	GPtrArray *also_series;
	/* (render) for the one item of such a series in a feed: its
	 * further dates in words, which evf_event_format_repeats gives */
	char *series_dates;

	/* from the state (track) */
	char *fingerprint; /* hex digest of the content above */
	/* (nullable) of a partner's item with a date of publication: the
	 * digest as versions before 0.1.0's release made it, with that date
	 * in it, which a state may still hold (the date is left out now: a
	 * partner that dates each item anew does not change it) */
	char *fingerprint_dated;
	gint64 created;  /* first seen, µs since 1970 UTC */
	gint64 modified; /* LAST-MODIFIED, µs; unique within a site */
	guint sequence;

	/* render cache: this event's VEVENT, as libical wrote it, the
	 * same as jCal, and its article on a page and on an archive page;
	 * and the state they were made for (see evf_event_renders_for) */
	char *vevent;
	char *jcal;
	char *article[2];
	/* (nullable) its RRULE's value as the calendars have it (the BY
	 * lists in order, COUNT as UNTIL where ical.js needs it) */
	char *rrule_out;
	/* whether that VEVENT gives in UTC a time that falls in an hour the
	 * site's clocks repeat (evf_ics_head) */
	gboolean vevent_utc_repeated;
	/* whether that VEVENT gives its times in its zone, tzid
	 * (evf_ics_tzid, which it answers while the VEVENT is kept) */
	gboolean vevent_zoned;
	/* whether it had ended by past_now, the time of the build, when
	 * past_known (evf_page_prepare); if not, and it is a series whose
	 * first occurrence had ended by then, the occurrence it is on at
	 * past_now or next: next_day, the day it starts (as in
	 * evf_event_start_day), and next_start, its start in unix seconds
	 * (timed); else next_day is 0. article[0] is the article for these
	 * two on the page of upcoming events, kept while it is not past;
	 * article[1] the one on the archive page, kept once it is. past_until
	 * (µs): when that answer changes, as the event or that occurrence ends;
	 * G_MAXINT64 when it does not. */
	gboolean past_known;
	gboolean past;
	gint64 past_now;
	gint64 past_until;
	guint32 next_day;
	gint64 next_start;
	gint64 rendered_created;
	gint64 rendered_modified;
	guint rendered_sequence;
} EvfEvent;

/* Events are reference counted: the daemon's catalogue cache keeps the
 * events of unchanged files from one build to the next. */
EvfEvent *evf_event_new(void);
EvfEvent *evf_event_ref(EvfEvent *ev);
void evf_event_unref(EvfEvent *ev);
/* (transfer full): a new event with @ev's content, provenance and state,
 * sharing nothing with it (and without its renders). */
EvfEvent *evf_event_copy(const EvfEvent *ev);
/* Drops what the writers cached on @ev. */
void evf_event_clear_renders(EvfEvent *ev);
/* Keeps what the writers cached on @ev only if it was made for the state
 * @ev has now (created, modified, sequence: the rest of what the writers
 * read is the event's content and the configuration, which the daemon's
 * cache holds fixed), and notes that state as the one any render made
 * from now on is for. */
void evf_event_renders_for(EvfEvent *ev);
/* Works out both forms of @ev's dates (day-month-year and Julian day),
 * which GLib otherwise works out, and stores, on the first read of each:
 * two threads reading a date for the first time at once write it both,
 * and GLib's check of that aborts the process under G_DEBUG=fatal-criticals.
 * Call it before threads share @ev. */
void evf_event_settle_dates(EvfEvent *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfEvent, evf_event_unref)

/* (transfer full): @ev as a self-describing GVariant (a{sv}) of its
 * content (not the state), to keep partner items in the state and to pass
 * events from the sandboxed parser. */
GVariant *evf_event_serialize(const EvfEvent *ev);
/* (transfer full) (nullable): the event in @v, or NULL when @v is not a
 * well-formed serialised event. The fingerprint is recomputed. */
EvfEvent *evf_event_deserialize(GVariant *v);

/* 1990-01-01T00:00:00Z: feed validators call an earlier publication date
 * implausible (the W3C's ImplausibleDate). */
#define EVF_EARLIEST_PUBDATE (G_GINT64_CONSTANT(631152000) * G_USEC_PER_SEC)

/* The publication date: `published` from the file (or the partner), else
 * first seen, or, for a partner's event first seen after it ended, its
 * end; never later than first seen, nor before EVF_EARLIEST_PUBDATE. */
gint64 evf_event_pubdate(const EvfEvent *ev);
/* When @ev is over everywhere (µs since 1970 UTC): its end, or a timed
 * one's start when it has no end; an all-day event's last day once it has
 * ended 12 hours behind UTC. G_MAXINT64 for tba. */
gint64 evf_event_over_by(const EvfEvent *ev);

/* (transfer full): the title as shown, "Cancelled: " first if cancelled,
 * unless the title starts by saying so ("CANCELLED: …"). */
char *evf_event_display_title(const EvfEvent *ev);

/* Computes ev->fingerprint from every content field. */
void evf_event_update_fingerprint(EvfEvent *ev);

/* The same, with @attribution (nullable) too: what the outputs say of
 * where the event is listed (the sources' titles and links, which come
 * from the configuration and may change with no change of the event). */
void evf_event_update_fingerprint_attributed(EvfEvent *ev,
                                             const char *attribution);
/* What a partner's event holds, in the form evfeed writes: its plain-text
 * fields (title, location, organizers, categories) without HTML
 * (evf_text_plain; a field of tags alone stays as it was) and in NFC
 * (evf_text_nfc), as an event file's are; its links (url, image) URIs
 * (evf_uri_from_iri). Updates the fingerprint when anything changed. */
void evf_event_tidy(EvfEvent *ev);

/* Whether @ev's title, description or categories hold one of @words
 * (nullable) as a whole word or phrase, whatever its case: "war" is found
 * in "after the war," and in "war-torn", not in "software" or "award"
 * ([source] include= and exclude=). */
gboolean evf_event_mentions(const EvfEvent *ev, GStrv words);

/* (transfer full): @words (nullable) as evf_event_mentions_folded() takes
 * them, each case-folded and in NFKC, its runs of white space one space:
 * folded once for many events. */
GStrv evf_words_fold(GStrv words);
gboolean evf_event_mentions_folded(const EvfEvent *ev, GStrv words);

/* (transfer full): a human date range such as "25–27 September 2018",
 * "22 May 2018, 09:00–17:00 (Europe/Ljubljana)" or, for times written with
 * an offset, "1 March 2026, 00:30–02:00 (UTC+02:00)"; "Date to be
 * announced". */
char *evf_event_format_when(const EvfEvent *ev);
/* The length of the timed event @ev in its zone's wall clock, in seconds
 * (an hour more or less than the exact one across a change of the
 * clocks), the length meant for each occurrence of a series; the exact
 * hour when no end was written (end_default); -1 when it has no zone of
 * its own or is all-day. */
gint64 evf_event_wall_length(const EvfEvent *ev);
/* Whether the timed event @ev's wall-clock length differs from its exact
 * one: it spans a change of the clocks. */
gboolean evf_event_spans_change(const EvfEvent *ev);
/* (transfer full) (nullable): where an occurrence of the timed series @ev
 * that starts at @start ends by RFC 5545 as the calendars write the
 * series: as long on the wall clock as the first, by its DURATION
 * (evfeed-event(5)): the whole days on the wall clock in the event's
 * zone, the rest exactly (§3.3.6); as long exactly as the first where
 * that is the same. NULL for a wall time that cannot be read. */
GDateTime *evf_event_duration_end(const EvfEvent *ev, GDateTime *start);
/* (transfer full): the end of the occurrence of the timed series @ev that
 * starts at @start: the editor's for the first (which the calendars
 * override where the DURATION would not end it there), else as
 * evf_event_duration_end says. */
GDateTime *evf_event_occurrence_end(const EvfEvent *ev, GDateTime *start);
/* (transfer full): the dates of @ev's occurrence that starts on @day (a
 * Julian day, as evf_event_start_day gives it), at @start (unix seconds,
 * timed events only), in words as evf_event_format_when says the first
 * ("7 December 2026, 18:00–20:00 (Europe/Ljubljana)"); the occurrence
 * ends as evf_event_occurrence_end says. *@w3c (transfer full) gets its start
 * in W3C-DTF, as evf_event_w3c_start gives the first's. @ev is not tba. */
char *evf_event_format_occurrence(const EvfEvent *ev, guint32 day, gint64 start,
                                  char **w3c);
/* (transfer full) (nullable): @ev's recurrence in words, such as "Repeats
 * weekly, 4 times", "Repeats every 2 weeks on Monday and Wednesday, 6
 * times" or "Repeats monthly on the first Tuesday, until 30 June 2019"
 * (the last day in the event's zone); a partner series' further dates
 * (series_dates) for its item in a feed; NULL for a single event. */
char *evf_event_format_repeats(const EvfEvent *ev);
/* Between two organisers where they are named on one line: a name may hold
 * a comma or a semicolon ("Centre for Security Studies; Sarajevo"), and
 * "; " between names read as more organisers than there are. */
#define EVF_ORGANIZER_SEPARATOR " \xc2\xb7 " /* U+00B7 */
/* (transfer full) (nullable): @ev's organisers on one line, with
 * EVF_ORGANIZER_SEPARATOR between them; NULL for none. */
char *evf_event_format_organizers(const EvfEvent *ev);
/* "Organiser" or "Organisers", as @ev has one or more. */
const char *evf_event_organizers_label(const EvfEvent *ev);
/* Where @ev's file gives its category @k, for a diagnostic: the
 * category's line and column, else the key's (1, 1 when neither is
 * known). */
void evf_event_category_at(const EvfEvent *ev, guint k, guint *line,
                           guint *col);

/* (transfer full): W3C-DTF start or end (date, or date-time with offset),
 * NULL for tba; the end is inclusive for all-day events, as people say it. */
char *evf_event_w3c_start(const EvfEvent *ev);
/* (transfer full): how the feeds and pages name the zone @tzid (nullable:
 * UTC, or an offset) at @t: its name, but an offset for tzdata's Etc/
 * zones ("UTC-05:00" for Etc/GMT+5, whose name readers take for
 * UTC+05:00), and "UTC" for UTC. */
char *evf_zone_label(const char *tzid, GDateTime *t);
char *evf_event_w3c_end(const EvfEvent *ev);
/* (transfer full) (nullable): the end the feeds and pages show, as
 * evf_event_w3c_end; none for a timed event that ends at its start (a
 * partner's item with a start alone): one equal to the start would be
 * read as a mistake, and an hour made up. */
char *evf_event_w3c_end_shown(const EvfEvent *ev);

/* Whether @ev is a partner's item without an event date, as a news feed
 * gives its posts: shown by when it was published, not as an event whose
 * date is to be announced. */
gboolean evf_event_is_news(const EvfEvent *ev);

/* Whether @seconds is an offset from UTC in use somewhere: -12:00 to
 * +14:00. */
gboolean evf_utc_offset_valid(gint32 seconds);
/* (transfer full): the instant @t in the zone @ev's times are shown in:
 * its own zone, or for a time written with an offset from UTC, that
 * offset's. @ev is timed. */
GDateTime *evf_event_shown_time(const EvfEvent *ev, GDateTime *t);

/* Sort orders: by start (tba last) then uid; by publication date newest
 * first then uid. "By start" is by the day an event starts (an all-day
 * event's date, a timed event's date in its own zone), then all-day
 * events before timed ones, then the timed ones by instant: the order of
 * the page's months, and a total order whatever the zones. */
gint evf_event_cmp_start(gconstpointer a, gconstpointer b);
/* Sorts @events (EvfEvent *) as evf_event_cmp_start orders them. */
void evf_events_sort_by_start(GPtrArray *events);
/* That order for @x and @y (not tba) taken at the days @dx, @dy (Julian)
 * and instants @sx, @sy (unix seconds, timed events) of one of their
 * occurrences each. */
gint evf_event_cmp_at(const EvfEvent *x, guint32 dx, gint64 sx,
                      const EvfEvent *y, guint32 dy, gint64 sy);
/* The day @ev (not tba) starts, as a Julian day: an all-day event's date, a
 * timed one's date in its own zone, or at the offset from UTC its start was
 * written with (the day its page lists it under). */
guint32 evf_event_start_day(const EvfEvent *ev);
/* The day (Julian) on which @instant (unix seconds) falls where @ev (timed)
 * is shown (evf_event_shown_time); 0 out of range. */
guint32 evf_event_day_at(const EvfEvent *ev, gint64 instant);
gint evf_event_cmp_pubdate_desc(gconstpointer a, gconstpointer b);
