/*
 * build.c: one build (see build.h). An unchanged rebuild is cheap: the
 * files are read and hashed, and when the digest of the inputs equals the
 * one recorded by the last successful build and its outputs are all still
 * there, nothing is parsed, rendered or written.
 */
#include "autoconf.h"
#include "build.h"

#include "catalog.h"
#include "gzip.h"
#include "merge.h"
#include "partner.h"
#include "publish.h"
#include "render.h"
#include "store.h"
#include "tz.h"
#include "util.h"
#include "websub.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libical/ical.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void
evf_build_stats_clear(EvfBuildStats *stats)
{
	g_clear_pointer(&stats->manifest, g_free);
	g_clear_pointer(&stats->digest, g_free);
	g_clear_pointer(&stats->changed, g_ptr_array_unref);
	memset(stats, 0, sizeof *stats);
}

char *
evf_build_last_manifest(const EvfConfig *cfg)
{
	g_autoptr(EvfStore) store = NULL;

	if (!g_file_test(cfg->state_path, G_FILE_TEST_EXISTS))
		return NULL;
	/* (a damaged state left for the build to move aside) */
	store = evf_store_open_in_place(cfg->state_path, NULL);
	if (store == NULL)
		store = evf_store_open_readonly(cfg->state_path, NULL);
	return store != NULL ? evf_store_get_meta(store, "manifest") : NULL;
}

gboolean
evf_build_check(const EvfConfig *cfg, gint64 now, GPtrArray *diags)
{
	return evf_catalog_check(cfg, NULL, now, diags) &&
	       evf_diags_errors(diags) == 0;
}

/* The digest of everything a build depends on besides the state. */
static char *
inputs_digest(const EvfConfig *cfg, const char *events_digest,
              const char *partners)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree char *tzdata = evf_tz_data_version();

	struct stat self;

	g_checksum_update(sum, (const guchar *)PACKAGE_VERSION,
	                  strlen(PACKAGE_VERSION));
	/* Another evfeed, even of the same version (a fix, a package's
	 * revision), may write other bytes: the program is an input. */
	if (stat("/proc/self/exe", &self) == 0) {
		const gint64 id[] = { (gint64)self.st_dev, (gint64)self.st_ino,
			              (gint64)self.st_size,
			              (gint64)self.st_mtim.tv_sec,
			              (gint64)self.st_mtim.tv_nsec };

		g_checksum_update(sum, (const guchar *)id, sizeof id);
	}
	/* New time zone rules change the times the files give. */
	g_checksum_update(sum, (const guchar *)tzdata, strlen(tzdata) + 1);
	g_checksum_update(sum, (const guchar *)cfg->path, strlen(cfg->path));
	/* the bytes the configuration was read from: the file may have
	 * changed since, and this build not be made from its new text */
	if (cfg->digest != NULL)
		g_checksum_update(sum, (const guchar *)cfg->digest,
		                  strlen(cfg->digest));
	g_checksum_update(sum, (const guchar *)events_digest,
	                  strlen(events_digest) + 1);
	g_checksum_update(sum, (const guchar *)partners, strlen(partners));
	return g_strdup(g_checksum_get_string(sum));
}

/* (transfer full): the paths of a manifest. */
static GStrv
manifest_paths(const char *manifest)
{
	g_auto(GStrv) lines =
	    g_strsplit_set(manifest ? manifest : "", "\n", -1);
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();

	for (guint i = 0; lines[i] != NULL; i++) {
		char *sp = strrchr(lines[i], ' ');

		if (sp != NULL) {
			*sp = '\0';
			g_strv_builder_add(b, lines[i]);
		}
	}
	return g_strv_builder_end(b);
}

/* A lock on the state folder, held by one build at a time; -1 for none. */
typedef int EvfBuildLock;

static void
build_lock_release(EvfBuildLock fd)
{
	close(fd); /* and the lock with it */
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(EvfBuildLock, build_lock_release, -1)

/* Takes the lock of the state folder @dir into *@lock, held by one build
 * at a time (another `evfeed build`, or `evfeed serve` rebuilding): two
 * builds at once would each remove the other's temporary files as those
 * of a killed build, and publish in turns. With @wait, waits for the
 * build that holds it to end; without (the daemon, whose loop would stop
 * answering its signals and fetching for as long as another process held
 * it, Ctrl-Z'd in a terminal), fails with @error instead. A folder that
 * cannot be locked (a file system without flock) is used without: -1. */
static gboolean
build_lock(const char *dir, gboolean wait, EvfBuildLock *lock, GError **error)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*lock = -1;
	if (fd < 0)
		return TRUE;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		*lock = fd;
		return TRUE;
	}
	if (errno != EWOULDBLOCK) {
		close(fd);
		return TRUE;
	}
	if (!wait) {
		close(fd);
		return evf_throw(error,
		                 "another build is under way (it holds the "
		                 "lock on the state folder '%s')",
		                 dir);
	}
	/* (a build from cron that seems to hang is told why) */
	g_printerr("evfeed: waiting for another build to end (it holds the "
	           "lock on the state folder '%s')\n",
	           dir);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return TRUE;
		}
	}
	*lock = fd;
	return TRUE;
}

/* Which files get a precompressed "x.gz" beside them, for the daemon and
 * for nginx's gzip_static: all but the one-event calendars, which are
 * small and fetched once, by a click, not polled. They are half the files
 * of a site, and a file costs more to create than to compress. */
static gboolean
compress_file(const char *path)
{
	return !g_str_has_prefix(path, "events/");
}

/* Google Calendar leaves out events of a subscribed calendar larger than
 * about this (PRIOR-ART: "Google will only accept feeds less than 1 MB"),
 * without a word to its users. */
#define GOOGLE_CALENDAR_BYTES 1000000
/* feedvalidator.org reads at most 2,000,000 bytes of a feed */
#define FEED_BYTES 2000000

/* The site's file @name in @out when it is over @limit bytes, else NULL;
 * *others: how many of the categories' and sources' files of that name
 * are. */
static const EvfFile *
large_files(GPtrArray *out, const char *name, gsize limit, guint *others)
{
	const EvfFile *site = NULL;
	g_autofree char *tail = g_strconcat("/", name, NULL);

	*others = 0;
	for (guint i = 0; i < out->len; i++) {
		const EvfFile *f = g_ptr_array_index(out, i);

		if (f->size <= limit)
			continue;
		if (strcmp(f->path, name) == 0)
			site = f;
		else if (g_str_has_suffix(f->path, tail))
			(*others)++;
	}
	return site;
}

/* A warning when files @name (each a @noun) in @out are over @limit bytes,
 * @why: the site's by name and size, the others (categories, sources)
 * counted. */
static void
warn_large(const EvfConfig *cfg, GPtrArray *out, GPtrArray *diags,
           const char *name, const char *noun, gsize limit, const char *why)
{
	guint others;
	const EvfFile *site = large_files(out, name, limit, &others);
	g_autoptr(GString) what = g_string_new(NULL);
	g_autofree char *full = NULL;
	g_autofree char *shown = NULL;

	if (site == NULL && others == 0)
		return;
	full = g_build_filename(cfg->output_dir, name, NULL);
	shown = evf_catalog_display_path(full);
	if (site != NULL)
		g_string_printf(what, "%.1f MB", (double)site->size / 1e6);
	else
		g_string_printf(what, "under %.0f MB", (double)limit / 1e6);
	if (others > 0)
		g_string_append_printf(what,
		                       ", and %u category or source %s%s "
		                       "over it",
		                       others, noun,
		                       others == 1 ? " is" : "s are");
	evf_diags_warn(diags, shown, 0, 0, "%s: %s", what->str, why);
}

/* (transfer full): what to do about a calendar over Google Calendar's
 * limit, given @events at @now: past_days helps only when some are past. */
static char *
calendar_advice(const EvfConfig *cfg, GPtrArray *events, gint64 now)
{
	gboolean past = FALSE;

	for (guint i = 0; i < events->len && !past; i++)
		past = evf_page_is_past(cfg, g_ptr_array_index(events, i), now);
	return g_strdup_printf(
	    "Google Calendar leaves out events of subscribed calendars over "
	    "about 1 MB, without telling its users; %s",
	    !past ? "list fewer events in one calendar (its categories "
	            "have calendars of their own)"
	    : cfg->past_limited ? "lower [feeds] past_days, which leaves out "
	                          "events long past"
	                        : "set [feeds] past_days to leave out events "
	                          "long past (evfeed.conf(5))");
}

/* What readers do with calendars and feeds that are too large. */
static void
warn_large_outputs(const EvfConfig *cfg, GPtrArray *out, GPtrArray *events,
                   gint64 now, GPtrArray *diags)
{
	g_autofree char *feeds = g_strdup_printf(
	    "feed validators (the W3C's, feedvalidator.org) and some feed "
	    "readers refuse a feed over 2 MB; lower [feeds] max_items (now "
	    "%u), or shorten the longest descriptions",
	    cfg->max_items);
	guint others;
	/* (the events are looked at only when a calendar is too large) */
	g_autofree char *calendars =
	    large_files(out, "calendar.ics", GOOGLE_CALENDAR_BYTES, &others) !=
	                NULL ||
	            others > 0
	        ? calendar_advice(cfg, events, now)
	        : NULL;

	warn_large(cfg, out, diags, "calendar.ics", "calendar",
	           GOOGLE_CALENDAR_BYTES, calendars);
	warn_large(cfg, out, diags, "rss.xml", "feed", FEED_BYTES, feeds);
	warn_large(cfg, out, diags, "atom.xml", "feed", FEED_BYTES, feeds);
}

/* A published calendar is read back to seed a new state: at most this
 * large. */
#define SEED_MAX_BYTES (64 * 1024 * 1024)

static void
seed_free(gpointer p)
{
	EvfSeed *e = p;

	g_free(e->uid);
	g_free(e);
}

/* µs since 1970 of the UTC date-time property @kind of @ve; 0: none. */
static gint64
utc_stamp(icalcomponent *ve, icalproperty_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(ve, kind);
	struct icaltimetype t;

	if (p == NULL)
		return 0;
	t = icalvalue_get_datetime(icalproperty_get_value(p));
	if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t) ||
	    t.is_date || !icaltime_is_utc(t))
		return 0;
	return (gint64)icaltime_as_timet(t) * G_USEC_PER_SEC;
}

/* (transfer full) (nullable): the calendar file @path, one evfeed wrote
 * in the output folder, as libical reads it. */
static icalcomponent *
read_calendar(const char *path)
{
	g_autoptr(GBytes) bytes = evf_file_read(path, SEED_MAX_BYTES, NULL);
	g_autofree char *text = NULL;

	if (bytes == NULL)
		return NULL;
	text =
	    g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	return icalparser_parse_string(text);
}

/* Adds what the calendar file @path says of each of its events to @seeds
 * (uid → EvfSeed), the highest SEQUENCE of any file. (transfer full)
 * (nullable): its first event's UID. */
