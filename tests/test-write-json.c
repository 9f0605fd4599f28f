/*
 * test-write-json.c: the JSON writers. The sample and hard-case events are
 * rendered at a fixed time into a fresh state; the JSON Feed is checked
 * against the rules of JSON Feed 1.1 (required members, string ids, RFC 3339
 * dates, absolute URLs) and the "_event" extension, the jCal against the
 * shape of RFC 7265 and, event by event, against libical's reading of the
 * site's calendar.ics. Both must come out byte for byte the same twice.
 */
#include "autoconf.h"

#include "catalog.h"
#include "config.h"
#include "render.h"
#include "store.h"
#include "tz.h"
#include "util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

/* 2025-06-01T12:00:00Z */
#define NOW (G_GINT64_CONSTANT(1748779200) * G_USEC_PER_SEC)

typedef struct {
	char *dir;
	EvfConfig *cfg;
	GPtrArray *events;
	GPtrArray *files;
	gint64 updated;
	EvfTzSet *tzs;
} Site;

static void
site_free(Site *s)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", s->dir);

	g_assert_cmpint(system(cmd), ==, 0);
	evf_tz_set_free(s->tzs);
	g_ptr_array_unref(s->files);
	g_ptr_array_unref(s->events);
	evf_config_free(s->cfg);
	g_free(s->dir);
	g_free(s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Site, site_free)

/* The warnings the hard cases give: the raw HTML of two descriptions left
 * out (a '<angle brackets>' and three in unsafe-html-and-relative-link),
 * and the javascript: link refused there. */
#define HARD_EVENTS_WARNINGS 5

/* The site of the events in @events_dir, which give @warnings warnings. */
static Site *
site_render_warned(const char *events_dir, guint warnings)
{
	Site *s = g_new0(Site, 1);
	g_autofree char *conf = NULL;
	g_autofree char *text = NULL;
	g_autofree char *digest = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(EvfStore) store = NULL;
	g_autoptr(GError) error = NULL;

	s->dir = g_dir_make_tmp("evfeed-write-json-XXXXXX", NULL);
	conf = g_build_filename(s->dir, "evfeed.conf", NULL);
	text = g_strdup_printf("[site]\n"
	                       "title=Golden Events\n"
	                       "description=Events, for the golden tests\n"
	                       "url=https://events.example.org/\n"
	                       "tag_date=2018\n"
	                       "timezone=Europe/Ljubljana\n"
	                       "[paths]\n"
	                       "events=%s\n"
	                       "output=public\n"
	                       "state=state.db\n",
	                       events_dir);
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	s->cfg = evf_config_load(conf, diags);
	g_assert_nonnull(s->cfg);
	files = evf_catalog_read(s->cfg, NULL, diags, &digest, NULL);
	g_assert_nonnull(files);
	s->events = evf_catalog_parse(s->cfg, NULL, files, NOW, diags);
	if (diags->len != warnings)
		evf_diags_print(diags, stderr);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, warnings);
	g_assert_nonnull(s->events);
	store = evf_store_open(s->cfg->state_path, &error);
	g_assert_no_error(error);
	g_assert_true(
	    evf_store_track(store, s->events, NOW, &s->updated, &error));
	s->files = evf_render_site(s->cfg, s->events, NULL, NULL, NULL, NULL,
	                           s->updated, 0, s->updated, NULL, NULL, NULL,
	                           &error);
	g_assert_no_error(error);

	/* The zones evf_render_site uses, so that a calendar view made here
	 * writes the same bytes as the site's calendar.ics. */
	s->tzs = evf_tz_set_new();
	for (guint i = 0; i < s->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(s->events, i);

		if (ev->tzid != NULL)
			evf_tz_set_use(s->tzs, ev->tzid,
			               g_date_time_get_year(ev->start));
		else if (!ev->tba)
			evf_tz_set_use(s->tzs, s->cfg->timezone,
			               ev->all_day
			                   ? g_date_get_year(&ev->start_date)
			                   : g_date_time_get_year(ev->start));
	}
	return s;
}

static Site *
site_render(const char *events_dir)
{
	return site_render_warned(events_dir,
	                          g_str_has_suffix(events_dir, "hard-events")
	                              ? HARD_EVENTS_WARNINGS
	                              : 0);
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

/* The site-wide view of @path, chosen as evf_render_site chooses: dated
 * events by start for a calendar, newest first and capped for a feed. */
static EvfView *
site_view(Site *s, const char *path, gboolean calendar)
{
	EvfView *v = g_new0(EvfView, 1);

	v->config = s->cfg;
	v->tzs = s->tzs;
	v->path = g_strdup(path);
	v->self_url = evf_config_url(s->cfg, path);
	v->title = g_strdup(s->cfg->title);
	v->updated = s->updated;
	v->events = g_ptr_array_new();
	for (guint i = 0; i < s->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(s->events, i);

		if (!calendar || !ev->tba)
			g_ptr_array_add(v->events, ev);
	}
	if (calendar) {
		g_ptr_array_sort(v->events, evf_event_cmp_start);
	} else {
		g_ptr_array_sort(v->events, evf_event_cmp_pubdate_desc);
		if (v->events->len > s->cfg->max_items)
			g_ptr_array_set_size(v->events, s->cfg->max_items);
	}
	return v;
}

static char *
bytes_text(GBytes *bytes)
{
	return g_strndup(g_bytes_get_data(bytes, NULL),
	                 g_bytes_get_size(bytes));
}

static JsonNode *
parse_json(GBytes *bytes)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);

	g_assert_true(len > 0 && data[len - 1] == '\n');
	json_parser_load_from_data(parser, data, (gssize)len, &error);
	g_assert_no_error(error);
	return json_node_copy(json_parser_get_root(parser));
}

