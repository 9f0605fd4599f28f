/*
 * httpd.c: see httpd.h.
 *
 * Every answer is prepared ahead of time in the snapshot (200 and 304, each
 * with and without gzip), so a request costs a table lookup and a queue.
 * The URL is not unescaped: every published path is plain ASCII, so a '%'
 * (%2e%2e, %2f, %00) can only be an attempt at something else and gets 404
 * like any path that is not in the table. libmicrohttpd 0.9.75 has no idle
 * timeout by default; one is always set here, with connection limits in
 * total and per client, and a per-connection memory limit (431 for huge
 * headers).
 */
#include "autoconf.h"
#include "httpd.h"

#include "util.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct _EvfHttpd {
	struct MHD_Daemon *daemon;
	GMutex lock; /* guards snap (the pointer, not the snapshot) */
	EvfSnapshot *snap;
	GBytes *status; /* /status.json, guarded by lock */
	struct MHD_Response *not_found;
	struct MHD_Response *not_allowed;
	struct MHD_Response *unavailable;
	gboolean access_log;
	struct sockaddr_storage addr;
};

static struct MHD_Response *
text_response(const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);

	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "text/plain; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	return r;
}

/* Leaves the URL as the client sent it (see the file's comment). */
static size_t
no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

/* Whether @list (an If-None-Match value) names @etag or @etag_gzip.
 * RFC 9110 §13.1.2: weak comparison, so W/ prefixes are ignored; "*"
 * matches any current representation. */
static gboolean
etag_matches(const char *list, const EvfEntry *e)
{
	g_auto(GStrv) tags = g_strsplit(list, ",", -1);

	for (guint i = 0; tags[i] != NULL; i++) {
		const char *t = g_strstrip(tags[i]);

		if (g_str_has_prefix(t, "W/"))
			t += 2;
		if (strcmp(t, "*") == 0 || strcmp(t, e->etag) == 0 ||
		    (e->etag_gzip != NULL && strcmp(t, e->etag_gzip) == 0))
			return TRUE;
	}
	return FALSE;
}

/* Whether Accept-Encoding allows gzip: listed (or "*") with a non-zero
 * q-value (RFC 9110 §12.5.3). */
static gboolean
accepts_gzip(const char *value)
{
	g_auto(GStrv) codings = NULL;
	gboolean star = FALSE;

	if (value == NULL)
		return FALSE;
	codings = g_strsplit(value, ",", -1);
	for (guint i = 0; codings[i] != NULL; i++) {
		g_auto(GStrv) parts = g_strsplit(codings[i], ";", -1);
		const char *name;
		gboolean zero = FALSE;

		/* An empty element ("a,,b", "identity,"): g_strsplit()
		 * gives no parts at all. RFC 9110 §5.6.1 allows it. */
		if (parts[0] == NULL)
			continue;
		name = g_strstrip(parts[0]);
		for (guint k = 1; parts[k] != NULL; k++) {
			const char *p = g_strstrip(parts[k]);

			if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
				zero = g_ascii_strtod(p + 2, NULL) <= 0.0;
		}
		if (g_ascii_strcasecmp(name, "gzip") == 0 ||
		    g_ascii_strcasecmp(name, "x-gzip") == 0)
			return !zero;
		if (strcmp(name, "*") == 0)
			star = !zero;
	}
	return star;
}

static char *
client_address(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[NI_MAXHOST] = "-";

	if (info != NULL && info->client_addr != NULL)
		getnameinfo(info->client_addr,
		            info->client_addr->sa_family == AF_INET6
		                ? sizeof(struct sockaddr_in6)
		                : sizeof(struct sockaddr_in),
		            host, sizeof host, NULL, 0, NI_NUMERICHOST);
	return g_strdup(host);
}

static void
release_bytes(void *cls)
{
	g_bytes_unref(cls);
}