static char *
seeds_of(const char *path, GHashTable *seeds)
{
	icalcomponent *cal = read_calendar(path);
	char *first = NULL;

	if (cal == NULL)
		return NULL;
	for (icalcomponent *ve =
	         icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ve != NULL; ve = icalcomponent_get_next_component(
	                     cal, ICAL_VEVENT_COMPONENT)) {
		const char *uid = icalcomponent_get_uid(ve);
		gint64 created = utc_stamp(ve, ICAL_CREATED_PROPERTY);
		gint64 modified = utc_stamp(ve, ICAL_LASTMODIFIED_PROPERTY);
		int seq = icalcomponent_get_sequence(ve);
		EvfSeed *e;

		if (first == NULL && uid != NULL)
			first = g_strdup(uid);
		if (uid == NULL || created == 0 || modified == 0 || seq < 0 ||
		    icalcomponent_get_first_property(
		        ve, ICAL_RECURRENCEID_PROPERTY) != NULL)
			continue;
		e = g_hash_table_lookup(seeds, uid);
		if (e == NULL) {
			e = g_new0(EvfSeed, 1);
			e->uid = g_strdup(uid);
			g_hash_table_insert(seeds, e->uid, e);
		}
		e->sequence = MAX(e->sequence, (guint)seq);
		e->created =
		    e->created != 0 ? MIN(e->created, created) : created;
		e->modified = MAX(e->modified, modified);
	}
	icalcomponent_free(cal);
	return first;
}

/* The size and time of the site's calendar.ics in the output folder, as
 * the state records them after each build ("" when there is none). */
static char *
published_stamp(const EvfConfig *cfg)
{
	g_autofree char *site =
	    g_build_filename(cfg->output_dir, "calendar.ics", NULL);
	struct stat st;

	if (stat(site, &st) != 0)
		return g_strdup("");
	return g_strdup_printf("%lld %lld.%09ld", (long long)st.st_size,
	                       (long long)st.st_mtim.tv_sec,
	                       (long)st.st_mtim.tv_nsec);
}

static gboolean
category_slug_ok(const char *slug)
{
	g_autofree char *again = evf_slugify(slug);

	return strcmp(again, slug) == 0;
}

/* How every calendar evfeed writes begins (evf_ics_head). */
#define EVF_CALENDAR_HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//evfeed//"

/* Whether the file @path (not a link) is a calendar evfeed wrote: its
 * first lines are evf_ics_head's. A file of another program in the output
 * folder is left alone even when a new state takes what the folder holds
 * as published (seed_published). */
static gboolean
evfeed_calendar(const char *path)
{
	char head[sizeof EVF_CALENDAR_HEAD - 1];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	gboolean ours = FALSE;

	if (fd < 0)
		return FALSE;
	ours = read(fd, head, sizeof head) == (ssize_t)sizeof head &&
	       memcmp(head, EVF_CALENDAR_HEAD, sizeof head) == 0;
	close(fd);
	return ours;
}

/* Adds "@rel SIZE\n" to @manifest if @rel is a file of the output
 * folder @out that is not in @listed yet. */
static void
add_published(GString *manifest, GHashTable *listed, const char *out,
              const char *rel)
{
	g_autofree char *path = g_build_filename(out, rel, NULL);
	GStatBuf st;

	if (!g_hash_table_contains(listed, rel) && g_lstat(path, &st) == 0 &&
	    S_ISREG(st.st_mode))
		g_string_append_printf(manifest, "%s %" G_GUINT64_FORMAT "\n",
		                       rel, (guint64)st.st_size);
}

/* Before a scope's name in the state (meta "category/<slug>"), a name not
 * known, which seed_published gave a folder whose calendar did not say it:
 * its slug, which no later name is told to have taken
 * (warn_category_taken). */
#define UNKNOWN_NAME "\x1f"

/* Reads a scope's record in the state's meta, "<emptied µs> <name>", its
 * name after UNKNOWN_NAME when not known (*@unknown): FALSE when @value
 * (nullable) is none. */
static gboolean
scope_record(const char *value, gint64 *emptied, const char **name,
             gboolean *unknown)
{
	char *end = NULL;

	if (value == NULL)
		return FALSE;
	*emptied = g_ascii_strtoll(value, &end, 10);
	if (*end != ' ')
		return FALSE;
	*name = end + 1;
	*unknown = g_str_has_prefix(*name, UNKNOWN_NAME);
	if (*unknown)
		*name += strlen(UNKNOWN_NAME);
	return TRUE;
}

/* (transfer full): the name of the scope whose calendar is @path, as its
 * X-WR-CALNAME gives it after the site's title ("Events: Workshops"); else
 * @slug after UNKNOWN_NAME. */
static char *
scope_name(const EvfConfig *cfg, const char *path, const char *slug)
{
	icalcomponent *cal = read_calendar(path);
	g_autofree char *prefix = g_strconcat(cfg->title, ": ", NULL);
	char *name = NULL;

	for (icalproperty *p = cal != NULL ? icalcomponent_get_first_property(
	                                         cal, ICAL_X_PROPERTY)
	                                   : NULL;
	     p != NULL && name == NULL;
	     p = icalcomponent_get_next_property(cal, ICAL_X_PROPERTY)) {
		const char *x = icalproperty_get_x(p);

		if (g_strcmp0(icalproperty_get_x_name(p), "X-WR-CALNAME") ==
		        0 &&
		    x != NULL && g_str_has_prefix(x, prefix) &&
		    x[strlen(prefix)] != '\0')
			name = g_strdup(x + strlen(prefix));
	}
	if (cal != NULL)
		icalcomponent_free(cal);
	icalerror_clear_errno();
	return name != NULL ? name : g_strconcat(UNKNOWN_NAME, slug, NULL);
}

/* For a new state of a site that has published, or one older than its
 * output (seed_from_output): what the output folder holds of the
 * one-event calendars and of the categories' and sources' folders, as
 * what the last build published (added to its manifest, and each folder a
 * scope it published), so that this build withdraws what went while the
 * state was lost, or since its backup: an event's calendar goes, and a
 * category or source of no event keeps its files, empty, for a while, as
 * after any build. (The site's own files it makes again.) */
static gboolean
seed_published(const EvfConfig *cfg, EvfStore *store, GError **error)
{
	static const struct {
		const char *dir;
		const char *meta; /* the scopes' prefix in the state */
		gboolean (*name_ok)(const char *);
	} scopes[] = {
		{ "category", "category/", category_slug_ok },
		{ "source", "source/", evf_config_source_name_ok },
	};
	g_autofree char *old = evf_store_get_meta(store, "manifest");
	g_autoptr(GString) manifest = g_string_new(old);
	g_auto(GStrv) had = manifest_paths(old);
	g_autoptr(GHashTable) listed =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *events =
	    g_build_filename(cfg->output_dir, "events", NULL);
	g_autoptr(GDir) d = NULL;
	const char *name;

	for (guint i = 0; had[i] != NULL; i++)
		g_hash_table_add(listed, had[i]);
	/* the one-event calendars evfeed wrote (and a gzip copy of one,
	 * which an earlier evfeed wrote) */
	if ((d = g_dir_open(events, 0, NULL)) != NULL)
		while ((name = g_dir_read_name(d)) != NULL) {
			g_autofree char *rel =
			    g_strconcat("events/", name, NULL);
			/* the calendar, of a gzip copy */
			g_autofree char *plain =
			    g_str_has_suffix(name, ".gz")
			        ? g_strndup(name, strlen(name) - 3)
			        : g_strdup(name);
			g_autofree char *cal =
			    g_str_has_suffix(plain, ".ics")
			        ? g_build_filename(events, plain, NULL)
			        : NULL;

			if (cal != NULL && evfeed_calendar(cal))
				add_published(manifest, listed, cfg->output_dir,
				              rel);
		}
	for (guint s = 0; s < G_N_ELEMENTS(scopes); s++) {
		g_autofree char *top =
		    g_build_filename(cfg->output_dir, scopes[s].dir, NULL);
		g_autoptr(GDir) sd = g_dir_open(top, 0, NULL);
		g_autoptr(GHashTable) known =
		    evf_store_get_meta_prefixed(store, scopes[s].meta);

		while (sd != NULL && (name = g_dir_read_name(sd)) != NULL) {
			g_autofree char *cal =
			    g_build_filename(top, name, "calendar.ics", NULL);
			g_autofree char *key =
			    g_strconcat(scopes[s].meta, name, NULL);
			g_autofree char *shown = NULL;
			g_autofree char *value = NULL;

			g_autofree char *folder = NULL;
			g_autoptr(GDir) fd = NULL;
			const char *file;

			if (!scopes[s].name_ok(name) || !evfeed_calendar(cal))
				continue;
			/* the folder is evfeed's, and each file in it of a
			 * name evfeed gives a scope's */
			folder = g_build_filename(top, name, NULL);
			fd = g_dir_open(folder, 0, NULL);
			while (fd != NULL &&
			       (file = g_dir_read_name(fd)) != NULL) {
				g_autofree char *rel = g_strdup_printf(
				    "%s/%s/%s", scopes[s].dir, name, file);

				if (evf_render_scope_file(file))
					add_published(manifest, listed,
					              cfg->output_dir, rel);
			}
			if (g_hash_table_contains(known, name))
				continue;
			shown = scope_name(cfg, cal, name);
			/* emptied "not known": when this build finds it
			 * so */
			value = g_strdup_printf("0 %s", shown);
			if (!evf_store_set_meta(store, key, value, error))
				return FALSE;
		}
	}
	return manifest->len == 0 ||
	       evf_store_set_meta(store, "manifest", manifest->str, error);
}

/* Whether seed_from_output takes anything from the output folder: a
 * calendar of evfeed's that @store is new to, or did not record. */
static gboolean
seed_needed(const EvfConfig *cfg, EvfStore *store)
{
	g_autofree char *recorded = evf_store_get_meta(store, "published");
	g_autofree char *site =
	    g_build_filename(cfg->output_dir, "calendar.ics", NULL);
	g_autofree char *now = NULL;

	/* (a calendar of another program that the site had before: no
	 * output of evfeed's) */
	if (!evfeed_calendar(site))
		return FALSE;
	now = published_stamp(cfg);
	/* (a state of an evfeed that did not record it: looked at too) */
	return evf_store_is_new(store) || recorded == NULL ||
	       strcmp(recorded, now) != 0;
}

/* A new state for a site that has published before (its state lost,
 * damaged or deleted), or a state older than what the output folder holds
 * (restored from a backup: the calendar is not the one it last recorded):
 * what its calendars say of each event, SEQUENCE first, so that the next
 * edit is not published with a lower SEQUENCE than subscribers have
 * (calendar programs ignore such an update), and no event is announced as
 * new again, when seed_needed says so. @slugs (slug → UID): the UID each
 * one-event calendar holds, of a new state. */
