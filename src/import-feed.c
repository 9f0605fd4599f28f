/*
 * import-feed.c: a partner's RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom 1.0
 * document → events (see import.h), plus the format sniffer shared with the
 * iCalendar importer.
 *
 * The bytes are hostile until proven otherwise. Before libxml2 sees them,
 * the encoding must be one in which markup bytes mean what they say (UTF-8
 * and the ASCII-compatible charsets; UTF-16 with a byte order mark is
 * converted first), so that a scan of the DOCTYPE can refuse any entity
 * declaration. libxml2 then streams the document (xmlTextReader, never
 * substituting entities, never loading a DTD, network or file: a deny-all
 * external entity loader is installed once), and a declared entity fails
 * the import. An entity reference that still shows up must be one of
 * HTML 4's, which the RSS 0.91 DTD declares, and becomes its character;
 * any other fails the import. Anything that is
 * not well-formed fails it too: no recover mode.
 *
 * Items are read one at a time (each item's subtree expanded, then
 * skipped) into plain records; only the items kept (no duplicate id, some
 * content, the newest EVF_IMPORT_MAX_ITEMS) go through the HTML sanitiser
 * and become events. What was dropped or guessed is said in the warnings.
 */
#include "autoconf.h"
#include "import.h"

#include "autocleanups.h"
#include "html.h"
#include "util.h"

#include <libxml/HTMLparser.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/uri.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FEED_BYTES (16 * 1024 * 1024)
#define MAX_WARNINGS   100
#define MAX_CATEGORIES 32
#define MAX_FIELD      1024 /* bytes: uid, location, organiser, category */
#define MAX_RAW_TITLE  (16 * 1024)
#define MAX_BASE       (8 * MAX_FIELD) /* bytes of a resolved xml:base */
#define MAX_ATTRIBUTES 100 /* of one element; a feed's root has ~20 */
/* namespace declarations in scope at once (a feed's root has ~20) */
#define MAX_NAMESPACES  100
#define MAX_RESOLVED    (64 * 1024 * 1024) /* bytes of bases: may_resolve */
#define MAX_DESC_LINKS  (1024 * 1024)      /* bytes of bases: links_base */
#define MAX_SLUG        80
#define FIRST_INSTANT   G_GINT64_CONSTANT(-2208988800) /* 1900-01-01 UTC */
#define END_INSTANT     G_GINT64_CONSTANT(7289654400)  /* 2201-01-01 UTC */
#define TITLE_FROM_TEXT 80 /* characters of the text when there is no title */

#define NS_ATOM       "http://www.w3.org/2005/Atom"
#define NS_RDF        "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1       "http://purl.org/rss/1.0/"
#define NS_RSS090     "http://my.netscape.com/rdf/simple/0.9/"
#define NS_CONTENT    "http://purl.org/rss/1.0/modules/content/"
#define NS_DC         "http://purl.org/dc/elements/1.1/"
#define NS_EV         "http://purl.org/rss/1.0/modules/event/"
#define REL_ALTERNATE "http://www.iana.org/assignments/relation/alternate"

#if LIBXML_VERSION >= 21200
typedef const xmlError *XmlErrorArg;
#else
typedef xmlErrorPtr XmlErrorArg;
#endif

typedef enum {
	KIND_RSS,
	KIND_RDF,
	KIND_ATOM,
} Kind;

/* A base URL (RFC 3986 §5.1, xml:base), parsed once: elements, items and
 * links under it share it (reference counted), as it may be kilobytes long
 * and parsing it again for each of them would cost that much each time. */
typedef struct Base {
	char *text; /* (nullable): no base, links must be absolute */
	gsize len;  /* of @text */
	GUri *uri;  /* NULL when @text is NULL or does not parse (then no
	               relative link resolves) */
} Base;

static void
base_clear(gpointer p)
{
	Base *b = p;

	g_free(b->text);
	if (b->uri != NULL)
		g_uri_unref(b->uri);
}

/* (transfer full): @text (transfer full, nullable) with @uri (transfer
 * full, nullable: parsed from @text). */
static Base *
base_new(char *text, GUri *uri)
{
	Base *b = g_rc_box_new0(Base);

	b->text = text;
	b->len = text != NULL ? strlen(text) : 0;
	b->uri = uri != NULL || text == NULL
	             ? uri
	             : g_uri_parse(text, G_URI_FLAGS_ENCODED, NULL);
	return b;
}

static Base *
base_acquire(Base *b)
{
	return b != NULL ? g_rc_box_acquire(b) : NULL;
}

static void
base_release(gpointer b)
{
	if (b != NULL)
		g_rc_box_release_full(b, base_clear);
}

/* One item as read: bounded strings, not yet sanitised HTML. */
typedef struct {
	guint index;
	guint line;
	char *uid; /* guid, atom:id or rdf:about; else derived */
	gboolean uid_derived;
	char *title_raw; /* at most MAX_RAW_TITLE bytes */
	gboolean title_html;
	char *link;      /* absolute and safe, or NULL */
	char *desc;      /* HTML, at most EVF_IMPORT_MAX_DESCRIPTION bytes */
	Base *desc_base; /* (nullable) shared */
	gboolean desc_cut;
	gint64 published;
	gint64 issued;  /* µs, of pubDate, published or dc:date; 0: none */
	gint64 updated; /* atom:updated, µs; 0: none or not a date */
	GPtrArray *categories;    /* char*, clean, distinct; or NULL */
	GPtrArray *category_keys; /* char*: their case folds; or NULL */
	char *start;              /* ev:startdate as written */
	char *end;
	char *location;
	char *organizer;
	gboolean categories_capped;
	EvfEvent *ev; /* made before the cap, to be chosen (Ctx.filter) */
} Item;

typedef struct {
	Kind kind;
	Base *feed_base;  /* the feed's own URL, the base of its root
	                     element */
	GPtrArray *bases; /* Base*: the base URL at each depth, shared
	                     with the parent's when the same */
	GPtrArray *items; /* Item* */
	GPtrArray *warnings;
	guint warnings_dropped;
	/* the parser's first error (the first fatal one if any) */
	char *err_msg;
	int err_line;
	int err_code; /* libxml2's, of err_msg */
	gboolean err_fatal;
	gboolean root_seen;
	gboolean root_closed; /* its end tag read */
	gsize resolved;       /* bytes of bases resolved against */
	gboolean resolved_capped;
	const EvfImportFilter *filter; /* (nullable) */
} Ctx;

static void
item_free(gpointer p)
{
	Item *it = p;

	g_free(it->uid);
	g_free(it->title_raw);
	g_free(it->link);
	g_free(it->desc);
	base_release(it->desc_base);
	if (it->categories != NULL)
		g_ptr_array_unref(it->categories);
	if (it->category_keys != NULL)
		g_ptr_array_unref(it->category_keys);
	g_free(it->start);
	g_free(it->end);
	g_free(it->location);
	g_free(it->organizer);
	g_clear_pointer(&it->ev, evf_event_unref);
	g_free(it);
}

void
evf_import_free(EvfImport *imp)
{
	if (imp == NULL)
		return;
	g_clear_pointer(&imp->events, g_ptr_array_unref);
	g_clear_pointer(&imp->warnings, g_ptr_array_unref);
	g_free(imp);
}

