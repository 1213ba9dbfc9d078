#!/bin/sh
# lab/guest-hotplug.sh: /bin/lab-hotplug of the lab's guest image (busybox sh). Not run on the host.
#
# The CPU half of a distribution's udev rules:
#   SUBSYSTEM=="cpu", ACTION=="add", TEST=="online", ATTR{online}=="0", ATTR{online}="1"
# A CPU that Xen hot-adds (xl vcpu-set, or xl vcpu-set back up after taking it away) appears as
# a present CPU device that stays offline until user space onlines it. guest-init.sh runs this
# for every kernel uevent through busybox's `uevent` (netlink), which passes the event in the
# environment (ACTION, SUBSYSTEM, DEVPATH, SEQNUM). Every other event is left alone. What it
# does goes to the console as "LAB hotplug: ..." (never a TAP line, never "ok"/"not ok" first):
#   LAB hotplug: add cpu2 (seq 812): online 0 -> 1 (uptime 41.27)
#   LAB hotplug: add cpu2 (seq 812): writing 1 to .../online failed: ...; online 0
# LAB_SYSFS (default /sys) and LAB_CONSOLE (default /dev/console) are for its tests on a host.
[ "$SUBSYSTEM" = cpu ] && [ "$ACTION" = add ] || exit 0
f=${LAB_SYSFS:-/sys}$DEVPATH/online
cpu=${DEVPATH##*/}
exec >"${LAB_CONSOLE:-/dev/console}" 2>&1
up=none
[ -r /proc/uptime ] && read -r up _ </proc/uptime
what="LAB hotplug: add $cpu (seq ${SEQNUM:-none})"
if [ ! -e "$f" ]; then
	echo "$what: no $f, not hotpluggable (uptime $up)"
	exit 0
fi
read -r was <"$f"
if [ "$was" != 0 ]; then
	echo "$what: already online $was (uptime $up)"
	exit 0
fi
# a failed write says why on stderr: keep it for the one line
if echo 1 2>/tmp/lab-hotplug.err >"$f"; then
	read -r now <"$f"
	echo "$what: online $was -> $now (uptime $up)"
else
	read -r err </tmp/lab-hotplug.err
	read -r now <"$f"
	echo "$what: writing 1 to $f failed: ${err:-no message}; online $now (uptime $up)"
fi
