#!/bin/sh
# build.sh: `evfeed check` and `evfeed build` on the bundled sample: exit
# statuses, the output layout, files written only when their bytes change,
# deterministic .gz siblings, removal of files no longer produced, and the
# command line (--help, --version, usage errors).
. "$top_srcdir/tests/integration/lib.sh"

tmp=$(mktmp)
mkdir "$tmp/events"
cp "$top_srcdir"/feeds/events/*.md "$tmp/events/"
write_config "$tmp" "$tmp/events"
conf=$tmp/evfeed.conf
pub=$tmp/public

"$EVFEED" --version | grep -q '^evfeed 0\.1\.0$'
ok $? "--version"
"$EVFEED" --help | grep -q 'check' && "$EVFEED" --help | grep -q 'serve'
ok $? "--help lists the commands"
"$EVFEED" --config "$conf" frobnicate 2>/dev/null
test $? -eq 2
ok $? "unknown command: exit 2"
"$EVFEED" 2>/dev/null
test $? -eq 2
ok $? "no command: exit 2"
"$EVFEED" --no-such-option build 2>/dev/null
test $? -eq 2
ok $? "unknown option: exit 2"
"$EVFEED" --config= check 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: --config: give the configuration file's name" "$tmp/err"
ok $? "an empty --config: exit 2, the option named" || diag_file "$tmp/err"
"$EVFEED" --config "$conf" fetch ub zz 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: fetch: unexpected argument 'zz'" "$tmp/err"
ok $? "fetch with two sources: exit 2 naming the second"
"$EVFEED" --config "$conf" sources ub 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: sources: unexpected argument 'ub'" "$tmp/err"
ok $? "sources with an argument: exit 2 naming it"
# An option of another command is refused: `build -n`, read as a preview,
# published everything.
"$EVFEED" --config "$conf" build -n >"$tmp/out" 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: build: --dry-run is an option of 'import' only" "$tmp/err" &&
	test ! -e "$pub"
ok $? "build -n: exit 2, nothing written"
"$EVFEED" --config "$conf" buidl -n >/dev/null 2>"$tmp/err"
test $? -eq 2 && grep -q "unknown command 'buidl'" "$tmp/err"
ok $? "a mistyped command with an option: the command is named"
"$EVFEED" --config "$conf" fecth good >/dev/null 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: unknown command 'fecth'" "$tmp/err"
ok $? "a mistyped command with an argument: the command is named" ||
	diag_file "$tmp/err"
# usage errors are found before the configuration is read: exit 2
mkdir -p "$tmp/noconf"
(cd "$tmp/noconf" && "$EVFEED" new "Title" >/dev/null 2>"$tmp/err")
test $? -eq 2 && grep -q '^evfeed: new: --start DATE is required' "$tmp/err"
ok $? "new without --start and without a configuration: exit 2, --start named" ||
	diag_file "$tmp/err"
"$EVFEED" --config "$conf" serve --listen= >/dev/null 2>"$tmp/err"
test $? -eq 2 && grep -q '^evfeed: --listen: give the address and port' "$tmp/err"
ok $? "an empty --listen: exit 2, the option named" || diag_file "$tmp/err"
# --listen is checked as [server] listen is, not handed to the resolver:
# an address serve cannot listen on (exit 1), before anything is built
"$EVFEED" --config "$conf" serve --listen 8080 >/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -qx "evfeed: error: --listen '8080': a port alone: give the address to listen on with it, such as 127.0.0.1:8080" "$tmp/err" &&
	test ! -e "$pub"
ok $? "--listen with a port alone: exit 1, said as for [server] listen" ||
	diag_file "$tmp/err"
"$EVFEED" --config "$conf" serve -l "$(printf '127.0.0.1:0\033')" >/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -q "^evfeed: error: --listen '127.0.0.1:0\\\\x1b': not an address and port" "$tmp/err" &&
	! grep -q "$(printf '\033')" "$tmp/err"
ok $? "--listen with a control character: exit 1, shown as \\xhh" ||
	diag_file "$tmp/err"
"$EVFEED" --config "$conf" fetch "$(printf 'x\033[31my')" >/dev/null 2>"$tmp/err"
grep -q "no enabled source called 'x\\\\x1b\[31my'" "$tmp/err" && ! grep -q "$(printf '\033')" "$tmp/err"
ok $? "fetch of a source name with a control character: shown as \\xhh" ||
	diag_file "$tmp/err"
# "-h" as an option's value is the value: the help is not printed
"$EVFEED" -c -h check >"$tmp/out" 2>"$tmp/err"
test $? -eq 1 && ! grep -q 'Usage' "$tmp/out" && grep -q '^-h: error: ' "$tmp/err"
ok $? "-c -h: a configuration named '-h', not the help" || diag_file "$tmp/err"
"$EVFEED" --config "$conf" check --category X 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: check: --category is an option of 'new' only" "$tmp/err"
ok $? "check --category: exit 2 naming it"
"$EVFEED" --config "$conf" import --start 2027-01-01 "$tmp/none.ics" 2>"$tmp/err"
test $? -eq 2 && grep -qx "evfeed: import: --start is an option of 'new' only" "$tmp/err"
ok $? "import --start: exit 2 naming it"
"$EVFEED" --config "$conf" check --listen 127.0.0.1:0 >/dev/null 2>&1
ok $? "check --listen: ignored, as evfeed(1) says"
"$EVFEED" --config "$tmp/missing.conf" check 2>"$tmp/err"
test $? -eq 1 && grep -q 'missing.conf' "$tmp/err"
ok $? "missing config: exit 1 naming it"
# A configuration not read at all (missing, a folder, in UTF-16) is
# counted as the others are, and build says nothing was written; with no
# --config and no evfeed.conf in the folder, how to give one is said.
"$EVFEED" --config "$tmp/missing.conf" build 2>"$tmp/err"
test $? -eq 1 && test "$(tail -n 1 "$tmp/err")" = "evfeed: 1 error; nothing was written"
ok $? "missing config: build counts it, and says nothing was written" ||
	diag_file "$tmp/err"
"$EVFEED" --config "$tmp" check 2>"$tmp/err"
test $? -eq 1 && test "$(tail -n 1 "$tmp/err")" = "evfeed: 1 error"
ok $? "a folder for the config: check counts it" || diag_file "$tmp/err"
printf '[site]\ntitle=U16\n' | iconv -t UTF-16 >"$tmp/u16.conf"
"$EVFEED" --config "$tmp/u16.conf" check 2>"$tmp/err"
test $? -eq 1 && grep -q 'UTF-16' "$tmp/err" &&
	test "$(tail -n 1 "$tmp/err")" = "evfeed: 1 error"
ok $? "a config in UTF-16: said, and counted" || diag_file "$tmp/err"
mkdir "$tmp/no-config"
(cd "$tmp/no-config" && "$EVFEED" check) 2>"$tmp/err"
test $? -eq 1 && grep -q 'give the configuration with --config FILE' "$tmp/err"
ok $? "no --config and no evfeed.conf here: how to give one is said" ||
	diag_file "$tmp/err"
for command in sources fetch serve; do
	(cd "$tmp/no-config" && with_timeout 30 "$EVFEED" $command) 2>"$tmp/err" >/dev/null
	test $? -ne 0 && grep -q 'give the configuration with --config FILE' "$tmp/err"
	ok $? "no evfeed.conf here: $command says how to give one too" ||
		diag_file "$tmp/err"
done
# A short option's value written on to it, as getopt(3) takes it; a value
# given apart that begins with a dash is still that value.
"$EVFEED" -c"$tmp/missing.conf" check 2>"$tmp/err"
test $? -eq 1 && grep -q 'missing.conf' "$tmp/err"
ok $? "-cFILE: FILE is the configuration"
"$EVFEED" check -c"$conf" >/dev/null 2>&1
ok $? "check -cFILE passes on the sample"

"$EVFEED" check --config "$conf" >"$tmp/out" 2>&1
ok $? "check passes on the sample"

"$EVFEED" build --config "$conf" >"$tmp/out" 2>"$tmp/err"
ok $? "build passes on the sample"
grep -q 'https://events.example.org/calendar.ics' "$tmp/out" &&
	grep -q 'webcal://events.example.org/calendar.ics' "$tmp/out"
ok $? "build prints how to subscribe"

for f in calendar.ics rss.xml atom.xml \
	category/conference/calendar.ics category/conference/rss.xml \
	category/conference/atom.xml category/criminal-justice/calendar.ics; do
	test -s "$pub/$f" && test -s "$pub/$f.gz" &&
		gzip -dc "$pub/$f.gz" | cmp -s - "$pub/$f"
	ok $? "$f and its .gz sibling"
done
# The one-event calendars are small and fetched once: no .gz.
for f in events/2018-09-25-criminal-justice-security-conference.ics \
	events/2018-06-28-illicit-financial-flows-zagreb.ics \
	events/2018-05-22-counter-terrorism-challenges-see.ics; do
	test -s "$pub/$f" && test ! -e "$pub/$f.gz"
	ok $? "$f, without a .gz sibling"
done
test ! -e "$pub/events/tba-cultural-property-trafficking-workshop.ics"
ok $? "no one-event file for the tba event"
test -z "$(find "$pub" -name '.*')"
ok $? "no temporary files left"

# Unchanged inputs: nothing rewritten (same inodes, same mtimes).
ls -li --time-style=full-iso -R "$pub" >"$tmp/before"
sleep 1
"$EVFEED" build --config "$conf" >"$tmp/out" 2>&1
ok $? "rebuild passes"
grep -q 'nothing changed' "$tmp/out"
ok $? "an unchanged rebuild says so"
ls -li --time-style=full-iso -R "$pub" >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after"
ok $? "an unchanged rebuild touches no file"

# A deleted output file comes back.
rm "$pub/rss.xml"
"$EVFEED" build --config "$conf" >/dev/null 2>&1 && test -s "$pub/rss.xml"
ok $? "a deleted output file is written again"

# An edit rewrites the files that change, and only those.
tree_sums "$pub" >"$tmp/sums1"
f=$tmp/events/2018-06-28-illicit-financial-flows-zagreb.md
sed 's/^location: .*/location: Zagreb, Croatia (moved)/' "$f" >"$f.new" && mv "$f.new" "$f"
"$EVFEED" build --config "$conf" >"$tmp/out" 2>&1
ok $? "build after an edit"
tree_sums "$pub" >"$tmp/sums2"
changed=$(diff "$tmp/sums1" "$tmp/sums2" | grep -c '^>')
w1=$(grep ' ./category/workshop/rss.xml$' "$tmp/sums1")
w2=$(grep ' ./category/workshop/rss.xml$' "$tmp/sums2")
test -n "$w1" && test "$w1" = "$w2"
ok $? "a category without the edited event is untouched"
# (its pages too: their footer gives the category's last change, not the
# site's, which this edit, a second or more after the first build, moved)
pages_same=1
for p in index.html archive.html index.html.gz archive.html.gz; do
	p1=$(grep " ./category/workshop/$p\$" "$tmp/sums1")
	p2=$(grep " ./category/workshop/$p\$" "$tmp/sums2")
	if [ -z "$p1" ] || [ "$p1" != "$p2" ]; then
		pages_same=0
		diag "category/workshop/$p: '$p1' then '$p2'"
	fi
done
test "$pages_same" = 1
ok $? "a category without the edited event keeps its pages"
p1=$(grep ' ./index.html$' "$tmp/sums1")
p2=$(grep ' ./index.html$' "$tmp/sums2")
test -n "$p1" && test "$p1" != "$p2"
ok $? "the site's page, which lists the edited event, changes"
test "$changed" -gt 0 && grep -q "wrote $changed of" "$tmp/out"
ok $? "build reports the $changed files it rewrote"