static void set_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
set_error(GError **error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (error != NULL)
		*error =
		    g_error_new_valist(EVF_ERROR, EVF_ERROR_INVALID, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ text */

/* XML white space */
static gboolean
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static gboolean
is_blank(const char *s)
{
	if (s == NULL)
		return TRUE;
	for (; *s != '\0'; s++)
		if (!g_ascii_isspace(*s))
			return FALSE;
	return TRUE;
}

/* (transfer full): @s on one line, sanitised, at most @max bytes; NULL
 * when nothing is left. */
static char *
clean_line(const char *s, gsize max)
{
	g_autofree char *raw = NULL;
	g_autofree char *line = NULL;

	if (s == NULL)
		return NULL;
	/* Most values (ids, dates, names) are clean already. */
	{
		gsize n = 0;
		gboolean clean = s[0] != ' ';

		for (; clean && s[n] != '\0' && n <= max; n++)
			clean = (guchar)s[n] >= 0x20 && (guchar)s[n] < 0x7f &&
			        !(s[n] == ' ' &&
			          (s[n + 1] == ' ' || s[n + 1] == '\0'));
		if (clean && s[n] == '\0')
			return n > 0 ? g_strdup(s) : NULL;
	}
	/* Bound the work on a huge value before folding it. */
	raw = g_utf8_make_valid(s, -1);
	evf_utf8_cut(raw, 4 * max);
	line = evf_text_cut(evf_text_oneline(raw), max);
	if (line[0] == '\0')
		return NULL;
	return g_steal_pointer(&line);
}

/* (transfer full): a value from outside, quoted in a warning. */
static char *
quote(const char *s)
{
	g_autofree char *line = clean_line(s, 4 * 60);

	if (line == NULL)
		return g_strdup("");
	if (g_utf8_strlen(line, -1) > 60) {
		g_autofree char *head = g_utf8_substring(line, 0, 57);

		return g_strconcat(head, "...", NULL);
	}
	return g_steal_pointer(&line);
}

static void warn(Ctx *c, guint line, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
warn(Ctx *c, guint line, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	if (c->warnings->len >= MAX_WARNINGS) {
		c->warnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (line > 0) {
		g_autofree char *full =
		    g_strdup_printf("line %u: %s", line, msg);

		g_ptr_array_add(c->warnings, evf_log_escape(full));
	} else {
		g_ptr_array_add(c->warnings, evf_log_escape(msg));
	}
}

/* Whether @ref may be resolved against @base, at line @line: a relative
 * reference costs the base's length, and a feed may spend MAX_RESOLVED
 * bytes on them: some 8,000 resolutions against the longest base, over
 * 500,000 against a base of 100 bytes. */
static gboolean
may_resolve(Ctx *c, const Base *base, const char *ref, guint line)
{
	if (base->uri == NULL || g_uri_peek_scheme(ref) != NULL)
		return TRUE;
	c->resolved += base->len;
	if (c->resolved <= MAX_RESOLVED)
		return TRUE;
	if (!c->resolved_capped)
		warn(c, line,
		     "more than %d MiB of base URLs to resolve relative "
		     "references against: the rest of the feed's relative "
		     "links and xml:base attributes are left out",
		     MAX_RESOLVED / (1024 * 1024));
	c->resolved_capped = TRUE;
	return FALSE;
}

/* (transfer full) (nullable): @url resolved against @base (nullable) when
 * safe to link to, as evf_html_safe_url(); @line for a warning. */
static char *
safe_url(Ctx *c, const char *url, const Base *base, guint line)
{
	if (base == NULL)
		return evf_html_safe_url_parsed(url, NULL);
	if ((base->text != NULL && base->uri == NULL) ||
	    !may_resolve(c, base, url, line))
		return NULL;
	return evf_html_safe_url_parsed(url, base->uri);
}

static char *title_of(const Item *it, gboolean *cut);

/* Like warn(), about the item @it: named by its id and title (as far as
 * they are known yet), so that an editor finds it. */
static void warn_item(Ctx *c, const Item *it, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void
warn_item(Ctx *c, const Item *it, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;
	/* (not one made here, which is in no feed) */
	g_autofree char *id =
	    it->uid != NULL && !it->uid_derived ? quote(it->uid) : NULL;
	g_autofree char *title = NULL;

	if (it->title_raw != NULL) {
		gboolean cut;
		g_autofree char *text = title_of(it, &cut);

		title = is_blank(text) ? NULL : quote(text);
	}
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (id != NULL && title != NULL)
		warn(c, it->line, "'%s' (\"%s\"): %s", id, title, msg);
	else if (id != NULL)
		warn(c, it->line, "'%s': %s", id, msg);
	else if (title != NULL)
		warn(c, it->line, "an item without an id (\"%s\"): %s", title,
		     msg);
	else
		warn(c, it->line, "%s", msg);
}

/* @para (trimmed in place) as an HTML paragraph, its lines apart by
 * <br>; nothing when it is blank. */
static void
add_paragraph(GString *out, char *para)
{
	g_autofree char *esc = NULL;
	g_auto(GStrv) lines = NULL;

	g_strstrip(para);
	if (para[0] == '\0')
		return;
	esc = g_markup_escape_text(para, -1);
	lines = g_strsplit_set(esc, "\n", -1);
	g_string_append(out, "<p>");
	for (guint j = 0; lines[j] != NULL; j++)
		g_string_append_printf(out, "%s%s", j > 0 ? "<br>" : "",
		                       lines[j]);
	g_string_append(out, "</p>\n");
}

/* (transfer full): plain text as HTML paragraphs, apart where a line holds
 * only spaces and tabs. (Line by line: splitting with GRegex takes time of
 * the text's length at each paragraph.) */
static char *
text_to_html(const char *text)
{
	g_autofree char *clean = evf_text_sanitize(text, -1);
	g_autoptr(GString) para = g_string_new(NULL);
	GString *out = g_string_new(NULL);

	for (const char *line = clean; line != NULL;) {
		const char *end = strchr(line, '\n');
		gsize len = end != NULL ? (gsize)(end - line) : strlen(line);

		if (strspn(line, " \t") >= len) {
			add_paragraph(out, para->str);
			g_string_truncate(para, 0);
		} else {
			if (para->len > 0)
				g_string_append_c(para, '\n');
			g_string_append_len(para, line, (gssize)len);
		}
		line = end != NULL ? end + 1 : NULL;
	}
	add_paragraph(out, para->str);
	return g_string_free(out, FALSE);
}

static gboolean
is_void_element(const char *name)
{
	static const char *const voids[] = {
		"area",  "base", "br",   "col",    "embed", "hr",  "img",
		"input", "link", "meta", "source", "track", "wbr",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(voids); i++)
		if (g_ascii_strcasecmp(name, voids[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Whether @n has an xml:base attribute. */
static gboolean
has_xml_base(xmlNode *n)
{
	for (xmlAttr *a = n->properties; a != NULL; a = a->next)
		if (a->ns != NULL && a->ns->href != NULL &&
		    xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) &&
		    xmlStrEqual(a->name, (const xmlChar *)"base"))
			return TRUE;
	return FALSE;
}

/* Markup inside an element (Atom xhtml, or HTML that an RSS feed left
 * unescaped) as HTML for the sanitiser: local names, no namespaces. An
 * element's xml:base within it (XML Base, RFC 4287 §2) goes into the
 * href and src below it, resolved as far as the bases in scope go (the
 * rest, against the element's own base, as any link is); @based: an
 * ancestor within had one. */
static void
dump_html_based(GString *out, xmlNode *first, gsize max, gboolean based)
{
	for (xmlNode *n = first; n != NULL && out->len <= max; n = n->next) {
		gboolean here;

		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			const char *text = (const char *)n->content;
			g_autofree char *esc = NULL;

			/* Indentation between blocks is no text. */
			if (is_blank(text) && strchr(text, '\n') != NULL) {
				g_string_append_c(out, '\n');
				continue;
			}
			esc = g_markup_escape_text(text, -1);
			g_string_append(out, esc);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		here = based || has_xml_base(n);
		g_string_append_printf(out, "<%s", (const char *)n->name);
		for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
			g_autofree xmlChar *v = NULL;
			g_autofree char *esc = NULL;

			/* xml:base, xml:lang and foreign attributes */
			if (a->ns != NULL)
				continue;
			v = xmlNodeGetContent((xmlNode *)a);
			if (here && v != NULL &&
			    (xmlStrEqual(a->name, (const xmlChar *)"href") ||
			     xmlStrEqual(a->name, (const xmlChar *)"src"))) {
				g_autofree xmlChar *base =
				    xmlNodeGetBase(n->doc, n);
				xmlChar *to =
				    base != NULL ? xmlBuildURI(v, base) : NULL;

				if (to != NULL) {
					xmlFree(v);
					v = to;
				}
			}
			esc =
			    g_markup_escape_text(v ? (const char *)v : "", -1);
			g_string_append_printf(out, " %s=\"%s\"",
			                       (const char *)a->name, esc);
		}
		g_string_append_c(out, '>');
		if (is_void_element((const char *)n->name))
			continue;
		dump_html_based(out, n->children, max, here);
		g_string_append_printf(out, "</%s>", (const char *)n->name);
	}
}

static void
dump_html(GString *out, xmlNode *first, gsize max)
{
	dump_html_based(out, first, max, FALSE);
}

/* ------------------------------------------------------------ XML nodes */

static const char *
ns_of(xmlNode *n)
{
	return n->ns != NULL ? (const char *)n->ns->href : NULL;
}

static gboolean
is_core(Ctx *c, xmlNode *n)
{
	const char *ns = ns_of(n);

	switch (c->kind) {
	case KIND_RSS:
		return ns == NULL;
	case KIND_RDF:
		return ns != NULL &&
		       (strcmp(ns, NS_RSS1) == 0 || strcmp(ns, NS_RSS090) == 0);
	case KIND_ATOM:
		return ns != NULL && strcmp(ns, NS_ATOM) == 0;
	}
	return FALSE;
}

static gboolean
in_ns(xmlNode *n, const char *ns)
{
	return n->ns != NULL && strcmp((const char *)n->ns->href, ns) == 0;
}

static gboolean
named(xmlNode *n, const char *local)
{
	return strcmp((const char *)n->name, local) == 0;
}

/* (transfer full): the text of @n, never NULL. */
static char *
text_of(xmlNode *n)
{
	xmlNode *only = n->children;
	xmlChar *v;

	/* The usual case, one text node, without libxml2's buffer. */
	if (only != NULL && only->next == NULL && only->type == XML_TEXT_NODE)
		return g_strdup(
		    only->content != NULL ? (const char *)only->content : "");
	v = xmlNodeGetContent(n);

	/* libxml2 allocates with malloc(), so g_free() may release it. */
	return v != NULL ? (char *)v : g_strdup("");
}

/* (transfer full): the text of @n, bounded. */
static char *
text_cut(xmlNode *n, gsize max, gboolean *cut)
{
	char *v = text_of(n);
	gboolean was_cut = evf_utf8_cut(v, max);

	if (cut != NULL)
		*cut = was_cut;
	return v;
}

static gboolean
has_element_children(xmlNode *n)
{
	for (xmlNode *ch = n->children; ch != NULL; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE)
			return TRUE;
	return FALSE;
}

/* (transfer full): an RSS description as HTML: its text (escaped HTML), or
 * its child elements when a feed put the markup there unescaped. */
static char *
html_of(xmlNode *n, gboolean *cut)
{
	g_autoptr(GString) out = NULL;
	char *s;

	if (!has_element_children(n))
		return text_cut(n, EVF_IMPORT_MAX_DESCRIPTION, cut);
	out = g_string_new(NULL);
	dump_html(out, n->children, EVF_IMPORT_MAX_DESCRIPTION);
	s = g_strndup(out->str, out->len);
	*cut = evf_utf8_cut(s, EVF_IMPORT_MAX_DESCRIPTION);
	return s;
}

/* The character HTML 4 gives the entity @name; 0 for a name it does not
 * have. */
static gunichar
html_entity_char(const xmlChar *name)
{
	const htmlEntityDesc *e = htmlEntityLookup(name);

	return e != NULL && e->value != 0 && g_unichar_validate(e->value)
	           ? e->value
	           : 0;
}

/* The character HTML 4 gives the entity @name, as UTF-8 into @out (if
 * given); FALSE for a name it does not have. The RSS 0.91 DTD declares HTML 4's
 * entities, and a feed with its DOCTYPE may use them: libxml2, which loads
 * no DTD, leaves each one as a reference. */
static gboolean
html_entity(const xmlChar *name, char *out)
{
	gunichar c = html_entity_char(name);

	if (c == 0)
		return FALSE;
	if (out != NULL)
		out[g_unichar_to_utf8(c, out)] = '\0';
	return TRUE;
}

/* Replaces each entity reference under @first (an expanded item) with the
 * character HTML 4 gives it; FALSE, with the first other name and its
 * line, when one is not HTML's. Any other entity would have come from a
 * DTD, which is never read. */
static gboolean
resolve_entity_refs(xmlNode *first, const char **name, guint *line)
{
	xmlNode *next;

	for (xmlNode *n = first; n != NULL; n = next) {
		char ch[8];

		next = n->next;
		if (n->type == XML_ENTITY_REF_NODE) {
			xmlNode *text =
			    html_entity(n->name, ch)
			        ? xmlNewDocText(n->doc, (const xmlChar *)ch)
			        : NULL;

			if (text == NULL) {
				*name = (const char *)n->name;
				*line = (guint)xmlGetLineNo(n);
				return FALSE;
			}
			xmlReplaceNode(n, text);
			xmlFreeNode(n);
		} else if (n->type == XML_ELEMENT_NODE &&
		           !resolve_entity_refs(n->children, name, line)) {
			return FALSE;
		}
	}
	return TRUE;
}

/* (transfer full) (nullable): @parent with @n's xml:base applied; NULL
 * when @n has none, or one that does not resolve or resolves to more than
 * MAX_BASE bytes (its base is @parent). A base longer than any link kept
 * would cost its length again at each element under it with an xml:base
 * of its own. */
static Base *
base_of(Ctx *c, const Base *parent, xmlNode *n)
{
	g_autofree xmlChar *attr = NULL;
	g_autofree char *trimmed = NULL;
	g_autoptr(GUri) uri = NULL;
	g_autofree char *text = NULL;

	if (xmlHasNsProp(n, (const xmlChar *)"base", XML_XML_NAMESPACE) == NULL)
		return NULL;
	attr = xmlGetNsProp(n, (const xmlChar *)"base", XML_XML_NAMESPACE);
	if (attr == NULL)
		return NULL;
	if (parent->text != NULL && parent->uri == NULL)
		return NULL;
	trimmed = g_strstrip(g_strdup((const char *)attr));
	if (!may_resolve(c, parent, trimmed, (guint)xmlGetLineNo(n)))
		return NULL;
	uri = evf_uri_resolve_parsed(parent->uri, trimmed);
	if (uri == NULL)
		return NULL;
	text = g_uri_to_string(uri);
	if (strlen(text) > MAX_BASE)
		return NULL;
	return base_new(g_steal_pointer(&text), g_steal_pointer(&uri));
}

/* An Atom text construct (RFC 4287 §3.1) or content (§4.1.3). */
typedef enum {
	TEXT_NONE, /* out of line or a type we do not read */
	TEXT_PLAIN,
	TEXT_HTML,
} TextType;

static TextType
atom_text(xmlNode *n, gsize max, char **out, gboolean *cut)
{
	g_autofree xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
	g_autofree xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
	const char *t = type != NULL ? (const char *)type : "text";

	*out = NULL;
	*cut = FALSE;
	if (src != NULL)
		return TEXT_NONE;
	if (g_ascii_strcasecmp(t, "html") == 0 ||
	    g_ascii_strcasecmp(t, "text/html") == 0) {
		*out = text_cut(n, max, cut);
		return TEXT_HTML;
	}
	if (g_ascii_strcasecmp(t, "xhtml") == 0 ||
	    g_ascii_strcasecmp(t, "application/xhtml+xml") == 0) {
		xmlNode *div = NULL;
		guint elements = 0;
		g_autoptr(GString) s = g_string_new(NULL);

		for (xmlNode *ch = n->children; ch != NULL; ch = ch->next)
			if (ch->type == XML_ELEMENT_NODE) {
				div = ch;
				elements++;
			}
		/* The content is the div's, under its xml:base too; be
		 * lenient without one. */
		if (elements == 1 && named(div, "div"))
			dump_html_based(s, div->children, max,
			                has_xml_base(div));
		else
			dump_html(s, n->children, max);
		*out = g_strndup(s->str, s->len);
		*cut = evf_utf8_cut(*out, max);
		return TEXT_HTML;
	}
	if (g_ascii_strcasecmp(t, "text") == 0 ||
	    g_ascii_strncasecmp(t, "text/", 5) == 0) {
		*out = text_cut(n, max, cut);
		return TEXT_PLAIN;
	}
	return TEXT_NONE;
}

/* ------------------------------------------------------------ dates */

static gboolean
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	return TRUE;
}

static int
number(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* W3C-DTF / RFC 3339, and the usual slips: lower-case t and z, a space
 * for the T or before the offset, no seconds. A date alone is midnight
 * UTC with *date_only set; a time without an offset is UTC with *zoned
 * unset. */
static GDateTime *
parse_w3c(const char *text, gboolean *date_only, gboolean *zoned)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	char in[64], t[80];
	gsize len, k;
	const char *s = text, *p;
	int y, m, d;

	*date_only = FALSE;
	*zoned = FALSE;
	/* Trimmed, into @in; a date is short. */
	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_space(s[len - 1]))
		len--;
	if (len < 10 || len >= sizeof in)
		return NULL;
	memcpy(in, s, len);
	in[len] = '\0';
	if (!digits(in, 4) || in[4] != '-' || !digits(in + 5, 2) ||
	    in[7] != '-' || !digits(in + 8, 2))
		return NULL;
	y = number(in, 4);
	m = number(in + 5, 2);
	d = number(in + 8, 2);
	if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NULL;
	if (in[10] == '\0') {
		*date_only = TRUE;
		return g_date_time_new(utc, y, m, d, 0, 0, 0);
	}
	if (in[10] != 'T' && in[10] != 't' && in[10] != ' ')
		return NULL;
	/* The normal form into @t, which has room for @in and ":00". */
	memcpy(t, in, 10);
	t[10] = 'T';
	k = 11;
	p = in + 11;
	while (*p == ' ')
		p++;
	if (!digits(p, 2) || p[2] != ':' || !digits(p + 3, 2))
		return NULL;
	memcpy(t + k, p, 5);
	k += 5;
	p += 5;
	if (p[0] == ':' && digits(p + 1, 2)) {
		memcpy(t + k, p, 3);
		k += 3;
		p += 3;
		if (p[0] == '.' || p[0] == ',') {
			t[k++] = '.';
			for (p++; g_ascii_isdigit(*p); p++)
				t[k++] = *p;
		}
	} else {
		memcpy(t + k, ":00", 3);
		k += 3;
	}
	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		t[k++] = 'Z';
		p++;
		*zoned = TRUE;
	} else if (*p == '+' || *p == '-') {
		/* ±hh, ±hhmm or ±hh:mm; GLib checks the numbers. */
		t[k++] = *p;
		for (p++; g_ascii_isdigit(*p) || *p == ':'; p++)
			t[k++] = *p;
		*zoned = TRUE;
	}
	if (*p != '\0')
		return NULL;
	t[k] = '\0';
	return g_date_time_new_from_iso8601(t, utc);
}

static int
name_index(const char *tok, const char *const *names, int n)
{
	gsize len = strlen(tok);

	if (len < 3)
		return -1;
	for (int i = 0; i < n; i++)
		if (len <= strlen(names[i]) &&
		    g_ascii_strncasecmp(tok, names[i], len) == 0)
			return i;
	return -1;
}

static int
month_of(const char *tok)
{
	static const char *const months[] = {
		"january",   "february", "march",    "april",
		"may",       "june",     "july",     "august",
		"september", "october",  "november", "december",
	};

	if (g_ascii_strcasecmp(tok, "sept") == 0)
		return 9;
	return name_index(tok, months, 12) + 1;
}

static gboolean
is_weekday(const char *tok)
{
	static const char *const days[] = {
		"monday", "tuesday",  "wednesday", "thursday",
		"friday", "saturday", "sunday",
	};

	return name_index(tok, days, 7) >= 0;
}

/* Offset in seconds east of UTC of an RFC 822 zone: named (RFC 822
 * §5.1), numeric with or without a colon, or after "GMT". Unknown names
 * and military letters mean UTC with no zone known (RFC 5322 §4.3: -0000),
 * *known unset: "CEST", "BST" or "IST" mean other times in other places. */
static gboolean
zone_offset(const char *tok, int *offset, gboolean *known)
{
	static const struct {
		const char *name;
		int hours;
	} zones[] = {
		{ "GMT", 0 },  { "UT", 0 },   { "UTC", 0 },  { "Z", 0 },
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
	};
	const char *p = tok;
	int sign, hh, mm = 0;

	if (g_ascii_isalpha(*p)) {
		gsize n = 0;

		while (g_ascii_isalpha(p[n]))
			n++;
		if (p[n] == '\0') {
			*offset = 0;
			*known = FALSE;
			for (gsize i = 0; i < G_N_ELEMENTS(zones); i++)
				if (g_ascii_strcasecmp(p, zones[i].name) == 0) {
					*offset = zones[i].hours * 3600;
					*known = TRUE;
				}
			return TRUE;
		}
		/* "GMT+0200" */
		if ((n == 3 && (g_ascii_strncasecmp(p, "GMT", 3) == 0 ||
		                g_ascii_strncasecmp(p, "UTC", 3) == 0)) ||
		    (n == 2 && g_ascii_strncasecmp(p, "UT", 2) == 0))
			p += n;
		else
			return FALSE;
	}
	if (*p != '+' && *p != '-')
		return FALSE;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (!digits(p, 2))
		return FALSE;
	hh = number(p, 2);
	p += 2;
	if (*p == ':')
		p++;
	if (*p != '\0') {
		if (!digits(p, 2) || p[2] != '\0')
			return FALSE;
		mm = number(p, 2);
	}
	if (hh > 23 || mm > 59)
		return FALSE;
	*offset = sign * (hh * 3600 + mm * 60);
	*known = TRUE;
	return TRUE;
}

/* Whether @text, a date read as one of no zone, ends in a word that
 * names one (parse_rfc822: one RFC 822 does not define), not AM or PM. */
static gboolean
names_zone(const char *text)
{
	g_autofree char *t = g_strstrip(g_strdup(text));
	const char *word = strrchr(t, ' ');

	word = word != NULL ? word + 1 : t;
	if (*word == '\0' || g_ascii_strcasecmp(word, "AM") == 0 ||
	    g_ascii_strcasecmp(word, "PM") == 0)
		return FALSE;
	for (const char *p = word; *p != '\0'; p++)
		if (!g_ascii_isalpha(*p))
			return FALSE;
	return TRUE;
}

/* H:MM, HH:MM or HH:MM:SS (a fraction of a second is dropped). */
static gboolean
clock_of(const char *tok, int *h, int *m, int *s)
{
	const char *p = tok;
	int v[3] = { 0, 0, 0 };
	int n = 0;

	for (;;) {
		int len = 0;

		while (g_ascii_isdigit(p[len]))
			len++;
		if (len < 1 || len > 2 || n == 3)
			return FALSE;
		v[n++] = number(p, len);
		p += len;
		if (*p != ':')
			break;
		p++;
	}
	if (n == 3 && *p == '.' && digits(p + 1, (int)strlen(p + 1)))
		p += strlen(p);
	if (n < 2 || *p != '\0')
		return FALSE;
	*h = v[0];
	*m = v[1];
	*s = v[2] == 60 ? 59 : v[2]; /* a leap second */
	return *h <= 23 && *m <= 59 && *s <= 59;
}

static int
day_of(const char *tok)
{
	gsize len = tok != NULL ? strlen(tok) : 0;

	if (len < 1 || len > 2 || !digits(tok, (int)len))
		return -1;
	return atoi(tok);
}

/* Four digits, or two (RFC 5322 §4.3: below 50 is 20xx) or three (+1900). */
static int
year_of(const char *tok)
{
	gsize len = tok != NULL ? strlen(tok) : 0;
	int y;

	if (len < 2 || len > 4 || !digits(tok, (int)len))
		return -1;
	y = atoi(tok);
	if (len == 2)
		y += y < 50 ? 2000 : 1900;
	else if (len == 3)
		y += 1900;
	return y;
}

#define MAX_TOKENS 16

static const char *
token(char **t, guint k)
{
	return k < MAX_TOKENS ? t[k] : NULL;
}

/* RFC 822 / RFC 5322 dates as feeds write them: with or without the
 * weekday (its value is not checked), day and month in either order,
 * full or lower-case month names, two-digit years, no seconds, no time
 * at all (*date_only), AM/PM, named or numeric zones or none (UTC, with
 * *zoned unset, as for a name RFC 822 does not define), runs of spaces,
 * and ctime's "Tue Jun 10 04:00:00 2003". */
static GDateTime *
parse_rfc822(const char *text, gboolean *date_only, gboolean *zoned)
{
	char buf[256];
	char *t[MAX_TOKENS + 1] = { NULL };
	guint n = 0, i = 0, k = 0;
	g_autoptr(GTimeZone) tz = NULL;
	int depth = 0, day = -1, month = -1, year = -1;
	int h = 0, mi = 0, sec = 0, offset = 0;
	gboolean have_time = FALSE, have_zone = FALSE;

	/* Words into @t; commas are spaces, comments in parentheses go. */
	for (const char *p = text; *p != '\0'; p++) {
		char ch = *p == ',' ? ' ' : *p;

		if (ch == '(') {
			depth++;
			ch = ' ';
		} else if (ch == ')' && depth > 0) {
			depth--;
			ch = ' ';
		} else if (depth > 0) {
			continue;
		}
		if (k + 1 >= sizeof buf)
			return NULL;
		if (is_space(ch)) {
			if (k > 0 && buf[k - 1] != '\0')
				buf[k++] = '\0';
			continue;
		}
		if (k == 0 || buf[k - 1] == '\0') {
			if (n == MAX_TOKENS)
				return NULL;
			t[n++] = buf + k;
		}
		buf[k++] = ch;
	}
	buf[k] = '\0';
	if (n == 0)
		return NULL;

	if (g_ascii_isalpha(t[0][0]) && month_of(t[0]) < 1) {
		char *dot = strchr(t[0], '.');

		if (dot != NULL)
			*dot = '\0';
		if (!is_weekday(t[0]))
			return NULL;
		i++;
	}
	if (token(t, i) == NULL)
		return NULL;
	if (g_ascii_isdigit(t[i][0]) && strchr(t[i], '-') != NULL) {
		/* 15-Jan-2024 */
		char *mon = strchr(t[i], '-') + 1;
		char *yr = strchr(mon, '-');

		if (yr == NULL || strchr(yr + 1, '-') != NULL)
			return NULL;
		mon[-1] = '\0';
		*yr++ = '\0';
		day = day_of(t[i]);
		month = month_of(mon);
		if ((year = year_of(yr)) < 0)
			return NULL;
		i++;
	} else if (g_ascii_isdigit(t[i][0])) {
		/* 15 Jan */
		day = day_of(t[i]);
		month = token(t, i + 1) ? month_of(t[i + 1]) : -1;
		i += 2;
	} else {
		/* Jan 15 */
		month = month_of(t[i]);
		day = day_of(token(t, i + 1));
		i += 2;
	}
	if (month < 1 || day < 1)
		return NULL;
	/* ctime puts the time before the year. */
	if (year < 0 && token(t, i) != NULL && strchr(t[i], ':') != NULL) {
		if (!clock_of(t[i], &h, &mi, &sec))
			return NULL;
		have_time = TRUE;
		i++;
	}
	if (year < 0 && (year = year_of(token(t, i++))) < 0)
		return NULL;
	if (!have_time && token(t, i) != NULL && strchr(t[i], ':') != NULL) {
		if (!clock_of(t[i], &h, &mi, &sec))
			return NULL;
		have_time = TRUE;
		i++;
	}
	if (have_time && token(t, i) != NULL &&
	    (g_ascii_strcasecmp(t[i], "AM") == 0 ||
	     g_ascii_strcasecmp(t[i], "PM") == 0)) {
		if (h < 1 || h > 12)
			return NULL;
		h = h % 12 + (g_ascii_strcasecmp(t[i], "PM") == 0 ? 12 : 0);
		i++;
	}
	if (token(t, i) != NULL) {
		if (!zone_offset(t[i], &offset, &have_zone))
			return NULL;
		i++;
		/* "GMT +0200": the offset counts */
		if (token(t, i) != NULL && (t[i][0] == '+' || t[i][0] == '-')) {
			if (!zone_offset(t[i], &offset, &have_zone))
				return NULL;
			i++;
		}
	}
	if (token(t, i) != NULL)
		return NULL;
	if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month,
	                      (GDateYear)year))
		return NULL;
	*date_only = !have_time;
	*zoned = have_zone;
	tz = g_time_zone_new_offset(offset);
	return g_date_time_new(tz, year, month, day, h, mi, sec);
}

/* In 1900–2200 (UTC). */
static gboolean
year_ok(GDateTime *dt)
{
	gint64 t = g_date_time_to_unix(dt);

	return t >= FIRST_INSTANT && t < END_INSTANT;
}

/* Any date a feed may hold, as an instant. */
static GDateTime *
parse_date(const char *text, gboolean *date_only, gboolean *zoned)
{
	GDateTime *dt = parse_w3c(text, date_only, zoned);

	if (dt != NULL)
		return dt;
	return parse_rfc822(text, date_only, zoned);
}

static gint64
usec_of(GDateTime *dt)
{
	return g_date_time_to_unix(dt) * G_USEC_PER_SEC +
	       g_date_time_get_microsecond(dt);
}

/* ------------------------------------------------------------ items */

static void
add_category(Ctx *c, Item *it, const char *raw)
{
	g_autofree char *cat = clean_line(raw, MAX_FIELD);
	g_autofree char *key = NULL;

	if (cat == NULL)
		return;
	if (it->categories == NULL) {
		it->categories = g_ptr_array_new_with_free_func(g_free);
		it->category_keys = g_ptr_array_new_with_free_func(g_free);
	}
	key = g_utf8_casefold(cat, -1);
	for (guint i = 0; i < it->category_keys->len; i++)
		if (strcmp(key, g_ptr_array_index(it->category_keys, i)) == 0)
			return;
	/* told once the item has its id and title (read_item) */
	if (it->categories->len >= MAX_CATEGORIES) {
		it->categories_capped = TRUE;
		return;
	}
	g_ptr_array_add(it->categories, g_steal_pointer(&cat));
	g_ptr_array_add(it->category_keys, g_steal_pointer(&key));
}

/* What an item says, before choosing among alternatives. */
typedef struct {
	char *guid;
	gboolean guid_permalink;
	Base *guid_base;
	char *title;
	gboolean title_html;
	char *dc_title;
	char *link;
	gboolean link_file; /* an Atom alternate of another type than a page
	                     * (a .ics, a PDF): one that is a page wins */
	gboolean link_atom; /* an RSS item's atom:link, which its own <link>
	                     * replaces */
	char *link_refused; /* a link left out: not http(s), or not a URL */
	char *description;  /* RSS description, or Atom summary */
	Base *desc_base;
	gboolean desc_cut;
	char *content; /* content:encoded, or Atom content */
	Base *content_base;
	gboolean content_cut;
	char *pubdate; /* pubDate, or atom:published */
	char *updated; /* atom:updated */
	char *dc_date;
} Fields;

/* An Atom summary or content as HTML (NULL when out of line or of a type
 * we do not read), whether it was cut, and the base its links resolve
 * against. */
static void
atom_html(xmlNode *n, Base *base, char **html, gboolean *cut, Base **html_base)
{
	g_autofree char *s = NULL;
	TextType t = atom_text(n, EVF_IMPORT_MAX_DESCRIPTION, &s, cut);

	if (t == TEXT_PLAIN)
		*html = text_to_html(s);
	else if (t == TEXT_HTML)
		*html = g_strdup(s);
	base_release(*html_base);
	*html_base = base_acquire(base);
}

static void
fields_clear(Fields *f)
{
	g_free(f->guid);
	base_release(f->guid_base);
	g_free(f->title);
	g_free(f->dc_title);
	g_free(f->link);
	g_free(f->link_refused);
	g_free(f->description);
	base_release(f->desc_base);
	g_free(f->content);
	base_release(f->content_base);
	g_free(f->pubdate);
	g_free(f->updated);
	g_free(f->dc_date);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Fields, fields_clear)

typedef enum {
	LINK_PAGE, /* a web page */
	LINK_FILE, /* a calendar file, a PDF…: the event's, not its page */
	LINK_FEED, /* a feed (its comments, its updates): not the event */
} LinkKind;

/* What an Atom link's type= @type (of no type: NULL) links to. */
static LinkKind
link_kind(char *type)
{
	static const char *const feeds[] = {
		"application/rss+xml", "application/atom+xml",
		"application/rdf+xml", "application/feed+json",
		"application/json",
	};
	char *end;

	if (type == NULL)
		return LINK_PAGE;
	end = strchr(type, ';');
	if (end != NULL)
		*end = '\0';
	g_strstrip(type);
	if (g_ascii_strcasecmp(type, "text/html") == 0 ||
	    g_ascii_strcasecmp(type, "application/xhtml+xml") == 0 ||
	    type[0] == '\0')
		return LINK_PAGE;
	for (guint i = 0; i < G_N_ELEMENTS(feeds); i++)
		if (g_ascii_strcasecmp(type, feeds[i]) == 0)
			return LINK_FEED;
	return LINK_FILE;
}

/* An Atom link @n of an entry, or of an RSS item (atom:link), as its
 * link when it is the page: RFC 4287 §4.1.1, alternates may differ in
 * type; the page is the event's link, as feedparser takes it. */
static void
read_atom_link(Ctx *c, Fields *f, xmlNode *n, Base *base)
{
	g_autofree xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
	g_autofree xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
	g_autofree xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
	LinkKind kind = link_kind((char *)type);
	gboolean page = kind == LINK_PAGE;
	char *link;

	/* RFC 4287 §4.2.7.2: no rel is "alternate"; RFC 8288 §2.1.1: its
	 * case does not count. A feed of its own (its comments) is no link
	 * of the event's, as feedparser takes none but a page. */
	if (href == NULL || kind == LINK_FEED || (f->link != NULL && !page) ||
	    (rel != NULL &&
	     g_ascii_strcasecmp(g_strstrip((char *)rel), "alternate") != 0 &&
	     g_ascii_strcasecmp((char *)rel, REL_ALTERNATE) != 0))
		return;
	link = safe_url(c, (const char *)href, base, (guint)xmlGetLineNo(n));
	if (link != NULL) {
		g_free(f->link);
		f->link = link;
		f->link_file = !page;
		f->link_atom = c->kind != KIND_ATOM;
	} else if (f->link_refused == NULL) {
		f->link_refused = g_strdup((const char *)href);
	}
}

static void
read_core(Ctx *c, Item *it, Fields *f, xmlNode *n, Base *base)
{
	gboolean cut = FALSE;
	char *s = NULL;

	if (named(n, "title") && f->title == NULL) {
		if (c->kind == KIND_ATOM) {
			TextType t = atom_text(n, MAX_RAW_TITLE, &s, &cut);

			f->title_html = t == TEXT_HTML;
			f->title = s;
		} else {
			f->title = text_cut(n, MAX_RAW_TITLE, NULL);
		}
	} else if (named(n, "link") &&
	           (f->link == NULL || f->link_file || f->link_atom)) {
		if (c->kind == KIND_ATOM) {
			read_atom_link(c, f, n, base);
		} else {
			gboolean too_long = FALSE;
			g_autofree char *v =
			    text_cut(n, 8 * MAX_FIELD, &too_long);
			/* (one too long is refused whole, not cut) */
			char *link =
			    too_long
			        ? NULL
			        : safe_url(c, v, base, (guint)xmlGetLineNo(n));

			/* an atom:link taken before stays when this one is
			 * refused */
			if (link != NULL) {
				g_free(f->link);
				f->link = link;
				f->link_file = f->link_atom = FALSE;
			} else if (!is_blank(v) && f->link_refused == NULL) {
				f->link_refused = g_strdup(v);
			}
		}
	} else if (named(n, "description") && c->kind != KIND_ATOM &&
	           f->description == NULL) {
		f->description = html_of(n, &f->desc_cut);
		base_release(f->desc_base);
		f->desc_base = base_acquire(base);
	} else if (named(n, "summary") && c->kind == KIND_ATOM &&
	           f->description == NULL) {
		atom_html(n, base, &f->description, &f->desc_cut,
		          &f->desc_base);
	} else if (named(n, "content") && c->kind == KIND_ATOM &&
	           f->content == NULL) {
		atom_html(n, base, &f->content, &f->content_cut,
		          &f->content_base);
	} else if (((named(n, "guid") && c->kind == KIND_RSS) ||
	            (named(n, "id") && c->kind == KIND_ATOM)) &&
	           f->guid == NULL) {
		g_autofree char *perma = NULL;

		if (xmlHasProp(n, (const xmlChar *)"isPermaLink") != NULL)
			perma = g_strstrip((char *)xmlGetProp(
			    n, (const xmlChar *)"isPermaLink"));
		/* RSS 2.0: a guid is a permalink unless it says not */
		f->guid = text_cut(n, 8 * MAX_FIELD, NULL);
		f->guid_permalink =
		    c->kind == KIND_RSS &&
		    (perma == NULL || g_ascii_strcasecmp(perma, "false") != 0);
		base_release(f->guid_base);
		f->guid_base = base_acquire(base);
	} else if ((named(n, "pubDate") && c->kind == KIND_RSS) ||
	           (named(n, "published") && c->kind == KIND_ATOM)) {
		if (f->pubdate == NULL)
			f->pubdate = text_cut(n, 256, NULL);
	} else if (named(n, "updated") && c->kind == KIND_ATOM) {
		if (f->updated == NULL)
			f->updated = text_cut(n, 256, NULL);
	} else if (named(n, "category")) {
		if (c->kind == KIND_ATOM) {
			g_autofree xmlChar *label =
			    xmlGetProp(n, (const xmlChar *)"label");
			g_autofree xmlChar *term =
			    xmlGetProp(n, (const xmlChar *)"term");

			add_category(c, it,
			             !is_blank((const char *)label)
			                 ? (const char *)label
			                 : (const char *)term);
		} else {
			g_autofree char *v = text_cut(n, 4 * MAX_FIELD, NULL);

			add_category(c, it, v);
		}
	}
}

static void
read_extension(Ctx *c, Item *it, Fields *f, xmlNode *n, Base *base)
{
	/* An RSS item's atom:link (rel="alternate", or none), as feedparser
	 * takes it, where the item has no <link> of its own. */
	if (c->kind != KIND_ATOM && in_ns(n, NS_ATOM) && named(n, "link")) {
		if (f->link == NULL || f->link_file)
			read_atom_link(c, f, n, base);
	} else if (in_ns(n, NS_CONTENT) && named(n, "encoded") &&
	           f->content == NULL && c->kind != KIND_ATOM) {
		f->content = html_of(n, &f->content_cut);
		base_release(f->content_base);
		f->content_base = base_acquire(base);
	} else if (in_ns(n, NS_DC)) {
		if (named(n, "date") && f->dc_date == NULL)
			f->dc_date = text_cut(n, 256, NULL);
		else if (named(n, "subject")) {
			g_autofree char *v = text_cut(n, 4 * MAX_FIELD, NULL);

			add_category(c, it, v);
		} else if (named(n, "title") && f->dc_title == NULL)
			f->dc_title = text_cut(n, MAX_RAW_TITLE, NULL);
	} else if (in_ns(n, NS_EV)) {
		if (named(n, "startdate") && it->start == NULL)
			it->start = text_cut(n, 256, NULL);
		else if (named(n, "enddate") && it->end == NULL)
			it->end = text_cut(n, 256, NULL);
		else if (named(n, "location") && it->location == NULL) {
			g_autofree char *v = text_cut(n, 4 * MAX_FIELD, NULL);

			it->location = clean_line(v, MAX_FIELD);
		} else if (named(n, "organizer") && it->organizer == NULL) {
			g_autofree char *v = text_cut(n, 4 * MAX_FIELD, NULL);

			it->organizer = clean_line(v, MAX_FIELD);
		}
	}
}

static gint64
published_of(Ctx *c, Item *it, const char *text, const char *what)
{
	g_autoptr(GDateTime) dt = NULL;
	gboolean date_only, zoned;
	g_autofree char *q = NULL;

	if (is_blank(text))
		return 0;
	dt = parse_date(text, &date_only, &zoned);
	if (dt != NULL && year_ok(dt))
		return usec_of(dt);
	q = quote(text);
	if (dt == NULL) {
		warn_item(c, it, "%s '%s' is not a date, left out", what, q);
		return 0;
	}
	warn_item(c, it, "%s '%s' is out of range, left out", what, q);
	return 0;
}

/* Reads one expanded item (or entry) into a record. */
static gboolean
read_item(Ctx *c, xmlNode *node, Base *item_base, GError **error)
{
	g_auto(Fields) f = { 0 };
	Item *it;
	const char *name = NULL;
	guint line = 0;

	if (!resolve_entity_refs(node->children, &name, &line)) {
		g_autofree char *q = quote(name);

		set_error(error,
		          "unknown entity '&%s;' at line %u (only XML's and "
		          "HTML 4's are known: no DTD is read)",
		          q, line);
		return FALSE;
	}
	it = g_new0(Item, 1);
	it->index = c->items->len;
	it->line = (guint)xmlGetLineNo(node);
	g_ptr_array_add(c->items, it);

	if (c->kind == KIND_RDF) {
		g_autofree xmlChar *about = xmlGetNsProp(
		    node, (const xmlChar *)"about", (const xmlChar *)NS_RDF);

		if (about != NULL)
			f.guid = g_strdup((const char *)about);
	}
	for (xmlNode *n = node->children; n != NULL; n = n->next) {
		Base *own = NULL;
		Base *base;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		own = base_of(c, item_base, n);
		base = own != NULL ? own : item_base;
		if (is_core(c, n))
			read_core(c, it, &f, n, base);
		else
			read_extension(c, it, &f, n, base);
		base_release(own);
	}

	/* The identity: guid, id or about, else the link. */
	it->uid = clean_line(f.guid, 8 * MAX_FIELD);
	if (it->uid != NULL && strlen(it->uid) > MAX_FIELD) {
		g_autofree char *long_uid = g_steal_pointer(&it->uid);

		it->uid = evf_uuid5(EVF_UUID_NAMESPACE, long_uid);
	}
	it->link = g_steal_pointer(&f.link);
	/* a guid that is the item's page, before an atom:link to a calendar
	 * file or a PDF, as feedparser takes it */
	if ((it->link == NULL || f.link_file) && f.guid_permalink &&
	    f.guid != NULL) {
		char *page = safe_url(c, f.guid, f.guid_base, it->line);

		if (page != NULL) {
			g_free(it->link);
			it->link = page;
		}
	}
	if (it->link != NULL) {
		/* Too long, or with characters no text may hold: no link. */
		g_autofree char *clean = evf_text_sanitize(it->link, -1);

		if (strlen(it->link) > 8 * MAX_FIELD ||
		    strcmp(clean, it->link) != 0) {
			g_free(f.link_refused);
			f.link_refused = g_steal_pointer(&it->link);
		}
	}

	if (f.title != NULL) {
		it->title_raw = g_steal_pointer(&f.title);
		it->title_html = f.title_html;
	} else {
		it->title_raw = g_steal_pointer(&f.dc_title);
	}
	if (!is_blank(f.content)) {
		it->desc = g_steal_pointer(&f.content);
		it->desc_base = g_steal_pointer(&f.content_base);
		it->desc_cut = f.content_cut;
	} else if (!is_blank(f.description)) {
		it->desc = g_steal_pointer(&f.description);
		it->desc_base = g_steal_pointer(&f.desc_base);
		it->desc_cut = f.desc_cut;
	}

	if (it->link == NULL && f.link_refused != NULL) {
		g_autofree char *q = quote(f.link_refused);

		warn_item(c, it,
		          "link '%s' left out: not an http or https address "
		          "(or too long, or with control characters, or "
		          "relative, which the source's url may not resolve "
		          "when it has a query or link= is set)",
		          q);
	}
	if (it->categories_capped)
		warn_item(c, it, "more than %d categories, the rest left out",
		          MAX_CATEGORIES);
	it->published = it->issued = published_of(
	    c, it, f.pubdate, c->kind == KIND_ATOM ? "published" : "pubDate");
	if (!is_blank(f.updated)) {
		g_autoptr(GDateTime) up = NULL;
		gboolean date_only, zoned;

		up = parse_date(f.updated, &date_only, &zoned);
		if (up != NULL && year_ok(up))
			it->updated = usec_of(up);
	}
	if (it->published == 0)
		it->published = published_of(c, it, f.updated, "updated");
	if (it->published == 0)
		it->published = it->issued =
		    published_of(c, it, f.dc_date, "dc:date");
	return TRUE;
}

/* ------------------------------------------------------------ events */

/* (transfer full): the title as plain text on one line, bounded. */
static char *
title_of(const Item *it, gboolean *cut)
{
	g_autofree char *text = NULL;
	g_autofree char *line = NULL;

	*cut = FALSE;
	if (it->title_raw == NULL)
		return g_strdup("");
	if (it->title_html) {
		g_autofree char *safe = evf_html_sanitize(it->title_raw, NULL);

		text = evf_html_to_text(safe);
	} else {
		text = g_strdup(it->title_raw);
	}
	line = evf_text_oneline(text);
	if (strlen(line) <= EVF_IMPORT_MAX_TITLE)
		return g_steal_pointer(&line);
	*cut = TRUE;
	line = evf_text_cut(g_steal_pointer(&line),
	                    EVF_IMPORT_MAX_TITLE - strlen("\u2026"));
	return g_strconcat(line, "\u2026", NULL);
}

/* (transfer full): the start of @text as a title. */
static char *
title_from_text(const char *text)
{
	g_autofree char *line = evf_text_oneline(text);

	if (g_utf8_strlen(line, -1) <= TITLE_FROM_TEXT)
		return g_steal_pointer(&line);
	{
		char *head = g_utf8_substring(line, 0, TITLE_FROM_TEXT - 1);
		g_autofree char *cut = evf_text_cut(head, strlen(head));

		return g_strconcat(cut, "\u2026", NULL);
	}
}

/* (transfer full): sanitised HTML of at most EVF_IMPORT_MAX_DESCRIPTION
 * bytes; the sanitiser may lengthen its input (entities, end tags), so
 * the input is cut until the output fits. */
static char *
sanitize_bounded(const char *html, const char *base, gboolean *cut)
{
	gsize limit = EVF_IMPORT_MAX_DESCRIPTION;

	for (int round = 0; round < 8 && limit > 0; round++) {
		g_autofree char *raw = g_strdup(html);
		g_autofree char *out = NULL;
		gsize n;

		if (evf_utf8_cut(raw, limit))
			*cut = TRUE;
		out = evf_html_sanitize(raw, base);
		n = strlen(out);
		if (n <= EVF_IMPORT_MAX_DESCRIPTION)
			return g_steal_pointer(&out);
		*cut = TRUE;
		limit = (gsize)((double)MIN(limit, strlen(raw)) *
		                EVF_IMPORT_MAX_DESCRIPTION / (double)n * 0.97);
	}
	return g_strdup("");
}

static char *
slug_of(const char *uid)
{
	g_autofree char *slug = evf_slugify(uid);
	g_autofree char *hex = NULL;

	if (strlen(slug) <= MAX_SLUG)
		return g_steal_pointer(&slug);
	/* A long id (a URL): its start, and a digest to keep it distinct. */
	hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, uid, -1);
	slug[MAX_SLUG - 11] = '\0';
	while (slug[0] != '\0' && slug[strlen(slug) - 1] == '-')
		slug[strlen(slug) - 1] = '\0';
	return g_strdup_printf("%s-%.10s", slug, hex);
}

/* ev:startdate/ev:enddate (mod_event, W3C-DTF) → the event's dates. */
static void
event_dates(Ctx *c, const Item *it, EvfEvent *ev)
{
	g_autoptr(GDateTime) start = NULL;
	g_autoptr(GDateTime) end = NULL;
	gboolean start_day = FALSE, end_day = FALSE, zoned = FALSE;
	gboolean end_zoned = FALSE;
	gint32 offset;
	g_autofree char *qs = quote(it->start);
	g_autofree char *qe = quote(it->end);

	ev->tba = TRUE;
	if (is_blank(it->start))
		return;
	start = parse_date(it->start, &start_day, &zoned);
	if (start == NULL) {
		warn_item(c, it,
		          "ev:startdate '%s' is not a date, listed without one",
		          qs);
		return;
	}
	if (!year_ok(start)) {
		warn_item(
		    c, it,
		    "ev:startdate '%s' is out of range, listed without a date",
		    qs);
		return;
	}
	if (!is_blank(it->end)) {
		end = parse_date(it->end, &end_day, &end_zoned);
		if (end == NULL || !year_ok(end)) {
			warn_item(c, it, "ev:enddate '%s' is %s, left out", qe,
			          end == NULL ? "not a date" : "out of range");
			g_clear_pointer(&end, g_date_time_unref);
		}
	}
	ev->tba = FALSE;
	if (start_day) {
		int y, m, d;

		ev->all_day = TRUE;
		g_date_time_get_ymd(start, &y, &m, &d);
		g_date_set_dmy(&ev->start_date, (GDateDay)d, (GDateMonth)m,
		               (GDateYear)y);
		ev->end_date = ev->start_date;
		if (end != NULL) {
			GDate last;

			/* A time on the last day still means that day. */
			g_date_time_get_ymd(end, &y, &m, &d);
			g_date_clear(&last, 1);
			g_date_set_dmy(&last, (GDateDay)d, (GDateMonth)m,
			               (GDateYear)y);
			if (g_date_compare(&last, &ev->start_date) < 0)
				warn_item(
				    c, it,
				    "ev:enddate '%s' is before ev:startdate "
				    "'%s', one day assumed",
				    qe, qs);
			else
				ev->end_date = last;
		}
		g_date_add_days(&ev->end_date, 1);
		return;
	}
	if (!zoned && names_zone(it->start))
		warn_item(c, it,
		          "ev:startdate '%s' names a time zone that RFC 822 "
		          "does not define, which may mean other times in "
		          "other places (CEST, BST, IST): UTC assumed; give "
		          "the offset from UTC instead (+0100 for CET, +0200 "
		          "for CEST)",
		          qs);
	else if (!zoned)
		warn_item(c, it,
		          "ev:startdate '%s' has no time zone, UTC "
		          "assumed",
		          qs);
	ev->start = g_date_time_to_utc(start);
	/* shown at the offset the partner gave, as an event file's is */
	offset = (gint32)(g_date_time_get_utc_offset(start) / G_USEC_PER_SEC);
	if (zoned && evf_utc_offset_valid(offset))
		ev->utc_offset = offset;
	if (end != NULL && end_day) {
		warn_item(c, it,
		          "ev:enddate '%s' has no time, one hour assumed", qe);
		g_clear_pointer(&end, g_date_time_unref);
	}
	if (end != NULL && g_date_time_compare(end, start) <= 0) {
		warn_item(c, it,
		          "ev:enddate '%s' is not after ev:startdate '%s', one "
		          "hour assumed",
		          qe, qs);
		g_clear_pointer(&end, g_date_time_unref);
	}
	/* Without ev:enddate (optional in mod_event), the event ends at its
	 * start, as an iCalendar partner's without DTEND does: its start
	 * alone is shown, and no end is made up; one that cannot be read
	 * was meant, and an hour stands for it, with a warning. */
	ev->end = end != NULL         ? g_date_time_to_utc(end)
	          : is_blank(it->end) ? g_date_time_ref(ev->start)
	                              : g_date_time_add_hours(ev->start, 1);
}

/* The base URL the links in @it's description resolve against: its own,
 * unless resolving them would cost too much. Each link costs the base's
 * length to resolve and makes a link as long, which sanitize_bounded may
 * build only to cut (4,000 links under a base of 8 KiB are 32 MB): a
 * description may spend MAX_DESC_LINKS bytes of bases, and a feed
 * MAX_RESOLVED in all (with its xml:base attributes and other links).
 * Beyond, its relative links are left out, with a warning. */
static const char *
links_base(Ctx *c, const Item *it)
{
	gsize links = 0, cost;

	if (it->desc_base == NULL || it->desc_base->uri == NULL)
		return it->desc_base != NULL ? it->desc_base->text : NULL;
	/* an upper bound: the names of the attributes that may hold one */
	for (const char *p = it->desc; *p != '\0'; p++)
		if (g_ascii_strncasecmp(p, "href", 4) == 0 ||
		    g_ascii_strncasecmp(p, "src", 3) == 0 ||
		    g_ascii_strncasecmp(p, "cite", 4) == 0)
			links++;
	cost = links * it->desc_base->len;
	c->resolved += cost;
	if (cost <= MAX_DESC_LINKS && c->resolved <= MAX_RESOLVED)
		return it->desc_base->text;
	warn_item(c, it,
	          "%" G_GSIZE_FORMAT " links in the description under a "
	          "base URL of %" G_GSIZE_FORMAT
	          " bytes, too many to resolve: its relative links are "
	          "left out",
	          links, it->desc_base->len);
	return NULL;
}

/* (transfer full): the event of a kept item; NULL when, sanitised, it
 * has neither title nor text. */
static EvfEvent *
event_of(Ctx *c, const Item *it)
{
	g_autoptr(EvfEvent) ev = evf_event_new();
	gboolean cut = it->desc_cut, title_cut;
	g_autofree char *title = title_of(it, &title_cut);

	ev->uid = g_strdup(it->uid);
	ev->slug = slug_of(it->uid);
	ev->uid_line = 1;
	ev->status_unknown = TRUE;
	ev->url = g_strdup(it->link);
	if (it->desc != NULL) {
		g_autofree char *html =
		    sanitize_bounded(it->desc, links_base(c, it), &cut);
		g_autofree char *text = NULL;

		/* Character references may bring back what the text
		 * hygiene takes out (C1 controls, U+FFFF…). */
		ev->description_html = evf_text_sanitize(html, -1);
		text = evf_html_to_text(ev->description_html);
		ev->description_text = evf_text_sanitize(text, -1);
	} else {
		ev->description_html = g_strdup("");
		ev->description_text = g_strdup("");
	}
	if (cut)
		warn_item(c, it, "description cut to %d bytes",
		          EVF_IMPORT_MAX_DESCRIPTION);
	if (title[0] == '\0') {
		g_free(title);
		title = title_from_text(ev->description_text);
	}
	if (title[0] == '\0')
		return NULL;
	if (title_cut)
		warn_item(c, it, "title cut to %d bytes", EVF_IMPORT_MAX_TITLE);
	ev->title = g_steal_pointer(&title);
	ev->published = it->published;
	for (guint i = 0; it->categories && i < it->categories->len; i++)
		g_ptr_array_add(ev->categories,
		                g_strdup(g_ptr_array_index(it->categories, i)));
	ev->location = g_strdup(it->location);
	if (it->organizer != NULL)
		g_ptr_array_add(ev->organizers, g_strdup(it->organizer));
	(void)evf_import_mend_text(ev);
	event_dates(c, it, ev);
	evf_event_update_fingerprint(ev);
	return g_steal_pointer(&ev);
}

/* Mends *@s in place (evf_text_mend), and writes a character that a
 * wrong encoding lost, U+FFFD, as '?', as the feeds must
 * (evf_text_replacement_as_question): every output the same text;
 * whether it changed. */
static gboolean
mend(char **s)
{
	char *mended;
	char *marked;

	if (*s == NULL)
		return FALSE;
	if ((mended = evf_text_mend(*s)) != NULL) {
		g_free(*s);
		*s = mended;
	}
	if ((marked = evf_text_replacement_as_question(*s)) != NULL) {
		g_free(*s);
		*s = marked;
	}
	return mended != NULL || marked != NULL;
}

gboolean
evf_import_mend_text(EvfEvent *ev)
{
	char **texts[] = { &ev->title, &ev->location, &ev->description_html,
		           &ev->description_text };
	GPtrArray *lists[] = { ev->organizers, ev->categories };
	gboolean changed = FALSE;

	g_return_val_if_fail(ev != NULL, FALSE);
	for (guint k = 0; k < G_N_ELEMENTS(texts); k++)
		changed |= mend(texts[k]);
	for (guint k = 0; k < G_N_ELEMENTS(lists); k++)
		for (guint i = 0; i < lists[k]->len; i++)
			changed |= mend((char **)&lists[k]->pdata[i]);
	return changed;
}

void
evf_import_tidy(EvfEvent *ev)
{
	evf_event_tidy(ev);
	if (evf_import_mend_text(ev))
		evf_event_update_fingerprint(ev);
}

void
evf_import_filter_fold(EvfImportFilter *filter)
{
	evf_import_filter_clear(filter);
	filter->include_folded = evf_words_fold(filter->include);
	filter->exclude_folded = evf_words_fold(filter->exclude);
}

void
evf_import_filter_clear(EvfImportFilter *filter)
{
	g_clear_pointer(&filter->include_folded, g_strfreev);
	g_clear_pointer(&filter->exclude_folded, g_strfreev);
}

/* Whether @ev mentions @words, folded in @folded when they are. */
static gboolean
mentions(const EvfEvent *ev, GStrv words, GStrv folded)
{
	return folded != NULL ? evf_event_mentions_folded(ev, folded)
	                      : evf_event_mentions(ev, words);
}

gboolean
evf_import_filter_chooses(const EvfImportFilter *filter)
{
	return filter != NULL &&
	       ((filter->include != NULL && filter->include[0] != NULL) ||
	        (filter->exclude != NULL && filter->exclude[0] != NULL));
}

gboolean
evf_import_chosen_as_is(const EvfImportFilter *filter, const EvfEvent *ev)
{
	if (filter == NULL)
		return TRUE;
	if (filter->include != NULL && filter->include[0] != NULL &&
	    !mentions(ev, filter->include, filter->include_folded))
		return FALSE;
	return filter->exclude == NULL || filter->exclude[0] == NULL ||
	       !mentions(ev, filter->exclude, filter->exclude_folded);
}

gboolean
evf_import_chosen(const EvfImportFilter *filter, const EvfEvent *ev)
{
	g_autoptr(EvfEvent) published = NULL;

	if (!evf_import_filter_chooses(filter))
		return TRUE;
	published = evf_event_copy(ev);
	evf_import_tidy(published);
	return evf_import_chosen_as_is(filter, published);
}

/* Newest first; equal dates in document order. */
static gint
cmp_newest(gconstpointer a, gconstpointer b)
{
	const Item *x = *(Item *const *)a;
	const Item *y = *(Item *const *)b;

	if (x->published != y->published)
		return x->published > y->published ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static gint
cmp_document(gconstpointer a, gconstpointer b)
{
	const Item *x = *(Item *const *)a;
	const Item *y = *(Item *const *)b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* (transfer full): the identity of @it, which has no id of its own: a
 * digest of its title (of its text when there is no title), its link and
 * its ev:startdate as written, and, with @issued, of when it was published
 * (pubDate, published or dc:date, not atom:updated, which each edit
 * moves). A title that is not blank may still come out empty (markup, or
 * only characters the text hygiene takes out), and then there may be no
 * text: the title as written. */
static char *
derived_uid(const Item *it, gboolean issued)
{
	gboolean cut;
	g_autofree char *title = title_of(it, &cut);
	const char *what = title[0] != '\0'   ? title
	                   : it->desc != NULL ? it->desc
	                                      : it->title_raw;
	g_autofree char *when =
	    it->start == NULL && issued && it->issued != 0
	        ? g_strdup_printf("published %" G_GINT64_FORMAT, it->issued)
	        : NULL;
	g_autofree char *name =
	    g_strjoin("\n", what, it->link != NULL ? it->link : "",
	              it->start != NULL ? it->start
	              : when != NULL    ? when
	                                : "",
	              NULL);

	return evf_uuid5(EVF_UUID_NAMESPACE, name);
}

/* Gives each item without an id of its own one (derived_uid): of its
 * title, its link and its ev:startdate; an item without an ev:startdate
 * whose title and link another item of the feed has too (a page listing
 * the place's events, a weekly "Reading group" without a link) also of
 * when it was published. Each is then an event of its own (evfeed.conf(5)),
 * and a feed whose generator dates every item with the time it made the
 * feed does not make each item a new one at each fetch, as readers that
 * know such items by their link do not (Miniflux). */
static void
derive_uids(Ctx *c)
{
	g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func(g_free);
	/* plain identity → how many items have it */
	g_autoptr(GHashTable) shared =
	    g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < c->items->len; i++) {
		Item *it = g_ptr_array_index(c->items, i);
		char *uid = NULL;

		/* (left out: import_items) */
		if (it->uid == NULL &&
		    !(is_blank(it->title_raw) && is_blank(it->desc))) {
			uid = derived_uid(it, FALSE);
			g_hash_table_insert(
			    shared, uid,
			    GUINT_TO_POINTER(
			        GPOINTER_TO_UINT(
			            g_hash_table_lookup(shared, uid)) +
			        1));
		}
		g_ptr_array_add(plain, uid);
	}
	for (guint i = 0; i < c->items->len; i++) {
		Item *it = g_ptr_array_index(c->items, i);
		char *uid = g_ptr_array_index(plain, i);

		if (uid == NULL)
			continue;
		it->uid = GPOINTER_TO_UINT(g_hash_table_lookup(shared, uid)) > 1
		              ? derived_uid(it, TRUE)
		              : g_strdup(uid);
		it->uid_derived = TRUE;
	}
}

static EvfImport *
import_items(Ctx *c)
{
	g_autoptr(EvfImport) imp = g_new0(EvfImport, 1);
	/* uid → its index in kept, + 1 */
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) kept = g_ptr_array_new();
	guint candidates;

	imp->window = TRUE;
	imp->events =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	derive_uids(c);
	for (guint i = 0; i < c->items->len; i++) {
		Item *it = g_ptr_array_index(c->items, i);

		if (is_blank(it->title_raw) && is_blank(it->desc)) {
			warn_item(c, it,
			          "item without title or description "
			          "left out");
			imp->skipped++;
			continue;
		}
		if (g_hash_table_contains(seen, it->uid)) {
			g_autofree char *q = quote(it->uid);
			guint at = GPOINTER_TO_UINT(
			               g_hash_table_lookup(seen, it->uid)) -
			           1;
			Item *first = g_ptr_array_index(kept, at);

			/* RFC 4287 §4.1.1: entries of one atom:id are one
			 * entry, the one updated last shown; an RSS guid
			 * given twice, the first (the newest, as RSS
			 * lists) */
			if (it->uid_derived) {
				warn_item(c, it,
				          "the same item given twice (its "
				          "title, link and date) left out, the "
				          "first is kept");
			} else if (c->kind == KIND_ATOM &&
			           it->updated > first->updated) {
				warn_item(c, first,
				          "duplicate id '%s': the entry "
				          "updated last is kept",
				          q);
				g_ptr_array_index(kept, at) = it;
			} else {
				warn_item(c, it,
				          "duplicate id '%s' left out, %s", q,
				          c->kind == KIND_ATOM
				              ? "the entry updated last is kept"
				              : "the first is kept");
			}
			imp->skipped++;
			continue;
		}
		g_hash_table_insert(seen, it->uid,
		                    GUINT_TO_POINTER(kept->len + 1));
		g_ptr_array_add(kept, it);
	}
	/* include= and exclude= choose before the cap, among every item */
	if (c->filter != NULL) {
		guint n = 0;

		for (guint i = 0; i < kept->len; i++) {
			Item *it = g_ptr_array_index(kept, i);

			it->ev = event_of(c, it);
			if (it->ev != NULL &&
			    !evf_import_chosen(c->filter, it->ev))
				continue;
			g_ptr_array_index(kept, n++) = it;
		}
		g_ptr_array_set_size(kept, n);
	}
	candidates = kept->len;
	if (kept->len > EVF_IMPORT_MAX_ITEMS) {
		g_ptr_array_sort(kept, cmp_newest);
		g_ptr_array_set_size(kept, EVF_IMPORT_MAX_ITEMS);
		g_ptr_array_sort(kept, cmp_document);
		warn(c, 0, "%u items, the newest %d kept", candidates,
		     EVF_IMPORT_MAX_ITEMS);
	}
	for (guint i = 0; i < kept->len; i++) {
		Item *it = g_ptr_array_index(kept, i);
		EvfEvent *ev =
		    it->ev != NULL ? g_steal_pointer(&it->ev) : event_of(c, it);

		if (ev == NULL) {
			warn_item(c, it,
			          "item without title or description "
			          "left out");
			imp->skipped++;
			continue;
		}
		g_ptr_array_add(imp->events, ev);
	}
	if (c->warnings_dropped > 0)
		g_ptr_array_add(c->warnings,
		                g_strdup_printf("and %u more warnings",
		                                c->warnings_dropped));
	imp->warnings = g_ptr_array_ref(c->warnings);
	return g_steal_pointer(&imp);
}

/* ------------------------------------------------------------ bytes */

static gboolean
starts(const char *p, const char *end, const char *s)
{
	gsize n = strlen(s);

	return (gsize)(end - p) >= n && memcmp(p, s, n) == 0;
}

static gboolean
starts_ci(const char *p, const char *end, const char *s)
{
	gsize n = strlen(s);

	return (gsize)(end - p) >= n && g_ascii_strncasecmp(p, s, n) == 0;
}

static const char *
find(const char *p, const char *end, const char *s)
{
	gsize n = strlen(s);

	for (; (gsize)(end - p) >= n; p++)
		if (memcmp(p, s, n) == 0)
			return p;
	return NULL;
}

static const char *
find_ci(const char *p, const char *end, const char *s)
{
	for (; p < end; p++)
		if (starts_ci(p, end, s))
			return p;
	return NULL;
}

static guint
line_at(const char *data, const char *p)
{
	guint line = 1;

	for (const char *q = data; q < p; q++)
		if (*q == '\n')
			line++;
	return line;
}

/* Past the XML declaration, comments, processing instructions and white
 * space: where the DOCTYPE or the root element starts, or NULL. */
static const char *
skip_prolog(const char *p, const char *end)
{
	for (;;) {
		const char *q;

		while (p < end && is_space(*p))
			p++;
		if (starts(p, end, "<?")) {
			if ((q = find(p + 2, end, "?>")) == NULL)
				return NULL;
			p = q + 2;
		} else if (starts(p, end, "<!--")) {
			if ((q = find(p + 4, end, "-->")) == NULL)
				return NULL;
			p = q + 3;
		} else {
			return p < end ? p : NULL;
		}
	}
}

/* (transfer full): the name of the root element as written, NULL when
 * it cannot be told from the first bytes. Used to sniff, and to name
 * what a document is when the parser gives up before its root. */
static char *
root_name(const char *p, const char *end)
{
	gsize n;

	p = skip_prolog(p, end);
	if (p != NULL && starts_ci(p, end, "<!DOCTYPE")) {
		char quote = 0;
		gboolean subset = FALSE;

		for (p += 9; p < end; p++) {
			const char *q;

			if (quote != 0) {
				if (*p == quote)
					quote = 0;
			} else if (subset && (starts(p, end, "<!--") ||
			                      starts(p, end, "<?"))) {
				/* (a comment's or a PI's quote is no
				 * literal's: "it's") */
				gboolean pi = p[1] == '?';

				q = find(p + 2, end, pi ? "?>" : "-->");
				if (q == NULL)
					return NULL;
				p = q + (pi ? 1 : 2);
			} else if (*p == '"' || *p == '\'') {
				quote = *p;
			} else if (*p == '[') {
				subset = TRUE;
			} else if (*p == ']') {
				subset = FALSE;
			} else if (*p == '>' && !subset) {
				break;
			}
		}
		p = p < end ? skip_prolog(p + 1, end) : NULL;
	}
	if (p == NULL || *p != '<')
		return NULL;
	p++;
	for (n = 0; p + n < end && (g_ascii_isalnum(p[n]) || p[n] == ':' ||
	                            p[n] == '-' || p[n] == '_' || p[n] == '.');
	     n++)
		;
	if (n == 0 || n > 256)
		return NULL;
	return g_strndup(p, n);
}

static const char *
local_name(const char *qname)
{
	const char *colon = strrchr(qname, ':');

	return colon != NULL ? colon + 1 : qname;
}

/* Refuses an entity declaration or an attribute list declaration in the
 * internal DTD subset. The bytes are UTF-8 or an ASCII-compatible charset
 * here (see check_encoding), in which "<!ENTITY" cannot hide. Anything
 * like one in the subset, even in a comment or a literal, is refused:
 * feeds have no use for either.
 * @past is set to the end of the DOCTYPE, or NULL if there is none. */
static gboolean
check_doctype(const char *data, gsize len, const char **past, GError **error)
{
	const char *end = data + len;
	const char *p = skip_prolog(data, end);
	const char *subset, *hit;
	char quote = 0;

	*past = NULL;
	if (p == NULL || !starts_ci(p, end, "<!DOCTYPE"))
		return TRUE;
	for (p += 9; p < end; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '>') {
			*past = p + 1; /* no internal subset */
			return TRUE;
		} else if (*p == '[') {
			break;
		}
	}
	subset = p;
	/* To "]" S* ">" outside literals, comments and processing
	 * instructions; to the end when the subset does not end. */
	for (quote = 0; p < end; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (starts(p, end, "<!--") || starts(p, end, "<?")) {
			const char *q =
			    find(p + 2, end, p[1] == '!' ? "-->" : "?>");

			if (q == NULL) {
				p = end;
				break;
			}
			p = q + 1;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == ']') {
			const char *q = p + 1;

			while (q < end && is_space(*q))
				q++;
			if (q < end && *q == '>')
				break;
		}
	}
	hit = find_ci(subset, p, "<!ENTITY");
	if (hit != NULL) {
		set_error(error,
		          "entity declarations are not allowed (line %u)",
		          line_at(data, hit));
		return FALSE;
	}
	/* nor attribute defaults, which libxml2 gives every element named
	 * (namespace declarations that check_attributes does not see: a
	 * 1 MB feed took it 20 s) */
	hit = find_ci(subset, p, "<!ATTLIST");
	if (hit != NULL) {
		set_error(error,
		          "attribute list declarations are not allowed "
		          "(line %u)",
		          line_at(data, hit));
		return FALSE;
	}
	*past = p < end ? p + 1 : end;
	return TRUE;
}

