/*
 * migrate.c: `evfeed import` (see migrate.h). The calendar is read once
 * by libical in import-ics.c's sandbox, in series mode, for the values;
 * and once more here, line by line, for what libical does not keep: where
 * each VEVENT and each property is in the file, so that what an event
 * file cannot hold is reported as a compiler reports a problem. That
 * second reading looks only at property names and the UID; it never
 * interprets values.
 *
 * Every event file is checked by the event file reader before it is
 * written, and the whole folder by `evfeed check`'s code after: an import
 * never leaves a folder that does not build.
 */
#include "autoconf.h"
#include "migrate.h"

#include "catalog.h"
#include "eventfile.h"
#include "eventwrite.h"
#include "fetch.h"
#include "html.h"
#include "import.h"
#include "partner.h"
#include "tz.h"
#include "util.h"

#include <errno.h>
#include <string.h>

/* ---------------------------------------------------------- the lines */

typedef struct {
	char *name; /* upper case; components as "BEGIN:VALARM" */
	char *value;
	guint line;
} Prop;

typedef struct {
	guint line; /* of BEGIN:VEVENT */
	char *uid;  /* nullable */
	gboolean override;
	GArray *props; /* Prop */
} Vevent;

static void
prop_clear(gpointer p)
{
	Prop *pr = p;

	g_free(pr->name);
	g_free(pr->value);
}

static void
vevent_free(gpointer p)
{
	Vevent *v = p;

	g_free(v->uid);
	g_array_unref(v->props);
	g_free(v);
}

/* The value of an unfolded content line: after the first ':' outside a
 * quoted parameter value; NULL when there is none. */
static const char *
line_value(const char *line)
{
	gboolean quoted = FALSE;

	for (const char *p = line; *p != '\0'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ':' && !quoted)
			return p + 1;
	}
	return NULL;
}

/* (transfer full): a TEXT value unescaped (RFC 5545 §3.3.11), on one
 * line, as import-ics.c reads a UID. */
static char *
text_value(const char *v)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (const char *p = v; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			g_string_append_c(s, *p == 'n' || *p == 'N' ? ' ' : *p);
		} else {
			g_string_append_c(s, *p);
		}
	}
	return evf_text_oneline(s->str);
}

typedef struct {
	GPtrArray *vevents; /* Vevent* in document order */
	GArray *others;     /* Prop: components that are not events */
	GPtrArray *stack;   /* names of the open components */
	Vevent *cur;
	guint skip_depth; /* inside a component of a VEVENT */
} Scan;

/* One unfolded content line that starts on @lineno. */
static void
scan_line(Scan *s, const char *line, guint lineno)
{
	const char *value = line_value(line);
	gsize n = strcspn(line, ";:");
	g_autofree char *name = g_ascii_strup(line, (gssize)n);
	g_autofree char *comp = NULL;
	const char *top = s->stack->len > 0
	                      ? g_ptr_array_index(s->stack, s->stack->len - 1)
	                      : "";

	/* A line of an event that is no property (no ':'), such as one
	 * folded without the leading space: libical drops it, and the
	 * report says so. */
	if (value == NULL && s->cur != NULL && s->skip_depth == 0 &&
	    line[strspn(line, " \t")] != '\0') {
		Prop p = { g_strdup(""), g_strndup(line, 64), lineno };

		g_array_append_val(s->cur->props, p);
		return;
	}
	if (value == NULL || name[0] == '\0')
		return;
	if (strcmp(name, "BEGIN") == 0 || strcmp(name, "END") == 0) {
		comp = g_ascii_strup(value, -1);
		g_strstrip(comp);
	}
	if (strcmp(name, "BEGIN") == 0) {
		if (s->cur != NULL && s->skip_depth == 0) {
			Prop p = { g_strconcat("BEGIN:", comp, NULL),
				   g_strdup(""), lineno };

			g_array_append_val(s->cur->props, p);
		}
		if (s->cur != NULL) {
			s->skip_depth++;
		} else if (strcmp(comp, "VEVENT") == 0 &&
		           strcmp(top, "VCALENDAR") == 0) {
			s->cur = g_new0(Vevent, 1);
			s->cur->line = lineno;
			s->cur->props = g_array_new(FALSE, FALSE, sizeof(Prop));
			g_array_set_clear_func(s->cur->props, prop_clear);
			g_ptr_array_add(s->vevents, s->cur);
		} else if (strcmp(top, "VCALENDAR") == 0 &&
		           strcmp(comp, "VTIMEZONE") != 0) {
			Prop p = { g_strdup(comp), g_strdup(""), lineno };

			g_array_append_val(s->others, p);
		}
		if (s->skip_depth == 0)
			g_ptr_array_add(s->stack, g_steal_pointer(&comp));
		return;
	}
	if (strcmp(name, "END") == 0) {
		if (s->skip_depth > 0) {
			s->skip_depth--;
			return;
		}
		if (s->stack->len > 0)
			g_ptr_array_set_size(s->stack, s->stack->len - 1);
		if (strcmp(comp, "VEVENT") == 0)
			s->cur = NULL;
		return;
	}
	if (s->cur == NULL || s->skip_depth > 0)
		return;
	if (strcmp(name, "UID") == 0 && s->cur->uid == NULL)
		s->cur->uid = text_value(value);
	if (strcmp(name, "RECURRENCE-ID") == 0)
		s->cur->override = TRUE;
	{
		/* (a rule whole, as the RRULE check reads it: a cut one is
		 * another rule, or none) */
		gsize keep = strcmp(name, "RRULE") == 0 ? 1024 : 64;
		Prop p = { g_steal_pointer(&name), g_strndup(value, keep),
			   lineno };

		g_array_append_val(s->cur->props, p);
	}
}

/* (transfer full) (element-type Vevent): the VEVENTs of @data with the
 * lines of their properties; *others the other components. */
static GPtrArray *
scan(const char *data, gsize len, GArray **others)
{
	Scan s = { 0 };
	g_autoptr(GString) logical = g_string_new(NULL);
	guint lineno = 0, start = 0;
	const char *p = data, *end = data + len;

	s.vevents = g_ptr_array_new_with_free_func(vevent_free);
	s.others = g_array_new(FALSE, FALSE, sizeof(Prop));
	g_array_set_clear_func(s.others, prop_clear);
	s.stack = g_ptr_array_new_with_free_func(g_free);
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *e = nl != NULL ? nl : end;
		gsize n = (gsize)(e - p);

		lineno++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
			g_string_append_len(logical, p + 1, (gssize)n - 1);
		} else {
			if (start != 0)
				scan_line(&s, logical->str, start);
			g_string_truncate(logical, 0);
			g_string_append_len(logical, p, (gssize)n);
			start = lineno;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	if (start != 0)
		scan_line(&s, logical->str, start);
	g_ptr_array_unref(s.stack);
	*others = s.others;
	return s.vevents;
}

