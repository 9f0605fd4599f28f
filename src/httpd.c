/*
 * httpd.c: see httpd.h.
 *
 * Every answer is prepared ahead of time in the snapshot (200 and 304, each
 * with and without gzip), so a request costs a table lookup and a queue.
 * The path is unescaped once, here rather than by libmicrohttpd, and
 * checked after: an encoded character is that character (RFC 9110
 * §4.2.3), so '/calendar%2Eics' is '/calendar.ics', while an encoded '/' or
 * NUL, and '..' however written, get 404 like any path that is not in the
 * table. libmicrohttpd 0.9.75 has no idle
 * timeout by default; one is always set here, with connection limits in
 * total and per client, and a per-connection memory limit (431 for huge
 * headers). Its timeout counts from the last byte received, so a client
 * that sends its request a byte at a time (slowloris) would hold its
 * connection for ever: each request must also be whole within the timeout
 * of the connection's start or of the previous answer, or a watchdog
 * shuts its socket down.
 *
 * HTTP/1.1's message rules (RFC 9112): libmicrohttpd is left lenient for
 * clients, as its documentation advises in production; an HTTP/1.1 request
 * without Host, two Host lines and a field name with white space before
 * the colon get 400 here (§3.2, §5.1), and so does what libmicrohttpd
 * would read otherwise than a proxy in front of it: a NUL in the request
 * line or a field value, a bare CR, a folded field, white space in the
 * target, two lengths for one body (request_intact, framing_error). A
 * target in absolute form, as sent to proxies, is served by its path
 * (§3.2.2): this server has one site, whatever the authority says.
 * Conditional requests follow RFC 9110 §13.2.2.
 */
#include "autoconf.h"
#include "httpd.h"

#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gio/gio.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <string.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bytes of memory per connection: its request line and header fields,
 * and the header of its answer (a folder's redirect holds the request's
 * query). RFC 9112 §3 would have a request line of 8,000 octets read;
 * more gets 414 or 431. libmicrohttpd 0.9.75 reads a request into half
 * of it, then grows that buffer into the rest as it must, so a request
 * that takes nearly all of it leaves no room for any answer's header,
 * and the connection is closed without one: with HARDENING.md's 32 KiB,
 * a Cookie of 16 KB (which browsers send with a parent domain's cookies)
 * got no answer. With 64 KiB that begins past header fields of 32 KB and
 * request lines of 64 KB, where nginx has answered 400 and 414 since
 * 8 KB. The pages are taken as the request fills them. */
#define CONNECTION_MEMORY (64 * 1024)

/* A connection, from libmicrohttpd's start notification to its close
 * notification (which comes before it closes the socket). */
typedef struct {
	int fd;
	gint64 deadline; /* monotonic µs; G_MAXINT64: none */
	gint64 taken;    /* how far the client had taken its answers at the
	                  * last look (sent_taken) */
} Conn;

/* A request, from libmicrohttpd's URI log callback, which sees its target
 * whole (before the query is cut off), to its completion. */
typedef struct {
	char *target;  /* as sent, up to its first NUL */
	gboolean seen; /* the handler was called */
	char *logged;  /* its access log line but for how it ended, once
	                * answered */
	gint64 acked;  /* the bytes its client had acknowledged on the
	                * connection when it was answered, or -1 */
} Request;

struct _EvfHttpd {
	struct MHD_Daemon *daemon;
	gint64 timeout; /* µs */
	/* The watchdog of slow requests. */
	GMutex conns_lock;
	GCond conns_cond;
	GHashTable *conns; /* set of Conn, owned */
	gboolean stopping; /* guarded by conns_lock */
	gint busy;      /* (atomic) requests read whole and not yet answered */
	gint64 wake_at; /* when the watchdog looks next; guarded too */
	GThread *watchdog;
	GMutex lock; /* guards snap (the pointer, not the snapshot) */
	EvfSnapshot *snap;
	GBytes *status; /* /status.json, guarded by lock */
	char *prefix;   /* evf_httpd_set_prefix's, guarded by lock */
	struct MHD_Response *not_found;
	struct MHD_Response *not_allowed;
	struct MHD_Response *unavailable;
	struct MHD_Response *bad_request;
	struct MHD_Response *too_long;        /* 414 */
	struct MHD_Response *not_implemented; /* 501 */
	struct MHD_Response *failed;          /* 412 Precondition Failed */
	gboolean access_log;
	struct sockaddr_storage addr;
};

/* The bodies of the answers that are not files, by status. */
static const struct {
	unsigned int status;
	const char *text;
} canned[] = {
	{ MHD_HTTP_MOVED_PERMANENTLY, "Moved Permanently\n" },
	{ MHD_HTTP_NOT_FOUND, "Not Found\n" },
	{ MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed\n" },
	{ MHD_HTTP_SERVICE_UNAVAILABLE, "Service Unavailable\n" },
	{ MHD_HTTP_BAD_REQUEST, "Bad Request\n" },
	{ MHD_HTTP_URI_TOO_LONG, "URI Too Long\n" },
	{ MHD_HTTP_NOT_IMPLEMENTED, "Not Implemented\n" },
	{ MHD_HTTP_PRECONDITION_FAILED, "Precondition Failed\n" },
};

/* (nullable): the body of the answer of @status that is not a file. */
static const char *
canned_text(unsigned int status)
{
	for (gsize i = 0; i < G_N_ELEMENTS(canned); i++)
		if (canned[i].status == status)
			return canned[i].text;
	return NULL;
}

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

/* Whether @list (an If-Match or If-None-Match value) names @etag, the
 * (strong) ETag of the selected representation, or is "*", which matches
 * any current representation. RFC 9110 §8.8.3.2: the weak comparison
 * (If-None-Match) ignores W/ prefixes; the strong one (If-Match) never
 * matches a weak tag. */
static gboolean
etag_matches(const char *list, const char *etag, gboolean weak)
{
	const char *p = list;

	/* #( "*" / ["W/"] quoted tag ): a tag may hold a comma, so the
	 * list is read tag by tag (§8.8.3), not split at every comma */
	while (*p != '\0') {
		gboolean is_weak = FALSE;
		const char *close;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p == '*')
			return TRUE;
		if (p[0] == 'W' && p[1] == '/') {
			is_weak = TRUE;
			p += 2;
		}
		if (*p != '"' || (close = strchr(p + 1, '"')) == NULL) {
			/* not a tag: on to the next comma */
			p += strcspn(p, ",");
			continue;
		}
		if ((!is_weak || weak) &&
		    (gsize)(close - p + 1) == strlen(etag) &&
		    strncmp(p, etag, (gsize)(close - p + 1)) == 0)
			return TRUE;
		p = close + 1;
	}
	return FALSE;
}

/* The lines of one header field: how many, and whether one lists an
 * ETag; and whether any field name has white space in it. */
typedef struct {
	const char *name;
	const char *etag; /* nullable: only count */
	gboolean weak;
	guint lines;
	gboolean match;
	gboolean bad_name;
} FieldLines;

static enum MHD_Result
field_line(void *cls, enum MHD_ValueKind kind, const char *key,
           const char *value)
{
	FieldLines *f = cls;

	if (strpbrk(key, " \t") != NULL)
		f->bad_name = TRUE;
	if (g_ascii_strcasecmp(key, f->name) != 0)
		return MHD_YES;
	f->lines++;
	if (f->etag != NULL && value != NULL &&
	    etag_matches(value, f->etag, f->weak))
		f->match = TRUE;
	return MHD_YES;
}

/* Whether the field @name (If-Match, If-None-Match) is there and lists
 * @etag. Its lines make one list (RFC 9110 §5.3), so each is read, not
 * only the first. */
static gboolean
field_lists(struct MHD_Connection *c, const char *name, const char *etag,
            gboolean weak)
{
	FieldLines f = { name, etag, weak, 0, FALSE, FALSE };

	MHD_get_connection_values(c, MHD_HEADER_KIND, field_line, &f);
	return f.match;
}

/* @s without the white space around it, in place: of a field's value,
 * only spaces and tabs (RFC 9110 §5.6.3's OWS), not the form feeds and
 * other control characters that g_strstrip() also takes, which make a
 * value invalid. */
static char *
ows_strip(char *s)
{
	gsize n = strlen(s), from = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (from < n && (s[from] == ' ' || s[from] == '\t'))
		from++;
	memmove(s, s + from, n - from);
	s[n - from] = '\0';
	return s;
}

/* The time of @value if it is one HTTP-date in any of its three forms (RFC
 * 9110 §5.6.7), else -1. curl_getdate() reads them all, but also skips
 * what it does not know, so that a list of two dates would pass as the
 * first: the value, without the white space around it (§5.5), must be its
 * time written back in one of the forms. LC_TIME stays "C" (main() sets
 * only LC_CTYPE), so the names are English. */
static gint64
http_date(const char *value)
{
	g_autofree char *v = ows_strip(g_strdup(value));
	time_t t = curl_getdate(v, NULL);
	g_autoptr(GDateTime) d = NULL;
	g_autofree char *imf = NULL, *rfc850 = NULL, *asc = NULL;

	if (t < 0)
		return -1;
	imf = evf_date_rfc822((gint64)t * G_USEC_PER_SEC, TRUE);
	if (strcmp(v, imf) == 0)
		return t;
	d = g_date_time_new_from_unix_utc(t);
	if (d == NULL)
		return -1;
	rfc850 = g_date_time_format(d, "%A, %d-%b-%y %H:%M:%S GMT");
	asc = g_date_time_format(d, "%a %b %_d %H:%M:%S %Y");
	if (g_strcmp0(v, rfc850) == 0 || g_strcmp0(v, asc) == 0)
		return t;
	return -1;
}

/* The date of the field @name (If-Modified-Since, If-Unmodified-Since),
 * or -1 when it must be ignored: absent, on more than one line, or not
 * one HTTP-date (RFC 9110 §13.1.3, §13.1.4). */
static gint64
field_date(struct MHD_Connection *c, const char *name)
{
	const char *value =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	FieldLines f = { name, NULL, FALSE, 0, FALSE, FALSE };

	if (value == NULL)
		return -1;
	MHD_get_connection_values(c, MHD_HEADER_KIND, field_line, &f);
	return f.lines == 1 ? http_date(value) : -1;
}

static gboolean
has_field(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name) != NULL;
}

