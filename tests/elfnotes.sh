#!/bin/bash
# tests/elfnotes.sh: the Xen ELF notes of a vmlinux (readelf -n) must match its
# CONFIG_XEN_PVH.  Prints TAP; exits 1 if a check failed.
#
# usage: tests/elfnotes.sh
#            the kernels of this clone: $BUILD/linux/obj (make kernel) and
#            $BUILD/linux/obj-n (series-check's PVH=n build), each judged by its
#            own .config; then a negative check: Debian's 6.12 vmlinux (lab/fetch.sh,
#            extracted once into the lab cache), which has PHYS32_ENTRY, must fail
#            when claimed to be an n build
#        tests/elfnotes.sh --expect y|n|entry [--map SYSTEM.MAP] [--entry SYMBOL] VMLINUX
#            one kernel, claimed to be such a build (System.map default: beside
#            VMLINUX; entry symbol default: pvh_entry)
#
# y, CONFIG_XEN_PVH=y:
#   PHYS32_ENTRY (0x12) present, its value the physical address of pvh_entry
#   (System.map address - 0xffffffff80000000), inside a PT_LOAD's physical range;
#   FEATURES (0xa) starts with "!writable_page_tables" and names
#   writable_descriptor_tables, auto_translated_physmap and supervisor_mode_kernel
#   (optional, no "!": a PV loader must still take the kernel);
#   SUPPORTED_FEATURES (0x11) has bit 8, hvm_callback_vector.
# n, neither CONFIG_XEN_PVH nor CONFIG_PVH:
#   no PHYS32_ENTRY (0x12) or PHYS32_RELOC (0x13); FEATURES exactly
#   "!writable_page_tables"; bit 8 of SUPPORTED_FEATURES clear.
# entry, CONFIG_PVH=y without CONFIG_XEN_PVH (the generic entry alone, as QEMU boots it):
#   the PHYS32_ENTRY checks of y, the FEATURES and bit 8 checks of n.
# A vmlinux that is not there is a SKIP that says why.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"

. "$TOP/tests/tap.sh"

# xen_notes VMLINUX: the Xen notes as "TYPE BYTE BYTE ..." lines (TYPE decimal, bytes hex).
# readelf names a few generic note types instead of numbering them; those are mapped back,
# and any other name is an error, so a note can never be missed by being named.
xen_notes() {
	readelf -n "$1" | awk '
	/^  [^ ]/ {
		x = ($1 == "Xen"); if (!x) next
		if (match($0, /Unknown note type: \(0x[0-9a-fA-F]+\)/)) {
			h = substr($0, RSTART + 20, RLENGTH - 21); t = 0
			for (i = 3; i <= length(h); i++) t = t * 16 + index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
		} else if ($0 ~ /NT_VERSION/) t = 1
		else if ($0 ~ /NT_ARCH/) t = 2
		else if ($0 ~ /GO BUILDID/) t = 4
		else { print "ERROR unknown Xen note name: " $0; exit 1 }
		next
	}
	x && /description data:/ { sub(/.*description data: */, ""); print t, $0; x = 0 }'
}
note() { awk -v t="$1" '$1 == t { $1 = ""; sub(/^ /, ""); print }' <<<"$notes"; }	# note TYPE: bytes
count() { awk -v t="$1" '$1 == t' <<<"$notes" | wc -l; }
str() { # str BYTES: the bytes as text, trailing NULs dropped
	local b s=''
	for b in $1; do [ "$b" = 00 ] || s+=$(printf '%b' "\\x$b"); done
	printf '%s' "$s"
}
num() { # num BYTES: little-endian value, as 0x...
	local b h=''
	for b in $1; do h=$b$h; done
	echo "0x${h:-0}"
}

# entry_checks VMLINUX MAP SYMBOL LABEL: PHYS32_ENTRY is there and points at SYMBOL
entry_checks() {
	local vml=$1 map=$2 sym=$3 l=$4 e v a t lo sz ok=1
	e=$(note 18)
	[ "$(count 18)" = 1 ] && { [ "$(wc -w <<<"$e")" = 4 ] || [ "$(wc -w <<<"$e")" = 8 ]; }
	tap $? "$l: one PHYS32_ENTRY note (0x12), 4 or 8 bytes" "0x12: ${e:-missing}"
	v=$(num "$e")
	if [ ! -f "$map" ]; then
		skip "$l: PHYS32_ENTRY is the physical address of $sym" "no System.map"
	else
		a=$(awk -v s="$sym" '$3 == s { print "0x" $1; exit }' "$map")
		if [ -z "$a" ]; then
			tap 1 "$l: PHYS32_ENTRY is the physical address of $sym" "no $sym in $map"
		else
			[ -n "$e" ] && [ $((v)) = $((a - 0xffffffff80000000)) ]
			tap $? "$l: PHYS32_ENTRY $v is $sym's physical address" \
				"$sym at $a: physical $(printf '0x%x' $((a - 0xffffffff80000000)))"
		fi
	fi
	while read -r t lo sz; do
		[ "$t" = LOAD ] && [ $((v)) -ge $((lo)) ] && [ $((v)) -lt $((lo + sz)) ] && ok=0
	done < <(readelf -lW "$vml" | awk '$1 == "LOAD" { print "LOAD", $4, $6 }')
	tap $ok "$l: PHYS32_ENTRY $v lies in a PT_LOAD segment's physical range"
}