static const char *
member_string(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return NULL;
	g_assert_true(JSON_NODE_HOLDS_VALUE(n));
	g_assert_cmpint(json_node_get_value_type(n), ==, G_TYPE_STRING);
	return json_node_get_string(n);
}

static void
assert_absolute_url(const char *url)
{
	g_assert_nonnull(url);
	g_assert_true(g_str_has_prefix(url, "https://") ||
	              g_str_has_prefix(url, "http://"));
	g_assert_true(g_uri_is_valid(url, G_URI_FLAGS_NONE, NULL));
}

/* RFC 3339: a full date-time with an offset, which the ISO 8601 parser
 * only accepts when no default zone is given. */
static void
assert_rfc3339(const char *s)
{
	g_autoptr(GDateTime) t = NULL;

	g_assert_nonnull(s);
	t = g_date_time_new_from_iso8601(s, NULL);
	if (t == NULL)
		g_error("'%s' is not an RFC 3339 date-time", s);
	g_assert_true(strchr(s, 'T') != NULL);
}

/* W3C-DTF: a date, or a date-time with an offset. */
static void
assert_w3c(const char *s)
{
	g_assert_nonnull(s);
	if (strlen(s) == 10) {
		GDate d;

		g_assert_true(g_ascii_isdigit(s[0]) && s[4] == '-' &&
		              s[7] == '-');
		g_date_clear(&d, 1);
		g_date_set_parse(&d, s);
		g_assert_true(g_date_valid(&d));
	} else {
		assert_rfc3339(s);
	}
}

/* ------------------------------------------------------------ JSON Feed */

