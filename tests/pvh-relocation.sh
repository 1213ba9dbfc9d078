#!/bin/bash
# tests/pvh-relocation.sh [VMLINUX]: our PVH entry runs wherever a loader puts the image, if
# that is at or above the link address and 2 MiB aligned, and says why when it is not.
# Plain QEMU, no Xen.  Prints TAP; exits 1 if a check failed.
#
# QEMU's ELF loader (-kernel vmlinux) places each PT_LOAD at its p_paddr and enters at the
# XEN_ELFNOTE_PHYS32_ENTRY note, so lab/mk-shifted-vmlinux.py makes copies of VMLINUX
# (default: $BUILD/linux/obj/vmlinux of `make kernel`, copied first) placed SHIFT higher,
# and lab/qemu-direct.sh boots them with the lab guest initramfs:
#   SHIFT 0          the copy is byte-identical to VMLINUX; it boots to LAB-GUEST-DONE and
#                    memblock (memblock=debug) shows the kernel reserved at the link address
#                    and not at link + 32 MiB: the control for the next check
#   SHIFT 0x2000000  (32 MiB) boots to LAB-GUEST-DONE, and memblock shows the kernel
#                    reserved at link + 32 MiB: it ran where QEMU put it
#   SHIFT 0x100000   (1 MiB, not 2 MiB aligned) prints "PVH: kernel not loaded at a 2 MiB
#                    aligned address" on COM1 and does not reach LAB-GUEST-DONE (20 s limit)
# and the patcher must refuse what it does not understand: not ELF, ELF32, not x86-64, no
# Xen note 18.  Serial logs: $BUILD/lab/pvh-relocation/.  Without VMLINUX, or when it has
# no PHYS32_ENTRY note (built without CONFIG_PVH), those checks are a SKIP that says why.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"

. "$TOP/tests/tap.sh"

MK=$TOP/lab/mk-shifted-vmlinux.py
SHIFT_OK=0x2000000 SHIFT_BAD=0x100000
MSG_BAD='PVH: kernel not loaded at a 2 MiB aligned address'
# good boots: through the PVH entry, with memblock's dump of its reservations on the console
BOOT_OK=(--expect "PVH: booted through the PVH entry" --append "memblock=debug loglevel=7")
src=${1:-$BUILD/linux/obj/vmlinux}
logs=$BUILD/lab/pvh-relocation
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
need_pkgs binutils python3
mkdir -p "$logs"

# refuses NAME FILE WHY: the patcher exits 1 on FILE, saying WHY, and writes nothing
refuses() {
	local out rc
	out=$("$MK" "$2" "$tmp/refused" 0 2>&1)
	rc=$?
	[ "$rc" = 1 ] && grep -qF -- "$3" <<<"$out" && [ ! -e "$tmp/refused" ] && [ ! -e "$tmp/refused.tmp" ]
	tap $? "patcher refuses $1" "rc $rc: $out"
	rm -f "$tmp/refused" "$tmp/refused.tmp"
}

# loads FILE: "VADDR PADDR" of each PT_LOAD, as readelf -lW shows them
loads() { readelf -lW "$1" | awk '$1 == "LOAD" { print $3, $4 }'; }
# entry FILE: the value of the Xen note 0x12 (PHYS32_ENTRY) as 0x..., empty if none
entry() {
	readelf -nW "$1" | awk '$1 == "Xen" && /\(0x00000012\)/ {
		sub(/.*description data: */, ""); h = ""
		for (i = NF; i >= 1; i--) h = h $i
		print "0x" h; exit }'
}

