#!/bin/bash
# scripts/build-upstream.sh: build upstream's own PVH code with our configuration, the fair
# anchor of the benchmarks.
#
# The base tree of $BASE without the series (Debian's linux-source, upstream's PVH entry and
# Xen PVH guest as they are) is checked out in $BUILD/upstream/src and built with
# configs/domU.config and CONFIG_XEN_PVH=y into $BUILD/upstream/obj: the same layout as our
# $BUILD/linux/src and obj, so that every file the series leaves alone is a ccache hit
# (ccache sees the paths relative to the object directory).  Next to our
# kernel (the same configuration with the series) and Debian's stock kernel (Debian's
# configuration), it tells what our code, not our configuration, buys.  Prints the bzImage.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$BUILD/upstream/src
obj=$BUILD/upstream/obj
"$TOP/scripts/base.sh" >/dev/null
if [ ! -d "$src/.git" ]; then
	rm -rf "$src"
	mkdir -p "${src%/*}"
	git clone -q --local --no-checkout "$KREPO" "$src"
fi
git -C "$src" fetch -q -f "$KREPO" "+refs/tags/base:refs/tags/base"
git -C "$src" checkout -q -f --detach base
git -C "$src" clean -q -fdx
"$TOP/scripts/build-kernel.sh" --pvh y "$src" "$obj" "$TOP/configs/domU.config" >&2
echo "$obj/arch/x86/boot/bzImage"
