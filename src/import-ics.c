/*
 * import-ics.c: a partner's iCalendar document → events (see import.h).
 *
 * libical 3.0 is fragile on hostile input (crashes, gigabytes of memory,
 * CPU spins), so the bytes first pass a linear pre-check, and libical then
 * runs in a child process under memory, CPU, file and descriptor limits.
 * The child is this program run again (an exec of /proc/self/exe): it
 * inherits neither the parent's memory nor a lock that another of the
 * parent's threads held at the fork, so any thread may start one, and
 * several run at once. The calendar reaches it in a memfd; it answers
 * through a pipe with a GVariant of plain values; the parent reads that
 * under a size cap and a deadline, checks it, and turns whatever went
 * wrong (a crash, a limit, a garbled answer) into one GError.
 *
 * Invariants of what comes out: every string is sanitised and bounded,
 * HTML went through evf_html_sanitize, links are absolute http(s), times
 * lie within 1900–2200 and are UTC (tzid NULL) or in an IANA zone that
 * GLib and libical both know. Remote components are never normalised or
 * serialised again; only values are read from them.
 */
#define _GNU_SOURCE /* memfd_create */
#include "autoconf.h"
#include "import.h"

#include "autocleanups.h"
#include "html.h"
#include "rrule.h"
#include "tz.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The pre-check. */
#define MAX_LINE         (256 * 1024) /* bytes of an unfolded line */
#define MAX_NAME         100          /* bytes of a property name */
#define MAX_PARAMS_BYTES (4 * 1024)   /* bytes between name and value */
#define MAX_PARAMS       64
#define MAX_VEVENTS      20000
#define MAX_DEPTH        8

/* What one event may carry. */
#define MAX_UID         255
#define MAX_LOCATION    1024
#define MAX_URL         2048
#define MAX_CATEGORY    256
#define MAX_CATEGORIES  32
#define MAX_ORGANIZERS  8
#define MAX_RRULE       1024
#define MAX_OBSERVANCES 64 /* of a VTIMEZONE used for an unknown zone */
#define MIN_YEAR        1900
#define MAX_YEAR        2200

/* Years of yearly observances libical may expand, from each one's DTSTART
 * to MAX_YEAR, summed over the VTIMEZONEs of a document (about 6 µs each):
 * two from 1601, as Outlook writes them, count 1,200. */
#define MAX_ZONE_YEARS 100000
/* VTIMEZONEs per document compared with every IANA zone's clocks
 * (vtimezone_as_iana), some milliseconds each */
#define MAX_ZONE_MATCHES 8

/* Recurrence expansion. */
#define MAX_STEPS       100000 /* iterator steps per rule */
#define MAX_STEPS_TOTAL 500000 /* per document */
/* What libical steps through inside its iterator for sub-daily rules, per
 * document, in units of about 0.6 µs: a second of a SECONDLY rule, 1/3
 * minute of a MINUTELY one, 1/10 hour of an HOURLY one (span_weight). */
#define MAX_SPAN_TOTAL 2000000

#define MAX_WARNINGS 100

/* The sandbox. */
#define CHILD_MEMORY      (G_GUINT64_CONSTANT(512) * 1024 * 1024)
#define CHILD_CPU_SECONDS 5
#define CHILD_FILES       16
#define ANSWER_MAX        (64 * 1024 * 1024)
#define DEADLINE_SECONDS  10
/* How the child is told what to do: "<series 0|1> <now>" and the base URL
 * in its environment, the answer pipe on descriptor 3, the calendar on 4.
 * With include= or exclude= words, descriptor 4 holds them first, a
 * serialised GVariant of type (asas) whose size FILTER_ENV gives (an
 * environment variable holds no more than 128 KiB). */
#define CHILD_ENV  "EVFEED_ICS_CHILD"
#define BASE_ENV   "EVFEED_ICS_BASE"
#define FILTER_ENV "EVFEED_ICS_FILTER"
#define ANSWER_FD  3
#define INPUT_FD   4

#define UNTITLED "Untitled event"

/* The child's answer: ok, the error message, the events, a table of
 * strings, skipped, warnings. One event: uid, title, all_day, start and
 * end date (julian days; all-day events), start and end (seconds since
 * 1970; timed events), tzid, location, has_geo, lat, lon, organizers,
 * categories, url, status, published (µs), the HTML and the text
 * description as indexes into the table (NO_STRING: none), since every
 * occurrence of a series shares them, then the RRULE, the organiser's
 * e-mail address and the image (series mode only), the series an
 * expanded occurrence is of, and the offset from UTC a time in UTC was
 * written at (X-EVFEED-ZONE). "" stands for NULL. */
#define EVENT_TYPE  "(ssbuuxxssbddasassuxuussssi)"
#define ANSWER_TYPE "(bsa" EVENT_TYPE "asuas)"
#define EVENT_NEW   "(ssbuuxxssbdd@as@assuxuussssi)"
#define EVENT_GET   "(&s&sbuuxx&s&sbddasas&suxuu&s&s&s&si)"
#define ANSWER_NEW  "(bs@a" EVENT_TYPE "@asu@as)"
#define ANSWER_GET  "(b&s@a" EVENT_TYPE "@asu@as)"
#define NO_STRING   G_MAXUINT32

/* ------------------------------------------------------ Windows zones */

/* Windows time zone names → IANA, the "001" rows of CLDR's
 * windowsZones.xml (common/supplemental), with current IANA names. */
static const struct {
	const char *windows;
	const char *iana;
} windows_zones[] = {
	{ "Dateline Standard Time", "Etc/GMT+12" },
	{ "UTC-11", "Etc/GMT+11" },
	{ "Aleutian Standard Time", "America/Adak" },
	{ "Hawaiian Standard Time", "Pacific/Honolulu" },
	{ "Marquesas Standard Time", "Pacific/Marquesas" },
	{ "Alaskan Standard Time", "America/Anchorage" },
	{ "UTC-09", "Etc/GMT+9" },
	{ "Pacific Standard Time (Mexico)", "America/Tijuana" },
	{ "UTC-08", "Etc/GMT+8" },
	{ "Pacific Standard Time", "America/Los_Angeles" },
	{ "US Mountain Standard Time", "America/Phoenix" },
	{ "Mountain Standard Time (Mexico)", "America/Mazatlan" },
	{ "Mountain Standard Time", "America/Denver" },
	{ "Yukon Standard Time", "America/Whitehorse" },
	{ "Central America Standard Time", "America/Guatemala" },
	{ "Central Standard Time", "America/Chicago" },
	{ "Easter Island Standard Time", "Pacific/Easter" },
	{ "Central Standard Time (Mexico)", "America/Mexico_City" },
	{ "Canada Central Standard Time", "America/Regina" },
	{ "SA Pacific Standard Time", "America/Bogota" },
	{ "Eastern Standard Time (Mexico)", "America/Cancun" },
	{ "Eastern Standard Time", "America/New_York" },
	{ "Haiti Standard Time", "America/Port-au-Prince" },
	{ "Cuba Standard Time", "America/Havana" },
	{ "US Eastern Standard Time", "America/Indiana/Indianapolis" },
	{ "Turks And Caicos Standard Time", "America/Grand_Turk" },
	{ "Paraguay Standard Time", "America/Asuncion" },
	{ "Atlantic Standard Time", "America/Halifax" },
	{ "Venezuela Standard Time", "America/Caracas" },
	{ "Central Brazilian Standard Time", "America/Cuiaba" },
	{ "SA Western Standard Time", "America/La_Paz" },
	{ "Pacific SA Standard Time", "America/Santiago" },
	{ "Newfoundland Standard Time", "America/St_Johns" },
	{ "Tocantins Standard Time", "America/Araguaina" },
	{ "E. South America Standard Time", "America/Sao_Paulo" },
	{ "SA Eastern Standard Time", "America/Cayenne" },
	{ "Argentina Standard Time", "America/Argentina/Buenos_Aires" },
	{ "Greenland Standard Time", "America/Nuuk" },
	{ "Montevideo Standard Time", "America/Montevideo" },
	{ "Magallanes Standard Time", "America/Punta_Arenas" },
	{ "Saint Pierre Standard Time", "America/Miquelon" },
	{ "Bahia Standard Time", "America/Bahia" },
	{ "UTC-02", "Etc/GMT+2" },
	{ "Mid-Atlantic Standard Time", "Etc/GMT+2" },
	{ "Azores Standard Time", "Atlantic/Azores" },
	{ "Cape Verde Standard Time", "Atlantic/Cape_Verde" },
	{ "UTC", "Etc/UTC" },
	{ "GMT Standard Time", "Europe/London" },
	{ "Greenwich Standard Time", "Atlantic/Reykjavik" },
	{ "Sao Tome Standard Time", "Africa/Sao_Tome" },
	{ "Morocco Standard Time", "Africa/Casablanca" },
	{ "W. Europe Standard Time", "Europe/Berlin" },
	{ "Central Europe Standard Time", "Europe/Budapest" },
	{ "Romance Standard Time", "Europe/Paris" },
	{ "Central European Standard Time", "Europe/Warsaw" },
	{ "W. Central Africa Standard Time", "Africa/Lagos" },
	{ "Jordan Standard Time", "Asia/Amman" },
	{ "GTB Standard Time", "Europe/Bucharest" },
	{ "Middle East Standard Time", "Asia/Beirut" },
	{ "Egypt Standard Time", "Africa/Cairo" },
	{ "E. Europe Standard Time", "Europe/Chisinau" },
	{ "Syria Standard Time", "Asia/Damascus" },
	{ "West Bank Standard Time", "Asia/Hebron" },
	{ "South Africa Standard Time", "Africa/Johannesburg" },
	{ "FLE Standard Time", "Europe/Kyiv" },
	{ "Israel Standard Time", "Asia/Jerusalem" },
	{ "South Sudan Standard Time", "Africa/Juba" },
	{ "Kaliningrad Standard Time", "Europe/Kaliningrad" },
	{ "Sudan Standard Time", "Africa/Khartoum" },
	{ "Libya Standard Time", "Africa/Tripoli" },
	{ "Namibia Standard Time", "Africa/Windhoek" },
	{ "Arabic Standard Time", "Asia/Baghdad" },
	{ "Turkey Standard Time", "Europe/Istanbul" },
	{ "Arab Standard Time", "Asia/Riyadh" },
	{ "Belarus Standard Time", "Europe/Minsk" },
	{ "Russian Standard Time", "Europe/Moscow" },
	{ "E. Africa Standard Time", "Africa/Nairobi" },
	{ "Volgograd Standard Time", "Europe/Volgograd" },
	{ "Iran Standard Time", "Asia/Tehran" },
	{ "Arabian Standard Time", "Asia/Dubai" },
	{ "Astrakhan Standard Time", "Europe/Astrakhan" },
	{ "Azerbaijan Standard Time", "Asia/Baku" },
	{ "Russia Time Zone 3", "Europe/Samara" },
	{ "Mauritius Standard Time", "Indian/Mauritius" },
	{ "Saratov Standard Time", "Europe/Saratov" },
	{ "Georgian Standard Time", "Asia/Tbilisi" },
	{ "Caucasus Standard Time", "Asia/Yerevan" },
	{ "Armenian Standard Time", "Asia/Yerevan" },
	{ "Afghanistan Standard Time", "Asia/Kabul" },
	{ "West Asia Standard Time", "Asia/Tashkent" },
	{ "Ekaterinburg Standard Time", "Asia/Yekaterinburg" },
	{ "Pakistan Standard Time", "Asia/Karachi" },
	{ "Qyzylorda Standard Time", "Asia/Qyzylorda" },
	{ "India Standard Time", "Asia/Kolkata" },
	{ "Sri Lanka Standard Time", "Asia/Colombo" },
	{ "Nepal Standard Time", "Asia/Kathmandu" },
	{ "Central Asia Standard Time", "Asia/Bishkek" },
	{ "Bangladesh Standard Time", "Asia/Dhaka" },
	{ "Omsk Standard Time", "Asia/Omsk" },
	{ "Myanmar Standard Time", "Asia/Yangon" },
	{ "SE Asia Standard Time", "Asia/Bangkok" },
	{ "Altai Standard Time", "Asia/Barnaul" },
	{ "W. Mongolia Standard Time", "Asia/Hovd" },
	{ "North Asia Standard Time", "Asia/Krasnoyarsk" },
	{ "N. Central Asia Standard Time", "Asia/Novosibirsk" },
	{ "Tomsk Standard Time", "Asia/Tomsk" },
	{ "China Standard Time", "Asia/Shanghai" },
	{ "North Asia East Standard Time", "Asia/Irkutsk" },
	{ "Singapore Standard Time", "Asia/Singapore" },
	{ "W. Australia Standard Time", "Australia/Perth" },
	{ "Taipei Standard Time", "Asia/Taipei" },
	{ "Ulaanbaatar Standard Time", "Asia/Ulaanbaatar" },
	{ "Aus Central W. Standard Time", "Australia/Eucla" },
	{ "Transbaikal Standard Time", "Asia/Chita" },
	{ "Tokyo Standard Time", "Asia/Tokyo" },
	{ "North Korea Standard Time", "Asia/Pyongyang" },
	{ "Korea Standard Time", "Asia/Seoul" },
	{ "Yakutsk Standard Time", "Asia/Yakutsk" },
	{ "Cen. Australia Standard Time", "Australia/Adelaide" },
	{ "AUS Central Standard Time", "Australia/Darwin" },
	{ "E. Australia Standard Time", "Australia/Brisbane" },
	{ "AUS Eastern Standard Time", "Australia/Sydney" },
	{ "West Pacific Standard Time", "Pacific/Port_Moresby" },
	{ "Tasmania Standard Time", "Australia/Hobart" },
	{ "Vladivostok Standard Time", "Asia/Vladivostok" },
	{ "Lord Howe Standard Time", "Australia/Lord_Howe" },
	{ "Bougainville Standard Time", "Pacific/Bougainville" },
	{ "Russia Time Zone 10", "Asia/Srednekolymsk" },
	{ "Magadan Standard Time", "Asia/Magadan" },
	{ "Norfolk Standard Time", "Pacific/Norfolk" },
	{ "Sakhalin Standard Time", "Asia/Sakhalin" },
	{ "Central Pacific Standard Time", "Pacific/Guadalcanal" },
	{ "Russia Time Zone 11", "Asia/Kamchatka" },
	{ "Kamchatka Standard Time", "Asia/Kamchatka" },
	{ "New Zealand Standard Time", "Pacific/Auckland" },
	{ "UTC+12", "Etc/GMT-12" },
	{ "Fiji Standard Time", "Pacific/Fiji" },
	{ "Chatham Islands Standard Time", "Pacific/Chatham" },
	{ "UTC+13", "Etc/GMT-13" },
	{ "Tonga Standard Time", "Pacific/Tongatapu" },
	{ "Samoa Standard Time", "Pacific/Apia" },
	{ "Line Islands Standard Time", "Pacific/Kiritimati" },
};

/* tzdata's old names without a region, which Java and PHP write as
 * TZIDs and event files refuse (evf_tz_new) → the zones tzdata 2024b made
 * them links to: the same offsets since 1970, but for EET before 1981 and
 * WET before 1996. */
static const struct {
	const char *old;
	const char *iana;
} sysv_zones[] = {
	{ "CET", "Europe/Brussels" },         { "MET", "Europe/Brussels" },
	{ "EET", "Europe/Athens" },           { "WET", "Europe/Lisbon" },
	{ "EST", "America/Panama" },          { "MST", "America/Phoenix" },
	{ "HST", "Pacific/Honolulu" },        { "EST5EDT", "America/New_York" },
	{ "CST6CDT", "America/Chicago" },     { "MST7MDT", "America/Denver" },
	{ "PST8PDT", "America/Los_Angeles" },
};

/* ---------------------------------------------------------- pre-check */

typedef enum { PART_NAME, PART_PARAMS, PART_VALUE } Part;
typedef enum { COMP_OTHER, COMP_CALENDAR } CompKind;

/* The pre-check's view of one unfolded content line, fed a physical line
 * at a time. Only the first bytes of the name and the value are kept:
 * enough to recognise BEGIN/END and the component names that matter. */
typedef struct {
	guint lineno;
	gsize len;
	gsize name_len;
	gsize params_len;
	guint nparams;
	Part part;
	gboolean quoted;
	char name[16];
	char value[16];
	gsize value_len;
} Logical;

typedef struct {
	Logical cur;
	gboolean have_line;
	CompKind stack[MAX_DEPTH];
	char names[MAX_DEPTH][16]; /* what each open component is */
	guint depth;
	guint vevents;
	gboolean begun; /* a BEGIN:VCALENDAR was seen */
	gboolean ended; /* a VCALENDAR was closed */
	char *error;
	/* (nullable) the line of each BEGIN:VEVENT whose component is a
	 * VCALENDAR, in document order, which is the order of libical's
	 * VEVENTs (libical keeps no line numbers; it does not list a VEVENT
	 * inside another component among a calendar's events) */
	GArray *vevent_lines;
} Precheck;

static void
logical_start(Logical *l, guint lineno)
{
	memset(l, 0, sizeof *l);
	l->lineno = lineno;
}

/* Feeds bytes of the current unfolded line; FALSE (with an error) as soon
 * as a limit is crossed. */
static gboolean
logical_feed(Precheck *pc, const char *p, gsize n)
{
	Logical *l = &pc->cur;

	if (n > MAX_LINE || l->len + n > MAX_LINE) {
		pc->error = g_strdup_printf("line %u: a content line longer "
		                            "than %d KiB",
		                            l->lineno, MAX_LINE / 1024);
		return FALSE;
	}
	l->len += n;
	for (gsize i = 0; i < n; i++) {
		char c = p[i];

		switch (l->part) {
		case PART_NAME:
			if (c == ';' || c == ':') {
				l->part = c == ';' ? PART_PARAMS : PART_VALUE;
				l->nparams += c == ';';
				break;
			}
			if (l->name_len < sizeof l->name)
				l->name[l->name_len] = c;
			if (++l->name_len > MAX_NAME) {
				pc->error = g_strdup_printf(
				    "line %u: a property name longer than %d "
				    "bytes",
				    l->lineno, MAX_NAME);
				return FALSE;
			}
			break;
		case PART_PARAMS:
			if (c == '"')
				l->quoted = !l->quoted;
			else if (!l->quoted && c == ':') {
				l->part = PART_VALUE;
				break;
			} else if (!l->quoted && c == ';' &&
			           ++l->nparams > MAX_PARAMS) {
				pc->error = g_strdup_printf(
				    "line %u: more than %d parameters",
				    l->lineno, MAX_PARAMS);
				return FALSE;
			}
			/* (a DESCRIPTION's are left out, not given to
			 * libical: most often the HTML note of its
			 * ALTREP, as Thunderbird writes a long one,
			 * whose event keeps its plain text;
			 * append_without_params) */
			if (++l->params_len > MAX_PARAMS_BYTES &&
			    !(l->name_len == 11 &&
			      g_ascii_strncasecmp(l->name, "DESCRIPTION", 11) ==
			          0)) {
				pc->error = g_strdup_printf(
				    "line %u: parameters longer than %d KiB",
				    l->lineno, MAX_PARAMS_BYTES / 1024);
				return FALSE;
			}
			break;
		case PART_VALUE:
			if (l->value_len < sizeof l->value)
				l->value[l->value_len] = c;
			l->value_len++;
			/* Nothing more to learn from this line. */
			if (l->value_len > sizeof l->value)
				return TRUE;
			break;
		}
	}
	return TRUE;
}

static gboolean
logical_is(const Logical *l, const char *name, const char *value)
{
	gsize vlen = MIN(l->value_len, sizeof l->value);

	if (l->name_len != strlen(name) ||
	    g_ascii_strncasecmp(l->name, name, l->name_len) != 0)
		return FALSE;
	if (l->value_len > sizeof l->value)
		return FALSE;
	while (vlen > 0 &&
	       (l->value[vlen - 1] == ' ' || l->value[vlen - 1] == '\t'))
		vlen--;
	return vlen == strlen(value) &&
	       g_ascii_strncasecmp(l->value, value, vlen) == 0;
}

/* At the end of an unfolded line: the component structure. */
static gboolean
logical_end(Precheck *pc)
{
	Logical *l = &pc->cur;

	if (l->name_len == 5 && g_ascii_strncasecmp(l->name, "BEGIN", 5) == 0) {
		gboolean cal = logical_is(l, "BEGIN", "VCALENDAR");

		if (pc->depth >= MAX_DEPTH) {
			pc->error = g_strdup_printf(
			    "line %u: components nested deeper than %d",
			    l->lineno, MAX_DEPTH);
			return FALSE;
		}
		g_strlcpy(pc->names[pc->depth], l->value,
		          MIN(sizeof pc->names[0], l->value_len + 1));
		g_strchomp(pc->names[pc->depth]);
		pc->stack[pc->depth++] = cal ? COMP_CALENDAR : COMP_OTHER;
		pc->begun |= cal;
		if (logical_is(l, "BEGIN", "VEVENT") &&
		    ++pc->vevents > MAX_VEVENTS) {
			pc->error =
			    g_strdup_printf("more than %d events", MAX_VEVENTS);
			return FALSE;
		}
		if (pc->vevent_lines != NULL && pc->depth >= 2 &&
		    pc->stack[pc->depth - 2] == COMP_CALENDAR &&
		    logical_is(l, "BEGIN", "VEVENT"))
			g_array_append_val(pc->vevent_lines, l->lineno);
	} else if (l->name_len == 3 &&
	           g_ascii_strncasecmp(l->name, "END", 3) == 0) {
		/* Components close in the order they opened: anything else
		 * is a broken body (a cut or a mangled export), refused as a
		 * whole rather than half-merged. */
		g_autofree char *what =
		    g_strndup(l->value, MIN(l->value_len, sizeof l->value));

		g_strchomp(what);
		if (pc->depth == 0) {
			pc->error =
			    g_strdup_printf("line %u: END:%s without its BEGIN",
			                    l->lineno, what);
			return FALSE;
		}
		if (g_ascii_strcasecmp(what, pc->names[pc->depth - 1]) != 0) {
			pc->error = g_strdup_printf(
			    "line %u: END:%s while %s is open", l->lineno, what,
			    pc->names[pc->depth - 1]);
			return FALSE;
		}
		pc->depth--;
		if (pc->stack[pc->depth] == COMP_CALENDAR)
			pc->ended = TRUE;
	} else if (pc->depth == 0 && pc->begun) {
		pc->error = g_strdup_printf(
		    "line %u: content after END:VCALENDAR", l->lineno);
		return FALSE;
	}
	return TRUE;
}

/* Calls @line for each physical line of @data (without its CR LF or LF)
 * until it returns FALSE. A UTF-8 byte order mark is skipped. */
typedef gboolean (*LineFunc)(gpointer user, guint lineno, const char *p,
                             gsize n);

static void
each_line(const char *data, gsize len, LineFunc line, gpointer user)
{
	const char *p = data, *end = data + len;
	guint lineno = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *stop = nl != NULL ? nl : end;
		gsize n = stop - p;

		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (!line(user, ++lineno, p, n))
			return;
		p = nl != NULL ? nl + 1 : end;
	}
}

static gboolean
precheck_line(gpointer user, guint lineno, const char *p, gsize n)
{
	Precheck *pc = user;

	/* Blank lines are not content lines: skipped, by libical too. */
	if (n == 0)
		return TRUE;
	if (p[0] == ' ' || p[0] == '\t') {
		if (!pc->have_line) {
			pc->error = g_strdup_printf(
			    "line %u: a continuation line with no line "
			    "before it",
			    lineno);
			return FALSE;
		}
		return logical_feed(pc, p + 1, n - 1);
	}
	if (pc->have_line && !logical_end(pc))
		return FALSE;
	logical_start(&pc->cur, lineno);
	pc->have_line = TRUE;
	return logical_feed(pc, p, n);
}

/* evf_import_ics_precheck, noting in @vevent_lines (nullable) the line of
 * each of the calendars' VEVENTs (see Precheck). */
static char *
precheck(const char *data, gsize len, GArray *vevent_lines)
{
	Precheck pc = { .vevent_lines = vevent_lines };
	const char *nul;

	nul = len > 0 ? memchr(data, '\0', len) : NULL;
	if (nul != NULL && len >= 4 && (data[0] == '\0' || data[1] == '\0'))
		return g_strdup("the calendar is in UTF-16 or UTF-32 without "
		                "a byte order mark: iCalendar is UTF-8");
	if (nul != NULL)
		return g_strdup_printf("a NUL byte at offset %" G_GSIZE_FORMAT,
		                       (gsize)(nul - data));
	each_line(data, len, precheck_line, &pc);
	if (pc.error == NULL && pc.have_line)
		logical_end(&pc);
	if (pc.error != NULL)
		return pc.error;
	if (!pc.begun) {
		const char *nl = memchr(data, '\n', len);
		gsize first = nl != NULL ? (gsize)(nl - data) : len;

		/* "BEGIN:VCALENDAR\rVERSION…" read as one line: named for
		 * its line ends, not as an error page would be */
		if (first > 1 && memchr(data, '\r', first - 1) != NULL)
			return g_strdup("not an iCalendar document: its lines "
			                "end in CR alone (or CR CR LF), where "
			                "iCalendar's end in CR LF (RFC 5545, "
			                "section 3.1)");
		return g_strdup("not an iCalendar document (no "
		                "BEGIN:VCALENDAR)");
	}
	for (guint d = 0; d < pc.depth; d++)
		if (pc.stack[d] == COMP_CALENDAR)
			return g_strdup("truncated: a calendar has no "
			                "END:VCALENDAR");
	if (!pc.ended)
		return g_strdup("truncated: no END:VCALENDAR");
	return NULL;
}

