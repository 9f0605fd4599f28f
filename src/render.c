/*
 * render.c: the output layout (see render.h). Decides which events each
 * view holds and in which order; the writers decide the bytes.
 */
#include "autoconf.h"
#include "render.h"

#include "gzip.h"
#include "rrule.h"
#include "tz.h"
#include "util.h"

#include <string.h>

void
evf_view_free(EvfView *view)
{
	if (view == NULL)
		return;
	g_free(view->path);
	g_free(view->self_url);
	g_free(view->title);
	g_free(view->category);
	if (view->events != NULL)
		g_ptr_array_unref(view->events);
	g_free(view);
}

char *
evf_view_home_url(const EvfView *view)
{
	const char *slash = strrchr(view->path, '/');
	g_autofree char *dir = NULL, *page = NULL;

	/* The root is the site's url itself; any other scope's page is named
	 * by its file, as the pages name it (canonical), since a static host
	 * without index documents (a storage bucket behind a CDN) has no
	 * page at a folder's address. */
	if (slash == NULL)
		return evf_config_url(view->config, "");
	dir = g_strndup(view->path, (gsize)(slash - view->path + 1));
	page = g_strconcat(dir, "index.html", NULL);
	return evf_config_url(view->config, page);
}

/* What the specific part of a tag: URI (RFC 4151 §2.1: pchars, '/' and
 * '?') holds as it is, beside the unreserved characters. */
#define TAG_KEPT "!$&'()*+,;=:@/?"

/* Adds @run, octets the specific part of a tag: URI holds, to @out: each
 * one it does not allow percent-encoded. */
static void
tag_run(GString *out, GByteArray *run)
{
	g_autofree char *escaped =
	    g_uri_escape_bytes(run->data, run->len, TAG_KEPT);

	g_string_append(out, escaped);
	g_byte_array_set_size(run, 0);
}

/* (transfer full): @s as the specific part of a tag: URI in the form the
 * W3C validator takes as canonical (its NonCanonicalURI warning on an
 * Atom id): what that part allows stays as it is; a percent-encoded
 * octet (a partner's guid "https://x.rs/%D0%B2…") is kept so, in upper
 * case, where it stands for one of TAG_KEPT, and is read as the octet
 * otherwise, which is then encoded as the rest: an unreserved character
 * written out, any other octet encoded once ("%D0%B2", not "%25D0%25B2",
 * which the validator decodes twice); every other octet is
 * percent-encoded. */
static char *
tag_specific(const char *s)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GByteArray) run = g_byte_array_new();

	for (const char *p = s; *p != '\0'; p++) {
		int hi = *p == '%' ? g_ascii_xdigit_value(p[1]) : -1;
		int lo = hi >= 0 ? g_ascii_xdigit_value(p[2]) : -1;
		guint8 octet = (guint8)*p;

		if (lo >= 0) {
			octet = (guint8)(hi * 16 + lo);
			p += 2;
			/* (a NUL kept so too: g_uri_escape_bytes() would copy
			 * it, and the id would end there) */
			if (octet == '\0' || strchr(TAG_KEPT, octet) != NULL) {
				tag_run(out, run);
				g_string_append_printf(out, "%%%02X", octet);
				continue;
			}
		}
		g_byte_array_append(run, &octet, 1);
	}
	tag_run(out, run);
	return g_string_free(out, FALSE);
}

/* Before the digest that stands for an identity holding a '%' in its
 * tag: id (evf_render_tag_id): an escaped '%' (which no identity without
 * one gives) that no two hexadecimal digits follow, so that the W3C
 * validator, which decodes an id twice, reads it as written. */
#define TAG_DIGEST "%25uuid:"

/* Whether @s is in Unicode's NFC, in which the W3C validator puts an id
 * before it compares (a partner's "cafe" and U+0301, not "café"). */
static gboolean
nfc(const char *s)
{
	g_autofree char *composed = NULL;

	for (const char *p = s; *p != '\0'; p++)
		if ((guchar)*p >= 0x80) {
			composed = g_utf8_normalize(s, -1, G_NORMALIZE_NFC);
			return composed != NULL && strcmp(composed, s) == 0;
		}
	return TRUE;
}

char *
evf_render_tag_id(const EvfConfig *cfg, const EvfEvent *ev)
{
	/* An identity with a '%' is named by a digest: as written, its
	 * "%D0%B2" would be "%25D0%25B2" in the id, which the validator
	 * decodes twice (NonCanonicalURI); decoded once, "a%20b" would be
	 * "a b"'s id, a partner's UID another's. So is one not in NFC, which
	 * the validator composes (composed, it would be another's). Any
	 * other is written out, each octet the id does not allow encoded
	 * once: the id is then canonical, and one identity's alone. */
	g_autofree char *digest = strchr(ev->uid, '%') != NULL || !nfc(ev->uid)
	                              ? evf_uuid5(EVF_UUID_NAMESPACE, ev->uid)
	                              : NULL;
	g_autofree char *uid = digest != NULL
	                           ? g_strconcat(TAG_DIGEST, digest, NULL)
	                           : tag_specific(ev->uid);

	return g_strdup_printf("tag:%s,%s:event:%s", cfg->host, cfg->tag_date,
	                       uid);
}

char *
evf_render_view_id(const EvfConfig *cfg, const char *path)
{
	/* under the site's path, so that two sites on one host have two
	 * ids for their feeds (RFC 4287 §4.2.6) */
	g_autofree char *full = g_strconcat(
	    cfg->base_path != NULL ? cfg->base_path : "", path, NULL);
	g_autofree char *p = tag_specific(full);

	return g_strdup_printf("tag:%s,%s:%s", cfg->host, cfg->tag_date, p);
}

