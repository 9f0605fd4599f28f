#!/bin/sh
# manpages.sh: the manual pages in doc/ render without a warning, and they
# document what the program has, no more and no less:
#
#  - every key of the configuration table (keys[] in src/config.c) is an
#    item of its own section of evfeed.conf(5), with the table's default
#    and bounds; and evfeed.conf(5) documents no other key;
#  - every command and option of `evfeed --help` is an item of evfeed(1),
#    and evfeed(1) documents no other command;
#  - every key an event file may have (known_keys[] in src/eventfile.c) is
#    an item of evfeed-event(5), and evfeed-event(5) documents no other.
#
# The checks rely on this markup of the pages:
#
#   evfeed.conf.5   ".Ss [GROUP]" or ".Ss [source NAME]" opens the section
#                   of a group, and any other .Ss or .Sh closes it. A key is
#                   an item ".It Cm KEY Ns = Ns Ar ..." of that section;
#                   ".It Cm" serves nothing else in the page. Its text has a
#                   line "Default:" followed by ".Ql DEFAULT" when the table
#                   gives a default, and a line "Range: ..." that says
#                   "MIN to MAX" when the table gives bounds (durations in
#                   seconds, sizes in bytes).
#   evfeed.1        a command is an item ".It Cm COMMAND ..."; ".It Cm"
#                   serves nothing else in the page. An option is an item
#                   ".It Fl X ... , Fl Fl NAME ...".
#   evfeed-event.5  a key is an item ".It Cm KEY Ns \&: ..."; ".It Cm"
#                   serves nothing else in the page.

if [ -z "${top_srcdir:-}" ]; then
	echo "Bail out! top_srcdir is not set (run the tests with make check)"
	exit 99
fi
. "$top_srcdir/tests/integration/lib.sh"

doc=$top_srcdir/doc
pages="evfeed.1 evfeed.conf.5 evfeed-event.5"
work=$(mktmp)

# ------------------------------------------------------------- rendering

# Runs a formatter on a page: passes when it exits 0 and writes nothing on
# standard error. DESC, what it must print on standard output ("text" or
# nothing), then the command.
check_quiet()
{
	_desc=$1
	_want=$2
	shift 2
	"$@" >"$work/out" 2>"$work/err"
	_status=$?
	if [ "$_want" = text ]; then
		[ -s "$work/out" ]
	else
		[ ! -s "$work/out" ]
	fi
	_out=$?
	if [ "$_status" -eq 0 ] && [ ! -s "$work/err" ] && [ "$_out" -eq 0 ]
	then
		pass "$_desc"
	else
		fail "$_desc"
		diag "command: $*"
		diag "exit status: $_status"
		diag_file "$work/err"
		if [ "$_want" != text ]; then
			diag_file "$work/out"
		elif [ ! -s "$work/out" ]; then
			diag "it printed nothing"
		fi
	fi
}

have()
{
	command -v "$1" >/dev/null 2>&1
}

for p in $pages; do
	if [ ! -r "$doc/$p" ]; then
		fail "$p exists"
		continue
	fi
	# As a reader sees the page. Seccomp is off because some container
	# runtimes refuse man-db's filter.
	if have man; then
		check_quiet "$p renders with man --warnings=all" text \
		    env LC_ALL=C.UTF-8 MANWIDTH=80 MAN_DISABLE_SECCOMP=1 \
		    man --warnings=all -l "$doc/$p"
	else
		skip "$p renders with man --warnings=all" "man is not installed"
	fi
	# The typesetter mode of groff's mdoc package checks more than the
	# terminal mode that man uses.
	if have groff; then
		check_quiet "$p formats with groff -mandoc -ww -z" none \
		    groff -mandoc -ww -z "$doc/$p"
	else
		skip "$p formats with groff -mandoc -ww -z" \
		    "groff is not installed"
	fi
	if have mandoc; then
		check_quiet "$p passes mandoc -T lint -W warning" none \
		    mandoc -T lint -W warning "$doc/$p"
	else
		skip "$p passes mandoc -T lint -W warning" \
		    "mandoc is not installed"
	fi
done

# --------------------------------------------------- evfeed.conf(5) keys

