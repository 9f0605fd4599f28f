/*
 * main.c: the evfeed command line. One binary, git-style commands, GNU-style
 * --help and --version; exit status 0 on success, 1 on input or runtime
 * errors, 2 on usage errors.
 */
#include "autoconf.h"

#include "build.h"
#include "catalog.h"
#include "config.h"
#include "daemon.h"
#include "eventfile.h"
#include "eventwrite.h"
#include "migrate.h"
#include "partner.h"
#include "store.h"
#include "tz.h"
#include "util.h"
#include "websub.h"

#include <curl/curl.h>
#include <libical/ical.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#define EXIT_USAGE 2
#define PING_SECS  10 /* for all the WebSub pings of a build */

static char *opt_config = NULL;
static char *opt_listen = NULL;
static char *opt_start = NULL;
static char *opt_end = NULL;
static char *opt_timezone = NULL;
static char *opt_location = NULL;
static char **opt_categories = NULL;
static gboolean opt_version = FALSE;
static gboolean opt_dry_run = FALSE;
static gboolean opt_due = FALSE;

/* The values of new's options are taken as they are written, as UTF-8
 * (an event file is UTF-8 whatever the locale), not converted from the
 * locale's character set, which under LANG=C refused every non-ASCII
 * one: hence FILENAME, which GOption leaves alone. */
static const GOptionEntry global_entries[] = {
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	  "Read the configuration from FILE (default: evfeed.conf)", "FILE" },
	{ "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen,
	  "serve: listen on ADDR:PORT instead of [server] listen (port 0 "
	  "picks a free port)",
	  "ADDR:PORT" },
	{ "start", 's', 0, G_OPTION_ARG_FILENAME, &opt_start,
	  "new: the start (YYYY-MM-DD, YYYY-MM-DDTHH:MM, or tba)", "DATE" },
	{ "end", 'e', 0, G_OPTION_ARG_FILENAME, &opt_end,
	  "new: the end (all-day: the last day, inclusive)", "DATE" },
	{ "timezone", 0, 0, G_OPTION_ARG_FILENAME, &opt_timezone,
	  "new: the time zone of a timed start (IANA name)", "ZONE" },
	{ "location", 0, 0, G_OPTION_ARG_FILENAME, &opt_location,
	  "new: where it takes place", "PLACE" },
	{ "category", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_categories,
	  "new: a category (repeat for more)", "NAME" },
	{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run,
	  "import: show the files that would be written, write none", NULL },
	{ "due", 0, 0, G_OPTION_ARG_NONE, &opt_due,
	  "fetch: only the sources that are due, as serve would fetch them "
	  "(for cron)",
	  NULL },
	{ "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version,
	  "Print the version and exit", NULL },
	{ NULL }
};

static const char summary[] =
    "Commands:\n"
    "  check    check the event files and report every problem\n"
    "  build    write the calendar and feeds into the output folder\n"
    "  fetch [SOURCE] [--due]\n"
    "           fetch the partner sources once (or only SOURCE; with\n"
    "           --due, those due); exit status 1 when any failed\n"
    "  new TITLE --start DATE [--end DATE] [--category C]...\n"
    "           write a new event file with a fresh uid; prints its path\n"
    "  import FILE.ics|URL [--dry-run]\n"
    "           turn a calendar into event files (keeping uids, never\n"
    "           overwriting); reports what it could not carry over\n"
    "  sources  show each partner source: status, items, last success,\n"
    "           next fetch, last error\n"
    "  serve    build, serve over HTTP, fetch partners on schedule, and\n"
    "           rebuild when files change\n"
    "           (SIGHUP reloads the configuration; SIGTERM stops)\n"
    "\n"
    "Exit status: 0 success, 1 errors in the input or at run time, 2 "
    "usage.";

static const char *
config_path(void)
{
	return opt_config != NULL ? opt_config : "evfeed.conf";
}

/* With no --config and no evfeed.conf in this folder (the configuration
 * not read), how to give one. */
static void
say_how_to_give_config(void)
{
	if (opt_config == NULL &&
	    !g_file_test(config_path(), G_FILE_TEST_EXISTS))
		fprintf(stderr,
		        "evfeed: no %s in this folder: give the "
		        "configuration with --config FILE\n",
		        config_path());
}

static EvfConfig *
load_config(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	EvfConfig *cfg = evf_config_load(config_path(), diags);

	evf_diags_print(diags, stderr);
	if (cfg == NULL)
		say_how_to_give_config();
	return cfg;
}

