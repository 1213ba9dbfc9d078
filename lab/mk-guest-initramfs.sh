#!/bin/bash
# lab/mk-guest-initramfs.sh [OUT]: build the tiny busybox initramfs every lab guest boots.
#
# /init is lab/guest-init.sh; /etc/udhcpc/default.script sets the address of its network
# test. The stock 6.12 kernel (lab/fetch.sh) has xen-blkfront and xen-netfront as modules:
# when $CACHE/lab/lab.env names it, they go to /lib/modules/$STOCK_KVER/ uncompressed, and
# guest-init loads them for its disk and network tests (kernels with them built in need none).
# OUT defaults to $CACHE/lab/guest-initramfs.gz; the image is rebuilt only when its inputs
# (the init script, busybox, this script, the modules) change. Prints OUT.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lablib.sh"

out=${1:-$CACHE/lab/guest-initramfs.gz}
need_pkgs busybox-static cpio gzip xz-utils
bb=$(command -v busybox) || die "busybox not found"
mods=() kver=''
if [ -f "$CACHE/lab/lab.env" ]; then
	. "$CACHE/lab/lab.env"
	kver=$STOCK_KVER
	for m in block/xen-blkfront net/xen-netfront; do
		f=$XEN_ROOT/lib/modules/$kver/kernel/drivers/$m.ko.xz
		[ -f "$f" ] && mods+=("$f")
	done
fi
key=$(input_key "$HERE/guest-init.sh" "$bb" "$HERE/mk-guest-initramfs.sh" ${mods[@]+"${mods[@]}"})
if key_matches "$out" "$key"; then
	say "reusing $out"
	echo "$out"; exit 0
fi

say "building guest initramfs $out (${#mods[@]} modules for ${kver:-no stock kernel})"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d"/{bin,proc,sys,dev,tmp,etc/udhcpc}
cp "$bb" "$d/bin/busybox"
# only the applets /init uses: the image stays ~1 MB
for a in sh mount cat grep dmesg sleep poweroff insmod dd sha256sum ip ifconfig udhcpc ping; do
	ln -s busybox "$d/bin/$a"
done
install -m 0755 "$HERE/guest-init.sh" "$d/init"
cat >"$d/etc/udhcpc/default.script" <<'S'
#!/bin/sh
# udhcpc's event script in the lab guest: take the leased address, tell /init which it is
case "$1" in
deconfig) ip link set "$interface" up ;;
bound|renew)
	ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" && echo "$ip" >/tmp/dhcp-ip ;;
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
mkdir -p "$(dirname "$out")"
(cd "$d" && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
key_write "$out" "$key"
say "guest initramfs: $(du -h "$out" | cut -f1)"
echo "$out"