char *
evf_import_ics_precheck(const char *data, gsize len)
{
	g_return_val_if_fail(data != NULL || len == 0, NULL);
	return precheck(data, len, NULL);
}

/* The document as libical gets it: lines unfolded (a fold inside a UTF-8
 * sequence is joined back byte for byte), CR LF after each, blank lines
 * and the byte order mark gone; so libical sees the lines the pre-check
 * measured. */
static gboolean
unfold_line(gpointer user, guint lineno, const char *p, gsize n)
{
	GString *out = user;

	if (n == 0)
		return TRUE;
	if (p[0] == ' ' || p[0] == '\t') {
		/* Back over the CR LF that ended the line it continues. */
		if (out->len >= 2)
			g_string_truncate(out, out->len - 2);
		g_string_append_len(out, p + 1, n - 1);
	} else {
		g_string_append_len(out, p, n);
	}
	g_string_append(out, "\r\n");
	return TRUE;
}

/* In an unfolded line, from @p (after its name) to @end: the ':' that
 * ends its parameters, the first outside double quotes; @end when there
 * is none. */
static const char *
params_end(const char *p, const char *end)
{
	gboolean quoted = FALSE;

	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ':' && !quoted)
			break;
	}
	return p;
}

/* Appends to @out the unfolded line @line (@n bytes, no CR LF): a
 * CATEGORIES line as one line per value. libical 3.0 splits a list of
 * values at a ',' unless a '\\' is one or three bytes before it, so
 * "A\\,B,C" (the values "A,B" and "C") and "R\\;D,E" came out as one
 * category, and "A\\\\,B" (the values "A\\" and "B") too. The values
 * are split here at the commas RFC 5545 §3.3.11 leaves unescaped (the
 * parameters, which no category needs, left out); past twice the cap of
 * an event's categories, what is left stays on one line, as it was. */
static void
append_line(GString *out, const char *line, gsize n)
{
	static const char name[] = "CATEGORIES";
	const gsize len = sizeof name - 1;
	const char *value = NULL, *end = line + n, *item, *colon;
	guint items = 0;

	if (n > len && g_ascii_strncasecmp(line, name, len) == 0 &&
	    (line[len] == ';' || line[len] == ':') &&
	    (colon = params_end(line + len, end)) < end)
		value = colon + 1;
	if (value == NULL) {
		g_string_append_len(out, line, (gssize)n);
		g_string_append(out, "\r\n");
		return;
	}
	item = value;
	for (const char *p = value; p <= end; p++) {
		if (p < end && *p == '\\' && p + 1 < end) {
			p++;
			continue;
		}
		if (p < end && (*p != ',' || items + 1 >= 2 * MAX_CATEGORIES))
			continue;
		if (p > item) {
			g_string_append(out, name);
			g_string_append_c(out, ':');
			g_string_append_len(out, item, p - item);
			g_string_append(out, "\r\n");
			items++;
		}
		item = p + 1;
	}
}

/* In the unfolded line @line (@n bytes, writable), an RRULE or EXRULE
 * whose INTERVAL libical 3.0 would not keep (it reads it into a short:
 * a rule every 65537 days came out daily, one every 65538 weeks
 * fortnightly) is given as many X for digits, and is ignored as invalid:
 * its first occurrence alone, right for the next 89 years at least. (An
 * INTERVAL written 00000 stays 0, and is told as any rule libical cannot
 * read.) */
static void
hold_interval(char *line, gsize n)
{
	static const char *const names[] = { "RRULE", "EXRULE" };
	static const char part[] = "INTERVAL=";
	char *end = line + n;

	for (gsize k = 0; k < G_N_ELEMENTS(names); k++) {
		gsize len = strlen(names[k]);

		if (n <= len || g_ascii_strncasecmp(line, names[k], len) != 0 ||
		    (line[len] != ';' && line[len] != ':'))
			continue;
		for (char *p = line + len; p < end; p++) {
			char *digits = p + 1 + strlen(part), *q;

			if ((*p != ';' && *p != ':') || digits > end ||
			    g_ascii_strncasecmp(p + 1, part, strlen(part)) != 0)
				continue;
			for (q = digits; q < end && g_ascii_isdigit(*q); q++)
				;
			if (q > digits &&
			    g_ascii_strtoull(digits, NULL, 10) > G_MAXINT16)
				memset(digits, 'X', (gsize)(q - digits));
		}
	}
}

/* In the unfolded line @line (@n bytes, writable), the value of an RRULE
 * or EXRULE in upper case: its names and values are case-insensitive (RFC
 * 5545 §3.1), and libical 3.0 reads an UNTIL's 'T' and 'Z' in upper case
 * only, dropping a rule an event file takes ("until=20271231t235959z"). */
static void
rule_upper(char *line, gsize n)
{
	static const char *const names[] = { "RRULE", "EXRULE" };

	for (gsize k = 0; k < G_N_ELEMENTS(names); k++) {
		gsize len = strlen(names[k]);
		char *colon;

		if (n <= len || g_ascii_strncasecmp(line, names[k], len) != 0 ||
		    (line[len] != ';' && line[len] != ':'))
			continue;
		colon = memchr(line + len, ':', n - len);
		for (char *p = colon; p != NULL && p < line + n; p++)
			*p = g_ascii_toupper(*p);
	}
}

/* The name of the parameter put in place of a DESCRIPTION's parameters
 * that are too long (the HTML note of an ALTREP), whose value is how many
 * bytes they were: an X- name with random letters in it, the same for the
 * life of the process, so that no calendar can give it itself and have a
 * warning told of what it did not do. */
static const char *
dropped_params(void)
{
	static char name[40];
	static gsize once;

	if (g_once_init_enter(&once)) {
		g_snprintf(name, sizeof name, "X-EVFEED-LEFT-OUT-%08X%08X",
		           g_random_int(), g_random_int());
		g_once_init_leave(&once, 1);
	}
	return name;
}

/* Appends to @out the unfolded line @line (@n bytes, no CR LF) when it is
 * a DESCRIPTION whose parameters are longer than libical may be given
 * (the pre-check lets them through): with dropped_params(), the number of
 * their bytes, in their place, and its value; TRUE when it is. The bytes
 * are counted as the pre-check counts them, from the name's ';' to the
 * first ':' outside quotes. */
static gboolean
append_without_params(GString *out, const char *line, gsize n)
{
	static const char name[] = "DESCRIPTION";
	const gsize len = sizeof name - 1;
	const char *end = line + n, *p, *value, *v;

	if (n <= len || g_ascii_strncasecmp(line, name, len) != 0 ||
	    line[len] != ';')
		return FALSE;
	p = params_end(line + len + 1, end);
	if ((gsize)(p - (line + len + 1)) <= MAX_PARAMS_BYTES)
		return FALSE;
	g_string_append_printf(out, "%s;%s=%" G_GSIZE_FORMAT ":", name,
	                       dropped_params(), (gsize)(p - (line + len + 1)));
	/* (a value, which libical needs to keep the property, and with it
	 * the parameter that tells of what was left out: it takes one of
	 * blanks alone for none, and an escaped line break is blank text) */
	value = p < end ? p + 1 : end;
	for (v = value; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	if (v < end)
		g_string_append_len(out, value, end - value);
	else
		g_string_append(out, "\\n");
	g_string_append(out, "\r\n");
	return TRUE;
}

/* Feeds @out's unfolded lines (each ending in CR LF) through rule_upper,
 * hold_interval, append_without_params and append_line, into a new
 * string. */
static GString *
split_values(GString *in)
{
	GString *out = g_string_sized_new(in->len + 2);
	char *p = in->str, *end = in->str + in->len;

	while (p < end) {
		char *eol = strstr(p, "\r\n");

		if (eol == NULL)
			eol = end;
		rule_upper(p, (gsize)(eol - p));
		hold_interval(p, (gsize)(eol - p));
		if (!append_without_params(out, p, (gsize)(eol - p)))
			append_line(out, p, eol - p);
		p = eol + (eol < end ? 2 : 0);
	}
	g_string_free(in, TRUE);
	return out;
}

static GString *
unfold(const char *data, gsize len)
{
	GString *out = g_string_sized_new(len + 2);

	each_line(data, len, unfold_line, out);
	return split_values(out);
}

/* ------------------------------------------------------------- context */

/* ZONE_REFUSED: a VTIMEZONE past the calendar's budget of zones; times
 * in it are not read (as UTC, they would be hours off) */
typedef enum { ZONE_UTC, ZONE_IANA, ZONE_VTIMEZONE, ZONE_REFUSED } ZoneKind;

typedef struct {
	ZoneKind kind;
	GTimeZone *tz;     /* ZONE_IANA */
	char *tzid;        /* ZONE_IANA: the IANA name */
	icaltimezone *itz; /* ZONE_VTIMEZONE, owned by the calendar */
	gboolean unknown;  /* ZONE_UTC for a zone that is none evfeed knows */
} Zone;

static void
zone_free(gpointer p)
{
	Zone *z = p;

	if (z == NULL)
		return;
	g_clear_pointer(&z->tz, g_time_zone_unref);
	g_free(z->tzid);
	g_free(z);
}

static const Zone zone_utc = { ZONE_UTC, NULL, NULL, NULL, FALSE };

typedef struct {
	const char *base_url;
	gint64 now;          /* seconds */
	gint64 window_start; /* seconds, recurrence expansion */
	gint64 window_end;
	guint32 now_day; /* julian days */
	guint32 window_start_day;
	guint32 window_end_day;
	guint skipped;
	GPtrArray *warnings;
	GHashTable *warned;
	guint warnings_dropped;
	GHashTable *zones;    /* "<calendar>/<TZID>" → Zone */
	GHashTable *floating; /* uid → event_label, for floating times */
	char *floating_zone;  /* the X-WR-TIMEZONE some were taken in */
	char *untitled;       /* the label of the first without a title */
	guint untitled_more;  /* and how many others */
	gulong steps_left;
	GPtrArray *out; /* the events so far, pruned to the cap */
	/* uid → the turn of an occurrence in out (GUINT_TO_POINTER): its
	 * place in its series, the nearest 0 (rank_cmp); absent: 0 */
	GHashTable *turns;
	gboolean full; /* out was pruned: worst_* is the last kept */
	guint worst_turn;
	gint64 worst_end;
	char *worst_uid;
	guint dropped;
	guint unexpanded;   /* rules left when the steps ran out */
	guint zone_years;   /* of MAX_ZONE_YEARS, used so far */
	guint zone_matches; /* of MAX_ZONE_MATCHES */
	gint64 span_left;   /* of MAX_SPAN_TOTAL */
	gboolean series;    /* one event per series, RRULE kept (migration) */
	guint max_items;    /* events kept */
	GHashTable *lines;  /* VEVENT → the line of its BEGIN:VEVENT */
	const EvfImportFilter *filter; /* (nullable) chooses before the cap */
} Ctx;

static void ctx_warn(Ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
ctx_warn(Ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (g_hash_table_contains(c->warned, msg)) {
		g_free(msg);
		return;
	}
	if (c->warnings->len >= MAX_WARNINGS) {
		c->warnings_dropped++;
		g_free(msg);
		return;
	}
	g_hash_table_add(c->warned, msg);
	g_ptr_array_add(c->warnings, g_strdup(msg));
}

/* (transfer full): a remote string fit for a warning: one line, short,
 * no control characters. */
static char *
shown(const char *s)
{
	return evf_text_short(s, 60);
}

/* (transfer full): how a warning names the event @ve (whose uid is @uid):
 * "line N: 'uid' (\"summary\")", the line of its BEGIN:VEVENT first
 * when known, the summary when there is one. Warnings about one event
 * start with it, so that an editor can find the event. */
static gboolean blank(const char *s);

/* The line of @ve's BEGIN:VEVENT, 0 when not known. */
static guint
event_line(Ctx *c, icalcomponent *ve)
{
	return c->lines != NULL
	           ? GPOINTER_TO_UINT(g_hash_table_lookup(c->lines, ve))
	           : 0;
}

static char *
event_label(Ctx *c, icalcomponent *ve, const char *uid)
{
	GString *out = g_string_new(NULL);
	guint line = event_line(c, ve);
	icalproperty *p =
	    icalcomponent_get_first_property(ve, ICAL_SUMMARY_PROPERTY);
	const char *summary = p != NULL ? icalproperty_get_summary(p) : NULL;

	if (line > 0)
		g_string_append_printf(out, "line %u: ", line);
	if (uid != NULL) {
		g_autofree char *u = shown(uid);

		g_string_append_printf(out, "'%s'", u);
	} else {
		g_string_append(out, "an event without a UID");
	}
	if (summary != NULL && !blank(summary)) {
		g_autofree char *t = shown(summary);

		g_string_append_printf(out, " (\"%s\")", t);
	}
	return g_string_free(out, FALSE);
}

/* ---------------------------------------------------------------- text */

/* (transfer full) (nullable): @s sanitised, on one line, at most @max
 * bytes; NULL when nothing is left. */
static char *
clean_line(const char *s, gsize max)
{
	g_autofree char *one = NULL;

	if (s == NULL)
		return NULL;
	one = evf_text_cut(evf_text_oneline(s), max);
	if (one[0] == '\0')
		return NULL;
	return g_steal_pointer(&one);
}

/* (transfer full) (nullable): @url (nullable) made safe and absolute
 * against @base (evf_html_safe_url), when it is then an http or https
 * address of at most MAX_URL bytes; else NULL, and *@too_long (nullable)
 * says whether its length was the reason. */
static char *
web_url(const char *url, const char *base, gboolean *too_long)
{
	/* "www.example.org/x" or "facebook.com/events/1", a host written
	 * without its scheme (the URL of Nextcloud, Thunderbird and Apple
	 * Calendar is typed in), which RFC 3986 reads as a path under @base
	 * (an address on the calendar's own site, or on the importing one) */
	g_autofree char *host =
	    url != NULL && ((g_ascii_strncasecmp(url, "www.", 4) == 0 &&
	                     url[4] != '\0' && url[4] != '/') ||
	                    evf_url_bare_host(url))
	        ? g_strconcat("https://", url, NULL)
	        : NULL;
	g_autofree char *safe =
	    url != NULL ? evf_html_safe_url(host != NULL ? host : url, base)
	                : NULL;

	if (too_long != NULL)
		*too_long = safe != NULL && strlen(safe) > MAX_URL;
	if (safe == NULL || strlen(safe) > MAX_URL ||
	    (g_ascii_strncasecmp(safe, "http://", 7) != 0 &&
	     g_ascii_strncasecmp(safe, "https://", 8) != 0))
		return NULL;
	return g_steal_pointer(&safe);
}

/* (transfer full) (nullable): @s sanitised, line breaks kept, trimmed, at
 * most @max bytes; NULL when empty. */
static char *
clean_text(const char *s, gsize max)
{
	g_autofree char *t = NULL;

	if (s == NULL)
		return NULL;
	t = evf_text_sanitize(s, -1);
	evf_utf8_cut(g_strstrip(t), max);
	g_strstrip(t);
	if (t[0] == '\0')
		return NULL;
	return g_steal_pointer(&t);
}

/* Appends @line escaped, cut so that @out stays within @budget bytes;
 * FALSE when it had to be cut. */
static gboolean
append_escaped(GString *out, const char *line, gsize budget)
{
	g_autofree char *esc = g_markup_escape_text(line, -1);
	g_autofree char *part = NULL;
	gsize keep;

	if (out->len + strlen(esc) <= budget) {
		g_string_append(out, esc);
		return TRUE;
	}
	/* Escaping grows a byte at most sixfold: shrink the source until
	 * its escaped form fits. The markup before the line may have used
	 * up the budget already, and then not even nothing fits: the line
	 * goes. */
	keep = budget > out->len ? budget - out->len : 0;
	part = g_strdup(line);
	while (keep > 0) {
		g_autofree char *e = NULL;

		evf_utf8_cut(part, keep);
		e = g_markup_escape_text(part, -1);
		if (out->len + strlen(e) <= budget) {
			g_string_append(out, e);
			return FALSE;
		}
		keep = keep * 3 / 4;
	}
	return FALSE;
}

/* (transfer full): plain text as HTML: paragraphs at blank lines, line
 * breaks kept, at most @budget bytes before sanitising. */
static char *
text_to_html(const char *text, gsize budget)
{
	g_auto(GStrv) lines = g_strsplit_set(text, "\n", -1);
	GString *out = g_string_new(NULL);
	gboolean open = FALSE, more = TRUE;

	for (guint i = 0; lines[i] != NULL && more; i++) {
		const char *l = lines[i];

		if (g_strstrip(lines[i])[0] == '\0') {
			if (open)
				g_string_append(out, "</p>\n");
			open = FALSE;
			continue;
		}
		g_string_append(out, open ? "<br>\n" : "<p>");
		open = TRUE;
		more = append_escaped(out, l, budget);
	}
	if (open)
		g_string_append(out, "</p>");
	return g_string_free(out, FALSE);
}

/* (transfer full) (nullable): safe HTML of at most the cap from plain
 * text; the budget shrinks until the sanitised form fits. */
static char *
html_from_text(const char *text, const char *base_url)
{
	gsize budget = EVF_IMPORT_MAX_DESCRIPTION - 1024;

	for (;;) {
		g_autofree char *raw = text_to_html(text, budget);
		g_autofree char *html = evf_html_sanitize(raw, base_url);

		if (strlen(html) <= EVF_IMPORT_MAX_DESCRIPTION)
			return html[0] != '\0' ? g_steal_pointer(&html) : NULL;
		budget /= 2;
	}
}

/* The length of the HTML tag at @p, of an element HTML knows, with
 * attributes as HTML writes them, and its name in *@name (transfer full,
 * lower case) and whether it closes in *@closing; 0 for anything else: a
 * '<' in "a<b && c>d", "<https://…>", "List<String>" or "<jane@…>". */
static gsize
description_tag(const char *p, char **name, gboolean *closing)
{
	static GRegex *fast, *slow;
	static const char pattern[] =
	    "^<(/?)([a-z][a-z0-9]*(-[-a-z0-9]*)?)"
	    "(\\s+[a-z_:][-a-z0-9_:.]*"
	    "(\\s*=\\s*(\"[^\"<>]*\"|'[^'<>]*'|[^\\s\"'=<>`]+))?)*"
	    "\\s*/?>";
	g_autoptr(GMatchInfo) m = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *n = NULL;
	gint end = 0;

	/* With PCRE's JIT (without it GLib 2.74 checks the rest of the text
	 * at each '<': quadratic), and again without where its stack runs
	 * out (a tag of some hundreds of attributes). */
	if (!g_regex_match_full(
	        evf_regex_once(&fast, pattern,
	                       G_REGEX_CASELESS | G_REGEX_OPTIMIZE),
	        p, -1, 0, 0, &m, &error)) {
		if (error == NULL)
			return 0;
		g_clear_pointer(&m, g_match_info_free);
		if (!g_regex_match(
		        evf_regex_once(&slow, pattern, G_REGEX_CASELESS), p, 0,
		        &m))
			return 0;
	}
	n = g_match_info_fetch(m, 2);
	/* (a name with a hyphen is a custom element's, as Google's
	 * <html-blob>, which HTML unwraps, where it is closed after it:
	 * "<first-name last-name>" and "<e-ticket>" are text) */
	if (!evf_html_element_known(n)) {
		g_autofree char *slash = g_match_info_fetch(m, 1);
		g_autofree char *close = g_strconcat("</", n, NULL);

		if (strchr(n, '-') == NULL ||
		    (slash[0] != '/' && strstr(p + 1, close) == NULL))
			return 0;
	}
	g_match_info_fetch_pos(m, 0, NULL, &end);
	if (name != NULL)
		*name = g_ascii_strdown(n, -1);
	if (closing != NULL) {
		g_autofree char *slash = g_match_info_fetch(m, 1);

		*closing = slash[0] == '/';
	}
	return (gsize)end;
}

/* Whether a DESCRIPTION, plain text by RFC 5545, is HTML all the same, as
 * many write it: it has a line break (<br>), a link (<a href>) or an
 * element that it closes (</p>, </b>); a tag's name alone is no proof
 * ("the <b> tag"), nor a character reference. */
static gboolean
written_in_html(const char *text)
{
	for (const char *p = strchr(text, '<'); p != NULL;
	     p = strchr(p + 1, '<')) {
		g_autofree char *name = NULL;
		gboolean closing = FALSE;

		if (description_tag(p, &name, &closing) == 0)
			continue;
		if (closing || strcmp(name, "br") == 0 ||
		    (strcmp(name, "a") == 0 &&
		     g_ascii_strncasecmp(p + 2 + strspn(p + 2, " \t\r\n"),
		                         "href", 4) == 0))
			return TRUE;
	}
	return FALSE;
}

/* Whether the tag that ends @line (after white space), or begins it,
 * breaks the text by itself: a <br>, or a block's tag (<p>, </li>). */
static gboolean
breaks_at(const char *line, gboolean at_end)
{
	static const char *const breaking[] = {
		"br",         "p",   "div", "li", "ul",    "ol", "h1", "h2",
		"h3",         "h4",  "h5",  "h6", "table", "tr", "td", "th",
		"blockquote", "pre", "hr",  "dl", "dt",    "dd",
	};
	g_autofree char *name = NULL;
	const char *tag;
	gsize n;

	if (at_end) {
		const char *end = line + strlen(line);

		while (end > line && g_ascii_isspace(end[-1]))
			end--;
		if (end == line || end[-1] != '>' ||
		    (tag = g_strrstr_len(line, end - line, "<")) == NULL)
			return FALSE;
		n = description_tag(tag, &name, NULL);
		if (n == 0 || tag + n != end)
			return FALSE;
	} else {
		tag = line + strspn(line, " \t\r");
		if (description_tag(tag, &name, NULL) == 0)
			return FALSE;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(breaking); i++)
		if (strcmp(name, breaking[i]) == 0)
			return TRUE;
	return FALSE;
}

/* (transfer full): a DESCRIPTION written in HTML (written_in_html) made
 * ready for the HTML parser: a '<' that begins no tag is text ("&lt;"),
 * so that "<https://…>" and "a<b && c>d" stay as written; and the line
 * breaks it also has become <br> (a blank line two), but where a tag
 * already breaks the text there. */
static char *
html_keeping_breaks(const char *text)
{
	/* A comment shows nothing, also one over several lines, as HTML
	 * parses it (evf_html_drop_comments); each of its '<' would
	 * otherwise be made text below. */
	g_autofree char *bare = evf_html_drop_comments(text);
	g_auto(GStrv) lines = g_strsplit_set(bare, "\n", -1);
	GString *out = g_string_new(NULL);
	gboolean broken = TRUE; /* by a tag, where the last text ended */

	for (guint i = 0; lines[i] != NULL; i++) {
		const char *l = lines[i];
		gboolean blank = l[strspn(l, " \t\r")] == '\0';

		for (const char *p = l; *p != '\0'; p++) {
			if (*p == '<' && description_tag(p, NULL, NULL) == 0)
				g_string_append(out, "&lt;");
			else
				g_string_append_c(out, *p);
		}
		if (!blank)
			broken = breaks_at(l, TRUE);
		/* (no newline after a break, which the text would show as
		 * a blank line; but a blank line's) */
		if (lines[i + 1] != NULL && !broken &&
		    !breaks_at(lines[i + 1], FALSE))
			g_string_append(out, blank ? "<br>\n" : "<br>");
	}
	return g_string_free(out, FALSE);
}

/* Whether @s has nothing but white space (no-break spaces too). */
static gboolean
blank(const char *s)
{
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)))
			return FALSE;
	return TRUE;
}

/* (transfer full) (nullable): a remote HTML description made safe and
 * brought under the cap; NULL when nothing is left of it. */
static char *
html_from_html(const char *raw, const char *base_url)
{
	g_autofree char *valid = evf_text_sanitize(raw, -1);
	gsize keep = strlen(valid);

	for (guint round = 0; round < 8 && keep > 0; round++) {
		g_autofree char *cut = g_strdup(valid);
		g_autofree char *html = NULL;

		evf_utf8_cut(cut, keep);
		html = evf_html_sanitize(cut, base_url);
		if (strlen(html) <= EVF_IMPORT_MAX_DESCRIPTION) {
			g_autofree char *text = evf_html_to_text(html);

			if (blank(text))
				return NULL;
			return g_steal_pointer(&html);
		}
		keep = MIN(keep, (gsize)EVF_IMPORT_MAX_DESCRIPTION) * 3 / 4;
	}
	return NULL;
}

/* Adds @s (transfer full) to @list unless it is there; FALSE when the
 * list already holds @max and @s is left out. */
