#!/bin/bash
# lab/build-qemu.sh: build QEMU 10 as Debian ships it, with the lab's fixes, and with those and
# the lab's tracing; print the directory of the three.
#
# usage: lab/build-qemu.sh
#
# Debian trixie's qemu source package (10.0.x, Debian's patches applied; scripts/deb-src.sh),
# configured for what the lab runs and nothing else (x86_64 system emulation, TCG, no
# optional features), built out of tree three times: as it is, then with lab/qemu/*.patch
# (fixes written for upstream), then also with lab/qemu/debug/*.patch (the lab's own tracing,
# not for upstream; each patch says what it prints). Writes $CACHE/qemu/VERSION/qemu-stock,
# qemu-fixed and qemu-debug: each a wrapper that runs its binary with the
# host's firmware (SeaBIOS, iPXE and QEMU's option ROMs from bookworm's qemu-system-data:
# Debian's source tarball carries none), usable as LAB_QEMU for lab/run.sh. The builds are
# kept and redone only when the source, a patch or this script changed; the object tree has
# a fixed path, so ccache hits across rebuilds. The first build takes about 10 minutes on
# two cores.
#
# The build needs Meson 1.5 or later and pycotap, which bookworm lacks and which QEMU's +ds
# tarball does not bundle: trixie's python3 packages, unpacked (scripts/apt-fetch.sh), on
# PYTHONPATH.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

need_pkgs gcc ccache ninja-build pkgconf libglib2.0-dev libpixman-1-dev libfdt-dev bzip2 \
	qemu-system-data seabios ipxe-qemu
src=$("$TOP/scripts/deb-src.sh" qemu trixie --series 1:10.0.)
ver=${src##*/qemu-}
out=$CACHE/qemu/$ver
work=$CACHE/qemu/build
mapfile -t patches < <(ls "$HERE"/qemu/*.patch)
mapfile -t debug < <(ls "$HERE"/qemu/debug/*.patch)
key=$(cat "$0" "${patches[@]}" "${debug[@]}" | sha256sum | cut -c1-16)-$ver
if [ "$(cat "$out/.key" 2>/dev/null)" = "$key" ] && [ -x "$out/qemu-debug" ]; then
	say "reusing $out"
	echo "$out"; exit 0
fi

py=$CACHE/qemu/python
if [ ! -d "$py/usr/lib/python3/dist-packages/mesonbuild" ]; then
	mkdir -p "$py"
	for d in $("$TOP/scripts/apt-fetch.sh" meson/trixie python3-pycotap/trixie); do
		dpkg-deb -x "$d" "$py"
	done
fi
export PYTHONPATH=$py/usr/lib/python3/dist-packages

say "building QEMU $ver in $work (log: $work.log)"
rm -rf "$work/src" "$work/obj"
mkdir -p "$work/obj" "$out"
cp -a "$src" "$work/src"
# Debian's +ds tarball lacks the EDK2 images that the build unpacks for x86_64; the lab boots
# SeaBIOS, so empty ones do.
for f in $(sed -n '/fds = \[/,/\]/p' "$work/src/pc-bios/meson.build" | grep -o "edk2-[^']*"); do
	[ -f "$work/src/pc-bios/$f.bz2" ] || bzip2 -c </dev/null >"$work/src/pc-bios/$f.bz2"
done
(cd "$work/obj" && "$work/src/configure" --target-list=x86_64-softmmu --without-default-features \
	--enable-tcg --disable-docs --disable-werror --disable-install-blobs --cc="ccache gcc") \
	>"$work.log" 2>&1 || die "configure failed (tail $work.log)"

# build VARIANT: the binary, and the wrapper that gives it the host's firmware
build() {
	ninja -C "$work/obj" qemu-system-x86_64 >>"$work.log" 2>&1 || die "QEMU build failed ($work.log)"
	# a lab may be running the old binary: replace it, do not write into it
	cp "$work/obj/qemu-system-x86_64" "$out/qemu-system-x86_64-$1.new"
	mv -f "$out/qemu-system-x86_64-$1.new" "$out/qemu-system-x86_64-$1"
	cat >"$out/qemu-$1" <<EOT
#!/bin/sh
# QEMU $ver ($1) with bookworm's firmware: written by lab/build-qemu.sh
exec "$out/qemu-system-x86_64-$1" -L /usr/share/qemu -L /usr/share/seabios -L /usr/lib/ipxe/qemu "\$@"
EOT
	chmod +x "$out/qemu-$1"
}
# apply PATCH...: on the tree as the previous variant left it
apply() {
	local p
	for p in "$@"; do
		patch -d "$work/src" -p1 --forward <"$p" >>"$work.log" || die "$p does not apply to QEMU $ver"
	done
}
build stock
apply "${patches[@]}"
build fixed
apply "${debug[@]}"
build debug
echo "$key" >"$out/.key"
say "QEMU $ver: $out/qemu-stock, $out/qemu-fixed, $out/qemu-debug"
echo "$out"
