#!/bin/bash
# lab/mk-dom0-initramfs.sh [-m MODDIR] [OUT]: build the base dom0 initramfs of the lab.
# -m none: no modules (a dom0 kernel with everything built in).
# XEN=4.17|4.20 (scripts/lib.sh; default 4.17): the Xen whose toolstack the image carries.
#
# busybox + the toolstack of Xen $XEN unpacked by lab/fetch.sh (xl, xenstored, xenconsoled,
# xen-init-dom0, libxl-save-helper, xenstore*) in /usr/lib/xen-$XEN/bin, with /usr/lib/xen
# linked to it for dom0-init.sh, + their libraries (below) + the dom0
# kernel's Xen modules and the backends the guests' disk and network tests need (loop,
# xen-blkback, bridge, xen-netback; from MODDIR, default the Debian 6.1 kernel's; a dom0
# kernel with them built in needs none), with lab/dom0-init.sh as /init and
# lab/dom0-hotplug.sh as the block and vif-bridge hotplug scripts. Guest kernels, configs and an
# optional patched xl are not in it: lab/run.sh appends them as a second cpio, so this
# image is cached. OUT defaults to $CACHE/lab/dom0-base-xen$XEN-$DOM0_KVER.cpio.gz and is rebuilt
# only when an input changed. Prints OUT.
# The libraries: Xen 4.17's tools are bookworm's, built against the host's glibc, so the host's
# ldd finds them (the Xen ones in the unpacked tree) and the host's libc and loader go in.
# Xen 4.20's are trixie's and need glibc >= 2.38, which the host lacks: lab/fetch.sh unpacked
# trixie's libc beside them, and trixie's own loader lists what they need (ld.so --list, which
# also checks the symbol versions), every library from that tree, never from the host.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lablib.sh"

[ -f "$CACHE/lab/lab.env" ] || die "no $CACHE/lab/lab.env: run lab/fetch.sh first"
. "$CACHE/lab/lab.env"
# a lab.env from before XEN= named the hypervisor's image XEN, which now selects the version
[ -n "${XEN_IMAGE:-}" ] || die "$CACHE/lab/lab.env is older than XEN=: run lab/fetch.sh"
[ -n "$XEN_VERSION" ] || die "Xen $XEN is not fetched: XEN=$XEN lab/fetch.sh"
moddir=$DOM0_MODDIR
if [ "${1:-}" = -m ]; then moddir=$2; shift 2; fi
out=${1:-$CACHE/lab/dom0-base-xen$XEN-$DOM0_KVER.cpio.gz}
need_pkgs busybox-static cpio gzip xz-utils

X=$XEN_ROOT
XB=$X/usr/lib/xen-$XEN/bin
bins=("$XB/xl" "$XB/xenstored" "$XB/xenconsoled" "$XB/xenconsole" "$XB/xen-init-dom0"
	"$XB/libxl-save-helper" "$X/usr/bin/xenstore")
# below MODDIR/kernel, flattened into /lib/modules/NAME.ko; dom0-init.sh knows the insmod order
mods=(drivers/xen/xen-evtchn drivers/xen/xen-gntdev drivers/xen/xen-gntalloc drivers/xen/xen-privcmd
	drivers/xen/xenfs/xenfs drivers/block/loop drivers/block/xen-blkback/xen-blkback
	net/llc/llc net/802/stp net/bridge/bridge drivers/net/xen-netback/xen-netback)
bb=$(command -v busybox)
modfiles=()
for m in "${mods[@]}"; do
	[ "$moddir" != none ] || break
	for f in "$moddir/kernel/$m.ko" "$moddir/kernel/$m.ko.xz"; do
		[ -f "$f" ] && modfiles+=("$f")
	done
done
key=$(input_key "$X/.stamp" "$bb" "$HERE/dom0-init.sh" "$HERE/dom0-hotplug.sh" "$HERE/mk-dom0-initramfs.sh" \
	${modfiles[@]+"${modfiles[@]}"})
if key_matches "$out" "$key"; then
	say "reusing $out"
	echo "$out"; exit 0
fi

say "building dom0 initramfs $out (xen $XEN_VERSION, modules from $moddir)"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d"/{bin,sbin,proc,sys,dev,tmp,run,etc/xen/scripts,var/lib/xen,var/log/xen/console,var/lock} \
	"$d"/{lib/modules,lib64,lib/x86_64-linux-gnu,usr/lib/xen-$XEN/bin,usr/bin,usr/sbin}
