#!/bin/bash
# lab/xen-refuses-pvh-dom0.sh [--iommu --expect MSG] DOM0_KERNEL OUTLOG: Xen must refuse a
# PVH dom0 (dom0=pvh) and say so; prints one TAP line.
# XEN=4.17|4.20 (scripts/lib.sh; default 4.17): the Xen, and the QEMU it runs under (lab.env).
#
# By default the lab's PVH dom0 machine (q35) without its emulated Intel IOMMU: Xen stops before
# the dom0 kernel runs, with the message users need to see.  With --iommu the machine has its
# IOMMU, as lab/run.sh --dom0 pvh gives it, and Xen must refuse the kernel itself for the reason
# MSG names (a kernel without the PVH entry, say).  Fails if the message is missing, if the dom0
# kernel started anyway, or if nothing ended within TIMEOUT (default 120 s).  Shares the lab's
# QEMU lock.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

MSG='Presently, iommu must be enabled for PVH hardware domain'
usage="usage: $0 [--iommu --expect MSG] DOM0_KERNEL OUTLOG"
iommu=() why="without an IOMMU"
while [ $# -gt 0 ]; do
	case "$1" in
	--iommu) iommu=(-device intel-iommu,intremap=off); why="with an IOMMU"; shift ;;
	--expect) [ $# -ge 2 ] || die "$usage"; MSG=$2; shift 2 ;;
	-*) die "unknown option $1; $usage" ;;
	*) break ;;
	esac
done
[ $# = 2 ] || die "$usage"
k=$1 log=$2 to=${TIMEOUT:-120}
[ -f "$k" ] || die "no dom0 kernel $k"
need_pkgs qemu-system-x86 util-linux
"$HERE/fetch.sh" >/dev/null
. "$CACHE/lab/lab.env"
[ -n "$XEN_VERSION" ] || die "lab/fetch.sh left no Xen $XEN in $CACHE/lab/lab.env"
mkdir -p "$(dirname "$log")"

LOCK=/tmp/xen-pvh-qemu.lock
if ! flock -n "$LOCK" true; then say "waiting for another lab QEMU to finish ($LOCK)"; fi
say "booting Xen $XEN_VERSION dom0=pvh on q35 $why (limit ${to}s) -> $log"
# result TAPLINE: the verdict, on stdout and in OUTLOG.tap (read by scripts/matrix.sh).
result() { printf '%s\n' "$1" | tee "$log.tap"; }
rm -f "$log.tap"
set +e
# the same machine as lab/run.sh --dom0 pvh, by default less -device intel-iommu; Xen reboots
# 5 s after its panic, which ends QEMU (-no-reboot)
flock "$LOCK" timeout -k 5 "$to" "${QEMU[@]}" -accel tcg,thread=multi -machine q35 \
	-cpu qemu64,+svm,+npt -m 2048 -smp 2 -display none -nographic -no-reboot \
	-serial stdio -monitor none "${iommu[@]}" -kernel "$XEN_IMAGE" \
	-append "console=com1 com1=115200,8n1 loglvl=all dom0=pvh dom0_mem=1024M" \
	-initrd "$k console=hvc0 earlyprintk=xen" </dev/null 2>&1 |
	tr -d '\r' >"$log"
set -e
name="Xen refuses a PVH dom0 $why: $(basename "$k")"
if grep -aqF "$MSG" "$log"; then
	if grep -aq 'Linux version' "$log"; then
		result "not ok 1 - $name: its message came, but the dom0 kernel started ($log)"; exit 1
	fi
	result "ok 1 - $name: \"$MSG\""
else
	result "not ok 1 - $name: no \"$MSG\" in $log; last line: $(tail -1 "$log" | cut -c1-120)"
	exit 1
fi
