/*
 * eventfile.c: reads an event file (see eventfile.h).
 *
 * libyaml is driven through its event API into a small tree, with caps on
 * the number of events and the nesting depth, and anchors and aliases are
 * refused, so a hostile file costs little. libyaml accepts duplicate keys
 * and embedded NULs silently; both are checked here. Positions in the front
 * matter are mapped back to lines of the whole file.
 */
#define _GNU_SOURCE /* memmem */
#include "autoconf.h"
#include "eventfile.h"

#include "autocleanups.h"
#include "html.h"
#include "markdown.h"
#include "rrule.h"
#include "tz.h"
#include "util.h"

#include <libical/ical.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16
#define MAX_NODES 10000
#define MAX_UID   200
/* Each category gets its own calendar, feeds and pages, which list each
 * of its events with all of that event's categories: an event with n of
 * them is written n times with n names, and 2,000 made a gigabyte. */
#define MAX_CATEGORIES EVF_CONFIG_MAX_CATEGORIES

/* U+FFFD, which stands for a character that a wrong encoding lost (a
 * text copied from a page or a file read as another encoding): an event
 * file with it is refused, so that the character meant is written, and
 * the W3C feed validator warns of it in a feed (BadCharacters). */
#define REPLACEMENT "\xef\xbf\xbd"
#define REPLACEMENT_ERROR                                               \
	"the replacement character U+FFFD (\xef\xbf\xbd) stands for a " \
	"character lost to a wrong encoding: write the character meant"

typedef enum { NODE_SCALAR, NODE_SEQUENCE, NODE_MAPPING } NodeKind;

typedef struct Node {
	NodeKind kind;
	char *value;    /* scalar */
	gboolean plain; /* an unquoted scalar (null can only be plain) */
	guint line;     /* of the whole file, from 1 */
	guint col;
	/* where the scalar's first U+FFFD, and its first noncharacter, is
	 * written as itself (not as an escape); 0 if it is not */
	guint fffd_line, fffd_col, nonchar_line, nonchar_col;
	/* (in double quotes) where the escape that makes its first control
	 * character is, and the escape as written; 0 and NULL if none */
	guint control_line, control_col;
	char *control_escape;
	guint lines; /* scalar: the lines its text is written over */
	/* (plain scalar) a line of it after the first begins with a bullet
	 * (list_bullet), as a list mistyped */
	const char *bullet;
	GPtrArray *items; /* sequence: Node*; mapping: key, value, key, … */
} Node;

static void
node_free(gpointer p)
{
	Node *n = p;

	if (n == NULL)
		return;
	g_free(n->value);
	g_free(n->control_escape);
	if (n->items != NULL)
		g_ptr_array_unref(n->items);
	g_free(n);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Node, node_free)

typedef struct {
	const char *path;
	const char *text; /* the front matter, @len bytes */
	gsize len;
	guint line_offset; /* file line of the front matter's first line, - 1 */
	GPtrArray *diags;
	yaml_parser_t parser;
	guint nodes; /* read so far */
	gboolean failed;
	/* (nullable): the character index at which each line of the front
	 * matter starts, where libyaml counts lines otherwise than the file
	 * has them (see line_starts) */
	GArray *starts;
	/* the positions (Position) of the values refused as they were
	 * read: a NUL or an alias, which the front matter holds as empty
	 * texts, and a node with an anchor or a tag, read as it is; the
	 * rest is read
	 * with them, but what the fields say of those is not said
	 * (drop_diags_at_values) */
	GArray *refused;
	/* anchors, and aliases, are refused once per file: an alias bomb
	 * holds thousands */
	gboolean anchor_said, alias_said;
	/* (nullable): the top-level mapping as far as it was read when the
	 * front matter proved not YAML, without the pair being read then */
	struct Node *partial;
	/* the text holds a '#' after a space or tab: a comment can follow a
	 * value (warn_comment_cut) */
	gboolean comments;
	/* (nullable): the top-level key whose value is being read */
	const char *key;
	/* where text_at last looked: a character index, and its byte (the
	 * values come in order: each is found from the last) */
	gsize at_index;
	const char *at;
} Reader;

typedef struct {
	guint line, col;
} Position;

/* Where the lines of @text (@len bytes of UTF-8) start, counted in
 * characters as libyaml counts a mark's index; NULL when libyaml's own
 * line numbers are the file's. YAML 1.1 also breaks lines at NEL
 * (U+0085, what a Windows-1252 '…' becomes when read as Latin-1), at
 * U+2028 and U+2029 and at a CR alone, where an editor shows none: every
 * line after one would be reported a line too far. */
static GArray *
line_starts(const char *text, gsize len)
{
	GArray *starts;
	gsize index = 0;
	gboolean other = FALSE;

	/* (every event file is read: the bytes are looked at first) */
	for (gsize i = 0; i < len && !other; i++)
		other = (text[i] == '\r' &&
		         (i + 1 == len || text[i + 1] != '\n')) ||
		        (i + 1 < len && (guchar)text[i] == 0xc2 &&
		         (guchar)text[i + 1] == 0x85) ||
		        (i + 2 < len && (guchar)text[i] == 0xe2 &&
		         (guchar)text[i + 1] == 0x80 &&
		         ((guchar)text[i + 2] == 0xa8 ||
		          (guchar)text[i + 2] == 0xa9));
	if (!other)
		return NULL;
	starts = g_array_new(FALSE, FALSE, sizeof(gsize));
	g_array_append_val(starts, index);
	for (const char *p = text, *end = text + len; p < end;
	     p = g_utf8_next_char(p), index++)
		if (*p == '\n') {
			gsize next = index + 1;

			g_array_append_val(starts, next);
		}
	return starts;
}

