/*
 * write-rss.c: a view → RSS 2.0 with the mod_event module, through
 * xmlTextWriter, which does all the escaping. pubDate is the publication
 * date of the listing (never the event's date, which goes in ev:startdate),
 * so feed readers announce each listing once, newest first.
 */
#include "autoconf.h"
#include "render.h"

#include "autocleanups.h"
#include "util.h"
#include "xmlout.h"

#include <string.h>

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_EV   "http://purl.org/rss/1.0/modules/event/"

GBytes *
evf_write_rss(const EvfView *view, GError **error)
{
	const EvfConfig *cfg = view->config;
	g_autoptr(xmlBuffer) buf = evf_xml_buffer_new();
	g_autoptr(xmlTextWriter) w = xmlNewTextWriterMemory(buf, 0);
	g_autofree char *built = evf_date_rfc822(view->updated, FALSE);
	g_autofree char *home = evf_view_home_url(view);
	g_autofree char *ttl =
	    g_strdup_printf("%" G_GINT64_FORMAT, cfg->refresh_seconds / 60);
	const char *description =
	    cfg->description[0] != '\0' ? cfg->description : view->title;
	gboolean ok = TRUE;

	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	ok &= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) >= 0;
	ok &= xmlTextWriterStartElement(w, BAD_CAST "rss") >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "version",
	                                  BAD_CAST "2.0") >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:atom",
	                                  BAD_CAST NS_ATOM) >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:ev",
	                                  BAD_CAST NS_EV) >= 0;
	ok &= xmlTextWriterStartElement(w, BAD_CAST "channel") >= 0;
	ok &= evf_xml_text(w, "title", view->title);
	ok &= evf_xml_element(w, "link", home);
	ok &= evf_xml_text(w, "description", description);
	ok &= evf_xml_element(w, "language", cfg->language);
	ok &= evf_xml_element(w, "lastBuildDate", built);
	ok &= evf_xml_element(w, "ttl", ttl);
	ok &= evf_xml_element(w, "generator", "evfeed " PACKAGE_VERSION);
	ok &= evf_xml_element(w, "docs",
	                      "https://www.rssboard.org/rss-specification");
	ok &= xmlTextWriterStartElement(w, BAD_CAST "atom:link") >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "href",
	                                  BAD_CAST view->self_url) >= 0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST "self") >=
	      0;
	ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
	                                  BAD_CAST "application/rss+xml") >= 0;
	ok &= xmlTextWriterEndElement(w) >= 0;
	if (cfg->hub != NULL) {
		/* WebSub discovery (§4): the hub beside the self link. */
		ok &= xmlTextWriterStartElement(w, BAD_CAST "atom:link") >= 0;
		ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "href",
		                                  BAD_CAST cfg->hub) >= 0;
		ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "rel",
		                                  BAD_CAST "hub") >= 0;
		ok &= xmlTextWriterEndElement(w) >= 0;
	}

	for (guint i = 0; i < view->events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(view->events, i);
		g_autofree char *title = evf_event_display_title(ev);
		g_autofree char *link =
		    evf_render_event_link(cfg, ev, view->now);
		g_autofree char *html = evf_render_event_html(cfg, ev);
		g_autofree char *guid = evf_render_tag_id(cfg, ev);
		g_autofree char *pub =
		    evf_date_rfc822(evf_event_pubdate(ev), FALSE);

		ok &= xmlTextWriterStartElement(w, BAD_CAST "item") >= 0;
		ok &= evf_xml_text(w, "title", title);
		ok &= evf_xml_element(w, "link", link);
		ok &= evf_xml_element(w, "description", html);
		ok &= xmlTextWriterStartElement(w, BAD_CAST "guid") >= 0;
		ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "isPermaLink",
		                                  BAD_CAST "false") >= 0;
		ok &= xmlTextWriterWriteString(w, BAD_CAST guid) >= 0;
		ok &= xmlTextWriterEndElement(w) >= 0;
		ok &= evf_xml_element(w, "pubDate", pub);
		for (guint k = 0; k < ev->categories->len; k++)
			ok &=
			    evf_xml_text(w, "category",
			                 g_ptr_array_index(ev->categories, k));
		if (ev->source != NULL) {
			/* RSS 2.0: the url of the source is its feed's
			 * ("the XMLization of the source"), when that may
			 * be published; else the source's link. */
			const EvfSourceConfig *src =
			    evf_config_source(cfg, ev->source);
			const char *url = src != NULL && src->feed_link != NULL
			                      ? src->feed_link
			                      : ev->source_url;

			ok &= xmlTextWriterStartElement(w, BAD_CAST "source") >=
			      0;
			ok &= xmlTextWriterWriteAttribute(w, BAD_CAST "url",
			                                  BAD_CAST url) >= 0;
			ok &= evf_xml_write_text(w, ev->source_title);
			ok &= xmlTextWriterEndElement(w) >= 0;
		}
		ok &= evf_xml_event(w, ev);
		ok &= xmlTextWriterEndElement(w) >= 0;
	}
	ok &= xmlTextWriterEndDocument(w) >= 0;
	ok &= xmlTextWriterFlush(w) >= 0;
	if (!ok) {
		evf_throw(error, "cannot write '%s'", view->path);
		return NULL;
	}
	return g_bytes_new(xmlBufferContent(buf), xmlBufferLength(buf));
}
