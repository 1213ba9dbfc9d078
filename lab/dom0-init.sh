#!/bin/sh
# lab/dom0-init.sh: /init of the lab's dom0 initramfs (busybox sh). Not run on the host.
#
# Brings up the Xen toolstack (xenstored, xen-init-dom0, xenconsoled --log=guest), then runs
# every guest listed in /lab/guests (one name a line, config in /lab/cfg/NAME.cfg, both added
# by lab/run.sh): xl create -p, note the domid (domid= in LAB-RESULT, with those a restore or a
# reboot gave it after a comma: the host matches Xen's
# crash lines by it), xl unpause, wait for the guest's LAB-GUEST-DONE marker / a panic / the
# domain's end / the per-guest timeout, make sure the domain is gone, print its console with a
# "[NAME] " prefix, the log of the xl that watched the domain ("[NAME] xl-log: "), and one
# LAB-RESULT line (shutdown=: the shutdown reason code xl logged, or none). Then powers off,
# which makes Xen end QEMU.
# A guest's /lab/cfg/NAME.lab (shell assignments) asks for its devices' dom0 side:
#   DISK="PATH..." DISK_MB=N DISK_WMB=W  create a zeroed N MiB image at each PATH before xl
#                                   create; once the domain is gone, hash their first W MiB
#                                   (disk_sha=, the hashes in order, comma-separated)
#   NET=N                           bridges xenbr0 .. xenbr(N-1), with udhcpd on each: xenbr0 at
#                                   $NET_DOM0 (/lab/settings), each next one in the next /24
#   KST_GT=S                        the guest runs the selftests: S seconds more than GT
#   KST_BALLOON=1                   the balloon selftest's handshake: for every line
#                                   "XEN-SELFTEST-BALLOON-REQUEST target_kb=N" the guest prints,
#                                   once and in order, `xl mem-set NAME Nk`; then, once Xen's
#                                   count of the domain's memory (xl list) holds still, write
#                                   "K KB" (K: requests answered, KB: that count) to the guest's
#                                   xenstore key data/xen-selftest-balloon, where the test waits
#                                   for it; say so as "[NAME] dom0: xl mem-set Nk: request K ..."
#   KST_VCPU=1                      xen_vcpu_hotplug's handshake: for every new line
#                                   "XEN-SELFTEST-VCPU-REQUEST seq=K vcpus=N" the guest prints,
#                                   run `timeout 30 xl vcpu-set --ignore-host NAME N` once per K,
#                                   in order, and say so at once: "[NAME] dom0: xl vcpu-set N:
#                                   seq=K rc=R ..." (--ignore-host: the lab has 2 physical CPUs,
#                                   and xl refuses to give a domain more vCPUs than that without)
#   XL_ACTIONS="A B ..."            the toolstack ends the guest, which waits after its marker:
#                                   after the K-th marker, `xl A_K NAME` (reboot: the domain
#                                   must come back and print its marker again; shutdown: it must
#                                   go; destroy), each said as "[NAME] dom0: xl-action A rc=R
#                                   secs=S result=back|gone|there"; markers= counts them
#   PRESERVE=1                      on_crash="preserve": a guest that crashes after its marker
#                                   must stay as a crashed domain ("c" in xl list: preserved=c),
#                                   which is then destroyed
#   KST_SAVE=1                      xen_suspend's handshake: for every new line
#                                   "XEN-SELFTEST-SAVE-REQUEST seq=K", `xl save NAME FILE` and
#                                   `xl restore FILE` once per K, timed, and say so:
#                                   "[NAME] dom0: xl save/restore: seq=K save_rc=R save_s=S
#                                   restore_rc=R restore_s=S size_mb=M domid=A->B ..."
# It decides nothing about pass/fail: the host does, from these lines.
# /usr/lib/xen is the image's link to the tools of its Xen, xen-4.17 or xen-4.20
# (lab/mk-dom0-initramfs.sh); libxl itself keeps to the versioned path it was built with
export PATH=/usr/lib/xen/bin:/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mkdir -p /run/xen /run/xenstored /var/lib/xen /var/log/xen/console /var/lock /tmp

