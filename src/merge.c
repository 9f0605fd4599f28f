/*
 * merge.c: see merge.h.
 */
#include "autoconf.h"
#include "merge.h"

#include "event.h"
#include "import.h"
#include "render.h"
#include "tz.h"
#include "util.h"

#include <string.h>

/* Appends to @s the letters and digits of @text, an ASCII string, in
 * lower case, a space between words; *space: a word ended before. */
static void
append_ascii(GString *s, const char *text, gboolean *space)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p)) {
			if (*space && s->len > 0)
				g_string_append_c(s, ' ');
			g_string_append_c(s, g_ascii_tolower(*p));
			*space = FALSE;
		} else {
			*space = TRUE;
		}
	}
}

char *
evf_merge_normalize_title(const char *title)
{
	/* Decomposed, so that a letter and its accents are apart. */
	g_autofree char *nfkd = g_utf8_normalize(title, -1, G_NORMALIZE_ALL);
	GString *s = g_string_new(NULL);
	gboolean space = FALSE;

	if (nfkd == NULL) {
		/* Not UTF-8: its ASCII only. */
		g_autofree char *ascii = g_str_to_ascii(title, "C");

		append_ascii(s, ascii, &space);
		return g_string_free(s, FALSE);
	}
	for (const char *p = nfkd; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		char one[8];
		g_autofree char *ascii = NULL;

		if ((guchar)*p < 0x80) {
			one[0] = *p;
			one[1] = '\0';
			append_ascii(s, one, &space);
			continue;
		}
		/* An accent: the letter before it is enough. */
		if (g_unichar_ismark(c))
			continue;
		if (!g_unichar_isalnum(c)) {
			space = TRUE;
			continue;
		}
		one[g_unichar_to_utf8(c, one)] = '\0';
		ascii = g_str_to_ascii(one, "C");
		if (strchr(ascii, '?') == NULL) {
			append_ascii(s, ascii, &space);
			continue;
		}
		/* No ASCII for it (Cyrillic, Greek, CJK…): the letter itself,
		 * case-folded, so that titles in those scripts keep their
		 * words. */
		if (space && s->len > 0)
			g_string_append_c(s, ' ');
		{
			g_autofree char *folded = g_utf8_casefold(one, -1);

			g_string_append(s, folded);
		}
		space = FALSE;
	}
	return g_string_free(s, FALSE);
}

static gint
word_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* (transfer full): the distinct words of @title, sorted. */
static GStrv
title_words(const char *title)
{
	GStrv w = g_strsplit(title, " ", -1);
	guint n = 0, len = 0;

	for (guint i = 0; w[i] != NULL; i++) {
		if (w[i][0] == '\0')
			g_free(w[i]);
		else
			w[len++] = w[i];
	}
	g_qsort_with_data(w, (gint)len, sizeof *w, word_cmp, NULL);
	for (guint i = 0; i < len; i++) {
		if (n > 0 && strcmp(w[i], w[n - 1]) == 0)
			g_free(w[i]);
		else
			w[n++] = w[i];
	}
	w[n] = NULL;
	return w;
}

/* How many words two sets of words (title_words) share. */
static guint
words_shared(char *const *a, char *const *b)
{
	guint i = 0, j = 0, common = 0;

	while (a[i] != NULL && b[j] != NULL) {
		int c = strcmp(a[i], b[j]);

		common += c == 0;
		i += c <= 0;
		j += c >= 0;
	}
	return common;
}

/* Jaccard similarity of two sets of words (title_words) at least 3/4:
 * with the same start day, a word or two rephrased is the same event. */
static gboolean
words_match(char *const *a, char *const *b)
{
	guint common = words_shared(a, b);
	guint all = g_strv_length((GStrv)a) + g_strv_length((GStrv)b) - common;

	return all > 0 && common * 4 >= all * 3;
}

gboolean
evf_merge_titles_match(const char *a, const char *b)
{
	g_auto(GStrv) wa = NULL;
	g_auto(GStrv) wb = NULL;

	if (strcmp(a, b) == 0)
		return a[0] != '\0';
	wa = title_words(a);
	wb = title_words(b);
	return words_match(wa, wb);
}

/* The day an event starts where it is held, as a Julian day; 0 for tba:
 * a timed event's day in its own zone, or in the site's when its time was
 * given in UTC, since an all-day listing of the same event names the day
 * on the calendar of the place it is held in. */
static guint32
start_day(const EvfEvent *ev, GTimeZone *site)
{
	g_autoptr(GDateTime) here = NULL;
	GDateTime *t = ev->start;
	GDate d;

	if (ev->tba)
		return 0;
	if (ev->all_day)
		return g_date_get_julian(&ev->start_date);
	if (ev->tzid == NULL && site != NULL)
		t = here = g_date_time_to_timezone(ev->start, site);
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, g_date_time_get_day_of_month(t),
	               g_date_time_get_month(t), g_date_time_get_year(t));
	return g_date_get_julian(&d);
}

/* Whether @s is a language tag as sites name their folders ("en", "sl",
 * "pt-br", "zh_Hans", "es-419"): a language of ISO 639-1, and perhaps its
 * script or region; not a short event page ("cfp", "wb-summit"). */
static gboolean
language_tag(const char *s)
{
	gsize n = strlen(s);
	char primary[3] = { g_ascii_tolower(s[0]), 0, 0 };
	gboolean letters = TRUE, digits = TRUE;

	/* two letters, then perhaps '-' or '_' and a script (four
	 * letters), a region (two letters) or an area (three digits) */
	if ((n != 2 && n != 5 && n != 6 && n != 7) || !g_ascii_isalpha(s[0]) ||
	    !g_ascii_isalpha(s[1]))
		return FALSE;
	if (n > 2 && s[2] != '-' && s[2] != '_')
		return FALSE;
	for (gsize i = 3; i < n; i++) {
		letters &= g_ascii_isalpha(s[i]);
		digits &= g_ascii_isdigit(s[i]);
	}
	if (n > 2 && !(letters && n != 6) && !(digits && n == 6))
		return FALSE;
	primary[1] = g_ascii_tolower(s[1]);
	return evf_config_language_code(primary);
}

