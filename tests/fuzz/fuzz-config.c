/*
 * fuzz-config.c: evfeed.conf through evf_config_load, the way the program
 * reads it: from a file (GKeyFile, the key table, every bound, paths made
 * absolute, [source NAME] groups). Every input is written to the same file
 * in a temporary folder, removed at exit.
 */
#include "autoconf.h"

#include "fuzz.h"

#include "config.h"
#include "util.h"

#include <errno.h>

#include <glib/gstdio.h>

static char *dir;
static char *path;

static void
remove_files(void)
{
	g_remove(path);
	g_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;

	evf_fuzz_setup();
	dir = g_dir_make_tmp("evfeed-fuzz-XXXXXX", &error);
	if (dir == NULL)
		g_error("cannot make a temporary folder: %s", error->message);
	path = g_build_filename(dir, "evfeed.conf", NULL);
	atexit(remove_files);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autoptr(EvfConfig) cfg = NULL;

	/* Written in place: without the fsync of a safe replacement. The
	 * file goes first: GLib 2.74 writes in place without truncating,
	 * which left an earlier, longer input's end after this one. */
	if (g_remove(path) != 0 && errno != ENOENT)
		g_error("cannot remove '%s': %s", path, g_strerror(errno));
	if (!g_file_set_contents_full(path, (const char *)data, (gssize)size,
	                              G_FILE_SET_CONTENTS_NONE, 0600, &error))
		g_error("cannot write '%s': %s", path, error->message);
	/* (the file is this input and nothing else) */
	{
		GStatBuf st;

		if (g_stat(path, &st) != 0 || (size_t)st.st_size != size)
			abort();
	}
	cfg = evf_config_load(path, diags);
	/* Every refusal says why, and every accepted site has the keys
	 * the rest of the program relies on. */
	if (cfg == NULL && evf_diags_errors(diags) == 0)
		abort();
	if (cfg != NULL &&
	    (cfg->url == NULL || !g_str_has_suffix(cfg->url, "/") ||
	     cfg->host == NULL || cfg->timezone == NULL ||
	     cfg->events_dir == NULL || cfg->output_dir == NULL ||
	     cfg->state_path == NULL || cfg->listen == NULL ||
	     cfg->sources == NULL))
		abort();
	for (guint i = 0; cfg != NULL && i < cfg->sources->len; i++) {
		const EvfSourceConfig *s = g_ptr_array_index(cfg->sources, i);

		if (s->name == NULL || s->url == NULL)
			abort();
	}
	return 0;
}
