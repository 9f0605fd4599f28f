/*
 * daemon.c: see daemon.h.
 *
 * Changes to the events folder and the config file are watched with
 * GFileMonitor and coalesced for a short moment, then rebuilt. A rebuild
 * that fails (an invalid edit, a full disk) is logged with the same
 * diagnostics as `evfeed check`, and the last good snapshot stays served:
 * a subscriber never sees a partial or empty calendar. SIGHUP reloads the
 * config the same way; a config that does not load keeps the old one.
 */
#include "autoconf.h"
#include "daemon.h"

#include "build.h"
#include "config.h"
#include "fetch.h"
#include "httpd.h"
#include "partner.h"
#include "store.h"
#include "snapshot.h"
#include "util.h"
#include "websub.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SETTLE_MS        50   /* coalesce bursts of file events */
#define RELOAD_MS        250  /* the same for the configuration */
#define GRACE_MS         3000 /* for responses in flight at shutdown */
#define PING_SECS        10   /* for one WebSub ping */
#define PING_TRIES       5    /* retries after 2, 8, 32 and 128 s */
#define RETRY_SECS       60   /* the shortest [source] interval */
#define RETRY_BUILD_SECS 10   /* after a build failed, not on the events */
/* how often the state is looked at for builds by another evfeed (cron) */
#define LOOK_SECS 5
/* how far time() (CLOCK_REALTIME_COARSE), which the answers' Date is read
 * from, may lag the clock: a tick */
#define COARSE_CLOCK_US 10000
#define CLOCK_STEP_US   (2 * G_USEC_PER_SEC) /* a step of the wall clock */

/* The numbers a file is known by in file_stamp(). */
#define STAMP_SIZE 6

typedef struct {
	char *config_path;
	char *listen; /* the override, or NULL */
	EvfConfig *cfg;
	EvfCatalogCache *cache; /* for cfg */
	EvfHttpd *httpd;
	EvfSnapshot *snap;
	char *digest;      /* of the inputs snap was built from */
	char *manifest;    /* the files snap was read from */
	gint64 due;        /* wall-clock s: evf_snapshot_due(snap) */
	char *seen;        /* the state's inputs follow_builds last acted on */
	char *partners;    /* the state's partner revision (evf_partner_
	                    * revision) when the last build began */
	gint64 retry_at;   /* monotonic µs: a failed build is tried again */
	gint64 put_in;     /* wall-clock s: the last build put files in place */
	gint64 took;       /* µs: how long that build took */
	gboolean failed;   /* the last build failed */
	gint64 until;      /* wall-clock µs: an event ends, and the pages
	                    * change with it; 0: none */
	gint64 looked_at;  /* monotonic µs: the state's last build looked at */
	gint64 statted_at; /* monotonic µs: the event files looked at */
	gboolean state_said; /* that the state cannot be opened, told */
	GFileMonitor *events_monitor;
	guint64 events_id[2]; /* device and inode it watches; 0: none */
	guint64 config_id[2]; /* those of the configuration, likewise */
	guint64 state_id[2];  /* those of the state d->store has open */
	/* the configuration file as the last reload read it (file_stamp),
	 * to read it again when it changes, whether or not a monitor was
	 * there to hear of it */
	guint64 config_stamp[STAMP_SIZE];
	GFileMonitor *events_path_monitor; /* the folder's name */
	GFileMonitor *config_monitor;
	GFileMonitor *target_monitor; /* nullable: the file a linked config
	                               * names */
	guint rebuild_source;
	guint reload_source;
	EvfStore *store; /* for the partner sources */
	EvfFetcher *fetcher;
	EvfWebsub *websub;
	GHashTable *in_flight; /* source name -> the URL being fetched */
	GHashTable *started;   /* source URL -> monotonic start of its fetch */
	guint tick;
	gint64 skew; /* wall clock − boot clock at the last tick, µs; 0: none */
	GMainLoop *loop;
	gboolean stopping; /* SIGTERM or SIGINT came */
	int status;
} Daemon;

/* Tells systemd (when it started us with Type=notify) how we are. */
static void
sd_notify(const char *state)
{
	const char *path = g_getenv("NOTIFY_SOCKET");
	g_autoptr(GSocket) sock = NULL;
	g_autoptr(GSocketAddress) addr = NULL;

	if (path == NULL || path[0] == '\0')
		return;
	sock =
	    g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, 0, NULL);
	if (sock == NULL)
		return;
	if (path[0] == '@')
		addr = g_unix_socket_address_new_with_type(
		    path + 1, -1, G_UNIX_SOCKET_ADDRESS_ABSTRACT);
	else
		addr = g_unix_socket_address_new(path);
	g_socket_send_to(sock, addr, state, strlen(state), NULL, NULL);
}

static void
log_diags(GPtrArray *diags)
{
	evf_diags_print(diags, stderr);
}

/* Swaps in a snapshot of what the output folder now holds. */
/* Waits, from @now (µs), for the second @at to begin as the answers' Date
 * reads it: time(), which libmicrohttpd dates them by, reads a coarse
 * clock that turns a few ms after the precise one. Old answers are then
 * dated before @at, and new ones no earlier (RFC 9110 §8.8.2.1). */