/* Checks the configuration and every event file, and reports all their
 * errors at once (those in the event files too, as long as the
 * configuration names their folder, and that is there: each setting in
 * error is taken as its default); then "N errors", and @after (nullable)
 * after it. The exit status: 0 when there is none. */
static int
check_all(const char *after)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfConfig) cfg =
	    evf_config_load_partial(config_path(), diags);
	gboolean ok = TRUE;
	guint errors = evf_diags_errors(diags);

	evf_diags_print(diags, stderr);
	g_ptr_array_set_size(diags, 0);
	/* (the file not read at all: missing, a folder, in UTF-16) */
	if (cfg == NULL) {
		say_how_to_give_config();
		errors = MAX(errors, 1);
		fprintf(stderr, "evfeed: %u error%s%s\n", errors,
		        errors == 1 ? "" : "s", after != NULL ? after : "");
		return 1;
	}
	/* (a folder named without an error is read, or said unreadable,
	 * with the configuration's errors: every problem at once) */
	if (cfg->errors == 0 ||
	    (cfg->events_given && cfg->events_dir != NULL)) {
		ok = evf_build_check(cfg, g_get_real_time(), diags);
		evf_diags_print(diags, stderr);
	}
	errors = cfg->errors + evf_diags_errors(diags);
	if (!ok || errors > 0) {
		fprintf(stderr, "evfeed: %u error%s%s\n", errors,
		        errors == 1 ? "" : "s", after != NULL ? after : "");
		return 1;
	}
	return 0;
}

static int
cmd_check(void)
{
	return check_all(NULL);
}

static EvfStore *
open_store(const EvfConfig *cfg)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_path_get_dirname(cfg->state_path);
	EvfStore *store;

	if (g_mkdir_with_parents(dir, 0755) < 0) {
		fprintf(stderr, "evfeed: error: cannot create '%s': %s\n", dir,
		        g_strerror(errno));
		return NULL;
	}
	store = evf_store_open(cfg->state_path, &error);
	if (store == NULL)
		fprintf(stderr, "evfeed: error: %s\n", error->message);
	else if (evf_store_set_aside_note(store) != NULL) {
		g_autofree char *shown =
		    evf_catalog_display_path(cfg->state_path);

		fprintf(stderr, "%s: warning: %s\n", shown,
		        evf_store_set_aside_note(store));
	}
	return store;
}

/* Lines "NAME: text" about sources, as "evfeed: source NAME: text". */
static void
print_source_lines(GPtrArray *lines)
{
	for (guint i = 0; i < lines->len; i++) {
		g_autofree char *line =
		    evf_log_escape(g_ptr_array_index(lines, i));
		fprintf(stderr, "evfeed: source %s\n", line);
	}
}

static int
cmd_fetch(const char *only)
{
	g_autoptr(EvfConfig) cfg = load_config();
	g_autoptr(EvfStore) store = NULL;
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;

	if (cfg == NULL || (store = open_store(cfg)) == NULL)
		return 1;
	if (!evf_partner_fetch_all(cfg, store, only, opt_due, notes, failures,
	                           &error)) {
		fprintf(stderr, "evfeed: error: %s\n", error->message);
		return 1;
	}
	print_source_lines(notes);
	print_source_lines(failures);
	evf_partner_print_table(cfg, store, g_get_real_time(), stdout);
	return failures->len > 0 ? 1 : 0;
}

static int
cmd_sources(void)
{
	g_autoptr(EvfConfig) cfg = load_config();
	g_autoptr(EvfStore) store = NULL;

	g_autoptr(GError) error = NULL;

	if (cfg == NULL)
		return 1;
	/* Showing the sources changes nothing: no state is created where
	 * there is none (nothing was fetched yet), and a damaged one is
	 * reported, not moved aside. */
	if (g_file_test(cfg->state_path, G_FILE_TEST_EXISTS)) {
		store = evf_store_open_existing(cfg->state_path, &error);
		/* one it may not write (another user's, a read-only disk)
		 * is read as it is, without its WAL's latest */
		if (store == NULL &&
		    !g_error_matches(error, EVF_ERROR, EVF_ERROR_DAMAGED)) {
			g_clear_error(&error);
			store =
			    evf_store_open_readonly(cfg->state_path, &error);
		}
		if (store == NULL) {
			fprintf(stderr, "evfeed: error: %s\n", error->message);
			return 1;
		}
	}
	evf_partner_print_table(cfg, store, g_get_real_time(), stdout);
	return 0;
}

