/*
 * test-eventfile.c: event files as src/eventfile.c reads them, from strings:
 * every key of a valid event, the date rules, and one test per mistake with
 * the exact line and column an editor is sent to.
 */
#include "autoconf.h"

#include <glib.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "event.h"
#include "eventfile.h"
#include "eventwrite.h"
#include "render.h"
#include "tz.h"
#include "util.h"

#define PATH "events/x.md"
#define STEM "x"

/* "Now" for every test: 2018-06-01T00:00:00Z. */
#define NOW (G_GINT64_CONSTANT(1527811200) * G_USEC_PER_SEC)

static EvfConfig *cfg;

/* The site's configuration, read from a small file like any other. */
static EvfConfig *
make_config(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autofree char *dir =
	    g_dir_make_tmp("evfeed-test-eventfile-XXXXXX", &error);
	g_autofree char *path = NULL;
	EvfConfig *c;

	g_assert_no_error(error);
	path = g_build_filename(dir, "evfeed.conf", NULL);
	g_file_set_contents(path,
	                    "[site]\n"
	                    "title=Test Events\n"
	                    "url=https://events.example.org/\n"
	                    "timezone=Europe/Ljubljana\n",
	                    -1, &error);
	g_assert_no_error(error);
	c = evf_config_load(path, diags);
	g_assert_cmpuint(diags->len, ==, 0);
	g_assert(c != NULL);
	g_remove(path);
	g_rmdir(dir);
	return c;
}

static void
log_diags(GPtrArray *diags)
{
	for (guint i = 0; i < diags->len; i++) {
		g_autofree char *s =
		    evf_diag_format(g_ptr_array_index(diags, i));
		g_test_message("%s", s);
	}
}

static EvfEvent *
parse_full(const char *stem, const char *data, gsize len, GPtrArray *diags)
{
	EvfEvent *ev =
	    evf_eventfile_parse(PATH, stem, data, len, cfg, NOW, diags);

	log_diags(diags);
	return ev;
}

static EvfEvent *
parse(const char *text, GPtrArray *diags)
{
	return parse_full(STEM, text, strlen(text), diags);
}

/* Parses @text, which must be valid. */
static EvfEvent *
parse_ok(const char *text)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	EvfEvent *ev = parse(text, diags);

	g_assert_nonnull(ev);
	g_assert_cmpuint(diags->len, ==, 0);
	return ev;
}

/* Parses @text, which must be valid, with no warning but that of a
 * series of more than one occurrence a day, which
 * python-recurring-ical-events shows one of (warn_several_a_day). */
static EvfEvent *
parse_series_ok(const char *text)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	EvfEvent *ev = parse(text, diags);

	g_assert_nonnull(ev);
	for (guint i = 0; i < diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(diags, i);

		g_assert_true(d->warning);
		g_assert_nonnull(strstr(d->message, " occurrences a day: "
		                                    "python-recurring-ical-"
		                                    "events"));
	}
	return ev;
}

/* As parse_series_ok(), for a series whose start is written with its
 * offset: with the warning that its dates in UTC are not those of its
 * rule from the day written when @warned, else without. */
static EvfEvent *
parse_offset_series(const char *text, gboolean warned)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	EvfEvent *ev = parse(text, diags);
	guint told = 0;

	g_assert_nonnull(ev);
	for (guint i = 0; i < diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(diags, i);

		g_test_message("%s", d->message);
		g_assert_true(d->warning);
		if (strstr(d->message, "so the series runs in UTC, where it "
		                       "starts ") != NULL &&
		    strstr(d->message,
		           "on another day than written, and its "
		           "dates are not those of the rule") != NULL)
			told++;
		else
			g_assert_nonnull(
			    strstr(d->message, " occurrences a day: "));
	}
	g_assert_cmpuint(told, ==, warned ? 1 : 0);
	return ev;
}

/* Parses @len bytes of @data, which must be refused with exactly one
 * error, at @line:@col, whose message holds @needle. */
static void
assert_error_len(const char *data, gsize len, guint line, guint col,
                 const char *needle)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse_full(STEM, data, len, diags);
	const EvfDiag *d;

	g_assert_null(ev);
	g_assert_cmpuint(diags->len, ==, 1);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 1);
	if (diags->len < 1)
		return;
	d = g_ptr_array_index(diags, 0);
	g_assert_cmpstr(d->file, ==, PATH);
	g_assert_cmpuint(d->line, ==, line);
	g_assert_cmpuint(d->col, ==, col);
	if (strstr(d->message, needle) == NULL)
		g_test_message("'%s' not in '%s'", needle, d->message);
	g_assert_nonnull(strstr(d->message, needle));
}

static void
assert_error(const char *text, guint line, guint col, const char *needle)
{
	assert_error_len(text, strlen(text), line, col, needle);
}

static void assert_errors_len(const char *data, gsize len,
                              const char *const *want);
static void assert_errors(const char *text, const char *const *want);

/* (transfer full): the event of @text, which must be accepted with exactly
 * one diagnostic, a warning at @line:@col whose message holds @needle. */
static EvfEvent *
parse_warned(const char *text, guint line, guint col, const char *needle)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	EvfEvent *ev = parse(text, diags);
	const EvfDiag *d;

	g_assert_nonnull(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, 1);
	if (diags->len != 1)
		return ev;
	d = g_ptr_array_index(diags, 0);
	g_assert_true(d->warning);
	g_assert_cmpuint(d->line, ==, line);
	g_assert_cmpuint(d->col, ==, col);
	if (strstr(d->message, needle) == NULL)
		g_test_message("'%s' not in '%s'", needle, d->message);
	g_assert_nonnull(strstr(d->message, needle));
	return ev;
}

static gint64
utc_us(int y, int mo, int d, int h, int mi, int s)
{
	g_autoptr(GDateTime) t = g_date_time_new_utc(y, mo, d, h, mi, s);

	return g_date_time_to_unix(t) * G_USEC_PER_SEC;
}

static gint64
unix_of(GDateTime *t)
{
	return g_date_time_to_unix(t);
}

static void
assert_date(const GDate *d, int y, int m, int day)
{
	g_assert_true(g_date_valid(d));
	g_assert_cmpint(g_date_get_year(d), ==, y);
	g_assert_cmpint(g_date_get_month(d), ==, m);
	g_assert_cmpint(g_date_get_day(d), ==, day);
}

/* ------------------------------------------------------- valid files */

static const char full_event[] =
    "---\n"
    "title: Conference on Security Sector Reform\n"
    "start: 2018-10-16T09:00\n"
    "end: 2018-10-17T17:30\n"
    "timezone: Europe/Ljubljana\n"
    "location: Brdo pri Kranju, Slovenia\n"
    "geo: \"46.2937, 14.3961\"\n"
    "organizer: Security Sector Reform Network\n"
    "organizer_email: events@example.org\n"
    "categories: [conference, security sector reform]\n"
    "url: https://www.dcaf.ch/\n"
    "status: tentative\n"
    "uid: 5b1f9c2e-8d4a-4f6b-9e3c-7a2d1c0b4e58\n"
    "published: 2018-05-01T08:00:00Z\n"
    "image: https://events.example.org/images/ssr.png\n"
    "recurrence: FREQ=WEEKLY;COUNT=3\n"
    "---\n"
    "Uses **every** key. See [the agenda](agenda.html).\n";

static void
test_valid_full_event(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev =
	    parse_full("2018-10-16-ssr", full_event, strlen(full_event), diags);

	g_assert_cmpuint(diags->len, ==, 0);
	g_assert_nonnull(ev);
	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->uid, ==, "5b1f9c2e-8d4a-4f6b-9e3c-7a2d1c0b4e58");
	g_assert_cmpuint(ev->uid_line, ==, 13);
	g_assert_cmpuint(ev->uid_col, ==, 6);
	g_assert_cmpstr(ev->slug, ==, "2018-10-16-ssr");
	g_assert_cmpstr(ev->path, ==, PATH);
	g_assert_cmpstr(ev->title, ==, "Conference on Security Sector Reform");
	g_assert_false(ev->tba);
	g_assert_false(ev->all_day);
	g_assert_cmpstr(ev->tzid, ==, "Europe/Ljubljana");
	/* 09:00 and 17:30 in Ljubljana, summer time (UTC+2). */
	g_assert_cmpint(g_date_time_get_hour(ev->start), ==, 9);
	g_assert_cmpint(g_date_time_get_utc_offset(ev->start), ==,
	                2 * G_TIME_SPAN_HOUR);
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 10, 16, 7, 0, 0));
	g_assert_cmpint(unix_of(ev->end) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 10, 17, 15, 30, 0));
	g_assert_cmpstr(ev->location, ==, "Brdo pri Kranju, Slovenia");
	g_assert_true(ev->has_geo);
	g_assert_cmpfloat_with_epsilon(ev->lat, 46.2937, 1e-9);
	g_assert_cmpfloat_with_epsilon(ev->lon, 14.3961, 1e-9);
	g_assert_cmpuint(ev->organizers->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(ev->organizers, 0), ==,
	                "Security Sector Reform Network");
	g_assert_cmpstr(ev->organizer_email, ==, "events@example.org");
	g_assert_cmpuint(ev->categories->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 0), ==, "conference");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 1), ==,
	                "security sector reform");
	g_assert_cmpstr(ev->url, ==, "https://www.dcaf.ch/");
	g_assert_cmpint(ev->status, ==, EVF_STATUS_TENTATIVE);
	g_assert_cmpint(ev->published, ==, utc_us(2018, 5, 1, 8, 0, 0));
	g_assert_cmpstr(ev->image, ==,
	                "https://events.example.org/images/ssr.png");
	g_assert_cmpstr(ev->rrule, ==, "FREQ=WEEKLY;COUNT=3");
	g_assert_cmpstr(ev->description_md, ==,
	                "Uses **every** key. See [the agenda](agenda.html).");
	g_assert_nonnull(
	    strstr(ev->description_html, "<strong>every</strong>"));
	g_assert_nonnull(strstr(ev->description_html,
	                        "href=\"https://events.example.org/"
	                        "agenda.html\""));
	g_assert_nonnull(strstr(ev->description_text,
	                        "the agenda "
	                        "<https://events.example.org/agenda.html>"));
	g_assert_nonnull(ev->fingerprint);
	g_assert_true(
	    g_regex_match_simple("^[0-9a-f]{64}$", ev->fingerprint, 0, 0));
}

static void
test_valid_minimal(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Workshop\n"
	                                  "start: 2018-05-22\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_cmpint(ev->status, ==, EVF_STATUS_CONFIRMED);
	g_assert_cmpuint(ev->organizers->len, ==, 0);
	g_assert_cmpuint(ev->categories->len, ==, 0);
	g_assert_null(ev->location);
	g_assert_null(ev->url);
	g_assert_null(ev->rrule);
	g_assert_false(ev->has_geo);
	g_assert_cmpint(ev->published, ==, 0);
	g_assert_cmpstr(ev->description_md, ==, "");
	g_assert_cmpstr(ev->description_html, ==, "");
	g_assert_cmpstr(ev->description_text, ==, "");
}

static void
test_valid_block_lists(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Workshop\n"
	                                  "start: 2018-05-22\n"
	                                  "organizer:\n"
	                                  "  - OSCE\n"
	                                  "  - UNODC\n"
	                                  "categories:\n"
	                                  "  - workshop\n"
	                                  "  - Workshop\n"
	                                  "  - workshop\n"
	                                  "  - H\u2082O\n"
	                                  "  - H2O\n"
	                                  "  - Institute \u2161\n"
	                                  "  - Institute II\n"
	                                  "status: Cancelled\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_cmpuint(ev->organizers->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(ev->organizers, 1), ==, "UNODC");
	/* A repetition is dropped, in another case too: both would be
	 * category/workshop/. The first spelling stays. So is a name that
	 * looks alike of the same address (Institute Ⅱ, Institute II); one
	 * of another is another category (H₂O, H2O: two slugs). */
	g_assert_cmpuint(ev->categories->len, ==, 4);
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 0), ==, "workshop");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 1), ==, "H\u2082O");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 2), ==, "H2O");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 3), ==,
	                "Institute \u2161");
	g_assert_cmpint(ev->status, ==, EVF_STATUS_CANCELLED);
}

/* 8,000 categories in 50 KB of front matter: each was compared with all
 * before it (case-folded and collated again each time), 20 s. The
 * repeats are still found, in another case too. */
/* 8,000 names, 100 different ones in various cases: read in linear time
 * (comparing each with all before it took seconds), each kept once, as
 * first written. */
static void
test_valid_many_categories(void)
{
	g_autoptr(GString) text =
	    g_string_new("---\ntitle: Workshop\nstart: 2018-05-22\n"
	                 "categories: [");
	g_autoptr(EvfEvent) ev = NULL;
	gint64 start;
	double secs;

	for (int i = 0; i < 8000; i++)
		g_string_append_printf(text, i % 3 ? "c%d, " : "C%d, ",
		                       i % 100);
	g_string_append(text, "C99, c0]\n---\n");
	start = g_get_monotonic_time();
	ev = parse_ok(text->str);
	secs = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_test_message("8000 categories in %.2f s", secs);
	if (ev == NULL)
		return;
	g_assert_cmpuint(ev->categories->len, ==, 100);
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 0), ==, "C0");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 1), ==, "c1");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 99), ==, "C99");
#if !defined(__SANITIZE_ADDRESS__)
	/* Linear: a tenth of a second here. */
	g_assert_cmpfloat(secs, <, 10.0);
#endif
}

/* Each category is a calendar, feeds and a page that list its events
 * with all their categories: an event with thousands of them made a
 * gigabyte of output. One error, at the first one too many; the items
 * after it are still checked. */
static void
test_categories_too_many(void)
{
	g_autoptr(GString) text =
	    g_string_new("---\ntitle: Workshop\nstart: 2018-05-22\n"
	                 "categories:\n");
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = NULL;
	g_autofree char *first = NULL;
	const EvfDiag *d;
	gint64 start;
	double secs;

	/* 100 are fine, with repeats in another case */
	for (int i = 0; i < 100; i++)
		g_string_append_printf(text, "  - c%d\n  - C%d\n", i, i);
	first = g_strconcat(text->str, "---\n", NULL);
	ev = parse_ok(first);
	if (ev != NULL)
		g_assert_cmpuint(ev->categories->len, ==, 100);
	g_clear_pointer(&ev, evf_event_unref);

	/* lines 5-204 hold the 200 above; line 205 the first one too
	 * many, of 4,000 more (the front matter's 64 KiB allow no more);
	 * line 4205 one that is not plain text */
	for (int i = 100; i < 4100; i++)
		g_string_append_printf(text, "  - c%d\n", i);
	g_string_append(text, "  - '<b></b>'\n---\n");
	start = g_get_monotonic_time();
	ev = parse(text->str, diags);
	secs = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_test_message("4100 categories in %.2f s", secs);
	g_assert_null(ev);
	g_assert_cmpuint(diags->len, ==, 2);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 2);
	if (diags->len != 2)
		return;
	d = g_ptr_array_index(diags, 0);
	g_assert_cmpuint(d->line, ==, 205);
	g_assert_cmpuint(d->col, ==, 5);
	g_assert_nonnull(strstr(d->message, "categories: more than 100"));
	d = g_ptr_array_index(diags, 1);
	g_assert_cmpuint(d->line, ==, 4205);
	g_assert_nonnull(strstr(d->message, "nothing but HTML"));
#if !defined(__SANITIZE_ADDRESS__)
	g_assert_cmpfloat(secs, <, 10.0);
#endif
}

/* ------------------------------------------------------------- dates */

static void
test_dates_all_day_end_exclusive(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Conference\n"
	                                  "start: 2018-09-25\n"
	                                  "end: 2018-09-27\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_true(ev->all_day);
	g_assert_false(ev->tba);
	g_assert_null(ev->start);
	g_assert_null(ev->end);
	g_assert_null(ev->tzid);
	assert_date(&ev->start_date, 2018, 9, 25);
	/* The editor's last day is the 27th; iCalendar's end is the day
	 * after. */
	assert_date(&ev->end_date, 2018, 9, 28);
}

static void
test_dates_all_day_one_day(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Conference\n"
	                                  "start: 2018-05-22\n"
	                                  "---\n");
	g_autoptr(EvfEvent) same = parse_ok("---\n"
	                                    "title: Conference\n"
	                                    "start: 2018-05-22\n"
	                                    "end: 2018-05-22\n"
	                                    "---\n");

	if (ev == NULL || same == NULL)
		return;
	g_assert_true(ev->all_day);
	assert_date(&ev->start_date, 2018, 5, 22);
	assert_date(&ev->end_date, 2018, 5, 23);
	assert_date(&same->end_date, 2018, 5, 23);
}

static void
test_dates_all_day_across_new_year(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Winter Course\n"
	                                  "start: 2018-12-30\n"
	                                  "end: 2018-12-31\n"
	                                  "---\n");

	if (ev != NULL)
		assert_date(&ev->end_date, 2019, 1, 1);
}

static void
test_dates_timed_default_end(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Briefing\n"
	                                  "start: 2018-05-22T09:00\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_false(ev->all_day);
	g_assert_cmpstr(ev->tzid, ==, "Europe/Ljubljana");
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 5, 22, 7, 0, 0));
	g_assert_cmpint(g_date_time_difference(ev->end, ev->start), ==,
	                G_TIME_SPAN_HOUR);
	g_assert_cmpint(g_date_time_get_hour(ev->end), ==, 10);
}

static void
test_dates_timed_seconds_and_space(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Briefing\n"
	                                  "start: 2018-01-15 09:00:30\n"
	                                  "end: 2018-01-15T9:45\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	/* Winter time: UTC+1. */
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 1, 15, 8, 0, 30));
	g_assert_cmpint(unix_of(ev->end) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 1, 15, 8, 45, 0));
}

static void
test_dates_timezone_key(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Tokyo Dialogue\n"
	                                  "start: 2018-07-10T09:00\n"
	                                  "end: 2018-07-10T17:00\n"
	                                  "timezone: Asia/Tokyo\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->tzid, ==, "Asia/Tokyo");
	g_assert_cmpint(g_date_time_get_utc_offset(ev->start), ==,
	                9 * G_TIME_SPAN_HOUR);
	g_assert_cmpint(g_date_time_get_hour(ev->start), ==, 9);
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 7, 10, 0, 0, 0));
	g_assert_cmpint(unix_of(ev->end) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 7, 10, 8, 0, 0));
}

static void
test_dates_utc_z(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Online Briefing\n"
	                                  "start: 2018-05-22T07:00:00Z\n"
	                                  "end: 2018-05-22T09:30Z\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_null(ev->tzid);
	g_assert_cmpint(g_date_time_get_utc_offset(ev->start), ==, 0);
	g_assert_cmpint(g_date_time_get_utc_offset(ev->end), ==, 0);
	g_assert_cmpint(g_date_time_get_hour(ev->start), ==, 7);
	g_assert_cmpint(unix_of(ev->end) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 5, 22, 9, 30, 0));
}

/* HTML tags in plain-text fields go, each with a warning at its value;
 * text that only looks like a tag stays. */
static void
test_plain_text_tags(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev =
	    parse("---\n"
	          "title: \"<script>alert(1)</script> Workshop <2024>\"\n"
	          "start: 2018-05-22\n"
	          "location: <b>Ljubljana</b> &amp; Bled\n"
	          "categories: [\"<i>cyber</i>\", a < b]\n"
	          "---\n",
	          diags);
	const EvfDiag *d;

	g_assert_nonnull(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, 3);
	if (ev == NULL || diags->len != 3)
		return;
	g_assert_cmpstr(ev->title, ==, "alert(1) Workshop <2024>");
	g_assert_cmpstr(ev->location, ==, "Ljubljana & Bled");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 0), ==, "cyber");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 1), ==, "a < b");
	d = g_ptr_array_index(diags, 0);
	g_assert_true(d->warning);
	g_assert_cmpuint(d->line, ==, 2);
	g_assert_cmpuint(d->col, ==, 8);
	g_assert_nonnull(strstr(
	    d->message, "title: HTML ('<script>') turned into plain text"));
	d = g_ptr_array_index(diags, 2);
	g_assert_cmpuint(d->line, ==, 5);
	g_assert_cmpuint(d->col, ==, 14);
	g_assert_nonnull(strstr(d->message, "categories"));

	/* Nothing left: an error. */
	assert_error("---\n"
	             "title: \"<b></b>\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8, "title: nothing but HTML ('<b>')");
}

/* A text that a reader would show blank is refused, as an empty one is:
 * white space other than ASCII's (U+00A0, U+3000), invisible characters
 * (U+200B, U+FEFF), or a reference to one. Inside a text they stay. */
static void
test_error_blank_text(void)
{
	static const char *const values[] = {
		"\"\u00a0\"",        "\"\u3000 \u2003\"", "\"\u200b\"",
		"\"\u00a0\ufeff\"",  "\"&nbsp;\"",        "\"&#x200B;\"",
		"\"<b>&#160;</b>\"",
	};
	static const char *const keys[] = { "title", "location", "organizer",
		                            "categories" };

	for (gsize k = 0; k < G_N_ELEMENTS(keys); k++)
		for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
			g_autofree char *text =
			    g_strdup_printf("---\n"
			                    "title: %s\n"
			                    "start: 2018-05-22\n"
			                    "%s: %s\n"
			                    "---\n",
			                    k == 0 ? values[i] : "Workshop",
			                    k == 0 ? "status" : keys[k],
			                    k == 0 ? "confirmed" : values[i]);
			g_autofree char *want = g_strdup_printf(
			    "%s: nothing but white space or invisible "
			    "characters",
			    keys[k]);

			assert_error(text, k == 0 ? 2 : 4,
			             k == 0 ? 8 : 3 + strlen(keys[k]), want);
		}
	{
		g_autoptr(EvfEvent) ev = parse_ok("---\n"
		                                  "title: \"10\u00a0km run\"\n"
		                                  "start: 2018-05-22\n"
		                                  "---\n");

		g_assert_nonnull(ev);
		g_assert_cmpstr(ev->title, ==, "10\u00a0km run");
	}
}

/* A link with non-ASCII characters (an IRI) is kept as its URI, which
 * RSS and iCalendar need. */
static void
test_url_iri(void)
{
	g_autoptr(EvfEvent) ev =
	    parse_ok("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "url: \"https://b\u00fccher.example/s\u00e9ance?q=%20\"\n"
	             "---\n");

	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->url, ==,
	                "https://xn--bcher-kva.example/s%C3%A9ance?q=%20");
}

/* A link's host is case-insensitive: url and image are published with it
 * in lower case, as the description's links and an IDNA host are; the
 * rest keeps its case. */
static void
test_url_host_case(void)
{
	g_autoptr(EvfEvent) ev = parse_ok(
	    "---\n"
	    "title: Workshop\n"
	    "start: 2018-05-22\n"
	    "url: HTTPS://Example.ORG/Path/Page?Q=A#Frag\n"
	    "image: https://Images.Example.ORG:8443/Pic.PNG\n"
	    "---\n"
	    "See [the page](https://EXAMPLE.org/Path/Page?Q=A#Frag).\n");

	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->url, ==, "https://example.org/Path/Page?Q=A#Frag");
	g_assert_cmpstr(ev->image, ==,
	                "https://images.example.org:8443/Pic.PNG");
	g_assert_nonnull(
	    strstr(ev->description_html,
	           "href=\"https://example.org/Path/Page?Q=A#Frag\""));
	g_assert_nonnull(strstr(ev->description_text,
	                        "<https://example.org/Path/Page?Q=A#Frag>"));
}

/* An address is not text: an invisible character in it (a bidi override,
 * a zero-width space, a no-break space) is an error, not published as another
 * address with the closing character texts get; so is a backslash, which
 * browsers read as '/' and others as part of the host. */
static void
test_url_invisible(void)
{
	assert_error("---\ntitle: T\nstart: 2018-05-22\n"
	             "url: \"https://x.org/a\\u202Eb\"\n---\n",
	             4, 6, "url: U+202E, an invisible character, cannot be in");
	assert_error("---\ntitle: T\nstart: 2018-05-22\n"
	             "url: https://x.org/a\xe2\x80\x8b"
	             "b\n---\n",
	             4, 6, "url: U+200B, an invisible character");
	/* a no-break, thin or ideographic space: published as %C2%A0, a
	 * link to no page; an ASCII one is refused too (as %20) */
	assert_error("---\ntitle: T\nstart: 2018-05-22\n"
	             "url: \"https://x.org/event\u00A0programme\"\n---\n",
	             4, 6,
	             "url: U+00A0, a no-break or other space, cannot be in "
	             "an address: delete it, or write a space as %20");
	assert_error("---\ntitle: T\nstart: 2018-05-22\n"
	             "image: \"https://x.org/a\u3000b.png\"\n---\n",
	             4, 8, "image: U+3000, a no-break or other space");
	assert_error("---\ntitle: T\nstart: 2018-05-22\n"
	             "image: https://x.org\\evil.example/p.png\n---\n",
	             4, 8, "image: a backslash cannot be in an address");
}

/* UTC, named as the zone: UTC instants, without a zone to define. */
static void
test_dates_timezone_utc(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Online Briefing\n"
	                                  "start: 2018-05-22T07:00\n"
	                                  "end: 2018-05-22T09:30\n"
	                                  "timezone: UTC\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_null(ev->tzid);
	g_assert_cmpint(g_date_time_get_utc_offset(ev->start), ==, 0);
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 5, 22, 7, 0, 0));
	g_assert_cmpint(unix_of(ev->end) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 5, 22, 9, 30, 0));
}

/* A wall time the clocks go back over happens twice: it is the first of
 * the two, as in RFC 5545, with a warning; in a zone whose summer offset
 * is the standard one (Dublin) too, and in the southern hemisphere. */
static void
test_dates_fall_back(void)
{
	static const struct {
		const char *zone, *start, *at;
	} cases[] = {
		{ "Europe/Berlin", "2024-10-27T02:30", "02:30+02:00" },
		{ "Europe/Dublin", "2024-10-27T01:30", "01:30+01:00" },
		{ "Australia/Sydney", "2024-04-07T02:30", "02:30+11:00" },
		{ "America/New_York", "2024-11-03T01:15", "01:15-04:00" },
	};
	const gint64 want[] = {
		utc_us(2024, 10, 27, 0, 30, 0),
		utc_us(2024, 10, 27, 0, 30, 0),
		utc_us(2024, 4, 6, 15, 30, 0),
		utc_us(2024, 11, 3, 5, 15, 0),
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autofree char *text =
		    g_strdup_printf("---\n"
		                    "title: Night Shift\n"
		                    "start: %s\n"
		                    "timezone: %s\n"
		                    "---\n",
		                    cases[i].start, cases[i].zone);
		g_autoptr(EvfEvent) ev = parse(text, diags);
		const EvfDiag *d;

		g_assert_nonnull(ev);
		g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
		g_assert_cmpuint(diags->len, ==, 1);
		if (ev == NULL || diags->len != 1)
			return;
		g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
		                want[i]);
		g_assert_true(evf_tz_is_ambiguous(ev->start));
		/* and the feeds say which */
		{
			g_autofree char *when = evf_event_format_when(ev);
			g_autofree char *offset =
			    g_strdup_printf("(UTC%s)", cases[i].at + 5);

			g_assert_nonnull(strstr(when, offset));
		}
		d = g_ptr_array_index(diags, 0);
		g_assert_true(d->warning);
		g_assert_cmpuint(d->line, ==, 3);
		g_assert_cmpuint(d->col, ==, 8);
		g_assert_nonnull(strstr(d->message, "occurs twice"));
		g_assert_nonnull(strstr(d->message, cases[i].at));
	}

	/* A day before, and an hour after, it is one instant. */
	{
		g_autoptr(EvfEvent) ev = parse_ok("---\n"
		                                  "title: Night Shift\n"
		                                  "start: 2024-10-26T02:30\n"
		                                  "end: 2024-10-27T03:30\n"
		                                  "timezone: Europe/Berlin\n"
		                                  "---\n");

		if (ev == NULL)
			return;
		g_assert_false(evf_tz_is_ambiguous(ev->start));
		g_assert_false(evf_tz_is_ambiguous(ev->end));
		g_assert_cmpint(unix_of(ev->end) * G_USEC_PER_SEC, ==,
		                utc_us(2024, 10, 27, 2, 30, 0));
	}
}

/* The wall time the clocks go back from, the first after those that
 * happen twice, happens once; Ruby's icalendar reads it as the moment of
 * the change (evf_tz_set_back says by how much): a series may not start
 * there. In the southern hemisphere, by half an hour (Lord Howe) and two
 * hours (Troll) too; not the day before or after, not in spring, not in
 * the hour that happens twice. */
static void
test_dates_set_back(void)
{
	static const struct {
		const char *zone, *start;
		GTimeSpan back;
	} cases[] = {
		{ "Europe/Berlin", "2024-10-27T03:00", G_TIME_SPAN_HOUR },
		{ "Europe/Dublin", "2024-10-27T02:00", G_TIME_SPAN_HOUR },
		{ "America/New_York", "2024-11-03T02:00", G_TIME_SPAN_HOUR },
		{ "Australia/Lord_Howe", "2027-04-04T02:00",
		  30 * G_TIME_SPAN_MINUTE },
		{ "Antarctica/Troll", "2027-10-31T03:00",
		  2 * G_TIME_SPAN_HOUR },
		{ "Europe/Berlin", "2024-10-27T02:30", 0 },
		{ "Europe/Berlin", "2024-10-27T02:59", 0 },
		{ "Europe/Berlin", "2024-10-27T03:01", 0 },
		{ "Europe/Berlin", "2024-10-26T03:00", 0 },
		{ "Europe/Berlin", "2024-10-28T03:00", 0 },
		{ "Europe/Berlin", "2024-03-31T03:00", 0 },
		{ "UTC", "2024-10-27T03:00", 0 },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Night Shift\nstart: %s\ntimezone: %s\n---\n",
		    cases[i].start, cases[i].zone);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);

		g_assert_nonnull(ev);
		if (ev == NULL)
			return;
		g_assert_cmpint(evf_tz_set_back(ev->start), ==, cases[i].back);
		if (cases[i].back != 0)
			g_assert_cmpuint(diags->len, ==, 0);
	}
	assert_error("---\ntitle: Early Shift\nstart: 2027-10-31T03:00\n"
	             "end: 2027-10-31T05:00\n"
	             "recurrence: FREQ=WEEKLY;COUNT=3\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             5, 13,
	             "the start, 2027-10-31T03:00, is the time the clocks of "
	             "Europe/Ljubljana go back from, to 02:00, and Ruby's "
	             "icalendar reads it as that moment, an hour early");
	assert_error("---\ntitle: Early Shift\nstart: 2027-04-04T02:00\n"
	             "recurrence: FREQ=YEARLY;COUNT=3\n"
	             "timezone: Australia/Lord_Howe\n---\n",
	             4, 13,
	             "to 01:30, and Ruby's icalendar reads it as that "
	             "moment, 30 minutes early");
}

static void
test_dates_utc_offset(void)
{
	g_autoptr(EvfEvent) ev = parse_warned(
	    "---\n"
	    "title: Expert Meeting\n"
	    "start: 2018-05-22T09:00+02:00\n"
	    "end: 2018-05-22T12:00-0100\n"
	    "timezone: Asia/Tokyo\n"
	    "---\n",
	    5, 11,
	    "timezone: not used: start is written with an offset that "
	    "Asia/Tokyo does not have then");

	if (ev == NULL)
		return;
	/* An offset fixes the instant; the result is UTC, without a zone,
	 * even when the file names one (which is warned of when it does
	 * not have the offset: test_dates_offset_zone). */
	g_assert_null(ev->tzid);
	g_assert_cmpint(g_date_time_get_utc_offset(ev->start), ==, 0);
	g_assert_cmpint(g_date_time_get_hour(ev->start), ==, 7);
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 5, 22, 7, 0, 0));
	g_assert_cmpint(unix_of(ev->end) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 5, 22, 13, 0, 0));
}

/* A start written with an offset and an end without one: the end is read
 * in the event's zone, as written, with a warning at the end that gives it
 * at the start's offset. Ends and starts written alike, and an end with
 * an offset beside a start in the zone, are not warned of. */
static void
test_dates_end_without_offset(void)
{
	g_autoptr(EvfEvent) ktm = parse_warned(
	    "---\ntitle: Workshop\nstart: 2027-06-01T10:00+05:45\n"
	    "end: 2027-06-01T12:00\n---\n",
	    4, 6,
	    "end: 2027-06-01T12:00 (2027-06-01T10:00Z) has no offset from "
	    "UTC, and is read in Europe/Ljubljana, while start has one "
	    "(2027-06-01T10:00+05:45); to end at the start's offset, write "
	    "end: 2027-06-01T12:00+05:45");
	g_autoptr(EvfEvent) utc = parse_warned(
	    "---\ntitle: Call\nstart: 2027-06-01T10:00Z\n"
	    "end: 2027-06-01T20:00\ntimezone: Asia/Tokyo\n---\n",
	    4, 6,
	    "is read in Asia/Tokyo, while start has one "
	    "(2027-06-01T10:00Z); to end at the start's offset, write "
	    "end: 2027-06-01T20:00Z");
	g_autoptr(EvfEvent) alike =
	    parse_ok("---\ntitle: Workshop\nstart: 2027-06-01T10:00+05:45\n"
	             "end: 2027-06-01T12:00+05:45\n---\n");
	g_autoptr(EvfEvent) zoned =
	    parse_ok("---\ntitle: Workshop\nstart: 2027-06-01T10:00\n"
	             "end: 2027-06-01T12:00Z\n---\n");
	/* a start at the zone's own offset then: the end is meant in the
	 * zone (the first 02:30 of the night the clocks go back, written
	 * so as the warning of an ambiguous time advises) */
	g_autoptr(EvfEvent) own =
	    parse_ok("---\ntitle: Workshop\nstart: 2027-06-01T10:00+02:00\n"
	             "end: 2027-06-01T12:00\n---\n");
	g_autoptr(EvfEvent) night =
	    parse_ok("---\ntitle: Night\nstart: 2027-10-31T02:30+02:00\n"
	             "end: 2027-10-31T04:00\n---\n");

	/* read as written all the same */
	g_assert_cmpint(unix_of(ktm->end) * G_USEC_PER_SEC, ==,
	                utc_us(2027, 6, 1, 10, 0, 0));
	g_assert_cmpint(unix_of(utc->end) * G_USEC_PER_SEC, ==,
	                utc_us(2027, 6, 1, 11, 0, 0));
	g_assert_cmpint(unix_of(alike->end) - unix_of(alike->start), ==, 7200);
	g_assert_nonnull(zoned);
	g_assert_nonnull(own);
	g_assert_cmpint(unix_of(night->end) - unix_of(night->start), ==,
	                2 * 3600 + 30 * 60);
}

/* A time that happens twice (the clocks go back) is told with its offset
 * in the "When" text, and so then is the other end of the range, which
 * would otherwise read as at the same offset. */
