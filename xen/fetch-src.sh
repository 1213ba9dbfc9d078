#!/bin/bash
# xen/fetch-src.sh: fetch and unpack Debian's Xen source package, print its dir.
#
# Usage: xen/fetch-src.sh [VERSION]
#
# The source package of the Xen that Debian's installed tools come from (4.17 on bookworm),
# out of bookworm's main suite (the security suite serves binaries only), through
# scripts/deb-src.sh: unpacked with Debian's own patches into $CACHE/deb-src/xen-VERSION,
# which it prints.  The tree is left pristine: builds and tests work on copies of it.
#
# VERSION (or $XEN_SRC_VERSION) pins a version; by default the newest one in main of the
# upstream series XEN_SERIES (4.17) is used.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

want=${1:-${XEN_SRC_VERSION:-}}
if [ -n "$want" ]; then
	exec "$TOP/scripts/deb-src.sh" xen bookworm "$want"
fi
exec "$TOP/scripts/deb-src.sh" xen bookworm --series "${XEN_SERIES:-4.17}."
