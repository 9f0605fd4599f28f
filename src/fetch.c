/*
 * fetch.c: see fetch.h. The GLib wiring follows curl's ghiper.c example:
 * libcurl tells which sockets to watch and when to time out; GLib calls
 * back into curl_multi_socket_action.
 *
 * libcurl 7.88 (Debian 12) enforces CURLOPT_MAXFILESIZE only on a
 * Content-Length announced up front, and not on decompressed data, and
 * follows redirects without limit by default: the cap is counted here, in
 * the write callback, on decoded bytes, and the redirect limit is set.
 * Addresses are checked in the open-socket callback, after resolution and
 * for every connection including redirects, so DNS rebinding cannot slip
 * a private address past the check.
 */
#include "autoconf.h"
#include "fetch.h"

#include "util.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

struct _EvfFetcher {
	GMainContext *context; /* the thread-default one at creation */
	CURLM *multi;
	char *user_agent;
	guint timer;
	GHashTable *sockets;   /* curl_socket_t → Watch */
	GHashTable *transfers; /* the Transfers in flight or waiting */
	/* host key → GQueue of the Transfers waiting for that host: the key
	 * is there while one Transfer to that host is in flight */
	GHashTable *hosts;
	guint pending;
};

typedef struct {
	EvfFetcher *fetcher;
	CURL *easy;
	char *host; /* nullable: the key of the request URL's host */
	struct curl_slist *headers;
	GByteArray *body;
	gsize max_bytes;
	char *limit; /* EvfFetchRequest's */
	gboolean too_large;
	gsize header_bytes; /* of every response's header and trailer lines */
	gboolean allow_private;
	gboolean refused_private;
	gboolean post;
	gboolean conditional; /* validators were sent */
	gboolean temporary;   /* a redirect so far was not permanent */
	EvfFetchResult *res;
	EvfFetchDone done;
	gpointer user_data;
	char errbuf[CURL_ERROR_SIZE];
} Transfer;

typedef struct {
	GMainContext *context;
	GIOChannel *channel;
	guint source;
} Watch;

void
evf_fetch_result_free(EvfFetchResult *res)
{
	if (res == NULL)
		return;
	g_free(res->name);
	g_free(res->url);
	g_free(res->error);
	if (res->body != NULL)
		g_bytes_unref(res->body);
	g_free(res->etag);
	g_free(res->last_modified);
	g_free(res->moved_to);
	g_free(res->content_type);
	g_free(res->final_url);
	g_free(res);
}

/* Whether the IPv4 address @be (in network byte order) is not public. */
static gboolean
ipv4_is_private(guint32 be)
{
	guint32 a = ntohl(be);

	return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
	       (a >> 22) == (100u << 2 | 1) ||          /* 100.64/10 */
	       (a >> 16) == (169u << 8 | 254) ||        /* 169.254/16 */
	       (a >> 20) == (172u << 4 | 1) ||          /* 172.16/12 */
	       (a >> 16) == (192u << 8 | 168) ||        /* 192.168/16 */
	       (a >> 8) == (192u << 16 | 0 << 8 | 0) || /* 192.0.0/24 */
	       (a >> 28) >= 14;                         /* 224/4, 240/4 */
}

gboolean
evf_fetch_address_is_private(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ipv4_is_private(
		    ((const struct sockaddr_in *)sa)->sin_addr.s_addr);
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)sa)->sin6_addr;

		/* The IPv4 address inside is judged as it is: a struct
		 * sockaddr_in made here and passed back to this function is
		 * read through another type, and GCC 12 -O2 dropped the store
		 * of its family (the answer was whatever the stack held). */
		if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
			guint32 v4;

			memcpy(&v4, &a->s6_addr[12], 4);
			return ipv4_is_private(v4);
		}
		return IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
		       IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) ||
		       IN6_IS_ADDR_MULTICAST(a) ||
		       (a->s6_addr[0] & 0xfe) == 0xfc; /* fc00::/7 */
	}
	return TRUE;
}

/* A source whose own URL names a private host may use private addresses
 * (a partner on the intranet, or a test server); others never may, even
 * through a redirect. */