/* The answer to a GET or HEAD of @e whose selected representation has
 * @etag: 200, 304 Not Modified or 412 Precondition Failed. RFC 9110
 * §13.2.2 orders the preconditions: If-Match, else If-Unmodified-Since;
 * then If-None-Match, else If-Modified-Since. */
static guint
preconditions(struct MHD_Connection *c, const EvfEntry *e, const char *etag)
{
	gint64 date;

	if (has_field(c, MHD_HTTP_HEADER_IF_MATCH)) {
		if (!field_lists(c, MHD_HTTP_HEADER_IF_MATCH, etag, FALSE))
			return MHD_HTTP_PRECONDITION_FAILED;
	} else {
		date = field_date(c, MHD_HTTP_HEADER_IF_UNMODIFIED_SINCE);
		if (date >= 0 && e->modified > date)
			return MHD_HTTP_PRECONDITION_FAILED;
	}
	if (has_field(c, MHD_HTTP_HEADER_IF_NONE_MATCH))
		return field_lists(c, MHD_HTTP_HEADER_IF_NONE_MATCH, etag, TRUE)
		           ? MHD_HTTP_NOT_MODIFIED
		           : MHD_HTTP_OK;
	/* Last-Modified moves at least a second with every new version
	 * (publish.c), and is never later than when it was read, so a
	 * version dated no later than the client's copy is that copy;
	 * unless it was swapped in within the second of its date while the
	 * version before it was answered too, when that second names
	 * either (evf_snapshot_date_changes): 200 then, never a 304 for
	 * other bytes. A
	 * date later than now is no Last-Modified this server sent, and
	 * must be ignored (§13.1.3): a client that made one up, or whose
	 * clock runs ahead, would otherwise be told that every later
	 * version is the one it has. */
	date = field_date(c, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (date > g_get_real_time() / G_USEC_PER_SEC)
		return MHD_HTTP_OK;
	return date >= 0 && (e->modified < date ||
	                     (e->modified == date && !e->shared_second))
	           ? MHD_HTTP_NOT_MODIFIED
	           : MHD_HTTP_OK;
}

/* Whether the bytes from @p to @end are all among @allowed, or NUL. */
static gboolean
only(const char *p, const char *end, const char *allowed)
{
	for (; p < end; p++)
		if (*p != '\0' && strchr(allowed, *p) == NULL)
			return FALSE;
	return TRUE;
}

/* Whether the bytes from @p to @end are all spaces. */
static gboolean
spaces(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ')
			return FALSE;
	return TRUE;
}

/* The request's header as libmicrohttpd read it: its fields, walked in
 * order through the buffer they are in. */
typedef struct {
	const char *at;  /* the end of what was walked */
	const char *end; /* the end of the header */
	gboolean intact;
} Walk;

static enum MHD_Result
walk_field(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
           const char *value, size_t value_size)
{
	Walk *w = cls;
	const char *key_end = key + key_size;

	/* A field that is not where its line was (libmicrohttpd copies
	 * the name of a field folded over two lines, and glues the
	 * second line's text to it), or that leaves out more than white
	 * space before it, between its name and its value, or after. */
	if (key < w->at || key_end > w->end || !only(w->at, key, " \t\r\n") ||
	    memchr(key, '\r', key_size) != NULL ||
	    (value != NULL && (value < key_end || value + value_size > w->end ||
	                       !only(key_end, value, " \t:") ||
	                       memchr(value, '\r', value_size) != NULL))) {
		w->intact = FALSE;
		return MHD_NO;
	}
	w->at = value != NULL ? value + value_size : key_end;
	return MHD_YES;
}

/* Whether libmicrohttpd gives the request as it came: RFC 9110 §5.5 and
 * RFC 9112 §2.2, §5.2 make a NUL or a bare CR in a field value, or a
 * field folded over lines (obs-fold), grounds for 400, and a NUL is
 * never part of a request line (§3), nor is white space or a control
 * character part of its target. libmicrohttpd 0.9.75 takes a NUL
 * for the end of what holds it, so that "/calendar.ics\0junk" is
 * "/calendar.ics" and "a\0b" is "a", keeps a bare CR in a value, and
 * mangles a folded field's name; a strict mode changes none of that. It
 * parses in place, so what it leaves out lies between the parts it gives
 * (@method, the target, @version, each field): there, only the white
 * space, colons and line ends that separate them may be, or the NULs it
 * wrote over them. @rq holds the target as the URI log callback saw it,
 * before the query was cut off. */
static gboolean
request_intact(struct MHD_Connection *c, const Request *rq, const char *method,
               const char *url, const char *version)
{
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	const char *method_end = method + strlen(method);
	const char *version_end = version + strlen(version);
	Walk w;

	if (info == NULL || rq == NULL || rq->target == NULL)
		return FALSE;
	/* No URI holds white space or a control character (RFC 3986 §2),
	 * and a request line with them in its target is one that another
	 * server may split elsewhere (RFC 9112 §3). */
	for (const char *p = rq->target; *p != '\0'; p++)
		if ((guchar)*p <= 0x20 || *p == 0x7f)
			return FALSE;
	/* libmicrohttpd ends the method with a NUL over the space after it
	 * (and skips more spaces), and the target with one over the space
	 * before the version: any other NUL there was in the request
	 * ("GET\0 /x", "GET /x\0 HTTP/1.1"). */
	w.end = method + info->header_size;
	if (url <= method_end || version <= url + strlen(rq->target) ||
	    version_end > w.end || *method_end != '\0' ||
	    !spaces(method_end + 1, url) ||
	    version != url + strlen(rq->target) + 1 || version[-1] != '\0')
		return FALSE;
	w.at = version_end;
	w.intact = TRUE;
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, walk_field, &w);
	return w.intact && only(w.at, w.end, " \t\r\n");
}