/* Position (1-based line and column) of byte @offset in @data. */
static void
position(const char *data, gsize offset, guint *line, guint *col)
{
	*line = 1;
	*col = 1;
	for (gsize i = 0; i < offset; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((guchar)data[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Position of byte @offset of the file @data, whose byte order mark, if
 * it has one, is no column of its first line (it is not shown, and is
 * ignored). */
static void
file_position(const char *data, gsize offset, guint *line, guint *col)
{
	if (offset >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		position(data + 3, offset - 3, line, col);
	else
		position(data, offset, line, col);
}

/* The most lines of one kind of mistake told each at its place (each line
 * of a description saved in another encoding would be one). */
#define MAX_ENCODING_ERRORS 20

/* Counts on from one position of the file @data to a later one, so that
 * the mistakes of many lines are placed in one pass over it. */
typedef struct {
	const char *data;
	const char *at; /* where the last position found is */
	guint line;     /* its line */
} LineCounter;

static void
line_counter_init(LineCounter *lc, const char *data)
{
	lc->data = data;
	lc->at = data;
	lc->line = 1;
}

/* The position of @p, at or after the last one @lc found. */
static void
line_counter_position(LineCounter *lc, const char *p, guint *line, guint *col)
{
	const char *start;

	for (const char *q = lc->at; (q = memchr(q, '\n', p - q)) != NULL; q++)
		lc->line++;
	lc->at = p;
	start = memrchr(lc->data, '\n', p - lc->data);
	if (start == NULL) {
		file_position(lc->data, p - lc->data, line, col);
		return;
	}
	position(start + 1, p - start - 1, line, col);
	*line = lc->line;
}

/* Mistakes of one kind told a line each, in order (a description saved
 * in another encoding would have one on every line): the first
 * MAX_ENCODING_ERRORS - 1 each at its place, then one at the next, with
 * how many lines more have one. */
typedef struct {
	GPtrArray *diags;
	const char *path;
	LineCounter lines;
	guint told;        /* each at its place */
	const char *next;  /* the first not told so */
	const char *alone; /* its message, were it the last */
	guint more;        /* the lines after it */
	gboolean warning;  /* warnings, not errors */
} LineMistakes;

static void
line_mistakes_init(LineMistakes *m, GPtrArray *diags, const char *path,
                   const char *data, guint told)
{
	*m = (LineMistakes){ .diags = diags, .path = path, .told = told };
	line_counter_init(&m->lines, data);
}

/* @message told at @line, @col as @m tells: an error or a warning. */
static void
line_mistake_tell(const LineMistakes *m, guint line, guint col,
                  const char *message)
{
	if (m->warning)
		evf_diags_warn(m->diags, m->path, line, col, "%s", message);
	else
		evf_diags_add(m->diags, m->path, line, col, "%s", message);
}

/* The mistake told as @message at @at, later in the file than the last. */
static void
line_mistake(LineMistakes *m, const char *at, const char *message)
{
	guint line, col;

	if (m->told < MAX_ENCODING_ERRORS - 1) {
		line_counter_position(&m->lines, at, &line, &col);
		line_mistake_tell(m, line, col, message);
		m->told++;
	} else if (m->next == NULL) {
		m->next = at;
		m->alone = message;
	} else {
		m->more++;
	}
}

/* Tells the mistakes not told each at its place, as "@what here and on N
 * more lines: @advice". */
static void
line_mistakes_end(LineMistakes *m, const char *what, const char *advice)
{
	guint line, col;

	if (m->next == NULL)
		return;
	line_counter_position(&m->lines, m->next, &line, &col);
	if (m->more == 0) {
		line_mistake_tell(m, line, col, m->alone);
	} else {
		g_autofree char *told =
		    g_strdup_printf("%s here and on %u more line%s: %s", what,
		                    m->more, m->more == 1 ? "" : "s", advice);

		line_mistake_tell(m, line, col, told);
	}
}

/* The line and column of the file at which @mark is. */
static void
mark_position(const Reader *r, yaml_mark_t mark, guint *line, guint *col)
{
	guint lo = 0, hi;

	if (r->starts == NULL) {
		*line = mark.line + 1 + r->line_offset;
		*col = mark.column + 1;
		return;
	}
	/* the last line that starts at or before the mark */
	hi = r->starts->len;
	while (hi - lo > 1) {
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(r->starts, gsize, mid) <= mark.index)
			lo = mid;
		else
			hi = mid;
	}
	*line = lo + 1 + r->line_offset;
	*col = mark.index - g_array_index(r->starts, gsize, lo) + 1;
}

/* Reports @msg at @mark, of a node that libyaml read well but that an
 * event file cannot hold (an anchor, an alias, a tag, a NUL): the rest
 * of the front matter is read on, and its other mistakes reported. */
static void
reader_refuse(Reader *r, yaml_mark_t mark, const char *msg)
{
	guint line, col;

	mark_position(r, mark, &line, &col);
	if (!r->failed)
		evf_diags_add(r->diags, r->path, line, col, "%s", msg);
}

/* Reports @msg at @mark, after which the front matter is read no more. */
static void
reader_error(Reader *r, yaml_mark_t mark, const char *msg)
{
	reader_refuse(r, mark, msg);
	r->failed = TRUE;
}

/* Keeps @mark among the positions of values refused (Reader.refused). */
static void
refused_at(Reader *r, yaml_mark_t mark)
{
	Position at;

	mark_position(r, mark, &at.line, &at.col);
	g_array_append_val(r->refused, at);
}

/* An empty text in place of a value refused (reader_refuse) at @mark. */
static Node *
refused_value(Reader *r, yaml_mark_t mark)
{
	Node *n = g_new0(Node, 1);

	n->kind = NODE_SCALAR;
	n->value = g_strdup("");
	mark_position(r, mark, &n->line, &n->col);
	refused_at(r, mark);
	return n;
}

/* Refuses an anchor or an alias at @mark, saying @msg for the first of
 * its kind, of which @said says. */
static void
refuse_anchors(Reader *r, yaml_mark_t mark, gboolean *said, const char *msg)
{
	if (!*said)
		reader_refuse(r, mark, msg);
	*said = TRUE;
	refused_at(r, mark);
}

/* (transfer full): the line @line of the file, which is in the front
 * matter, without its line break. */
static char *
front_matter_line(const Reader *r, guint line)
{
	const char *p = r->text, *end = r->text + r->len, *nl;

	for (guint i = r->line_offset + 1; i < line && p < end; i++) {
		nl = memchr(p, '\n', end - p);
		p = nl != NULL ? nl + 1 : end;
	}
	nl = memchr(p, '\n', end - p);
	return g_strndup(p, (nl != NULL ? nl : end) - p);
}

/* (nullable): the '#' that begins a YAML comment in the line @text of the
 * front matter after the '[' or '{' at @open (a character index; when
 * negative, one that begins the line's value), before what closes it,
 * outside quotes (a quote that begins an item; a "'" inside one,
 * "women's", is text), after a space, a tab, a '[', '{' or ',': it hides
 * the rest of the line, the ']' too. *@opener gets the '[' or '{'. */
static const char *
flow_comment(const char *text, glong open, char *opener)
{
	const char *p = text;
	char quote = '\0';
	gboolean item_start = TRUE;
	guint depth = 1;

	if (open >= 0) {
		for (glong i = 0; i < open && *p != '\0'; i++)
			p = g_utf8_next_char(p);
	} else {
		/* a list or mapping that is the value: "key: [", "- [" */
		const char *colon = strstr(text, ": ");

		p = colon != NULL ? colon + 2 : text + strspn(text, " \t");
		if (colon == NULL && *p == '-')
			p++;
		p += strspn(p, " \t");
	}
	if (*p != '[' && *p != '{')
		return NULL;
	*opener = *p;
	for (const char *q = p + 1; *q != '\0'; q++) {
		if (quote != '\0') {
			if (*q == quote)
				quote = '\0';
		} else if (item_start && (*q == '"' || *q == '\'')) {
			quote = *q;
		} else if (*q == '#' &&
		           (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '[' ||
		            q[-1] == '{' || q[-1] == ',')) {
			return q;
		} else if (*q == '[' || *q == '{') {
			depth++;
		} else if ((*q == ']' || *q == '}') && --depth == 0) {
			return NULL; /* closed: no comment hid it */
		}
		if (*q == ',' || *q == '[' || *q == '{')
			item_start = TRUE;
		else if (*q != ' ' && *q != '\t')
			item_start = FALSE;
	}
	return NULL;
}

/* (transfer full): the hint for the comment at @hash in the front
 * matter's line @line (@text), which hides the ']' or '}' of the list or
 * mapping that @opener opens on it: *@at is moved to the '#'. */
static char *
flow_comment_hint(const Reader *r, guint line, const char *text,
                  const char *hash, char opener, yaml_mark_t *at)
{
	const char *item = hash;
	glong chars = g_utf8_pointer_to_offset(text, hash);
	g_autofree char *comment = g_strdup(hash);
	g_autofree char *name = NULL;
	gsize k = line - 1 - r->line_offset;

	/* the name meant: its item, up to the comment's ',' or ']' */
	while (item > text && strchr(",[{", item[-1]) == NULL)
		item--;
	name = g_strndup(item, (gsize)(hash - item) + strcspn(hash, ",]}"));
	g_strstrip(name);
	g_strchomp(comment);
	at->line = k;
	at->column = (size_t)chars;
	at->index = (r->starts != NULL && k < r->starts->len
	                 ? g_array_index(r->starts, gsize, k)
	                 : 0) +
	            (size_t)chars;
	return g_strdup_printf("'%s' is a YAML comment, and hides the '%c' "
	                       "that closes the %s on line %u: put the name "
	                       "in quotes, as \"%s\"",
	                       comment, opener == '{' ? '}' : ']',
	                       opener == '{' ? "mapping" : "list", line, name);
}

/* (transfer full) (nullable): flow_comment_hint() for the nearest line of
 * the front matter before @line (the last twenty) whose list or mapping
 * a comment left open. */
static char *
flow_comment_above(const Reader *r, guint line, yaml_mark_t *at)
{
	for (guint l = line; l > r->line_offset + 1 && line - l < 20; l--) {
		g_autofree char *text = front_matter_line(r, l - 1);
		char opener;
		const char *hash = flow_comment(text, -1, &opener);

		if (hash != NULL)
			return flow_comment_hint(r, l - 1, text, hash, opener,
			                         at);
	}
	return NULL;
}

/* The spaces that the line at @p (up to @end) starts with; G_MAXUINT
 * for a blank line. */
static guint
line_indent(const char *p, const char *end)
{
	guint n = 0;

	while (p + n < end && p[n] == ' ')
		n++;
	return p + n == end || p[n] == '\n' || p[n] == '\r' ? G_MAXUINT : n;
}

/* (transfer full) (nullable): where the line @line of the front matter,
 * indented, is in a literal or folded block ("title: |") whose first line
 * is indented more: that line sets the block's indentation (unless the
 * block says it after its '|'), and libyaml says only that it found no
 * key. */
static char *
block_indent_hint(const Reader *r, guint line)
{
	static GRegex *opens;
	const char *start = r->text, *end = r->text + r->len, *p;
	guint indent, first = 0, first_line = 0, at = line;

	for (guint i = r->line_offset + 1; i < line && start < end; i++) {
		const char *nl = memchr(start, '\n', end - start);

		start = nl != NULL ? nl + 1 : end;
	}
	indent = line_indent(start, end);
	if (indent == 0 || indent == G_MAXUINT)
		return NULL;
	/* up through the block's lines, each blank or indented more */
	for (p = start; p > r->text; at--) {
		const char *prev = p - 1;
		guint in;

		while (prev > r->text && prev[-1] != '\n')
			prev--;
		p = prev;
		in = line_indent(p, end);
		if (in == G_MAXUINT)
			continue;
		if (in > indent) {
			first = in;
			first_line = at - 1;
			continue;
		}
		if (first != 0) {
			const char *eol = memchr(p, '\n', end - p);
			g_autofree char *text =
			    g_strndup(p, (eol != NULL ? eol : end) - p);
			g_autoptr(GMatchInfo) m = NULL;

			if (g_regex_match(
			        evf_regex_once(&opens,
			                       ":[ \t]+([|>][-+]?)[ \t]*"
			                       "(#.*)?\r?$",
			                       0),
			        text, 0, &m)) {
				g_autofree char *opener =
				    g_match_info_fetch(m, 1);

				return g_strdup_printf(
				    "the block that the '%s' of line %u opens "
				    "takes the indentation of its first line, "
				    "line %u (%u spaces), and this one has %u: "
				    "indent its lines alike, or give the "
				    "indentation after the '%s' (such as "
				    "'%s%u')",
				    opener, at - 1, first_line, first, indent,
				    opener, opener, indent - in);
			}
		}
		return NULL;
	}
	return NULL;
}

/* (transfer full): @value as a YAML quoted string: in double quotes
 * unless it holds one or a backslash, else in single quotes. */
static char *
quoted(const char *value)
{
	g_auto(GStrv) parts = NULL;
	g_autofree char *doubled = NULL;

	if (strpbrk(value, "\"\\") == NULL)
		return g_strdup_printf("\"%s\"", value);
	parts = g_strsplit(value, "'", -1);
	doubled = g_strjoinv("''", parts);
	return g_strdup_printf("'%s'", doubled);
}

static const char *const known_keys[] = {
	"title",      "start", "end",        "timezone",
	"location",   "geo",   "organizer",  "organizer_email",
	"categories", "url",   "status",     "uid",
	"published",  "image", "recurrence",
};

/* Whether @key is one an event file's front matter takes. */
static gboolean
is_known_key(const char *key, gsize len)
{
	for (gsize j = 0; j < G_N_ELEMENTS(known_keys); j++)
		if (strlen(known_keys[j]) == len &&
		    strncmp(known_keys[j], key, len) == 0)
			return TRUE;
	return FALSE;
}

/* The bracket that closes the list or mapping @value opens with its
 * first character ('[' or '{'), outside quotes; NULL when none does. */
static const char *
closing_bracket(const char *value)
{
	guint depth = 0;
	char quote = '\0';

	for (const char *p = value; *p != '\0'; p++) {
		if (quote != '\0') {
			if (*p == quote)
				quote = '\0';
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '[' || *p == '{') {
			depth++;
		} else if ((*p == ']' || *p == '}') && depth > 0 &&
		           --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* (transfer full): what an editor did wrong on @text, the line of the
 * file at which libyaml found @problem, in words that say how to put it
 * right; NULL when that is not known. YAML gives meaning to a value's
 * first character and to ': ' in it, which titles copied from a listing
 * often have. */
static char *
syntax_hint(const char *text, const char *problem)
{
	static GRegex *key_line, *list_item, *list_dash, *star_item,
	    *wrapped_colon;
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *indent = NULL, *key = NULL, *space = NULL;
	g_autofree char *value = NULL, *fixed = NULL;
	const char *shut;
	gboolean list_key;
	gsize n;

	{
		/* what YAML 1.1 breaks a line at, where an editor shows
		 * none: pasted from a word processor */
		const char *cr = strchr(text, '\r');
		const char *at =
		    cr != NULL && cr[1] != '\0'      ? "a carriage return (CR)"
		    : strstr(text, "\u2028") != NULL ? "a line separator "
		                                       "(U+2028)"
		    : strstr(text, "\u2029") != NULL
		        ? "a paragraph separator (U+2029)"
		    : strstr(text, "\xc2\x85") != NULL
		        ? "a next line character "
		          "(U+0085)"
		        : NULL;

		if (at != NULL)
			return g_strdup_printf("the line holds %s, which YAML "
			                       "takes for a line break: delete "
			                       "it, or put the value in quotes",
			                       at);
	}
	if (g_str_has_prefix(text, "<<<<<<<") ||
	    g_str_has_prefix(text, "=======") ||
	    g_str_has_prefix(text, ">>>>>>>") ||
	    g_str_has_prefix(text, "|||||||"))
		return g_strdup("a merge conflict's marker: keep one side, and "
		                "delete the markers ('<<<<<<<', '=======' and "
		                "'>>>>>>>')");
	if (g_regex_match(evf_regex_once(&list_dash, "^\\s*-[^\\s-]", 0), text,
	                  0, NULL))
		return g_strdup("a list's item starts with '- ', a space "
		                "after the dash");
	if ((strstr(problem, "cannot start any token") != NULL ||
	     strstr(problem, "tab character") != NULL) &&
	    strchr(text, '\t') != NULL)
		return g_strdup("a tab character: YAML indents and separates "
		                "with spaces only");
	if (g_regex_match(evf_regex_once(&list_item, "^\\s*- ", 0), text, 0,
	                  NULL) &&
	    strstr(problem, "expected key") != NULL)
		return g_strdup("the items of a list must start in the same "
		                "column, one under the other");
	if (strstr(problem, "<document start>") != NULL)
		return g_strdup("every key starts at the beginning of its "
		                "line, with no space before it");
	/* "  * security": a Markdown list, which YAML reads as an alias */
	if (g_regex_match(evf_regex_once(&star_item, "^ +\\* ", 0), text, 0,
	                  NULL))
		return g_strdup("a list's item starts with '- ', not '* '");
	/* "  Kotnikova 8: Room C", a line of a value that runs over several
	 * lines, whose ': ' YAML reads as a key's (one that names a key is
	 * told of below) */
	if (g_regex_match(evf_regex_once(&wrapped_colon,
	                                 "^ +[^-#\\s][^:]*[^A-Za-z0-9_:][^:]*"
	                                 ":( |$)",
	                                 0),
	                  text, 0, NULL))
		return g_strdup(
		    "an indented line, which continues the value "
		    "above, holds ': ', which YAML reads as a key's: "
		    "put the whole value in quotes");
	if (!g_regex_match(evf_regex_once(&key_line,
	                                  "^( *)([A-Za-z_][A-Za-z0-9_]*):"
	                                  "([ \\t]*)(.*?)\\s*$",
	                                  0),
	                   text, 0, &m))
		return strstr(text, "\xef\xbc\x9a") != NULL
		           ? g_strdup("expected a line 'key: value': '\xef\xbc"
		                      "\x9a' is a fullwidth colon: write ':' "
		                      "instead")
		       : strstr(problem, "could not find expected ':'") != NULL
		           ? g_strdup("expected a line 'key: value' (the "
		                      "description goes after the closing "
		                      "'---')")
		           : NULL;
	indent = g_match_info_fetch(m, 1);
	key = g_match_info_fetch(m, 2);
	space = g_match_info_fetch(m, 3);
	value = g_match_info_fetch(m, 4);
	/* "  C: east", a line of a value that runs over several lines,
	 * whose ': ' YAML reads as a key's */
	if (indent[0] != '\0' && !is_known_key(key, strlen(key)))
		return g_strdup_printf("'%s:' is on an indented line, which "
		                       "continues the value above, and YAML "
		                       "reads it as a key: put the whole "
		                       "value in quotes",
		                       key);
	if (indent[0] != '\0')
		return g_strdup_printf("'%s' is indented: every key starts at "
		                       "the beginning of its line",
		                       key);
	if (space[0] == '\0' && value[0] != '\0' && (guchar)value[0] >= 0x80 &&
	    g_unichar_isspace(g_utf8_get_char_validated(value, -1))) {
		/* title:\u00a0X, as a word processor writes it; an
		 * ideographic space, as a Japanese or Chinese keyboard
		 * does */
		gunichar u = g_utf8_get_char(value);

		return g_strdup_printf(
		    "the space after '%s:' is %s (U+%04X), which YAML does "
		    "not count as one: type an ordinary space",
		    key,
		    u == 0x3000 ? "an ideographic space"
		    : u == 0xA0 || u == 0x202F || u == 0x2007
		        ? "a no-break space"
		        : "another kind of space",
		    u);
	}
	if (space[0] == '\0' && value[0] != '\0')
		return g_strdup_printf("a space is missing after '%s:' (write "
		                       "'%s: %s')",
		                       key, key, value);
	n = strlen(value);
	list_key =
	    strcmp(key, "categories") == 0 || strcmp(key, "organizer") == 0;
	if (list_key && n >= 2 && (value[0] == '"' || value[0] == '\'') &&
	    (shut = strchr(value + 1, value[0])) != NULL &&
	    shut[1 + strspn(shut + 1, " \t")] == ',') {
		/* organizer: "OSCE", "UNODC": two meant, as a list (and a
		 * comment after it kept after the brackets) */
		const char *last = strrchr(value, value[0]);
		const char *comment = strstr(last, " #");
		g_autofree char *items = comment != NULL
		                             ? g_strndup(value, comment - value)
		                             : g_strdup(value);

		return g_strdup_printf("%s: several are written as a list, "
		                       "in brackets: %s: [%s]%s",
		                       key, key, g_strchomp(items),
		                       comment != NULL ? comment : "");
	}
	if (list_key && value[0] == '-' && value[1] == ' ')
		return g_strdup_printf("%s: a list's items go on lines of "
		                       "their own below '%s:', each as "
		                       "'  - name'",
		                       key, key);
	if (n >= 2 && (value[0] == '"' || value[0] == '\'') &&
	    strchr(value + 1, value[0]) != value + n - 1) {
		/* "The "Big" Event": the text after a closing quote */
		g_autofree char *inner = value[n - 1] == value[0]
		                             ? g_strndup(value + 1, n - 2)
		                             : g_strdup(value);

		fixed = quoted(inner);
		return g_strdup_printf(
		    "%s: text after the closing quote; to have %s "
		    "in a value, put the value in the other kind of quotes: "
		    "%s: %s",
		    key, value[0] == '"' ? "a '\"'" : "an apostrophe", key,
		    fixed);
	}
	/* '[' and '{' open the lists that these keys take: the mistake is
	 * inside, and YAML's message says where */
	if ((value[0] == '[' || value[0] == '{') &&
	    (list_key || strcmp(key, "geo") == 0)) {
		const char *close = closing_bracket(value);

		if (close != NULL &&
		    close[1 + strspn(close + 1, " \t")] != '\0')
			return g_strdup_printf("%s: text after the list's "
			                       "closing '%c': put every item "
			                       "inside the brackets",
			                       key, *close);
		return NULL;
	}
	if (value[0] != '\0' && (strchr("@`%*&!|>?[{", value[0]) != NULL ||
	                         (value[0] == '-' && value[1] == ' '))) {
		fixed = quoted(value);
		return g_strdup_printf("%s: a value that begins with '%c' must "
		                       "be put in quotes: %s: %s",
		                       key, value[0], key, fixed);
	}
	if (strstr(value, ": ") != NULL || strstr(value, ":\t") != NULL) {
		fixed = quoted(value);
		return g_strdup_printf("%s: a value that holds ': ' must be "
		                       "put in quotes: %s: %s",
		                       key, key, fixed);
	}
	if (g_str_has_suffix(value, ":")) {
		fixed = quoted(value);
		return g_strdup_printf("%s: a value that ends in ':' must be "
		                       "put in quotes: %s: %s",
		                       key, key, fixed);
	}
	return NULL;
}

/* Messages for the characters a file cannot hold: a NUL, invalid UTF-8,
 * and those YAML does not read (RFC-less libyaml: a control character
 * but tab and line ends, U+FFFE, U+FFFF). */
#define NUL_ERROR "a NUL character is not allowed"
#define INVALID_UTF8_ERROR                                                     \
	"invalid UTF-8 (a file saved as Windows-1252 or ISO 8859? save it as " \
	"UTF-8)"
#define NONCHARACTER_ERROR "the noncharacter U+%04X is not allowed: delete it"
#define CONTROL_ERROR                                                        \
	"the control character U+%04X is not allowed: delete it (to have a " \
	"line break or a tab in a value, write \\n or \\t in double quotes)"

/* libyaml's error on a character it does not read (a control character,
 * U+FFFE): its mark is not set, its byte offset is. */
static void
character_error(Reader *r)
{
	gsize at = MIN(r->parser.problem_offset, r->len);
	int value = r->parser.problem_value;
	guint line, col;

	position(r->text, at, &line, &col);
	line += r->line_offset;
	if (r->failed) {
		return;
	} else if (value >= 0 && (value & 0xfffe) == 0xfffe) {
		evf_diags_add(r->diags, r->path, line, col, NONCHARACTER_ERROR,
		              (unsigned)value);
	} else if (value >= 0 && r->parser.problem != NULL &&
	           strstr(r->parser.problem, "control") != NULL) {
		evf_diags_add(r->diags, r->path, line, col, CONTROL_ERROR,
		              (unsigned)value);
	} else {
		evf_diags_add(r->diags, r->path, line, col, "%s",
		              r->parser.problem != NULL
		                  ? r->parser.problem
		                  : "unreadable character");
	}
	r->failed = TRUE;
}

/* %YAML 1.1, %TAG: a document's directives, which come before a '---'
 * that the front matter has had already. libyaml says it found no
 * document start, on the line after: the error is put at the first line
 * that begins with '%', when there is one (FALSE when none). */
static gboolean
directive_error(Reader *r)
{
	yaml_mark_t at = { 0 };

	for (const char *p = r->text, *end = r->text + r->len; p < end;) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));

		if (*p == '%') {
			reader_error(
			    r, at,
			    "a line that begins with '%' is a YAML "
			    "directive, which the front matter cannot "
			    "hold: delete the line, or put a value that "
			    "begins with '%' in quotes");
			return TRUE;
		}
		if (nl == NULL)
			break;
		at.index += (gsize)g_utf8_strlen(p, nl + 1 - p);
		at.line++;
		p = nl + 1;
	}
	return FALSE;
}

/* The UTF-16 code unit of the escape "\\uXXXX" at @p (nullable), or -1. */
static gint64
utf16_escape(const char *p)
{
	char hex[5] = { 0 };

	if (p == NULL || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (guint i = 0; i < 4; i++) {
		if (!g_ascii_isxdigit(p[2 + i]))
			return -1;
		hex[i] = p[2 + i];
	}
	return g_ascii_strtoll(hex, NULL, 16);
}

/* (transfer full) (nullable): where the escape at @slash (nullable) is
 * half of a UTF-16 surrogate pair, as JSON writes a character beyond
 * U+FFFF ("\\ud83c\\udf89", Python's json.dumps): YAML takes none, and
 * the advice for an escape that is no escape would publish it as text. */
static char *
surrogate_hint(const char *slash)
{
	gint64 high = utf16_escape(slash);
	gint64 low = high >= 0 ? utf16_escape(slash + 6) : -1;
	gunichar c;
	char utf8[8] = { 0 };

	if (high < 0xD800 || high > 0xDFFF)
		return NULL;
	if (high > 0xDBFF || low < 0xDC00 || low > 0xDFFF)
		return g_strdup_printf(
		    "'%.6s' is half of a UTF-16 surrogate pair, which names "
		    "no character: write the character itself, or its "
		    "escape \\U and eight hex digits (\\U0001F389)",
		    slash);
	c = 0x10000 + (gunichar)((high - 0xD800) << 10) +
	    (gunichar)(low - 0xDC00);
	/* (U+1FFFE, U+10FFFF: to be refused again, and not printed) */
	if ((c & 0xFFFE) == 0xFFFE)
		return g_strdup_printf(
		    "'%.12s' is a UTF-16 surrogate pair, as JSON writes one "
		    "character, which YAML does not take; and U+%04X is a "
		    "noncharacter, which no text holds: delete it",
		    slash, c);
	g_unichar_to_utf8(c, utf8);
	return g_strdup_printf("'%.12s' is a UTF-16 surrogate pair, as JSON "
	                       "writes one character, which YAML does not "
	                       "take: write the character itself (%s), or "
	                       "\\U%08X",
	                       slash, utf8, c);
}

/* Drops @r's warnings at @at, where the front matter's syntax error is
 * about to be said: a comment that hid a list's end was warned of as
 * cutting the value short (warn_comment_cut) before the list was found
 * open, and the file is refused, not read up to the comment. */
static void
drop_warnings_at(Reader *r, yaml_mark_t at)
{
	guint line, col;

	mark_position(r, at, &line, &col);
	for (guint i = r->diags->len; i > 0; i--) {
		const EvfDiag *d = g_ptr_array_index(r->diags, i - 1);

		if (d->warning && d->line == line && d->col == col &&
		    g_strcmp0(d->file, r->path) == 0)
			g_ptr_array_remove_index(r->diags, i - 1);
	}
}

/* Takes the next event; FALSE (with a diagnostic) on a syntax error. */
static gboolean
next_event(Reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->parser, ev)) {
		const char *context = r->parser.context;
		yaml_mark_t at = r->parser.problem_mark;
		g_autofree char *opened = NULL;
		g_autofree char *msg = NULL;
		g_autofree char *text = NULL;
		g_autofree char *hint = NULL;
		guint line, col, at_line, at_col, open_line;
		gboolean escape;

		if (r->parser.error == YAML_READER_ERROR) {
			character_error(r);
			return FALSE;
		}
		if (r->parser.problem != NULL &&
		    strstr(r->parser.problem, "<document start>") != NULL &&
		    directive_error(r))
			return FALSE;
		/* A '[' or '{' left open is found lines later, where the
		 * next key is: the message says where it opened, as a
		 * compiler's note does. */
		mark_position(r, r->parser.context_mark, &line, &col);
		mark_position(r, r->parser.problem_mark, &at_line, &at_col);
		open_line = line;
		if (context != NULL && strstr(context, "flow ") != NULL &&
		    line != at_line)
			opened = g_strdup_printf(" that opens on line %u, "
			                         "column %u",
			                         line, col);
		msg = g_strdup_printf(
		    "%s%s%s%s",
		    r->parser.problem ? r->parser.problem : "YAML syntax error",
		    context ? " " : "", context ? context : "",
		    opened ? opened : "");
		/* An unterminated string is reported where it opens, as a
		 * compiler does, not at the end of the front matter; so is
		 * a key without its ':' (found on the next line) and an
		 * alias or anchor without a name. */
		escape = r->parser.problem != NULL &&
		         (strstr(r->parser.problem, "escape") != NULL ||
		          strstr(r->parser.problem, "hexdecimal") != NULL);
		if (context != NULL && !escape &&
		    (strstr(context, "quoted scalar") != NULL ||
		     strstr(context, "simple key") != NULL ||
		     strstr(context, "an alias") != NULL ||
		     strstr(context, "an anchor") != NULL))
			at = r->parser.context_mark;
		mark_position(r, at, &line, &col);
		text = front_matter_line(r, line);
		if (g_str_has_prefix(text, "\xef\xbb\xbf") && col <= 2) {
			/* a byte order mark where two files were joined, or
			 * a template pasted in: libyaml counts it as text,
			 * before what it found amiss */
			at.index -= at.column;
			at.column = 0;
			hint =
			    g_strdup("the line starts with an invisible byte "
			             "order mark (U+FEFF), which YAML reads "
			             "as text: delete it");
		} else if (opened != NULL && r->parser.problem != NULL &&
		           strstr(r->parser.problem,
		                  "did not find expected ','") != NULL) {
			gboolean seq = strstr(context, "sequence") != NULL;
			g_autofree char *open_text =
			    front_matter_line(r, open_line);
			char opener;
			const char *hash = flow_comment(
			    open_text, (glong)r->parser.context_mark.column,
			    &opener);

			if (hash != NULL) {
				hint = flow_comment_hint(
				    r, open_line, open_text, hash, opener, &at);
			} else {
				hint = g_strdup_printf(
				    "the '%c' on line %u is not closed: end "
				    "the %s with '%c' on that line",
				    seq ? '[' : '{', open_line,
				    seq ? "list" : "mapping", seq ? ']' : '}');
			}
		} else if (context != NULL && strstr(context, "flow") != NULL &&
		           (hint = flow_comment_above(r, at_line, &at)) !=
		               NULL) {
			/* the list was the last key: libyaml finds no node
			 * at the '---', and says nothing of a list */
		} else if (escape) {
			/* "C:\Users", "AI\ML", "\ud800": the quote is
			 * closed, and libyaml stops a few characters past the
			 * backslash that begins the escape: the message points
			 * at that one. */
			const char *p = text, *slash = NULL;
			guint slash_col = 0;
			g_autofree char *shown = NULL;

			for (guint i = 1; i <= col && *p != '\0';
			     i++, p = g_utf8_next_char(p))
				if (*p == '\\') {
					slash = p;
					slash_col = i;
				}
			if (slash != NULL) {
				at.index -= col - slash_col;
				at.column -= col - slash_col;
				shown = g_strndup(
				    slash, g_utf8_next_char(slash + 1) - slash);
			}
			hint = surrogate_hint(slash);
			if (hint == NULL)
				hint = g_strdup_printf(
				    "in double quotes a backslash begins an "
				    "escape (such as \\n or \\u00e9), and "
				    "%s%s%s is none, or names no character: "
				    "write a backslash as \\\\, or put the value "
				    "in single quotes",
				    shown != NULL ? "'" : "",
				    shown != NULL ? shown : "this one",
				    shown != NULL ? "'" : "");
		} else if (context != NULL &&
		           strstr(context, "quoted scalar") != NULL)
			hint = g_strdup("the quote that opens here is not "
			                "closed: end the value with the same "
			                "quote");
		else if (r->parser.problem != NULL &&
		         strstr(r->parser.problem, "expected key") != NULL &&
		         (hint = block_indent_hint(r, line)) != NULL)
			;
		else if (r->parser.problem != NULL)
			hint = syntax_hint(text, r->parser.problem);
		if (hint != NULL) {
			g_autofree char *yaml = g_steal_pointer(&msg);

			msg = g_strdup_printf("%s (YAML: %s)", hint, yaml);
		}
		drop_warnings_at(r, at);
		reader_error(r, at, msg);
		return FALSE;
	}
	/* the nodes: each value, key, list and mapping (and alias), not
	 * the ends of the lists, mappings, document and stream */
	if ((ev->type == YAML_SCALAR_EVENT || ev->type == YAML_ALIAS_EVENT ||
	     ev->type == YAML_SEQUENCE_START_EVENT ||
	     ev->type == YAML_MAPPING_START_EVENT) &&
	    ++r->nodes > MAX_NODES) {
		reader_error(r, ev->start_mark,
		             "front matter is too complex (more than 10000 "
		             "YAML nodes)");
		return FALSE;
	}
	return TRUE;
}

static Node *
node_new(Reader *r, NodeKind kind, yaml_mark_t mark)
{
	Node *n = g_new0(Node, 1);

	n->kind = kind;
	mark_position(r, mark, &n->line, &n->col);
	if (kind != NODE_SCALAR)
		n->items = g_ptr_array_new_with_free_func(node_free);
	return n;
}

static Node *read_node(Reader *r, yaml_event_t *ev, guint depth);

/* What a list's item may be begun with where its "- " was meant: a dash
 * without the space, a bullet, an en or em dash, a middle dot. */
static const char *const list_bullets[] = { "-", "\xe2\x80\xa2", "\xe2\x80\x93",
	                                    "\xe2\x80\x94", "\xc2\xb7" };

/* Which of list_bullets @s begins with; NULL when none. */
static const char *
list_bullet(const char *s)
{
	for (guint k = 0; k < G_N_ELEMENTS(list_bullets); k++)
		if (g_str_has_prefix(s, list_bullets[k]))
			return list_bullets[k];
	return NULL;
}

/* The bullet (list_bullet) that a line after the first of the text from
 * @start to @end begins with, after its indentation; NULL when none. */
static const char *
later_line_bullet(const char *start, const char *end)
{
	for (const char *p = memchr(start, '\n', end - start); p != NULL;
	     p = memchr(p, '\n', end - p)) {
		const char *b;

		p += 1 + strspn(p + 1, " \t");
		if (p >= end)
			break;
		if ((b = list_bullet(p)) != NULL)
			return b;
	}
	return NULL;
}

/* The byte of the front matter at the character index @index (as
 * libyaml counts a mark's): found from the last one asked for, as the
 * values come in order. */
static const char *
text_at(Reader *r, gsize index)
{
	const char *p, *stop = r->text + r->len;

	if (r->at == NULL || index < r->at_index) {
		r->at = r->text;
		r->at_index = 0;
	}
	p = r->at;
	for (gsize i = r->at_index; i < index && p < stop; i++)
		p = g_utf8_next_char(p);
	r->at = p;
	r->at_index = index;
	return p;
}

/* Whether @u is a control character that no text of an event file may
 * hold: line breaks and tabs are text. */
static gboolean
is_refused_control(gunichar u)
{
	return (u < 0x20 && u != '\t' && u != '\n' && u != '\r') ||
	       (u >= 0x7f && u <= 0x9f && u != 0x85);
}

/* The first character of @text that is_refused_control() says so of, or
 * 0. */
static gunichar
first_refused_control(const char *text)
{
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
		if (is_refused_control(g_utf8_get_char(p)))
			return g_utf8_get_char(p);
	return 0;
}

/* The length of the YAML escape at @p (its '\\' first, up to @stop) of a
 * double-quoted text, with the character it makes in *@u; 0 for none
 * that makes a control character (evf_eventfile_read refuses those). */
static gsize
control_escape_at(const char *p, const char *stop, gunichar *u)
{
	static const char named[] = "a\ab\bv\vf\fe\x1b";
	gsize digits = 0;
	const char *at;

	if (stop - p < 2)
		return 0;
	if ((at = strchr(named, p[1])) != NULL && p[1] != '\0' &&
	    (at - named) % 2 == 0) {
		*u = (guchar)at[1];
		return 2;
	}
	digits = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : p[1] == 'U' ? 8 : 0;
	if (digits == 0 || (gsize)(stop - p) < 2 + digits)
		return 0;
	*u = 0;
	for (gsize i = 0; i < digits; i++) {
		if (!g_ascii_isxdigit(p[2 + i]))
			return 0;
		*u = *u * 16 + (gunichar)g_ascii_xdigit_value(p[2 + i]);
	}
	return is_refused_control(*u) ? 2 + digits : 0;
}

/* Sets where, from @start to @end, @n's first U+FFFD and its first
 * noncharacter are written, if they are there as themselves, and (in
 * double quotes: @escapes) the escape that makes its first control
 * character. */
static void
find_bad_characters(Reader *r, Node *n, yaml_mark_t start, yaml_mark_t end,
                    gboolean escapes)
{
	const char *p = text_at(r, start.index);
	const char *stop = r->text + r->len;
	yaml_mark_t at = start;
	gboolean escaped = FALSE; /* the character after a '\\' */

	for (; at.index < end.index && p < stop; at.index++) {
		gunichar u = g_utf8_get_char_validated(p, stop - p);
		gunichar made;
		gsize len;

		if (u == 0xfffd && n->fffd_line == 0)
			mark_position(r, at, &n->fffd_line, &n->fffd_col);
		else if (evf_unichar_is_noncharacter(u) && n->nonchar_line == 0)
			mark_position(r, at, &n->nonchar_line, &n->nonchar_col);
		if (escapes && !escaped && *p == '\\' &&
		    n->control_escape == NULL &&
		    (len = control_escape_at(p, stop, &made)) > 0) {
			mark_position(r, at, &n->control_line, &n->control_col);
			n->control_escape = g_strndup(p, len);
		}
		escaped = !escaped && *p == '\\';
		/* (a CR before LF is part of the break, as libyaml has
		 * it; other breaks count where it does not: see starts) */
		if (*p == '\n' ||
		    (*p == '\r' && p + 1 < stop && p[1] != '\n')) {
			at.line++;
			at.column = 0;
		} else if (*p != '\r') {
			at.column++;
		}
		p = g_utf8_next_char(p);
	}
}

/* A warning where a plain value @n of free text (a title, a place, an
 * organizer or a category), read up to @end, is followed on its line by a
 * YAML comment that starts right after its '#' ("title: Workshop #3"):
 * the rest of the line, which the editor surely meant as part of the
 * value, is not published. A comment after " # " is taken for one, and
 * so is one after a date, a status or an address ("#TODO"), which no '#'
 * goes on. In a flow list the comment also hides its ',' or ']', which
 * the value quoted does not take. */
static void
warn_comment_cut(Reader *r, const Node *n, yaml_mark_t end)
{
	static const char *const text_keys[] = { "title", "location",
		                                 "organizer", "categories",
		                                 NULL };
	const char *p = text_at(r, end.index), *stop = r->text + r->len;
	const char *eol;
	guint line, col;
	g_autofree char *rest = NULL;
	g_autofree char *meant = NULL;
	g_autofree char *advice = NULL;

	if (r->key != NULL &&
	    !g_strv_contains((const char *const *)text_keys, r->key))
		return;
	mark_position(r, end, &line, &col);
	while (p < stop && (*p == ' ' || *p == '\t')) {
		p++;
		col++;
	}
	/* A title or a place wrapped onto a line that begins with its '#'
	 * ("title: Workshop on Cybercrime" and "  #3 in the series" below
	 * it) ends where that line begins: YAML reads the line as a
	 * comment. */
	if (r->parser.flow_level == 0 && r->key != NULL &&
	    (strcmp(r->key, "title") == 0 || strcmp(r->key, "location") == 0)) {
		const char *q = p;

		if (q < stop && *q == '\r')
			q++;
		if (q < stop && *q == '\n') {
			gsize indent = strspn(q + 1, " \t");

			if (indent > 0 && q + 1 + indent < stop &&
			    q[1 + indent] == '#') {
				p = q + 1 + indent;
				line++;
				col = (guint)indent + 1;
			}
		}
	}
	if (p + 1 >= stop || *p != '#' || g_ascii_isspace(p[1]))
		return;
	eol = memchr(p, '\n', (gsize)(stop - p));
	rest = g_strndup(p, (gsize)((eol != NULL ? eol : stop) - p));
	g_strchomp(rest);
	meant = r->parser.flow_level > 0
	            ? g_strdup_printf("%s %.*s", n->value,
	                              (int)strcspn(rest, ",]}"), rest)
	            : g_strdup_printf("%s %s", n->value, rest);
	g_strstrip(meant);
	advice = quoted(meant);
	/* a value that starts with its '#' ("title: #1 Forum") is none */
	if (n->value[0] == '\0')
		evf_diags_warn(r->diags, r->path, line, col,
		               "'%s' is a YAML comment, and leaves the value "
		               "empty: a value that starts with '#' is put "
		               "in quotes: %s",
		               rest, advice);
	else
		evf_diags_warn(r->diags, r->path, line, col,
		               "'%s' is a YAML comment, and is not published: "
		               "the value is '%s'; to keep it, put the whole "
		               "value in quotes: %s",
		               rest, n->value, advice);
}

/* Whether the line @line of the front matter begins with a space or a
 * tab. */
static gboolean
indented_line(const Reader *r, guint line)
{
	g_autofree char *text = front_matter_line(r, line);

	return text[0] == ' ' || text[0] == '\t';
}

/* Keeps @map (transfer full), the top-level mapping as far as it was read
 * when the syntax error just reported was met, as Reader.partial: without
 * the pair being read then, nor the last pair when the error is on its
 * line or on an indented line after it, whose value the mistake is about
 * ("title: [DRAFT] Event" is a list and more). */
static void
keep_partial(Reader *r, Node *map)
{
	const EvfDiag *d = r->diags->len > 0
	                       ? g_ptr_array_index(r->diags, r->diags->len - 1)
	                       : NULL;
	guint len = map->items->len & ~1u;
	guint key_line =
	    len >= 2 ? ((Node *)g_ptr_array_index(map->items, len - 2))->line
	             : 0;

	/* also when the error's line is indented: it goes on the last
	 * pair's value (a plain text over two lines, a list), which was
	 * read only as far as it; unless a pair was being read, whose
	 * value the error is in */
	if (len >= 2 && d != NULL && map->items->len == len &&
	    (key_line == d->line ||
	     (d->line > key_line && indented_line(r, d->line))))
		len -= 2;
	g_ptr_array_set_size(map->items, len);
	node_free(r->partial);
	r->partial = map;
}

/* Reads the items of a sequence or mapping until its end event. When
 * the front matter proves not YAML, the top-level mapping is kept as far
 * as it was read (Reader.partial), without the pair being read then: its
 * pairs are checked all the same, so that every mistake in the file is
 * reported at once. */
static Node *
read_collection(Reader *r, Node *n, yaml_event_type_t end, guint depth)
{
	g_autoptr(Node) coll = n;

	for (;;) {
		g_auto(yaml_event_t) ev = { 0 };
		gboolean read = next_event(r, &ev);
		Node *child = NULL;

		if (read && ev.type == end)
			break;
		if (depth == 1 && coll->kind == NODE_MAPPING)
			r->key = coll->items->len % 2 == 1
			             ? ((Node *)g_ptr_array_index(
			                    coll->items, coll->items->len - 1))
			                   ->value
			             : NULL;
		if (!read || (child = read_node(r, &ev, depth + 1)) == NULL) {
			if (depth == 1 && coll->kind == NODE_MAPPING)
				keep_partial(r, g_steal_pointer(&coll));
			return NULL;
		}
		g_ptr_array_add(coll->items, child);
	}
	return g_steal_pointer(&coll);
}

/* Whether @tag, of a node of @kind ("str", "seq" or "map"), is absent or
 * only says that kind; any other (!!binary, !!timestamp, an application's
 * own) would be read as plain text without a word, and is refused. */
static gboolean
tag_allowed(Reader *r, const yaml_mark_t mark, const yaml_char_t *tag,
            const char *kind)
{
	static const char core[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;
	g_autofree char *shown = NULL;
	g_autofree char *msg = NULL;

	if (t == NULL ||
	    (g_str_has_prefix(t, core) && strcmp(t + strlen(core), kind) == 0))
		return TRUE;
	shown = g_str_has_prefix(t, core)
	            ? g_strconcat("!!", t + strlen(core), NULL)
	            : evf_text_oneline(t);
	msg = g_strdup_printf("YAML tags such as '%s' are not supported; "
	                      "write the value as plain text, in quotes "
	                      "if it begins with '!'",
	                      shown);
	reader_refuse(r, mark, msg);
	refused_at(r, mark);
	return FALSE;
}

/* An anchor is refused, and the node it names read as if it had none:
 * without aliases it changes nothing, and the rest is checked. */
static void
refuse_anchor(Reader *r, yaml_mark_t mark, const yaml_char_t *anchor)
{
	if (anchor != NULL)
		refuse_anchors(
		    r, mark, &r->anchor_said,
		    "YAML anchors and aliases are not supported; to "
		    "begin a text with '&' or '*', put it in quotes");
}

static Node *
read_node(Reader *r, yaml_event_t *ev, guint depth)
{
	/* Depth counts collections: a scalar inside the 16th is fine. */
	if (depth > MAX_DEPTH && (ev->type == YAML_SEQUENCE_START_EVENT ||
	                          ev->type == YAML_MAPPING_START_EVENT)) {
		reader_error(r, ev->start_mark,
		             "front matter is nested too deeply (more than 16 "
		             "levels)");
		return NULL;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		refuse_anchors(r, ev->start_mark, &r->alias_said,
		               "YAML aliases are not supported; to begin a "
		               "text with '*', put it in quotes");
		return refused_value(r, ev->start_mark);
	case YAML_SCALAR_EVENT: {
		Node *n;

		refuse_anchor(r, ev->start_mark, ev->data.scalar.anchor);
		/* a tag refused: the text is read as the text it is */
		(void)tag_allowed(r, ev->start_mark, ev->data.scalar.tag,
		                  "str");
		if (strlen((const char *)ev->data.scalar.value) !=
		    ev->data.scalar.length) {
			reader_refuse(
			    r, ev->start_mark,
			    ev->data.scalar.style ==
			            YAML_DOUBLE_QUOTED_SCALAR_STYLE
			        ? "a NUL character is not allowed: in double "
			          "quotes an escape such as '\\0' or '\\x00' "
			          "makes one; write a backslash as \\\\, or "
			          "put the value in single quotes"
			        : "a NUL character is not allowed");
			return refused_value(r, ev->start_mark);
		}
		n = node_new(r, NODE_SCALAR, ev->start_mark);
		n->value = g_strndup((const char *)ev->data.scalar.value,
		                     ev->data.scalar.length);
		/* !!str null is the word null */
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		           ev->data.scalar.tag == NULL;
		n->lines = (guint)(ev->end_mark.line - ev->start_mark.line) + 1;
		if (n->plain && n->lines > 1) {
			const char *a = text_at(r, ev->start_mark.index);

			n->bullet = later_line_bullet(
			    a, text_at(r, ev->end_mark.index));
		}
		if (strstr(n->value, REPLACEMENT) != NULL ||
		    evf_text_has_noncharacter(n->value, NULL) ||
		    (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
		     first_refused_control(n->value) != 0))
			find_bad_characters(
			    r, n, ev->start_mark, ev->end_mark,
			    ev->data.scalar.style ==
			        YAML_DOUBLE_QUOTED_SCALAR_STYLE);
		if (r->comments && n->plain && strchr(n->value, '\n') == NULL)
			warn_comment_cut(r, n, ev->end_mark);
		return n;
	}
	case YAML_SEQUENCE_START_EVENT:
		refuse_anchor(r, ev->start_mark,
		              ev->data.sequence_start.anchor);
		(void)tag_allowed(r, ev->start_mark,
		                  ev->data.sequence_start.tag, "seq");
		return read_collection(
		    r, node_new(r, NODE_SEQUENCE, ev->start_mark),
		    YAML_SEQUENCE_END_EVENT, depth);
	case YAML_MAPPING_START_EVENT:
		refuse_anchor(r, ev->start_mark, ev->data.mapping_start.anchor);
		(void)tag_allowed(r, ev->start_mark, ev->data.mapping_start.tag,
		                  "map");
		return read_collection(
		    r, node_new(r, NODE_MAPPING, ev->start_mark),
		    YAML_MAPPING_END_EVENT, depth);
	default:
		reader_error(r, ev->start_mark, "unexpected YAML structure");
		return NULL;
	}
}

/* Parses the front matter into its top-level mapping (NULL on error, or,
 * with *@partial, the pairs read before the error). @refused: where the
 * values refused and read as empty texts are (Position). */
static Node *
read_front_matter(const char *path, const char *text, gsize len,
                  guint line_offset, GPtrArray *diags, GArray *refused,
                  gboolean *partial)
{
	Reader r = { .path = path,
		     .text = text,
		     .len = len,
		     .line_offset = line_offset,
		     .diags = diags,
		     .starts = line_starts(text, len),
		     .refused = refused,
		     .comments = memmem(text, len, " #", 2) != NULL ||
		                 memmem(text, len, "\t#", 2) != NULL };
	g_autoptr(Node) root = NULL;
	gboolean done = FALSE;

	yaml_parser_initialize(&r.parser);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text,
	                             len);
	while (!done && !r.failed) {
		g_auto(yaml_event_t) ev = { 0 };

		if (!next_event(&r, &ev))
			break;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			done = TRUE;
			break;
		default:
			if (root != NULL) {
				reader_error(&r, ev.start_mark,
				             "only one YAML document is "
				             "allowed in the front matter");
				break;
			}
			root = read_node(&r, &ev, 1);
			if (root != NULL && root->kind != NODE_MAPPING) {
				/* a first line that is no 'key: value' */
				g_autofree char *first =
				    front_matter_line(&r, root->line);
				g_autofree char *hint =
				    root->kind == NODE_SCALAR
				        ? syntax_hint(first, "could not find "
				                             "expected ':'")
				        : NULL;
				g_autofree char *msg = g_strdup_printf(
				    "front matter must be a mapping of keys to "
				    "values%s%s",
				    hint != NULL ? ": " : "",
				    hint != NULL ? hint : "");

				reader_error(&r, ev.start_mark, msg);
			}
			break;
		}
	}
	yaml_parser_delete(&r.parser);
	if (root == NULL && !r.failed)
		root = node_new(&r, NODE_MAPPING, (yaml_mark_t){ 0 });
	g_clear_pointer(&r.starts, g_array_unref);
	/* (a mapping read whole, and a second document after it) */
	if (r.failed && r.partial == NULL && root != NULL &&
	    root->kind == NODE_MAPPING)
		r.partial = g_steal_pointer(&root);
	*partial = r.failed && r.partial != NULL;
	if (r.failed)
		return g_steal_pointer(&r.partial);
	return g_steal_pointer(&root);
}

/* ------------------------------------------------------------ values */

typedef struct {
	const char *path;
	GPtrArray *diags;
	const EvfConfig *cfg;
	gint64 now;
	gboolean failed;
	gboolean in_list; /* reading the items of a list */
	/* the pairs read before the front matter proved not YAML: a key
	 * after them is not missing */
	gboolean partial;
} Ctx;

static void G_GNUC_PRINTF(4, 0)
    ctx_verror(Ctx *c, guint line, guint col, const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);

	evf_diags_add(c->diags, c->path, line, col, "%s", msg);
	c->failed = TRUE;
}

static void G_GNUC_PRINTF(3, 4)
    ctx_error(Ctx *c, const Node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_verror(c, n ? n->line : 1, n ? n->col : 1, fmt, ap);
	va_end(ap);
}

static void G_GNUC_PRINTF(4, 5)
    ctx_error_at(Ctx *c, guint line, guint col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_verror(c, line, col, fmt, ap);
	va_end(ap);
}

/* An error of @n's U+FFFD (@fffd) or noncharacter: where it is written,
 * if it is written as itself; else where the value starts. */
static void G_GNUC_PRINTF(4, 5)
    ctx_error_bad(Ctx *c, const Node *n, gboolean fffd, const char *fmt, ...)
{
	guint line = fffd ? n->fffd_line : n->nonchar_line;
	guint col = fffd ? n->fffd_col : n->nonchar_col;
	va_list ap;

	va_start(ap, fmt);
	ctx_verror(c, line != 0 ? line : n->line, line != 0 ? col : n->col, fmt,
	           ap);
	va_end(ap);
}

gboolean
evf_eventfile_needs_quotes(const char *text)
{
	return evf_eventfile_is_null_word(text) || list_bullet(text) != NULL;
}

gboolean
evf_eventfile_is_null_word(const char *text)
{
	/* YAML 1.2's core schema, as YAML 1.1 and most readers have it */
	return text[0] == '\0' || strcmp(text, "~") == 0 ||
	       strcmp(text, "null") == 0 || strcmp(text, "Null") == 0 ||
	       strcmp(text, "NULL") == 0;
}

static gboolean
is_null(const Node *n)
{
	return n->kind == NODE_SCALAR && n->plain &&
	       evf_eventfile_is_null_word(n->value);
}

static const char *
kind_name(const Node *n)
{
	return n->kind == NODE_SEQUENCE  ? "a list"
	       : n->kind == NODE_MAPPING ? "a mapping"
	                                 : "a value";
}

/* (transfer full): a one-line string, or NULL with a diagnostic. */
/* libyaml refuses control characters written as such; in double quotes
 * an escape makes one, most often by mistake: "C:\alpha" holds a bell,
 * "C:\files" a form feed. No client shows them, and dropping them
 * silently would publish "C:lpha". Line breaks (\n, \r, \N) and tabs
 * are text. */
static gboolean
want_no_controls(Ctx *c, const char *key, const Node *n)
{
	/* (a NUL, "\0", is refused where the value is read) */
	gunichar bad = first_refused_control(n->value);

	if (bad == 0)
		return TRUE;
	/* at the escape as written, else where the value starts */
	if (n->control_escape != NULL)
		ctx_error_at(c, n->control_line, n->control_col,
		             "%s: '%s' in double quotes is the control "
		             "character U+%04X, which no calendar or feed "
		             "shows: write a backslash as \\\\, or put the "
		             "value in single quotes",
		             key, n->control_escape, bad);
	else
		ctx_error(c, n,
		          "%s: the control character U+%04X, which no "
		          "calendar or feed shows: delete it",
		          key, bad);
	return FALSE;
}

static char *
want_string(Ctx *c, const char *key, const Node *n)
{
	gunichar bad;

	if (n->kind == NODE_MAPPING && n->items->len == 2) {
		/* "- OSCE: Mission to Serbia", a text with ': ' in it */
		const Node *k = g_ptr_array_index(n->items, 0);
		const Node *v = g_ptr_array_index(n->items, 1);

		if (c->in_list && k->kind == NODE_SCALAR &&
		    v->kind == NODE_SCALAR && k->line == v->line &&
		    !is_null(v)) {
			g_autofree char *text =
			    g_strdup_printf("%s: %s", k->value, v->value);
			g_autofree char *fixed = quoted(text);

			ctx_error(c, n,
			          "%s: expected a string, not a mapping: a "
			          "text that holds ': ' must be put in "
			          "quotes: %s",
			          key, fixed);
			return NULL;
		}
	}
	if (n->kind != NODE_SCALAR) {
		ctx_error(c, n, "%s: expected a string, not %s", key,
		          kind_name(n));
		return NULL;
	}
	/* written so, or as a YAML escape ("\uFFFD") */
	if (strstr(n->value, REPLACEMENT) != NULL) {
		ctx_error_bad(c, n, TRUE, "%s: %s", key, REPLACEMENT_ERROR);
		return NULL;
	}
	if (!want_no_controls(c, key, n))
		return NULL;
	if (evf_text_has_noncharacter(n->value, &bad)) {
		ctx_error_bad(
		    c, n, FALSE,
		    "%s: U+%04X is a noncharacter, which Unicode keeps "
		    "for programs' own use and no calendar or feed may "
		    "hold: delete it",
		    key, bad);
		return NULL;
	}
	if (!is_null(n)) {
		char *s = evf_text_oneline(n->value);

		if (s[0] != '\0')
			return s;
		g_free(s);
	}
	ctx_error(c, n, "%s: empty value%s", key,
	          n->plain && g_ascii_strcasecmp(n->value, "null") == 0
	              ? " (YAML reads null as no value: put it in quotes to "
	                "mean the word, or leave the key out)"
	              : "");
	return NULL;
}

/* The byte at which @text and its mended form (evf_text_mend)
 * first differ: where the first character encoded twice begins. */
static gsize
first_mended(const char *text, const char *mended)
{
	gsize i = 0;

	while (text[i] != '\0' && text[i] == mended[i])
		i++;
	/* "Ã" and "é" begin with the same byte */
	while (i > 0 && ((guchar)text[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* The length of the characters at @from that evf_text_mend() puts back
 * as the one at @fixed: "Ã©" for "é", "â€™" for "’", "ÃƒÂ©" for "é"
 * encoded twice, twice. */
static gsize
mended_span(const char *from, const char *fixed)
{
	gsize want = g_utf8_next_char(fixed) - fixed;
	const char *end = from;

	for (int k = 0; k < 16 && *end != '\0'; k++) {
		g_autofree char *part = NULL;
		g_autofree char *mended = NULL;

		end = g_utf8_next_char(end);
		part = g_strndup(from, end - from);
		mended = evf_text_mend(part);
		if (mended != NULL && strlen(mended) == want &&
		    memcmp(mended, fixed, want) == 0)
			return end - from;
	}
	return g_utf8_next_char(g_utf8_next_char(from)) - from;
}

/* (transfer full): "'Ã©' looks like 'é' encoded twice ...", of the first
 * character of @text, at @at, that @mended puts back, which @span bytes
 * of @text became (mended_span()). */
static char *
mended_message(const char *text, gsize at, gsize span, const char *mended)
{
	const char *fixed = mended + at;
	int n = (int)(g_utf8_next_char(fixed) - fixed);

	return g_strdup_printf(
	    "'%.*s' looks like '%.*s' encoded twice (UTF-8 read as Latin-1 "
	    "or Windows-1252 on its way here), and is published as '%.*s': "
	    "write it so",
	    (int)span, text + at, n, fixed, n, fixed);
}

/* @text (transfer full) with what was encoded twice put back, as partners'
 * texts are (evf_import_mend_text), with a warning at @n: feed validators
 * warn of such text, and calendars would show "CafÃ©". */
static char *
mend_text(Ctx *c, const char *key, const Node *n, char *text)
{
	char *mended = evf_text_mend(text);
	g_autofree char *msg = NULL;
	gsize at;

	if (mended == NULL)
		return text;
	at = first_mended(text, mended);
	msg = mended_message(text, at, mended_span(text + at, mended + at),
	                     mended);
	evf_diags_warn(c->diags, c->path, n->line, n->col, "%s: %s", key, msg);
	g_free(text);
	return mended;
}

/* A string for a plain-text field (title, place, organizer, category),
 * in NFC: HTML in it (tags, character references) is turned into plain
 * text, with a warning; none is left empty or blank. */
static char *
want_text(Ctx *c, const char *key, const Node *n)
{
	g_autofree char *s = want_string(c, key, n);
	g_autofree char *tag = NULL;
	g_autofree char *plain = NULL;

	if (s == NULL)
		return NULL;
	plain = evf_text_plain(s, &tag);
	if (plain != NULL && plain[0] == '\0') {
		ctx_error(c, n,
		          "%s: nothing but HTML ('%s'); write plain "
		          "text",
		          key, tag);
		return NULL;
	}
	if (!evf_text_shows_anything(plain != NULL ? plain : s)) {
		ctx_error(c, n,
		          "%s: nothing but white space or invisible "
		          "characters",
		          key);
		return NULL;
	}
	if (plain != NULL)
		evf_diags_warn(c->diags, c->path, n->line, n->col,
		               "%s: HTML ('%s') turned into plain text", key,
		               tag);
	return evf_text_trim_blank(
	    mend_text(c, key, n, evf_text_nfc(plain != NULL ? plain : s)));
}

/* Whether the name @s repeats one of @seen, where want_list() gathers
 * names by how they look (evf_name_look → each name and its slug, made
 * when needed); else notes it there. Of names that look alike, one of the
 * same slug is a repeat ("Institute Ⅱ", "Institute II"; "Workshop",
 * "WORKSHOP"), and one of another slug another category ("H₂O", "H2O"):
 * the slugs are made only for names that look alike. */
static gboolean
list_repeat(GHashTable *seen, const char *s)
{
	g_autofree char *look = evf_name_look(s);
	GPtrArray *alike = g_hash_table_lookup(seen, look);
	g_autofree char *slug = NULL;

	if (alike == NULL) {
		alike = g_ptr_array_new_with_free_func(g_free);
		g_hash_table_insert(seen, g_steal_pointer(&look), alike);
	} else {
		slug = evf_slugify_name(s);
		for (guint k = 0; k < alike->len; k += 2) {
			if (g_ptr_array_index(alike, k + 1) == NULL)
				g_ptr_array_index(alike, k + 1) =
				    evf_slugify_name(
				        g_ptr_array_index(alike, k));
			if (strcmp(slug, g_ptr_array_index(alike, k + 1)) == 0)
				return TRUE;
		}
	}
	g_ptr_array_add(alike, g_strdup(s));
	g_ptr_array_add(alike, g_steal_pointer(&slug));
	return FALSE;
}

/* Warns of @n, an item of @key's list (categories, organizer), that is
 * most likely a list mistyped, which YAML reads as one text: items
 * without a space after the dash ("-security"), one indented deeper than
 * the one above it ("security - justice"), or bullets ("• security"), as
 * one name that the calendars and feeds would publish. */
static void
warn_list_typed(Ctx *c, const char *key, const Node *n)
{
	const char *one =
	    strcmp(key, "categories") == 0 ? "category" : "organiser";
	const char *first;

	if (n->kind != NODE_SCALAR || !n->plain || n->value == NULL)
		return;
	first = list_bullet(n->value);
	if (first != NULL || n->bullet != NULL) {
		g_autofree char *how =
		    n->lines > 1
		        ? g_strdup_printf("written over %u lines; for "
		                          "several, write each",
		                          n->lines)
		        : g_strdup_printf("beginning with '%s'; for a list, "
		                          "write each item",
		                          first);

		evf_diags_warn(c->diags, c->path, n->line, n->col,
		               "%s: '%s' is one %s, %s on a line of its own "
		               "below '%s:', as '  - name' (a dash, then a "
		               "space)",
		               key, n->value, one, how, key);
	}
}

/* Adds the plain texts of a scalar or a list of scalars to @out, at most
 * @max different ones. */
static void
want_list(Ctx *c, const char *key, const Node *n, guint max, GPtrArray *out,
          GArray *at)
{
	g_autoptr(GHashTable) seen = NULL;
	gboolean over = FALSE;

	if (n->kind == NODE_SCALAR) {
		char *s = want_text(c, key, n);

		warn_list_typed(c, key, n);
		if (s != NULL) {
			g_ptr_array_add(out, s);
			if (at != NULL)
				g_array_append_vals(
				    at, (guint[]){ n->line, n->col }, 2);
		}
		return;
	}
	if (n->kind != NODE_SEQUENCE) {
		ctx_error(c, n, "%s: expected a list of strings, not %s", key,
		          kind_name(n));
		return;
	}
	/* '[]' is a value left empty, as '~' is: leave the key out. */
	if (n->items->len == 0) {
		ctx_error(c, n, "%s: empty value", key);
		return;
	}
	/* The same name in another case, or in a form that looks alike, is
	 * the same category (category/<slug>/): kept once, as first
	 * written (list_repeat: in one pass, where comparing each name with
	 * all before it took seconds for a few thousand). */
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                             (GDestroyNotify)g_ptr_array_unref);
	for (guint k = 0; k < out->len; k++)
		list_repeat(seen, g_ptr_array_index(out, k));
	for (guint i = 0; i < n->items->len; i++) {
		char *s;

		c->in_list = TRUE;
		s = want_text(c, key, g_ptr_array_index(n->items, i));
		c->in_list = FALSE;
		warn_list_typed(c, key, g_ptr_array_index(n->items, i));
		if (s == NULL)
			continue;
		if (list_repeat(seen, s)) {
			g_free(s);
		} else if (out->len == max) {
			/* one error for the list, at the first one too many;
			 * the rest are still read for their own mistakes */
			if (!over)
				ctx_error(c, g_ptr_array_index(n->items, i),
				          "%s: more than %u; an event can have "
				          "at most %u (each has its own "
				          "calendar, feeds and page)",
				          key, max, max);
			over = TRUE;
			g_free(s);
		} else {
			const Node *item = g_ptr_array_index(n->items, i);

			g_ptr_array_add(out, s);
			if (at != NULL)
				g_array_append_vals(
				    at, (guint[]){ item->line, item->col }, 2);
		}
	}
}

static char *
want_url(Ctx *c, const char *key, const Node *n)
{
	g_autofree char *s = want_string(c, key, n);
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GError) bad = NULL;

	if (s == NULL)
		return NULL;
	/* An address is not text: an invisible character that reorders or
	 * joins text (U+202E, U+200B) would be published as the bytes of
	 * another address, and the closing one texts get added to it. A
	 * backslash browsers read as '/', others as part of the host. */
	for (const char *p = n->value; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);

		if (g_unichar_type(u) == G_UNICODE_FORMAT) {
			ctx_error(
			    c, n,
			    "%s: U+%04X, an invisible character, cannot be "
			    "in an address: delete it",
			    key, u);
			return NULL;
		}
		/* published as %C2%A0, a link to no page */
		if (u >= 0x80 && g_unichar_isspace(u)) {
			ctx_error(c, n,
			          "%s: U+%04X, a no-break or other space, "
			          "cannot be in an address: delete it, or "
			          "write a space as %%20",
			          key, u);
			return NULL;
		}
	}
	if (strchr(s, '\\') != NULL) {
		ctx_error(c, n,
		          "%s: a backslash cannot be in an address (browsers "
		          "read it as '/', other clients otherwise): write '/' "
		          "or %%5C",
		          key);
		return NULL;
	}
	uri = g_uri_parse(s, G_URI_FLAGS_ENCODED, &bad);
	/* GLib gives 'https:///x' and 'https://' an empty host, not none:
	 * no address, and an error in an RSS link (InvalidFullLink). */
	if (uri == NULL || g_uri_get_host(uri) == NULL ||
	    g_uri_get_host(uri)[0] == '\0' ||
	    (g_ascii_strcasecmp(g_uri_get_scheme(uri), "http") != 0 &&
	     g_ascii_strcasecmp(g_uri_get_scheme(uri), "https") != 0) ||
	    strpbrk(s, " \"<>") != NULL) {
		static GRegex *host_first;
		g_autofree char *how = NULL;
		gboolean bare = g_regex_match(
		    evf_regex_once(&host_first,
		                   "^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+(:[0-9]+)?"
		                   "([/?#][^ \"<>]*)?$",
		                   0),
		    s, 0, NULL);

		/* poster.jpg: a file's name, not a host's; the site's files
		 * are not read, and the address is the file's own */
		if (bare && strcspn(s, "/?#:") == strlen(s) &&
		    g_regex_match_simple(
		        "\\.(jpe?g|png|gif|webp|avif|svg|pdf|html?|docx?|"
		        "xlsx?|pptx?|odt|ics|txt|zip)$",
		        s, G_REGEX_CASELESS, 0))
			how =
			    g_strdup_printf(" (a file's name, not an "
			                    "address: write the whole address "
			                    "of the file, with https:// and "
			                    "the host it is on, such as "
			                    "'https://www.example.org/%s')",
			                    s);
		/* www.osce.org/event: the scheme left out */
		else if (bare)
			how = g_strdup_printf(" (write it with its scheme: "
			                      "'https://%s')",
			                      s);
		else if (!g_str_has_prefix(s, "http://") &&
		         !g_str_has_prefix(s, "https://"))
			how = NULL;
		else if (strchr(s, ' ') != NULL &&
		         strchr(s, ' ') < s + strcspn(s + 8, "/?#") + 8)
			how = g_strdup(" (a host name has no spaces)");
		else if (strchr(s, ' ') != NULL)
			how = g_strdup(" (write each space in it as %20)");
		else if (strpbrk(s, "\"<>") != NULL)
			how = g_strdup(" (write '\"' as %22, '<' as %3C and "
			               "'>' as %3E)");
		else if (bad != NULL && strstr(bad->message, "%-encoding"))
			how = g_strdup(" (a '%' stands before two hexadecimal "
			               "digits: write a '%' itself as %25)");
		else if (bad != NULL)
			how = g_strdup_printf(" (%s)", bad->message);
		ctx_error(c, n, "%s: not an absolute http or https URL: '%s'%s",
		          key, s, how != NULL ? how : "");
		return NULL;
	}
	/* GLib takes a host as written: "exa%20mple.org" would be
	 * published as "exa mple.org" */
	if (!evf_uri_host_valid(g_uri_get_host(uri))) {
		ctx_error(c, n,
		          "%s: not an absolute http or https URL: '%s' (its "
		          "host has a character no host name has)",
		          key, s);
		return NULL;
	}
	/* as the description's links (markdown.c): filters and readers
	 * take it for script wherever it stands */
	if (strcasestr(s, "javascript:") != NULL) {
		ctx_error(c, n,
		          "%s: an address with 'javascript:' in it is not "
		          "published: '%s'",
		          key, s);
		return NULL;
	}
	/* RSS and Atom validators read links by RFC 2396, which has no
	 * brackets: an IPv6 host is an error in every feed (as for the
	 * site's URL, evf_html_safe_url). */
	if (strchr(g_uri_get_host(uri), ':') != NULL) {
		ctx_error(c, n,
		          "%s: an address with an IPv6 host is not published "
		          "(feed validators refuse it): give the host's name: "
		          "'%s'",
		          key, s);
		return NULL;
	}
	/* A link with non-ASCII characters in it (an IRI) is written as
	 * the URI it stands for, with its host in lower case as the
	 * description's links are. */
	return evf_uri_from_iri(s);
}

/* A date or date-time as written by an editor. */
typedef struct {
	gboolean tba;
	gboolean date_only;
	GDate date;
	GDateTime *time;     /* in its zone: the event's, or UTC */
	gboolean has_offset; /* written with Z or ±hh:mm */
	gint32 offset;       /* that offset, seconds */
} When;

static void
when_clear(When *w)
{
	g_clear_pointer(&w->time, g_date_time_unref);
}

/* (transfer full): @t as a wall time in its own zone, as an editor
 * writes it, to the second when it is written so: 09:00:20 and 09:00:40
 * are not both "09:00". */
static char *
wall_written(GDateTime *t)
{
	return g_date_time_format(t, g_date_time_get_second(t) != 0
	                                 ? "%Y-%m-%dT%H:%M:%S"
	                                 : "%Y-%m-%dT%H:%M");
}

/* (transfer full): the time of @w as the editor wrote it: a wall time of
 * its zone, or with its offset (Z for none); with @utc, its time in UTC
 * after it, unless it is written so. */
static char *
when_written(const When *w, gboolean utc)
{
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GDateTime) at = NULL;
	g_autofree char *written = NULL;
	g_autofree char *z = NULL;
	/* to the second when it is written so: 09:00:20 and 09:00:40 are
	 * not both "09:00" */
	const char *hm =
	    g_date_time_get_second(w->time) != 0 ? "%H:%M:%S" : "%H:%M";
	g_autofree char *as_z = g_strconcat("%Y-%m-%dT", hm, "Z", NULL);

	if (w->has_offset && w->offset == 0)
		return g_date_time_format(w->time, as_z);
	if (w->has_offset) {
		g_autofree char *as_offset =
		    g_strconcat("%Y-%m-%dT", hm, "%:z", NULL);

		tz = g_time_zone_new_offset(w->offset);
		at = g_date_time_to_timezone(w->time, tz);
		written = g_date_time_format(at, as_offset);
	} else {
		written = wall_written(w->time);
	}
	if (!utc)
		return g_steal_pointer(&written);
	g_clear_pointer(&at, g_date_time_unref);
	at = g_date_time_to_utc(w->time);
	z = g_date_time_format(at, as_z);
	return g_strdup_printf("%s (%s)", written, z);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(When, when_clear)

static const char *const month_names[] = {
	"",        "January",  "February", "March",  "April",
	"May",     "June",     "July",     "August", "September",
	"October", "November", "December",
};

/* Whether @line (UTF-8) is '---' but for spaces and characters that
 * evf_unichar_invisible(). */
static gboolean
looks_like_delimiter(const char *line)
{
	g_autoptr(GString) seen = g_string_new(NULL);

	for (const char *p = line; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		if (ch != ' ' && ch != '\t' && ch != '\r' &&
		    !evf_unichar_invisible(ch))
			g_string_append_unichar(seen, ch);
	}
	return strcmp(seen->str, "---") == 0;
}

/* Whether @s is in typographic quotes (“…”, ‘…’, „…“, «…»), which a
 * word processor makes of straight ones, and YAML reads as part of the
 * value. */
static gboolean
in_typographic_quotes(const char *s)
{
	static const gunichar quotes[] = { 0x201c, 0x201d, 0x2018, 0x2019,
		                           0x201e, 0x00ab, 0x00bb };
	gunichar first, last;
	gboolean a = FALSE, b = FALSE;

	if (!g_utf8_validate(s, -1, NULL) || s[0] == '\0')
		return FALSE;
	first = g_utf8_get_char(s);
	last = g_utf8_get_char(g_utf8_prev_char(s + strlen(s)));
	for (gsize i = 0; i < G_N_ELEMENTS(quotes); i++) {
		a |= first == quotes[i];
		b |= last == quotes[i];
	}
	return a && b && g_utf8_strlen(s, -1) >= 2;
}

#define TYPOGRAPHIC_QUOTES_ADVICE                                         \
	"; it is in typographic quotes, which YAML reads as part of the " \
	"value: write straight quotes (\") or none"

/* The month (1 to 12) whose English name @word is, or begins (three
 * letters at least: "Jun", "Sept"); 0 for none. */
static int
month_named(const char *word)
{
	gsize n = strlen(word);

	for (int i = 1; n >= 3 && i <= 12; i++)
		if (n <= strlen(month_names[i]) &&
		    g_ascii_strncasecmp(word, month_names[i], n) == 0)
			return i;
	return 0;
}

/* (transfer full) (nullable): day @d of month @mo of year @y as an event
 * file writes it, YYYY-MM-DD, when there is such a day and its year is
 * from 1900 to 2200: advice gives no day that is refused in turn. */
static char *
day_written(int y, int mo, int d)
{
	if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)mo, (GDateYear)y))
		return NULL;
	return g_strdup_printf("%04d-%02d-%02d", y, mo, d);
}

