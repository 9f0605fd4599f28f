#!/bin/sh
# bad-events.sh: every defective event file in tests/data/bad-events is
# refused with a compiler-style diagnostic at the line EXPECTED names, by
# both "evfeed check" and "evfeed build"; nothing crashes; a failed build
# leaves the output of the last good build untouched, byte for byte; and a
# folder holding all of them at once gets every error reported in one run.

. "$(dirname "$0")/lib.sh"

data=$top_srcdir/tests/data/bad-events
expected=$data/EXPECTED
tab=$(printf '\t')

[ -r "$expected" ] || bail_out "cannot read $expected"

# The rows of EXPECTED without comments and blank lines.
rows()
{
	grep -v -e '^#' -e '^[[:space:]]*$' "$expected"
}

# The files EXPECTED names, each once, in order.
files=$(rows | cut -f 1 | awk '!seen[$0]++')

# A valid event, built before any bad file joins it.
write_good()
{
	cat >"$1/good-event.md" <<'EOF'
---
title: Workshop on Regional Cooperation
start: 2018-05-22
end: 2018-05-23
location: Ljubljana, Slovenia
categories: [workshop]
---
A valid event next to the bad one.
EOF
}

# The description of more than 1 MiB is written at run time rather than
# stored: front matter on lines 1-4, then about 6 MB of body from line 5.
write_big()
{
	{
		printf '%s\n' '---' \
		    'title: Workshop with a far too long description' \
		    'start: 2018-05-22' '---'
		awk 'BEGIN {
			for (i = 0; i < 75000; i++)
				printf "Line %05d of a description far larger " \
				    "than any event needs: it must be refused.\n", i
		}'
	} >"$1/big-description.md"
}

# Copies bad file FILE, and the files that belong with it, into DIR.
place()
{
	case $1 in
	duplicate-uid-a.md | duplicate-uid-b.md)
		cp "$data/duplicate-uid-a.md" "$data/duplicate-uid-b.md" "$2/"
		;;
	category-clash-b.md)
		cp "$data/category-clash-a.md" "$data/category-clash-b.md" "$2/"
		;;
	big-description.md)
		write_big "$2"
		;;
	*)
		cp "$data/$1" "$2/"
		;;
	esac
}

# run CMD CONF PREFIX: runs "evfeed CMD --config CONF"; stdout and stderr go
# to PREFIX.out and PREFIX.err, the exit status to $status.
run()
{
	with_timeout 120 "$EVFEED" "$1" --config "$2" >"$3.out" 2>"$3.err"
	status=$?
}

# has_diag ERRFILE FILE LINE REGEX: ERRFILE holds a line
# "PATH:LINE:COL: error: MESSAGE" where PATH is FILE or ends in /FILE, LINE
# is LINE and MESSAGE matches REGEX (extended, case-insensitive).
has_diag()
{
	F=$2 L=$3 RE=$4 awk '
	BEGIN { f = ENVIRON["F"]; l = ENVIRON["L"]; re = tolower(ENVIRON["RE"]) }
	{
		if (!match($0, /^[^:]+:[0-9]+:[0-9]+: error: /))
			next
		head = substr($0, 1, RLENGTH)
		msg = substr($0, RLENGTH + 1)
		split(head, part, ":")
		path = part[1]
		if (path != f && substr(path, length(path) - length(f)) != "/" f)
			next
		if (part[2] + 0 != l + 0)
			next
		if (tolower(msg) ~ re) {
			found = 1
			exit
		}
	}
	END { exit !found }' "$1"
}

# count_diags ERRFILE FILE: the number of error lines about FILE.
count_diags()
{
	F=$2 awk '
	BEGIN { f = ENVIRON["F"]; n = 0 }
	match($0, /^[^:]+:[0-9]+:[0-9]+: error: /) {
		split($0, part, ":")
		path = part[1]
		if (path == f || substr(path, length(path) - length(f)) == "/" f)
			n++
	}
	END { print n }' "$1"
}

