/*
 * config.c: evfeed.conf. The table below is the single list of keys, their
 * defaults and bounds; loading checks every group and key against it, so a
 * typo is an error rather than a silently ignored setting. All problems are
 * reported at once, each with the line it is on.
 */
#include "autoconf.h"
#include "config.h"

#include "html.h"
#include "tz.h"
#include "util.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libical/ical.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum {
	KEY_STRING,
	KEY_URL,
	KEY_PATH,
	KEY_ZONE,
	KEY_UINT,
	KEY_DURATION, /* ISO 8601 (PT1H) or 90s, 30m, 1h, 2d */
	KEY_BOOL,
	KEY_TAGDATE,
	KEY_LIST,     /* words separated by ',' or ';' */
	KEY_INT,      /* signed, within bounds */
	KEY_SIZE,     /* bytes: 1048576, 512KiB, 10MiB */
	KEY_FORMAT,   /* auto, ics, rss, atom */
	KEY_LANGUAGE, /* a BCP 47 tag: en, sl, en-GB */
	KEY_LISTEN,   /* an address and port: 127.0.0.1:8080, [::1]:80 */
} KeyType;

typedef struct {
	const char *group; /* "source" stands for every [source NAME] */
	const char *key;
	KeyType type;
	const char *def;
	gint64 min; /* bounds of KEY_UINT and KEY_DURATION (seconds) */
	gint64 max;
} KeySpec;

/* include= and exclude=: at most this many words or phrases, each of at
 * most this many characters */
#define MAX_WORDS      1000
#define MAX_WORD_CHARS 200

static const KeySpec keys[] = {
	{ "site", "title", KEY_STRING, "Events", 0, 0 },
	{ "site", "description", KEY_STRING, "", 0, 0 },
	{ "site", "url", KEY_URL, "http://127.0.0.1:8080/", 0, 0 },
	{ "site", "tag_date", KEY_TAGDATE, "2018", 0, 0 },
	{ "site", "timezone", KEY_ZONE, "UTC", 0, 0 },
	{ "site", "language", KEY_LANGUAGE, "en", 0, 0 },
	{ "paths", "events", KEY_PATH, "events", 0, 0 },
	{ "paths", "output", KEY_PATH, "public", 0, 0 },
	{ "paths", "state", KEY_PATH, "evfeed.db", 0, 0 },
	{ "feeds", "max_items", KEY_UINT, "50", 1, 1000 },
	{ "feeds", "refresh", KEY_DURATION, "PT1H", 300, 7 * 86400 },
	{ "feeds", "hub", KEY_URL, "", 0, 0 },
	{ "feeds", "past_days", KEY_UINT, "", 0, 36500 },
	{ "server", "listen", KEY_LISTEN, "127.0.0.1:8080", 0, 0 },
	{ "server", "threads", KEY_UINT, "2", 1, 64 },
	{ "server", "max_connections", KEY_UINT, "4000", 16, 60000 },
	{ "server", "max_per_client", KEY_UINT, "256", 0, 60000 },
	{ "server", "timeout", KEY_DURATION, "15s", 1, 3600 },
	{ "server", "access_log", KEY_BOOL, "true", 0, 0 },
	{ "source", "url", KEY_URL, "", 0, 0 },
	{ "source", "link", KEY_URL, "", 0, 0 },
	{ "source", "title", KEY_STRING, "", 0, 0 },
	{ "source", "interval", KEY_DURATION, "1h", 60, 7 * 86400 },
	{ "source", "enabled", KEY_BOOL, "true", 0, 0 },
	{ "source", "format", KEY_FORMAT, "auto", 0, 0 },
	{ "source", "categories", KEY_LIST, "", 0, 0 },
	{ "source", "include", KEY_LIST, "", 0, 0 },
	{ "source", "exclude", KEY_LIST, "", 0, 0 },
	{ "source", "priority", KEY_INT, "0", -1000, 1000 },
	{ "source", "timeout", KEY_DURATION, "60s", 1, 600 },
	{ "source", "max_bytes", KEY_SIZE, "10MiB", 1024,
	  G_GINT64_CONSTANT(256) * 1024 * 1024 },
};

const char *const *
evf_config_keys(void)
{
	static const char *names[G_N_ELEMENTS(keys) + 1];
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
			g_autofree char *name =
			    g_strconcat(keys[i].group, ".", keys[i].key, NULL);
			names[i] = g_intern_string(name);
		}
		g_once_init_leave(&done, 1);
	}
	return names;
}

static const KeySpec *
key_find(const char *group, const char *key)
{
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(keys[i].group, group) == 0 &&
		    strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

/* The key of @group that the unknown @key most likely misspells: the
 * same in another case, or one or two letters off; NULL when none. */
static const char *
near_key(const char *group, const char *key)
{
	const char *best = NULL;
	guint best_d = 3;

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		guint d;

		if (strcmp(keys[i].group, group) != 0)
			continue;
		if (g_ascii_strcasecmp(keys[i].key, key) == 0)
			return keys[i].key;
		d = evf_edit_distance(keys[i].key, key);
		if (d < best_d && d < strlen(keys[i].key) / 2 + 1) {
			best = keys[i].key;
			best_d = d;
		}
	}
	return best;
}

/* Bytes of a section's name: a source's names a folder of the output. */
#define MAX_SECTION 128

/* Whether [@group] is a section evfeed reads: one of the keys' groups, or
 * "source NAME". */
static gboolean
known_group(const char *group)
{
	if (g_str_has_prefix(group, "source "))
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(keys[i].group, "source") != 0 &&
		    strcmp(keys[i].group, group) == 0)
			return TRUE;
	return FALSE;
}

/* (transfer full) (nullable): the section the unknown [@group] most
 * likely misspells: the same in another case, one or two letters off
 * ([path], [feed]), a source's with its name ([sources osce]), or
 * "source NAME" for a source's without one ([source]). */
static char *
near_group(const char *group)
{
	g_autofree char *trimmed = g_strstrip(g_strdup(group));
	g_autofree char *lower = g_ascii_strdown(trimmed, -1);
	const char *space = strchr(lower, ' ');
	const char *best = NULL;
	guint best_d = 3;

	/* (spaces inside the brackets, as TOML allows: "[ site ]") */
	if (known_group(lower))
		return g_steal_pointer(&lower);
	if (space != NULL) {
		g_autofree char *word = g_strndup(lower, space - lower);

		return evf_edit_distance(word, "source") <= 2
		           ? g_strconcat("source", trimmed + (space - lower),
		                         NULL)
		           : NULL;
	}
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		guint d = evf_edit_distance(keys[i].group, lower);

		if (strcmp(keys[i].group, "source") != 0 && d < best_d &&
		    d < strlen(keys[i].group) / 2 + 1) {
			best = keys[i].group;
			best_d = d;
		}
	}
	if (best != NULL)
		return g_strdup(best);
	return evf_edit_distance(lower, "source") <= 2 ? g_strdup("source NAME")
	                                               : NULL;
}

/* Where each "[group]", and each "key=" inside one, first appears, for
 * diagnostics (GKeyFile keeps no positions): "[group]" and "[group]\nkey"
 * → line. Built in one pass, so that a file of many mistakes is reported
 * in linear time. GKeyFile quietly merges a section that appears twice and
 * keeps the last of two equal keys; both are reported here as errors, like
 * a duplicate key in an event file, since one of the two settings would be
 * an editor's mistake that vanishes. */
/* Duplicate keys of one section reported one by one, at most: a section
 * of thousands of one key (a generated file gone wrong) is told in a few
 * lines, and as fast as one that is right. */
#define MAX_DUPLICATES 20

/* Tells of the @more duplicate keys of the section @header past the first
 * MAX_DUPLICATES, the first of them on line @line; nothing for none. */
static void
more_duplicates(GPtrArray *diags, const char *path, const char *header,
                guint more, guint line)
{
	if (more > 0)
		evf_diags_add(diags, path, line, 0,
		              "%s: %u more duplicate key%s from here on, not "
		              "listed one by one",
		              header, more, more == 1 ? "" : "s");
}

static GHashTable *
index_lines(const char *text, const char *path, GPtrArray *diags)
{
	GHashTable *lines =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) split = g_strsplit_set(text, "\n", -1);
	const char *header = NULL;
	/* the duplicate keys of the section so far; those past the first
	 * MAX_DUPLICATES are counted, and told in one line at its end */
	guint dups = 0, more = 0, more_line = 0;

	for (guint i = 0; split[i] != NULL; i++) {
		char *l = g_strstrip(split[i]);
		const char *eq;
		g_autofree char *name = NULL;
		int n = 0;
		guint first;

		if (l[0] == '#' || l[0] == '\0') {
			continue;
		} else if (l[0] == '[') {
			more_duplicates(diags, path, header, more, more_line);
			dups = more = 0;
			header = l;
			name = g_strdup(l);
		} else if (header != NULL && (eq = strchr(l, '=')) != NULL) {
			n = (int)(eq - l);
			while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t'))
				n--;
			name = g_strdup_printf("%s\n%.*s", header, n, l);
		} else {
			continue;
		}
		first = GPOINTER_TO_UINT(g_hash_table_lookup(lines, name));
		if (first == 0)
			g_hash_table_insert(lines, g_steal_pointer(&name),
			                    GUINT_TO_POINTER(i + 1));
		else if (l[0] == '[')
			evf_diags_add(diags, path, i + 1, 0,
			              "section %s appears twice (first on "
			              "line %u)",
			              l, first);
		else if (++dups > MAX_DUPLICATES) {
			if (more++ == 0)
				more_line = i + 1;
		} else
			evf_diags_add(diags, path, i + 1, 0,
			              "%s: duplicate key '%.*s' (first on "
			              "line %u)",
			              header, n, l, first);
	}
	more_duplicates(diags, path, header, more, more_line);
	return lines;
}

/* The name of a section whose header could not be read, on line @line
 * (that line in brackets): no section evfeed knows, whose keys are not
 * looked at; its header was reported. */
#define UNREADABLE_SECTION "evfeed unreadable section"

static char *
unreadable_header(guint line)
{
	return g_strdup_printf("[" UNREADABLE_SECTION " %u]", line);
}

/* Whether GKeyFile takes @line, a "[name]" or "key=value" line, in
 * a file of its own (a key under a section). It refuses a whole file for
 * one bad name; only a name with a bracket or a control character can
 * be one, and only those are tried. */