char *
evf_render_event_link(const EvfConfig *cfg, const EvfEvent *ev, gint64 now)
{
	g_autofree char *archive = NULL;

	if (ev->url != NULL)
		return g_strdup(ev->url);
	/* The site's pages, not a category's: the link is the event's,
	 * the same in every feed it is in. */
	if (!evf_page_is_past(cfg, ev, now)) {
		g_autofree char *id = evf_render_article_id(ev, TRUE);

		return g_strdup_printf("%s#%s", cfg->url, id);
	}
	archive = evf_config_url(cfg, "archive.html");
	return g_strdup_printf("%s#%s", archive, ev->slug);
}

char *
evf_render_article_id(const EvfEvent *ev, gboolean upcoming)
{
	/* a partner's series is listed once on the page of upcoming
	 * events, at whichever occurrence is next (list_series_once): under
	 * an id of the series', which a link a reader kept still finds
	 * next week; the archive lists each occurrence */
	return upcoming && ev->series != NULL ? evf_render_series_slug(ev)
	                                      : g_strdup(ev->slug);
}

static const char *
source_title(const EvfConfig *cfg, const char *name)
{
	const EvfSourceConfig *src = evf_config_source(cfg, name);

	return src != NULL ? src->title : name;
}

GPtrArray *
evf_render_sources(const EvfConfig *cfg, const EvfEvent *ev)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	if (ev->source != NULL)
		g_ptr_array_add(out, g_strdup(ev->source_title != NULL
		                                  ? ev->source_title
		                                  : ev->source));
	for (guint i = 0; i < ev->also_listed->len; i++)
		g_ptr_array_add(
		    out, g_strdup(source_title(
		             cfg, g_ptr_array_index(ev->also_listed, i))));
	return out;
}

static char *
also_listed(const EvfConfig *cfg, const EvfEvent *ev)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < ev->also_listed->len; i++)
		g_string_append_printf(
		    s, "%s%s", i > 0 ? ", " : "",
		    source_title(cfg, g_ptr_array_index(ev->also_listed, i)));
	return g_string_free(s, s->len == 0);
}

char *
evf_render_attribution(const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autofree char *also = also_listed(cfg, ev);
	GString *s = g_string_new(NULL);

	/* the source's link, as the HTML's (evfeed.conf(5): link=); the
	 * item's own page is the event's URL */
	if (ev->source != NULL)
		g_string_append_printf(s, "Source: %s <%s>", ev->source_title,
		                       ev->source_url);
	if (also != NULL)
		g_string_append_printf(s, "%sAlso listed by: %s",
		                       s->len > 0 ? "\n" : "", also);
	return g_string_free(s, s->len == 0);
}

/* Appends @ev's attribution to @s as HTML, each line after a "<br>". */
static void
append_attribution_html(GString *s, const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autofree char *also = also_listed(cfg, ev);

	if (ev->source != NULL) {
		g_autofree char *l = g_markup_printf_escaped(
		    "<br><strong>Source:</strong> <a href=\"%s\">%s</a>",
		    ev->source_url, ev->source_title);
		g_string_append(s, l);
	}
	if (also != NULL) {
		g_autofree char *l = g_markup_printf_escaped(
		    "<br><strong>Also listed by:</strong> %s", also);
		g_string_append(s, l);
	}
}

char *
evf_render_attribution_html(const EvfConfig *cfg, const EvfEvent *ev)
{
	GString *s = g_string_new(NULL);

	append_attribution_html(s, cfg, ev);
	if (s->len == 0)
		return g_string_free(s, TRUE);
	/* a paragraph of its own: the first "<br>" opens it */
	g_string_erase(s, 0, strlen("<br>"));
	g_string_prepend(s, "<p>");
	g_string_append(s, "</p>");
	return g_string_free(s, FALSE);
}

char *
evf_render_event_html(const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autoptr(GString) s = g_string_new("<p>");
	g_autofree char *when = evf_event_format_when(ev);
	g_autofree char *repeats = evf_event_format_repeats(ev);
	g_autofree char *organizers = evf_event_format_organizers(ev);
	g_autofree char *line = NULL;

	/* (each line opens with "<br>", the first's taken out at the end) */
	if (ev->status == EVF_STATUS_CANCELLED)
		g_string_append(s, "<br><strong>This event is cancelled."
		                   "</strong>");
	else if (ev->status == EVF_STATUS_TENTATIVE)
		g_string_append(s, "<br><strong>Tentative.</strong>");
	/* a news post has no date, which the item's own says */
	if (!evf_event_is_news(ev)) {
		line = g_markup_printf_escaped("<br><strong>When:</strong> %s",
		                               when);
		g_string_append(s, line);
	}
	if (repeats != NULL) {
		g_autofree char *l = g_markup_printf_escaped("<br>%s", repeats);
		g_string_append(s, l);
	}
	if (ev->location != NULL) {
		g_autofree char *l = g_markup_printf_escaped(
		    "<br><strong>Where:</strong> %s", ev->location);
		g_string_append(s, l);
	}
	if (organizers != NULL) {
		g_autofree char *l = g_markup_printf_escaped(
		    "<br><strong>%s:</strong> %s",
		    evf_event_organizers_label(ev), organizers);
		g_string_append(s, l);
	}
	if (ev->url != NULL) {
		g_autofree char *l = g_markup_printf_escaped(
		    "<br><a href=\"%s\">More information</a>", ev->url);
		g_string_append(s, l);
	}
	append_attribution_html(s, cfg, ev);
	if (g_str_has_prefix(s->str, "<p><br>"))
		g_string_erase(s, strlen("<p>"), strlen("<br>"));
	g_string_append(s, "</p>");
	/* the event's image, as the page shows it: feed readers show what
	 * the HTML holds (a JSON Feed's "image" may be in it too) */
	if (ev->image != NULL) {
		g_autofree char *img = g_markup_printf_escaped(
		    "\n<p><img src=\"%s\" alt=\"\"></p>", ev->image);
		g_string_append(s, img);
	}
	if (ev->description_html != NULL && ev->description_html[0] != '\0') {
		g_string_append_c(s, '\n');
		g_string_append(s, ev->description_html);
	}
	return g_strdup(s->str);
}