# A removed event's files go; a category nobody uses any more goes.
rm "$tmp/events/2018-06-28-illicit-financial-flows-zagreb.md"
"$EVFEED" build --config "$conf" >/dev/null 2>"$tmp/err"
ok $? "build after a removal"
! grep -q 'warning' "$tmp/err"
ok $? "no warning: the event had ended" || diag_file "$tmp/err"
test ! -e "$pub/events/2018-06-28-illicit-financial-flows-zagreb.ics" &&
	test ! -e "$pub/events/2018-06-28-illicit-financial-flows-zagreb.ics.gz"
ok $? "the removed event's file is gone"
! grep -q 'Zagreb' "$pub/calendar.ics"
ok $? "the calendar no longer lists it"
# The category only it used keeps its calendar and feeds, empty, for 90
# days, so that its subscribers' calendar programs drop the event (a 404
# left them showing it for ever); the site's pages no longer link to it.
cat_dir=$pub/category/illicit-financial-flows
for f in calendar.ics rss.xml atom.xml calendar.json feed.json index.html; do
	test -s "$cat_dir/$f" || echo "$f"
done >"$tmp/missing"
test ! -s "$tmp/missing" &&
	! grep -q '^BEGIN:VEVENT' "$cat_dir/calendar.ics" &&
	grep -q '^X-WR-CALNAME:Test Events: illicit financial flows' "$cat_dir/calendar.ics" &&
	! grep -q '<item>' "$cat_dir/rss.xml" &&
	! grep -q '<entry>' "$cat_dir/atom.xml" &&
	! grep -q 'category/illicit-financial-flows/' "$pub/index.html"
ok $? "the category only it used keeps its calendar and feeds, empty" ||
	diag_file "$tmp/missing"
(cd "$cat_dir" && cksum calendar.ics rss.xml atom.xml) >"$tmp/kept1"
f=$tmp/events/2018-09-25-criminal-justice-security-conference.md
test -f "$f" || bail_out "no $f"
cp "$f" "$tmp/conference.orig"
printf '\nThe room changed.\n' >>"$f"
"$EVFEED" build --config "$conf" >/dev/null 2>&1
(cd "$cat_dir" && cksum calendar.ics rss.xml atom.xml) >"$tmp/kept2"
test -s "$tmp/kept1" && cmp -s "$tmp/kept1" "$tmp/kept2"
ok $? "an edit elsewhere leaves the emptied category's calendar and feeds as they were"
# 90 days on (the state's time of the emptying, and the time up to which
# the output holds, moved back as they would be then): it goes.
state_left_ago "$tmp/state.db" category/illicit-financial-flows 91 ||
	bail_out "cannot move the state's times back"
"$EVFEED" build --config "$conf" >/dev/null 2>&1 && test ! -e "$cat_dir" &&
	test -s "$pub/category/conference/calendar.ics"
ok $? "90 days after it lost its last event, the category is gone"
cp "$tmp/conference.orig" "$f"
"$EVFEED" build --config "$conf" >/dev/null 2>&1

# A category whose address (category/c/) the last build published under
# another name ("C++", gone from every file): said at the file, as its
# subscribers get the new one's events; not for the same name in another
# case or respelt alike (a no-break space made a space), nor once the old
# one has been gone 90 days.
tk=$tmp/taken
mkdir -p "$tk/events"
write_config "$tk" "$tk/events"
cat_file() { printf -- '---\ntitle: %s\nstart: 2031-05-0%s\ncategories: [%s]\n---\n' "$2" "$3" "$4" >"$tk/events/$1.md"; }
cat_file a Alpha 1 'C++'
cat_file c Gamma 3 Workshop
cat_file d Delta 4 'Old Name'
cat_file f Phi 6 "$(printf 'Open\302\240Day')"
cat_file g Gee 7 go
"$EVFEED" build --config "$tk/evfeed.conf" >/dev/null 2>"$tk/err1"
cat_file a Alpha 1 misc
cat_file b Beta 2 'misc, C#'
cat_file c Gamma 3 WORKSHOP
cat_file d Delta 4 misc
cat_file f Phi 6 'Open Day'
cat_file g Gee 7 'Go!'
"$EVFEED" build --config "$tk/evfeed.conf" >/dev/null 2>"$tk/err2"
st=$?
"$EVFEED" build --config "$tk/evfeed.conf" >/dev/null 2>"$tk/err3"
test $st -eq 0 && ! grep -q 'takes the address' "$tk/err1" &&
	grep -q "b\.md:4:20: warning: category 'C#' takes the address category/c/ of category 'C++', which the last build published: its subscribers get this category's events from now on" "$tk/err2" &&
	grep -q "g\.md:4:14: warning: category 'Go!' takes the address category/go/ of category 'go'" "$tk/err2" &&
	test "$(grep -c 'takes the address' "$tk/err2")" = 2 &&
	! grep -q 'takes the address' "$tk/err3" &&
	grep -q '^X-WR-CALNAME:.*: C#' "$tk/public/category/c/calendar.ics"
ok $? "a category under the address of another the last build published: a warning at its file, once" || {
	diag_file "$tk/err2"
	diag_file "$tk/err3"
}
# A category that the last build published at another address under a
# name that looks alike (an older evfeed made 'crimi-nal-justice' of a
# soft hyphen in the word, which addresses now leave out): said at its
# file, with both addresses.
cat_file h Eta 8 "$(printf 'Crimi\302\255nal justice')"
"$EVFEED" build --config "$tk/evfeed.conf" >/dev/null 2>"$tk/err-h1"
"${PYTHON3:-/usr/bin/python3}" - "$tk/state.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE meta SET key = 'category/crimi-nal-justice' WHERE key = 'category/criminal-justice'")
db.commit()
PY
printf 'More.\n' >>"$tk/events/h.md"
"$EVFEED" build --config "$tk/evfeed.conf" >/dev/null 2>"$tk/err-h2"
st=$?
test $st -eq 0 && ! grep -q 'no longer at' "$tk/err-h1" &&
	grep -q "h\.md:4:14: warning: category 'Crimi.*nal justice' is at category/criminal-justice/ now, no longer at category/crimi-nal-justice/" "$tk/err-h2"
ok $? "a category whose address an older slug made: a warning with both addresses" || {
	diag_file "$tk/err-h1"
	diag_file "$tk/err-h2"
}
# Of two spellings of one category, one with a character that shows as
# nothing (which its warning says to delete) does not name it, even where
# its file comes first.
nm=$tmp/naming
mkdir -p "$nm/events"
write_config "$nm" "$nm/events"
printf -- '---\ntitle: A\nstart: 2031-05-01\nuid: a-1@example.org\ncategories: ["Open\342\201\240 Day", "Tea\315\217 Time"]\n---\n' >"$nm/events/a.md"
printf -- '---\ntitle: B\nstart: 2031-05-02\nuid: b-2@example.org\ncategories: [Open Day, Tea Time]\n---\n' >"$nm/events/b.md"
"$EVFEED" build --config "$nm/evfeed.conf" >/dev/null 2>"$nm/err"
st=$?
test $st -eq 0 &&
	grep -q '^X-WR-CALNAME:Test Events: Open Day' "$nm/public/category/open-day/calendar.ics" &&
	grep -q '^X-WR-CALNAME:Test Events: Tea Time' "$nm/public/category/tea-time/calendar.ics" &&
	test "$(grep -c '^BEGIN:VEVENT' "$nm/public/category/open-day/calendar.ics")" = 2
ok $? "a category is named by its spelling without an invisible character" ||
	diag_file "$nm/err"
# Two categories that look alike and have two addresses (H₂O, H2O): one
# that loses its events has not moved to the other's.
hh=$tmp/h2o
mkdir -p "$hh/events"
write_config "$hh" "$hh/events"
printf -- '---\ntitle: P\nstart: 2031-05-01\ncategories: ["H\342\202\202O"]\n---\n' >"$hh/events/p.md"
printf -- '---\ntitle: Q\nstart: 2031-05-02\ncategories: [H2O]\n---\n' >"$hh/events/q.md"
"$EVFEED" build --config "$hh/evfeed.conf" >/dev/null 2>"$hh/err1"
printf -- '---\ntitle: P\nstart: 2031-05-01\ncategories: [misc]\n---\n' >"$hh/events/p.md"
"$EVFEED" build --config "$hh/evfeed.conf" >/dev/null 2>"$hh/err2"
st=$?
test $st -eq 0 && ! grep -q 'no longer at' "$hh/err2"
ok $? "a category that loses its events beside one that looks alike at another address: no 'moved' warning" ||
	diag_file "$hh/err2"
# A folder whose name a new state could not read (the site's title
# changed too) stays of a name not known while it is kept: its category
# back under its name takes no one's address.
un=$tmp/unknown
mkdir -p "$un/events"
write_config "$un" "$un/events"
printf -- '---\ntitle: A\nstart: 2031-05-01\ncategories: [C++]\n---\n' >"$un/events/a.md"
"$EVFEED" build --config "$un/evfeed.conf" >/dev/null 2>&1
printf -- '---\ntitle: A\nstart: 2031-05-01\ncategories: [misc]\n---\n' >"$un/events/a.md"
rm -f "$un"/state.db*
sed -i 's/^title=.*/title=Other Events/' "$un/evfeed.conf"
"$EVFEED" build --config "$un/evfeed.conf" >/dev/null 2>"$un/err1"
printf -- '---\ntitle: A\nstart: 2031-05-01\nend: 2031-05-02\ncategories: [misc]\n---\n' >"$un/events/a.md"
"$EVFEED" build --config "$un/evfeed.conf" >/dev/null 2>"$un/err2"
printf -- '---\ntitle: A\nstart: 2031-05-01\ncategories: [C++]\n---\n' >"$un/events/a.md"
"$EVFEED" build --config "$un/evfeed.conf" >/dev/null 2>"$un/err3"
st=$?
test $st -eq 0 && ! grep -q 'takes the address' "$un/err2" &&
	! grep -q 'takes the address' "$un/err3" &&
	grep -q '^X-WR-CALNAME:Other Events: C++' "$un/public/category/c/calendar.ics"
ok $? "a category back at a folder whose name a new state did not know: no 'takes the address' warning" || {
	diag_file "$un/err2"
	diag_file "$un/err3"
}
state_left_ago "$tk/state.db" category/old-name 91 ||
	bail_out "cannot move the state's times back"
cat_file e Epsilon 5 Old-Name
"$EVFEED" build --config "$tk/evfeed.conf" >/dev/null 2>"$tk/err4"
st=$?
test $st -eq 0 && ! grep -q 'takes the address' "$tk/err4" &&
	test -s "$tk/public/category/old-name/calendar.ics"
ok $? "a category under the address of one gone 90 days: no warning" ||
	diag_file "$tk/err4"

# An upcoming event that leaves the calendars, which subscribers' calendar
# programs do not learn of: said, with the way to call an event off; not
# for one renamed with its uid kept, whose name ends in digits or not.
mkdir -p "$tmp/gone/events"
write_config "$tmp/gone" "$tmp/gone/events"
for n in a meeting-202705021000 c; do
	printf -- '---\ntitle: Upcoming %s\nstart: 2031-05-02\nuid: u-%s\n---\n' "$n" "$n" \
		>"$tmp/gone/events/$n.md"
done
"$EVFEED" build --config "$tmp/gone/evfeed.conf" >/dev/null 2>&1 &&
	rm "$tmp/gone/events/a.md" "$tmp/gone/events/meeting-202705021000.md" &&
	mv "$tmp/gone/events/c.md" "$tmp/gone/events/c-renamed.md" &&
	"$EVFEED" build --config "$tmp/gone/evfeed.conf" >/dev/null 2>"$tmp/err" &&
	grep -q "warning: the event of a.md (its calendar events/a.ics) is gone, its file removed or renamed: it leaves the calendars, but subscribers' calendar programs keep it; to call an event off, keep its file with status: cancelled" "$tmp/err" &&
	grep -q "warning: the event of meeting-202705021000.md (its calendar events/meeting-202705021000.ics) is gone" "$tmp/err" &&
	! grep -q 'events/c.ics' "$tmp/err"
