/*
 * test-merge.c: every rule of the merge: identity (kept, or namespaced
 * deterministically on collision), duplicates (the same event page on the
 * same day; the same day and a near-identical title; an undated local
 * listing and a partner's item of the same title), what is never joined
 * (items of one source, a shared URL on other days, a home page or a
 * listing page, times more than an hour apart), precedence (local, then
 * priority, then name), "also listed by", filters and added categories,
 * disabled sources.
 */
#include "autoconf.h"

#include "config.h"
#include "event.h"
#include "merge.h"
#include "partner.h"
#include "store.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static EvfConfig *
config(const char *sources)
{
	g_autofree char *dir = g_dir_make_tmp("evfeed-merge-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "evfeed.conf", NULL);
	g_autofree char *text = g_strdup_printf(
	    "[site]\nurl=https://events.example.org/\n%s", sources);
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	EvfConfig *cfg;

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	cfg = evf_config_load(path, diags);
	evf_diags_print(diags, stderr);
	g_assert_nonnull(cfg);
	g_assert_cmpint(system(cmd), ==, 0);
	return cfg;
}

static EvfEvent *
dated(const char *uid, const char *title, int y, int m, int d)
{
	EvfEvent *ev = evf_event_new();

	ev->uid = g_strdup(uid);
	ev->slug = evf_slugify(uid);
	ev->title = g_strdup(title);
	ev->all_day = TRUE;
	g_date_clear(&ev->start_date, 1);
	g_date_set_dmy(&ev->start_date, d, m, y);
	ev->end_date = ev->start_date;
	g_date_add_days(&ev->end_date, 1);
	evf_event_update_fingerprint(ev);
	return ev;
}

/* A timed event, an hour long, in @tzid (NULL: given in UTC). */
static EvfEvent *
timed(const char *uid, const char *title, const char *tzid, int y, int m, int d,
      int h, int min)
{
	EvfEvent *ev = evf_event_new();
	g_autoptr(GTimeZone) tz = tzid != NULL
	                              ? g_time_zone_new_identifier(tzid)
	                              : g_time_zone_new_utc();

	g_assert_nonnull(tz);
	ev->uid = g_strdup(uid);
	ev->slug = evf_slugify(uid);
	ev->title = g_strdup(title);
	ev->tzid = g_strdup(tzid);
	ev->start = g_date_time_new(tz, y, m, d, h, min, 0);
	ev->end = g_date_time_add_hours(ev->start, 1);
	evf_event_update_fingerprint(ev);
	return ev;
}

/* @ev, linking to @url. */
static EvfEvent *
linked(EvfEvent *ev, const char *url)
{
	ev->url = g_strdup(url);
	evf_event_update_fingerprint(ev);
	return ev;
}

/* @ev, at @place. */
static EvfEvent *
placed(EvfEvent *ev, const char *place)
{
	ev->location = g_strdup(place);
	evf_event_update_fingerprint(ev);
	return ev;
}

static EvfEvent *
undated(const char *uid, const char *title)
{
	EvfEvent *ev = evf_event_new();

	ev->uid = g_strdup(uid);
	ev->slug = evf_slugify(uid);
	ev->title = g_strdup(title);
	ev->tba = TRUE;
	evf_event_update_fingerprint(ev);
	return ev;
}

static GPtrArray *
list(EvfEvent *first, ...)
{
	GPtrArray *a =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	va_list ap;

	va_start(ap, first);
	for (EvfEvent *ev = first; ev != NULL; ev = va_arg(ap, EvfEvent *))
		g_ptr_array_add(a, ev);
	va_end(ap);
	return a;
}

static GHashTable *
partners(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                             (GDestroyNotify)g_ptr_array_unref);
}

static EvfEvent *
find(GPtrArray *out, const char *title)
{
	for (guint i = 0; i < out->len; i++) {
		EvfEvent *ev = g_ptr_array_index(out, i);

		if (strcmp(ev->title, title) == 0)
			return ev;
	}
	return NULL;
}

/* The event of @uid as its place gave it: a partner's UID unique only in
 * its source ("42") is namespaced by the source's name. */
static EvfEvent *
find_uid(GPtrArray *out, const char *uid)
{
	for (guint i = 0; i < out->len; i++) {
		EvfEvent *ev = g_ptr_array_index(out, i);
		g_autofree char *name = NULL;
		g_autofree char *spaced = NULL;

		if (strcmp(ev->uid, uid) == 0)
			return ev;
		if (ev->source == NULL)
			continue;
		name = g_strdup_printf("%s\x1f%s", ev->source, uid);
		spaced = evf_uuid5(EVF_UUID_NAMESPACE, name);
		if (strcmp(ev->uid, spaced) == 0)
			return ev;
	}
	g_assert_not_reached();
}

/* OSCE's item for the workshop, with a date. */
static GPtrArray *
workshop_dated(void)
{
	return list(dated("osce-1", "Regional workshop on cultural property",
	                  2018, 11, 20),
	            NULL);
}

static guint
count(GPtrArray *list, const char *s)
{
	guint n = 0;

	for (guint i = 0; i < list->len; i++)
		n += strcmp(g_ptr_array_index(list, i), s) == 0;
	return n;
}

static gboolean
has(GPtrArray *list, const char *s)
{
	return count(list, s) > 0;
}

/* That @out has @n events, each listed in one place only. */
static void
assert_apart(GPtrArray *out, guint n)
{
	g_assert_cmpuint(out->len, ==, n);
	for (guint i = 0; i < out->len; i++)
		g_assert_cmpuint(
		    ((EvfEvent *)g_ptr_array_index(out, i))->also_listed->len,
		    ==, 0);
}

/* That @out is one event, of @uid, that @a and @b list too. */
static void
assert_one_listed(GPtrArray *out, const char *uid, const char *a, const char *b)
{
	EvfEvent *ev;

	g_assert_cmpuint(out->len, ==, 1);
	ev = g_ptr_array_index(out, 0);
	g_assert_cmpstr(ev->uid, ==, uid);
	g_assert_true(has(ev->also_listed, a));
	g_assert_true(has(ev->also_listed, b));
}

/* (transfer full): evf_merge of @local (nullable: the site has no events
 * of its own) and the partner items that follow: a source's name and the
 * list of its items (taken), and so on up to a NULL name. */
static GPtrArray *
merge(const EvfConfig *cfg, GPtrArray *local, ...)
{
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GHashTable) p = partners();
	const char *name;
	va_list ap;

	va_start(ap, local);
	while ((name = va_arg(ap, const char *)) != NULL)
		g_hash_table_insert(p, (char *)name, va_arg(ap, GPtrArray *));
	va_end(ap);
	return evf_merge(cfg, local != NULL ? local : none, p, NULL);
}

static void
test_normalize(void)
{
	g_autofree char *a = evf_merge_normalize_title(
	    "Inter-Regional Meeting between South-Eastern Europe");
	g_autofree char *b = evf_merge_normalize_title(
	    "  inter regional   MEETING between South Eastern Europe!");
	g_autofree char *c = evf_merge_normalize_title("Konferenca Žalec");

	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(c, ==, "konferenca zalec");
	g_assert_true(evf_merge_titles_match(a, b));
	g_assert_true(evf_merge_titles_match(
	    "twelfth biennial international conference criminal justice "
	    "security",
	    "12th biennial international conference criminal justice "
	    "security"));
	g_assert_false(evf_merge_titles_match("workshop on cyber security",
	                                      "workshop on border security"));
	g_assert_false(evf_merge_titles_match("", ""));
}

static void
test_uid_kept_or_namespaced(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/rss\n");
	g_autoptr(GPtrArray) local =
	    list(dated("shared-uid", "Our own event", 2018, 5, 1), NULL);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;
	g_autofree char *expected =
	    evf_uuid5(EVF_UUID_NAMESPACE, "osce\x1fshared-uid");
	EvfEvent *a, *b;

	g_autofree char *bracketed =
	    evf_uuid5(EVF_UUID_NAMESPACE, "osce\x1f"
	                                  "conf[2019]@osce.example");

	g_autofree char *numbered = evf_uuid5(EVF_UUID_NAMESPACE, "osce\x1f"
	                                                          "42");

	g_hash_table_insert(
	    p, "osce",
	    list(dated("shared-uid", "Their event", 2019, 1, 1),
	         dated("their-own@osce.example", "Another of theirs", 2019, 2,
	               1),
	         dated("conf[2019]@osce.example", "Bracketed", 2019, 3, 1),
	         dated("42", "Numbered", 2019, 4, 1), NULL));
	out = evf_merge(cfg, local, p, NULL);
	g_assert_cmpuint(out->len, ==, 5);
	a = find(out, "Their event");
	b = find(out, "Another of theirs");
	/* A clash: namespaced, the same way every time. */
	g_assert_cmpstr(a->uid, ==, expected);
	/* So is a UID that no tag: id can hold. */
	g_assert_cmpstr(find(out, "Bracketed")->uid, ==, bracketed);
	/* and one unique only in its source, clash or none */
	g_assert_cmpstr(find(out, "Numbered")->uid, ==, numbered);
	/* Unique beyond its source: kept as the partner wrote it. */
	g_assert_cmpstr(b->uid, ==, "their-own@osce.example");
	g_assert_cmpstr(find(out, "Our own event")->uid, ==, "shared-uid");
	g_assert_cmpstr(b->source, ==, "osce");
	g_assert_cmpstr(b->source_title, ==, "OSCE");
	g_assert_cmpstr(b->source_url, ==, "https://osce.example/rss");
	g_assert_true(g_str_has_prefix(b->slug, "osce-"));
}

/* An item's identity is its own whoever comes first: a source that
 * joins (here one whose name sorts first), or a file given the same
 * number as uid, takes nothing from an item of a UID unique only in its
 * source ("1", an RSS guid), whose state (first seen, SEQUENCE) would go
 * with it. */
static void
test_uid_stays_when_a_source_joins(void)
{
	g_autoptr(EvfConfig) one =
	    config("[source beta]\nurl=https://beta.example/rss\n");
	g_autoptr(EvfConfig) two =
	    config("[source alpha]\nurl=https://alpha.example/rss\n"
	           "[source beta]\nurl=https://beta.example/rss\n");
	g_autoptr(GPtrArray) local =
	    list(dated("1", "Board meeting", 2027, 9, 1), NULL);
	g_autoptr(GPtrArray) before = NULL;
	g_autoptr(GPtrArray) after = NULL;
	g_autoptr(GPtrArray) with_file = NULL;
	g_autofree char *beta = NULL;

	before =
	    merge(one, NULL, "beta",
	          list(dated("1", "Beta workshop", 2027, 6, 1), NULL), NULL);
	beta = g_strdup(find(before, "Beta workshop")->uid);
	g_assert_cmpstr(beta, !=, "1");
	after =
	    merge(two, NULL, "beta",
	          list(dated("1", "Beta workshop", 2027, 6, 1), NULL), "alpha",
	          list(dated("1", "Alpha conference", 2027, 7, 1), NULL), NULL);
	g_assert_cmpuint(after->len, ==, 2);
	g_assert_cmpstr(find(after, "Beta workshop")->uid, ==, beta);
	g_assert_cmpstr(find(after, "Alpha conference")->uid, !=, beta);
	g_assert_cmpstr(find(after, "Alpha conference")->uid, !=, "1");
	with_file =
	    merge(one, local, "beta",
	          list(dated("1", "Beta workshop", 2027, 6, 1), NULL), NULL);
	g_assert_cmpstr(find(with_file, "Beta workshop")->uid, ==, beta);
	g_assert_cmpstr(find(with_file, "Board meeting")->uid, ==, "1");
}

/* The merge of @local and @src's @items with @ids, as a build makes it:
 * the UIDs published are those of the last merge's events (@before,
 * nullable: none). */
static GPtrArray *
merge_ids(const EvfConfig *cfg, EvfMergeIds *ids, GPtrArray *before,
          GPtrArray *local, ...)
{
	g_autoptr(GHashTable) p = partners();
	const char *name;
	va_list ap;

	g_hash_table_remove_all(ids->published);
	g_ptr_array_set_size(ids->added, 0);
	/* which listing each UID went out for, as the state keeps it */
	g_clear_pointer(&ids->published_for, g_hash_table_unref);
	ids->published_for = g_steal_pointer(&ids->published_now);
	for (guint i = 0; before != NULL && i < before->len; i++)
		g_hash_table_add(
		    ids->published,
		    g_strdup(((EvfEvent *)g_ptr_array_index(before, i))->uid));
	va_start(ap, local);
	while ((name = va_arg(ap, const char *)) != NULL)
		g_hash_table_insert(p, (char *)name, va_arg(ap, GPtrArray *));
	va_end(ap);
	return evf_merge(cfg, local, p, ids);
}

/* A UID two sources give two events: the one published under it keeps it
 * while its source lists it, whichever source comes first in the merge
 * (a source added later, of a name before the first's, took it over, and
 * the published event got another UID); the newcomer's is namespaced. */
static void
test_uid_kept_by_its_owner(void)
{
	g_autoptr(EvfConfig) one =
	    config("[source zfirst]\nurl=https://first.example/cal.ics\n");
	g_autoptr(EvfConfig) two =
	    config("[source zfirst]\nurl=https://first.example/cal.ics\n"
	           "[source asecond]\nurl=https://second.example/cal.ics\n");
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) both = NULL;
	g_autoptr(GPtrArray) later = NULL;
	g_autofree char *conference = NULL;

	evf_merge_ids_init(&ids);
	first = merge_ids(
	    one, &ids, NULL, none, "zfirst",
	    list(dated("event-1@example.org", "Workshop", 2027, 3, 10), NULL),
	    NULL);
	g_assert_cmpstr(find(first, "Workshop")->uid, ==,
	                "event-1@example.org");
	g_assert_cmpstr(g_hash_table_lookup(ids.owned, "event-1@example.org"),
	                ==, "zfirst");
	/* the state's record of it, as a build keeps it */
	ids.owners = g_steal_pointer(&ids.owned);
	both = merge_ids(
	    two, &ids, first, none, "zfirst",
	    list(dated("event-1@example.org", "Workshop", 2027, 3, 10), NULL),
	    "asecond",
	    list(dated("event-1@example.org", "Conference", 2027, 9, 1), NULL),
	    NULL);
	g_assert_cmpuint(both->len, ==, 2);
	g_assert_cmpstr(find(both, "Workshop")->uid, ==, "event-1@example.org");
	g_assert_cmpstr(find(both, "Conference")->uid, !=,
	                "event-1@example.org");
	g_assert_cmpstr(g_hash_table_lookup(ids.owned, "event-1@example.org"),
	                ==, "zfirst");
	/* the owner lists it no more: the other keeps the UID it was
	 * published under */
	conference = g_strdup(find(both, "Conference")->uid);
	g_hash_table_unref(ids.owners);
	ids.owners = g_steal_pointer(&ids.owned);
	later = merge_ids(
	    two, &ids, both, none, "zfirst", list(NULL), "asecond",
	    list(dated("event-1@example.org", "Conference", 2027, 9, 1), NULL),
	    NULL);
	g_assert_cmpstr(find(later, "Conference")->uid, ==, conference);
}

