/*
 * fuzz-http.c: the HTTP server end to end, in this process: the input is
 * one raw request (or several, or garbage) sent over TCP to a running
 * EvfHttpd, with the options evfeed.conf gives by default, serving a small
 * snapshot (identity and gzip bodies, ETags, Last-Modified) and a status
 * document. That covers libmicrohttpd's request parser with the server's
 * limits, the fixed path table, the absolute form, the Host and field name
 * checks, the preconditions (If-Match, If-Unmodified-Since, If-None-Match,
 * If-Modified-Since with curl_getdate), Accept-Encoding q-values, methods
 * and the access log.
 * An input without an empty line gets one, so that it is a complete
 * request; the harness then shuts its side, reads one final answer and
 * closes. Whatever comes back must be an HTTP/1.x answer. Every socket has
 * receive and send timeouts (SO_RCVTIMEO, SO_SNDTIMEO), so an input cannot
 * hang the harness.
 */
#include "autoconf.h"

#include "fuzz.h"

#include "gzip.h"
#include "httpd.h"
#include "snapshot.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* How long the harness waits to send, for an answer to begin, for the
 * rest of a body, and the most it reads of an answer. A request the
 * server leaves unanswered (incomplete, or only empty lines) costs the
 * answer timeout. */
#define SEND_TIMEOUT_MS   2000
#define ANSWER_TIMEOUT_MS 250
#define BODY_TIMEOUT_MS   50
#define MAX_ANSWER        (1024 * 1024)

static EvfHttpd *httpd;
static guint port;

static const struct {
	const char *path;
	const char *body;
	gboolean gzip;
} files[] = {
	{ "index.html", "<!DOCTYPE html><title>Events</title><p>Events</p>\n",
	  TRUE },
	{ "calendar.ics",
	  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//evfeed//EN\r\n"
	  "END:VCALENDAR\r\n",
	  TRUE },
	{ "rss.xml",
	  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">"
	  "<channel><title>Events</title></channel></rss>\n",
	  TRUE },
	{ "atom.xml",
	  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	  "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Events</title>"
	  "</feed>\n",
	  FALSE },
	{ "category/training/rss.xml",
	  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">"
	  "<channel><title>Training</title></channel></rss>\n",
	  FALSE },
	{ "source/osce/calendar.ics",
	  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//evfeed//EN\r\n"
	  "END:VCALENDAR\r\n",
	  TRUE },
};

/* Made by write_file, removed deepest first. */
static const char *const folders[] = {
	"category/training",
	"category",
	"source/osce",
	"source",
};

static void
write_file(const char *dir, const char *path, GBytes *bytes, GString *manifest)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *full = g_build_filename(dir, path, NULL);
	g_autofree char *parent = g_path_get_dirname(full);
	gsize len = 0;
	const char *data = g_bytes_get_data(bytes, &len);

	if (g_mkdir_with_parents(parent, 0700) < 0 ||
	    !g_file_set_contents(full, data, (gssize)len, &error))
		g_error("cannot write '%s'", full);
	g_string_append_printf(manifest, "%s %" G_GSIZE_FORMAT "\n", path, len);
}

/* The files, written, read into a snapshot, and removed again. */
static EvfSnapshot *
make_snapshot(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) manifest = g_string_new(NULL);
	g_autofree char *dir = g_dir_make_tmp("evfeed-fuzz-XXXXXX", &error);
	EvfSnapshot *snap;

	if (dir == NULL)
		g_error("cannot make a temporary folder: %s", error->message);
	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GBytes) body =
		    g_bytes_new_static(files[i].body, strlen(files[i].body));

		write_file(dir, files[i].path, body, manifest);
		if (files[i].gzip) {
			g_autoptr(GBytes) gz = evf_gzip(body);
			g_autofree char *name =
			    g_strconcat(files[i].path, ".gz", NULL);

			write_file(dir, name, gz, manifest);
		}
	}
	snap = evf_snapshot_load(dir, manifest->str, 3600, NULL, NULL, NULL,
	                         &error);
	if (snap == NULL)
		g_error("cannot load the snapshot: %s", error->message);
	for (gsize i = G_N_ELEMENTS(files); i > 0; i--) {
		g_autofree char *full =
		    g_build_filename(dir, files[i - 1].path, NULL);
		g_autofree char *gz = g_strconcat(full, ".gz", NULL);

		g_remove(full);
		g_remove(gz);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(folders); i++) {
		g_autofree char *full = g_build_filename(dir, folders[i], NULL);

		g_rmdir(full);
	}
	g_rmdir(dir);
	return snap;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfSnapshot) snap = NULL;
	g_autoptr(GBytes) status = NULL;
	/* evfeed.conf's defaults, on a free port of the loopback. */
	EvfHttpdOptions opts = {
		.listen = "127.0.0.1:0",
		.threads = 2,
		.max_connections = 4000,
		.max_per_client = 256,
		.timeout = 15,
		.access_log = TRUE,
	};
	static const char json[] = "{\"sources\":[]}\n";

	evf_fuzz_setup();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snap = make_snapshot();
	httpd = evf_httpd_start(&opts, &error);
	if (httpd == NULL)
		g_error("cannot start the server: %s", error->message);
	evf_httpd_set_snapshot(httpd, snap);
	status = g_bytes_new_static(json, sizeof json - 1);
	evf_httpd_set_status(httpd, status);
	port = evf_httpd_port(httpd);
	if (port == 0)
		g_error("the server has no port");
	return 0;
}

