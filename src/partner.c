/*
 * partner.c: see partner.h.
 */
#include "autoconf.h"
#include "partner.h"

#include "event.h"
#include "import.h"
#include "merge.h"
#include "render.h"
#include "util.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#define DAY (G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC)

char *
evf_partner_user_agent(const EvfConfig *cfg)
{
	return g_strdup_printf("evfeed/%s (+%s)", PACKAGE_VERSION, cfg->url);
}

/* Whether the state @st is of the URL the configuration gives @src now. */
static gboolean
same_url(const EvfSourceState *st, const EvfSourceConfig *src)
{
	g_autofree char *url = evf_url_for_state(src->url);

	return g_strcmp0(st->url, url) == 0;
}

/* When @st's next fetch is due at @now (µs): as the state says, unless
 * that is farther ahead than evfeed ever schedules one (the longest
 * interval or Retry-After, a tenth more): a time the wall clock set when it
 * was ahead, which would otherwise hold the source back until the clock
 * caught up again, maybe for months. Such a fetch is due now, and so is
 * the first of a new url (the state is the old one's). */
static gint64
next_fetch_at(const EvfSourceConfig *src, const EvfSourceState *st, gint64 now)
{
	gint64 longest = MAX(src->interval * G_USEC_PER_SEC, 7 * DAY);

	if (!same_url(st, src) ||
	    st->next_fetch > now + longest + longest / 10 + G_USEC_PER_SEC)
		return now;
	return st->next_fetch;
}

/* (transfer full): what, besides its bytes, @src's items are read with,
 * which parse_body puts after the digest of their body in the state:
 * "/link" when link= is set (relative links are then not resolved), and
 * "/only=" and a digest of the words when include= or exclude= choose
 * among them. Items read otherwise than now are read again. */
static char *
reading_of(const EvfSourceConfig *src)
{
	g_autoptr(GChecksum) words = g_checksum_new(G_CHECKSUM_SHA256);
	gboolean chosen = FALSE;
	g_auto(GStrv) include = NULL;
	g_auto(GStrv) exclude = NULL;
	GStrv lists[2];

	if (src == NULL)
		return g_strdup("");
	/* as they are matched: "Café" is "café" */
	lists[0] = include = evf_words_fold(src->include);
	lists[1] = exclude = evf_words_fold(src->exclude);
	for (guint k = 0; k < G_N_ELEMENTS(lists); k++) {
		for (guint i = 0; lists[k] != NULL && lists[k][i] != NULL;
		     i++) {
			/* (each word with its NUL, each list after a tab) */
			g_checksum_update(words, (const guchar *)lists[k][i],
			                  (gssize)strlen(lists[k][i]) + 1);
			chosen = TRUE;
		}
		g_checksum_update(words, (const guchar *)"\t", 1);
	}
	return g_strdup_printf("%s%s%.16s", src->url_secret ? "/link" : "",
	                       chosen ? "/only=" : "",
	                       chosen ? g_checksum_get_string(words) : "");
}

/* Whether the items of @st were read as @src's are to be (reading_of). */
static gboolean
same_reading(const EvfSourceState *st, const EvfSourceConfig *src)
{
	const char *mark =
	    st->body_hash != NULL ? strchr(st->body_hash, '/') : NULL;
	g_autofree char *reading = reading_of(src);

	return strcmp(mark != NULL ? mark : "", reading) == 0;
}

/* Whether @src, whose state is @st, is due at @now (µs). */
static gboolean
due(const EvfSourceConfig *src, const EvfSourceState *st, gint64 now)
{
	/* A new URL starts afresh, even for a source that was gone. */
	if (!same_url(st, src))
		return TRUE;
	/* and items read otherwise than they now would be (other words in
	 * include=, say) are read again at once; once only: a source that
	 * failed since waits as its failures have it wait */
	return !st->gone && (next_fetch_at(src, st, now) <= now ||
	                     (st->body_hash != NULL && st->failures == 0 &&
	                      !same_reading(st, src)));
}

gboolean
evf_partner_due(const EvfSourceConfig *src, EvfStore *store, gint64 now)
{
	g_autoptr(EvfSourceState) st = NULL;

	if (!src->enabled)
		return FALSE;
	st = evf_store_get_source(store, src->name);
	return due(src, st, now);
}

/* Up to a tenth more, so that sources do not all come back at once. */
static gint64
jitter(gint64 delay)
{
	return delay + (gint64)(g_random_double() * (double)delay / 10.0);
}

static void
schedule(const EvfSourceConfig *src, EvfSourceState *st,
         const EvfFetchResult *res, gint64 now)
{
	gint64 delay = src->interval * G_USEC_PER_SEC;

	if (st->failures > 0) {
		/* Exponential backoff that settles at one probe a day and
		 * never gives up. */
		guint n = MIN(st->failures - 1, 20);

		delay = MIN(delay << n, DAY);
	}
	if (res != NULL && res->retry_after > 0)
		delay = MAX(delay,
		            MIN(res->retry_after, 7 * 86400) * G_USEC_PER_SEC);
	/* (an error page's max-age says how long the page may be kept,
	 * not when to ask again) */
	if (res != NULL && res->max_age > 0 && st->failures == 0)
		delay =
		    MAX(delay, MIN(res->max_age, 7 * 86400) * G_USEC_PER_SEC);
	st->next_fetch = now + jitter(delay);
}

/* The state's key for the address that the items kept for source @name
 * came from (transfer full). */
static char *
items_url_key(const char *name)
{
	return g_strconcat("items-url/", name, NULL);
}

/* The state's key for when @name's body was last parsed and its items
 * taken (µs). */
static char *
parsed_key(const char *name)
{
	return g_strconcat("parsed/", name, NULL);
}

/* Whether @name's items are due to be made again from its body, even the
 * same bytes: a series is taken as its occurrences nearest to the time of
 * the parse, and a large calendar as its events nearest to it, so that
 * a partner's unchanged calendar must still be read again as time passes
 * (once a day), or its series would stop. */
static gboolean
reparse_due(EvfStore *store, const char *name, gint64 now)
{
	g_autofree char *key = parsed_key(name);
	g_autofree char *at = evf_store_get_meta(store, key);
	gint64 then = at != NULL ? g_ascii_strtoll(at, NULL, 10) : 0;

	/* (a time ahead of the clock: read again, as one long past) */
	return at == NULL || now - then >= DAY || now < then;
}

