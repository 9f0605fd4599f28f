/*
 * merge.c: see merge.h.
 */
#include "autoconf.h"
#include "merge.h"

#include "event.h"
#include "util.h"

#include <string.h>

char *
evf_merge_normalize_title(const char *title)
{
	g_autofree char *ascii = g_str_to_ascii(title, "C");
	GString *s = g_string_new(NULL);
	gboolean space = FALSE;

	for (const char *p = ascii; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p)) {
			if (space && s->len > 0)
				g_string_append_c(s, ' ');
			g_string_append_c(s, g_ascii_tolower(*p));
			space = FALSE;
		} else {
			space = TRUE;
		}
	}
	return g_string_free(s, FALSE);
}

gboolean
evf_merge_titles_match(const char *a, const char *b)
{
	g_auto(GStrv) wa = NULL;
	g_auto(GStrv) wb = NULL;
	g_autoptr(GHashTable) sa = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) sb = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer key;
	guint common = 0, all;

	if (strcmp(a, b) == 0)
		return a[0] != '\0';
	wa = g_strsplit(a, " ", -1);
	wb = g_strsplit(b, " ", -1);
	for (guint i = 0; wa[i] != NULL; i++)
		if (wa[i][0] != '\0')
			g_hash_table_add(sa, wa[i]);
	for (guint i = 0; wb[i] != NULL; i++)
		if (wb[i][0] != '\0')
			g_hash_table_add(sb, wb[i]);
	g_hash_table_iter_init(&it, sa);
	while (g_hash_table_iter_next(&it, &key, NULL))
		common += g_hash_table_contains(sb, key);
	all = g_hash_table_size(sa) + g_hash_table_size(sb) - common;
	/* Jaccard similarity of the word sets at least 3/4: with the same
	 * start day, a word or two rephrased is the same event. */
	return all > 0 && common * 4 >= all * 3;
}

/* The calendar day an event starts on, as a Julian day; 0 for tba. */
static guint32
start_day(const EvfEvent *ev)
{
	GDate d;

	if (ev->tba)
		return 0;
	if (ev->all_day)
		return g_date_get_julian(&ev->start_date);
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, g_date_time_get_day_of_month(ev->start),
	               g_date_time_get_month(ev->start),
	               g_date_time_get_year(ev->start));
	return g_date_get_julian(&d);
}

/* (transfer full): a URL for comparison: no scheme, no "www.", no trailing
 * slash, host in lower case. */
static char *
normalize_url(const char *url)
{
	g_autoptr(GUri) uri = NULL;
	g_autofree char *host = NULL;
	const char *h, *path, *query;
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
	s = g_string_new(h);
	g_string_append(s, path);
	while (s->len > strlen(h) && s->str[s->len - 1] == '/')
		g_string_truncate(s, s->len - 1);
	if (query != NULL)
		g_string_append_printf(s, "?%s", query);
	return g_string_free(s, FALSE);
}

typedef struct {
	EvfEvent *ev;
	char *title; /* normalised */
	char *url;   /* normalised, nullable */
	guint32 day;
	gboolean local;
} Entry;

static void
entry_free(gpointer p)
{
	Entry *e = p;

	g_free(e->title);
	g_free(e->url);
	g_free(e);
}

static gboolean
same_event(const Entry *a, const Entry *b)
{
	if (a->url != NULL && b->url != NULL && strcmp(a->url, b->url) == 0)
		return TRUE;
	/* An undated local listing and a partner's item of the same title:
	 * the partner announces what we list as "to be announced". */
	if ((a->local && a->ev->tba) || (b->local && b->ev->tba))
		return strcmp(a->title, b->title) == 0 && a->title[0] != '\0';
	return a->day != 0 && a->day == b->day &&
	       evf_merge_titles_match(a->title, b->title);
}

static void
add_unique(GPtrArray *list, const char *s)
{
	for (guint i = 0; i < list->len; i++)
		if (strcmp(g_ptr_array_index(list, i), s) == 0)
			return;
	g_ptr_array_add(list, g_strdup(s));
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
		winner->end = g_date_time_ref(loser->end);
	}
	g_free(winner->tzid);
	winner->tzid = g_strdup(loser->tzid);
}

