/*
 * catalog.c: the events folder (see catalog.h).
 */
#include "autoconf.h"
#include "catalog.h"

#include "event.h"
#include "eventfile.h"
#include "util.h"

#include <string.h>

void
evf_source_file_free(EvfSourceFile *f)
{
	if (f == NULL)
		return;
	g_free(f->path);
	g_free(f->display);
	g_free(f->stem);
	if (f->bytes != NULL)
		g_bytes_unref(f->bytes);
	g_free(f);
}

char *
evf_catalog_display_path(const char *path)
{
	g_autofree char *cwd = g_get_current_dir();
	gsize n = strlen(cwd);

	if (strncmp(path, cwd, n) == 0 && path[n] == '/')
		return g_strdup(path + n + 1);
	return g_strdup(path);
}

static gint
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
evf_catalog_read(const EvfConfig *cfg, GPtrArray *diags, char **digest)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(cfg->events_dir, 0, &error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_source_file_free);
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	const char *name;

	if (dir == NULL) {
		g_autofree char *shown =
		    evf_catalog_display_path(cfg->events_dir);
		evf_diags_add(diags, shown, 0, 0,
		              "cannot read the events folder: %s",
		              error->message);
		return NULL;
	}
	while ((name = g_dir_read_name(dir)) != NULL)
		if (name[0] != '.' && g_str_has_suffix(name, ".md") &&
		    strlen(name) > 3)
			g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, name_cmp);

	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		EvfSourceFile *f = g_new0(EvfSourceFile, 1);
		g_autoptr(GError) err = NULL;

		f->path = g_build_filename(cfg->events_dir, n, NULL);
		f->display = evf_catalog_display_path(f->path);
		f->stem = g_strndup(n, strlen(n) - 3);
		f->bytes = evf_file_read(f->path, EVF_EVENTFILE_MAX_FILE, &err);
		if (f->bytes == NULL) {
			if (g_error_matches(err, EVF_ERROR, EVF_ERROR_INVALID))
				evf_diags_add(diags, f->display, 1, 1,
				              "file is too large (the limit is "
				              "%d MiB)",
				              EVF_EVENTFILE_MAX_FILE >> 20);
			else
				evf_diags_add(diags, f->display, 0, 0, "%s",
				              err->message);
			evf_source_file_free(f);
			continue;
		}
		g_checksum_update(sum, (const guchar *)n, strlen(n) + 1);
		{
			gsize len;
			const guchar *data = g_bytes_get_data(f->bytes, &len);
			g_autofree char *size =
			    g_strdup_printf("%" G_GSIZE_FORMAT ":", len);

			g_checksum_update(sum, (const guchar *)size,
			                  strlen(size));
			g_checksum_update(sum, data, len);
		}
		g_ptr_array_add(files, f);
	}
	*digest = g_strdup(g_checksum_get_string(sum));
	return g_steal_pointer(&files);
}

static gint
uid_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(EvfEvent *const *)a)->uid,
	              (*(EvfEvent *const *)b)->uid);
}

/* Checks across files: one uid, one slug and one category URL each. */
static void
check_unique(GPtrArray *events, GPtrArray *diags)
{
	g_autoptr(GHashTable) uids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) slugs = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) cats =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		EvfEvent *other;

		other = g_hash_table_lookup(uids, ev->uid);
		if (other != NULL) {
			evf_diags_add(diags, ev->path, ev->uid_line,
			              ev->uid_col,
			              "duplicate uid '%s': also used by %s",
			              ev->uid, other->path);
			evf_diags_add(diags, other->path, other->uid_line,
			              other->uid_col,
			              "duplicate uid '%s': also used by %s",
			              ev->uid, ev->path);
		} else {
			g_hash_table_insert(uids, ev->uid, ev);
		}
		other = g_hash_table_lookup(slugs, ev->slug);
		if (other != NULL)
			evf_diags_add(diags, ev->path, 1, 1,
			              "file name gives the same address "
			              "(events/%s.ics) as %s",
			              ev->slug, other->path);
		else
			g_hash_table_insert(slugs, ev->slug, ev);
		for (guint k = 0; k < ev->categories->len; k++) {
			const char *name = g_ptr_array_index(ev->categories, k);
			char *slug = evf_slugify(name);
			const char *seen = g_hash_table_lookup(cats, slug);

			if (seen == NULL) {
				g_hash_table_insert(cats, slug, (char *)name);
				continue;
			}
			if (g_utf8_collate(seen, name) != 0) {
				g_autofree char *a = g_utf8_casefold(seen, -1);
				g_autofree char *b = g_utf8_casefold(name, -1);

				if (strcmp(a, b) != 0)
					evf_diags_add(
					    diags, ev->path, 1, 1,
					    "category '%s' has the same "
					    "address (category/%s/) as "
					    "category '%s'",
					    name, slug, seen);
			}
			g_free(slug);
		}
	}
}

GPtrArray *
evf_catalog_parse(const EvfConfig *cfg, GPtrArray *files, gint64 now,
                  GPtrArray *diags)
{
	g_autoptr(GPtrArray) events =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_free);
	guint before = evf_diags_errors(diags);

	for (guint i = 0; i < files->len; i++) {
		EvfSourceFile *f = g_ptr_array_index(files, i);
		gsize len;
		const char *data = g_bytes_get_data(f->bytes, &len);
		EvfEvent *ev = evf_eventfile_parse(f->display, f->stem, data,
		                                   len, cfg, now, diags);
		if (ev != NULL)
			g_ptr_array_add(events, ev);
	}
	check_unique(events, diags);
	if (evf_diags_errors(diags) > before)
		return NULL;
	g_ptr_array_sort(events, uid_cmp);
	return g_steal_pointer(&events);
}