# dom0-init.sh finds the tools through /usr/lib/xen, whatever the Xen version
ln -s "xen-$XEN" "$d/usr/lib/xen"
ln -s ../run "$d/var/run"
# Debian's libs live in usr/lib/x86_64-linux-gnu, the loader looks in both
ln -s ../../lib/x86_64-linux-gnu "$d/usr/lib/x86_64-linux-gnu"
cp "$bb" "$d/bin/busybox"
for a in $("$bb" --list); do [ -e "$d/bin/$a" ] || ln -s busybox "$d/bin/$a"; done

for b in "${bins[@]}"; do
	[ -x "$b" ] || die "missing $b (lab/fetch.sh incomplete?)"
	cp "$b" "$d/usr/lib/xen-$XEN/bin/"
done
for a in read write ls list rm exists chmod watch; do ln -s xenstore "$d/usr/lib/xen-$XEN/bin/xenstore-$a"; done

XLIB=$X/usr/lib/x86_64-linux-gnu
if [ "$XEN" = 4.17 ]; then
	# the Debian xen libs from the unpacked tree, everything else from the host
	sys=/lib/x86_64-linux-gnu
	libs=$(LD_LIBRARY_PATH=$XLIB:$X/usr/lib/xen-4.17/lib ldd "${bins[@]}" 2>&1) || die "ldd failed: $libs"
else
	sys=$XLIB
	[ -x "$sys/ld-linux-x86-64.so.2" ] || die "no trixie loader in $sys (lab/fetch.sh)"
	libs=$(for b in "${bins[@]}"; do "$sys/ld-linux-x86-64.so.2" --library-path "$XLIB" --list "$b" 2>&1 ||
		echo "$b: not found by $sys/ld-linux-x86-64.so.2"; done)
	# the loader falls back on the host's cache and paths: a library from there would be
	# bookworm's, which these tools cannot use
	if awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$libs" | grep -v "^$X/" >&2; then
		die "libraries from outside $X (above): lab/fetch.sh's XEN420_PKGS lacks their packages"
	fi
fi
if grep -q 'not found' <<<"$libs"; then
	die "unresolved libraries: $(grep 'not found' <<<"$libs" | sort -u | tr -s ' \t' ' ')"
fi
for l in $(awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$libs" | sort -u); do
	cp -L "$l" "$d/lib/x86_64-linux-gnu/"
done
cp -L "$sys/ld-linux-x86-64.so.2" "$d/lib64/"
# glibc dlopen()s libgcc_s for pthread_cancel; ldd cannot see that. Without it xl aborts (rc 134)
# after building the domain: "libgcc_s.so.1 must be installed for pthread_cancel to work".
cp -L "$sys/libgcc_s.so.1" "$d/lib/x86_64-linux-gnu/"

# busybox insmod takes plain ELF: Debian 6.12 ships its modules xz-compressed
for f in ${modfiles[@]+"${modfiles[@]}"}; do
	case "$f" in
	*.xz) xz -dc "$f" >"$d/lib/modules/$(basename "$f" .xz)" ;;
	*) cp "$f" "$d/lib/modules/" ;;
	esac
done
[ ${#modfiles[@]} -eq ${#mods[@]} ] || [ "$moddir" = none ] ||
	say "note: only ${#modfiles[@]} of ${#mods[@]} modules in $moddir (fine if built in)"
: >"$d/etc/xen/xl.conf"
install -m 0755 "$HERE/dom0-init.sh" "$d/init"
install -m 0755 "$HERE/dom0-hotplug.sh" "$d/etc/xen/scripts/block"
ln -s block "$d/etc/xen/scripts/vif-bridge"
echo "$XEN_VERSION" >"$d/etc/lab-xen-version"
# what the base already provides, so run.sh only adds the libraries a patched xl needs beyond it
(cd "$d/lib/x86_64-linux-gnu" && ls) >"$d/etc/lab-base-libs"

mkdir -p "$(dirname "$out")"
(cd "$d" && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -6n) >"$out.tmp"
mv "$out.tmp" "$out"
cp "$d/etc/lab-base-libs" "$out.libs"
key_write "$out" "$key"
say "dom0 initramfs: $(du -h "$out" | cut -f1)"
echo "$out"
