#!/bin/bash
# lab/repro-rdtsc.sh: the lab's triple-fault reproducer (lab/README.md, "Triple faults and
# Xen's RDTSC emulation"). Boots 8-vCPU PVH guests of the stock kernel and of ours, with
# Xen emulating RDTSC (tsc_mode="default": QEMU's qemu64 CPU has no invariant TSC, so Xen
# traps every RDTSC) and without (tsc_mode="native", the lab's base config), arms
# interleaved, in ONE lab run, and counts the guests Xen killed with a triple fault. The
# guests' vCPUs float over both physical CPUs (cpus="all", not the lab's pinning), as when
# the numbers in lab/README.md were measured.
# Not a test: it reports what it saw and exits 0 whenever the lab ran.
#
# usage: lab/repro-rdtsc.sh [-n ROUNDS] [-k BZIMAGE] [-o OUTDIR] [-a ARGS]
#   -n ROUNDS   rounds of four guests: stock and ours, each emulated and native (default 4)
#   -k BZIMAGE  our kernel (default $BUILD/linux/obj/arch/x86/boot/bzImage)
#   -o OUTDIR   default $BUILD/lab/repro-rdtsc: the plan, lab/run.sh's logs and summary.txt
#   -a ARGS     more command line for our kernel (e.g. xen_pvh_cpu_start=native)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

rounds=4 ours='' outdir='' oargs=''
usage() { sed -n '11,15s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-n|-k|-o|-a) [ $# -ge 2 ] || usage ;;
	esac
	case "$1" in
	-n) rounds=$2; shift 2 ;;
	-k) ours=$2; shift 2 ;;
	-o) outdir=$2; shift 2 ;;
	-a) oargs=$2; shift 2 ;;
	*) usage ;;
	esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { say "-n wants a number, not '$rounds'"; usage; }
ours=${ours:-$BUILD/linux/obj/arch/x86/boot/bzImage}
outdir=${outdir:-$BUILD/lab/repro-rdtsc}
[ -f "$ours" ] || die "no kernel at $ours (make kernel)"
mkdir -p "$outdir"

say "writing $outdir/repro-rdtsc.plan: $rounds round(s) of stock/ours x emulated/native RDTSC"
plan=$outdir/repro-rdtsc.plan
: >"$plan"
for r in $(seq "$rounds"); do
	for k in stock ours; do
		for m in default native; do
			a=
			[ $k = stock ] || [ -z "$oargs" ] || a="; lab.args=$oargs"
			echo "$k-$m-$r | $k | PVH | type=\"pvh\"; tsc_mode=\"$m\"; cpus=\"all\"; vcpus=8; maxvcpus=8$a"
		done
	done >>"$plan"
done

say "running the lab (lab/run.sh; its verdicts do not matter here)"
"$HERE/run.sh" -o "$outdir" -k ours="$ours" "$plan" || true

say "counting triple faults per arm"
log=$outdir/console.log
res=$outdir/results.txt
[ -s "$res" ] || die "the lab wrote no $res"
{
	printf '%-16s %6s %14s %s\n' arm boots "triple faults" "(vCPU: early = vCPU 0 before 10 s)"
	for k in stock ours; do
		for m in default native; do
			boots=0 tf=0 where=
			while read -r line; do
				name=$(sed -n 's/.*name=\([^ ]*\).*/\1/p' <<<"$line")
				case "$name" in "$k-$m-"*) ;; *) continue ;; esac
				boots=$((boots + 1))
				d=$(sed -n 's/.* domid=\([0-9]*\).*/\1/p' <<<"$line")
				s=$(sed -n 's/.* secs=\([0-9.]*\).*/\1/p' <<<"$line")
				v=$(grep -o "(XEN) d${d}v[0-9]* Triple fault" "$log" | head -1 |
					sed 's/.*v\([0-9]*\) .*/\1/') || true
				[ -n "$v" ] || continue
				tf=$((tf + 1))
				if [ "$v" = 0 ] && awk -v s="$s" 'BEGIN { exit !(s < 10) }'; then
					where="$where early"
				else
					where="$where v$v"
				fi
			done < <(grep '^LAB-RESULT ' "$res")
			printf '%-16s %6s %14s %s\n' "$k/$m" "$boots" "$tf" "${where# }"
		done
	done
} | tee "$outdir/summary.txt"
say "summary in $outdir/summary.txt"
