#!/bin/bash
# bench/saverestore.sh: xl save and xl restore of our kernel against Debian's stock 6.12 kernel
# as PVH domU, in one lab run: save time, restore time, and the downtime the guest itself saw;
# appends the result to bench/RESULTS.md.
#
# usage: bench/saverestore.sh [-n ROUNDS] [-k BZIMAGE] [-u BZIMAGE] [-o OUTDIR] [-r RESULTS]
#                             [--max-ratio R]
#   -n ROUNDS      save/restore rounds a guest (default 5); a guest of each kernel, stock first,
#                  then upstream's PVH with our config (scripts/build-upstream.sh), then ours
#   -k BZIMAGE     our kernel (default $BUILD/linux/obj/arch/x86/boot/bzImage), copied first
#   -u BZIMAGE     upstream's with our config (default $BUILD/upstream/obj/...), copied
#   -o OUTDIR      the lab/run.sh output directory (default $BUILD/bench/saverestore)
#   -r RESULTS     append the dated section to RESULTS (default bench/RESULTS.md; "-" prints it)
#   --max-ratio R  the target: each of ours' medians at most R times stock's (default 1.05:
#                  "no slower than stock", with 5% for the noise of a TCG lab)
# Each guest (memory=256, vcpus=2, idle but for xen_suspend's clock threads) runs the
# selftest xen_suspend (tools/testing/selftests/xen), which asks dom0 for a save and a restore
# ROUNDS times. Measured, per round:
#   save s       dom0: `xl save NAME FILE` (the guest suspends, its memory goes to /run)
#   restore s    dom0: `xl restore FILE` (a new domain, the guest resumes)
#   downtime ms  the guest: the largest step of CLOCK_MONOTONIC on any of its CPUs
#   away ms      the guest: the same of CLOCK_BOOTTIME, which counts the time it was suspended
# Exit status 0 when the run passed and the target is met, 1 otherwise.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lib.sh"

rounds=5 ours='' upstream='' outdir='' results='' max_ratio=1.05
KERNELS='stock upstream ours'
cmdline="bench/saverestore.sh${*:+ $*}"
usage() { sed -n '6,13s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-n|-k|-u|-o|-r|--max-ratio) [ $# -ge 2 ] || usage ;;
	esac
	case "$1" in
	-n) rounds=$2; shift 2 ;;
	-k) ours=$2; shift 2 ;;
	-u) upstream=$2; shift 2 ;;
	-o) outdir=$2; shift 2 ;;
	-r) results=$2; shift 2 ;;
	--max-ratio) max_ratio=$2; shift 2 ;;
	*) usage ;;
	esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || usage
[[ "$max_ratio" =~ ^[0-9]+(\.[0-9]+)?$ ]] || usage
bench_prepare saverestore
bench_upstream "$tmp/bzImage-upstream"
for k in $KERNELS; do
	echo "$k-save | $k | PVH | type=\"pvh\"; lab.selftests=xen_suspend; lab.kst_pass=xen_suspend; lab.save_rounds=$rounds"
done >"$tmp/saverestore.plan"

say "$rounds save/restore rounds for each of $KERNELS -> $outdir"
ok=ok
(cd "$TOP" && lab/run.sh -o "$outdir" -k ours="$tmp/bzImage" -k upstream="$tmp/bzImage-upstream" \
	"$tmp/saverestore.plan") \
	>"$outdir.tap" 2>"$outdir.err" || ok=FAIL
con=$outdir/console.log
[ -f "$con" ] || die "no console log in $outdir ($outdir.err)"

# rows: KERNEL SEQ SAVE_S RESTORE_S DOWNTIME_MS AWAY_MS, from dom0's and the guest's lines
rows=$tmp/rows
for k in $KERNELS; do
	tr -d '\r' <"$con" | awk -v k=$k '
	index($0, "[" k "-save] dom0: xl save/restore: ") == 1 {
		for (i = 1; i <= NF; i++) { split($i, f, "="); d[f[1]] = f[2] }
		if (d["save_rc"] == 0 && d["restore_rc"] == 0) { sv[d["seq"]] = d["save_s"]; rs[d["seq"]] = d["restore_s"] }
	}
	index($0, "[" k "-save] KST xen_suspend: # XEN-SELFTEST-SAVE ") == 1 {
		for (i = 1; i <= NF; i++) { split($i, f, "="); g[f[1]] = f[2] }
		dt[g["seq"]] = g["downtime_ms"]; aw[g["seq"]] = g["away_ms"]
	}
	END {
		for (s = 1; (s in sv) || (s in dt); s++)
			printf "%s %d %s %s %s %s\n", k, s, (s in sv) ? sv[s] : "-", (s in rs) ? rs[s] : "-",
				(s in dt) ? dt[s] : "-", (s in aw) ? aw[s] : "-"
	}'
done >"$rows"

table="| measured | kernel | rounds | median | min | max | by round |"$'\n'"|---|---|---|---|---|---|---|"
declare -A MED=()
for m in "3 save s" "4 restore s" "5 downtime ms" "6 away ms"; do
	col=${m%% *} what=${m#* }
	for k in $KERNELS; do
		read -r n med min max <<<"$(awk -v k=$k -v c="$col" '$1 == k && $c != "-" { print $c }' "$rows" | stats)"
		MED[$k-$col]=$med
		by=$(awk -v k=$k -v c="$col" '$1 == k { printf "%s%s", s, $c; s = " " }' "$rows")
		table+=$'\n'"| $what | $k | $n | $med | $min | $max | $by |"
	done
done

# the target: ours no slower than stock on save, restore and downtime; upstream's ratios told
verdict='' missed='' upverdict=''
for m in "3 save" "4 restore" "5 downtime"; do
	col=${m%% *} what=${m#* }
	upverdict+="${upverdict:+, }$what $(ratio "${MED[ours-$col]}" "${MED[upstream-$col]}")x"
	a=${MED[ours-$col]} b=${MED[stock-$col]}
	if [ "$a" = - ] || [ "$b" = - ]; then r=-; missed="$missed $what(no data)"
	else
		r=$(ratio "$a" "$b")
		above "$r" "$max_ratio" && missed="$missed $what"
	fi
	verdict+="${verdict:+, }$what ${r}x"
done
if [ -n "$missed" ]; then target="TARGET MISSED (over ${max_ratio}x stock's median):$missed"
else target="target met: every median of ours at most ${max_ratio}x stock's"; fi

head=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
. "$CACHE/lab/lab.env"
section=$(cat <<SECTION

## $(date -u '+%Y-%m-%d %H:%M') UTC: xl save and xl restore on $BASE, ours against upstream and stock, $rounds round(s)

Command: \`$cmdline\` (\`make bench\` runs it without arguments): one lab run, a PVH domU of
each kernel (memory=256, vcpus=2, idle) running the selftest xen_suspend, which asks dom0 for
\`xl save\` and \`xl restore\` $rounds times in a row.

- commit $head; our kernel $ours_sum…; upstream: the base without the series, our config;
  stock $STOCK_KVER; Xen $XEN_VERSION under QEMU TCG
  (2 host CPUs), the save file in dom0's RAM (/run); run: $ok

$table

Ours/stock medians: $verdict; $target. Ours/upstream medians: $upverdict.
SECTION
)
echo "$section" | bench_record
echo "$section" >"$outdir/summary.md"
[ "$results" = - ] || echo "$table"
say "$target"
[ $ok = ok ] && [ -z "$missed" ]
