/*
 * render.h: catalogue → bytes. A view is one file of the output layout
 * (calendar.ics, rss.xml, atom.xml, category/<slug>/…, events/<slug>.ics);
 * the writers are pure functions of a view, so the same catalogue and state
 * give the same bytes on any machine, in any time zone.
 */
#pragma once

#include <glib.h>
#include "config.h"
#include "event.h"
#include "gzip.h"
#include "tz.h"

typedef struct {
	const EvfConfig *config;
	char *path; /* relative to the output root, e.g. "category/x/rss.xml" */
	char *self_url;    /* absolute URL of this file */
	char *title;       /* calendar or feed title */
	char *category;    /* the category of a category view, else NULL */
	GPtrArray *events; /* (element-type EvfEvent) borrowed, sorted */
	gint64 updated;    /* the latest change the view reflects, µs */
	gint64 now;        /* the time of the build, µs: what is past */
	gint64 changed;  /* its scope's last change, µs (the pages' footer) */
	gboolean single; /* a one-event .ics: no calendar name */
	EvfTzSet *tzs;   /* borrowed: the site's VTIMEZONEs */
} EvfView;

/* The id, on every page, of the paragraph that describes the JSON Feed's
 * "_event" extension: the extension's "about" URL is the site's page with
 * this fragment. */
#define EVF_JSONFEED_ABOUT_ID "_json-feed-event"

void evf_view_free(EvfView *view);
/* (transfer full): the URL of the page beside @view's file (the site's
 * root, or a scope's index.html, as the pages name themselves): where a
 * feed's readers go for the scope the feed lists. */
char *evf_view_home_url(const EvfView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfView, evf_view_free)

/* Writers: (transfer full) the file's bytes, or NULL with @error set. */
GBytes *evf_write_ics(const EvfView *view, GError **error);
/* (transfer full) (nullable): the VCALENDAR that evf_write_ics writes for
 * @view without its VEVENTs (its properties and VTIMEZONEs), ending with
 * END:VCALENDAR and CRLF. */
char *evf_ics_head(const EvfView *view, GError **error);
/* (transfer full): evf_write_ics with the @head evf_ics_head gives for
 * @view, or for any view of the same kind and zones (a one-event calendar's
 * head depends on its event's zone alone). */
GBytes *evf_write_ics_with_head(const EvfView *view, const char *head);
/* (transfer none): @ev's VEVENT text as it stands in every calendar,
 * serialised on first use and cached on the event: two VEVENTs for a
 * series whose first occurrence has an override (see write-ics.c). */
const char *evf_ics_vevent(const EvfConfig *cfg, EvfEvent *ev);
/* The zone @ev's times are written in (TZID=), NULL for UTC: its own,
 * unless that zone is irregular in the event's year (evf_tz_regular_from),
 * when a single occurrence is written in UTC, exactly and without a
 * VTIMEZONE Outlook cannot read, or unless its start or end is a wall time
 * that occurs twice (evf_tz_is_ambiguous), or it ends in 2036 or later
 * (where readers with zone data up to 2037 go wrong), when a single
 * occurrence is written in UTC too, the instant every client then agrees
 * on. A recurring event keeps its zone, whose rules its later occurrences
 * follow. */
const char *evf_ics_tzid(const EvfEvent *ev);
/* (transfer none) (nullable): @ev's VEVENT as jCal, made from the
 * component evf_ics_vevent's text is made from, cached on the event
 * likewise; with an override, the two components separated by ','. */
const char *evf_jcal_vevent(const EvfConfig *cfg, EvfEvent *ev, GError **error);
/* (transfer full) (nullable): @comp as jCal on one line, its
 * sub-components in the order of @ics, its text. */
char *evf_jcal_component(icalcomponent *comp, const char *ics, GError **error);
/* (transfer full): a value of a property evf_write_ics built, with the
 * placeholders it uses for ',' and ';' (see write-ics.c) back as they
 * were. */
char *evf_ics_plain(const char *value);
/* Makes @ev's articles for the pages (see evf_write_page) ahead, and works
 * out whether it is past at @now (µs, the time of the build; @site_tz is
 * the site's zone) and, for a running series, the occurrence the page
 * lists it at (ev->next_day, ev->next_start), so that this can run on
 * other threads than the writers', once a build, before they share @ev. */
void evf_page_prepare(const EvfConfig *cfg, GTimeZone *site_tz, gint64 now,
                      EvfEvent *ev);
/* Whether @ev is on the archive page rather than the page of upcoming
 * events at @now, as evf_write_page judges it (tba events never are). */
