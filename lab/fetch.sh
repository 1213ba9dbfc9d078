#!/bin/bash
# lab/fetch.sh: download and unpack what the Xen-under-QEMU lab boots, without installing it.
#
# usage: [XEN=4.17|4.20] lab/fetch.sh
# Fetches by exact package name with `apt-get download` into $CACHE/lab/debs and unpacks with
# `dpkg-deb -x` into $CACHE/lab/root (no host package state changes, no triggers):
#   - Xen 4.17 hypervisor + toolstack + libs, version = apt's candidate for xen-hypervisor-4.17-amd64
#   - the newest stock Debian 6.1 kernel (dom0), and the stock kernel of each base for comparison
#     (upstream's PVH): bookworm's newest 6.12, and trixie-backports' newest 7.3 through
#     scripts/apt-fetch.sh (its vmlinuz and modules come in linux-binary-* and linux-modules-*)
#   - qemu-system-xen, the device model of an HVM guest (lab/run.sh adds it to dom0 for one)
# With XEN=4.20 (scripts/lib.sh; 4.17 by default) also, through scripts/apt-fetch.sh:
#   - Xen 4.20 from trixie, its toolstack and trixie's libc and the other libraries the
#     toolstack needs, into $CACHE/lab/xen-4.20/root
#   - QEMU 10 from bookworm-backports (qemu-system-x86, its qemu-system-data and the SeaBIOS it
#     wants), into $CACHE/lab/qemu-10/root, Debian's build as users have it, for comparison
#     (lab/deaths.sh); the lab boots 4.20 under lab/build-qemu.sh's QEMU 10 with lab/qemu's
#     fixes (built here, once), and 4.17 under the host's QEMU 7.2
#   - the device model of Xen 4.20's HVM guests, trixie's qemu-system-xen (built for 4.20), with
#     the libraries it needs beyond the toolstack's, its qemu-system-data and SeaBIOS, into
#     $CACHE/lab/xen-4.20/dm
# Writes $CACHE/lab/lab.env (sourced by the other lab scripts; STOCK_KVER and STOCK_KERNEL
# follow $BASE, XEN_VERSION, XEN_ROOT, XEN_IMAGE, QEMU, DM_ROOT and DM_SHARE follow $XEN) and
# prints the versions
# on stdout.
# Idempotent: debs already present at the wanted version are reused; a new candidate is re-fetched.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

LAB=$CACHE/lab
DEBS=$LAB/debs
ROOT=$LAB/root
XEN_PKGS="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils libxencall1
	libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenmisc4.17 libxenstore4 libxentoollog1
	libxenhypfs1 libxendevicemodel1 libxentoolcore1"
# Xen 4.20's (trixie), with the libraries its toolstack links (trixie's, as their glibc)
XEN420_PKGS="xen-hypervisor-4.20-amd64 xen-utils-4.20 xen-utils-common xenstore-utils
	libxenmisc4.20 libxenstore4 libxendevicemodel1 libxengnttab1 libxenforeignmemory1
	libxenhypfs1 libxencall1 libxentoollog1 libxenevtchn1 libxentoolcore1
	libc6 liblzma5 libzstd1 zlib1g libgcc-s1 libuuid1 libyajl2"
# QEMU 10 (bookworm-backports): its firmware and option ROMs, and the SeaBIOS it asks for
QEMU10_PKGS="qemu-system-x86 qemu-system-data seabios"
# Xen 4.20's device model (trixie's; bookworm's qemu-system-xen is built for 4.17): the
# libraries trixie's loader finds it needs beyond XEN420_PKGS' (lab/run.sh checks that none
# comes from elsewhere), and the SeaBIOS and option ROMs dom0 gets with it.  Its own packages:
# libxen* and libc come from XEN420_PKGS, at the toolstack's version.
DM420_PKGS="qemu-system-xen qemu-system-data seabios libglib2.0-0t64 libpixman-1-0
	libjpeg62-turbo libusb-1.0-0 libfdt1 libspice-server1 libudev1 libssl3t64 libopus0
	libgstreamer1.0-0 libgstreamer-plugins-base1.0-0 liborc-0.4-0t64 liblz4-1 libsasl2-2
	libstdc++6 libatomic1 libpcre2-8-0 libcap2 libffi8 libxxhash0"

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