/* (transfer full) (nullable): @s written with a month's name ("June 28,
 * 2018", "28 Jun 2018", "Thursday, 28 June 2018") as evfeed reads it:
 * 2018-06-28; NULL when it is not such a date. */
static char *
date_of_words(const char *s)
{
	static GRegex *words;
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *d = NULL, *mo = NULL, *y = NULL;
	int month;

	if (!g_regex_match(
	        evf_regex_once(&words,
	                       "^(?:[A-Za-z]+,? +)?(?:([0-9]{1,2})(?:st|nd|rd|"
	                       "th)?\\.? +([A-Za-z]+)\\.?|([A-Za-z]+)\\.? +"
	                       "([0-9]{1,2})(?:st|nd|rd|th)?),? +([0-9]{4})$",
	                       G_REGEX_CASELESS),
	        s, 0, &m))
		return NULL;
	d = g_match_info_fetch(m, 1);
	mo = g_match_info_fetch(m, 2);
	if (d == NULL || d[0] == '\0') {
		g_free(d);
		g_free(mo);
		mo = g_match_info_fetch(m, 3);
		d = g_match_info_fetch(m, 4);
	}
	y = g_match_info_fetch(m, 5);
	month = month_named(mo);
	/* (a date that is none, 31 June, is left to the error's words) */
	return month != 0 ? day_written(atoi(y), month, atoi(d)) : NULL;
}

/* The instants whose year is from 1900 to 2200 in every time zone
 * (offsets from -12:00 to +14:00), in seconds since 1970, UTC, with room
 * at the end for the hour that an event without an end is given. */
#define FIRST_INSTANT G_GINT64_CONSTANT(-2208945600) /* 1900-01-01T12:00Z */
#define LAST_INSTANT  G_GINT64_CONSTANT(7289596800)  /* 2200-12-31T08:00Z */

/* Whether a start or end written as @value, a date and time with its
 * offset, is taken: its offset in use and its year from 1900 to 2200 in
 * every zone. Advice gives no value that is refused in turn. */
static gboolean
advice_taken(const char *value)
{
	/* (GLib reads a time with its seconds only) */
	const char *time = strchr(value, 'T');
	g_autofree char *full =
	    time != NULL && strlen(time) > 6 && time[6] != ':'
	        ? g_strdup_printf("%.*s:00%s", (int)(time + 6 - value), value,
	                          time + 6)
	        : g_strdup(value);
	g_autoptr(GDateTime) t = g_date_time_new_from_iso8601(full, NULL);
	gint64 at;

	if (t == NULL)
		return FALSE;
	at = g_date_time_to_unix(t);
	return evf_utc_offset_valid((gint32)(g_date_time_get_utc_offset(t) /
	                                     G_TIME_SPAN_SECOND)) &&
	       at >= FIRST_INSTANT && at <= LAST_INSTANT;
}

/* (transfer full): how to write @s, which is not of a date's form, as
 * the end of its diagnostic; "" when that is not known. With @day_only
 * (the end of an all-day event), the advice is a day: a value with a
 * time would be refused in turn. */
static char *
date_advice(const char *s, gboolean day_only)
{
	static GRegex *dmy, *fraction, *zone_word, *ampm, *noon, *slashes,
	    *short_offset, *spaced_offset, *timed, *iso_day;
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *worded = NULL;
	gunichar invisible = evf_text_first_invisible(s);

	if (invisible != 0) {
		g_autofree char *why = evf_invisible_advice(invisible);

		return g_strconcat("; ", why, NULL);
	}
	if (in_typographic_quotes(s))
		return g_strdup(TYPOGRAPHIC_QUOTES_ADVICE);

	/* a day with a time after it (an hour, AM or PM, an offset or a
	 * zone's name, noon): the day alone */
	if (day_only &&
	    g_regex_match(
	        evf_regex_once(&timed,
	                       "^(.*[0-9])[ T]+(?:[0-9]{1,2}:[0-9]{2}"
	                       "(?::[0-9]{2}(?:[.,][0-9]+)?)? *(?:[AP]\\.?M"
	                       "\\.?|Z|UTC|[+-][0-9]{1,2}(?::?[0-9]{2})?|"
	                       "[A-Za-z][A-Za-z/_+-]*)?|[0-9]{1,2} *[AP]\\.?"
	                       "M\\.?|noon|midday)$",
	                       G_REGEX_CASELESS),
	        s, 0, &m)) {
		g_autofree char *day = g_match_info_fetch(m, 1);
		g_autoptr(GMatchInfo) d = NULL;
		g_autofree char *advice = NULL;

		if (g_regex_match(evf_regex_once(&iso_day,
		                                 "^([0-9]{4})-([0-9]{1,2})-"
		                                 "([0-9]{1,2})$",
		                                 0),
		                  day, 0, &d)) {
			g_autofree char *y = g_match_info_fetch(d, 1);
			g_autofree char *mo = g_match_info_fetch(d, 2);
			g_autofree char *dd = g_match_info_fetch(d, 3);
			g_autofree char *written =
			    day_written(atoi(y), atoi(mo), atoi(dd));

			return written != NULL
			           ? g_strdup_printf("; an all-day event ends "
			                             "on a day: write %s",
			                             written)
			           : g_strdup("");
		}
		advice = date_advice(day, FALSE);
		if (advice[0] == '\0')
			return g_steal_pointer(&advice);
		return g_strconcat(advice,
		                   " (the day alone: an all-day event ends "
		                   "on a day)",
		                   NULL);
	}
	g_clear_pointer(&m, g_match_info_free);

	/* 25.09.2018 and 25/09/2018, as Europeans write a date, 12/25/2018
	 * as Americans do; with a time, or an hour with AM or PM, after */
	if (g_regex_match(
	        evf_regex_once(&dmy,
	                       "^([0-9]{1,2})[./]([0-9]{1,2})[./]"
	                       "([0-9]{4})(?:[ T]+([0-9]{1,2})(:[0-9]{2}"
	                       "(?::[0-9]{2})?)?)?( ?[AP]\\.?M\\.?)?$",
	                       G_REGEX_CASELESS),
	        s, 0, &m)) {
		g_autofree char *a = g_match_info_fetch(m, 1);
		g_autofree char *b = g_match_info_fetch(m, 2);
		g_autofree char *y = g_match_info_fetch(m, 3);
		g_autofree char *h = g_match_info_fetch(m, 4);
		g_autofree char *mi = g_match_info_fetch(m, 5);
		g_autofree char *ap = g_match_info_fetch(m, 6);
		g_autofree char *date = NULL;
		const char *hour = ap != NULL && ap[0] != '\0'
		                       ? ", and the hour from 00 to 23, "
		                         "without AM or PM"
		                       : "";

		if (atoi(y) < 1900 || atoi(y) > 2200)
			return g_strdup("");
		/* 09/05/2018 is May or September: only a number past 12 says
		 * which is the day */
		if (atoi(a) > 12 && atoi(b) <= 12)
			date = day_written(atoi(y), atoi(b), atoi(a));
		else if (atoi(b) > 12 && atoi(a) <= 12)
			date = day_written(atoi(y), atoi(a), atoi(b));
		if (date == NULL)
			return g_strdup_printf("; write the year first, then "
			                       "the month and the day%s",
			                       hour);
		if (h != NULL && h[0] != '\0' && mi != NULL && mi[0] != '\0' &&
		    hour[0] == '\0')
			return g_strdup_printf("; write the year first: "
			                       "%sT%02d%s",
			                       date, atoi(h), mi);
		return g_strdup_printf("; write the year first: %s%s", date,
		                       hour);
	}
	if ((worded = date_of_words(s)) != NULL)
		return g_strdup_printf("; write it with numbers, the year "
		                       "first: %s",
		                       worded);
	g_clear_pointer(&m, g_match_info_free);
	/* 2018/06/28, as some countries write it */
	if (g_regex_match(
	        evf_regex_once(&slashes,
	                       "^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})$", 0),
	        s, 0, &m)) {
		g_autofree char *y = g_match_info_fetch(m, 1);
		g_autofree char *mo = g_match_info_fetch(m, 2);
		g_autofree char *d = g_match_info_fetch(m, 3);

		g_autofree char *day = day_written(atoi(y), atoi(mo), atoi(d));

		if (atoi(y) < 1900 || atoi(y) > 2200)
			return g_strdup("");
		if (day != NULL)
			return g_strdup_printf("; write it with dashes: %s",
			                       day);
		return g_strdup("; write it with dashes, the year, the "
		                "month and the day");
	}
	if (g_regex_match(evf_regex_once(&short_offset,
	                                 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T"
	                                 "([01][0-9]|2[0-3]):[0-5][0-9]"
	                                 "(:[0-5][0-9])?[+-][0-9]{2}$",
	                                 G_REGEX_CASELESS),
	                  s, 0, NULL)) {
		g_autofree char *value = g_strconcat(s, ":00", NULL);

		return advice_taken(value)
		           ? g_strdup_printf("; write the offset with its "
		                             "minutes: %s",
		                             value)
		           : g_strdup("");
	}
	if (g_regex_match(evf_regex_once(&noon, "(^|[ T])(noon|midday)$",
	                                 G_REGEX_CASELESS),
	                  s, 0, NULL))
		return g_strdup("; write noon as 12:00");
	if (g_regex_match(evf_regex_once(&fraction,
	                                 "T[0-9]{1,2}:[0-9]{2}:[0-9]{2}[.,]"
	                                 "[0-9]+",
	                                 G_REGEX_CASELESS),
	                  s, 0, NULL))
		return g_strdup("; leave out the fraction of a second");
	if (g_regex_match(evf_regex_once(&ampm, "[0-9] ?[AP]\\.?M\\.?$",
	                                 G_REGEX_CASELESS),
	                  s, 0, NULL))
		return g_strdup("; write the hour from 00 to 23, without AM "
		                "or PM");
	/* "2027-05-14 10:00:00 +02:00", as YAML 1.1's timestamps and
	 * date(1) write it: the same with the offset right after the time */
	g_clear_pointer(&m, g_match_info_free);
	if (g_regex_match(evf_regex_once(
	                      &spaced_offset,
	                      "^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]"
	                      "(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)"
	                      " +(Z|UTC|([+-])(0[0-9]|1[0-4]):?([0-5][0-9])?)$",
	                      G_REGEX_CASELESS),
	                  s, 0, &m)) {
		g_autofree char *y = g_match_info_fetch(m, 1);
		g_autofree char *mo = g_match_info_fetch(m, 2);
		g_autofree char *d = g_match_info_fetch(m, 3);
		g_autofree char *time = g_match_info_fetch(m, 4);
		/* (NULL: a group after the last that took part, as in
		 * "Z"'s) */
		g_autofree char *sign = g_match_info_fetch(m, 8);
		g_autofree char *hh = g_match_info_fetch(m, 9);
		g_autofree char *mm = g_match_info_fetch(m, 10);
		g_autofree char *offset =
		    sign == NULL || sign[0] == '\0'
		        ? g_strdup("Z")
		        : g_strdup_printf("%s%s:%s", sign, hh,
		                          mm == NULL || mm[0] == '\0' ? "00"
		                                                      : mm);

		g_autofree char *value =
		    g_strdup_printf("%s-%s-%sT%s%s", y, mo, d, time, offset);

		if (advice_taken(value))
			return g_strdup_printf(
			    "; write the offset right after the time: %s",
			    value);
		return g_strdup("");
	}
	if (g_regex_match(evf_regex_once(&zone_word,
	                                 "[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?"
	                                 " +[A-Za-z][A-Za-z/_+-]*$",
	                                 0),
	                  s, 0, NULL))
		return g_strdup("; name the time zone in 'timezone:', or write "
		                "the offset after the time, such as "
		                "T09:30+02:00");
	return g_strdup("");
}

