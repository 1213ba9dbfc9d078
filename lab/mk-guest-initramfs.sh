#!/bin/bash
# lab/mk-guest-initramfs.sh [-s KSTDIR] [OUT]: build the tiny busybox initramfs every lab guest
# boots.
#
# /init is lab/guest-init.sh; /bin/lab-hotplug (lab/guest-hotplug.sh) onlines the CPUs Xen
# hot-adds; /etc/udhcpc/default.script sets the address of its network test. The stock 6.12 kernel (lab/fetch.sh) has xen-blkfront and xen-netfront as modules:
# when $CACHE/lab/lab.env names it, they go to /lib/modules/$STOCK_KVER/ uncompressed, and
# guest-init loads them for its disk and network tests (kernels with them built in need none).
# With -s, the image is the one for guests that run the Xen selftests: KSTDIR's static
# binaries (scripts/build-selftests.sh) and its list "progs" go to /kst, and the stock
# kernel's xen-evtchn, xen-gntdev, xen-gntalloc, xen-privcmd and xenfs modules join the others.
# OUT defaults to $CACHE/lab/guest-initramfs.gz (with -s: guest-initramfs-kst.gz); the image is
# rebuilt only when its inputs (the init script, busybox, this script, the modules, the
# selftests) change. Prints OUT.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lablib.sh"

kstdir='' kst=() kmods=()
if [ "${1:-}" = -s ]; then
	[ $# -ge 2 ] || die "-s needs a directory"
	kstdir=$2; shift 2
	[ -f "$kstdir/progs" ] || die "no $kstdir/progs (scripts/build-selftests.sh makes it)"
	for f in "$kstdir"/xen_*; do [ -x "$f" ] && kst+=("$f"); done
	[ ${#kst[@]} -gt 0 ] || die "no selftest binaries xen_* in $kstdir"
	kst+=("$kstdir/progs")
	# insmod order: xenfs needs xen-privcmd
	kmods=(xen/xen-evtchn xen/xen-gntdev xen/xen-gntalloc xen/xen-privcmd xen/xenfs/xenfs)
fi
out=${1:-$CACHE/lab/guest-initramfs${kstdir:+-kst}.gz}
need_pkgs busybox-static cpio gzip xz-utils
bb=$(command -v busybox) || die "busybox not found"
mods=() kver=''
if [ -f "$CACHE/lab/lab.env" ]; then
	. "$CACHE/lab/lab.env"
	kver=$STOCK_KVER
	for m in block/xen-blkfront net/xen-netfront ${kmods[@]+"${kmods[@]}"}; do
		f=$KERNEL_ROOT/lib/modules/$kver/kernel/drivers/$m.ko.xz
		[ -f "$f" ] && mods+=("$f")
	done
fi
key=$(input_key "$HERE/guest-init.sh" "$HERE/guest-hotplug.sh" "$bb" "$HERE/mk-guest-initramfs.sh" ${mods[@]+"${mods[@]}"} \
	${kst[@]+"${kst[@]}"})
if key_matches "$out" "$key"; then
	say "reusing $out"
	echo "$out"; exit 0
fi

say "building guest initramfs $out (${#mods[@]} modules for ${kver:-no stock kernel}${kstdir:+, selftests of $kstdir})"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d"/{bin,sbin,proc,sys,dev,tmp,etc/udhcpc}
cp "$bb" "$d/bin/busybox"
# only the applets /init uses: the image stays ~1 MB
for a in sh mount cat grep dmesg sleep poweroff insmod dd sha256sum ip ifconfig udhcpc ping uevent; do
	ln -s busybox "$d/bin/$a"
done
# the kernel's poweroff_cmd and reboot_cmd (xl shutdown and xl reboot run them): busybox's
# ask init to power off (SIGUSR2) or reboot (SIGTERM)
ln -s ../bin/busybox "$d/sbin/poweroff"
ln -s ../bin/busybox "$d/sbin/reboot"
install -m 0755 "$HERE/guest-init.sh" "$d/init"
install -m 0755 "$HERE/guest-hotplug.sh" "$d/bin/lab-hotplug"
cat >"$d/etc/udhcpc/default.script" <<'S'
#!/bin/sh
# udhcpc's event script in the lab guest: take the leased address, tell /init which it is
case "$1" in
deconfig) ip link set "$interface" up ;;
bound|renew)
	ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" && echo "$ip" >"/tmp/dhcp-ip-$interface" ;;
esac
S
chmod 0755 "$d/etc/udhcpc/default.script"
if [ ${#mods[@]} -gt 0 ]; then
	mkdir -p "$d/lib/modules/$kver"
	for f in "${mods[@]}"; do
		m=${f##*/}
		xz -dc "$f" >"$d/lib/modules/$kver/${m%.xz}"
	done
fi
if [ -n "$kstdir" ]; then
	mkdir -p "$d/kst"
	cp "${kst[@]}" "$d/kst/"
fi
mkdir -p "$(dirname "$out")"
(cd "$d" && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
key_write "$out" "$key"
say "guest initramfs: $(du -h "$out" | cut -f1)"
echo "$out"
