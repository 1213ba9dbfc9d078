#!/bin/sh
# lab/guest-init.sh: /init of the lab's guest initramfs (busybox sh). Not run on the host.
#
# Reports what the guest itself sees, on its console (hvc0 under Xen, ttyS0 on bare QEMU):
#   LAB guest_type=... / cpus_online=... / ncpus=... / cpus_possible=... / memtotal_kb=...
#   / kernel=...
# then TAP lines for the expectations and device tests given on the kernel command line
#   lab.expect_type=PV|PVH|HVM|none   lab.expect_cpus=N   lab.expect_mem_kb=MIN-MAX
#   lab.expect_possible=N (CPUs in /sys/devices/system/cpu/possible)
#   lab.disk=DEV:MB[,DEV:MB...]  for each disk: write MB MiB of random data to /dev/DEV, read
#                     them back past the page cache, compare; report the data's sha256 as
#                     "LAB disk_sha256=HASH dev=DEV" (dom0 checks its image against it)
#   lab.net=IP[,IP...]  for the K-th IP: DHCP on ethK, then ping IP (dom0's side of its bridge)
#   lab.selftests=all|PROG,...  run the Xen selftests of /kst (tools/testing/selftests/xen;
#                     only in the image mk-guest-initramfs.sh -s builds), told what to expect by
#                     lab.kst_type= (default lab.expect_type), lab.expect_cpus,
#                     lab.expect_possible, lab.mem_mb=, lab.name=, lab.vcpu_host=1 (dom0
#                     answers xen_vcpu_hotplug), lab.hotplug_rounds=R, lab.hotplug_cpus=N;
#                     every line they print
#                     goes to the console as "KST PROG: LINE" (the prefix keeps their "not ok"
#                     out of the guest's own checks), then "KST-END PROG rc=N", or rc=timeout
#                     when one is still running after $KST_LIMIT s (lab.kst_limit=S; it may be
#                     stuck in the kernel: the guest moves on without it)
#   lab.save_rounds=R the selftests include xen_suspend, which dom0 answers with xl save and
#                     xl restore, R rounds: while it runs, the guest rewrites its disk (lab.disk)
#                     with a second pattern and pings dom0 (lab.net) in the background; after
#                     it, the disk must hold the last pattern written whole ("LAB disk_sha256="
#                     again, for dom0's hash), and dom0 must answer pings again
#   lab.shutdown=reboot|crash|sysrq|wait  end with reboot -f, with PID 1 exiting (a panic),
#                     with a crash through /proc/sysrq-trigger, instead of poweroff -f; or wait
#                     (up to 600 s) for the toolstack to end the guest: xl shutdown makes the
#                     kernel run /sbin/poweroff, which asks init (this script) with SIGUSR2 as
#                     busybox does, and init powers off; xl reboot and xl destroy need nobody
#   lab.expect_clean_log=1  a check: the kernel log has no line of level err or above (what
#                     `dmesg --level=emerg,alert,crit,err` prints). Every guest reports their
#                     count as "LAB log_errors=N" and quotes them as "LAB log_error: LINE"
#   lab.dmesg=1       copy the whole kernel log, up to init, to the console as "LAB-DMESG: LINE"
#                     (with printk.time=1 initcall_debug: bench/boot-steps.sh's input)
# then LAB-GUEST-DONE, then powers off. Every wait is bounded: a missing file is reported as
# "none", a missing device fails its test, and the guest always reaches the marker and poweroff.
# Drivers this kernel has as modules (the stock kernel's xen-blkfront, xen-netfront) are
# loaded from /lib/modules/$(uname -r)/ when the image has them.
# As PID 1 it first starts the CPU hotplug helper (/bin/lab-hotplug, lab/guest-hotplug.sh): what
# a distribution's udev rule does, a CPU that Xen hot-adds (xl vcpu-set) is put online.
# Shell builtins only where possible: under TCG + nested paging every fork costs ~0.2 s.
PATH=/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The kernel announces a hot-added CPU with an "add" uevent; udev's rule SUBSYSTEM=="cpu",
# ACTION=="add" -> online=1 is /bin/lab-hotplug here, run for every uevent by busybox's uevent,
# which reads them from the kernel's netlink socket as udev does (our kernel has no
# CONFIG_UEVENT_HELPER, so no /proc/sys/kernel/hotplug). Not when run as a test on a host.
hotplug=none
if [ $$ = 1 ] && [ -x /bin/lab-hotplug ]; then
	uevent /bin/lab-hotplug </dev/null &
	hotplug="uevent pid $!"
