/*
 * test-write.c: the writers. The hard-case events are rendered at a fixed
 * time into a fresh state and compared byte for byte with the golden files
 * in tests/golden/ (EVF_UPDATE_GOLDEN=1 rewrites them after a deliberate
 * change); then properties that must hold whatever the golden files say:
 * line length and folding, CRLF, every TZID declared, tba events left out
 * of calendars, no calendar name in one-event files.
 */
#include "autoconf.h"

#include "autocleanups.h"

#include "catalog.h"
#include "config.h"
#include "import.h"
#include "merge.h"
#include "render.h"
#include "store.h"
#include "util.h"
#include "websub.h"
#include "xmlout.h"

#include <fcntl.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2025-06-01T12:00:00Z */
#define NOW (G_GINT64_CONSTANT(1748779200) * G_USEC_PER_SEC)

typedef struct {
	char *dir;
	EvfConfig *cfg;
	GPtrArray *events;
	GPtrArray *files;
	gint64 updated;
} Site;

static void
site_free(Site *s)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", s->dir);

	g_assert_cmpint(system(cmd), ==, 0);
	g_ptr_array_unref(s->files);
	g_ptr_array_unref(s->events);
	evf_config_free(s->cfg);
	g_free(s->dir);
	g_free(s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Site, site_free)

/* Renders the site of @events_dir in @zone, with @site and @feeds
 * (nullable) as more of the [site] section and the body of the [feeds]
 * section of its configuration; its event files must give exactly
 * @warnings warnings, and no error. */
/* The warnings the hard cases (tests/data/hard-events) give: the raw HTML
 * of two descriptions left out (a '<angle brackets>', and three in
 * unsafe-html-and-relative-link), and the javascript: link refused
 * there. */
#define HARD_EVENTS_WARNINGS 5

static Site *
site_render_in(const char *events_dir, const char *zone, const char *site,
               const char *feeds, guint warnings)
{
	Site *s = g_new0(Site, 1);
	g_autofree char *conf = NULL;
	g_autofree char *text = NULL;
	g_autofree char *digest = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(EvfStore) store = NULL;
	g_autoptr(GError) error = NULL;
	gint64 updated;

	s->dir = g_dir_make_tmp("evfeed-write-XXXXXX", NULL);
	conf = g_build_filename(s->dir, "evfeed.conf", NULL);
	text = g_strdup_printf("[site]\n"
	                       "title=Golden Events\n"
	                       "description=Events, for the golden tests\n"
	                       "url=https://events.example.org/\n"
	                       "tag_date=2018\n"
	                       "timezone=%s\n%s"
	                       "[paths]\n"
	                       "events=%s\n"
	                       "output=public\n"
	                       "state=state.db\n"
	                       "[feeds]\n%s",
	                       zone, site != NULL ? site : "", events_dir,
	                       feeds != NULL ? feeds : "");
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	s->cfg = evf_config_load(conf, diags);
	g_assert_nonnull(s->cfg);
	files = evf_catalog_read(s->cfg, NULL, diags, &digest, NULL);
	g_assert_nonnull(files);
	s->events = evf_catalog_parse(s->cfg, NULL, files, NOW, diags);
	if (diags->len > warnings)
		evf_diags_print(diags, stderr);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, warnings);
	g_assert_nonnull(s->events);
	store = evf_store_open(s->cfg->state_path, &error);
	g_assert_no_error(error);
	g_assert_true(evf_store_track(store, s->events, NOW, &updated, &error));
	s->files =
	    evf_render_site(s->cfg, s->events, NULL, NULL, NULL, NULL, updated,
	                    0, updated, NULL, NULL, NULL, &error);
	g_assert_no_error(error);
	s->updated = updated;
	return s;
}

static Site *
site_render_with(const char *events_dir, const char *feeds)
{
	return site_render_in(events_dir, "Europe/Ljubljana", NULL, feeds,
	                      g_str_has_suffix(events_dir, "hard-events")
	                          ? HARD_EVENTS_WARNINGS
	                          : 0);
}

static Site *
site_render(const char *events_dir)
{
	return site_render_with(events_dir, NULL);
}

/* The hard-case events (tests/data/hard-events), rendered. */
static Site *
hard_site(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "hard-events", NULL);

	return site_render(dir);
}

static GBytes *
find_file(Site *s, const char *path)
{
	for (guint i = 0; i < s->files->len; i++) {
		EvfFile *f = g_ptr_array_index(s->files, i);

		if (strcmp(f->path, path) == 0)
			return f->bytes;
	}
	return NULL;
}

/* (transfer full): the file of @path as a string; it must exist. */
static char *
file_text(Site *s, const char *path)
{
	GBytes *b = find_file(s, path);

	g_assert_nonnull(b);
	return g_strndup(g_bytes_get_data(b, NULL), g_bytes_get_size(b));
}

/* A site in @zone with @feeds (lines of [feeds], nullable) of the events
 * in @files (name, text, …, NULL), rendered from a folder that is removed
 * at once; they give @warnings warnings. */
static Site *
site_of_warned(const char *zone, const char *feeds, const char *const *files,
               guint warnings)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-site-XXXXXX", NULL);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	Site *s;

	for (guint i = 0; files[i] != NULL; i += 2) {
		g_autofree char *path = g_build_filename(dir, files[i], NULL);

		g_assert_true(
		    g_file_set_contents(path, files[i + 1], -1, NULL));
	}
	s = site_render_in(dir, zone, NULL, feeds, warnings);
	g_assert_cmpint(system(cmd), ==, 0);
	return s;
}

static Site *
site_of_with(const char *zone, const char *feeds, const char *const *files)
{
	return site_of_warned(zone, feeds, files, 0);
}

static Site *
site_of(const char *zone, const char *const *files)
{
	return site_of_with(zone, NULL, files);
}

/* How often @needle is in @haystack. */
static guint
count_of(const char *haystack, const char *needle)
{
	guint n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)) != NULL;
	     p += strlen(needle))
		n++;
	return n;
}

/* (transfer full) (nullable): the site's calendar.ics, parsed by libical. */
static icalcomponent *
site_calendar(Site *s)
{
	GBytes *cal = find_file(s, "calendar.ics");
	g_autofree char *text = NULL;

	g_assert_nonnull(cal);
	text = g_strndup(g_bytes_get_data(cal, NULL), g_bytes_get_size(cal));
	return icalparser_parse_string(text);
}

static void
check_golden(Site *s, const char *set, const char *path)
{
	GBytes *bytes = find_file(s, path);
	g_autofree char *golden =
	    g_test_build_filename(G_TEST_DIST, "golden", set, path, NULL);
	g_autofree char *expected = NULL;
	gsize len = 0;

	g_assert_nonnull(bytes);
	if (g_getenv("EVF_UPDATE_GOLDEN") != NULL) {
		g_autofree char *dir = g_path_get_dirname(golden);

		g_mkdir_with_parents(dir, 0755);
		g_assert_true(
		    g_file_set_contents(golden, g_bytes_get_data(bytes, NULL),
		                        (gssize)g_bytes_get_size(bytes), NULL));
		return;
	}
	g_assert_true(g_file_get_contents(golden, &expected, &len, NULL));
	if (len != g_bytes_get_size(bytes) ||
	    memcmp(expected, g_bytes_get_data(bytes, NULL), len) != 0) {
		g_test_message("%s differs from %s", path, golden);
		g_test_fail();
	}
}

static void
test_golden(void)
{
	g_autoptr(Site) s = hard_site();

	check_golden(s, "hard", "calendar.ics");
	check_golden(s, "hard", "rss.xml");
	check_golden(s, "hard", "atom.xml");
	check_golden(s, "hard", "calendar.json");
	check_golden(s, "hard", "feed.json");
}

/* The scopes' threads share the events: their dates must be read-only
 * by then. A GDate set in one form (day-month-year, or a Julian day) works
 * out the other on its first read and stores it, and two threads doing
 * that at once abort the process under G_DEBUG=fatal-criticals; the
 * render works out both before it starts the threads. */
static void
test_dates_settled(void)
{
	g_autoptr(EvfEvent) ev = evf_event_new();

	ev->all_day = TRUE;
	g_date_set_dmy(&ev->start_date, 22, G_DATE_MAY, 2018);
	g_date_set_julian(&ev->end_date,
	                  g_date_get_julian(&ev->start_date) + 2);
	g_date_set_dmy(&ev->start_date, 22, G_DATE_MAY, 2018);
	g_assert_false(ev->start_date.julian);
	g_assert_false(ev->end_date.dmy);
	evf_event_settle_dates(ev);
	g_assert_true(ev->start_date.julian && ev->start_date.dmy);
	g_assert_true(ev->end_date.julian && ev->end_date.dmy);
	g_assert_cmpuint(g_date_get_day(&ev->end_date), ==, 24);
}

static void
test_golden_sample(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s = site_render(dir);

	check_golden(s, "sample", "calendar.ics");
	check_golden(s, "sample", "rss.xml");
	check_golden(s, "sample", "atom.xml");
	check_golden(s, "sample", "calendar.json");
	check_golden(s, "sample", "feed.json");
	check_golden(s, "sample",
	             "events/2018-09-25-criminal-justice-security-"
	             "conference.ics");
}

/* Lines of raw iCalendar: CRLF everywhere, ≤ 75 octets, no continuation
 * that starts inside a UTF-8 sequence, nor inside an escape (`\` CRLF
 * SPACE `n`: Google Calendar leaves such an event out). */
static void
check_lines(const char *path, GBytes *bytes)
{
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	const char *p = data, *end = data + len;
	gsize run = 0; /* the backslashes that the line so far ends in */

	g_assert_true(len >= 2 && data[len - 2] == '\r' &&
	              data[len - 1] == '\n');
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		gsize n;

		g_assert_nonnull(nl);
		g_assert_true(nl > p && nl[-1] == '\r');
		n = (gsize)(nl - 1 - p);
		if (n > 75)
			g_error("%s: line of %" G_GSIZE_FORMAT " octets", path,
			        n);
		if (*p == ' ' && n > 1)
			g_assert_false(((guchar)p[1] & 0xc0) == 0x80);
		if (*p == ' ' && run % 2 == 1)
			g_error("%s: a fold inside an escape: '%.*s'", path,
			        (int)n, p);
		if (*p != ' ')
			run = 0;
		for (gsize i = *p == ' '; i < n; i++)
			run = p[i] == '\\' ? run + 1 : 0;
		p = nl + 1;
	}
}

/* (transfer full) (nullable): @f parsed by libical, when it is a calendar,
 * whose lines check_lines has checked. */
static icalcomponent *
checked_calendar(const EvfFile *f)
{
	g_autofree char *text = NULL;
	icalcomponent *cal;

	if (!g_str_has_suffix(f->path, ".ics"))
		return NULL;
	check_lines(f->path, f->bytes);
	text = g_strndup(g_bytes_get_data(f->bytes, NULL),
	                 g_bytes_get_size(f->bytes));
	g_assert_null(strstr(text, "freeassociation"));
	cal = icalparser_parse_string(text);
	g_assert_nonnull(cal);
	return cal;
}

/* The daemon keeps an unchanged file's event, and with it what the writers
 * made from it, from one build to the next: kept while the event's state
 * is the same, made again when it is not (here the state said SEQUENCE 7),
 * and the bytes are those of a fresh build either way. */
static void
test_renders_kept_for_same_state(void)
{
	g_autoptr(Site) s = hard_site();
	g_autoptr(GPtrArray) again = NULL;
	g_autoptr(GPtrArray) changed = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *line = NULL;
	EvfEvent *ev = NULL;
	const char *vevent;

	for (guint i = 0; i < s->events->len && ev == NULL; i++) {
		EvfEvent *e = g_ptr_array_index(s->events, i);

		if (!e->tba && e->sequence != 7)
			ev = e;
	}
	g_assert_nonnull(ev);
	vevent = ev->vevent;
	g_assert_nonnull(vevent);

	again = evf_render_site(s->cfg, s->events, NULL, NULL, NULL, NULL,
	                        s->updated, 0, s->updated, NULL, NULL, NULL,
	                        &error);
	g_assert_no_error(error);
	g_assert_true(ev->vevent == vevent);
	for (guint i = 0; i < s->files->len; i++) {
		EvfFile *a = g_ptr_array_index(s->files, i);
		EvfFile *b = g_ptr_array_index(again, i);

		g_assert_cmpstr(a->path, ==, b->path);
		g_assert_true(g_bytes_equal(a->bytes, b->bytes));
	}

	ev->sequence = 7;
	changed = evf_render_site(s->cfg, s->events, NULL, NULL, NULL, NULL,
	                          s->updated, 0, s->updated, NULL, NULL, NULL,
	                          &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(ev->vevent, "\r\nSEQUENCE:7\r\n"));
	g_assert_nonnull(strstr(ev->jcal, "[\"sequence\",{},\"integer\",7]"));
	line = g_strdup_printf("UID:%s\r\n", ev->uid);
	for (guint i = 0; i < changed->len; i++) {
		EvfFile *f = g_ptr_array_index(changed, i);
		g_autofree char *text = NULL;
		const char *at;

		if (strcmp(f->path, "calendar.ics") != 0)
			continue;
		text = g_strndup(g_bytes_get_data(f->bytes, NULL),
		                 g_bytes_get_size(f->bytes));
		at = strstr(text, line);
		g_assert_nonnull(at);
		g_assert_true(strstr(at, "\r\nSEQUENCE:7\r\n") <
		              strstr(at, "END:VEVENT"));
	}
}

static void
test_ics_properties(void)
{
	g_autoptr(Site) s = hard_site();
	guint tba = 0, calendars = 0, category_urls = 0;

	for (guint i = 0; i < s->events->len; i++)
		tba += ((EvfEvent *)g_ptr_array_index(s->events, i))->tba;
	g_assert_cmpuint(tba, >, 0);

	for (guint i = 0; i < s->files->len; i++) {
		EvfFile *f = g_ptr_array_index(s->files, i);
		icalcomponent *cal = checked_calendar(f), *c;
		g_autofree char *text = NULL;
		guint n = 0;

		if (cal == NULL)
			continue;
		calendars++;
		text = g_strndup(g_bytes_get_data(f->bytes, NULL),
		                 g_bytes_get_size(f->bytes));
		/* Every TZID= has its VTIMEZONE. */
		for (c = icalcomponent_get_first_component(
		         cal, ICAL_VEVENT_COMPONENT);
		     c != NULL; c = icalcomponent_get_next_component(
		                    cal, ICAL_VEVENT_COMPONENT)) {
			icalproperty *p = icalcomponent_get_first_property(
			    c, ICAL_DTSTART_PROPERTY);
			icalparameter *tz = icalproperty_get_first_parameter(
			    p, ICAL_TZID_PARAMETER);

			n++;
			if (tz != NULL)
				g_assert_nonnull(icalcomponent_get_timezone(
				    cal, icalparameter_get_tzid(tz)));
		}
		if (g_str_has_prefix(f->path, "events/")) {
			g_assert_cmpuint(n, ==, 1);
			g_assert_null(strstr(text, "X-WR-CALNAME"));
			g_assert_null(strstr(text, "\r\nNAME:"));
		} else {
			g_assert_nonnull(strstr(text, "X-WR-CALNAME:"));
			g_assert_nonnull(strstr(
			    text, "REFRESH-INTERVAL;VALUE=DURATION:PT1H"));
			g_assert_nonnull(strstr(text, "X-PUBLISHED-TTL:PT1H"));
			/* URL: the page of this calendar's own events (a
			 * category's is its folder's index.html, the name the
			 * page gives itself), as the feeds link */
			{
				const char *slash = strrchr(f->path, '/');
				int dir = slash != NULL
				              ? (int)(slash - f->path + 1)
				              : 0;
				g_autofree char *home = g_strdup_printf(
				    "https://events.example.org/%.*s%s", dir,
				    f->path, dir > 0 ? "index.html" : "");
				icalproperty *url =
				    icalcomponent_get_first_property(
				        cal, ICAL_URL_PROPERTY);

				g_assert_nonnull(url);
				g_assert_cmpstr(icalproperty_get_url(url), ==,
				                home);
				if (dir > 0)
					category_urls++;
			}
			/* Never empty of components. */
			g_assert_nonnull(icalcomponent_get_first_component(
			    cal, ICAL_ANY_COMPONENT));
		}
		icalcomponent_free(cal);
	}
	g_assert_cmpuint(calendars, >, 3);
	g_assert_cmpuint(category_urls, >, 0);
	/* tba events are in the feeds only. */
	{
		GBytes *cal = find_file(s, "calendar.ics");
		GBytes *rss = find_file(s, "rss.xml");
		guint in_cal = 0;
		g_autofree char *text = g_strndup(g_bytes_get_data(cal, NULL),
		                                  g_bytes_get_size(cal));
		g_autofree char *feed = g_strndup(g_bytes_get_data(rss, NULL),
		                                  g_bytes_get_size(rss));

		for (const char *p = text;
		     (p = strstr(p, "\r\nBEGIN:VEVENT\r\n")); p++)
			in_cal++;
		g_assert_cmpuint(in_cal + tba, ==, s->events->len);
		g_assert_nonnull(strstr(feed, "Date to be announced"));
	}
}

/* The calendar @path of the hard-events site, parsed by libical. */
static icalcomponent *
parse_hard(const char *path)
{
	g_autoptr(Site) s = hard_site();
	GBytes *cal = find_file(s, path);
	g_autofree char *text = NULL;
	icalcomponent *ical;

	g_assert_nonnull(cal);
	text = g_strndup(g_bytes_get_data(cal, NULL), g_bytes_get_size(cal));
	ical = icalparser_parse_string(text);
	g_assert_nonnull(ical);
	return ical;
}

/* With organizer_email, the first of a list of organisers is the
 * ORGANIZER and each other one a CONTACT: none of them is lost. */
static void
test_organizers(void)
{
	icalcomponent *ical = parse_hard("events/all-optional-keys.ics");
	icalcomponent *ve;
	icalproperty *p;
	icalparameter *cn;
	guint contacts = 0;

	ve = icalcomponent_get_first_component(ical, ICAL_VEVENT_COMPONENT);
	g_assert_nonnull(ve);
	p = icalcomponent_get_first_property(ve, ICAL_ORGANIZER_PROPERTY);
	g_assert_nonnull(p);
	g_assert_cmpstr(icalproperty_get_organizer(p), ==,
	                "mailto:events@example.org");
	cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
	g_assert_nonnull(cn);
	g_assert_cmpstr(icalparameter_get_cn(cn), ==,
	                "Security Sector Reform Network");
	for (p = icalcomponent_get_first_property(ve, ICAL_CONTACT_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_CONTACT_PROPERTY)) {
		g_assert_cmpstr(icalproperty_get_contact(p), ==,
		                "Ministry of Defence of Slovenia");
		contacts++;
	}
	g_assert_cmpuint(contacts, ==, 1);
	icalcomponent_free(ical);
}

/* Several organisers on one line are set apart by a middle dot under a
 * plural label: a name may hold a comma or a semicolon, and "; " between
 * them read as more organisers than there are, in feed readers and to a
 * program reading ev:organizer. The page gives each its element. */
static void
test_organizers_on_one_line(void)
{
	g_autoptr(Site) s = hard_site();
	g_autofree char *rss = file_text(s, "rss.xml");
	g_autofree char *atom = file_text(s, "atom.xml");
	g_autofree char *json = file_text(s, "feed.json");
	/* (the events of 2018 are past: on the archive page) */
	g_autofree char *page = file_text(s, "archive.html");
	static const char element[] =
	    "<ev:organizer>Centre for Security Studies; Sarajevo, "
	    "&quot;CSS&quot; \xc2\xb7 O'Neill \\ Partners, Ltd."
	    "</ev:organizer>";
	static const char html[] =
	    "&lt;strong&gt;Organisers:&lt;/strong&gt; Centre for Security "
	    "Studies; Sarajevo, &amp;quot;CSS&amp;quot; \xc2\xb7 "
	    "O&amp;apos;Neill \\ Partners, Ltd.&lt;br&gt;";

	g_assert_nonnull(strstr(rss, element));
	g_assert_nonnull(strstr(atom, element));
	g_assert_nonnull(strstr(rss, html));
	g_assert_nonnull(strstr(atom, html));
	g_assert_nonnull(strstr(json, "Organisers: Centre for Security "
	                              "Studies; Sarajevo, \\\"CSS\\\" \xc2\xb7 "
	                              "O'Neill \\\\ Partners, Ltd.\\n"));
	g_assert_nonnull(strstr(page, "<dt>Organisers</dt><dd><span class=\""
	                              "p-organizer\" dir=\"auto\">Centre for "
	                              "Security Studies; Sarajevo, &quot;CSS"
	                              "&quot;</span> \xc2\xb7 <span class=\""
	                              "p-organizer\" dir=\"auto\">O'Neill \\ "
	                              "Partners, Ltd.</span></dd>"));
	/* one organiser: the singular */
	g_assert_nonnull(strstr(rss, "&lt;strong&gt;Organiser:&lt;/strong&gt; "
	                             "Online Radicalisation Research Group"));
}

/* An organiser's address as a mailto: URI (RFC 6068): '?' would start
 * mail headers ("bob" with a subject), so it and other characters with a
 * meaning there are percent-encoded, and so are non-ASCII letters; a
 * non-ASCII domain is written in its IDNA form. */
static void
test_ics_value_forms(void)
{
	static const char *const cases[][2] = {
		{ "bob?subject=hi@example.org",
		  "mailto:bob%3Fsubject%3Dhi@example.org" },
		{ "\u00e5sa@ex\u00e4mple.org",
		  "mailto:%C3%A5sa@xn--exmple-cua.org" },
		{ "o'neil+events@example.org",
		  "mailto:o'neil+events@example.org" },
		/* ('&' parts mail headers in a mailto: URI; a ',' is not
		 * in an address unquoted, and refused) */
		{ "a&b@example.org", "mailto:a%26b@example.org" },
	};
	g_autofree char *dir = g_dir_make_tmp("evfeed-mailto-XXXXXX", NULL);
	g_autofree char *cmd = NULL;
	g_autoptr(Site) s = NULL;
	icalcomponent *ical;
	guint found = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *name = g_strdup_printf("e%zu.md", i);
		g_autofree char *file = g_build_filename(dir, name, NULL);
		g_autofree char *text =
		    g_strdup_printf("---\n"
		                    "title: Meeting %zu\n"
		                    "start: 2026-07-01\n"
		                    "organizer: Secretariat\n"
		                    "organizer_email: \"%s\"\n"
		                    "geo: \"-0.0000001, -179.9999999\"\n"
		                    "---\n",
		                    i, cases[i][0]);

		g_assert_true(g_file_set_contents(file, text, -1, NULL));
	}
	s = site_render(dir);
	ical = site_calendar(s);
	g_assert_nonnull(ical);
	for (icalcomponent *ve =
	         icalcomponent_get_first_component(ical, ICAL_VEVENT_COMPONENT);
	     ve != NULL; ve = icalcomponent_get_next_component(
	                     ical, ICAL_VEVENT_COMPONENT)) {
		const char *summary = icalcomponent_get_summary(ve);
		icalproperty *p = icalcomponent_get_first_property(
		    ve, ICAL_ORGANIZER_PROPERTY);
		guint i = (guint)g_ascii_strtoull(summary + strlen("Meeting "),
		                                  NULL, 10);

		g_assert_nonnull(p);
		g_assert_cmpuint(i, <, G_N_ELEMENTS(cases));
		g_assert_cmpstr(icalproperty_get_organizer(p), ==, cases[i][1]);
		p = icalcomponent_get_first_property(ve, ICAL_GEO_PROPERTY);
		g_assert_nonnull(p);
		g_assert_cmpstr(icalproperty_get_value_as_string(p), ==,
		                "0.000000;-180.000000");
		found++;
	}
	g_assert_cmpuint(found, ==, G_N_ELEMENTS(cases));
	icalcomponent_free(ical);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_category_with_comma(void)
{
	icalcomponent *ical = parse_hard("calendar.ics");
	gboolean found = FALSE;

	for (icalcomponent *c =
	         icalcomponent_get_first_component(ical, ICAL_VEVENT_COMPONENT);
	     c != NULL;
	     c = icalcomponent_get_next_component(ical, ICAL_VEVENT_COMPONENT))
		for (icalproperty *p = icalcomponent_get_first_property(
		         c, ICAL_CATEGORIES_PROPERTY);
		     p != NULL; p = icalcomponent_get_next_property(
		                    c, ICAL_CATEGORIES_PROPERTY))
			found |= strcmp(icalproperty_get_categories(p),
			                "arms control, disarmament") == 0;
	icalcomponent_free(ical);
	g_assert_true(found);
}