ok $? "an upcoming event removed is warned of, one renamed with its uid is not"
diag_file "$tmp/err"

# A series whose last occurrence (COUNT or UNTIL) is over goes without a
# warning, as an ended event does; one still running, or without an end,
# is warned of.
mkdir -p "$tmp/series-gone/events"
sg=$tmp/series-gone
write_config "$sg" "$sg/events"
printf -- '---\ntitle: Past series\nstart: 2020-01-07T10:00\nend: 2020-01-07T11:00\nrecurrence: FREQ=WEEKLY;COUNT=3\n---\n' \
	>"$sg/events/past-count.md"
printf -- '---\ntitle: Past days\nstart: 2020-03-02\nrecurrence: FREQ=DAILY;UNTIL=20200305\n---\n' \
	>"$sg/events/past-until.md"
printf -- '---\ntitle: Running series\nstart: 2020-01-07T10:00\nrecurrence: FREQ=YEARLY;COUNT=30\n---\n' \
	>"$sg/events/running.md"
printf -- '---\ntitle: Endless series\nstart: 2020-01-07T10:00\nrecurrence: FREQ=MONTHLY\n---\n' \
	>"$sg/events/endless.md"
# (more occurrences than are counted before its UNTIL, which is far)
printf -- '---\ntitle: Hourly watch\nstart: 2010-01-01T10:00Z\nend: 2010-01-01T10:30Z\nrecurrence: FREQ=HOURLY;UNTIL=20400101T000000Z\n---\n' \
	>"$sg/events/hourly.md"
"$EVFEED" build --config "$sg/evfeed.conf" >/dev/null 2>"$sg/err0" &&
	rm "$sg"/events/*.md &&
	"$EVFEED" build --config "$sg/evfeed.conf" >/dev/null 2>"$sg/err"
st=$?
test $st -eq 0 && ! grep -q 'past-count\|past-until' "$sg/err" &&
	grep -q 'the event of running.md (its calendar events/running.ics) is gone' "$sg/err" &&
	grep -q 'the event of endless.md (its calendar events/endless.ics) is gone' "$sg/err" &&
	grep -q 'the event of hourly.md (its calendar events/hourly.ics) is gone' "$sg/err"
ok $? "a series over when removed is not warned of; one running or endless is (status $st)" ||
	{ diag_file "$sg/err0"; diag_file "$sg/err"; }

# An event whose date becomes "to be announced" leaves the calendars too:
# said at its file.
mkdir -p "$tmp/tba/events"
cp "$top_srcdir"/feeds/events/*.md "$tmp/tba/events/"
write_config "$tmp/tba" "$tmp/tba/events"
"$EVFEED" build --config "$tmp/tba/evfeed.conf" >/dev/null 2>&1 &&
	sed -i 's/^start: .*/start: tba/; /^end:/d' \
		"$tmp/tba/events/2018-09-25-criminal-justice-security-conference.md" &&
	"$EVFEED" build --config "$tmp/tba/evfeed.conf" >/dev/null 2>"$tmp/err" &&
	grep -q "2018-09-25-criminal-justice-security-conference.md: warning: its date is now to be announced: it leaves the calendars, but subscribers' calendar programs keep it at its last date; to call the event off, set status: cancelled" "$tmp/err" &&
	"$EVFEED" build --config "$tmp/tba/evfeed.conf" >/dev/null 2>"$tmp/err" &&
	! grep -q 'warning' "$tmp/err"
ok $? "a date now to be announced is warned of, once"

# A build with an error writes nothing.
tree_sums "$pub" >"$tmp/sums3"
printf -- '---\ntitle: Broken\nstart: 2018-02-30\n---\n' >"$tmp/events/broken.md"
"$EVFEED" build --config "$conf" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1
ok $? "build with an error: exit 1"
grep -q 'broken.md:3:8: error: start: invalid date' "$tmp/err"
ok $? "the error is a compiler-style diagnostic"
tree_sums "$pub" | cmp -s - "$tmp/sums3"
ok $? "nothing was written"
"$EVFEED" check --config "$conf" >/dev/null 2>&1
test $? -eq 1
ok $? "check: exit 1"

# Same inputs in a fresh place: the same bytes (nothing depends on the
# machine, the time zone or the path, only on the inputs and the state).
rm "$tmp/events/broken.md"
"$EVFEED" build --config "$conf" >/dev/null 2>&1
mkdir "$tmp/copy"
cp -r "$tmp/events" "$tmp/copy/events"
cp "$tmp/state.db" "$tmp/copy/state.db"
write_config "$tmp/copy" "$tmp/copy/events"
TZ=Pacific/Chatham "$EVFEED" build --config "$tmp/copy/evfeed.conf" >/dev/null 2>&1
(cd "$pub" && find . -type f | sort | xargs sha256sum) >"$tmp/s1"
(cd "$tmp/copy/public" && find . -type f | sort | xargs sha256sum) >"$tmp/s2"
cmp -s "$tmp/s1" "$tmp/s2"
ok $? "the same inputs and state give the same bytes elsewhere"

# evfeed new writes a file that evfeed check accepts, and never overwrites.
mkdir "$tmp/new"
mkdir "$tmp/new/events"
write_config "$tmp/new" "$tmp/new/events"
f=$("$EVFEED" new "Workshop: Border Security; Part 2" --config "$tmp/new/evfeed.conf" \
	--start 2026-03-10T09:00 --end 2026-03-10T17:00 \
	--location "Skopje, North Macedonia" --category workshop \
	--category "border security, customs" 2>"$tmp/err")