up() { cut -d' ' -f1 /proc/uptime; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
GT=180 NET_DOM0=10.99.0.1
[ -f /lab/settings ] && . /lab/settings	# GT: per-guest timeout (s); NET_DOM0: xenbr0's address

echo "LAB-DOM0-START uptime=$(up) guest_type=$(cat /sys/hypervisor/guest_type 2>/dev/null) kernel=$(uname -r)"
kmod() { # kmod NAME...: insmod those the image has, in order (a kernel may have them built in)
	for m in "$@"; do
		# once: a second disk guest asks again
		[ -f /lib/modules/$m.ko ] && [ ! -d "/sys/module/${m//-/_}" ] && insmod /lib/modules/$m.ko
	done
}
kmod xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs
mount -t xenfs xenfs /proc/xen 2>/dev/null
# keep kernel chatter (but not errors) off the console the host parses
dmesg -n 4

XL=/usr/lib/xen/bin/xl XLCMD=xl
if [ -x /lab/bin/xl ]; then
	# a patched xl (lab/run.sh --xl) with the libraries it needs beyond the base image;
	# $XLCMD (not a function) so that timeout can run it
	XL=/lab/bin/xl XLCMD="env LD_LIBRARY_PATH=/lab/lib /lab/bin/xl"
fi
echo "LAB dom0 xl=$XL sha256=$(sha256sum $XL | cut -c1-16) xen=$(cat /etc/lab-xen-version 2>/dev/null)"

fail=""
# daemons fork; a hang here must not stall the run, so every step is bounded
timeout 60 xenstored --pid-file /run/xenstored.pid || fail="$fail xenstored"
timeout 60 xen-init-dom0 >/tmp/xen-init-dom0.out 2>&1 || { fail="$fail xen-init-dom0"; cat /tmp/xen-init-dom0.out; }
timeout 60 xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console ||
	fail="$fail xenconsoled"
timeout 60 $XLCMD info >/tmp/xl-info.out 2>&1 || { fail="$fail xl-info"; cat /tmp/xl-info.out; }
if [ -z "$fail" ]; then
	# pci=: the PCI devices this dom0 found, each of which it must have reported to Xen;
	# gsi=: CHIP:DEVICE:COUNT of the device interrupts Xen routed to it, from /proc/interrupts
	# (IO-APIC for a PVH dom0: Xen's emulated one; xen-pirq for a PV dom0)
	gsi=$(awk '$2 ~ /^[0-9]+$/ && $1 ~ /^[0-9]+:$/ {
		n = 0; for (i = 2; $i ~ /^[0-9]+$/; i++) n += $i
		if ($i == "IO-APIC" || $i == "xen-pirq") { printf "%s%s:%s:%d", s, $i, $NF, n; s = "," } }' /proc/interrupts)
	echo "LAB-DOM0-READY uptime=$(up) xen=$(sed -n 's/^xen_version *: *//p' /tmp/xl-info.out) free_mb=$(sed -n 's/^free_memory *: *//p' /tmp/xl-info.out) pci=$(ls /sys/bus/pci/devices 2>/dev/null | wc -l) gsi=${gsi:-none}"
else
	echo "LAB-DOM0-FAIL uptime=$(up) failed:$fail"
fi
# what the dom0 kernel said of its Xen setup (ours: "Xen PVH dom0: ..." and the like), and
# how much RAM the balloon holds (foreign mappings that balloon out RAM lower it)
dmesg | grep -E 'Xen PVH|xen:balloon' | sed 's/^\[[ 0-9.]*\] //; s/^/LAB dom0 dmesg: /'
bal() { cat /sys/devices/system/xen_memory/xen_memory0/info/current_kb 2>/dev/null; }
echo "LAB dom0 balloon current_kb=$(bal) (before the guests)"

others() { # domids of every domain but dom0
	$XLCMD list 2>/dev/null </dev/null | awk 'NR > 1 && $2 != 0 { print $2 }'
}
gval() { # gval LOG KEY: value the guest reported as "LAB KEY=value"
	[ -f "$1" ] && tr -d '\r' <"$1" | sed -n "s/^LAB $2=\([^ ]*\).*/\1/p" | head -1
}

# vcpu_answer NAME LOG: answer the guest's vCPU requests (KST_VCPU): each complete request line
# whose seq is above the last one answered ($vseq), in the order printed. $vdone counts the
# request lines already looked at, so that a poll without a new one costs a grep only; a line
# still being written (the log does not end in a newline) waits for the next poll.
vcpu_answer() {
	c=$(grep -c XEN-SELFTEST-VCPU-REQUEST "$2" 2>/dev/null) || return 0
	[ "$c" -gt "$vdone" ] || return 0
	re='s/.*XEN-SELFTEST-VCPU-REQUEST seq=\([0-9][0-9]*\) vcpus=\([0-9][0-9]*\)$/\1 \2/p'
	if [ -n "$(tail -c 1 "$2")" ]; then
		vdone=$((c - 1)); tr -d '\r' <"$2" | sed -n -e '$d' -e "$re"
	else
		vdone=$c; tr -d '\r' <"$2" | sed -n "$re"
	fi >/tmp/vcpureq-$1
	while read -r s v; do
		[ "$s" -gt "$vseq" ] || continue
		vseq=$s t=$(up)
		timeout 30 $XLCMD vcpu-set --ignore-host "$1" "$v" </dev/null >/tmp/vcpuset-$1.out 2>&1
		r=$?
		echo "[$1] dom0: xl vcpu-set $v: seq=$s rc=$r ($(secs "$t" "$(up)") s, uptime $(up))$(tr -d '\r' </tmp/vcpuset-$1.out | tr '\n' ' ' | sed 's/^./: &/; s/ *$//')"
	done </tmp/vcpureq-$1
}

# last_words FILE N: the last N non-blank lines of a command's output FILE, on one line after
# ": " (nothing when there are none), to end the line that reports the command
last_words() { tr -d '\r' <"$1" | grep -v '^ *$' | tail -"$2" | tr '\n' ' ' | sed 's/^./: &/; s/ *$//'; }

# xen_kb NAME: Xen's count of the domain's memory, in kB (xl list gives MiB)
xen_kb() { $XLCMD list "$1" </dev/null 2>/dev/null | awk 'NR == 2 { print $3 * 1024 }'; }

# balloon_answer NAME LOG: answer the balloon test's requests (KST_BALLOON) that $bdone does
# not count yet, in order. Xen's count holds still once it is within 1 MiB of the target, or
# did not change for 3 s after it moved, or for 10 s if it never moved (the guest cannot give
# what was asked: the test wants to know that as well); 60 s at most.
balloon_answer() {
	grep -q XEN-SELFTEST-BALLOON-REQUEST "$2" 2>/dev/null || return 0
	# complete lines only: a request still being written waits for the next poll
	if [ -n "$(tail -c 1 "$2")" ]; then tr -d '\r' <"$2" | sed '$d'; else tr -d '\r' <"$2"; fi |
		sed -n 's/.*XEN-SELFTEST-BALLOON-REQUEST target_kb=\([0-9][0-9]*\)$/\1/p' >/tmp/balreq-$1
	k=0
	while read -r kb; do
		k=$((k + 1))
		[ $k -gt $bdone ] || continue
		bdone=$k before=$(xen_kb "$1") a=$(up)
		# whether Xen populates the domain on demand (maxmem above memory): its 'q' dump
		[ $k != 1 ] || { timeout 30 $XLCMD debug-keys q </dev/null >/dev/null 2>&1; $XLCMD dmesg </dev/null 2>/dev/null |
			awk -v d="$domid" '/General information for domain/ { on = ($NF == d ":") } on && /PoD entries/ { sub(/.*\(XEN\) */, ""); l = $0 } END { print "[" n "] dom0: Xen: domain " d ": " (l ? l : "no PoD line") }' n="$1"; }
		timeout 30 $XLCMD mem-set "$1" "${kb}k" </dev/null >/tmp/memset-$1.out 2>&1
		r=$?
		last=$before still=0 moved=0 j=0
		while [ $j -lt 120 ]; do
			sleep 0.5
			j=$((j + 1)) now=$(xen_kb "$1")
			[ -z "$now" ] || [ $((now - kb)) -gt 1024 ] || [ $((kb - now)) -gt 1024 ] || { last=$now; break; }
			if [ "$now" != "$last" ]; then last=$now moved=1 still=0; continue; fi
			still=$((still + 1))
			[ $moved = 1 ] && [ $still -ge 6 ] && break
			[ $still -ge 20 ] && break
		done
		xenstore-write "/local/domain/$domid/data/xen-selftest-balloon" "$k ${last:-0}"
		echo "[$1] dom0: xl mem-set ${kb}k: request $k rc=$r, Xen's count of its memory ${before:-?} -> ${last:-?} kB ($(secs "$a" "$(up)") s)$(last_words /tmp/memset-$1.out 2)"
	done </tmp/balreq-$1
}

# save_answer NAME LOG: answer xen_suspend's request (KST_SAVE) whose seq is above the last
# one answered ($sseq): save the domain to a file in /run, restore it from there. The
# restored domain has a new domid ($domid follows it: Xen's crash lines name that one).
save_answer() {
	grep -q XEN-SELFTEST-SAVE-REQUEST "$2" 2>/dev/null || return 0
	s=$(tr -d '\r' <"$2" | sed -n 's/.*XEN-SELFTEST-SAVE-REQUEST seq=\([0-9][0-9]*\)$/\1/p' | tail -1)
	[ -n "$s" ] && [ "$s" -gt "$sseq" ] || return 0
	sseq=$s f=/run/lab-save-$1 a=$(up) rr=none
	timeout 120 $XLCMD save "$1" "$f" </dev/null >/tmp/save-$1.out 2>&1
	sr=$? b=$(up)
	mb=$(($(stat -c %s "$f" 2>/dev/null || echo 0) / 1048576))
	if [ $sr = 0 ]; then
		timeout 120 $XLCMD restore "$f" </dev/null >>/tmp/save-$1.out 2>&1
		rr=$?
	fi
	c=$(up) old=$domid
	rm -f "$f"
	d=$($XLCMD domid "$1" </dev/null 2>/dev/null)
	case "$d" in ''|*[!0-9]*) domid=none ;; *) domid=$d domids=$domids,$d ;; esac
	echo "[$1] dom0: xl save/restore: seq=$s save_rc=$sr save_s=$(secs "$a" "$b") restore_rc=$rr restore_s=$(secs "$b" "$c") size_mb=$mb domid=$old->$domid$(last_words /tmp/save-$1.out 3)"
}