void
evf_partner_request(const EvfSourceConfig *src, EvfStore *store,
                    const EvfSourceState *st, gint64 now, EvfFetchRequest *req)
{
	/* Items read otherwise than now (same_reading) are read again
	 * from a whole body: their links were resolved as the source's url
	 * is no longer to be, or other words chose them. */
	gboolean validators = same_url(st, src) && st->held == 0 &&
	                      !reparse_due(store, src->name, now) &&
	                      same_reading(st, src);

	req->name = src->name;
	req->url = src->url;
	req->etag = validators ? st->etag : NULL;
	req->last_modified = validators ? st->last_modified : NULL;
	req->timeout = src->timeout;
	req->max_bytes = src->max_bytes;
}

static void
set_str(char **field, const char *value)
{
	g_free(*field);
	*field = g_strdup(value);
}

/* (transfer full) (nullable): the charset parameter of the media type
 * @type (RFC 9110 §8.3.1), unquoted. */
static char *
charset_of(const char *type)
{
	g_auto(GStrv) params = NULL;

	if (type == NULL)
		return NULL;
	params = g_strsplit(type, ";", -1);
	for (guint i = 1; params[i] != NULL; i++) {
		char *p = g_strstrip(params[i]);
		char *v;

		if (g_ascii_strncasecmp(p, "charset", 7) != 0)
			continue;
		for (v = p + 7; *v == ' ' || *v == '\t'; v++)
			;
		if (*v != '=')
			continue;
		v = g_strstrip(v + 1);
		if (v[0] == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		return v[0] != '\0' ? g_strdup(v) : NULL;
	}
	return NULL;
}

/* @secret: the source's url may be a secret (link= is set); @filter: its
 * include= and exclude=. */
static EvfImport *
import_body(const char *format_name, const EvfFetchResult *res, gboolean secret,
            const EvfImportFilter *filter, gint64 now, GError **error)
{
	g_autofree char *charset = charset_of(res->content_type);
	/* Relative links resolve against the URL that answered, after any
	 * redirects (RFC 3986 §5.1.3), without its credentials, which are
	 * never published; and against nothing when that URL may be a
	 * secret, which a link resolved against it would publish, its key
	 * and all: they then lose their link and keep their text. */
	g_autofree char *base =
	    secret ? NULL
	           : evf_uri_without_userinfo(
	                 res->final_url != NULL ? res->final_url : res->url);
	gsize len;
	const char *data = g_bytes_get_data(res->body, &len);
	EvfFormat format = EVF_FORMAT_AUTO;

	if (g_strcmp0(format_name, "ics") == 0)
		format = EVF_FORMAT_ICS;
	else if (g_strcmp0(format_name, "rss") == 0)
		format = EVF_FORMAT_RSS;
	else if (g_strcmp0(format_name, "atom") == 0)
		format = EVF_FORMAT_ATOM;
	else
		format = evf_import_sniff(data, len);
	/* format= that the body is not: said so, where the parser would
	 * say only that it does not read it */
	if (format_name != NULL && g_strcmp0(format_name, "auto") != 0) {
		EvfFormat is = evf_import_sniff(data, len);
		gboolean feed =
		    format == EVF_FORMAT_RSS || format == EVF_FORMAT_ATOM;

		if ((is == EVF_FORMAT_ICS && feed) ||
		    ((is == EVF_FORMAT_RSS || is == EVF_FORMAT_ATOM) &&
		     format == EVF_FORMAT_ICS)) {
			g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
			            "the body is %s, not what format=%s says: "
			            "set format=%s, or leave format out",
			            is == EVF_FORMAT_ICS
			                ? "an iCalendar calendar"
			                : "a feed",
			            format_name,
			            is == EVF_FORMAT_ICS   ? "ics"
			            : is == EVF_FORMAT_RSS ? "rss"
			                                   : "atom");
			return NULL;
		}
	}
	switch (format) {
	case EVF_FORMAT_ICS:
		/* UTF-8 unless the Content-Type names another charset (RFC
		 * 5545 §8.1); bytes that are UTF-8 stay so, whatever it
		 * says. */
		if (charset != NULL && !g_utf8_validate_len(data, len, NULL)) {
			gsize n = 0;
			g_autofree char *utf8 =
			    evf_charset_to_utf8(data, len, charset, &n);

			if (utf8 != NULL)
				return evf_import_ics_filtered(
				    utf8, n, base, now, filter, error);
		}
		return evf_import_ics_filtered(data, len, base, now, filter,
		                               error);
	case EVF_FORMAT_RSS:
	case EVF_FORMAT_ATOM:
		return evf_import_feed_filtered(data, len, base, charset,
		                                filter, error);
	default:
		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
		            "not a calendar or a feed (Content-Type %s)",
		            res->content_type ? res->content_type : "unknown");
		return NULL;
	}
}

/* The partner's events, whose plain-text fields hold plain text only (a
 * title in HTML would show its tags in feed readers) and whose links are
 * URIs (evf_event_tidy); text encoded twice that only that brings out (a
 * title "Caf&Atilde;&copy;", whose references it decodes) is mended as the
 * importers mend the rest (evf_import_mend_text). */
static EvfImport *
parse(const char *format_name, const EvfFetchResult *res, gboolean secret,
      const EvfImportFilter *filter, gint64 now, GError **error)
{
	EvfImport *imp =
	    import_body(format_name, res, secret, filter, now, error);

	for (guint i = 0; imp != NULL && i < imp->events->len; i++)
		evf_import_tidy(g_ptr_array_index(imp->events, i));
	return imp;
}

/* ------------------------------------------------- parsing off the loop */

struct _EvfPartnerParse {
	/* what the loop hands over */
	EvfFetchResult *res;
	char *format;           /* the source's format when the fetch ended */
	gboolean secret;        /* and whether its url may be a secret */
	EvfImportFilter filter; /* and its include= and exclude= */
	char *reading;          /* and reading_of() it */
	char *old_hash;         /* the digest of the body the items came from */
	gint64 now;
	/* what the worker gives back */
	char *hash; /* NULL: no new body (an error, a 304) */
	EvfImport *imp;
	GError *error;
	/* what evf_partner_apply_parsed finds worth telling */
	GPtrArray *notes;
	/* where and to whom */
	GMainContext *ctx;
	EvfPartnerParsed done;
	gpointer data;
};