ok $? "new: exit 0"
test -f "$f" || test -f "$tmp/new/events/$(basename "$f")"
ok $? "new prints the path of the file it wrote ($f)"
"$EVFEED" check --config "$tmp/new/evfeed.conf" >"$tmp/out" 2>&1
ok $? "check accepts what new wrote"
grep -q '^uid: ' "$tmp/new/events"/*.md
ok $? "new gives the event a fixed uid"
"$EVFEED" build --config "$tmp/new/evfeed.conf" >/dev/null 2>&1 &&
	grep -q 'CATEGORIES:workshop,border security\\, customs' "$tmp/new/public/calendar.ics" &&
	grep -q 'DTSTART;TZID=Europe/Ljubljana:20260310T090000' "$tmp/new/public/calendar.ics"
ok $? "its event is in the calendar as given"
"$EVFEED" new "Workshop: Border Security; Part 2" --config "$tmp/new/evfeed.conf" \
	--start 2026-03-10T09:00 >/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -q 'exists and is not overwritten (it has this title and start' "$tmp/err"
ok $? "new refuses to overwrite a file, of the same title and start"
# another event that takes the name (another time of the day, a long title
# that begins alike) gets "-2", "-3"; a long title is cut after a word
f2=$("$EVFEED" new "Workshop: Border Security; Part 2" --config "$tmp/new/evfeed.conf" \
	--start 2026-03-10T14:00 2>"$tmp/err")
st=$?
long="International conference on the prevention of organised crime in the region"
fa=$("$EVFEED" new "$long: Session A" --config "$tmp/new/evfeed.conf" \
	--start 2026-04-01 2>>"$tmp/err")
fb=$("$EVFEED" new "$long: Session B" --config "$tmp/new/evfeed.conf" \
	--start 2026-04-01 2>>"$tmp/err")
test $st -eq 0 && test "$(basename "$f2")" = "$(basename "$f" .md)-2.md" &&
	test "$(basename "$fa")" = 2026-04-01-international-conference-on-the-prevention-of-organised.md &&
	test "$(basename "$fb")" = 2026-04-01-international-conference-on-the-prevention-of-organised-2.md &&
	grep -q "^title: .*Session B" "$tmp/new/events/$(basename "$fb")" &&
	"$EVFEED" check --config "$tmp/new/evfeed.conf" >/dev/null 2>>"$tmp/err"
ok $? "new names another event of the same name with -2, and cuts a long title after a word ($f2, $fa, $fb)" ||
	diag_file "$tmp/err"
rm -f "$f2" "$tmp/new/events/$(basename "$fa")" "$tmp/new/events/$(basename "$fb")"
printf 'not an event file\n' >"$tmp/new/events/2026-05-01-odd.md"
"$EVFEED" new "Odd" --config "$tmp/new/evfeed.conf" --start 2026-05-01 \
	>/dev/null 2>"$tmp/err"
test $? -eq 1 &&
	grep -q "2026-05-01-odd.md' exists and is not overwritten (it cannot be read as an event file)" "$tmp/err"
ok $? "new: a file at its name that is no event file is said so" || diag_file "$tmp/err"
rm -f "$tmp/new/events/2026-05-01-odd.md"
"$EVFEED" new "$(printf 'Bell\007')" --config "$tmp/new/evfeed.conf" \
	--start 2026-04-01 >/dev/null 2>"$tmp/err"
test $? -eq 1 &&
	test "$(cat "$tmp/err")" = "evfeed: new: error: TITLE: the control character U+0007 is not allowed"
ok $? "new: a control character in the title is said so, without the draft's quotes" ||
	diag_file "$tmp/err"
"$EVFEED" new "Bad" --config "$tmp/new/evfeed.conf" --start 2026-02-30 \
	>/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -q "^evfeed: new: error: --start: invalid date '2026-02-30': February 2026 has 28 days" "$tmp/err"
ok $? "new checks the dates like check does, naming the option"
diag_file "$tmp/err"
"$EVFEED" new "" --config "$tmp/new/evfeed.conf" --start 2026-03-01 \
	--end 2026-02-01 >/dev/null 2>"$tmp/err"
test $? -eq 1 && grep -q '^evfeed: new: error: --end: 2026-02-01 is before start' "$tmp/err" &&
	grep -q '^evfeed: new: error: TITLE: empty value' "$tmp/err" &&
	! grep -q '^new:' "$tmp/err"
ok $? "new names each option that is wrong, all at once"
diag_file "$tmp/err"
"$EVFEED" new "No date" --config "$tmp/new/evfeed.conf" >/dev/null 2>&1
test $? -eq 2
ok $? "new without --start: exit 2"
f=$("$EVFEED" new "Dashes" -c"$tmp/new/evfeed.conf" -s2026-07-01 \
	--location -cdx 2>"$tmp/err") &&
	grep -qx 'start: 2026-07-01' "$f" && grep -qx 'location: -cdx' "$f"
ok $? "new: -sDATE, and a --location that begins with a dash"
rm -f "$f"

# new writes nothing that would make the folder fail check: an empty
# category, two categories with one address, a file name with the address
# of another file.
printf -- '---\ntitle: Seminar\nstart: 2026-06-02\n---\n' >"$tmp/new/events/2026-06-02 Seminar.md"
tree_before=$(ls "$tmp/new/events")
"$EVFEED" new "Empty" --config "$tmp/new/evfeed.conf" --start 2026-06-03 \
	--category "" >/dev/null 2>"$tmp/err.empty"
s1=$?
"$EVFEED" new "Twice" --config "$tmp/new/evfeed.conf" --start 2026-06-03 \
	--category Foo --category 'foo!' >/dev/null 2>"$tmp/err.twice"
s2=$?
"$EVFEED" new "Seminar" --config "$tmp/new/evfeed.conf" --start 2026-06-02 \
	>/dev/null 2>"$tmp/err.same"
s3=$?
test "$s1$s2$s3" = 111 &&
	grep -q "^evfeed: new: error: --category: empty value" "$tmp/err.empty" &&
	grep -q "category 'foo!' has the same address" "$tmp/err.twice" &&
	grep -q "file name gives the same address (events/2026-06-02-seminar.ics) as .*2026-06-02 Seminar.md" "$tmp/err.same" &&
	[ "$(ls "$tmp/new/events")" = "$tree_before" ] &&
	"$EVFEED" check --config "$tmp/new/evfeed.conf" >/dev/null 2>&1
ok $? "new refuses a file that would make check fail, and writes nothing"

# A warning about an option is said once, though both the draft made from
# the command line and the file it writes give it.
"$EVFEED" new "Night owls" --config "$tmp/new/evfeed.conf" \
	--start 2026-10-25T02:30 >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 &&
	[ "$(grep -c 'warning: --start: 02:30 on 2026-10-25 occurs twice' "$tmp/err")" = 1 ] &&
	[ "$(wc -l <"$tmp/err")" = 1 ]
ok $? "new: a warning about an option once (status $st)"
diag_file "$tmp/err"
# --timezone with a start that has no time: one warning, new's own, and
# no timezone: in the file
"$EVFEED" new "Day of zones" --config "$tmp/new/evfeed.conf" \
	--start 2026-11-05 --timezone Asia/Kathmandu >"$tmp/out" 2>"$tmp/err"
st=$?
f=$(ls "$tmp/new/events/"*day-of-zones*.md 2>/dev/null)
test $st -eq 0 && [ -n "$f" ] && ! grep -q '^timezone:' "$f" &&
	grep -q 'warning: --timezone: not used, since the start is a date' "$tmp/err" &&
	[ "$(wc -l <"$tmp/err")" = 1 ]
ok $? "new --timezone with a date: one warning, no zone in the file (status $st)"
diag_file "$tmp/err"
rm -f "$f"

# In a folder that already fails check (another editor's draft), new still
# writes a file that brings no error of its own, with a warning, and still
# refuses one that does, showing only that file's error.
mkdir -p "$tmp/broken/events"
write_config "$tmp/broken" "$tmp/broken/events"
printf -- '---\ntitle: Draft\nstart: 2026-02-30\n---\n' >"$tmp/broken/events/draft.md"
# and files that cannot be read: a dangling link, a folder
ln -s nowhere "$tmp/broken/events/dangling.md"
mkdir "$tmp/broken/events/folder.md"
"$EVFEED" new "Good one" --config "$tmp/broken/evfeed.conf" --start 2026-06-01 \
	>"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 && test -f "$tmp/broken/events/2026-06-01-good-one.md" &&
	grep -q "warning: the events folder already fails 'evfeed check' (3 errors" "$tmp/err" &&
	! grep -q 'draft.md\|dangling.md\|folder.md' "$tmp/err"
ok $? "new in a folder that already fails check: written, with a warning (status $st)"
diag_file "$tmp/err"
"$EVFEED" new "Bad one" --config "$tmp/broken/evfeed.conf" --start 2026-06-02 \
	--category "" >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 1 && test ! -e "$tmp/broken/events/2026-06-02-bad-one.md" &&
	grep -q "^evfeed: new: error: --category: empty value" "$tmp/err" &&
	! grep -q 'draft.md\|dangling.md\|folder.md' "$tmp/err"
ok $? "new in a folder that already fails check: a file with its own error is refused, only its error shown (status $st)"
diag_file "$tmp/err"

# Files that cannot be read are reported under the name the editor knows,
# saying what to do, without the folder's absolute path again (and without
# a line and column, which do not apply: evfeed(1), DIAGNOSTICS).
# A socket cannot even be opened (ENXIO), and a folder this user may not
# open is still a folder to rename.
mkfifo "$tmp/broken/events/pipe.md"
"${PYTHON3:-/usr/bin/python3}" -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/broken/events/sock.md"
mkdir "$tmp/broken/events/shut.md"
chmod 000 "$tmp/broken/events/shut.md"
(cd "$tmp/broken" && "$EVFEED" check --config evfeed.conf) >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 1 &&
	grep -q "^events/dangling.md:1:1: error: a symbolic link, which evfeed does not follow: copy or move the file itself here$" "$tmp/err" &&
	grep -q "^events/folder.md:1:1: error: a folder named like an event file: rename it so that its name does not end in '.md'" "$tmp/err" &&
	grep -q "^events/shut.md:1:1: error: a folder named like an event file" "$tmp/err" &&
	grep -q "^events/pipe.md:1:1: error: not a regular file" "$tmp/err" &&
	grep -q "^events/sock.md:1:1: error: not a regular file" "$tmp/err" &&
	! grep -q "$tmp" "$tmp/err"
ok $? "unreadable event files: each in an editor's words, no absolute path (status $st)"
diag_file "$tmp/err"
chmod 755 "$tmp/broken/events/shut.md"
rm -rf "$tmp/broken/events/pipe.md" "$tmp/broken/events/sock.md" \
	"$tmp/broken/events/shut.md"

# The same event saved under a second name (a copy, or a rename with the
# old file left behind) would be listed twice under two identities: a
# warning on the later file, naming the first; not an error, as both may
# be meant. The sample's events, all different, bring none.
mkdir -p "$tmp/twice/events"
write_config "$tmp/twice" "$tmp/twice/events"
cp "$top_srcdir"/feeds/events/*.md "$tmp/twice/events/"
(cd "$tmp/twice" && "$EVFEED" check --config evfeed.conf) >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 && ! grep -q 'warning' "$tmp/err"
ok $? "the sample: no warning of a copy (status $st)"
cp "$tmp/twice/events/2018-06-28-illicit-financial-flows-zagreb.md" \
	"$tmp/twice/events/zagreb-meeting.md"
(cd "$tmp/twice" && "$EVFEED" build --config evfeed.conf) >"$tmp/out" 2>"$tmp/err"
st=$?
test $st -eq 0 &&
	grep -q "^events/zagreb-meeting.md:2:8: warning: the same title and start as events/2018-06-28-illicit-financial-flows-zagreb.md: subscribers will see the event twice" "$tmp/err" &&
	[ "$(grep -c warning "$tmp/err")" = 1 ]
ok $? "a copy of an event file under another name: one warning, naming the original (status $st)"
diag_file "$tmp/err"

# The configuration may be a symbolic link (evfeed.conf(5), FILES); its
# relative paths resolve against the folder that holds the link.
mkdir -p "$tmp/link/etc/events" "$tmp/link/deploy/events"
write_config "$tmp/link/deploy" "$tmp/link/deploy/events"
sed 's|^events=.*|events=events|' "$tmp/link/deploy/evfeed.conf" >"$tmp/link/deploy/evfeed.conf.new" &&
	mv "$tmp/link/deploy/evfeed.conf.new" "$tmp/link/deploy/evfeed.conf"
ln -s ../deploy/evfeed.conf "$tmp/link/etc/evfeed.conf"
"$EVFEED" new "Linked" --config "$tmp/link/etc/evfeed.conf" --start 2026-06-01 \
	>/dev/null 2>"$tmp/err" &&
	test -f "$tmp/link/etc/events/2026-06-01-linked.md" &&
	"$EVFEED" check --config "$tmp/link/etc/evfeed.conf" >/dev/null 2>&1
ok $? "a configuration that is a symbolic link is read; paths from the link's folder"

# Titles that YAML would read otherwise if written bare (null, ~, a
# leading dash, a comment mark, a document marker) and, after "--", a
# title that looks like an option: each is written so that check reads
# back exactly the title given.
mkdir -p "$tmp/titles/events"
write_config "$tmp/titles" "$tmp/titles/events"
good=0
for t in null '~' '- draft' '---' 'Q&A # live' '[Draft] review' 'yes' \
	'Ünïcode: 🎉 and "quotes"'; do
	"$EVFEED" new --config "$tmp/titles/evfeed.conf" --start 2026-06-01 \
		-- "$t" >"$tmp/out" 2>"$tmp/err" &&
		"$EVFEED" build --config "$tmp/titles/evfeed.conf" >/dev/null 2>&1 &&
		tr -d '\r' <"$tmp/titles/public/events/$(basename "$(cat "$tmp/out")" .md).ics" |
		awk '/^ /{ printf "%s", substr($0, 2); next } { printf "\n%s", $0 }' |
			grep -qxF "SUMMARY:$(printf '%s' "$t" | sed 's/[,;]/\\&/g')" &&
		good=$((good + 1)) || diag "new -- '$t': $(cat "$tmp/err")"
done
[ "$good" = 8 ]
ok $? "new: titles YAML would misread come back as given ($good of 8)"

# Categories given to new are cleaned as the title and the place are
# (HTML and text encoded twice), and written so that check reads them
# back as given, without a warning of a list mistyped ('• name', '-name').
rm -f "$tmp/titles/events/"*.md
"$EVFEED" new --config "$tmp/titles/evfeed.conf" --start 2026-06-01 \
	--category 'CafÃ©' --category '<b>Security</b>' --category '• Policy' \
	--category '-x' -- 'Categories' >"$tmp/out" 2>"$tmp/err" &&
	grep -qxF "categories: [Café, Security, '• Policy', '-x']" "$(cat "$tmp/out")" &&
	"$EVFEED" check --config "$tmp/titles/evfeed.conf" >"$tmp/check.out" 2>&1 &&
	! grep -q 'warning' "$tmp/check.out"
ok $? "new: categories cleaned as the title is, and read back by check without a warning" ||
	{ diag_file "$tmp/err"; diag_file "$tmp/check.out"; }

# Names as long as a file system allows: a 252-byte file name (255 with
# .md), a 360-byte category and a 400-byte title for `evfeed new`. Their
# addresses (events/<slug>.ics, category/<slug>/, and the temporary files
# beside them) must stay within 255 bytes.
mkdir -p "$tmp/long/events"
write_config "$tmp/long" "$tmp/long/events"
stem=$(printf 'a%.0s' $(seq 1 252))
cat=$(printf 'policy%.0s' $(seq 1 60))
printf -- '---\ntitle: Long file name\nstart: 2026-06-10\ncategories: ["%s"]\n---\nBody.\n' \
	"$cat" >"$tmp/long/events/$stem.md"
"$EVFEED" build --config "$tmp/long/evfeed.conf" >"$tmp/out" 2>&1 &&
	[ "$(ls "$tmp/long/public/events" | wc -l)" = 1 ] &&
	[ "$(ls "$tmp/long/public/category" | wc -l)" = 1 ] &&
	tr -d '\r' <"$tmp/long/public/calendar.ics" |
	awk '/^ /{ printf "%s", substr($0, 2); next } { printf "\n%s", $0 }' |
		grep -qx "CATEGORIES:$cat"
ok $? "long file and category names build"
"$EVFEED" new "$(printf 'Regional workshop %.0s' $(seq 1 22))" \
	--config "$tmp/long/evfeed.conf" --start 2026-06-11 >/dev/null 2>"$tmp/err" &&
	"$EVFEED" build --config "$tmp/long/evfeed.conf" >/dev/null 2>&1 &&
	[ "$(ls "$tmp/long/public/events" | wc -l)" = 2 ]
ok $? "new with a 400-byte title writes a file that builds"

# What looks like an event file but is not read gets a warning: a name in
# .MD or .markdown, or with a space or .txt after its .md, a folder of .md
# files.
# Backups and dot files do not.
mkdir -p "$tmp/long/events/2026"
printf -- '---\ntitle: In a folder\nstart: 2026-06-12\n---\n' >"$tmp/long/events/2026/a.md"
printf -- '---\ntitle: Upper case\nstart: 2026-06-13\n---\n' >"$tmp/long/events/B.MD"
printf -- '---\ntitle: Long suffix\nstart: 2026-06-14\n---\n' >"$tmp/long/events/c.markdown"
printf -- '---\ntitle: Space after\nstart: 2026-06-15\n---\n' >"$tmp/long/events/f.md "
printf -- '---\ntitle: Notepad\nstart: 2026-06-16\n---\n' >"$tmp/long/events/g.md.txt"
: >"$tmp/long/events/d.md~"
: >"$tmp/long/events/.e.md.swp"
"$EVFEED" check --config "$tmp/long/evfeed.conf" >"$tmp/out" 2>"$tmp/err"
ok $? "unread files: check passes"
grep -qx '.*/events/2026: warning: not read: event files go directly in the events folder, not in folders within it' "$tmp/err" &&
	grep -qx ".*/events/B.MD: warning: not read: an event file's name ends in '.md', in lower case" "$tmp/err" &&
	grep -qx ".*/events/c.markdown: warning: not read: an event file's name ends in '.md', in lower case" "$tmp/err" &&
	grep -qx ".*/events/f.md : warning: not read: the name has a space after its '.md', where an event file's name ends" "$tmp/err" &&
	grep -qx ".*/events/g.md.txt: warning: not read: the name ends in '.txt' after its '.md' (as Notepad saves a file), where an event file's name ends in '.md'" "$tmp/err" &&
	[ "$(grep -c warning "$tmp/err")" = 5 ]
