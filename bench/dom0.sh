#!/bin/bash
# bench/dom0.sh: our kernel against Debian's stock 6.12 kernel as PVH dom0, in one bench run:
# how long dom0 takes to be ready, and how long it takes to start a guest; appends the result
# to bench/RESULTS.md.
#
# usage: bench/dom0.sh [-n ROUNDS] [-k BZIMAGE] [-o OUTDIR] [-r RESULTS]
#   -n ROUNDS   rounds (default 3); a round is one lab run with each dom0 kernel, the order
#               alternating from round to round (stock ours | ours stock | ...)
#   -k BZIMAGE  our kernel (default $BUILD/linux/obj/arch/x86/boot/bzImage), copied first
#   -o OUTDIR   default $BUILD/bench/dom0: one lab/run.sh output directory per run
#   -r RESULTS  append the dated section to RESULTS (default bench/RESULTS.md; "-" prints it)
# Each run: Xen dom0=pvh (q35, QEMU's Intel IOMMU), then from that dom0 a PVH domU of ours
# and one of stock (memory=256, vcpus=2, no devices).  Measured:
#   dom0 ready   seconds from QEMU's start (Xen boots first) to dom0's LAB-DOM0-READY, i.e.
#                its toolstack answered `xl info`; and dom0's own uptime at that point
#   domU create  dom0's seconds from `xl create` to the guest's marker, per guest kernel
# Exit status 0 when every run passed, 1 otherwise; no threshold (nothing to hold it to yet).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lib.sh"

rounds=3 ours='' outdir='' results=''
cmdline="bench/dom0.sh${*:+ $*}"
usage() { sed -n '6,12s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-n|-k|-o|-r) [ $# -ge 2 ] || usage ;;
	esac
	case "$1" in
	-n) rounds=$2; shift 2 ;;
	-k) ours=$2; shift 2 ;;
	-o) outdir=$2; shift 2 ;;
	-r) results=$2; shift 2 ;;
	*) usage ;;
	esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || usage
bench_prepare dom0
printf '%s\n' 'ours-pvh  | ours  | PVH | type="pvh"' 'stock-pvh | stock | PVH | type="pvh"' >"$tmp/dom0-bench.plan"

rows=$tmp/rows	# round dom0 ready_s uptime_s ours_create_s stock_create_s ok
: >"$rows"
fail=''
for r in $(seq 1 "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order='stock ours'; else order='ours stock'; fi
	for d in $order; do
		k=$tmp/bzImage; [ "$d" = stock ] && k=stock
		o=$outdir/$d-r$r
		say "round $r: $d as PVH dom0 -> $o"
		ok=ok
		(cd "$TOP" && lab/run.sh -o "$o" --dom0 pvh --dom0-kernel "$k" --expect-dom0 PVH \
			-k ours="$tmp/bzImage" "$tmp/dom0-bench.plan") >"$o.tap" 2>"$o.err" || ok=FAIL
		[ $ok = ok ] || fail="${fail:+$fail, }$d round $r ($o.tap)"
		ready=$(awk '$1 == "LAB-DOM0-READY" { print $2 }' "$o/timing.txt")
		up=$(grep -a -m1 -o 'LAB-DOM0-READY uptime=[0-9.]*' "$o/console.log" | cut -d= -f2)
		c() { grep -a -m1 -o "LAB-RESULT name=$1 .*" "$o/console.log" | sed -n 's/.* secs=\([0-9.]*\).*/\1/p'; }
		echo "$r $d ${ready:--} ${up:--} $(c ours-pvh | grep . || echo -) $(c stock-pvh | grep . || echo -) $ok" >>"$rows"
	done
done

# stat DOM0 COLUMN: "median min max" over the rounds that measured it
stat() {
	awk -v d="$1" -v c="$2" '$2 == d && $c != "-" { v[++n] = $c + 0 }
	END {
		if (!n) { print "- - -"; exit }
		for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
		printf "%.1f %.1f %.1f\n", (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, v[1], v[n]
	}' "$rows"
}
table="| measured | PVH dom0 | median s | min s | max s | by round |"$'\n'"|---|---|---|---|---|---|"
for m in "3 QEMU start to dom0 ready" "4 dom0 uptime when ready" "5 domU create, ours (PVH)" \
	"6 domU create, stock (PVH)"; do
	col=${m%% *} what=${m#* }
	for d in ours stock; do
		read -r med min max <<<"$(stat $d "$col")"
		by=$(awk -v d=$d -v c="$col" '$2 == d { printf "%s%s", s, $c; s = " " }' "$rows")
		table+=$'\n'"| $what | $d | $med | $min | $max | $by |"
	done
done

head=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
. "$CACHE/lab/lab.env"
section=$(cat <<EOF

## $(date -u '+%Y-%m-%d %H:%M') UTC: PVH dom0, ours against stock, $rounds round(s)

Command: \`$cmdline\` (\`make bench\` runs it without arguments); each run
\`lab/run.sh --dom0 pvh --dom0-kernel OURS|stock --expect-dom0 PVH\` with a PVH domU of each
kernel (memory=256, vcpus=2).

- commit $head; our kernel $ours_sum…; stock $STOCK_KVER; Xen $XEN_VERSION under QEMU TCG
  (q35, Intel IOMMU, 2 host CPUs), dom0_mem=1024M, 1 dom0 vCPU

$table
${fail:+
Runs that failed (their numbers may be missing): $fail}
EOF
)
echo "$section" | bench_record
echo "$section" >"$outdir/summary.md"
[ "$results" = - ] || echo "$table"
[ -z "$fail" ]