static void
check_feed(Site *s)
{
	g_autoptr(EvfView) v = site_view(s, "feed.json", FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = evf_write_jsonfeed(v, &error);
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *rss = bytes_text(find_file(s, "rss.xml"));
	JsonObject *feed, *author;
	JsonArray *items, *authors;
	guint tba = 0, dated = 0;

	g_assert_no_error(error);
	g_assert_nonnull(bytes);
	root = parse_json(bytes);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
	feed = json_node_get_object(root);

	g_assert_cmpstr(member_string(feed, "version"), ==,
	                "https://jsonfeed.org/version/1.1");
	g_assert_cmpstr(member_string(feed, "title"), ==, "Golden Events");
	g_assert_cmpstr(member_string(feed, "home_page_url"), ==,
	                "https://events.example.org/");
	g_assert_cmpstr(member_string(feed, "feed_url"), ==,
	                "https://events.example.org/feed.json");
	assert_absolute_url(member_string(feed, "feed_url"));
	g_assert_cmpstr(member_string(feed, "language"), ==, s->cfg->language);
	g_assert_false(json_object_has_member(feed, "author"));
	authors = json_object_get_array_member(feed, "authors");
	g_assert_cmpuint(json_array_get_length(authors), ==, 1);
	author = json_array_get_object_element(authors, 0);
	g_assert_cmpstr(member_string(author, "name"), ==, "Golden Events");

	items = json_object_get_array_member(feed, "items");
	g_assert_nonnull(items);
	g_assert_cmpuint(json_array_get_length(items), ==, v->events->len);
	for (guint i = 0; i < json_array_get_length(items); i++) {
		JsonObject *it = json_array_get_object_element(items, i);
		const EvfEvent *ev = g_ptr_array_index(v->events, i);
		const char *id = member_string(it, "id");
		const char *html = member_string(it, "content_html");
		const char *text = member_string(it, "content_text");
		JsonObject *x;
		g_autofree char *guid = NULL;

		/* Ids: strings, unique, the RSS guids. */
		g_assert_nonnull(id);
		g_assert_cmpstr(id, !=, "");
		g_assert_false(g_hash_table_contains(ids, id));
		g_hash_table_add(ids, (gpointer)id);
		guid = g_strdup_printf(">%s</guid>", id);
		g_assert_nonnull(strstr(rss, guid));

		g_assert_true(html != NULL || text != NULL);
		g_assert_nonnull(text);
		g_assert_nonnull(strstr(text, "When: "));
		assert_absolute_url(member_string(it, "url"));
		g_assert_nonnull(member_string(it, "title"));
		assert_rfc3339(member_string(it, "date_published"));
		assert_rfc3339(member_string(it, "date_modified"));
		if (json_object_has_member(it, "tags"))
			g_assert_cmpuint(
			    json_array_get_length(
			        json_object_get_array_member(it, "tags")),
			    ==, ev->categories->len);
		if (json_object_has_member(it, "attachments")) {
			JsonArray *att =
			    json_object_get_array_member(it, "attachments");

			for (guint k = 0; k < json_array_get_length(att); k++) {
				JsonObject *a =
				    json_array_get_object_element(att, k);

				assert_absolute_url(member_string(a, "url"));
				g_assert_nonnull(member_string(a, "mime_type"));
			}
		}
		/* Members other than JSON Feed's are extensions: '_'. */
		{
			g_autoptr(GList) names = json_object_get_members(it);

			for (GList *l = names; l != NULL; l = l->next)
				if (!g_strv_contains(
				        (const char *const[]){
				            "id", "url", "title",
				            "content_html", "content_text",
				            "image", "date_published",
				            "date_modified", "tags",
				            "attachments", NULL },
				        l->data))
					g_assert_true(
					    ((const char *)l->data)[0] == '_');
		}

		x = json_object_get_object_member(it, "_event");
		g_assert_nonnull(x);
		assert_absolute_url(member_string(x, "about"));
		g_assert_true(g_strv_contains(
		    (const char *const[]){ "confirmed", "tentative",
		                           "cancelled", NULL },
		    member_string(x, "status")));
		if (json_object_get_boolean_member(x, "tba")) {
			g_assert_true(ev->tba);
			g_assert_null(member_string(x, "start"));
			g_assert_null(member_string(x, "end"));
			g_assert_nonnull(strstr(text, "Date to be announced"));
			tba++;
		} else {
			g_autofree char *start = evf_event_w3c_start(ev);

			g_assert_false(ev->tba);
			assert_w3c(member_string(x, "start"));
			assert_w3c(member_string(x, "end"));
			g_assert_cmpstr(member_string(x, "start"), ==, start);
			g_assert_cmpint(
			    json_object_get_boolean_member(x, "all_day"), ==,
			    ev->all_day);
			dated++;
		}
		if (ev->has_geo) {
			JsonArray *geo = json_object_get_array_member(x, "geo");

			g_assert_cmpuint(json_array_get_length(geo), ==, 2);
			g_assert_cmpfloat_with_epsilon(
			    json_array_get_double_element(geo, 0), ev->lat,
			    1e-9);
		} else {
			g_assert_false(json_object_has_member(x, "geo"));
		}
	}
	g_assert_cmpuint(tba, >, 0);
	g_assert_cmpuint(dated, >, 0);
}

static void
test_feed_sample(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s = site_render(dir);

	check_feed(s);
}

/* Each scope's feeds lead to that scope's page (a category's feed to the
 * category's page, not to the site's), and the "_event" extension's about
 * URL names a paragraph that is on the site's page. */
static void
test_feed_home_and_about(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s = site_render(dir);
	g_autofree char *index = bytes_text(find_file(s, "index.html"));
	g_autofree char *anchor =
	    g_strdup_printf("id=\"%s\"", EVF_JSONFEED_ABOUT_ID);
	guint scopes = 0;

	g_assert_nonnull(strstr(index, anchor));
	for (guint i = 0; i < s->files->len; i++) {
		EvfFile *f = g_ptr_array_index(s->files, i);
		g_autofree char *scope = NULL;
		g_autofree char *home = NULL;
		g_autofree char *page = NULL;
		g_autofree char *rss = NULL;
		g_autofree char *atom = NULL;
		g_autofree char *want_rss = NULL;
		g_autofree char *want_atom = NULL;
		g_autoptr(JsonNode) root = NULL;
		JsonObject *feed;
		JsonArray *items;

		if (!g_str_has_suffix(f->path, "feed.json"))
			continue;
		scopes++;
		scope =
		    g_strndup(f->path, strlen(f->path) - strlen("feed.json"));
		page = g_strconcat(scope, "index.html", NULL);
		/* (the root's page is the site's url; another's, its
		 * index.html, the name the page gives itself) */
		home = evf_config_url(s->cfg, scope[0] != '\0' ? page : "");
		g_assert_nonnull(find_file(s, page));
		/* one address for the page: the one it names canonical */
		{
			g_autofree char *html = bytes_text(find_file(s, page));
			g_autofree char *canonical = g_strdup_printf(
			    "<link rel=\"canonical\" href=\"%s\"/>", home);

			g_assert_nonnull(strstr(html, canonical));
		}
		root = parse_json(f->bytes);
		feed = json_node_get_object(root);
		g_assert_cmpstr(member_string(feed, "home_page_url"), ==, home);
		items = json_object_get_array_member(feed, "items");
		for (guint k = 0; k < json_array_get_length(items); k++) {
			JsonObject *x = json_object_get_object_member(
			    json_array_get_object_element(items, k), "_event");
			g_autofree char *about = g_strconcat(
			    s->cfg->url, "#", EVF_JSONFEED_ABOUT_ID, NULL);

			g_assert_cmpstr(member_string(x, "about"), ==, about);
		}
		g_free(page);
		page = g_strconcat(scope, "rss.xml", NULL);
		rss = bytes_text(find_file(s, page));
		want_rss = g_strdup_printf("<link>%s</link>", home);
		g_assert_nonnull(strstr(rss, want_rss));
		g_free(page);
		page = g_strconcat(scope, "atom.xml", NULL);
		atom = bytes_text(find_file(s, page));
		want_atom = g_strdup_printf(
		    "<link rel=\"alternate\" type=\"text/html\" href=\"%s\"/>",
		    home);
		g_assert_nonnull(strstr(atom, want_atom));
	}
	/* The site and the sample's categories. */
	g_assert_cmpuint(scopes, >, 1);
}

static void
test_feed_hard(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "hard-events", NULL);
	g_autoptr(Site) s = site_render(dir);

	check_feed(s);
}

/* A partner's VEVENT without an end ends at its start (RFC 5545
 * §3.6.1): the calendar has no DTEND for it (§3.8.2.2 wants one after
 * DTSTART), and the feeds show its start alone, not "10:00–10:00". */
