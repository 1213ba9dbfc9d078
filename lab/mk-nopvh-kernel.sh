#!/bin/bash
# lab/mk-nopvh-kernel.sh VMLINUX OUT.gz: a copy of an ELF vmlinux whose Xen PVH entry note
# (XEN_ELFNOTE_PHYS32_ENTRY, type 18) is renamed to an unknown note type, gzipped.
#
# Why: a stand-in for a kernel without PVH support, to exercise the refusal path of the lab
# ("image not capable of booting inside a HVM container") with a real xl. The PV entry notes
# are untouched, so it still boots as a PV guest. libxenguest takes a gzipped ELF as kernel=.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

[ $# = 2 ] || die "usage: $0 VMLINUX OUT.gz"
in=$1 out=$2
[ "$(head -c4 "$in" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ] ||
	die "$in is not an ELF vmlinux (lab/extract-vmlinux.sh makes one)"
need_pkgs gzip
# note header: namesz=4, descsz=8, type=18, name "Xen\0"
offs=$(LC_ALL=C grep -obUaP '\x04\x00\x00\x00\x08\x00\x00\x00\x12\x00\x00\x00Xen\x00' "$in" | cut -d: -f1)
[ "$(wc -w <<<"$offs")" = 1 ] || die "$in: expected exactly one PVH entry note, found $(wc -w <<<"$offs")"
tmp=$(mktemp "$out.XXXXXX"); trap 'rm -f "$tmp"' EXIT
cp "$in" "$tmp"
# type 18 -> 0x7e: libelf skips note types it does not know
printf '\x7e' | dd of="$tmp" bs=1 seek=$((offs + 8)) conv=notrunc status=none
gzip -1c "$tmp" >"$out"
say "$out: PVH entry note at offset $offs disabled"
