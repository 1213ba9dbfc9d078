#!/bin/bash
# bench/direct-boot.sh: QEMU's direct boot of a vmlinux through its PVH entry, without Xen
# (lab/qemu-direct.sh), for two kernels alternately, N rounds each: the guest's uptime at
# init and QEMU's seconds to the guest's marker; appends the result to bench/RESULTS.md.
#
# usage: bench/direct-boot.sh [-n ROUNDS] [-r RESULTS] [--max-ratio R] BEFORE AFTER
#   BEFORE, AFTER  two ELF vmlinux files (lab/extract-vmlinux.sh makes one of a bzImage),
#                  e.g. a build of an earlier commit and $BUILD/linux/obj/vmlinux
#   -n ROUNDS      rounds (default 5); a round boots BEFORE then AFTER, the next AFTER then
#                  BEFORE, and so on
#   -r RESULTS     append the dated section to RESULTS (default bench/RESULTS.md; "-" prints it)
#   --max-ratio R  target: AFTER's median uptime at most R times BEFORE's (default 1.05:
#                  "not slower", with 5% for the noise of TCG)
# Exit status 0 when every boot reached its marker and the target is met; 1 otherwise.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lib.sh"

rounds=5 results='' max_ratio=1.05
cmdline="bench/direct-boot.sh${*:+ $*}"
usage() { sed -n '6,13s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-n|-r|--max-ratio) [ $# -ge 2 ] || { say "$1 needs an argument"; usage; } ;;
	esac
	case "$1" in
	-n) rounds=$2; shift 2 ;;
	-r) results=$2; shift 2 ;;
	--max-ratio) max_ratio=$2; shift 2 ;;
	-h|--help) usage ;;
	-*) say "unknown argument $1"; usage ;;
	*) break ;;
	esac
done
[ $# = 2 ] || usage
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { say "-n wants a number of rounds, not '$rounds'"; usage; }
[[ "$max_ratio" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { say "--max-ratio wants a number, not '$max_ratio'"; usage; }
results=${results:-$TOP/bench/RESULTS.md}
out=$BUILD/bench/direct-boot
mkdir -p "$out"
tmp=$(mktemp -d /tmp/direct-boot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# private copies: a rebuild during the run does not change what is measured
cp "$1" "$tmp/before"; cp "$2" "$tmp/after"
sums="before $(sha256sum <"$1" | cut -c1-16)… ($1), after $(sha256sum <"$2" | cut -c1-16)… ($2)"

fail=''
: >"$out/boots.txt"
for r in $(seq 1 "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order='before after'; else order='after before'; fi
	for k in $order; do
		log=$out/$k-r$r.log
		say "round $r: $k"
		if tap=$("$TOP/lab/qemu-direct.sh" "$tmp/$k" "$log"); then :; else fail="${fail:+$fail; }$k round $r: ${tap#not ok 1 - }"; fi
		up=$(sed -n 's/^LAB-GUEST-START uptime=//p' "$log" | head -1)
		secs=$(sed -n 's/.*LAB-GUEST-DONE (\([0-9.]*\) s,.*/\1/p' <<<"$tap")
		echo "$k $r ${up:--} ${secs:--}" >>"$out/boots.txt"
	done
done

col() { awk -v k="$1" -v f="$2" '$1 == k && $f != "-" { print $f }' "$out/boots.txt"; }
table="| kernel | uptime at init: median | min | max | QEMU to marker: median | min | max |"
table+=$'\n'"|---|---|---|---|---|---|---|"
declare -A MED=()
for k in before after; do
	read -r _ umed umin umax <<<"$(col $k 3 | stats)"
	read -r _ smed smin smax <<<"$(col $k 4 | stats)"
	MED[$k]=$umed
	table+=$'\n'"| $k | $umed | $umin | $umax | $smed | $smin | $smax |"
done
ratio=$(ratio "${MED[after]}" "${MED[before]}")
if [ "$ratio" != - ] && above "$ratio" "$max_ratio"; then
	fail="${fail:+$fail; }TARGET: after's median uptime is ${ratio}x before's, more than ${max_ratio}x"
fi
{
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): QEMU direct boot (no Xen), $rounds round(s)"
	echo
	echo "Command: \`$cmdline\`; commit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown);"
	echo "$sums. QEMU TCG, \`-cpu max -smp 2 -m 512\`, the lab's guest initramfs (lab/qemu-direct.sh)."
	echo
	printf '%s\n' "$table"
	echo
	echo "After / before, median uptime at init: ${ratio}x (target ${max_ratio}x)."
	[ -z "$fail" ] || { echo; echo "Benchmark failed: $fail."; }
	echo
} >"$out/summary.md"
cat "$out/summary.md" >&2
bench_record <"$out/summary.md"
[ -z "$fail" ] || { say "FAILED: $fail"; exit 1; }
say "ok: after is within ${max_ratio}x of before"