static void
test_ends_at_start(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s = site_render(dir);
	g_autoptr(EvfEvent) ev = evf_event_new();
	g_autoptr(EvfView) iv = site_view(s, "calendar.ics", TRUE);
	g_autoptr(EvfView) v = site_view(s, "feed.json", FALSE);
	g_autoptr(GBytes) ics = NULL;
	g_autoptr(GBytes) feed = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	g_autofree char *when = NULL;
	icalcomponent *cal, *ve;

	ev->uid = g_strdup("instant@partner.example");
	ev->slug = g_strdup("instant");
	ev->title = g_strdup("Doors open");
	ev->start = g_date_time_new_utc(2019, 3, 3, 10, 0, 0);
	ev->end = g_date_time_ref(ev->start);
	ev->source = g_strdup("osce");
	ev->source_title = g_strdup("OSCE");
	ev->source_url = g_strdup("https://osce.example/rss");
	ev->created = NOW;
	ev->modified = NOW + 1;
	g_ptr_array_set_size(iv->events, 0);
	g_ptr_array_add(iv->events, ev);
	g_ptr_array_set_size(v->events, 0);
	g_ptr_array_add(v->events, ev);

	when = evf_event_format_when(ev);
	g_assert_cmpstr(when, ==, "3 March 2019, 10:00 (UTC)");

	ics = evf_write_ics(iv, &error);
	g_assert_no_error(error);
	text = g_strndup(g_bytes_get_data(ics, NULL), g_bytes_get_size(ics));
	cal = icalparser_parse_string(text);
	g_assert_nonnull(cal);
	ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	g_assert_nonnull(ve);
	g_assert_nonnull(
	    icalcomponent_get_first_property(ve, ICAL_DTSTART_PROPERTY));
	g_assert_null(
	    icalcomponent_get_first_property(ve, ICAL_DTEND_PROPERTY));
	g_assert_null(
	    icalcomponent_get_first_property(ve, ICAL_DURATION_PROPERTY));
	icalcomponent_free(cal);

	feed = evf_write_jsonfeed(v, &error);
	g_assert_no_error(error);
	g_clear_pointer(&text, g_free);
	text = g_strndup(g_bytes_get_data(feed, NULL), g_bytes_get_size(feed));
	g_assert_nonnull(strstr(text, "10:00 (UTC)"));
	g_assert_null(strstr(text, "10:00\u201310:00"));
	g_assert_null(strstr(text, "10:00–10:00"));
}

/* "_event"'s rrule is the calendars' (BYHOUR in order), which ical.js
 * would otherwise step through as written. */
static void
test_rrule_as_published(void)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-json-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "twice.md", NULL);
	g_autofree char *text = NULL;
	Site *s;

	g_assert_true(g_file_set_contents(
	    file,
	    "---\ntitle: Twice a day\nstart: 2027-01-04T09:00Z\n"
	    "recurrence: FREQ=DAILY;BYHOUR=21,9;COUNT=4\n---\n",
	    -1, NULL));
	/* (two a day: python-recurring-ical-events is warned of) */
	s = site_render_warned(dir, 1);
	text = bytes_text(find_file(s, "feed.json"));
	site_free(s);
	g_assert_nonnull(strstr(text, "\"FREQ=DAILY;COUNT=4;BYHOUR=9,21\""));
	g_assert_null(strstr(text, "21,9"));
	g_assert_cmpint(g_remove(file), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

/* A partner's listing, also listed by a second partner: "_event" names
 * both, and the item's own source has its feed's URL. */
static void
test_feed_partner(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s = site_render(dir);
	g_autoptr(EvfEvent) ev = evf_event_new();
	g_autoptr(EvfView) v = site_view(s, "feed.json", FALSE);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;
	JsonObject *it, *x, *src, *author;
	JsonArray *also, *authors;

	ev->uid = g_strdup("partner-1@osce.example");
	ev->slug = g_strdup("partner-1");
	ev->title = g_strdup("Partner briefing, \"quoted\"");
	ev->all_day = TRUE;
	g_date_set_dmy(&ev->start_date, 3, G_DATE_MARCH, 2019);
	g_date_set_dmy(&ev->end_date, 4, G_DATE_MARCH, 2019);
	ev->status = EVF_STATUS_TENTATIVE;
	ev->has_geo = TRUE;
	ev->lat = 48.2082;
	ev->lon = 16.3738;
	ev->location = g_strdup("Vienna");
	ev->source = g_strdup("osce");
	ev->source_title = g_strdup("OSCE");
	ev->source_url = g_strdup("https://osce.example/rss");
	g_ptr_array_add(ev->also_listed, g_strdup("unodc"));
	ev->created = NOW;
	ev->modified = NOW + 1;
	g_ptr_array_set_size(v->events, 0);
	g_ptr_array_add(v->events, ev);

	bytes = evf_write_jsonfeed(v, &error);
	g_assert_no_error(error);
	root = parse_json(bytes);
	it = json_array_get_object_element(
	    json_object_get_array_member(json_node_get_object(root), "items"),
	    0);
	g_assert_cmpstr(member_string(it, "id"), ==,
	                "tag:events.example.org,2018:event:"
	                "partner-1@osce.example");
	g_assert_nonnull(strstr(member_string(it, "content_text"),
	                        "Source: OSCE <https://osce.example/rss>"));
	/* the partner is the item's author; the feed's stays the site's */
	authors = json_object_get_array_member(it, "authors");
	g_assert_nonnull(authors);
	g_assert_cmpuint(json_array_get_length(authors), ==, 1);
	author = json_array_get_object_element(authors, 0);
	g_assert_cmpstr(member_string(author, "name"), ==, "OSCE");
	g_assert_cmpstr(member_string(author, "url"), ==,
	                "https://osce.example/rss");
	authors =
	    json_object_get_array_member(json_node_get_object(root), "authors");
	author = json_array_get_object_element(authors, 0);
	g_assert_cmpstr(member_string(author, "name"), ==, s->cfg->title);
	x = json_object_get_object_member(it, "_event");
	g_assert_cmpstr(member_string(x, "start"), ==, "2019-03-03");
	g_assert_cmpstr(member_string(x, "end"), ==, "2019-03-03");
	g_assert_true(json_object_get_boolean_member(x, "all_day"));
	g_assert_cmpstr(member_string(x, "status"), ==, "tentative");
	g_assert_cmpfloat_with_epsilon(
	    json_array_get_double_element(
	        json_object_get_array_member(x, "geo"), 1),
	    16.3738, 1e-9);
	src = json_object_get_object_member(x, "source");
	g_assert_nonnull(src);
	g_assert_cmpstr(member_string(src, "name"), ==, "osce");
	g_assert_cmpstr(member_string(src, "title"), ==, "OSCE");
	g_assert_cmpstr(member_string(src, "url"), ==,
	                "https://osce.example/rss");
	also = json_object_get_array_member(x, "also_listed_by");
	g_assert_cmpuint(json_array_get_length(also), ==, 1);
	g_assert_cmpstr(json_array_get_string_element(also, 0), ==, "unodc");
}

/* The same catalogue gives the same bytes: twice from one site, and from
 * a second site built from scratch. */
static void
test_deterministic(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "hard-events", NULL);
	g_autoptr(Site) a = site_render(dir);
	g_autoptr(Site) b = site_render(dir);
	g_autoptr(EvfView) fa = site_view(a, "feed.json", FALSE);
	g_autoptr(EvfView) fb = site_view(b, "feed.json", FALSE);
	g_autoptr(EvfView) ca = site_view(a, "calendar.json", TRUE);
	g_autoptr(EvfView) cb = site_view(b, "calendar.json", TRUE);
	g_autoptr(GBytes) feed1 = evf_write_jsonfeed(fa, NULL);
	g_autoptr(GBytes) feed2 = evf_write_jsonfeed(fa, NULL);
	g_autoptr(GBytes) feed3 = evf_write_jsonfeed(fb, NULL);
	g_autoptr(GBytes) cal1 = evf_write_jcal(ca, NULL);
	g_autoptr(GBytes) cal2 = evf_write_jcal(ca, NULL);
	g_autoptr(GBytes) cal3 = evf_write_jcal(cb, NULL);

	g_assert_nonnull(feed1);
	g_assert_nonnull(cal1);
	g_assert_true(g_bytes_equal(feed1, feed2));
	g_assert_true(g_bytes_equal(feed1, feed3));
	g_assert_true(g_bytes_equal(cal1, cal2));
	g_assert_true(g_bytes_equal(cal1, cal3));
}