EvfCategory *
evf_category_new_emptied(const char *slug, const char *name, gint64 emptied)
{
	EvfCategory *c = g_new0(EvfCategory, 1);

	c->slug = g_strdup(slug);
	c->name = g_strdup(name);
	c->events = g_ptr_array_new();
	c->emptied = emptied;
	return c;
}

void
evf_category_free(gpointer p)
{
	EvfCategory *c = p;

	g_free(c->slug);
	g_free(c->name);
	g_ptr_array_unref(c->events);
	g_free(c);
}

gint
evf_category_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(EvfCategory *const *)a)->slug,
	              (*(EvfCategory *const *)b)->slug);
}

GPtrArray *
evf_render_categories(GPtrArray *events)
{
	g_autoptr(GHashTable) by_slug =
	    g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *out = g_ptr_array_new_with_free_func(evf_category_free);

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);

		for (guint k = 0; k < ev->categories->len; k++) {
			const char *name = g_ptr_array_index(ev->categories, k);
			g_autofree char *slug = evf_slugify_name(name);
			EvfCategory *c = g_hash_table_lookup(by_slug, slug);

			if (c == NULL) {
				c = g_new0(EvfCategory, 1);
				c->slug = g_steal_pointer(&slug);
				c->name = g_strdup(name);
				c->events = g_ptr_array_new();
				g_hash_table_insert(by_slug, c->slug, c);
				g_ptr_array_add(out, c);
			} else if (evf_name_better(c->name, name)) {
				/* named as written without a character that
				 * shows as nothing, where one file has it so
				 * (its warning says to delete it) */
				g_free(c->name);
				c->name = g_strdup(name);
			}
			if (c->events->len == 0 ||
			    g_ptr_array_index(c->events, c->events->len - 1) !=
			        ev)
				g_ptr_array_add(c->events, ev);
		}
	}
	g_ptr_array_sort(out, evf_category_cmp);
	return out;
}

GPtrArray *
evf_render_source_lists(const EvfConfig *cfg, GPtrArray *events)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(evf_category_free);

	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		EvfCategory *c =
		    evf_category_new_emptied(src->name, src->title, 0);

		for (guint k = 0; k < events->len; k++) {
			EvfEvent *ev = g_ptr_array_index(events, k);
			gboolean is = g_strcmp0(ev->source, src->name) == 0;

			for (guint j = 0; !is && j < ev->also_listed->len; j++)
				is = strcmp(
				         g_ptr_array_index(ev->also_listed, j),
				         src->name) == 0;
			if (is)
				g_ptr_array_add(c->events, ev);
		}
		if (c->events->len == 0 && !src->enabled)
			evf_category_free(c);
		else
			g_ptr_array_add(out, c);
	}
	return out;
}

static EvfView *
view_new(const EvfConfig *cfg, EvfTzSet *tzs, const char *path,
         const char *title, gint64 updated)
{
	EvfView *v = g_new0(EvfView, 1);

	v->config = cfg;
	v->tzs = tzs;
	v->path = g_strdup(path);
	v->self_url = evf_config_url(cfg, path);
	v->title = g_strdup(title);
	v->updated = updated;
	v->events = g_ptr_array_new();
	return v;
}

/* One scope (the site, a category or a partner source) and what it gives:
 * scopes are rendered on all processors, each into its own files. */
typedef struct {
	char *dir;
	char *title;
	const char *category; /* borrowed; NULL but for a category */
	GPtrArray *events;    /* borrowed */
	gint64 updated;
	/* when its dated events last joined or left it (0: not known);
	 * its calendar's LAST-MODIFIED is the latest of that and of their
	 * own, or else @updated */
	gint64 dated_changed;
	/* (nullable) its feeds' floor, as the last build left it, and as
	 * this one leaves it (feed_items) */
	const char *floor;
	char *next_floor;
	GPtrArray *files; /* (element-type EvfFile): what it gave, until
	                   * the site takes them */
	GError *error;
} Scope;

static void
scope_free(gpointer p)
{
	Scope *sc = p;

	g_free(sc->dir);
	g_free(sc->title);
	g_free(sc->next_floor);
	g_clear_pointer(&sc->files, g_ptr_array_unref);
	g_clear_error(&sc->error);
	g_free(sc);
}

static Scope *
scope_new(char *dir, char *title, const char *category, GPtrArray *events,
          gint64 updated)
{
	Scope *sc = g_new0(Scope, 1);

	sc->dir = dir;
	sc->title = title;
	sc->category = category;
	sc->events = events;
	sc->updated = updated;
	sc->files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_file_free);
	return sc;
}

/* What every scope shares. */
typedef struct {
	const EvfConfig *cfg;
	EvfTzSet *tzs;
	EvfGzipper *gz;
	gint64 now; /* the time of the build: what is past */
	/* (nullable) the events left out of the calendars, ended more than
	 * [feeds] past_days before @now: each with when it left (gint64 *,
	 * µs), its end and those days */
	GHashTable *long_past;
} Site;

/* Adds a file of @path and @bytes to @files, and hands it to the gzipper
 * (if any) to compress while the rest is rendered. */
static void
add_file(GPtrArray *files, const Site *site, char *path, GBytes *bytes)
{
	EvfFile *f = evf_file_new(path, bytes);

	g_ptr_array_add(files, f);
	if (site->gz != NULL)
		evf_gzipper_add(site->gz, f);
}

/* How many of a partner series' further dates its feed item names. */
#define SERIES_DATES_SHOWN 5

char *
evf_render_series_uid_of(const char *source, const char *series)
{
	g_autofree char *name = g_strdup_printf(
	    "series\x1f%s\x1f%s", source != NULL ? source : "", series);

	return evf_uuid5(EVF_UUID_NAMESPACE, name);
}

char *
evf_render_series_uid(const EvfEvent *occurrence)
{
	return evf_render_series_uid_of(occurrence->source, occurrence->series);
}