/* Whether @t, the time @s of @key (@n), has a year from 1900 to 2200 in
 * every time zone: at their ends, an offset or a zone takes one out
 * ("1900-01-01T00:30+14:00" is 1899-12-31T10:30Z), and the site's
 * calendar, whose times evfeed import reads in the site's zone, could not
 * be imported again, nor read as a partner's. */
static gboolean
utc_year_in_range(Ctx *c, const char *key, const Node *n, const char *s,
                  GDateTime *t)
{
	g_autoptr(GDateTime) utc = g_date_time_to_utc(t);
	gint64 at = g_date_time_to_unix(utc);
	g_autofree char *z = NULL;

	if (at >= FIRST_INSTANT && at <= LAST_INSTANT)
		return TRUE;
	z = g_date_time_format(utc, "%Y-%m-%dT%H:%MZ");
	ctx_error(c, n,
	          "%s: '%s' is %s in UTC: the year must be from 1900 to 2200 "
	          "in every time zone a calendar may show it in, from "
	          "1900-01-01T12:00Z to 2200-12-31T08:00Z",
	          key, s, z);
	return FALSE;
}

/* Parses @n as a date or date-time; wall times are in @zone. @day_only:
 * @n ends an all-day event, and advice for another form is a day. */
static gboolean
want_when(Ctx *c, const char *key, const Node *n, const char *zone,
          gboolean allow_tba, gboolean day_only, When *out)
{
	static GRegex *form;
	GRegex *re =
	    evf_regex_once(&form,
	                   "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
	                   "(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?"
	                   "(Z|[+-][0-9]{2}:?[0-9]{2})?)?$",
	                   G_REGEX_CASELESS);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *s = want_string(c, key, n);
	int y, mo, d, h = 0, mi = 0, sec = 0;
	g_autofree char *hs = NULL, *offs = NULL;

	if (s == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(s, "tba") == 0) {
		if (!allow_tba) {
			ctx_error(c, n, "%s: 'tba' is only allowed as start",
			          key);
			return FALSE;
		}
		out->tba = TRUE;
		return TRUE;
	}
	if (!g_regex_match(re, s, 0, &m)) {
		/* 2018–09–25, as a word processor turns the hyphens */
		gboolean dashes = strstr(s, "\u2010") != NULL ||
		                  strstr(s, "\u2011") != NULL ||
		                  strstr(s, "\u2012") != NULL ||
		                  strstr(s, "\u2013") != NULL ||
		                  strstr(s, "\u2014") != NULL ||
		                  strstr(s, "\u2212") != NULL;

		g_autofree char *advice = date_advice(s, day_only);

		ctx_error(c, n,
		          "%s: invalid date '%s' (expected YYYY-MM-DD, "
		          "YYYY-MM-DDTHH:MM[:SS] with an optional Z or "
		          "+HH:MM%s)%s%s",
		          key, s, allow_tba ? ", or tba" : "",
		          dashes ? "; it has a dash where a hyphen '-' goes"
		                 : "",
		          advice);
		return FALSE;
	}
	{
		g_autofree char *ys = g_match_info_fetch(m, 1);
		g_autofree char *ms = g_match_info_fetch(m, 2);
		g_autofree char *ds = g_match_info_fetch(m, 3);

		y = atoi(ys);
		mo = atoi(ms);
		d = atoi(ds);
	}
	hs = g_match_info_fetch(m, 4);
	if (y < 1900 || y > 2200) {
		ctx_error(c, n,
		          "%s: invalid date '%s': the year must be from "
		          "1900 to 2200 (year out of range)",
		          key, s);
		return FALSE;
	}
	if (mo < 1 || mo > 12) {
		ctx_error(c, n, "%s: invalid date '%s': no month %d", key, s,
		          mo);
		return FALSE;
	}
	if (d < 1 || !g_date_valid_dmy(d, mo, y)) {
		ctx_error(c, n, "%s: invalid date '%s': %s %d has %d days", key,
		          s, month_names[mo], y,
		          g_date_get_days_in_month(mo, y));
		return FALSE;
	}
	if (hs == NULL || hs[0] == '\0') {
		out->date_only = TRUE;
		g_date_clear(&out->date, 1);
		g_date_set_dmy(&out->date, d, mo, y);
		return TRUE;
	}
	{
		g_autofree char *mis = g_match_info_fetch(m, 5);
		g_autofree char *ss = g_match_info_fetch(m, 6);

		h = atoi(hs);
		mi = atoi(mis);
		sec = ss && ss[0] ? atoi(ss) : 0;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		ctx_error(c, n,
		          "%s: invalid time '%s': hours go to 23, "
		          "minutes and seconds to 59",
		          key, s);
		return FALSE;
	}
	offs = g_match_info_fetch(m, 7);
	if (offs != NULL && offs[0] != '\0') {
		g_autoptr(GTimeZone) tz = NULL;
		g_autoptr(GDateTime) t = NULL;

		if (g_ascii_strcasecmp(offs, "z") == 0)
			tz = g_time_zone_new_utc();
		else
			tz = g_time_zone_new_identifier(offs);
		if (tz == NULL) {
			ctx_error(c, n, "%s: invalid UTC offset '%s'", key,
			          offs);
			return FALSE;
		}
		if (!evf_utc_offset_valid(g_time_zone_get_offset(tz, 0))) {
			ctx_error(c, n,
			          "%s: invalid UTC offset '%s': the offsets "
			          "in use run from -12:00 to +14:00",
			          key, offs);
			return FALSE;
		}
		t = g_date_time_new(tz, y, mo, d, h, mi, sec);
		out->time = g_date_time_to_utc(t);
		out->has_offset = TRUE;
		out->offset =
		    (gint32)(g_date_time_get_utc_offset(t) / G_USEC_PER_SEC);
		return utc_year_in_range(c, key, n, s, out->time);
	}
	/* GLib gives the wall time's instant, and where it misreads the
	 * zone's rule, no instant evfeed would publish is right. */
	if (!evf_tz_is_utc(zone) && evf_tz_is_misread(zone, y)) {
		ctx_error(c, n,
		          "%s: times in %s in %d cannot be converted here: the "
		          "GLib library misreads the zone's rule after 2037; "
		          "write the time with its UTC offset "
		          "(YYYY-MM-DDTHH:MM+HH:MM)",
		          key, zone, y);
		return FALSE;
	}
	{
		g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(zone);

		g_assert(tz != NULL);
		out->time = evf_tz_datetime_new(tz, y, mo, d, h, mi, sec);
		if (out->time == NULL || g_date_time_get_hour(out->time) != h ||
		    g_date_time_get_minute(out->time) != mi ||
		    g_date_time_get_day_of_month(out->time) != d) {
			ctx_error(c, n,
			          "%s: %02d:%02d on %04d-%02d-%02d does not "
			          "exist in %s (the clocks go forward)",
			          key, h, mi, y, mo, d, zone);
			return FALSE;
		}
		if (evf_tz_is_ambiguous(out->time)) {
			g_autofree char *at =
			    g_date_time_format(out->time, "%H:%M%:z");

			evf_diags_warn(
			    c->diags, c->path, n->line, n->col,
			    "%s: %02d:%02d on %04d-%02d-%02d occurs "
			    "twice in %s (the clocks go back); taken "
			    "as the first, %s; write the offset to "
			    "choose",
			    key, h, mi, y, mo, d, zone, at);
		}
		return utc_year_in_range(c, key, n, s, out->time);
	}
}

/* (transfer full): @t as an event file writes it. */
static char *
when_text(struct icaltimetype t)
{
	if (t.is_date)
		return g_strdup_printf("%04d-%02d-%02d", t.year, t.month,
		                       t.day);
	if (t.second != 0)
		return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d", t.year,
		                       t.month, t.day, t.hour, t.minute,
		                       t.second);
	return g_strdup_printf("%04d-%02d-%02dT%02d:%02d", t.year, t.month,
	                       t.day, t.hour, t.minute);
}

/* What is wrong with the part @name=@value of a rule (RFC 5545 §3.3.10),
 * interned; NULL if nothing is. libical reads a number's digits as far as
 * they go and drops the rest (COUNT=2O, a letter O for a 0, as COUNT=2),
 * and knows no other name but says only that it failed. */
static const char *
rrule_part_mistake(const char *name, const char *value)
{
	static const char *const numbers = " BYSECOND BYMINUTE BYHOUR "
	                                   "BYMONTHDAY BYYEARDAY BYWEEKNO "
	                                   "BYMONTH BYSETPOS ",
	                         *const others = " UNTIL RSCALE SKIP ";
	static const char *const freqs[] = { "SECONDLY", "MINUTELY", "HOURLY",
		                             "DAILY",    "WEEKLY",   "MONTHLY",
		                             "YEARLY" };
	static GRegex *whole, *list, *days;
	g_autofree char *padded = g_strconcat(" ", name, " ", NULL);
	g_autofree char *why = NULL;

	if (strcmp(name, "COUNT") == 0 || strcmp(name, "INTERVAL") == 0) {
		if (g_regex_match(evf_regex_once(&whole, "^[0-9]+$", 0), value,
		                  0, NULL))
			return strcmp(name, "COUNT") == 0 &&
			               g_ascii_strtoull(value, NULL, 10) == 0
			           ? "COUNT is at least 1"
			           : NULL;
		why = g_strdup_printf("%s=%s: %s is a whole number, such as "
		                      "%s=%s",
		                      name, value, name, name,
		                      strcmp(name, "COUNT") == 0 ? "10" : "2");
	} else if (strstr(numbers, padded) != NULL) {
		/* RFC 5545 §3.3.10's ranges; those that count back from
		 * the end of the month or year also go below 0 */
		static const struct {
			const char *name, *example;
			int low, high;
			gboolean back;
		} parts[] = {
			{ "BYSECOND", "0,30", 0, 60, FALSE },
			{ "BYMINUTE", "0,30", 0, 59, FALSE },
			{ "BYHOUR", "9,14", 0, 23, FALSE },
			{ "BYMONTHDAY", "1,15", 1, 31, TRUE },
			{ "BYYEARDAY", "1,-1", 1, 366, TRUE },
			{ "BYWEEKNO", "1,20", 1, 53, TRUE },
			{ "BYMONTH", "3,10", 1, 12, FALSE },
			{ "BYSETPOS", "-1", 1, 366, TRUE },
		};
		gsize k = 0;

		while (strcmp(name, parts[k].name) != 0)
			k++;
		if (!g_regex_match(evf_regex_once(&list,
		                                  "^[+-]?[0-9]{1,3}"
		                                  "(,[+-]?[0-9]{1,3})*$",
		                                  0),
		                   value, 0, NULL))
			why = g_strdup_printf("%s=%s: %s is a list of whole "
			                      "numbers, such as %s=%s",
			                      name, value, name, name,
			                      parts[k].example);
		else {
			g_auto(GStrv) items = g_strsplit(value, ",", -1);

			for (guint i = 0; why == NULL && items[i] != NULL;
			     i++) {
				gint64 v = g_ascii_strtoll(items[i], NULL, 10);
				gint64 size = v < 0 ? -v : v;

				if ((v < 0 || items[i][0] == '+') &&
				    !parts[k].back)
					why = g_strdup_printf(
					    "%s=%s: %s is from %d to %d, with "
					    "no sign",
					    name, value, name, parts[k].low,
					    parts[k].high);
				else if (size < parts[k].low ||
				         size > parts[k].high)
					why = g_strdup_printf(
					    parts[k].back
					        ? "%s=%s: %s is from %d to %d, "
					          "or from -%d to -%d counting "
					          "back from the end"
					        : "%s=%s: %s is from %d to %d",
					    name, value, name, parts[k].low,
					    parts[k].high, parts[k].high,
					    parts[k].low);
			}
		}
	} else if (strcmp(name, "FREQ") == 0) {
		for (gsize i = 0; i < G_N_ELEMENTS(freqs); i++)
			if (g_ascii_strcasecmp(value, freqs[i]) == 0)
				return NULL;
		why =
		    g_strdup_printf("FREQ=%s: FREQ is DAILY, WEEKLY, MONTHLY, "
		                    "YEARLY or HOURLY (every two weeks is "
		                    "FREQ=WEEKLY;INTERVAL=2)",
		                    value);
	} else if (strcmp(name, "BYDAY") == 0 || strcmp(name, "WKST") == 0) {
		/* WKST is one day, without a number */
		gboolean wkst = strcmp(name, "WKST") == 0;
		g_auto(GStrv) items = g_strsplit(value, ",", -1);

		for (guint i = 0; why == NULL && items[i] != NULL; i++) {
			g_autoptr(GMatchInfo) m = NULL;
			g_autofree char *n = NULL;
			gint64 v;

			if (g_regex_match(evf_regex_once(&days,
			                                 "^([+-]?[0-9]{1,2})?"
			                                 "(MO|TU|WE|TH|FR|SA|"
			                                 "SU)$",
			                                 G_REGEX_CASELESS),
			                  items[i], 0, &m))
				n = g_match_info_fetch(m, 1);
			v = n != NULL ? g_ascii_strtoll(n, NULL, 10) : 0;
			if (n == NULL || (wkst && (n[0] != '\0' || i > 0)))
				why = g_strdup_printf(
				    wkst
				        ? "WKST=%s: WKST is one day: MO, TU, "
				          "WE, TH, FR, SA or SU"
				        : "BYDAY=%s: a day is MO, TU, WE, TH, "
				          "FR, SA or SU, with a number before "
				          "it to count it in the month or year "
				          "(1MO, the first Monday; -1FR, the "
				          "last Friday)",
				    value);
			else if (n[0] != '\0' && (v == 0 || v > 53 || v < -53))
				why = g_strdup_printf(
				    "BYDAY=%s: the number before a day is from "
				    "1 to 53, or from -1 to -53 counting back "
				    "from the end",
				    value);
		}
	} else if (name[0] == '\0') {
		why = g_strdup_printf("'=%s': each part is a NAME=VALUE, such "
		                      "as COUNT=4",
		                      value);
	} else if (strstr(others, padded) == NULL) {
		why =
		    g_strdup_printf("unknown part '%s' (a rule has FREQ, "
		                    "UNTIL or COUNT, INTERVAL, BYMONTH, "
		                    "BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY, "
		                    "BYHOUR, BYMINUTE, BYSECOND, BYSETPOS and "
		                    "WKST)",
		                    name);
	}
	return why != NULL ? g_intern_string(why) : NULL;
}

/* A numbered weekday (BYDAY=5FR) counted in a month, of a monthly
 * rule or a yearly one with BYMONTH: at most the fifth, or the fifth from
 * the end; libical refuses more only when it steps through the rule, and
 * says only that it failed. The rule's @parts are each valid. */
static const char *
month_weekday_mistake(char **parts)
{
	const char *freq = NULL, *byday = NULL;
	gboolean bymonth = FALSE;
	g_auto(GStrv) days = NULL;

	for (guint i = 0; parts[i] != NULL; i++) {
		if (g_ascii_strncasecmp(parts[i], "FREQ=", 5) == 0)
			freq = parts[i] + 5;
		else if (g_ascii_strncasecmp(parts[i], "BYDAY=", 6) == 0)
			byday = parts[i] + 6;
		bymonth |= g_ascii_strncasecmp(parts[i], "BYMONTH=", 8) == 0;
	}
	if (freq == NULL || byday == NULL ||
	    !(g_ascii_strcasecmp(freq, "MONTHLY") == 0 ||
	      (g_ascii_strcasecmp(freq, "YEARLY") == 0 && bymonth)))
		return NULL;
	days = g_strsplit(byday, ",", -1);
	for (guint i = 0; days[i] != NULL; i++) {
		gint64 v = g_ascii_strtoll(days[i], NULL, 10);
		const char *d = days[i] + strspn(days[i], "+-0123456789");

		if (v > 5 || v < -5) {
			g_autofree char *why = g_strdup_printf(
			    "BYDAY=%s: a month has at most five of each day: "
			    "from 1%s to 5%s, or from -1%s to -5%s counting "
			    "back from its end",
			    byday, d, d, d, d);

			return g_intern_string(why);
		}
	}
	return NULL;
}

/* The mistakes an editor makes most, named before libical reads the
 * rule (it says only that it failed); NULL when none is made. */
static const char *
rrule_mistake(const char *rrule)
{
	const char *why;
	g_auto(GStrv) parts = NULL;
	gboolean count = FALSE, until = FALSE, freq = FALSE;
	g_autoptr(GHashTable) seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *twice = NULL;
	/* (RFC 7529's BYMONTH=5L: RSCALE is refused, and said so, after) */
	gboolean rscale = strcasestr(rrule, "RSCALE=") != NULL;

	if (g_ascii_strncasecmp(rrule, "RRULE:", 6) == 0)
		return "leave out 'RRULE:' and write what follows it";
	if (strpbrk(rrule, " \t") != NULL)
		return "a rule has no spaces";
	parts = g_strsplit(rrule, ";", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		/* libical stops reading at an empty part, and would publish
		 * what came before it alone: FREQ=WEEKLY;;COUNT=3 as a
		 * series without end (one ';' at the end is harmless) */
		if (parts[i][0] == '\0' && parts[i + 1] != NULL)
			return i == 0
			           ? "a rule does not begin with ';'"
			           : "';;' leaves a part empty: write one ';' "
			             "between parts";
		count |= g_ascii_strncasecmp(parts[i], "COUNT=", 6) == 0;
		until |= g_ascii_strncasecmp(parts[i], "UNTIL=", 6) == 0;
		freq |= g_ascii_strncasecmp(parts[i], "FREQ=", 5) == 0;
		if (parts[i][0] != '\0' && strchr(parts[i], '=') == NULL)
			return "each part is a NAME=VALUE, such as COUNT=4";
		if (strchr(parts[i], '=') != NULL) {
			g_autofree char *name = g_ascii_strup(
			    parts[i], strchr(parts[i], '=') - parts[i]);

			why = rscale ? NULL
			             : rrule_part_mistake(
			                   name, strchr(parts[i], '=') + 1);
			if (why != NULL)
				return why;
			/* a part given twice (RFC 5545 §3.3.10: MUST
			 * NOT) */
			if (g_hash_table_contains(seen, name))
				twice = twice != NULL ? twice
				                      : g_intern_string(name);
			else
				g_hash_table_add(seen, g_steal_pointer(&name));
		}
		if (g_ascii_strncasecmp(parts[i], "INTERVAL=", 9) == 0 &&
		    g_ascii_strtoll(parts[i] + 9, NULL, 10) < 1)
			return "INTERVAL must be at least 1";
		/* and a short: 65537 it would publish as 1, and 65538 as
		 * 2 */
		if (g_ascii_strncasecmp(parts[i], "INTERVAL=", 9) == 0 &&
		    g_ascii_strtoll(parts[i] + 9, NULL, 10) > G_MAXINT16)
			return "INTERVAL is too large: at most 32767";
		/* libical reads it into an int, and would publish what is
		 * left of a larger one (COUNT=99999999999 as 1215752191) */
		if (g_ascii_strncasecmp(parts[i], "COUNT=", 6) == 0 &&
		    g_ascii_strtoll(parts[i] + 6, NULL, 10) > G_MAXINT32)
			return "COUNT is too large";
	}
	if (twice != NULL) {
		g_autofree char *given =
		    g_strdup_printf("%s is given twice: give it once", twice);

		return g_intern_string(given);
	}
	if (!freq)
		return "FREQ is missing: every rule has one (DAILY, WEEKLY, "
		       "MONTHLY or YEARLY), such as FREQ=WEEKLY;BYDAY=MO,TU";
	if ((why = month_weekday_mistake(parts)) != NULL)
		return why;
	if (count && until)
		return "COUNT and UNTIL cannot both be given";
	return NULL;
}

/* How many dates of a series with COUNT are looked at for the year of its
 * last: more, and it is taken to reach every year. */
#define MAX_COUNTED 100000

/* The first of the years a timed series @ev of rule @rt (its UNTIL in
 * wall time) from @start spans that is not regular in its zone
 * (evf_tz_is_regular), 0 when there is none: every occurrence in such a
 * year would be read an hour off by some client, or every one after a
 * change it misses. Open-ended series span every year to come. */
static int
reaches_irregular_year(const EvfEvent *ev, struct icalrecurrencetype rt,
                       struct icaltimetype start)
{
	int irregular = evf_tz_next_irregular(ev->tzid, start.year, G_MAXINT);
	icalrecur_iterator *it;
	struct icaltimetype t;
	guint n = 0;

	if (irregular == 0)
		return 0;
	if (rt.count == 0)
		return icaltime_is_null_time(rt.until) ||
		               rt.until.year >= irregular
		           ? irregular
		           : 0;
	/* COUNT: whether a date falls in or after that year */
	it = icalrecur_iterator_new(rt, start);
	if (it == NULL)
		return irregular;
	while (!icaltime_is_null_time(t = icalrecur_iterator_next(it)) &&
	       t.year < irregular && ++n < MAX_COUNTED)
		;
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	return icaltime_is_null_time(t) ? 0 : irregular;
}

/* The steps through a series' days (or, of a series whose days have no
 * fixed times, its occurrences) looked at for a wall time where the
 * clocks change (series_meets_change), at most: a daily series to 2066;
 * the first 2,000 occurrences of one every five hours on some days. */
#define MAX_CHANGE_STEPS  20000
#define MAX_CHANGE_CHECKS 2000

/* From this year on, tzdata's files give each zone one repeating rule
 * (GLib reads the years after their last change from it): a year there
 * is as this one. */
#define LAST_LISTED_YEAR 2038

/* Whether wall time @t of @tz does not exist (*@gap) or happens twice. */
static gboolean
wall_meets_change(GTimeZone *tz, struct icaltimetype t, gboolean *gap)
{
	g_autoptr(GDateTime) dt = evf_tz_datetime_new(
	    tz, t.year, t.month, t.day, t.hour, t.minute, t.second);

	if (dt == NULL)
		return FALSE;
	/* (a day too: Apia skipped 30 December 2011) */
	*gap = g_date_time_get_day_of_month(dt) != t.day ||
	       g_date_time_get_hour(dt) != t.hour ||
	       g_date_time_get_minute(dt) != t.minute;
	return *gap || evf_tz_is_ambiguous(dt);
}

/* Appends to @to the values of the BYxxx list @by (of @size, ending at
 * ICAL_RECURRENCE_ARRAY_MAX) from 0 to @max, or @dflt when it has none. */