/* Whether @value is a Host field value (RFC 9112 §3.2, RFC 3986 §3.2.2):
 * empty, or a host (a name, an IPv4 address or an IPv6 one in brackets)
 * and maybe ':' and a port. g_uri_is_valid() checks the port and the
 * brackets but lets any byte through in a name, such as white space. */
static gboolean
host_valid(const char *value)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyz"
	                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                              "0123456789-._~%!$&'()*+,;=:[]";
	g_autofree char *uri = NULL;

	if (value[strspn(value, allowed)] != '\0')
		return FALSE;
	uri = g_strconcat("http://", value, "/", NULL);
	return g_uri_is_valid(uri, G_URI_FLAGS_NONE, NULL);
}

/* Whether the request's header fields keep RFC 9112's rules that
 * libmicrohttpd, lenient for clients, lets through: one Host line in an
 * HTTP/1.1 request and at most one in an older one, with a valid value
 * (§3.2), and no white space in a field name, before the colon (§5.1),
 * which a proxy could read as another field than this server does. */
static gboolean
well_formed(struct MHD_Connection *c, const char *version)
{
	FieldLines f = { MHD_HTTP_HEADER_HOST, NULL, FALSE, 0, FALSE, FALSE };
	guint want = g_strcmp0(version, MHD_HTTP_VERSION_1_0) == 0 ? 0 : 1;
	const char *host;

	MHD_get_connection_values(c, MHD_HEADER_KIND, field_line, &f);
	if (f.lines < want || f.lines > 1 || f.bad_name)
		return FALSE;
	host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                   MHD_HTTP_HEADER_HOST);
	if (host == NULL)
		return TRUE;
	/* white space around a value is not of it (RFC 9110 §5.5), and
	 * libmicrohttpd keeps what follows it */
	{
		g_autofree char *value = g_strdup(host);

		return host_valid(ows_strip(value));
	}
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
		name = ows_strip(parts[0]);
		for (guint k = 1; parts[k] != NULL; k++) {
			const char *p = ows_strip(parts[k]);

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

typedef struct {
	const char *name;
	GString *list; /* nullable: no line yet */
} FieldList;

static enum MHD_Result
list_line(void *cls, enum MHD_ValueKind kind, const char *key,
          const char *value)
{
	FieldList *f = cls;

	if (value == NULL || g_ascii_strcasecmp(key, f->name) != 0)
		return MHD_YES;
	if (f->list == NULL)
		f->list = g_string_new(value);
	else
		g_string_append_printf(f->list, ",%s", value);
	return MHD_YES;
}

/* (transfer full) (nullable): the lines of the field @name joined into
 * the one list they make (RFC 9110 §5.3); NULL when it is absent. */
static char *
field_list(struct MHD_Connection *c, const char *name)
{
	FieldList f = { name, NULL };

	MHD_get_connection_values(c, MHD_HEADER_KIND, list_line, &f);
	return f.list != NULL ? g_string_free(f.list, FALSE) : NULL;
}

/* 0 when the request's body has the one length that every reader of
 * the request agrees on, else the status that refuses it (RFC 9112 §6.1,
 * §6.3): 400 when its Transfer-Encoding does not end in chunked (its
 * length cannot be known), when it also has a Content-Length, or in an
 * HTTP/1.0 request (either is how requests are smuggled past a proxy that
 * reads the other length), and when Content-Length lines disagree (RFC
 * 9110 §8.6; the same value twice is one length); 501 for a transfer
 * coding other than chunked. libmicrohttpd lets them through: it waited
 * until the timeout for the end of a body in "chunked, gzip", kept the
 * connection of a request with both lengths open for the next one, and
 * read a body by the first of two Content-Length lines, taking the rest
 * for the next request. The refusal closes it. */
static guint
framing_error(struct MHD_Connection *c, const char *version)
{
	g_autofree char *te = field_list(c, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	g_autofree char *cl = field_list(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
	g_auto(GStrv) codings = NULL;
	gboolean chunked_last = FALSE;
	guint chunked = 0, others = 0;

	if (cl != NULL) {
		g_auto(GStrv) lengths = g_strsplit(cl, ",", -1);

		/* (an empty value is split into no element at all) */
		for (guint i = 1; lengths[0] != NULL && lengths[i] != NULL; i++)
			if (strcmp(ows_strip(lengths[i]),
			           ows_strip(lengths[0])) != 0)
				return MHD_HTTP_BAD_REQUEST;
	}
	if (te == NULL)
		return 0;
	if (has_field(c, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
	    g_strcmp0(version, MHD_HTTP_VERSION_1_0) == 0)
		return MHD_HTTP_BAD_REQUEST;
	codings = g_strsplit(te, ",", -1);
	for (guint i = 0; codings[i] != NULL; i++) {
		const char *name = ows_strip(codings[i]);

		if (name[0] == '\0')
			continue;
		chunked_last = g_ascii_strcasecmp(name, "chunked") == 0;
		if (chunked_last)
			chunked++;
		else
			others++;
	}
	if (!chunked_last || chunked > 1)
		return MHD_HTTP_BAD_REQUEST;
	/* libmicrohttpd reads a chunked body only where the field is
	 * "chunked" and nothing else; "chunked " or ", chunked" (RFC 9110
	 * §5.6.1 allows both) it read to the end of the connection, and the
	 * request waited until the timeout, unanswered */
	return others > 0 || g_ascii_strcasecmp(te, "chunked") != 0
	           ? MHD_HTTP_NOT_IMPLEMENTED
	           : 0;
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
	/* It has no ETag: If-Match holds only for "*", and If-None-Match
	 * "*" says the client has it (RFC 9110 §13.1.1, §13.1.2). */
	if (has_field(c, MHD_HTTP_HEADER_IF_MATCH) &&
	    !field_lists(c, MHD_HTTP_HEADER_IF_MATCH, "", FALSE)) {
		g_bytes_unref(json);
		*status = MHD_HTTP_PRECONDITION_FAILED;
		return MHD_queue_response(c, *status, h->failed);
	}
	/* a 304 on the bytes too: libmicrohttpd sends no body with it, but
	 * its Content-Length, which is that of the 200 (RFC 9110 §8.6) */
	*status =
	    has_field(c, MHD_HTTP_HEADER_IF_NONE_MATCH) &&
	            field_lists(c, MHD_HTTP_HEADER_IF_NONE_MATCH, "", TRUE)
	        ? MHD_HTTP_NOT_MODIFIED
	        : MHD_HTTP_OK;
	if (*status == MHD_HTTP_OK)
		*bytes = g_bytes_get_size(json);
	r = MHD_create_response_from_buffer_with_free_callback_cls(
	    g_bytes_get_size(json), (void *)g_bytes_get_data(json, NULL),
	    release_bytes, json);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	if (*status == MHD_HTTP_OK) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        "application/json; charset=utf-8");
		MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	}
	rc = MHD_queue_response(c, *status, r);
	MHD_destroy_response(r);
	return rc;
}

/* (transfer full) (nullable): the path of the request target @url, with
 * its leading '/': the origin form as it is, or the path of the absolute
 * form, as sent to proxies (RFC 9112 §3.2.2), kept escaped, so that it
 * meets the same table as any other. NULL for any other target, such as
 * "calendar.ics" or "*": no address of this server (§3.2: 400). */
static char *
target_path(const char *url)
{
	g_autofree char *scheme = NULL, *userinfo = NULL, *host = NULL;
	g_autofree char *path = NULL;

	/* (a fragment, which a client keeps to itself, goes: the same
	 * target in absolute form loses it as it is split) */
	if (url[0] == '/')
		return g_strndup(url, strcspn(url, "#"));
	/* RFC 9110 §4.2.1: an http URI with an empty host is invalid;
	 * §4.2.4: one with a user name and password is an error (and it
	 * would go into the log) */
	if (!g_uri_split(url, G_URI_FLAGS_ENCODED, &scheme, &userinfo, &host,
	                 NULL, &path, NULL, NULL, NULL) ||
	    scheme == NULL || host == NULL || host[0] == '\0' ||
	    userinfo != NULL ||
	    (g_ascii_strcasecmp(scheme, "http") != 0 &&
	     g_ascii_strcasecmp(scheme, "https") != 0))
		return NULL;
	return path[0] == '/' ? g_steal_pointer(&path)
	                      : g_strconcat("/", path, NULL);
}

/* (transfer full): the request target @url as the access log shows it:
 * as sent, but for the user name and password of one in absolute form,
 * which are refused (400) and must not go into the log either (RFC 9110
 * §4.2.4): an '@' before the path (or the whole target, without one) of a
 * target that is not in origin form hides what comes before it. */
static char *
loggable_target(const char *url)
{
	g_autofree char *scheme = NULL, *userinfo = NULL, *host = NULL;
	g_autofree char *path = NULL, *query = NULL, *fragment = NULL;
	const char *rest = url, *at;
	gsize head;
	int port = -1;

	if (url[0] == '/' || strchr(url, '@') == NULL)
		return evf_log_escape(url);
	/* "scheme://userinfo@host/…", "scheme:userinfo@host/…" and the
	 * authority form "userinfo@host:port" alike */
	if (strstr(url, "://") != NULL)
		rest = strstr(url, "://") + 3;
	head = strcspn(rest, "/?#");
	at = g_strrstr_len(rest, (gssize)head, "@");
	if (at == NULL)
		return evf_log_escape(url);
	if (g_uri_split(url, G_URI_FLAGS_ENCODED, &scheme, &userinfo, &host,
	                &port, &path, &query, &fragment, NULL) &&
	    userinfo != NULL) {
		g_autofree char *joined =
		    g_uri_join(G_URI_FLAGS_ENCODED, scheme, "(hidden)", host,
		               port, path, query, fragment);

		return evf_log_escape(joined);
	}
	{
		g_autofree char *shown = g_strconcat("(hidden)", at, NULL);

		return evf_log_escape(shown);
	}
}

/* Whether @url is a request target this server can answer @method for:
 * the origin or absolute form, or "*" for OPTIONS (which gets 405). */
static gboolean
target_ok(const char *method, const char *url)
{
	g_autofree char *path = NULL;

	if (strcmp(url, "*") == 0)
		return strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0;
	path = target_path(url);
	return path != NULL;
}

/* What libmicrohttpd keeps of a request in its connection's memory
 * besides its bytes: a record of about this size per header field. */
#define FIELD_RECORD 64

/* Room left in the connection's memory for the header of an answer
 * besides its Location: the status line and the other fields, and what
 * libmicrohttpd's pool rounds up. */
#define ANSWER_ROOM 2048

/* 301 to the folder @path (no leading '/') with its final '/', and the
 * query of @target, the request target as sent, if it has one: a
 * static server keeps it (nginx does), and a link that names the folder
 * without its '/' must not lose it. What the query holds beyond the
 * characters RFC 3986 §3.4 allows in one is percent-encoded. The
 * Location is relative to the request (RFC 9110 §10.2.2), the folder's
 * name and its '/': behind a proxy that serves the site under a prefix
 * of its own ([site] url's path), a path from '/' would leave it. */
static enum MHD_Result
answer_moved(EvfHttpd *h, struct MHD_Connection *c, const char *path,
             const char *target, gint64 max_age, guint *status)
{
	g_autofree char *cache =
	    g_strdup_printf("public, max-age=%" G_GINT64_FORMAT, max_age);
	const char *text = canned_text(MHD_HTTP_MOVED_PERMANENTLY);
	/* (without a fragment, which a client keeps to itself) */
	const char *query =
	    target != NULL ? memchr(target, '?', strcspn(target, "#")) : NULL;
	g_autofree char *query_only =
	    query != NULL ? g_strndup(query, strcspn(query, "#")) : NULL;
	g_autofree char *escaped =
	    query_only != NULL
	        ? g_uri_escape_string(query_only, "!$&'()*+,;=:@/?%", FALSE)
	        : NULL;
	const char *name =
	    strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	/* (decoded: encoded again, '?', '#', '%' and spaces too) */
	g_autofree char *encoded =
	    g_uri_escape_string(name, "!$&'()*+,;=:@", FALSE);
	/* (a name with ':' would read as a scheme: RFC 3986 §4.2) */
	g_autofree char *to =
	    g_strconcat(strchr(encoded, ':') != NULL ? "./" : "", encoded, "/",
	                escaped, NULL);
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	gsize held =
	    (info != NULL ? info->header_size : strlen(target)) +
	    (gsize)MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL) *
	        FIELD_RECORD;
	struct MHD_Response *r;
	enum MHD_Result rc;

	/* The request stays in the connection's memory while the answer's
	 * header is made there: a Location (the query escaped, up to three
	 * times as long) that does not fit beside it would be no answer at
	 * all, the connection closed without a word. */
	if (held + strlen(to) + ANSWER_ROOM > CONNECTION_MEMORY) {
		*status = MHD_HTTP_URI_TOO_LONG;
		return MHD_queue_response(c, *status, h->too_long);
	}
	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	                                    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "text/plain; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
	*status = MHD_HTTP_MOVED_PERMANENTLY;
	rc = MHD_queue_response(c, *status, r);
	MHD_destroy_response(r);
	return rc;
}

/* Makes each run of '/' in @path one, as nginx reads a path
 * (merge_slashes): a proxy that passes "/events/rss.xml" on as "//rss.xml"
 * (a proxy_pass address ending in '/' under a location without one)
 * finds the site, as it would on nginx serving the output folder. */
static void
merge_slashes(char *path)
{
	char *to = path;

	for (const char *p = path; *p != '\0'; p++)
		if (*p != '/' || to == path || to[-1] != '/')
			*to++ = *p;
	*to = '\0';
}

/* Whether @snap has the file @path, or a folder of that name. */
static gboolean
snapshot_has(EvfSnapshot *snap, const char *path)
{
	g_autofree char *index = g_strconcat(
	    path, path[0] == '\0' || g_str_has_suffix(path, "/") ? "" : "/",
	    "index.html", NULL);

	return evf_snapshot_lookup(snap, path) != NULL ||
	       evf_snapshot_lookup(snap, index) != NULL;
}

static enum MHD_Result
answer(EvfHttpd *h, struct MHD_Connection *c, const Request *rq,
       const char *method, const char *url, guint *status, gsize *bytes)
{
	g_autoptr(EvfSnapshot) snap = NULL;
	g_autofree char *target = NULL, *decoded = NULL, *index = NULL;
	g_autofree char *prefix = NULL;
	const EvfEntry *e = NULL;
	const char *path;
	gboolean gzip;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		*status = MHD_HTTP_METHOD_NOT_ALLOWED;
		return MHD_queue_response(c, *status, h->not_allowed);
	}
	g_mutex_lock(&h->lock);
	if (h->snap != NULL)
		snap = evf_snapshot_ref(h->snap);
	prefix = g_strdup(h->prefix);
	g_mutex_unlock(&h->lock);
	if (snap == NULL) {
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		return MHD_queue_response(c, *status, h->unavailable);
	}

	target = target_path(url);
	if (target == NULL) {
		*status = MHD_HTTP_BAD_REQUEST;
		return MHD_queue_response(c, *status, h->bad_request);
	}
	/* A "." segment goes, as a static server takes it out (RFC 3986
	 * §5.2.4: "/./calendar.ics" is "/calendar.ics"); a ".." is not
	 * resolved, and is not found (below), nor one escaped, in part or
	 * whole (GLib would read ".%2e" as ".."). */
	/* (a run of '/' one before that: not "//host/…" to GLib; and
	 * decoding makes no '/') */
	merge_slashes(target);
	if (strstr(target, "/.") != NULL && strstr(target, "..") == NULL &&
	    strstr(target, "%2e") == NULL && strstr(target, "%2E") == NULL) {
		g_autofree char *full = g_uri_resolve_relative(
		    "http://host/", target, G_URI_FLAGS_ENCODED, NULL);
		char *dotless = NULL;

		if (full != NULL &&
		    g_uri_split(full, G_URI_FLAGS_ENCODED, NULL, NULL, NULL,
		                NULL, &dotless, NULL, NULL, NULL)) {
			g_free(target);
			target = dotless;
		}
	}
	decoded = g_uri_unescape_string(target, "/");
	if (decoded == NULL) {
		*status = MHD_HTTP_NOT_FOUND;
		return MHD_queue_response(c, *status, h->not_found);
	}
	path = decoded + 1;
	/* Under [site] url's path too ("/events/rss.xml" for
	 * https://example.org/events/), as its feeds name themselves and
	 * the hub fetches them: listening on that host, or behind a proxy
	 * that passes the path on; from '/' as well (a preview, a proxy
	 * that takes the prefix off). The public address first:
	 * /events/calendar.ics is the site's calendar, not the one-event
	 * calendar of an event file called calendar.md, which is
	 * /events/events/calendar.ics; a file of the output folder under a
	 * folder of that name is served as it is where there is no other. */
	if (prefix != NULL && prefix[0] != '\0') {
		gsize n = strlen(prefix); /* (with its final '/') */

		if (strncmp(path, prefix, n) == 0 &&
		    (snapshot_has(snap, path + n) || !snapshot_has(snap, path)))
			path += n;
		/* "/events", without its '/': sent to "events/" */
		else if (strncmp(path, prefix, n - 1) == 0 &&
		         path[n - 1] == '\0' && !snapshot_has(snap, path))
			return answer_moved(h, c, path, rq->target,
			                    evf_snapshot_max_age(snap), status);
	}
	if (strcmp(path, "status.json") == 0)
		return answer_status(h, c, status, bytes);
	/* A folder is its index.html, as a static server (nginx's index)
	 * serves it: "/" and "/category/<slug>/" alike. */
	if (path[0] == '\0' || g_str_has_suffix(path, "/"))
		path = index = g_strconcat(path, "index.html", NULL);
	if (strchr(path, '%') != NULL || strstr(path, "..") != NULL) {
		*status = MHD_HTTP_NOT_FOUND;
		return MHD_queue_response(c, *status, h->not_found);
	}
	e = evf_snapshot_lookup(snap, path);
	if (e == NULL) {
		g_autofree char *folder =
		    g_strconcat(path, "/index.html", NULL);

		/* A folder named without its final '/' is sent there, as a
		 * static server does, so that the page's relative links
		 * (../../style.css) resolve. */
		if (evf_snapshot_lookup(snap, folder) != NULL)
			return answer_moved(h, c, path, rq->target,
			                    evf_snapshot_max_age(snap), status);
		*status = MHD_HTTP_NOT_FOUND;
		return MHD_queue_response(c, *status, h->not_found);
	}
	evf_entry_answered(e);

	if (e->gzip != NULL) {
		g_autofree char *codings =
		    field_list(c, MHD_HTTP_HEADER_ACCEPT_ENCODING);

		gzip = accepts_gzip(codings);
	} else {
		gzip = FALSE;
	}
	*status = preconditions(c, e, gzip ? e->etag_gzip : e->etag);
	if (*status == MHD_HTTP_PRECONDITION_FAILED)
		return MHD_queue_response(c, *status, h->failed);
	if (*status == MHD_HTTP_NOT_MODIFIED)
		return MHD_queue_response(
		    c, *status, gzip ? e->not_modified_gzip : e->not_modified);
	*bytes = g_bytes_get_size(gzip ? e->gzip : e->body);
	return MHD_queue_response(c, *status, gzip ? e->ok_gzip : e->ok);
}