char *
evf_render_series_slug(const EvfEvent *occurrence)
{
	g_autofree char *uid = occurrence->series_id != NULL
	                           ? g_strdup(occurrence->series_id)
	                           : evf_render_series_uid(occurrence);
	g_autofree char *digest =
	    g_compute_checksum_for_string(G_CHECKSUM_SHA256, uid, -1);
	/* As its occurrences' are named (merge.c): its source's name and a
	 * digest with a letter in it, which no site's file name ending in a
	 * date and time has (build.c's warn_withdrawn); and ".series", a
	 * '.' that no name of a file of the site's, nor of an occurrence's,
	 * has: no clash */
	gsize n = MAX(12, MIN(strcspn(digest, "abcdef") + 1, strlen(digest)));

	return g_strdup_printf("%s.series-%.*s",
	                       occurrence->source != NULL ? occurrence->source
	                                                  : "",
	                       (int)n, digest);
}

char *
evf_render_ics_path(const EvfEvent *ev, gboolean whole_series)
{
	g_autofree char *series = whole_series && ev->series != NULL
	                              ? evf_render_series_slug(ev)
	                              : NULL;

	return g_strdup_printf("events/%s.ics",
	                       series != NULL ? series : ev->slug);
}

/* Adds to @out, after @label, the dates of @occ from @from on that are
 * @cancelled or take place (as @cancelled says), but @skip's, the first
 * SERIES_DATES_SHOWN of them. */
static void
append_dates(GString *out, GPtrArray *occ, guint from, gboolean cancelled,
             guint skip, const char *label)
{
	guint n = 0;

	for (guint i = from; i < occ->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(occ, i);
		g_autofree char *when = NULL;

		if (i == skip ||
		    (ev->status == EVF_STATUS_CANCELLED) != cancelled)
			continue;
		if (++n > SERIES_DATES_SHOWN)
			continue;
		when = evf_event_format_when(ev);
		if (n == 1 && out->len > 0)
			g_string_append(out, ". ");
		g_string_append_printf(out, "%s%s", n == 1 ? label : "; ",
		                       when);
	}
	if (n > SERIES_DATES_SHOWN)
		g_string_append_printf(out, "; and %u more",
		                       n - SERIES_DATES_SHOWN);
}

guint
evf_render_series_next(const EvfConfig *cfg, GPtrArray *occ, gint64 now,
                       char **further)
{
	g_autoptr(GString) dates = g_string_new(NULL);
	guint next = occ->len, rep = occ->len;

	/* the next that takes place; else the next, cancelled; else the
	 * last */
	for (guint i = 0; i < occ->len && rep == occ->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(occ, i);

		if (evf_page_is_past(cfg, ev, now))
			continue;
		next = MIN(next, i);
		if (ev->status != EVF_STATUS_CANCELLED)
			rep = i;
	}
	if (rep == occ->len)
		rep = next < occ->len ? next : occ->len - 1;
	append_dates(dates, occ, rep + 1, FALSE, rep, "Further dates: ");
	/* and those of the dates to come that are cancelled, the next
	 * ones among them, which the item and the page no longer show */
	append_dates(dates, occ, MIN(next, rep), TRUE, rep, "Cancelled: ");
	*further = dates->len > 0 ? g_strdup(dates->str) : NULL;
	return rep;
}

/* (transfer none): the occurrence of @occ whose texts (title, place,
 * description) are the series': those most of its occurrences that take
 * place have, @rep's where they are among the most; so that an override
 * of the next occurrence ("(afternoon)", another room, "Moved this week")
 * is not published as the whole series' text. */
static const EvfEvent *
series_texts(GPtrArray *occ, guint rep)
{
	g_autoptr(GHashTable) counts =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	guint best = rep, most = 0;

	for (guint i = 0; i < occ->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(occ, i);
		char *key = g_strdup_printf(
		    "%s\x1f%s\x1f%s", ev->title,
		    ev->location != NULL ? ev->location : "",
		    ev->description_md != NULL ? ev->description_md : "");
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, key));

		if (ev->status != EVF_STATUS_CANCELLED)
			g_hash_table_insert(counts, g_strdup(key),
			                    GUINT_TO_POINTER(n + 1));
		g_ptr_array_add(keys, key);
	}
	most = GPOINTER_TO_UINT(
	    g_hash_table_lookup(counts, g_ptr_array_index(keys, rep)));
	for (guint i = 0; i < occ->len; i++) {
		guint n = GPOINTER_TO_UINT(
		    g_hash_table_lookup(counts, g_ptr_array_index(keys, i)));

		if (n > most) {
			most = n;
			best = i;
		}
	}
	return g_ptr_array_index(occ, best);
}

/* Gives @item the texts of @from. */
static void
take_texts(EvfEvent *item, const EvfEvent *from)
{
	g_free(item->title);
	item->title = g_strdup(from->title);
	g_free(item->location);
	item->location = g_strdup(from->location);
	item->has_geo = from->has_geo;
	item->lat = from->lat;
	item->lon = from->lon;
	g_free(item->description_md);
	item->description_md = g_strdup(from->description_md);
	g_free(item->description_html);
	item->description_html = g_strdup(from->description_html);
	g_free(item->description_text);
	item->description_text = g_strdup(from->description_text);
}

EvfEvent *
evf_render_series_shown(GPtrArray *occ, guint rep)
{
	const EvfEvent *texts = series_texts(occ, rep);
	EvfEvent *shown;

	if (texts == g_ptr_array_index(occ, rep))
		return NULL;
	shown = evf_event_copy(g_ptr_array_index(occ, rep));
	take_texts(shown, texts);
	return shown;
}

/* The item of a partner's recurring series in a feed: the occurrence
 * @occ (sorted by start) lists at the build's time
 * (evf_render_series_next), with the series' texts (series_texts),
 * under an identity of the series' own, so
 * that a feed reader is told of the series once, when it was first
 * listed, and not of each occurrence as it comes into the window. */