static void
by_values(GArray *to, const short *by, int size, int max, int dflt)
{
	for (int i = 0; i < size && by[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (by[i] >= 0 && by[i] <= max)
			g_array_append_vals(to, &(int){ by[i] }, 1);
	if (to->len == 0)
		g_array_append_val(to, dflt);
}

/* (transfer full) (element-type int): the wall times (seconds after
 * midnight), in order, at which the occurrences of @rt from @start can
 * begin: BYHOUR's hours (without it, an hourly rule's are those its
 * interval reaches from the start's, libical stepping on the wall clock),
 * BYMINUTE's minutes and BYSECOND's seconds, the start's where the rule
 * has none. */
static GArray *
series_times(const struct icalrecurrencetype *rt, struct icaltimetype start)
{
	g_autoptr(GArray) hours = g_array_new(FALSE, FALSE, sizeof(int));
	g_autoptr(GArray) minutes = g_array_new(FALSE, FALSE, sizeof(int));
	g_autoptr(GArray) seconds = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *out = g_array_new(FALSE, FALSE, sizeof(int));

	if (rt->freq == ICAL_HOURLY_RECURRENCE) {
		int step = MAX(rt->interval, 1), a = 24;
		gboolean by[24] = { FALSE };

		/* the hours reached are those the greatest common divisor
		 * of the interval and 24 steps through, of BYHOUR's */
		while (step != 0) {
			int r = a % step;

			a = step;
			step = r;
		}
		for (int i = 0; i < ICAL_BY_HOUR_SIZE &&
		                rt->by_hour[i] != ICAL_RECURRENCE_ARRAY_MAX;
		     i++)
			if (rt->by_hour[i] >= 0 && rt->by_hour[i] < 24)
				by[rt->by_hour[i]] = TRUE;
		for (int h = start.hour % a; h < 24; h += a)
			if (!evf_rrule_has(rt->by_hour) || by[h])
				g_array_append_val(hours, h);
	} else {
		by_values(hours, rt->by_hour, ICAL_BY_HOUR_SIZE, 23,
		          start.hour);
	}
	by_values(minutes, rt->by_minute, ICAL_BY_MINUTE_SIZE, 59,
	          start.minute);
	by_values(seconds, rt->by_second, ICAL_BY_SECOND_SIZE, 59,
	          MIN(start.second, 59));
	for (guint h = 0; h < hours->len; h++)
		for (guint m = 0; m < minutes->len; m++)
			for (guint x = 0; x < seconds->len; x++) {
				int t = g_array_index(hours, int, h) * 3600 +
				        g_array_index(minutes, int, m) * 60 +
				        g_array_index(seconds, int, x);

				g_array_append_val(out, t);
			}
	return out;
}

/* The index of the first of @times (in order) from index @a to @b (not
 * included) that is @lo or later; @b if none. */
static guint
times_from(GArray *times, guint a, guint b, gint64 lo)
{
	while (a < b) {
		guint mid = a + (b - a) / 2;

		if (g_array_index(times, int, mid) < lo)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

/* Whether one of @times (in order) lies in [@lo, @hi). */
static gboolean
times_within(GArray *times, int lo, int hi)
{
	guint a = times_from(times, 0, times->len, lo);

	return a < times->len && g_array_index(times, int, a) < hi;
}

/* Whether one of @times (in order), @shift seconds later on the wall
 * clock, lies in the window @w of a change of the clocks. */
static gboolean
times_meet(GArray *times, const EvfTzWindow *w, gint64 shift)
{
	int lo = (int)(((w->wall - shift) % 86400 + 86400) % 86400);
	int hi = lo + w->len;

	return hi <= 86400 ? times_within(times, lo, hi)
	                   : times_within(times, lo, 86400) ||
	                         times_within(times, 0, hi - 86400);
}

/* Whether the occurrence of @ev's series at wall time @t begins or ends
 * where the clocks change (series_meets_change): @t into *@at, whether
 * its end is the one into *@end. */
static gboolean
occurrence_meets_change(GTimeZone *tz, struct icaltimetype t, gint64 length,
                        struct icaltimetype *at, gboolean *gap, gboolean *end)
{
	struct icaltimetype e = t;

	*at = t;
	*end = FALSE;
	if (wall_meets_change(tz, t, gap))
		return TRUE;
	if (length <= 0)
		return FALSE;
	icaltime_adjust(&e, 0, 0, 0, (int)MIN(length, G_MAXINT));
	return *end = wall_meets_change(tz, e, gap);
}

/* The midnight that begins @t's day, in seconds since 1970-01-01T00:00
 * on the same wall clock. */
static gint64
day_on_wall(struct icaltimetype t)
{
	GDate d, epoch;

	g_date_clear(&d, 1);
	g_date_clear(&epoch, 1);
	g_date_set_dmy(&d, (GDateDay)t.day, (GDateMonth)t.month,
	               (GDateYear)t.year);
	g_date_set_dmy(&epoch, 1, G_DATE_JANUARY, 1970);
	return (gint64)g_date_days_between(&epoch, &d) * 86400;
}

/* Whether one of the times of @times from index @from to @upto (not
 * included) that lie in [@lo, @lo + @len) seconds after the midnight of
 * @day (an occurrence's start there, or its end when @lo was moved back
 * by its length), but @skip (the series' start, checked already; -1 for
 * none) and those after @until (nullable, null time for none), begins or
 * ends where the clocks change (occurrence_meets_change). */
static gboolean
day_meets_change(GTimeZone *tz, GArray *times, guint from, guint upto,
                 struct icaltimetype day, gint64 lo, int len, int skip,
                 const struct icaltimetype *until, gint64 length,
                 struct icaltimetype *at, gboolean *gap, gboolean *end)
{
	guint a;

	if (lo + len <= 0 || lo >= 86400)
		return FALSE;
	for (a = times_from(times, from, upto, lo);
	     a < upto && g_array_index(times, int, a) < lo + len; a++) {
		int second = g_array_index(times, int, a);
		struct icaltimetype o = day;

		if (second == skip)
			continue;
		o.hour = second / 3600;
		o.minute = second / 60 % 60;
		o.second = second % 60;
		if (!icaltime_is_null_time(*until) &&
		    icaltime_compare(o, *until) > 0)
			continue;
		if (occurrence_meets_change(tz, o, length, at, gap, end))
			return TRUE;
	}
	return FALSE;
}

/* Whether the rule @rt gives the same times of day (series_times) on
 * each of its days, which a rule of its days without them gives: BYHOUR,
 * BYMINUTE and BYSECOND expand a day (RFC 5545 §3.3.10), as an hourly
 * rule whose interval divides a day does, unless BYSETPOS picks among the
 * times. Such a rule goes into *@days. */
static gboolean
rule_of_days(struct icalrecurrencetype rt, struct icalrecurrencetype *days)
{
	gboolean times = evf_rrule_has(rt.by_hour) ||
	                 evf_rrule_has(rt.by_minute) ||
	                 evf_rrule_has(rt.by_second);

	if (evf_rrule_has(rt.by_year_day) ||
	    (times && evf_rrule_has(rt.by_set_pos)))
		return FALSE;
	if (rt.freq == ICAL_HOURLY_RECURRENCE) {
		if (rt.interval > 24 || 24 % MAX(rt.interval, 1) != 0)
			return FALSE;
		rt.freq = ICAL_DAILY_RECURRENCE;
		rt.interval = 1;
	} else if (rt.freq < ICAL_DAILY_RECURRENCE) {
		return FALSE;
	}
	for (int i = 0; i < ICAL_BY_HOUR_SIZE; i++)
		rt.by_hour[i] = ICAL_RECURRENCE_ARRAY_MAX;
	for (int i = 0; i < ICAL_BY_MINUTE_SIZE; i++)
		rt.by_minute[i] = ICAL_RECURRENCE_ARRAY_MAX;
	for (int i = 0; i < ICAL_BY_SECOND_SIZE; i++)
		rt.by_second[i] = ICAL_RECURRENCE_ARRAY_MAX;
	/* Some days of each week: the same days by weeks, which libical
	 * steps through a week at a time rather than a day. */
	if (rt.freq == ICAL_DAILY_RECURRENCE && rt.interval <= 1 &&
	    evf_rrule_has(rt.by_day) && !evf_rrule_has(rt.by_month_day))
		rt.freq = ICAL_WEEKLY_RECURRENCE;
	*days = rt;
	return TRUE;
}

/* Whether @rt steps by hours alone: HOURLY with no BY rule, whose
 * occurrences are its start and every INTERVAL hours after it on the
 * wall clock (libical steps so). */
static gboolean
steps_by_hours(const struct icalrecurrencetype *rt)
{
	const short *by[] = {
		rt->by_second,  rt->by_minute,    rt->by_hour,
		rt->by_day,     rt->by_month_day, rt->by_year_day,
		rt->by_week_no, rt->by_month,     rt->by_set_pos
	};

	if (rt->freq != ICAL_HOURLY_RECURRENCE)
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(by); i++)
		if (evf_rrule_has(by[i]))
			return FALSE;
	return TRUE;
}

/* The number of the last occurrence of the hourly rule @rt of @ev in
 * steps of @step seconds from @start (0: the start), by its COUNT and its
 * UNTIL on the wall clock (G_MAXINT64: none); *@first is @start in
 * seconds since 1970-01-01T00:00 on the wall clock. */
static gint64
hours_last(const EvfEvent *ev, struct icalrecurrencetype rt,
           struct icaltimetype start, gint64 step, gint64 *first)
{
	gint64 last_n = rt.count > 0 ? (gint64)rt.count - 1 : G_MAXINT64;
	struct icalrecurrencetype local = rt;

	*first = day_on_wall(start) + start.hour * 3600 + start.minute * 60 +
	         start.second;
	evf_rrule_until_local(ev, &local);
	if (!icaltime_is_null_time(local.until)) {
		const struct icaltimetype u = local.until;
		gint64 wall =
		    day_on_wall(u) +
		    (u.is_date ? 86399
		               : u.hour * 3600 + u.minute * 60 + u.second);

		last_n = MIN(last_n, (wall - *first) / step);
	}
	return last_n;
}

/* series_meets_change for a rule that steps by hours (steps_by_hours)
 * whose interval does not divide a day: its n-th occurrence is @start
 * and n intervals on the wall clock, so the first that begins (or,
 * @length later, ends) in a window of a change is found by division,
 * window by window, year by year from @start's to @end_year, and up to
 * the COUNT or the UNTIL (on the wall clock). @windows caches each
 * year's. */
static gboolean
hours_meet_change(const EvfEvent *ev, struct icalrecurrencetype rt,
                  struct icaltimetype start, int end_year, GHashTable *windows,
                  struct icaltimetype *at, gboolean *gap, gboolean *end)
{
	GTimeZone *tz = g_date_time_get_timezone(ev->start);
	gint64 length = evf_event_wall_length(ev);
	gint64 step = (gint64)MAX(rt.interval, 1) * 3600;
	gint64 first = 0;
	gint64 last_n = hours_last(ev, rt, start, step, &first);

	for (int y = start.year; y <= end_year; y++) {
		GArray *w = g_hash_table_lookup(windows, GINT_TO_POINTER(y));

		if (w == NULL) {
			w = evf_tz_changes_in(tz, y);
			g_hash_table_insert(windows, GINT_TO_POINTER(y), w);
		}
		for (guint i = 0; i < w->len; i++) {
			const EvfTzWindow *one =
			    &g_array_index(w, EvfTzWindow, i);

			/* (the earlier first: an end in the window, then a
			 * start) */
			for (int e = 1; e >= 0; e--) {
				gint64 shift = e == 0 ? 0 : length;
				gint64 lo = one->wall - shift - first;
				/* the first n >= 1 at or after the window */
				gint64 n =
				    lo <= step ? 1 : (lo + step - 1) / step;

				if (e == 1 && length <= 0)
					continue;
				for (; n <= last_n && n * step < lo + one->len;
				     n++) {
					struct icaltimetype t = start;

					icaltime_adjust(
					    &t, (int)(n * step / 86400), 0, 0,
					    (int)(n * step % 86400));
					if (occurrence_meets_change(
					        tz, t, length, at, gap, end))
						return TRUE;
				}
			}
		}
	}
	return FALSE;
}

/* Whether an occurrence of the timed series @rt, hourly, from @start
 * (wall times of @ev's zone) comes after a change of the clocks: the
 * first such into *@at, and the change (in seconds) into *@off. RFC 5545
 * leaves open whether the hours of a step are the wall clock's or elapsed
 * time's: Thunderbird (ical.js), dateutil and sabre step on the wall
 * clock, libical (Evolution) and node-ical by elapsed hours, and every
 * occurrence after a change is the change apart in the two. (Steps of
 * one hour meet the hour of a change of whole hours, which
 * series_meets_change refuses, but step over Lord Howe's half hour;
 * other BY parts with an interval are refused before.) */
static gboolean
hours_cross_change(const EvfEvent *ev, struct icalrecurrencetype rt,
                   struct icaltimetype start, struct icaltimetype *at, int *off)
{
	GTimeZone *tz = g_date_time_get_timezone(ev->start);
	const gint64 step = (gint64)MAX(rt.interval, 1) * 3600;
	gint64 first = 0, last_n;
	int end_year = LAST_LISTED_YEAR + 28;

	if (rt.freq != ICAL_HOURLY_RECURRENCE)
		return FALSE;
	last_n = hours_last(ev, rt, start, step, &first);
	if (last_n < 1)
		return FALSE;
	/* the year of the last occurrence, when it comes before */
	if (last_n < (gint64)(end_year - start.year) * 365 * 86400 / step) {
		struct icaltimetype t = start;

		icaltime_adjust(&t, (int)(last_n * step / 86400), 0, 0,
		                (int)(last_n * step % 86400));
		end_year = t.year;
	}
	for (int y = start.year; y <= end_year; y++) {
		g_autoptr(GArray) w = evf_tz_changes_in(tz, y);

		for (guint i = 0; i < w->len; i++) {
			const EvfTzWindow *one =
			    &g_array_index(w, EvfTzWindow, i);
			gint64 after = one->wall + one->len - first;
			gint64 n;

			if (after <= 0 ||
			    (rt.interval <= 1 && one->len % 3600 == 0))
				continue;
			n = (after + step - 1) / step;
			if (n > last_n)
				return FALSE;
			*at = start;
			icaltime_adjust(at, (int)(n * step / 86400), 0, 0,
			                (int)(n * step % 86400));
			*off = one->len;
			return TRUE;
		}
	}
	return FALSE;
}

/* Whether an occurrence of the timed series @rt from @start (wall times of
 * @ev's zone) after the first spans a change of the clocks in the part of
 * its length that the calendars give as exact time: all of it after a
 * DTEND (RFC 5545 §3.8.5.3: the first's exact duration), the part after
 * the whole days of a DURATION (§3.3.6; evf_event_duration_end). Such an
 * occurrence ends an hour (or the change) off the editor's wall clock in
 * RFC 5545's reading, and on it in ical.js's, which adds the length on
 * the wall clock: Evolution and Thunderbird show other ends (a weekly
 * Saturday 22:00 to 01:00 in Santiago, whose clocks go back at 24:00).
 * The first such occurrence goes into *@at, and the clocks' change (in
 * seconds, the wall end less RFC 5545's) into *@off.
 *
 * Only the years in which a change falls within that part of an
 * occurrence's length from one of the series' times of day are stepped
 * through (as in series_meets_change), up to MAX_CHANGE_STEPS. */
static gboolean
series_spans_change(const EvfEvent *ev, struct icalrecurrencetype rt,
                    struct icaltimetype start, struct icaltimetype *at,
                    gint64 *off)
{
	GTimeZone *tz = g_date_time_get_timezone(ev->start);
	gint64 length = evf_event_wall_length(ev);
	gint64 exact = evf_event_spans_change(ev)
	                   ? length % 86400
	                   : g_date_time_difference(ev->end, ev->start) /
	                         G_TIME_SPAN_SECOND;
	g_autoptr(GArray) times = series_times(&rt, start);
	struct icaltimetype last = icaltime_null_time();
	gboolean has_last = rt.count > 0 && evf_rrule_last(ev, rt, &last);
	int end_year = !icaltime_is_null_time(rt.until) ? rt.until.year
	               : has_last                       ? last.year
	                                                : LAST_LISTED_YEAR + 28;
	int last_year = MAX(MIN(end_year, LAST_LISTED_YEAR), start.year);
	g_autoptr(GArray) meets = g_array_new(FALSE, TRUE, sizeof(gboolean));
	icalrecur_iterator *it;
	gboolean found = FALSE, any = FALSE;

	if (length <= 0 || exact <= 0)
		return FALSE;
	/* the years in which a change is within @exact after one of the
	 * times: its window's start moved back by @exact */
	for (int y = start.year; y <= last_year + 1; y++) {
		g_autoptr(GArray) w = evf_tz_changes_in(tz, y);
		gboolean m = FALSE;

		for (guint i = 0; i < w->len && !m; i++) {
			EvfTzWindow back = g_array_index(w, EvfTzWindow, i);

			back.wall -= exact;
			back.len = (int)MIN(exact + back.len, 86400);
			m = times_meet(times, &back, 0);
		}
		g_array_append_val(meets, m);
		any |= m;
	}
	if (!any)
		return FALSE;
	it = icalrecur_iterator_new(rt, start);
	if (it == NULL) {
		icalerror_clear_errno();
		return FALSE;
	}
	(void)icalrecur_iterator_next(it); /* the first, overridden */
	for (guint n = 0; n < MAX_CHANGE_STEPS && !found; n++) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		struct icaltimetype e = t;
		int y;
		g_autoptr(GDateTime) s = NULL;
		g_autoptr(GDateTime) rfc = NULL;
		g_autoptr(GDateTime) wall = NULL;

		if (icaltime_is_null_time(t) || t.year > end_year)
			break;
		y = MIN(t.year, last_year) - start.year;
		/* (the exact part may end in the next year) */
		if (t.year > last_year && !g_array_index(meets, gboolean, y) &&
		    !g_array_index(meets, gboolean, y + 1))
			break;
		if (!g_array_index(meets, gboolean, y) &&
		    !g_array_index(meets, gboolean, y + 1))
			continue;
		s = evf_tz_datetime_new(tz, t.year, t.month, t.day, t.hour,
		                        t.minute, t.second);
		icaltime_adjust(&e, 0, 0, 0, (int)MIN(length, G_MAXINT));
		wall = evf_tz_datetime_new(tz, e.year, e.month, e.day, e.hour,
		                           e.minute, e.second);
		/* (a start or end where the clocks change is
		 * series_meets_change's) */
		if (s == NULL || wall == NULL)
			continue;
		rfc = evf_event_duration_end(ev, s);
		if (rfc == NULL || g_date_time_equal(rfc, wall))
			continue;
		*at = t;
		*off = g_date_time_difference(wall, rfc) / G_TIME_SPAN_SECOND;
		found = TRUE;
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	return found;
}

/* Whether an occurrence of the timed series @rt from @start (wall times of
 * @ev's zone) after the first begins or ends where the clocks change: in
 * the hour that does not exist (*@gap) or in the one that happens twice.
 * Clients disagree on such an occurrence: ical.js and vobject put one in
 * the gap at other instants, and take other ones of the two in the fold;
 * an end is the start and the first occurrence's length, which ical.js
 * adds on the wall clock and others as exact time. The first such
 * occurrence goes into *@at, and whether its end is the one into *@end.
 *
 * The clocks change at a few wall times a year: the series' times of day
 * (series_times) are matched with them, year by year, and only the days
 * of the years where they meet are looked at, each at the times that
 * meet. An hourly rule whose interval does not divide a day is matched
 * with the windows by division (hours_meet_change); one of those with a
 * BY part, and a rule that picks among times with BYSETPOS, has its
 * occurrences looked at one by one. */
static gboolean
series_meets_change(const EvfEvent *ev, struct icalrecurrencetype rt,
                    struct icaltimetype start, struct icaltimetype *at,
                    gboolean *gap, gboolean *end)
{
	GTimeZone *tz = g_date_time_get_timezone(ev->start);
	icalrecur_iterator *it = NULL;
	gboolean met = FALSE;
	gint64 length = evf_event_wall_length(ev);
	int start_second = start.hour * 3600 + start.minute * 60 + start.second;
	gint64 start_day = day_on_wall(start);
	g_autoptr(GArray) times = series_times(&rt, start);
	struct icalrecurrencetype days;
	gboolean by_days = rule_of_days(rt, &days);
	/* stepping ends with the series (its last date, bounded in steps
	 * and years), or with a year in which the weekdays have come round
	 * again on the dates of 2038 (28 years) */
	struct icaltimetype last = icaltime_null_time();
	gboolean has_last = rt.count > 0 && evf_rrule_last(ev, rt, &last);
	int end_year = !icaltime_is_null_time(rt.until) ? rt.until.year
	               : has_last                       ? last.year
	                                                : LAST_LISTED_YEAR + 28;
	int last_year = MIN(end_year, LAST_LISTED_YEAR);
	g_autoptr(GArray) changes = g_array_new(FALSE, TRUE, sizeof(gboolean));
	/* year → the windows of its changes (EvfTzWindow) */
	g_autoptr(GHashTable) windows = g_hash_table_new_full(
	    g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_array_unref);
	struct icaltimetype until = icaltime_null_time();
	int left; /* of the COUNT, in the days stepped through */
	gboolean any = FALSE;

	/* A series meets the clocks' changes only in the years in which
	 * they change at its times of day, or at its ends': every year of
	 * the series is looked at, as a zone may move its changes to
	 * another hour (Chisinau's of 2022). */
	last_year = MAX(last_year, start.year);
	for (int y = start.year; y <= last_year; y++) {
		GArray *w = evf_tz_changes_in(tz, y);
		gboolean c = FALSE;

		for (guint i = 0; i < w->len && !c; i++) {
			const EvfTzWindow *one =
			    &g_array_index(w, EvfTzWindow, i);

			c = times_meet(times, one, 0) ||
			    (length > 0 && times_meet(times, one, length));
		}
		g_hash_table_insert(windows, GINT_TO_POINTER(y), w);
		g_array_append_val(changes, c);
		any |= c;
	}
	if (!any)
		return FALSE;
	if (!by_days && steps_by_hours(&rt))
		return hours_meet_change(ev, rt, start,
		                         MIN(end_year, LAST_LISTED_YEAR + 28),
		                         windows, at, gap, end);
	/* The days' rule ends with the day of the series' UNTIL (read on
	 * the wall clock, as libical steps), and a COUNT is counted out
	 * in the days' times. */
	if (by_days) {
		struct icalrecurrencetype local = rt;

		evf_rrule_until_local(ev, &local);
		until = local.until;
		days.count = 0;
		if (!icaltime_is_null_time(until)) {
			days.until = until;
			days.until.hour = 23;
			days.until.minute = days.until.second = 59;
		}
	}
	it = icalrecur_iterator_new(by_days ? days : rt, start);
	if (it == NULL) {
		icalerror_clear_errno();
		return FALSE;
	}
	if (!by_days)
		(void)icalrecur_iterator_next(it); /* the start, checked */
	left = rt.count;
	for (guint n = 0;
	     n < (by_days ? MAX_CHANGE_STEPS : MAX_CHANGE_CHECKS) && !met &&
	     (rt.count == 0 || left > 0);
	     n++) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		guint from_x = 0, upto_x = times->len;
		gint64 day = 0;
		int y;

		if (icaltime_is_null_time(t) || t.year > end_year ||
		    (t.year > last_year &&
		     !g_array_index(changes, gboolean, last_year - start.year)))
			break;
		if (by_days) {
			/* the day's occurrences: from the start on its day,
			 * and as many as the COUNT leaves */
			day = day_on_wall(t);
			while (day == start_day && from_x < times->len &&
			       g_array_index(times, int, from_x) < start_second)
				from_x++;
			if (rt.count > 0) {
				upto_x = MIN(upto_x, from_x + (guint)left);
				left -= (int)(upto_x - from_x);
			}
		}
		y = MIN(t.year, last_year) - start.year;
		/* (an end may fall in the next year) */
		if (!g_array_index(changes, gboolean, y) &&
		    (t.year + 1 > last_year ||
		     !g_array_index(changes, gboolean, y + 1)))
			continue;
		if (!by_days) {
			met = occurrence_meets_change(tz, t, length, at, gap,
			                              end);
			continue;
		}
		/* the day's times whose start or end falls where the clocks
		 * change, in its year or the next (on the wall clock, in
		 * seconds since 1970: the windows of those very years, after
		 * 2038 too), but the start, and up to the UNTIL */
		for (int k = t.year; k <= t.year + 1 && !met; k++) {
			GArray *w =
			    g_hash_table_lookup(windows, GINT_TO_POINTER(k));

			if (w == NULL) {
				w = evf_tz_changes_in(tz, k);
				g_hash_table_insert(windows, GINT_TO_POINTER(k),
				                    w);
			}
			for (guint i = 0; i < w->len && !met; i++) {
				const EvfTzWindow *one =
				    &g_array_index(w, EvfTzWindow, i);
				gint64 lo = one->wall - day;
				int skip = day == start_day ? start_second : -1;

				/* (the earlier first: those that end there) */
				met = (length > 0 &&
				       day_meets_change(
				           tz, times, from_x, upto_x, t,
				           lo - length, one->len, skip, &until,
				           length, at, gap, end)) ||
				      day_meets_change(tz, times, from_x,
				                       upto_x, t, lo, one->len,
				                       skip, &until, length, at,
				                       gap, end);
			}
		}
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	return met;
}

gboolean
evf_eventfile_until_late(const struct icaltimetype *u)
{
	/* as a start's (utc_year_in_range): vobject fails on the whole
	 * calendar for an UNTIL in 9999, a year 10000 east of UTC */
	return u->is_date
	           ? u->year > 2200
	           : icaltime_as_timet_with_zone(
	                 *u, icaltimezone_get_utc_timezone()) > LAST_INSTANT;
}

/* (transfer full) (nullable): why the UNTIL @u that libical read is no
 * date or time. libical takes its digits as they come, 30 February and
 * hour 25 too, and writes them back so: node-ical then fails on the whole
 * calendar, and python3-icalendar drops the rule, showing one date. */
static char *
until_mistake(const struct icaltimetype *u)
{
	if (icaltime_is_null_time(*u))
		return NULL;
	if (u->month < 1 || u->month > 12)
		return g_strdup_printf("invalid UNTIL: no month %d", u->month);
	if (u->year < 1)
		return g_strdup("invalid UNTIL: no year 0");
	if (u->day < 1 || !g_date_valid_dmy(u->day, u->month, u->year))
		return g_strdup_printf(
		    "invalid UNTIL: %s %d has %d days", month_names[u->month],
		    u->year, g_date_get_days_in_month(u->month, u->year));
	if (!u->is_date && (u->hour > 23 || u->minute > 59 || u->second > 59))
		return g_strdup("invalid UNTIL: hours go to 23, minutes and "
		                "seconds to 59");
	if (evf_eventfile_until_late(u))
		return g_strdup_printf(
		    "UNTIL: the year must be from 1900 to 2200, as a "
		    "start's%s; for a series without an end, leave UNTIL out",
		    u->is_date ? "" : " (to 2200-12-31T08:00Z in UTC)");
	return NULL;
}

/* The most occurrences @rt may give in one day: FREQ=HOURLY's hours (of
 * BYHOUR, or every INTERVAL-th), else BYHOUR's, times BYMINUTE's times
 * BYSECOND's. FREQ=HOURLY;BYMINUTE=0,1,…,59 is FREQ=MINUTELY. */
static guint
per_day(const struct icalrecurrencetype *rt)
{
	guint hours = evf_rrule_by_count(rt->by_hour, ICAL_BY_HOUR_SIZE);
	guint minutes = evf_rrule_by_count(rt->by_minute, ICAL_BY_MINUTE_SIZE);
	guint seconds = evf_rrule_by_count(rt->by_second, ICAL_BY_SECOND_SIZE);

	if (rt->freq == ICAL_HOURLY_RECURRENCE) {
		guint every = (23 + (guint)MAX(rt->interval, 1)) /
		              (guint)MAX(rt->interval, 1);

		hours = hours > 0 ? MIN(hours, every) : every;
	}
	return MAX(hours, 1) * MAX(minutes, 1) * MAX(seconds, 1);
}

/* (transfer full): what is wrong with the rule @rrule in itself, whatever
 * the event's dates, or NULL with the rule in *@out. */
static char *
rrule_form(const char *rrule, struct icalrecurrencetype *out)
{
	struct icalrecurrencetype rt;
	const char *why;
	g_autofree char *rscale = NULL;
	g_autofree char *problem = NULL;

	if (strpbrk(rrule, "\r\n") != NULL)
		return g_strdup("line breaks are not allowed");
	if ((why = rrule_mistake(rrule)) != NULL)
		return g_strdup_printf("invalid RRULE '%s': %s", rrule, why);
	icalerror_clear_errno();
	rt = evf_rrule_from_string(rrule);
	/* libical strdup()s RSCALE's value and leaves it to the caller. */
	if (rt.rscale != NULL) {
		rscale = g_strdup(rt.rscale);
		free(rt.rscale);
		rt.rscale = NULL;
	}
	if (rt.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		return g_strdup_printf("invalid RRULE '%s' (expected e.g. "
		                       "FREQ=WEEKLY;COUNT=4)",
		                       rrule);
	}
	if (rt.freq == ICAL_SECONDLY_RECURRENCE ||
	    rt.freq == ICAL_MINUTELY_RECURRENCE)
		return g_strdup("FREQ=SECONDLY and FREQ=MINUTELY are not "
		                "supported for events");
	if (per_day(&rt) > 24)
		return g_strdup_printf(
		    "RRULE '%s': up to %u occurrences a day; as with "
		    "FREQ=MINUTELY, more than one an hour is not supported "
		    "(calendar programs stop at their limits, or fail the "
		    "whole calendar)",
		    rrule, per_day(&rt));
	/* RFC 7529: Outlook and Google know no other calendar than the
	 * Gregorian, and would put the occurrences on other days. */
	if (rscale != NULL && g_ascii_strcasecmp(rscale, "GREGORIAN") == 0)
		return g_strdup_printf(
		    "RSCALE=%s is not supported: the Gregorian calendar is "
		    "RFC 5545's own, without it, and clients that know no "
		    "RSCALE (Outlook, Google) would not read a SKIP",
		    rscale);
	if (rscale != NULL)
		return g_strdup_printf("RSCALE=%s is not supported: most "
		                       "calendar clients ignore it and would "
		                       "show other dates",
		                       rscale);
	if ((problem = until_mistake(&rt.until)) != NULL)
		return g_strdup_printf("RRULE '%s': %s", rrule, problem);
	/* The pages and [feeds] past_days step through a series from its
	 * start to know whether it is over: a longer one stayed upcoming,
	 * in the calendars too, long after its last date. */
	if (rt.count > EVF_RRULE_MAX_COUNT)
		return g_strdup_printf("RRULE '%s': COUNT above %d; give the "
		                       "last date as UNTIL instead",
		                       rrule, EVF_RRULE_MAX_COUNT);
	if ((why = evf_rrule_refusal(&rt)) != NULL)
		return g_strdup_printf("RRULE '%s': %s", rrule, why);
	*out = rt;
	return NULL;
}

/* The first month of the year in @rt's BYMONTH, whatever its order (the
 * calendars write it in order, as Thunderbird steps through it). */
static int
first_month(const struct icalrecurrencetype *rt)
{
	int first = 13;

	for (int i = 0; i < ICAL_BY_MONTH_SIZE &&
	                rt->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++)
		first = MIN(first, rt->by_month[i]);
	return first;
}

/* Whether @rt may give more than one date in a month: BYSETPOS with more
 * than one place, more than one BYMONTHDAY, or (without BYMONTHDAY) more
 * than one BYDAY or a weekday without a number (every Saturday: four or
 * five dates). */
static gboolean
several_a_month(const struct icalrecurrencetype *rt)
{
	if (evf_rrule_has(rt->by_set_pos))
		return evf_rrule_has(rt->by_set_pos + 1);
	if (evf_rrule_has(rt->by_month_day))
		return evf_rrule_has(rt->by_month_day + 1);
	if (!evf_rrule_has(rt->by_day))
		return FALSE;
	return evf_rrule_has(rt->by_day + 1) ||
	       icalrecurrencetype_day_position(rt->by_day[0]) == 0;
}

/* Whether a day of @rt's BYMONTHDAY (counted from the start) is past the
 * end of one month of its BYMONTH (February has 29 days). */
static gboolean
some_month_lacks_a_day(const struct icalrecurrencetype *rt)
{
	for (int i = 0; i < ICAL_BY_MONTH_SIZE &&
	                rt->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++) {
		int m = CLAMP(rt->by_month[i], 1, 12);
		int days = m == 2 ? 29 : g_date_get_days_in_month(m, 2001);

		for (int j = 0;
		     j < ICAL_BY_MONTHDAY_SIZE &&
		     rt->by_month_day[j] != ICAL_RECURRENCE_ARRAY_MAX;
		     j++)
			if (rt->by_month_day[j] > days)
				return TRUE;
	}
	return FALSE;
}

/* Whether one of @rt's BYMONTHDAY counts from the month's end (-1). */
static gboolean
from_month_end(const struct icalrecurrencetype *rt)
{
	for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE &&
	                rt->by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
	     i++)
		if (rt->by_month_day[i] < 0)
			return TRUE;
	return FALSE;
}

/* Whether the clocks of @tzid change in @year (or a day around it). */
static gboolean
changes_in(const char *tzid, int year)
{
	g_autoptr(GTimeZone) tz = evf_tz_new(tzid, NULL);
	g_autoptr(GArray) w = tz != NULL ? evf_tz_changes_in(tz, year) : NULL;

	return w == NULL || w->len > 0;
}

char *
evf_eventfile_check_rrule(const EvfEvent *ev, const char *rrule)
{
	struct icalrecurrencetype rt;
	struct icaltimetype start, first, second;
	icalrecur_iterator *it;
	char *problem;
	int irregular;
	gboolean gap = FALSE, at_end = FALSE;
	gint64 spans = 0;
	GTimeSpan back;
	int crossed = 0;

	if ((problem = rrule_form(rrule, &rt)) != NULL)
		return problem;
	if (!icaltime_is_null_time(rt.until)) {
		if (ev->all_day && !rt.until.is_date)
			return g_strdup("UNTIL must be a date (YYYYMMDD) for "
			                "an all-day event");
		if (!ev->all_day &&
		    (rt.until.is_date || !icaltime_is_utc(rt.until)))
			return g_strdup("UNTIL must be a UTC date-time "
			                "(YYYYMMDDTHHMMSSZ) for a timed "
			                "event");
	}
	/* RFC 5545 3.3.10: no BYHOUR, BYMINUTE or BYSECOND with a DATE
	 * start; and a series of days by hours makes Thunderbird (ical.js)
	 * throw ("Same occurrence found twice") and Python's dateutil give
	 * times of day. */
	if (ev->all_day &&
	    (rt.freq == ICAL_HOURLY_RECURRENCE || evf_rrule_has(rt.by_hour) ||
	     evf_rrule_has(rt.by_minute) || evf_rrule_has(rt.by_second)))
		return g_strdup("an all-day event repeats by days at most: "
		                "FREQ=HOURLY, BYHOUR, BYMINUTE and BYSECOND "
		                "are for an event with a time");
	/* The rule runs in the event's wall time, as clients read it. */
	start = evf_rrule_start(ev);
	/* Where calendar clients part ways: */
	if (!ev->all_day && ev->tzid != NULL &&
	    evf_tz_is_ambiguous(ev->start)) {
		g_autofree char *a = when_text(start);

		/* a single event is published in UTC instead */
		return g_strdup_printf("the start, %s, happens twice in %s "
		                       "(the clocks go back), and calendar "
		                       "clients disagree on which a series "
		                       "means: start it at another hour",
		                       a, ev->tzid);
	}
	if (!ev->all_day && ev->tzid != NULL &&
	    (back = evf_tz_set_back(ev->start)) != 0) {
		g_autofree char *a = when_text(start);
		g_autoptr(GDateTime) to = g_date_time_add(ev->start, -back);
		g_autofree char *hm =
		    to != NULL ? g_date_time_format(to, "%H:%M") : NULL;
		int min = (int)(back / G_TIME_SPAN_MINUTE);
		g_autofree char *early =
		    min % 60 != 0 ? g_strdup_printf("%d minutes", min)
		    : min == 60   ? g_strdup("an hour")
		                  : g_strdup_printf("%d hours", min / 60);

		/* a single event is published in UTC instead */
		return g_strdup_printf(
		    "the start, %s, is the time the clocks "
		    "of %s go back from, to %s, and Ruby's "
		    "icalendar reads it as that moment, %s "
		    "early: start the series at another time",
		    a, ev->tzid, hm != NULL ? hm : "?", early);
	}
	if (evf_rrule_has(rt.by_week_no))
		return g_strdup("BYWEEKNO is not supported: Thunderbird "
		                "(ical.js) puts such a series in other weeks");
	/* Thunderbird (ical.js) steps through several times of day of a
	 * yearly or monthly rule otherwise than RFC 5545: it gave the
	 * first time alone and other dates (a Tuesday for a Thursday), or
	 * left out months, and ended the series early or late. Daily and
	 * weekly rules it reads as the others do. */
	if ((rt.freq == ICAL_YEARLY_RECURRENCE ||
	     rt.freq == ICAL_MONTHLY_RECURRENCE) &&
	    (evf_rrule_has(rt.by_hour + 1) || evf_rrule_has(rt.by_minute + 1) ||
	     evf_rrule_has(rt.by_second + 1))) {
		const char *freq = rt.freq == ICAL_YEARLY_RECURRENCE
		                       ? "FREQ=YEARLY"
		                       : "FREQ=MONTHLY";

		if (rt.freq == ICAL_YEARLY_RECURRENCE &&
		    !evf_rrule_has(rt.by_day) && !evf_rrule_has(rt.by_year_day))
			return g_strdup_printf(
			    "%s and more than one BYHOUR or BYMINUTE: "
			    "Thunderbird gives other dates and times; write "
			    "FREQ=DAILY with BYMONTH and BYMONTHDAY for its "
			    "days, such as FREQ=DAILY;BYMONTH=%d;BYMONTHDAY="
			    "%d;BYHOUR=9,14 for %d %s each year, which every "
			    "client reads alike",
			    freq, start.month, start.day, start.day,
			    month_names[CLAMP(start.month, 1, 12)]);
		return g_strdup_printf(
		    "%s and more than one BYHOUR or BYMINUTE: Thunderbird "
		    "gives other dates and times; give each time of day an "
		    "event of its own",
		    freq);
	}
	/* An INTERVAL whose steps a BY part then filters: Thunderbird
	 * takes every month of BYMONTH (RFC 5545: of those the INTERVAL
	 * steps on), and both it and libical every hour of BYHOUR, where
	 * hours in steps that do not divide a day fall on other hours
	 * each day. */
	if (rt.freq == ICAL_MONTHLY_RECURRENCE && rt.interval > 1 &&
	    evf_rrule_has(rt.by_month))
		return g_strdup(
		    "FREQ=MONTHLY with both INTERVAL and BYMONTH: "
		    "Thunderbird ignores the INTERVAL, where RFC "
		    "5545 keeps the months of BYMONTH that it steps "
		    "on; leave INTERVAL out and give in BYMONTH the "
		    "months meant");
	if (rt.freq == ICAL_HOURLY_RECURRENCE && rt.interval > 1 &&
	    (evf_rrule_has(rt.by_hour) || evf_rrule_has(rt.by_day) ||
	     evf_rrule_has(rt.by_month_day) || evf_rrule_has(rt.by_month) ||
	     evf_rrule_has(rt.by_year_day)))
		return g_strdup_printf(
		    "FREQ=HOURLY;INTERVAL=%d with a BY part: calendar "
		    "clients and libical take the steps of %d hours "
		    "otherwise there; give the hours meant with FREQ=DAILY "
		    "and BYHOUR",
		    rt.interval, rt.interval);
	/* Hours by BYHOUR are a daily rule's: hourly, Thunderbird and
	 * node-ical add hours the steps of an INTERVAL never reach, and
	 * Thunderbird counts one too few from a start off the hour. And
	 * Thunderbird refuses BYYEARDAY in an hourly rule (no date). */
	if (rt.freq == ICAL_HOURLY_RECURRENCE && evf_rrule_has(rt.by_hour))
		return g_strdup("FREQ=HOURLY with BYHOUR: calendar clients "
		                "disagree on its hours; write FREQ=DAILY with "
		                "the same BYHOUR (and BYMINUTE), which every "
		                "client reads alike");
	if (rt.freq == ICAL_HOURLY_RECURRENCE && evf_rrule_has(rt.by_year_day))
		return g_strdup(
		    "FREQ=HOURLY with BYYEARDAY: Thunderbird "
		    "refuses it and shows no date; write FREQ=DAILY "
		    "with BYYEARDAY and BYHOUR");
	/* A monthly rule with BYMONTH and several dates a month, from
	 * another month than the first of BYMONTH: Thunderbird shows the
	 * start's month twice. */
	if (rt.freq == ICAL_MONTHLY_RECURRENCE && evf_rrule_has(rt.by_month) &&
	    start.month != first_month(&rt) && several_a_month(&rt))
		return g_strdup_printf(
		    "FREQ=MONTHLY with BYMONTH and more than one date a "
		    "month, from %s, not the first month of BYMONTH: "
		    "Thunderbird shows that month's dates twice; start the "
		    "series in the first of BYMONTH's months of the year, or "
		    "give each month's dates an event of its own",
		    month_names[CLAMP(start.month, 1, 12)]);
	/* With an INTERVAL, Thunderbird starts a yearly rule counted from
	 * the month's end a year late, and picks other months of a monthly
	 * rule with both BYDAY and BYMONTHDAY. */
	if (rt.freq == ICAL_YEARLY_RECURRENCE && rt.interval > 1 &&
	    from_month_end(&rt))
		return g_strdup_printf(
		    "FREQ=YEARLY with INTERVAL and a BYMONTHDAY counted from "
		    "the month's end: Thunderbird starts it a year late; "
		    "write FREQ=MONTHLY;INTERVAL=%d with the same BYMONTHDAY "
		    "for one month of the year",
		    rt.interval * 12);
	if (rt.freq == ICAL_MONTHLY_RECURRENCE && rt.interval > 1 &&
	    evf_rrule_has(rt.by_day) && evf_rrule_has(rt.by_month_day))
		return g_strdup(
		    "FREQ=MONTHLY with INTERVAL and both BYDAY and "
		    "BYMONTHDAY: Thunderbird gives other months; "
		    "give the dates with one of BYDAY and BYMONTHDAY");
	/* node-ical ignores BYDAY beside BYYEARDAY (a Monday for a Tuesday
	 * or a Sunday). */
	if (evf_rrule_has(rt.by_year_day) && evf_rrule_has(rt.by_day))
		return g_strdup("BYYEARDAY with BYDAY: node-ical ignores the "
		                "BYDAY; give the days with one of them alone");
	/* A day of the month that one month of BYMONTH does not have (the
	 * 31st in April): Thunderbird puts it on the 1st of the next. */
	if (rt.freq == ICAL_YEARLY_RECURRENCE && some_month_lacks_a_day(&rt))
		return g_strdup(
		    "FREQ=YEARLY with a BYMONTHDAY that a month of "
		    "BYMONTH does not have: Thunderbird puts it on "
		    "the first of the next month; give those months "
		    "an event of their own");
	/* A day counted from the month's end is for a monthly or yearly
	 * rule: in a daily or weekly one beside other days, Thunderbird
	 * leaves it out. */
	if (from_month_end(&rt) && rt.freq != ICAL_MONTHLY_RECURRENCE &&
	    rt.freq != ICAL_YEARLY_RECURRENCE &&
	    evf_rrule_has(rt.by_month_day + 1))
		return g_strdup(
		    "a BYMONTHDAY counted from the month's end "
		    "(-1) is read in a monthly or yearly rule only: "
		    "Thunderbird leaves it out of another; write "
		    "FREQ=MONTHLY with the same BYMONTHDAY");
	/* Weekdays among days counted from the month's end: Thunderbird
	 * (ical.js 2) gives a yearly "last Thursday of October" written so
	 * no date at all, throws on some monthly ones ("Malformed values in
	 * BYDAY part") and drops the start of others. */
	if (from_month_end(&rt) && evf_rrule_has(rt.by_day))
		return g_strdup(
		    "BYDAY with a BYMONTHDAY counted from the month's end: "
		    "Thunderbird gives no date, or other dates, for it; "
		    "write a numbered weekday, such as "
		    "FREQ=YEARLY;BYMONTH=10;BYDAY=-1TH for the last Thursday "
		    "of October, or days counted from the month's start");
	/* ical.js reads one digit of a numbered weekday: 20MO as 0MO,
	 * every Monday, and 52FR as 2FR. */
	if (evf_rrule_day_number_max(&rt) >= 10)
		return g_strdup(
		    "a numbered weekday of BYDAY beyond the ninth (such as "
		    "20MO): Thunderbird reads its last digit alone (every "
		    "Monday); write FREQ=YEARLY with BYMONTH and the "
		    "weekday's number in that month, such as "
		    "BYMONTH=5;BYDAY=3MO");
	/* BYSETPOS picks among what the other BY parts give in a period
	 * (RFC 5545 §3.3.10): "the last weekday of the month". With a day
	 * or a week for period, ical.js, node-ical and dateutil each give
	 * other dates, or none, or loop. */
	if (evf_rrule_has(rt.by_set_pos) && !evf_rrule_has(rt.by_day) &&
	    !evf_rrule_has(rt.by_month_day) && !evf_rrule_has(rt.by_month) &&
	    !evf_rrule_has(rt.by_year_day) && !evf_rrule_has(rt.by_hour) &&
	    !evf_rrule_has(rt.by_minute) && !evf_rrule_has(rt.by_second))
		return g_strdup(
		    "BYSETPOS picks among the dates of another "
		    "BY part (RFC 5545), and there is none: such "
		    "as FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;"
		    "BYSETPOS=-1 for the last weekday of the month");
	/* Thunderbird (ical.js) ignores BYSETPOS beside BYDAY and
	 * BYMONTHDAY: two or three dates a month for "the first weekday
	 * among the 1st to the 3rd". */
	if (evf_rrule_has(rt.by_set_pos) && evf_rrule_has(rt.by_month_day) &&
	    evf_rrule_has(rt.by_day))
		return g_strdup("BYSETPOS with BYMONTHDAY: Thunderbird "
		                "ignores the BYSETPOS and gives every date "
		                "of the BYMONTHDAY; write the weekdays "
		                "alone, such as FREQ=MONTHLY;BYDAY=MO,TU,WE,"
		                "TH,FR;BYSETPOS=1 for the first weekday of "
		                "the month");
	/* Thunderbird (ical.js) picks among the days of one month only:
	 * a yearly rule's last weekday was 31 December and the first days
	 * of January, and the last of several days of the month another. */
	if (evf_rrule_has(rt.by_set_pos) &&
	    (rt.freq != ICAL_MONTHLY_RECURRENCE || !evf_rrule_has(rt.by_day)))
		return g_strdup("BYSETPOS is supported with FREQ=MONTHLY and "
		                "BYDAY only (\"the last weekday of the "
		                "month\"): otherwise Thunderbird gives other "
		                "dates than the other calendar clients");
	/* A yearly rule with a day of the month and no month: RFC 5545
	 * reads it as that day of every month (dateutil, khal), libical
	 * and Thunderbird (ical.js) as once a year. */
	if (rt.freq == ICAL_YEARLY_RECURRENCE &&
	    evf_rrule_has(rt.by_month_day) && !evf_rrule_has(rt.by_month) &&
	    !evf_rrule_has(rt.by_year_day))
		return g_strdup_printf(
		    "FREQ=YEARLY with BYMONTHDAY and no BYMONTH: calendar "
		    "clients disagree on whether it is every month (as RFC "
		    "5545 has it) or once a year; add BYMONTH=%d for once a "
		    "year, or write FREQ=MONTHLY for every month",
		    start.month);
	/* From the end of more than one month in a year, Thunderbird
	 * (ical.js) puts February's on the 2nd or 3rd of March. */
	if (rt.freq == ICAL_YEARLY_RECURRENCE && from_month_end(&rt) &&
	    evf_rrule_has(rt.by_month) && evf_rrule_has(rt.by_month + 1))
		return g_strdup("FREQ=YEARLY with a BYMONTHDAY counted from "
		                "the month's end in more than one month: "
		                "Thunderbird puts some on other days; write "
		                "FREQ=MONTHLY with the same BYMONTH and "
		                "BYMONTHDAY, which every client reads alike");
	if (rt.freq == ICAL_YEARLY_RECURRENCE && start.month == 2 &&
	    start.day == 29 && !evf_rrule_has(rt.by_month_day) &&
	    !evf_rrule_has(rt.by_year_day) && !evf_rrule_has(rt.by_day)) {
		/* (a start written with its offset runs the rule in UTC,
		 * where 1 March at +02:00 is 29 February) */
		g_autoptr(GDateTime) shown =
		    !ev->all_day ? evf_event_shown_time(ev, ev->start) : NULL;
		gboolean moved =
		    shown != NULL && g_date_time_get_day_of_month(shown) != 29;

		return g_strdup_printf(
		    "a yearly series from 29 February%s: calendar clients "
		    "disagree on the other years (Thunderbird moves it to 1 "
		    "March, the others leave them out); %s",
		    moved ? " in UTC" : "",
		    moved ? "write the start without its offset, with "
		            "'timezone:', to have the rule run on the day it "
		            "is written for"
		          : "write FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29 for "
		            "leap years only");
	}
	/* The rule must produce at least one occurrence within a bounded
	 * number of steps (libical spins on some impossible rules), and its
	 * first must be the start: RFC 5545 leaves a series undefined whose
	 * start is not one of its dates, and Thunderbird leaves the start
	 * out where others show it. */
	evf_rrule_until_local(ev, &rt);
	it = icalrecur_iterator_new(rt, start);
	if (it == NULL) {
		icalerror_clear_errno();
		return g_strdup_printf("invalid RRULE '%s'", rrule);
	}
	first = icalrecur_iterator_next(it);
	/* A rule that gives its first date and no other (COUNT=1, or an
	 * UNTIL before the second) is a series of one, which Outlook
	 * refuses as a whole. The second date is found within the rule's
	 * own period (UNTIL or COUNT ends it sooner): the first one shows
	 * the rule is possible. */
	second =
	    icaltime_is_null_time(first) ? first : icalrecur_iterator_next(it);
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	if (icaltime_is_null_time(first) && from_month_end(&rt) &&
	    rt.freq != ICAL_MONTHLY_RECURRENCE &&
	    rt.freq != ICAL_YEARLY_RECURRENCE)
		return g_strdup_printf(
		    "RRULE '%s' gives no date: a BYMONTHDAY counted from the "
		    "month's end is read in a monthly or yearly rule only; "
		    "write FREQ=MONTHLY;BYMONTHDAY=-1 for the last day of "
		    "each month",
		    rrule);
	if (icaltime_is_null_time(first) && !icaltime_is_null_time(rt.until) &&
	    icaltime_compare(rt.until, start) < 0) {
		g_autofree char *u = when_text(rt.until);
		g_autofree char *a = when_text(start);

		return g_strdup_printf("RRULE '%s' never occurs: its UNTIL, "
		                       "%s, is before the start, %s",
		                       rrule, u, a);
	}
	if (icaltime_is_null_time(first))
		return g_strdup_printf("RRULE '%s' never occurs", rrule);
	/* libical 3.0 counts the weeks of such a rule from another day than
	 * ical.js and dateutil, which keep the start */
	if (icaltime_compare(first, start) != 0 &&
	    rt.freq == ICAL_WEEKLY_RECURRENCE && rt.interval > 1 &&
	    rt.week_start != ICAL_MONDAY_WEEKDAY &&
	    rt.week_start != ICAL_NO_WEEKDAY)
		return g_strdup_printf(
		    "RRULE '%s': with INTERVAL and WKST=%s, libical (which "
		    "evfeed and Evolution read series with) leaves out the "
		    "start and puts the weeks elsewhere than Thunderbird and "
		    "others do; write it without WKST, or as one weekly "
		    "series per day",
		    rrule, icalrecur_weekday_to_string(rt.week_start));
	if (icaltime_compare(first, start) != 0) {
		g_autofree char *a = when_text(start);
		g_autofree char *b = when_text(first);

		/* a start written with an offset: the rule runs in UTC,
		 * where the day may be another */
		gboolean in_utc =
		    !ev->all_day && ev->tzid == NULL && ev->utc_offset != 0;

		return g_strdup_printf(
		    "the start, %s%s, is not one of the "
		    "rule's dates, the first of which is %s%s: "
		    "calendar clients disagree on whether it "
		    "counts; start on the first%s",
		    a, in_utc ? " UTC" : "", b, in_utc ? " UTC" : "",
		    in_utc ? " (a series whose start is written with its "
		             "offset runs in UTC: write the start without "
		             "it, with timezone:, to have the rule run in "
		             "local time)"
		           : "");
	}
	if (icaltime_is_null_time(second))
		return g_strdup_printf("RRULE '%s' gives one date only, the "
		                       "start: Outlook refuses a series of "
		                       "one; leave out recurrence",
		                       rrule);
	if (!ev->all_day && ev->tzid != NULL &&
	    series_meets_change(ev, rt, start, &first, &gap, &at_end)) {
		g_autofree char *a = when_text(first);

		return g_strdup_printf(
		    "the occurrence of %s %s in %s (the clocks go %s), "
		    "and calendar clients disagree on when it %s: set the "
		    "series at another hour",
		    a,
		    at_end ? (gap ? "ends at a time that does not exist"
		                  : "ends at a time that happens twice")
		           : (gap ? "does not exist" : "happens twice"),
		    ev->tzid, gap ? "forward" : "back", at_end ? "ends" : "is");
	}
	if (!ev->all_day && ev->tzid != NULL &&
	    series_spans_change(ev, rt, start, &first, &spans)) {
		g_autofree char *a = when_text(first);

		return g_strdup_printf(
		    "the occurrence of %s spans a change of the clocks of %s "
		    "(they go %s), and calendar clients disagree on when it "
		    "ends, %d minutes apart (Thunderbird on the wall clock, "
		    "Evolution and others the first's exact length later): "
		    "set the series at another hour, or end it before that "
		    "date (UNTIL or COUNT)",
		    a, ev->tzid, spans < 0 ? "forward" : "back",
		    (int)(ABS(spans) / 60));
	}
	if (!ev->all_day && ev->tzid != NULL &&
	    hours_cross_change(ev, rt, start, &first, &crossed)) {
		g_autofree char *a = when_text(first);

		return g_strdup_printf(
		    "the occurrence of %s comes after a change of the clocks "
		    "of %s, and calendar clients disagree on its time, %d "
		    "minutes apart (Thunderbird steps FREQ=HOURLY on the "
		    "wall clock, Evolution and others by elapsed hours): "
		    "for times of day write FREQ=DAILY with BYHOUR, or end "
		    "the series before that change (UNTIL or COUNT)",
		    a, ev->tzid, crossed / 60);
	}
	/* (after the occurrences that do not exist, which say more: Samoa's
	 * day skipped in 2011 is also a change no yearly rule gives) */
	if (!ev->all_day && ev->tzid != NULL && start.year < EVF_TZ_FIRST_YEAR)
		return g_strdup_printf("a timed series in %s cannot start "
		                       "before %d, from when evfeed publishes "
		                       "its zones' rules: give each date an "
		                       "event file of its own",
		                       ev->tzid, EVF_TZ_FIRST_YEAR);
	/* (a single event is published in UTC instead; a series follows
	 * its zone's changes) */
	if (!ev->all_day && ev->tzid != NULL &&
	    !evf_tz_is_regular(ev->tzid, start.year)) {
		int from = evf_tz_regular_from(ev->tzid);

		if (changes_in(ev->tzid, start.year))
			return g_strdup_printf(
			    "in %d the clocks of %s change on dates no "
			    "yearly rule gives, which Outlook cannot follow "
			    "in a series: give each date an event file of its "
			    "own",
			    start.year, ev->tzid);
		/* a year without a change (Cairo from 2015 to 2022)
		 * before the zone's rules of today */
		if (from > start.year)
			return g_strdup_printf(
			    "in %d the clocks of %s did not change, and the "
			    "yearly rules calendars are given for it, which "
			    "hold from %d, would have them change: give each "
			    "date an event file of its own",
			    start.year, ev->tzid, from);
		return g_strdup_printf(
		    "in %d the clocks of %s keep an offset that no yearly "
		    "rule calendars are given for it has: give each date an "
		    "event file of its own",
		    start.year, ev->tzid);
	}
	if (!ev->all_day && ev->tzid != NULL &&
	    (irregular = reaches_irregular_year(ev, rt, start)) != 0)
		return g_strdup_printf(
		    "the series runs into %d, when the clocks of %s change "
		    "otherwise than by the yearly rules calendars are "
		    "given for it (on other dates, or by another amount), "
		    "so clients would show occurrences at other times: end "
		    "it before %d (UNTIL or COUNT), and give "
		    "later dates a series or event files of their own",
		    irregular, ev->tzid, irregular);
	return NULL;
}

/* --------------------------------------------------------------- keys */

/* The index of @key among the mapping's items (its value follows it);
 * -1 when absent. */
static gint
key_index(const Node *map, const char *key)
{
	for (guint i = 0; i + 1 < map->items->len; i += 2) {
		const Node *k = g_ptr_array_index(map->items, i);

		if (k->kind == NODE_SCALAR && strcmp(k->value, key) == 0)
			return (gint)i;
	}
	return -1;
}

/* Finds the value of @key in the mapping; NULL when absent. */
static const Node *
lookup(const Node *map, const char *key)
{
	gint i = key_index(map, key);

	return i < 0 ? NULL : g_ptr_array_index(map->items, i + 1);
}

/* (transfer full): "known keys: title, start, …". */
static char *
known_keys_list(void)
{
	GString *out = g_string_new("known keys: ");

	for (guint j = 0; j < G_N_ELEMENTS(known_keys); j++)
		g_string_append_printf(out, "%s%s", j > 0 ? ", " : "",
		                       known_keys[j]);
	return g_string_free(out, FALSE);
}

/* (transfer full): what an editor most likely meant by the unknown key
 * @key, said as the end of its diagnostic. */
static char *
key_advice(const char *key)
{
	static const char *const meant[][2] = {
		{ "date", "start" },
		{ "time", "start" },
		{ "begin", "start" },
		{ "place", "location" },
		{ "venue", "location" },
		{ "where", "location" },
		{ "category", "categories" },
		{ "tags", "categories" },
		{ "tag", "categories" },
		{ "link", "url" },
		{ "website", "url" },
		{ "web", "url" },
		{ "organiser", "organizer" },
		{ "organizers", "organizer" },
		{ "organisers", "organizer" },
		{ "email", "organizer_email" },
		{ "tz", "timezone" },
		{ "zone", "timezone" },
		{ "time_zone", "timezone" },
		{ "rrule", "recurrence" },
		{ "repeat", "recurrence" },
		{ "state", "status" },
		{ "name", "title" },
		{ "finish", "end" },
		{ "until", "end" },
		{ "id", "uid" },
	};
	const char *best = NULL;
	guint best_d = 3;
	gunichar invisible = evf_text_first_invisible(key);

	if (invisible != 0)
		return evf_invisible_advice(invisible);
	for (guint j = 0; j < G_N_ELEMENTS(known_keys); j++)
		if (g_ascii_strcasecmp(known_keys[j], key) == 0)
			return g_strdup_printf("keys are written in lower "
			                       "case: '%s'",
			                       known_keys[j]);
	if (g_ascii_strcasecmp(key, "description") == 0 ||
	    g_ascii_strcasecmp(key, "summary") == 0 ||
	    g_ascii_strcasecmp(key, "body") == 0)
		return g_strdup("the description is not a key: write it "
		                "after the closing '---'");
	for (guint j = 0; j < G_N_ELEMENTS(meant); j++)
		if (g_ascii_strcasecmp(meant[j][0], key) == 0)
			return g_strdup_printf("did you mean '%s'?",
			                       meant[j][1]);
	/* a typing slip: one or two letters off a key not much shorter */
	for (guint j = 0; j < G_N_ELEMENTS(known_keys); j++) {
		guint d = evf_edit_distance(key, known_keys[j]);

		if (d < best_d && d < strlen(known_keys[j]) / 2 + 1) {
			best = known_keys[j];
			best_d = d;
		}
	}
	if (best != NULL)
		return g_strdup_printf("did you mean '%s'?", best);
	return known_keys_list();
}

/* Whether @map has a key that is @key in another case ('Title'), which
 * check_keys reports. */
static gboolean
has_key_in_other_case(const Node *map, const char *key)
{
	for (guint i = 0; i + 1 < map->items->len; i += 2) {
		const Node *k = g_ptr_array_index(map->items, i);

		if (k->kind == NODE_SCALAR &&
		    g_ascii_strcasecmp(k->value, key) == 0 &&
		    strcmp(k->value, key) != 0)
			return TRUE;
	}
	return FALSE;
}

static void
check_keys(Ctx *c, const Node *map)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i + 1 < map->items->len; i += 2) {
		const Node *k = g_ptr_array_index(map->items, i);
		const Node *first;
		gboolean known = FALSE;

		if (k->kind != NODE_SCALAR) {
			ctx_error(c, k, "keys must be plain words");
			continue;
		}
		first = g_hash_table_lookup(seen, k->value);
		if (first != NULL) {
			ctx_error(c, k,
			          "duplicate key '%s' (first given on "
			          "line %u)",
			          k->value, first->line);
			continue;
		}
		g_hash_table_insert(seen, k->value, (gpointer)k);
		for (guint j = 0; j < G_N_ELEMENTS(known_keys); j++)
			known |= strcmp(known_keys[j], k->value) == 0;
		if (!known) {
			g_autofree char *advice = key_advice(k->value);

			ctx_error(c, k, "unknown key '%s' (%s)", k->value,
			          advice);
		}
	}
}