# A crash is an exit by signal (or by the time limit), or a sanitizer or
# GLib report of a programming error.
no_crash()
{
	[ "$status" -lt 124 ] || return 1
	! grep -E -q 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|-CRITICAL \*\*|Segmentation fault|Aborted' "$1"
}

# assert_rows ERRFILE FILE DESC: one test per EXPECTED row of FILE.
assert_rows()
{
	rows | while IFS=$tab read -r file line regex; do
		[ "$file" = "$2" ] || continue
		if has_diag "$1" "$file" "$line" "$regex"; then
			echo "ok line $line, /$regex/"
		else
			echo "not ok line $line, /$regex/"
		fi
	done >"$1.rows"
	while read -r verdict rest; do
		case $verdict in
		ok) pass "$3 reports $rest" ;;
		*)
			fail "$3 reports ${rest#ok }"
			diag "stderr was:"
			diag_file "$1"
			;;
		esac
	done <"$1.rows"
}

for f in $files; do
	t=$(mktmp)
	mkdir "$t/events"
	write_good "$t/events"
	write_config "$t" "$t/events"

	run build "$t/evfeed.conf" "$t/good"
	if [ "$status" -eq 0 ] && [ -s "$t/public/calendar.ics" ]; then
		pass "$f: the good event builds"
	else
		fail "$f: the good event builds (exit status $status)"
		diag_file "$t/good.err"
	fi
	tree_sums "$t/public" >"$t/sums.before" 2>/dev/null

	place "$f" "$t/events"

	for cmd in check build; do
		run "$cmd" "$t/evfeed.conf" "$t/$cmd"
		test "$status" -eq 1
		ok $? "$f: $cmd exits with status 1"
		[ "$status" -eq 1 ] || diag "exit status: $status"
		if no_crash "$t/$cmd.err"; then
			pass "$f: $cmd does not crash"
		else
			fail "$f: $cmd does not crash (exit status $status)"
			diag_file "$t/$cmd.err"
		fi
		assert_rows "$t/$cmd.err" "$f" "$f: $cmd"
	done

	tree_sums "$t/public" >"$t/sums.after" 2>/dev/null
	if cmp -s "$t/sums.before" "$t/sums.after"; then
		pass "$f: the last good output is untouched"
	else
		fail "$f: the last good output is untouched"
		diff "$t/sums.before" "$t/sums.after" | sed 's/^/# /'
	fi
done

# All of them at once: every error of every file in one run.
t=$(mktmp)
mkdir "$t/events"
for f in $files; do
	place "$f" "$t/events"
done
write_config "$t" "$t/events"
for cmd in check build; do
	run "$cmd" "$t/evfeed.conf" "$t/$cmd"
	test "$status" -eq 1
	ok $? "all at once: $cmd exits with status 1"
	[ "$status" -eq 1 ] || diag "exit status: $status"
	if no_crash "$t/$cmd.err"; then
		pass "all at once: $cmd does not crash"
	else
		fail "all at once: $cmd does not crash (exit status $status)"
		diag_file "$t/$cmd.err"
	fi
	for f in $files; do
		assert_rows "$t/$cmd.err" "$f" "all at once: $cmd: $f"
	done
	noisy=
	for f in $files; do
		n=$(count_diags "$t/$cmd.err" "$f")
		[ "$n" -le 5 ] || noisy="$noisy $f($n)"
	done
	test -z "$noisy"
	ok $? "all at once: $cmd reports each file in at most 5 errors${noisy:+ -$noisy}"
done
if [ -z "$(find "$t/public" -type f 2>/dev/null)" ]; then
	pass "all at once: build publishes nothing"
else
	fail "all at once: build publishes nothing"
	find "$t/public" -type f | sed 's/^/# /'
fi

# The same among 200 good files, which evfeed parses on several threads:
# the same diagnostics, in the same order, as the bad files alone gave.
u=$(mktmp)
mkdir "$u/events"
for f in $files; do
	place "$f" "$u/events"
done
write_good "$u/events"
for i in $(seq 100 299); do
	cp "$u/events/good-event.md" "$u/events/good-$i.md"