/* The diagnostics of `new`'s draft (a file named "new" made from the
 * command line) and of the file it would write, @shown (nullable), as the
 * command line's: "new:3:8: error: start: …" is "evfeed: new: error:
 * --start: …". Others as they are. The draft and the file say the same
 * of an option, which is said once. */
static void
print_new_diags(GPtrArray *diags, const char *shown)
{
	static const char *const options[][2] = {
		{ "title", "TITLE" },         { "start", "--start" },
		{ "end", "--end" },           { "timezone", "--timezone" },
		{ "location", "--location" }, { "categories", "--category" },
	};
	g_autoptr(GHashTable) said =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(diags, i);
		const char *m = d->message;
		const char *colon = strstr(m, ": ");
		const char *kind = d->warning ? "warning" : "error";
		const char *option = NULL;
		char *line;

		gboolean draft = strcmp(d->file, "new") == 0;

		if (draft || (shown != NULL && strcmp(d->file, shown) == 0))
			for (guint k = 0;
			     colon != NULL && k < G_N_ELEMENTS(options); k++)
				if (strlen(options[k][0]) ==
				        (gsize)(colon - m) &&
				    strncmp(m, options[k][0],
				            (gsize)(colon - m)) == 0)
					option = options[k][1];
		if (option != NULL)
			line = g_strdup_printf("evfeed: new: %s: %s: %s", kind,
			                       option, colon + 2);
		else if (draft)
			line = g_strdup_printf("evfeed: new: %s: %s", kind, m);
		else
			line = evf_diag_format(d);
		/* (the table owns it) */
		if (g_hash_table_add(said, line))
			fprintf(stderr, "%s\n", line);
	}
}

/* Whether the value of new's option @name (nullable) is UTF-8 text, as an
 * event file's is whatever the locale; if not, says so. */
static gboolean
utf8_option(const char *name, const char *value)
{
	/* (the title is no option: named as in the usage line) */
	g_autofree char *option = strchr(name, ' ') != NULL
	                              ? g_strdup("TITLE")
	                              : g_strconcat("--", name, NULL);

	if (value == NULL)
		return TRUE;
	if (!g_utf8_validate(value, -1, NULL)) {
		fprintf(stderr,
		        "evfeed: new: error: %s: not UTF-8 text (an event file "
		        "is UTF-8, whatever the locale)\n",
		        option);
		return FALSE;
	}
	/* (said so here: the event file's message would speak of the
	 * quotes of the draft, which the user never wrote) */
	for (const char *p = value; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_iscntrl(c) && c != '\t' && c != '\n' &&
		    c != '\r') {
			fprintf(stderr,
			        "evfeed: new: error: %s: the control "
			        "character U+%04X is not allowed\n",
			        option, (unsigned)c);
			return FALSE;
		}
	}
	return TRUE;
}

/* The most files of one name that new tells apart with "-2", "-3"… */
#define MAX_NAME_SUFFIX 99

/* What the event file at a new event's name is. */
typedef enum {
	LISTING_OTHER,   /* another event */
	LISTING_SAME,    /* the same title and start */
	LISTING_UNKNOWN, /* a file that cannot be read as an event file */
} Listing;

/* What the event file @path is to @ev. */
static Listing
same_listing(const EvfConfig *cfg, const char *path, const EvfEvent *ev)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(GBytes) data =
	    evf_file_read(path, EVF_EVENTFILE_MAX_FILE, NULL);
	g_autoptr(EvfEvent) other = NULL;
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *stem = g_strndup(base, strlen(base) - 3);

	if (data == NULL)
		return LISTING_UNKNOWN;
	other = evf_eventfile_parse(path, stem, g_bytes_get_data(data, NULL),
	                            g_bytes_get_size(data), cfg,
	                            g_get_real_time(), diags);
	if (other == NULL)
		return LISTING_UNKNOWN;
	if (strcmp(other->title, ev->title) != 0 || other->tba != ev->tba ||
	    other->all_day != ev->all_day)
		return LISTING_OTHER;
	if (ev->tba ||
	    (ev->all_day
	         ? g_date_compare(&other->start_date, &ev->start_date) == 0
	         : g_date_time_equal(other->start, ev->start)))
		return LISTING_SAME;
	return LISTING_OTHER;
}

