/*
 * config.h: the site configuration (evfeed.conf, a GKeyFile). Every key has a
 * default and a bound, listed once in the table in config.c; relative paths
 * are resolved against the folder of the config file.
 */
#pragma once

#include <glib.h>

/* The most categories an event file may give, and a source's
 * categories=: each is a calendar, feeds and a page that list its events
 * with all of them (2,000 made a gigabyte). */
#define EVF_CONFIG_MAX_CATEGORIES 100

/* the longest path of a state that SQLite opens: 512 bytes with "-journal" */
#define EVF_STATE_PATH_MAX (512 - 8)

typedef struct {
	char *name;  /* [source NAME] */
	char *title; /* shown in attribution; default: NAME in capitals */
	char *url;
	char *link; /* the source as published: link=, else url without its
	             * user name, password, query and fragment */
	/* the feed's own address as published (the self link of an Atom
	 * <source>, the url of an RSS one): url without its user name,
	 * password and fragment; NULL when link= is set (url may be a
	 * secret) or url has a query (a key, often; and without it, another
	 * address) */
	char *feed_link;
	/* link= is set: url may be a secret (a key in its path), and the
	 * source's relative links are not resolved against it */
	gboolean url_secret;
	gboolean enabled;
	gint64 interval;   /* seconds between fetches */
	char *format;      /* auto, ics, rss or atom */
	GStrv categories;  /* added to every item */
	GStrv include;     /* keep only items mentioning one of these */
	GStrv exclude;     /* drop items mentioning one of these */
	gint priority;     /* the higher wins between partners */
	guint timeout;     /* seconds for one fetch */
	guint64 max_bytes; /* of a decoded body */
} EvfSourceConfig;

typedef struct {
	char *path; /* the config file, absolute */
	char *dir;  /* its folder */
	/* SHA-256 of the bytes this configuration was read from (the file
	 * may have changed since) */
	char *digest;
	/* the errors found in it (evf_config_load_partial) */
	guint errors;
	/* [paths] events is in the file (with an error or not) */
	gboolean events_given;

	/* [site] */
	char *title;
	char *description;
	char *url;  /* public base URL, with a trailing '/' */
	char *host; /* lower-case host of url, the tag: authority */
	/* url's path after its first '/', decoded ("" at the root, "a b/"
	 * under /a%20b/): the start of each feed's tag: id */
	char *base_path;
	/* the UUID namespace of identities made from file names: a UUIDv5
	 * of url's host and path, so that two sites' files of one name are
	 * two events (RFC 5545 wants a UID unique the world over) */
	char *uid_namespace;
	char *uid_site;      /* the host and path it is made of */
	guint url_line;      /* of [site] url in the file; 0: not given */
	char *tag_date;      /* YYYY[-MM[-DD]], the date in tag: ids */
	guint tag_date_line; /* of [site] tag_date in the file; 0: not given */
	char *timezone;      /* IANA name */
	char *language;

	/* [paths], absolute */
	char *events_dir;
	char *output_dir;
	char *state_path;

	/* [feeds] */
	guint max_items;
	char *refresh;          /* ISO 8601 duration, e.g. PT1H */
	gint64 refresh_seconds; /* the same in seconds */
	char *hub;              /* nullable: the WebSub hub's URL */
	/* past_days: how long an event stays in the calendars after it
	 * ends, when past_limited; else it stays for ever */
	gboolean past_limited;
	guint past_days;

	/* [server] */
	char *listen;
	guint threads;
	guint max_connections;
	guint max_per_client;
	guint timeout;
	gboolean access_log;

	GPtrArray *sources; /* EvfSourceConfig* */
} EvfConfig;

/* (transfer full): the configuration read from @path; every problem goes
 * into @diags (file:line: error: …) and NULL is returned when there is one. */
EvfConfig *evf_config_load(const char *path, GPtrArray *diags);
/* (transfer full) (nullable): the same, but also when it has errors (as
 * many as its errors say): each value in error is then its default, so
 * that `check` goes on to the event files (when the file names their
 * folder: with errors, the default folder may not be the one meant). NULL
 * when the file cannot be read as a configuration at all. */
EvfConfig *evf_config_load_partial(const char *path, GPtrArray *diags);
void evf_config_free(EvfConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EvfConfig, evf_config_free)

/* (nullable): why @value is not an address and port to listen on, as
 * `[server] listen` and `serve --listen` take them (without looking the
 * name up); NULL when it is one. */
const char *evf_config_listen_problem(const char *value);
/* Whether @name can name a source: a-z, 0-9, '-' and '_', beginning with
 * a letter or a digit (its folder's name, source/<name>/). */
gboolean evf_config_source_name_ok(const char *name);

/* (transfer none) (nullable): the source called @name. */
/* Whether @code (lower case) is the two-letter code of a language in ISO
 * 639-1, as Debian's iso-codes lists it (any two letters when the list
 * cannot be read). */
gboolean evf_config_language_code(const char *code);
const EvfSourceConfig *evf_config_source(const EvfConfig *cfg,
                                         const char *name);

/* (transfer full): the absolute URL of @path (relative to the site root). */
char *evf_config_url(const EvfConfig *cfg, const char *path);

/* The documented keys, for the manual page check: NULL-terminated arrays of
 * "section.key". */
const char *const *evf_config_keys(void);