# unpack ROOT DEB...: unpack the debs into ROOT; redo it from scratch whenever the set of debs
# changes, so that files of a replaced version never linger.  Returns 1 when ROOT is reused.
unpack() {
	local root=$1 stamp f m k
	shift
	stamp=$(printf '%s\n' "${@##*/}" | sort)
	if [ -f "$root/.stamp" ] && [ "$(cat "$root/.stamp")" = "$stamp" ]; then
		say "reusing $root"
		return 1
	fi
	say "unpacking $# debs into $root"
	rm -rf "$root.tmp"; mkdir -p "$root.tmp"
	for f in "$@"; do dpkg-deb -x "$f" "$root.tmp" || die "dpkg-deb -x $f failed"; done
	# Trixie's kernels keep their image in /usr/lib/modules/RELEASE: give them bookworm's paths.
	for m in "$root.tmp"/usr/lib/modules/*/vmlinuz; do
		[ -f "$m" ] || continue
		k=$(basename "$(dirname "$m")")
		mkdir -p "$root.tmp/boot" "$root.tmp/lib/modules"
		ln -s "../usr/lib/modules/$k/vmlinuz" "$root.tmp/boot/vmlinuz-$k"
		ln -s "../usr/lib/modules/$k/config" "$root.tmp/boot/config-$k"
		ln -s "../../usr/lib/modules/$k" "$root.tmp/lib/modules/$k"
	done
	echo "$stamp" >"$root.tmp/.stamp"
	rm -rf "$root"; mv "$root.tmp" "$root"
}
# deb_version PKG ROOT: the version of PKG unpacked into ROOT, from its stamp ('' if none)
deb_version() {
	local v
	[ -f "$2/.stamp" ] || return 0
	v=$(sed -n "s/^$1_\(.*\)_[a-z0-9]*\.deb\$/\1/p" "$2/.stamp" 2>/dev/null | head -1)
	echo "${v//%3a/:}"
}
# gunzip_xen GZ IMAGE: QEMU's -kernel takes the gunzipped hypervisor as is: it is an ELF32
# multiboot image.
gunzip_xen() {
	[ -n "$1" ] || die "no gzipped Xen image to unpack for $2"
	[ ! -s "$2" ] || return 0
	say "gunzipping ${1##*/}"
	zcat "$1" >"$2.tmp" && mv "$2.tmp" "$2"
}