static int
cmd_new(const char *title)
{
	/* (a usage error, found before the configuration is read) */
	g_autoptr(EvfConfig) cfg = opt_start != NULL ? load_config() : NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfEvent) ev = NULL;
	g_autofree char *uid = g_uuid_string_random();
	g_autofree char *draft = NULL;
	g_autofree char *text = NULL;
	g_autofree char *name = NULL;
	g_autofree char *path = NULL;
	g_autofree char *shown = NULL;
	g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_source_file_free);
	const char *fields[] = { "title",      title,        "start",
		                 opt_start,    "end",        opt_end,
		                 "timezone",   opt_timezone, "location",
		                 opt_location, "uid",        uid,
		                 NULL };

	if (opt_start == NULL) {
		fprintf(stderr, "evfeed: new: --start DATE is required "
		                "(YYYY-MM-DD, YYYY-MM-DDTHH:MM, or tba)\n");
		return 2;
	}
	if (cfg == NULL)
		return 1;
	for (guint i = 0; fields[i] != NULL; i += 2)
		if (!utf8_option(i == 0 ? "the title" : fields[i],
		                 fields[i + 1]))
			return 1;
	/* A start without a time (a date, or tba) reads no zone: the
	 * draft is given none, and the warning below is the only one. */
	for (guint i = 0; fields[i] != NULL; i += 2)
		if (strcmp(fields[i], "timezone") == 0 &&
		    strchr(opt_start, ':') == NULL)
			fields[i + 1] = NULL;
	for (guint i = 0; opt_categories != NULL && opt_categories[i]; i++)
		if (!utf8_option("category", opt_categories[i]))
			return 1;
	/* The dates as the user wrote them go through the same checks as
	 * any event file; the file is then written from the result. */
	draft = evf_eventwrite_fields(fields, opt_categories, NULL, &error);
	if (draft != NULL)
		ev = evf_eventfile_parse("new", "new", draft, strlen(draft),
		                         cfg, g_get_real_time(), diags);
	if (ev == NULL) {
		print_new_diags(diags, NULL);
		if (error != NULL)
			fprintf(stderr, "evfeed: error: %s\n", error->message);
		return 1;
	}
	if (opt_timezone != NULL &&
	    (ev->all_day || ev->tba || ev->tzid == NULL))
		fprintf(stderr,
		        "evfeed: new: warning: --timezone: not used, since the "
		        "start is %s\n",
		        ev->tba       ? "to be announced"
		        : ev->all_day ? "a date (all-day events have no zone)"
		                      : "written with its offset from UTC");
	text = evf_eventwrite_format(cfg, ev, NULL, &error);
	if (text == NULL) {
		fprintf(stderr, "evfeed: error: %s\n", error->message);
		return 1;
	}
	name = evf_eventwrite_filename(ev);
	path = g_build_filename(cfg->events_dir, name, NULL);
	shown = evf_catalog_display_path(path);
	/* Another event of a title that begins alike, or of the same day,
	 * takes the name: this one gets "-2", "-3"…, as import gives them;
	 * the same title and start is the same event, made again. */
	for (guint n = 2; g_file_test(path, G_FILE_TEST_EXISTS); n++) {
		g_autofree char *stem = g_strndup(name, strlen(name) - 3);
		g_autofree char *next = NULL;
		Listing is = n > MAX_NAME_SUFFIX ? LISTING_UNKNOWN
		                                 : same_listing(cfg, path, ev);

		if (is != LISTING_OTHER) {
			fprintf(stderr,
			        "evfeed: error: '%s' exists and is not "
			        "overwritten%s\n",
			        shown,
			        is == LISTING_SAME
			            ? " (it has this title and start: to add "
			              "another event, give it another title)"
			        : n > MAX_NAME_SUFFIX
			            ? ""
			            : " (it cannot be read as an event file)");
			return 1;
		}
		next = g_strdup_printf("%s-%u.md", stem, n);
		g_free(path);
		path = g_build_filename(cfg->events_dir, next, NULL);
		g_free(shown);
		shown = evf_catalog_display_path(path);
	}
	/* The folder with the new file, as `evfeed check` will read it: its
	 * categories, and its name's address, must not clash with any
	 * other file's, nor a build fail once it is written. */
	g_ptr_array_add(added, evf_source_file_new(path, text));
	if (!evf_catalog_check(cfg, added, g_get_real_time(), diags)) {
		print_new_diags(diags, shown);
		fprintf(stderr,
		        "evfeed: error: '%s' is not written: the events folder "
		        "would not pass 'evfeed check' with it\n",
		        shown);
		return 1;
	}
	if (g_mkdir_with_parents(cfg->events_dir, 0755) < 0) {
		fprintf(stderr, "evfeed: error: cannot create '%s': %s\n",
		        cfg->events_dir, g_strerror(errno));
		return 1;
	}
	if (!evf_eventwrite_create(path, shown, text, &error)) {
		fprintf(stderr, "evfeed: error: %s\n", error->message);
		return 1;
	}
	print_new_diags(diags, shown); /* warnings */
	printf("%s\n", shown);
	return 0;
}