/* ------------------------------------------------------------ Markdown */

/* The length of the web address at @p that the autolink extension links
 * (http://, https:// or www., then anything), up to white space, as the
 * extension reads it; 0 when there is none. */
static gsize
address_len(const char *p)
{
	static const char *const prefixes[] = { "https://", "http://", "www." };

	for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++) {
		gsize k = strlen(prefixes[i]);

		/* cmark-gfm ends it at a '<' too */
		if (g_ascii_strncasecmp(p, prefixes[i], k) == 0 &&
		    p[k] != '\0' && p[k] != ' ' && p[k] != '\t' && p[k] != '<')
			return strcspn(p, " \t<");
	}
	return 0;
}

/* The length of the web address at @p in @line that the autolink
 * extension links, as address_len; 0 when there is none. It links a
 * "www." address after white space or one of '(', '*', '_' and '~' (GFM's
 * extended autolinks), but an "http://" or "https://" one after anything
 * but a letter, which it reads as part of the scheme: an address in
 * angle brackets, as evfeed's own calendar writes a link's, or after '['
 * or '=', is linked too. */
static gsize
address_at(const char *line, const char *p)
{
	if (p == line || strchr(" \t(\"'*_~", p[-1]) != NULL)
		return address_len(p);
	if (!g_ascii_isalpha(p[-1]) && g_ascii_strncasecmp(p, "www.", 4) != 0)
		return address_len(p);
	return 0;
}

/* Appends the web address of @n bytes at @p as a CommonMark autolink
 * ("<https://…>"), which renders to the same text and links it: its
 * '&'s as "&amp;", since an autolink decodes character references. */
static void
append_autolink(GString *out, const char *p, gsize n)
{
	g_string_append_c(out, '<');
	for (gsize i = 0; i < n; i++) {
		if (p[i] == '&')
			g_string_append(out, "&amp;");
		else
			g_string_append_c(out, p[i]);
	}
	g_string_append_c(out, '>');
}

/* Appends one line of text, escaped. No '<' is ever left as it is, so
 * that nothing can open an HTML tag, but for an autolink of a web
 * address; '>' then only needs care where it would start a quote.
 * Returns whether it ends in a bare web address, which a backslash right
 * after it would join. */
static gboolean
escape_line(GString *out, const char *line)
{
	const char *p = line;
	gboolean start = TRUE;
	gboolean address = FALSE; /* what was appended last */

	while (*p != '\0') {
		gsize a = address_at(line, p);
		gsize n = *p == '<' &&
		                  g_ascii_strncasecmp(p + 1, "www.", 4) != 0 &&
		                  address_len(p + 1) > 0
		              ? strcspn(p + 1, " \t<>")
		              : 0;

		address = FALSE;
		/* "<https://…>", as a link's target is written in plain text
		 * (evf_html_to_text): the brackets as text, around an
		 * autolink */
		if (n > 0 && p[1 + n] == '>') {
			g_string_append(out, "\\<");
			append_autolink(out, p + 1, n);
			g_string_append(out, "\\>");
			p += n + 2;
			start = FALSE;
			continue;
		}
		/* An address that a '<' ends, which the autolink extension
		 * would read on through an escape before it ("\\<br>" in
		 * "https://a.example/e<br>"): an autolink of its own. */
		if (a > 0 && p[a] == '<') {
			append_autolink(out, p, a);
			p += a;
			start = FALSE;
			continue;
		}
		if (a > 0) {
			/* The autolink extension reads an address before
			 * escapes are undone, up to white space: a
			 * backslash there would become part of the link. */
			g_string_append_len(out, p, (gssize)a);
			p += a;
			start = FALSE;
			address = TRUE;
			continue;
		}
		if (strchr("\\`*_[]<|~&!#", *p) != NULL ||
		    (start && strchr("+-=>", *p) != NULL)) {
			g_string_append_c(out, '\\');
			g_string_append_c(out, *p);
		} else if (start && g_ascii_isdigit(*p)) {
			/* "1." or "1)" would start an ordered list. */
			gsize d = strspn(p, "0123456789");

			g_string_append_len(out, p, (gssize)d);
			p += d;
			if (*p == '.' || *p == ')') {
				g_string_append_c(out, '\\');
				g_string_append_c(out, *p);
			} else {
				continue;
			}
		} else {
			g_string_append_c(out, *p);
		}
		start = FALSE;
		p++;
	}
	return address;
}