/* An event published from a partner's listing keeps its identity (UID,
 * and so its feed id and first-seen time) when a listing that wins the
 * merge starts to list it: a local file written for it, or a source of
 * higher priority. Subscribers would otherwise see it removed and a new
 * one added, and feed readers be told of it twice. It keeps it once the
 * partner lists it no more. An event published under its own UID keeps
 * that one, and the local events given are not changed. */
static void
test_uid_kept_when_a_listing_wins(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source beta]\nurl=https://beta.example/rss\n"
	           "[source alpha]\nurl=https://alpha.example/rss\n"
	           "priority=5\n");
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GPtrArray) local =
	    list(dated("file-uid", "Regional cyber workshop", 2027, 6, 1),
	         dated("other", "Board meeting", 2027, 9, 1), NULL);
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) joined = NULL;
	g_autoptr(GPtrArray) gone = NULL;
	g_autoptr(GPtrArray) again = NULL;
	g_autoptr(GPtrArray) alpha_first = NULL;
	g_autoptr(GPtrArray) alpha_wins = NULL;
	g_autofree char *beta = NULL;
	EvfEvent *ev;

	evf_merge_ids_init(&ids);
	/* beta's item ("7", namespaced) published alone */
	first = merge_ids(
	    cfg, &ids, NULL, none, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    NULL);
	beta = g_strdup(find(first, "Regional Cyber Workshop")->uid);
	g_assert_cmpstr(beta, !=, "7");
	g_assert_cmpuint(ids.added->len, ==, 0);

	/* a local file for it: the file's event wins and keeps beta's UID */
	joined = merge_ids(
	    cfg, &ids, first, local, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    NULL);
	g_assert_cmpuint(joined->len, ==, 2);
	ev = find(joined, "Regional cyber workshop");
	g_assert_nonnull(ev);
	g_assert_null(ev->source);
	g_assert_cmpstr(ev->uid, ==, beta);
	g_assert_cmpstr(find(joined, "Board meeting")->uid, ==, "other");
	g_assert_cmpuint(ids.added->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(ids.added, 0), ==, "file-uid");
	g_assert_cmpstr(g_hash_table_lookup(ids.aliases, "file-uid"), ==, beta);
	/* the catalogue's event is not the merge's to change */
	g_assert_cmpstr(((EvfEvent *)g_ptr_array_index(local, 0))->uid, ==,
	                "file-uid");

	/* beta lists it no more: the identity stays */
	gone = merge_ids(cfg, &ids, joined, local, NULL);
	g_assert_cmpstr(find(gone, "Regional cyber workshop")->uid, ==, beta);
	g_assert_cmpuint(ids.added->len, ==, 0);
	/* and the same when beta lists it again */
	again = merge_ids(
	    cfg, &ids, gone, local, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    NULL);
	g_assert_cmpuint(again->len, ==, 2);
	g_assert_cmpstr(find(again, "Regional cyber workshop")->uid, ==, beta);
	g_assert_cmpuint(ids.added->len, ==, 0);

	/* the two listings apart again (beta moved its item a week): the
	 * file's event keeps the identity it took, and beta's item, another
	 * event now, is given another; no UID is published twice */
	{
		g_autoptr(GPtrArray) apart = merge_ids(
		    cfg, &ids, again, local, "beta",
		    list(dated("7", "Regional Cyber Workshop", 2027, 6, 8),
		         NULL),
		    NULL);
		EvfEvent *moved = find(apart, "Regional Cyber Workshop");

		g_assert_cmpuint(apart->len, ==, 3);
		g_assert_cmpstr(find(apart, "Regional cyber workshop")->uid, ==,
		                beta);
		g_assert_nonnull(moved);
		g_assert_cmpstr(moved->uid, !=, beta);
		g_assert_cmpstr(moved->uid, !=, "file-uid");
		g_assert_cmpstr(moved->uid, !=, "other");
	}
	/* a file that names that UID itself: the item is given another */
	{
		g_autoptr(GPtrArray) named = list(
		    dated(beta, "Regional cyber workshop", 2027, 6, 1), NULL);
		g_autoptr(GPtrArray) out = merge_ids(
		    cfg, &ids, NULL, named, "beta",
		    list(dated("7", "Cyber Range Exercise", 2027, 9, 9), NULL),
		    NULL);

		g_assert_cmpuint(out->len, ==, 2);
		g_assert_cmpstr(find(out, "Cyber Range Exercise")->uid, !=,
		                beta);
	}

	/* a source of higher priority that starts listing beta's event */
	g_hash_table_remove_all(ids.aliases);
	alpha_first = merge_ids(
	    cfg, &ids, NULL, none, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    NULL);
	alpha_wins = merge_ids(
	    cfg, &ids, alpha_first, none, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    "alpha",
	    list(
	        dated("a@alpha.example", "Regional Cyber Workshop", 2027, 6, 1),
	        NULL),
	    NULL);
	g_assert_cmpuint(alpha_wins->len, ==, 1);
	ev = g_ptr_array_index(alpha_wins, 0);
	g_assert_cmpstr(ev->source, ==, "alpha");
	g_assert_cmpstr(ev->uid, ==, beta);
	g_assert_cmpstr(g_hash_table_lookup(ids.aliases, "a@alpha.example"), ==,
	                beta);
}

/* A listing that wins the merge and was published under its own UID
 * keeps it: only an event new to subscribers takes another's. The
 * listing joined to it is the event's next: once the file is gone, the
 * partner's item goes on under the UID subscribers have, not as a new
 * event; while the file is there and they part, the item has its own. */
static void
test_uid_own_kept_when_published(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source beta]\nurl=https://beta.example/rss\n");
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GPtrArray) local = list(
	    dated("file-uid", "Regional cyber workshop", 2027, 6, 1), NULL);
	g_autoptr(GPtrArray) alone = NULL;
	g_autoptr(GPtrArray) both = NULL;
	g_autoptr(GPtrArray) again = NULL;
	g_autoptr(GPtrArray) apart = NULL;
	g_autoptr(GPtrArray) gone = NULL;
	g_autofree char *own = evf_uuid5(EVF_UUID_NAMESPACE, "beta\x1f"
	                                                     "7");
	EvfEvent *ev;

	evf_merge_ids_init(&ids);
	alone = merge_ids(cfg, &ids, NULL, local, NULL);
	/* beta's item now matches it; both were not published apart */
	both = merge_ids(
	    cfg, &ids, alone, local, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    NULL);
	g_assert_cmpuint(both->len, ==, 1);
	g_assert_cmpstr(((EvfEvent *)g_ptr_array_index(both, 0))->uid, ==,
	                "file-uid");
	/* the item's own UID is an alias of the file's */
	g_assert_cmpuint(ids.added->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(ids.added, 0), ==, own);
	g_assert_cmpstr(g_hash_table_lookup(ids.aliases, own), ==, "file-uid");
	/* recorded once: the next build adds nothing */
	again = merge_ids(
	    cfg, &ids, both, local, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    NULL);
	g_assert_cmpuint(again->len, ==, 1);
	g_assert_cmpuint(ids.added->len, ==, 0);
	/* apart while the file is there: the item is another event */
	apart = merge_ids(
	    cfg, &ids, again, local, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 8), NULL),
	    NULL);
	g_assert_cmpuint(apart->len, ==, 2);
	g_assert_cmpstr(find(apart, "Regional Cyber Workshop")->uid, ==, own);
	g_assert_cmpstr(find(apart, "Regional cyber workshop")->uid, ==,
	                "file-uid");
	/* the file deleted: beta's item is the event subscribers have */
	gone = merge_ids(
	    cfg, &ids, again, none, "beta",
	    list(dated("7", "Regional Cyber Workshop", 2027, 6, 1), NULL),
	    NULL);
	g_assert_cmpuint(gone->len, ==, 1);
	ev = g_ptr_array_index(gone, 0);
	g_assert_cmpstr(ev->source, ==, "beta");
	g_assert_cmpstr(ev->uid, ==, "file-uid");
}

/* The alias of a listing joined to one event, then to another (a
 * partner's item that moves from one session of a workshop to the next):
 * re-pointed to the second (the alias was read after it was freed, and
 * the state given no value). A listing that parted from the file's event
 * and went out under its own UID keeps it once the file is deleted; and a
 * file whose uid: is the partner's own UID (evfeed import keeps it) takes
 * no alias of the partner's. */
static void
test_uid_alias_moves(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source beta]\nurl=https://beta.example/rss\n");
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GPtrArray) local = list(
	    dated("first-uid", "Regional cyber workshop", 2027, 6, 1),
	    dated("second-uid", "Regional cyber workshop", 2027, 6, 15), NULL);
	g_autoptr(GPtrArray) one = NULL;
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) second = NULL;
	g_autoptr(GPtrArray) parted = NULL;
	g_autoptr(GPtrArray) deleted = NULL;
	g_autoptr(GPtrArray) imported = NULL;
	g_autofree char *own = evf_uuid5(EVF_UUID_NAMESPACE, "beta\x1f"
	                                                     "w@beta.example");

	evf_merge_ids_init(&ids);
	first = merge_ids(
	    cfg, &ids, NULL, local, "beta",
	    list(dated("w@beta.example", "Regional Cyber Workshop", 2027, 6, 1),
	         NULL),
	    NULL);
	g_assert_cmpuint(first->len, ==, 2);
	g_assert_cmpstr(g_hash_table_lookup(ids.aliases, own), ==, "first-uid");
	second = merge_ids(cfg, &ids, first, local, "beta",
	                   list(dated("w@beta.example",
	                              "Regional Cyber Workshop", 2027, 6, 15),
	                        NULL),
	                   NULL);
	g_assert_cmpuint(second->len, ==, 2);
	g_assert_cmpuint(ids.added->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(ids.added, 0), ==, own);
	g_assert_cmpstr(g_hash_table_lookup(ids.aliases, own), ==,
	                "second-uid");

	/* parted: the item of another date goes out under its own UID,
	 * and keeps it once the file is deleted */
	one = list(dated("second-uid", "Regional cyber workshop", 2027, 6, 15),
	           NULL);
	parted = merge_ids(cfg, &ids, second, one, "beta",
	                   list(dated("w@beta.example",
	                              "Regional Cyber Workshop", 2027, 10, 20),
	                        NULL),
	                   NULL);
	g_assert_cmpuint(parted->len, ==, 2);
	g_assert_cmpstr(find(parted, "Regional Cyber Workshop")->uid, ==,
	                "w@beta.example");
	deleted = merge_ids(cfg, &ids, parted, none, "beta",
	                    list(dated("w@beta.example",
	                               "Regional Cyber Workshop", 2027, 10, 20),
	                         NULL),
	                    NULL);
	g_assert_cmpuint(deleted->len, ==, 1);
	g_assert_cmpstr(((EvfEvent *)g_ptr_array_index(deleted, 0))->uid, ==,
	                "w@beta.example");

	/* a new file of the partner's own UID: not the alias's */
	imported = merge_ids(
	    cfg, &ids, NULL,
	    list(dated("w@beta.example", "Firearms forum", 2027, 9, 1), NULL),
	    NULL);
	g_assert_cmpstr(find(imported, "Firearms forum")->uid, ==,
	                "w@beta.example");
}

/* The merge of test_uid_kept_when_the_winner_goes: alpha's item of the
 * border workshop when @alpha, and beta's. */
static GPtrArray *
border_workshop(const EvfConfig *cfg, EvfMergeIds *ids, GPtrArray *before,
                gboolean alpha)
{
	g_autoptr(GPtrArray) none = g_ptr_array_new();

	return merge_ids(
	    cfg, ids, before, none, "alpha",
	    alpha ? list(dated("a@alpha.example", "Regional Border Workshop",
	                       2027, 10, 1),
	                 NULL)
	          : g_ptr_array_new(),
	    "beta",
	    list(dated("b-1", "Regional border workshop", 2027, 10, 1), NULL),
	    NULL);
}

/* Of two sources that list one event, the one of higher priority wins
 * and is published; when it lists the event no more (a news feed drops
 * its old items), the other's item goes on under the same UID. */
static void
test_uid_kept_when_the_winner_goes(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source beta]\nurl=https://beta.example/rss\n"
	           "[source alpha]\nurl=https://alpha.example/rss\n"
	           "priority=5\n");
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) both = NULL;
	g_autoptr(GPtrArray) left = NULL;
	g_autoptr(GPtrArray) back = NULL;
	g_autofree char *alpha = NULL;
	EvfEvent *ev;

	evf_merge_ids_init(&ids);
	first = merge_ids(cfg, &ids, NULL, none, "alpha",
	                  list(dated("a@alpha.example",
	                             "Regional Border Workshop", 2027, 10, 1),
	                       NULL),
	                  NULL);
	alpha = g_strdup(find(first, "Regional Border Workshop")->uid);
	both = border_workshop(cfg, &ids, first, TRUE);
	g_assert_cmpuint(both->len, ==, 1);
	ev = g_ptr_array_index(both, 0);
	g_assert_cmpstr(ev->source, ==, "alpha");
	g_assert_cmpstr(ev->uid, ==, alpha);
	/* alpha's feed drops it */
	left = border_workshop(cfg, &ids, both, FALSE);
	g_assert_cmpuint(left->len, ==, 1);
	ev = g_ptr_array_index(left, 0);
	g_assert_cmpstr(ev->source, ==, "beta");
	g_assert_cmpstr(ev->uid, ==, alpha);
	/* and lists it again: one event still, the same UID */
	back = border_workshop(cfg, &ids, left, TRUE);
	g_assert_cmpuint(back->len, ==, 1);
	g_assert_cmpstr(((EvfEvent *)g_ptr_array_index(back, 0))->uid, ==,
	                alpha);
}

