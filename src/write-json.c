/*
 * write-json.c: a view → JSON Feed 1.1 (feed.json) and jCal, RFC 7265
 * (calendar.json), through json-glib, which does all the escaping. Members
 * are added in a fixed order, so the bytes are a function of the view alone;
 * the feed is pretty printed (two spaces), the jCal on one line; both end in
 * a newline.
 *
 * The JSON Feed carries the same items as the RSS and Atom feeds, with the
 * same ids (the tag: URIs) and dates; what a calendar needs to know about
 * each event goes into the "_event" extension object.
 *
 * The jCal is converted property by property from the libical components
 * that evf_write_ics serialises, so that the two can never disagree: each
 * VEVENT from the component its text was made from, the calendar's head
 * from its text read back. Names in lower case, TEXT unescaped, dates in
 * the extended ISO 8601 form, RECUR as an object, X- properties as
 * "unknown" with their raw (escaped) value, and the categories of a
 * CATEGORIES property each a value of its own.
 */
#include "autoconf.h"
#include "render.h"

#include "autocleanups.h"
#include "util.h"
#include "xmlout.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define JSONFEED_VERSION "https://jsonfeed.org/version/1.1"

/* (transfer full): @s's text, taken rather than copied, and without the
 * room GString keeps (it rounds its size up to a power of two), which a
 * snapshot would hold on to. */
static GBytes *
string_bytes(GString *s)
{
	gsize len = s->len;
	char *data = g_string_free(s, FALSE);

	return g_bytes_new_take(g_realloc(data, len + 1), len);
}

/* (transfer full): the builder's document with a final newline, pretty
 * printed or on one line, in the buffer the generator wrote it into. */
static GBytes *
builder_bytes(JsonBuilder *b, gboolean pretty)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	GString *text = g_string_new(NULL);

	json_generator_set_pretty(gen, pretty);
	json_generator_set_indent(gen, 2);
	json_generator_set_indent_char(gen, ' ');
	json_generator_set_root(gen, root);
	json_generator_to_gstring(gen, text);
	g_string_append_c(text, '\n');
	return string_bytes(text);
}

/* ------------------------------------------------------------ JSON Feed */

/* A string member, sanitised as every text that leaves evfeed is; NULL
 * @text gives null. */
static void
member_string(JsonBuilder *b, const char *name, const char *text)
{
	json_builder_set_member_name(b, name);
	if (text == NULL) {
		json_builder_add_null_value(b);
	} else {
		g_autofree char *clean = evf_text_sanitize(text, -1);

		json_builder_add_string_value(b, clean);
	}
}

/* A string member that is left out when @text is NULL. */
static void
member_optional(JsonBuilder *b, const char *name, const char *text)
{
	if (text != NULL)
		member_string(b, name, text);
}

static void
member_bool(JsonBuilder *b, const char *name, gboolean value)
{
	json_builder_set_member_name(b, name);
	json_builder_add_boolean_value(b, value);
}

static void
member_strings(JsonBuilder *b, const char *name, GPtrArray *texts, guint from)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = from; i < texts->len; i++) {
		g_autofree char *clean =
		    evf_text_sanitize(g_ptr_array_index(texts, i), -1);

		json_builder_add_string_value(b, clean);
	}
	json_builder_end_array(b);
}

/* The plain-text twin of evf_render_event_html: status, when, where and
 * who, the description, then where the listing comes from. */
static char *
event_text(const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_autofree char *when = evf_event_format_when(ev);
	g_autofree char *repeats = evf_event_format_repeats(ev);
	g_autofree char *attribution = evf_render_attribution(cfg, ev);
	g_autofree char *organizers = evf_event_format_organizers(ev);

	if (ev->status == EVF_STATUS_CANCELLED)
		g_string_append(s, "This event is cancelled.\n");
	else if (ev->status == EVF_STATUS_TENTATIVE)
		g_string_append(s, "Tentative.\n");
	/* (a news post has no date, which the item's own says) */
	if (!evf_event_is_news(ev))
		g_string_append_printf(s, "When: %s\n", when);
	if (repeats != NULL)
		g_string_append_printf(s, "%s\n", repeats);
	if (ev->location != NULL)
		g_string_append_printf(s, "Where: %s\n", ev->location);
	if (organizers != NULL)
		g_string_append_printf(
		    s, "%s: %s\n", evf_event_organizers_label(ev), organizers);
	if (ev->description_text != NULL && ev->description_text[0] != '\0')
		g_string_append_printf(s, "\n%s\n", ev->description_text);
	if (attribution != NULL)
		g_string_append_printf(s, "\n%s\n", attribution);
	/* (a news post's first line is its source's, after a blank) */
	return g_strstrip(g_strdup(s->str));
}