/* A category is written once, however often it is named: a partner's
 * title that its configuration also adds as a category, a source that also
 * lists the event and is one of its categories in another case. */
static void
test_category_once(void)
{
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) ev = NULL;
	g_autoptr(icalcomponent) ve = NULL;
	const char *vevent;
	guint pa = 0, osce = 0;

	for (guint i = 0; i < s->events->len && ev == NULL; i++) {
		EvfEvent *e = g_ptr_array_index(s->events, i);

		if (!e->tba && e->source == NULL)
			ev = evf_event_copy(e);
	}
	g_assert_nonnull(ev);
	ev->source = g_strdup("pa");
	ev->source_title = g_strdup("PA");
	ev->source_url = g_strdup("https://pa.example/cal.ics");
	g_ptr_array_add(ev->categories, g_strdup("PA"));
	g_ptr_array_add(ev->categories, g_strdup("OSCE"));
	g_ptr_array_add(ev->also_listed, g_strdup("osce"));
	/* one that ends in a backslash: a property of its own, last, as
	 * ical.js reads the comma after "\\" as escaped */
	g_ptr_array_insert(ev->categories, 0, g_strdup("back\\"));
	vevent = evf_ics_vevent(s->cfg, ev);
	g_assert_nonnull(vevent);
	/* (one CATEGORIES property for the others; libical reads each
	 * category as a property) */
	g_assert_cmpuint(count_of(vevent, "\r\nCATEGORIES:"), ==, 2);
	g_assert_nonnull(strstr(vevent, "\r\nCATEGORIES:back\\\\\r\n"));
	g_assert_null(strstr(vevent, "\\\\,"));
	ve = icalparser_parse_string(vevent);
	g_assert_nonnull(ve);
	for (icalproperty *p =
	         icalcomponent_get_first_property(ve, ICAL_CATEGORIES_PROPERTY);
	     p != NULL; p = icalcomponent_get_next_property(
	                    ve, ICAL_CATEGORIES_PROPERTY)) {
		pa += strcmp(icalproperty_get_categories(p), "PA") == 0;
		osce += g_ascii_strcasecmp(icalproperty_get_categories(p),
		                           "OSCE") == 0;
	}
	g_assert_cmpuint(pa, ==, 1);
	g_assert_cmpuint(osce, ==, 1);
}

/* A partner's event: the attribution in DESCRIPTION and in X-ALT-DESC
 * (which Outlook shows instead), both naming the source's link, not the
 * item's own page (that is its URL). */
static void
test_attribution_everywhere(void)
{
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) ev = NULL;
	g_autoptr(icalcomponent) ve = NULL;
	icalproperty *p;
	const char *desc = NULL;
	const char *alt = NULL;

	for (guint i = 0; i < s->events->len && ev == NULL; i++) {
		EvfEvent *e = g_ptr_array_index(s->events, i);

		if (!e->tba && e->source == NULL && e->rrule == NULL &&
		    e->description_html != NULL)
			ev = evf_event_copy(e);
	}
	g_assert_nonnull(ev);
	ev->source = g_strdup("pa");
	ev->source_title = g_strdup("PA");
	ev->source_url = g_strdup("https://pa.example/events");
	g_free(ev->url);
	ev->url = g_strdup("https://pa.example/events/42");
	g_ptr_array_add(ev->also_listed, g_strdup("osce"));
	ve = icalcomponent_new_from_string(evf_ics_vevent(s->cfg, ev));
	g_assert_nonnull(ve);
	desc = icalcomponent_get_description(ve);
	for (p = icalcomponent_get_first_property(ve, ICAL_X_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), "X-ALT-DESC") == 0)
			alt = icalproperty_get_x(p);
	g_assert_nonnull(desc);
	g_assert_nonnull(alt);
	g_test_message("%s\n%s", desc, alt);
	/* (no [source osce] in this site: its name as it is) */
	g_assert_true(g_str_has_suffix(
	    desc, "Source: PA <https://pa.example/events>\nAlso listed by: "
	          "osce"));
	g_assert_nonnull(strstr(alt, "<p><strong>Source:</strong> <a "
	                             "href=\"https://pa.example/events\">PA</a>"
	                             "<br><strong>Also listed by:</strong> "
	                             "osce</p></body></html>"));
}

/* (transfer full): a copy of the first dated local event of @s. */
static EvfEvent *
local_event_copy(const Site *s)
{
	for (guint i = 0; i < s->events->len; i++) {
		EvfEvent *e = g_ptr_array_index(s->events, i);

		if (!e->tba && e->source == NULL)
			return evf_event_copy(e);
	}
	return NULL;
}

/* A description that shows no text (a rule alone, "---"): no DESCRIPTION,
 * and no X-ALT-DESC either, which Outlook showed as an empty body; one of
 * an image alone keeps its X-ALT-DESC, which shows it. */
static void
test_no_alt_desc_without_text(void)
{
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) ev = local_event_copy(s);
	g_autoptr(icalcomponent) ve = NULL;

	g_assert_nonnull(ev);
	g_free(ev->description_html);
	ev->description_html = g_strdup("<hr>");
	g_free(ev->description_text);
	ev->description_text = g_strdup("");
	evf_event_clear_renders(ev);
	ve = icalcomponent_new_from_string(evf_ics_vevent(s->cfg, ev));
	g_assert_nonnull(ve);
	g_assert_null(
	    icalcomponent_get_first_property(ve, ICAL_DESCRIPTION_PROPERTY));
	for (icalproperty *p =
	         icalcomponent_get_first_property(ve, ICAL_X_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY))
		g_assert_cmpstr(icalproperty_get_x_name(p), !=, "X-ALT-DESC");

	/* but a poster of no words is shown */
	g_clear_pointer(&ve, icalcomponent_free);
	g_free(ev->description_html);
	ev->description_html =
	    g_strdup("<p><img src=\"https://example.org/poster.png\" "
	             "alt=\"\"></p>");
	evf_event_clear_renders(ev);
	ve = icalcomponent_new_from_string(evf_ics_vevent(s->cfg, ev));
	g_assert_nonnull(ve);
	{
		gboolean alt = FALSE;

		for (icalproperty *p =
		         icalcomponent_get_first_property(ve, ICAL_X_PROPERTY);
		     p != NULL;
		     p = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY))
			alt |=
			    strcmp(icalproperty_get_x_name(p), "X-ALT-DESC") ==
			        0 &&
			    strstr(icalproperty_get_x(p), "poster.png") != NULL;
		g_assert_true(alt);
	}
}

/* (transfer full): the feed @path of @s ("rss.xml" or "atom.xml", by its
 * writer), with @ev alone in it (nullable: no entry), as text. */
static char *
feed_text(const Site *s, const char *path, EvfEvent *ev)
{
	g_autoptr(EvfView) v = g_new0(EvfView, 1);
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GError) error = NULL;

	v->config = s->cfg;
	v->path = g_strdup(path);
	v->self_url = evf_config_url(s->cfg, path);
	v->title = g_strdup(s->cfg->title);
	v->updated = s->updated;
	v->events = g_ptr_array_new();
	if (ev != NULL)
		g_ptr_array_add(v->events, ev);
	out = g_str_has_prefix(path, "rss") ? evf_write_rss(v, &error)
	                                    : evf_write_atom(v, &error);
	g_assert_no_error(error);
	return g_strndup(g_bytes_get_data(out, NULL), g_bytes_get_size(out));
}

/* DESCRIPTION is the plain text as it is: the indentation of its first
 * line is a list item's or a code block's ("  - one\n  - two": without
 * it, the second item read as one level deeper); with an attribution
 * after it, or alone. */
static void
test_description_first_indent(void)
{
	/* the text, the source's title, DESCRIPTION's value as written
	 * (libical's own parser drops a value's first spaces; ical.js and
	 * python-icalendar keep them) */
	static const char *const cases[][3] = {
		{ "  - one\n  - two", NULL, "  - one\\n  - two\r\n" },
		{ "    key: 1\n    b: 2", NULL, "    key: 1\\n    b: 2\r\n" },
		{ "  - one\n  - two", "PA",
		  "  - one\\n  - two\\n\\nSource: PA <https://pa.example/>" },
		{ "", "PA", "Source: PA" },
		{ NULL, "PA", "Source: PA" },
		{ "", NULL, NULL },
	};
	g_autoptr(Site) s = hard_site();

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(EvfEvent) ev = local_event_copy(s);
		const char *text, *desc;

		g_assert_nonnull(ev);
		g_free(ev->description_text);
		ev->description_text = g_strdup(cases[i][0]);
		if (cases[i][1] != NULL) {
			ev->source = g_strdup("pa");
			ev->source_title = g_strdup(cases[i][1]);
			ev->source_url = g_strdup("https://pa.example/");
		}
		text = evf_ics_vevent(s->cfg, ev);
		g_test_message("%s", text);
		desc = strstr(text, "\r\nDESCRIPTION:");
		if (cases[i][2] == NULL) {
			g_assert_null(desc);
			continue;
		}
		g_assert_nonnull(desc);
		g_assert_true(g_str_has_prefix(
		    desc + strlen("\r\nDESCRIPTION:"), cases[i][2]));
	}
}

/* An entry's tag: id is in the form the W3C Feed Validation Service takes
 * as canonical (NonCanonicalURI), and one identity's alone: what the id
 * does not allow is encoded once; an identity with a '%' (a partner's
 * guid "https://x.rs/%D0%B2…", which came out "%25D0%25B2", decoded twice
 * by the validator) is named by a digest, so that neither "a%20b" and
 * "a b" nor "x%00" and "x" share one. */
static void
test_tag_id_canonical(void)
{
	static const char *const cases[] = {
		"a<b>c \"q\"",
		"a%3Cb%3Ec%20%22q%22",
		"semi;colon,comma:at@x/y?z",
		"semi;colon,comma:at@x/y?z",
		"h#i",
		"h%23i",
		"\xd0\xb2@x",
		"%D0%B2@x",
		"p~q_.-",
		"p~q_.-",
	};
	static const char *const percent[] = {
		"https://mup.example.rs/%D0%B2%D0%B5sti/konferencija",
		"https://mup.example.rs/%d0%b2%d0%b5sti/konferencija",
		"a%20b@x.org",
		"ws-2027%00-b",
		"50%off",
		"p%41q",
		/* not in NFC, which the validator composes */
		"cafe\xcc\x81@x.org",
	};
	const char *const plain[] = { "a b@x.org", "ws-2027", "pAq",
		                      "caf\xc3\xa9@x.org" };
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) ev = local_event_copy(s);
	g_autoptr(GHashTable) ids =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *prefix = "tag:events.example.org,2018:event:";

	g_assert_nonnull(ev);
	for (guint k = 0; k < G_N_ELEMENTS(cases); k += 2) {
		g_autofree char *id = NULL;
		g_autofree char *want = g_strconcat(prefix, cases[k + 1], NULL);

		g_free(ev->uid);
		ev->uid = g_strdup(cases[k]);
		id = evf_render_tag_id(s->cfg, ev);
		g_assert_cmpstr(id, ==, want);
	}
	for (guint k = 0; k < G_N_ELEMENTS(percent) + G_N_ELEMENTS(plain);
	     k++) {
		gboolean digest = k < G_N_ELEMENTS(percent);
		char *id;

		g_free(ev->uid);
		ev->uid = g_strdup(digest ? percent[k]
		                          : plain[k - G_N_ELEMENTS(percent)]);
		id = evf_render_tag_id(s->cfg, ev);
		g_assert_true(g_str_has_prefix(id, prefix));
		/* "%25uuid:" and a UUID: read as written by the validator,
		 * which decodes "%25" and then what follows it */
		if (digest) {
			g_assert_true(
			    g_str_has_prefix(id + strlen(prefix), "%25uuid:"));
			g_assert_cmpuint(strlen(id), ==,
			                 strlen(prefix) + 8 + 36);
		} else {
			g_assert_null(strstr(id, "%25"));
		}
		/* one identity's alone */
		g_assert_true(g_hash_table_add(ids, id));
	}
}

/* A partner's entry in the Atom feed names its source with the id, title
 * and updated that RFC 4287 §4.2.11 says it SHOULD carry: the W3C Feed
 * Validation Service warns (MissingSourceElement) of each one missing. The
 * id, the source's link, is in the normal form the validator asks of an id
 * (NonCanonicalURI): lower-case host, no default port. */
static void
test_atom_source_complete(void)
{
	static const char *const cases[] = {
		"https://pa.example/feed.xml",
		"<id>https://pa.example/feed.xml</id>",
		"HTTPS://PA.Example:443/Feed.xml?a=%7e",
		"<id>https://pa.example/Feed.xml?a=~</id>",
		"http://Pa.Example:8080",
		"<id>http://pa.example:8080/</id>",
	};
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) ev = local_event_copy(s);

	g_assert_nonnull(ev);
	ev->source = g_strdup("pa");
	ev->source_title = g_strdup("PA");
	for (guint k = 0; k < G_N_ELEMENTS(cases); k += 2) {
		g_autofree char *text = NULL;
		g_autofree char *want = NULL;
		g_autofree char *updated = NULL;
		const char *src, *end;

		g_free(ev->source_url);
		ev->source_url = g_strdup(cases[k]);
		text = feed_text(s, "atom.xml", ev);
		src = strstr(text, "<source>");
		g_assert_nonnull(src);
		end = strstr(src, "</source>");
		g_assert_nonnull(end);
		text[end - text] = '\0';
		if (strstr(src, cases[k + 1]) == NULL)
			g_error("%s: the source is %s", cases[k], src);
		g_assert_nonnull(strstr(src, "<title>PA</title>"));
		/* the entry's own updated: the latest change copied from
		 * there */
		updated = evf_xml_rfc3339(ev->modified);
		want = g_strdup_printf("<updated>%s</updated>", updated);
		g_assert_nonnull(strstr(src, want));
	}
}

/* A partner's entry names where it was copied from: in Atom, its source's
 * self link is the partner's feed itself (RFC 4287 §4.2.7.2), typed by the
 * source's format when known (not for a calendar, which the W3C validator
 * would call SelfNotAtom), and the source's link, for people (link=, the
 * partner's home page), is its alternate; in RSS, the url of <source> is
 * the feed's (RSS 2.0: "the XMLization of the source"). The feed's address
 * is published without its user name, password and fragment, and not at
 * all when it has a query (where keys go) or when link= is set (which
 * evfeed.conf(5) offers to keep a secret address private): then the
 * source's link alone is published, as before. */
static void
test_source_feed_links(void)
{
	static const struct {
		const char *name;
		const char *atom; /* the <link>s of the Atom <source> */
		const char *rss;  /* the RSS <source> */
	} cases[] = {
		{ "pa",
		  "<link rel=\"self\" type=\"application/rss+xml\" "
		  "href=\"https://pa.example/feed.xml\"/>\n    </source>",
		  "<source url=\"https://pa.example/feed.xml\">PA</source>" },
		{ "pb",
		  "</updated>\n      <link rel=\"alternate\" "
		  "href=\"https://pb.example/\"/>\n    </source>",
		  "<source url=\"https://pb.example/\">PB</source>" },
		{ "pc",
		  "</updated>\n      <link rel=\"alternate\" "
		  "href=\"https://pc.example/cal.ics\"/>\n    </source>",
		  "<source url=\"https://pc.example/cal.ics\">PC</source>" },
		{ "pd",
		  "<link rel=\"self\" href=\"https://pd.example/cal.ics\"/>\n"
		  "    </source>",
		  "<source url=\"https://pd.example/cal.ics\">PD</source>" },
	};
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "hard-events", NULL);
	g_autoptr(Site) s = site_render_with(
	    dir, "[source pa]\n"
	         "title=PA\n"
	         "url=https://user:s3cret@pa.example/feed.xml#top\n"
	         "format=rss\n"
	         "[source pb]\n"
	         "title=PB\n"
	         "url=https://pb.example/private-KEY/feed.atom\n"
	         "link=https://pb.example/\n"
	         "format=atom\n"
	         "[source pc]\n"
	         "title=PC\n"
	         "url=https://pc.example/cal.ics?token=KEY\n"
	         "[source pd]\n"
	         "title=PD\n"
	         "url=https://pd.example/cal.ics\n"
	         "format=ics\n");
	g_autoptr(EvfEvent) ev = local_event_copy(s);

	g_assert_nonnull(ev);
	for (guint k = 0; k < G_N_ELEMENTS(cases); k++) {
		const EvfSourceConfig *src =
		    evf_config_source(s->cfg, cases[k].name);
		g_autofree char *atom = NULL;
		g_autofree char *rss = NULL;
		const char *from;

		g_assert_nonnull(src);
		/* as merge.c labels a partner's item */
		g_free(ev->source);
		ev->source = g_strdup(src->name);
		g_free(ev->source_title);
		ev->source_title = g_strdup(src->title);
		g_free(ev->source_url);
		ev->source_url = g_strdup(src->link);
		atom = feed_text(s, "atom.xml", ev);
		rss = feed_text(s, "rss.xml", ev);
		from = strstr(atom, "<source>");
		g_assert_nonnull(from);
		if (strstr(from, cases[k].atom) == NULL)
			g_error("%s: the Atom source is %.400s", cases[k].name,
			        from);
		/* one self link in it at most, and one alternate */
		{
			g_autofree char *one =
			    g_strndup(from, strstr(from, "</source>") - from);
			g_auto(GStrv) selfs = g_strsplit(one, "\"self\"", -1);
			g_auto(GStrv) alts =
			    g_strsplit(one, "\"alternate\"", -1);

			g_assert_cmpuint(g_strv_length(selfs), <=, 2);
			g_assert_cmpuint(g_strv_length(alts), <=, 2);
		}
		if (strstr(rss, cases[k].rss) == NULL)
			g_error("%s: the RSS is %s", cases[k].name, rss);
		g_assert_null(strstr(atom, "s3cret"));
		g_assert_null(strstr(rss, "s3cret"));
		g_assert_null(strstr(atom, "KEY"));
		g_assert_null(strstr(rss, "KEY"));
	}
}

/* An e-mail address in angle brackets in the site's title stays in the
 * Atom feed's title but not in its author's name, where the W3C Feed
 * Validation Service warns of it (ContainsEmail); a title that is nothing
 * but an address gives the address without its brackets. */
static void
test_atom_author_no_email(void)
{
	static const char *const cases[] = {
		"R&D Events <events@example.org> & Co",
		"<name>R&#x26;D Events &#x26; Co</name>",
		"<Events@Example.org>",
		"<name>Events@Example.org</name>",
		"A <a@b.example>, B <c.d+e@f.example>",
		"<name>A, B</name>",
		"Plain <title> & text",
		"<name>Plain &#x3C;title&gt; &#x26; text</name>",
	};
	g_autoptr(Site) s = hard_site();

	for (guint i = 0; i < G_N_ELEMENTS(cases); i += 2) {
		g_autofree char *text = NULL;
		const char *author;

		g_free(s->cfg->title);
		s->cfg->title = g_strdup(cases[i]);
		text = feed_text(s, "atom.xml", NULL);
		author = strstr(text, "<author>");
		g_assert_nonnull(author);
		if (!g_str_has_prefix(author + strlen("<author>\n    "),
		                      cases[i + 1]))
			g_error("%s: the author is %.60s", cases[i], author);
		g_assert_null(strstr(author, "@example.org&gt;"));
	}
}

/* Each Atom entry names its author, as feedparser, newsboat and sfeed
 * show none of the feed's: the site's, or the partner whose listing it is
 * (its title without an address, its link). */
static void
test_atom_entry_author(void)
{
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) local = local_event_copy(s);
	g_autoptr(EvfEvent) partner = local_event_copy(s);
	g_autofree char *site_author = NULL;
	g_autofree char *local_text = NULL;
	g_autofree char *partner_text = NULL;
	g_autofree char *feed_author = NULL;
	const char *entry;

	site_author = g_strdup_printf("<author>\n      <name>%s</name>\n"
	                              "      <uri>%s</uri>\n    </author>",
	                              s->cfg->title, s->cfg->url);
	local_text = feed_text(s, "atom.xml", local);
	entry = strstr(local_text, "<entry>");
	g_assert_nonnull(entry);
	g_assert_nonnull(strstr(entry, site_author));
	g_assert_cmpuint(count_of(entry, "<author>"), ==, 1);

	partner->source = g_strdup("pa");
	partner->source_title = g_strdup("PA <events@pa.example>");
	partner->source_url = g_strdup("https://pa.example/events");
	partner_text = feed_text(s, "atom.xml", partner);
	entry = strstr(partner_text, "<entry>");
	g_assert_nonnull(entry);
	g_assert_nonnull(strstr(entry, "<author>\n      <name>PA</name>\n"
	                               "      <uri>https://pa.example/events"
	                               "</uri>\n    </author>"));
	g_assert_cmpuint(count_of(entry, "<author>"), ==, 1);
	/* the feed's own stays the site's */
	feed_author =
	    g_strdup_printf("<author>\n    <name>%s</name>", s->cfg->title);
	g_assert_true(
	    g_str_has_prefix(strstr(partner_text, "<author>"), feed_author));
}

/* Text whose characters were lost to a wrong encoding, as a partner's
 * feed may bring it (U+FFFD, or bytes that are not UTF-8, which the
 * writers make U+FFFD), reaches the RSS and Atom feeds with "?" for each
 * lost character: feed readers and the W3C Feed Validation Service take
 * U+FFFD for text decoded wrongly (BadCharacters). */
static void
test_feeds_no_replacement_character(void)
{
	static const char *const paths[] = { "rss.xml", "atom.xml" };
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) ev = local_event_copy(s);

	g_assert_nonnull(ev);
	g_free(ev->title);
	ev->title = g_strdup("Caf\xef\xbf\xbd conference in Z\xfcrich");
	g_free(ev->location);
	ev->location = g_strdup("Caf\xef\xbf\xbd Central");
	g_ptr_array_add(ev->categories, g_strdup("caf\xef\xbf\xbd"));
	g_free(ev->description_html);
	ev->description_html = g_strdup("<p>Caf\xef\xbf\xbd</p>");
	for (guint k = 0; k < G_N_ELEMENTS(paths); k++) {
		g_autofree char *text = feed_text(s, paths[k], ev);

		g_assert_true(g_utf8_validate(text, -1, NULL));
		if (strstr(text, "\xef\xbf\xbd") != NULL)
			g_error("%s: U+FFFD at %.40s", paths[k],
			        strstr(text, "\xef\xbf\xbd"));
		g_assert_nonnull(strstr(text, "Caf? conference in Z?rich"));
		g_assert_nonnull(strstr(text, "Caf? Central"));
		g_assert_nonnull(strstr(text, "caf?"));
	}
}