done
rm "$u/events/good-event.md"
write_config "$u" "$u/events"
run check "$u/evfeed.conf" "$u/check"
test "$status" -eq 1
ok $? "among 200 good files: check exits with status 1"
sed "s|$t/||g" "$t/check.err" | grep ': error: ' >"$u/alone"
sed "s|$u/||g" "$u/check.err" | grep ': error: ' >"$u/among"
if [ -s "$u/alone" ] && cmp -s "$u/alone" "$u/among"; then
	pass "among 200 good files: the same errors in the same order"
else
	fail "among 200 good files: the same errors in the same order"
	diff "$u/alone" "$u/among" | head -20 | sed 's/^/# /'
fi

# The same name written twice, composed (NFC) and decomposed (NFD, as a
# Mac or a sync tool writes it): one event, so one identity, and the two
# files are reported as sharing it, each naming the other.
v=$(mktmp)
mkdir "$v/events"
nfc=$(printf 'caf\303\251')
nfd=$(printf 'cafe\314\201')
for n in "$nfc" "$nfd"; do
	cat >"$v/events/$n.md" <<'EOF'
---
title: Café meeting
start: 2018-05-22
---
The same event, saved twice.
EOF
done
write_config "$v" "$v/events"
for cmd in check build; do
	run "$cmd" "$v/evfeed.conf" "$v/$cmd"
	test "$status" -eq 1
	ok $? "names in NFC and NFD: $cmd exits with status 1"
	if has_diag "$v/$cmd.err" "$nfc.md" 1 "duplicate uid.*also used by .*/$nfd[.]md \\(both made from the file name: the two names differ only in how their accented letters are encoded" &&
	    has_diag "$v/$cmd.err" "$nfd.md" 1 "duplicate uid.*also used by .*/$nfc[.]md \\(both made from the file name"; then
		pass "names in NFC and NFD: $cmd reports one uid for both files"
	else
		fail "names in NFC and NFD: $cmd reports one uid for both files"
		diag_file "$v/$cmd.err"
	fi
done
if [ -z "$(find "$v/public" -type f 2>/dev/null)" ]; then
	pass "names in NFC and NFD: build publishes nothing"
else
	fail "names in NFC and NFD: build publishes nothing"
fi

# A uid written in one file that copies the one another file's name gives
# (taken from the published calendar): each file is told which to change.
w=$(mktmp)
mkdir "$w/events"
printf -- '---\ntitle: First meeting\nstart: 2018-05-22\n---\n' >"$w/events/first.md"
write_config "$w" "$w/events"
run build "$w/evfeed.conf" "$w/first"
uid=$(sed -n 's/^UID:\(.*\)\r$/\1/p' "$w/public/events/first.ics" 2>/dev/null)
printf -- '---\ntitle: Second meeting\nstart: 2018-06-22\nuid: %s\n---\n' \
	"$uid" >"$w/events/second.md"
run check "$w/evfeed.conf" "$w/check"
if [ -n "$uid" ] && [ "$status" -eq 1 ] &&
    has_diag "$w/check.err" first.md 1 "duplicate uid '$uid': also used by .*second[.]md \(made from this file's name, as it has no 'uid:'; the other file's 'uid:' copies it: if that file is the event published under this uid, renamed from this name, give this file another name or a 'uid:' of its own; else change that one\)" &&
    has_diag "$w/check.err" second.md 4 "duplicate uid '$uid': also used by .*first[.]md \(the other file's uid is made from its name, as it has no 'uid:'; this 'uid:' copies it: if this file is the event published under it, renamed from that name, keep it, and give the other file another name or a 'uid:' of its own; else change it\)"; then
	pass "a uid copied from another file's: each file is told which to change"
else
	fail "a uid copied from another file's: each file is told which to change"
	diag "uid '$uid', exit status $status"
	diag_file "$w/check.err"
fi

