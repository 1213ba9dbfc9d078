#!/bin/bash
# scripts/deb-src.sh: fetch and unpack one of Debian's source packages, print its directory.
#
# Usage: scripts/deb-src.sh PKG SUITE [VERSION | --series PREFIX]
#
# Downloads the source package PKG of Debian's SUITE (its newest version there, exactly
# VERSION, or the newest whose version starts with PREFIX.) with `apt-get source
# --download-only` against a private sources list, lists directory and package cache under
# $CACHE/deb-src (the machine's apt setup is not touched), unpacks it with dpkg-source (which
# checks it against the .dsc and applies Debian's own patches) into $CACHE/deb-src/PKG-VERSION
# (VERSION without its epoch)
# and prints that directory on stdout.  The tree is left pristine: builds work on copies of
# it or out of tree.  The private lists are refreshed when older than a week (APT_REFRESH=1
# forces it), so a warm run needs no network.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: scripts/deb-src.sh PKG SUITE [VERSION | --series PREFIX]"
[ $# -ge 2 ] && [ $# -le 4 ] || die "$usage"
pkg=$1 suite=$2 want=${3:-} series=
if [ "$want" = --series ]; then
	[ $# = 4 ] || die "$usage"
	series=$4 want=
fi
top=$CACHE/deb-src
need_pkgs dpkg-dev
mkdir -p "$top/dl"
private_apt "$top/apt-$suite" deb-src "$suite" 7

if [ -z "$want" ]; then
	want=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" 2>/dev/null |
		awk -v s="$series" '$1 == "Version:" && index($2, s) == 1 { print $2 }' |
		sort -V | tail -1)
	[ -n "$want" ] || die "no source package $pkg${series:+ $series*} in Debian's $suite"
fi
ver=${want#*:}		# no epoch: a colon in a path upsets build tools
src=$top/$pkg-$ver
if [ -f "$src/.unpacked" ]; then
	printf '%s\n' "$src"
	exit 0
fi

dsc=$top/dl/${pkg}_$ver.dsc
if [ ! -f "$dsc" ]; then
	say "downloading the source package $pkg=$want ($suite)"
	(cd "$top/dl" && apt-get "${apt_opts[@]}" -q source --download-only "$pkg=$want" >&2) ||
		die "apt-get source $pkg=$want failed"
fi
say "unpacking $dsc (applies Debian's patches)"
rm -rf "$src" "$src.tmp"
# dpkg-source checks the tarballs against the .dsc; apt checked the .dsc against the signed
# Sources index (without debian-keyring, dpkg-source only warns it cannot verify its signature)
dpkg-source -x --no-copy "$dsc" "$src.tmp" >/dev/null || die "dpkg-source -x $dsc failed"
mv "$src.tmp" "$src"
touch "$src/.unpacked"
printf '%s\n' "$src"