/* Wakes the watchdog when @conn's deadline comes before the time it would
 * look next. Called with conns_lock held. */
static void
watch(EvfHttpd *h, const Conn *conn)
{
	if (conn->deadline < h->wake_at) {
		h->wake_at = conn->deadline;
		g_cond_signal(&h->conns_cond);
	}
}

/* The bytes the client of the socket @fd acknowledged (TCP_INFO), or -1
 * when unknown. */
static gint64
acked_bytes(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
	    len >= offsetof(struct tcp_info, tcpi_bytes_acked) +
	               sizeof ti.tcpi_bytes_acked)
		return (gint64)ti.tcpi_bytes_acked;
	return -1;
}

/* How far the client of the socket @fd has taken what was sent to it:
 * the bytes it acknowledged (@acked, acked_bytes), which grow as long as
 * it reads; else the bytes in the send queue, which a slow reader keeps
 * full, the same at every look; -1 when unknown. Only compared. */
static gint64
sent_taken(int fd, gint64 acked)
{
	int n;

	if (acked >= 0)
		return acked;
	return ioctl(fd, SIOCOUTQ, &n) == 0 ? n : -1;
}

/* The socket of the connection @c, or -1. */
static int
connection_fd(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

	return info != NULL ? info->connect_fd : -1;
}