/* The writers publish an event's text as the event has it, in the feeds
 * as in the calendar: text encoded twice ("CafÃ©") is mended where a
 * partner's text enters evfeed (the importers: /import-feed/items/mended,
 * /import-ics/fields-mended), not by the feed writers alone, which made
 * feed readers see "Café" and calendar subscribers "CafÃ©". An editor's
 * own text is theirs, and reads the same everywhere. */
static void
test_feeds_text_as_written(void)
{
	static const char *const paths[] = { "rss.xml", "atom.xml" };
	static const char *const title =
	    "Caf\xc3\x83\xc2\xa9 in Z\xc3\x83\xc2\xbcrich, S\xc3\x83O Paulo";
	g_autoptr(Site) s = hard_site();
	g_autoptr(EvfEvent) ev = local_event_copy(s);
	const char *vevent;

	g_assert_nonnull(ev);
	g_free(ev->title);
	ev->title = g_strdup(title);
	g_free(ev->location);
	ev->location = g_strdup("K\xc3\x83\xc2\xb6ln");
	g_ptr_array_add(ev->categories, g_strdup("M\xc3\x83\xc2\xbcnchen"));
	for (guint k = 0; k < G_N_ELEMENTS(paths); k++) {
		g_autofree char *text = feed_text(s, paths[k], ev);

		g_assert_nonnull(strstr(text, title));
		g_assert_nonnull(strstr(text, "K\xc3\x83\xc2\xb6ln"));
		g_assert_nonnull(strstr(text, "M\xc3\x83\xc2\xbcnchen"));
		g_assert_null(strstr(text, "Caf\xc3\xa9"));
	}
	vevent = evf_ics_vevent(s->cfg, ev);
	g_assert_nonnull(vevent);
	g_assert_nonnull(strstr(vevent, "\r\nSUMMARY:Caf\xc3\x83\xc2\xa9 in "
	                                "Z\xc3\x83\xc2\xbcrich\\, S\xc3\x83O "
	                                "Paulo\r\n"));
}

/* Asserts that each events/NAME.ics of @s holds its text: @want has @n
 * strings, each NAME followed by the text, which is looked for in the
 * unfolded lines. */
static void
assert_event_files_hold(Site *s, const char *const *want, gsize n)
{
	g_autoptr(GRegex) fold = g_regex_new("\r\n ", 0, 0, NULL);

	for (gsize i = 0; i + 1 < n; i += 2) {
		g_autofree char *path =
		    g_strdup_printf("events/%s.ics", want[i]);
		g_autofree char *text = file_text(s, path);
		g_autofree char *unfolded =
		    g_regex_replace_literal(fold, text, -1, 0, "", 0, NULL);

		if (strstr(unfolded, want[i + 1]) == NULL)
			g_error("%s: no %s in\n%s", path, want[i + 1], text);
	}
}

/* A fold never parts an escape's backslash from what it escapes (libical
 * folds there: `…\` CRLF SPACE `n…`), and the text unfolds to what it
 * was: titles with a ',' at each octet around the fold, and links before a
 * paragraph's end (`</a></p>\n<p>` in X-ALT-DESC), in each calendar. */
static void
test_ics_fold_keeps_escapes(void)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(Site) s = NULL;
	guint calendars = 0;

	for (guint n = 60; n <= 80; n++) {
		g_autofree char *a = g_strnfill(n, 'a');
		g_autofree char *x = g_strnfill(n - 30, 'x');

		g_ptr_array_add(files, g_strdup_printf("t%u.md", n));
		g_ptr_array_add(files,
		                g_strdup_printf("---\ntitle: \"%s,b; \\\\c\"\n"
		                                "start: 2027-05-%02u\n---\n"
		                                "Register at "
		                                "https://example.org/r/%s\n\n"
		                                "Venue: Ljubljana, Slovenia.\n",
		                                a, n - 50, x));
	}
	g_ptr_array_add(files, NULL);
	s = site_of("Europe/Ljubljana", (const char *const *)files->pdata);
	for (guint i = 0; i < s->files->len; i++) {
		icalcomponent *cal =
		    checked_calendar(g_ptr_array_index(s->files, i));
		guint titles = 0;

		if (cal == NULL)
			continue;
		calendars++;
		for (icalcomponent *c = icalcomponent_get_first_component(
		         cal, ICAL_VEVENT_COMPONENT);
		     c != NULL; c = icalcomponent_get_next_component(
		                    cal, ICAL_VEVENT_COMPONENT)) {
			const char *title = icalcomponent_get_summary(c);
			const char *desc = icalcomponent_get_description(c);

			g_assert_true(g_str_has_suffix(title, "a,b; \\c"));
			g_assert_true(g_str_has_suffix(
			    desc, "\n\nVenue: Ljubljana, Slovenia."));
			titles++;
		}
		g_assert_cmpuint(titles, >, 0);
		icalcomponent_free(cal);
	}
	g_assert_cmpuint(calendars, >, 21);
}

/* A single event that ends in 2036 or later is given in UTC: readers whose
 * zone data stop in 2037 (python3-icalendar through pytz, node-ical) put
 * it an hour off, or take it as floating. One that ends before keeps its
 * zone, and so does a series, whose rule runs on the wall clock (one in
 * winter: node-ical reads one in summer so far ahead in no calendar,
 * which evfeed warns of, see /eventfile/rrule/node-ical-horizon). */
static void
test_ics_far_year_utc(void)
{
	static const char *const files[] = {
		"far.md",
		"---\ntitle: Far\nstart: 2040-06-15T09:00\n"
		"end: 2040-06-15T17:00\n---\n",
		"near.md",
		"---\ntitle: Near\nstart: 2035-06-15T09:00\n"
		"end: 2035-06-15T17:00\n---\n",
		"across.md",
		"---\ntitle: Across\nstart: 2035-12-31T20:00\n"
		"end: 2036-01-01T02:00\n---\n",
		"series.md",
		"---\ntitle: Series\nstart: 2040-01-15T09:00\n"
		"recurrence: FREQ=WEEKLY;COUNT=3\n---\n",
		NULL,
	};
	static const char *const want[] = {
		"far",
		"DTSTART:20400615T070000Z\r\nDTEND:20400615T150000Z\r\n",
		"near",
		"DTSTART;TZID=Europe/Ljubljana:20350615T090000\r\n",
		"across",
		"DTSTART:20351231T190000Z\r\nDTEND:20360101T010000Z\r\n",
		"series",
		"DTSTART;TZID=Europe/Ljubljana:20400115T090000\r\n",
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);

	assert_event_files_hold(s, want, G_N_ELEMENTS(want));
}

/* A monthly or yearly rule on a day that some months (or years) lack has
 * the day in the rule, as it has no effect on its dates and node-ical
 * reads it right only so; other rules are as the event file has them. */
static void
test_ics_rule_day_explicit(void)
{
	static const char *const files[] = {
		"m31.md",
		"---\ntitle: On the 31st\nstart: 2026-01-31T10:00\n"
		"recurrence: FREQ=MONTHLY;COUNT=4\n---\n",
		"m30.md",
		"---\ntitle: On the 30th\nstart: 2026-01-30\n"
		"recurrence: FREQ=MONTHLY;INTERVAL=2;UNTIL=20261231\n---\n",
		"y31.md",
		"---\ntitle: New year's eve\nstart: 2026-12-31T20:00\n"
		"recurrence: FREQ=YEARLY;COUNT=3\n---\n",
		"m15.md",
		"---\ntitle: Mid-month\nstart: 2026-01-15T10:00\n"
		"recurrence: FREQ=MONTHLY;COUNT=4\n---\n",
		"last.md",
		"---\ntitle: Last Friday\nstart: 2026-01-30T10:00\n"
		"recurrence: FREQ=MONTHLY;BYDAY=-1FR;COUNT=4\n---\n",
		NULL,
	};
	static const char *const want[] = {
		"m31",
		"RRULE:FREQ=MONTHLY;COUNT=4;BYMONTHDAY=31\r\n",
		"m30",
		"RRULE:FREQ=MONTHLY;UNTIL=20261231;INTERVAL=2;BYMONTHDAY=30\r\n",
		"y31",
		"RRULE:FREQ=YEARLY;COUNT=3\r\n",
		"m15",
		"RRULE:FREQ=MONTHLY;COUNT=4\r\n",
		"last",
		"RRULE:FREQ=MONTHLY;COUNT=4;BYDAY=-1FR\r\n",
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autoptr(GTimeZone) tz =
	    g_time_zone_new_identifier("Europe/Ljubljana");
	g_autoptr(EvfEvent) leap = NULL;
	const char *vevent;

	assert_event_files_hold(s, want, G_N_ELEMENTS(want));

	/* An event file may not have a yearly series from 29 February, but
	 * a partner's calendar may. */
	for (guint i = 0; i < s->events->len && leap == NULL; i++) {
		EvfEvent *e = g_ptr_array_index(s->events, i);

		if (strcmp(e->title, "On the 31st") == 0)
			leap = evf_event_copy(e);
	}
	g_assert_nonnull(leap);
	g_assert_null(leap->vevent);
	g_date_time_unref(leap->start);
	g_date_time_unref(leap->end);
	leap->start = g_date_time_new(tz, 2028, 2, 29, 10, 0, 0);
	leap->end = g_date_time_new(tz, 2028, 2, 29, 11, 0, 0);
	g_free(leap->rrule);
	leap->rrule = g_strdup("FREQ=YEARLY;COUNT=3");
	vevent = evf_ics_vevent(s->cfg, leap);
	g_assert_nonnull(vevent);
	g_assert_nonnull(strstr(vevent, "DTSTART;TZID=Europe/Ljubljana:"
	                                "20280229T100000\r\n"));
	g_assert_nonnull(strstr(
	    vevent, "RRULE:FREQ=YEARLY;COUNT=3;BYMONTHDAY=29;BYMONTH=2\r\n"));
}

/* A rule's BYHOUR, BYMINUTE and BYMONTH in order: ical.js steps through
 * them as written, so that BYHOUR=21,9 ended a series a day late; each
 * value of a BY part once. A
 * monthly rule with BYMONTH that starts in another month than its first
 * has its COUNT as the UNTIL of its last date, which ical.js left out;
 * one that starts in the first month keeps its COUNT. So does a rule with
 * several BYSETPOS, which may give one day twice (node-ical counted it
 * twice). */
static void
test_ics_rule_as_icaljs_reads_it(void)
{
	static const char *const files[] = {
		"hours.md",
		"---\ntitle: Twice a day\nstart: 2026-07-06T09:00\n"
		"recurrence: FREQ=DAILY;BYHOUR=21,9,21;COUNT=4\n---\n",
		"minutes.md",
		"---\ntitle: Quarter past\nstart: 2026-07-06T09:15\n"
		"recurrence: FREQ=HOURLY;INTERVAL=2;BYMINUTE=45,15;COUNT=4\n---\n",
		"months.md",
		"---\ntitle: Months\nstart: 2026-02-28\n"
		"recurrence: FREQ=MONTHLY;BYMONTH=7,2;BYMONTHDAY=-1;"
		"UNTIL=20281231\n---\n",
		"july.md",
		"---\ntitle: From July\nstart: 2026-07-31\n"
		"recurrence: FREQ=MONTHLY;BYMONTH=2,7;BYMONTHDAY=-1;COUNT=4\n"
		"---\n",
		"december.md",
		"---\ntitle: From December\nstart: 2026-12-22T10:00\n"
		"recurrence: FREQ=MONTHLY;BYMONTH=9,12;BYMONTHDAY=22;COUNT=5\n"
		"---\n",
		"february.md",
		"---\ntitle: From February\nstart: 2026-02-28\n"
		"recurrence: FREQ=MONTHLY;BYMONTH=2,7;BYMONTHDAY=-1;COUNT=4\n"
		"---\n",
		/* a value given twice is one date: published once */
		"twice.md",
		"---\ntitle: Last Wednesday\nstart: 2026-07-29T09:00\n"
		"recurrence: FREQ=MONTHLY;BYDAY=WE,WE;BYSETPOS=-1,-1;COUNT=3\n"
		"---\n",
		/* the 3rd Monday and the 2nd-last, one day in a month of
		 * four: node-ical counted it twice, and ended early */
		"positions.md",
		"---\ntitle: Reading group\nstart: 2027-01-18T18:00\n"
		"recurrence: FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-2,3;COUNT=12\n"
		"---\n",
		/* the next start, on the day after the last, just after the
		 * clocks go forward (03:00): the UNTIL before its instant */
		"weekends.md",
		"---\ntitle: Last weekend\nstart: 2027-01-30T03:00\n"
		"recurrence: FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=-2,-1;COUNT=5\n"
		"---\n",
		/* its last date past libical's year 2582: kept as written */
		"mondays.md",
		"---\ntitle: Mondays the 29th\nstart: 2027-03-29T09:00\n"
		"recurrence: FREQ=MONTHLY;BYMONTH=2,3;BYMONTHDAY=29;BYDAY=MO;"
		"COUNT=120\n---\n",
		NULL,
	};
	static const char *const want[] = {
		"hours",
		"RRULE:FREQ=DAILY;COUNT=4;BYHOUR=9,21\r\n",
		"minutes",
		"RRULE:FREQ=HOURLY;COUNT=4;INTERVAL=2;BYMINUTE=15,45\r\n",
		"months",
		"RRULE:FREQ=MONTHLY;UNTIL=20281231;BYMONTHDAY=-1;BYMONTH=2,7\r\n",
		"july",
		"RRULE:FREQ=MONTHLY;UNTIL=20280229;BYMONTHDAY=-1;BYMONTH=2,7\r\n",
		"december",
		"RRULE:FREQ=MONTHLY;UNTIL=20281223T085959Z;BYMONTHDAY=22;"
		"BYMONTH=9,12\r\n",
		"february",
		"RRULE:FREQ=MONTHLY;COUNT=4;BYMONTHDAY=-1;BYMONTH=2,7\r\n",
		"twice",
		"RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=WE;BYSETPOS=-1\r\n",
		"positions",
		"RRULE:FREQ=MONTHLY;UNTIL=20270921T155959Z;BYDAY=MO;"
		"BYSETPOS=-2,3\r\n",
		"weekends",
		"RRULE:FREQ=MONTHLY;UNTIL=20270328T005959Z;BYDAY=SA,SU;"
		"BYSETPOS=-2,-1\r\n",
		"mondays",
		"RRULE:FREQ=MONTHLY;COUNT=120;BYDAY=MO;BYMONTHDAY=29;BYMONTH=2,"
		"3\r\n",
	};
	/* (hours and minutes, several a day: python-recurring-ical-events
	 * is warned of) */
	g_autoptr(Site) s = site_of_warned("Europe/Ljubljana", NULL, files, 2);

	assert_event_files_hold(s, want, G_N_ELEMENTS(want));
}

/* The VEVENTs of @ics, in order, as libical reads them. */
static GPtrArray *
vevents_of(const char *ics, icalcomponent **cal)
{
	GPtrArray *out = g_ptr_array_new();

	*cal = icalparser_parse_string(ics);
	g_assert_nonnull(*cal);
	for (icalcomponent *c =
	         icalcomponent_get_first_component(*cal, ICAL_VEVENT_COMPONENT);
	     c != NULL;
	     c = icalcomponent_get_next_component(*cal, ICAL_VEVENT_COMPONENT))
		g_ptr_array_add(out, c);
	return out;
}

/* @a and @b have the same @kind of property, with the same text. */
static void
assert_same_property(icalcomponent *a, icalcomponent *b, icalproperty_kind kind)
{
	icalproperty *pa = icalcomponent_get_first_property(a, kind);
	icalproperty *pb = icalcomponent_get_first_property(b, kind);
	g_autofree char *ta = NULL;
	g_autofree char *tb = NULL;

	g_assert_nonnull(pa);
	g_assert_nonnull(pb);
	ta = icalproperty_as_ical_string_r(pa);
	tb = icalproperty_as_ical_string_r(pb);
	g_assert_cmpstr(ta, ==, tb);
}

/* A series whose first occurrence spans a change of the clocks: RFC 5545
 * §3.8.5.3 would give every occurrence the first one's exact duration
 * from a DTEND, an hour off the editor's wall clock. It has a DURATION
 * of nominal days and an exact rest, and an override gives the first
 * occurrence the editor's end (where the change is in its last partial
 * day the DURATION ends it elsewhere, and node-ical takes a DURATION's
 * days as 24 hours). Other series and single events keep their DTEND. */
static void
test_ics_series_across_change(void)
{
	static const char *const files[] = {
		"conference.md",
		"---\ntitle: Yearly Conference\nstart: 2026-10-23T09:00\n"
		"end: 2026-10-25T17:00\ncategories: [conference]\n"
		"recurrence: FREQ=YEARLY;COUNT=3\n---\n",
		"night.md",
		"---\ntitle: Night Shift\nstart: 2026-11-01T00:30\n"
		"end: 2026-11-01T02:30\ntimezone: America/St_Johns\n"
		"categories: [shift]\nstatus: tentative\n"
		"recurrence: FREQ=WEEKLY;COUNT=4\n---\nAll night.\n",
		"before.md",
		"---\ntitle: Night Shift Before\nstart: 2026-10-04T00:30\n"
		"end: 2026-10-04T02:30\ntimezone: America/St_Johns\n"
		"recurrence: FREQ=WEEKLY;COUNT=4\n---\n",
		"once.md",
		"---\ntitle: Weekend Once\nstart: 2026-10-23T09:00\n"
		"end: 2026-10-25T17:00\n---\n",
		NULL,
	};
	static const icalproperty_kind same[] = {
		ICAL_DTSTAMP_PROPERTY,      ICAL_CREATED_PROPERTY,
		ICAL_LASTMODIFIED_PROPERTY, ICAL_SEQUENCE_PROPERTY,
		ICAL_DTSTART_PROPERTY,      ICAL_SUMMARY_PROPERTY,
		ICAL_DESCRIPTION_PROPERTY,  ICAL_CATEGORIES_PROPERTY,
		ICAL_STATUS_PROPERTY,       ICAL_CLASS_PROPERTY,
		ICAL_TRANSP_PROPERTY,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *conference = file_text(s, "events/conference.ics");
	g_autofree char *night = file_text(s, "events/night.ics");
	g_autofree char *before = file_text(s, "events/before.ics");
	g_autofree char *once = file_text(s, "events/once.ics");
	g_autofree char *cal = file_text(s, "calendar.ics");
	g_autofree char *shift = file_text(s, "category/shift/calendar.ics");
	g_autofree char *jcal = file_text(s, "calendar.json");
	icalcomponent *parsed = NULL;
	g_autoptr(GPtrArray) ves = NULL;
	const char *series_end, *over;
	icalcomponent *a, *b;

	/* the change falls before the last day's 09:00: days do it */
	g_assert_nonnull(strstr(conference,
	                        "DTSTART;TZID=Europe/Ljubljana:20261023T090000"
	                        "\r\nDURATION:P2DT8H\r\n"
	                        "RRULE:FREQ=YEARLY;COUNT=3\r\n"));
	g_assert_cmpuint(count_of(conference, "BEGIN:VEVENT\r\n"), ==, 2);
	g_assert_nonnull(strstr(
	    conference, "DTSTART;TZID=Europe/Ljubljana:20261023T090000\r\n"
	                "RECURRENCE-ID;TZID=Europe/Ljubljana:20261023T090000"
	                "\r\nDTEND;TZID=Europe/Ljubljana:20261025T170000\r\n"));
	g_assert_cmpuint(count_of(conference, "DTEND"), ==, 1);
	g_assert_nonnull(strstr(cal, "\r\nDURATION:P2DT8H\r\n"));
	g_assert_nonnull(
	    strstr(jcal, "[\"duration\",{},\"duration\",\"P2DT8H\"]"));

	/* the change falls within 00:30-02:30: an override for the first */
	g_assert_nonnull(strstr(night,
	                        "DTSTART;TZID=America/St_Johns:20261101T003000"
	                        "\r\nDURATION:PT2H\r\n"
	                        "RRULE:FREQ=WEEKLY;COUNT=4\r\n"));
	g_assert_cmpuint(count_of(night, "BEGIN:VEVENT\r\n"), ==, 2);
	series_end = strstr(night, "END:VEVENT\r\n");
	over = strstr(night, "BEGIN:VEVENT\r\n");
	g_assert_nonnull(series_end);
	over = strstr(over + 1, "BEGIN:VEVENT\r\n");
	/* right after the series */
	g_assert_true(over == series_end + strlen("END:VEVENT\r\n"));
	g_assert_nonnull(strstr(
	    over, "DTSTART;TZID=America/St_Johns:20261101T003000\r\n"
	          "RECURRENCE-ID;TZID=America/St_Johns:20261101T003000"
	          "\r\nDTEND;TZID=America/St_Johns:20261101T023000\r\n"));
	g_assert_null(strstr(over, "RRULE"));
	g_assert_null(strstr(over, "DURATION"));
	g_assert_null(strstr(night, "\r\nDTEND;TZID=America/St_Johns:"
	                            "20261101T023000\r\nRRULE"));
	/* the same two in every calendar that lists the series */
	g_assert_nonnull(strstr(cal, strstr(night, "BEGIN:VEVENT")));
	g_assert_nonnull(strstr(shift, strstr(night, "BEGIN:VEVENT")));
	g_assert_nonnull(strstr(cal, "\r\nTZID:America/St_Johns\r\n"));
	g_assert_nonnull(strstr(shift, "\r\nTZID:America/St_Johns\r\n"));
	g_assert_nonnull(
	    strstr(jcal, "[\"recurrence-id\",{\"tzid\":\"America/St_Johns\"},"
	                 "\"date-time\",\"2026-11-01T00:30:00\"]"));
	g_assert_cmpuint(count_of(jcal, "[\"vevent\","), ==,
	                 count_of(cal, "BEGIN:VEVENT\r\n"));

	/* the override has every property the series has but its rule */
	ves = vevents_of(night, &parsed);
	g_assert_cmpuint(ves->len, ==, 2);
	a = g_ptr_array_index(ves, 0);
	b = g_ptr_array_index(ves, 1);
	g_assert_cmpstr(icalcomponent_get_uid(a), ==, icalcomponent_get_uid(b));
	for (gsize i = 0; i < G_N_ELEMENTS(same); i++)
		assert_same_property(a, b, same[i]);
	g_assert_cmpint(icalcomponent_count_properties(a, ICAL_ANY_PROPERTY), ==
	                , icalcomponent_count_properties(b, ICAL_ANY_PROPERTY));

	/* no change within any occurrence, or no series: DTEND (a series
	 * with a later one across a change is refused, test-eventfile's
	 * /eventfile/rrule/spans-change) */
	g_assert_nonnull(
	    strstr(before, "DTSTART;TZID=America/St_Johns:20261004T003000"
	                   "\r\nDTEND;TZID=America/St_Johns:20261004T023000"
	                   "\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"));
	g_assert_null(strstr(before, "DURATION"));
	g_assert_cmpuint(count_of(before, "BEGIN:VEVENT\r\n"), ==, 1);
	g_assert_nonnull(strstr(once, "\r\nDTEND;TZID=Europe/Ljubljana:"
	                              "20261025T170000\r\n"));
	g_assert_null(strstr(once, "DURATION"));
	icalcomponent_free(parsed);
}

/* Every Atom feed's first link, the one naive readers take for the
 * feed's home page, is its rel="alternate" page, not its self link or
 * its hub. */
static void
test_atom_alternate_first(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s =
	    site_render_with(dir, "hub=https://hub.example.net/\n");
	guint natom = 0;

	for (guint i = 0; i < s->files->len; i++) {
		EvfFile *f = g_ptr_array_index(s->files, i);
		g_autofree char *text = NULL;
		const char *link;

		if (!g_str_has_suffix(f->path, "atom.xml"))
			continue;
		natom++;
		text = g_strndup(g_bytes_get_data(f->bytes, NULL),
		                 g_bytes_get_size(f->bytes));
		link = strstr(text, "<link ");
		g_assert_nonnull(link);
		if (!g_str_has_prefix(link, "<link rel=\"alternate\" "
		                            "type=\"text/html\""))
			g_error("%s: the first link is %.60s", f->path, link);
	}
	g_assert_cmpuint(natom, >=, 2);
}

/* With [feeds] hub, every feed of every scope names the hub beside its
 * self link, and differs from the feed without a hub by that alone; other
 * files do not change at all. */
static void
test_websub_hub(void)
{
	static const char hub[] = "https://hub.example.net/?a=1&b=2";
	static const char *const added[] = {
		"    <atom:link href=\"https://hub.example.net/?a=1&amp;b=2\" "
		"rel=\"hub\"/>\n",
		"  <link rel=\"hub\" href=\"https://hub.example.net/?a=1&amp;"
		"b=2\"/>\n",
		"  \"hubs\" : [\n    {\n      \"type\" : \"WebSub\",\n"
		"      \"url\" : \"https://hub.example.net/?a=1&b=2\"\n    }\n"
		"  ],\n",
	};
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autofree char *feeds = g_strdup_printf("hub=%s\n", hub);
	g_autoptr(Site) plain = site_render(dir);
	g_autoptr(Site) with = site_render_with(dir, feeds);
	guint nfeeds = 0;

	g_assert_cmpstr(with->cfg->hub, ==, hub);
	g_assert_cmpuint(with->files->len, ==, plain->files->len);
	for (guint i = 0; i < with->files->len; i++) {
		EvfFile *f = g_ptr_array_index(with->files, i);
		GBytes *before = find_file(plain, f->path);
		g_autofree char *text = NULL;
		g_autofree char *old = NULL;
		const char *link;
		char *at;
		guint kind;

		g_assert_nonnull(before);
		if (!evf_websub_is_feed(f->path)) {
			g_assert_true(g_bytes_equal(before, f->bytes));
			continue;
		}
		nfeeds++;
		kind = g_str_has_suffix(f->path, "rss.xml")    ? 0
		       : g_str_has_suffix(f->path, "atom.xml") ? 1
		                                               : 2;
		link = added[kind];
		text = g_strndup(g_bytes_get_data(f->bytes, NULL),
		                 g_bytes_get_size(f->bytes));
		old = g_strndup(g_bytes_get_data(before, NULL),
		                g_bytes_get_size(before));
		at = strstr(text, link);
		if (at == NULL)
			g_error("%s: no hub link '%s'", f->path, link);
		/* Once, and only that. */
		g_assert_null(strstr(at + 1, link));
		memmove(at, at + strlen(link), strlen(at + strlen(link)) + 1);
		g_assert_cmpstr(text, ==, old);
	}
	/* The site's, and three for each of its categories. */
	g_assert_cmpuint(nfeeds, >=, 6);
	g_assert_cmpuint(nfeeds % 3, ==, 0);
}

/* Where each zone's irregular years end (from the tzdata libical reads, so
 * the bounds are loose): Ljubljana never had any since 1970; Sydney's end
 * with the change of 2008; Gaza's Ramadan breaks go on for decades. */
static void
test_tz_regular_from(void)
{
	int sydney = evf_tz_regular_from("Australia/Sydney");
	int gaza = evf_tz_regular_from("Asia/Gaza");

	g_assert_cmpint(evf_tz_regular_from("Europe/Ljubljana"), ==, 1970);
	g_assert_cmpint(evf_tz_regular_from("Asia/Tokyo"), ==, 1970);
	g_assert_cmpint(sydney, >, 2000);
	g_assert_cmpint(sydney, <=, 2009);
	g_assert_true(gaza == -1 || gaza > 2030);
	g_assert_cmpint(evf_tz_regular_from("Mars/Olympus_Mons"), ==, -1);
	/* Asked again: the same, from the cache. */
	g_assert_cmpint(evf_tz_regular_from("Australia/Sydney"), ==, sydney);
}

/* Each zone's VTIMEZONE gives tzdata's offsets from the first year it is
 * used: libical 3.0's truncation once dropped the observance in force at
 * the cut (Vancouver read January 2026 as summer time, Cairo January
 * 2025). */
static void
test_tz_faithful(void)
{
	static const struct {
		const char *zone;
		int y, m, d;
	} cases[] = {
		{ "America/Vancouver", 2026, 1, 15 },
		{ "America/Vancouver", 2026, 7, 15 },
		{ "America/Winnipeg", 2026, 1, 15 },
		{ "Africa/Cairo", 2025, 1, 15 },
		{ "Africa/Cairo", 2025, 7, 15 },
		{ "Europe/Ljubljana", 2018, 1, 15 },
		{ "Europe/Ljubljana", 2018, 7, 15 },
		{ "Australia/Sydney", 2024, 1, 15 },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(EvfTzSet) set = evf_tz_set_new();
		g_autoptr(GTimeZone) tz =
		    g_time_zone_new_identifier(cases[i].zone);
		g_autoptr(GDateTime) at = g_date_time_new_utc(
		    cases[i].y, cases[i].m, cases[i].d, 12, 0, 0);
		icalcomponent *vtz;
		icaltimezone *zone = icaltimezone_new();
		struct icaltimetype t = icaltime_from_timet_with_zone(
		    (time_t)g_date_time_to_unix(at), 0,
		    icaltimezone_get_utc_timezone());
		int daylight;

		evf_tz_set_use(set, cases[i].zone, cases[i].y);
		vtz = evf_tz_set_clone(set, cases[i].zone);
		g_assert_nonnull(vtz);
		for (icalcomponent *o = icalcomponent_get_first_component(
		         vtz, ICAL_ANY_COMPONENT);
		     o != NULL; o = icalcomponent_get_next_component(
		                    vtz, ICAL_ANY_COMPONENT))
			g_assert_null(icalcomponent_get_first_property(
			    o, ICAL_RDATE_PROPERTY));
		icaltimezone_set_component(zone, vtz);
		g_test_message("%s on %04d-%02d-%02d", cases[i].zone,
		               cases[i].y, cases[i].m, cases[i].d);
		g_assert_cmpint(
		    icaltimezone_get_utc_offset_of_utc_time(zone, &t,
		                                            &daylight),
		    ==,
		    g_time_zone_get_offset(tz, g_time_zone_find_interval(
		                                   tz, G_TIME_TYPE_UNIVERSAL,
		                                   g_date_time_to_unix(at))));
		icaltimezone_free(zone, 1);
	}
}

/* evf_tz_is_settled: a time it calls settled comes after the first onset
 * of every observance of its zone's VTIMEZONE, published from any year
 * (Ruby's icalendar refuses a calendar with an observance that has not
 * begun at one of its times beside one of the same kind that has). */
static void
test_tz_settled(void)
{
	static const struct {
		const char *zone;
		int y, m, d;
		gboolean settled;
	} cases[] = {
		{ "America/New_York", 2006, 10, 20, FALSE },
		{ "America/New_York", 2007, 1, 15, FALSE },
		{ "America/New_York", 2007, 11, 5, TRUE },
		{ "America/New_York", 2020, 10, 20, TRUE },
		{ "Europe/Moscow", 2012, 6, 1, FALSE },
		{ "Europe/Moscow", 2020, 6, 1, TRUE },
		{ "America/Mexico_City", 2019, 6, 1, TRUE },
		{ "America/Mexico_City", 2024, 6, 1, TRUE },
		{ "Europe/Ljubljana", 2018, 6, 28, TRUE },
	};
	static const int years[] = { 1995, 2005, 2015, 2026 };
	const GPtrArray *places = evf_tz_places();
	guint checked = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GTimeZone) tz =
		    g_time_zone_new_identifier(cases[i].zone);
		g_autoptr(GDateTime) t = g_date_time_new(
		    tz, cases[i].y, cases[i].m, cases[i].d, 10, 0, 0);

		g_test_message("%s on %04d-%02d-%02d", cases[i].zone,
		               cases[i].y, cases[i].m, cases[i].d);
		g_assert_cmpint(evf_tz_is_settled(cases[i].zone, t), ==,
		                cases[i].settled);
	}
	for (guint i = 0; i < places->len; i++) {
		const char *zone = g_ptr_array_index(places, i);
		g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(zone);
		g_autoptr(EvfTzSet) set = evf_tz_set_new();
		icalcomponent *vtz;
		int from = evf_tz_regular_from(zone);

		if (from < 0)
			continue;
		evf_tz_set_use(set, zone, from);
		vtz = evf_tz_set_clone(set, zone);
		g_assert_nonnull(vtz);
		for (gsize k = 0; k < G_N_ELEMENTS(years); k++) {
			g_autoptr(GDateTime) t =
			    g_date_time_new(tz, years[k], 7, 1, 12, 0, 0);
			struct icaltimetype wall = evf_tz_wall_time(t);

			if (!evf_tz_is_settled(zone, t))
				continue;
			checked++;
			for (icalcomponent *o =
			         icalcomponent_get_first_component(
			             vtz, ICAL_ANY_COMPONENT);
			     o != NULL; o = icalcomponent_get_next_component(
			                    vtz, ICAL_ANY_COMPONENT)) {
				if (icaltime_compare(
				        icalcomponent_get_dtstart(o), wall) >=
				    0)
					g_error("%s: an observance begins "
					        "after %d-07-01, called "
					        "settled",
					        zone, years[k]);
			}
		}
		icalcomponent_free(vtz);
	}
	/* most zones, most years */
	g_assert_cmpuint(checked, >, places->len * 2);
}