char *
evf_migrate_markdown(const char *text)
{
	g_auto(GStrv) lines = g_strsplit_set(text, "\n", -1);
	GString *out = g_string_new(NULL);
	gboolean in_para = FALSE, gap = FALSE, address = FALSE;

	for (guint i = 0; lines[i] != NULL; i++) {
		/* Leading white space would make a code block. */
		char *l = g_strstrip(lines[i]);

		if (l[0] == '\0') {
			gap = in_para;
			continue;
		}
		/* A line of a plain text ends where its author ended it
		 * (speaker, room and agenda, each on its line): a hard
		 * break, a backslash at the end of the line, where a
		 * Markdown line's end is a space; after a web address, which
		 * the autolink extension would read on through a backslash,
		 * two spaces. */
		if (in_para)
			g_string_append(out, gap       ? "\n\n"
			                     : address ? "  \n"
			                               : "\\\n");
		address = escape_line(out, l);
		in_para = TRUE;
		gap = FALSE;
	}
	if (out->len > 0)
		g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------- reading */

typedef struct {
	GMainLoop *loop;
	EvfFetchResult *res;
} Wait;

static void
on_fetched(EvfFetchResult *res, gpointer data)
{
	Wait *w = data;

	w->res = res;
	g_main_loop_quit(w->loop);
}

/* (transfer full) (nullable): the body at @url, fetched as a partner
 * source is (fetch.c's limits), with the main loop run until it ends;
 * @unanswered (nullable) is said after an error of the connection (no
 * HTTP status). */
static GBytes *
fetch(const EvfConfig *cfg, const char *url, const char *unanswered,
      GError **error)
{
	g_autofree char *ua = evf_partner_user_agent(cfg);
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(EvfFetchResult) res = NULL;
	EvfFetchRequest req = { 0 };
	EvfFetcher *fetcher;
	Wait w = { 0 };
	g_autofree char *limit =
	    g_strdup_printf("%d MiB, the most evfeed import reads",
	                    EVF_MIGRATE_MAX_BYTES >> 20);

	req.name = "import";
	req.url = url;
	req.timeout = EVF_MIGRATE_TIMEOUT;
	req.max_bytes = EVF_MIGRATE_MAX_BYTES;
	req.limit = limit;
	g_main_context_push_thread_default(ctx);
	fetcher = evf_fetcher_new(ua);
	w.loop = g_main_loop_new(ctx, FALSE);
	evf_fetcher_add(fetcher, &req, on_fetched, &w);
	g_main_loop_run(w.loop);
	g_main_loop_unref(w.loop);
	evf_fetcher_free(fetcher);
	g_main_context_pop_thread_default(ctx);
	res = w.res;
	if (res->error != NULL) {
		evf_throw(error, "cannot fetch: %s%s", res->error,
		          unanswered != NULL ? unanswered : "");
		return NULL;
	}
	if (res->body == NULL) {
		evf_throw(error, "cannot fetch: HTTP status %ld", res->status);
		return NULL;
	}
	return g_bytes_ref(res->body);
}

/* (transfer full) (nullable): the bytes of @source, a file or a URL;
 * *url (transfer full) the URL fetched, else NULL. */
static GBytes *
read_source(const EvfConfig *cfg, const char *source, char **url,
            GError **error)
{
	g_autofree char *scheme = g_uri_parse_scheme(source);

	*url = NULL;
	if (scheme == NULL || strlen(scheme) < 2) /* "C:" is a path */
		return evf_file_read(source, EVF_MIGRATE_MAX_BYTES, error);
	if (g_ascii_strcasecmp(scheme, "webcal") == 0) {
		/* webcal: says nothing of TLS, and evfeed's own pages give it
		 * for an http site: a server that does not answer so is
		 * told how to ask it (not by trying it without TLS, which
		 * anyone between could make happen) */
		g_autofree char *unanswered = g_strconcat(
		    " (webcal:// is read as https://; for a server without "
		    "TLS, give http",
		    source + strlen(scheme), ")", NULL);

		*url = g_strconcat("https", source + strlen(scheme), NULL);
		return fetch(cfg, *url, unanswered, error);
	}
	if (g_ascii_strcasecmp(scheme, "http") == 0 ||
	    g_ascii_strcasecmp(scheme, "https") == 0)
		*url = g_strdup(source);
	else {
		evf_throw(error,
		          "only http, https and webcal URLs can be fetched, "
		          "not %s",
		          scheme);
		return NULL;
	}
	return fetch(cfg, *url, NULL, error);
}

/* ------------------------------------------------------------- the run */

typedef struct {
	const EvfConfig *cfg;
	const char *source; /* as diagnostics name it */
	gboolean dry_run;
	gint64 now;
	FILE *out;
	GPtrArray *diags;
	GHashTable *existing; /* uid → display path of its file */
	GHashTable *slugs;    /* slug → display path, of the folder's files */
	GHashTable *taken;    /* slugs of the files of this run */
	GHashTable *suffixes; /* file name → the next "-N" to try */
	GHashTable *cats;     /* category slug → its first spelling */
	GPtrArray *added;     /* EvfSourceFile: the files to write */
	GPtrArray *added_uids;  /* the uid of each */
	GPtrArray *added_texts; /* and its text */
	GHashTable *by_uid;     /* uid → the first Vevent with it */
	GHashTable *orphans;    /* Vevent → the uid of its event */
	GHashTable *imported;   /* uids written */
	GHashTable *dropped;    /* uid → why its RRULE was left out */
	gboolean events_dir_made;
} Run;

/* (transfer full): a uid fit for a message. */
static char *
label(const char *uid)
{
	g_autofree char *one = evf_text_oneline(uid != NULL ? uid : "");
	glong n = g_utf8_strlen(one, -1);
	g_autofree char *head = NULL;

	if (n <= 40)
		return g_steal_pointer(&one);
	/* Long uids (Outlook's are 112 hex digits) differ at both ends. */
	head = g_utf8_substring(one, 0, 20);
	return g_strconcat(head, "\u2026",
	                   g_utf8_offset_to_pointer(one, n - 19), NULL);
}

/* Finds the VEVENT of each event that import-ics.c made of a changed
 * occurrence whose series is not in the calendar (a single occurrence
 * one was invited to): its uid is the VEVENT's, '/' and the occurrence. */
static void
match_orphans(Run *r, GPtrArray *vevents, EvfImport *imp)
{
	for (guint i = 0; i < imp->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(imp->events, i);

		if (g_hash_table_contains(r->by_uid, ev->uid))
			continue;
		for (guint k = 0; k < vevents->len; k++) {
			Vevent *v = g_ptr_array_index(vevents, k);
			gsize n = v->uid != NULL ? strlen(v->uid) : 0;

			if (v->override && n > 0 &&
			    !g_hash_table_contains(r->by_uid, v->uid) &&
			    !g_hash_table_contains(r->orphans, v) &&
			    strncmp(ev->uid, v->uid, n) == 0 &&
			    ev->uid[n] == '/') {
				g_hash_table_insert(r->by_uid, ev->uid, v);
				g_hash_table_insert(r->orphans, v, ev->uid);
				break;
			}
		}
	}
}

static guint
line_of(Run *r, const char *uid)
{
	Vevent *v = g_hash_table_lookup(r->by_uid, uid);

	return v != NULL ? v->line : 0;
}

/* (transfer full) (nullable): the SUMMARY of @v (nullable), shortened to
 * 60 characters; NULL when it has none. */
static char *
summary_of(const Vevent *v)
{
	for (guint i = 0; v != NULL && i < v->props->len; i++) {
		const Prop *p = &g_array_index(v->props, Prop, i);
		g_autofree char *valid = NULL;
		g_autofree char *text = NULL;

		if (strcmp(p->name, "SUMMARY") != 0)
			continue;
		/* (the value was cut to 64 bytes, maybe inside a character) */
		valid = g_utf8_make_valid(p->value, -1);
		text = text_value(valid);
		if (text == NULL || text[0] == '\0')
			return NULL;
		return evf_text_short(text, 60);
	}
	return NULL;
}

/* (transfer full): how a message names an event: its uid (label()) in
 * quotes, and the SUMMARY of its VEVENT (@v, else the one of @uid) when
 * there is one, so that an editor finds it. */
static char *
named(Run *r, const Vevent *v, const char *uid)
{
	g_autofree char *l = label(uid);
	g_autofree char *title = NULL;

	if (v == NULL && uid != NULL)
		v = g_hash_table_lookup(r->by_uid, uid);
	title = summary_of(v);
	if (title != NULL)
		return g_strdup_printf("'%s' (\"%s\")", l, title);
	return g_strdup_printf("'%s'", l);
}

/* Remembers the spelling of each category of @ev not seen before. */
static void
add_categories(Run *r, const EvfEvent *ev)
{
	for (guint k = 0; k < ev->categories->len; k++) {
		const char *name = g_ptr_array_index(ev->categories, k);
		char *slug = evf_slugify_name(name);

		if (g_hash_table_contains(r->cats, slug))
			g_free(slug);
		else
			g_hash_table_insert(r->cats, slug, g_strdup(name));
	}
}

/* Gives each category of @ev the spelling that the events folder (or an
 * event imported before) has for a category of the same address
 * (category/slug/), which `evfeed check` requires, and leaves out one
 * that the event has already under another spelling. Each change is
 * reported at @line. */
static void
adopt_categories(Run *r, EvfEvent *ev, guint line, const char *l)
{
	g_autoptr(GHashTable) own =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint k = 0; k < ev->categories->len;) {
		char *name = g_ptr_array_index(ev->categories, k);
		g_autofree char *slug = evf_slugify_name(name);
		const char *first = g_hash_table_lookup(own, slug);
		const char *known = g_hash_table_lookup(r->cats, slug);

		if (first != NULL) {
			evf_diags_warn(r->diags, r->source, line, 0,
			               "%s: category '%s' is left out: the "
			               "event has it already, as '%s'",
			               l, name, first);
			g_ptr_array_remove_index(ev->categories, k);
			continue;
		}
		if (known != NULL && strcmp(known, name) != 0) {
			evf_diags_warn(
			    r->diags, r->source, line, 0,
			    "%s: category '%s' is written '%s', as "
			    "another event has it (the same address)",
			    l, name, known);
			g_free(name);
			name = g_strdup(known);
			g_ptr_array_index(ev->categories, k) = name;
		}
		g_hash_table_insert(own, g_steal_pointer(&slug), name);
		k++;
	}
}