/* tzdata's Etc/GMT+5 names UTC-05:00 (evf_tz_etc_advice): a warning that
 * says which offset it is. */
static void
warn_etc_sign(Ctx *c, const Node *zone, const char *tzid)
{
	g_autofree char *advice = evf_tz_etc_advice(tzid);

	if (advice != NULL)
		evf_diags_warn(c->diags, c->path, zone->line, zone->col,
		               "timezone: %s", advice);
}

/* A time zone named by an all-day event, whose dates are read in none,
 * or by a timed one whose start is written with an offset the zone does
 * not have then, and whose end, if any, with an offset too: an editor's
 * zone must not be dropped in silence. (A timed start with the zone's
 * offset names its zone rightly: the offset chooses between a wall time's
 * two instants when the clocks go back, as want_when advises. An end
 * without an offset is read in the zone, and warn_end_without_offset
 * tells of it. Where GLib misreads the zone, which want_when refuses
 * for a wall time, an offset is what the editor is told to write.) */
static void
warn_zone_unused(Ctx *c, const Node *zone, const char *tzid, const When *s,
                 const When *e)
{
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GTimeZone) at = NULL;
	g_autoptr(GDateTime) there = NULL;
	g_autoptr(GDateTime) written_at = NULL;
	g_autofree char *written = NULL, *local = NULL, *wall = NULL;
	g_autofree char *how = NULL;

	if (zone == NULL)
		return;
	if (s->date_only) {
		evf_diags_warn(c->diags, c->path, zone->line, zone->col,
		               "timezone: not used: an all-day event is on the "
		               "same days in every zone (give start a time to "
		               "have it in %s, or leave the key out)",
		               tzid);
		return;
	}
	if (!s->has_offset || (e != NULL && !e->has_offset))
		return;
	at = g_time_zone_new_offset(s->offset);
	written_at = g_date_time_to_timezone(s->time, at);
	if (written_at == NULL ||
	    evf_tz_is_misread(tzid, g_date_time_get_year(written_at)) ||
	    evf_tz_is_misread(tzid, g_date_time_get_year(s->time)))
		return;
	tz = evf_tz_or_utc(tzid);
	there = g_date_time_to_timezone(s->time, tz);
	if (there == NULL ||
	    g_date_time_get_utc_offset(there) / G_USEC_PER_SEC == s->offset)
		return;
	written = when_written(s, FALSE);
	wall = wall_written(written_at);
	local = wall_written(there);
	/* an end with an offset too loses it with the start's: each as
	 * written, on its own wall clock; unless that clock puts it at the
	 * start or before (offsets far apart: 10:00+14:00 to 09:00-10:00),
	 * when it comes as long after the start as it does now */
	if (e != NULL) {
		g_autoptr(GTimeZone) end_at = g_time_zone_new_offset(e->offset);
		g_autoptr(GDateTime) end_written =
		    g_date_time_to_timezone(e->time, end_at);
		g_autofree char *end_wall = NULL;

		if (end_written != NULL &&
		    g_date_time_to_unix(end_written) + e->offset <=
		        g_date_time_to_unix(written_at) + s->offset)
			g_clear_pointer(&end_written, g_date_time_unref);
		if (end_written == NULL)
			end_written = g_date_time_add(
			    written_at,
			    g_date_time_difference(e->time, s->time));
		end_wall = wall_written(end_written);

		how = g_strdup_printf("start and end without their offsets "
		                      "(start: %s, end: %s)",
		                      wall, end_wall);
	}
	evf_diags_warn(c->diags, c->path, zone->line, zone->col,
	               "timezone: not used: start is written with an offset "
	               "that %s does not have then (%s, which is %s there), "
	               "and is published at that offset; to have the event "
	               "at %s in %s, write %s, or leave the key out",
	               tzid, written, local, wall, tzid,
	               how != NULL ? how : "start without its offset");
}

/* An end written without an offset beside a start written with one is
 * read in the event's zone, @tzid (evfeed-event(5)), which the editor
 * seldom means ("10:00+05:45" to "12:00" is taken to end at 12:00 in the
 * site's zone): warned of, with the end written at the start's offset,
 * when it is after the start (else the error says it, in UTC too). */
static void
warn_end_without_offset(Ctx *c, const Node *end, const char *tzid,
                        const When *s, const When *e)
{
	g_autoptr(GTimeZone) at = NULL;
	g_autoptr(GTimeZone) zone = NULL;
	g_autoptr(GDateTime) there = NULL;
	g_auto(When) meant = { 0 };
	g_autofree char *read = NULL, *start = NULL, *fix = NULL;

	if (end == NULL || !s->has_offset || e->has_offset || s->date_only ||
	    e->date_only)
		return;
	/* a start at the offset the zone has then (02:30+02:00, the first
	 * of the two in the night the clocks go back, as the warning of an
	 * ambiguous time advises): the offset says which, and the end is
	 * meant in the zone */
	zone = evf_tz_or_utc(tzid);
	there = g_date_time_to_timezone(s->time, zone);
	if (there != NULL &&
	    g_date_time_get_utc_offset(there) / G_USEC_PER_SEC == s->offset)
		return;
	at = g_time_zone_new_offset(s->offset);
	meant.has_offset = TRUE;
	meant.offset = s->offset;
	meant.time = g_date_time_new(
	    at, g_date_time_get_year(e->time), g_date_time_get_month(e->time),
	    g_date_time_get_day_of_month(e->time),
	    g_date_time_get_hour(e->time), g_date_time_get_minute(e->time),
	    g_date_time_get_seconds(e->time));
	if (meant.time == NULL)
		return;
	read = when_written(e, TRUE);
	start = when_written(s, FALSE);
	fix = when_written(&meant, FALSE);
	evf_diags_warn(c->diags, c->path, end->line, end->col,
	               "end: %s has no offset from UTC, and is read in %s, "
	               "while start has one (%s); to end at the start's "
	               "offset, write end: %s",
	               read, tzid, start, fix);
}

static void
read_dates(Ctx *c, const Node *map, EvfEvent *ev)
{
	const Node *start = lookup(map, "start");
	const Node *end = lookup(map, "end");
	const Node *zone = lookup(map, "timezone");
	g_autofree char *tzid = NULL;
	g_auto(When) s = { 0 };
	g_auto(When) e = { 0 };

	gboolean dates_ok = TRUE;

	if (zone != NULL) {
		g_autoptr(GTimeZone) tz = NULL;
		const char *problem;

		tzid = want_string(c, "timezone", zone);
		if (tzid != NULL && evf_tz_is_utc(tzid)) {
			g_free(tzid);
			tzid = g_strdup("UTC");
		} else if (tzid != NULL &&
		           (tz = evf_tz_new(tzid, &problem)) == NULL) {
			g_autofree char *advice = evf_tz_advice(tzid, TRUE);

			ctx_error(c, zone, "timezone: %s: '%s'%s", problem,
			          tzid, advice);
			g_clear_pointer(&tzid, g_free);
		} else if (tzid != NULL) {
			warn_etc_sign(c, zone, tzid);
		}
	} else {
		tzid = g_strdup(c->cfg->timezone);
	}
	/* Every mistake is reported at once: without a zone, the dates are
	 * still read for their form (in UTC, where every wall time exists),
	 * and a wrong start leaves the end to be read on its own. */
	if (tzid == NULL) {
		dates_ok = FALSE;
		tzid = g_strdup("UTC");
	}
	if (start == NULL) {
		if (!c->partial && !has_key_in_other_case(map, "start"))
			ctx_error(c, map,
			          "missing key 'start' (a date, a date-time "
			          "or tba)");
		dates_ok = FALSE;
	} else if (!want_when(c, "start", start, tzid, TRUE, FALSE, &s)) {
		dates_ok = FALSE;
	} else if (s.tba) {
		ev->tba = TRUE;
		if (end != NULL)
			ctx_error(c, end, "end: not allowed when start is tba");
		return;
	}
	if (end != NULL &&
	    !want_when(c, "end", end, tzid, FALSE, dates_ok && s.date_only, &e))
		return;
	if (!dates_ok)
		return;
	warn_zone_unused(c, zone, tzid, &s, end != NULL ? &e : NULL);
	if (end != NULL && e.date_only != s.date_only) {
		ctx_error(c, end, "end: must be a %s like start%s",
		          s.date_only ? "date" : "date-time",
		          s.date_only
		              ? " (an all-day event ends on a day; to "
		                "give times, give start one too)"
		              : " (a timed event ends at a time, such "
		                "as YYYY-MM-DDT17:00; to make it all-day, "
		                "leave the time out of start)");
		return;
	}
	ev->all_day = s.date_only;
	if (s.date_only) {
		ev->start_date = s.date;
		ev->end_date = end != NULL ? e.date : s.date;
		if (g_date_compare(&ev->end_date, &ev->start_date) < 0) {
			ctx_error(c, end, "end: %04d-%02d-%02d is before start",
			          g_date_get_year(&e.date),
			          g_date_get_month(&e.date),
			          g_date_get_day(&e.date));
			return;
		}
		/* Editors write the last day; iCalendar wants the day after. */
		g_date_add_days(&ev->end_date, 1);
		return;
	}
	/* UTC needs no VTIMEZONE (libical has none to give): its times are
	 * written with Z, as an offset's are. */
	if (!s.has_offset && !evf_tz_is_utc(tzid))
		ev->tzid = g_strdup(tzid);
	/* shown at the offset they were written with */
	ev->utc_offset = s.offset;
	ev->start = g_date_time_ref(s.time);
	if (end != NULL) {
		ev->end = g_date_time_to_timezone(
		    e.time, g_date_time_get_timezone(s.time));
		if (g_date_time_compare(ev->end, ev->start) <= 0) {
			/* as written, and in UTC too where the two are
			 * not written alike (a wall time and an offset) */
			gboolean alike =
			    s.has_offset == e.has_offset &&
			    (!s.has_offset || s.offset == e.offset);
			g_autofree char *a = when_written(&e, !alike);
			g_autofree char *b = when_written(&s, !alike);
			g_autoptr(GDateTime) next =
			    g_date_time_add_days(e.time, 1);
			g_autofree char *n =
			    next != NULL
			        ? g_date_time_format(next, "%Y-%m-%dT%H:%M")
			        : NULL;
			/* the same day, earlier, and the next day's time
			 * within 12 hours of the start: an end after
			 * midnight */
			gboolean overnight =
			    !e.has_offset && strncmp(a, b, 10) == 0 &&
			    next != NULL &&
			    g_date_time_compare(next, ev->start) > 0 &&
			    g_date_time_difference(next, ev->start) <=
			        12 * G_TIME_SPAN_HOUR;

			ctx_error(c, end, "end: %s is not after start, %s%s%s",
			          a, b,
			          overnight ? "; an event that ends after "
			                      "midnight ends the next day: "
			                    : "",
			          overnight ? n : "");
		} else {
			warn_end_without_offset(c, end, tzid, &s, &e);
		}
	} else {
		ev->end = g_date_time_add_hours(ev->start, 1);
		ev->end_default = TRUE;
	}
}