static int
cmd_import(const char *source)
{
	g_autoptr(EvfConfig) cfg = load_config();
	g_autoptr(GPtrArray) diags = evf_diags_new();
	guint written;

	if (cfg == NULL)
		return 1;
	written = evf_migrate_run(cfg, source, opt_dry_run, g_get_real_time(),
	                          stdout, diags);
	fflush(stdout);
	evf_diags_print(diags, stderr);
	fprintf(stderr, "evfeed: %s %u event%s",
	        opt_dry_run ? "would import" : "imported", written,
	        written == 1 ? "" : "s");
	if (evf_diags_errors(diags) > 0) {
		fprintf(stderr, "; %u error%s\n", evf_diags_errors(diags),
		        evf_diags_errors(diags) == 1 ? "" : "s");
		return 1;
	}
	fprintf(stderr, "\n");
	return 0;
}

/* Tells the WebSub hub about the feeds among @changed. The files are
 * written whatever the hub says: a failed ping is reported, not an error
 * of the build. */
static void
ping_hub(const EvfConfig *cfg, GPtrArray *changed)
{
	g_autoptr(GPtrArray) topics = evf_websub_topics(cfg, changed);
	g_autofree char *ua = evf_partner_user_agent(cfg);
	g_autoptr(GError) error = NULL;

	if (topics->len == 0)
		return;
	if (evf_websub_ping_now(cfg->hub, topics, ua, PING_SECS, &error))
		printf("WebSub:    told %s about %u feeds\n", cfg->hub,
		       topics->len);
	else
		fprintf(stderr, "evfeed: warning: %s\n", error->message);
}

static int
cmd_build(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfConfig) cfg = evf_config_load(config_path(), diags);
	g_autoptr(GError) error = NULL;
	g_autofree char *shown = NULL;
	g_autofree char *cal = NULL;
	g_auto(EvfBuildStats) st = { 0 };

	/* a configuration in error: its errors and the event files', as
	 * check gives them (nothing was said yet); else its warnings */
	if (cfg == NULL)
		return check_all("; nothing was written");
	evf_diags_print(diags, stderr);
	g_ptr_array_set_size(diags, 0);
	if (!evf_build_run(cfg, NULL, g_get_real_time(), EVF_BUILD_WAIT, diags,
	                   &st, &error)) {
		evf_diags_print(diags, stderr);
		if (error != NULL)
			fprintf(stderr, "evfeed: error: %s\n", error->message);
		else
			fprintf(stderr,
			        "evfeed: %u error%s; nothing was written\n",
			        evf_diags_errors(diags),
			        evf_diags_errors(diags) == 1 ? "" : "s");
		return 1;
	}
	evf_diags_print(diags, stderr);
	shown = evf_catalog_display_path(cfg->output_dir);
	cal = evf_config_url(cfg, "calendar.ics");
	if (st.skipped)
		printf("evfeed: %u event%s, nothing changed in %s/\n",
		       st.events, st.events == 1 ? "" : "s", shown);
	else
		printf("evfeed: %u event%s: wrote %u of %u files to %s/\n",
		       st.events, st.events == 1 ? "" : "s", st.written,
		       st.files, shown);
	printf("Subscribe: %s\n", cal);
	if (g_str_has_prefix(cal, "https://"))
		printf("           webcal://%s\n", cal + strlen("https://"));
	else if (g_str_has_prefix(cal, "http://"))
		printf("           webcal://%s\n", cal + strlen("http://"));
	{
		g_autofree char *rss = evf_config_url(cfg, "rss.xml");
		g_autofree char *atom = evf_config_url(cfg, "atom.xml");
		printf("Feeds:     %s\n           %s\n", rss, atom);
	}
	if (cfg->hub != NULL)
		ping_hub(cfg, st.changed);
	return 0;
}

/* The commands, as evfeed(1) lists them. */
static const char *const commands[] = { "check",   "build", "serve",  "fetch",
	                                "sources", "new",   "import", NULL };

/* Whether the options given belong to @cmd: `build -n`, taken for a
 * preview as in make or rsync, published (-n is import's), and new's
 * --category went unseen elsewhere. --listen is left to the other
 * commands, as evfeed(1) says, so that one line of options serves a
 * unit's `serve` and its `check`. */