static void
test_dates_when_repeated_hour(void)
{
	static const struct {
		const char *text, *when;
	} cases[] = {
		{ "start: 2027-04-04T01:15\ntimezone: Australia/Lord_Howe\n",
		  "4 April 2027, 01:15 (UTC+11:00)\u201301:45 (UTC+10:30) "
		  "(Australia/Lord_Howe)" },
		{ "start: 2027-10-31T01:45\nend: 2027-10-31T02:30+01:00\n",
		  "31 October 2027, 01:45 (UTC+02:00)\u201302:30 (UTC+01:00) "
		  "(Europe/Ljubljana)" },
		{ "start: 2027-10-30T10:00\nend: 2027-10-30T12:00\n",
		  "30 October 2027, 10:00\u201312:00 (Europe/Ljubljana)" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Night\n%s---\n", cases[i].text);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);
		g_autofree char *when = NULL;

		g_assert_nonnull(ev);
		g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
		when = evf_event_format_when(ev);
		g_assert_cmpstr(when, ==, cases[i].when);
	}
}

/* A zone named by an all-day event is read in by none of its dates: the
 * editor is told so, at the key; the event is the same as without it. */
static void
test_dates_all_day_zone(void)
{
	static const char *const zones[] = { "Asia/Tokyo", "UTC",
		                             "Europe/Ljubljana" };

	for (gsize i = 0; i < G_N_ELEMENTS(zones); i++) {
		g_autofree char *text = g_strdup_printf("---\n"
		                                        "title: Open Day\n"
		                                        "start: 2018-05-22\n"
		                                        "end: 2018-05-23\n"
		                                        "timezone: %s\n"
		                                        "---\n",
		                                        zones[i]);
		g_autoptr(EvfEvent) ev = parse_warned(
		    text, 5, 11, "timezone: not used: an all-day event");
		g_autoptr(EvfEvent) plain = parse_ok("---\n"
		                                     "title: Open Day\n"
		                                     "start: 2018-05-22\n"
		                                     "end: 2018-05-23\n"
		                                     "---\n");

		if (ev == NULL)
			return;
		g_assert_true(ev->all_day);
		g_assert_null(ev->tzid);
		g_assert_cmpint(
		    g_date_compare(&ev->start_date, &plain->start_date), ==, 0);
		g_assert_cmpint(g_date_compare(&ev->end_date, &plain->end_date),
		                ==, 0);
	}
	/* a tba event may name the zone its dates will be in */
	{
		g_autoptr(EvfEvent) ev = parse_ok("---\n"
		                                  "title: Open Day\n"
		                                  "start: tba\n"
		                                  "timezone: Asia/Tokyo\n"
		                                  "---\n");

		g_assert_true(ev->tba);
	}
}

/* A timed start written with an offset its named zone does not have then
 * is published at that offset, and the zone is not used: the editor is
 * told so, at the key, with the wall time and the zone that were written
 * (a series too, which would otherwise keep that offset in silence). The
 * zone's own offset, also that of the second of a wall time the clocks
 * go back over, names the zone rightly: no warning. */
static void
test_dates_offset_zone(void)
{
	static const struct {
		const char *text, *needle;
	} warned[] = {
		{ "start: 2027-05-14T10:00+02:00\n"
		  "end: 2027-05-14T11:00+02:00\n"
		  "timezone: America/New_York\n"
		  "recurrence: FREQ=WEEKLY;COUNT=30\n",
		  "timezone: not used: start is written with an offset that "
		  "America/New_York does not have then (2027-05-14T10:00+02:00, "
		  "which is 2027-05-14T04:00 there), and is published at that "
		  "offset; to have the event at 2027-05-14T10:00 in "
		  "America/New_York, write start and end without their offsets "
		  "(start: 2027-05-14T10:00, end: 2027-05-14T11:00), or leave "
		  "the key out" },
		/* an end at another offset: on its own wall clock */
		{ "start: 2027-05-14T10:00+02:00\n"
		  "end: 2027-05-14T10:30+01:00\n"
		  "timezone: America/New_York\n",
		  "(start: 2027-05-14T10:00, end: 2027-05-14T10:30)" },
		/* offsets so far apart that its own wall clock puts the end
		 * before the start: as long after it as now */
		{ "start: 2027-05-14T10:00+14:00\n"
		  "end: 2027-05-14T09:00-10:00\n"
		  "timezone: America/New_York\n",
		  "(start: 2027-05-14T10:00, end: 2027-05-15T09:00)" },
		{ "start: 2027-01-14T09:30:15Z\ntimezone: Asia/Tokyo\n",
		  "(2027-01-14T09:30:15Z, which is 2027-01-14T18:30:15 there), "
		  "and is published at that offset; to have the event at "
		  "2027-01-14T09:30:15 in Asia/Tokyo, write start without its "
		  "offset, or leave the key out" },
		/* New York's offset, but in winter */
		{ "start: 2027-01-14T10:00-04:00\ntimezone: America/New_York\n",
		  "to have the event at 2027-01-14T10:00 in America/New_York" },
		{ "start: 2027-01-14T10:00+01:00\ntimezone: UTC\n",
		  "an offset that UTC does not have then" },
	};
	static const char *const taken[] = {
		"start: 2027-05-14T10:00-04:00\ntimezone: America/New_York\n",
		"start: 2027-01-14T09:30:15Z\ntimezone: UTC\n",
		"start: 2027-01-14T09:30+09:00\ntimezone: Asia/Tokyo\n",
		"start: 2027-10-31T02:30+01:00\ntimezone: Europe/Ljubljana\n",
		"start: 2027-10-31T02:30+02:00\ntimezone: Europe/Ljubljana\n",
		/* the site's zone, not named: another place's offset, meant */
		"start: 2027-05-14T10:00-07:00\n",
	};

	for (guint i = 0; i < G_N_ELEMENTS(warned); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Talk\n%s---\n", warned[i].text);
		guint at = 0;
		g_autoptr(EvfEvent) ev = NULL;

		/* (the line of timezone:) */
		for (const char *p = strstr(text, "timezone:"); p > text; p--)
			at += *p == '\n';
		ev = parse_warned(text, at + 1, 11, warned[i].needle);
		g_assert_null(ev->tzid);
	}
	for (guint i = 0; i < G_N_ELEMENTS(taken); i++) {
		g_autofree char *text =
		    g_strdup_printf("---\ntitle: Talk\n%s---\n", taken[i]);
		g_autoptr(EvfEvent) ev = parse_ok(text);
	}
	/* an end without an offset is read in the zone, which is used: the
	 * end's warning alone (test_dates_end_without_offset) */
	{
		g_autoptr(EvfEvent) ev = parse_warned(
		    "---\ntitle: Talk\nstart: 2027-05-14T10:00+02:00\n"
		    "end: 2027-05-14T12:00\ntimezone: America/New_York\n---\n",
		    4, 6,
		    "end: 2027-05-14T12:00 (2027-05-14T16:00Z) has no "
		    "offset from UTC, and is read in America/New_York");
	}
}

/* A time written with an offset is shown at that offset: on the page, in
 * the feeds' words and in the file `new` and `import` write, named by its
 * day there; its instant stays UTC for the calendar. */
static void
test_dates_utc_offset_shown(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Night Session\n"
	                                  "start: 2026-03-01T00:30+02:00\n"
	                                  "end: 2026-03-01T03:00+03:00\n"
	                                  "---\n");
	g_autoptr(EvfEvent) utc = parse_ok("---\n"
	                                   "title: Night Session\n"
	                                   "start: 2026-02-28T22:30Z\n"
	                                   "end: 2026-03-01T00:00Z\n"
	                                   "---\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) v = NULL;
	g_autoptr(EvfEvent) back = NULL;
	g_autofree char *when = NULL;
	g_autofree char *name = NULL;
	g_autofree char *text = NULL;
	g_autofree char *occurrence = NULL;
	g_autofree char *w3c = NULL;
	GDate day;

	if (ev == NULL || utc == NULL)
		return;
	g_assert_null(ev->tzid);
	g_assert_cmpint(ev->utc_offset, ==, 2 * 3600);
	g_assert_cmpint(utc->utc_offset, ==, 0);
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2026, 2, 28, 22, 30, 0));
	g_assert_cmpint(g_date_time_get_utc_offset(ev->start), ==, 0);

	when = evf_event_format_when(ev);
	g_assert_cmpstr(when, ==, "1 March 2026, 00:30\u201302:00 (UTC+02:00)");
	g_clear_pointer(&when, g_free);
	when = evf_event_format_when(utc);
	g_assert_cmpstr(when, ==,
	                "28 February 2026, 22:30 \u2013 1 March 2026, 00:00 "
	                "(UTC)");
	occurrence = evf_event_format_occurrence(
	    ev, 0, unix_of(ev->start) + 7 * 86400, &w3c);
	g_assert_cmpstr(occurrence, ==,
	                "8 March 2026, 00:30\u201302:00 (UTC+02:00)");
	/* tzdata's fixed-offset zones are shown as their offsets: readers
	 * take "Etc/GMT+5" for UTC+05:00, which it is not */
	{
		static const struct {
			const char *zone, *when;
		} cases[] = {
			{ "Etc/GMT+5",
			  "1 May 2027, 10:00\u201311:00 (UTC-05:00)" },
			{ "Etc/GMT-14",
			  "1 May 2027, 10:00\u201311:00 (UTC+14:00)" },
			{ "Etc/UTC", "1 May 2027, 10:00\u201311:00 (UTC)" },
			{ "Europe/Zagreb",
			  "1 May 2027, 10:00\u201311:00 (Europe/Zagreb)" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autofree char *file = g_strdup_printf(
			    "---\ntitle: Call\nstart: 2027-05-01T10:00\n"
			    "timezone: %s\n---\n",
			    cases[i].zone);
			/* (Etc/GMT+5 is warned of) */
			g_autoptr(GPtrArray) warned = evf_diags_new();
			g_autoptr(EvfEvent) fixed = parse(file, warned);
			g_autofree char *shown = NULL;

			g_assert_nonnull(fixed);
			shown = evf_event_format_when(fixed);
			g_assert_cmpstr(shown, ==, cases[i].when);
		}
	}

	g_date_clear(&day, 1);
	g_date_set_dmy(&day, 1, G_DATE_MARCH, 2026);
	g_assert_cmpuint(evf_event_start_day(ev), ==, g_date_get_julian(&day));
	g_assert_cmpuint(evf_event_start_day(utc), ==,
	                 g_date_get_julian(&day) - 1);

	name = evf_eventwrite_filename(ev);
	g_assert_cmpstr(name, ==, "2026-03-01-night-session.md");
	text = evf_eventwrite_format(cfg, ev, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(text, "start: 2026-03-01T00:30:00+02:00\n"));
	g_assert_nonnull(strstr(text, "end: 2026-03-01T02:00:00+02:00\n"));

	/* kept where events are stored, and part of what an edit is */
	v = evf_event_serialize(ev);
	back = evf_event_deserialize(v);
	g_assert_nonnull(back);
	if (back == NULL)
		return;
	g_assert_cmpint(back->utc_offset, ==, 2 * 3600);
	g_assert_cmpstr(back->fingerprint, ==, ev->fingerprint);
	g_assert_cmpstr(ev->fingerprint, !=, utc->fingerprint);
}

static void
test_error_offset_out_of_use(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00+19:00\n"
	             "---\n",
	             3, 8, "the offsets in use run from -12:00 to +14:00");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00-1230\n"
	             "---\n",
	             3, 8, "invalid UTC offset '-1230'");
}

static void
test_dates_tba(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Summer School\n"
	                                  "start: TBA\n"
	                                  "---\n");

	if (ev == NULL)
		return;
	g_assert_true(ev->tba);
	g_assert_false(ev->all_day);
	g_assert_null(ev->start);
	g_assert_null(ev->end);
	g_assert_null(ev->tzid);
}

static void
test_dates_dst_overlap_accepted(void)
{
	/* 02:30 on 28 October 2018 happens twice in Ljubljana: it exists,
	 * and is the first (with a warning: test_dates_fall_back). */
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse("---\n"
	                               "title: Overnight Exercise\n"
	                               "start: 2018-10-28T02:30\n"
	                               "---\n",
	                               diags);

	g_assert_nonnull(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	if (ev == NULL)
		return;
	g_assert_cmpint(g_date_time_get_hour(ev->start), ==, 2);
	g_assert_cmpint(g_date_time_get_minute(ev->start), ==, 30);
	g_assert_cmpint(unix_of(ev->start) * G_USEC_PER_SEC, ==,
	                utc_us(2018, 10, 28, 0, 30, 0));
}

/* ----------------------------------------------------------- formats */

static void
test_format_crlf_and_bom(void)
{
	static const char text[] =
	    "\xef\xbb\xbf---\r\n"
	    "title: Workshop on Anti-Money Laundering\r\n"
	    "start: 2018-05-22\r\n"
	    "categories: [workshop, finance]\r\n"
	    "---\r\n"
	    "First line.\r\n"
	    "Second line.\r\n";
	g_autoptr(EvfEvent) ev = parse_ok(text);

	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->title, ==, "Workshop on Anti-Money Laundering");
	g_assert_cmpuint(ev->categories->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 1), ==, "finance");
	g_assert_cmpstr(ev->description_md, ==, "First line.\nSecond line.");
	g_assert_null(strchr(ev->description_html, '\r'));
	g_assert_null(strchr(ev->description_text, '\r'));
}

static void
test_format_crlf_positions(void)
{
	assert_error("---\r\n"
	             "title: Workshop\r\n"
	             "start: 2018-13-01\r\n"
	             "---\r\n",
	             3, 8, "no month 13");
}

/* Lines that end in CR alone (old Mac editors) are lines, and an error
 * is at the line an editor shows. */
static void
test_format_cr_only(void)
{
	static const char text[] = "---\r"
	                           "title: Workshop\r"
	                           "start: 2018-05-22\r"
	                           "location: Ljubljana\r"
	                           "---\r"
	                           "First paragraph.\r"
	                           "\r"
	                           "Second paragraph.\r";
	g_autoptr(EvfEvent) ev = parse_ok(text);

	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->title, ==, "Workshop");
	g_assert_cmpstr(ev->location, ==, "Ljubljana");
	g_assert_cmpstr(ev->description_md, ==,
	                "First paragraph.\n\nSecond paragraph.");
	assert_error("---\r"
	             "title: Workshop\r"
	             "start: 2018-13-01\r"
	             "---\r",
	             3, 8, "no month 13");
}

static void
test_format_bom_positions(void)
{
	/* The BOM is not a character of the first line. */
	assert_error("\xef\xbb\xbf---\n"
	             "title: Workshop\n"
	             "start: 2018-13-01\n"
	             "---\n",
	             3, 8, "no month 13");
	/* nor of the bytes the first line holds after it */
	{
		static const char *const bad_byte[] = {
			"1:5: invalid UTF-8",
			"1:1: expected front matter",
			NULL,
		};
		static const char nul[] = "\xef\xbb\xbf---\0\ntitle: A\n";
		static const char *const nul_byte[] = {
			"1:4: a NUL character is not allowed",
			"1:1: expected front matter",
			NULL,
		};

		assert_errors("\xef\xbb\xbf--- \xff\ntitle: A\n", bad_byte);
		assert_errors_len(nul, sizeof nul - 1, nul_byte);
	}
}

/* The blank lines before the description go, but not the indentation of
 * its first line: a description may open with an indented code block. */
static void
test_format_body_opens_with_code(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Workshop\n"
	                                  "start: 2018-05-22\n"
	                                  "---\n"
	                                  "\n"
	                                  "  \t\n"
	                                  "    evfeed build\n"
	                                  "\n"
	                                  "Then publish.\n"
	                                  "\n\n");

	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->description_md, ==,
	                "    evfeed build\n\nThen publish.");
	g_assert_nonnull(strstr(ev->description_html,
	                        "<pre><code>evfeed build\n</code></pre>"));
	/* and a problem in it is still reported at its line: the 50th of
	 * lists nested in one another, on line 58 */
	{
		g_autoptr(GString) deep = g_string_new("---\n"
		                                       "title: Workshop\n"
		                                       "start: 2018-05-22\n"
		                                       "---\n"
		                                       "\n"
		                                       "  \t\n"
		                                       "    code\n"
		                                       "\n");

		for (guint i = 0; i < 60; i++)
			g_string_append_printf(deep, "%*s- a\n", (int)(2 * i),
			                       "");
		assert_error(deep->str, 58, 1, "nested more than 100 deep");
	}
}

static void
test_format_dots_close(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Workshop\n"
	                                  "start: 2018-05-22\n"
	                                  "...\n"
	                                  "Body.\n");

	if (ev != NULL)
		g_assert_cmpstr(ev->description_md, ==, "Body.");
}

static void
test_format_comments_and_quotes(void)
{
	g_autoptr(EvfEvent) ev =
	    parse_ok("---\n"
	             "# A comment.\n"
	             "title: 'Arms control; \"verification\", trust \\ "
	             "confidence'   # and another\n"
	             "start: \"2018-05-22\"\n"
	             "---\n");

	if (ev == NULL)
		return;
	g_assert_cmpstr(ev->title, ==,
	                "Arms control; \"verification\", trust \\ confidence");
}

static void
test_format_title_one_line(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: \"Two\\nlines\\r\\nand\\N "
	                                  "\\tEND:VEVENT\"\n"
	                                  "start: 2018-05-22\n"
	                                  "---\n");

	if (ev != NULL)
		g_assert_cmpstr(ev->title, ==, "Two lines and END:VEVENT");
}

/* Text encoded twice ("CafÃ©": UTF-8 read as Latin-1 on its way, as text
 * copied from a broken page is) is put back as partners' text is, with a
 * warning where it is: feed validators warn of such text. */
static void
test_format_encoded_twice(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse("---\n"
	                               "title: Caf\xc3\x83\xc2\xa9 Europa\n"
	                               "start: 2018-05-22\n"
	                               "location: S\xc3\x83O Paulo\n"
	                               "organizer: OSCE\xc3\xa2\xe2\x82\xac"
	                               "\xe2\x84\xa2s office\n"
	                               "categories: [na\xc3\x83\xc2\xafve]\n"
	                               "---\n"
	                               "\n"
	                               "Meet at the caf\xc3\x83\xc2\xa9.\n",
	                               diags);
	const EvfDiag *d;

	g_assert_nonnull(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, 4);
	if (ev == NULL || diags->len != 4)
		return;
	g_assert_cmpstr(ev->title, ==, "Caf\xc3\xa9 Europa");
	/* "ÃO" is no character encoded twice */
	g_assert_cmpstr(ev->location, ==, "S\xc3\x83O Paulo");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 0), ==,
	                "na\xc3\xafve");
	g_assert_cmpstr(ev->description_md, ==, "Meet at the caf\xc3\xa9.");
	g_assert_nonnull(strstr(ev->description_html, "caf\xc3\xa9"));
	d = g_ptr_array_index(diags, 0);
	g_assert_cmpuint(d->line, ==, 2);
	g_assert_cmpuint(d->col, ==, 8);
	g_assert_nonnull(strstr(d->message, "title: '\xc3\x83\xc2\xa9' looks "
	                                    "like '\xc3\xa9' encoded twice"));
	/* Windows-1252: three characters for one */
	g_assert_cmpstr(g_ptr_array_index(ev->organizers, 0), ==,
	                "OSCE\xe2\x80\x99s office");
	d = g_ptr_array_index(diags, 1);
	g_assert_cmpuint(d->line, ==, 5);
	g_assert_nonnull(strstr(d->message,
	                        "organizer: '\xc3\xa2\xe2\x82\xac\xe2\x84\xa2' "
	                        "looks like '\xe2\x80\x99' encoded twice"));
	d = g_ptr_array_index(diags, 2);
	g_assert_cmpuint(d->line, ==, 6);
	g_assert_nonnull(strstr(d->message, "categories: '\xc3\x83\xc2\xaf'"));
	d = g_ptr_array_index(diags, 3);
	g_assert_cmpuint(d->line, ==, 9);
	g_assert_cmpuint(d->col, ==, 16);
	g_assert_nonnull(strstr(d->message, "description: '\xc3\x83\xc2\xa9'"));
}

/* A byte order mark that starts a line of the description (two files
 * joined) is left out, with a warning at it: kept, it made its line's
 * Markdown text ("# Heading" a paragraph). One inside a line stays. */
static void
test_description_bom_line(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse("---\n"
	                               "title: Workshop\n"
	                               "start: 2018-05-22\n"
	                               "---\n"
	                               "Para\n"
	                               "\n"
	                               "\xef\xbb\xbf\xef\xbb\xbf# Heading\n"
	                               "\n"
	                               "x \xef\xbb\xbfy\n",
	                               diags);
	const EvfDiag *d;

	g_assert_nonnull(ev);
	g_assert_nonnull(strstr(ev->description_html, "<h4>Heading</h4>"));
	g_assert_nonnull(strstr(ev->description_html, "x \xef\xbb\xbfy"));
	g_assert_cmpuint(diags->len, ==, 1);
	d = g_ptr_array_index(diags, 0);
	g_assert_true(d->warning);
	g_assert_cmpuint(d->line, ==, 7);
	g_assert_cmpuint(d->col, ==, 1);
	g_assert_cmpstr(d->message, ==,
	                "description: a byte order mark (U+FEFF) starts this "
	                "line, as where two files were joined: it is left "
	                "out");

	/* what Markdown finds on such a line is placed counting the
	 * marks, as the file's other columns are */
	g_ptr_array_set_size(diags, 0);
	g_clear_pointer(&ev, evf_event_unref);
	ev = parse("---\ntitle: Workshop\nstart: 2018-05-22\n---\n"
	           "\xef\xbb\xbf\xef\xbb\xbf"
	           "a <i>x</i>\n",
	           diags);
	g_assert_nonnull(ev);
	g_assert_cmpuint(diags->len, ==, 2);
	d = g_ptr_array_index(diags, 1);
	g_assert_nonnull(strstr(d->message, "the HTML '<i>' is left out"));
	g_assert_cmpuint(d->line, ==, 5);
	g_assert_cmpuint(d->col, ==, 5);
}

/* A byte order mark at the start of many lines (a description joined
 * from many files) is told at the first 19 and then once, with how many
 * more lines have one, as the lines of other mistakes are; and each is
 * left out. */
static void
test_description_bom_lines(void)
{
	g_autoptr(GString) text = g_string_new("---\ntitle: Workshop\n"
	                                       "start: 2018-05-22\n---\n");
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = NULL;
	const EvfDiag *d;

	for (guint i = 0; i < 5000; i++)
		g_string_append(text, "\xef\xbb\xbf# Heading\n\n");
	ev = parse(text->str, diags);
	g_assert_nonnull(ev);
	g_assert_null(strstr(ev->description_html, "\xef\xbb\xbf"));
	g_assert_nonnull(strstr(ev->description_html, "<h4>Heading</h4>"));
	g_assert_cmpuint(diags->len, ==, 20);
	for (guint i = 0; i < diags->len; i++) {
		d = g_ptr_array_index(diags, i);
		g_assert_true(d->warning);
		g_assert_cmpuint(d->line, ==, 5 + 2 * i);
		g_assert_cmpuint(d->col, ==, 1);
	}
	d = g_ptr_array_index(diags, 19);
	g_assert_cmpstr(d->message, ==,
	                "description: a byte order mark (U+FEFF) here and on "
	                "4980 more lines: each is left out");
}

/* Raw HTML in the description is left out of every output, and the
 * editor is told where: "<to be confirmed>" read as a tag, and a "<TBD>"
 * line took its paragraph with it, a registration link and all, without
 * a word. Line breaks, comments and end tags are not told of; more than
 * ten pieces are told as one count. */
/* A footnote no reference names, which cmark-gfm leaves out, and a
 * reference to no footnote, shown as written, are told of at their
 * places in the file; their labels are kept ("[i]"). */
static void
test_description_footnotes_told(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse("---\n"
	                               "title: Workshop\n"
	                               "start: 2018-05-22\n"
	                               "---\n"
	                               "\n"
	                               "Čakovec: see[^i] and[^ii].\n"
	                               "\n"
	                               "[^i]: The note.\n"
	                               "\n"
	                               "[^2]: A note never named.\n",
	                               diags);
	const EvfDiag *d;

	g_assert_nonnull(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, 2);
	d = g_ptr_array_index(diags, 0);
	g_test_message("%u:%u: %s", d->line, d->col, d->message);
	g_assert_cmpuint(d->line, ==, 6);
	g_assert_cmpuint(d->col, ==, 21);
	g_assert_nonnull(strstr(d->message, "description: '[^ii]' names no "
	                                    "footnote, and is shown as "
	                                    "written"));
	d = g_ptr_array_index(diags, 1);
	g_test_message("%u:%u: %s", d->line, d->col, d->message);
	g_assert_cmpuint(d->line, ==, 10);
	g_assert_cmpuint(d->col, ==, 1);
	g_assert_nonnull(strstr(d->message, "description: the footnote "
	                                    "'[^2]:' is left out of every "
	                                    "output: no reference names it"));
	g_assert_nonnull(strstr(ev->description_text, "see[i] and[^ii]."));
	g_assert_nonnull(strstr(ev->description_text, "[i] The note."));
}

static void
test_description_html_told(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev =
	    parse("---\n"
	          "title: Workshop\n"
	          "start: 2018-05-22\n"
	          "---\n"
	          "\n"
	          "Mjesto: Čakovec, <to be confirmed>\n"
	          "\n"
	          "<TBD>\n"
	          "Register at https://example.org/reg.\n"
	          "\n"
	          "One<br>two <!-- note --> <b>three</b>\n",
	          diags);
	static const struct {
		guint line, col;
		const char *needle;
	} want[] = {
		{ 6, 18,
		  "description: the HTML '<to be confirmed>' is left out "
		  "of every output (a description is Markdown; a '<' "
		  "that is text is written '\\<')" },
		{ 8, 1,
		  "description: the HTML block '<TBD>' is left out of "
		  "every output, with all it holds" },
		{ 11, 26, "description: the HTML '<b>' is left out" },
	};
	g_autoptr(GString) many = g_string_new("---\ntitle: Workshop\n"
	                                       "start: 2018-05-22\n---\n");
	g_autoptr(GPtrArray) more = evf_diags_new();
	g_autoptr(EvfEvent) ev2 = NULL;
	const EvfDiag *d;

	g_assert_nonnull(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < MIN(diags->len, G_N_ELEMENTS(want)); i++) {
		d = g_ptr_array_index(diags, i);
		g_test_message("%u:%u: %s", d->line, d->col, d->message);
		g_assert_true(d->warning);
		g_assert_cmpuint(d->line, ==, want[i].line);
		g_assert_cmpuint(d->col, ==, want[i].col);
		g_assert_nonnull(strstr(d->message, want[i].needle));
	}
	for (guint i = 0; i < 14; i++)
		g_string_append_printf(many, "Line <x%u> here.\n\n", i);
	ev2 = parse(many->str, more);
	g_assert_nonnull(ev2);
	g_assert_cmpuint(more->len, ==, 11);
	d = g_ptr_array_index(more, 9);
	g_assert_cmpuint(d->line, ==, 23);
	g_assert_nonnull(strstr(d->message, "'<x9>'"));
	d = g_ptr_array_index(more, 10);
	g_assert_cmpuint(d->line, ==, 25);
	g_assert_cmpuint(d->col, ==, 6);
	g_assert_nonnull(strstr(d->message, "description: 4 more pieces of "
	                                    "HTML left out, from here"));
}

/* In double quotes a backslash begins an escape, and "C:\alpha" holds a
 * bell: each control character that no client shows is an error at its
 * escape, named as written, not dropped to publish "C:lpha". */
static void
test_format_escaped_controls(void)
{
	static const struct {
		const char *value;
		const char *needle;
	} cases[] = {
		{ "\"C:\\alpha\"", "title: '\\a' in double quotes is the "
		                   "control character U+0007" },
		{ "\"C:\\files\"", "'\\f' in double quotes is the control "
		                   "character U+000C" },
		{ "\"A\\bB\"", "'\\b' in double quotes" },
		{ "\"A\\vB\"", "'\\v' in double quotes" },
		{ "\"\\e[31mRed\"", "'\\e' in double quotes" },
		{ "\"Start\\x01 END\"", "'\\x01' in double quotes" },
		{ "\"Del\\x7f\"", "'\\x7f' in double quotes" },
		{ "\"C1\\x9b1m\"", "'\\x9b' in double quotes is the control "
		                   "character U+009B" },
		/* as written, not as another escape of the same */
		{ "\"Meeting \\u0007 room\"", "'\\u0007' in double quotes" },
		{ "\"A \\\\b \\U0000001b\"", "'\\U0000001b' in double quotes" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\nstart: 2018-05-22\ntitle: %s\n---\n", cases[i].value);
		/* (the last backslash of each is the escape's) */
		guint col =
		    8 + (guint)(strrchr(cases[i].value, '\\') - cases[i].value);

		assert_error(text, 3, col, cases[i].needle);
	}
	/* on its own line, of a value over two */
	assert_error("---\nstart: 2018-05-22\ntitle: T\n"
	             "location: \"Ljubljana,\n  Slovenia \\a\"\n---\n",
	             5, 12, "location: '\\a' in double quotes");
	/* \0 too, which libyaml hands over inside the value */
	assert_error("---\ntitle: \"ab\\0cd\"\nstart: 2018-05-22\n---\n", 2, 8,
	             "a NUL character is not allowed: in double quotes an "
	             "escape such as '\\0' or '\\x00' makes one");
	/* in a list too, at the item */
	assert_error("---\ntitle: T\nstart: 2018-05-22\n"
	             "categories: [ok, \"a\\ab\"]\n---\n",
	             4, 20, "categories: '\\a' in double quotes");
	/* single quotes keep the backslash */
	{
		g_autoptr(EvfEvent) ev =
		    parse_ok("---\ntitle: 'C:\\alpha'\nstart: 2018-05-22\n"
		             "---\n");

		if (ev != NULL)
			g_assert_cmpstr(ev->title, ==, "C:\\alpha");
	}
}

/* A control character or a noncharacter written as such: libyaml stops
 * there, and the error is at the character (libyaml gives its offset,
 * not its line); a noncharacter libyaml reads (U+FDD0…) is an error at
 * the character too, as it would otherwise be in every output, on its
 * own line in a value of several (or at the value, when an escape wrote
 * it). */
static void
test_format_raw_controls(void)
{
	assert_error("---\ntitle: Fine\nstart: 2027-02-01\nlocation: here\n"
	             "\n\n\norganizer: \"someone \x01 here\"\n---\nx\n",
	             8, 21,
	             "the control character U+0001 is not allowed: delete it");
	/* columns in characters, as everywhere */
	assert_error("---\ntitle: x\nstart: 2027-02-01\n"
	             "location: \"\xc3\xa9\xc3\xa9 \x7f\"\n---\n",
	             4, 15, "the control character U+007F");
	assert_error("---\ntitle: x\nstart: 2027-02-01\n"
	             "categories: [\"caf\xc3\xa9 \xef\xbf\xbe\"]\n---\n",
	             4, 20, "the noncharacter U+FFFE is not allowed");
	assert_error("---\ntitle: \"A \xef\xb7\x90 B\"\nstart: 2027-02-01\n"
	             "---\n",
	             2, 11, "title: U+FDD0 is a noncharacter");
	assert_error("---\ntitle: T\nstart: 2027-02-01\nlocation: >\n"
	             "  Room 5,\n  Caf\xc3\xa9 \xef\xb7\x90\n---\n",
	             6, 8, "location: U+FDD0 is a noncharacter");
	/* each error at its own character: the U+FFFD's after a
	 * noncharacter */
	assert_error("---\ntitle: \"a\xef\xb7\x90 b\xef\xbf\xbd\"\n"
	             "start: 2027-02-01\n---\n",
	             2, 13, "title: the replacement character U+FFFD");
	assert_error("---\ntitle: T\nstart: 2027-02-01\n"
	             "location: \"x\\uFDEF\"\n---\n",
	             4, 11, "location: U+FDEF is a noncharacter");
	assert_error("---\ntitle: T\nstart: 2027-02-01\n"
	             "organizer: \xf4\x8f\xbf\xbe\n---\n",
	             4, 12, "organizer: U+10FFFE is a noncharacter");
	/* in the description they are dropped, as controls are */
	{
		g_autoptr(EvfEvent) ev =
		    parse_ok("---\ntitle: T\nstart: 2027-02-01\n---\n"
		             "x \xef\xb7\x90y \xf4\x8f\xbf\xbez &#xFDD0;a\n");

		if (ev != NULL) {
			g_assert_false(evf_text_has_noncharacter(
			    ev->description_html, NULL));
			g_assert_false(evf_text_has_noncharacter(
			    ev->description_text, NULL));
			g_assert_nonnull(
			    strstr(ev->description_text, "x y z a"));
		}
	}
}

/* ------------------------------------------------------------ errors */

static void
test_error_bad_month(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-13-01\n"
	             "---\n",
	             3, 8, "start: invalid date '2018-13-01': no month 13");
}

static void
test_error_february_30(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-02-30\n"
	             "---\n",
	             3, 8, "February 2018 has 28 days");
}

static void
test_error_february_29_leap(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Workshop\n"
	                                  "start: 2020-02-29\n"
	                                  "---\n");

	g_assert_nonnull(ev);
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2019-02-29\n"
	             "---\n",
	             3, 8, "February 2019 has 28 days");
}

static void
test_error_hour_25(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T25:00\n"
	             "---\n",
	             3, 8, "invalid time '2018-05-22T25:00'");
}

static void
test_error_minute_60(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "end:   2018-05-22T10:60\n"
	             "---\n",
	             4, 8, "end: invalid time");
}

static void
test_error_not_a_date(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 22 May 2018\n"
	             "---\n",
	             3, 8, "start: invalid date '22 May 2018'");
}

static void
test_error_end_before_start(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "end: 2018-05-21\n"
	             "---\n",
	             4, 6, "end: 2018-05-21 is before start");
}

/* A year from 1900 to 2200 as written, but not in UTC, where an offset
 * or a zone moved it: evfeed could not import its own calendar again. */
static void
test_error_year_in_utc(void)
{
	/* a year in range as written, but not in UTC */
	assert_error("---\ntitle: W\nstart: 1900-01-01T00:30+14:00\n---\n", 3,
	             8,
	             "start: '1900-01-01T00:30+14:00' is 1899-12-31T10:30Z in "
	             "UTC: the year must be from 1900 to 2200 in every time "
	             "zone");
	assert_error("---\ntitle: W\nstart: 2200-12-31T01:00\n"
	             "end: 2200-12-31T23:00\ntimezone: America/New_York\n---\n",
	             4, 6,
	             "end: '2200-12-31T23:00' is 2201-01-01T04:00Z in UTC");
	/* in every zone: 1900-01-01T00:30Z is 1899 in New York, and a
	 * calendar of a site there (imported again) reads it so */
	assert_error("---\ntitle: W\nstart: 1900-01-01T00:30Z\n---\n", 3, 8,
	             "the year must be from 1900 to 2200 in every time zone "
	             "a calendar may show it in, from 1900-01-01T12:00Z to "
	             "2200-12-31T08:00Z");
	assert_error("---\ntitle: W\nstart: 2200-12-31T08:30Z\n---\n", 3, 8,
	             "'2200-12-31T08:30Z' is 2200-12-31T08:30Z in UTC");
	{
		g_autoptr(EvfEvent) edges =
		    parse_ok("---\ntitle: W\nstart: 1900-01-01T12:00Z\n"
		             "end: 2200-12-31T08:00Z\n---\n");

		g_assert_nonnull(edges);
	}
}

static void
test_error_end_not_after_start(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T10:00\n"
	             "end: 2018-05-22T10:00\n"
	             "---\n",
	             4, 6,
	             "end: 2018-05-22T10:00 is not after start, "
	             "2018-05-22T10:00");
	/* an end after midnight written on the start's day: the advice
	 * names the next day */
	assert_error("---\n"
	             "title: Evening\n"
	             "start: 2027-06-05T22:00\n"
	             "end: 2027-06-05T01:00\n"
	             "---\n",
	             4, 6,
	             "end: 2027-06-05T01:00 is not after start, "
	             "2027-06-05T22:00; an event that ends after midnight "
	             "ends the next day: 2027-06-06T01:00");
	/* the next day's time on the end's own clock, the start written
	 * with an offset */
	assert_error("---\n"
	             "title: Evening\n"
	             "start: 2027-06-05T22:00+02:00\n"
	             "end: 2027-06-05T01:00\n"
	             "---\n",
	             4, 6,
	             "an event that ends after midnight ends the next day: "
	             "2027-06-06T01:00");
	/* 09:00 in Ljubljana is 07:00Z, after 06:30Z. */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "end: 2018-05-22T06:30Z\n"
	             "---\n",
	             4, 6,
	             "end: 2018-05-22T06:30Z is not after start, "
	             "2018-05-22T09:00 (2018-05-22T07:00Z)");
	/* each as written, and in UTC where they are written otherwise:
	 * 12:00 in Ljubljana is 10:00Z; 10:00+05:00 is 05:00Z */
	assert_error("---\n"
	             "title: Webinar\n"
	             "start: 2024-07-12T10:00Z\n"
	             "end: 2024-07-12T12:00\n"
	             "---\n",
	             4, 6,
	             "end: 2024-07-12T12:00 (2024-07-12T10:00Z) is not after "
	             "start, 2024-07-12T10:00Z");
	assert_error("---\n"
	             "title: Panel\n"
	             "start: 2024-07-12T10:00+05:00\n"
	             "end: 2024-07-12T04:30Z\n"
	             "---\n",
	             4, 6,
	             "end: 2024-07-12T04:30Z is not after start, "
	             "2024-07-12T10:00+05:00 (2024-07-12T05:00Z)");
	assert_error("---\n"
	             "title: Panel\n"
	             "start: 2024-07-12T10:00+05:00\n"
	             "end: 2024-07-12T09:30+05:00\n"
	             "---\n",
	             4, 6,
	             "end: 2024-07-12T09:30+05:00 is not after start, "
	             "2024-07-12T10:00+05:00");
	/* to the second, where it is written so: 10:00:20+01:00 is
	 * 09:00:20Z, before 09:00:40Z, and both are not "09:00Z" */
	assert_error("---\n"
	             "title: Call\n"
	             "start: 2027-05-03T09:00:40Z\n"
	             "end: 2027-05-03T10:00:20+01:00\n"
	             "---\n",
	             4, 6,
	             "end: 2027-05-03T10:00:20+01:00 (2027-05-03T09:00:20Z) "
	             "is not after start, 2027-05-03T09:00:40Z");
	/* the next day's time would be a day later: no such advice */
	{
		static const char text[] = "---\n"
		                           "title: Workshop\n"
		                           "start: 2018-05-22T09:00\n"
		                           "end: 2018-05-22T08:30\n"
		                           "---\n";
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev =
		    parse_full(STEM, text, strlen(text), diags);

		g_assert_null(ev);
		g_assert_cmpuint(diags->len, ==, 1);
		g_assert_cmpstr(
		    ((EvfDiag *)g_ptr_array_index(diags, 0))->message, ==,
		    "end: 2018-05-22T08:30 is not after start, "
		    "2018-05-22T09:00");
	}
}

static void
test_error_end_kind_differs(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "end: 2018-05-22T17:00\n"
	             "---\n",
	             4, 6, "end: must be a date like start");
	/* and says how to make them agree */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "end: 2018-05-22T17:00\n"
	             "---\n",
	             4, 6,
	             "(an all-day event ends on a day; to give times, give "
	             "start one too)");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "end: 2018-05-23\n"
	             "---\n",
	             4, 6,
	             "end: must be a date-time like start (a timed event ends "
	             "at a time");
}

static void
test_error_end_with_tba(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: tba\n"
	             "end: 2018-05-22\n"
	             "---\n",
	             4, 6, "end: not allowed when start is tba");
}

/* Parses @len bytes of @data, which must be refused with exactly the
 * errors @want ("line:col: message part", in order). */
static void
assert_errors_len(const char *data, gsize len, const char *const *want)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse_full(STEM, data, len, diags);
	guint n = g_strv_length((GStrv)want);

	g_assert_null(ev);
	g_assert_cmpuint(diags->len, ==, n);
	g_assert_cmpuint(evf_diags_errors(diags), ==, n);
	for (guint i = 0; i < n && i < diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(diags, i);
		g_autofree char *got =
		    g_strdup_printf("%u:%u: %s", d->line, d->col, d->message);

		if (!g_str_has_prefix(got, want[i]))
			g_test_message("'%s' is not '%s'", got, want[i]);
		g_assert_true(g_str_has_prefix(got, want[i]));
	}
}

static void
assert_errors(const char *text, const char *const *want)
{
	assert_errors_len(text, strlen(text), want);
}

/* Front matter that proves not YAML hides no mistake in the pairs read
 * before: they are checked all the same, and none after is missing. A
 * pair on the error's line is the mistake's, and told of once. */