static gboolean
keyfile_takes(const char *line, gboolean header)
{
	g_autoptr(GKeyFile) kf = NULL;
	g_autofree char *text = NULL;
	/* the name: inside the brackets, or before '=' */
	const char *name = line + (header ? 1 : 0);
	gsize n = header ? strlen(line) - 2 : strcspn(line, "=");
	gboolean odd = n == 0;

	for (gsize i = 0; i < n && !odd; i++)
		odd = name[i] == '[' || name[i] == ']' ||
		      (guchar)name[i] < 0x20 || name[i] == 0x7f;
	if (!odd)
		return TRUE;
	kf = g_key_file_new();
	text = header ? g_strconcat(line, "\n", NULL)
	              : g_strconcat("[s]\n", line, "\n", NULL);
	return g_key_file_load_from_data(kf, text, -1, G_KEY_FILE_NONE, NULL);
}

/* (transfer full): @body with each line reported in it made empty, or,
 * a section header, the header of an unreadable section, so that the
 * rest is read and checked too. Reports every line of @body that is no
 * section header, "key=value" or comment, or that comes before the first
 * section; GKeyFile refuses the file at the first, in words an editor has
 * to puzzle out. */
static char *
check_lines(const char *body, const char *path, GPtrArray *diags)
{
	static GRegex *colon_form;
	g_auto(GStrv) split = g_strsplit_set(body, "\n", -1);
	g_auto(GStrv) kept = g_strsplit_set(body, "\n", -1);
	gboolean in_group = FALSE;

	for (guint i = 0; split[i] != NULL; i++) {
		char *l = g_strstrip(split[i]);
		g_autoptr(GMatchInfo) m = NULL;
		g_autofree char *shown = NULL;

		if (l[0] == '#' || l[0] == '\0')
			continue;
		/* (a control as \xhh, as evfeed(1) says, then made one line
		 * whose bidi controls end in it) */
		{
			g_autofree char *escaped = evf_log_escape(l);

			shown = evf_text_oneline(escaped);
		}
		if (l[0] == '[') {
			in_group = TRUE;
			if (l[strlen(l) - 1] != ']' || strchr(l, ']') == NULL ||
			    strchr(l, ']')[1] != '\0') {
				evf_diags_add(diags, path, i + 1, 0,
				              "a section header is '[name]' "
				              "alone on its line: '%s'",
				              shown);
				g_free(kept[i]);
				kept[i] = unreadable_header(i + 1);
			} else if (!keyfile_takes(l, TRUE)) {
				evf_diags_add(
				    diags, path, i + 1, 0,
				    "a section's name cannot be empty or "
				    "have '[', ']' or a control "
				    "character: '%s'",
				    shown);
				g_free(kept[i]);
				kept[i] = unreadable_header(i + 1);
			}
			continue;
		}
		if (l[0] == '=') {
			evf_diags_add(diags, path, i + 1, 0,
			              "expected key=value: the key before '=' "
			              "is missing: '%s'",
			              shown);
			kept[i][0] = '\0';
			continue;
		}
		if (strchr(l, '=') != NULL) {
			if (!in_group) {
				evf_diags_add(
				    diags, path, i + 1, 0,
				    "'%s' comes before any section: put "
				    "it under the section it belongs to, "
				    "such as [site]",
				    shown);
				kept[i][0] = '\0';
			} else if (!keyfile_takes(l, FALSE)) {
				evf_diags_add(
				    diags, path, i + 1, 0,
				    "a key's name cannot have '[' or ']' "
				    "where they are: '%s'",
				    shown);
				kept[i][0] = '\0';
			}
			continue;
		}
		kept[i][0] = '\0';
		if (g_regex_match(evf_regex_once(&colon_form,
		                                 "^([A-Za-z_][A-Za-z0-9_]*)"
		                                 "\\s*:\\s*(.*)$",
		                                 0),
		                  l, 0, &m)) {
			g_autofree char *key = g_match_info_fetch(m, 1);
			g_autofree char *value = g_match_info_fetch(m, 2);

			evf_diags_add(diags, path, i + 1, 0,
			              "expected key=value: '%s' (write "
			              "'%s=%s')",
			              shown, key, value);
		} else {
			evf_diags_add(diags, path, i + 1, 0,
			              "expected key=value, a [section] or a "
			              "comment (a line that begins with '#'): "
			              "'%s'",
			              shown);
		}
	}
	return g_strjoinv("\n", kept);
}

/* The line on which GKeyFile stops reading @body (its messages name no
 * line): the shortest run of first lines that it refuses, found by
 * halving, since GKeyFile refuses a file at its first bad line. 0 when
 * every prefix loads. */
static guint
parse_error_line(const char *body)
{
	g_auto(GStrv) split = g_strsplit_set(body, "\n", -1);
	guint lo = 1, hi = g_strv_length(split), found = 0;

	while (lo <= hi) {
		guint mid = lo + (hi - lo) / 2;
		char *saved = split[mid];
		g_autoptr(GKeyFile) kf = g_key_file_new();
		g_autofree char *prefix = NULL;
		gboolean ok;

		split[mid] = NULL;
		prefix = g_strjoinv("\n", split);
		split[mid] = saved;
		ok = g_key_file_load_from_data(kf, prefix, -1, G_KEY_FILE_NONE,
		                               NULL);
		if (ok) {
			lo = mid + 1;
		} else {
			found = mid;
			hi = mid - 1;
		}
	}
	return found;
}

/* The line of "[group]" or of "key=" inside it in @lines (index_lines);
 * 0 when not found. */
static guint
find_line(GHashTable *lines, const char *group, const char *key)
{
	g_autofree char *name = key != NULL
	                            ? g_strdup_printf("[%s]\n%s", group, key)
	                            : g_strdup_printf("[%s]", group);

	return GPOINTER_TO_UINT(g_hash_table_lookup(lines, name));
}

/* Symbolic links followed on one path at most, as Linux's ELOOP. */
#define MAX_LINKS 40

/* (transfer full): the absolute @path as the system opens it: each
 * symbolic link on it followed, and '..' the parent of where the link
 * led; a part that does not exist (yet) is taken as written, and so is a
 * link that leads nowhere (yet): where it leads, since what is made there
 * (the state's database) is made at its end. */
static char *
physical_at(const char *path, guint links)
{
	g_auto(GStrv) parts = g_strsplit(path, G_DIR_SEPARATOR_S, -1);
	g_autofree char *at = g_strdup(G_DIR_SEPARATOR_S);
	char buf[PATH_MAX];

	for (guint i = 0; parts[i] != NULL; i++) {
		char *next;
		g_autofree char *target = NULL;

		if (parts[i][0] == '\0' || strcmp(parts[i], ".") == 0)
			continue;
		if (strcmp(parts[i], "..") == 0) {
			next = g_path_get_dirname(at);
		} else {
			next = g_build_filename(at, parts[i], NULL);
			if (realpath(next, buf) != NULL) {
				g_free(next);
				next = g_strdup(buf);
			} else if (links < MAX_LINKS &&
			           (target = g_file_read_link(next, NULL)) !=
			               NULL) {
				g_autofree char *led =
				    g_path_is_absolute(target)
				        ? g_strdup(target)
				        : g_build_filename(at, target, NULL);

				g_free(next);
				next = physical_at(led, links + 1);
			}
		}
		g_free(at);
		at = next;
	}
	return g_steal_pointer(&at);
}

static char *
physical(const char *path)
{
	return physical_at(path, 0);
}

/* (transfer full): the path @value of the configuration, absolute, from
 * the configuration's folder @dir. Up to its last '..' it is taken as the
 * system opens it (evfeed.conf(5): the parent where a symbolic link led);
 * after it, as written, so that a link there (a release's 'current') is
 * followed anew each time the path is opened. */
static char *
config_path(const char *value, const char *dir)
{
	g_autofree char *raw = g_path_is_absolute(value)
	                           ? g_strdup(value)
	                           : g_build_filename(dir, value, NULL);
	g_auto(GStrv) parts = g_strsplit(raw, G_DIR_SEPARATOR_S, -1);
	g_autofree char *head = NULL;
	g_autofree char *rest = NULL;
	guint last = 0;

	for (guint i = 0; parts[i] != NULL; i++)
		if (strcmp(parts[i], "..") == 0)
			last = i + 1;
	if (last == 0)
		return g_canonicalize_filename(raw, NULL);
	rest = g_strjoinv(G_DIR_SEPARATOR_S, parts + last);
	{
		/* the parts up to the last '..' (borrowed, not copied) */
		g_autofree char **upto_parts = g_new0(char *, last + 1);
		g_autofree char *upto = NULL;

		memcpy(upto_parts, parts, last * sizeof *parts);
		upto = g_strjoinv(G_DIR_SEPARATOR_S, upto_parts);
		head = physical(upto);
	}
	return g_canonicalize_filename(rest, head);
}

/* Whether the path @inner is @outer or inside it, as the system opens
 * them: a symbolic link on either path is followed. */
static gboolean
within(const char *inner, const char *outer)
{
	g_autofree char *real_in = physical(inner);
	g_autofree char *real_out = physical(outer);
	g_autoptr(GFile) in = g_file_new_for_path(real_in);
	g_autoptr(GFile) out = g_file_new_for_path(real_out);

	return g_file_equal(in, out) || g_file_has_prefix(in, out);
}

/* Says so when a folder cannot be made at @dir, the folder of [paths]
 * @key (on @line of @path): a file or a symbolic link to nothing on its
 * way (a volume not mounted), which a build would meet only when it made
 * it, naming neither. */
static void
path_blocked(GPtrArray *diags, const char *path, guint line, const char *key,
             const char *dir)
{
	g_autofree char *to = NULL;
	gboolean loop;
	g_autofree char *at = evf_path_blocked(dir, &to, &loop);
	g_autofree char *within =
	    at != NULL && strcmp(at, dir) != 0
	        ? g_strdup_printf(" on the way to '%s'", dir)
	        : g_strdup("");

	if (at == NULL)
		return;
	if (loop)
		evf_diags_add(diags, path, line ? line : 1, 0,
		              "[paths] %s: '%s'%s is a symbolic link that "
		              "leads back to itself",
		              key, at, within);
	else if (to != NULL)
		evf_diags_add(diags, path, line ? line : 1, 0,
		              "[paths] %s: '%s'%s is a symbolic link to '%s', "
		              "which does not exist: make that folder",
		              key, at, within, to);
	else
		evf_diags_add(diags, path, line ? line : 1, 0,
		              "[paths] %s: '%s'%s is a file, not a folder", key,
		              at, within);
}

/* The length of the absolute @path with the links on its way followed,
 * as SQLite opens it: its longest part that exists, resolved (a link at its
 * end too), and the rest as written. */
static gsize
resolved_length(const char *path)
{
	g_autofree char *head = g_strdup(path);

	for (;;) {
		char *real = realpath(head, NULL);
		char *slash;

		if (real != NULL) {
			gsize n = strlen(real) + strlen(path) - strlen(head);

			free(real);
			return n;
		}
		slash = strrchr(head, '/');
		if (slash == NULL || slash == head)
			return strlen(path);
		*slash = '\0';
	}
}