void
evf_partner_parse_free(EvfPartnerParse *job)
{
	if (job == NULL)
		return;
	g_clear_pointer(&job->res, evf_fetch_result_free);
	g_free(job->format);
	g_strfreev(job->filter.include);
	g_strfreev(job->filter.exclude);
	evf_import_filter_clear(&job->filter);
	g_free(job->reading);
	g_free(job->old_hash);
	g_free(job->hash);
	g_clear_pointer(&job->imp, evf_import_free);
	g_clear_error(&job->error);
	g_clear_pointer(&job->notes, g_ptr_array_unref);
	g_clear_pointer(&job->ctx, g_main_context_unref);
	g_free(job);
}

EvfFetchResult *
evf_partner_parse_result(EvfPartnerParse *job)
{
	return job->res;
}

GPtrArray *
evf_partner_parse_notes(EvfPartnerParse *job)
{
	return job->notes;
}

/* The part that may take long: a digest of the body, and the parser when
 * the body is new. Touches nothing but @job. */
static void
parse_body(EvfPartnerParse *job)
{
	EvfFetchResult *res = job->res;
	g_autofree char *digest = NULL;

	if (res->error != NULL || res->not_modified)
		return;
	digest = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, res->body);
	/* the same bytes give other items once link= is set, or include=
	 * has other words: read again (reading_of) */
	job->hash = g_strconcat(digest, job->reading, NULL);
	if (g_strcmp0(job->hash, job->old_hash) != 0)
		job->imp = parse(job->format, res, job->secret, &job->filter,
		                 job->now, &job->error);
}

static gboolean
deliver(gpointer data)
{
	EvfPartnerParse *job = data;

	job->done(job, job->data);
	return G_SOURCE_REMOVE;
}

static void
parse_in_pool(gpointer data, gpointer unused)
{
	EvfPartnerParse *job = data;
	/* Once attached, the job may be delivered, freed and its loop gone
	 * before this thread lets go of the source: the context must outlive
	 * g_source_unref(), which reads and locks it. */
	g_autoptr(GMainContext) ctx = g_main_context_ref(job->ctx);
	GSource *idle;

	parse_body(job);
	/* Delivered from the loop, never from inside the caller. */
	idle = g_idle_source_new();
	g_source_set_callback(idle, deliver, job, NULL);
	g_source_attach(idle, ctx);
	g_source_unref(idle);
}

/* (nullable): the parsers' threads, as many as processors (more would not
 * go faster, and each holds a body and its items), all started at once;
 * NULL when none could start (out of memory, or of threads: systemd's
 * TasksMax), and bodies are then parsed on the caller's thread. */
static GThreadPool *
parsers(void)
{
	static gsize once = 0;
	static GThreadPool *pool;

	if (g_once_init_enter(&once)) {
		pool = g_thread_pool_new(parse_in_pool, NULL,
		                         (gint)MAX(1u, g_get_num_processors()),
		                         TRUE, NULL);
		if (pool != NULL && g_thread_pool_get_num_threads(pool) == 0) {
			g_thread_pool_free(pool, TRUE, FALSE);
			pool = NULL;
		}
		g_once_init_leave(&once, 1);
	}
	return pool;
}

void
evf_partner_parse_async(const EvfConfig *cfg, EvfStore *store,
                        EvfFetchResult *res, gint64 now, EvfPartnerParsed done,
                        gpointer data)
{
	GThreadPool *pool = parsers();
	const EvfSourceConfig *src = evf_config_source(cfg, res->name);
	g_autoptr(EvfSourceState) st = evf_store_get_source(store, res->name);
	EvfPartnerParse *job = g_new0(EvfPartnerParse, 1);

	job->res = res;
	job->format = g_strdup(src != NULL ? src->format : NULL);
	job->secret = src != NULL && src->url_secret;
	job->filter.include = src != NULL ? g_strdupv(src->include) : NULL;
	job->filter.exclude = src != NULL ? g_strdupv(src->exclude) : NULL;
	evf_import_filter_fold(&job->filter);
	job->reading = reading_of(src);
	/* A new URL starts afresh (see evf_partner_apply_parsed); the same
	 * bytes are read again once a day. */
	if (src != NULL && same_url(st, src) &&
	    !reparse_due(store, src->name, now))
		job->old_hash = g_strdup(st->body_hash);
	job->now = now;
	job->notes = g_ptr_array_new_with_free_func(g_free);
	job->ctx = g_main_context_ref_thread_default();
	job->done = done;
	job->data = data;
	if (pool != NULL)
		g_thread_pool_push(pool, job, NULL);
	else
		parse_in_pool(job, NULL);
}

/* The state's key for what the importer said of @name's items last
 * taken. */
static char *
warnings_key(const char *name)
{
	return g_strconcat("warnings/", name, NULL);
}

/* Keeps what the importer said of the items just taken (@warnings,
 * nullable), for `evfeed sources` and status.json: a fetch prints it
 * only once, when the body is new. */
static void
keep_warnings(EvfStore *store, const char *name, GPtrArray *warnings)
{
	g_autofree char *key = warnings_key(name);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GError) error = NULL;

	for (guint i = 0; warnings != NULL && i < warnings->len; i++)
		g_string_append_printf(text, "%s%s", i > 0 ? "\n" : "",
		                       (const char *)warnings->pdata[i]);
	if (!evf_store_set_meta(store, key, text->str, &error))
		g_warning("%s", error->message);
}

/* (transfer full): what the importer said of @name's items last taken; an
 * empty list when nothing. */
static GStrv
kept_warnings(EvfStore *store, const char *name)
{
	g_autofree char *key = warnings_key(name);
	g_autofree char *text =
	    store != NULL ? evf_store_get_meta(store, key) : NULL;

	return text != NULL && text[0] != '\0' ? g_strsplit_set(text, "\n", -1)
	                                       : g_new0(char *, 1);
}

/* Orders the items kept from before (carry_over): those to come by start,
 * the soonest first, then those ended, the latest first. */
typedef struct {
	EvfEvent *ev;
	gint64 ended; /* µs; 0: not ended */
} Carried;

static gint
cmp_carried(gconstpointer a, gconstpointer b)
{
	const Carried *x = a, *y = b;
	gint by_start;

	if ((x->ended == 0) != (y->ended == 0))
		return x->ended == 0 ? -1 : 1;
	if (x->ended != y->ended)
		return x->ended > y->ended ? -1 : 1;
	by_start = x->ended == 0 ? evf_event_cmp_start(&x->ev, &y->ev) : 0;
	return by_start != 0 ? by_start : strcmp(x->ev->uid, y->ev->uid);
}

