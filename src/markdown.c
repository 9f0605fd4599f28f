/*
 * markdown.c: cmark-gfm with the GFM table, strikethrough and autolink
 * extensions, and footnotes. Raw HTML never survives: cmark's safe mode
 * would leave an "omitted" comment, so the nodes are removed instead, and
 * the HTML goes through the allowlist of html.c as a second wall.
 */
#define _GNU_SOURCE /* strcasestr */
#include "autoconf.h"
#include "markdown.h"

#include "autocleanups.h"
#include "html.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <string.h>

static const int options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;

/* Whether the rest of the line at @p is a thematic break: three or more
 * of one of '-', '*' and '_', with spaces or tabs between them alone
 * (CommonMark 4.1), which takes the line before a list item does.
 * *@blocker: where the last look along the line stopped (NULL at first). */
static gboolean
is_thematic_break(const char *p, const char **blocker)
{
	char c = *p;
	guint n = 0;

	if (c != '-' && c != '*' && c != '_')
		return FALSE;
	/* Between a start looked at before and what stopped it there is
	 * only its character: from here too, that stops it. Each character
	 * is looked at once ("- - - … x" 64,000 deep was quadratic). */
	if (*blocker != NULL && p < *blocker)
		return FALSE;
	for (; *p != '\n' && *p != '\0'; p++) {
		if (*p == c) {
			n++;
		} else if (*p != ' ' && *p != '\t' && *p != '\r') {
			*blocker = p;
			return FALSE;
		}
	}
	*blocker = p;
	return n >= 3;
}

/* The number of block quote and list markers that open the line at @p:
 * each one is a container that cmark nests. *@rest gets where the line's
 * content begins, and *@numbered the count of numbered list markers. A
 * line of "- - - -" is one thematic break, no list. */
static guint
line_depth(const char *p, const char **rest, guint *numbered)
{
	guint depth = 0;
	const char *blocker = NULL; /* is_thematic_break */

	*numbered = 0;
	for (;;) {
		const char *q;

		while (*p == ' ' || *p == '\t')
			p++;
		if (is_thematic_break(p, &blocker))
			break;
		if (*p == '>') {
			p++;
		} else if (*p == '-' || *p == '*' || *p == '+') {
			if (p[1] != ' ' && p[1] != '\t' && p[1] != '\n' &&
			    p[1] != '\0')
				break;
			p++;
		} else if (g_ascii_isdigit(*p)) {
			for (q = p; g_ascii_isdigit(*q) && q - p < 9; q++)
				;
			if ((*q != '.' && *q != ')') ||
			    (q[1] != ' ' && q[1] != '\t' && q[1] != '\n' &&
			     q[1] != '\0'))
				break;
			p = q + 1;
			(*numbered)++;
		} else {
			break;
		}
		depth++;
	}
	*rest = p;
	return depth;
}

/* Whether the line at @p begins a block of its own, whose inlines cmark
 * reads apart from the lines before, wherever it is: an ATX heading, a
 * bullet list item with text, an ordered one numbered 1, or one of
 * another number at the line's start after such an item (@item_before:
 * the line before is one, on this reckoning). Each at most three spaces
 * in, and after no block quote marker, as no paragraph can take such a
 * line for its own (CommonMark 5.2: a list item interrupts one when it
 * has text and, ordered, starts at 1; and "   2." under "1." may be the
 * first item's text, as may a line indented 4 or more). A fenced code
 * block's or HTML block's line it may take for one, which is no harm: no
 * inlines are read there. *@item is set when it is a list item. */
static gboolean
starts_block(const char *p, gboolean item_before, gboolean *item)
{
	const char *q = p;
	guint indent = 0;
	guint64 number;
	char *end;

	*item = FALSE;
	while (*q == ' ' && indent < 4) {
		q++;
		indent++;
	}
	if (indent > 3 || *q == '\t')
		return FALSE;
	if (*q == '#') {
		guint level = 0;

		while (q[level] == '#')
			level++;
		return level <= 6 && (q[level] == ' ' || q[level] == '\t' ||
		                      q[level] == '\n' || q[level] == '\r' ||
		                      q[level] == '\0');
	}
	if (*q == '-' || *q == '*' || *q == '+') {
		q++;
	} else if (g_ascii_isdigit(*q)) {
		number = g_ascii_strtoull(q, &end, 10);
		if (end - q > 9 || (*end != '.' && *end != ')') ||
		    (number != 1 && !(item_before && indent == 0)))
			return FALSE;
		q = end + 1;
	} else {
		return FALSE;
	}
	if (*q != ' ' && *q != '\t')
		return FALSE;
	while (*q == ' ' || *q == '\t')
		q++;
	*item = *q != '\n' && *q != '\r' && *q != '\0';
	return *item;
}

/* The number of cells of a GFM table's delimiter row ("|---|:-:|")
 * from @p to @end; 0 when the line is none. */
static guint
delimiter_cells(const char *p, const char *end)
{
	guint cells = 0;
	gboolean pipe = FALSE;

	for (const char *q = p; q < end; q++) {
		if (*q == '|')
			pipe = TRUE;
		else if (*q == '-' && (q == p || q[-1] != '-'))
			cells++;
		else if (*q != '-' && *q != ':' && *q != ' ' && *q != '\t' &&
		         *q != '\r')
			return 0;
	}
	return pipe ? cells : 0;
}