static void
wait_for_second(gint64 at, gint64 now)
{
	if (at * G_USEC_PER_SEC > now)
		g_usleep((gulong)(at * G_USEC_PER_SEC - now));
	for (guint i = 0; i < COARSE_CLOCK_US / 100 && time(NULL) < at; i++)
		g_usleep(100);
}

static gboolean
publish_snapshot(Daemon *d, const char *manifest, gboolean fresh)
{
	g_autoptr(GError) error = NULL;
	EvfSnapshot *snap;
	gint64 dated;

	snap = evf_snapshot_load(d->cfg->output_dir, manifest,
	                         d->cfg->refresh_seconds, d->cfg->hub,
	                         d->cfg->url, fresh ? NULL : d->snap, &error);
	if (snap == NULL) {
		g_warning("cannot load the output: %s; still serving the "
		          "previous version",
		          error->message);
		return FALSE;
	}
	/* The previous version was served while the build ran and this
	 * one was read: a new one is dated after the second it was last
	 * answered in, and served (its file dated too) once that second has
	 * begun, at once on a quiet site. Every build, this server's own
	 * too, dates its files when it puts them in place, after the
	 * versions they replace, for the web servers that read the folder
	 * (evf_stage_commit); this server's own without waiting for that
	 * second (EVF_BUILD_AT_ONCE): read before it, such a file is dated
	 * in the second it was read in (an If-Modified-Since of it answered
	 * in full), and read anew once its own begins (d->due). */
	{
		gint64 now = g_get_real_time();

		dated = evf_snapshot_date_changes(snap, d->snap,
		                                  now / G_USEC_PER_SEC);
		if (dated > now / G_USEC_PER_SEC)
			wait_for_second(dated, now);
	}
	if (d->httpd != NULL)
		evf_httpd_set_snapshot(d->httpd, snap);
	evf_snapshot_unref(d->snap);
	d->snap = snap;
	if (manifest != d->manifest) {
		g_free(d->manifest);
		d->manifest = g_strdup(manifest);
	}
	d->due = evf_snapshot_due(snap);
	if (dated > 0)
		evf_snapshot_date_files(snap, d->cfg->output_dir);
	return TRUE;
}

static gboolean
rebuild(Daemon *d, gboolean fresh)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(GError) error = NULL;
	g_auto(EvfBuildStats) st = { 0 };
	gint64 passes, began;

	d->retry_at = 0;
	/* (before the build reads them: a fetch made meanwhile by another
	 * evfeed is built again, see follow_builds) */
	if (d->store != NULL) {
		g_free(d->partners);
		d->partners = evf_partner_revision(d->store);
	}
	began = g_get_real_time();
	if (!evf_build_run(d->cfg, d->cache, began, EVF_BUILD_AT_ONCE, diags,
	                   &st, &error)) {
		/* A full disk, a locked state or another build under way
		 * passes: the build is tried again (an error in the events
		 * waits for the next edit). */
		gboolean serving = d->snap != NULL;
		const char *served;

		/* Nothing served yet (the first build): the output of the
		 * last that succeeded, if any, while the errors are fixed. */
		if (!serving) {
			g_autofree char *last = evf_build_last_manifest(d->cfg);

			if (last != NULL)
				(void)publish_snapshot(d, last, TRUE);
		}
		served = serving ? "still serving the previous version"
		         : d->snap != NULL ? "serving the output of the last "
		                             "build that succeeded"
		                           : "nothing built to serve yet";

		log_diags(diags);
		d->failed = TRUE;
		if (error != NULL) {
			d->retry_at = g_get_monotonic_time() +
			              RETRY_BUILD_SECS * G_USEC_PER_SEC;
			g_warning("build failed: %s; %s, trying again in %d s",
			          error->message, served, RETRY_BUILD_SECS);
		} else if ((passes = evf_diags_pass_at(diags)) > 0) {
			/* time alone mends them: built again then */
			g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(
			    passes / G_USEC_PER_SEC);
			g_autofree char *when =
			    at != NULL ? g_date_time_format_iso8601(at) : NULL;

			d->until =
			    d->until != 0 ? MIN(d->until, passes) : passes;
			g_warning("%u error%s in the events; %s, building "
			          "again at %s",
			          evf_diags_errors(diags),
			          evf_diags_errors(diags) == 1 ? "" : "s",
			          served, when != NULL ? when : "its time");
		} else {
			g_warning("%u error%s in the events; %s",
			          evf_diags_errors(diags),
			          evf_diags_errors(diags) == 1 ? "" : "s",
			          served);
		}
		return FALSE;
	}
	/* (its renames are just done) */
	if (!st.skipped && st.written > 0) {
		gint64 done = g_get_real_time();

		d->put_in = done / G_USEC_PER_SEC;
		d->took = done - began;
	}
	log_diags(diags);
	d->until = st.until < G_MAXINT64 ? st.until : 0;
	/* Skipped, as another build (evfeed build from cron) made the
	 * output of these inputs first: what is served is still to be
	 * brought up to it. */
	if (!st.skipped || d->snap == NULL || fresh ||
	    g_strcmp0(st.digest, d->digest) != 0) {
		/* (at its start, the output of its own last build, or of
		 * one beside it) */
		gboolean first = d->snap == NULL;

		if (!publish_snapshot(d, st.manifest, fresh))
			return FALSE;
		g_free(d->digest);
		d->digest = g_strdup(st.digest);
		if (st.skipped)
			g_message("serving the %u event%s %s", st.events,
			          st.events == 1 ? "" : "s",
			          first ? "published before"
			                : "another build published");
		else
			g_message("published %u event%s (%u file%s changed)",
			          st.events, st.events == 1 ? "" : "s",
			          st.written, st.written == 1 ? "" : "s");
	} else if (d->failed) {
		/* the errors undone: the output served is that of these
		 * inputs, and the log's last word must not be the errors */
		g_message("the events build again, as they are served: "
		          "serving the %u event%s",
		          st.events, st.events == 1 ? "" : "s");
	}
	d->failed = FALSE;
	/* Only now that the new bytes are served: the hub fetches them
	 * as soon as it is told. */
	if (d->cfg->hub != NULL) {
		g_autoptr(GPtrArray) topics =
		    evf_websub_topics(d->cfg, st.changed);

		if (topics->len > 0)
			evf_websub_publish(d->websub, d->cfg->hub, topics);
	}
	return TRUE;
}