/* What the output folder holds is published as it is: neither the event
 * files, nor the state, nor the configuration may be in it. (The output may be
 * inside the events folder, whose subfolders are not read.) The state is a
 * database evfeed writes, moving aside any other file in its place: it may be
 * neither the configuration nor in the editors' events folder. */
static void
check_paths(const EvfConfig *cfg, const char *path, GHashTable *lines,
            GPtrArray *diags)
{
	guint line = find_line(lines, "paths", "output");
	guint state_line = find_line(lines, "paths", "state");

	if (cfg->state_path != NULL && within(cfg->state_path, cfg->path))
		evf_diags_add(diags, path, state_line ? state_line : 1, 0,
		              "[paths] state: names the configuration itself; "
		              "give the state a file of its own");
	else if (cfg->state_path != NULL && cfg->events_dir != NULL &&
	         within(cfg->state_path, cfg->events_dir))
		evf_diags_add(diags, path, state_line ? state_line : 1, 0,
		              "[paths] state: inside the events folder (%s), "
		              "which is the editors'; keep it outside",
		              cfg->events_dir);
	/* (a build could not open it as a database, and would not say
	 * where it was set) */
	if (cfg->state_path != NULL &&
	    g_file_test(cfg->state_path, G_FILE_TEST_IS_DIR))
		evf_diags_add(diags, path, state_line ? state_line : 1, 0,
		              "[paths] state: '%s' is a folder: name the "
		              "state's file in it, such as %s/evfeed.db",
		              cfg->state_path, cfg->state_path);
	if (cfg->state_path != NULL) {
		g_autofree char *dir = g_path_get_dirname(cfg->state_path);
		gsize len = resolved_length(cfg->state_path);

		path_blocked(diags, path, state_line, "state", dir);
		/* SQLite opens a database by its path with the links
		 * followed, of at most 512 bytes with its journal's
		 * "-journal" (the unix VFS's MAX_PATHNAME): a longer one is
		 * a build's "unable to open database file" */
		if (len > EVF_STATE_PATH_MAX)
			evf_diags_add(
			    diags, path, state_line ? state_line : 1, 0,
			    "[paths] state: a path of %" G_GSIZE_FORMAT
			    " bytes%s, and SQLite opens a database "
			    "of at most %d: choose a shorter one",
			    len,
			    len != strlen(cfg->state_path)
			        ? " with its links followed"
			        : "",
			    EVF_STATE_PATH_MAX);
	}
	if (cfg->output_dir == NULL) /* invalid, and said so */
		return;
	/* (said before a build makes its state) */
	path_blocked(diags, path, line, "output", cfg->output_dir);
	if (cfg->events_dir != NULL && within(cfg->events_dir, cfg->output_dir))
		evf_diags_add(diags, path, line ? line : 1, 0,
		              "[paths] output: the events folder (%s) would "
		              "be published with it; give each a folder of "
		              "its own",
		              cfg->events_dir);
	if (cfg->state_path != NULL && within(cfg->state_path, cfg->output_dir))
		evf_diags_add(diags, path, line ? line : 1, 0,
		              "[paths] output: the state (%s) would be "
		              "published with it; keep it outside",
		              cfg->state_path);
	/* also where only a symbolic link to it is there: a web server
	 * follows it */
	if (within(cfg->path, cfg->output_dir) ||
	    within(cfg->dir, cfg->output_dir))
		evf_diags_add(diags, path, line ? line : 1, 0,
		              "[paths] output: this configuration would be "
		              "published with it, and the passwords a "
		              "source's url may hold; keep it outside");
}

/* The longest number a duration's part may have: libical keeps each part
 * in an unsigned int, which a longer one wraps (PT4294967596S would be
 * PT5M), and no bound of evfeed's is near it. */
#define DURATION_DIGITS 9

/* Reads the duration @v into *out, in seconds; one whose numbers are too
 * long to read is G_MAXINT64, out of every key's range. */
static gboolean
parse_duration(const char *v, gint64 *out)
{
	char *end = NULL;
	guint64 n;

	if (v[0] == 'P' || v[0] == '-' || v[0] == '+') {
		static GRegex *zeros;
		/* without leading zeros, which make no number longer (libical
		 * reads PT000000000000001H as nothing) */
		g_autofree char *bare = g_regex_replace_literal(
		    evf_regex_once(&zeros, "(?<![0-9])0+(?=[0-9])", 0), v, -1,
		    0, "", 0, NULL);
		struct icaldurationtype d;
		gsize run = 0;

		if (bare == NULL)
			return FALSE;
		v = bare;
		d = icaldurationtype_from_string(v);

		/* (libical reads P and PT, with no number, as nothing) */
		if (icaldurationtype_is_bad_duration(d) || d.is_neg ||
		    strpbrk(v, "0123456789") == NULL)
			return FALSE;
		for (const char *p = v; *p != '\0'; p++) {
			run = g_ascii_isdigit(*p) ? run + 1 : 0;
			if (run > DURATION_DIGITS) {
				*out = G_MAXINT64;
				return TRUE;
			}
		}
		/* in 64 bits: icaldurationtype_as_int's int wraps from 3,551
		 * weeks on */
		*out = ((gint64)d.weeks * 7 + d.days) * 86400 +
		       (gint64)d.hours * 3600 + (gint64)d.minutes * 60 +
		       d.seconds;
		return TRUE;
	}
	if (!g_ascii_isdigit(v[0]))
		return FALSE;
	n = g_ascii_strtoull(v, &end, 10);
	if (n > G_MAXINT32) {
		*out = G_MAXINT64;
		return strcmp(end, "s") == 0 || *end == '\0' ||
		       strcmp(end, "m") == 0 || strcmp(end, "min") == 0 ||
		       strcmp(end, "h") == 0 || strcmp(end, "d") == 0;
	}
	if (strcmp(end, "s") == 0 || *end == '\0')
		*out = (gint64)n;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		*out = (gint64)n * 60;
	else if (strcmp(end, "h") == 0)
		*out = (gint64)n * 3600;
	else if (strcmp(end, "d") == 0)
		*out = (gint64)n * 86400;
	else
		return FALSE;
	return TRUE;
}

/* ISO 639 as Debian's iso-codes lists it: each two-letter (639-1) and
 * three-letter (639-2, terminological and bibliographic) code, mapped to
 * the language's two-letter code, or to "" where it has none. NULL when
 * the list cannot be read. */
static GHashTable *
iso_639(void)
{
	static GHashTable *codes;
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		g_autoptr(JsonParser) parser = json_parser_new();
		JsonNode *root;
		JsonArray *list = NULL;

		if (json_parser_load_from_file(parser, EVF_ISO_639_FILE,
		                               NULL) &&
		    (root = json_parser_get_root(parser)) != NULL &&
		    JSON_NODE_HOLDS_OBJECT(root))
			list = json_object_get_array_member(
			    json_node_get_object(root), "639-2");
		if (list != NULL) {
			codes = g_hash_table_new_full(g_str_hash, g_str_equal,
			                              g_free, g_free);
			for (guint i = 0; i < json_array_get_length(list);
			     i++) {
				JsonObject *o =
				    json_array_get_object_element(list, i);
				static const char *const names[] = {
					"alpha_2", "alpha_3", "bibliographic"
				};
				const char *two;

				if (o == NULL)
					continue;
				two =
				    json_object_get_string_member_with_default(
				        o, "alpha_2", "");
				for (guint n = 0; n < G_N_ELEMENTS(names);
				     n++) {
					const char *code =
					    json_object_get_string_member_with_default(
					        o, names[n], NULL);

					if (code != NULL)
						g_hash_table_replace(
						    codes, g_strdup(code),
						    g_strdup(two));
				}
			}
		}
		g_once_init_leave(&done, 1);
	}
	return codes;
}

gboolean
evf_config_language_code(const char *code)
{
	GHashTable *codes = iso_639();
	const char *two;

	if (strlen(code) != 2 || !g_ascii_isalpha(code[0]) ||
	    !g_ascii_isalpha(code[1]))
		return FALSE;
	if (codes == NULL)
		return TRUE; /* nothing to check against */
	two = g_hash_table_lookup(codes, code);
	return two != NULL && g_ascii_strcasecmp(two, code) == 0;
}

/* Why the region subtag @region of a language tag is none, or NULL: UK
 * for the United Kingdom, the slip people make (its code is GB), which no
 * registry of BCP 47 has. (Others are left to the registry, which also
 * keeps regions ISO 3166 does not: EA, IC, EU, UN, YU.) */
static const char *
region_problem(const char *region)
{
	return g_ascii_strcasecmp(region, "UK") == 0
	           ? "no region has the code 'UK': the United Kingdom's is "
	             "GB (en-GB)"
	           : NULL;
}

/* Why the first subtag of the language tag @tag is no language, or NULL.
 * RFC 5646 §2.2.1: a language with a two-letter code is written with it,
 * and the feed validators know ISO 639's codes only. */
static const char *
language_problem(const char *tag)
{
	GHashTable *codes = iso_639();
	g_autofree char *primary = NULL;
	const char *two;

	if (codes == NULL)
		return NULL; /* nothing to check against */
	primary = g_ascii_strdown(tag, strcspn(tag, "-"));
	two = g_hash_table_lookup(codes, primary);
	if (two == NULL)
		return "no language of ISO 639 has this code (such as en, sl "
		       "or de)";
	/* The W3C Feed Validation Service's list of ISO 639 is of 2006: of
	 * the codes given since, each an InvalidLanguage error there */
	{
		static const char *const later[] = { "cnr", "nqo", "syc", "zbl",
			                             "zgh", "zxx", "zza" };

		for (gsize i = 0; i < G_N_ELEMENTS(later); i++)
			if (strcmp(primary, later[i]) == 0)
				return "ISO 639 gave this code after 2006, and "
				       "the W3C Feed Validation Service, whose "
				       "list is of then, calls the feeds' "
				       "language invalid; write the code of a "
				       "language it knows, with the country "
				       "(sr-ME for Montenegrin)";
	}
	if (two[0] != '\0' && strcmp(two, primary) != 0) {
		g_autofree char *why = g_strdup_printf(
		    "a language with a two-letter code is written with it "
		    "('%s', not '%s')",
		    two, primary);

		return g_intern_string(why);
	}
	return NULL;
}

/* (transfer full): @url (an absolute http or https URL) without the port
 * its scheme implies (RFC 3986 §6.2.3, GLib's scheme-based
 * normalisation): 'webcal:', which the subscribe links give, says nothing
 * of TLS, and a client that reads webcal://host:443/ as http:// speaks
 * plain HTTP to the TLS port. */
