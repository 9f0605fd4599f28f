/*
 * markdown.h: an event's Markdown description, rendered once into the two
 * forms the outputs need: safe HTML (feeds, X-ALT-DESC) and plain text with
 * link targets kept (the iCalendar DESCRIPTION).
 */
#pragma once

#include <glib.h>

/* Renders @markdown (UTF-8, already size-checked). Relative links resolve
 * against @base_url. Raw HTML is dropped, and so are links to anything but
 * http, https and mailto (their text stays). Sets *html and *text
 * (transfer full). */
void evf_markdown_render(const char *markdown, const char *base_url,
                         char **html, char **text);
