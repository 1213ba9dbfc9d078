#!/bin/bash
# scripts/apt-fetch.sh: download Debian binary packages from suites beyond bookworm, print paths.
#
# Usage: scripts/apt-fetch.sh PKG[=VERSION|/SUITE]...
#        scripts/apt-fetch.sh --newest REGEX: download the package whose name matches the
#        extended regular expression REGEX with the highest version in its name
#        (linux-image-7\.3\.[0-9]+\+deb13-amd64, say)
#
# The lab and the bases need packages that bookworm does not carry (linux-source-7.3 from
# trixie-backports, Xen 4.20 from trixie, QEMU 10 from bookworm-backports).  This runs
# `apt-get download` against a private sources list (bookworm-backports, trixie,
# trixie-backports, sid) with its own lists and cache under $CACHE/apt, so the machine's
# own apt setup is never touched, and prints each downloaded .deb's path on stdout.
# A package without a version gets apt's candidate: the highest version of those suites;
# PKG/SUITE gets that suite's version (trixie's libc6 for Xen 4.20's tools, not sid's).
# The private lists are refreshed when older than a day (APT_REFRESH=1 forces it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: $0 PKG[=VERSION|/SUITE]... | --newest REGEX"
APTDIR=$CACHE/apt
DLDIR=$APTDIR/debs

mkdir -p "$DLDIR"
private_apt "$APTDIR" deb "bookworm-backports trixie trixie-backports sid" 1

if [ "$1" = --newest ]; then
	[ $# = 2 ] || die "usage: $0 --newest REGEX"
	pkg=$(apt-cache "${apt_opts[@]}" pkgnames | grep -E "^($2)\$" | sort -V | tail -1)
	[ -n "$pkg" ] || die "no package named like '$2' in the private suites"
	set -- "$pkg"
fi

# One apt-cache policy call for every package without a version (each call costs a second or
# more, and lab/fetch.sh asks for some twenty on every lab run), as "PKG SUITE VERSION" lines:
# SUITE "=" for the candidate, else each suite's newest version (the version table lists a
# version line, then the lines of the suites that carry it, newest first).
names=()
for spec in "$@"; do [[ "$spec" == *=* ]] || names+=("${spec%%/*}"); done
table=
if [ ${#names[@]} -gt 0 ]; then
	table=$(apt-cache "${apt_opts[@]}" policy "${names[@]}" | awk '
		/^[^ ]/ { p = $1; sub(":$", "", p); v = ""; next }
		$1 == "Candidate:" { print p, "=", $2; next }
		/^(     | \*\*\* )[^ ]/ { v = ($1 == "***") ? $2 : $1; next }
		v != "" && $2 ~ /:\/\// { split($3, a, "/"); if (!seen[p, a[1]]++) print p, a[1], v }')
fi

for spec in "$@"; do
	pkg=${spec%%[=/]*}
	case "$spec" in
	*=*) ver=${spec#*=} ;;
	*/*) ver=$(awk -v p="$pkg" -v s="${spec#*/}" '$1 == p && $2 == s { print $3; exit }' <<<"$table")
	     [ -n "$ver" ] || die "no package $pkg in ${spec#*/}" ;;
	*) ver=$(awk -v p="$pkg" '$1 == p && $2 == "=" { print $3; exit }' <<<"$table")
	   [ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no package $pkg in the private suites" ;;
	esac
	# apt-get download writes an epoch's ':' as %3a in the file name
	deb=$(ls "$DLDIR/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1) || true
	if [ -z "$deb" ]; then
		say "downloading $pkg=$ver"
		(cd "$DLDIR" && apt-get "${apt_opts[@]}" -q download "$pkg=$ver" >&2) ||
			die "apt-get download $pkg=$ver failed"
		deb=$(ls "$DLDIR/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1)
		[ -n "$deb" ] || die "apt-get download $pkg=$ver left no .deb in $DLDIR"
	fi
	printf '%s\n' "$deb"
done