static void
update_status(Daemon *d)
{
	g_autoptr(GBytes) json = NULL;

	if (d->httpd == NULL || d->store == NULL)
		return;
	json = evf_partner_status_json(d->cfg, d->store, g_get_real_time());
	evf_httpd_set_status(d->httpd, json);
}

static void schedule_rebuild(Daemon *d);

/* Whether @res is of a source as now configured: not of one removed by a
 * reload while it was being fetched, nor of a URL that a reload replaced
 * (the new one is fetched at once, see on_tick), and the state is there to
 * take it. */
static gboolean
result_is_current(Daemon *d, EvfFetchResult *res)
{
	const EvfSourceConfig *src = evf_config_source(d->cfg, res->name);

	return src != NULL && g_strcmp0(src->url, res->url) == 0 &&
	       d->store != NULL;
}

/* The fetch of @res is over; another of its source, of a new URL, may
 * still be in flight. */
static void
fetch_ended(Daemon *d, EvfFetchResult *res)
{
	if (g_strcmp0(g_hash_table_lookup(d->in_flight, res->name), res->url) ==
	    0)
		g_hash_table_remove(d->in_flight, res->name);
}

static void
on_parsed(EvfPartnerParse *job, gpointer data)
{
	Daemon *d = data;
	g_autoptr(EvfPartnerParse) owned = job;
	EvfFetchResult *res = evf_partner_parse_result(job);
	GPtrArray *notes = evf_partner_parse_notes(job);
	g_autofree char *why = NULL;
	gboolean changed = FALSE;
	gboolean ok;

	fetch_ended(d, res);
	if (!result_is_current(d, res))
		return;
	ok = evf_partner_apply_parsed(d->cfg, d->store, job, &changed, &why);
	for (guint i = 0; i < notes->len; i++) {
		g_autofree char *shown =
		    evf_log_escape(g_ptr_array_index(notes, i));
		g_warning("source %s: %s", res->name, shown);
	}
	if (!ok) {
		g_autofree char *shown = evf_log_escape(why);
		g_warning("source %s: %s; keeping its last good items",
		          res->name, shown);
	}
	if (changed)
		schedule_rebuild(d);
	update_status(d);
}

/* The body is parsed off the loop, which keeps serving meanwhile. */
static void
on_fetched(EvfFetchResult *res, gpointer data)
{
	Daemon *d = data;

	if (!result_is_current(d, res)) {
		fetch_ended(d, res);
		evf_fetch_result_free(res);
		return;
	}
	evf_partner_parse_async(d->cfg, d->store, res, g_get_real_time(),
	                        on_parsed, d);
}

/* The boot clock, µs: as the monotonic clock, but going on while the
 * machine sleeps, as the wall clock does. */