static EvfEvent *
series_item(const Site *site, GPtrArray *occ)
{
	const EvfEvent *first = g_ptr_array_index(occ, 0);
	g_autofree char *further = NULL;
	guint rep = evf_render_series_next(site->cfg, occ, site->now, &further);
	EvfEvent *item = evf_render_series_shown(occ, rep);
	gboolean dated = FALSE; /* the source said when it published one */
	gint64 over = 0;        /* when the last is over */

	if (item == NULL)
		item = evf_event_copy(g_ptr_array_index(occ, rep));
	g_free(item->uid);
	item->uid = first->series_id != NULL ? g_strdup(first->series_id)
	                                     : evf_render_series_uid(first);
	item->published = 0;
	item->created = G_MAXINT64;
	for (guint i = 0; i < occ->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(occ, i);

		item->created = MIN(item->created, evf_event_pubdate(ev));
		item->modified = MAX(item->modified, ev->modified);
		item->sequence = MAX(item->sequence, ev->sequence);
		dated |= ev->published >= EVF_EARLIEST_PUBDATE;
		over = MAX(over, evf_event_over_by(ev));
	}
	/* as the state keeps them: the occurrences in the window are not
	 * all the series has had (evf_build's series_times) */
	if (first->series_first > 0)
		item->created = MIN(item->created, first->series_first);
	/* a series all over before it was first seen, with no date of
	 * publication: dated by its end, as evf_event_pubdate dates a
	 * single event */
	if (!dated && over < item->created)
		item->created = MAX(over, EVF_EARLIEST_PUBDATE);
	item->modified = MAX(item->modified, first->series_changed);
	if (further != NULL) {
		g_free(item->series_dates);
		item->series_dates = g_steal_pointer(&further);
	}
	return item;
}

GHashTable *
evf_render_series_group(GPtrArray *events)
{
	GHashTable *series = NULL;

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		g_autofree char *key = NULL;
		GPtrArray *occ;

		if (ev->series == NULL)
			continue;
		if (series == NULL)
			series = g_hash_table_new_full(
			    g_str_hash, g_str_equal, g_free,
			    (GDestroyNotify)g_ptr_array_unref);
		key = g_strdup_printf("%s\x1f%s",
		                      ev->source != NULL ? ev->source : "",
		                      ev->series);
		occ = g_hash_table_lookup(series, key);
		if (occ == NULL) {
			occ = g_ptr_array_new();
			g_hash_table_insert(series, g_steal_pointer(&key), occ);
		}
		g_ptr_array_add(occ, ev);
	}
	if (series != NULL) {
		GHashTableIter it;
		gpointer occ;

		g_hash_table_iter_init(&it, series);
		while (g_hash_table_iter_next(&it, NULL, &occ))
			evf_events_sort_by_start(occ);
	}
	return series;
}

/* A feed's floor: the item its full window ended at ("<max_items>
 * <publication date, µs> <UID>"), below which no item comes back. */
typedef struct {
	guint max;
	gint64 pubdate;
	const char *uid;
} Floor;

/* Reads @text (nullable) into @f; FALSE if it is not a floor. */
static gboolean
floor_parse(const char *text, Floor *f)
{
	char *end;
	guint64 max;

	if (text == NULL || !g_ascii_isdigit(text[0]))
		return FALSE;
	max = g_ascii_strtoull(text, &end, 10);
	if (*end != ' ' || max == 0 || max > G_MAXUINT)
		return FALSE;
	f->pubdate = g_ascii_strtoll(end + 1, &end, 10);
	if (*end != ' ' || end[1] == '\0')
		return FALSE;
	f->max = (guint)max;
	f->uid = end + 1;
	return TRUE;
}

/* Whether @ev sorts after @f in a feed (evf_event_cmp_pubdate_desc):
 * older, or as old with a later UID. */
static gboolean
below_floor(const EvfEvent *ev, const Floor *f)
{
	gint64 p = evf_event_pubdate(ev);

	return p != f->pubdate ? p < f->pubdate : strcmp(ev->uid, f->uid) > 0;
}

/* The items of @sc's feeds: its events newest first by publication date, a
 * partner's series once (series_item), at most [feeds] max_items. The
 * series' items go to @made, which owns them. An item that a full window
 * pushed out does not come back when a newer one is removed (deleted, or
 * moved to another category): feed readers that have let it go would
 * show it as a new listing. So once the window is full, the last item in
 * it is the scope's floor (sc->next_floor, kept in the state), and no
 * item below the floor is taken; a window that a removal leaves short
 * stays short until new listings fill it. The floor holds while [feeds]
 * max_items does: a new max_items is the operator's call to fill the
 * window anew. */
static void
feed_items(const Site *site, Scope *sc, GPtrArray *out, GPtrArray *made)
{
	g_autoptr(GHashTable) series = evf_render_series_group(sc->events);
	const guint max = site->cfg->max_items;
	Floor floor;
	gboolean floored = floor_parse(sc->floor, &floor) && floor.max == max;

	for (guint i = 0; i < sc->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(sc->events, i);

		if (ev->series == NULL && !(floored && below_floor(ev, &floor)))
			g_ptr_array_add(out, ev);
	}
	if (series != NULL) {
		GHashTableIter it;
		gpointer occ;

		g_hash_table_iter_init(&it, series);
		while (g_hash_table_iter_next(&it, NULL, &occ)) {
			EvfEvent *item = series_item(site, occ);

			g_ptr_array_add(made, item);
			if (!(floored && below_floor(item, &floor)))
				g_ptr_array_add(out, item);
		}
	}
	g_ptr_array_sort(out, evf_event_cmp_pubdate_desc);
	if (out->len > max)
		g_ptr_array_set_size(out, max);
	if (out->len == max && max > 0) {
		const EvfEvent *last = g_ptr_array_index(out, max - 1);

		sc->next_floor =
		    g_strdup_printf("%u %" G_GINT64_FORMAT " %s", max,
		                    evf_event_pubdate(last), last->uid);
	} else if (sc->floor != NULL) {
		/* (one of another max_items is let go: "" in the state) */
		sc->next_floor = g_strdup(floored ? sc->floor : "");
	}
}

