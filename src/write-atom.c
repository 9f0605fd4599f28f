/*
 * write-atom.c: a view → Atom 1.0 (RFC 4287) with the mod_event elements,
 * through xmlTextWriter. Entry ids are the same tag: URIs as the RSS guids;
 * `updated` is the event's LAST-MODIFIED, which the state keeps unique
 * within a site, so no two entries share one.
 */
#include "autoconf.h"
#include "render.h"

#include "autocleanups.h"
#include "html.h"
#include "util.h"
#include "xmlout.h"

#include <string.h>

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_EV   "http://purl.org/rss/1.0/modules/event/"

static gboolean
link_element(xmlTextWriter *w, const char *rel, const char *type,
             const char *href)
{
	gboolean ok = TRUE;

	ok &= xmlTextWriterStartElement(w, BAD_CAST "link") >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel) >= 0;
	if (type != NULL)
		ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
		                                  BAD_CAST type) >= 0;
	ok &=
	    xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href) >= 0;
	ok &= xmlTextWriterEndElement(w) >= 0;
	return ok;
}

/* (transfer full): the site's title as the name of the feed's author,
 * less any e-mail address in angle brackets ("Events <events@example.org>"):
 * an Atom name is a name, and the W3C Feed Validation Service warns
 * (ContainsEmail) of an address in one. The feed's title keeps it. A title
 * that is nothing but addresses gives them without their brackets. */
static char *
author_name(const char *title)
{
	g_autoptr(GRegex) re = g_regex_new("\\s*<([^<>@\\s]+@[^<>@\\s]+)>",
	                                   G_REGEX_CASELESS, 0, NULL);
	char *name = g_regex_replace_literal(re, title, -1, 0, "", 0, NULL);

	if (name == NULL)
		return g_strdup(title);
	if (*g_strstrip(name) == '\0') {
		g_free(name);
		name = g_regex_replace(re, title, -1, 0, " \\1", 0, NULL);
		if (name == NULL)
			return g_strdup(title);
		g_strstrip(name);
	}
	return name;
}

/* (transfer full): @url as an Atom id: in the normal form of RFC 3986
 * §6.2.2 and §6.2.3 (lower-case scheme and host, no default port, "/" for
 * an empty http path), which the W3C Feed Validation Service asks of an id
 * (NonCanonicalURI); @url itself if it does not parse. */
static char *
canonical_id(const char *url)
{
	g_autoptr(GUri) uri = g_uri_parse(
	    url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
	g_autofree char *norm = NULL;

	if (uri == NULL)
		return g_strdup(url);
	norm = g_uri_to_string(uri);
	return evf_uri_lower_host(norm);
}

/* The media type of a source's feed, as its format says it (NULL: not
 * known, or a calendar, which the W3C Feed Validation Service would not
 * take for the type of a self link: SelfNotAtom). */
static const char *
feed_type(const EvfSourceConfig *src)
{
	if (src == NULL || src->format == NULL)
		return NULL;
	if (strcmp(src->format, "rss") == 0)
		return "application/rss+xml";
	if (strcmp(src->format, "atom") == 0)
		return "application/atom+xml";
	return NULL;
}

/* An atom:author of @name, with @uri if any. */
static gboolean
author_element(xmlTextWriter *w, const char *name, const char *uri)
{
	gboolean ok = TRUE;

	ok &= xmlTextWriterStartElement(w, BAD_CAST "author") >= 0;
	ok &= evf_xml_text(w, "name", name);
	if (uri != NULL)
		ok &= evf_xml_element(w, "uri", uri);
	ok &= xmlTextWriterEndElement(w) >= 0;
	return ok;
}

/* @site_author: the feed's author's name. */
static gboolean
entry(xmlTextWriter *w, const EvfView *view, const EvfEvent *ev,
      const char *site_author)
{
	const EvfConfig *cfg = view->config;
	g_autofree char *id = evf_render_tag_id(cfg, ev);
	g_autofree char *title = evf_event_display_title(ev);
	g_autofree char *link = evf_render_event_link(cfg, ev, view->now);
	g_autofree char *html = evf_render_event_html(cfg, ev);
	g_autofree char *clean_html = evf_xml_clean(html);
	g_autofree char *updated = evf_xml_rfc3339(ev->modified);
	g_autofree char *published = evf_xml_rfc3339(evf_event_pubdate(ev));
	gboolean ok = TRUE;

	ok &= xmlTextWriterStartElement(w, BAD_CAST "entry") >= 0;
	ok &= evf_xml_element(w, "id", id);
	ok &= evf_xml_text(w, "title", title);
	ok &= evf_xml_element(w, "updated", updated);
	ok &= evf_xml_element(w, "published", published);
	/* RFC 4287 §4.2.1 lets an entry take the feed's author, but
	 * feedparser, newsboat and sfeed show an entry's own only: the
	 * partner whose listing it is, else the site. */
	if (ev->source != NULL) {
		g_autofree char *partner = author_name(
		    ev->source_title != NULL ? ev->source_title : ev->source);

		ok &= author_element(w, partner, ev->source_url);
	} else {
		ok &= author_element(w, site_author, cfg->url);
	}
	ok &= link_element(w, "alternate", NULL, link);
	if (!ev->tba) {
		g_autofree char *path = evf_render_ics_path(ev, TRUE);
		g_autofree char *ics = evf_config_url(cfg, path);

		ok &= link_element(w, "related", "text/calendar", ics);
	}
	for (guint k = 0; k < ev->categories->len; k++) {
		g_autofree char *term =
		    evf_xml_clean(g_ptr_array_index(ev->categories, k));

		ok &= xmlTextWriterStartElement(w, BAD_CAST "category") >= 0;
		ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "term",
		                                  BAD_CAST term) >= 0;
		ok &= xmlTextWriterEndElement(w) >= 0;
	}
	if (ev->source != NULL) {
		/* RFC 4287 §4.2.11: the feed the entry was copied from, with
		 * the id, title and updated it SHOULD carry (the W3C validator
		 * warns of each one missing). Its updated is the last change
		 * to this entry that came from it, the latest change of that
		 * feed this site has seen and copied. Its self link is that
		 * feed's own address (§4.2.7.2), when it may be published;
		 * the source's link, what people follow (its home page), is
		 * its alternate, and its id as it always was. */
		const EvfSourceConfig *src = evf_config_source(cfg, ev->source);
		const char *feed = src != NULL ? src->feed_link : NULL;
		g_autofree char *source_id = canonical_id(ev->source_url);

		ok &= xmlTextWriterStartElement(w, BAD_CAST "source") >= 0;
		ok &= evf_xml_element(w, "id", source_id);
		ok &= evf_xml_text(w, "title", ev->source_title);
		ok &= evf_xml_element(w, "updated", updated);
		if (feed != NULL)
			ok &= link_element(w, "self", feed_type(src), feed);
		if (g_strcmp0(ev->source_url, feed) != 0)
			ok &=
			    link_element(w, "alternate", NULL, ev->source_url);
		ok &= xmlTextWriterEndElement(w) >= 0;
	}
	ok &= xmlTextWriterStartElement(w, BAD_CAST "content") >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
	                                  BAD_CAST "html") >= 0;
	ok &= xmlTextWriterWriteString(w, BAD_CAST clean_html) >= 0;
	ok &= xmlTextWriterEndElement(w) >= 0;
	ok &= evf_xml_event(w, ev);
	ok &= xmlTextWriterEndElement(w) >= 0;
	return ok;
}