/* Past the comment, CDATA section or processing instruction that starts
 * at @p, if one does (@p itself if none does, NULL if it does not end). */
static const char *
past_markup(const char *p, const char *end)
{
	static const struct {
		const char *open, *close;
	} markup[] = {
		{ "<!--", "-->" },
		{ "<![CDATA[", "]]>" },
		{ "<?", "?>" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(markup); i++) {
		if (starts(p, end, markup[i].open)) {
			const char *q = find(p + strlen(markup[i].open), end,
			                     markup[i].close);

			return q != NULL ? q + strlen(markup[i].close) : NULL;
		}
	}
	return p;
}

/* What mend_feed() mended in a feed, for the source's warnings. */
typedef struct {
	guint entities;   /* HTML's, or unknown: "&nbsp;", "&bogus;" */
	guint ampersands; /* an '&' that begins no reference: "R&D" */
	guint bytes;      /* not UTF-8, read as Windows-1252 */
	guint controls;   /* control characters, left out */
} Mended;

/* Whether the name at @name, @n bytes, is one of XML's own entities. */
static gboolean
xml_own_entity(const char *name, gsize n)
{
	static const char *const own[] = { "amp", "lt", "gt", "quot", "apos" };

	for (gsize i = 0; i < G_N_ELEMENTS(own); i++)
		if (strlen(own[i]) == n && memcmp(name, own[i], n) == 0)
			return TRUE;
	return FALSE;
}

/* The length of the character reference at @p ("&#8211;", "&#x2013;"),
 * or 0 when there is none. */
static gsize
char_reference(const char *p, const char *end)
{
	const char *q = p + 2;
	gboolean hex = q < end && *q == 'x';

	if (end - p < 4 || p[1] != '#')
		return 0;
	q += hex;
	while (q < end && (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q)))
		q++;
	return q > p + 2 + hex && q < end && *q == ';' ? (gsize)(q + 1 - p) : 0;
}