static void
set_timeout(int fd, int option, guint ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

typedef enum {
	ANSWER_PARTIAL,  /* no whole head yet */
	ANSWER_HEAD,     /* a head, and a body that may still come */
	ANSWER_COMPLETE, /* a final answer, whole */
} Progress;

/* How far @buf (@len bytes) is from holding a whole final answer. An
 * answer to HEAD announces a body that never comes, and libmicrohttpd
 * keeps an HTTP/1.1 connection open after it even once the client has
 * shut its side: so the harness reads no further than one final answer,
 * and waits only briefly for a body. */
static Progress
progress(const char *buf, gsize len)
{
	gsize off = 0;

	for (;;) {
		const char *head = buf + off;
		const char *end = g_strstr_len(head, len - off, "\r\n\r\n");
		g_autofree char *lower = NULL;
		const char *cl;
		guint64 want;
		gsize head_len, status;

		if (end == NULL)
			return ANSWER_PARTIAL;
		head_len = end + 4 - head;
		if (head_len < 12 || !g_ascii_isdigit(head[9]) ||
		    !g_ascii_isdigit(head[10]) || !g_ascii_isdigit(head[11]))
			return ANSWER_COMPLETE; /* checked by the caller */
		status = (head[9] - '0') * 100 + (head[10] - '0') * 10 +
		         (head[11] - '0');
		if (status >= 100 && status < 200) {
			off += head_len; /* 100 Continue: more to come */
			continue;
		}
		if (status == 204 || status == 304)
			return ANSWER_COMPLETE;
		lower = g_ascii_strdown(head, head_len);
		cl = strstr(lower, "\r\ncontent-length:");
		if (cl == NULL)
			return ANSWER_HEAD;
		want = g_ascii_strtoull(cl + strlen("\r\ncontent-length:"),
		                        NULL, 10);
		return len - off - head_len >= want ? ANSWER_COMPLETE
		                                    : ANSWER_HEAD;
	}
}

/* connect() that survives a signal (libFuzzer's timer interrupts blocking
 * calls): the connection then completes on its own; wait for it. */
static gboolean
connect_to(int fd, const struct sockaddr_in *sa)
{
	struct pollfd p = { fd, POLLOUT, 0 };
	int err = 0, n;
	socklen_t len = sizeof err;

	if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
		return TRUE;
	if (errno != EINTR && errno != EINPROGRESS)
		return FALSE;
	while ((n = poll(&p, 1, SEND_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return FALSE;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return FALSE;
	errno = err;
	return err == 0;
}

/* Whether @data holds CR LF CR LF, the end of a request's head. */
static gboolean
has_blank_line(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 4 <= size; i++)
		if (memcmp(data + i, "\r\n\r\n", 4) == 0)
			return TRUE;
	return FALSE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GByteArray) req = g_byte_array_sized_new(size + 4);
	g_autoptr(GByteArray) answer = g_byte_array_new();
	struct sockaddr_in sa = { 0 };
	struct linger lg = { 1, 0 };
	gsize off = 0;
	int fd;

	g_byte_array_append(req, data, size);
	if (!has_blank_line(data, size))
		g_byte_array_append(req, (const guint8 *)"\r\n\r\n", 4);

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		g_error("socket: %s", g_strerror(errno));
	/* Closed with a reset: no TIME_WAIT to use up the local ports. */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	set_timeout(fd, SO_SNDTIMEO, SEND_TIMEOUT_MS);
	set_timeout(fd, SO_RCVTIMEO, ANSWER_TIMEOUT_MS);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!connect_to(fd, &sa))
		g_error("connect: %s", g_strerror(errno));

	while (off < req->len) {
		ssize_t n =
		    send(fd, req->data + off, req->len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		/* The server may answer and close before reading it all. */
		if (n <= 0)
			break;
		off += n;
	}
	shutdown(fd, SHUT_WR);

	while (answer->len < MAX_ANSWER) {
		guint8 buf[16384];
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		Progress p;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		g_byte_array_append(answer, buf, n);
		p = progress((const char *)answer->data, answer->len);
		if (p == ANSWER_COMPLETE)
			break;
		if (p == ANSWER_HEAD)
			set_timeout(fd, SO_RCVTIMEO, BODY_TIMEOUT_MS);
	}
	close(fd);

	if (answer->len > 0 &&
	    memcmp(answer->data, "HTTP/1.", MIN(answer->len, 7)) != 0) {
		g_autofree char *start =
		    g_strndup((const char *)answer->data, MIN(answer->len, 64));

		fprintf(stderr, "not an HTTP answer: '%s'\n", start);
		abort();
	}
	return 0;
}
