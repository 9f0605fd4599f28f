/*
 * util.c: the shared vocabulary (see util.h). Diagnostics are collected, not
 * printed as found, so that an editor sees every error of every file at once,
 * sorted like a compiler's.
 */
#include "autoconf.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <libical/ical.h>
#include <libpsl.h>
#include <libxml/parser.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(evf_error, evf_error)

gboolean
evf_throw(GError **error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (error != NULL)
		*error =
		    g_error_new_valist(EVF_ERROR, EVF_ERROR_FAILED, fmt, ap);
	va_end(ap);
	return FALSE;
}

static void
diag_free(gpointer p)
{
	EvfDiag *d = p;

	g_free(d->file);
	g_free(d->message);
	g_free(d);
}

GPtrArray *
evf_diags_new(void)
{
	return g_ptr_array_new_with_free_func(diag_free);
}

static void
diags_addv(GPtrArray *diags, gboolean warning, const char *file, guint line,
           guint col, const char *fmt, va_list ap)
{
	EvfDiag *d = g_new0(EvfDiag, 1);
	g_autofree char *raw = g_strdup_vprintf(fmt, ap);

	d->file = g_strdup(file);
	d->line = line;
	d->col = col;
	d->warning = warning;
	d->message = evf_log_escape(raw);
	g_ptr_array_add(diags, d);
}

void
evf_diags_add(GPtrArray *diags, const char *file, guint line, guint col,
              const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_addv(diags, FALSE, file, line, col, fmt, ap);
	va_end(ap);
}

void
evf_diags_warn(GPtrArray *diags, const char *file, guint line, guint col,
               const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_addv(diags, TRUE, file, line, col, fmt, ap);
	va_end(ap);
}

gint64
evf_diags_pass_at(GPtrArray *diags)
{
	gint64 at = 0;

	for (guint i = 0; i < diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(diags, i);

		if (d->warning)
			continue;
		if (d->passes_at <= 0)
			return 0;
		at = MAX(at, d->passes_at);
	}
	return at;
}

guint
evf_diags_errors(GPtrArray *diags)
{
	guint n = 0;

	for (guint i = 0; i < diags->len; i++) {
		const EvfDiag *d = g_ptr_array_index(diags, i);
		if (!d->warning)
			n++;
	}
	return n;
}

static gint
diag_cmp(gconstpointer a, gconstpointer b)
{
	const EvfDiag *x = *(EvfDiag *const *)a;
	const EvfDiag *y = *(EvfDiag *const *)b;
	int c = g_strcmp0(x->file, y->file);

	if (c != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return g_strcmp0(x->message, y->message);
}

static char *log_escape(const char *s, gboolean name);

char *
evf_diag_format(const EvfDiag *d)
{
	/* a file's name may hold a line feed or a terminal's escape, as its
	 * message may: one diagnostic, one line, nothing run */
	g_autofree char *file =
	    d->file != NULL ? log_escape(d->file, TRUE) : g_strdup("evfeed");
	GString *s = g_string_new(file);

	if (d->line > 0) {
		g_string_append_printf(s, ":%u", d->line);
		if (d->col > 0)
			g_string_append_printf(s, ":%u", d->col);
	}
	g_string_append_printf(s, ": %s: %s", d->warning ? "warning" : "error",
	                       d->message);
	return g_string_free(s, FALSE);
}

void
evf_diags_print(GPtrArray *diags, FILE *out)
{
	g_ptr_array_sort(diags, diag_cmp);
	for (guint i = 0; i < diags->len; i++) {
		g_autofree char *line =
		    evf_diag_format(g_ptr_array_index(diags, i));
		fprintf(out, "%s\n", line);
	}
	fflush(out);
}

static gboolean
uuid_parse(const char *text, guint8 out[16])
{
	guint n = 0;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '-')
			continue;
		if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]) ||
		    n == 16)
			return FALSE;
		out[n++] = (guint8)(g_ascii_xdigit_value(p[0]) << 4 |
		                    g_ascii_xdigit_value(p[1]));
		p++;
	}
	return n == 16;
}

char *
evf_uuid5(const char *namespace_uuid, const char *name)
{
	g_autoptr(GChecksum) sha1 = g_checksum_new(G_CHECKSUM_SHA1);
	guint8 ns[16], digest[20];
	gsize len = sizeof digest;

	if (!uuid_parse(namespace_uuid, ns))
		g_error("invalid namespace UUID '%s'", namespace_uuid);
	g_checksum_update(sha1, ns, sizeof ns);
	g_checksum_update(sha1, (const guchar *)name, strlen(name));
	g_checksum_get_digest(sha1, digest, &len);
	digest[6] = (digest[6] & 0x0f) | 0x50;
	digest[8] = (digest[8] & 0x3f) | 0x80;
	return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	                       "%02x%02x%02x%02x%02x%02x",
	                       digest[0], digest[1], digest[2], digest[3],
	                       digest[4], digest[5], digest[6], digest[7],
	                       digest[8], digest[9], digest[10], digest[11],
	                       digest[12], digest[13], digest[14], digest[15]);
}

/* The longest run of characters, from one ASCII character to the next,
 * that evf_text_nfc() normalises. */
#define NFC_RUN_MAX 1024

/* GLib 2.74's g_utf8_normalize moves the rest of the text for every pair
 * it composes, so a long run of accented letters costs the square of its
 * length (200 KiB of "č": 0.45 s). An ASCII character never composes with
 * what comes before it, so the text is normalised run by run, each run
 * from one ASCII character to the next, and a run longer than NFC_RUN_MAX
 * bytes (no word is) is left as it is. */
char *
evf_text_nfc(const char *text)
{
	GString *out;
	const char *p = text;

	g_return_val_if_fail(text != NULL, NULL);
	if (g_str_is_ascii(text))
		return g_strdup(text);
	out = g_string_sized_new(strlen(text));

	while (*p != '\0') {
		const char *q = p + 1;

		while (*q != '\0' && ((guchar)*q & 0x80) != 0)
			q++;
		if (q - p == 1 || q - p > NFC_RUN_MAX) {
			g_string_append_len(out, p, q - p);
		} else {
			g_autofree char *run =
			    g_utf8_normalize(p, q - p, G_NORMALIZE_NFC);

			if (run != NULL)
				g_string_append(out, run);
			else
				g_string_append_len(out, p, q - p);
		}
		p = q;
	}
	return g_string_free(out, FALSE);
}

gboolean
evf_unichar_invisible(gunichar ch)
{
	return ch >= 0x80 && (g_unichar_isspace(ch) ||
	                      g_unichar_type(ch) == G_UNICODE_FORMAT);
}