/* ----------------------------------------------------------------- jCal */

static gboolean
is_lower(const char *s)
{
	for (; *s != '\0'; s++)
		if (g_ascii_isupper(*s))
			return FALSE;
	return TRUE;
}

/* RFC 7265 §3.3–§3.5: [name, [properties], [components]]; a property is
 * [name, {params}, type, value…]; every name in lower case. */
static void
check_component(JsonNode *node, guint *properties)
{
	static const char *const types[] = {
		"binary",    "boolean",    "cal-address", "date",
		"date-time", "duration",   "float",       "integer",
		"period",    "recur",      "text",        "time",
		"uri",       "utc-offset", "unknown",     NULL,
	};
	JsonArray *comp, *props, *subs;

	g_assert_true(JSON_NODE_HOLDS_ARRAY(node));
	comp = json_node_get_array(node);
	g_assert_cmpuint(json_array_get_length(comp), ==, 3);
	g_assert_true(is_lower(json_array_get_string_element(comp, 0)));
	props = json_array_get_array_element(comp, 1);
	subs = json_array_get_array_element(comp, 2);
	g_assert_nonnull(props);
	g_assert_nonnull(subs);
	for (guint i = 0; i < json_array_get_length(props); i++) {
		JsonArray *p = json_array_get_array_element(props, i);
		JsonObject *params;
		const char *type;

		g_assert_nonnull(p);
		g_assert_cmpuint(json_array_get_length(p), >=, 4);
		g_assert_true(is_lower(json_array_get_string_element(p, 0)));
		params = json_array_get_object_element(p, 1);
		g_assert_nonnull(params);
		{
			g_autoptr(GList) names =
			    json_object_get_members(params);

			for (GList *l = names; l != NULL; l = l->next) {
				g_assert_true(is_lower(l->data));
				g_assert_cmpstr(l->data, !=, "value");
			}
		}
		type = json_array_get_string_element(p, 2);
		g_assert_true(g_strv_contains(types, type));
		(*properties)++;
	}
	for (guint i = 0; i < json_array_get_length(subs); i++)
		check_component(json_array_get_element(subs, i), properties);
}

/* (transfer none) (nullable): the first property @name of @comp. */
static JsonArray *
jcal_property(JsonArray *comp, const char *name)
{
	JsonArray *props = json_array_get_array_element(comp, 1);

	for (guint i = 0; i < json_array_get_length(props); i++) {
		JsonArray *p = json_array_get_array_element(props, i);

		if (strcmp(json_array_get_string_element(p, 0), name) == 0)
			return p;
	}
	return NULL;
}

static char *
jcal_time(icaltimetype t)
{
	if (t.is_date)
		return g_strdup_printf("%04d-%02d-%02d", t.year, t.month,
		                       t.day);
	return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d%s", t.year,
	                       t.month, t.day, t.hour, t.minute, t.second,
	                       icaltime_is_utc(t) ? "Z" : "");
}