static gboolean
url_is_private(const char *url)
{
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	const char *host = uri ? g_uri_get_host(uri) : NULL;
	g_autoptr(GInetAddress) ia = NULL;
	g_autoptr(GSocketAddress) sa = NULL;
	struct sockaddr_storage ss;

	if (host == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(host, "localhost") == 0)
		return TRUE;
	ia = g_inet_address_new_from_string(host);
	if (ia == NULL)
		return FALSE;
	sa = g_inet_socket_address_new(ia, 0);
	if (!g_socket_address_to_native(sa, &ss, sizeof ss, NULL))
		return FALSE;
	return evf_fetch_address_is_private((struct sockaddr *)&ss);
}

static curl_socket_t
open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr)
{
	Transfer *t = clientp;

	if (!t->allow_private && evf_fetch_address_is_private(&addr->addr)) {
		t->refused_private = TRUE;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype | SOCK_CLOEXEC,
	              addr->protocol);
}

static size_t
on_body(char *data, size_t size, size_t n, void *userp)
{
	Transfer *t = userp;
	gsize len = size * n;

	/* Decoded bytes: this is where a gzip bomb is stopped. */
	if (t->body->len + len > t->max_bytes) {
		t->too_large = TRUE;
		return CURL_WRITEFUNC_ERROR;
	}
	g_byte_array_append(t->body, (const guint8 *)data, (guint)len);
	return len;
}

static char *
header_value(const char *line, gsize len, const char *name)
{
	gsize n = strlen(name);

	if (len <= n + 1 || g_ascii_strncasecmp(line, name, n) != 0 ||
	    line[n] != ':')
		return NULL;
	return g_strstrip(g_strndup(line + n + 1, len - n - 1));
}

/* The most header and trailer lines a transfer takes, of all its
 * responses (redirects, 1xx): libcurl 7.88 caps a response's header at
 * 300 KB (and a line of it at 100 KB: describe), but keeps a chunked body's
 * trailer lines without end (a partner sending them took the daemon to 5 GB
 * before its timeout), and passes them here. */
#define MAX_HEADER_BYTES (1024 * 1024)

static size_t
on_header(char *data, size_t size, size_t n, void *userp)
{
	Transfer *t = userp;
	gsize len = size * n;
	char *v;

	t->header_bytes += len;
	if (t->header_bytes > MAX_HEADER_BYTES)
		return 0; /* CURLE_WRITE_ERROR */

	/* Each response of a redirect chain starts with its status line:
	 * only the last response's headers count. */
	if (len > 5 && strncmp(data, "HTTP/", 5) == 0) {
		g_clear_pointer(&t->res->etag, g_free);
		g_clear_pointer(&t->res->last_modified, g_free);
		t->res->max_age = -1;
		return len;
	}
	if ((v = header_value(data, len, "ETag")) != NULL) {
		g_free(t->res->etag);
		t->res->etag = evf_text_oneline(v);
		g_free(v);
	} else if ((v = header_value(data, len, "Last-Modified")) != NULL) {
		g_free(t->res->last_modified);
		t->res->last_modified = evf_text_oneline(v);
		g_free(v);
	} else if ((v = header_value(data, len, "Cache-Control")) != NULL) {
		g_auto(GStrv) parts = g_strsplit(v, ",", -1);

		for (guint i = 0; parts[i] != NULL; i++) {
			const char *p = g_strstrip(parts[i]);

			if (g_ascii_strncasecmp(p, "max-age=", 8) == 0)
				t->res->max_age =
				    g_ascii_strtoll(p + 8, NULL, 10);
		}
		g_free(v);
	} else if ((v = header_value(data, len, "Location")) != NULL) {
		long code = 0;

		curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
		/* Behind a temporary redirect, a permanent one moves the
		 * temporary address, not the configured one. */
		if ((code == 301 || code == 308) && !t->temporary) {
			char *base = NULL;
			g_autofree char *to = NULL;
			g_autofree char *bare = NULL;

			/* A relative Location is relative to the URL that
			 * answered (RFC 9110 §10.2.2): that is the address
			 * to copy into the configuration. */
			curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL,
			                  &base);
			if (base != NULL)
				to = g_uri_resolve_relative(
				    base, v, G_URI_FLAGS_NONE, NULL);
			bare = evf_uri_without_userinfo(to ? to : v);
			g_free(t->res->moved_to);
			t->res->moved_to = evf_text_oneline(bare);
		} else if (code >= 300 && code <= 399) {
			t->temporary = TRUE;
		}
		g_free(v);
	}
	return len;
}

