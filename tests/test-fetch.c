/*
 * test-fetch.c: the fetcher's address policy (src/fetch.c).
 *
 * evf_fetch_address_is_private on each kind of address, at the edges of
 * each range, and on the other spellings of an address that libcurl and
 * getaddrinfo accept; then the fetcher itself (libcurl, its open-socket
 * callback, its redirects) against a small HTTP server on 127.0.0.1: a
 * source whose own URL is public may not reach a private address, however
 * a redirect spells it.
 *
 * A public source cannot be served from loopback, so this program
 * pretends: it defines connect(), which libcurl calls instead of the C
 * library's, and sends a connection to PUBLIC_IP (203.0.113.7, an address
 * for documentation) to the server on 127.0.0.1 instead. Every other
 * destination but loopback fails with ENETUNREACH and is counted, so that
 * nothing leaves the machine even when the policy is broken. The fetcher's
 * code, the open-socket callback included, runs as it is.
 *
 * The same refusals for configured URLs, the schemes, the proxy variables
 * and the other hostile answers are tested end to end, with the evfeed
 * binary, by tests/integration/hostile-fetch.sh.
 */
#include "autoconf.h"

#include "fetch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PUBLIC_IP "203.0.113.7"

/* ------------------------------------------------------- the classifier */

/* @text as an address: IPv6 when it has a colon, else IPv4 in any
 * spelling inet_aton takes (2130706433, 0x7f.1, 0177.0.0.1, 127.1), which
 * are those getaddrinfo and libcurl take too. */
static void
parse_address(const char *text, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (strchr(text, ':') != NULL) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, text, &a->sin6_addr) != 1)
			g_error("'%s' is not an IPv6 address", text);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		if (inet_aton(text, &a->sin_addr) == 0)
			g_error("'%s' is not an IPv4 address", text);
	}
}

static void
assert_private(const char *const *texts, gsize n, gboolean expected)
{
	for (gsize i = 0; i < n; i++) {
		struct sockaddr_storage ss;

		parse_address(texts[i], &ss);
		if (evf_fetch_address_is_private((struct sockaddr *)&ss) !=
		    expected)
			g_error("%s should be %s", texts[i],
			        expected ? "private" : "public");
	}
}

static void
test_address_ipv4(void)
{
	/* Each range at both ends. */
	static const char *const private[] = {
		"0.0.0.0",         "0.255.255.255",   "10.0.0.0",
		"10.255.255.255",  "100.64.0.0",      "100.127.255.255",
		"127.0.0.1",       "127.255.255.255", "169.254.0.0",
		"169.254.169.254", "169.254.255.255", "172.16.0.0",
		"172.31.255.255",  "192.0.0.0",       "192.0.0.255",
		"192.168.0.0",     "192.168.255.255", "224.0.0.1",
		"239.255.255.250", "240.0.0.1",       "255.255.255.255",
	};
	/* Just outside each range, and ordinary public addresses. */
	static const char *const public[] = {
		"1.1.1.1",         "8.8.8.8",         "9.255.255.255",
		"11.0.0.0",        "100.63.255.255",  "100.128.0.0",
		"126.255.255.255", "128.0.0.0",       "169.253.255.255",
		"169.255.0.0",     "172.15.255.255",  "172.32.0.0",
		"192.0.1.0",       "192.167.255.255", "192.169.0.0",
		"203.0.113.7",     "223.255.255.255",
	};

	assert_private(private, G_N_ELEMENTS(private), TRUE);
	assert_private(public, G_N_ELEMENTS(public), FALSE);
}

/* HARDENING B10: the other spellings of 127.0.0.1 and of the cloud
 * metadata address are the same addresses once resolved, and it is the
 * resolved address that the open-socket callback judges. */