/* The uids, slugs and categories of the events folder, which must pass
 * `evfeed check`. */
static gboolean
load_existing(Run *r)
{
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(GPtrArray) seen = evf_diags_new();
	g_autofree char *digest = NULL;

	if (!g_file_test(r->cfg->events_dir, G_FILE_TEST_IS_DIR))
		return TRUE;
	files = evf_catalog_read(r->cfg, NULL, seen, &digest, NULL);
	if (files != NULL)
		events = evf_catalog_parse(r->cfg, NULL, files, r->now, seen);
	/* its errors; its warnings come once, from the check of the folder
	 * with the new files */
	for (guint i = 0; i < seen->len;) {
		const EvfDiag *d = g_ptr_array_index(seen, i);

		if (d->warning)
			i++;
		else
			g_ptr_array_add(r->diags,
			                g_ptr_array_steal_index(seen, i));
	}
	if (events == NULL) {
		g_autofree char *shown =
		    evf_catalog_display_path(r->cfg->events_dir);

		evf_diags_add(r->diags, shown, 0, 0,
		              "the events folder has errors: nothing is "
		              "imported until 'evfeed check' passes");
		return FALSE;
	}
	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);

		g_hash_table_insert(r->existing, g_strdup(ev->uid),
		                    g_strdup(ev->path));
		g_hash_table_insert(r->slugs, g_strdup(ev->slug),
		                    g_strdup(ev->path));
		add_categories(r, ev);
	}
	return TRUE;
}

/* The line of @uid's property @name (the first), else of its VEVENT. */
static guint
prop_line(Run *r, const char *uid, const char *name)
{
	Vevent *v = g_hash_table_lookup(r->by_uid, uid);

	for (guint i = 0; v != NULL && i < v->props->len; i++) {
		const Prop *p = &g_array_index(v->props, Prop, i);

		if (strcmp(p->name, name) == 0)
			return p->line;
	}
	return v != NULL ? v->line : 0;
}

/* An event file refuses a published date in the future, or before 1990
 * (feed validators do); a calendar's CREATED can be either (a clock set
 * wrong, a default of 1970 or 1980). The event is imported without it,
 * with a warning at CREATED, as it would be without one. */
static void
check_published(Run *r, EvfEvent *ev, const char *l)
{
	if (ev->published == 0 ||
	    (ev->published <= r->now && ev->published >= EVF_EARLIEST_PUBDATE))
		return;
	evf_diags_warn(
	    r->diags, r->source, prop_line(r, ev->uid, "CREATED"), 0,
	    "%s: CREATED is not carried over (%s): the event "
	    "is imported without published",
	    l, ev->published > r->now ? "in the future" : "before 1990");
	ev->published = 0;
}

/* A timed VEVENT without DTEND or DURATION ends at its start (RFC 5545
 * §3.6.1), and so does one whose end is its start; an event file cannot
 * say so (its end must be after its start), so the file gets no end and
 * the reader's default of one hour after the start, with a warning. */
static void
check_end(Run *r, const EvfEvent *ev, const char *l)
{
	guint line;
	gboolean none;

	if (ev->tba || ev->all_day || !g_date_time_equal(ev->start, ev->end))
		return;
	line = prop_line(r, ev->uid, "DTEND");
	none =
	    line == line_of(r, ev->uid) &&
	    (line = prop_line(r, ev->uid, "DURATION")) == line_of(r, ev->uid);
	evf_diags_warn(r->diags, r->source, line, 0,
	               "%s: %s: the event file gets no end, which evfeed "
	               "reads as one hour after the start",
	               l,
	               none ? "no end in the source (no DTEND or DURATION, so "
	                      "it ends at its start)"
	                    : "the event ends at its start");
}

/* Warns of the lines of @text, @ev's description, that begin with white
 * space, which the event file does not keep (evf_migrate_markdown: in
 * Markdown it would make a code block). */
static void
check_indent(Run *r, const EvfEvent *ev, const char *l, const char *text)
{
	guint n = 0;

	for (const char *p = text; p != NULL && *p != '\0';) {
		const char *end = strchr(p, '\n');
		gsize len = end != NULL ? (gsize)(end - p) : strlen(p);
		gsize lead = strspn(p, " \t");

		if (lead > 0 && lead < len)
			n++;
		p = end != NULL ? end + 1 : NULL;
	}
	if (n > 0)
		evf_diags_warn(r->diags, r->source,
		               prop_line(r, ev->uid, "DESCRIPTION"), 0,
		               "%s: the indentation of %u line%s of its "
		               "description is not kept (in Markdown it would "
		               "make a code block)",
		               l, n, n == 1 ? "" : "s");
}

/* Whether the UNTIL value @v is after the years an event file takes. */
static gboolean
until_late(const char *v)
{
	g_autofree char *upper = g_ascii_strup(v, -1);
	struct icaltimetype u = icaltime_from_string(upper);

	icalerror_clear_errno();
	return !icaltime_is_null_time(u) && evf_eventfile_until_late(&u);
}

/* Checks @ev's RRULE as an event file would; a rule it would refuse is
 * dropped (the first occurrence stays), and why is kept for the report
 * at its RRULE line (report_properties). */
