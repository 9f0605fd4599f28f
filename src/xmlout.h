/*
 * xmlout.h: what the RSS and Atom writers share: dates in RFC 3339, text
 * elements with control characters removed, and the mod_event elements of an
 * event.
 */
#pragma once

#include <glib.h>
#include <libxml/xmlwriter.h>
#include "event.h"

/* (transfer full): an empty buffer that doubles as it grows. libxml2 2.9
 * grows a buffer by what is added ("exact"), so that writing a document of
 * n bytes in small pieces copies it about n / 4000 times over, and with
 * realloc unable to grow in place (as under AddressSanitizer) its cost is
 * quadratic: a 200 kB fragment took seconds. */
xmlBuffer *evf_xml_buffer_new(void);

/* (transfer full): @usec as RFC 3339 in UTC; fractions only when not 0. */
char *evf_xml_rfc3339(gint64 usec);

/* (transfer full): @text sanitised for XML 1.0 (evf_text_sanitize), with
 * each U+FFFD REPLACEMENT CHARACTER (the mark of a character lost to a
 * wrong encoding, in a partner's text or made from bytes that were not
 * UTF-8) as "?": feed readers and the W3C Feed Validation Service take it
 * for text decoded wrongly (BadCharacters). Text encoded twice ("CafÃ©")
 * is mended where partners' text enters evfeed (evf_import_mend_text), so
 * that the calendars and pages show the same text as the feeds. NULL for
 * NULL. */
char *evf_xml_clean(const char *text);

/* Writes <name>text</name>; @text is cleaned by evf_xml_clean. TRUE on
 * success; a NULL @text writes nothing. */
gboolean evf_xml_element(xmlTextWriter *w, const char *name, const char *text);

/* Writes <name>text</name> for a plain-text element (a title, a category,
 * a place): as evf_xml_element, with "&" and "<" as the hexadecimal
 * character references "&#x26;" and "&#x3C;", as the RSS Best Practices
 * Profile asks; the W3C validator otherwise reports text such as
 * "Q&amp;A <online>" as HTML (CharacterData, ContainsHTML). */
gboolean evf_xml_text(xmlTextWriter *w, const char *name, const char *text);
/* Writes @text as the content of the element just started, as
 * evf_xml_text does. */
gboolean evf_xml_write_text(xmlTextWriter *w, const char *text);

/* Writes ev:startdate, ev:enddate, ev:location and ev:organizer. */
gboolean evf_xml_event(xmlTextWriter *w, const EvfEvent *ev);