static const char *
describe(Transfer *t, CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return "timed out (the server is too slow or does not answer)";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "unknown host (DNS)";
	case CURLE_COULDNT_CONNECT:
		return t->refused_private
		           ? "refused: the address is private or local"
		           : "cannot connect";
	case CURLE_TOO_MANY_REDIRECTS:
		return "too many redirects (more than 5)";
	case CURLE_UNSUPPORTED_PROTOCOL:
		return strcmp(evf_fetch_redirect_protocols(t->res->url),
		              "https") == 0
		           ? "refused: redirected from https to plain http "
		             "(or another protocol); only https is followed "
		             "from an https address"
		           : "refused: only http and https are fetched";
	case CURLE_WRITE_ERROR:
		return "cannot store the body";
	case CURLE_PARTIAL_FILE:
		return "truncated: the connection closed before the end";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
		return "TLS failed (certificate or handshake)";
	case CURLE_BAD_CONTENT_ENCODING:
		return "bad content encoding";
	case CURLE_RECV_ERROR:
		/* libcurl 7.88 caps a response's header lines at 300 KB,
		 * and says so only in its error text */
		if (g_str_has_prefix(t->errbuf, "Too large response headers"))
			return "too large: response header lines over 300 KB";
		return "the connection broke";
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		return "the connection broke";
	case CURLE_OUT_OF_MEMORY:
		/* and one line over 100 KB, of which it says nothing */
		return t->errbuf[0] != '\0'
		           ? t->errbuf
		           : "a response header line over 100 KB (or out of "
		             "memory)";
	default:
		return t->errbuf[0] != '\0' ? t->errbuf
		                            : curl_easy_strerror(rc);
	}
}

const char *
evf_fetch_redirect_protocols(const char *url)
{
	return g_ascii_strncasecmp(url, "https:", 6) == 0 ? "https"
	                                                  : "http,https";
}

/* (transfer full) (nullable): what names the host of @url for the
 * one-connection-per-host rule, as libcurl tells its connections apart:
 * the host and the port, whatever their spelling. */
static char *
host_key(const char *url)
{
	g_autoptr(GUri) uri =
	    g_uri_parse(url, G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
	const char *scheme;
	int port;

	if (uri == NULL || g_uri_get_host(uri) == NULL)
		return NULL;
	scheme = g_uri_get_scheme(uri);
	port = g_uri_get_port(uri);
	if (port < 0)
		port = g_ascii_strcasecmp(scheme, "https") == 0 ? 443 : 80;
	return g_strdup_printf("%s:%d", g_uri_get_host(uri), port);
}

/* The transfer to @host (nullable) ended: the next one waiting for that
 * host starts, over the same connection when the server keeps it. */
static void
host_next(EvfFetcher *f, const char *host)
{
	GQueue *waiting;

	if (host == NULL ||
	    (waiting = g_hash_table_lookup(f->hosts, host)) == NULL)
		return;
	if (g_queue_is_empty(waiting))
		g_hash_table_remove(f->hosts, host);
	else
		curl_multi_add_handle(
		    f->multi, ((Transfer *)g_queue_pop_head(waiting))->easy);
}

static void
finish(EvfFetcher *f, CURL *easy, CURLcode rc)
{
	Transfer *t = NULL;
	EvfFetchResult *res;
	curl_off_t retry = 0;
	char *ct = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
	res = t->res;
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &res->status);
	if (curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK)
		res->retry_after = (gint64)retry;
	if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK &&
	    ct != NULL)
		res->content_type = evf_text_oneline(ct);
	{
		char *effective = NULL;

		if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL,
		                      &effective) == CURLE_OK &&
		    effective != NULL)
			res->final_url = evf_text_oneline(effective);
	}

	if (rc == CURLE_FILESIZE_EXCEEDED ||
	    (rc == CURLE_WRITE_ERROR && t->too_large)) {
		res->error = g_strdup_printf("too large (over %s)", t->limit);
	} else if (rc == CURLE_WRITE_ERROR &&
	           t->header_bytes > MAX_HEADER_BYTES) {
		res->error = g_strdup_printf(
		    "too large: header and trailer lines over %u KiB",
		    MAX_HEADER_BYTES / 1024);
	} else if (rc != CURLE_OK) {
		res->error = g_strdup(describe(t, rc));
	} else if (res->status == 304 && t->conditional) {
		res->not_modified = TRUE;
	} else if (res->status == 304) {
		/* 304 answers a conditional request only (RFC 9110
		 * §15.4.5): to one without validators it says nothing of
		 * the feed, and taking it as "unchanged" would hide a
		 * broken server for ever. */
		res->error = g_strdup("HTTP 304 (not modified) to a request "
		                      "without validators");
	} else if (res->status < 200 || res->status > 299) {
		res->error = g_strdup_printf(
		    "HTTP %ld%s", res->status,
		    res->status == 410   ? " (gone)"
		    : res->status == 404 ? " (not found)"
		    : res->status == 429 ? " (too many requests)"
		    : res->status >= 500 ? " (server error)"
		                         : "");
	} else if (t->body->len == 0 && !t->post) {
		res->error = g_strdup("empty body");
	} else {
		gsize len = t->body->len;

		res->body = g_bytes_new_take(
		    g_byte_array_free(g_steal_pointer(&t->body), FALSE), len);
	}

	g_hash_table_remove(f->transfers, t);
	curl_multi_remove_handle(f->multi, easy);
	curl_easy_cleanup(easy);
	curl_slist_free_all(t->headers);
	if (t->body != NULL)
		g_byte_array_unref(t->body);
	f->pending--;
	host_next(f, t->host);
	g_free(t->host);
	g_free(t->limit);
	t->done(res, t->user_data);
	g_free(t);
}