static void
check_rrule(Run *r, EvfEvent *ev)
{
	char *why;

	/* an UNTIL past the years an event file takes (9999, as calendar
	 * programs write "forever") is no end */
	if (ev->rrule != NULL) {
		g_auto(GStrv) parts = g_strsplit(ev->rrule, ";", -1);
		g_autoptr(GPtrArray) kept = g_ptr_array_new();

		for (guint i = 0; parts[i] != NULL; i++) {
			const char *u = parts[i];

			if (g_ascii_strncasecmp(u, "UNTIL=", 6) != 0 ||
			    !until_late(u + 6))
				g_ptr_array_add(kept, parts[i]);
		}
		if (kept->len < g_strv_length(parts)) {
			g_ptr_array_add(kept, NULL);
			g_free(ev->rrule);
			ev->rrule = g_strjoinv(";", (char **)kept->pdata);
		}
	}
	if (ev->rrule == NULL ||
	    (why = evf_eventfile_check_rrule(ev, ev->rrule)) == NULL)
		return;
	g_hash_table_insert(r->dropped, g_strdup(ev->uid), why);
	g_clear_pointer(&ev->rrule, g_free);
}

/* Whether the file name @name gives an address (its slug) that a file
 * of this run has taken. */
static gboolean
is_taken(Run *r, const char *name)
{
	g_autofree char *stem = g_strndup(name, strlen(name) - 3);
	g_autofree char *slug = evf_slugify(stem);

	return g_hash_table_contains(r->taken, slug);
}

/* (transfer full): the description of @ev to carry over: its plain text,
 * or the text of its HTML (X-ALT-DESC), which keeps link targets, when
 * that has one the plain text has not (Outlook's "register here", with the
 * address in the HTML alone). */
static char *
description_to_carry(const EvfEvent *ev)
{
	g_autofree char *from_html = NULL;
	g_autofree char *plain = NULL;

	if (ev->description_html == NULL)
		return g_strdup(ev->description_text);
	from_html = evf_html_to_text(ev->description_html);
	/* (whatever the case: the HTML's links come written as its
	 * allowlist writes them, "%3A" and the host in lower case, where
	 * the plain text has "%3a" as Teams writes it) */
	plain = g_ascii_strdown(
	    ev->description_text != NULL ? ev->description_text : "", -1);
	for (const char *p = from_html; (p = strstr(p, "<http")) != NULL; p++) {
		const char *end = strchr(p, '>');
		g_autofree char *url = NULL;

		if (end == NULL)
			break;
		url = g_ascii_strdown(p + 1, end - p - 1);
		if (strstr(plain, url) == NULL)
			return g_steal_pointer(&from_html);
	}
	return g_strdup(ev->description_text);
}

/* (transfer full): the file name for @ev: `evfeed new`'s, with "-2", "-3"…
 * when an event of this run already took its address, up to one more than
 * there are addresses taken (one of those is free). Each name goes on from
 * the number its last event got, so that many events of one title and day
 * take one try each. */
static char *
file_name(Run *r, const EvfEvent *ev)
{
	g_autofree char *name = evf_eventwrite_filename(ev);
	g_autofree char *stem = g_strndup(name, strlen(name) - 3);
	guint most = g_hash_table_size(r->taken) + 2;
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(r->suffixes, name));

	if (!is_taken(r, name))
		return g_steal_pointer(&name);
	for (n = MAX(n, 2); n <= most; n++) {
		g_autofree char *next = g_strdup_printf("%s-%u.md", stem, n);

		if (!is_taken(r, next)) {
			g_hash_table_insert(r->suffixes, g_strdup(name),
			                    GUINT_TO_POINTER(n + 1));
			return g_steal_pointer(&next);
		}
	}
	return g_steal_pointer(&name);
}

/* Makes the event file of @ev, to be written with the others of the run
 * (r->added); FALSE (with an error) when it is not imported. */
static gboolean
prepare_event(Run *r, EvfEvent *ev)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) check = evf_diags_new();
	g_autoptr(EvfEvent) back = NULL;
	g_autofree char *l = named(r, NULL, ev->uid);
	g_autofree char *body = NULL;
	g_autofree char *text = NULL;
	g_autofree char *name = NULL;
	g_autofree char *stem = NULL;
	g_autofree char *path = NULL;
	g_autofree char *shown = NULL;
	guint line = line_of(r, ev->uid);
	const char *there = g_hash_table_lookup(r->existing, ev->uid);

	if (there != NULL) {
		evf_diags_add(r->diags, r->source, line, 0,
		              "%s: the events folder has this uid already "
		              "(%s): not imported",
		              l, there);
		return FALSE;
	}
	/* its title and the rest as a partner's are published ("&#8211;"
	 * in The Events Calendar's titles) */
	evf_import_tidy(ev);
	check_rrule(r, ev);
	check_published(r, ev, l);
	check_end(r, ev, l);
	adopt_categories(r, ev, line, l);
	if (ev->description_text != NULL) {
		g_autofree char *carried = description_to_carry(ev);

		check_indent(r, ev, l, carried);
		body = evf_migrate_markdown(carried);
	}
	text = evf_eventwrite_format(r->cfg, ev, body, &error);
	if (text == NULL) {
		evf_diags_add(r->diags, r->source, line, 0,
		              "%s: %s: not imported", l, error->message);
		return FALSE;
	}
	name = file_name(r, ev);
	stem = g_strndup(name, strlen(name) - 3);
	path = g_build_filename(r->cfg->events_dir, name, NULL);
	shown = evf_catalog_display_path(path);

	/* The file as `evfeed check` will read it. */
	back = evf_eventfile_parse(shown, stem, text, strlen(text), r->cfg,
	                           r->now, check);
	if (back == NULL || g_strcmp0(back->uid, ev->uid) != 0) {
		for (guint i = 0; i < check->len; i++) {
			g_autofree char *d =
			    evf_diag_format(g_ptr_array_index(check, i));

			evf_diags_add(r->diags, r->source, line, 0,
			              "%s: the event file would not be "
			              "valid: %s",
			              l, d);
		}
		if (check->len == 0)
			evf_diags_add(r->diags, r->source, line, 0,
			              "%s: the event file would not keep "
			              "the uid: not imported",
			              l);
		return FALSE;
	}
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		evf_diags_add(r->diags, r->source, line, 0,
		              "%s: '%s' exists and is not overwritten: not "
		              "imported",
		              l, shown);
		return FALSE;
	}
	/* Another name with the same address is taken as well: a file of
	 * the folder is never renamed, nor a second address made up. */
	if ((there = g_hash_table_lookup(r->slugs, back->slug)) != NULL) {
		evf_diags_add(r->diags, r->source, line, 0,
		              "%s: '%s' would have the same address "
		              "(events/%s.ics) as '%s': not imported",
		              l, shown, back->slug, there);
		return FALSE;
	}
	add_categories(r, back);
	g_hash_table_add(r->taken, g_strdup(back->slug));
	g_ptr_array_add(r->added, evf_source_file_new(path, text));
	g_ptr_array_add(r->added_uids, ev->uid);
	g_ptr_array_add(r->added_texts, g_steal_pointer(&text));
	return TRUE;
}

/* Writes the files of the run, or says which it would write; the number
 * written. */