# A category written in another case in two files is one category, but
# the spelling its feeds, calendar and page are named after could change
# with another file: a warning at the second spelling, and the build goes
# on.
w=$(mktmp)
mkdir "$w/events"
printf -- '---\ntitle: A\nstart: 2027-01-01\ncategories: [Cyber]\n---\n' >"$w/events/a.md"
printf -- '---\ntitle: B\nstart: 2027-01-02\ncategories: [Borders, cyber]\n---\n' >"$w/events/b.md"
write_config "$w" "$w/events"
run build "$w/evfeed.conf" "$w/build"
if [ "$status" -eq 0 ] &&
    grep -q "b[.]md:4:23: warning: category 'cyber' is written 'Cyber' in .*a[.]md: write it alike in every file" "$w/build.err" &&
    [ "$(grep -c 'warning:' "$w/build.err")" -eq 1 ] &&
    [ -f "$w/public/category/cyber/calendar.ics" ]; then
	pass "a category written in two cases: a warning at the second, the build goes on"
else
	fail "a category written in two cases: a warning at the second, the build goes on"
	diag "exit status $status"
	diag_file "$w/build.err"
fi

# Every error at once: what files with errors of their own clash on with
# others (a uid, an address, a category's address) is told with them, and
# a file that cannot be read hides no other file's errors from build.
w=$(mktmp)
mkdir "$w/events"
printf -- '---\ntitle: A\nstart: 2018-13-01\nuid: same\n---\n' >"$w/events/a.md"
printf -- '---\ntitle: B\nstart: 2018-12-01\nuid: same\n---\n' >"$w/events/b.md"
printf -- '---\ntitle: C\nstart: 2018-12-01\ncategories: [C#]\n---\n' >"$w/events/c d.md"
printf -- '---\ntitle: D\nstart: 2018-12-03\nend: 2018-12-01\ncategories: [C]\n---\n' >"$w/events/c-d.md"
write_config "$w" "$w/events"
for cmd in check build; do
	run "$cmd" "$w/evfeed.conf" "$w/$cmd"
	if [ "$status" -eq 1 ] &&
	    has_diag "$w/$cmd.err" a.md 3 "start: invalid date" &&
	    has_diag "$w/$cmd.err" a.md 4 "duplicate uid 'same': also used by .*b[.]md" &&
	    has_diag "$w/$cmd.err" b.md 4 "duplicate uid 'same': also used by .*a[.]md" &&
	    has_diag "$w/$cmd.err" c-d.md 4 "end: .* is before start" &&
	    has_diag "$w/$cmd.err" c-d.md 1 "file name gives the same address" &&
	    has_diag "$w/$cmd.err" c-d.md 5 "category 'C' has the same address" &&
	    [ ! -e "$w/state.db" ]; then
		pass "files with errors: $cmd tells their clashes with others too, and makes no state"
	else
		fail "files with errors: $cmd tells their clashes with others too, and makes no state"
		diag_file "$w/$cmd.err"
	fi
done

# A category of an event file with the address of a source's categories=
# (the source's items would be listed in its calendar): refused at the
# event file, naming the source; the configuration's own clashes at its
# lines.
s=$(mktmp)
mkdir "$s/events"
printf -- '---\ntitle: C\nstart: 2018-12-01\ncategories: [Workshop, C#]\n---\n' >"$s/events/c.md"
write_config "$s" "$s/events"
printf '[source p]\nurl=http://127.0.0.1:9/p.ics\ncategories=C++; Ça\n' >>"$s/evfeed.conf"
printf '[source q]\nurl=http://127.0.0.1:9/q.ics\ncategories=ca\n' >>"$s/evfeed.conf"
line_p=$(grep -n '^categories=C++' "$s/evfeed.conf" | cut -d: -f1)
line_q=$(grep -n '^categories=ca$' "$s/evfeed.conf" | cut -d: -f1)
for cmd in check build; do
	run "$cmd" "$s/evfeed.conf" "$s/$cmd"
	if [ "$status" -eq 1 ] &&
	    has_diag "$s/$cmd.err" c.md 4 "category 'C#' has the same address [(]category/c/[)] as category 'C[+][+]' of \[source p\] in .*evfeed[.]conf" &&
	    grep -q "evfeed.conf:$line_q: error: \[source q\] categories: 'ca' has the same address (category/ca/) as 'Ça' of \[source p\]" "$s/$cmd.err" &&
	    [ -n "$line_p" ] && [ ! -e "$s/public" ]; then
		pass "a source's category with another's address: $cmd refuses it"
	else
		fail "a source's category with another's address: $cmd refuses it"
		diag_file "$s/$cmd.err"
	fi