static void
test_error_before_syntax_error(void)
{
	/* (the syntax error is found first; `check` sorts by line) */
	static const char *const quote[] = {
		"5:11: the quote that opens here is not closed",
		"3:8: start: invalid date '2018-13-01'",
		"4:9: status: unknown status 'bad'",
		NULL,
	};
	static const char *const list[] = {
		"2:16: title: a value that begins with '[' must be put in quotes",
		NULL,
	};
	static const char *const open[] = {
		"4:6: the '[' on line 3 is not closed",
		"2:8: start: invalid date '2018-02-30'",
		NULL,
	};
	static const char *const tab[] = {
		"4:1: a tab character: YAML indents and separates with spaces",
		"2:8: start: invalid date '2018-02-30'",
		NULL,
	};

	assert_errors("---\ntitle: A\nstart: 2018-13-01\nstatus: bad\n"
	              "location: \"Hall\n---\n",
	              quote);
	assert_errors("---\ntitle: [DRAFT] Event\nstart: 2018-05-01\n---\n",
	              list);
	assert_errors("---\nstart: 2018-02-30\ncategories: [a, b\n"
	              "title: A\n---\n",
	              open);
	assert_errors("---\nstart: 2018-02-30\ntitle: A\n\tend: 2018-03-01\n"
	              "---\n",
	              tab);
	/* a value over two lines, cut at the error on the second: told of
	 * once, not also as the text it was cut to */
	{
		static const char *const cut[] = {
			"5:13: ",
			NULL,
		};
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev =
		    parse("---\ntitle: Conference\nstart: 2027-03-01T10:00\n"
		          "url: https://example.org/events/c-2027\n"
		          "  (programme: see below)\n---\nbody\n",
		          diags);

		g_assert_null(ev);
		g_assert_cmpuint(diags->len, ==, 1);
		assert_errors(
		    "---\ntitle: Conference\nstart: 2027-03-01T10:00\n"
		    "url: https://example.org/events/c-2027\n"
		    "  (programme: see below)\n---\nbody\n",
		    cut);
	}
	/* a syntax error at the very start: nothing read, nothing missing */
	{
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse("---\n\"title: A\n---\n", diags);

		g_assert_null(ev);
		g_assert_cmpuint(diags->len, ==, 1);
	}
}

/* A wrong start, or a wrong time zone, hides no mistake in the other
 * dates, nor in the rule itself: each is reported at once. */
static void
test_error_dates_all_at_once(void)
{
	static const char *const both[] = {
		"3:8: start: invalid date '2018-13-01'",
		"4:6: end: invalid date '2018-02-30'",
		NULL,
	};
	static const char *const zone[] = {
		"3:11: timezone: unknown time zone",
		"4:8: start: invalid time '2018-05-22T25:00'",
		"5:6: end: invalid date '2018-05-32'",
		NULL,
	};
	static const char *const rule[] = {
		"3:8: start: invalid date '2018-13-01'",
		"4:13: recurrence: FREQ=SECONDLY and FREQ=MINUTELY",
		NULL,
	};
	static const char *const no_start[] = {
		"2:1: missing key 'start'",
		"3:6: end: invalid date 'soon'",
		NULL,
	};

	assert_errors("---\n"
	              "title: Workshop\n"
	              "start: 2018-13-01\n"
	              "end: 2018-02-30\n"
	              "---\n",
	              both);
	assert_errors("---\n"
	              "title: Workshop\n"
	              "timezone: Mars/Base\n"
	              "start: 2018-05-22T25:00\n"
	              "end: 2018-05-32\n"
	              "---\n",
	              zone);
	assert_errors("---\n"
	              "title: Workshop\n"
	              "start: 2018-13-01\n"
	              "recurrence: FREQ=MINUTELY;COUNT=3\n"
	              "---\n",
	              rule);
	assert_errors("---\n"
	              "title: Workshop\n"
	              "end: soon\n"
	              "---\n",
	              no_start);
	/* a zone that is wrong leaves the dates read for their form only */
	assert_error("---\n"
	             "title: Workshop\n"
	             "timezone: Mars/Base\n"
	             "start: 2018-03-25T02:30\n"
	             "---\n",
	             3, 11, "timezone: unknown time zone");
}

/* A '[' or '{' left open is found where the next key is, lines later:
 * the message says where it opened. */
static void
test_error_flow_left_open(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "categories: [workshop, justice\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             4, 6,
	             "while parsing a flow sequence that opens on line 3, "
	             "column 13");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "geo: {lat: 46.05\n"
	             "location: Ljubljana\n"
	             "---\n",
	             5, 9, "flow mapping that opens on line 4, column 6");
}

/* YAML breaks lines at NEL (U+0085), U+2028, U+2029 and a CR alone as
 * well, where an editor shows none: the lines after one are still those
 * of the file. */
static void
test_error_position_after_yaml_breaks(void)
{
	static const char *const nel[] = {
		"4:8: start: invalid date '2018-13-01'",
		"5:6: end: invalid date '2018-13-02'",
		NULL,
	};

	/* a '…' of Windows-1252 read as Latin-1 */
	assert_errors("---\n"
	              "title: \"Workshop\xc2\x85 and \xc2\x85more\"\n"
	              "location: \"Ljubljana\xe2\x80\xa9Slovenia\"\n"
	              "start: 2018-13-01\n"
	              "end: 2018-13-02\n"
	              "---\n",
	              nel);
	assert_error("---\n"
	             "title: \"Workshop\xe2\x80\xa8on\"\n"
	             "start: 2018-13-01\n"
	             "---\n",
	             3, 8, "no month 13");
	assert_error("---\n"
	             "title: \"Workshop\ron\"\n"
	             "start: 2018-13-01\n"
	             "---\n",
	             3, 8, "no month 13");
	/* and the column is counted from the line's start */
	assert_error("---\n"
	             "title: \"\xc5\xa0\xe2\x80\xa8x\"\n"
	             "url: [x]\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             3, 6, "url: expected a string");
}

static void
test_error_unknown_zone(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "timezone: Mars/Base\n"
	             "---\n",
	             4, 11, "timezone: unknown time zone");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "timezone: Mars/Base\n"
	             "---\n",
	             4, 11, "'Mars/Base'");
}

/* An event file in zone @name, quoted. */
static char *
zone_event(const char *name)
{
	return g_strdup_printf("---\ntitle: Workshop\nstart: 2018-05-22T09:00\n"
	                       "timezone: \"%s\"\n---\n",
	                       name);
}

/* The texts people read and compare are in NFC (an event file's uid is
 * ASCII; a partner's stays as it came, see test-markdown). */
static void
test_text_nfc(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Cafe\u0301 talks\n"
	                                  "start: 2018-05-22\n"
	                                  "location: Nis\u030c\n"
	                                  "organizer: Cafe\u0301 Society\n"
	                                  "categories: [Cafe\u0301]\n"
	                                  "---\n");

	g_assert_cmpstr(ev->title, ==, "Caf\u00e9 talks");
	g_assert_cmpstr(ev->location, ==, "Ni\u0161");
	g_assert_cmpstr(g_ptr_array_index(ev->organizers, 0), ==,
	                "Caf\u00e9 Society");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 0), ==, "Caf\u00e9");
}

/* Only tzdata's Region/City names, its zones and links: not its old names
 * without a region (EST has no summer time, whatever the editor meant),
 * nor its right/ and posix/ copies, nor files in its folder that are no
 * zone (localtime is the machine's own). */
static void
test_zone_names(void)
{
	static const char *const old[] = { "EST", "EST5EDT", "CET",
		                           "MET", "Japan",   "Factory" };
	static const char *const unknown[] = {
		"right/Europe/Berlin",
		"posix/Europe/Berlin",
		"localtime",
		"posixrules",
		"Europe",
		"Europe/",
		"/Europe/Berlin",
		"../zoneinfo/Europe/Berlin",
		"Europe/Berlin,M3.5.0",
		"EST5EDT,M3.2.0/2,M11.1.0/2",
		"zone.tab",
		"Europe/Nowhere",
	};
	static const char *const known[][2] = {
		{ "Europe/Ljubljana", "Europe/Ljubljana" },
		{ "US/Eastern", "US/Eastern" },
		{ "Europe/Kiev", "Europe/Kiev" },
		{ "America/Argentina/Buenos_Aires",
		  "America/Argentina/Buenos_Aires" },
		{ "Etc/UTC", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(old); i++) {
		g_autofree char *text = zone_event(old[i]);

		assert_error(text, 4, 11, "old tzdata name without a region");
	}
	for (gsize i = 0; i < G_N_ELEMENTS(unknown); i++) {
		g_autofree char *text = zone_event(unknown[i]);

		assert_error(text, 4, 11, "unknown time zone");
	}
	for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
		g_autofree char *text = zone_event(known[i][0]);
		g_autoptr(EvfEvent) ev = parse_ok(text);

		g_assert_cmpstr(ev->tzid, ==, known[i][1]);
	}
}

/* A series whose start is written with its offset keeps that offset (its
 * times are UTC): when the zone's clocks change while it runs, a warning
 * says its occurrences are then an hour off; not when they do not. */
static void
test_series_offset_start(void)
{
	static const struct {
		const char *start, *zone, *rule;
		gboolean warns;
	} cases[] = {
		{ "2027-03-15T18:00+01:00", "Europe/Berlin",
		  "FREQ=WEEKLY;COUNT=4", TRUE },
		{ "2027-01-15T18:00+01:00", NULL, "FREQ=WEEKLY;COUNT=4",
		  FALSE },
		{ "2027-01-15T18:00+01:00", NULL, "FREQ=MONTHLY", TRUE },
		{ "2027-01-15T18:00Z", "UTC", "FREQ=WEEKLY", FALSE },
		{ "2027-01-15T18:00+05:45", "Asia/Kathmandu", "FREQ=WEEKLY",
		  FALSE },
		/* another place's offset, not the zone's: meant */
		{ "2027-01-04T23:00-12:00", NULL, "FREQ=WEEKLY", FALSE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: T\nstart: %s\n%s%s%srecurrence: %s\n---\n",
		    cases[i].start, cases[i].zone ? "timezone: " : "",
		    cases[i].zone ? cases[i].zone : "",
		    cases[i].zone ? "\n" : "", cases[i].rule);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);

		g_test_message("%s %s", cases[i].start, cases[i].rule);
		g_assert_nonnull(ev);
		g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
		g_assert_cmpuint(diags->len, ==, cases[i].warns ? 1 : 0);
		if (cases[i].warns) {
			const EvfDiag *d = g_ptr_array_index(diags, 0);

			g_assert_true(d->warning);
			g_assert_true(g_str_has_prefix(
			    d->message,
			    "recurrence: the start is written with "
			    "its UTC offset, so the series keeps that "
			    "offset"));
		}
	}
}

/* Outlook reads a VTIMEZONE's rules only as a date or a weekday counted
 * in a month (MS-OXCICAL): a series in a zone whose clocks change on a
 * weekday on or after a date (Jerusalem's Friday on or after 23 March,
 * Brazil's third Sunday of February unless it is carnival, to 2019) is
 * warned of; a single event there is given in UTC, without a word. */
static void
test_tz_outlook_series(void)
{
	g_autoptr(EvfEvent) series = parse_warned(
	    "---\ntitle: T\nstart: 2027-05-10T10:00\n"
	    "timezone: Asia/Jerusalem\nrecurrence: FREQ=WEEKLY;COUNT=3\n---\n",
	    5, 13,
	    "recurrence: Outlook does not read the rules of the clock changes "
	    "of Asia/Jerusalem in 2027 (they fall on a weekday on or after a "
	    "date, and Outlook takes only a date or a weekday counted in the "
	    "month: MS-OXCICAL), and may show the series, and the other "
	    "events in Asia/Jerusalem of the calendars that hold it, at other "
	    "times; other clients read them. An event without recurrence is "
	    "published in UTC, which Outlook reads");
	g_autoptr(EvfEvent) single =
	    parse_ok("---\ntitle: T\nstart: 2027-05-10T10:00\n"
	             "timezone: Asia/Jerusalem\n---\n");
	g_autoptr(EvfEvent) brazil =
	    parse_ok("---\ntitle: T\nstart: 2020-06-03T09:00\n"
	             "timezone: America/Sao_Paulo\n"
	             "recurrence: FREQ=WEEKLY\n---\n");
	g_autoptr(EvfEvent) berlin =
	    parse_ok("---\ntitle: T\nstart: 2027-05-10T10:00\n"
	             "timezone: Europe/Berlin\n"
	             "recurrence: FREQ=WEEKLY;COUNT=3\n---\n");

	g_assert_cmpstr(evf_ics_tzid(series), ==, "Asia/Jerusalem");
	g_assert_null(evf_ics_tzid(single));
	g_assert_cmpstr(evf_ics_tzid(berlin), ==, "Europe/Berlin");
}

/* node-ical knows a zone's clock changes only up to 1 January ten years
 * after its reader's year (2028 for NOW, in 2018), and takes every later
 * time to be at the offset it has then: a series that starts later at
 * another offset it refuses, with the whole calendar. A warning says so,
 * and until when; not for a series it reads, nor for a single event. */
static void
test_series_node_ical_horizon(void)
{
	static const struct {
		const char *start, *zone, *rule;
		const char *taken, *real; /* NULL: no warning */
	} cases[] = {
		{ "2028-08-06T14:30", "Europe/Ljubljana", "FREQ=WEEKLY;COUNT=3",
		  "+01:00", "+02:00" },
		{ "2031-06-01T09:00", "America/New_York", "FREQ=DAILY;COUNT=3",
		  "-05:00", "-04:00" },
		/* winter in Sydney */
		{ "2028-07-06T14:30", "Australia/Sydney", "FREQ=WEEKLY;COUNT=3",
		  "+11:00", "+10:00" },
		{ "2027-08-06T14:30", "Europe/Ljubljana", "FREQ=WEEKLY;COUNT=3",
		  NULL, NULL },
		{ "2028-01-10T14:30", "Europe/Ljubljana", "FREQ=WEEKLY;COUNT=3",
		  NULL, NULL },
		{ "2028-12-06T14:30", "Australia/Sydney", "FREQ=WEEKLY;COUNT=3",
		  NULL, NULL },
		{ "2040-08-06T14:30", "Asia/Tokyo", "FREQ=WEEKLY;COUNT=3", NULL,
		  NULL },
		{ "2028-08-06T14:30", "Europe/Ljubljana", NULL, NULL, NULL },
		{ "2028-08-06", "Europe/Ljubljana", "FREQ=WEEKLY;COUNT=3", NULL,
		  NULL },
		{ "2028-08-06T14:30Z", NULL, "FREQ=WEEKLY;COUNT=3", NULL,
		  NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		gboolean timed = strchr(cases[i].start, 'T') != NULL;
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: T\nstart: %s\n%s%s%s%s%s%s---\n",
		    cases[i].start, timed && cases[i].zone ? "timezone: " : "",
		    timed && cases[i].zone ? cases[i].zone : "",
		    timed && cases[i].zone ? "\n" : "",
		    cases[i].rule ? "recurrence: " : "",
		    cases[i].rule ? cases[i].rule : "",
		    cases[i].rule ? "\n" : "");
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);

		g_test_message("%s %s", cases[i].start,
		               cases[i].zone ? cases[i].zone : "");
		g_assert_nonnull(ev);
		g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
		g_assert_cmpuint(diags->len, ==, cases[i].taken ? 1 : 0);
		if (cases[i].taken != NULL) {
			const EvfDiag *d = g_ptr_array_index(diags, 0);
			/* readable once 1 January ten years on is past
			 * the start */
			g_autofree char *want = g_strdup_printf(
			    "recurrence: node-ical (the calendar reader of "
			    "MagicMirror² and other Node.js programs) refuses "
			    "every calendar that holds this series, with all "
			    "of its events, until 1 January %d: it knows the "
			    "clock changes of %s only up to 2028, takes every "
			    "later time to be at %s, and fails on the start, "
			    "%s at %s; it reads a series that starts before "
			    "2028 or at %s, and an event without recurrence",
			    atoi(cases[i].start) - 9, cases[i].zone,
			    cases[i].taken, cases[i].start, cases[i].real,
			    cases[i].taken);

			g_assert_true(d->warning);
			g_assert_cmpuint(d->line, ==, 5);
			g_assert_cmpuint(d->col, ==, 13);
			g_assert_cmpstr(d->message, ==, want);
		}
	}
}

/* A series whose start is written with an offset runs in UTC: a rule's
 * day that the start's UTC time is not on is said to be in UTC, and how
 * to have it run in local time. */
static void
test_series_offset_day(void)
{
	assert_error("---\ntitle: T\nstart: 2027-03-01T01:00+02:00\n"
	             "recurrence: FREQ=WEEKLY;BYDAY=MO;COUNT=3\n---\n",
	             4, 13,
	             "recurrence: the start, 2027-02-28T23:00 UTC, is not one "
	             "of the rule's dates, the first of which is "
	             "2027-03-01T23:00 UTC");
	assert_error("---\ntitle: T\nstart: 2027-03-01T01:00+02:00\n"
	             "recurrence: FREQ=WEEKLY;BYDAY=MO;COUNT=3\n---\n",
	             4, 13,
	             "(a series whose start is written with its offset "
	             "runs in UTC");
}

/* tzdata's Etc/GMT+5 is UTC-05:00: a valid zone, published as written,
 * with a warning that says which offset it is, since an editor who means
 * UTC+05:00 gets every time ten hours off. Etc/GMT-14 has no Etc/GMT+14
 * to suggest; Etc/GMT+0 is UTC. */
static void
test_zone_etc_sign(void)
{
	static const struct {
		const char *name;
		const char *says;
	} cases[] = {
		{ "Etc/GMT+5", "timezone: 'Etc/GMT+5' is UTC-05:00: tzdata's "
		               "Etc/GMT names have the sign reversed (for "
		               "UTC+05:00 write Etc/GMT-5, or better a city's "
		               "zone)" },
		{ "Etc/GMT-14",
		  "timezone: 'Etc/GMT-14' is UTC+14:00: tzdata's "
		  "Etc/GMT names have the sign reversed (a city's "
		  "zone is clearer)" },
		{ "Etc/GMT+0", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = zone_event(cases[i].name);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);
		const EvfDiag *d;

		g_assert_nonnull(ev);
		g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
		if (cases[i].says == NULL) {
			g_assert_cmpuint(diags->len, ==, 0);
			continue;
		}
		g_assert_cmpstr(ev->tzid, ==, cases[i].name);
		g_assert_cmpuint(diags->len, ==, 1);
		d = g_ptr_array_index(diags, 0);
		g_assert_true(d->warning);
		g_assert_cmpuint(d->line, ==, 4);
		g_assert_cmpuint(d->col, ==, 11);
		g_assert_cmpstr(d->message, ==, cases[i].says);
	}
}

static void
test_error_zone_offset_refused(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "timezone: \"+02:00\"\n"
	             "---\n",
	             4, 11, "unknown time zone");
}

/* A series in a zone whose VTIMEZONE needs RDATE lists, which Outlook
 * ignores, in that year: refused (a single event is written in UTC). */
static void
test_error_series_irregular_zone(void)
{
	assert_error("---\n"
	             "title: Weekly consultation\n"
	             "start: 2025-03-03T10:00\n"
	             "timezone: Asia/Gaza\n"
	             "recurrence: FREQ=WEEKLY;COUNT=8\n"
	             "---\n",
	             5, 13,
	             "recurrence: in 2025 the clocks of Asia/Gaza change on "
	             "dates no yearly rule gives");
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Consultation\n"
	                                  "start: 2025-03-03T10:00\n"
	                                  "timezone: Asia/Gaza\n"
	                                  "---\n");
	g_assert_nonnull(ev);
}

/* Lists nested deeper than an HTML parser keeps: an error at the line of
 * the first too deep, counted in the file (blank lines before the
 * description too). */
static void
test_error_description_too_deep(void)
{
	g_autoptr(GString) text = g_string_new("---\n"
	                                       "title: Workshop\n"
	                                       "start: 2018-05-22\n"
	                                       "---\n"
	                                       "\n"
	                                       "\n"
	                                       "Agenda:\n"
	                                       "\n");

	for (int i = 0; i < 60; i++)
		g_string_append_printf(text, "%*s- point\n", 2 * i, "");
	/* lines 9 to 68; the document, then two levels an item: the 50th
	 * item, on line 58, is the first too deep */
	assert_error(text->str, 58, 1,
	             "description: lists, quotes or emphasis nested more than "
	             "100 deep");
}

static void
test_error_dst_gap(void)
{
	/* The clocks go from 02:00 to 03:00 on 25 March 2018. */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-03-25T02:30\n"
	             "---\n",
	             3, 8, "does not exist in Europe/Ljubljana");
}

static void
test_error_missing_title(void)
{
	/* A key that is not there has no line of its own: the diagnostic
	 * points at the start of the front matter's mapping. */
	assert_error("---\n"
	             "start: 2018-05-22\n"
	             "location: Ljubljana\n"
	             "---\n",
	             2, 1, "missing key 'title'");
}

static void
test_error_missing_start(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "---\n",
	             2, 1, "missing key 'start'");
}

static void
test_error_empty_title(void)
{
	assert_error("---\n"
	             "title: \"  \"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8, "title: empty value");
	/* Nor an empty place, organizer or category, which would be
	 * written as an empty LOCATION or <ev:location/> */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "location: \"  \"\n"
	             "---\n",
	             4, 11, "location: empty value");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "categories: [policy, \"\"]\n"
	             "---\n",
	             4, 22, "categories: empty value");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer:\n"
	             "  - OSCE\n"
	             "  - ' '\n"
	             "---\n",
	             6, 5, "organizer: empty value");
}

static void
test_error_title_is_list(void)
{
	assert_error("---\n"
	             "title: [Workshop, Conference]\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8, "title: expected a string, not a list");
}

static void
test_error_title_is_mapping(void)
{
	assert_error("---\n"
	             "title:\n"
	             "  en: Workshop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             3, 3, "title: expected a string, not a mapping");
}

static void
test_error_tab_indentation(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer:\n"
	             "\t- OSCE\n"
	             "---\n",
	             5, 1, "cannot start any token");
}

static void
test_error_unclosed_quote(void)
{
	/* Sent to the quote that is never closed, not to the end of the
	 * front matter where libyaml notices. */
	assert_error("---\n"
	             "title: \"Workshop on Border Security\n"
	             "start: 2018-05-22\n"
	             "location: Ljubljana\n"
	             "---\n",
	             2, 8, "quoted scalar");
}

static void
test_error_yaml_syntax(void)
{
	assert_error("---\n"
	             "title: a: b\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 9, "mapping values are not allowed");
}

/* An unknown key says what the editor most likely meant; a required key
 * written in another case is reported once, as that. */
static void
test_error_key_advice(void)
{
	static const struct {
		const char *line;
		const char *needle;
	} cases[] = {
		{ "Location: Ljubljana",
		  "unknown key 'Location' (keys are written in lower case: "
		  "'location')" },
		{ "locaton: Ljubljana",
		  "unknown key 'locaton' (did you mean 'location'?)" },
		{ "organiser: OSCE",
		  "unknown key 'organiser' (did you mean 'organizer'?)" },
		{ "venue: Ljubljana",
		  "unknown key 'venue' (did you mean 'location'?)" },
		{ "category: security",
		  "unknown key 'category' (did you mean 'categories'?)" },
		{ "description: A workshop",
		  "the description is not a key: write it after the closing "
		  "'---'" },
		{ "wibble: 1", "(known keys: title, start, end, timezone," },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: 2018-05-22\n%s\n---\n",
		    cases[i].line);

		assert_error(text, 4, 1, cases[i].needle);
	}
	assert_error("---\nTitle: Workshop\nstart: 2018-05-22\n---\n", 2, 1,
	             "unknown key 'Title' (keys are written in lower case: "
	             "'title')");
	assert_error("---\ntitle: Workshop\nSTART: 2018-05-22\n---\n", 3, 1,
	             "unknown key 'START' (keys are written in lower case: "
	             "'start')");
}

/* A YAML syntax error is said in an editor's words, at the line that
 * needs the change: most come from a title copied from a listing that
 * begins with a character YAML reserves or holds ': '. */
static void
test_error_yaml_hints(void)
{
	static const struct {
		const char *line; /* line 2 of the front matter */
		guint line_no, col;
		const char *needle;
	} cases[] = {
		{ "title: @home event", 2, 8,
		  "title: a value that begins with '@' must be put in quotes: "
		  "title: \"@home event\"" },
		{ "title: `code` event", 2, 8,
		  "a value that begins with '`' must be put in quotes" },
		{ "title: %done", 2, 8,
		  "a value that begins with '%' must be put in quotes" },
		{ "title: *Important* event", 2, 8,
		  "title: a value that begins with '*' must be put in quotes: "
		  "title: \"*Important* event\"" },
		{ "title: & Co", 2, 8,
		  "a value that begins with '&' must be put in quotes" },
		{ "title: | Important", 2, 10,
		  "a value that begins with '|' must be put in quotes" },
		{ "title: > 100 participants", 2, 10,
		  "a value that begins with '>' must be put in quotes" },
		{ "title: ? what", 2, 8,
		  "a value that begins with '?' must be put in quotes" },
		{ "title: - draft", 2, 8,
		  "a value that begins with '-' must be put in quotes" },
		{ "title: [DRAFT] Event", 2, 16,
		  "title: a value that begins with '[' must be put in quotes: "
		  "title: \"[DRAFT] Event\"" },
		{ "title: Conference: Criminal Justice", 2, 18,
		  "title: a value that holds ': ' must be put in quotes: "
		  "title: \"Conference: Criminal Justice\"" },
		{ "title:\tConference: Criminal Justice", 2, 18,
		  "a value that holds ': ' must be put in quotes" },
		{ "title: \"The \"Big\" Event\"", 2, 14,
		  "title: text after the closing quote; to have a '\"' in a "
		  "value, put the value in the other kind of quotes: "
		  "title: 'The \"Big\" Event'" },
		{ "title: 'It's here'", 2, 12,
		  "to have an apostrophe in a value, put the value in the other "
		  "kind of quotes: title: \"It's here\"" },
		{ "title: \"OSCE\" workshop", 2, 15,
		  "title: '\"OSCE\" workshop'" },
		{ "title:Workshop", 2, 1,
		  "front matter must be a mapping of keys to values: a space "
		  "is missing after 'title:' (write 'title: Workshop')" },
		{ "Workshop on borders", 2, 1,
		  "front matter must be a mapping of keys to values: expected "
		  "a line 'key: value'" },
		{ "title: \"Workshop", 2, 8,
		  "the quote that opens here is not closed" },
		/* two organisers or categories, as other formats write
		 * them: a list, not one name with quotes in it */
		{ "organizer: \"OSCE\", \"UNODC\"", 2, 18,
		  "organizer: several are written as a list, in brackets: "
		  "organizer: [\"OSCE\", \"UNODC\"]" },
		{ "organizer: \"OSCE\", \"UNODC\" # both", 2, 18,
		  "organizer: several are written as a list, in brackets: "
		  "organizer: [\"OSCE\", \"UNODC\"] # both" },
		{ "categories: 'Crime' , Justice", 2, 21,
		  "categories: several are written as a list, in brackets: "
		  "categories: ['Crime' , Justice]" },
		{ "title: Call for papers:", 2, 23,
		  "title: a value that ends in ':' must be put in quotes: "
		  "title: \"Call for papers:\"" },
		{ "location: Faculty of Criminal Justice,\n  Kotnikova 8: Room C",
		  3, 14,
		  "an indented line, which continues the value above, holds "
		  "': ', which YAML reads as a key's: put the whole value in "
		  "quotes" },
		{ "categories:\n  * security", 3, 3,
		  "a list's item starts with '- ', not '* '" },
		{ "categories: [security, justice]]", 2, 32,
		  "categories: text after the list's closing ']': put every "
		  "item inside the brackets" },
		{ "categories: - security", 2, 13,
		  "categories: a list's items go on lines of their own below "
		  "'categories:', each as '  - name'" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\n%s\nstart: 2018-05-22\n---\n", cases[i].line);

		assert_error(text, cases[i].line_no, cases[i].col,
		             cases[i].needle);
	}
	/* the items of a list, and a tab */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "categories:\n"
	             "  - security\n"
	             " - borders\n"
	             "---\n",
	             6, 2, "the items of a list must start in the same column");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer:\n"
	             "\t- OSCE\n"
	             "---\n",
	             5, 1,
	             "a tab character: YAML indents and separates with "
	             "spaces only");
	assert_error("---\n"
	             "title: Workshop\n"
	             " start: 2018-05-22\n"
	             "---\n",
	             3, 7,
	             "'start' is indented: every key starts at the "
	             "beginning of its line");
	/* a key without its ':', found only on the next line, is
	 * reported at its own */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start:2018-05-22\n"
	             "location: Ljubljana\n"
	             "---\n",
	             3, 1, "a space is missing after 'start:'");
	/* a list's brackets: text after the closing one, and one left
	 * open, which is found on the next line */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "categories: [workshop, justice] policy\n"
	             "---\n",
	             4, 33,
	             "categories: text after the list's closing ']': put every "
	             "item inside the brackets");
	assert_error("---\n"
	             "title: Workshop\n"
	             "categories: [workshop, justice\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             4, 6,
	             "the '[' on line 3 is not closed: end the list with ']' "
	             "on that line");
	/* anchors, aliases and tags say how to begin a text so */
	assert_error("---\ntitle: &more\nstart: 2018-05-22\n---\n", 2, 8,
	             "to begin a text with '&' or '*', put it in quotes");
	assert_error("---\ntitle: !Important\nstart: 2018-05-22\n---\n", 2, 8,
	             "in quotes if it begins with '!'");
}

static void
test_error_invalid_utf8(void)
{
	static const char *const body_and_front[] = {
		"5:4: invalid UTF-8",
		"3:8: start: invalid date '2018-13-01'",
		NULL,
	};
	static const char text[] = "---\n"
	                           "title: Caf\xc3\xa9 ab\xff"
	                           "cd\n"
	                           "start: 2018-05-22\n"
	                           "---\n";

	/* Columns count characters: "title: Café ab" is 14. */
	assert_error(text, 2, 15, "invalid UTF-8");
	/* é as Windows-1252 writes it: the likely cause is named */
	assert_error("---\ntitle: Caf\xe9\nstart: 2018-05-22\n---\n", 2, 11,
	             "invalid UTF-8 (a file saved as Windows-1252 or ISO "
	             "8859? save it as UTF-8)");
	/* in the description, the front matter's mistakes come too */
	assert_errors("---\n"
	              "title: Workshop\n"
	              "start: 2018-13-01\n"
	              "---\n"
	              "Caf\xe9 and more.\n",
	              body_and_front);
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n---\n"
	             "Caf\xe9.\n",
	             5, 4, "invalid UTF-8");
}

/* A character the front matter cannot hold (invalid UTF-8, a NUL, a
 * control character) hides none of its other mistakes, nor the
 * description's: each line's first is reported, and the rest of the file
 * is read as if it were a letter, whose own errors are not. */
static void
test_error_characters_all_at_once(void)
{
	static const char text[] = "---\n"
	                           "title: Caf\xe9 \xe9\n"
	                           "start: 2018-05-2\x07\n"
	                           "end: 2018-13-01\n"
	                           "organizer: A\0B\n"
	                           "location: Hall \xc2\x85 B \xc2\x9f\n"
	                           "---\n"
	                           "Caf\xe9.\n";
	static const char *const all[] = {
		"2:11: invalid UTF-8",
		"8:4: invalid UTF-8",
		"3:17: the control character U+0007",
		"5:13: a NUL character is not allowed",
		"6:20: the control character U+009F",
		"4:6: end: invalid date '2018-13-01'",
		NULL,
	};

	assert_errors_len(text, sizeof text - 1, all);
}

/* In a file whose lines end in CR alone, an invalid byte is at the line
 * an editor shows, as any other mistake there. */
static void
test_error_invalid_utf8_cr_only(void)
{
	assert_error("---\r"
	             "title: Workshop\r"
	             "start: 2018-05-22\r"
	             "---\r"
	             "Fine.\r"
	             "Caf\xe9.\r",
	             6, 4, "invalid UTF-8");
}

/* A description saved in another encoding is told of at each line it has
 * a byte that is not UTF-8 (the first of the line), and so is each line
 * with a U+FFFD, after such a byte too: all of them at once. Columns count
 * characters from the line's start (a BOM is none). */
static void
test_error_encoding_every_line(void)
{
	static const char text[] = "\xef\xbb\xbf---\n"
	                           "title: Workshop\n"
	                           "start: 2018-05-22\n"
	                           "---\n"
	                           "Caf\xe9 \xe9.\n"
	                           "Fine \xc3\xa9 here.\n"
	                           "\xc3\xa9t\xe9 and \xe9t\xe9.\n"
	                           "A NUL: \0.\n"
	                           "Lost \xef\xbf\xbd and \xef\xbf\xbd.\n"
	                           "\xe9 then \xef\xbf\xbd.\n"
	                           "Last \xff";
	static const char *const all[] = {
		"5:4: invalid UTF-8",
		"7:3: invalid UTF-8",
		"8:8: a NUL character is not allowed",
		"10:1: invalid UTF-8",
		"11:6: invalid UTF-8",
		"9:6: description: the replacement character U+FFFD",
		"10:8: description: the replacement character U+FFFD",
		NULL,
	};

	g_autoptr(GString) many = g_string_new("---\ntitle: Workshop\n"
	                                       "start: 2018-05-22\n---\n");
	g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func(g_free);

	assert_errors_len(text, sizeof text - 1, all);
	/* a whole description in another encoding: its first 20 lines, the
	 * 20th with how many more there are; the U+FFFDs alike */
	for (guint i = 0; i < 25; i++)
		g_string_append(many, "Caf\xe9 \xe9t\xe9.\n");
	for (guint i = 0; i < 23; i++)
		g_string_append(many, "Caf\xef\xbf\xbd.\n");
	for (guint i = 0; i < 19; i++)
		g_ptr_array_add(
		    want, g_strdup_printf("%u:4: invalid UTF-8 (", 5 + i));
	g_ptr_array_add(want, g_strdup("24:4: invalid UTF-8 or a NUL here and "
	                               "on 5 more lines: save the file as "
	                               "UTF-8"));
	for (guint i = 0; i < 19; i++)
		g_ptr_array_add(
		    want, g_strdup_printf("%u:4: description: the replacement "
		                          "character U+FFFD (",
		                          30 + i));
	g_ptr_array_add(want, g_strdup("49:4: description: the replacement "
	                               "character U+FFFD here and on 3 more "
	                               "lines: write the characters meant"));
	g_ptr_array_add(want, NULL);
	assert_errors_len(many->str, many->len,
	                  (const char *const *)want->pdata);

	/* twenty lines exactly: the twentieth is told as the others */
	g_string_assign(many, "---\ntitle: Workshop\nstart: 2018-05-22\n---\n");
	g_ptr_array_set_size(want, 0);
	for (guint i = 0; i < 20; i++)
		g_string_append(many, "Caf\xe9.\n");
	for (guint i = 0; i < 20; i++)
		g_string_append(many, "Caf\xef\xbf\xbd.\n");
	for (guint i = 0; i < 20; i++)
		g_ptr_array_add(
		    want, g_strdup_printf("%u:4: invalid UTF-8 (", 5 + i));
	for (guint i = 0; i < 20; i++)
		g_ptr_array_add(
		    want, g_strdup_printf("%u:4: description: the replacement "
		                          "character U+FFFD (",
		                          25 + i));
	g_ptr_array_add(want, NULL);
	assert_errors_len(many->str, many->len,
	                  (const char *const *)want->pdata);
}

/* U+FFFD stands for a character that a wrong encoding lost, and the W3C
 * feed validator warns of it in a feed (BadCharacters): each one is an
 * error at its place, whether written as such or as a YAML escape, in
 * the front matter and in the description, all reported at once. */
static void
test_error_replacement_character(void)
{
	static const char *const all[] = {
		"10:9: description: the replacement character U+FFFD",
		"2:11: title: the replacement character U+FFFD",
		"4:11: location: the replacement character U+FFFD",
		"8:3: organizer: the replacement character U+FFFD",
		"5:20: categories: the replacement character U+FFFD",
		NULL,
	};

	assert_errors("---\n"
	              "title: Caf\xef\xbf\xbd Europa\n"
	              "start: 2018-05-22\n"
	              "location: \"Ljubljana \\uFFFD\"\n"
	              "categories: [ok, \"b\xef\xbf\xbd\"]\n"
	              "organizer: |\r\n"
	              "  Ministry,\r\n"
	              "  \xef\xbf\xbd office\r\n"
	              "---\n"
	              "Caf\xc3\xa9 Caf\xef\xbf\xbd.\n",
	              all);
	assert_error("---\rtitle: Workshop\rstart: 2018-05-22\r---\r"
	             "Fine.\r\xef\xbf\xbd\r",
	             6, 1, "description: the replacement character U+FFFD");
}

/* What Windows editors save as "Unicode", with or without its byte order
 * mark: one error that says so, not one about a NUL or an invalid byte. */
static void
test_error_utf16(void)
{
	static const char le_bom[] = "\xff\xfe-\0-\0-\0\n\0";
	static const char be_bom[] = "\xfe\xff\0-\0-\0-\0\n";
	static const char le[] = "-\0-\0-\0\n\0";
	static const char be[] = "\0-\0-\0-\0\n";

	assert_error_len(le_bom, sizeof le_bom - 1, 1, 1,
	                 "the file is in UTF-16: save it as UTF-8");
	assert_error_len(be_bom, sizeof be_bom - 1, 1, 1,
	                 "the file is in UTF-16: save it as UTF-8");
	assert_error_len(le, sizeof le - 1, 1, 1,
	                 "the file is in UTF-16: save it as UTF-8");
	assert_error_len(be, sizeof be - 1, 1, 1,
	                 "the file is in UTF-16: save it as UTF-8");
}

static void
test_error_invalid_utf8_body(void)
{
	static const char text[] = "---\n"
	                           "title: Workshop\n"
	                           "start: 2018-05-22\n"
	                           "---\n"
	                           "Fine.\n"
	                           "ab\xc3("
	                           "\n";

	assert_error(text, 6, 3, "invalid UTF-8");
}

static void
test_error_nul_byte(void)
{
	static const char text[] = "---\n"
	                           "title: ab\0cd\n"
	                           "start: 2018-05-22\n"
	                           "---\n";

	assert_error_len(text, sizeof text - 1, 2, 10,
	                 "a NUL character is not allowed");
}