/* Whether @s is the name of a folder's index page. */
static gboolean
index_page(const char *s)
{
	static const char *const names[] = {
		"index.html", "index.htm",    "index.php", "index.aspx",
		"index.asp",  "default.aspx", "home",
	};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_ascii_strcasecmp(s, names[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Whether @path (without the slashes at its ends) is a site's home page in
 * a language, which names no one event any more than the site's home page
 * does: a language tag, with or without an index page after it
 * ("en/index.html"), or an index page alone. */
static gboolean
home_in_a_language(const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	guint n = g_strv_length(parts);

	if (n == 1)
		return language_tag(parts[0]) || index_page(parts[0]);
	return n == 2 && language_tag(parts[0]) && index_page(parts[1]);
}

/* (transfer full) (nullable): a URL for comparison: no scheme, no "www.",
 * no trailing slash, host in lower case. Its fragment stays: a programme's
 * "#cybercrime" and "#borders" are two sessions of one page. NULL for a
 * site's home page, in any language ("/en/", home_in_a_language): an
 * organisation links it from any of its events, so it names none of
 * them. */
static char *
page_url(const char *url)
{
	g_autoptr(GUri) uri = NULL;
	g_autofree char *host = NULL;
	const char *h, *path, *query, *fragment;
	GString *s;

	if (url == NULL)
		return NULL;
	uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);
	if (uri == NULL || g_uri_get_host(uri) == NULL)
		return NULL;
	host = g_ascii_strdown(g_uri_get_host(uri), -1);
	h = g_str_has_prefix(host, "www.") ? host + 4 : host;
	path = g_uri_get_path(uri);
	query = g_uri_get_query(uri);
	fragment = g_uri_get_fragment(uri);
	if (fragment != NULL && fragment[0] == '\0')
		fragment = NULL;
	s = g_string_new(h);
	g_string_append(s, path);
	while (s->len > strlen(h) && s->str[s->len - 1] == '/')
		g_string_truncate(s, s->len - 1);
	if (query == NULL && fragment == NULL &&
	    (s->len == strlen(h) ||
	     home_in_a_language(s->str + strlen(h) + 1))) {
		g_string_free(s, TRUE);
		return NULL;
	}
	if (query != NULL)
		g_string_append_printf(s, "?%s", query);
	if (fragment != NULL)
		g_string_append_printf(s, "#%s", fragment);
	return g_string_free(s, FALSE);
}

/* Adds to @shared the page URLs (page_url) that more than one of @events,
 * the items of one source, link to: a listing page ("our events") rather
 * than any one event's page, so that it tells nothing about which event an
 * item is. */
static void
note_shared_urls(GPtrArray *events, GHashTable *shared)
{
	g_autoptr(GHashTable) seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; events != NULL && i < events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(events, i);
		g_autofree char *url = page_url(ev->url);

		if (url == NULL)
			continue;
		if (g_hash_table_contains(seen, url))
			g_hash_table_add(shared, g_steal_pointer(&url));
		else
			g_hash_table_add(seen, g_steal_pointer(&url));
	}
}

typedef struct Entry {
	EvfEvent *ev;
	const char *source; /* its [source NAME], borrowed; NULL: local */
	char *title;        /* normalised */
	char *url;    /* page_url, when it is this event's alone; nullable */
	guint32 day;  /* start_day */
	gboolean own; /* ev is this merge's copy of a local event */
	guint pos;    /* in the order of the merge: earlier entries win */
	GStrv words;  /* title_words of the title */
	/* (nullable) of the title with each hyphen inside a word left out
	 * ("Counter-Terrorism" as "Counterterrorism"), when it has one */
	GStrv joined_words;
	GStrv place; /* title_words of the location; NULL: none */
	/* the entry this one, a partner's item, was joined to: this one
	 * stays in the index for it, so that a third listing that is the
	 * same as this one is joined to it too */
	struct Entry *joined;
	/* (nullable) the entries joined to this one, borrowed, in the order
	 * they were */
	GPtrArray *group;
	/* its UID as its source gave it (label may change the event's) */
	char *uid;
	/* its own UID, before EvfMergeIds give it another: a local file's,
	 * a partner item's as label() gave it; NULL: the event's */
	char *key;
} Entry;

/* (transfer full) (nullable): the title_words of @title (as written) with
 * each hyphen between two letters or digits left out, a compound written
 * as one word ("Cyber-crime", "Counter-Terrorism"), which editors and
 * organisations spell both ways; NULL when it has none. */
static GStrv
compound_words(const char *title)
{
	static const char *const hyphens[] = { "-", "\u2010", "\u2011" };
	GString *s;
	g_autofree char *normal = NULL;
	gboolean any = FALSE;

	/* (most titles have no hyphen at all) */
	if (title == NULL ||
	    (strchr(title, '-') == NULL && strstr(title, "\u2010") == NULL &&
	     strstr(title, "\u2011") == NULL))
		return NULL;
	s = g_string_new(NULL);
	for (const char *p = title; *p != '\0';) {
		const char *next = g_utf8_next_char(p);
		gboolean hyphen = FALSE;

		for (guint i = 0; i < G_N_ELEMENTS(hyphens); i++)
			hyphen |=
			    strncmp(p, hyphens[i], strlen(hyphens[i])) == 0;
		if (hyphen && s->len > 0 && *next != '\0' &&
		    g_unichar_isalnum(
		        g_utf8_get_char(g_utf8_prev_char(s->str + s->len))) &&
		    g_unichar_isalnum(g_utf8_get_char(next))) {
			any = TRUE;
			p = next;
			continue;
		}
		g_string_append_len(s, p, next - p);
		p = next;
	}
	if (!any) {
		g_string_free(s, TRUE);
		return NULL;
	}
	normal = evf_merge_normalize_title(s->str);
	g_string_free(s, TRUE);
	return title_words(normal);
}

/* (transfer full): the entry of @ev, listed by @source (nullable: the
 * site's own), whose URL counts unless it is one of @shared. */
static Entry *
entry_new(EvfEvent *ev, const char *source, GHashTable *shared, GTimeZone *site)
{
	Entry *e = g_new0(Entry, 1);

	e->ev = ev;
	e->source = source;
	e->title = evf_merge_normalize_title(ev->title);
	e->words = title_words(e->title);
	e->joined_words = compound_words(ev->title);
	if (ev->location != NULL && ev->location[0] != '\0') {
		g_autofree char *place =
		    evf_merge_normalize_title(ev->location);

		e->place = title_words(place);
	}
	e->url = page_url(ev->url);
	if (e->url != NULL && g_hash_table_contains(shared, e->url))
		g_clear_pointer(&e->url, g_free);
	e->day = start_day(ev, site);
	e->uid = g_strdup(ev->uid);
	return e;
}

static void
entry_free(gpointer p)
{
	Entry *e = p;

	if (e->own)
		evf_event_unref(e->ev);
	g_free(e->title);
	g_free(e->url);
	g_strfreev(e->words);
	g_strfreev(e->joined_words);
	g_strfreev(e->place);
	if (e->group != NULL)
		g_ptr_array_unref(e->group);
	g_free(e->uid);
	g_free(e->key);
	g_free(e);
}

/* The entries kept so far, and what finds the first one that is the same
 * event as a candidate without comparing it with every entry: the same
 * URL; for an undated local listing, the same title; else the same start
 * day and near-identical titles. */
typedef struct {
	GPtrArray *entries;       /* of Entry, owned, in order */
	GHashTable *by_url;       /* URL → Entries with it, in order */
	GHashTable *tba_by_title; /* title → undated local Entries, in order */
	GHashTable *by_day;       /* start day → dated Entries, in order */
	GHashTable *by_uid; /* UID as given → Entries with it, in order */
	GPtrArray *joined;  /* of Entry, owned: items joined to others */
} Index;

static void
index_init(Index *x)
{
	x->entries = g_ptr_array_new_with_free_func(entry_free);
	x->joined = g_ptr_array_new_with_free_func(entry_free);
	x->by_url = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                  (GDestroyNotify)g_ptr_array_unref);
	x->tba_by_title = g_hash_table_new_full(
	    g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
	x->by_day = g_hash_table_new_full(NULL, NULL, NULL,
	                                  (GDestroyNotify)g_ptr_array_unref);
	x->by_uid = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                  (GDestroyNotify)g_ptr_array_unref);
}

static void
index_clear(Index *x)
{
	g_hash_table_unref(x->by_url);
	g_hash_table_unref(x->tba_by_title);
	g_hash_table_unref(x->by_day);
	g_hash_table_unref(x->by_uid);
	g_ptr_array_unref(x->joined);
	g_ptr_array_unref(x->entries);
}