# xl_action NAME ACTION: the toolstack ends the guest that printed its marker; $acted counts
# the actions done. 0 once the domain is gone (the guest's run is over), 1 while it runs on.
xl_action() {
	a=$(up) res=there
	timeout 60 $XLCMD "$2" "$1" </dev/null >/tmp/action-$1.out 2>&1
	r=$?
	acted=$((acted + 1))
	case "$2" in
	reboot)
		# the same domain name comes back under a new domid and boots to its marker again
		i=0
		while [ $i -lt 40 ]; do
			d=$($XLCMD domid "$1" </dev/null 2>/dev/null)
			case "$d" in ''|*[!0-9]*|"$domid") ;; *) domid=$d domids=$domids,$d res=back; break ;; esac
			sleep 0.5; i=$((i + 1))
		done ;;
	*)
		i=0
		while $XLCMD domid "$1" >/dev/null 2>&1 && [ $i -lt 40 ]; do sleep 0.5; i=$((i + 1)); done
		$XLCMD domid "$1" >/dev/null 2>&1 || res=gone ;;
	esac
	echo "[$1] dom0: xl-action $2 rc=$r secs=$(secs "$a" "$(up)") result=$res domid=$domid$(last_words /tmp/action-$1.out 2)"
	[ "$res" != back ]
}