/* When @ev was published, for carry_over: its date of publication, else
 * when a fetch first listed it (EvfEvent.seen); an item kept from before
 * that was known (a state of an older evfeed) as published long ago. */
static gint64
listed_since(const EvfEvent *ev)
{
	return ev->published > 0 ? ev->published : MAX(ev->seen, 1);
}

/* An item of a document of a partner's newest items that gives no date of
 * publication (RSS makes pubDate optional) is dated for carry_over by
 * when a fetch first listed it (as @old, the items before, says; else
 * @now), less its place among those that fetch listed: such documents
 * list the newest first, so that an item in the middle that went away was
 * taken away, and one below the last still listed was pushed out. */
static void
date_unlisted(GPtrArray *old, EvfImport *imp, gint64 now)
{
	g_autoptr(GHashTable) before =
	    g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; old != NULL && i < old->len; i++) {
		EvfEvent *ev = old->pdata[i];

		if (ev->published <= 0 && ev->seen > 0)
			g_hash_table_insert(before, ev->uid, ev);
	}
	for (guint i = 0; i < imp->events->len; i++) {
		EvfEvent *ev = imp->events->pdata[i];
		const EvfEvent *was = g_hash_table_lookup(before, ev->uid);

		if (ev->published <= 0)
			ev->seen = was != NULL ? was->seen : now - i;
	}
}

/* An RSS or Atom document lists a partner's newest items, not all of them
 * (WordPress its 10 newest posts): an event that newer posts pushed out
 * was not taken away, while one missing from among those listed was.
 * Adds to @imp's events the dated items of @old (the source's items
 * before this answer) that it no longer lists and that were published no
 * later than the oldest it lists, those to come first, then those ended,
 * the latest first, as many as the importer's cap leaves room for, of
 * those that @filter (include=, exclude=) still chooses. Items
 * without a date go with the document: they are news, not events. */
static void
carry_over(const EvfConfig *cfg, GPtrArray *old, EvfImport *imp,
           const EvfImportFilter *filter, gint64 now)
{
	g_autoptr(GHashTable) listed =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GArray) carried = g_array_new(FALSE, FALSE, sizeof(Carried));
	g_autoptr(GTimeZone) tz = evf_tz_or_utc(cfg->timezone);
	gint64 oldest = G_MAXINT64;

	for (guint i = 0; i < imp->events->len; i++) {
		const EvfEvent *ev = imp->events->pdata[i];

		g_hash_table_add(listed, ev->uid);
		oldest = MIN(oldest, listed_since(ev));
	}
	for (guint i = 0; i < old->len && oldest < G_MAXINT64; i++) {
		Carried c = { old->pdata[i], 0 };

		if (c.ev->tba || listed_since(c.ev) > oldest ||
		    g_hash_table_contains(listed, c.ev->uid) ||
		    !evf_import_chosen_as_is(filter, c.ev))
			continue;
		if (!evf_page_ended_by(tz, c.ev, now, NULL, &c.ended))
			c.ended = 0;
		else
			c.ended = MAX(c.ended, 1);
		g_array_append_val(carried, c);
	}
	g_array_sort(carried, cmp_carried);
	for (guint i = 0;
	     i < carried->len && imp->events->len < EVF_IMPORT_MAX_ITEMS; i++)
		g_ptr_array_add(
		    imp->events,
		    evf_event_ref(g_array_index(carried, Carried, i).ev));
}

/* The UID that @ev's source gives it: its own, or the one it had before
 * it kept another (keep_occurrence_uids). */
static const char *
natural_uid(const EvfEvent *ev)
{
	return ev->occurrence != NULL ? ev->occurrence : ev->uid;
}

/* For @ev, an occurrence of a timed series that evfeed expanded (its
 * natural UID "<series>/<original start in UTC>"): that series and the day
 * of that start where @ev is shown, as one key; NULL for any other event.
 * (The start was named in the zone @ev is in: a natural UID is the one its
 * source gave it with these times.) */
static char *
occurrence_day(const EvfEvent *ev)
{
	g_autoptr(GDateTime) t = NULL;
	const char *uid = natural_uid(ev);
	size_t n;
	guint32 day;

	if (ev->series == NULL || ev->tba || ev->all_day)
		return NULL;
	n = strlen(ev->series);
	if (strncmp(uid, ev->series, n) != 0 || uid[n] != '/')
		return NULL;
	t = g_date_time_new_from_iso8601(uid + n + 1, NULL);
	day = t != NULL ? evf_event_day_at(ev, g_date_time_to_unix(t)) : 0;
	return day > 0 ? g_strdup_printf("%s\x1f%" G_GUINT32_FORMAT, ev->series,
	                                 day)
	               : NULL;
}

/* Puts @ev under @key in @by_day, or marks @key as taken more than once
 * (its value @by_day itself). */
static void
put_once(GHashTable *by_day, char *key, EvfEvent *ev)
{
	if (g_hash_table_contains(by_day, key)) {
		g_hash_table_insert(by_day, key, by_day);
		return;
	}
	g_hash_table_insert(by_day, key, ev);
}

/* (transfer full): a set of the UIDs of @events, as they are now. */
static GHashTable *
uids_of(GPtrArray *events)
{
	GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < events->len; i++)
		g_hash_table_add(set, ((EvfEvent *)events->pdata[i])->uid);
	return set;
}

/* Gives @ev, of a new answer, the UID @uid it had before, and keeps the
 * one its source gives it. */
static void
keep_uid(EvfEvent *ev, const char *uid)
{
	if (strcmp(ev->uid, uid) == 0)
		return;
	g_free(ev->occurrence);
	ev->occurrence = ev->uid;
	ev->uid = g_strdup(uid);
	g_free(ev->slug);
	ev->slug = evf_slugify(ev->uid);
	evf_event_update_fingerprint(ev);
}

/* The original start of each occurrence of a partner's series names it
 * (import-ics.c), and moves when the partner moves the whole series to
 * another time of day, or gives it another zone: each occurrence would be
 * another event, and subscribers' calendars would delete every one and add
 * it again, with what the subscriber attached to it. Gives each occurrence
 * in @imp the UID that @before (the source's items from its last answer)
 * published for the same natural UID (natural_uid: one that kept its UID
 * through an earlier move keeps it); and each that @before did not have,
 * the UID of the occurrence of the same series on the same day that
 * @before had and @imp no longer has, where there is one of each: an
 * update of the same event, as RFC 5545 §3.8.7.4 has a rescheduling (its
 * SEQUENCE one higher). No UID is given twice. */