/* The request on @c was read whole (it is being answered), or answered:
 * its answer, or the next request, may take the timeout from now.
 *
 * The watchdog closes a connection only when the client took nothing of
 * what was sent to it for the whole timeout: it acknowledged nothing.
 * libmicrohttpd's own timeout (off while the watchdog runs) counts from
 * its last write to the socket, which it makes only once a good part of
 * the send buffer has drained, and it closed the connection of a client
 * that took a big calendar slowly but steadily (10 KB/s and less with
 * 15 s) in the middle of the body. Returns the bytes the client has
 * acknowledged on the connection so far (acked_bytes), or -1. */
static gint64
set_deadline(EvfHttpd *h, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	Conn *conn = info != NULL ? info->socket_context : NULL;

	gint64 acked;

	if (conn == NULL)
		return -1;
	g_mutex_lock(&h->conns_lock);
	acked = acked_bytes(conn->fd);
	conn->taken = sent_taken(conn->fd, acked);
	conn->deadline = g_get_monotonic_time() + h->timeout;
	watch(h, conn);
	g_mutex_unlock(&h->conns_lock);
	return acked;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
              enum MHD_ConnectionNotificationCode code)
{
	EvfHttpd *h = cls;
	Conn *conn = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		int fd = connection_fd(c);

		if (fd < 0)
			return;
		conn = g_new0(Conn, 1);
		conn->fd = fd;
		conn->deadline = g_get_monotonic_time() + h->timeout;
		g_mutex_lock(&h->conns_lock);
		g_hash_table_add(h->conns, conn);
		watch(h, conn);
		g_mutex_unlock(&h->conns_lock);
		*socket_context = conn;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && conn != NULL) {
		g_mutex_lock(&h->conns_lock);
		g_hash_table_remove(h->conns, conn);
		g_mutex_unlock(&h->conns_lock);
		*socket_context = NULL;
	}
}