gunichar
evf_text_first_invisible(const char *s)
{
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p))
		if (evf_unichar_invisible(g_utf8_get_char(p)))
			return g_utf8_get_char(p);
	return 0;
}

char *
evf_invisible_advice(gunichar ch)
{
	return g_unichar_isspace(ch)
	           ? g_strdup_printf("it holds a no-break or other space "
	                             "(U+%04X), which looks like an ordinary "
	                             "one: type a space, or delete it",
	                             ch)
	           : g_strdup_printf("it holds an invisible character "
	                             "(U+%04X): delete it",
	                             ch);
}

/* Whether @ch shows as nothing in a name, or as a space: what
 * evf_unichar_invisible() says, and the other characters that Unicode
 * lets a renderer ignore (Default_Ignorable_Code_Point) and are not
 * format characters: variation selectors (U+FE0F), the combining grapheme
 * joiner (U+034F), Mongolian and Khmer ones, Hangul fillers. */
static gboolean
name_ignorable(gunichar ch)
{
	return evf_unichar_invisible(ch) || (ch >= 0xFE00 && ch <= 0xFE0F) ||
	       (ch >= 0xE0100 && ch <= 0xE01EF) || ch == 0x034F ||
	       (ch >= 0x180B && ch <= 0x180F) || ch == 0x17B4 || ch == 0x17B5 ||
	       ch == 0x115F || ch == 0x1160 || ch == 0x3164 || ch == 0xFFA0;
}

/* (transfer full) (nullable): valid UTF-8 @s without the characters that
 * show as nothing (name_ignorable), its other spaces ' '; NULL when it
 * has none of either, as most names have not. */
static char *
name_seen(const char *s)
{
	GString *seen = NULL;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch =
		    (guchar)*p < 0x80 ? (gunichar)*p : g_utf8_get_char(p);

		if (ch < 0x80 || !name_ignorable(ch)) {
			if (seen != NULL)
				g_string_append_len(seen, p,
				                    g_utf8_next_char(p) - p);
			continue;
		}
		if (seen == NULL)
			seen = g_string_new_len(s, p - s);
		if (g_unichar_isspace(ch))
			g_string_append_c(seen, ' ');
	}
	return seen != NULL ? g_string_free(seen, FALSE) : NULL;
}

gboolean
evf_name_shows_all(const char *s)
{
	g_autofree char *seen = name_seen(s);

	return seen == NULL;
}

gboolean
evf_name_better(const char *had, const char *name)
{
	/* (most often the same spelling again: not scanned) */
	return strcmp(had, name) != 0 && !evf_name_shows_all(had) &&
	       evf_name_shows_all(name);
}

/* Longer names than this (bytes) are compared in NFC, not NFKC: GLib
 * normalises a long run of combining marks in time of the square of its
 * length, which evf_text_nfc() keeps linear. */
#define NAME_LOOK_NFKC_MAX 1024

char *
evf_name_look(const char *s)
{
	g_autofree char *seen = name_seen(s);
	const char *text = seen != NULL ? seen : s;
	g_autofree char *compat =
	    strlen(text) <= NAME_LOOK_NFKC_MAX
	        ? g_utf8_normalize(text, -1, G_NORMALIZE_ALL_COMPOSE)
	        : evf_text_nfc(text);

	return g_utf8_casefold(compat != NULL ? compat : text, -1);
}

/* (transfer full): ": @who holds an invisible character (U+00AD): delete
 * it", of @ch (evf_invisible_advice). */
static char *
unseen_told(const char *who, gunichar ch)
{
	g_autofree char *advice = evf_invisible_advice(ch);

	/* "it holds …" */
	return g_strconcat(": ", who, advice + strlen("it"), NULL);
}

/* (transfer full) (nullable): what @s has that @other has not and that
 * tells them apart where they look alike: a character that shows as
 * nothing, or as a space, in words; else one that is another's
 * compatibility form; NULL when neither. @who is "it" or "the other". */
static char *
name_has(const char *s, const char *other, const char *who)
{
	g_autofree char *other_folded = NULL;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		if (ch >= 0x80 && name_ignorable(ch) &&
		    g_utf8_strchr(other, -1, ch) == NULL)
			return unseen_told(who, ch);
	}
	other_folded = g_utf8_casefold(other, -1);
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);
		int n = (int)(g_utf8_next_char(p) - p);
		g_autofree char *compat =
		    ch >= 0x80 ? g_utf8_normalize(p, n, G_NORMALIZE_ALL_COMPOSE)
		               : NULL;
		g_autofree char *folded =
		    compat != NULL ? g_utf8_casefold(p, n) : NULL;

		/* (one the other has in another case is no difference:
		 * "ⅱ", "Ⅱ") */
		if (compat != NULL && strncmp(compat, p, n) != 0 &&
		    strstr(other_folded, folded) == NULL)
			return g_strdup_printf(": %s has '%.*s' (U+%04X), a "
			                       "form of '%s'",
			                       who, n, p, ch, compat);
	}
	return NULL;
}

/* Whether @a and @b have one form under @key. */
static gboolean
same_key(char *(*key)(const char *), const char *a, const char *b)
{
	g_autofree char *ka = key(a);
	g_autofree char *kb = key(b);

	return strcmp(ka, kb) == 0;
}

gboolean
evf_names_look_alike(const char *a, const char *b)
{
	return same_key(evf_name_look, a, b);
}

/* (transfer full) (nullable): where the NFC names @a and @b first differ
 * but for case, the character that shows as nothing, or as a space, in
 * either ("Rule of law" with one no-break space or two: each has one);
 * NULL when it is none. */
static char *
name_first_unseen(const char *a, const char *b)
{
	const char *p = a, *q = b;
	gunichar ca, cb;

	while (*p != '\0' && *q != '\0' &&
	       g_unichar_tolower(g_utf8_get_char(p)) ==
	           g_unichar_tolower(g_utf8_get_char(q))) {
		p = g_utf8_next_char(p);
		q = g_utf8_next_char(q);
	}
	ca = g_utf8_get_char(p);
	cb = g_utf8_get_char(q);
	if (ca >= 0x80 && name_ignorable(ca))
		return unseen_told("it", ca);
	if (cb >= 0x80 && name_ignorable(cb))
		return unseen_told("the other", cb);
	return NULL;
}

char *
evf_name_told(const char *name, const char *other)
{
	g_autofree char *a = evf_text_nfc(name);
	g_autofree char *b = evf_text_nfc(other);
	char *told;

	if (!evf_names_look_alike(a, b))
		return g_strdup("");
	told = name_has(a, b, "it");
	if (told == NULL)
		told = name_has(b, a, "the other");
	if (told == NULL)
		told = name_first_unseen(a, b);
	return told != NULL ? told : g_strdup("");
}