static guint
write_added(Run *r)
{
	guint written = 0;

	for (guint i = 0; i < r->added->len; i++) {
		EvfSourceFile *f = g_ptr_array_index(r->added, i);
		const char *uid = g_ptr_array_index(r->added_uids, i);
		g_autoptr(GError) error = NULL;
		g_autofree char *l = named(r, NULL, uid);

		if (r->dry_run) {
			fprintf(r->out, "would write %s\n", f->display);
			g_hash_table_add(r->imported, (char *)uid);
			written++;
			continue;
		}
		if (!r->events_dir_made &&
		    g_mkdir_with_parents(r->cfg->events_dir, 0755) < 0) {
			g_autofree char *dir =
			    evf_catalog_display_path(r->cfg->events_dir);

			evf_diags_add(r->diags, dir, 0, 0,
			              "cannot create it: %s",
			              g_strerror(errno));
			return written;
		}
		r->events_dir_made = TRUE;
		if (!evf_eventwrite_create(f->path, f->display,
		                           g_ptr_array_index(r->added_texts, i),
		                           &error)) {
			evf_diags_add(r->diags, r->source, line_of(r, uid), 0,
			              "%s: %s: not imported", l,
			              error->message);
			continue;
		}
		fprintf(r->out, "%s\n", f->display);
		g_hash_table_add(r->imported, (char *)uid);
		written++;
	}
	return written;
}

/* Properties an event file holds (import-ics.c reads them), and those
 * evfeed writes anew for every event (a public, free listing with its
 * own revision stamps), which need no report. */
static const char *const carried[] = {
	"UID",
	"DTSTART",
	"DTEND",
	"DURATION",
	"SUMMARY",
	"LOCATION",
	"DESCRIPTION",
	"URL",
	"CATEGORIES",
	"STATUS",
	"ORGANIZER",
	"CONTACT",
	"GEO",
	"CREATED",
	"RECURRENCE-ID",
	"X-ALT-DESC",
	"X-MICROSOFT-CDO-ALLDAYEVENT",
	"X-EVFEED-ZONE",
	"DTSTAMP",
	"LAST-MODIFIED",
	"SEQUENCE",
	"CLASS",
	"TRANSP",
	"X-MICROSOFT-CDO-BUSYSTATUS",
	"X-MICROSOFT-CDO-INTENDEDSTATUS",
};

static gboolean
is_carried(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(carried); i++)
		if (strcmp(name, carried[i]) == 0)
			return TRUE;
	return FALSE;
}

/* The lines of one VEVENT left out that are each named in a warning; the
 * rest are counted in one. */
#define MAX_STRAY_LINES 10

/* (nullable): the value of @v's first @name property. */
static const char *
value_of(const Vevent *v, const char *name)
{
	for (guint i = 0; i < v->props->len; i++) {
		const Prop *p = &g_array_index(v->props, Prop, i);

		if (strcmp(p->name, name) == 0)
			return p->value;
	}
	return NULL;
}

/* (transfer full) (nullable): why the series @v, imported as the timed
 * @ev, has no recurrence: its DTSTART, a wall time in @ev's zone, is one
 * the clocks skip (02:30 where they go from 02:00 to 03:00), which RFC
 * 5545 §3.3.5 reads an hour on, and clients differ on its later
 * occurrences (import-ics.c keeps the first alone); NULL when it is not. */
static char *
skipped_start(const Vevent *v, const EvfEvent *ev)
{
	const char *value = value_of(v, "DTSTART");
	int y, mo, d, h, mi, sec, n = 0;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GDateTime) read = NULL;

	if (ev->all_day || ev->tzid == NULL || value == NULL ||
	    strlen(value) != 15 ||
	    sscanf(value, "%4d%2d%2dT%2d%2d%2d%n", &y, &mo, &d, &h, &mi, &sec,
	           &n) != 6 ||
	    n != 15)
		return NULL;
	tz = evf_tz_or_utc(ev->tzid);
	read = evf_tz_datetime_new(tz, y, mo, d, h, mi, sec);
	if (read == NULL || (g_date_time_get_hour(read) == h &&
	                     g_date_time_get_minute(read) == mi))
		return NULL;
	return g_strdup_printf("its start, %04d-%02d-%02dT%02d:%02d, does not "
	                       "exist in %s: the clocks go forward, and "
	                       "calendar clients disagree on the times of "
	                       "such a series",
	                       y, mo, d, h, mi, ev->tzid);
}

/* Reports what the VEVENT @v (imported as @ev) had that its event file
 * cannot hold. X- properties, being vendors' own, once per name and file
 * (counted in @x_names). */
