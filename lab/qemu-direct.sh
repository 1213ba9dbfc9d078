#!/bin/bash
# lab/qemu-direct.sh [OPTIONS] VMLINUX OUTLOG: boot a kernel under plain QEMU (no Xen) with the
# lab guest initramfs and print one TAP line on whether it reached LAB-GUEST-DONE.
#
# VMLINUX must be the uncompressed ELF (lab/extract-vmlinux.sh): QEMU then enters it through
# its PVH ELF note (XEN_ELFNOTE_PHYS32_ENTRY) instead of the bzImage/SeaBIOS path.
# Options:
#   --append ARGS   add ARGS to the kernel command line
#   --expect TEXT   TEXT (a fixed string) must also appear on the serial console; repeatable
#   --must-stop     the kernel is expected to refuse to boot: LAB-GUEST-DONE is a failure and
#                   the timeout is the normal end (give a short TIMEOUT); use with --expect
#                   to name the message it must stop with
# Env: TIMEOUT (default 120 s). Exit status 0 only if ok. Shares the lab's QEMU lock; the
# time reported is QEMU's own, from when it got the lock.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

usage="usage: $0 [--append ARGS] [--expect TEXT]... [--must-stop] VMLINUX OUTLOG"
extra='' expect=() must_stop=0
while [ $# -gt 0 ]; do
	case "$1" in
	--append) [ $# -ge 2 ] || die "$usage"; extra+=" $2"; shift 2 ;;
	--expect) { [ $# -ge 2 ] && [ -n "$2" ]; } || die "$usage"; expect+=("$2"); shift 2 ;;
	--must-stop) must_stop=1; shift ;;
	--) shift; break ;;
	-*) die "unknown option $1; $usage" ;;
	*) break ;;
	esac
done
[ $# = 2 ] || die "$usage"
vml=$1 log=$2 to=${TIMEOUT:-120}
[ "$(head -c4 "$vml" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ] ||
	die "$vml is not an ELF vmlinux (extract it with lab/extract-vmlinux.sh)"
need_pkgs qemu-system-x86 util-linux
gimg=$("$HERE/mk-guest-initramfs.sh")
mkdir -p "$(dirname "$log")"

LOCK=/tmp/xen-pvh-qemu.lock
if ! flock -n "$LOCK" true; then say "waiting for another lab QEMU to finish ($LOCK)"; fi
say "booting $vml under plain QEMU (limit ${to}s) -> $log"
# result TAPLINE: the verdict, on stdout and in OUTLOG.tap (read by scripts/matrix.sh).
result() { printf '%s\n' "$1" | tee "$log.tap"; }
rm -f "$log.tap"
set +e
# bare QEMU has no /sys/hypervisor: the guest must report guest_type none
flock "$LOCK" bash -c 'echo "LAB-HOST-QEMU-START $EPOCHREALTIME"; exec "$@"' _ \
	timeout -k 5 "$to" qemu-system-x86_64 -accel tcg -machine pc -cpu max \
	-m 512 -smp 2 -display none -nographic -no-reboot -serial stdio -monitor none \
	-kernel "$vml" -initrd "$gimg" \
	-append "console=ttyS0 loglevel=6 lab.expect_type=none lab.expect_cpus=2$extra" </dev/null 2>&1 |
	tr -d '\r' >"$log"
rc=${PIPESTATUS[0]}
set -e
t0=$(sed -n 's/^LAB-HOST-QEMU-START //p' "$log" | head -1)
secs=$(awk -v a="${t0:-$EPOCHREALTIME}" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
name=qemu-direct:$(basename "$vml")
nok=$(grep -a -m1 -E '^not ok [0-9]+' "$log" || true)
missing=''
for t in ${expect[@]+"${expect[@]}"}; do
	grep -aqF -- "$t" "$log" || missing=$t
done
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then why="timeout after ${to}s"; else why="QEMU rc $rc"; fi
if grep -aq 'Kernel panic' "$log"; then
	result "not ok 1 - $name: panic: $(grep -a -m1 'Kernel panic' "$log")"; exit 1
elif [ "$must_stop" = 1 ]; then
	if grep -aq LAB-GUEST-DONE "$log"; then
		result "not ok 1 - $name: reached LAB-GUEST-DONE, but it should have stopped"; exit 1
	elif [ -n "$missing" ]; then
		result "not ok 1 - $name: stopped ($why), but no \"$missing\" on the serial console"; exit 1
	fi
	result "ok 1 - $name: stopped without LAB-GUEST-DONE ($why, QEMU ran $secs s)${expect[*]+, said \"${expect[*]}\"}"
	exit 0
elif ! grep -aq LAB-GUEST-DONE "$log"; then
	result "not ok 1 - $name: no LAB-GUEST-DONE marker ($why)"; exit 1
elif [ -n "$nok" ]; then
	result "not ok 1 - $name: guest check failed: ${nok#not ok }"; exit 1
elif [ -n "$missing" ]; then
	result "not ok 1 - $name: LAB-GUEST-DONE, but no \"$missing\" on the serial console"; exit 1
fi
result "ok 1 - $name: LAB-GUEST-DONE ($secs s, guest_type $(sed -n 's/^LAB guest_type=//p' "$log" | head -1))"