/* The partner sources' status: live, so never cached. */
static enum MHD_Result
answer_status(EvfHttpd *h, struct MHD_Connection *c, guint *status,
              gsize *bytes)
{
	GBytes *json = NULL;
	struct MHD_Response *r;
	enum MHD_Result rc;

	g_mutex_lock(&h->lock);
	if (h->status != NULL)
		json = g_bytes_ref(h->status);
	g_mutex_unlock(&h->lock);
	if (json == NULL) {
		*status = MHD_HTTP_NOT_FOUND;
		return MHD_queue_response(c, *status, h->not_found);
	}
	*bytes = g_bytes_get_size(json);
	r = MHD_create_response_from_buffer_with_free_callback_cls(
	    *bytes, (void *)g_bytes_get_data(json, NULL), release_bytes, json);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "application/json; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	*status = MHD_HTTP_OK;
	rc = MHD_queue_response(c, *status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
answer(EvfHttpd *h, struct MHD_Connection *c, const char *method,
       const char *url, guint *status, gsize *bytes)
{
	g_autoptr(EvfSnapshot) snap = NULL;
	const EvfEntry *e = NULL;
	const char *inm, *ims, *path;
	gboolean gzip;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		*status = MHD_HTTP_METHOD_NOT_ALLOWED;
		return MHD_queue_response(c, *status, h->not_allowed);
	}
	g_mutex_lock(&h->lock);
	if (h->snap != NULL)
		snap = evf_snapshot_ref(h->snap);
	g_mutex_unlock(&h->lock);
	if (snap == NULL) {
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		return MHD_queue_response(c, *status, h->unavailable);
	}

	path = url[0] == '/' ? url + 1 : url;
	if (strcmp(path, "status.json") == 0)
		return answer_status(h, c, status, bytes);
	if (path[0] == '\0')
		path = "index.html";
	if (strchr(path, '%') == NULL && strstr(path, "..") == NULL)
		e = evf_snapshot_lookup(snap, path);
	if (e == NULL) {
		*status = MHD_HTTP_NOT_FOUND;
		return MHD_queue_response(c, *status, h->not_found);
	}

	gzip = e->gzip != NULL &&
	       accepts_gzip(MHD_lookup_connection_value(
	           c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                  MHD_HTTP_HEADER_IF_NONE_MATCH);
	ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                  MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	/* If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2). */
	if ((inm != NULL && etag_matches(inm, e)) ||
	    (inm == NULL && ims != NULL && curl_getdate(ims, NULL) >= 0 &&
	     e->mtime <= (gint64)curl_getdate(ims, NULL))) {
		*status = MHD_HTTP_NOT_MODIFIED;
		return MHD_queue_response(
		    c, *status, gzip ? e->not_modified_gzip : e->not_modified);
	}
	*status = MHD_HTTP_OK;
	*bytes = g_bytes_get_size(gzip ? e->gzip : e->body);
	return MHD_queue_response(c, *status, gzip ? e->ok_gzip : e->ok);
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
        const char *method, const char *version, const char *upload_data,
        size_t *upload_data_size, void **req_cls)
{
	static int first_call_seen;
	EvfHttpd *h = cls;
	guint status = 0;
	gsize bytes = 0;
	enum MHD_Result rc;

	/* Answer on the second call, once the whole request is read:
	 * libmicrohttpd closes connections answered on the first call, and
	 * keep-alive matters to clients that poll. A body (none is expected)
	 * is read and dropped. */
	if (*req_cls == NULL) {
		*req_cls = &first_call_seen;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	rc = answer(h, c, method, url, &status, &bytes);

	if (h->access_log) {
		g_autofree char *client = client_address(c);
		g_autofree char *m = evf_log_escape(method);
		g_autofree char *u = evf_log_escape(url);

		g_message("%s \"%s %s\" %u %" G_GSIZE_FORMAT, client, m, u,
		          status, bytes);
	}
	return rc;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);

	g_strchomp(msg);
	g_debug("microhttpd: %s", msg);
}

static gboolean
parse_listen(const char *listen, struct sockaddr_storage *out, GError **error)
{
	g_autoptr(GSocketConnectable) addr = NULL;
	g_autoptr(GSocketAddressEnumerator) en = NULL;
	g_autoptr(GSocketAddress) sa = NULL;

	addr = g_network_address_parse(listen, 8080, error);
	if (addr == NULL)
		return FALSE;
	en = g_socket_connectable_enumerate(addr);
	sa = g_socket_address_enumerator_next(en, NULL, error);
	if (sa == NULL)
		return FALSE;
	return g_socket_address_to_native(sa, out, sizeof *out, error);
}

EvfHttpd *
evf_httpd_start(const EvfHttpdOptions *opts, GError **error)
{
	EvfHttpd *h = g_new0(EvfHttpd, 1);
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                     MHD_USE_ERROR_LOG | MHD_USE_ITC;

	g_mutex_init(&h->lock);
	h->access_log = opts->access_log;
	if (!parse_listen(opts->listen, &h->addr, error)) {
		g_prefix_error(error, "listen '%s': ", opts->listen);
		g_free(h);
		return NULL;
	}
	if (h->addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->not_found = text_response("Not Found\n");
	h->not_allowed = text_response("Method Not Allowed\n");
	MHD_add_response_header(h->not_allowed, MHD_HTTP_HEADER_ALLOW,
	                        "GET, HEAD");
	h->unavailable = text_response("Service Unavailable\n");
	MHD_add_response_header(h->unavailable, MHD_HTTP_HEADER_RETRY_AFTER,
	                        "5");
	h->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, handler, h, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&h->addr, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned int)opts->threads, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)opts->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)opts->max_per_client, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)opts->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)16 * 1024, MHD_OPTION_LISTEN_BACKLOG_SIZE,
	    (unsigned int)511, MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
	if (h->daemon == NULL) {
		evf_throw(error,
		          "cannot listen on '%s' (in use, or not an "
		          "address of this machine?)",
		          opts->listen);
		MHD_destroy_response(h->not_found);
		MHD_destroy_response(h->not_allowed);
		MHD_destroy_response(h->unavailable);
		g_free(h);
		return NULL;
	}
	{
		/* libmicrohttpd's idle timeout counts from its last write to
		 * the socket. Linux lets a send buffer grow to tcp_wmem's
		 * maximum (4 MiB by default), so a whole calendar went out in
		 * one write and a client still downloading it for longer than
		 * the timeout had its kept-alive connection closed under it
		 * (bench/load). With 256 KiB (which Linux doubles), writes
		 * follow the client's progress. Accepted sockets inherit the
		 * listener's size. */
		const union MHD_DaemonInfo *info =
		    MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_LISTEN_FD);
		int size = 256 * 1024;

		if (info != NULL)
			(void)setsockopt(info->listen_fd, SOL_SOCKET, SO_SNDBUF,
			                 &size, sizeof size);
	}
	return h;
}

