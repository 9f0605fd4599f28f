/*
 * test-config.c: evfeed.conf as src/config.c reads it: a default for every
 * key, bounds, paths relative to the file, and a diagnostic with the right
 * line for every mistake.
 */
#include "autoconf.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "render.h"
#include "util.h"

typedef struct {
	char *dir; /* a fresh temporary folder */
	char *cwd; /* the working folder before the test */
	GPtrArray *diags;
} Fixture;

static void
rm_rf(const char *path)
{
	GDir *dir = g_dir_open(path, 0, NULL);
	const char *name;

	if (dir == NULL) {
		g_remove(path);
		return;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			rm_rf(child);
		else
			g_remove(child);
	}
	g_dir_close(dir);
	g_rmdir(path);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("evfeed-test-config-XXXXXX", &error);
	g_assert_no_error(error);
	f->cwd = g_get_current_dir();
	f->diags = evf_diags_new();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(g_chdir(f->cwd), ==, 0);
	rm_rf(f->dir);
	g_free(f->dir);
	g_free(f->cwd);
	g_ptr_array_unref(f->diags);
}

/* (transfer full): the path of @name in the fixture's folder, holding
 * @text. */
static char *
write_conf(Fixture *f, const char *name, const char *text)
{
	char *path = g_build_filename(f->dir, name, NULL);
	g_autofree char *folder = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	return path;
}

/* Writes @text to evfeed.conf and loads it. */
static EvfConfig *
load_text(Fixture *f, const char *text)
{
	g_autofree char *path = write_conf(f, "evfeed.conf", text);

	return evf_config_load(path, f->diags);
}

/* Prints the diagnostics into the test log, to explain a failure. */
static void
log_diags(GPtrArray *diags)
{
	for (guint i = 0; i < diags->len; i++) {
		g_autofree char *s =
		    evf_diag_format(g_ptr_array_index(diags, i));
		g_test_message("%s", s);
	}
}

/* Loads @len bytes of @data (NULs too) as the configuration, which must
 * be refused; its diagnostics go into f->diags, alone. */
static void
assert_refused_bytes(Fixture *f, const char *data, gsize len)
{
	g_autofree char *path = g_build_filename(f->dir, "evfeed.conf", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfConfig) cfg = NULL;

	g_file_set_contents(path, data, (gssize)len, &error);
	g_assert_no_error(error);
	g_ptr_array_set_size(f->diags, 0);
	cfg = evf_config_load(path, f->diags);
	log_diags(f->diags);
	g_assert_null(cfg);
}

/* Asserts that loading @text fails with a diagnostic on @line whose
 * message holds @needle. */
static void
assert_refused(Fixture *f, const char *text, guint line, const char *needle)
{
	g_autoptr(EvfConfig) cfg = NULL;
	gboolean found = FALSE;

	g_ptr_array_set_size(f->diags, 0);
	cfg = load_text(f, text);
	g_assert_null(cfg);
	log_diags(f->diags);
	for (guint i = 0; i < f->diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(f->diags, i);

		if (d->line == line && !d->warning &&
		    strstr(d->message, needle) != NULL)
			found = TRUE;
	}
	if (!found)
		g_test_message("wanted line %u with '%s' for:\n%s", line,
		               needle, text);
	g_assert_true(found);
}

/* Asserts that @text loads without any diagnostic. */
static EvfConfig *
assert_loads(Fixture *f, const char *text)
{
	EvfConfig *cfg;

	g_ptr_array_set_size(f->diags, 0);
	cfg = load_text(f, text);
	log_diags(f->diags);
	g_assert_cmpuint(f->diags->len, ==, 0);
	g_assert_nonnull(cfg);
	return cfg;
}

/* ---------------------------------------------------------- defaults */

static void
check_defaults(Fixture *f, const EvfConfig *cfg)
{
	g_autofree char *conf = g_build_filename(f->dir, "evfeed.conf", NULL);
	g_autofree char *events = g_build_filename(f->dir, "events", NULL);
	g_autofree char *output = g_build_filename(f->dir, "public", NULL);
	g_autofree char *state = g_build_filename(f->dir, "evfeed.db", NULL);

	g_assert_cmpstr(cfg->path, ==, conf);
	g_assert_cmpstr(cfg->dir, ==, f->dir);
	g_assert_cmpstr(cfg->title, ==, "Events");
	g_assert_cmpstr(cfg->description, ==, "");
	g_assert_cmpstr(cfg->url, ==, "http://127.0.0.1:8080/");
	g_assert_cmpstr(cfg->host, ==, "127.0.0.1");
	g_assert_cmpstr(cfg->tag_date, ==, "2018");
	g_assert_cmpstr(cfg->timezone, ==, "UTC");
	g_assert_cmpstr(cfg->language, ==, "en");
	g_assert_cmpstr(cfg->events_dir, ==, events);
	g_assert_cmpstr(cfg->output_dir, ==, output);
	g_assert_cmpstr(cfg->state_path, ==, state);
	g_assert_cmpuint(cfg->max_items, ==, 50);
	g_assert_cmpstr(cfg->refresh, ==, "PT1H");
	g_assert_cmpint(cfg->refresh_seconds, ==, 3600);
	g_assert_cmpstr(cfg->listen, ==, "127.0.0.1:8080");
	g_assert_nonnull(cfg->sources);
	g_assert_cmpuint(cfg->sources->len, ==, 0);
}

static void
test_defaults_empty_sections(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "[site]\n[paths]\n[feeds]\n[server]\n");

	if (cfg != NULL)
		check_defaults(f, cfg);
}

static void
test_defaults_empty_file(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = assert_loads(f, "");

	if (cfg != NULL)
		check_defaults(f, cfg);
}

static void
test_defaults_comments_only(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "# nothing set\n\n[site]\n# title=Not this\n");

	if (cfg != NULL)
		check_defaults(f, cfg);
}

/* ------------------------------------------------------------- paths */

static void
test_paths_relative_to_config_folder(Fixture *f, gconstpointer data)
{
	g_autofree char *elsewhere =
	    g_build_filename(f->dir, "elsewhere", NULL);
	g_autofree char *path = write_conf(f, "site/conf/evfeed.conf",
	                                   "[paths]\n"
	                                   "events=../feeds/events\n"
	                                   "output=public\n"
	                                   "state=./var/../state/evfeed.db\n");
	g_autofree char *events =
	    g_build_filename(f->dir, "site", "feeds", "events", NULL);
	g_autofree char *output =
	    g_build_filename(f->dir, "site", "conf", "public", NULL);
	g_autofree char *state = g_build_filename(f->dir, "site", "conf",
	                                          "state", "evfeed.db", NULL);
	g_autofree char *folder =
	    g_build_filename(f->dir, "site", "conf", NULL);
	g_autoptr(EvfConfig) cfg = NULL;

	/* The working folder must not matter. */
	g_assert_cmpint(g_mkdir(elsewhere, 0700), ==, 0);
	g_assert_cmpint(g_chdir(elsewhere), ==, 0);
	cfg = evf_config_load(path, f->diags);
	log_diags(f->diags);
	g_assert_nonnull(cfg);
	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->dir, ==, folder);
	g_assert_cmpstr(cfg->events_dir, ==, events);
	g_assert_cmpstr(cfg->output_dir, ==, output);
	g_assert_cmpstr(cfg->state_path, ==, state);
}

static void
test_paths_relative_config_path(Fixture *f, gconstpointer data)
{
	g_autofree char *path =
	    write_conf(f, "site/evfeed.conf", "[paths]\nevents=../events\n");
	g_autofree char *abs =
	    g_build_filename(f->dir, "site", "evfeed.conf", NULL);
	g_autofree char *events = g_build_filename(f->dir, "events", NULL);
	g_autoptr(EvfConfig) cfg = NULL;

	/* A config path relative to the working folder becomes absolute. */
	g_assert_cmpint(g_chdir(f->dir), ==, 0);
	cfg = evf_config_load("site/evfeed.conf", f->diags);
	log_diags(f->diags);
	g_assert_nonnull(cfg);
	if (cfg == NULL)
		return;
	g_assert_true(g_path_is_absolute(cfg->path));
	g_assert_cmpstr(cfg->path, ==, abs);
	g_assert_cmpstr(cfg->events_dir, ==, events);
}

static void
test_paths_absolute_kept(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "[paths]\n"
	                    "events=/srv/evfeed/events\n"
	                    "output=/var/www/events/\n"
	                    "state=/var/lib/evfeed/evfeed.db\n");

	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->events_dir, ==, "/srv/evfeed/events");
	g_assert_cmpstr(cfg->output_dir, ==, "/var/www/events");
	g_assert_cmpstr(cfg->state_path, ==, "/var/lib/evfeed/evfeed.db");
}

static void
test_paths_empty_refused(Fixture *f, gconstpointer data)
{
	assert_refused(f, "[paths]\nevents=\n", 2, "events");
}

/* -------------------------------------------------------------- site */

static void
test_site_url_trailing_slash(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) a = NULL;
	g_autoptr(EvfConfig) b = NULL;
	g_autoptr(EvfConfig) c = NULL;
	g_autofree char *link = NULL;

	a = assert_loads(f, "[site]\nurl=https://events.example.org\n");
	if (a != NULL)
		g_assert_cmpstr(a->url, ==, "https://events.example.org/");
	b = assert_loads(f, "[site]\nurl=https://example.org/events\n");
	if (b != NULL)
		g_assert_cmpstr(b->url, ==, "https://example.org/events/");
	c = assert_loads(f, "[site]\nurl=https://example.org/events/\n");
	if (c == NULL)
		return;
	g_assert_cmpstr(c->url, ==, "https://example.org/events/");
	link = evf_config_url(c, "calendar.ics");
	g_assert_cmpstr(link, ==, "https://example.org/events/calendar.ics");
}

static void
test_site_host_lower_case(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = assert_loads(
	    f, "[site]\nurl=https://Events.EXAMPLE.org:8443/Path\n");

	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->host, ==, "events.example.org");
	/* Every link has the host in lower case (RFC 3986 §6.2.2.1), as
	 * the events' own links have it; the path keeps its case: it is not
	 * ours to change. */
	g_assert_cmpstr(cfg->url, ==, "https://events.example.org:8443/Path/");
}

/* The port a site's scheme implies is left out of every link (RFC 3986
 * §6.2.3): a client that reads webcal://host:443/ as http:// would speak
 * plain HTTP to the TLS port. Another port stays. */
static void
test_site_default_port(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *given, *url;
	} cases[] = {
		{ "https://example.org:443/x", "https://example.org/x/" },
		{ "https://example.org:0443/", "https://example.org/" },
		{ "http://example.org:80/", "http://example.org/" },
		{ "http://example.org:443/", "http://example.org:443/" },
		{ "https://example.org:80/", "https://example.org:80/" },
		{ "https://example.org:8443/", "https://example.org:8443/" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text =
		    g_strdup_printf("[site]\nurl=%s\n", cases[i].given);
		g_autoptr(EvfConfig) cfg = assert_loads(f, text);

		if (cfg == NULL)
			return;
		g_assert_cmpstr(cfg->url, ==, cases[i].url);
	}
}

/* Identities made from file names are of the site: its host and path
 * (two sites' files of one name are two events), not its scheme or port
 * (a site that moves to https keeps them) nor the case of its host. */
static void
test_site_uid_namespace(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *url;
		gboolean same;
	} cases[] = {
		{ "https://events.example.org/", TRUE },
		{ "http://events.example.org", TRUE },
		{ "https://Events.Example.ORG:8443/", TRUE },
		{ "https://events.example.org/a/", FALSE },
		{ "https://events.example.org/A/", FALSE },
		{ "https://other.example.org/", FALSE },
		/* an encoded '/' is no '/' (RFC 3986 §2.2) */
		{ "https://events.example.org/a/b/", FALSE },
		{ "https://events.example.org/a%2Fb/", FALSE },
	};
	g_autofree char *want =
	    evf_uuid5(EVF_UUID_NAMESPACE, "events.example.org/");
	g_autoptr(GHashTable) seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text =
		    g_strdup_printf("[site]\nurl=%s\n", cases[i].url);
		g_autoptr(EvfConfig) cfg = assert_loads(f, text);

		if (cfg == NULL)
			continue;
		if (cases[i].same)
			g_assert_cmpstr(cfg->uid_namespace, ==, want);
		else
			g_assert_false(
			    g_hash_table_contains(seen, cfg->uid_namespace));
		g_hash_table_add(seen, g_strdup(cfg->uid_namespace));
	}
	/* Any other encoded character is that character, as it always was:
	 * the events of such a site keep their UIDs. */
	{
		g_autoptr(EvfConfig) cfg = assert_loads(
		    f, "[site]\nurl=https://events.example.org/s%C3%A9ance/\n");
		g_autofree char *kept = evf_uuid5(
		    EVF_UUID_NAMESPACE, "events.example.org/s\u00e9ance/");

		if (cfg != NULL)
			g_assert_cmpstr(cfg->uid_namespace, ==, kept);
	}
}