gboolean
evf_markdown_code_fence(EvfMarkdownFence *f, const char *l, const char *le)
{
	const char *p = l, *b;
	gsize spaces, run = 0;
	gboolean blank;

	while (p < le && *p == ' ')
		p++;
	spaces = (gsize)(p - l);
	for (b = p; b < le && (*b == ' ' || *b == '\t' || *b == '\r'); b++)
		;
	blank = b == le;
	if (spaces <= 3 && p < le && (*p == '`' || *p == '~'))
		while (p + run < le && p[run] == *p)
			run++;
	if (f->fence != '\0') {
		if (run >= f->len && *p == f->fence) {
			const char *q = p + run;

			while (q < le &&
			       (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			if (q == le)
				f->fence = '\0';
		}
		return TRUE;
	}
	if (f->html) {
		f->html = !blank;
		return FALSE;
	}
	if (spaces <= 3 && p < le && *p == '<') {
		f->html = TRUE;
		return FALSE;
	}
	/* at the margin: an indented one may be a list item's, which ends
	 * with the item; a backtick fence's info string has no backtick */
	if (run < 3 || spaces > 0 ||
	    (*p == '`' && memchr(p + run, '`', (gsize)(le - p - run)) != NULL))
		return FALSE;
	f->fence = *p;
	f->len = run;
	return TRUE;
}

/* What a line costs cmark-gfm's autolink extension, in bytes read: it
 * reads the rest of a run of text without space (or '<') again for each
 * "www." in it that could begin an address (in lower case, as it takes
 * them), and the whole run again for each ')' that ends it where it
 * holds a web address ("www.", "://"). Counted along the line, run by
 * run, outside fenced code blocks. */
typedef struct {
	const char *run; /* where the run began */
	guint64 www, closing;
	gboolean address;
	guint64 cost;
	guint64 marks; /* the "www." and ')' of the runs with addresses */
} Autolinks;

/* The run of @a ends at @at. */
static void
autolinks_end_run(Autolinks *a, const char *at)
{
	if (a->www > 0 || a->address) {
		a->cost += (a->www + a->closing) * (guint64)(at - a->run);
		a->marks += a->www + a->closing;
	}
	a->run = at + 1;
	a->www = a->closing = 0;
	a->address = FALSE;
}

/* @q, a character of the line from @q to @end, counted in @a. */
static inline void
autolinks_step(Autolinks *a, const char *q, const char *end)
{
	switch (*q) {
	case ' ':
	case '\t':
	case '\r':
	case '\f':
	case '\v':
	case '<':
		autolinks_end_run(a, q);
		break;
	case ')':
		a->closing++;
		break;
	case 'w':
		/* only where the extension looks for one: at the run's
		 * start, or after '*', '_', '~' or '(' ("www.a_www.a_…":
		 * after ',' the first address took the run) */
		if (end - q >= 4 && memcmp(q, "www.", 4) == 0 &&
		    (q == a->run || strchr("*_~(", q[-1]) != NULL))
			a->www++;
		break;
	case ':':
		if (end - q >= 3 && q[1] == '/' && q[2] == '/')
			a->address = TRUE;
		break;
	default:
		break;
	}
}

gboolean
evf_markdown_check(const char *markdown, guint *line, GError **error)
{
	guint brackets = 0;
	guint openers = 0; /* "<?" and "<!X" */
	guint numbered = 0;
	gboolean item = FALSE;    /* the line before starts a list item */
	gboolean heading = FALSE; /* the line before is an ATX heading */
	guint64 cells = 0;
	guint width = 0; /* of the table the lines are in; 0: none */
	EvfMarkdownFence fence = { 0 };
	guint n = 1;

	g_return_val_if_fail(markdown != NULL, FALSE);
	for (const char *p = markdown; *p != '\0'; n++) {
		const char *nl = strchr(p, '\n');
		const char *end = nl != NULL ? nl : p + strlen(p);
		const char *rest;
		guint columns = 0, ats = 0, on_line, delimiter;
		Autolinks links = { .run = p };
		/* in a fenced code block, or its fence: no inlines */
		gboolean code = evf_markdown_code_fence(&fence, p, end);
		guint depth = line_depth(p, &rest, &on_line);
		gboolean blank = TRUE;
		g_autofree char *why = NULL;
		gboolean item_here = FALSE;
		gboolean begins = starts_block(p, item, &item_here);

		numbered += on_line;
		/* inlines read apart: a list item's, a heading's, and what
		 * follows a heading */
		if (begins || heading)
			brackets = openers = 0;
		heading = begins && !item_here;
		item = item_here;
		for (const char *q = p; q < end; q++) {
			if (*q == '|')
				columns++;
			else if (*q == '[')
				brackets++;
			else if (*q == '@')
				ats++;
			else if (*q == '<' && q + 1 < end &&
			         (q[1] == '?' || (q[1] == '!' && q + 2 < end &&
			                          g_ascii_isalpha(q[2]))))
				openers++;
			if (*q != ' ' && *q != '\t')
				blank = FALSE;
			if (!code)
				autolinks_step(&links, q, end);
		}
		autolinks_end_run(&links, end);
		/* Inline content (where brackets pair up) never spans a
		 * blank line, nor does a table; cmark-gfm makes each row of
		 * a table as wide as its header. */
		if (blank) {
			brackets = openers = 0;
			width = 0;
		} else if (rest < end &&
		           (delimiter = delimiter_cells(rest, end)) > 0) {
			/* the header above, which was read before its width
			 * was known; the delimiter row is no row of cells */
			width = delimiter;
			cells += width;
		} else {
			cells += width;
		}
		if (depth > EVF_MARKDOWN_MAX_DEPTH) {
			why = g_strdup_printf("more than %d nested lists or "
			                      "block quotes on one line",
			                      EVF_MARKDOWN_MAX_DEPTH);
		} else if (columns > EVF_MARKDOWN_MAX_COLUMNS) {
			why = g_strdup_printf(
			    "more than %d table columns ('|') on one line",
			    EVF_MARKDOWN_MAX_COLUMNS);
		} else if (brackets > EVF_MARKDOWN_MAX_BRACKETS) {
			why = g_strdup_printf(
			    "more than %d '[' with no blank line between "
			    "them (in a paragraph, a table or a code block; "
			    "a heading, and a list item a line, count on "
			    "their own: put a blank line between items)",
			    EVF_MARKDOWN_MAX_BRACKETS);
		} else if (openers > EVF_MARKDOWN_MAX_OPENERS) {
			why = g_strdup_printf(
			    "more than %d '<?' or '<!' before a letter with no "
			    "blank line between them (in a paragraph or a code "
			    "block: put blank lines between them; in text, a "
			    "'<' is written '\\<')",
			    EVF_MARKDOWN_MAX_OPENERS);
		} else if ((guint64)ats * (guint64)(end - p) >
		           EVF_MARKDOWN_MAX_AT_BYTES) {
			why = g_strdup_printf(
			    "%u '@' on a line of %zu bytes, which may hold "
			    "%" G_GUINT64_FORMAT " (cmark-gfm copies the rest "
			    "of the line for each e-mail address): break the "
			    "line",
			    ats, (gsize)(end - p),
			    EVF_MARKDOWN_MAX_AT_BYTES / (guint64)(end - p));
		} else if (links.cost > EVF_MARKDOWN_MAX_AT_BYTES) {
			why = g_strdup_printf(
			    "%" G_GUINT64_FORMAT " 'www.' and ')' in web "
			    "addresses with no space between them on a line "
			    "of %zu bytes (cmark-gfm reads the rest of such "
			    "text again for each): put spaces between the "
			    "addresses",
			    links.marks, (gsize)(end - p));
		} else if (cells > EVF_MARKDOWN_MAX_CELLS) {
			why = g_strdup_printf(
			    "more than %d table cells (each row as wide as "
			    "its table's header)",
			    EVF_MARKDOWN_MAX_CELLS);
		} else if (numbered > EVF_MARKDOWN_MAX_NUMBERED) {
			why =
			    g_strdup_printf("more than %d numbered list items",
			                    EVF_MARKDOWN_MAX_NUMBERED);
		}
		if (why != NULL) {
			if (line != NULL)
				*line = n;
			return evf_throw(error, "%s", why);
		}
		p = nl != NULL ? nl + 1 : end;
	}
	return TRUE;
}

/* Replaces @node by its children. */
static void
unwrap(cmark_node *node)
{
	cmark_node *child;

	while ((child = cmark_node_first_child(node)) != NULL)
		cmark_node_insert_before(node, child);
	cmark_node_free(node);
}

/* (transfer full): @text made valid, as a raw character of the file is,
 * and without U+FFFD, which cmark writes for a reference to no character
 * (&#0;, &#xD800;) and the W3C feed validator warns of (BadCharacters);
 * one written as such is refused with the file's other mistakes. */
static char *
clean_text(const char *text)
{
	/* cmark decodes "&#150;" as U+0096, which HTML reads as
	 * windows-1252's '–' (the file's own C1 controls went before) */
	g_autofree char *mapped = evf_text_windows1252_c1(text);
	g_autofree char *valid = evf_text_sanitize(mapped, -1);
	g_auto(GStrv) parts = g_strsplit(valid, "\xef\xbf\xbd", -1);

	return g_strjoinv("", parts);
}

/* cmark decodes a character reference such as &#xFFFF; into its text,
 * and writes U+FFFE and U+FFFF as the single bytes 0xFE and 0xFF, which
 * are not UTF-8 (its plain-text writer stops at them): such a text is
 * made clean (clean_text). */
static void
clean_literal(cmark_node *node)
{
	const char *literal = cmark_node_get_literal(node);
	g_autofree char *clean = NULL;

	if (literal == NULL)
		return;
	clean = clean_text(literal);
	if (strcmp(clean, literal) != 0)
		cmark_node_set_literal(node, clean);
}

/* Whether @url starts with a scheme (RFC 3986 3.1): it is absolute. */
static gboolean
has_scheme(const char *url)
{
	g_autofree char *scheme = g_uri_parse_scheme(url);

	return scheme != NULL;
}

/* (transfer full) (nullable): the address that a link or image written
 * as @url goes to (absolute, evf_html_safe_url(), with its host in lower
 * case); NULL for none to publish. Besides what
 * evf_html_safe_url() refuses: a relative reference whose first segment
 * holds ':' is no URI reference (RFC 3986 4.2: it would read as a
 * scheme), and GLib's decoding of '%6Aavascript:x' made it a page under
 * the site's address with "javascript:" in it; and no address with
 * "javascript:" anywhere in it is published, which filters, mail clients
 * and readers take for script wherever it stands. */
static char *
link_target(const char *url, const char *base_url)
{
	g_autofree char *safe = NULL;
	gsize first = strcspn(url, "/?#");

	if (!has_scheme(url) && memchr(url, ':', first) != NULL)
		return NULL;
	safe = evf_html_safe_url(url, base_url);
	if (safe == NULL || strcasestr(safe, "javascript:") != NULL)
		return NULL;
	return g_steal_pointer(&safe);
}

/* Whether @node is inside a link. */
static gboolean
in_link(cmark_node *node)
{
	for (cmark_node *p = cmark_node_parent(node); p != NULL;
	     p = cmark_node_parent(p))
		if (cmark_node_get_type(p) == CMARK_NODE_LINK)
			return TRUE;
	return FALSE;
}

/* Whether the paragraph (or link) @para shows nothing: its raw HTML
 * dropped, it would be an empty <p></p> on the page and in the feeds. */
static gboolean
is_blank_paragraph(cmark_node *para)
{
	for (cmark_node *c = cmark_node_first_child(para); c != NULL;
	     c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		const char *literal = cmark_node_get_literal(c);

		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			continue;
		if (t == CMARK_NODE_TEXT && literal != NULL &&
		    literal[strspn(literal, " \t\n")] == '\0')
			continue;
		return FALSE;
	}
	return TRUE;
}

/* Whether the raw inline HTML @html is a line break (<br>, <BR/>,
 * <br />): it stays one, as Markdown's own, where the rest of raw HTML
 * goes; without it, "one<br>two" read "onetwo" (the usual way to break
 * a line in a table's cell). */
static gboolean
is_line_break(const char *html)
{
	static GRegex *re;

	return html != NULL && g_regex_match(evf_regex_once(&re, "^<br\\s*/?>$",
	                                                    G_REGEX_CASELESS),
	                                     html, 0, NULL);
}

/* (transfer container): the nodes of @doc for which @want is TRUE, in the
 * order they are entered, for a change that an iterator would not
 * survive. */
static GPtrArray *
nodes_where(cmark_node *doc, gboolean (*want)(cmark_node *node))
{
	GPtrArray *nodes = g_ptr_array_new();
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);

		if (ev == CMARK_EVENT_ENTER && want(node))
			g_ptr_array_add(nodes, node);
	}
	cmark_iter_free(iter);
	return nodes;
}

