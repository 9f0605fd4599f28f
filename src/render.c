/*
 * render.c: the output layout (see render.h). Decides which events each
 * view holds and in which order; the writers decide the bytes.
 */
#include "autoconf.h"
#include "render.h"

#include "gzip.h"
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

void
evf_file_free(EvfFile *f)
{
	if (f == NULL)
		return;
	g_free(f->path);
	if (f->bytes != NULL)
		g_bytes_unref(f->bytes);
	g_free(f);
}

char *
evf_render_tag_id(const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autofree char *uid =
	    g_uri_escape_string(ev->uid, "!$&'()*+,;=:@/?", FALSE);

	return g_strdup_printf("tag:%s,%s:event:%s", cfg->host, cfg->tag_date,
	                       uid);
}

char *
evf_render_view_id(const EvfConfig *cfg, const char *path)
{
	g_autofree char *p = g_uri_escape_string(path, "/", FALSE);

	return g_strdup_printf("tag:%s,%s:%s", cfg->host, cfg->tag_date, p);
}

char *
evf_render_event_link(const EvfConfig *cfg, const EvfEvent *ev)
{
	if (ev->url != NULL)
		return g_strdup(ev->url);
	return g_strdup_printf("%s#%s", cfg->url, ev->slug);
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

	if (ev->source != NULL)
		g_string_append_printf(s, "Source: %s <%s>", ev->source_title,
		                       ev->url != NULL ? ev->url
		                                       : ev->source_url);
	if (also != NULL)
		g_string_append_printf(s, "%sAlso listed by: %s",
		                       s->len > 0 ? "\n" : "", also);
	return g_string_free(s, s->len == 0);
}

char *
evf_render_event_html(const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autofree char *also = also_listed(cfg, ev);
	g_autoptr(GString) s = g_string_new("<p>");
	g_autofree char *when = evf_event_format_when(ev);
	g_autofree char *line = NULL;

	if (ev->status == EVF_STATUS_CANCELLED)
		g_string_append(s, "<strong>This event is cancelled.</strong>"
		                   "<br>");
	else if (ev->status == EVF_STATUS_TENTATIVE)
		g_string_append(s, "<strong>Tentative.</strong><br>");
	line = g_markup_printf_escaped("<strong>When:</strong> %s", when);
	g_string_append(s, line);
	if (ev->location != NULL) {
		g_autofree char *l = g_markup_printf_escaped(
		    "<br><strong>Where:</strong> %s", ev->location);
		g_string_append(s, l);
	}
	for (guint i = 0; i < ev->organizers->len; i++) {
		g_autofree char *l = g_markup_printf_escaped(
		    "%s%s", i == 0 ? "" : "; ",
		    (const char *)g_ptr_array_index(ev->organizers, i));
		if (i == 0)
			g_string_append(s, "<br><strong>Organiser:</strong> ");
		g_string_append(s, l);
	}
	if (ev->url != NULL) {
		g_autofree char *l = g_markup_printf_escaped(
		    "<br><a href=\"%s\">More information</a>", ev->url);
		g_string_append(s, l);
	}
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
	g_string_append(s, "</p>");
	if (ev->description_html != NULL && ev->description_html[0] != '\0') {
		g_string_append_c(s, '\n');
		g_string_append(s, ev->description_html);
	}
	return g_strdup(s->str);
}

typedef struct {
	char *slug;
	char *name;
	GPtrArray *events; /* borrowed */
} Category;

static void
category_free(gpointer p)
{
	Category *c = p;

	g_free(c->slug);
	g_free(c->name);
	g_ptr_array_unref(c->events);
	g_free(c);
}

static gint
category_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(Category *const *)a)->slug,
	              (*(Category *const *)b)->slug);
}

/* The site's categories, sorted by slug, each with its events. */
static GPtrArray *
categories_of(GPtrArray *events)
{
	g_autoptr(GHashTable) by_slug =
	    g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *out = g_ptr_array_new_with_free_func(category_free);

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);

		for (guint k = 0; k < ev->categories->len; k++) {
			const char *name = g_ptr_array_index(ev->categories, k);
			g_autofree char *slug = evf_slugify(name);
			Category *c = g_hash_table_lookup(by_slug, slug);

			if (c == NULL) {
				c = g_new0(Category, 1);
				c->slug = g_steal_pointer(&slug);
				c->name = g_strdup(name);
				c->events = g_ptr_array_new();
				g_hash_table_insert(by_slug, c->slug, c);
				g_ptr_array_add(out, c);
			}
			if (c->events->len == 0 ||
			    g_ptr_array_index(c->events, c->events->len - 1) !=
			        ev)
				g_ptr_array_add(c->events, ev);
		}
	}
	g_ptr_array_sort(out, category_cmp);
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

/* Adds @f to @files, and hands it to @gz (if any) to compress. */
static void
add_file(GPtrArray *files, EvfGzipper *gz, EvfFile *f)
{
	g_ptr_array_add(files, f);
	if (gz != NULL)
		evf_gzipper_add(gz, f);
}

