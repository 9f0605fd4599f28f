/*
 * websub.c: see websub.h. One ping per hub and topic at a time: a topic
 * published again while its ping is in flight is pinged once more when the
 * answer comes (the hub must fetch the newest bytes), and one waiting for a
 * retry is pinged at once. The network is fetch.c's: libcurl's multi
 * interface on the GLib main loop, with its limits (http and https only,
 * timeouts, a cap on the answer), and no redirects for a POST.
 */
#include "autoconf.h"
#include "websub.h"

#include "fetch.h"
#include "util.h"

#include <string.h>

#define FIRST_DELAY 2    /* seconds before the first retry; then ×4 */
#define MAX_DELAY   3600 /* whatever Retry-After asks */
#define MAX_ANSWER  (64 * 1024)

struct _EvfWebsub {
	GMainContext *context; /* the thread-default one at creation */
	EvfFetcher *fetcher;
	GHashTable *pings; /* "hub\ntopic" → Ping */
	guint timeout;
	guint attempts;
	/* evf_websub_ping_now: failures are counted, not logged */
	gboolean quiet;
	guint failed;
	char *first_failure;
};

typedef struct {
	EvfWebsub *ws;
	char *key;
	char *hub;
	char *topic;
	guint failures; /* in a row */
	gboolean in_flight;
	gboolean again;   /* published again while in flight */
	gboolean dropped; /* its hub no longer configured: forgotten once
	                   * the answer in flight comes */
	GSource *timer;   /* nullable: the retry to come */
} Ping;

gboolean
evf_websub_is_feed(const char *path)
{
	g_auto(GStrv) parts = NULL;
	const char *base;
	guint n;

	g_return_val_if_fail(path != NULL, FALSE);
	parts = g_strsplit(path, "/", -1);
	n = g_strv_length(parts);
	if (n == 0)
		return FALSE;
	base = parts[n - 1];
	if (strcmp(base, "rss.xml") != 0 && strcmp(base, "atom.xml") != 0 &&
	    strcmp(base, "feed.json") != 0)
		return FALSE;
	return n == 1 || (n == 3 && parts[1][0] != '\0' &&
	                  (strcmp(parts[0], "category") == 0 ||
	                   strcmp(parts[0], "source") == 0));
}

GPtrArray *
evf_websub_topics(const EvfConfig *cfg, GPtrArray *paths)
{
	GPtrArray *topics = g_ptr_array_new_with_free_func(g_free);

	g_return_val_if_fail(cfg != NULL, topics);
	for (guint i = 0; paths != NULL && i < paths->len; i++) {
		const char *path = g_ptr_array_index(paths, i);

		if (evf_websub_is_feed(path))
			g_ptr_array_add(topics, evf_config_url(cfg, path));
	}
	return topics;
}

char *
evf_websub_form(const char *topic)
{
	g_autofree char *escaped = g_uri_escape_string(topic, NULL, FALSE);

	return g_strconcat("hub.mode=publish&hub.url=", escaped, NULL);
}

char *
evf_websub_link_header(const char *hub, const char *self)
{
	return g_strdup_printf("<%s>; rel=\"hub\", <%s>; rel=\"self\"", hub,
	                       self);
}

static void
ping_free(gpointer p)
{
	Ping *ping = p;

	if (ping->timer != NULL) {
		g_source_destroy(ping->timer);
		g_source_unref(ping->timer);
	}
	g_free(ping->key);
	g_free(ping->hub);
	g_free(ping->topic);
	g_free(ping);
}

static void send_ping(Ping *ping);

static gboolean
on_retry(gpointer data)
{
	Ping *ping = data;

	g_clear_pointer(&ping->timer, g_source_unref);
	send_ping(ping);
	return G_SOURCE_REMOVE;
}

static void
on_answer(EvfFetchResult *res, gpointer data)
{
	g_autoptr(EvfFetchResult) owned = res;
	Ping *ping = data;
	EvfWebsub *ws = ping->ws;
	g_autofree char *why = NULL;
	guint delay;

	ping->in_flight = FALSE;
	if (ping->dropped) {
		g_hash_table_remove(ws->pings, ping->key);
		return;
	}
	if (ping->again) {
		ping->again = FALSE;
		ping->failures = 0;
		send_ping(ping);
		return;
	}
	if (res->error == NULL) {
		g_debug("websub: pinged '%s' for '%s' (HTTP %ld)", ping->hub,
		        ping->topic, res->status);
		g_hash_table_remove(ws->pings, ping->key);
		return;
	}
	why = evf_log_escape(res->error);
	ping->failures++;
	if (ws->quiet) {
		ws->failed++;
		if (ws->first_failure == NULL)
			ws->first_failure = g_strdup_printf(
			    "'%s' for '%s': %s", ping->hub, ping->topic, why);
		g_hash_table_remove(ws->pings, ping->key);
		return;
	}
	if (ping->failures >= ws->attempts) {
		g_warning("websub: cannot ping the hub '%s' for '%s': %s; "
		          "giving up after %u attempts",
		          ping->hub, ping->topic, why, ping->failures);
		g_hash_table_remove(ws->pings, ping->key);
		return;
	}
	delay = FIRST_DELAY;
	for (guint i = 1; i < ping->failures && delay < MAX_DELAY; i++)
		delay *= 4;
	if (res->retry_after > delay)
		delay = (guint)MIN(res->retry_after, MAX_DELAY);
	delay = MIN(delay, MAX_DELAY);
	g_warning("websub: cannot ping the hub '%s' for '%s': %s; retrying "
	          "in %u s",
	          ping->hub, ping->topic, why, delay);
	ping->timer = g_timeout_source_new_seconds(delay);
	g_source_set_callback(ping->timer, on_retry, ping, NULL);
	g_source_attach(ping->timer, ws->context);
}