static gboolean
options_fit(const char *cmd)
{
	const struct {
		gboolean given;
		const char *name;
		const char *cmd;
	} opts[] = {
		{ opt_start != NULL, "--start", "new" },
		{ opt_end != NULL, "--end", "new" },
		{ opt_timezone != NULL, "--timezone", "new" },
		{ opt_location != NULL, "--location", "new" },
		{ opt_categories != NULL, "--category", "new" },
		{ opt_dry_run, "--dry-run", "import" },
		{ opt_due, "--due", "fetch" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(opts); i++) {
		if (!opts[i].given || strcmp(cmd, opts[i].cmd) == 0)
			continue;
		fprintf(stderr,
		        "evfeed: %s: %s is an option of '%s' only\n"
		        "Try 'evfeed --help'.\n",
		        cmd, opts[i].name, opts[i].cmd);
		return FALSE;
	}
	return TRUE;
}

/* libxml2's allocator. libxml2 2.9.14 does not stop on a failed
 * allocation: its HTML parser then loops for ever, printing "Memory
 * error" (a build under a memory limit, tests/integration/adversity.sh).
 * Through GLib's allocator it ends the process like any other allocation
 * failure, and the published output stays whole. Never 0 bytes: GLib
 * answers those with NULL, which libxml2 would take for a failure. */
static void *
xml_malloc(size_t size)
{
	return g_malloc(MAX(size, 1));
}

static void *
xml_realloc(void *mem, size_t size)
{
	return g_realloc(mem, MAX(size, 1));
}

/* The option of global_entries that @arg names (-c, --config), if it
 * takes a value; NULL otherwise. */
static const GOptionEntry *
valued_option(const char *arg)
{
	for (const GOptionEntry *o = global_entries; o->long_name != NULL;
	     o++) {
		if (o->arg == G_OPTION_ARG_NONE)
			continue;
		if ((arg[1] == o->short_name && o->short_name != '\0') ||
		    (arg[1] == '-' && strcmp(arg + 2, o->long_name) == 0))
			return o;
	}
	return NULL;
}

/* The command line as GOption reads it: a short option's value written
 * on to it, as getopt(3) takes it (-cFILE, -s2027-03-01), apart. A value
 * given as the next argument is left alone, even one that begins with a
 * dash, and so is everything after "--". */
static char **
arguments(int argc, char **argv)
{
	GPtrArray *args = g_ptr_array_new();
	int i = 0;

	for (; i < argc; i++) {
		const char *a = argv[i];
		const GOptionEntry *o =
		    i > 0 && a[0] == '-' ? valued_option(a) : NULL;

		if (strcmp(a, "--") == 0)
			break;
		if (o != NULL && a[1] != '-' && a[2] != '\0') {
			g_ptr_array_add(args, g_strndup(a, 2));
			g_ptr_array_add(args, g_strdup(a + 2));
			continue;
		}
		g_ptr_array_add(args, g_strdup(a));
		/* its value, as it is */
		if (o != NULL && i + 1 < argc)
			g_ptr_array_add(args, g_strdup(argv[++i]));
	}
	for (; i < argc; i++)
		g_ptr_array_add(args, g_strdup(argv[i]));
	g_ptr_array_add(args, NULL);
	return (char **)g_ptr_array_free(args, FALSE);
}

/* Under a time zone with leap seconds ("right/Europe/Ljubljana", as
 * /etc/localtime may be), glibc's gmtime() counts them, and libical turns
 * instants into times through it: every time came out 27 s early, and
 * zones' changes were refused as off their rules. evfeed reads no local
 * time of its own, so such a zone is replaced by UTC, as a POSIX rule
 * that glibc reads from no file (EVF_POSIX_UTC). */
static void
posix_clock(void)
{
	const time_t t = 1700000000; /* 2023-11-14 22:13:20 UTC by POSIX */
	struct tm tm;

	if (gmtime_r(&t, &tm) != NULL && tm.tm_hour == 22 && tm.tm_min == 13 &&
	    tm.tm_sec == 20)
		return;
	g_setenv("TZ", EVF_POSIX_UTC, TRUE);
	tzset();
}

/* Set when the command is serve, whose standard output is a log. */
static gboolean serving;

static int run(int argc, char **argv);

int
main(int argc, char **argv)
{
	int status;

	/* A reader of the output that goes away (`evfeed import x.ics |
	 * head`, a log process that restarts under serve) makes a write
	 * fail, not the process end half-way through its work. */
	signal(SIGPIPE, SIG_IGN);
	status = run(argc, argv);
	/* what was asked for (a new file's path, the list of a dry run)
	 * may not have reached its reader: that is an error, as for any
	 * file that cannot be written */
	if (!serving && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "evfeed: error: cannot write the output: %s\n",
		        g_strerror(errno));
		if (status == 0)
			status = 1;
	}
	return status;
}

