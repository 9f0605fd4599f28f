/*
 * html.h: HTML that may enter a feed. Whatever its origin (our Markdown or a
 * partner's feed), HTML is parsed with libxml2's HTML parser, reduced to an
 * allowlist of elements and attributes, and every link is made absolute.
 */
#pragma once

#include <glib.h>

/* (transfer full): @html reduced to the allowlist, with href/src/cite
 * resolved against @base_url (absolute http or https) and any other scheme
 * than http, https and mailto removed. Never NULL. */
char *evf_html_sanitize(const char *html, const char *base_url);

/* (transfer full): the text of @html (already sanitised) for plain-text
 * outputs: blocks on their own lines, list items with "- " (in an <ol>
 * their numbers, "1. "), and each link's
 * target after its text ("here <https://…>") unless the text is the
 * target. Never NULL. */
char *evf_html_to_text(const char *html);

/* (transfer full): @url resolved against @base_url when it is safe to link
 * to (http, https, mailto), else NULL. */
char *evf_html_safe_url(const char *url, const char *base_url);

/* (transfer full) (nullable): the same against @base already parsed
 * (nullable: @url must then be absolute), for many links under one base. */
char *evf_html_safe_url_parsed(const char *url, GUri *base);

/* (transfer full) (nullable): the URI of the absolute IRI @iri (RFC 3987
 * §3.1): its host in ASCII (IDNA, GLib's g_hostname_to_ascii) and in
 * lower case (RFC 3986 §6.2.2.1), every other
 * non-ASCII character percent-encoded as UTF-8; existing escapes and the
 * ASCII characters URIs allow are kept. RSS links, iCalendar URL values
 * and the W3C validator want URIs. NULL when @iri does not parse. */
char *evf_uri_from_iri(const char *iri);

/* (transfer full): @uri with its host in lower case, as RFC 3986
 * (6.2.2.1) normalises it: a host is case-insensitive, so
 * https://Example.ORG/Path and https://example.org/Path are one page,
 * published alike; the path, query and fragment are kept as written. A
 * string that does not parse is returned as it is. evf_html_safe_url()
 * and evf_uri_from_iri() give every link so. */
char *evf_uri_lower_host(const char *uri);

/* (transfer full) (nullable): plain text @text without the HTML in it,
 * NULL when it has none: character references decoded ("&amp;" → "&",
 * named ones from libxml2's table) and tags removed (opening or closing
 * tags of an element libxml2's HTML parser or HTML5 knows: <b>,
 * </script>; "<2024>" stays), in one reading, so that "&lt;script&gt;"
 * is the text "<script>". Text that still holds what the W3C validator
 * takes for HTML in a title or a category (ContainsHTML: a character
 * reference, or an end tag such as "</b>") is read again: HTML escaped
 * once more than it should be. Feed readers would show it as markup.
 * @first, if given, is set to the first piece of HTML found (transfer
 * full). */
char *evf_text_plain(const char *text, char **first);
/* (transfer full) (nullable): the same, its line breaks kept, for a text
 * of several lines (a partner's plain-text DESCRIPTION). */
char *evf_text_plain_lines(const char *text);

/* (transfer full): @html without its comments, which HTML5 shows
 * nothing of: "<!-- … -->" (one left open runs to the end), and the
 * markup declarations it reads as comments (its "bogus comments", those
 * that begin "<![" or "<!" and a letter, and end with '>'): the
 * "<![if !supportLists]>" and "<![endif]>" that Outlook and Word put
 * around every list item's number, which libxml2's HTML 4 parser would
 * keep as text. */
char *evf_html_drop_comments(const char *html);

/* Whether @name (in any case) names an element of HTML 4 or HTML5, as
 * evf_text_plain knows them. */
gboolean evf_html_element_known(const char *name);

/* The level a description's heading of level @level (1 to 6) takes, of
 * those whose levels are the bits of @used (1 << level): the highest
 * written is 4, the next 5, the rest 6. A description stands under its
 * event's h3, and headings skip no level going down. */
int evf_heading_rank(unsigned used, int level);