gboolean evf_page_is_past(const EvfConfig *cfg, const EvfEvent *ev, gint64 now);
/* Whether @ev (a series: its last occurrence) had ended by @t (µs), an
 * all-day event's days counted in @site_tz; never for tba events or
 * series without an end. If not, @until (nullable) gets the time (µs)
 * before which the answer stays the same, G_MAXINT64 if it does; if so,
 * @ended_at (nullable) gets when it ended (µs). */
gboolean evf_page_ended_by(GTimeZone *site_tz, const EvfEvent *ev, gint64 t,
                           gint64 *until, gint64 *ended_at);
GBytes *evf_write_rss(const EvfView *view, GError **error);
GBytes *evf_write_atom(const EvfView *view, GError **error);
/* JSON Feed 1.1 of the view's items, with an "_event" extension. */
GBytes *evf_write_jsonfeed(const EvfView *view, GError **error);
/* jCal (RFC 7265): exactly what evf_write_ics writes for @view, as JSON. */
GBytes *evf_write_jcal(const EvfView *view, GError **error);
/* The HTML page of a scope: @view holds all its events in any order (tba
 * included) and its path ends in index.html or archive.html. An event is
 * past once it has ended by @now (µs), the time of the build: the bytes
 * depend on @now only through which events had ended by then and the
 * occurrence of each running series listed, so that they stay the same
 * from one build to the next until an event ends. With @archive,
 * the past events newest first; else the others by date, then the tba
 * ones; there a series whose first occurrence had ended by @now is listed
 * at its occurrence then current or next, which its article names. */
GBytes *evf_write_page(const EvfView *view, gint64 now, gboolean archive,
                       GError **error);
/* (transfer full): style.css, the one stylesheet of every page. */
GBytes *evf_write_stylesheet(void);

/* (transfer full): the tag: URI (RFC 4151) of an event, used as RSS guid and
 * Atom id: tag:<host>,<tag_date>:event:<uid>. */
char *evf_render_tag_id(const EvfConfig *cfg, const EvfEvent *ev);
/* (transfer full): the tag: URI of a view (Atom feed id):
 * tag:<host>,<tag_date>:<the site's path><path>. */
char *evf_render_view_id(const EvfConfig *cfg, const char *path);
/* (transfer full): the URL a reader follows for an event: its `url`, else
 * its anchor on the site's page that lists it at @now (the time of the
 * build, µs): the page of upcoming events, or the archive once it is past
 * (evf_page_is_past). */
char *evf_render_event_link(const EvfConfig *cfg, const EvfEvent *ev,
                            gint64 now);
/* (transfer full): the id of @ev's article on the page of upcoming events
 * (when @upcoming) or on the archive page: its slug; on the page of
 * upcoming events, that of its partner's series (evf_render_series_slug),
 * which is listed there once, if it is an occurrence of one. */
char *evf_render_article_id(const EvfEvent *ev, gboolean upcoming);
/* (transfer full): the HTML shown in feeds: when, where, who, where the
 * listing comes from, the image and the body. */
char *evf_render_event_html(const EvfConfig *cfg, const EvfEvent *ev);

/* (transfer full) (element-type utf8): the names shown for the sources of
 * @ev: its own partner source first, then those that also list it. */
GPtrArray *evf_render_sources(const EvfConfig *cfg, const EvfEvent *ev);

/* (transfer full) (nullable): the attribution as plain text, e.g.
 * "Source: OSCE <https://…>\nAlso listed by: UNODC", or NULL when the
 * event is the site's own and nobody else lists it. */
char *evf_render_attribution(const EvfConfig *cfg, const EvfEvent *ev);
/* (transfer full) (nullable): the same as a paragraph of HTML, the
 * source's name a link to it. */
char *evf_render_attribution_html(const EvfConfig *cfg, const EvfEvent *ev);

/* A category of the site: the slug of its folder, its name as first met,
 * and its events (borrowed) in the order given. */
typedef struct {
	char *slug;
	char *name;
	GPtrArray *events;
	gint64 emptied; /* when it lost its last event (µs); 0 while it has
	                 * events */
	/* when an event last left or joined it (µs), which its feeds and
	 * calendar give as their last change when it is the latest: an
	 * event that leaves is a change too; 0: not known */
	gint64 changed;
	/* the same of its dated events, those of its calendar, whose
	 * LAST-MODIFIED it is when the latest (a tba event's edit moves it
	 * not); 0: not known (changed is taken) */
	gint64 dated_changed;
} EvfCategory;

/* (transfer full): the category @slug named @name, of no event since
 * @emptied. */
EvfCategory *evf_category_new_emptied(const char *slug, const char *name,
                                      gint64 emptied);
void evf_category_free(gpointer category);
/* (transfer full) (element-type EvfCategory): each partner source of
 * @cfg that is enabled or lists one of @events, in the configuration's
 * order, as a category of its name as slug and its title as name, of the
 * events (borrowed) it lists (their source, or also listed by it). */