static const char *
status_name(EvfStatus status)
{
	switch (status) {
	case EVF_STATUS_TENTATIVE:
		return "tentative";
	case EVF_STATUS_CANCELLED:
		return "cancelled";
	case EVF_STATUS_CONFIRMED:
	default:
		return "confirmed";
	}
}

/* The "_event" extension: the event as a calendar sees it. start and end
 * are W3C-DTF, the end inclusive for all-day events; both null when the
 * date is to be announced. */
static void
event_extension(JsonBuilder *b, const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autofree char *about =
	    g_strconcat(cfg->url, "#" EVF_JSONFEED_ABOUT_ID, NULL);
	g_autofree char *start = evf_event_w3c_start(ev);
	g_autofree char *end = evf_event_w3c_end_shown(ev);
	g_autoptr(GPtrArray) sources = evf_render_sources(cfg, ev);

	json_builder_set_member_name(b, "_event");
	json_builder_begin_object(b);
	member_string(b, "about", about);
	member_string(b, "start", start);
	member_string(b, "end", end);
	member_bool(b, "all_day", !ev->tba && ev->all_day);
	member_string(b, "timezone", ev->tba ? NULL : ev->tzid);
	/* as the calendars publish it, when they have */
	member_optional(b, "rrule",
	                ev->rrule_out != NULL ? ev->rrule_out : ev->rrule);
	member_string(b, "location", ev->location);
	if (ev->has_geo) {
		json_builder_set_member_name(b, "geo");
		json_builder_begin_array(b);
		json_builder_add_double_value(b, ev->lat);
		json_builder_add_double_value(b, ev->lon);
		json_builder_end_array(b);
	}
	member_string(b, "status", status_name(ev->status));
	/* (a news post's date is not to be announced: it has none) */
	member_bool(b, "tba", ev->tba && !evf_event_is_news(ev));
	member_strings(b, "organizers", ev->organizers, 0);
	if (ev->source != NULL) {
		json_builder_set_member_name(b, "source");
		json_builder_begin_object(b);
		member_string(b, "name", ev->source);
		member_string(b, "title", ev->source_title);
		member_string(b, "url", ev->source_url);
		json_builder_end_object(b);
	}
	/* evf_render_sources lists the event's own source first. */
	member_strings(b, "also_listed_by", sources, ev->source != NULL);
	json_builder_end_object(b);
}

/* "authors": JSON Feed 1.1's list, of one author named @name, with
 * @url if any. */
static void
member_author(JsonBuilder *b, const char *name, const char *url)
{
	json_builder_set_member_name(b, "authors");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	member_string(b, "name", name);
	member_optional(b, "url", url);
	json_builder_end_object(b);
	json_builder_end_array(b);
}

static void
item(JsonBuilder *b, const EvfView *view, const EvfEvent *ev)
{
	const EvfConfig *cfg = view->config;
	g_autofree char *id = evf_render_tag_id(cfg, ev);
	g_autofree char *link = evf_render_event_link(cfg, ev, view->now);
	g_autofree char *title = evf_event_display_title(ev);
	g_autofree char *html = evf_render_event_html(cfg, ev);
	g_autofree char *text = event_text(cfg, ev);
	g_autofree char *published = evf_xml_rfc3339(evf_event_pubdate(ev));
	g_autofree char *modified = evf_xml_rfc3339(ev->modified);

	json_builder_begin_object(b);
	member_string(b, "id", id);
	member_string(b, "url", link);
	member_string(b, "title", title);
	member_string(b, "content_html", html);
	member_string(b, "content_text", text);
	member_optional(b, "image", ev->image);
	member_string(b, "date_published", published);
	member_string(b, "date_modified", modified);
	/* the partner whose listing it is; the others take the feed's
	 * authors, as JSON Feed 1.1 says */
	if (ev->source != NULL)
		member_author(
		    b, ev->source_title != NULL ? ev->source_title : ev->source,
		    ev->source_url);
	if (ev->categories->len > 0)
		member_strings(b, "tags", ev->categories, 0);
	if (!ev->tba) {
		/* The event's own calendar, as Atom's rel="related" link. */
		g_autofree char *path = evf_render_ics_path(ev, TRUE);
		g_autofree char *ics = evf_config_url(cfg, path);

		json_builder_set_member_name(b, "attachments");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		member_string(b, "url", ics);
		member_string(b, "mime_type", "text/calendar");
		json_builder_end_object(b);
		json_builder_end_array(b);
	}
	event_extension(b, cfg, ev);
	json_builder_end_object(b);
}

