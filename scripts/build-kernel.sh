#!/bin/bash
# scripts/build-kernel.sh [--pvh y|n] [--base BASE] [--modules] [--config-only] SRC OUT FRAGMENT...
#
# Configure and build a kernel out of tree: a base configuration, the
# fragments merged with scripts/kconfig/merge_config.sh, olddefconfig, then
# bzImage (and vmlinux) with ccache.  BASE is tinyconfig (the default),
# "defconfig xen.config" or any other make config targets, or a .config
# file (a distribution's config-* file, say).  Fails if any option a fragment asks for did not
# end up in .config, so a silently dropped dependency cannot pass for a build
# of the configuration we meant.
#
# --pvh y|n adds configs/pvh-y.config or configs/pvh-n.config.  A tree that has
# no CONFIG_XEN_PVH yet (the series before its Kconfig patch) cannot build
# PVH=y: the build is then PVH=n and OUT/pvh says "none".
# --modules also builds the modules and installs them, stripped, below
# OUT/modules-root; OUT/modules points at their lib/modules/RELEASE (what
# lab/run.sh --dom0-moddir takes).
# --config-only stops after the .config check.
#
# Only one kernel compile runs at a time on this 2-core machine (flock).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pvh=
config_only=
modules=
base=tinyconfig
while [ $# -gt 0 ]; do
	case "$1" in
	--pvh) pvh=$2; shift 2 ;;
	--base) base=$2; shift 2 ;;
	--modules) modules=1; shift ;;
	--config-only) config_only=1; shift ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || die "usage: build-kernel.sh [--pvh y|n] [--base BASE] [--modules] [--config-only] SRC OUT FRAGMENT..."
src=$(cd "$1" && pwd)
out=$2
shift 2
frags=("$@")
need_pkgs build-essential bc flex bison libelf-dev libssl-dev ccache cpio kmod

case "$pvh" in
"") ;;
y|n)
	if grep -q '^config XEN_PVH$' "$src/arch/x86/xen/Kconfig" "$src"/arch/x86/xen/Kconfig.* 2>/dev/null; then
		frags+=("$TOP/configs/pvh-$pvh.config")
	else
		[ "$pvh" = y ] && say "note: $src has no CONFIG_XEN_PVH; building without PVH"
		frags+=("$TOP/configs/pvh-n.config")
		pvh=none
	fi
	;;
*) die "--pvh takes y or n, not '$pvh'" ;;
esac

mkdir -p "$out" "$CCACHE_DIR"
out=$(cd "$out" && pwd)

kmake() {
	make -C "$src" O="$out" -j"$(nproc)" -s \
		CC="ccache gcc" HOSTCC="ccache gcc" \
		KBUILD_BUILD_TIMESTAMP="@0" KBUILD_BUILD_USER=xen-pvh \
		KBUILD_BUILD_HOST=lab LOCALVERSION=-xen-pvh "$@"
}

say "configuring $(kernel_version "$src") in $out: ${base##*/}, then ${frags[*]##*/}"
if [ -f "$base" ]; then
	cp "$base" "$out/.config"
	kmake olddefconfig >/dev/null
else
	# shellcheck disable=SC2086
	kmake $base >/dev/null || die "make $base failed"
fi
KCONFIG_CONFIG="$out/.config" "$src/scripts/kconfig/merge_config.sh" \
	-m -O "$out" "$out/.config" "${frags[@]}" >"$out/merge.log" 2>&1 ||
	die "merge_config.sh failed, see $out/merge.log"
kmake olddefconfig >/dev/null

# Every option requested must be in .config exactly as requested.
missing=$(cat "${frags[@]}" | sed -n \
	-e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)$/\1/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' |
	while IFS= read -r want; do
		sym=${want%%=*}
		val=${want#*=}
		have=$(sed -n "s/^$sym=//p" "$out/.config")
		[ "$val" = n ] && [ -z "$have" ] && continue
		[ "$have" = "$val" ] || echo "  $sym: asked for $val, got ${have:-not set}"
	done)
[ -z "$missing" ] || die "options that did not end up in .config:
$missing"
[ -n "$pvh" ] && echo "$pvh" >"$out/pvh"
say "configured: $(grep -c '=y$' "$out/.config") options =y"
[ -z "$config_only" ] || exit 0

# Compiling is what the lock is for; configuring is cheap.
exec 9>/tmp/xen-pvh-kbuild.lock
if ! flock -n 9; then
	say "waiting for another kernel build to finish"
	flock 9
fi

say "building bzImage (ccache $CCACHE_DIR)"
start=$(date +%s)
ccache -z >/dev/null
kmake bzImage || die "build failed"
if [ -n "$modules" ]; then
	say "building and installing the modules in $out/modules-root"
	rm -rf "$out/modules-root"
	kmake modules || die "modules build failed"
	kmake modules_install INSTALL_MOD_PATH="$out/modules-root" INSTALL_MOD_STRIP=1 \
		>/dev/null || die "modules_install failed"
	ln -sfn "modules-root/lib/modules/$(cat "$out/include/config/kernel.release")" "$out/modules"
fi
secs=$(( $(date +%s) - start ))
hits=$(ccache -s 2>/dev/null | sed -n 's/^ *Hits: *\([0-9]*\).*/\1/p' | head -1)
say "built $out/arch/x86/boot/bzImage${modules:+ and the modules} in ${secs}s (ccache hits: ${hits:-?})"
echo "$secs" >"$out/build-seconds"