/* (transfer full) (nullable): @data with each reference to one of HTML
 * 4's entities from @from on written as a character reference: a feed
 * with a DOCTYPE (RSS 0.91's declares them) may use them, and no DTD is
 * read; libxml2 2.9 counts each as an undeclared entity, and refuses a
 * document of more than 10,000 as "an entity reference loop".
 *
 * When @lenient (a feed without a DOCTYPE), what else libxml2 would refuse
 * and feed readers read through (feedparser, Miniflux) is mended too: an
 * unknown entity (as text), an '&' that begins no reference (as "&amp;"),
 * a control character (left out), and, when @utf8, a byte that is not
 * UTF-8 (as Windows-1252's character: a pasted "’"); the last two in CDATA
 * sections too, where WordPress and others put every description (one
 * pasted '’' there had the whole feed refused), whose references are
 * text.
 *
 * Comments, processing instructions and declarations are left as they
 * are, and so are CDATA sections but for that; the bytes are UTF-8 or an
 * ASCII-compatible charset here, and the lines stay where they were. NULL
 * when there is nothing to mend; else *@m says what was. */
static char *
mend_feed(const char *data, gsize len, const char *from, gboolean lenient,
          gboolean utf8, gsize *out_len, Mended *m)
{
	const char *end = data + len, *done = data, *p = from;
	const char *cdata = NULL; /* the end ("]]>") of the one @p is in */
	g_autoptr(GString) out = NULL;

	memset(m, 0, sizeof *m);
	while (p < end) {
		guchar b = (guchar)*p;
		const char *name, *semi;
		gunichar c;
		g_autofree char *fixed = NULL;
		gsize skip = 1;

		if (cdata != NULL && p >= cdata) {
			p = cdata + strlen("]]>");
			cdata = NULL;
			continue;
		}
		if (b == '<' && cdata == NULL) {
			const char *past = past_markup(p, end);

			if (past == NULL)
				break; /* libxml2 refuses it */
			if (lenient && starts(p, end, "<![CDATA[")) {
				cdata = past - strlen("]]>");
				past = p + strlen("<![CDATA[");
			}
			p = past != p ? past : p + 1;
			continue;
		}
		if (b == '&' && cdata == NULL) {
			if ((skip = char_reference(p, end)) > 0) {
				p += skip;
				continue;
			}
			name = semi = p + 1;
			while (semi < end && semi - name < 32 &&
			       g_ascii_isalnum(*semi))
				semi++;
			if (semi > name && semi < end && *semi == ';') {
				char word[33];

				if (xml_own_entity(name,
				                   (gsize)(semi - name))) {
					p = semi + 1;
					continue;
				}
				memcpy(word, name, (gsize)(semi - name));
				word[semi - name] = '\0';
				c = html_entity_char((const xmlChar *)word);
				if (c == 0 && !lenient) {
					p = semi + 1;
					continue;
				}
				fixed = c != 0 ? g_strdup_printf("&#x%X;", c)
				               : g_strdup("&amp;");
				skip = c != 0 ? (gsize)(semi + 1 - p) : 1;
				m->entities++;
			} else if (!lenient) {
				p++;
				continue;
			} else {
				fixed = g_strdup("&amp;");
				skip = 1;
				m->ampersands++;
			}
		} else if (lenient && b < 0x20 && b != '\t' && b != '\n' &&
		           b != '\r') {
			fixed = g_strdup("");
			m->controls++;
		} else if (lenient && b >= 0x80 && utf8) {
			c = g_utf8_get_char_validated(p, end - p);
			if (c != (gunichar)-1 && c != (gunichar)-2) {
				p = g_utf8_next_char(p);
				continue;
			}
			fixed =
			    evf_charset_to_utf8(p, 1, "windows-1252", &skip);
			if (fixed == NULL || fixed[0] == '\0') {
				g_free(fixed);
				fixed = g_strdup("\xef\xbf\xbd");
			}
			skip = 1;
			m->bytes++;
		} else {
			p++;
			continue;
		}
		if (out == NULL)
			out = g_string_sized_new(len + 64);
		g_string_append_len(out, done, p - done);
		g_string_append(out, fixed);
		done = p = p + skip;
	}
	if (out == NULL)
		return NULL;
	g_string_append_len(out, done, end - done);
	*out_len = out->len;
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* (transfer full): what @m says was mended, for the source's warnings. */
static char *
mended_text(const Mended *m)
{
	const struct {
		guint n;
		const char *what;
	} parts[] = {
		{ m->entities, "entities XML does not have (such as &nbsp;)" },
		{ m->ampersands, "'&' that begin no reference (such as R&D)" },
		{ m->bytes, "bytes that are not UTF-8, read as Windows-1252" },
		{ m->controls, "control characters, left out" },
	};
	GString *t = g_string_new("the feed is not well-formed XML, and was "
	                          "read as feed readers read it:");
	const char *sep = " ";

	for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
		if (parts[i].n == 0)
			continue;
		g_string_append_printf(t, "%s%u %s", sep, parts[i].n,
		                       parts[i].what);
		sep = ", ";
	}
	return g_string_free(t, FALSE);
}