/* Adds @e to the list of @table under @key, in the order of pos. */
static void
index_list_add(GHashTable *table, gpointer key, Entry *e)
{
	GPtrArray *list = g_hash_table_lookup(table, key);
	guint at;

	if (list == NULL) {
		list = g_ptr_array_new();
		g_hash_table_insert(table, key, list);
	}
	for (at = list->len;
	     at > 0 && ((Entry *)g_ptr_array_index(list, at - 1))->pos > e->pos;
	     at--)
		;
	g_ptr_array_insert(list, (gint)at, e);
}

static gboolean
undated_local(const Entry *e)
{
	return e->source == NULL && e->ev->tba;
}

/* Files @e under its start day or its title (see Index). */
static void
index_file(Index *x, Entry *e)
{
	if (undated_local(e)) {
		if (e->title[0] != '\0')
			index_list_add(x->tba_by_title, e->title, e);
	} else if (e->day != 0) {
		index_list_add(x->by_day, GUINT_TO_POINTER(e->day), e);
	}
}

static void
index_add(Index *x, Entry *e)
{
	e->pos = x->entries->len;
	g_ptr_array_add(x->entries, e);
	if (e->url != NULL)
		index_list_add(x->by_url, e->url, e);
	index_list_add(x->by_uid, e->uid, e);
	index_file(x, e);
}

/* @e is joined to @winner, and one of its listings. */
static void
group_add(Entry *winner, Entry *e)
{
	e->joined = winner;
	if (winner->group == NULL)
		winner->group = g_ptr_array_new();
	g_ptr_array_add(winner->group, e);
}

/* @cand, a partner's item, was joined to @winner: it stays in the index
 * in @winner's place, by its own URL, day and title. */
static void
index_join(Index *x, Entry *cand, Entry *winner)
{
	group_add(winner, cand);
	cand->pos = winner->pos;
	g_ptr_array_add(x->joined, cand);
	if (cand->url != NULL)
		index_list_add(x->by_url, cand->url, cand);
	index_list_add(x->by_uid, cand->uid, cand);
	index_file(x, cand);
}

/* An undated local listing that took a partner's dates is filed anew. */
static void
index_dated(Index *x, Entry *e)
{
	GPtrArray *list = g_hash_table_lookup(x->tba_by_title, e->title);

	if (list != NULL)
		g_ptr_array_remove(list, e);
	index_file(x, e);
}

static gboolean
contains(GPtrArray *list, const char *s)
{
	return g_ptr_array_find_with_equal_func(list, s, g_str_equal, NULL);
}

/* Whether @cand may be joined to @e at all. A source's items are distinct
 * events (each has its own UID, and a UID repeated within one source is
 * one item by then), so an item is never joined to another of its own
 * source, directly or through an entry that already took one of them. */
static gboolean
joinable(const Entry *e, const Entry *cand)
{
	return g_strcmp0(e->source, cand->source) != 0 &&
	       !contains(e->ev->also_listed, cand->source);
}

/* Whether the dates of @a and @b allow them to be one event: both all-day
 * and starting on the same day; both timed and starting at most an hour
 * apart, as instants, whatever zones they are written in (a partner may
 * round a time, or be off by a daylight saving hour); one of each and the
 * timed one starting on the all-day one's first day. An undated item has
 * no date to disagree with. */
static gboolean
same_when(const Entry *a, const Entry *b)
{
	if (a->ev->tba || b->ev->tba)
		return TRUE;
	if (!a->ev->all_day && !b->ev->all_day)
		return ABS(g_date_time_difference(
		           a->ev->start, b->ev->start)) <= G_TIME_SPAN_HOUR;
	return a->day == b->day;
}

/* Whether the places of @a and @b allow them to be one event, when a
 * title is of one or two words, which many events share ("Webinar",
 * "Board meeting"): one without a place, or the words of one all in the
 * other's ("Ljubljana" and "Ljubljana, Slovenia"). Two "Webinar"s at one
 * hour, in Sarajevo and in Skopje, or at "Ministry of Justice,
 * Belgrade" and "Ministry of Justice, Skopje", are two events; a longer
 * title is one event's, whatever language its place is named in. */
static gboolean
same_place(const Entry *a, const Entry *b)
{
	guint shared;

	if (g_strv_length(a->words) > 2 && g_strv_length(b->words) > 2)
		return TRUE;
	if (a->place == NULL || b->place == NULL)
		return TRUE;
	shared = words_shared(a->place, b->place);
	return shared == g_strv_length(a->place) ||
	       shared == g_strv_length(b->place);
}

/* Whether @uid reads as meant to be unique beyond its source: RFC 5545's
 * "unique@host" form, or a URI (urn:uuid:…, tag:…, an address). An RSS
 * guid need only be unique in its feed, and many are numbers. */
static gboolean
global_uid(const char *uid)
{
	return strchr(uid, '@') != NULL || strchr(uid, ':') != NULL;
}

/* same_when(), of two dated listings of a UID meant to be global, or of a
 * bare UUID, as RFC 7986 §5.3 advises and Apple Calendar, Nextcloud and
 * Thunderbird write (unique as it is, though published in its source's
 * namespace as before: labelled_uid): an undated item of a UID another
 * listing has, or one of a UID such as "42", may be another event its
 * source numbers alike. */
static gboolean
same_when_dated(const Entry *a, const Entry *b)
{
	return !a->ev->tba && !b->ev->tba &&
	       (global_uid(a->uid) || g_uuid_string_is_valid(a->uid)) &&
	       same_when(a, b);
}

/* Whether @a and @b link to two parts of one page (two anchors): two
 * sessions of one programme, whatever their titles. */
static gboolean
two_parts_of_a_page(const Entry *a, const Entry *b)
{
	const char *x, *y;

	if (a->url == NULL || b->url == NULL || strcmp(a->url, b->url) == 0)
		return FALSE;
	x = strchr(a->url, '#');
	y = strchr(b->url, '#');
	return x != NULL && y != NULL && x - a->url == y - b->url &&
	       strncmp(a->url, b->url, (gsize)(x - a->url)) == 0;
}

static gboolean
same_when_and_title(const Entry *a, const Entry *b)
{
	if (!same_when(a, b) || !same_place(a, b))
		return FALSE;
	if (strcmp(a->title, b->title) == 0)
		return a->title[0] != '\0';
	/* (near-identical titles, "Panel 1" and "Panel 2") */
	if (two_parts_of_a_page(a, b))
		return FALSE;
	/* a compound written as one word or with a hyphen, in either */
	return words_match(a->words, b->words) ||
	       words_match(a->joined_words != NULL ? a->joined_words : a->words,
	                   b->joined_words != NULL ? b->joined_words
	                                           : b->words);
}

typedef gboolean (*SameFunc)(const Entry *, const Entry *);

/* How a listing is found the same event as another: by what it is filed
 * under (a UID, a page, a title) and @same; @by_title, by its title alone,
 * where the place of every listing joined counts (joins_through). */
typedef struct {
	SameFunc same;
	gboolean by_title;
} Match;

static const Match by_uid = { same_when_dated, FALSE };
static const Match by_page = { same_when, FALSE };
static const Match by_undated_title = { same_when, TRUE };
static const Match by_near_title = { same_when_and_title, TRUE };

/* Whether the place of @cand allows it to be the event of every listing
 * joined to @w (same_place). */
static gboolean
same_place_as_group(const Entry *w, const Entry *cand)
{
	for (guint i = 0; w->group != NULL && i < w->group->len; i++)
		if (!same_place(g_ptr_array_index(w->group, i), cand))
			return FALSE;
	return TRUE;
}