/* The files of a scope but its pages (page_names). */
static const struct {
	const char *name;
	GBytes *(*write)(const EvfView *, GError **);
	gboolean calendar;
} kinds[] = {
	{ "calendar.ics", evf_write_ics, TRUE },
	{ "rss.xml", evf_write_rss, FALSE },
	{ "atom.xml", evf_write_atom, FALSE },
	{ "calendar.json", evf_write_jcal, TRUE },
	{ "feed.json", evf_write_jsonfeed, FALSE },
};
/* A scope's pages: upcoming events, and past ones. */
static const char *const page_names[] = { "index.html", "archive.html" };

gboolean
evf_render_scope_file(const char *name)
{
	g_autofree char *plain = g_str_has_suffix(name, ".gz")
	                             ? g_strndup(name, strlen(name) - 3)
	                             : g_strdup(name);

	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++)
		if (strcmp(plain, kinds[k].name) == 0)
			return TRUE;
	for (guint k = 0; k < G_N_ELEMENTS(page_names); k++)
		if (strcmp(plain, page_names[k]) == 0)
			return TRUE;
	return FALSE;
}

/* Renders the files of a scope. */
static void
render_scope(gpointer data, gpointer user_data)
{
	Scope *sc = data;
	const Site *site = user_data;
	const EvfConfig *cfg = site->cfg;
	g_autoptr(GPtrArray) dated = g_ptr_array_new();
	g_autoptr(GPtrArray) newest = g_ptr_array_new();
	g_autoptr(GPtrArray) made =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);

	/* An event left out of the calendars as long past ([feeds]
	 * past_days) changed them when it left. */
	gint64 calendar_updated =
	    sc->dated_changed > 0 ? sc->dated_changed : sc->updated;

	for (guint i = 0; i < sc->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(sc->events, i);
		const gint64 *left =
		    site->long_past != NULL
		        ? g_hash_table_lookup(site->long_past, ev)
		        : NULL;

		if (left != NULL) {
			calendar_updated = MAX(calendar_updated, *left);
		} else if (!ev->tba) {
			g_ptr_array_add(dated, ev);
			if (sc->dated_changed > 0)
				calendar_updated =
				    MAX(calendar_updated, ev->modified);
		}
	}
	evf_events_sort_by_start(dated);
	feed_items(site, sc, newest, made);

	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		g_autofree char *path =
		    g_strconcat(sc->dir, kinds[k].name, NULL);
		g_autoptr(EvfView) v = view_new(
		    cfg, site->tzs, path, sc->title,
		    kinds[k].calendar ? calendar_updated : sc->updated);
		GBytes *bytes;

		v->now = site->now;
		g_ptr_array_extend(
		    v->events, kinds[k].calendar ? dated : newest, NULL, NULL);
		bytes = kinds[k].write(v, &sc->error);
		if (bytes == NULL)
			return;
		add_file(sc->files, site, g_steal_pointer(&path), bytes);
	}
	/* The page and its archive: every event of the scope, which the
	 * writer splits into upcoming, to be announced and past. */
	for (guint k = 0; k < G_N_ELEMENTS(page_names); k++) {
		g_autofree char *path =
		    g_strconcat(sc->dir, page_names[k], NULL);
		g_autoptr(EvfView) v =
		    view_new(cfg, site->tzs, path, sc->title, sc->updated);
		GBytes *bytes;

		v->category = g_strdup(sc->category);
		/* the scope's own last change, as its feeds say: an edit
		 * elsewhere leaves a category's pages as they were */
		v->changed = sc->updated;
		g_ptr_array_extend(v->events, sc->events, NULL, NULL);
		bytes = evf_write_page(v, site->now, k == 1, &sc->error);
		if (bytes == NULL)
			return;
		add_file(sc->files, site, g_steal_pointer(&path), bytes);
	}
}

/* The largest scopes first, so that no processor is left with a big one
 * at the end while the others wait. */
static gint
scope_cmp_size(gconstpointer a, gconstpointer b)
{
	const Scope *x = *(Scope *const *)a, *y = *(Scope *const *)b;

	return (x->events->len < y->events->len) -
	       (x->events->len > y->events->len);
}

/* An event's own calendar. */
typedef struct {
	EvfEvent *ev;
	EvfFile *file;
} Single;

/* What every one-event calendar shares. */
typedef struct {
	const Site *site;
	GHashTable *heads; /* zone ("" for none) → head */
} Singles;

static const char *
zone_key(const EvfEvent *ev)
{
	const char *tzid = evf_ics_tzid(ev);

	return tzid != NULL ? tzid : "";
}

static EvfView *
single_view(const Site *site, EvfEvent *ev)
{
	g_autofree char *path = g_strdup_printf("events/%s.ics", ev->slug);
	EvfView *v =
	    view_new(site->cfg, site->tzs, path, ev->title, ev->modified);

	v->single = TRUE;
	g_ptr_array_add(v->events, ev);
	return v;
}

static void
render_single(gpointer data, gpointer user_data)
{
	Single *one = data;
	const Singles *all = user_data;
	g_autoptr(EvfView) v = single_view(all->site, one->ev);

	one->file = evf_file_new(
	    g_strdup(v->path),
	    evf_write_ics_with_head(
	        v, g_hash_table_lookup(all->heads, zone_key(one->ev))));
	if (all->site->gz != NULL)
		evf_gzipper_add(all->site->gz, one->file);
}

/* Adds the calendar of each partner's series (events/<slug>.ics, of
 * evf_render_series_slug): every dated occurrence, each a VEVENT of its
 * own UID, for the "Add to calendar" of the series' one article and feed
 * item, which show its further dates too. */