GBytes *
evf_write_jsonfeed(const EvfView *view, GError **error)
{
	const EvfConfig *cfg;
	g_autoptr(JsonBuilder) b = NULL;
	g_autofree char *home = NULL;

	g_return_val_if_fail(view != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	cfg = view->config;
	b = json_builder_new();
	json_builder_begin_object(b);
	member_string(b, "version", JSONFEED_VERSION);
	member_string(b, "title", view->title);
	home = evf_view_home_url(view);
	member_string(b, "home_page_url", home);
	member_string(b, "feed_url", view->self_url);
	if (cfg->description[0] != '\0')
		member_string(b, "description", cfg->description);
	member_string(b, "language", cfg->language);
	member_author(b, cfg->title, cfg->url);
	if (cfg->hub != NULL) {
		json_builder_set_member_name(b, "hubs");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		member_string(b, "type", "WebSub");
		member_string(b, "url", cfg->hub);
		json_builder_end_object(b);
		json_builder_end_array(b);
	}
	json_builder_set_member_name(b, "items");
	json_builder_begin_array(b);
	for (guint i = 0; i < view->events->len; i++)
		item(b, view, g_ptr_array_index(view->events, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
	return builder_bytes(b, TRUE);
}

/* ----------------------------------------------------------------- jCal */

/* The jCal value types (RFC 7265 §3.6) of the kinds evf_write_ics writes. */
typedef enum {
	JCAL_TEXT,
	JCAL_BOOLEAN,
	JCAL_CAL_ADDRESS,
	JCAL_DATE,
	JCAL_DATE_TIME,
	JCAL_DURATION,
	JCAL_FLOAT,
	JCAL_INTEGER,
	JCAL_RECUR,
	JCAL_URI,
	JCAL_UTC_OFFSET,
	JCAL_UNKNOWN,
	JCAL_N_TYPES,
	JCAL_NONE = JCAL_N_TYPES
} JcalType;

static const char *const jcal_type_names[JCAL_N_TYPES] = {
	[JCAL_TEXT] = "text",
	[JCAL_BOOLEAN] = "boolean",
	[JCAL_CAL_ADDRESS] = "cal-address",
	[JCAL_DATE] = "date",
	[JCAL_DATE_TIME] = "date-time",
	[JCAL_DURATION] = "duration",
	[JCAL_FLOAT] = "float",
	[JCAL_INTEGER] = "integer",
	[JCAL_RECUR] = "recur",
	[JCAL_URI] = "uri",
	[JCAL_UTC_OFFSET] = "utc-offset",
	[JCAL_UNKNOWN] = "unknown",
};

/* The jCal value type of a libical value kind; JCAL_NONE for a kind
 * evf_write_ics never writes. libical's enumerated kinds (STATUS,
 * METHOD…) are TEXT in iCalendar. */
static JcalType
value_type(icalvalue_kind kind)
{
	switch (kind) {
	case ICAL_TEXT_VALUE:
	case ICAL_ACTION_VALUE:
	case ICAL_CLASS_VALUE:
	case ICAL_METHOD_VALUE:
	case ICAL_STATUS_VALUE:
	case ICAL_TRANSP_VALUE:
		return JCAL_TEXT;
	case ICAL_BOOLEAN_VALUE:
		return JCAL_BOOLEAN;
	case ICAL_CALADDRESS_VALUE:
		return JCAL_CAL_ADDRESS;
	case ICAL_DATE_VALUE:
		return JCAL_DATE;
	case ICAL_DATETIME_VALUE:
		return JCAL_DATE_TIME;
	case ICAL_DURATION_VALUE:
		return JCAL_DURATION;
	case ICAL_FLOAT_VALUE:
	case ICAL_GEO_VALUE:
		return JCAL_FLOAT;
	case ICAL_INTEGER_VALUE:
		return JCAL_INTEGER;
	case ICAL_RECUR_VALUE:
		return JCAL_RECUR;
	case ICAL_URI_VALUE:
		return JCAL_URI;
	case ICAL_UTCOFFSET_VALUE:
		return JCAL_UTC_OFFSET;
	case ICAL_X_VALUE:
		return JCAL_UNKNOWN;
	default:
		return JCAL_NONE;
	}
}

/* What every jCal shares, made once and then only read: nodes that are in
 * nearly every property (the empty parameters, the value types, the names
 * of libical's property kinds). They are sealed, and a JsonNode's
 * reference count is atomic, so any number of trees on any number of
 * threads hold them at once, by reference instead of each by a copy. */
typedef struct {
	JsonNode *no_params;
	JsonNode *types[JCAL_N_TYPES];
	/* a kind's name in lower case, as icalproperty_get_property_name_r
	 * gives it for a property without an X- (or IANA) name */
	JsonNode *names[ICAL_NO_PROPERTY + 1];
} Shared;

/* (transfer full): a sealed string node. */
static JsonNode *
sealed_string(const char *text)
{
	JsonNode *node = json_node_init_string(json_node_alloc(), text);

	json_node_seal(node);
	return node;
}

static const Shared *
shared_nodes(void)
{
	static Shared *shared;

	if (g_once_init_enter(&shared)) {
		Shared *s = g_new0(Shared, 1);
		g_autoptr(JsonObject) empty = json_object_new();

		s->no_params = json_node_init_object(json_node_alloc(), empty);
		json_node_seal(s->no_params);
		for (guint i = 0; i < JCAL_N_TYPES; i++)
			s->types[i] = sealed_string(jcal_type_names[i]);
		for (guint k = 0; k < G_N_ELEMENTS(s->names); k++) {
			const char *name =
			    icalproperty_kind_to_string((icalproperty_kind)k);

			if (name != NULL) {
				g_autofree char *lower =
				    g_ascii_strdown(name, -1);

				s->names[k] = sealed_string(lower);
			}
		}
		g_once_init_leave(&shared, s);
	}
	return shared;
}

/* (transfer full): a string node. json-glib writes U+001F as it is, which
 * JSON does not allow; the loaders keep controls out of events, and this
 * keeps them out of the jCal whatever comes. */
static JsonNode *
string_node(const char *text)
{
	g_autofree char *clean = evf_text_sanitize(text, -1);

	return json_node_init_string(json_node_alloc(), clean);
}

/* (transfer full): a string node of @text, which is ours and clean (a
 * date, a time, an offset). */
static JsonNode *
plain_node(const char *text)
{
	return json_node_init_string(json_node_alloc(), text);
}

static JsonNode *
array_node(JsonArray *array)
{
	JsonNode *node = json_node_alloc();

	json_node_init_array(node, array);
	return node;
}

static JsonNode *
object_node(JsonObject *object)
{
	JsonNode *node = json_node_alloc();

	json_node_init_object(node, object);
	return node;
}

/* A basic-format iCalendar DATE or DATE-TIME ("20370329T010000Z") in
 * jCal's extended form into @out; FALSE if it is neither. */
static gboolean
reformat_time(const char *s, char out[static 24])
{
	gsize n = strlen(s);

	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]) && !(i == 8 && s[i] == 'T') &&
		    !(i == 15 && s[i] == 'Z'))
			return FALSE;
	if (n == 8) {
		g_snprintf(out, 24, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
		return TRUE;
	}
	if ((n == 15 || n == 16) && s[8] == 'T') {
		g_snprintf(out, 24, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%s", s, s + 4,
		           s + 6, s + 9, s + 11, s + 13, n == 16 ? "Z" : "");
		return TRUE;
	}
	return FALSE;
}

/* A RECUR value as an object (RFC 7265 §3.6.10): lower-case keys in the
 * order libical writes them, numbers as numbers, a part with several
 * values as an array. Read from libical's text form, which is the same in
 * libical 3 and 4 (unlike struct icalrecurrencetype). */
static JsonNode *
recur_node(const char *rule, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(rule, ";", -1);
	g_autoptr(JsonObject) recur = json_object_new();

	for (guint i = 0; parts[i] != NULL; i++) {
		char *eq = strchr(parts[i], '=');
		g_auto(GStrv) values = NULL;
		g_autofree char *key = NULL;
		g_autoptr(JsonArray) several = NULL;
		guint n;

		if (eq == NULL || eq == parts[i] || eq[1] == '\0') {
			evf_throw(error, "invalid RRULE part '%s'", parts[i]);
			return NULL;
		}
		*eq = '\0';
		key = g_ascii_strdown(parts[i], -1);
		if (strcmp(key, "until") == 0) {
			char until[24];

			if (!reformat_time(eq + 1, until)) {
				evf_throw(error, "invalid RRULE UNTIL '%s'",
				          eq + 1);
				return NULL;
			}
			json_object_set_member(recur, key, plain_node(until));
			continue;
		}
		values = g_strsplit(eq + 1, ",", -1);
		n = g_strv_length(values);
		if (n > 1)
			several = json_array_sized_new(n);
		for (guint k = 0; k < n; k++) {
			gint64 number;
			JsonNode *node;

			if (g_ascii_string_to_signed(values[k], 10, G_MININT32,
			                             G_MAXINT32, &number, NULL))
				node = json_node_init_int(json_node_alloc(),
				                          number);
			else
				node = string_node(values[k]);
			if (several != NULL)
				json_array_add_element(several, node);
			else
				json_object_set_member(recur, key, node);
		}
		if (several != NULL)
			json_object_set_member(recur, key, array_node(several));
	}
	return object_node(recur);
}

/* (transfer full): @text escaped as an iCalendar TEXT value (RFC 5545
 * §3.3.11). libical unescapes X- property values when it reads them;
 * evf_write_ics escapes them as TEXT, so this gives back the raw value. */
static char *
escape_text(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			g_string_append_c(s, '\\');
		if (*p == '\n')
			g_string_append(s, "\\n");
		else
			g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

/* (transfer full) (nullable): the value of a property. */
static JsonNode *
value_node(icalvalue *v, GError **error)
{
	icalvalue_kind kind = icalvalue_isa(v);
	/* room for six ints of any value, their separators, "Z" and NUL:
	 * never cut short, whatever libical holds */
	char buf[6 * 11 + 8];

	switch (kind) {
	case ICAL_TEXT_VALUE: {
		g_autofree char *text = evf_ics_plain(icalvalue_get_text(v));

		return string_node(text);
	}
	case ICAL_X_VALUE: {
		g_autofree char *text = evf_ics_plain(icalvalue_get_x(v));
		g_autofree char *raw = escape_text(text);

		return string_node(raw);
	}
	case ICAL_DATE_VALUE: {
		struct icaltimetype t = icalvalue_get_date(v);

		g_snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month,
		           t.day);
		return plain_node(buf);
	}
	case ICAL_DATETIME_VALUE: {
		struct icaltimetype t = icalvalue_get_datetime(v);

		g_snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s",
		           t.year, t.month, t.day, t.hour, t.minute, t.second,
		           icaltime_is_utc(t) ? "Z" : "");
		return plain_node(buf);
	}
	case ICAL_UTCOFFSET_VALUE: {
		int off = icalvalue_get_utcoffset(v);
		int abs_off = ABS(off);

		if (abs_off % 60 != 0)
			g_snprintf(buf, sizeof buf, "%c%02d:%02d:%02d",
			           off < 0 ? '-' : '+', abs_off / 3600,
			           abs_off / 60 % 60, abs_off % 60);
		else
			g_snprintf(buf, sizeof buf, "%c%02d:%02d",
			           off < 0 ? '-' : '+', abs_off / 3600,
			           abs_off / 60 % 60);
		return plain_node(buf);
	}
	case ICAL_INTEGER_VALUE:
		return json_node_init_int(json_node_alloc(),
		                          icalvalue_get_integer(v));
	case ICAL_FLOAT_VALUE:
		return json_node_init_double(json_node_alloc(),
		                             icalvalue_get_float(v));
	case ICAL_BOOLEAN_VALUE:
		return json_node_init_boolean(json_node_alloc(),
		                              icalvalue_get_boolean(v));
	default:
		break;
	}

	/* The rest from libical's text form, which is not escaped for these
	 * kinds: the text form of struct icalgeotype and of struct
	 * icalrecurrencetype did not change between libical 3 and 4. */
	{
		g_autofree char *s = icalvalue_as_ical_string_r(v);

		if (kind == ICAL_RECUR_VALUE)
			return recur_node(s, error);
		if (kind == ICAL_GEO_VALUE) {
			/* RFC 7265 §3.4.1.2: a structured value, an array. */
			g_autoptr(JsonArray) geo = json_array_sized_new(2);
			char *semi = strchr(s, ';');

			if (semi == NULL) {
				evf_throw(error, "invalid GEO '%s'", s);
				return NULL;
			}
			*semi = '\0';
			json_array_add_double_element(geo,
			                              g_ascii_strtod(s, NULL));
			json_array_add_double_element(
			    geo, g_ascii_strtod(semi + 1, NULL));
			return array_node(geo);
		}
		return string_node(s);
	}
}