static gboolean
may_be_emptied(cmark_node *node)
{
	cmark_node_type type = cmark_node_get_type(node);

	return type == CMARK_NODE_ITEM || type == CMARK_NODE_HEADING ||
	       type == CMARK_NODE_LIST;
}

/* Takes @node out, and its children with it, or (@keep_children) not:
 * and its paragraph, were it left showing nothing. */
static void
take_out(cmark_node *node, gboolean keep_children)
{
	cmark_node *parent = cmark_node_parent(node);

	if (keep_children)
		unwrap(node);
	else
		cmark_node_free(node);
	if (parent != NULL &&
	    cmark_node_get_type(parent) == CMARK_NODE_PARAGRAPH &&
	    is_blank_paragraph(parent))
		cmark_node_free(parent);
}

/* Removes the list items and headings left empty (their raw HTML gone,
 * or written so: "- "), and the lists left without items: the HTML's
 * allowlist drops an empty <li> (fix_nesting), and the plain text showed
 * a bullet of nothing; an empty heading was an <h4></h4>. Children
 * first: they are entered after their parents. */
static void
prune_empty(cmark_node *doc)
{
	g_autoptr(GPtrArray) nodes = nodes_where(doc, may_be_emptied);

	for (guint i = nodes->len; i > 0; i--) {
		cmark_node *node = g_ptr_array_index(nodes, i - 1);

		if (cmark_node_first_child(node) == NULL)
			cmark_node_free(node);
	}
}

/* Whether the text @text of a link shows its target @url (made by tidy())
 * already: it is the target, or the target without its scheme, as the
 * autolink extension finds one ("www.example.org" for
 * "http://www.example.org", an e-mail address for "mailto:" and the
 * address); and either of them as written before tidy() made the host
 * lower case (<HTTP://Example.ORG/x>). */