/* The entry @cand joins when @match says it is the same event as @e, an
 * entry of the index: @e's, or the one @e was joined to, whose place must
 * allow it too (a "Webinar" without a place joins Sarajevo's, and
 * Skopje's does not join them through it); NULL when it is not. Matched by
 * its title alone (an undated listing's, or a near-identical one on the
 * same day), @cand's place must allow that of every listing joined there
 * too: the site's "Webinar" without a place that took Sarajevo's does not
 * take Skopje's. (A UID or a page names one event, wherever a listing
 * puts it.) */
static Entry *
joins_through(Entry *e, const Entry *cand, const Match *match)
{
	Entry *w = e->joined != NULL ? e->joined : e;

	return joinable(w, cand) && joinable(e, cand) && match->same(e, cand) &&
	               same_place(w, cand) &&
	               (!match->by_title || same_place_as_group(w, cand))
	           ? w
	           : NULL;
}

/* The days on which an entry may start that is the same event as @cand,
 * from *@from to *@to: two timed items an hour apart may start on
 * neighbouring days (near midnight, or in zones far apart). */
static void
days_near(const Entry *cand, guint32 *from, guint32 *to)
{
	*from = cand->ev->all_day ? cand->day : cand->day - 1;
	*to = cand->ev->all_day ? cand->day : cand->day + 1;
}

/* The first entry of @list (nullable, in order) that comes before @best
 * (nullable) and that @cand may join and @match says is the same event (or
 * that an item joined to it is); else @best. */
static Entry *
first_in(GPtrArray *list, const Entry *cand, Entry *best, const Match *match)
{
	for (guint i = 0; list != NULL && i < list->len; i++) {
		Entry *e = g_ptr_array_index(list, i);
		Entry *w;

		if (best != NULL && e->pos >= best->pos)
			break;
		if ((w = joins_through(e, cand, match)) != NULL)
			return w;
	}
	return best;
}

/* The local series of which @cand, an occurrence of a partner's series
 * that evfeed expanded, is one: the partner's series has its UID (a
 * partner that lists the site's calendar again). All its occurrences
 * join it, though they are items of one source. */
static Entry *
local_series(Index *x, const Entry *cand)
{
	GPtrArray *list = cand->ev->series != NULL
	                      ? g_hash_table_lookup(x->by_uid, cand->ev->series)
	                      : NULL;

	for (guint i = 0; list != NULL && i < list->len; i++) {
		Entry *e = g_ptr_array_index(list, i);

		if (e->source == NULL && e->ev->rrule != NULL)
			return e;
	}
	return NULL;
}

/* The first entry that is the same event as @cand (a partner's item). */
static Entry *
index_find(Index *x, const Entry *cand)
{
	Entry *best = NULL;
	guint32 from, to;

	/* The same UID (RFC 5545 §3.8.4.7: one event's, wherever it is
	 * listed) and dates that agree; a UID another source gave an
	 * event of other dates is a clash, and label() namespaces it. */
	if ((best = local_series(x, cand)) != NULL)
		return best;
	best = first_in(g_hash_table_lookup(x->by_uid, cand->uid), cand, best,
	                &by_uid);
	if (best != NULL)
		return best;

	/* The same event page, and dates that agree. */
	if (cand->url != NULL)
		best = first_in(g_hash_table_lookup(x->by_url, cand->url), cand,
		                best, &by_page);
	/* An undated local listing and a partner's item of the same title:
	 * the partner announces what we list as "to be announced". */
	if (cand->title[0] != '\0')
		best =
		    first_in(g_hash_table_lookup(x->tba_by_title, cand->title),
		             cand, best, &by_undated_title);
	/* Near-identical titles at the same time (days_near). */
	if (cand->day == 0)
		return best;
	days_near(cand, &from, &to);
	for (guint32 d = from; d <= to; d++)
		best = first_in(
		    g_hash_table_lookup(x->by_day, GUINT_TO_POINTER(d)), cand,
		    best, &by_near_title);
	return best;
}

/* Adds to @roots (once each) the entry of every one of @list (nullable)
 * that @cand may join and @match says is the same event, as first_in
 * would take it. */
static void
all_in(GPtrArray *list, const Entry *cand, GPtrArray *roots, const Match *match)
{
	for (guint i = 0; list != NULL && i < list->len; i++) {
		Entry *w =
		    joins_through(g_ptr_array_index(list, i), cand, match);

		if (w != NULL && !g_ptr_array_find(roots, w, NULL))
			g_ptr_array_add(roots, w);
	}
}

/* Every entry that is the same event as @cand (a partner's item) in one
 * of the ways index_find looks for the first, in @roots. */
static void
index_find_all(Index *x, const Entry *cand, GPtrArray *roots)
{
	guint32 from, to;

	all_in(g_hash_table_lookup(x->by_uid, cand->uid), cand, roots, &by_uid);
	if (cand->url != NULL)
		all_in(g_hash_table_lookup(x->by_url, cand->url), cand, roots,
		       &by_page);
	if (cand->title[0] != '\0')
		all_in(g_hash_table_lookup(x->tba_by_title, cand->title), cand,
		       roots, &by_undated_title);
	if (cand->day == 0)
		return;
	days_near(cand, &from, &to);
	for (guint32 d = from; d <= to; d++)
		all_in(g_hash_table_lookup(x->by_day, GUINT_TO_POINTER(d)),
		       cand, roots, &by_near_title);
}

static void
index_list_remove(GHashTable *table, gconstpointer key, Entry *e)
{
	GPtrArray *list = g_hash_table_lookup(table, key);

	if (list != NULL)
		g_ptr_array_remove(list, e);
}

/* @e, a partner's entry or an item joined to one, now stays in the index
 * in @winner's place (as index_join files an item joined to it). */
static void
index_refile(Index *x, Entry *e, Entry *winner)
{
	if (e->url != NULL)
		index_list_remove(x->by_url, e->url, e);
	index_list_remove(x->by_uid, e->uid, e);
	if (e->day != 0)
		index_list_remove(x->by_day, GUINT_TO_POINTER(e->day), e);
	group_add(winner, e);
	e->pos = winner->pos;
	if (e->url != NULL)
		index_list_add(x->by_url, e->url, e);
	index_list_add(x->by_uid, e->uid, e);
	index_file(x, e);
}

/* Adds @s to @list unless it is there already. */
static void
add_unique(GPtrArray *list, const char *s)
{
	if (!contains(list, s))
		g_ptr_array_add(list, g_strdup(s));
}

/* Adds @name to @categories unless one of them is the same category: the
 * same name in another case or spelling that has the same slug, as
 * category/<slug>/ gathers them. Written as @site_categories (slug →
 * name) has it: a source's categories= may have it in another case than
 * a local event or another source. */
static void
add_category(GPtrArray *categories, const char *name,
             GHashTable *site_categories)
{
	g_autofree char *slug = evf_slugify_name(name);
	const char *site = g_hash_table_lookup(site_categories, slug);

	for (guint i = 0; i < categories->len; i++) {
		g_autofree char *other =
		    evf_slugify_name(g_ptr_array_index(categories, i));

		if (strcmp(other, slug) == 0)
			return;
	}
	g_ptr_array_add(categories, g_strdup(site != NULL ? site : name));
}

/* Adds @src's categories= to @ev, an item of @src or one it lists too
 * (evfeed.conf(5): "added to every item of the source"): a listing that
 * another wins is in them all the same. */
static void
add_source_categories(EvfEvent *ev, const EvfSourceConfig *src,
                      GHashTable *site_categories)
{
	for (guint i = 0; src->categories != NULL && src->categories[i]; i++)
		add_category(ev->categories, src->categories[i],
		             site_categories);
}

