#!/bin/bash
# lab/fetch.sh: download and unpack what the Xen-under-QEMU lab boots, without installing it.
#
# usage: lab/fetch.sh
# Fetches by exact package name with `apt-get download` into $CACHE/lab/debs and unpacks with
# `dpkg-deb -x` into $CACHE/lab/root (no host package state changes, no triggers):
#   - Xen 4.17 hypervisor + toolstack + libs, version = apt's candidate for xen-hypervisor-4.17-amd64
#   - the newest stock Debian 6.1 kernel (dom0), and the stock kernel of each base for comparison
#     (upstream's PVH): bookworm's newest 6.12, and trixie-backports' newest 7.3 through
#     scripts/apt-fetch.sh (its vmlinuz and modules come in linux-binary-* and linux-modules-*)
#   - qemu-system-xen, the device model of an HVM guest (lab/run.sh adds it to dom0 for one)
# Writes $CACHE/lab/lab.env (sourced by the other lab scripts; STOCK_KVER and STOCK_KERNEL
# follow $BASE) and prints the versions on stdout.
# Idempotent: debs already present at the wanted version are reused; a new candidate is re-fetched.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

LAB=$CACHE/lab
DEBS=$LAB/debs
ROOT=$LAB/root
XEN_PKGS="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils libxencall1
	libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenmisc4.17 libxenstore4 libxentoollog1
	libxenhypfs1 libxendevicemodel1 libxentoolcore1"

need_pkgs xz-utils gzip