static gboolean
add_unique(GPtrArray *list, char *s, guint max)
{
	if (s == NULL)
		return TRUE;
	for (guint i = 0; i < list->len; i++) {
		if (strcmp(g_ptr_array_index(list, i), s) == 0) {
			g_free(s);
			return TRUE;
		}
	}
	if (list->len >= max) {
		g_free(s);
		return FALSE;
	}
	g_ptr_array_add(list, s);
	return TRUE;
}

/* (transfer full) (nullable): clean_line(), with a warning naming @what
 * when @s is cut. */
static char *
clean_line_told(Ctx *c, const char *label, const char *what, const char *s,
                gsize max)
{
	char *line = clean_line(s, max);

	if (line != NULL && strlen(line) >= max - 4 && strlen(s) > max)
		ctx_warn(c, "%s: %s cut to %" G_GSIZE_FORMAT " bytes", label,
		         what, max);
	return line;
}

/* (transfer full) (nullable): a place written over several lines, as
 * Apple's and Meetup's calendars write a venue and its address ("Hotel
 * Esplanade\nMihanovićeva 1\n10000 Zagreb"), on one line with a comma
 * between them, so that the venue does not run into the street. */
static char *
location_parts(const char *s)
{
	static GRegex *breaks;
	g_autofree char *trimmed = NULL;

	if (s == NULL)
		return NULL;
	trimmed = g_strstrip(g_strdup(s));
	return g_regex_replace_literal(
	    evf_regex_once(&breaks, "[ \\t]*,?[ \\t]*[\\r\\n]+[ \\t\\r\\n]*",
	                   0),
	    trimmed, -1, 0, ", ", 0, NULL);
}

/* -------------------------------------------------------------- zones */

/* The VTIMEZONE of @cal named @tzid, as libical reads it, when it is
 * small enough to trust with our CPU, and the document's VTIMEZONEs so far
 * with it; *@over is set when these are too many. */
static icaltimezone *
vtimezone_zone(Ctx *c, icalcomponent *cal, const char *tzid, gboolean *over)
{
	/* An iterator of its own: @cal's is the one gather() steps through
	 * its events with (and started again, it met each twice). */
	icalcompiter it =
	    icalcomponent_begin_component(cal, ICAL_VTIMEZONE_COMPONENT);

	for (icalcomponent *vtz = icalcompiter_deref(&it); vtz != NULL;
	     vtz = icalcompiter_next(&it)) {
		icalproperty *p =
		    icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
		const char *name = p != NULL ? icalproperty_get_tzid(p) : NULL;
		guint years = 0;

		if (name == NULL || strcmp(name, tzid) != 0)
			continue;
		if (icalcomponent_count_components(vtz, ICAL_ANY_COMPONENT) >
		        MAX_OBSERVANCES ||
		    (icalcomponent_get_first_component(
		         vtz, ICAL_XSTANDARD_COMPONENT) == NULL &&
		     icalcomponent_get_first_component(
		         vtz, ICAL_XDAYLIGHT_COMPONENT) == NULL))
			return NULL;
		/* Observances recur yearly; libical expands any other rule
		 * for as long as it likes, and a yearly one from its DTSTART
		 * on (year 1 in a hostile calendar). */
		for (icalcomponent *o = icalcomponent_get_first_component(
		         vtz, ICAL_ANY_COMPONENT);
		     o != NULL; o = icalcomponent_get_next_component(
		                    vtz, ICAL_ANY_COMPONENT)) {
			icalproperty *r = icalcomponent_get_first_property(
			    o, ICAL_RRULE_PROPERTY);
			icalproperty *d = icalcomponent_get_first_property(
			    o, ICAL_DTSTART_PROPERTY);
			int from =
			    d != NULL ? icalproperty_get_dtstart(d).year : 0;

			if (r != NULL && icalproperty_get_rrule(r).freq !=
			                     ICAL_YEARLY_RECURRENCE)
				return NULL;
			years += r == NULL
			             ? 1
			             : MAX_YEAR - CLAMP(from, 0, MAX_YEAR) + 1;
		}
		if (c->zone_years + years > MAX_ZONE_YEARS) {
			/* a zone that would fit alone is a good one that
			 * came after too many others; one that would not
			 * is unusable */
			*over = years <= MAX_ZONE_YEARS;
			return NULL;
		}
		c->zone_years += years;
		return icalcomponent_get_timezone(cal, tzid);
	}
	return NULL;
}

/* ----------------------------------------- a VTIMEZONE as an IANA zone */

/* The years around its first use in which a calendar's own VTIMEZONE and
 * an IANA zone must keep the same time for one to stand for the other. */
#define ALIKE_YEARS_BEFORE 1
#define ALIKE_YEARS_AFTER  10

typedef struct {
	gint64 at;  /* seconds since 1970 */
	int offset; /* of the VTIMEZONE, seconds east of UTC */
} Sample;

static int
vtimezone_offset(icaltimezone *itz, gint64 unix_s)
{
	struct icaltimetype t = icaltime_from_timet_with_zone(
	    (time_t)unix_s, 0, icaltimezone_get_utc_timezone());

	return icaltimezone_get_utc_offset_of_utc_time(itz, &t, NULL);
}

static int
zone_offset(GTimeZone *tz, gint64 unix_s)
{
	return g_time_zone_get_offset(
	    tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, unix_s));
}

/* (transfer full): @itz's offsets from @from to @to (seconds): at each
 * midnight UTC, and every quarter of an hour of each day in which they
 * change, so that a zone with the same samples changes its clocks on the
 * same days at the same times. */
static GArray *
vtimezone_samples(icaltimezone *itz, gint64 from, gint64 to)
{
	GArray *s = g_array_new(FALSE, FALSE, sizeof(Sample));
	int before = vtimezone_offset(itz, from);

	for (gint64 day = from; day < to; day += 86400) {
		int after = vtimezone_offset(itz, day + 86400);
		Sample one = { day, before };

		g_array_append_val(s, one);
		if (after != before)
			for (gint64 q = day + 900; q < day + 86400; q += 900) {
				Sample in = { q, vtimezone_offset(itz, q) };

				g_array_append_val(s, in);
			}
		before = after;
	}
	return s;
}

/* Whether @place's last part ("New_York" as "new york") is a word of
 * @text (lower case). */
static gboolean
names_place(const char *text, const char *place)
{
	const char *slash = strrchr(place, '/');
	g_autofree char *city = g_ascii_strdown(slash + 1, -1);
	gsize n = strlen(city);

	g_strdelimit(city, "_", ' ');
	for (const char *p = strstr(text, city); p != NULL;
	     p = strstr(p + 1, city))
		if ((p == text || !g_ascii_isalnum(p[-1])) &&
		    !g_ascii_isalnum(p[n]))
			return TRUE;
	return FALSE;
}

/* (transfer full): the TZNAMEs of @itz's observances (CET, CEST). */
static GHashTable *
vtimezone_names(icaltimezone *itz)
{
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
	icalcomponent *vtz = icaltimezone_get_component(itz);

	for (icalcomponent *o = vtz != NULL ? icalcomponent_get_first_component(
	                                          vtz, ICAL_ANY_COMPONENT)
	                                    : NULL;
	     o != NULL;
	     o = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		icalproperty *n =
		    icalcomponent_get_first_property(o, ICAL_TZNAME_PROPERTY);

		if (n != NULL && icalproperty_get_tzname(n) != NULL)
			g_hash_table_add(names,
			                 (char *)icalproperty_get_tzname(n));
	}
	return names;
}

/* Whether @tz calls its times at @samples by names @names (the
 * VTIMEZONE's TZNAMEs) has: an IANA zone that keeps the same clocks under
 * the same names, such as Asia/Kolkata for IST rather than Asia/Colombo. */
static gboolean
calls_alike(GTimeZone *tz, GArray *samples, GHashTable *names)
{
	if (g_hash_table_size(names) == 0)
		return FALSE;
	for (guint k = 0; k < samples->len; k++) {
		gint64 at = g_array_index(samples, Sample, k).at;
		int i =
		    g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, at);

		if (!g_hash_table_contains(names,
		                           g_time_zone_get_abbreviation(tz, i)))
			return FALSE;
	}
	return TRUE;
}

/* Whether @place is the zone CLDR gives a Windows zone (windows_zones):
 * of the zones that keep one time, the one its people know it by (Europe/
 * Berlin for Central European time, not Africa/Ceuta). */
static gboolean
primary_zone(const char *place)
{
	for (gsize i = 0; i < G_N_ELEMENTS(windows_zones); i++)
		if (strcmp(windows_zones[i].iana, place) == 0)
			return TRUE;
	return FALSE;
}

/* (transfer full) (nullable): the IANA zone that keeps the same time as
 * the calendar's own VTIMEZONE @itz, named @name, in the years around
 * @year: one whose place @name names ("(UTC+01:00) Amsterdam, Berlin,
 * ..." is Europe/Amsterdam), else of those with the VTIMEZONE's names
 * (TZNAME) a zone of a Windows zone (primary_zone), else the first by
 * name; else (no TZNAME, as Outlook writes) the first zone of a Windows
 * zone, else the first by name. A series in it then recurs in its wall
 * time, not in UTC. NULL when none does. */
static char *
vtimezone_as_iana(icaltimezone *itz, const char *name, int year)
{
	const GPtrArray *places = evf_tz_places();
	g_autoptr(GDateTime) from = g_date_time_new_utc(
	    CLAMP(year - ALIKE_YEARS_BEFORE, MIN_YEAR, MAX_YEAR), 1, 1, 0, 0,
	    0);
	g_autoptr(GDateTime) to = g_date_time_new_utc(
	    CLAMP(year + ALIKE_YEARS_AFTER + 1, MIN_YEAR, MAX_YEAR), 1, 1, 0, 0,
	    0);
	g_autoptr(GArray) samples = NULL;
	g_autofree char *text = g_ascii_strdown(name, -1);
	g_autoptr(GHashTable) tznames = vtimezone_names(itz);
	const char *first = NULL;
	const char *called = NULL;
	const char *primary = NULL;
	const char *called_primary = NULL;

	if (from == NULL || to == NULL)
		return NULL;
	samples = vtimezone_samples(itz, g_date_time_to_unix(from),
	                            g_date_time_to_unix(to));
	for (guint i = 0; i < places->len; i++) {
		const char *place = g_ptr_array_index(places, i);
		g_autoptr(GTimeZone) tz = evf_tz_new(place, NULL);
		gboolean alike = tz != NULL;

		for (guint k = 0; alike && k < samples->len; k++) {
			const Sample *one = &g_array_index(samples, Sample, k);

			alike = zone_offset(tz, one->at) == one->offset;
		}
		if (!alike)
			continue;
		if (names_place(text, place))
			return g_strdup(place);
		if (calls_alike(tz, samples, tznames)) {
			if (called == NULL)
				called = place;
			if (called_primary == NULL && primary_zone(place))
				called_primary = place;
		}
		if (primary == NULL && primary_zone(place))
			primary = place;
		if (first == NULL)
			first = place;
	}
	return g_strdup(called_primary != NULL ? called_primary
	                : called != NULL       ? called
	                : primary != NULL      ? primary
	                                       : first);
}

/* (transfer full): the zone name @raw (a TZID parameter or an
 * X-WR-TIMEZONE) on one line, without white space or quotes around it. */
static char *
zone_name(const char *raw)
{
	char *name = g_strstrip(evf_text_oneline(raw));

	if (name[0] == '"' && name[1] != '\0' &&
	    name[strlen(name) - 1] == '"') {
		name[strlen(name) - 1] = '\0';
		memmove(name, name + 1, strlen(name));
	}
	return name;
}

/* (transfer full): how @raw (a TZID parameter of @cal) resolves:
 * UTC, an IANA zone (also through a Windows name or a vendor prefix such
 * as "/freeassociation.sourceforge.net/"), the calendar's VTIMEZONE, or
 * else UTC with a warning. */