/* A series whose first occurrence ends at a wall time that happens
 * twice, where the clocks go back (here written with the offset that says
 * which): ical.js and python-icalendar read such a DTEND as the later of
 * the two, an hour more for the first of 02:30+02:00 and, by its exact
 * duration, for every other. The series says how long it lasts with a DURATION
 * (exact, and no change falls within it), and the override of its first
 * occurrence ends at an instant in UTC. */
static void
test_ics_series_end_in_fold(void)
{
	static const char *const files[] = {
		"fold.md",
		"---\ntitle: Night Before the Change\n"
		"start: 2026-10-24T23:00\nend: 2026-10-25T02:30+02:00\n"
		"recurrence: FREQ=DAILY;COUNT=3\n---\n",
		"later.md",
		"---\ntitle: Night Into the Change\n"
		"start: 2026-10-24T23:00\nend: 2026-10-25T02:30+01:00\n"
		"recurrence: FREQ=DAILY;COUNT=3\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *ics = file_text(s, "events/fold.ics");
	g_autofree char *later = file_text(s, "events/later.ics");
	const char *over;

	g_assert_nonnull(strstr(ics,
	                        "DTSTART;TZID=Europe/Ljubljana:20261024T230000"
	                        "\r\nDURATION:PT3H30M\r\n"
	                        "RRULE:FREQ=DAILY;COUNT=3\r\n"));
	g_assert_cmpuint(count_of(ics, "BEGIN:VEVENT\r\n"), ==, 2);
	over = strstr(ics, "RECURRENCE-ID;");
	g_assert_nonnull(over);
	/* 02:30 at +02:00, the first of the two */
	g_assert_nonnull(strstr(over, "\r\nDTEND:20261025T003000Z\r\n"));
	g_assert_null(strstr(ics, "DTEND;TZID="));
	/* the second: the first occurrence lasts an hour more than the
	 * others, which keep the wall clock's 23:00 to 02:30 */
	g_assert_nonnull(strstr(later, "\r\nDURATION:PT3H30M\r\n"));
	over = strstr(later, "RECURRENCE-ID;");
	g_assert_nonnull(over);
	g_assert_nonnull(strstr(over, "\r\nDTEND:20261025T013000Z\r\n"));
	g_assert_null(strstr(later, "DTEND;TZID="));
}

/* The observances of the VTIMEZONE of @zone cut at @year. */
static guint
observances(const char *zone, int year)
{
	g_autoptr(EvfTzSet) set = evf_tz_set_new();
	icalcomponent *vtz;
	guint n;

	evf_tz_set_use(set, zone, year);
	vtz = evf_tz_set_clone(set, zone);
	g_assert_nonnull(vtz);
	n = (guint)icalcomponent_count_components(vtz, ICAL_ANY_COMPONENT);
	icalcomponent_free(vtz);
	return n;
}

/* (transfer full) (nullable): the zones of tzdata's zone1970.tab; NULL,
 * with the test skipped, when there is none. */
static GPtrArray *
zone1970_names(void)
{
	g_autofree char *tab = NULL;
	g_auto(GStrv) lines = NULL;
	GPtrArray *names;

	if (!g_file_get_contents("/usr/share/zoneinfo/zone1970.tab", &tab, NULL,
	                         NULL)) {
		g_test_skip("no /usr/share/zoneinfo/zone1970.tab");
		return NULL;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	lines = g_strsplit(tab, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);

		if (lines[i][0] != '#' && g_strv_length(f) >= 3)
			g_ptr_array_add(names, g_strdup(f[2]));
	}
	return names;
}

/* libical's zones end each yearly rule in 2037 and start it again as a
 * second observance, or add one that changes nothing (Ruby's icalendar
 * 2.8 fails on both), and read some rules from 2038 on wrong (St
 * John's). A zone whose rules have not
 * changed for years has one STANDARD and one DAYLIGHT; and for every zone
 * of tzdata's zone1970.tab that is regular from 2026, the VTIMEZONE cut
 * at 2026 gives tzdata's offset (GLib's reading) on three days of every
 * month up to 2040, past the years where libical's rules change. (Later,
 * libical's own reading of some of tzdata's end rules is off: Cairo's
 * "Friday after the last Thursday of October" is in November in 2041.) */
static void
test_tz_joined(void)
{
	static const char *const two[] = {
		"Europe/Ljubljana", "Europe/Dublin",    "America/New_York",
		"America/St_Johns", "Australia/Sydney", "Pacific/Auckland",
		"America/Santiago", "Asia/Jerusalem",   "Pacific/Chatham",
	};
	g_autoptr(GPtrArray) names = NULL;
	guint zones = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(two); i++) {
		g_test_message("%s", two[i]);
		g_assert_cmpuint(observances(two[i], 2026), ==, 2);
	}
	/* observances from an offset to the same go, but the first: libical
	 * ends Bangkok's with one on 19 January 2038; Vancouver's PDT becomes
	 * MST in November 2026 (tzdata 2026) */
	g_assert_cmpuint(observances("Asia/Bangkok", 2026), ==, 1);
	g_assert_cmpuint(observances("America/Vancouver", 2026), ==, 2);
	names = zone1970_names();
	if (names == NULL)
		return;
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		g_autoptr(EvfTzSet) set = evf_tz_set_new();
		g_autoptr(GTimeZone) tz = NULL;
		icaltimezone *zone;
		gboolean ok = TRUE;
		int last;

		if (!evf_tz_is_regular(name, 2026))
			continue;
		tz = g_time_zone_new_identifier(name);
		g_assert_nonnull(tz);
		evf_tz_set_use(set, name, 2026);
		zone = icaltimezone_new();
		icaltimezone_set_component(zone, evf_tz_set_clone(set, name));
		/* GLib 2.74 reads Dublin's rule at the end of tzdata's file
		 * (summer time as standard, winter as a negative daylight
		 * saving) as +02:00 in winter from 2038 (zdump: +00:00) */
		last = strcmp(name, "Europe/Dublin") == 0 ? 2037 : 2040;
		for (int y = 2026; ok && y <= last; y++)
			for (int m = 1; ok && m <= 12; m++)
				for (int d = 1; ok && d <= 28; d += 9) {
					g_autoptr(GDateTime) at =
					    g_date_time_new_utc(y, m, d, 12, 0,
					                        0);
					gint64 u = g_date_time_to_unix(at);
					struct icaltimetype t =
					    icaltime_from_timet_with_zone(
					        (time_t)u, 0,
					        icaltimezone_get_utc_timezone());
					int daylight, want, got;

					got =
					    icaltimezone_get_utc_offset_of_utc_time(
					        zone, &t, &daylight);
					want = g_time_zone_get_offset(
					    tz,
					    g_time_zone_find_interval(
					        tz, G_TIME_TYPE_UNIVERSAL, u));
					if (got != want)
						g_test_message(
						    "%s on %04d-%02d-%02d: %d, "
						    "not %d",
						    name, y, m, d, got, want);
					ok = got == want;
				}
		g_assert_true(ok);
		icaltimezone_free(zone, 1);
		zones++;
	}
	g_assert_cmpuint(zones, >, 200);
}

/* Outlook reads a VTIMEZONE's rule only as one month and a day of it or
 * one counted weekday (MS-OXCICAL §2.1.3.1.1.19.2.2):
 * evf_tz_outlook_reads says so of a zone exactly when every RRULE of its
 * VTIMEZONE, cut at 2027, has that form, for every zone of zone1970.tab
 * that is regular then; not so for Santiago, Jerusalem and Nuuk, whose
 * clocks change on a weekday on or after a date. */
static void
test_tz_outlook_rules(void)
{
	static const char *const not_read[] = {
		"America/Santiago",
		"Asia/Jerusalem",
		"America/Nuuk",
		"America/Scoresbysund",
	};
	g_autoptr(GPtrArray) names = zone1970_names();
	g_autoptr(GRegex) form =
	    g_regex_new("^FREQ=YEARLY;(BYDAY=-?[1-5](SU|MO|TU|WE|TH|FR|SA)|"
	                "BYMONTHDAY=-?[0-9]+);BYMONTH=[0-9]+$",
	                0, 0, NULL);
	guint read = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(not_read); i++)
		g_assert_false(evf_tz_outlook_reads(not_read[i], 2027));
	g_assert_true(evf_tz_outlook_reads("Europe/Ljubljana", 2027));
	g_assert_true(evf_tz_outlook_reads("Asia/Tokyo", 2027));
	if (names == NULL)
		return;
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		g_autoptr(EvfTzSet) set = evf_tz_set_new();
		icalcomponent *vtz, *o;
		gboolean all = TRUE;

		if (!evf_tz_is_regular(name, 2027))
			continue;
		evf_tz_set_use(set, name, 2027);
		vtz = evf_tz_set_clone(set, name);
		g_assert_nonnull(vtz);
		for (o = icalcomponent_get_first_component(vtz,
		                                           ICAL_ANY_COMPONENT);
		     o != NULL; o = icalcomponent_get_next_component(
		                    vtz, ICAL_ANY_COMPONENT)) {
			icalproperty *p = icalcomponent_get_first_property(
			    o, ICAL_RRULE_PROPERTY);
			const char *rule =
			    p != NULL ? icalproperty_get_value_as_string(p)
			              : NULL;

			if (rule != NULL &&
			    !g_regex_match(form, rule, 0, NULL)) {
				g_test_message("%s: %s", name, rule);
				all = FALSE;
			}
		}
		icalcomponent_free(vtz);
		if (all != evf_tz_outlook_reads(name, 2027))
			g_test_message("%s: evf_tz_outlook_reads is %d", name,
			               !all);
		g_assert_true(all == evf_tz_outlook_reads(name, 2027));
		read += all;
	}
	g_assert_cmpuint(read, >, 200);
}

/* A calendar that holds a timed series in UTC names no X-WR-TIMEZONE:
 * readers that take it as Google Calendar does (python's x-wr-timezone)
 * would run the series' rule on that zone's wall clock, an hour off
 * after its clocks change. Others, and a series in its zone, keep it. */
static void
test_ics_utc_series_no_zone_name(void)
{
	static const char *const utc_series[] = {
		"call.md",
		"---\ntitle: Call\nstart: 2027-03-15T09:00\n"
		"end: 2027-03-15T10:00\ntimezone: UTC\n"
		"recurrence: FREQ=WEEKLY;COUNT=3\n---\n",
		"single.md",
		"---\ntitle: Single\nstart: 2027-03-15T09:00Z\n---\n",
		NULL,
	};
	static const char *const others[] = {
		"single.md",
		"---\ntitle: Single\nstart: 2027-03-15T09:00Z\n---\n",
		"local.md",
		"---\ntitle: Local series\nstart: 2027-03-15T09:00\n"
		"recurrence: FREQ=WEEKLY;COUNT=3\n---\n",
		"day.md",
		"---\ntitle: Day series\nstart: 2027-03-15\n"
		"recurrence: FREQ=WEEKLY;COUNT=3\n---\n",
		NULL,
	};
	g_autoptr(Site) a = site_of("Europe/Ljubljana", utc_series);
	g_autoptr(Site) b = site_of("Europe/Ljubljana", others);
	g_autoptr(Site) c = site_of("UTC", utc_series);
	g_autofree char *ta = file_text(a, "calendar.ics");
	g_autofree char *tb = file_text(b, "calendar.ics");
	g_autofree char *tc = file_text(c, "calendar.ics");

	g_assert_null(strstr(ta, "X-WR-TIMEZONE"));
	g_assert_nonnull(strstr(ta, "DTSTART:20270315T090000Z\r\n"));
	g_assert_nonnull(strstr(tb, "X-WR-TIMEZONE:Europe/Ljubljana\r\n"));
	g_assert_nonnull(strstr(tc, "X-WR-TIMEZONE:UTC\r\n"));
}

/* Nor does a calendar with a time given in UTC that falls in an hour the
 * site's clocks repeat (the night they go back): those readers move it to
 * that zone's wall clock, and take the wall time back as the later of its
 * two instants, an hour late. A time in UTC outside that hour, and one in
 * that hour of another zone's, leave it. */
static void
test_ics_repeated_hour_no_zone_name(void)
{
	static const struct {
		const char *name, *text, *line;
		guint warnings; /* (an ambiguous wall time is warned of) */
	} repeated[] = {
		{ "amb.md",
		  "---\ntitle: Night shift\nstart: 2027-10-31T02:30\n"
		  "end: 2027-10-31T04:00\n---\n",
		  "DTSTART:20271031T003000Z\r\n", 1 },
		{ "offset.md",
		  "---\ntitle: Summer offset\nstart: 2027-10-31T02:15+02:00\n"
		  "end: 2027-10-31T02:45+02:00\n---\n",
		  "DTSTART:20271031T001500Z\r\n", 0 },
		{ "ends.md",
		  "---\ntitle: Ends in it\nstart: 2027-10-30T23:00Z\n"
		  "end: 2027-10-31T00:40Z\n---\n",
		  "DTEND:20271031T004000Z\r\n", 0 },
	};
	static const char *const others[] = {
		"utc.md",
		"---\ntitle: In UTC\nstart: 2027-10-31T04:00Z\n---\n",
		"ny.md",
		"---\ntitle: New York night\nstart: 2027-11-07T01:30\n"
		"timezone: America/New_York\n---\n",
		NULL,
	};
	g_autoptr(Site) b = site_of_warned("Europe/Ljubljana", NULL, others, 1);
	g_autofree char *tb = file_text(b, "calendar.ics");

	for (guint i = 0; i < G_N_ELEMENTS(repeated); i++) {
		const char *const files[] = { repeated[i].name,
			                      repeated[i].text, NULL };
		g_autoptr(Site) a = site_of_warned("Europe/Ljubljana", NULL,
		                                   files, repeated[i].warnings);
		g_autofree char *ta = file_text(a, "calendar.ics");

		g_assert_nonnull(strstr(ta, repeated[i].line));
		g_assert_null(strstr(ta, "X-WR-TIMEZONE"));
	}
	g_assert_nonnull(strstr(tb, "DTSTART:20271031T040000Z\r\n"));
	g_assert_nonnull(strstr(tb, "DTSTART:20271107T053000Z\r\n"));
	g_assert_nonnull(strstr(tb, "X-WR-TIMEZONE:Europe/Ljubljana\r\n"));
}