static gboolean
seed_from_output(const EvfConfig *cfg, EvfStore *store, GHashTable *slugs,
                 GPtrArray *diags, GError **error)
{
	g_autofree char *publishing = NULL;
	g_autofree char *now = NULL;
	gboolean fresh = evf_store_is_new(store);
	guint changed = 0;
	g_autofree char *site =
	    g_build_filename(cfg->output_dir, "calendar.ics", NULL);
	g_autofree char *dir =
	    g_build_filename(cfg->output_dir, "events", NULL);
	g_autoptr(GHashTable) seeds =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, seed_free);
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GDir) d = NULL;
	g_autofree char *shown = NULL;
	GHashTableIter it;
	gpointer value;
	const char *name;

	now = published_stamp(cfg);
	g_free(seeds_of(site, seeds));
	if ((d = g_dir_open(dir, 0, NULL)) != NULL)
		while ((name = g_dir_read_name(d)) != NULL)
			if (g_str_has_suffix(name, ".ics")) {
				g_autofree char *path =
				    g_build_filename(dir, name, NULL);
				char *uid = evfeed_calendar(path)
				                ? seeds_of(path, seeds)
				                : NULL;

				if (fresh && uid != NULL)
					g_hash_table_insert(
					    slugs,
					    g_strndup(name, strlen(name) - 4),
					    uid);
				else
					g_free(uid);
			}
	list = g_ptr_array_new();
	g_hash_table_iter_init(&it, seeds);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(list, value);
	if (list->len > 0 && !evf_store_seed(store, list, &changed, error))
		return FALSE;
	/* (not after a build stopped while it put its files in place: what
	 * it was publishing is in the state, and this build withdraws what
	 * it does not publish again) */
	publishing = evf_store_get_meta(store, "publishing");
	if ((publishing == NULL || publishing[0] == '\0') &&
	    !seed_published(cfg, store, error))
		return FALSE;
	/* looked at once: not again at every build until the next full
	 * one (a skipped build records nothing) */
	if (!evf_store_set_meta(store, "published", now, error))
		return FALSE;
	if (changed == 0)
		return TRUE;
	shown = evf_catalog_display_path(cfg->state_path);
	if (fresh)
		evf_diags_warn(diags, shown, 0, 0,
		               "a new state: the SEQUENCE and first-seen time "
		               "of %u event%s taken from the calendars "
		               "published in the output folder",
		               list->len, list->len == 1 ? " is" : "s are");
	else
		evf_diags_warn(diags, shown, 0, 0,
		               "the output folder holds calendars this state "
		               "did not publish (a state restored from a "
		               "backup?): %u event%s a higher SEQUENCE or an "
		               "earlier first-seen time from them",
		               changed, changed == 1 ? " takes" : "s take");
	return TRUE;
}

/* A warning when the site's own events are all gone since the last build:
 * an events folder emptied by mistake (not mounted, not checked out, the
 * files saved as .md.txt) takes every event away from the subscribers. */
static void
warn_emptied(const EvfConfig *cfg, EvfStore *store, GPtrArray *local,
             GPtrArray *diags)
{
	g_autofree char *before = NULL;
	g_autofree char *shown = NULL;
	guint64 n;

	if (local->len > 0)
		return;
	before = evf_store_get_meta(store, "local_events");
	n = before != NULL ? g_ascii_strtoull(before, NULL, 10) : 0;
	if (n == 0)
		return;
	shown = evf_catalog_display_path(cfg->events_dir);
	evf_diags_warn(
	    diags, shown, 0, 0,
	    "no event files, where the last build published %" G_GUINT64_FORMAT
	    " of the site's own events: the calendars and feeds "
	    "go out without them",
	    n);
}

/* The instant (µs) at which @t, an end, is past: a date's (the day after
 * an all-day event) where that day begins last, 12 hours behind UTC, as
 * evf_event_over_by has it; a time without a zone read in UTC. */
static gint64
end_instant(struct icaltimetype t)
{
	if (t.is_date) {
		t.is_date = 0;
		t.hour = 12;
		t.minute = t.second = 0;
		t.zone = icaltimezone_get_utc_timezone();
	}
	return (gint64)icaltime_as_timet_with_zone(
	           t,
	           t.zone != NULL ? t.zone : icaltimezone_get_utc_timezone()) *
	       G_USEC_PER_SEC;
}

/* When the VEVENT @ve is over (µs): its end, or a series' last
 * occurrence's (its RRULE's COUNT or UNTIL); G_MAXINT64 when that is not
 * known (no end, a series without one, or one too long to count). */
static gint64
vevent_over_at(icalcomponent *ve)
{
	struct icaltimetype start = icalcomponent_get_dtstart(ve);
	struct icaltimetype end = icalcomponent_get_dtend(ve);
	icalproperty *rrule =
	    icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY);
	struct icalrecurrencetype rule;
	struct icaldurationtype length;
	struct icaltimetype last = icaltime_null_time();
	icalrecur_iterator *it;

	if (icaltime_is_null_time(end))
		return G_MAXINT64;
	if (rrule == NULL)
		return end_instant(end);
	rule = icalproperty_get_rrule(rrule);
	if ((rule.count == 0 && icaltime_is_null_time(rule.until)) ||
	    icaltime_is_null_time(start))
		return G_MAXINT64;
	length = icaltime_subtract(end, start);
	/* (no occurrence starts after its UNTIL: counting them is not
	 * needed) */
	if (!icaltime_is_null_time(rule.until)) {
		last = rule.until;
		if (last.is_date != start.is_date) {
			last = icaltime_convert_to_zone(
			    last, start.zone != NULL
			              ? (icaltimezone *)start.zone
			              : icaltimezone_get_utc_timezone());
			last.is_date = start.is_date;
		}
		if (last.zone == NULL)
			last.zone = start.zone;
		return end_instant(icaltime_add(last, length));
	}
	it = icalrecur_iterator_new(rule, start);
	for (guint n = 0; it != NULL; n++) {
		struct icaltimetype next = icalrecur_iterator_next(it);

		if (icaltime_is_null_time(next))
			break;
		/* (too many to count: not known) */
		if (n == 100000) {
			last = icaltime_null_time();
			break;
		}
		last = next;
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	if (icaltime_is_null_time(last))
		return G_MAXINT64;
	last.zone = start.zone;
	return end_instant(icaltime_add(last, length));
}

/* Whether the one-event calendar @path (still in the output folder)
 * holds an event whose UID is one of @uids, or one whose every VEVENT
 * (a series' last occurrence, its overrides) had ended by @now (µs):
 * then its going tells subscribers nothing they need (renamed with its
 * uid kept, or over). */
static gboolean
still_listed_or_over(const char *path, GHashTable *uids, gint64 now)
{
	icalcomponent *cal = read_calendar(path);
	icalcomponent *ve;
	gboolean listed = FALSE;
	gboolean over = TRUE;
	guint n = 0;

	if (cal == NULL)
		return FALSE;
	for (ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ve != NULL; ve = icalcomponent_get_next_component(
	                     cal, ICAL_VEVENT_COMPONENT)) {
		const char *uid = icalcomponent_get_uid(ve);

		n++;
		listed |= uid != NULL && g_hash_table_contains(uids, uid);
		over &= vevent_over_at(ve) <= now;
	}
	icalcomponent_free(cal);
	icalerror_clear_errno();
	return listed || (n > 0 && over);
}

/* Warnings for the site's events whose own calendar (events/<slug>.ics)
 * the last build published, in @old_manifest, and this one, @out, does
 * not: their file removed or renamed, or their date now to be announced.
 * They leave the calendars, but subscribers' calendar programs keep them
 * as they were: the way to call an event off is status: cancelled. Not
 * said of an event still published under its UID (a file renamed with
 * its uid kept), of one that had ended, nor of a partner's item or
 * series (events/<source>-<digest>.ics, events/<source>.series-<digest>.ics:
 * its digest has a letter, and a site's name ending in a date and time has
 * none), which come and go with its listing. */
static void
warn_withdrawn(const EvfConfig *cfg, const char *old_manifest, GPtrArray *out,
               GPtrArray *local, GPtrArray *events, gint64 now,
               GPtrArray *diags)
{
	g_auto(GStrv) before = manifest_paths(old_manifest);
	g_autoptr(GHashTable) made = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) slugs = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) uids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *folder = evf_catalog_display_path(cfg->events_dir);

	for (guint i = 0; i < out->len; i++)
		g_hash_table_add(made,
		                 ((EvfFile *)g_ptr_array_index(out, i))->path);
	for (guint i = 0; i < local->len; i++) {
		EvfEvent *ev = g_ptr_array_index(local, i);

		g_hash_table_insert(slugs, ev->slug, ev);
	}
	for (guint i = 0; i < events->len; i++)
		g_hash_table_add(
		    uids, ((EvfEvent *)g_ptr_array_index(events, i))->uid);
	for (guint i = 0; before[i] != NULL; i++) {
		const char *p = before[i];
		g_autofree char *slug = NULL;
		g_autofree char *file = NULL;
		EvfEvent *ev;

		if (!g_str_has_prefix(p, "events/") ||
		    !g_str_has_suffix(p, ".ics") ||
		    g_hash_table_contains(made, p) ||
		    g_regex_match_simple(
		        "^events/[a-z0-9_-]+(\\.series)?-"
		        "(?=[0-9]*[a-f])[0-9a-f]{12,64}\\.ics$",
		        p, 0, 0))
			continue;
		slug = g_strndup(p + 7, strlen(p) - 11);
		ev = g_hash_table_lookup(slugs, slug);
		file = g_build_filename(cfg->output_dir, p, NULL);
		if (ev != NULL && ev->tba)
			evf_diags_warn(
			    diags, ev->path, 0, 0,
			    "its date is now to be announced: it "
			    "leaves the calendars, but subscribers' "
			    "calendar programs keep it at its last "
			    "date; to call the event off, set status: "
			    "cancelled");
		else if (ev == NULL && !still_listed_or_over(file, uids, now))
			evf_diags_warn(
			    diags, folder, 0, 0,
			    "the event of %s.md (its calendar %s) is gone, "
			    "its file removed or renamed: it leaves the "
			    "calendars, but subscribers' calendar programs "
			    "keep it; to call an event off, keep its file "
			    "with status: cancelled",
			    slug, p);
	}
}

/* Days a category keeps its calendar and feeds, empty, once it has lost
 * its last event, and a partner source once it is disabled or taken out of
 * the configuration. */
#define KEPT_DAYS 90

/* What the operator is told of a clock that reads a time before the
 * state's last change, which only they know to be right or wrong. When
 * @far, that change, @then (µs), is more than an hour after @now: the
 * times ahead of the clock are taken back to it (evf_store_track_ahead).
 * Otherwise this build's changes are dated after that change, up to
 * @then, ahead of the clock, so that feed readers see them in order
 * (evf_store_track_later). */
static void
warn_clock_behind(const EvfConfig *cfg, gint64 then, gint64 now, gboolean far,
                  GPtrArray *diags)
{
	g_autofree char *shown = evf_catalog_display_path(cfg->state_path);
	g_autoptr(GDateTime) a =
	    g_date_time_new_from_unix_utc(then / G_USEC_PER_SEC);
	g_autoptr(GDateTime) n =
	    g_date_time_new_from_unix_utc(now / G_USEC_PER_SEC);
	g_autofree char *as = g_date_time_format(a, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *ns = g_date_time_format(n, "%Y-%m-%dT%H:%M:%SZ");

	if (far)
		evf_diags_warn(
		    diags, shown, 0, 0,
		    "the clock reads %s, more than an hour before the "
		    "last change this state recorded (%s): the times of "
		    "the changes after the clock's are taken back to it, "
		    "as when the clock was ahead at the last build; if "
		    "it is behind now, set it right and build again",
		    ns, as);
	else
		evf_diags_warn(
		    diags, shown, 0, 0,
		    "the clock reads %s, before the last change this state "
		    "recorded: this build's changes are dated after it, up "
		    "to %s, ahead of the clock, so that feed readers see "
		    "them in order; if the clock is behind, set it right",
		    ns, as);
}

/* A warning for each source whose items were read with other settings
 * than it now has (evf_partner_read_otherwise): a build fetches nothing,
 * and shows those of them that the settings now choose until the next
 * fetch reads the source again. */
static void
warn_read_otherwise(const EvfConfig *cfg, EvfStore *store, GPtrArray *diags)
{
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);

		if (src->enabled && evf_partner_read_otherwise(src, store))
			evf_diags_warn(
			    diags, cfg->path, 0, 0,
			    "[source %s]: its items were read with other "
			    "include=, exclude= or link= settings; the "
			    "outputs show those that the settings now "
			    "choose until `evfeed fetch` reads it again",
			    src->name);
	}
}

