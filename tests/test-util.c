/*
 * test-util.c: the shared vocabulary of src/util.c: UUIDv5, slugs, text
 * hygiene, compiler-style diagnostics and the capped file reader.
 */
#include "autoconf.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "xmlout.h"

#include <sys/stat.h>

/* ------------------------------------------------------------ uuid5 */

static void
test_uuid5_rfc9562_vector(void)
{
	/* RFC 9562, appendix A.4: the DNS namespace and "www.example.com". */
	g_autofree char *u = evf_uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	                               "www.example.com");

	g_assert_cmpstr(u, ==, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

static void
test_uuid5_url_namespace(void)
{
	/* The URL namespace, checked against Python's uuid.uuid5. */
	g_autofree char *u = evf_uuid5("6ba7b811-9dad-11d1-80b4-00c04fd430c8",
	                               "https://events.example.org/");

	g_assert_cmpstr(u, ==, "7e81f2e4-8cc5-572b-a300-b602ca63d5f9");
}

static void
test_uuid5_utf8_name(void)
{
	/* The name is hashed as its UTF-8 bytes. */
	g_autofree char *u = evf_uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	                               "caf\xc3\xa9.example");

	g_assert_cmpstr(u, ==, "1f25f992-3aeb-54f1-b196-ccca88f733b1");
}

static void
test_uuid5_upper_case_namespace(void)
{
	g_autofree char *u = evf_uuid5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
	                               "www.example.com");

	g_assert_cmpstr(u, ==, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

static void
test_uuid5_shape(void)
{
	g_autofree char *a = evf_uuid5(EVF_UUID_NAMESPACE, "event-a");
	g_autofree char *b = evf_uuid5(EVF_UUID_NAMESPACE, "event-a");
	g_autofree char *c = evf_uuid5(EVF_UUID_NAMESPACE, "event-b");

	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, !=, c);
	g_assert_true(g_regex_match_simple("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]"
	                                   "{3}-[89ab][0-9a-f]{3}-[0-9a-f]"
	                                   "{12}$",
	                                   a, 0, 0));
}

/* ------------------------------------------------------------- slugs */

static void
check_slug(const char *text, const char *want)
{
	g_autofree char *got = evf_slugify(text);

	g_assert_cmpstr(got, ==, want);
}

static void
test_slugify_ascii(void)
{
	check_slug("Workshop on Border Security",
	           "workshop-on-border-security");
	check_slug("2018-05-22-counter-terrorism",
	           "2018-05-22-counter-terrorism");
	check_slug("ABC--def", "abc-def");
}

static void
test_slugify_accents(void)
{
	check_slug("Caf\xc3\xa9 M\xc3\xbcller", "cafe-muller");
	check_slug("\xc3\x9cn\xc3\xaf"
	           "c\xc3\xb6"
	           "d\xc3\xa9 2018",
	           "unicode-2018");
	check_slug("Stra\xc3\x9f"
	           "e",
	           "strasse");
	check_slug("\xc4\x8c"
	           "akovec \xc5\xa0ibenik \xc5\xbd"
	           "alec",
	           "cakovec-sibenik-zalec");
}

static void
test_slugify_punctuation_runs(void)
{
	check_slug("  --Hello, World!!  ", "hello-world");
	check_slug("a_b.c", "a-b-c");
	check_slug("one ; two :: three", "one-two-three");
}

/* A file name has 255 bytes at most: a long text's slug keeps 189 of its
 * own and the digest of the whole, so that two long texts alike in their
 * first 189 do not share it. */
static void
test_slugify_long(void)
{
	g_autoptr(GString) a = g_string_new(NULL);
	g_autofree char *exact = NULL;
	g_autofree char *sa = NULL;
	g_autofree char *sb = NULL;

	for (int i = 0; i < 60; i++)
		g_string_append(a, "Policy ");
	sa = evf_slugify(a->str);
	g_string_append(a, "and more");
	sb = evf_slugify(a->str);
	g_assert_cmpuint(strlen(sa), <=, EVF_SLUG_MAX);
	g_assert_cmpuint(strlen(sb), <=, EVF_SLUG_MAX);
	g_assert_true(g_str_has_prefix(sa, "policy-policy-"));
	g_assert_cmpstr(sa, !=, sb);
	g_assert_true(g_regex_match_simple(
	    "^[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{10}$", sa, 0, 0));
	/* Up to the limit, a slug is what it always was. */
	exact = g_strnfill(EVF_SLUG_MAX, 'a');
	check_slug(exact, exact);
}