/* The site's zone is published for X-WR-TIMEZONE from no earlier than
 * the rules Outlook reads: an event in UTC from the year before (whose
 * zone's rule of that year, "the Sunday on or after the 22nd", Outlook
 * does not read) put that rule in the one VTIMEZONE of the zone, which
 * a later event that keeps its zone used too. */
static void
test_ics_site_zone_outlook(void)
{
	static const char *const files[] = {
		"last-year.md",
		"---\ntitle: Earlier\nstart: 2024-05-10T10:00\n---\n",
		"next-year.md",
		"---\ntitle: Later\nstart: 2027-07-15T12:00\n---\n",
		NULL,
	};
	static const char *const want[] = {
		"last-year",
		"DTSTART:20240510T140000Z\r\n",
		"next-year",
		"DTSTART;TZID=America/Asuncion:20270715T120000\r\n",
	};
	g_autoptr(Site) s = site_of("America/Asuncion", files);
	g_autofree char *cal = file_text(s, "calendar.ics");
	g_autofree char *one = file_text(s, "events/next-year.ics");

	g_assert_false(evf_tz_outlook_reads("America/Asuncion", 2024));
	g_assert_true(evf_tz_outlook_reads("America/Asuncion", 2027));
	assert_event_files_hold(s, want, G_N_ELEMENTS(want));
	g_assert_nonnull(strstr(cal, "TZID:America/Asuncion\r\n"));
	g_assert_null(strstr(cal, "BYMONTHDAY"));
	g_assert_null(strstr(one, "BYMONTHDAY"));
}

/* A single event in a zone whose rules Outlook does not read is given
 * in UTC; a series keeps its zone, whose rules it runs by. */
static void
test_ics_outlook_zone_utc(void)
{
	static const char *const files[] = {
		"single.md",
		"---\ntitle: Single\nstart: 2027-05-10T10:00\n"
		"end: 2027-05-10T12:00\ntimezone: Asia/Jerusalem\n---\n",
		"series.md",
		"---\ntitle: Series\nstart: 2027-05-10T10:00\n"
		"timezone: America/Santiago\n"
		"recurrence: FREQ=WEEKLY;COUNT=3\n---\n",
		"berlin.md",
		"---\ntitle: Berlin\nstart: 2027-05-10T10:00\n"
		"timezone: Europe/Berlin\n---\n",
		NULL,
	};
	static const char *const want[] = {
		"single",
		"DTSTART:20270510T070000Z\r\nDTEND:20270510T090000Z\r\n",
		"series",
		"DTSTART;TZID=America/Santiago:20270510T100000\r\n",
		"berlin",
		"DTSTART;TZID=Europe/Berlin:20270510T100000\r\n",
	};
	g_autoptr(Site) s = site_of_warned("Europe/Ljubljana", NULL, files, 1);

	assert_event_files_hold(s, want, G_N_ELEMENTS(want));
}

/* Each zone's VTIMEZONE, cut at the year of its first time, begins
 * before that year's first wall time: ical.js (Thunderbird) reads a time
 * before the first observance as UTC, and cut at midnight UTC, the
 * VTIMEZONE began after 08:00 on 1 January in Tokyo and in every other
 * zone east of Greenwich (and after Ljubljana's first hour of 1970), and
 * clients put such times hours off. */
static void
test_tz_covers_new_year(void)
{
	g_autoptr(GPtrArray) zones = zone1970_names();
	static const int years[] = { 1970, 2027 };

	if (zones == NULL)
		return;
	g_ptr_array_add(zones, g_strdup("Etc/GMT-14"));
	for (guint i = 0; i < zones->len; i++) {
		const char *name = g_ptr_array_index(zones, i);
		g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(name);

		g_assert_nonnull(tz);
		for (gsize k = 0; k < G_N_ELEMENTS(years); k++) {
			g_autoptr(EvfTzSet) set = evf_tz_set_new();
			g_autoptr(GDateTime) midnight = NULL;
			icalcomponent *vtz;
			gint64 first = G_MAXINT64;

			if (evf_tz_regular_from(name) < 0 ||
			    evf_tz_regular_from(name) > years[k])
				continue;
			evf_tz_set_use(set, name, years[k]);
			vtz = evf_tz_set_clone(set, name);
			g_assert_nonnull(vtz);
			for (icalcomponent *o =
			         icalcomponent_get_first_component(
			             vtz, ICAL_ANY_COMPONENT);
			     o != NULL; o = icalcomponent_get_next_component(
			                    vtz, ICAL_ANY_COMPONENT)) {
				icalproperty *from =
				    icalcomponent_get_first_property(
				        o, ICAL_TZOFFSETFROM_PROPERTY);

				g_assert_nonnull(from);
				first = MIN(
				    first,
				    (gint64)icaltime_as_timet(
				        icalcomponent_get_dtstart(o)) -
				        icalproperty_get_tzoffsetfrom(from));
			}
			icalcomponent_free(vtz);
			midnight = g_date_time_new(tz, years[k], 1, 1, 0, 0, 0);
			/* read as UTC, as some zones were (Rothera's, empty
			 * until 1976): no matter */
			if (g_date_time_get_utc_offset(midnight) == 0)
				continue;
			if (first > g_date_time_to_unix(midnight))
				g_test_message(
				    "%s in %d begins at %" G_GINT64_FORMAT,
				    name, years[k], first);
			g_assert_cmpint(first, <=,
			                g_date_time_to_unix(midnight));
		}
	}
}

/* The site's zone, in every calendar for its X-WR-TIMEZONE, starts with
 * the events' first year when no event is in it: not with 1970, which
 * gave Ljubljana four observances. */
static void
test_tz_site_zone_unused(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-zone-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "st-johns.md", NULL);
	g_autoptr(Site) s = NULL;
	icalcomponent *ical;
	icaltimezone *zone;
	g_autofree char *cmd = NULL;

	g_assert_true(g_file_set_contents(file,
	                                  "---\n"
	                                  "title: Harbour meeting\n"
	                                  "start: 2026-07-01T10:00\n"
	                                  "timezone: America/St_Johns\n"
	                                  "---\n",
	                                  -1, NULL));
	s = site_render(dir);
	ical = site_calendar(s);
	g_assert_nonnull(ical);
	zone = icalcomponent_get_timezone(ical, "Europe/Ljubljana");
	g_assert_nonnull(zone);
	g_assert_cmpint(
	    icalcomponent_count_components(icaltimezone_get_component(zone),
	                                   ICAL_ANY_COMPONENT),
	    ==, 2);
	icalcomponent_free(ical);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_cmpint(system(cmd), ==, 0);
}

/* The number of observances of @tzid's VTIMEZONE in @s's calendar.ics
 * that begin after the wall time @last, as iCalendar text
 * (YYYYMMDDThhmmss). */
static guint
observances_after(Site *s, const char *tzid, const char *last)
{
	icalcomponent *ical = site_calendar(s);
	icaltimezone *zone;
	icalcomponent *vtz;
	guint n = 0;

	g_assert_nonnull(ical);
	zone = icalcomponent_get_timezone(ical, tzid);
	g_assert_nonnull(zone);
	vtz = icaltimezone_get_component(zone);
	for (icalcomponent *o =
	         icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	     o != NULL;
	     o = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		if (icaltime_compare(icalcomponent_get_dtstart(o),
		                     icaltime_from_string(last)) > 0)
			n++;
	}
	icalcomponent_free(ical);
	return n;
}

/* Ruby's icalendar (2.8) refuses a whole calendar with an observance that
 * has not begun at a time it reads, such as New York's rules of March 2007
 * for a meeting of 2006 or of January 2007. Such a single event is
 * written in UTC, and needs no VTIMEZONE; a series with an end keeps its
 * zone, whose VTIMEZONE ends with the series; one without needs every
 * later rule. */
static void
test_tz_last_year(void)
{
	static const char *const past[] = {
		"ny.md",
		"---\ntitle: Old meeting\nstart: 2006-06-01T10:00\n"
		"timezone: America/New_York\n---\n",
		NULL,
	};
	static const char *const series[] = {
		"ny.md",
		"---\ntitle: Old meeting\nstart: 2006-06-01T10:00\n"
		"timezone: America/New_York\n---\n",
		"weekly.md",
		"---\ntitle: Weekly\nstart: 2005-06-01T10:00\n"
		"timezone: America/New_York\nrecurrence: FREQ=WEEKLY\n---\n",
		NULL,
	};
	static const char *const january[] = {
		"ny.md",
		"---\ntitle: Winter meeting\nstart: 2007-01-15T10:00\n"
		"timezone: America/New_York\n---\n",
		"weekly.md",
		"---\ntitle: Winter series\nstart: 2007-01-08T10:00\n"
		"end: 2007-01-08T11:00\ntimezone: America/New_York\n"
		"recurrence: FREQ=WEEKLY;COUNT=2\n---\n",
		NULL,
	};
	g_autoptr(Site) a = site_of("Europe/Ljubljana", past);
	g_autoptr(Site) b = site_of("Europe/Ljubljana", series);
	g_autoptr(Site) c = site_of("Europe/Ljubljana", january);
	g_autofree char *text = file_text(a, "events/ny.ics");
	g_autofree char *both = file_text(b, "calendar.ics");
	g_autofree char *winter = file_text(c, "calendar.ics");
	icalcomponent *ical = site_calendar(a);

	g_assert_nonnull(ical);
	g_assert_null(icalcomponent_get_timezone(ical, "America/New_York"));
	icalcomponent_free(ical);
	g_assert_nonnull(strstr(text, "\r\nDTSTART:20060601T140000Z\r\n"));
	g_assert_null(strstr(text, "TZID=America/New_York"));
	g_assert_null(strstr(text, "TZID:America/New_York"));
	/* (said for `evfeed import`, which no client reads) */
	g_assert_nonnull(
	    strstr(text, "\r\nX-EVFEED-ZONE:America/New_York\r\n"));
	g_assert_cmpuint(
	    observances_after(b, "America/New_York", "20060601T110000"), >, 0);
	g_assert_nonnull(strstr(both, "\r\nDTSTART:20060601T140000Z\r\n"));
	g_assert_nonnull(strstr(both, "\r\nDTSTART;TZID=America/New_York:"
	                              "20050601T100000\r\n"));
	g_assert_cmpuint(
	    observances_after(c, "America/New_York", "20070115T110000"), ==, 0);
	g_assert_nonnull(strstr(winter, "\r\nDTSTART:20070115T150000Z\r\n"));
	g_assert_nonnull(strstr(winter, "\r\nDTSTART;TZID=America/New_York:"
	                                "20070108T100000\r\n"));
}

/* The pages' own words are English; the site's text (titles, places,
 * descriptions) says its language, when that is another, and each piece
 * is laid out by its own first letters (dir="auto": a Hebrew title right
 * to left in an English page). */
static void
test_page_language(void)
{
	static const char *const files[] = {
		"hebrew.md",
		"---\ntitle: \xd7\xa1\xd7\x93\xd7\xa0\xd7\x94 (2027)\n"
		"start: 2027-05-04\nlocation: Ljubljana\n"
		"categories: [\xd7\x9b\xd7\xa0\xd7\xa1]\n---\nBody.\n",
		"cancelled.md",
		"---\ntitle: \xd7\x9e\xd7\xa4\xd7\x92\xd7\xa9\n"
		"start: 2027-05-05\nstatus: cancelled\n---\n",
		NULL,
	};
	g_autofree char *dir = g_dir_make_tmp("evfeed-lang-XXXXXX", NULL);
	g_autoptr(Site) sl = NULL;
	g_autoptr(Site) en = NULL;
	g_autofree char *page = NULL;
	g_autofree char *english = NULL;
	g_autofree char *cmd = NULL;

	for (guint i = 0; files[i] != NULL; i += 2) {
		g_autofree char *path = g_build_filename(dir, files[i], NULL);

		g_assert_true(
		    g_file_set_contents(path, files[i + 1], -1, NULL));
	}
	sl = site_render_in(dir, "Europe/Ljubljana", "language=sl\n", NULL, 0);
	en = site_render(dir);
	page = file_text(sl, "index.html");
	english = file_text(en, "index.html");
	g_assert_nonnull(strstr(page, "<html lang=\"en\">"));
	g_assert_nonnull(strstr(page, "class=\"p-name\" lang=\"sl\" "
	                              "dir=\"auto\">\xd7\xa1"));
	g_assert_nonnull(strstr(page, "class=\"p-location\" lang=\"sl\" "
	                              "dir=\"auto\">Ljubljana"));
	g_assert_nonnull(strstr(page, "class=\"e-description\" lang=\"sl\" "
	                              "dir=\"auto\">"));
	g_assert_nonnull(strstr(page, "class=\"p-category\" lang=\"sl\" "
	                              "dir=\"auto\">\xd7\x9b"));
	/* a cancelled title: evfeed's label outside the marks, which would
	 * make the heading left to right and read it in Slovenian */
	g_assert_nonnull(strstr(page,
	                        "<span class=\"status\">Cancelled:</span> "
	                        "<s lang=\"sl\" dir=\"auto\">"
	                        "\xd7\x9e"));
	/* a category's name, in the list and its page's heading too */
	g_assert_nonnull(strstr(page, "<summary lang=\"sl\" dir=\"auto\">"
	                              "\xd7\x9b"));
	{
		g_autofree char *cat = NULL;
		g_autofree char *slug = evf_slugify("\xd7\x9b\xd7\xa0\xd7\xa1");
		g_autofree char *path =
		    g_strdup_printf("category/%s/index.html", slug);

		cat = file_text(sl, path);
		g_assert_nonnull(strstr(cat, "<h1>Upcoming events: <span "
		                             "lang=\"sl\" dir=\"auto\">"
		                             "\xd7\x9b"));
	}
	g_assert_nonnull(strstr(english, "<html lang=\"en\">"));
	g_assert_nonnull(
	    strstr(english, "class=\"p-name\" dir=\"auto\">\xd7\xa1"));
	g_assert_null(strstr(english, "lang=\"sl\""));
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_cmpint(system(cmd), ==, 0);
}

/* A series without an end lasts an hour each time, also when its first
 * occurrence spans the change of the clocks: from 01:30 on the day they
 * go forward, an hour ends at 03:30 on the clock, and the two hours on
 * the clock of that day became every occurrence's length. The first is
 * an override that ends at 03:30; the others last PT1H. */
static void
test_series_default_end(void)
{
	static const char *const files[] = {
		"briefing.md",
		"---\ntitle: Daily briefing\nstart: 2026-03-29T01:30\n"
		"recurrence: FREQ=DAILY;COUNT=3\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *ics = file_text(s, "calendar.ics");

	g_assert_nonnull(strstr(ics, "\r\nDURATION:PT1H\r\n"));
	g_assert_null(strstr(ics, "DURATION:PT2H"));
	g_assert_nonnull(strstr(ics, "\r\nRECURRENCE-ID;TZID=Europe/Ljubljana:"
	                             "20260329T013000\r\n"));
	g_assert_nonnull(
	    strstr(ics, "\r\nDTEND;TZID=Europe/Ljubljana:20260329T033000\r\n"));
}

/* A series' UNTIL is an instant (UTC); the series runs in its zone's wall
 * time: the occurrence at 09:00 in Ljubljana on the day of UNTIL
 * 07:00Z is its last, and at NOW (14:00 there) it is still running, so
 * the event is on the page of upcoming events, not among the past ones. */
static void
test_page_series_until(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-until-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "drill.md", NULL);
	g_autoptr(Site) s = NULL;
	g_autofree char *cmd = NULL;
	GBytes *upcoming, *past;

	g_assert_true(g_file_set_contents(
	    file,
	    "---\n"
	    "title: Daily border drill\n"
	    "start: 2025-05-30T09:00\n"
	    "end: 2025-05-30T15:00\n"
	    "recurrence: FREQ=DAILY;UNTIL=20250601T070000Z\n"
	    "---\n",
	    -1, NULL));
	s = site_render(dir);
	upcoming = find_file(s, "index.html");
	past = find_file(s, "archive.html");
	g_assert_nonnull(upcoming);
	g_assert_nonnull(past);
	g_assert_nonnull(g_strstr_len(g_bytes_get_data(upcoming, NULL),
	                              (gssize)g_bytes_get_size(upcoming),
	                              "Daily border drill"));
	g_assert_null(g_strstr_len(g_bytes_get_data(past, NULL),
	                           (gssize)g_bytes_get_size(past),
	                           "Daily border drill"));
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_cmpint(system(cmd), ==, 0);
}

/* A page whose upcoming events all wait for their date lists them, and
 * does not say that there are none; with no event at all it does. */
static void
test_page_tba_only(void)
{
	static const char *const files[] = {
		"held.md",  "---\ntitle: Held\nstart: 2018-05-22\n---\n",
		"later.md", "---\ntitle: Later\nstart: tba\n---\n",
		NULL,
	};
	static const char *const none[] = { NULL };
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autoptr(Site) empty = site_of("Europe/Ljubljana", none);
	g_autofree char *page = file_text(s, "index.html");
	g_autofree char *archive = file_text(s, "archive.html");
	g_autofree char *nothing = file_text(empty, "index.html");
	g_autofree char *no_past = file_text(empty, "archive.html");
	g_autofree char *upcoming = NULL;

	g_assert_nonnull(strstr(page, "Date to be announced"));
	g_assert_nonnull(strstr(page, ">Later<"));
	g_assert_null(strstr(page, "No upcoming events"));
	g_assert_nonnull(strstr(archive, ">Held<"));
	/* with no event at all, neither page sends the reader to the
	 * other, which lists none either */
	g_assert_nonnull(strstr(nothing, "No upcoming events at the moment."));
	g_assert_null(strstr(nothing, "See the past events"));
	g_assert_nonnull(strstr(no_past, "No past events yet."));
	g_assert_null(strstr(no_past, "See the upcoming events"));
	/* with past events alone, the page of upcoming ones does */
	{
		static const char *const held[] = {
			"held.md",
			"---\ntitle: Held\nstart: 2018-05-22\n---\n",
			NULL,
		};
		g_autoptr(Site) only = site_of("Europe/Ljubljana", held);

		upcoming = file_text(only, "index.html");
		g_assert_nonnull(strstr(upcoming, "No upcoming events at the "
		                                  "moment. <a "));
		g_assert_nonnull(strstr(upcoming, "See the past events."));
	}
}

/* Months in order and each once: an all-day event is ordered by its date,
 * not at midnight UTC, against a timed event of the evening before in New
 * York (01:00 UTC the next day). */