/* A transfer dropped unfinished: its callback is never called. */
static void
transfer_drop(gpointer p)
{
	Transfer *t = p;

	curl_multi_remove_handle(t->fetcher->multi, t->easy);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	if (t->body != NULL)
		g_byte_array_unref(t->body);
	evf_fetch_result_free(t->res);
	g_free(t->host);
	g_free(t->limit);
	g_free(t);
}

static gboolean
drop_one(gpointer key, gpointer value, gpointer data)
{
	transfer_drop(key);
	return TRUE;
}

static void
check_done(EvfFetcher *f)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE)
			finish(f, msg->easy_handle, msg->data.result);
}

static void
remove_source(GMainContext *ctx, guint id)
{
	GSource *src = g_main_context_find_source_by_id(ctx, id);

	if (src != NULL)
		g_source_destroy(src);
}

static gboolean
on_timeout(gpointer data)
{
	EvfFetcher *f = data;
	int running;

	f->timer = 0;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(f);
	return G_SOURCE_REMOVE;
}

static int
on_timer(CURLM *multi, long ms, void *userp)
{
	EvfFetcher *f = userp;

	if (f->timer != 0) {
		remove_source(f->context, f->timer);
		f->timer = 0;
	}
	if (ms >= 0) {
		GSource *src = g_timeout_source_new((guint)ms);

		g_source_set_callback(src, on_timeout, f, NULL);
		f->timer = g_source_attach(src, f->context);
		g_source_unref(src);
	}
	return 0;
}

static gboolean
on_io(GIOChannel *ch, GIOCondition cond, gpointer data)
{
	EvfFetcher *f = data;
	int fd = g_io_channel_unix_get_fd(ch);
	int action = 0, running;

	if (cond & G_IO_IN)
		action |= CURL_CSELECT_IN;
	if (cond & G_IO_OUT)
		action |= CURL_CSELECT_OUT;
	if (cond & (G_IO_ERR | G_IO_HUP))
		action |= CURL_CSELECT_ERR;
	curl_multi_socket_action(f->multi, fd, action, &running);
	check_done(f);
	return G_SOURCE_CONTINUE;
}

static void
watch_free(gpointer p)
{
	Watch *w = p;

	remove_source(w->context, w->source);
	g_io_channel_unref(w->channel);
	g_free(w);
}

static int
on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *sockp)
{
	EvfFetcher *f = userp;
	GIOCondition cond = 0;
	Watch *w;

	g_hash_table_remove(f->sockets, GINT_TO_POINTER(s));
	if (what == CURL_POLL_REMOVE)
		return 0;
	if (what & CURL_POLL_IN)
		cond |= G_IO_IN | G_IO_HUP | G_IO_ERR;
	if (what & CURL_POLL_OUT)
		cond |= G_IO_OUT | G_IO_ERR;
	w = g_new0(Watch, 1);
	w->context = f->context;
	w->channel = g_io_channel_unix_new(s);
	{
		GSource *src = g_io_create_watch(w->channel, cond);

		g_source_set_callback(src, (GSourceFunc)(void (*)(void))on_io,
		                      f, NULL);
		w->source = g_source_attach(src, f->context);
		g_source_unref(src);
	}
	g_hash_table_insert(f->sockets, GINT_TO_POINTER(s), w);
	return 0;
}