# check VMLINUX y|entry|n MAP SYMBOL LABEL: TAP lines for one kernel
#   y      CONFIG_XEN_PVH=y: the entry, and the Xen PVH guest's features
#   entry  CONFIG_PVH=y alone (the generic PVH entry, which QEMU boots through, without
#          the Xen PVH guest): the entry, and the features of a kernel without PVH
#   n      neither: no entry notes, the features of a kernel without PVH
check() {
	local vml=$1 want=$2 map=$3 sym=$4 l=$5 feat sup t
	if ! notes=$(xen_notes "$vml") || grep -q '^ERROR' <<<"$notes"; then
		tap 1 "$l: readelf -n lists its notes" "$(grep '^ERROR' <<<"$notes" || echo "readelf -n failed")"
		return
	fi
	if [ -z "$notes" ]; then tap 1 "$l: has Xen ELF notes" "none"; return; fi
	feat=$(str "$(note 10)")
	sup=$(num "$(note 17)")
	if [ "$want" = n ]; then
		[ "$(count 18)" = 0 ] && [ "$(count 19)" = 0 ]
		tap $? "$l: no PHYS32_ENTRY (0x12) or PHYS32_RELOC (0x13) note" \
			"0x12: $(note 18)" "0x13: $(note 19)"
	else
		entry_checks "$vml" "$map" "$sym" "$l"
	fi
	if [ "$want" = y ]; then
		[[ "$feat" == '!writable_page_tables'* ]]
		tap $? "$l: FEATURES (0xa) still starts with !writable_page_tables" "FEATURES: '$feat'"
		for t in writable_descriptor_tables auto_translated_physmap supervisor_mode_kernel; do
			[[ "|$feat|" == *"|$t|"* ]]
			tap $? "$l: FEATURES names $t (optional)" "FEATURES: '$feat'"
		done
		[ -n "$(note 17)" ] && [ $((sup & 0x100)) != 0 ]
		tap $? "$l: SUPPORTED_FEATURES (0x11) $sup has bit 8, hvm_callback_vector"
	else
		[ "$feat" = '!writable_page_tables' ]
		tap $? "$l: FEATURES (0xa) is exactly !writable_page_tables" "FEATURES: '$feat'"
		[ -n "$(note 17)" ] && [ $((sup & 0x100)) = 0 ]
		tap $? "$l: SUPPORTED_FEATURES (0x11) $sup has bit 8 clear"
	fi
}

need_pkgs binutils
if [ $# -gt 0 ]; then
	want='' map='' sym=pvh_entry
	while [ $# -gt 1 ]; do
		case "$1" in
		--expect) want=$2; shift 2 ;;
		--map) map=$2; shift 2 ;;
		--entry) sym=$2; shift 2 ;;
		*) die "unknown option $1 (see the head of $0)" ;;
		esac
	done
	[ $# = 1 ] && [[ "$want" =~ ^(y|n|entry)$ ]] ||
		die "usage: $0 --expect y|n|entry [--map SYSTEM.MAP] [--entry SYMBOL] VMLINUX"
	[ -f "$1" ] || die "no such file: $1"
	[ -n "$map" ] || map=$(dirname "$1")/System.map
	check "$1" "$want" "$map" "$sym" "${1##*/} (claimed $want)"
else
	for d in "$BUILD/linux/obj" "$BUILD/linux/obj-n"; do
		l=${d#"$BUILD/"}
		if [ ! -f "$d/vmlinux" ]; then
			skip "$l: Xen ELF notes" "no $l/vmlinux (make kernel / make series-check)"
			continue
		fi
		if grep -qx 'CONFIG_XEN_PVH=y' "$d/.config"; then want=y
		elif grep -qx 'CONFIG_PVH=y' "$d/.config"; then want=entry
		else want=n; fi
		case $want in
		y) c="CONFIG_XEN_PVH=y" ;;
		entry) c="CONFIG_PVH=y, no CONFIG_XEN_PVH" ;;
		n) c="no CONFIG_PVH" ;;
		esac
		say "$l/vmlinux: $c ($l/pvh says $(cat "$d/pvh" 2>/dev/null || echo nothing))"
		check "$d/vmlinux" "$want" "$d/System.map" pvh_entry "$l ($c)"
	done
	# the checks must be able to fail: a kernel with PHYS32_ENTRY, claimed to be an n build
	stock=''
	"$TOP/lab/fetch.sh" >/dev/null || say "lab/fetch.sh failed"
	if [ -f "$CACHE/lab/lab.env" ]; then
		. "$CACHE/lab/lab.env"
		stock=$CACHE/lab/vmlinux-$STOCK_KVER
		[ -s "$stock" ] || "$TOP/lab/extract-vmlinux.sh" "$STOCK_KERNEL" "$stock" 2>/dev/null || stock=''
	fi
	if [ -z "$stock" ]; then
		skip "negative: Debian's 6.12 vmlinux fails when claimed PVH=n" "no stock kernel in $CACHE/lab (lab/fetch.sh failed)"
	else
		out=$("$0" --expect n "$stock" 2>&1)
		rc=$?
		[ $rc != 0 ] && grep -q '^not ok .*no PHYS32_ENTRY' <<<"$out"
		tap $? "negative: Debian's ${stock##*/} fails when claimed PVH=n (it has PHYS32_ENTRY)" \
			"rc $rc" "$(grep '^not ok' <<<"$out" | head -3)"
	fi
fi
echo "1..$n"
exit $failed
