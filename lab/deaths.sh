#!/bin/bash
# lab/deaths.sh: the guest deaths under TCG, across the lab's stacks and Xen's settings, with a
# guest that is not Linux beside ours and Debian's (lab/README.md, "Guest deaths under TCG").
#
# For each Xen version and QEMU (by default the Xen's own: XEN=4.17 under the host's QEMU 7.2,
# XEN=4.20 under lab/build-qemu.sh's qemu-fixed; or a QEMU command such as lab/build-qemu.sh's
# other builds or Debian's, $QEMU10_ROOT/usr/bin/qemu-system-x86_64), one lab run of RUNS
# rounds of every kernel x tsc_mode {default, native} x vCPUs {pinned to physical CPU 1,
# unpinned}, interleaved so that a slow spell of the host hits every arm:
#   mini   lab/minipvh with 4 vCPUs for SECS seconds, each vCPU taken down and up every 2 s:
#          RDTSC, a hypercall and a one-shot timer in a loop; it counts every interrupt taken
#          with IF=0 or inside STI's shadow, which x86 never delivers there
#   ours, stock  4 vCPUs running the xen_vcpu_hotplug selftest (every CPU offline and online
#          under load, xl vcpu-set 1 and 4), 5 rounds
# Then one table, OUTDIR/summary.md: per stack, kernel and arm the runs, the deaths (Xen's
# triple fault or domain_crash line for the guest's domain), the runs that hung (no marker
# before the guest limit) and, for mini, the forbidden interrupts it counted.
# Not a test: it reports what it saw and exits 0 whenever every lab run ran.
#
# usage: lab/deaths.sh [-n RUNS] [-x XEN,...] [-q QEMU,...] [-K KERNEL,...] [-A ARM,...]
#                      [-s SECS] [-k BZIMAGE] [-o OUTDIR] [-T]
#   -n RUNS     rounds (default 8)
#   -x XEN,...  Xen versions (default $XEN, the lab's: 4.20)
#   -q QEMU,... "xen" (the Xen's own QEMU, the default) or commands (LAB_QEMU of lab/run.sh)
#   -K ...      kernels, of mini, ours, stock (default all three)
#   -A ARM,...  of default-unpinned (Xen's defaults), default-pinned, native-unpinned,
#               native-pinned (the lab's settings); default all four
#   -s SECS     mini's run time (default 60)
#   -k BZIMAGE  our kernel (default $BUILD/linux/obj/arch/x86/boot/bzImage)
#   -o OUTDIR   default $BUILD/lab/deaths
#   -T          no lab run: the table of the runs already in OUTDIR
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lablib.sh"

runs=8 xens=$XEN qemus=xen kernels=mini,ours,stock secs=60 ours='' outdir=''
arms=default-unpinned,default-pinned,native-unpinned,native-pinned
table_only=0
usage() { sed -n '/^# usage:/,/^# *-T/s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while getopts n:x:q:K:A:s:k:o:Th o; do
	case $o in
	n) runs=$OPTARG ;;
	x) xens=$OPTARG ;;
	q) qemus=$OPTARG ;;
	K) kernels=$OPTARG ;;
	A) arms=$OPTARG ;;
	s) secs=$OPTARG ;;
	k) ours=$OPTARG ;;
	o) outdir=$OPTARG ;;
	T) table_only=1 ;;
	*) usage ;;
	esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "-n wants a number, not '$runs'"
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || die "-s wants seconds, not '$secs'"
ours=${ours:-$BUILD/linux/obj/arch/x86/boot/bzImage}
outdir=${outdir:-$BUILD/lab/deaths}
mini=$TOP/build/minipvh/minipvh
IFS=, read -r -a XENS <<<"$xens"
IFS=, read -r -a KERNELS <<<"$kernels"
IFS=, read -r -a QEMUS <<<"$qemus"
IFS=, read -r -a ARMS <<<"$arms"
for a in "${ARMS[@]}"; do
	case "$a" in
	default-unpinned|default-pinned|native-unpinned|native-pinned) ;;
	*) die "-A: unknown arm '$a'" ;;
	esac
done
for q in "${QEMUS[@]}"; do
	[ "$q" = xen ] || command -v "$q" >/dev/null || die "-q: no QEMU command '$q'"