static gboolean
shows_target(const char *text, const char *url)
{
	static const char *const schemes[] = { "mailto:", "http://",
		                               "https://" };
	const char *bare = url;

	for (guint k = 0; k < G_N_ELEMENTS(schemes); k++)
		if (g_str_has_prefix(url, schemes[k]))
			bare = url + strlen(schemes[k]);
	if (strcmp(text, url) == 0 || strcmp(text, bare) == 0)
		return TRUE;
	/* (parsed only where the case alone differs: a text may have
	 * thousands of links) */
	if (g_ascii_strcasecmp(text, url) != 0 &&
	    g_ascii_strcasecmp(text, bare) != 0)
		return FALSE;
	for (guint k = 0; k <= G_N_ELEMENTS(schemes); k++) {
		g_autofree char *written =
		    k == 0 ? g_strdup(text)
		           : g_strconcat(schemes[k - 1], text, NULL);
		g_autofree char *link = evf_html_safe_url(written, NULL);

		if (link != NULL && strcmp(link, url) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Whether the link @link was found by the autolink extension in the text
 * as written (a bare "www.", "https://" or e-mail address), rather than
 * written as a link: cmark-gfm 0.29 gives those no position, or the
 * position of their text ("<…>" and "[…](…)" start a character before). */
static gboolean
is_bare_autolink(cmark_node *link)
{
	cmark_node *text = cmark_node_first_child(link);

	return cmark_node_get_type(link) == CMARK_NODE_LINK && text != NULL &&
	       cmark_node_get_type(text) == CMARK_NODE_TEXT &&
	       cmark_node_next(text) == NULL &&
	       (cmark_node_get_start_line(link) == 0 ||
	        (cmark_node_get_start_line(text) ==
	             cmark_node_get_start_line(link) &&
	         cmark_node_get_start_column(text) ==
	             cmark_node_get_start_column(link)));
}

/* Whether @c, in the word before an e-mail address, is of its local part:
 * what the autolink extension takes there (ASCII letters, digits and
 * ".+-_"), and the letters, marks and digits beyond ASCII that RFC 6531
 * allows, of a script written with spaces between words (Chinese,
 * Japanese or Thai put none before an address: "请联系info@…"). '?', '#'
 * and '%', of RFC 5322's atext too, end a word in prose ("Questions?"). */
static gboolean
in_local_part(gunichar c)
{
	if (c < 0x80)
		return g_ascii_isalnum(c) || c == '.' || c == '+' || c == '-' ||
		       c == '_';
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_THAI:
	case G_UNICODE_SCRIPT_LAO:
	case G_UNICODE_SCRIPT_KHMER:
	case G_UNICODE_SCRIPT_MYANMAR:
	case G_UNICODE_SCRIPT_TIBETAN:
	case G_UNICODE_SCRIPT_JAVANESE:
	case G_UNICODE_SCRIPT_BALINESE:
	case G_UNICODE_SCRIPT_TAI_THAM:
	case G_UNICODE_SCRIPT_TAI_LE:
	case G_UNICODE_SCRIPT_NEW_TAI_LUE:
	case G_UNICODE_SCRIPT_TAI_VIET:
	case G_UNICODE_SCRIPT_BUGINESE:
		return FALSE;
	default:
		return g_unichar_isalnum(c) && !g_unichar_iswide(c);
	}
}

static gboolean
is_apostrophe(gunichar c)
{
	return c == '\'' || c == 0x2019 || c == 0x02BC;
}

/* Whether an e-mail address may start after @c, which stands @before
 * (nullable: the start of the text) it, and is of no local part
 * (in_local_part): a space, punctuation, a symbol, a letter of Chinese or
 * Thai, a direction mark; but not an apostrophe after a letter, where it
 * elides ("O’Brien@…", which is not the mailbox "Brien@…"), a second '@',
 * or what joins a word (a soft hyphen, ZWNJ in Persian, ZWJ, the word
 * joiner). */
static gboolean
starts_address_after(gunichar c, const char *before)
{
	if (is_apostrophe(c))
		return before == NULL ||
		       !g_unichar_isalnum(g_utf8_get_char(before));
	return c != '@' && c != 0x00AD && c != 0x200C && c != 0x200D &&
	       c != 0x2060 && c != 0xFEFF;
}

/* cmark-gfm's autolink extension takes an e-mail address from the '@'
 * back over ASCII letters, digits and ".+-_" alone, and looks no further:
 * "müller@example.de" linked "ller@example.de", and "o'brien@…" a
 * "brien@…", mailboxes of others. The link takes the rest of the word
 * written before it (in_local_part, and an apostrophe between two
 * letters); where the word stands after a character that no address
 * starts after (starts_address_after), it is no link, and its text stays
 * as written. */
static void
mend_mail_autolink(cmark_node *link)
{
	cmark_node *prev = cmark_node_previous(link);
	cmark_node *text = cmark_node_first_child(link);
	const char *address = cmark_node_get_literal(text);
	const char *written, *end, *from;
	g_autofree char *whole = NULL;
	g_autofree char *url = NULL;
	g_autofree char *rest = NULL;

	if (prev == NULL || cmark_node_get_type(prev) != CMARK_NODE_TEXT)
		return;
	written = cmark_node_get_literal(prev);
	end = written + strlen(written);
	for (from = end; from > written;) {
		const char *c = g_utf8_prev_char(from);
		gunichar ch = g_utf8_get_char(c);
		gboolean between_letters;

		/* marks go with the character they stand on, a letter's
		 * (not an emoji's variation selector, "✉️info@…"), each
		 * looked at once */
		if (g_unichar_ismark(ch)) {
			while (c > written && g_unichar_ismark(ch)) {
				c = g_utf8_prev_char(c);
				ch = g_utf8_get_char(c);
			}
			if (g_unichar_ismark(ch) || !in_local_part(ch))
				break;
			from = c;
			continue;
		}
		/* o'brien */
		between_letters =
		    ch == '\'' && c > written &&
		    g_unichar_isalnum(g_utf8_get_char(g_utf8_prev_char(c))) &&
		    g_unichar_isalnum(
		        g_utf8_get_char(from < end ? from : address));
		if (!between_letters && !in_local_part(ch))
			break;
		from = c;
	}
	while (from < end && *from == '.')
		from++;
	if (from > written) {
		const char *c = g_utf8_prev_char(from);

		if (!starts_address_after(g_utf8_get_char(c),
		                          c > written ? g_utf8_prev_char(c)
		                                      : NULL)) {
			unwrap(link);
			return;
		}
	}
	if (from == end)
		return;
	whole = g_strdup_printf("%.*s%s", (int)(end - from), from, address);
	url = g_strconcat("mailto:", whole, NULL);
	rest = g_strndup(written, from - written);
	cmark_node_set_literal(text, whole);
	cmark_node_set_url(link, url);
	cmark_node_set_literal(prev, rest);
}

/* (transfer full) (nullable): the address @url of a bare autolink with
 * its character references decoded, or NULL for none to decode: the
 * autolink extension takes the characters as written, and
 * "?a=1&amp;b=2" went to the query's "amp;b" and showed "&amp;"; CommonMark
 * decodes references in every address, and in "<…>" too, which decodes
 * them here. */
static char *
decode_references(const char *url)
{
	g_autofree char *angled = NULL;
	cmark_node *doc, *para, *link;
	char *decoded = NULL;

	if (strchr(url, '&') == NULL || strpbrk(url, "<> ") != NULL)
		return NULL;
	angled = g_strdup_printf("<%s>", url);
	doc = cmark_parse_document(angled, strlen(angled), options);
	para = cmark_node_first_child(doc);
	link = para != NULL ? cmark_node_first_child(para) : NULL;
	if (link != NULL && cmark_node_get_type(link) == CMARK_NODE_LINK &&
	    cmark_node_next(link) == NULL)
		decoded = g_strdup(cmark_node_get_url(link));
	cmark_node_free(doc);
	return decoded;
}

/* Mends what the autolink extension gets wrong in the links it finds in
 * the text as written (mend_mail_autolink, decode_references). */
static void
mend_autolinks(cmark_node *doc)
{
	g_autoptr(GPtrArray) bare = nodes_where(doc, is_bare_autolink);

	for (guint i = 0; i < bare->len; i++) {
		cmark_node *link = g_ptr_array_index(bare, i);
		cmark_node *text = cmark_node_first_child(link);
		const char *url = cmark_node_get_url(link);
		const char *shown = cmark_node_get_literal(text);
		g_autofree char *decoded = NULL;

		if (g_str_has_prefix(url, "mailto:")) {
			mend_mail_autolink(link);
			continue;
		}
		decoded = decode_references(url);
		if (decoded == NULL)
			continue;
		/* the text is the address, or it without "http://" */
		if (strcmp(shown, url) == 0)
			cmark_node_set_literal(text, decoded);
		else if (g_str_has_prefix(decoded, "http://"))
			cmark_node_set_literal(text,
			                       decoded + strlen("http://"));
		cmark_node_set_url(link, decoded);
	}
}

/* Whether the raw HTML @node is one to tell the editor of
 * (EvfMarkdownDropped): not a line break, a comment or an end tag, nor a
 * block of nothing else. */
static gboolean
tells_of(cmark_node *node)
{
	static GRegex *fast, *slow;
	/* (a comment or an end tag not closed keeps its opening and takes
	 * the rest of the block in one match: looked for again from each
	 * later one, the rest was read again each time, minutes for a
	 * description of "<!--" lines) */
	static const char pattern[] =
	    "<!--.*?-->|</[^>]*>|<br\\s*/?>|\\s+|(<!--|</).*\\z";
	g_autofree char *html = g_strdup(cmark_node_get_literal(node));
	g_autofree char *rest = NULL;

	if (html == NULL || g_strstrip(html)[0] == '\0' || is_line_break(html))
		return FALSE;
	if (cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE)
		return !g_str_has_prefix(html, "<!--") &&
		       !g_str_has_prefix(html, "</");
	/* A block holds all up to its end, the text after a comment or an
	 * end tag too ("<!-- note --> Registration opens…"); one of line
	 * breaks, comments and end tags alone loses nothing. With PCRE's
	 * JIT: without it, GLib 2.74 checks the rest of the block at each
	 * match (a pasted table of 1 MB took a minute); and again without,
	 * should the JIT's stack run out. */
	rest =
	    g_regex_replace(evf_regex_once(&fast, pattern,
	                                   G_REGEX_DOTALL | G_REGEX_CASELESS |
	                                       G_REGEX_OPTIMIZE),
	                    html, -1, 0, "\\1", 0, NULL);
	if (rest == NULL)
		rest = g_regex_replace(
		    evf_regex_once(&slow, pattern,
		                   G_REGEX_DOTALL | G_REGEX_CASELESS),
		    html, -1, 0, "\\1", 0, NULL);
	return rest == NULL || rest[0] != '\0';
}

void
evf_markdown_dropped_free(EvfMarkdownDropped *d)
{
	if (d == NULL)
		return;
	g_free(d->html);
	g_free(d);
}

/* Whether a backslash escapes the character at @p of @markdown (a
 * "\\<b>" is text). */
static gboolean
escaped(const char *markdown, const char *p)
{
	const char *q = p;

	while (q > markdown && q[-1] == '\\')
		q--;
	return (p - q) % 2 == 1;
}

/* The first @needle in @markdown from @from that no backslash escapes, or
 * NULL. */
static const char *
next_unescaped(const char *markdown, gsize from, const char *needle)
{
	for (const char *p = markdown + from; (p = strstr(p, needle)) != NULL;
	     p++)
		if (!escaped(markdown, p))
			return p;
	return NULL;
}

static gint
by_position(gconstpointer a, gconstpointer b)
{
	const EvfMarkdownDropped *x = *(EvfMarkdownDropped *const *)a;
	const EvfMarkdownDropped *y = *(EvfMarkdownDropped *const *)b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->column < y->column ? -1 : x->column > y->column;
}

/* Where the lines of a text start, to find a line or an offset at once. */
typedef struct {
	GArray *starts; /* (element-type gsize): the first line's is 0 */
	gsize size;     /* the text's */
} Lines;

static Lines
lines_of(const char *text)
{
	Lines l = { g_array_new(FALSE, FALSE, sizeof(gsize)), strlen(text) };
	gsize at = 0;

	g_array_append_val(l.starts, at);
	for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++) {
		at = p + 1 - text;
		g_array_append_val(l.starts, at);
	}
	return l;
}

static void
lines_clear(Lines *l)
{
	g_clear_pointer(&l->starts, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Lines, lines_clear)

/* The offset of the end of @line (from 1; its '\n', or the text's end). */
static gsize
line_end(const Lines *l, guint line)
{
	return line < l->starts->len ? g_array_index(l->starts, gsize, line) - 1
	                             : l->size;
}

/* The line (from 1) of the offset @at. */
static guint
line_at(const Lines *l, gsize at)
{
	guint lo = 0, hi = l->starts->len;

	/* the last line that starts at or before @at is in [lo, hi) */
	while (hi - lo > 1) {
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(l->starts, gsize, mid) <= at)
			lo = mid;
		else
			hi = mid;
	}
	return lo + 1;
}

/* Puts each piece of raw HTML in @dropped where it is in @markdown, in
 * the order of the text (a footnote's come last from cmark-gfm): cmark-gfm
 * 0.29 counts no line within an inline that spans lines (raw HTML, a code
 * span, a link's title), and placed every later inline of the paragraph a
 * line early, its column running on past the end of that line (and a
 * block quote's or list item's marks on the lines after are not counted).
 * Where cmark's place holds the piece, it stands; else the first place
 * after it that does, else the first after the start of its line. The
 * first EVF_MARKDOWN_DROPPED_PLACED alone, those the editor is told of. */
static void
place_dropped(const char *markdown, GPtrArray *dropped)
{
	g_auto(Lines) lines = lines_of(markdown);
	GArray *starts = lines.starts;
	gsize size = lines.size, cursor = 0;

	g_ptr_array_sort(dropped, by_position);
	for (guint i = 0; i < MIN(dropped->len, EVF_MARKDOWN_DROPPED_PLACED);
	     i++) {
		EvfMarkdownDropped *d = g_ptr_array_index(dropped, i);
		gsize len, start, at;
		guint line;
		const char *found = NULL;

		/* (a link refused stays where cmark has it, at its text: its
		 * address may be a definition's, far after, and the HTML
		 * after it is looked for from where it is) */
		if (d->kind == EVF_MARKDOWN_LINK_REFUSED)
			continue;
		len = strlen(d->html);
		line = MIN(d->line, starts->len) - 1; /* from 0 */
		start = g_array_index(starts, gsize, line);
		at = MIN(start + d->column - 1, size);

		if (at >= cursor && at + len <= size &&
		    memcmp(markdown + at, d->html, len) == 0 &&
		    !escaped(markdown, markdown + at))
			found = markdown + at;
		if (found == NULL && at >= cursor)
			found = next_unescaped(markdown, at, d->html);
		if (found == NULL)
			found = next_unescaped(markdown, MAX(start, cursor),
			                       d->html);
		if (found == NULL)
			continue;
		at = found - markdown;
		while (line + 1 < starts->len &&
		       g_array_index(starts, gsize, line + 1) <= at)
			line++;
		cursor = at + len;
		d->line = line + 1;
		d->column = at - g_array_index(starts, gsize, line) + 1;
	}
}

/* Tells of the link or image @node whose address @url was refused. */
static void
note_refused(GPtrArray *dropped, cmark_node *node, const char *url)
{
	EvfMarkdownDropped *d;

	if (dropped == NULL)
		return;
	d = g_new0(EvfMarkdownDropped, 1);
	d->kind = EVF_MARKDOWN_LINK_REFUSED;
	d->line = MAX(cmark_node_get_start_line(node), 1);
	d->column = MAX(cmark_node_get_start_column(node), 1);
	d->block = cmark_node_get_type(node) == CMARK_NODE_IMAGE;
	d->html = g_strndup(url, strcspn(url, "\n"));
	g_ptr_array_add(dropped, d);
}

static void
note_dropped(GPtrArray *dropped, cmark_node *node)
{
	const char *html = cmark_node_get_literal(node);
	EvfMarkdownDropped *d;
	gsize len;

	if (dropped == NULL || !tells_of(node))
		return;
	d = g_new0(EvfMarkdownDropped, 1);
	d->line = MAX(cmark_node_get_start_line(node), 1);
	d->column = MAX(cmark_node_get_start_column(node), 1);
	d->block = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK;
	len = strcspn(html, "\n");
	d->html = g_strndup(html, len);
	g_ptr_array_add(dropped, d);
}

/* The offset of @line:@column (from 1; the column in bytes; a line
 * before the first is the first), or -1 when there is no such place. */
static gssize
offset_of(const Lines *l, int line, int column)
{
	gsize start;

	line = MAX(line, 1);
	if ((guint)line > l->starts->len || column < 1)
		return -1;
	start = g_array_index(l->starts, gsize, line - 1);
	if ((gsize)(column - 1) > line_end(l, (guint)line) - start)
		return -1;
	return (gssize)(start + (gsize)column - 1);
}

/* What goes before a footnote's definition on its line: the marks of the
 * block quotes and list items it is in, and their indentation. */
#define DEF_PREFIX "(?:[ \\t>]|[-+*][ \\t]|[0-9]{1,9}[.)][ \\t])*"

/* (transfer full) (nullable): the label of the footnote reference
 * "[^label]" at @at of @markdown, or of the definition "[^label]:" that
 * starts the line @line (after the marks of what it is in); NULL when
 * there is none there. Each is read within its line: a label has no
 * space, and the rest of a long text is not read again for each. */
static char *
footnote_label(const char *markdown, const Lines *l, gssize at, int line)
{
	static GRegex *ref, *def;
	GRegex *re;
	g_autoptr(GMatchInfo) m = NULL;

	if (at >= 0) {
		re = evf_regex_once(&ref, "^\\[\\^([^\\]\\s]+)\\]", 0);
		line = (int)line_at(l, (gsize)at);
	} else if ((at = offset_of(l, line, 1)) >= 0) {
		re = evf_regex_once(&def,
		                    "^" DEF_PREFIX "\\[\\^([^\\]\\s]+)\\]:", 0);
	} else {
		return NULL;
	}
	g_regex_match_full(re, markdown + at,
	                   (gssize)(line_end(l, (guint)line) - (gsize)at), 0, 0,
	                   &m, NULL);
	return m != NULL && g_match_info_matches(m) ? g_match_info_fetch(m, 1)
	                                            : NULL;
}

/* Tells of @text (transfer full), a footnote of @kind written at @at. */
static void
note_footnote(GPtrArray *dropped, EvfMarkdownDroppedKind kind, const Lines *l,
              gsize at, char *text)
{
	EvfMarkdownDropped *d = g_new0(EvfMarkdownDropped, 1);

	d->kind = kind;
	d->line = line_at(l, at);
	d->column =
	    (guint)(at - g_array_index(l->starts, gsize, d->line - 1)) + 1;
	d->html = text;
	g_ptr_array_add(dropped, d);
}

/* Adds the lines of @block to @lines. (cmark-gfm 0.29 ends a heading
 * underlined with '===' or '---' on the line after its underline.) */
static void
add_lines(GHashTable *lines, cmark_node *block)
{
	int first = cmark_node_get_start_line(block);
	int last = cmark_node_get_end_line(block);

	if (cmark_node_get_type(block) == CMARK_NODE_HEADING)
		last = MAX(first, last - 1);
	for (int k = first; k <= last; k++)
		g_hash_table_add(lines, GINT_TO_POINTER(k));
}

/* The block (a paragraph, a heading, a table's cell) that holds the
 * inline @node: its lines are counted right, an inline's not always. */
static cmark_node *
block_of(cmark_node *node)
{
	while (node != NULL && (cmark_node_get_type(node) &
	                        CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE)
		node = cmark_node_parent(node);
	return node;
}

/* Gives the footnotes of @doc, read from @markdown, the labels their
 * editor wrote: a reference "[^i]" becomes the text "[i]", and a
 * footnote's text, which cmark-gfm puts last, paragraphs after "[i] ".
 * cmark-gfm numbers them 1, 2… instead (a listing's "[i]" and "[ii]"
 * became 1 and 2), its HTML links within a description that feed readers
 * and calendars show apart from its page, and its plain text is the
 * Markdown ("[^1]:"). Adds to @dropped (nullable) each footnote no
 * reference names, which cmark-gfm leaves out, and each reference to no
 * footnote, which stays as written. Each place is found from the lines'
 * starts, and each search ends with its line or its block: a text of
 * thousands of footnotes took a minute, read again from its start for
 * each. */
static void
footnotes(cmark_node *doc, const char *markdown, GPtrArray *dropped)
{
	static GRegex *def_line, *ref_text;
	g_auto(Lines) lines = lines_of(markdown);
	g_autoptr(GPtrArray) refs = g_ptr_array_new();
	g_autoptr(GPtrArray) defs = g_ptr_array_new();
	g_autoptr(GPtrArray) texts = g_ptr_array_new();
	g_autoptr(GHashTable) def_lines = g_hash_table_new(NULL, NULL);
	/* the lines of the blocks that have text (a "[^x]:" that a
	 * paragraph goes on to is its text, no footnote), and of code and
	 * HTML */
	g_autoptr(GHashTable) block_lines = g_hash_table_new(NULL, NULL);
	/* the offsets of the references, and of those told of (+ 1) */
	g_autoptr(GHashTable) taken = g_hash_table_new(NULL, NULL);
	/* each reference to no footnote, as written → the offset after the
	 * last one told of (the texts come in the order of the file, but
	 * for the footnotes', which cmark-gfm puts last: it counts only
	 * within a text's block) */
	g_autoptr(GHashTable) after =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_node *last_block = NULL;
	cmark_event_type ev;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		cmark_node_type type = cmark_node_get_type(node);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_FOOTNOTE_REFERENCE) {
			g_ptr_array_add(refs, node);
		} else if (type == CMARK_NODE_FOOTNOTE_DEFINITION) {
			g_ptr_array_add(defs, node);
			g_hash_table_add(
			    def_lines,
			    GINT_TO_POINTER(cmark_node_get_start_line(node)));
		} else if (type == CMARK_NODE_TEXT) {
			cmark_node *block = block_of(node);

			g_ptr_array_add(texts, node);
			/* (a block's texts come one after another) */
			if (block != NULL && block != last_block)
				add_lines(block_lines, block);
			last_block = block;
		} else if (type == CMARK_NODE_CODE_BLOCK ||
		           type == CMARK_NODE_HTML_BLOCK) {
			add_lines(block_lines, node);
		}
	}
	cmark_iter_free(iter);

	for (guint i = 0; i < refs->len; i++) {
		cmark_node *ref = g_ptr_array_index(refs, i);
		gssize at = offset_of(&lines, cmark_node_get_start_line(ref),
		                      cmark_node_get_start_column(ref));
		g_autofree char *label =
		    at >= 0 ? footnote_label(markdown, &lines, at, 0) : NULL;
		g_autofree char *shown = g_strdup_printf(
		    "[%s]", label != NULL ? label
		                          : (cmark_node_get_literal(ref)
		                                 ? cmark_node_get_literal(ref)
		                                 : "?"));
		cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);

		if (label != NULL)
			g_hash_table_add(taken, GSIZE_TO_POINTER(at + 1));
		cmark_node_set_literal(text, shown);
		cmark_node_insert_before(ref, text);
		cmark_node_free(ref);
	}
	for (guint i = 0; i < defs->len; i++) {
		cmark_node *def = g_ptr_array_index(defs, i);
		g_autofree char *label = footnote_label(
		    markdown, &lines, -1, cmark_node_get_start_line(def));
		cmark_node *first = cmark_node_first_child(def);
		/* before its text, or in a paragraph of its own before
		 * what is no paragraph (a list) */
		gboolean own = first == NULL || cmark_node_get_type(first) !=
		                                    CMARK_NODE_PARAGRAPH;
		/* (cmark-gfm's number, in the order of the references,
		 * where the label cannot be read) */
		g_autofree char *number = g_strdup_printf("%u", i + 1);
		g_autofree char *shown = g_strdup_printf(
		    "[%s]%s", label != NULL ? label : number, own ? "" : " ");
		cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);

		cmark_node_set_literal(text, shown);
		if (own) {
			first = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_prepend_child(def, first);
		}
		cmark_node_prepend_child(first, text);
		unwrap(def);
	}
	if (dropped == NULL)
		return;

	/* footnotes that no reference names: not in the document. Each
	 * line with a "[^" is matched alone (GLib's regex checks all of its
	 * text again at each match: a minute for thousands of notes). */
	for (const char *p = markdown; (p = strstr(p, "[^")) != NULL;) {
		guint line = line_at(&lines, (gsize)(p - markdown));
		gsize start = g_array_index(lines.starts, gsize, line - 1);
		gsize end = line_end(&lines, line);
		g_autoptr(GMatchInfo) m = NULL;
		int from, to;

		p = markdown + end;
		if (g_hash_table_contains(def_lines, GINT_TO_POINTER(line)) ||
		    g_hash_table_contains(block_lines, GINT_TO_POINTER(line)) ||
		    !g_regex_match_full(evf_regex_once(&def_line,
		                                       "^" DEF_PREFIX
		                                       "(\\[\\^[^\\]\\s]+\\]:)",
		                                       0),
		                        markdown + start, (gssize)(end - start),
		                        0, 0, &m, NULL))
			continue;
		g_match_info_fetch_pos(m, 1, &from, &to);
		note_footnote(dropped, EVF_MARKDOWN_FOOTNOTE_UNUSED, &lines,
		              start + (gsize)from,
		              g_strndup(markdown + start + from, to - from));
	}
	/* references to no footnote: their text, where not escaped */
	for (guint i = 0; i < texts->len; i++) {
		cmark_node *text = g_ptr_array_index(texts, i);
		cmark_node *block = block_of(text);
		g_autoptr(GMatchInfo) r = NULL;

		if (cmark_node_get_literal(text) == NULL)
			continue;
		g_regex_match(evf_regex_once(&ref_text,
		                             "\\[\\^[^\\]\\s]+\\](?!:)",
		                             G_REGEX_OPTIMIZE),
		              cmark_node_get_literal(text), 0, &r);
		for (; g_match_info_matches(r); g_match_info_next(r, NULL)) {
			g_autofree char *written = g_match_info_fetch(r, 0);
			gsize len = strlen(written);
			gsize from = (gsize)MAX(
			    offset_of(&lines, cmark_node_get_start_line(text),
			              1),
			    0);
			/* to the end of its block, else of its line */
			gsize to = line_end(
			    &lines,
			    (guint)MAX(block != NULL
			                   ? cmark_node_get_end_line(block)
			                   : cmark_node_get_start_line(text),
			               1));
			const char *p, *q;

			{
				gsize last = GPOINTER_TO_SIZE(
				    g_hash_table_lookup(after, written));

				if (last > from && last < to)
					from = last;
			}
			/* where it is written so, from the text's line (cmark
			 * may count it a line early): not "\\[^x]", which is
			 * text, nor a reference, nor one told of already */
			for (q = from < to ? markdown + from : NULL, p = NULL;
			     p == NULL && q != NULL && q < markdown + to &&
			     (q = g_strstr_len(q, (gssize)(markdown + to - q),
			                       written)) != NULL;
			     q++)
				if (!escaped(markdown, q) && q[len] != ':' &&
				    !g_hash_table_contains(
				        taken,
				        GSIZE_TO_POINTER(q - markdown + 1)))
					p = q;
			if (p == NULL)
				continue;
			g_hash_table_add(taken,
			                 GSIZE_TO_POINTER(p - markdown + 1));
			g_hash_table_replace(
			    after, g_strdup(written),
			    GSIZE_TO_POINTER(p - markdown + len));
			note_footnote(dropped, EVF_MARKDOWN_FOOTNOTE_UNDEFINED,
			              &lines, (gsize)(p - markdown),
			              g_steal_pointer(&written));
		}
	}
}