/* Each Atom feed's id is under the site's path (RFC 4287 §4.2.6: two
 * sites on one host have two feeds), as it always was at the root. */
static void
test_site_feed_ids(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *url, *path, *id;
	} cases[] = {
		{ "https://events.example.org/", "atom.xml", "atom.xml" },
		{ "https://events.example.org", "category/x/atom.xml",
		  "category/x/atom.xml" },
		{ "https://Events.Example.ORG:8443/Sub%20Dir/", "atom.xml",
		  "Sub%20Dir/atom.xml" },
		{ "https://events.example.org/a/b", "source/osce/atom.xml",
		  "a/b/source/osce/atom.xml" },
		{ "https://events.example.org/s\u00e9ance/", "atom.xml",
		  "s%C3%A9ance/atom.xml" },
		{ "https://events.example.org/s%C3%A9ance/", "atom.xml",
		  "s%C3%A9ance/atom.xml" },
		{ "https://events.example.org/a%2Fb/", "atom.xml",
		  "a%2Fb/atom.xml" },
		{ "https://events.example.org/a%2fb/c%2F/", "atom.xml",
		  "a%2Fb/c%2F/atom.xml" },
		/* an encoded '%' before "2F" is not an encoded '/' */
		{ "https://events.example.org/a%252Fb/", "atom.xml",
		  "a%252Fb/atom.xml" },
		{ "https://events.example.org/50%25/", "atom.xml",
		  "50%25/atom.xml" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		    "[site]\nurl=%s\ntag_date=2018\n", cases[i].url);
		g_autoptr(EvfConfig) cfg = assert_loads(f, text);
		g_autofree char *id = NULL;
		g_autofree char *want = NULL;

		if (cfg == NULL)
			continue;
		id = evf_render_view_id(cfg, cases[i].path);
		want = g_strconcat("tag:events.example.org,2018:", cases[i].id,
		                   NULL);
		g_assert_cmpstr(id, ==, want);
	}
}

/* A URL with non-ASCII characters (an IRI) becomes its URI: every link,
 * self link and tag: id is built from it. */
static void
test_site_url_iri(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = assert_loads(
	    f, "[site]\nurl=https://b\u00fccher.example/s\u00e9ance\n");

	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->url, ==,
	                "https://xn--bcher-kva.example/s%C3%A9ance/");
	g_assert_cmpstr(cfg->host, ==, "xn--bcher-kva.example");
}

/* As Windows editors save it: a byte order mark and CRLF line ends; an
 * error still points at its line. */
static void
test_bom_and_crlf(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "\xef\xbb\xbf[site]\r\ntitle=Events \u017d\r\n"
	                    "timezone=Europe/Zagreb\r\n");

	if (cfg != NULL) {
		g_assert_cmpstr(cfg->title, ==, "Events \u017d");
		g_assert_cmpstr(cfg->timezone, ==, "Europe/Zagreb");
	}
	assert_refused(f,
	               "\xef\xbb\xbf[site]\r\ntitle=Events\r\n"
	               "timezone=Mars/Base\r\n",
	               3, "timezone");
	/* the last line's CR without its LF, and lines that end in a CR
	 * alone (old Mac editors): the lines as the file has them */
	{
		g_autoptr(EvfConfig) last = assert_loads(
		    f, "[site]\r\ntitle=T\r\nurl=https://events.example.org/"
		       "\r");
		g_autoptr(EvfConfig) mac = assert_loads(
		    f, "[site]\rtitle=Mac\rtimezone=Europe/Paris\r");

		if (last != NULL)
			g_assert_cmpstr(last->url, ==,
			                "https://events.example.org/");
		if (mac != NULL) {
			g_assert_cmpstr(mac->title, ==, "Mac");
			g_assert_cmpstr(mac->timezone, ==, "Europe/Paris");
		}
	}
	/* a byte order mark that starts a later line: two files joined */
	assert_refused(f,
	               "\xef\xbb\xbf[site]\ntitle=A\n\xef\xbb\xbf[feeds]\n"
	               "max_items=5\n",
	               3, "the line starts with an invisible byte order mark");
}

/* The output folder is published as it is: not the events folder, the
 * state or the configuration in it. The output may be inside the events
 * folder; it may not be a file, nor the state a folder. */
static void
test_paths_apart(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = NULL;
	g_autofree char *afile = NULL;

	assert_refused(f, "[paths]\nevents=site\noutput=site\n", 3,
	               "the events folder");
	assert_refused(f, "[paths]\nevents=site/events\noutput=site/\n", 3,
	               "the events folder");
	assert_refused(f, "[paths]\noutput=.\nstate=evfeed.db\n", 2,
	               "the state");
	assert_refused(f,
	               "[paths]\nevents=e\noutput=www\n"
	               "state=www/data/evfeed.db\n",
	               3, "the state");
	/* an output that is a file */
	afile = g_build_filename(f->dir, "afile", NULL);
	g_assert_true(g_file_set_contents(afile, "x", -1, NULL));
	assert_refused(f, "[paths]\noutput=afile\n", 2,
	               "is a file, not a folder");
	/* a state that is a folder, or written as one: a database called
	 * 'var' was made */
	{
		g_autofree char *var = g_build_filename(f->dir, "var", NULL);

		g_assert_cmpint(g_mkdir(var, 0755), ==, 0);
		assert_refused(f, "[paths]\nstate=var\n", 2,
		               "[paths] state: '");
		assert_refused(f, "[paths]\nstate=var\n", 2,
		               "var' is a folder: name the state's file in it, "
		               "such as ");
		assert_refused(f, "[paths]\nstate=st/\n", 2,
		               "[paths] state: names a folder (it ends in "
		               "'/'): name the state's file in it, such as "
		               "st/evfeed.db");
		/* the same once canonical: a database called 'var' */
		assert_refused(f, "[paths]\nstate=var/.\n", 2,
		               "[paths] state: names a folder (it ends in "
		               "'/.'): name the state's file in it, such as "
		               "var/./evfeed.db");
		/* one with a '/' that names the state there (as versions
		 * before took it): named, not a new one asked for; not a
		 * file that is no SQLite database */
		g_autofree char *st = g_build_filename(f->dir, "st.db", NULL);
		g_autofree char *notes =
		    g_build_filename(f->dir, "notes.txt", NULL);
		static const char sqlite_head[] =
		    "SQLite format 3\0 and the rest";

		g_assert_true(g_file_set_contents(notes, "x", -1, NULL));
		assert_refused(f, "[paths]\nstate=notes.txt/\n", 2,
		               "[paths] state: names a folder (it ends in "
		               "'/')");
		g_assert_true(g_file_set_contents(
		    st, sqlite_head, sizeof sqlite_head - 1, NULL));
		assert_refused(f, "[paths]\nstate=st.db/\n", 2,
		               "[paths] state: ends in '/', as a folder's "
		               "name does, and '");
		assert_refused(f, "[paths]\nstate=st.db/\n", 2,
		               "st.db' is the state's file: write that");
		assert_refused(f, "[paths]\nstate=st.db/.\n", 2,
		               "[paths] state: ends in '/.', as a folder's "
		               "name does, and '");
	}
	/* a link to a folder not made yet (or a volume not mounted): said
	 * so, not made through the link */
	{
		g_autofree char *link = g_build_filename(f->dir, "www", NULL);
		g_autofree char *gone =
		    g_build_filename(f->dir, "nowhere", "site", NULL);

		g_autofree char *chain = g_build_filename(f->dir, "site", NULL);
		g_autofree char *want = g_strdup_printf(
		    "is a symbolic link to '%s', which does not exist", gone);

		g_assert_cmpint(symlink(gone, link), ==, 0);
		assert_refused(f, "[paths]\noutput=www\n", 2, want);
		g_assert_false(g_file_test(gone, G_FILE_TEST_EXISTS));
		/* through a chain of links, the name that is not there */
		g_assert_cmpint(symlink("www", chain), ==, 0);
		assert_refused(f, "[paths]\noutput=site\n", 2, want);
		g_unlink(link);
		g_unlink(chain);
		/* and a loop is called one: www -> site -> www */
		g_assert_cmpint(symlink("www", chain), ==, 0);
		g_assert_cmpint(symlink("site", link), ==, 0);
		assert_refused(f, "[paths]\noutput=www\n", 2,
		               "is a symbolic link that leads back to itself");
		g_unlink(link);
		g_unlink(chain);
		/* the link higher up the path (/var/lib/evfeed to a volume
		 * not mounted), for the output and the state; a file there */
		g_assert_cmpint(symlink(gone, link), ==, 0);
		assert_refused(f, "[paths]\noutput=www/public\n", 2,
		               "on the way to");
		assert_refused(f, "[paths]\noutput=www/public\n", 2, want);
		assert_refused(f, "[paths]\nstate=www/st.db\n", 2,
		               "[paths] state: ");
		assert_refused(f, "[paths]\nstate=www/st.db\n", 2, want);
		g_unlink(link);
		g_assert_true(g_file_set_contents(link, "x", -1, NULL));
		assert_refused(f, "[paths]\noutput=www/public\n", 2,
		               "www' on the way to ");
		assert_refused(f, "[paths]\nstate=www/st.db\n", 2,
		               "www' is a file, not a folder");
		g_unlink(link);
	}
	/* nor the configuration, with the passwords of sources' urls */
	assert_refused(f, "[paths]\nevents=../e\noutput=.\nstate=../s.db\n", 3,
	               "this configuration would be published");
	cfg = assert_loads(f, "[paths]\nevents=content\noutput=content/"
	                      "public\nstate=content-state.db\n");
	g_assert_nonnull(cfg);
	g_clear_pointer(&cfg, evf_config_free);
	/* a name that merely begins like the other */
	cfg = assert_loads(f, "[paths]\nevents=public-events\noutput=public\n");
	g_assert_nonnull(cfg);
}

/* SQLite opens a state of a path of 504 bytes at most (512 with
 * "-journal"): a longer one is refused where it is set, with the links on
 * its way followed, not a build's "unable to open database file". */
static void
test_paths_state_too_long(Fixture *f, gconstpointer data)
{
	char buf[PATH_MAX];
	g_autofree char *real = NULL;
	g_autofree char *name = NULL;
	g_autofree char *text = NULL;
	g_autofree char *longer = NULL;
	g_autofree char *link = g_build_filename(f->dir, "deep", NULL);
	g_autofree char *made = NULL;
	g_autoptr(EvfConfig) cfg = NULL;
	g_autoptr(GString) dir = g_string_new(NULL);
	gsize left;

	g_assert_nonnull(realpath(f->dir, buf));
	real = g_strdup(buf);
	/* folders of 100 bytes up to the last, which is not made */
	while (strlen(real) + dir->len + 1 + 101 + 20 < EVF_STATE_PATH_MAX)
		g_string_append_printf(dir, "%s%.100s", dir->len ? "/" : "",
		                       "dddddddddddddddddddddddddddddddddddddd"
		                       "dddddddddddddddddddddddddddddddddddddd"
		                       "dddddddddddddddddddddddd");
	left = EVF_STATE_PATH_MAX - strlen(real) - 1 - dir->len - 1;
	name = g_strnfill(left - 3, 's');
	text = g_strdup_printf("[paths]\nstate=%s/%s.db\n", dir->str, name);
	g_assert_cmpuint(strlen(real) + 1 + strlen(text) - 15, ==,
	                 EVF_STATE_PATH_MAX);
	cfg = assert_loads(f, text);
	longer = g_strdup_printf("[paths]\nstate=%s/%ss.db\n", dir->str, name);
	assert_refused(f, longer, 2, "[paths] state: a path of 505 bytes");
	/* through a link to a folder whose path is longer */
	made = g_build_filename(f->dir, dir->str, NULL);
	g_assert_cmpint(g_mkdir_with_parents(made, 0755), ==, 0);
	g_assert_cmpint(symlink(dir->str, link), ==, 0);
	g_free(text);
	text = g_strdup_printf("[paths]\nstate=deep/%ss.db\n", name);
	assert_refused(f, text, 2, "bytes with its links followed");
	/* a link at its end, to a file of a longer path */
	{
		g_autofree char *target =
		    g_strdup_printf("%s/%s/%ss.db", f->dir, dir->str, name);
		g_autofree char *at = g_build_filename(f->dir, "st.db", NULL);

		g_assert_true(g_file_set_contents(target, "", 0, NULL));
		g_assert_cmpint(symlink(target, at), ==, 0);
		assert_refused(f, "[paths]\nstate=st.db\n", 2,
		               "bytes with its links followed");
	}
	/* long as written, through links that lead back, and short once
	 * they are followed, in a folder a build makes */
	{
		g_autofree char *a = g_strnfill(200, 'l');
		g_autofree char *back = g_build_filename(f->dir, a, NULL);
		g_autoptr(EvfConfig) short_cfg = NULL;

		g_assert_cmpint(symlink(".", back), ==, 0);
		g_free(text);
		text = g_strdup_printf("[paths]\nstate=%s/%s/%s/new/x.db\n", a,
		                       a, a);
		short_cfg = assert_loads(f, text);
	}
}

