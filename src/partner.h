/*
 * partner.h: partner sources, between the fetcher and the state. Nothing a
 * partner does (failing, answering garbage, suddenly listing nothing) can
 * take away what it listed before: the last good items stay in the state
 * until a good answer replaces them, and a sudden drop in their number is
 * held until later fetches confirm it.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include "config.h"
#include "fetch.h"
#include "store.h"

/* Fetches after which a sudden drop (under half the items, or none) is
 * believed. */
#define EVF_PARTNER_HOLD_FETCHES 2

/* (transfer full): the User-Agent: evfeed, its version and the site. */
char *evf_partner_user_agent(const EvfConfig *cfg);

/* Whether @src should be fetched at @now (µs): enabled, not gone, due. */
gboolean evf_partner_due(const EvfSourceConfig *src, EvfStore *store,
                         gint64 now);

/* How many sources may be in progress at once (being fetched, or fetched
 * and waiting for their parser): a few more than the parsers can take, so
 * that they always have work. It bounds the memory of a pass by the byte
 * caps of that many sources, whatever the number of sources. */
guint evf_partner_window(void);

/* A fetch result on its way from the fetcher to the state. */
typedef struct _EvfPartnerParse EvfPartnerParse;
typedef void (*EvfPartnerParsed)(EvfPartnerParse *job, gpointer data);

/* Parses @res (transfer full; the fetch of a configured source at @now):
 * a digest of the body and, when the body is new, the parser (for
 * iCalendar, its sandboxed child), in a pool of as many threads as
 * processors, so that the loop keeps fetching meanwhile. Then calls @done
 * with the job on the caller's thread-default main context. */
void evf_partner_parse_async(const EvfConfig *cfg, EvfStore *store,
                             EvfFetchResult *res, gint64 now,
                             EvfPartnerParsed done, gpointer data);
/* (transfer none): the fetch result @job was made for. */
EvfFetchResult *evf_partner_parse_result(EvfPartnerParse *job);
/* (transfer none) (element-type utf8): what evf_partner_apply_parsed found
 * worth telling about the source, one line each, unescaped: a permanent
 * redirect, a 410, and what the importer of a new body could not read as
 * written (a floating time or an unknown time zone taken as UTC). */
GPtrArray *evf_partner_parse_notes(EvfPartnerParse *job);
void evf_partner_parse_free(EvfPartnerParse *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfPartnerParse, evf_partner_parse_free)

/* Records @job (parsed by evf_partner_parse_async) in the state: keeps or
 * replaces the source's items, and schedules the next fetch (interval,
 * Retry-After, max-age, backoff with jitter). Sets *changed when the
 * stored items changed; adds to the job's notes. Returns FALSE when the
 * fetch failed, with *why (transfer full) saying why in words. On the
 * loop, with the current configuration, in which the source must still
 * be. A result for a URL that is no longer the source's (the
 * configuration changed during the fetch) is discarded: nothing is
 * recorded, and TRUE is returned. */
gboolean evf_partner_apply_parsed(const EvfConfig *cfg, EvfStore *store,
                                  EvfPartnerParse *job, gboolean *changed,
                                  char **why);

/* The request for @src at @now (µs): with the validators of its last good
 * answer, unless its items are due to be made again from a full answer
 * (once a day: a series is taken as its occurrences nearest to the time of
 * the parse). */
void evf_partner_request(const EvfSourceConfig *src, EvfStore *store,
                         const EvfSourceState *st, gint64 now,
                         EvfFetchRequest *req);
/* One pass over the enabled sources (or only @only), due or not (with
 * @only_due: only those due, as the daemon would fetch them), in parallel;
 * waits for all of them. A source gone (HTTP 410) is fetched only when
 * @only names it. Each note (evf_partner_parse_notes) adds "NAME: note"
 * to @notes, each failure "NAME: why" to @failures. FALSE with @error
 * when @only names no enabled source. */
gboolean evf_partner_fetch_all(const EvfConfig *cfg, EvfStore *store,
                               const char *only, gboolean only_due,
                               GPtrArray *notes, GPtrArray *failures,
                               GError **error);

/* (transfer full): source name → GPtrArray of its last good items, for the
 * enabled sources; sources no longer configured are forgotten. */
GHashTable *evf_partner_items(const EvfConfig *cfg, EvfStore *store);

/* Whether the items of @src kept in @store were read otherwise than it now
 * would read them (other words in include= or exclude=, link= set or
 * not): its next fetch reads it again in full; until then a build shows
 * those of them that its settings now choose. */
gboolean evf_partner_read_otherwise(const EvfSourceConfig *src,
                                    EvfStore *store);

/* (transfer full): a revision of all partner items, for build digests. */
char *evf_partner_revision(EvfStore *store);

/* (transfer full): the state of every configured source as JSON (the
 * daemon's /status.json). */
GBytes *evf_partner_status_json(const EvfConfig *cfg, EvfStore *store,
                                gint64 now);

/* Prints the `evfeed sources` table. */
void evf_partner_print_table(const EvfConfig *cfg, EvfStore *store, gint64 now,
                             FILE *out);
