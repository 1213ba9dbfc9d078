#!/bin/bash
# xen/fetch-src.sh: fetch and unpack Debian's source of the lab's Xen, print its dir.
#
# Usage: [XEN=4.17|4.20] xen/fetch-src.sh [VERSION]
#
# The source package of the Xen whose tools the lab runs ($XEN, scripts/lib.sh): 4.17 from
# bookworm, 4.20 from trixie, out of the suite's main archive (the security suites serve
# binaries only), through scripts/deb-src.sh: unpacked with Debian's own patches into
# $CACHE/deb-src/xen-VERSION, which it prints.  The tree is left pristine: builds and tests
# work on copies of it.
#
# VERSION (or $XEN_SRC_VERSION) pins a version; by default the newest one of the series $XEN
# in that suite is used.
#
# XEN_SRC_DIR=DIR uses an unpacked Xen source tree of the series $XEN instead (upstream's
# RELEASE-4.20.N, say), for a machine whose Debian mirror does not serve the source package:
# only its version is checked, and DIR is printed as is.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

if [ -n "${XEN_SRC_DIR:-}" ]; then
	mk=$XEN_SRC_DIR/xen/Makefile
	[ -f "$mk" ] || die "XEN_SRC_DIR=$XEN_SRC_DIR: no xen/Makefile, not a Xen source tree"
	series=$(awk -F' *[?:]?= *' '$1 == "export XEN_VERSION" { v = $2 }
		$1 == "export XEN_SUBVERSION" { s = $2 } END { print v "." s }' "$mk")
	[ "$series" = "$XEN" ] || die "XEN_SRC_DIR=$XEN_SRC_DIR is Xen $series, not $XEN"
	cd "$XEN_SRC_DIR" && pwd
	exit 0
fi

# the suite whose binaries the lab unpacks (lab/fetch.sh), so the source matches them
case "$XEN" in
4.17) suite=bookworm ;;
4.20) suite=trixie ;;
esac
want=${1:-${XEN_SRC_VERSION:-}}
if [ -n "$want" ]; then set -- "$want"; else set -- --series "$XEN."; fi
"$TOP/scripts/deb-src.sh" xen "$suite" "$@" ||
	die "no source of Debian's Xen $XEN from $suite (XEN_SRC_DIR=DIR takes an unpacked tree instead)"
