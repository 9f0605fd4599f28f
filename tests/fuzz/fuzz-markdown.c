/*
 * fuzz-markdown.c: the two ways HTML enters a feed. The input, as an event
 * file's Markdown body (cmark-gfm with the extensions the site uses, then
 * the allowlist), and the same bytes as a partner's HTML (libxml2's HTML
 * parser, the allowlist, link resolution) and then as plain text. Both
 * callers check the bytes first: UTF-8 without NUL, bounded; so does this.
 * Links resolve against a base URL, as in event files and partner
 * descriptions, for inputs of even length, and against none, as in partner
 * titles, for the others.
 *
 * Whatever comes out must be safe to put into a feed: no markup but
 * elements, no comments or processing instructions, no element of the
 * dropped list, no event handler, no style attribute but a table cell's
 * text-align, and every link an absolute URL whose scheme is http, https
 * or mailto. Anything else aborts.
 */
#include "autoconf.h"

#include "fuzz.h"

#include "eventfile.h"
#include "html.h"
#include "markdown.h"

#define BASE "https://events.example.org/"

static const char *const never[] = {
	"script", "style", "iframe", "object",   "embed",    "applet",
	"form",   "input", "button", "select",   "textarea", "noscript",
	"svg",    "math",  "frame",  "frameset", "meta",     "link",
	"base",   "head",  "title",  "template", "html",     "body",
};

static gboolean
is_name_char(char ch)
{
	return g_ascii_isalnum(ch) || ch == '-' || ch == '_' || ch == ':';
}

static void
unsafe(const char *html, const char *why, const char *at)
{
	fprintf(stderr, "unsafe output (%s) at offset %td:\n%s\n", why,
	        at - html, html);
	abort();
}

static void
check_url(const char *html, const char *name, const char *v, gsize n)
{
	if (g_ascii_strcasecmp(name, "href") != 0 &&
	    g_ascii_strcasecmp(name, "src") != 0 &&
	    g_ascii_strcasecmp(name, "cite") != 0)
		return;
	if ((n >= 5 && g_ascii_strncasecmp(v, "http:", 5) == 0) ||
	    (n >= 6 && g_ascii_strncasecmp(v, "https:", 6) == 0) ||
	    (n >= 7 && g_ascii_strncasecmp(v, "mailto:", 7) == 0))
		return;
	unsafe(html, "link", v);
}

/* Aborts unless the style @v (@n bytes) is a cell's alignment, the one
 * style the allowlist writes. */
static void
check_style(const char *html, const char *v, gsize n)
{
	static const char *const ok[] = { "text-align: left",
		                          "text-align: center",
		                          "text-align: right" };

	for (gsize i = 0; i < G_N_ELEMENTS(ok); i++)
		if (n == strlen(ok[i]) && memcmp(v, ok[i], n) == 0)
			return;
	unsafe(html, "style", v);
}

/* Aborts unless @html (an allowlist's output) is safe, see above. */
static void
check_safe(const char *html)
{
	const char *p = html;

	while ((p = strchr(p, '<')) != NULL) {
		const char *tag = p++;
		g_autofree char *name = NULL;
		const char *s;

		if (*p == '/')
			p++;
		if (*p == '!' || *p == '?')
			unsafe(html, "comment, declaration or PI", tag);
		for (s = p; is_name_char(*p); p++)
			;
		if (p == s)
			unsafe(html, "stray '<'", tag);
		name = g_ascii_strdown(s, p - s);
		for (gsize i = 0; i < G_N_ELEMENTS(never); i++)
			if (strcmp(name, never[i]) == 0)
				unsafe(html, "element", tag);
		/* The attributes, up to the end of the tag. */
		for (;;) {
			g_autofree char *attr = NULL;
			const char *v;
			gsize n;

			while (g_ascii_isspace(*p) || *p == '/')
				p++;
			if (*p == '>' || *p == '\0')
				break;
			for (s = p; *p != '\0' && *p != '=' && *p != '>' &&
			            *p != '/' && !g_ascii_isspace(*p);
			     p++)
				;
			attr = g_ascii_strdown(s, p - s);
			if (g_str_has_prefix(attr, "on") ||
			    strcmp(attr, "srcset") == 0 ||
			    (strcmp(attr, "style") == 0 &&
			     strcmp(name, "td") != 0 &&
			     strcmp(name, "th") != 0))
				unsafe(html, "attribute", s);
			if (*p != '=') {
				if (strcmp(attr, "style") == 0)
					unsafe(html, "attribute", s);
				continue;
			}
			p++;
			if (*p == '"' || *p == '\'') {
				char q = *p++;

				v = p;
				while (*p != '\0' && *p != q)
					p++;
				n = p - v;
				if (*p == q)
					p++;
			} else {
				v = p;
				while (*p != '\0' && *p != '>' &&
				       !g_ascii_isspace(*p))
					p++;
				n = p - v;
			}
			check_url(html, attr, v, n);
			if (strcmp(attr, "style") == 0)
				check_style(html, v, n);
		}
		if (*p == '\0')
			unsafe(html, "unterminated tag", tag);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	evf_fuzz_setup();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = NULL;
	g_autofree char *html = NULL;
	g_autofree char *plain = NULL;
	g_autofree char *safe = NULL;
	g_autofree char *safe_text = NULL;
	g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_markdown_dropped_free);
	const char *base;

	if (size > EVF_EVENTFILE_MAX_BODY)
		return 0;
	base = size % 2 == 0 ? BASE : NULL;
	if (!g_utf8_validate_len((const char *)data, size, NULL))
		return 0;
	text = evf_fuzz_strndup(data, size);

	evf_markdown_render(text, BASE, &html, &plain, dropped);
	if (html == NULL || plain == NULL)
		abort();
	for (guint i = 0; i < dropped->len; i++) {
		EvfMarkdownDropped *d = g_ptr_array_index(dropped, i);

		if (d->line == 0 || d->column == 0 ||
		    !g_utf8_validate(d->html, -1, NULL))
			abort();
	}
	check_safe(html);

	safe = evf_html_sanitize(text, base);
	if (safe == NULL)
		abort();
	check_safe(safe);
	safe_text = evf_html_to_text(safe);
	if (safe_text == NULL)
		abort();
	return 0;
}
