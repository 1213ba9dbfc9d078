#!/bin/bash
# lab/mk-guest-initramfs.sh [OUT]: build the tiny busybox initramfs every lab guest boots.
#
# /init is lab/guest-init.sh. OUT defaults to $CACHE/lab/guest-initramfs.gz; the image is
# rebuilt only when its inputs (the init script, busybox, this script) change. Prints OUT.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lablib.sh"

out=${1:-$CACHE/lab/guest-initramfs.gz}
need_pkgs busybox-static cpio gzip
bb=$(command -v busybox) || die "busybox not found"
key=$(input_key "$HERE/guest-init.sh" "$bb" "$HERE/mk-guest-initramfs.sh")
if key_matches "$out" "$key"; then
	say "reusing $out"
	echo "$out"; exit 0
fi

say "building guest initramfs $out"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d"/{bin,proc,sys,dev,tmp}
cp "$bb" "$d/bin/busybox"
# only the applets /init uses: the image stays ~1 MB
for a in sh mount cat grep dmesg sleep poweroff; do
	ln -s busybox "$d/bin/$a"
done
install -m 0755 "$HERE/guest-init.sh" "$d/init"
mkdir -p "$(dirname "$out")"
(cd "$d" && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
key_write "$out" "$key"
echo "$out"