# The configuration table, one key a line: group, key, type, default,
# min and max, separated by '|', with min and max evaluated.
awk '
function product(expr,    n, i, f, r) {
	gsub(/G_GINT64_CONSTANT[(]/, "", expr)
	gsub(/[() ]/, "", expr)
	n = split(expr, f, "*")
	r = 1
	for (i = 1; i <= n; i++) {
		if (f[i] !~ /^-?[0-9]+$/)
			return "?"
		r *= f[i]
	}
	return sprintf("%.0f", r)
}
/^static const KeySpec keys\[\] = [{]/ { on = 1; next }
on && /^[}];/ { on = 0 }
on { buf = buf " " $0 }
END {
	while (match(buf, /[{][^}]*[}]/)) {
		entry = substr(buf, RSTART + 1, RLENGTH - 2)
		buf = substr(buf, RSTART + RLENGTH)
		# Split on the commas outside double quotes.
		n = 0; field = ""; quoted = 0
		for (i = 1; i <= length(entry); i++) {
			c = substr(entry, i, 1)
			if (c == "\"")
				quoted = !quoted
			else if (c == "," && !quoted) {
				f[++n] = field; field = ""
				continue
			}
			field = field c
		}
		f[++n] = field
		for (i = 1; i <= n; i++) {
			gsub(/^[ \t]+|[ \t]+$/, "", f[i])
			if (f[i] ~ /^".*"$/)
				f[i] = substr(f[i], 2, length(f[i]) - 2)
		}
		if (n != 6)
			print "?|" entry
		else
			printf "%s|%s|%s|%s|%s|%s\n", f[1], f[2], f[3], f[4],
			    product(f[5]), product(f[6])
	}
}' "$top_srcdir/src/config.c" >"$work/table"

# The keys evfeed.conf.5 documents, one a line: group (empty outside the
# sections of groups), key, the default after "Default:" (or -) and the
# text after "Range:" (or -), separated by '|'.
awk '
function flush() {
	if (key != "")
		printf "%s|%s|%s|%s\n", kgroup, key, def, range
	key = ""
}
/^\.S[hs][ \t]/ {
	flush()
	group = ""
	if ($0 ~ /^\.Ss[ \t]+"?(\\&)?\[[a-z]+[] ]/) {
		group = $0
		sub(/^\.Ss[ \t]+"?(\\&)?\[/, "", group)
		sub(/[] ].*/, "", group)
	}
	next
}
/^\.Bl/ { depth++; next }
/^\.El/ {
	if (key != "" && depth == kdepth)
		flush()
	depth--
	next
}
/^\.It/ && key != "" && depth == kdepth { flush() }
/^\.It Cm / {
	key = $3; kgroup = group; kdepth = depth
	def = "-"; range = "-"; want_def = 0
	next
}
key != "" && want_def {
	want_def = 0
	if ($1 == ".Ql") {
		def = $0
		sub(/^\.Ql[ \t]+/, "", def)
		sub(/[ \t]+[.,;:]$/, "", def)
	}
}
key != "" && /^Default:[ \t]*$/ { want_def = 1 }
key != "" && /^Range:/ {
	range = $0
	gsub(/\\-/, "-", range)
	sub(/^Range:[ \t]*/, "", range)
}
END { flush() }' "$doc/evfeed.conf.5" >"$work/documented"

nkeys=$(wc -l <"$work/table")
if grep -q '^?' "$work/table" || [ "$nkeys" -lt 10 ]; then
	fail "the keys[] table of src/config.c can be read ($nkeys keys)"
	diag_file "$work/table"
else
	pass "the keys[] table of src/config.c can be read ($nkeys keys)"
fi

while IFS='|' read -r group key _type def min max; do
	desc="evfeed.conf.5 documents [$group] $key"
	rows=$(awk -F '|' -v g="$group" -v k="$key" \
	    '$1 == g && $2 == k' "$work/documented")
	if [ -z "$rows" ]; then
		fail "$desc"
		diag "no item '.It Cm $key Ns = ...' in the section [$group]"
		continue
	fi
	if [ "$(printf '%s\n' "$rows" | wc -l)" -ne 1 ]; then
		fail "$desc"
		diag "documented more than once in the section [$group]"
		continue
	fi
	doc_def=$(printf '%s\n' "$rows" | cut -d '|' -f 3)
	doc_range=$(printf '%s\n' "$rows" | cut -d '|' -f 4)
	problems=
	if [ -n "$def" ] && [ "$doc_def" != "$def" ]; then
		problems="default: the table says '$def', the page '$doc_def'"
	fi
	if [ "$min" != 0 ] || [ "$max" != 0 ]; then
		case " $doc_range " in
		*[!0-9-]"$min to $max"[!0-9]*) ;;
		*)
			problems="${problems:+$problems; }range: the table says $min to $max, the page '$doc_range'"
			;;
		esac
	fi
	if [ -n "$problems" ]; then
		fail "$desc"
		diag "$problems"
	else
		pass "$desc"
	fi
done <"$work/table"

