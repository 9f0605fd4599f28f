/*
 * fuzz-import-feed.c: a partner's RSS 2.0, RSS 1.0/RDF or Atom document
 * through evf_import_feed: the encoding checks (BOM, UTF-16, declared
 * encodings), the DOCTYPE and entity policy, libxml2's reader with the
 * options the daemon uses, xml:base, dates, mod_event, the HTML of titles
 * and descriptions, and the caps. The base of relative links is the
 * feed's URL, as the daemon passes it.
 */
#include "autoconf.h"

#define EVF_FUZZ_IMPORT 1
#include "fuzz.h"

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

	imp = evf_import_feed((const char *)data, size,
	                      "https://partner.example/news/feed.xml", &error);
	if ((imp == NULL) == (error == NULL))
		abort();
	if (imp != NULL)
		evf_fuzz_check_import(imp);
	return 0;
}