static void
test_address_spellings(void)
{
	static const struct {
		const char *text;
		const char *canonical;
	} spellings[] = {
		{ "2130706433", "127.0.0.1" },
		{ "0x7f.1", "127.0.0.1" },
		{ "0x7f000001", "127.0.0.1" },
		{ "0177.0.0.1", "127.0.0.1" },
		{ "127.1", "127.0.0.1" },
		{ "2852039166", "169.254.169.254" },
		{ "0xa9.0xfe.0xa9.0xfe", "169.254.169.254" },
		{ "012.1", "10.0.0.1" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(spellings); i++) {
		struct sockaddr_storage ss;
		char text[INET_ADDRSTRLEN];

		parse_address(spellings[i].text, &ss);
		g_assert_nonnull(
		    inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		              text, sizeof text));
		g_assert_cmpstr(text, ==, spellings[i].canonical);
		if (!evf_fetch_address_is_private((struct sockaddr *)&ss))
			g_error("%s should be private", spellings[i].text);
	}
}

static void
test_address_ipv6(void)
{
	static const char *const private[] = {
		"::",
		"::1",
		"fe80::1",
		"febf:ffff::1",
		"fec0::1",
		"ff02::1",
		"ff0e::1",
		"fc00::1",
		"fd12:3456:789a::1",
		/* IPv4-mapped and IPv4-compatible: the IPv4 inside counts */
		"::ffff:127.0.0.1",
		"::ffff:7f00:1",
		"::ffff:169.254.169.254",
		"::ffff:10.1.2.3",
		"::ffff:0.0.0.0",
		"::127.0.0.1",
		"::169.254.169.254",
	};
	static const char *const public[] = {
		"2001:db8::1",   "2606:4700:4700::1111", "fe7f::1",
		"fbff::1",       "::ffff:203.0.113.7",   "::ffff:8.8.8.8",
		"::203.0.113.7",
	};

	assert_private(private, G_N_ELEMENTS(private), TRUE);
	assert_private(public, G_N_ELEMENTS(public), FALSE);
}

static void
test_address_other_family(void)
{
	struct sockaddr sa = { .sa_family = AF_UNIX };

	g_assert_true(evf_fetch_address_is_private(&sa));
}

/* -------------------------------------------------- where libcurl goes */

static gint public_connects;   /* to PUBLIC_IP, sent to 127.0.0.1 */
static gint loopback_connects; /* to 127.0.0.1 or ::1 themselves */
static gint blocked_connects;  /* anywhere else: refused here */

static gboolean
is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

	if (sa->sa_family == AF_INET)
		return ntohl(in->sin_addr.s_addr) == INADDR_LOOPBACK;
	return sa->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}

/* libcurl's connect() (see the top of the file): PUBLIC_IP goes to
 * loopback, loopback and local sockets stay, anything else is
 * unreachable. */
int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_in to;

	if (sa->sa_family == AF_INET && len >= sizeof to) {
		memcpy(&to, sa, sizeof to);
		if (to.sin_addr.s_addr == inet_addr(PUBLIC_IP)) {
			g_atomic_int_inc(&public_connects);
			to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			return (int)syscall(SYS_connect, fd, &to, sizeof to);
		}
	}
	if (sa->sa_family == AF_UNIX)
		return (int)syscall(SYS_connect, fd, sa, len);
	if (is_loopback(sa)) {
		g_atomic_int_inc(&loopback_connects);
		return (int)syscall(SYS_connect, fd, sa, len);
	}
	g_atomic_int_inc(&blocked_connects);
	errno = ENETUNREACH;
	return -1;
}

/* An HTTP server on 127.0.0.1, one connection at a time:
 * "/redirect?to=URL" answers 302 to URL (percent-decoded), "/moved" 301
 * to "/feed" (a relative reference), "/feed" 200, "/think?ms=N" 200 with
 * the feed after N milliseconds of silence, "/304" always 304,
 * "/header-line" the feed with a header line of 200 KB, "/header-lines"
 * with 5,000 of 100 bytes (500 KB), anything else 404. Counts the
 * requests by path. */