static void
keep_occurrence_uids(GPtrArray *before, EvfImport *imp)
{
	g_autoptr(GHashTable) natural =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) given = uids_of(imp->events);
	g_autoptr(GHashTable) had = uids_of(before);
	g_autoptr(GHashTable) kept = g_hash_table_new(g_direct_hash, NULL);
	g_autoptr(GHashTable) gone =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) come =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter it;
	gpointer key, value;

	for (guint i = 0; i < before->len; i++) {
		EvfEvent *ev = before->pdata[i];

		if (ev->series != NULL)
			g_hash_table_insert(natural, (char *)natural_uid(ev),
			                    ev);
	}
	/* the same natural UID: the same event, under the UID it kept
	 * (unless the answer gives that UID to another) */
	for (guint i = 0; i < imp->events->len; i++) {
		EvfEvent *ev = imp->events->pdata[i];
		EvfEvent *old = ev->series != NULL
		                    ? g_hash_table_lookup(natural, ev->uid)
		                    : NULL;

		if (old == NULL)
			continue;
		g_hash_table_add(kept, ev);
		if (strcmp(old->uid, ev->uid) != 0 &&
		    !g_hash_table_contains(given, old->uid))
			keep_uid(ev, old->uid);
	}
	/* (the UIDs now given, some of them kept) */
	g_hash_table_unref(given);
	given = uids_of(imp->events);
	for (guint i = 0; i < before->len; i++) {
		EvfEvent *ev = before->pdata[i];
		char *day = g_hash_table_contains(given, ev->uid)
		                ? NULL
		                : occurrence_day(ev);

		if (day != NULL)
			put_once(gone, day, ev);
	}
	for (guint i = 0; i < imp->events->len && g_hash_table_size(gone) > 0;
	     i++) {
		EvfEvent *ev = imp->events->pdata[i];
		char *day = g_hash_table_contains(kept, ev) ||
		                    g_hash_table_contains(had, ev->uid)
		                ? NULL
		                : occurrence_day(ev);

		if (day != NULL)
			put_once(come, day, ev);
	}
	g_hash_table_iter_init(&it, come);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		EvfEvent *ev = value, *old = g_hash_table_lookup(gone, key);

		if (ev == (gpointer)come || old == NULL ||
		    old == (gpointer)gone)
			continue;
		keep_uid(ev, old->uid);
	}
}

/* How many of @events have a date (are not tba). */
static guint
dated(GPtrArray *events)
{
	guint n = 0;

	for (guint i = 0; i < events->len; i++)
		n += !((EvfEvent *)events->pdata[i])->tba;
	return n;
}

