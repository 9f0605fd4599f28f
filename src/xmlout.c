/*
 * xmlout.c: shared pieces of the XML writers (see xmlout.h).
 */
#include "autoconf.h"
#include "xmlout.h"

#include "util.h"

#include <string.h>

xmlBuffer *
evf_xml_buffer_new(void)
{
	xmlBuffer *buf = xmlBufferCreate();

	if (buf != NULL)
		xmlBufferSetAllocationScheme(buf, XML_BUFFER_ALLOC_DOUBLEIT);
	return buf;
}

char *
evf_xml_rfc3339(gint64 usec)
{
	g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc(0);
	g_autoptr(GDateTime) t = g_date_time_add(epoch, usec);
	g_autofree char *base = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S");
	int frac = g_date_time_get_microsecond(t);

	/* Whole milliseconds (evfeed's own stamps) get three digits: some
	 * readers (ROME) take any fraction as milliseconds. */
	if (frac == 0)
		return g_strconcat(base, "Z", NULL);
	if (frac % 1000 == 0)
		return g_strdup_printf("%s.%03dZ", base, frac / 1000);
	return g_strdup_printf("%s.%06dZ", base, frac);
}

char *
evf_xml_clean(const char *text)
{
	char *clean = evf_text_sanitize(text, -1);
	char *marked = evf_text_replacement_as_question(clean);

	if (marked == NULL)
		return clean;
	g_free(clean);
	return marked;
}

gboolean
evf_xml_element(xmlTextWriter *w, const char *name, const char *text)
{
	g_autofree char *clean = NULL;

	if (text == NULL)
		return TRUE;
	clean = evf_xml_clean(text);
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST clean) >= 0;
}

gboolean
evf_xml_write_text(xmlTextWriter *w, const char *text)
{
	g_autofree char *clean = evf_xml_clean(text);
	gboolean ok = TRUE;

	for (const char *p = clean; *p != '\0';) {
		gsize n = strcspn(p, "&<");

		if (n > 0) {
			g_autofree char *run = g_strndup(p, n);

			ok &= xmlTextWriterWriteString(w, BAD_CAST run) >= 0;
			p += n;
		}
		if (*p != '\0') {
			ok &= xmlTextWriterWriteRaw(
			          w, BAD_CAST(*p == '&' ? "&#x26;"
			                                : "&#x3C;")) >= 0;
			p++;
		}
	}
	return ok;
}

gboolean
evf_xml_text(xmlTextWriter *w, const char *name, const char *text)
{
	gboolean ok;

	if (text == NULL)
		return TRUE;
	ok = xmlTextWriterStartElement(w, BAD_CAST name) >= 0;
	ok &= evf_xml_write_text(w, text);
	ok &= xmlTextWriterEndElement(w) >= 0;
	return ok;
}

gboolean
evf_xml_event(xmlTextWriter *w, const EvfEvent *ev)
{
	g_autofree char *start = evf_event_w3c_start(ev);
	g_autofree char *end = evf_event_w3c_end_shown(ev);
	g_autofree char *organizers = evf_event_format_organizers(ev);
	gboolean ok = TRUE;

	ok &= evf_xml_element(w, "ev:startdate", start);
	ok &= evf_xml_element(w, "ev:enddate", end);
	ok &= evf_xml_text(w, "ev:location", ev->location);
	ok &= evf_xml_text(w, "ev:organizer", organizers);
	/* the kind of event (one, the module says): its first category,
	 * "conference" or "workshop" as listings give them first */
	ok &= evf_xml_text(w, "ev:type",
	                   ev->categories != NULL && ev->categories->len > 0
	                       ? g_ptr_array_index(ev->categories, 0)
	                       : NULL);
	return ok;
}