ok $? "unread files: a warning for each that looks like an event file"

# Two builds at once (cron's beside serve's, or two cron runs): the second
# waits for the first, rather than removing its temporary files as those
# of a killed build. The first is stopped while it has some, so that the
# second has every chance to.
mkdir -p "$tmp/race/events"
i=0
while [ $i -lt 400 ]; do
	i=$((i + 1))
	printf -- '---\ntitle: Event %d\nstart: 2026-06-%02d\ncategories: [c%d]\n---\nBody\n' \
		$i $((i % 28 + 1)) $((i % 40)) >"$tmp/race/events/e$i.md"
done
write_config "$tmp/race" "$tmp/race/events"
"$EVFEED" build --config "$tmp/race/evfeed.conf" >/dev/null 2>&1
for f in "$tmp/race/events"/*.md; do
	printf 'Edited.\n' >>"$f"
done
"$EVFEED" build --config "$tmp/race/evfeed.conf" >/dev/null 2>"$tmp/err" &
first=$!
wait_until 30 sh -c "find '$tmp/race/public' -name '.*.evfeed-tmp-*' | grep -q ."
kill -STOP $first
"$EVFEED" build --config "$tmp/race/evfeed.conf" >/dev/null 2>"$tmp/err2" &
second=$!
sleep 2
kill -CONT $first
wait $first
first_rc=$?
wait $second
second_rc=$?
diag_file "$tmp/err"
diag_file "$tmp/err2"
test $first_rc -eq 0 && test $second_rc -eq 0 &&
	test -z "$(find "$tmp/race/public" -name '.*')" &&
	grep -q 'Edited' "$tmp/race/public/rss.xml"
ok $? "two builds at once both succeed, one after the other"
grep -q '^evfeed: waiting for another build to end (it holds the lock on the state folder' "$tmp/err2" &&
	! grep -q 'waiting' "$tmp/err"
ok $? "the build that waits says so"

# New time zone data can change the times published: a rebuild after it is
# no "nothing changed", though no event file changed.
if [ -f /usr/share/zoneinfo/tzdata.zi ]; then
	mkdir "$tmp/zi"
	cp -a /usr/share/zoneinfo/. "$tmp/zi/"
	TZDIR=$tmp/zi "$EVFEED" build --config "$conf" >/dev/null 2>&1 &&
		TZDIR=$tmp/zi "$EVFEED" build --config "$conf" >"$tmp/out" 2>&1 &&
		grep -q 'nothing changed' "$tmp/out" &&
		sed -i '1s/.*/# version 9999z/' "$tmp/zi/tzdata.zi" &&
		TZDIR=$tmp/zi "$EVFEED" build --config "$conf" >"$tmp/out" 2>&1 &&
		! grep -q 'nothing changed' "$tmp/out"
	ok $? "new time zone data: the next build is not skipped"
	diag_file "$tmp/out"
else
	skip "new time zone data: the next build is not skipped" "no tzdata.zi"
fi

# Another evfeed (an upgrade, even to the same version) may write other
# bytes: the first build it makes is not skipped.
if [ -f "$EVFEED" ] && head -c 4 "$EVFEED" | grep -q 'ELF'; then
	cp -p "$EVFEED" "$tmp/evfeed-new"
	"$tmp/evfeed-new" build --config "$conf" >/dev/null 2>&1 &&
		"$tmp/evfeed-new" build --config "$conf" >"$tmp/out" 2>&1 &&
		grep -q 'nothing changed' "$tmp/out" &&
		touch -d '2030-01-01 00:00:00' "$tmp/evfeed-new" &&
		"$tmp/evfeed-new" build --config "$conf" >"$tmp/out" 2>&1 &&
		! grep -q 'nothing changed' "$tmp/out" &&
		"$tmp/evfeed-new" build --config "$conf" >"$tmp/out" 2>&1 &&
		grep -q 'nothing changed' "$tmp/out"
	ok $? "another evfeed program: its first build is not skipped, its next one is"
	diag_file "$tmp/out"
else
	skip "another evfeed program: its first build is not skipped" "EVFEED is not a program file"
fi

# A configuration reached through a folder that is a symbolic link: its
# relative paths name what the kernel opens from the file's folder, with
# $PWD exported (a shell, cron) or not (systemd, a daemon's exec).
ln_site=$tmp/physical
mkdir -p "$ln_site/real/config" "$ln_site/real/events" "$ln_site/etc/events"
printf '[site]\nurl=https://events.example.org/\n[paths]\nevents=../events\noutput=../public\nstate=../var/evfeed.db\n' \
	>"$ln_site/real/config/evfeed.conf"
for i in 1 2 3; do
	printf -- '---\ntitle: Real event %s\nstart: 2027-01-0%s\n---\n' "$i" "$i" \
		>"$ln_site/real/events/real$i.md"
done
printf -- '---\ntitle: Stale copy\nstart: 2027-01-01\n---\n' >"$ln_site/etc/events/stale.md"
ln -s ../real/config "$ln_site/etc/evfeed"
(cd "$ln_site/etc/evfeed" && PWD=$ln_site/etc/evfeed &&
	export PWD && "$EVFEED" build >"$tmp/out.pwd" 2>&1) &&
	(cd "$ln_site/etc/evfeed" && env -u PWD "$EVFEED" build >"$tmp/out.nopwd" 2>&1) &&
	grep -q '^evfeed: 3 events: wrote' "$tmp/out.pwd" &&
	grep -q '^evfeed: 3 events, nothing changed' "$tmp/out.nopwd" &&
	test -s "$ln_site/real/public/calendar.ics" &&
	test ! -e "$ln_site/etc/public" &&
	(cd "$ln_site/etc/evfeed" && PWD=$ln_site/etc/evfeed && export PWD &&
		"$EVFEED" -c ../config/evfeed.conf check >/dev/null 2>&1)
ok $? "a configuration in a folder reached by a symbolic link: its paths as the kernel finds them, with or without \$PWD"
diag_file "$tmp/out.pwd"
diag_file "$tmp/out.nopwd"

# Under a strict umask the folders evfeed makes are as readable as its
# files (0644): a web server running as another user reads every feed.
um=$tmp/umask
mkdir -p "$um"
cp -R "$tmp/events" "$um/events"
write_config "$um" "$um/events"
(umask 077 && "$EVFEED" build --config "$um/evfeed.conf" >/dev/null 2>&1) &&
	test -d "$um/public/category" &&
	test -z "$(find "$um/public" -type d ! -perm 0755)" &&
	test -z "$(find "$um/public" -type f ! -perm 0644)"
ok $? "under umask 077 the output's folders are 0755 and its files 0644"
find "$um/public" ! -perm 0755 ! -perm 0644 | head -5 | while read -r f; do diag "$f"; done

# An events folder emptied since the last build (not mounted, not checked
# out, every file saved as .md.txt) is named: the calendars go out without
# the site's events.
em=$tmp/emptied
mkdir -p "$em/events"
cp "$top_srcdir"/feeds/events/*.md "$em/events/"
write_config "$em" "$em/events"
"$EVFEED" build --config "$em/evfeed.conf" >/dev/null 2>"$em/err1" &&
	! grep -q 'no event files' "$em/err1" &&
	mkdir "$em/aside" && mv "$em/events"/*.md "$em/aside/" &&
	"$EVFEED" build --config "$em/evfeed.conf" >/dev/null 2>"$em/err2" &&
	grep -q "events: warning: no event files, where the last build published 4 of the site's own events" "$em/err2" &&
	"$EVFEED" build --config "$em/evfeed.conf" >/dev/null 2>"$em/err3" &&
	! grep -q 'no event files' "$em/err3"
ok $? "an events folder emptied since the last build: a warning, once"
diag_file "$em/err2"

# A SIGTERM (or Ctrl-C) that comes while a build puts its files in place
# waits for the last of them: never some files of the new version beside
# others of the old. strace delivers it at the 150th rename.
sg=$tmp/signal
mkdir -p "$sg/events"
i=0
while [ $i -lt 120 ]; do
	i=$((i + 1))
	printf -- '---\ntitle: Event %d\nstart: 2026-06-%02d\nlocation: First place\ncategories: [c%d]\n---\nBody\n' \
		$i $((i % 28 + 1)) $((i % 30)) >"$sg/events/e$i.md"
done
write_config "$sg" "$sg/events"
if [ -z "${EVFEED_SLOW:-}" ] &&
	strace -qq -o /dev/null -e trace=renameat2 -e inject=renameat2:signal=SIGTERM:when=150 true 2>/dev/null; then
	"$EVFEED" build --config "$sg/evfeed.conf" >/dev/null 2>&1
	sed -i 's/^location: .*/location: Second place/' "$sg/events"/*.md
	strace -f -qq -o /dev/null -e trace=renameat2 \
		-e inject=renameat2:signal=SIGTERM:when=150 \
		"$EVFEED" build --config "$sg/evfeed.conf" >/dev/null 2>&1
	st=$?
	places=$(find "$sg/public" -name '*.ics' -exec cat {} + | tr -d '\r' |
		grep '^LOCATION:' | sort -u)
	test $st -ne 0 && test "$places" = "LOCATION:Second place"
	ok $? "SIGTERM among a build's renames: it ends them first, one version throughout (status $st)"
	diag "$places"
	"$EVFEED" build --config "$sg/evfeed.conf" >/dev/null 2>&1
	ok $? "and the next build succeeds"
else
	skip "SIGTERM among a build's renames: it ends them first" "no strace with inject, or under valgrind"
	skip "and the next build succeeds" "no strace with inject, or under valgrind"
fi

# A build that fails before it publishes (here a file where a category's
# folder must go) records nothing in the state: once it succeeds, two
# edits made while builds failed are one change to subscribers (SEQUENCE
# + 1), stamped when it was published, and an event added meanwhile is
# first seen then too.
fs=$tmp/failing
mkdir -p "$fs/events"
printf -- '---\ntitle: Kept event\nstart: 2027-06-01\ncategories: [one]\n---\nBody\n' \
	>"$fs/events/kept.md"
write_config "$fs" "$fs/events"
"$EVFEED" build --config "$fs/evfeed.conf" >/dev/null 2>&1
seq_of() { tr -d '\r' <"$fs/public/events/$1.ics" | sed -n 's/^SEQUENCE://p'; }
stamp_of() {
	tr -d '\r' <"$fs/public/events/$1.ics" |
		sed -n 's/^\(LAST-MODIFIED\|CREATED\):\([0-9]\{8\}\)T\([0-9]\{2\}\)\([0-9]\{2\}\)\([0-9]\{2\}\)Z$/\2 \3:\4:\5/p' |
		while read -r d t; do date -u -d "$d $t" +%s; done
}
before=$(seq_of kept)
mv "$fs/public/category" "$fs/aside" && : >"$fs/public/category"
failed=0
for title in 'First try' 'Second try'; do
	sed -i "s/^title: .*/title: $title/" "$fs/events/kept.md"
	printf -- '---\ntitle: Added meanwhile\nstart: 2027-06-02\ncategories: [one]\n---\nBody\n' \
		>"$fs/events/added.md"
	"$EVFEED" build --config "$fs/evfeed.conf" >/dev/null 2>"$fs/err" || failed=$((failed + 1))
	sleep 1