/* A source renamed (title=) or given another link= changes what every
 * one of its events says of it (DESCRIPTION's "Source:", "Also listed
 * by:"), and so each one's fingerprint, from which SEQUENCE and
 * LAST-MODIFIED move; an event no source lists keeps its file's. */
static void
test_fingerprint_attribution(void)
{
	static const char *const confs[] = {
		"[source beta]\nurl=https://beta.example/rss\ntitle=Beta\n",
		"[source beta]\nurl=https://beta.example/rss\ntitle=Beta\n",
		"[source beta]\nurl=https://beta.example/rss\n"
		"title=Beta Renamed\n",
		"[source beta]\nurl=https://beta.example/rss\n"
		"title=Beta Renamed\nlink=https://beta.example/events/\n",
	};
	char *theirs[G_N_ELEMENTS(confs)], *ours[G_N_ELEMENTS(confs)];
	g_autofree char *alone = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(confs); i++) {
		g_autoptr(EvfConfig) cfg = config(confs[i]);
		g_autoptr(GPtrArray) local = list(
		    dated("ours@events.example.org", "Board meeting", 2027, 9,
		          1),
		    dated("alone@events.example.org", "Open day", 2027, 10, 1),
		    NULL);
		g_autoptr(GPtrArray) out = merge(
		    cfg, local, "beta",
		    list(dated("ours@events.example.org", "Board meeting", 2027,
		               9, 1),
		         dated("w@beta.example", "Beta workshop", 2027, 6, 1),
		         NULL),
		    NULL);
		g_autofree char *file =
		    g_strdup(find(local, "Open day")->fingerprint);

		theirs[i] = g_strdup(find(out, "Beta workshop")->fingerprint);
		ours[i] = g_strdup(find(out, "Board meeting")->fingerprint);
		g_assert_true(
		    has(find(out, "Board meeting")->also_listed, "beta"));
		g_assert_cmpstr(find(out, "Open day")->fingerprint, ==, file);
		if (alone != NULL)
			g_assert_cmpstr(file, ==, alone);
		else
			alone = g_strdup(file);
	}
	/* the same configuration: the same */
	g_assert_cmpstr(theirs[0], ==, theirs[1]);
	g_assert_cmpstr(ours[0], ==, ours[1]);
	/* renamed, then linked elsewhere: another each time */
	g_assert_cmpstr(theirs[1], !=, theirs[2]);
	g_assert_cmpstr(theirs[2], !=, theirs[3]);
	g_assert_cmpstr(ours[1], !=, ours[2]);
	for (guint i = 0; i < G_N_ELEMENTS(confs); i++) {
		g_free(theirs[i]);
		g_free(ours[i]);
	}
}

/* A local file named as a partner's item would be (SOURCE-<12 hex of its
 * UID's SHA-256>): the item takes more of the digest, and the two keep
 * two anchors and two one-event calendars. */
static void
test_slug_taken(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source acme]\nurl=https://acme.example/cal.ics\n");
	g_autofree char *digest = g_compute_checksum_for_string(
	    G_CHECKSUM_SHA256, "their-item@acme.example", -1);
	g_autofree char *taken = g_strdup_printf("acme-%.12s", digest);
	g_autofree char *longer = g_strdup_printf("acme-%.16s", digest);
	EvfEvent *own = dated("own@events.example.org", "Our own", 2027, 5, 1);
	g_autoptr(GPtrArray) local = NULL;
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(GPtrArray) again = NULL;

	g_free(own->slug);
	own->slug = g_strdup(taken);
	local = list(own, NULL);
	out = merge(
	    cfg, local, "acme",
	    list(dated("their-item@acme.example", "Theirs", 2027, 6, 1), NULL),
	    NULL);
	g_assert_cmpstr(find(out, "Our own")->slug, ==, taken);
	g_assert_cmpstr(find(out, "Theirs")->slug, ==, longer);
	/* without the clash, the short one */
	again = merge(
	    cfg, NULL, "acme",
	    list(dated("their-item@acme.example", "Theirs", 2027, 6, 1), NULL),
	    NULL);
	g_assert_cmpstr(find(again, "Theirs")->slug, ==, taken);
}

/* What names a partner's items' source in the outputs is its published
 * link: never the user name, password or key of its feed's address. */
static void
test_source_link_published(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\n"
	           "url=https://user:s3cret@osce.example/rss?token=KEY\n");
	g_autoptr(GPtrArray) local = list(NULL);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;

	g_hash_table_insert(
	    p, "osce",
	    list(dated("their-uid", "Their event", 2019, 1, 1), NULL));
	out = evf_merge(cfg, local, p, NULL);

	g_assert_cmpuint(out->len, ==, 1);
	g_assert_cmpstr(find(out, "Their event")->source_url, ==,
	                "https://osce.example/rss");
}

static void
test_duplicates(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source unodc]\nurl=https://unodc.example/cal.ics\n");
	g_autoptr(GPtrArray) local =
	    list(dated("zagreb",
	               "Inter-Regional Meeting between South Eastern "
	               "Europe and West and Central Asia",
	               2018, 6, 28),
	         dated("url-one", "Seminar A", 2018, 3, 1), NULL);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;
	/* Their page for our seminar, on its day, under another title. */
	EvfEvent *theirs_by_url =
	    dated("x1", "Completely other words", 2018, 3, 1);
	EvfEvent *zagreb = find(local, "Seminar A");

	zagreb->url = g_strdup("https://example.org/seminar-a/");
	theirs_by_url->url = g_strdup("http://www.example.org/seminar-a");
	g_hash_table_insert(
	    p, "unodc",
	    list(dated("x2",
	               "Inter-Regional Meeting between South-Eastern "
	               "Europe and West and Central Asia!",
	               2018, 6, 28),
	         theirs_by_url,
	         /* Same title, another day: another event. */
	         dated("x3", "Seminar A", 2018, 4, 1), NULL));
	out = evf_merge(cfg, local, p, NULL);
	/* Two of ours, and only the seminar on another day of theirs. */
	g_assert_cmpuint(out->len, ==, 3);
	g_assert_true(has(find(out, "Inter-Regional Meeting between South "
	                            "Eastern Europe and West and Central "
	                            "Asia")
	                      ->also_listed,
	                  "unodc"));
	/* The merge's copy of the seminar, not ours, says so. */
	g_assert_true(has(find_uid(out, "url-one")->also_listed, "unodc"));
	g_assert_cmpuint(zagreb->also_listed->len, ==, 0);
	g_assert_null(find(out, "Completely other words"));
}

/* Titles in scripts that do not transliterate to ASCII (Cyrillic, Greek)
 * are compared by their letters, not by what is left of them: two events
 * of one day whose titles differ only in such words are two events, and
 * the same title in another case is one. */
static void
test_duplicates_other_scripts(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source mup]\nurl=https://mup.example/rss\n");
	g_autoptr(GPtrArray) local =
	    list(dated("conf",
	               "\u041a\u043e\u043d\u0444\u0435\u0440\u0435"
	               "\u043d\u0446\u0438\u0458\u0430 OSCE 2026",
	               2026, 5, 12),
	         dated("greek",
	               "\u03a3\u03cd\u03bd\u03bf\u03b4\u03bf\u03c2 "
	               "2026",
	               2026, 5, 12),
	         NULL);
	g_autoptr(GPtrArray) out =
	    merge(cfg, local, "mup",
	          list(dated("sem",
	                     "\u0421\u0435\u043c\u0438\u043d\u0430\u0440 "
	                     "OSCE 2026",
	                     2026, 5, 12),
	               dated("same",
	                     "\u03a3\u03a5\u039d\u039f\u0394\u039f\u03a3 "
	                     "2026",
	                     2026, 5, 12),
	               NULL),
	          NULL);
	g_autofree char *a = evf_merge_normalize_title(
	    "\u041a\u043e\u043d\u0444\u0435\u0440\u0435\u043d\u0446\u0438"
	    "\u0458\u0430 OSCE 2026");
	g_autofree char *b = evf_merge_normalize_title(
	    "\u0421\u0435\u043c\u0438\u043d\u0430\u0440 OSCE 2026");

	g_assert_false(evf_merge_titles_match(a, b));
	/* The seminar is its own event; the synod in capitals is ours. */
	g_assert_cmpuint(out->len, ==, 3);
	g_assert_nonnull(find(out, "\u0421\u0435\u043c\u0438\u043d\u0430"
	                           "\u0440 OSCE 2026"));
	g_assert_true(has(find_uid(out, "greek")->also_listed, "mup"));
}

/* A shared URL alone is no duplicate: the same event page on another day
 * is another event (a series, a yearly conference), and a site's home page
 * names no event at all, even on the same day. */
static void
test_url_needs_same_day(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source unodc]\nurl=https://unodc.example/cal.ics\n");
	g_autoptr(GPtrArray) local = list(
	    linked(dated("ours", "Counter-Terrorism Challenges in the Region",
	                 2018, 5, 22),
	           "https://www.unodc.org/"),
	    linked(dated("seminar", "Seminar A", 2018, 3, 1),
	           "https://example.org/seminar-a"),
	    NULL);
	g_autoptr(GPtrArray) out = merge(
	    cfg, local, "unodc",
	    list(linked(dated("w", "Regional Workshop on Money Laundering",
	                      2027, 9, 15),
	                "https://unodc.org"),
	         linked(dated("s", "Seminar A follow-up meeting", 2018, 4, 1),
	                "https://example.org/seminar-a/"),
	         linked(dated("r", "Launch of the annual drug report", 2018, 5,
	                      22),
	                "https://unodc.org/"),
	         NULL),
	    NULL);

	assert_apart(out, 5);
	g_assert_cmpstr(
	    find(out, "Regional Workshop on Money Laundering")->source, ==,
	    "unodc");
}

/* A page's fragment names a part of it: two sessions of one programme
 * page, at one hour, linked to their own anchors, are two events; the same
 * anchor is one event's page, whatever its scheme or "www.". */
static void
test_url_fragment(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source pa]\nurl=https://pa.example/rss\n"
	           "[source pb]\nurl=https://pb.example/rss\n"
	           "[source pc]\nurl=https://pc.example/rss\n");
	g_autoptr(GPtrArray) out = merge(
	    cfg, NULL, "pa",
	    list(linked(timed("a", "Session on Cybercrime Cooperation",
	                      "Europe/Ljubljana", 2027, 5, 20, 10, 0),
	                "https://conf.example.org/programme#cybercrime"),
	         NULL),
	    "pb",
	    list(linked(timed("b", "Panel on Border Management",
	                      "Europe/Ljubljana", 2027, 5, 20, 10, 0),
	                "https://conf.example.org/programme#borders"),
	         NULL),
	    "pc",
	    list(linked(timed("c", "Cybercrime session (Hall A)",
	                      "Europe/Ljubljana", 2027, 5, 20, 10, 30),
	                "http://www.conf.example.org/programme#cybercrime"),
	         NULL),
	    NULL);

	g_assert_cmpuint(out->len, ==, 2);
	g_assert_nonnull(find(out, "Panel on Border Management"));
	g_assert_true(has(
	    find(out, "Session on Cybercrime Cooperation")->also_listed, "pc"));
}

/* A site's home page in a language ("/en/", "/sl/index.html") names no
 * event any more than its home page does: two events of one day that link
 * to it are two. An event's own page under a short path is still one. */
static void
test_url_language_home(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source other]\nurl=https://other.example/cal.ics\n");
	g_autoptr(GPtrArray) local = list(
	    linked(dated("ct",
	                 "Counter-Terrorism Challenges in South East Europe",
	                 2027, 5, 22),
	           "https://www.gov.si/en/"),
	    linked(dated("cy", "Cyber Days", 2027, 5, 23),
	           "https://www.gov.si/sl/index.html"),
	    linked(dated("forum", "Rule of Law Forum", 2027, 5, 24),
	           "https://forum.example.org/2027/"),
	    linked(dated("wb", "Western Balkans Digital Summit", 2027, 5, 25),
	           "https://www.example.org/wb-summit"),
	    linked(dated("cfp", "Call for papers closes", 2027, 5, 26),
	           "https://www.example.org/cfp/"),
	    NULL);
	g_autoptr(GPtrArray) out = merge(
	    cfg, local, "other",
	    list(linked(dated("o", "Open Day of the Slovenian Armed Forces",
	                      2027, 5, 22),
	                "https://gov.si/en"),
	         linked(dated("p", "Police Academy Graduation", 2027, 5, 23),
	                "https://gov.si/sl/"),
	         linked(dated("f", "Regional Justice Conference", 2027, 5, 24),
	                "https://forum.example.org/2027"),
	         /* short event pages, not languages: joined */
	         linked(dated("w", "Digital Agenda Ministerial Meeting", 2027,
	                      5, 25),
	                "https://example.org/wb-summit/"),
	         linked(dated("c", "Deadline for abstracts", 2027, 5, 26),
	                "https://example.org/cfp"),
	         NULL),
	    NULL);

	g_assert_cmpuint(out->len, ==, 7);
	g_assert_true(has(
	    find(out, "Western Balkans Digital Summit")->also_listed, "other"));
	g_assert_true(
	    has(find(out, "Call for papers closes")->also_listed, "other"));
	g_assert_nonnull(find(out, "Open Day of the Slovenian Armed Forces"));
	g_assert_nonnull(find(out, "Police Academy Graduation"));
	g_assert_true(
	    has(find(out, "Rule of Law Forum")->also_listed, "other"));
}

/* A compound written with a hyphen or as one word ("Counter-Terrorism",
 * "Counterterrorism"; "Cyber-crime", "Cybercrime") is one word: the same
 * title. */
