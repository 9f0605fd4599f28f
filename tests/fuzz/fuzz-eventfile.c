/*
 * fuzz-eventfile.c: an editor's event file, whole, through
 * evf_eventfile_parse: the front matter (libyaml and the key and date
 * rules), recurrence rules (evf_eventfile_check_rrule, libical), the
 * Markdown body and its HTML. The site's configuration is read once from a
 * small file, as the program reads it; "now" is fixed.
 */
#include "autoconf.h"

#include "fuzz.h"

#include "config.h"
#include "event.h"
#include "eventfile.h"
#include "util.h"

#include <glib/gstdio.h>

static EvfConfig *cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autofree char *dir = NULL;
	g_autofree char *path = NULL;

	evf_fuzz_setup();
	dir = g_dir_make_tmp("evfeed-fuzz-XXXXXX", &error);
	if (dir == NULL)
		g_error("cannot make a temporary folder: %s", error->message);
	path = g_build_filename(dir, "evfeed.conf", NULL);
	if (!g_file_set_contents(path,
	                         "[site]\n"
	                         "title=Fuzzed Events\n"
	                         "url=https://events.example.org/\n"
	                         "tag_date=2018\n"
	                         "timezone=Europe/Ljubljana\n"
	                         "language=en\n",
	                         -1, &error))
		g_error("cannot write '%s': %s", path, error->message);
	cfg = evf_config_load(path, diags);
	g_remove(path);
	g_rmdir(dir);
	if (cfg == NULL)
		g_error("the fixed configuration does not load");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) diags = NULL;
	g_autoptr(EvfEvent) ev = NULL;

	/* The program reads no larger file. */
	if (size > EVF_EVENTFILE_MAX_FILE)
		return 0;
	diags = evf_diags_new();
	ev = evf_eventfile_parse("events/fuzz.md", "fuzz", (const char *)data,
	                         size, cfg, EVF_FUZZ_NOW, diags);
	/* Every refusal says why. */
	if (ev == NULL && evf_diags_errors(diags) == 0)
		abort();
	return 0;
}