/* A path that names no configuration file says why, as the system does:
 * "conf/" (a shell completes a folder so) is not read as "conf/conf", nor
 * "evfeed.conf/" as "evfeed.conf/evfeed.conf"; a device is not read (from
 * /dev/zero, without end). */
static void
test_paths_not_a_file(Fixture *f, gconstpointer data)
{
	g_autofree char *conf = g_build_filename(f->dir, "evfeed.conf", NULL);
	g_autofree char *inner = g_build_filename(f->dir, "sub", "sub", NULL);
	g_autofree char *sub = g_build_filename(f->dir, "sub", NULL);
	const struct {
		char *path;
		const char *says;
	} cases[] = {
		{ g_strconcat(sub, "/", NULL), "Is a directory" },
		{ g_strconcat(conf, "/", NULL), "Not a directory" },
		{ g_strdup("/dev/zero"), "not a regular file" },
	};

	g_assert_cmpint(g_mkdir_with_parents(sub, 0755), ==, 0);
	g_assert_true(g_file_set_contents(conf, "[site]\n", -1, NULL));
	/* what "sub/" must not be read as */
	g_assert_true(g_file_set_contents(inner, "[site]\n", -1, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(EvfConfig) cfg = NULL;
		const EvfDiag *d;

		g_ptr_array_set_size(f->diags, 0);
		cfg = evf_config_load(cases[i].path, f->diags);
		log_diags(f->diags);
		g_assert_null(cfg);
		g_assert_cmpuint(f->diags->len, ==, 1);
		d = g_ptr_array_index(f->diags, 0);
		g_assert_nonnull(strstr(d->message, cases[i].says));
		g_free(cases[i].path);
	}
}

/* A section or key name that GKeyFile refuses (it refuses the whole file
 * for one) is reported in evfeed's words, and the rest of the file is
 * still checked: every error at once. */
static void
test_bad_names_all_at_once(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *line;
		const char *says;
	} cases[] = {
		{ "[sec[tion]", "a section's name cannot be empty or have" },
		{ "[]", "a section's name cannot be empty or have" },
		{ "[a\tb]", "a section's name cannot be empty or have" },
		/* the control shown, not dropped: '[paths]' is a good one */
		{ "[paths\001]", "or a control character: '[paths\\x01]'" },
		{ "ti[tle=x", "a key's name cannot have '[' or ']'" },
		{ "title]=x", "a key's name cannot have '[' or ']'" },
		{ "title [en]=y", "a key's name cannot have '[' or ']'" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text =
		    g_strdup_printf("[site]\ntitel=A\n%s\n[feeds]\n"
		                    "max_items=0\n",
		                    cases[i].line);

		assert_refused(f, text, 2, "unknown key 'titel'");
		assert_refused(f, text, 3, cases[i].says);
		assert_refused(f, text, 5, "max_items: not a whole number");
	}
}

/* (transfer full): the folder @name in the fixture's folder, made. */
static char *
fixture_folder(Fixture *f, const char *name)
{
	char *path = g_build_filename(f->dir, name, NULL);

	g_assert_cmpint(g_mkdir_with_parents(path, 0755), ==, 0);
	return path;
}

/* The paths as the system opens them: a symbolic link as the output
 * folder does not hide the state or the events in it; '..' after a link
 * is the parent of where it led (evfeed.conf(5)), while a link after the
 * last '..' stays, to be followed anew; the state is neither the
 * configuration nor in the events folder (a build would replace what is
 * there with a database). */
static void
test_paths_links(Fixture *f, gconstpointer data)
{
	g_autofree char *real = fixture_folder(f, "real");
	g_autofree char *sub = fixture_folder(f, "other/sub");
	g_autofree char *other_events = fixture_folder(f, "other/events");
	g_autofree char *events = fixture_folder(f, "events");
	g_autofree char *rel = fixture_folder(f, "rel1/events");
	g_autofree char *pub = g_build_filename(f->dir, "pub", NULL);
	g_autofree char *pub2 = g_build_filename(f->dir, "pub2", NULL);
	g_autofree char *lnk = g_build_filename(f->dir, "lnk", NULL);
	g_autofree char *current = g_build_filename(f->dir, "current", NULL);
	g_autofree char *dir = NULL;
	g_autofree char *want = NULL;
	g_autoptr(EvfConfig) cfg = NULL;
	char buf[PATH_MAX];

	g_assert_cmpint(symlink("real", pub), ==, 0);
	g_assert_cmpint(symlink("events", pub2), ==, 0);
	g_assert_cmpint(symlink("other/sub", lnk), ==, 0);
	g_assert_cmpint(symlink("rel1", current), ==, 0);
	g_assert_nonnull(realpath(f->dir, buf));
	dir = g_strdup(buf);

	assert_refused(f, "[paths]\noutput=pub\nstate=real/x.db\n", 2,
	               "[paths] output: the state");
	assert_refused(f, "[paths]\nevents=events\noutput=pub2\n", 3,
	               "[paths] output: the events folder");
	assert_refused(f, "[paths]\nstate=evfeed.conf\n", 2,
	               "[paths] state: names the configuration itself");
	assert_refused(f, "[paths]\nevents=events\nstate=events/a.md\n", 3,
	               "[paths] state: inside the events folder");
	assert_refused(f, "[paths]\nevents=events\nstate=pub2/x.db\n", 3,
	               "[paths] state: inside the events folder");

	/* a state whose link leads nowhere yet: the database would be made
	 * where it leads */
	{
		g_autofree char *var = fixture_folder(f, "var");
		g_autofree char *to_out = g_build_filename(var, "out.db", NULL);
		g_autofree char *to_ev = g_build_filename(var, "ev.db", NULL);

		g_assert_cmpint(symlink("../pub/evfeed.db", to_out), ==, 0);
		g_assert_cmpint(symlink("../events/new.db", to_ev), ==, 0);
	}
	assert_refused(f, "[paths]\noutput=pub\nstate=var/out.db\n", 2,
	               "[paths] output: the state");
	assert_refused(f, "[paths]\nevents=events\nstate=var/ev.db\n", 3,
	               "[paths] state: inside the events folder");

	/* a configuration read through a link in the output folder: a web
	 * server that follows links publishes it */
	{
		g_autofree char *out = fixture_folder(f, "pubc");
		g_autofree char *real_conf =
		    write_conf(f, "realc.conf",
		               "[paths]\noutput=.\nevents=../events\n"
		               "state=../st.db\n");
		g_autofree char *link =
		    g_build_filename(out, "evfeed.conf", NULL);
		g_autoptr(EvfConfig) linked = NULL;
		gboolean said = FALSE;

		g_assert_cmpint(symlink("../realc.conf", link), ==, 0);
		g_ptr_array_set_size(f->diags, 0);
		linked = evf_config_load(link, f->diags);
		log_diags(f->diags);
		g_assert_null(linked);
		for (guint i = 0; i < f->diags->len; i++)
			said |=
			    strstr(((EvfDiag *)g_ptr_array_index(f->diags, i))
			               ->message,
			           "this configuration would be published") !=
			    NULL;
		g_assert_true(said);
		g_assert_nonnull(real_conf);
	}
	cfg = assert_loads(f, "[paths]\nevents=lnk/../events\n");
	want = g_build_filename(dir, "other", "events", NULL);
	g_assert_cmpstr(cfg->events_dir, ==, want);
	g_clear_pointer(&cfg, evf_config_free);
	g_clear_pointer(&want, g_free);

	cfg = assert_loads(f, "[paths]\nevents=lnk/../../current/events\n");
	want = g_build_filename(dir, "current", "events", NULL);
	g_assert_cmpstr(cfg->events_dir, ==, want);
}

static void
test_site_url_not_http(Fixture *f, gconstpointer data)
{
	assert_refused(f, "[site]\nurl=ftp://example.org/\n", 2, "url");
	assert_refused(f, "[site]\nurl=/events/\n", 2, "url");
	assert_refused(f, "[site]\nurl=https://\n", 2, "url");
	assert_refused(f, "[site]\nurl=\n", 2, "url");
}

static void
test_site_url_query_or_fragment(Fixture *f, gconstpointer data)
{
	/* Every link is the base URL followed by a path: a query or a
	 * fragment in it would end up in the middle of each link
	 * ("https://example.org/#top/calendar.ics"). */
	assert_refused(f, "[site]\nurl=https://example.org/#top\n", 2, "url");
	assert_refused(f, "[site]\nurl=https://example.org/?lang=en\n", 2,
	               "url");
}

static void
test_site_text_one_line(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "[site]\n"
	                    "title=  Events\\nin   SEE \n"
	                    "description=One\\tsentence.\n");

	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->title, ==, "Events in SEE");
	g_assert_cmpstr(cfg->description, ==, "One sentence.");
}

/* White space of any kind at the ends of a title goes, and a title of
 * nothing else is its default, as one of ASCII spaces is: a title of
 * no-break spaces made the feeds' author blank (the W3C Feed Validation
 * Service warns: NotBlank). */
static void
test_site_text_blank(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "[site]\n"
	                    "title=\u00a0\u3000\n"
	                    "description=\u2003\u200b\n"
	                    "[source nb]\n"
	                    "url=https://nb.example/rss\n"
	                    "title=\u00a0\n"
	                    "[source two]\n"
	                    "url=https://two.example/rss\n"
	                    "title=\u3000Two \u00a0partners\u00a0\n");

	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->title, ==, "Events");
	g_assert_cmpstr(cfg->description, ==, "");
	g_assert_cmpstr(
	    ((const EvfSourceConfig *)g_ptr_array_index(cfg->sources, 0))
	        ->title,
	    ==, "NB");
	g_assert_cmpstr(
	    ((const EvfSourceConfig *)g_ptr_array_index(cfg->sources, 1))
	        ->title,
	    ==, "Two \u00a0partners");
	/* and so do invisible characters alone (a word joiner, a soft
	 * hyphen), as an event's title may not be of them */
	g_clear_pointer(&cfg, evf_config_free);
	cfg = assert_loads(f, "[site]\ntitle=\u2060\u00ad\n"
	                      "[source zw]\nurl=https://zw.example/rss\n"
	                      "title=\u200d\n");
	g_assert_cmpstr(cfg->title, ==, "Events");
	g_assert_cmpstr(
	    ((const EvfSourceConfig *)g_ptr_array_index(cfg->sources, 0))
	        ->title,
	    ==, "ZW");
	/* so does white space written in HTML, which leaves nothing */
	assert_refused(f, "[site]\ntitle=&nbsp;\n", 2, "nothing but HTML");
	assert_refused(f, "[site]\ntitle=&#x2060;&shy;\n", 2,
	               "nothing but HTML");
	assert_refused(f,
	               "[source a]\nurl=https://a.example/f.xml\n"
	               "title=<b>\u00a0</b>&#x3000;\n",
	               3, "nothing but HTML");
}

/* The titles and descriptions of calendars and feeds are plain text: HTML
 * in them is turned into plain text, with a warning at its line, and
 * nothing but HTML is an error. */
static void
test_site_text_plain(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = NULL;
	guint warnings = 0;

	g_ptr_array_set_size(f->diags, 0);
	cfg =
	    load_text(f, "[site]\n"
	                 "title=Events </b> &amp; <i>talks</i>\n"
	                 "description=<p>All <script>x</script> 3 &lt; 4</p>\n"
	                 "[source osce]\n"
	                 "url=https://osce.example/rss\n"
	                 "title=<b>OSCE</b>\n");
	g_assert_nonnull(cfg);
	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->title, ==, "Events & talks");
	g_assert_cmpstr(cfg->description, ==, "All x 3 < 4");
	g_assert_cmpstr(
	    ((const EvfSourceConfig *)g_ptr_array_index(cfg->sources, 0))
	        ->title,
	    ==, "OSCE");
	for (guint i = 0; i < f->diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(f->diags, i);

		g_assert_true(d->warning);
		g_assert_nonnull(strstr(d->message, "turned into plain text"));
		g_assert_cmpuint(d->line, ==, i == 2 ? 6 : i + 2);
		warnings++;
	}
	g_assert_cmpuint(warnings, ==, 3);
	assert_refused(f, "[site]\ntitle=<b></b>\n", 2, "nothing but HTML");
}

