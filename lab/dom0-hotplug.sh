#!/bin/sh
# lab/dom0-hotplug.sh: the lab dom0's Xen hotplug script (busybox sh). Not run on the host.
#
# Installed as /etc/xen/scripts/block and /etc/xen/scripts/vif-bridge, the scripts libxl runs
# for a disk and a bridged vif (Debian's need bash and more tools than the dom0 image has):
#   block add|remove        XENBUS_PATH/params is a block device or a file (then a loop
#                           device over it); writes physical-device and hotplug-status
#   vif-bridge online|offline  puts $vif on the bridge XENBUS_PATH/bridge and up; writes
#                           hotplug-status (netback waits for it)
# Every step is logged to /var/log/xen/hotplug.log; a failure writes hotplug-status=error.
exec >>/var/log/xen/hotplug.log 2>&1
echo "${0##*/} $* XENBUS_PATH=$XENBUS_PATH vif=$vif"
fail() { echo "error: $*"; xenstore-write "$XENBUS_PATH/hotplug-status" error; exit 1; }

case "${0##*/}:$1" in
block:add)
	p=$(xenstore-read "$XENBUS_PATH/params") || fail "no params"
	if [ -b "$p" ]; then
		dev=$p
	elif [ -f "$p" ]; then
		# libxl runs one script per disk at once: another may take the free loop device
		# between "losetup -f" and ours (Debian's script takes a lock; retrying does here)
		i=0
		until dev=$(losetup -f) && losetup "$dev" "$p"; do
			i=$((i + 1))
			[ $i -lt 10 ] || fail "losetup $p failed"
			echo "losetup $p: ${dev:-no free device} taken, trying again"
			sleep 0.2
		done
	else
		fail "$p is neither a block device nor a file"
	fi
	mm=$(stat -L -c %t:%T "$dev") || fail "stat $dev"
	xenstore-write "$XENBUS_PATH/physical-device" "$mm" "$XENBUS_PATH/physical-device-path" "$dev" \
		"$XENBUS_PATH/hotplug-status" connected || fail "xenstore-write"
	echo "$p -> $dev ($mm)" ;;
block:remove)
	dev=$(xenstore-read "$XENBUS_PATH/physical-device-path" 2>/dev/null)
	case "$dev" in /dev/loop*) losetup -d "$dev" && echo "released $dev" ;; esac ;;
vif-bridge:online|vif-bridge:add)
	br=$(xenstore-read "$XENBUS_PATH/bridge") || fail "no bridge"
	brctl addif "$br" "$vif" || fail "brctl addif $br $vif"
	ip link set "$vif" up || fail "ip link set $vif up"
	xenstore-write "$XENBUS_PATH/hotplug-status" connected || fail "xenstore-write"
	echo "$vif on $br" ;;
vif-bridge:offline|vif-bridge:remove)
	br=$(xenstore-read "$XENBUS_PATH/bridge" 2>/dev/null)
	[ -n "$br" ] && brctl delif "$br" "$vif" 2>/dev/null
	: ;;
*)
	fail "unknown action" ;;
esac
exit 0