done
rm "$fs/public/category" && mv "$fs/aside" "$fs/public/category"
t0=$(date +%s)
"$EVFEED" build --config "$fs/evfeed.conf" >/dev/null 2>&1
st=$?
test "$failed" -eq 2 && test $st -eq 0 &&
	test "$(seq_of kept)" -eq $((before + 1)) &&
	test "$(seq_of added)" -eq 0
ok $? "builds that failed recorded no edit: SEQUENCE $before, then $(seq_of kept) once published ($failed failed)" ||
	diag_file "$fs/err"
late=yes
for t in $(stamp_of kept | tail -n 1) $(stamp_of added); do
	[ "$t" -ge "$t0" ] || late=no
done
test "$late" = yes
ok $? "their LAST-MODIFIED and first-seen times are those of the build that published them"

# An edited, written or removed uid changes the event's identity: the
# build warns at the file (where its uid is), naming both, once.
uc=$tmp/uidchange
mkdir -p "$uc/events"
printf -- '---\ntitle: Board\nstart: 2027-03-01\nuid: board-2027-03@example.org\n---\nBody\n' \
	>"$uc/events/board.md"
write_config "$uc" "$uc/events"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err0"
sed -i 's/^uid: .*/uid: board-meeting-2027@example.org/' "$uc/events/board.md"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err1"
grep -q "board.md:4:6: warning: its identity changed from 'board-2027-03@example.org' to 'board-meeting-2027@example.org' (a uid key written or edited)" "$uc/err1" &&
	! grep -q warning "$uc/err0"
ok $? "an edited uid: a warning at its key, with both identities" || diag_file "$uc/err1"
sed -i '/^uid:/d' "$uc/events/board.md"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err2"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err3"
grep -q "board.md:1:.*warning: its identity changed from 'board-meeting-2027@example.org' to '[^']*' (its uid key removed)" "$uc/err2" &&
	! grep -q warning "$uc/err3"
ok $? "a removed uid: the same warning, and none at the next build" || diag_file "$uc/err2"
# An identity published before, written back: the one published since
# leaves the calendars, and that is said too.
sed -i 's/^title: Board$/title: Board\nuid: board-meeting-2027@example.org/' "$uc/events/board.md"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err2b"
grep -q "board.md:3:6: warning: its identity changed from '[^']*' to 'board-meeting-2027@example.org' (a uid key written or edited)" "$uc/err2b"
ok $? "an identity published before, written back: the same warning" || diag_file "$uc/err2b"
# (and removed again, for what follows)
sed -i '/^uid:/d' "$uc/events/board.md"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err2c"
# An event whose date is to be announced has no calendar of its own, and
# its identity is told by the state: renamed, or given a uid, it would be
# announced again as a new listing; said too.
tb2=$tmp/tba-identity
mkdir -p "$tb2/events"
write_config "$tb2" "$tb2/events"
printf -- '---\ntitle: Summit\nstart: tba\n---\n' >"$tb2/events/summit.md"
"$EVFEED" build --config "$tb2/evfeed.conf" >/dev/null 2>"$tb2/err0"
mv "$tb2/events/summit.md" "$tb2/events/summit-2028.md"
"$EVFEED" build --config "$tb2/evfeed.conf" >/dev/null 2>"$tb2/err1"
grep -q "summit-2028.md: warning: a new listing, and the event of summit.md (uid: [0-9a-f-]*), whose date was to be announced, is gone" "$tb2/err1" &&
	! grep -q warning "$tb2/err0"
ok $? "a tba event's file renamed: said at the new file, naming the old" || diag_file "$tb2/err1"
sed -i 's/^title: Summit$/title: Summit\nuid: summit@example.org/' "$tb2/events/summit-2028.md"
"$EVFEED" build --config "$tb2/evfeed.conf" >/dev/null 2>"$tb2/err2"
"$EVFEED" build --config "$tb2/evfeed.conf" >/dev/null 2>"$tb2/err3"
grep -q "summit-2028.md:3:6: warning: its identity changed from '[0-9a-f-]*' to 'summit@example.org' (a uid key written or edited): feed readers keep the listing of the old one" "$tb2/err2" &&
	! grep -q warning "$tb2/err3"
ok $? "a tba event given a uid: said at its key, once" || diag_file "$tb2/err2"
# Renamed as its date is given (tba-x.md to 2027-09-14-x.md): said too; a
# new file with a uid key, which a renamed one keeps, is not told so.
printf -- '---\ntitle: Forum\nstart: tba\n---\n' >"$tb2/events/tba-forum.md"
printf -- '---\ntitle: Panel\nstart: tba\nuid: panel@example.org\n---\n' >"$tb2/events/panel.md"
"$EVFEED" build --config "$tb2/evfeed.conf" >/dev/null 2>"$tb2/err4"
rm "$tb2/events/tba-forum.md" "$tb2/events/panel.md"
printf -- '---\ntitle: Forum\nstart: 2027-09-14\n---\n' >"$tb2/events/2027-09-14-forum.md"
printf -- '---\ntitle: Talk\nstart: tba\nuid: talk@example.org\n---\n' >"$tb2/events/talk.md"
"$EVFEED" build --config "$tb2/evfeed.conf" >/dev/null 2>"$tb2/err5"
grep -q "2027-09-14-forum.md: warning: a new listing, and the event of .*tba-forum.md" "$tb2/err5" &&
	! grep -q "talk.md: warning" "$tb2/err5"
ok $? "renamed as its date is given: said; a new file with a uid key: not" || diag_file "$tb2/err5"

# [site] url's host or path changed: every identity made from a file's
# name changes with it; told once, at the url's line, not at each file.
# An event with a uid: key keeps its identity.
printf -- '---\ntitle: Open day\nstart: 2027-04-01\n---\n' >"$uc/events/open-day.md"
printf -- '---\ntitle: Fair\nstart: 2027-05-01\nuid: fair@example.org\n---\n' >"$uc/events/fair.md"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err4"
sed -i 's|^url=https://events.example.org/$|url=https://events.example.org/events/|' "$uc/evfeed.conf"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err5"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err6"
grep -q "evfeed.conf:3: warning: \[site\] url: its host and path were 'events.example.org/' at the last build, and are 'events.example.org/events/': the identity of each event without a uid: key is made of them, and 2 changed" "$uc/err5" &&
	test "$(grep -c warning "$uc/err5")" = 1 &&
	! grep -q warning "$uc/err6"
ok $? "a changed site url: one warning at its line, none at each file" || diag_file "$uc/err5"
# A file renamed to a name of the same address (a case changed): the
# identity made of its name changes, and the warning says so, not that a
# uid key was written.
mv "$uc/events/open-day.md" "$uc/events/Open-Day.md"
"$EVFEED" build --config "$uc/evfeed.conf" >/dev/null 2>"$uc/err7"
grep -q "Open-Day.md:1:.*warning: its identity changed from '[^']*' to '[^']*' (its file renamed, to a name of the same address ('Conf.md' for 'conf.md'), or a uid key removed: the identity of an event without one is made of its file's name)" "$uc/err7" &&
	! grep -q 'a uid key written' "$uc/err7"
ok $? "a file renamed in its case: the warning names the rename" || diag_file "$uc/err7"
# The feeds' ids: an event to be announced whose identity the url's move
# changed is counted at the url (not told of as a file renamed), and the
# warning names feed readers; a new host, or a new tag_date, changes every
# feed item's id, whatever its uid: key: said once each, at its line, both
# when both change.
fi_=$tmp/feed-ids
mkdir -p "$fi_/events"
write_config "$fi_" "$fi_/events"
printf -- '---\ntitle: Dated\nstart: 2027-01-10\n---\n' >"$fi_/events/dated.md"
printf -- '---\ntitle: Forum\nstart: tba\n---\n' >"$fi_/events/forum.md"
printf -- '---\ntitle: Fixed\nstart: 2027-02-10\nuid: fixed@example.org\n---\n' >"$fi_/events/fixed.md"
"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>&1
sed -i 's|^url=https://events.example.org/$|url=https://events.example.org/events/|' "$fi_/evfeed.conf"
"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>"$fi_/err1"
grep -q "evfeed.conf:3: warning: \[site\] url: .* and 2 changed (1 of them to be announced), .* and feed readers show their listings again, as new" "$fi_/err1" &&
	test "$(grep -c warning "$fi_/err1")" = 1
ok $? "a url of another path: the event to be announced counted at the url, feed readers named" ||
	diag_file "$fi_/err1"
sed -i 's|^tag_date=2018$|tag_date=2024|' "$fi_/evfeed.conf"
"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>"$fi_/err2"
"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>"$fi_/err3"
line=$(grep -n '^tag_date=' "$fi_/evfeed.conf" | cut -d: -f1)
grep -q "evfeed.conf:$line: warning: \[site\] tag_date: it was '2018' at the last build, and is '2024': the id of every listing in the feeds changed with it, whatever its uid:, and feed readers show each again, as new" "$fi_/err2" &&
	test "$(grep -c warning "$fi_/err2")" = 1 && ! grep -q warning "$fi_/err3"
ok $? "a changed tag_date: said once, at its line" || diag_file "$fi_/err2"
sed -i 's|^url=.*|url=https://new.example.net/events/|; s|^tag_date=2024$|tag_date=2025|' "$fi_/evfeed.conf"
"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>"$fi_/err4"
grep -q "evfeed.conf:3: warning: \[site\] url: its host was 'events.example.org' at the last build, and is 'new.example.net': the id of every listing in the feeds changed with it, whatever its uid:" "$fi_/err4" &&
	grep -q "evfeed.conf:$line: warning: \[site\] tag_date: it was '2024' at the last build, and is '2025'" "$fi_/err4" &&
	grep -q "evfeed.conf:3: warning: \[site\] url: its host and path were .* and 2 changed (1 of them to be announced), which leave the calendars as new ones come, but subscribers' calendar programs keep the old;" "$fi_/err4" &&
	test "$(grep -c warning "$fi_/err4")" = 3
ok $? "a new host and tag_date at once: each said, at its line" ||
	diag_file "$fi_/err4"
rm "$fi_/events/dated.md" "$fi_/events/forum.md"
"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>&1
sed -i 's|^url=.*|url=https://other.example.net/events/|' "$fi_/evfeed.conf"
"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>"$fi_/err5"
grep -q "evfeed.conf:3: warning: \[site\] url: its host was 'new.example.net' at the last build, and is 'other.example.net'" "$fi_/err5" &&
	test "$(grep -c warning "$fi_/err5")" = 1
ok $? "a new host where every event has a uid: key: the feeds' ids said to change" ||
	diag_file "$fi_/err5"
# A state of a build before the feeds' ids were recorded: the host is that
# of the identities' record, and a new one is said all the same.
if sqlite3 -version >/dev/null 2>&1; then
	sqlite3 "$fi_/state.db" "DELETE FROM meta WHERE key = 'feed-tag'"
	sed -i 's|^url=.*|url=https://third.example.net/events/|' "$fi_/evfeed.conf"
	"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>"$fi_/err6"
	"$EVFEED" build --config "$fi_/evfeed.conf" >/dev/null 2>"$fi_/err7"
	grep -q "evfeed.conf:3: warning: \[site\] url: its host was 'other.example.net' at the last build, and is 'third.example.net'" "$fi_/err6" &&
		! grep -q warning "$fi_/err7" &&
		test "$(sqlite3 "$fi_/state.db" "SELECT value FROM meta WHERE key = 'feed-tag'")" = "tag:third.example.net,2025:"
	ok $? "a state from before the feeds' ids were kept: a new host said, the ids kept then" ||
		diag_file "$fi_/err6"