static void
test_slugify_never_empty(void)
{
	g_autofree char *a = evf_slugify("\xe6\x97\xa5\xe6\x9c\xac");
	g_autofree char *b = evf_slugify("\xd0\xb1\xd0\xb5\xd0\xb7");

	check_slug("", "x-e3b0c44298");
	check_slug("!!!", "x-e84c538e7f");
	check_slug("---", "x-cb3f91d54e");
	/* Nothing to transliterate into ASCII letters: a stable name from
	 * the digest, different for different texts. */
	check_slug("\xe6\x97\xa5\xe6\x9c\xac", "x-cf2abf0c5b");
	g_assert_cmpstr(a, !=, b);
	g_assert_true(g_str_has_prefix(b, "x-"));
	{
		/* A name that is not UTF-8 (Latin-1 résumé, rèsumè): its bytes
		 * that are not are not letters, and the digest of its bytes
		 * tells it from another; each letter of ASCII is kept (GLib's
		 * transliteration read é's byte as the start of a sequence of
		 * three, and past the end of the text at its end). */
		g_autofree char *e = evf_slugify("r\xe9sum\xe9");
		g_autofree char *grave = evf_slugify("r\xe8sum\xe8");
		g_autofree char *again = evf_slugify("r\xe9sum\xe9");
		g_autofree char *legacy = evf_slugify("l\xe9gacy");

		g_assert_true(g_str_has_prefix(e, "r-sum-"));
		g_assert_cmpuint(strlen(e), ==, strlen("r-sum-") + 10);
		g_assert_cmpstr(e, ==, again);
		g_assert_cmpstr(e, !=, grave);
		g_assert_true(g_str_has_prefix(legacy, "l-gacy-"));
		check_slug("\xfc", "x-98722e2ebe");
	}
	{
		/* What reads the same has one: Greek in either case, й
		 * composed (U+0439) or not (и, U+0306). */
		g_autofree char *upper = evf_slugify(
		    "\xce\x91\xcf\x83\xcf\x84\xcf\x85\xce\xbd\xce\xbf\xce\xbc\xce\xaf\xce\xb1");
		g_autofree char *lower = evf_slugify(
		    "\xce\xb1\xcf\x83\xcf\x84\xcf\x85\xce\xbd\xce\xbf\xce\xbc\xce\xaf\xce\xb1");
		g_autofree char *composed = evf_slugify("\xd0\xb9");
		g_autofree char *decomposed = evf_slugify("\xd0\xb8\xcc\x86");

		g_assert_true(g_str_has_prefix(upper, "x-"));
		g_assert_cmpstr(upper, ==, lower);
		g_assert_cmpstr(composed, ==, decomposed);
	}
}

/* ---------------------------------------------------- text hygiene */

static void
check_sanitize(const char *text, gssize len, const char *want)
{
	g_autofree char *got = evf_text_sanitize(text, len);

	g_assert_cmpstr(got, ==, want);
	g_assert_true(g_utf8_validate(got, -1, NULL));
}