/* (transfer full): @v with the escapes of RFC 6868 (§3) read: "^n" a
 * line break, "^'" a DQUOTE, "^^" a '^'; any other '^' stays. jCal's
 * parameter values are the text itself (RFC 7265 §3.5). */
static char *
rfc6868_decode(const char *v)
{
	GString *out = g_string_sized_new(strlen(v));

	for (const char *p = v; *p != '\0'; p++) {
		if (p[0] == '^' && p[1] == 'n') {
			g_string_append_c(out, '\n');
			p++;
		} else if (p[0] == '^' && p[1] == '\'') {
			g_string_append_c(out, '"');
			p++;
		} else if (p[0] == '^' && p[1] == '^') {
			g_string_append_c(out, '^');
			p++;
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

/* (transfer full): a parameter's value; libical keeps string-valued
 * parameters as they are written (RFC 6868 escapes included) and gives
 * enumerated ones only in text form, NAME=VALUE, quoted when needed. */
static char *
parameter_value(icalparameter *param)
{
	const char *x = icalparameter_get_xvalue(param);
	g_autofree char *text = NULL;
	const char *eq;
	gsize n;

	if (x != NULL)
		return rfc6868_decode(x);
	text = icalparameter_as_ical_string_r(param);
	eq = strchr(text, '=');
	if (eq == NULL)
		return g_strdup("");
	eq++;
	n = strlen(eq);
	if (n >= 2 && eq[0] == '"' && eq[n - 1] == '"')
		return g_strndup(eq + 1, n - 2);
	return g_strdup(eq);
}

static char *
parameter_name(icalparameter *param)
{
	icalparameter_kind kind = icalparameter_isa(param);

	if (kind == ICAL_X_PARAMETER)
		return g_ascii_strdown(icalparameter_get_xname(param), -1);
	if (kind == ICAL_IANA_PARAMETER)
		return g_ascii_strdown(icalparameter_get_iana_name(param), -1);
	return g_ascii_strdown(icalparameter_kind_to_string(kind), -1);
}

/* (transfer full): the parameters of @prop that jCal shows, all but VALUE
 * (§3.4.1.1: the type says it). Most properties have none: they share
 * one empty object instead of each making its own (json-glib gives each
 * object a hash table). */
static JsonNode *
parameters_node(const Shared *sh, icalproperty *prop)
{
	g_autoptr(JsonObject) params = NULL;

	for (icalparameter *param =
	         icalproperty_get_first_parameter(prop, ICAL_ANY_PARAMETER);
	     param != NULL; param = icalproperty_get_next_parameter(
	                        prop, ICAL_ANY_PARAMETER)) {
		g_autofree char *pname = NULL;
		g_autofree char *pvalue = NULL;

		if (icalparameter_isa(param) == ICAL_VALUE_PARAMETER)
			continue;
		if (params == NULL)
			params = json_object_new();
		pname = parameter_name(param);
		pvalue = parameter_value(param);
		json_object_set_member(params, pname, string_node(pvalue));
	}
	if (params == NULL)
		return json_node_ref(sh->no_params);
	return object_node(params);
}

/* (transfer full): @prop's name in lower case, the node of its kind's
 * name when it has no name of its own (icalproperty_get_property_name_r
 * gives an X- property's, and in libical 4 an IANA one's). */
static JsonNode *
name_node(const Shared *sh, icalproperty *prop)
{
	icalproperty_kind kind = icalproperty_isa(prop);
	g_autofree char *raw = NULL;
	g_autofree char *lower = NULL;

	if (icalproperty_get_x_name(prop) == NULL && kind >= 0 &&
	    (gsize)kind < G_N_ELEMENTS(sh->names) && sh->names[kind] != NULL)
		return json_node_ref(sh->names[kind]);
	raw = icalproperty_get_property_name_r(prop);
	lower = g_ascii_strdown(raw, -1);
	return json_node_init_string(json_node_alloc(), lower);
}

/* (transfer full) (nullable): [name, {params}, type, value]
 * (RFC 7265 §3.4). */
static JsonNode *
property_node(const Shared *sh, icalproperty *prop, GError **error)
{
	icalvalue *v = icalproperty_get_value(prop);
	JcalType type = v != NULL ? value_type(icalvalue_isa(v)) : JCAL_NONE;
	g_autoptr(JsonArray) out = NULL;
	JsonNode *value;

	if (v == NULL || type == JCAL_NONE) {
		g_autofree char *raw = icalproperty_get_property_name_r(prop);

		if (v == NULL)
			evf_throw(error, "property %s has no value", raw);
		else
			evf_throw(error, "property %s: no jCal form for %s",
			          raw,
			          icalvalue_kind_to_string(icalvalue_isa(v)));
		return NULL;
	}
	value = value_node(v, error);
	if (value == NULL) {
		g_autofree char *raw = icalproperty_get_property_name_r(prop);

		g_prefix_error(error, "property %s: ", raw);
		return NULL;
	}
	out = json_array_sized_new(4);
	json_array_add_element(out, name_node(sh, prop));
	json_array_add_element(out, parameters_node(sh, prop));
	json_array_add_element(out, json_node_ref(sh->types[type]));
	/* the categories of one CATEGORIES property, each a value (RFC 7265
	 * §3.4.1.2): libical holds them as one text, comma-separated (a
	 * comma of a category's own is a placeholder there) */
	if (icalproperty_isa(prop) == ICAL_CATEGORIES_PROPERTY &&
	    icalvalue_isa(v) == ICAL_TEXT_VALUE) {
		g_auto(GStrv) cats = g_strsplit(icalvalue_get_text(v), ",", -1);

		json_node_unref(value);
		for (guint i = 0; cats[i] != NULL; i++) {
			g_autofree char *text = evf_ics_plain(cats[i]);

			json_array_add_element(out, string_node(text));
		}
		return array_node(out);
	}
	json_array_add_element(out, value);
	return array_node(out);
}

typedef struct {
	icalcomponent *comp;
	gsize offset;
} Child;

static gint
child_cmp(gconstpointer a, gconstpointer b)
{
	const Child *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* (transfer full) (element-type Child): the sub-components of @comp in the
 * order of @ics, the text it was read from. libical puts each VTIMEZONE
 * it adds first (so its parser reverses them); the TZID line, unique in
 * a calendar, says where each one was. */
static GArray *
children(icalcomponent *comp, const char *ics)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(Child));

	for (icalcomponent *c =
	         icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT);
	     c != NULL;
	     c = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT)) {
		icalproperty *tzid =
		    icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
		Child child = { c, G_MAXSIZE };

		if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT &&
		    tzid != NULL) {
			g_autofree char *line = g_strdup_printf(
			    "\r\nTZID:%s\r\n", icalproperty_get_tzid(tzid));
			const char *at = strstr(ics, line);

			if (at != NULL)
				child.offset = (gsize)(at - ics);
		}
		g_array_append_val(out, child);
	}
	/* Stable: the rest keep libical's order, which is the text's. */
	g_array_sort(out, child_cmp);
	return out;
}

