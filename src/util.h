/*
 * util.h: the vocabulary every module shares: the error domain, compiler-style
 * diagnostics, stable identifiers (UUIDv5), slugs and text hygiene for
 * strings that go into XML and iCalendar.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

/* EVF_ASAN is defined when AddressSanitizer instruments the build (gcc
 * says so with __SANITIZE_ADDRESS__, clang with __has_feature): limits
 * and timings that it changes are told apart with it. */
#if defined(__SANITIZE_ADDRESS__)
#define EVF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EVF_ASAN 1
#endif
#endif

#define EVF_ERROR (evf_error_quark())
GQuark evf_error_quark(void);

typedef enum {
	EVF_ERROR_FAILED,  /* anything else */
	EVF_ERROR_INVALID, /* input that does not validate */
	EVF_ERROR_IO, /* a file or the state could not be read or written */
	EVF_ERROR_DAMAGED, /* the state is no database, or a damaged one */
} EvfError;

/* Sets @error (if not NULL) with a printf-style message; returns FALSE so
 * that a failing function can `return evf_throw(error, ...)`. */
gboolean evf_throw(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* One diagnostic, as a compiler prints it: file:line:col: error: message.
 * Lines and columns count from 1; 0 means unknown and is left out. */
typedef struct {
	char *file;
	guint line;
	guint col;
	gboolean warning;
	char *message;
	/* an error that time alone mends (a publication date ahead): the
	 * time (µs since 1970) from which it is gone; 0 for any other */
	gint64 passes_at;
} EvfDiag;

/* (transfer full): an empty list of EvfDiag, freed with g_ptr_array_unref */
GPtrArray *evf_diags_new(void);
void evf_diags_add(GPtrArray *diags, const char *file, guint line, guint col,
                   const char *fmt, ...) G_GNUC_PRINTF(5, 6);
void evf_diags_warn(GPtrArray *diags, const char *file, guint line, guint col,
                    const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* Number of errors (not warnings) in @diags. */
guint evf_diags_errors(GPtrArray *diags);
/* The time (µs since 1970) from which every error of @diags is gone by
 * itself (EvfDiag.passes_at), 0 when one of them waits for an edit or
 * there is none. */
gint64 evf_diags_pass_at(GPtrArray *diags);
/* Sorts by file, line, column and prints each on its own line. */
void evf_diags_print(GPtrArray *diags, FILE *out);
/* (transfer full): the diagnostic as one line, without a newline */
char *evf_diag_format(const EvfDiag *d);

/* (transfer full): the UUIDv5 (RFC 9562) of @name in @namespace_uuid, in
 * lower-case hex with dashes. @namespace_uuid is a textual UUID. */
char *evf_uuid5(const char *namespace_uuid, const char *name);

/* evfeed's own UUID namespace, for identities derived from names. */
#define EVF_UUID_NAMESPACE "3f0e5a4c-7d2b-5c1e-9a47-2b6d8e1f0c93"

/* TZ for UTC as a POSIX rule ("UTC", no offset): glibc reads it from no
 * file, so no /etc/localtime or zoneinfo file with leap seconds comes
 * into gmtime(). */
#define EVF_POSIX_UTC "UTC0"

/* 2026-01-01T00:00:00Z, in seconds: no clock that is right reads an
 * earlier time (one reset to 1970 by a machine without a battery, before
 * its time is synchronised, does). */
#define EVF_CLOCK_SANE G_GINT64_CONSTANT(1767225600)

/* The longest slug, in bytes. */
#define EVF_SLUG_MAX 200

/* (transfer full): a URL path segment made of [a-z0-9-] from @text
 * (transliterated, lower-cased, runs of anything else become one '-').
 * Never empty: "x-" and ten hex digits of a SHA-256 of the text (in NFC,
 * case-folded) when nothing transliterates. At most EVF_SLUG_MAX bytes: a
 * longer one is cut, and ends in '-' and ten hex digits of the same. */
char *evf_slugify(const char *text);
/* (transfer full): evf_slugify() of a category's (or an organiser's)
 * name, whose characters that show as nothing (a soft hyphen, a
 * zero-width joiner, a variation selector) are left out first, and whose
 * other spaces (U+00A0) are spaces: names that read the same
 * (evf_name_look) have one slug. (A file's name keeps the slug it has
 * always had: its one-event calendar's address.) */
char *evf_slugify_name(const char *name);
/* Whether @host, as GLib gives a URI's host (an IPv6 address without its
 * brackets), is one: an IP address, or a name of letters (any script,
 * which IDNA makes ASCII), digits, '-', '_' and dots; no space, no '%'. */
gboolean evf_uri_host_valid(const char *host);
/* Whether @url, written without a scheme, begins with a host name and a
 * path ("facebook.com/events/1"): its first segment a name under a public
 * suffix the Public Suffix List knows (libpsl's built-in list), not a
 * file's ("events.html", "event.do?id=5") nor a path's. */
gboolean evf_url_bare_host(const char *url);
/* (transfer full) (nullable): why @value, an address to listen on, is
 * not what was meant, when it is an IPv6 address and a port without the
 * brackets ("::1:8080", which GLib reads as one address, and the kernel
 * then refuses): the message, with the value as it would be meant. */
char *evf_listen_unbracketed(const char *value);
/* (transfer full) (nullable): when @path is a symbolic link to nothing
 * that exists (a folder not made yet, a volume not mounted), the name at
 * the end of its chain of links that is not there; with *@loop set, and
 * @path, when the chain goes round. NULL otherwise. */
char *evf_dangling_link(const char *path, gboolean *loop);
/* (transfer full) (nullable): the folder of @path (or @path itself) that
 * keeps a folder from being made there: a symbolic link to nothing that
 * exists (its end into *@to, as evf_dangling_link, with *@loop), or a
 * file where a folder is needed (*@to NULL). The first from the root;
 * NULL when nothing is in the way. */
char *evf_path_blocked(const char *path, char **to, gboolean *loop);

/* (transfer full): @text made safe for XML 1.0 and iCalendar TEXT: invalid
 * UTF-8 becomes U+FFFD, C0 controls other than TAB and LF are dropped (CR LF
 * becomes LF), and so are DEL, the C1 controls and Unicode's noncharacters
 * (U+FDD0 to U+FDEF, U+FFFE, U+FFFF, U+1FFFE…). */
char *evf_text_sanitize(const char *text, gssize len);
/* Whether the file @data of @len bytes looks like UTF-16, as Windows
 * editors save "Unicode": a byte order mark, or a NUL beside an ASCII
 * character in its first two bytes. */
gboolean evf_looks_utf16(const char *data, gsize len);

/* The character that windows-1252 gives the byte @c (U+0080 to U+009F),
 * as HTML reads a numeric character reference to one (WHATWG HTML,
 * "numeric character reference end state": "&#150;" is '–'); @c itself
 * for the five bytes it leaves undefined, and for any other character. */
gunichar evf_windows1252_c1(gunichar c);

/* (transfer full): @text, valid UTF-8, with each C1 control made its
 * windows-1252 character (evf_windows1252_c1): what a numeric reference
 * to one that a parser decoded as written stands for. */
char *evf_text_windows1252_c1(const char *text);

/* (transfer full): the charset @label in lower case without its other
 * characters than letters and digits ("ISO_8859-1" → "iso88591"), as
 * labels are compared. */
char *evf_charset_key(const char *label);

/* Whether @label names Windows-1252 as browsers and feed readers read it
 * (the WHATWG Encoding Standard): ISO-8859-1, Latin-1 and US-ASCII
 * included, whose bytes 0x80-0x9F are never the C1 controls they would
 * name but Windows-1252's “ ” ’ – € … */
gboolean evf_charset_is_windows1252(const char *label);

/* (transfer full) (nullable): the @len bytes at @data, in the charset
 * @label, as UTF-8 (*@out_len bytes); NULL when iconv does not know it or
 * the bytes are not in it. A label of Windows-1252 (above) is read as
 * Windows-1252, whose five bytes without a character are left out. */
char *evf_charset_to_utf8(const char *data, gsize len, const char *label,
                          gsize *out_len);

/* Whether @c is one of Unicode's 66 noncharacters (U+FDD0 to U+FDEF, and
 * the last two of each plane). */
gboolean evf_unichar_is_noncharacter(gunichar c);
/* Whether @text (valid UTF-8) holds one of Unicode's noncharacters; the
 * first is put in @found, if given. */
gboolean evf_text_has_noncharacter(const char *text, gunichar *found);
/* Calls @func(item, @data) for every item of @items, on as many threads as
 * there are processors (the caller's among them), and returns when all are
 * done. What libical, libxml2 and cmark-gfm set up on first use without a
 * lock is set up before the threads start. Should no thread start (out of
 * memory, or of threads: systemd's TasksMax), the caller does it all: work is
 * never left in a pool that cannot run it. */
void evf_parallel_for(GPtrArray *items, GFunc func, gpointer data);

/* (transfer none): @pattern compiled on first use into *@slot, a static
 * variable of the caller's, and kept for the life of the process, so that
 * a pattern used for every event is compiled once (thread-safe). */
GRegex *evf_regex_once(GRegex **slot, const char *pattern,
                       GRegexCompileFlags flags);

/* (transfer full) (nullable): @text (valid UTF-8) with what was encoded
 * twice on its way put back, as partners' feeds and calendars carry it
 * from a misconfigured database: UTF-8 read as Latin-1 or Windows-1252
 * and written out again as UTF-8 ("CafÃ©" → "Café", "Itâ€™s" → "It’s",
 * "KoÅ¡ice" → "Košice", "Ð¡ÐµÑ€Ð±Ð¸Ñ˜Ð°" → "Србија"); again while
 * any is left (encoded twice, twice). A word is put back whole when each
 * of its characters is one Windows-1252 byte and those bytes are UTF-8
 * of letters of the region's alphabets, punctuation, currency, arrows,
 * symbols or emoji; and U+00C2 or U+00C3 followed by a character from
 * U+00A0 to U+00BF is put back anywhere. Real text is left alone ("SÃO",
 * "Ã la", "CAFÉ…", "“IRMÃ”"). NULL when there was nothing to mend. */
char *evf_text_mend(const char *text);
/* (transfer full) (nullable): @text with each replacement character
 * U+FFFD, which stands for one that a wrong encoding lost, as '?' (the
 * W3C Feed Validation Service warns of U+FFFD); NULL when it has none. */
char *evf_text_replacement_as_question(const char *text);

/* Takes what shows as nothing or as a space off both ends of the UTF-8
 * text @s, in place: white space of any kind (U+00A0, U+3000), U+200B and
 * U+FEFF. A no-break space typed or pasted before a category made another
 * category (" b" beside "b"). Returns @s. */
char *evf_text_trim_blank(char *s);

/* Whether the UTF-8 text @s shows anything: a character other than white
 * space (such as U+00A0 or U+3000), format characters (U+200B, U+2060,
 * U+FEFF, the soft hyphen) and controls, which a reader would show as a
 * blank title. */
gboolean evf_text_shows_anything(const char *s);
/* (transfer full): @text on one line: sanitized, runs of white space
 * (including newlines and U+2028, U+2029) folded into one space,
 * trimmed. */
char *evf_text_oneline(const char *text);
/* (transfer full): @text (nullable: "") on one line (evf_text_oneline),
 * cut to @max characters with "…" after them, for a message. */
char *evf_text_short(const char *text, glong max);
/* Cuts valid UTF-8 @s to at most @max bytes, on a character boundary;
 * TRUE when it was longer. */
gboolean evf_utf8_cut(char *s, gsize max);
/* (transfer full): @s (taken; a line, as evf_text_oneline gives) cut to
 * at most @max bytes on a character boundary, without white space at its
 * end, and its bidirectional controls balanced again within @max: the
 * closing of an override that the cut took off is put back. */
char *evf_text_cut(char *s, gsize max);

/* (transfer full): valid UTF-8 @text in Unicode's NFC, as the web has
 * text (W3C's character model), for the texts people read and compare
 * (a title, a category): "Café" with é composed or not is one category
 * in every client. Identifiers and protocol values (UIDs, URLs, ETags)
 * are left as they came. In time linear in the length of @text: a run
 * of more than 1 KiB without an ASCII character is left as it is. */
char *evf_text_nfc(const char *text);
/* Whether @ch looks like nothing or like an ordinary space and is not
 * one: a no-break or other space (U+00A0, U+3000), or an invisible one
 * (U+200B, U+FEFF, U+00AD). */
gboolean evf_unichar_invisible(gunichar ch);
/* The first character of valid UTF-8 @s that evf_unichar_invisible();
 * 0 when there is none. */
gunichar evf_text_first_invisible(const char *s);
/* (transfer full): what to do about @ch (evf_text_first_invisible), in
 * words: "it holds an invisible character (U+200B): delete it". */
char *evf_invisible_advice(gunichar ch);
/* Whether the name @s (valid UTF-8) shows every character it holds: no
 * character that shows as nothing (evf_unichar_invisible, and Unicode's
 * other default-ignorable ones, U+FE0F, U+034F), and no space but
 * U+0020. */
gboolean evf_name_shows_all(const char *s);
/* Whether @name, a spelling of the category spelt @had so far, is the one
 * to name it by: it shows all its characters (evf_name_shows_all) where
 * @had does not, whose warning tells the editor to delete them. */
gboolean evf_name_better(const char *had, const char *name);
/* (transfer full): the form of the name @s (valid UTF-8) that is the same
 * for names that only look alike: its invisible characters left out,
 * every space a ' ', in NFKC ('Ⅱ' as 'II', 'Ｗ' as 'W'), case-folded. */
char *evf_name_look(const char *s);
/* Whether the names @a and @b look alike: the same evf_name_look(). */
gboolean evf_names_look_alike(const char *a, const char *b);
/* (transfer full): for a message that names @name and @other, two names
 * that look alike (evf_name_look) and are not one (evf_same_name), what
 * tells them apart: ": it holds an invisible character (U+00AD): delete
 * it", ": the other holds …", or ": it has 'Ⅱ' (U+2161), a form of
 * 'II'"; "" for names that do not look alike, or when nothing but case
 * tells them apart. */
char *evf_name_told(const char *name, const char *other);
/* Whether the texts @a and @b (valid UTF-8) are one name up to case and
 * composition (both in NFC, case-folded): "Workshop" and "WORKSHOP", not
 * "C++" and "C#", which give one slug, nor "Ⅱ" and "II", which only look
 * alike. */
gboolean evf_same_name(const char *a, const char *b);

/* (transfer full): @s with control characters and bytes that are not
 * UTF-8 escaped (\x0a, \xe9), for logs; in a diagnostic's file name
 * (evf_diag_format), a backslash too (\x5c). */
char *evf_log_escape(const char *s);

/* (transfer full) (nullable): @ref resolved against @base (nullable: @ref
 * must then be absolute), as g_uri_resolve_relative() with
 * G_URI_FLAGS_ENCODED; NULL when either does not parse, or when the result
 * has no host and a path that starts with "//" ("http:x/..//y"), which
 * GLib 2.74 cannot write back and which names no resource anyway. */
char *evf_uri_resolve(const char *base, const char *ref);

/* (transfer full) (nullable): as evf_uri_resolve(), against @base already
 * parsed (nullable; G_URI_FLAGS_ENCODED): what is resolved against one base
 * many times is parsed once, not again for each reference (a base may be
 * kilobytes long). */
GUri *evf_uri_resolve_parsed(GUri *base, const char *ref);

/* (transfer full): @url without its user name and password (the
 * credentials of a partner, never to be published or logged); @url itself
 * when it has none or is no URI. */
char *evf_uri_without_userinfo(const char *url);
/* (transfer full) (nullable): a source's URL @url as the state keeps it:
 * its user name and password, which the configuration alone holds (a
 * state file is readable by more people, and goes into backups),
 * replaced by a digest of the whole URL, so that a new password is a new
 * URL all the same. (After a space: no URL in the configuration holds
 * one.) */
char *evf_url_for_state(const char *url);

/* (transfer full): @usec (since 1970, UTC) as an RFC 822 / RFC 9110 date,
 * in English whatever the locale: "Mon, 15 Jan 2024 09:00:00 +0000", or
 * with "GMT" as the zone when @gmt (the HTTP form). */
char *evf_date_rfc822(gint64 usec, gboolean gmt);

/* The number of single-character insertions, deletions and changes
 * from @a to @b, ASCII letters compared in any case; G_MAXUINT when one
 * is longer than 31 bytes (for names such as keys). */
guint evf_edit_distance(const char *a, const char *b);

/* Reads a whole file; fails when it is larger than @max bytes. */
GBytes *evf_file_read(const char *path, gsize max, GError **error);

/* evf_file_read() of the file @name in the folder open as @dirfd (or
 * AT_FDCWD), named @shown in messages: one folder read as one, though its
 * path is pointed elsewhere meanwhile (a deploy's symbolic link). */
GBytes *evf_file_read_at(int dirfd, const char *name, const char *shown,
                         gsize max, GError **error);