static Zone *
resolve_zone(Ctx *c, icalcomponent *cal, const char *raw, int year)
{
	g_autofree char *name = zone_name(raw);
	g_autofree char *label = shown(raw);
	Zone *z = g_new0(Zone, 1);
	gboolean over = FALSE;
	const char *p;

	/* The name itself, then after each '/' (vendor prefixes such as
	 * "/freeassociation.sourceforge.net/Tzfile/" or "/mozilla.org/
	 * 20050126_1/"). */
	for (p = name; p != NULL; p = strchr(p, '/')) {
		while (*p == '/')
			p++;
		if (evf_tz_is_utc(p))
			return z;
		z->tz = evf_tz_new(p, NULL);
		if (z->tz != NULL) {
			z->kind = ZONE_IANA;
			z->tzid = g_strdup(p);
			return z;
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS(sysv_zones); i++) {
		if (g_ascii_strcasecmp(name, sysv_zones[i].old) != 0)
			continue;
		z->tz = evf_tz_new(sysv_zones[i].iana, NULL);
		if (z->tz != NULL) {
			z->kind = ZONE_IANA;
			z->tzid = g_strdup(sysv_zones[i].iana);
			return z;
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS(windows_zones); i++) {
		if (g_ascii_strcasecmp(name, windows_zones[i].windows) != 0)
			continue;
		if (evf_tz_is_utc(windows_zones[i].iana))
			return z;
		z->tz = evf_tz_new(windows_zones[i].iana, NULL);
		if (z->tz != NULL) {
			z->kind = ZONE_IANA;
			z->tzid = g_strdup(windows_zones[i].iana);
			return z;
		}
	}
	z->itz = vtimezone_zone(c, cal, raw, &over);
	if (over) {
		z->kind = ZONE_REFUSED;
		ctx_warn(c,
		         "time zone '%s': the calendar defines more time zones "
		         "than are read; events in it are left out",
		         label);
		return z;
	}
	if (z->itz != NULL) {
		g_autofree char *iana =
		    c->zone_matches++ < MAX_ZONE_MATCHES
		        ? vtimezone_as_iana(z->itz, name, year)
		        : NULL;

		if (iana != NULL && (z->tz = evf_tz_new(iana, NULL)) != NULL) {
			z->kind = ZONE_IANA;
			z->tzid = g_steal_pointer(&iana);
			z->itz = NULL;
			return z;
		}
		z->kind = ZONE_VTIMEZONE;
		ctx_warn(c,
		         "unknown time zone '%s': times converted to UTC "
		         "with the calendar's VTIMEZONE",
		         label);
		return z;
	}
	ctx_warn(c,
	         "unknown time zone '%s' and no usable VTIMEZONE: times "
	         "taken as UTC",
	         label);
	z->unknown = TRUE;
	return z;
}

/* (transfer none): the zone @name stands for in @cal (resolve_zone), once
 * per calendar and name. */
static const Zone *
cached_zone(Ctx *c, icalcomponent *cal, const char *name, int year)
{
	g_autofree char *key = g_strdup_printf("%p/%s", (void *)cal, name);
	Zone *z = g_hash_table_lookup(c->zones, key);

	if (z == NULL) {
		z = resolve_zone(c, cal, name, year);
		g_hash_table_insert(c->zones, g_steal_pointer(&key), z);
	}
	return z;
}

/* (transfer none) (nullable): the value of @comp's first property @name,
 * an x-name. */
static const char *
x_value(icalcomponent *comp, const char *name)
{
	for (icalproperty *p =
	         icalcomponent_get_first_property(comp, ICAL_X_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(comp, ICAL_X_PROPERTY))
		if (g_ascii_strcasecmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

/* (transfer none) (nullable): the value of @cal's X-WR-TIMEZONE. */
static const char *
x_wr_timezone(icalcomponent *cal)
{
	return x_value(cal, "X-WR-TIMEZONE");
}

/* (transfer none) (nullable): the zone @cal names in X-WR-TIMEZONE, the
 * default zone Apple's and Google's calendars give its floating times,
 * read as a TZID is (an IANA name, quoted or with a vendor prefix, a
 * Windows name, or one of the calendar's VTIMEZONEs), from the cache; NULL
 * when it names none, or none evfeed knows (resolve_zone warns). *name
 * is what to call it in a warning. */
static const Zone *
calendar_default_zone(Ctx *c, icalcomponent *cal, int year, const char **name)
{
	const char *value = x_wr_timezone(cal);
	const Zone *z;

	if (value == NULL || blank(value))
		return NULL;
	z = cached_zone(c, cal, value, year);
	if (z->kind == ZONE_UTC)
		return NULL;
	*name = z->kind == ZONE_IANA ? z->tzid : value;
	return z;
}

/* (transfer none): the zone of the date-time in @prop, from the cache;
 * floating times are taken in the calendar's X-WR-TIMEZONE, or else as
 * UTC (and noted for @uid). */
static const Zone *
prop_zone(Ctx *c, icalcomponent *cal, icalproperty *prop, struct icaltimetype t,
          const char *uid)
{
	icalparameter *param;
	const char *tzid;
	const Zone *z;

	if (icaltime_is_utc(t))
		return &zone_utc;
	param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
	tzid = param != NULL ? icalparameter_get_tzid(param) : NULL;
	if (tzid == NULL || tzid[0] == '\0') {
		const char *name = NULL;
		const Zone *dflt = calendar_default_zone(c, cal, t.year, &name);

		if (uid != NULL && !g_hash_table_contains(c->floating, uid)) {
			icalcomponent *ve = icalproperty_get_parent(prop);
			g_autofree char *u = ve == NULL ? shown(uid) : NULL;

			g_hash_table_insert(c->floating, g_strdup(uid),
			                    ve != NULL
			                        ? event_label(c, ve, uid)
			                        : g_strdup_printf("'%s'", u));
		}
		if (dflt != NULL && c->floating_zone == NULL)
			c->floating_zone = g_strdup(name);
		return dflt != NULL ? dflt : &zone_utc;
	}
	z = cached_zone(c, cal, tzid, t.year);
	/* each event it gives wrong times to is named, at its line */
	if (z->unknown && uid != NULL &&
	    icalproperty_get_parent(prop) != NULL) {
		g_autofree char *label =
		    event_label(c, icalproperty_get_parent(prop), uid);
		g_autofree char *zone = shown(tzid);

		ctx_warn(c,
		         "%s: its times are taken as UTC (unknown time zone "
		         "'%s'): give them in a zone evfeed knows",
		         label, zone);
	}
	return z;
}

/* -------------------------------------------------------------- times */

static gboolean
date_ok(int y, int m, int d)
{
	return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 &&
	       d <= g_date_get_days_in_month(m, y);
}

static gboolean
time_ok(struct icaltimetype t)
{
	if (icaltime_is_null_time(t) || !date_ok(t.year, t.month, t.day))
		return FALSE;
	if (t.is_date)
		return TRUE;
	return t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 &&
	       t.second >= 0 && t.second <= 60;
}

/* (transfer full) (nullable): the instant of wall time @t in @z; in @z's
 * zone for IANA zones, else in UTC. NULL when out of range. */
static GDateTime *
zone_datetime(const Zone *z, struct icaltimetype t)
{
	g_autoptr(GDateTime) dt = NULL;

	if (!time_ok(t))
		return NULL;
	t.second = MIN(t.second, 59);
	t.is_date = 0;
	switch (z->kind) {
	case ZONE_IANA:
		dt = evf_tz_datetime_new(z->tz, t.year, t.month, t.day, t.hour,
		                         t.minute, t.second);
		break;
	case ZONE_VTIMEZONE:
		t.zone = NULL;
		icaltimezone_convert_time(&t, z->itz,
		                          icaltimezone_get_utc_timezone());
		if (!time_ok(t))
			return NULL;
		G_GNUC_FALLTHROUGH;
	case ZONE_UTC:
		dt = g_date_time_new_utc(t.year, t.month, t.day, t.hour,
		                         t.minute, MIN(t.second, 59));
		break;
	case ZONE_REFUSED:
		return NULL;
	}
	if (dt == NULL || g_date_time_get_year(dt) < MIN_YEAR ||
	    g_date_time_get_year(dt) > MAX_YEAR)
		return NULL;
	return g_steal_pointer(&dt);
}

/* The wall time of @unix (seconds) in @z. */
static struct icaltimetype
zone_local(const Zone *z, gint64 unix_s)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(unix_s);
	g_autoptr(GDateTime) local = NULL;
	struct icaltimetype t;

	if (utc == NULL)
		return icaltime_null_time();
	local = z->kind == ZONE_IANA ? g_date_time_to_timezone(utc, z->tz)
	                             : g_date_time_ref(utc);
	t = evf_tz_wall_time(local);
	if (z->kind == ZONE_VTIMEZONE)
		icaltimezone_convert_time(&t, icaltimezone_get_utc_timezone(),
		                          z->itz);
	return t;
}

static guint32
julian(int y, int m, int d)
{
	GDate date;

	g_date_clear(&date, 1);
	g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return g_date_get_julian(&date);
}

static gint64
julian_to_unix(guint32 j)
{
	static const gint64 epoch = 719163; /* julian day of 1970-01-01 */

	return ((gint64)j - epoch) * 86400;
}

/* Seconds since 1970 of a UTC (or floating, taken as UTC) stamp such as
 * DTSTAMP; 0 when absent or out of range. */
static gint64
stamp_seconds(icalcomponent *ve, icalproperty_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(ve, kind);
	struct icaltimetype t;
	g_autoptr(GDateTime) dt = NULL;

	if (p == NULL || icalproperty_get_value(p) == NULL ||
	    (icalvalue_isa(icalproperty_get_value(p)) != ICAL_DATE_VALUE &&
	     icalvalue_isa(icalproperty_get_value(p)) != ICAL_DATETIME_VALUE))
		return 0;
	t = icalvalue_get_datetime(icalproperty_get_value(p));
	if (!time_ok(t) || t.year < 1970)
		return 0;
	if (t.is_date)
		t.hour = t.minute = t.second = 0;
	dt = g_date_time_new_utc(t.year, t.month, t.day, t.hour, t.minute,
	                         MIN(t.second, 59));
	return dt != NULL ? g_date_time_to_unix(dt) : 0;
}

/* The seconds of a DURATION (0 for PT0S: a timed event that ends at its
 * start), or -1 when it is negative or longer than ten years. */
static gint64
duration_seconds(struct icaldurationtype d)
{
	guint64 s = (guint64)d.weeks * 7 * 86400 + (guint64)d.days * 86400 +
	            (guint64)d.hours * 3600 + (guint64)d.minutes * 60 +
	            d.seconds;

	if (d.is_neg || s > G_GUINT64_CONSTANT(3660) * 86400 || d.weeks > 600 ||
	    d.days > 4000 || d.hours > 100000 || d.minutes > 6000000 ||
	    d.seconds > 400000000)
		return -1;
	return (gint64)s;
}

/* (transfer full) (nullable): the end of what starts at @start (an
 * instant of an event in @z) and lasts @days on the wall clock in @z,
 * then @rest seconds exactly, as RFC 5545 §3.3.6 reads a DURATION: P1D
 * ends at the same wall time the next day, 23 hours later where the
 * clocks go forward; a wall time the clocks skip or repeat is read as a
 * DTSTART would be (zone_datetime). */
static GDateTime *
nominal_end(const Zone *z, GDateTime *start, gint days, gint64 rest)
{
	struct icaltimetype t = zone_local(z, g_date_time_to_unix(start));
	g_autoptr(GDateTime) day = NULL;

	if (icaltime_is_null_time(t))
		return NULL;
	t.zone = NULL;
	icaltime_adjust(&t, days, 0, 0, 0);
	day = zone_datetime(z, t);
	if (day == NULL)
		return NULL;
	return g_date_time_add_seconds(day, (gdouble)rest);
}

/* -------------------------------------------------------------- events */

/* One VEVENT read into an event, with what recurrence needs. */
typedef struct {
	EvfEvent *ev;
	struct icaltimetype dtstart; /* as written, zone cleared */
	const Zone *zone;            /* timed events */
	GTimeSpan duration;          /* timed events */
	/* timed events with a DURATION of days or weeks: its days, nominal
	 * (on the wall clock in the event's zone), and the rest, exact,
	 * which every occurrence lasts (RFC 5545 §3.3.6); else days is 0
	 * and every occurrence lasts @duration, the first's exact length
	 * (§3.8.5.3) */
	gint nominal_days;
	gint64 exact_rest; /* seconds */
	/* timed events with a DURATION: how long it is on the wall clock
	 * (a day as 24 hours), seconds; else -1 */
	gint64 wall_length;
	gint days;   /* all-day events */
	char *label; /* event_label() */
} Built;

static void
built_clear(Built *b)
{
	g_clear_pointer(&b->ev, evf_event_unref);
	g_clear_pointer(&b->label, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Built, built_clear)

static struct icaltimetype
prop_time(icalproperty *p)
{
	icalvalue *v = p != NULL ? icalproperty_get_value(p) : NULL;
	icalvalue_kind k = v != NULL ? icalvalue_isa(v) : ICAL_NO_VALUE;

	if (k != ICAL_DATE_VALUE && k != ICAL_DATETIME_VALUE)
		return icaltime_null_time();
	return icalvalue_get_datetime(v);
}

/* The key of an occurrence (its identity within a series): the date for
 * all-day events, the UTC instant for timed ones. */
static char *
stamp_of_day(guint32 j)
{
	GDate d;

	g_date_clear(&d, 1);
	g_date_set_julian(&d, j);
	return g_strdup_printf("%04d%02d%02d", g_date_get_year(&d),
	                       g_date_get_month(&d), g_date_get_day(&d));
}

static char *
stamp_of_instant(gint64 unix_s)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_s);

	return g_date_time_format(dt, "%Y%m%dT%H%M%SZ");
}

/* The key (julian day or UTC seconds) of a date or date-time property
 * value for an event that is @all_day; FALSE when it has none. */
static gboolean
prop_key(Ctx *c, icalcomponent *cal, icalproperty *p, struct icaltimetype t,
         gboolean all_day, const Zone *ev_zone, gint64 *key)
{
	if (!time_ok(t))
		return FALSE;
	if (all_day) {
		/* A date-time for an all-day series counts by its date. */
		*key = julian(t.year, t.month, t.day);
		return TRUE;
	}
	if (t.is_date) {
		/* A date for a timed series: midnight in its zone. */
		g_autoptr(GDateTime) dt = NULL;

		t.is_date = 0;
		t.hour = t.minute = t.second = 0;
		dt = zone_datetime(ev_zone, t);
		if (dt == NULL)
			return FALSE;
		*key = g_date_time_to_unix(dt);
		return TRUE;
	}
	{
		g_autoptr(GDateTime) dt =
		    zone_datetime(prop_zone(c, cal, p, t, NULL), t);

		if (dt == NULL)
			return FALSE;
		*key = g_date_time_to_unix(dt);
		return TRUE;
	}
}

static void
read_dates_all_day(Ctx *c, icalcomponent *ve, Built *b, const char *label)
{
	EvfEvent *ev = b->ev;
	icalproperty *pe =
	    icalcomponent_get_first_property(ve, ICAL_DTEND_PROPERTY);
	icalproperty *pd =
	    icalcomponent_get_first_property(ve, ICAL_DURATION_PROPERTY);
	guint32 start = g_date_get_julian(&ev->start_date);
	guint32 end = 0;

	if (pe != NULL) {
		struct icaltimetype t = prop_time(pe);

		if (time_ok(t)) {
			end = julian(t.year, t.month, t.day);
			if (!t.is_date && (t.hour || t.minute || t.second))
				end++;
		}
	} else if (pd != NULL) {
		gint64 s = duration_seconds(icalproperty_get_duration(pd));

		if (s > 0)
			end = start + (guint32)((s + 86399) / 86400);
		else if (s < 0)
			ctx_warn(c,
			         "%s: the DURATION is negative or longer than "
			         "ten years: the event lasts one day",
			         label);
	}
	if (end != 0 && end <= start) {
		ctx_warn(c,
		         "%s: the end is not after the start: the event "
		         "lasts one day",
		         label);
		end = 0;
	}
	if (end == 0 || end - start > 3660)
		end = start + 1;
	g_date_set_julian(&ev->end_date, end);
	if (!g_date_valid(&ev->end_date) ||
	    g_date_get_year(&ev->end_date) > MAX_YEAR)
		g_date_set_julian(&ev->end_date, start + 1);
	b->days = (gint)(g_date_get_julian(&ev->end_date) - start);
}

static void
read_dates_timed(Ctx *c, icalcomponent *cal, icalcomponent *ve, Built *b,
                 const char *uid, const char *label)
{
	EvfEvent *ev = b->ev;
	icalproperty *pe =
	    icalcomponent_get_first_property(ve, ICAL_DTEND_PROPERTY);
	icalproperty *pd =
	    icalcomponent_get_first_property(ve, ICAL_DURATION_PROPERTY);
	g_autoptr(GDateTime) end = NULL;

	b->wall_length = -1;
	if (pe != NULL) {
		struct icaltimetype t = prop_time(pe);

		if (time_ok(t) && t.is_date) {
			t.is_date = 0;
			t.hour = t.minute = t.second = 0;
			end = zone_datetime(b->zone, t);
		} else if (time_ok(t)) {
			end = zone_datetime(prop_zone(c, cal, pe, t, uid), t);
		}
	} else if (pd != NULL) {
		struct icaldurationtype d = icalproperty_get_duration(pd);
		gint64 s = duration_seconds(d);
		gint days = (gint)(d.weeks * 7 + d.days);

		/* Days and weeks are nominal (RFC 5545 §3.3.6), in the
		 * first occurrence as in every other; hours, minutes and
		 * seconds are exact. */
		if (s >= 0) {
			end = nominal_end(b->zone, ev->start, days,
			                  s - (gint64)days * 86400);
			b->wall_length = end != NULL ? s : -1;
			if (days > 0 && end != NULL) {
				b->nominal_days = days;
				b->exact_rest = s - (gint64)days * 86400;
			}
		} else {
			ctx_warn(c,
			         "%s: the DURATION is negative or longer than "
			         "ten years: the event ends one hour after its "
			         "start",
			         label);
		}
	} else {
		/* RFC 5545 §3.6.1: a timed VEVENT without DTEND or
		 * DURATION ends at its start. */
		end = g_date_time_ref(ev->start);
	}
	if (end != NULL && g_date_time_compare(end, ev->start) < 0) {
		ctx_warn(c,
		         "%s: DTEND is before DTSTART: the event ends one "
		         "hour after its start",
		         label);
		g_clear_pointer(&end, g_date_time_unref);
	}
	if (end != NULL &&
	    g_date_time_difference(end, ev->start) > 3660 * G_TIME_SPAN_DAY)
		g_clear_pointer(&end, g_date_time_unref);
	if (end == NULL) {
		end = g_date_time_add_hours(ev->start, 1);
		b->nominal_days = 0;
		b->wall_length = -1;
	}
	ev->end =
	    g_date_time_to_timezone(end, g_date_time_get_timezone(ev->start));
	b->duration = g_date_time_difference(ev->end, ev->start);
}

/* Outlook writes some all-day events as midnight to midnight with
 * X-MICROSOFT-CDO-ALLDAYEVENT:TRUE: they become all-day events. */
static void
outlook_all_day(icalcomponent *ve, Built *b)
{
	EvfEvent *ev = b->ev;
	gboolean flagged = FALSE;

	for (icalproperty *p =
	         icalcomponent_get_first_property(ve, ICAL_X_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY)) {
		const char *name = icalproperty_get_x_name(p);
		const char *value = icalproperty_get_x(p);

		if (name != NULL && value != NULL &&
		    g_ascii_strcasecmp(name, "X-MICROSOFT-CDO-ALLDAYEVENT") ==
		        0 &&
		    g_ascii_strcasecmp(value, "TRUE") == 0)
			flagged = TRUE;
	}
	if (!flagged || ev->all_day || g_date_time_get_hour(ev->start) != 0 ||
	    g_date_time_get_minute(ev->start) != 0 ||
	    g_date_time_get_second(ev->start) != 0 ||
	    g_date_time_get_hour(ev->end) != 0 ||
	    g_date_time_get_minute(ev->end) != 0 ||
	    g_date_time_get_second(ev->end) != 0 ||
	    g_date_time_compare(ev->end, ev->start) <= 0)
		return;
	ev->all_day = TRUE;
	g_date_set_dmy(&ev->start_date,
	               (GDateDay)g_date_time_get_day_of_month(ev->start),
	               (GDateMonth)g_date_time_get_month(ev->start),
	               (GDateYear)g_date_time_get_year(ev->start));
	g_date_set_dmy(&ev->end_date,
	               (GDateDay)g_date_time_get_day_of_month(ev->end),
	               (GDateMonth)g_date_time_get_month(ev->end),
	               (GDateYear)g_date_time_get_year(ev->end));
	g_clear_pointer(&ev->start, g_date_time_unref);
	g_clear_pointer(&ev->end, g_date_time_unref);
	g_clear_pointer(&ev->tzid, g_free);
	b->dtstart.is_date = 1;
	b->dtstart.hour = b->dtstart.minute = b->dtstart.second = 0;
	b->days = (gint)(g_date_get_julian(&ev->end_date) -
	                 g_date_get_julian(&ev->start_date));
	b->duration = 0;
}

/* @ev's times, in UTC, shown in the zone @value (nullable) names, the same
 * instants, where it is a zone's plain name (not Etc/GMT-5, of which an
 * event file is warned) and @ve is no series (whose rule runs in UTC);
 * whether they are. */
static gboolean
in_zone(icalcomponent *ve, EvfEvent *ev, const char *value)
{
	g_autoptr(GTimeZone) tz = NULL;
	GDateTime *start, *end;

	if (icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY) != NULL ||
	    icalcomponent_get_first_property(ve, ICAL_RDATE_PROPERTY) != NULL ||
	    value == NULL || evf_tz_is_utc(value) ||
	    g_str_has_prefix(value, "Etc/") ||
	    (tz = evf_tz_new(value, NULL)) == NULL || ev->start == NULL ||
	    ev->end == NULL)
		return FALSE;
	/* (an event file could not give its times in that zone, where
	 * GLib misreads its rule: kept in UTC, as the calendar has them) */
	if (evf_tz_is_misread(value, g_date_time_get_year(ev->start)) ||
	    evf_tz_is_misread(value, g_date_time_get_year(ev->end)))
		return FALSE;
	start = g_date_time_to_timezone(ev->start, tz);
	end = g_date_time_to_timezone(ev->end, tz);
	if (start == NULL || end == NULL) {
		g_clear_pointer(&start, g_date_time_unref);
		g_clear_pointer(&end, g_date_time_unref);
		return FALSE;
	}
	g_date_time_unref(ev->start);
	g_date_time_unref(ev->end);
	ev->start = start;
	ev->end = end;
	g_free(ev->tzid);
	ev->tzid = g_strdup(value);
	return TRUE;
}

/* An event in UTC that evfeed published (a single event at a time that
 * clients read otherwise in its zone, or written with an offset) says in
 * X-EVFEED-ZONE how its times were written: a zone, "UTC", or an offset
 * ("+09:00"). Its times are taken so, for `evfeed import` of a site's own
 * calendar to give the event files it was built from; whether they are. */
static gboolean
in_written_zone(icalcomponent *ve, EvfEvent *ev)
{
	const char *value = x_value(ve, "X-EVFEED-ZONE");
	g_autoptr(GTimeZone) offset = NULL;
	gint32 seconds;

	if (value == NULL)
		return FALSE;
	if (strcmp(value, "UTC") == 0)
		return TRUE;
	if ((value[0] == '+' || value[0] == '-') &&
	    (offset = g_time_zone_new_identifier(value)) != NULL) {
		seconds = g_time_zone_get_offset(offset, 0);
		if (!evf_utc_offset_valid(seconds))
			return FALSE;
		ev->utc_offset = seconds;
		return TRUE;
	}
	return in_zone(ve, ev, value);
}

/* A single event in UTC, in a calendar that names its zone in
 * X-WR-TIMEZONE, is shown in that zone, the same instants: Google
 * Calendar, Eventbrite and Drupal write every single event in UTC, and
 * its pages and feeds would give a Podgorica meeting's time as UTC's. (A
 * series keeps UTC, where its rule runs.) */
static void
in_calendar_zone(icalcomponent *cal, icalcomponent *ve, EvfEvent *ev)
{
	const char *raw = x_wr_timezone(cal);
	g_autofree char *value = raw != NULL ? zone_name(raw) : NULL;

	(void)in_zone(ve, ev, value);
}

static gboolean
read_dates(Ctx *c, icalcomponent *cal, icalcomponent *ve, Built *b,
           const char *uid, const char *label)
{
	EvfEvent *ev = b->ev;
	icalproperty *ps =
	    icalcomponent_get_first_property(ve, ICAL_DTSTART_PROPERTY);
	struct icaltimetype t = prop_time(ps);

	if (!time_ok(t))
		return FALSE;
	b->dtstart = t;
	b->dtstart.zone = NULL;
	if (t.is_date) {
		ev->all_day = TRUE;
		g_date_set_dmy(&ev->start_date, (GDateDay)t.day,
		               (GDateMonth)t.month, (GDateYear)t.year);
		read_dates_all_day(c, ve, b, label);
		return TRUE;
	}
	b->zone = prop_zone(c, cal, ps, t, uid);
	ev->start = zone_datetime(b->zone, t);
	if (ev->start == NULL)
		return FALSE;
	if (b->zone->kind == ZONE_IANA)
		ev->tzid = g_strdup(b->zone->tzid);
	read_dates_timed(c, cal, ve, b, uid, label);
	outlook_all_day(ve, b);
	if (!ev->all_day && b->zone->kind == ZONE_UTC && icaltime_is_utc(t) &&
	    !in_written_zone(ve, ev))
		in_calendar_zone(cal, ve, ev);
	return TRUE;
}

/* (transfer full) (nullable): the HTML of @pd's ALTREP when that is a
 * data: URI of text/html (percent-encoded or base64), at most
 * EVF_IMPORT_MAX_DESCRIPTION bytes of UTF-8. */
static char *
altrep_html(icalproperty *pd)
{
	icalparameter *a =
	    icalproperty_get_first_parameter(pd, ICAL_ALTREP_PARAMETER);
	const char *uri = a != NULL ? icalparameter_get_altrep(a) : NULL;
	const char *comma;
	g_autofree char *head = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gsize len = 0;
	const char *data;

	if (uri == NULL || g_ascii_strncasecmp(uri, "data:", 5) != 0 ||
	    (comma = strchr(uri, ',')) == NULL)
		return NULL;
	head = g_ascii_strdown(uri + 5, comma - uri - 5);
	if (!g_str_has_prefix(head, "text/html"))
		return NULL;
	if (g_str_has_suffix(head, ";base64")) {
		guchar *raw;

		if (strlen(comma + 1) > EVF_IMPORT_MAX_DESCRIPTION * 4 / 3 + 4)
			return NULL;
		raw = g_base64_decode(comma + 1, &len);
		bytes = g_bytes_new_take(raw, len);
	} else {
		bytes = g_uri_unescape_bytes(comma + 1, -1, NULL, NULL);
	}
	data = bytes != NULL ? g_bytes_get_data(bytes, &len) : NULL;
	if (data == NULL || len == 0 || len > EVF_IMPORT_MAX_DESCRIPTION ||
	    memchr(data, '\0', len) != NULL)
		return NULL;
	/* in its charset (RFC 2397), else UTF-8 */
	{
		const char *cs = strstr(head, ";charset=");
		g_autofree char *charset =
		    cs != NULL ? g_strndup(cs + 9, strcspn(cs + 9, ";")) : NULL;

		if (charset != NULL &&
		    g_ascii_strcasecmp(charset, "utf-8") != 0)
			return g_convert(data, (gssize)len, "UTF-8", charset,
			                 NULL, NULL, NULL);
	}
	if (!g_utf8_validate_len(data, len, NULL))
		return NULL;
	return g_strndup(data, len);
}

static void
read_description(Ctx *c, icalcomponent *ve, EvfEvent *ev, const char *label)
{
	icalproperty *pd =
	    icalcomponent_get_first_property(ve, ICAL_DESCRIPTION_PROPERTY);
	g_autofree char *html = NULL;
	g_autofree char *plain = NULL;
	gboolean marked;

	/* as a SUMMARY cut is (clean_line_told) */
	if (pd != NULL && icalproperty_get_description(pd) != NULL &&
	    strlen(icalproperty_get_description(pd)) >
	        EVF_IMPORT_MAX_DESCRIPTION)
		ctx_warn(c, "%s: DESCRIPTION cut to %d bytes", label,
		         EVF_IMPORT_MAX_DESCRIPTION);

	for (icalparameter *x = pd != NULL ? icalproperty_get_first_parameter(
	                                         pd, ICAL_X_PARAMETER)
	                                   : NULL;
	     x != NULL;
	     x = icalproperty_get_next_parameter(pd, ICAL_X_PARAMETER)) {
		const char *name = icalparameter_get_xname(x);
		const char *value = icalparameter_get_xvalue(x);
		g_autofree char *bytes = NULL;

		if (name == NULL ||
		    g_ascii_strcasecmp(name, dropped_params()) != 0)
			continue;
		bytes = shown(value != NULL ? value : "");
		ctx_warn(c,
		         "%s: the parameters of its DESCRIPTION (%s bytes, "
		         "most often an HTML note in an ALTREP) are left out, "
		         "longer than the %d KiB libical may be given: its "
		         "plain text is used",
		         label, bytes, MAX_PARAMS_BYTES / 1024);
	}
	ev->description_text =
	    clean_text(pd != NULL ? icalproperty_get_description(pd) : NULL,
	               EVF_IMPORT_MAX_DESCRIPTION);
	/* RFC 5545 has it plain text; many write HTML in it all the same,
	 * which must not reach subscribers as tags to read (PRIOR-ART.md);
	 * plain text with character references and no '<' has them read */
	marked = ev->description_text != NULL &&
	         written_in_html(ev->description_text);
	if (!marked && ev->description_text != NULL &&
	    strchr(ev->description_text, '<') == NULL &&
	    (plain = evf_text_plain_lines(ev->description_text)) != NULL &&
	    plain[0] != '\0') {
		g_free(ev->description_text);
		ev->description_text =
		    clean_text(plain, EVF_IMPORT_MAX_DESCRIPTION);
	}
	for (icalproperty *p =
	         icalcomponent_get_first_property(ve, ICAL_X_PROPERTY);
	     p != NULL && html == NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_X_PROPERTY)) {
		const char *name = icalproperty_get_x_name(p);
		icalparameter *fmt;
		const char *type, *value;

		if (name == NULL || g_ascii_strcasecmp(name, "X-ALT-DESC") != 0)
			continue;
		fmt =
		    icalproperty_get_first_parameter(p, ICAL_FMTTYPE_PARAMETER);
		type = fmt != NULL ? icalparameter_get_fmttype(fmt) : NULL;
		value = icalproperty_get_x(p);
		if (type != NULL && value != NULL &&
		    g_ascii_strncasecmp(type, "text/html", 9) == 0)
			html = html_from_html(value, c->base_url);
	}
	/* RFC 5545's own place for an HTML description: the DESCRIPTION's
	 * ALTREP, a data: URI (Thunderbird's rich-text notes) */
	if (html == NULL && pd != NULL) {
		g_autofree char *alt = altrep_html(pd);

		if (alt != NULL)
			html = html_from_html(alt, c->base_url);
	}
	if (html == NULL && ev->description_text != NULL && marked) {
		g_autofree char *kept =
		    html_keeping_breaks(ev->description_text);

		html = html_from_html(kept, c->base_url);
	} else if (html == NULL && ev->description_text != NULL) {
		html = html_from_text(ev->description_text, c->base_url);
	}
	if (html != NULL && (ev->description_text == NULL || marked)) {
		g_autofree char *text = evf_html_to_text(html);

		g_free(ev->description_text);
		ev->description_text =
		    clean_text(text, EVF_IMPORT_MAX_DESCRIPTION);
	} else if (html == NULL && marked) {
		/* HTML with no text in it (an empty <p>) */
		g_clear_pointer(&ev->description_text, g_free);
	}
	ev->description_html = g_steal_pointer(&html);
}

/* Series mode (migration) keeps what an event file holds beyond a
 * partner listing: the organiser's e-mail address (as an event file
 * accepts it), and the title without the "Cancelled: " that evfeed's own
 * calendar puts before a cancelled event's title, so that a round trip
 * through evfeed's calendar.ics is stable. */
static void
read_series_fields(Ctx *c, icalcomponent *ve, EvfEvent *ev, const char *label)
{
	static const char prefix[] = "Cancelled: ";
	icalproperty *p =
	    icalcomponent_get_first_property(ve, ICAL_ORGANIZER_PROPERTY);
	const char *v = p != NULL ? icalproperty_get_organizer(p) : NULL;

	if (v != NULL && g_ascii_strncasecmp(v, "mailto:", 7) == 0) {
		g_autofree char *mail = clean_line(v + 7, MAX_UID);

		if (mail != NULL &&
		    g_regex_match_simple(
		        "^[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+$", mail, 0,
		        0))
			ev->organizer_email = g_steal_pointer(&mail);
	}
	if (v != NULL && ev->organizer_email == NULL) {
		g_autofree char *q = shown(v);

		ctx_warn(c,
		         "%s: ORGANIZER '%s' is left out: not an e-mail "
		         "address (mailto:)",
		         label, q);
	}
	/* The first IMAGE that links to an http or https URI (RFC 7986
	 * §5.10), as an event file's image; the caller reports the others
	 * (inline BINARY ones among them) as not carried over. */
	for (p = icalcomponent_get_first_property(ve, ICAL_IMAGE_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_IMAGE_PROPERTY)) {
		icalvalue *val = icalproperty_get_value(p);
		const char *uri =
		    val != NULL && icalvalue_isa(val) == ICAL_URI_VALUE
		        ? icalvalue_get_uri(val)
		        : NULL;
		g_autofree char *raw = NULL;

		if (uri == NULL ||
		    (g_ascii_strncasecmp(uri, "http://", 7) != 0 &&
		     g_ascii_strncasecmp(uri, "https://", 8) != 0))
			continue;
		raw = clean_line(uri, MAX_URL);
		ev->image = web_url(raw, c->base_url, NULL);
		break;
	}
	if (ev->status == EVF_STATUS_CANCELLED &&
	    g_str_has_prefix(ev->title, prefix) &&
	    ev->title[strlen(prefix)] != '\0')
		memmove(ev->title, ev->title + strlen(prefix),
		        strlen(ev->title) - strlen(prefix) + 1);
}

/* (transfer none) (nullable): the value of @ve's property @name that
 * libical could not read: it drops such a property and leaves only an
 * X-LIC-ERROR in its place ("... in GEO property. Removing entire
 * property: 46.05,14.51"), and it would be lost without a word. */
static const char *
unread_value(icalcomponent *ve, const char *name)
{
	g_autofree char *mark =
	    g_strdup_printf(" %s property. Removing entire property: ", name);

	for (icalproperty *p =
	         icalcomponent_get_first_property(ve, ICAL_XLICERROR_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_XLICERROR_PROPERTY)) {
		const char *e = icalproperty_get_xlicerror(p);
		const char *v = e != NULL ? strstr(e, mark) : NULL;

		if (v != NULL)
			return v + strlen(mark);
	}
	return NULL;
}

/* A GEO libical cannot read, such as "46.05,14.51" (a comma for the
 * ';'). */
static void
warn_unread_geo(Ctx *c, icalcomponent *ve, const char *label)
{
	const char *v = unread_value(ve, "GEO");
	g_autofree char *q = v != NULL ? shown(v) : NULL;

	if (v != NULL)
		ctx_warn(c,
		         "%s: GEO '%s' is left out: not a latitude and a "
		         "longitude separated by ';'",
		         label, q);
}

/* An RRULE libical cannot read, and one whose INTERVAL it could not hold
 * (hold_interval made its five digits or more X): the event stands
 * alone. (Series mode tells
 * it at the RRULE line, from the rule as written: migrate.c.) */
static void
warn_unread_rrule(Ctx *c, icalcomponent *ve, const char *label)
{
	static GRegex *held;
	const char *v = unread_value(ve, "RRULE");
	g_autofree char *q = v != NULL ? shown(v) : NULL;

	if (v == NULL || c->series)
		return;
	if (g_regex_match(evf_regex_once(&held,
	                                 "(^|[;\\\\])INTERVAL=X{5,}([;\\\\]|$)",
	                                 G_REGEX_CASELESS),
	                  v, 0, NULL))
		ctx_warn(c,
		         "%s: the RRULE is ignored, its first occurrence "
		         "kept: its INTERVAL is more than libical can hold "
		         "(32767)",
		         label);
	else
		ctx_warn(c,
		         "%s: RRULE '%s' is ignored, its first occurrence "
		         "kept: libical cannot read it",
		         label, q);
}

static void
read_fields(Ctx *c, icalcomponent *ve, EvfEvent *ev, const char *label)
{
	icalproperty *p;
	gboolean capped = FALSE;

	p = icalcomponent_get_first_property(ve, ICAL_SUMMARY_PROPERTY);
	ev->title = clean_line_told(
	    c, label, "SUMMARY", p != NULL ? icalproperty_get_summary(p) : NULL,
	    EVF_IMPORT_MAX_TITLE);
	/* (told once, at the first: import_root) */
	if (ev->title == NULL) {
		ev->title = g_strdup(UNTITLED);
		if (c->untitled == NULL)
			c->untitled = g_strdup(label);
		else
			c->untitled_more++;
	}
	p = icalcomponent_get_first_property(ve, ICAL_LOCATION_PROPERTY);
	{
		g_autofree char *place = location_parts(
		    p != NULL ? icalproperty_get_location(p) : NULL);

		ev->location =
		    clean_line_told(c, label, "LOCATION", place, MAX_LOCATION);
	}
	p = icalcomponent_get_first_property(ve, ICAL_URL_PROPERTY);
	if (p != NULL && icalproperty_get_url(p) != NULL) {
		g_autofree char *raw =
		    clean_line(icalproperty_get_url(p), MAX_URL);
		gboolean too_long;

		ev->url = web_url(raw, c->base_url, &too_long);
		if (ev->url == NULL && raw != NULL) {
			g_autofree char *q = shown(raw);

			ctx_warn(c, "%s: URL '%s' is left out: %s", label, q,
			         too_long ? "longer than " G_STRINGIFY(
			                        MAX_URL) " bytes"
			                  : "not an http or https address");
		}
	}
	/* One CATEGORIES property per value (append_line splits the
	 * lists), which libical unescapes. */
	for (p = icalcomponent_get_first_property(ve, ICAL_CATEGORIES_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_CATEGORIES_PROPERTY))
		capped |=
		    !add_unique(ev->categories,
		                clean_line_told(c, label, "a category",
		                                icalproperty_get_categories(p),
		                                MAX_CATEGORY),
		                MAX_CATEGORIES);
	if (capped)
		ctx_warn(c, "%s: categories past the first %d are left out",
		         label, MAX_CATEGORIES);
	capped = FALSE;
	for (p = icalcomponent_get_first_property(ve, ICAL_ORGANIZER_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_ORGANIZER_PROPERTY)) {
		icalparameter *cn =
		    icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);

		if (cn != NULL) {
			capped |= !add_unique(
			    ev->organizers,
			    clean_line(icalparameter_get_cn(cn), MAX_LOCATION),
			    MAX_ORGANIZERS);
		} else if (!c->series) {
			/* An address alone is not published (the series
			 * mode keeps it in organizer_email). */
			g_autofree char *q =
			    shown(icalproperty_get_organizer(p));

			ctx_warn(c,
			         "%s: ORGANIZER '%s' is left out: it has no "
			         "name (CN), and addresses are not published",
			         label, q);
		}
	}
	for (p = icalcomponent_get_first_property(ve, ICAL_CONTACT_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_CONTACT_PROPERTY))
		capped |= !add_unique(
		    ev->organizers,
		    clean_line(icalproperty_get_contact(p), MAX_LOCATION),
		    MAX_ORGANIZERS);
	if (capped)
		ctx_warn(c,
		         "%s: organizers and contacts past the first %d are "
		         "left out",
		         label, MAX_ORGANIZERS);
	p = icalcomponent_get_first_property(ve, ICAL_STATUS_PROPERTY);
	if (p != NULL) {
		switch (icalproperty_get_status(p)) {
		case ICAL_STATUS_TENTATIVE:
			ev->status = EVF_STATUS_TENTATIVE;
			break;
		case ICAL_STATUS_CANCELLED:
			ev->status = EVF_STATUS_CANCELLED;
			break;
		default:
			ev->status = EVF_STATUS_CONFIRMED;
			break;
		}
	}
	if (icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY) == NULL)
		warn_unread_rrule(c, ve, label);
	p = icalcomponent_get_first_property(ve, ICAL_GEO_PROPERTY);
	if (p == NULL)
		warn_unread_geo(c, ve, label);
	if (p != NULL) {
		struct icalgeotype g = icalproperty_get_geo(p);
		gboolean within = isfinite(g.lat) && isfinite(g.lon) &&
		                  fabs(g.lat) <= 90 && fabs(g.lon) <= 180;

		if (within && (g.lat != 0 || g.lon != 0)) {
			ev->has_geo = TRUE;
			ev->lat = g.lat;
			ev->lon = g.lon;
		} else {
			char *raw = icalproperty_get_value_as_string_r(p);
			g_autofree char *q = shown(raw);

			ctx_warn(c, "%s: GEO '%s' is left out: %s", label, q,
			         within ? "0;0 is taken for a placeholder"
			                : "not a latitude within -90..90 and a "
			                  "longitude within -180..180");
			if (raw != NULL)
				icalmemory_free_buffer(raw);
			icalerror_clear_errno();
		}
	}
	/* CREATED only: many servers stamp DTSTAMP anew on every export,
	 * which would make every fetch look like an edit (SEQUENCE + 1).
	 * Without CREATED, the listing dates from when evfeed first saw it. */
	ev->published =
	    stamp_seconds(ve, ICAL_CREATED_PROPERTY) * G_USEC_PER_SEC;
	if (c->series)
		read_series_fields(c, ve, ev, label);
	read_description(c, ve, ev, label);
	(void)evf_import_mend_text(ev);
}