/* (transfer full) (nullable): the UID of the event that the output's
 * events/<slug>.ics of @ev's slug holds. */
static char *
published_uid(const EvfConfig *cfg, const EvfEvent *ev)
{
	g_autofree char *rel = g_strdup_printf("events/%s.ics", ev->slug);
	g_autofree char *file = g_build_filename(cfg->output_dir, rel, NULL);
	icalcomponent *cal = read_calendar(file);
	icalcomponent *ve;
	char *uid = NULL;

	if (cal == NULL)
		return NULL;
	ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	if (ve != NULL && icalcomponent_get_uid(ve) != NULL)
		uid = g_strdup(icalcomponent_get_uid(ve));
	icalcomponent_free(cal);
	icalerror_clear_errno();
	return uid;
}

/* A new state for a site that has published: each event file whose
 * one-event calendar held another UID than its own (@slugs, slug → UID,
 * as seed_from_output read them), one that no other file names, had taken
 * it from a partner's listing (evf_merge's EvfMergeIds) with the state
 * lost; it keeps it, and the new state records it. */
static void
seed_aliases(GHashTable *slugs, GPtrArray *local, EvfMergeIds *ids)
{
	g_autoptr(GHashTable) own = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < local->len; i++)
		g_hash_table_add(
		    own, ((EvfEvent *)g_ptr_array_index(local, i))->uid);
	for (guint i = 0; i < local->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(local, i);
		const char *was = NULL;

		if (ev->tba || ev->slug == NULL ||
		    g_hash_table_contains(ids->aliases, ev->uid) ||
		    (was = g_hash_table_lookup(slugs, ev->slug)) == NULL ||
		    strcmp(was, ev->uid) == 0 ||
		    g_hash_table_contains(own, was))
			continue;
		g_hash_table_insert(ids->aliases, g_strdup(ev->uid),
		                    g_strdup(was));
		g_ptr_array_add(ids->added, g_strdup(ev->uid));
	}
}

/* A warning at each event file whose uid key names the UID that another
 * event file's event took from a partner's listing it replaced (an alias,
 * evf_merge's EvfMergeIds): the file takes that identity over, and the
 * other event goes out under its own UID, as a new event. */
static void
warn_alias_claimed(GPtrArray *local, const EvfMergeIds *ids, GPtrArray *diags)
{
	g_autoptr(GHashTable) by_uid = NULL;

	if (g_hash_table_size(ids->aliases) == 0)
		return;
	by_uid = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < local->len; i++) {
		EvfEvent *ev = g_ptr_array_index(local, i);

		g_hash_table_insert(by_uid, ev->uid, ev);
	}
	for (guint i = 0; i < local->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(local, i);
		const char *to = g_hash_table_lookup(ids->aliases, ev->uid);
		const EvfEvent *claims =
		    to != NULL ? g_hash_table_lookup(by_uid, to) : NULL;

		if (claims == NULL || claims == ev)
			continue;
		evf_diags_warn(
		    diags, claims->path, claims->uid_line, claims->uid_col,
		    "uid '%s' is the identity under which %s has been "
		    "published (it took it from a partner's listing it "
		    "replaced): this file takes it over, and that event "
		    "goes out as a new one, under its own uid '%s'; to keep "
		    "both events as subscribers have them, give this file "
		    "another uid",
		    to, ev->path, ev->uid);
	}
}

/* Why the identity of @ev changed from @was, in words. Without a uid:
 * key, its identity is made of its file's name (a UUID of version 5): an
 * old one of that form is of a name of the same address, or of a uid:
 * key that copied one; any other was a key's, removed. */
static const char *
uid_change_cause(const EvfEvent *ev, const char *was)
{
	if (ev->uid_line != 1)
		return "a uid key written or edited";
	if (g_uuid_string_is_valid(was) && was[14] == '5')
		return "its file renamed, to a name of the same address "
		       "('Conf.md' for 'conf.md'), or a uid key removed: the "
		       "identity of an event without one is made of its "
		       "file's name";
	return "its uid key removed";
}

/* A warning at @ev's uid (or its first line) that its identity changed
 * from @was, with what @follows for subscribers, and how to keep it one
 * @thing. */
static void
warn_identity_changed(GPtrArray *diags, const EvfEvent *ev, const char *was,
                      const char *follows, const char *thing)
{
	evf_diags_warn(diags, ev->path, ev->uid_line, ev->uid_col,
	               "its identity changed from '%s' to '%s' (%s): %s; to "
	               "keep it one %s, give it uid: %s",
	               was, ev->uid, uid_change_cause(ev, was), follows, thing,
	               was);
}

/* An event file whose event the state did not know, where the last
 * build published one of another UID under the same name (events/<slug>.ics)
 * that is listed no more: its uid changed (a uid key written, removed or
 * edited), which takes the old event out of the calendars as removing its
 * file does, and adds a new one. Only events new to the state, or back in
 * it, are looked at, and their old calendars read: a build of no such
 * event reads none. Where [site]
 * url's host or path is not @old_site, which the last build's was, the
 * identities made from file names all changed with it: told once, at the
 * url, not at each file. */
static void
warn_uid_changed(const EvfConfig *cfg, const char *old_site,
                 const char *old_manifest, GPtrArray *local, GPtrArray *events,
                 guint tba, const EvfStoreTrack *track, GPtrArray *diags)
{
	g_autoptr(GHashTable) before = NULL;
	g_autoptr(GHashTable) uids = NULL;
	g_auto(GStrv) paths = NULL;
	gboolean moved =
	    old_site != NULL && g_strcmp0(old_site, cfg->uid_site) != 0;
	guint named = 0; /* by their file, with it */
	g_autofree char *of_tba = NULL;
	gboolean host_stayed;

	for (guint i = 0; i < local->len; i++) {
		EvfEvent *ev = g_ptr_array_index(local, i);
		g_autofree char *rel = NULL;
		g_autofree char *was = NULL;

		/* (an identity new to the state, or one published before
		 * and back: only then can the file's be another than the
		 * one its calendar had) */
		if (!evf_store_track_is_new(track, ev->uid) &&
		    !evf_store_track_is_returning(track, ev->uid))
			continue;
		/* (one without a calendar of its own: warn_tba_identity
		 * counted those, @tba) */
		if (ev->tba)
			continue;
		if (before == NULL) {
			paths = manifest_paths(old_manifest);
			before = g_hash_table_new(g_str_hash, g_str_equal);
			for (guint k = 0; paths[k] != NULL; k++)
				g_hash_table_add(before, paths[k]);
			uids = g_hash_table_new(g_str_hash, g_str_equal);
			for (guint k = 0; k < events->len; k++)
				g_hash_table_add(
				    uids,
				    ((EvfEvent *)g_ptr_array_index(events, k))
				        ->uid);
		}
		rel = g_strdup_printf("events/%s.ics", ev->slug);
		if (!g_hash_table_contains(before, rel))
			continue;
		was = published_uid(cfg, ev);
		if (was == NULL || strcmp(was, ev->uid) == 0 ||
		    g_hash_table_contains(uids, was))
			continue;
		/* (no uid: key: its identity is of its file's name) */
		if (moved && ev->uid_line == 1) {
			named++;
			continue;
		}
		warn_identity_changed(
		    diags, ev, was,
		    "the event of the old one leaves the calendars and a new "
		    "one comes, but subscribers' calendar programs keep the old",
		    "event");
	}
	if (named + tba == 0)
		return;
	of_tba = tba > 0 ? g_strdup_printf(" (%u of them to be announced)", tba)
	                 : g_strdup("");
	/* (a new host is said of every listing: warn_feed_ids_changed) */
	host_stayed = g_str_has_prefix(old_site, cfg->host) &&
	              old_site[strlen(cfg->host)] == '/';
	evf_diags_warn(
	    diags, cfg->path, cfg->url_line, 0,
	    "[site] url: its host and path were '%s' at the last build, and "
	    "are '%s': the identity of each event without a uid: key is made "
	    "of them, and %u changed%s, which leave the calendars as new ones "
	    "come, but subscribers' calendar programs keep the old%s; put the "
	    "url back as it was (or give each event file its old uid:)",
	    old_site, cfg->uid_site, named + tba, of_tba,
	    host_stayed ? ", and feed readers show their listings again, as new"
	                : "");
}

/* Warnings, once, where the beginning of the feeds' tag: ids is not @old
 * ("tag:HOST,DATE:"), the last build's: at the url when its host changed,
 * at tag_date when that did. The id of every listing changed with them
 * (whatever its uid:), and feed readers show each again, as new. */
static void
warn_feed_ids_changed(const EvfConfig *cfg, const char *old, GPtrArray *diags)
{
	const char *comma = strrchr(old, ',');
	g_autofree char *host = NULL;
	g_autofree char *date = NULL;

	if (!g_str_has_prefix(old, "tag:") || comma == NULL ||
	    !g_str_has_suffix(comma, ":"))
		return;
	host = g_strndup(old + 4, (gsize)(comma - old - 4));
	date = g_strndup(comma + 1, strlen(comma + 1) - 1);
	{
		const struct {
			const char *key, *what, *was, *is;
			guint line;
		} parts[] = {
			{ "url", "its host", host, cfg->host, cfg->url_line },
			{ "tag_date", "it", date, cfg->tag_date,
			  cfg->tag_date_line },
		};

		for (guint i = 0; i < G_N_ELEMENTS(parts); i++)
			if (strcmp(parts[i].was, parts[i].is) != 0)
				evf_diags_warn(
				    diags, cfg->path, parts[i].line, 0,
				    "[site] %s: %s was '%s' at the last build, "
				    "and is '%s': the id of every listing in "
				    "the feeds changed with it, whatever its "
				    "uid:, and feed readers show each again, "
				    "as new; put it back as it was",
				    parts[i].key, parts[i].what, parts[i].was,
				    parts[i].is);
	}
}

static gint
uid_ptr_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* (transfer full): what the state keeps of the site's events whose date is
 * to be announced, which have no calendar of their own to tell their
 * identity by (warn_tba_identity): "<slug> <uid>" lines, sorted, of each
 * such event of @events (merged: the UID it is published under, a
 * partner's listing's when it took that). */
static char *
tba_record(GPtrArray *events)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(events, i);

		if (ev->tba && ev->source == NULL)
			g_ptr_array_add(
			    lines, g_strdup_printf("%s %s", ev->slug, ev->uid));
	}
	g_ptr_array_sort(lines, uid_ptr_cmp);
	for (guint i = 0; i < lines->len; i++)
		g_string_append_printf(s, "%s\n",
		                       (char *)g_ptr_array_index(lines, i));
	return g_string_free(s, FALSE);
}

/* Warnings for the site's events whose date is to be announced, as the
 * last build's @old (tba_record) had them, whose identity is published no
 * more: feed readers keep the listing they were told of, and are told of
 * the event again as a new listing under its new identity. At the file,
 * when its identity changed (a uid key written, edited or removed); at
 * each new event file without a uid key (its date given now or not), when
 * such a file is gone: most often it was renamed, and is the new one. */