/* Removes raw HTML but line breaks (is_line_break), makes links
 * absolute, drops unsafe ones, makes texts valid (clean_literal), and
 * makes headings h4 to h6 (evf_heading_rank: the highest level written is
 * h4, the next h5, the rest h6): on the page a description stands under
 * its event's h3, and a feed reader shows it under the item's title; a
 * page has one h1, and headings do not skip levels going down (WCAG
 * 1.3.1; the Nu HTML Checker calls a skip an error). Adds to @shown the
 * links whose text shows their target as written (shows_target), before
 * it is made absolute and a URI, and to @dropped (nullable) the raw HTML
 * left out that the editor is told of. */
static void
tidy(cmark_node *doc, const char *base_url, GHashTable *shown,
     GPtrArray *dropped)
{
	g_autoptr(GPtrArray) drop = g_ptr_array_new();
	g_autoptr(GPtrArray) strip = g_ptr_array_new();
	g_autoptr(GPtrArray) breaks = g_ptr_array_new();
	g_autoptr(GPtrArray) links = g_ptr_array_new();
	g_autoptr(GPtrArray) headings = g_ptr_array_new();
	guint used = 0; /* the heading levels written, a bit each */
	cmark_iter *iter;
	cmark_event_type ev;

	mend_autolinks(doc);
	iter = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		cmark_node_type type = cmark_node_get_type(node);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_HTML_BLOCK ||
		    type == CMARK_NODE_HTML_INLINE) {
			g_ptr_array_add(drop, node);
			note_dropped(dropped, node);
			if (type == CMARK_NODE_HTML_INLINE &&
			    is_line_break(cmark_node_get_literal(node)))
				g_ptr_array_add(breaks, node);
		} else if (type == CMARK_NODE_LINK ||
		           type == CMARK_NODE_IMAGE) {
			const char *url = cmark_node_get_url(node);
			g_autofree char *link =
			    url ? link_target(url, base_url) : NULL;

			const char *title = cmark_node_get_title(node);
			gboolean nested =
			    type == CMARK_NODE_LINK && in_link(node);

			/* a link or image to an address refused: its text,
			 * or what the image shows in words (its alt); so is
			 * a link in a link (an autolink in a link's text),
			 * which HTML has not */
			if (link == NULL || nested) {
				g_ptr_array_add(strip, node);
				/* (the editor is told: a meeting's "Join"
				 * link to msteams: lost its target unseen) */
				if (link == NULL && !nested)
					note_refused(dropped, node,
					             url != NULL ? url : "");
			} else {
				cmark_node *text = cmark_node_first_child(node);

				/* (a relative one shows no address a
				 * calendar can open: "agenda.pdf") */
				if (type == CMARK_NODE_LINK && text != NULL &&
				    has_scheme(url) &&
				    cmark_node_next(text) == NULL &&
				    cmark_node_get_type(text) ==
				        CMARK_NODE_TEXT &&
				    shows_target(cmark_node_get_literal(text),
				                 url))
					g_hash_table_add(shown, node);
				cmark_node_set_url(node, link);
			}
			/* (one stripped is freed) */
			if (link != NULL && type == CMARK_NODE_LINK && !nested)
				g_ptr_array_add(links, node);
			/* a title's references are decoded too */
			if (link != NULL && title != NULL && title[0] != '\0') {
				g_autofree char *clean = clean_text(title);

				if (strcmp(clean, title) != 0)
					cmark_node_set_title(node, clean);
			}
		} else if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE ||
		           type == CMARK_NODE_CODE_BLOCK) {
			clean_literal(node);
		} else if (type == CMARK_NODE_HEADING) {
			g_ptr_array_add(headings, node);
			used |= 1u << cmark_node_get_heading_level(node);
		}
	}
	cmark_iter_free(iter);
	for (guint i = 0; i < headings->len; i++) {
		cmark_node *node = g_ptr_array_index(headings, i);

		cmark_node_set_heading_level(
		    node,
		    evf_heading_rank(used, cmark_node_get_heading_level(node)));
	}
	for (guint i = 0; i < breaks->len; i++) {
		cmark_node *node = g_ptr_array_index(breaks, i);
		cmark_node *br = cmark_node_new(CMARK_NODE_LINEBREAK);

		/* a table's cell holds no line break (cmark-gfm): a space
		 * keeps its words apart */
		if (!cmark_node_insert_before(node, br)) {
			cmark_node_free(br);
			br = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node_set_literal(br, " ");
			cmark_node_insert_before(node, br);
		}
	}
	/* (an image of no words, a link of none: an empty <p></p> in the
	 * pages and feeds) */
	for (guint i = 0; i < strip->len; i++)
		take_out(g_ptr_array_index(strip, i), TRUE);
	/* Last entered first, should a dropped node hold another. (A
	 * paragraph is never dropped itself, and one emptied holds no other
	 * node to drop.) */
	for (guint i = drop->len; i > 0; i--)
		take_out(g_ptr_array_index(drop, i - 1), FALSE);
	prune_empty(doc);
	/* A link that shows nothing ("[](…)", or its raw HTML gone) shows
	 * its address, as the plain text does: it was an invisible link in
	 * the pages and feeds. */
	for (guint i = 0; i < links->len; i++) {
		cmark_node *link = g_ptr_array_index(links, i);

		if (is_blank_paragraph(link)) {
			cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node *blank;

			while ((blank = cmark_node_first_child(link)) != NULL)
				cmark_node_free(blank);
			cmark_node_set_literal(text, cmark_node_get_url(link));
			cmark_node_append_child(link, text);
		}
	}
}