else
	skip "a state from before the feeds' ids were kept: a new host said, the ids kept then" "no sqlite3"
fi

# A new event written under the name of an event file removed before:
# its identity is the old event's, and it would come back as that one
# (its first publication, the feed readers' item), not as a new listing:
# said at the file. Not for the old file put back as it was.
rn=$tmp/reused
mkdir -p "$rn/events"
write_config "$rn" "$rn/events"
printf -- '---\ntitle: Spring Lecture\nstart: 2027-03-10\n---\n' >"$rn/events/lecture.md"
printf -- '---\ntitle: Other\nstart: 2027-03-11\n---\n' >"$rn/events/other.md"
d0=$(date -u +%Y-%m-%d)
"$EVFEED" build --config "$rn/evfeed.conf" >/dev/null 2>"$rn/err1"
d1=$(date -u +%Y-%m-%d)
mv "$rn/events/lecture.md" "$rn/lecture.orig"
"$EVFEED" build --config "$rn/evfeed.conf" >/dev/null 2>"$rn/err2"
cp "$rn/lecture.orig" "$rn/events/lecture.md"
"$EVFEED" build --config "$rn/evfeed.conf" >/dev/null 2>"$rn/err3"
rm "$rn/events/lecture.md"
"$EVFEED" build --config "$rn/evfeed.conf" >/dev/null 2>"$rn/err4"
printf -- '---\ntitle: Autumn Summit\nstart: 2027-10-20\n---\n' >"$rn/events/lecture.md"
"$EVFEED" build --config "$rn/evfeed.conf" >/dev/null 2>"$rn/err5"
st=$?
"$EVFEED" build --config "$rn/evfeed.conf" >/dev/null 2>"$rn/err6"
# (nor on a new state, whose events the output's calendars give, without
# their contents)
rm -f "$rn"/state.db*
"$EVFEED" build --config "$rn/evfeed.conf" >/dev/null 2>"$rn/err7"
test $st -eq 0 && ! grep -q 'removed before' "$rn/err3" &&
	! grep -q 'removed before' "$rn/err7" &&
	reused="lecture.md: warning: its identity, made of its file's name, is that of an event removed before, first published on" &&
	{ grep -qF "$reused $d0: it comes back as that event" "$rn/err5" ||
		grep -qF "$reused $d1: it comes back as that event" "$rn/err5"; } &&
	! grep -q 'removed before' "$rn/err6" &&
	grep -q '^SUMMARY:Autumn Summit' "$rn/public/calendar.ics"
ok $? "a new event under a removed event's file name: a warning at the file; none for the old file put back, nor on a new state" || {
	diag_file "$rn/err3"
	diag_file "$rn/err5"
	diag_file "$rn/err7"
}

# An event that leaves a category (deleted, or moved to another) is a
# change of the category's feeds and calendar: their last change moves
# forward, as the site's does, never back to the newest event still in it.
ct=$tmp/catleave
mkdir -p "$ct/events"
printf -- '---\ntitle: Old\nstart: 2027-03-01\ncategories: [workshop]\n---\nB\n' >"$ct/events/old.md"
write_config "$ct" "$ct/events"
"$EVFEED" build --config "$ct/evfeed.conf" >/dev/null 2>&1
sleep 1
printf -- '---\ntitle: New\nstart: 2027-03-02\ncategories: [workshop]\n---\nB\n' >"$ct/events/new.md"
"$EVFEED" build --config "$ct/evfeed.conf" >/dev/null 2>&1
cat_dates() {
	sed -n 's|^  <updated>\(.*\)</updated>$|\1|p' "$ct/public/category/workshop/atom.xml" | head -n 1
	tr -d '\r' <"$ct/public/category/workshop/calendar.ics" | sed -n 's/^LAST-MODIFIED://p' | head -n 1
	sed -n 's|.*<lastBuildDate>\(.*\)</lastBuildDate>.*|\1|p' "$ct/public/category/workshop/rss.xml"
}
cat_dates >"$ct/d1"
sleep 1
rm "$ct/events/new.md"
"$EVFEED" build --config "$ct/evfeed.conf" >/dev/null 2>&1
cat_dates >"$ct/d2"
a1=$(sed -n 1p "$ct/d1") a2=$(sed -n 1p "$ct/d2")
l1=$(sed -n 2p "$ct/d1") l2=$(sed -n 2p "$ct/d2")
test -n "$a1" && test -n "$l1" && expr "$a2" \> "$a1" >/dev/null &&
	expr "$l2" \> "$l1" >/dev/null &&
	! cmp -s "$ct/d1" "$ct/d2"
ok $? "an event that leaves a category moves its feeds' and calendar's last change forward ($a1 -> $a2)" ||
	{ diag_file "$ct/d1"; diag_file "$ct/d2"; }
"$EVFEED" build --config "$ct/evfeed.conf" >"$ct/out" 2>&1
grep -q 'nothing changed' "$ct/out"
ok $? "and the next build of the same events changes nothing"

# A published: later than the listing was first published is not taken
# (readers were told of it then): a warning at the key, and the feeds keep
# the first date.
pl=$tmp/publater
mkdir -p "$pl/events"
printf -- '---\ntitle: Listed\nstart: 2027-05-01\n---\nB\n' >"$pl/events/listed.md"
write_config "$pl" "$pl/events"
"$EVFEED" build --config "$pl/evfeed.conf" >/dev/null 2>"$pl/err1"
first=$(sed -n 's|.*<pubDate>\(.*\)</pubDate>.*|\1|p' "$pl/public/rss.xml")
sleep 2
later=$(date -u -d '1 second ago' +%Y-%m-%dT%H:%M:%SZ)
printf -- '---\ntitle: Listed\nstart: 2027-05-01\npublished: %s\n---\nB\n' "$later" >"$pl/events/listed.md"
"$EVFEED" build --config "$pl/evfeed.conf" >/dev/null 2>"$pl/err2"
st=$?
again=$(sed -n 's|.*<pubDate>\(.*\)</pubDate>.*|\1|p' "$pl/public/rss.xml")
test "$st" -eq 0 && test -n "$first" && test "$first" = "$again" &&
	grep -q "listed.md:4:12: warning: published: $later is later than the listing was first published, .*which the feeds keep" "$pl/err2" &&
	! grep -q warning "$pl/err1"
ok $? "a published: after the listing was first published: a warning at the key, the feeds keep the first ($first)" ||
	diag_file "$pl/err2"

# The state lost while an event was deleted: the next build still
# withdraws it, as what the output folder holds tells what was published:
# its own calendar goes, and the category it alone was in keeps its
# calendar and feeds, empty and under its name, so that subscribers'
# calendar programs drop its events.
# two_events DIR CATEGORIES NAME CATEGORIES: a site in DIR of Alpha (1 May
# 2027, in the first categories) and of NAME (1 June, in the others),
# built once.
two_events()
{
	mkdir -p "$1/events"
	printf -- '---\ntitle: Alpha\nstart: 2027-05-01\ncategories: [%s]\n---\nB\n' "$2" >"$1/events/alpha.md"
	printf -- '---\ntitle: %s\nstart: 2027-06-01\ncategories: [%s]\n---\nB\n' "$3" "$4" >"$1/events/$(echo "$3" | tr 'A-Z' 'a-z').md"
	write_config "$1" "$1/events"
	"$EVFEED" build --config "$1/evfeed.conf" >/dev/null 2>&1
}
sl=$tmp/statelost
two_events "$sl" workshop Beta "Conference Talks"
rm -f "$sl"/state.db* "$sl/events/beta.md"
"$EVFEED" build --config "$sl/evfeed.conf" >/dev/null 2>"$sl/err"
st=$?
test "$st" -eq 0 && test -f "$sl/public/events/alpha.ics" &&
	test ! -e "$sl/public/events/beta.ics" &&
	! grep -q '^BEGIN:VEVENT' "$sl/public/category/conference-talks/calendar.ics" &&
	grep -q '^X-WR-CALNAME:Test Events: Conference Talks' "$sl/public/category/conference-talks/calendar.ics" &&
	! grep -q 'Beta' "$sl/public/calendar.ics" &&
	grep -q 'beta.md (its calendar events/beta.ics) is gone' "$sl/err"
ok $? "an event deleted while the state was lost is withdrawn: its calendar goes, its category is kept empty" ||
	{ diag_file "$sl/err"; ls -R "$sl/public" | diag_file /dev/stdin; }

# A build while the clock was three hours ahead, then one at the right
# time: a category whose events changed in the first has its calendar's
# and feeds' last change taken back to the clock with the events' times,
# not left in the future.
shim=$(dirname "$EVFEED")/tests/fail-sync.so
ca=$tmp/clockahead
two_events "$ca" policy Gamma "policy, workshop"
printf -- '---\ntitle: Gamma\nstart: 2027-06-01\ncategories: [workshop]\n---\nB\n' >"$ca/events/gamma.md"
echo 10800 >"$ca/step"
env LD_PRELOAD="$shim" EVFEED_CLOCK_STEP_FILE="$ca/step" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	"$EVFEED" build --config "$ca/evfeed.conf" >/dev/null 2>"$ca/err1"
"$EVFEED" build --config "$ca/evfeed.conf" >/dev/null 2>"$ca/err2"
limit=$(date -u -d '1 minute' +%Y%m%dT%H%M%SZ)
lm=$(tr -d '\r' <"$ca/public/category/policy/calendar.ics" | sed -n 's/^LAST-MODIFIED://p' | head -n 1)
up=$(sed -n 's|^  <updated>\(.*\)</updated>$|\1|p' "$ca/public/category/policy/atom.xml" | head -n 1 | tr -d ':-' | sed 's/\.[0-9]*Z$/Z/')
test -n "$lm" && test -n "$up" && expr "$lm" \< "$limit" >/dev/null &&
	expr "$up" \< "$limit" >/dev/null && grep -q 'ahead' "$ca/err2"
ok $? "after a build with the clock ahead, a category's last change is taken back to the clock ($lm, $up; now $limit)" ||
	{ diag_file "$ca/err1"; diag_file "$ca/err2"; }

# A calendar changes with its dated events alone: an edit of a tba event,
# which is in the feeds and not in the calendars, leaves the calendars'
# bytes (their LAST-MODIFIED) as they were, so that their ETags hold; an
# edit of a dated event, or one that leaves, moves them.
tb=$tmp/tba-edit
mkdir -p "$tb/events"
write_config "$tb" "$tb/events"
printf -- '---\ntitle: Dated\nstart: 2027-06-01\ncategories: [policy]\n---\nB\n' >"$tb/events/dated.md"
printf -- '---\ntitle: Later\nstart: 2027-07-01\ncategories: [policy]\n---\nB\n' >"$tb/events/later.md"
printf -- '---\ntitle: Undated\nstart: tba\ncategories: [policy]\n---\nB\n' >"$tb/events/undated.md"
"$EVFEED" build --config "$tb/evfeed.conf" >/dev/null 2>"$tb/err"
sums_of() { sha256sum "$tb/public/calendar.ics" "$tb/public/category/policy/calendar.ics" \
	"$tb/public/calendar.json" "$tb/public/rss.xml" | cut -d' ' -f1 | tr '\n' ' '; }
before=$(sums_of)
lm_of() { tr -d '\r' <"$tb/public/calendar.ics" | sed -n 's/^LAST-MODIFIED://p' | head -n 1; }
lm1=$(lm_of)
sleep 1.1
printf -- '---\ntitle: Undated, renamed\nstart: tba\ncategories: [policy]\n---\nB\n' >"$tb/events/undated.md"
"$EVFEED" build --config "$tb/evfeed.conf" >/dev/null 2>>"$tb/err"
after=$(sums_of)
set -- $before
b_cal=$1 b_cat=$2 b_json=$3 b_rss=$4
set -- $after
test "$b_cal $b_cat $b_json" = "$1 $2 $3" && test "$b_rss" != "$4" &&
	grep -q 'Undated, renamed' "$tb/public/rss.xml"