static gboolean
render_series_calendars(GPtrArray *files, const Site *site, GPtrArray *events,
                        GError **error)
{
	g_autoptr(GHashTable) series = evf_render_series_group(events);
	GHashTableIter it;
	gpointer value;

	if (series == NULL)
		return TRUE;
	g_hash_table_iter_init(&it, series);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		GPtrArray *occ = value;
		const EvfEvent *first = g_ptr_array_index(occ, 0);
		g_autofree char *slug = evf_render_series_slug(first);
		g_autofree char *path = g_strdup_printf("events/%s.ics", slug);
		g_autoptr(EvfView) v = NULL;
		gint64 modified = 0;
		GBytes *bytes;

		for (guint i = 0; i < occ->len; i++)
			modified = MAX(
			    modified,
			    ((EvfEvent *)g_ptr_array_index(occ, i))->modified);
		v = view_new(site->cfg, site->tzs, path, first->title,
		             modified);
		v->single = TRUE;
		for (guint i = 0; i < occ->len; i++) {
			EvfEvent *ev = g_ptr_array_index(occ, i);

			if (!ev->tba)
				g_ptr_array_add(v->events, ev);
		}
		if (v->events->len == 0)
			continue;
		bytes = evf_write_ics(v, error);
		if (bytes == NULL)
			return FALSE;
		add_file(files, site, g_steal_pointer(&path), bytes);
	}
	return TRUE;
}

/* Adds every dated event's own calendar, made (and handed to the
 * gzipper) on all processors. Their heads depend on the event's zone
 * alone, and are made once per zone. */
static gboolean
render_singles(GPtrArray *files, const Site *site, GPtrArray *events,
               GError **error)
{
	g_autoptr(GHashTable) heads =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(GPtrArray) singles = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		Single *one;

		if (ev->tba)
			continue;
		if (!g_hash_table_contains(heads, zone_key(ev))) {
			g_autoptr(EvfView) v = single_view(site, ev);
			char *head = evf_ics_head(v, error);

			if (head == NULL)
				return FALSE;
			g_hash_table_insert(heads, (gpointer)zone_key(ev),
			                    head);
		}
		one = g_new0(Single, 1);
		one->ev = ev;
		g_ptr_array_add(singles, one);
	}
	evf_parallel_for(singles, render_single,
	                 &(Singles){ .site = site, .heads = heads });
	for (guint i = 0; i < singles->len; i++)
		g_ptr_array_add(
		    files, ((Single *)g_ptr_array_index(singles, i))->file);
	return TRUE;
}

/* The year from which the site's zone is published for events from
 * @year on that do not use it (for X-WR-TIMEZONE): no earlier than its
 * irregular years end, nor than the rules Outlook reads begin, where they
 * do, since the events in that zone share the one VTIMEZONE and would be
 * read with rules Outlook does not take (evf_tz_outlook_reads). */
static int
site_zone_year(const EvfConfig *cfg, int year)
{
	int outlook = evf_tz_outlook_from(cfg->timezone);

	year = MAX(year, evf_tz_regular_from(cfg->timezone));
	return outlook != G_MAXINT ? MAX(year, outlook) : year;
}

/* What prepare_event needs. */
typedef struct {
	const EvfConfig *cfg;
	GTimeZone *tz; /* the site's */
	gint64 now;
} Prepare;

/* What every scope an event is in uses (its VEVENT and jCal, its articles
 * on the pages), made first for every event, on all processors: each is a
 * function of the event, its state and the configuration alone (libical
 * keeps its scratch memory and errors per thread; each writer has its own
 * libxml2 buffer). The daemon keeps an unchanged file's event from one
 * build to the next, and with it these, as long as its state is the
 * same. */

static void
prepare_event(gpointer data, gpointer user_data)
{
	EvfEvent *ev = data;
	const Prepare *prep = user_data;

	/* before the scopes share it */
	evf_event_settle_dates(ev);
	evf_event_renders_for(ev);

	/* A failure shows again, with its error, when a writer asks. */
	if (!ev->tba)
		(void)evf_jcal_vevent(prep->cfg, ev, NULL);
	evf_page_prepare(prep->cfg, prep->tz, prep->now, ev);
}

static gint
file_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(EvfFile *const *)a)->path,
	              (*(EvfFile *const *)b)->path);
}

/* The scope of the category @c, or (@source) of the partner source of
 * @c's slug and name that keeps its files, empty. */
static Scope *
category_scope(const EvfConfig *cfg, const EvfCategory *c, gboolean source)
{
	gint64 updated = MAX(c->emptied, c->changed);

	for (guint k = 0; k < c->events->len; k++)
		updated = MAX(
		    updated,
		    ((EvfEvent *)g_ptr_array_index(c->events, k))->modified);
	Scope *sc = scope_new(
	    g_strdup_printf("%s/%s/", source ? "source" : "category", c->slug),
	    g_strdup_printf("%s: %s", cfg->title, c->name),
	    source ? NULL : c->name, c->events, updated);

	sc->dated_changed = c->dated_changed;
	return sc;
}