/* @loser's dates go to @winner when the winner has none. */
static void
take_dates(EvfEvent *winner, const EvfEvent *loser)
{
	if (!winner->tba || loser->tba)
		return;
	winner->tba = FALSE;
	winner->all_day = loser->all_day;
	winner->start_date = loser->start_date;
	winner->end_date = loser->end_date;
	if (loser->start != NULL) {
		winner->start = g_date_time_ref(loser->start);
		winner->end =
		    loser->end != NULL ? g_date_time_ref(loser->end) : NULL;
	}
	winner->end_default = loser->end_default;
	winner->utc_offset = loser->utc_offset;
	g_free(winner->tzid);
	winner->tzid = g_strdup(loser->tzid);
}

/* @loser's status goes to @winner when the winner's source says nothing
 * of it (a news feed's item), and with it the place and the end (of a
 * timed event, at the same start) that the winner does not give: a
 * partner's calendar that says an event is cancelled is not contradicted
 * by its news feed, which cannot say so. */
static void
take_status(EvfEvent *winner, const EvfEvent *loser)
{
	if (!winner->status_unknown || loser->status_unknown)
		return;
	winner->status = loser->status;
	winner->status_unknown = FALSE;
	if (winner->location == NULL && loser->location != NULL)
		winner->location = g_strdup(loser->location);
	/* (a news feed's timed item without ev:enddate ends at its start;
	 * an all-day one's single day may be meant) */
	if (winner->tba || loser->tba || winner->all_day || loser->all_day ||
	    winner->rrule != NULL || loser->rrule != NULL ||
	    !g_date_time_equal(winner->start, loser->start) ||
	    !g_date_time_equal(winner->end, winner->start))
		return;
	g_date_time_unref(winner->end);
	winner->end = g_date_time_ref(loser->end);
	winner->end_default = loser->end_default;
}

static gboolean
missing(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/* What a partner's listing that wins does not give, a listing joined to
 * it, @loser, does: the event's page, its place and position, its
 * description and its image (the first listing to give each). A
 * calendar's export without them (Google's and Outlook's often are) does
 * not take from subscribers the page, the place and the text that
 * another partner gives; the site's own events give what their editors
 * wrote. */
static void
take_missing(EvfEvent *winner, const EvfEvent *loser)
{
	if (missing(winner->url) && !missing(loser->url)) {
		g_free(winner->url);
		winner->url = g_strdup(loser->url);
	}
	if (missing(winner->location) && !missing(loser->location)) {
		g_free(winner->location);
		winner->location = g_strdup(loser->location);
	}
	if (!winner->has_geo && loser->has_geo) {
		winner->has_geo = TRUE;
		winner->lat = loser->lat;
		winner->lon = loser->lon;
	}
	if (missing(winner->description_html) &&
	    missing(winner->description_text) &&
	    (!missing(loser->description_html) ||
	     !missing(loser->description_text))) {
		g_free(winner->description_md);
		g_free(winner->description_html);
		g_free(winner->description_text);
		winner->description_md = g_strdup(loser->description_md);
		winner->description_html = g_strdup(loser->description_html);
		winner->description_text = g_strdup(loser->description_text);
	}
	if (missing(winner->image) && !missing(loser->image)) {
		g_free(winner->image);
		winner->image = g_strdup(loser->image);
	}
}

static gint
source_cmp(gconstpointer a, gconstpointer b)
{
	const EvfSourceConfig *x = *(EvfSourceConfig *const *)a;
	const EvfSourceConfig *y = *(EvfSourceConfig *const *)b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return strcmp(x->name, y->name);
}

static gint
uid_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(EvfEvent *const *)a)->uid,
	              (*(EvfEvent *const *)b)->uid);
}

/* Leaves a partner item only the categories the site has, in
 * @site_categories (slug → name), written as the site writes them: a
 * partner's own (a blog's tags, by the hundred) would each make a
 * category's page, calendar and feeds; where one is the site's, up to
 * case or a form that looks alike (evf_name_look), the item is listed
 * there too, under the site's name (a category's calendar had 'Café', 'CAFÉ'
 * and 'café' with a word joiner, which calendar programs show as three).
 * Another name of the same slug is another category ("C#" is not the site's
 * "C++", whose address category/c/ it would take). */
static void
keep_site_categories(EvfEvent *ev, GHashTable *site_categories)
{
	g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < ev->categories->len; i++) {
		const char *name = g_ptr_array_index(ev->categories, i);
		g_autofree char *slug = evf_slugify_name(name);
		const char *site = g_hash_table_lookup(site_categories, slug);

		if (site != NULL && evf_names_look_alike(site, name) &&
		    !g_ptr_array_find_with_equal_func(kept, site, g_str_equal,
		                                      NULL))
			g_ptr_array_add(kept, g_strdup(site));
	}
	g_ptr_array_set_size(ev->categories, 0);
	g_ptr_array_extend_and_steal(ev->categories, g_steal_pointer(&kept));
}

/* Adds @name to @site_categories (slug → name) unless its slug is
 * there, with a name that shows no character as nothing: one that does
 * (a word joiner) is taken only when none other is there, as its
 * warning tells the editor to delete it (catalog.c). */
static void
add_site_category(GHashTable *site_categories, const char *name)
{
	char *slug = evf_slugify_name(name);
	const char *had = g_hash_table_lookup(site_categories, slug);

	if (had == NULL || evf_name_better(had, name))
		g_hash_table_replace(site_categories, slug, (char *)name);
	else
		g_free(slug);
}

char *
evf_merge_source_uid(const char *source, const char *uid)
{
	g_autofree char *name = g_strdup_printf("%s\x1f%s", source, uid);

	return evf_uuid5(EVF_UUID_NAMESPACE, name);
}

/* (transfer full): @uid, an item's of @src, in @src's namespace. */
static char *
namespaced_uid(const EvfSourceConfig *src, const char *uid)
{
	return evf_merge_source_uid(src->name, uid);
}

/* (transfer full): the UID that an item of @src whose UID as given is
 * @uid is published under, when @taken (nullable) holds those taken.
 * A UID meant to be unique only in its source ("42", an RSS guid) is
 * always namespaced: kept as given, it would be another listing's once a
 * source or a file of that UID came first, and the state's record of it
 * (first seen, SEQUENCE) with it. Namespaced too: a UID that @reserved
 * (nullable) keeps for another source, whose item was published under it
 * and which still lists it, or one whose item was published namespaced,
 * in @published (nullable); a UID taken, longer
 * than a local one may be, or with '[' or ']', which the feeds' tag: ids
 * have no place for (as for a local uid, eventfile.c). */
static char *
labelled_uid(const EvfSourceConfig *src, const char *uid, GHashTable *taken,
             GHashTable *reserved, GHashTable *published)
{
	const char *owner =
	    reserved != NULL ? g_hash_table_lookup(reserved, uid) : NULL;

	/* published in its source's namespace: so it stays, when the one
	 * that kept the UID is gone */
	if (published != NULL && global_uid(uid)) {
		char *ns = namespaced_uid(src, uid);

		if (g_hash_table_contains(published, ns))
			return ns;
		g_free(ns);
	}
	if (!global_uid(uid) ||
	    (taken != NULL && g_hash_table_contains(taken, uid)) ||
	    (owner != NULL && strcmp(owner, src->name) != 0) ||
	    strlen(uid) > 200 || strpbrk(uid, "[]") != NULL)
		return namespaced_uid(src, uid);
	return g_strdup(uid);
}