/* The text that the plain text shows at the end (@last) or the start of
 * the inline @n, the literal of a text or a code span, looking into
 * emphasis (and, at the start, a link's text); NULL where it shows none
 * or other characters (a link's target after its text, struck text's
 * '~~', an image). */
static const char *
edge_literal(cmark_node *n, gboolean last)
{
	while (n != NULL) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			return cmark_node_get_literal(n);
		case CMARK_NODE_LINK:
			if (last)
				return NULL;
			/* fall through */
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
			n = last ? cmark_node_last_child(n)
			         : cmark_node_first_child(n);
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

/* Whether @c is a character of CSS Text 3's East Asian Width F, W or H
 * that a line wrapped between two of joins without a space (§4.1.2),
 * Hangul and emoji (symbols outside the CJK blocks) aside, as browsers
 * have it. */
static gboolean
joins_without_space(gunichar c)
{
	GUnicodeType type = g_unichar_type(c);

	if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_HANGUL)
		return FALSE;
	/* halfwidth forms (katakana, and signs), East Asian Width H */
	if (c == 0x20A9 || (c >= 0xFF61 && c <= 0xFFDC) ||
	    (c >= 0xFFE8 && c <= 0xFFEE))
		return TRUE;
	if (!g_unichar_iswide(c))
		return FALSE;
	/* emoji, and other pictographs: wide symbols outside the CJK
	 * blocks (U+2E80 to U+A4CF, and the compatibility forms) */
	return !((type == G_UNICODE_OTHER_SYMBOL ||
	          type == G_UNICODE_MODIFIER_SYMBOL) &&
	         !(c >= 0x2E80 && c <= 0xA4CF) &&
	         !(c >= 0xF900 && c <= 0xFFEF));
}