typedef struct {
	int fd;
	guint16 port;
	GThread *thread;
	gint stop;
	GMutex lock;
	GHashTable *hits; /* path → GUINT_TO_POINTER(count) */
} Server;

static void
server_answer(Server *s, int conn)
{
	char req[8192];
	gsize len = 0;
	g_autofree char *path = NULL;
	g_autofree char *location = NULL; /* a header line */
	g_autofree char *answer = NULL;
	const char *body = "not found\n";
	const char *status = "404 Not Found";

	while (len < sizeof req - 1) {
		struct pollfd p = { .fd = conn, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 5000) != 1)
			return;
		n = read(conn, req + len, sizeof req - 1 - len);
		if (n <= 0)
			return;
		len += (gsize)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	if (strncmp(req, "GET ", 4) != 0 || strchr(req + 4, ' ') == NULL)
		return;
	path = g_strndup(req + 4, (gsize)(strchr(req + 4, ' ') - req - 4));
	g_mutex_lock(&s->lock);
	g_hash_table_insert(
	    s->hits, g_strdup(path),
	    GUINT_TO_POINTER(
	        GPOINTER_TO_UINT(g_hash_table_lookup(s->hits, path)) + 1));
	g_mutex_unlock(&s->lock);

	if (g_str_has_prefix(path, "/redirect?to=")) {
		g_autofree char *to = g_uri_unescape_string(path + 13, NULL);

		location = g_strdup_printf("Location: %s\r\n", to);
		status = "302 Found";
		body = "moved\n";
	} else if (strcmp(path, "/moved") == 0) {
		location = g_strdup("Location: /feed\r\n");
		status = "301 Moved Permanently";
		body = "moved\n";
	} else if (strcmp(path, "/feed") == 0) {
		status = "200 OK";
		body = "partner feed\n";
	} else if (g_str_has_prefix(path, "/think?ms=")) {
		g_usleep(g_ascii_strtoull(path + 10, NULL, 10) * 1000);
		status = "200 OK";
		body = "partner feed\n";
	} else if (strcmp(path, "/304") == 0) {
		status = "304 Not Modified";
		body = "";
	} else if (strcmp(path, "/header-line") == 0 ||
	           strcmp(path, "/header-lines") == 0) {
		gboolean one = strcmp(path, "/header-line") == 0;
		GString *h = g_string_new(NULL);

		for (guint i = 0; i < (one ? 1 : 5000); i++) {
			g_string_append_printf(h, "X-Filler-%u: ", i);
			for (guint k = 0; k < (one ? 200000 : 80); k++)
				g_string_append_c(h, 'x');
			g_string_append(h, "\r\n");
		}
		location = g_string_free(h, FALSE);
		status = "200 OK";
		body = "partner feed\n";
	}
	answer = g_strdup_printf("HTTP/1.1 %s\r\n"
	                         "Content-Type: text/plain\r\n"
	                         "Content-Length: %zu\r\n"
	                         "%sConnection: close\r\n\r\n%s",
	                         status, strlen(body), location ? location : "",
	                         body);
	/* A client that left meanwhile (a timeout) is the test's to notice,
	 * without a SIGPIPE. */
	if (send(conn, answer, strlen(answer), MSG_NOSIGNAL) < 0)
		return;
}

static gpointer
server_run(gpointer data)
{
	Server *s = data;

	while (!g_atomic_int_get(&s->stop)) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		int conn;

		if (poll(&p, 1, 20) != 1)
			continue;
		conn = accept(s->fd, NULL, NULL);
		if (conn < 0)
			continue;
		server_answer(s, conn);
		close(conn);
	}
	return NULL;
}

static void
server_start(Server *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;

	memset(s, 0, sizeof *s);
	g_mutex_init(&s->lock);
	s->hits = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint(s->fd, >=, 0);
	g_assert_cmpint(bind(s->fd, (struct sockaddr *)&a, sizeof a), ==, 0);
	g_assert_cmpint(listen(s->fd, 16), ==, 0);
	g_assert_cmpint(getsockname(s->fd, (struct sockaddr *)&a, &len), ==, 0);
	s->port = ntohs(a.sin_port);
	s->thread = g_thread_new("server", server_run, s);
}