net_ready=0
net_up() { # net_up NAME N: bridges xenbr0 .. xenbr(N-1), each with a DHCP server, set up once
	kmod llc stp bridge xen-netback
	while [ $net_ready -lt "$2" ]; do
		b=xenbr$net_ready
		# NET_DOM0 on xenbr0, the same host in the next /24 on each next bridge
		p=${NET_DOM0%.*}
		p=${p%.*}.$((${p##*.} + net_ready))
		a=$p.${NET_DOM0##*.}
		printf 'interface %s\nstart %s.100\nend %s.199\nmax_leases 100\noption subnet 255.255.255.0\nlease_file /tmp/udhcpd-%s.leases\npidfile /tmp/udhcpd-%s.pid\n' \
			"$b" "$p" "$p" "$b" "$b" >/tmp/udhcpd-$b.conf
		: >/tmp/udhcpd-$b.leases
		# a new bridge has STP off: its ports forward at once
		for c in "brctl addbr $b" "ip addr add $a/24 dev $b" "ip link set $b up" "udhcpd /tmp/udhcpd-$b.conf"; do
			$c >/tmp/net.out 2>&1 || echo "[$1] dom0: $c failed: $(cat /tmp/net.out)"
		done
		echo "[$1] dom0: $b $(ip -o -4 addr show $b 2>/dev/null | awk '{ print $4 }'), udhcpd pid $(cat /tmp/udhcpd-$b.pid 2>/dev/null)"
		net_ready=$((net_ready + 1))
	done
}

run_guest() {
	n=$1 cfg=/lab/cfg/$1.cfg log=/var/log/xen/console/guest-$1.log
	echo "LAB-GUEST-BEGIN name=$n uptime=$(up)"
	DISK='' DISK_MB=16 DISK_WMB=4 NET='' KST_BALLOON='' KST_VCPU='' KST_SAVE='' KST_GT=0 vseq=0 vdone=0 sseq=0
	XL_ACTIONS='' PRESERVE='' acted=0 preserved=none
	[ -f "/lab/cfg/$n.lab" ] && . "/lab/cfg/$n.lab"
	gt=$((GT + KST_GT))
	if [ -n "$DISK" ]; then
		kmod loop xen-blkback
		for f in $DISK; do
			dd if=/dev/zero of="$f" bs=1M count="$DISK_MB" 2>/dev/null || echo "[$n] dom0: cannot create $f"
		done
	fi
	[ -z "$NET" ] || net_up "$n" "$NET"
	sed "s/^/[$n] cfg: /" "$cfg"
	# domains an earlier guest left behind (its xl destroy failed) are not this guest's
	pre=" $(others | tr '\n' ' ')"
	t0=$(up)
	# created paused, so that its domid is known before it runs a single instruction (Xen's
	# console names a crashed domain only by its domid, and a guest may die at once); then run
	timeout -s KILL $gt $XLCMD create -p "$cfg" </dev/null >/tmp/xl-$n.out 2>&1
	rc=$?
	domid=none domids=none
	if [ $rc = 0 ]; then
		tp=$(up)
		domid=$($XLCMD domid "$n" </dev/null 2>/dev/null)
		case "$domid" in ''|*[!0-9]*) domid=none ;; esac
		# every domid the guest has had (xl restore and xl reboot make new ones), latest last
		domids=$domid
		timeout 60 $XLCMD unpause "$n" </dev/null >/tmp/unpause-$n.out 2>&1 ||
			echo "[$n] dom0: xl unpause failed: $(tr -d '\r' </tmp/unpause-$n.out | tr '\n' ' ')"
		# the time it sat paused is no boot time: secs= stays "xl create to marker"
		t0=$(awk -v a="$t0" -v b="$tp" -v c="$(up)" 'BEGIN { printf "%.2f", a + c - b }')
	fi
	tr -d '\r' </tmp/xl-$n.out | sed "s/^/[$n] xl: /"
	marker=0 panic=0 to=0 left=0 t1=$t0 gone=none bdone=0
	if [ $rc = 0 ]; then
		i=0
		while :; do
			if [ -n "$XL_ACTIONS" ]; then
				# one action per marker: the guest waits for it after each
				mk=$(grep -c LAB-GUEST-DONE "$log" 2>/dev/null)
				if [ "${mk:-0}" -gt $acted ]; then
					# shellcheck disable=SC2086 # the K-th word
					set -- $XL_ACTIONS
					shift $acted
					if [ $# = 0 ]; then marker=1; break; fi
					if xl_action "$n" "$1"; then marker=1; break; fi
					t0=$(up) i=0
					continue
				fi
			elif grep -q LAB-GUEST-DONE "$log" 2>/dev/null; then marker=1; break; fi
			[ -z "$KST_BALLOON" ] || balloon_answer "$n" "$log"
			[ -z "$KST_VCPU" ] || vcpu_answer "$n" "$log"
			[ -z "$KST_SAVE" ] || save_answer "$n" "$log"
			if grep -q 'Kernel panic' "$log" 2>/dev/null; then panic=1; break; fi
			if [ $((i % 4)) = 3 ] && ! $XLCMD domid "$n" >/dev/null 2>&1; then
				# died without a marker; let xenconsoled flush the last words first
				sleep 1
				grep -q LAB-GUEST-DONE "$log" 2>/dev/null && marker=1
				grep -q 'Kernel panic' "$log" 2>/dev/null && panic=1
				break
			fi
			if [ "$(awk -v a="$t0" -v b="$(up)" -v t=$gt 'BEGIN { print (b - a >= t) }')" = 1 ]; then
				to=1; break
			fi
			sleep 0.5
			i=$((i + 1))
		done
		t1=$(up)
		# a guest that printed its marker powers itself off at once; give it a few seconds
		if [ $to = 0 ]; then
			i=0
			while $XLCMD domid "$n" >/dev/null 2>&1 && [ $i -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
			$XLCMD domid "$n" >/dev/null 2>&1 || gone=$(secs "$t1" "$(up)")
		fi
		if [ -n "$PRESERVE" ] && [ $to = 0 ]; then
			# on_crash="preserve": the crashed domain stays, in state "c", for a look at it
			i=0
			while [ $i -lt 40 ]; do
				st=$($XLCMD list "$n" </dev/null 2>/dev/null | awk 'NR == 2 { print $5 }' | tr -d -)
				case "$st" in *c*) preserved=$st; break ;; esac
				sleep 0.5; i=$((i + 1))
			done
			echo "[$n] dom0: on_crash=preserve: domain state ${st:-gone}$([ "$preserved" = none ] || echo ', destroying it')"
			[ "$preserved" = none ] || timeout 60 $XLCMD destroy "$n"
		fi
		if $XLCMD domid "$n" >/dev/null 2>&1; then
			[ $to = 1 ] || left=1
			timeout 60 $XLCMD destroy "$n"
		fi
	fi
	# whatever is still there (a refused create that left its half-built domain) is a leftover
	for d in $(others); do
		case "$pre " in
		*" $d "*) echo "[$n] dom0: destroying domain $d, left by an earlier guest" ;;
		*) left=1; echo "[$n] destroying leftover domain $d" ;;
		esac
		timeout 60 $XLCMD destroy $d
	done
	[ -f "$log" ] && tr -d '\r' <"$log" | sed "s/^/[$n] /"
	# the xl that created the domain watched it end, and logged why:
	# "Domain 3 has shut down, reason code 1 0x1" (0 poweroff, 1 reboot, 3 crash)
	why=none
	if [ -f "/var/log/xen/xl-$n.log" ]; then
		xlog=$(tr -d '\r' <"/var/log/xen/xl-$n.log")
		printf '%s\n' "$xlog" | sed "s/^/[$n] xl-log: /"
		why=$(printf '%s\n' "$xlog" | sed -n 's/.*has shut down, reason code \([0-9][0-9]*\).*/\1/p' | tail -1)
		why=${why:-none}
		rm -f "/var/log/xen/xl-$n.log"
	fi
	dsha=none
	if [ -n "$DISK" ]; then
		# the domain is gone: what its disks hold now is what the backend wrote; in order, by comma
		dsha=''
		for f in $DISK; do
			h=none
			[ -f "$f" ] && h=$(head -c $((DISK_WMB * 1048576)) "$f" | sha256sum | cut -d' ' -f1)
			dsha=$dsha${dsha:+,}$h
			rm -f "$f"
		done
	fi
	[ -f /var/log/xen/hotplug.log ] && sed "s/^/[$n] hotplug: /" /var/log/xen/hotplug.log && : >/var/log/xen/hotplug.log
	# an HVM guest's device model (QEMU) logs here
	for f in /var/log/xen/qemu-dm-$n.log*; do
		[ -f "$f" ] && tr -d '\r' <"$f" | sed "s/^/[$n] qemu-dm: /" && rm -f "$f"
	done
	msg=$(tr -d '\r' </tmp/xl-$n.out | tr '\t' ' ' | grep -i -m1 -E 'error|fail|cannot|unable')
	[ -n "$msg" ] || msg=$(tr -d '\r' </tmp/xl-$n.out | tr '\t' ' ' | grep -v '^ *$' | tail -1)
	echo "LAB-RESULT name=$n create_rc=$rc guest_type=$(gval "$log" guest_type) cpus=$(gval "$log" ncpus) memkb=$(gval "$log" memtotal_kb) log_errors=$(gval "$log" log_errors) kernel=$(gval "$log" kernel) marker=$marker markers=$(grep -c LAB-GUEST-DONE "$log" 2>/dev/null) panic=$panic timeout=$to secs=$(secs $t0 $t1) leftover=$left gone=$gone disk_sha=$dsha domid=$domids shutdown=$why preserved=$preserved xl_msg=$(echo "$msg" | cut -c1-200)"
}

# a for loop, not "while read": nothing a guest run does may eat the list from stdin
for g in $(cat /lab/guests 2>/dev/null); do run_guest "$g"; done
echo "LAB dom0 balloon current_kb=$(bal) (after the guests)"
echo "LAB-DOM0-DONE uptime=$(up)"
poweroff -f
