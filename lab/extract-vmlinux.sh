#!/bin/bash
# lab/extract-vmlinux.sh BZIMAGE OUT: write the uncompressed ELF vmlinux inside a bzImage to OUT.
#
# Same method as linux/scripts/extract-vmlinux: try every xz/zstd/gzip/lzma/lz4/bzip2 magic in
# the image and keep the first payload that decompresses to an ELF. Used to boot a kernel
# straight through its PVH ELF note (QEMU -kernel vmlinux), which a bzImage does not offer.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

[ $# = 2 ] || die "usage: $0 BZIMAGE OUT"
img=$1 out=$2
[ -f "$img" ] || die "no such file: $img"
need_pkgs xz-utils zstd gzip
tmp=$(mktemp "$out.XXXXXX"); trap 'rm -f "$tmp"' EXIT
try() { # try MAGIC(grep -P) CMD...: decompress from every offset MAGIC occurs at
	local pos magic=$1; shift
	for pos in $(LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1); do
		tail -c "+$((pos + 1))" "$img" | "$@" >"$tmp" 2>/dev/null || true
		if [ "$(head -c4 "$tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			mv "$tmp" "$out"; say "$out: ELF via $1 at offset $pos"; return 0
		fi
	done
	return 1
}
try '\xFD7zXZ\x00' xz -dc || try '\x28\xb5\x2f\xfd' zstd -dc || try '\x1f\x8b\x08' gzip -dc ||
	try '\x5d\x00\x00\x00' xz -dc --format=lzma || die "$img: no compressed ELF payload found"