static gboolean
mentions(const EvfEvent *ev, GStrv words)
{
	g_autoptr(GString) hay = g_string_new(ev->title);
	g_autofree char *folded = NULL;

	g_string_append_printf(
	    hay, "\n%s\n", ev->description_text ? ev->description_text : "");
	for (guint i = 0; i < ev->categories->len; i++)
		g_string_append_printf(
		    hay, "%s\n", (char *)g_ptr_array_index(ev->categories, i));
	folded = g_utf8_casefold(hay->str, -1);
	for (guint i = 0; words != NULL && words[i] != NULL; i++) {
		g_autofree char *w = g_utf8_casefold(words[i], -1);

		if (strstr(folded, w) != NULL)
			return TRUE;
	}
	return FALSE;
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

/* Labels a partner item with its source, its categories and an identity
 * that cannot clash with one already taken. */
static void
label(EvfEvent *ev, const EvfSourceConfig *src, GHashTable *uids)
{
	g_autofree char *digest = NULL;

	g_free(ev->source);
	ev->source = g_strdup(src->name);
	g_free(ev->source_title);
	ev->source_title = g_strdup(src->title);
	g_free(ev->source_url);
	ev->source_url = g_strdup(src->url);
	for (guint i = 0; src->categories != NULL && src->categories[i]; i++)
		add_unique(ev->categories, src->categories[i]);
	if (g_hash_table_contains(uids, ev->uid) || strlen(ev->uid) > 200) {
		g_autofree char *name =
		    g_strdup_printf("%s\x1f%s", src->name, ev->uid);

		g_free(ev->uid);
		ev->uid = evf_uuid5(EVF_UUID_NAMESPACE, name);
	}
	digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, ev->uid, -1);
	g_free(ev->slug);
	ev->slug = g_strdup_printf("%s-%.12s", src->name, digest);
}

GPtrArray *
evf_merge(const EvfConfig *cfg, GPtrArray *local, GHashTable *partners)
{
	g_autoptr(GPtrArray) entries =
	    g_ptr_array_new_with_free_func(entry_free);
	g_autoptr(GPtrArray) sources = g_ptr_array_new();
	g_autoptr(GHashTable) uids = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *out =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);

	for (guint i = 0; i < local->len; i++) {
		EvfEvent *ev = g_ptr_array_index(local, i);
		Entry *e = g_new0(Entry, 1);

		e->ev = ev;
		e->local = TRUE;
		e->title = evf_merge_normalize_title(ev->title);
		e->url = normalize_url(ev->url);
		e->day = start_day(ev);
		g_ptr_array_add(entries, e);
		g_hash_table_add(uids, ev->uid);
	}

	for (guint i = 0; i < cfg->sources->len; i++) {
		EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);

		if (src->enabled)
			g_ptr_array_add(sources, src);
	}
	g_ptr_array_sort(sources, source_cmp);
	for (guint s = 0; s < sources->len; s++) {
		const EvfSourceConfig *src = g_ptr_array_index(sources, s);
		GPtrArray *items =
		    partners != NULL ? g_hash_table_lookup(partners, src->name)
		                     : NULL;

		for (guint i = 0; items != NULL && i < items->len; i++) {
			EvfEvent *ev = g_ptr_array_index(items, i);
			Entry cand = { .ev = ev };
			Entry *winner = NULL;

			if ((src->include != NULL && src->include[0] != NULL &&
			     !mentions(ev, src->include)) ||
			    mentions(ev, src->exclude))
				continue;
			cand.title = evf_merge_normalize_title(ev->title);
			cand.url = normalize_url(ev->url);
			cand.day = start_day(ev);
			for (guint k = 0; k < entries->len && !winner; k++)
				if (same_event(g_ptr_array_index(entries, k),
				               &cand))
					winner = g_ptr_array_index(entries, k);
			if (winner != NULL) {
				add_unique(winner->ev->also_listed, src->name);
				if (winner->local && winner->ev->tba &&
				    !ev->tba) {
					take_dates(winner->ev, ev);
					winner->day = start_day(winner->ev);
				}
				g_free(cand.title);
				g_free(cand.url);
				continue;
			}
			label(ev, src, uids);
			g_hash_table_add(uids, ev->uid);
			{
				Entry *e = g_new0(Entry, 1);

				*e = cand;
				g_ptr_array_add(entries, e);
			}
		}
	}

	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);

		evf_event_update_fingerprint(e->ev);
		g_ptr_array_add(out, evf_event_ref(e->ev));
	}
	g_ptr_array_sort(out, uid_cmp);
	return out;
}
