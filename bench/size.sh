#!/bin/bash
# bench/size.sh [-r RESULTS|-]: what CONFIG_XEN_PVH=y adds to the kernel, for two configurations.
#
# `size` of vmlinux built with CONFIG_XEN_PVH=y against =n, and scripts/bloat-o-meter's
# largest symbols, for configs/domU.config (make kernel's build/linux/obj against
# series-check's obj-n) and for defconfig + xen.config (scripts/build-configs.sh's obj-defxen
# and obj-defxen-n). Init text and data (.init.*, freed after boot) are given apart. Appends
# the section to bench/RESULTS.md (-r - prints it) and ends with one TAP line, not ok if
# domU.config's text grows by more than 8 KiB (issue 13's budget). Builds nothing: it says what to build when a vmlinux
# is missing.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/lib.sh"

results=$TOP/bench/RESULTS.md
while getopts r: o; do
	case $o in
	r) results=$OPTARG ;;
	*) die "usage: bench/size.sh [-r RESULTS|-]" ;;
	esac
done
budget=8192
src=$BUILD/linux/src
need_pkgs binutils python3

# init_bytes VMLINUX: the bytes of its .init.* and .exit.* sections (freed after boot)
init_bytes() {
	local h s=0
	for h in $(objdump -h "$1" | awk '$2 ~ /^\.(init|exit)\./ { print $3 }'); do
		s=$((s + 16#$h))
	done
	echo "$s"
}

# text VMLINUX: its text bytes, as size counts them
text() { size "$1" | awk 'END { print $1 }'; }

# row NAME Y N: one table row
row() {
	local name=$1 y=$2 n=$3 sy sn iy in
	[ -f "$y" ] || die "no $y: build it first (make kernel / scripts/build-configs.sh)"
	[ -f "$n" ] || die "no $n: build it first (make series-check / scripts/build-configs.sh defxen-n)"
	read -r sy[0] sy[1] sy[2] _ < <(size "$y" | tail -1)
	read -r sn[0] sn[1] sn[2] _ < <(size "$n" | tail -1)
	iy=$(init_bytes "$y") in=$(init_bytes "$n")
	printf '| %s | %d | %d | %+d | %+d | %+d | %+d |\n' "$name" "${sn[0]}" "${sy[0]}" \
		"$((sy[0] - sn[0]))" "$((sy[1] - sn[1]))" "$((sy[2] - sn[2]))" "$((iy - in))"
}

obj=$BUILD/linux
for f in "$obj/obj/vmlinux" "$obj/obj-n/vmlinux"; do
	[ -f "$f" ] || die "no $f: make kernel and make series-check build it"
done
domu=$(( $(text "$obj/obj/vmlinux") - $(text "$obj/obj-n/vmlinux") ))
rev=$(git -C "$TOP" rev-parse --short HEAD)
{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M') UTC: size, CONFIG_XEN_PVH=y over =n"
	echo
	echo "\`bench/size.sh\` at commit $rev: \`size vmlinux\` (bytes; text includes rodata, and"
	echo "init text and data, which are freed after boot and also shown alone)."
	echo
	echo "bss: where both builds end .bss at the same 2 MiB boundary (domU.config does: .brk starts at"
	echo "0xffffffff81c00000 in both), its change is padding giving way to what text and data grew,"
	echo "not memory saved."
	echo
	echo "| configuration | text, =n | text, =y | text added | data added | bss added | of which init |"
	echo "|---|---|---|---|---|---|---|"
	row "configs/domU.config" "$obj/obj/vmlinux" "$obj/obj-n/vmlinux"
	if [ -f "$obj/obj-defxen/vmlinux" ] && [ -f "$obj/obj-defxen-n/vmlinux" ]; then
		row "defconfig + xen.config" "$obj/obj-defxen/vmlinux" "$obj/obj-defxen-n/vmlinux"
	else
		echo "| defconfig + xen.config | not built (scripts/build-configs.sh defxen defxen-n) | | | | | |"
	fi
	echo
	echo "scripts/bloat-o-meter, configs/domU.config, the 15 largest changes:"
	echo
	echo '```'
	"$src/scripts/bloat-o-meter" "$obj/obj-n/vmlinux" "$obj/obj/vmlinux" | sed -n 1,17p
	echo '```'
	if [ -f "$obj/obj-defxen/vmlinux" ] && [ -f "$obj/obj-defxen-n/vmlinux" ]; then
		echo
		echo "defconfig + xen.config:"
		echo
		echo '```'
		"$src/scripts/bloat-o-meter" "$obj/obj-defxen-n/vmlinux" "$obj/obj-defxen/vmlinux" | sed -n 1,17p
		echo '```'
	fi
	echo
	if [ "$domu" -gt "$budget" ]; then
		echo "configs/domU.config: $domu bytes of text added, over the budget of $budget."
	else
		echo "configs/domU.config: $domu bytes of text added, within the budget of $budget."
	fi
} | tee /dev/stderr | bench_record
if [ "$domu" -le "$budget" ]; then
	echo "ok 1 - CONFIG_XEN_PVH=y adds $domu bytes of text to configs/domU.config (at most $budget)"
else
	echo "not ok 1 - CONFIG_XEN_PVH=y adds $domu bytes of text to configs/domU.config (over $budget)"
	exit 1
fi
