/*
 * httpd.h: the HTTP server (libmicrohttpd, its own threads). It answers GET
 * and HEAD from the current snapshot only: a fixed table of paths, so that
 * nothing else on the machine can be reached. The snapshot is swapped by
 * the main loop; the server threads only ever read snapshots.
 */
#pragma once

#include <glib.h>
#include "snapshot.h"

typedef struct _EvfHttpd EvfHttpd;

typedef struct {
	const char *listen; /* "ADDR:PORT"; port 0 picks a free one */
	guint threads;      /* worker threads */
	guint max_connections;
	guint max_per_client; /* 0: no limit (behind a reverse proxy) */
	guint timeout;        /* seconds of inactivity before closing */
	gboolean access_log;
} EvfHttpdOptions;

/* (transfer full): a running server, or NULL with @error set. */
/* Whether the server could listen on @listen (ADDR:PORT) now: it is an
 * address, of this machine, that no other socket listens on. For a check
 * before the work that comes before evf_httpd_start(). */
gboolean evf_httpd_check_listen(const char *listen, GError **error);
EvfHttpd *evf_httpd_start(const EvfHttpdOptions *opts, GError **error);

/* The port it listens on (useful with port 0). */
guint evf_httpd_port(EvfHttpd *httpd);
/* (transfer full): the address it listens on, as "host:port". */
char *evf_httpd_address(EvfHttpd *httpd);

/* Serves @snap from now on (takes a reference). */
void evf_httpd_set_snapshot(EvfHttpd *httpd, EvfSnapshot *snap);

/* Serves the output folder under @prefix (nullable; [site] url's path
 * after its first '/', decoded, with its final '/': "events/") too, not
 * from '/' alone. */
void evf_httpd_set_prefix(EvfHttpd *httpd, const char *prefix);

/* Serves @json (transfer none; nullable) at /status.json from now on. */
void evf_httpd_set_status(EvfHttpd *httpd, GBytes *json);

/* Stops accepting connections, waits up to @grace_ms for responses in
 * flight to finish, then stops and frees the server. */
void evf_httpd_stop(EvfHttpd *httpd, guint grace_ms);