static void
server_stop(Server *s)
{
	g_atomic_int_set(&s->stop, 1);
	g_thread_join(s->thread);
	close(s->fd);
	g_hash_table_unref(s->hits);
	g_mutex_clear(&s->lock);
}

static guint
server_hits(Server *s, const char *path)
{
	guint n;

	g_mutex_lock(&s->lock);
	n = GPOINTER_TO_UINT(g_hash_table_lookup(s->hits, path));
	g_mutex_unlock(&s->lock);
	return n;
}

static void
on_done(EvfFetchResult *res, gpointer data)
{
	*(EvfFetchResult **)data = res;
}

/* Runs the @n requests @reqs in one fetcher, as one pass over the
 * sources does; @res[i] (transfer full) is the result of @reqs[i]. */
static void
fetch_all(const EvfFetchRequest *reqs, guint n, EvfFetchResult **res)
{
	g_autoptr(GMainContext) ctx = g_main_context_new();
	EvfFetcher *f;
	guint done = 0;

	g_main_context_push_thread_default(ctx);
	f = evf_fetcher_new("evfeed-test");
	for (guint i = 0; i < n; i++) {
		res[i] = NULL;
		evf_fetcher_add(f, &reqs[i], on_done, &res[i]);
	}
	while (done < n) {
		g_main_context_iteration(ctx, TRUE);
		for (done = 0; done < n && res[done] != NULL;)
			done++;
	}
	evf_fetcher_free(f);
	g_main_context_pop_thread_default(ctx);
}

/* (transfer full): the fetch of @url, as a partner source's. */
static EvfFetchResult *
fetch(const char *url)
{
	EvfFetchRequest req = {
		.name = "test",
		.url = url,
		.timeout = 20,
		.max_bytes = 1024 * 1024,
	};
	EvfFetchResult *res = NULL;

	fetch_all(&req, 1, &res);
	return res;
}

/* (transfer full): @tmpl with each "PORT" replaced by @port. */
static char *
with_port(const char *tmpl, guint16 port)
{
	g_auto(GStrv) parts = g_strsplit(tmpl, "PORT", -1);
	g_autofree char *p = g_strdup_printf("%u", port);

	return g_strjoinv(p, parts);
}

/* Fetches @tmpl (see with_port) and checks where libcurl connected:
 * @public times to PUBLIC_IP, @loopback times to loopback itself, nowhere
 * else. (transfer full): the result. */
static EvfFetchResult *
fetch_counted(const char *tmpl, guint16 port, gint public, gint loopback)
{
	g_autofree char *url = with_port(tmpl, port);
	EvfFetchResult *res;

	g_atomic_int_set(&public_connects, 0);
	g_atomic_int_set(&loopback_connects, 0);
	g_atomic_int_set(&blocked_connects, 0);
	res = fetch(url);
	g_test_message("%s: %s", url, res->error ? res->error : "fetched");
	g_assert_cmpint(g_atomic_int_get(&public_connects), ==, public);
	g_assert_cmpint(g_atomic_int_get(&loopback_connects), ==, loopback);
	g_assert_cmpint(g_atomic_int_get(&blocked_connects), ==, 0);
	return res;
}

static void
assert_fetched(const char *tmpl, guint16 port, gint public, gint loopback)
{
	g_autoptr(EvfFetchResult) res =
	    fetch_counted(tmpl, port, public, loopback);
	gsize len = 0;
	const char *data;

	g_assert_cmpstr(res->error, ==, NULL);
	g_assert_cmpint(res->status, ==, 200);
	g_assert_nonnull(res->body);
	data = g_bytes_get_data(res->body, &len);
	g_assert_cmpmem(data, len, "partner feed\n", 13);
}