static void
check_jcal(Site *s, gboolean hard)
{
	g_autoptr(EvfView) v = site_view(s, "calendar.json", TRUE);
	g_autoptr(EvfView) iv = site_view(s, "calendar.ics", TRUE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) ics = evf_write_ics(iv, &error);
	g_autoptr(GBytes) bytes = evf_write_jcal(v, &error);
	g_autofree char *text = bytes_text(find_file(s, "calendar.ics"));
	g_autoptr(JsonNode) root = NULL;
	icalcomponent *cal, *c;
	JsonArray *vcal, *subs;
	guint properties = 0, n = 0, k = 0;
	gboolean comma = FALSE, geo = FALSE, rrule = FALSE;

	g_assert_no_error(error);
	g_assert_nonnull(bytes);
	/* The view is the one the site's calendar.ics was written from,
	 * but for its path. */
	g_assert_true(g_bytes_equal(ics, find_file(s, "calendar.ics")));

	root = parse_json(bytes);
	check_component(root, &properties);
	g_assert_cmpuint(properties, >, 10);
	vcal = json_node_get_array(root);
	g_assert_cmpstr(json_array_get_string_element(vcal, 0), ==,
	                "vcalendar");
	g_assert_cmpstr(
	    json_array_get_string_element(jcal_property(vcal, "version"), 3),
	    ==, "2.0");
	/* RFC 7986 NAME is TEXT; X- properties are unknown, raw. */
	g_assert_cmpstr(
	    json_array_get_string_element(jcal_property(vcal, "name"), 2), ==,
	    "text");
	g_assert_cmpstr(json_array_get_string_element(
	                    jcal_property(vcal, "x-wr-calname"), 2),
	                ==, "unknown");
	g_assert_cmpstr(json_array_get_string_element(
	                    jcal_property(vcal, "x-wr-calname"), 3),
	                ==, "Golden Events");
	g_assert_cmpstr(
	    json_array_get_string_element(jcal_property(vcal, "source"), 3), ==,
	    "https://events.example.org/calendar.json");
	g_assert_cmpstr(json_array_get_string_element(
	                    jcal_property(vcal, "refresh-interval"), 2),
	                ==, "duration");
	g_assert_cmpstr(json_array_get_string_element(
	                    jcal_property(vcal, "refresh-interval"), 3),
	                ==, "PT1H");

	cal = icalparser_parse_string(text);
	g_assert_nonnull(cal);
	subs = json_array_get_array_element(vcal, 2);

	/* The zones in the order of the text (libical's parser reverses
	 * them). */
	{
		const char *at = text;
		guint z = 0;

		while ((at = strstr(at, "BEGIN:VTIMEZONE\r\nTZID:")) != NULL) {
			JsonArray *vtz =
			    json_array_get_array_element(subs, z++);
			const char *tzid = json_array_get_string_element(
			    jcal_property(vtz, "tzid"), 3);

			at += strlen("BEGIN:VTIMEZONE\r\nTZID:");
			g_assert_cmpstr(json_array_get_string_element(vtz, 0),
			                ==, "vtimezone");
			g_assert_true(g_str_has_prefix(at, tzid));
			g_assert_true(
			    g_str_has_prefix(at + strlen(tzid), "\r\n"));
		}
		g_assert_cmpuint(z, >, 0);
	}
	for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     c != NULL;
	     c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		icalproperty *dtstart =
		    icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
		icalparameter *tz = icalproperty_get_first_parameter(
		    dtstart, ICAL_TZID_PARAMETER);
		g_autofree char *start =
		    jcal_time(icalproperty_get_dtstart(dtstart));
		JsonArray *ve = NULL, *p;
		JsonObject *params;

		/* The VEVENTs come in the same order, after the zones. */
		while (k < json_array_get_length(subs)) {
			JsonArray *sub =
			    json_array_get_array_element(subs, k++);

			if (strcmp(json_array_get_string_element(sub, 0),
			           "vevent") == 0) {
				ve = sub;
				break;
			}
			g_assert_cmpstr(json_array_get_string_element(sub, 0),
			                ==, "vtimezone");
		}
		g_assert_nonnull(ve);
		n++;
		g_assert_cmpstr(
		    json_array_get_string_element(jcal_property(ve, "uid"), 3),
		    ==, icalcomponent_get_uid(c));
		g_assert_cmpstr(json_array_get_string_element(
		                    jcal_property(ve, "summary"), 3),
		                ==, icalcomponent_get_summary(c));
		p = jcal_property(ve, "dtstart");
		g_assert_nonnull(p);
		g_assert_cmpstr(json_array_get_string_element(p, 2), ==,
		                icalproperty_get_dtstart(dtstart).is_date
		                    ? "date"
		                    : "date-time");
		g_assert_cmpstr(json_array_get_string_element(p, 3), ==, start);
		params = json_array_get_object_element(p, 1);
		if (tz != NULL)
			g_assert_cmpstr(member_string(params, "tzid"), ==,
			                icalparameter_get_tzid(tz));
		else
			g_assert_false(json_object_has_member(params, "tzid"));

		/* The hard cases: a category with a comma stays one value,
		 * GEO is two floats, RRULE an object. */
		for (guint i = 0; i < json_array_get_length(
		                          json_array_get_array_element(ve, 1));
		     i++) {
			JsonArray *q = json_array_get_array_element(
			    json_array_get_array_element(ve, 1), i);
			const char *name = json_array_get_string_element(q, 0);

			if (strcmp(name, "categories") == 0)
				comma |=
				    g_strcmp0(
				        json_array_get_string_element(q, 3),
				        "arms control, disarmament") == 0;
			if (strcmp(name, "geo") == 0) {
				JsonArray *ll =
				    json_array_get_array_element(q, 3);

				g_assert_cmpstr(
				    json_array_get_string_element(q, 2), ==,
				    "float");
				g_assert_cmpuint(json_array_get_length(ll), ==,
				                 2);
				g_assert_cmpfloat_with_epsilon(
				    json_array_get_double_element(ll, 0),
				    icalproperty_get_geo(
				        icalcomponent_get_first_property(
				            c, ICAL_GEO_PROPERTY))
				        .lat,
				    1e-9);
				geo = TRUE;
			}
			if (strcmp(name, "rrule") == 0) {
				JsonObject *r =
				    json_array_get_object_element(q, 3);

				g_assert_nonnull(r);
				g_assert_cmpstr(member_string(r, "freq"), ==,
				                "WEEKLY");
				g_assert_cmpint(
				    json_object_get_int_member(r, "count"), ==,
				    4);
				rrule = TRUE;
			}
		}
	}
	g_assert_cmpuint(n, ==, v->events->len);
	g_assert_cmpuint(n, >, 0);
	if (hard) {
		g_assert_true(comma);
		g_assert_true(geo);
		g_assert_true(rrule);
	}
	icalcomponent_free(cal);
}