static void
test_error_escaped_nul(void)
{
	assert_error("---\n"
	             "title: \"ab\\0cd\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8, "a NUL character is not allowed");
	assert_error("---\n"
	             "title: Workshop\n"
	             "location: \"x\\x00y\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             3, 11, "a NUL character is not allowed");
}

static void
test_error_no_closing_marker(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "The body, with no line '---' before it.\n",
	             1, 1, "front matter is not closed");
}

/* A comment after a delimiter ('--- # end'): that line closes nothing, and
 * is named, where the error was at the file's first line. */
static void
test_error_delimiter_with_text(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "--- # end of the front matter\n"
	             "The body.\n",
	             4, 1,
	             "front matter is not closed: the line that closes it "
	             "is '---' alone, with nothing after it on its line");
	/* a dash too many or too few: named, not the file's first line */
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n----\n"
	             "The body.\n",
	             4, 1,
	             "front matter is not closed: the line that closes it "
	             "is '---', three dashes, and this one has 4");
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n-- \r\n"
	             "The body.\n",
	             4, 1, "three dashes, and this one has 2");
	/* the hyphens an editor's autocorrection made a dash */
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n\u2014\n"
	             "The body \u2014 a dash in it.\n",
	             4, 1,
	             "front matter is not closed: the line that closes it "
	             "is '---', three hyphens, and this one has a dash");
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n\u2013- \n"
	             "The body.\n",
	             4, 1, "and this one has a dash");
	/* a space, or a character that shows as nothing (two files
	 * joined, a byte order mark between them), before it: that line,
	 * not the file's first */
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n ---\n"
	             "The body.\n",
	             4, 1,
	             "front matter is not closed: the line that closes it "
	             "is '---' at the start of its line, with no space "
	             "before it");
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n"
	             "\xef\xbb\xbf---\nThe body.\n",
	             4, 1, "and an invisible character (U+FEFF) is before it");
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n"
	             "\xc2\xa0...\nThe body.\n",
	             4, 1, "a no-break or other space (U+00A0) is before it");
	/* (in a text in quotes, over two lines, it is the text's) */
	{
		g_autoptr(EvfEvent) ev =
		    parse_ok("---\ntitle: \"Workshop\n  ---\"\n"
		             "start: 2018-05-22\n---\n");

		g_assert_cmpstr(ev->title, ==, "Workshop ---");
	}
	/* a fullwidth colon, from a keyboard in full width */
	assert_error("---\ntitle\uff1a Workshop\nstart: 2018-05-22\n---\n", 2,
	             1,
	             "expected a line 'key: value': '\uff1a' is a fullwidth "
	             "colon: write ':' instead");
	/* also with a thematic break further down, which YAML would take
	 * for the end of a second document: the front matter is read to
	 * that line, and its own mistakes told */
	{
		static const char *const rule[] = {
			"4:1: front matter is not closed: the line that closes "
			"it is '---' alone",
			"3:8: start: invalid date '2018-13-01'",
			NULL,
		};
		static const char *const dots[] = {
			"4:1: front matter is not closed: the line that closes "
			"it is '...' alone",
			NULL,
		};

		assert_errors("---\ntitle: Workshop\nstart: 2018-13-01\n"
		              "--- # end\nIntro.\n\n---\nMore.\n",
		              rule);
		assert_errors("---\ntitle: Workshop\nstart: 2018-05-01\n"
		              "... # end\nIntro.\n\n---\nMore.\n",
		              dots);
	}
	assert_error("--- # event\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             1, 1,
	             "the first line must be '---' alone, with nothing "
	             "after it on its line");
	/* one that closes it, with the comment in the description */
	{
		g_autoptr(EvfEvent) ev = parse_ok("---\n"
		                                  "title: Workshop\n"
		                                  "start: 2018-05-22\n"
		                                  "---\n"
		                                  "--- # a rule\n");

		g_assert_nonnull(ev);
	}
}

/* Mistakes that libyaml tells only as a key not found: a block's first
 * line indented more than the rest, a byte order mark that starts a
 * line. */
static void
test_error_key_not_found(void)
{
	/* a block whose first line is indented more than the next: that
	 * line set its indentation */
	assert_error("---\ntitle: |\n    Regional workshop\n\n  on border "
	             "security\nstart: 2018-05-22\n---\n",
	             5, 3,
	             "the block that the '|' of line 2 opens takes the "
	             "indentation of its first line, line 3 (4 spaces), and "
	             "this one has 2: indent its lines alike, or give the "
	             "indentation after the '|' (such as '|2')");
	assert_error("---\ntitle: T\nstart: 2018-05-22\nlocation: >- # "
	             "where\n      Hall A\n    Building 2\n---\n",
	             6, 5,
	             "the block that the '>-' of line 4 opens takes the "
	             "indentation of its first line, line 5 (6 spaces), and "
	             "this one has 4: indent its lines alike, or give the "
	             "indentation after the '>-' (such as '>-4')");
	/* one that starts a later line (two files joined): named, at its
	 * line's start */
	assert_error("---\ntitle: Workshop\n\xef\xbb\xbfstart: 2018-05-22\n"
	             "---\n",
	             3, 1,
	             "the line starts with an invisible byte order mark "
	             "(U+FEFF), which YAML reads as text: delete it");
}

static void
test_error_no_front_matter(void)
{
	assert_error("title: Workshop\n"
	             "start: 2018-05-22\n",
	             1, 1, "the first line must be '---'");
	/* lines that end in CR alone, but for a LF a tool added at the end:
	 * told so, not that something follows the '---' */
	assert_error("---\rtitle: Workshop\rstart: 2018-05-22\r---\rBody.\n", 1,
	             1,
	             "the first line must be '---' (its lines end in a CR "
	             "alone, as old Mac editors save them, and some in a LF");
	/* a first line that looks like '---' and is not: the character
	 * named, at its column (a byte order mark is not counted) */
	assert_error("---\xc2\xa0\ntitle: Workshop\nstart: 2018-05-22\n---\n",
	             1, 4,
	             "the first line must be '---': it holds a no-break or "
	             "other space (U+00A0), which looks like an ordinary one");
	assert_error("\xef\xbb\xbf\xef\xbb\xbf---\ntitle: Workshop\n"
	             "start: 2018-05-22\n---\n",
	             1, 1,
	             "the first line must be '---': it holds an invisible "
	             "character (U+FEFF): delete it");
	assert_error("\xe2\x80\x8b---\ntitle: Workshop\nstart: 2018-05-22\n"
	             "---\n",
	             1, 1, "it holds an invisible character (U+200B)");
	/* a first line that is no '---' at all: the front matter is
	 * missing, whatever spaces the line holds */
	{
		static const char *const missing[] = {
			"1:1: expected front matter: the first line must be "
			"'---'",
			NULL,
		};

		assert_errors("title: Atelier\xc2\xa0: s\xc3\xa9"
		              "curit\xc3\xa9\nstart: 2018-05-22\n",
		              missing);
	}
}

static void
test_error_empty_file(void)
{
	assert_error("", 1, 1, "empty file");
}

static void
test_error_front_matter_not_mapping(void)
{
	assert_error("---\n"
	             "- title\n"
	             "- start\n"
	             "---\n",
	             2, 1, "front matter must be a mapping");
}

static void
test_error_unknown_status(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "status: postponed\n"
	             "---\n",
	             4, 9, "status: unknown status 'postponed'");
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n"
	             "status: \u2018cancelled\u2019\n---\n",
	             4, 9,
	             "(expected confirmed, tentative or cancelled); it is in "
	             "typographic quotes");
}

/* What cmark-gfm is quadratic in is refused before it, with the line. */
static void
test_error_markdown_caps(void)
{
	static const char head[] = "---\n"
	                           "title: T\n"
	                           "start: 2018-09-25\n"
	                           "---\n"
	                           "Intro.\n"
	                           "\n";
	g_autoptr(GString) deep = g_string_new(head);
	g_autoptr(GString) wide = g_string_new(head);
	g_autoptr(GString) brackets = g_string_new(head);

	for (guint i = 0; i < 33; i++)
		g_string_append(deep, "- ");
	g_string_append(deep, "x\n");
	assert_error(deep->str, 7, 1,
	             "description: more than 32 nested lists or block quotes");

	g_string_append(wide, "a\n");
	for (guint i = 0; i < 200; i++)
		g_string_append(wide, "|-");
	assert_error(wide->str, 8, 1,
	             "description: more than 128 table "
	             "columns");

	for (guint i = 0; i < 1001; i++)
		g_string_append(brackets, "![[]()");
	assert_error(brackets->str, 7, 1, "description: more than 1000 '['");

	/* Lines counted as the front matter's are, by their LF: a CR alone
	 * (old Mac) or a NEL (U+0085) in the description ends a line for
	 * Markdown, and not in the file, in an LF file or a CRLF one. */
	{
		static const char *const bodies[] = {
			"---\ntitle: T\nstart: 2018-09-25\n---\nx\ry\rz\n\n",
			"---\r\ntitle: T\r\nstart: 2018-09-25\r\n---\r\n"
			"x\ry\r\n\r\n",
			"---\ntitle: T\nstart: 2018-09-25\n---\nx\xc2\x85y\n\n",
		};

		for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
			g_autoptr(GString) text = g_string_new(bodies[i]);

			for (guint k = 0; k < 33; k++)
				g_string_append(text, "> ");
			g_string_append(text, "x\n");
			assert_error(text->str, 7, 1,
			             "description: more than 32 nested lists "
			             "or block quotes");
		}
	}
}

/* The description is checked whatever the front matter's mistakes, so
 * that every one in the file is told at once: YAML that does not parse,
 * or a front matter too large to read. */
static void
test_error_description_after_front_matter(void)
{
	static const char *const heads[] = {
		"---\ntitle: A: b\nstart: 2018-09-25\n---\nIntro.\n\n",
		NULL, /* over 64 KiB, made below */
	};

	for (guint i = 0; i < G_N_ELEMENTS(heads); i++) {
		g_autoptr(GString) text = g_string_new(heads[i]);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = NULL;
		const EvfDiag *a, *b;

		if (heads[i] == NULL) {
			g_string_append(text, "---\ntitle: T\n# ");
			for (guint k = 0; k < 70000; k++)
				g_string_append_c(text, 'a');
			g_string_append(text, "\nstart: 2018-09-25\n---\n\n\n");
		}
		for (guint k = 0; k < 33; k++)
			g_string_append(text, "> ");
		g_string_append(text, "x\n");
		ev = parse_full(STEM, text->str, text->len, diags);
		log_diags(diags);
		g_assert_null(ev);
		g_assert_cmpuint(evf_diags_errors(diags), ==, 2);
		a = g_ptr_array_index(diags, 0);
		b = g_ptr_array_index(diags, 1);
		g_assert_cmpuint(a->line, ==, 2);
		g_assert_nonnull(strstr(
		    a->message, heads[i] != NULL ? "must be put in quotes"
		                                 : "larger than 64 KiB"));
		g_assert_cmpuint(b->line, ==, heads[i] != NULL ? 7 : 8);
		g_assert_nonnull(strstr(b->message, "nested lists"));
	}
}

static void
test_error_bad_rrule(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "recurrence: FREQ=SOMETIMES;COUNT=3\n"
	             "---\n",
	             4, 13,
	             "recurrence: invalid RRULE 'FREQ=SOMETIMES;COUNT=3'");
}

/* (transfer full): an event file of a workshop from @start, repeating by
 * @rule (its recurrence at line 4, column 13). */
static char *
series_text(const char *start, const char *rule)
{
	return g_strdup_printf("---\n"
	                       "title: Workshop\n"
	                       "start: %s\n"
	                       "recurrence: %s\n"
	                       "---\n",
	                       start, rule);
}

/* A series in words, as feeds and pages show it under its first date: the
 * last day of an UNTIL is that of its last occurrence, in the event's own
 * zone, not UTC's (23:00Z on 31 May is 1 June in Tokyo), as calendars run
 * the rule: not the UNTIL's, which a daily series at 09:00 to midnight
 * does not reach. */
static void
test_repeats_in_words(void)
{
	static const char *const cases[][3] = {
		{ "2018-05-22", "FREQ=WEEKLY;COUNT=4",
		  "Repeats weekly, 4 times" },
		{ "2018-05-22", "FREQ=MONTHLY;INTERVAL=2;UNTIL=20190630",
		  "Repeats every 2 months, until 22 May 2019" },
		{ "2018-05-22T08:00", "FREQ=DAILY;UNTIL=20180531T230000Z",
		  "Repeats daily, until 1 June 2018" },
		{ "2018-05-21", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6",
		  "Repeats every 2 weeks on Monday and Wednesday, 6 times" },
		{ "2018-05-21", "FREQ=WEEKLY;BYDAY=MO,WE,FR",
		  "Repeats weekly on Monday, Wednesday and Friday" },
		{ "2018-05-21", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10",
		  "Repeats weekly on weekdays, 10 times" },
		{ "2018-05-01", "FREQ=MONTHLY;BYDAY=1TU",
		  "Repeats monthly on the first Tuesday" },
		{ "2018-05-25", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20181231",
		  "Repeats monthly on the last Friday, until 28 December 2018" },
		{ "2018-03-01T09:00", "FREQ=DAILY;UNTIL=20180309T235959Z",
		  "Repeats daily, until 9 March 2018" },
		{ "2018-03-01T09:00", "FREQ=DAILY;UNTIL=20180310T235959Z",
		  "Repeats daily, until 10 March 2018" },
		/* names and values in any case (RFC 5545 §3.1), 't' and 'z'
		 * too */
		{ "2018-03-01T09:00",
		  "freq=daily;interval=2;until=20180309t235959z",
		  "Repeats every 2 days, until 9 March 2018" },
		{ "2018-03-05", "FREQ=WEEKLY;UNTIL=20180329",
		  "Repeats weekly, until 26 March 2018" },
		{ "2018-05-15", "FREQ=MONTHLY;BYMONTHDAY=15,31",
		  "Repeats monthly on the 15th and 31st" },
		{ "2018-05-31", "FREQ=MONTHLY;BYMONTHDAY=-1",
		  "Repeats monthly on the last day" },
		/* Every part of the rule is said, or none: "monthly on
		 * weekdays" for the last weekday told readers of other
		 * dates than the calendar's. */
		{ "2018-05-31",
		  "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12",
		  "Repeats monthly on the last weekday, 12 times" },
		{ "2018-05-07", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,3",
		  "Repeats monthly on the first and third Monday" },
		/* a value given twice is one date, said once */
		{ "2018-05-30", "FREQ=MONTHLY;BYDAY=WE,WE;BYSETPOS=-1,-1",
		  "Repeats monthly on the last Wednesday" },
		{ "2018-05-07", "FREQ=MONTHLY;BYDAY=1MO,+1MO,1MO",
		  "Repeats monthly on the first Monday" },
		{ "2018-03-25", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		  "Repeats yearly on the last Sunday in March" },
		{ "2018-02-28", "FREQ=MONTHLY;BYMONTH=2,7;BYMONTHDAY=-1",
		  "Repeats monthly on the last day in February and July" },
		{ "2018-04-13", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
		  "Repeats monthly on Friday the 13th" },
		/* from the 29th on, the months without that day are
		 * skipped (RFC 5545): said, as "monthly" alone was read as
		 * every month */
		{ "2026-10-31", "FREQ=MONTHLY;COUNT=6",
		  "Repeats monthly on the 31st, in the months that have one, "
		  "6 times" },
		{ "2026-01-29", "FREQ=MONTHLY;INTERVAL=2",
		  "Repeats every 2 months on the 29th, in the months that "
		  "have one" },
		{ "2026-01-28", "FREQ=MONTHLY", "Repeats monthly" },
		{ "2020-02-29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
		  "Repeats yearly on the 29th in February" },
		{ "2018-06-01", "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=1",
		  "Repeats yearly on the 1st in June and December" },
		{ "2018-05-22T09:00", "FREQ=DAILY;BYHOUR=9,14;COUNT=4",
		  "Repeats daily at 09:00 and 14:00, 4 times" },
		{ "2018-05-22T09:30", "FREQ=DAILY;BYHOUR=9,14;BYMINUTE=30",
		  "Repeats daily at 09:30 and 14:30" },
		{ "2018-01-01", "FREQ=WEEKLY;BYMONTH=1;BYDAY=MO;COUNT=8",
		  "Repeats weekly on Monday in January, 8 times" },
		{ "2018-05-07", "FREQ=MONTHLY;BYDAY=MO",
		  "Repeats on every Monday" },
		{ "2018-05-01", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU,TH",
		  "Repeats every 2 months on every Tuesday and Thursday" },
		{ "2018-04-10", "FREQ=YEARLY;BYYEARDAY=100;COUNT=3",
		  "Repeats 3 times" },
		{ "2018-05-04", "FREQ=MONTHLY;BYDAY=MO,FR;BYSETPOS=1",
		  "Repeats" },
		{ "2018-02-13", "FREQ=YEARLY;BYDAY=7TU", "Repeats" },
	};
	static const char *const in_utc[][2] = {
		{ "FREQ=DAILY;BYHOUR=4,10;COUNT=4", "Repeats 4 times" },
		{ "FREQ=WEEKLY;COUNT=3", "Repeats weekly, 3 times" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = NULL;
		g_autofree char *words = NULL;
		g_autoptr(EvfEvent) ev = NULL;

		/* (an all-day event names no zone: it would be warned of) */
		text = g_strdup_printf("---\n"
		                       "title: Workshop\n"
		                       "start: %s\n"
		                       "%s"
		                       "recurrence: %s\n"
		                       "---\n",
		                       cases[i][0],
		                       strchr(cases[i][0], 'T') != NULL
		                           ? "timezone: Asia/Tokyo\n"
		                           : "",
		                       cases[i][1]);
		ev = parse_series_ok(text);
		g_assert_nonnull(ev);
		if (ev == NULL)
			continue;
		words = evf_event_format_repeats(ev);
		g_assert_cmpstr(words, ==, cases[i][2]);
	}
	/* A start written with its offset runs the rule in UTC: BYHOUR=4,10
	 * is 09:30 and 15:30 at +05:30, not "04:30 and 10:30"; only what
	 * is the same in both is said. */
	for (gsize i = 0; i < G_N_ELEMENTS(in_utc); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: 2027-01-04T09:30+05:30\n"
		    "recurrence: %s\n---\n",
		    in_utc[i][0]);
		g_autoptr(EvfEvent) ev = parse_series_ok(text);
		g_autofree char *words = NULL;

		g_assert_nonnull(ev);
		if (ev == NULL)
			continue;
		words = evf_event_format_repeats(ev);
		g_assert_cmpstr(words, ==, in_utc[i][1]);
	}
	/* a monthly series from the 29th on, in UTC: its day is said only
	 * where it is the day shown (00:30 on 31 January at +02:00 is the
	 * 30th in UTC, and the series' dates at +02:00 the 31st or the
	 * 1st; 23:30 on 30 January at -05:00 is the 31st in UTC, and every
	 * date the 30th) */
	/* (and the editor is warned of those whose dates are not those of
	 * the rule from the day written: 30 April is one of the 30th's, and
	 * is 1 May in UTC's series; the 15th at -05:00 is the 16th in UTC,
	 * every month alike) */
	{
		static const char *const monthly[][3] = {
			{ "2027-01-31T00:30+02:00", "Repeats 6 times", "w" },
			{ "2027-01-30T23:30-05:00", "Repeats 6 times", "w" },
			{ "2027-01-31T10:30+02:00",
			  "Repeats monthly on the 31st, in the months that "
			  "have one, 6 times",
			  "" },
			{ "2027-01-15T23:30-05:00", "Repeats monthly, 6 times",
			  "" },
			/* the 28th in UTC: the 29th at +02:00, but 1 March;
			 * the 1st in UTC: the 28th at -05:00, or the 31st */
			{ "2027-03-01T00:30+02:00", "Repeats 6 times", "w" },
			{ "2027-02-28T23:30-05:00", "Repeats 6 times", "w" },
			/* the 29th in UTC, which February lacks */
			{ "2027-01-28T20:00-05:00", "Repeats 6 times", "w" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(monthly); i++) {
			g_autofree char *text = g_strdup_printf(
			    "---\ntitle: Call\nstart: %s\n"
			    "recurrence: FREQ=MONTHLY;COUNT=6\n---\n",
			    monthly[i][0]);
			g_autoptr(EvfEvent) ev =
			    parse_offset_series(text, monthly[i][2][0] == 'w');
			g_autofree char *words = evf_event_format_repeats(ev);

			g_assert_cmpstr(words, ==, monthly[i][1]);
		}
	}
	/* and a yearly one from 1 March at +02:00, 28 February in UTC:
	 * 29 February in a leap year */
	{
		g_autoptr(EvfEvent) ev = parse_offset_series(
		    "---\ntitle: Call\nstart: 2027-03-01T00:30+02:00\n"
		    "recurrence: FREQ=YEARLY;COUNT=4\n---\n",
		    TRUE);
		g_autofree char *words = evf_event_format_repeats(ev);

		g_assert_cmpstr(words, ==, "Repeats 4 times");
	}
	/* and its last day is the one it falls on at the offset, as its
	 * start's is: 06:00 in UTC is 20:30 the evening before at -09:30 */
	{
		g_autoptr(EvfEvent) ev = parse_series_ok(
		    "---\ntitle: Workshop\nstart: 2027-01-06T20:30-09:30\n"
		    "end: 2027-01-06T21:30-09:30\n"
		    "recurrence: FREQ=WEEKLY;UNTIL=20270218T060000Z\n---\n");
		g_autofree char *words = evf_event_format_repeats(ev);

		g_assert_cmpstr(words, ==,
		                "Repeats weekly, until 17 February 2027");
	}
}

/* A series' last date is found once for its rule and start, and given
 * to no other: one UNTIL ends two series on two days, where their starts
 * are at 09:00 in two zones or on two days; asked again, in any order,
 * each keeps its own. */
static void
test_repeats_last_kept(void)
{
	static const struct {
		const char *start, *zone, *rule, *words;
	} cases[] = {
		{ "2027-05-26", "Europe/Ljubljana", "FREQ=DAILY",
		  "Repeats daily, until 30 May 2027" },
		{ "2027-05-26", "America/New_York", "FREQ=DAILY",
		  "Repeats daily, until 29 May 2027" },
		{ "2027-05-27", "Europe/Ljubljana", "FREQ=WEEKLY",
		  "Repeats weekly, until 10 June 2027" },
		{ "2027-05-26", "Europe/Ljubljana", "FREQ=WEEKLY",
		  "Repeats weekly, until 9 June 2027" },
	};

	for (guint round = 0; round < 2; round++)
		for (gsize k = 0; k < G_N_ELEMENTS(cases); k++) {
			/* (backwards the second time) */
			gsize i = round == 0 ? k : G_N_ELEMENTS(cases) - 1 - k;
			g_autofree char *text = g_strdup_printf(
			    "---\ntitle: Call\nstart: %sT09:00\n"
			    "end: %sT10:00\ntimezone: %s\n"
			    "recurrence: %s;UNTIL=%s\n---\n",
			    cases[i].start, cases[i].start, cases[i].zone,
			    cases[i].rule,
			    strcmp(cases[i].rule, "FREQ=DAILY") == 0
			        ? "20270530T070000Z"
			        : "20270610T070000Z");
			g_autoptr(EvfEvent) ev = parse_series_ok(text);
			g_autofree char *words = evf_event_format_repeats(ev);
			g_autofree char *again = evf_event_format_repeats(ev);

			g_assert_cmpstr(words, ==, cases[i].words);
			g_assert_cmpstr(again, ==, cases[i].words);
		}
}

/* A series of more than one occurrence a day is warned of:
 * python-recurring-ical-events shows only the last of each day of a
 * series with a SEQUENCE (8 shifts were 4); one a day is not. */
static void
test_rrule_several_a_day(void)
{
	static const struct {
		const char *rule;
		guint most; /* 0: no warning */
	} cases[] = {
		{ "FREQ=DAILY;BYHOUR=9,17;COUNT=8", 2 },
		{ "FREQ=HOURLY;INTERVAL=6;COUNT=10", 4 },
		{ "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0,30", 2 },
		{ "FREQ=DAILY;COUNT=8", 0 },
		{ "FREQ=DAILY;BYHOUR=9;COUNT=8", 0 },
		{ "FREQ=HOURLY;INTERVAL=24;COUNT=8", 0 },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Shifts\nstart: 2027-04-05T09:00\n"
		    "timezone: Europe/Ljubljana\nrecurrence: %s\n---\n",
		    cases[i].rule);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);
		g_autofree char *want =
		    g_strdup_printf("recurrence: up to %u occurrences a day: "
		                    "python-recurring-ical-events",
		                    cases[i].most);

		g_test_message("%s", cases[i].rule);
		g_assert_nonnull(ev);
		g_assert_cmpuint(diags->len, ==, cases[i].most > 0 ? 1 : 0);
		if (cases[i].most == 0)
			continue;
		g_assert_true(((EvfDiag *)diags->pdata[0])->warning);
		g_assert_cmpuint(((EvfDiag *)diags->pdata[0])->line, ==, 5);
		g_assert_true(g_str_has_prefix(
		    ((EvfDiag *)diags->pdata[0])->message, want));
	}
}

/* A series whose later occurrence falls where the clocks change is
 * refused, as a start there is: ical.js and vobject put an occurrence in
 * the hour that does not exist at other instants, and take other ones of
 * the hour that happens twice. A series at another hour, or on days the
 * clocks never change, is kept. */
static void
test_error_rrule_meets_change(void)
{
	g_autofree char *fold =
	    series_text("2025-10-24T02:30", "FREQ=DAILY;COUNT=4");
	g_autofree char *gap =
	    series_text("2025-03-27T02:30", "FREQ=DAILY;COUNT=5");
	g_autofree char *hourly =
	    series_text("2025-03-30T00:00", "FREQ=HOURLY;COUNT=6");
	static const char *const kept[][2] = {
		{ "2025-10-24T03:30", "FREQ=DAILY;COUNT=4" },
		{ "2025-03-24T02:30", "FREQ=WEEKLY" },
		{ "2025-10-24T02:30", "FREQ=DAILY;COUNT=2" },
		/* hours the clocks never change at */
		{ "2025-01-01T09:00", "FREQ=DAILY;BYHOUR=9,14" },
		{ "2025-01-01T00:00", "FREQ=DAILY;BYHOUR=0,6,12,18" },
		{ "2025-01-01T09:00", "FREQ=WEEKLY;BYHOUR=9;BYMINUTE=0,30" },
		/* ended before the change, or on weekdays it never falls
		 * on: at its hour, from the start on its day, and hourly */
		{ "2025-03-20T10:00", "FREQ=DAILY;BYHOUR=2,10;COUNT=18" },
		{ "2025-03-30T10:00", "FREQ=DAILY;BYHOUR=2,10;COUNT=3" },
		{ "2025-01-06T02:00", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=2,10" },
		{ "2025-01-06T00:00", "FREQ=HOURLY;BYDAY=MO,TU" },
		/* every hour of the days the clocks never change on, the
		 * most a day a rule may give (every minute is refused:
		 * /eventfile/rrule/secondly-refused): the times near a
		 * change found without going through them all, every day
		 * to 2066 */
		{ "2027-01-04T00:00",
		  "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR,SA;BYHOUR=0,1,2,3,4,5,6,7,"
		  "8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0" },
	};

	assert_error(fold, 4, 13,
	             "the occurrence of 2025-10-26T02:30 happens twice in "
	             "Europe/Ljubljana (the clocks go back)");
	assert_error(gap, 4, 13,
	             "the occurrence of 2025-03-30T02:30 does not exist in "
	             "Europe/Ljubljana (the clocks go forward)");
	assert_error(hourly, 4, 13, "does not exist");
	/* A whole day the clocks skipped: Samoa's 30 December 2011 */
	assert_error("---\ntitle: Workshop\nstart: 2011-12-28T10:00\n"
	             "recurrence: FREQ=DAILY;COUNT=4\n"
	             "timezone: Pacific/Apia\n---\n",
	             4, 13,
	             "the occurrence of 2011-12-30T10:00 does not exist in "
	             "Pacific/Apia (the clocks go forward)");
	/* Years after the first two, where the zone changes its clocks at
	 * another hour than when the series began: Chisinau's spring change
	 * at 03:00 from 2022, St. John's at 02:00 from 2012. */
	assert_error("---\ntitle: Workshop\nstart: 2019-03-31T03:30\n"
	             "recurrence: FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=6\n"
	             "timezone: Europe/Chisinau\n---\n",
	             4, 13,
	             "the occurrence of 2022-03-27T03:30 does not exist in "
	             "Europe/Chisinau (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2008-03-09T02:30\n"
	             "recurrence: FREQ=MONTHLY;BYDAY=2SU\n"
	             "timezone: America/St_Johns\n---\n",
	             4, 13,
	             "the occurrence of 2012-03-11T02:30 does not exist in "
	             "America/St_Johns (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2019-01-01T03:30\n"
	             "recurrence: FREQ=DAILY\n"
	             "timezone: Europe/Chisinau\n---\n",
	             4, 13,
	             "the occurrence of 2022-03-27T03:30 does not exist in "
	             "Europe/Chisinau (the clocks go forward)");
	/* At several times of day, and hourly, however far from the start:
	 * Chisinau's 03:00 of 2022, 2,360 occurrences on; an hourly series
	 * from April meets October's change about 5,100 hours on. */
	assert_error("---\ntitle: Workshop\nstart: 2019-01-01T15:00\n"
	             "recurrence: FREQ=DAILY;BYHOUR=3,15\n"
	             "timezone: Europe/Chisinau\n---\n",
	             4, 13,
	             "the occurrence of 2022-03-27T03:00 does not exist in "
	             "Europe/Chisinau (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2027-04-01T00:00\n"
	             "recurrence: FREQ=HOURLY;COUNT=6000\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             4, 13,
	             "the occurrence of 2027-10-31T01:00 ends at a time that "
	             "happens twice in Europe/Ljubljana (the clocks go back)");
	/* after 2038, where tzdata's rules repeat: each year's own changes */
	assert_error("---\ntitle: Workshop\nstart: 2031-03-31T02:30\n"
	             "end: 2031-03-31T03:30\nrecurrence: FREQ=YEARLY\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             5, 13,
	             "the occurrence of 2041-03-31T02:30 does not exist in "
	             "Europe/Ljubljana (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2027-03-03T00:30\n"
	             "recurrence: FREQ=MONTHLY;INTERVAL=7\n"
	             "timezone: America/Havana\n---\n",
	             4, 13,
	             "the occurrence of 2052-11-03T00:30 happens twice in "
	             "America/Havana (the clocks go back)");
	/* Sundays at 02:00 and 10:00 from a 10:00; hourly on Sundays; an
	 * occurrence at 23:30 of three hours, whose end falls in the next
	 * day's change; the times of a day after the start's */
	assert_error("---\ntitle: Workshop\nstart: 2025-01-05T10:00\n"
	             "recurrence: FREQ=WEEKLY;BYDAY=SU;BYHOUR=2,10\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             4, 13,
	             "the occurrence of 2025-03-30T02:00 does not exist in "
	             "Europe/Ljubljana (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2025-01-05T06:00\n"
	             "end: 2025-01-05T06:30\n"
	             "recurrence: FREQ=HOURLY;BYDAY=SU\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             5, 13,
	             "the occurrence of 2025-03-30T02:00 does not exist in "
	             "Europe/Ljubljana (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2025-03-20T23:30\n"
	             "end: 2025-03-21T02:30\n"
	             "recurrence: FREQ=DAILY;BYHOUR=12,23;BYMINUTE=30\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             5, 13,
	             "the occurrence of 2025-03-29T23:30 ends at a time that "
	             "does not exist in Europe/Ljubljana");
	assert_error("---\ntitle: Workshop\nstart: 2025-03-30T10:00\n"
	             "recurrence: FREQ=DAILY;BYHOUR=2,10;COUNT=500\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             4, 13,
	             "the occurrence of 2025-10-26T02:00 happens twice in "
	             "Europe/Ljubljana (the clocks go back)");
	/* Hourly by an interval that does not divide a day: the times of
	 * day come round over days, and the occurrence that meets a change
	 * is found however far it is (here the 2,151st, the 2,200th). */
	assert_error("---\ntitle: Workshop\nstart: 2027-01-03T03:00\n"
	             "end: 2027-01-03T03:10\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=5;COUNT=2600\n"
	             "timezone: Europe/Dublin\n---\n",
	             5, 13,
	             "the occurrence of 2028-03-26T01:00 does not exist in "
	             "Europe/Dublin (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2027-01-03T03:00\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=5;"
	             "UNTIL=20290101T000000Z\n"
	             "timezone: Europe/Dublin\n---\n",
	             4, 13,
	             "the occurrence of 2028-03-26T01:00 does not exist in "
	             "Europe/Dublin (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2027-01-03T05:00\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=11\n"
	             "timezone: Australia/Lord_Howe\n---\n",
	             4, 13,
	             "the occurrence of 2029-10-07T02:00 does not exist in "
	             "Australia/Lord_Howe (the clocks go forward)");
	assert_error("---\ntitle: Workshop\nstart: 2027-01-01T21:00\n"
	             "end: 2027-01-01T22:30\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=7\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             5, 13,
	             "the occurrence of 2027-03-28T01:00 ends at a time that "
	             "does not exist in Europe/Ljubljana");
	/* Ended one occurrence before that, it steps over the changes of
	 * 2027 (the clocks at 01:00 in March, 02:00 in October), which
	 * calendar clients step over otherwise: the wall clock's hours, or
	 * elapsed ones. The same every other day at 10:00, and every six
	 * hours, hours at which the clocks never change; and after a
	 * change that the clocks go back. */
	assert_error("---\ntitle: Workshop\nstart: 2027-01-03T03:00\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=5;COUNT=2150\n"
	             "timezone: Europe/Dublin\n---\n",
	             4, 13,
	             "the occurrence of 2027-03-28T02:00 comes after a change "
	             "of the clocks of Europe/Dublin, and calendar clients "
	             "disagree on its time, 60 minutes apart");
	assert_error("---\ntitle: Workshop\nstart: 2025-01-01T10:00\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=48\n"
	             "timezone: Europe/Dublin\n---\n",
	             4, 13,
	             "the occurrence of 2025-03-30T10:00 comes after a change "
	             "of the clocks of Europe/Dublin");
	assert_error("---\ntitle: Workshop\nstart: 2025-01-01T00:00\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=6\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             4, 13,
	             "the occurrence of 2025-03-30T06:00 comes after a change "
	             "of the clocks of Europe/Ljubljana");
	assert_error("---\ntitle: Relay watch\nstart: 2025-10-25T20:00\n"
	             "end: 2025-10-25T20:30\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=5;COUNT=6\n"
	             "timezone: Europe/Ljubljana\n---\n",
	             5, 13,
	             "the occurrence of 2025-10-26T06:00 comes after a change "
	             "of the clocks of Europe/Ljubljana, and calendar clients "
	             "disagree on its time, 60 minutes apart (Thunderbird "
	             "steps FREQ=HOURLY on the wall clock, Evolution and "
	             "others by elapsed hours)");
	{
		/* ended before the first change; a zone whose clocks do not
		 * change; Lord Howe's half hour */
		g_autoptr(EvfEvent) before = parse_series_ok(
		    "---\ntitle: Workshop\nstart: 2027-01-03T03:00\n"
		    "recurrence: FREQ=HOURLY;INTERVAL=5;COUNT=400\n"
		    "timezone: Europe/Dublin\n---\n");
		g_autoptr(EvfEvent) fixed = parse_series_ok(
		    "---\ntitle: Workshop\nstart: 2025-01-01T10:00\n"
		    "recurrence: FREQ=HOURLY;INTERVAL=48\n"
		    "timezone: Asia/Tokyo\n---\n");

		g_assert_nonnull(before);
		g_assert_nonnull(fixed);
		assert_error(
		    "---\ntitle: Workshop\nstart: 2027-01-04T10:00\n"
		    "recurrence: FREQ=HOURLY;INTERVAL=24\n"
		    "timezone: Australia/Lord_Howe\n---\n",
		    4, 13,
		    "the occurrence of 2027-04-04T10:00 comes after a "
		    "change of the clocks of Australia/Lord_Howe, and "
		    "calendar clients disagree on its time, 30 minutes "
		    "apart");
		/* hourly steps over Lord Howe's half hour, each way:
		 * three clients, three times */
		assert_error(
		    "---\ntitle: Night watch\nstart: 2027-10-03T00:45\n"
		    "end: 2027-10-03T00:55\n"
		    "recurrence: FREQ=HOURLY;COUNT=4\n"
		    "timezone: Australia/Lord_Howe\n---\n",
		    5, 13,
		    "the occurrence of 2027-10-03T02:45 comes after a "
		    "change of the clocks of Australia/Lord_Howe");
		assert_error(
		    "---\ntitle: Night watch\nstart: 2027-04-04T00:15\n"
		    "end: 2027-04-04T00:25\n"
		    "recurrence: FREQ=HOURLY;COUNT=4\n"
		    "timezone: Australia/Lord_Howe\n---\n",
		    5, 13,
		    "the occurrence of 2027-04-04T02:15 comes after a "
		    "change of the clocks of Australia/Lord_Howe");
	}
	for (gsize i = 0; i < G_N_ELEMENTS(kept); i++) {
		g_autofree char *text = series_text(kept[i][0], kept[i][1]);
		g_autoptr(EvfEvent) ev = parse_series_ok(text);

		g_assert_nonnull(ev);
	}
	/* the same series before the zone's change of hour, and at an hour
	 * it never changes at */
	{
		g_autoptr(EvfEvent) before = parse_series_ok(
		    "---\ntitle: Workshop\nstart: 2019-03-31T03:30\n"
		    "recurrence: FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=3\n"
		    "timezone: Europe/Chisinau\n---\n");
		g_autoptr(EvfEvent) other = parse_series_ok(
		    "---\ntitle: Workshop\nstart: 2019-01-01T10:30\n"
		    "recurrence: FREQ=DAILY\n"
		    "timezone: Europe/Chisinau\n---\n");

		g_assert_nonnull(before);
		g_assert_nonnull(other);
	}
}

/* An occurrence whose end, the start and the first one's length on the
 * wall clock, does not exist or happens twice: ical.js adds the length
 * on the wall clock, others as exact time, and they end it at other
 * instants. */
static void
test_error_rrule_end_meets_change(void)
{
	static const char *const kept[][3] = {
		{ "2025-10-24T00:30", "2025-10-24T01:30", "FREQ=DAILY" },
		{ "2025-03-24T01:30", "2025-03-24T02:30", "FREQ=WEEKLY" },
		{ "2025-10-23T01:30", "2025-10-23T02:30",
		  "FREQ=DAILY;COUNT=3" },
	};

	assert_error("---\ntitle: Workshop\nstart: 2025-10-24T01:30\n"
	             "end: 2025-10-24T02:30\n"
	             "recurrence: FREQ=DAILY;COUNT=4\n---\n",
	             5, 13,
	             "the occurrence of 2025-10-26T01:30 ends at a time that "
	             "happens twice in Europe/Ljubljana (the clocks go back), "
	             "and calendar clients disagree on when it ends");
	assert_error("---\ntitle: Workshop\nstart: 2025-03-27T01:30\n"
	             "end: 2025-03-27T02:15\n"
	             "recurrence: FREQ=DAILY;COUNT=5\n---\n",
	             5, 13,
	             "the occurrence of 2025-03-30T01:30 ends at a time that "
	             "does not exist in Europe/Ljubljana (the clocks go "
	             "forward)");
	/* a length of days: the end's day is another */
	assert_error("---\ntitle: Workshop\nstart: 2025-03-21T02:30\n"
	             "end: 2025-03-23T02:30\n"
	             "recurrence: FREQ=WEEKLY;COUNT=3\n"
	             "timezone: Europe/Paris\n---\n",
	             5, 13,
	             "the occurrence of 2025-03-28T02:30 ends at a time that "
	             "does not exist in Europe/Paris");
	for (gsize i = 0; i < G_N_ELEMENTS(kept); i++) {
		g_autofree char *text =
		    g_strdup_printf("---\ntitle: Workshop\nstart: %s\nend: %s\n"
		                    "recurrence: %s\n---\n",
		                    kept[i][0], kept[i][1], kept[i][2]);
		g_autoptr(EvfEvent) ev = parse_ok(text);

		g_assert_nonnull(ev);
	}
}

/* An occurrence after the first that spans a change of the clocks in the
 * part of its length that the calendar gives as exact time (all of it
 * after a DTEND, the rest after the whole days of a DURATION): ical.js
 * ends it on the editor's wall clock, RFC 5545 readers (libical,
 * Evolution) the exact length later, an hour or the change apart. */
static void
test_error_rrule_spans_change(void)
{
	static const char *const kept[][4] = {
		/* the change falls outside every occurrence */
		{ "2025-03-01T09:00", "2025-03-01T11:00", "FREQ=WEEKLY",
		  "Europe/Ljubljana" },
		{ "2025-03-22T22:00", "2025-03-23T01:00", "FREQ=WEEKLY",
		  "Europe/Ljubljana" },
		/* a series of three weeks before the change */
		{ "2025-03-08T22:00", "2025-03-09T01:00", "FREQ=WEEKLY;COUNT=3",
		  "America/Santiago" },
		/* the first spans it, in its DURATION's whole days, and so do
		 * the others' */
		{ "2025-03-28T09:00", "2025-03-30T17:00",
		  "FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR;COUNT=5",
		  "Europe/Ljubljana" },
		/* the first spans it, the others of the three do not */
		{ "2025-03-29T22:00", "2025-03-30T04:00", "FREQ=WEEKLY;COUNT=3",
		  "Europe/Ljubljana" },
	};

	/* Chile's clocks go back at 24:00 on a Saturday */
	assert_error("---\ntitle: Saturday night\nstart: 2025-03-29T22:00\n"
	             "end: 2025-03-30T01:00\ntimezone: America/Santiago\n"
	             "recurrence: FREQ=WEEKLY;COUNT=3\n---\n",
	             6, 13,
	             "the occurrence of 2025-04-05T22:00 spans a change of "
	             "the clocks of America/Santiago (they go back), and "
	             "calendar clients disagree on when it ends, 60 minutes "
	             "apart");
	assert_error("---\ntitle: Night shift\nstart: 2025-03-23T01:00\n"
	             "end: 2025-03-23T04:00\n"
	             "recurrence: FREQ=WEEKLY;COUNT=2\n---\n",
	             5, 13,
	             "the occurrence of 2025-03-30T01:00 spans a change of "
	             "the clocks of Europe/Ljubljana (they go forward)");
	/* Lord Howe's half hour */
	assert_error("---\ntitle: Night shift\nstart: 2025-03-30T01:00\n"
	             "end: 2025-03-30T03:00\ntimezone: Australia/Lord_Howe\n"
	             "recurrence: FREQ=DAILY\n---\n",
	             6, 13,
	             "the occurrence of 2025-04-06T01:00 spans a change of "
	             "the clocks of Australia/Lord_Howe (they go back), and "
	             "calendar clients disagree on when it ends, 30 minutes "
	             "apart");
	/* the first spans one, overridden; the next spring's is another */
	assert_error("---\ntitle: Night shift\nstart: 2025-03-29T22:00\n"
	             "end: 2025-03-30T04:00\n"
	             "recurrence: FREQ=WEEKLY;COUNT=60\n---\n",
	             5, 13,
	             "the occurrence of 2025-10-25T22:00 spans a change of "
	             "the clocks of Europe/Ljubljana (they go back)");
	for (gsize i = 0; i < G_N_ELEMENTS(kept); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: %s\nend: %s\n"
		    "recurrence: %s\ntimezone: %s\n---\n",
		    kept[i][0], kept[i][1], kept[i][2], kept[i][3]);
		/* (Santiago's clocks change on rules Outlook does not
		 * read: said, test_tz_outlook_series) */
		g_autoptr(EvfEvent) ev =
		    strcmp(kept[i][3], "America/Santiago") == 0
		        ? parse_warned(text, 5, 13, "Outlook does not read")
		        : parse_ok(text);

		g_assert_nonnull(ev);
	}
}

