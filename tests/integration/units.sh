#!/bin/sh
# units.sh: the systemd unit (config/evfeed.service.in), its system user
# (config/sysusers.d/evfeed.conf) and nginx's site (config/nginx-site.conf) work
# together: the unit runs as the user systemd-sysusers makes, not as a
# DynamicUser (whose folder systemd keeps under /var/lib/private, which
# nginx may not enter), and writes under its StateDirectory, which others
# may read and where nginx's root is.
. "$top_srcdir/tests/integration/lib.sh"

unit=$top_srcdir/config/evfeed.service.in
users=$top_srcdir/config/sysusers.d/evfeed.conf
site=$top_srcdir/config/nginx-site.conf
tmp=$(mktmp)

# key NAME: the value of NAME= in the unit's [Service] (the last one).
key()
{
	sed -n "s/^$1=//p" "$unit" | tail -n 1
}

test -z "$(key DynamicUser)" || test "$(key DynamicUser)" = no
ok $? "the unit has no DynamicUser"
user=$(key User)
test -n "$user" && test "$(key Group)" = "$user"
ok $? "the unit runs as a user of its own ($user), in its group"
test "$(awk '$1 == "u" { print $2 }' "$users")" = "$user"
ok $? "sysusers.d/evfeed.conf makes that user"
state=$(key StateDirectory)
mode=$(key StateDirectoryMode)
test "$state" = evfeed && test "$(key WorkingDirectory)" = /var/lib/evfeed &&
	case $mode in 07[57][57]) true ;; *) false ;; esac
ok $? "its StateDirectory is /var/lib/$state, which others may read ($mode)"
root=$(sed -n 's/^[[:space:]]*root[[:space:]]*\([^;]*\);.*/\1/p' "$site")
case $root in /var/lib/"$state"/*) true ;; *) false ;; esac
ok $? "nginx-site.conf serves a folder under it ($root)"

if command -v systemd-sysusers >/dev/null 2>&1; then
	mkdir -p "$tmp/root/etc"
	systemd-sysusers --root="$tmp/root" "$users" >"$tmp/sysusers.out" 2>&1
	awk -F: -v u="$user" '$1 == u && $6 == "/var/lib/evfeed" { f = 1 }
		END { exit !f }' "$tmp/root/etc/passwd" &&
		grep -q "^$user:" "$tmp/root/etc/group"
	ok $? "systemd-sysusers reads sysusers.d/evfeed.conf: user and group $user, home /var/lib/evfeed" ||
		diag_file "$tmp/sysusers.out"
else
	skip "systemd-sysusers reads sysusers.d/evfeed.conf" "no systemd-sysusers here"
fi

done_testing