done

# Two categories of one address that only look alike: a character that
# shows as nothing (a soft hyphen pasted from a word processor), or
# another form of a letter (a Roman numeral sign): one category, as one
# in two cases is, with a warning that names the difference, as the two
# names it quotes look alike. Not for two that do not look alike (C# and
# C++, with a no-break space in both), whose error blames no character.
v=$(mktmp)
mkdir "$v/events"
printf -- '---\ntitle: A\nstart: 2018-12-01\ncategories: [criminal justice]\n---\n' >"$v/events/a.md"
printf -- '---\ntitle: B\nstart: 2018-12-02\ncategories: ["criminal justice\302\255"]\n---\n' >"$v/events/b.md"
printf -- '---\ntitle: C\nstart: 2018-12-03\ncategories: ["Work\342\200\213shop", Institute II]\n---\n' >"$v/events/c.md"
printf -- '---\ntitle: D\nstart: 2018-12-04\ncategories: [Workshop, "Institute \342\205\241"]\n---\n' >"$v/events/d.md"
printf -- '---\ntitle: G\nstart: 2018-12-07\ncategories: ["Rule\302\240of\302\240law"]\n---\n' >"$v/events/g.md"
printf -- '---\ntitle: H\nstart: 2018-12-08\ncategories: ["Rule\302\240of law"]\n---\n' >"$v/events/h.md"
write_config "$v" "$v/events"
run check "$v/evfeed.conf" "$v/check"
st1=$status
printf -- '---\ntitle: E\nstart: 2018-12-05\ncategories: ["C++\302\240Days"]\n---\n' >"$v/events/e.md"
printf -- '---\ntitle: F\nstart: 2018-12-06\ncategories: ["C#\302\240Days"]\n---\n' >"$v/events/f.md"
run check "$v/evfeed.conf" "$v/check2"
test "$st1" -eq 0 &&
	grep -q "b\.md:4:14: warning: category 'criminal justice.*' is written 'criminal justice' in .*a\.md: write it alike in every file (.*): it holds an invisible character (U+00AD): delete it$" "$v/check.err" &&
	grep -q "d\.md:4:14: warning: category 'Workshop' is written 'Work.*shop' in .*c\.md: write it alike in every file (.*): the other holds an invisible character (U+200B): delete it$" "$v/check.err" &&
	grep -q "d\.md:4:24: warning: category 'Institute .*' is written 'Institute II' in .*c\.md: write it alike in every file (.*): it has '.*' (U+2161), a form of 'II'$" "$v/check.err" &&
	grep -q "h\.md:4:14: warning: category 'Rule.*of law' is written 'Rule.*of.*law' in .*g\.md: write it alike in every file (.*): the other holds a no-break or other space (U+00A0)" "$v/check.err" &&
	test "$status" -eq 1 &&
	has_diag "$v/check2.err" f.md 4 "category 'C#.*Days' has the same address [(]category/c-days/[)] as category 'C[+][+].*Days' of .*e[.]md$"
ok $? "two categories of one address that only look alike: one, with a warning that names the difference; others an error that blames no character" || {
	diag_file "$v/check.err"
	diag_file "$v/check2.err"
}

ln -s ../elsewhere.md "$w/events/link.md"
run build "$w/evfeed.conf" "$w/unreadable"
if [ "$status" -eq 1 ] &&
    grep -q 'link[.]md:1:1: error: a symbolic link' "$w/unreadable.err" &&
    has_diag "$w/unreadable.err" a.md 3 "start: invalid date" &&
    has_diag "$w/unreadable.err" c-d.md 4 "end: .* is before start" &&
    [ -z "$(find "$w/public" -type f 2>/dev/null)" ]; then
	pass "a file that cannot be read: build tells the others' errors too, writes nothing"
else
	fail "a file that cannot be read: build tells the others' errors too, writes nothing"
	diag_file "$w/unreadable.err"
fi

