/*
 * eventwrite.c: see eventwrite.h.
 */
#include "autoconf.h"
#include "eventwrite.h"

#include "autocleanups.h"
#include "eventfile.h"
#include "tz.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(yaml_emitter_t, yaml_emitter_delete)

typedef struct {
	yaml_emitter_t *e;
	gboolean ok;
} Out;

static void
emit(Out *o, yaml_event_t *ev)
{
	if (o->ok && !yaml_emitter_emit(o->e, ev))
		o->ok = FALSE;
}

/* @item: of a list, where one that begins with a bullet or a dash is
 * quoted, which the reader would otherwise warn of as a list mistyped. */
static void
scalar_as(Out *o, const char *text, gboolean item)
{
	yaml_event_t ev;
	/* libyaml writes "null" unquoted, which the reader takes for no
	 * value at all. */
	gboolean quote = item ? evf_eventfile_needs_quotes(text)
	                      : evf_eventfile_is_null_word(text);

	if (!yaml_scalar_event_initialize(
	        &ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 1,
	        quote ? YAML_SINGLE_QUOTED_SCALAR_STYLE
	              : YAML_ANY_SCALAR_STYLE)) {
		o->ok = FALSE;
		return;
	}
	emit(o, &ev);
}

static void
scalar(Out *o, const char *text)
{
	scalar_as(o, text, FALSE);
}

static void
pair(Out *o, const char *key, const char *value)
{
	if (value == NULL)
		return;
	scalar(o, key);
	scalar(o, value);
}

static void
list(Out *o, const char *key, GPtrArray *items)
{
	yaml_event_t ev;

	if (items->len == 0)
		return;
	scalar(o, key);
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	                                     YAML_FLOW_SEQUENCE_STYLE);
	emit(o, &ev);
	for (guint i = 0; i < items->len; i++)
		scalar_as(o, g_ptr_array_index(items, i), TRUE);
	yaml_sequence_end_event_initialize(&ev);
	emit(o, &ev);
}

static int
write_handler(void *data, unsigned char *buffer, size_t size)
{
	g_string_append_len(data, (const char *)buffer, (gssize)size);
	return 1;
}

/* (transfer full): @t in UTC with a 'Z' when @utc, else as a wall time
 * in its zone. Where the clocks go back, a wall time happens twice: one
 * there is written with its offset, so that the file reads back as the
 * same instant without the reader's warning. */
static char *
wall_time(const EvfEvent *ev, GDateTime *t)
{
	g_autoptr(GDateTime) back = NULL;

	if (ev->tzid == NULL) {
		g_autoptr(GDateTime) shown = evf_event_shown_time(ev, t);

		return g_date_time_format(shown, ev->utc_offset != 0
		                                     ? "%Y-%m-%dT%H:%M:%S%:z"
		                                     : "%Y-%m-%dT%H:%M:%SZ");
	}
	back = evf_tz_datetime_new(
	    g_date_time_get_timezone(t), g_date_time_get_year(t),
	    g_date_time_get_month(t), g_date_time_get_day_of_month(t),
	    g_date_time_get_hour(t), g_date_time_get_minute(t),
	    g_date_time_get_seconds(t));
	/* (one of the two in the hour that happens twice: with its offset,
	 * which the file's reader would otherwise warn of) */
	if (back != NULL &&
	    (!g_date_time_equal(back, t) || evf_tz_is_ambiguous(t)))
		return g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
	return g_date_time_format(t, "%Y-%m-%dT%H:%M:%S");
}

static void
begin(Out *o, GString *yaml)
{
	yaml_event_t e;

	yaml_emitter_initialize(o->e);
	yaml_emitter_set_output(o->e, write_handler, yaml);
	yaml_emitter_set_unicode(o->e, 1);
	yaml_emitter_set_width(o->e, -1);
	yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
	emit(o, &e);
	yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1);
	emit(o, &e);
	yaml_mapping_start_event_initialize(&e, NULL, NULL, 1,
	                                    YAML_BLOCK_MAPPING_STYLE);
	emit(o, &e);
}

/* (transfer full) (nullable): the scalars of the YAML @text, each
 * preceded by its event's type, or NULL when libyaml cannot read it. */
static GString *
scalars_of(const char *text)
{
	g_auto(yaml_parser_t) parser = { 0 };
	GString *out = g_string_new(NULL);
	gboolean done = FALSE;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const guchar *)text,
	                             strlen(text));
	while (!done) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			g_string_free(out, TRUE);
			return NULL;
		}
		g_string_append_printf(out, "%d:", ev.type);
		if (ev.type == YAML_SCALAR_EVENT)
			g_string_append_len(out,
			                    (const char *)ev.data.scalar.value,
			                    (gssize)ev.data.scalar.length);
		g_string_append_c(out, '\0');
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	return out;
}