/* (transfer full): @s in NFC, case-folded: the same for one name in any
 * case and composition. */
static char *
name_key(const char *s)
{
	g_autofree char *normal = evf_text_nfc(s);

	return g_utf8_casefold(normal, -1);
}

gboolean
evf_same_name(const char *a, const char *b)
{
	return same_key(name_key, a, b);
}

/* (transfer full): the digest that tells slugs apart: of @text in NFC and
 * case-folded, as the ASCII part of a slug is lower case, so that what
 * reads the same (Αστυνομία, αστυνομία; é composed or not) has one. */
static char *
slug_digest(const char *text)
{
	g_autofree char *normal = NULL;
	g_autofree char *folded = NULL;

	if (!g_utf8_validate(text, -1, NULL))
		return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text,
		                                     -1);
	normal = evf_text_nfc(text);
	folded = g_utf8_casefold(normal, -1);
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, folded, -1);
}

/* Latin letters that GLib's transliteration (g_str_to_ascii) has no ASCII
 * form for, as they have no decomposition, and the letters they are
 * written with in ASCII: Croatian and Serbian đ, Turkish ı, Maltese ħ,
 * Icelandic þ and ð, Sami ŧ and ŋ. */
static const struct {
	gunichar c;
	const char *ascii;
} latin_extra[] = {
	{ 0x00D0, "D" },  { 0x00DE, "Th" }, { 0x00F0, "d" }, { 0x00FE, "th" },
	{ 0x0110, "D" },  { 0x0111, "d" },  { 0x0126, "H" }, { 0x0127, "h" },
	{ 0x0131, "i" },  { 0x0138, "k" },  { 0x013F, "L" }, { 0x0140, "l" },
	{ 0x014A, "Ng" }, { 0x014B, "ng" }, { 0x0166, "T" }, { 0x0167, "t" },
};

/* (transfer full): @text with the letters of latin_extra in ASCII. */
static char *
latin_extra_to_ascii(const char *text)
{
	GString *out = NULL;

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		const char *ascii = NULL;

		for (guint i = 0; c >= 0xD0 && i < G_N_ELEMENTS(latin_extra);
		     i++)
			if (latin_extra[i].c == c)
				ascii = latin_extra[i].ascii;
		if (ascii != NULL && out == NULL)
			out = g_string_new_len(text, p - text);
		if (out != NULL) {
			if (ascii != NULL)
				g_string_append(out, ascii);
			else
				g_string_append_unichar(out, c);
		}
	}
	return out != NULL ? g_string_free(out, FALSE) : g_strdup(text);
}

/* Whether a letter or digit of @text has no ASCII form: a slug made of
 * the rest would give "Форум 2018" and "Конгресс 2018" one name. */
static gboolean
loses_letters(const char *text)
{
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		char one[8] = { 0 };
		g_autofree char *ascii = NULL;

		if (c < 0x80 || !g_unichar_isalnum(c))
			continue;
		g_unichar_to_utf8(c, one);
		ascii = g_str_to_ascii(one, "C");
		if (strchr(ascii, '?') != NULL)
			return TRUE;
	}
	return FALSE;
}

char *
evf_slugify(const char *text)
{
	gboolean utf8 = g_utf8_validate(text, -1, NULL);
	/* a name that is not UTF-8 (Latin-1 from an old archive): its bytes
	 * that are not are no letters (g_str_to_ascii would read past the
	 * end of a cut sequence), and its digest, of the bytes, tells it
	 * from another that differs only there */
	g_autofree char *valid = utf8 ? NULL : g_utf8_make_valid(text, -1);
	g_autofree char *latin = latin_extra_to_ascii(utf8 ? text : valid);
	g_autofree char *ascii = g_str_to_ascii(latin, "C");
	GString *s = g_string_new(NULL);
	gboolean dash = FALSE;

	for (const char *p = ascii; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p)) {
			if (dash && s->len > 0)
				g_string_append_c(s, '-');
			g_string_append_c(s, g_ascii_tolower(*p));
			dash = FALSE;
		} else {
			dash = TRUE;
		}
	}
	if (s->len == 0) {
		/* Nothing transliterates (Cyrillic, Greek, CJK…): a stable
		 * name from the text's digest, so that two such texts do not
		 * share one address. */
		g_autofree char *hex = slug_digest(text);

		g_string_append_printf(s, "x-%.10s", hex);
	} else if (s->len <= EVF_SLUG_MAX &&
	           (!utf8 ||
	            (strchr(ascii, '?') != NULL && loses_letters(latin)))) {
		/* Some letters have no ASCII form (a Cyrillic word beside a
		 * year), or some bytes are none: the rest, told apart by the
		 * text's digest. */
		g_autofree char *hex = slug_digest(text);

		g_string_truncate(s, MIN(s->len, EVF_SLUG_MAX - 11));
		while (s->len > 0 && s->str[s->len - 1] == '-')
			g_string_truncate(s, s->len - 1);
		g_string_append_printf(s, "-%.10s", hex);
	} else if (s->len > EVF_SLUG_MAX) {
		/* A file or folder name has 255 bytes at most, and a
		 * temporary one 23 more than events/<slug>.ics: a long text
		 * keeps its beginning, told apart by its digest. */
		g_autofree char *hex = slug_digest(text);

		g_string_truncate(s, EVF_SLUG_MAX - 11);
		while (s->len > 0 && s->str[s->len - 1] == '-')
			g_string_truncate(s, s->len - 1);
		g_string_append_printf(s, "-%.10s", hex);
	}
	return g_string_free(s, FALSE);
}

char *
evf_slugify_name(const char *name)
{
	/* what shows as nothing is not there, and other spaces are spaces:
	 * a soft hyphen in a word made "crimi-nal", and a no-break space
	 * another digest, for names that read the same (evf_name_look) */
	g_autofree char *seen =
	    g_utf8_validate(name, -1, NULL) ? name_seen(name) : NULL;

	return evf_slugify(seen != NULL ? seen : name);
}

typedef struct {
	GPtrArray *items;
	GFunc func;
	gpointer data;
	gint next; /* the next item to take, atomically */
} Spread;

static void
spread_run(gpointer task, gpointer unused)
{
	Spread *s = task;
	gint i;

	while ((i = g_atomic_int_add(&s->next, 1)) < (gint)s->items->len)
		s->func(g_ptr_array_index(s->items, i), s->data);
}

/* What the libraries share between threads and set up, without a lock,
 * on first use: done once, before any helper starts. */
