#!/bin/bash
# bench/size.sh [-r RESULTS|-]: what CONFIG_XEN_PVH=y adds to the kernel, for two configurations.
#
# `size` of vmlinux built with CONFIG_XEN_PVH=y against =n, the code added (the sizes of the
# symbols in executable sections, what scripts/bloat-o-meter -c totals) and bloat-o-meter's
# largest symbols, for configs/domU.config (make kernel's build/linux/obj against
# series-check's obj-n) and for defconfig + xen.config (scripts/build-configs.sh's obj-defxen
# and obj-defxen-n). Init text and data (.init.*, freed after boot) are given apart. Appends
# the section to bench/RESULTS.md (-r - prints it) and ends with one TAP line, not ok if
# domU.config's code grows by more than 8 KiB (issue 13's budget). The budget counts symbols,
# not `size`'s text: sections end on page boundaries, so `size` moves in page steps (on 7.3,
# .altinstr_aux takes the padding up to the next page). Builds nothing: it says what to build
# when a vmlinux is missing.
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

# code VMLINUX: "ALL INIT", the bytes of its code symbols (functions and sized asm labels in
# executable sections), and of those in .init.text
code() {
	readelf -sW "$1" | awk '
		NR == FNR { x[$1] = $2; next }
		($4 == "FUNC" || $4 == "NOTYPE") && ($7 in x) {
			all += $3
			if (x[$7] == ".init.text")
				init += $3
		}
		END { print all + 0, init + 0 }' <(exec_sections "$1") -
}

# exec_sections VMLINUX: "INDEX NAME" of each executable section
exec_sections() {
	readelf -SW "$1" | sed 's/\[ */[/' |
		awk '$1 ~ /^\[[0-9]+\]$/ && $8 ~ /X/ { gsub(/[][]/, "", $1); print $1, $2 }'
}

# code_added Y N: "ALL INIT", the code bytes Y adds over N
code_added() {
	local cy cn
	read -r -a cy < <(code "$1")
	read -r -a cn < <(code "$2")
	echo "$((cy[0] - cn[0])) $((cy[1] - cn[1]))"
}

# row NAME Y N: one table row
row() {
	local name=$1 y=$2 n=$3 sy sn iy in c
	[ -f "$y" ] || die "no $y: build it first (make kernel / scripts/build-configs.sh)"
	[ -f "$n" ] || die "no $n: build it first (make series-check / scripts/build-configs.sh defxen-n)"
	read -r sy[0] sy[1] sy[2] _ < <(size "$y" | tail -1)
	read -r sn[0] sn[1] sn[2] _ < <(size "$n" | tail -1)
	iy=$(init_bytes "$y") in=$(init_bytes "$n")
	read -r -a c < <(code_added "$y" "$n")
	printf '| %s | %+d | %+d | %+d | %+d | %+d | %+d | %+d |\n' "$name" "${c[0]}" "${c[1]}" \
		"$((sy[0] - sn[0]))" "$((sy[1] - sn[1]))" "$((sy[2] - sn[2]))" "$((iy - in))" \
		"$((sy[0] - sn[0] - c[0]))"
}

obj=$BUILD/linux
for f in "$obj/obj/vmlinux" "$obj/obj-n/vmlinux"; do
	[ -f "$f" ] || die "no $f: make kernel and make series-check build it"
done
read -r domu domu_init < <(code_added "$obj/obj/vmlinux" "$obj/obj-n/vmlinux")
rev=$(git -C "$TOP" rev-parse --short HEAD)
{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M') UTC: size, CONFIG_XEN_PVH=y over =n"
	echo
	echo "\`bench/size.sh\` at commit $rev, in bytes. Code: the sizes of the symbols in executable"
	echo "sections (what \`scripts/bloat-o-meter -c\` totals), and of those in .init.text, freed after"
	echo "boot. Then \`size vmlinux\`: its text also counts each section's padding to the next"
	echo "page, so it moves in page steps; the last column is that padding and the unsized"
	echo "bytes (notes, alternatives tables). Init: every .init.* and .exit.* section."
	echo
	echo "bss: where both builds end .bss at the same 2 MiB boundary (domU.config does: .brk starts at"
	echo "0xffffffff81c00000 in both), its change is padding giving way to what text and data grew,"
	echo "not memory saved."
	echo
	echo "| configuration | code added | of which init | size: text | data | bss | init sections | text beyond code |"
	echo "|---|---|---|---|---|---|---|---|"
	row "configs/domU.config" "$obj/obj/vmlinux" "$obj/obj-n/vmlinux"
	if [ -f "$obj/obj-defxen/vmlinux" ] && [ -f "$obj/obj-defxen-n/vmlinux" ]; then
		row "defconfig + xen.config" "$obj/obj-defxen/vmlinux" "$obj/obj-defxen-n/vmlinux"
	else
		echo "| defconfig + xen.config | not built (scripts/build-configs.sh defxen defxen-n) | | | | | | |"
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
		echo "configs/domU.config: $domu bytes of code added ($domu_init of them init), over the budget of $budget."
	else
		echo "configs/domU.config: $domu bytes of code added ($domu_init of them init), within the budget of $budget."
	fi
} | tee /dev/stderr | bench_record
if [ "$domu" -le "$budget" ]; then
	echo "ok 1 - CONFIG_XEN_PVH=y adds $domu bytes of code to configs/domU.config (at most $budget)"
else
	echo "not ok 1 - CONFIG_XEN_PVH=y adds $domu bytes of code to configs/domU.config (over $budget)"
	exit 1
fi