/* Where a zone's clocks change, to the wall time: Ljubljana's from 02:00
 * to 03:00 (both ways), Lord Howe's half hour, Chatham's at 02:45, and no
 * change at all in Tokyo. */
static void
test_tz_changes_at(void)
{
	static const struct {
		const char *zone;
		int hour, minute;
		gboolean changes;
	} cases[] = {
		{ "Europe/Ljubljana", 2, 0, TRUE },
		{ "Europe/Ljubljana", 2, 59, TRUE },
		{ "Europe/Ljubljana", 3, 0, FALSE },
		{ "Europe/Ljubljana", 1, 59, FALSE },
		{ "Australia/Lord_Howe", 1, 45, TRUE },
		{ "Australia/Lord_Howe", 2, 15, TRUE },
		{ "Australia/Lord_Howe", 2, 30, FALSE },
		{ "Pacific/Chatham", 2, 50, TRUE },
		{ "Pacific/Chatham", 4, 0, FALSE },
		{ "Asia/Tokyo", 2, 30, FALSE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GTimeZone) tz =
		    g_time_zone_new_identifier(cases[i].zone);

		g_assert_nonnull(tz);
		g_test_message("%s %02d:%02d", cases[i].zone, cases[i].hour,
		               cases[i].minute);
		g_assert_cmpint(evf_tz_changes_at(tz, 2025,
		                                  cases[i].hour * 3600 +
		                                      cases[i].minute * 60),
		                ==, cases[i].changes);
	}
}

/* A year's changes are kept once found, for each zone and year apart,
 * and each caller gets its own copy: Ljubljana's two of 2025, again after
 * the first copy was emptied; none in Tokyo that year; Moscow's last in
 * 2011, none in 2012; the windows of a scan made afresh. */
static void
test_tz_changes_in_kept(void)
{
	static const struct {
		const char *zone;
		int year;
		guint changes;
	} cases[] = {
		{ "Europe/Ljubljana", 2025, 2 }, { "Asia/Tokyo", 2025, 0 },
		{ "Europe/Moscow", 2011, 1 },    { "Europe/Moscow", 2012, 0 },
		{ "Europe/Ljubljana", 2025, 2 },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GTimeZone) tz =
		    g_time_zone_new_identifier(cases[i].zone);
		g_autoptr(GArray) first = evf_tz_changes_in(tz, cases[i].year);
		g_autoptr(GArray) again = NULL;

		g_test_message("%s %d", cases[i].zone, cases[i].year);
		g_assert_cmpuint(first->len, ==, cases[i].changes);
		g_array_set_size(first, 0);
		again = evf_tz_changes_in(tz, cases[i].year);
		g_assert_cmpuint(again->len, ==, cases[i].changes);
		for (guint k = 0; k < again->len; k++) {
			const EvfTzWindow *w =
			    &g_array_index(again, EvfTzWindow, k);

			/* an hour each, forward then back (Moscow's of
			 * 2011 forward) */
			g_assert_cmpint(w->len, ==, 3600);
			g_assert_true(evf_tz_changes_at(
			    tz, cases[i].year,
			    (int)(((w->wall % 86400) + 86400) % 86400)));
		}
	}
}

/* Copies the zone @name of the time zone data in use to @to. */
static void
copy_zone(const char *name, const char *to)
{
	const char *dir = g_getenv("TZDIR");
	g_autofree char *from = g_build_filename(
	    dir != NULL && dir[0] != '\0' ? dir : "/usr/share/zoneinfo", name,
	    NULL);
	g_autofree char *bytes = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(from, &bytes, &len, NULL));
	g_assert_true(g_file_set_contents(to, bytes, (gssize)len, NULL));
}

/* What was kept of one version of the time zone data is not given for
 * another (a daemon that runs across a tzdata update): one zone's name,
 * first without changes of the clocks (Tokyo's rules), then with them
 * (Ljubljana's). */
static void
test_tz_changes_in_new_data(void)
{
	g_autofree char *saved = g_strdup(g_getenv("TZDIR"));
	g_autofree char *dir = g_dir_make_tmp("evfeed-tzdir-XXXXXX", NULL);
	g_autofree char *sub = g_build_filename(dir, "Test", NULL);
	g_autofree char *zone = g_build_filename(sub, "Zone", NULL);
	static const struct {
		const char *rules, *version;
		guint changes;
	} steps[] = {
		{ "Asia/Tokyo", "# version test-1", 0 },
		{ "Europe/Ljubljana", "# version test-2", 2 },
	};

	g_assert_nonnull(dir);
	g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(GTimeZone) tz = NULL;
		g_autoptr(GArray) w = NULL;

		/* (read from the system's data, then from the copy) */
		if (saved != NULL)
			g_setenv("TZDIR", saved, TRUE);
		else
			g_unsetenv("TZDIR");
		copy_zone(steps[i].rules, zone);
		g_setenv("TZDIR", dir, TRUE);
		evf_tz_data_seen(steps[i].version);
		tz = g_time_zone_new_identifier("Test/Zone");
		g_assert_nonnull(tz);
		w = evf_tz_changes_in(tz, 2027);
		g_assert_cmpuint(w->len, ==, steps[i].changes);
	}
	if (saved != NULL)
		g_setenv("TZDIR", saved, TRUE);
	else
		g_unsetenv("TZDIR");
	g_assert_cmpint(g_remove(zone), ==, 0);
	g_assert_cmpint(g_rmdir(sub), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

/* The mistakes editors make most are named, not just called invalid. */
static void
test_error_rrule_mistakes(void)
{
	static const char *const cases[][2] = {
		{ "RRULE:FREQ=WEEKLY;COUNT=3", "leave out 'RRULE:'" },
		{ "rrule:FREQ=WEEKLY;COUNT=3", "leave out 'RRULE:'" },
		{ "\"FREQ=WEEKLY; COUNT=3\"", "a rule has no spaces" },
		{ "FREQ=WEEKLY;COUNT=3;UNTIL=20180612",
		  "COUNT and UNTIL cannot both be given" },
		{ "FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be at least 1" },
		/* libical's short: published as 1, as 2, refused */
		{ "FREQ=DAILY;INTERVAL=65537;COUNT=3",
		  "INTERVAL is too large: at most 32767" },
		{ "FREQ=WEEKLY;INTERVAL=65538", "INTERVAL is too large" },
		{ "FREQ=DAILY;INTERVAL=32768", "INTERVAL is too large" },
		{ "FREQ=DAILY;INTERVAL=99999999999999999999",
		  "INTERVAL is too large" },
		{ "FREQ=WEEKLY;COUNT=99999999999", "COUNT is too large" },
		{ "FREQ=WEEKLY;COUNT=2147483648", "COUNT is too large" },
		/* libical stops at an empty part: published, the rule
		 * would have no end */
		{ "FREQ=WEEKLY;;UNTIL=20180630", "';;' leaves a part empty" },
		{ "FREQ=DAILY;COUNT=3;;FOO", "';;' leaves a part empty" },
		{ ";FREQ=DAILY;COUNT=3", "a rule does not begin with ';'" },
		{ "BYDAY=MO,TU", "FREQ is missing: every rule has one" },
		{ "byday=MO;COUNT=3", "FREQ is missing" },
		{ "FREQ=WEEKLY;COUNT=3;COUNT=4", "COUNT is given twice" },
		{ "FREQ=WEEKLY;byday=MO;BYDAY=TU", "BYDAY is given twice" },
		/* libical reads a number's digits as far as they go: COUNT=2
		 * would have been published for a mistyped 20 */
		{ "FREQ=WEEKLY;COUNT=2O",
		  "COUNT=2O: COUNT is a whole number, such as COUNT=10" },
		{ "FREQ=WEEKLY;COUNT=2.5",
		  "COUNT=2.5: COUNT is a whole number" },
		{ "FREQ=WEEKLY;INTERVAL=1O",
		  "INTERVAL=1O: INTERVAL is a whole number" },
		{ "FREQ=DAILY;BYHOUR=9x;COUNT=3",
		  "BYHOUR=9x: BYHOUR is a list of whole numbers" },
		{ "FREQ=MONTHLY;BYMONTHDAY=1,,15",
		  "BYMONTHDAY is a list of whole numbers" },
		/* a part libical does not know: it says only "invalid" */
		{ "FREQ=WEEKLY;X-FOO=1;COUNT=3",
		  "unknown part 'X-FOO' (a rule has "
		  "FREQ, UNTIL or COUNT" },
		{ "FREQ=WEEKLY;FOO;COUNT=3",
		  "each part is a NAME=VALUE, such as COUNT=4" },
		{ "FREQ=WEEKLY;=4", "'=4': each part is a NAME=VALUE" },
		/* each part's example is one evfeed takes */
		{ "FREQ=YEARLY;BYMONTH=5x",
		  "BYMONTH is a list of whole numbers, such as BYMONTH=3,10" },
		{ "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1st", "such as BYSETPOS=-1" },
		/* what libical says only "invalid" of: the part named, and
		 * what it takes */
		{ "FREQ=FORTNIGHTLY;COUNT=3",
		  "FREQ=FORTNIGHTLY: FREQ is DAILY, WEEKLY, MONTHLY, YEARLY "
		  "or HOURLY (every two weeks is FREQ=WEEKLY;INTERVAL=2)" },
		{ "FREQ=WEEKLY;BYDAY=MO,XX",
		  "BYDAY=MO,XX: a day is MO, TU, WE, TH, FR, SA or SU" },
		{ "FREQ=YEARLY;BYDAY=54MO", "BYDAY=54MO: the number before a "
		                            "day is from 1 to 53" },
		{ "FREQ=MONTHLY;BYDAY=0FR", "the number before a day" },
		{ "FREQ=WEEKLY;WKST=MONDAY", "WKST=MONDAY: WKST is one day" },
		{ "FREQ=WEEKLY;COUNT=0", "COUNT is at least 1" },
		{ "FREQ=DAILY;BYHOUR=9,25;COUNT=3",
		  "BYHOUR=9,25: BYHOUR is from 0 to 23" },
		{ "FREQ=HOURLY;BYMINUTE=-5;COUNT=3",
		  "BYMINUTE=-5: BYMINUTE is from 0 to 59, with no sign" },
		{ "FREQ=MONTHLY;BYMONTHDAY=32;COUNT=3",
		  "BYMONTHDAY=32: BYMONTHDAY is from 1 to 31, or from -31 to -1 "
		  "counting back from the end" },
		{ "FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY is from 1 to 31" },
		{ "FREQ=YEARLY;BYMONTH=13",
		  "BYMONTH=13: BYMONTH is from 1 to 12" },
		{ "FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO is from 1 to 53" },
		{ "FREQ=YEARLY;BYYEARDAY=-367", "BYYEARDAY is from 1 to 366" },
		{ "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=400", "BYSETPOS is from 1" },
		{ "FREQ=MONTHLY;BYDAY=9MO;COUNT=3",
		  "BYDAY=9MO: a month has at most five of each day: from 1MO to "
		  "5MO, or from -1MO to -5MO counting back from its end" },
		{ "FREQ=YEARLY;BYMONTH=3;BYDAY=-6SU",
		  "a month has at most five of each day" },
		/* RFC 7529's leap month: RSCALE is what is refused */
		{ "FREQ=YEARLY;RSCALE=CHINESE;BYMONTH=5L",
		  "RSCALE=CHINESE is not supported" },
		/* the Gregorian one is not said to be another calendar */
		{ "FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=FORWARD",
		  "RSCALE=GREGORIAN is not supported: the Gregorian calendar "
		  "is RFC 5545's own, without it" },
		/* an UNTIL before the start: said so */
		{ "FREQ=WEEKLY;UNTIL=20180101",
		  "never occurs: its UNTIL, 2018-01-01, is before the start, "
		  "2018-05-22" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = series_text("2018-05-22", cases[i][0]);

		assert_error(text, 4, 13, cases[i][1]);
	}
	/* one ';' at the end is harmless */
	{
		g_autofree char *text =
		    series_text("2018-05-22", "FREQ=WEEKLY;COUNT=3;");
		g_autoptr(EvfEvent) ev = parse_ok(text);

		if (ev != NULL)
			g_assert_nonnull(strstr(ev->rrule, "COUNT=3"));
	}
	/* the ends of each range, in either case */
	{
		static const char *const fine[] = {
			"FREQ=YEARLY;BYDAY=20TU;COUNT=3",
			"freq=monthly;byday=-5tu,1we;count=3",
			"FREQ=YEARLY;BYMONTH=12;BYDAY=-1SU;COUNT=2",
			"FREQ=MONTHLY;BYMONTHDAY=-31,1,31;COUNT=3",
			"FREQ=DAILY;BYHOUR=0,23;BYMINUTE=0,59;COUNT=4",
			"FREQ=WEEKLY;WKST=su;BYDAY=TU,SU;COUNT=4",
		};

		for (gsize i = 0; i < G_N_ELEMENTS(fine); i++) {
			g_autofree char *text =
			    series_text("2018-05-22", fine[i]);
			g_autoptr(GPtrArray) diags = evf_diags_new();
			g_autoptr(EvfEvent) ev = parse(text, diags);

			/* (a rule whose first date is not the start is
			 * refused for that, after the parts pass) */
			for (guint k = 0; k < diags->len; k++) {
				const EvfDiag *d = g_ptr_array_index(diags, k);

				g_test_message("%s: %s", fine[i], d->message);
				g_assert_null(strstr(d->message, " is from "));
				g_assert_null(strstr(d->message, "a day is"));
				g_assert_null(
				    strstr(d->message, "at most five"));
			}
		}
	}
}

/* An UNTIL that is no date or time is refused, as a start would be:
 * libical reads its digits as they come and would publish them so, and
 * node-ical then fails on the whole calendar. */
static void
test_error_rrule_until_invalid(void)
{
	static const char *const cases[][3] = {
		{ "2018-02-01", "FREQ=DAILY;UNTIL=20180231",
		  "invalid UNTIL: February 2018 has 28 days" },
		{ "2018-02-01", "FREQ=DAILY;UNTIL=20181301",
		  "invalid UNTIL: no month 13" },
		{ "2018-02-01", "FREQ=DAILY;UNTIL=20190229",
		  "invalid UNTIL: February 2019 has 28 days" },
		{ "2018-02-01T10:00", "FREQ=DAILY;UNTIL=20180210T250000Z",
		  "invalid UNTIL: hours go to 23" },
		{ "2018-02-01T10:00", "FREQ=DAILY;UNTIL=20180210T236000Z",
		  "invalid UNTIL: hours go to 23" },
		{ "2018-02-01T10:00", "FREQ=DAILY;UNTIL=20180210T235960Z",
		  "invalid UNTIL: hours go to 23" },
		{ "2018-02-01T10:00", "FREQ=DAILY;UNTIL=20180431T100000Z",
		  "invalid UNTIL: April 2018 has 30 days" },
		/* the years a start may have (vobject fails on the whole
		 * calendar for 9999, a year 10000 east of UTC) */
		{ "2027-01-04T10:00", "FREQ=WEEKLY;UNTIL=99991231T235959Z",
		  "UNTIL: the year must be from 1900 to 2200, as a start's "
		  "(to 2200-12-31T08:00Z in UTC); for a series without an "
		  "end, leave UNTIL out" },
		{ "2027-01-04T10:00", "FREQ=WEEKLY;UNTIL=22001231T080100Z",
		  "UNTIL: the year must be from 1900 to 2200" },
		{ "2027-01-04", "FREQ=WEEKLY;UNTIL=22010101",
		  "UNTIL: the year must be from 1900 to 2200, as a start's; "
		  "for a series without an end, leave UNTIL out" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = series_text(cases[i][0], cases[i][1]);

		g_test_message("%s", cases[i][1]);
		assert_error(text, 4, 13, cases[i][2]);
	}
	/* also when the start is wrong, and the rule is read on its own */
	assert_errors(
	    "---\n"
	    "title: Workshop\n"
	    "start: 2018-02-30\n"
	    "recurrence: FREQ=DAILY;UNTIL=20180231\n"
	    "---\n",
	    (const char *const[]){ "3:8: start: invalid date '2018-02-30'",
	                           "4:13: recurrence: RRULE "
	                           "'FREQ=DAILY;UNTIL=20180231': invalid UNTIL",
	                           NULL });
}

/* A series of whole days does not repeat by hours: Thunderbird (ical.js)
 * throws on it, and RFC 5545 forbids BYHOUR, BYMINUTE and BYSECOND with
 * a date. A timed event may. */
static void
test_error_rrule_all_day_by_hours(void)
{
	static const char *const rules[] = {
		"FREQ=HOURLY;COUNT=3",
		"FREQ=HOURLY;INTERVAL=24;COUNT=3",
		"FREQ=DAILY;BYHOUR=9,10;COUNT=4",
		"FREQ=DAILY;BYMINUTE=5;COUNT=4",
		"FREQ=WEEKLY;BYSECOND=1;COUNT=4",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(rules); i++) {
		g_autofree char *text = series_text("2018-05-22", rules[i]);

		g_test_message("%s", rules[i]);
		assert_error(text, 4, 13,
		             "recurrence: an all-day event repeats by days "
		             "at most");
	}
	{
		g_autofree char *text =
		    series_text("2018-05-22T09:00", "FREQ=HOURLY;COUNT=3");
		g_autoptr(EvfEvent) ev = parse_series_ok(text);

		g_assert_nonnull(ev);
	}
}

static void
test_error_rrule_never_occurs(void)
{
	/* libical 3.0 calls this rule malformed; either way it is refused,
	 * at the rule. */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "recurrence: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\n"
	             "---\n",
	             4, 13, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "recurrence: FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31\n"
	             "---\n",
	             4, 13, "never occurs");
	/* A day of the month that cannot be the weekday BYDAY counts in it:
	 * refused before libical searches for it to the end of its range,
	 * seconds for each rule (a first weekday from the 8th on; the last
	 * Sunday in the first week; the fifth Monday on the first). */
	{
		static const char *const never[] = {
			"FREQ=YEARLY;BYDAY=1MO,1TU,1WE,1TH,1FR,1SA,1SU;"
			"BYMONTHDAY=8,9,10,11,12,13,14,15,16,17,18,19,20,21,"
			"22,23,24,25,26,27,28,29,30,31;"
			"BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12",
			"FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=15",
			"FREQ=MONTHLY;BYDAY=-1SU;BYMONTHDAY=1,2,3,4,5,6,7",
			"FREQ=YEARLY;BYMONTH=1;BYDAY=5MO;BYMONTHDAY=1",
			"FREQ=YEARLY;UNTIL=22001231T000000Z;BYMONTHDAY=29;"
			"BYMONTH=2;BYDAY=1MO",
		};

		for (gsize i = 0; i < G_N_ELEMENTS(never); i++) {
			g_autofree char *text = g_strdup_printf(
			    "---\ntitle: Workshop\nstart: 2018-05-22\n"
			    "recurrence: %s\n---\n",
			    never[i]);

			assert_error(text, 4, 13,
			             "weekday that BYDAY counts in its month");
		}
	}
	/* the first Monday written as days 1 to 7, and the last Sunday of
	 * a 30-day month as its 24th: kept */
	{
		g_autoptr(EvfEvent) first =
		    parse_ok("---\ntitle: Workshop\nstart: 2018-05-07\n"
		             "recurrence: FREQ=MONTHLY;COUNT=3;BYDAY=1MO;"
		             "BYMONTHDAY=1,2,3,4,5,6,7\n---\n");
		g_autoptr(EvfEvent) last = parse_ok(
		    "---\ntitle: Workshop\nstart: 2018-06-24\n"
		    "recurrence: FREQ=YEARLY;COUNT=3;BYMONTH=6;BYDAY=-1SU;"
		    "BYMONTHDAY=24,25,26,27,28,29,30\n---\n");

		g_assert_nonnull(first->rrule);
		g_assert_nonnull(last->rrule);
	}
}

/* A rule that gives the start and no other date is a series of one,
 * which Outlook refuses (`RRULE:FREQ=YEARLY;COUNT=1`): refused, with what
 * to write instead. Two dates are a series. */
/* The VTIMEZONE evfeed publishes takes libical's yearly rules, which miss
 * some years' changes: a single event in such a year is written in UTC,
 * at the instant tzdata (Python's zoneinfo) gives; a series reaching one,
 * which clients would read an hour off there, is refused. */
static void
test_tz_unfaithful_years(void)
{
	static const struct {
		const char *zone;
		int year;
		gboolean regular;
	} years[] = {
		{ "America/Sao_Paulo", 2013, TRUE },
		{ "America/Sao_Paulo", 2014, FALSE },
		{ "America/Sao_Paulo", 2015, TRUE },
		{ "Pacific/Easter", 2021, FALSE },
		{ "Pacific/Easter", 2023, TRUE },
		{ "Atlantic/Stanley", 1990, FALSE },
		{ "America/Sao_Paulo", 2018, FALSE },
		{ "America/Sao_Paulo", 2020, TRUE },
		{ "Europe/Moscow", 2014, FALSE },
		{ "Europe/Moscow", 2015, TRUE },
		{ "Pacific/Apia", 2011, FALSE },
		{ "Africa/Casablanca", 2026, FALSE },
		{ "Asia/Kathmandu", 2027, TRUE },
		{ "Europe/Berlin", 2027, TRUE },
	};
	static const struct {
		const char *start, *zone, *utc;
	} cases[] = {
		{ "2014-02-19T09:00", "America/Sao_Paulo",
		  "2014-02-19T12:00:00Z" },
		{ "2020-11-10T10:00", "Pacific/Easter",
		  "2020-11-10T15:00:00Z" },
		{ "2014-07-15T10:00", "America/Asuncion",
		  "2014-07-15T14:00:00Z" },
		{ "2017-01-20T10:00", "Pacific/Fiji", "2017-01-19T22:00:00Z" },
		{ "1994-06-01T10:00", "Asia/Bishkek", "1994-06-01T04:00:00Z" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Talk\nstart: %s\ntimezone: %s\n---\n",
		    cases[i].start, cases[i].zone);
		g_autoptr(EvfEvent) ev = parse_ok(text);
		g_autoptr(GDateTime) utc = g_date_time_to_utc(ev->start);
		g_autofree char *at = g_date_time_format(utc, "%FT%TZ");

		g_test_message("%s in %s", cases[i].start, cases[i].zone);
		g_assert_null(evf_ics_tzid(ev));
		g_assert_cmpstr(at, ==, cases[i].utc);
	}
	/* the years around them keep their zone; and the years whose clocks
	 * change by one observance without a rule, which Outlook, reading
	 * yearly rules, never sees, do not: Brazil's summer time from 4
	 * November 2018, Moscow's new offset of 2014, Samoa's skipped day,
	 * Morocco's Ramadan breaks; a zone that never changes does */
	for (gsize i = 0; i < G_N_ELEMENTS(years); i++) {
		g_test_message("%s %d", years[i].zone, years[i].year);
		g_assert_cmpint(evf_tz_is_regular(years[i].zone, years[i].year),
		                ==, years[i].regular);
	}
	/* (2012: summer time ended on 26 February, by a rule of that year
	 * alone, which libical writes as one observance without a rule) */
	g_assert_cmpint(
	    evf_tz_next_irregular("America/Sao_Paulo", 2010, G_MAXINT), ==,
	    2012);
	g_assert_cmpint(
	    evf_tz_next_irregular("America/Sao_Paulo", 2013, G_MAXINT), ==,
	    2014);
	g_assert_cmpint(
	    evf_tz_next_irregular("Europe/Ljubljana", 1990, G_MAXINT), ==, 0);

	/* 23 of these 60 weeks are in 2014, an hour off in every client */
	assert_error("---\ntitle: Talk\nstart: 2013-06-05T09:00\n"
	             "timezone: America/Sao_Paulo\n"
	             "recurrence: FREQ=WEEKLY;COUNT=60\n---\n",
	             5, 13,
	             "the series runs into 2014, when the clocks of "
	             "America/Sao_Paulo change otherwise than by the yearly "
	             "rules calendars are given for it (on other dates, or by "
	             "another amount), so clients would show occurrences at "
	             "other times");
	/* Kathmandu's change of 1986 was of a quarter of an hour, once: the
	 * diagnostic names no hour */
	assert_error("---\ntitle: Talk\nstart: 1985-06-01T10:00\n"
	             "timezone: Asia/Kathmandu\n"
	             "recurrence: FREQ=YEARLY;COUNT=3\n---\n",
	             5, 13,
	             "the series runs into 1986, when the clocks of "
	             "Asia/Kathmandu change otherwise than by the yearly rules "
	             "calendars are given for it (on other dates, or by "
	             "another amount)");
	assert_error("---\ntitle: Talk\nstart: 2019-06-05T09:00\n"
	             "timezone: Pacific/Easter\n"
	             "recurrence: FREQ=MONTHLY\n---\n",
	             5, 13, "the series runs into 2020");
	assert_error("---\ntitle: Talk\nstart: 2013-06-05T09:00\n"
	             "timezone: America/Sao_Paulo\n"
	             "recurrence: FREQ=WEEKLY;UNTIL=20140301T000000Z\n---\n",
	             5, 13, "the series runs into 2014");
	/* ending before it, or starting after it, is fine (but for
	 * Brazil's rule of the third Sunday of February unless it is
	 * carnival, which Outlook does not read: test_tz_outlook_series) */
	{
		g_autoptr(EvfEvent) a =
		    parse_warned("---\ntitle: Talk\nstart: 2013-06-05T09:00\n"
		                 "timezone: America/Sao_Paulo\n"
		                 "recurrence: FREQ=WEEKLY;COUNT=20\n---\n",
		                 5, 13, "Outlook does not read");
		g_autoptr(EvfEvent) b = parse_warned(
		    "---\ntitle: Talk\nstart: 2015-06-03T09:00\n"
		    "timezone: America/Sao_Paulo\n"
		    "recurrence: FREQ=WEEKLY;UNTIL=20171231T000000Z\n"
		    "---\n",
		    5, 13, "Outlook does not read");
		g_autoptr(EvfEvent) c =
		    parse_ok("---\ntitle: Talk\nstart: 2020-06-03T09:00\n"
		             "timezone: America/Sao_Paulo\n"
		             "recurrence: FREQ=WEEKLY\n---\n");
	}
	/* and so are those of one-off changes */
	assert_error("---\ntitle: Talk\nstart: 2015-06-03T09:00\n"
	             "timezone: America/Sao_Paulo\n"
	             "recurrence: FREQ=WEEKLY\n---\n",
	             5, 13, "the series runs into 2018");
	assert_error("---\ntitle: Talk\nstart: 2025-01-02T10:00\n"
	             "timezone: Africa/Casablanca\n"
	             "recurrence: FREQ=WEEKLY;COUNT=20\n---\n",
	             5, 13,
	             "in 2025 the clocks of Africa/Casablanca change on dates "
	             "no yearly rule gives");
	/* a year whose clocks did not change at all, before the rules of
	 * today (Egypt had no summer time from 2015 to 2022): said so */
	assert_error("---\ntitle: Seminar\nstart: 2019-01-10T10:00\n"
	             "timezone: Africa/Cairo\n"
	             "recurrence: FREQ=MONTHLY;COUNT=6\n---\n",
	             5, 13,
	             "in 2019 the clocks of Africa/Cairo did not change, and "
	             "the yearly rules calendars are given for it, which "
	             "hold from ");
	{
		/* a single event there is published in UTC */
		g_autoptr(EvfEvent) d =
		    parse_ok("---\ntitle: Talk\nstart: 2025-05-01T10:00\n"
		             "timezone: Africa/Casablanca\n---\n");

		if (d != NULL)
			g_assert_null(evf_ics_tzid(d));
	}
}

/* GLib 2.74 reads Dublin's winter as +02:00 after 2037, where tzdata, the
 * VTIMEZONE and every client have GMT: such a wall time is refused, not
 * published at a wrong instant. A series from before keeps going, as
 * clients follow the VTIMEZONE. */
static void
test_tz_misread(void)
{
	g_assert_false(evf_tz_is_misread("Europe/Dublin", 2037));
	g_assert_true(evf_tz_is_misread("Europe/Dublin", 2060));
	g_assert_false(evf_tz_is_misread("Europe/London", 2060));
	assert_error("---\ntitle: Talk\nstart: 2060-03-27T23:00\n"
	             "timezone: Europe/Dublin\n---\n",
	             3, 8,
	             "start: times in Europe/Dublin in 2060 cannot be "
	             "converted here");
	{
		g_autoptr(EvfEvent) a =
		    parse_ok("---\ntitle: Talk\nstart: 2026-03-04T19:00\n"
		             "timezone: Europe/Dublin\n"
		             "recurrence: FREQ=WEEKLY\n---\n");
		g_autoptr(EvfEvent) b =
		    parse_ok("---\ntitle: Talk\nstart: 2060-03-27T23:00Z\n"
		             "timezone: Europe/Dublin\n---\n");
	}
}

/* A COUNT is stepped through from the start to know whether the series
 * is over (the pages, [feeds] past_days): one beyond that far stayed
 * upcoming for ever, years after its last date. */
static void
test_error_rrule_count_cap(void)
{
	g_autofree char *over =
	    series_text("2000-01-01T09:00Z", "FREQ=HOURLY;COUNT=100001");
	g_autofree char *huge =
	    series_text("2000-01-01", "FREQ=DAILY;COUNT=2147483647");
	g_autofree char *most =
	    series_text("2000-01-01T09:00Z", "FREQ=HOURLY;COUNT=100000");
	g_autoptr(EvfEvent) ev = NULL;

	assert_error(over, 4, 13,
	             "RRULE 'FREQ=HOURLY;COUNT=100001': COUNT above 100000; "
	             "give the last date as UNTIL instead");
	assert_error(huge, 4, 13, "COUNT above 100000");
	ev = parse_series_ok(most);
	g_assert_nonnull(ev->rrule);
}

static void
test_error_rrule_one_date(void)
{
	static const char *const cases[][2] = {
		{ "2018-05-22", "FREQ=YEARLY;COUNT=1" },
		{ "2018-05-22", "FREQ=WEEKLY;UNTIL=20180528" },
		{ "2018-05-22T09:00", "FREQ=DAILY;UNTIL=20180523T065959Z" },
		{ "2018-05-22T09:00", "FREQ=MONTHLY;BYMONTHDAY=22;COUNT=1" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = series_text(cases[i][0], cases[i][1]);
		g_autofree char *want = g_strdup_printf(
		    "RRULE '%s' gives one date only, the start: Outlook "
		    "refuses a series of one; leave out recurrence",
		    cases[i][1]);

		assert_error(text, 4, 13, want);
	}
	/* the second date falls on UNTIL, which counts: two dates */
	{
		g_autoptr(EvfEvent) a =
		    parse_ok("---\n"
		             "title: Workshop\n"
		             "start: 2018-05-22T09:00\n"
		             "recurrence: FREQ=DAILY;UNTIL=20180523T070000Z\n"
		             "---\n");
		g_autoptr(EvfEvent) b =
		    parse_ok("---\n"
		             "title: Workshop\n"
		             "start: 2018-05-22\n"
		             "recurrence: FREQ=YEARLY;COUNT=2\n"
		             "---\n");

		g_assert_nonnull(a);
		g_assert_cmpstr(a->rrule, ==,
		                "FREQ=DAILY;UNTIL=20180523T070000Z");
		g_assert_nonnull(b);
		g_assert_cmpstr(b->rrule, ==, "FREQ=YEARLY;COUNT=2");
	}
}

/* Impossible or sparse HOURLY rules took libical 10 to 30 s to find
 * empty: refused before it iterates (src/rrule.c). */
static void
test_error_rrule_hourly_spins(void)
{
	static const char *const rules[] = {
		"FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=HOURLY;BYMONTH=4,6;BYMONTHDAY=31,-31",
		"FREQ=HOURLY;BYYEARDAY=366;BYMONTH=2",
		"FREQ=HOURLY;BYWEEKNO=1;BYMONTH=7",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(rules); i++) {
		g_autofree char *text =
		    series_text("2018-05-22T09:00", rules[i]);
		clock_t t0 = clock();

		assert_error(text, 4, 13, rules[i]);
		g_assert_cmpfloat((double)(clock() - t0) / CLOCKS_PER_SEC, <,
		                  2.0);
	}
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "recurrence: FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30\n"
	             "---\n",
	             4, 13, "never occurs");
	/* possible, if rare: kept (from its first occurrence) */
	g_autoptr(EvfEvent) ev =
	    parse_series_ok("---\n"
	                    "title: Workshop\n"
	                    "start: 2020-02-29T00:00\n"
	                    "recurrence: FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29\n"
	                    "---\n");
	g_assert_nonnull(ev);
}

/* Rules calendar clients read differently are refused, each with what to
 * write instead: a start that is not one of the rule's dates (undefined in
 * RFC 5545; Thunderbird leaves it out, others show it), BYWEEKNO
 * (Thunderbird repeats it weekly), a yearly series from 29 February
 * (Thunderbird moves it to 1 March in other years). */
static void
test_error_rrule_clients_differ(void)
{
	g_autoptr(EvfEvent) a = NULL;
	g_autoptr(EvfEvent) b = NULL;
	g_autoptr(EvfEvent) c = NULL;

	assert_error("---\n"
	             "title: Monthly review\n"
	             "start: 2025-01-13T09:00\n"
	             "recurrence: FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;"
	             "BYSETPOS=-1;COUNT=6\n"
	             "---\n",
	             4, 13,
	             "the start, 2025-01-13T09:00, is not one of the rule's "
	             "dates, the first of which is 2025-01-31T09:00");
	/* the rule runs in the event's own wall time: 00:30 on a Monday in
	 * Ljubljana is Sunday in UTC */
	a = parse_series_ok("---\n"
	                    "title: Night shift\n"
	                    "start: 2025-01-13T00:30\n"
	                    "recurrence: FREQ=WEEKLY;BYDAY=MO;COUNT=4\n"
	                    "---\n");
	g_assert_nonnull(a);
	/* every year at 02:30 on the last Sunday of October, which happens
	 * twice: Thunderbird takes the second, vobject the first (after the
	 * warning at the start) */
	{
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev =
		    parse("---\n"
		          "title: Night shift\n"
		          "start: 2025-10-26T02:30\n"
		          "recurrence: FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n"
		          "---\n",
		          diags);
		const EvfDiag *d;

		g_assert_null(ev);
		g_assert_cmpuint(diags->len, ==, 2);
		g_assert_cmpuint(evf_diags_errors(diags), ==, 1);
		if (diags->len == 2) {
			d = g_ptr_array_index(diags, 1);
			g_assert_false(d->warning);
			g_assert_cmpuint(d->line, ==, 4);
			g_assert_cmpuint(d->col, ==, 13);
			g_assert_nonnull(strstr(d->message,
			                        "the start, 2025-10-26T02:30, "
			                        "happens twice in "
			                        "Europe/Ljubljana"));
		}
	}
	assert_error("---\n"
	             "title: Week twenty\n"
	             "start: 2025-05-12\n"
	             "recurrence: FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO\n"
	             "---\n",
	             4, 13, "BYWEEKNO is not supported");
	/* a yearly rule at several times of day: Thunderbird gives the
	 * first time alone, from the second year; the same days as a daily
	 * rule it reads as the others do */
	assert_error("---\n"
	             "title: Assembly\n"
	             "start: 2027-01-06T14:00\n"
	             "recurrence: FREQ=YEARLY;BYHOUR=9,14;COUNT=4\n"
	             "---\n",
	             4, 13,
	             "FREQ=YEARLY and more than one BYHOUR or BYMINUTE: "
	             "Thunderbird gives other dates and times; write "
	             "FREQ=DAILY with BYMONTH and BYMONTHDAY for its days, "
	             "such as FREQ=DAILY;BYMONTH=1;BYMONTHDAY=6;BYHOUR=9,14 "
	             "for 6 January each year");
	/* by weekday, a fixed date is no advice; and a monthly rule by
	 * weekday is misread alike (a Tuesday for a Thursday) */
	assert_error("---\n"
	             "title: Thanksgiving sessions\n"
	             "start: 2027-11-25T09:00\n"
	             "recurrence: FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;"
	             "BYHOUR=9,14\n"
	             "---\n",
	             4, 13,
	             "FREQ=YEARLY and more than one BYHOUR or BYMINUTE: "
	             "Thunderbird gives other dates and times; give each time "
	             "of day an event of its own");
	assert_error("---\n"
	             "title: Thursdays\n"
	             "start: 2026-11-26T09:00\n"
	             "recurrence: FREQ=MONTHLY;BYDAY=TH;BYHOUR=9,14;COUNT=8\n"
	             "---\n",
	             4, 13,
	             "FREQ=MONTHLY and more than one BYHOUR or BYMINUTE");
	assert_error("---\n"
	             "title: Fourth Thursday\n"
	             "start: 2026-11-26T09:00\n"
	             "recurrence: FREQ=MONTHLY;BYDAY=4TH;BYMINUTE=0,30\n"
	             "---\n",
	             4, 13, "FREQ=MONTHLY and more than one BYHOUR");
	{
		/* weekly, every client agrees */
		g_autoptr(EvfEvent) weekly = parse_series_ok(
		    "---\n"
		    "title: Thursdays\n"
		    "start: 2026-11-26T09:00\n"
		    "recurrence: FREQ=WEEKLY;BYDAY=TH;BYHOUR=9,14;"
		    "COUNT=4\n"
		    "---\n");

		g_assert_nonnull(weekly);
	}
	assert_error("---\n"
	             "title: Half past\n"
	             "start: 2027-01-06T14:00\n"
	             "recurrence: FREQ=YEARLY;BYMINUTE=0,30;COUNT=4\n"
	             "---\n",
	             4, 13, "FREQ=YEARLY and more than one BYHOUR");
	{
		g_autoptr(EvfEvent) daily = parse_series_ok(
		    "---\n"
		    "title: Assembly\n"
		    "start: 2027-01-06T09:00\n"
		    "recurrence: FREQ=DAILY;BYMONTH=1;BYMONTHDAY=6;"
		    "BYHOUR=9,14;COUNT=4\n"
		    "---\n");
		g_autoptr(EvfEvent) yearly = parse_series_ok(
		    "---\n"
		    "title: Assembly\n"
		    "start: 2027-01-06T14:00\n"
		    "recurrence: FREQ=YEARLY;BYHOUR=14;COUNT=4\n"
		    "---\n");

		g_assert_nonnull(daily);
		g_assert_nonnull(yearly);
	}
	/* an INTERVAL whose steps a BY part filters: Thunderbird ignores
	 * it (every month of BYMONTH), and for hours libical too */
	assert_error("---\n"
	             "title: Odd months\n"
	             "start: 2027-01-06T10:00\n"
	             "recurrence: FREQ=MONTHLY;INTERVAL=2;BYDAY=1WE;"
	             "BYMONTH=1,2,3,5;COUNT=3\n"
	             "---\n",
	             4, 13,
	             "FREQ=MONTHLY with both INTERVAL and BYMONTH: Thunderbird "
	             "ignores the INTERVAL");
	assert_error("---\n"
	             "title: Fifth hour\n"
	             "start: 2026-11-11T10:00\n"
	             "recurrence: FREQ=HOURLY;INTERVAL=5;BYDAY=WE;BYHOUR=10;"
	             "COUNT=4\n"
	             "---\n",
	             4, 13,
	             "FREQ=HOURLY;INTERVAL=5 with a BY part: calendar clients "
	             "and libical take the steps of 5 hours otherwise there; "
	             "give the hours meant with FREQ=DAILY and BYHOUR");
	{
		g_autoptr(EvfEvent) even = parse_series_ok(
		    "---\n"
		    "title: Every other hour\n"
		    "start: 2026-11-11T10:00\n"
		    "recurrence: FREQ=HOURLY;INTERVAL=2;COUNT=6\n"
		    "---\n");
		g_autoptr(EvfEvent) months = parse_series_ok(
		    "---\n"
		    "title: Every other month\n"
		    "start: 2027-01-06T10:00\n"
		    "recurrence: FREQ=MONTHLY;INTERVAL=2;BYDAY=1WE;"
		    "COUNT=3\n"
		    "---\n");

		g_assert_nonnull(even);
		g_assert_nonnull(months);
	}
	/* and more that Thunderbird or node-ical expand otherwise than RFC
	 * 5545 (dateutil) */
	{
		static const char *const cases[][3] = {
			/* hours the INTERVAL never reaches: both add 15:00 */
			{ "2026-11-11T10:00",
			  "FREQ=HOURLY;INTERVAL=2;BYHOUR=10,15",
			  "FREQ=HOURLY;INTERVAL=2 with a BY part" },
			/* off the hour: Thunderbird counts one too few */
			{ "2026-11-11T16:30", "FREQ=HOURLY;BYHOUR=9,16;COUNT=4",
			  "FREQ=HOURLY with BYHOUR" },
			{ "2026-01-01T10:00", "FREQ=HOURLY;BYYEARDAY=1;COUNT=3",
			  "FREQ=HOURLY with BYYEARDAY: Thunderbird refuses it" },
			/* from August: Thunderbird shows it twice */
			{ "2026-08-01",
			  "FREQ=MONTHLY;BYMONTHDAY=1,15;BYMONTH=5,8,11;"
			  "COUNT=4",
			  "FREQ=MONTHLY with BYMONTH and more than one date a "
			  "month, from August, not the first month of BYMONTH" },
			/* every Saturday is four or five dates a month; and
			 * BYMONTH's first month whatever its order */
			{ "2027-11-06T10:00",
			  "FREQ=MONTHLY;BYMONTH=8,11,12;BYDAY=SA;COUNT=10",
			  "FREQ=MONTHLY with BYMONTH and more than one date a "
			  "month, from November" },
			{ "2027-11-06T10:00",
			  "FREQ=MONTHLY;BYMONTH=8,11;BYDAY=SA;BYSETPOS=1,2;"
			  "COUNT=8",
			  "FREQ=MONTHLY with BYMONTH and more than one date a "
			  "month, from November" },
			{ "2027-11-06T10:00",
			  "FREQ=MONTHLY;BYMONTH=11,8;BYDAY=SA;COUNT=8",
			  "FREQ=MONTHLY with BYMONTH and more than one date a "
			  "month, from November" },
			{ "2026-05-01T09:00",
			  "FREQ=MONTHLY;BYMONTH=5,8;"
			  "BYMONTHDAY=1;BYHOUR=9,14",
			  "FREQ=MONTHLY and more than one BYHOUR" },
			/* Thunderbird leaves out months with no 31st */
			{ "2028-08-31T12:00",
			  "FREQ=MONTHLY;BYMONTHDAY=31;"
			  "INTERVAL=2;BYHOUR=12,17;COUNT=18",
			  "FREQ=MONTHLY and more than one BYHOUR" },
			/* every 3 hours on Mondays: node-ical otherwise */
			{ "2028-02-28T01:30",
			  "FREQ=HOURLY;COUNT=25;INTERVAL=3;"
			  "BYDAY=MO",
			  "FREQ=HOURLY;INTERVAL=3 with a BY part" },
			/* Thunderbird a year late */
			{ "2029-01-31T09:00",
			  "FREQ=YEARLY;INTERVAL=2;BYMONTH=1;"
			  "BYMONTHDAY=-1;COUNT=15",
			  "FREQ=YEARLY with INTERVAL and a BYMONTHDAY counted "
			  "from the month's end: Thunderbird starts it a year "
			  "late; write FREQ=MONTHLY;INTERVAL=24" },
			{ "2029-09-29T14:30",
			  "FREQ=MONTHLY;BYMONTHDAY=-2,16;"
			  "INTERVAL=2;BYDAY=5SA,2FR;COUNT=3",
			  "FREQ=MONTHLY with INTERVAL and both BYDAY and "
			  "BYMONTHDAY" },
			{ "2026-01-06",
			  "FREQ=YEARLY;BYYEARDAY=6,100;BYDAY=TU,SU",
			  "BYYEARDAY with BYDAY: node-ical ignores the BYDAY" },
			/* no 31 April: Thunderbird gives 1 May */
			{ "2026-04-24",
			  "FREQ=YEARLY;BYMONTHDAY=24,31;BYMONTH=4,7",
			  "FREQ=YEARLY with a BYMONTHDAY that a month of BYMONTH "
			  "does not have" },
			/* beside another day: Thunderbird leaves -1 out */
			{ "2026-05-01", "FREQ=DAILY;BYMONTHDAY=1,-1;COUNT=4",
			  "a BYMONTHDAY counted from the month's end (-1) is "
			  "read in a monthly or yearly rule only" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autofree char *text =
			    series_text(cases[i][0], cases[i][1]);

			assert_error(text, 4, 13, cases[i][2]);
		}
	}
	{
		/* what they can be written as is taken */
		static const char *const fine[][2] = {
			{ "2026-11-11T10:00",
			  "FREQ=DAILY;BYHOUR=10,16;COUNT=4" },
			{ "2026-05-01",
			  "FREQ=MONTHLY;BYMONTHDAY=1,15;BYMONTH=5,8,11;"
			  "COUNT=4" },
			{ "2026-04-24",
			  "FREQ=YEARLY;BYMONTHDAY=24,30;BYMONTH=4,7" },
			{ "2026-05-01",
			  "FREQ=MONTHLY;BYMONTHDAY=1,-1;COUNT=4" },
			{ "2028-02-29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29" },
			/* one date a month, from another month of BYMONTH */
			{ "2027-11-13T10:00",
			  "FREQ=MONTHLY;BYMONTH=8,11;BYDAY=2SA;COUNT=4" },
			{ "2027-11-06T10:00",
			  "FREQ=MONTHLY;BYMONTH=8,11;BYDAY=SA;BYSETPOS=1;"
			  "COUNT=4" },
			{ "2028-11-13",
			  "FREQ=MONTHLY;BYMONTH=8,11;BYMONTHDAY=13;"
			  "BYDAY=MO;COUNT=2" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(fine); i++) {
			g_autofree char *text =
			    series_text(fine[i][0], fine[i][1]);
			g_autoptr(EvfEvent) ev = parse_series_ok(text);

			g_assert_nonnull(ev);
		}
	}
	/* RFC 5545 §3.3.10: a numbered weekday only in a monthly or yearly
	 * rule (clients take FREQ=WEEKLY;BYDAY=-1FR for every Friday) */
	assert_error("---\n"
	             "title: Last Friday\n"
	             "start: 2027-01-29T10:00\n"
	             "recurrence: FREQ=WEEKLY;BYDAY=-1FR\n"
	             "---\n",
	             4, 13, "a numbered weekday in BYDAY (such as -1FR");
	assert_error("---\n"
	             "title: First Tuesday\n"
	             "start: 2027-01-05\n"
	             "recurrence: FREQ=DAILY;BYDAY=1TU\n"
	             "---\n",
	             4, 13, "is for FREQ=MONTHLY or FREQ=YEARLY");
	/* Thunderbird (ical.js 2) gave no date for weekdays among days
	 * counted from the month's end, threw on some monthly ones, took
	 * every date of BYMONTHDAY beside BYSETPOS, and read 20MO as every
	 * Monday; what the advice says instead is read alike */
	assert_error("---\n"
	             "title: Annual assembly\n"
	             "start: 2026-10-29T10:00\n"
	             "recurrence: FREQ=YEARLY;BYMONTH=10;BYDAY=TH;"
	             "BYMONTHDAY=-7,-6,-5,-4,-3,-2,-1;COUNT=5\n"
	             "---\n",
	             4, 13,
	             "BYDAY with a BYMONTHDAY counted from the month's end: "
	             "Thunderbird gives no date");
	assert_error("---\n"
	             "title: Weekend month-end closing\n"
	             "start: 2026-05-31\n"
	             "recurrence: FREQ=MONTHLY;BYDAY=SA,SU;BYMONTHDAY=-1;"
	             "COUNT=6\n"
	             "---\n",
	             4, 13, "BYDAY with a BYMONTHDAY counted from the month's");
	assert_error("---\n"
	             "title: First weekday briefing\n"
	             "start: 2026-01-01T10:00\n"
	             "recurrence: FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;"
	             "BYMONTHDAY=1,2,3;BYSETPOS=1;COUNT=6\n"
	             "---\n",
	             4, 13,
	             "BYSETPOS with BYMONTHDAY: Thunderbird ignores the "
	             "BYSETPOS");
	assert_error("---\n"
	             "title: Twentieth-Monday meeting\n"
	             "start: 2026-05-18T10:00\n"
	             "recurrence: FREQ=YEARLY;BYDAY=20MO;COUNT=4\n"
	             "---\n",
	             4, 13,
	             "a numbered weekday of BYDAY beyond the ninth (such as "
	             "20MO)");
	assert_error("---\n"
	             "title: Tenth Friday from the end\n"
	             "start: 2026-10-23T10:00\n"
	             "recurrence: FREQ=YEARLY;BYDAY=-10FR;COUNT=4\n"
	             "---\n",
	             4, 13, "a numbered weekday of BYDAY beyond the ninth");
	{
		static const char *const alike[][2] = {
			{ "2026-10-29T10:00",
			  "FREQ=YEARLY;BYMONTH=10;BYDAY=-1TH;COUNT=5" },
			{ "2026-01-01T10:00",
			  "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1;"
			  "COUNT=6" },
			{ "2026-05-18T10:00",
			  "FREQ=YEARLY;BYMONTH=5;BYDAY=3MO;COUNT=4" },
			{ "2026-10-27T10:00",
			  "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=-5;COUNT=3" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(alike); i++) {
			g_autofree char *text =
			    series_text(alike[i][0], alike[i][1]);
			g_autoptr(EvfEvent) ev = parse_series_ok(text);

			g_assert_nonnull(ev);
		}
	}
	/* BYSETPOS: only with a month or a year for period, and another BY
	 * part to pick from (clients disagree, or loop, on the rest) */
	assert_error("---\n"
	             "title: Weekly first\n"
	             "start: 2025-05-16\n"
	             "recurrence: FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=1\n"
	             "---\n",
	             4, 13, "BYSETPOS is supported with FREQ=MONTHLY and");
	assert_error("---\n"
	             "title: Daily second\n"
	             "start: 2025-05-12\n"
	             "recurrence: FREQ=DAILY;BYDAY=MO,TH,FR;BYSETPOS=2\n"
	             "---\n",
	             4, 13, "BYSETPOS is supported with FREQ=MONTHLY and");
	assert_error("---\n"
	             "title: Monthly alone\n"
	             "start: 2025-05-12\n"
	             "recurrence: FREQ=MONTHLY;BYSETPOS=1\n"
	             "---\n",
	             4, 13, "BYSETPOS picks among the dates of another BY");
	/* Thunderbird picks among one month's days only: a year's last
	 * weekday was 31 December and the first days of January; among
	 * days of the month it took another */
	assert_error("---\n"
	             "title: Yearly last\n"
	             "start: 2027-12-31\n"
	             "recurrence: FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR;"
	             "BYSETPOS=-1\n"
	             "---\n",
	             4, 13, "BYSETPOS is supported with FREQ=MONTHLY and");
	assert_error("---\n"
	             "title: Mid or first\n"
	             "start: 2027-01-15\n"
	             "recurrence: FREQ=MONTHLY;BYMONTHDAY=1,15;BYSETPOS=-1\n"
	             "---\n",
	             4, 13, "BYSETPOS is supported with FREQ=MONTHLY and");
	{
		g_autoptr(EvfEvent) last = parse_series_ok(
		    "---\n"
		    "title: Last weekday\n"
		    "start: 2025-05-30\n"
		    "recurrence: FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;"
		    "BYSETPOS=-1;COUNT=3\n"
		    "---\n");

		g_assert_nonnull(last);
	}
	/* a yearly day of the month without a month: every month to RFC
	 * 5545, dateutil and khal, once a year to libical and ical.js */
	assert_error("---\n"
	             "title: Ides\n"
	             "start: 2027-05-15\n"
	             "recurrence: FREQ=YEARLY;BYMONTHDAY=15;COUNT=3\n"
	             "---\n",
	             4, 13,
	             "FREQ=YEARLY with BYMONTHDAY and no BYMONTH: calendar "
	             "clients disagree on whether it is every month (as RFC "
	             "5545 has it) or once a year; add BYMONTH=5");
	{
		g_autoptr(EvfEvent) ides = parse_series_ok(
		    "---\n"
		    "title: Ides\n"
		    "start: 2027-05-15\n"
		    "recurrence: FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=15;"
		    "COUNT=3\n"
		    "---\n");
		g_autoptr(EvfEvent) july = parse_series_ok(
		    "---\n"
		    "title: End of July\n"
		    "start: 2027-07-31\n"
		    "recurrence: FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=-1;"
		    "COUNT=3\n"
		    "---\n");
		g_autoptr(EvfEvent) monthly =
		    parse_series_ok("---\n"
		                    "title: Ends of February and July\n"
		                    "start: 2027-02-28\n"
		                    "recurrence: FREQ=MONTHLY;BYMONTH=2,7;"
		                    "BYMONTHDAY=-1;COUNT=3\n"
		                    "---\n");

		g_assert_nonnull(ides);
		g_assert_nonnull(july);
		g_assert_nonnull(monthly);
	}
	/* WKST with INTERVAL: libical leaves out the start that ical.js and
	 * dateutil keep; the message says so, not that the start is wrong */
	assert_error("---\n"
	             "title: Fortnightly\n"
	             "start: 2018-12-05\n"
	             "recurrence: FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,WE;WKST=TH\n"
	             "---\n",
	             4, 13,
	             "with INTERVAL and WKST=TH, libical (which evfeed and "
	             "Evolution read series with) leaves out the start");
	/* a day counted from the month's end in a daily rule: libical
	 * gives none (and ical.js throws); the message says what to write */
	assert_error("---\n"
	             "title: Month end\n"
	             "start: 2027-01-31\n"
	             "recurrence: FREQ=DAILY;BYMONTHDAY=-1\n"
	             "---\n",
	             4, 13,
	             "RRULE 'FREQ=DAILY;BYMONTHDAY=-1' gives no date: a "
	             "BYMONTHDAY counted from the month's end is read in a "
	             "monthly or yearly rule only; write "
	             "FREQ=MONTHLY;BYMONTHDAY=-1");
	/* before 1970, whose zones' rules are not published: not a change
	 * "no yearly rule gives" (Dublin's clocks did not change in 1969) */
	assert_error("---\n"
	             "title: Sixties\n"
	             "start: 1969-09-03T10:00\n"
	             "timezone: Europe/Dublin\n"
	             "recurrence: FREQ=WEEKLY;COUNT=3\n"
	             "---\n",
	             5, 13,
	             "a timed series in Europe/Dublin cannot start before "
	             "1970");
	/* from the end of two months a year: ical.js puts February's on
	 * the 2nd or 3rd of March */
	assert_error("---\n"
	             "title: Ends of February and July\n"
	             "start: 2027-02-28\n"
	             "recurrence: FREQ=YEARLY;BYMONTH=2,7;BYMONTHDAY=-1\n"
	             "---\n",
	             4, 13, "write FREQ=MONTHLY with the same BYMONTH and");
	assert_error("---\n"
	             "title: Leap day\n"
	             "start: 2024-02-29\n"
	             "recurrence: FREQ=YEARLY;COUNT=3\n"
	             "---\n",
	             4, 13, "a yearly series from 29 February");
	/* 1 March at +14:00 is 29 February in UTC, where the rule runs:
	 * said so, with what gives 1 March each year */
	assert_error("---\n"
	             "title: Leap day\n"
	             "start: 2028-03-01T00:30+14:00\n"
	             "recurrence: FREQ=YEARLY;COUNT=3\n"
	             "---\n",
	             4, 13,
	             "a yearly series from 29 February in UTC: calendar "
	             "clients disagree on the other years (Thunderbird moves "
	             "it to 1 March, the others leave them out); write the "
	             "start without its offset, with 'timezone:'");
	/* and 29 February at +02:00, which is that day in UTC too: the
	 * advice for leap years only */
	assert_error("---\n"
	             "title: Leap day\n"
	             "start: 2028-02-29T10:00+02:00\n"
	             "recurrence: FREQ=YEARLY;COUNT=3\n"
	             "---\n",
	             4, 13,
	             "a yearly series from 29 February: calendar clients "
	             "disagree on the other years (Thunderbird moves it to 1 "
	             "March, the others leave them out); write "
	             "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29");
	b = parse_series_ok(
	    "---\n"
	    "title: Leap day\n"
	    "start: 2024-02-29\n"
	    "recurrence: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3\n"
	    "---\n");
	g_assert_nonnull(b);
	/* an all-day monthly series from the 30th starts on its start (the
	 * check once ran libical on a date with hours of -1, and found 29
	 * March first) */
	c = parse_series_ok("---\n"
	                    "title: Month end\n"
	                    "start: 2025-01-30\n"
	                    "recurrence: FREQ=MONTHLY;COUNT=4\n"
	                    "---\n");
	g_assert_nonnull(c);
}

static void
test_error_rrule_secondly(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "recurrence: FREQ=SECONDLY;COUNT=5\n"
	             "---\n",
	             4, 13, "FREQ=SECONDLY");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "recurrence: FREQ=MINUTELY\n"
	             "---\n",
	             4, 13, "FREQ=MINUTELY");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "recurrence: RSCALE=HEBREW;FREQ=YEARLY;COUNT=3\n"
	             "---\n",
	             4, 13, "RSCALE=HEBREW is not supported");
	/* the same written with BY parts: more than one an hour (in UTC,
	 * where no clock change refuses it on other grounds) */
	{
		g_autoptr(GString) minutes = g_string_new(NULL);
		g_autofree char *every_minute = NULL;
		g_autofree char *every_second = NULL;
		g_autoptr(EvfEvent) hourly = NULL;
		g_autoptr(EvfEvent) twice = NULL;

		for (int m = 0; m < 60; m++)
			g_string_append_printf(minutes, "%s%d", m ? "," : "",
			                       m);
		every_minute = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: 2018-05-22T09:00Z\n"
		    "recurrence: FREQ=HOURLY;BYMINUTE=%s\n---\n",
		    minutes->str);
		assert_error(every_minute, 4, 13,
		             "up to 1440 occurrences a day");
		every_second = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: 2018-05-22T09:00Z\n"
		    "recurrence: FREQ=DAILY;BYSECOND=%s\n---\n",
		    minutes->str);
		assert_error(every_second, 4, 13, "up to 60 occurrences a day");
		assert_error("---\ntitle: Workshop\nstart: 2018-05-22T09:00Z\n"
		             "recurrence: FREQ=HOURLY;BYMINUTE=0,30\n---\n",
		             4, 13, "more than one an hour");
		/* hourly itself, and twice a day within an hour, are
		 * series */
		hourly = parse_series_ok(
		    "---\ntitle: Desk\nstart: 2018-05-22T09:00Z\n"
		    "recurrence: FREQ=HOURLY;COUNT=48\n---\n");
		g_assert_nonnull(hourly);
		twice = parse_series_ok(
		    "---\ntitle: Desk\nstart: 2018-05-22T09:00Z\n"
		    "recurrence: FREQ=HOURLY;INTERVAL=2;BYMINUTE=0,30;COUNT=8"
		    "\n---\n");
		g_assert_nonnull(twice);
	}
}