/* (transfer full): @line with each escape of a character beyond Unicode's
 * first plane, "\U0001F68B", made the character. */
static char *
astral_unescaped(const char *line)
{
	GString *out = g_string_sized_new(strlen(line));

	for (const char *p = line; *p != '\0';) {
		gunichar c = 0;
		gsize i;

		if (p[0] != '\\') {
			g_string_append_c(out, *p++);
			continue;
		}
		for (i = 2; p[1] == 'U' && i < 10 && g_ascii_isxdigit(p[i]);
		     i++)
			c = c * 16 + (gunichar)g_ascii_xdigit_value(p[i]);
		if (i == 10 && c >= 0x10000 && c <= 0x10FFFF) {
			g_string_append_unichar(out, c);
			p += 10;
		} else {
			/* (another escape, "\\" among them, as it is) */
			g_string_append_len(out, p, p[1] != '\0' ? 2 : 1);
			p += p[1] != '\0' ? 2 : 1;
		}
	}
	return g_string_free(out, FALSE);
}

/* libyaml 0.2.5 writes a character beyond Unicode's first plane (an emoji)
 * as an escape of a double-quoted scalar, "\U0001F68B", which an editor
 * then reads in the file. Each line of @yaml (libyaml writes a scalar on
 * one, at no width) has such escapes made the characters again, when
 * libyaml reads the text back to the same scalars: a plain scalar's
 * "\U…" is its text, and stays. */
static void
unescape_astral(GString *yaml)
{
	g_autoptr(GString) before = NULL;
	g_auto(GStrv) lines = NULL;

	if (strstr(yaml->str, "\\U") == NULL)
		return;
	before = scalars_of(yaml->str);
	if (before == NULL)
		return;
	lines = g_strsplit(yaml->str, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *was = NULL;
		g_autofree char *text = NULL;
		g_autoptr(GString) after = NULL;

		if (strstr(lines[i], "\\U") == NULL)
			continue;
		was = lines[i];
		lines[i] = astral_unescaped(was);
		text = g_strjoinv("\n", lines);
		after = scalars_of(text);
		if (after == NULL || !g_string_equal(before, after)) {
			g_free(lines[i]);
			lines[i] = g_steal_pointer(&was);
		}
	}
	{
		g_autofree char *text = g_strjoinv("\n", lines);

		g_string_assign(yaml, text);
	}
}