/* Outside serve, whose standard error is a log, GLib's messages and
 * warnings (a partner source no longer configured, a state that could not
 * be saved) read as evfeed's other lines: "evfeed: …" and "evfeed:
 * warning: …", without GLib's local time of day, which TZ would change.
 * Debug lines and criticals are written as GLib writes them. */
static GLogWriterOutput
cli_log_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
               gpointer data)
{
	const char *message = NULL;

	for (gsize i = 0; i < n; i++)
		if (strcmp(fields[i].key, "MESSAGE") == 0 &&
		    fields[i].length < 0)
			message = fields[i].value;
	if (message == NULL ||
	    (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_WARNING)) == 0)
		return g_log_writer_default(level, fields, n, data);
	fprintf(stderr, "evfeed: %s%s\n",
	        (level & G_LOG_LEVEL_WARNING) != 0 ? "warning: " : "", message);
	return G_LOG_WRITER_HANDLED;
}

/* serve's standard error is a log, in GLib's form (its local time of day,
 * and the journal's fields under systemd). Outside the journal, GLib turns
 * a message into the locale's character set, each character it cannot
 * into '?' (a partner's whole title in a C locale): evfeed's other lines
 * keep their UTF-8, and so do these. */
static GLogWriterOutput
serve_log_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
                 gpointer data)
{
	const char *message = NULL, *domain = NULL;
	g_autoptr(GDateTime) now = NULL;
	g_autofree char *clock = NULL;

	for (gsize i = 0; i < n; i++) {
		if (strcmp(fields[i].key, "MESSAGE") == 0 &&
		    fields[i].length < 0)
			message = fields[i].value;
		else if (strcmp(fields[i].key, "GLIB_DOMAIN") == 0 &&
		         fields[i].length < 0)
			domain = fields[i].value;
	}
	if (message == NULL || g_get_charset(NULL) ||
	    !g_utf8_validate(message, -1, NULL) ||
	    (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_WARNING)) == 0 ||
	    g_log_writer_is_journald(fileno(stderr)))
		return g_log_writer_default(level, fields, n, data);
	now = g_date_time_new_now_local();
	clock = g_date_time_format(now, "%H:%M:%S.%f");
	/* (milliseconds, as GLib) */
	clock[12] = '\0';
	if ((level & G_LOG_LEVEL_WARNING) != 0)
		fprintf(stderr, "(%s:%ld): %s-WARNING **: %s: %s\n",
		        g_get_prgname(), (long)getpid(),
		        domain != NULL ? domain : "evfeed", clock, message);
	else
		fprintf(stderr, "%s-Message: %s: %s\n",
		        domain != NULL ? domain : "evfeed", clock, message);
	fflush(stderr);
	return G_LOG_WRITER_HANDLED;
}