/* Reads @ve into @b; FALSE (with a warning) when it has no usable
 * DTSTART. */
static gboolean
build(Ctx *c, icalcomponent *cal, icalcomponent *ve, const char *uid, Built *b)
{
	memset(b, 0, sizeof *b);
	b->ev = evf_event_new();
	b->ev->uid = g_strdup(uid);
	b->label = event_label(c, ve, uid);
	if (!read_dates(c, cal, ve, b, uid, b->label)) {
		/* (an event in a zone refused was told of with the zone) */
		if (b->zone == NULL || b->zone->kind != ZONE_REFUSED)
			ctx_warn(c,
			         "%s: no valid DTSTART within %d-%d: the event "
			         "is left out",
			         b->label, MIN_YEAR, MAX_YEAR);
		built_clear(b);
		return FALSE;
	}
	read_fields(c, ve, b->ev, b->label);
	/* RFC 5546 §3.2.5: the events of a METHOD:CANCEL calendar are
	 * called off, STATUS:CANCELLED or not */
	if (cal != NULL &&
	    icalcomponent_get_first_property(ve, ICAL_STATUS_PROPERTY) ==
	        NULL &&
	    icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY) !=
	        NULL &&
	    icalcomponent_get_method(cal) == ICAL_METHOD_CANCEL)
		b->ev->status = EVF_STATUS_CANCELLED;
	return TRUE;
}

/* (transfer full): a copy of @src's content, for one occurrence. */
static EvfEvent *
event_copy(const EvfEvent *src)
{
	EvfEvent *ev = evf_event_new();

	ev->uid = g_strdup(src->uid);
	ev->title = g_strdup(src->title);
	ev->all_day = src->all_day;
	ev->start_date = src->start_date;
	ev->end_date = src->end_date;
	ev->start = src->start != NULL ? g_date_time_ref(src->start) : NULL;
	ev->end = src->end != NULL ? g_date_time_ref(src->end) : NULL;
	ev->tzid = g_strdup(src->tzid);
	ev->location = g_strdup(src->location);
	ev->has_geo = src->has_geo;
	ev->lat = src->lat;
	ev->lon = src->lon;
	for (guint i = 0; i < src->organizers->len; i++)
		g_ptr_array_add(ev->organizers, g_strdup(g_ptr_array_index(
		                                    src->organizers, i)));
	for (guint i = 0; i < src->categories->len; i++)
		g_ptr_array_add(ev->categories, g_strdup(g_ptr_array_index(
		                                    src->categories, i)));
	ev->url = g_strdup(src->url);
	ev->status = src->status;
	ev->published = src->published;
	ev->description_html = g_strdup(src->description_html);
	ev->description_text = g_strdup(src->description_text);
	return ev;
}

/* --------------------------------------------------------- the items */

/* A VEVENT and what decides between two with the same identity. */
typedef struct {
	icalcomponent *cal; /* borrowed */
	icalcomponent *ve;
	char *uid;
	char *rid; /* overrides: the stamp of the occurrence replaced */
	gint64 rid_key;
	gboolean rid_date;
	gint sequence;
	gint64 modified;
	gint64 stamp;
	guint order;
	gboolean used;
	/* an override that is private or confidential: its occurrence is
	 * left out, at its own time and at the one it replaced */
	gboolean hidden;
} Item;

static void
item_free(gpointer p)
{
	Item *it = p;

	g_free(it->uid);
	g_free(it->rid);
	g_free(it);
}

/* Whether @a replaces @b: the higher SEQUENCE, then the later
 * LAST-MODIFIED, then the later DTSTAMP; else the one whose text comes
 * later in byte order, wherever each is in the file: a partner that
 * writes its copies in another order changes nothing (the first one
 * stayed, and another order moved the event). */
static gboolean
item_wins(const Item *a, const Item *b)
{
	char *x, *y;
	int cmp;

	if (a->sequence != b->sequence)
		return a->sequence > b->sequence;
	if (a->modified != b->modified)
		return a->modified > b->modified;
	if (a->stamp != b->stamp)
		return a->stamp > b->stamp;
	x = icalcomponent_as_ical_string_r(a->ve);
	y = icalcomponent_as_ical_string_r(b->ve);
	cmp = g_strcmp0(x, y);
	icalmemory_free_buffer(x);
	icalmemory_free_buffer(y);
	icalerror_clear_errno();
	return cmp != 0 ? cmp > 0 : a->order < b->order;
}

/* The stamp of the occurrence an override replaces; NULL when its
 * RECURRENCE-ID is unusable. */
static char *
override_stamp(Ctx *c, Item *it)
{
	icalproperty *p = icalcomponent_get_first_property(
	    it->ve, ICAL_RECURRENCEID_PROPERTY);
	struct icaltimetype t = prop_time(p);
	gint64 key;

	if (!prop_key(c, it->cal, p, t, t.is_date, &zone_utc, &key))
		return NULL;
	it->rid_key = key;
	it->rid_date = t.is_date;
	return t.is_date ? stamp_of_day((guint32)key) : stamp_of_instant(key);
}

/* The key of @t, the value of @p (an EXDATE, RDATE or RECURRENCE-ID of
 * @b's series), read as the series' own times are, as calendar clients
 * match them (RFC 5545 §3.8.4.4: of the value type of its DTSTART): a
 * date-time for an all-day series by its date (sabre/vobject writes a
 * RECURRENCE-ID 20270111T000000Z), a floating time in the series' zone
 * rather than the calendar's or UTC. */
static gboolean
series_key(Ctx *c, icalcomponent *cal, icalproperty *p, struct icaltimetype t,
           const Built *b, gint64 *key)
{
	if (!b->ev->all_day && !t.is_date && time_ok(t) &&
	    !icaltime_is_utc(t) &&
	    icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) == NULL) {
		g_autoptr(GDateTime) dt = zone_datetime(b->zone, t);

		if (dt == NULL)
			return FALSE;
		*key = g_date_time_to_unix(dt);
		return TRUE;
	}
	return prop_key(c, cal, p, t, b->ev->all_day, b->zone, key);
}

/* Reads each override's RECURRENCE-ID of @ovr (nullable) again as @b's
 * series' (series_key). Matched as read alone, a date-time for an all-day
 * series or a floating time left the occurrence published beside the
 * override that moves it, or cancels it. */
static void
override_stamps_of(Ctx *c, const Built *b, GPtrArray *ovr)
{
	for (guint i = 0; ovr != NULL && i < ovr->len; i++) {
		Item *o = g_ptr_array_index(ovr, i);
		icalproperty *p = icalcomponent_get_first_property(
		    o->ve, ICAL_RECURRENCEID_PROPERTY);
		struct icaltimetype t = prop_time(p);
		gint64 key;

		if (o->rid == NULL || t.is_date ||
		    !series_key(c, o->cal, p, t, b, &key))
			continue;
		o->rid_key = key;
		o->rid_date = b->ev->all_day;
		g_free(o->rid);
		o->rid = b->ev->all_day ? stamp_of_day((guint32)key)
		                        : stamp_of_instant(key);
	}
}

/* --------------------------------------------------------- recurrence */

typedef struct {
	gint64 key; /* julian day or UTC seconds */
	gint64 end; /* of an RDATE's PERIOD (UTC seconds); 0: the series' */
} Occ;

static gint
occ_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = ((const Occ *)a)->key, y = ((const Occ *)b)->key;

	return x < y ? -1 : x > y;
}

/* The window and "now" in the unit of @b's keys. */
static void
window_of(const Ctx *c, const Built *b, gint64 *ws, gint64 *we, gint64 *now)
{
	if (b->ev->all_day) {
		*ws = c->window_start_day;
		*we = c->window_end_day;
		*now = c->now_day;
	} else {
		*ws = c->window_start;
		*we = c->window_end;
		*now = c->now;
	}
}

/* The key of @t, an occurrence of @b's series (wall time in its zone);
 * FALSE when out of range. */
static gboolean
occ_key(const Built *b, struct icaltimetype t, gint64 *key)
{
	g_autoptr(GDateTime) dt = NULL;

	if (b->ev->all_day) {
		if (!date_ok(t.year, t.month, t.day))
			return FALSE;
		*key = julian(t.year, t.month, t.day);
		return TRUE;
	}
	if (b->zone->kind == ZONE_UTC) {
		/* The common case, without a GDateTime per step. */
		if (!time_ok(t))
			return FALSE;
		*key = julian_to_unix(julian(t.year, t.month, t.day)) +
		       t.hour * 3600 + t.minute * 60 + MIN(t.second, 59);
		return TRUE;
	}
	dt = zone_datetime(b->zone, t);
	if (dt == NULL)
		return FALSE;
	*key = g_date_time_to_unix(dt);
	return TRUE;
}

typedef struct {
	GHashTable *keys;  /* gint64 keys excluded */
	GHashTable *dates; /* timed series: julian days excluded */
} Exclusions;

static gboolean
excluded(const Built *b, const Exclusions *x, gint64 key)
{
	if (g_hash_table_contains(x->keys, &key))
		return TRUE;
	if (!b->ev->all_day && g_hash_table_size(x->dates) > 0) {
		struct icaltimetype t = zone_local(b->zone, key);
		guint32 j = julian(t.year, t.month, t.day);

		return g_hash_table_contains(x->dates, GUINT_TO_POINTER(j));
	}
	return FALSE;
}

/* A timed series' EXDATEs that are dates leave out every occurrence on
 * their days, as libical, ical.js and Google read them; RFC 5545
 * §3.8.5.1 wants the value type of DTSTART, and some programs
 * (python's recurring-ical-events) keep those occurrences: the partner
 * is told, once per series. */
static void
read_exdates(Ctx *c, icalcomponent *cal, icalcomponent *ve, const Built *b,
             Exclusions *x)
{
	struct icaltimetype first_date = icaltime_null_time();
	guint dates = 0;

	for (icalproperty *p =
	         icalcomponent_get_first_property(ve, ICAL_EXDATE_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_EXDATE_PROPERTY)) {
		struct icaltimetype t = prop_time(p);
		gint64 key;

		if (!time_ok(t))
			continue;
		if (!b->ev->all_day && t.is_date) {
			if (dates++ == 0)
				first_date = t;
			g_hash_table_add(
			    x->dates,
			    GUINT_TO_POINTER(julian(t.year, t.month, t.day)));
			continue;
		}
		if (series_key(c, cal, p, t, b, &key))
			g_hash_table_add(x->keys, g_memdup2(&key, sizeof key));
	}
	if (dates > 0)
		ctx_warn(c,
		         "%s: EXDATE %04d%02d%02d%s is a date, and the series "
		         "has times: each occurrence on that day is left out, "
		         "but some calendar programs keep it (RFC 5545 wants "
		         "EXDATE of the type of DTSTART)",
		         b->label, first_date.year, first_date.month,
		         first_date.day, dates > 1 ? " (and others)" : "");
}

/* For sub-daily rules without COUNT, a start for the iterator shortly
 * before @target (seconds), aligned on the rule's period from DTSTART, at
 * which a new iterator gives the rule's own occurrences. */
static gboolean
jump_start(const Built *b, const struct icalrecurrencetype *rt, gint64 target_s,
           struct icaltimetype *start)
{
	gint64 unit, period, from, to, k;
	struct icaltimetype target;

	switch (rt->freq) {
	case ICAL_SECONDLY_RECURRENCE:
		unit = 1;
		break;
	case ICAL_MINUTELY_RECURRENCE:
		unit = 60;
		break;
	case ICAL_HOURLY_RECURRENCE:
		unit = 3600;
		break;
	default:
		return FALSE;
	}
	if (b->ev->all_day || rt->count != 0)
		return FALSE;
	target = zone_local(b->zone, target_s - 2 * 3600);
	if (icaltime_is_null_time(target))
		return FALSE;
	from = icaltime_as_timet(b->dtstart);
	to = icaltime_as_timet(target);
	if (to <= from)
		return FALSE;
	period = unit * rt->interval;
	k = (to - from) / period;
	*start = b->dtstart;
	icaltime_adjust(start, (int)(k * period / 86400), 0, 0,
	                (int)(k * period % 86400));
	return TRUE;
}

/* For a sub-daily rule, the seconds of one step of libical's iterator
 * (*@unit) and its cost in MAX_SPAN_TOTAL's units; FALSE for other rules,
 * which libical steps through a day or more at a time. */
static gboolean
span_weight(const struct icalrecurrencetype *rt, gint64 *unit, gint64 *weight)
{
	switch (rt->freq) {
	case ICAL_SECONDLY_RECURRENCE:
		*unit = 1;
		*weight = 1;
		return TRUE;
	case ICAL_MINUTELY_RECURRENCE:
		*unit = 60;
		*weight = 3;
		return TRUE;
	case ICAL_HOURLY_RECURRENCE:
		*unit = 3600;
		*weight = 10;
		return TRUE;
	default:
		return FALSE;
	}
}

/* The UTC date-time @u on the wall clock of @z, floating. */
static struct icaltimetype
utc_on_wall_clock(const Zone *z, struct icaltimetype u)
{
	g_autoptr(GDateTime) t = g_date_time_new_utc(
	    u.year, u.month, u.day, u.hour, u.minute, MIN(u.second, 59));

	if (t != NULL)
		u = zone_local(z, g_date_time_to_unix(t));
	u.zone = NULL;
	return u;
}

/* The UNTIL @u of an all-day series as a date. A UTC date-time is taken
 * on the wall clock its start was written in: Outlook writes an all-day
 * series as midnight to midnight in its zone (outlook_all_day), and its
 * UNTIL as the last midnight in UTC, 23:00 the day before east of
 * Greenwich, whose UTC date would lose the last day. */
static struct icaltimetype
all_day_until(const Built *b, struct icaltimetype u)
{
	if (!u.is_date && icaltime_is_utc(u) && b->zone != NULL)
		u = utc_on_wall_clock(b->zone, u);
	u.is_date = 1;
	u.hour = u.minute = u.second = 0;
	u.zone = NULL;
	return u;
}

/* The occurrences of one RRULE within the window, into @occ, until
 * @future_max of them are not in the past. */
static void
expand_rule(Ctx *c, const Built *b, struct icalrecurrencetype rt,
            const Exclusions *x, GArray *occ, guint future_max)
{
	struct icaltimetype dt = b->dtstart;
	struct icaltimetype jump;
	icalrecur_iterator *it;
	gint64 ws, we, now;
	guint steps = 0, future = 0;
	const char *why;
	gint64 unit = 0, weight = 0, pos;
	gboolean sub_daily = span_weight(&rt, &unit, &weight);

	const char *label = b->label;

	window_of(c, b, &ws, &we, &now);
	if (rt.freq == ICAL_NO_RECURRENCE || rt.interval < 1) {
		ctx_warn(c, "%s: an invalid RRULE is ignored", label);
		return;
	}
	/* Rules libical would spin on inside one step, which no cap on
	 * the steps bounds. */
	if ((why = evf_rrule_refusal(&rt)) != NULL) {
		ctx_warn(c, "%s: the RRULE is not expanded: %s", label, why);
		return;
	}
	if (c->steps_left == 0) {
		c->unexpanded++;
		return;
	}
	/* UNTIL is UTC (or a date); the iteration runs in wall time. */
	if (!icaltime_is_null_time(rt.until)) {
		if (!time_ok(rt.until)) {
			rt.until = icaltime_null_time();
		} else if (b->ev->all_day) {
			rt.until = all_day_until(b, rt.until);
		} else if (rt.until.is_date) {
			rt.until.is_date = 0;
			rt.until.hour = 23;
			rt.until.minute = 59;
			rt.until.second = 59;
			rt.until.zone = NULL;
		} else if (icaltime_is_utc(rt.until)) {
			rt.until = utc_on_wall_clock(b->zone, rt.until);
		} else {
			rt.until.zone = NULL;
		}
	}
	/* DTSTART counts as the first occurrence (RFC 5545 §3.3.10) also
	 * where the rule does not give it (it is added after), as ical.js
	 * counts it: COUNT more from the rule would be one too many. */
	if (rt.count > 0) {
		icalrecur_iterator *probe = icalrecur_iterator_new(rt, dt);
		struct icaltimetype first = icaltime_null_time();

		if (probe != NULL) {
			first = icalrecur_iterator_next(probe);
			icalrecur_iterator_free(probe);
		}
		c->steps_left--;
		icalerror_clear_errno();
		if (!icaltime_is_null_time(first) &&
		    icaltime_compare(first, dt) != 0) {
			if (rt.count == 1)
				return;
			rt.count--;
		}
	}
	it = icalrecur_iterator_new(rt, dt);
	if (it == NULL) {
		icalerror_clear_errno();
		return;
	}
	pos = icaltime_as_timet(dt);
	/* Without COUNT the iterator may skip what lies before the window.
	 * A sub-daily series gives its share of occurrences within hours
	 * of now: it starts there (or at the window when it ends before
	 * now). */
	if (rt.count == 0 && !b->ev->all_day &&
	    rt.freq < ICAL_DAILY_RECURRENCE) {
		gint64 target = now;

		if (!icaltime_is_null_time(rt.until) &&
		    icaltime_as_timet(rt.until) < now)
			target = ws;
		/* A new iterator from there, as from a DTSTART: libical
		 * 3.0's icalrecur_iterator_set_start loses the INTERVAL's
		 * phase even from a start on it (FREQ=HOURLY;INTERVAL=7
		 * gave other hours than the rule's). */
		if (icaltime_as_timet(dt) < target - 86400 &&
		    jump_start(b, &rt, target, &jump)) {
			icalrecur_iterator *from =
			    icalrecur_iterator_new(rt, jump);

			if (from != NULL) {
				icalrecur_iterator_free(it);
				it = from;
				pos = icaltime_as_timet(jump);
			}
			icalerror_clear_errno();
		}
	} else if (rt.count == 0 && b->ev->all_day &&
	           (gint64)julian(dt.year, dt.month, dt.day) < ws - 1) {
		GDate d;

		g_date_clear(&d, 1);
		g_date_set_julian(&d, (guint32)(ws - 1));
		jump = icaltime_null_time();
		jump.year = g_date_get_year(&d);
		jump.month = g_date_get_month(&d);
		jump.day = g_date_get_day(&d);
		jump.is_date = 1;
		icalrecur_iterator_set_start(it, jump);
		pos = icaltime_as_timet(jump);
	} else if (rt.count == 0 && !b->ev->all_day &&
	           icaltime_as_timet(dt) < ws - 2 * 86400) {
		jump = zone_local(b->zone, ws - 86400);
		if (!icaltime_is_null_time(jump)) {
			icalrecur_iterator_set_start(it, jump);
			pos = icaltime_as_timet(jump);
		}
	}
	while (future < future_max) {
		struct icaltimetype t;
		gint64 key;

		/* A sparse sub-daily rule costs libical the whole span
		 * between two occurrences inside one step: what the steps
		 * spanned is charged too (a SECONDLY rule at 03:07:09 with
		 * COUNT=100000 took minutes). */
		if (c->steps_left == 0 || (sub_daily && c->span_left == 0)) {
			c->unexpanded++;
			break;
		}
		if (steps >= MAX_STEPS) {
			ctx_warn(c,
			         "%s: the recurrence was not expanded fully "
			         "(too many steps)",
			         label);
			break;
		}
		steps++;
		c->steps_left--;
		t = icalrecur_iterator_next(it);
		/* The end of a rule is not charged: the rules libical steps
		 * to the end of time for are refused before. */
		if (sub_daily && !icaltime_is_null_time(t)) {
			gint64 to = icaltime_as_timet(t);
			gint64 span = to > pos ? (to - pos) / unit : 0;

			c->span_left -= span < c->span_left / weight
			                    ? span * weight
			                    : c->span_left;
			pos = MAX(pos, to);
		}
		if (icaltime_is_null_time(t))
			break;
		if (!occ_key(b, t, &key)) {
			if (t.year > MAX_YEAR)
				break;
			continue;
		}
		if (key > we)
			break;
		if (key < ws || excluded(b, x, key))
			continue;
		g_array_append_val(occ, ((Occ){ key }));
		if (key >= now)
			future++;
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
}

static void
add_rdates(Ctx *c, icalcomponent *cal, icalcomponent *ve, const Built *b,
           const Exclusions *x, GArray *occ)
{
	gint64 ws, we, now;

	window_of(c, b, &ws, &we, &now);
	for (icalproperty *p =
	         icalcomponent_get_first_property(ve, ICAL_RDATE_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ve, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype r = icalproperty_get_rdate(p);
		gboolean period = icaltime_is_null_time(r.time);
		struct icaltimetype t = period ? r.period.start : r.time;
		gint64 key, end = 0;

		if (!series_key(c, cal, p, t, b, &key))
			continue;
		/* a PERIOD gives the occurrence its own end (RFC 5545
		 * §3.8.5.2), as a date-time or a length */
		if (period && !b->ev->all_day) {
			if (!icaltime_is_null_time(r.period.end)) {
				if (!series_key(c, cal, p, r.period.end, b,
				                &end))
					end = 0;
			} else if (!icaldurationtype_is_null_duration(
			               r.period.duration)) {
				end = key + icaldurationtype_as_int(
				                r.period.duration);
			}
			if (end <= key)
				end = 0;
		}
		if (key >= ws && key <= we && !excluded(b, x, key))
			g_array_append_val(occ, ((Occ){ key, end }));
	}
}

/* The length of @b's occurrences in the unit of its keys: days for an
 * all-day series (one at least), seconds for a timed one. */
static gint64
occ_length(const Built *b)
{
	const EvfEvent *ev = b->ev;

	if (ev->all_day)
		return g_date_valid(&ev->end_date) &&
		               g_date_valid(&ev->start_date)
		           ? MAX((gint64)g_date_get_julian(&ev->end_date) -
		                     (gint64)g_date_get_julian(&ev->start_date),
		                 1)
		           : 1;
	return ev->end != NULL && ev->start != NULL
	           ? MAX(g_date_time_difference(ev->end, ev->start) /
	                     G_TIME_SPAN_SECOND,
	                 0)
	           : 0;
}

/* The first of the sorted keys in @occ, whose occurrences last @length
 * (in the keys' unit) unless a PERIOD gives one its end, that is not over
 * at @now; occ->len when all are. */
static guint
first_not_over(GArray *occ, gint64 now, gint64 length)
{
	for (guint i = 0; i < occ->len; i++) {
		const Occ *o = &g_array_index(occ, Occ, i);

		if (o->key >= now ||
		    (o->end > 0 ? o->end : o->key + length) > now)
			return i;
	}
	return occ->len;
}

/* Keeps at most @max of the sorted keys in @occ, whose occurrences last
 * @length (in the keys' unit) unless a PERIOD gives one its end: those
 * not over first (one under way too: a subscriber's calendar keeps
 * today's meeting while it runs), soonest first, then the most recent
 * past ones. */
static void
keep_nearest(GArray *occ, gint64 now, gint64 length, guint max)
{
	g_autoptr(GArray) kept = g_array_new(FALSE, FALSE, sizeof(Occ));
	guint first_future = first_not_over(occ, now, length);

	for (guint i = first_future; i < occ->len && kept->len < max; i++)
		g_array_append_val(kept, g_array_index(occ, Occ, i));
	for (guint i = first_future; i > 0 && kept->len < max; i--)
		g_array_append_val(kept, g_array_index(occ, Occ, i - 1));
	g_array_sort(kept, occ_cmp);
	g_array_set_size(occ, 0);
	g_array_append_vals(occ, kept->data, kept->len);
}

/* When @ev is over (seconds): an event under way is not yet past, for
 * the cap (rank_cmp). */
static gint64
event_end_seconds(const EvfEvent *ev)
{
	if (ev->all_day)
		return julian_to_unix(g_date_valid(&ev->end_date)
		                          ? g_date_get_julian(&ev->end_date)
		                          : g_date_get_julian(&ev->start_date) +
		                                1);
	return g_date_time_to_unix(ev->end != NULL ? ev->end : ev->start);
}

/* The order in which events are kept under the cap: by turn (@tx, @ty),
 * so that a few series do not crowd out the rest: every event and each
 * series' nearest occurrence first, then each series' next nearest, and
 * so on; in a turn by when each is over (@sx, @sy): upcoming ones and
 * those under way first, soonest first; then past ones, latest first;
 * then by uid. */
static gint
rank_cmp(gint64 now, guint tx, gint64 sx, const char *ux, guint ty, gint64 sy,
         const char *uy)
{
	gboolean fx = sx >= now, fy = sy >= now;

	if (tx != ty)
		return tx < ty ? -1 : 1;
	if (fx != fy)
		return fx ? -1 : 1;
	if (sx != sy)
		return (fx ? sx < sy : sx > sy) ? -1 : 1;
	return strcmp(ux, uy);
}

static guint
turn_of(Ctx *c, const EvfEvent *ev)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(c->turns, ev->uid));
}

