#!/bin/bash
# scripts/base.sh: make the "base" commit of BASE, Debian's linux-source-$BASE as apt serves it.
#
# BASE=7.3 (mainline, the default) comes from trixie-backports through scripts/apt-fetch.sh,
# downloaded and unpacked, never installed; BASE=6.12 (the LTS backport) is bookworm's own
# linux-source-6.12, installed with apt.  The tarball is unpacked into $KREPO and recorded as
# a commit "base" on the branch base-<version>.  Idempotent: a base that already exists for
# the same package is reused.  Prints the version on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=linux-source-$BASE
need_pkgs xz-utils git

# source_tarball: set $tarball and $debver from the package that serves BASE today.
source_tarball() {
	local deb dir
	case "$BASE" in
	6.12)
		need_pkgs "$pkg"
		# Debian moves 6.12.y forward: use what apt serves today, not an older install.
		local installed candidate
		installed=$(dpkg-query -W -f='${Version}' "$pkg")
		candidate=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
		if [ -n "$candidate" ] && [ "$candidate" != "(none)" ] && [ "$candidate" != "$installed" ]; then
			say "upgrading $pkg $installed to apt's $candidate"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				"$pkg=$candidate" >/dev/null || die "apt-get install $pkg=$candidate failed"
		fi
		tarball=/usr/src/$pkg.tar.xz
		debver=$(dpkg-query -W -f='${Version}' "$pkg")
		;;
	*)
		deb=$("$TOP/scripts/apt-fetch.sh" "$pkg")
		debver=$(dpkg-deb -f "$deb" Version)
		dir=$CACHE/src/$pkg-$debver
		if [ ! -f "$dir/usr/src/$pkg.tar.xz" ]; then
			rm -rf "$dir"
			mkdir -p "$dir"
			dpkg-deb -x "$deb" "$dir"
		fi
		tarball=$dir/usr/src/$pkg.tar.xz
		;;
	esac
	[ -f "$tarball" ] || die "$pkg $debver has no $tarball"
}

source_tarball
stamp="$debver $(stat -c %s "$tarball")"

if [ -f "$KREPO/.base-stamp" ] && [ "$(cat "$KREPO/.base-stamp")" = "$stamp" ]; then
	ver=$(git -C "$KREPO" show base:Makefile | sed -n 's/^SUBLEVEL = //p')
	say "reusing base $BASE.$ver (Debian $pkg $debver)"
	echo "$BASE.$ver"
	exit 0
fi

say "unpacking $tarball (Debian $debver) into $KREPO"
rm -rf "$KREPO.tmp"
mkdir -p "$KREPO.tmp"
tar -C "$KREPO.tmp" --strip-components=1 -xJf "$tarball"
ver=$(kernel_version "$KREPO.tmp")
case "$ver" in
"$BASE".*) ;;
*) die "$pkg unpacked to version '$ver', expected $BASE.y" ;;
esac

say "recording linux $ver as commit 'base'"
git -C "$KREPO.tmp" init -q -b "base-$ver"
git -C "$KREPO.tmp" config user.name "xen-pvh base"
git -C "$KREPO.tmp" config user.email "xen-pvh@localhost"
git -C "$KREPO.tmp" config gc.auto 0
git -C "$KREPO.tmp" add -A -f .
GIT_AUTHOR_DATE="@0 +0000" GIT_COMMITTER_DATE="@0 +0000" \
	git -C "$KREPO.tmp" commit -q -m "base" \
	-m "Linux $ver from Debian's $pkg $debver."
git -C "$KREPO.tmp" tag -f base >/dev/null
echo "$stamp" >"$KREPO.tmp/.base-stamp"
echo "/.base-stamp" >>"$KREPO.tmp/.git/info/exclude"
rm -rf "$KREPO"
mv "$KREPO.tmp" "$KREPO"
say "base is linux $ver (Debian $pkg $debver)"
echo "$ver"
