#!/bin/bash
# scripts/build-configs.sh [NAME...]: build the series with the configurations users run; TAP.
#
#   defxen    make defconfig xen.config (CONFIG_XEN_PVH=y comes from xen.config),
#             and configs/defxen-lab.config (a bridge module for the lab's
#             dom0), with its modules (OUT/modules: the Xen backends dom0 loads)
#   defxen-n  the same with CONFIG_XEN_PVH=n (for bench/size.sh); its first
#             build starts from a copy of defxen's (seed_objdir)
#   debian    Debian's own config for BASE (the stock kernel's config-*, fetched by
#             lab/fetch.sh) with every =m option turned off, then
#             configs/debian-lab.config: what the lab needs built in, modules
#             and debug info off
# Default: all three.  Each builds the series tree ($BUILD/linux/src, `make
# series`) into $BUILD/linux/obj-NAME with scripts/build-kernel.sh, which
# checks that the options asked for are in .config; one TAP line per build
# says how long it took (a first build of defxen takes about 15 minutes on
# two cores, debian longer; ccache makes the next ones quick).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$BUILD/linux/src
[ -f "$src/Makefile" ] || die "no series tree in $src: run 'make series' first"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(defxen defxen-n debian)

n=0 failed=0
for name in "${names[@]}"; do
	case "$name" in
	defxen)
		opts=(--pvh y --base "defconfig xen.config" --modules)
		frags=("$TOP/configs/defxen-lab.config")
		desc="defconfig + xen.config, XEN_PVH=y"
		;;
	defxen-n)
		opts=(--pvh n --base "defconfig xen.config")
		frags=("$TOP/configs/defxen-lab.config")
		desc="defconfig + xen.config, XEN_PVH=n"
		;;
	debian)
		"$TOP/lab/fetch.sh" >/dev/null
		# shellcheck disable=SC1091
		. "$CACHE/lab/lab.env"
		cfg=$KERNEL_ROOT/boot/config-$STOCK_KVER
		[ -f "$cfg" ] || die "no Debian config $cfg (lab/fetch.sh)"
		# With CONFIG_MODULES off, Kconfig builds every =m option in: Debian's
		# 4000 modules. Off they go first; debian-lab.config brings back the few
		# the lab's guests and dom0 use.
		base=$BUILD/linux/config-$STOCK_KVER-nomodules
		sed 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' "$cfg" >"$base"
		opts=(--pvh y --base "$base") frags=("$TOP/configs/debian-lab.config")
		desc="Debian's config-$STOCK_KVER, modules off, XEN_PVH=y"
		;;
	*) die "unknown configuration '$name' (defxen, defxen-n, debian)" ;;
	esac
	obj=$BUILD/linux/obj-$name
	n=$((n + 1))
	[ "$name" != defxen-n ] || seed_objdir "$BUILD/linux/obj-defxen" "$obj"
	say "building $desc in $obj"
	if "$TOP/scripts/build-kernel.sh" "${opts[@]}" "$src" "$obj" ${frags[@]+"${frags[@]}"} \
		>"$obj.log" 2>&1; then
		echo "ok $n - the series builds with $desc ($(cat "$obj/build-seconds") s)"
	else
		echo "not ok $n - the series builds with $desc"
		tail -15 "$obj.log" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[ "$failed" = 0 ]