static char *
without_default_port(const char *url)
{
	g_autoptr(GUri) u = g_uri_parse(
	    url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);

	return u != NULL ? g_uri_to_string(u) : g_strdup(url);
}

/* Whether the host of @url (ASCII, as evf_uri_from_iri() gives it) can
 * be a tag: URI's authority: RFC 4151's DNSname, labels of letters,
 * digits and '-' that start and end with a letter or digit ('_' and a
 * final '.' are in some hosts' names, and not there). */
static gboolean
tag_host_valid(const char *url)
{
	static GRegex *form;
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);

	return uri != NULL && g_uri_get_host(uri) != NULL &&
	       g_regex_match(
	           evf_regex_once(&form,
	                          "^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
	                          "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
	                          "[A-Za-z0-9])?)*$",
	                          0),
	           g_uri_get_host(uri), 0, NULL);
}

static const char *interned(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* (transfer none): the message @fmt says, kept for the process, as
 * check_value's are. */
static const char *
interned(const char *fmt, ...)
{
	g_autofree char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return g_intern_string(s);
}

/* (transfer full): the items of the list @value, separated by ',' or ';'
 * (KEY_LIST), without the empty ones. */
static GStrv
list_items(const char *value)
{
	static GRegex *separator;
	/* (JIT: see evf_text_oneline) */
	g_auto(GStrv) parts = g_regex_split(
	    evf_regex_once(&separator, "\\s*[,;]\\s*", G_REGEX_OPTIMIZE), value,
	    0);
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();

	for (guint i = 0; parts[i] != NULL; i++)
		if (parts[i][0] != '\0')
			g_strv_builder_add(b, parts[i]);
	return g_strv_builder_end(b);
}

/* "@what from MIN to MAX": what a value of @spec must be, its bounds as
 * they are written (durations in ISO 8601, sizes in bytes). */
static const char *
bounds(const KeySpec *spec, const char *what)
{
	g_autofree char *lo = NULL;
	g_autofree char *hi = NULL;

	if (spec->type == KEY_DURATION) {
		lo = icaldurationtype_as_ical_string_r(
		    icaldurationtype_from_int((int)spec->min));
		hi = icaldurationtype_as_ical_string_r(
		    icaldurationtype_from_int((int)spec->max));
	} else {
		lo = g_strdup_printf("%" G_GINT64_FORMAT, spec->min);
		hi = g_strdup_printf("%" G_GINT64_FORMAT "%s", spec->max,
		                     spec->type == KEY_SIZE ? " bytes" : "");
	}
	return interned("%s from %s to %s", what, lo, hi);
}

/* Whether @path is a file that starts as an SQLite database does. */
static gboolean
is_sqlite_file(const char *path)
{
	static const char magic[] = "SQLite format 3";
	char head[sizeof magic] = { 0 };
	FILE *f = fopen(path, "rb");
	gboolean is;

	if (f == NULL)
		return FALSE;
	is = fread(head, 1, sizeof head, f) == sizeof head &&
	     memcmp(head, magic, sizeof magic) == 0;
	fclose(f);
	return is;
}

/* Whether @uri's host is an IPv6 address, which no feed may publish: the
 * W3C Feed Validation Service reads links by RFC 2396 (InvalidUriChar),
 * and tag: identifiers need a name. */
static gboolean
ipv6_host(GUri *uri)
{
	return uri != NULL && g_uri_get_host(uri) != NULL &&
	       strchr(g_uri_get_host(uri), ':') != NULL;
}

/* Checks @value against @spec; on success stores the canonical form in
 * *canon (strings) or *num (numbers), else returns the reason. */
static const char *
check_value(const EvfConfig *cfg, const KeySpec *spec, const char *value,
            char **canon, gint64 *num)
{
	switch (spec->type) {
	case KEY_STRING:
		/* (white space of any kind at the ends goes: a title of
		 * no-break or ideographic spaces alone is left empty, as one
		 * of spaces is, and the feeds' author and titles are never
		 * blank, which the W3C Feed Validation Service warns of) */
		*canon = evf_text_trim_blank(evf_text_oneline(value));
		/* (nor of invisible characters alone, U+2060 or a soft
		 * hyphen, which would name a calendar no one sees) */
		if (!evf_text_shows_anything(*canon))
			(*canon)[0] = '\0';
		return NULL;
	case KEY_URL: {
		g_autoptr(GUri) uri =
		    g_uri_parse(value, G_URI_FLAGS_NONE, NULL);
		const char *scheme = uri ? g_uri_get_scheme(uri) : NULL;

		if (uri != NULL && strcmp(spec->group, "site") == 0 &&
		    (g_uri_get_query(uri) != NULL ||
		     g_uri_get_fragment(uri) != NULL))
			return "the site's URL cannot have a query or a "
			       "fragment";
		if ((strcmp(spec->key, "hub") == 0 ||
		     strcmp(spec->key, "link") == 0) &&
		    value[0] == '\0') {
			*canon = NULL; /* none */
			return NULL;
		}
		/* Published in every feed, page and header: a source's
		 * url alone may carry a user name and password, which
		 * evfeed sends but never publishes. */
		if (uri != NULL && g_uri_get_userinfo(uri) != NULL &&
		    (strcmp(spec->group, "source") != 0 ||
		     strcmp(spec->key, "link") == 0))
			return "a published URL cannot hold a user name or "
			       "password";
		/* tag: identifiers (RFC 4151) are made from the site's
		 * host, which must be a name. */
		if (strcmp(spec->group, "site") == 0 && ipv6_host(uri))
			return "the site's URL needs a host name, not an IPv6 "
			       "address (its feeds' tag: identifiers are made "
			       "from it)";
		/* A source's link is published in every feed that lists its
		 * items (RSS source url, Atom source and author): the W3C
		 * Feed Validation Service reads links by RFC 2396, which has
		 * no IPv6 host (InvalidUriChar), as for an event's url. */
		if (strcmp(spec->group, "source") == 0 &&
		    strcmp(spec->key, "link") == 0 && ipv6_host(uri))
			return "a published link needs a host name, not an "
			       "IPv6 address (feed validators refuse one)";
		if (uri != NULL && strcmp(spec->group, "site") == 0 &&
		    strpbrk(g_uri_get_path(uri), "[]") != NULL)
			return "the site's URL cannot have '[' or ']' in its "
			       "path (its feeds' tag: identifiers are made from "
			       "it, and have no place for them)";
		/* The hub goes into HTTP Link headers as <URL>: GLib's
		 * parser lets through what would break them. */
		if (strcmp(spec->key, "hub") == 0 &&
		    !g_regex_match_simple(
		        "^[][A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+$", value, 0, 0))
			return "not an absolute http or https URL (characters "
			       "outside URLs must be percent-encoded)";
		if (uri == NULL || g_uri_get_host(uri) == NULL ||
		    g_uri_get_host(uri)[0] == '\0' ||
		    (g_strcmp0(scheme, "http") != 0 &&
		     g_strcmp0(scheme, "https") != 0))
			return "not an absolute http or https URL";
		/* GLib takes a host as written; RFC 3986 §3.2.2 has no
		 * space or control in one (nor an IRI's host, §3.2.2 of RFC
		 * 3987, once it is made ASCII) */
		if (!evf_uri_host_valid(g_uri_get_host(uri)))
			return "not an absolute http or https URL (its host "
			       "has a character no host name has)";
		/* The whole rest of the line is the value: a space typed
		 * after the URL was published, percent-encoded, in every
		 * link and every event's UID. */
		if (strpbrk(value, " \t\"<>") != NULL) {
			gsize n = strlen(value);

			return n > 0 && (value[n - 1] == ' ' ||
			                 value[n - 1] == '\t')
			           ? "not an absolute http or https URL: it ends "
			             "with a space or tab, which would be part of "
			             "it (the value is the rest of the line)"
			           : "not an absolute http or https URL: a "
			             "space, tab, quote or angle bracket cannot "
			             "be in one (write a space as %20)";
		}
		{
			/* Non-ASCII characters (an IRI) as the URI they
			 * stand for: feeds, calendars and HTTP need URIs. */
			g_autofree char *ascii = evf_uri_from_iri(value);

			if (ascii == NULL)
				return "not an absolute http or https URL";
			if (strcmp(spec->group, "site") == 0 &&
			    !tag_host_valid(ascii))
				return "the site's URL needs a host name of "
				       "letters, digits, '-' and dots, each "
				       "part starting and ending with a letter "
				       "or digit (its feeds' tag: identifiers "
				       "are made from it, RFC 4151)";
			if (strcmp(spec->group, "site") == 0) {
				char *plain = without_default_port(ascii);

				g_free(ascii);
				ascii = plain;
			}
			*canon = g_str_has_suffix(ascii, "/") ||
			                 strcmp(spec->group, "site") != 0
			             ? g_steal_pointer(&ascii)
			             : g_strconcat(ascii, "/", NULL);
		}
		return NULL;
	}
	case KEY_LISTEN: {
		const char *why = evf_config_listen_problem(value);

		if (why != NULL)
			return why;
		*canon = g_strdup(value);
		return NULL;
	}
	case KEY_PATH:
		if (value[0] == '\0')
			return "empty path";
		*canon = config_path(value, cfg->dir);
		/* the state is a file: 'var/' meant a folder, and was made a
		 * database called 'var'; one that is there already (which
		 * versions before took the value for) is named as it is */
		if (strcmp(spec->key, "state") == 0 &&
		    (g_str_has_suffix(value, G_DIR_SEPARATOR_S) ||
		     g_str_has_suffix(value, G_DIR_SEPARATOR_S ".") ||
		     g_str_has_suffix(value, G_DIR_SEPARATOR_S ".."))) {
			g_autofree char *why =
			    is_sqlite_file(*canon)
			        ? g_strdup_printf(
			              "ends in '%s', as a folder's name does, "
			              "and '%s' is the state's file: write "
			              "that",
			              strrchr(value, G_DIR_SEPARATOR), *canon)
			        : g_strdup_printf(
			              "names a folder (it ends in '%s'): name "
			              "the state's file in it, such as %s%s"
			              "evfeed.db",
			              strrchr(value, G_DIR_SEPARATOR), value,
			              g_str_has_suffix(value, G_DIR_SEPARATOR_S)
			                  ? ""
			                  : G_DIR_SEPARATOR_S);

			g_clear_pointer(canon, g_free);
			return g_intern_string(why);
		}
		return NULL;
	case KEY_LANGUAGE: {
		static GRegex *well_formed;
		g_autoptr(GMatchInfo) m = NULL;
		g_autofree char *region = NULL;
		const char *problem;

		/* RFC 5646's form: a language of two or three letters, then
		 * subtags (script, region, variant) after '-'. The feed
		 * validators refuse anything else, and 'en_US' (a locale's
		 * name) is the slip people make. */
		if (strchr(value, '_') != NULL)
			return "a language tag joins its parts with '-', not "
			       "'_' (such as en-GB)";
		/* RFC 5646's grandfathered "i-klingon", of no ISO 639
		 * code, which the feed validators know alone */
		if (g_ascii_strncasecmp(value, "i-", 2) == 0)
			return "an 'i-' tag has no language of ISO 639, which "
			       "the feed validators know alone: write the "
			       "language's code (such as tlh for Klingon)";
		/* RFC 5646 §2.1's well-formed tag: a language (and
		 * extended ones), script, region, variants, extensions,
		 * private use, each of its form ("en-x", "en-GB-GB" and
		 * "sl-1" are none); or one of the tags it keeps as they
		 * were (§2.2.8) whose language has a code */
		static const char *const grandfathered[] = {
			"en-GB-oed",  "sgn-BE-FR",   "sgn-BE-NL", "sgn-CH-DE",
			"art-lojban", "cel-gaulish", "no-bok",    "no-nyn",
			"zh-guoyu",   "zh-hakka",    "zh-min",    "zh-min-nan",
			"zh-xiang",
		};
		gboolean kept = FALSE;

		for (gsize i = 0; i < G_N_ELEMENTS(grandfathered); i++)
			kept |=
			    g_ascii_strcasecmp(value, grandfathered[i]) == 0;
		if (!kept &&
		    !g_regex_match(
		        evf_regex_once(&well_formed,
		                       "^[a-z]{2,3}(-[a-z]{3}){0,3}"
		                       "(-[a-z]{4})?"
		                       "(-(?<region>[a-z]{2}|[0-9]{3}))?"
		                       "(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
		                       "(-[0-9a-wyz](-[a-z0-9]{2,8})+)*"
		                       "(-x(-[a-z0-9]{1,8})+)?$",
		                       G_REGEX_CASELESS),
		        value, 0, &m))
			return "not a language tag (BCP 47) such as en, sl or "
			       "en-GB";
		region = kept ? NULL : g_match_info_fetch_named(m, "region");
		problem = language_problem(value);
		if (problem == NULL && region != NULL && region[0] != '\0')
			problem = region_problem(region);
		if (problem == NULL)
			*canon = g_strdup(value);
		return problem;
	}
	case KEY_ZONE: {
		GTimeZone *tz;
		const char *problem;

		/* UTC under any of its names, spelled one way. */
		if (evf_tz_is_utc(value)) {
			*canon = g_strdup("UTC");
			return NULL;
		}
		tz = evf_tz_new(value, &problem);
		if (tz == NULL)
			return problem;
		g_time_zone_unref(tz);
		*canon = g_strdup(value);
		return NULL;
	}
	case KEY_UINT: {
		guint64 n;

		/* a key whose default is empty (past_days): none */
		if (value[0] == '\0' && spec->def[0] == '\0') {
			*num = -1;
			return NULL;
		}

		if (!g_ascii_string_to_unsigned(value, 10, spec->min, spec->max,
		                                &n, NULL))
			return bounds(spec, "not a whole number");
		*num = (gint64)n;
		return NULL;
	}
	case KEY_DURATION: {
		struct icaldurationtype d;

		if (!parse_duration(value, num))
			return "not a duration (such as PT1H, 30m, 1h or 1d)";
		if (*num < spec->min || *num > spec->max)
			return bounds(spec, "not a duration");
		/* Kept in ISO 8601 whatever the spelling: it goes as is into
		 * REFRESH-INTERVAL and X-PUBLISHED-TTL. */
		d = icaldurationtype_from_int((int)*num);
		*canon = icaldurationtype_as_ical_string_r(d);
		return NULL;
	}
	case KEY_BOOL:
		if (strcmp(value, "true") == 0)
			*num = 1;
		else if (strcmp(value, "false") == 0)
			*num = 0;
		else
			return "not a boolean (true or false)";
		return NULL;
	case KEY_LIST: {
		g_autofree char *line = evf_text_oneline(value);
		/* (include= and exclude=: words or phrases, each looked
		 * for in the text of every item) */
		g_auto(GStrv) words = strcmp(spec->key, "include") == 0 ||
		                              strcmp(spec->key, "exclude") == 0
		                          ? list_items(line)
		                          : NULL;

		for (guint i = 0; words != NULL && words[i] != NULL; i++)
			if (g_utf8_strlen(words[i], -1) > MAX_WORD_CHARS)
				return interned(
				    "a word or phrase of more than %d "
				    "characters",
				    MAX_WORD_CHARS);
		if (words != NULL && g_strv_length(words) > MAX_WORDS)
			return interned(
			    "more than %d words or phrases (each is looked "
			    "for in every item's title, description and "
			    "categories, and a calendar's parser has 5 s)",
			    MAX_WORDS);
		*canon = g_steal_pointer(&line);
		return NULL;
	}
	case KEY_INT: {
		gint64 n;

		if (!g_ascii_string_to_signed(value, 10, spec->min, spec->max,
		                              &n, NULL))
			return bounds(spec, "not a whole number");
		*num = n;
		return NULL;
	}
	case KEY_SIZE: {
		char *end = NULL;
		guint64 n = g_ascii_strtoull(value, &end, 10);
		guint64 unit = 1;

		if (end == value)
			return "not a size (such as 1048576, 512KiB or 10MiB)";
		if (g_ascii_strcasecmp(end, "KiB") == 0 ||
		    g_ascii_strcasecmp(end, "K") == 0)
			unit = 1024;
		else if (g_ascii_strcasecmp(end, "MiB") == 0 ||
		         g_ascii_strcasecmp(end, "M") == 0)
			unit = 1024 * 1024;
		else if (*end != '\0')
			return "not a size (such as 1048576, 512KiB or 10MiB)";
		/* (g_ascii_strtoull gives G_MAXUINT64 for a number too long) */
		if (!g_uint64_checked_mul(&n, n, unit) ||
		    n < (guint64)spec->min || n > (guint64)spec->max)
			return bounds(spec, "not a size");
		*num = (gint64)n;
		return NULL;
	}
	case KEY_FORMAT:
		if (strcmp(value, "auto") != 0 && strcmp(value, "ics") != 0 &&
		    strcmp(value, "rss") != 0 && strcmp(value, "atom") != 0)
			return "not a format (auto, ics, rss or atom)";
		*canon = g_strdup(value);
		return NULL;
	case KEY_TAGDATE: {
		static const char *const forms[] = {
			"^[0-9]{4}$", "^[0-9]{4}-[0-9]{2}$",
			"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
		};
		g_autoptr(GDateTime) now = g_date_time_new_now_utc();
		guint year = 0, month = 1, day = 1;
		gboolean form = FALSE;
		GDate date, today;

		for (guint i = 0; i < G_N_ELEMENTS(forms) && !form; i++)
			form = g_regex_match_simple(forms[i], value, 0, 0);
		if (!form)
			return "not a date of the form YYYY, YYYY-MM or "
			       "YYYY-MM-DD";
		sscanf(value, "%4u-%2u-%2u", &year, &month, &day);
		/* RFC 4151 §2.1: a day on which the domain was held, so
		 * one that exists and has come; the feed validators refuse
		 * every identifier made with any other (InvalidTAG). */
		if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month,
		                      (GDateYear)year))
			return "not a date that exists";
		g_date_clear(&date, 1);
		g_date_set_dmy(&date, (GDateDay)day, (GDateMonth)month,
		               (GDateYear)year);
		g_date_clear(&today, 1);
		g_date_set_dmy(&today,
		               (GDateDay)g_date_time_get_day_of_month(now),
		               (GDateMonth)g_date_time_get_month(now),
		               (GDateYear)g_date_time_get_year(now));
		if (g_date_compare(&date, &today) > 0)
			return g_date_time_to_unix(now) < EVF_CLOCK_SANE
			           ? "a date after today by the system clock, "
			             "which is wrong (it reads a time before "
			             "2026): set the clock right"
			           : "a date in the future";
		*canon = g_strdup(value);
		return NULL;
	}
	}
	g_assert_not_reached();
}