# One apt-cache call per question: each costs ~0.7 s, and a warm run should be quick.
lookup() {
	names=$(apt-cache pkgnames linux-image-6.)
	DOM0_PKG=$(grep -E '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' <<<"$names" | sort -V | tail -1)
	STOCK_PKG=$(grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' <<<"$names" | sort -V | tail -1)
	# candidate of every package we want, as "pkg version" lines
	cands=$(apt-cache policy xen-hypervisor-4.17-amd64 libyajl2 qemu-system-xen $DOM0_PKG $STOCK_PKG |
		awk '/^[^ ]/ { sub(":$", ""); p = $1 } /Candidate:/ { print p, $2 }')
	XEN_VERSION=$(cand xen-hypervisor-4.17-amd64)
}
cand() { awk -v p="$1" '$1 == p && $2 != "(none)" { print $2 }' <<<"$cands"; }
lookup
if [ -z "$XEN_VERSION" ] || [ -z "$DOM0_PKG" ] || [ -z "$STOCK_PKG" ]; then
	# A machine that never ran apt-get update knows no candidates; update once rather than fail.
	say "apt lists lack xen/kernel candidates; running apt-get update"
	apt-get update -q >/dev/null || die "apt-get update failed"
	lookup
fi
[ -n "$XEN_VERSION" ] || die "no candidate for xen-hypervisor-4.17-amd64 (bookworm-security needed)"
[ -n "$DOM0_PKG" ] || die "no linux-image-6.1.0-N-amd64-unsigned in the apt lists"
[ -n "$STOCK_PKG" ] || die "no linux-image-6.12.N+deb12-amd64-unsigned in the apt lists"
DOM0_KVER=${DOM0_PKG#linux-image-}; DOM0_KVER=${DOM0_KVER%-unsigned}
STOCK_KVER=${STOCK_PKG#linux-image-}; STOCK_KVER=${STOCK_KVER%-unsigned}

# Wanted "package=version" list. The xen libs are pinned to the hypervisor's version so that
# a half-updated mirror cannot give a toolstack that does not match its libraries.
want=()
for p in $XEN_PKGS; do want+=("$p=$XEN_VERSION"); done
for p in libyajl2 qemu-system-xen "$DOM0_PKG" "$STOCK_PKG"; do
	v=$(cand "$p"); [ -n "$v" ] || die "no candidate for $p"
	want+=("$p=$v")
done

mkdir -p "$DEBS"
# have PKG VERSION: path of the cached deb of exactly that version, if any (apt-get download
# names it PKG_VERSION_ARCH.deb, an epoch's ':' written as %3a)
have() {
	local f
	for f in "$DEBS/$1_${2//:/%3a}"_*.deb; do [ -f "$f" ] && { echo "$f"; return 0; }; done
	return 1
}
get=()
for pv in "${want[@]}"; do
	p=${pv%%=*} v=${pv#*=}
	have "$p" "$v" >/dev/null && continue
	rm -f "$DEBS/$p"_*.deb		# an older version: the candidate moved on
	get+=("$pv")
done
if [ ${#get[@]} -gt 0 ]; then
	say "downloading ${#get[@]} package(s): ${get[*]}"
	# The _apt sandbox user cannot write into root's cache; downloading as root is harmless here.
	(cd "$DEBS" && apt-get -o APT::Sandbox::User=root download -q "${get[@]}" >&2) || die "apt-get download failed"
fi

# Debian's 7.3 stock kernel, from trixie-backports.
stock73=$("$TOP/scripts/apt-fetch.sh" --newest 'linux-image-7\.3\.[0-9]+\+deb13-amd64')
STOCK73_KVER=$(basename "$stock73" | sed 's/^linux-image-\([^_]*\)_.*/\1/')
mapfile -t stock73_debs < <("$TOP/scripts/apt-fetch.sh" "linux-binary-$STOCK73_KVER" \
	"linux-modules-$STOCK73_KVER" "linux-base-$STOCK73_KVER")

# Unpack into one tree; redo it from scratch whenever the set of debs changes, so that files
# of a replaced version never linger.
debs=("${stock73_debs[@]}")
for pv in "${want[@]}"; do debs+=("$(have "${pv%%=*}" "${pv#*=}")") || die "missing deb for $pv"; done
stamp=$(printf '%s\n' "${debs[@]##*/}" | sort)
if [ ! -f "$ROOT/.stamp" ] || [ "$(cat "$ROOT/.stamp")" != "$stamp" ]; then
	say "unpacking ${#debs[@]} debs into $ROOT"
	rm -rf "$ROOT.tmp"; mkdir -p "$ROOT.tmp"
	for f in "${debs[@]}"; do dpkg-deb -x "$f" "$ROOT.tmp"; done
	# Trixie's kernels keep their image in /usr/lib/modules/RELEASE: give them bookworm's paths.
	for m in "$ROOT.tmp"/usr/lib/modules/*/vmlinuz; do
		[ -f "$m" ] || continue
		k=$(basename "$(dirname "$m")")
		mkdir -p "$ROOT.tmp/boot" "$ROOT.tmp/lib/modules"
		ln -s "../usr/lib/modules/$k/vmlinuz" "$ROOT.tmp/boot/vmlinuz-$k"
		ln -s "../usr/lib/modules/$k/config" "$ROOT.tmp/boot/config-$k"
		ln -s "../../usr/lib/modules/$k" "$ROOT.tmp/lib/modules/$k"
	done
	echo "$stamp" >"$ROOT.tmp/.stamp"
	rm -rf "$ROOT"; mv "$ROOT.tmp" "$ROOT"
	rm -f "$LAB/xen-4.17"
else
	say "reusing $ROOT"
fi

# QEMU's -kernel takes the gunzipped hypervisor as is: it is an ELF32 multiboot image.
xengz=$(ls "$ROOT"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -1)
[ -n "$xengz" ] || die "no boot/xen-4.17*-amd64.gz in $ROOT"
if [ ! -s "$LAB/xen-4.17" ]; then
	say "gunzipping ${xengz##*/}"
	zcat "$xengz" >"$LAB/xen-4.17.tmp" && mv "$LAB/xen-4.17.tmp" "$LAB/xen-4.17"
fi
for k in "$DOM0_KVER" "$STOCK_KVER" "$STOCK73_KVER"; do
	[ -f "$ROOT/boot/vmlinuz-$k" ] || die "no boot/vmlinuz-$k in $ROOT"
done

cat >"$LAB/lab.env.tmp" <<EOT
# written by lab/fetch.sh; sourced by the lab scripts
XEN_VERSION='$XEN_VERSION'
XEN='$LAB/xen-4.17'
XEN_ROOT='$ROOT'
DOM0_KVER='$DOM0_KVER'
DOM0_KERNEL='$ROOT/boot/vmlinuz-$DOM0_KVER'
DOM0_MODDIR='$ROOT/lib/modules/$DOM0_KVER'
STOCK612_KVER='$STOCK_KVER'
STOCK73_KVER='$STOCK73_KVER'
# Upstream's PVH for comparison: Debian's stock kernel of the base the series is built for.
case "\${BASE:-7.3}" in
6.12) STOCK_KVER=\$STOCK612_KVER ;;
*) STOCK_KVER=\$STOCK73_KVER ;;
esac
STOCK_KERNEL=$ROOT/boot/vmlinuz-\$STOCK_KVER
EOT
mv "$LAB/lab.env.tmp" "$LAB/lab.env"
echo "xen $XEN_VERSION"
echo "dom0 kernel $DOM0_KVER"
echo "stock kernels $STOCK_KVER (6.12), $STOCK73_KVER (7.3)"
