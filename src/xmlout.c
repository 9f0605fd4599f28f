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

/* (transfer full): @text with each "Ã©"-like pair undone: U+00C2 or U+00C3
 * and a character from U+0080 to U+00BF, which are the two bytes of one
 * UTF-8 character read as Latin-1, as the character itself; again while
 * any is left (text encoded twice). NULL if there was none. */
static char *
utf8_read_as_latin1(const char *text)
{
	g_autoptr(GString) s = NULL;
	gboolean again = TRUE;

	/* U+00C2, U+00C3: most text has neither, and is left at once */
	if (strstr(text, "\xc3\x82") == NULL &&
	    strstr(text, "\xc3\x83") == NULL)
		return NULL;
	while (again) {
		const char *p = s != NULL ? s->str : text;
		GString *out = g_string_sized_new(strlen(p));

		again = FALSE;
		while (*p != '\0') {
			gunichar c = g_utf8_get_char(p);
			const char *q = g_utf8_next_char(p);
			gunichar n = *q != '\0' ? g_utf8_get_char(q) : 0;

			if ((c == 0xc2 || c == 0xc3) && n >= 0x80 &&
			    n <= 0xbf) {
				g_string_append_unichar(out, ((c & 0x1f) << 6) |
				                                 (n & 0x3f));
				p = g_utf8_next_char(q);
				again = TRUE;
				continue;
			}
			g_string_append_len(out, p, q - p);
			p = q;
		}
		if (s != NULL)
			g_string_free(s, TRUE);
		s = out;
		if (!again && strcmp(s->str, text) == 0)
			return NULL;
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

char *
evf_xml_clean(const char *text)
{
	char *clean = evf_text_sanitize(text, -1);
	char *fixed;
	g_auto(GStrv) parts = NULL;

	if (clean == NULL)
		return NULL;
	fixed = utf8_read_as_latin1(clean);
	if (fixed != NULL) {
		g_free(clean);
		clean = fixed;
	}
	if (strstr(clean, "\xef\xbf\xbd") == NULL)
		return clean;
	parts = g_strsplit(clean, "\xef\xbf\xbd", -1);
	g_free(clean);
	return g_strjoinv("?", parts);
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
	g_autofree char *end = evf_event_w3c_end(ev);
	g_autoptr(GString) organizers = g_string_new(NULL);
	gboolean ok = TRUE;

	for (guint i = 0; i < ev->organizers->len; i++)
		g_string_append_printf(
		    organizers, "%s%s", i > 0 ? "; " : "",
		    (char *)g_ptr_array_index(ev->organizers, i));
	ok &= evf_xml_element(w, "ev:startdate", start);
	ok &= evf_xml_element(w, "ev:enddate", end);
	ok &= evf_xml_text(w, "ev:location", ev->location);
	ok &= evf_xml_text(w, "ev:organizer",
	                   organizers->len > 0 ? organizers->str : NULL);
	return ok;
}