static void
test_title_hyphenated_compound(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source cal]\nurl=https://cal.example/cal.ics\n");
	g_autoptr(GPtrArray) local = list(
	    dated("ct", "Counter-Terrorism Challenges in South East Europe",
	          2027, 5, 22),
	    dated("cc", "Annual Conference on Cybercrime", 2027, 3, 15), NULL);
	g_autoptr(GPtrArray) out = merge(
	    cfg, local, "cal",
	    list(dated("a", "Counterterrorism Challenges in South East Europe",
	               2027, 5, 22),
	         dated("b", "Annual Conference on Cyber\u2011crime", 2027, 3,
	               15),
	         NULL),
	    NULL);

	g_assert_cmpuint(out->len, ==, 2);
	g_assert_true(
	    has(find(out, "Counter-Terrorism Challenges in South East Europe")
	            ->also_listed,
	        "cal"));
	g_assert_true(has(
	    find(out, "Annual Conference on Cybercrime")->also_listed, "cal"));
}

/* Two sessions of one programme, linked to two anchors of its page, are
 * two events however alike their titles ("Panel 1: …", "Panel 2: …");
 * the same title is one event, whatever anchor each links to. */
static void
test_title_two_anchors(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source pa]\nurl=https://pa.example/cal.ics\n");
	g_autoptr(GPtrArray) local =
	    list(linked(timed("p1",
	                      "Panel 1: Border security in the Western Balkans",
	                      "Europe/Ljubljana", 2027, 5, 10, 10, 0),
	                "https://events.example.org/programme#panel1"),
	         NULL);
	g_autoptr(GPtrArray) out = merge(
	    cfg, local, "pa",
	    list(linked(timed("p2",
	                      "Panel 2: Border security in the Western Balkans",
	                      "Europe/Ljubljana", 2027, 5, 10, 11, 0),
	                "https://events.example.org/programme#panel2"),
	         NULL),
	    NULL);
	g_autoptr(GPtrArray) local2 = list(
	    linked(
	        timed("s1", "Western Balkans Digital Summit",
	              "Europe/Ljubljana", 2027, 6, 10, 9, 0),
	        "https://www.example.org/events/digital-summit#registration"),
	    NULL);
	g_autoptr(GPtrArray) same = merge(
	    cfg, local2, "pa",
	    list(linked(
	             timed("s2", "Western Balkans Digital Summit",
	                   "Europe/Ljubljana", 2027, 6, 10, 9, 0),
	             "https://www.example.org/events/digital-summit#programme"),
	         NULL),
	    NULL);

	assert_apart(out, 2);
	g_assert_cmpuint(same->len, ==, 1);
}

/* Joins go through an item that was joined: the site's listing and
 * Alpha's item are one by their titles; Beta's item, under another title,
 * has Alpha's event page, and joins them too (it stood apart, a second
 * copy under a UID subscribers had not seen). */
static void
test_join_through_joined(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source alpha]\nurl=https://alpha.example/cal.ics\n"
	           "[source beta]\nurl=https://beta.example/cal.ics\n");
	g_autoptr(GPtrArray) local =
	    list(dated("forum", "Rule of Law Forum 2027", 2027, 6, 10), NULL);
	g_autoptr(GPtrArray) out = merge(
	    cfg, local, "alpha",
	    list(linked(dated("a", "Rule of Law Forum 2027", 2027, 6, 10),
	                "https://forum.example.org/2027"),
	         NULL),
	    "beta",
	    list(linked(dated("b", "Regional Justice Conference", 2027, 6, 10),
	                "https://www.forum.example.org/2027/"),
	         NULL),
	    NULL);

	assert_one_listed(out, "forum", "alpha", "beta");
}

/* Two items of a short title at one hour in places with no word in
 * common are two events ("Webinar" in Sarajevo and in Skopje), each
 * listed; the same title in "Ljubljana" and "Ljubljana, Slovenia" is one,
 * and so is a longer title in "Vienna" and "Wien". */
static void
test_title_needs_same_place(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source alpha]\nurl=https://alpha.example/cal.ics\n"
	           "[source beta]\nurl=https://beta.example/cal.ics\n");
	EvfEvent *sarajevo = dated("s", "Webinar", 2027, 6, 10);
	EvfEvent *skopje = dated("k", "Webinar", 2027, 6, 10);
	EvfEvent *lj1 = dated("l1", "Data Protection Day", 2027, 6, 11);
	EvfEvent *lj2 = dated("l2", "Data Protection Day", 2027, 6, 11);
	EvfEvent *vienna =
	    dated("v", "OSCE Border Security Conference", 2027, 6, 12);
	EvfEvent *wien =
	    dated("w", "OSCE Border Security Conference", 2027, 6, 12);
	g_autoptr(GPtrArray) out = NULL;

	sarajevo->location = g_strdup("Sarajevo, Bosnia and Herzegovina");
	skopje->location = g_strdup("Skopje");
	lj1->location = g_strdup("Ljubljana");
	lj2->location = g_strdup("Ljubljana, Slovenia");
	EvfEvent *bg = dated("mb", "Board meeting", 2027, 6, 13);
	EvfEvent *sk = dated("ms", "Board meeting", 2027, 6, 13);

	vienna->location = g_strdup("Vienna");
	wien->location = g_strdup("Wien");
	/* words in common, the city not */
	bg->location = g_strdup("Ministry of Justice, Belgrade");
	sk->location = g_strdup("Ministry of Justice, Skopje");
	out = merge(cfg, NULL, "alpha", list(sarajevo, lj1, vienna, bg, NULL),
	            "beta", list(skopje, lj2, wien, sk, NULL), NULL);
	g_assert_cmpuint(out->len, ==, 6);
	g_assert_true(has(find_uid(out, "v")->also_listed, "beta"));
	g_assert_nonnull(find_uid(out, "mb"));
	g_assert_nonnull(find_uid(out, "ms"));
	g_assert_nonnull(find_uid(out, "s"));
	g_assert_nonnull(find_uid(out, "k"));
	g_assert_true(has(find_uid(out, "l1")->also_listed, "beta"));
}

/* A "Webinar" without a place joins the site's in Sarajevo, and Skopje's
 * does not join them through it: the place of the one joined to must
 * allow it too. */
static void
test_no_chain_across_places(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source na]\nurl=https://na.example/cal.ics\n"
	           "[source nb]\nurl=https://nb.example/cal.ics\n");

	/* the placeless one first, and last: Skopje's listing published
	 * apart before it is not joined to the site's through it either */
	for (guint order = 0; order < 2; order++) {
		EvfEvent *ours =
		    placed(dated("ours", "Webinar", 2027, 6, 10), "Sarajevo");
		EvfEvent *skopje =
		    placed(dated("k", "Webinar", 2027, 6, 10), "Skopje");
		EvfEvent *placeless = dated("n", "Webinar", 2027, 6, 10);
		g_autoptr(GPtrArray) local = NULL;
		g_autoptr(GPtrArray) out = NULL;
		const char *joined = order == 0 ? "na" : "nb";

		local = list(ours, NULL);
		out = order == 0
		          ? merge(cfg, local, "na", list(placeless, NULL), "nb",
		                  list(skopje, NULL), NULL)
		          : merge(cfg, local, "na", list(skopje, NULL), "nb",
		                  list(placeless, NULL), NULL);
		g_assert_cmpuint(out->len, ==, 2);
		g_assert_true(has(find_uid(out, "ours")->also_listed, joined));
		g_assert_cmpuint(find_uid(out, "k")->also_listed->len, ==, 0);
	}
}

/* A short title without a place joins listings at one place only: the
 * site's placeless "Webinar" (dated, or not) takes in the first partner's
 * in Sarajevo, and another's in Skopje at the same hour is another event,
 * published apart, not a second place of the site's; a partner's listing
 * of the site's own UID at a third place still joins it (a UID or a page
 * names one event, wherever it is said to be). */
static void
test_placeless_joins_one_place(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source na]\nurl=https://na.example/cal.ics\n"
	           "[source nb]\nurl=https://nb.example/cal.ics\n"
	           "[source nc]\nurl=https://nc.example/cal.ics\n");
	EvfEvent *ours = dated("webinar@site.example", "Webinar", 2027, 6, 10);
	EvfEvent *sarajevo =
	    placed(dated("s", "Webinar", 2027, 6, 10), "Sarajevo");
	EvfEvent *skopje = placed(dated("k", "Webinar", 2027, 6, 10), "Skopje");
	EvfEvent *mostar = placed(
	    dated("webinar@site.example", "Webinar", 2027, 6, 10), "Mostar");
	g_autoptr(GPtrArray) out = NULL;

	out = merge(cfg, list(ours, NULL), "na", list(sarajevo, NULL), "nb",
	            list(skopje, NULL), "nc", list(mostar, NULL), NULL);
	g_assert_cmpuint(out->len, ==, 2);
	g_assert_true(
	    has(find_uid(out, "webinar@site.example")->also_listed, "na"));
	g_assert_false(
	    has(find_uid(out, "webinar@site.example")->also_listed, "nb"));
	g_assert_true(
	    has(find_uid(out, "webinar@site.example")->also_listed, "nc"));
	g_assert_cmpuint(find_uid(out, "k")->also_listed->len, ==, 0);
	/* the same, the site's event undated, and the first partner's
	 * too: it is matched by its title alone as well */
	{
		EvfEvent *tba = undated("webinar@site.example", "Webinar");
		EvfEvent *in_sarajevo =
		    placed(undated("s", "Webinar"), "Sarajevo");
		EvfEvent *in_skopje =
		    placed(dated("k", "Webinar", 2027, 6, 10), "Skopje");
		g_autoptr(GPtrArray) apart =
		    merge(cfg, list(tba, NULL), "na", list(in_sarajevo, NULL),
		          "nb", list(in_skopje, NULL), NULL);
		g_assert_cmpuint(apart->len, ==, 2);
		g_assert_true(
		    has(find_uid(apart, "webinar@site.example")->also_listed,
		        "na"));
		g_assert_cmpuint(find_uid(apart, "k")->also_listed->len, ==, 0);
	}
}

/* A URL that one source gives to several of its items is its listing
 * page: the items stay apart, none names its own source as also listing
 * it, each has the source's category once, and another source's item is
 * matched by its title, not by that page. */
static void
test_url_listing_page(void)
{
	static const char page[] = "https://partner.example/events";
	static const char *const titles[] = {
		"Border Management Course",
		"Cybercrime Seminar",
		"Anti-Corruption Forum",
		"Police Cooperation Meeting",
	};
	g_autoptr(EvfConfig) cfg =
	    config("[source pa]\nurl=https://pa.example/cal.ics\n"
	           "title=PA\ncategories=PA\n"
	           "[source pb]\nurl=https://pb.example/cal.ics\n");
	g_autoptr(GPtrArray) out = merge(
	    cfg, NULL, "pa",
	    list(linked(dated("pa-1", titles[0], 2027, 3, 2), page),
	         linked(dated("pa-2", titles[1], 2027, 3, 10), page),
	         linked(dated("pa-3", titles[2], 2027, 3, 17), page),
	         linked(dated("pa-4", titles[3], 2027, 3, 24), page), NULL),
	    "pb",
	    list(
	        linked(dated("pb-1", "Meeting of cybercrime prosecutors", 2027,
	                     3, 10),
	               page),
	        linked(dated("pb-2", "Police cooperation meeting", 2027, 3, 24),
	               page),
	        NULL),
	    NULL);

	g_assert_cmpuint(out->len, ==, 5);
	for (guint i = 0; i < G_N_ELEMENTS(titles); i++) {
		EvfEvent *ev = find(out, titles[i]);

		g_assert_nonnull(ev);
		g_assert_cmpstr(ev->source, ==, "pa");
		g_assert_false(has(ev->also_listed, "pa"));
		g_assert_cmpuint(count(ev->categories, "PA"), ==, 1);
	}
	g_assert_cmpuint(find(out, titles[1])->also_listed->len, ==, 0);
	g_assert_nonnull(find(out, "Meeting of cybercrime prosecutors"));
	g_assert_cmpuint(find(out, titles[3])->also_listed->len, ==, 1);
	g_assert_true(has(find(out, titles[3])->also_listed, "pb"));
}

/* A source's items, each with its own UID, are distinct events, however
 * alike their titles and times. */
static void
test_same_source_kept_apart(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source unodc]\nurl=https://unodc.example/cal.ics\n");
	g_autoptr(GPtrArray) out = merge(
	    cfg, NULL, "unodc",
	    list(timed("t-1",
	               "Training on Countering the Financing of Terrorism "
	               "for Judges",
	               "Europe/Ljubljana", 2027, 4, 5, 9, 0),
	         timed("t-2",
	               "Training on Countering the Financing of Terrorism "
	               "for Prosecutors",
	               "Europe/Ljubljana", 2027, 4, 5, 14, 0),
	         linked(dated("w-1", "Regional Workshop", 2027, 5, 10),
	                "https://unodc.example/workshop"),
	         linked(dated("w-2", "Regional Workshop", 2027, 5, 10),
	                "https://unodc.example/workshop"),
	         NULL),
	    NULL);

	assert_apart(out, 4);
}

/* An item joined to another source's stands for that source's event:
 * another item of the same source is not joined to it too. */
static void
test_one_item_per_source(void)
{
	static const char judges[] =
	    "Training on Countering the Financing of Terrorism for Judges";
	static const char prosecutors[] = "Training on Countering the "
	                                  "Financing of Terrorism for "
	                                  "Prosecutors";
	g_autoptr(EvfConfig) cfg =
	    config("[source aaa]\nurl=https://a.example/\npriority=1\n"
	           "[source bbb]\nurl=https://b.example/\n");
	g_autoptr(GPtrArray) out =
	    merge(cfg, NULL, "aaa",
	          list(dated("a-1", judges, 2027, 4, 5), NULL), "bbb",
	          list(dated("b-1", judges, 2027, 4, 5),
	               dated("b-2", prosecutors, 2027, 4, 5), NULL),
	          NULL);

	g_assert_cmpuint(out->len, ==, 2);
	g_assert_cmpstr(find(out, judges)->source, ==, "aaa");
	g_assert_true(has(find(out, judges)->also_listed, "bbb"));
	g_assert_cmpstr(find(out, prosecutors)->source, ==, "bbb");
	g_assert_cmpuint(find(out, prosecutors)->also_listed->len, ==, 0);
}

/* Times: timed items are the same event when they start at most an hour
 * apart, in whatever zones; an all-day item and a timed one when the timed
 * one starts on the all-day one's day. */