/* Whether the attribute name at @p, in a tag, declares a namespace. */
static gboolean
declares_namespace(const char *p, const char *end)
{
	return starts(p, end, "xmlns") && p + 5 < end &&
	       (p[5] == ':' || p[5] == '=' || is_space(p[5]));
}

/* Refuses, before libxml2 reads it, an element with more than
 * MAX_ATTRIBUTES attributes, and one in whose scope more than
 * MAX_NAMESPACES namespaces are declared. libxml2 2.9 compares each
 * attribute with every other (duplicates), and 100,000 of them (1 MB) took
 * it 43 s, 200,000 over three minutes, whatever the source's timeout; and
 * it looks a prefix up through every declaration in scope, one by one:
 * 250 nested elements of 99 declarations each, then a million elements of
 * the outermost prefix (9 MiB), took it two minutes. The bytes are UTF-8
 * or an ASCII-compatible charset here; comments, CDATA sections,
 * processing instructions and declarations are skipped, an '=' outside
 * quotes in a tag is an attribute, and each start tag not closed at once
 * keeps its declarations in scope to its end tag. */
static gboolean
check_attributes(const char *data, gsize len, GError **error)
{
	const char *end = data + len;
	const char *p = data;
	/* the declarations of each open element, and their sum */
	g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(guint));
	guint in_scope = 0;

	while ((p = memchr(p, '<', (gsize)(end - p))) != NULL) {
		const char *tag = p;
		const char *past = past_markup(p, end);
		guint n = 0, ns = 0;
		char quote = 0;

		if (past == NULL)
			return TRUE; /* libxml2 refuses it */
		if (past != p) {
			p = past;
			continue;
		}
		if (starts(p, end, "<!")) {
			p += 2; /* the DOCTYPE: check_doctype */
			continue;
		}
		if (starts(p, end, "</")) {
			if (open->len > 0) {
				in_scope -=
				    g_array_index(open, guint, open->len - 1);
				g_array_set_size(open, open->len - 1);
			}
			p += 2;
			continue;
		}
		for (p++; p < end; p++) {
			if (quote != 0) {
				if (*p == quote)
					quote = 0;
			} else if (*p == '"' || *p == '\'') {
				quote = *p;
			} else if (*p == '>' || *p == '<') {
				break;
			} else if (*p == '=' && ++n > MAX_ATTRIBUTES) {
				set_error(error,
				          "an element with more than %d "
				          "attributes (line %u)",
				          MAX_ATTRIBUTES, line_at(data, tag));
				return FALSE;
			} else if (is_space(p[-1]) &&
			           declares_namespace(p, end) &&
			           in_scope + ++ns > MAX_NAMESPACES) {
				set_error(
				    error,
				    "more than %d namespace declarations "
				    "in the scope of one element (line %u)",
				    MAX_NAMESPACES, line_at(data, tag));
				return FALSE;
			}
		}
		/* (an empty-element tag's end its own) */
		if (p < end && *p == '>' && p[-1] != '/') {
			g_array_append_val(open, ns);
			in_scope += ns;
		}
	}
	return TRUE;
}