/* (transfer full) (nullable): [name, [properties], [components]]
 * (RFC 7265 §3.3), in the order of the iCalendar text @ics. */
static JsonNode *
component_node(const Shared *sh, icalcomponent *comp, const char *ics,
               GError **error)
{
	g_autofree char *name = g_ascii_strdown(
	    icalcomponent_kind_to_string(icalcomponent_isa(comp)), -1);
	g_autoptr(GArray) subs = children(comp, ics);
	g_autoptr(JsonArray) props = json_array_new();
	g_autoptr(JsonArray) comps = json_array_sized_new(subs->len);
	g_autoptr(JsonArray) out = json_array_sized_new(3);

	for (icalproperty *p =
	         icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY)) {
		JsonNode *node;

		/* libical's note that it could not read something: our own
		 * calendar must read back whole. */
		if (icalproperty_isa(p) == ICAL_XLICERROR_PROPERTY) {
			evf_throw(error, "%s: %s", name,
			          icalproperty_get_xlicerror(p));
			return NULL;
		}
		node = property_node(sh, p, error);
		if (node == NULL)
			return NULL;
		json_array_add_element(props, node);
	}
	for (guint i = 0; i < subs->len; i++) {
		JsonNode *node = component_node(
		    sh, g_array_index(subs, Child, i).comp, ics, error);

		if (node == NULL)
			return NULL;
		json_array_add_element(comps, node);
	}
	json_array_add_string_element(out, name);
	json_array_add_element(out, array_node(props));
	json_array_add_element(out, array_node(comps));
	return array_node(out);
}

