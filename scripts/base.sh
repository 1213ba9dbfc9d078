#!/bin/bash
# scripts/base.sh: make the "base" commit, Debian's linux-source-6.12 as apt serves it today.
#
# Installs linux-source-6.12 if missing, unpacks its tarball into $CACHE/linux and records
# it as a commit "base" on the branch base-<version>.  Idempotent: a base that already
# exists for the installed tarball is reused.  Prints the version on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs linux-source-6.12 xz-utils git
# Debian moves 6.12.y forward: use what apt serves today, not an older install.
installed=$(dpkg-query -W -f='${Version}' linux-source-6.12)
candidate=$(apt-cache policy linux-source-6.12 | sed -n 's/^ *Candidate: //p')
if [ -n "$candidate" ] && [ "$candidate" != "(none)" ] && [ "$candidate" != "$installed" ]; then
	say "upgrading linux-source-6.12 $installed to apt's $candidate"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"linux-source-6.12=$candidate" >/dev/null || die "apt-get install linux-source-6.12=$candidate failed"
fi
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null) ||
	die "linux-source-6.12 is installed but /usr/src/linux-source-6.12.tar.xz is missing"
debver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
stamp="$debver $(stat -c %s "$tarball")"

if [ -f "$KREPO/.base-stamp" ] && [ "$(cat "$KREPO/.base-stamp")" = "$stamp" ]; then
	ver=$(git -C "$KREPO" show base:Makefile | sed -n 's/^SUBLEVEL = //p')
	say "reusing base 6.12.$ver (Debian linux-source-6.12 $debver)"
	echo "6.12.$ver"
	exit 0
fi

say "unpacking $tarball (Debian $debver) into $KREPO"
rm -rf "$KREPO.tmp"
mkdir -p "$KREPO.tmp"
tar -C "$KREPO.tmp" --strip-components=1 -xJf "$tarball"
ver=$(kernel_version "$KREPO.tmp")
case "$ver" in
6.12.*) ;;
*) die "linux-source-6.12 unpacked to version '$ver', expected 6.12.y" ;;
esac

say "recording linux $ver as commit 'base'"
git -C "$KREPO.tmp" init -q -b "base-$ver"
git -C "$KREPO.tmp" config user.name "xen-pvh base"
git -C "$KREPO.tmp" config user.email "xen-pvh@localhost"
git -C "$KREPO.tmp" config gc.auto 0
git -C "$KREPO.tmp" add -A -f .
GIT_AUTHOR_DATE="@0 +0000" GIT_COMMITTER_DATE="@0 +0000" \
	git -C "$KREPO.tmp" commit -q -m "base" \
	-m "Linux $ver from Debian's linux-source-6.12 $debver."
git -C "$KREPO.tmp" tag -f base >/dev/null
echo "$stamp" >"$KREPO.tmp/.base-stamp"
echo "/.base-stamp" >>"$KREPO.tmp/.git/info/exclude"
rm -rf "$KREPO"
mv "$KREPO.tmp" "$KREPO"
say "base is linux $ver (Debian linux-source-6.12 $debver)"
echo "$ver"