/* Charsets in which every ASCII byte is that character (so that
 * check_doctype is sound) and that iconv knows. UTF-7, UTF-16/32
 * without a byte order mark, EBCDIC and unknown names are refused. */
static gboolean
encoding_allowed(const char *name)
{
	static const char *const allowed[] = {
		"utf8",       "usascii",   "ascii",    "latin1", "latin2",
		"koi8r",      "koi8u",     "shiftjis", "sjis",   "xsjis",
		"windows31j", "cp932",     "eucjp",    "euckr",  "euccn",
		"gb2312",     "gbk",       "gb18030",  "big5",   "big5hkscs",
		"tis620",     "macintosh", "macroman",
	};
	g_autofree char *n = evf_charset_key(name);
	const char *tail;

	for (gsize i = 0; i < G_N_ELEMENTS(allowed); i++)
		if (strcmp(n, allowed[i]) == 0)
			return TRUE;
	/* iso-8859-1 … iso-8859-16 */
	if (g_str_has_prefix(n, "iso8859")) {
		tail = n + strlen("iso8859");
		return (strlen(tail) == 1 || strlen(tail) == 2) &&
		       digits(tail, (int)strlen(tail)) && atoi(tail) >= 1 &&
		       atoi(tail) <= 16;
	}
	/* windows-1250 … windows-1258 */
	if (g_str_has_prefix(n, "windows125"))
		tail = n + strlen("windows125");
	else if (g_str_has_prefix(n, "cp125"))
		tail = n + strlen("cp125");
	else
		return FALSE;
	return strlen(tail) == 1 && tail[0] >= '0' && tail[0] <= '8';
}

