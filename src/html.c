/*
 * html.c: the HTML allowlist (see html.h). Elements whose content is never
 * text (script, style, iframe, object…) go with their content; other unknown
 * elements are unwrapped, keeping their text; comments and processing
 * instructions go. The parser never touches the network.
 */
#include "autoconf.h"
#include "html.h"

#include "autocleanups.h"
#include "util.h"
#include "xmlout.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)

static const char *const allowed_elements[] = {
	"a",    "abbr",       "b",      "blockquote", "br",      "cite",
	"code", "dd",         "del",    "div",        "dl",      "dt",
	"em",   "figcaption", "figure", "h1",         "h2",      "h3",
	"h4",   "h5",         "h6",     "hr",         "i",       "img",
	"ins",  "kbd",        "li",     "mark",       "ol",      "p",
	"pre",  "q",          "s",      "samp",       "section", "small",
	"span", "strong",     "sub",    "sup",        "table",   "tbody",
	"td",   "tfoot",      "th",     "thead",      "time",    "tr",
	"u",    "ul",         "var",
};

/* Dropped with everything inside them. */
static const char *const dropped_elements[] = {
	"script",   "style", "iframe", "object", "embed",    "applet",
	"form",     "input", "button", "select", "textarea", "noscript",
	"template", "svg",   "math",   "frame",  "frameset", "head",
	"title",    "meta",  "link",   "base",
};

/* The attributes kept, each on the elements HTML5 gives it to (NULL: on
 * every element) and only with a value HTML5 allows there (NULL: any), so
 * that the pages stay valid HTML5: a partner's <img width="100%">, <td
 * colspan="0"> or <span href="…"> would not be. URLs are checked apart. */
static const struct {
	const char *name;
	const char *elements; /* " a img " */
	const char *value;    /* a regular expression */
} allowed_attributes[] = {
	{ "title", NULL, NULL },
	{ "lang", NULL, "^([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)?$" },
	{ "href", " a ", NULL },
	{ "src", " img ", NULL },
	{ "alt", " img ", NULL },
	{ "width", " img ", "^[0-9]{1,5}$" },
	{ "height", " img ", "^[0-9]{1,5}$" },
	{ "cite", " blockquote q del ins ", NULL },
	{ "datetime", " del ins time ",
	  "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
	  "([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?"
	  "(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?$" },
	{ "colspan", " td th ", "^[1-9][0-9]{0,2}$" },
	{ "rowspan", " td th ", "^[0-9]{1,4}$" },
	/* what GFM tables carry, obsolete in HTML5: made the style that
	 * says the same (clean_attributes), which feed readers and Outlook
	 * apply too; no other style */
	{ "align", " td th ", "(?i)^(left|center|right)$" },
	{ "style", " td th ", "^text-align: (left|center|right)$" },
	{ "start", " ol ", "^-?[0-9]{1,9}$" },
};

/* Whether @name is one of @names (" a img "), without allocating: this
 * runs for every element of every description. */
static gboolean
in_names(const char *name, const char *names)
{
	gsize n = strlen(name);

	for (const char *p = strstr(names, name); p != NULL && n > 0;
	     p = strstr(p + 1, name))
		if (p > names && p[-1] == ' ' && p[n] == ' ')
			return TRUE;
	return FALSE;
}

/* Whether @value, of the form allowed_attributes gives a datetime, is one
 * HTML5 takes on @element: a day of the calendar (not 30 February), and
 * on del and ins, a time only with its zone (a global date and time). */
static gboolean
datetime_valid(const char *element, const char *value)
{
	int y = 0, m = 0, d = 0;

	if (value == NULL || sscanf(value, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return FALSE;
	return strcmp(element, "time") == 0 || strlen(value) == 10 ||
	       value[strlen(value) - 1] == 'Z' ||
	       strpbrk(value + 11, "+-") != NULL;
}

/* Whether the attribute @name="@value" may stay on @element. */
static gboolean
attribute_allowed(const char *element, const char *name, const char *value)
{
	static GRegex *compiled[G_N_ELEMENTS(allowed_attributes)];

	for (gsize i = 0; i < G_N_ELEMENTS(allowed_attributes); i++) {
		if (g_ascii_strcasecmp(name, allowed_attributes[i].name) != 0)
			continue;
		if (allowed_attributes[i].elements != NULL &&
		    !in_names(element, allowed_attributes[i].elements))
			return FALSE;
		if (allowed_attributes[i].value != NULL &&
		    !g_regex_match(
		        evf_regex_once(&compiled[i],
		                       allowed_attributes[i].value, 0),
		        value != NULL ? (const char *)value : "", 0, NULL))
			return FALSE;
		return g_ascii_strcasecmp(name, "datetime") != 0 ||
		       datetime_valid(element, value);
	}
	return FALSE;
}

static gboolean
in_list(const char *name, const char *const *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_ascii_strcasecmp(name, list[i]) == 0)
			return TRUE;
	return FALSE;
}

char *
evf_uri_lower_host(const char *uri)
{
	g_autoptr(GUri) u = NULL;
	g_autofree char *host = NULL;
	const char *h;

	g_return_val_if_fail(uri != NULL, NULL);
	u = g_uri_parse(uri, G_URI_FLAGS_ENCODED, NULL);
	if (u == NULL || (h = g_uri_get_host(u)) == NULL)
		return g_strdup(uri);
	host = g_ascii_strdown(h, -1);
	if (strcmp(host, h) == 0)
		return g_strdup(uri);
	return g_uri_join(G_URI_FLAGS_ENCODED, g_uri_get_scheme(u),
	                  g_uri_get_userinfo(u), host, g_uri_get_port(u),
	                  g_uri_get_path(u), g_uri_get_query(u),
	                  g_uri_get_fragment(u));
}

/* Whether @host (nullable) is a host name of labels, none empty, of
 * letters, digits, '-', '_' (RFC 3986 allows it in a name, and browsers
 * and the W3C validator take it, as the url: key does) and characters
 * past ASCII (a name in its own script), or an IPv4 address (all digits:
 * one GLib reads as one, of four numbers up to 255). */
static gboolean
host_valid(const char *host)
{
	g_auto(GStrv) labels = NULL;
	gboolean numeric = TRUE;
	guint n;

	if (host == NULL || host[0] == '\0')
		return FALSE;
	labels = g_strsplit(host, ".", -1);
	n = g_strv_length(labels);
	/* (a final '.' is the root's: an empty last label) */
	if (n > 1 && labels[n - 1][0] == '\0')
		n--;
	for (guint i = 0; i < n; i++) {
		const char *l = labels[i];

		if (l[0] == '\0')
			return FALSE;
		for (const char *p = l; *p != '\0'; p++)
			if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' &&
			    (guchar)*p < 0x80)
				return FALSE;
		if (l[strspn(l, "0123456789")] != '\0')
			numeric = FALSE;
	}
	return !numeric || g_hostname_is_ip_address(host);
}