gboolean
evf_partner_apply_parsed(const EvfConfig *cfg, EvfStore *store,
                         EvfPartnerParse *job, gboolean *changed, char **why)
{
	EvfFetchResult *res = job->res;
	gint64 now = job->now;
	const EvfSourceConfig *src = evf_config_source(cfg, res->name);
	g_autoptr(EvfSourceState) st = NULL;
	g_autoptr(GError) error = NULL;
	EvfImport *imp = job->imp;
	const char *hash = job->hash;
	g_autofree char *failure = NULL;
	gboolean same, same_read, ours;

	*changed = FALSE;
	*why = NULL;
	g_return_val_if_fail(src != NULL, FALSE);
	/* The configuration gave the source another URL while this one was
	 * fetched: what it answered says nothing of the source any more. */
	if (g_strcmp0(res->url, src->url) != 0)
		return TRUE;
	st = evf_store_get_source(store, src->name);
	same = same_url(st, src);
	/* The items are those of another address (the url changed, and the
	 * new one failed before it answered): this answer is a new
	 * address's, not held against them, nor taken with them. (A state
	 * of before this was kept: its items are the url's.) */
	{
		g_autofree char *key = items_url_key(src->name);
		g_autofree char *from = evf_store_get_meta(store, key);

		ours = same && (from == NULL || g_strcmp0(from, st->url) == 0);
	}
	/* (a body read otherwise than the one before it: other words in
	 * include= give fewer items, and the partner is not to blame) */
	same_read = ours && same_reading(st, src);
	if (!same) {
		g_clear_pointer(&st->etag, g_free);
		g_clear_pointer(&st->last_modified, g_free);
		g_clear_pointer(&st->body_hash, g_free);
		g_clear_pointer(&st->moved_to, g_free);
		st->gone = FALSE;
		st->failures = 0;
		st->held = 0;
		/* (items keeps the count of the items still listed, the
		 * old address's, until the new one answers) */
		g_free(st->url);
		st->url = evf_url_for_state(src->url);
	}
	st->last_attempt = now;
	/* Advice only where the redirects were followed to a calendar or a
	 * feed: a Location evfeed refuses (file:, https to http), one that
	 * loops, or a page (an old feed's address moved to a relaunched
	 * site's home page) is no address to put in the configuration. */
	if (res->moved_to != NULL && res->error == NULL && job->error == NULL &&
	    g_strcmp0(res->moved_to, src->url) != 0 &&
	    g_strcmp0(st->moved_to, res->moved_to) != 0) {
		g_ptr_array_add(
		    job->notes,
		    g_strdup_printf("moved permanently to %s; update "
		                    "its url in the configuration",
		                    res->moved_to));
		set_str(&st->moved_to, res->moved_to);
	} else if (res->moved_to == NULL && res->error == NULL &&
	           job->error == NULL) {
		/* its url answers as it is again */
		g_clear_pointer(&st->moved_to, g_free);
	}

	if (res->error != NULL) {
		failure = g_strdup(res->error);
		if (res->status == 410) {
			st->gone = TRUE;
			g_ptr_array_add(
			    job->notes,
			    g_strdup(
			        "the feed is gone (HTTP 410): no longer "
			        "fetched; its last items stay listed until "
			        "the source is removed or its url changes"));
		}
	} else if (job->error != NULL && res->moved_to != NULL &&
	           g_strcmp0(res->moved_to, src->url) != 0) {
		failure = g_strdup_printf(
		    "cannot parse what its url now moves permanently to, "
		    "%s: %s",
		    res->moved_to, job->error->message);
	} else if (job->error != NULL) {
		failure =
		    g_strdup_printf("cannot parse: %s", job->error->message);
	}

	if (failure != NULL) {
		st->failures++;
		set_str(&st->last_error, failure);
		schedule(src, st, res, now);
		if (!evf_store_put_source(store, st, &error))
			g_warning("%s", error->message);
		*why = g_steal_pointer(&failure);
		return FALSE;
	}

	st->failures = 0;
	st->gone = FALSE; /* (fetched by name after a 410) */
	st->last_success = now;
	g_clear_pointer(&st->last_error, g_free);
	if (imp != NULL) {
		guint n = imp->events->len;
		guint old = st->items;
		g_autoptr(GPtrArray) before =
		    ours ? evf_store_get_source_items(store, src->name) : NULL;
		/* items with a date, which the calendars list: before, and
		 * now with those kept from before */
		guint had = before != NULL ? dated(before) : 0, has;
		gboolean fewer, undated;

		/* What the importer could not read as written (a time zone
		 * taken as UTC), once for each new body. */
		for (guint i = 0; imp->warnings != NULL &&
		                  g_strcmp0(hash, st->body_hash) != 0 &&
		                  i < imp->warnings->len;
		     i++)
			g_ptr_array_add(job->notes, g_strdup(g_ptr_array_index(
			                                imp->warnings, i)));

		if (before != NULL)
			keep_occurrence_uids(before, imp);
		if (imp->window) {
			date_unlisted(before, imp, now);
			if (before != NULL)
				carry_over(cfg, before, imp, &job->filter, now);
		}
		has = dated(imp->events);
		fewer = same_read && old > 0 && (n == 0 || n * 2 < old);
		/* (a feed whose template lost its event dates: its items
		 * all there, and none left for the calendars) */
		undated = same_read && !fewer && had > 0 && has * 2 < had;
		if ((fewer || undated) && st->held < EVF_PARTNER_HOLD_FETCHES) {
			/* A partner that suddenly lists far fewer items, or
			 * far fewer with a date, is more often broken than
			 * emptied: keep the previous items until the next
			 * fetches say the same. The validators are not kept,
			 * so those fetches are full answers, not 304s. */
			guint left;

			st->held++;
			left = EVF_PARTNER_HOLD_FETCHES - st->held + 1;
			st->last_error = g_strdup_printf(
			    "held: %u items%s where there were %u; the "
			    "previous items stay until %u more %s",
			    fewer ? n : has, fewer ? "" : " with a date",
			    fewer ? old : had, left,
			    left == 1 ? "fetch confirms" : "fetches confirm");
			/* said, not only kept for `evfeed sources` */
			g_ptr_array_add(job->notes, g_strdup(st->last_error));
			schedule(src, st, res, now);
			if (!evf_store_put_source(store, st, &error))
				g_warning("%s", error->message);
			return TRUE;
		}
		if (st->held > 0 && (fewer || undated))
			g_ptr_array_add(
			    job->notes,
			    g_strdup_printf(
			        "now lists %u items%s where there were "
			        "%u: taken, as %u fetches in a row "
			        "said so",
			        fewer ? n : has, fewer ? "" : " with a date",
			        fewer ? old : had, st->held + 1));
		st->held = 0;
		st->items = n;
		keep_warnings(store, src->name, imp->warnings);
		set_str(&st->body_hash, hash);
		set_str(&st->etag, res->etag);
		set_str(&st->last_modified, res->last_modified);
		schedule(src, st, res, now);
		if (!evf_store_set_source_items(store, st, imp->events,
		                                &error)) {
			*why = g_strdup(error->message);
			return FALSE;
		}
		{
			g_autofree char *rev =
			    g_strdup_printf("%" G_GINT64_FORMAT, now);
			g_autofree char *key = parsed_key(src->name);
			g_autofree char *from = items_url_key(src->name);

			evf_store_set_meta(store, "partners", rev, NULL);
			evf_store_set_meta(store, key, rev, NULL);
			evf_store_set_meta(store, from, st->url, NULL);
		}
		*changed = TRUE;
		return TRUE;
	}
	/* 304, or the same bytes again. */
	if (res->etag != NULL)
		set_str(&st->etag, res->etag);
	if (res->last_modified != NULL)
		set_str(&st->last_modified, res->last_modified);
	st->held = 0;
	schedule(src, st, res, now);
	if (!evf_store_put_source(store, st, &error))
		g_warning("%s", error->message);
	return TRUE;
}

guint
evf_partner_window(void)
{
	return 4 + 2 * MAX(1u, g_get_num_processors());
}

typedef struct {
	const EvfConfig *cfg;
	EvfStore *store;
	GPtrArray *notes;
	GPtrArray *failures;
	GMainLoop *loop;
	EvfFetcher *fetcher;
	GQueue waiting; /* of EvfFetchRequest, borrowing their strings */
	guint active;   /* fetched or being parsed */
	guint pending;
} Pass;

static void on_fetched(EvfFetchResult *res, gpointer data);

/* Starts fetches while fewer than the window are in progress. */
static void
start_more(Pass *p)
{
	while (p->active < evf_partner_window() &&
	       !g_queue_is_empty(&p->waiting)) {
		g_autofree EvfFetchRequest *req = g_queue_pop_head(&p->waiting);

		p->active++;
		evf_fetcher_add(p->fetcher, req, on_fetched, p);
	}
}

static void
on_parsed(EvfPartnerParse *job, gpointer data)
{
	Pass *p = data;
	g_autofree char *why = NULL;
	gboolean changed;
	gboolean ok =
	    evf_partner_apply_parsed(p->cfg, p->store, job, &changed, &why);

	for (guint i = 0; i < job->notes->len; i++)
		g_ptr_array_add(p->notes,
		                g_strdup_printf("%s: %s", job->res->name,
		                                (char *)job->notes->pdata[i]));
	if (!ok)
		g_ptr_array_add(p->failures,
		                g_strdup_printf("%s: %s", job->res->name, why));
	evf_partner_parse_free(job);
	p->active--;
	start_more(p);
	if (--p->pending == 0)
		g_main_loop_quit(p->loop);
}

static void
on_fetched(EvfFetchResult *res, gpointer data)
{
	Pass *p = data;

	evf_partner_parse_async(p->cfg, p->store, res, g_get_real_time(),
	                        on_parsed, p);
}