static gint64
boot_time(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		return g_get_monotonic_time();
	return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The fetch times in the state are wall-clock times. When the wall clock
 * steps (set by hand, or by NTP after a long time off), they move with it,
 * so that the fetches keep to their intervals (HARDENING.md E9): a clock
 * set back an hour would otherwise hold every fetch back an hour, one set
 * a day ahead make all of them due at once. Slewing, a few µs a second,
 * is not a step. */
static void
follow_clock(Daemon *d, gint64 now)
{
	gint64 skew = now - boot_time();
	gint64 step = skew - d->skew;
	g_autoptr(GError) error = NULL;

	if (d->skew != 0 && ABS(step) > CLOCK_STEP_US) {
		g_message("the clock moved %+.0f s: the partner sources' fetch "
		          "times move with it%s",
		          (double)step / G_USEC_PER_SEC,
		          step < 0 ? ", and what is past is judged again" : "");
		if (!evf_store_shift_schedules(d->store, step, &error))
			g_warning("%s", error->message);
		/* an event the pages moved to the past at the later time
		 * may not have ended yet (a build skips nothing then) */
		if (step < 0)
			schedule_rebuild(d);
	}
	d->skew = skew;
}

/* The device and inode of the file or folder @path names now, or zeros. */
static void
file_id(const char *path, guint64 id[2])
{
	struct stat st;

	if (stat(path, &st) < 0) {
		id[0] = id[1] = 0;
		return;
	}
	id[0] = st.st_dev;
	id[1] = st.st_ino;
}

/* @path's file (followed through links) as stamp[]: device, inode,
 * modification time (ns), size, mode and owner, or zeros. */
static void
file_stamp(const char *path, guint64 stamp[STAMP_SIZE])
{
	struct stat st;

	if (stat(path, &st) < 0) {
		memset(stamp, 0, STAMP_SIZE * sizeof *stamp);
		return;
	}
	stamp[0] = st.st_dev;
	stamp[1] = st.st_ino;
	stamp[2] = (guint64)st.st_mtim.tv_sec * G_GUINT64_CONSTANT(1000000000) +
	           (guint64)st.st_mtim.tv_nsec;
	stamp[3] = (guint64)st.st_size;
	/* a file made readable to evfeed's user (chmod, chown) */
	stamp[4] = st.st_mode;
	stamp[5] = (guint64)st.st_uid << 32 | st.st_gid;
}

/* Whether @path names another file or folder than @id. */
static gboolean
names_another(const char *path, const guint64 id[2])
{
	guint64 now[2];

	file_id(path, now);
	return now[0] != id[0] || now[1] != id[1];
}

static void watch(Daemon *d);

/* A monitor stays on the folder it was set on: when the events folder is
 * replaced (moved away and another put in its place, or a link on its
 * path pointed at another release), neither the swap nor any later edit
 * in the new folder would be heard of. Each tick looks whether the path
 * names another folder; if so, it is watched and built from. */
static void
follow_events(Daemon *d)
{
	if (!names_another(d->cfg->events_dir, d->events_id))
		return;
	watch(d);
	schedule_rebuild(d);
}

static void reload(Daemon *d);

/* The same for the configuration, when its path names another file
 * than at the last reload, as when a link to the folder that holds it
 * is pointed at another release: the monitors of its name and of the
 * file it links to would not hear of it. And when the file is not as
 * the last reload read it: an edit made while a reload set up its
 * monitors anew is heard of by none. Whether it reloaded. */
static gboolean
follow_config(Daemon *d)
{
	guint64 stamp[STAMP_SIZE];

	file_stamp(d->config_path, stamp);
	if (memcmp(stamp, d->config_stamp, sizeof stamp) == 0 &&
	    !names_another(d->cfg->path, d->config_id))
		return FALSE;
	reload(d);
	return TRUE;
}

/* Opens the state for the partner sources as d->store, and notes which
 * file it is. */
static EvfStore *
open_state(Daemon *d, GError **error)
{
	/* A damaged one is left to the build, which moves it aside once
	 * the event files are good (not while one has an error): opened
	 * again on the next tick. */
	d->store = evf_store_open_in_place(d->cfg->state_path, error);
	file_id(d->cfg->state_path, d->state_id);
	return d->store;
}

/* The state replaced or removed while the server runs (moved aside as
 * damaged by a build, deleted, restored from a backup): the partner
 * sources are fetched into, and read from, the one at its path again,
 * and the site built from it. */
static void
follow_state(Daemon *d)
{
	if (d->store == NULL || !names_another(d->cfg->state_path, d->state_id))
		return;
	g_message("the state '%s' is another file now: opening it",
	          d->cfg->state_path);
	g_clear_pointer(&d->store, evf_store_free);
	if (open_state(d, NULL) != NULL)
		schedule_rebuild(d);
}

/* A build that failed for a passing reason is tried again, and the site
 * built again when an event ends; and one that
 * another evfeed made (`evfeed build` from cron, which records the inputs
 * it built from) is served: a build of the same inputs here is skipped,
 * and swaps in what the folder now holds. */
static void
follow_builds(Daemon *d, gint64 now, gint64 mono)
{
	g_autofree char *inputs = NULL;
	g_autofree char *partners = NULL;

	if (d->retry_at != 0 && mono >= d->retry_at) {
		d->retry_at = 0;
		schedule_rebuild(d);
		return;
	}
	/* An event has ended: the pages move it to the past events. */
	if (d->until != 0 && now >= d->until) {
		d->until = 0;
		schedule_rebuild(d);
		return;
	}
	if (d->rebuild_source != 0 ||
	    mono - d->looked_at < LOOK_SECS * G_USEC_PER_SEC)
		return;
	d->looked_at = mono;
	/* What another evfeed's fetch (`evfeed fetch NAME`, as evfeed(1)
	 * advises to apply a shorter interval at once) found, failing or
	 * not, as `sources` tells it; and the items it changed, which a
	 * fetch here of the same answer would find unchanged, and never
	 * build (once a build here has succeeded). */
	update_status(d);
	if (d->digest == NULL)
		return;
	partners = evf_partner_revision(d->store);
	if (d->partners != NULL && strcmp(partners, d->partners) != 0) {
		g_free(d->partners);
		d->partners = g_steal_pointer(&partners);
		schedule_rebuild(d);
		return;
	}
	inputs = evf_store_get_meta(d->store, "inputs");
	/* once for each: a build here that fails (an invalid edit) would
	 * otherwise be made again every few seconds */
	if (inputs != NULL && strcmp(inputs, d->digest) != 0 &&
	    g_strcmp0(inputs, d->seen) != 0) {
		g_free(d->seen);
		d->seen = g_steal_pointer(&inputs);
		schedule_rebuild(d);
	}
}

/* An event file that changed with no word from the file system (one on
 * NFS or SMB, an edit through a hard link elsewhere): the files are
 * looked at every few seconds too. */
static void
follow_files(Daemon *d, gint64 mono)
{
	if (d->rebuild_source != 0 ||
	    mono - d->statted_at < LOOK_SECS * G_USEC_PER_SEC)
		return;
	d->statted_at = mono;
	if (evf_catalog_cache_stale(d->cfg, d->cache))
		schedule_rebuild(d);
}

/* Follows what changed beside the server, and starts the fetches that are
 * due. */
static gboolean
on_tick(gpointer data)
{
	Daemon *d = data;
	gint64 now = g_get_real_time();
	gint64 mono = g_get_monotonic_time();
	gint64 *started;

	if (d->store == NULL) {
		g_autoptr(GError) error = NULL;

		if (open_state(d, &error) == NULL) {
			/* A damaged one is for a build to move aside, which
			 * it does once the event files are good: one is made
			 * when it is found (an edit of the files makes the
			 * next), and it is said once. */
			if (!d->state_said) {
				g_warning("%s; a build moves it aside once the "
				          "event files are good",
				          error->message);
				d->state_said = TRUE;
				schedule_rebuild(d);
			}
			return G_SOURCE_CONTINUE;
		}
		d->state_said = FALSE;
		g_message("the state can be opened again");
		schedule_rebuild(d);
	}
	follow_clock(d, now);
	/* A version its own build dated ahead, once its second has begun:
	 * served with that date, which If-Modified-Since gets a 304 for */
	if (d->due > 0 && now / G_USEC_PER_SEC >= d->due &&
	    d->manifest != NULL) {
		d->due = 0; /* (a load that fails is not tried every tick) */
		(void)publish_snapshot(d, d->manifest, FALSE);
	}
	follow_events(d);
	/* A reload ticks itself. */
	if (follow_config(d))
		return G_SOURCE_CONTINUE;
	follow_state(d);
	follow_builds(d, now, mono);
	follow_files(d, mono);

	for (guint i = 0; i < d->cfg->sources->len; i++) {
		const EvfSourceConfig *src =
		    g_ptr_array_index(d->cfg->sources, i);
		g_autoptr(EvfSourceState) st = NULL;
		EvfFetchRequest req = { 0 };

		/* The others wait for the next tick. */
		if (g_hash_table_size(d->in_flight) >= evf_partner_window())
			break;
		/* A fetch whose outcome could not be saved (a full disk, a
		 * locked or damaged state) leaves its source due in the state:
		 * it is not fetched again on every tick, but at most once in
		 * the shortest interval, whatever the state says. */
		started = g_hash_table_lookup(d->started, src->url);
		if (g_strcmp0(g_hash_table_lookup(d->in_flight, src->name),
		              src->url) == 0 ||
		    (started != NULL &&
		     mono - *started < RETRY_SECS * G_USEC_PER_SEC) ||
		    !evf_partner_due(src, d->store, now))
			continue;
		st = evf_store_get_source(d->store, src->name);
		evf_partner_request(src, d->store, st, now, &req);
		/* A fetch of the URL that this one replaced may still be
		 * in flight: its result will be discarded. */
		g_hash_table_insert(d->in_flight, g_strdup(src->name),
		                    g_strdup(src->url));
		g_hash_table_insert(d->started, g_strdup(src->url),
		                    g_memdup2(&mono, sizeof mono));
		evf_fetcher_add(d->fetcher, &req, on_fetched, d);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
on_settled(gpointer data)
{
	Daemon *d = data;

	d->rebuild_source = 0;
	rebuild(d, FALSE);
	return G_SOURCE_REMOVE;
}

/* Builds once the events stop changing for SETTLE_MS. A version put in
 * place in this second is dated in the next (publish.c), and one built
 * now would wait for that second inside the build, while the edits made
 * meanwhile would make a third version, dated and served a second later
 * still: the build starts as late as it can and still be done as that
 * second begins (as long as the last took), with every edit made until
 * then. */
static void
schedule_rebuild(Daemon *d)
{
	gint64 now = g_get_real_time();
	gint64 start = now + SETTLE_MS * 1000;

	if (d->put_in == now / G_USEC_PER_SEC)
		start = MAX(start, (d->put_in + 1) * G_USEC_PER_SEC - d->took -
		                       SETTLE_MS * 1000);
	g_clear_handle_id(&d->rebuild_source, g_source_remove);
	d->rebuild_source =
	    g_timeout_add((guint)((start - now) / 1000), on_settled, d);
}

static gboolean
on_reload_settled(gpointer data)
{
	Daemon *d = data;

	d->reload_source = 0;
	reload(d);
	return G_SOURCE_REMOVE;
}

/* An editor that writes the file in place (truncates it, then writes)
 * is heard of at the truncation: the file is read once the events
 * stop, not while it is empty or half written. */
static void
schedule_reload(Daemon *d)
{
	g_clear_handle_id(&d->reload_source, g_source_remove);
	d->reload_source = g_timeout_add(RELOAD_MS, on_reload_settled, d);
}

/* Whether a word from the events folder's monitor about @file (and
 * @other, nullable, of a move) brings nothing to build: the event files
 * are as the last build read them.
 * The monitor may speak after that build (the word was held back, or the
 * server was stopped with the change made), or of a file opened for
 * writing and closed unchanged; each would otherwise build again, and a
 * failing build (an invalid edit) say its errors twice. */
static gboolean
news_less(Daemon *d, GFile *file, GFile *other)
{
	g_autofree char *name = g_file_get_basename(file);
	g_autofree char *moved =
	    other != NULL ? g_file_get_basename(other) : NULL;

	return evf_catalog_cache_as_read(d->cfg, d->cache, name, moved);
}

static void
on_changed(GFileMonitor *mon, GFile *file, GFile *other,
           GFileMonitorEvent event, gpointer data)
{
	Daemon *d = data;

	/* An attribute too: a file made readable to evfeed's user (an
	 * editor's umask of 077, then chmod) is good now. A build of the
	 * same inputs is skipped. */
	if (mon == d->config_monitor || mon == d->target_monitor)
		schedule_reload(d);
	else if (mon == d->events_path_monitor)
		follow_events(d);
	else if (d->rebuild_source != 0 || !news_less(d, file, other))
		schedule_rebuild(d);
}

/* (nullable): a monitor of the file @path, for on_changed(); NULL, with
 * a warning, when it cannot be watched. */
static GFileMonitor *
watch_file(Daemon *d, const char *path)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GError) error = NULL;
	GFileMonitor *mon =
	    g_file_monitor_file(file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);

	if (mon == NULL) {
		g_warning("cannot watch '%s': %s", path, error->message);
		return NULL;
	}
	g_file_monitor_set_rate_limit(mon, SETTLE_MS);
	g_signal_connect(mon, "changed", G_CALLBACK(on_changed), d);
	return mon;
}

static void
watch(Daemon *d)
{
	g_autoptr(GFile) events = g_file_new_for_path(d->cfg->events_dir);
	g_autoptr(GError) error = NULL;

	g_clear_object(&d->events_monitor);
	g_clear_object(&d->config_monitor);
	file_id(d->cfg->events_dir, d->events_id);
	file_id(d->cfg->path, d->config_id);
	d->events_monitor = g_file_monitor_directory(
	    events, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
	if (d->events_monitor == NULL) {
		g_warning("cannot watch '%s': %s", d->cfg->events_dir,
		          error->message);
		g_clear_error(&error);
	} else {
		g_file_monitor_set_rate_limit(d->events_monitor, SETTLE_MS);
		g_signal_connect(d->events_monitor, "changed",
		                 G_CALLBACK(on_changed), d);
	}
	/* The folder's own name, in its parent: the folder replaced there
	 * is followed at once rather than at the next tick. */
	g_clear_object(&d->events_path_monitor);
	d->events_path_monitor = watch_file(d, d->cfg->events_dir);
	d->config_monitor = watch_file(d, d->cfg->path);
	/* A configuration that is a symbolic link, as /etc/evfeed/evfeed.conf
	 * into a deployment, changes when the file it names is edited, which
	 * a monitor of the link itself never hears of. The link is resolved
	 * again at each reload, so that a link pointed elsewhere is followed
	 * too. */
	g_clear_object(&d->target_monitor);
	if (g_file_test(d->cfg->path, G_FILE_TEST_IS_SYMLINK)) {
		char *target = realpath(d->cfg->path, NULL);

		if (target != NULL)
			d->target_monitor = watch_file(d, target);
		free(target);
	}
}

/* The server's other settings, which it keeps until it is started
 * again: said when a reload changes one, rather than taken for applied. */
static void
warn_server_kept(const EvfConfig *was, const EvfConfig *now)
{
	const struct {
		const char *key;
		guint was, now;
	} keys[] = {
		{ "threads", was->threads, now->threads },
		{ "max_connections", was->max_connections,
		  now->max_connections },
		{ "max_per_client", was->max_per_client, now->max_per_client },
		{ "timeout", was->timeout, now->timeout },
		{ "access_log", (guint)was->access_log,
		  (guint)now->access_log },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].was != keys[i].now)
			g_warning(
			    "[server] %s changed: restart evfeed to apply "
			    "it (the server keeps the value it started "
			    "with)",
			    keys[i].key);
}

/* Reads the config again; keeps the old one when the new one is wrong. */
static void
reload(Daemon *d)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	EvfConfig *cfg;
	gboolean fresh;

	sd_notify("RELOADING=1");
	g_clear_handle_id(&d->reload_source, g_source_remove);
	/* before the read: an edit after it changes the stamp */
	file_stamp(d->config_path, d->config_stamp);
	if (d->config_stamp[1] != 0 && d->config_stamp[3] == 0) {
		/* An editor that writes in place has truncated it and not
		 * yet written: the defaults would name other folders. Its
		 * write changes the stamp. */
		g_warning("the configuration file is empty; keeping the "
		          "previous one");
		watch(d);
		sd_notify("READY=1");
		return;
	}
	cfg = evf_config_load(d->config_path, diags);
	log_diags(diags);
	if (cfg == NULL) {
		g_warning("the configuration has errors; keeping the previous "
		          "one");
		/* A link pointed at a file with errors: its fix is watched. */
		watch(d);
		sd_notify("READY=1");
		return;
	}
	if (d->listen == NULL && strcmp(cfg->listen, d->cfg->listen) != 0)
		g_warning("[server] listen changed: restart evfeed to listen "
		          "on '%s'",
		          cfg->listen);
	warn_server_kept(d->cfg, cfg);
	fresh = cfg->refresh_seconds != d->cfg->refresh_seconds;
	/* A source whose url the reload changes is fetched at once, even
	 * from an address it had a moment ago (a change undone). */
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, i);
		const EvfSourceConfig *was =
		    evf_config_source(d->cfg, src->name);

		if (was == NULL || g_strcmp0(was->url, src->url) != 0)
			g_hash_table_remove(d->started, src->url);
	}
	evf_config_free(d->cfg);
	d->cfg = cfg;
	if (d->httpd != NULL)
		evf_httpd_set_prefix(d->httpd, cfg->base_path);
	/* a hub taken out (or replaced) is contacted no more */
	if (d->websub != NULL)
		evf_websub_keep_hub(d->websub, cfg->hub);
	evf_catalog_cache_free(d->cache);
	d->cache = evf_catalog_cache_new();
	watch(d);
	g_message("configuration reloaded");
	rebuild(d, fresh);
	/* A source with a new URL is fetched now, not at the next tick. */
	on_tick(d);
	update_status(d);
	sd_notify("READY=1");
}