/* (transfer full): what may be published of a source's @url: without its
 * user name and password (RFC 3986 §7.5), nor its query and fragment, where
 * private calendar links keep their keys. */
static char *
public_link(const char *url)
{
	g_autoptr(GUri) u = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);

	if (u == NULL)
		return g_strdup(url);
	return g_uri_join(G_URI_FLAGS_ENCODED, g_uri_get_scheme(u), NULL,
	                  g_uri_get_host(u), g_uri_get_port(u),
	                  g_uri_get_path(u), NULL, NULL);
}

static void
source_free(gpointer p)
{
	EvfSourceConfig *s = p;

	g_free(s->name);
	g_free(s->title);
	g_free(s->url);
	g_free(s->link);
	g_free(s->feed_link);
	g_free(s->format);
	g_strfreev(s->categories);
	g_strfreev(s->include);
	g_strfreev(s->exclude);
	g_free(s);
}

void
evf_config_free(EvfConfig *cfg)
{
	if (cfg == NULL)
		return;
	g_free(cfg->path);
	g_free(cfg->digest);
	g_free(cfg->dir);
	g_free(cfg->title);
	g_free(cfg->description);
	g_free(cfg->url);
	g_free(cfg->host);
	g_free(cfg->base_path);
	g_free(cfg->uid_namespace);
	g_free(cfg->uid_site);
	g_free(cfg->tag_date);
	g_free(cfg->timezone);
	g_free(cfg->language);
	g_free(cfg->events_dir);
	g_free(cfg->output_dir);
	g_free(cfg->state_path);
	g_free(cfg->refresh);
	g_free(cfg->hub);
	g_free(cfg->listen);
	if (cfg->sources != NULL)
		g_ptr_array_unref(cfg->sources);
	g_free(cfg);
}