static int
run(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx =
	    g_option_context_new("COMMAND - publish events as a calendar and "
	                         "feeds");
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) args = arguments(argc, argv);
	const char *cmd, *why;

	/* Diagnostics and dates are written in a fixed form, whatever the
	 * locale; only the character set is taken from it. */
	setlocale(LC_CTYPE, "");
	posix_clock();
	/* an empty TZDIR is none to evfeed, and to GLib the folder it runs
	 * in (zone files with leap seconds are refused before a command
	 * runs: `import` took every zone for unknown, and its times for UTC,
	 * hours off) */
	if (g_getenv("TZDIR") != NULL && g_getenv("TZDIR")[0] == '\0')
		g_unsetenv("TZDIR");
	icalerror_set_errors_are_fatal(0);
	xmlMemSetup(g_free, xml_malloc, xml_realloc, g_strdup);
	xmlInitParser();
	curl_global_init(CURL_GLOBAL_DEFAULT);

	g_option_context_add_main_entries(ctx, global_entries, NULL);
	g_option_context_set_description(ctx, summary);
	/* GLib prints its help and exits 0 itself, whether or not it
	 * reached the reader: printed here, main() checks it */
	for (guint i = 1; args[i] != NULL && strcmp(args[i], "--") != 0; i++)
		if (args[i][0] == '-' && valued_option(args[i]) != NULL &&
		    args[i + 1] != NULL)
			i++; /* (its value, as it is: "-c -h" names a file) */
		else if (strcmp(args[i], "--help") == 0 ||
		         strcmp(args[i], "-h") == 0 ||
		         strcmp(args[i], "-?") == 0) {
			g_autofree char *name = g_path_get_basename(args[0]);
			g_autofree char *help = NULL;

			g_set_prgname(name);
			help = g_option_context_get_help(ctx, TRUE, NULL);
			fputs(help, stdout);
			return 0;
		}
	if (!g_option_context_parse_strv(ctx, &args, &error)) {
		fprintf(stderr, "evfeed: %s\nTry 'evfeed --help'.\n",
		        error->message);
		return EXIT_USAGE;
	}
	argv = args;
	argc = (int)g_strv_length(args);
	/* GOption leaves the "--" that ends the options in place: drop it,
	 * so that `evfeed new -- "-1 day"` takes "-1 day" as the title. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			g_free(argv[i]);
			memmove(argv + i, argv + i + 1,
			        (size_t)(argc - i) * sizeof *argv);
			argc--;
			break;
		}
	}
	if (opt_version) {
		printf("evfeed %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (opt_config != NULL && opt_config[0] == '\0') {
		fprintf(stderr, "evfeed: --config: give the configuration "
		                "file's name\nTry 'evfeed --help'.\n");
		return EXIT_USAGE;
	}
	if (opt_listen != NULL && opt_listen[0] == '\0') {
		fprintf(stderr, "evfeed: --listen: give the address and port "
		                "to listen on, such as 127.0.0.1:8080\nTry "
		                "'evfeed --help'.\n");
		return EXIT_USAGE;
	}
	if (argc < 2) {
		fprintf(stderr, "evfeed: no command given\nTry 'evfeed "
		                "--help'.\n");
		return EXIT_USAGE;
	}
	cmd = argv[1];
	/* (before its arguments are counted: "fecth good" is no command
	 * with one too many) */
	if (!g_strv_contains(commands, cmd)) {
		g_autofree char *shown = evf_log_escape(cmd);

		fprintf(stderr,
		        "evfeed: unknown command '%s'\nTry 'evfeed --help'.\n",
		        shown);
		return EXIT_USAGE;
	}
	if (!options_fit(cmd))
		return EXIT_USAGE;
	/* GLib writes its debug and info messages (G_MESSAGES_DEBUG) to
	 * standard output, where `evfeed import -n`, `new` and `sources`
	 * write what a script reads: to standard error, but for serve,
	 * whose standard output is a log. */
	serving = strcmp(cmd, "serve") == 0;
	/* as [server] listen is checked, not left to the resolver (the
	 * other commands ignore it): an address serve cannot listen on */
	if (serving && opt_listen != NULL &&
	    (why = evf_config_listen_problem(opt_listen)) != NULL) {
		g_autofree char *shown = evf_log_escape(opt_listen);

		fprintf(stderr, "evfeed: error: --listen '%s': %s\n", shown,
		        why);
		return 1;
	}
	g_log_writer_default_set_use_stderr(!serving);
	g_log_set_writer_func(serving ? serve_log_writer : cli_log_writer, NULL,
	                      NULL);
	if (evf_tz_data_problem() != NULL) {
		fprintf(stderr, "evfeed: error: %s\n", evf_tz_data_problem());
		return 1;
	}
	if (strcmp(cmd, "new") == 0) {
		if (argc != 3) {
			fprintf(stderr, "evfeed: new: give the title, in "
			                "quotes\n");
			return EXIT_USAGE;
		}
		return cmd_new(argv[2]);
	}
	if (strcmp(cmd, "import") == 0) {
		if (argc != 3) {
			fprintf(stderr, "evfeed: import: give one calendar "
			                "file or URL\n");
			return EXIT_USAGE;
		}
		return cmd_import(argv[2]);
	}
	{
		/* fetch takes one argument, the other commands none: the
		 * first one past those is the unexpected one. */
		int rest = strcmp(cmd, "fetch") == 0 ? 1 : 0;

		if (argc > 2 + rest) {
			g_autofree char *shown = evf_log_escape(argv[2 + rest]);

			fprintf(stderr,
			        "evfeed: %s: unexpected argument '%s'\n", cmd,
			        shown);
			return EXIT_USAGE;
		}
		if (rest == 1)
			return cmd_fetch(argc == 3 ? argv[2] : NULL);
	}
	if (strcmp(cmd, "check") == 0)
		return cmd_check();
	if (strcmp(cmd, "build") == 0)
		return cmd_build();
	if (strcmp(cmd, "sources") == 0)
		return cmd_sources();
	if (serving) {
		int rc = evf_daemon_run(config_path(), opt_listen);

		if (rc != 0)
			say_how_to_give_config();
		return rc;
	}
	g_assert_not_reached();
}
