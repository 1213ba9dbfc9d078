#!/bin/bash
# scripts/build-selftests.sh [OUT]: build the Xen guest selftests as static binaries for the
# lab's guest image.
#
# The sources are this repository's tools/testing/selftests/xen (the files the series copies
# into the kernel tree); the kselftest framework (lib.mk, kselftest.h, kselftest_harness.h,
# kselftest/) and Xen's interface headers (include/xen/interface) come from the base kernel
# (commit "base" of $CACHE/linux, made by scripts/base.sh), so neither the series tree nor a
# kernel build is needed; the uapi headers (xen/evtchn.h, gntdev.h, gntalloc.h) are the
# host's (linux-libc-dev). The build is the suite's own Makefile on lib.mk, with
# USERLDFLAGS=-static, in OUT/tree; the binaries go to OUT/xen and are rebuilt only when an
# input changed (the sources, the framework, gcc, libc, this script), with OUT/xen/progs, their
# names in the Makefile's order, comma-separated (the lab's lab.selftests=all: every program
# but xen_vcpu_hotplug). OUT defaults to $BUILD/selftests. Prints OUT/xen.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:-$BUILD/selftests}
src=$TOP/tools/testing/selftests/xen
[ -f "$src/Makefile" ] || die "no $src/Makefile"
need_pkgs make gcc libc6-dev linux-libc-dev git file
git -C "$KREPO" rev-parse -q --verify base^{commit} >/dev/null 2>&1 || "$TOP/scripts/base.sh" >/dev/null
basec=$(git -C "$KREPO" rev-parse base^{commit})

# the base's part the build reads
fw=(tools/testing/selftests/lib.mk tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h tools/testing/selftests/kselftest
	tools/testing/selftests/vDSO/parse_vdso.c tools/testing/selftests/vDSO/parse_vdso.h
	include/xen/interface)
key=$({
	echo "base $basec"
	gcc --version | head -1
	dpkg-query -W -f='${Version}\n' libc6-dev linux-libc-dev
	sha256sum "$0"
	(cd "$src" && find . -type f ! -name .gitkeep | LC_ALL=C sort | xargs sha256sum)
} | sha256sum | cut -c1-16)
if [ -f "$out/xen/.key" ] && [ "$(cat "$out/xen/.key")" = "$key" ]; then
	say "reusing $out/xen (selftests unchanged)"
	echo "$out/xen"; exit 0
fi

say "building the Xen selftests (static) in $out"
rm -rf "$out/tree" "$out/xen"
mkdir -p "$out/tree" "$out/xen"
out=$(cd "$out" && pwd)
git -C "$KREPO" archive --format=tar "$basec" -- "${fw[@]}" | tar -x -C "$out/tree"
mkdir -p "$out/tree/tools/testing/selftests/xen"
(cd "$src" && find . -type f ! -name .gitkeep | cpio -pdm --quiet "$out/tree/tools/testing/selftests/xen")
# KHDR_INCLUDES: the host's uapi headers instead of the tree's (the tree has no usr/include)
make -s -C "$out/tree/tools/testing/selftests/xen" OUTPUT="$out/xen" \
	KHDR_INCLUDES= USERLDFLAGS=-static >&2 || die "the selftests do not build"
progs=$(make -s --no-print-directory -C "$out/tree/tools/testing/selftests/xen" OUTPUT="$out/xen" \
	-f Makefile -f - print-progs <<<'print-progs: ; @echo $(TEST_GEN_PROGS)')
[ -n "$progs" ] || die "no TEST_GEN_PROGS in $src/Makefile"
for p in $progs; do
	[ -x "$p" ] || die "missing $p after the build"
	file -L "$p" | grep -q 'statically linked' || die "$p is not static"
done
# the lab's guest runs them in this order (guest-init.sh, lab.selftests=all); all but the vCPU
# hotplug stress test and save/restore, which a plan names, as each needs a host that answers
# (lab/plans/smp.plan, lab/plans/lifecycle.plan)
for p in $progs; do
	case "${p##*/}" in xen_vcpu_hotplug | xen_suspend) ;; *) echo "${p##*/}" ;; esac
done | paste -sd, >"$out/xen/progs"
echo "$key" >"$out/xen/.key"
say "built: $(for p in $progs; do printf '%s ' "${p##*/}"; done)"
echo "$out/xen"