static void
test_error_rrule_until(void)
{
	g_autoptr(EvfEvent) ok =
	    parse_ok("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "recurrence: FREQ=WEEKLY;UNTIL=20180612\n"
	             "---\n");

	g_assert_nonnull(ok);
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "recurrence: FREQ=WEEKLY;COUNT=3;UNTIL=20180612\n"
	             "---\n",
	             4, 13, "recurrence: ");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22T09:00\n"
	             "recurrence: FREQ=WEEKLY;UNTIL=20180612\n"
	             "---\n",
	             4, 13, "UNTIL must be a UTC date-time");
}

static void
test_error_rrule_with_tba(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: tba\n"
	             "recurrence: FREQ=WEEKLY;COUNT=3\n"
	             "---\n",
	             4, 13, "not allowed when start is tba");
}

static void
test_error_unknown_key(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "locaton: Ljubljana\n"
	             "---\n",
	             4, 1, "unknown key 'locaton'");
}

static void
test_error_duplicate_key(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "title: Conference\n"
	             "---\n",
	             4, 1, "duplicate key 'title' (first given on line 2)");
}

static void
test_error_anchor(void)
{
	assert_error("---\n"
	             "title: &t Workshop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8, "anchors and aliases are not supported");
}

static void
test_error_alias(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "location: *place\n"
	             "---\n",
	             4, 11, "aliases are not supported");
}

/* An alias bomb is refused, not expanded: its first anchor and its first
 * alias are reported, once each, and nothing said of what they hold. */
static void
test_error_alias_bomb(void)
{
	static const char text[] =
	    "---\n"
	    "title: Workshop\n"
	    "start: 2018-05-22\n"
	    "categories: [&a [lol, lol, lol], &b [*a, *a, *a], "
	    "&c [*b, *b, *b]]\n"
	    "---\n";
	static const char *const all[] = {
		"4:14: YAML anchors and aliases are not supported",
		"4:38: YAML aliases are not supported",
		NULL,
	};

	assert_errors_len(text, sizeof text - 1, all);
}

/* A value refused as the front matter is read (a NUL, an alias, an
 * anchor, a tag) is reported, and the rest of the file checked: every
 * mistake at once, and none that only follows from the one refused. */
static void
test_error_refused_all_at_once(void)
{
	static const char text[] = "---\n"
	                           "title: \"Work\\0shop\"\n"
	                           "start: 2018-13-22\n"
	                           "location: *hall\n"
	                           "organizer: &o OSCE\n"
	                           "url: !!binary aGVsbG8=\n"
	                           "categories: &c [a, *c]\n"
	                           "status: unknown\n"
	                           "bogus: 1\n"
	                           "---\n"
	                           "Body.\n";
	static const char *const all[] = {
		/* as the front matter is read */
		"2:8: a NUL character is not allowed",
		"4:11: YAML aliases are not supported",
		"5:12: YAML anchors and aliases are not supported",
		"6:6: YAML tags such as '!!binary' are not supported",
		/* then its fields */
		"9:1: unknown key 'bogus'",
		"3:8: start: invalid date '2018-13-22'",
		"8:9: status: unknown status 'unknown'",
		NULL,
	};

	assert_errors_len(text, sizeof text - 1, all);
}

/* A YAML tag would change what a value means, and is refused: but for
 * the ones that only say what the node is (!!str, !!seq, !!map). */
static void
test_error_tags(void)
{
	assert_error("---\n"
	             "title: !!binary V29ya3Nob3A=\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8, "YAML tags such as '!!binary' are not supported");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: !local 2018-05-22\n"
	             "---\n",
	             3, 8, "YAML tags such as '!local' are not supported");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "categories: !!set {a, b}\n"
	             "---\n",
	             4, 13, "YAML tags such as '!!set' are not supported");
	{
		g_autoptr(EvfEvent) ev = parse_ok("---\n"
		                                  "!!map\n"
		                                  "title: !!str null\n"
		                                  "start: !!str 2018-05-22\n"
		                                  "categories: !!seq [a]\n"
		                                  "---\n");

		g_assert_cmpstr(ev->title, ==, "null");
		g_assert_cmpuint(ev->categories->len, ==, 1);
	}
}

/* A front matter whose categories are @levels nested lists. */
static char *
nested(guint levels)
{
	GString *s = g_string_new("---\n"
	                          "title: Workshop\n"
	                          "start: 2018-05-22\n"
	                          "categories: ");

	for (guint i = 0; i < levels; i++)
		g_string_append_c(s, '[');
	g_string_append(s, "deep");
	for (guint i = 0; i < levels; i++)
		g_string_append_c(s, ']');
	g_string_append(s, "\n---\n");
	return g_string_free(s, FALSE);
}

static void
test_error_nesting_too_deep(void)
{
	/* The mapping and 16 lists: 17 levels. The 16th '[' is the 17th. */
	g_autofree char *text = nested(16);

	assert_error(text, 4, 28, "nested too deeply");
}

static void
test_error_nesting_16_allowed(void)
{
	/* The mapping and 15 lists: 16 levels, within the limit. The file
	 * is still wrong (categories are strings), but not too deep. */
	g_autofree char *text = nested(15);

	assert_error(text, 4, 14, "categories: expected a string, not a list");
}

static void
test_error_nesting_hostile(void)
{
	/* 30000 levels (60 KB, under the front matter cap) cost nothing:
	 * refused at the 17th. */
	g_autofree char *text = nested(30000);
	gint64 t0 = g_get_monotonic_time();

	assert_error(text, 4, 28, "nested too deeply");
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 20 * G_USEC_PER_SEC);
}

/* A front matter whose categories are a block list of @n items. */
static char *
many_items(guint n)
{
	GString *s = g_string_new("---\n"
	                          "title: Workshop\n"
	                          "start: 2018-05-22\n"
	                          "categories:\n");

	for (guint i = 0; i < n; i++)
		g_string_append(s, " - c\n");
	g_string_append(s, "---\n");
	return g_string_free(s, FALSE);
}

static void
test_error_too_many_nodes(void)
{
	g_autofree char *text = many_items(10000);
	g_autofree char *one_more = many_items(9994);

	/* Refused at the node past 10000, where it is: item 9994 (the
	 * mapping, 5 keys and values and the list come first), on line 4 +
	 * 9994, at its value. The ends of the list, the mapping and the
	 * document are no nodes. */
	assert_error(text, 9998, 4, "more than 10000 YAML nodes");
	assert_error(one_more, 9998, 4, "more than 10000 YAML nodes");
}

static void
test_error_many_nodes_allowed(void)
{
	g_autofree char *text = many_items(9993);
	g_autoptr(EvfEvent) ev = parse_ok(text);

	if (ev != NULL)
		g_assert_cmpuint(ev->categories->len, ==, 1);
}

/* A file whose front matter is @fm_size bytes (title, start, then YAML
 * comments) and whose body is @body_size bytes. */
static char *
sized_file(gsize fm_size, gsize body_size)
{
	static const char head[] = "title: Workshop\nstart: 2018-05-22\n";
	GString *s = g_string_new("---\n");
	gsize fm_start = s->len;

	g_string_append(s, head);
	g_assert_cmpuint(fm_size, >=, s->len - fm_start + 2);
	while (s->len - fm_start < fm_size) {
		gsize left = fm_size - (s->len - fm_start);
		gsize n = MIN(left, 80);

		/* A comment line of n bytes: '#', n - 2 'x', '\n'. */
		if (left - n == 1)
			n--;
		g_string_append_c(s, '#');
		for (gsize i = 0; i + 2 < n; i++)
			g_string_append_c(s, 'x');
		g_string_append_c(s, '\n');
	}
	g_assert_cmpuint(s->len - fm_start, ==, fm_size);
	g_string_append(s, "---\n");
	for (gsize i = 0; i < body_size; i++)
		g_string_append_c(s, i % 64 == 63 ? '\n' : 'a');
	return g_string_free(s, FALSE);
}

static void
test_error_front_matter_too_large(void)
{
	g_autofree char *at_cap =
	    sized_file(EVF_EVENTFILE_MAX_FRONT_MATTER, 10);
	g_autofree char *over =
	    sized_file(EVF_EVENTFILE_MAX_FRONT_MATTER + 1, 10);
	g_autoptr(EvfEvent) ev = parse_ok(at_cap);

	g_assert_nonnull(ev);
	assert_error(over, 2, 1, "front matter is larger than 64 KiB");
}

static void
test_error_body_too_large(void)
{
	g_autofree char *at_cap = sized_file(40, EVF_EVENTFILE_MAX_BODY);
	g_autofree char *over = sized_file(40, EVF_EVENTFILE_MAX_BODY + 1);
	g_autoptr(EvfEvent) ev = parse_ok(at_cap);

	g_assert_nonnull(ev);
	/* "---", title, start, one comment line, "---": the body starts on
	 * line 6. */
	assert_error(over, 6, 1, "description is too large");
}

static void
test_error_published_future(void)
{
	g_autoptr(EvfEvent) now = parse_ok("---\n"
	                                   "title: Workshop\n"
	                                   "start: 2018-05-22\n"
	                                   "published: 2018-06-01T00:00:00Z\n"
	                                   "---\n");

	g_assert_nonnull(now);
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "published: 2018-06-01T00:00:01Z\n"
	             "---\n",
	             4, 12,
	             "published: in the future, 2018-06-01T00:00:01Z: a build "
	             "from then on publishes the event");
	/* a date is midnight in the site's zone: the instant is told */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "published: 2018-06-02\n"
	             "---\n",
	             4, 12, "published: in the future, 2018-06-01T22:00:00Z");
	/* Before 1990 in UTC: 1 January 1990 in Ljubljana is 1989 there. */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "published: 1990-01-01\n"
	             "---\n",
	             4, 12, "published: before 1990");
	{
		g_autoptr(EvfEvent) old =
		    parse_ok("---\n"
		             "title: Workshop\n"
		             "start: 2018-05-22\n"
		             "published: 1990-01-01T00:00Z\n"
		             "---\n");

		g_assert_nonnull(old);
		/* A partner's placeholder date gives way to first seen. */
		if (old != NULL) {
			old->created = NOW;
			g_assert_cmpint(evf_event_pubdate(old), ==,
			                EVF_EARLIEST_PUBDATE);
			old->published = 1;
			g_assert_cmpint(evf_event_pubdate(old), ==, NOW);
		}
	}
	/* A date is midnight in the site's zone: 1 June 00:00 in Ljubljana
	 * is 31 May 22:00Z, not in the future. */
	{
		g_autoptr(EvfEvent) date = parse_ok("---\n"
		                                    "title: Workshop\n"
		                                    "start: 2018-05-22\n"
		                                    "published: 2018-06-01\n"
		                                    "---\n");

		if (date != NULL)
			g_assert_cmpint(date->published, ==,
			                utc_us(2018, 5, 31, 22, 0, 0));
	}
}

/* An address with 'mailto:' in front, which the calendars would publish
 * as mailto:mailto:, is refused with the address to write. */