/* Adds the files of a scope (the site or a category). */
static gboolean
render_scope(GPtrArray *files, EvfGzipper *gz, const EvfConfig *cfg,
             EvfTzSet *tzs, const char *dir, const char *title,
             const char *category, GPtrArray *events, gint64 updated,
             gint64 now, GError **error)
{
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
	g_autoptr(GPtrArray) dated = g_ptr_array_new();
	g_autoptr(GPtrArray) newest = g_ptr_array_new();

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		if (!ev->tba)
			g_ptr_array_add(dated, ev);
		g_ptr_array_add(newest, ev);
	}
	g_ptr_array_sort(dated, evf_event_cmp_start);
	g_ptr_array_sort(newest, evf_event_cmp_pubdate_desc);
	if (newest->len > cfg->max_items)
		g_ptr_array_set_size(newest, cfg->max_items);

	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		g_autofree char *path = g_strconcat(dir, kinds[k].name, NULL);
		g_autoptr(EvfView) v = view_new(cfg, tzs, path, title, updated);
		GPtrArray *src = kinds[k].calendar ? dated : newest;
		EvfFile *f;

		g_ptr_array_extend(v->events, src, NULL, NULL);
		f = g_new0(EvfFile, 1);
		f->path = g_steal_pointer(&path);
		f->bytes = kinds[k].write(v, error);
		if (f->bytes == NULL) {
			evf_file_free(f);
			return FALSE;
		}
		add_file(files, gz, f);
	}
	/* The page and its archive: every event of the scope, which the
	 * writer splits into upcoming, to be announced and past. */
	for (guint k = 0; k < 2; k++) {
		g_autofree char *path = g_strconcat(
		    dir, k == 0 ? "index.html" : "archive.html", NULL);
		g_autoptr(EvfView) v = view_new(cfg, tzs, path, title, updated);
		EvfFile *f;

		v->category = g_strdup(category);
		g_ptr_array_extend(v->events, events, NULL, NULL);
		f = g_new0(EvfFile, 1);
		f->path = g_steal_pointer(&path);
		f->bytes = evf_write_page(v, now, k == 1, error);
		if (f->bytes == NULL) {
			evf_file_free(f);
			return FALSE;
		}
		add_file(files, gz, f);
	}
	return TRUE;
}

/* What every scope an event is in uses (its VEVENT and jCal, its articles
 * on the pages), made first for every event, on all processors: each is a
 * function of the event and the configuration alone (libical keeps its
 * scratch memory and errors per thread; each writer has its own libxml2
 * buffer). */
static void
prepare_event(gpointer data, gpointer user_data)
{
	EvfEvent *ev = data;

	/* A failure shows again, with its error, when a writer asks. */
	if (!ev->tba)
		(void)evf_jcal_vevent(user_data, ev, NULL);
	evf_page_prepare(user_data, ev);
}

static gint
file_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(EvfFile *const *)a)->path,
	              (*(EvfFile *const *)b)->path);
}

GPtrArray *
evf_render_site(const EvfConfig *cfg, GPtrArray *events, gint64 updated,
                EvfGzipper *gz, GError **error)
{
	g_autoptr(GPtrArray) files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_file_free);
	g_autoptr(EvfTzSet) tzs = evf_tz_set_new();
	g_autoptr(GPtrArray) cats = categories_of(events);

	evf_parallel_for(events, prepare_event, (gpointer)cfg);

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);

		if (ev->tzid != NULL)
			evf_tz_set_use(tzs, ev->tzid,
			               g_date_time_get_year(ev->start));
		else if (!ev->tba)
			evf_tz_set_use(tzs, cfg->timezone,
			               ev->all_day
			                   ? g_date_get_year(&ev->start_date)
			                   : g_date_time_get_year(ev->start));
	}

	if (!render_scope(files, gz, cfg, tzs, "", cfg->title, NULL, events,
	                  updated, updated, error))
		return NULL;
	for (guint i = 0; i < cats->len; i++) {
		Category *c = g_ptr_array_index(cats, i);
		g_autofree char *dir = g_strdup_printf("category/%s/", c->slug);
		g_autofree char *title =
		    g_strdup_printf("%s: %s", cfg->title, c->name);
		gint64 cat_updated = 0;

		for (guint k = 0; k < c->events->len; k++)
			cat_updated =
			    MAX(cat_updated,
			        ((EvfEvent *)g_ptr_array_index(c->events, k))
			            ->modified);
		if (!render_scope(files, gz, cfg, tzs, dir, title, c->name,
		                  c->events, cat_updated, updated, error))
			return NULL;
	}
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		g_autoptr(GPtrArray) mine = g_ptr_array_new();
		g_autofree char *dir = NULL;
		g_autofree char *title = NULL;
		gint64 src_updated = 0;

		for (guint k = 0; k < events->len; k++) {
			EvfEvent *ev = g_ptr_array_index(events, k);
			gboolean listed = g_strcmp0(ev->source, src->name) == 0;

			for (guint j = 0; j < ev->also_listed->len; j++)
				listed |= strcmp(g_ptr_array_index(
				                     ev->also_listed, j),
				                 src->name) == 0;
			if (listed) {
				g_ptr_array_add(mine, ev);
				src_updated = MAX(src_updated, ev->modified);
			}
		}
		if (mine->len == 0)
			continue;
		dir = g_strdup_printf("source/%s/", src->name);
		title = g_strdup_printf("%s: %s", cfg->title, src->title);
		if (!render_scope(files, gz, cfg, tzs, dir, title, NULL, mine,
		                  src_updated, updated, error))
			return NULL;
	}
	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		g_autoptr(EvfView) v = NULL;
		g_autofree char *path = NULL;
		EvfFile *f;

		if (ev->tba)
			continue;
		path = g_strdup_printf("events/%s.ics", ev->slug);
		v = view_new(cfg, tzs, path, ev->title, ev->modified);
		v->single = TRUE;
		g_ptr_array_add(v->events, ev);
		f = g_new0(EvfFile, 1);
		f->path = g_steal_pointer(&path);
		f->bytes = evf_write_ics(v, error);
		if (f->bytes == NULL) {
			evf_file_free(f);
			return NULL;
		}
		add_file(files, gz, f);
	}
	{
		EvfFile *css = g_new0(EvfFile, 1);

		css->path = g_strdup("style.css");
		css->bytes = evf_write_stylesheet();
		add_file(files, gz, css);
	}
	g_ptr_array_sort(files, file_cmp);
	return g_steal_pointer(&files);
}