/* (transfer full) (nullable): of @owners (EvfMergeIds.owners, nullable),
 * the UIDs whose owner is one of @sources and lists an item of that UID
 * in @partners now: kept for it (labelled_uid), whatever source comes
 * first in the merge. */
static GHashTable *
reserved_uids(GHashTable *owners, GPtrArray *sources, GHashTable *partners)
{
	GHashTable *reserved = NULL;

	if (owners == NULL || g_hash_table_size(owners) == 0 ||
	    partners == NULL)
		return NULL;
	for (guint s = 0; s < sources->len; s++) {
		const EvfSourceConfig *src = g_ptr_array_index(sources, s);
		GPtrArray *items = g_hash_table_lookup(partners, src->name);

		for (guint i = 0; items != NULL && i < items->len; i++) {
			const EvfEvent *ev = g_ptr_array_index(items, i);

			if (g_strcmp0(g_hash_table_lookup(owners, ev->uid),
			              src->name) != 0)
				continue;
			if (reserved == NULL)
				reserved =
				    g_hash_table_new(g_str_hash, g_str_equal);
			g_hash_table_insert(reserved, ev->uid, src->name);
		}
	}
	return reserved;
}

/* Labels a partner item with its source, its categories (as the site's,
 * @site_categories, has them) and an identity and a slug (its page's
 * anchor, its events/<slug>.ics) that cannot clash with ones already
 * taken, in @uids and @slugs: a local file may be named as a partner's
 * item would be. */
static void
label(EvfEvent *ev, const EvfSourceConfig *src, GHashTable *site_categories,
      GHashTable *uids, GHashTable *reserved, GHashTable *published,
      GHashTable *slugs)
{
	g_autofree char *digest = NULL;

	g_free(ev->source);
	ev->source = g_strdup(src->name);
	g_free(ev->source_title);
	ev->source_title = g_strdup(src->title);
	g_free(ev->source_url);
	ev->source_url = g_strdup(src->link);
	add_source_categories(ev, src, site_categories);
	{
		char *uid =
		    labelled_uid(src, ev->uid, uids, reserved, published);

		/* taken all the same: by an event that took it from this
		 * item when they were one (an alias, EvfMergeIds), or by a
		 * file that names it; this item, another event since, is
		 * given another */
		for (guint n = 1; g_hash_table_contains(uids, uid); n++) {
			g_autofree char *name =
			    g_strdup_printf("%s\x1f%u", ev->uid, n);

			g_free(uid);
			uid = namespaced_uid(src, name);
		}
		g_free(ev->uid);
		ev->uid = uid;
	}
	digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, ev->uid, -1);
	g_free(ev->slug);
	ev->slug = NULL;
	/* more of the digest while the slug is taken, to all of it */
	for (int n = 12; ev->slug == NULL; n += 4) {
		ev->slug = g_strdup_printf("%s-%.*s", src->name, n, digest);
		if (g_hash_table_contains(slugs, ev->slug) &&
		    n < (int)strlen(digest))
			g_clear_pointer(&ev->slug, g_free);
	}
	g_hash_table_add(slugs, ev->slug);
}

/* Makes @e's event one this merge may change: a local event is copied
 * first, since it is the catalogue's, which the daemon keeps for the next
 * build (where the partner that listed it may not any more). */
static void
writable(Entry *e)
{
	if (e->source != NULL || e->own)
		return;
	e->ev = evf_event_copy(e->ev);
	e->own = TRUE;
}

void
evf_merge_ids_init(EvfMergeIds *ids)
{
	ids->published =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ids->aliases =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	ids->added = g_ptr_array_new_with_free_func(g_free);
}

void
evf_merge_ids_clear(EvfMergeIds *ids)
{
	g_clear_pointer(&ids->published, g_hash_table_unref);
	g_clear_pointer(&ids->aliases, g_hash_table_unref);
	g_clear_pointer(&ids->added, g_ptr_array_unref);
	g_clear_pointer(&ids->owners, g_hash_table_unref);
	g_clear_pointer(&ids->owned, g_hash_table_unref);
	g_clear_pointer(&ids->published_for, g_hash_table_unref);
	g_clear_pointer(&ids->published_now, g_hash_table_unref);
}

/* Gives @e's event @uid for the UID it had (its own: @e->key), noting it
 * in @uids, the UIDs taken. */
static void
give_uid(Entry *e, const char *uid, GHashTable *uids)
{
	writable(e);
	if (e->key == NULL)
		e->key = g_strdup(e->ev->uid);
	g_free(e->ev->uid);
	e->ev->uid = g_strdup(uid);
	g_hash_table_add(uids, g_strdup(uid));
}

/* Gives @e's event, just indexed, the UID @to (nullable) that its own is
 * an alias of, unless another event of this merge has that one, or its
 * own was published (subscribers have the event under it: a listing
 * that parted from the one it had joined, and went out on its own; but
 * see hand_back). */
static void
take_uid_of(const EvfMergeIds *ids, Entry *e, const char *to, GHashTable *uids)
{
	if (to != NULL && !g_hash_table_contains(uids, to) &&
	    !g_hash_table_contains(ids->published, e->ev->uid))
		give_uid(e, to, uids);
}

/* (nullable) the UID that @e's own is an alias of in @ids; for @src's
 * item (@src nullable: a local event), else that of its UID in @src's
 * namespace (alias_joined) when label() kept the UID as the partner gave
 * it. */
static const char *
alias_of(const EvfMergeIds *ids, const Entry *e, const EvfSourceConfig *src)
{
	const char *to = g_hash_table_lookup(ids->aliases, e->ev->uid);

	if (to == NULL && src != NULL) {
		g_autofree char *own = namespaced_uid(src, e->uid);

		to = g_hash_table_lookup(ids->aliases, own);
	}
	return to;
}

/* take_uid_of() the UID that @e's own is an alias of (alias_of), @e a
 * local event or (@src) @src's item just labelled. */
static void
take_alias(const EvfMergeIds *ids, Entry *e, const EvfSourceConfig *src,
           GHashTable *uids)
{
	if (ids != NULL)
		take_uid_of(ids, e, alias_of(ids, e, src), uids);
}

/* @winner, whose UID subscribers do not have, takes the one that @cand,
 * @src's listing of its event joined to it, was published under (as
 * label() gave it, kept or namespaced, or as an alias of that): the
 * subscribers' calendars keep the event they have, and feed readers are
 * not told of it again, where they would see one removed and one added.
 * The alias goes to @ids, which the state keeps, so that the identity
 * stays once @cand is no longer listed. */
static void
adopt(EvfMergeIds *ids, Entry *winner, const Entry *cand,
      const EvfSourceConfig *src, GHashTable *uids)
{
	char *was[2];

	if (ids == NULL ||
	    g_hash_table_contains(ids->published, winner->ev->uid))
		return;
	was[0] = labelled_uid(src, cand->uid, NULL, NULL, NULL);
	was[1] = namespaced_uid(src, cand->uid);
	for (guint i = 0; i < G_N_ELEMENTS(was); i++) {
		const char *to = g_hash_table_lookup(ids->aliases, was[i]);

		if (to == NULL)
			to = was[i];
		if (!g_hash_table_contains(ids->published, to) ||
		    g_hash_table_contains(uids, to))
			continue;
		give_uid(winner, to, uids);
		g_hash_table_insert(ids->aliases, g_strdup(winner->key),
		                    g_strdup(to));
		g_ptr_array_add(ids->added, g_strdup(winner->key));
		break;
	}
	g_free(was[0]);
	g_free(was[1]);
}