static void
report_properties(Run *r, const Vevent *v, const EvfEvent *ev,
                  GHashTable *x_names)
{
	g_autofree char *l = named(r, v, v->uid);
	guint rrules = 0, links = 0, stray = 0;

	for (guint i = 0; i < v->props->len; i++) {
		const Prop *p = &g_array_index(v->props, Prop, i);

		/* a few such lines named, the rest counted: a calendar of
		 * them would give a warning for each of 300,000 lines */
		if (p->name[0] == '\0' && ++stray > MAX_STRAY_LINES)
			continue;
		if (p->name[0] == '\0') {
			g_autofree char *valid =
			    g_utf8_make_valid(p->value, -1);
			g_autofree char *cut = evf_text_short(valid, 60);

			evf_diags_warn(
			    r->diags, r->source, p->line, 0,
			    "%s: the line '%s' is not a property "
			    "(no ':'): it is left out (a line that "
			    "goes on from the one before starts with "
			    "a space)",
			    l, cut);
		} else if (strcmp(p->name, "RRULE") == 0) {
			const char *why =
			    g_hash_table_lookup(r->dropped, ev->uid);
			/* one the reader dropped (an INTERVAL libical
			 * cannot hold): why an event file would not take
			 * it */
			gboolean unsaid =
			    why == NULL && rrules == 0 && ev->rrule == NULL;
			g_autofree char *raw_why =
			    unsaid ? skipped_start(v, ev) : NULL;

			if (unsaid && raw_why == NULL)
				raw_why =
				    evf_eventfile_check_rrule(ev, p->value);
			if (why == NULL)
				why = raw_why;
			if (rrules++ == 0 && why != NULL)
				evf_diags_warn(r->diags, r->source, p->line, 0,
				               "%s: RRULE is not carried "
				               "over (%s): only the first "
				               "occurrence is imported",
				               l, why);
			else if (rrules > 1 || ev->rrule == NULL)
				evf_diags_warn(r->diags, r->source, p->line, 0,
				               "%s: RRULE is not carried "
				               "over: only %s",
				               l,
				               ev->rrule != NULL
				                   ? "the first RRULE is"
				                   : "the first occurrence "
				                     "is imported");
		} else if (strcmp(p->name, "EXDATE") == 0) {
			/* without its series, the first occurrence alone is
			 * imported: an EXDATE of it cancels what the event
			 * file holds */
			const char *start = value_of(v, "DTSTART");
			g_auto(GStrv) dates = g_strsplit(p->value, ",", -1);

			if (ev->rrule != NULL)
				evf_diags_warn(
				    r->diags, r->source, p->line, 0,
				    "%s: EXDATE is not carried over: "
				    "the excluded occurrences are back "
				    "in the series",
				    l);
			else if (start != NULL &&
			         g_strv_contains((const char *const *)dates,
			                         start))
				evf_diags_warn(
				    r->diags, r->source, p->line, 0,
				    "%s: EXDATE excludes the first occurrence, "
				    "the one imported: the calendar cancelled "
				    "it, and the event file holds it all the "
				    "same; delete the file, or give it the date "
				    "of another occurrence",
				    l);
			else
				evf_diags_warn(
				    r->diags, r->source, p->line, 0,
				    "%s: EXDATE is not carried over: "
				    "only the first occurrence is "
				    "imported",
				    l);
		} else if (strcmp(p->name, "RDATE") == 0) {
			evf_diags_warn(r->diags, r->source, p->line, 0,
			               "%s: RDATE is not carried over: those "
			               "occurrences are missing",
			               l);
		} else if (strcmp(p->name, "IMAGE") == 0) {
			/* the first link is the image, as import-ics.c
			 * takes it */
			gboolean link =
			    g_ascii_strncasecmp(p->value, "http://", 7) == 0 ||
			    g_ascii_strncasecmp(p->value, "https://", 8) == 0;

			if (!link || links++ > 0 || ev->image == NULL)
				evf_diags_warn(
				    r->diags, r->source, p->line, 0,
				    "%s: IMAGE is not carried over%s", l,
				    !link       ? " (not an http or https link)"
				    : links > 1 ? ": only the first link is"
				                : " (not a valid link)");
		} else if (g_str_has_prefix(p->name, "BEGIN:")) {
			evf_diags_warn(r->diags, r->source, p->line, 0,
			               "%s: %s is not carried over", l,
			               p->name + strlen("BEGIN:"));
		} else if (g_str_has_prefix(p->name, "X-") &&
		           !is_carried(p->name)) {
			guint n = GPOINTER_TO_UINT(
			    g_hash_table_lookup(x_names, p->name));

			if (n == 0)
				evf_diags_warn(r->diags, r->source, p->line, 0,
				               "%s: %s is not carried over "
				               "(said once for the whole "
				               "calendar)",
				               l, p->name);
			g_hash_table_insert(x_names, g_strdup(p->name),
			                    GUINT_TO_POINTER(n + 1));
		} else if (!is_carried(p->name) && ++stray <= MAX_STRAY_LINES) {
			evf_diags_warn(r->diags, r->source, p->line, 0,
			               "%s: %s is not carried over", l,
			               p->name);
		}
	}
	if (stray > MAX_STRAY_LINES)
		evf_diags_warn(r->diags, r->source, v->line, 0,
		               "%s: and %u more lines that are not "
		               "properties, or are properties not carried "
		               "over, are left out",
		               l, stray - MAX_STRAY_LINES);
}

/* Whether the VEVENT @v is one that import-ics.c leaves out by policy (a
 * private event) rather than for a fault. */
static gboolean
is_private(const Vevent *v)
{
	for (guint i = 0; i < v->props->len; i++) {
		const Prop *p = &g_array_index(v->props, Prop, i);

		/* any class but PUBLIC, as the importer has it (RFC 5545
		 * §3.8.1.3: one not known is PRIVATE) */
		if (strcmp(p->name, "CLASS") == 0 &&
		    (g_ascii_strncasecmp(p->value, "PUBLIC", 6) != 0 ||
		     (p->value[6] != '\0' && !g_ascii_isspace(p->value[6]))))
			return TRUE;
	}
	return FALSE;
}

/* Whether @v is the override evfeed's calendar gives the first occurrence
 * of a series whose DURATION does not end it where its editor did (a
 * change of the clocks within the DURATION's hours): the series' DTSTART,
 * as its RECURRENCE-ID too, the series' other properties, and a DTEND
 * where the imported series @ev ends its first occurrence. The event file
 * holds all it says. (Values are compared as scan() keeps them: their
 * first 64 bytes, an RRULE whole.) */
static gboolean
first_carried(Run *r, const Vevent *v, const EvfEvent *ev)
{
	const Vevent *series =
	    v->uid != NULL ? g_hash_table_lookup(r->by_uid, v->uid) : NULL;
	const char *start = value_of(v, "DTSTART");
	const char *end = value_of(v, "DTEND");
	const char *first = series != NULL ? value_of(series, "DTSTART") : NULL;
	g_autofree char *wall = NULL;

	if (ev == NULL || ev->rrule == NULL || ev->all_day ||
	    ev->tzid == NULL || start == NULL || end == NULL || first == NULL ||
	    g_strcmp0(value_of(v, "RECURRENCE-ID"), start) != 0 ||
	    strcmp(start, first) != 0)
		return FALSE;
	/* its end as a wall time, or in UTC (one in the hour that happens
	 * twice, write-ics.c) */
	if (g_str_has_suffix(end, "Z")) {
		g_autoptr(GDateTime) utc = g_date_time_to_utc(ev->end);

		wall = g_date_time_format(utc, "%Y%m%dT%H%M%SZ");
	} else {
		wall = g_date_time_format(ev->end, "%Y%m%dT%H%M%S");
	}
	if (strcmp(end, wall) != 0)
		return FALSE;
	for (guint i = 0; i < v->props->len; i++) {
		const Prop *p = &g_array_index(v->props, Prop, i);
		gboolean same = FALSE;

		if (strcmp(p->name, "RECURRENCE-ID") == 0 ||
		    strcmp(p->name, "DTEND") == 0 ||
		    strcmp(p->name, "DTSTAMP") == 0)
			continue;
		for (guint j = 0; j < series->props->len && !same; j++) {
			const Prop *q = &g_array_index(series->props, Prop, j);

			same = strcmp(p->name, q->name) == 0 &&
			       strcmp(p->value, q->value) == 0;
		}
		if (!same)
			return FALSE;
	}
	return TRUE;
}

/* Reports, against the calendar's lines, each VEVENT not imported and
 * what the imported ones could not carry over. */