# Debian's kernels and Xen 4.17, in one tree.
debs=("${stock73_debs[@]}")
for pv in "${want[@]}"; do debs+=("$(have "${pv%%=*}" "${pv#*=}")") || die "missing deb for $pv"; done
unpack "$ROOT" "${debs[@]}" && rm -f "$LAB/xen-4.17"
gunzip_xen "$(ls "$ROOT"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -1)" "$LAB/xen-4.17"

# Xen 4.20 and QEMU 10, each in a tree of its own, only when $XEN asks for them: a 4.17 run
# need not pay for the look-up.  Trixie's Xen tools need glibc >= 2.38 (bookworm has 2.36), so
# trixie's loader, libc and the other libraries they link come along; they are named by suite,
# as sid's are newer still.  QEMU 10 runs on the host from its tree: bookworm-backports built
# it against bookworm's libraries, which the host has (QEMU 7.2 pulled them in), and -L points
# it at its own firmware and option ROMs.
# Xen 4.20's device model is a tree of its own too: the toolstack's tree, and so the dom0
# images made from it, stay as they are, and run.sh adds it to dom0 only for an HVM guest.
X420=$LAB/xen-4.20 Q10=$LAB/qemu-10
if [ "$XEN" = 4.20 ]; then
	xp=() qp=() dp=()
	for p in $XEN420_PKGS; do xp+=("$p/trixie"); done
	for p in $QEMU10_PKGS; do qp+=("$p/bookworm-backports"); done
	for p in $DM420_PKGS; do dp+=("$p/trixie"); done
	mapfile -t d420 < <("$TOP/scripts/apt-fetch.sh" "${xp[@]}" "${qp[@]}" "${dp[@]}")
	[ ${#d420[@]} = $((${#xp[@]} + ${#qp[@]} + ${#dp[@]})) ] ||
		die "scripts/apt-fetch.sh failed for Xen 4.20 / QEMU 10 / Xen 4.20's device model"
	unpack "$X420/root" "${d420[@]:0:${#xp[@]}}" && rm -f "$X420/xen"
	unpack "$Q10/root" "${d420[@]:${#xp[@]}:${#qp[@]}}" || true
	unpack "$X420/dm" "${d420[@]:$((${#xp[@]} + ${#qp[@]}))}" || true
	gunzip_xen "$(ls "$X420"/root/boot/xen-4.20*-amd64.gz 2>/dev/null | head -1)" "$X420/xen"
	[ -x "$Q10/root/usr/bin/qemu-system-x86_64" ] || die "no usr/bin/qemu-system-x86_64 in $Q10/root"
	[ -x "$X420/dm/usr/libexec/xen-qemu-system-i386" ] || die "no usr/libexec/xen-qemu-system-i386 in $X420/dm"
	qemu_fixed=$("$TOP/lab/build-qemu.sh")/qemu-fixed
fi
for k in "$DOM0_KVER" "$STOCK_KVER" "$STOCK73_KVER"; do
	[ -f "$ROOT/boot/vmlinuz-$k" ] || die "no boot/vmlinuz-$k in $ROOT"
done

cat >"$LAB/lab.env.tmp" <<EOT
# written by lab/fetch.sh; sourced by the lab scripts after scripts/lib.sh, which sets BASE and XEN
# Debian's kernels (dom0 and stock) and Xen 4.17 share one tree
KERNEL_ROOT='$ROOT'
XEN417_VERSION='$XEN_VERSION'
XEN417_ROOT='$ROOT'
XEN417_IMAGE='$LAB/xen-4.17'
# Xen 4.20 and QEMU 10, once XEN=4.20 lab/fetch.sh has fetched them (else the versions are empty)
XEN420_VERSION='$(deb_version xen-hypervisor-4.20-amd64 "$X420/root")'
XEN420_ROOT='$X420/root'
XEN420_IMAGE='$X420/xen'
QEMU10_VERSION='$(deb_version qemu-system-x86 "$Q10/root")'
QEMU10_ROOT='$Q10/root'
# lab/build-qemu.sh's QEMU 10 with lab/qemu's fixes (a wrapper), the one Xen 4.20 boots under
QEMU_FIXED='${qemu_fixed:-}'
# Xen 4.20's device model (trixie's qemu-system-xen), its libraries, SeaBIOS and option ROMs
XEN420_DM_VERSION='$(deb_version qemu-system-xen "$X420/dm")'
XEN420_DM_ROOT='$X420/dm'
DOM0_KVER='$DOM0_KVER'
DOM0_KERNEL='$ROOT/boot/vmlinuz-$DOM0_KVER'
DOM0_MODDIR='$ROOT/lib/modules/$DOM0_KVER'
STOCK612_KVER='$STOCK_KVER'
STOCK73_KVER='$STOCK73_KVER'
# Upstream's PVH for comparison: Debian's stock kernel of the base the series is built for.
case "\$BASE" in
6.12) STOCK_KVER=\$STOCK612_KVER ;;
*) STOCK_KVER=\$STOCK73_KVER ;;
esac
STOCK_KERNEL=$ROOT/boot/vmlinuz-\$STOCK_KVER
# The Xen the lab boots (\$XEN, scripts/lib.sh) and the QEMU it boots under: Xen 4.20 under
# QEMU 10 with the lab's fixes (guests die under Debian's build: lab/README.md, "Guest deaths
# under TCG"), Xen 4.17 under the host's QEMU 7.2, since Linux on Xen 4.17 under QEMU 10
# halts before its command line.  XEN_VERSION is empty for a Xen not fetched.
# DM_ROOT holds the device model of an HVM guest and the libraries it needs beyond the
# toolstack's (lab/run.sh), DM_SHARE the SeaBIOS and QEMU option ROMs that go with it: 4.17's
# are bookworm's, qemu-system-xen in the kernels' tree and the host's own seabios and
# qemu-system-data; 4.20's are trixie's.
case "\$XEN" in
4.20)
	XEN_VERSION=\$XEN420_VERSION XEN_ROOT=\$XEN420_ROOT XEN_IMAGE=\$XEN420_IMAGE
	QEMU=("\$QEMU_FIXED")
	DM_ROOT=\$XEN420_DM_ROOT DM_SHARE=\$XEN420_DM_ROOT/usr/share ;;
*)
	XEN_VERSION=\$XEN417_VERSION XEN_ROOT=\$XEN417_ROOT XEN_IMAGE=\$XEN417_IMAGE
	QEMU=(qemu-system-x86_64)
	DM_ROOT=\$XEN417_ROOT DM_SHARE=/usr/share ;;
esac
EOT
mv "$LAB/lab.env.tmp" "$LAB/lab.env"
echo "xen 4.17: $XEN_VERSION (under the host's QEMU)"
[ "$XEN" != 4.20 ] ||
	echo "xen 4.20: $(deb_version xen-hypervisor-4.20-amd64 "$X420/root") (under $qemu_fixed; device model $(deb_version qemu-system-xen "$X420/dm"))"
echo "dom0 kernel $DOM0_KVER"
echo "stock kernels $STOCK_KVER (6.12), $STOCK73_KVER (7.3)"