/* An organiser's name with '^' where RFC 6868 (§3) reads an escape ("^n",
 * "^'", "^^"): the CN parameter of calendar.ics has it as "^^", so that
 * ical.js and other RFC 6868 readers get the name back, and jCal, whose
 * values are not escaped, has the name itself. */
static void
test_cn_caret(void)
{
	static const char name[] = "Caret^nName ^' and ^^ x ^";
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s = site_render(dir);
	g_autoptr(EvfEvent) ev = evf_event_new();
	g_autoptr(EvfView) iv = site_view(s, "calendar.ics", TRUE);
	g_autoptr(EvfView) v = site_view(s, "calendar.json", TRUE);
	g_autoptr(GBytes) ics = NULL;
	g_autoptr(GBytes) jcal = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree char *text = NULL;
	GString *read = g_string_new(NULL);
	const char *cn, *p;
	JsonArray *vcal, *vevent, *organizer;

	ev->uid = g_strdup("caret@example.org");
	ev->slug = g_strdup("caret");
	ev->title = g_strdup("Caret");
	ev->start = g_date_time_new_utc(2019, 3, 3, 10, 0, 0);
	ev->end = g_date_time_new_utc(2019, 3, 3, 11, 0, 0);
	ev->organizer_email = g_strdup("x@example.org");
	g_ptr_array_add(ev->organizers, g_strdup(name));
	ev->created = NOW;
	ev->modified = NOW + 1;
	g_ptr_array_set_size(iv->events, 0);
	g_ptr_array_add(iv->events, ev);
	g_ptr_array_set_size(v->events, 0);
	g_ptr_array_add(v->events, ev);

	ics = evf_write_ics(iv, &error);
	g_assert_no_error(error);
	text = g_strndup(g_bytes_get_data(ics, NULL), g_bytes_get_size(ics));
	cn = strstr(text, "\r\nORGANIZER;CN=");
	g_assert_nonnull(cn);
	/* read as RFC 6868 says */
	for (p = cn + strlen("\r\nORGANIZER;CN="); *p != ':'; p++) {
		if (p[0] == '^' && p[1] == 'n')
			g_string_append_c(read, '\n'), p++;
		else if (p[0] == '^' && p[1] == '\'')
			g_string_append_c(read, '"'), p++;
		else if (p[0] == '^' && p[1] == '^')
			g_string_append_c(read, '^'), p++;
		else
			g_string_append_c(read, *p);
	}
	g_assert_cmpstr(read->str, ==, name);
	g_string_free(read, TRUE);

	jcal = evf_write_jcal(v, &error);
	g_assert_no_error(error);
	json_parser_load_from_data(parser, g_bytes_get_data(jcal, NULL),
	                           (gssize)g_bytes_get_size(jcal), &error);
	g_assert_no_error(error);
	vcal = json_node_get_array(json_parser_get_root(parser));
	vevent = NULL;
	for (guint i = 0;
	     i < json_array_get_length(json_array_get_array_element(vcal, 2));
	     i++) {
		JsonArray *c = json_array_get_array_element(
		    json_array_get_array_element(vcal, 2), i);

		if (strcmp(json_array_get_string_element(c, 0), "vevent") == 0)
			vevent = c;
	}
	g_assert_nonnull(vevent);
	organizer = jcal_property(vevent, "organizer");
	g_assert_nonnull(organizer);
	g_assert_cmpstr(json_object_get_string_member(
	                    json_array_get_object_element(organizer, 1), "cn"),
	                ==, name);
}

static void
test_jcal_sample(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "..", "feeds", "events", NULL);
	g_autoptr(Site) s = site_render(dir);

	check_jcal(s, FALSE);
}

static void
test_jcal_hard(void)
{
	g_autofree char *dir =
	    g_test_build_filename(G_TEST_DIST, "data", "hard-events", NULL);
	g_autoptr(Site) s = site_render(dir);

	check_jcal(s, TRUE);
}

/* A VEVENT with one property of each kind of value evf_write_ics writes,
 * an X- property whose name is not in upper case, a parameter and a
 * VALUE parameter jCal leaves out. */
static const char component_ics[] =
    "BEGIN:VEVENT\r\n"
    "UID:kinds@example.org\r\n"
    "SEQUENCE:3\r\n"
    "DTSTART;TZID=Europe/Ljubljana:20250601T100000\r\n"
    "DTEND;VALUE=DATE:20250603\r\n"
    "DTSTAMP:20250501T080000Z\r\n"
    "DURATION:P1DT2H\r\n"
    "SUMMARY:Kinds\\, all \\; of them\r\n"
    "GEO:46.5;14.25\r\n"
    "RRULE:FREQ=WEEKLY;UNTIL=20250701T100000Z;BYDAY=MO,WE;INTERVAL=2\r\n"
    "URL;VALUE=URI:https://example.org/kinds\r\n"
    "ORGANIZER;CN=Org:mailto:org@example.org\r\n"
    "X-Evfeed-Mixed;X-PARAM=a^'b:x\\, y\r\n"
    "END:VEVENT\r\n";

