/*
 * fuzz-import-ics.c: a partner's iCalendar document: the linear pre-check
 * (evf_import_ics_precheck) and, when it lets the bytes through, libical
 * and the importer (evf_import_ics_unsandboxed): unfolding, VTIMEZONEs and
 * TZIDs, recurrence expansion within its caps, every field's bounds. In
 * the daemon the parse runs in a child process under memory and CPU
 * limits; a fuzzer cannot cross that boundary, so here libFuzzer's own
 * limits (-rss_limit_mb, -timeout) stand in for them. Whatever passes the
 * pre-check must be parsed within them.
 */
#include "autoconf.h"

#define EVF_FUZZ_IMPORT 1
#include "fuzz.h"

#define BASE "https://partner.example/events/"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	evf_fuzz_setup();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = NULL;
	g_autofree char *why = NULL;

	why = evf_import_ics_precheck((const char *)data, size);
	if (why != NULL)
		return 0;
	imp = evf_import_ics_unsandboxed((const char *)data, size, BASE,
	                                 EVF_FUZZ_NOW, &error);
	if ((imp == NULL) == (error == NULL))
		abort();
	if (imp != NULL)
		evf_fuzz_check_import(imp);
	return 0;
}