static void
test_site_timezone(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "[site]\ntimezone=Europe/Ljubljana\n");

	if (cfg != NULL)
		g_assert_cmpstr(cfg->timezone, ==, "Europe/Ljubljana");
	assert_refused(f, "[site]\ntitle=x\ntimezone=Mars/Base\n", 3,
	               "time zone");
	assert_refused(f, "[site]\ntimezone=europe/ljubljana\n", 2,
	               "time zone");
	/* with the advice an event's timezone gets */
	assert_refused(f, "[site]\ntimezone=europe/ljubljana\n", 2,
	               "(did you mean 'Europe/Ljubljana'?)");
	assert_refused(f, "[site]\ntimezone=Europe/Belgrad\n", 2,
	               "(did you mean 'Europe/Belgrade'?)");
	assert_refused(f, "[site]\ntimezone=W. Europe Standard Time\n", 2,
	               "a Windows name");
	assert_refused(f, "[site]\ntimezone=+02:00\n", 2, "time zone");
	assert_refused(f, "[site]\ntimezone=UTC+2\n", 2,
	               "(name a city's zone, whose clock changes an offset "
	               "does not follow, such as Europe/Ljubljana)");
	/* the machine's own zone, tzdata's copies, an old name */
	assert_refused(f, "[site]\ntimezone=localtime\n", 2, "time zone");
	assert_refused(f, "[site]\ntimezone=right/Europe/Berlin\n", 2,
	               "time zone");
	assert_refused(f, "[site]\ntimezone=CET\n", 2,
	               "old tzdata name without a region");
	assert_refused(f, "[site]\ntimezone=\n", 2, "time zone");

	/* tzdata's Etc/GMT+5 is UTC-05:00: taken, with the warning an
	 * event's timezone gets, at its line */
	g_ptr_array_set_size(f->diags, 0);
	g_clear_pointer(&cfg, evf_config_free);
	cfg = load_text(f, "[site]\ntitle=x\ntimezone=Etc/GMT+5\n");
	log_diags(f->diags);
	g_assert_nonnull(cfg);
	g_assert_cmpuint(f->diags->len, ==, 1);
	g_assert_true(((const EvfDiag *)f->diags->pdata[0])->warning);
	g_assert_cmpuint(((const EvfDiag *)f->diags->pdata[0])->line, ==, 3);
	g_assert_cmpstr(((const EvfDiag *)f->diags->pdata[0])->message, ==,
	                "[site] timezone: 'Etc/GMT+5' is UTC-05:00: tzdata's "
	                "Etc/GMT names have the sign reversed (for UTC+05:00 "
	                "write Etc/GMT-5, or better a city's zone)");
}

/* The feeds' <language> and xml:lang: a BCP 47 tag, which the feed
 * validators check (a locale name such as en_US is an error there). */
static void
test_site_language(Fixture *f, gconstpointer data)
{
	static const char *const good[] = {
		"en",
		"sl",
		"en-GB",
		"sr-Latn-RS",
		"zh-Hant",
		"gsw",
		"es-419",
		"EN-gb",
		"fil",
		"de-CH-1901",
		"en-US-x-twain",
		"zh-Hant-TW",
		"sl-rozaj-1994",
		"en-XA",
		/* regions of the BCP 47 registry that ISO 3166 has not */
		"es-IC",
		"es-EA",
		"en-EU",
		"sr-YU",
		/* tags RFC 5646 keeps as they were (§2.2.8) */
		"en-GB-oed",
		"sgn-BE-FR",
		"zh-min-nan",
	};
	static const char *const bad[] = {
		"English", "en us",        "e",     "en-", "-en", "en--GB",
		"1en",     "en-abcdefghi", "\"en\""
	};

	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *text =
		    g_strdup_printf("[site]\nlanguage=%s\n", good[i]);
		g_autoptr(EvfConfig) cfg = assert_loads(f, text);

		if (cfg != NULL)
			g_assert_cmpstr(cfg->language, ==, good[i]);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text =
		    g_strdup_printf("[site]\nlanguage=%s\n", bad[i]);

		assert_refused(f, text, 2, "not a language tag (BCP 47)");
	}
	static const struct {
		const char *value, *reason;
	} refused[] = {
		{ "en_US", "joins its parts with '-', not '_'" },
		{ "", "language tag" },
		/* Well formed, but no language (the W3C validator's
		 * InvalidLanguage) */
		{ "xx", "no language of ISO 639 has this code" },
		{ "zz-ZZ", "no language of ISO 639 has this code" },
		{ "abc", "no language of ISO 639 has this code" },
		/* ISO 639's, but given after the W3C validator's list */
		{ "cnr", "the W3C Feed Validation Service, whose list is of "
		         "then, calls the feeds' language invalid" },
		{ "cnr-ME", "ISO 639 gave this code after 2006" },
		{ "zgh", "ISO 639 gave this code after 2006" },
		/* BCP 47 has no three-letter code where a two-letter one is */
		{ "eng", "('en', not 'eng')" },
		{ "GER-de", "('de', not 'ger')" },
		/* not well formed (RFC 5646 §2.1): a singleton without its
		 * subtag, a second region, a variant too short */
		{ "en-x", "not a language tag (BCP 47)" },
		{ "en-GB-GB", "not a language tag (BCP 47)" },
		{ "sl-1", "not a language tag (BCP 47)" },
		/* well formed, but no region: the slip people make */
		{ "en-UK", "no region has the code 'UK': the United Kingdom's "
		           "is GB (en-GB)" },
		{ "en-uk-1901", "no region has the code 'UK'" },
		{ "i-klingon", "an 'i-' tag has no language of ISO 639" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_autofree char *text =
		    g_strdup_printf("[site]\nlanguage=%s\n", refused[i].value);

		assert_refused(f, text, 2, refused[i].reason);
	}
}

static void
test_site_tag_date(Fixture *f, gconstpointer data)
{
	static const char *const impossible[] = { "2018-13",    "2018-00",
		                                  "2018-02-29", "2018-04-31",
		                                  "0000",       "9999" };
	g_autoptr(EvfConfig) a = assert_loads(f, "[site]\ntag_date=2018\n");
	g_autoptr(EvfConfig) b = assert_loads(f, "[site]\ntag_date=2018-05\n");
	g_autoptr(EvfConfig) c =
	    assert_loads(f, "[site]\ntag_date=2018-05-22\n");

	if (c != NULL)
		g_assert_cmpstr(c->tag_date, ==, "2018-05-22");
	assert_refused(f, "[site]\ntag_date=18\n", 2, "tag_date");
	assert_refused(f, "[site]\ntag_date=2018-5\n", 2, "tag_date");
	assert_refused(f, "[site]\ntag_date=2018/05/22\n", 2, "tag_date");
	assert_refused(f, "[site]\ntag_date=2018-05-22T00:00\n", 2, "tag_date");
	assert_refused(f, "[site]\ntag_date=\n", 2, "tag_date");
	/* The validators refuse a tag: whose date does not exist or has
	 * not come (RFC 4151 §2.1). */
	for (guint i = 0; i < G_N_ELEMENTS(impossible); i++) {
		g_autofree char *text =
		    g_strdup_printf("[site]\ntag_date=%s\n", impossible[i]);

		assert_refused(f, text, 2, "tag_date");
	}
	{
		g_autoptr(EvfConfig) leap =
		    assert_loads(f, "[site]\ntag_date=2016-02-29\n");
	}
}

/* ------------------------------------------------------------- feeds */

static void
test_feeds_refresh(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *value;
		gint64 seconds;
		const char *iso; /* as the calendars carry it */
	} cases[] = {
		{ "PT1H", 3600, "PT1H" },       { "1h", 3600, "PT1H" },
		{ "PT5M", 300, "PT5M" },        { "30m", 1800, "PT30M" },
		{ "PT1H30M", 5400, "PT1H30M" }, { "P1D", 86400, "P1D" },
		{ "2d", 172800, "P2D" },        { "P7D", 604800, "P1W" },
		{ "3600", 3600, "PT1H" },       { "900s", 900, "PT15M" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text =
		    g_strdup_printf("[feeds]\nrefresh=%s\n", cases[i].value);
		g_autoptr(EvfConfig) cfg = assert_loads(f, text);

		if (cfg == NULL)
			continue;
		g_assert_cmpstr(cfg->refresh, ==, cases[i].iso);
		g_assert_cmpint(cfg->refresh_seconds, ==, cases[i].seconds);
	}
}

static void
test_feeds_refresh_bounds(Fixture *f, gconstpointer data)
{
	assert_refused(f, "[feeds]\nrefresh=PT1M\n", 2, "refresh");
	assert_refused(f, "[feeds]\nrefresh=299s\n", 2, "refresh");
	assert_refused(f, "[feeds]\nrefresh=P8D\n", 2, "refresh");
	assert_refused(f, "[feeds]\nrefresh=-PT1H\n", 2, "refresh");
	assert_refused(f, "[feeds]\nrefresh=hourly\n", 2, "refresh");
	assert_refused(f, "[feeds]\nrefresh=1w\n", 2, "refresh");
	assert_refused(f, "[feeds]\nrefresh=\n", 2, "refresh");
}

static void
test_feeds_hub(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) none = assert_loads(f, "[feeds]\n");
	g_autoptr(EvfConfig) empty = assert_loads(f, "[feeds]\nhub=\n");
	g_autoptr(EvfConfig) hub = assert_loads(
	    f, "[feeds]\nhub=https://hub.example.net/publish?x=1\n");

	if (none != NULL)
		g_assert_null(none->hub);
	if (empty != NULL)
		g_assert_null(empty->hub);
	/* Kept as written: no '/' is added, unlike the site's URL. */
	if (hub != NULL)
		g_assert_cmpstr(hub->hub, ==,
		                "https://hub.example.net/publish?x=1");
	assert_refused(f, "[feeds]\nhub=ftp://hub.example.net/\n", 2, "hub");
	assert_refused(f, "[feeds]\nhub=/hub\n", 2, "hub");
	assert_refused(f, "[feeds]\nhub=https://\n", 2, "hub");
	/* What would break out of <…> in a Link header. */
	assert_refused(f, "[feeds]\nhub=https://hub.example.net/a>b\n", 2,
	               "hub");
	assert_refused(f, "[feeds]\nhub=https://hub.example.net/a b\n", 2,
	               "hub");
	assert_refused(f, "[feeds]\nhub=https://hub.example.net/a\"b\n", 2,
	               "hub");
}

static void
test_feeds_max_items_bounds(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) one = assert_loads(f, "[feeds]\nmax_items=1\n");
	g_autoptr(EvfConfig) most =
	    assert_loads(f, "[feeds]\nmax_items=1000\n");

	if (one != NULL)
		g_assert_cmpuint(one->max_items, ==, 1);
	if (most != NULL)
		g_assert_cmpuint(most->max_items, ==, 1000);
	assert_refused(f, "[feeds]\nmax_items=0\n", 2, "max_items");
	assert_refused(f, "[feeds]\nmax_items=1001\n", 2, "max_items");
	assert_refused(f, "[feeds]\nmax_items=-1\n", 2, "max_items");
	assert_refused(f, "[feeds]\nmax_items=ten\n", 2, "max_items");
	assert_refused(f, "[feeds]\nmax_items=99999999999999999999\n", 2,
	               "max_items");
}

/* ------------------------------------------------------ diagnostics */

static void
test_errors_unknown_section(Fixture *f, gconstpointer data)
{
	assert_refused(f,
	               "[site]\n"
	               "title=Events\n"
	               "\n"
	               "[sites]\n"
	               "title=Typo\n",
	               4, "unknown section [sites]");
}

static void
test_errors_unknown_key(Fixture *f, gconstpointer data)
{
	assert_refused(f,
	               "# A comment.\n"
	               "[site]\n"
	               "title=Events\n"
	               "\n"
	               "[feeds]\n"
	               "max_items=20\n"
	               "  refresh_interval = PT1H\n",
	               7, "unknown key 'refresh_interval'");
	/* A key of another section is unknown where it is. */
	assert_refused(f, "[site]\nmax_items=20\n", 2,
	               "unknown key 'max_items'");
}

/* Lines GKeyFile cannot read are each reported, in an editor's words,
 * not only the first; so is a key before any section. */
static void
test_errors_lines(Fixture *f, gconstpointer data)
{
	const char *text = "title=Events\n"
	                   "[site]\n"
	                   "url: https://events.example.org/\n"
	                   "timezone Europe/Ljubljana\n";

	assert_refused(f, text, 1,
	               "'title=Events' comes before any section: put it "
	               "under the section it belongs to, such as [site]");
	assert_refused(f, text, 3,
	               "expected key=value: 'url: https://events.example.org/' "
	               "(write 'url=https://events.example.org/')");
	assert_refused(f, text, 4,
	               "expected key=value, a [section] or a comment");
	text = "[site] # the site\n"
	       "=Events\n";
	assert_refused(f, text, 1,
	               "a section header is '[name]' alone on its line: "
	               "'[site] # the site'");
	assert_refused(f, text, 2,
	               "expected key=value: the key before '=' is missing: "
	               "'=Events'");
}

/* A misspelt key or section names the one meant, and a comment after a
 * value says that it is part of it. */