/* Where each value of the site goes. */
static char **
site_field(EvfConfig *cfg, const char *group, const char *key)
{
	static const struct {
		const char *group, *key;
		gsize offset;
	} map[] = {
		{ "site", "title", G_STRUCT_OFFSET(EvfConfig, title) },
		{ "site", "description",
		  G_STRUCT_OFFSET(EvfConfig, description) },
		{ "site", "url", G_STRUCT_OFFSET(EvfConfig, url) },
		{ "site", "tag_date", G_STRUCT_OFFSET(EvfConfig, tag_date) },
		{ "site", "timezone", G_STRUCT_OFFSET(EvfConfig, timezone) },
		{ "site", "language", G_STRUCT_OFFSET(EvfConfig, language) },
		{ "paths", "events", G_STRUCT_OFFSET(EvfConfig, events_dir) },
		{ "paths", "output", G_STRUCT_OFFSET(EvfConfig, output_dir) },
		{ "paths", "state", G_STRUCT_OFFSET(EvfConfig, state_path) },
		{ "feeds", "refresh", G_STRUCT_OFFSET(EvfConfig, refresh) },
		{ "feeds", "hub", G_STRUCT_OFFSET(EvfConfig, hub) },
		{ "server", "listen", G_STRUCT_OFFSET(EvfConfig, listen) },
	};
	for (guint i = 0; i < G_N_ELEMENTS(map); i++)
		if (strcmp(map[i].group, group) == 0 &&
		    strcmp(map[i].key, key) == 0)
			return G_STRUCT_MEMBER_P(cfg, map[i].offset);
	return NULL;
}

static void
apply_source(EvfSourceConfig *src, const KeySpec *spec, char *canon, gint64 num)
{
	GStrv *list;

	if (strcmp(spec->key, "url") == 0) {
		src->url = canon;
		return;
	}
	if (strcmp(spec->key, "link") == 0) {
		src->link = canon;
		src->url_secret = TRUE;
		return;
	}
	if (strcmp(spec->key, "title") == 0) {
		g_free(src->title);
		src->title = canon;
		return;
	}
	if (strcmp(spec->key, "format") == 0) {
		src->format = canon;
		return;
	}
	if (spec->type == KEY_LIST) {
		list = strcmp(spec->key, "categories") == 0 ? &src->categories
		       : strcmp(spec->key, "include") == 0  ? &src->include
		                                            : &src->exclude;
		g_strfreev(*list);
		*list = list_items(canon);
		g_free(canon);
		return;
	}
	g_free(canon);
	if (strcmp(spec->key, "interval") == 0)
		src->interval = num;
	else if (strcmp(spec->key, "enabled") == 0)
		src->enabled = num != 0;
	else if (strcmp(spec->key, "priority") == 0)
		src->priority = (gint)num;
	else if (strcmp(spec->key, "timeout") == 0)
		src->timeout = (guint)num;
	else if (strcmp(spec->key, "max_bytes") == 0)
		src->max_bytes = (guint64)num;
}

static void
apply(EvfConfig *cfg, EvfSourceConfig *src, const KeySpec *spec, char *canon,
      gint64 num)
{
	char **field;

	if (src != NULL) {
		apply_source(src, spec, canon, num);
		return;
	}
	static const struct {
		const char *group, *key;
		gsize offset;
	} numbers[] = {
		{ "feeds", "max_items", G_STRUCT_OFFSET(EvfConfig, max_items) },
		{ "server", "threads", G_STRUCT_OFFSET(EvfConfig, threads) },
		{ "server", "max_connections",
		  G_STRUCT_OFFSET(EvfConfig, max_connections) },
		{ "server", "max_per_client",
		  G_STRUCT_OFFSET(EvfConfig, max_per_client) },
		{ "server", "timeout", G_STRUCT_OFFSET(EvfConfig, timeout) },
	};
	for (guint i = 0; i < G_N_ELEMENTS(numbers); i++)
		if (strcmp(numbers[i].group, spec->group) == 0 &&
		    strcmp(numbers[i].key, spec->key) == 0) {
			G_STRUCT_MEMBER(guint, cfg, numbers[i].offset) =
			    (guint)num;
			g_free(canon);
			return;
		}
	if (strcmp(spec->key, "past_days") == 0) {
		cfg->past_limited = num >= 0;
		cfg->past_days = num >= 0 ? (guint)num : 0;
		return;
	}
	if (strcmp(spec->group, "server") == 0 &&
	    strcmp(spec->key, "access_log") == 0) {
		cfg->access_log = num != 0;
		return;
	}
	if (strcmp(spec->key, "refresh") == 0)
		cfg->refresh_seconds = num;
	field = site_field(cfg, spec->group, spec->key);
	g_assert(field != NULL);
	g_free(*field);
	*field = canon;
}

/* After an error in the value of @spec: its default, so that the rest of
 * the configuration, and the event files, are checked with it
 * (evf_config_load_partial). */
static void
apply_default(EvfConfig *cfg, const KeySpec *spec, EvfSourceConfig *src)
{
	char *canon = NULL;
	gint64 num = 0;

	/* (not a folder the configuration does not name) */
	if ((spec->def[0] == '\0' && spec->type != KEY_STRING) ||
	    spec->type == KEY_PATH)
		return;
	if (check_value(cfg, spec, spec->def, &canon, &num) == NULL)
		apply(cfg, src, spec, canon, num);
	else
		g_free(canon);
}

/* (nullable): a control character in @value, which a value that is not
 * free text cannot hold: a URL would carry it, percent-encoded, into every
 * link and event's UID; a path, into a folder's name. GKeyFile makes them
 * of "\n" and "\r" escapes; a tab has messages of its own. */
static const char *
control_in(const KeySpec *spec, const char *value)
{
	if (spec->type == KEY_STRING)
		return NULL;
	for (const char *c = value; *c != '\0'; c++)
		if (((guchar)*c < 0x20 && *c != '\t') || *c == 0x7f) {
			g_autofree char *why = g_strdup_printf(
			    "a control character (U+%04X) cannot be in it",
			    (guint)(guchar)*c);

			return g_intern_string(why);
		}
	return NULL;
}

/* Whether @s (of @n bytes) is in quotes, as TOML and other INI files
 * write a value. */
static gboolean
in_quotes(const char *s, gsize n)
{
	return n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0] &&
	       memchr(s + 1, s[0], n - 2) == NULL;
}

/* What evfeed.conf makes of a comment after a value. */
static const char COMMENT_IS_VALUE[] = "a '#' after a value is part of it: "
                                       "put a comment on a line of its own";

/* Whether @value holds what reads as a comment after it: " # …", or,
 * where a word may start with '#' (a list of "#rust, #golang"; a title
 * "Meetup #3"), only a '#' followed by a space or the end. */
static gboolean
commented(const char *value, gboolean words)
{
	for (const char *p = value; (p = strchr(p, '#')) != NULL; p++)
		if (p > value && (p[-1] == ' ' || p[-1] == '\t') &&
		    (!words || p[1] == ' ' || p[1] == '\t' || p[1] == '\0'))
			return TRUE;
	return FALSE;
}

/* (nullable): what other formats' habits make of a path, a list or a
 * text that evfeed.conf takes as written (the rest of the line): quotes
 * around it (or a list's words), a comment after it, and, a path, a space
 * at its end; the folder "public # served by nginx" would be written, and
 * no partner's item matches the word '"workshop"'. A text is warned of. */
static const char *
written_as_elsewhere(const KeySpec *spec, const char *value)
{
	static const char quotes[] = "the quotes are part of the value "
	                             "(evfeed.conf takes the rest of the "
	                             "line as written): leave them out";
	gsize n = strlen(value);

	if (spec->type == KEY_PATH || spec->type == KEY_STRING) {
		if (in_quotes(value, n))
			return quotes;
	} else if (spec->type == KEY_LIST) {
		g_auto(GStrv) words = g_strsplit_set(value, ",;", -1);

		for (guint i = 0; words[i] != NULL; i++) {
			char *w = g_strstrip(words[i]);

			if (in_quotes(w, strlen(w)))
				return quotes;
		}
	} else {
		return NULL;
	}
	if (commented(value, spec->type != KEY_PATH))
		return COMMENT_IS_VALUE;
	if (spec->type == KEY_PATH && n > 0 &&
	    (value[n - 1] == ' ' || value[n - 1] == '\t'))
		return "it ends with a space or tab, which would be part of "
		       "the path (the value is the rest of the line)";
	return NULL;
}

/* Cuts from @value a comment after it ("max_items=50  # RSS/Atom
 * entries", as ARCHITECTURE.md and other INI files write one): where the
 * value is of a kind that holds no '#' after white space (a number, a
 * duration, an address, a zone). A text, a list or a path takes the rest
 * of the line as written ("Meetup #3"), and written_as_elsewhere tells of
 * what reads as a comment there. A comment alone ("past_days= # none",
 * the '=' and the spaces after it GKeyFile's) leaves the value empty. */
static void
cut_comment(const KeySpec *spec, char *value)
{
	if (spec->type == KEY_STRING || spec->type == KEY_PATH ||
	    spec->type == KEY_LIST)
		return;
	for (char *p = value; (p = strchr(p, '#')) != NULL; p++)
		if (p == value || p[-1] == ' ' || p[-1] == '\t') {
			*p = '\0';
			g_strchomp(value);
			return;
		}
}

/* Whether each '\' of the raw value @value is one of GKeyFile's escapes:
 * "\s", "\t", "\n", "\r" or "\\". */
static gboolean
escapes_ok(const char *value)
{
	for (const char *p = strchr(value, '\\'); p != NULL;
	     p = strchr(p + 2, '\\'))
		if (p[1] == '\0' || strchr("stnr\\", p[1]) == NULL)
			return FALSE;
	return TRUE;
}