/* @cand, @src's item joined to @to's event, is @to's next listing: were
 * the listings it joined to to go (a partner's news feed drops its old
 * items, an editor deletes the file written for it), it would be the
 * event's one listing, and take @to, the UID the event is published
 * under (take_alias), where label() would give it its own, and
 * feed readers would be told of the event again and calendars remove and
 * add it. The alias goes to @ids. */
static void
alias_joined(EvfMergeIds *ids, const Entry *cand, const EvfSourceConfig *src,
             const char *to)
{
	/* under the namespaced UID alone, which no event file has: a
	 * file whose uid: is the partner's own (evfeed import keeps it)
	 * would take the alias too (take_alias) */
	char *own = namespaced_uid(src, cand->uid);

	if (strcmp(own, to) == 0 ||
	    g_strcmp0(g_hash_table_lookup(ids->aliases, own), to) == 0) {
		g_free(own);
		return;
	}
	if (!g_ptr_array_find_with_equal_func(ids->added, own, g_str_equal,
	                                      NULL))
		g_ptr_array_add(ids->added, g_strdup(own));
	g_hash_table_replace(ids->aliases, own, g_strdup(to));
}

/* With what the outputs say of the sources that list it, which their
 * title= and link= give (a source renamed changes every one of its
 * events). */
static void
fingerprint(gpointer ev, gpointer cfg)
{
	g_autofree char *attribution = evf_render_attribution(cfg, ev);

	evf_event_update_fingerprint_attributed(ev, attribution);
}

/* What joining listings needs of a merge. */
typedef struct {
	const EvfConfig *cfg;
	EvfMergeIds *ids; /* (nullable) */
	Index *x;
	GHashTable *uids;            /* the UIDs taken */
	GHashTable *site_categories; /* slug → name */
	GTimeZone *site;
} Merge;

/* Notes in @ev that the series @of ("source\x1fseries UID") lists it too. */
static void
add_also_series(EvfEvent *ev, const char *of)
{
	if (ev->also_series == NULL)
		ev->also_series = g_ptr_array_new_with_free_func(g_free);
	add_unique(ev->also_series, of);
}

/* @cand, @src's listing of @winner's event, is joined to it: @winner's
 * event is listed by @src too, with @src's categories, and takes what it
 * lacks from @cand's (its dates, its status, a partner's page, place and
 * text) and the UID subscribers have it under (adopt). */
static void
join_to(Merge *m, Entry *winner, const Entry *cand, const EvfSourceConfig *src)
{
	const EvfEvent *ev = cand->ev;

	writable(winner);
	add_unique(winner->ev->also_listed, src->name);
	if (ev->series != NULL) {
		g_autofree char *of =
		    g_strconcat(src->name, "\x1f", ev->series, NULL);

		add_also_series(winner->ev, of);
	}
	add_source_categories(winner->ev, src, m->site_categories);
	/* the dates of one listing are not lost to another that has none,
	 * whichever wins */
	if (winner->ev->tba && !ev->tba) {
		take_dates(winner->ev, ev);
		winner->day = start_day(winner->ev, m->site);
		index_dated(m->x, winner);
	}
	take_status(winner->ev, ev);
	/* (what it takes is published; it is matched by its own place, as
	 * a listing's UID and page are matched whatever place another
	 * listing gives) */
	if (winner->source != NULL)
		take_missing(winner->ev, ev);
	adopt(m->ids, winner, cand, src, m->uids);
}

/* The listings of @root's event in @out: @root, and every entry and item
 * joined to it. */
static void
members(Entry *root, GPtrArray *out)
{
	g_ptr_array_add(out, root);
	if (root->group != NULL)
		g_ptr_array_extend(out, root->group, NULL, NULL);
}

/* @e, a partner's listing published apart until an item joined to
 * @winner was found to be the same event as both, joins @winner with the
 * listings joined to it, when it may: its dates agree with @winner's, the
 * place of each listing of the one with that of each of the other (as for
 * a listing joined through another, first_in), and no place lists both.
 * So the event is listed once, whichever of the three came first; @e's
 * UID, which subscribers may have, is @winner's to adopt (and its alias,
 * alias_joined), and every listing joined to @e is joined to @winner. */
static void
absorb(Merge *m, Entry *winner, Entry *e)
{
	const EvfSourceConfig *src =
	    e->source != NULL ? evf_config_source(m->cfg, e->source) : NULL;
	g_autoptr(GPtrArray) ours = g_ptr_array_new();
	g_autoptr(GPtrArray) theirs = g_ptr_array_new();

	if (e == winner || e->joined != NULL || src == NULL ||
	    e->pos < winner->pos || !joinable(winner, e) ||
	    !same_when(winner, e))
		return;
	for (guint i = 0; i < e->ev->also_listed->len; i++) {
		const char *name = g_ptr_array_index(e->ev->also_listed, i);

		if (g_strcmp0(winner->source, name) == 0 ||
		    contains(winner->ev->also_listed, name))
			return;
	}
	members(winner, ours);
	members(e, theirs);
	for (guint i = 0; i < ours->len; i++)
		for (guint k = 0; k < theirs->len; k++)
			if (!same_place(g_ptr_array_index(ours, i),
			                g_ptr_array_index(theirs, k)))
				return;
	/* (its UID, taken when it was labelled, is free to be adopted) */
	g_hash_table_remove(m->uids, e->ev->uid);
	join_to(m, winner, e, src);
	for (guint i = 0; i < e->ev->also_listed->len; i++) {
		const char *name = g_ptr_array_index(e->ev->also_listed, i);
		const EvfSourceConfig *also = evf_config_source(m->cfg, name);

		add_unique(winner->ev->also_listed, name);
		if (also != NULL)
			add_source_categories(winner->ev, also,
			                      m->site_categories);
	}
	for (guint i = 0;
	     e->ev->also_series != NULL && i < e->ev->also_series->len; i++)
		add_also_series(winner->ev,
		                g_ptr_array_index(e->ev->also_series, i));
	for (guint k = 0; k < theirs->len; k++)
		index_refile(m->x, g_ptr_array_index(theirs, k), winner);
	/* (each is in @winner's group now) */
	g_clear_pointer(&e->group, g_ptr_array_unref);
}

/* (nullable) the source of @e, NULL for a local event. */
static const EvfSourceConfig *
entry_source(const Merge *m, const Entry *e)
{
	return e->source != NULL ? evf_config_source(m->cfg, e->source) : NULL;
}

/* A listing whose own UID went out for another listing (published_for)
 * that goes on apart from it, under its own UID, takes the UID of the
 * event it had joined (its alias) when that is free, and leaves its own
 * to that other listing, which takes it next (take_alias): each event
 * keeps the UID subscribers have for it. Only once every listing is
 * joined: one that joins it again leaves it its own. */
static void
hand_back(Merge *m)
{
	g_autoptr(GHashTable) apart = NULL;
	GPtrArray *entries = m->x->entries;

	/* (most builds: no UID went out for another listing) */
	if (m->ids->published_for == NULL ||
	    g_hash_table_size(m->ids->published_for) == 0)
		return;
	apart = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);

		if (e->joined == NULL && e->key == NULL)
			g_hash_table_insert(apart, e->ev->uid, e);
	}
	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);
		const char *was_for, *to;
		Entry *other;

		/* (an empty value: none; the listing's own: no other) */
		if (e->joined != NULL || e->key != NULL ||
		    (was_for = g_hash_table_lookup(m->ids->published_for,
		                                   e->ev->uid)) == NULL)
			continue;
		other = g_hash_table_lookup(apart, was_for);
		to = alias_of(m->ids, e, entry_source(m, e));
		if (other == NULL || other == e || other->key != NULL ||
		    to == NULL || g_hash_table_contains(m->uids, to))
			continue;
		g_hash_table_remove(apart, e->ev->uid);
		g_hash_table_remove(m->uids, e->ev->uid);
		give_uid(e, to, m->uids);
	}
}