static void
test_error_email_mailto(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer: OSCE\n"
	             "organizer_email: mailto:office@osce.org\n"
	             "---\n",
	             5, 18,
	             "organizer_email: write the address without 'mailto:' "
	             "('office@osce.org')");
	/* a query (mailto:'s ?subject=) would become part of the host */
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n"
	             "organizer_email: mailto:office@osce.org?subject=Reg\n"
	             "---\n",
	             4, 18,
	             "organizer_email: write the address without 'mailto:' "
	             "and what follows its '?' ('office@osce.org')");
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n"
	             "organizer_email: office@osce.org?subject=Reg\n---\n",
	             4, 18,
	             "not an e-mail address: 'office@osce.org?subject=Reg'; "
	             "write the address alone, without what follows its '?' "
	             "('office@osce.org')");
}

/* An address of RFC 5321: dots only between the parts of its name and
 * its domain's labels, a domain of letters, digits and inner hyphens; and
 * those of every day (a plus, an apostrophe, names past ASCII). */
static void
test_email_forms(void)
{
	static const char *const bad[] = {
		"a@b..org", ".a@b.org",  "a.@b.org", "a..b@c.org", "a@-b.org",
		"a@b-.org", "a@b_c.org", "a@b",      "a@.b.org",   "a@b.org.",
	};
	static const char *const good[] = {
		"office@osce.org",    "first.last+tag@sub.example.co.uk",
		"o'brien@example.ie", "j\u00fcrgen@b\u00fccher.de",
		"x-y@a-b.example",    "info@123.example",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text =
		    g_strdup_printf("---\ntitle: W\nstart: 2018-05-22\n"
		                    "organizer_email: \"%s\"\n---\n",
		                    bad[i]);

		assert_error(text, 4, 18, "organizer_email: not an e-mail");
	}
	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *text =
		    g_strdup_printf("---\ntitle: W\nstart: 2018-05-22\n"
		                    "organizer_email: \"%s\"\n---\n",
		                    good[i]);
		g_autoptr(EvfEvent) ev = parse_ok(text);

		g_assert_nonnull(ev);
		if (ev != NULL)
			g_assert_cmpstr(ev->organizer_email, ==, good[i]);
	}
}

/* A mistake in the description is reported with those of the front
 * matter, not only once they are put right. */
static void
test_error_front_matter_and_description(void)
{
	g_autoptr(GString) text = g_string_new("---\n"
	                                       "title: Workshop\n"
	                                       "start: 2018-13-22\n"
	                                       "---\n"
	                                       "First line.\n");
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = NULL;
	const EvfDiag *d;

	for (guint i = 0; i < 40; i++)
		g_string_append(text, "> ");
	g_string_append(text, "deep\n");
	ev = parse(text->str, diags);
	g_assert_null(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 2);
	if (diags->len != 2)
		return;
	d = g_ptr_array_index(diags, 0);
	g_assert_cmpuint(d->line, ==, 3);
	g_assert_nonnull(strstr(d->message, "no month 13"));
	d = g_ptr_array_index(diags, 1);
	g_assert_cmpuint(d->line, ==, 6);
	g_assert_nonnull(strstr(d->message, "description: more than 32"));
}

/* What a word processor or another site generator leaves in a file: a
 * no-break space after a key, dashes in a date, TOML front matter. */
static void
test_error_typography(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start:\xc2\xa0"
	             "2018-05-22\n"
	             "---\n",
	             3, 1,
	             "the space after 'start:' is a no-break space (U+00A0), "
	             "which YAML does not count as one: type an ordinary "
	             "space");
	assert_error("---\n"
	             "title:\xe3\x80\x80Workshop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 1,
	             "the space after 'title:' is an ideographic space "
	             "(U+3000), which YAML does not count as one: type an "
	             "ordinary space");
	assert_error("---\n"
	             "title:\xe2\x80\x83Workshop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 1,
	             "the space after 'title:' is another kind of space "
	             "(U+2003)");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018\xe2\x80\x93"
	             "05\xe2\x80\x93"
	             "22\n"
	             "---\n",
	             3, 8, "it has a dash where a hyphen '-' goes");
	assert_error("+++\n"
	             "title = \"Workshop\"\n"
	             "+++\n",
	             1, 1, "TOML front matter between '+++' lines is not read");
	/* a line break that an editor does not show */
	assert_error("---\n"
	             "title: Work\xe2\x80\xa8shop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 13,
	             "the line holds a line separator (U+2028), which YAML "
	             "takes for a line break: delete it, or put the value in "
	             "quotes");
	assert_error("---\n"
	             "title: Work\rshop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 13, "the line holds a carriage return (CR)");
}

/* The word null is no value to YAML: the message says how to mean it. */
static void
test_error_null_word(void)
{
	assert_error("---\n"
	             "title: null\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8,
	             "title: empty value (YAML reads null as no value: put it "
	             "in quotes to mean the word, or leave the key out)");
	/* as its other spellings (YAML 1.2's core schema) */
	assert_error("---\ntitle: T\nstart: 2018-05-22\nlocation: Null\n---\n",
	             4, 11, "location: empty value (YAML reads null");
	assert_error("---\ntitle: T\nstart: 2018-05-22\nlocation: NULL\n---\n",
	             4, 11, "location: empty value (YAML reads null");
	{
		g_autoptr(EvfEvent) ev =
		    parse_ok("---\ntitle: T\nstart: 2018-05-22\n"
		             "location: \"NULL\"\norganizer: nUll\n---\n");

		if (ev != NULL) {
			g_assert_cmpstr(ev->location, ==, "NULL");
			g_assert_cmpstr(g_ptr_array_index(ev->organizers, 0),
			                ==, "nUll");
		}
	}
}

/* A YAML directive (%YAML, %TAG) in the front matter is named at its
 * line, not as the indentation of the next; a quoted value that goes on
 * at a '%' is a value. */
static void
test_error_directive(void)
{
	assert_error("---\n%YAML 1.1\ntitle: T\nstart: 2018-05-22\n---\n", 2, 1,
	             "a line that begins with '%' is a YAML directive");
	assert_error("---\ntitle: T\nstart: 2018-05-22\n%TAG ! tag:x\n---\n", 4,
	             1, "a line that begins with '%' is a YAML directive");
	{
		g_autoptr(EvfEvent) ev = parse_ok(
		    "---\ntitle: \"ab\n%cd\"\nstart: 2018-05-22\n---\n");

		if (ev != NULL)
			g_assert_cmpstr(ev->title, ==, "ab %cd");
	}
}

/* An item of a list with ': ' in it is a mapping to YAML: the message
 * says to quote it. */
static void
test_error_list_item_colon(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer:\n"
	             "  - OSCE: Mission to Serbia\n"
	             "  - UNODC\n"
	             "---\n",
	             5, 5,
	             "organizer: expected a string, not a mapping: a text "
	             "that holds ': ' must be put in quotes: \"OSCE: Mission "
	             "to Serbia\"");
	/* a mapping as the value of a key is not taken for one */
	assert_error("---\n"
	             "title:\n"
	             "  en: Workshop\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             3, 3, "title: expected a string, not a mapping");
}

/* A date in another form than an event file's says how to write it. */
static void
test_error_date_advice(void)
{
	static const struct {
		const char *date;
		const char *needle;
	} cases[] = {
		{ "25.09.2018", "; write the year first: 2018-09-25" },
		{ "25/9/2018", "; write the year first: 2018-09-25" },
		{ "09/05/2018",
		  "; write the year first, then the month and the day" },
		/* as Americans write it, the month first */
		{ "12/25/2018", "; write the year first: 2018-12-25" },
		/* with a time */
		{ "25/09/2018 18:00",
		  "; write the year first: 2018-09-25T18:00" },
		{ "12/20/2018 6pm",
		  "; write the year first: 2018-12-20, and the hour from 00 "
		  "to 23, without AM or PM" },
		{ "09/05/2018 6:30 PM",
		  "; write the year first, then the month and the day, and "
		  "the hour from 00 to 23, without AM or PM" },
		{ "2018-09-25 noon", "; write noon as 12:00" },
		{ "\u201c2018-09-25\u201d",
		  "; it is in typographic quotes, which YAML reads as part of "
		  "the value: write straight quotes (\") or none" },
		{ "2018-09-25T09:00:00.000Z",
		  "; leave out the fraction of a second" },
		{ "2018-09-25 9:00 PM",
		  "; write the hour from 00 to 23, without AM or PM" },
		{ "2018-09-25T09:00 CET",
		  "; name the time zone in 'timezone:', or write the offset "
		  "after the time" },
		/* with the month's name, as a listing writes it */
		{ "June 28, 2018",
		  "; write it with numbers, the year first: 2018-06-28" },
		{ "28 June 2018",
		  "; write it with numbers, the year first: 2018-06-28" },
		{ "Thursday, 28 Jun 2018",
		  "; write it with numbers, the year first: 2018-06-28" },
		{ "Sept 3rd, 2019",
		  "; write it with numbers, the year first: 2019-09-03" },
		{ "2018/06/28", "; write it with dashes: 2018-06-28" },
		{ "2018-06-28T10:00+02",
		  "; write the offset with its minutes: 2018-06-28T10:00+02:00" },
		/* the offset after a space, as YAML 1.1 and date(1) write it */
		{ "2018-06-28 10:00:00 +02:00",
		  "; write the offset right after the time: "
		  "2018-06-28T10:00:00+02:00" },
		{ "2018-06-28 10:00 Z",
		  "; write the offset right after the time: 2018-06-28T10:00Z" },
		{ "2018-06-28T10:00 UTC",
		  "; write the offset right after the time: 2018-06-28T10:00Z" },
		{ "2018-06-28 10:00 +0530",
		  "; write the offset right after the time: "
		  "2018-06-28T10:00+05:30" },
		{ "2018-06-28 10:00 -03",
		  "; write the offset right after the time: "
		  "2018-06-28T10:00-03:00" },
		{ "2018-02-30 10:00 +02:00", "(expected YYYY-MM-DD, " },
		/* none whose value is refused in turn: an offset not in use,
		 * a year out of range in some zone */
		{ "2018-06-28 10:00 +14:00",
		  "; write the offset right after the time: "
		  "2018-06-28T10:00+14:00" },
		{ "2018-06-28 10:00 -13:00", "(expected YYYY-MM-DD, " },
		{ "2018-06-28 10:00 +14:30", "(expected YYYY-MM-DD, " },
		{ "1899-06-28 10:00 +02:00", "(expected YYYY-MM-DD, " },
		{ "1900-01-01 00:30 +14:00", "(expected YYYY-MM-DD, " },
		{ "2200-12-31 23:30 -10:00", "(expected YYYY-MM-DD, " },
		{ "2018-06-28T10:00+15", "(expected YYYY-MM-DD, " },
		{ "1899/06/28", "(expected YYYY-MM-DD, " },
		{ "25.09.1899", "(expected YYYY-MM-DD, " },
		/* no advice that is itself no date */
		{ "June 31, 2018", "(expected YYYY-MM-DD, " },
		{ "Feb 29, 2019", "(expected YYYY-MM-DD, " },
		{ "2018/02/30", "; write it with dashes, the year, the month "
		                "and the day" },
		{ "2018-06-28T25:00+02", "(expected YYYY-MM-DD, " },
	};

	static const struct {
		const char *date;
		const char *needle;
	} day_only[] = {
		{ "2018-06-28 10:00 +02:00",
		  "; an all-day event ends on a day: write 2018-06-28" },
		{ "2018-06-28T10:00+02", "; an all-day event ends on a day: "
		                         "write 2018-06-28" },
		{ "2018-6-28 10:00 UTC",
		  "; an all-day event ends on a day: write 2018-06-28" },
		{ "2018-06-28 noon",
		  "; an all-day event ends on a day: write 2018-06-28" },
		{ "2018-06-28T10:00:00.000Z",
		  "; an all-day event ends on a day: write 2018-06-28" },
		{ "2018-06-28 6 PM",
		  "; an all-day event ends on a day: write 2018-06-28" },
		{ "2018-06-28T10:00 CET",
		  "; an all-day event ends on a day: write 2018-06-28" },
		{ "28.06.2018 18:00", "; write the year first: 2018-06-28 (the "
		                      "day alone: an all-day event ends on a "
		                      "day)" },
		{ "06/28/2018 6:30 PM",
		  "; write the year first: 2018-06-28 (the day alone" },
		{ "June 28, 2018 10:00",
		  "; write it with numbers, the year first: 2018-06-28 (the "
		  "day alone" },
		/* without a time, as for a start */
		{ "28.06.2018", "; write the year first: 2018-06-28" },
		{ "2018/06/28", "; write it with dashes: 2018-06-28" },
		/* none that is no date */
		{ "2018-02-30 10:00 +02:00", "(expected YYYY-MM-DD, " },
		{ "2201-01-01 10:00 +02:00", "(expected YYYY-MM-DD, " },
		{ "June 28, 2201 10:00", "(expected YYYY-MM-DD, " },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: %s\n---\n", cases[i].date);

		assert_error(text, 3, 8, cases[i].needle);
	}
	/* (those without advice end at the forms) */
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: %s\n---\n", cases[i].date);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);
		const EvfDiag *d = g_ptr_array_index(diags, 0);

		if (g_str_has_prefix(cases[i].needle, "(expected"))
			g_assert_true(g_str_has_suffix(d->message, "or tba)"));
	}
	/* the end of an all-day event is a day: no advice of a time, which
	 * is refused in turn ("end: must be a date like start") */
	for (guint i = 0; i < G_N_ELEMENTS(day_only); i++) {
		g_autofree char *text =
		    g_strdup_printf("---\ntitle: Workshop\nstart: 2018-06-27\n"
		                    "end: %s\n---\n",
		                    day_only[i].date);
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(text, diags);
		const EvfDiag *d;
		const char *advice;

		assert_error(text, 4, 6, day_only[i].needle);
		if (diags->len < 1)
			continue;
		d = g_ptr_array_index(diags, 0);
		advice = strstr(d->message, "+HH:MM)");
		g_assert_nonnull(advice);
		g_assert_null(strstr(advice, "T1"));
		g_assert_null(strstr(advice, ":00"));
		if (g_str_has_prefix(day_only[i].needle, "(expected"))
			g_assert_true(g_str_has_suffix(d->message, ":MM)"));
	}
}

/* Categories written as a listing shows them, "Security, Terrorism",
 * are one category, with a warning that says how to write two; quoted,
 * the comma is meant. */
static void
test_warn_categories_commas(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse("---\n"
	                               "title: Workshop\n"
	                               "start: 2018-05-22\n"
	                               "categories: Security, Terrorism\n"
	                               "---\n",
	                               diags);
	const EvfDiag *d;

	g_assert_nonnull(ev);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_cmpuint(diags->len, ==, 1);
	if (ev == NULL || diags->len != 1)
		return;
	g_assert_cmpuint(ev->categories->len, ==, 1);
	d = g_ptr_array_index(diags, 0);
	g_assert_true(d->warning);
	g_assert_cmpuint(d->line, ==, 4);
	g_assert_cmpuint(d->col, ==, 13);
	g_assert_nonnull(strstr(d->message,
	                        "categories: 'Security, Terrorism' is one "
	                        "category, commas and all; for several, "
	                        "write a list: [Security, Terrorism]"));
	g_clear_pointer(&ev, evf_event_unref);
	ev = parse_ok("---\n"
	              "title: Workshop\n"
	              "start: 2018-05-22\n"
	              "categories: \"Crime, Justice and Security\"\n"
	              "---\n");
}

/* A list mistyped, which YAML reads as one text, is one category or
 * organiser, with a warning that says how to write a list: items without
 * a space after the dash, one indented deeper than the one above, bullets;
 * a name wrapped over two lines, and one with a dash inside, are not. */
static void
test_warn_list_typed(void)
{
	static const struct {
		const char *lines;
		guint line, col;
		const char *needle;
	} cases[] = {
		{ "categories:\n  -security\n  -justice", 5, 3,
		  "categories: '-security -justice' is one category, written "
		  "over 2 lines; for several, write each on a line of its own "
		  "below 'categories:', as '  - name' (a dash, then a space)" },
		{ "categories:\n  - security\n    - justice", 5, 5,
		  "categories: 'security - justice' is one category, written "
		  "over 2 lines" },
		{ "organizer:\n  - OSCE\n   - UNODC", 5, 5,
		  "organizer: 'OSCE - UNODC' is one organiser, written over 2 "
		  "lines; for several, write each on a line of its own below "
		  "'organizer:'" },
		{ "categories:\n  \u2022 security\n  \u2022 justice", 5, 3,
		  "categories: '\u2022 security \u2022 justice' is one "
		  "category" },
		{ "categories: -security", 4, 13,
		  "categories: '-security' is one category, beginning with "
		  "'-'; for a list, write each item on a line of its own below "
		  "'categories:', as '  - name'" },
		{ "organizer: \u2013 OSCE", 4, 12,
		  "organizer: '\u2013 OSCE' is one organiser, beginning with "
		  "'\u2013'" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "---\ntitle: Workshop\nstart: 2018-05-22\n%s\n---\n",
		    cases[i].lines);
		g_autoptr(EvfEvent) ev = parse_warned(
		    text, cases[i].line, cases[i].col, cases[i].needle);

		g_assert_cmpuint(ev->categories->len + ev->organizers->len, ==,
		                 1);
	}
	{
		g_autoptr(EvfEvent) wrapped =
		    parse_ok("---\ntitle: Workshop\nstart: 2018-05-22\n"
		             "organizer: Organization for Security and\n"
		             "  Co-operation in Europe - Mission to Skopje\n"
		             "categories:\n  - Crime - Justice\n---\n");

		g_assert_cmpstr(g_ptr_array_index(wrapped->organizers, 0), ==,
		                "Organization for Security and Co-operation "
		                "in Europe - Mission to Skopje");
	}
}

/* A '#' right after a plain value's space starts a YAML comment: "title:
 * Workshop #3" published "Workshop" without a word. It is warned of at
 * the '#', with the value quoted as it was meant; a comment after " # ",
 * and a '#' inside a value or in quotes, are not. */
static void
test_comment_cut(void)
{
	g_autoptr(EvfEvent) ev = parse_warned(
	    "---\ntitle: Workshop #3\nstart: 2027-06-01\n---\n", 2, 17,
	    "'#3' is a YAML comment, and is not published: the value is "
	    "'Workshop'; to keep it, put the whole value in quotes: "
	    "\"Workshop #3\"");
	g_autoptr(EvfEvent) item = parse_warned(
	    "---\ntitle: Workshop\nstart: 2027-06-01\ncategories:\n"
	    "  - Cyber #security\n---\n",
	    5, 11, "'#security' is a YAML comment");
	/* a title wrapped onto a line that begins with its '#': the same,
	 * with CRLF too; a note after " # " below a place, and an item of
	 * a list left out with '#', are comments */
	g_autoptr(EvfEvent) wrapped = parse_warned(
	    "---\ntitle: Regional Workshop on\n  Cybercrime\n  #3 in the "
	    "series\nstart: 2027-06-01\n---\n",
	    4, 3,
	    "'#3 in the series' is a YAML comment, and is not published: "
	    "the value is 'Regional Workshop on Cybercrime'");
	g_autoptr(EvfEvent) wrapped_crlf = parse_warned(
	    "---\r\ntitle: Workshop\r\n  #3\r\nstart: 2027-06-01\r\n---\r\n", 3,
	    3, "'#3' is a YAML comment");
	g_autoptr(EvfEvent) notes = parse_ok(
	    "---\ntitle: Workshop\nlocation: Room 5\n  # to be confirmed\n"
	    "categories:\n  - Security\n  #- Policy\nstart: 2027-06-01\n"
	    "---\n");
	g_autoptr(EvfEvent) kept =
	    parse_ok("---\ntitle: \"Workshop #3\"\nlocation: Room#5\n"
	             "start: 2027-06-01 # to be confirmed\n---\n");
	/* the value quoted so that it reads as meant: in single quotes
	 * when it holds a '"' or a backslash */
	g_autoptr(EvfEvent) quote = parse_warned(
	    "---\ntitle: The \"Big\" meetup #3\nstart: 2027-06-01\n---\n", 2,
	    25, "put the whole value in quotes: 'The \"Big\" meetup #3'");
	g_autoptr(EvfEvent) backslash = parse_warned(
	    "---\ntitle: T\nlocation: C:\\Rooms\\A #2\nstart: "
	    "2027-06-01\n---\n",
	    3, 22, "put the whole value in quotes: 'C:\\Rooms\\A #2'");
	/* no '#' goes on a date, a status or a zone: a comment */
	g_autoptr(EvfEvent) todo = parse_ok(
	    "---\ntitle: T\nstart: 2027-06-01T10:00 #TODO confirm the hour\n"
	    "status: tentative #until the board agrees\ntimezone: "
	    "Europe/Paris #CET\n---\n");
	/* in a flow list, the comment hides the ']' too: the value meant
	 * is up to it; the file is refused, with no warning at the '#' of a
	 * value read up to it, which none is */
	{
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) flow =
		    parse("---\ntitle: T\nstart: 2027-06-01\ncategories: "
		          "[workshop, meetup #3]\n---\n",
		          diags);
		gboolean advised = FALSE;

		g_assert_null(flow);
		for (guint i = 0; i < diags->len; i++) {
			const EvfDiag *d = g_ptr_array_index(diags, i);

			advised |= !d->warning &&
			           strstr(d->message,
			                  "quotes, as \"meetup #3\"") != NULL &&
			           strstr(d->message, "#3]\"") == NULL;
			g_assert_null(strstr(d->message, "the value is"));
		}
		g_assert_true(advised);
	}
	/* a value that starts with its '#' is none: the empty value's
	 * error, and at the '#' why; in a flow list, the ']' it hides is
	 * told at the '#' too */
	{
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) empty = parse(
		    "---\ntitle: #1 Regional Forum\nstart: 2027-06-01\n---\n",
		    diags);
		const EvfDiag *d;

		g_assert_null(empty);
		g_assert_cmpuint(diags->len, ==, 2);
		d = g_ptr_array_index(diags, 0);
		g_assert_true(d->warning);
		g_assert_cmpuint(d->line, ==, 2);
		g_assert_cmpuint(d->col, ==, 8);
		g_assert_cmpstr(d->message, ==,
		                "'#1 Regional Forum' is a YAML comment, and "
		                "leaves the value empty: a value that starts "
		                "with '#' is put in quotes: \"#1 Regional "
		                "Forum\"");
		d = g_ptr_array_index(diags, 1);
		g_assert_false(d->warning);
		g_assert_cmpstr(d->message, ==, "title: empty value");
	}
	assert_error("---\ntitle: T\nstart: 2027-06-01\ncategories: "
	             "[conférence, \"a#b\", #cyber]\nlocation: Skopje\n"
	             "---\n",
	             4, 33,
	             "'#cyber]' is a YAML comment, and hides the ']' that "
	             "closes the list on line 4: put the name in quotes, as "
	             "\"#cyber\"");
	/* the list the last key (libyaml says nothing of a list then), and
	 * an apostrophe inside an item, which opens no quote */
	assert_error("---\ntitle: T\nstart: 2027-06-01\ncategories: "
	             "[conference, #cyber]\n---\n",
	             4, 26,
	             "'#cyber]' is a YAML comment, and hides the ']' that "
	             "closes the list on line 4");
	assert_error("---\ntitle: T\nstart: 2027-06-01\ncategories: "
	             "[women's security, #cyber]\nlocation: Skopje\n---\n",
	             4, 32, "put the name in quotes, as \"#cyber\"");
	/* a '[' and a comment in another value, not a list: not blamed for
	 * the list left open below */
	{
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) open =
		    parse("---\ntitle: Room [B] #2 meeting\nstart: 2027-06-01\n"
		          "categories: [a, b,\n---\n",
		          diags);

		g_assert_null(open);
		for (guint i = 0; i < diags->len; i++)
			g_assert_null(strstr(
			    ((EvfDiag *)g_ptr_array_index(diags, i))->message,
			    "hides the ']'"));
	}

	g_assert_cmpstr(ev->title, ==, "Workshop");
	g_assert_cmpstr(kept->title, ==, "Workshop #3");
	g_assert_cmpstr(kept->location, ==, "Room#5");
	g_assert_cmpstr(quote->title, ==, "The \"Big\" meetup");
	g_assert_cmpstr(backslash->location, ==, "C:\\Rooms\\A");
	g_assert_cmpint(todo->status, ==, EVF_STATUS_TENTATIVE);
}

/* Mistakes of editing: a second front matter block (a template pasted
 * under the file), whose keys would be published as text, is warned of;
 * a merge conflict's markers are an error, in the description and in the
 * front matter, with the advice to keep one side; a list item without
 * the space after its dash says so. */
static void
test_editing_mistakes(void)
{
	g_autoptr(EvfEvent) second = parse_warned(
	    "---\ntitle: A\nstart: 2027-06-05\n---\n\n---\n"
	    "location: Room 5\nurl: https://example.org/\n---\nText.\n",
	    6, 1,
	    "a second front matter block: this '---' starts the "
	    "description, and 'location:' below it is published as text");
	/* a thematic break before text is no such block */
	g_autoptr(EvfEvent) rule = parse_ok(
	    "---\ntitle: A\nstart: 2027-06-05\n---\n---\nSee you there: "
	    "soon.\n");
	/* keys below the closing '---': one too many above them */
	g_autoptr(EvfEvent) below = parse_warned(
	    "---\ntitle: Board\nstart: 2027-06-05\n---\nlocation: Zagreb\n"
	    "status: cancelled\n\nThe meeting is off.\n",
	    5, 1,
	    "'location:' is below the '---' of line 4, which closes the "
	    "front matter: it starts the description and is published as "
	    "text, not read; move it above that line");
	g_autoptr(EvfEvent) below_blank =
	    parse_warned("---\ntitle: B\nstart: 2027-06-05\n---\n\r\n\nurl: "
	                 "https://example.org/\r\n",
	                 7, 1, "'url:' is below the '---' of line 4");
	/* after a byte order mark, as where two files were joined, which
	 * is warned of too */
	{
		static const struct {
			const char *text, *needle;
		} joined[] = {
			{ "---\ntitle: J\nstart: 2027-06-05\n---\n\xef\xbb\xbf---\n"
			  "location: Paris\nstatus: cancelled\n---\nBody\n",
			  "a second front matter block: this '---' starts "
			  "the description, and 'location:' below it" },
			{ "---\ntitle: J\nstart: 2027-06-05\n---\n\xef\xbb\xbf"
			  "status: cancelled\nBody\n",
			  "'status:' is below the '---' of line 4" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(joined); i++) {
			g_autoptr(GPtrArray) diags = evf_diags_new();
			g_autoptr(EvfEvent) ev = parse(joined[i].text, diags);
			const EvfDiag *d;

			g_assert_nonnull(ev);
			g_assert_cmpuint(diags->len, ==, 2);
			if (diags->len != 2)
				continue;
			d = g_ptr_array_index(diags, 0);
			g_assert_true(d->warning);
			g_assert_cmpuint(d->line, ==, 5);
			g_assert_cmpuint(d->col, ==, 2);
			g_assert_nonnull(strstr(d->message, joined[i].needle));
			d = g_ptr_array_index(diags, 1);
			g_assert_nonnull(strstr(d->message, "byte order mark"));
		}
	}
	/* closed with YAML's "...": named so */
	g_autoptr(EvfEvent) dots = parse_warned(
	    "---\ntitle: B\nstart: 2027-06-05\n...\nstatus: cancelled\n", 5, 1,
	    "'status:' is below the '...' of line 4");
	/* no key as YAML would read it: text */
	EvfEvent *prose[] = {
		parse_ok("---\ntitle: C\nstart: 2027-06-05\n---\n"
		         "url:https://example.org/ has it\n"),
		parse_ok("---\ntitle: C\nstart: 2027-06-05\n---\n"
		         "Location: Room 5\n"),
		parse_ok("---\ntitle: C\nstart: 2027-06-05\n---\n"
		         "note: bring a pen\n"),
		parse_ok("---\ntitle: C\nstart: 2027-06-05\n---\nIntro\n"
		         "status: tentative, we hope\n"),
		/* prose that only looks like a key: no value it takes */
		parse_ok("---\ntitle: C\nstart: 2027-06-05\n---\n"
		         "timezone: all times are local (CET).\n"),
		parse_ok("---\ntitle: C\nstart: 2027-06-05\n---\n"
		         "status: we will confirm by May.\n"),
		parse_ok("---\ntitle: C\nstart: 2027-06-05\n---\n"
		         "url: see the page of the venue\n"),
	};

	assert_error("---\ntitle: B\nstart: 2027-06-05\n---\nIntro\n"
	             "<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> feature\n",
	             6, 1,
	             "description: a merge conflict's marker ('<<<<<<<'): keep "
	             "one side, and delete the markers");
	/* in a fenced code block, an example of one is text; after it
	 * closes, a marker again */
	{
		g_autoptr(EvfEvent) example = parse_ok(
		    "---\ntitle: Git training\nstart: 2027-06-05\n---\n"
		    "A conflict:\n\n```text\n<<<<<<< HEAD\nRoom 4\n=======\n"
		    "Room 7\n>>>>>>> venue\n```\n\n~~~~\n<<<<<<< HEAD\n~~~\n"
		    ">>>>>>> x\n  ~~~~~ \nEnd.\n");

		g_assert_nonnull(example);
	}
	assert_error("---\ntitle: B\nstart: 2027-06-05\n---\n```\nx\n```\n"
	             "<<<<<<< HEAD\n",
	             8, 1, "description: a merge conflict's marker");
	/* an indented fence may be a list item's, which ends with the
	 * item: text, as is one in an HTML block */
	assert_error("---\ntitle: B\nstart: 2027-06-05\n---\n1. Step\n   ```\n"
	             "x\n\nAfter\n<<<<<<< HEAD\n",
	             10, 1, "description: a merge conflict's marker");
	{
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) html =
		    parse("---\ntitle: B\nstart: 2027-06-05\n---\n<div>\n```\n"
		          "</div>\n\n<<<<<<< HEAD\n",
		          diags);
		gboolean told = FALSE;

		g_assert_null(html);
		for (guint k = 0; k < diags->len; k++) {
			const EvfDiag *d = g_ptr_array_index(diags, k);

			told |= !d->warning && d->line == 9 &&
			        strstr(d->message, "merge conflict's marker") !=
			            NULL;
		}
		g_assert_true(told);
	}
	/* a backtick fence's info string holds no backtick: no fence */
	assert_error("---\ntitle: B\nstart: 2027-06-05\n---\n``` a`b\n"
	             ">>>>>>> x\n",
	             6, 1, "description: a merge conflict's marker");
	assert_error("---\ntitle: D\n<<<<<<< HEAD\nstart: 2027-06-05\n"
	             "=======\nstart: 2027-06-06\n>>>>>>> x\n---\n",
	             3, 1, "a merge conflict's marker: keep one side");
	/* a value over several lines, one of which holds ': ' */
	assert_error("---\ntitle: A\nstart: 2027-06-05\nlocation: Room\n"
	             "  5, Building\n  C: east\n---\n",
	             6, 4,
	             "'C:' is on an indented line, which continues the value "
	             "above, and YAML reads it as a key: put the whole value "
	             "in quotes");
	assert_error("---\ntitle: C\nstart: 2027-06-05\ncategories:\n"
	             "  - crime\n  -justice\n---\n",
	             6, 3,
	             "a list's item starts with '- ', a space after the "
	             "dash");
	g_assert_nonnull(strstr(second->description_md, "location: Room 5"));
	g_assert_nonnull(rule);
	g_assert_cmpint(below->status, ==, EVF_STATUS_CONFIRMED);
	g_assert_nonnull(below_blank);
	g_assert_nonnull(dots);
	for (gsize i = 0; i < G_N_ELEMENTS(prose); i++)
		evf_event_unref(prose[i]);
	/* files end with no NUL: nothing is read past their last byte
	 * (ASan, as the event files are read) */
	{
		static const char *const ends[] = {
			"---\ntitle: A\nstart: 2027-06-05\n---\n---",
			"---\ntitle: A\nstart: 2027-06-05\n---\n---\nloc",
			"---\ntitle: A\nstart: 2027-06-05\n--",
			"---\ntitle: A\nstart: 2027-06-05\n----  ",
			"---\ntitle: A\nstart: 2027-06-05\n---\n<<<<<<<",
			"---\ntitle: A\nstart: 2027-06-05\n--- # end",
		};

		for (gsize i = 0; i < G_N_ELEMENTS(ends); i++) {
			gsize len = strlen(ends[i]);
			g_autofree char *exact = g_memdup2(ends[i], len);
			g_autoptr(GPtrArray) diags = evf_diags_new();
			g_autoptr(EvfEvent) ev =
			    parse_full(STEM, exact, len, diags);

			(void)ev;
		}
	}
}

/* A time zone name in the wrong case, with a space or misspelt, a Windows
 * name and an offset say what to write instead. */
static void
test_error_zone_advice(void)
{
	static const struct {
		const char *zone;
		const char *needle;
	} cases[] = {
		{ "europe/ljubljana", "(did you mean 'Europe/Ljubljana'?)" },
		{ "\"America/New York\"",
		  "(did you mean 'America/New_York'?)" },
		{ "Central European Standard Time",
		  "(a Windows name: write the IANA name of a city in the zone, "
		  "such as Europe/Ljubljana)" },
		{ "\"+02:00\"", "(an offset is written with the time, as in "
		                "2018-05-22T09:30+02:00" },
		{ "UTC+2", "(an offset is written with the time" },
		/* a city misspelt: the one zone nearest */
		{ "Europe/Belgrad", "(did you mean 'Europe/Belgrade'?)" },
		{ "America/Sao_Paolo", "(did you mean 'America/Sao_Paulo'?)" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text =
		    g_strdup_printf("---\ntitle: Workshop\nstart: "
		                    "2018-05-22T09:30\ntimezone: %s\n---\n",
		                    cases[i].zone);

		assert_error(text, 4, 11, cases[i].needle);
	}
}

/* A URL with its scheme left out, or with a space, and a year out of
 * range say what would be right. */
static void
test_error_value_advice(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "url: www.osce.org/event/123\n"
	             "---\n",
	             4, 6,
	             "url: not an absolute http or https URL: "
	             "'www.osce.org/event/123' (write it with its scheme: "
	             "'https://www.osce.org/event/123')");
	/* a file's name is not a host's: https:// before it is no help */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "image: poster.JPG\n"
	             "---\n",
	             4, 8,
	             "image: not an absolute http or https URL: 'poster.JPG' "
	             "(a file's name, not an address: write the whole "
	             "address of the file, with https:// and the host it is "
	             "on, such as 'https://www.example.org/poster.JPG')");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "image: https://www.osce.org/my image.png\n"
	             "---\n",
	             4, 8, "(write each space in it as %20)");
	/* what is wrong with an http or https address is said */
	{
		static const char *const cases[][2] = {
			{ "https://example.org/100%",
			  "(a '%' stands before two hexadecimal digits: write "
			  "a '%' itself as %25)" },
			{ "https://example.org/a%zz",
			  "write a '%' itself as %25" },
			{ "https://example.org/?q=<x>",
			  "(write '\"' as %22, '<' as %3C and '>' as %3E)" },
			{ "https://example.org/a\"b", "'\"' as %22" },
			{ "https://example.org:99999/", "99999" },
			/* a host has no space, written or escaped (GLib
			 * gave "exa mple.org" to every output) */
			{ "https://exa mple.org/",
			  "(a host name has no spaces)" },
			{ "https://exa%20mple.org/",
			  "(its host has a character no host name has)" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autofree char *text = g_strdup_printf(
			    "---\ntitle: Workshop\nstart: 2018-05-22\n"
			    "url: '%s'\n---\n",
			    cases[i][0]);

			assert_error(text, 4, 6, cases[i][1]);
		}
	}
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 0201-05-22\n"
	             "---\n",
	             3, 8, "the year must be from 1900 to 2200");
}

static void
test_error_bad_values(void)
{
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "url: javascript:alert(1)\n"
	             "---\n",
	             4, 6, "url: not an absolute http or https URL");
	/* GLib reads an empty host here, not none */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "url: http:///event/123\n"
	             "---\n",
	             4, 6, "url: not an absolute http or https URL");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "image: https://\n"
	             "---\n",
	             4, 8, "image: not an absolute http or https URL");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "url: https://:8080/\n"
	             "---\n",
	             4, 6, "url: not an absolute http or https URL");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "geo: 91, 14\n"
	             "---\n",
	             4, 6, "geo:");
	/* as a description's link with it is (markdown.c) */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "url: https://e.example/a?next=JavaScript:alert(1)\n"
	             "---\n",
	             4, 6,
	             "url: an address with 'javascript:' in it is not "
	             "published");
	/* an IPv6 host: an error in every feed (RFC 2396 links) */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "url: \"https://[2001:db8::1]/open-day\"\n"
	             "---\n",
	             4, 6,
	             "url: an address with an IPv6 host is not published");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "image: http://[::1]:8080/a.png\n"
	             "---\n",
	             4, 8,
	             "image: an address with an IPv6 host is not published");
	/* no place for them in a tag: id, encoded or not */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "uid: conf[2024]\n"
	             "---\n",
	             4, 6, "uid: '[' and ']' cannot be in a uid");
	/* An empty list is a value left empty. */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "categories: []\n"
	             "---\n",
	             4, 13, "categories: empty value");
	/* A list is one of geo's forms: one of three numbers is refused
	 * for its length, not for being a list. */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "geo: [46.05, 14.51, 300]\n"
	             "---\n",
	             4, 6, "geo: expected 'latitude, longitude'");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer_email: not-an-address\n"
	             "---\n",
	             4, 18, "organizer_email: not an e-mail address");
	/* RFC 5322's specials are not in an address unquoted: a ';' or a
	 * ',' is two addresses, or a mistake */
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer_email: a;b@example.org\n"
	             "---\n",
	             4, 18, "organizer_email: not an e-mail address");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "organizer_email: \"a,b@example.org\"\n"
	             "---\n",
	             4, 18, "organizer_email: not an e-mail address");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "uid: has spaces in it\n"
	             "---\n",
	             4, 6, "uid:");
}