gboolean
evf_partner_fetch_all(const EvfConfig *cfg, EvfStore *store, const char *only,
                      gboolean only_due, GPtrArray *notes, GPtrArray *failures,
                      GError **error)
{
	gint64 now = g_get_real_time();
	g_autofree char *ua = evf_partner_user_agent(cfg);
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_source_state_free);
	Pass p = {
		.cfg = cfg, .store = store, .notes = notes, .failures = failures
	};

	g_main_context_push_thread_default(ctx);
	p.fetcher = evf_fetcher_new(ua);
	p.loop = g_main_loop_new(ctx, FALSE);
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		EvfSourceState *st;
		EvfFetchRequest *req;

		if (!src->enabled ||
		    (only != NULL && strcmp(only, src->name) != 0))
			continue;
		st = evf_store_get_source(store, src->name);
		g_ptr_array_add(states, st);
		/* Gone (HTTP 410): not fetched again until its URL changes,
		 * here as on the daemon's schedule (evf_partner_due), unless
		 * named: the way to try again after a partner's mistake. */
		if (st->gone && same_url(st, src) && only == NULL)
			continue;
		/* as the daemon would fetch it now (cron's way) */
		if (only_due && !due(src, st, now))
			continue;
		req = g_new0(EvfFetchRequest, 1);
		evf_partner_request(src, store, st, now, req);
		p.pending++;
		g_queue_push_tail(&p.waiting, req);
	}
	start_more(&p);
	if (p.pending > 0)
		g_main_loop_run(p.loop);
	g_main_loop_unref(p.loop);
	evf_fetcher_free(p.fetcher);
	g_main_context_pop_thread_default(ctx);
	if (only != NULL && states->len == 0) {
		g_autofree char *shown = evf_log_escape(only);

		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
		            "no enabled source called '%s'", shown);
		return FALSE;
	}
	return TRUE;
}

/* The source of @cfg that has the url of @st, a source no longer
 * configured: the same source renamed ([source unodoc] to [source
 * unodc]), which `evfeed fetch` may have fetched already. */
static const EvfSourceConfig *
renamed_to(const EvfConfig *cfg, const EvfSourceState *st)
{
	for (guint i = 0; st->url != NULL && i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);

		if (same_url(st, src))
			return src;
	}
	return NULL;
}

/* @gone, a source no longer configured, is @to renamed: each of its items
 * published under a UID of @gone's name (evf_merge_source_uid) is, as
 * @to's, an alias of that UID (evf_merge's EvfMergeIds), and so is the
 * feed item of each of its series (build.c's series_times), so that
 * subscribers keep the events they have and feed readers are not told of
 * them again, where the new name would make every UID anew. */
static void
keep_identities(EvfStore *store, const char *gone, const char *to)
{
	g_autoptr(GPtrArray) items = evf_store_get_source_items(store, gone);
	g_autoptr(GHashTable) published = evf_store_published_uids(store);

	for (guint i = 0; i < items->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(items, i);
		g_autofree char *was = evf_merge_source_uid(gone, ev->uid);
		g_autofree char *own = evf_merge_source_uid(to, ev->uid);
		g_autofree char *was_key = g_strconcat("alias/", was, NULL);
		g_autofree char *own_key = g_strconcat("alias/", own, NULL);
		g_autofree char *aliased = evf_store_get_meta(store, was_key);
		g_autofree char *had = evf_store_get_meta(store, own_key);
		const char *uid = aliased != NULL ? aliased : was;

		if (had == NULL && g_hash_table_contains(published, uid))
			evf_store_set_meta(store, own_key, uid, NULL);
		/* and its series' feed item, once (series_times) */
		if (ev->series != NULL) {
			g_autofree char *sid =
			    evf_render_series_uid_of(gone, ev->series);
			g_autofree char *sid_key =
			    g_strconcat("series/", sid, NULL);
			g_autofree char *new_sid =
			    evf_render_series_uid_of(to, ev->series);
			g_autofree char *alias_key =
			    g_strconcat("alias/", new_sid, NULL);
			g_autofree char *known = NULL;
			g_autofree char *set =
			    evf_store_get_meta(store, alias_key);

			if (set == NULL && (known = evf_store_get_meta(
			                        store, sid_key)) != NULL)
				evf_store_set_meta(store, alias_key, sid, NULL);
		}
	}
}

GHashTable *
evf_partner_items(const EvfConfig *cfg, EvfStore *store)
{
	GHashTable *items = g_hash_table_new_full(
	    g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GPtrArray) known = evf_store_list_sources(store);

	for (guint i = 0; i < known->len; i++) {
		EvfSourceState *st = g_ptr_array_index(known, i);
		const EvfSourceConfig *to;

		if (evf_config_source(cfg, st->name) != NULL)
			continue;
		to = renamed_to(cfg, st);
		if (to != NULL) {
			g_autoptr(EvfSourceState) now =
			    evf_store_get_source(store, to->name);

			g_message("source %s is no longer configured, and "
			          "source %s has its url: its items keep "
			          "their identities as %s's",
			          st->name, to->name, to->name);
			keep_identities(store, st->name, to->name);
			/* not fetched yet under its new name: its last good
			 * items stay listed, not gone until a fetch */
			if (now->last_success == 0 &&
			    evf_store_rename_source(store, st->name, to->name,
			                            NULL))
				g_message("source %s keeps the last good items "
				          "of %s until it is fetched",
				          to->name, st->name);
		} else {
			g_message("source %s is no longer configured: its "
			          "items are removed",
			          st->name);
		}
		evf_store_forget_source(store, st->name, NULL);
		keep_warnings(store, st->name, NULL);
		evf_store_set_meta(store, "partners", st->name, NULL);
	}
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		GPtrArray *kept;

		if (!src->enabled)
			continue;
		kept = evf_store_get_source_items(store, src->name);
		/* Items kept from before the importers mended text encoded
		 * twice are mended as the importers now do, so that they
		 * read the same as after their next new body, and their
		 * fingerprint is of what is published. */
		for (guint k = 0; k < kept->len; k++) {
			EvfEvent *ev = g_ptr_array_index(kept, k);

			if (evf_import_mend_text(ev))
				evf_event_update_fingerprint(ev);
		}
		g_hash_table_insert(items, g_strdup(src->name), kept);
	}
	return items;
}

gboolean
evf_partner_read_otherwise(const EvfSourceConfig *src, EvfStore *store)
{
	g_autoptr(EvfSourceState) st = evf_store_get_source(store, src->name);

	/* (a source that is gone is fetched no more) */
	return st->body_hash != NULL && !st->gone && same_url(st, src) &&
	       !same_reading(st, src);
}