static void
shared_setup(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		cmark_gfm_core_extensions_ensure_registered();
		xmlInitParser();
		(void)icaltimezone_get_utc_timezone();
		g_once_init_leave(&once, 1);
	}
}

void
evf_parallel_for(GPtrArray *items, GFunc func, gpointer data)
{
	guint helpers = MAX(1u, g_get_num_processors()) - 1;
	Spread s = { items, func, data, 0 };
	GThreadPool *pool = NULL;

	if (helpers > 0 && items->len > 1) {
		shared_setup();
		pool = g_thread_pool_new(spread_run, NULL, (gint)helpers, FALSE,
		                         NULL);
		for (guint i = 0; i < helpers; i++)
			g_thread_pool_push(pool, &s, NULL);
	}
	spread_run(&s, NULL);
	/* Every item is taken by now: a helper that never started would
	 * find nothing, and the others are waited for. */
	if (pool != NULL)
		g_thread_pool_free(pool, TRUE, TRUE);
}

GRegex *
evf_regex_once(GRegex **slot, const char *pattern, GRegexCompileFlags flags)
{
	if (g_once_init_enter(slot)) {
		GRegex *re = g_regex_new(pattern, flags, 0, NULL);

		g_assert(re != NULL);
		g_once_init_leave(slot, re);
	}
	return *slot;
}

gboolean
evf_uri_host_valid(const char *host)
{
	if (g_hostname_is_ip_address(host))
		return TRUE;
	if (host[0] == '\0' || !g_utf8_validate(host, -1, NULL))
		return FALSE;
	for (const char *p = host; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x80
		        ? !g_ascii_isalnum((char)c) && !strchr("-._", (char)c)
		        : !g_unichar_isalnum(c) && !g_unichar_ismark(c))
			return FALSE;
	}
	return TRUE;
}

gboolean
evf_url_bare_host(const char *url)
{
	/* (the built-in list: the parser's sandbox opens no file) */
	const psl_ctx_t *psl = psl_builtin();
	gsize n = strcspn(url, "/?#");
	g_autofree char *host = g_utf8_strdown(url, (gssize)n);
	g_auto(GStrv) labels = g_strsplit(host, ".", -1);
	const char *dot = strrchr(host, '.');

	/* a path after it: "viewEvent.do?id=12", "calendar.pl" and
	 * "README.md" are files' names under public suffixes (.do, .pl,
	 * .md) */
	if (psl == NULL || url[n] != '/' || dot == NULL ||
	    !evf_uri_host_valid(host) || g_hostname_is_ip_address(host))
		return FALSE;
	/* each label as DNS has them */
	for (guint i = 0; labels[i] != NULL; i++)
		if (labels[i][0] == '\0' || labels[i][0] == '-' ||
		    g_str_has_suffix(labels[i], "-") || strlen(labels[i]) > 63)
			return FALSE;
	return psl_is_public_suffix2(psl, dot + 1,
	                             PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) &&
	       psl_registrable_domain(psl, host) != NULL;
}

char *
evf_listen_unbracketed(const char *value)
{
	const char *colon = strrchr(value, ':');
	const char *port = colon != NULL ? colon + 1 : NULL;
	g_autofree char *addr = NULL;
	struct in6_addr in6;

	if (value[0] == '[' || colon == NULL || colon == strchr(value, ':') ||
	    port[0] == '\0' || strspn(port, "0123456789") != strlen(port))
		return NULL;
	addr = g_strndup(value, (gsize)(colon - value));
	if (inet_pton(AF_INET6, addr, &in6) != 1)
		return NULL;
	return g_strdup_printf("an IPv6 address goes in brackets, before its "
	                       "port: '[%s]:%s' (without them '%s' is read "
	                       "whole, as an address on port 8080)",
	                       addr, port, value);
}

char *
evf_dangling_link(const char *path, gboolean *loop)
{
	g_autofree char *at = g_strdup(path);

	*loop = FALSE;
	if (!g_file_test(path, G_FILE_TEST_IS_SYMLINK) ||
	    g_file_test(path, G_FILE_TEST_EXISTS))
		return NULL;
	/* to the end of a chain of links (as the kernel, 40 at most) */
	for (int hops = 0; hops < 40; hops++) {
		g_autofree char *to = g_file_read_link(at, NULL);
		g_autofree char *dir = NULL;

		if (to == NULL) /* no link: the name that is not there */
			return g_steal_pointer(&at);
		dir = g_path_get_dirname(at);
		g_free(at);
		at = g_path_is_absolute(to) ? g_steal_pointer(&to)
		                            : g_build_filename(dir, to, NULL);
	}
	*loop = TRUE;
	return g_strdup(path);
}

char *
evf_path_blocked(const char *path, char **to, gboolean *loop)
{
	g_autoptr(GPtrArray) up = g_ptr_array_new_with_free_func(g_free);
	char *at = g_strdup(path);

	*to = NULL;
	*loop = FALSE;
	/* @path and its folders, up to the root (or the current folder) */
	for (;;) {
		char *dir = g_path_get_dirname(at);

		g_ptr_array_add(up, at);
		if (strcmp(dir, at) == 0 || strcmp(dir, ".") == 0) {
			g_free(dir);
			break;
		}
		at = dir;
	}
	for (guint i = up->len; i > 0; i--) {
		const char *a = g_ptr_array_index(up, i - 1);

		if ((*to = evf_dangling_link(a, loop)) != NULL)
			return g_strdup(a);
		if (!g_file_test(a, G_FILE_TEST_EXISTS))
			return NULL; /* (made with the rest) */
		if (!g_file_test(a, G_FILE_TEST_IS_DIR))
			return g_strdup(a);
	}
	return NULL;
}