static gint
nearest_first(gconstpointer a, gconstpointer b, gpointer data)
{
	Ctx *c = data;
	const EvfEvent *x = *(EvfEvent *const *)a;
	const EvfEvent *y = *(EvfEvent *const *)b;

	return rank_cmp(c->now, turn_of(c, x), event_end_seconds(x), x->uid,
	                turn_of(c, y), event_end_seconds(y), y->uid);
}

/* Keeps the best EVF_IMPORT_MAX_ITEMS of the events so far. */
static void
prune(Ctx *c)
{
	EvfEvent *last;

	g_ptr_array_sort_with_data(c->out, nearest_first, c);
	if (c->out->len <= c->max_items)
		return;
	c->dropped += c->out->len - c->max_items;
	for (guint i = c->max_items; i < c->out->len; i++)
		g_hash_table_remove(
		    c->turns, ((EvfEvent *)g_ptr_array_index(c->out, i))->uid);
	g_ptr_array_set_size(c->out, c->max_items);
	last = g_ptr_array_index(c->out, c->out->len - 1);
	c->full = TRUE;
	c->worst_turn = turn_of(c, last);
	c->worst_end = event_end_seconds(last);
	g_free(c->worst_uid);
	c->worst_uid = g_strdup(last->uid);
}

/* Whether an event of @turn (rank_cmp) over at @end (seconds) with @uid
 * can still be among those kept; when not, it need not be made (and is
 * counted). */
static gboolean
wanted(Ctx *c, guint turn, gint64 end, const char *uid)
{
	if (!c->full || rank_cmp(c->now, turn, end, uid, c->worst_turn,
	                         c->worst_end, c->worst_uid) < 0)
		return TRUE;
	c->dropped++;
	return FALSE;
}

/* Takes @ev, of @turn (rank_cmp), into the result; the array never holds
 * more than twice the cap, however many occurrences a document
 * describes. */
static void
keep(Ctx *c, EvfEvent *ev, guint turn)
{
	if (!wanted(c, turn, event_end_seconds(ev), ev->uid)) {
		evf_event_unref(ev);
		return;
	}
	if (turn > 0)
		g_hash_table_insert(c->turns, g_strdup(ev->uid),
		                    GUINT_TO_POINTER(turn));
	g_ptr_array_add(c->out, ev);
	if (c->out->len >= 2 * c->max_items)
		prune(c);
}

/* keep(), for an event with texts of its own (not an occurrence made
 * from its series): include= and exclude= choose it first. */
static void
keep_chosen(Ctx *c, EvfEvent *ev, guint turn)
{
	if (!evf_import_chosen(c->filter, ev)) {
		evf_event_unref(ev);
		return;
	}
	keep(c, ev, turn);
}

/* An occurrence of @b at @key, from the base event. */
static EvfEvent *
occurrence(const Built *b, gint64 key)
{
	EvfEvent *ev = event_copy(b->ev);

	if (ev->all_day) {
		g_date_set_julian(&ev->start_date, (guint32)key);
		g_date_set_julian(&ev->end_date, (guint32)key + b->days);
	} else {
		g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(key);

		g_clear_pointer(&ev->start, g_date_time_unref);
		g_clear_pointer(&ev->end, g_date_time_unref);
		ev->start = g_date_time_to_timezone(
		    utc, g_date_time_get_timezone(b->ev->start));
		/* a DURATION's days on this occurrence's wall clock, not
		 * the first's exact length: a Friday 09:00 to Sunday 17:00
		 * whose first spans the end of summer time ends at 17:00
		 * again the next year */
		if (b->nominal_days > 0)
			ev->end = nominal_end(b->zone, ev->start,
			                      b->nominal_days, b->exact_rest);
		if (ev->end == NULL)
			ev->end = g_date_time_add(ev->start, b->duration);
	}
	return ev;
}

/* The occurrences of the recurring @master within the window, each with
 * the uid "<uid>/<stamp>"; overrides (same UID, a RECURRENCE-ID) replace
 * theirs. */
static void
expand(Ctx *c, Item *master, Built *b, GPtrArray *overrides)
{
	g_autoptr(GArray) occ = g_array_new(FALSE, FALSE, sizeof(Occ));
	Exclusions x = {
		g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
		                      NULL),
		g_hash_table_new(g_direct_hash, g_direct_equal),
	};
	gint64 ws, we, now, key;
	const gint64 length = occ_length(b);
	/* the series' own texts; an override has its own */
	const gboolean chosen = evf_import_chosen(c->filter, b->ev);
	guint n = 0;
	guint future;

	window_of(c, b, &ws, &we, &now);
	read_exdates(c, master->cal, master->ve, b, &x);
	for (icalproperty *p = icalcomponent_get_first_property(
	         master->ve, ICAL_RRULE_PROPERTY);
	     p != NULL; p = icalcomponent_get_next_property(
	                    master->ve, ICAL_RRULE_PROPERTY))
		expand_rule(c, b, icalproperty_get_rrule(p), &x, occ,
		            EVF_IMPORT_MAX_OCCURRENCES);
	add_rdates(c, master->cal, master->ve, b, &x, occ);
	/* DTSTART is always the first instance. */
	if (occ_key(b, b->dtstart, &key) && key >= ws && key <= we &&
	    !excluded(b, &x, key))
		g_array_append_val(occ, ((Occ){ key }));
	g_array_sort(occ, occ_cmp);
	for (guint i = 0; i < occ->len; i++) {
		Occ *o = &g_array_index(occ, Occ, i);

		/* once each, with a PERIOD's end if one gives it */
		if (n == 0 || g_array_index(occ, Occ, n - 1).key != o->key)
			g_array_index(occ, Occ, n++) = *o;
		else
			g_array_index(occ, Occ, n - 1).end =
			    MAX(g_array_index(occ, Occ, n - 1).end, o->end);
	}
	g_array_set_size(occ, n);
	keep_nearest(occ, now, length, EVF_IMPORT_MAX_OCCURRENCES);
	n = occ->len;
	future = first_not_over(occ, now, length);

	for (guint i = 0; i < occ->len; i++) {
		gint64 k = g_array_index(occ, Occ, i).key;
		gint64 end = g_array_index(occ, Occ, i).end;
		/* its place among the series' occurrences, nearest first */
		guint turn = i >= future ? i - future
		                         : occ->len - future + (future - 1 - i);
		g_autofree char *stamp = b->ev->all_day
		                             ? stamp_of_day((guint32)k)
		                             : stamp_of_instant(k);
		g_autofree char *uid =
		    g_strdup_printf("%s/%s", master->uid, stamp);
		EvfEvent *ev = NULL;
		gboolean hide = FALSE, own = FALSE;

		for (guint j = 0; overrides != NULL && j < overrides->len;
		     j++) {
			Item *o = g_ptr_array_index(overrides, j);
			g_auto(Built) ob = { 0 };

			if (o->rid == NULL || strcmp(o->rid, stamp) != 0)
				continue;
			o->used = TRUE;
			hide = o->hidden;
			if (!hide && build(c, o->cal, o->ve, uid, &ob))
				ev = g_steal_pointer(&ob.ev);
			own = ev != NULL;
			break;
		}
		if (hide || (!own && !chosen))
			continue;
		if (ev == NULL) {
			if (!wanted(c, turn,
			            b->ev->all_day
			                ? julian_to_unix((guint32)(k + length))
			                : (end > 0 ? end : k + length),
			            uid))
				continue;
			ev = occurrence(b, k);
			if (end > 0) {
				g_date_time_unref(ev->end);
				ev->end = g_date_time_add_seconds(
				    ev->start, (gdouble)(end - k));
			}
			g_free(ev->uid);
			ev->uid = g_strdup(uid);
		}
		ev->series = g_strdup(master->uid);
		if (own)
			keep_chosen(c, ev, turn);
		else
			keep(c, ev, turn);
	}
	/* Overrides of occurrences not produced here (moved in from outside
	 * the window, or of an instance the rule does not give) stand alone
	 * when they fall in the window, within the same cap; those of an
	 * excluded instance stay out. */
	for (guint j = 0; overrides != NULL && j < overrides->len; j++) {
		Item *o = g_ptr_array_index(overrides, j);
		g_auto(Built) ob = { 0 };
		g_autofree char *uid = NULL;
		gint64 ows, owe, onow, okey;

		if (o->used || o->rid == NULL)
			continue;
		o->used = TRUE;
		if (o->hidden || n >= EVF_IMPORT_MAX_OCCURRENCES ||
		    (o->rid_date == b->ev->all_day &&
		     excluded(b, &x, o->rid_key)))
			continue;
		uid = g_strdup_printf("%s/%s", master->uid, o->rid);
		if (!build(c, o->cal, o->ve, uid, &ob))
			continue;
		window_of(c, &ob, &ows, &owe, &onow);
		okey = ob.ev->all_day
		           ? (gint64)g_date_get_julian(&ob.ev->start_date)
		           : g_date_time_to_unix(ob.ev->start);
		if (okey < ows || okey > owe)
			continue;
		ob.ev->series = g_strdup(master->uid);
		keep_chosen(c, g_steal_pointer(&ob.ev), n);
		n++;
	}
	g_hash_table_unref(x.keys);
	g_hash_table_unref(x.dates);
}

/* Gives @rt's UNTIL the form an event file takes (evfeed-event(5)): a
 * UTC date-time for a timed event, a date for an all-day one. A floating
 * UNTIL (RFC 5545 §3.3.10: that of a floating start) is read in the zone
 * the start was read in, a date as the end of that day; a date-time for
 * an all-day event gives its date (all_day_until). TRUE when @rt was
 * changed. */
static gboolean
until_as_event_file(const Built *b, struct icalrecurrencetype *rt)
{
	struct icaltimetype u = rt->until;
	g_autoptr(GDateTime) at = NULL;
	g_autoptr(GDateTime) utc = NULL;

	if (icaltime_is_null_time(u) || !time_ok(u))
		return FALSE;
	if (b->ev->all_day) {
		if (u.is_date)
			return FALSE;
		rt->until = all_day_until(b, u);
		return TRUE;
	}
	if (!u.is_date && icaltime_is_utc(u))
		return FALSE;
	if (u.is_date) {
		u.is_date = 0;
		u.hour = 23;
		u.minute = 59;
		u.second = 59;
	}
	u.zone = NULL;
	at = zone_datetime(b->zone, u);
	if (at == NULL)
		return FALSE;
	utc = g_date_time_to_utc(at);
	u = evf_tz_wall_time(utc);
	u.zone = icaltimezone_get_utc_timezone();
	rt->until = u;
	return TRUE;
}

/* (transfer full) (nullable): the instant of @o's DTSTART or DTEND
 * (@kind), a date-time. */
static GDateTime *
item_time(Ctx *c, Item *o, icalproperty_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(o->ve, kind);
	struct icaltimetype t = prop_time(p);

	if (p == NULL || !time_ok(t) || t.is_date)
		return NULL;
	return zone_datetime(prop_zone(c, o->cal, p, t, NULL), t);
}

/* Whether @b's start, as written in its IANA zone, is a wall time the
 * clocks skip (02:30 where they go from 02:00 to 03:00): read as the
 * instant an hour on, it is not the wall time written. */
static gboolean
start_skipped(const Built *b)
{
	GDateTime *at = b->ev->start;

	return !b->ev->all_day && at != NULL && b->zone != NULL &&
	       b->zone->kind == ZONE_IANA &&
	       (g_date_time_get_year(at) != b->dtstart.year ||
	        g_date_time_get_month(at) != b->dtstart.month ||
	        g_date_time_get_day_of_month(at) != b->dtstart.day ||
	        g_date_time_get_hour(at) != b->dtstart.hour ||
	        g_date_time_get_minute(at) != b->dtstart.minute);
}

/* Series mode, a timed series with a DURATION whose first occurrence
 * has a change of the clocks within the DURATION's exact rest (00:30 to
 * 02:30 as PT2H the night the clocks go back at 02:00): by RFC 5545
 * §3.3.6 the first ends at 01:30, the others at 02:30 on the wall clock.
 * An event file's series lasts as long on the wall clock as its first
 * occurrence does as written (evfeed-event(5)): the first occurrence
 * ends as the others do, after the DURATION's length on the wall clock,
 * so that the DURATION is what evfeed writes again. That is where the
 * override evfeed writes for such a first occurrence ends (and what it
 * means); without one, the first occurrence moves, and the caller is
 * told. */
static void
series_wall_end(Ctx *c, Built *b, GPtrArray *overrides)
{
	EvfEvent *ev = b->ev;
	struct icaltimetype t;
	g_autoptr(GDateTime) end = NULL;
	gint64 first;
	gboolean told = FALSE;

	if (ev->rrule == NULL || ev->all_day || b->wall_length < 0 ||
	    b->zone->kind != ZONE_IANA)
		return;
	t = zone_local(b->zone, g_date_time_to_unix(ev->start));
	if (icaltime_is_null_time(t))
		return;
	t.zone = NULL;
	icaltime_adjust(&t, 0, 0, 0, (int)b->wall_length);
	end = zone_datetime(b->zone, t);
	if (end == NULL || g_date_time_equal(end, ev->end))
		return;
	first = g_date_time_to_unix(ev->start);
	for (guint i = 0; overrides != NULL && i < overrides->len; i++) {
		Item *o = g_ptr_array_index(overrides, i);
		g_autoptr(GDateTime) os = NULL;
		g_autoptr(GDateTime) oe = NULL;

		if (o->rid == NULL || o->rid_date || o->rid_key != first)
			continue;
		os = item_time(c, o, ICAL_DTSTART_PROPERTY);
		oe = item_time(c, o, ICAL_DTEND_PROPERTY);
		told = told || (os != NULL && oe != NULL &&
		                g_date_time_equal(os, ev->start) &&
		                g_date_time_equal(oe, end));
	}
	if (!told) {
		g_autoptr(GDateTime) was = g_date_time_to_timezone(
		    ev->end, g_date_time_get_timezone(ev->start));
		g_autoptr(GDateTime) now = g_date_time_to_timezone(
		    end, g_date_time_get_timezone(ev->start));
		g_autofree char *w = g_date_time_format(was, "%H:%M %Z");
		g_autofree char *n = g_date_time_format(now, "%H:%M %Z");

		ctx_warn(c,
		         "%s: the clocks change within the first occurrence: "
		         "by RFC 5545 its DURATION ends it at %s, an hour off "
		         "the length of the others on the wall clock; it ends "
		         "at %s, as long on the wall clock as they are",
		         b->label, w, n);
	}
	g_date_time_unref(ev->end);
	ev->end = g_steal_pointer(&end);
}

/* Series mode, a timed series with a DTEND whose first occurrence spans
 * a change of the clocks: by RFC 5545 §3.8.5.3 every occurrence lasts
 * exactly as long as the first, an hour more or less on the wall clock;
 * an event file's series lasts as long on the wall clock as the first
 * (evfeed-event(5)), which is what the editor most likely meant, but not
 * what the calendar said: the caller is told. */
static void
series_dtend_length(Ctx *c, Built *b)
{
	EvfEvent *ev = b->ev;
	gint64 wall;

	if (ev->rrule == NULL || ev->all_day || b->wall_length >= 0 ||
	    b->zone->kind != ZONE_IANA)
		return;
	wall = evf_event_wall_length(ev);
	if (wall <= 0 || wall * G_TIME_SPAN_SECOND ==
	                     g_date_time_difference(ev->end, ev->start))
		return;
	ctx_warn(c,
	         "%s: the clocks change within the first occurrence: by its "
	         "DTEND (RFC 5545) every occurrence lasts exactly as long, an "
	         "hour more or less on the wall clock than the first; in the "
	         "event file each lasts as long on the wall clock as the "
	         "first",
	         b->label);
}

/* Series mode: the event itself, its first RRULE kept as the event
 * file's `recurrence`. What an event file cannot hold (EXDATE, RDATE,
 * more RRULEs, overrides) is left out, for the caller to report. */
static void
keep_series(Ctx *c, Item *m, Built *b, GPtrArray *overrides)
{
	icalproperty *p =
	    icalcomponent_get_first_property(m->ve, ICAL_RRULE_PROPERTY);
	const char *label = b->label;

	/* RFC 5545 §3.3.5 reads the start an hour on (03:30 for 02:30),
	 * and its later occurrences at the wall time written (ical.js), or
	 * all at the one read (python-icalendar); an event file cannot say
	 * either. migrate.c tells what is not carried over, and why, at the
	 * RRULE's line. */
	if (p != NULL && start_skipped(b))
		p = NULL;
	if (p != NULL) {
		struct icalrecurrencetype rt = icalproperty_get_rrule(p);
		char *rule = NULL;

		/* An event file refuses RSCALE (evf_eventfile_check_rrule),
		 * but RFC 7529's Gregorian one with SKIP=OMIT is RFC 5545's
		 * own rule, written without it. (The copy's rscale is the
		 * property's: it is not freed.) */
		gboolean gregorian =
		    rt.rscale != NULL &&
		    g_ascii_strcasecmp(rt.rscale, "GREGORIAN") == 0 &&
		    rt.skip == ICAL_SKIP_OMIT;

		if (gregorian)
			rt.rscale = NULL;
		if (rt.freq != ICAL_NO_RECURRENCE && rt.interval >= 1 &&
		    rt.rscale == NULL)
			rule = until_as_event_file(b, &rt) || gregorian
			           ? icalrecurrencetype_as_string_r(&rt)
			           : icalproperty_get_value_as_string_r(p);
		if (rule != NULL && strlen(rule) <= MAX_RRULE)
			b->ev->rrule = clean_line(rule, MAX_RRULE);
		else if (rt.rscale == NULL) /* (RSCALE: migrate.c says why,
		                             * at the RRULE's line) */
			ctx_warn(c, "%s: an invalid RRULE is ignored", label);
		if (rule != NULL)
			icalmemory_free_buffer(rule);
		icalerror_clear_errno();
		if (b->ev->rrule != NULL && !b->ev->all_day &&
		    b->zone->kind == ZONE_VTIMEZONE)
			ctx_warn(c,
			         "%s: the series recurs in UTC, not in its "
			         "own time zone",
			         label);
		series_wall_end(c, b, overrides);
		series_dtend_length(c, b);
	}
	keep(c, g_steal_pointer(&b->ev), 0);
}

/* --------------------------------------------------------- the document */

/* (transfer full) (nullable): the UID of the VEVENT @ve, as written (up to
 * 8 × MAX_UID bytes). */
static char *
item_uid(icalcomponent *ve)
{
	icalproperty *p =
	    icalcomponent_get_first_property(ve, ICAL_UID_PROPERTY);

	return clean_line(p != NULL ? icalproperty_get_uid(p) : NULL,
	                  8 * MAX_UID);
}

/* (transfer full): an identity for the VEVENT @ve, which has no UID (RFC
 * 5545 requires one; Outlook does without, and so do some systems'
 * exports): a UUID made from what it says, the same at each fetch while
 * that stays, its @n'th (from 1) in the document of those that say all
 * the same (two sessions of one title and time in two rooms are told
 * apart by their LOCATION, two alike in all by their order). */
static char *
made_uid(icalcomponent *ve, guint n)
{
	static const icalproperty_kind named_by[] = {
		ICAL_SUMMARY_PROPERTY,  ICAL_DTSTART_PROPERTY,
		ICAL_DTEND_PROPERTY,    ICAL_DURATION_PROPERTY,
		ICAL_LOCATION_PROPERTY, ICAL_URL_PROPERTY,
	};
	g_autoptr(GString) name = g_string_new("no UID");

	for (guint i = 0; i < G_N_ELEMENTS(named_by); i++) {
		icalproperty *q =
		    icalcomponent_get_first_property(ve, named_by[i]);
		char *line =
		    q != NULL ? icalproperty_as_ical_string_r(q) : NULL;

		g_string_append_printf(name, "\n%s", line != NULL ? line : "");
		icalmemory_free_buffer(line);
	}
	icalerror_clear_errno();
	if (n > 1)
		g_string_append_printf(name, "\n%u", n);
	return evf_uuid5(EVF_UUID_NAMESPACE, name->str);
}

/* The VEVENTs of a document by identity: one per UID (the series or
 * single events) and one per UID and RECURRENCE-ID (overrides). */
typedef struct {
	GPtrArray *masters;      /* Item*, in document order */
	GHashTable *master_at;   /* uid → index in masters */
	GHashTable *overrides;   /* uid → GPtrArray of Item* */
	GHashTable *override_at; /* "uid\x1frid" → index in its list */
	GHashTable *hidden;      /* the uids of private series */
	GHashTable *made;        /* the uids made_uid gave */
	guint order;
} Gathered;

static void
gathered_clear(Gathered *g)
{
	g_clear_pointer(&g->master_at, g_hash_table_unref);
	g_clear_pointer(&g->override_at, g_hash_table_unref);
	g_clear_pointer(&g->overrides, g_hash_table_unref);
	g_clear_pointer(&g->masters, g_ptr_array_unref);
	g_clear_pointer(&g->hidden, g_hash_table_unref);
	g_clear_pointer(&g->made, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Gathered, gathered_clear)

static void
gathered_init(Gathered *g)
{
	g->masters = g_ptr_array_new_with_free_func(item_free);
	g->master_at =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g->overrides = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                     (GDestroyNotify)g_ptr_array_unref);
	g->override_at =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g->hidden =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g->made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g->order = 0;
}

/* Keeps @it in @list at the place @key says, or at its end; the loser
 * of the two goes. */