fi

rd() { # rd FILE: first line of FILE in $R, "none" if missing or empty
	R=
	[ -r "$1" ] && read -r R <"$1" 2>/dev/null
	[ -n "$R" ] || R=none
}
rd /proc/uptime; echo "LAB-GUEST-START uptime=${R%% *}"

rd /sys/hypervisor/guest_type; gtype=$R
rd /sys/hypervisor/type; htype=$R
count_cpus() { # count_cpus LIST: how many CPUs a list such as "0-3,5" names, in $C
	C=0
	IFS=,
	for r in $1; do
		case "$r" in
		*-*) C=$((C + ${r#*-} - ${r%-*} + 1)) ;;
		[0-9]*) C=$((C + 1)) ;;
		esac
	done
	unset IFS
}
rd /sys/devices/system/cpu/online; online=$R
count_cpus "$online"; ncpus=$C
rd /sys/devices/system/cpu/possible; possible=$R
count_cpus "$possible"; npossible=$C
mem=none
while read -r k v rest; do
	[ "$k" = MemTotal: ] && { mem=$v; break; }
done </proc/meminfo
rd /proc/sys/kernel/osrelease; kver=$R
rd /proc/cmdline; cmdline=$R
want_type='' want_cpus='' want_possible='' want_mem='' disk='' net='' kst='' kst_type='' mem_mb=''
gname='' vcpu_host='' hp_rounds='' hp_cpus='' kst_limit='' shutdown='' save_rounds=''
want_clean='' dump_dmesg=''
for w in $cmdline; do
	case "$w" in
	lab.expect_type=*) want_type=${w#*=} ;;
	lab.expect_cpus=*) want_cpus=${w#*=} ;;
	lab.expect_possible=*) want_possible=${w#*=} ;;
	lab.expect_mem_kb=*) want_mem=${w#*=} ;;
	lab.disk=*) disk=${w#*=} ;;
	lab.net=*) net=${w#*=} ;;
	lab.selftests=*) kst=${w#*=} ;;
	lab.kst_type=*) kst_type=${w#*=} ;;
	lab.mem_mb=*) mem_mb=${w#*=} ;;
	lab.name=*) gname=${w#*=} ;;
	lab.vcpu_host=*) vcpu_host=${w#*=} ;;
	lab.hotplug_rounds=*) hp_rounds=${w#*=} ;;
	lab.hotplug_cpus=*) hp_cpus=${w#*=} ;;
	lab.shutdown=*) shutdown=${w#*=} ;;
	lab.kst_limit=*) kst_limit=${w#*=} ;;
	lab.save_rounds=*) save_rounds=${w#*=} ;;
	lab.expect_clean_log=*) want_clean=${w#*=} ;;
	lab.dmesg=*) dump_dmesg=${w#*=} ;;
	esac
done

echo "LAB guest_type=$gtype"
echo "LAB hypervisor=$htype"
echo "LAB cpus_online=$online"
echo "LAB ncpus=$ncpus"
echo "LAB cpus_possible=$possible"
echo "LAB hotplug_helper=$hotplug"
echo "LAB memtotal_kb=$mem"
echo "LAB kernel=$kver"
# how the kernel says it booted: the PVH entry path names itself here, and how its secondary
# CPUs start ("Xen PVH: secondary CPUs start through ..."; KERN_INFO, below loglevel=6);
# how many CPUs it allows and brought up; how much of its RAM the kernel keeps for itself
dmesg 2>/dev/null | grep -E 'Booting (paravirtualized )?kernel|Hypervisor detected|Xen PVH: |smpboot: Allowing|smp: Bringing up|smp: Brought up|Memory: [0-9]+K/' |
	while read -r l; do echo "LAB dmesg: $l"; done
# the kernel's own error lines: a record's level is its <N> prefix modulo 8 (N carries the
# facility too); 0-3 are emerg, alert, crit and err, what dmesg --level=emerg,alert,crit,err
# shows (busybox's dmesg has no --level); lab.dmesg copies each line too, in the same pass
log_errors=0
dmesg -r 2>/dev/null >/tmp/dmesg.raw
while read -r l; do
	[ "$dump_dmesg" = 1 ] && echo "LAB-DMESG: ${l#<*>}"
	case "$l" in
	'<'[0-9]*'>'*) lv=${l#<}; lv=${lv%%>*} ;;
	*) continue ;;
	esac
	case "$lv" in *[!0-9]*) continue ;; esac
	[ $((lv % 8)) -le 3 ] || continue
	log_errors=$((log_errors + 1))
	echo "LAB log_error: ${l#*>}"