static gboolean
on_hup(gpointer data)
{
	Daemon *d = data;

	if (!d->stopping)
		reload(d);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_term(gpointer data)
{
	Daemon *d = data;

	sd_notify("STOPPING=1");
	d->stopping = TRUE;
	g_main_loop_quit(d->loop);
	return G_SOURCE_CONTINUE;
}

/* What a new user reads first: where to look and what to subscribe to.
 * The addresses of this server work for a preview; subscribers are given
 * the public one ([site] url), which every link in the output names, and
 * which is this server only when it is exactly its address, or when a web
 * server there passes requests on to it. A server listening on every
 * address (0.0.0.0, [::]) is named by the machine's name: the wildcard
 * is no address a client can ask. */
static void
announce(Daemon *d)
{
	g_autofree char *addr = evf_httpd_address(d->httpd);
	g_autofree char *here = NULL;
	gboolean loopback =
	    g_str_has_prefix(addr, "127.") || g_str_has_prefix(addr, "[::1]:");
	gboolean every = g_str_has_prefix(addr, "0.0.0.0:") ||
	                 g_str_has_prefix(addr, "[::]:");

	if (every) {
		g_autofree char *any = g_steal_pointer(&addr);

		addr = g_strconcat(g_get_host_name(), strrchr(any, ':'), NULL);
	}
	here = g_strdup_printf("http://%s/", addr);
	printf("evfeed %s: serving %s on %s%s\n", PACKAGE_VERSION,
	       d->cfg->output_dir, here,
	       loopback ? " (from this machine only)"
	       : every  ? " (listening on every address of this machine)"
	                : "");
	printf("Calendar:  http://%s/calendar.ics\n", addr);
	printf("           webcal://%s/calendar.ics\n", addr);
	printf("Feeds:     http://%s/rss.xml\n", addr);
	printf("           http://%s/atom.xml\n", addr);
	if (strcmp(d->cfg->url, here) == 0)
		printf("Public:    the same ([site] url)\n");
	else
		printf(
		    "Public:    %scalendar.ics\n"
		    "           (from [site] url: what the calendar and the "
		    "feeds link to and\n"
		    "           subscribers use; point a web server there at "
		    "this one)\n",
		    d->cfg->url);
	fflush(stdout);
}

int
evf_daemon_run(const char *config_path, const char *listen)
{
	Daemon d = { 0 };
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(GError) error = NULL;
	EvfHttpdOptions opts = { 0 };

	/* From the start: a signal during the first build (which can take
	 * seconds) is handled once it is done, as at any other time, not by
	 * the default action, which ended the process half-way through. */
	d.loop = g_main_loop_new(NULL, FALSE);
	/* (the stops first: GLib takes signals that came together in the
	 * order their sources were added, and a reload after a stop was
	 * asked for would publish first) */
	g_unix_signal_add(SIGTERM, on_term, &d);
	g_unix_signal_add(SIGINT, on_term, &d);
	g_unix_signal_add(SIGHUP, on_hup, &d);
	d.config_path = g_strdup(config_path);
	d.listen = g_strdup(listen);
	file_stamp(config_path, d.config_stamp);
	d.cfg = evf_config_load(config_path, diags);
	log_diags(diags);
	if (d.cfg == NULL) {
		g_main_loop_unref(d.loop);
		return 1;
	}
	/* An address it cannot listen on is a mistake of the setup: said
	 * before the first build, which would publish (and leave the hub
	 * untold of it, were serve to stop then). */
	if (!evf_httpd_check_listen(listen != NULL ? listen : d.cfg->listen,
	                            &error)) {
		fprintf(stderr, "evfeed: error: %s\n", error->message);
		evf_config_free(d.cfg);
		g_main_loop_unref(d.loop);
		return 1;
	}
	d.cache = evf_catalog_cache_new();
	{
		g_autofree char *dir = g_path_get_dirname(d.cfg->state_path);
		g_autofree char *ua = evf_partner_user_agent(d.cfg);

		if (g_mkdir_with_parents(dir, 0755) < 0) {
			int e = errno;

			g_set_error(&error, G_FILE_ERROR,
			            g_file_error_from_errno(e),
			            "cannot create the state folder '%s': %s",
			            dir, g_strerror(e));
		} else {
			open_state(&d, &error);
		}
		if (d.store == NULL &&
		    (!g_file_test(dir, G_FILE_TEST_IS_DIR) ||
		     access(dir, W_OK) < 0 ||
		     (g_file_test(d.cfg->state_path, G_FILE_TEST_EXISTS) &&
		      !g_file_test(d.cfg->state_path,
		                   G_FILE_TEST_IS_REGULAR)))) {
			/* A read-only or missing state folder, or a state
			 * that is a folder, is a mistake of the setup: say
			 * so at start. */
			fprintf(stderr, "evfeed: error: %s\n", error->message);
			evf_catalog_cache_free(d.cache);
			evf_config_free(d.cfg);
			g_main_loop_unref(d.loop);
			return 1;
		}
		if (d.store == NULL) {
			/* A full disk, or a damaged state: serve what was
			 * published, and try again on every tick (the first
			 * build moves a damaged one aside if it can). */
			g_warning("%s; serving the last published output until "
			          "the state can be opened",
			          error->message);
			d.state_said = TRUE;
		}
		g_clear_error(&error);
		d.fetcher = evf_fetcher_new(ua);
		d.websub = evf_websub_new(ua, PING_SECS, PING_TRIES);
		d.in_flight = g_hash_table_new_full(g_str_hash, g_str_equal,
		                                    g_free, g_free);
		d.started = g_hash_table_new_full(g_str_hash, g_str_equal,
		                                  g_free, g_free);
	}

	/* (a failed build serves the last good output, when there is one) */
	if (!rebuild(&d, TRUE) && d.snap == NULL)
		g_warning("nothing to serve until the errors are fixed "
		          "(answering 503)");

	opts.listen = listen != NULL ? listen : d.cfg->listen;
	opts.threads = d.cfg->threads;
	opts.max_connections = d.cfg->max_connections;
	opts.max_per_client = d.cfg->max_per_client;
	opts.timeout = d.cfg->timeout;
	opts.access_log = d.cfg->access_log;
	d.httpd = evf_httpd_start(&opts, &error);
	if (d.httpd == NULL) {
		fprintf(stderr, "evfeed: error: %s\n", error->message);
		evf_snapshot_unref(d.snap);
		g_free(d.digest);
		g_free(d.manifest);
		g_free(d.seen);
		g_free(d.partners);
		evf_websub_free(d.websub);
		evf_fetcher_free(d.fetcher);
		g_hash_table_unref(d.in_flight);
		g_hash_table_unref(d.started);
		evf_store_free(d.store);
		evf_catalog_cache_free(d.cache);
		evf_config_free(d.cfg);
		g_main_loop_unref(d.loop);
		return 1;
	}
	evf_httpd_set_prefix(d.httpd, d.cfg->base_path);
	if (d.snap != NULL)
		evf_httpd_set_snapshot(d.httpd, d.snap);
	update_status(&d);

	watch(&d);
	announce(&d);
	sd_notify("READY=1");
	on_tick(&d);
	d.tick = g_timeout_add_seconds(1, on_tick, &d);

	/* (a signal handled before the loop ran could not quit it) */
	if (!d.stopping)
		g_main_loop_run(d.loop);

	g_source_remove(d.tick);
	evf_httpd_stop(d.httpd, GRACE_MS);
	evf_websub_free(d.websub);
	evf_fetcher_free(d.fetcher);
	g_hash_table_unref(d.in_flight);
	g_hash_table_unref(d.started);
	evf_store_free(d.store);
	g_clear_object(&d.events_monitor);
	g_clear_object(&d.config_monitor);
	g_clear_object(&d.target_monitor);
	g_clear_object(&d.events_path_monitor);
	g_clear_handle_id(&d.rebuild_source, g_source_remove);
	g_clear_handle_id(&d.reload_source, g_source_remove);
	g_main_loop_unref(d.loop);
	evf_snapshot_unref(d.snap);
	g_free(d.digest);
	g_free(d.manifest);
	g_free(d.seen);
	g_free(d.partners);
	evf_catalog_cache_free(d.cache);
	evf_config_free(d.cfg);
	g_free(d.config_path);
	g_free(d.listen);
	g_message("stopped");
	return 0;
}