static void
test_errors_advice(Fixture *f, gconstpointer data)
{
	assert_refused(f, "[site]\ntitel=Events\n", 2,
	               "[site]: unknown key 'titel' (did you mean 'title'?)");
	assert_refused(f, "[feeds]\nMax_Items=20\n", 2,
	               "unknown key 'Max_Items' (did you mean 'max_items'?)");
	assert_refused(f,
	               "[source osce]\nurl=https://osce.example/\n"
	               "intervall=1h\n",
	               3, "unknown key 'intervall' (did you mean 'interval'?)");
	assert_refused(f, "[Site]\ntitle=Events\n", 1,
	               "unknown section [Site] (did you mean [site]?)");
	assert_refused(f, "[path]\nevents=events\n", 1,
	               "unknown section [path] (did you mean [paths]?)");
	assert_refused(f, "[feed]\nmax_items=20\n", 1,
	               "unknown section [feed] (did you mean [feeds]?)");
	assert_refused(f, "[sources osce]\nurl=https://osce.example/\n", 1,
	               "unknown section [sources osce] (did you mean [source "
	               "osce]?)");
	assert_refused(f, "[source]\nurl=https://osce.example/\n", 1,
	               "unknown section [source] (did you mean [source "
	               "NAME]?)");
	/* (a comment after a number is one: test_comment_after_value) */
	assert_refused(f, "[feeds]\nmax_items=50 fifty\n", 2,
	               "[feeds] max_items: not a whole number");
}

/* A comment after a value that holds no '#' after white space (a number,
 * a duration, an address, a zone) is one, as ARCHITECTURE.md and other
 * INI files write it: its example configuration is read as meant. A text,
 * a list and a path take the rest of the line (test_errors_habits). */
static void
test_comment_after_value(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = assert_loads(
	    f, "[site]\n"
	       "title=South East Europe Security Events\n"
	       "url=https://events.example.org/     # public base URL: links\n"
	       "timezone=Europe/Ljubljana\t# the site's zone\n"
	       "language=en # English\n"
	       "[feeds]\n"
	       "max_items=50          # RSS/Atom entries\n"
	       "refresh=PT1H          # REFRESH-INTERVAL, X-PUBLISHED-TTL\n"
	       "past_days= # none, as left empty\n"
	       "[server]\n"
	       "listen=127.0.0.1:8080 # loopback\n"
	       "[source osce]\n"
	       "url=https://osce.example/rss.xml#x # its feed\n"
	       "interval=1h # hourly\n"

	       "enabled=false # not yet\n");

	g_assert_cmpuint(f->diags->len, ==, 0);
	g_assert_nonnull(cfg);
	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->url, ==, "https://events.example.org/");
	g_assert_cmpstr(cfg->timezone, ==, "Europe/Ljubljana");
	g_assert_cmpuint(cfg->max_items, ==, 50);
	g_assert_cmpstr(cfg->refresh, ==, "PT1H");
	g_assert_cmpstr(cfg->title, ==, "South East Europe Security Events");
}

/* A key with a locale, as GKeyFile has them ("title[en]"), is a key
 * evfeed does not know, though GKeyFile lists no such key. */
static void
test_errors_locale_key(Fixture *f, gconstpointer data)
{
	assert_refused(f,
	               "[site]\n"
	               "title=Events\n"
	               "title[sl]=Dogodki\n",
	               3, "[site]: unknown key 'title[sl]'");
	assert_refused(f,
	               "[source osce]\n"
	               "url=https://www.osce.org/rss.xml\n"
	               "title[de]=OSZE\n",
	               3, "[source osce]: unknown key 'title[de]'");
	/* no locale's: told once */
	assert_refused(f, "[site]\ntitle[]=A\n", 2,
	               "[site]: unknown key 'title[]' (did you mean 'title'?)");
	g_assert_cmpuint(f->diags->len, ==, 1);
	/* spaces in the brackets, as TOML allows */
	assert_refused(f, "[ site ]\ntitle=A\n", 1,
	               "unknown section [ site ] (did you mean [site]?)");
}

/* What other formats' habits make of a value, which evfeed.conf takes as
 * the rest of its line: quotes around it, a comment after it, a space at
 * the end of a path, a control character (an escape such as \n, or a byte)
 * in a URL or a path. A path or a list is refused (a folder
 * "public # served by nginx" would be written; no partner's item matches
 * '"workshop"'), a text warned of, as a title may hold "#3". */
static void
test_errors_habits(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *text, *needle;
	} refused[] = {
		{ "[paths]\noutput=public # served by nginx\n",
		  "[paths] output: a '#' after a value is part of it: put a "
		  "comment on a line of its own: 'public # served by nginx'" },
		{ "[paths]\noutput=\"/srv/www/events\"\n",
		  "[paths] output: the quotes are part of the value "
		  "(evfeed.conf takes the rest of the line as written): leave "
		  "them out" },
		{ "[paths]\nstate=var/evfeed.db \n",
		  "[paths] state: it ends with a space or tab, which would be "
		  "part of the path" },
		{ "[source p]\nurl=https://p.example.org/x.ics\n"
		  "include=\"workshop\", \"conference\"\n",
		  "[source p] include: the quotes are part of the value" },
		{ "[source p]\nurl=https://p.example.org/x.ics\n"
		  "categories=partners\t# theirs\n",
		  "[source p] categories: a '#' after a value is part of it" },
		{ "[site]\nurl=https://events.example.org/a\\nb/\n",
		  "[site] url: a control character (U+000A) cannot be in it" },
		{ "[site]\nurl=https://events.example.org/a\001b/\n",
		  "[site] url: a control character (U+0001) cannot be in it" },
		{ "[paths]\noutput=pub\\r\n",
		  "[paths] output: a control character (U+000D)" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(refused); i++) {
		const char *nl = strchr(refused[i].text, '\n');
		guint line = 2;

		/* (the include and categories lines are the third) */
		if (nl != NULL && strstr(refused[i].text, "[source") != NULL)
			line = 3;
		assert_refused(f, refused[i].text, line, refused[i].needle);
	}
	/* a title: warned of, and taken as written */
	{
		g_autoptr(EvfConfig) cfg = NULL;
		const EvfDiag *d;

		g_ptr_array_set_size(f->diags, 0);
		cfg = load_text(f, "[site]\ntitle=\"Test Site\"\n"
		                   "description=Events # of the region\n");
		log_diags(f->diags);
		g_assert_nonnull(cfg);
		g_assert_cmpuint(f->diags->len, ==, 2);
		d = g_ptr_array_index(f->diags, 0);
		g_assert_true(d->warning);
		g_assert_cmpuint(d->line, ==, 2);
		g_assert_nonnull(strstr(d->message, "[site] title: the quotes "
		                                    "are part of the value"));
		d = g_ptr_array_index(f->diags, 1);
		g_assert_true(d->warning);
		g_assert_nonnull(strstr(d->message, "[site] description: a "
		                                    "'#' after a value"));
		if (cfg != NULL)
			g_assert_cmpstr(cfg->title, ==, "\"Test Site\"");
	}
	/* nor is "#3" in a title a comment, nor a list's "#rust", nor
	 * quotes inside a title */
	{
		g_autoptr(EvfConfig) cfg =
		    assert_loads(f, "[site]\ntitle=Meetup #3\n");
		g_autoptr(EvfConfig) tags = assert_loads(
		    f, "[source p]\nurl=https://p.example.org/x.ics\n"
		       "include=#rust, #golang\n");
		g_autoptr(EvfConfig) inner =
		    assert_loads(f, "[site]\ntitle=\"Jazz\" and \"Blues\"\n");

		if (cfg != NULL)
			g_assert_cmpstr(cfg->title, ==, "Meetup #3");
		g_assert_nonnull(tags);
		if (inner != NULL)
			g_assert_cmpstr(inner->title, ==,
			                "\"Jazz\" and \"Blues\"");
	}
	assert_refused(f,
	               "[source p]\nurl=https://p.example.org/x.ics\n"
	               "exclude=cancelled #\n",
	               3, "a '#' after a value is part of it");
}

/* A value that is not UTF-8, which GKeyFile then reads as none, and a NUL,
 * after which it reads nothing, are refused at their line, and the rest
 * of the file is still checked; a comment in another encoding is not
 * read, and stays allowed. */
static void
test_errors_encoding(Fixture *f, gconstpointer data)
{
	static const char nul[] = "[site]\ntitle=Events\0\n[sites]\n";
	g_autoptr(EvfConfig) ok = NULL;
	const EvfDiag *d;

	assert_refused(f,
	               "[site]\n"
	               "url=https://events.example.org/\n"
	               "title=Caf\xe9 Events\n",
	               3, "invalid UTF-8");
	ok = assert_loads(f, "# Caf\xe9\n[site]\ntitle=Caf\xc3\xa9\n");
	g_assert_cmpstr(ok->title, ==, "Caf\xc3\xa9");

	assert_refused_bytes(f, nul, sizeof nul - 1);
	g_assert_cmpuint(f->diags->len, ==, 2);
	d = g_ptr_array_index(f->diags, 0);
	g_assert_cmpuint(d->line, ==, 2);
	g_assert_cmpstr(d->message, ==, "a NUL character is not allowed");
	d = g_ptr_array_index(f->diags, 1);
	g_assert_cmpuint(d->line, ==, 3);
	g_assert_cmpstr(d->message, ==,
	                "unknown section [sites] (did you mean [site]?)");
}

/* A configuration saved as UTF-16 (Notepad's "Unicode") is one error
 * that says so, not a NUL on every line. */
static void
test_errors_utf16(Fixture *f, gconstpointer data)
{
	static const char le[] = "\xff\xfe[\0s\0i\0t\0e\0]\0\n\0";
	static const char bare[] = "[\0s\0i\0t\0e\0]\0\n\0";
	const char *const files[] = { le, bare };
	const gsize lens[] = { sizeof le - 1, sizeof bare - 1 };

	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		const EvfDiag *d;

		assert_refused_bytes(f, files[i], lens[i]);
		g_assert_cmpuint(f->diags->len, ==, 1);
		d = g_ptr_array_index(f->diags, 0);
		g_assert_cmpuint(d->line, ==, 1);
		g_assert_cmpstr(d->message, ==,
		                "the file is in UTF-16: save it as UTF-8");
	}
}

static gint
diag_cmp_line(gconstpointer a, gconstpointer b)
{
	const EvfDiag *x = *(EvfDiag *const *)a, *y = *(EvfDiag *const *)b;

	return (x->line > y->line) - (x->line < y->line);
}

/* A line that cannot be read (a NUL, invalid UTF-8, no key=value, a
 * header that is no header) hides none of the file's other mistakes:
 * each is reported, and so is every error in the rest of the file. A
 * section whose header cannot be read has its keys left alone. */
static void
test_errors_all_at_once(Fixture *f, gconstpointer data)
{
	static const char text[] = "[site]\n"
	                           "titel=Events\n"
	                           "just some text\n"
	                           "url=ftp://x\n"
	                           "description=Caf\xe9\n"
	                           "[feeds\n"
	                           "max_items=0\n"
	                           "[feeds]\n"
	                           "max_items=0\n"
	                           "refresh=P\0T1H\n";
	static const struct {
		guint line;
		const char *message;
	} want[] = {
		{ 2, "[site]: unknown key 'titel'" },
		{ 3, "expected key=value, a [section] or a comment" },
		{ 4, "[site] url: not an absolute http or https URL" },
		{ 5, "invalid UTF-8" },
		{ 6, "a section header is '[name]' alone on its line" },
		{ 9, "[feeds] max_items: not a whole number" },
		{ 10, "a NUL character is not allowed" },
	};

	assert_refused_bytes(f, text, sizeof text - 1);
	g_assert_cmpuint(f->diags->len, ==, G_N_ELEMENTS(want));
	g_ptr_array_sort(f->diags, diag_cmp_line);
	for (gsize i = 0; i < G_N_ELEMENTS(want) && i < f->diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(f->diags, i);

		g_assert_cmpuint(d->line, ==, want[i].line);
		g_assert_nonnull(strstr(d->message, want[i].message));
	}
}

/* 80,000 unknown keys: each diagnostic once searched the whole file for
 * its line, 16,000 × 16,000 lines, over 10 s
 * (tests/fuzz/corpus/config/regress-unknown-keys-quadratic), and each key
 * the keys after it for a duplicate (9 s for 80,000, 19 s for 120,000).
 * Every key is still reported, at its own line. Under AddressSanitizer,
 * 16,000: make check has it unwind the stack at every allocation
 * (fast_unwind_on_malloc=0), which alone takes 11 s for 80,000. */
#if defined(__SANITIZE_ADDRESS__)
#define MANY_KEYS 16000
#else
#define MANY_KEYS 80000
#endif

static void
test_errors_many_unknown_keys(Fixture *f, gconstpointer data)
{
	g_autoptr(GString) text = g_string_new("[site]\n");
	g_autoptr(EvfConfig) cfg = NULL;
	clock_t t0;

	for (guint i = 0; i < MANY_KEYS; i++)
		g_string_append_printf(text, "x%u=\n", i);
	t0 = clock();
	cfg = load_text(f, text->str);
	g_assert_cmpfloat((double)(clock() - t0) / CLOCKS_PER_SEC, <, 5.0);
	g_assert_null(cfg);
	g_assert_cmpuint(evf_diags_errors(f->diags), ==, MANY_KEYS);
	for (guint i = 0; i < f->diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(f->diags, i);
		guint key;

		if (sscanf(d->message, "[site]: unknown key 'x%u'", &key) != 1)
			continue;
		if (d->line != key + 2)
			g_test_message("%s at line %u", d->message, d->line);
		g_assert_cmpuint(d->line, ==, key + 2);
	}
}