/* Whether a soft break between the inlines @before and @after joins two
 * characters of Chinese or Japanese (joins_without_space). */
static gboolean
joins_wide(cmark_node *before, cmark_node *after)
{
	const char *a = edge_literal(before, TRUE);
	const char *b = edge_literal(after, FALSE);

	/* (cmark's text is valid UTF-8: CMARK_OPT_VALIDATE_UTF8) */
	if (a == NULL || b == NULL || a[0] == '\0' || b[0] == '\0')
		return FALSE;
	return joins_without_space(
	           g_utf8_get_char(g_utf8_prev_char(a + strlen(a)))) &&
	       joins_without_space(g_utf8_get_char(b));
}

/* (transfer full): the address of the "mailto:" URI @url as mail clients
 * show it: without its header fields ("?subject=…"), and its
 * percent-encoded UTF-8 decoded (RFC 6068 §2), "jože@primer.si" rather than
 * "jo%C5%BEe@primer.si"; as written where that would give no text (a
 * control or format character, bytes that are not UTF-8). */
static char *
mail_address(const char *url)
{
	const char *address = url + strlen("mailto:");
	gsize len = strcspn(address, "?");
	g_autofree char *decoded = NULL;

	/* no address before the header fields ("mailto:?to=a@example.org",
	 * RFC 6068 §2): the fields, which name it */
	if (len == 0)
		return g_strdup(address);
	decoded = g_uri_unescape_segment(address, address + len, NULL);
	if (decoded == NULL || !g_utf8_validate(decoded, -1, NULL))
		return g_strndup(address, len);
	for (const char *c = decoded; *c != '\0'; c = g_utf8_next_char(c)) {
		gunichar ch = g_utf8_get_char(c);

		/* (U+202E would show "gro.elpmaxe@ofni" reversed) */
		if (g_unichar_iscntrl(ch) ||
		    g_unichar_type(ch) == G_UNICODE_FORMAT)
			return g_strndup(address, len);
	}
	return g_steal_pointer(&decoded);
}