static void
test_times(void)
{
	static const char conference[] = "Annual Conference on Border Security";
	g_autoptr(EvfConfig) cfg =
	    config("[source aaa]\nurl=https://a.example/\npriority=1\n"
	           "[source bbb]\nurl=https://b.example/\n");
	g_autoptr(GPtrArray) local =
	    list(timed("judges", "Training for Judges", "Europe/Ljubljana",
	               2027, 4, 5, 9, 0),
	         dated("conference", conference, 2027, 6, 1),
	         timed("briefing", "Late Briefing", "Europe/Ljubljana", 2027, 4,
	               6, 0, 30),
	         NULL);
	/* aaa: 09:30 in Ljubljana; the conference's first day; the
	 * briefing on the evening before in New York. bbb: five hours
	 * later; the conference's second day. */
	g_autoptr(GPtrArray) out = merge(
	    cfg, local, "aaa",
	    list(
	        timed("a-1", "Training for Judges", NULL, 2027, 4, 5, 7, 30),
	        timed("a-2", conference, "Europe/Ljubljana", 2027, 6, 1, 10, 0),
	        timed("a-3", "Late Briefing", "America/New_York", 2027, 4, 5,
	              18, 30),
	        NULL),
	    "bbb",
	    list(
	        timed("b-1", "Training for Judges", "Europe/Ljubljana", 2027, 4,
	              5, 14, 0),
	        timed("b-2", conference, "Europe/Ljubljana", 2027, 6, 2, 10, 0),
	        NULL),
	    NULL);
	guint judges = 0, conferences = 0;

	g_assert_cmpuint(out->len, ==, 5);
	g_assert_true(has(find_uid(out, "judges")->also_listed, "aaa"));
	g_assert_false(has(find_uid(out, "judges")->also_listed, "bbb"));
	g_assert_true(has(find_uid(out, "conference")->also_listed, "aaa"));
	g_assert_false(has(find_uid(out, "conference")->also_listed, "bbb"));
	g_assert_true(has(find_uid(out, "briefing")->also_listed, "aaa"));
	for (guint i = 0; i < out->len; i++) {
		EvfEvent *ev = g_ptr_array_index(out, i);

		judges += strcmp(ev->title, "Training for Judges") == 0;
		conferences += strcmp(ev->title, conference) == 0;
	}
	g_assert_cmpuint(judges, ==, 2);
	g_assert_cmpuint(conferences, ==, 2);
}

/* A category a source adds is not added again when the item has it in
 * another case (category/<slug>/ is the same): the item has it as the
 * site writes it. */
static void
test_category_once(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/\n"
	           "categories=Partner, OSCE\n");
	EvfEvent *ev = dated("1", "Border Security Workshop", 2020, 1, 1);
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *kept;

	g_ptr_array_add(ev->categories, g_strdup("partner"));
	out = merge(cfg, NULL, "osce", list(ev, NULL), NULL);
	kept = g_ptr_array_index(out, 0);
	g_assert_cmpuint(kept->categories->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 0), ==, "Partner");
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 1), ==, "OSCE");
}

/* A category a source's categories= adds is written as the site has it:
 * a local event's 'Café', not the configuration's 'CAFÉ' (one category's
 * calendar showed both). */
static void
test_category_site_spelling(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/\n"
	           "categories=CAF\xc3\x89\n");
	EvfEvent *first = dated("first", "Tea", 2020, 2, 1);
	EvfEvent *ours = dated("local", "Coffee", 2020, 2, 2);
	EvfEvent *theirs = dated("1", "Border Security Workshop", 2020, 1, 1);
	EvfEvent *joined = dated("2", "Open Day", 2020, 1, 3);
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *kept;

	/* a local spelling with a word joiner, which its warning says to
	 * delete, is not the one the partners' items take */
	g_ptr_array_add(first->categories, g_strdup("Caf\xc3\xa9\u2060"));
	g_ptr_array_add(ours->categories, g_strdup("Caf\xc3\xa9"));
	g_ptr_array_add(ours->categories, g_strdup("Open Day"));
	/* the partner's own, with a word joiner and a no-break space:
	 * the site's categories, as the site writes them */
	g_ptr_array_add(joined->categories, g_strdup("caf\xc3\xa9\u2060"));
	g_ptr_array_add(joined->categories, g_strdup("Open\u00a0Day"));
	out = merge(cfg, list(first, ours, NULL), "osce",
	            list(theirs, joined, NULL), NULL);
	kept = find_uid(out, "1");
	g_assert_nonnull(kept);
	g_assert_cmpuint(kept->categories->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 0), ==,
	                "Caf\xc3\xa9");
	kept = find_uid(out, "2");
	g_assert_nonnull(kept);
	g_assert_cmpuint(kept->categories->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 0), ==,
	                "Caf\xc3\xa9");
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 1), ==, "Open Day");
}

/* A partner item keeps only the categories the site has (a local
 * event's, or the source's categories=): a partner's own tags, by the
 * hundred on a blog, would each make a category's page, calendar and
 * feeds. One the site has lists the item there too. */
static void
test_site_categories_only(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/\n"
	           "categories=OSCE\n");
	EvfEvent *ours = dated("local", "Cyber Conference", 2020, 2, 2);
	EvfEvent *theirs = dated("1", "Border Security Workshop", 2020, 1, 1);
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *kept;

	g_ptr_array_add(ours->categories, g_strdup("Cyber Security"));
	g_ptr_array_add(ours->categories, g_strdup("C++"));
	g_ptr_array_add(theirs->categories, g_strdup("cyber security"));
	g_ptr_array_add(theirs->categories, g_strdup("wp-tag-2020"));
	g_ptr_array_add(theirs->categories, g_strdup("Uncategorized"));
	g_ptr_array_add(theirs->categories, g_strdup("osce"));
	/* the slug of the site's "C++" (category/c/), not its name */
	g_ptr_array_add(theirs->categories, g_strdup("C#"));
	/* the site's name in other spellings, in another case or a form
	 * that looks alike: given once, as the site writes it */
	g_ptr_array_add(theirs->categories, g_strdup("CYBER SECURITY"));
	g_ptr_array_add(theirs->categories,
	                g_strdup("Cyber Securit\xef\xbd\x99"));
	out = merge(cfg, list(ours, NULL), "osce", list(theirs, NULL), NULL);
	kept = find_uid(out, "1");
	g_assert_nonnull(kept);
	g_assert_cmpuint(kept->categories->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 0), ==,
	                "Cyber Security");
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 1), ==, "OSCE");
	/* the local event's are its own */
	g_assert_cmpuint(find_uid(out, "local")->categories->len, ==, 2);
}

/* A source's categories= go to every item it lists, also those another
 * listing wins (evfeed.conf(5)): a local event, or a source of higher
 * priority or earlier name, listed the same event, and the category's
 * calendar lacked it (or was never made). The local event in the
 * catalogue stays as its file has it. */
static void
test_source_categories_joined(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source ministry]\nurl=https://ministry.example/\n"
	           "categories=Justice\n"
	           "[source police]\nurl=https://police.example/\n"
	           "categories=Policing, justice\n");
	EvfEvent *ours = dated("local", "Border Security Workshop", 2020, 1, 1);
	g_autoptr(GPtrArray) local = list(ours, NULL);
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *kept;

	g_ptr_array_add(ours->categories, g_strdup("Workshop"));
	out = merge(cfg, local, "ministry",
	            list(dated("m1", "Border Security Workshop", 2020, 1, 1),
	                 dated("m2", "Judges' Forum", 2020, 3, 1), NULL),
	            "police",
	            list(dated("p1", "Border Security Workshop", 2020, 1, 1),
	                 dated("p2", "Judges' Forum", 2020, 3, 1), NULL),
	            NULL);
	g_assert_cmpuint(out->len, ==, 2);
	kept = find_uid(out, "local");
	g_assert_nonnull(kept);
	g_assert_cmpuint(kept->categories->len, ==, 3);
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 0), ==, "Workshop");
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 1), ==, "Justice");
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 2), ==, "Policing");
	g_assert_cmpuint(ours->categories->len, ==, 1);
	/* ministry's, which police lists too */
	kept = g_ptr_array_index(out, 0) == find_uid(out, "local")
	           ? g_ptr_array_index(out, 1)
	           : g_ptr_array_index(out, 0);
	g_assert_cmpstr(kept->title, ==, "Judges' Forum");
	g_assert_cmpstr(kept->source, ==, "ministry");
	g_assert_cmpuint(kept->categories->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 0), ==, "Justice");
	g_assert_cmpstr(g_ptr_array_index(kept->categories, 1), ==, "Policing");
}

static void
test_undated_listing_takes_date(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/rss\n");
	g_autoptr(GPtrArray) local =
	    list(undated("workshop", "Regional Workshop on Cultural Property"),
	         NULL);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *ours;

	g_hash_table_insert(p, "osce", workshop_dated());
	out = evf_merge(cfg, local, p, NULL);
	g_assert_cmpuint(out->len, ==, 1);
	ours = g_ptr_array_index(out, 0);
	g_assert_cmpstr(ours->uid, ==, "workshop");
	g_assert_null(ours->source);
	g_assert_true(has(ours->also_listed, "osce"));
	g_assert_false(ours->tba);
	g_assert_cmpint(g_date_get_day(&ours->start_date), ==, 20);
}

/* A partner's undated item that wins (a news feed of a higher priority,
 * linking to the event's page) takes the dates of the calendar source's
 * dated item it joins: a merge never leaves an event undated that a
 * listing dates, whichever listing wins. */
static void
test_undated_partner_takes_date(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source news]\nurl=https://news.example/rss\n"
	           "priority=10\n"
	           "[source cal]\nurl=https://cal.example/cal.ics\n");
	g_autoptr(GPtrArray) out = merge(
	    cfg, NULL, "news",
	    list(linked(undated("n-1", "Cybercrime conference"),
	                "https://org.example/events/cybercrime-conference"),
	         NULL),
	    "cal",
	    list(linked(timed("c-1", "Cybercrime Conference 2027",
	                      "Europe/Vienna", 2027, 3, 15, 9, 0),
	                "https://org.example/events/cybercrime-conference"),
	         NULL),
	    NULL);
	EvfEvent *ev;

	g_assert_cmpuint(out->len, ==, 1);
	ev = g_ptr_array_index(out, 0);
	g_assert_cmpstr(ev->source, ==, "news");
	g_assert_true(has(ev->also_listed, "cal"));
	g_assert_false(ev->tba);
	g_assert_nonnull(ev->start);
	g_assert_cmpstr(ev->tzid, ==, "Europe/Vienna");
	g_assert_cmpint(g_date_time_get_hour(ev->start), ==, 9);
	g_assert_cmpint(g_date_time_get_day_of_month(ev->start), ==, 15);
}

/* A news feed's item, which cannot say an event is cancelled or
 * tentative (RSS and Atom have no status), wins over the partner's
 * calendar that says so: the status stays the calendar's, and the place
 * and the end the item does not give come with it; an event file's own
 * status is the editor's, whatever a partner says. The flag that marks a
 * news feed's item is kept where the state keeps partners' items. */
static void
test_news_item_keeps_calendar_status(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source news]\nurl=https://news.example/rss\n"
	           "priority=10\n"
	           "[source cal]\nurl=https://cal.example/cal.ics\n");
	EvfEvent *item = linked(timed("n-1", "Regional workshop on borders",
	                              NULL, 2027, 5, 20, 8, 0),
	                        "https://org.example/events/workshop");
	EvfEvent *listing = linked(timed("c-1", "Regional workshop on borders",
	                                 NULL, 2027, 5, 20, 8, 0),
	                           "https://org.example/events/workshop");
	EvfEvent *tentative =
	    linked(timed("n-2", "Border forum", NULL, 2027, 6, 1, 9, 0),
	           "https://org.example/events/forum");
	EvfEvent *forum =
	    linked(timed("c-2", "Border forum", NULL, 2027, 6, 1, 9, 0),
	           "https://org.example/events/forum");
	g_autoptr(GVariant) kept = NULL;
	g_autoptr(EvfEvent) back = NULL;
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(GPtrArray) local = NULL;
	g_autoptr(GPtrArray) ours = NULL;
	g_autoptr(GDateTime) end = NULL;
	EvfEvent *ev;

	/* the news item: no end (at its start), no place, no status */
	g_date_time_unref(item->end);
	item->end = g_date_time_ref(item->start);
	item->status_unknown = TRUE;
	tentative->status_unknown = TRUE;
	evf_event_update_fingerprint(item);
	listing->status = EVF_STATUS_CANCELLED;
	listing->location = g_strdup("Vienna, Hofburg");
	g_date_time_unref(listing->end);
	listing->end = g_date_time_add_hours(listing->start, 7);
	evf_event_update_fingerprint(listing);
	forum->status = EVF_STATUS_TENTATIVE;
	evf_event_update_fingerprint(forum);

	kept = evf_event_serialize(item);
	back = evf_event_deserialize(kept);
	g_assert_nonnull(back);
	g_assert_true(back->status_unknown);

	out = merge(cfg, NULL, "news", list(item, tentative, NULL), "cal",
	            list(listing, forum, NULL), NULL);
	g_assert_cmpuint(out->len, ==, 2);
	ev = find(out, "Regional workshop on borders");
	g_assert_cmpstr(ev->source, ==, "news");
	g_assert_true(has(ev->also_listed, "cal"));
	g_assert_cmpint(ev->status, ==, EVF_STATUS_CANCELLED);
	g_assert_cmpstr(ev->location, ==, "Vienna, Hofburg");
	end = g_date_time_new_utc(2027, 5, 20, 15, 0, 0);
	g_assert_true(g_date_time_equal(ev->end, end));
	ev = find(out, "Border forum");
	g_assert_cmpstr(ev->source, ==, "news");
	g_assert_cmpint(ev->status, ==, EVF_STATUS_TENTATIVE);
	/* (its own end kept: the item gave one) */
	g_assert_cmpint(g_date_time_difference(ev->end, ev->start), ==,
	                G_TIME_SPAN_HOUR);

	/* an event file's status is the editor's */
	local = list(linked(timed("ours", "Regional workshop on borders", NULL,
	                          2027, 5, 20, 8, 0),
	                    "https://org.example/events/workshop"),
	             NULL);
	listing = linked(timed("c-1", "Regional workshop on borders", NULL,
	                       2027, 5, 20, 8, 0),
	                 "https://org.example/events/workshop");
	listing->status = EVF_STATUS_CANCELLED;
	evf_event_update_fingerprint(listing);
	ours = merge(cfg, g_ptr_array_ref(local), "cal", list(listing, NULL),
	             NULL);
	g_assert_cmpuint(ours->len, ==, 1);
	ev = g_ptr_array_index(ours, 0);
	g_assert_null(ev->source);
	g_assert_cmpint(ev->status, ==, EVF_STATUS_CONFIRMED);
}

