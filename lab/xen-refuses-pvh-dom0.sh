#!/bin/bash
# lab/xen-refuses-pvh-dom0.sh DOM0_KERNEL OUTLOG: Xen 4.17 must refuse a PVH dom0 (dom0=pvh) on
# a machine without an IOMMU, and say so; prints one TAP line.
#
# The lab's PVH dom0 machine (q35) without its emulated Intel IOMMU: Xen stops before the dom0
# kernel runs, with the message users need to see.  Fails if that message is missing, if the
# dom0 kernel started anyway, or if nothing ended within TIMEOUT (default 120 s).  Shares the
# lab's QEMU lock.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

MSG='Presently, iommu must be enabled for PVH hardware domain'
[ $# = 2 ] || die "usage: $0 DOM0_KERNEL OUTLOG"
k=$1 log=$2 to=${TIMEOUT:-120}
[ -f "$k" ] || die "no dom0 kernel $k"
need_pkgs qemu-system-x86 util-linux
"$HERE/fetch.sh" >/dev/null
. "$CACHE/lab/lab.env"
mkdir -p "$(dirname "$log")"

LOCK=/tmp/xen-pvh-qemu.lock
if ! flock -n "$LOCK" true; then say "waiting for another lab QEMU to finish ($LOCK)"; fi
say "booting Xen dom0=pvh on q35 without an IOMMU (limit ${to}s) -> $log"
set +e
# the same machine as lab/run.sh --dom0 pvh, less -device intel-iommu; Xen reboots 5 s after
# its panic, which ends QEMU (-no-reboot)
flock "$LOCK" timeout -k 5 "$to" qemu-system-x86_64 -accel tcg,thread=multi -machine q35 \
	-cpu qemu64,+svm,+npt -m 2048 -smp 2 -display none -nographic -no-reboot \
	-serial stdio -monitor none -kernel "$XEN" \
	-append "console=com1 com1=115200,8n1 loglvl=all dom0=pvh dom0_mem=1024M" \
	-initrd "$k console=hvc0 earlyprintk=xen" </dev/null 2>&1 |
	tr -d '\r' >"$log"
set -e
name="Xen refuses a PVH dom0 without an IOMMU"
if grep -aqF "$MSG" "$log"; then
	if grep -aq 'Linux version' "$log"; then
		echo "not ok 1 - $name: its message came, but the dom0 kernel started ($log)"; exit 1
	fi
	echo "ok 1 - $name: \"$MSG\""
else
	echo "not ok 1 - $name: no \"$MSG\" in $log; last line: $(tail -1 "$log" | cut -c1-120)"
	exit 1
fi