/* Refused as private, before any connect() but the @public ones. */
static void
assert_refused(const char *tmpl, guint16 port, gint public)
{
	g_autoptr(EvfFetchResult) res = fetch_counted(tmpl, port, public, 0);

	g_assert_cmpstr(res->error, ==,
	                "refused: the address is private or local");
	g_assert_null(res->body);
}

/* The URL template of "/redirect?to=@target" on the public address. */
static char *
public_redirect(const char *target)
{
	g_autofree char *to = g_uri_escape_string(target, NULL, FALSE);

	return g_strconcat("http://" PUBLIC_IP ":PORT/redirect?to=", to, NULL);
}

/* The controls: a source on a private address, the operator's choice, is
 * fetched; so is a public one, through the pretence, and a public one
 * that redirects to another public address. */
static void
test_socket_allowed(void)
{
	g_autofree char *redirect =
	    public_redirect("http://" PUBLIC_IP ":PORT/feed");
	Server s;

	server_start(&s);
	assert_fetched("http://127.0.0.1:PORT/feed", s.port, 0, 1);
	assert_fetched("http://" PUBLIC_IP ":PORT/feed", s.port, 1, 0);
	assert_fetched(redirect, s.port, 2, 0);
	g_assert_cmpuint(server_hits(&s, "/feed"), ==, 3);
	server_stop(&s);
}

/* HARDENING B10, B11: a configured URL whose host is not a private
 * literal is public, even when it resolves to loopback. */
static void
test_socket_public_name(void)
{
	Server s;

	server_start(&s);
	assert_refused("http://evfeed-test.localhost:PORT/feed", s.port, 0);
	assert_refused("http://2130706433:PORT/feed", s.port, 0);
	assert_refused("http://0x7f.1:PORT/feed", s.port, 0);
	g_assert_cmpuint(server_hits(&s, "/feed"), ==, 0);
	server_stop(&s);
}

/* HARDENING B9, B10, B11: a public source redirected to loopback, to the
 * cloud metadata address, to a private network, in every spelling, or to
 * a name that resolves to loopback: refused before connect(), and the
 * target never asked. */
static void
test_redirect_private(void)
{
	static const char *const targets[] = {
		"http://127.0.0.1:PORT/feed",
		"http://169.254.169.254/latest/meta-data/",
		"http://10.1.2.3/feed",
		"http://192.168.1.1:PORT/feed",
		"http://2130706433:PORT/feed",
		"http://0x7f.1:PORT/feed",
		"http://0177.0.0.1:PORT/feed",
		"http://[::1]:PORT/feed",
		"http://[::ffff:127.0.0.1]:PORT/feed",
		"http://[::ffff:169.254.169.254]/latest/meta-data/",
		"http://[fe80::1]:PORT/feed",
		"http://localhost:PORT/feed",
		"http://evfeed-test.localhost:PORT/feed",
	};
	Server s;

	server_start(&s);
	for (guint i = 0; i < G_N_ELEMENTS(targets); i++) {
		g_autofree char *redirect = public_redirect(targets[i]);

		assert_refused(redirect, s.port, 1);
	}
	g_assert_cmpuint(server_hits(&s, "/feed"), ==, 0);
	server_stop(&s);
}

/* Two sources on one host: the second waits for the first, over one
 * connection at a time, and its own timeout starts only with its request:
 * a source that was never asked is never blamed for the other's slowness
 * (its 1 s timeout is shorter than the first one's answer). */