gboolean
evf_unichar_is_noncharacter(gunichar c)
{
	return (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

gboolean
evf_text_has_noncharacter(const char *text, gunichar *found)
{
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (evf_unichar_is_noncharacter(c)) {
			if (found != NULL)
				*found = c;
			return TRUE;
		}
	}
	return FALSE;
}

char *
evf_charset_key(const char *label)
{
	GString *n = g_string_new(NULL);

	for (const char *p = label; *p != '\0'; p++)
		if (g_ascii_isalnum(*p))
			g_string_append_c(n, g_ascii_tolower(*p));
	return g_string_free(n, FALSE);
}

gboolean
evf_charset_is_windows1252(const char *label)
{
	static const char *const labels[] = {
		"ansix341968",  "ascii",   "cp1252",   "cp819",
		"csisolatin1",  "ibm819",  "iso88591", "isoir100",
		"iso885911987", "l1",      "latin1",   "usascii",
		"windows1252",  "xcp1252",
	};
	g_autofree char *n = evf_charset_key(label);

	for (gsize i = 0; i < G_N_ELEMENTS(labels); i++)
		if (strcmp(n, labels[i]) == 0)
			return TRUE;
	return FALSE;
}

char *
evf_charset_to_utf8(const char *data, gsize len, const char *label,
                    gsize *out_len)
{
	g_autofree char *kept = NULL;
	gsize k = 0;

	*out_len = 0;
	if (!evf_charset_is_windows1252(label))
		return g_convert(data, (gssize)len, "UTF-8", label, NULL,
		                 out_len, NULL);
	/* 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no character in
	 * Windows-1252 (iconv stops at them); as C1 controls they would
	 * go from the text anyway */
	kept = g_malloc(len + 1);
	for (gsize i = 0; i < len; i++) {
		guchar b = (guchar)data[i];

		if (b != 0x81 && b != 0x8d && b != 0x8f && b != 0x90 &&
		    b != 0x9d)
			kept[k++] = data[i];
	}
	return g_convert(kept, (gssize)k, "UTF-8", "WINDOWS-1252", NULL,
	                 out_len, NULL);
}

/* Whether the @n bytes of @text are valid UTF-8 that evf_text_sanitize
 * would keep as they are: no NUL, CR, other C0 or C1 control, DEL or
 * noncharacter. Most text is, and is then only copied. */
static gboolean
text_clean(const char *text, gsize n)
{
	const guchar *p = (const guchar *)text;
	gboolean ascii = TRUE;

	for (gsize i = 0; i < n; i++) {
		guchar c = p[i];

		if (c >= 0x20 && c < 0x7f)
			continue;
		ascii &= c < 0x80;
		if (c < 0x20 && c != '\t' && c != '\n')
			return FALSE;
		if (c == 0x7f)
			return FALSE;
		/* C1: U+0080-U+009F, C2 80-C2 9F */
		if (c == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return FALSE;
		/* U+FFFE, U+FFFF: EF BF BE, EF BF BF; U+FDD0-U+FDEF:
		 * EF B7 90-EF B7 AF */
		if (c == 0xef && i + 2 < n &&
		    ((p[i + 1] == 0xbf && (p[i + 2] & 0xfe) == 0xbe) ||
		     (p[i + 1] == 0xb7 && p[i + 2] >= 0x90 &&
		      p[i + 2] <= 0xaf)))
			return FALSE;
		/* U+1FFFE-U+10FFFF, the last two of each plane: F0-F4,
		 * then a byte ending in 1111, BF, BE or BF */
		if (c >= 0xf0 && i + 3 < n && (p[i + 1] & 0x0f) == 0x0f &&
		    p[i + 2] == 0xbf && (p[i + 3] & 0xfe) == 0xbe)
			return FALSE;
	}
	/* (ASCII without NUL is valid UTF-8 as it is) */
	return ascii || g_utf8_validate_len(text, n, NULL);
}

gunichar
evf_windows1252_c1(gunichar c)
{
	/* 0x80 to 0x9F; 0 where windows-1252 has no character */
	static const gunichar c1[32] = {
		0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
		0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
	};

	if (c >= 0x80 && c <= 0x9F && c1[c - 0x80] != 0)
		return c1[c - 0x80];
	return c;
}

char *
evf_text_windows1252_c1(const char *text)
{
	GString *s;

	/* (U+0080 to U+009F are 0xC2 0x80 to 0xC2 0x9F) */
	if (strstr(text, "\xc2") == NULL)
		return g_strdup(text);
	s = g_string_sized_new(strlen(text));
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
		g_string_append_unichar(s,
		                        evf_windows1252_c1(g_utf8_get_char(p)));
	return g_string_free(s, FALSE);
}

gboolean
evf_looks_utf16(const char *data, gsize len)
{
	const guchar *b = (const guchar *)data;

	return len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) ||
	                    (b[0] == 0xfe && b[1] == 0xff) ||
	                    (b[0] != 0 && b[0] < 0x80 && b[1] == 0) ||
	                    (b[0] == 0 && b[1] != 0 && b[1] < 0x80));
}

char *
evf_text_sanitize(const char *text, gssize len)
{
	g_autofree char *valid = NULL;
	GString *s;

	if (text == NULL)
		return NULL;
	{
		gsize n = len < 0 ? strlen(text) : (gsize)len;

		if (text_clean(text, n))
			return g_strndup(text, n);
	}
	{
		/* NUL is a C0 control like the others: drop it before
		 * g_utf8_make_valid, which would make it U+FFFD. */
		gsize n = len < 0 ? strlen(text) : (gsize)len;
		g_autofree char *no_nul = g_malloc(n + 1);
		gsize k = 0;

		for (gsize i = 0; i < n; i++)
			if (text[i] != '\0')
				no_nul[k++] = text[i];
		valid = g_utf8_make_valid(no_nul, (gssize)k);
	}
	s = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '\r') {
			if (p[1] != '\n')
				g_string_append_c(s, '\n');
			continue;
		}
		/* Controls that separate words or lines do so still, as a
		 * space or a line feed, rather than join what they part. */
		if (c == '\v' || c == '\f') {
			g_string_append_c(s, ' ');
			continue;
		}
		if (c == 0x85) {
			g_string_append_c(s, '\n');
			continue;
		}
		/* C1 controls go too: nobody types them, and write-ics.c
		 * relies on U+0080 and U+0081 never being in a text. */
		if ((c < 0x20 && c != '\t' && c != '\n') ||
		    (c >= 0x7f && c <= 0x9f) || evf_unichar_is_noncharacter(c))
			continue;
		g_string_append_len(s, p, g_utf8_next_char(p) - p);
	}
	return g_string_free(s, FALSE);
}

char *
evf_text_replacement_as_question(const char *text)
{
	g_auto(GStrv) parts = NULL;

	if (text == NULL || strstr(text, "\xef\xbf\xbd") == NULL)
		return NULL;
	parts = g_strsplit(text, "\xef\xbf\xbd", -1);
	return g_strjoinv("?", parts);
}

/* Whether the @len bytes at @text have a character from U+00C2 to
 * U+00F4: what a UTF-8 lead byte becomes when read as Latin-1 or
 * Windows-1252. */
static gboolean
has_lead(const char *text, gsize len)
{
	const char *end = text + len;

	for (const char *p = memchr(text, 0xc3, len); p != NULL && p + 1 < end;
	     p = memchr(p + 1, 0xc3, end - p - 1))
		if ((guchar)p[1] >= 0x82 && (guchar)p[1] <= 0xb4)
			return TRUE;
	return FALSE;
}