/* (transfer full): the state of a request whose target is @uri, as
 * *req_cls until on_completed(). libmicrohttpd calls this once per
 * request, with the whole target, before it cuts off the query. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	Request *rq = g_new0(Request, 1);

	rq->target = g_strdup(uri);
	rq->acked = -1;
	return rq;
}

static void
request_free(Request *rq)
{
	if (rq == NULL)
		return;
	g_free(rq->target);
	g_free(rq->logged);
	g_free(rq);
}

/* What the access log says of an answer that did not go out whole. */
static const char *
unfinished(enum MHD_RequestTerminationCode code)
{
	switch (code) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return NULL;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return "timed out";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return "the server stopped";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
	case MHD_REQUEST_TERMINATED_READ_ERROR:
		return "the client went away";
	case MHD_REQUEST_TERMINATED_WITH_ERROR:
	default:
		return "the connection failed or was cut";
	}
}

/* An answer was sent (or given up): the next request's time starts. */
static void
on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
             enum MHD_RequestTerminationCode code)
{
	EvfHttpd *h = cls;
	Request *rq = *req_cls;
	const char *why = unfinished(code);

	/* (logged once it went, or did not: a request whose answer has no
	 * room in the connection's memory is closed without one) */
	if (rq != NULL && rq->logged != NULL) {
		/* (how much of the answer, its header with its body, the
		 * client took of one cut off, when TCP says) */
		gint64 now = why != NULL && rq->acked >= 0
		                 ? acked_bytes(connection_fd(c))
		                 : -1;
		g_autofree char *taken =
		    rq->acked >= 0 && now >= rq->acked
		        ? g_strdup_printf(" (%" G_GINT64_FORMAT
		                          " bytes of the answer taken)",
		                          now - rq->acked)
		        : NULL;

		g_message("%s%s%s%s%s", rq->logged,
		          why != NULL ? ", not sent whole" : "",
		          taken != NULL ? taken : "", why != NULL ? ": " : "",
		          why != NULL ? why : "");
	}
	if (rq != NULL && rq->seen)
		g_atomic_int_dec_and_test(&h->busy);
	request_free(*req_cls);
	*req_cls = NULL;
	set_deadline(cls, c);
}