static guint
warn_tba_identity(const char *old, GPtrArray *events, gboolean moved,
                  const EvfStoreTrack *track, GPtrArray *diags)
{
	guint said_at_url = 0;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GHashTable) uids = NULL;
	g_autoptr(GHashTable) slugs = NULL;
	g_autoptr(GPtrArray) gone = NULL;

	if (old == NULL || old[0] == '\0')
		return 0;
	lines = g_strsplit(old, "\n", -1);
	uids = g_hash_table_new(g_str_hash, g_str_equal);
	slugs = g_hash_table_new(g_str_hash, g_str_equal);
	gone = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);

		g_hash_table_add(uids, ev->uid);
		if (ev->source == NULL)
			g_hash_table_insert(slugs, ev->slug, ev);
	}
	for (guint i = 0; lines[i] != NULL; i++) {
		char *uid = strchr(lines[i], ' ');
		const EvfEvent *ev;

		if (uid == NULL)
			continue;
		*uid++ = '\0';
		if (g_hash_table_contains(uids, uid))
			continue;
		ev = g_hash_table_lookup(slugs, lines[i]);
		if (ev == NULL) {
			g_ptr_array_add(gone, g_strdup_printf("%s.md (uid: %s)",
			                                      lines[i], uid));
			continue;
		}
		/* (made of its file's name and the url, which moved: said
		 * at the url, warn_uid_changed) */
		if (moved && ev->uid_line == 1) {
			said_at_url++;
			continue;
		}
		warn_identity_changed(
		    diags, ev, uid,
		    "feed readers keep the listing of the old "
		    "one, and are told of the event again, as "
		    "a new listing",
		    "listing");
	}
	if (gone->len == 0)
		return said_at_url;
	g_ptr_array_add(gone, NULL);
	for (guint i = 0; i < events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(events, i);
		g_autofree char *names = NULL;

		/* (a file renamed keeps its uid key: one with a key is
		 * another event) */
		if (ev->source != NULL || ev->uid_line != 1 ||
		    !evf_store_track_is_new(track, ev->uid))
			continue;
		names = g_strjoinv(", ", (char **)gone->pdata);
		evf_diags_warn(
		    diags, ev->path, 0, 0,
		    "a new listing, and the event of %s, whose date was "
		    "to be announced, is gone: if this is that event, its file "
		    "renamed, feed readers are told of it again as a new "
		    "listing; to keep it one listing, give it the old uid",
		    names);
	}
	return said_at_url;
}

/* A warning at each event file without a uid: key whose identity, made of
 * its file's name, is that of an event removed before, back now other
 * than it was: most often a new event written under an old file's name,
 * which would come back as that event (its first publication, the item
 * feed readers have), not as a new listing. */
static void
warn_name_reused(GPtrArray *local, const EvfStoreTrack *track, GPtrArray *diags)
{
	for (guint i = 0; i < local->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(local, i);
		g_autoptr(GDateTime) first = NULL;
		g_autofree char *day = NULL;
		gint64 created;

		if (ev->uid_line != 1 ||
		    !evf_store_track_is_back(track, ev->uid, &created))
			continue;
		first = g_date_time_new_from_unix_utc(created / G_USEC_PER_SEC);
		day = first != NULL ? g_date_time_format(first, "%Y-%m-%d")
		                    : g_strdup("?");
		evf_diags_warn(
		    diags, ev->path, 0, 0,
		    "its identity, made of its file's name, is that of an "
		    "event removed before, first published on %s: it comes "
		    "back as that event (its first publication, and the item "
		    "feed readers have), not as a new listing; if it is a new "
		    "event, give its file another name, or a uid: of its own",
		    day);
	}
}

/* A warning at each event file's `published:` that is later than the
 * listing was first published (evfeed first saw it, in the state), which
 * the feeds keep (evf_event_pubdate): readers were told of it then, and
 * are told once. (A listing first seen by this build is first seen at its
 * `published:`, when that is not in the future: evf_store_track_prepare.) */
static void
warn_published_later(GPtrArray *events, GPtrArray *diags)
{
	for (guint i = 0; i < events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(events, i);
		g_autoptr(GDateTime) given = NULL;
		g_autoptr(GDateTime) first = NULL;
		g_autofree char *a = NULL;
		g_autofree char *b = NULL;

		if (ev->source != NULL || ev->published_line == 0 ||
		    ev->created == 0 || ev->published <= ev->created)
			continue;
		given = g_date_time_new_from_unix_utc(ev->published /
		                                      G_USEC_PER_SEC);
		first =
		    g_date_time_new_from_unix_utc(ev->created / G_USEC_PER_SEC);
		a = g_date_time_format(given, "%Y-%m-%dT%H:%M:%SZ");
		b = g_date_time_format(first, "%Y-%m-%dT%H:%M:%SZ");
		evf_diags_warn(
		    diags, ev->path, ev->published_line, ev->published_col,
		    "published: %s is later than the listing was "
		    "first published, %s (when evfeed first saw it), "
		    "which the feeds keep: readers were told of it "
		    "then, and are told once",
		    a, b);
	}
}

/* (transfer full): "TIME DIGEST", what the state keeps of the events of
 * @c: when they last changed (µs), and a digest of their UIDs. */
static char *
members_value(const EvfCategory *c, gint64 time, gboolean dated)
{
	g_autoptr(GPtrArray) uids = g_ptr_array_new();
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);

	for (guint i = 0; i < c->events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(c->events, i);

		if (!dated || !ev->tba)
			g_ptr_array_add(uids, ev->uid);
	}
	g_ptr_array_sort(uids, uid_ptr_cmp);
	for (guint i = 0; i < uids->len; i++)
		g_checksum_update(sum, g_ptr_array_index(uids, i),
		                  (gssize)strlen(g_ptr_array_index(uids, i)) +
		                      1);
	return g_strdup_printf("%" G_GINT64_FORMAT " %s", time,
	                       g_checksum_get_string(sum));
}

/* Gives each of @cats the time its events last changed (changed), from
 * @members ("members/" meta of the state: slug → members_value): another
 * set of events than the state's changed at @updated, the site's last
 * change (when one left, that build's time); a category the state has no
 * record of, at 0, not known, as the state before the records was. A
 * time after @now and @updated was a build's whose clock was ahead, which
 * the state's event times are taken back from: @updated then. */
static void
members_changed(GPtrArray *cats, GHashTable *members, gint64 updated,
                gint64 now, gboolean dated)
{
	for (guint i = 0; i < cats->len; i++) {
		EvfCategory *c = g_ptr_array_index(cats, i);
		const char *was = g_hash_table_lookup(members, c->slug);
		g_autofree char *value = members_value(c, 0, dated);
		const char *digest = strchr(value, ' ') + 1;
		const char *was_digest = was != NULL ? strchr(was, ' ') : NULL;
		gint64 *slot = dated ? &c->dated_changed : &c->changed;

		if (was == NULL || was_digest == NULL)
			*slot = dated ? updated : 0;
		else if (strcmp(was_digest + 1, digest) == 0) {
			gint64 t = g_ascii_strtoll(was, NULL, 10);

			*slot = t > now && t > updated ? updated : t;
		} else
			*slot = updated;
	}
}

/* Records the members_value() of each of @cats (under @prefix and its
 * slug: "members/" for categories, "source-members/" for sources) that
 * @members, the state's, does not hold. */
static gboolean
record_members(EvfStore *store, const char *prefix, GHashTable *members,
               GPtrArray *cats, gboolean dated, GError **error)
{
	for (guint i = 0; i < cats->len; i++) {
		const EvfCategory *c = g_ptr_array_index(cats, i);
		g_autofree char *value = members_value(
		    c, dated ? c->dated_changed : c->changed, dated);
		g_autofree char *key = g_strconcat(prefix, c->slug, NULL);

		if (g_strcmp0(g_hash_table_lookup(members, c->slug), value) !=
		        0 &&
		    !evf_store_set_meta(store, key, value, error))
			return FALSE;
	}
	return TRUE;
}

/* (transfer full): the UID of the feed item of the series of @ev, an
 * occurrence: its source's, or the one that @ids' aliases (evf_merge's
 * EvfMergeIds) give it (the source renamed: partner.c). Where another
 * source that lists it too published the item first (its UID among
 * @known, the state's series), the item keeps that UID, for good (an
 * alias): a source that wins later, by priority or by name, does not
 * make the series a new item in the feeds, nor does it when the first
 * goes. */
static char *
series_uid(const EvfEvent *ev, EvfMergeIds *ids, GHashTable *known)
{
	char *uid = evf_render_series_uid(ev);
	const char *to = g_hash_table_lookup(ids->aliases, uid);

	if (to != NULL) {
		g_free(uid);
		return g_strdup(to);
	}
	if (g_hash_table_contains(known, uid))
		return uid;
	/* (the other source's own series, whose UID may be another: two
	 * partners' calendars merged by title and time) */
	for (guint i = 0; ev->also_series != NULL && i < ev->also_series->len;
	     i++) {
		g_auto(GStrv) of = g_strsplit(
		    g_ptr_array_index(ev->also_series, i), "\x1f", 2);
		g_autofree char *other = NULL;
		const char *kept;

		if (g_strv_length(of) != 2)
			continue;
		other = evf_render_series_uid_of(of[0], of[1]);
		kept = g_hash_table_lookup(ids->aliases, other);
		if (kept == NULL)
			kept = other;
		if (!g_hash_table_contains(known, kept))
			continue;
		g_hash_table_insert(ids->aliases, g_strdup(uid),
		                    g_strdup(kept));
		g_ptr_array_add(ids->added, uid);
		return g_strdup(kept);
	}
	return uid;
}

/* When each partner series of @events was first listed and last
 * changed: of its occurrences in the window now, the earliest
 * publication date and the latest change, but never later and earlier
 * than the state's record of them (@known, "series/<item UID>" →
 * "<first> <changed>", µs), as occurrences leave the window (past, or
 * beyond the cap) and cancelled ones leave the calendars: the series'
 * feed item was published anew, ahead of later listings, and its updated
 * went back. Each occurrence gets them, and its item's UID
 * (EvfEvent.series_id); the records that change go to @changed (key →
 * value). */
static void
series_times(GPtrArray *events, GHashTable *known, EvfMergeIds *ids,
             GHashTable *changed)
{
	/* item UID → gint64[2] */
	g_autoptr(GHashTable) times =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter it;
	gpointer key, value;

	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		gint64 *t;

		if (ev->series == NULL)
			continue;
		g_free(ev->series_id);
		ev->series_id = series_uid(ev, ids, known);
		t = g_hash_table_lookup(times, ev->series_id);
		if (t == NULL) {
			const char *had =
			    g_hash_table_lookup(known, ev->series_id);
			gint64 first = 0, last = 0;

			t = g_new(gint64, 2);
			t[0] = G_MAXINT64;
			t[1] = 0;
			if (had != NULL &&
			    sscanf(had,
			           "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
			           &first, &last) == 2 &&
			    first > 0) {
				t[0] = first;
				t[1] = last;
			}
			g_hash_table_insert(times, g_strdup(ev->series_id), t);
		}
		t[0] = MIN(t[0], evf_event_pubdate(ev));
		t[1] = MAX(t[1], ev->modified);
	}
	for (guint i = 0; i < events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(events, i);
		const gint64 *t;

		if (ev->series == NULL)
			continue;
		t = g_hash_table_lookup(times, ev->series_id);
		ev->series_first = t[0];
		ev->series_changed = t[1];
	}
	g_hash_table_iter_init(&it, times);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const gint64 *t = value;
		char *now = g_strdup_printf(
		    "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, t[0], t[1]);

		if (g_strcmp0(g_hash_table_lookup(known, key), now) != 0)
			g_hash_table_insert(changed, g_strdup(key), now);
		else
			g_free(now);
	}
}

