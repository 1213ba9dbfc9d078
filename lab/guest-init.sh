#!/bin/sh
# lab/guest-init.sh: /init of the lab's guest initramfs (busybox sh). Not run on the host.
#
# Reports what the guest itself sees, on its console (hvc0 under Xen, ttyS0 on bare QEMU):
#   LAB guest_type=... / cpus_online=... / ncpus=... / memtotal_kb=... / kernel=...
# then TAP lines for the expectations given on the kernel command line
#   lab.expect_type=PV|PVH|HVM|none   lab.expect_cpus=N
# then LAB-GUEST-DONE, then powers off. It never waits for anything: a missing file is
# reported as "none", and the guest always reaches the marker and poweroff.
PATH=/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null

rd() { cat "$1" 2>/dev/null || echo none; }
arg() { # arg KEY: value of KEY=... on the kernel command line, empty if absent
	for w in $(cat /proc/cmdline 2>/dev/null); do
		case "$w" in "$1="*) echo "${w#*=}"; return ;; esac
	done
}
count_cpus() { # "0-1,3" -> 3
	n=0
	for r in $(echo "$1" | tr ',' ' '); do
		case "$r" in
		*-*) n=$((n + ${r#*-} - ${r%-*} + 1)) ;;
		[0-9]*) n=$((n + 1)) ;;
		esac
	done
	echo $n
}

echo "LAB-GUEST-START uptime=$(cut -d' ' -f1 /proc/uptime 2>/dev/null)"
gtype=$(rd /sys/hypervisor/guest_type)
online=$(rd /sys/devices/system/cpu/online)
ncpus=$(count_cpus "$online")
mem=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null)
echo "LAB guest_type=$gtype"
echo "LAB hypervisor=$(rd /sys/hypervisor/type)"
echo "LAB cpus_online=$online"
echo "LAB ncpus=$ncpus"
echo "LAB memtotal_kb=${mem:-none}"
echo "LAB kernel=$(uname -r)"
# how the kernel says it booted: the PVH entry path names itself here
dmesg 2>/dev/null | grep -E 'Booting (paravirtualized )?kernel|Hypervisor detected' | head -3 |
	sed 's/^/LAB dmesg: /'

n=0
tap() { # tap OK-CONDITION-RESULT DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
want=$(arg lab.expect_type)
if [ -n "$want" ]; then
	[ "$gtype" = "$want" ]; tap $? "guest_type $gtype, expected $want"
fi
want=$(arg lab.expect_cpus)
if [ -n "$want" ]; then
	[ "$ncpus" = "$want" ]; tap $? "cpus online $ncpus ($online), expected $want"
fi
echo "1..$n"
echo "LAB-GUEST-DONE uptime=$(cut -d' ' -f1 /proc/uptime 2>/dev/null)"
# the console must drain before the domain dies, or the marker can be lost
sync
sleep 0.2
poweroff -f