/* Shuts down the socket of each connection whose deadline came with
 * its request not whole and nothing sent to it taken since the last look
 * (set_deadline); libmicrohttpd then reads its end and closes it. The lock
 * keeps a socket from being closed (and its number reused) while it is looked
 * at. It sleeps until the next deadline (watch() wakes it for an earlier one),
 * and while no request is under way, until one is. */
static gpointer
watchdog(gpointer data)
{
	EvfHttpd *h = data;

	g_mutex_lock(&h->conns_lock);
	while (!h->stopping) {
		gint64 now = g_get_monotonic_time();
		GHashTableIter it;
		gpointer key;

		h->wake_at = G_MAXINT64;
		g_hash_table_iter_init(&it, h->conns);
		while (g_hash_table_iter_next(&it, &key, NULL)) {
			Conn *conn = key;

			if (conn->deadline <= now) {
				gint64 taken =
				    sent_taken(conn->fd, acked_bytes(conn->fd));

				/* the client takes what was sent: another
				 * timeout */
				if (taken != conn->taken) {
					conn->taken = taken;
					conn->deadline = now + h->timeout;
				} else {
					(void)shutdown(conn->fd, SHUT_RDWR);
					conn->deadline = G_MAXINT64;
				}
			}
			h->wake_at = MIN(h->wake_at, conn->deadline);
		}
		if (h->wake_at == G_MAXINT64)
			g_cond_wait(&h->conns_cond, &h->conns_lock);
		else
			g_cond_wait_until(&h->conns_cond, &h->conns_lock,
			                  h->wake_at);
	}
	g_mutex_unlock(&h->conns_lock);
	return NULL;
}

/* Stops the watchdog and frees what it watches; the daemon is stopped. */
static void
watchdog_stop(EvfHttpd *h)
{
	if (h->watchdog != NULL) {
		g_mutex_lock(&h->conns_lock);
		h->stopping = TRUE;
		g_cond_signal(&h->conns_cond);
		g_mutex_unlock(&h->conns_lock);
		g_thread_join(h->watchdog);
		h->watchdog = NULL;
	}
}

