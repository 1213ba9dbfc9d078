#!/bin/bash
# lab/run-xl.sh: lab/run.sh with our patched xl of the lab's Xen, or one TAP SKIP line when
# that Xen's source is out of reach.
#
# usage: [XEN=4.17|4.20] lab/run-xl.sh RUN.SH-ARGS...
#
# xen/build-xl.sh builds xl from the source of the Xen the lab boots (xen/fetch-src.sh).
# Debian's mirror here serves bookworm's Xen 4.17 source, but answers 404 for trixie's and
# sid's Xen 4.20 (lab/README.md), so without XEN_SRC_DIR a 4.20 lab has no patched xl: the
# run is skipped, saying why, and the 4.17 column of make check runs the same plan.  Any
# other failure to build xl fails.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

if ! why=$("$TOP/xen/fetch-src.sh" 2>&1 >/dev/null); then
	echo "ok 1 - patched xl of Xen $XEN # SKIP ${why##*error: }"
	exit 0
fi
xl=$("$TOP/xen/build-xl.sh") || die "xen/build-xl.sh failed for Xen $XEN"
exec "$HERE/run.sh" --xl "$xl" "$@"