char *
evf_html_safe_url_parsed(const char *url, GUri *base)
{
	g_autofree char *trimmed = g_strstrip(g_strdup(url));
	g_autofree char *abs = NULL;
	g_autoptr(GUri) uri = NULL;
	const char *scheme;
	const char *host;
	char *to = trimmed;

	/* A tab or line break anywhere in it is dropped, as browsers drop
	 * it (the URL Standard): 'java&#9;script:' is 'javascript:', not a
	 * relative path to resolve. */
	for (const char *p = trimmed; *p != '\0'; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			*to++ = *p;
	*to = '\0';
	/* An empty link, or one to a fragment of this text: its target
	 * would not exist on the page a reader ends up on. */
	if (trimmed[0] == '\0' || trimmed[0] == '#')
		return NULL;
	uri = evf_uri_resolve_parsed(base, trimmed);
	if (uri == NULL)
		return NULL;
	scheme = g_uri_get_scheme(uri);
	if (g_ascii_strcasecmp(scheme, "http") != 0 &&
	    g_ascii_strcasecmp(scheme, "https") != 0 &&
	    g_ascii_strcasecmp(scheme, "mailto") != 0)
		return NULL;
	/* An http or https link needs a host: 'http:x' (absolute by RFC
	 * 3986, with no '//'), '///x' and '//' resolve to none, or to an
	 * empty one, which no reader can follow. */
	if (g_ascii_strcasecmp(scheme, "mailto") != 0 &&
	    (g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0'))
		return NULL;
	/* nor one to an IPv6 host: feed validators read links by RFC 2396,
	 * which has no brackets, and the feed would be invalid */
	if (g_uri_get_host(uri) != NULL && strchr(g_uri_get_host(uri), ':'))
		return NULL;
	/* nor one to a host no browser reads (an empty label, a character
	 * no name has, an IPv4 address out of range) */
	if (g_ascii_strcasecmp(scheme, "mailto") != 0 &&
	    !host_valid(g_uri_get_host(uri)))
		return NULL;
	/* A user name or password is not published (the Nu HTML Checker
	 * calls one in a link an error), and a second '#' is the
	 * fragment's character. */
	if (g_uri_get_userinfo(uri) != NULL ||
	    (g_uri_get_fragment(uri) != NULL &&
	     strchr(g_uri_get_fragment(uri), '#') != NULL)) {
		const char *frag = g_uri_get_fragment(uri);
		GString *f = frag != NULL ? g_string_new(frag) : NULL;
		g_autofree char *escaped_frag = NULL;
		GUri *plain;

		if (f != NULL) {
			g_string_replace(f, "#", "%23", 0);
			escaped_frag = g_string_free(f, FALSE);
		}
		plain = g_uri_build(g_uri_get_flags(uri), scheme, NULL,
		                    g_uri_get_host(uri), g_uri_get_port(uri),
		                    g_uri_get_path(uri), g_uri_get_query(uri),
		                    escaped_frag);

		g_uri_unref(uri);
		uri = plain;
	}
	abs = g_uri_to_string(uri);
	/* Every link with its host in lower case: one page, one spelling */
	host = g_uri_get_host(uri);
	if (host != NULL &&
	    host[strcspn(host, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")] != '\0') {
		char *lower = evf_uri_lower_host(abs);

		g_free(abs);
		abs = lower;
	}
	/* No raw white space, quotes or angle brackets in a URL that goes
	 * into markup or text: percent-encoded, as cmark-gfm writes them
	 * and as browsers send them. */
	if (strpbrk(abs, " \t\r\n\"<>") != NULL) {
		char *escaped = g_uri_escape_string(
		    abs, ":/?#[]@!$&'()*+,;=%{}|\\^`", TRUE);

		g_free(abs);
		abs = escaped;
	}
	return g_steal_pointer(&abs);
}

char *
evf_html_safe_url(const char *url, const char *base_url)
{
	g_autoptr(GUri) base = NULL;

	if (base_url != NULL &&
	    (base = g_uri_parse(base_url, G_URI_FLAGS_ENCODED, NULL)) == NULL)
		return NULL;
	return evf_html_safe_url_parsed(url, base);
}

/* The base of the links of one text, parsed once for all of them. */
typedef struct {
	GUri *uri;      /* nullable: links must then be absolute */
	gboolean valid; /* FALSE: a base was given and does not parse, so no
	                   link resolves */
} Base;

static void clean_children(xmlNode *parent, const Base *base);

static void
clean_attributes(xmlNode *node, const Base *base)
{
	xmlAttr *attr = node->properties;
	g_autofree char *align = NULL;

	while (attr != NULL) {
		xmlAttr *next = attr->next;
		const char *name = (const char *)attr->name;
		g_autofree xmlChar *value = xmlNodeGetContent((xmlNode *)attr);

		if (!attribute_allowed((const char *)node->name, name,
		                       (const char *)value)) {
			xmlRemoveProp(attr);
		} else if (strcmp(name, "align") == 0) {
			g_free(align);
			align = g_ascii_strdown((const char *)value, -1);
			xmlRemoveProp(attr);
		} else if (strcmp(name, "href") == 0 ||
		           strcmp(name, "src") == 0 ||
		           strcmp(name, "cite") == 0) {
			g_autofree xmlChar *v =
			    xmlNodeGetContent((xmlNode *)attr);
			g_autofree char *safe =
			    v != NULL && base->valid
			        ? evf_html_safe_url_parsed((const char *)v,
			                                   base->uri)
			        : NULL;

			if (safe == NULL)
				xmlRemoveProp(attr);
			else
				xmlSetProp(node, attr->name,
				           (const xmlChar *)safe);
		}
		attr = next;
	}
	/* (once every attribute is checked: a style the element had is
	 * gone, or is this one) */
	if (align != NULL) {
		g_autofree char *style =
		    g_strconcat("text-align: ", align, NULL);

		xmlSetProp(node, (const xmlChar *)"style",
		           (const xmlChar *)style);
	}
}

/* Replaces @node by its children. */
static void
unwrap(xmlNode *node)
{
	xmlNode *child = node->children;

	while (child != NULL) {
		xmlNode *next = child->next;

		xmlUnlinkNode(child);
		xmlAddPrevSibling(node, child);
		child = next;
	}
	xmlUnlinkNode(node);
	xmlFreeNode(node);
}

/* A footnote's "back to the text" link: without the anchors it jumps to
 * (ids do not survive), it is noise. */
static gboolean
is_backref(xmlNode *node)
{
	g_autofree xmlChar *cls = xmlGetProp(node, (const xmlChar *)"class");

	return strcmp((const char *)node->name, "a") == 0 && cls != NULL &&
	       strstr((const char *)cls, "footnote-backref") != NULL;
}

int
evf_heading_rank(unsigned used, int level)
{
	int rank = 4;

	for (int l = 1; l < level; l++)
		if (used & (1u << l))
			rank++;
	return MIN(rank, 6);
}

/* The level of the heading @node (1 to 6), 0 when it is none. */
static int
heading_level(const xmlNode *node)
{
	const char *name = (const char *)node->name;

	if (node->type != XML_ELEMENT_NODE || name[0] != 'h' || name[1] < '1' ||
	    name[1] > '6' || name[2] != '\0')
		return 0;
	return name[1] - '0';
}

static void
heading_levels(const xmlNode *node, unsigned *used)
{
	for (const xmlNode *c = node->children; c != NULL; c = c->next) {
		int level = heading_level(c);

		if (level > 0)
			*used |= 1u << level;
		heading_levels(c, used);
	}
}

static void
set_heading_levels(xmlNode *node, unsigned used)
{
	for (xmlNode *c = node->children; c != NULL; c = c->next) {
		int level = heading_level(c);

		if (level > 0) {
			char name[3] = { 'h',
				         (char)('0' +
				                evf_heading_rank(used, level)),
				         '\0' };

			xmlNodeSetName(c, (const xmlChar *)name);
		}
		set_heading_levels(c, used);
	}
}

/* The headings of @body go below the event's heading on a page (h3, under
 * the month's h2, under the page's h1), as Markdown's do (markdown.c:
 * tidy): evf_heading_rank. The same text may pass here twice (a partner's
 * HTML, then the description made of it): what comes out is already h4
 * and down without a gap, and stays so. */
static void
rank_headings(xmlNode *body)
{
	unsigned used = 0;

	heading_levels(body, &used);
	if (used != 0)
		set_heading_levels(body, used);
}

static void
clean_children(xmlNode *parent, const Base *base)
{
	xmlNode *node = parent->children;

	while (node != NULL) {
		xmlNode *next = node->next;
		const char *name = (const char *)node->name;

		switch (node->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			break;
		case XML_ELEMENT_NODE:
			if (in_list(name, dropped_elements,
			            G_N_ELEMENTS(dropped_elements))) {
				xmlUnlinkNode(node);
				xmlFreeNode(node);
				break;
			}
			if (is_backref(node)) {
				xmlUnlinkNode(node);
				xmlFreeNode(node);
				break;
			}
			clean_children(node, base);
			if (!in_list(name, allowed_elements,
			             G_N_ELEMENTS(allowed_elements))) {
				unwrap(node);
				break;
			}
			clean_attributes(node, base);
			/* A link left without a target is just its text;
			 * so is a time without a machine-readable one, whose
			 * text HTML5 would then want to be one. */
			if ((strcmp(name, "a") == 0 &&
			     xmlHasProp(node, (const xmlChar *)"href") ==
			         NULL) ||
			    (strcmp(name, "time") == 0 &&
			     xmlHasProp(node, (const xmlChar *)"datetime") ==
			         NULL)) {
				unwrap(node);
				break;
			}
			if (strcmp(name, "img") == 0 &&
			    xmlHasProp(node, (const xmlChar *)"src") == NULL) {
				/* an image whose address is refused (data:,
				 * javascript:): what it shows, in words */
				xmlChar *alt =
				    xmlGetProp(node, (const xmlChar *)"alt");

				if (alt != NULL && alt[0] != '\0')
					xmlAddPrevSibling(
					    node,
					    xmlNewDocText(node->doc, alt));
				xmlFree(alt);
				xmlUnlinkNode(node);
				xmlFreeNode(node);
			} else if (strcmp(name, "img") == 0 &&
			           xmlHasProp(node, (const xmlChar *)"alt") ==
			               NULL) {
				/* Nothing known to say: a screen reader
				 * then skips it rather than read its
				 * address. */
				xmlSetProp(node, (const xmlChar *)"alt",
				           (const xmlChar *)"");
			}
			break;
		default:
			xmlUnlinkNode(node);
			xmlFreeNode(node);
			break;
		}
		node = next;
	}
}

static gboolean
is_element(const xmlNode *node, const char *names)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	       in_names((const char *)node->name, names);
}

/* Whether @node is text of white space alone. */
static gboolean
is_blank(const xmlNode *node)
{
	const char *t = (const char *)node->content;

	return node->type == XML_TEXT_NODE && t[strspn(t, " \t\n\r\f")] == '\0';
}

/* Moves @node from inside a table to just before it, where HTML5 parsers
 * put it ("foster parenting"). @parent must be in a table. */
static void
foster(xmlNode *node, xmlNode *parent)
{
	xmlNode *table = parent;

	while (!is_element(table, " table "))
		table = table->parent;
	xmlUnlinkNode(node);
	xmlAddPrevSibling(table, node);
}

/* Gives tables the structure HTML5 parsers expect, as libxml2's HTML 4
 * parser leaves what a partner wrote: a cell is in a row (a row is made for
 * cells right in a table or its body), rows and bodies are in a table, and
 * what else stands between them goes before the table. The W3C Feed
 * Validation Service parses feed HTML with html5lib in strict mode and
 * calls "<table><td>" or a stray "<td>" invalid HTML (NotHtml). */
static void
fix_tables(xmlNode *parent)
{
	gboolean section = is_element(parent, " table thead tbody tfoot "),
	         row = is_element(parent, " tr ");
	xmlNode *node = parent->children;

	while (node != NULL) {
		xmlNode *next = node->next;

		if (section || row) {
			if (node->type == XML_TEXT_NODE) {
				if (!is_blank(node))
					foster(node, parent);
				node = next;
				continue;
			}
			if (row ? !is_element(node, " td th ")
			        : !is_element(node, " tr td th ") &&
			              !(is_element(node,
			                           " thead tbody tfoot ") &&
			                is_element(parent, " table "))) {
				/* A row or body in a row or body (an unknown
				 * element between them was unwrapped) goes
				 * as a stray one does, its content staying:
				 * fostered before the table, it would be a
				 * row or body with no table around it. */
				if (is_element(node,
				               " tr thead tbody tfoot ")) {
					next = node->children != NULL
					           ? node->children
					           : node->next;
					unwrap(node);
					node = next;
					continue;
				}
				foster(node, parent);
				fix_tables(node);
				node = next;
				continue;
			}
			if (section && is_element(node, " td th ")) {
				xmlNode *tr =
				    xmlNewDocNode(node->doc, NULL,
				                  (const xmlChar *)"tr", NULL);

				xmlAddPrevSibling(node, tr);
				while (is_element(node, " td th ")) {
					next = node->next;
					xmlUnlinkNode(node);
					xmlAddChild(tr, node);
					node = next;
				}
				fix_tables(tr);
				continue;
			}
		} else if (is_element(node, " td th tr thead tbody tfoot ")) {
			/* out of place: its content stays where it is, a
			 * cell's apart from the next one's */
			if (is_element(node, " td th "))
				xmlAddNextSibling(
				    node, xmlNewDocText(node->doc,
				                        (const xmlChar *)" "));
			next = node->children != NULL ? node->children
			                              : node->next;
			unwrap(node);
			node = next;
			continue;
		}
		if (node->type == XML_ELEMENT_NODE)
			fix_tables(node);
		node = next;
	}
}

/* The table model of HTML5 (§4.9.12, "forming a table"), for what the Nu
 * HTML Checker calls errors in a partner's table: a cell that spans past
 * its row group, a row on which no cell begins, a column in which none
 * does; and a row narrower than the table, which it warns of. A table of
 * more columns than HTML5 lets a cell span, or of more slots than
 * TABLE_SLOTS, is left as it is: each pass costs rows times columns. */
#define TABLE_COLUMNS 1000
#define TABLE_SLOTS   (1 << 22)

typedef struct {
	xmlNode *node;
	guint row; /* of the table, counting every group's */
	guint col; /* its first */
	guint colspan, rowspan;
} Cell;

typedef struct {
	GArray *cells;   /* Cell, in the order of their rows */
	GPtrArray *rows; /* the rows of all groups, in order */
	GArray *ends;    /* guint: for each row, where its group ends */
	guint width;
} Shape;

static void
shape_clear(Shape *shape)
{
	g_clear_pointer(&shape->cells, g_array_unref);
	g_clear_pointer(&shape->rows, g_ptr_array_unref);
	g_clear_pointer(&shape->ends, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Shape, shape_clear)

static guint
span_of(xmlNode *cell, const char *name)
{
	g_autofree xmlChar *v = xmlGetProp(cell, (const xmlChar *)name);

	/* (the allowlist kept digits alone, at most four) */
	return v != NULL ? (guint)g_ascii_strtoull((const char *)v, NULL, 10)
	                 : 1;
}

static void
set_span(xmlNode *cell, const char *name, guint n)
{
	char s[16];

	if (n == 1) {
		xmlUnsetProp(cell, (const xmlChar *)name);
		return;
	}
	g_snprintf(s, sizeof s, "%u", n);
	xmlSetProp(cell, (const xmlChar *)name, (const xmlChar *)s);
}

/* Adds the rows from @node on that are one row group: a thead, tbody or
 * tfoot's, or those that stand right in the table up to the next of
 * those. Returns the table's child after the group. */
static xmlNode *
add_group(Shape *shape, xmlNode *node)
{
	gboolean run = is_element(node, " tr ");
	xmlNode *tr = run ? node : node->children;
	guint first = shape->rows->len;

	for (; tr != NULL && !(run && is_element(tr, " thead tbody tfoot "));
	     tr = tr->next)
		if (is_element(tr, " tr "))
			g_ptr_array_add(shape->rows, tr);
	g_array_set_size(shape->ends, shape->rows->len);
	for (guint i = first; i < shape->rows->len; i++)
		g_array_index(shape->ends, guint, i) = shape->rows->len;
	return run ? tr : node->next;
}

/* Places each cell of @table as HTML5 does: in the first column of its
 * row that no cell of a row above covers. A rowspan of 0, or one past the
 * end of its group, ends with the group. With @pad, each row is given a
 * cell for each column up to @pad that no cell covers on it.
 * FALSE for a table too large to look at. */
static gboolean
place_cells(xmlNode *table, Shape *shape, guint pad)
{
	g_autoptr(GArray) cover = g_array_new(FALSE, TRUE, sizeof(guint));

	shape->cells = g_array_new(FALSE, FALSE, sizeof(Cell));
	shape->rows = g_ptr_array_new();
	shape->ends = g_array_new(FALSE, FALSE, sizeof(guint));
	shape->width = 0;
	for (xmlNode *n = table->children; n != NULL;)
		n = is_element(n, " tr thead tbody tfoot ")
		        ? add_group(shape, n)
		        : n->next;
	for (guint i = 0; i < shape->rows->len; i++) {
		xmlNode *tr = g_ptr_array_index(shape->rows, i);
		guint end = g_array_index(shape->ends, guint, i), x = 0;

		if (i == 0 || g_array_index(shape->ends, guint, i - 1) == i)
			g_array_set_size(cover, 0); /* a new group */
		for (xmlNode *td = tr->children; td != NULL; td = td->next) {
			Cell c = { td, i, 0, span_of(td, "colspan"),
				   span_of(td, "rowspan") };

			if (!is_element(td, " td th "))
				continue;
			while (x < cover->len &&
			       g_array_index(cover, guint, x) > i)
				x++;
			c.col = x;
			if (c.rowspan == 0 || c.rowspan > end - i)
				c.rowspan = end - i;
			if (x + c.colspan > TABLE_COLUMNS)
				return FALSE;
			/* not over a cell from a row above */
			for (guint k = x + 1; k < x + c.colspan; k++) {
				if (k < cover->len &&
				    g_array_index(cover, guint, k) > i) {
					c.colspan = k - x;
					break;
				}
			}
			if (cover->len < x + c.colspan)
				g_array_set_size(cover, x + c.colspan);
			for (guint k = x; k < x + c.colspan; k++)
				g_array_index(cover, guint, k) = i + c.rowspan;
			x += c.colspan;
			g_array_append_val(shape->cells, c);
		}
		/* one cell for each column: the Nu HTML Checker miscounts
		 * a table's columns after a cell that spans several of
		 * them where a narrower row ended */
		for (guint x0 = 0; x0 < pad; x0++)
			if (x0 >= cover->len ||
			    g_array_index(cover, guint, x0) <= i)
				xmlAddChild(tr,
				            xmlNewDocNode(tr->doc, NULL,
				                          (const xmlChar *)"td",
				                          NULL));
		shape->width = MAX(shape->width, cover->len);
		if ((guint64)shape->width * shape->rows->len > TABLE_SLOTS)
			return FALSE;
	}
	return TRUE;
}

/* Removes the rows on which no cell begins; a cell that spanned one spans
 * a row less. Writes each cell's spans, clipped to its group and to the
 * cells from rows above. */
static void
drop_empty_rows(const Shape *shape)
{
	guint n = shape->rows->len;
	g_autofree guint *begins = g_new0(guint, n);
	g_autofree guint *dropped_before = g_new0(guint, n + 1);

	for (guint c = 0; c < shape->cells->len; c++)
		begins[g_array_index(shape->cells, Cell, c).row]++;
	for (guint i = 0; i < n; i++)
		dropped_before[i + 1] = dropped_before[i] + (begins[i] == 0);
	for (guint c = 0; c < shape->cells->len; c++) {
		const Cell *cell = &g_array_index(shape->cells, Cell, c);
		guint end = cell->row + cell->rowspan;

		set_span(cell->node, "colspan", cell->colspan);
		set_span(cell->node, "rowspan",
		         cell->rowspan -
		             (dropped_before[end] - dropped_before[cell->row]));
	}
	for (guint i = 0; i < n; i++) {
		if (begins[i] == 0) {
			xmlNode *tr = g_ptr_array_index(shape->rows, i);

			xmlUnlinkNode(tr);
			xmlFreeNode(tr);
		}
	}
}

/* Narrows each cell that spans a column in which no cell begins, so that
 * the column goes. Returns the columns left. */
static guint
drop_empty_columns(const Shape *shape)
{
	g_autofree guint *empty_before = g_new0(guint, shape->width + 1);
	g_autofree gboolean *begins = g_new0(gboolean, shape->width);

	for (guint c = 0; c < shape->cells->len; c++)
		begins[g_array_index(shape->cells, Cell, c).col] = TRUE;
	for (guint x = 0; x < shape->width; x++)
		empty_before[x + 1] = empty_before[x] + !begins[x];
	for (guint c = 0; c < shape->cells->len; c++) {
		const Cell *cell = &g_array_index(shape->cells, Cell, c);
		guint end = cell->col + cell->colspan;

		set_span(cell->node, "colspan",
		         cell->colspan -
		             (empty_before[end] - empty_before[cell->col]));
	}
	return shape->width - empty_before[shape->width];
}

/* Removes the rows of @table (or of its row group) that hold no cell. */
static void
drop_cellless_rows(xmlNode *table)
{
	xmlNode *n = table->children;

	while (n != NULL) {
		xmlNode *next = n->next;
		gboolean cells = FALSE;

		if (is_element(n, " thead tbody tfoot ")) {
			drop_cellless_rows(n);
		} else if (is_element(n, " tr ")) {
			for (xmlNode *c = n->children; c != NULL && !cells;
			     c = c->next)
				cells = is_element(c, " td th ");
			if (!cells) {
				xmlUnlinkNode(n);
				xmlFreeNode(n);
			}
		}
		n = next;
	}
}

/* A table's groups in the order HTML5 allows: one thead, before any body
 * or row; one tfoot, after them all. Any other is a tbody. */
static void
order_groups(xmlNode *table)
{
	gboolean body = FALSE;
	xmlNode *last = NULL;

	for (xmlNode *n = table->children; n != NULL; n = n->next)
		if (is_element(n, " tr thead tbody tfoot "))
			last = n;
	for (xmlNode *n = table->children; n != NULL; n = n->next) {
		if ((is_element(n, " thead ") && body) ||
		    (is_element(n, " tfoot ") && n != last))
			xmlNodeSetName(n, (const xmlChar *)"tbody");
		if (is_element(n, " tr thead tbody tfoot "))
			body = TRUE;
	}
}

/* Gives every table under @parent a shape HTML5 calls valid (above). */
static void
fix_table_shapes(xmlNode *parent)
{
	for (xmlNode *node = parent->children; node != NULL;
	     node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		fix_table_shapes(node);
		if (is_element(node, " table ")) {
			g_auto(Shape) rows = { 0 };
			g_auto(Shape) columns = { 0 };
			g_auto(Shape) padded = { 0 };
			guint width;

			order_groups(node);
			if (!place_cells(node, &rows, 0)) {
				/* too large to look at: at least no row
				 * without cells (none begins on it) */
				drop_cellless_rows(node);
				continue;
			}
			drop_empty_rows(&rows);
			if (!place_cells(node, &columns, 0))
				continue;
			width = drop_empty_columns(&columns);
			place_cells(node, &padded, width);
		}
	}
}

/* The elements that end an open paragraph where they start, in HTML5
 * (of those the allowlist keeps). */
#define CLOSES_P                                                              \
	" blockquote dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li " \
	"ol p pre section table ul "

/* Elements that an open li, dt or dd may be in, between it and another
 * one, for HTML5 to take the second for the end of the first. */
#define PHRASING                                                         \
	" a abbr b cite code del em i ins kbd mark q s samp small span " \
	"strong sub sup time u var p div "

/* Whether @node holds an element of @names (at any depth). */
static gboolean
holds_any(const xmlNode *node, const char *names)
{
	for (const xmlNode *c = node->children; c != NULL; c = c->next)
		if (is_element(c, names) ||
		    (c->type == XML_ELEMENT_NODE && holds_any(c, names)))
			return TRUE;
	return FALSE;
}

/* Whether an li, dt or dd @node is inside another of @names through
 * phrasing elements only. */
static gboolean
inside_item(const xmlNode *node, const char *names)
{
	for (const xmlNode *a = node->parent; a != NULL; a = a->parent) {
		if (is_element(a, names))
			return TRUE;
		if (!is_element(a, PHRASING))
			return FALSE;
	}
	return FALSE;
}

/* Whether @node is inside a link (at any depth): libxml2 ends a link at
 * another only where it is the first's child. */
static gboolean
within_link(const xmlNode *node)
{
	for (const xmlNode *a = node->parent; a != NULL; a = a->parent)
		if (is_element(a, " a "))
			return TRUE;
	return FALSE;
}

/* Undoes the nesting that an HTML5 parser would not build: libxml2's HTML 4
 * parser keeps a <section>, <figure> or a <div> in an inline element in a
 * paragraph, a heading in a heading, a list item in a list item of the
 * same list, a link in a link. An HTML5 parser ends the outer element where
 * the inner one starts, and then meets an end tag it calls a parse error
 * (the W3C Feed Validation Service: NotHtml). The outer paragraph, the
 * inner heading, item or link is unwrapped to its content; an empty item
 * goes. */
static void
fix_nesting(xmlNode *parent)
{
	xmlNode *node = parent->children;

	while (node != NULL) {
		xmlNode *next = node->next;

		if (node->type != XML_ELEMENT_NODE) {
			node = next;
			continue;
		}
		fix_nesting(node);
		/* libxml2 writes an empty one without its end tag, which
		 * leaves it open over what follows. */
		if (is_element(node, " li dt dd ") && node->children == NULL) {
			xmlUnlinkNode(node);
			xmlFreeNode(node);
			node = next;
			continue;
		}
		if ((is_element(node, " a ") && within_link(node)) ||
		    (is_element(node, " p ") && holds_any(node, CLOSES_P)) ||
		    (is_element(node, " h1 h2 h3 h4 h5 h6 ") &&
		     is_element(parent, " h1 h2 h3 h4 h5 h6 ")) ||
		    (is_element(node, " li ") && inside_item(node, " li ")) ||
		    (is_element(node, " dt dd ") &&
		     inside_item(node, " dt dd ")))
			unwrap(node);
		node = next;
	}
}

/* Elements whose content HTML5 allows to be phrasing content alone (of
 * those the allowlist keeps): a block in one is not valid HTML, though
 * parsers keep it. (a, del and ins take their parent's content model.) */
#define PHRASING_ONLY                                                     \
	" abbr b cite code em i kbd mark q s samp small span strong sub " \
	"sup time u var "

/* What a pre or a heading may not hold, in HTML5: the blocks, and the
 * parts of a table. */
#define NOT_PHRASING CLOSES_P "tbody thead tfoot tr td th "

/* Whether @node is text that ends in white space. */
static gboolean
ends_blank(const xmlNode *node)
{
	const char *t = (const char *)node->content;

	return node->type == XML_TEXT_NODE && t != NULL && t[0] != '\0' &&
	       g_ascii_isspace(t[strlen(t) - 1]);
}

/* Unwraps every element of @names in @node, with @sep around it, so that
 * its text stays apart from what is before and after it. */
static void
unwrap_all(xmlNode *node, const char *names, const char *sep)
{
	xmlNode *c = node->children;

	while (c != NULL) {
		xmlNode *next = c->next;

		if (c->type == XML_ELEMENT_NODE) {
			unwrap_all(c, names, sep);
			if (is_element(c, names)) {
				/* (a block begins and ends a line) */
				if (c->prev != NULL && !ends_blank(c->prev))
					xmlAddPrevSibling(
					    c,
					    xmlNewDocText(
					        c->doc, (const xmlChar *)sep));
				if (c->next != NULL)
					xmlAddNextSibling(
					    c,
					    xmlNewDocText(
					        c->doc, (const xmlChar *)sep));
				unwrap(c);
			}
		}
		c = next;
	}
}

/* Puts @node, and the siblings after it that are of @names or blank, in
 * a new element @name, where @node stood. Returns the new element. */
static xmlNode *
wrap_run(xmlNode *node, const char *name, const char *names)
{
	xmlNode *box =
	    xmlNewDocNode(node->doc, NULL, (const xmlChar *)name, NULL);

	xmlAddPrevSibling(node, box);
	while (node != NULL && (is_element(node, names) || is_blank(node))) {
		xmlNode *next = node->next;

		xmlUnlinkNode(node);
		xmlAddChild(box, node);
		node = next;
	}
	return box;
}

/* Whether @node shows nothing: no text but white space, no image (an
 * <h3><br></h3>). */
static gboolean
shows_nothing(const xmlNode *node)
{
	g_autofree xmlChar *text = NULL;

	if (holds_any(node, " img "))
		return FALSE;
	text = xmlNodeGetContent(node);
	return text == NULL ||
	       ((const char *)text)[strspn((const char *)text, " \t\n\r\f")] ==
	           '\0';
}

/* Puts what the list @list holds that is no item of @items into the item
 * before it, or into a new @item_name. */
static void
gather_items(xmlNode *list, const char *items, const char *item_name)
{
	xmlNode *node = list->children;

	while (node != NULL) {
		xmlNode *next = node->next;
		xmlNode *item = node->prev;

		if (is_blank(node) || is_element(node, items)) {
			node = next;
			continue;
		}
		while (item != NULL && is_blank(item))
			item = item->prev;
		if (!is_element(item, " li dt dd ")) {
			item = xmlNewDocNode(node->doc, NULL,
			                     (const xmlChar *)item_name, NULL);
			xmlAddPrevSibling(node, item);
		}
		xmlUnlinkNode(node);
		xmlAddChild(item, node);
		node = next;
	}
}

/* Whether the dl @dl holds groups of terms and descriptions, each of one
 * or more dt then one or more dd, as HTML5 asks: as its children, or each
 * group in a div of its own (and then divs alone). */
static gboolean
well_formed_dl(const xmlNode *dl)
{
	gboolean after_dt = FALSE, after_dd = FALSE;
	guint divs = 0, items = 0;

	for (const xmlNode *c = dl->children; c != NULL; c = c->next) {
		if (is_element(c, " div ")) {
			if (!is_element(dl, " dl ") || !well_formed_dl(c))
				return FALSE;
			divs++;
			continue;
		}
		if (is_element(c, " dt dd "))
			items++;
		if (is_element(c, " dt ")) {
			after_dt = TRUE;
			after_dd = FALSE;
		} else if (is_element(c, " dd ")) {
			if (!after_dt && !after_dd)
				return FALSE;
			after_dd = TRUE;
			after_dt = FALSE;
		}
	}
	/* (a div group holds one group at least) */
	return !after_dt && (divs == 0 || items == 0) &&
	       (is_element(dl, " dl ") || items > 0);
}

/* Gives what libxml2's HTML 4 parser keeps, and HTML5 parsers too, the
 * content models HTML5 asks of it, so that the pages are valid HTML: a
 * block in a pre or a heading is unwrapped to its text, and a phrasing
 * element that holds a block (<span><div>) is unwrapped around it; list
 * items out of a list are put in one <ul>, and what a list holds that is
 * no item goes into the item before it, or one of its own; terms and
 * descriptions out of a well-formed <dl> are blocks (divs) of their own;
 * a heading or pre left empty (libxml2 ends one where a block starts)
 * goes; a figure keeps one caption, its first or last child. */
static void
fix_content(xmlNode *parent)
{
	gboolean list = is_element(parent, " ul ol ");
	gboolean dl = is_element(parent, " dl ");
	xmlNode *node;
	xmlNode *caption = NULL;

	if (list) {
		gather_items(parent, " li ", "li");
	} else if (dl) {
		gather_items(parent, " dt dd div ", "dd");
		if (!well_formed_dl(parent)) {
			xmlNodeSetName(parent, (const xmlChar *)"div");
			dl = FALSE;
		}
	}
	node = parent->children;
	while (node != NULL) {
		xmlNode *next = node->next;

		if (node->type != XML_ELEMENT_NODE) {
			node = next;
			continue;
		}
		if (is_element(node, " pre "))
			unwrap_all(node, NOT_PHRASING, "\n");
		else if (is_element(node, " h1 h2 h3 h4 h5 h6 "))
			unwrap_all(node, NOT_PHRASING, " ");
		else if (is_element(node, " th "))
			/* a header cell holds no heading or section */
			unwrap_all(node, " h1 h2 h3 h4 h5 h6 section ", " ");
		if (is_element(node, PHRASING_ONLY) &&
		    holds_any(node, NOT_PHRASING)) {
			/* its children are looked at in its place */
			next = node->children != NULL ? node->children
			                              : node->next;
			unwrap(node);
			node = next;
			continue;
		}
		if (is_element(node, " li ") && !list) {
			node = wrap_run(node, "ul", " li ");
			next = node->next;
		} else if (is_element(node, " dt dd ") && !dl &&
		           !(is_element(parent, " div ") &&
		             is_element(parent->parent, " dl "))) {
			xmlNodeSetName(node, (const xmlChar *)"div");
		}
		if (is_element(node, " h1 h2 h3 h4 h5 h6 pre ") &&
		    shows_nothing(node)) {
			xmlUnlinkNode(node);
			xmlFreeNode(node);
			node = next;
			continue;
		}
		if (is_element(node, " figcaption ")) {
			xmlNode *after = node->next, *before = node->prev;

			while (after != NULL && is_blank(after))
				after = after->next;
			while (before != NULL && is_blank(before))
				before = before->prev;
			if (!is_element(parent, " figure ") ||
			    caption != NULL ||
			    (before != NULL && after != NULL))
				xmlNodeSetName(node, (const xmlChar *)"div");
			else
				caption = node;
		}
		fix_content(node);
		/* a section is a part of the outline, under its heading:
		 * without one (Markdown's footnotes), a div, where the Nu
		 * HTML Checker warns ("Section lacks heading") */
		if (is_element(node, " section ") &&
		    !holds_any(node, " h1 h2 h3 h4 h5 h6 "))
			xmlNodeSetName(node, (const xmlChar *)"div");
		node = next;
	}
}

/* (transfer full): @html with the references HTML5 reads without their
 * ';' (legacy ones: "Fish &amp chips &copy 2027", common in CMS output)
 * given it, where nothing follows them that could go on a name: not
 * before '=' or a letter or digit (in an attribute, "?a=1&copy=2", a
 * browser reads none there either; in text it would read "&ampere" as
 * "&" and "ere", which is left as written). libxml2 2.9 takes each for
 * text, which was then published as "&amp;amp". The most used of them,
 * in lower case (libxml2 knows no "&AMP;"):
 * HTML5 lists about a hundred, mostly Latin-1 letters, rare bare. */
static char *
legacy_references(const char *html)
{
	static GRegex *re;
	static gsize once;

	if (strchr(html, '&') == NULL)
		return g_strdup(html);
	if (g_once_init_enter(&once)) {
		re = g_regex_new(
		    "&(amp|lt|gt|quot|nbsp|copy|reg|shy|deg|laquo|raquo|"
		    "middot|sect|para|times)"
		    "(?![;=A-Za-z0-9])",
		    G_REGEX_OPTIMIZE, 0, NULL);
		g_assert(re != NULL);
		g_once_init_leave(&once, 1);
	}
	return g_regex_replace(re, html, -1, 0, "&\\1;", 0, NULL);
}

char *
evf_html_drop_comments(const char *html)
{
	static GRegex *comments;
	/* "<!-->" and "<!--->" end where they begin, "--!>" ends one as
	 * "-->" does; "<![" or "<!" and a letter begins a bogus comment,
	 * to the next '>' (without one, as "<!>", it is left as text:
	 * a partner's plain text, which a '<br>' made HTML, would lose
	 * the rest) */
	char *out;

	/* (most HTML has none: no regular expression run over it) */
	if (strstr(html, "<!") == NULL)
		return g_strdup(html);
	out = g_regex_replace_literal(
	    evf_regex_once(&comments,
	                   "<!--(-?>|.*?--!?>|.*\\z)|<!(\\[|[A-Za-z])[^>]*>",
	                   G_REGEX_DOTALL | G_REGEX_OPTIMIZE),
	    html, -1, 0, "", 0, NULL);

	return out != NULL ? out : g_strdup(html);
}

char *
evf_html_sanitize(const char *html, const char *base_url)
{
	g_autofree char *wrapped = NULL;
	g_autofree char *clean = NULL;
	g_autofree char *bare = NULL;
	g_autofree char *legacy = NULL;
	g_autofree char *mapped = NULL;
	g_autofree char *dumped = NULL;
	g_autoptr(xmlDoc) doc = NULL;
	g_autoptr(xmlBuffer) buf = NULL;
	xmlNode *root, *body = NULL;
	Base base = { NULL, TRUE };

	if (html == NULL || html[0] == '\0')
		return g_strdup("");
	/* Characters XML 1.0 does not allow, such as U+FFFF, which a
	 * Markdown character reference (&#xFFFF;) gives: libxml2 would take
	 * the whole text for ISO 8859-1 on meeting one. */
	clean = evf_text_sanitize(html, -1);
	/* (comments go in the parse too; bogus ones would stay text) */
	bare = evf_html_drop_comments(clean);
	legacy = legacy_references(bare);
	/* A fixed frame, so that the fragment always lands in <body> and a
	 * <meta> in it cannot switch the encoding. */
	wrapped = g_strconcat("<!DOCTYPE html><html><head><meta "
	                      "charset=\"utf-8\"></head><body>",
	                      legacy, "</body></html>", NULL);
	doc = htmlReadMemory(wrapped, (int)strlen(wrapped), NULL, "UTF-8",
	                     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                         HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
	if (doc == NULL)
		return g_strdup("");
	root = xmlDocGetRootElement(doc);
	for (xmlNode *n = root ? root->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "body") == 0)
			body = n;
	if (body == NULL)
		return g_strdup("");
	base.uri = base_url != NULL
	               ? g_uri_parse(base_url, G_URI_FLAGS_ENCODED, NULL)
	               : NULL;
	base.valid = base_url == NULL || base.uri != NULL;
	clean_children(body, &base);
	g_clear_pointer(&base.uri, g_uri_unref);
	fix_tables(body);
	fix_nesting(body);
	fix_content(body);
	fix_table_shapes(body);
	rank_headings(body);
	buf = evf_xml_buffer_new();
	for (xmlNode *n = body->children; n != NULL; n = n->next)
		htmlNodeDump(buf, doc, n);
	/* and those its own character references give (&#x85;): a C1
	 * control read from one is windows-1252's character, as HTML5
	 * reads it (the raw ones went before the parse) */
	mapped = evf_text_windows1252_c1((const char *)xmlBufferContent(buf));
	dumped = evf_text_sanitize(mapped, -1);
	return g_strstrip(g_steal_pointer(&dumped));
}

static gboolean
is_block(const char *name)
{
	static const char *const blocks[] = {
		"p",  "div",   "br",         "li",     "ul",         "ol",
		"h1", "h2",    "h3",         "h4",     "h5",         "h6",
		"tr", "table", "blockquote", "pre",    "section",    "dd",
		"dt", "dl",    "hr",         "figure", "figcaption",
	};
	return in_list(name, blocks, G_N_ELEMENTS(blocks));
}

/* The plain text being written, with what tells whether a link's text is
 * its target without copying that text (a link's text holds those of the
 * links inside it, up to the parser's depth): how many of its bytes are
 * not white space, and where the last of them ends. */
typedef struct {
	GString *out;
	gsize solid;     /* bytes not g_ascii_isspace() */
	gsize solid_end; /* offset just after the last of them */
} Text;

static void
put(Text *t, const char *s)
{
	gsize at = t->out->len;

	g_string_append(t->out, s);
	for (gsize i = at; i < t->out->len; i++)
		if (!g_ascii_isspace(t->out->str[i])) {
			t->solid++;
			t->solid_end = i + 1;
		}
}

/* Whether the text written since offset @start (when @solid bytes of it
 * were not white space), without the white space around it, is @s: as
 * strcmp() with a g_strstrip()ped copy of it, in time of @s's length. */
static gboolean
label_is(const Text *t, gsize start, gsize solid, const char *s)
{
	gsize n = strlen(s), in_s = 0;

	if (t->solid == solid)
		return n == 0;
	if (n == 0 || g_ascii_isspace(s[0]) || t->solid_end - start < n)
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isspace(s[i]))
			in_s++;
	/* @s ends where the text's last non-blank byte does, and holds all
	 * the text's non-blank bytes: then what comes before it is blank */
	return in_s == t->solid - solid &&
	       memcmp(t->out->str + t->solid_end - n, s, n) == 0;
}

/* The number of the first item of @list, an <ol> (its start). */
static gint64
first_number(xmlNode *list)
{
	/* (sanitised: a start is -?[0-9]{1,9}) */
	g_autofree xmlChar *start = xmlGetProp(list, (const xmlChar *)"start");

	return start != NULL ? g_ascii_strtoll((const char *)start, NULL, 10)
	                     : 1;
}

static void
text_of(xmlNode *node, Text *t)
{
	/* the items of an <ol> by their numbers, of another list by "- " */
	gboolean numbered = node != NULL && node->parent != NULL &&
	                    node->parent->type == XML_ELEMENT_NODE &&
	                    strcmp((const char *)node->parent->name, "ol") == 0;
	gint64 number = numbered ? first_number(node->parent) : 0;

	for (xmlNode *n = node; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			put(t, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_block((const char *)n->name) && t->out->len > 0 &&
		    t->out->str[t->out->len - 1] != '\n')
			put(t, "\n");
		if (strcmp((const char *)n->name, "li") == 0) {
			g_autofree char *mark =
			    numbered ? g_strdup_printf("%" G_GINT64_FORMAT ". ",
			                               number++)
			             : g_strdup("- ");

			put(t, mark);
		}
		{
			gsize start = t->out->len, solid = t->solid;
			g_autofree xmlChar *href =
			    strcmp((const char *)n->name, "a") == 0
			        ? xmlGetProp(n, (const xmlChar *)"href")
			        : NULL;

			text_of(n->children, t);
			if (href != NULL) {
				const char *h = (const char *)href;
				const char *bare =
				    g_str_has_prefix(h, "mailto:") ? h + 7 : h;

				if (!label_is(t, start, solid, h) &&
				    !label_is(t, start, solid, bare)) {
					g_autofree char *target =
					    g_strdup_printf(" <%s>", bare);

					put(t, target);
				}
			}
		}
		if (is_block((const char *)n->name) &&
		    (t->out->len == 0 || t->out->str[t->out->len - 1] != '\n'))
			put(t, "\n");
	}
}

char *
evf_html_to_text(const char *html)
{
	g_autofree char *wrapped = NULL;
	g_autoptr(xmlDoc) doc = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	Text t = { out, 0, 0 };
	gsize kept = 0;
	xmlNode *root;
	char *text;

	if (html == NULL || html[0] == '\0')
		return g_strdup("");
	wrapped = g_strconcat("<!DOCTYPE html><html><head><meta "
	                      "charset=\"utf-8\"></head><body>",
	                      html, "</body></html>", NULL);
	doc = htmlReadMemory(wrapped, (int)strlen(wrapped), NULL, "UTF-8",
	                     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                         HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
	root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;
	for (xmlNode *n = root ? root->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "body") == 0)
			text_of(n->children, &t);
	/* Paragraphs apart by one blank line, as in the Markdown text: each
	 * run of line breaks is cut to two. (In one pass: GRegex takes time
	 * of the text's length at each match.) */
	for (gsize i = 0; i < out->len; i++)
		if (out->str[i] != '\n' || kept < 2 ||
		    out->str[kept - 1] != '\n' || out->str[kept - 2] != '\n')
			out->str[kept++] = out->str[i];
	g_string_truncate(out, kept);
	/* a C1 control from a reference: windows-1252's character, as in
	 * evf_html_sanitize */
	text = evf_text_windows1252_c1(out->str);
	return g_strstrip(text);
}

typedef struct {
	gboolean changed;
	char *first;
} Strip;

static void
strip_note(Strip *st, const char *what)
{
	if (st->first == NULL)
		st->first = g_strdup(what);
	st->changed = TRUE;
}

/* Whether @lower names an element of HTML: libxml2 2.9's table is HTML
 * 4's, and feed validators know HTML5's too (ContainsHTML). */
static gboolean
known_element(const char *lower)
{
	/* and the names, HTML5's or older, that the W3C validator also
	 * counts as HTML (command, comment, m, xmp…) */
	static const char *const html5[] = {
		"article", "aside",    "audio",     "bdi",      "canvas",
		"data",    "datalist", "details",   "dialog",   "figcaption",
		"figure",  "footer",   "header",    "hgroup",   "main",
		"mark",    "math",     "meter",     "nav",      "output",
		"picture", "progress", "rp",        "rt",       "ruby",
		"search",  "section",  "slot",      "source",   "summary",
		"svg",     "template", "time",      "track",    "video",
		"wbr",     "command",  "comment",   "datagrid", "eventsource",
		"listing", "m",        "plaintext", "xmp",
	};

	return htmlTagLookup((const xmlChar *)lower) != NULL ||
	       in_list(lower, html5, G_N_ELEMENTS(html5));
}

gboolean
evf_html_element_known(const char *name)
{
	g_autofree char *lower = g_ascii_strdown(name, -1);

	return known_element(lower);
}

/* @whole, a tag of element @name: left out when HTML knows the element,
 * else kept as text (such as "<2024>"). */
static void
strip_known_tag(const char *whole, const char *name, GString *out, Strip *st)
{
	g_autofree char *lower = g_ascii_strdown(name, -1);

	if (!known_element(lower))
		g_string_append(out, whole);
	else
		strip_note(st, whole);
}

/* The character of the reference "&@ref;" of HTML: named (libxml2's
 * table) or numeric; 0 when it names none. A number from 128 to 159
 * names what it is in windows-1252, as HTML reads it (WHATWG HTML,
 * "numeric character reference end state"; libxml2 2.9 reads HTML 4):
 * text pasted from old pages has "&#150;" for '–'. */
static gunichar
reference_char(const char *ref)
{
	guint64 c = 0;

	if (ref[0] != '#') {
		const htmlEntityDesc *e =
		    htmlEntityLookup((const xmlChar *)ref);

		if (e != NULL)
			c = e->value;
	} else if (ref[1] == 'x' || ref[1] == 'X') {
		c = g_ascii_strtoull(ref + 2, NULL, 16);
	} else {
		c = g_ascii_strtoull(ref + 1, NULL, 10);
	}
	if (ref[0] == '#' && c <= 0x9F)
		c = evf_windows1252_c1((gunichar)c);
	if (c == 0 || c > 0x10FFFF || !g_unichar_validate((gunichar)c))
		return 0;
	return (gunichar)c;
}

/* A character reference (group 1) or a tag (group 2 its name), each made
 * plain text. */
static gboolean
plain_piece(const GMatchInfo *m, GString *out, gpointer data)
{
	g_autofree char *whole = g_match_info_fetch(m, 0);
	g_autofree char *part = NULL;
	gunichar c;

	if (whole[0] == '&') {
		part = g_match_info_fetch(m, 1);
		c = reference_char(part);
		if (c == 0) {
			g_string_append(out, whole);
		} else {
			g_string_append_unichar(out, c);
			strip_note(data, whole);
		}
	} else {
		part = g_match_info_fetch(m, 2);
		strip_known_tag(whole, part, out, data);
	}
	return FALSE;
}

/* References, then tags. */
#define PIECE_PATTERN                          \
	"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|" \
	"[A-Za-z][A-Za-z0-9]{1,31});|"         \
	"</?([A-Za-z][A-Za-z0-9]*)(?:[\\s/][^<>]*)?>"

/* Whether @text holds what the W3C feed validator takes for HTML in a
 * plain-text element (ContainsHTML): a character reference, or the end
 * tag of an element of HTML. */
static GRegex *piece_regex(gboolean jit);

static gboolean
reads_as_html(gboolean jit, const char *text)
{
	g_autoptr(GMatchInfo) m = NULL;
	g_autoptr(GError) error = NULL;
	gboolean html = FALSE;

	g_regex_match_full(piece_regex(jit), text, -1, 0, 0, &m, &error);
	while (!html && error == NULL && g_match_info_matches(m)) {
		g_autofree char *whole = g_match_info_fetch(m, 0);
		g_autofree char *part = NULL;

		if (whole[0] == '&') {
			part = g_match_info_fetch(m, 1);
			html = reference_char(part) != 0;
		} else if (whole[1] == '/') {
			g_autofree char *lower = NULL;

			part = g_match_info_fetch(m, 2);
			lower = g_ascii_strdown(part, -1);
			html = known_element(lower);
		}
		g_match_info_next(m, &error);
	}
	if (error != NULL && jit)
		return reads_as_html(FALSE, text);
	return html;
}

/* PIECE_PATTERN compiled for PCRE's JIT (GLib 2.74 without it checks the
 * rest of the text at each match: quadratic), or (!@jit) not: the JIT's
 * stack runs out in a tag of some hundreds of attributes, which is then
 * read again without it. */
static GRegex *
piece_regex(gboolean jit)
{
	static GRegex *fast, *slow;

	return jit ? evf_regex_once(&fast, PIECE_PATTERN, G_REGEX_OPTIMIZE)
	           : evf_regex_once(&slow, PIECE_PATTERN, 0);
}

static char *
text_plain(const char *text, char **first, gboolean lines)
{
	Strip st = { FALSE, NULL };
	gboolean jit = TRUE;
	g_autofree char *out = NULL;
	gboolean any = FALSE;

	g_return_val_if_fail(text != NULL, NULL);
	if (first != NULL)
		*first = NULL;
	if (strpbrk(text, "<&") == NULL)
		return NULL;
	/* One reading turns references and tags into text, and the text
	 * they give is not read again: "&lt;script&gt;" is the text
	 * "<script>". Unless that text still reads as HTML ("&lt;b&gt;1
	 * &lt;/b&gt;", "&amp;amp;"): it is read again, as often as the
	 * HTML was escaped (a few times at most). */
	out = g_strdup(text);
	for (guint round = 0; round < 4; round++) {
		g_autoptr(GError) error = NULL;
		char *next;

		st.changed = FALSE;
		next = g_regex_replace_eval(piece_regex(jit), out, -1, 0, 0,
		                            plain_piece, &st, &error);
		if (error != NULL && jit) {
			/* the same without the JIT */
			g_free(next);
			jit = FALSE;
			st.changed = FALSE;
			next =
			    g_regex_replace_eval(piece_regex(FALSE), out, -1, 0,
			                         0, plain_piece, &st, NULL);
		}
		if (next == NULL || !st.changed) {
			g_free(next);
			break;
		}
		any = TRUE;
		g_free(out);
		out = next;
		if (!reads_as_html(jit, out))
			break;
	}
	if (!any) {
		g_free(st.first);
		return NULL;
	}
	if (first != NULL)
		*first = g_steal_pointer(&st.first);
	g_free(st.first);
	/* (sanitised; on one line, trimmed, unless @lines) */
	return lines ? evf_text_sanitize(out, -1) : evf_text_oneline(out);
}

char *
evf_text_plain(const char *text, char **first)
{
	return text_plain(text, first, FALSE);
}

char *
evf_text_plain_lines(const char *text)
{
	return text_plain(text, NULL, TRUE);
}

/* (transfer full) (nullable): @part (a path, query or fragment) with
 * non-ASCII and other characters URIs do not allow there percent-encoded;
 * NULL for NULL. */
static char *
uri_part(const char *part)
{
	/* What RFC 3986 allows in all three, and '%', kept as it is: its
	 * sub-delims, ':', '@', '/' and '?'. '#', '[' and ']' belong to the
	 * URI's frame (a fragment, an IPv6 host) and are encoded inside
	 * the parts, where feed validators refuse them. */
	return part != NULL
	           ? g_uri_escape_string(part, "!$&'()*+,;=:@/?%~", FALSE)
	           : NULL;
}

char *
evf_uri_from_iri(const char *iri)
{
	g_autoptr(GUri) u = NULL;
	g_autofree char *host = NULL;
	g_autofree char *path = NULL;
	g_autofree char *query = NULL;
	g_autofree char *fragment = NULL;

	g_return_val_if_fail(iri != NULL, NULL);
	u = g_uri_parse(iri, G_URI_FLAGS_ENCODED, NULL);
	if (u == NULL)
		return NULL;
	/* A host in lower case (RFC 3986 §6.2.2.1), as IDNA gives a
	 * non-ASCII one: one site, one spelling of its links. */
	if (g_uri_get_host(u) != NULL &&
	    (host = g_hostname_is_non_ascii(g_uri_get_host(u))
	                ? g_hostname_to_ascii(g_uri_get_host(u))
	                : g_ascii_strdown(g_uri_get_host(u), -1)) == NULL)
		return NULL;
	path = uri_part(g_uri_get_path(u));
	query = uri_part(g_uri_get_query(u));
	fragment = uri_part(g_uri_get_fragment(u));
	return g_uri_join(G_URI_FLAGS_ENCODED, g_uri_get_scheme(u),
	                  g_uri_get_userinfo(u), host, g_uri_get_port(u), path,
	                  query, fragment);
}
