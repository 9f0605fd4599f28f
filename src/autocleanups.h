/*
 * autocleanups.h: g_autoptr() cleanups for the foreign types evfeed owns,
 * defined once so that every error path frees what it holds.
 */
#pragma once

#include <glib.h>
#include <libical/ical.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlreader.h>
#include <sqlite3.h>
#include <yaml.h>
#include <cmark-gfm.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(icalcomponent, icalcomponent_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(icalproperty, icalproperty_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlTextWriter, xmlFreeTextWriter)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlBuffer, xmlBufferFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlTextReader, xmlFreeTextReader)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(cmark_node, cmark_node_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(cmark_parser, cmark_parser_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(yaml_parser_t, yaml_parser_delete)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(yaml_event_t, yaml_event_delete)

/* libical 4 renamed the clone functions; 3.0 has only the old names. */
#if ICAL_MAJOR_VERSION < 4
#define icalcomponent_clone icalcomponent_new_clone
#endif