static void
test_errors_line_of_key_in_its_section(Fixture *f, gconstpointer data)
{
	/* The same key in two sections: the diagnostic names the line of
	 * the one that is wrong. */
	assert_refused(f,
	               "[site]\n"
	               "url=https://events.example.org/\n"
	               "[source partner]\n"
	               "url=gopher://partner.example/\n",
	               4, "url");
}

static void
test_errors_all_reported(Fixture *f, gconstpointer data)
{
	static const char text[] = "[site]\n"
	                           "timezone=Mars/Base\n"
	                           "tag_date=18\n"
	                           "colour=blue\n"
	                           "[feeds]\n"
	                           "max_items=0\n"
	                           "refresh=PT1M\n"
	                           "[extra]\n";
	static const guint lines[] = { 2, 3, 4, 6, 7, 8 };
	g_autoptr(EvfConfig) cfg = load_text(f, text);

	g_assert_null(cfg);
	log_diags(f->diags);
	g_assert_cmpuint(evf_diags_errors(f->diags), ==, G_N_ELEMENTS(lines));
	for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
		gboolean found = FALSE;

		for (guint k = 0; k < f->diags->len; k++) {
			const EvfDiag *d = g_ptr_array_index(f->diags, k);
			found |= d->line == lines[i];
		}
		if (!found)
			g_test_message("no diagnostic on line %u", lines[i]);
		g_assert_true(found);
	}
}

static void
test_errors_name_file_as_given(Fixture *f, gconstpointer data)
{
	g_autofree char *path = write_conf(f, "evfeed.conf",
	                                   "[site]\n"
	                                   "colour=blue\n"
	                                   "timezone=Mars/Base\n");
	g_autoptr(EvfConfig) cfg = NULL;

	/* Every diagnostic names the file the way the user did, like a
	 * compiler: "evfeed.conf:2: …", not half of them with the absolute
	 * path. */
	g_assert_cmpint(g_chdir(f->dir), ==, 0);
	cfg = evf_config_load("evfeed.conf", f->diags);
	g_assert_null(cfg);
	log_diags(f->diags);
	g_assert_cmpuint(f->diags->len, ==, 2);
	for (guint i = 0; i < f->diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(f->diags, i);
		g_assert_cmpstr(d->file, ==, "evfeed.conf");
	}
}

static void
test_errors_diagnostic_format(Fixture *f, gconstpointer data)
{
	g_autofree char *path =
	    write_conf(f, "evfeed.conf", "[feeds]\nmax_items=0\n");
	g_autoptr(EvfConfig) cfg = evf_config_load(path, f->diags);
	g_autofree char *want = g_strdup_printf(
	    "%s:2: error: [feeds] max_items: not a whole number from 1 to "
	    "1000: '0'",
	    path);
	g_autofree char *got = NULL;

	g_assert_null(cfg);
	g_assert_cmpuint(f->diags->len, ==, 1);
	if (f->diags->len != 1)
		return;
	got = evf_diag_format(g_ptr_array_index(f->diags, 0));
	g_assert_cmpstr(got, ==, want);
}

static void
test_errors_missing_file(Fixture *f, gconstpointer data)
{
	g_autofree char *path = g_build_filename(f->dir, "absent.conf", NULL);
	g_autoptr(EvfConfig) cfg = evf_config_load(path, f->diags);

	g_assert_null(cfg);
	g_assert_cmpuint(evf_diags_errors(f->diags), ==, 1);
}

static void
test_errors_not_a_key_file(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = load_text(f, "[site\ntitle=x\n");

	g_assert_null(cfg);
	g_assert_cmpuint(evf_diags_errors(f->diags), ==, 1);
	/* GKeyFile's messages name no line; the diagnostic does. */
	assert_refused(f, "[site\ntitle=x\n", 1, "");
	assert_refused(f,
	               "# A comment.\n"
	               "[site]\n"
	               "title=Events\n"
	               "\n"
	               "this line is neither\n"
	               "[feeds]\n"
	               "max_items=20\n",
	               5, "");
	assert_refused(f, "title=Events\n[site]\n", 1, "");
	assert_refused(f, "[site]\ntitle=Events\n[feeds\n", 3, "");
	assert_refused(f, "[site]\r\ntitle=Events\r\nno equals sign", 3, "");
}

/* GKeyFile merges a section given twice and keeps the last of two equal
 * keys: an editor's first setting would vanish without a word. */
static void
test_errors_given_twice(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = NULL;

	assert_refused(f,
	               "[site]\n"
	               "title=Events\n"
	               "# title=Commented out\n"
	               "\n"
	               "  title = Other events\n",
	               5, "duplicate key 'title' (first on line 2)");
	assert_refused(f,
	               "[feeds]\n"
	               "max_items=20\n"
	               "[site]\n"
	               "title=Events\n"
	               "[feeds]\n"
	               "refresh=PT2H\n",
	               5, "section [feeds] appears twice (first on line 1)");
	assert_refused(f,
	               "[source osce]\n"
	               "url=https://osce.example/events.ics\n"
	               "[source osce]\n"
	               "url=https://osce.example/other.ics\n",
	               4, "duplicate key 'url' (first on line 2)");
	/* an unknown key given twice: unknown once, and a duplicate */
	assert_refused(f, "[site]\ntitel=a\ntitel=b\n", 3,
	               "duplicate key 'titel' (first on line 2)");
	assert_refused(f, "[site]\ntitel=a\ntitel=b\n", 2,
	               "unknown key 'titel'");
	g_assert_cmpuint(f->diags->len, ==, 2);
	/* The same key in two sections is no duplicate. */
	cfg = assert_loads(f, "[site]\n"
	                      "url=https://events.example.org/\n"
	                      "[source partner]\n"
	                      "url=https://partner.example/events.ics\n");
	g_assert_cmpuint(cfg->sources->len, ==, 1);
}

/* A value's escapes are \s, \t, \n and \\; a '\' before anything else or
 * at the end of the value is an error (GLib keeps the one and cuts the
 * value short at the other, saying so only to whoever asks). */
static void
test_errors_bad_escape(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = NULL;

	assert_refused(
	    f, "[site]\ntitle=Regional events\\\n", 2,
	    "a '\\' stands only before 's', 't', 'n', 'r' or another "
	    "'\\'");
	assert_refused(f, "[site]\n\ntitle=C:\\qevents\n", 3,
	               "(write '\\\\' for a backslash): 'C:\\qevents'");
	/* both in one value: one diagnostic (GLib 2.74 warned of a bug in
	 * someone's code, setting its error twice; fatal in a test) */
	assert_refused(f, "[site]\ntitle=C:\\q\\\n", 2,
	               "(write '\\\\' for a backslash): 'C:\\q\\'");
	/* (a title's white space made one space) */
	cfg = assert_loads(f, "[site]\ntitle=A\\tB \\\\ C\\s\n");
	g_assert_cmpstr(cfg->title, ==, "A B \\ C");
}

/* A section name of 300 KB over 20,000 keys: it was copied into the
 * index entry of every key and into the message of each, its length
 * times their number. Names are bounded, as a source's names a folder. */
static void
test_errors_section_name_too_long(Fixture *f, gconstpointer data)
{
	g_autofree char *name = g_strnfill(128 - strlen("source "), 'a');
	g_autofree char *at_bound = g_strdup_printf(
	    "[site]\nurl=https://events.example.org/\n[source %s]\n"
	    "url=https://partner.example/events.ics\n",
	    name);
	g_autofree char *over = g_strdup_printf(
	    "[site]\nurl=https://events.example.org/\n[source %sa]\n"
	    "url=https://partner.example/events.ics\n",
	    name);
	g_autoptr(GString) huge =
	    g_string_new("[site]\ntitle=Events\n[source ");
	g_autoptr(EvfConfig) cfg = NULL;
	gint64 start;
	double secs;

	cfg = assert_loads(f, at_bound);
	g_assert_cmpuint(cfg->sources->len, ==, 1);
	assert_refused(f, over, 3, "a section name longer than 128 bytes");

	for (int i = 0; i < 300 * 1024; i++)
		g_string_append_c(huge, 'a');
	g_string_append(huge, "]\n");
	for (int i = 0; i < 20000; i++)
		g_string_append(huge, "x=\n");
	start = g_get_monotonic_time();
	assert_refused(f, huge->str, 3, "a section name longer than 128 bytes");
	secs = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_test_message("refused in %.2f s", secs);
	/* Linear: a few milliseconds; the copies took a minute. */
	g_assert_cmpfloat(secs, <, 10.0);
}

/* A section of one key thousands of times: its first 20 duplicates are
 * reported one by one, the rest in one line at the first of them; the
 * next section's are its own. */
static void
test_errors_many_duplicates(Fixture *f, gconstpointer data)
{
	g_autoptr(GString) text =
	    g_string_new("[site]\nurl=https://events.example.org/\n[source a]\n"
	                 "url=https://partner.example/events.ics\n");
	g_autoptr(EvfConfig) cfg = NULL;
	guint dup = 0, more = 0, refresh = 0;

	for (int i = 0; i < 2000; i++)
		g_string_append(text, "url=https://partner.example/x.ics\n");
	g_string_append(text, "[feeds]\nrefresh=PT1H\nrefresh=PT2H\n");
	g_ptr_array_set_size(f->diags, 0);
	cfg = load_text(f, text->str);
	g_assert_null(cfg);
	for (guint i = 0; i < f->diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(f->diags, i);

		if (strstr(d->message, "duplicate key 'url'") != NULL)
			dup++;
		if (strstr(d->message, "duplicate key 'refresh'") != NULL) {
			refresh++;
			g_assert_cmpuint(d->line, ==, 2007);
		}
		if (strstr(d->message, "[source a]: 1980 more duplicate keys "
		                       "from here on") != NULL) {
			more++;
			g_assert_cmpuint(d->line, ==, 25);
		}
	}
	g_assert_cmpuint(dup, ==, 20);
	g_assert_cmpuint(more, ==, 1);
	g_assert_cmpuint(refresh, ==, 1);
}

static void
test_errors_keep_earlier_diags(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = NULL;

	/* A caller may collect diagnostics of several files in one list:
	 * earlier errors do not make a good file fail. */
	evf_diags_add(f->diags, "other.md", 1, 1, "an earlier error");
	cfg = load_text(f, "[site]\ntitle=Events\n");
	g_assert_nonnull(cfg);
	g_assert_cmpuint(f->diags->len, ==, 1);
}

/* ----------------------------------------------------------- sources */

static void
test_source_full(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "[source osce]\n"
	                    "url=https://www.osce.org/events.ics\n"
	                    "interval=PT30M\n"
	                    "enabled=false\n"
	                    "\n"
	                    "[source unodc-see_2]\n"
	                    "url=http://www.unodc.org/rss.xml\n");
	const EvfSourceConfig *a, *b;

	if (cfg == NULL)
		return;
	g_assert_cmpuint(cfg->sources->len, ==, 2);
	if (cfg->sources->len != 2)
		return;
	a = g_ptr_array_index(cfg->sources, 0);
	b = g_ptr_array_index(cfg->sources, 1);
	g_assert_cmpstr(a->name, ==, "osce");
	g_assert_cmpstr(a->url, ==, "https://www.osce.org/events.ics");
	g_assert_cmpint(a->interval, ==, 1800);
	g_assert_false(a->enabled);
	/* Defaults: every hour, enabled; a source URL gets no '/'. */
	g_assert_cmpstr(b->name, ==, "unodc-see_2");
	g_assert_cmpstr(b->url, ==, "http://www.unodc.org/rss.xml");
	g_assert_cmpint(b->interval, ==, 3600);
	g_assert_true(b->enabled);
}

/* A source's url may carry a user name and password (sent as HTTP basic
 * authentication) and a key in its query: what is published of it, its
 * link, carries neither. */
