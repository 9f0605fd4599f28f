/*
 * fuzz-dates.c: the date parsers, reached the way dates arrive. The first
 * line of the input (at most 300 bytes) is written, escaped, into a small
 * RSS 2.0 document as pubDate, dc:date, ev:startdate and ev:enddate and
 * into a small Atom document as updated, published and ev:startdate, both
 * read by evf_import_feed (W3C-DTF and the RFC 822 variants feeds write);
 * and unescaped into event files as `start:`, `end:` and `published:`,
 * read by evf_eventfile_parse (YAML scalars, dates, times, zones).
 *
 * A date a feed cannot read is a warning about one item, never a refused
 * feed: when the line is text XML allows, both documents must import.
 */
#include "autoconf.h"

#define EVF_FUZZ_IMPORT 1
#include "fuzz.h"

#include "config.h"
#include "eventfile.h"
#include "util.h"

#include <glib/gstdio.h>

#define MAX_DATE 300

static EvfConfig *cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autofree char *dir = NULL;
	g_autofree char *path = NULL;

	evf_fuzz_setup();
	dir = g_dir_make_tmp("evfeed-fuzz-XXXXXX", &error);
	if (dir == NULL)
		g_error("cannot make a temporary folder: %s", error->message);
	path = g_build_filename(dir, "evfeed.conf", NULL);
	if (!g_file_set_contents(path,
	                         "[site]\n"
	                         "title=Fuzzed Events\n"
	                         "url=https://events.example.org/\n"
	                         "timezone=Europe/Ljubljana\n",
	                         -1, &error))
		g_error("cannot write '%s': %s", path, error->message);
	cfg = evf_config_load(path, diags);
	g_remove(path);
	g_rmdir(dir);
	if (cfg == NULL)
		g_error("the fixed configuration does not load");
	return 0;
}

/* Whether @s can be XML character data once '&', '<' and '>' are
 * escaped: UTF-8 of characters XML 1.0 allows. */
static gboolean
xml_text_ok(const char *s, gsize len)
{
	const char *end = s + len;

	if (!g_utf8_validate_len(s, len, NULL))
		return FALSE;
	for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		if ((ch < 0x20 && ch != '\t') || ch == 0xfffe || ch == 0xffff)
			return FALSE;
	}
	return TRUE;
}

/* (transfer full): @s with '&', '<' and '>' escaped, bytes as they are. */
static char *
xml_escape(const char *s, gsize len)
{
	GString *out = g_string_sized_new(len + 16);

	for (gsize i = 0; i < len; i++) {
		if (s[i] == '&')
			g_string_append(out, "&amp;");
		else if (s[i] == '<')
			g_string_append(out, "&lt;");
		else if (s[i] == '>')
			g_string_append(out, "&gt;");
		else
			g_string_append_c(out, s[i]);
	}
	return g_string_free(out, FALSE);
}

static void
import(const char *doc, gboolean must_import)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_feed(
	    doc, strlen(doc), "https://partner.example/feed.xml", &error);

	if ((imp == NULL) == (error == NULL))
		abort();
	if (imp == NULL && must_import)
		evf_fuzz_fail("a feed was refused for a date", error->message);
	if (imp != NULL)
		evf_fuzz_check_import(imp);
}

static void
parse_event(const char *text)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev =
	    evf_eventfile_parse("events/dates.md", "dates", text, strlen(text),
	                        cfg, EVF_FUZZ_NOW, diags);

	if (ev == NULL && evf_diags_errors(diags) == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *date = NULL;
	g_autofree char *x = NULL;
	g_autofree char *rss = NULL;
	g_autofree char *atom = NULL;
	g_autofree char *start = NULL;
	g_autofree char *end = NULL;
	g_autofree char *published = NULL;
	gsize len = 0;
	gboolean ok;

	while (len < size && len < MAX_DATE && data[len] != '\n' &&
	       data[len] != '\r' && data[len] != '\0')
		len++;
	date = g_strndup((const char *)data, len);
	ok = xml_text_ok(date, len);
	x = xml_escape(date, len);

	rss = g_strdup_printf(
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<rss version=\"2.0\" "
	    "xmlns:ev=\"http://purl.org/rss/1.0/modules/event/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	    "<channel><title>Dates</title>"
	    "<link>https://partner.example/</link>"
	    "<description>Dates</description>\n"
	    "<item><title>A</title><link>https://partner.example/a</link>"
	    "<pubDate>%s</pubDate><ev:startdate>%s</ev:startdate></item>\n"
	    "<item><title>B</title><link>https://partner.example/b</link>"
	    "<dc:date>%s</dc:date>"
	    "<ev:startdate>2018-06-01T10:00:00+02:00</ev:startdate>"
	    "<ev:enddate>%s</ev:enddate></item>\n"
	    "</channel></rss>\n",
	    x, x, x, x);
	import(rss, ok);

	atom = g_strdup_printf(
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xmlns:ev=\"http://purl.org/rss/1.0/modules/event/\">\n"
	    "<title>Dates</title><id>urn:uuid:dates</id>"
	    "<updated>%s</updated>\n"
	    "<entry><title>A</title><id>urn:uuid:a</id>"
	    "<link href=\"https://partner.example/a\"/>"
	    "<updated>%s</updated></entry>\n"
	    "<entry><title>B</title><id>urn:uuid:b</id>"
	    "<link href=\"https://partner.example/b\"/>"
	    "<published>%s</published>"
	    "<updated>2018-05-01T00:00:00Z</updated>"
	    "<ev:startdate>%s</ev:startdate></entry>\n"
	    "</feed>\n",
	    x, x, x, x);
	import(atom, ok);

	start =
	    g_strdup_printf("---\ntitle: Dates\nstart: %s\n---\nText.\n", date);
	parse_event(start);
	end = g_strdup_printf("---\ntitle: Dates\nstart: 2018-10-28T01:30\n"
	                      "end: %s\n---\nText.\n",
	                      date);
	parse_event(end);
	published = g_strdup_printf("---\ntitle: Dates\nstart: 2018-06-01\n"
	                            "published: %s\n---\nText.\n",
	                            date);
	parse_event(published);
	return 0;
}