ok $? "a tba event's edit changes the feeds, not the calendars' bytes" || diag_file "$tb/err"
sleep 1.1
printf -- '---\ntitle: Dated, renamed\nstart: 2027-06-01\ncategories: [policy]\n---\nB\n' >"$tb/events/dated.md"
"$EVFEED" build --config "$tb/evfeed.conf" >/dev/null 2>>"$tb/err"
lm2=$(lm_of)
sleep 1.1
rm "$tb/events/later.md"
"$EVFEED" build --config "$tb/evfeed.conf" >/dev/null 2>>"$tb/err"
lm3=$(lm_of)
test -n "$lm1" && expr "$lm2" \> "$lm1" >/dev/null && expr "$lm3" \> "$lm2" >/dev/null
ok $? "a dated event's edit, and one that leaves, move the calendar's LAST-MODIFIED ($lm1, $lm2, $lm3)" ||
	diag_file "$tb/err"

# A feed's window (max_items) does not take back a listing it let go when
# a newer one is deleted or leaves its category: feed readers that have
# let it go too would show it as new (PRIOR-ART's "never re-introduce
# dropped items"). New listings fill it again; a new max_items refills it.
fw=$tmp/feed-window
mkdir -p "$fw/events"
write_config "$fw" "$fw/events"
sed -i 's/^max_items=.*/max_items=2/' "$fw/evfeed.conf"
# titles FEED: the events' titles in FEED (under public/), newest first
titles()
{
	grep -o '<title>Event [0-9]*' "$fw/public/$1" | sed 's/<title>Event //' | tr '\n' ' '
}
for n in 1 2 3; do
	printf -- '---\ntitle: Event %s\nstart: 2031-06-0%s\ncategories: [a]\n---\nB\n' \
		"$n" "$n" >"$fw/events/e$n.md"
	"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
	sleep 1.1
done
test "$(titles rss.xml)" = "3 2 " && test "$(titles category/a/atom.xml)" = "3 2 "
ok $? "max_items=2: the two newest listings ($(titles rss.xml))" || diag_file "$fw/err"
rm "$fw/events/e3.md"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
test "$(titles rss.xml)" = "2 " && test "$(titles atom.xml)" = "2 " &&
	test "$(titles category/a/rss.xml)" = "2 " &&
	! grep -q '"Event 1"' "$fw/public/feed.json"
ok $? "the newest deleted: the listing let go does not come back ($(titles rss.xml))" ||
	diag_file "$fw/err"
sleep 1.1
sed -i 's/^categories: \[a\]/categories: [b]/' "$fw/events/e2.md"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
test "$(titles category/a/rss.xml)" = "" && test "$(titles category/b/rss.xml)" = "2 "
ok $? "a listing moved to another category: its old category's feed does not take back the one let go" ||
	diag_file "$fw/err"
sleep 1.1
printf -- '---\ntitle: Event 4\nstart: 2031-06-04\ncategories: [a]\n---\nB\n' >"$fw/events/e4.md"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
test "$(titles rss.xml)" = "4 2 " && test "$(titles category/a/rss.xml)" = "4 "
ok $? "a new listing fills the window ($(titles rss.xml))" || diag_file "$fw/err"
sed -i 's/^max_items=.*/max_items=3/' "$fw/evfeed.conf"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
test "$(titles rss.xml)" = "4 2 1 "
ok $? "a larger max_items fills the window anew ($(titles rss.xml))" || diag_file "$fw/err"
# A floor is of its max_items: one that another max_items did not fill
# lets it go, and going back to the first does not bring it back (it would
# take out what the larger window had just published).
sleep 1.1
printf -- '---\ntitle: Event 5\nstart: 2031-06-05\ncategories: [a]\n---\nB\n' >"$fw/events/e5.md"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
sed -i 's/^max_items=.*/max_items=10/' "$fw/evfeed.conf"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
rm "$fw/events/e5.md" "$fw/events/e4.md"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
sed -i 's/^max_items=.*/max_items=3/' "$fw/evfeed.conf"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>>"$fw/err"
test "$(titles rss.xml)" = "2 1 "
ok $? "max_items back to a value of before: no floor of then ($(titles rss.xml))" || diag_file "$fw/err"

# A configuration in error: build tells its errors and the event files'
# all at once, as check does, and writes nothing.
ce=$tmp/config-error
mkdir -p "$ce/events"
write_config "$ce" "$ce/events"
sed -i 's/^max_items=.*/max_items=many/' "$ce/evfeed.conf"
printf -- '---\ntitle: Draft\nstart: 2027-13-01\n---\n' >"$ce/events/draft.md"
"$EVFEED" build --config "$ce/evfeed.conf" >"$ce/out" 2>"$ce/err"
st=$?
test $st -eq 1 && grep -q 'max_items' "$ce/err" &&
	grep -q 'draft.md:3:8: error: start: invalid date' "$ce/err" &&
	grep -q '^evfeed: 2 errors; nothing was written$' "$ce/err" &&
	test ! -e "$ce/public/calendar.ics"
ok $? "build with a configuration in error: its errors and the event files', nothing written (status $st)" ||
	diag_file "$ce/err"

# A configuration with a warning only: build tells it, and builds.
cw=$tmp/config-warning
mkdir -p "$cw/events"
write_config "$cw" "$cw/events"
sed -i 's/^title=.*/title=<b>Test Events<\/b>/' "$cw/evfeed.conf"
"$EVFEED" build --config "$cw/evfeed.conf" >"$cw/out" 2>"$cw/err"
st=$?
test $st -eq 0 &&
	grep -q "evfeed.conf:2: warning: \[site\] title: HTML ('<b>') turned into plain text" "$cw/err" &&
	test -s "$cw/public/calendar.ics"
ok $? "build with a warning in the configuration: tells it, and builds (status $st)" ||
	diag_file "$cw/err"

# GLib's debug messages (G_MESSAGES_DEBUG) go to standard error, not into
# what `evfeed sources` and `evfeed import -n` write for a script to read.
"$EVFEED" sources --config "$conf" >"$tmp/sources.plain" 2>/dev/null
G_MESSAGES_DEBUG=all "$EVFEED" sources --config "$conf" >"$tmp/sources.debug" 2>"$tmp/sources.err"
cmp -s "$tmp/sources.plain" "$tmp/sources.debug" && test -s "$tmp/sources.plain"
ok $? "G_MESSAGES_DEBUG=all: evfeed sources writes the same standard output"

# The table's columns hold with a source's name longer than its heading's
# column: every row's status starts where the heading's does.
ls=$tmp/long-source
mkdir -p "$ls/events"
write_config "$ls" "$ls/events"
printf '[source a-very-long-partner-source-name]\nurl=https://a.example/f.xml\n[source b]\nurl=https://b.example/f.xml\n' \
	>>"$ls/evfeed.conf"
"$EVFEED" sources --config "$ls/evfeed.conf" >"$ls/out" 2>"$ls/err"
awk 'NR == 1 { col = index($0, "STATUS") } NR > 1 && index($0, " new ") + 1 != col { bad = 1 } END { exit bad || NR != 3 }' "$ls/out"
ok $? "sources: the columns hold for a long source name" || diag_file "$ls/out"

# A build whose renames fail (a folder in the way) puts every file back and
# records nothing of what it did not publish: three such builds of three
# edits, then one that publishes, give the event SEQUENCE 1, not 4; and a
# new event is dated by the build that published it. An edit made and
# dropped again while the builds failed is no change at all.
fw=$tmp/folder-in-the-way
mkdir -p "$fw/events"
write_config "$fw" "$fw/events"
printf -- '---\ntitle: Seminar\nstart: 2027-03-01T10:00\nlocation: Room 1\n---\nText.\n' \
	>"$fw/events/seminar.md"
cp "$fw/events/seminar.md" "$fw/seminar.orig"
seq_fw() { tr -d '\r' <"$fw/public/events/seminar.ics" | sed -n 's/^SEQUENCE://p'; }
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>"$fw/err"
seq0=$(seq_fw)
rm "$fw/public/rss.xml" && mkdir "$fw/public/rss.xml"
fails=0
for room in 2 3 4; do
	sed -i "s/^location: .*/location: Room $room/" "$fw/events/seminar.md"
	if ! "$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>"$fw/err" &&
		grep -q "cannot replace '.*rss.xml': Is a directory" "$fw/err"; then
		fails=$((fails + 1))
	fi
done
printf -- '---\ntitle: Workshop\nstart: 2027-04-01\n---\nText.\n' >"$fw/events/workshop.md"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>"$fw/err" || fails=$((fails + 1))
sleep 2
before=$(date -u +%Y%m%dT%H%M%SZ)
rmdir "$fw/public/rss.xml"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>"$fw/err"
st=$?
created=$(tr -d '\r' <"$fw/public/events/workshop.ics" | sed -n 's/^CREATED://p')
test $st -eq 0 && test $fails -eq 4 && test "$seq0" = 0 && test "$(seq_fw)" = 1 &&
	grep -q 'LOCATION:Room 4' "$fw/public/events/seminar.ics" &&
	test "$(echo "$created" | tr -cd 0-9)" -ge "$(echo "$before" | tr -cd 0-9)"
ok $? "four builds with a folder in the way, then one that publishes: SEQUENCE $seq0 then $(seq_fw), the new event created at $created, not before $before ($fails failed)" ||
	diag_file "$fw/err"
rm "$fw/public/rss.xml" && mkdir "$fw/public/rss.xml"
sed -i "s/^location: .*/location: Room 5/" "$fw/events/seminar.md"
"$EVFEED" build --config "$fw/evfeed.conf" >/dev/null 2>"$fw/err"
st=$?
rmdir "$fw/public/rss.xml"
sed -i "s/^location: .*/location: Room 4/" "$fw/events/seminar.md"
"$EVFEED" build --config "$fw/evfeed.conf" >"$fw/out" 2>"$fw/err"
test $st -eq 1 && test "$(seq_fw)" = 1 && grep -q 'wrote 1 of' "$fw/out"
ok $? "an edit dropped after a build that failed: SEQUENCE $(seq_fw) as before, only the missing rss.xml written (status $st)" ||
	diag_file "$fw/out"

# Event files whose names are not UTF-8 (Latin-1 from an old archive): a
# slug of their letters of ASCII and the digest of their bytes, the same at
# each build, and two such names that differ only there are two events.
l1=$tmp/latin-1
mkdir -p "$l1/events"
write_config "$l1" "$l1/events"
printf -- '---\ntitle: R\303\251sum\303\251\nstart: 2027-03-01\n---\n' >"$l1/events/$(printf 'r\351sum\351.md')"
printf -- '---\ntitle: R\303\250sum\303\250\nstart: 2027-03-02\n---\n' >"$l1/events/$(printf 'r\350sum\350.md')"
printf -- '---\ntitle: \303\211t\303\251\nstart: 2027-03-03\n---\n' >"$l1/events/$(printf '\351.md')"
slugs=
for i in 1 2 3; do
	rm -rf "$l1/public"
	"$EVFEED" build --config "$l1/evfeed.conf" >/dev/null 2>>"$l1/err" || slugs="$slugs failed"
	slugs="$slugs $(cd "$l1/public/events" && ls | tr '\n' ' ')"
done
first=$(cd "$l1/public/events" && ls | tr '\n' ' ')
test "$slugs" = " $first $first $first" && test "$(echo $first | wc -w)" = 3 &&
	echo "$first" | grep -q '^r-sum-[0-9a-f]\{10\}\.ics r-sum-[0-9a-f]\{10\}\.ics x-[0-9a-f]\{10\}\.ics $' &&
	! grep -q 'warning\|error' "$l1/err"
ok $? "file names in Latin-1: three events, the same slugs at each build ($slugs)" ||
	diag_file "$l1/err"

done_testing