/* The encoding named by the XML declaration at the start of @p, if any:
 * (transfer full) in *name. FALSE when the declaration cannot be read. */
static gboolean
declared_encoding(const char *p, const char *end, char **name)
{
	const char *decl_end, *q;
	char quote;

	*name = NULL;
	if (!starts(p, end, "<?xml") || (gsize)(end - p) < 6 || !is_space(p[5]))
		return TRUE;
	decl_end = find(p, MIN(end, p + 1024), "?>");
	if (decl_end == NULL)
		return FALSE;
	q = find(p, decl_end, "encoding");
	if (q == NULL)
		return TRUE;
	for (q += 8; q < decl_end && is_space(*q); q++)
		;
	if (q >= decl_end || *q != '=')
		return FALSE;
	for (q++; q < decl_end && is_space(*q); q++)
		;
	if (q >= decl_end || (*q != '"' && *q != '\''))
		return FALSE;
	quote = *q++;
	for (const char *e = q; e < decl_end; e++)
		if (*e == quote) {
			*name = g_strndup(q, e - q);
			return TRUE;
		}
	return FALSE;
}

static gboolean
check_encoding(const char *data, gsize len, GError **error)
{
	const char *end = data + len;
	const char *p = data;
	g_autofree char *name = NULL;

	if (starts(p, end, "\xef\xbb\xbf"))
		p += 3;
	/* UTF-16 and UTF-32 without a byte order mark, and EBCDIC. */
	if ((end - p >= 2 && (p[0] == '\0' || p[1] == '\0')) ||
	    starts(p, end, "\x4c\x6f\xa7\x94")) {
		set_error(error, "unsupported encoding (neither UTF-8 nor "
		                 "ASCII-compatible, and no byte order mark)");
		return FALSE;
	}
	if (!declared_encoding(p, end, &name)) {
		set_error(error,
		          "not well-formed XML at line 1: unreadable XML "
		          "declaration");
		return FALSE;
	}
	/* After a UTF-8 byte order mark, the declaration is not read. */
	if (name != NULL && p == data && !encoding_allowed(name)) {
		g_autofree char *q = quote(name);

		set_error(error, "unsupported encoding '%s'", q);
		return FALSE;
	}
	return TRUE;
}

/* ------------------------------------------------------------ parsing */

static xmlParserInputPtr
deny_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

static void
setup_libxml(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		xmlInitParser();
		/* For every parser in the process: nothing in evfeed needs
		 * an external entity, and NONET alone lets file:// through
		 * (libxml2 2.9). */
		xmlSetExternalEntityLoader(deny_external);
		g_once_init_leave(&once, 1);
	}
}

static void
on_xml_error(void *data, XmlErrorArg e)
{
	Ctx *c = data;
	g_autofree char *msg = NULL;

	if (e == NULL || e->level < XML_ERR_ERROR)
		return;
	/* An HTML 4 entity a feed with the RSS 0.91 DOCTYPE uses: it is
	 * read as its character (resolve_entity_refs), nothing to warn of */
	if (e->level != XML_ERR_FATAL &&
	    (e->code == XML_WAR_UNDECLARED_ENTITY ||
	     e->code == XML_ERR_UNDECLARED_ENTITY) &&
	    e->str1 != NULL && html_entity((const xmlChar *)e->str1, NULL))
		return;
	if (c->err_msg != NULL && (c->err_fatal || e->level != XML_ERR_FATAL))
		return;
	msg = g_strdup(e->message != NULL ? e->message : "parse error");
	g_strdelimit(msg, "\n", '\0');
	/* libxml2's advice to lift its limits ("..., use XML_PARSE_HUGE
	 * option"), which evfeed keeps on purpose and no one can set */
	{
		char *huge = strstr(msg, "use XML_PARSE_HUGE");

		if (huge != NULL) {
			*huge = '\0';
			g_strchomp(msg);
			if (msg[0] != '\0' && msg[strlen(msg) - 1] == ',')
				msg[strlen(msg) - 1] = '\0';
		}
	}
	g_free(c->err_msg);
	c->err_msg = clean_line(msg, 200);
	if (c->err_msg == NULL)
		c->err_msg = g_strdup("parse error");
	c->err_line = e->line;
	c->err_code = e->code;
	c->err_fatal = e->level == XML_ERR_FATAL;
}

static gboolean
check_root(Ctx *c, xmlTextReader *r, xmlNode *root, GError **error)
{
	const char *ns = ns_of(root);
	const char *qname = (const char *)xmlTextReaderConstName(r);
	/* not xmlTextReaderCurrentDoc(), which keeps the reader from
	 * freeing the document */
	xmlDoc *doc = root->doc;
	g_autofree char *q = quote(qname);

	/* A second wall behind check_doctype: the subset is complete by
	 * the time the root element is read. */
	if (doc != NULL && doc->intSubset != NULL &&
	    ((doc->intSubset->entities != NULL &&
	      xmlHashSize((xmlHashTable *)doc->intSubset->entities) > 0) ||
	     (doc->intSubset->pentities != NULL &&
	      xmlHashSize((xmlHashTable *)doc->intSubset->pentities) > 0))) {
		set_error(error, "entity declarations are not allowed");
		return FALSE;
	}
	if (named(root, "rss") && ns == NULL)
		c->kind = KIND_RSS;
	else if (named(root, "RDF") && ns != NULL && strcmp(ns, NS_RDF) == 0)
		c->kind = KIND_RDF;
	else if (named(root, "feed") && ns != NULL && strcmp(ns, NS_ATOM) == 0)
		c->kind = KIND_ATOM;
	else if (ns != NULL && (named(root, "rss") || named(root, "RDF") ||
	                        named(root, "feed"))) {
		g_autofree char *qns = quote(ns);

		set_error(error,
		          "not a feed (root element <%s> in namespace "
		          "'%s')",
		          q, qns);
		return FALSE;
	} else {
		set_error(error, "not a feed (root element <%s>)", q);
		return FALSE;
	}
	return TRUE;
}

static gboolean
is_item(Ctx *c, xmlNode *n, int depth)
{
	switch (c->kind) {
	case KIND_RSS:
	case KIND_RDF:
		return (depth == 1 || depth == 2) && named(n, "item") &&
		       is_core(c, n);
	case KIND_ATOM:
		return depth == 1 && named(n, "entry") && is_core(c, n);
	}
	return FALSE;
}