static gboolean
place(GPtrArray *list, GHashTable *at, char *key, Item *it)
{
	gpointer found;

	if (g_hash_table_lookup_extended(at, key, NULL, &found)) {
		guint i = GPOINTER_TO_UINT(found);
		Item *old = g_ptr_array_index(list, i);

		g_free(key);
		if (item_wins(it, old)) {
			list->pdata[i] = it;
			item_free(old);
			return TRUE;
		}
		item_free(it);
		return FALSE;
	}
	g_hash_table_insert(at, key, GUINT_TO_POINTER(list->len));
	g_ptr_array_add(list, it);
	return TRUE;
}

/* (transfer full) (nullable): for @it, a VEVENT with the UID of one
 * gathered in @g already, with the same SEQUENCE, another start and no
 * RRULE in either, the UID of an event of its own: "UID/<start>", as an
 * occurrence without its series gets (which copies of that start share).
 * NULL when it is a copy of the same event. */
static char *
another_event(const Gathered *g, const Item *it)
{
	const Item *old = g_ptr_array_index(
	    g->masters,
	    GPOINTER_TO_UINT(g_hash_table_lookup(g->master_at, it->uid)));
	struct icaltimetype a = icalcomponent_get_dtstart(old->ve);
	struct icaltimetype b = icalcomponent_get_dtstart(it->ve);
	g_autofree char *own = NULL;

	if (icaltime_is_null_time(a) || icaltime_is_null_time(b) ||
	    icaltime_compare(a, b) == 0 ||
	    icalcomponent_get_first_property(it->ve, ICAL_RRULE_PROPERTY) !=
	        NULL)
		return NULL;
	own = g_strdup_printf("%s/%s", it->uid, icaltime_as_ical_string(b));
	/* a copy of an event of its own already (an update of it too) */
	if (g_hash_table_contains(g->master_at, own) ||
	    (old->sequence == it->sequence &&
	     icalcomponent_get_first_property(old->ve, ICAL_RRULE_PROPERTY) ==
	         NULL))
		return g_steal_pointer(&own);
	return NULL;
}

/* Gathers the VEVENTs of @cal into @g. */
static void
gather(Ctx *c, icalcomponent *cal, Gathered *g)
{
	for (icalcomponent *ve =
	         icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ve != NULL; ve = icalcomponent_get_next_component(
	                     cal, ICAL_VEVENT_COMPONENT)) {
		g_autofree char *uid = item_uid(ve);
		g_autofree char *label = NULL;
		icalproperty *p;
		Item *it;
		gboolean hidden = FALSE;
		gboolean is_override =
		    icalcomponent_get_first_property(
		        ve, ICAL_RECURRENCEID_PROPERTY) != NULL;

		g->order++;
		/* A UID over MAX_UID bytes is known by a UUID made from it
		 * (as a news feed's long guid is); one without is made
		 * (made_uid), but for an override, whose series no UID names.
		 * In series mode (evfeed import, whose event files keep the
		 * UIDs) such an event is not imported: the caller says why
		 * of one without a UID. */
		if (uid != NULL && strlen(uid) > MAX_UID && !c->series) {
			g_autofree char *long_uid = g_steal_pointer(&uid);

			uid = evf_uuid5(EVF_UUID_NAMESPACE, long_uid);
		} else if (uid == NULL && !c->series && !is_override) {
			for (guint n = 1;
			     uid == NULL || g_hash_table_contains(g->made, uid);
			     n++) {
				g_free(uid);
				uid = made_uid(ve, n);
			}
			g_hash_table_add(g->made, g_strdup(uid));
		}
		if (uid == NULL || strlen(uid) > MAX_UID) {
			g_autofree char *where = event_label(c, ve, uid);

			if (uid != NULL || !c->series)
				ctx_warn(c, "%s: %s", where,
				         uid == NULL
				             ? "left out"
				             : "the UID is longer than 255 "
				               "bytes: the event is left out");
			c->skipped++;
			continue;
		}
		/* any class but PUBLIC: RFC 5545 §3.8.1.3 has a value
		 * not known (X-SECRET, SECRET) taken as PRIVATE */
		p = icalcomponent_get_first_property(ve, ICAL_CLASS_PROPERTY);
		if (p != NULL &&
		    icalproperty_get_class(p) != ICAL_CLASS_PUBLIC) {
			/* by its line alone: a partner's warnings are
			 * published (status.json), and a private event's
			 * summary and UID are not ours to show */
			guint line = event_line(c, ve);

			if (!c->series && line > 0)
				ctx_warn(c,
				         "line %u: a private event is left out",
				         line);
			else if (!c->series)
				ctx_warn(c, "a private event is left out");
			c->skipped++;
			/* A private series goes with its overrides, before
			 * and after it; a private override of a series
			 * leaves that occurrence out (an event file has no
			 * way to, in a series import). */
			if (!is_override) {
				g_hash_table_add(g->hidden,
				                 g_steal_pointer(&uid));
				continue;
			}
			if (c->series)
				continue;
			hidden = TRUE;
		}
		if (is_override && g_hash_table_contains(g->hidden, uid)) {
			c->skipped++;
			continue;
		}
		label = event_label(c, ve, uid);
		it = g_new0(Item, 1);
		it->cal = cal;
		it->ve = ve;
		it->uid = g_steal_pointer(&uid);
		p = icalcomponent_get_first_property(ve,
		                                     ICAL_SEQUENCE_PROPERTY);
		it->sequence =
		    p != NULL ? MAX(icalproperty_get_sequence(p), 0) : 0;
		it->modified = stamp_seconds(ve, ICAL_LASTMODIFIED_PROPERTY);
		it->stamp = stamp_seconds(ve, ICAL_DTSTAMP_PROPERTY);
		it->order = g->order;
		it->hidden = hidden;
		if (is_override) {
			GPtrArray *list;

			it->rid = override_stamp(c, it);
			if (it->rid == NULL) {
				ctx_warn(c,
				         "%s: an override with an invalid "
				         "RECURRENCE-ID is left out",
				         label);
				c->skipped++;
				item_free(it);
				continue;
			}
			{
				icalproperty *rid =
				    icalcomponent_get_first_property(
				        ve, ICAL_RECURRENCEID_PROPERTY);
				icalparameter *range =
				    icalproperty_get_first_parameter(
				        rid, ICAL_RANGE_PARAMETER);

				/* RFC 5545 §3.8.4.4: it would change every
				 * later occurrence too; it changes its own */
				if (range != NULL &&
				    icalparameter_get_range(range) ==
				        ICAL_RANGE_THISANDFUTURE)
					ctx_warn(
					    c,
					    "%s: RANGE=THISANDFUTURE is not "
					    "carried over: only the "
					    "occurrence it names is changed, "
					    "not the later ones",
					    label);
			}
			list = g_hash_table_lookup(g->overrides, it->uid);
			if (list == NULL) {
				list =
				    g_ptr_array_new_with_free_func(item_free);
				g_hash_table_insert(g->overrides,
				                    g_strdup(it->uid), list);
			}
			place(list, g->override_at,
			      g_strconcat(it->uid, "\x1f", it->rid, NULL), it);
			continue;
		}
		if (g_hash_table_contains(g->master_at, it->uid)) {
			/* A migration keeps a copy of another start and
			 * the same SEQUENCE (a plug-in's two days of one
			 * workshop under one UID) as an event of its own:
			 * the file is the only one there is. Its copies
			 * are those of that event. */
			char *other = c->series ? another_event(g, it) : NULL;
			gboolean own =
			    other != NULL &&
			    !g_hash_table_contains(g->master_at, other);

			if (other != NULL) {
				g_free(it->uid);
				it->uid = other;
			}
			if (own)
				ctx_warn(c,
				         "%s: its UID is that of another "
				         "event, of another start: imported as "
				         "an event of its own, uid '%s'",
				         label, it->uid);
			else
				ctx_warn(c,
				         "%s: given more than once: the copy "
				         "with the highest SEQUENCE (then the "
				         "latest LAST-MODIFIED, DTSTAMP) is "
				         "used",
				         label);
		}
		place(g->masters, g->master_at, g_strdup(it->uid), it);
	}
	/* the overrides of a private series given before it */
	{
		GHashTableIter hi;
		gpointer key;

		g_hash_table_iter_init(&hi, g->hidden);
		while (g_hash_table_iter_next(&hi, &key, NULL)) {
			GPtrArray *list =
			    g_hash_table_lookup(g->overrides, key);

			if (list == NULL)
				continue;
			c->skipped += list->len;
			g_hash_table_remove(g->overrides, key);
		}
	}
}

static gint
item_order_cmp(gconstpointer a, gconstpointer b)
{
	const Item *x = *(Item *const *)a, *y = *(Item *const *)b;

	return x->order < y->order ? -1 : x->order > y->order;
}

static gboolean
is_recurring(icalcomponent *ve)
{
	return icalcomponent_get_first_property(ve, ICAL_RRULE_PROPERTY) !=
	           NULL ||
	       icalcomponent_get_first_property(ve, ICAL_RDATE_PROPERTY) !=
	           NULL;
}

static void
ctx_clear(Ctx *c)
{
	g_clear_pointer(&c->warnings, g_ptr_array_unref);
	g_clear_pointer(&c->warned, g_hash_table_unref);
	g_clear_pointer(&c->zones, g_hash_table_unref);
	g_clear_pointer(&c->floating, g_hash_table_unref);
	g_clear_pointer(&c->floating_zone, g_free);
	g_clear_pointer(&c->untitled, g_free);
	g_clear_pointer(&c->out, g_ptr_array_unref);
	g_clear_pointer(&c->turns, g_hash_table_unref);
	g_clear_pointer(&c->worst_uid, g_free);
	g_clear_pointer(&c->lines, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Ctx, ctx_clear)

static void
ctx_init(Ctx *c, const char *base_url, gint64 now_us)
{
	g_autoptr(GDateTime) now = NULL;
	g_autoptr(GDateTime) ws = NULL;
	g_autoptr(GDateTime) we = NULL;

	memset(c, 0, sizeof *c);
	c->base_url = base_url;
	c->now = now_us / G_USEC_PER_SEC;
	now = g_date_time_new_from_unix_utc(c->now);
	if (now == NULL)
		now = g_date_time_new_from_unix_utc(0);
	ws = g_date_time_add_years(now, -1);
	we = g_date_time_add_years(now, 2);
	c->window_start = g_date_time_to_unix(ws);
	c->window_end = g_date_time_to_unix(we);
	c->now_day =
	    julian(g_date_time_get_year(now), g_date_time_get_month(now),
	           g_date_time_get_day_of_month(now));
	c->window_start_day =
	    julian(g_date_time_get_year(ws), g_date_time_get_month(ws),
	           g_date_time_get_day_of_month(ws));
	c->window_end_day =
	    julian(g_date_time_get_year(we), g_date_time_get_month(we),
	           g_date_time_get_day_of_month(we));
	c->warnings = g_ptr_array_new_with_free_func(g_free);
	c->warned =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c->zones =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, zone_free);
	c->floating =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	c->steps_left = MAX_STEPS_TOTAL;
	c->span_left = MAX_SPAN_TOTAL;
	c->max_items = EVF_IMPORT_MAX_ITEMS;
	c->out =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	c->turns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/* The events of the calendars in @root. */
static EvfImport *
import_root(Ctx *c, icalcomponent *root)
{
	g_auto(Gathered) g = { 0 };
	g_autoptr(GList) lists = NULL;
	g_autoptr(GPtrArray) orphans = g_ptr_array_new();
	g_autoptr(GHashTable) uids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) orphan_turns =
	    g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) all = NULL;
	EvfImport *imp;

	gathered_init(&g);
	if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
		gather(c, root, &g);
	} else {
		for (icalcomponent *cal = icalcomponent_get_first_component(
		         root, ICAL_VCALENDAR_COMPONENT);
		     cal != NULL; cal = icalcomponent_get_next_component(
		                      root, ICAL_VCALENDAR_COMPONENT))
			gather(c, cal, &g);
	}

	for (guint i = 0; i < g.masters->len; i++) {
		Item *m = g_ptr_array_index(g.masters, i);
		GPtrArray *ovr = g_hash_table_lookup(g.overrides, m->uid);
		g_auto(Built) b = { 0 };

		if (!build(c, m->cal, m->ve, m->uid, &b)) {
			c->skipped++;
			continue;
		}
		override_stamps_of(c, &b, ovr);
		if (c->series)
			keep_series(c, m, &b, ovr);
		else if (is_recurring(m->ve))
			expand(c, m, &b, ovr);
		else
			keep_chosen(c, g_steal_pointer(&b.ev), 0);
		if (ovr != NULL)
			for (guint j = 0; j < ovr->len; j++)
				((Item *)g_ptr_array_index(ovr, j))->used =
				    TRUE;
	}
	/* Overrides whose series is not in the document (or has no usable
	 * DTSTART) stand alone, in document order: Google exports a single
	 * occurrence one is invited to so. Each is an event of its own, in
	 * a series import too, under its uid and occurrence, since a client
	 * that has the series would take an event with its UID for it. */
	lists = g_hash_table_get_values(g.overrides);
	for (GList *l = lists; l != NULL; l = l->next) {
		GPtrArray *list = l->data;

		for (guint j = 0; j < list->len; j++) {
			Item *o = g_ptr_array_index(list, j);

			/* (one of a series not here that is private: out) */
			if (!o->used && !o->hidden)
				g_ptr_array_add(orphans, o);
		}
	}
	g_ptr_array_sort(orphans, item_order_cmp);
	for (guint j = 0; j < orphans->len; j++) {
		Item *o = g_ptr_array_index(orphans, j);
		g_autofree char *uid = g_strdup_printf("%s/%s", o->uid, o->rid);
		g_auto(Built) b = { 0 };

		if (build(c, o->cal, o->ve, uid, &b)) {
			/* the series' turns (rank_cmp), in document order */
			guint turn = GPOINTER_TO_UINT(
			    g_hash_table_lookup(orphan_turns, o->uid));

			g_hash_table_insert(orphan_turns, o->uid,
			                    GUINT_TO_POINTER(turn + 1));
			b.ev->series = g_strdup(o->uid);
			keep_chosen(c, g_steal_pointer(&b.ev), turn);
		} else {
			c->skipped++;
		}
	}

	/* The cap, and one event per uid: a UID may look like another
	 * series' occurrence ("s@p/20270111T090000Z" beside the series
	 * "s@p"). The occurrence keeps it; the event that gave it is
	 * published under a UID made from it, and said so. */
	prune(c);
	all = g_steal_pointer(&c->out);
	c->out =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	for (guint i = 0; i < all->len; i++) {
		EvfEvent *ev = g_ptr_array_index(all, i);
		EvfEvent *other = g_hash_table_lookup(uids, ev->uid);

		if (other != NULL) {
			EvfEvent *moved =
			    ev->series != NULL && other->series == NULL ? other
			                                                : ev;
			g_autofree char *name =
			    g_strconcat("uid-clash\x1f", moved->uid, NULL);

			ctx_warn(c,
			         "'%s': an event's UID that is also an "
			         "occurrence's of a series here: the event is "
			         "published under a UID of its own",
			         moved->uid);
			if (moved == other)
				g_hash_table_remove(uids, other->uid);
			g_free(moved->uid);
			moved->uid = evf_uuid5(EVF_UUID_NAMESPACE, name);
			if (moved == other)
				g_hash_table_insert(uids, other->uid, other);
		}
		if (g_hash_table_contains(uids, ev->uid))
			continue;
		g_hash_table_insert(uids, ev->uid, ev);
		g_ptr_array_add(c->out, evf_event_ref(ev));
	}
	if (c->unexpanded > 0)
		ctx_warn(c,
		         "%u recurrence rules were not expanded fully: at "
		         "most %d steps are taken for a calendar",
		         c->unexpanded, MAX_STEPS_TOTAL);
	if (c->untitled != NULL && c->untitled_more == 0)
		ctx_warn(c,
		         "%s: no title (SUMMARY missing or empty): titled '%s'",
		         c->untitled, UNTITLED);
	else if (c->untitled != NULL)
		ctx_warn(c,
		         "%s: no title (SUMMARY missing or empty), nor %s %u "
		         "other event%s: each titled '%s'",
		         c->untitled, c->untitled_more == 1 ? "has" : "have",
		         c->untitled_more, c->untitled_more == 1 ? "" : "s",
		         UNTITLED);
	if (c->dropped > 0)
		ctx_warn(c,
		         "%u events and occurrences are left out: at most %u "
		         "are taken, every event and each series' nearest "
		         "occurrences in turns, the nearest to now first",
		         c->dropped, c->max_items);
	evf_events_sort_by_start(c->out);
	if (g_hash_table_size(c->floating) > 0) {
		g_autofree char *in =
		    c->floating_zone != NULL
		        ? g_strdup_printf("taken in the calendar's "
		                          "X-WR-TIMEZONE, %s",
		                          c->floating_zone)
		        : g_strdup("taken as UTC");

		if (g_hash_table_size(c->floating) == 1) {
			GHashTableIter it;
			gpointer label = NULL;

			g_hash_table_iter_init(&it, c->floating);
			g_hash_table_iter_next(&it, NULL, &label);
			ctx_warn(c, "%s: floating times (no time zone): %s",
			         (const char *)label, in);
		} else
			ctx_warn(c,
			         "%u events have floating times (no time "
			         "zone): %s",
			         g_hash_table_size(c->floating), in);
	}
	if (c->warnings_dropped > 0)
		g_ptr_array_add(c->warnings,
		                g_strdup_printf("and %u more warnings",
		                                c->warnings_dropped));

	imp = g_new0(EvfImport, 1);
	imp->events = g_steal_pointer(&c->out);
	for (guint i = 0; i < imp->events->len; i++) {
		EvfEvent *ev = g_ptr_array_index(imp->events, i);

		ev->slug = evf_slugify(ev->uid);
		evf_event_update_fingerprint(ev);
	}
	imp->skipped = c->skipped;
	imp->warnings = g_steal_pointer(&c->warnings);
	return imp;
}

/* (transfer full) (nullable): each VEVENT of @root → its line in @lines
 * (the pre-check's); NULL when the count of BEGIN:VEVENTs found there is
 * not libical's, since the Nth would then not be the Nth. */
static GHashTable *
place_vevents(icalcomponent *root, GArray *lines)
{
	g_autoptr(GPtrArray) vevents = g_ptr_array_new();
	g_autoptr(GHashTable) at = NULL;
	gboolean one = icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT;

	for (icalcomponent *cal = one ? root
	                              : icalcomponent_get_first_component(
	                                    root, ICAL_VCALENDAR_COMPONENT);
	     cal != NULL; cal = one ? NULL
	                            : icalcomponent_get_next_component(
	                                  root, ICAL_VCALENDAR_COMPONENT))
		for (icalcomponent *ve = icalcomponent_get_first_component(
		         cal, ICAL_VEVENT_COMPONENT);
		     ve != NULL; ve = icalcomponent_get_next_component(
		                     cal, ICAL_VEVENT_COMPONENT))
			g_ptr_array_add(vevents, ve);
	if (vevents->len != lines->len)
		return NULL;
	at = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < vevents->len; i++)
		g_hash_table_insert(
		    at, vevents->pdata[i],
		    GUINT_TO_POINTER(g_array_index(lines, guint, i)));
	return g_steal_pointer(&at);
}

/* Whether @root is, or holds, a vCalendar 1.0 calendar (VERSION:1.0):
 * libical reads its lines, but not its quoted-printable texts, its
 * CHARSET or its rules ("W1 TU #10"). */
static gboolean
vcalendar_1(icalcomponent *root)
{
	icalcomponent *cal = icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT
	                         ? root
	                         : icalcomponent_get_first_component(
	                               root, ICAL_VCALENDAR_COMPONENT);

	for (; cal != NULL; cal = root == cal
	                              ? NULL
	                              : icalcomponent_get_next_component(
	                                    root, ICAL_VCALENDAR_COMPONENT)) {
		icalproperty *v = icalcomponent_get_first_property(
		    cal, ICAL_VERSION_PROPERTY);
		const char *version =
		    v != NULL ? icalproperty_get_version(v) : NULL;

		if (version != NULL && strcmp(version, "1.0") == 0)
			return TRUE;
	}
	return FALSE;
}

/* Both modes, in this process. */
static EvfImport *
parse_calendar(const char *data, gsize len, const char *base_url, gint64 now,
               gboolean series, const EvfImportFilter *filter, GError **error)
{
	g_autofree char *why = NULL;
	g_autoptr(GString) text = NULL;
	g_autoptr(icalcomponent) root = NULL;
	g_autoptr(GArray) lines = g_array_new(FALSE, FALSE, sizeof(guint));
	g_auto(Ctx) c = { 0 };

	g_return_val_if_fail(data != NULL || len == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	why = precheck(data, len, lines);
	if (why != NULL) {
		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
		            "the calendar was refused: %s", why);
		return NULL;
	}
	text = unfold(data, len);
	{
		/* Checked once the folds are undone (a fold may split a
		 * character). Invalid UTF-8 is refused like the XML
		 * importer refuses it: the last good items stay, rather than
		 * text with replacement characters in it. */
		const char *bad = NULL;

		if (!g_utf8_validate_len(text->str, text->len, &bad)) {
			guint line = 1;

			for (const char *p = text->str; p < bad; p++)
				line += *p == '\n';
			g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
			            "the calendar was refused: invalid UTF-8 "
			            "in unfolded line %u",
			            line);
			return NULL;
		}
	}
	icalerror_set_errors_are_fatal(0);
	icalerror_clear_errno();
	root = icalparser_parse_string(text->str);
	icalerror_clear_errno();
	if (root == NULL ||
	    (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT &&
	     icalcomponent_get_first_component(
	         root, ICAL_VCALENDAR_COMPONENT) == NULL)) {
		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
		            "the calendar could not be parsed: libical found "
		            "no VCALENDAR");
		return NULL;
	}
	if (vcalendar_1(root)) {
		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
		            "a vCalendar 1.0 file (VERSION:1.0, as Outlook's "
		            ".vcs files), not iCalendar: its texts are in "
		            "another encoding (quoted-printable), and its "
		            "rules in another form; export the calendar as "
		            "iCalendar (.ics)");
		return NULL;
	}
	ctx_init(&c, base_url, now);
	c.filter = filter;
	if (series) {
		c.series = TRUE;
		c.max_items = MAX_VEVENTS;
	}
	c.lines = place_vevents(root, lines);
	return import_root(&c, root);
}

EvfImport *
evf_import_ics_unsandboxed(const char *data, gsize len, const char *base_url,
                           gint64 now, GError **error)
{
	return parse_calendar(data, len, base_url, now, FALSE, NULL, error);
}

/* ------------------------------------------------------------- the wire */

static guint32
string_index(GHashTable *index, GPtrArray *strings, const char *s)
{
	gpointer found;

	if (s == NULL)
		return NO_STRING;
	if (g_hash_table_lookup_extended(index, s, NULL, &found))
		return GPOINTER_TO_UINT(found);
	g_ptr_array_add(strings, (gpointer)s);
	g_hash_table_insert(index, (gpointer)s,
	                    GUINT_TO_POINTER(strings->len - 1));
	return strings->len - 1;
}

static GVariant *
strv_variant(GPtrArray *list)
{
	return g_variant_new_strv((const char *const *)list->pdata, list->len);
}

/* (transfer floating): @imp, or the failure @error, as sent by the
 * child. */
static GVariant *
answer_variant(const EvfImport *imp, const GError *error)
{
	g_autoptr(GHashTable) index = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) strings = g_ptr_array_new();
	GVariantBuilder events;

	g_variant_builder_init(&events, G_VARIANT_TYPE("a" EVENT_TYPE));
	for (guint i = 0; imp != NULL && i < imp->events->len; i++) {
		const EvfEvent *ev = g_ptr_array_index(imp->events, i);
		guint32 html =
		    string_index(index, strings, ev->description_html);
		guint32 text =
		    string_index(index, strings, ev->description_text);

		g_variant_builder_add(
		    &events, EVENT_NEW, ev->uid, ev->title, ev->all_day,
		    ev->all_day ? g_date_get_julian(&ev->start_date) : 0,
		    ev->all_day ? g_date_get_julian(&ev->end_date) : 0,
		    ev->all_day ? (gint64)0 : g_date_time_to_unix(ev->start),
		    ev->all_day ? (gint64)0 : g_date_time_to_unix(ev->end),
		    ev->tzid != NULL ? ev->tzid : "",
		    ev->location != NULL ? ev->location : "", ev->has_geo,
		    ev->lat, ev->lon, strv_variant(ev->organizers),
		    strv_variant(ev->categories),
		    ev->url != NULL ? ev->url : "", (guint32)ev->status,
		    ev->published, html, text, ev->rrule ? ev->rrule : "",
		    ev->organizer_email ? ev->organizer_email : "",
		    ev->image ? ev->image : "",
		    ev->series != NULL ? ev->series : "", ev->utc_offset);
	}
	if (imp == NULL) {
		g_autoptr(GPtrArray) none = g_ptr_array_new();

		return g_variant_new(ANSWER_NEW, FALSE, error->message,
		                     g_variant_builder_end(&events),
		                     strv_variant(strings), 0,
		                     strv_variant(none));
	}
	return g_variant_new(
	    ANSWER_NEW, TRUE, "", g_variant_builder_end(&events),
	    strv_variant(strings), imp->skipped, strv_variant(imp->warnings));
}