static const char component_jcal[] =
    "[\"vevent\",[[\"uid\",{},\"text\",\"kinds@example.org\"],"
    "[\"sequence\",{},\"integer\",3],"
    "[\"dtstart\",{\"tzid\":\"Europe/Ljubljana\"},\"date-time\","
    "\"2025-06-01T10:00:00\"],"
    "[\"dtend\",{},\"date\",\"2025-06-03\"],"
    "[\"dtstamp\",{},\"date-time\",\"2025-05-01T08:00:00Z\"],"
    "[\"duration\",{},\"duration\",\"P1DT2H\"],"
    "[\"summary\",{},\"text\",\"Kinds, all ; of them\"],"
    "[\"geo\",{},\"float\",[46.5,14.25]],"
    "[\"rrule\",{},\"recur\",{\"freq\":\"WEEKLY\","
    "\"until\":\"2025-07-01T10:00:00Z\",\"interval\":2,"
    "\"byday\":[\"MO\",\"WE\"]}],"
    "[\"url\",{},\"uri\",\"https://example.org/kinds\"],"
    "[\"organizer\",{\"cn\":\"Org\"},\"cal-address\","
    "\"mailto:org@example.org\"],"
    "[\"x-evfeed-mixed\",{\"x-param\":\"a\\\"b\"},\"unknown\","
    "\"x\\\\, y\"]],[]]";

/* Makes component_ics's jCal many times over, from a component of its own
 * (libical's property iterator is in the component). */
static gpointer
jcal_many(gpointer data)
{
	icalcomponent *comp = icalcomponent_new_from_string(component_ics);
	char *wrong = NULL;

	(void)data;
	g_assert_nonnull(comp);
	for (guint i = 0; i < 200 && wrong == NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *jcal =
		    evf_jcal_component(comp, component_ics, &error);

		g_assert_no_error(error);
		if (g_strcmp0(jcal, component_jcal) != 0)
			wrong = g_steal_pointer(&jcal);
	}
	icalcomponent_free(comp);
	return wrong;
}

/* evf_jcal_component gives the same bytes for each kind of value, on any
 * number of threads at once (the writers of all scopes share the events'
 * jCal, made on all processors). */
static void
test_jcal_component(void)
{
	icalcomponent *comp = icalcomponent_new_from_string(component_ics);
	g_autoptr(GError) error = NULL;
	g_autofree char *jcal = NULL;
	GThread *threads[4];

	g_assert_nonnull(comp);
	jcal = evf_jcal_component(comp, component_ics, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(jcal, ==, component_jcal);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("jcal", jcal_many, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++) {
		g_autofree char *wrong = g_thread_join(threads[i]);

		g_assert_cmpstr(wrong, ==, NULL);
	}
	icalcomponent_free(comp);
}

/* A property libical could not read, or one with a value jCal has no form
 * for, is an error that names it, whatever came before it. */
static void
test_jcal_component_errors(void)
{
	icalcomponent *comp = icalcomponent_new_from_string(component_ics);
	icalcomponent *other = icalcomponent_new_from_string(component_ics);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	g_autofree char *jcal = NULL;
	g_autofree char *jcal2 = NULL;
	struct icaldatetimeperiodtype dtp = { 0 };

	icalcomponent_add_property(
	    comp, icalproperty_new_xlicerror("cannot read 'THIS'"));
	jcal = evf_jcal_component(comp, component_ics, &error);
	g_assert_null(jcal);
	g_assert_nonnull(error);
	g_assert_cmpstr(error->message, ==, "vevent: cannot read 'THIS'");

	dtp.period =
	    icalperiodtype_from_string("20250601T100000Z/20250601T110000Z");
	icalcomponent_add_property(other, icalproperty_new_rdate(dtp));
	jcal2 = evf_jcal_component(other, component_ics, &error2);
	g_assert_null(jcal2);
	g_assert_nonnull(error2);
	g_assert_true(g_str_has_prefix(error2->message,
	                               "property RDATE: no jCal form for "));
	icalcomponent_free(comp);
	icalcomponent_free(other);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	icalerror_set_errors_are_fatal(0);
	g_setenv("TZ", "America/New_York", TRUE);
	g_test_add_func("/write-json/feed/sample", test_feed_sample);
	g_test_add_func("/write-json/feed/hard", test_feed_hard);
	g_test_add_func("/write-json/feed/home-and-about",
	                test_feed_home_and_about);
	g_test_add_func("/write-json/feed/partner", test_feed_partner);
	g_test_add_func("/write-json/feed/rrule-as-published",
	                test_rrule_as_published);
	g_test_add_func("/write-json/ends-at-start", test_ends_at_start);
	g_test_add_func("/write-json/jcal/cn-caret", test_cn_caret);
	g_test_add_func("/write-json/deterministic", test_deterministic);
	g_test_add_func("/write-json/jcal/sample", test_jcal_sample);
	g_test_add_func("/write-json/jcal/hard", test_jcal_hard);
	g_test_add_func("/write-json/jcal/component", test_jcal_component);
	g_test_add_func("/write-json/jcal/component-errors",
	                test_jcal_component_errors);
	return g_test_run();
}
