/*
 * replay.c: runs a harness without libFuzzer. Each argument is a file or a
 * folder of files (read in name order, hidden files left out); each file's
 * bytes go once through LLVMFuzzerTestOneInput, the same entry point the
 * fuzzer calls, and the result is printed as TAP ("ok N - path"). A crash,
 * a sanitizer report or an abort in the harness ends the run, and the TAP
 * driver reports the missing plan. An input that needs more than
 * CPU_LIMIT seconds of CPU (all threads) fails, as libFuzzer's -timeout
 * would report it, and ends the run with "Bail out!". Linked with one
 * fuzz-<target>.c as tests/fuzz/replay-<target>, it replays that target's
 * corpus under `make check`: without arguments it reads
 * $G_TEST_SRCDIR/fuzz/corpus/<target>, <target> taken from its own name,
 * so that it runs as `tests/fuzz/replay-<target> tests/fuzz/corpus/<target>`
 * from the source tree.
 */
#include "autoconf.h"

#include "fuzz.h"

#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define CPU_LIMIT 10 /* seconds, as the fuzzers' -timeout=10 */

static guint count;
static gboolean failed;
/* What the CPU timer writes when it fires: the failed test, and that the
 * run ends there (the input cannot be left safely half done). */
static char on_timeout[4096];
static gsize on_timeout_len;

static void
cpu_limit_reached(int sig)
{
	if (write(STDOUT_FILENO, on_timeout, on_timeout_len) < 0)
		_exit(2);
	_exit(1);
}

static void
cpu_timer(guint seconds)
{
	struct itimerval t = { { 0, 0 }, { seconds, 0 } };

	setitimer(ITIMER_PROF, &t, NULL);
}

static void
replay_file(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, &error)) {
		printf("not ok %u - %s # %s\n", ++count, path, error->message);
		failed = TRUE;
		return;
	}
	/* The fuzzer hands over exactly @len bytes: so does this, in a
	 * copy of that size, for the sanitizers to see any overread. */
	{
		g_autofree guint8 *copy = g_malloc(len > 0 ? len : 1);
		int n;

		memcpy(copy, data, len);
		n = g_snprintf(on_timeout, sizeof on_timeout,
		               "not ok %u - %s # more than %d s of CPU\n"
		               "Bail out! stopped at an input that spins\n",
		               count + 1, path, CPU_LIMIT);
		on_timeout_len = MIN((gsize)n, sizeof on_timeout - 1);
		cpu_timer(CPU_LIMIT);
		LLVMFuzzerTestOneInput(copy, len);
		cpu_timer(0);
	}
	printf("ok %u - %s\n", ++count, path);
	fflush(stdout);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
replay(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = NULL;
	const char *name;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		replay_file(path);
		return;
	}
	dir = g_dir_open(path, 0, &error);
	if (dir == NULL) {
		printf("not ok %u - %s # %s\n", ++count, path, error->message);
		failed = TRUE;
		return;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(dir)) != NULL)
		if (name[0] != '.')
			g_ptr_array_add(names,
			                g_build_filename(path, name, NULL));
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++)
		replay(g_ptr_array_index(names, i));
}

/* (transfer full) (nullable): the corpus of the harness called @argv0
 * ("…/replay-<target>") under $G_TEST_SRCDIR, or "tests" when unset. */
static char *
default_corpus(const char *argv0)
{
	g_autofree char *name = g_path_get_basename(argv0);
	const char *srcdir = g_getenv("G_TEST_SRCDIR");

	if (!g_str_has_prefix(name, "replay-") || name[7] == '\0')
		return NULL;
	return g_build_filename(srcdir != NULL ? srcdir : "tests", "fuzz",
	                        "corpus", name + 7, NULL);
}

int
main(int argc, char **argv)
{
	g_autofree char *corpus = NULL;

	if (argc < 2 && (corpus = default_corpus(argv[0])) == NULL) {
		fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	signal(SIGPROF, cpu_limit_reached);
	if (corpus != NULL)
		replay(corpus);
	for (int i = 1; i < argc; i++)
		replay(argv[i]);
	printf("1..%u\n", count);
	return failed ? 1 : 0;
}