static void
test_source_link(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg = assert_loads(
	    f, "[source a]\n"
	       "url=https://user:s3cret@pa.example/cal.ics?token=KEY#x\n"
	       "[source b]\n"
	       "url=https://pb.example/private-KEY/basic.ics\n"
	       "link=https://pb.example/events\n"
	       "[source c]\n"
	       "url=https://pc.example/my%20events/feed.xml\n");

	if (cfg != NULL && cfg->sources->len == 3) {
		const EvfSourceConfig *a = g_ptr_array_index(cfg->sources, 0);
		const EvfSourceConfig *b = g_ptr_array_index(cfg->sources, 1);
		const EvfSourceConfig *c = g_ptr_array_index(cfg->sources, 2);

		g_assert_cmpstr(
		    a->url, ==,
		    "https://user:s3cret@pa.example/cal.ics?token=KEY#x");
		g_assert_cmpstr(a->link, ==, "https://pa.example/cal.ics");
		g_assert_cmpstr(b->link, ==, "https://pb.example/events");
		g_assert_cmpstr(c->link, ==,
		                "https://pc.example/my%20events/feed.xml");
	} else {
		g_test_fail();
	}
	/* a link, and the published URLs of the site itself */
	static const struct {
		const char *text;
		guint line;
		const char *message;
	} refused[] = {
		{ "[source a]\nurl=https://pa.example/cal.ics\n"
		  "link=https://u:p@pa.example/\n",
		  3, "cannot hold a user name or password" },
		{ "[site]\nurl=https://u:p@events.example.org/\n", 2,
		  "cannot hold a user name or password" },
		{ "[feeds]\nhub=https://u:p@hub.example/\n", 2,
		  "cannot hold a user name or password" },
		{ "[site]\nurl=https://[2001:db8::1]/\n", 2,
		  "needs a host name" },
		/* a source's link is published as a feed's links are */
		{ "[source a]\nurl=https://pa.example/cal.ics\n"
		  "link=http://[2001:db8::1]:8080/events\n",
		  3, "needs a host name, not an IPv6 address" },
		{ "[source a]\nenabled=false\nurl=http://[::1]:8080/cal.ics\n",
		  3, "add link= with the source's page by its host name" },
		{ "[site]\nurl=https://events.example.org/a%5Bb%5D/\n", 2,
		  "cannot have '[' or ']' in its path" },
		/* RFC 4151's DNSname, which tag: ids are made of */
		{ "[site]\nurl=https://my_site.example.org/\n", 2,
		  "needs a host name of letters, digits, '-' and dots" },
		{ "[site]\nurl=https://events.example.org./\n", 2,
		  "needs a host name of letters, digits, '-' and dots" },
		{ "[site]\nurl=https://-events.example.org/\n", 2,
		  "needs a host name of letters, digits, '-' and dots" },
		{ "[site]\nurl=https://events..example.org/\n", 2,
		  "needs a host name of letters, digits, '-' and dots" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(refused); i++)
		assert_refused(f, refused[i].text, refused[i].line,
		               refused[i].message);
	/* a link= refused is told at its line, not again at url='s */
	assert_refused(f,
	               "[source a]\nurl=http://[::1]:8/f.xml\n"
	               "link=http://[2001:db8::1]/x\n",
	               3, "needs a host name, not an IPv6 address");
	g_assert_cmpuint(f->diags->len, ==, 1);
	/* fetched from an IPv6 address, published by its page's name */
	g_clear_pointer(&cfg, evf_config_free);
	cfg = assert_loads(f, "[source v6]\nurl=http://[::1]:8080/cal.ics\n"
	                      "link=https://v6.example/events\n");
	g_assert_nonnull(cfg);
}

/* The feed's own address, as the feeds publish it (the self link of an
 * Atom <source>, the url of an RSS one), is url without its user name,
 * password and fragment; none when url has a query (where keys go, and
 * without which it is another address) or when link= is set (to keep a
 * secret address private, as evfeed.conf(5) offers it). */
static void
test_source_feed_link(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) cfg =
	    assert_loads(f, "[source a]\n"
	                    "url=https://user:s3cret@pa.example/feed.xml#x\n"
	                    "[source b]\n"
	                    "url=https://pb.example/private-KEY/basic.ics\n"
	                    "link=https://pb.example/events\n"
	                    "[source c]\n"
	                    "url=https://pc.example/cal.ics?token=KEY\n");

	if (cfg != NULL && cfg->sources->len == 3) {
		const EvfSourceConfig *a = g_ptr_array_index(cfg->sources, 0);
		const EvfSourceConfig *b = g_ptr_array_index(cfg->sources, 1);
		const EvfSourceConfig *c = g_ptr_array_index(cfg->sources, 2);

		g_assert_cmpstr(a->feed_link, ==,
		                "https://pa.example/feed.xml");
		g_assert_null(b->feed_link);
		g_assert_null(c->feed_link);
		g_assert_cmpstr(c->link, ==, "https://pc.example/cal.ics");
	} else {
		g_test_fail();
	}
}

static void
test_source_url_required(Fixture *f, gconstpointer data)
{
	assert_refused(f, "[site]\ntitle=x\n[source osce]\ninterval=1h\n", 3,
	               "url is required");
}

static void
test_source_bad_values(Fixture *f, gconstpointer data)
{
	/* include= and exclude=: each word is looked for in every item,
	 * within the calendar parser's 5 s: at most 1000, of at most 200
	 * characters each */
	{
		g_autoptr(GString) words = g_string_new(
		    "[source osce]\nurl=https://www.osce.org/\ninclude=");
		g_autoptr(EvfConfig) most = NULL;
		g_autofree char *one_more = NULL;
		g_autofree char *long_word = NULL;

		for (int i = 0; i < 1000; i++)
			g_string_append_printf(words, "%sword%d", i ? ", " : "",
			                       i);
		most = assert_loads(f, words->str);
		g_assert_nonnull(most);
		if (most != NULL)
			g_assert_cmpuint(
			    g_strv_length(
			        evf_config_source(most, "osce")->include),
			    ==, 1000);
		one_more = g_strdup_printf("%s, word1000\n", words->str);
		assert_refused(f, one_more, 3,
		               "include: more than 1000 words or phrases");
		long_word = g_strdup_printf(
		    "[source osce]\nurl=https://www.osce.org/\nexclude=a, "
		    "%0201d\n",
		    0);
		assert_refused(f, long_word, 3,
		               "exclude: a word or phrase of more than 200 "
		               "characters");
	}
	assert_refused(f,
	               "[source osce]\nurl=https://www.osce.org/\n"
	               "enabled=yes\n",
	               3, "enabled");
	assert_refused(f,
	               "[source osce]\nurl=https://www.osce.org/\n"
	               "interval=30s\n",
	               3, "interval");
	assert_refused(f,
	               "[source osce]\nurl=https://www.osce.org/\n"
	               "interval=P8D\n",
	               3, "interval");
	assert_refused(f, "[source osce]\nurl=file:///etc/passwd\n", 2, "url");
	assert_refused(f,
	               "[source osce]\nurl=https://www.osce.org/\n"
	               "refresh=1h\n",
	               3, "unknown key 'refresh'");
}

/* (transfer full): [source p] with @n categories. */
static char *
source_with_categories(guint n)
{
	GString *text = g_string_new("[source p]\nurl=https://p.example/\n"
	                             "categories=");

	for (guint i = 0; i < n; i++)
		g_string_append_printf(text, "%sk%u", i > 0 ? "; " : "", i);
	g_string_append_c(text, '\n');
	return g_string_free(text, FALSE);
}

/* A source's categories=: at most as many as an event file's (each is a
 * calendar, feeds and a page listing every item: 5,000 made 12 GB from
 * two items), and no two of one address among the enabled sources (the
 * calendar of 'C#' listed the items of 'C++'). */
static void
test_source_categories(Fixture *f, gconstpointer data)
{
	g_autofree char *too_many =
	    source_with_categories(EVF_CONFIG_MAX_CATEGORIES + 1);
	g_autofree char *most =
	    source_with_categories(EVF_CONFIG_MAX_CATEGORIES);
	g_autoptr(EvfConfig) cfg = NULL;

	assert_refused(f, too_many, 3, "101 categories, more than 100");
	assert_refused(f,
	               "[source p]\nurl=https://p.example/\n"
	               "categories=C++; Workshop; C#\n",
	               3,
	               "[source p] categories: 'C#' has the same address "
	               "(category/c/) as 'C++' of [source p]");
	assert_refused(f,
	               "[source p]\nurl=https://p.example/\ncategories=Ça\n"
	               "[source q]\nurl=https://q.example/\ncategories=ca\n",
	               6,
	               "[source q] categories: 'ca' has the same address "
	               "(category/ca/) as 'Ça' of [source p]");
	/* the same name in any case, its letters composed or not, is the
	 * same category; a disabled source publishes none */
	cfg = assert_loads(f, "[source p]\nurl=https://p.example/\n"
	                      "categories=Workshop; workshop; Caf\xc3\xa9\n"
	                      "[source s]\nurl=https://s.example/\n"
	                      "categories=Cafe\xcc\x81\n"
	                      "[source q]\nurl=https://q.example/\n"
	                      "categories=WORKSHOP; C#\n"
	                      "[source r]\nurl=https://r.example/\n"
	                      "enabled=false\ncategories=C++\n");
	g_assert_nonnull(cfg);
	g_clear_pointer(&cfg, evf_config_free);
	/* two that only look alike: one, with a warning that says how
	 * they differ */
	g_ptr_array_set_size(f->diags, 0);
	cfg = load_text(f, "[source p]\nurl=https://p.example/\n"
	                   "categories=Institute II\n"
	                   "[source q]\nurl=https://q.example/\n"
	                   "categories=Institute \xe2\x85\xa1\n");
	g_assert_nonnull(cfg);
	g_assert_cmpuint(f->diags->len, ==, 1);
	g_assert_true(((EvfDiag *)g_ptr_array_index(f->diags, 0))->warning);
	g_assert_nonnull(
	    strstr(((EvfDiag *)g_ptr_array_index(f->diags, 0))->message,
	           "[source q] categories: 'Institute \xe2\x85\xa1' is written "
	           "'Institute II' in [source p]: write it alike: it has "
	           "'\xe2\x85\xa1' (U+2161), a form of 'II'"));
	g_clear_pointer(&cfg, evf_config_free);
	cfg = assert_loads(f, most);
	g_assert_nonnull(cfg);
}

static void
test_source_bad_name(Fixture *f, gconstpointer data)
{
	assert_refused(f, "[source OSCE]\nurl=https://www.osce.org/\n", 1,
	               "source name");
	assert_refused(f, "[source ../x]\nurl=https://www.osce.org/\n", 1,
	               "source name");
}

/* ------------------------------------------------------------ sample */

static void
test_sample_documents_every_key(void)
{
	g_autofree char *path = g_test_build_filename(
	    G_TEST_DIST, "..", "config", "evfeed.conf", NULL);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) groups = NULL;
	const char *const *keys = evf_config_keys();

	g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &error);
	g_assert_no_error(error);
	groups = g_key_file_get_groups(kf, NULL);
	g_assert_nonnull(keys);
	g_assert_nonnull(keys[0]);
	for (guint i = 0; keys[i] != NULL; i++) {
		const char *dot = strchr(keys[i], '.');
		g_autofree char *group = NULL;
		gboolean found = FALSE;

		g_assert_nonnull(dot);
		if (dot == NULL)
			continue;
		group = g_strndup(keys[i], dot - keys[i]);
		for (guint g = 0; groups[g] != NULL && !found; g++) {
			gboolean match =
			    strcmp(group, "source") == 0
			        ? g_str_has_prefix(groups[g], "source ")
			        : strcmp(group, groups[g]) == 0;

			found = match && g_key_file_has_key(kf, groups[g],
			                                    dot + 1, NULL);
		}
		if (!found)
			g_test_message("%s is not in the sample", keys[i]);
		g_assert_true(found);
	}
}

static void
test_keys_listed(void)
{
	const char *const *keys = evf_config_keys();
	static const char *const want[] = {
		"site.title",      "site.description", "site.url",
		"site.tag_date",   "site.timezone",    "site.language",
		"paths.events",    "paths.output",     "paths.state",
		"feeds.max_items", "feeds.refresh",    "server.listen",
		"source.url",      "source.interval",  "source.enabled",
	};
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < G_N_ELEMENTS(want); i++)
		g_assert_true(g_strv_contains(keys, want[i]));
	/* Each "section.key" once. */
	for (guint i = 0; keys[i] != NULL; i++) {
		g_assert_nonnull(strchr(keys[i], '.'));
		g_assert_false(g_hash_table_contains(seen, keys[i]));
		g_hash_table_add(seen, (gpointer)keys[i]);
	}
	/* The same array every time. */
	g_assert_true(evf_config_keys() == keys);
}

static void
test_sample_loads(void)
{
	g_autofree char *path = g_test_build_filename(
	    G_TEST_DIST, "..", "config", "evfeed.conf", NULL);
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfConfig) cfg = evf_config_load(path, diags);

	log_diags(diags);
	g_assert_nonnull(cfg);
	g_assert_cmpuint(diags->len, ==, 0);
	if (cfg == NULL)
		return;
	g_assert_cmpstr(cfg->url, ==, "https://events.example.org/");
	g_assert_cmpstr(cfg->host, ==, "events.example.org");
	g_assert_cmpstr(cfg->timezone, ==, "Europe/Ljubljana");
	g_assert_cmpint(cfg->refresh_seconds, ==, 3600);
	g_assert_true(g_path_is_absolute(cfg->events_dir));
	g_assert_true(g_str_has_suffix(cfg->events_dir, "/feeds/events"));
}

/* A value pasted with a space after it is told so, not shown as if it
 * were right ("'Europe/Ljubljana ' (did you mean 'Europe/Ljubljana'?)"). */