static void
conns_clear(EvfHttpd *h)
{
	g_hash_table_unref(h->conns);
	g_cond_clear(&h->conns_cond);
	g_mutex_clear(&h->conns_lock);
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
        const char *method, const char *version, const char *upload_data,
        size_t *upload_data_size, void **req_cls)
{
	EvfHttpd *h = cls;
	Request *rq = *req_cls;
	guint status = 0;
	gsize bytes = 0;
	enum MHD_Result rc;

	/* Answer on the second call, once the whole request is read:
	 * libmicrohttpd closes connections answered on the first call, and
	 * keep-alive matters to clients that poll. A body (none is expected)
	 * is read and dropped. A malformed request is answered at once, and
	 * its connection closed. A request that on_uri() did not see is
	 * not known whole: 400. */
	if (rq == NULL)
		*req_cls = rq = g_new0(Request, 1);
	if (!rq->seen) {
		rq->seen = TRUE;
		g_atomic_int_inc(&h->busy);
		status = request_intact(c, rq, method, url, version) &&
		                 well_formed(c, version) &&
		                 target_ok(method, url)
		             ? framing_error(c, version)
		             : MHD_HTTP_BAD_REQUEST;
		if (status == 0)
			return MHD_YES;
		set_deadline(h, c);
		rc = MHD_queue_response(c, status,
		                        status == MHD_HTTP_NOT_IMPLEMENTED
		                            ? h->not_implemented
		                            : h->bad_request);
	} else if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	} else {
		rq->acked = set_deadline(h, c);
		rc = answer(h, c, rq, method, url, &status, &bytes);
	}

	if (h->access_log) {
		g_autofree char *client = client_address(c);
		const char *text = bytes == 0 ? canned_text(status) : NULL;
		/* (HEAD is answered with the headers alone) */
		gsize sent = g_strcmp0(method, "HEAD") == 0 ? 0
		             : text != NULL                 ? strlen(text)
		                                            : bytes;
		g_autofree char *m = evf_log_escape(method);
		g_autofree char *u = loggable_target(url);

		g_free(rq->logged);
		rq->logged = g_strdup_printf("%s \"%s %s\" %u %" G_GSIZE_FORMAT,
		                             client, m, u, status, sent);
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

static void
destroy_responses(EvfHttpd *h)
{
	MHD_destroy_response(h->not_found);
	MHD_destroy_response(h->not_allowed);
	MHD_destroy_response(h->unavailable);
	MHD_destroy_response(h->bad_request);
	MHD_destroy_response(h->too_long);
	MHD_destroy_response(h->not_implemented);
	MHD_destroy_response(h->failed);
}

/* Whether @host is "localhost" or a name under it (RFC 6761 §6.3), with
 * or without its final dot, in any case. */
static gboolean
local_name(const char *host)
{
	g_autofree char *name = g_ascii_strdown(host, -1);
	gsize n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		name[n - 1] = '\0';
	return strcmp(name, "localhost") == 0 ||
	       g_str_has_suffix(name, ".localhost");
}

static gboolean
parse_listen(const char *listen, struct sockaddr_storage *out, GError **error)
{
	g_autoptr(GSocketConnectable) addr = NULL;
	g_autoptr(GSocketAddressEnumerator) en = NULL;
	g_autoptr(GSocketAddress) sa = NULL;
	g_autofree char *unbracketed = evf_listen_unbracketed(listen);

	if (unbracketed != NULL) {
		g_set_error_literal(error, G_IO_ERROR,
		                    G_IO_ERROR_INVALID_ARGUMENT, unbracketed);
		return FALSE;
	}
	addr = g_network_address_parse(listen, 8080, error);
	if (addr == NULL)
		return FALSE;
	/* localhost is 127.0.0.1, as the default address is: GLib answers
	 * the name itself, ::1 first, where /etc/hosts may give 127.0.0.1
	 * alone, and a proxy or a client of IPv4 that asked the system for
	 * localhost could not connect ([::1] is written so) */
	if (local_name(
	        g_network_address_get_hostname(G_NETWORK_ADDRESS(addr)))) {
		sa = g_inet_socket_address_new_from_string(
		    "127.0.0.1",
		    g_network_address_get_port(G_NETWORK_ADDRESS(addr)));
		return g_socket_address_to_native(sa, out, sizeof *out, error);
	}
	en = g_socket_connectable_enumerate(addr);
	sa = g_socket_address_enumerator_next(en, NULL, error);
	if (sa == NULL)
		return FALSE;
	return g_socket_address_to_native(sa, out, sizeof *out, error);
}

gboolean
evf_httpd_check_listen(const char *listen, GError **error)
{
	struct sockaddr_storage addr;
	const int one = 1;
	int fd;
	int e = 0;

	if (!parse_listen(listen, &addr, error)) {
		g_autofree char *shown = evf_log_escape(listen);

		g_prefix_error(error, "listen '%s': ", shown);
		return FALSE;
	}
	/* as libmicrohttpd binds: an address still in TIME_WAIT is free */
	fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    (addr.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0) ||
	    bind(fd, (struct sockaddr *)&addr,
	         addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                    : sizeof(struct sockaddr_in)) < 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	if (e != 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
		            "cannot listen on '%s': %s", listen, g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

/* The files a process of evfeed serve keeps open beside its connections,
 * at most: a build's (it needs fewer than 40), the state, partners'
 * fetches and their parsers' pipes, the watches of the event files; and
 * libmicrohttpd's own, per thread (its epoll, its wake-up pipe). */
#define FILES_KEPT       128
#define FILES_PER_THREAD 4

/* How many of @wanted connections this process may hold open at once
 * beside what @threads threads keep: its soft limit of open files is
 * raised to the hard one (the systemd default soft limit is 1024, and 256
 * connections from each of 4 addresses took every one: builds failed
 * with EMFILE, and new clients waited unanswered); what it still cannot
 * hold is left out, and said so. */
static guint
connections_that_fit(guint wanted, guint threads)
{
	struct rlimit rl;
	rlim_t kept = FILES_KEPT + (rlim_t)FILES_PER_THREAD * threads;
	rlim_t room;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit raised = { rl.rlim_max, rl.rlim_max };

		if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
			rl = raised;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= wanted + kept)
		return wanted;
	room = rl.rlim_cur > kept ? rl.rlim_cur - kept : 0;
	if (room < 16)
		g_warning(
		    "the %lu files this process may open are too few: "
		    "builds, partners and %u threads keep %lu, and "
		    "connections need more (raise the limit: LimitNOFILE= "
		    "in the systemd unit, ulimit -n)",
		    (unsigned long)rl.rlim_cur, threads, (unsigned long)kept);
	else
		g_warning(
		    "[server] max_connections=%u is more than the %lu "
		    "files this process may open allow, with %lu kept for "
		    "builds, partners and %u threads: at most %lu "
		    "connections at once (raise the limit: LimitNOFILE= in "
		    "the systemd unit, ulimit -n)",
		    wanted, (unsigned long)rl.rlim_cur, (unsigned long)kept,
		    threads, (unsigned long)room);
	return (guint)MAX(room, 1);
}

EvfHttpd *
evf_httpd_start(const EvfHttpdOptions *opts, GError **error)
{
	EvfHttpd *h = g_new0(EvfHttpd, 1);
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                     MHD_USE_ERROR_LOG | MHD_USE_ITC;

	g_mutex_init(&h->lock);
	g_mutex_init(&h->conns_lock);
	g_cond_init(&h->conns_cond);
	h->conns = g_hash_table_new_full(NULL, NULL, g_free, NULL);
	h->wake_at = G_MAXINT64;
	h->timeout = (gint64)opts->timeout * G_USEC_PER_SEC;
	h->access_log = opts->access_log;
	if (!parse_listen(opts->listen, &h->addr, error)) {
		g_autofree char *shown = evf_log_escape(opts->listen);

		g_prefix_error(error, "listen '%s': ", shown);
		conns_clear(h);
		g_free(h);
		return NULL;
	}
	if (h->addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->not_found = text_response(canned_text(MHD_HTTP_NOT_FOUND));
	h->not_allowed =
	    text_response(canned_text(MHD_HTTP_METHOD_NOT_ALLOWED));
	MHD_add_response_header(h->not_allowed, MHD_HTTP_HEADER_ALLOW,
	                        "GET, HEAD");
	h->unavailable =
	    text_response(canned_text(MHD_HTTP_SERVICE_UNAVAILABLE));
	MHD_add_response_header(h->unavailable, MHD_HTTP_HEADER_RETRY_AFTER,
	                        "5");
	h->bad_request = text_response(canned_text(MHD_HTTP_BAD_REQUEST));
	h->too_long = text_response(canned_text(MHD_HTTP_URI_TOO_LONG));
	h->not_implemented =
	    text_response(canned_text(MHD_HTTP_NOT_IMPLEMENTED));
	h->failed = text_response(canned_text(MHD_HTTP_PRECONDITION_FAILED));
	/* (before the first connection: it times them all, and
	 * libmicrohttpd none, unless it cannot start) */
	h->watchdog = g_thread_try_new("evfeed-watchdog", watchdog, h, NULL);
	if (h->watchdog == NULL)
		g_warning("cannot start a thread: requests sent slowly are "
		          "cut only when idle for the timeout");
	h->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, handler, h, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&h->addr, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned int)opts->threads, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)connections_that_fit(opts->max_connections,
	                                       opts->threads),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)opts->max_per_client, MHD_OPTION_CONNECTION_TIMEOUT,
	    h->watchdog != NULL ? 0U : (unsigned int)opts->timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)511,
	    MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_END);
	if (h->daemon == NULL) {
		evf_throw(error,
		          "cannot listen on '%s' (in use, or not an "
		          "address of this machine?)",
		          opts->listen);
		watchdog_stop(h);
		destroy_responses(h);
		conns_clear(h);
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
		 * follow the client's progress more closely (and while they
		 * are made, the watchdog times the answer by it,
		 * set_deadline). Accepted sockets inherit the listener's
		 * size. */
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
evf_httpd_set_prefix(EvfHttpd *h, const char *prefix)
{
	g_return_if_fail(prefix == NULL || prefix[0] == '\0' ||
	                 g_str_has_suffix(prefix, "/"));
	g_mutex_lock(&h->lock);
	g_free(h->prefix);
	h->prefix = g_strdup(prefix);
	g_mutex_unlock(&h->lock);
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
	/* The answers under way are finished; a connection kept alive
	 * between requests is closed at once (its client asks again
	 * elsewhere, or later). */
	while (g_get_monotonic_time() < deadline &&
	       g_atomic_int_get(&h->busy) > 0)
		g_usleep(10 * 1000);
	MHD_stop_daemon(h->daemon);
	watchdog_stop(h);
	conns_clear(h);
	destroy_responses(h);
	evf_snapshot_unref(h->snap);
	if (h->status != NULL)
		g_bytes_unref(h->status);
	g_free(h->prefix);
	g_mutex_clear(&h->lock);
	g_free(h);
}
