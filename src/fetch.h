/*
 * fetch.h: the only module that touches the network. Partner feeds are
 * fetched (and WebSub hubs pinged) with libcurl's multi interface driven by
 * the GLib main loop:
 * sources in parallel, one connection per host at a time (the others to
 * that host wait, and their timeouts start with their own requests),
 * conditional requests, and hard limits (http and https only, 5 redirects,
 * timeouts, a byte cap on the decoded body, no private addresses unless the
 * source itself is one).
 */
#pragma once

#include <glib.h>
#include <sys/socket.h>

typedef struct {
	const char *name; /* the source, for the result */
	const char *url;
	const char *etag;          /* nullable: If-None-Match */
	const char *last_modified; /* nullable: If-Modified-Since */
	guint timeout;   /* seconds, the whole transfer from its request */
	gsize max_bytes; /* of the decoded body */
	/* nullable: what max_bytes is, in "too large (over …)"; default
	 * "the source's max_bytes" */
	const char *limit;
	/* nullable: POST this application/x-www-form-urlencoded body instead
	 * of a GET, without following redirects; an empty 2xx answer is
	 * then a success */
	const char *form;
} EvfFetchRequest;

typedef struct {
	char *name;
	char *url;
	long status;           /* HTTP status; 0 when no answer */
	char *error;           /* nullable: why it failed, in words */
	GBytes *body;          /* the whole decoded body of a 2xx; else NULL */
	gboolean not_modified; /* 304 to a conditional request */
	char *etag;            /* nullable: the answer's validators */
	char *last_modified;
	gint64 retry_after; /* seconds asked for by Retry-After; 0: none */
	gint64 max_age;     /* Cache-Control max-age; -1: none */
	char *moved_to; /* nullable: a 301/308 redirect's target, absolute */
	char *content_type; /* nullable */
	/* nullable: the address that answered, after any redirects: the
	 * base of its relative links (RFC 3986 §5.1.3) */
	char *final_url;
} EvfFetchResult;

void evf_fetch_result_free(EvfFetchResult *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfFetchResult, evf_fetch_result_free)

typedef void (*EvfFetchDone)(EvfFetchResult *res, gpointer user_data);

typedef struct _EvfFetcher EvfFetcher;

/* (transfer full): a fetcher attached to the thread-default main context.
 * @user_agent names evfeed, its version and the site. */
EvfFetcher *evf_fetcher_new(const char *user_agent);
void evf_fetcher_free(EvfFetcher *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfFetcher, evf_fetcher_free)

/* Starts a transfer; @done is called from the main loop with the result
 * (transfer full) when it ends, whatever the outcome. */
void evf_fetcher_add(EvfFetcher *f, const EvfFetchRequest *req,
                     EvfFetchDone done, gpointer user_data);

/* Transfers not yet done. */
guint evf_fetcher_pending(EvfFetcher *f);

/* Whether @sa (a resolved address) is loopback, private, link-local,
 * multicast or otherwise not a public internet address. */
gboolean evf_fetch_address_is_private(const struct sockaddr *sa);

/* The protocols a transfer of @url may be redirected to: from https, https
 * alone (a partner's listing is not read in plain text, where anyone on
 * the way may change it, behind an address that promised otherwise);
 * from http, http and https. */
const char *evf_fetch_redirect_protocols(const char *url);