static void
test_text_sanitize_invalid_utf8(void)
{
	check_sanitize("a\xff"
	               "b",
	               -1,
	               "a\xef\xbf\xbd"
	               "b");
	/* A truncated sequence at the end. */
	check_sanitize("caf\xc3", -1, "caf\xef\xbf\xbd");
	/* An overlong encoding of '/'. */
	check_sanitize("\xc0\xaf", -1, "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_text_sanitize_c0_controls(void)
{
	check_sanitize("a\x01"
	               "b\x1b"
	               "c\x08"
	               "d",
	               -1, "abcd");
	/* VT and FF part words: each becomes a space. */
	check_sanitize("d\x0b"
	               "e\x0c"
	               "f",
	               -1, "d e f");
	/* TAB and LF stay. */
	check_sanitize("a\tb\nc", -1, "a\tb\nc");
}

static void
test_text_sanitize_c1_controls(void)
{
	/* DEL, U+0080 and U+009F. */
	check_sanitize("a\x7f"
	               "b\xc2\x80"
	               "d\xc2\x9f"
	               "e",
	               -1, "abde");
	/* U+0085 (NEL) ends a line: it becomes a line feed. */
	check_sanitize("c\xc2\x85"
	               "d",
	               -1, "c\nd");
	/* U+00A0 is not a control. */
	check_sanitize("a\xc2\xa0"
	               "b",
	               -1,
	               "a\xc2\xa0"
	               "b");
}

static void
test_text_sanitize_line_endings(void)
{
	check_sanitize("a\r\nb", -1, "a\nb");
	check_sanitize("a\rb", -1, "a\nb");
	check_sanitize("a\r\n\r\nb\r", -1, "a\n\nb\n");
}

static void
test_text_sanitize_noncharacters(void)
{
	check_sanitize("a\xef\xbf\xbe"
	               "b\xef\xbf\xbf"
	               "c",
	               -1, "abc");
	/* U+FFFD itself and U+2028 are ordinary characters. */
	check_sanitize("\xef\xbf\xbd\xe2\x80\xa8", -1,
	               "\xef\xbf\xbd\xe2\x80\xa8");
	/* All 66: U+FDD0 to U+FDEF, and the last two of every plane; and
	 * the characters either side of them. */
	for (gunichar c = 0xfdc0; c <= 0x10ffff; c++) {
		char utf8[8] = "x";
		gint n;
		gboolean non =
		    (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xffff) >= 0xfffe;
		g_autofree char *got = NULL;

		if (c == 0xfe00)
			c = 0xfff0; /* to the end of plane 0 */
		else if (c > 0xffff && (c & 0xffff) == 0x10)
			c += 0xffe0; /* to the end of the next plane */
		n = g_unichar_to_utf8(c, utf8 + 1);
		utf8[n + 1] = 'y';
		got = evf_text_sanitize(utf8, n + 2);
		if (non) {
			g_assert_cmpstr(got, ==, "xy");
			g_assert_true(evf_text_has_noncharacter(utf8, NULL));
		} else {
			g_assert_cmpuint(strlen(got), ==, (gsize)n + 2);
			g_assert_false(evf_text_has_noncharacter(utf8, NULL));
		}
	}
	{
		gunichar found = 0;

		g_assert_true(
		    evf_text_has_noncharacter("a\xf4\x8f\xbf\xbe", &found));
		g_assert_cmpuint(found, ==, 0x10fffe);
	}
	/* the characters beside them stay: U+FDCF, U+FDF0, U+1F600 */
	check_sanitize("\xef\xb7\x8f\xef\xb7\xb0\xf0\x9f\x98\x80", -1,
	               "\xef\xb7\x8f\xef\xb7\xb0\xf0\x9f\x98\x80");
}

static void
test_text_sanitize_length(void)
{
	/* Only @len bytes are read. */
	check_sanitize("abcdef", 3, "abc");
	check_sanitize("", -1, "");
	g_assert_null(evf_text_sanitize(NULL, -1));
}

static void
test_text_sanitize_nul(void)
{
	/* U+0000 is a C0 control like any other: dropped, not replaced. */
	check_sanitize("a\0b", 3, "ab");
}

static void
test_text_sanitize_keeps_unicode(void)
{
	const char *s = "Bezbednost \xf0\x9f\x9b\xa1\xef\xb8\x8f \xd0\x91"
	                "\xd0\xb5\xd0\xb7 \xc4\x91 \xe2\x80\x94 \xe2\x9c\x93";

	check_sanitize(s, -1, s);
}

/* Bidirectional formatting characters left open would turn the text that
 * follows a title where it is shown: each is closed at the end, and one
 * that closes nothing goes (UAX #9's pairing). */
static void
test_text_oneline_bidi(void)
{
	static const char *const cases[][2] = {
		/* RLO left open: closed with PDF */
		{ "Meeting \u202Eevil", "Meeting \u202Eevil\u202C" },
		/* balanced: as written */
		{ "a \u202Bb\u202C c \u2067d\u2069",
		  "a \u202Bb\u202C c \u2067d\u2069" },
		/* a PDF or PDI that closes nothing goes */
		{ "\u202Cx\u2069y", "xy" },
		/* an isolate and an embedding inside it left open: closed
		 * innermost first */
		{ "\u2068a\u202Db", "\u2068a\u202Db\u202C\u2069" },
		/* a PDI closes the embeddings open inside its isolate */
		{ "\u2066a\u202Ab\u2069 c", "\u2066a\u202Ab\u2069 c" },
		/* a PDF does not close what is outside an isolate */
		{ "\u202Ea\u2066b\u202C", "\u202Ea\u2066b\u2069\u202C" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *one = evf_text_oneline(cases[i][0]);

		g_assert_cmpstr(one, ==, cases[i][1]);
	}
	/* cut short inside an override: closed before the ellipsis */
	{
		g_autofree char *cut = evf_text_short("ab\u202Ecdef\u202C", 4);

		g_assert_cmpstr(cut, ==, "ab\u202Ec\u202C\u2026");
	}
}

/* Of two names, what tells them apart when they only look alike, and
 * nothing when they do not: an invisible character there, not one that
 * both have (C# and C++, each with a no-break space). */
static void
test_name_told(void)
{
	static const char *const cases[][3] = {
		{ "Open\u00a0Day", "Open Day",
		  ": it holds a no-break or other space (U+00A0), which looks "
		  "like an ordinary one: type a space, or delete it" },
		{ "criminal justice", "Criminal justice\u00ad",
		  ": the other holds an invisible character (U+00AD): delete "
		  "it" },
		{ "Institute \u2161", "institute ii",
		  ": it has '\u2161' (U+2161), a form of 'II'" },
		{ "C#\u00a0Days", "C++\u00a0Days", "" },
		{ "H\u2082O", "Water", "" },
		/* the difference, not a letter that differs only in case
		 * before it, nor one that the invisible kept from
		 * composing */
		{ "Stra\u00dfe\u00a0Tag", "STRASSE Tag",
		  ": it holds a no-break or other space (U+00A0), which looks "
		  "like an ordinary one: type a space, or delete it" },
		{ "Cafe\u00ad\u0301", "Caf\u00e9",
		  ": it holds an invisible character (U+00AD): delete it" },
		/* a no-break space in both, and one more in one */
		{ "Rule\u00a0of\u00a0law", "Rule\u00a0of law",
		  ": it holds a no-break or other space (U+00A0), which looks "
		  "like an ordinary one: type a space, or delete it" },
		/* not a form the other has in another case, but what
		 * differs */
		{ "Forum \u2161", "forum \u2171\u00ad",
		  ": the other holds an invisible character (U+00AD): delete "
		  "it" },
		/* shown as nothing, not a format character */
		{ "Work\ufe0fshop", "Workshop",
		  ": it holds an invisible character (U+FE0F): delete it" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *told = evf_name_told(cases[i][0], cases[i][1]);

		g_assert_cmpstr(told, ==, cases[i][2]);
	}
	g_assert_true(evf_same_name("Caf\u00e9", "CAFE\u0301"));
	g_assert_false(evf_same_name("Institute \u2161", "Institute II"));
	g_assert_true(
	    evf_names_look_alike("Rule\u00a0of\u00a0law", "Rule\u00a0of law"));
	g_assert_false(evf_names_look_alike("C#\u00a0Days", "C++\u00a0Days"));
	/* names that read the same have one slug: a soft hyphen in a
	 * word, a no-break space in a name of digest; a file's name keeps
	 * its own (its calendar's address) */
	{
		g_autofree char *file = evf_slugify("Crimi\u00adnal justice");
		g_autofree char *a = evf_slugify_name("Crimi\u00adnal justice");
		g_autofree char *b = evf_slugify_name(
		    "\u0424\u043e\u0440\u0443\u043c\u00a02018");
		g_autofree char *c =
		    evf_slugify_name("\u0424\u043e\u0440\u0443\u043c 2018");

		g_assert_cmpstr(file, ==, "crimi-nal-justice");
		g_assert_cmpstr(a, ==, "criminal-justice");
		g_assert_cmpstr(b, ==, c);
	}
}

/* A line cut to a number of bytes keeps its overrides closed, within
 * those bytes: the closing that the cut takes off is put back, and less
 * text is kept where it would not fit. */
static void
test_text_cut(void)
{
	static const struct {
		const char *text;
		gsize max;
		const char *cut;
	} cases[] = {
		/* short enough: as it is */
		{ "ab\u202Ecd\u202C", 20, "ab\u202Ecd\u202C" },
		/* the PDF cut off: put back in the room of "ef" and the
		 * PDF's first byte */
		{ "ab\u202Ecdef\u202C", 10, "ab\u202Ecd\u202C" },
		/* white space at the end of what is kept goes */
		{ "ab \u202Ecd efgh", 12, "ab \u202Ecd\u202C" },
		/* an isolate and an override inside it, both cut open */
		{ "\u2068a\u202Dbcdefgh\u202C\u2069", 14,
		  "\u2068a\u202Db\u202C\u2069" },
		/* no room for the closing: nothing of the override */
		{ "ab\u202Ecdef", 5, "ab" },
		/* a cut inside a character: before it */
		{ "a\u00e9\u00e9", 4, "a\u00e9" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *cut =
		    evf_text_cut(g_strdup(cases[i].text), cases[i].max);

		g_assert_cmpstr(cut, ==, cases[i].cut);
		g_assert_cmpuint(strlen(cut), <=, cases[i].max);
	}
}

static void
test_text_oneline(void)
{
	g_autofree char *a = evf_text_oneline("  a \n\t b  \r\n c ");
	g_autofree char *b = evf_text_oneline("x\x01"
	                                      "y\x1b"
	                                      "z");
	g_autofree char *c = evf_text_oneline(" \n\t ");
	g_autofree char *d = evf_text_oneline(NULL);
	g_autofree char *e = evf_text_oneline("bad\xff"
	                                      "byte");
	g_autofree char *f = evf_text_oneline("END:VEVENT\r\nBEGIN:VEVENT");

	g_assert_cmpstr(a, ==, "a b c");
	g_assert_cmpstr(b, ==, "xyz");
	g_assert_cmpstr(c, ==, "");
	g_assert_cmpstr(d, ==, "");
	g_assert_cmpstr(e, ==,
	                "bad\xef\xbf\xbd"
	                "byte");
	g_assert_cmpstr(f, ==, "END:VEVENT BEGIN:VEVENT");
	/* Unicode's line and paragraph separators, which feed readers
	 * show as line breaks; a no-break space stays */
	{
		g_autofree char *g = evf_text_oneline(
		    "one\u2028two \u2029 three\u00a0four\u2028");

		g_assert_cmpstr(g, ==, "one two three\u00a0four");
	}
}

/* Text encoded twice on its way (UTF-8 read as Latin-1 or Windows-1252
 * and written out as UTF-8 again) is put back; real text that looks a
 * little like it is not. Each case: what came, and what is published
 * (NULL: left as it came). */
static void
test_text_mend(void)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		/* Latin-1 */
		{ "Caf\xc3\x83\xc2\xa9", "Caf\xc3\xa9" },
		{ "na\xc3\x83\xc2\xafve \xc3\x82\xc2\xb0"
		  "C",
		  "na\xc3\xafve \xc2\xb0"
		  "C" },
		/* Windows-1252: "It’s", “quoted” (the last byte of ” has no
		 * character there, and is lost), "– 5 €", "™" */
		{ "It\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s", "It\xe2\x80\x99s" },
		{ "\xc3\xa2\xe2\x82\xac\xc5\x93Quoted\xc3\xa2\xe2\x82\xac",
		  "\xe2\x80\x9cQuoted\xe2\x80\x9d" },
		{ "A \xc3\xa2\xe2\x82\xac\xe2\x80\x9c 5 \xc3\xa2\xe2\x80\x9a\xc2\xac",
		  "A \xe2\x80\x93 5 \xe2\x82\xac" },
		{ "OSCE\xc3\xa2\xe2\x80\x9e\xc2\xa2", "OSCE\xe2\x84\xa2" },
		/* capitals whose second byte Windows-1252 gives a letter or
		 * a sign: "ÉCOLE", "ÜBER" */
		{ "\xc3\x83\xe2\x80\xb0"
		  "COLE",
		  "\xc3\x89"
		  "COLE" },
		{ "\xc3\x83\xc5\x93"
		  "BER",
		  "\xc3\x9c"
		  "BER" },
		/* the region's letters: Košice, się, župa, Brașov, București */
		{ "Ko\xc3\x85\xc2\xa1ice", "Ko\xc5\xa1ice" },
		{ "si\xc3\x84\xe2\x84\xa2 \xc3\x85\xc2\xbeupa",
		  "si\xc4\x99 \xc5\xbeupa" },
		{ "Bra\xc3\x85\xc5\xb8ov", "Bra\xc5\x9fov" },
		{ "Bucure\xc3\x88\xe2\x84\xa2ti", "Bucure\xc8\x99ti" },
		/* Serbian and Greek */
		{ "\xc3\x90\xc2\xa1\xc3\x90\xc2\xb5\xc3\x91\xe2\x82\xac"
		  "\xc3\x90\xc2\xb1\xc3\x90\xc2\xb8\xc3\x91\xcb\x9c\xc3\x90\xc2\xb0",
		  "\xd0\xa1\xd0\xb5\xd1\x80\xd0\xb1\xd0\xb8\xd1\x98\xd0\xb0" },
		{ "\xc3\x8e\xe2\x80\xa2\xc3\x8e\xc2\xbb\xc3\x8e\xc2\xbb\xc3\x8e\xc2\xac"
		  "\xc3\x8e\xc2\xb4\xc3\x8e\xc2\xb1",
		  "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1" },
		/* an emoji, and an arrow */
		{ "Party \xc3\xb0\xc5\xb8\xc5\xbd\xe2\x80\xb0",
		  "Party \xf0\x9f\x8e\x89" },
		{ "A \xc3\xa2\xe2\x80\xa0\xe2\x80\x99 B", "A \xe2\x86\x92 B" },
		/* encoded twice, twice */
		{ "K\xc3\x83\xc6\x92\xc3\x82\xc2\xb6ln", "K\xc3\xb6ln" },
		/* mended and real side by side: a real "’" after "CafÃ©" */
		{ "Caf\xc3\x83\xc2\xa9\xe2\x80\x99s",
		  "Caf\xc3\xa9\xe2\x80\x99s" },
		/* real text */
		{ "S\xc3\x83O Paulo, \xc3\x83 la carte", NULL },
		{ "CAF\xc3\x89\xe2\x80\xa6", NULL },
		{ "\xc2\xab"
		  "CAF\xc3\x89\xc2\xbb",
		  NULL },
		{ "\xe2\x80\x9cIRM\xc3\x83\xe2\x80\x9d", NULL },
		{ "\xe2\x80\x9cUn caf\xc3\xa9\xe2\x80\xa6\xe2\x80\x9d", NULL },
		{ "Z\xc3\xbcrich, \xc3\x85rhus, Pe\xc3\xb1"
		  "a, \xc3\x98resund",
		  NULL },
		{ "Caf\xc3\xa9 \xc3\xa0 la cr\xc3\xa8me, na\xc3\xafve", NULL },
		{ "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0, \xe6\x9d\xb1\xe4\xba\xac",
		  NULL },
		{ "plain ASCII", NULL },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = evf_text_mend(cases[i].in);

		g_test_message("case %u: %s", i, cases[i].in);
		g_assert_cmpstr(got, ==, cases[i].out);
	}
}

/* Texts people read and compare are in NFC. */
static void
test_text_nfc(void)
{
	/* In NFC: e and U+0301 become é; Å (U+212B, the ångström sign)
	 * becomes U+00C5; an emoji's sequence stays as it is. */
	{
		g_autofree char *h = evf_text_nfc(
		    "Cafe\u0301 \u212b \U0001F469\u200d\U0001F52C");

		g_assert_cmpstr(h, ==,
		                "Caf\u00e9 \u00c5 \U0001F469\u200d\U0001F52C");
	}
	/* Run by run, from one ASCII character to the next: a mark after
	 * an ASCII letter composes with it, runs of any number make a text
	 * of any length, and one run of more than 1 KiB (и and a breve,
	 * over and over) is left as it is: normalising it would cost the
	 * square of its length. */
	{
		g_autoptr(GString) words = g_string_new(NULL);
		g_autoptr(GString) want = g_string_new(NULL);
		g_autoptr(GString) run = g_string_new("x");
		g_autofree char *w = NULL;
		g_autofree char *r = NULL;

		for (int i = 0; i < 1000; i++) {
			g_string_append(words, "e\u0301\u0438\u0306 ");
			g_string_append(want, "\u00e9\u0439 ");
		}
		w = evf_text_nfc(words->str);
		g_assert_true(strcmp(w, want->str) == 0);
		while (run->len <= 1024)
			g_string_append(run, "\u0438\u0306");
		r = evf_text_nfc(run->str);
		g_assert_true(strcmp(r, run->str) == 0);
	}
	/* ASCII, and what is already NFC, come back as they were */
	{
		g_autofree char *a = evf_text_nfc("Workshop, 2018");
		g_autofree char *b = evf_text_nfc("Caf\u00e9");

		g_assert_cmpstr(a, ==, "Workshop, 2018");
		g_assert_cmpstr(b, ==, "Caf\u00e9");
	}
}

static void
test_log_escape(void)
{
	g_autofree char *a = evf_log_escape("a\nb\x1b[31m\x7f");
	g_autofree char *b = evf_log_escape(NULL);

	g_assert_cmpstr(a, ==, "a\\x0ab\\x1b[31m\\x7f");
	g_assert_cmpstr(b, ==, "(null)");
	{
		/* C1 controls too (CSI, U+009B, is an escape), and nothing
		 * else that is not ASCII */
		g_autofree char *c =
		    evf_log_escape("\xc2\x9b"
		                   "31m \xc2\x85 caf\xc3\xa9 \xc2\xa0");

		g_assert_cmpstr(c, ==,
		                "\\u009b31m \\u0085 caf\xc3\xa9 \xc2\xa0");
	}
	{
		/* a diagnostic's file whose name has a bidi control: as
		 * \u202e, as it would turn the rest of the line */
		EvfDiag d = { .file = "events/\u202Egnp.exe.md",
			      .line = 3,
			      .col = 8,
			      .message = "m" };
		g_autofree char *f = evf_diag_format(&d);

		g_assert_cmpstr(f, ==,
		                "events/\\u202egnp.exe.md:3:8: error: m");
	}
	{
		/* two names in Latin-1 stay apart, where both were
		 * "caf\uFFFD.md" */
		g_autofree char *e = evf_log_escape("caf\xe9.md");
		g_autofree char *g = evf_log_escape("caf\xe8.md \xc3");

		/* and, as a diagnostic's file, one whose name has a
		 * backslash written in it is not one of them */
		EvfDiag d = { .file = "events/caf\\xe9.md",
			      .line = 1,
			      .col = 1,
			      .message = "m" };
		g_autofree char *h = evf_diag_format(&d);

		g_assert_cmpstr(e, ==, "caf\\xe9.md");
		g_assert_cmpstr(g, ==, "caf\\xe8.md \\xc3");
		g_assert_true(
		    g_str_has_prefix(h, "events/caf\\x5cxe9.md:1:1:"));
	}
	{
		/* and a file's name in a diagnostic */
		EvfDiag d = { .file = "events/a\nb\x1b[31m.md",
			      .line = 1,
			      .col = 1,
			      .message = "m" };
		g_autofree char *line = evf_diag_format(&d);

		g_assert_cmpstr(line, ==,
		                "events/a\\x0ab\\x1b[31m.md:1:1: error: m");
	}
}

/* ------------------------------------------------------ diagnostics */

/* (transfer full): what evf_diags_print writes. */
static char *
print_diags(GPtrArray *diags)
{
	FILE *f = tmpfile();
	GString *s = g_string_new(NULL);
	char buf[4096];
	size_t n;

	g_assert_nonnull(f);
	evf_diags_print(diags, f);
	rewind(f);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		g_string_append_len(s, buf, (gssize)n);
	fclose(f);
	return g_string_free(s, FALSE);
}

static void
test_diags_format(void)
{
	EvfDiag d = { .file = "feeds/events/x.md",
		      .line = 3,
		      .col = 8,
		      .message = "start: invalid date '2018-13-01'" };
	g_autofree char *full = evf_diag_format(&d);
	g_autofree char *no_col = NULL;
	g_autofree char *no_line = NULL;
	g_autofree char *no_file = NULL;
	g_autofree char *warning = NULL;

	g_assert_cmpstr(full, ==,
	                "feeds/events/x.md:3:8: error: start: invalid date "
	                "'2018-13-01'");
	d.col = 0;
	no_col = evf_diag_format(&d);
	g_assert_cmpstr(no_col, ==,
	                "feeds/events/x.md:3: error: start: invalid date "
	                "'2018-13-01'");
	d.line = 0;
	d.col = 5; /* a column without a line means nothing */
	no_line = evf_diag_format(&d);
	g_assert_cmpstr(no_line, ==,
	                "feeds/events/x.md: error: start: invalid date "
	                "'2018-13-01'");
	d.file = NULL;
	no_file = evf_diag_format(&d);
	g_assert_cmpstr(no_file, ==,
	                "evfeed: error: start: invalid date '2018-13-01'");
	d.file = "evfeed.conf";
	d.line = 12;
	d.col = 0;
	d.warning = TRUE;
	warning = evf_diag_format(&d);
	g_assert_cmpstr(warning, ==,
	                "evfeed.conf:12: warning: start: invalid "
	                "date '2018-13-01'");
}

static void
test_diags_sorted(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autofree char *out = NULL;

	evf_diags_add(diags, "b.md", 2, 1, "second file");
	evf_diags_add(diags, "a.md", 10, 1, "line ten");
	evf_diags_add(diags, "a.md", 9, 4, "line nine, column four");
	evf_diags_add(diags, "a.md", 9, 12, "line nine, column twelve");
	evf_diags_warn(diags, "a.md", 1, 1, "a warning");
	evf_diags_add(diags, "a.md", 9, 4, "another at nine four");
	out = print_diags(diags);
	/* Numbers sort as numbers: 9 before 10, 4 before 12. */
	g_assert_cmpstr(out, ==,
	                "a.md:1:1: warning: a warning\n"
	                "a.md:9:4: error: another at nine four\n"
	                "a.md:9:4: error: line nine, column four\n"
	                "a.md:9:12: error: line nine, column twelve\n"
	                "a.md:10:1: error: line ten\n"
	                "b.md:2:1: error: second file\n");
}

static void
test_diags_errors_and_warnings(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();

	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	evf_diags_warn(diags, "x.md", 1, 1, "only a warning");
	g_assert_cmpuint(diags->len, ==, 1);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 0);
	g_assert_true(((EvfDiag *)g_ptr_array_index(diags, 0))->warning);
	evf_diags_add(diags, "x.md", 2, 1, "an error %d", 1);
	evf_diags_add(diags, "y.md", 0, 0, "an error %s", "two");
	g_assert_cmpuint(diags->len, ==, 3);
	g_assert_cmpuint(evf_diags_errors(diags), ==, 2);
	g_assert_cmpstr(((EvfDiag *)g_ptr_array_index(diags, 2))->message, ==,
	                "an error two");
}

static void
test_diags_escape_controls(void)
{
	g_autoptr(GPtrArray) diags = evf_diags_new();
	g_autofree char *out = NULL;

	/* A message quoting a hostile value stays on one line. */
	evf_diags_add(diags, "x.md", 1, 1, "bad value '%s'",
	              "a\nx.md:1:1: error: forged\x1b[2J");
	out = print_diags(diags);
	g_assert_cmpstr(out, ==,
	                "x.md:1:1: error: bad value "
	                "'a\\x0ax.md:1:1: error: forged\\x1b[2J'\n");
}

/* -------------------------------------------------------- file read */

typedef struct {
	char *dir;
} TmpDir;

static void
tmpdir_setup(TmpDir *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	t->dir = g_dir_make_tmp("evfeed-test-util-XXXXXX", &error);
	g_assert_no_error(error);
}

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
tmpdir_teardown(TmpDir *t, gconstpointer data)
{
	rm_rf(t->dir);
	g_free(t->dir);
}

static char *
write_file(TmpDir *t, const char *name, const char *data, gssize len)
{
	char *path = g_build_filename(t->dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, data, len, &error);
	g_assert_no_error(error);
	return path;
}

static void
test_file_read_cap(TmpDir *t, gconstpointer data)
{
	g_autofree char *path = write_file(t, "ten", "0123456789", 10);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) exact = NULL;
	g_autoptr(GBytes) roomy = NULL;
	g_autoptr(GBytes) over = NULL;

	exact = evf_file_read(path, 10, &error);
	g_assert_no_error(error);
	g_assert_nonnull(exact);
	g_assert_cmpmem(g_bytes_get_data(exact, NULL), g_bytes_get_size(exact),
	                "0123456789", 10);

	roomy = evf_file_read(path, 1024, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(roomy), ==, 10);

	over = evf_file_read(path, 9, &error);
	g_assert_null(over);
	g_assert_error(error, EVF_ERROR, EVF_ERROR_INVALID);
	if (error != NULL)
		g_assert_nonnull(strstr(error->message, "larger than 9 bytes"));
}

static void
test_file_read_large(TmpDir *t, gconstpointer data)
{
	/* Larger than one read() chunk, so the cap is checked across
	 * chunks. */
	gsize size = 200 * 1024;
	g_autofree char *big = g_malloc(size);
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) all = NULL;
	g_autoptr(GBytes) capped = NULL;

	memset(big, 'a', size);
	path = write_file(t, "big", big, (gssize)size);
	all = evf_file_read(path, size, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(all), ==, size);
	capped = evf_file_read(path, 100 * 1024, &error);
	g_assert_null(capped);
	g_assert_error(error, EVF_ERROR, EVF_ERROR_INVALID);
}