EvfFetcher *
evf_fetcher_new(const char *user_agent)
{
	EvfFetcher *f = g_new0(EvfFetcher, 1);

	f->context = g_main_context_ref_thread_default();
	f->multi = curl_multi_init();
	f->user_agent = g_strdup(user_agent);
	f->sockets = g_hash_table_new_full(NULL, NULL, NULL, watch_free);
	f->transfers = g_hash_table_new(NULL, NULL);
	f->hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                 (GDestroyNotify)g_queue_free);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	/* Be polite: one connection per partner host at a time. The
	 * transfers to one host are queued here (evf_fetcher_add), not in
	 * libcurl, whose timeout of a transfer runs while it waits for the
	 * host: a source behind a slow one would time out without having
	 * been asked. libcurl's own limit stays for the hosts that redirects
	 * lead to. */
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	return f;
}

void
evf_fetcher_free(EvfFetcher *f)
{
	if (f == NULL)
		return;
	/* Transfers still in flight are dropped first, while the socket
	 * table they may still be using is there. */
	g_hash_table_foreach_steal(f->transfers, drop_one, NULL);
	g_hash_table_unref(f->transfers);
	g_hash_table_unref(f->hosts);
	if (f->timer != 0)
		remove_source(f->context, f->timer);
	g_hash_table_unref(f->sockets);
	curl_multi_cleanup(f->multi);
	g_main_context_unref(f->context);
	g_free(f->user_agent);
	g_free(f);
}

guint
evf_fetcher_pending(EvfFetcher *f)
{
	return f->pending;
}

void
evf_fetcher_add(EvfFetcher *f, const EvfFetchRequest *req, EvfFetchDone done,
                gpointer user_data)
{
	Transfer *t = g_new0(Transfer, 1);
	CURL *e = curl_easy_init();
	GQueue *waiting;

	t->fetcher = f;
	t->easy = e;
	t->body = g_byte_array_new();
	t->max_bytes = req->max_bytes;
	t->limit = g_strdup(req->limit != NULL ? req->limit
	                                       : "the source's max_bytes");
	t->allow_private = url_is_private(req->url);
	t->done = done;
	t->user_data = user_data;
	t->res = g_new0(EvfFetchResult, 1);
	t->res->name = g_strdup(req->name);
	t->res->url = g_strdup(req->url);
	t->res->max_age = -1;
	t->host = host_key(req->url);
	t->conditional = req->etag != NULL || req->last_modified != NULL;

	if (req->etag != NULL) {
		g_autofree char *h =
		    g_strdup_printf("If-None-Match: %s", req->etag);
		t->headers = curl_slist_append(t->headers, h);
	}
	if (req->last_modified != NULL) {
		g_autofree char *h = g_strdup_printf("If-Modified-Since: %s",
		                                     req->last_modified);
		t->headers = curl_slist_append(t->headers, h);
	}
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR,
	                 evf_fetch_redirect_protocols(req->url));
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
	/* The source's timeout is the one limit on a transfer once it is
	 * connected, as evfeed.conf(5) says: a partner may think for long
	 * before it answers, or send slowly, as long as it is done within
	 * that time. A low-speed rule shorter than the timeout would fail
	 * partners that keep to it. */
	curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)req->timeout);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	                 (curl_off_t)req->max_bytes);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
	curl_easy_setopt(e, CURLOPT_MAXLIFETIME_CONN, 300L);
	if (req->form != NULL) {
		/* A ping is not repeated to wherever a redirect points. */
		t->post = TRUE;
		t->headers = curl_slist_append(
		    t->headers,
		    "Content-Type: application/x-www-form-urlencoded");
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->form);
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	}
	f->pending++;
	g_hash_table_add(f->transfers, t);
	if (t->host != NULL &&
	    (waiting = g_hash_table_lookup(f->hosts, t->host)) != NULL) {
		g_queue_push_tail(waiting, t);
		return;
	}
	if (t->host != NULL)
		g_hash_table_insert(f->hosts, g_strdup(t->host), g_queue_new());
	curl_multi_add_handle(f->multi, e);
}