/* Records the identities that events of this build took from listings
 * published before them (evf_merge), for good: "alias/<own UID>". */
static gboolean
record_aliases(EvfStore *store, const EvfMergeIds *ids, GError **error)
{
	for (guint i = 0; i < ids->added->len; i++) {
		const char *own = g_ptr_array_index(ids->added, i);
		g_autofree char *key = g_strconcat("alias/", own, NULL);

		if (!evf_store_set_meta(store, key,
		                        g_hash_table_lookup(ids->aliases, own),
		                        error))
			return FALSE;
	}
	return TRUE;
}

/* Records the partner series' times that series_times() changed (@changed,
 * "<item UID>" → value) as "series/<item UID>". */
static gboolean
record_series(EvfStore *store, GHashTable *changed, GError **error)
{
	GHashTableIter it;
	gpointer key, value;

	g_hash_table_iter_init(&it, changed);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		g_autofree char *k = g_strconcat("series/", key, NULL);

		if (!evf_store_set_meta(store, k, value, error))
			return FALSE;
	}
	return TRUE;
}

/* (transfer full) (element-type EvfCategory): the scopes (categories or
 * sources) that the last build published, as the state's meta @known has
 * them (by slug or name: "<emptied µs> <name>"), and that are not in
 * @in_use now, sorted: each keeps its calendar and feeds, empty, for
 * KEPT_DAYS after it left, so that subscribers' calendar programs drop its
 * events rather than keep them behind a 404. One that leaves now leaves at
 * @left (for a category, the site's change that emptied it; for a source,
 * disabled in the configuration, the time of this build). @let_go is
 * lowered to the first time one of them goes. */
static GPtrArray *
kept_scopes(GHashTable *known, GPtrArray *in_use,
            gboolean (*name_ok)(const char *), gint64 left, gint64 now,
            gint64 *let_go)
{
	const gint64 keep = (gint64)KEPT_DAYS * 86400 * G_USEC_PER_SEC;
	GPtrArray *kept = g_ptr_array_new_with_free_func(evf_category_free);
	GHashTableIter it;
	gpointer k, v;

	g_autoptr(GHashTable) used = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < in_use->len; i++)
		g_hash_table_add(
		    used, ((EvfCategory *)g_ptr_array_index(in_use, i))->slug);
	g_hash_table_iter_init(&it, known);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *slug = k;
		const char *name;
		gint64 emptied;
		gboolean unknown;

		if (g_hash_table_contains(used, slug) ||
		    !scope_record(v, &emptied, &name, &unknown) ||
		    !name_ok(slug))
			continue;
		/* (after @now: a build's whose clock was ahead) */
		if (emptied <= 0 || emptied > now)
			emptied = left;
		if (now >= emptied + keep)
			continue;
		*let_go = MIN(*let_go, emptied + keep);
		g_ptr_array_add(kept,
		                evf_category_new_emptied(slug, name, emptied));
	}
	g_ptr_array_sort(kept, evf_category_cmp);
	return kept;
}

/* Whether the category name @name makes the slug @slug. */
static gboolean
slug_of_name_is(const char *name, const char *slug)
{
	g_autofree char *made = evf_slugify_name(name);

	return strcmp(made, slug) == 0;
}

/* A GEqualFunc of an EvfCategory and a slug. */
static gboolean
category_slug_is(gconstpointer category, gconstpointer slug)
{
	return strcmp(((const EvfCategory *)category)->slug, slug) == 0;
}

/* Warns at the first of @local's files that give the category @cat, else
 * at the configuration (a source's categories=). */
static void warn_at_category(const EvfConfig *cfg, GPtrArray *local,
                             const EvfCategory *cat, GPtrArray *diags,
                             const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void
warn_at_category(const EvfConfig *cfg, GPtrArray *local, const EvfCategory *cat,
                 GPtrArray *diags, const char *fmt, ...)
{
	const char *path = NULL;
	g_autofree char *conf = NULL;
	g_autofree char *message = NULL;
	guint line = 0, col = 0;
	va_list ap;

	for (guint e = 0; e < local->len && line == 0; e++) {
		const EvfEvent *ev = g_ptr_array_index(local, e);

		for (guint k = 0; k < ev->categories->len; k++) {
			g_autofree char *slug = evf_slugify_name(
			    g_ptr_array_index(ev->categories, k));

			if (strcmp(slug, cat->slug) != 0)
				continue;
			path = ev->path;
			evf_event_category_at(ev, k, &line, &col);
			break;
		}
	}
	if (path == NULL)
		path = conf = cfg->path != NULL
		                  ? evf_catalog_display_path(cfg->path)
		                  : g_strdup("the configuration");
	va_start(ap, fmt);
	message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	evf_diags_warn(diags, path, line, col, "%s", message);
}

/* A warning for each category of @cats whose address (category/<slug>/)
 * the last build published, in @known, under another name: "C#" where
 * "C++" was, now that no event has "C++" (in one build, the two are an
 * error). Its subscribers get the other's events from now on, under the
 * name they subscribed to. (One that has been gone KEPT_DAYS has no
 * subscribers left.) Told at the first of @local's files that give it,
 * else at the configuration (a source's categories=). */
static void
warn_category_taken(const EvfConfig *cfg, GPtrArray *local, GPtrArray *cats,
                    GHashTable *known, gint64 now, GPtrArray *diags)
{
	const gint64 keep = (gint64)KEPT_DAYS * 86400 * G_USEC_PER_SEC;

	for (guint i = 0; i < cats->len; i++) {
		const EvfCategory *cat = g_ptr_array_index(cats, i);
		const char *name;
		gint64 emptied;
		gboolean unknown;

		/* (nor the same in another case, or respelt alike: a
		 * no-break space made an ordinary one) */
		if (!scope_record(g_hash_table_lookup(known, cat->slug),
		                  &emptied, &name, &unknown) ||
		    unknown || (emptied > 0 && now >= emptied + keep) ||
		    evf_names_look_alike(cat->name, name))
			continue;
		warn_at_category(
		    cfg, local, cat, diags,
		    "category '%s' takes the address "
		    "category/%s/ of category '%s', which the last "
		    "build published: its subscribers get this "
		    "category's events from now on (if it is "
		    "another category, give it a name of another "
		    "address)",
		    cat->name, cat->slug, name);
	}
}

/* A warning for each category of @cats that the last build published, in
 * @known, at another address under a name that looks alike: a name whose
 * characters that show as nothing made its slug before evf_slugify_name
 * left them out ("crimi-nal-justice"). The old address keeps its
 * calendar and feeds, empty, for KEPT_DAYS: its subscribers are to be
 * told the new one. */
static void
warn_category_moved(const EvfConfig *cfg, GPtrArray *local, GPtrArray *cats,
                    GHashTable *known, GPtrArray *diags)
{
	g_autoptr(GHashTable) by_look = NULL;
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, known);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *was;
		gint64 emptied;
		gboolean unknown;
		g_autofree char *look = NULL;
		const EvfCategory *cat;

		/* in use at the last build, by a name, and not now */
		if (!scope_record(v, &emptied, &was, &unknown) ||
		    emptied != 0 || unknown ||
		    g_ptr_array_find_with_equal_func(cats, k, category_slug_is,
		                                     NULL))
			continue;
		if (by_look == NULL) {
			by_look = g_hash_table_new_full(g_str_hash, g_str_equal,
			                                g_free, NULL);
			for (guint i = 0; i < cats->len; i++) {
				const EvfCategory *c =
				    g_ptr_array_index(cats, i);

				g_hash_table_insert(by_look,
				                    evf_name_look(c->name),
				                    (gpointer)c);
			}
		}
		look = evf_name_look(was);
		cat = g_hash_table_lookup(by_look, look);
		/* (its old name makes the new address now: not another
		 * category that looks alike, "H₂O" beside "H2O") */
		if (cat != NULL && slug_of_name_is(was, cat->slug))
			warn_at_category(
			    cfg, local, cat, diags,
			    "category '%s' is at category/%s/ now, no longer "
			    "at category/%s/ (an address no longer holds the "
			    "characters of a name that show as nothing, and "
			    "takes its other spaces as spaces): the calendar "
			    "and feeds there go empty, and their subscribers "
			    "are to be told the new address",
			    cat->name, cat->slug, (const char *)k);
	}
}

/* Records the scopes published under @prefix ("category/" or "source/")
 * where @known (as the state had them before) differs: @in_use, and @kept
 * with the time each left. */
static gboolean
record_scopes(EvfStore *store, const char *prefix, GHashTable *known,
              GPtrArray *in_use, GPtrArray *kept, GError **error)
{
	for (guint i = 0; i < in_use->len + kept->len; i++) {
		const EvfCategory *c =
		    i < in_use->len ? g_ptr_array_index(in_use, i)
		                    : g_ptr_array_index(kept, i - in_use->len);
		const char *was = g_hash_table_lookup(known, c->slug);
		const char *name;
		gint64 emptied;
		gboolean unknown = FALSE;
		g_autofree char *value = NULL;
		g_autofree char *key = g_strconcat(prefix, c->slug, NULL);

		/* a name still not known stays so while it is kept */
		if (i >= in_use->len)
			scope_record(was, &emptied, &name, &unknown);
		value = g_strdup_printf("%" G_GINT64_FORMAT " %s%s", c->emptied,
		                        unknown ? UNKNOWN_NAME : "", c->name);

		if (g_strcmp0(was, value) != 0 &&
		    !evf_store_set_meta(store, key, value, error))
			return FALSE;
	}
	return TRUE;
}

/* Records under @prefix each key of @now (string → string) whose value
 * @known (as the state had them) does not hold. */
static gboolean
record_changed(EvfStore *store, const char *prefix, GHashTable *known,
               GHashTable *now, GError **error)
{
	GHashTableIter it;
	gpointer k, value;

	g_hash_table_iter_init(&it, now);
	while (g_hash_table_iter_next(&it, &k, &value)) {
		g_autofree char *key = g_strconcat(prefix, k, NULL);

		if (g_strcmp0(g_hash_table_lookup(known, k), value) != 0 &&
		    !evf_store_set_meta(store, key, value, error))
			return FALSE;
	}
	return TRUE;
}

/* Records under @prefix the values of @now (key → value) where the state
 * had others (@known), and lets go of those of @known not in @now (an
 * empty value). */
static gboolean
record_map(EvfStore *store, const char *prefix, GHashTable *known,
           GHashTable *now, GError **error)
{
	GHashTableIter it;
	gpointer k, value;

	if (!record_changed(store, prefix, known, now, error))
		return FALSE;
	g_hash_table_iter_init(&it, known);
	while (g_hash_table_iter_next(&it, &k, &value)) {
		g_autofree char *key = g_strconcat(prefix, k, NULL);

		if (((const char *)value)[0] != '\0' &&
		    !g_hash_table_contains(now, k) &&
		    !evf_store_set_meta(store, key, "", error))
			return FALSE;
	}
	return TRUE;
}