done </tmp/dmesg.raw
echo "LAB log_errors=$log_errors"

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
if [ -n "$want_possible" ]; then
	[ "$npossible" = "$want_possible" ]; tap $? "cpus possible $npossible ($possible), expected $want_possible"
fi
if [ "$want_clean" = 1 ]; then
	[ "$log_errors" = 0 ]; tap $? "kernel log: $log_errors lines of level err or above, expected none"
fi
if [ -n "$want_mem" ]; then
	lo=${want_mem%-*} hi=${want_mem#*-}
	[ "$mem" != none ] && [ "$mem" -ge "$lo" ] && [ "$mem" -le "$hi" ]
	tap $? "MemTotal $mem kB, expected $lo-$hi kB"
fi

kmod() { # kmod NAME: insmod NAME.ko of this kernel if the image has it (else it is built in)
	[ -f "/lib/modules/$kver/$1.ko" ] || return 0
	insmod "/lib/modules/$kver/$1.ko" 2>&1 | while read -r l; do echo "LAB insmod $1: $l"; done
}
now() { # now: uptime in 1/100 s in $T
	rd /proc/uptime; T=${R%% *}; T=${T%.*}${T#*.}
	while [ "${T#0}" != "$T" ] && [ ${#T} -gt 1 ]; do T=${T#0}; done	# no octal
}
took() { # took T0: "N.NN s" since now() gave T0, in $D
	now; D=$((T - $1)); D="$((D / 100)).$((D / 10 % 10))$((D % 10)) s"
}
waitfor() { # waitfor PATH SECONDS: 0 once PATH exists, 1 if it did not within SECONDS
	i=0
	while [ ! -e "$1" ]; do
		[ $i -ge $(($2 * 5)) ] && return 1
		sleep 0.2
		i=$((i + 1))
	done
}

# disk_test DEV MB: write MB MiB of random data to /dev/DEV, read them back past the page cache
disk_test() {
	dev=$1 mb=$2
	now; t0=$T
	if ! waitfor "/dev/$dev" 10; then
		tap 1 "$dev: no /dev/$dev after 10 s (xen-blkfront)"
		return
	fi
	rd "/sys/block/$dev/size"; echo "LAB disk=$dev sectors=$R"
	dd if=/dev/urandom of="/tmp/pattern-$dev" bs=64k count=$((mb * 16)) status=none
	# shellcheck disable=SC2046 # split "HASH  FILE" into $1 $2
	set -- $(sha256sum "/tmp/pattern-$dev")
	want=$1
	echo "LAB disk_sha256=$want dev=$dev"
	if dd if="/tmp/pattern-$dev" of="/dev/$dev" bs=64k conv=fsync status=none; then
		# the read-back must come from the backend, not from the page cache
		echo 3 >/proc/sys/vm/drop_caches
		# shellcheck disable=SC2046
		set -- $(dd if="/dev/$dev" bs=64k count=$((mb * 16)) iflag=direct status=none | sha256sum)
		[ "$1" = "$want" ]; st=$?
		took "$t0"
		tap $st "$dev: $mb MiB written (fsync), read back with O_DIRECT: sha256 ${1%"${1#????????????????}"}, wrote ${want%"${want#????????????????}"} ($D)"
	else
		tap 1 "$dev: writing $mb MiB failed"
	fi
}

# received FILE: ping's summary line in FILE ("3 packets transmitted, 3 packets received,
# ..."), in $RX; "none" if it has none
received() {
	RX=none
	while read -r l; do
		case "$l" in *" packets received"*) RX=$l ;; esac
	done <"$1"
}

# ping_test IP WHAT: ping IP three times, one guest check ("ping dom0 IP WHAT: ...")
ping_test() {
	now; t0=$T
	ping -c 3 -W 5 "$1" >/tmp/ping.out 2>&1
	pst=$?
	received /tmp/ping.out
	took "$t0"; tap $pst "ping dom0 $1$2: $RX ($D)"
}

# net_test IF IP: DHCP on IF, then ping IP (dom0's side of IF's bridge)
net_test() {
	now; t0=$T
	if ! waitfor "/sys/class/net/$1" 10; then
		tap 1 "$1: no $1 after 10 s (xen-netfront)"
		tap 1 "ping dom0 $2: no $1"
		return
	fi
	ip link set "$1" up
	# /etc/udhcpc/default.script sets the address and writes it to /tmp/dhcp-ip-IF
	udhcpc -i "$1" -n -q -t 5 -T 2 2>&1 | while read -r l; do echo "LAB udhcpc $1: $l"; done
	rd "/tmp/dhcp-ip-$1"; addr=$R
	[ "$addr" != none ]; st=$?
	took "$t0"; tap $st "$1 got an address by DHCP: $addr ($D)"
	[ "$1" != eth0 ] || addr0=$addr
	ping_test "$2" "${addr:+ from $addr}"
}

if [ -n "$disk" ]; then
	kmod xen-blkfront
	IFS=,
	for d in $disk; do
		unset IFS
		disk_test "${d%:*}" "${d#*:}"
	done
	unset IFS
fi
addr0=''
if [ -n "$net" ]; then
	kmod xen-netfront
	i=0
	IFS=,
	for ip in $net; do
		unset IFS
		net_test "eth$i" "$ip"
		i=$((i + 1))
	done
	unset IFS
fi

KST_LIMIT=100
[ -z "$kst_limit" ] || KST_LIMIT=$kst_limit
kst_run() { # kst_run PROG: run /kst/PROG, its output prefixed, "KST-END PROG rc=..." after it
	# the reader marks the program's exit status, then the end of its output (EOF comes only
	# once every process holding the pipe is gone: a test child stuck in the kernel keeps it)
	{ "/kst/$1" 2>&1; echo "KST-RC $?"; } | {
		while IFS= read -r l; do
			case "$l" in
			"KST-RC "*) echo "${l#KST-RC }" >"/tmp/kst-$1.rc" ;;
			*) echo "KST $1: $l" ;;
			esac
		done
		: >"/tmp/kst-$1.eof"
	} &
	i=0 grace=0
	while [ ! -e "/tmp/kst-$1.eof" ] && [ $i -lt $((KST_LIMIT * 5)) ]; do
		# exited, but a child it left behind still holds the output: give it 5 s
		if [ -e "/tmp/kst-$1.rc" ]; then grace=$((grace + 1)); [ $grace -le 25 ] || break; fi
		sleep 0.2
		i=$((i + 1))
	done
	if [ -e "/tmp/kst-$1.rc" ]; then read -r R <"/tmp/kst-$1.rc"; echo "KST-END $1 rc=$R"
	else echo "KST-END $1 rc=timeout limit=${KST_LIMIT}s"; fi
}

# bg_start / bg_check: the guest's I/O while xen_suspend has it saved and restored. The writer
# rewrites the disk chunk by chunk, each chunk with fsync, alternating between a second pattern
# and the first one, and finishes the pass it is in when told to stop: the disk then holds the
# pattern it last wrote whole, which is what bg_check reads back (a write lost across the
# restore leaves a chunk of the other one). The pinger pings dom0 every second meanwhile.
bg_start() {
	if [ -n "$disk" ] && [ -e "/dev/$dev" ] && [ -f "/tmp/pattern-$dev" ]; then
		dd if=/dev/urandom of=/tmp/pattern2 bs=64k count=$((mb * 16)) status=none
		{
			p=0
			while [ ! -e /tmp/bg-stop ]; do
				p=$((p + 1)) f=/tmp/pattern2
				[ $((p % 2)) = 1 ] || f=/tmp/pattern-$dev
				c=0
				while [ $c -lt $((mb * 16)) ]; do
					dd if=$f of="/dev/$dev" bs=64k skip=$c seek=$c count=1 conv=fsync,notrunc status=none ||
						echo "LAB bg-writer: chunk $c of pass $p failed"
					c=$((c + 1))
				done
				echo "$p $f" >/tmp/bg-last
			done
			: >/tmp/bg-done
		} &
		echo "LAB bg-writer: rewriting /dev/$dev in 64 KiB chunks with fsync (pid $!)"
	fi
	if [ -n "$addr0" ] && [ "$addr0" != none ]; then
		ping -i 1 "${net%%,*}" >/tmp/bg-ping.out 2>&1 &
		bgping=$!
		echo "LAB bg-ping: pinging ${net%%,*} every second (pid $bgping)"
	fi
}
bg_check() {
	: >/tmp/bg-stop
	[ -z "$bgping" ] || kill -INT "$bgping" 2>/dev/null
	if [ -f /tmp/pattern2 ]; then
		now; t0=$T
		# a pass takes 64 fsynced writes a MiB: wait for the one under way
		waitfor /tmp/bg-done 120
		rd /tmp/bg-last; last=$R
		f=${last#* }
		if [ "$last" = none ] || [ ! -f "$f" ]; then
			tap 1 "$dev after save/restore: the writer finished no pass"
		else
			# shellcheck disable=SC2046
			set -- $(sha256sum "$f"); want=$1
			echo "LAB disk_sha256=$want dev=$dev"
			echo 3 >/proc/sys/vm/drop_caches
			# shellcheck disable=SC2046
			set -- $(dd if="/dev/$dev" bs=64k count=$((mb * 16)) iflag=direct status=none | sha256sum)
			[ "$1" = "$want" ]; st=$?
			took "$t0"
			tap $st "$dev after save/restore: holds pass ${last%% *} of the writer ($f), read back with O_DIRECT: sha256 ${1%"${1#????????????????}"}, wrote ${want%"${want#????????????????}"} ($D)"
		fi
	fi
	if [ -n "$bgping" ]; then
		sleep 1
		received /tmp/bg-ping.out
		echo "LAB bg-ping: $RX"
	fi
	# every NIC is back: dom0 answers on each bridge
	IFS=,
	for ip in $net; do
		unset IFS
		ping_test "$ip" " after save/restore"
	done
	unset IFS
}

bgping=''
[ -z "$save_rounds" ] || bg_start
if [ -n "$kst" ]; then
	rd /proc/uptime; up=${R%% *}; now; t0=$T
	# the stock kernel has these drivers as modules (xenfs needs xen-privcmd); ours, built in
	for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs; do kmod $m; done
	mount -t xenfs xenfs /proc/xen 2>/dev/null
	export XEN_SELFTEST_GUEST_TYPE="${kst_type:-$want_type}" XEN_SELFTEST_NR_CPUS="$want_cpus"
	export XEN_SELFTEST_MAX_CPUS="$want_possible" XEN_SELFTEST_VCPU_HOST="$vcpu_host"
	export XEN_SELFTEST_HOTPLUG_ROUNDS="$hp_rounds" XEN_SELFTEST_HOTPLUG_CPUS="$hp_cpus"
	export XEN_SELFTEST_MEM_MB="$mem_mb" XEN_SELFTEST_NAME="$gname" XEN_SELFTEST_BALLOON=1
	[ -z "$save_rounds" ] || export XEN_SELFTEST_SAVE=1 XEN_SELFTEST_SAVE_ROUNDS="$save_rounds"
	# all: the suite's TEST_GEN_PROGS, in its Makefile's order
	progs=$kst
	[ "$kst" != all ] || { rd /kst/progs; progs=$R; }
	echo "LAB-KST-BEGIN uptime=$up expect_type=$XEN_SELFTEST_GUEST_TYPE progs=$progs"
	IFS=,
	for p in $progs; do
		unset IFS
		[ -n "$p" ] || continue
		if [ -x "/kst/$p" ]; then kst_run "$p"; else echo "KST-END $p rc=missing"; fi
	done
	unset IFS
	took "$t0"; echo "LAB-KST-DONE ($D)"
fi
[ -z "$save_rounds" ] || bg_check
echo "1..$n"
rd /proc/uptime; echo "LAB-GUEST-DONE uptime=${R%% *}"
# let the console drain before the domain dies, or the marker can be lost
sleep 0.2
case "$shutdown" in
reboot)	echo "LAB rebooting"; reboot -f ;;
# PID 1 exiting is a kernel panic ("Attempted to kill init!"), which Xen is told is a crash
crash)	echo "LAB crashing: init exits"; exit 3 ;;
sysrq)	echo "LAB crashing: sysrq c"; echo c >/proc/sysrq-trigger ;;
wait)
	# a shell runs a trap once the command in progress ends: sleep 1 at a time
	trap 'echo "LAB init: SIGUSR2 (poweroff), powering off"; poweroff -f' USR2
	trap 'echo "LAB init: SIGTERM (reboot), rebooting"; reboot -f' TERM
	echo "LAB waiting for the toolstack"
	i=0
	while [ $i -lt 600 ]; do sleep 1; i=$((i + 1)); done
	echo "LAB nobody ended this guest in 600 s" ;;
esac
echo "LAB powering off"
poweroff -f