/* Each thread's generator, made on its first jCal. */
static GPrivate thread_generator = G_PRIVATE_INIT(g_object_unref);

char *
evf_jcal_component(icalcomponent *comp, const char *ics, GError **error)
{
	g_autoptr(JsonNode) root =
	    component_node(shared_nodes(), comp, ics, error);
	JsonGenerator *gen = g_private_get(&thread_generator);
	GString *text;
	gsize len;

	if (root == NULL)
		return NULL;
	if (gen == NULL) {
		gen = json_generator_new();
		g_private_set(&thread_generator, gen);
	}
	/* Room for most events' jCal at once, rather than growing from
	 * nothing by doubling; the text is kept with its event, so without
	 * the room left over. */
	text = g_string_sized_new(4096);
	json_generator_set_root(gen, root);
	json_generator_to_gstring(gen, text);
	/* the tree goes with @root, not with the thread's next jCal */
	json_generator_set_root(gen, NULL);
	len = text->len;
	return g_realloc(g_string_free(text, FALSE), len + 1);
}

/* (transfer full) (nullable): the VCALENDAR libical reads from @ics,
 * which must read back whole. */
static char *
calendar_json(const char *ics, GError **error)
{
	g_autoptr(icalcomponent) comp = icalparser_parse_string(ics);

	if (comp == NULL ||
	    icalcomponent_isa(comp) != ICAL_VCALENDAR_COMPONENT) {
		evf_throw(error, "iCalendar does not read back");
		return NULL;
	}
	return evf_jcal_component(comp, ics, error);
}

