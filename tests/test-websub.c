/*
 * test-websub.c: which files are WebSub topics, their URLs, and the body
 * and Link header evfeed sends (src/websub.c). The pings themselves, and
 * their retries, are tested end to end by tests/integration/websub.sh.
 */
#include "autoconf.h"

#include <glib.h>
#include <string.h>

#include "config.h"
#include "websub.h"

static void
test_is_feed(void)
{
	static const char *const feeds[] = {
		"rss.xml",
		"atom.xml",
		"feed.json",
		"category/conference/rss.xml",
		"category/criminal-justice/atom.xml",
		"source/osce/feed.json",
	};
	static const char *const others[] = {
		"",
		"calendar.ics",
		"calendar.json",
		"index.html",
		"rss.xml.gz",
		"feed.json.gz",
		"category/conference/calendar.ics",
		"category/conference/rss.xml.gz",
		"events/rss.xml",
		"category//rss.xml",
		"category/x/y/rss.xml",
		"other/x/atom.xml",
		"category/rss.xml",
	};

	for (guint i = 0; i < G_N_ELEMENTS(feeds); i++)
		g_assert_true(evf_websub_is_feed(feeds[i]));
	for (guint i = 0; i < G_N_ELEMENTS(others); i++)
		if (evf_websub_is_feed(others[i]))
			g_error("'%s' is not a feed", others[i]);
}

static void
test_topics(void)
{
	EvfConfig cfg = { .url = (char *)"https://events.example.org/" };
	g_autoptr(GPtrArray) paths = g_ptr_array_new();
	g_autoptr(GPtrArray) topics = NULL;

	g_ptr_array_add(paths, (char *)"calendar.ics");
	g_ptr_array_add(paths, (char *)"category/meeting/atom.xml");
	g_ptr_array_add(paths, (char *)"rss.xml.gz");
	g_ptr_array_add(paths, (char *)"rss.xml");
	topics = evf_websub_topics(&cfg, paths);
	g_assert_cmpuint(topics->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(topics, 0), ==,
	                "https://events.example.org/category/meeting/atom.xml");
	g_assert_cmpstr(g_ptr_array_index(topics, 1), ==,
	                "https://events.example.org/rss.xml");
	g_clear_pointer(&topics, g_ptr_array_unref);
	topics = evf_websub_topics(&cfg, NULL);
	g_assert_cmpuint(topics->len, ==, 0);
}

static void
test_form(void)
{
	static const char topic[] =
	    "https://events.example.org/a b/x?y=1&hub.mode=subscribe#f%20é";
	g_autofree char *form = evf_websub_form(topic);
	g_autoptr(GHashTable) params = NULL;

	g_assert_true(g_str_has_prefix(form, "hub.mode=publish&hub.url="));
	/* Nothing but unreserved characters and escapes after the '='. */
	for (const char *p = strrchr(form, '=') + 1; *p != '\0'; p++)
		g_assert_true(g_ascii_isalnum(*p) || strchr("-._~%", *p));
	params = g_uri_parse_params(form, -1, "&", G_URI_PARAMS_NONE, NULL);
	g_assert_nonnull(params);
	g_assert_cmpuint(g_hash_table_size(params), ==, 2);
	g_assert_cmpstr(g_hash_table_lookup(params, "hub.mode"), ==, "publish");
	g_assert_cmpstr(g_hash_table_lookup(params, "hub.url"), ==, topic);
}

static void
test_link_header(void)
{
	g_autofree char *link = evf_websub_link_header(
	    "https://hub.example.net/", "https://events.example.org/rss.xml");

	g_assert_cmpstr(link, ==,
	                "<https://hub.example.net/>; rel=\"hub\", "
	                "<https://events.example.org/rss.xml>; rel=\"self\"");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/websub/is-feed", test_is_feed);
	g_test_add_func("/websub/topics", test_topics);
	g_test_add_func("/websub/form", test_form);
	g_test_add_func("/websub/link-header", test_link_header);
	return g_test_run();
}