GPtrArray *evf_render_source_lists(const EvfConfig *cfg, GPtrArray *events);

/* A GCompareFunc of two EvfCategory ** by slug. */
gint evf_category_cmp(gconstpointer a, gconstpointer b);

/* (transfer full) (element-type EvfCategory): the categories of @events,
 * sorted by slug. */
GPtrArray *evf_render_categories(GPtrArray *events);

/* (transfer full) (element-type EvfFile): every file of the site, sorted by
 * path. @events is the whole catalogue; @cats (nullable) its categories
 * as evf_render_categories() gives them, with when each last changed (else
 * they are made here, and not known); @sources (nullable) the partner
 * sources' lists as evf_render_source_lists() gives them, with when each
 * last changed (else made here, and not known); @kept (nullable) (element-type
 * EvfCategory) categories of no event that keep their calendar and feeds,
 * empty, as of when they were emptied; @kept_sources (nullable) the same
 * of partner sources no longer enabled (each an EvfCategory of the
 * source's name as slug and its title as name); @updated the site's latest
 * change; @dated_changed when the site's dated events (its calendar's)
 * last joined or left it (0: not known, @updated is taken);
 * @now the time of the build (µs), which says what is past, on the pages
 * and for [feeds] past_days: before @updated, @updated is taken. @floors
 * (nullable) holds each scope's feed floor, below which no item comes back
 * into its feeds (its folder, "" for the site's, → floor), as the last
 * build left them, and gets this one's in their place (a scope without
 * one keeps what it had). @until
 * (nullable) gets the time (µs) up to which the same inputs and state give
 * the same files: the first end, after @now, of an event, of a running
 * series' occurrence, or of the days an event is kept; G_MAXINT64 if
 * none. Each file is handed to @gz (if not NULL) as soon as it is made, so
 * that compression runs beside the rendering; when @gz writes to a stage,
 * the files come back with their sizes but without their bytes. Scopes and
 * one-event calendars are made on all processors. */
/* (transfer full): the UID of the one feed item of the partner's series
 * that @occurrence (EvfEvent.series set) is of, as its source's name
 * makes it (evf_render_series_uid_of: of source @source's series
 * @series). */
char *evf_render_series_uid(const EvfEvent *occurrence);
/* (transfer full) (nullable): the occurrence @rep of a partner series'
 * @occurrences (evf_render_series_next's) as its one item and article
 * show it: with the texts (title, place, description) most of the
 * occurrences have, where its own are not those (an override of the next
 * occurrence alone: "(afternoon)", another room); NULL where they are. */
EvfEvent *evf_render_series_shown(GPtrArray *occurrences, guint rep);
/* (transfer full): the name (events/<name>.ics) of the calendar of every
 * dated occurrence of the partner's series that @occurrence (or the
 * series' feed item) is of, which its "Add to calendar" links give: its
 * source's name and a digest of the series' feed item UID. */
char *evf_render_series_slug(const EvfEvent *occurrence);
/* (transfer full): the path of @ev's own calendar, "events/<slug>.ics";
 * when @whole_series, of the calendar of its partner's series, if it is
 * an occurrence of one (or the series' feed item): the "Add to calendar"
 * of an article or item that lists the series once. */
char *evf_render_ics_path(const EvfEvent *ev, gboolean whole_series);
char *evf_render_series_uid_of(const char *source, const char *series);
/* Whether @name is the name of a file evfeed writes in each scope's
 * folder (the site's, a category's, a source's), or of its gzip copy. */
gboolean evf_render_scope_file(const char *name);
/* (transfer full) (nullable): the occurrences of partners' series among
 * @events (those with EvfEvent.series), one array for each series of each
 * source, sorted by start (keyed by source and series); NULL when there
 * are none. */
GHashTable *evf_render_series_group(GPtrArray *events);
/* Of a partner series' occurrences @occ (sorted by start), the index of
 * the one its feed item and its page show at @now (µs, the time of the
 * build): the next that takes place, else the next, cancelled, else the
 * last; and in *@further (transfer full, nullable) the text of the dates
 * after it that take place ("Further dates: …", the first few), and of
 * those to come that are cancelled ("Cancelled: …"). */
guint evf_render_series_next(const EvfConfig *cfg, GPtrArray *occ, gint64 now,
                             char **further);

GPtrArray *evf_render_site(const EvfConfig *cfg, GPtrArray *events,
                           GPtrArray *cats, GPtrArray *sources, GPtrArray *kept,
                           GPtrArray *kept_sources, gint64 updated,
                           gint64 dated_changed, gint64 now, GHashTable *floors,
                           gint64 *until, EvfGzipper *gz, GError **error);