/* The byte that Windows-1252 (iconv's WINDOWS-1252) writes @c as, and
 * for U+0080 to U+00FF Latin-1's; -1 when it has none. */
static int
single_byte(gunichar c)
{
	char utf8[6];
	g_autofree char *b = NULL;
	gsize n = 0;

	if (c <= 0xff)
		return (int)c;
	/* Windows-1252's other characters lie between Œ and ™ */
	if (c < 0x152 || c > 0x2122)
		return -1;
	b = g_convert(utf8, g_unichar_to_utf8(c, utf8), "WINDOWS-1252", "UTF-8",
	              NULL, &n, NULL);
	return b != NULL && n == 1 ? (guchar)b[0] : -1;
}

/* Whether @m, a character of @len UTF-8 bytes, is one that text encoded
 * twice is made of, rather than one that real text read the same way
 * would make ("CAFÉ…" would make U+0245): the letters of the Latin,
 * Greek, Cyrillic, Hebrew and Arabic alphabets that the region writes,
 * punctuation, currency, arrows, symbols and emoji. */
static gboolean
mends_to(gunichar m, gsize len)
{
	if (len == 2)
		return (m >= 0xa0 && m <= 0xff) ||
		       (g_unichar_isalpha(m) && ((m >= 0x100 && m <= 0x17f) ||
		                                 (m >= 0x218 && m <= 0x21b) ||
		                                 (m >= 0x386 && m <= 0x3ce) ||
		                                 (m >= 0x400 && m <= 0x4ff) ||
		                                 (m >= 0x5d0 && m <= 0x5ea) ||
		                                 (m >= 0x621 && m <= 0x64a)));
	if (len == 3)
		return (m >= 0x2010 && m <= 0x205e) ||
		       (m >= 0x20a0 && m <= 0x20c0) ||
		       (m >= 0x2100 && m <= 0x21ff) ||
		       (m >= 0x2600 && m <= 0x27bf);
	return m >= 0x1f300 && m <= 0x1faff;
}

/* (transfer full) (nullable): the word @word (@len bytes, no white
 * space) as the UTF-8 it was before it was read as Windows-1252 or
 * Latin-1, when every character of it is one byte there, those bytes
 * are UTF-8, and each character they make is one mends_to() accepts;
 * NULL otherwise. A word that holds a real curly quote or accented
 * letter beside its letters is no such UTF-8 ("“IRMÃ”"). */
static char *
word_unread(const char *word, gsize len)
{
	g_autoptr(GString) bytes = g_string_sized_new(len);
	gboolean multi = FALSE;

	for (const char *p = word; p < word + len; p = g_utf8_next_char(p)) {
		int b = single_byte(g_utf8_get_char(p));

		if (b < 0)
			return NULL;
		g_string_append_c(bytes, (char)b);
	}
	if (!g_utf8_validate_len(bytes->str, bytes->len, NULL))
		return NULL;
	for (const char *p = bytes->str; *p != '\0'; p = g_utf8_next_char(p)) {
		gsize n = g_utf8_next_char(p) - p;

		if (n == 1)
			continue;
		if (!mends_to(g_utf8_get_char(p), n))
			return NULL;
		multi = TRUE;
	}
	return multi ? g_string_free(g_steal_pointer(&bytes), FALSE) : NULL;
}

/* Where the characters at @p (before @end) that begin with "â" or "ð"
 * end when they are the punctuation, symbol or emoji that a UTF-8
 * character of three or four bytes becomes when read as Windows-1252
 * ("â€™" for "’"), with that character in *@m; NULL when they are not.
 * Real text has no such "â" or "ð", and they are put back wherever they
 * are. "â€" ends "”", whose last byte Windows-1252 has no character for. */
static const char *
unread_one(const char *p, const char *end, gunichar *m)
{
	gunichar c = g_utf8_get_char(p);
	gsize len = c == 0xe2 ? 3 : c == 0xf0 ? 4 : 0;
	char bytes[4];
	const char *q = g_utf8_next_char(p);

	if (len == 0)
		return NULL;
	bytes[0] = (char)c;
	for (gsize i = 1; i < len; i++) {
		int b = q < end ? single_byte(g_utf8_get_char(q)) : -1;

		if (b < 0x80 || b > 0xbf) {
			if (len == 3 && i == 2 && (guchar)bytes[1] == 0x80) {
				*m = 0x201d;
				return q;
			}
			return NULL;
		}
		bytes[i] = (char)b;
		q = g_utf8_next_char(q);
	}
	*m = g_utf8_get_char_validated(bytes, (gssize)len);
	return *m < 0x110000 && mends_to(*m, len) ? q : NULL;
}

/* One round of evf_text_mend() over @p into @out; whether it mended. */
static gboolean
mend_round(const char *p, GString *out)
{
	gboolean mended = FALSE;

	while (*p != '\0') {
		gsize n = strcspn(p, " \t\n\r");
		char *word = has_lead(p, n) ? word_unread(p, n) : NULL;

		if (word != NULL) {
			g_string_append(out, word);
			g_free(word);
			mended = TRUE;
			p += n;
		}
		while (n > 0 && word == NULL) {
			gunichar c = g_utf8_get_char(p);
			const char *q = g_utf8_next_char(p);
			gunichar k = q < p + n ? g_utf8_get_char(q) : 0;
			gunichar m = ((c & 0x1f) << 6) | (k & 0x3f);

			/* "CafÃ©" beside a real "’": U+00C2 or U+00C3
			 * and a character from U+0080 to U+00BF, never a
			 * C1 control (text has none: evf_text_sanitize);
			 * and "â€™" or "ðŸŽ‰" anywhere */
			const char *r;

			if ((c == 0xc2 || c == 0xc3) && k >= 0x80 &&
			    k <= 0xbf && m > 0x9f) {
				g_string_append_unichar(out, m);
				q = g_utf8_next_char(q);
				mended = TRUE;
			} else if ((r = unread_one(p, p + n, &m)) != NULL) {
				g_string_append_unichar(out, m);
				q = r;
				mended = TRUE;
			} else {
				g_string_append_len(out, p, q - p);
			}
			n -= q - p;
			p = q;
		}
		n = strspn(p, " \t\n\r");
		g_string_append_len(out, p, n);
		p += n;
	}
	return mended;
}