static void
read_published(Ctx *c, const Node *n, EvfEvent *ev)
{
	g_auto(When) w = { 0 };

	if (!want_when(c, "published", n, c->cfg->timezone, FALSE, FALSE, &w))
		return;
	ev->published_line = n->line;
	ev->published_col = n->col;
	if (w.date_only) {
		g_autoptr(GTimeZone) tz =
		    g_time_zone_new_identifier(c->cfg->timezone);
		g_autoptr(GDateTime) t = evf_tz_datetime_new(
		    tz, g_date_get_year(&w.date), g_date_get_month(&w.date),
		    g_date_get_day(&w.date), 0, 0, 0);
		ev->published = g_date_time_to_unix(t) * G_USEC_PER_SEC;
	} else {
		ev->published = g_date_time_to_unix(w.time) * G_USEC_PER_SEC;
	}
	if (ev->published > c->now) {
		g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(
		    ev->published / G_USEC_PER_SEC);
		g_autofree char *shown = g_date_time_format(at, "%FT%TZ");

		/* (a date is midnight in the site's zone, which may be
		 * hours from UTC's) */
		ctx_error(c, n,
		          "published: in the future, %s: a build from then on "
		          "publishes the event",
		          shown);
		/* gone by itself then: `evfeed serve` builds again */
		((EvfDiag *)g_ptr_array_index(c->diags, c->diags->len - 1))
		    ->passes_at = ev->published;
	} else if (ev->published < EVF_EARLIEST_PUBDATE)
		ctx_error(c, n,
		          "published: before 1990 (UTC), which feed validators "
		          "report as implausible");
}

/* The digits a coordinate may have: three before the point (180), and
 * after it as many as a map's "copy coordinates" gives (a double's
 * shortest form, up to 17 significant digits); more say a slip of the
 * keyboard, not a place. */
#define GEO_MAX_INT_DIGITS     3
#define GEO_MAX_DECIMAL_DIGITS 17

/* Whether @s ends with a compass letter ('46.05 N', '14.51E'). */
static gboolean
compass_letter(const char *s)
{
	gsize n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n > 1 && strchr("NSEW", s[n - 1]) != NULL &&
	       (g_ascii_isdigit(s[n - 2]) || s[n - 2] == ' ');
}

/* (transfer full) (nullable): why @s is no coordinate, or NULL with its
 * value in *@out. A coordinate is written as RFC 5545 writes GEO's floats
 * (3.3.8): an optional sign, digits, and an optional point with digits
 * after it, with spaces around it allowed. strtod() alone would also take
 * hexadecimal ('0x10'), exponents ('1e1'), 'inf' and 'nan', which are no
 * one's way of giving a place, and every calendar client reads GEO in
 * RFC 5545's form only. */
static char *
geo_number(const char *s, double *out)
{
	static GRegex *form;
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *whole = NULL, *decimals = NULL;
	g_autofree char *shown = evf_text_oneline(s);

	if (!g_regex_match(evf_regex_once(&form,
	                                  "^[ \\t]*[+-]?([0-9]+)"
	                                  "(?:\\.([0-9]+))?[ \\t]*$",
	                                  0),
	                   s, 0, &m)) {
		gunichar space = 0;

		/* '46.05,\u00a014.51', as a word processor writes it */
		for (const char *p = s; *p != '\0' && space == 0;
		     p = g_utf8_next_char(p))
			if ((guchar)*p >= 0x80 &&
			    g_unichar_isspace(g_utf8_get_char(p)))
				space = g_utf8_get_char(p);
		if (space != 0)
			return g_strdup_printf("'%s' holds a no-break or other "
			                       "space (U+%04X): type an "
			                       "ordinary space",
			                       g_strstrip(shown), space);
		/* as copied from a web page or a map */
		if (strstr(s, "\u2212") != NULL || strstr(s, "\u2013") != NULL)
			return g_strdup_printf("'%s' has a minus sign or a "
			                       "dash that is not '-': type "
			                       "'-'",
			                       g_strstrip(shown));
		if (strstr(s, "\u00b0") != NULL || compass_letter(s))
			return g_strdup_printf(
			    "'%s' is not a number in decimal degrees: write it "
			    "without '\u00b0' and N, S, E or W, south and west "
			    "with a '-' (46.05 or -0.5)",
			    g_strstrip(shown));
		return g_strdup_printf("'%s' is not a number in decimal "
		                       "degrees (digits, with an optional "
		                       "sign and decimal point, such as "
		                       "46.05 or -0.5)",
		                       g_strstrip(shown));
	}
	whole = g_match_info_fetch(m, 1);
	decimals = g_match_info_fetch(m, 2);
	if (strlen(whole) > GEO_MAX_INT_DIGITS ||
	    (decimals != NULL && strlen(decimals) > GEO_MAX_DECIMAL_DIGITS))
		return g_strdup_printf("'%s' has too many digits (at most %d "
		                       "before the decimal point and %d after "
		                       "it)",
		                       g_strstrip(shown), GEO_MAX_INT_DIGITS,
		                       GEO_MAX_DECIMAL_DIGITS);
	*out = g_ascii_strtod(s, NULL);
	return NULL;
}

/* The node of coordinate @k (0: latitude) of geo @n: its item in a list,
 * where an error about it is; @n itself when written as one text. */
static const Node *
geo_item(const Node *n, guint k)
{
	return n->kind == NODE_SEQUENCE && k < n->items->len
	           ? g_ptr_array_index(n->items, k)
	           : n;
}

static void
read_geo(Ctx *c, const Node *n, EvfEvent *ev)
{
	g_autofree char *s = NULL;
	g_autofree char *why = NULL;
	g_auto(GStrv) parts = NULL;
	double lat = 0, lon = 0;

	/* A list is one of geo's forms: any other than two numbers is
	 * refused as a wrong position, not as a list. */
	if (n->kind != NODE_SEQUENCE) {
		s = want_string(c, "geo", n);
		if (s == NULL)
			return;
	} else if (n->items->len == 2) {
		const Node *a = g_ptr_array_index(n->items, 0);
		const Node *b = g_ptr_array_index(n->items, 1);

		if (a->kind == NODE_SCALAR && b->kind == NODE_SCALAR &&
		    strchr(a->value, ',') == NULL &&
		    strchr(b->value, ',') == NULL)
			s = g_strdup_printf("%s,%s", a->value, b->value);
	}
	parts = s != NULL ? g_strsplit(s, ",", -1) : NULL;
	if (parts == NULL || g_strv_length(parts) != 2) {
		ctx_error(c, n,
		          "geo: expected 'latitude, longitude' in degrees, "
		          "such as '46.05, 14.51'%s",
		          s != NULL && strchr(s, ',') == NULL &&
		                  strchr(s, ';') != NULL
		              ? " (separate the two with a comma)"
		          : parts != NULL && g_strv_length(parts) == 4
		              ? " (with a decimal point, not a comma)"
		              : "");
		return;
	}
	if ((why = geo_number(parts[0], &lat)) != NULL) {
		ctx_error(c, geo_item(n, 0), "geo: %s", why);
		return;
	}
	if ((why = geo_number(parts[1], &lon)) != NULL) {
		ctx_error(c, geo_item(n, 1), "geo: %s", why);
		return;
	}
	if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
		gboolean bad_lat = lat < -90 || lat > 90;

		ctx_error(c, geo_item(n, bad_lat ? 0 : 1),
		          "geo: %s %s is out of range (%s)%s",
		          bad_lat ? "latitude" : "longitude",
		          g_strstrip(bad_lat ? parts[0] : parts[1]),
		          bad_lat ? "-90 to 90" : "-180 to 180",
		          fabs(lon) <= 90 && fabs(lat) <= 180
		              ? ": the latitude comes first"
		              : "");
		return;
	}
	ev->has_geo = TRUE;
	/* to the six decimals (about 0.1 m) that the calendars carry
	 * (libical writes six), so that every output gives the same place;
	 * + 0.0 makes a -0 0 */
	ev->lat = round(lat * 1e6) / 1e6 + 0.0;
	ev->lon = round(lon * 1e6) / 1e6 + 0.0;
}

/* A series in a zone that node-ical cannot read yet, so far ahead that
 * its reader's time zone library gives its start another offset
 * (evf_tz_node_ical_from): every calendar that holds it fails there, all
 * of its events lost, until the reader's clock catches up. Legal, and
 * right in every other client: a warning. */
static void
warn_node_ical_horizon(Ctx *c, const EvfEvent *ev, const Node *n)
{
	g_autoptr(GDateTime) now =
	    g_date_time_new_from_unix_utc(c->now / G_USEC_PER_SEC);
	/* (node-ical knows the clocks to 1 January of its reader's year
	 * and ten) */
	int horizon = g_date_time_get_year(now) + 10;
	gint32 taken = 0;
	int from;
	g_autoptr(GTimeZone) fixed = NULL;
	g_autoptr(GDateTime) misread = NULL;
	g_autofree char *when = NULL;
	g_autofree char *real = NULL;
	g_autofree char *wrong = NULL;

	if (ev->all_day || ev->tzid == NULL || ev->start == NULL)
		return;
	from = evf_tz_node_ical_from(ev->tzid, g_date_time_to_unix(ev->start),
	                             c->now / G_USEC_PER_SEC, &taken);
	if (from == 0)
		return;
	/* (the start is in its own zone) */
	when = when_text(evf_rrule_start(ev));
	real = g_date_time_format(ev->start, "%:z");
	fixed = g_time_zone_new_offset(taken);
	misread = g_date_time_to_timezone(ev->start, fixed);
	wrong = g_date_time_format(misread, "%:z");
	evf_diags_warn(
	    c->diags, c->path, n->line, n->col,
	    "recurrence: node-ical (the calendar reader of MagicMirror² and "
	    "other Node.js programs) refuses every calendar that holds this "
	    "series, with all of its events, until 1 January %d: it knows "
	    "the clock changes of %s only up to %d, takes every later time "
	    "to be at %s, and fails on the start, %s at %s; it reads a "
	    "series that starts before %d or at %s, and an event without "
	    "recurrence",
	    from, ev->tzid, horizon, wrong, when, real, horizon, wrong);
}

/* A series of more than one occurrence a day: python-recurring-ical-events
 * (2.0, as Debian 12 ships it) keeps one occurrence of each UID and day
 * when they have a SEQUENCE, as every event of evfeed's has (old Outlook
 * needs it), and shows the last of each day alone. Legal, and right in
 * every other client: a warning, with what every client reads. */
static void
warn_several_a_day(Ctx *c, const EvfEvent *ev, const Node *n)
{
	struct icalrecurrencetype rt;
	guint most;

	icalerror_clear_errno();
	rt = evf_rrule_from_string(ev->rrule);
	icalerror_clear_errno();
	most = per_day(&rt);
	if (most < 2)
		return;
	evf_diags_warn(c->diags, c->path, n->line, n->col,
	               "recurrence: up to %u occurrences a day: "
	               "python-recurring-ical-events (a calendar reader of "
	               "Python programs, as Debian 12 ships it) shows only "
	               "the last of each day of a "
	               "series that has a SEQUENCE, as evfeed's calendars "
	               "have; give each time of day an event file of its own "
	               "(one with BYHOUR=9, another with BYHOUR=17)",
	               most);
}

/* A series in a zone whose clock changes Outlook does not read
 * (evf_tz_outlook_reads). A single event there is published in UTC; a
 * series keeps its zone, which its rule runs in, and every other client
 * reads. */
static void
warn_outlook_zone(Ctx *c, const EvfEvent *ev, const Node *n)
{
	struct icaltimetype start;

	if (ev->all_day || ev->tzid == NULL || ev->start == NULL)
		return;
	start = evf_rrule_start(ev);
	if (evf_tz_outlook_reads(ev->tzid, start.year))
		return;
	evf_diags_warn(c->diags, c->path, n->line, n->col,
	               "recurrence: Outlook does not read the rules of the "
	               "clock changes of %s in %d (they fall on a weekday on "
	               "or after a date, and Outlook takes only a date or a "
	               "weekday counted in the month: MS-OXCICAL), and may "
	               "show the series, and the other events in %s of the "
	               "calendars that hold it, at other times; other "
	               "clients read them. An event without recurrence is "
	               "published in UTC, which Outlook reads",
	               ev->tzid, start.year, ev->tzid);
}

/* An e-mail address as RFC 5321 has one for mail across the Internet: a
 * dot-atom before the '@' (letters, digits and !#$%&'*+/=?^_`{|}~-, or
 * characters past ASCII, RFC 6531), a domain of two labels or more after
 * it, of letters, digits and inner hyphens. */
#define EMAIL_ATEXT  "(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\\x00-\\x7F])"
#define EMAIL_LETDIG "(?:[A-Za-z0-9]|[^\\x00-\\x7F])"
#define EMAIL_LABEL \
	EMAIL_LETDIG "(?:(?:[A-Za-z0-9-]|[^\\x00-\\x7F])*" EMAIL_LETDIG ")?"

/* Checks @address, the value of @n (organizer_email), with advice: the
 * calendars write it after "mailto:", which it must not have already,
 * nor a query ("?subject=…") that would become part of the host. */
static void
check_email(Ctx *c, const Node *n, const char *address)
{
	static GRegex *email_form;
	const char *at = strchr(address, '@');
	const char *query = at != NULL ? strchr(at, '?') : NULL;

	if (g_ascii_strncasecmp(address, "mailto:", 7) == 0) {
		/* the calendars add it: mailto:mailto:… */
		const char *bare = address + 7;
		const char *q = strchr(bare, '?');

		ctx_error(c, n,
		          "organizer_email: write the address without "
		          "'mailto:'%s ('%.*s')",
		          q != NULL ? " and what follows its '?'" : "",
		          (int)(q != NULL ? q - bare : (gssize)strlen(bare)),
		          bare);
		return;
	}
	if (g_regex_match(evf_regex_once(&email_form,
	                                 "^" EMAIL_ATEXT "+(?:\\." EMAIL_ATEXT
	                                 "+)*@" EMAIL_LABEL "(?:\\." EMAIL_LABEL
	                                 ")+$",
	                                 0),
	                  address, 0, NULL))
		return;
	if (query != NULL)
		ctx_error(c, n,
		          "organizer_email: not an e-mail address: '%s'; write "
		          "the address alone, without what follows its '?' "
		          "('%.*s')",
		          address, (int)(query - address), address);
	else
		ctx_error(c, n, "organizer_email: not an e-mail address: '%s'",
		          address);
}

/* For a series whose start is written with its offset, which runs in UTC
 * (write-ics.c): whether the dates its rule gives there, shown at that
 * offset, are other than those it gives from the start as written: the
 * 28th at 20:00-05:00 is the 29th in UTC, which February lacks, and a
 * monthly series left out February, unseen. *@at: the first date that
 * differs, as written (or as shown, where the written rule has none). */
static gboolean
utc_dates_differ(const EvfEvent *ev, struct icalrecurrencetype rt,
                 struct icaltimetype start, struct icaltimetype *at)
{
	g_autoptr(GDateTime) shown = evf_event_shown_time(ev, ev->start);
	struct icalrecurrencetype as_written = rt;
	icalrecur_iterator *utc, *wall;
	gboolean differ = FALSE;

	/* (on the same day, its hours are UTC's, as the man page says) */
	if (shown == NULL || g_date_time_get_day_of_month(shown) == start.day)
		return FALSE;
	if (!icaltime_is_null_time(rt.until))
		icaltime_adjust(&as_written.until, 0, 0, 0, ev->utc_offset);
	utc = icalrecur_iterator_new(rt, start);
	wall = icalrecur_iterator_new(as_written, evf_tz_wall_time(shown));
	/* (two years of a monthly series, and more of one by days: a
	 * month's end comes round in the first twelve) */
	for (guint i = 0; utc != NULL && wall != NULL && i < 120; i++) {
		struct icaltimetype u = icalrecur_iterator_next(utc);
		struct icaltimetype w = icalrecur_iterator_next(wall);

		if (icaltime_is_null_time(u) && icaltime_is_null_time(w))
			break;
		if (!icaltime_is_null_time(u))
			icaltime_adjust(&u, 0, 0, 0, ev->utc_offset);
		if (icaltime_is_null_time(u) || icaltime_is_null_time(w) ||
		    u.year != w.year || u.month != w.month || u.day != w.day) {
			*at = icaltime_is_null_time(w) ||
			              (!icaltime_is_null_time(u) &&
			               icaltime_compare_date_only(u, w) < 0)
			          ? u
			          : w;
			differ = TRUE;
			break;
		}
	}
	if (utc != NULL)
		icalrecur_iterator_free(utc);
	if (wall != NULL)
		icalrecur_iterator_free(wall);
	icalerror_clear_errno();
	return differ;
}

/* A series whose start is written with its offset runs in UTC
 * (utc_dates_differ): where its dates there, shown at the offset, are
 * not those of its rule from the day written, the editor is told. */
static void
warn_offset_days(Ctx *c, const EvfEvent *ev, const Node *n)
{
	struct icalrecurrencetype rt;
	struct icaltimetype start, at;

	if (ev->all_day || ev->tzid != NULL || ev->utc_offset == 0 ||
	    ev->start == NULL || ev->rrule == NULL)
		return;
	/* (no RSCALE: evf_eventfile_check_rrule refused it) */
	rt = evf_rrule_from_string(ev->rrule);
	evf_rrule_until_local(ev, &rt);
	start = evf_rrule_start(ev);
	if (!utc_dates_differ(ev, rt, start, &at))
		return;
	{
		g_autofree char *u = when_text(start);
		g_autofree char *a = NULL;

		at.is_date = 1; /* (the date alone) */
		a = when_text(at);
		evf_diags_warn(c->diags, c->path, n->line, n->col,
		               "recurrence: the start is written with its "
		               "offset, so the series runs in UTC, where it "
		               "starts %s UTC, on another day than written, "
		               "and its dates are not those of the rule from "
		               "the day written (%s is one and not the "
		               "other): write the start without its offset, "
		               "with timezone:, to have the rule run in local "
		               "time",
		               u, a);
	}
}

/* A series whose start is written with a UTC offset runs at that offset
 * all year (RFC 5545: its times are UTC): where that offset is the event's
 * zone's at the start, and the zone changes its clocks within a year of
 * it, the occurrences after the change are an hour off its wall time,
 * which the editor may not mean. */
static void
warn_offset_series(Ctx *c, const Node *map, const EvfEvent *ev, const Node *n)
{
	const Node *zone = lookup(map, "timezone");
	const char *name = zone != NULL && zone->kind == NODE_SCALAR
	                       ? zone->value
	                       : c->cfg->timezone;
	g_autoptr(GTimeZone) tz = NULL;
	struct icalrecurrencetype rt;
	icalrecur_iterator *it;
	struct icaltimetype t;
	gint64 at, offset;
	gboolean changes = FALSE;

	if (ev->all_day || ev->tzid != NULL || ev->start == NULL ||
	    ev->rrule == NULL || name == NULL || evf_tz_is_utc(name) ||
	    (tz = g_time_zone_new_identifier(name)) == NULL)
		return;
	at = g_date_time_to_unix(ev->start);
	offset = ev->utc_offset;
	/* an offset the zone does not have then is another place's (a
	 * series at -12:00 on a site in Ljubljana): meant */
	{
		gint i =
		    g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, at);

		if (i < 0 || g_time_zone_get_offset(tz, i) != offset)
			return;
	}
	/* the occurrences of the first year, in UTC, as published */
	rt = evf_rrule_from_string(ev->rrule);
	free(rt.rscale);
	rt.rscale = NULL;
	it = icalrecur_iterator_new(
	    rt, icaltime_from_timet_with_zone((time_t)at, 0,
	                                      icaltimezone_get_utc_timezone()));
	for (guint k = 0; it != NULL && k < 500 && !changes; k++) {
		gint64 u;
		gint i;

		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		u = (gint64)icaltime_as_timet(t);
		if (u > at + 366 * 24 * 3600)
			break;
		i = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, u);
		changes = i >= 0 && g_time_zone_get_offset(tz, i) != offset;
	}
	if (it != NULL)
		icalrecur_iterator_free(it);
	icalerror_clear_errno();
	if (changes)
		evf_diags_warn(c->diags, c->path, n->line, n->col,
		               "recurrence: the start is written with its UTC "
		               "offset, so the series keeps that offset, and "
		               "its occurrences after %s changes its clocks "
		               "are an hour off its time of day: write the "
		               "start without the offset to follow %s",
		               name, name);
}

static void
read_fields(Ctx *c, const Node *map, EvfEvent *ev)
{
	static GRegex *uid_form;
	const Node *n;
	gint i;

	check_keys(c, map);
	if ((n = lookup(map, "title")) == NULL) {
		if (!c->partial && !has_key_in_other_case(map, "title"))
			ctx_error(c, map, "missing key 'title'");
	} else if ((ev->title = want_text(c, "title", n)) != NULL &&
	           ev->title[0] == '\0') {
		ctx_error(c, n, "title: empty value");
	} else {
		ev->title_line = n->line;
		ev->title_col = n->col;
	}
	read_dates(c, map, ev);
	if ((n = lookup(map, "location")) != NULL)
		ev->location = want_text(c, "location", n);
	if ((n = lookup(map, "geo")) != NULL)
		read_geo(c, n, ev);
	if ((n = lookup(map, "organizer")) != NULL)
		want_list(c, "organizer", n, G_MAXUINT, ev->organizers, NULL);
	if ((n = lookup(map, "organizer_email")) != NULL &&
	    (ev->organizer_email = want_string(c, "organizer_email", n)) !=
	        NULL)
		check_email(c, n, ev->organizer_email);
	/* Categories clash across files (catalog.c): that error points at
	 * the category (categories_at), or else at the key. */
	if ((i = key_index(map, "categories")) >= 0) {
		const Node *k = g_ptr_array_index(map->items, i);
		const Node *v = g_ptr_array_index(map->items, i + 1);

		/* "categories: Security, Terrorism", as a listing shows
		 * them: most likely two meant */
		if (v->kind == NODE_SCALAR && v->plain &&
		    strchr(v->value, ',') != NULL)
			evf_diags_warn(c->diags, c->path, v->line, v->col,
			               "categories: '%s' is one category, "
			               "commas and all; for several, write a "
			               "list: [%s]",
			               v->value, v->value);

		ev->categories_at = g_array_new(FALSE, FALSE, sizeof(guint));
		want_list(c, "categories", g_ptr_array_index(map->items, i + 1),
		          MAX_CATEGORIES, ev->categories, ev->categories_at);
		ev->categories_line = k->line;
		ev->categories_col = k->col;
	}
	if ((n = lookup(map, "url")) != NULL)
		ev->url = want_url(c, "url", n);
	if ((n = lookup(map, "image")) != NULL)
		ev->image = want_url(c, "image", n);
	if ((n = lookup(map, "status")) != NULL) {
		g_autofree char *s = want_string(c, "status", n);

		if (s == NULL)
			;
		else if (g_ascii_strcasecmp(s, "confirmed") == 0)
			ev->status = EVF_STATUS_CONFIRMED;
		else if (g_ascii_strcasecmp(s, "tentative") == 0)
			ev->status = EVF_STATUS_TENTATIVE;
		else if (g_ascii_strcasecmp(s, "cancelled") == 0 ||
		         g_ascii_strcasecmp(s, "canceled") == 0)
			ev->status = EVF_STATUS_CANCELLED;
		else
			ctx_error(c, n,
			          "status: unknown status '%s' (expected "
			          "confirmed, tentative or cancelled)%s",
			          s,
			          in_typographic_quotes(s)
			              ? TYPOGRAPHIC_QUOTES_ADVICE
			              : "");
	}
	if ((n = lookup(map, "uid")) != NULL) {
		g_autofree char *s = want_string(c, "uid", n);

		if (s != NULL &&
		    (strlen(s) > MAX_UID ||
		     !g_regex_match(
		         evf_regex_once(&uid_form, "^[\\x21-\\x7e]+$", 0), s, 0,
		         NULL)))
			ctx_error(c, n,
			          "uid: use 1 to %d printable ASCII "
			          "characters without spaces",
			          MAX_UID);
		else if (s != NULL && strpbrk(s, "[]") != NULL)
			/* RFC 4151 has no place for them in the feeds' tag:
			 * ids, and the W3C validator decodes them again
			 * when they are encoded (NonCanonicalURI) */
			ctx_error(c, n,
			          "uid: '[' and ']' cannot be in a uid (the "
			          "feeds' tag: identifiers are made from it, "
			          "and have no place for them)");
		else if (s != NULL) {
			ev->uid = g_steal_pointer(&s);
			ev->uid_line = n->line;
			ev->uid_col = n->col;
		}
	}
	if ((n = lookup(map, "published")) != NULL)
		read_published(c, n, ev);
	if ((n = lookup(map, "recurrence")) != NULL) {
		g_autofree char *s = want_string(c, "recurrence", n);
		g_autofree char *why = NULL;

		if (s == NULL)
			;
		else if (ev->tba)
			ctx_error(c, n,
			          "recurrence: not allowed when start is "
			          "tba");
		else if (ev->start == NULL && !ev->all_day) {
			/* the dates are wrong, and said so: the rule is
			 * read on its own */
			struct icalrecurrencetype rt;

			if ((why = rrule_form(s, &rt)) != NULL)
				ctx_error(c, n, "recurrence: %s", why);
		} else if ((why = evf_eventfile_check_rrule(ev, s)) != NULL)
			ctx_error(c, n, "recurrence: %s", why);
		else {
			ev->rrule = g_steal_pointer(&s);
			warn_offset_series(c, map, ev, n);
			warn_offset_days(c, ev, n);
			warn_node_ical_horizon(c, ev, n);
			warn_outlook_zone(c, ev, n);
			warn_several_a_day(c, ev, n);
		}
	}
}

/* Whether the line at @p (up to @end) is of hyphens and at least one
 * en or em dash or horizontal bar alone ('—', '–-'), as a word processor
 * turns '---', and white space after them. */
static gboolean
typographic_dashes(const char *p, const char *end)
{
	gboolean dash = FALSE;
	guint n = 0;

	while (p < end && *p != '\n' && *p != '\r' && *p != ' ' && *p != '\t' &&
	       n++ < 6) {
		if (*p == '-') {
			p++;
			continue;
		}
		/* U+2013, U+2014, U+2015: E2 80 93/94/95 */
		if (end - p < 3 || (guchar)p[0] != 0xe2 ||
		    (guchar)p[1] != 0x80 || (guchar)p[2] < 0x93 ||
		    (guchar)p[2] > 0x95)
			return FALSE;
		dash = TRUE;
		p += 3;
	}
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return dash && (p == end || *p == '\n');
}