/* Appends to @changed the paths in @untold (a path a line; nullable)
 * that it does not hold, and that are in the folder @dir (nullable: any):
 * the feeds a build put in place and then ended before it could tell the
 * hub of them (it failed, or was killed, after its renames), whose bytes
 * no later build changes again. (One killed before its renames leaves
 * some that are as they were, or not there: the hub is told of none that
 * is not.) */
static void
take_untold(const char *untold, GPtrArray *changed, const char *dir)
{
	g_auto(GStrv) lines =
	    untold != NULL ? g_strsplit(untold, "\n", -1) : NULL;

	for (guint i = 0; lines != NULL && lines[i] != NULL; i++) {
		g_autofree char *path =
		    dir != NULL ? g_build_filename(dir, lines[i], NULL) : NULL;

		if (lines[i][0] != '\0' &&
		    !g_ptr_array_find_with_equal_func(changed, lines[i],
		                                      g_str_equal, NULL) &&
		    (path == NULL || g_file_test(path, G_FILE_TEST_IS_REGULAR)))
			g_ptr_array_add(changed, g_strdup(lines[i]));
	}
}

/* (transfer full): @untold with the feeds @stage is to put in place: what
 * the hub is to be told of once they are, should this build end first. */
static char *
announcing(const char *untold, const EvfStage *stage)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func(g_free);

	take_untold(untold, feeds, NULL);
	evf_stage_paths(stage, paths);
	for (guint i = 0; i < paths->len; i++) {
		char *path = g_ptr_array_index(paths, i);

		if (evf_websub_is_feed(path) &&
		    !g_ptr_array_find_with_equal_func(feeds, path, g_str_equal,
		                                      NULL))
			g_ptr_array_add(feeds, g_strdup(path));
	}
	g_ptr_array_add(feeds, NULL);
	return g_strjoinv("\n", (char **)feeds->pdata);
}