# Nothing but the keys of the table, each in the section of its group.
awk -F '|' '
NR == FNR { known[$1 SUBSEP $2] = 1; next }
!(($1 SUBSEP $2) in known) {
	printf "  %s is not a key of %s\n", $2,
	    $1 == "" ? "any section (it is outside them)" : "[" $1 "]"
}' "$work/table" "$work/documented" >"$work/extra"
if [ -s "$work/extra" ]; then
	fail "evfeed.conf.5 documents no key that the table lacks"
	diag_file "$work/extra"
else
	pass "evfeed.conf.5 documents no key that the table lacks"
fi

# ---------------------------------------------- evfeed(1) commands, options

if "$EVFEED" --help >"$work/help" 2>"$work/help.err"; then
	pass "evfeed --help succeeds"
else
	fail "evfeed --help succeeds"
	diag_file "$work/help.err"
fi

# The commands: the first word of the lines indented by two spaces after
# "Commands:", up to the next blank line.
awk '/^Commands:/ { on = 1; next }
on && /^[ \t]*$/ { on = 0 }
on && /^  [a-z]/ { print $1 }' "$work/help" >"$work/commands"
# The options: "-X, --NAME" or "--NAME" at the start of the lines before
# "Commands:", as "X NAME" (X is - when there is no short form).
awk '/^Commands:/ { exit }
/^  +-[A-Za-z?], --[a-z]/ {
	s = $1; sub(/^-/, "", s); sub(/,$/, "", s)
	l = $2; sub(/^--/, "", l); sub(/=.*/, "", l)
	print s, l
	next
}
/^  +--[a-z]/ { l = $1; sub(/^--/, "", l); sub(/=.*/, "", l); print "-", l }' \
    "$work/help" >"$work/options"

grep '^\.It Cm ' "$doc/evfeed.1" | awk '{ print $3 }' >"$work/documented-commands"

if [ ! -s "$work/commands" ]; then
	fail "evfeed --help lists commands"
	diag_file "$work/help"
fi
while read -r cmd; do
	if grep -qx "$cmd" "$work/documented-commands"; then
		pass "evfeed.1 documents the command $cmd"
	else
		fail "evfeed.1 documents the command $cmd"
		diag "no item '.It Cm $cmd' in evfeed.1"
	fi
done <"$work/commands"

extra=$(grep -vxF -f "$work/commands" "$work/documented-commands")
if [ -z "$extra" ]; then
	pass "evfeed.1 documents no command that evfeed --help lacks"
else
	fail "evfeed.1 documents no command that evfeed --help lacks"
	diag "not in evfeed --help:" "$extra"
fi

if [ ! -s "$work/options" ]; then
	fail "evfeed --help lists options"
	diag_file "$work/help"
fi
while read -r short long; do
	if awk -v s="$short" -v l="$long" '
	    /^\.It / {
		line = " " $0 " "
		if (index(line, " Fl Fl " l " ") &&
		    (s == "-" || index(line, " Fl " s " ")))
			found = 1
	    }
	    END { exit !found }' "$doc/evfeed.1"; then
		pass "evfeed.1 documents the option --$long"
	else
		fail "evfeed.1 documents the option --$long"
		diag "no item '.It Fl $short ... , Fl Fl $long ...' in evfeed.1"
	fi
done <"$work/options"

# --------------------------------------------------- evfeed-event(5) keys

awk '/^static const char \*const known_keys\[\] = [{]/ { on = 1; next }
on && /^[}];/ { exit }
on {
	line = $0
	while (match(line, /"[^"]*"/)) {
		print substr(line, RSTART + 1, RLENGTH - 2)
		line = substr(line, RSTART + RLENGTH)
	}
}' "$top_srcdir/src/eventfile.c" >"$work/event-keys"

grep '^\.It Cm ' "$doc/evfeed-event.5" >"$work/event-items"
awk '{ print $3 }' "$work/event-items" >"$work/documented-event-keys"

nkeys=$(wc -l <"$work/event-keys")
if [ "$nkeys" -ge 5 ]; then
	pass "known_keys[] of src/eventfile.c can be read ($nkeys keys)"
else
	fail "known_keys[] of src/eventfile.c can be read ($nkeys keys)"
fi
while read -r key; do
	if grep -qx "\\.It Cm $key Ns \\\\&: .*" "$work/event-items"; then
		pass "evfeed-event.5 documents the key $key"
	else
		fail "evfeed-event.5 documents the key $key"
		diag "no item '.It Cm $key Ns \\&: ...' in evfeed-event.5"
	fi
done <"$work/event-keys"

extra=$(grep -vxF -f "$work/event-keys" "$work/documented-event-keys")
if [ -z "$extra" ]; then
	pass "evfeed-event.5 documents no key that known_keys[] lacks"
else
	fail "evfeed-event.5 documents no key that known_keys[] lacks"
	diag "not in known_keys[]:" "$extra"
fi

done_testing