char *
evf_partner_revision(EvfStore *store)
{
	char *rev = evf_store_get_meta(store, "partners");

	return rev != NULL ? rev : g_strdup("");
}

static char *
format_time(gint64 usec)
{
	g_autoptr(GDateTime) t = NULL;

	if (usec <= 0)
		return NULL;
	t = g_date_time_new_from_unix_utc(usec / G_USEC_PER_SEC);
	return g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
}

static const char *
status_word(const EvfSourceConfig *src, const EvfSourceState *st)
{
	if (!src->enabled)
		return "disabled";
	if (!same_url(st, src))
		return "new";
	if (st->gone)
		return "gone";
	if (st->failures > 0)
		return "failing";
	if (st->held > 0)
		return "held";
	return "ok";
}

/* (nullable): where @src's url moves permanently, as its last fetch was
 * told, unless that is the url configured now. */
static const char *
moved_to(const EvfSourceConfig *src, const EvfSourceState *st)
{
	return st->moved_to != NULL && g_strcmp0(st->moved_to, src->url) != 0
	           ? st->moved_to
	           : NULL;
}

GBytes *
evf_partner_status_json(const EvfConfig *cfg, EvfStore *store, gint64 now)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *text = NULL;
	gsize len = 0;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "sources");
	json_builder_begin_array(b);
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		g_autoptr(EvfSourceState) st =
		    evf_store_get_source(store, src->name);
		g_autofree char *ok = format_time(st->last_success);
		g_autofree char *tried = format_time(st->last_attempt);
		/* (the old url's failures are not a new one's) */
		gboolean fresh = !same_url(st, src);
		g_autofree char *next =
		    format_time(next_fetch_at(src, st, now));
		g_auto(GStrv) warnings = kept_warnings(store, src->name);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, src->name);
		json_builder_set_member_name(b, "title");
		json_builder_add_string_value(b, src->title);
		json_builder_set_member_name(b, "url");
		json_builder_add_string_value(b, src->link);
		json_builder_set_member_name(b, "status");
		json_builder_add_string_value(b, status_word(src, st));
		json_builder_set_member_name(b, "items");
		json_builder_add_int_value(b, st->items);
		json_builder_set_member_name(b, "last_success");
		ok ? json_builder_add_string_value(b, ok)
		   : json_builder_add_null_value(b);
		json_builder_set_member_name(b, "last_attempt");
		tried ? json_builder_add_string_value(b, tried)
		      : json_builder_add_null_value(b);
		json_builder_set_member_name(b, "last_error");
		st->last_error && !fresh
		    ? json_builder_add_string_value(b, st->last_error)
		    : json_builder_add_null_value(b);
		json_builder_set_member_name(b, "failures");
		json_builder_add_int_value(b, fresh ? 0 : st->failures);
		/* where its url moves permanently: the one to configure */
		json_builder_set_member_name(b, "moved_to");
		moved_to(src, st) != NULL
		    ? json_builder_add_string_value(b, moved_to(src, st))
		    : json_builder_add_null_value(b);
		json_builder_set_member_name(b, "warnings");
		json_builder_begin_array(b);
		for (guint k = 0; warnings[k] != NULL; k++)
			json_builder_add_string_value(b, warnings[k]);
		json_builder_end_array(b);
		json_builder_set_member_name(b, "next_fetch");
		next && src->enabled && (fresh || !st->gone)
		    ? json_builder_add_string_value(b, next)
		    : json_builder_add_null_value(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, &len);
	return g_bytes_new_take(g_steal_pointer(&text), len);
}

/* A line of the warnings below evfeed sources' table, under its heading
 * the first time (*@said). */
static void
print_warning(FILE *out, gboolean *said, const char *name, const char *text)
{
	/* a partner's words: never its terminal's escapes */
	g_autofree char *line = evf_log_escape(text);

	if (!*said) {
		fprintf(out, "\nWarnings about the items in use:\n");
		*said = TRUE;
	}
	fprintf(out, "%s: %s\n", name, line);
}

void
evf_partner_print_table(const EvfConfig *cfg, EvfStore *store, gint64 now,
                        FILE *out)
{
	gboolean said = FALSE;
	/* (element-type EvfSourceState): each source's, read once */
	g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_source_state_free);

	/* the first column as wide as the longest name (names are ASCII) */
	int width = 12;

	for (guint i = 0; i < cfg->sources->len; i++)
		width =
		    MAX(width,
		        (int)strlen(((const EvfSourceConfig *)g_ptr_array_index(
		                         cfg->sources, i))
		                        ->name));
	fprintf(out, "%-*s %-8s %6s  %-20s  %-20s  %s\n", width, "SOURCE",
	        "STATUS", "ITEMS", "LAST SUCCESS", "NEXT FETCH", "LAST ERROR");
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		EvfSourceState *st = evf_store_get_source(store, src->name);
		g_autofree char *ok = format_time(st->last_success);
		/* (the old url's failures are not a new one's) */
		gboolean fresh = !same_url(st, src);
		gint64 at = next_fetch_at(src, st, now);
		g_autofree char *next = format_time(at);
		const char *word = status_word(src, st);
		/* a partner's words: never its terminal's escapes */
		g_autofree char *error = st->last_error && !fresh
		                             ? evf_log_escape(st->last_error)
		                             : NULL;

		fprintf(out, "%-*s %-8s %6u  %-20s  %-20s  %s\n", width,
		        src->name, word, st->items, ok ? ok : "never",
		        !src->enabled || (st->gone && !fresh) ? "-"
		        : next && at > now                    ? next
		                                              : "now",
		        error ? error : "-");
		g_ptr_array_add(states, st);
	}
	/* Where a url moves permanently, and what the importer could not
	 * carry over as the partner wrote it (a time zone taken as UTC),
	 * below the table. */
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		const EvfSourceState *st = g_ptr_array_index(states, i);
		g_auto(GStrv) warnings = kept_warnings(store, src->name);

		if (moved_to(src, st) != NULL) {
			g_autofree char *moved = g_strdup_printf(
			    "its url moves permanently to %s; update it in the "
			    "configuration",
			    moved_to(src, st));

			print_warning(out, &said, src->name, moved);
		}
		for (guint k = 0; warnings[k] != NULL; k++)
			print_warning(out, &said, src->name, warnings[k]);
	}
}