# Errors in evfeed.conf hide none of the event files' from check (each
# setting in error taken as its default), nor from build, which checks as
# check does and writes nothing; an events folder named by a setting in
# error is not guessed at.
rm -f "$w/events/link.md"
cp "$w/evfeed.conf" "$w/good.conf"
sed -e 's/^\(timezone *= *\).*/\1Europe\/Belgrad/' \
	-e 's/^\(refresh *= *\).*/\1PT1Hx/' "$w/good.conf" >"$w/evfeed.conf"
run check "$w/evfeed.conf" "$w/conf-check"
if [ "$status" -eq 1 ] &&
    grep -q 'evfeed[.]conf:[0-9]*: error: \[feeds\] refresh: not a duration' "$w/conf-check.err" &&
    grep -q 'evfeed[.]conf:[0-9]*: error: \[site\] timezone: unknown time zone' "$w/conf-check.err" &&
    has_diag "$w/conf-check.err" a.md 3 "start: invalid date" &&
    has_diag "$w/conf-check.err" c-d.md 4 "end: .* is before start" &&
    grep -qx 'evfeed: 8 errors' "$w/conf-check.err"; then
	pass "errors in evfeed.conf: check tells the event files' errors too, and counts them all"
else
	fail "errors in evfeed.conf: check tells the event files' errors too, and counts them all"
	diag_file "$w/conf-check.err"
fi
run build "$w/evfeed.conf" "$w/conf-build"
if [ "$status" -eq 1 ] && grep -q 'refresh: not a duration' "$w/conf-build.err" &&
    has_diag "$w/conf-build.err" a.md 3 "start: invalid date" &&
    grep -qx 'evfeed: 8 errors; nothing was written' "$w/conf-build.err" &&
    [ -z "$(find "$w/public" -type f 2>/dev/null)" ]; then
	pass "errors in evfeed.conf: build tells them and the event files', writes nothing"
else
	fail "errors in evfeed.conf: build tells them and the event files', writes nothing"
	diag_file "$w/conf-build.err"
fi
sed 's/^\(events *= *\).*/\1ev\\q/' "$w/good.conf" >"$w/evfeed.conf"
mkdir -p "$w/events-default"
run check "$w/evfeed.conf" "$w/conf-events"
if [ "$status" -eq 1 ] && grep -q 'events: a .\\. stands only before' "$w/conf-events.err" &&
    ! grep -q 'a[.]md\|error: cannot read the events folder' "$w/conf-events.err"; then
	pass "an events folder in error: check says so, and reads no folder for it"
else
	fail "an events folder in error: check says so, and reads no folder for it"
	diag_file "$w/conf-events.err"
fi
# the events folder named without an error but missing: said with the
# configuration's errors, at once
sed -e 's/^\(events *= *\).*/\1no-such-folder/' \
	-e 's/^\(refresh *= *\).*/\1PT1Hx/' "$w/good.conf" >"$w/evfeed.conf"
run check "$w/evfeed.conf" "$w/conf-missing"
if [ "$status" -eq 1 ] && grep -q 'refresh: not a duration' "$w/conf-missing.err" &&
    grep -q 'no-such-folder: error: cannot read the events folder' "$w/conf-missing.err" &&
    grep -qx 'evfeed: 2 errors' "$w/conf-missing.err"; then
	pass "an events folder missing: said with the configuration's errors"
else
	fail "an events folder missing: said with the configuration's errors"
	diag_file "$w/conf-missing.err"
fi
# the events folder not named (a section misspelt): the default one may
# not be the one meant, and is not read
sed 's/^\[paths\]/[Paths]/' "$w/good.conf" >"$w/evfeed.conf"
run check "$w/evfeed.conf" "$w/conf-section"
if [ "$status" -eq 1 ] && grep -q 'unknown section \[Paths\]' "$w/conf-section.err" &&
    ! grep -q 'a[.]md\|error: cannot read the events folder' "$w/conf-section.err"; then
	pass "an events folder not named (a section misspelt): check reads none"
else
	fail "an events folder not named (a section misspelt): check reads none"
	diag_file "$w/conf-section.err"
fi

done_testing