/* Applies the value of @spec (from @kf, else its default) to @cfg. */
static void
load_key(EvfConfig *cfg, const char *shown, GKeyFile *kf, GHashTable *lines,
         const char *group, const KeySpec *spec, EvfSourceConfig *src,
         GPtrArray *diags)
{
	g_autofree char *value = NULL;
	const char *reason;
	char *canon = NULL;
	gint64 num = 0;

	value = g_key_file_get_value(kf, group, spec->key, NULL);
	if (value == NULL) {
		if (src != NULL && strcmp(spec->key, "url") == 0) {
			evf_diags_add(diags, shown,
			              find_line(lines, group, NULL), 0,
			              "[%s]: url is required", group);
			return;
		}
		if (spec->def[0] == '\0' && spec->type != KEY_STRING)
			return;
		value = g_strdup(spec->def);
	} else {
		g_autoptr(GError) bad = NULL;
		g_autofree char *v = NULL;

		/* GLib keeps "\q" as written and cuts a value short at a
		 * final '\', and says so only here; the escapes are looked
		 * at first, as GLib 2.74 sets its error twice (warning of a
		 * bug) for a value with both */
		if (escapes_ok(value))
			v = g_key_file_get_string(kf, group, spec->key, &bad);
		if (v == NULL || bad != NULL) {
			evf_diags_add(
			    diags, shown, find_line(lines, group, spec->key), 0,
			    "[%s] %s: a '\\' stands only before "
			    "'s', 't', 'n', 'r' or another '\\' (write "
			    "'\\\\' for a backslash): '%s'",
			    group, spec->key, value);
			apply_default(cfg, spec, src);
			return;
		}
		g_free(value);
		value = g_strdup(v != NULL ? v : "");
	}
	cut_comment(spec, value);
	reason = control_in(spec, value);
	if (reason == NULL)
		reason = check_value(cfg, spec, value, &canon, &num);
	if (reason == NULL) {
		const char *habit = written_as_elsewhere(spec, value);

		if (habit != NULL && spec->type == KEY_STRING)
			evf_diags_warn(diags, shown,
			               find_line(lines, group, spec->key), 0,
			               "[%s] %s: %s: '%s'", group, spec->key,
			               habit, value);
		else
			reason = habit;
	}
	/* a title left empty (or of spaces, of any kind, and controls
	 * alone) is its default, as a key left out is */
	if (reason == NULL && spec->type == KEY_STRING && canon != NULL &&
	    canon[0] == '\0' && spec->def[0] != '\0') {
		g_free(canon);
		canon = g_strdup(spec->def);
	}
	if (reason == NULL && canon != NULL &&
	    (strcmp(spec->key, "title") == 0 ||
	     strcmp(spec->key, "description") == 0)) {
		/* Titles and descriptions of calendars and feeds are plain
		 * text, as an event's title is (feed validators warn of HTML
		 * in them: ContainsHTML). */
		g_autofree char *tag = NULL;
		char *plain = evf_text_plain(canon, &tag);

		/* (white space the HTML wrote, "&nbsp;", goes as typed
		 * white space did) */
		if (plain != NULL &&
		    !evf_text_shows_anything(evf_text_trim_blank(plain)))
			plain[0] = '\0';
		if (plain != NULL && plain[0] == '\0') {
			g_free(plain);
			reason = "nothing but HTML; write plain text";
		} else if (plain != NULL) {
			evf_diags_warn(diags, shown,
			               find_line(lines, group, spec->key), 0,
			               "[%s] %s: HTML ('%s') turned into plain "
			               "text",
			               group, spec->key, tag);
			g_free(canon);
			canon = plain;
		}
	}
	if (reason == NULL && spec->type == KEY_ZONE && canon != NULL) {
		g_autofree char *advice = evf_tz_etc_advice(canon);

		if (advice != NULL)
			evf_diags_warn(diags, shown,
			               find_line(lines, group, spec->key), 0,
			               "[%s] %s: %s", group, spec->key, advice);
	}
	if (reason != NULL) {
		/* "max_items=50 # fifty": GKeyFile has no comments after a
		 * value */
		gboolean comment = (strstr(value, " #") != NULL ||
		                    strstr(value, "\t#") != NULL) &&
		                   reason != COMMENT_IS_VALUE;
		/* "Europe/Ljubljana ", pasted: shown as if it were right */
		gsize n = strlen(value);
		gboolean trailing =
		    n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t') &&
		    strstr(reason, "ends with a space") == NULL;

		g_autofree char *advice =
		    comment ? g_strdup_printf(" (%s)", COMMENT_IS_VALUE)
		    : trailing
		        ? g_strdup(" (it ends with a space or tab, which is "
		                   "part of the value: take it out)")
		    : spec->type == KEY_ZONE ? evf_tz_advice(value, FALSE)
		                             : g_strdup("");

		g_free(canon);
		evf_diags_add(diags, shown, find_line(lines, group, spec->key),
		              0, "[%s] %s: %s: '%s'%s", group, spec->key,
		              reason, value, advice);
		apply_default(cfg, spec, src);
		return;
	}
	apply(cfg, src, spec, canon, num);
}

/* The sources' categories= (the enabled ones', which are published): at
 * most as many as an event file may give (each is a calendar, feeds and a
 * page, which list every item of the source), and no two names of one
 * address (category/SLUG/), whose calendar would list both (evfeed-
 * event(5) refuses them in event files; catalog.c checks the event files'
 * against these). */
static void
check_source_categories(const EvfConfig *cfg, const char *path,
                        GHashTable *lines, GPtrArray *diags)
{
	/* slug → the first name of it, and the source that gave it */
	g_autoptr(GHashTable) names =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) givers =
	    g_hash_table_new(g_str_hash, g_str_equal);

	for (guint s = 0; s < cfg->sources->len; s++) {
		const EvfSourceConfig *src = g_ptr_array_index(cfg->sources, s);
		g_autofree char *group =
		    g_strconcat("source ", src->name, NULL);
		guint line = find_line(lines, group, "categories");
		guint n = src->categories != NULL
		              ? g_strv_length(src->categories)
		              : 0;

		if (!src->enabled || n == 0)
			continue;
		if (n > EVF_CONFIG_MAX_CATEGORIES) {
			evf_diags_add(
			    diags, path, line, 0,
			    "[%s] categories: %u categories, more "
			    "than %d (each is a calendar, feeds and a "
			    "page listing every item of the source)",
			    group, n, EVF_CONFIG_MAX_CATEGORIES);
			continue;
		}
		for (guint i = 0; i < n; i++) {
			const char *name = src->categories[i];
			char *slug = evf_slugify_name(name);
			const char *had = g_hash_table_lookup(names, slug);

			if (had == NULL) {
				g_hash_table_insert(names, slug, (char *)name);
				g_hash_table_insert(givers, slug, src->name);
				continue;
			}
			if (!evf_same_name(name, had)) {
				g_autofree char *told =
				    evf_name_told(name, had);
				const char *giver =
				    g_hash_table_lookup(givers, slug);

				/* two that only look alike are one, as
				 * in the event files, said as they are */
				if (evf_names_look_alike(name, had))
					evf_diags_warn(
					    diags, path, line, 0,
					    "[%s] categories: '%s' is written "
					    "'%s' in [source %s]: write it "
					    "alike%s",
					    group, name, had, giver, told);
				else
					evf_diags_add(
					    diags, path, line, 0,
					    "[%s] categories: '%s' has the "
					    "same address (category/%s/) as "
					    "'%s' of [source %s]",
					    group, name, slug, had, giver);
			}
			g_free(slug);
		}
	}
}

/* The configuration file @path and its folder as the kernel finds them,
 * whatever $PWD says (GLib's current folder is $PWD when that names it,
 * through symbolic links, and canonicalising takes '..' off by text): the
 * folder without symbolic links, so that '../events' in the file is the
 * folder the kernel opens, from a shell or from systemd alike; the file
 * itself is not resolved (evfeed.conf(5): a symbolic link to it reads
 * relative paths from the link's folder). */
static void
physical_paths(const char *path, char **file, char **dir)
{
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *parent = g_path_get_dirname(path);
	g_autofree char *real = NULL;
	char buf[PATH_MAX];

	/* (a folder that is not there: as written, from getcwd's folder) */
	if (g_path_is_absolute(parent)) {
		real = physical(parent);
	} else {
		g_autofree char *full = g_build_filename(
		    getcwd(buf, sizeof buf) != NULL ? buf : "/", parent, NULL);

		real = physical(full);
	}
	*file = g_build_filename(real, base, NULL);
	*dir = g_steal_pointer(&real);
}

/* (transfer full): the path of the site's url (@path, percent-encoded)
 * as its identity holds it: decoded, but for an encoded '/' (RFC 3986
 * §2.2: "/a%2Fb/" is not "/a/b/"), which stays "%2F". */
static char *
identity_path(const char *path)
{
	static GRegex *written;
	g_auto(GStrv) parts =
	    g_regex_split_simple("%2F", path, G_REGEX_CASELESS, 0);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_autofree char *part = g_uri_unescape_string(parts[i], NULL);

		/* (g_uri_parse has refused any other bad escape) */
		if (part == NULL)
			part = g_strdup(parts[i]);
		g_free(parts[i]);
		/* "%252F" decodes to "%2F", which must not read as the
		 * encoded '/' the parts are joined with */
		parts[i] = g_regex_replace_literal(
		    evf_regex_once(&written, "%2F", G_REGEX_CASELESS), part, -1,
		    0, "%252F", 0, NULL);
	}
	return g_strjoinv("%2F", parts);
}

/* (transfer full) (nullable): the configuration at @path, with the
 * default of each value in error (their number in its errors); NULL when
 * the file could not be read as one. */
