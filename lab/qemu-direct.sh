#!/bin/bash
# lab/qemu-direct.sh VMLINUX OUTLOG: boot a kernel under plain QEMU (no Xen) with the lab guest
# initramfs and print one TAP line on whether it reached LAB-GUEST-DONE.
#
# VMLINUX must be the uncompressed ELF (lab/extract-vmlinux.sh): QEMU then enters it through
# its PVH ELF note (XEN_ELFNOTE_PHYS32_ENTRY) instead of the bzImage/SeaBIOS path.
# Env: TIMEOUT (default 120 s). Exit status 0 only if ok. Shares the lab's QEMU lock.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

[ $# = 2 ] || die "usage: $0 VMLINUX OUTLOG"
vml=$1 log=$2 to=${TIMEOUT:-120}
[ "$(head -c4 "$vml" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ] ||
	die "$vml is not an ELF vmlinux (extract it with lab/extract-vmlinux.sh)"
need_pkgs qemu-system-x86 util-linux
gimg=$("$HERE/mk-guest-initramfs.sh")
mkdir -p "$(dirname "$log")"

say "booting $vml under plain QEMU (limit ${to}s) -> $log"
t0=$EPOCHREALTIME
set +e
# bare QEMU has no /sys/hypervisor: the guest must report guest_type none
flock /tmp/xen-pvh-qemu.lock timeout -k 5 "$to" qemu-system-x86_64 -accel tcg -machine pc -cpu max \
	-m 512 -smp 2 -display none -nographic -no-reboot -serial stdio -monitor none \
	-kernel "$vml" -initrd "$gimg" \
	-append "console=ttyS0 loglevel=6 lab.expect_type=none lab.expect_cpus=2" </dev/null 2>&1 |
	tr -d '\r' >"$log"
rc=${PIPESTATUS[0]}
set -e
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
name=qemu-direct:$(basename "$vml")
nok=$(grep -a -m1 -E '^not ok [0-9]+' "$log" || true)
if grep -aq 'Kernel panic' "$log"; then
	echo "not ok 1 - $name: panic: $(grep -a -m1 'Kernel panic' "$log")"; exit 1
elif ! grep -aq LAB-GUEST-DONE "$log"; then
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then why="timeout after ${to}s"; else why="QEMU rc $rc"; fi
	echo "not ok 1 - $name: no LAB-GUEST-DONE marker ($why)"; exit 1
elif [ -n "$nok" ]; then
	echo "not ok 1 - $name: guest check failed: ${nok#not ok }"; exit 1
fi
echo "ok 1 - $name: LAB-GUEST-DONE ($secs s, guest_type $(sed -n 's/^LAB guest_type=//p' "$log" | head -1))"