char *
evf_text_mend(const char *text)
{
	g_autoptr(GString) s = NULL;

	g_return_val_if_fail(text != NULL, NULL);
	/* most text has no U+00C2 to U+00F4, and is left at once */
	if (!has_lead(text, strlen(text)))
		return NULL;
	/* encoded twice, twice: again, a few times at most */
	for (int round = 0; round < 4; round++) {
		GString *out = g_string_sized_new(strlen(text));
		gboolean mended = mend_round(s != NULL ? s->str : text, out);

		if (s != NULL)
			g_string_free(s, TRUE);
		s = out;
		if (!mended || !has_lead(s->str, s->len))
			break;
	}
	if (strcmp(s->str, text) == 0)
		return NULL;
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* (transfer full): @text (UTF-8) with its bidirectional formatting
 * characters balanced, as Unicode's bidi algorithm pairs them (UAX #9
 * §3.3.2): a PDF or PDI that closes nothing goes, and every embedding,
 * override or isolate left open is closed at the end. A title that opens
 * a right-to-left override and never closes it would otherwise turn the
 * text that follows it where it is shown (a date, a place, a link). */
static char *
bidi_balanced(const char *text)
{
	GString *out = g_string_sized_new(strlen(text) + 8);
	/* what is open, innermost last: 'E' an embedding or override,
	 * 'I' an isolate */
	GString *open = g_string_new(NULL);

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if ((c >= 0x202a && c <= 0x202e && c != 0x202c) ||
		    (c >= 0x2066 && c <= 0x2068)) {
			g_string_append_c(open, c < 0x2066 ? 'E' : 'I');
		} else if (c == 0x202c) {
			/* a PDF closes an embedding opened inside the
			 * innermost isolate, if any */
			if (open->len == 0 || open->str[open->len - 1] != 'E')
				continue;
			g_string_truncate(open, open->len - 1);
		} else if (c == 0x2069) {
			/* a PDI closes the innermost isolate and whatever
			 * embeddings are open inside it */
			const char *isolate = strrchr(open->str, 'I');

			if (isolate == NULL)
				continue;
			g_string_truncate(open, isolate - open->str);
		}
		g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	for (gsize i = open->len; i > 0; i--)
		g_string_append_unichar(out, open->str[i - 1] == 'E' ? 0x202c
		                                                     : 0x2069);
	g_string_free(open, TRUE);
	return g_string_free(out, FALSE);
}

/* Whether @text holds any of the bidirectional formatting characters
 * U+202A-U+202E, U+2066-U+2069. */
static gboolean
has_bidi_controls(const char *text)
{
	for (const char *p = text; (p = strchr(p, '\xe2')) != NULL; p++)
		if ((p[1] == '\x80' && (guchar)p[2] >= 0xaa &&
		     (guchar)p[2] <= 0xae) ||
		    (p[1] == '\x81' && (guchar)p[2] >= 0xa6 &&
		     (guchar)p[2] <= 0xa9))
			return TRUE;
	return FALSE;
}

/* (transfer full): @s, freed, balanced (bidi_balanced) if need be. */
static char *
balance(char *s)
{
	char *balanced;

	if (!has_bidi_controls(s))
		return s;
	balanced = bidi_balanced(s);
	g_free(s);
	return balanced;
}

/* Whether @ch shows as nothing, or as a space: white space of any kind
 * (U+00A0, U+3000) and the zero-width space and no-break (U+200B,
 * U+FEFF). */
static gboolean
blank(gunichar ch)
{
	return g_unichar_isspace(ch) || ch == 0x200B || ch == 0xFEFF;
}

