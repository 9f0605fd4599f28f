/*
 * test-migrate.c: what `evfeed import` is built from: import-ics.c's series
 * mode (one event per UID, the RRULE kept, no window and no partner cap,
 * the same answer through the sandbox as in this process, evfeed's own
 * "Cancelled: " taken off again) and plain text turned into Markdown that
 * renders back to the same text. The command itself is tested end to end
 * by tests/integration/import.sh.
 */
#include "autoconf.h"

#include "event.h"
#include "import.h"
#include "markdown.h"
#include "migrate.h"
#include "util.h"

#include <string.h>

#define BASE "https://old.example.org/"

static GBytes *
read_fixture(const char *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_test_build_filename(
	    G_TEST_DIST, "data", "import", "ics", name, NULL);
	char *data = NULL;
	gsize len = 0;

	g_file_get_contents(path, &data, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(data, len);
}

static EvfEvent *
find(EvfImport *imp, const char *uid)
{
	for (guint i = 0; i < imp->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(imp->events, i);

		if (strcmp(ev->uid, uid) == 0)
			return ev;
	}
	return NULL;
}

static void
test_series_recurrence(void)
{
	g_autoptr(GBytes) b = read_fixture("recurrence.ics");
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_ics_series_unsandboxed(
	    g_bytes_get_data(b, NULL), g_bytes_get_size(b), BASE, &error);
	EvfEvent *weekly, *yearly, *orphan;
	g_autofree char *start = NULL;

	g_assert_no_error(error);
	/* The two series, once each, under their own UIDs; no override of
	 * them and no occurrence becomes an event of its own. */
	g_assert_cmpuint(imp->events->len, ==, 3);
	weekly = find(imp, "weekly@partner.example");
	yearly = find(imp, "yearly@partner.example");
	g_assert_nonnull(weekly);
	g_assert_nonnull(yearly);
	g_assert_cmpstr(weekly->rrule, ==, "FREQ=WEEKLY;COUNT=6;BYDAY=MO");
	g_assert_cmpstr(weekly->tzid, ==, "Europe/Vienna");
	g_assert_cmpstr(weekly->title, ==, "Weekly coordination call");
	start = g_date_time_format(weekly->start, "%Y-%m-%dT%H:%M:%S%z");
	g_assert_cmpstr(start, ==, "2018-06-04T10:00:00+0200");
	g_assert_cmpstr(yearly->rrule, ==, "FREQ=YEARLY");
	g_assert_true(yearly->all_day);
	/* 2015, far outside the partner window. */
	g_assert_cmpint(g_date_get_year(&yearly->start_date), ==, 2015);
	/* The override whose series is not in the calendar is an event of
	 * its own, under its uid and occurrence. */
	orphan = find(imp, "orphan@partner.example/20180705");
	g_assert_nonnull(orphan);
	g_assert_true(orphan->all_day);
	g_assert_cmpint(g_date_get_day(&orphan->start_date), ==, 6);
	g_assert_null(orphan->rrule);
	g_assert_cmpuint(imp->skipped, ==, 0);
}

static const char cancelled_ics[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//evfeed//evfeed//EN\r\n"
    "BEGIN:VEVENT\r\nUID:gone@example.org\r\nDTSTAMP:20180101T000000Z\r\n"
    "DTSTART:20180503T080000Z\r\nDTEND:20180503T100000Z\r\n"
    "SUMMARY:Cancelled: Briefing\r\nSTATUS:CANCELLED\r\n"
    "ORGANIZER;CN=Council:mailto:events@example.org\r\n"
    "IMAGE;VALUE=BINARY;ENCODING=BASE64;FMTTYPE=image/png:iVBORw0KGgo=\r\n"
    "IMAGE;VALUE=URI;DISPLAY=BADGE:https://example.org/logo.png\r\n"
    "IMAGE;VALUE=URI:https://example.org/other.png\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:kept@example.org\r\nDTSTAMP:20180101T000000Z\r\n"
    "DTSTART;VALUE=DATE:19900101\r\n"
    "SUMMARY:Cancelled: a title of its own\r\n"
    "ORGANIZER:mailto:not an address\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

static void
test_series_fields(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_ics_series_unsandboxed(
	    cancelled_ics, strlen(cancelled_ics), BASE, &error);
	EvfEvent *gone, *kept;

	g_assert_no_error(error);
	gone = find(imp, "gone@example.org");
	kept = find(imp, "kept@example.org");
	g_assert_nonnull(gone);
	g_assert_nonnull(kept);
	/* evfeed's calendar writes "Cancelled: " before the title of a
	 * cancelled event: the event file has the title alone. */
	g_assert_cmpint(gone->status, ==, EVF_STATUS_CANCELLED);
	g_assert_cmpstr(gone->title, ==, "Briefing");
	g_assert_cmpstr(gone->organizer_email, ==, "events@example.org");
	g_assert_cmpuint(gone->organizers->len, ==, 1);
	/* The first IMAGE that links to http or https is the image. */
	g_assert_cmpstr(gone->image, ==, "https://example.org/logo.png");
	/* Not cancelled: the title is what it says. */
	g_assert_cmpstr(kept->title, ==, "Cancelled: a title of its own");
	g_assert_null(kept->organizer_email);
	g_assert_null(kept->rrule);
	g_assert_null(kept->image);
}

/* Partner imports stay as they were: expanded, no RRULE, the title as
 * written. */
static void
test_expanding_unchanged(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = evf_import_ics_unsandboxed(
	    cancelled_ics, strlen(cancelled_ics), BASE,
	    G_GINT64_CONSTANT(1525000000) * G_USEC_PER_SEC, &error);
	EvfEvent *gone;

	g_assert_no_error(error);
	gone = find(imp, "gone@example.org");
	g_assert_nonnull(gone);
	g_assert_cmpstr(gone->title, ==, "Cancelled: Briefing");
	g_assert_null(gone->organizer_email);
	g_assert_null(gone->image);
}

/* The sandboxed child gives the same events, the RRULE and the address
 * included, and more than a partner's cap of them. */
static void
test_series_sandboxed(void)
{
	g_autoptr(GString) ics = g_string_new(
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) in = NULL;
	g_autoptr(EvfImport) out = NULL;
	guint n = EVF_IMPORT_MAX_ITEMS + 100;

	g_string_append(ics, cancelled_ics + strlen("BEGIN:VCALENDAR\r\n"
	                                            "VERSION:2.0\r\n"
	                                            "PRODID:-//evfeed//evfeed/"
	                                            "/EN\r\n"));
	g_string_truncate(ics, ics->len - strlen("END:VCALENDAR\r\n"));
	for (guint i = 0; i < n; i++)
		g_string_append_printf(
		    ics,
		    "BEGIN:VEVENT\r\nUID:e%u@example.org\r\n"
		    "DTSTAMP:20180101T000000Z\r\n"
		    "DTSTART;TZID=Europe/Ljubljana:2001%02u%02uT090000\r\n"
		    "RRULE:FREQ=DAILY;COUNT=%u\r\nSUMMARY:Event %u\r\n"
		    "END:VEVENT\r\n",
		    i, i % 12 + 1, i % 28 + 1, i % 5 + 1, i);
	g_string_append(ics, "END:VCALENDAR\r\n");

	in =
	    evf_import_ics_series_unsandboxed(ics->str, ics->len, BASE, &error);
	g_assert_no_error(error);
	out = evf_import_ics_series(ics->str, ics->len, BASE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(in->events->len, ==, n + 2);
	g_assert_cmpuint(out->events->len, ==, in->events->len);
	for (guint i = 0; i < in->events->len; i++) {
		EvfEvent *a = g_ptr_array_index(in->events, i);
		EvfEvent *b = g_ptr_array_index(out->events, i);

		g_assert_cmpstr(a->uid, ==, b->uid);
		g_assert_cmpstr(a->rrule, ==, b->rrule);
		g_assert_cmpstr(a->organizer_email, ==, b->organizer_email);
		g_assert_cmpstr(a->image, ==, b->image);
		g_assert_cmpstr(a->fingerprint, ==, b->fingerprint);
	}
	g_assert_cmpstr(find(out, "e7@example.org")->rrule, ==,
	                "FREQ=DAILY;COUNT=3");
	g_assert_cmpstr(find(out, "gone@example.org")->image, ==,
	                "https://example.org/logo.png");
}

/* Text that looks like Markdown or HTML renders back as the same text. */
static void
test_markdown_roundtrip(void)
{
	static const char *const texts[] = {
		"Plain words, nothing else.",
		"# not a heading\n> not a quote\n- not a list\n+ nor this\n"
		"1. nor this\n2) nor this\n    not code\n===\n---",
		"*not emphasis* _nor this_ **nor** `code` ~~struck~~ "
		"[not](a link) ![nor](an image) a|b",
		"<script>alert(1)</script> &amp; &lt; <b>bold</b> \\ back\\slash",
		"A path C:\\new\\table and 5 * 3 = 15_000",
		"First paragraph\nsecond line of it.\n\n\nNext paragraph.",
		"Programme: https://www.example.org/a_b_c/*x*?q=1&r=2 and "
		"https://example.org/~me/x_(y)",
		"See the agenda <https://events.example.org/agenda.html> "
		"(<https://www.gov.si/en/>).",
		"https://a.example/e<br>next and (https://b.example/c<d) and "
		"<https://c.example/?a=1&amp;b=2> and https://d.example/&x<y",
		"a <b href=x>not a tag</b> > not a quote",
		"https://localhost/_not_emphasis_ and (https://example.org/a_)_",
		/* as evfeed's own calendar writes a link: its address in
		 * angle brackets, after any character */
		"abs <https://x.org/p?q=1&r=2>, [https://x.org/a_b_c] and "
		"x=https://x.org/~me*[y]",
		"<https://x.org/?a=1&amp;b=*2*_c_\\d> and "
		"<http://x.org/`e`>",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autofree char *md = evf_migrate_markdown(texts[i]);
		g_autofree char *html = NULL;
		g_autofree char *text = NULL;
		g_autofree char *want = NULL;
		g_autoptr(GRegex) blanks = g_regex_new("\\s+", 0, 0, NULL);
		g_autofree char *a = NULL;
		g_autofree char *b = NULL;

		evf_markdown_render(md, BASE, &html, &text, NULL);
		g_test_message("%s\n→ %s\n→ %s\n→ %s", texts[i], md, html,
		               text);
		/* No markup from the text; the same words in the same
		 * order (the renderer decides on white space). */
		g_assert_null(strstr(html, "<script"));
		g_assert_null(strstr(html, "<b>"));
		g_assert_null(strstr(html, "<em>"));
		g_assert_null(strstr(html, "<h1"));
		g_assert_null(strstr(html, "<li"));
		g_assert_null(strstr(html, "<blockquote"));
		g_assert_null(strstr(html, "<pre"));
		g_assert_null(strstr(html, "<del"));
		g_assert_null(strstr(html, "<img"));
		want = g_strstrip(g_strdup(texts[i]));
		a = g_regex_replace_literal(blanks, want, -1, 0, " ", 0, NULL);
		b = g_regex_replace_literal(blanks, g_strstrip(text), -1, 0,
		                            " ", 0, NULL);
		g_assert_cmpstr(b, ==, a);
	}
}

/* A web address in angle brackets (as a link's target is written in
 * plain text) or one that a '<' ends is linked, and the text is the same:
 * the autolink extension once read "https://a.example/e<br>" as far as
 * the escape before the '<', and an address in brackets was not linked. */
static void
test_markdown_links(void)
{
	g_autofree char *md =
	    evf_migrate_markdown("Agenda: agenda <https://example.rs/agenda>\n"
	                         "https://a.example/e<br>next");
	g_autofree char *html = NULL;
	g_autofree char *text = NULL;

	evf_markdown_render(md, BASE, &html, &text, NULL);
	g_test_message("%s\n→ %s\n→ %s", md, html, text);
	g_assert_nonnull(strstr(html,
	                        "&lt;<a href=\"https://example.rs/agenda\">"
	                        "https://example.rs/agenda</a>&gt;"));
	g_assert_nonnull(strstr(html, "<a href=\"https://a.example/e\">"
	                              "https://a.example/e</a>&lt;br&gt;next"));
	g_assert_null(strstr(html, "%5C"));
	g_assert_cmpstr(text, ==,
	                "Agenda: agenda <https://example.rs/agenda>\n"
	                "https://a.example/e<br>next");
}

/* The plain text that evfeed's own calendar holds for a body with
 * autolinks imports as that body again: nothing is added to it, however
 * often the site is built and imported. */
static void
test_markdown_own_calendar(void)
{
	static const char *const bodies[] = {
		"See www.example.org.\n",
		"Mail info@example.org or see https://example.org/a and "
		"(www.example.org/b_c).\n",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autofree char *md = g_strdup(bodies[i]);

		for (guint gen = 0; gen < 3; gen++) {
			g_autofree char *html = NULL;
			g_autofree char *text = NULL;

			evf_markdown_render(md, BASE, &html, &text, NULL);
			g_free(md);
			md = evf_migrate_markdown(text);
			g_test_message("%s → %s", text, md);
			g_assert_cmpstr(md, ==, bodies[i]);
		}
	}
}

/* A plain text's lines stay lines, as in a partner's calendar
 * (text_to_html): "Speaker: …", "Room: …" and the agenda each on its own
 * line of the page, the feeds and Outlook's HTML, where they ran together
 * as one paragraph. */
static void
test_markdown_lines(void)
{
	g_autofree char *md = evf_migrate_markdown(
	    "Speaker: Bob Smith\nRoom: 5\nAgenda:\n1. Budget\n2. Plans\n"
	    "Notes: https://example.org/notes\nEnd.");
	g_autofree char *html = NULL;
	g_autofree char *text = NULL;

	evf_markdown_render(md, BASE, &html, &text, NULL);
	g_test_message("%s\n→ %s\n→ %s", md, html, text);
	g_assert_cmpstr(
	    html, ==,
	    "<p>Speaker: Bob Smith<br>\nRoom: 5<br>\nAgenda:<br>\n"
	    "1. Budget<br>\n2. Plans<br>\nNotes: <a "
	    "href=\"https://example.org/notes\">https://example.org/notes</a>"
	    "<br>\nEnd.</p>");
	g_assert_cmpstr(text, ==,
	                "Speaker: Bob Smith\nRoom: 5\nAgenda:\n1. Budget\n"
	                "2. Plans\nNotes: https://example.org/notes\nEnd.");
}

/* Paragraphs stay paragraphs, and web addresses become links. */
static void
test_markdown_structure(void)
{
	g_autofree char *md = evf_migrate_markdown(
	    "One\ntwo\n\n\nThree: https://www.example.org/a_b\n"
	    "www.example.org/*x*");
	g_autofree char *html = NULL;
	g_autofree char *text = NULL;

	evf_markdown_render(md, BASE, &html, &text, NULL);
	g_test_message("%s\n→ %s", md, html);
	g_assert_cmpstr(md, ==,
	                "One\\\ntwo\n\nThree: https://www.example.org/a_b  \n"
	                "www.example.org/*x*\n");
	g_assert_nonnull(strstr(html, "<p>One<br>\ntwo</p>"));
	g_assert_nonnull(strstr(html, "<p>Three"));
	g_assert_nonnull(
	    strstr(html, "<a href=\"https://www.example.org/a_b\""));
	/* GFM leaves a final '*' out of the link, as text, not markup. */
	g_assert_nonnull(strstr(html, "<a href=\"http://www.example.org/*x\">"
	                              "www.example.org/*x</a>*</p>"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("TZ", "America/New_York", TRUE);

	g_test_add_func("/migrate/series/recurrence", test_series_recurrence);
	g_test_add_func("/migrate/series/fields", test_series_fields);
	g_test_add_func("/migrate/series/expanding-unchanged",
	                test_expanding_unchanged);
	g_test_add_func("/migrate/series/sandboxed", test_series_sandboxed);
	g_test_add_func("/migrate/markdown/roundtrip", test_markdown_roundtrip);
	g_test_add_func("/migrate/markdown/links", test_markdown_links);
	g_test_add_func("/migrate/markdown/structure", test_markdown_structure);
	g_test_add_func("/migrate/markdown/lines", test_markdown_lines);
	g_test_add_func("/migrate/markdown/own-calendar",
	                test_markdown_own_calendar);
	return g_test_run();
}