/* For the plain text, writes each link's target after its text, unless
 * the text already is the target (autolinks, shows_target, as written:
 * the links in @shown; or as published): writing the target after it
 * would add an address that an import of the calendar turns into one more
 * link, each build and import again ("Međunarodni" was followed by its
 * "Me%C4%91unarodni"). And struck text
 * between two '~' each side, and no space for a line wrapped between two
 * wide characters. */
static void
prepare_plaintext(cmark_node *doc, const char *base_url, GHashTable *shown)
{
	g_autoptr(GPtrArray) links = g_ptr_array_new();
	g_autoptr(GPtrArray) struck = g_ptr_array_new();
	g_autoptr(GPtrArray) soft = g_ptr_array_new();
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(node) == CMARK_NODE_LINK)
			g_ptr_array_add(links, node);
		else if (cmark_node_get_type(node) == CMARK_NODE_SOFTBREAK)
			g_ptr_array_add(soft, node);
		else if (strcmp(cmark_node_get_type_string(node),
		                "strikethrough") == 0)
			g_ptr_array_add(struck, node);
	}
	cmark_iter_free(iter);
	/* A line wrapped between two Chinese or Japanese characters joins
	 * them without the space it is elsewhere (CSS Text 3 §4.1.2):
	 * "东京\n举行" is "东京举行". */
	for (guint i = 0; i < soft->len; i++) {
		cmark_node *node = g_ptr_array_index(soft, i);

		if (joins_wide(cmark_node_previous(node),
		               cmark_node_next(node))) {
			cmark_node_unlink(node);
			cmark_node_free(node);
		}
	}
	/* cmark's plain text marks struck text with one '~' each side
	 * ("~101~"), which reads as "about 101"; two are GFM's own. */
	for (guint i = 0; i < struck->len; i++) {
		cmark_node *del = g_ptr_array_index(struck, i);
		cmark_node *open = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node *close = cmark_node_new(CMARK_NODE_TEXT);

		cmark_node_set_literal(open, "~");
		cmark_node_set_literal(close, "~");
		cmark_node_prepend_child(del, open);
		cmark_node_append_child(del, close);
	}
	for (guint i = 0; i < links->len; i++) {
		cmark_node *link = g_ptr_array_index(links, i);
		/* the address the HTML links to (evf_html_sanitize), as
		 * a URI ("a\b" as "a%5Cb"), or none where it has no link */
		g_autofree char *uri =
		    evf_uri_from_iri(cmark_node_get_url(link));
		g_autofree char *url =
		    uri != NULL ? evf_html_safe_url(uri, base_url) : NULL;
		cmark_node *first = cmark_node_first_child(link);
		const char *text = first ? cmark_node_get_literal(first) : NULL;
		g_autofree char *address = NULL;
		g_autofree char *label = NULL;
		cmark_node *node;

		if (url == NULL || g_hash_table_contains(shown, link) ||
		    (text != NULL && cmark_node_next(first) == NULL &&
		     shows_target(text, url)))
			continue;
		/* A web address keeps its scheme after the text; a mail
		 * address is shown as mail clients show it. */
		address = g_str_has_prefix(url, "mailto:") ? mail_address(url)
		                                           : g_strdup(url);
		label = g_strdup_printf(" <%s>", address);
		node = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(node, label);
		cmark_node_insert_after(link, node);
	}
}

/* cmark-gfm (0.29) keeps the characters its extensions read inline
 * (strikethrough's '~', the autolinks' 'w' and ':') in one table for the
 * whole process, which each parser sets before it reads a document's
 * inlines and clears after (finalize_document): with two parsers at once
 * on two threads, one cleared them under the other, whose strikethrough
 * and www. links were lost now and then, and the same files gave other
 * outputs (github/cmark-gfm pull request 176, not in Debian 12). So that
 * step takes one document at a time; blocks, rendering and the rest of an
 * event file still run on every processor. (Its registry of extensions is
 * made before any thread starts: evf_parallel_for.) */
G_LOCK_DEFINE_STATIC(cmark_inlines);

static cmark_node *
parse(const char *markdown, cmark_llist **extensions, cmark_parser **parser)
{
	static const char *const names[] = { "table", "strikethrough",
		                             "autolink", "tagfilter" };
	cmark_parser *p;
	cmark_node *doc;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(options);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		cmark_syntax_extension *ext =
		    cmark_find_syntax_extension(names[i]);
		if (ext != NULL)
			cmark_parser_attach_syntax_extension(p, ext);
	}
	cmark_parser_feed(p, markdown, strlen(markdown));
	*extensions = cmark_parser_get_syntax_extensions(p);
	*parser = p;
	G_LOCK(cmark_inlines);
	doc = cmark_parser_finish(p);
	G_UNLOCK(cmark_inlines);
	return doc;
}

/* The line (from 1) of the first node of @doc nested deeper than
 * EVF_MARKDOWN_MAX_NESTING, or 0. */
static guint
too_deep(cmark_node *doc)
{
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;
	guint depth = 0, line = 0;

	while (line == 0 && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);

		/* Containers are entered and left, empty ones too (a table
		 * cell, a footnote reference, "-" alone); leaves are only
		 * entered. Only a node with children counts, both ways, and
		 * not the document, which is no element of the HTML. */
		if (cmark_node_first_child(node) == NULL || node == doc)
			continue;
		if (ev == CMARK_EVENT_EXIT)
			depth--;
		else if (ev == CMARK_EVENT_ENTER &&
		         ++depth > EVF_MARKDOWN_MAX_NESTING)
			line = MAX(cmark_node_get_start_line(node), 1);
	}
	cmark_iter_free(iter);
	return line;
}

/* The text as it is, escaped, in one paragraph. */
static void
render_as_text(const char *markdown, const char *base_url, char **html,
               char **text)
{
	g_autofree char *clean = evf_text_sanitize(markdown, -1);
	g_autofree char *escaped = g_markup_escape_text(clean, -1);
	g_autofree char *para = g_strdup_printf("<p>%s</p>", escaped);

	*html = evf_html_sanitize(para, base_url);
	*text = g_strstrip(g_steal_pointer(&clean));
}

guint
evf_markdown_render(const char *markdown, const char *base_url, char **html,
                    char **text, GPtrArray *dropped)
{
	g_autoptr(GHashTable) shown = g_hash_table_new(NULL, NULL);
	g_autoptr(cmark_parser) parser = NULL;
	g_autoptr(cmark_node) doc = NULL;
	cmark_llist *extensions = NULL;
	char *raw;
	guint deep;

	/* Beyond the caps, the text as it is: cmark could take minutes. */
	if (!evf_markdown_check(markdown, NULL, NULL)) {
		render_as_text(markdown, base_url, html, text);
		return 0;
	}
	doc = parse(markdown, &extensions, &parser);
	/* and beyond what an HTML parser keeps (libxml2 stops at 256
	 * levels, and would drop the rest) */
	if ((deep = too_deep(doc)) != 0) {
		render_as_text(markdown, base_url, html, text);
		return deep;
	}
	tidy(doc, base_url, shown, dropped);
	/* (a text without "[^" has no footnote, nor anything taken for
	 * one) */
	if (strstr(markdown, "[^") != NULL)
		footnotes(doc, markdown, dropped);
	if (dropped != NULL)
		place_dropped(markdown, dropped);

	raw = cmark_render_html(doc, options, extensions);
	*html = evf_html_sanitize(raw, base_url);
	free(raw);

	prepare_plaintext(doc, base_url, shown);
	/* A line the editor wrapped (a soft break) is a space: calendar
	 * programs show DESCRIPTION as written, and wrap it themselves; its
	 * lines broke mid-sentence, at the editor's width, on a phone. */
	raw = cmark_render_plaintext(doc, options | CMARK_OPT_NOBREAKS, 0);
	/* Blank lines around it go, but not the indentation of its first
	 * line: cmark writes a list's items each indented alike ("  - "),
	 * and without the first one's a calendar showed every other item
	 * as one level deeper. */
	{
		g_autofree char *clean = evf_text_sanitize(raw, -1);
		const char *first = clean;

		for (const char *q = clean; g_ascii_isspace(*q); q++)
			if (*q == '\n')
				first = q + 1;
		if (first[strspn(first, " \t")] == '\0')
			first = "";
		*text = g_strchomp(g_strdup(first));
	}
	free(raw);
	return 0;
}