/* Ends the front matter and returns the whole file. */
static char *
finish(Out *o, GString *yaml, const char *body, GError **error)
{
	yaml_event_t e;
	GString *out;

	yaml_mapping_end_event_initialize(&e);
	emit(o, &e);
	yaml_document_end_event_initialize(&e, 1);
	emit(o, &e);
	yaml_stream_end_event_initialize(&e);
	emit(o, &e);
	if (!o->ok || !yaml_emitter_flush(o->e)) {
		evf_throw(error, "cannot write the front matter: %s",
		          o->e->problem ? o->e->problem : "libyaml failed");
		return NULL;
	}
	unescape_astral(yaml);
	out = g_string_new(NULL);
	/* libyaml writes "---" and "..." around a document: the front matter
	 * takes the "---" lines of an event file instead. */
	{
		const char *y = yaml->str;

		if (g_str_has_prefix(y, "---\n"))
			y += 4;
		g_string_append(out, "---\n");
		g_string_append(out, y);
		if (g_str_has_suffix(out->str, "...\n"))
			g_string_truncate(out, out->len - 4);
		g_string_append(out, "---\n");
	}
	if (body != NULL && body[0] != '\0') {
		g_string_append(out, body);
		if (!g_str_has_suffix(body, "\n"))
			g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

char *
evf_eventwrite_fields(const char *const *fields, char **categories,
                      const char *body, GError **error)
{
	g_auto(yaml_emitter_t) emitter = { 0 };
	g_autoptr(GString) yaml = g_string_new(NULL);
	g_autoptr(GPtrArray) items = g_ptr_array_new();
	Out o = { &emitter, TRUE };

	begin(&o, yaml);
	for (guint i = 0; fields[i] != NULL; i += 2)
		pair(&o, fields[i], fields[i + 1]);
	for (guint i = 0; categories != NULL && categories[i] != NULL; i++)
		g_ptr_array_add(items, categories[i]);
	list(&o, "categories", items);
	return finish(&o, yaml, body, error);
}

char *
evf_eventwrite_format(const EvfConfig *cfg, const EvfEvent *ev,
                      const char *body, GError **error)
{
	g_auto(yaml_emitter_t) emitter = { 0 };
	g_autoptr(GString) yaml = g_string_new(NULL);
	g_autofree char *start = NULL;
	g_autofree char *end = NULL;
	g_autofree char *geo = NULL;
	g_autofree char *published = NULL;
	Out o = { &emitter, TRUE };

	begin(&o, yaml);
	pair(&o, "title", ev->title);
	if (ev->tba) {
		pair(&o, "start", "tba");
	} else if (ev->all_day) {
		GDate last = ev->end_date;

		g_date_subtract_days(&last, 1);
		start = g_strdup_printf("%04d-%02d-%02d",
		                        g_date_get_year(&ev->start_date),
		                        g_date_get_month(&ev->start_date),
		                        g_date_get_day(&ev->start_date));
		if (g_date_compare(&last, &ev->start_date) > 0)
			end = g_strdup_printf(
			    "%04d-%02d-%02d", g_date_get_year(&last),
			    g_date_get_month(&last), g_date_get_day(&last));
		pair(&o, "start", start);
		pair(&o, "end", end);
	} else {
		start = wall_time(ev, ev->start);
		/* An event file cannot end at its start: such an event
		 * (a VEVENT without an end) gets no end, and the reader's
		 * default (evfeed-event(5)). */
		if (!g_date_time_equal(ev->start, ev->end))
			end = wall_time(ev, ev->end);
		pair(&o, "start", start);
		pair(&o, "end", end);
		if (ev->tzid != NULL && strcmp(ev->tzid, cfg->timezone) != 0)
			pair(&o, "timezone", ev->tzid);
	}
	pair(&o, "location", ev->location);
	if (ev->has_geo) {
		geo = g_strdup_printf("%.6f, %.6f", ev->lat, ev->lon);
		pair(&o, "geo", geo);
	}
	if (ev->organizers->len == 1)
		pair(&o, "organizer", g_ptr_array_index(ev->organizers, 0));
	else
		list(&o, "organizer", ev->organizers);
	pair(&o, "organizer_email", ev->organizer_email);
	list(&o, "categories", ev->categories);
	pair(&o, "url", ev->url);
	if (ev->status == EVF_STATUS_TENTATIVE)
		pair(&o, "status", "tentative");
	else if (ev->status == EVF_STATUS_CANCELLED)
		pair(&o, "status", "cancelled");
	pair(&o, "image", ev->image);
	pair(&o, "recurrence", ev->rrule);
	if (ev->published > 0) {
		g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(
		    ev->published / G_USEC_PER_SEC);

		published = t != NULL
		                ? g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ")
		                : NULL;
		pair(&o, "published", published);
	}
	pair(&o, "uid", ev->uid);

	return finish(&o, yaml, body, error);
}

char *
evf_eventwrite_filename(const EvfEvent *ev)
{
	g_autofree char *slug = evf_slugify(ev->title);
	g_autoptr(GDateTime) shown = NULL;

	if (strlen(slug) > 60) {
		/* at a word's end, where one is in its second half */
		char *dash = g_strrstr_len(slug, 61, "-");

		slug[dash != NULL && dash - slug > 30 ? dash - slug : 60] =
		    '\0';
		g_strchomp(slug);
		while (slug[0] != '\0' && slug[strlen(slug) - 1] == '-')
			slug[strlen(slug) - 1] = '\0';
	}
	if (ev->tba)
		return g_strdup_printf("tba-%s.md", slug);
	if (ev->all_day)
		return g_strdup_printf("%04d-%02d-%02d-%s.md",
		                       g_date_get_year(&ev->start_date),
		                       g_date_get_month(&ev->start_date),
		                       g_date_get_day(&ev->start_date), slug);
	shown = evf_event_shown_time(ev, ev->start);
	return g_strdup_printf("%04d-%02d-%02d-%s.md",
	                       g_date_time_get_year(shown),
	                       g_date_time_get_month(shown),
	                       g_date_time_get_day_of_month(shown), slug);
}

gboolean
evf_eventwrite_create(const char *path, const char *shown, const char *text,
                      GError **error)
{
	gsize len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int e;

	if (fd < 0) {
		e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "cannot create '%s': %s", shown, g_strerror(e));
		return FALSE;
	}
	if (write(fd, text, len) != (ssize_t)len) {
		e = errno != 0 ? errno : ENOSPC;
		close(fd);
		unlink(path);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "cannot write '%s': %s", shown, g_strerror(e));
		return FALSE;
	}
	if (close(fd) < 0) {
		e = errno;
		unlink(path);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "cannot write '%s': %s", shown, g_strerror(e));
		return FALSE;
	}
	return TRUE;
}