static char *
optional(const char *s, gsize max)
{
	return s[0] != '\0' ? clean_line(s, max) : NULL;
}

/* The child's table of descriptions, each checked again on first use. */
typedef struct {
	const char **strings;
	gsize n;
	const char *base_url;
	char **html; /* sanitised, NULL until used */
	char **text;
	gboolean *html_done;
	gboolean *text_done;
} Table;

static void
table_clear(Table *t)
{
	for (gsize i = 0; i < t->n; i++) {
		g_free(t->html[i]);
		g_free(t->text[i]);
	}
	g_free(t->strings);
	g_free(t->html);
	g_free(t->text);
	g_free(t->html_done);
	g_free(t->text_done);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Table, table_clear)

static const char *
table_html(Table *t, guint32 i)
{
	if (!t->html_done[i]) {
		char *h = evf_html_sanitize(t->strings[i], t->base_url);

		if (h[0] == '\0')
			g_clear_pointer(&h, g_free);
		t->html[i] = h;
		t->html_done[i] = TRUE;
	}
	return t->html[i];
}

static const char *
table_text(Table *t, guint32 i)
{
	if (!t->text_done[i]) {
		t->text[i] =
		    clean_text(t->strings[i], EVF_IMPORT_MAX_DESCRIPTION);
		t->text_done[i] = TRUE;
	}
	return t->text[i];
}

/* (transfer full) (nullable): an event as the child sent it, checked
 * again: the child read hostile bytes with a fragile library, so its
 * answer is trusted no more than the bytes. NULL when it breaks an
 * invariant. */
static EvfEvent *
event_from_variant(GVariant *v, Table *table)
{
	g_autoptr(EvfEvent) ev = evf_event_new();
	g_autoptr(GVariantIter) orgs = NULL;
	g_autoptr(GVariantIter) cats = NULL;
	const char *uid, *title, *tzid, *location, *url, *s, *rrule, *email;
	const char *image, *series;
	guint32 sd, ed, status, ih, it;
	gint64 start, end;

	g_variant_get(v, EVENT_GET, &uid, &title, &ev->all_day, &sd, &ed,
	              &start, &end, &tzid, &location, &ev->has_geo, &ev->lat,
	              &ev->lon, &orgs, &cats, &url, &status, &ev->published,
	              &ih, &it, &rrule, &email, &image, &series,
	              &ev->utc_offset);
	ev->uid = clean_line(uid, MAX_UID + 40);
	ev->title = clean_line(title, EVF_IMPORT_MAX_TITLE);
	if (ev->uid == NULL || ev->title == NULL ||
	    status > EVF_STATUS_CANCELLED || ev->published < 0 ||
	    (ih != NO_STRING && ih >= table->n) ||
	    (it != NO_STRING && it >= table->n))
		return NULL;
	if (ev->has_geo && (!isfinite(ev->lat) || !isfinite(ev->lon) ||
	                    fabs(ev->lat) > 90 || fabs(ev->lon) > 180))
		return NULL;
	if (ev->all_day) {
		if (!g_date_valid_julian(sd) || !g_date_valid_julian(ed) ||
		    ed <= sd || tzid[0] != '\0')
			return NULL;
		g_date_set_julian(&ev->start_date, sd);
		g_date_set_julian(&ev->end_date, ed);
		if (g_date_get_year(&ev->start_date) < MIN_YEAR ||
		    g_date_get_year(&ev->start_date) > MAX_YEAR ||
		    g_date_get_year(&ev->end_date) > MAX_YEAR + 11)
			return NULL;
	} else {
		g_autoptr(GDateTime) s_utc =
		    g_date_time_new_from_unix_utc(start);
		g_autoptr(GDateTime) e_utc = g_date_time_new_from_unix_utc(end);
		g_autoptr(GTimeZone) tz = NULL;

		/* (an offset is kept for a time in UTC, in_written_zone) */
		if (s_utc == NULL || e_utc == NULL || end < start ||
		    (ev->utc_offset != 0 &&
		     (tzid[0] != '\0' ||
		      !evf_utc_offset_valid(ev->utc_offset))))
			return NULL;
		if (tzid[0] != '\0') {
			tz = evf_tz_new(tzid, NULL);
			if (tz == NULL)
				return NULL;
			ev->tzid = g_strdup(tzid);
		} else {
			tz = g_time_zone_new_utc();
		}
		ev->start = g_date_time_to_timezone(s_utc, tz);
		ev->end = g_date_time_to_timezone(e_utc, tz);
		/* The child bounds the year where the start is held
		 * (zone_datetime), as event files do: in UTC, 2200's last
		 * evening in New York is 2201. */
		if (ev->start == NULL || ev->end == NULL ||
		    g_date_time_get_year(ev->start) < MIN_YEAR ||
		    g_date_time_get_year(ev->start) > MAX_YEAR)
			return NULL;
	}
	ev->location = optional(location, MAX_LOCATION);
	if (url[0] != '\0')
		ev->url = web_url(url, table->base_url, NULL);
	while (g_variant_iter_next(orgs, "&s", &s))
		add_unique(ev->organizers, clean_line(s, MAX_LOCATION),
		           MAX_ORGANIZERS);
	while (g_variant_iter_next(cats, "&s", &s))
		add_unique(ev->categories, clean_line(s, MAX_CATEGORY),
		           MAX_CATEGORIES);
	ev->status = (EvfStatus)status;
	if (ih != NO_STRING)
		ev->description_html = g_strdup(table_html(table, ih));
	if (it != NO_STRING)
		ev->description_text = g_strdup(table_text(table, it));
	/* What libical writes of a rule, and an address: short, ASCII, no
	 * space. The event file's reader checks them again. */
	if (strlen(rrule) > MAX_RRULE ||
	    strspn(rrule, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=;,:+-") !=
	        strlen(rrule) ||
	    strlen(email) > MAX_UID || strpbrk(email, " \t\r\n<>\"") != NULL)
		return NULL;
	if (image[0] != '\0')
		ev->image = web_url(image, table->base_url, NULL);
	ev->rrule = optional(rrule, MAX_RRULE);
	ev->organizer_email = optional(email, MAX_UID);
	/* an occurrence's uid is its series' and its own: "<series>/…";
	 * the series is taken from there */
	if (series[0] != '\0' &&
	    strncmp(ev->uid, series, strlen(series)) == 0 &&
	    ev->uid[strlen(series)] == '/')
		ev->series = g_strndup(ev->uid, strlen(series));
	ev->slug = evf_slugify(ev->uid);
	evf_event_update_fingerprint(ev);
	return g_steal_pointer(&ev);
}

static EvfImport *
garbled(GError **error)
{
	g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
	            "the calendar could not be parsed: the parser's answer "
	            "is garbled");
	return NULL;
}

/* (transfer full) (nullable): the import in the child's @answer; NULL
 * with @error when it failed or is garbled. */
static EvfImport *
import_from_answer(GBytes *answer, const char *base_url, guint max_items,
                   GError **error)
{
	g_autoptr(GVariant) v = NULL;
	g_autoptr(GVariant) events = NULL;
	g_autoptr(GVariant) strings = NULL;
	g_autoptr(GVariant) warnings = NULL;
	g_autoptr(EvfImport) imp = NULL;
	g_auto(Table) table = { 0 };
	gboolean ok;
	const char *message;
	guint32 skipped;
	gsize n;

	if (g_bytes_get_size(answer) == 0)
		return garbled(error);
	v = g_variant_ref_sink(g_variant_new_from_bytes(
	    G_VARIANT_TYPE(ANSWER_TYPE), answer, FALSE));
	if (!g_variant_is_normal_form(v))
		return garbled(error);
	g_variant_get(v, ANSWER_GET, &ok, &message, &events, &strings, &skipped,
	              &warnings);
	if (!ok) {
		g_autofree char *m = clean_line(message, 1024);

		if (m == NULL)
			return garbled(error);
		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID, "%s", m);
		return NULL;
	}
	n = g_variant_n_children(events);
	if (n > max_items)
		return garbled(error);
	table.strings = g_variant_get_strv(strings, &table.n);
	table.base_url = base_url;
	table.html = g_new0(char *, table.n + 1);
	table.text = g_new0(char *, table.n + 1);
	table.html_done = g_new0(gboolean, table.n + 1);
	table.text_done = g_new0(gboolean, table.n + 1);
	for (gsize i = 0; i < table.n; i++)
		if (strlen(table.strings[i]) > EVF_IMPORT_MAX_DESCRIPTION)
			return garbled(error);

	imp = g_new0(EvfImport, 1);
	imp->events =
	    g_ptr_array_new_with_free_func((GDestroyNotify)evf_event_unref);
	imp->warnings = g_ptr_array_new_with_free_func(g_free);
	imp->skipped = skipped;
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(events, i);
		EvfEvent *ev = event_from_variant(e, &table);

		if (ev == NULL)
			return garbled(error);
		g_ptr_array_add(imp->events, ev);
	}
	for (gsize i = 0;
	     i < g_variant_n_children(warnings) && i <= MAX_WARNINGS; i++) {
		g_autoptr(GVariant) w = g_variant_get_child_value(warnings, i);
		char *line = clean_line(g_variant_get_string(w, NULL), 1024);

		if (line != NULL)
			g_ptr_array_add(imp->warnings, line);
	}
	return g_steal_pointer(&imp);
}

/* ----------------------------------------------------------- the child */

static gboolean
write_all(int fd, const char *p, gsize n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return FALSE;
		p += w;
		n -= (gsize)w;
	}
	return TRUE;
}

/* Bytes of address space the process has now (VmSize). */
static guint64
address_space(void)
{
	char buf[64] = { 0 };
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	return g_ascii_strtoull(buf, NULL, 10) * (guint64)sysconf(_SC_PAGESIZE);
}

/* Resident bytes of this process now. */
static guint64
resident(void)
{
	g_autofree char *statm = NULL;
	g_auto(GStrv) f = NULL;

	if (!g_file_get_contents("/proc/self/statm", &statm, NULL, NULL))
		return 0;
	f = g_strsplit(statm, " ", 3);
	if (f[0] == NULL || f[1] == NULL)
		return 0;
	return g_ascii_strtoull(f[1], NULL, 10) *
	       (guint64)sysconf(_SC_PAGESIZE);
}

static void
set_limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	(void)setrlimit(resource, &rl);
}

/* The child: confines itself, parses, answers on ANSWER_FD and exits.
 * Only _exit: atexit handlers and stdio buffers are not the child's. */
static void G_GNUC_NORETURN
child_main(const char *data, gsize len, const char *base_url, gint64 now,
           gboolean series, const EvfImportFilter *filter)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EvfImport) imp = NULL;
	g_autoptr(GVariant) answer = NULL;
	sigset_t all;
	guint64 as;

	/* Descriptors: 0, 1 and 2 are /dev/null (libical prints warnings
	 * about hostile input, as many as the input likes; sanitizer
	 * reports are kept), the answer is on 3, and nothing else. */
#ifdef SYS_close_range
	if (syscall(SYS_close_range, ANSWER_FD + 1U, ~0U, 0U) < 0)
#endif
		for (int i = ANSWER_FD + 1; i < 65536; i++)
			close(i);

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGXCPU, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGABRT, SIG_DFL);
	/* A write to a file fails instead of killing us (RLIMIT_FSIZE). */
	signal(SIGXFSZ, SIG_IGN);

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	as = address_space();
	set_limit(RLIMIT_CORE, 0, 0);
	set_limit(RLIMIT_CPU, CHILD_CPU_SECONDS, CHILD_CPU_SECONDS + 1);
	set_limit(RLIMIT_FSIZE, 0, 0);
	set_limit(RLIMIT_NOFILE, CHILD_FILES, CHILD_FILES);
#ifndef EVF_ASAN
	/* The budget is on top of what the program has mapped at start.
	 * AddressSanitizer reserves terabytes of shadow memory, so under
	 * it only the other limits apply. */
	set_limit(RLIMIT_AS, (rlim_t)(as + CHILD_MEMORY),
	          (rlim_t)(as + CHILD_MEMORY));
#else
	(void)as;
#endif

	imp = parse_calendar(data, len, base_url, now, series, filter, &error);
	if (imp == NULL && error == NULL)
		_exit(122);
	answer = g_variant_ref_sink(answer_variant(imp, error));
	if (!write_all(ANSWER_FD, g_variant_get_data(answer),
	               g_variant_get_size(answer)))
		_exit(121);
	_exit(0);
}

/* The child's way in: runs before main() in every program built with
 * this library, and does nothing unless the program was started as a
 * child (CHILD_ENV set). */
static void __attribute__((constructor)) child_entry(void)
{
	const char *spec = getenv(CHILD_ENV);
	const char *base = getenv(BASE_ENV);
	const char *words = getenv(FILTER_ENV);
	const char *data = "";
	EvfImportFilter filter = { NULL, NULL };
	struct stat st;
	gsize len = 0;

	if (spec == NULL)
		return;
	if (fstat(INPUT_FD, &st) < 0 || st.st_size < 0)
		_exit(123);
	if (st.st_size > 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		               INPUT_FD, 0);

		if (p == MAP_FAILED)
			_exit(123);
		data = p;
		len = (gsize)st.st_size;
	}
	close(INPUT_FD);
	if (words != NULL) {
		guint64 n = g_ascii_strtoull(words, NULL, 10);
		GVariant *v;

		if (n == 0 || n > len)
			_exit(123);
		v = g_variant_new_from_data(G_VARIANT_TYPE("(asas)"), data, n,
		                            FALSE, NULL, NULL);
		if (!g_variant_is_normal_form(v))
			_exit(123);
		g_variant_get(v, "(^as^as)", &filter.include, &filter.exclude);
		evf_import_filter_fold(&filter);
		data += n;
		len -= n;
	}
	child_main(data, len, base != NULL && base[0] != '\0' ? base : NULL,
	           g_ascii_strtoll(spec + 1, NULL, 10), spec[0] == '1',
	           words != NULL ? &filter : NULL);
}

/* --------------------------------------------------------- the parent */

typedef enum {
	READ_EOF,
	READ_TIMEOUT,
	READ_TOO_LARGE,
	READ_ERROR,
} ReadEnd;

static ReadEnd
read_answer(int fd, gint64 deadline, GByteArray *buf, int *err)
{
	char chunk[65536];

	for (;;) {
		gint64 left = deadline - g_get_monotonic_time();
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;
		int r;

		if (left <= 0)
			return READ_TIMEOUT;
		r = poll(&p, 1, (int)MIN(left / 1000 + 1, 1000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = errno;
			return READ_ERROR;
		}
		if (r == 0)
			continue;
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			*err = errno;
			return READ_ERROR;
		}
		if (n == 0)
			return READ_EOF;
		if (buf->len + (gsize)n > ANSWER_MAX)
			return READ_TOO_LARGE;
		g_byte_array_append(buf, (const guint8 *)chunk, (guint)n);
	}
}

static void
reaped_late(GPid pid, gint status, gpointer data)
{
	g_spawn_close_pid(pid);
}

/* Reaps @pid, killing it at @deadline. A child that a SIGKILL does not
 * end within a second (stuck in the kernel) is left to the main loop to
 * reap, so that the caller never waits much longer than the deadline;
 * FALSE then, and when it cannot be waited for (SIGCHLD ignored). */
static gboolean
reap(pid_t pid, gint64 deadline, int *status, struct rusage *ru)
{
	gboolean killed = FALSE;

	for (;;) {
		pid_t r = wait4(pid, status, WNOHANG, ru);
		gint64 now = g_get_monotonic_time();

		if (r == pid)
			return TRUE;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return FALSE;
		if (!killed && now >= deadline) {
			kill(pid, SIGKILL);
			killed = TRUE;
		}
		if (killed && now >= deadline + G_USEC_PER_SEC) {
			g_child_watch_add(pid, reaped_late, NULL);
			return FALSE;
		}
		g_usleep(1000);
	}
}

/* The program to run as the child: this one. The link's target rather
 * than /proc/self/exe itself, which under valgrind is the tool. */
static const char *
self_path(void)
{
	static char *path;

	if (g_once_init_enter(&path)) {
		char *p = g_file_read_link("/proc/self/exe", NULL);

		if (p == NULL || !g_path_is_absolute(p) ||
		    g_str_has_suffix(p, " (deleted)")) {
			g_free(p);
			p = g_strdup("/proc/self/exe");
		}
		g_once_init_leave(&path, p);
	}
	return path;
}

/* A copy of @fd at 5 or above, close-on-exec, so that the child's dup2()
 * onto 0–4 neither clobbers it nor is a no-op that keeps the flag. */
static int
high_fd(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, INPUT_FD + 1);

	close(fd);
	return h;
}

/* Starts the child on @data; its answer comes on *@answer_fd. Any thread
 * may call this: between fork() and exec only async-signal-safe calls
 * run, with everything they need made before. -1 with errno set. */
static pid_t
spawn_child(const char *data, gsize len, const char *base_url, gint64 now,
            gboolean series, const EvfImportFilter *filter, int *answer_fd)
{
	/* (and the zones' folder, which GLib reads as the parent does) */
	static const char *const kept[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS",
		                            "LSAN_OPTIONS", "TZDIR" };
	g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free);
	char *argv[] = { (char *)"evfeed (iCalendar parser)", NULL };
	const char *path = self_path();
	int fds[2] = { -1, -1 }, input = -1, null = -1, e;
	pid_t pid = -1;
	g_autoptr(GVariant) words = NULL;

	g_ptr_array_add(env, g_strdup_printf("%s=%d %" G_GINT64_FORMAT,
	                                     CHILD_ENV, series ? 1 : 0, now));
	g_ptr_array_add(
	    env,
	    g_strconcat(BASE_ENV, "=", base_url != NULL ? base_url : "", NULL));
	if (evf_import_filter_chooses(filter)) {
		static const char *const none[] = { NULL };

		words = g_variant_ref_sink(
		    g_variant_new("(^as^as)",
		                  filter->include != NULL
		                      ? (const char *const *)filter->include
		                      : none,
		                  filter->exclude != NULL
		                      ? (const char *const *)filter->exclude
		                      : none));
		g_ptr_array_add(env,
		                g_strdup_printf("%s=%zu", FILTER_ENV,
		                                g_variant_get_size(words)));
	}
	/* The child reads no local time either, and without TZ glibc would
	 * read /etc/localtime, whose leap seconds, in a right/ zone, it
	 * counts in gmtime() (posix_clock in main.c): a calendar's own
	 * VTIMEZONE was sampled 27 s off and no longer known as its zone. */
	g_ptr_array_add(env, g_strdup("TZ=" EVF_POSIX_UTC));
	for (gsize i = 0; i < G_N_ELEMENTS(kept); i++) {
		const char *v = g_getenv(kept[i]);

		if (v != NULL)
			g_ptr_array_add(env,
			                g_strconcat(kept[i], "=", v, NULL));
	}
	g_ptr_array_add(env, NULL);

	input = memfd_create("evfeed-calendar", MFD_CLOEXEC);
	if (input < 0 ||
	    (words != NULL && !write_all(input, g_variant_get_data(words),
	                                 g_variant_get_size(words))) ||
	    !write_all(input, data, len) || (input = high_fd(input)) < 0)
		goto fail;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || (null = high_fd(null)) < 0)
		goto fail;
	if (pipe2(fds, O_CLOEXEC) < 0 || (fds[1] = high_fd(fds[1])) < 0)
		goto fail;
	pid = fork();
	if (pid == 0) {
		if (dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
#ifndef EVF_ASAN
		    dup2(null, 2) < 0 ||
#endif
		    dup2(fds[1], ANSWER_FD) < 0 || dup2(input, INPUT_FD) < 0)
			_exit(124);
		execve(path, argv, (char **)env->pdata);
		_exit(125);
	}
fail:
	e = errno;
	if (input >= 0)
		close(input);
	if (null >= 0)
		close(null);
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid < 0 && fds[0] >= 0)
		close(fds[0]);
	*answer_fd = pid < 0 ? -1 : fds[0];
	errno = e;
	return pid;
}

/* Either mode, parsed in a child. */
static EvfImport *
parse_sandboxed(const char *data, gsize len, const char *base_url, gint64 now,
                gboolean series, const EvfImportFilter *filter, GError **error)
{
	g_autofree char *why = NULL;
	g_autofree char *utf8 = NULL;
	g_autoptr(GByteArray) buf = NULL;
	g_autoptr(GBytes) answer = NULL;
	struct rusage ru = { 0 };
	gint64 deadline;
	guint64 rss;
	ReadEnd end;
	int fd = -1, status = 0, read_errno = 0;
	gboolean reaped;
	pid_t pid;
	const char *problem = NULL;
	g_autofree char *detail = NULL;

	g_return_val_if_fail(data != NULL || len == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* UTF-16 with a byte order mark, as some exports write it: to
	 * UTF-8, which RFC 5545 §3.1.4 has for iCalendar. */
	if (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 ||
	                 memcmp(data, "\xfe\xff", 2) == 0)) {
		gsize n = 0;

		utf8 = evf_charset_to_utf8(data, len, "UTF-16", &n);
		if (utf8 == NULL) {
			g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
			            "the calendar was refused: invalid UTF-16");
			return NULL;
		}
		data = utf8;
		len = n;
	}
	/* Cheap refusals need no child. */
	why = evf_import_ics_precheck(data, len);
	if (why != NULL) {
		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
		            "the calendar was refused: %s", why);
		return NULL;
	}
	rss = resident();
	deadline = g_get_monotonic_time() + DEADLINE_SECONDS * G_USEC_PER_SEC;
	pid = spawn_child(data, len, base_url, now, series, filter, &fd);
	if (pid < 0) {
		int e = errno;

		g_set_error(error, EVF_ERROR, EVF_ERROR_FAILED,
		            "cannot parse the calendar: cannot start the "
		            "parser: %s",
		            g_strerror(e));
		return NULL;
	}
	buf = g_byte_array_new();
	end = read_answer(fd, deadline, buf, &read_errno);
	close(fd);
	if (end != READ_EOF) {
		kill(pid, SIGKILL);
		deadline = MIN(deadline, g_get_monotonic_time());
	}
	reaped = reap(pid, deadline, &status, &ru);

	if (end == READ_TIMEOUT) {
		problem = "the parser took longer than the time limit";
		detail = g_strdup_printf("%d s", DEADLINE_SECONDS);
	} else if (end == READ_TOO_LARGE) {
		problem = "the parser's answer is too large";
		detail = g_strdup_printf("more than %d MiB",
		                         ANSWER_MAX / 1024 / 1024);
	} else if (reaped && WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		gint64 cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec;
		guint64 grown = (guint64)ru.ru_maxrss * 1024;

		grown = grown > rss ? grown - rss : 0;
		if (sig == SIGXCPU ||
		    (sig == SIGKILL && cpu >= CHILD_CPU_SECONDS)) {
			problem = "the parser was killed";
			detail = g_strdup("CPU limit");
		} else if (grown >= CHILD_MEMORY / 2) {
			problem = "the parser ran out of memory";
			detail = g_strdup("memory limit");
		} else {
			problem = "the parser crashed";
			detail = g_strdup_printf("signal %d, %s", sig,
			                         g_strsignal(sig));
		}
	} else if (reaped && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		problem = "the parser failed";
		detail = g_strdup_printf("exit status %d", WEXITSTATUS(status));
	} else if (end == READ_ERROR) {
		problem = "the parser's answer could not be read";
		detail = g_strdup(g_strerror(read_errno));
	}
	if (problem != NULL) {
		g_set_error(error, EVF_ERROR, EVF_ERROR_INVALID,
		            "the calendar could not be parsed: %s (%s)",
		            problem, detail);
		return NULL;
	}
	answer = g_byte_array_free_to_bytes(g_steal_pointer(&buf));
	return import_from_answer(answer, base_url,
	                          series ? MAX_VEVENTS : EVF_IMPORT_MAX_ITEMS,
	                          error);
}

EvfImport *
evf_import_ics(const char *data, gsize len, const char *base_url, gint64 now,
               GError **error)
{
	return parse_sandboxed(data, len, base_url, now, FALSE, NULL, error);
}

EvfImport *
evf_import_ics_filtered(const char *data, gsize len, const char *base_url,
                        gint64 now, const EvfImportFilter *filter,
                        GError **error)
{
	return parse_sandboxed(data, len, base_url, now, FALSE, filter, error);
}

/* Series mode has no window: "now" only orders events under a cap that
 * the pre-check's limit on VEVENTs already enforces. */
EvfImport *
evf_import_ics_series(const char *data, gsize len, const char *base_url,
                      GError **error)
{
	return parse_sandboxed(data, len, base_url, 0, TRUE, NULL, error);
}

EvfImport *
evf_import_ics_series_unsandboxed(const char *data, gsize len,
                                  const char *base_url, GError **error)
{
	return parse_calendar(data, len, base_url, 0, TRUE, NULL, error);
}