/* One UID is one event (RFC 5545 §3.8.4.7) where its dates agree, whatever
 * the titles (translated, reworded): a partner's copy of a local event and
 * two partners' copies of one upstream event are joined. A UID of other
 * dates is another event (test_uid_kept_or_namespaced), and so is one of
 * two undated items (a feed's "1" and another feed's "1"), and one that
 * is not meant to be global (no '@', no URI, no UUID: RSS guids "7"). */
static void
test_same_uid(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source alpha]\nurl=https://alpha.example/cal.ics\n"
	           "[source beta]\nurl=https://beta.example/cal.ics\n");
	g_autoptr(GPtrArray) local =
	    list(timed("summit-2027@events.example.org",
	               "Western Balkans Cyber Security Summit",
	               "Europe/Belgrade", 2027, 3, 10, 9, 0),
	         NULL);
	g_autoptr(GPtrArray) out = merge(
	    cfg, g_ptr_array_ref(local), "alpha",
	    list(timed("summit-2027@events.example.org",
	               "Cyber summit - registration open", NULL, 2027, 3, 10, 8,
	               0),
	         timed("shared-123@upstream.example",
	               "Anti-corruption roundtable", NULL, 2027, 4, 20, 8, 0),
	         undated("1", "News of the week"),
	         timed("7", "Budget hearing", NULL, 2027, 5, 5, 8, 0),
	         timed("5FC53010-1267-4F8E-BC28-1D7AE55A7C99",
	               "Film Evening: Srebrenica Memory", NULL, 2027, 7, 9, 18,
	               0),
	         NULL),
	    "beta",
	    list(timed("shared-123@upstream.example",
	               "Roundtable on fighting corruption in BiH", NULL, 2027,
	               4, 20, 8, 0),
	         timed("5FC53010-1267-4F8E-BC28-1D7AE55A7C99",
	               "Projekcija filma: Srebrenica, sjećanje", NULL, 2027, 7,
	               9, 18, 0),
	         undated("1", "Another story"),
	         timed("7", "Film night", NULL, 2027, 5, 5, 8, 0), NULL),
	    NULL);
	EvfEvent *ev;

	/* an RSS guid need only be unique in its feed: two feeds' "7" at
	 * one time are two events; a bare UUID (RFC 7986) is one event */
	g_assert_cmpuint(out->len, ==, 7);
	ev = find_uid(out, "5FC53010-1267-4F8E-BC28-1D7AE55A7C99");
	g_assert_nonnull(ev);
	g_assert_cmpstr(ev->source, ==, "alpha");
	g_assert_true(has(ev->also_listed, "beta"));
	g_assert_nonnull(find(out, "Budget hearing"));
	g_assert_nonnull(find(out, "Film night"));
	ev = find_uid(out, "summit-2027@events.example.org");
	g_assert_null(ev->source);
	g_assert_cmpstr(ev->title, ==, "Western Balkans Cyber Security Summit");
	g_assert_true(has(ev->also_listed, "alpha"));
	ev = find_uid(out, "shared-123@upstream.example");
	g_assert_cmpstr(ev->source, ==, "alpha");
	g_assert_true(has(ev->also_listed, "beta"));
	g_assert_nonnull(find(out, "News of the week"));
	g_assert_nonnull(find(out, "Another story"));
}

/* A partner that lists the site's own series again (its calendar, say):
 * evfeed expands the partner's series into occurrences, each of the
 * series' UID; every one of them is the local series', not only the
 * first. */
static void
test_local_series_listed_again(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source mirror]\nurl=https://mirror.example/cal.ics\n");
	EvfEvent *series =
	    timed("clinic-2027@events.example.org", "Weekly clinic",
	          "Europe/Ljubljana", 2027, 1, 6, 10, 0);
	g_autoptr(GPtrArray) items =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GPtrArray) out = NULL;

	series->rrule = g_strdup("FREQ=WEEKLY;COUNT=6");
	for (int i = 0; i < 6; i++) {
		g_autofree char *uid = g_strdup_printf(
		    "clinic-2027@events.example.org/202701%02dT090000Z",
		    6 + 7 * i > 31 ? 6 + 7 * i - 31 : 6 + 7 * i);
		EvfEvent *occ =
		    timed(uid, "Weekly clinic", "Europe/Ljubljana", 2027,
		          6 + 7 * i > 31 ? 2 : 1,
		          6 + 7 * i > 31 ? 6 + 7 * i - 31 : 6 + 7 * i, 10, 0);

		occ->series = g_strdup("clinic-2027@events.example.org");
		g_ptr_array_add(items, occ);
	}
	out = merge(cfg, list(series, NULL), "mirror", g_steal_pointer(&items),
	            NULL);
	g_assert_cmpuint(out->len, ==, 1);
	g_assert_cmpstr(((EvfEvent *)g_ptr_array_index(out, 0))->uid, ==,
	                "clinic-2027@events.example.org");
	g_assert_true(has(((EvfEvent *)g_ptr_array_index(out, 0))->also_listed,
	                  "mirror"));
}

/* The daemon keeps its local events from one build to the next: a merge
 * changes a copy, never them. Once the partner's item is gone, the next
 * merge gives the listing undated and listed by nobody else again, with
 * its own fingerprint. */
static void
test_local_events_left_alone(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/rss\n");
	g_autoptr(GPtrArray) local =
	    list(undated("workshop", "Regional Workshop on Cultural Property"),
	         dated("meeting", "Expert Meeting", 2018, 6, 28), NULL);
	EvfEvent *listing = g_ptr_array_index(local, 0);
	g_autofree char *fingerprint = g_strdup(listing->fingerprint);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GHashTable) none = partners();
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(GPtrArray) again = NULL;
	EvfEvent *ours;

	g_hash_table_insert(p, "osce", workshop_dated());
	out = evf_merge(cfg, local, p, NULL);
	ours = find(out, "Regional Workshop on Cultural Property");
	g_assert_nonnull(ours);
	g_assert_false(ours->tba);
	g_assert_true(has(ours->also_listed, "osce"));
	g_assert_cmpstr(ours->fingerprint, !=, fingerprint);
	/* The catalogue's event is as its file made it. */
	g_assert_true(ours != listing);
	g_assert_true(listing->tba);
	g_assert_cmpuint(listing->also_listed->len, ==, 0);
	g_assert_cmpstr(listing->fingerprint, ==, fingerprint);
	/* An event the merge did not change is the catalogue's own. */
	g_assert_true(find(out, "Expert Meeting") == local->pdata[1]);

	again = evf_merge(cfg, local, none, NULL);
	ours = find(again, "Regional Workshop on Cultural Property");
	g_assert_true(ours->tba);
	g_assert_cmpuint(ours->also_listed->len, ==, 0);
	g_assert_cmpstr(ours->fingerprint, ==, fingerprint);
}

/* Once the listing has a partner's date, the next source's item of that
 * day and a near-identical title is the same event too (the listing is
 * then found by its day, no longer by its title); an item of the same
 * title on another day, or of a listing that stayed undated, is not. */
static void
test_listing_dated_then_matched(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/rss\n"
	           "[source unodc]\nurl=https://unodc.example/ics\n");
	g_autoptr(GPtrArray) local =
	    list(undated("workshop", "Regional Workshop on Cultural Property"),
	         undated("forum", "Forum on Border Security"), NULL);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *ours, *forum;

	g_hash_table_insert(p, "osce", workshop_dated());
	g_hash_table_insert(
	    p, "unodc",
	    list(dated("unodc-1", "Regional Workshop on the Cultural Property",
	               2018, 11, 20),
	         dated("unodc-2", "Forum on Border Security, second meeting",
	               2019, 3, 1),
	         NULL));
	out = evf_merge(cfg, local, p, NULL);
	ours = find(out, "Regional Workshop on Cultural Property");
	g_assert_nonnull(ours);
	g_assert_true(has(ours->also_listed, "osce"));
	g_assert_true(has(ours->also_listed, "unodc"));
	g_assert_null(find(out, "Regional Workshop on the Cultural Property"));
	forum = find(out, "Forum on Border Security");
	g_assert_nonnull(forum);
	g_assert_true(forum->tba);
	g_assert_nonnull(find(out, "Forum on Border Security, second meeting"));
	g_assert_cmpuint(out->len, ==, 3);
}

static void
test_priority(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source aaa]\nurl=https://a.example/\npriority=1\n"
	           "[source zzz]\nurl=https://z.example/\npriority=5\n"
	           "[source mmm]\nurl=https://m.example/\npriority=5\n");
	g_autoptr(GPtrArray) local =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *winner;

	g_hash_table_insert(
	    p, "aaa", list(dated("a", "Joint Conference", 2020, 1, 1), NULL));
	g_hash_table_insert(
	    p, "zzz", list(dated("z", "Joint Conference", 2020, 1, 1), NULL));
	g_hash_table_insert(
	    p, "mmm", list(dated("m", "Joint conference.", 2020, 1, 1), NULL));
	out = evf_merge(cfg, local, p, NULL);
	g_assert_cmpuint(out->len, ==, 1);
	winner = g_ptr_array_index(out, 0);
	/* Highest priority first; between equals, by name. */
	g_assert_cmpstr(winner->source, ==, "mmm");
	g_assert_cmpuint(winner->also_listed->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(winner->also_listed, 0), ==, "zzz");
	g_assert_cmpstr(g_ptr_array_index(winner->also_listed, 1), ==, "aaa");
}

/* An item that is the same event as two listings published apart until
 * it came (the site's, by its page, and another partner's, by its title)
 * joins them into one, whatever the sources' priorities: the event is
 * listed once. Not where the two are of places that do not allow it
 * (two "Webinar"s, in Sarajevo and in Skopje). */
static void
test_bridge_joins_two(void)
{
	static const char *const priorities[] = { "5", "-5" };

	for (guint p = 0; p < G_N_ELEMENTS(priorities); p++) {
		g_autofree char *sources = g_strdup_printf(
		    "[source a]\nurl=https://a.example/cal.ics\npriority=%s\n"
		    "[source b]\nurl=https://b.example/cal.ics\n",
		    priorities[p]);
		g_autoptr(EvfConfig) cfg = config(sources);
		g_autoptr(GPtrArray) local = list(
		    linked(timed("cyber", "Cybercrime and e-evidence workshop",
		                 "Europe/Ljubljana", 2027, 1, 15, 9, 0),
		           "https://partner.example.net/events/cyber-workshop"),
		    NULL);
		g_autoptr(GPtrArray) out =
		    merge(cfg, local, "a",
		          list(timed("a-1@a.example",
		                     "Regional Workshop on Cybercrime", NULL,
		                     2027, 1, 15, 8, 0),
		               NULL),
		          "b",
		          list(linked(timed("b-1@b.example",
		                            "Regional Workshop on Cybercrime",
		                            NULL, 2027, 1, 15, 8, 0),
		                      "https://partner.example.net/events/"
		                      "cyber-workshop"),
		               NULL),
		          NULL);

		assert_one_listed(out, "cyber", "a", "b");
	}
	/* three partners: the highest wins, the other two listed too */
	{
		g_autoptr(EvfConfig) cfg =
		    config("[source alpha]\nurl=https://a.example/cal.ics\n"
		           "priority=10\n"
		           "[source gamma]\nurl=https://c.example/cal.ics\n"
		           "priority=5\n"
		           "[source beta]\nurl=https://b.example/cal.ics\n");
		g_autoptr(GPtrArray) out = merge(
		    cfg, NULL, "alpha",
		    list(timed("a-1@a.example",
		               "Regional Workshop on Cybercrime", NULL, 2027, 1,
		               15, 8, 0),
		         NULL),
		    "gamma",
		    list(linked(timed("c-1@c.example",
		                      "Cybercrime and e-evidence workshop",
		                      NULL, 2027, 1, 15, 8, 0),
		                "https://partner.example.net/events/"
		                "cyber-workshop"),
		         NULL),
		    "beta",
		    list(linked(timed("b-1@b.example",
		                      "Regional Workshop on Cybercrime", NULL,
		                      2027, 1, 15, 8, 0),
		                "https://partner.example.net/events/"
		                "cyber-workshop"),
		         NULL),
		    NULL);
		EvfEvent *ev;

		g_assert_cmpuint(out->len, ==, 1);
		ev = g_ptr_array_index(out, 0);
		g_assert_cmpstr(ev->source, ==, "alpha");
		g_assert_cmpuint(ev->also_listed->len, ==, 2);
		g_assert_true(has(ev->also_listed, "gamma"));
		g_assert_true(has(ev->also_listed, "beta"));
		/* the page, from the listings joined to it */
		g_assert_cmpstr(
		    ev->url, ==,
		    "https://partner.example.net/events/cyber-workshop");
	}
	/* a listing joined twice over: d's item joins b's (by its page)
	 * and c's (by its title); e's first item joins the site's (by its
	 * page) and b's with c's (by b's title); e's second item, whose page
	 * is c's, is an event of its own, as e's first is the site's */
	{
		g_autoptr(EvfConfig) cfg =
		    config("[source b]\nurl=https://b.example/cal.ics\n"
		           "priority=40\n"
		           "[source c]\nurl=https://c.example/cal.ics\n"
		           "priority=30\n"
		           "[source d]\nurl=https://d.example/cal.ics\n"
		           "priority=20\n"
		           "[source e]\nurl=https://e.example/cal.ics\n"
		           "priority=10\n");
		g_autoptr(GPtrArray) local =
		    list(linked(dated("site-s@example.org",
		                      "Regional Conference on Border Security",
		                      2027, 5, 14),
		                "https://x.org/us"),
		         NULL);
		g_autoptr(GPtrArray) out = merge(
		    cfg, local, "b",
		    list(linked(dated("b1@b",
		                      "Annual Meeting of Prosecutors Network",
		                      2027, 5, 14),
		                "https://x.org/ub"),
		         NULL),
		    "c",
		    list(linked(dated("c1@c",
		                      "Workshop on Witness Protection Programs",
		                      2027, 5, 14),
		                "https://x.org/uc"),
		         NULL),
		    "d",
		    list(linked(dated("d1@d",
		                      "Workshop on Witness Protection Programs",
		                      2027, 5, 14),
		                "https://x.org/ub"),
		         NULL),
		    "e",
		    list(
		        linked(dated("e1@e",
		                     "Annual Meeting of Prosecutors Network",
		                     2027, 5, 14),
		               "https://x.org/us"),
		        linked(dated("e2@e",
		                     "Training for Customs Officers at Borders",
		                     2027, 5, 14),
		               "https://x.org/uc"),
		        NULL),
		    NULL);
		EvfEvent *ev;

		g_assert_cmpuint(out->len, ==, 2);
		ev = find_uid(out, "site-s@example.org");
		g_assert_cmpuint(ev->also_listed->len, ==, 4);
		g_assert_true(has(ev->also_listed, "b"));
		g_assert_true(has(ev->also_listed, "c"));
		g_assert_true(has(ev->also_listed, "d"));
		g_assert_true(has(ev->also_listed, "e"));
		ev = find_uid(out, "e2@e");
		g_assert_cmpstr(ev->source, ==, "e");
		g_assert_cmpuint(ev->also_listed->len, ==, 0);
	}
	/* the site's "Webinar" in Sarajevo and another's, joined by a
	 * placeless one to one in Skopje: they stay apart, whatever place
	 * the one that joins them has, as each listing's place must allow
	 * each of the other's */
	{
		g_autoptr(EvfConfig) cfg =
		    config("[source a]\nurl=https://a.example/cal.ics\n"
		           "priority=30\n"
		           "[source b]\nurl=https://b.example/cal.ics\n"
		           "priority=20\n"
		           "[source c]\nurl=https://c.example/cal.ics\n"
		           "priority=10\n");
		EvfEvent *ours =
		    linked(timed("site-w@example.org", "Webinar",
		                 "Europe/Sarajevo", 2027, 5, 14, 10, 0),
		           "https://x.org/webinar-sa");
		EvfEvent *skopje =
		    timed("b1@b", "Online Webinar", NULL, 2027, 5, 14, 8, 0);
		g_autoptr(GPtrArray) local = NULL;
		g_autoptr(GPtrArray) out = NULL;

		ours->location = g_strdup("Sarajevo");
		skopje->location = g_strdup("Skopje");
		local = list(ours, NULL);
		out = merge(cfg, local, "a",
		            list(timed("a1@a", "Online Webinar", NULL, 2027, 5,
		                       14, 8, 0),
		                 NULL),
		            "b", list(skopje, NULL), "c",
		            list(linked(timed("c1@c", "Online Webinar", NULL,
		                              2027, 5, 14, 8, 0),
		                        "https://x.org/webinar-sa"),
		                 NULL),
		            NULL);
		g_assert_cmpuint(out->len, ==, 2);
		g_assert_true(
		    has(find_uid(out, "site-w@example.org")->also_listed, "c"));
		g_assert_true(has(find_uid(out, "a1@a")->also_listed, "b"));
		g_assert_cmpstr(find_uid(out, "a1@a")->location, ==, "Skopje");
	}
}