static void
test_host_wait_not_counted(void)
{
	g_autofree char *slow = NULL;
	g_autofree char *quick = NULL;
	EvfFetchRequest reqs[2] = {
		{ .name = "slow", .timeout = 20, .max_bytes = 1024 },
		{ .name = "quick", .timeout = 1, .max_bytes = 1024 },
	};
	EvfFetchResult *res[2];
	Server s;

	server_start(&s);
	slow = with_port("http://127.0.0.1:PORT/think?ms=1500", s.port);
	quick = with_port("http://127.0.0.1:PORT/feed", s.port);
	reqs[0].url = slow;
	reqs[1].url = quick;
	fetch_all(reqs, 2, res);
	for (guint i = 0; i < 2; i++) {
		g_test_message("%s: %s", res[i]->name,
		               res[i]->error ? res[i]->error : "fetched");
		g_assert_cmpstr(res[i]->error, ==, NULL);
		g_assert_cmpint(res[i]->status, ==, 200);
		evf_fetch_result_free(res[i]);
	}
	g_assert_cmpuint(server_hits(&s, "/feed"), ==, 1);
	server_stop(&s);
}

/* evfeed.conf(5): timeout is the longest one fetch may take. A server that
 * thinks for 3 s before it answers is within a 6 s timeout; the timeout
 * itself still ends a fetch that takes longer. */
static void
test_timeout_think(void)
{
	g_autofree char *url = NULL;
	EvfFetchRequest req = { .name = "test", .max_bytes = 1024 };
	EvfFetchResult *res = NULL;
	Server s;

	server_start(&s);
	url = with_port("http://127.0.0.1:PORT/think?ms=3000", s.port);
	req.url = url;
	req.timeout = 6;
	fetch_all(&req, 1, &res);
	g_assert_cmpstr(res->error, ==, NULL);
	g_assert_cmpint(res->status, ==, 200);
	g_clear_pointer(&res, evf_fetch_result_free);
	req.timeout = 1;
	fetch_all(&req, 1, &res);
	g_assert_cmpstr(
	    res->error, ==,
	    "timed out (the server is too slow or does not answer)");
	g_clear_pointer(&res, evf_fetch_result_free);
	server_stop(&s);
}

/* RFC 9110 §15.4.5: a 304 answers a conditional request only. */
static void
test_not_modified_unconditional(void)
{
	g_autofree char *url = NULL;
	EvfFetchRequest req = { .name = "test",
		                .timeout = 20,
		                .max_bytes = 1024 };
	EvfFetchResult *res = NULL;
	Server s;

	server_start(&s);
	url = with_port("http://127.0.0.1:PORT/304", s.port);
	req.url = url;
	fetch_all(&req, 1, &res);
	g_assert_false(res->not_modified);
	g_assert_cmpstr(res->error, ==,
	                "HTTP 304 (not modified) to a request without "
	                "validators");
	g_clear_pointer(&res, evf_fetch_result_free);
	req.etag = "\"1\"";
	fetch_all(&req, 1, &res);
	g_assert_true(res->not_modified);
	g_assert_cmpstr(res->error, ==, NULL);
	g_clear_pointer(&res, evf_fetch_result_free);
	req.etag = NULL;
	req.last_modified = "Mon, 01 Oct 2018 08:00:00 GMT";
	fetch_all(&req, 1, &res);
	g_assert_true(res->not_modified);
	g_clear_pointer(&res, evf_fetch_result_free);
	server_stop(&s);
}

/* Header lines that libcurl refuses are said to be too large, not
 * "Out of memory" (one over 100 KB) or "the connection broke" (over
 * 300 KB in all). */
static void
test_header_too_large(void)
{
	static const char *const cases[][2] = {
		{ "/header-line", "a response header line over 100 KB" },
		{ "/header-lines",
		  "too large: response header lines over 300 KB" },
	};
	Server s;

	server_start(&s);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *url = g_strdup_printf("http://127.0.0.1:%u%s",
		                                       s.port, cases[i][0]);
		EvfFetchRequest req = { .name = "test",
			                .url = url,
			                .timeout = 20,
			                .max_bytes = 1024 };
		g_autoptr(EvfFetchResult) res = NULL;

		fetch_all(&req, 1, &res);
		g_assert_nonnull(res->error);
		g_assert_true(g_str_has_prefix(res->error, cases[i][1]));
	}
	server_stop(&s);
}

