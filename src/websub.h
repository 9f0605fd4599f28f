/*
 * websub.h: telling a WebSub hub that feeds changed (W3C WebSub; the
 * discovery links are written by the feed writers and the snapshot). The
 * ping is the de-facto one: POST hub.mode=publish&hub.url=<topic> as
 * application/x-www-form-urlencoded, where the topic is a feed's public
 * URL, its rel="self". Only rss.xml, atom.xml and feed.json of the site, of
 * each category and of each partner source are topics.
 */
#pragma once

#include <glib.h>
#include "config.h"

/* Whether @path (relative to the output root) is a feed a hub is told
 * about: rss.xml, atom.xml or feed.json at the root, in category/NAME/ or
 * in source/NAME/. */
gboolean evf_websub_is_feed(const char *path);

/* (transfer full) (element-type utf8): the public URLs of the feeds among
 * @paths (element-type utf8, relative to the output root), in order. */
GPtrArray *evf_websub_topics(const EvfConfig *cfg, GPtrArray *paths);

/* (transfer full): the body of a ping for @topic, every character of the
 * URL that is not unreserved percent-encoded. */
char *evf_websub_form(const char *topic);

/* (transfer full): the HTTP Link header of a feed: "<HUB>; rel="hub",
 * <SELF>; rel="self"". */
char *evf_websub_link_header(const char *hub, const char *self);

typedef struct _EvfWebsub EvfWebsub;

/* (transfer full): a publisher on the thread-default main context, with a
 * fetcher of its own (so that a slow hub never delays partner fetches).
 * Each ping may take @timeout seconds; a failed one (no answer, or not 2xx)
 * is logged in one line and tried again after 2, 8, 32… seconds (or what
 * the hub's Retry-After asks) until @attempts in all. */
EvfWebsub *evf_websub_new(const char *user_agent, guint timeout,
                          guint attempts);
/* Abandons the pings in flight or waiting for a retry. */
void evf_websub_free(EvfWebsub *ws);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfWebsub, evf_websub_free)

/* Pings @hub for each of @topics (element-type utf8), from the main loop;
 * returns at once. A topic already waiting for a retry is pinged now, and
 * one in flight is pinged again when the answer comes. */
void evf_websub_publish(EvfWebsub *ws, const char *hub, GPtrArray *topics);

/* Abandons the pings of other hubs than @hub (nullable: of every hub),
 * waiting for a retry or in flight (which is not tried again): a hub
 * taken out of the configuration is no longer contacted. */
void evf_websub_keep_hub(EvfWebsub *ws, const char *hub);

/* Pings not yet answered with success nor given up. */
guint evf_websub_pending(EvfWebsub *ws);

/* Pings @hub for @topics once each and waits for the answers, at most
 * @timeout seconds in all (for `evfeed build`). Returns FALSE with @error
 * set, naming the first failure and how many failed, when any did. */
gboolean evf_websub_ping_now(const char *hub, GPtrArray *topics,
                             const char *user_agent, guint timeout,
                             GError **error);