static void
report(Run *r, GPtrArray *vevents, GArray *others, EvfImport *imp)
{
	g_autoptr(GHashTable) events =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) x_names =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < imp->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(imp->events, i);

		g_hash_table_insert(events, ev->uid, ev);
	}
	for (guint i = 0; i < others->len; i++) {
		const Prop *p = &g_array_index(others, Prop, i);

		evf_diags_warn(r->diags, r->source, p->line, 0,
		               "a %s is not imported: only events are",
		               p->name);
	}
	for (guint i = 0; i < vevents->len; i++) {
		const Vevent *v = g_ptr_array_index(vevents, i);
		g_autofree char *l = named(r, v, v->uid);
		const EvfEvent *ev =
		    v->uid != NULL ? g_hash_table_lookup(events, v->uid) : NULL;

		if (v->override && g_hash_table_contains(r->orphans, v)) {
			const char *uid = g_hash_table_lookup(r->orphans, v);
			g_autofree char *as = label(uid);

			/* one not imported has its error already */
			if (!g_hash_table_contains(r->imported, uid))
				continue;
			evf_diags_warn(
			    r->diags, r->source, v->line, 0,
			    "%s: a changed occurrence "
			    "(RECURRENCE-ID) whose series is not in "
			    "the calendar is imported as an event of "
			    "its own, '%s'",
			    l, as);
			report_properties(
			    r, v, g_hash_table_lookup(events, uid), x_names);
		} else if (v->override && v->uid != NULL &&
		           !g_hash_table_contains(r->by_uid, v->uid)) {
			evf_diags_add(r->diags, r->source, v->line, 0,
			              "%s: a changed occurrence "
			              "(RECURRENCE-ID) whose series is not in "
			              "the calendar could not be read: not "
			              "imported",
			              l);
		} else if (v->override && first_carried(r, v, ev)) {
			continue;
		} else if (v->override) {
			evf_diags_warn(r->diags, r->source, v->line, 0,
			               "%s: a changed occurrence "
			               "(RECURRENCE-ID) is not carried over: "
			               "the series has that occurrence as its "
			               "rule gives it (one cancelled takes "
			               "place)",
			               l);
		} else if (ev == NULL && is_private(v)) {
			evf_diags_warn(r->diags, r->source, v->line, 0,
			               "%s: a private event is not "
			               "imported",
			               l);
		} else if (ev == NULL &&
		           (v->uid == NULL || v->uid[0] == '\0')) {
			g_autofree char *t = summary_of(v);
			g_autofree char *q =
			    t != NULL ? g_strdup_printf(" (\"%s\")", t) : NULL;

			evf_diags_add(
			    r->diags, r->source, v->line, 0,
			    "an event without a UID%s: not imported: "
			    "RFC 5545 requires one; add a UID line to "
			    "it",
			    q != NULL ? q : "");
		} else if (ev == NULL) {
			evf_diags_add(r->diags, r->source, v->line, 0,
			              "%s: the event could not be read: not "
			              "imported",
			              l);
		} else if (g_hash_table_contains(r->imported, v->uid)) {
			report_properties(r, v, ev, x_names);
		}
	}
}

guint
evf_migrate_run(const EvfConfig *cfg, const char *source, gboolean dry_run,
                gint64 now, FILE *out, GPtrArray *diags)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(EvfImport) imp = NULL;
	g_autoptr(GPtrArray) vevents = NULL;
	g_autoptr(GArray) others = NULL;
	g_autofree char *url = NULL;
	g_autoptr(GHashTable) existing =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) slugs =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) taken =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) suffixes =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) cats =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_source_file_free);
	g_autoptr(GPtrArray) added_uids = g_ptr_array_new();
	g_autoptr(GPtrArray) added_texts =
	    g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) by_uid =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) imported =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) orphans = g_hash_table_new(NULL, NULL);
	g_autoptr(GHashTable) dropped =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	Run r = { .cfg = cfg,
		  .source = source,
		  .dry_run = dry_run,
		  .now = now,
		  .out = out,
		  .diags = diags,
		  .existing = existing,
		  .slugs = slugs,
		  .taken = taken,
		  .suffixes = suffixes,
		  .cats = cats,
		  .added = added,
		  .added_uids = added_uids,
		  .added_texts = added_texts,
		  .by_uid = by_uid,
		  .orphans = orphans,
		  .imported = imported,
		  .dropped = dropped };
	const char *data;
	gsize len;
	guint written = 0;

	if (!load_existing(&r))
		return 0;
	bytes = read_source(cfg, source, &url, &error);
	if (bytes == NULL) {
		evf_diags_add(diags, source, 0, 0, "%s", error->message);
		return 0;
	}
	data = g_bytes_get_data(bytes, &len);
	if (memchr(data, '\n', len) == NULL &&
	    memchr(data, '\r', len) != NULL) {
		evf_diags_add(diags, source, 0, 0,
		              "its lines end in CR alone (as old Mac OS saved "
		              "text): an iCalendar document's end in CR LF; "
		              "save it with those, or with LF");
		return 0;
	}
	if (evf_import_sniff(data, len) != EVF_FORMAT_ICS) {
		evf_diags_add(diags, source, 0, 0,
		              "not an iCalendar document (no BEGIN:VCALENDAR)");
		return 0;
	}
	imp = evf_import_ics_series(data, len, url != NULL ? url : cfg->url,
	                            &error);
	if (imp == NULL) {
		evf_diags_add(diags, source, 0, 0, "%s", error->message);
		return 0;
	}
	/* The importer puts "line N: " before a warning about one event: it
	 * becomes the FILE:LINE: of the diagnostic. */
	for (guint i = 0; i < imp->warnings->len; i++) {
		const char *w = g_ptr_array_index(imp->warnings, i);
		guint64 line = 0;
		char *rest = NULL;

		if (g_str_has_prefix(w, "line ")) {
			line = g_ascii_strtoull(w + 5, &rest, 10);
			if (rest == w + 5 || !g_str_has_prefix(rest, ": ") ||
			    line > G_MAXUINT)
				line = 0;
		}
		evf_diags_warn(diags, source, (guint)line, 0, "%s",
		               line > 0 ? rest + 2 : w);
	}
	vevents = scan(data, len, &others);
	for (guint i = 0; i < vevents->len; i++) {
		Vevent *v = g_ptr_array_index(vevents, i);

		if (v->uid != NULL && !v->override &&
		    !g_hash_table_contains(r.by_uid, v->uid))
			g_hash_table_insert(r.by_uid, v->uid, v);
	}
	match_orphans(&r, vevents, imp);
	for (guint i = 0; i < imp->events->len; i++)
		prepare_event(&r, g_ptr_array_index(imp->events, i));
	/* The folder with every new file, as `evfeed check` will read it
	 * once they are written: nothing is written that would make a
	 * build fail, and a dry run says so as well. */
	if (added->len > 0 && !evf_catalog_check(cfg, added, now, diags)) {
		g_autofree char *shown =
		    evf_catalog_display_path(cfg->events_dir);

		evf_diags_add(diags, shown, 0, 0,
		              "the events folder would not pass 'evfeed "
		              "check' with the imported files: nothing is "
		              "imported");
	} else {
		written = write_added(&r);
	}
	/* (The folder is not read a third time after the writes: it was
	 * checked above with these very bytes.) */
	report(&r, vevents, others, imp);
	return written;
}