/* A permanent redirect's relative Location is resolved against the URL
 * that answered (RFC 9110 §10.2.2): the address to configure. */
static void
test_moved_relative(void)
{
	g_autofree char *feed = NULL;
	g_autoptr(EvfFetchResult) res = NULL;
	Server s;

	server_start(&s);
	feed = with_port("http://127.0.0.1:PORT/feed", s.port);
	res = fetch_counted("http://127.0.0.1:PORT/moved", s.port, 0, 2);
	g_assert_cmpstr(res->error, ==, NULL);
	g_assert_cmpstr(res->moved_to, ==, feed);
	server_stop(&s);
}

/* The address to configure never repeats the user name and password of
 * the configured URL: it goes to the log and the state, and evfeed.conf(5)
 * promises they are only sent to the partner. */
static void
test_moved_without_credentials(void)
{
	g_autofree char *feed = NULL;
	g_autoptr(EvfFetchResult) res = NULL;
	Server s;

	server_start(&s);
	feed = with_port("http://127.0.0.1:PORT/feed", s.port);
	res = fetch_counted("http://user:s3cret@127.0.0.1:PORT/moved", s.port,
	                    0, 2);
	g_assert_cmpstr(res->error, ==, NULL);
	g_assert_cmpstr(res->moved_to, ==, feed);
	server_stop(&s);
}

/* Only a chain of permanent redirects moves the source: behind a
 * temporary one (302), a 301 moves the temporary address, not the
 * configured one (RFC 9110 §15.4.3), which stays the one to use. */
static void
test_moved_behind_temporary(void)
{
	g_autoptr(EvfFetchResult) res = NULL;
	Server s;

	server_start(&s);
	res = fetch_counted("http://127.0.0.1:PORT/redirect?to=/moved", s.port,
	                    0, 3);
	g_assert_cmpstr(res->error, ==, NULL);
	g_assert_cmpint(res->status, ==, 200);
	g_assert_cmpstr(res->moved_to, ==, NULL);
	server_stop(&s);
}

/* From an https address, redirects are followed to https alone: a
 * partner's listing is not read in plain text behind an address that
 * promised otherwise. */
static void
test_redirect_protocols(void)
{
	g_assert_cmpstr(evf_fetch_redirect_protocols("https://a.example/f"), ==,
	                "https");
	g_assert_cmpstr(evf_fetch_redirect_protocols("HTTPS://a.example/f"), ==,
	                "https");
	g_assert_cmpstr(evf_fetch_redirect_protocols("http://a.example/f"), ==,
	                "http,https");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fetch/address/ipv4", test_address_ipv4);
	g_test_add_func("/fetch/address/spellings", test_address_spellings);
	g_test_add_func("/fetch/address/ipv6", test_address_ipv6);
	g_test_add_func("/fetch/address/other-family",
	                test_address_other_family);
	g_test_add_func("/fetch/socket/allowed", test_socket_allowed);
	g_test_add_func("/fetch/socket/public-name-to-loopback",
	                test_socket_public_name);
	g_test_add_func("/fetch/redirect/public-to-private",
	                test_redirect_private);
	g_test_add_func("/fetch/redirect/moved-relative", test_moved_relative);
	g_test_add_func("/fetch/header-too-large", test_header_too_large);
	g_test_add_func("/fetch/redirect/https-stays-https",
	                test_redirect_protocols);
	g_test_add_func("/fetch/redirect/moved-without-credentials",
	                test_moved_without_credentials);
	g_test_add_func("/fetch/redirect/moved-behind-temporary",
	                test_moved_behind_temporary);
	g_test_add_func("/fetch/host/wait-not-counted",
	                test_host_wait_not_counted);
	g_test_add_func("/fetch/timeout/think", test_timeout_think);
	g_test_add_func("/fetch/not-modified/unconditional",
	                test_not_modified_unconditional);
	return g_test_run();
}