/* Is the line at @p (up to @end) a front matter delimiter? */
static gboolean
is_delimiter(const char *p, const char *end, const char *mark)
{
	gsize n = strlen(mark);

	if ((gsize)(end - p) < n || strncmp(p, mark, n) != 0)
		return FALSE;
	for (p += n; p < end && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return FALSE;
	return TRUE;
}

/* The first character of the line at @p (up to @end) after spaces, tabs
 * and characters that show as nothing or as a space (evf_unichar_invisible:
 * a no-break space, a byte order mark where two files were joined); *@seen
 * the first of those that is not a space or a tab, or 0. */
static const char *
after_blanks(const char *p, const char *end, gunichar *seen)
{
	*seen = 0;
	while (p < end && *p != '\n') {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (c == (gunichar)-1 || c == (gunichar)-2 ||
		    !evf_unichar_invisible(c))
			break;
		if (*seen == 0)
			*seen = c;
		p = g_utf8_next_char(p);
	}
	return p;
}

/* Reports the byte at @at of the file @data, where g_utf8_validate()
 * stopped: a NUL, or invalid UTF-8. */
static void
invalid_error(GPtrArray *diags, const char *path, const char *data,
              const char *at)
{
	guint line, col;

	file_position(data, at - data, &line, &col);
	evf_diags_add(diags, path, line, col,
	              *at == '\0' ? NUL_ERROR : INVALID_UTF8_ERROR);
}

/* Whether YAML reads the character @c (YAML 1.1 §5.1, as libyaml has it):
 * not a control character but tab and line ends (NEL too), nor U+FFFE
 * or U+FFFF. */
static gboolean
yaml_reads(gunichar c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	if (c >= 0x7f && c <= 0x9f)
		return c == 0x85;
	return c != 0xfffe && c != 0xffff;
}

/* (transfer full) (nullable): the front matter from @fm to @fm_end of the
 * file @data, with each character it cannot hold (a NUL, invalid UTF-8,
 * one YAML does not read) made an 'x', so that the rest of it is read and
 * its mistakes reported too; NULL when it holds none. The first such
 * character of each line is reported (but the one at @reported, which
 * was), and the line goes into @lines (of the file), whose other errors
 * come from the 'x' and are not reported. */
static char *
readable_front_matter(const char *path, const char *data, const char *fm,
                      const char *fm_end, gsize reported, GPtrArray *diags,
                      GHashTable *lines)
{
	GString *out = NULL;
	const char *run = fm;  /* what is not yet in out */
	const char *from = fm; /* where the line begins */
	guint line, col;

	file_position(data, fm - data, &line, &col);
	for (const char *p = fm; p < fm_end;) {
		guchar b = *(const guchar *)p;
		gunichar c = b;
		gsize n = 1;

		if (b == '\n') {
			line++;
			from = p + 1;
		}
		if ((b >= 0x20 && b < 0x7f) || b == '\t' || b == '\n' ||
		    b == '\r') {
			p++;
			continue;
		}
		if (b >= 0x80) {
			c = g_utf8_get_char_validated(p, fm_end - p);
			if ((gint32)c >= 0) {
				n = (gsize)g_utf8_skip[b];
				if (yaml_reads(c)) {
					p += n;
					continue;
				}
			}
		}
		/* (one a line, and where it is found only then) */
		if ((gsize)(p - data) != reported &&
		    !g_hash_table_contains(lines, GUINT_TO_POINTER(line))) {
			guint one;

			position(from, p - from, &one, &col);
			if (b == '\0')
				evf_diags_add(diags, path, line, col,
				              NUL_ERROR);
			else if ((gint32)c < 0)
				evf_diags_add(diags, path, line, col,
				              INVALID_UTF8_ERROR);
			else if ((c & 0xfffe) == 0xfffe)
				evf_diags_add(diags, path, line, col,
				              NONCHARACTER_ERROR, (unsigned)c);
			else
				evf_diags_add(diags, path, line, col,
				              CONTROL_ERROR, (unsigned)c);
		}
		g_hash_table_add(lines, GUINT_TO_POINTER(line));
		if (out == NULL)
			out = g_string_sized_new(fm_end - fm);
		g_string_append_len(out, run, p - run);
		g_string_append_c(out, 'x');
		p += n;
		run = p;
	}
	if (out == NULL)
		return NULL;
	g_string_append_len(out, run, fm_end - run);
	return g_string_free(out, FALSE);
}

/* Drops the diagnostics of @diags from index @from on that are at one of
 * @lines: they come from a character readable_front_matter() made an
 * 'x', reported already. */
static void
drop_diags_at(GPtrArray *diags, guint from, GHashTable *lines)
{
	for (guint i = diags->len; i > from; i--) {
		const EvfDiag *d = g_ptr_array_index(diags, i - 1);

		if (g_hash_table_contains(lines, GUINT_TO_POINTER(d->line)))
			g_ptr_array_remove_index(diags, i - 1);
	}
}

/* Drops the diagnostics of @diags from index @from on that are at one of
 * @at (Position): they are of a value refused as it was read, and
 * reported then (reader_refuse). */
static void
drop_diags_at_values(GPtrArray *diags, guint from, GArray *at)
{
	for (guint i = diags->len; i > from; i--) {
		const EvfDiag *d = g_ptr_array_index(diags, i - 1);

		for (guint j = 0; j < at->len; j++) {
			const Position *p = &g_array_index(at, Position, j);

			if (d->line == p->line && d->col == p->col) {
				g_ptr_array_remove_index(diags, i - 1);
				break;
			}
		}
	}
}

/* The line of the file where the description's line @n starts, as
 * cmark counts the lines of evf_text_sanitize()'s text (each LF, CR alone
 * and NEL ends one): the description, from @body to @end, starts on line
 * @body_line, and the file's lines end in LF alone, as its front
 * matter's are counted. */
static guint
body_file_line(const char *body, const char *end, guint body_line, guint n)
{
	guint line = body_line;

	for (const char *p = body; p < end && n > 1; p++) {
		if (*p == '\n') {
			line++;
			n--;
		} else if (*p == '\r' && (p + 1 == end || p[1] != '\n')) {
			n--;
		} else if ((guchar)*p == 0xc2 && p + 1 < end &&
		           (guchar)p[1] == 0x85) {
			n--;
			p++;
		}
	}
	return line;
}

/* The most pieces of raw HTML told of in one description, each at its
 * place (a page pasted from a web site would be hundreds). */
#define MAX_DROPPED_TOLD 10
G_STATIC_ASSERT(MAX_DROPPED_TOLD < EVF_MARKDOWN_DROPPED_PLACED);

/* Tells the editor of the raw HTML in the description @md (its body from
 * @body to @end in the file, the first of its @leading blank lines at line
 * @body_line) that evf_markdown_render() left out (@dropped): text such
 * as "<to be confirmed>" or "<TBD>" reads as a tag, and vanished with all
 * the paragraph after it, without a word. */
static void
warn_dropped_html(const char *path, const char *md, const char *body,
                  const char *end, guint body_line, guint leading,
                  GPtrArray *dropped, GPtrArray *diags)
{
	for (guint i = 0; i < MIN(dropped->len, MAX_DROPPED_TOLD + 1); i++) {
		const EvfMarkdownDropped *d = g_ptr_array_index(dropped, i);
		guint line =
		    body_file_line(body, end, body_line, leading + d->line);
		const char *l = md;
		guint col = d->column;
		g_autofree char *shown = NULL;

		/* the column in characters */
		for (guint n = 1; n < d->line && l != NULL; n++)
			if ((l = strchr(l, '\n')) != NULL)
				l++;
		if (l != NULL)
			col = g_utf8_strlen(
			          l, MIN(d->column - 1, strcspn(l, "\n"))) +
			      1;
		/* and the byte order marks that start the file's line, which
		 * Markdown was not given (evf_eventfile_read) */
		{
			const char *f = body;

			for (guint n = body_line; n < line && f != NULL; n++)
				if ((f = memchr(f, '\n', end - f)) != NULL)
					f++;
			while (f != NULL && end - f >= 3 &&
			       memcmp(f, "\xef\xbb\xbf", 3) == 0) {
				col++;
				f += 3;
			}
		}
		if (i == MAX_DROPPED_TOLD) {
			gboolean html = TRUE;

			for (guint j = i; j < dropped->len; j++)
				html &= ((const EvfMarkdownDropped *)
				             g_ptr_array_index(dropped, j))
				            ->kind == EVF_MARKDOWN_HTML;
			evf_diags_warn(
			    diags, path, line, col,
			    html ? "description: %u more pieces of "
			           "HTML left out, from here"
			         : "description: %u more of these "
			           "(HTML, footnotes, links), from here",
			    dropped->len - MAX_DROPPED_TOLD);
			break;
		}
		shown = evf_text_short(d->html, 60);
		if (d->kind == EVF_MARKDOWN_FOOTNOTE_UNUSED)
			evf_diags_warn(
			    diags, path, line, col,
			    "description: the footnote '%s' is left out of "
			    "every output: no reference names it (write its "
			    "label where it belongs, such as '%.*s')",
			    shown, (int)strlen(shown) - 1, shown);
		else if (d->kind == EVF_MARKDOWN_LINK_REFUSED)
			evf_diags_warn(
			    diags, path, line, col,
			    "description: the %s address '%s' is refused: %s "
			    "(only http, https and mailto addresses are "
			    "published, none that is a fragment ('#…') or "
			    "holds 'javascript:')",
			    d->block ? "image's" : "link's", shown,
			    d->block ? "it is shown as its text, with no image"
			             : "its text is shown with no link");
		else if (d->kind == EVF_MARKDOWN_FOOTNOTE_UNDEFINED)
			evf_diags_warn(
			    diags, path, line, col,
			    "description: '%s' names no footnote, and is "
			    "shown as written (give the footnote as a "
			    "paragraph of its own, '%s: the note'; '\\[' is "
			    "a bracket that is text)",
			    shown, shown);
		else
			evf_diags_warn(
			    diags, path, line, col,
			    d->block
			        ? "description: the HTML block '%s' is left out "
			          "of every output, with all it holds (a "
			          "description is Markdown; a '<' that is text is "
			          "written '\\<')"
			        : "description: the HTML '%s' is left out of every "
			          "output (a description is Markdown; a '<' that "
			          "is text is written '\\<')",
			    shown);
	}
}

/* The length of the known key that the line at @l (up to @end, where the
 * file's bytes end with no NUL) starts with, as YAML would read it: in
 * lower case from its first column, then ':' and a space, a tab or the
 * line's end; 0 when it starts with none. */
static gsize
known_key_at(const char *l, const char *end)
{
	gsize k = 0;

	while (l + k < end && (g_ascii_islower(l[k]) || l[k] == '_'))
		k++;
	if (l + k >= end || l[k] != ':' || !is_known_key(l, k))
		return 0;
	if (l + k + 1 < end && l[k + 1] != ' ' && l[k + 1] != '\t' &&
	    l[k + 1] != '\r' && l[k + 1] != '\n')
		return 0;
	return k;
}

/* Whether the rest of the line @l after its key of @k bytes, up to @le,
 * is a value that key takes, so that the line reads as a key put below
 * the front matter's end, not as prose ("timezone: all times are
 * local"): a status, a zone, a date, an address, a place on the globe, a
 * rule; any text for a title, a place, an organizer or categories. */
static gboolean
reads_as_value(const char *l, gsize k, const char *le)
{
	static const struct {
		const char *key, *form;
	} forms[] = {
		{ "status", "^(confirmed|tentative|cancell?ed)$" },
		{ "timezone", "^(UTC|[A-Za-z_]+(/[A-Za-z0-9_+-]+)+)$" },
		{ "start", "^([0-9]{4}-[0-9]{2}-[0-9]{2}|tba)" },
		{ "end", "^[0-9]{4}-[0-9]{2}-[0-9]{2}" },
		{ "published", "^[0-9]{4}-[0-9]{2}-[0-9]{2}" },
		{ "url", "^https?://[^ ]+$" },
		{ "image", "^https?://[^ ]+$" },
		{ "geo", "^-?[0-9.]+ *, *-?[0-9.]+$" },
		{ "recurrence", "FREQ=" },
		{ "organizer_email", "^[^ @]+@[^ @]+$" },
		{ "uid", "^[^ ]+$" },
	};
	g_autofree char *key = g_strndup(l, k);
	g_autofree char *value = g_strndup(l + k + 1, (gsize)(le - l) - k - 1);

	g_strstrip(value);
	for (gsize i = 0; i < G_N_ELEMENTS(forms); i++)
		if (strcmp(key, forms[i].key) == 0)
			return g_regex_match_simple(forms[i].form, value,
			                            G_REGEX_CASELESS, 0);
	return TRUE;
}

/* Checks the description, from @body to @end in the file @data, for a
 * merge conflict's markers ("<<<<<<< HEAD", ">>>>>>> branch") outside a
 * fenced code block (where an example of one is text), an error at the
 * first (FALSE), and, warnings, for keys the front matter takes at
 * its start, which would be published as text: a second front matter
 * block ("---", then a line of such a key), or such a line below the
 * '---' (line @closer) that closes the front matter (one '---' too many
 * above it, or two opening the file); and for a byte order mark that
 * starts a line (two files joined), which is left out (the description's
 * reader takes it off): kept, it made the line's Markdown ("# Heading")
 * text. */
static gboolean
check_body(const char *path, const char *data, const char *body,
           const char *end, guint closer, const char *closing, GPtrArray *diags)
{
	gboolean first = TRUE;
	guint line, col;
	LineMistakes boms;
	/* the fenced code block the lines are in, if any */
	EvfMarkdownFence fence = { 0 };

	line_mistakes_init(&boms, diags, path, data, 0);
	boms.warning = TRUE;
	for (const char *l = body; l < end;) {
		const char *nl = memchr(l, '\n', (gsize)(end - l));
		const char *le = nl != NULL ? nl : end;
		gsize n = (gsize)(le - l);
		gboolean in_code = evf_markdown_code_fence(&fence, l, le);

		while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		if (first && n > 0) {
			const char *next = nl != NULL ? nl + 1 : end;
			/* (past a byte order mark, which is left out: two
			 * files joined) */
			gsize bom =
			    n >= 3 && memcmp(l, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
			const char *f = l + bom;
			gsize fn = n - bom;
			gsize k;

			first = FALSE;
			file_position(data, (gsize)(f - data), &line, &col);
			if (fn == 3 && memcmp(f, "---", 3) == 0 &&
			    (k = known_key_at(next, end)) > 0)
				evf_diags_warn(
				    diags, path, line, col,
				    "a second front matter block: this '---' "
				    "starts the description, and '%.*s:' below "
				    "it is published as text, not read; put "
				    "its keys in the first block",
				    (int)k, next);
			else if ((k = known_key_at(f, end)) > 0 &&
			         reads_as_value(f, k, f + fn))
				evf_diags_warn(
				    diags, path, line, col,
				    "'%.*s:' is below the '%.3s' of line %u, "
				    "which closes the front matter: it starts "
				    "the description and is published as text, "
				    "not read; move it above that line",
				    (int)k, f, closing, closer);
		}
		if (n >= 3 && memcmp(l, "\xef\xbb\xbf", 3) == 0)
			line_mistake(
			    &boms, l,
			    "description: a byte order mark (U+FEFF) "
			    "starts this line, as where two files were "
			    "joined: it is left out");
		if (!in_code && n >= 7 &&
		    (memcmp(l, "<<<<<<<", 7) == 0 ||
		     memcmp(l, ">>>>>>>", 7) == 0) &&
		    (n == 7 || l[7] == ' ')) {
			file_position(data, (gsize)(l - data), &line, &col);
			evf_diags_add(diags, path, line, col,
			              "description: a merge conflict's marker "
			              "('%.7s'): keep one side, and delete the "
			              "markers ('<<<<<<<', '=======' and "
			              "'>>>>>>>')",
			              l);
			return FALSE;
		}
		l = nl != NULL ? nl + 1 : end;
	}
	line_mistakes_end(&boms, "description: a byte order mark (U+FEFF)",
	                  "each is left out");
	return TRUE;
}

/* Reads into @ev (whose path and slug are set) what evf_eventfile_read()
 * returns; FALSE when an error was found. */
static gboolean
parse(EvfEvent *ev, const char *path, const char *data, gsize len,
      const EvfConfig *cfg, gint64 now, GPtrArray *diags)
{
	Ctx c = { .path = path, .diags = diags, .cfg = cfg, .now = now };
	g_autoptr(Node) map = NULL;
	const char *end = data + len, *p, *fm, *fm_end = NULL, *body;
	const char *invalid = NULL;
	gsize bad_at = G_MAXSIZE;    /* of invalid UTF-8 or a NUL, reported */
	gsize bad_in_fm = G_MAXSIZE; /* the same in the front matter */
	/* the lines with characters the front matter cannot hold */
	g_autoptr(GHashTable) bad_lines = g_hash_table_new(NULL, NULL);
	g_autoptr(GArray) refused = g_array_new(FALSE, FALSE, sizeof(Position));
	g_autofree char *readable = NULL;
	guint from, errors_before;
	g_autofree char *lf = NULL;
	g_autoptr(GError) md_error = NULL;
	g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)evf_markdown_dropped_free);
	guint line, col, body_line, md_line = 1, leading = 0;
	guint near_end = 0;  /* a line '--- …' that does not close it */
	guint indented = 0;  /* a line ' ---' (or after an invisible one) */
	gunichar indent = 0; /* what invisible is before it, or 0 */
	const char *near_at = NULL; /* and where it starts */
	gsize dashes = 0;           /* near_at's, when it is of dashes alone */
	gboolean typographic = FALSE; /* near_at is of dashes a word
	                               * processor made of hyphens */
	gboolean replaced = FALSE;    /* a U+FFFD in the description */
	LineMistakes mistakes;
	gboolean fm_too_large;

	if (len == 0) {
		evf_diags_add(diags, path, 1, 1,
		              "empty file (expected front matter starting "
		              "with a line '---')");
		return FALSE;
	}
	/* Lines that end in CR alone, as old Mac editors save them, are
	 * read as lines: the same bytes but for the line ends, so the
	 * same positions. (A CR alone among lines that end otherwise is
	 * left to YAML and Markdown.) Before the check of the bytes,
	 * so that an invalid one is reported at its line too. */
	if (memchr(data, '\n', len) == NULL &&
	    memchr(data, '\r', len) != NULL) {
		lf = g_memdup2(data, len);
		for (gsize i = 0; i < len; i++)
			if (lf[i] == '\r')
				lf[i] = '\n';
		data = lf;
		end = data + len;
	}
	if (!g_utf8_validate_len(data, len, &invalid)) {
		if (evf_looks_utf16(data, len)) {
			evf_diags_add(
			    diags, path, 1, 1,
			    "the file is in UTF-16: save it as UTF-8");
			return FALSE;
		}
		invalid_error(diags, path, data, invalid);
		/* the rest is still checked (readable_front_matter) */
		bad_at = invalid - data;
	}
	p = data;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (!is_delimiter(p, end, "---")) {
		const char *nl = memchr(p, '\n', end - p);
		const char *cr = memchr(p, '\r', (nl != NULL ? nl : end) - p);
		g_autofree char *first =
		    g_strndup(p, (gsize)((nl != NULL ? nl : end) - p));
		/* (the bytes may not be UTF-8: said above) */
		gunichar invisible = g_utf8_validate(first, -1, NULL)
		                         ? evf_text_first_invisible(first)
		                         : 0;

		/* "---" and a no-break space, or a second byte order mark
		 * before it: the editor sees "---" */
		if (invisible != 0 && looks_like_delimiter(first)) {
			g_autofree char *why = evf_invisible_advice(invisible);
			char at[8];

			at[g_unichar_to_utf8(invisible, at)] = '\0';
			evf_diags_add(diags, path, 1,
			              (guint)g_utf8_pointer_to_offset(
			                  first, strstr(first, at)) +
			                  1,
			              "expected front matter: the first line "
			              "must be '---': %s",
			              why);
			return FALSE;
		}
		evf_diags_add(diags, path, 1, 1,
		              "expected front matter: the first line must be "
		              "'---'%s",
		              /* "---\rtitle: …\n": CR alone ends its lines,
		               * and LF some */
		              cr != NULL && cr + 1 < end && cr[1] != '\n'
		                  ? " (its lines end in a CR alone, as old Mac "
		                    "editors save them, and some in a LF: save "
		                    "it with one kind of line end)"
		              : is_delimiter(p, end, "+++")
		                  ? " (TOML front matter between '+++' lines "
		                    "is not read: write YAML between '---' "
		                    "lines)"
		              : (gsize)(end - p) > 3 &&
		                      memcmp(p, "---", 3) == 0 && p[3] != '-'
		                  ? " alone, with nothing after it on its line "
		                    "(a comment goes on a line of its own)"
		                  : "");
		return FALSE;
	}
	fm = memchr(p, '\n', end - p);
	fm = fm != NULL ? fm + 1 : end;
	line = 2;
	for (const char *q = fm; q < end;) {
		const char *nl = memchr(q, '\n', end - q);

		if (is_delimiter(q, end, "---") ||
		    is_delimiter(q, end, "...")) {
			fm_end = q;
			break;
		}
		/* '--- # end', '... # end', or '---' and a no-break space,
		 * meant to close it */
		if (near_end == 0 && (gsize)(end - q) > 4 &&
		    (memcmp(q, "---", 3) == 0 || memcmp(q, "...", 3) == 0) &&
		    (q[3] == ' ' || q[3] == '\t' || (guchar)q[3] >= 0x80)) {
			near_end = line;
			near_at = q;
		}
		/* '—' or '–-': the hyphens made a dash by a word processor */
		if (near_end == 0 && typographic_dashes(q, end)) {
			near_end = line;
			near_at = q;
			typographic = TRUE;
		}
		/* '--' or '----', a dash too few or too many */
		if (near_end == 0) {
			gsize n = 0, rest = 0;

			/* (the file's bytes end with no NUL) */
			while (q + n < end && q[n] == '-')
				n++;
			while (q + n + rest < end &&
			       (q[n + rest] == ' ' || q[n + rest] == '\t' ||
			        q[n + rest] == '\r'))
				rest++;

			if ((n == 2 || n >= 4) && n <= 80 &&
			    (q + n + rest == end || q[n + rest] == '\n')) {
				near_end = line;
				near_at = q;
				dashes = n;
			}
		}
		if (indented == 0 &&
		    (*q == ' ' || *q == '\t' || (guchar)*q >= 0x80)) {
			gunichar seen;
			const char *at = after_blanks(q, end, &seen);

			/* (one space, else a text's line: "  ---" in a
			 * block of lines, "location: |") */
			if (at > q && (seen != 0 || at - q == 1) &&
			    (is_delimiter(at, end, "---") ||
			     is_delimiter(at, end, "..."))) {
				indented = line;
				indent = seen;
			}
		}
		if (nl == NULL)
			break;
		q = nl + 1;
		line++;
	}
	/* Also when a '---' further down (a thematic break of the
	 * description) would close it: YAML would read that line as a
	 * second document, and the description as front matter. The file
	 * is read as meant, with the front matter ending there. */
	if (near_end != 0) {
		/* (the file's bytes end with no NUL) */
		const char *after = MIN(near_at + 3, end), *to = after;
		g_autofree char *rest = NULL;
		gunichar ch;
		g_autofree char *why = NULL;

		while (to < end && *to != '\r' && *to != '\n')
			to++;
		rest = g_strndup(after, (gsize)(to - after));
		ch = g_utf8_validate(rest, -1, NULL)
		         ? evf_text_first_invisible(rest)
		         : 0;
		why = ch != 0 ? evf_invisible_advice(ch) : NULL;

		if (typographic)
			evf_diags_add(diags, path, near_end, 1,
			              "front matter is not closed: the line "
			              "that closes it is '---', three hyphens, "
			              "and this one has a dash (an editor's "
			              "autocorrection makes one of them): "
			              "write three hyphens");
		else if (dashes != 0)
			evf_diags_add(diags, path, near_end, 1,
			              "front matter is not closed: the line "
			              "that closes it is '---', three dashes, "
			              "and this one has %" G_GSIZE_FORMAT,
			              dashes);
		else
			evf_diags_add(diags, path, near_end, 1,
			              "front matter is not closed: the line "
			              "that closes it is '%.3s' alone, with "
			              "nothing after it on its line%s%s",
			              near_at, why != NULL ? "; " : "",
			              why != NULL ? why : "");
		if (fm_end == NULL)
			return FALSE;
		fm_end = near_at;
		line = near_end;
	}
	/* '---' the editor sees, after a space or an invisible character
	 * (one where two files were joined): that line, not the first */
	if (fm_end == NULL && indented != 0) {
		if (indent == 0)
			evf_diags_add(diags, path, indented, 1,
			              "front matter is not closed: the line "
			              "that closes it is '---' at the start of "
			              "its line, with no space before it");
		else
			evf_diags_add(diags, path, indented, 1,
			              "front matter is not closed: the line "
			              "that closes it is '---' at the start of "
			              "its line, and %s (U+%04X) is before it: "
			              "delete it",
			              g_unichar_isspace(indent)
			                  ? "a no-break or other space"
			                  : "an invisible character",
			              indent);
		return FALSE;
	}
	if (fm_end == NULL) {
		evf_diags_add(diags, path, 1, 1,
		              "front matter is not closed: no line '---' "
		              "after the first");
		return FALSE;
	}
	body_line = line + 1;
	/* not read, and the description checked all the same */
	fm_too_large = (gsize)(fm_end - fm) > EVF_EVENTFILE_MAX_FRONT_MATTER;
	if (fm_too_large)
		evf_diags_add(diags, path, 2, 1,
		              "front matter is larger than 64 KiB");
	body = memchr(fm_end, '\n', end - fm_end);
	body = body != NULL ? body + 1 : end;
	/* bytes the description cannot hold: the first of each line (the
	 * file's first was reported above) */
	if (bad_at < (gsize)(body - data)) {
		const char *in_body = NULL;

		bad_in_fm = bad_at;
		bad_at = G_MAXSIZE;
		if (!g_utf8_validate_len(body, end - body, &in_body)) {
			invalid_error(diags, path, data, in_body);
			bad_at = in_body - data;
		}
	}
	/* (the first was told) */
	line_mistakes_init(&mistakes, diags, path, data, 1);
	/* (no pointer is made past the file for a bad_at of none) */
	for (const char *at = data + (bad_at != G_MAXSIZE ? bad_at : 0), *nl;
	     bad_at != G_MAXSIZE && (nl = memchr(at, '\n', end - at)) != NULL &&
	     !g_utf8_validate_len(nl + 1, end - nl - 1, &at);)
		line_mistake(&mistakes, at,
		             *at == '\0' ? NUL_ERROR : INVALID_UTF8_ERROR);
	line_mistakes_end(&mistakes, "invalid UTF-8 or a NUL",
	                  "save the file as UTF-8");
	/* U+FFFD in the front matter is reported with its key
	 * (want_string); in the description, here: the first of each line.
	 * (Its bytes are a character wherever they are, after an invalid
	 * byte too: their first is no continuation byte.) */
	{
		/* glibc's memmem, not GLib's byte-by-byte g_strstr_len: it
		 * runs over every description */
		const char *r = body;

		line_mistakes_init(&mistakes, diags, path, data, 0);
		while ((r = memmem(r, end - r, REPLACEMENT,
		                   strlen(REPLACEMENT))) != NULL) {
			const char *nl = memchr(r, '\n', end - r);

			line_mistake(&mistakes, r,
			             "description: " REPLACEMENT_ERROR);
			replaced = TRUE;
			if (nl == NULL)
				break;
			r = nl + 1;
		}
		line_mistakes_end(&mistakes,
		                  "description: the replacement character "
		                  "U+FFFD",
		                  "write the characters meant");
	}

	if (!fm_too_large) {
		readable = readable_front_matter(path, data, fm, fm_end,
		                                 bad_in_fm, diags, bad_lines);
		from = diags->len;
		errors_before = evf_diags_errors(diags);
		map = readable != NULL
		          ? read_front_matter(path, readable, strlen(readable),
		                              1, diags, refused, &c.partial)
		          : read_front_matter(path, fm, fm_end - fm, 1, diags,
		                              refused, &c.partial);
		/* a value refused as the front matter was read
		 * (reader_refuse), or the front matter not YAML after the
		 * pairs in @map (c.partial) */
		c.failed = evf_diags_errors(diags) > errors_before;
		if (map != NULL) {
			guint fields_from = diags->len;

			read_fields(&c, map, ev);
			drop_diags_at_values(diags, fields_from, refused);
		}
		drop_diags_at(diags, from, bad_lines);
	}
	/* The front matter unread (too large, or not YAML): the
	 * description is checked all the same, below. */
	c.failed |= map == NULL;

	if ((gsize)(end - body) > EVF_EVENTFILE_MAX_BODY) {
		evf_diags_add(diags, path, body_line, 1,
		              "description is too large: %" G_GSIZE_FORMAT
		              " bytes (the limit is 1 MiB)",
		              (gsize)(end - body));
		return FALSE;
	}
	/* The description is checked whatever the front matter's
	 * mistakes, so that every one in the file is reported at once. */
	if (!check_body(path, data, body, end, body_line - 1, fm_end, diags))
		c.failed = TRUE;
	ev->description_md = evf_text_sanitize(body, end - body);
	if (strstr(ev->description_md, "\xef\xbb\xbf") != NULL) {
		static GRegex *line_bom;
		char *off = g_regex_replace_literal(
		    evf_regex_once(&line_bom, "^\\x{FEFF}+",
		                   G_REGEX_MULTILINE | G_REGEX_OPTIMIZE),
		    ev->description_md, -1, 0, "", 0, NULL);

		if (off != NULL) {
			g_free(ev->description_md);
			ev->description_md = off;
		}
	}
	{
		char *mended = evf_text_mend(ev->description_md);

		if (mended != NULL) {
			gsize at = first_mended(ev->description_md, mended);
			gsize span =
			    mended_span(ev->description_md + at, mended + at);
			g_autofree char *msg = mended_message(
			    ev->description_md, at, span, mended);
			/* where it is in the file: the same characters */
			const char *r = memmem(body, end - body,
			                       ev->description_md + at, span);

			file_position(data, r != NULL ? r - data : body - data,
			              &line, &col);
			evf_diags_warn(diags, path, line, col,
			               "description: %s", msg);
			g_free(ev->description_md);
			ev->description_md = mended;
		}
	}
	if (!evf_markdown_check(ev->description_md, &md_line, &md_error)) {
		evf_diags_add(diags, path,
		              body_file_line(body, end, body_line, md_line), 1,
		              "description: %s", md_error->message);
		return FALSE;
	}
	/* Blank lines around the description go, and nothing else: the
	 * indentation of its first line is Markdown's (a code block). */
	{
		const char *first = ev->description_md;

		for (const char *q = first; g_ascii_isspace(*q); q++)
			if (*q == '\n') {
				leading++;
				first = q + 1;
			}
		memmove(ev->description_md, first, strlen(first) + 1);
		g_strchomp(ev->description_md);
	}
	md_line = evf_markdown_render(ev->description_md, cfg->url,
	                              &ev->description_html,
	                              &ev->description_text, dropped);
	warn_dropped_html(path, ev->description_md, body, end, body_line,
	                  leading, dropped, diags);
	if (md_line != 0) {
		evf_diags_add(
		    diags, path,
		    body_file_line(body, end, body_line, leading + md_line), 1,
		    "description: lists, quotes or emphasis nested "
		    "more than %d deep",
		    EVF_MARKDOWN_MAX_NESTING);
		return FALSE;
	}
	return !c.failed && near_end == 0 && bad_at == G_MAXSIZE && !replaced &&
	       g_hash_table_size(bad_lines) == 0;
}

EvfEvent *
evf_eventfile_read(const char *path, const char *stem, const char *data,
                   gsize len, const EvfConfig *cfg, gint64 now,
                   GPtrArray *diags, gboolean *complete)
{
	EvfEvent *ev = evf_event_new();

	ev->path = g_strdup(path);
	ev->slug = evf_slugify(stem);
	*complete = parse(ev, path, data, len, cfg, now, diags);
	if (ev->uid == NULL) {
		/* The name as written, composed: macOS and some sync tools
		 * write a name decomposed (NFD), which would otherwise give
		 * the same file another identity. A name that is not UTF-8
		 * is taken as its bytes. */
		g_autofree char *name = g_utf8_validate(stem, -1, NULL)
		                            ? evf_text_nfc(stem)
		                            : g_strdup(stem);

		ev->uid = evf_uuid5(cfg->uid_namespace, name);
		ev->uid_line = ev->uid_col = 1;
	}
	if (*complete)
		evf_event_update_fingerprint(ev);
	return ev;
}

EvfEvent *
evf_eventfile_parse(const char *path, const char *stem, const char *data,
                    gsize len, const EvfConfig *cfg, gint64 now,
                    GPtrArray *diags)
{
	gboolean complete;
	g_autoptr(EvfEvent) ev = evf_eventfile_read(path, stem, data, len, cfg,
	                                            now, diags, &complete);

	return complete ? g_steal_pointer(&ev) : NULL;
}