/* An item that is the same event as a listing of its UID and as an
 * earlier one of its page (the site's) joins the three: the site's
 * wins. */
static void
test_bridge_by_uid(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source b]\nurl=https://b.example/cal.ics\npriority=40\n"
	           "[source c]\nurl=https://c.example/cal.ics\npriority=30\n");
	g_autoptr(GPtrArray) local = list(
	    linked(dated("site-s@example.org",
	                 "Regional Conference on Border Security", 2027, 5, 14),
	           "https://x.org/us"),
	    NULL);
	g_autoptr(GPtrArray) out = merge(
	    cfg, local, "b",
	    list(dated("shared-42@conf.org",
	               "Annual Meeting of Prosecutors Network", 2027, 5, 14),
	         NULL),
	    "c",
	    list(linked(dated("shared-42@conf.org",
	                      "Something Else Entirely Here", 2027, 5, 14),
	                "https://x.org/us"),
	         NULL),
	    NULL);

	assert_one_listed(out, "site-s@example.org", "b", "c");
}

/* a's item and d's, of test_uid_freed_by_absorb */
static GPtrArray *
a_meeting(void)
{
	return list(
	    linked(dated("a1@a", "Annual Meeting of Prosecutors Network", 2027,
	                 5, 14),
	           "https://x.org/ua"),
	    NULL);
}

static GPtrArray *
d_training(void)
{
	return list(dated("d1@d", "Training for Customs Officers at Borders",
	                  2027, 5, 14),
	            NULL);
}

/* A listing that goes on under the UID of one that left it (d's, under
 * b's) keeps it when b lists another event, which an item joins to a
 * third's: b's UID, given up then, is d's again, not a new one. */
static void
test_uid_freed_by_absorb(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source a]\nurl=https://a.example/cal.ics\npriority=50\n"
	           "[source b]\nurl=https://b.example/cal.ics\npriority=40\n"
	           "[source d]\nurl=https://d.example/cal.ics\npriority=30\n"
	           "[source c]\nurl=https://c.example/cal.ics\npriority=10\n");
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) second = NULL;
	g_autoptr(GPtrArray) third = NULL;

	evf_merge_ids_init(&ids);
	first = merge_ids(
	    cfg, &ids, NULL, none, "a", a_meeting(), "b",
	    list(
	        linked(dated("b1@b", "Training for Customs Officers at Borders",
	                     2027, 5, 14),
	               "https://x.org/ub"),
	        NULL),
	    "d", d_training(), NULL);
	g_assert_cmpuint(first->len, ==, 2);
	second = merge_ids(cfg, &ids, first, none, "a", a_meeting(), "d",
	                   d_training(), NULL);
	g_assert_cmpstr(
	    find(second, "Training for Customs Officers at Borders")->uid, ==,
	    "b1@b");
	third = merge_ids(
	    cfg, &ids, second, none, "a", a_meeting(), "b",
	    list(linked(dated("b1@b", "Regional Conference on Border Security",
	                      2027, 5, 14),
	                "https://x.org/uc"),
	         NULL),
	    "d", d_training(), "c",
	    list(linked(dated("c1@c", "Annual Meeting of Prosecutors Network",
	                      2027, 5, 14),
	                "https://x.org/uc"),
	         NULL),
	    NULL);
	g_assert_cmpuint(third->len, ==, 2);
	g_assert_cmpstr(
	    find(third, "Annual Meeting of Prosecutors Network")->uid, ==,
	    "a1@a");
	g_assert_cmpstr(
	    find(third, "Training for Customs Officers at Borders")->uid, ==,
	    "b1@b");
}

/* A listing that went out under the UID of the one it had joined (e's,
 * under a's a1@a, when a joined c's) leaves a1@a with it when a's own
 * listing is on its own again (c's went): a goes on as c1@c, the event
 * subscribers have for it, and e keeps a1@a. a took back its own UID,
 * and e was given a new one: both events were removed and added again. */
static void
test_uid_published_for_another(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source c]\nurl=https://c.example/cal.ics\npriority=40\n"
	           "[source a]\nurl=https://a.example/cal.ics\npriority=30\n"
	           "[source e]\nurl=https://e.example/cal.ics\npriority=20\n");
	static const char meeting[] = "Annual Meeting of Prosecutors Network";
	static const char training[] =
	    "Training for Customs Officers at Borders";
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) second = NULL;
	g_autoptr(GPtrArray) third = NULL;
	g_autoptr(GPtrArray) fourth = NULL;

	evf_merge_ids_init(&ids);
	first =
	    merge_ids(cfg, &ids, NULL, none, "c",
	              list(dated("c1@c", training, 2027, 5, 14), NULL), "a",
	              list(dated("a1@a", meeting, 2027, 5, 14), NULL), "e",
	              list(dated("e1@e", meeting, 2027, 5, 14), NULL), NULL);
	g_assert_cmpuint(first->len, ==, 2);
	g_assert_cmpstr(find(first, meeting)->uid, ==, "a1@a");
	/* a's is the training now: e goes on as a1@a */
	second =
	    merge_ids(cfg, &ids, first, none, "c",
	              list(dated("c1@c", training, 2027, 5, 14), NULL), "a",
	              list(dated("a1@a", training, 2027, 5, 14), NULL), "e",
	              list(dated("e1@e", meeting, 2027, 5, 14), NULL), NULL);
	g_assert_cmpuint(second->len, ==, 2);
	g_assert_cmpstr(find(second, meeting)->uid, ==, "a1@a");
	g_assert_cmpstr(find(second, meeting)->source, ==, "e");
	g_assert_cmpstr(find(second, training)->uid, ==, "c1@c");
	/* c's is gone; and they stay so at the next merge */
	third =
	    merge_ids(cfg, &ids, second, none, "a",
	              list(dated("a1@a", training, 2027, 5, 14), NULL), "e",
	              list(dated("e1@e", meeting, 2027, 5, 14), NULL), NULL);
	for (guint again = 0; again < 2; again++) {
		g_assert_cmpuint(third->len, ==, 2);
		g_assert_cmpstr(find(third, training)->uid, ==, "c1@c");
		g_assert_cmpstr(find(third, training)->source, ==, "a");
		g_assert_cmpstr(find(third, meeting)->uid, ==, "a1@a");
		g_assert_cmpstr(find(third, meeting)->source, ==, "e");
		fourth = g_steal_pointer(&third);
		third = merge_ids(
		    cfg, &ids, fourth, none, "a",
		    list(dated("a1@a", training, 2027, 5, 14), NULL), "e",
		    list(dated("e1@e", meeting, 2027, 5, 14), NULL), NULL);
		g_clear_pointer(&fourth, g_ptr_array_unref);
	}
	/* a's item the meeting again: e's joins it, and the meeting keeps
	 * a1@a (c1@c, the training's, is not the meeting's) */
	g_clear_pointer(&fourth, g_ptr_array_unref);
	fourth =
	    merge_ids(cfg, &ids, third, none, "a",
	              list(dated("a1@a", meeting, 2027, 5, 14), NULL), "e",
	              list(dated("e1@e", meeting, 2027, 5, 14), NULL), NULL);
	g_assert_cmpuint(fourth->len, ==, 1);
	g_assert_cmpstr(find(fourth, meeting)->uid, ==, "a1@a");
}

/* A listing whose own UID went out for another, which joins its event
 * again, keeps its own (hand_back waits for the joins), and the UID of
 * the event it had joined stays free for that event's next listing: f's
 * training comes back as c1@c, the training's, not as a new event. */
static void
test_uid_hand_back_after_joins(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source c]\nurl=https://c.example/cal.ics\npriority=40\n"
	           "[source a]\nurl=https://a.example/cal.ics\npriority=30\n"
	           "[source e]\nurl=https://e.example/cal.ics\npriority=20\n"
	           "[source f]\nurl=https://f.example/cal.ics\npriority=10\n");
	static const char meeting[] = "Annual Meeting of Prosecutors Network";
	static const char training[] =
	    "Training for Customs Officers at Borders";
	g_auto(EvfMergeIds) ids = { 0 };
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	GPtrArray *last = NULL;
	GPtrArray *next;

	evf_merge_ids_init(&ids);
	/* c's and f's training, a's and e's meeting; a's the training;
	 * a's and f's gone; c's gone */
	last =
	    merge_ids(cfg, &ids, NULL, none, "c",
	              list(dated("c1@c", training, 2027, 5, 14), NULL), "a",
	              list(dated("a1@a", meeting, 2027, 5, 14), NULL), "e",
	              list(dated("e1@e", meeting, 2027, 5, 14), NULL), "f",
	              list(dated("f1@f", training, 2027, 5, 14), NULL), NULL);
	next =
	    merge_ids(cfg, &ids, last, none, "c",
	              list(dated("c1@c", training, 2027, 5, 14), NULL), "a",
	              list(dated("a1@a", training, 2027, 5, 14), NULL), "e",
	              list(dated("e1@e", meeting, 2027, 5, 14), NULL), "f",
	              list(dated("f1@f", training, 2027, 5, 14), NULL), NULL);
	g_ptr_array_unref(last);
	last = next;
	g_assert_cmpstr(find(last, meeting)->uid, ==, "a1@a");
	next = merge_ids(cfg, &ids, last, none, "c",
	                 list(dated("c1@c", training, 2027, 5, 14), NULL), "e",
	                 list(dated("e1@e", meeting, 2027, 5, 14), NULL), NULL);
	g_ptr_array_unref(last);
	last = next;
	next = merge_ids(cfg, &ids, last, none, "e",
	                 list(dated("e1@e", meeting, 2027, 5, 14), NULL), NULL);
	g_ptr_array_unref(last);
	last = next;
	g_assert_cmpstr(find(last, meeting)->uid, ==, "a1@a");
	/* a's meeting and f's training come back */
	next =
	    merge_ids(cfg, &ids, last, none, "a",
	              list(dated("a1@a", meeting, 2027, 5, 14), NULL), "e",
	              list(dated("e1@e", meeting, 2027, 5, 14), NULL), "f",
	              list(dated("f1@f", training, 2027, 5, 14), NULL), NULL);
	g_ptr_array_unref(last);
	last = next;
	g_assert_cmpuint(last->len, ==, 2);
	g_assert_cmpstr(find(last, meeting)->uid, ==, "a1@a");
	g_assert_cmpstr(find(last, training)->uid, ==, "c1@c");
	g_assert_null(g_hash_table_lookup(ids.aliases, "a1@a"));
	g_ptr_array_unref(last);
}

/* A partner's listing that wins, without a page, a place or a text (as
 * Google's and Outlook's exports often are), takes them from a listing
 * joined to it that has them: subscribers keep the event's page, place
 * and text. What it gives itself stays, and the site's own events give
 * what their editors wrote. */