static void
test_page_months_in_order(void)
{
	static const char *const files[] = {
		"feb.md",  "---\ntitle: Late\nstart: 2027-02-28T20:00\n---\n",
		"mar1.md", "---\ntitle: First\nstart: 2027-03-01\n---\n",
		"mar2.md", "---\ntitle: Second\nstart: 2027-03-02\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("America/New_York", files);
	g_autofree char *page = file_text(s, "index.html");
	g_autofree char *ics = file_text(s, "calendar.ics");
	const char *feb = strstr(page, ">February 2027<");
	const char *mar = strstr(page, ">March 2027<");

	g_assert_nonnull(feb);
	g_assert_nonnull(mar);
	g_assert_true(feb < mar);
	g_assert_cmpuint(count_of(page, ">March 2027<"), ==, 1);
	g_assert_true(strstr(page, "Late") < strstr(page, "First"));
	g_assert_true(strstr(page, "First") < strstr(page, "Second"));
	/* the calendar in the same order */
	g_assert_true(strstr(ics, "SUMMARY:Late") <
	              strstr(ics, "SUMMARY:First"));
}

/* A feed links an event without `url:` to its anchor on the site's page
 * that lists it: the archive once it is past, as the page judges it, in
 * the site's feeds and a category's alike. */
static void
test_link_past_to_archive(void)
{
	static const char *const files[] = {
		"held.md",
		"---\ntitle: Held\nstart: 2025-05-01T10:00\n"
		"categories: Border\n---\n",
		"coming.md",
		"---\ntitle: Coming\nstart: 2025-07-01T10:00\n"
		"categories: Border\n---\n",
		NULL,
	};
	static const char *const feeds[] = {
		"rss.xml",
		"atom.xml",
		"feed.json",
		"category/border/rss.xml",
		"category/border/atom.xml",
		"category/border/feed.json",
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *archive = file_text(s, "archive.html");
	g_autofree char *index = file_text(s, "index.html");

	g_assert_nonnull(strstr(archive, "id=\"held\""));
	g_assert_nonnull(strstr(index, "id=\"coming\""));
	for (gsize i = 0; i < G_N_ELEMENTS(feeds); i++) {
		g_autofree char *feed = file_text(s, feeds[i]);

		g_test_message("%s", feeds[i]);
		g_assert_nonnull(strstr(
		    feed, "https://events.example.org/archive.html#held"));
		g_assert_nonnull(
		    strstr(feed, "https://events.example.org/#coming"));
		g_assert_null(strstr(feed, "https://events.example.org/#held"));
	}
}

/* Whether the event of @file, which gives @warnings warnings, is on the
 * archive page. */
static gboolean
archived_warned(const char *file, guint warnings)
{
	const char *const files[] = { "ev.md", file, NULL };
	g_autoptr(Site) s =
	    site_of_warned("Europe/Ljubljana", NULL, files, warnings);
	g_autofree char *archive = file_text(s, "archive.html");
	g_autofree char *index = file_text(s, "index.html");
	gboolean past = strstr(archive, "id=\"ev\"") != NULL;

	g_assert_true(past != (strstr(index, "id=\"ev\"") != NULL));
	return past;
}

static gboolean
archived(const char *file)
{
	return archived_warned(file, 0);
}

/* A series with UNTIL is followed from shortly before now: the answer is
 * the one stepping from its start gives, with the steps of its INTERVAL
 * and BYDAY kept, and a series with more occurrences than are stepped
 * (an hourly one since 1990) ended when its UNTIL is past. */
static void
test_page_series_past(void)
{
	/* every other Tuesday from 7 January: the last before UNTIL is
	 * 27 May, over at NOW (1 June); 3 June is not in the series */
	g_assert_true(archived("---\ntitle: Every other Tuesday\n"
	                       "start: 2025-01-07T10:00\n"
	                       "recurrence: FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;"
	                       "UNTIL=20250605T000000Z\n---\n"));
	g_assert_false(archived("---\ntitle: Every other Tuesday\n"
	                        "start: 2025-01-07T10:00\n"
	                        "recurrence: FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;"
	                        "UNTIL=20250611T000000Z\n---\n"));
	/* every third day from 1 January: 31 May, then 3 June */
	g_assert_true(archived("---\ntitle: Every third day\n"
	                       "start: 2025-01-01\n"
	                       "recurrence: FREQ=DAILY;INTERVAL=3;"
	                       "UNTIL=20250602\n---\n"));
	g_assert_false(archived("---\ntitle: Every third day\n"
	                        "start: 2025-01-01\n"
	                        "recurrence: FREQ=DAILY;INTERVAL=3;"
	                        "UNTIL=20250603\n---\n"));
	/* the first Tuesday of every other month from January: 4 March,
	 * 6 May, then 1 July */
	g_assert_true(archived("---\ntitle: First Tuesdays\n"
	                       "start: 2025-01-07T10:00\n"
	                       "recurrence: FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU;"
	                       "UNTIL=20250630T000000Z\n---\n"));
	g_assert_false(archived("---\ntitle: First Tuesdays\n"
	                        "start: 2025-01-07T10:00\n"
	                        "recurrence: FREQ=MONTHLY;INTERVAL=2;"
	                        "BYDAY=1TU;UNTIL=20250702T000000Z\n---\n"));
	/* (24 a day: python-recurring-ical-events is warned of) */
	g_assert_true(archived_warned("---\ntitle: Hourly\n"
	                              "start: 1990-01-01T00:30\ntimezone: UTC\n"
	                              "recurrence: FREQ=HOURLY;"
	                              "UNTIL=20250101T000000Z\n---\n",
	                              1));
	g_assert_false(
	    archived_warned("---\ntitle: Hourly\n"
	                    "start: 1990-01-01T00:30\ntimezone: UTC\n"
	                    "recurrence: FREQ=HOURLY;"
	                    "UNTIL=20991231T000000Z\n---\n",
	                    1));
}

/* Each occurrence of a series lasts as long on the wall clock as the
 * first, as its DURATION says, though the first spans the end of summer
 * time (an hour more exactly): from Saturday 10:00 to Sunday 13:30 weekly
 * from 26 October 2024, the last, from 31 May 2025, had ended at 13:30
 * by NOW (1 June 2025, 14:00 in Ljubljana), not at 14:30; one to 14:30
 * had not. */
static void
test_page_series_past_wall_length(void)
{
	g_assert_true(archived("---\ntitle: Weekend\n"
	                       "start: 2024-10-26T10:00\n"
	                       "end: 2024-10-27T13:30\n"
	                       "recurrence: FREQ=WEEKLY;"
	                       "UNTIL=20250531T235959Z\n---\n"));
	g_assert_false(archived("---\ntitle: Weekend\n"
	                        "start: 2024-10-26T10:00\n"
	                        "end: 2024-10-27T14:30\n"
	                        "recurrence: FREQ=WEEKLY;"
	                        "UNTIL=20250531T235959Z\n---\n"));
}

/* Whether every id of @page is there once. */
static gboolean
ids_unique(const char *page)
{
	g_autoptr(GHashTable) seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (const char *p = page; (p = strstr(p, " id=\"")) != NULL;) {
		const char *v = p + strlen(" id=\"");
		const char *e = strchr(v, '"');

		g_assert_nonnull(e);
		if (!g_hash_table_add(seen, g_strndup(v, (gsize)(e - v)))) {
			g_test_message("id \"%.*s\" twice", (int)(e - v), v);
			return FALSE;
		}
		p = e;
	}
	return g_hash_table_size(seen) > 0;
}

/* The text of the article of id @id on @page, which must have it. */
static char *
article_of(const char *page, const char *id)
{
	g_autofree char *open = g_strdup_printf(" id=\"%s\"", id);
	const char *a = strstr(page, open);
	const char *e;

	g_assert_nonnull(a);
	e = strstr(a, "</article>");
	g_assert_nonnull(e);
	return g_strndup(a, (gsize)(e - a));
}

/* Where the article of id @id is on @page, which must have it once. */
static const char *
at(const char *page, const char *id)
{
	g_autofree char *open = g_strdup_printf(" id=\"%s\"", id);

	g_assert_cmpuint(count_of(page, open), ==, 1);
	return strstr(page, open);
}

/* A series that started months before now (1 June 2025, 14:00 in
 * Ljubljana) and still runs is listed under the month of its occurrence
 * then current or next, among that month's events in order of start, and
 * its article says when that is; one that has not started yet, at its
 * start, as a single event. */
static void
test_page_series_running(void)
{
	static const char *const files[] = {
		"weekly.md",
		"---\ntitle: Weekly\nstart: 2025-01-06T18:00\n"
		"end: 2025-01-06T20:00\nrecurrence: FREQ=WEEKLY\n---\n",
		"daily.md",
		"---\ntitle: Daily\nstart: 2025-01-01T13:00\n"
		"end: 2025-01-01T16:00\n"
		"recurrence: FREQ=DAILY;UNTIL=20251231T120000Z\n---\n",
		"before.md",
		"---\ntitle: Before\nstart: 2025-06-02T10:00\n---\n",
		"after.md",
		"---\ntitle: After\nstart: 2025-06-20T10:00\n---\n",
		"later.md",
		"---\ntitle: Later\nstart: 2025-07-15T10:00\n---\n",
		"august.md",
		"---\ntitle: August\nstart: 2025-08-04T18:00\n"
		"recurrence: FREQ=WEEKLY;COUNT=4\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *page = file_text(s, "index.html");
	g_autofree char *archive = file_text(s, "archive.html");
	g_autofree char *weekly = article_of(page, "weekly");
	g_autofree char *daily = article_of(page, "daily");
	g_autofree char *august = article_of(page, "august");
	const char *june = strstr(page, ">June 2025<");
	const char *july = strstr(page, ">July 2025<");

	g_assert_null(strstr(page, ">January 2025<"));
	g_assert_nonnull(june);
	g_assert_nonnull(july);
	g_assert_cmpuint(count_of(page, ">June 2025<"), ==, 1);
	g_assert_cmpuint(count_of(page, ">July 2025<"), ==, 1);
	/* the daily one is on now (13:00–16:00), the weekly one next on
	 * Monday 2 June at 18:00 */
	g_assert_true(june < at(page, "daily"));
	g_assert_true(at(page, "daily") < at(page, "before"));
	g_assert_true(at(page, "before") < at(page, "weekly"));
	g_assert_true(at(page, "weekly") < at(page, "after"));
	g_assert_true(at(page, "after") < july);
	g_assert_true(july < at(page, "later"));
	g_assert_true(at(page, "later") < strstr(page, ">August 2025<"));
	g_assert_true(strstr(page, ">August 2025<") < at(page, "august"));
	g_assert_nonnull(strstr(weekly,
	                        "<dt>Next</dt><dd><time "
	                        "datetime=\"2025-06-02T18:00:00+02:00\">"
	                        "2 June 2025, 18:00\u201320:00 "
	                        "(Europe/Ljubljana)</time></dd>"));
	/* the first date stays the series' start */
	g_assert_nonnull(strstr(weekly, ">6 January 2025, 18:00\u201320:00 "
	                                "(Europe/Ljubljana)</time>"));
	g_assert_nonnull(strstr(daily, "<dt>Next</dt><dd><time "
	                               "datetime=\"2025-06-01T13:00:00+02:00\">"
	                               "1 June 2025, 13:00\u201316:00 "
	                               "(Europe/Ljubljana)</time></dd>"));
	g_assert_null(strstr(august, "<dt>Next</dt>"));
	g_assert_null(strstr(archive, "id=\"weekly\""));
	g_assert_null(strstr(archive, "<dt>Next</dt>"));
	g_assert_true(ids_unique(page));
}

/* Hourly series with an interval: the occurrence named is one of the
 * rule's (libical's set_start moves the grid of an hourly rule, so the
 * skip ahead starts the rule afresh on its own grid), and a series whose
 * last occurrence is still to come is not past. At now, 1 June 2025 12:00
 * UTC. */
static void
test_page_series_running_grid(void)
{
	static const char *const files[] = {
		"five-hours.md",
		"---\ntitle: Five hours\nstart: 2025-04-01T03:00\n"
		"end: 2025-04-01T03:30\nrecurrence: FREQ=HOURLY;INTERVAL=5\n---\n",
		"seven-hours.md",
		"---\ntitle: Seven hours\nstart: 2025-05-20T01:00\n"
		"end: 2025-05-20T01:10\nrecurrence: FREQ=HOURLY;INTERVAL=7\n---\n",
		"until.md",
		"---\ntitle: Until\nstart: 2025-04-01T03:00\n"
		"end: 2025-04-01T03:30\n"
		"recurrence: FREQ=HOURLY;INTERVAL=5;UNTIL=20250601T140000Z\n---\n",
		NULL,
	};
	/* (each several times a day: python-recurring-ical-events is
	 * warned of) */
	g_autoptr(Site) s = site_of_warned("UTC", NULL, files, 3);
	g_autofree char *page = file_text(s, "index.html");
	g_autofree char *archive = file_text(s, "archive.html");
	g_autofree char *five = article_of(page, "five-hours");
	g_autofree char *seven = article_of(page, "seven-hours");
	g_autofree char *until = article_of(page, "until");

	/* 1475 hours (295 × 5) after the start */
	g_assert_nonnull(strstr(five, "datetime=\"2025-06-01T14:00:00Z\">"
	                              "1 June 2025, 14:00\u201314:30 (UTC)"));
	/* 301 hours (43 × 7) after the start */
	g_assert_nonnull(strstr(seven, "datetime=\"2025-06-01T14:00:00Z\">"
	                               "1 June 2025, 14:00\u201314:10 (UTC)"));
	g_assert_nonnull(strstr(until, "datetime=\"2025-06-01T14:00:00Z\">"));
	g_assert_null(strstr(archive, "id=\"until\""));
}

/* All-day series: a yearly one is listed on its next date, before the
 * timed events of that day and after the days before it; one of three
 * days that is on at now, under the month it began in, May. */
static void
test_page_series_running_all_day(void)
{
	static const char *const files[] = {
		"yearly.md",
		"---\ntitle: Yearly\nstart: 2020-03-10\n"
		"recurrence: FREQ=YEARLY\n---\n",
		"festival.md",
		"---\ntitle: Festival\nstart: 2020-05-30\nend: 2020-06-01\n"
		"recurrence: FREQ=YEARLY\n---\n",
		"december.md",
		"---\ntitle: December\nstart: 2025-12-01\n---\n",
		"first.md",
		"---\ntitle: First\nstart: 2026-03-01\n---\n",
		"same-day.md",
		"---\ntitle: Same day\nstart: 2026-03-10T09:00\n---\n",
		"june.md",
		"---\ntitle: June\nstart: 2025-06-05\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *page = file_text(s, "index.html");
	g_autofree char *yearly = article_of(page, "yearly");
	g_autofree char *festival = article_of(page, "festival");
	const char *may = strstr(page, ">May 2025<");
	const char *june = strstr(page, ">June 2025<");
	const char *march = strstr(page, ">March 2026<");

	g_assert_null(strstr(page, ">March 2020<"));
	g_assert_null(strstr(page, ">May 2020<"));
	g_assert_nonnull(may);
	g_assert_nonnull(june);
	g_assert_nonnull(march);
	g_assert_true(may < at(page, "festival"));
	g_assert_true(at(page, "festival") < june);
	g_assert_true(june < at(page, "june"));
	g_assert_true(at(page, "june") < at(page, "december"));
	g_assert_true(at(page, "december") < march);
	g_assert_true(march < at(page, "first"));
	g_assert_true(at(page, "first") < at(page, "yearly"));
	g_assert_true(at(page, "yearly") < at(page, "same-day"));
	g_assert_nonnull(strstr(yearly, "<dt>Next</dt><dd><time "
	                                "datetime=\"2026-03-10\">10 March 2026"
	                                "</time></dd>"));
	g_assert_nonnull(strstr(festival, "<dt>Next</dt><dd><time "
	                                  "datetime=\"2025-05-30\">30 May "
	                                  "\u2013 1 June 2025</time></dd>"));
	g_assert_true(ids_unique(page));
}

/* A series in another zone than the site's is listed on the day of its
 * next occurrence in its own zone, at its wall time there (21:00 in New
 * York, in summer time now where it began in winter): after a Ljubljana
 * event of the same day, before one of the next day that starts earlier
 * as an instant. */
static void
test_page_series_running_zone(void)
{
	static const char *const files[] = {
		"ny.md",
		"---\ntitle: New York\nstart: 2025-01-06T21:00\n"
		"end: 2025-01-06T22:00\ntimezone: America/New_York\n"
		"recurrence: FREQ=WEEKLY\n---\n",
		"evening.md",
		"---\ntitle: Evening\nstart: 2025-06-02T23:00\n---\n",
		"night.md",
		"---\ntitle: Night\nstart: 2025-06-03T02:00\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *page = file_text(s, "index.html");
	g_autofree char *ny = article_of(page, "ny");

	g_assert_null(strstr(page, ">January 2025<"));
	g_assert_true(strstr(page, ">June 2025<") < at(page, "evening"));
	g_assert_true(at(page, "evening") < at(page, "ny"));
	g_assert_true(at(page, "ny") < at(page, "night"));
	g_assert_nonnull(strstr(ny, "<dt>Next</dt><dd><time "
	                            "datetime=\"2025-06-02T21:00:00-04:00\">"
	                            "2 June 2025, 21:00\u201322:00 "
	                            "(America/New_York)</time></dd>"));
}

/* A series written with an offset from UTC is listed, and its occurrence
 * shown, on the day of that offset: at -12:00 the occurrence that runs at
 * the site's last change (1 June 2025, 11:00–13:00 UTC) is on 31 May. */
static void
test_page_series_running_offset(void)
{
	static const char *const files[] = {
		"baker.md",
		"---\ntitle: Baker Island\nstart: 2025-01-04T23:00-12:00\n"
		"end: 2025-01-05T01:00-12:00\nrecurrence: FREQ=WEEKLY\n---\n",
		"june.md",
		"---\ntitle: June\nstart: 2025-06-01T18:00\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *page = file_text(s, "index.html");
	g_autofree char *baker = article_of(page, "baker");

	g_assert_true(strstr(page, ">May 2025<") < at(page, "baker"));
	g_assert_true(at(page, "baker") < strstr(page, ">June 2025<"));
	g_assert_true(strstr(page, ">June 2025<") < at(page, "june"));
	g_assert_nonnull(strstr(baker, "<dt>Next</dt><dd><time "
	                               "datetime=\"2025-06-01T11:00:00Z\">"
	                               "31 May 2025, 23:00 \u2013 1 June 2025, "
	                               "01:00 (UTC-12:00)</time></dd>"));
}

/* The article of a running series is kept on the event from one build to
 * the next, as every article is, but made again when the next occurrence
 * moves with the time of the build; built again at the first time, the
 * page is the first's. */
static void
test_page_series_running_later(void)
{
	static const char *const files[] = {
		"weekly.md",
		"---\ntitle: Weekly\nstart: 2025-01-06T18:00\n"
		"end: 2025-01-06T20:00\nrecurrence: FREQ=WEEKLY\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *first = file_text(s, "index.html");
	g_autoptr(GPtrArray) later = NULL;
	g_autoptr(GPtrArray) again = NULL;
	g_autoptr(GError) error = NULL;
	const char *next = "<time datetime=\"2025-06-09T18:00:00+02:00\">"
	                   "9 June 2025, 18:00\u201320:00";

	g_assert_null(strstr(first, next));
	later = evf_render_site(s->cfg, s->events, NULL, NULL, NULL, NULL,
	                        s->updated, 0, s->updated + 7 * G_TIME_SPAN_DAY,
	                        NULL, NULL, NULL, &error);
	g_assert_no_error(error);
	again = evf_render_site(s->cfg, s->events, NULL, NULL, NULL, NULL,
	                        s->updated, 0, s->updated, NULL, NULL, NULL,
	                        &error);
	g_assert_no_error(error);
	for (guint i = 0; i < later->len; i++) {
		EvfFile *a = g_ptr_array_index(later, i);
		EvfFile *b = g_ptr_array_index(again, i);
		g_autofree char *text = NULL;

		if (strcmp(a->path, "index.html") != 0)
			continue;
		text = g_strndup(g_bytes_get_data(a->bytes, NULL),
		                 g_bytes_get_size(a->bytes));
		g_assert_nonnull(strstr(text, next));
		g_assert_null(strstr(text, "2 June 2025, 18:00"));
		g_assert_cmpmem(first, strlen(first),
		                g_bytes_get_data(b->bytes, NULL),
		                g_bytes_get_size(b->bytes));
	}
}

/* (transfer full): the text of the file @path of @files, a rendering. */
static char *
rendered_text(GPtrArray *files, const char *path)
{
	for (guint i = 0; i < files->len; i++) {
		EvfFile *f = g_ptr_array_index(files, i);

		if (strcmp(f->path, path) == 0)
			return g_strndup(g_bytes_get_data(f->bytes, NULL),
			                 g_bytes_get_size(f->bytes));
	}
	g_assert_not_reached();
}

/* The site's files rendered at @now, with what evf_render_site says of
 * how long they hold in @until. */
static GPtrArray *
render_at(Site *s, gint64 now, gint64 *until)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *files =
	    evf_render_site(s->cfg, s->events, NULL, NULL, NULL, NULL,
	                    s->updated, 0, now, NULL, until, NULL, &error);

	g_assert_no_error(error);
	return files;
}

/* µs of a UTC time. */
static gint64
utc_us(int year, int month, int day, int hour, int minute)
{
	g_autoptr(GDateTime) t =
	    g_date_time_new_utc(year, month, day, hour, minute, 0);

	return g_date_time_to_unix(t) * G_USEC_PER_SEC;
}

/* An event that ends on 2 June 2025 at 12:00 in Ljubljana, and an all-day
 * one on 20 and 21 June. */
#define ENDS_FIRST                                          \
	"---\ntitle: Ends first\nstart: 2025-06-02T10:00\n" \
	"end: 2025-06-02T12:00\n---\n"
#define ENDS_LATER \
	"---\ntitle: Ends later\nstart: 2025-06-20\nend: 2025-06-21\n---\n"

/* What is past is judged at the time of the build, not at the site's last
 * change (a site without edits kept an ended event under "upcoming" for
 * ever): an event that has ended since moves to the archive, a running
 * series to its next occurrence, and the footer still gives the last
 * change. The files hold, and evf_render_site says so, until the next
 * end: built again before it, they are the same bytes. */
static void
test_page_past_at_build_time(void)
{
	static const char *const files[] = {
		"a.md",
		ENDS_FIRST,
		"b.md",
		ENDS_LATER,
		"c.md",
		"---\ntitle: Weekly\nstart: 2025-06-03T18:00\n"
		"end: 2025-06-03T20:00\nrecurrence: FREQ=WEEKLY;COUNT=3\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	const char *footer = "<time datetime=\"2025-06-01T14:00:00+02:00\">"
	                     "1 June 2025, 14:00 (Europe/Ljubljana)</time>";
	gint64 until = 0;
	g_autoptr(GPtrArray) first = render_at(s, s->updated, &until);
	g_autoptr(GPtrArray) later = NULL;
	g_autoptr(GPtrArray) before_next = NULL;
	g_autofree char *index = NULL;
	g_autofree char *archive = NULL;

	g_assert_cmpint(s->updated, ==, NOW);
	/* the first end: a's, 12:00 in Ljubljana */
	g_assert_cmpint(until, ==, utc_us(2025, 6, 2, 10, 0));
	index = rendered_text(first, "index.html");
	g_assert_nonnull(strstr(index, ">Ends first<"));
	g_clear_pointer(&index, g_free);

	/* 5 June: a has ended, and c's first occurrence */
	later = render_at(s, utc_us(2025, 6, 5, 0, 0), &until);
	g_assert_cmpint(until, ==, utc_us(2025, 6, 10, 18, 0));
	index = rendered_text(later, "index.html");
	archive = rendered_text(later, "archive.html");
	g_assert_null(strstr(index, ">Ends first<"));
	g_assert_nonnull(strstr(archive, ">Ends first<"));
	g_assert_nonnull(strstr(index, ">Ends later<"));
	g_assert_nonnull(strstr(index, "10 June 2025, 18:00"));
	g_assert_nonnull(strstr(index, footer));
	g_assert_nonnull(strstr(archive, footer));

	/* a moment before c's second occurrence ends: the same bytes */
	before_next = render_at(s, until - 1, NULL);
	g_assert_cmpuint(before_next->len, ==, later->len);
	for (guint i = 0; i < later->len; i++) {
		EvfFile *a = g_ptr_array_index(later, i);
		EvfFile *b = g_ptr_array_index(before_next, i);

		g_assert_cmpstr(a->path, ==, b->path);
		g_assert_true(g_bytes_equal(a->bytes, b->bytes));
	}
	/* A clock set back before the last change: judged at the change. */
	g_clear_pointer(&later, g_ptr_array_unref);
	later = render_at(s, s->updated - G_TIME_SPAN_DAY, &until);
	g_assert_cmpint(until, ==, utc_us(2025, 6, 2, 10, 0));
}

/* [feeds] past_days counts back from the time of the build: an event
 * leaves the calendars that many days after it ends, without an edit, and
 * evf_render_site says when. */
static void
test_calendar_past_days_at_build_time(void)
{
	static const char *const files[] = {
		"a.md", ENDS_FIRST, "b.md", ENDS_LATER, NULL,
	};
	g_autoptr(Site) s =
	    site_of_with("Europe/Ljubljana", "past_days=3\n", files);
	gint64 until = 0;
	g_autoptr(GPtrArray) kept = NULL;
	g_autoptr(GPtrArray) left = NULL;
	g_autofree char *ics = NULL;

	/* a ended on 2 June, 10:00 UTC: kept until 5 June, 10:00 UTC */
	kept = render_at(s, utc_us(2025, 6, 5, 9, 0), &until);
	g_assert_cmpint(until, ==, utc_us(2025, 6, 5, 10, 0));
	ics = rendered_text(kept, "calendar.ics");
	g_assert_nonnull(strstr(ics, "SUMMARY:Ends first"));
	g_clear_pointer(&ics, g_free);
	left = render_at(s, until, &until);
	ics = rendered_text(left, "calendar.ics");
	g_assert_null(strstr(ics, "SUMMARY:Ends first"));
	g_assert_nonnull(strstr(ics, "SUMMARY:Ends later"));
	/* then b's end (21 June, the end of the day in Ljubljana) */
	g_assert_cmpint(until, ==, utc_us(2025, 6, 21, 22, 0));
}

/* (transfer full): the configuration of a new site folder (into *@dir)
 * whose events folder holds one event file (into *@event). */
static EvfConfig *
one_event_site(char **dir, char **event, GPtrArray *diags)
{
	g_autofree char *events = NULL;
	g_autofree char *conf = NULL;
	EvfConfig *cfg;

	*dir = g_dir_make_tmp("evfeed-site-XXXXXX", NULL);
	events = g_build_filename(*dir, "events", NULL);
	*event = g_build_filename(events, "a.md", NULL);
	conf = g_build_filename(*dir, "evfeed.conf", NULL);
	g_assert_cmpint(g_mkdir_with_parents(events, 0755), ==, 0);
	g_assert_true(g_file_set_contents(
	    *event, "---\ntitle: A\nstart: 2027-01-01\n---\n", -1, NULL));
	g_assert_true(g_file_set_contents(
	    conf,
	    "[site]\ntitle=T\nurl=https://events.example.org/\n"
	    "[paths]\nevents=events\noutput=public\nstate=state.db\n",
	    -1, NULL));
	cfg = evf_config_load(conf, diags);
	g_assert_nonnull(cfg);
	return cfg;
}

/* Reads @dir's events with every file descriptor taken but one (the
 * folder's): as under a flood of connections to the daemon. */
static GPtrArray *
read_out_of_files(const EvfConfig *cfg, GPtrArray *diags, GError **error)
{
	g_autoptr(GArray) held = g_array_new(FALSE, FALSE, sizeof(int));
	g_autofree char *digest = NULL;
	struct rlimit old, low;
	GPtrArray *files;
	GDir *fds = g_dir_open("/proc/self/fd", 0, NULL);
	const char *name;
	int top = 0;
	int fd;

	g_assert_nonnull(fds);
	while ((name = g_dir_read_name(fds)) != NULL)
		top = MAX(top, atoi(name));
	g_dir_close(fds);
	g_assert_cmpint(getrlimit(RLIMIT_NOFILE, &old), ==, 0);
	low = old;
	low.rlim_cur = (rlim_t)top + 2;
	g_assert_cmpint(setrlimit(RLIMIT_NOFILE, &low), ==, 0);
	while ((fd = dup(2)) >= 0)
		g_array_append_val(held, fd);
	g_assert_cmpuint(held->len, >, 0);
	close(g_array_index(held, int, held->len - 1));
	g_array_set_size(held, held->len - 1);
	files = evf_catalog_read(cfg, NULL, diags, &digest, error);
	for (guint i = 0; i < held->len; i++)
		close(g_array_index(held, int, i));
	g_assert_cmpint(setrlimit(RLIMIT_NOFILE, &old), ==, 0);
	return files;
}

/* A machine out of file descriptors (a flood of connections to the
 * daemon) is not the event files' fault: reading them says so as an error
 * that passes, which the daemon tries again after a while, not as a
 * diagnostic of a file, which waits for the next edit. Without a place
 * for that error, it is a diagnostic still. */
static void
test_catalog_read_out_of_files(void)
{
	g_autofree char *dir = NULL;
	g_autofree char *event = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfConfig) cfg = one_event_site(&dir, &event, diags);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(GError) error = NULL;

	files = read_out_of_files(cfg, diags, &error);
	g_assert_null(files);
	g_assert_error(error, EVF_ERROR, EVF_ERROR_IO);
	g_assert_nonnull(strstr(error->message, "a.md"));
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);

	files = read_out_of_files(cfg, diags, NULL);
	g_assert_cmpuint(files != NULL ? files->len : 0, ==, 0);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 1);
	g_assert_cmpint(system(cmd), ==, 0);
}

/* A word from the events folder's monitor brings nothing to build when
 * the folder's event files are as the last read found them: not before
 * a first read, not for a name that is no event file's (a file the build
 * warns of), and not once a file came, went or changed. */
static void
test_catalog_cache_as_read(void)
{
	g_autofree char *dir = NULL;
	g_autofree char *a = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfConfig) cfg = one_event_site(&dir, &a, diags);
	g_autofree char *b = g_build_filename(dir, "events", "b.md", NULL);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_autoptr(EvfCatalogCache) cache = evf_catalog_cache_new();
	g_autoptr(GPtrArray) files = NULL;
	g_autofree char *digest = NULL;
	struct timespec then[2] = { { 1700000000, 5 }, { 1700000000, 5 } };
	int fd;

	/* (dated long ago, to the nanosecond: no read is in its second) */
	g_assert_cmpint(utimensat(AT_FDCWD, a, then, 0), ==, 0);

	g_assert_false(evf_catalog_cache_as_read(cfg, cache, "a.md", NULL));
	files = evf_catalog_read(cfg, cache, diags, &digest, NULL);
	g_assert_nonnull(files);
	g_assert_true(evf_catalog_cache_as_read(cfg, cache, "a.md", NULL));
	g_assert_false(evf_catalog_cache_as_read(cfg, cache, NULL, NULL));
	/* a move to or from a name that is no event file's */
	g_assert_false(evf_catalog_cache_as_read(cfg, cache, "a.md", "a.md~"));
	g_assert_false(
	    evf_catalog_cache_as_read(cfg, cache, ".a.md.swp", "a.md"));
	g_assert_false(
	    evf_catalog_cache_as_read(cfg, cache, "a.markdown", NULL));
	g_assert_false(
	    evf_catalog_cache_as_read(cfg, cache, ".a.md.swp", NULL));
	/* opened for writing and closed, nothing written */
	fd = open(a, O_WRONLY | O_APPEND);
	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(evf_catalog_cache_as_read(cfg, cache, "a.md", NULL));
	/* a file that came: a word about any event file brings it */
	g_assert_true(g_file_set_contents(
	    b, "---\ntitle: B\nstart: 2027-01-02\n---\n", -1, NULL));
	g_assert_false(evf_catalog_cache_as_read(cfg, cache, "a.md", NULL));
	g_clear_pointer(&files, g_ptr_array_unref);
	g_clear_pointer(&digest, g_free);
	files = evf_catalog_read(cfg, cache, diags, &digest, NULL);
	/* (b.md was written in this second: a change later in it would
	 * keep its times on a file system of whole seconds, not on this
	 * one) */
	g_assert_true(evf_catalog_cache_as_read(cfg, cache, "b.md", NULL));
	/* one changed in place, its times set back as they were */
	g_assert_true(g_file_set_contents(
	    a, "---\ntitle: Z\nstart: 2027-01-01\n---\n", -1, NULL));
	g_assert_cmpint(utimensat(AT_FDCWD, a, then, 0), ==, 0);
	g_assert_false(evf_catalog_cache_as_read(cfg, cache, "b.md", NULL));
	g_clear_pointer(&files, g_ptr_array_unref);
	g_clear_pointer(&digest, g_free);
	files = evf_catalog_read(cfg, cache, diags, &digest, NULL);
	g_assert_true(evf_catalog_cache_as_read(cfg, cache, "a.md", NULL));
	/* one gone */
	g_assert_cmpint(unlink(b), ==, 0);
	g_assert_false(evf_catalog_cache_as_read(cfg, cache, "b.md", NULL));
	/* the folder gone: nothing can be told */
	g_assert_cmpint(system(cmd), ==, 0);
	g_assert_false(evf_catalog_cache_as_read(cfg, cache, "a.md", NULL));
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
}

/* Event files named as the page's own ids (main, subscribe, tba,
 * categories, a month's) give their events anchors of their own. */
static void
test_page_ids_unique(void)
{
	static const char *const names[] = {
		"main.md",       "subscribe.md",    "subscribe-h.md", "tba.md",
		"categories.md", "categories-h.md", "m-2027-02.md",
	};
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(Site) s = NULL;
	g_autofree char *index = NULL;
	g_autofree char *archive = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_ptr_array_add(files, g_strdup(names[i]));
		g_ptr_array_add(
		    files, g_strdup_printf("---\ntitle: Event %zu\nstart: %s\n"
		                           "categories: Border\n---\n",
		                           i, i == 3 ? "tba" : "2027-02-10"));
	}
	g_ptr_array_add(files, NULL);
	s = site_of("Europe/Ljubljana", (const char *const *)files->pdata);
	index = file_text(s, "index.html");
	archive = file_text(s, "archive.html");
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *stem =
		    g_strndup(names[i], strlen(names[i]) - strlen(".md"));
		g_autofree char *id = g_strdup_printf(" id=\"%s\"", stem);

		g_assert_cmpuint(count_of(index, id), ==, 1);
	}
	g_assert_true(ids_unique(index));
	g_assert_true(ids_unique(archive));
}

/* A cancelled event whose title says so is not "Cancelled: CANCELLED: …"
 * on the page, as in the calendar; and a tba event without a link has no
 * empty paragraph of actions. */
static void
test_page_title_and_actions(void)
{
	static const char *const files[] = {
		"said.md",
		"---\ntitle: \"CANCELLED: Border workshop\"\n"
		"start: 2027-02-10\nstatus: cancelled\n---\n",
		"unsaid.md",
		"---\ntitle: Border drill\nstart: 2027-02-11\n"
		"status: cancelled\n---\n",
		"later.md",
		"---\ntitle: Later\nstart: tba\n---\n",
		NULL,
	};
	g_autoptr(Site) s = site_of("Europe/Ljubljana", files);
	g_autofree char *index = file_text(s, "index.html");

	g_assert_nonnull(
	    strstr(index, "<s dir=\"auto\">CANCELLED: Border workshop</s>"));
	g_assert_cmpuint(count_of(index, ">Cancelled:</span>"), ==, 1);
	g_assert_nonnull(strstr(index, "<s dir=\"auto\">Border drill</s>"));
	g_assert_null(strstr(index, "<p class=\"actions\"></p>"));
}

/* (transfer full): what evf_xml_event writes of @ev. */
static char *
xml_event_text(const EvfEvent *ev)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	char *out;

	g_assert_cmpint(xmlTextWriterStartElement(w, BAD_CAST "item"), >=, 0);
	g_assert_true(evf_xml_event(w, ev));
	g_assert_cmpint(xmlTextWriterEndDocument(w), >=, 0);
	xmlFreeTextWriter(w);
	out = g_strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return out;
}