static gboolean
read_document(Ctx *c, xmlTextReader *r, GError **error)
{
	int ret = xmlTextReaderRead(r);

	while (ret == 1) {
		int type = xmlTextReaderNodeType(r);
		xmlNode *node;
		int depth;

		if (type == XML_READER_TYPE_ENTITY_REFERENCE &&
		    !html_entity(xmlTextReaderConstName(r), NULL)) {
			g_autofree char *q =
			    quote((const char *)xmlTextReaderConstName(r));

			set_error(
			    error,
			    "unknown entity '&%s;' at line %d (only XML's "
			    "and HTML 4's are known: no DTD is read)",
			    q, xmlTextReaderGetParserLineNumber(r));
			return FALSE;
		}
		if (type != XML_READER_TYPE_ELEMENT) {
			if (type == XML_READER_TYPE_END_ELEMENT &&
			    xmlTextReaderDepth(r) == 0)
				c->root_closed = TRUE;
			ret = xmlTextReaderRead(r);
			continue;
		}
		node = xmlTextReaderCurrentNode(r);
		depth = xmlTextReaderDepth(r);
		if (node == NULL || depth < 0) {
			ret = -1;
			break;
		}
		if (!c->root_seen) {
			if (!check_root(c, r, node, error))
				return FALSE;
			c->root_seen = TRUE;
		}
		/* The base of each open element, for xml:base: the
		 * parent's, shared, unless it has its own. (A copy for each
		 * element cost the base's length times their number.) */
		g_ptr_array_set_size(c->bases, depth);
		{
			Base *parent =
			    depth > 0 ? g_ptr_array_index(c->bases, depth - 1)
			              : NULL;
			Base *own;

			if (parent == NULL)
				parent = c->feed_base;
			own = base_of(c, parent, node);
			g_ptr_array_add(
			    c->bases, own != NULL ? own : base_acquire(parent));
		}
		if (is_item(c, node, depth)) {
			xmlNode *item = xmlTextReaderExpand(r);

			if (item == NULL) {
				ret = -1;
				break;
			}
			if (!read_item(c, item,
			               g_ptr_array_index(c->bases, depth),
			               error))
				return FALSE;
			ret = xmlTextReaderNext(r);
			continue;
		}
		ret = xmlTextReaderRead(r);
	}
	if (ret < 0 || c->err_fatal) {
		/* libxml2's reader says "Extra content at the end of the
		 * document" of one cut short, its root never closed: a
		 * transfer that ended early, with no length to tell */
		if (c->err_code == XML_ERR_DOCUMENT_END && c->root_seen &&
		    !c->root_closed)
			set_error(error,
			          "truncated: the document ends at line %d "
			          "before its elements close (the transfer may "
			          "have been cut short)",
			          c->err_line);
		else if (c->err_msg != NULL)
			set_error(error, "not well-formed XML at line %d: %s",
			          c->err_line, c->err_msg);
		else
			set_error(error, "not well-formed XML");
		return FALSE;
	}
	if (!c->root_seen) {
		set_error(error, "not well-formed XML: no root element");
		return FALSE;
	}
	if (c->err_msg != NULL)
		warn(c, (guint)c->err_line, "%s", c->err_msg);
	return TRUE;
}

/* (transfer full) (nullable): the encoding @data declares, when it is
 * one read as Windows-1252 (evf_charset_is_windows1252) and @data has a
 * byte that is not ASCII. */
static char *
declared_windows1252(const char *data, gsize len)
{
	g_autofree char *name = NULL;

	if (!declared_encoding(data, data + len, &name) || name == NULL ||
	    !evf_charset_is_windows1252(name))
		return NULL;
	for (gsize i = 0; i < len; i++)
		if ((guchar)data[i] >= 0x80)
			return g_steal_pointer(&name);
	return NULL;
}

/* Whether @data is read as UTF-8: made so here (@encoding), or declaring
 * no encoding, or UTF-8. */
static gboolean
read_as_utf8(const char *data, gsize len, const char *encoding)
{
	g_autofree char *name = NULL;

	if (encoding != NULL)
		return g_ascii_strcasecmp(encoding, "UTF-8") == 0;
	if (!declared_encoding(data, data + len, &name))
		return FALSE;
	return name == NULL || g_ascii_strcasecmp(name, "UTF-8") == 0 ||
	       g_ascii_strcasecmp(name, "UTF8") == 0;
}

/* Whether @data (after a UTF-8 byte order mark, if any) says its own
 * encoding: with a byte order mark or in its XML declaration. */
static gboolean
says_encoding(const char *data, gsize len)
{
	g_autofree char *name = NULL;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		return TRUE;
	return !declared_encoding(data, data + len, &name) || name != NULL;
}

EvfImport *
evf_import_feed(const char *data, gsize len, const char *base_url,
                GError **error)
{
	return evf_import_feed_charset(data, len, base_url, NULL, error);
}

EvfImport *
evf_import_feed_charset(const char *data, gsize len, const char *base_url,
                        const char *charset, GError **error)
{
	return evf_import_feed_filtered(data, len, base_url, charset, NULL,
	                                error);
}

EvfImport *
evf_import_feed_filtered(const char *data, gsize len, const char *base_url,
                         const char *charset, const EvfImportFilter *filter,
                         GError **error)
{
	g_autofree char *converted = NULL;
	g_autofree char *latin = NULL;
	g_autoptr(xmlTextReader) r = NULL;
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(GPtrArray) bases = NULL;
	g_autoptr(GPtrArray) warnings = NULL;
	const char *encoding = NULL;
	const char *doctype_end = NULL;
	Mended mended_what = { 0 };
	int options = XML_PARSE_NONET | XML_PARSE_NOERROR |
	              XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	xmlStructuredErrorFunc old_handler;
	void *old_data;
	Ctx c = { .filter = filter };
	gboolean ok;

	g_return_val_if_fail(data != NULL || len == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

#if LIBXML_VERSION >= 21300
	options |= XML_PARSE_NO_XXE;
#endif
	if (len > MAX_FEED_BYTES) {
		set_error(error,
		          "feed too large (%" G_GSIZE_FORMAT
		          " bytes, at most 16 MiB)",
		          len);
		return NULL;
	}
	if (len == 0) {
		set_error(error, "not well-formed XML: empty document");
		return NULL;
	}
	/* UTF-16 with a byte order mark: to UTF-8 first, so that the
	 * checks below read the same characters as the parser. */
	if (len >= 2 && (memcmp(data, "\xfe\xff", 2) == 0 ||
	                 memcmp(data, "\xff\xfe", 2) == 0)) {
		gsize n = 0;

		if (len >= 4 && memcmp(data, "\xff\xfe\0\0", 4) == 0) {
			set_error(error, "unsupported encoding 'UTF-32'");
			return NULL;
		}
		converted = evf_charset_to_utf8(data, len, "UTF-16", &n);
		if (converted == NULL) {
			set_error(error, "not well-formed XML: invalid UTF-16");
			return NULL;
		}
		data = converted;
		len = n;
		encoding = "UTF-8";
		options |= XML_PARSE_IGNORE_ENC;
	} else if (!check_encoding(data, len, error)) {
		return NULL;
	} else if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		/* A UTF-8 byte order mark says what the bytes are, whatever
		 * the XML declaration names (XML 1.0 Appendix F, RFC 7303
		 * §3.3); libxml2 would switch to the declared encoding. */
		data += 3;
		len -= 3;
		encoding = "UTF-8";
		options |= XML_PARSE_IGNORE_ENC;
	} else if ((latin = declared_windows1252(data, len)) != NULL) {
		/* ISO-8859-1 (or US-ASCII) whose bytes 0x80-0x9F are
		 * Windows-1252's “ ” ’ – €, as feed readers and browsers
		 * read them: libxml2 would make them C1 controls. */
		gsize n = 0;

		converted = evf_charset_to_utf8(data, len, latin, &n);
		if (converted == NULL) {
			/* (every byte but the five left out has its
			 * character) */
			set_error(error, "not well-formed XML: not in the "
			                 "encoding it declares");
			return NULL;
		}
		data = converted;
		len = n;
		encoding = "UTF-8";
		options |= XML_PARSE_IGNORE_ENC;
	} else if (charset != NULL && encoding_allowed(charset) &&
	           !says_encoding(data, len) &&
	           !g_utf8_validate_len(data, len, NULL)) {
		/* The document says nothing of its encoding, and is not
		 * UTF-8, the default it would be read in: the charset of
		 * its Content-Type names it (RFC 7303 §3.2, XML 1.0 §4.3.3).
		 * A charset that does not fit the bytes changes nothing. */
		gsize n = 0;

		converted = evf_charset_to_utf8(data, len, charset, &n);
		if (converted != NULL) {
			data = converted;
			len = n;
			encoding = "UTF-8";
			options |= XML_PARSE_IGNORE_ENC;
		}
	}
	if (len > MAX_FEED_BYTES) {
		set_error(error,
		          "feed too large (%" G_GSIZE_FORMAT
		          " bytes, at most 16 MiB)",
		          len);
		return NULL;
	}
	if (!check_doctype(data, len, &doctype_end, error) ||
	    !check_attributes(data, len, error))
		return NULL;
	{
		/* (a feed with a DOCTYPE may use HTML's entities: not
		 * told) */
		gboolean lenient = doctype_end == NULL;
		Mended declared = { 0 };
		gsize n = 0;
		char *mended =
		    mend_feed(data, len, lenient ? data : doctype_end, lenient,
		              read_as_utf8(data, len, encoding), &n,
		              lenient ? &mended_what : &declared);

		if (mended != NULL) {
			g_free(converted);
			converted = mended;
			data = converted;
			len = n;
		}
		if (len > MAX_FEED_BYTES) {
			set_error(error,
			          "feed too large (%" G_GSIZE_FORMAT
			          " bytes once mended, at most 16 MiB)",
			          len);
			return NULL;
		}
	}

	setup_libxml();
	items = g_ptr_array_new_with_free_func(item_free);
	bases = g_ptr_array_new_with_free_func(base_release);
	warnings = g_ptr_array_new_with_free_func(g_free);
	c.feed_base = base_new(g_strdup(base_url), NULL);
	c.items = items;
	c.bases = bases;
	c.warnings = warnings;
	if (mended_what.entities + mended_what.ampersands + mended_what.bytes +
	        mended_what.controls >
	    0)
		g_ptr_array_add(warnings, mended_text(&mended_what));

	/* This thread's libxml2 errors come to us while we parse, and
	 * never to stderr. */
	old_handler = xmlStructuredError;
	old_data = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&c, on_xml_error);
	r = xmlReaderForMemory(data, (int)len, NULL, encoding, options);
	if (r == NULL) {
		set_error(error, "not well-formed XML: cannot start parsing");
		ok = FALSE;
	} else {
		ok = read_document(&c, r, error);
	}
	g_clear_pointer(&r, xmlFreeTextReader);
	base_release(c.feed_base);
	xmlSetStructuredErrorFunc(old_data, old_handler);
	g_free(c.err_msg);
	if (!ok && !c.root_seen) {
		/* An HTML page is seldom well-formed XML: say what it is. */
		g_autofree char *name = root_name(data, data + len);

		if (name != NULL && strcmp(local_name(name), "rss") != 0 &&
		    strcmp(local_name(name), "RDF") != 0 &&
		    strcmp(local_name(name), "feed") != 0) {
			g_autofree char *q = quote(name);

			g_clear_error(error);
			set_error(error, "not a feed (root element <%s>)", q);
		}
	}
	if (!ok)
		return NULL;
	return import_items(&c);
}

/* ------------------------------------------------------------ sniffing */

EvfFormat
evf_import_sniff(const char *data, gsize len)
{
	g_autoptr(GString) ascii = NULL;
	g_autofree char *name = NULL;
	const char *p, *end;
	gboolean bom;

	if (data == NULL)
		return EVF_FORMAT_AUTO;
	/* (the whole of it: a long comment or DTD may come before a feed's
	 * root, and the parser of its format then reads it, or says why
	 * not) */
	/* UTF-16: its ASCII characters are enough to tell. Without a byte
	 * order mark too ("B\0E\0G\0", as a Content-Type's charset may
	 * name it): the parsers say what it is, or read it so. */
	bom = len >= 2 && (memcmp(data, "\xfe\xff", 2) == 0 ||
	                   memcmp(data, "\xff\xfe", 2) == 0);
	if (bom || (len >= 4 && ((data[0] != 0 && data[1] == 0 &&
	                          data[2] != 0 && data[3] == 0) ||
	                         (data[0] == 0 && data[1] != 0 &&
	                          data[2] == 0 && data[3] != 0)))) {
		gboolean le = bom ? (guchar)data[0] == 0xff : data[1] == 0;

		ascii = g_string_new(NULL);
		for (gsize i = bom ? 2 : 0; i + 1 < len; i += 2) {
			char lo = le ? data[i] : data[i + 1];
			char hi = le ? data[i + 1] : data[i];

			if (hi == 0 && lo == 0)
				break;
			/* (another character, in a comment before the root:
			 * one that means nothing to the prolog) */
			g_string_append_c(
			    ascii, hi == 0 && (guchar)lo < 0x80 ? lo : 'x');
		}
		data = ascii->str;
		len = ascii->len;
	}
	p = data;
	end = data + len;
	if (starts(p, end, "\xef\xbb\xbf"))
		p += 3;
	while (p < end && is_space(*p))
		p++;
	if (starts_ci(p, end, "BEGIN:VCALENDAR"))
		return EVF_FORMAT_ICS;
	name = root_name(p, end);
	if (name == NULL)
		return EVF_FORMAT_AUTO;
	if (strcmp(local_name(name), "rss") == 0 ||
	    strcmp(local_name(name), "RDF") == 0)
		return EVF_FORMAT_RSS;
	if (strcmp(local_name(name), "feed") == 0)
		return EVF_FORMAT_ATOM;
	return EVF_FORMAT_AUTO;
}