GPtrArray *
evf_merge(const EvfConfig *cfg, GPtrArray *local, GHashTable *partners,
          EvfMergeIds *ids)
{
	g_autoptr(GPtrArray) sources = g_ptr_array_new();
	g_autoptr(GHashTable) uids =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) slugs = g_hash_table_new(g_str_hash, g_str_equal);
	/* the site's categories by slug: its events', and those the
	 * sources' categories= give */
	g_autoptr(GHashTable) site_categories =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) shared =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GTimeZone) site = evf_tz_or_utc(cfg->timezone);
	g_autoptr(GHashTable) reserved = NULL;
	GPtrArray *out =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GPtrArray) changed = g_ptr_array_new(); /* of out's */
	Index x;
	Merge m;

	for (guint i = 0; i < cfg->sources->len; i++) {
		EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);

		if (src->enabled)
			g_ptr_array_add(sources, src);
	}
	g_ptr_array_sort(sources, source_cmp);
	/* Every source's listing pages are known before any item is
	 * matched by its URL. */
	note_shared_urls(local, shared);
	for (guint s = 0; partners != NULL && s < sources->len; s++) {
		const EvfSourceConfig *src = g_ptr_array_index(sources, s);

		note_shared_urls(g_hash_table_lookup(partners, src->name),
		                 shared);
	}

	if (ids != NULL) {
		if (ids->owned == NULL)
			ids->owned = g_hash_table_new_full(
			    g_str_hash, g_str_equal, g_free, g_free);
		if (ids->published_now == NULL)
			ids->published_now = g_hash_table_new_full(
			    g_str_hash, g_str_equal, g_free, g_free);
		g_hash_table_remove_all(ids->published_now);
		reserved = reserved_uids(ids->owners, sources, partners);
	}
	index_init(&x);
	m = (Merge){ cfg, ids, &x, uids, site_categories, site };
	for (guint i = 0; i < local->len; i++) {
		EvfEvent *ev = g_ptr_array_index(local, i);

		index_add(&x, entry_new(ev, NULL, shared, site));
		g_hash_table_add(uids, g_strdup(ev->uid));
		if (ev->slug != NULL)
			g_hash_table_add(slugs, ev->slug);
	}
	/* once every local UID is taken, which an alias gives way to */
	for (guint i = 0; i < local->len; i++)
		take_alias(ids, g_ptr_array_index(x.entries, i), NULL, uids);
	/* (only where there are partners' items to keep them for) */
	for (guint i = 0;
	     partners != NULL && sources->len > 0 && i < local->len; i++) {
		EvfEvent *ev = g_ptr_array_index(local, i);

		for (guint k = 0; k < ev->categories->len; k++)
			add_site_category(site_categories,
			                  g_ptr_array_index(ev->categories, k));
	}
	for (guint s = 0; s < sources->len; s++) {
		const EvfSourceConfig *src = g_ptr_array_index(sources, s);

		for (guint i = 0; src->categories != NULL && src->categories[i];
		     i++)
			add_site_category(site_categories, src->categories[i]);
	}
	for (guint s = 0; s < sources->len; s++) {
		const EvfSourceConfig *src = g_ptr_array_index(sources, s);
		GPtrArray *items =
		    partners != NULL ? g_hash_table_lookup(partners, src->name)
		                     : NULL;
		g_auto(EvfImportFilter)
		    words = { src->include, src->exclude, NULL, NULL };

		if (items != NULL && items->len > 0)
			evf_import_filter_fold(&words);

		for (guint i = 0; items != NULL && i < items->len; i++) {
			EvfEvent *ev = g_ptr_array_index(items, i);
			g_autoptr(GPtrArray) others = g_ptr_array_new();
			Entry *cand;
			Entry *winner;

			if (!evf_import_chosen_as_is(&words, ev))
				continue;
			cand = entry_new(ev, src->name, shared, site);
			winner = index_find(&x, cand);
			/* the entries published apart until now that it
			 * shows to be the same event as @winner too */
			if (winner != NULL && local_series(&x, cand) == NULL)
				index_find_all(&x, cand, others);
			if (winner == NULL) {
				keep_site_categories(ev, site_categories);
				label(ev, src, site_categories, uids, reserved,
				      ids != NULL ? ids->published : NULL,
				      slugs);
				g_hash_table_add(uids, g_strdup(ev->uid));
				/* published under its UID as given */
				if (ids != NULL &&
				    strcmp(ev->uid, cand->uid) == 0)
					g_hash_table_replace(
					    ids->owned, g_strdup(ev->uid),
					    g_strdup(src->name));
				index_add(&x, cand);
				take_alias(ids, cand, src, uids);
				continue;
			}
			join_to(&m, winner, cand, src);
			index_join(&x, cand, winner);
			/* each other listing it is the same event as, and
			 * the one it joined, are one: the first of the two
			 * takes the other in (index_find takes a listing of
			 * the same UID before an earlier one of its page) */
			for (guint r = 0; r < others->len; r++) {
				Entry *root = cand->joined;
				Entry *other = g_ptr_array_index(others, r);

				if (other->joined != NULL)
					other = other->joined;
				if (other->pos < root->pos)
					absorb(&m, other, root);
				else
					absorb(&m, root, other);
			}
		}
	}
	if (ids != NULL)
		hand_back(&m);
	/* A UID that a listing taken in gave up (absorb, hand_back) may be
	 * the one an earlier listing's alias names, which was refused it
	 * then as taken (a listing that took one already keeps it). */
	for (guint i = 0; ids != NULL && i < x.entries->len; i++) {
		Entry *e = g_ptr_array_index(x.entries, i);

		if (e->joined == NULL && e->key == NULL)
			take_alias(ids, e, entry_source(&m, e), uids);
	}

	/* once every winner has the UID it is published under */
	for (guint i = 0; ids != NULL && i < x.joined->len; i++) {
		const Entry *cand = g_ptr_array_index(x.joined, i);

		alias_joined(ids, cand, evf_config_source(cfg, cand->source),
		             cand->joined->ev->uid);
	}
	for (guint i = 0; i < x.entries->len; i++) {
		Entry *e = g_ptr_array_index(x.entries, i);

		/* (an entry that joined another: absorb) */
		if (e->joined != NULL) {
			if (ids != NULL)
				alias_joined(ids, e,
				             evf_config_source(cfg, e->source),
				             e->joined->ev->uid);
			continue;
		}

		g_ptr_array_add(out, evf_event_ref(e->ev));
		if (ids != NULL && e->key != NULL &&
		    strcmp(e->key, e->ev->uid) != 0)
			g_hash_table_replace(ids->published_now,
			                     g_strdup(e->ev->uid),
			                     g_strdup(e->key));
		/* The local events this merge left alone keep the
		 * fingerprint their file gave them. */
		if (e->source != NULL || e->own)
			g_ptr_array_add(changed, e->ev);
	}
	index_clear(&x);
	/* Each event's fingerprint reads that event alone. */
	evf_parallel_for(changed, fingerprint, (gpointer)cfg);
	g_ptr_array_sort(out, uid_cmp);
	return out;
}