static void
test_file_read_empty(TmpDir *t, gconstpointer data)
{
	g_autofree char *path = write_file(t, "empty", "", 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = evf_file_read(path, 0, &error);

	g_assert_no_error(error);
	g_assert_nonnull(b);
	g_assert_cmpuint(g_bytes_get_size(b), ==, 0);
}

static void
test_file_read_missing(TmpDir *t, gconstpointer data)
{
	g_autofree char *path = g_build_filename(t->dir, "nothing", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = evf_file_read(path, 100, &error);

	g_assert_null(b);
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_file_read_not_regular(TmpDir *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = evf_file_read(t->dir, 100, &error);
	g_autofree char *fifo = g_build_filename(t->dir, "pipe.md", NULL);
	g_autoptr(GError) error2 = NULL;
	g_autoptr(GBytes) b2 = NULL;

	g_assert_null(b);
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
	/* A FIFO with no writer must not block the reader. */
	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	b2 = evf_file_read(fifo, 100, &error2);
	g_assert_null(b2);
	g_assert_error(error2, G_FILE_ERROR, G_FILE_ERROR_INVAL);
}

static void
test_file_read_symlink(TmpDir *t, gconstpointer data)
{
	g_autofree char *target = write_file(t, "target", "secret", 6);
	g_autofree char *link = g_build_filename(t->dir, "link", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = NULL;

	g_assert_cmpint(symlink(target, link), ==, 0);
	b = evf_file_read(link, 100, &error);
	g_assert_null(b);
	g_assert_nonnull(error);
	/* The message names the cause, not ELOOP's "Too many levels". */
	if (error)
		g_assert_nonnull(strstr(error->message, "a symbolic link"));
}

static void
test_edit_distance(void)
{
	g_assert_cmpuint(evf_edit_distance("title", "title"), ==, 0);
	g_assert_cmpuint(evf_edit_distance("Title", "title"), ==, 0);
	g_assert_cmpuint(evf_edit_distance("titel", "title"), ==, 2);
	g_assert_cmpuint(evf_edit_distance("locaton", "location"), ==, 1);
	g_assert_cmpuint(evf_edit_distance("", "uid"), ==, 3);
	g_assert_cmpuint(evf_edit_distance("uid", ""), ==, 3);
	g_assert_cmpuint(
	    evf_edit_distance("a_key_name_far_longer_than_any_key", "url"), ==,
	    G_MAXUINT);
}

/* RFC 3339 times for the feeds: whole milliseconds (evfeed's own stamps)
 * with three digits, which every reader takes alike (ROME reads any
 * fraction as milliseconds, so ".075372" would be 75 s later); others
 * (a partner's) with six; none when the second is whole; before 1970
 * too. */
static void
test_rfc3339(void)
{
	static const struct {
		gint64 usec;
		const char *text;
	} cases[] = {
		{ G_GINT64_CONSTANT(1748779200000000), "2025-06-01T12:00:00Z" },
		{ G_GINT64_CONSTANT(1748779199999000),
		  "2025-06-01T11:59:59.999Z" },
		{ G_GINT64_CONSTANT(1748779200075000),
		  "2025-06-01T12:00:00.075Z" },
		{ G_GINT64_CONSTANT(1748779200075372),
		  "2025-06-01T12:00:00.075372Z" },
		{ G_GINT64_CONSTANT(1748779200000001),
		  "2025-06-01T12:00:00.000001Z" },
		{ G_GINT64_CONSTANT(-1500), "1969-12-31T23:59:59.998500Z" },
		{ G_GINT64_CONSTANT(-1000000), "1969-12-31T23:59:59Z" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = evf_xml_rfc3339(cases[i].usec);

		g_assert_cmpstr(got, ==, cases[i].text);
	}
}

/* Latin letters without a decomposition, which GLib's transliteration
 * drops, have their usual ASCII form: Međunarodna is not "me-unarodna". */
static void
test_slugify_latin_extra(void)
{
	check_slug("Me\xc4\x91unarodna konferencija",
	           "medunarodna-konferencija");
	check_slug("\xc4\x90"
	           "akovo",
	           "dakovo");
	check_slug("K\xc4\xb1"
	           "br\xc4\xb1"
	           "s I\xc5\x9f\xc4\xb1"
	           "k",
	           "kibris-isik");
	check_slug("\xc3\x9eingvellir", "thingvellir");
	check_slug("\xc4\xa6"
	           "al Far",
	           "hal-far");
	check_slug("Rei\xc3\xb0"
	           "ar",
	           "reidar");
}

/* A text with letters that have no ASCII form beside ones that have
 * (a Cyrillic or Japanese name with a year) keeps what it has, told apart
 * by the digest of the whole, so that two such texts do not share a
 * name; a text whose letters all have one, or whose other characters are
 * no letters (an emoji), is as before. */
static void
test_slugify_mixed_scripts(void)
{
	g_autofree char *a = evf_slugify("\xd0\xa4\xd0\xbe\xd1\x80\xd1\x83"
	                                 "\xd0\xbc 2018");
	g_autofree char *b =
	    evf_slugify("\xd0\x9a\xd0\xbe\xd0\xbd\xd0\xb3"
	                "\xd1\x80\xd0\xb5\xd1\x81\xd1\x81 2018");
	g_autofree char *c = evf_slugify("\xe6\x9d\xb1\xe4\xba\xac AI "
	                                 "\xe4\xbc\x9a\xe8\xad\xb0");
	g_autofree char *d = evf_slugify("\xe5\xa4\xa7\xe9\x98\xaa AI "
	                                 "\xe4\xbc\x9a\xe8\xad\xb0");

	g_assert_cmpstr(a, !=, b);
	g_assert_cmpstr(c, !=, d);
	g_assert_true(g_regex_match_simple("^2018-[0-9a-f]{10}$", a, 0, 0));
	g_assert_true(g_regex_match_simple("^ai-[0-9a-f]{10}$", c, 0, 0));
	check_slug("Party \xf0\x9f\x8e\x89 2018", "party-2018");
	check_slug("Caf\xc3\xa9 2018", "cafe-2018");
}

/* A host written without its scheme is told from a file's name or a path
 * by the Public Suffix List. */
static void
test_url_bare_host(void)
{
	static const char *const hosts[] = {
		"facebook.com/events/1234567890",
		"eventbrite.de/e/konzert-tickets-123",
		"example.org/",
		"www.gov.si/novice?x=1",
		"MEETUP.COM/group",
		"m\u00fcnchen.de/termine",
	};
	static const char *const others[] = {
		"events.html",
		"index.php?id=3",
		"report.pdf",
		"/event/jazz/",
		"event/jazz",
		"co.uk/x",
		"127.0.0.1/x",
		"x.local/a",
		"a b.com/x",
		".example.org/x",
		"",
		"example./x",
		"localhost/x",
		/* files' names under public suffixes, with no path after */
		"viewEvent.do?id=12",
		"calendar.pl?event=3",
		"README.md",
		"program.zip",
		"example.org",
		"site.com.hr#top",
		/* no DNS name */
		"-example.com/x",
		"example-.com/x",
		"a..b.com/x",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		".com/x",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(hosts); i++) {
		g_test_message("%s", hosts[i]);
		g_assert_true(evf_url_bare_host(hosts[i]));
	}
	for (gsize i = 0; i < G_N_ELEMENTS(others); i++) {
		g_test_message("%s", others[i]);
		g_assert_false(evf_url_bare_host(others[i]));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* A failed check fails its test only, and the others still run. */
	g_test_set_nonfatal_assertions();

	g_test_add_func("/util/uuid5/rfc9562-vector",
	                test_uuid5_rfc9562_vector);
	g_test_add_func("/util/uuid5/url-namespace", test_uuid5_url_namespace);
	g_test_add_func("/util/uuid5/utf8-name", test_uuid5_utf8_name);
	g_test_add_func("/util/uuid5/upper-case-namespace",
	                test_uuid5_upper_case_namespace);
	g_test_add_func("/util/uuid5/shape", test_uuid5_shape);

	g_test_add_func("/util/rfc3339", test_rfc3339);
	g_test_add_func("/util/url-bare-host", test_url_bare_host);
	g_test_add_func("/util/slugify/ascii", test_slugify_ascii);
	g_test_add_func("/util/slugify/accents", test_slugify_accents);
	g_test_add_func("/util/slugify/punctuation-runs",
	                test_slugify_punctuation_runs);
	g_test_add_func("/util/slugify/long", test_slugify_long);
	g_test_add_func("/util/slugify/never-empty", test_slugify_never_empty);
	g_test_add_func("/util/slugify/latin-extra", test_slugify_latin_extra);
	g_test_add_func("/util/slugify/mixed-scripts",
	                test_slugify_mixed_scripts);

	g_test_add_func("/util/text-sanitize/invalid-utf8",
	                test_text_sanitize_invalid_utf8);
	g_test_add_func("/util/text-sanitize/c0-controls",
	                test_text_sanitize_c0_controls);
	g_test_add_func("/util/text-sanitize/c1-controls",
	                test_text_sanitize_c1_controls);
	g_test_add_func("/util/text-sanitize/line-endings",
	                test_text_sanitize_line_endings);
	g_test_add_func("/util/text-sanitize/noncharacters",
	                test_text_sanitize_noncharacters);
	g_test_add_func("/util/text-sanitize/length",
	                test_text_sanitize_length);
	g_test_add_func("/util/text-sanitize/nul-dropped",
	                test_text_sanitize_nul);
	g_test_add_func("/util/text-sanitize/keeps-unicode",
	                test_text_sanitize_keeps_unicode);
	g_test_add_func("/util/text-oneline", test_text_oneline);
	g_test_add_func("/util/text-oneline/bidi", test_text_oneline_bidi);
	g_test_add_func("/util/text-cut", test_text_cut);
	g_test_add_func("/util/name-told", test_name_told);
	g_test_add_func("/util/text-nfc", test_text_nfc);
	g_test_add_func("/util/text-mend", test_text_mend);
	g_test_add_func("/util/log-escape", test_log_escape);

	g_test_add_func("/util/diags/format", test_diags_format);
	g_test_add_func("/util/diags/sorted", test_diags_sorted);
	g_test_add_func("/util/diags/errors-and-warnings",
	                test_diags_errors_and_warnings);
	g_test_add_func("/util/edit-distance", test_edit_distance);
	g_test_add_func("/util/diags/escape-controls",
	                test_diags_escape_controls);

	g_test_add("/util/file-read/cap", TmpDir, NULL, tmpdir_setup,
	           test_file_read_cap, tmpdir_teardown);
	g_test_add("/util/file-read/large", TmpDir, NULL, tmpdir_setup,
	           test_file_read_large, tmpdir_teardown);
	g_test_add("/util/file-read/empty", TmpDir, NULL, tmpdir_setup,
	           test_file_read_empty, tmpdir_teardown);
	g_test_add("/util/file-read/missing", TmpDir, NULL, tmpdir_setup,
	           test_file_read_missing, tmpdir_teardown);
	g_test_add("/util/file-read/not-regular", TmpDir, NULL, tmpdir_setup,
	           test_file_read_not_regular, tmpdir_teardown);
	g_test_add("/util/file-read/symlink-refused", TmpDir, NULL,
	           tmpdir_setup, test_file_read_symlink, tmpdir_teardown);

	return g_test_run();
}