static gboolean
build_once(const EvfConfig *cfg, EvfCatalogCache *cache, gint64 now,
           EvfBuildFlags flags, const char *damaged, GPtrArray *diags,
           EvfBuildStats *stats, GError **error)
{
	/* released last, after the stage has removed what it left */
	g_auto(EvfBuildLock) lock = -1;
	g_autofree char *events_digest = NULL;
	g_autofree char *digest = NULL;
	g_autofree char *old_digest = NULL;
	g_autofree char *old_until = NULL;
	g_autofree char *old_judged = NULL;
	g_autofree char *partners_rev = NULL;
	g_autoptr(GHashTable) partners = NULL;
	g_autoptr(GPtrArray) local = NULL;
	g_autofree char *old_manifest = NULL;
	g_autofree char *old_site = NULL;
	g_autofree char *publishing = NULL;
	g_autofree char *untold = NULL;  /* "announcing": take_untold */
	g_autofree char *telling = NULL; /* what this build records there */
	g_autofree char *manifest = NULL;
	g_autofree char *state_dir = g_path_get_dirname(cfg->state_path);
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(GPtrArray) events = NULL;
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(GPtrArray) kept = NULL;
	g_autoptr(GPtrArray) cats = NULL;
	g_autoptr(GHashTable) known = NULL;
	g_autoptr(GHashTable) members = NULL;
	g_autoptr(GHashTable) known_series = NULL;
	g_autoptr(GHashTable) series_changed = NULL;
	g_autoptr(GHashTable) source_members = NULL;
	g_autoptr(GHashTable) dated_members = NULL;
	g_autoptr(GHashTable) source_dated = NULL;
	g_autoptr(GHashTable) site_dated = NULL;
	g_autoptr(GPtrArray) site_scope = NULL; /* the site as a category */
	EvfCategory *site = NULL;               /* (its one: borrowed) */
	g_autoptr(GPtrArray) kept_sources = NULL;
	g_autoptr(GPtrArray) sources = NULL;
	g_autoptr(GHashTable) known_sources = NULL;
	g_autoptr(GHashTable) known_floors = NULL;
	g_autofree char *old_tba = NULL; /* tba_record, the last build's */
	g_autofree char *tba_now = NULL;
	g_autofree char *old_tag = NULL; /* the feeds' ids' beginning */
	g_autofree char *tag_now = NULL;
	gboolean tag_stored; /* old_tag as the state keeps it */
	g_autoptr(GHashTable) floors = NULL;
	g_autoptr(EvfStore) store = NULL;
	g_autoptr(GError) why = NULL;      /* the state's, when damaged */
	g_autoptr(GPtrArray) early = NULL; /* the diagnostics of local */
	gboolean seeding;                  /* seed_needed */
	g_autoptr(EvfStoreTrack) track = NULL;
	g_autoptr(EvfStage) stage = NULL;
	g_auto(EvfMergeIds) ids = { 0 };
	/* slug → UID of the one-event calendars, read as a new state is
	 * seeded (seed_aliases) */
	g_autoptr(GHashTable) slugs =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) stale = NULL;
	gint64 updated = 0;
	gint64 let_go = G_MAXINT64;

	evf_build_stats_clear(stats);
	stats->changed = g_ptr_array_new_with_free_func(g_free);
	{
		/* the zone facts kept of another tzdata are not used (a
		 * daemon across an update: evf_tz_data_seen) */
		g_autofree char *tzdata = evf_tz_data_version();

		evf_tz_data_seen(tzdata);
	}
	/* Before the event files are read: a build that read them and then
	 * waited for another to end would publish what it read over what
	 * the other published of a later edit. (A state folder not there
	 * yet has no build in it, and is made once the files are good.) */
	if (g_file_test(state_dir, G_FILE_TEST_IS_DIR) &&
	    !build_lock(state_dir, flags & EVF_BUILD_WAIT, &lock, error))
		return FALSE;
	files = evf_catalog_read(cfg, cache, diags, &events_digest, error);
	if (files == NULL)
		return FALSE;
	if (evf_diags_errors(diags) > 0) {
		/* A file that cannot be read: the others' errors are told
		 * too, all at once, as by `evfeed check`. */
		g_autoptr(GPtrArray) unused =
		    evf_catalog_parse(cfg, cache, files, now, diags);

		return FALSE;
	}
	/* No state yet (a new site, or one lost): the files are checked
	 * before one is made and seeded, so that a build that finds an
	 * error leaves none behind. (With a state, an unchanged build
	 * parses nothing.) */
	if (!g_file_test(cfg->state_path, G_FILE_TEST_EXISTS)) {
		local = evf_catalog_parse(cfg, cache, files, now, diags);
		if (local == NULL)
			return FALSE;
	}
	if (g_mkdir_with_parents(state_dir, 0755) < 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "cannot create the state folder '%s': %s",
		            state_dir, g_strerror(e));
		return FALSE;
	}
	if (lock < 0 &&
	    !build_lock(state_dir, flags & EVF_BUILD_WAIT, &lock, error))
		return FALSE;
	store = damaged == NULL ? evf_store_open_in_place(cfg->state_path, &why)
	                        : NULL;
	if (store == NULL) {
		g_autofree char *shown = NULL;
		g_autofree char *note = NULL;

		if (damaged == NULL &&
		    !g_error_matches(why, EVF_ERROR, EVF_ERROR_DAMAGED)) {
			g_propagate_error(error, g_steal_pointer(&why));
			return FALSE;
		}
		if (damaged == NULL)
			damaged = why->message;
		/* A damaged state is moved aside and a new one seeded from
		 * the output only by a build that can go on with it: one that
		 * finds an error in the event files leaves it as it is. */
		shown = evf_catalog_display_path(cfg->state_path);
		if (local == NULL)
			local =
			    evf_catalog_parse(cfg, cache, files, now, diags);
		if (local == NULL) {
			evf_diags_warn(diags, shown, 0, 0,
			               "%s; left as it is until a build "
			               "without errors",
			               damaged);
			return FALSE;
		}
		note = evf_store_set_aside(cfg->state_path, damaged);
		if (note == NULL) {
			g_set_error(error, EVF_ERROR, EVF_ERROR_DAMAGED,
			            "%s; cannot move it aside", damaged);
			return FALSE;
		}
		evf_diags_warn(diags, shown, 0, 0, "%s", note);
		store = evf_store_open_in_place(cfg->state_path, error);
		if (store == NULL)
			return FALSE;
	}
	/* (the files checked first, so that a build that finds an error
	 * leaves the state as it was; their warnings told only if the build
	 * is not skipped, as when they are read then) */
	seeding = seed_needed(cfg, store);
	if (local == NULL && seeding) {
		early = evf_diags_new();
		local = evf_catalog_parse(cfg, cache, files, now, early);
		if (local == NULL || evf_diags_errors(early) > 0) {
			g_ptr_array_extend_and_steal(diags,
			                             g_steal_pointer(&early));
			return FALSE;
		}
	}
	if (seeding && !seed_from_output(cfg, store, slugs, diags, error))
		return FALSE;
	/* Temporary files of a build that was killed go first, whatever
	 * this build then does. */
	evf_publish_clean(cfg->output_dir);

	untold = evf_store_get_meta(store, "announcing");
	partners_rev = evf_partner_revision(store);
	digest = inputs_digest(cfg, events_digest, partners_rev);
	old_digest = evf_store_get_meta(store, "inputs");
	old_manifest = evf_store_get_meta(store, "manifest");
	old_site = evf_store_get_meta(store, "uid-site");
	old_tag = evf_store_get_meta(store, "feed-tag");
	tag_stored = old_tag != NULL;
	/* (a state from before it was kept: the host from the identities'
	 * record, uid-site, "HOST/PATH"; the date as it is now) */
	if (old_tag == NULL && old_site != NULL && strchr(old_site, '/'))
		old_tag = g_strdup_printf(
		    "tag:%.*s,%s:", (int)(strchr(old_site, '/') - old_site),
		    old_site, cfg->tag_date);
	tag_now = g_strdup_printf("tag:%s,%s:", cfg->host, cfg->tag_date);
	old_until = evf_store_get_meta(store, "until");
	old_judged = evf_store_get_meta(store, "judged");
	publishing = evf_store_get_meta(store, "publishing");
	/* The same inputs give the same output until an event in it ends,
	 * which changes the pages (and, with past_days, the calendars). */
	if (old_until != NULL)
		stats->until = g_ascii_strtoll(old_until, NULL, 10);
	/* (and not after a build whose clock was ahead: its times are taken
	 * back; nor when the clock is now behind the time the output was
	 * judged at, when what had ended may not have yet; nor after a build
	 * killed while it published, whose files may stand where those of
	 * the manifest did, of the same sizes, for other inputs) */
	if (g_strcmp0(digest, old_digest) == 0 && old_manifest != NULL &&
	    (publishing == NULL || publishing[0] == '\0') &&
	    old_until != NULL && now < stats->until && old_judged != NULL &&
	    now >= g_ascii_strtoll(old_judged, NULL, 10) &&
	    !evf_store_is_ahead(store, now) &&
	    evf_publish_manifest_present(cfg->output_dir, old_manifest)) {
		g_autofree char *count = evf_store_get_meta(store, "events");

		stats->skipped = TRUE;
		/* as the build that made the output counted them, partners'
		 * events too; the files read, from a state before the count
		 * was kept */
		stats->events = count != NULL
		                    ? (guint)g_ascii_strtoull(count, NULL, 10)
		                    : files->len;
		stats->manifest = g_steal_pointer(&old_manifest);
		stats->digest = g_steal_pointer(&digest);
		if (untold != NULL && untold[0] != '\0' &&
		    !evf_store_set_meta(store, "announcing", "", error))
			return FALSE;
		take_untold(untold, stats->changed, cfg->output_dir);
		return TRUE;
	}

	if (early != NULL)
		g_ptr_array_extend_and_steal(diags, g_steal_pointer(&early));
	if (local == NULL)
		local = evf_catalog_parse(cfg, cache, files, now, diags);
	if (local == NULL)
		return FALSE;
	warn_emptied(cfg, store, local, diags);
	partners = evf_partner_items(cfg, store);
	warn_read_otherwise(cfg, store, diags);
	ids.published = evf_store_published_uids(store);
	ids.aliases = evf_store_get_meta_prefixed(store, "alias/");
	ids.added = g_ptr_array_new_with_free_func(g_free);
	ids.owners = evf_store_get_meta_prefixed(store, "uid-owner/");
	ids.published_for = evf_store_get_meta_prefixed(store, "for/");
	if (g_hash_table_size(slugs) > 0)
		seed_aliases(slugs, local, &ids);
	warn_alias_claimed(local, &ids, diags);
	events = evf_merge(cfg, local, partners, &ids);
	track = evf_store_track_prepare(store, events, now, &updated, error);
	if (track == NULL)
		return FALSE;
	if (evf_store_track_ahead(track) > 0)
		warn_clock_behind(cfg, evf_store_track_ahead(track), now, TRUE,
		                  diags);
	else if (evf_store_track_later(track) > 0)
		warn_clock_behind(cfg, evf_store_track_later(track), now, FALSE,
		                  diags);
	warn_published_later(events, diags);
	warn_name_reused(local, track, diags);
	known_series = evf_store_get_meta_prefixed(store, "series/");
	series_changed =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	series_times(events, known_series, &ids, series_changed);
	cats = evf_render_categories(events);
	members = evf_store_get_meta_prefixed(store, "members/");
	members_changed(cats, members, updated, now, FALSE);
	/* The calendars change with their dated events alone: a tba
	 * event's edit moves the feeds, not them (their LAST-MODIFIED) */
	dated_members = evf_store_get_meta_prefixed(store, "dated-members/");
	members_changed(cats, dated_members, updated, now, TRUE);
	site = evf_category_new_emptied("", "", 0);
	g_ptr_array_extend(site->events, events, NULL, NULL);
	site_scope = g_ptr_array_new_with_free_func(evf_category_free);
	g_ptr_array_add(site_scope, site);
	site_dated = evf_store_get_meta_prefixed(store, "dated-site/");
	members_changed(site_scope, site_dated, updated, now, TRUE);
	known = evf_store_get_meta_prefixed(store, "category/");
	warn_category_taken(cfg, local, cats, known, now, diags);
	warn_category_moved(cfg, local, cats, known, diags);
	kept =
	    kept_scopes(known, cats, category_slug_ok, updated, now, &let_go);
	sources = evf_render_source_lists(cfg, events);
	source_members = evf_store_get_meta_prefixed(store, "source-members/");
	members_changed(sources, source_members, updated, now, FALSE);
	source_dated =
	    evf_store_get_meta_prefixed(store, "dated-source-members/");
	members_changed(sources, source_dated, updated, now, TRUE);
	known_sources = evf_store_get_meta_prefixed(store, "source/");
	known_floors = evf_store_get_meta_prefixed(store, "feed-floor/");
	/* (a copy, which gets this build's) */
	floors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	{
		GHashTableIter it;
		gpointer k, v;

		g_hash_table_iter_init(&it, known_floors);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_insert(floors, g_strdup(k), g_strdup(v));
	}
	old_tba = evf_store_get_meta(store, "tba-events");
	tba_now = tba_record(events);
	/* (a source that lists nothing leaves the site as it was: its 90
	 * days count from this build, not from the site's last change) */
	kept_sources =
	    kept_scopes(known_sources, sources, evf_config_source_name_ok,
	                MAX(updated, now), now, &let_go);
	/* Each file is written beside its final name as soon as it is
	 * made, and let go: memory holds what is being made, not the
	 * site. */
	stage = evf_stage_new(cfg->output_dir);
	if (flags & EVF_BUILD_AT_ONCE)
		evf_stage_at_once(stage);
	{
		EvfGzipper *gz =
		    evf_gzipper_new(cfg->output_dir, compress_file, stage);
		g_autoptr(GPtrArray) siblings = NULL;
		guint tba;

		out = evf_render_site(
		    cfg, events, cats, sources, kept, kept_sources, updated,
		    site->dated_changed, now, floors, &stats->until, gz, error);
		siblings = evf_gzipper_finish(gz);
		if (out == NULL)
			return FALSE;
		stats->until = MIN(stats->until, let_go);
		warn_large_outputs(cfg, out, events, now, diags);
		tba = warn_tba_identity(
		    old_tba, events,
		    old_site != NULL && g_strcmp0(old_site, cfg->uid_site) != 0,
		    track, diags);

		if (old_manifest != NULL) {
			warn_withdrawn(cfg, old_manifest, out, local, events,
			               now, diags);
			warn_uid_changed(cfg, old_site, old_manifest, local,
			                 events, tba, track, diags);
		}
		if (old_tag != NULL && strcmp(old_tag, tag_now) != 0)
			warn_feed_ids_changed(cfg, old_tag, diags);
		g_ptr_array_extend_and_steal(out, g_steal_pointer(&siblings));
	}

	/* What is about to be published is recorded first: if this build is
	 * killed after its renames but before it records the manifest, the
	 * next one still knows which files it may have left. */
	manifest = evf_publish_manifest(out);
	/* The events' new SEQUENCE, LAST-MODIFIED and first-seen times
	 * are recorded once every file is written, flushed and dated, as
	 * they are about to be published: not by a build that failed
	 * before; and from then on a Ctrl-C or a kill waits until the
	 * files are in place (evf_stage_date). */
	/* (nor from a state read in part: a damaged page read as an empty
	 * one; evf_build_run builds again with a new state) */
	if (!evf_store_read_ok(store, error) || !evf_stage_date(stage, error) ||
	    !evf_store_track_save(store, track, error))
		return FALSE;
	telling = announcing(untold, stage);
	{
		g_autofree char *both =
		    g_strconcat(old_manifest ? old_manifest : "",
		                publishing ? publishing : "", NULL);
		stale = manifest_paths(both);
	}
	/* (the announcements written only when they change: most builds
	 * have nothing left to tell, and change no feed) */
	if (!evf_store_set_meta(store, "publishing", manifest, error) ||
	    (g_strcmp0(telling, untold != NULL ? untold : "") != 0 &&
	     !evf_store_set_meta(store, "announcing", telling, error)) ||
	    !evf_stage_commit(stage, (const char *const *)stale,
	                      &stats->written, stats->changed, error)) {
		/* Nothing put in place (the renames put back): nothing is
		 * being published (a build that finds the same inputs may
		 * skip), the feeds to tell of are those they were, and the
		 * edits are not published yet: the next build that
		 * publishes them gives them their SEQUENCE and their time,
		 * once, and one put back before it was never published. */
		if (evf_stage_untouched(stage)) {
			if (g_strcmp0(telling, untold != NULL ? untold : "") !=
			    0)
				(void)evf_store_set_meta(
				    store, "announcing",
				    untold != NULL ? untold : "", NULL);
			(void)evf_store_set_meta(
			    store, "publishing",
			    publishing != NULL ? publishing : "", NULL);
			(void)evf_store_track_undo(store, track, NULL);
		}
		return FALSE;
	}
	stats->events = events->len;
	{
		g_autofree char *count = g_strdup_printf("%u", events->len);
		g_autofree char *own = g_strdup_printf("%u", local->len);
		g_autofree char *until =
		    g_strdup_printf("%" G_GINT64_FORMAT, stats->until);
		g_autofree char *judged =
		    g_strdup_printf("%" G_GINT64_FORMAT, now);
		g_autofree char *stamp = published_stamp(cfg);

		if (!evf_store_set_meta(store, "manifest", manifest, error) ||
		    !evf_store_set_meta(store, "publishing", "", error) ||
		    !evf_store_set_meta(store, "events", count, error) ||
		    !evf_store_set_meta(store, "local_events", own, error) ||
		    !evf_store_set_meta(store, "until", until, error) ||
		    !evf_store_set_meta(store, "judged", judged, error) ||
		    !evf_store_set_meta(store, "published", stamp, error) ||
		    !record_scopes(store, "category/", known, cats, kept,
		                   error) ||
		    !record_members(store, "members/", members, cats, FALSE,
		                    error) ||
		    !record_members(store, "source-members/", source_members,
		                    sources, FALSE, error) ||
		    !record_members(store, "dated-members/", dated_members,
		                    cats, TRUE, error) ||
		    !record_members(store, "dated-source-members/",
		                    source_dated, sources, TRUE, error) ||
		    !record_members(store, "dated-site/", site_dated,
		                    site_scope, TRUE, error) ||
		    !record_scopes(store, "source/", known_sources, sources,
		                   kept_sources, error) ||
		    !record_aliases(store, &ids, error) ||
		    /* which source each partner's UID given as is
		     * belongs to, and which listing each UID published
		     * for another than its own went out for */
		    !record_map(store, "uid-owner/", ids.owners, ids.owned,
		                error) ||
		    !record_map(store, "for/", ids.published_for,
		                ids.published_now, error) ||
		    !record_series(store, series_changed, error) ||
		    !record_changed(store, "feed-floor/", known_floors, floors,
		                    error) ||
		    (g_strcmp0(old_tba, tba_now) != 0 &&
		     !evf_store_set_meta(store, "tba-events", tba_now,
		                         error)) ||
		    !evf_store_set_meta(store, "inputs", digest, error) ||
		    (g_strcmp0(old_site, cfg->uid_site) != 0 &&
		     !evf_store_set_meta(store, "uid-site", cfg->uid_site,
		                         error)) ||
		    ((!tag_stored || strcmp(old_tag, tag_now) != 0) &&
		     !evf_store_set_meta(store, "feed-tag", tag_now, error)) ||
		    (telling[0] != '\0' &&
		     !evf_store_set_meta(store, "announcing", "", error)))
			return FALSE;
	}
	take_untold(untold, stats->changed, cfg->output_dir);
	stats->files = out->len;
	stats->manifest = g_steal_pointer(&manifest);
	stats->digest = g_steal_pointer(&digest);
	return TRUE;
}

gboolean
evf_build_run(const EvfConfig *cfg, EvfCatalogCache *cache, gint64 now,
              EvfBuildFlags flags, GPtrArray *diags, EvfBuildStats *stats,
              GError **error)
{
	guint before = diags->len;
	GError *first = NULL;

	if (build_once(cfg, cache, now, flags, NULL, diags, stats, &first))
		return TRUE;
	/* The state damaged where opening it does not look (a page deep in
	 * the file): the build is made again with a new one, seeded from
	 * what was published (the damaged one moved aside, as one that
	 * cannot be opened is), rather than failing on every build. */
	if (g_error_matches(first, EVF_ERROR, EVF_ERROR_DAMAGED)) {
		g_autoptr(GError) damaged = first;

		g_ptr_array_set_size(diags, before);
		return build_once(cfg, cache, now, flags, damaged->message,
		                  diags, stats, error);
	}
	if (first != NULL)
		g_propagate_error(error, first);
	return FALSE;
}