guint
evf_httpd_port(EvfHttpd *h)
{
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);

	return info != NULL ? info->port : 0;
}

char *
evf_httpd_address(EvfHttpd *h)
{
	char host[NI_MAXHOST] = "";

	getnameinfo((struct sockaddr *)&h->addr,
	            h->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                          : sizeof(struct sockaddr_in),
	            host, sizeof host, NULL, 0, NI_NUMERICHOST);
	if (h->addr.ss_family == AF_INET6)
		return g_strdup_printf("[%s]:%u", host, evf_httpd_port(h));
	return g_strdup_printf("%s:%u", host, evf_httpd_port(h));
}

void
evf_httpd_set_snapshot(EvfHttpd *h, EvfSnapshot *snap)
{
	EvfSnapshot *old;

	evf_snapshot_ref(snap);
	g_mutex_lock(&h->lock);
	old = h->snap;
	h->snap = snap;
	g_mutex_unlock(&h->lock);
	evf_snapshot_unref(old);
}

void
evf_httpd_set_status(EvfHttpd *h, GBytes *json)
{
	GBytes *old;

	g_mutex_lock(&h->lock);
	old = h->status;
	h->status = json != NULL ? g_bytes_ref(json) : NULL;
	g_mutex_unlock(&h->lock);
	if (old != NULL)
		g_bytes_unref(old);
}

void
evf_httpd_stop(EvfHttpd *h, guint grace_ms)
{
	gint64 deadline = g_get_monotonic_time() + grace_ms * 1000;

	if (h == NULL)
		return;
	{
		MHD_socket listener = MHD_quiesce_daemon(h->daemon);

		if (listener != MHD_INVALID_SOCKET)
			close(listener);
	}
	while (g_get_monotonic_time() < deadline) {
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(
		    h->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

		if (info == NULL || info->num_connections == 0)
			break;
		g_usleep(10 * 1000);
	}
	MHD_stop_daemon(h->daemon);
	MHD_destroy_response(h->not_found);
	MHD_destroy_response(h->not_allowed);
	MHD_destroy_response(h->unavailable);
	evf_snapshot_unref(h->snap);
	if (h->status != NULL)
		g_bytes_unref(h->status);
	g_mutex_clear(&h->lock);
	g_free(h);
}