static void
test_winner_takes_missing(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source bare]\nurl=https://bare.example/cal.ics\n"
	           "priority=5\n"
	           "[source rich]\nurl=https://rich.example/cal.ics\n");
	EvfEvent *bare =
	    timed("w-1@bare.example", "Regional Workshop on Cybercrime", NULL,
	          2027, 1, 15, 8, 0);
	EvfEvent *rich =
	    linked(timed("w-1@rich.example", "Regional Workshop on Cybercrime",
	                 NULL, 2027, 1, 15, 8, 0),
	           "https://partner.example.net/events/cyber-workshop");
	EvfEvent *own =
	    linked(dated("ours", "Data Protection Day", 2027, 1, 28),
	           "https://events.example.org/dpd");
	EvfEvent *other =
	    dated("o-1@rich.example", "Data Protection Day", 2027, 1, 28);
	EvfEvent *placed =
	    dated("p-1@bare.example", "Border Security Conference", 2027, 2, 3);
	EvfEvent *elsewhere =
	    dated("p-1@rich.example", "Border Security Conference", 2027, 2, 3);
	g_autoptr(GPtrArray) local = NULL;
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *ev;

	rich->location = g_strdup("Hotel Union, Ljubljana");
	rich->has_geo = TRUE;
	rich->lat = 46.05;
	rich->lon = 14.51;
	rich->description_text = g_strdup("Registration required.");
	rich->description_html = g_strdup("<p>Registration required.</p>");
	rich->image = g_strdup("https://partner.example.net/w.png");
	other->location = g_strdup("Vienna");
	other->description_text = g_strdup("A partner's text.");
	other->description_html = g_strdup("<p>A partner's text.</p>");
	placed->location = g_strdup("Vienna");
	placed->description_text = g_strdup("Its own text.");
	placed->description_html = g_strdup("<p>Its own text.</p>");
	elsewhere->location = g_strdup("Wien, Austria");
	elsewhere->description_text = g_strdup("Another text.");
	elsewhere->description_html = g_strdup("<p>Another text.</p>");
	elsewhere->url = g_strdup("https://rich.example/bsc");
	local = list(own, NULL);
	out = merge(cfg, local, "bare", list(bare, placed, NULL), "rich",
	            list(rich, other, elsewhere, NULL), NULL);
	g_assert_cmpuint(out->len, ==, 3);
	ev = find(out, "Regional Workshop on Cybercrime");
	g_assert_cmpstr(ev->source, ==, "bare");
	g_assert_true(has(ev->also_listed, "rich"));
	g_assert_cmpstr(ev->url, ==,
	                "https://partner.example.net/events/cyber-workshop");
	g_assert_cmpstr(ev->location, ==, "Hotel Union, Ljubljana");
	g_assert_true(ev->has_geo);
	g_assert_cmpfloat(ev->lat, ==, 46.05);
	g_assert_cmpfloat(ev->lon, ==, 14.51);
	g_assert_cmpstr(ev->description_text, ==, "Registration required.");
	g_assert_cmpstr(ev->description_html, ==,
	                "<p>Registration required.</p>");
	g_assert_cmpstr(ev->image, ==, "https://partner.example.net/w.png");
	/* what the winner gives stays; what it lacks is taken */
	ev = find(out, "Border Security Conference");
	g_assert_cmpstr(ev->source, ==, "bare");
	g_assert_cmpstr(ev->location, ==, "Vienna");
	g_assert_cmpstr(ev->description_text, ==, "Its own text.");
	g_assert_cmpstr(ev->url, ==, "https://rich.example/bsc");
	/* the site's own event as its file has it */
	ev = find(out, "Data Protection Day");
	g_assert_null(ev->source);
	g_assert_true(has(ev->also_listed, "rich"));
	g_assert_null(ev->location);
	g_assert_null(ev->description_text);
}

static void
test_filters_and_categories(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/\n"
	           "include=security, police\nexclude=vacancy\n"
	           "categories=partner, osce\n"
	           "[source off]\nurl=https://off.example/\nenabled=false\n");
	g_autoptr(GPtrArray) local =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;
	EvfEvent *kept;

	g_hash_table_insert(
	    p, "osce",
	    list(dated("1", "Border Security Workshop", 2020, 1, 1),
	         dated("2", "Vacancy notice: security officer", 2020, 1, 2),
	         dated("3", "Cultural festival", 2020, 1, 3), NULL));
	g_hash_table_insert(
	    p, "off", list(dated("4", "Security summit", 2020, 1, 4), NULL));
	out = evf_merge(cfg, local, p, NULL);
	g_assert_cmpuint(out->len, ==, 1);
	kept = g_ptr_array_index(out, 0);
	g_assert_cmpstr(kept->title, ==, "Border Security Workshop");
	g_assert_true(has(kept->categories, "partner"));
	g_assert_true(has(kept->categories, "osce"));
}

/* include and exclude name whole words and phrases: "war" is not in
 * "software" nor "award", "rule of law" is found across a line break, and
 * case and compatibility forms do not matter. */
static void
test_filters_whole_words(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/\n"
	           "include=war, rule of law, c++, école, 東京, "
	           "ความปลอดภัย\n"
	           "exclude=award, 東京会議\n");
	g_autoptr(GPtrArray) local =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	g_autoptr(GHashTable) p = partners();
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(GString) kept = g_string_new(NULL);
	static const char *titles[] = {
		"Software testing day",                       /* - */
		"After the WAR: reconstruction",              /* + */
		"War-torn regions",                           /* + */
		"Rewarding careers",                          /* - */
		"The Rule of\nLaw Forum",                     /* + */
		"Rules of lawn tennis",                       /* - */
		"C++ for police analysts",                    /* + */
		"Peace award for war reporting",              /* - (excluded) */
		"\xef\xbc\xb7\xef\xbc\xa1\xef\xbc\xb2 games", /* + (fullwidth)
		                                               */
		"ÉCOLE d'été",                                /* + */
		"Écoles",                                     /* - */
		/* scripts written without spaces: found anywhere */
		"今日は東京で会議", /* + */
		"สัมมนาความปลอดภัย",  /* + */
		"東京会議の案内",   /* - (excluded) */
	};
	static const gboolean want[] = { FALSE, TRUE, TRUE,  FALSE, TRUE,
		                         FALSE, TRUE, FALSE, TRUE,  TRUE,
		                         FALSE, TRUE, TRUE,  FALSE };
	g_autoptr(GPtrArray) items =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);

	for (guint i = 0; i < G_N_ELEMENTS(titles); i++) {
		g_autofree char *uid = g_strdup_printf("%u@osce.example", i);

		g_ptr_array_add(items,
		                dated(uid, titles[i], 2020, 1, (int)i + 1));
	}
	g_hash_table_insert(p, "osce", g_steal_pointer(&items));
	out = evf_merge(cfg, local, p, NULL);
	for (guint i = 0; i < out->len; i++)
		g_string_append_printf(
		    kept, ";%s;", ((EvfEvent *)g_ptr_array_index(out, i))->uid);
	G_STATIC_ASSERT(G_N_ELEMENTS(want) == G_N_ELEMENTS(titles));
	for (guint i = 0; i < G_N_ELEMENTS(titles); i++) {
		g_autofree char *uid = g_strdup_printf(";%u@osce.example;", i);

		if ((strstr(kept->str, uid) != NULL) != want[i])
			g_test_message("'%s' %s", titles[i],
			               want[i] ? "dropped" : "kept");
		g_assert_true((strstr(kept->str, uid) != NULL) == want[i]);
	}
}

/* Partner items kept in the state from before the importers mended text
 * encoded twice ("CafÃ©") reach the merge mended too, with the fingerprint
 * of what is published, as they will be after their source's next new
 * body: otherwise they would keep "CafÃ©" in every output until the
 * partner changed its feed, and their SEQUENCE would move then. */
static void
test_kept_items_mended(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/rss\n");
	g_autofree char *dir = g_dir_make_tmp("evfeed-merge-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "state.db", NULL);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfStore) store = evf_store_open(path, &error);
	g_autoptr(EvfSourceState) st = NULL;
	g_autoptr(GPtrArray) kept = NULL;
	g_autoptr(GHashTable) items = NULL;
	g_autoptr(EvfEvent) want =
	    dated("their-uid", "Caf\xc3\xa9 in Z\xc3\xbcrich", 2019, 1, 1);
	GPtrArray *got;
	EvfEvent *ev;

	g_assert_no_error(error);
	g_assert_nonnull(store);
	st = evf_store_get_source(store, "osce");
	kept = list(dated("their-uid",
	                  "Caf\xc3\x83\xc2\xa9 in Z\xc3\x83\xc2\xbcrich", 2019,
	                  1, 1),
	            NULL);
	g_assert_true(evf_store_set_source_items(store, st, kept, &error));
	g_assert_no_error(error);
	items = evf_partner_items(cfg, store);
	got = g_hash_table_lookup(items, "osce");
	g_assert_nonnull(got);
	g_assert_cmpuint(got->len, ==, 1);
	ev = g_ptr_array_index(got, 0);
	g_assert_cmpstr(ev->title, ==, want->title);
	g_assert_cmpstr(ev->fingerprint, ==, want->fingerprint);
	g_clear_pointer(&store, evf_store_free);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_deterministic(void)
{
	g_autoptr(EvfConfig) cfg =
	    config("[source osce]\nurl=https://osce.example/\n");
	g_autofree char *first = NULL;

	for (int round = 0; round < 2; round++) {
		g_autoptr(GPtrArray) local =
		    list(dated("b", "Second", 2020, 1, 2),
		         dated("a", "First", 2020, 1, 1), NULL);
		g_autoptr(GHashTable) p = partners();
		g_autoptr(GPtrArray) out = NULL;
		GString *ids = g_string_new(NULL);

		g_hash_table_insert(p, "osce",
		                    list(dated("a", "Clash", 2021, 1, 1),
		                         dated("c", "Third", 2020, 1, 3),
		                         NULL));
		out = evf_merge(cfg, local, p, NULL);
		for (guint i = 0; i < out->len; i++)
			g_string_append_printf(
			    ids, "%s;",
			    ((EvfEvent *)g_ptr_array_index(out, i))->uid);
		if (first == NULL)
			first = g_string_free(ids, FALSE);
		else {
			g_assert_cmpstr(ids->str, ==, first);
			g_string_free(ids, TRUE);
		}
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/merge/source-categories-joined",
	                test_source_categories_joined);
	g_test_add_func("/merge/normalize", test_normalize);
	g_test_add_func("/merge/slug-taken", test_slug_taken);
	g_test_add_func("/merge/uid/kept-or-namespaced",
	                test_uid_kept_or_namespaced);
	g_test_add_func("/merge/uid/stays-when-a-source-joins",
	                test_uid_stays_when_a_source_joins);
	g_test_add_func("/merge/fingerprint/attribution",
	                test_fingerprint_attribution);
	g_test_add_func("/merge/duplicates", test_duplicates);
	g_test_add_func("/merge/duplicates/other-scripts",
	                test_duplicates_other_scripts);
	g_test_add_func("/merge/source-link-published",
	                test_source_link_published);
	g_test_add_func("/merge/url/needs-same-day", test_url_needs_same_day);
	g_test_add_func("/merge/url/listing-page", test_url_listing_page);
	g_test_add_func("/merge/url/fragment", test_url_fragment);
	g_test_add_func("/merge/url/language-home", test_url_language_home);
	g_test_add_func("/merge/uid/kept-by-its-owner",
	                test_uid_kept_by_its_owner);
	g_test_add_func("/merge/title/hyphenated-compound",
	                test_title_hyphenated_compound);
	g_test_add_func("/merge/title/two-anchors", test_title_two_anchors);
	g_test_add_func("/merge/join-through-joined", test_join_through_joined);
	g_test_add_func("/merge/placeless-joins-one-place",
	                test_placeless_joins_one_place);
	g_test_add_func("/merge/no-chain-across-places",
	                test_no_chain_across_places);
	g_test_add_func("/merge/title-needs-same-place",
	                test_title_needs_same_place);
	g_test_add_func("/merge/same-source-kept-apart",
	                test_same_source_kept_apart);
	g_test_add_func("/merge/one-item-per-source", test_one_item_per_source);
	g_test_add_func("/merge/times", test_times);
	g_test_add_func("/merge/category-once", test_category_once);
	g_test_add_func("/merge/category-site-spelling",
	                test_category_site_spelling);
	g_test_add_func("/merge/site-categories-only",
	                test_site_categories_only);
	g_test_add_func("/merge/news-item-keeps-calendar-status",
	                test_news_item_keeps_calendar_status);
	g_test_add_func("/merge/undated-partner-takes-date",
	                test_undated_partner_takes_date);
	g_test_add_func("/merge/uid/same-uid", test_same_uid);
	g_test_add_func("/merge/uid/kept-when-a-listing-wins",
	                test_uid_kept_when_a_listing_wins);
	g_test_add_func("/merge/uid/own-kept-when-published",
	                test_uid_own_kept_when_published);
	g_test_add_func("/merge/uid/alias-moves", test_uid_alias_moves);
	g_test_add_func("/merge/uid/kept-when-the-winner-goes",
	                test_uid_kept_when_the_winner_goes);
	g_test_add_func("/merge/uid/local-series-listed-again",
	                test_local_series_listed_again);
	g_test_add_func("/merge/undated-listing-takes-date",
	                test_undated_listing_takes_date);
	g_test_add_func("/merge/listing-dated-then-matched",
	                test_listing_dated_then_matched);
	g_test_add_func("/merge/local-events-left-alone",
	                test_local_events_left_alone);
	g_test_add_func("/merge/priority", test_priority);
	g_test_add_func("/merge/bridge-joins-two", test_bridge_joins_two);
	g_test_add_func("/merge/bridge-by-uid", test_bridge_by_uid);
	g_test_add_func("/merge/uid/freed-by-absorb", test_uid_freed_by_absorb);
	g_test_add_func("/merge/uid/published-for-another",
	                test_uid_published_for_another);
	g_test_add_func("/merge/uid/hand-back-after-joins",
	                test_uid_hand_back_after_joins);
	g_test_add_func("/merge/winner-takes-missing",
	                test_winner_takes_missing);
	g_test_add_func("/merge/filters-whole-words", test_filters_whole_words);
	g_test_add_func("/merge/filters-and-categories",
	                test_filters_and_categories);
	g_test_add_func("/merge/deterministic", test_deterministic);
	g_test_add_func("/merge/kept-items-mended", test_kept_items_mended);
	return g_test_run();
}