char *
evf_text_trim_blank(char *s)
{
	const char *p = s;
	gsize len, keep = 0;

	while (*p != '\0' && blank(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	len = strlen(p);
	memmove(s, p, len + 1);
	for (const char *q = s; *q != '\0'; q = g_utf8_next_char(q))
		if (!blank(g_utf8_get_char(q)))
			keep = g_utf8_next_char(q) - s;
	s[keep] = '\0';
	return s;
}

gboolean
evf_text_shows_anything(const char *s)
{
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		if (!g_unichar_isspace(ch) &&
		    g_unichar_type(ch) != G_UNICODE_FORMAT &&
		    g_unichar_type(ch) != G_UNICODE_CONTROL)
			return TRUE;
	}
	return FALSE;
}

char *
evf_text_oneline(const char *text)
{
	g_autofree char *clean = evf_text_sanitize(text, -1);
	g_auto(GStrv) words = NULL;
	GString *s = g_string_new(NULL);

	if (clean == NULL)
		return g_string_free(s, FALSE);
	if (strstr(clean, "\xe2\x80\xa8") != NULL ||
	    strstr(clean, "\xe2\x80\xa9") != NULL) {
		/* Unicode's line and paragraph separators end lines too */
		static GRegex *separators;
		/* (compiled for PCRE2's JIT, which checks no UTF-8 again:
		 * GLib's interpreter checks the whole text at each match,
		 * and 60,000 separators took minutes) */
		char *spaced = g_regex_replace_literal(
		    evf_regex_once(&separators, "[\\x{2028}\\x{2029}]",
		                   G_REGEX_OPTIMIZE),
		    clean, -1, 0, " ", 0, NULL);

		g_free(clean);
		clean = spaced;
	}
	words = g_strsplit_set(clean, " \t\n", -1);
	for (guint i = 0; words[i] != NULL; i++) {
		if (words[i][0] == '\0')
			continue;
		if (s->len > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, words[i]);
	}
	return balance(g_string_free(s, FALSE));
}

char *
evf_text_short(const char *text, glong max)
{
	g_autofree char *one = evf_text_oneline(text != NULL ? text : "");
	g_autofree char *head = NULL;

	if (g_utf8_strlen(one, -1) <= max)
		return g_steal_pointer(&one);
	head = balance(g_utf8_substring(one, 0, max));
	return g_strconcat(head, "\u2026", NULL);
}

gboolean
evf_utf8_cut(char *s, gsize max)
{
	gsize n = strlen(s);

	if (n <= max)
		return FALSE;
	n = max;
	while (n > 0 && ((guchar)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
	return TRUE;
}

char *
evf_text_cut(char *s, gsize max)
{
	gsize limit = max;

	/* The closings balancing adds may take it over @max again: then
	 * less is kept, until they fit (a byte less each round at least) */
	for (;;) {
		gsize n;

		evf_utf8_cut(s, limit);
		g_strchomp(s);
		s = balance(s);
		n = strlen(s);
		if (n <= max)
			return s;
		limit -= MIN(limit, n - max);
	}
}

/* evf_log_escape(), and for a file's name (@name) a backslash too: a
 * name that holds "\xe9" is not one that holds the byte. */
static char *
log_escape(const char *s, gboolean name)
{
	GString *out;

	if (s == NULL)
		return g_strdup("(null)");
	out = g_string_new(NULL);
	for (const char *p = s; *p != '\0';) {
		gunichar u = g_utf8_get_char_validated(p, -1);

		/* a byte that is not UTF-8 (a file name in Latin-1) as
		 * itself: two such names stay apart ("caf\xe9", "caf\xe8") */
		if (u == (gunichar)-1 || u == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", (guchar)*p);
			p++;
			continue;
		}
		if (u < 0x20 || u == 0x7f || (name && u == '\\'))
			g_string_append_printf(out, "\\x%02x", u);
		else if ((u >= 0x80 && u <= 0x9f) ||
		         (name && ((u >= 0x202a && u <= 0x202e) ||
		                   (u >= 0x2066 && u <= 0x2069))))
			/* a C1 control: CSI is an escape; and in a file's
			 * name, which starts the line, a bidi control, which
			 * would turn the rest of it ("\u202egnp.exe.md") */
			g_string_append_printf(out, "\\u%04x", u);
		else
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
		p = g_utf8_next_char(p);
	}
	return g_string_free(out, FALSE);
}

char *
evf_log_escape(const char *s)
{
	return log_escape(s, FALSE);
}

static const char *const days[] = { "",    "Mon", "Tue", "Wed",
	                            "Thu", "Fri", "Sat", "Sun" };
static const char *const months[] = { "",    "Jan", "Feb", "Mar", "Apr",
	                              "May", "Jun", "Jul", "Aug", "Sep",
	                              "Oct", "Nov", "Dec" };

GUri *
evf_uri_resolve_parsed(GUri *base, const char *ref)
{
	g_autoptr(GUri) uri = NULL;
	const char *path;

	g_return_val_if_fail(ref != NULL, NULL);
	uri = g_uri_parse_relative(base, ref, G_URI_FLAGS_ENCODED, NULL);
	if (uri == NULL)
		return NULL;
	/* Removing dot segments can leave "//y" as the path of a URI
	 * without authority; g_uri_to_string() of GLib 2.74 then fails a
	 * critical assertion instead of writing "/.//y" (RFC 3986 §5.2.4). */
	path = g_uri_get_path(uri);
	if (g_uri_get_host(uri) == NULL && path[0] == '/' && path[1] == '/')
		return NULL;
	return g_steal_pointer(&uri);
}

char *
evf_uri_resolve(const char *base, const char *ref)
{
	g_autoptr(GUri) base_uri = NULL;
	g_autoptr(GUri) uri = NULL;

	g_return_val_if_fail(ref != NULL, NULL);
	if (base != NULL &&
	    (base_uri = g_uri_parse(base, G_URI_FLAGS_ENCODED, NULL)) == NULL)
		return NULL;
	uri = evf_uri_resolve_parsed(base_uri, ref);
	return uri != NULL ? g_uri_to_string(uri) : NULL;
}

char *
evf_uri_without_userinfo(const char *url)
{
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);

	if (uri == NULL || g_uri_get_userinfo(uri) == NULL)
		return g_strdup(url);
	return g_uri_to_string_partial(uri, G_URI_HIDE_USERINFO);
}

char *
evf_url_for_state(const char *url)
{
	g_autofree char *bare =
	    url != NULL ? evf_uri_without_userinfo(url) : NULL;
	g_autofree char *digest = NULL;

	if (bare == NULL || strcmp(bare, url) == 0)
		return g_strdup(url);
	digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, url, -1);
	return g_strdup_printf("%s sha256:%s", bare, digest);
}

char *
evf_date_rfc822(gint64 usec, gboolean gmt)
{
	g_autoptr(GDateTime) t =
	    g_date_time_new_from_unix_utc(usec / G_USEC_PER_SEC);

	return g_strdup_printf(
	    "%s, %02d %s %04d %02d:%02d:%02d %s",
	    days[g_date_time_get_day_of_week(t)],
	    g_date_time_get_day_of_month(t), months[g_date_time_get_month(t)],
	    g_date_time_get_year(t), g_date_time_get_hour(t),
	    g_date_time_get_minute(t), g_date_time_get_second(t),
	    gmt ? "GMT" : "+0000");
}

GBytes *
evf_file_read(const char *path, gsize max, GError **error)
{
	return evf_file_read_at(AT_FDCWD, path, path, max, error);
}

GBytes *
evf_file_read_at(int dirfd, const char *name, const char *path, gsize max,
                 GError **error)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	struct stat st;
	int fd;
	GString *buf;

	/* O_NONBLOCK: a FIFO named like an event file must not hang the
	 * reader; fstat then refuses anything but a regular file. */
	fd =
	    openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		struct stat lst;

		/* O_NOFOLLOW answers a symbolic link with ELOOP, whose text
		 * ("Too many levels of symbolic links") tells an editor
		 * nothing about what to do. */
		if (e == ELOOP &&
		    fstatat(dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(lst.st_mode)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_LOOP,
			            "cannot read '%s': a symbolic link, which "
			            "evfeed does not follow (copy or move the "
			            "file itself here)",
			            path);
			return NULL;
		}
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "cannot open '%s': %s", path, g_strerror(e));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "cannot read '%s': not a regular file", path);
		return NULL;
	}
	/* Read one byte past the cap so that "too large" is never mistaken
	 * for a file that happens to be exactly @max bytes long. */
	buf = g_string_sized_new(MIN((gsize)st.st_size, max) + 1);
	for (;;) {
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			g_string_free(buf, TRUE);
			g_set_error(
			    error, G_FILE_ERROR, g_file_error_from_errno(e),
			    "cannot read '%s': %s", path, g_strerror(e));
			return NULL;
		}
		if (n == 0)
			break;
		g_string_append_len(buf, chunk, n);
		if (buf->len > max) {
			close(fd);
			g_string_free(buf, TRUE);
			g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
			            "'%s' is larger than %" G_GSIZE_FORMAT
			            " bytes",
			            path, max);
			return NULL;
		}
	}
	close(fd);
	len = buf->len;
	data = g_string_free(buf, FALSE);
	return g_bytes_new_take(g_steal_pointer(&data), len);
}

guint
evf_edit_distance(const char *a, const char *b)
{
	guint la = strlen(a), lb = strlen(b), row[32];

	if (la >= G_N_ELEMENTS(row) || lb >= G_N_ELEMENTS(row))
		return G_MAXUINT;
	for (guint j = 0; j <= lb; j++)
		row[j] = j;
	for (guint i = 1; i <= la; i++) {
		guint diag = row[0];

		row[0] = i;
		for (guint j = 1; j <= lb; j++) {
			guint up = row[j];
			guint cost = g_ascii_tolower(a[i - 1]) ==
			                     g_ascii_tolower(b[j - 1])
			                 ? 0
			                 : 1;

			row[j] =
			    MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
			diag = up;
		}
	}
	return row[lb];
}