/* A timed event that ends at its start (a partner's item without DTEND
 * or ev:enddate) has no ev:enddate in the feeds, as it has no DTEND in
 * the calendars: one equal to ev:startdate is read (by evfeed too, from
 * another site's feed) as a mistake, and an hour made up. */
static void
test_feed_no_enddate_without_end(void)
{
	g_autoptr(EvfEvent) ev = evf_event_new();
	g_autofree char *at_start = NULL;
	g_autofree char *with_end = NULL;

	ev->title = g_strdup("Police cooperation meeting");
	ev->start = g_date_time_new_utc(2027, 3, 10, 9, 0, 0);
	ev->end = g_date_time_ref(ev->start);
	at_start = xml_event_text(ev);
	g_assert_nonnull(strstr(at_start, "<ev:startdate>2027-03-10T09:00:00Z"
	                                  "</ev:startdate>"));
	g_assert_null(strstr(at_start, "ev:enddate"));
	g_date_time_unref(ev->end);
	ev->end = g_date_time_add_hours(ev->start, 2);
	with_end = xml_event_text(ev);
	g_assert_nonnull(
	    strstr(with_end, "<ev:enddate>2027-03-10T11:00:00Z</ev:enddate>"));
}

/* A cancelled event's title says so once: "Cancelled: " comes first
 * unless the editor or the partner wrote it already, as a mark before the
 * title, not as a word of it ("Cancelled flights: …"). */
static void
test_cancelled_title(void)
{
	static const char *const cases[][2] = {
		{ "Border workshop", "Cancelled: Border workshop" },
		{ "CANCELLED: Border workshop", "CANCELLED: Border workshop" },
		{ "[Canceled] Border workshop", "[Canceled] Border workshop" },
		{ "Cancelled - Border meeting", "Cancelled - Border meeting" },
		{ "Cancelled \u2013 Border meeting",
		  "Cancelled \u2013 Border meeting" },
		{ "(cancelled) Border meeting", "(cancelled) Border meeting" },
		{ "CANCELLED Border meeting", "CANCELLED Border meeting" },
		{ "Cancelled", "Cancelled" },
		{ "Cancellation policy workshop",
		  "Cancelled: Cancellation policy workshop" },
		{ "Cancelled-flights forum",
		  "Cancelled: Cancelled-flights forum" },
		{ "Cancelled flights: passenger rights forum",
		  "Cancelled: Cancelled flights: passenger rights forum" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(EvfEvent) ev = evf_event_new();
		g_autofree char *shown = NULL;
		g_autofree char *confirmed = NULL;

		ev->title = g_strdup(cases[i][0]);
		ev->status = EVF_STATUS_CANCELLED;
		shown = evf_event_display_title(ev);
		g_assert_cmpstr(shown, ==, cases[i][1]);
		ev->status = EVF_STATUS_CONFIRMED;
		confirmed = evf_event_display_title(ev);
		g_assert_cmpstr(confirmed, ==, cases[i][0]);
	}
}

/* Threads that look up and build libical's built-in zones at once, as a
 * build's parsing threads do: the zones of zone1970.tab, a fourth in
 * each of four threads (under AddressSanitizer, a use after free without
 * the lock in tz.c). Registered first: most zones load here. */
typedef struct {
	GPtrArray *names;
	guint first; /* this thread's: every fourth from here */
} ZonesSlice;

static gpointer
zones_thread(gpointer data)
{
	ZonesSlice *z = data;

	for (guint i = z->first; i < z->names->len; i += 4) {
		const char *name = g_ptr_array_index(z->names, i);
		g_autoptr(GTimeZone) tz = evf_tz_new(name, NULL);

		g_assert_nonnull(tz);
		(void)evf_tz_regular_from(name);
	}
	return NULL;
}

static void
test_tz_threads(void)
{
	g_autoptr(GPtrArray) names = zone1970_names();
	GThread *threads[4];
	ZonesSlice slices[4];

	if (names == NULL)
		return;
	for (guint t = 0; t < G_N_ELEMENTS(threads); t++) {
		slices[t] = (ZonesSlice){ names, t };
		threads[t] = g_thread_new("zones", zones_thread, &slices[t]);
	}
	for (guint t = 0; t < G_N_ELEMENTS(threads); t++)
		g_thread_join(threads[t]);
}

/* A partner's calendar with a weekly series (Mondays 16:00 UTC, 200 of
 * them from 6 January 2025, that of 9 June 2025 cancelled) and a single
 * event. */
static const char partner_series[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PA//Test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:seminar@pa.example\r\n"
    "DTSTAMP:20250101T000000Z\r\nDTSTART:20250106T160000Z\r\n"
    "DTEND:20250106T170000Z\r\nRRULE:FREQ=WEEKLY;COUNT=200\r\n"
    "SUMMARY:Weekly seminar\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:seminar@pa.example\r\n"
    "RECURRENCE-ID:20250609T160000Z\r\n"
    "DTSTAMP:20250101T000000Z\r\nDTSTART:20250609T160000Z\r\n"
    "DTEND:20250609T170000Z\r\nSTATUS:CANCELLED\r\n"
    "SUMMARY:Weekly seminar\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:talk@pa.example\r\n"
    "DTSTAMP:20250101T000000Z\r\nDTSTART:20250610T160000Z\r\n"
    "DTEND:20250610T170000Z\r\nSUMMARY:A single talk\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

/* A weekly series whose next occurrence (2 June 2025, the day after NOW)
 * is moved to the afternoon, to another room, with a note of its own. */
static const char partner_series_moved_once[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PA//Test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:jour-fixe@pa.example\r\n"
    "DTSTAMP:20250101T000000Z\r\nDTSTART:20250526T080000Z\r\n"
    "DTEND:20250526T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n"
    "SUMMARY:Jour fixe\r\nLOCATION:Room 2\r\n"
    "DESCRIPTION:The partners meet every Monday.\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:jour-fixe@pa.example\r\n"
    "RECURRENCE-ID:20250602T080000Z\r\n"
    "DTSTAMP:20250101T000000Z\r\nDTSTART:20250602T123000Z\r\n"
    "DTEND:20250602T133000Z\r\nSUMMARY:Jour fixe (afternoon)\r\n"
    "LOCATION:Room 5\r\nDESCRIPTION:Moved to the afternoon this week.\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

/* Renders @s's own events with @imp's as those of its source "pa",
 * tracked in @s's state at @now, into @s->files. */
static void
render_with_import(Site *s, EvfImport *imp, gint64 now)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) partners =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(EvfStore) store = NULL;
	gint64 updated;

	g_hash_table_insert(partners, "pa", imp->events);
	events = evf_merge(s->cfg, s->events, partners, NULL);
	store = evf_store_open(s->cfg->state_path, &error);
	g_assert_no_error(error);
	g_assert_true(evf_store_track(store, events, now, &updated, &error));
	g_ptr_array_unref(s->files);
	s->files =
	    evf_render_site(s->cfg, events, NULL, NULL, NULL, NULL, updated, 0,
	                    updated, NULL, NULL, NULL, &error);
	g_assert_no_error(error);
}

/* As render_with_import, with the partner's calendar (partner_series) as
 * fetched at @now, which moves the window of its series' occurrences. */
static void
render_with_partner(Site *s, gint64 now)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp =
	    evf_import_ics(partner_series, strlen(partner_series),
	                   "https://pa.example/", now, &error);
	guint occurrences = 0;

	g_assert_no_error(error);
	for (guint i = 0; i < imp->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(imp->events, i);

		if (g_strcmp0(ev->series, "seminar@pa.example") == 0)
			occurrences++;
	}
	g_assert_cmpuint(occurrences, ==, EVF_IMPORT_MAX_OCCURRENCES);
	render_with_import(s, imp, now);
}

/* (transfer full): the text of the one element @name ("guid") in the
 * item of @feed whose title is @title. */
static char *
item_element(const char *feed, const char *title, const char *name)
{
	g_autofree char *t = g_strdup_printf("<title>%s</title>", title);
	g_autofree char *open = g_strdup_printf("<%s", name);
	g_autofree char *close = g_strdup_printf("</%s>", name);
	const char *p = strstr(feed, t), *end;

	g_assert_nonnull(p);
	p = strstr(p, open);
	g_assert_nonnull(p);
	p = strchr(p, '>') + 1;
	end = strstr(p, close);
	g_assert_nonnull(end);
	return g_strndup(p, (gsize)(end - p));
}

/* A partner series' one item, in the feeds and on the page, has the
 * series' texts, not those of its next occurrence moved on its own, which
 * the calendars have, and its date. */
static void
test_partner_series_texts(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "hard-events", NULL);
	g_autoptr(Site) s = site_render_with(
	    dir, "[source pa]\nurl=https://pa.example/cal.ics\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_ics(
	    partner_series_moved_once, strlen(partner_series_moved_once),
	    "https://pa.example/", NOW, &error);
	g_autofree char *rss = NULL;
	g_autofree char *ics = NULL;
	g_autofree char *page = NULL;
	g_autofree char *start = NULL;
	g_autofree char *where = NULL;

	g_assert_no_error(error);
	render_with_import(s, imp, NOW);
	rss = file_text(s, "rss.xml");
	ics = file_text(s, "calendar.ics");
	page = file_text(s, "index.html");
	g_assert_cmpuint(count_of(ics, "SUMMARY:Jour fixe (afternoon)\r\n"), ==,
	                 1);
	g_assert_cmpuint(count_of(rss, "<title>Jour fixe</title>"), ==, 1);
	g_assert_null(strstr(rss, "Jour fixe (afternoon)"));
	g_assert_null(strstr(rss, "Moved to the afternoon"));
	g_assert_nonnull(strstr(rss, "The partners meet every Monday."));
	where = item_element(rss, "Jour fixe", "ev:location");
	g_assert_cmpstr(where, ==, "Room 2");
	/* dated by its next occurrence, as it takes place */
	start = item_element(rss, "Jour fixe", "ev:startdate");
	g_assert_cmpstr(start, ==, "2025-06-02T12:30:00Z");
	g_assert_cmpuint(count_of(page, "Jour fixe</h3>"), ==, 1);
	g_assert_null(strstr(page, "Jour fixe (afternoon)"));
}

/* A partner's recurring series, which evfeed expands into its occurrences
 * for the calendars, is one item in the feeds (PRIOR-ART: partners that
 * expand recurrences inflate counts): under an id of the series' own, so
 * that a feed reader is told of it once and not again as each week's
 * occurrence comes into the window; dated by its next occurrence, with
 * the further dates in its text; published when the series was first
 * listed. */
static void
test_partner_series_once(void)
{
	/* 2025-07-01T12:00:00Z, a month on */
	const gint64 later =
	    NOW + G_GINT64_CONSTANT(30) * 86400 * G_USEC_PER_SEC;
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "hard-events", NULL);
	g_autoptr(Site) s = site_render_with(
	    dir, "[source pa]\nurl=https://pa.example/cal.ics\n");
	g_autofree char *rss = NULL;
	g_autofree char *atom = NULL;
	g_autofree char *json = NULL;
	g_autofree char *ics = NULL;
	g_autofree char *src_rss = NULL;
	g_autofree char *guid = NULL;
	g_autofree char *pub = NULL;
	g_autofree char *start = NULL;
	g_autofree char *rss2 = NULL;
	g_autofree char *guid2 = NULL;
	g_autofree char *pub2 = NULL;
	g_autofree char *start2 = NULL;
	g_autofree char *page = NULL;
	g_autofree char *src_page = NULL;
	g_autofree char *page2 = NULL;

	render_with_partner(s, NOW);
	rss = file_text(s, "rss.xml");
	atom = file_text(s, "atom.xml");
	json = file_text(s, "feed.json");
	ics = file_text(s, "calendar.ics");
	/* every occurrence in the calendar, the series once in each feed */
	g_assert_cmpuint(count_of(ics, "SUMMARY:Weekly seminar\r\n"), ==,
	                 EVF_IMPORT_MAX_OCCURRENCES - 1);
	g_assert_cmpuint(count_of(ics, "SUMMARY:Cancelled: Weekly seminar\r\n"),
	                 ==, 1);
	g_assert_cmpuint(count_of(rss, "<title>Weekly seminar</title>"), ==, 1);
	g_assert_cmpuint(count_of(atom, "<title>Weekly seminar</title>"), ==,
	                 1);
	g_assert_cmpuint(count_of(json, "\"title\" : \"Weekly seminar\""), ==,
	                 1);
	g_assert_cmpuint(count_of(rss, "<title>A single talk</title>"), ==, 1);
	g_assert_cmpuint(count_of(src_rss = file_text(s, "source/pa/rss.xml"),
	                          "<title>Weekly seminar</title>"),
	                 ==, 1);
	/* the next occurrence at the site's last change (1 June 2025, a
	 * Sunday), the five after it that take place, and the one
	 * cancelled */
	start = item_element(rss, "Weekly seminar", "ev:startdate");
	g_assert_cmpstr(start, ==, "2025-06-02T16:00:00Z");
	g_assert_nonnull(strstr(rss, "Further dates: 16 June 2025, "));
	g_assert_nonnull(strstr(json, "Further dates: 16 June 2025, "));
	g_assert_nonnull(strstr(rss, "; and "));
	g_assert_nonnull(strstr(rss, " more. Cancelled: 9 June 2025, 16:00"));
	/* and once on the pages of upcoming events, as in the feeds, with
	 * the same dates */
	page = file_text(s, "index.html");
	g_assert_cmpuint(count_of(page, "Weekly seminar</h3>"), ==, 1);
	g_assert_nonnull(strstr(page, "2 June 2025, 16:00–17:00 (UTC)"));
	g_assert_nonnull(strstr(page, "Further dates: 16 June 2025, "));
	g_assert_nonnull(strstr(page, " more. Cancelled: 9 June 2025, 16:00"));
	g_assert_cmpuint(count_of(page, "A single talk</h3>"), ==, 1);
	src_page = file_text(s, "source/pa/index.html");
	g_assert_cmpuint(count_of(src_page, "Weekly seminar</h3>"), ==, 1);
	guid = item_element(rss, "Weekly seminar", "guid");
	g_assert_null(strstr(guid, "seminar"));
	pub = item_element(rss, "Weekly seminar", "pubDate");
	/* Its "Add to calendar", on the page and in the feeds, adds every
	 * date it lists: one calendar of all its occurrences, each with its
	 * own UID, as calendar.ics has them */
	{
		const char *article = strstr(page, "Weekly seminar</h3>");
		const char *href =
		    strstr(article, "events.example.org/events/");
		g_autofree char *path = NULL;
		g_autofree char *url = NULL;
		g_autofree char *whole = NULL;

		g_assert_nonnull(href);
		href += strlen("events.example.org/");
		path = g_strndup(href, strcspn(href, "\""));
		/* (a name no file of the site's nor of an occurrence has) */
		g_assert_true(g_str_has_prefix(path, "events/pa.series-"));
		g_assert_true(g_str_has_suffix(path, ".ics"));
		whole = file_text(s, path);
		g_assert_cmpuint(count_of(whole, "BEGIN:VEVENT\r\n"), ==,
		                 EVF_IMPORT_MAX_OCCURRENCES);
		g_assert_cmpuint(count_of(whole, "SUMMARY:Weekly seminar\r\n"),
		                 ==, EVF_IMPORT_MAX_OCCURRENCES - 1);
		g_assert_null(strstr(whole, "X-WR-CALNAME"));
		url = g_strconcat("https://events.example.org/", path, NULL);
		g_assert_nonnull(strstr(atom, url));
		g_assert_nonnull(strstr(json, url));
		g_assert_cmpuint(count_of(src_page, url), ==, 1);
	}

	/* a month on: other occurrences, the same item */
	render_with_partner(s, later);
	rss2 = file_text(s, "rss.xml");
	g_assert_cmpuint(count_of(rss2, "<title>Weekly seminar</title>"), ==,
	                 1);
	guid2 = item_element(rss2, "Weekly seminar", "guid");
	pub2 = item_element(rss2, "Weekly seminar", "pubDate");
	start2 = item_element(rss2, "Weekly seminar", "ev:startdate");
	g_assert_cmpstr(guid2, ==, guid);
	g_assert_cmpstr(pub2, ==, pub);
	g_assert_cmpstr(start2, ==, "2025-07-07T16:00:00Z");
	page2 = file_text(s, "index.html");
	g_assert_cmpuint(count_of(page2, "Weekly seminar</h3>"), ==, 1);
	/* the series has no URL: its link, the same a month on, is its
	 * anchor on the page, found there each time (not the anchor of an
	 * occurrence since moved to the archive) */
	{
		g_autofree char *link =
		    item_element(rss, "Weekly seminar", "link");
		g_autofree char *link2 =
		    item_element(rss2, "Weekly seminar", "link");
		const char *hash = strchr(link, '#');
		g_autofree char *id = NULL;

		g_assert_cmpstr(link2, ==, link);
		g_assert_nonnull(hash);
		g_assert_true(
		    g_str_has_prefix(link, "https://events.example.org/#"));
		id = g_strdup_printf("<article class=\"h-event\" id=\"%s\">",
		                     hash + 1);
		g_assert_cmpuint(count_of(page, id), ==, 1);
		g_assert_cmpuint(count_of(page2, id), ==, 1);
	}
	g_assert_nonnull(strstr(page2, "Further dates: 14 July 2025, "));
	/* (the cancelled date past) */
	g_assert_null(strstr(page2, "Cancelled: 9 June"));
}