GBytes *
evf_write_atom(const EvfView *view, GError **error)
{
	const EvfConfig *cfg = view->config;
	g_autoptr(xmlBuffer) buf = evf_xml_buffer_new();
	g_autoptr(xmlTextWriter) w = xmlNewTextWriterMemory(buf, 0);
	g_autofree char *id = evf_render_view_id(cfg, view->path);
	g_autofree char *updated = evf_xml_rfc3339(view->updated);
	g_autofree char *home = evf_view_home_url(view);
	g_autofree char *author = author_name(cfg->title);
	gboolean ok = TRUE;

	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	ok &= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) >= 0;
	ok &= xmlTextWriterStartElement(w, BAD_CAST "feed") >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns",
	                                  BAD_CAST NS_ATOM) >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:ev",
	                                  BAD_CAST NS_EV) >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang",
	                                  BAD_CAST cfg->language) >= 0;
	ok &= evf_xml_element(w, "id", id);
	ok &= evf_xml_text(w, "title", view->title);
	if (cfg->description[0] != '\0')
		ok &= evf_xml_text(w, "subtitle", cfg->description);
	ok &= evf_xml_element(w, "updated", updated);
	/* The page first: readers that take a feed's first link for its
	 * home page (as @extractus/feed-extractor 8 does) would otherwise
	 * send their users to the feed itself. */
	ok &= link_element(w, "alternate", "text/html", home);
	ok &= link_element(w, "self", "application/atom+xml", view->self_url);
	if (cfg->hub != NULL)
		ok &= link_element(w, "hub", NULL, cfg->hub);
	ok &= author_element(w, author, cfg->url);
	ok &= xmlTextWriterStartElement(w, BAD_CAST "generator") >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "version",
	                                  BAD_CAST PACKAGE_VERSION) >= 0;
	ok &= xmlTextWriterWriteString(w, BAD_CAST "evfeed") >= 0;
	ok &= xmlTextWriterEndElement(w) >= 0;
	for (guint i = 0; i < view->events->len; i++)
		ok &=
		    entry(w, view, g_ptr_array_index(view->events, i), author);
	ok &= xmlTextWriterEndDocument(w) >= 0;
	ok &= xmlTextWriterFlush(w) >= 0;
	if (!ok) {
		evf_throw(error, "cannot write '%s'", view->path);
		return NULL;
	}
	return g_bytes_new(xmlBufferContent(buf), xmlBufferLength(buf));
}