static void
test_trailing_space(Fixture *f, gconstpointer data)
{
	static const char *const texts[] = {
		"[site]\ntimezone=Europe/Ljubljana \n",
		"[feeds]\nmax_items=50 \n",
		"[server]\naccess_log=true\t\n",
		"[site]\nlanguage=en \n",
	};

	for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
		assert_refused(f, texts[i], 2,
		               "(it ends with a space or tab, which is part "
		               "of the value: take it out)");
}

/* What evfeed serve listens on is checked with the rest, as it reads it:
 * an address (or a name) and a port. */
static void
test_listen_checked(Fixture *f, gconstpointer data)
{
	static const char *const bad[] = {
		"127.0.0.1:65536", "",  "127.0.0.1:8x", "host name:80",
		"127.0.0.1:-1",    ":",
	};
	static const char *const good[] = {
		"127.0.0.1:8080", "[::1]:8080",      "localhost:9000",
		"0.0.0.0:80",     "127.0.0.1",       "::1",
		"fe80::1",        "1:2:3:4:5:6:7:8",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text =
		    g_strdup_printf("[server]\nlisten=%s\n", bad[i]);

		assert_refused(f, text, 2, "[server] listen: not an address");
	}
	/* a port alone, as nginx takes it: GLib would read a host 8080 */
	assert_refused(f, "[server]\nlisten=8080\n", 2,
	               "[server] listen: a port alone: give the address to "
	               "listen on with it, such as 127.0.0.1:8080");
	/* an IPv6 address and a port without the brackets: GLib reads an
	 * address on port 8080, which the kernel then refuses at start */
	assert_refused(f, "[server]\nlisten=::1:8080\n", 2,
	               "[server] listen: an IPv6 address goes in brackets, "
	               "before its port: '[::1]:8080'");
	assert_refused(f, "[server]\nlisten=2001:db8::1:80\n", 2,
	               "'[2001:db8::1]:80'");
	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *text =
		    g_strdup_printf("[server]\nlisten=%s\n", good[i]);
		g_autoptr(EvfConfig) cfg = assert_loads(f, text);

		g_assert_cmpstr(cfg->listen, ==, good[i]);
	}
}

/* A URL's host is a host name or an address: GLib takes one with a
 * space, which would go raw into every link and tag: id. */
static void
test_url_host_checked(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) a = NULL;
	g_autoptr(EvfConfig) b = NULL;

	assert_refused(f, "[site]\nurl=https://events example.org/\n", 2,
	               "its host has a character no host name has");
	assert_refused(f, "[site]\nurl=https://events%20example.org/\n", 2,
	               "its host has a character no host name has");
	assert_refused(f, "[site]\nurl=https://ev<x>.org/\n", 2, "[site] url");
	assert_refused(f, "[source x]\nurl=https://x example/f.ics\n", 2,
	               "its host has a character no host name has");
	a = assert_loads(f, "[site]\nurl=https://\xc3\xa9vents.example/\n"
	                    "[source x]\nurl=http://[::1]:8/f.ics\n"
	                    "link=https://x.example/\n");
	/* a partner's host may have a '_' (the site's may not: its tag:
	 * ids are made from it, test_source_link) */
	b = assert_loads(f,
	                 "[source x]\nurl=https://my_host.example.org/f.ics\n");
}

/* A URL holds no space, tab, quote or angle bracket: one typed after it
 * (the value is the rest of the line) was published, percent-encoded, in
 * every link and every event's UID; a partner's was fetched as another
 * address. Each is refused, a space at the end said to be one. */
static void
test_url_spaces(Fixture *f, gconstpointer data)
{
	g_autoptr(EvfConfig) a = NULL;

	assert_refused(f, "[site]\nurl=https://events.example.org/ \n", 2,
	               "[site] url: not an absolute http or https URL: it "
	               "ends with a space or tab, which would be part of it");
	assert_refused(f, "[source x]\nurl=https://x.example/f.ics\t\n", 2,
	               "[source x] url: not an absolute http or https URL: "
	               "it ends with a space or tab");
	assert_refused(f, "[site]\nurl=https://events.example.org/a b/\n", 2,
	               "a space, tab, quote or angle bracket cannot be in one "
	               "(write a space as %20)");
	assert_refused(f, "[source x]\nurl=https://x.example/\"f\".ics\n", 2,
	               "a space, tab, quote or angle bracket cannot be in one");
	assert_refused(f, "[source x]\nlink=https://x.example/ \n", 2,
	               "[source x] link: not an absolute http or https URL");
	/* encoded, and a leading space, which is no part of the value */
	a = assert_loads(f, "[site]\nurl= https://events.example.org/a%20b/\n");
	g_assert_cmpstr(a->url, ==, "https://events.example.org/a%20b/");
}

/* A title left empty, or of white space alone, is the default, as the
 * key left out is; the calendars need a name. */
static void
test_empty_title_default(Fixture *f, gconstpointer data)
{
	static const char *const texts[] = {
		"[site]\ntitle=\n",
		"[site]\ntitle=   \n",
		"[site]\ntitle=\x01\n",
	};

	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(EvfConfig) cfg = assert_loads(f, texts[i]);

		g_assert_cmpstr(cfg->title, ==, "Events");
	}
}

/* A value out of its bounds is told what the bounds are. */
static void
test_bounds_named(Fixture *f, gconstpointer data)
{
	assert_refused(f, "[feeds]\nmax_items=0\n", 2,
	               "max_items: not a whole number from 1 to 1000: '0'");
	assert_refused(f, "[feeds]\nrefresh=4m\n", 2,
	               "refresh: not a duration from PT5M to P1W: '4m'");
	assert_refused(f, "[server]\nthreads=65\n", 2, "from 1 to 64");
	assert_refused(f, "[source a]\nurl=https://a.example/\nmax_bytes=1\n",
	               3, "not a size from 1024 to 268435456 bytes");
	assert_refused(f,
	               "[source a]\nurl=https://a.example/\npriority=-1001\n",
	               3, "not a whole number from -1000 to 1000");
}

/* A duration or size whose number is too large for libical's fields or
 * for 64 bits is out of range, not wrapped into it (P7102W once came out
 * as P3DT17H31M44S, PT4294967596S as PT5M). */
static void
test_bounds_no_wrap(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *text;
		guint line;
		const char *says;
	} cases[] = {
		{ "[feeds]\nrefresh=P7102W\n", 2,
		  "refresh: not a duration from PT5M to P1W: 'P7102W'" },
		{ "[feeds]\nrefresh=PT4294967596S\n", 2,
		  "refresh: not a duration from PT5M to P1W" },
		{ "[feeds]\nrefresh=P3550W6DT23H59M59S\n", 2,
		  "refresh: not a duration from PT5M to P1W" },
		{ "[feeds]\nrefresh=4294967596\n", 2,
		  "refresh: not a duration from PT5M to P1W" },
		{ "[feeds]\nrefresh=99999999999999999999999d\n", 2,
		  "refresh: not a duration from PT5M to P1W" },
		{ "[feeds]\nrefresh=PT\n", 2,
		  "refresh: not a duration (such as" },
		{ "[feeds]\nrefresh=P\n", 2,
		  "refresh: not a duration (such as" },
		{ "[source a]\nurl=https://a.example/\ninterval=P49711D\n", 3,
		  "interval: not a duration from PT1M to P1W" },
		{ "[source a]\nurl=https://a.example/\n"
		  "max_bytes=18014398509481985K\n",
		  3, "max_bytes: not a size from 1024 to 268435456 bytes" },
		{ "[source a]\nurl=https://a.example/\n"
		  "max_bytes=17592186044417M\n",
		  3, "max_bytes: not a size from 1024 to 268435456 bytes" },
		{ "[source a]\nurl=https://a.example/\n"
		  "max_bytes=99999999999999999999999\n",
		  3, "max_bytes: not a size from 1024 to 268435456 bytes" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
		assert_refused(f, cases[i].text, cases[i].line, cases[i].says);
	/* leading zeros make no number longer */
	{
		g_autoptr(EvfConfig) cfg =
		    assert_loads(f, "[feeds]\nrefresh=PT000000000000001H\n");

		g_assert_cmpint(cfg->refresh_seconds, ==, 3600);
	}
}

#define ADD(path, fn) \
	g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* A failed check fails its test only, and the others still run. */
	g_test_set_nonfatal_assertions();

	ADD("/config/defaults/empty-sections", test_defaults_empty_sections);
	ADD("/config/server/listen-checked", test_listen_checked);
	ADD("/config/values/trailing-space", test_trailing_space);
	ADD("/config/url/host-checked", test_url_host_checked);
	ADD("/config/url/spaces", test_url_spaces);
	ADD("/config/site/empty-title-default", test_empty_title_default);
	ADD("/config/values/bounds-named", test_bounds_named);
	ADD("/config/values/bounds-no-wrap", test_bounds_no_wrap);
	ADD("/config/defaults/empty-file", test_defaults_empty_file);
	ADD("/config/defaults/comments-only", test_defaults_comments_only);

	ADD("/config/paths/relative-to-config-folder",
	    test_paths_relative_to_config_folder);
	ADD("/config/paths/relative-config-path",
	    test_paths_relative_config_path);
	ADD("/config/paths/absolute-kept", test_paths_absolute_kept);
	ADD("/config/paths/empty-refused", test_paths_empty_refused);

	ADD("/config/site/url-trailing-slash", test_site_url_trailing_slash);
	ADD("/config/site/host-lower-case", test_site_host_lower_case);
	ADD("/config/site/url-iri", test_site_url_iri);
	ADD("/config/site/url-default-port", test_site_default_port);
	ADD("/config/site/uid-namespace", test_site_uid_namespace);
	ADD("/config/site/feed-ids", test_site_feed_ids);
	ADD("/config/bom-and-crlf", test_bom_and_crlf);
	ADD("/config/paths/apart", test_paths_apart);
	ADD("/config/paths/links", test_paths_links);
	ADD("/config/paths/not-a-file", test_paths_not_a_file);
	ADD("/config/paths/state-too-long", test_paths_state_too_long);
	ADD("/config/errors/bad-names-all-at-once", test_bad_names_all_at_once);
	ADD("/config/site/url-not-http", test_site_url_not_http);
	ADD("/config/site/url-query-or-fragment-refused",
	    test_site_url_query_or_fragment);
	ADD("/config/site/text-one-line", test_site_text_one_line);
	ADD("/config/site/text-blank", test_site_text_blank);
	ADD("/config/site/text-plain", test_site_text_plain);
	ADD("/config/site/timezone", test_site_timezone);
	ADD("/config/site/language", test_site_language);
	ADD("/config/site/tag-date", test_site_tag_date);

	ADD("/config/feeds/refresh", test_feeds_refresh);
	ADD("/config/feeds/refresh-bounds", test_feeds_refresh_bounds);
	ADD("/config/feeds/max-items-bounds", test_feeds_max_items_bounds);
	ADD("/config/feeds/hub", test_feeds_hub);

	ADD("/config/errors/unknown-section", test_errors_unknown_section);
	ADD("/config/errors/unknown-key", test_errors_unknown_key);
	ADD("/config/errors/locale-key", test_errors_locale_key);
	ADD("/config/errors/habits", test_errors_habits);
	ADD("/config/comment-after-value", test_comment_after_value);
	ADD("/config/errors/lines", test_errors_lines);
	ADD("/config/errors/advice", test_errors_advice);
	ADD("/config/errors/encoding", test_errors_encoding);
	ADD("/config/errors/utf16", test_errors_utf16);
	ADD("/config/errors/all-at-once", test_errors_all_at_once);
	ADD("/config/errors/many-unknown-keys", test_errors_many_unknown_keys);
	ADD("/config/errors/line-of-key-in-its-section",
	    test_errors_line_of_key_in_its_section);
	ADD("/config/errors/all-reported", test_errors_all_reported);
	ADD("/config/errors/name-file-as-given",
	    test_errors_name_file_as_given);
	ADD("/config/errors/diagnostic-format", test_errors_diagnostic_format);
	ADD("/config/errors/missing-file", test_errors_missing_file);
	ADD("/config/errors/not-a-key-file", test_errors_not_a_key_file);
	ADD("/config/errors/given-twice", test_errors_given_twice);
	ADD("/config/errors/bad-escape", test_errors_bad_escape);
	ADD("/config/errors/section-name-too-long",
	    test_errors_section_name_too_long);
	ADD("/config/errors/many-duplicates", test_errors_many_duplicates);
	ADD("/config/errors/keep-earlier-diags",
	    test_errors_keep_earlier_diags);

	ADD("/config/source/full", test_source_full);
	ADD("/config/source/url-required", test_source_url_required);
	ADD("/config/source/link", test_source_link);
	ADD("/config/source/feed-link", test_source_feed_link);
	ADD("/config/source/bad-values", test_source_bad_values);
	ADD("/config/source/bad-name", test_source_bad_name);
	ADD("/config/source/categories", test_source_categories);

	g_test_add_func("/config/sample/documents-every-key",
	                test_sample_documents_every_key);
	g_test_add_func("/config/keys/listed", test_keys_listed);
	g_test_add_func("/config/sample/loads", test_sample_loads);

	return g_test_run();
}