/* The page of upcoming events: the site's events whose date is to be
 * announced in the order they were listed; a partner's items without an
 * event date (a news feed's posts) apart, the newest first, each with when
 * it was published, as many as a feed holds; "Tentative" said of a date
 * to come only; a time with seconds shown with them. */
static void
test_page_undated(void)
{
	static const char *const files[] = {
		"alpha.md",
		"---\ntitle: Alpha workshop\nstart: tba\n"
		"published: 2025-03-01T09:00:00Z\n---\n",
		"beta.md",
		"---\ntitle: Beta workshop\nstart: tba\n"
		"published: 2025-01-01T09:00:00Z\n---\n",
		"gamma.md",
		"---\ntitle: Gamma workshop\nstart: tba\nstatus: tentative\n"
		"published: 2025-02-01T09:00:00Z\n---\n",
		"past.md",
		"---\ntitle: Past meeting\nstart: 2025-01-10\n"
		"status: tentative\n---\n",
		"soon.md",
		"---\ntitle: Soon meeting\nstart: 2025-06-10\n"
		"status: tentative\n---\n",
		"seconds.md",
		"---\ntitle: Short talk\nstart: 2025-07-03T10:00:15\n"
		"end: 2025-07-03T10:00:45\n---\n",
		NULL
	};
	static const char feed[] =
	    "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
	    "<title>PA news</title><link>https://pa.example/</link>"
	    "<description>News</description>"
	    "<item><title>News of March</title>"
	    "<link>https://pa.example/3</link><guid>https://pa.example/3</guid>"
	    "<pubDate>Sat, 01 Mar 2025 10:00:00 GMT</pubDate></item>"
	    "<item><title>News of May</title>"
	    "<link>https://pa.example/5</link><guid>https://pa.example/5</guid>"
	    "<pubDate>Thu, 01 May 2025 10:00:00 GMT</pubDate></item>"
	    "<item><title>News of April</title>"
	    "<link>https://pa.example/4</link><guid>https://pa.example/4</guid>"
	    "<pubDate>Tue, 01 Apr 2025 10:00:00 GMT</pubDate></item>"
	    "</channel></rss>\n";
	g_autoptr(Site) s = site_of_with(
	    "Europe/Ljubljana",
	    "max_items=2\n[source pa]\nurl=https://pa.example/feed.xml\n",
	    files);
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_feed(
	    feed, strlen(feed), "https://pa.example/feed.xml", &error);
	g_autofree char *page = NULL;
	g_autofree char *archive = NULL;
	const char *tba, *news, *a, *b, *g, *may, *april;

	g_assert_no_error(error);
	render_with_import(s, imp, NOW);
	page = file_text(s, "index.html");
	archive = file_text(s, "archive.html");
	tba = strstr(page, "id=\"_tba\">Date to be announced</h2>");
	news = strstr(page, "id=\"_partners\">From partners, no date given");
	g_assert_nonnull(tba);
	g_assert_nonnull(news);
	g_assert_true(tba < news);
	b = strstr(page, "Beta workshop</h3>");
	g = strstr(page, "Gamma workshop</h3>");
	a = strstr(page, "Alpha workshop</h3>");
	g_assert_true(tba < b && b < g && g < a && a < news);
	may = strstr(page, "News of May</h3>");
	april = strstr(page, "News of April</h3>");
	g_assert_true(news < may && may < april);
	g_assert_null(strstr(page, "News of March</h3>"));
	g_assert_cmpuint(count_of(page, "<dt>Published</dt>"), ==, 2);
	g_assert_nonnull(strstr(
	    may, "<dt>Published</dt><dd><time class=\"dt-published\" "
	         "datetime=\"2025-05-01T12:00:00+02:00\">1 May 2025</time>"));
	/* no date is to be announced for a news item */
	g_assert_cmpuint(count_of(page, "<dd>Date to be announced"), ==, 3);
	/* the one that says so of a date to come */
	g_assert_cmpuint(count_of(page, "Tentative: the date may change."), ==,
	                 1);
	g_assert_nonnull(strstr(g, "<p class=\"status\">Tentative.</p>"));
	g_assert_nonnull(strstr(archive, "Past meeting</h3>\n"
	                                 "<p class=\"status\">Listed as "
	                                 "tentative.</p>"));
	g_assert_null(strstr(archive, "the date may change"));
	g_assert_nonnull(strstr(page, "3 July 2025, 10:00:15\u201310:00:45"));
}

/* (transfer full): a site in Ljubljana of @files and the partner pa,
 * whose RSS feed is @feed, rendered at NOW. */
static Site *
site_with_pa_feed(const char *const *files, const char *feed)
{
	Site *s = site_of_with("Europe/Ljubljana",
	                       "[source pa]\nurl=https://pa.example/feed.xml\n",
	                       files);
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_feed(
	    feed, strlen(feed), "https://pa.example/feed.xml", &error);

	g_assert_no_error(error);
	render_with_import(s, imp, NOW);
	return s;
}

/* A site in one of tzdata's Etc/ zones names its zone on the pages as
 * the events do, by its offset: readers take "Etc/GMT+5" for UTC+05:00. */
static void
test_page_etc_zone(void)
{
	static const char *const files[] = {
		"call.md", "---\ntitle: Call\nstart: 2025-09-01T10:00\n---\n",
		NULL
	};
	/* (the configuration's warning of the name is the one) */
	g_autoptr(Site) s = site_of_warned("Etc/GMT+5", NULL, files, 1);
	g_autofree char *page = file_text(s, "index.html");

	g_assert_nonnull(strstr(page, "1 September 2025, 10:00\u201311:00 "
	                              "(UTC-05:00)"));
	g_assert_nonnull(strstr(page, "Last change to these listings: "));
	g_assert_null(strstr(page, "Etc/GMT"));
}

/* A partner's item with a start alone (no ev:enddate, a VEVENT without
 * DTEND or DURATION): no end anywhere, not one equal to the start, which
 * would be read as a mistake; the RSS and Atom feeds, the JSON Feed and
 * the page say the same. */
static void
test_partner_start_alone(void)
{
	static const char *const files[] = {
		"own.md", "---\ntitle: Own workshop\nstart: 2025-09-01\n---\n",
		NULL
	};
	static const char feed[] =
	    "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" "
	    "xmlns:ev=\"http://purl.org/rss/1.0/modules/event/\"><channel>"
	    "<title>PA</title><link>https://pa.example/</link>"
	    "<description>Events</description>"
	    "<item><title>Opening talk</title>"
	    "<link>https://pa.example/talk</link>"
	    "<guid>https://pa.example/talk</guid>"
	    "<pubDate>Thu, 01 May 2025 10:00:00 GMT</pubDate>"
	    "<ev:startdate>2025-08-01T10:00:00Z</ev:startdate></item>"
	    "</channel></rss>\n";
	g_autoptr(Site) s = site_with_pa_feed(files, feed);
	g_autofree char *page = NULL;
	g_autofree char *rss = NULL;
	g_autofree char *atom = NULL;
	g_autofree char *json = NULL;
	const char *talk;

	page = file_text(s, "index.html");
	rss = file_text(s, "rss.xml");
	atom = file_text(s, "atom.xml");
	json = file_text(s, "feed.json");
	talk = strstr(page, "Opening talk</h3>");
	g_assert_nonnull(talk);
	/* the partner's own page, calendar and feeds, linked from the
	 * site's */
	g_assert_nonnull(strstr(page, "<h2 id=\"_sources-h\">Partners</h2>"));
	g_assert_nonnull(
	    strstr(page, "<a href=\"https://events.example.org/source/pa/"
	                 "index.html\">Upcoming events"));
	g_assert_nonnull(
	    strstr(page, "webcal://events.example.org/source/pa/calendar.ics"));
	g_assert_nonnull(strstr(talk, "<time class=\"dt-start\" "
	                              "datetime=\"2025-08-01T10:00:00Z\""));
	/* the own event's end is still there, the talk's is not */
	g_assert_cmpuint(count_of(page, "class=\"dt-end\""), ==, 1);
	g_assert_cmpuint(count_of(rss, "<ev:startdate>"), ==, 2);
	g_assert_cmpuint(count_of(rss, "<ev:enddate>"), ==, 1);
	g_assert_cmpuint(count_of(atom, "<ev:enddate>"), ==, 1);
	g_assert_cmpuint(count_of(json, "\"end\" : null"), ==, 1);
	g_assert_cmpuint(count_of(json, "\"end\" : \"2025-08-01T"), ==, 0);
}

/* A partner's calendar without CREATED (as Exchange publishes them): the
 * events and series it lists that were over before they were first seen
 * are dated by their end, not announced as new listings that push the
 * site's own out of its feeds; one to come is dated when it was first
 * seen. */
static void
test_partner_back_catalogue(void)
{
	static const char *const files[] = {
		"own.md",
		"---\ntitle: Own workshop\nstart: 2025-09-01\n"
		"published: 2025-05-01T09:00:00Z\n---\n",
		NULL
	};
	static const char cal[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PB//Test//EN\r\n"
	    "BEGIN:VEVENT\r\nUID:b1@pb.example\r\nDTSTAMP:20250601T000000Z\r\n"
	    "DTSTART;VALUE=DATE:20190210\r\nSUMMARY:Board meeting 2019\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:b2@pb.example\r\nDTSTAMP:20250601T000000Z\r\n"
	    "DTSTART:20210310T090000Z\r\nDTEND:20210310T110000Z\r\n"
	    "SUMMARY:Board meeting 2021\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:b3@pb.example\r\nDTSTAMP:20250601T000000Z\r\n"
	    "DTSTART;VALUE=DATE:19850101\r\nSUMMARY:Board meeting 1985\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:b4@pb.example\r\nDTSTAMP:20250601T000000Z\r\n"
	    "DTSTART;VALUE=DATE:20251010\r\nSUMMARY:Board meeting to come\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:b5@pb.example\r\nDTSTAMP:20250601T000000Z\r\n"
	    "DTSTART:20250106T090000Z\r\nDTEND:20250106T100000Z\r\n"
	    "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Board series 2025\r\n"
	    "END:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	g_autoptr(Site) s = site_of_with(
	    "Europe/Ljubljana",
	    "max_items=2\n[source pa]\nurl=https://pb.example/cal.ics\n",
	    files);
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_ics(
	    cal, strlen(cal), "https://pb.example/cal.ics", NOW, &error);
	g_autofree char *rss = NULL;
	g_autofree char *src = NULL;
	g_autofree char *pub = NULL;
	g_autofree char *old = NULL;
	g_autofree char *all = NULL;
	g_autofree char *oldest = NULL;
	g_autofree char *series = NULL;

	g_assert_no_error(error);
	render_with_import(s, imp, NOW);
	rss = file_text(s, "rss.xml");
	g_assert_cmpuint(count_of(rss, "<item>"), ==, 2);
	g_assert_nonnull(strstr(rss, "<title>Own workshop</title>"));
	g_assert_nonnull(strstr(rss, "<title>Board meeting to come</title>"));
	pub = item_element(rss, "Board meeting to come", "pubDate");
	g_assert_cmpstr(pub, ==, "Sun, 01 Jun 2025 12:00:00 +0000");
	/* the source's own feed, by the same dates: a series all over
	 * by the end of its last occurrence, the latest of the past ones */
	src = file_text(s, "source/pa/rss.xml");
	g_assert_nonnull(strstr(src, "<title>Board meeting to come</title>"));
	series = item_element(src, "Board series 2025", "pubDate");
	g_assert_cmpstr(series, ==, "Mon, 20 Jan 2025 10:00:00 +0000");
	g_assert_null(strstr(src, "Board meeting 2021"));
	g_assert_null(strstr(src, "Board meeting 2019"));
	g_assert_null(strstr(src, "Board meeting 1985"));
	/* all of them: a timed one by its end, an all-day one once its
	 * day is over everywhere, one over before 1990 dated then */
	s->cfg->max_items = 10;
	render_with_import(s, imp, NOW);
	all = file_text(s, "source/pa/rss.xml");
	old = item_element(all, "Board meeting 2021", "pubDate");
	g_assert_cmpstr(old, ==, "Wed, 10 Mar 2021 11:00:00 +0000");
	g_free(old);
	old = item_element(all, "Board meeting 2019", "pubDate");
	g_assert_cmpstr(old, ==, "Mon, 11 Feb 2019 12:00:00 +0000");
	oldest = item_element(all, "Board meeting 1985", "pubDate");
	g_assert_cmpstr(oldest, ==, "Mon, 01 Jan 1990 00:00:00 +0000");
}

/* A page whose upcoming listings are all a partner's news (items with no
 * event date) lists them, and does not say above them that there are no
 * upcoming events; the feeds do not call them events whose date is to be
 * announced. */
static void
test_page_news_only(void)
{
	static const char *const none[] = { NULL };
	static const char feed[] =
	    "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
	    "<title>PA news</title><link>https://pa.example/</link>"
	    "<description>News</description>"
	    "<item><title>News of May</title>"
	    "<link>https://pa.example/5</link><guid>https://pa.example/5</guid>"
	    "<pubDate>Thu, 01 May 2025 10:00:00 GMT</pubDate></item>"
	    "</channel></rss>\n";
	g_autoptr(Site) s = site_with_pa_feed(none, feed);
	const char *const pages[] = { "index.html", "source/pa/index.html" };

	for (guint i = 0; i < G_N_ELEMENTS(pages); i++) {
		g_autofree char *page = file_text(s, pages[i]);

		g_test_message("%s", pages[i]);
		g_assert_nonnull(strstr(page, "News of May</h3>"));
		g_assert_null(strstr(page, "No upcoming events"));
		/* an entry to microformats readers, not an event */
		g_assert_nonnull(strstr(page, "<article class=\"h-entry\""));
		g_assert_null(strstr(page, "class=\"h-event"));
	}
	/* the feeds say of it what the page says: no date to be announced,
	 * no "When" */
	{
		g_autofree char *rss = file_text(s, "rss.xml");
		g_autofree char *json = file_text(s, "feed.json");
		const char *item = strstr(rss, "<title>News of May</title>");
		const char *next =
		    item != NULL ? strstr(item, "</item>") : NULL;
		const char *jitem = strstr(json, "\"News of May\"");
		const char *jnext =
		    jitem != NULL ? strstr(jitem, "\"also_listed_by\"") : NULL;

		g_assert_nonnull(next);
		g_assert_nonnull(jnext);
		g_assert_true(strstr(item, "Date to be announced") == NULL ||
		              strstr(item, "Date to be announced") > next);
		g_assert_true(strstr(item, "When:") == NULL ||
		              strstr(item, "When:") > next);
		/* (the item's description begins with its link) */
		g_assert_nonnull(strstr(item, "<description>&lt;p&gt;&lt;a "
		                              "href="));
		g_assert_true(strstr(jitem, "When:") == NULL ||
		              strstr(jitem, "When:") > jnext);
		/* (and its text begins with its first line) */
		g_assert_nonnull(
		    strstr(jitem, "\"content_text\" : \"Source: "));
		g_assert_true(strstr(jitem, "\"tba\" : false") != NULL &&
		              strstr(jitem, "\"tba\" : false") < jnext);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	icalerror_set_errors_are_fatal(0);
	g_setenv("TZ", "America/New_York", TRUE);
	g_test_add_func("/write/tz/threads", test_tz_threads);
	g_test_add_func("/write/golden/hard", test_golden);
	g_test_add_func("/write/tz/regular-from", test_tz_regular_from);
	g_test_add_func("/write/attribution-everywhere",
	                test_attribution_everywhere);
	g_test_add_func("/write/no-alt-desc-without-text",
	                test_no_alt_desc_without_text);
	g_test_add_func("/write/ics/description-first-indent",
	                test_description_first_indent);
	g_test_add_func("/write/tz/faithful", test_tz_faithful);
	g_test_add_func("/write/tz/settled", test_tz_settled);
	g_test_add_func("/write/tz/joined", test_tz_joined);
	g_test_add_func("/write/tz/outlook-rules", test_tz_outlook_rules);
	g_test_add_func("/write/tz/site-zone-unused", test_tz_site_zone_unused);
	g_test_add_func("/write/tz/last-year", test_tz_last_year);
	g_test_add_func("/write/tz/covers-new-year", test_tz_covers_new_year);
	g_test_add_func("/write/cancelled-title", test_cancelled_title);
	g_test_add_func("/write/tag-id-canonical", test_tag_id_canonical);
	g_test_add_func("/write/feed/no-enddate-without-end",
	                test_feed_no_enddate_without_end);
	g_test_add_func("/write/partner-series-once", test_partner_series_once);
	g_test_add_func("/write/partner-series-texts",
	                test_partner_series_texts);
	g_test_add_func("/write/page-undated", test_page_undated);
	g_test_add_func("/write/partner-back-catalogue",
	                test_partner_back_catalogue);
	g_test_add_func("/write/page/series-until", test_page_series_until);
	g_test_add_func("/write/page/tba-only", test_page_tba_only);
	g_test_add_func("/write/page/news-only", test_page_news_only);
	g_test_add_func("/write/page/months-in-order",
	                test_page_months_in_order);
	g_test_add_func("/write/page/series-past", test_page_series_past);
	g_test_add_func("/write/page/series-past-wall-length",
	                test_page_series_past_wall_length);
	g_test_add_func("/write/page/series-running", test_page_series_running);
	g_test_add_func("/write/page/series-running-grid",
	                test_page_series_running_grid);
	g_test_add_func("/write/page/series-running-all-day",
	                test_page_series_running_all_day);
	g_test_add_func("/write/page/language", test_page_language);
	g_test_add_func("/write/series-default-end", test_series_default_end);
	g_test_add_func("/write/page/series-running-zone",
	                test_page_series_running_zone);
	g_test_add_func("/write/page/series-running-offset",
	                test_page_series_running_offset);
	g_test_add_func("/write/page/series-running-later",
	                test_page_series_running_later);
	g_test_add_func("/catalog/cache-as-read", test_catalog_cache_as_read);
	g_test_add_func("/write/partner-start-alone", test_partner_start_alone);
	g_test_add_func("/write/page/etc-zone", test_page_etc_zone);
	g_test_add_func("/catalog/read/out-of-files",
	                test_catalog_read_out_of_files);
	g_test_add_func("/write/page/past-at-build-time",
	                test_page_past_at_build_time);
	g_test_add_func("/write/calendar/past-days-at-build-time",
	                test_calendar_past_days_at_build_time);
	g_test_add_func("/write/page/ids-unique", test_page_ids_unique);
	g_test_add_func("/write/page/title-and-actions",
	                test_page_title_and_actions);
	g_test_add_func("/write/link-past-to-archive",
	                test_link_past_to_archive);
	g_test_add_func("/write/dates-settled", test_dates_settled);
	g_test_add_func("/write/ics/value-forms", test_ics_value_forms);
	g_test_add_func("/write/golden/sample", test_golden_sample);
	g_test_add_func("/write/ics/properties", test_ics_properties);
	g_test_add_func("/write/renders-kept-for-the-same-state",
	                test_renders_kept_for_same_state);
	g_test_add_func("/write/ics/organizers", test_organizers);
	g_test_add_func("/write/feeds/organizers-on-one-line",
	                test_organizers_on_one_line);
	g_test_add_func("/write/ics/category-once", test_category_once);
	g_test_add_func("/write/atom/source-complete",
	                test_atom_source_complete);
	g_test_add_func("/write/feeds/source-feed-links",
	                test_source_feed_links);
	g_test_add_func("/write/atom/author-no-email",
	                test_atom_author_no_email);
	g_test_add_func("/write/atom/entry-author", test_atom_entry_author);
	g_test_add_func("/write/feeds/no-replacement-character",
	                test_feeds_no_replacement_character);
	g_test_add_func("/write/feeds/text-as-written",
	                test_feeds_text_as_written);
	g_test_add_func("/write/ics/category-with-comma",
	                test_category_with_comma);
	g_test_add_func("/write/websub/hub", test_websub_hub);
	g_test_add_func("/write/ics/rule-as-icaljs-reads-it",
	                test_ics_rule_as_icaljs_reads_it);
	g_test_add_func("/write/ics/rule-day-explicit",
	                test_ics_rule_day_explicit);
	g_test_add_func("/write/ics/far-year-utc", test_ics_far_year_utc);
	g_test_add_func("/write/ics/utc-series-no-zone-name",
	                test_ics_utc_series_no_zone_name);
	g_test_add_func("/write/ics/repeated-hour-no-zone-name",
	                test_ics_repeated_hour_no_zone_name);
	g_test_add_func("/write/ics/site-zone-outlook",
	                test_ics_site_zone_outlook);
	g_test_add_func("/write/ics/outlook-zone-utc",
	                test_ics_outlook_zone_utc);
	g_test_add_func("/write/ics/series-end-in-fold",
	                test_ics_series_end_in_fold);
	g_test_add_func("/write/ics/fold-keeps-escapes",
	                test_ics_fold_keeps_escapes);
	g_test_add_func("/write/ics/series-across-change",
	                test_ics_series_across_change);
	g_test_add_func("/write/atom/alternate-first",
	                test_atom_alternate_first);
	return g_test_run();
}