static void
send_ping(Ping *ping)
{
	EvfWebsub *ws = ping->ws;
	g_autofree char *form = evf_websub_form(ping->topic);
	EvfFetchRequest req = { 0 };

	req.name = ping->topic;
	req.url = ping->hub;
	req.timeout = ws->timeout;
	req.max_bytes = MAX_ANSWER;
	req.form = form;
	ping->in_flight = TRUE;
	evf_fetcher_add(ws->fetcher, &req, on_answer, ping);
}

EvfWebsub *
evf_websub_new(const char *user_agent, guint timeout, guint attempts)
{
	EvfWebsub *ws;

	g_return_val_if_fail(timeout > 0 && attempts > 0, NULL);
	ws = g_new0(EvfWebsub, 1);
	ws->context = g_main_context_ref_thread_default();
	ws->fetcher = evf_fetcher_new(user_agent);
	ws->pings =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, ping_free);
	ws->timeout = timeout;
	ws->attempts = attempts;
	return ws;
}

void
evf_websub_free(EvfWebsub *ws)
{
	if (ws == NULL)
		return;
	/* The fetcher goes first: it drops the transfers in flight without
	 * calling back into pings that are about to go. */
	evf_fetcher_free(ws->fetcher);
	g_hash_table_unref(ws->pings);
	g_main_context_unref(ws->context);
	g_free(ws->first_failure);
	g_free(ws);
}

void
evf_websub_publish(EvfWebsub *ws, const char *hub, GPtrArray *topics)
{
	g_return_if_fail(ws != NULL && hub != NULL && topics != NULL);

	for (guint i = 0; i < topics->len; i++) {
		const char *topic = g_ptr_array_index(topics, i);
		g_autofree char *key = g_strconcat(hub, "\n", topic, NULL);
		Ping *ping = g_hash_table_lookup(ws->pings, key);

		if (ping != NULL && ping->in_flight) {
			ping->again = TRUE;
			ping->dropped = FALSE;
			continue;
		}
		if (ping == NULL) {
			ping = g_new0(Ping, 1);
			ping->ws = ws;
			ping->key = g_steal_pointer(&key);
			ping->hub = g_strdup(hub);
			ping->topic = g_strdup(topic);
			g_hash_table_insert(ws->pings, ping->key, ping);
		}
		if (ping->timer != NULL) {
			g_source_destroy(ping->timer);
			g_clear_pointer(&ping->timer, g_source_unref);
		}
		ping->failures = 0;
		send_ping(ping);
	}
}

void
evf_websub_keep_hub(EvfWebsub *ws, const char *hub)
{
	GHashTableIter it;
	gpointer value;

	g_return_if_fail(ws != NULL);
	g_hash_table_iter_init(&it, ws->pings);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		Ping *ping = value;

		if (g_strcmp0(ping->hub, hub) == 0)
			continue;
		/* (the fetcher still holds one in flight) */
		if (ping->in_flight)
			ping->dropped = TRUE;
		else
			g_hash_table_iter_remove(&it);
	}
}

guint
evf_websub_pending(EvfWebsub *ws)
{
	GHashTableIter it;
	gpointer value;
	guint n = 0;

	g_hash_table_iter_init(&it, ws->pings);
	while (g_hash_table_iter_next(&it, NULL, &value))
		n += !((Ping *)value)->dropped;
	return n;
}

static gboolean
on_deadline(gpointer data)
{
	gboolean *expired = data;

	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

gboolean
evf_websub_ping_now(const char *hub, GPtrArray *topics, const char *user_agent,
                    guint timeout, GError **error)
{
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GSource) deadline = g_timeout_source_new_seconds(timeout);
	EvfWebsub *ws;
	gboolean expired = FALSE;
	guint left, failed;
	gboolean ok;

	g_return_val_if_fail(hub != NULL && topics != NULL, FALSE);
	g_main_context_push_thread_default(ctx);
	ws = evf_websub_new(user_agent, timeout, 1);
	ws->quiet = TRUE;
	g_source_set_callback(deadline, on_deadline, &expired, NULL);
	g_source_attach(deadline, ctx);
	evf_websub_publish(ws, hub, topics);
	while (evf_websub_pending(ws) > 0 && !expired)
		g_main_context_iteration(ctx, TRUE);
	g_source_destroy(deadline);

	left = evf_websub_pending(ws);
	failed = ws->failed + left;
	ok = failed == 0;
	if (!ok && ws->first_failure != NULL)
		g_set_error(error, EVF_ERROR, EVF_ERROR_FAILED,
		            "cannot ping the WebSub hub %s (%u of %u feeds "
		            "failed)",
		            ws->first_failure, failed, topics->len);
	else if (!ok)
		g_set_error(error, EVF_ERROR, EVF_ERROR_FAILED,
		            "cannot ping the WebSub hub '%s': no answer within "
		            "%u s (%u of %u feeds failed)",
		            hub, timeout, failed, topics->len);
	evf_websub_free(ws);
	g_main_context_pop_thread_default(ctx);
	return ok;
}
