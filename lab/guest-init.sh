#!/bin/sh
# lab/guest-init.sh: /init of the lab's guest initramfs (busybox sh). Not run on the host.
#
# Reports what the guest itself sees, on its console (hvc0 under Xen, ttyS0 on bare QEMU):
#   LAB guest_type=... / cpus_online=... / ncpus=... / memtotal_kb=... / kernel=...
# then TAP lines for the expectations given on the kernel command line
#   lab.expect_type=PV|PVH|HVM|none   lab.expect_cpus=N
# then LAB-GUEST-DONE, then powers off. It never waits for anything: a missing file is
# reported as "none", and the guest always reaches the marker and poweroff.
# Shell builtins only where possible: under TCG + nested paging every fork costs ~0.2 s.
PATH=/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null

rd() { # rd FILE: first line of FILE in $R, "none" if missing or empty
	R=
	[ -r "$1" ] && read -r R <"$1" 2>/dev/null
	[ -n "$R" ] || R=none
}
rd /proc/uptime; echo "LAB-GUEST-START uptime=${R%% *}"

rd /sys/hypervisor/guest_type; gtype=$R
rd /sys/hypervisor/type; htype=$R
rd /sys/devices/system/cpu/online; online=$R
ncpus=0
IFS=,
for r in $online; do
	case "$r" in
	*-*) ncpus=$((ncpus + ${r#*-} - ${r%-*} + 1)) ;;
	[0-9]*) ncpus=$((ncpus + 1)) ;;
	esac
done
unset IFS
mem=none
while read -r k v rest; do
	[ "$k" = MemTotal: ] && { mem=$v; break; }
done </proc/meminfo
rd /proc/sys/kernel/osrelease; kver=$R
rd /proc/cmdline; cmdline=$R
want_type='' want_cpus=''
for w in $cmdline; do
	case "$w" in
	lab.expect_type=*) want_type=${w#*=} ;;
	lab.expect_cpus=*) want_cpus=${w#*=} ;;
	esac
done

echo "LAB guest_type=$gtype"
echo "LAB hypervisor=$htype"
echo "LAB cpus_online=$online"
echo "LAB ncpus=$ncpus"
echo "LAB memtotal_kb=$mem"
echo "LAB kernel=$kver"
# how the kernel says it booted: the PVH entry path names itself here
dmesg 2>/dev/null | grep -E 'Booting (paravirtualized )?kernel|Hypervisor detected' |
	while read -r l; do echo "LAB dmesg: $l"; done

n=0
tap() { # tap STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
if [ -n "$want_type" ]; then
	[ "$gtype" = "$want_type" ]; tap $? "guest_type $gtype, expected $want_type"
fi
if [ -n "$want_cpus" ]; then
	[ "$ncpus" = "$want_cpus" ]; tap $? "cpus online $ncpus ($online), expected $want_cpus"
fi
echo "1..$n"
rd /proc/uptime; echo "LAB-GUEST-DONE uptime=${R%% *}"
# let the console drain before the domain dies, or the marker can be lost
sleep 0.2
poweroff -f