GPtrArray *
evf_render_site(const EvfConfig *cfg, GPtrArray *events, GPtrArray *given,
                GPtrArray *given_sources, GPtrArray *kept,
                GPtrArray *kept_sources, gint64 updated, gint64 dated_changed,
                gint64 now, GHashTable *floors, gint64 *until, EvfGzipper *gz,
                GError **error)
{
	g_autoptr(GPtrArray) files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_file_free);
	g_autoptr(EvfTzSet) tzs = evf_tz_set_new();
	g_autoptr(GPtrArray) cats = given != NULL
	                                ? g_ptr_array_ref(given)
	                                : evf_render_categories(events);
	g_autoptr(GPtrArray) sources =
	    given_sources != NULL ? g_ptr_array_ref(given_sources)
	                          : evf_render_source_lists(cfg, events);
	g_autoptr(GPtrArray) scopes =
	    g_ptr_array_new_with_free_func(scope_free);
	g_autoptr(GHashTable) long_past = NULL;
	/* a clock set back does not bring ended events back */
	gint64 past_at = MAX(now, updated);
	Site site = { cfg, tzs, gz, past_at, NULL };
	gint64 first_end = G_MAXINT64;
	gboolean site_zone_used = FALSE;
	int first_year = G_MAXINT;

	g_autoptr(GTimeZone) site_tz = evf_tz_or_utc(cfg->timezone);

	evf_parallel_for(events, prepare_event,
	                 &(Prepare){ cfg, site_tz, past_at });
	for (guint i = 0; i < events->len; i++)
		first_end =
		    MIN(first_end,
		        ((EvfEvent *)g_ptr_array_index(events, i))->past_until);
	/* Counted back from the time of the build, as the pages' past is. */
	if (cfg->past_limited) {
		gint64 days = (gint64)cfg->past_days * 86400 * G_USEC_PER_SEC;

		long_past = g_hash_table_new_full(NULL, NULL, NULL, g_free);
		for (guint i = 0; i < events->len; i++) {
			EvfEvent *ev = g_ptr_array_index(events, i);
			gint64 kept_until = G_MAXINT64;
			gint64 ended = 0;

			if (evf_page_ended_by(site_tz, ev, past_at - days,
			                      &kept_until, &ended)) {
				/* when it left the calendars */
				gint64 left = ended + days;

				g_hash_table_insert(
				    long_past, ev,
				    g_memdup2(&left, sizeof left));
			} else if (kept_until < G_MAXINT64 - days)
				first_end = MIN(first_end, kept_until + days);
		}
		site.long_past = long_past;
	}
	if (until != NULL)
		*until = first_end;

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		const char *tzid;
		int year;

		if (ev->tba)
			continue;
		tzid = evf_ics_tzid(ev);
		year = ev->all_day ? g_date_get_year(&ev->start_date)
		                   : g_date_time_get_year(ev->start);
		first_year = MIN(first_year, year);
		/* The site's zone, for its X-WR-TIMEZONE, from the year of
		 * the events (site_zone_year) */
		if (tzid != NULL) {
			evf_tz_set_use(tzs, tzid, year);
			/* all-day dates refer to no VTIMEZONE; a series with
			 * an end uses its zone until its last occurrence
			 * ends (a later change of the zone's rules would
			 * leave rules no occurrence uses, which Ruby's
			 * icalendar cannot read) */
			if (!ev->all_day) {
				g_autoptr(GDateTime) last =
				    ev->rrule != NULL
				        ? evf_rrule_last_end(ev)
				        : g_date_time_ref(ev->end);

				evf_tz_set_use_until(tzs, tzid, last);
			}
		} else {
			evf_tz_set_use(tzs, cfg->timezone,
			               site_zone_year(cfg, year));
			site_zone_used = TRUE;
		}
	}
	/* Every calendar carries the site's zone. With no event in it, its
	 * VTIMEZONE starts with the first event's year, or with the last
	 * change's when there is none, rather than with tzdata's first
	 * regular year (1970 in most zones). */
	if (!site_zone_used) {
		if (first_year == G_MAXINT && updated > 0) {
			g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(
			    updated / G_USEC_PER_SEC);

			first_year = g_date_time_get_year(t);
		}
		if (first_year != G_MAXINT)
			evf_tz_set_use(tzs, cfg->timezone,
			               site_zone_year(cfg, first_year));
	}

	{
		Scope *whole = scope_new(g_strdup(""), g_strdup(cfg->title),
		                         NULL, events, updated);

		whole->dated_changed = dated_changed;
		g_ptr_array_add(scopes, whole);
	}
	for (guint i = 0; i < cats->len; i++)
		g_ptr_array_add(
		    scopes,
		    category_scope(cfg, g_ptr_array_index(cats, i), FALSE));
	/* A category that lost its last event keeps its calendar and
	 * feeds, empty, for a while: a 404 would leave its subscribers'
	 * calendar programs showing its events for ever. */
	for (guint i = 0; kept != NULL && i < kept->len; i++)
		g_ptr_array_add(
		    scopes,
		    category_scope(cfg, g_ptr_array_index(kept, i), FALSE));
	/* An enabled source that lists nothing now (emptied, or not fetched
	 * yet) has its calendar and feeds all the same, empty: a 404 would
	 * leave its subscribers' calendar programs showing what it listed
	 * before, for ever. */
	for (guint i = 0; i < sources->len; i++) {
		const EvfCategory *c = g_ptr_array_index(sources, i);
		Scope *sc = category_scope(cfg, c, TRUE);

		if (c->events->len == 0)
			sc->updated = updated;
		g_ptr_array_add(scopes, sc);
	}
	/* So does a source disabled or taken out of the configuration. */
	for (guint i = 0; kept_sources != NULL && i < kept_sources->len; i++)
		g_ptr_array_add(
		    scopes, category_scope(
		                cfg, g_ptr_array_index(kept_sources, i), TRUE));
	g_ptr_array_sort(scopes, scope_cmp_size);
	for (guint i = 0; floors != NULL && i < scopes->len; i++) {
		Scope *sc = g_ptr_array_index(scopes, i);

		sc->floor = g_hash_table_lookup(floors, sc->dir);
	}
	evf_parallel_for(scopes, render_scope, &site);
	for (guint i = 0; i < scopes->len; i++) {
		Scope *sc = g_ptr_array_index(scopes, i);

		if (sc->error != NULL) {
			g_propagate_error(error, g_steal_pointer(&sc->error));
			return NULL;
		}
		/* (no scope reads them any more) */
		if (floors != NULL && sc->next_floor != NULL)
			g_hash_table_replace(floors, g_strdup(sc->dir),
			                     g_steal_pointer(&sc->next_floor));
		g_ptr_array_extend_and_steal(files,
		                             g_steal_pointer(&sc->files));
	}
	if (!render_singles(files, &site, events, error) ||
	    !render_series_calendars(files, &site, events, error))
		return NULL;
	add_file(files, &site, g_strdup("style.css"), evf_write_stylesheet());
	g_ptr_array_sort(files, file_cmp);
	return g_steal_pointer(&files);
}