# boot DESCRIPTION LOG VMLINUX [qemu-direct.sh options]: one TAP line, with the verdict of
# lab/qemu-direct.sh (which also says how long QEMU ran)
boot() {
	local d=$1 log=$2 v=$3 out rc
	shift 3
	out=$("$TOP/lab/qemu-direct.sh" "$@" "$v" "$log")
	rc=$?
	out=$(grep -m1 -E '^(not )?ok ' <<<"$out")
	out=${out#*ok 1 - }
	if [ "$rc" = 0 ]; then out=${out#*(}; tap 0 "$d (${out%%)*})"; return; fi
	tap 1 "$d" "qemu-direct.sh exited $rc: ${out:-no verdict}" "serial log $log"
}

# kernel_reserved_at LOG ADDR: memblock=debug's dump has a reserved region starting at ADDR
kernel_reserved_at() {
	grep -aqE "^ reserved\[0x[0-9a-f]+\][[:space:]]+\[0x$(printf '%016x' $(($2)))-" "$1"
}

printf 'hello\n' >"$tmp/not-elf"
refuses "a file that is not ELF" "$tmp/not-elf" "not an ELF file"

# the checks that need the vmlinux, in order; a SKIP names them all
NEEDS_VMLINUX=(ELF32 "a non-x86-64 ELF" "a vmlinux without note 18"
	"SHIFT 0: the copy is identical to the input"
	"SHIFT 0: boots to LAB-GUEST-DONE"
	"SHIFT 0: memblock shows the kernel at the link address, not at link + $SHIFT_OK"
	"SHIFT $SHIFT_OK: readelf shows PT_LOAD p_paddr and PHYS32_ENTRY moved, p_vaddr not"
	"SHIFT $SHIFT_OK: boots to LAB-GUEST-DONE"
	"SHIFT $SHIFT_OK: memblock shows the kernel at link + $SHIFT_OK"
	"SHIFT $SHIFT_BAD: stops with \"$MSG_BAD\"")
why=''
if [ ! -f "$src" ]; then
	why="no $src"
	[ $# -gt 0 ] || why+=" (make kernel)"
else
	cp "$src" "$tmp/vmlinux"
	if [ "$(head -c4 "$tmp/vmlinux" | od -An -c | tr -d ' ')" != '177ELF' ]; then
		why="$src is not an ELF file"
	elif [ -z "$(entry "$tmp/vmlinux")" ]; then
		why="$src has no Xen PHYS32_ENTRY note (18): built without CONFIG_PVH"
	fi
fi
if [ -n "$why" ]; then
	for d in "${NEEDS_VMLINUX[@]}"; do skip "$d" "$why"; done
	echo "1..$n"
	exit $failed
fi
vml=$tmp/vmlinux
link=$(loads "$vml" | awk 'NR == 1 { print $2 }')
say "$src: first PT_LOAD at $link, PHYS32_ENTRY $(entry "$vml")"

# variants of our vmlinux that the patcher must refuse
python3 - "$vml" "$tmp" <<'PY' || say "python3 could not make the variants of $vml"
import sys
d = open(sys.argv[1], "rb").read()
def put(name, b):
    open(sys.argv[2] + "/" + name, "wb").write(b)
put("elf32", d[:4] + b"\1" + d[5:])                  # EI_CLASS ELFCLASS32
put("i386", d[:18] + b"\3\0" + d[20:])               # e_machine EM_386
hdr = bytes.fromhex("04000000" "08000000" "12000000") + b"Xen\0"  # namesz, descsz, type 18
assert d.count(hdr) == 1, "no unique Xen note 18 header"
put("no18", d.replace(hdr, hdr[:8] + b"\x7f\0\0\0" + hdr[12:]))   # type 18 -> 0x7f
PY
refuses "${NEEDS_VMLINUX[0]}" "$tmp/elf32" "not ELF64"
refuses "${NEEDS_VMLINUX[1]}" "$tmp/i386" "not x86-64"
refuses "${NEEDS_VMLINUX[2]}" "$tmp/no18" "0 Xen PHYS32_ENTRY (type 18) notes"

# SHIFT 0, the control: the memblock check below can tell the two placements apart
v0=$tmp/vmlinux-shift-0
"$MK" "$vml" "$v0" 0 && cmp "$vml" "$v0"
tap $? "${NEEDS_VMLINUX[3]}"
boot "${NEEDS_VMLINUX[4]}" "$logs/shift-0.log" "$v0" "${BOOT_OK[@]}"
kernel_reserved_at "$logs/shift-0.log" "$link" && ! kernel_reserved_at "$logs/shift-0.log" $((link + SHIFT_OK))
tap $? "${NEEDS_VMLINUX[5]} ($(printf '0x%x' $((link))))" "see the \" reserved[\" lines of $logs/shift-0.log"

# SHIFT 32 MiB: boots, and ran where QEMU put it
v=$tmp/vmlinux-shift-$SHIFT_OK
want='' ok=0
while read -r va pa; do want+="$va $(printf '0x%016x' $((pa + SHIFT_OK)))"$'\n'; done < <(loads "$vml")
"$MK" "$vml" "$v" "$SHIFT_OK" && [ "$(loads "$v")"$'\n' = "$want" ] &&
	[ $(($(entry "$v"))) = $(($(entry "$vml") + SHIFT_OK)) ] || ok=1
tap $ok "${NEEDS_VMLINUX[6]}" \
	"want: $(tr '\n' ' ' <<<"$want")entry $(printf '0x%x' $(($(entry "$vml") + SHIFT_OK)))" \
	"got:  $(loads "$v" 2>&1 | tr '\n' ' ')entry $(entry "$v" 2>&1)"
boot "${NEEDS_VMLINUX[7]}" "$logs/shift-$SHIFT_OK.log" "$v" "${BOOT_OK[@]}"
kernel_reserved_at "$logs/shift-$SHIFT_OK.log" $((link + SHIFT_OK))
tap $? "${NEEDS_VMLINUX[8]} ($(printf '0x%x' $((link + SHIFT_OK))))" \
	"see the \" reserved[\" lines of $logs/shift-$SHIFT_OK.log"

# SHIFT 1 MiB: refused with the reason instead of a silent hang.  The message comes within
# a second; the limit only bounds the wait for a marker that must not come.
v=$tmp/vmlinux-shift-$SHIFT_BAD
if "$MK" "$vml" "$v" "$SHIFT_BAD"; then
	TIMEOUT=20 boot "${NEEDS_VMLINUX[9]}" "$logs/shift-$SHIFT_BAD.log" "$v" --must-stop --expect "$MSG_BAD"
else
	tap 1 "${NEEDS_VMLINUX[9]}" "the patcher failed"
fi
echo "1..$n"
exit $failed