/* The calendar's properties and VTIMEZONEs are read back from the text
 * evf_write_ics writes around the events; each event's VEVENT comes from
 * its cache, so that jCal costs each event one parse per build, not one
 * per calendar it is in. */
GBytes *
evf_write_jcal(const EvfView *view, GError **error)
{
	g_autofree char *head = NULL;
	g_autofree char *head_json = NULL;
	g_autofree const char **evs = NULL;
	g_autofree gsize *lens = NULL;
	gboolean zones;
	gsize len, size;
	GString *out;

	g_return_val_if_fail(view != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	head = evf_ics_head(view, error);
	if (head != NULL)
		head_json = calendar_json(head, error);
	if (head_json == NULL) {
		g_prefix_error(error, "cannot write '%s': ", view->path);
		return NULL;
	}
	/* ["vcalendar",[properties],[components]]: the events go at the
	 * end of the components, after the VTIMEZONEs. */
	len = strlen(head_json);
	g_assert(len > 2 && g_str_has_suffix(head_json, "]]"));
	zones = !g_str_has_suffix(head_json, "[]]");
	/* The events' jCal first, to know the size: the file is written
	 * into a buffer that does not grow (each time by copying it). */
	evs = g_new(const char *, view->events->len);
	lens = g_new(gsize, view->events->len);
	size = len - 2 + strlen("]]\n");
	for (guint i = 0; i < view->events->len; i++) {
		evs[i] = evf_jcal_vevent(
		    view->config, g_ptr_array_index(view->events, i), error);
		if (evs[i] == NULL) {
			g_prefix_error(error,
			               "cannot write '%s': ", view->path);
			return NULL;
		}
		lens[i] = strlen(evs[i]);
		size += lens[i] + (i > 0 || zones);
	}
	out = g_string_sized_new(size);
	g_string_append_len(out, head_json, len - 2);
	for (guint i = 0; i < view->events->len; i++) {
		if (i > 0 || zones)
			g_string_append_c(out, ',');
		g_string_append_len(out, evs[i], lens[i]);
	}
	/* On one line: pretty printed, jCal is three times the size of the
	 * iCalendar it holds. */
	g_string_append(out, "]]\n");
	g_assert(out->len == size);
	return string_bytes(out);
}