done
for k in "${KERNELS[@]}"; do
	case "$k" in
	mini) make -s -C "$HERE/minipvh" O="$(dirname "$mini")" >&2 ;;
	ours) [ -f "$ours" ] || die "no kernel at $ours (make kernel)" ;;
	stock) ;;
	*) die "-K: unknown kernel '$k' (mini, ours, stock)" ;;
	esac
done

# guest_line KERNEL ROUND ARM: the plan line of one guest, named KERNEL-ARM-ROUND
guest_line() {
	local k=$1 r=$2 a=$3 cpus=all stress
	[ "${a#*-}" = unpinned ] || cpus=1
	case "$k" in
	mini) stress="lab.args=mini.secs=$secs mini.hotplug=1" ;;
	*) stress="maxvcpus=4; lab.selftests=xen_vcpu_hotplug; lab.hotplug_rounds=5; lab.kst_pass=xen_vcpu_hotplug" ;;
	esac
	echo "$k-$a-$r | $k | PVH | type=\"pvh\"; vcpus=4; tsc_mode=\"${a%-*}\"; cpus=\"$cpus\"; $stress"
}

# count_forbidden LOG NAME WHAT: mini's count of interrupts taken WHAT ("with IF=0", "inside")
count_forbidden() {
	awk -v p="[$2] # cpu" -v w="interrupts taken $3" \
		'index($0, p) == 1 && index($0, w) { n += $4 } END { print n + 0 }' "$1"
}

mkdir -p "$outdir"
sum=$outdir/summary.md
{
	echo "| Xen (QEMU) | kernel | tsc_mode | vCPUs | runs | deaths | hung | IF=0 irqs | in-shadow irqs |"
	echo "|---|---|---|---|---|---|---|---|---|"
} >"$sum"
for xen in "${XENS[@]}"; do
for q in "${QEMUS[@]}"; do
	out=$outdir/xen-$xen-qemu-$(basename "$q")
	lq=; [ "$q" = xen ] || lq=$q
	mkdir -p "$out"
	if [ "$table_only" = 0 ]; then
		plan=$out/deaths.plan
		: >"$plan"
		for r in $(seq "$runs"); do
			for k in "${KERNELS[@]}"; do
				for a in "${ARMS[@]}"; do guest_line "$k" "$r" "$a" >>"$plan"; done
			done
		done
		say "Xen $xen, QEMU $q: $(wc -l <"$plan") guests ($runs rounds) -> $out"
		LAB_QEMU=$lq XEN=$xen "$HERE/run.sh" -o "$out" -g $((secs + 240)) -k ours="$ours" \
			-k mini="$mini" "$plan" >/dev/null || true
	fi
	[ -s "$out/results.txt" ] || die "the Xen $xen lab run wrote no $out/results.txt"
	# what ran, from the run itself: Xen's banner and the QEMU that run.sh started
	xv=$(grep -a -m1 -o '(XEN) Xen version [0-9.]*' "$out/console.log" | awk '{ print $4 }')
	qv=$(bash -c "$(cat "$out/qemu-cmd.txt") --version" </dev/null 2>/dev/null |
		awk '/version/ { print $4; exit }')
	for k in "${KERNELS[@]}"; do
		for a in "${ARMS[@]}"; do
			n=0 dead=0 hung=0 ifoff=0 shadow=0
			for r in $(seq "$runs"); do
				name=$k-$a-$r
				line=$(grep -a "^LAB-RESULT name=$name " "$out/results.txt" || true)
				[ -n "$line" ] || continue
				n=$((n + 1))
				if [ -n "$(xen_crash_line "$out/console.log" "$name" "$(field "$line" domid)")" ]; then
					dead=$((dead + 1))
				elif [ "$(field "$line" marker)" != 1 ]; then
					hung=$((hung + 1))
				fi
				[ "$k" = mini ] || continue
				ifoff=$((ifoff + $(count_forbidden "$out/console.log" "$name" "with IF=0")))
				shadow=$((shadow + $(count_forbidden "$out/console.log" "$name" inside)))
			done
			[ "$k" = mini ] || ifoff=- shadow=-
			echo "| ${xv:-$xen?} (${qv:-?}${lq:+, $(basename "$lq")}) | $k | ${a%-*} | ${a#*-} | $n | $dead | $hung | $ifoff | $shadow |"
		done
	done >>"$sum"
done
done
cat "$sum"
say "table in $sum"
