/*
 * markdown.h: an event's Markdown description, rendered once into the two
 * forms the outputs need: safe HTML (feeds, X-ALT-DESC) and plain text with
 * link targets kept (the iCalendar DESCRIPTION).
 */
#pragma once

#include <glib.h>

/* Renders @markdown (UTF-8, already size-checked). Relative links resolve
 * against @base_url. Raw HTML is dropped, and so are links to anything but
 * http, https and mailto (their text stays). Sets *html and *text
 * (transfer full). A text beyond the caps of evf_markdown_check() is not
 * parsed: its HTML is the text, escaped, in one paragraph; and so is one
 * whose lists, quotes or emphasis nest deeper than
 * EVF_MARKDOWN_MAX_NESTING, for which the line (from 1) of the first too
 * deep is returned. 0 otherwise. Adds to @dropped (nullable, of
 * EvfMarkdownDropped, owning them) the raw HTML left out, and the
 * footnotes without a reference or a definition. A footnote's reference
 * and its text are shown with the label the editor wrote: "[^i]" as
 * "[i]", and its text, at the end, as a paragraph after "[i] ". */
guint evf_markdown_render(const char *markdown, const char *base_url,
                          char **html, char **text, GPtrArray *dropped);

/* What the editor is told of. */
typedef enum {
	/* raw HTML that evf_markdown_render() left out: an HTML block, or
	 * an inline tag; not a line break (<br>), a comment or an end tag */
	EVF_MARKDOWN_HTML,
	/* a footnote ("[^b]: …") that no reference names, which cmark-gfm
	 * leaves out */
	EVF_MARKDOWN_FOOTNOTE_UNUSED,
	/* a footnote reference ("[^b]") to no footnote, shown as written */
	EVF_MARKDOWN_FOOTNOTE_UNDEFINED,
	/* a link or an image (block: an image) to an address refused (its
	 * html: the address as given), shown as its text */
	EVF_MARKDOWN_LINK_REFUSED,
} EvfMarkdownDroppedKind;

typedef struct {
	guint line, column; /* from 1, in the Markdown (column: its bytes) */
	EvfMarkdownDroppedKind kind;
	gboolean block; /* (EVF_MARKDOWN_HTML) an HTML block */
	char *html;     /* its first line, as written */
} EvfMarkdownDropped;

void evf_markdown_dropped_free(EvfMarkdownDropped *d);

/* How many of them, in the order of the text, are placed exactly: the
 * rest keep the place cmark-gfm gives, which may be lines early. */
#define EVF_MARKDOWN_DROPPED_PLACED 32

/* How deep blocks and inlines may nest (an HTML parser keeps 256 levels,
 * and a list takes two each) */
#define EVF_MARKDOWN_MAX_NESTING 100

/* cmark-gfm 0.29.0.gfm.6 is quadratic in each of these; beyond them a text
 * is not given to it (CVE-2023-22486 and the like, fixed upstream later). */
#define EVF_MARKDOWN_MAX_DEPTH    32   /* list and quote markers on a line */
#define EVF_MARKDOWN_MAX_COLUMNS  128  /* '|' on a line (table cells) */
#define EVF_MARKDOWN_MAX_BRACKETS 1000 /* '[' between two blank lines */
/* Its plain-text writer counts back over a list's earlier items to number
 * each (50,000 in 9 s); its tables make every row as wide as the header
 * (127 columns of 64,000 one-cell rows took 5 GB). */
#define EVF_MARKDOWN_MAX_NUMBERED 2000  /* numbered list items in all */
#define EVF_MARKDOWN_MAX_CELLS    20000 /* table cells, rows × header */
/* It looks for the end of "<?…?>" and of "<!X…>" from each one over the
 * rest of the paragraph (0.45 s for 1,000 in 1 MB, a minute for 350,000);
 * and its autolink extension copies the rest of a line for each e-mail
 * address on it (a line of 1,000 addresses in 1 MB took 900 MB). */
#define EVF_MARKDOWN_MAX_OPENERS 200 /* "<?" and "<!X" between blank lines */
#define EVF_MARKDOWN_MAX_AT_BYTES \
	((guint64)64 << 20) /* '@' on a line × the line's bytes */

/* Whether @markdown stays within the caps above, in one linear pass. If
 * not, sets *@line (nullable) to the first line (from 1) that goes beyond,
 * and @error to what is exceeded. */
gboolean evf_markdown_check(const char *markdown, guint *line, GError **error);

/* Where the lines of a description are, for evf_markdown_code_fence(). */
typedef struct {
	char fence;    /* the open code block's fence's character; '\0' */
	gsize len;     /* its length */
	gboolean html; /* in an HTML block, where a fence is text */
} EvfMarkdownFence;

/* Whether the line from @l to @le, the next of the description that @f
 * follows, is in a fenced code block at the margin, or is one's fence
 * (CommonMark 4.5: three or more '`' or '~'; closed by a fence of the
 * same character, as long at least, with nothing after it). An indented
 * fence, which may be a list item's and end with it, and one in an HTML
 * block (from a line that starts with '<' to a blank line) are taken
 * for text. */
gboolean evf_markdown_code_fence(EvfMarkdownFence *f, const char *l,
                                 const char *le);