static EvfConfig *
config_read(const char *path, GPtrArray *diags)
{
	g_autoptr(EvfConfig) cfg = g_new0(EvfConfig, 1);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	g_auto(GStrv) groups = NULL;
	g_autofree char *text = NULL;
	const char *body;
	g_autofree char *readable = NULL;
	g_autofree char *checked = NULL;
	g_autoptr(GHashTable) lines = NULL;
	guint before = evf_diags_errors(diags);
	g_autoptr(GUri) uri = NULL;
	g_autofree char *site_path = NULL;
	struct stat st;

	/* "conf/" (a shell completes a folder's name so) names no file:
	 * the system says why, where its folder and base name would make
	 * it "conf/conf" */
	if (g_str_has_suffix(path, G_DIR_SEPARATOR_S) &&
	    !g_file_get_contents(path, &text, &len, &error)) {
		evf_diags_add(diags, path, 0, 0, "%s", error->message);
		return NULL;
	}
	physical_paths(path, &cfg->path, &cfg->dir);
	cfg->sources = g_ptr_array_new_with_free_func(source_free);

	/* Unlike event files, the configuration may be a symbolic link
	 * (/etc/evfeed/evfeed.conf pointing into a deployment); a device or
	 * a FIFO (/dev/zero) would be read without end. */
	if (stat(cfg->path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode)) {
		evf_diags_add(diags, path, 0, 0, "not a regular file");
		return NULL;
	}
	if (!g_file_get_contents(cfg->path, &text, &len, &error)) {
		evf_diags_add(diags, path, 0, 0, "%s", error->message);
		return NULL;
	}
	if (len > 1024 * 1024) {
		evf_diags_add(diags, path, 0, 0,
		              "the configuration is larger than 1 MiB");
		return NULL;
	}
	cfg->digest = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	                                          (const guchar *)text, len);
	/* (one error, not one for each line's NULs) */
	if (evf_looks_utf16(text, len)) {
		evf_diags_add(diags, path, 1, 0,
		              "the file is in UTF-16: save it as UTF-8");
		return NULL;
	}
	/* Windows editors start a UTF-8 file with a byte order mark, which
	 * GKeyFile takes for part of the first line. */
	body = g_str_has_prefix(text, "\xef\xbb\xbf") ? text + 3 : text;
	/* Old Mac editors end each line with a CR alone, which GKeyFile
	 * takes for one line: the lines are read as the file has them, as
	 * an event file's are. */
	if (memchr(text, '\n', len) == NULL)
		for (gsize k = 0; k < len; k++)
			if (text[k] == '\r')
				text[k] = '\n';
	/* GKeyFile loads a value that is not UTF-8, and then reads it as
	 * no value at all: the site would have no title, and only the build
	 * would fail, on what the writers make of that. (Comments are not
	 * read, and may stay in another encoding.) */
	{
		/* Each line that cannot be read is reported, and read as
		 * empty (a section header: as that of an unreadable
		 * section), so that the rest is checked too. */
		GString *clean = g_string_sized_new(len);
		const char *end = text + len;
		guint i = 0;

		for (const char *ls = body;; i++) {
			const char *le = memchr(ls, '\n', end - ls);
			const char *l = ls;
			gsize n;

			if (le == NULL)
				le = end;
			if (i > 0)
				g_string_append_c(clean, '\n');
			/* where two files were joined: invisible, and taken
			 * for part of the line */
			if (i > 0 && le - ls >= 3 &&
			    memcmp(ls, "\xef\xbb\xbf", 3) == 0) {
				evf_diags_add(
				    diags, path, i + 1, 0,
				    "the line starts with an invisible "
				    "byte order mark (U+FEFF), left where "
				    "two files were joined: delete it");
				ls += 3;
				l = ls;
			}
			while (l < le && (*l == ' ' || *l == '\t'))
				l++;
			for (n = le - l; n > 0 && g_ascii_isspace(l[n - 1]);
			     n--)
				;
			/* GKeyFile would stop reading at a NUL, without a
			 * word */
			if (memchr(ls, '\0', le - ls) != NULL) {
				evf_diags_add(diags, path, i + 1, 0,
				              "a NUL character is not allowed");
			} else if (l < le && *l != '#' &&
			           !g_utf8_validate_len(ls, le - ls, NULL)) {
				evf_diags_add(diags, path, i + 1, 0,
				              "invalid UTF-8: save the file as "
				              "UTF-8");
			} else if (l < le && *l == '[' && n > MAX_SECTION + 2) {
				/* The section's name is in every key's index
				 * entry and in messages about its keys: a
				 * long one would make their cost its length
				 * times their number. */
				g_autofree char *h = unreadable_header(i + 1);

				evf_diags_add(diags, path, i + 1, 0,
				              "a section name longer than %d "
				              "bytes",
				              MAX_SECTION);
				g_string_append(clean, h);
			} else {
				/* GKeyFile drops the CR of a CR LF, but not one
				 * that ends the file's last line */
				g_string_append_len(clean, ls,
				                    le - ls -
				                        (le == end && le > ls &&
				                         le[-1] == '\r'));
			}
			if (le == end)
				break;
			ls = le + 1;
		}
		readable = g_string_free(clean, FALSE);
	}
	body = checked = check_lines(readable, path, diags);
	if (!g_key_file_load_from_data(kf, body, -1, G_KEY_FILE_NONE, &error)) {
		evf_diags_add(diags, path, parse_error_line(body), 0, "%s",
		              error->message);
		return NULL;
	}
	lines = index_lines(body, path, diags);

	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		const char *g = groups[i];
		gboolean is_source = g_str_has_prefix(g, "source ");
		g_auto(GStrv) names = g_key_file_get_keys(kf, g, NULL, NULL);
		/* (a key given twice is listed twice: said once, with the
		 * duplicate said apart; a set, as a file may hold 100,000) */
		g_autoptr(GHashTable) told =
		    g_hash_table_new(g_str_hash, g_str_equal);

		if (g_str_has_prefix(g, UNREADABLE_SECTION " "))
			continue; /* reported */
		if (!known_group(g)) {
			g_autofree char *meant = near_group(g);

			evf_diags_add(diags, path, find_line(lines, g, NULL), 0,
			              "unknown section [%s]%s%s%s", g,
			              meant != NULL ? " (did you mean [" : "",
			              meant != NULL ? meant : "",
			              meant != NULL ? "]?)" : "");
			continue;
		}
		for (guint k = 0; names != NULL && names[k] != NULL; k++)
			if (key_find(is_source ? "source" : g, names[k]) ==
			        NULL &&
			    g_hash_table_add(told, names[k])) {
				const char *meant = near_key(
				    is_source ? "source" : g, names[k]);

				evf_diags_add(
				    diags, path, find_line(lines, g, names[k]),
				    0, "[%s]: unknown key '%s'%s%s%s", g,
				    names[k], meant ? " (did you mean '" : "",
				    meant ? meant : "", meant ? "'?)" : "");
			}
	}

	/* GKeyFile leaves a key with a locale ("title[en]") out of
	 * g_key_file_get_keys, and reads it only when asked for that
	 * locale: each would be a setting silently ignored. */
	{
		GHashTableIter it;
		gpointer name, line;

		g_hash_table_iter_init(&it, lines);
		while (g_hash_table_iter_next(&it, &name, &line)) {
			const char *n = name;
			const char *nl = strchr(n, '\n');
			g_autofree char *g = NULL;

			/* ("title[]" is no locale's: g_key_file_get_keys
			 * lists it, and it is told above) */
			if (nl == NULL || strchr(nl + 1, '[') == NULL ||
			    strchr(nl + 1, '[')[1] == ']' || nl - n < 2)
				continue;
			g = g_strndup(n + 1, (gsize)(nl - n) - 2);
			if (known_group(g))
				evf_diags_add(
				    diags, path, GPOINTER_TO_UINT(line), 0,
				    "[%s]: unknown key '%s'", g, nl + 1);
		}
	}

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(keys[i].group, "source") != 0)
			load_key(cfg, path, kf, lines, keys[i].group, &keys[i],
			         NULL, diags);

	for (guint i = 0; groups[i] != NULL; i++) {
		EvfSourceConfig *src;
		const char *name;

		if (!g_str_has_prefix(groups[i], "source "))
			continue;
		name = groups[i] + strlen("source ");
		if (!evf_config_source_name_ok(name)) {
			evf_diags_add(diags, path,
			              find_line(lines, groups[i], NULL), 0,
			              "[%s]: a source name is made of a-z, "
			              "0-9, '-' and '_', and begins with a "
			              "letter or a digit",
			              groups[i]);
			continue;
		}
		src = g_new0(EvfSourceConfig, 1);
		src->name = g_strdup(name);
		g_ptr_array_add(cfg->sources, src);
		for (guint k = 0; k < G_N_ELEMENTS(keys); k++)
			if (strcmp(keys[k].group, "source") == 0)
				load_key(cfg, path, kf, lines, groups[i],
				         &keys[k], src, diags);
		if (src->title == NULL || src->title[0] == '\0') {
			g_free(src->title);
			src->title = g_ascii_strup(src->name, -1);
		}
		if (src->link == NULL && src->url != NULL) {
			g_autoptr(GUri) u =
			    g_uri_parse(src->url, G_URI_FLAGS_ENCODED, NULL);
			/* (a link= written but refused is told at its line) */
			g_autofree char *link =
			    g_key_file_get_value(kf, groups[i], "link", NULL);

			if ((link == NULL || *g_strstrip(link) == '\0') &&
			    ipv6_host(u))
				evf_diags_add(
				    diags, path,
				    find_line(lines, groups[i], "url"), 0,
				    "[%s] url: its host is an IPv6 address, "
				    "which the feeds would publish as the "
				    "source's link (feed validators refuse "
				    "one): add link= with the source's page "
				    "by its host name",
				    groups[i]);
			src->link = public_link(src->url);
			if (u != NULL && g_uri_get_query(u) == NULL)
				src->feed_link = g_strdup(src->link);
		}
	}

	check_paths(cfg, path, lines, diags);
	check_source_categories(cfg, path, lines, diags);
	cfg->errors = evf_diags_errors(diags) - before;
	cfg->events_given = g_key_file_has_key(kf, "paths", "events", NULL);
	uri = g_uri_parse(cfg->url, G_URI_FLAGS_ENCODED_PATH, NULL);
	if (uri == NULL) /* (no default can be) */
		return NULL;
	cfg->host = g_ascii_strdown(g_uri_get_host(uri), -1);
	site_path = identity_path(g_uri_get_path(uri));
	{
		/* not the scheme: a site that moves to https keeps them */
		cfg->uid_site = g_strconcat(cfg->host, site_path, NULL);
		cfg->uid_namespace =
		    evf_uuid5(EVF_UUID_NAMESPACE, cfg->uid_site);
		cfg->url_line = find_line(lines, "site", "url");
		cfg->tag_date_line = find_line(lines, "site", "tag_date");
	}
	cfg->base_path =
	    g_strdup(site_path[0] == '/' ? site_path + 1 : site_path);
	return g_steal_pointer(&cfg);
}

EvfConfig *
evf_config_load(const char *path, GPtrArray *diags)
{
	g_autoptr(EvfConfig) cfg = config_read(path, diags);

	return cfg != NULL && cfg->errors == 0 ? g_steal_pointer(&cfg) : NULL;
}

EvfConfig *
evf_config_load_partial(const char *path, GPtrArray *diags)
{
	return config_read(path, diags);
}

const char *
evf_config_listen_problem(const char *value)
{
	g_autoptr(GSocketConnectable) addr = NULL;
	const char *host;
	char *unbracketed = evf_listen_unbracketed(value);

	if (unbracketed != NULL) {
		const char *why = g_intern_string(unbracketed);

		g_free(unbracketed);
		return why;
	}
	/* as evfeed serve reads it, without looking the name up */
	addr = g_network_address_parse(value, 8080, NULL);
	host = addr != NULL
	           ? g_network_address_get_hostname(G_NETWORK_ADDRESS(addr))
	           : NULL;
	/* "8080", as nginx takes it: GLib reads a host of that
	 * name, which serve cannot look up */
	if (host != NULL && host[0] != '\0' &&
	    strspn(host, "0123456789") == strlen(host)) {
		g_autofree char *why = g_strdup_printf(
		    "a port alone: give the address to listen on with "
		    "it, such as 127.0.0.1:%s",
		    host);

		return g_intern_string(why);
	}
	if (host == NULL || !evf_uri_host_valid(host))
		return "not an address and port to listen on (such as "
		       "127.0.0.1:8080, [::1]:8080 or localhost:8080)";
	return NULL;
}

gboolean
evf_config_source_name_ok(const char *name)
{
	return g_regex_match_simple("^[a-z0-9][a-z0-9_-]*$", name, 0, 0);
}

const EvfSourceConfig *
evf_config_source(const EvfConfig *cfg, const char *name)
{
	for (guint i = 0; i < cfg->sources->len; i++) {
		const EvfSourceConfig *s = g_ptr_array_index(cfg->sources, i);

		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

char *
evf_config_url(const EvfConfig *cfg, const char *path)
{
	return g_strconcat(cfg->url, path, NULL);
}
