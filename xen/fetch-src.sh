#!/bin/bash
# xen/fetch-src.sh: fetch and unpack Debian's Xen source package, print its dir.
#
# Usage: xen/fetch-src.sh [VERSION]
#
# Gets the source package of the Xen that Debian's installed tools come from
# (4.17 on bookworm) out of bookworm's main suite, unpacks it with
# dpkg-source (which applies Debian's own quilt patches) into
# $CACHE/xen/src-VERSION and prints that directory on stdout.  The tree is
# left pristine: builds and tests work on copies of it.
#
# The security suite serves binaries only, so deb-src has to come from main.
# The machine's apt configuration is not touched: a private deb822 sources
# list, lists directory and package cache under $CACHE/xen/apt are used.
#
# VERSION (or $XEN_SRC_VERSION) pins a version; by default the newest one
# in main of the installed libxen-dev's upstream series (4.17) is used.  The
# private lists are refreshed when older than a week (XEN_APT_REFRESH=1
# forces it), so a warm run needs no network.

set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

SERIES=${XEN_SERIES:-4.17}
want=${1:-${XEN_SRC_VERSION:-}}
APTDIR=$CACHE/xen/apt
DLDIR=$CACHE/xen/dl

need_pkgs dpkg-dev
mkdir -p "$DLDIR"
APT_REFRESH=${XEN_APT_REFRESH:-0} private_apt "$APTDIR" deb-src bookworm 7

if [ -z "$want" ]; then
	# Newest xen source of the wanted upstream series; main normally has one.
	want=$(apt-cache "${apt_opts[@]}" showsrc xen 2>/dev/null |
		awk -v s="$SERIES" '$1 == "Version:" && index($2, s ".") == 1 { print $2 }' |
		sort -V | tail -1)
	[ -n "$want" ] || die "no xen $SERIES source package in bookworm main"
fi
say "Debian xen source version: $want"

src=$CACHE/xen/src-$want
if [ -f "$src/.unpacked" ]; then
	printf '%s\n' "$src"
	exit 0
fi

dsc=$DLDIR/xen_${want#*:}.dsc
if [ ! -f "$dsc" ]; then
	say "downloading xen=$want source package"
	(cd "$DLDIR" && apt-get "${apt_opts[@]}" -q source --download-only "xen=$want" >&2) ||
		die "apt-get source xen=$want failed"
fi

say "unpacking $dsc (applies Debian's patches)"
rm -rf "$src" "$src.tmp"
# dpkg-source checks the tarballs against the .dsc; the .dsc itself was
# checked by apt against the signed Sources index (without debian-keyring,
# dpkg-source only warns that it cannot verify the .dsc's own signature).
dpkg-source -x --no-copy "$dsc" "$src.tmp" >/dev/null ||
	die "dpkg-source -x $dsc failed"
mv "$src.tmp" "$src"
touch "$src/.unpacked"
printf '%s\n' "$src"