/* geo in RFC 5545's form of a float (3.3.8): what strtod() reads besides
 * (hexadecimal, exponents, inf and nan), an absurd number of digits and a
 * place out of range are refused, each with why; spaces around the
 * numbers are fine; the place is kept to the six decimals calendars
 * carry, so that every output gives the same. */
static void
test_geo_forms(void)
{
	static const struct {
		const char *geo;
		double lat, lon;
	} good[] = {
		{ "\"46.05, 14.51\"", 46.05, 14.51 },
		{ "\" 45 ,  15 \"", 45, 15 },
		{ "\"+45,-15\"", 45, -15 },
		{ "[46.05, \"14.51\"]", 46.05, 14.51 },
		{ "\"-90, 180\"", -90, 180 },
		{ "\"46.056946561047856, 14.505751493845474\"", 46.056947,
		  14.505751 },
	};
	static const struct {
		const char *geo;
		const char *needle;
	} bad[] = {
		{ "\"0x10, 5\"", "geo: '0x10' is not a number in decimal" },
		{ "[0x10, 5]", "geo: '0x10' is not a number in decimal" },
		{ "\"1e1, 5\"", "geo: '1e1' is not a number" },
		{ "[1e1, 5]", "geo: '1e1' is not a number" },
		{ "\"inf, nan\"", "geo: 'inf' is not a number" },
		{ "[.inf, .nan]", "geo: '.inf' is not a number" },
		{ "\"5, nan\"", "geo: 'nan' is not a number" },
		{ "\".5, 5\"", "geo: '.5' is not a number" },
		{ "\"5., 5\"", "geo: '5.' is not a number" },
		{ "\"45,15,3\"", "geo: expected 'latitude, longitude'" },
		{ "\"45;15\"", "(separate the two with a comma)" },
		{ "\"91, 5\"", "geo: latitude 91 is out of range (-90 to 90): "
		               "the latitude comes first" },
		{ "\"5, -180.5\"", "geo: longitude -180.5 is out of range "
		                   "(-180 to 180)" },
		{ "\"0000045, 15\"", "geo: '0000045' has too many digits" },
		{ "\"45.123456789012345678, 15\"",
		  "geo: '45.123456789012345678' has too many digits" },
		{ "\"45,\\u00a015\"", "(U+00A0): type an ordinary space" },
		/* as copied from a page or a map */
		{ "\"\\u221233.86, 151.2\"",
		  "'\u221233.86' has a minus sign or a dash that is not '-'" },
		{ "\"46.05\\u00b0 N, 14.51\\u00b0 E\"",
		  "write it without '\u00b0' and N, S, E or W, south and west "
		  "with a '-'" },
		{ "\"46.05N, 14.51E\"", "without '\u00b0' and N, S, E or W" },
		{ "\"46,05, 14,51\"", "(with a decimal point, not a comma)" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *text = g_strdup_printf("---\n"
		                                        "title: Workshop\n"
		                                        "start: 2018-05-22\n"
		                                        "geo: %s\n"
		                                        "---\n",
		                                        good[i].geo);
		g_autoptr(EvfEvent) ev = parse_ok(text);

		g_test_message("geo: %s", good[i].geo);
		g_assert_true(ev->has_geo);
		g_assert_cmpfloat(ev->lat, ==, good[i].lat);
		g_assert_cmpfloat(ev->lon, ==, good[i].lon);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text = g_strdup_printf("---\n"
		                                        "title: Workshop\n"
		                                        "start: 2018-05-22\n"
		                                        "geo: %s\n"
		                                        "---\n",
		                                        bad[i].geo);

		g_test_message("geo: %s", bad[i].geo);
		/* in a list, at the number (all these at the first) */
		assert_error(text, 4, bad[i].geo[0] == '[' ? 7 : 6,
		             bad[i].needle);
	}
	assert_error("---\ntitle: Workshop\nstart: 2018-05-22\n"
	             "geo: [46.05,\n   200]\n---\n",
	             5, 4, "geo: longitude 200 is out of range");
	/* -0 is 0: no calendar shows a place at -0.000000 */
	{
		g_autoptr(EvfEvent) ev = parse_ok("---\n"
		                                  "title: Workshop\n"
		                                  "start: 2018-05-22\n"
		                                  "geo: \"-0, -0.0000001\"\n"
		                                  "---\n");

		g_assert_false(signbit(ev->lat));
		g_assert_false(signbit(ev->lon));
	}
}

/* A backslash in double quotes that begins no escape, or one of no
 * character ("C:\Users", "AI\ML", "\ud800", which is half of a UTF-16
 * pair): the quote is closed, so the error is the escape's, at its
 * backslash, not an unclosed quote. */
static void
test_error_bad_escape(void)
{
	assert_error("---\n"
	             "title: \"C:\\Users\\x\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 11, "and '\\U' is none, or names no character");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "location: \"AI\\ML lab\"\n"
	             "---\n",
	             4, 14, "and '\\M' is none");
	assert_error("---\n"
	             "title: \"\\\\ lone \\ud800 s\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 17,
	             "'\\ud800' is half of a UTF-16 surrogate pair, which "
	             "names no character: write the character itself, or its "
	             "escape \\U and eight hex digits (\\U0001F389)");
	/* JSON's form of a character beyond U+FFFF (Python's json.dumps):
	 * not a backslash to double, which would publish the escape */
	assert_error("---\n"
	             "title: \"Summer party \\ud83c\\udf89\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 22,
	             "'\\ud83c\\udf89' is a UTF-16 surrogate pair, as JSON "
	             "writes one character, which YAML does not take: write "
	             "the character itself (\xf0\x9f\x8e\x89), or "
	             "\\U0001F389");
	/* one for a noncharacter, which would be refused in turn */
	assert_error("---\n"
	             "title: \"a \\udbff\\udfff\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 11,
	             "'\\udbff\\udfff' is a UTF-16 surrogate pair, as JSON "
	             "writes one character, which YAML does not take; and "
	             "U+10FFFF is a noncharacter, which no text holds: delete "
	             "it");
	assert_error("---\n"
	             "title: \"big \\U00110000\"\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 13, "'\\U' is none");
	/* an unclosed one is still said so, where it opens */
	assert_error("---\n"
	             "title: \"open\n"
	             "start: 2018-05-22\n"
	             "---\n",
	             2, 8, "the quote that opens here is not closed");
}

static gint
diag_cmp_position(gconstpointer a, gconstpointer b)
{
	const EvfDiag *x = *(EvfDiag *const *)a;
	const EvfDiag *y = *(EvfDiag *const *)b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static void
test_error_several_reported(void)
{
	static const char text[] = "---\n"
	                           "title: [a, list]\n"
	                           "start: 2018-13-01\n"
	                           "status: postponed\n"
	                           "locaton: Ljubljana\n"
	                           "geo: nowhere\n"
	                           "---\n";
	static const struct {
		guint line, col;
		const char *needle;
	} want[] = {
		{ 2, 8, "title: expected a string" },
		{ 3, 8, "no month 13" },
		{ 4, 9, "unknown status" },
		{ 5, 1, "unknown key 'locaton'" },
		{ 6, 6, "geo:" },
	};
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev = parse(text, diags);

	g_assert_null(ev);
	g_assert_cmpuint(diags->len, ==, G_N_ELEMENTS(want));
	if (diags->len != G_N_ELEMENTS(want))
		return;
	g_ptr_array_sort(diags, diag_cmp_position);
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		const EvfDiag *d = g_ptr_array_index(diags, i);

		g_assert_cmpuint(d->line, ==, want[i].line);
		g_assert_cmpuint(d->col, ==, want[i].col);
		g_assert_nonnull(strstr(d->message, want[i].needle));
	}
}

/* ------------------------------------------------------------ identity */

/* The same name decomposed (NFD, as macOS writes it) is the same event:
 * its identity is that of the name composed (NFC), which is what it was
 * before; a name that is not UTF-8 is taken as its bytes. */
static void
test_uid_default_nfc(void)
{
	static const char text[] = "---\n"
	                           "title: Caf\xc3\xa9 meeting\n"
	                           "start: 2018-05-22\n"
	                           "---\n";
	const char *nfc = "2018-05-22-caf\xc3\xa9-sr\xc4\x91"
	                  "an";
	const char *nfd = "2018-05-22-cafe\xcc\x81-sr\xc4\x91"
	                  "an";
	const char *latin1 = "2018-05-22-caf\xe9";
	g_autofree char *want = evf_uuid5(cfg->uid_namespace, nfc);
	g_autofree char *want_bytes = evf_uuid5(cfg->uid_namespace, latin1);
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) a = parse_full(nfc, text, strlen(text), diags);
	g_autoptr(EvfEvent) b = parse_full(nfd, text, strlen(text), diags);
	g_autoptr(EvfEvent) c = parse_full(latin1, text, strlen(text), diags);

	g_assert_cmpuint(diags->len, ==, 0);
	if (a == NULL || b == NULL || c == NULL) {
		g_test_fail();
		return;
	}
	g_assert_cmpstr(a->uid, ==, want);
	g_assert_cmpstr(b->uid, ==, want);
	g_assert_cmpstr(c->uid, ==, want_bytes);
	/* and the slug, the address, is the same too */
	g_assert_cmpstr(a->slug, ==, b->slug);
}

static void
test_uid_default(void)
{
	static const char text[] = "---\n"
	                           "title: Workshop\n"
	                           "start: 2018-05-22\n"
	                           "---\n";
	static const char other[] = "---\n"
	                            "title: Another title\n"
	                            "start: 2019-01-01\n"
	                            "---\n";
	const char *stem = "2018-05-22-counter-terrorism-challenges-see";
	g_autofree char *want = evf_uuid5(cfg->uid_namespace, stem);
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) a = parse_full(stem, text, strlen(text), diags);
	g_autoptr(EvfEvent) b = parse_full(stem, text, strlen(text), diags);
	g_autoptr(EvfEvent) c = parse_full(stem, other, strlen(other), diags);
	g_autoptr(EvfEvent) d =
	    parse_full("another-stem", text, strlen(text), diags);

	g_assert_cmpuint(diags->len, ==, 0);
	if (a == NULL || b == NULL || c == NULL || d == NULL) {
		g_test_fail();
		return;
	}
	g_assert_cmpstr(a->uid, ==, want);
	g_assert_cmpuint(a->uid_line, ==, 1);
	g_assert_cmpuint(a->uid_col, ==, 1);
	/* Stable: the same for every read, whatever the content. */
	g_assert_cmpstr(b->uid, ==, want);
	g_assert_cmpstr(c->uid, ==, want);
	g_assert_cmpstr(d->uid, !=, want);
	g_assert_cmpstr(a->slug, ==, stem);
}

static const char fp_base[] = "---\n"
                              "title: Workshop on Border Security\n"
                              "start: 2018-05-22\n"
                              "end: 2018-05-23\n"
                              "location: Ljubljana, Slovenia\n"
                              "categories: [workshop, borders]\n"
                              "---\n"
                              "The description.\n";

static char *
fingerprint_of(const char *text)
{
	g_autoptr(EvfEvent) ev = parse_ok(text);

	return ev != NULL ? g_strdup(ev->fingerprint) : NULL;
}

static void
test_fingerprint_title_change(void)
{
	g_autofree char *a = fingerprint_of(fp_base);
	g_autofree char *b = fingerprint_of(fp_base);
	g_autofree char *c =
	    fingerprint_of("---\n"
	                   "title: Workshop on Border Security (postponed)\n"
	                   "start: 2018-05-22\n"
	                   "end: 2018-05-23\n"
	                   "location: Ljubljana, Slovenia\n"
	                   "categories: [workshop, borders]\n"
	                   "---\n"
	                   "The description.\n");
	g_autofree char *d =
	    fingerprint_of("---\n"
	                   "title: Workshop on Border Security\n"
	                   "start: 2018-05-22\n"
	                   "end: 2018-05-24\n"
	                   "location: Ljubljana, Slovenia\n"
	                   "categories: [workshop, borders]\n"
	                   "---\n"
	                   "The description.\n");

	g_assert_nonnull(a);
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, !=, c);
	g_assert_cmpstr(a, !=, d);
}

static void
test_fingerprint_formatting_only(void)
{
	g_autofree char *a = fingerprint_of(fp_base);
	/* Quotes, comments, key order, block lists, spacing and CRLF. */
	g_autofree char *b =
	    fingerprint_of("---\r\n"
	                   "# Reformatted.\r\n"
	                   "location:   \"Ljubljana, Slovenia\"\r\n"
	                   "categories:\r\n"
	                   "  - workshop\r\n"
	                   "  - 'borders'\r\n"
	                   "end: \"2018-05-23\"\r\n"
	                   "start:    2018-05-22   # the first day\r\n"
	                   "title: >-\r\n"
	                   "  Workshop on\r\n"
	                   "  Border Security\r\n"
	                   "---\r\n"
	                   "\r\n"
	                   "The description.\r\n"
	                   "\r\n");

	g_assert_nonnull(a);
	g_assert_cmpstr(a, ==, b);
}

/* The description counts by what it shows: a Markdown edit that changes
 * no output brings subscribers no change (no new SEQUENCE), one that
 * does, even of white space alone, does. */
static void
test_fingerprint_markdown_spacing(void)
{
	static const char head[] = "---\n"
	                           "title: Workshop\n"
	                           "start: 2018-05-22\n"
	                           "---\n";
	static const char *const same[] = {
		"The description, *in short*.\n\nSee [the agenda]"
		"(https://example.org/a) and:\n\n- one\n- two\n",
		"The description, _in short_.   \n\n\n\nSee [the agenda]( "
		"https://example.org/a ) and:\n\n* one\n* two\n\n",
		"  The description, *in short*.\t\n\nSee [the agenda]"
		"(<https://example.org/a>) and:\n\n+ one\n+ two\n",
	};
	static const char *const other[] = {
		/* a hard line break, written as two spaces */
		"The description, *in short*.  \nSee [the agenda]"
		"(https://example.org/a) and:\n\n- one\n- two\n",
		/* one paragraph of two, no longer */
		"The description, *in short*.\nSee [the agenda]"
		"(https://example.org/a) and:\n\n- one\n- two\n",
		/* a code block, by its indentation */
		"The description, *in short*.\n\n    See [the agenda]"
		"(https://example.org/a) and:\n\n- one\n- two\n",
		/* a loose list */
		"The description, *in short*.\n\nSee [the agenda]"
		"(https://example.org/a) and:\n\n- one\n\n- two\n",
		/* another link target */
		"The description, *in short*.\n\nSee [the agenda]"
		"(https://example.org/b) and:\n\n- one\n- two\n",
	};
	g_autofree char *text = g_strconcat(head, same[0], NULL);
	g_autofree char *a = fingerprint_of(text);

	g_assert_nonnull(a);
	for (gsize i = 1; i < G_N_ELEMENTS(same); i++) {
		g_autofree char *t = g_strconcat(head, same[i], NULL);
		g_autofree char *b = fingerprint_of(t);

		g_test_message("same: %s", same[i]);
		g_assert_cmpstr(a, ==, b);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(other); i++) {
		g_autofree char *t = g_strconcat(head, other[i], NULL);
		g_autofree char *b = fingerprint_of(t);

		g_test_message("other: %s", other[i]);
		g_assert_cmpstr(a, !=, b);
	}
}

/* (transfer full): @ev written as an event file (into *@text), and read
 * back without an error. */
static EvfEvent *
written_back(const EvfEvent *ev, char **text)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(GError) error = NULL;
	EvfEvent *back;

	*text = evf_eventwrite_format(cfg, ev, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(*text);
	g_test_message("%s", *text);
	back = parse(*text, diags);
	g_assert_nonnull(back);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	return back;
}

/* Written by `evfeed new` and `evfeed import`, an event reads back as
 * the same instants, also where the clocks go back and a wall time
 * happens twice: a default end one hour after a start at the first
 * 02:30 is the second 02:30, and an end there given with its offset. */
static void
test_write_clocks_go_back(void)
{
	static const char *const files[] = {
		"---\ntitle: Night\nstart: 2026-10-25T02:30\n---\n",
		"---\ntitle: Night\nstart: 2026-10-25T01:30\n"
		"end: 2026-10-25T02:30+01:00\n---\n",
		"---\ntitle: Night\nstart: 2026-10-25T02:30+01:00\n"
		"timezone: Europe/Ljubljana\n---\n",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev = parse(files[i], diags);
		g_autoptr(EvfEvent) back = NULL;
		g_autofree char *text = NULL;

		g_assert_nonnull(ev);
		back = written_back(ev, &text);
		g_assert_true(g_date_time_equal(back->start, ev->start));
		g_assert_true(g_date_time_equal(back->end, ev->end));
	}
}

/* Emoji (beyond Unicode's first plane) are written as they are, not as
 * libyaml's escapes ("\U0001F68B"), which an editor would read in the
 * file; a title that says "\U0001F68B" in its letters keeps them; the
 * file reads back the same. */
static void
test_write_emoji(void)
{
	/* title, location: a plain scalar's "\U…" text beside an emoji of
	 * another field, which is written as it is all the same */
	static const char *const cases[][2] = {
		{ "\xf0\x9f\x9a\x8b Tram tour \xf0\x9f\x9a\x8b", NULL },
		{ "\xf0\x9f\x9a\x8b \"Quoted\" \\U0001F68B, \\\\U1", NULL },
		{ "Plain \\U0001F68B text", NULL },
		{ "Caf\xc3\xa9 \xf0\x9d\x95\x8f double-struck", NULL },
		{ "Plain \\U0001F68B text", "\xf0\x9f\x9a\x8b cafe" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) diags = evf_diags_new();
		g_autoptr(EvfEvent) ev =
		    parse("---\ntitle: x\nstart: 2026-05-04\n---\n", diags);
		g_autoptr(EvfEvent) back = NULL;
		g_autofree char *text = NULL;
		g_autofree char *both = NULL;

		g_assert_nonnull(ev);
		g_free(ev->title);
		ev->title = g_strdup(cases[i][0]);
		ev->location = g_strdup(cases[i][1]);
		back = written_back(ev, &text);
		g_assert_null(strstr(text, "\\U0001F68B T"));
		g_assert_null(strstr(text, "\\U0001F68B c"));
		both = g_strconcat(cases[i][0], cases[i][1], NULL);
		if (strstr(both, "\xf0\x9f\x9a\x8b") != NULL)
			g_assert_nonnull(strstr(text, "\xf0\x9f\x9a\x8b"));
		g_assert_cmpstr(back->title, ==, cases[i][0]);
		g_assert_cmpstr(back->location, ==, cases[i][1]);
	}
}

/* An event that ends at its start (a VEVENT without an end, imported)
 * cannot say so in a file, whose end must be after its start: the file
 * has no end, and it reads back with the default end, one hour later. */
static void
test_write_ends_at_start(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfEvent) ev =
	    parse("---\ntitle: Doors\nstart: 2026-05-04T10:00\n---\n", diags);
	g_autoptr(EvfEvent) back = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	g_assert_nonnull(ev);
	g_date_time_unref(ev->end);
	ev->end = g_date_time_ref(ev->start);
	text = evf_eventwrite_format(cfg, ev, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(text);
	g_assert_null(strstr(text, "end:"));
	back = parse(text, diags);
	g_assert_nonnull(back);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_true(g_date_time_equal(back->start, ev->start));
	g_assert_cmpint(g_date_time_difference(back->end, back->start), ==,
	                G_TIME_SPAN_HOUR);
}

/* A no-break space (Option-Space on a Mac, or pasted from a web page)
 * where an ordinary one goes is named where it breaks a file: after the
 * closing '---', before a key, after a date; at either end of a text it
 * is taken off, as ordinary spaces are (" b" was another category than
 * "b"). */
static void
test_error_no_break_spaces(void)
{
	g_autoptr(EvfEvent) ev = NULL;

	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "---\xc2\xa0\n"
	             "The body.\n",
	             4, 1,
	             "front matter is not closed: the line that closes it "
	             "is '---' alone, with nothing after it on its line; it "
	             "holds a no-break or other space (U+00A0)");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\n"
	             "\xc2\xa0location: Ljubljana\n"
	             "---\n",
	             4, 1,
	             "it holds a no-break or other space (U+00A0), which "
	             "looks like an ordinary one");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\xc2\xa0\n"
	             "---\n",
	             3, 8, "invalid date '2018-05-22\xc2\xa0' (expected");
	assert_error("---\n"
	             "title: Workshop\n"
	             "start: 2018-05-22\xe2\x80\x8b\n"
	             "---\n",
	             3, 8, "it holds an invisible character (U+200B)");
	ev = parse_ok("---\n"
	              "title: \xc2\xa0Workshop\xe3\x80\x80\n"
	              "start: 2018-05-22\n"
	              "categories: [a,\xc2\xa0"
	              "b\xc2\xa0, \xe2\x80\x8b"
	              "c]\n"
	              "---\n");
	g_assert_cmpstr(ev->title, ==, "Workshop");
	g_assert_cmpuint(ev->categories->len, ==, 3);
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 1), ==, "b");
	g_assert_cmpstr(g_ptr_array_index(ev->categories, 2), ==, "c");
}

/* A start in a zone's local mean time, whose offset from UTC has seconds
 * (St John's until 1935: 3:30:52 behind), is written in UTC in the feeds'
 * W3C-DTF, which has no seconds in an offset: the same instant as the
 * calendar's DTSTART, not 52 seconds off. */
static void
test_w3c_offset_seconds(void)
{
	g_autoptr(EvfEvent) ev = parse_ok("---\n"
	                                  "title: Old\n"
	                                  "start: 1900-06-01T10:00\n"
	                                  "timezone: America/St_Johns\n"
	                                  "---\n");
	g_autoptr(EvfEvent) now = parse_ok("---\n"
	                                   "title: New\n"
	                                   "start: 2020-06-01T10:00\n"
	                                   "timezone: America/St_Johns\n"
	                                   "---\n");
	g_autofree char *a = evf_event_w3c_start(ev);
	g_autofree char *b = evf_event_w3c_end(ev);
	g_autofree char *c = evf_event_w3c_start(now);

	g_assert_cmpstr(a, ==, "1900-06-01T13:30:52Z");
	g_assert_cmpstr(b, ==, "1900-06-01T14:30:52Z");
	g_assert_cmpstr(c, ==, "2020-06-01T10:00:00-02:30");
}

int
main(int argc, char **argv)
{
	int status;

	g_test_init(&argc, &argv, NULL);
	/* A failed check fails its test only, and the others still run. */
	g_test_set_nonfatal_assertions();
	cfg = make_config();

	g_test_add_func("/eventfile/valid/full-event", test_valid_full_event);
	g_test_add_func("/eventfile/valid/minimal", test_valid_minimal);
	g_test_add_func("/eventfile/geo/forms", test_geo_forms);
	g_test_add_func("/eventfile/valid/block-lists", test_valid_block_lists);
	g_test_add_func("/eventfile/valid/many-categories",
	                test_valid_many_categories);
	g_test_add_func("/eventfile/categories/too-many",
	                test_categories_too_many);

	g_test_add_func("/eventfile/dates/all-day-end-exclusive",
	                test_dates_all_day_end_exclusive);
	g_test_add_func("/eventfile/dates/all-day-one-day",
	                test_dates_all_day_one_day);
	g_test_add_func("/eventfile/dates/all-day-across-new-year",
	                test_dates_all_day_across_new_year);
	g_test_add_func("/eventfile/dates/timed-default-end",
	                test_dates_timed_default_end);
	g_test_add_func("/eventfile/dates/timed-seconds-and-space",
	                test_dates_timed_seconds_and_space);
	g_test_add_func("/eventfile/dates/timezone-key",
	                test_dates_timezone_key);
	g_test_add_func("/eventfile/dates/set-back", test_dates_set_back);
	g_test_add_func("/eventfile/email-forms", test_email_forms);
	g_test_add_func("/eventfile/dates/fall-back-twice",
	                test_dates_fall_back);
	g_test_add_func("/eventfile/dates/timezone-utc",
	                test_dates_timezone_utc);
	g_test_add_func("/eventfile/text/plain-text-tags",
	                test_plain_text_tags);
	g_test_add_func("/eventfile/text/url-iri", test_url_iri);
	g_test_add_func("/eventfile/text/url-host-case", test_url_host_case);
	g_test_add_func("/eventfile/text/url-invisible", test_url_invisible);
	g_test_add_func("/eventfile/dates/all-day-zone",
	                test_dates_all_day_zone);
	g_test_add_func("/eventfile/dates/offset-zone", test_dates_offset_zone);
	g_test_add_func("/eventfile/dates/utc-z", test_dates_utc_z);
	g_test_add_func("/eventfile/dates/utc-offset", test_dates_utc_offset);
	g_test_add_func("/eventfile/dates/utc-offset-shown",
	                test_dates_utc_offset_shown);
	g_test_add_func("/eventfile/date/offset-out-of-use",
	                test_error_offset_out_of_use);
	g_test_add_func("/eventfile/dates/tba", test_dates_tba);
	g_test_add_func("/eventfile/dates/dst-overlap-accepted",
	                test_dates_dst_overlap_accepted);

	g_test_add_func("/eventfile/format/crlf-and-bom",
	                test_format_crlf_and_bom);
	g_test_add_func("/eventfile/format/cr-only", test_format_cr_only);
	g_test_add_func("/eventfile/format/crlf-positions",
	                test_format_crlf_positions);
	g_test_add_func("/eventfile/format/bom-positions",
	                test_format_bom_positions);
	g_test_add_func("/eventfile/format/body-opens-with-code",
	                test_format_body_opens_with_code);
	g_test_add_func("/eventfile/format/dots-close", test_format_dots_close);
	g_test_add_func("/eventfile/format/comments-and-quotes",
	                test_format_comments_and_quotes);
	g_test_add_func("/eventfile/format/encoded-twice",
	                test_format_encoded_twice);
	g_test_add_func("/eventfile/format/escaped-controls",
	                test_format_escaped_controls);
	g_test_add_func("/eventfile/format/raw-controls",
	                test_format_raw_controls);
	g_test_add_func("/eventfile/format/title-one-line",
	                test_format_title_one_line);

	g_test_add_func("/eventfile/date/bad-month", test_error_bad_month);
	g_test_add_func("/eventfile/date/february-30", test_error_february_30);
	g_test_add_func("/eventfile/date/february-29",
	                test_error_february_29_leap);
	g_test_add_func("/eventfile/date/hour-25", test_error_hour_25);
	g_test_add_func("/eventfile/date/minute-60", test_error_minute_60);
	g_test_add_func("/eventfile/date/not-a-date", test_error_not_a_date);
	g_test_add_func("/eventfile/date/end-before-start",
	                test_error_end_before_start);
	g_test_add_func("/eventfile/date/end-not-after-start",
	                test_error_end_not_after_start);
	g_test_add_func("/eventfile/date/end-kind-differs",
	                test_error_end_kind_differs);
	g_test_add_func("/eventfile/date/end-with-tba",
	                test_error_end_with_tba);
	g_test_add_func("/eventfile/date/unknown-zone",
	                test_error_unknown_zone);
	g_test_add_func("/eventfile/date/all-at-once",
	                test_error_dates_all_at_once);
	g_test_add_func("/eventfile/syntax/flow-left-open",
	                test_error_flow_left_open);
	g_test_add_func("/eventfile/syntax/position-after-yaml-breaks",
	                test_error_position_after_yaml_breaks);
	g_test_add_func("/eventfile/date/zone-offset-refused",
	                test_error_zone_offset_refused);
	g_test_add_func("/eventfile/zone-names", test_zone_names);
	g_test_add_func("/eventfile/zone-etc-sign", test_zone_etc_sign);
	g_test_add_func("/eventfile/text-nfc", test_text_nfc);
	g_test_add_func("/eventfile/date/dst-gap", test_error_dst_gap);
	g_test_add_func("/eventfile/description/too-deep",
	                test_error_description_too_deep);
	g_test_add_func("/eventfile/recurrence/irregular-zone",
	                test_error_series_irregular_zone);
	g_test_add_func("/eventfile/date/published-future",
	                test_error_published_future);

	g_test_add_func("/eventfile/keys/missing-title",
	                test_error_missing_title);
	g_test_add_func("/eventfile/keys/missing-start",
	                test_error_missing_start);
	g_test_add_func("/eventfile/keys/empty-title", test_error_empty_title);
	g_test_add_func("/eventfile/keys/title-is-list",
	                test_error_title_is_list);
	g_test_add_func("/eventfile/keys/title-is-mapping",
	                test_error_title_is_mapping);
	g_test_add_func("/eventfile/keys/unknown-status",
	                test_error_unknown_status);
	g_test_add_func("/eventfile/keys/unknown-key", test_error_unknown_key);
	g_test_add_func("/eventfile/keys/duplicate-key",
	                test_error_duplicate_key);
	g_test_add_func("/eventfile/keys/bad-values", test_error_bad_values);

	g_test_add_func("/eventfile/limits/markdown-caps",
	                test_error_markdown_caps);
	g_test_add_func("/eventfile/error/description-after-front-matter",
	                test_error_description_after_front_matter);
	g_test_add_func("/eventfile/rrule/invalid", test_error_bad_rrule);
	g_test_add_func("/eventfile/rrule/mistakes", test_error_rrule_mistakes);
	g_test_add_func("/eventfile/rrule/until-invalid",
	                test_error_rrule_until_invalid);
	g_test_add_func("/eventfile/rrule/all-day-by-hours",
	                test_error_rrule_all_day_by_hours);
	g_test_add_func("/eventfile/rrule/never-occurs",
	                test_error_rrule_never_occurs);
	g_test_add_func("/eventfile/errors/blank-text", test_error_blank_text);
	g_test_add_func("/eventfile/errors/bad-escape", test_error_bad_escape);
	g_test_add_func("/eventfile/w3c/offset-seconds",
	                test_w3c_offset_seconds);
	g_test_add_func("/eventfile/errors/no-break-spaces",
	                test_error_no_break_spaces);
	g_test_add_func("/eventfile/errors/delimiter-with-text",
	                test_error_delimiter_with_text);
	g_test_add_func("/eventfile/rrule/in-words", test_repeats_in_words);
	g_test_add_func("/eventfile/rrule/several-a-day",
	                test_rrule_several_a_day);
	g_test_add_func("/eventfile/error/characters-all-at-once",
	                test_error_characters_all_at_once);
	g_test_add_func("/eventfile/rrule/meets-change",
	                test_error_rrule_meets_change);
	g_test_add_func("/eventfile/rrule/end-meets-change",
	                test_error_rrule_end_meets_change);
	g_test_add_func("/eventfile/rrule/spans-change",
	                test_error_rrule_spans_change);
	g_test_add_func("/eventfile/tz/changes-at", test_tz_changes_at);
	g_test_add_func("/eventfile/repeats/last-kept", test_repeats_last_kept);
	g_test_add_func("/eventfile/tz/changes-in-kept",
	                test_tz_changes_in_kept);
	g_test_add_func("/eventfile/tz/changes-in-new-data",
	                test_tz_changes_in_new_data);
	g_test_add_func("/eventfile/write/clocks-go-back",
	                test_write_clocks_go_back);
	g_test_add_func("/eventfile/write/ends-at-start",
	                test_write_ends_at_start);
	g_test_add_func("/eventfile/write/emoji", test_write_emoji);
	g_test_add_func("/eventfile/rrule/one-date", test_error_rrule_one_date);
	g_test_add_func("/eventfile/tz/outlook-series", test_tz_outlook_series);
	g_test_add_func("/eventfile/tz/unfaithful-years",
	                test_tz_unfaithful_years);
	g_test_add_func("/eventfile/tz/misread", test_tz_misread);
	g_test_add_func("/eventfile/rrule/clients-differ",
	                test_error_rrule_clients_differ);
	g_test_add_func("/eventfile/rrule/hourly-spins-refused",
	                test_error_rrule_hourly_spins);
	g_test_add_func("/eventfile/rrule/secondly-refused",
	                test_error_rrule_secondly);
	g_test_add_func("/eventfile/rrule/until", test_error_rrule_until);
	g_test_add_func("/eventfile/rrule/count-cap",
	                test_error_rrule_count_cap);
	g_test_add_func("/eventfile/rrule/with-tba", test_error_rrule_with_tba);
	g_test_add_func("/eventfile/rrule/offset-start",
	                test_series_offset_start);
	g_test_add_func("/eventfile/rrule/node-ical-horizon",
	                test_series_node_ical_horizon);
	g_test_add_func("/eventfile/rrule/offset-day", test_series_offset_day);

	g_test_add_func("/eventfile/syntax/tab-indentation",
	                test_error_tab_indentation);
	g_test_add_func("/eventfile/syntax/unclosed-quote",
	                test_error_unclosed_quote);
	g_test_add_func("/eventfile/syntax/yaml-error", test_error_yaml_syntax);
	g_test_add_func("/eventfile/syntax/comment-cut", test_comment_cut);
	g_test_add_func("/eventfile/dates/year-in-utc", test_error_year_in_utc);
	g_test_add_func("/eventfile/syntax/key-not-found",
	                test_error_key_not_found);
	g_test_add_func("/eventfile/syntax/editing-mistakes",
	                test_editing_mistakes);
	g_test_add_func("/eventfile/syntax/description-bom-line",
	                test_description_bom_line);
	g_test_add_func("/eventfile/syntax/description-bom-lines",
	                test_description_bom_lines);
	g_test_add_func("/eventfile/syntax/description-footnotes-told",
	                test_description_footnotes_told);
	g_test_add_func("/eventfile/syntax/description-html-told",
	                test_description_html_told);
	g_test_add_func("/eventfile/syntax/yaml-hints", test_error_yaml_hints);
	g_test_add_func("/eventfile/syntax/errors-before-syntax-error",
	                test_error_before_syntax_error);
	g_test_add_func("/eventfile/syntax/directive", test_error_directive);
	g_test_add_func("/eventfile/syntax/key-advice", test_error_key_advice);
	g_test_add_func("/eventfile/warn/categories-commas",
	                test_warn_categories_commas);
	g_test_add_func("/eventfile/warn-list-typed", test_warn_list_typed);
	g_test_add_func("/eventfile/dates/when-repeated-hour",
	                test_dates_when_repeated_hour);
	g_test_add_func("/eventfile/dates/end-without-offset",
	                test_dates_end_without_offset);
	g_test_add_func("/eventfile/syntax/date-advice",
	                test_error_date_advice);
	g_test_add_func("/eventfile/syntax/null-word", test_error_null_word);
	g_test_add_func("/eventfile/syntax/list-item-colon",
	                test_error_list_item_colon);
	g_test_add_func("/eventfile/syntax/typography", test_error_typography);
	g_test_add_func("/eventfile/syntax/front-matter-and-description",
	                test_error_front_matter_and_description);
	g_test_add_func("/eventfile/syntax/email-mailto",
	                test_error_email_mailto);
	g_test_add_func("/eventfile/syntax/zone-advice",
	                test_error_zone_advice);
	g_test_add_func("/eventfile/syntax/value-advice",
	                test_error_value_advice);
	g_test_add_func("/eventfile/syntax/invalid-utf8",
	                test_error_invalid_utf8);
	g_test_add_func("/eventfile/syntax/utf16", test_error_utf16);
	g_test_add_func("/eventfile/syntax/invalid-utf8-body",
	                test_error_invalid_utf8_body);
	g_test_add_func("/eventfile/syntax/invalid-utf8-cr-only",
	                test_error_invalid_utf8_cr_only);
	g_test_add_func("/eventfile/syntax/encoding-every-line",
	                test_error_encoding_every_line);
	g_test_add_func("/eventfile/syntax/replacement-character",
	                test_error_replacement_character);
	g_test_add_func("/eventfile/syntax/nul-byte", test_error_nul_byte);
	g_test_add_func("/eventfile/syntax/escaped-nul",
	                test_error_escaped_nul);
	g_test_add_func("/eventfile/syntax/no-closing-marker",
	                test_error_no_closing_marker);
	g_test_add_func("/eventfile/syntax/no-front-matter",
	                test_error_no_front_matter);
	g_test_add_func("/eventfile/syntax/empty-file", test_error_empty_file);
	g_test_add_func("/eventfile/syntax/not-a-mapping",
	                test_error_front_matter_not_mapping);
	g_test_add_func("/eventfile/syntax/anchor-refused", test_error_anchor);
	g_test_add_func("/eventfile/syntax/alias-refused", test_error_alias);
	g_test_add_func("/eventfile/syntax/alias-bomb", test_error_alias_bomb);
	g_test_add_func("/eventfile/syntax/refused-all-at-once",
	                test_error_refused_all_at_once);
	g_test_add_func("/eventfile/syntax/tags", test_error_tags);
	g_test_add_func("/eventfile/syntax/several-errors",
	                test_error_several_reported);

	g_test_add_func("/eventfile/limits/nesting-too-deep",
	                test_error_nesting_too_deep);
	g_test_add_func("/eventfile/limits/nesting-16-allowed",
	                test_error_nesting_16_allowed);
	g_test_add_func("/eventfile/limits/nesting-hostile",
	                test_error_nesting_hostile);
	g_test_add_func("/eventfile/limits/too-many-nodes",
	                test_error_too_many_nodes);
	g_test_add_func("/eventfile/limits/many-nodes-allowed",
	                test_error_many_nodes_allowed);
	g_test_add_func("/eventfile/limits/front-matter-too-large",
	                test_error_front_matter_too_large);
	g_test_add_func("/eventfile/limits/body-too-large",
	                test_error_body_too_large);

	g_test_add_func("/eventfile/identity/default-uid", test_uid_default);
	g_test_add_func("/eventfile/identity/default-uid-nfc",
	                test_uid_default_nfc);
	g_test_add_func("/eventfile/identity/fingerprint-title-change",
	                test_fingerprint_title_change);
	g_test_add_func("/eventfile/identity/fingerprint-formatting-only",
	                test_fingerprint_formatting_only);
	g_test_add_func("/eventfile/identity/fingerprint-markdown-spacing",
	                test_fingerprint_markdown_spacing);

	status = g_test_run();
	evf_config_free(cfg);
	return status;
}
