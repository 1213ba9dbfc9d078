#!/bin/bash
# lab/run.sh: boot Xen + a dom0 under QEMU (TCG) and run a plan's guests; TAP on stdout.
#
# usage: [XEN=4.17|4.20] lab/run.sh [-o OUTDIR] [-t TIMEOUT_S] [-g GUEST_TIMEOUT_S] [-k NAME=PATH]... [--xl PATH]
#                   [--dom0 pv|pvh] [--dom0-kernel PATH [--dom0-moddir DIR]] [--expect-dom0 TYPE]
#                   [-v] PLAN
#   PLAN        a plan file, or NAME for lab/plans/NAME.plan (format: see lab/plans/README)
#   -k NAME=PATH  guest kernel (bzImage) the plan calls NAME; "stock" is Debian's kernel of $BASE
#               (7.3.4 or 6.12, lab/fetch.sh)
#   --xl PATH   use this xl instead of Debian's (also env XL=PATH); it must be built for $XEN
#               (XEN=4.20 xen/build-xl.sh for 4.20)
#   --dom0 pvh  PVH dom0 (q35 + emulated Intel IOMMU, Xen dom0=pvh); default pv
#   --dom0-kernel  dom0 kernel instead of Debian's 6.1: a bzImage with the Xen drivers and backends
#               built in, or with --dom0-moddir DIR the modules under DIR/kernel; "stock" is
#               Debian's kernel of $BASE with its own modules
#   --expect-dom0 TYPE  one more test: dom0 itself reports guest_type TYPE and its toolstack came up
#   -t          hard limit on the whole QEMU run (default 120 + guests * (GUEST_TIMEOUT + 75),
#               plus 240 for each guest with lab.selftests, more with xen_vcpu_hotplug)
#   -g          per-guest limit inside dom0, xl create to marker (default 150; 240 more for a
#               guest with lab.selftests)
#   -v          copy the serial console to stderr as it comes
#   --replay LOG  no QEMU: judge an existing console log against PLAN (tests, re-evaluation)
#   --kst DIR   the Xen selftest binaries for guests with lab.selftests (default: built by
#               scripts/build-selftests.sh when the plan has such a guest)
#   XEN=4.20    (the default) trixie's Xen 4.20 under QEMU 10 with the lab's fixes
#               (lab/build-qemu.sh), with trixie's userland in dom0: toolstack and HVM device
#               model (lab/README.md)
#   XEN=4.17    Debian bookworm's Xen 4.17 under the host's QEMU 7.2
# Writes OUTDIR (default $BUILD/lab/PLANNAME)/console.log, results.txt, results.tap (its TAP
# lines), table.txt, timing.txt,
# and with selftests kst-table.txt (case x guest: stock and ours side by side).
# Exit status 0 only if every guest is ok; a guest of the stock kernel that Xen's console says
# crashed is skipped instead (lab/README.md). Only one lab QEMU runs at a time (flock).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lablib.sh"
LOCK=/tmp/xen-pvh-qemu.lock

outdir='' timeout_s='' gt=150 xl=${XL:-} dom0mode=pv dom0k='' dom0mod='' verbose=0 replay=''
expect_dom0='' kstdir=''
declare -A KERN=()
usage() { sed -n '3,/^# Writes/s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-o|-t|-g|-k|--xl|--dom0|--dom0-kernel|--dom0-moddir|--expect-dom0|--replay|--kst)
		[ $# -ge 2 ] || die "$1 needs an argument" ;;
	esac
	case "$1" in
	-o) outdir=$2; shift 2 ;;
	-t) timeout_s=$2; shift 2 ;;
	-g) gt=$2; shift 2 ;;
	-k) [[ "$2" == ?*=?* ]] || die "-k wants NAME=PATH, not '$2'"
	    KERN[${2%%=*}]=${2#*=}; shift 2 ;;
	--xl) xl=$2; shift 2 ;;
	--dom0) dom0mode=$2; shift 2 ;;
	--dom0-kernel) dom0k=$2; shift 2 ;;
	--dom0-moddir) dom0mod=$2; shift 2 ;;
	--expect-dom0) expect_dom0=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	--replay) replay=$2; shift 2 ;;
	--kst) kstdir=$2; shift 2 ;;
	-h|--help) usage ;;
	-*) die "unknown option $1 (see -h)" ;;
	*) break ;;
	esac
done
[ $# = 1 ] || usage
plan=$1
[ -f "$plan" ] || plan=$HERE/plans/$1.plan
[ -f "$plan" ] || die "no plan '$1' (neither a file nor lab/plans/$1.plan)"
pname=$(basename "$plan" .plan)
# Debian's kernel as dom0: only there to compare with ours, so its crash is skipped (below)
d0stock=0; [ "$dom0k" != stock ] || d0stock=1
outdir=${outdir:-$BUILD/lab/$pname}
case "$dom0mode" in pv|pvh) ;; *) die "--dom0 must be pv or pvh" ;; esac
[[ "$gt" =~ ^[0-9]+$ ]] || die "-g wants seconds"
[[ "${timeout_s:-1}" =~ ^[0-9]+$ ]] || die "-t wants seconds"

t_all=$EPOCHREALTIME
# overlay_libs BIN DEST [DIRS]: copy into DEST the shared libraries BIN needs that the base
# image lacks, those of BIN's own build (DIRS, searched first: a patched libxenlight, say)
# always; a library the loader cannot find ends the run here rather than in dom0.
# Xen 4.17's dom0 has bookworm's glibc, the host's: ldd lists.  Xen 4.20's has trixie's
# (>= 2.38, lab/mk-dom0-initramfs.sh): trixie's loader from the 4.20 tree lists, and every
# library must come from DIRS or that tree, none from the host.
overlay_libs() {
	local bin=$1 dest=$2 dirs=${3:+$3:} libs l d ok xlib=$XEN_ROOT/usr/lib/x86_64-linux-gnu
	if [ "$XEN" = 4.17 ]; then
		libs=$(LD_LIBRARY_PATH=$dirs$xlib ldd "$bin") || die "ldd $bin failed"
	else
		libs=$("$xlib/ld-linux-x86-64.so.2" --library-path "$dirs$xlib" --list "$bin" 2>&1) ||
			libs="$libs"$'\n'"$bin not found by $xlib/ld-linux-x86-64.so.2"
	fi
	grep -q 'not found' <<<"$libs" && die "$bin: unresolved $(grep 'not found' <<<"$libs" | tr -s ' \t' ' ')"
	for l in $(awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$libs"); do
		if [ "$XEN" != 4.17 ]; then
			ok=
			for d in ${dirs//:/ } "$XEN_ROOT"; do [[ "$l" != "$d"/* ]] || ok=1; done
			[ -n "$ok" ] || die "$bin: $l is the host's, not trixie's (lab/fetch.sh lacks its package)"
		fi
		case "$l" in
		"$XEN_ROOT"/*|/lib/*|/usr/lib/*) grep -qxF "${l##*/}" "$base.libs" && continue ;;
		esac
		cp -L "$l" "$dest/"
		say "overlay: adding ${l##*/} from ${l%/*} for ${bin##*/}"
	done
}

el() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
entries=$(plan_parse "$plan") || die "$plan: $(grep PLAN-ERROR <<<"$entries")"
mapfile -t E <<<"$entries"
N=${#E[@]}
kgt=0
for e in "${E[@]}"; do
	IFS='|' read -r name kname expect cfg <<<"$e"
	kgt=$((kgt + $(kst_gt "$cfg")))
done
timeout_s=${timeout_s:-$((120 + N * (gt + 75) + kgt))}

declare -A PREFAIL=()
mkdir -p "$outdir"
if [ -n "$replay" ]; then
	# the log may be OUTDIR's own console.log: take it before OUTDIR is cleaned
	[ -f "$replay" ] || die "--replay $replay: no such file"
	rlog=$(mktemp); cp "$replay" "$rlog"
fi
rm -f "$outdir"/{console.log,results.txt,results.tap,table.txt,timing.txt,kst-table.txt}
con=$outdir/console.log
qrc=0

# boot: fetch, build the images, run QEMU; leaves console.log, timing.txt, $qrc and PREFAIL
boot() {
	need_pkgs qemu-system-x86 util-linux coreutils binutils

	# --- inputs --------------------------------------------------------------------------------
	say "fetching/checking Xen and kernels"
	t=$EPOCHREALTIME
	"$HERE/fetch.sh" >/dev/null
	t_fetch=$(el "$t")
	. "$CACHE/lab/lab.env"
	[ -n "$XEN_VERSION" ] || die "lab/fetch.sh left no Xen $XEN in $CACHE/lab/lab.env"
	# a patched xl links to one Xen's libxenlight (xen/build-xl.sh builds the one of $XEN)
	if [ -n "$xl" ] && ! readelf -d "$xl" 2>/dev/null | grep -qF "[libxenlight.so.$XEN]"; then
		die "--xl $xl does not link to Xen $XEN's libxenlight.so.$XEN (XEN=$XEN xen/build-xl.sh)"
	fi
	[ -n "${KERN[stock]:-}" ] || KERN[stock]=$STOCK_KERNEL

	# guests whose kernel is unknown fail here and are left out of the QEMU run
	run_names=()
	for e in "${E[@]}"; do
		IFS='|' read -r name kname expect cfg <<<"$e"
		if [ -z "${KERN[$kname]:-}" ]; then
			PREFAIL[$name]="kernel '$kname' not given (-k $kname=PATH)"
		elif [ ! -f "${KERN[$kname]}" ]; then
			PREFAIL[$name]="kernel $kname: no such file ${KERN[$kname]}"
		else
			run_names+=("$name")
		fi
	done
	if [ ${#run_names[@]} = 0 ]; then
		say "no guest of the plan has a kernel: not booting"
		: >"$con"; return
	fi

	t=$EPOCHREALTIME
	gimg=$("$HERE/mk-guest-initramfs.sh")
	kimg=''
	for e in "${E[@]}"; do
		IFS='|' read -r name kname expect cfg <<<"$e"
		[ -n "${PREFAIL[$name]:-}" ] || [ -z "$(plan_lab_opt "$cfg" selftests)" ] || { kimg=1; break; }
	done
	if [ -n "$kimg" ]; then
		[ -n "$kstdir" ] || kstdir=$("$TOP/scripts/build-selftests.sh")
		kimg=$("$HERE/mk-guest-initramfs.sh" -s "$kstdir")
	fi
	if [ "$dom0k" = stock ]; then
		dom0k=$STOCK_KERNEL dom0mod=${dom0mod:-$KERNEL_ROOT/lib/modules/$STOCK_KVER}
	fi
	# a dom0 kernel of ours has its modules built in: Debian 6.1's would only fail to load
	[ -z "$dom0k" ] || dom0mod=${dom0mod:-none}
	if [ -n "$dom0mod" ]; then
		base=$("$HERE/mk-dom0-initramfs.sh" -m "$dom0mod" "$CACHE/lab/dom0-base-xen$XEN-$(basename "$dom0mod").cpio.gz")
	else base=$("$HERE/mk-dom0-initramfs.sh"); fi
	t_images=$(el "$t")

	mkdir -p "$CACHE/lab"
	work=$(mktemp -d "$CACHE/lab/run.XXXXXX")
	trap 'rm -rf "$work"' EXIT

	# --- the run's overlay: guest configs, kernels, optional xl; appended to the base image ------
	ov=$work/ov/lab
	mkdir -p "$ov/cfg" "$ov/kernels"
	cp "$gimg" "$ov/guest-initramfs.gz"
	[ -z "$kimg" ] || cp "$kimg" "$ov/guest-initramfs-kst.gz"
	echo "GT=$gt NET_DOM0=$NET_DOM0" >"$ov/settings"
	: >"$ov/guests"
	for e in "${E[@]}"; do
		IFS='|' read -r name kname expect cfg <<<"$e"
		[ -z "${PREFAIL[$name]:-}" ] || continue
		[ -f "$ov/kernels/$kname" ] || cp "${KERN[$kname]}" "$ov/kernels/$kname"
		guest_files "$name" "$kname" "$expect" "$cfg" "$ov/cfg"
		echo "$name" >>"$ov/guests"
	done
	if [ -n "$xl" ]; then
		[ -x "$xl" ] || die "--xl $xl: not an executable"
		mkdir -p "$ov/bin" "$ov/lib"
		cp "$xl" "$ov/bin/xl"
		xdir=$(cd "$(dirname "$xl")" && pwd)
		overlay_libs "$xl" "$ov/lib" "$xdir:$xdir/../lib"
		say "xl: $xl (sha256 $(sha256sum <"$xl" | cut -c1-16))"
	else
		say "xl: stock Debian $XEN_VERSION"
	fi
	# An HVM guest needs its device model in dom0: Debian's qemu-system-xen of $XEN's suite
	# (lab/fetch.sh: DM_ROOT), its libraries beyond the base image's, hvmloader, and the SeaBIOS
	# and option ROMs of a direct kernel boot (DM_SHARE: for 4.17 the host's seabios and
	# qemu-system-data, bookworm's as is its qemu-system-xen; for 4.20 trixie's, unpacked
	# beside its qemu-system-xen). Only then: it is 30 MB that every other run would unpack
	# for nothing.
	if grep -qs '^type *= *"hvm"' "$ov"/cfg/*.cfg; then
		dmroot=${DM_ROOT:-$XEN_ROOT} dmshare=${DM_SHARE:-/usr/share}
		dm=$dmroot/usr/libexec/xen-qemu-system-i386
		[ -x "$dm" ] || die "no device model $dm (lab/fetch.sh)"
		mkdir -p "$work/ov/usr/libexec" "$work/ov/lib/x86_64-linux-gnu" "$work/ov/usr/share/qemu" \
			"$work/ov/usr/share/seabios" "$work/ov/usr/lib/xen-$XEN/boot"
		cp "$dm" "$work/ov/usr/libexec/"
		cp "$XEN_ROOT/usr/lib/xen-$XEN/boot/hvmloader" "$work/ov/usr/lib/xen-$XEN/boot/"
		overlay_libs "$dm" "$work/ov/lib/x86_64-linux-gnu" "$dmroot/usr/lib/x86_64-linux-gnu"
		cp "$dmshare"/seabios/*.bin "$work/ov/usr/share/seabios/"
		cp -r "$dmshare"/qemu/linuxboot_dma.bin "$dmshare"/qemu/linuxboot.bin "$dmshare"/qemu/keymaps \
			"$work/ov/usr/share/qemu/"
		say "device model for HVM guests: ${dm##*/} ($(du -sh "$work/ov" | cut -f1) overlay)"
	fi
	(cd "$work/ov" && find . | sort | cpio -o -H newc --quiet -R 0:0) >"$work/overlay.cpio"
	# Linux unpacks concatenated archives, compressed or not, so the base stays cached as is; but it
	# only takes an uncompressed one at a 4-byte aligned offset (NULs in between are skipped)
	{
		cat "$base"
		head -c $(((4 - $(stat -c %s "$base") % 4) % 4)) /dev/zero
		cat "$work/overlay.cpio"
	} >"$work/dom0.img"

	# --- QEMU ------------------------------------------------------------------------------------
	dom0k=${dom0k:-$DOM0_KERNEL}
	xenargs="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all dom0_mem=1024M,max:1024M"
	d0vcpus=2
	d0args="console=hvc0 earlyprintk=xen loglevel=6"
	machine=pc qextra=()
	if [ "$dom0mode" = pvh ]; then
		# Xen refuses a PVH hardware domain without an IOMMU; intremap=off as Xen 4.17 wants it
		# shellcheck disable=SC2054 # commas belong to the QEMU arguments
		machine=q35 qextra=(-device intel-iommu,intremap=off)
		# its vCPUs: lablib.sh's PVH_DOM0_VCPUS (one where the stack needs it)
		d0vcpus=$PVH_DOM0_VCPUS xenargs="$xenargs dom0=pvh"
		# foreign-mapping teardown under TCG trips the soft-lockup watchdog
		d0args="$d0args nowatchdog"
	fi
	xenargs="$xenargs dom0_max_vcpus=$d0vcpus"
	for p in "$XEN_IMAGE" "$dom0k" "$work/dom0.img"; do
		[[ "$p" != *" "* ]] || die "QEMU's -initrd cannot take a path with spaces: $p"
	done
	# -initrd "kernel args,initrd": a literal comma is written twice
	mods="${dom0k//,/,,} ${d0args//,/,,},${work//,/,,}/dom0.img"
	# -cpu: Debian's Xen has no shadow paging, so HVM/PVH need HAP = SVM+NPT under TCG; -cpu max
	# breaks dom0 (SMAP emulation, RDTSCP), EPYC trips MWAIT in Xen
	# shellcheck disable=SC2054
	# LAB_QEMU_ACCEL and LAB_QEMU_CPU are for experiments on the lab itself (lab/README.md).
	# QEMU is $XEN's (lab.env): the host's 7.2 for Xen 4.17, QEMU 10 with its -L for 4.20;
	# LAB_QEMU, a command, replaces it (lab/build-qemu.sh's builds, for lab/deaths.sh).
	[ -z "${LAB_QEMU:-}" ] || QEMU=("$LAB_QEMU")
	qemu=("${QEMU[@]}" -accel "${LAB_QEMU_ACCEL:-tcg,thread=multi}" -machine "$machine"
		-cpu "${LAB_QEMU_CPU:-qemu64,+svm,+npt}"
		-m 2048 -smp 2 -display none -nographic -no-reboot -serial stdio -monitor none "${qextra[@]}"
		-kernel "$XEN_IMAGE" -append "$xenargs" -initrd "$mods")
	printf '%q ' "${qemu[@]}" >"$outdir/qemu-cmd.txt"; echo >>"$outdir/qemu-cmd.txt"

	if ! flock -n "$LOCK" true; then say "waiting for another lab QEMU to finish ($LOCK)"; fi
	say "booting Xen $XEN_VERSION under ${QEMU[0]##*/} $("${QEMU[0]}" --version | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p') + $dom0mode dom0 ($(basename "$dom0k")), ${#run_names[@]} guest(s), limit ${timeout_s}s -> $outdir"
	exec 3>"$outdir/console.log" 4>"$outdir/timing.txt"
	echo "fetch $t_fetch" >&4; echo "images $t_images" >&4
	set +e
	flock "$LOCK" bash -c 'echo LAB-HOST-QEMU-START; exec "$@"' _ \
		timeout -k 10 "$timeout_s" "${qemu[@]}" </dev/null 2>&1 |
	{
		t0=
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line%$'\r'}
			if [ "$line" = LAB-HOST-QEMU-START ]; then t0=$EPOCHREALTIME; continue; fi
			printf '%s\n' "$line" >&3
			[ $verbose = 1 ] && printf '%s\n' "$line" >&2
			case "$line" in
			LAB-DOM0-START*|LAB-DOM0-READY*|LAB-DOM0-FAIL*|LAB-GUEST-BEGIN*|LAB-RESULT*|LAB-DOM0-DONE*)
				nm=; [[ "$line" =~ name=([^ ]*) ]] && nm=" ${BASH_REMATCH[1]}"
				printf '%s%s %s\n' "${line%% *}" "$nm" "$(el "$t0")" >&4
				case "$line" in
				LAB-DOM0-READY*) say "dom0 ready after $(el "$t0") s" ;;
				LAB-RESULT*) say "${line#LAB-RESULT }" ;;
				esac ;;
			esac
		done
		echo "qemu_end $(el "${t0:-$t_all}")" >&4
	}
	st=("${PIPESTATUS[@]}")
	set -e
	qrc=${st[0]}
	exec 3>&- 4>&-
	say "QEMU ended (rc $qrc) after $(awk '/^qemu_end/ { print $2 }' "$outdir/timing.txt") s"
}

if [ -n "$replay" ]; then
	mv "$rlog" "$con"
	qrc=${REPLAY_RC:-0}
else
	boot
fi

# --- verdicts --------------------------------------------------------------------------------
grep -a -o 'LAB-RESULT name=.*' "$con" >"$outdir/results.txt" || true
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then ended="QEMU killed at the ${timeout_s} s limit"
elif [ "$qrc" != 0 ]; then ended="QEMU exited rc $qrc"
else ended="QEMU exited before dom0 finished"; fi
# how dom0 or Xen died, if the console says so
why=$(grep -a -m1 -E 'Panic on CPU|Kernel panic|d0v[0-9]+ Triple fault|Hardware Dom0 (crashed|shutdown)' -A1 "$con" |
	tr -s ' \n' ' ' | cut -c1-160 || true)
ended="$ended${why:+; $why}"
# a stock dom0 that Xen crashed (the same TCG faults as a stock guest's, lab/README.md)
dom0crash=
if [ $d0stock = 1 ]; then
	dom0crash=$(grep -a -m1 -E 'd0v[0-9]+ Triple fault|Hardware Dom0 crashed' "$con" | tr -d '\r' | cut -c1-120 || true)
fi
nodom0=
if ! grep -aq -E 'LAB-DOM0-(READY|FAIL)' "$con"; then
	if grep -aq LAB-DOM0-START "$con"; then nodom0="dom0 started but its toolstack never came up ($ended)"
	else nodom0="QEMU never reached dom0 ($ended)"; fi
fi

# kst_table: the selftest cases side by side, a row per case, a column per guest that ran them
# (its name, kernel and type), and whether the guests of one type (stock and ours) differ;
# negative checks (lab.kst_type, lab.kst_fail) and a stock guest Xen crashed have a column but
# take no part in that
kst_table() {
	local row w=34 cw=() c k t diff
	declare -A seen=()
	for c in "${kcols[@]}"; do k=${#c}; [ "$k" -ge 9 ] || k=9; cw+=($((k + 2))); done
	printf '%-*s' $w "Xen selftest case"
	k=0; for c in "${kcols[@]}"; do printf '%-*s' "${cw[k]}" "$c"; k=$((k + 1)); done
	echo "stock vs ours"
	printf '%-*s' $w ""
	k=0; for c in "${kcols[@]}"; do
		t=${KCELL[type|$c]}; [ -z "${KCELL[neg|$c]:-}" ] || t="$t, negative"
		[ -z "${KCELL[crash|$c]:-}" ] || t="$t, crashed"
		printf '%-*s' "${cw[k]}" "$t"; k=$((k + 1))
	done
	echo
	for row in ${krows[@]+"${krows[@]}"}; do
		printf '%-*s' $w "$row"
		k=0; diff=''
		seen=()
		for c in "${kcols[@]}"; do
			printf '%-*s' "${cw[k]}" "${KCELL[$row|$c]:--}"; k=$((k + 1))
			[ -z "${KCELL[neg|$c]:-}${KCELL[crash|$c]:-}" ] && [ -n "${KCELL[$row|$c]:-}" ] || continue
			t=${KCELL[type|$c]}
			if [ -z "${seen[$t]:-}" ]; then seen[$t]=${KCELL[$row|$c]}
			elif [ "${seen[$t]}" != "${KCELL[$row|$c]}" ] && [[ " $diff " != *" $t "* ]]; then diff="$diff $t"; fi
		done
		if [ -n "$diff" ]; then echo "differs:$diff"; else echo "same"; fi
	done
}

# one TAP line per guest, one more for each host-side check its lab options ask for, and one
# per selftest case it ran; collected first, as the selftests make the count known only here
TAP=()
declare -A KCELL=() KROW=()
kcols=() krows=()
CRASHED=()
i=0 bad=0
tap() { # tap STATUS DESCRIPTION
	i=$((i + 1))
	[ "$1" = ok ] || bad=$((bad + 1))
	TAP+=("$1 $i - $2")
}
# a guest's lines are held (GS status, GL label "NAME[: check]", GD the whole description)
# until the guest is judged as a whole: a stock guest that Xen crashed is skipped (below)
gline() { GS+=("$1"); GL+=("$2"); GD+=("$3"); }
table="$(printf '%-24s %-10s %-10s %-10s %7s %8s %4s  %s' guest kernel expected reported secs memkb errs result)"
for e in "${E[@]}"; do
	IFS='|' read -r name kname expect cfg <<<"$e"
	GS=() GL=() GD=()
	r=$(awk -v p="LAB-RESULT name=$name " 'index($0, p) == 1' "$outdir/results.txt" | tail -1)
	glines=$(awk -v p="[$name] " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' "$con")
	if [ -n "${PREFAIL[$name]:-}" ]; then nor="${PREFAIL[$name]}"
	elif [ -n "$r" ]; then nor=
	elif [ -n "$nodom0" ]; then nor=$nodom0
	else nor="no result from dom0: $ended"; fi
	if [ -n "$nor" ]; then v="not ok|$nor"; else v=$(verdict "$expect" "$r" "$glines"); fi
	res=${v%%|*} gv=${v#*|}
	gline "$res" "$name" "$name: $gv"
	for o in disk poweroff shutdown xl expect_line; do
		[ -n "$(plan_lab_opt "$cfg" $o)" ] || continue
		if [ -n "$nor" ]; then v="not ok|$nor"; else v=$("${o}_verdict" "$r" "$glines" "$(plan_lab_opt "$cfg" $o)"); fi
		[ "${v%%|*}" = ok ] || res="not ok"
		gline "${v%%|*}" "$name: $o" "$name: $o: ${v#*|}"
	done
	col=
	if [ -n "$(plan_lab_opt "$cfg" selftests)" ]; then
		# the guest's selftest cases, and its column of the side-by-side table
		col="$name ($kname)"
		kcols+=("$col")
		KCELL[type|$col]=${expect%%:*}
		[ -z "$(plan_lab_opt "$cfg" kst_type)$(plan_lab_opt "$cfg" kst_fail)" ] || KCELL[neg|$col]=1
		if [ -n "$nor" ] || { [ "$res" != ok ] && ! grep -q '^KST' <<<"$glines"; }; then
			kst="not ok|selftests: (none)|NONE|selftests: none ran: ${nor:-$gv}"
		else
			kst=$(kst_tap "$glines" "$(plan_lab_opt "$cfg" kst_fail)" "$(plan_lab_opt "$cfg" kst_known)" \
				"$(plan_lab_opt "$cfg" kst_pass)")
		fi
		while IFS='|' read -r st row cell d; do
			[ -n "$st" ] || continue
			[ "$st" = ok ] || res="not ok"
			gline "$st" "$name: ${row%: (*)}" "$name: $d"
			[ -n "${KROW[$row]:-}" ] || { KROW[$row]=1; krows+=("$row"); }
			KCELL[$row|$col]=$cell
		done <<<"$kst"
	fi
	# stock_crash: Debian's kernel, booted only to compare with ours, sometimes dies under TCG
	# ("d1v0 Triple fault" on Xen's console, lab/README.md). When a guest of the stock kernel
	# fails and Xen's console says Xen crashed that guest's own domain (its domid from dom0's
	# LAB-RESULT, the Xen line printed while it ran), its failed lines become skips that quote
	# Xen's line. Any other failure of a stock guest (no marker or a timeout without such a
	# line, a wrong guest_type, a refusal) stays a failure, and so does any failure of another
	# kernel: ours is never excused.
	# A guest that got no result because a stock dom0 crashed is skipped the same way.
	crash=
	if [ -n "$dom0crash" ] && [ -n "$nor" ]; then
		crash="stock dom0: $dom0crash"
	elif [ "$kname" = stock ] && [[ "$expect" != refuse:* ]] && [ -z "$nor" ] && [[ " ${GS[*]} " == *" not "* ]]; then
		crash=$(xen_crash_line "$con" "$name" "$(field "$r" domid)")
	fi
	for k in "${!GS[@]}"; do
		if [ -n "$crash" ] && [ "${GS[k]}" != ok ]; then
			say "stock kernel crashed, skipped: ${GD[k]}"
			tap ok "${GL[k]}: # SKIP stock kernel crashed: $crash"
		else
			tap "${GS[k]}" "${GD[k]}"
		fi
	done
	if [ -n "$crash" ]; then
		CRASHED+=("$name")
		res="skip: stock kernel crashed"
		[ -z "$col" ] || KCELL[crash|$col]=1
	fi
	table+=$'\n'"$(printf '%-24s %-10s %-10s %-10s %7s %8s %4s  %s' "$name" "$kname" "${expect%%:*}" \
		"$(field "$r" guest_type)" "$(field "$r" secs)" "$(field "$r" memkb)" "$(errs=$(field "$r" log_errors); echo "${errs:--}")" "$res")"
done
if [ -n "$expect_dom0" ]; then
	# dom0's own report, as for any guest: the kernel under test may be dom0.
	d0=$(grep -a -m1 -o 'LAB-DOM0-START .*' "$con" || true)
	d0type=$(field "$d0" guest_type)
	if [ -z "$d0" ]; then v="not ok|${nodom0:-dom0 never started}"
	elif [ "$d0type" != "$expect_dom0" ]; then v="not ok|dom0 reported guest_type ${d0type:-none}, expected $expect_dom0"
	elif [ -n "$nodom0" ]; then v="not ok|$nodom0"
	else
		# every PCI device dom0 found was reported to Xen (PHYSDEVOP_pci_device_add)
		d0ready=$(grep -a -m1 -o 'LAB-DOM0-READY .*' "$con" | tr -d '\r')
		npci=$(field "$d0ready" pci)
		nxen=$(grep -a -o '(XEN) PCI add device [0-9a-f:.]*' "$con" | sort -u | wc -l)
		# and a device interrupt came through Xen's routing: the emulated IO-APIC for PVH, a pirq for PV
		chip=IO-APIC; [ "$expect_dom0" = PVH ] || chip=xen-pirq
		gsi=$(field "$d0ready" gsi)
		fired=$(tr ',' '\n' <<<"$gsi" | awk -F: -v c="$chip" '$1 == c && $3 > 0 { printf "%s%s %s", s, $2, $3; s = ", " }')
		if [ "${npci:-0}" -lt 1 ]; then v="not ok|dom0 found no PCI device (pci=${npci:-none})"
		elif [ "$nxen" -ne "$npci" ]; then v="not ok|dom0 found $npci PCI devices, Xen was told of $nxen"
		elif [ -z "$fired" ]; then v="not ok|no device interrupt through $chip in dom0 (gsi=${gsi:-none})"
		else v="ok|guest_type $d0type, toolstack up, $npci PCI devices reported to Xen, interrupts through $chip ($fired) (kernel $(field "$d0" kernel))"; fi
	fi
	if [ "${v%%|*}" != ok ] && [ -n "$dom0crash" ]; then
		say "stock dom0 crashed, skipped: dom0: ${v#*|}"
		v="ok|# SKIP stock kernel crashed: stock dom0: $dom0crash"
	fi
	tap "${v%%|*}" "dom0: ${v#*|}"
	table+=$'\n'"$(printf '%-24s %-10s %-10s %-10s %7s %8s  %s' dom0 "$(basename "${dom0k:-stock}")" "$expect_dom0" \
		"${d0type:-none}" - - "${v%%|*}")"
fi
ntests=$i
# the stock guests whose failure was skipped because Xen crashed them: in table.txt and the summary
crashes=
if [ ${#CRASHED[@]} -gt 0 ]; then
	crashes=$(printf '%s, ' "${CRASHED[@]}")
	crashes="stock kernel crashes: ${#CRASHED[@]} (${crashes%, })"
	table+=$'\n'"$crashes: their failures are skipped"
fi
echo "1..$ntests"
printf '%s\n' "${TAP[@]}" | tee "$outdir/results.tap"
printf '%s\n' "$table" | tee "$outdir/table.txt" >&2
if [ ${#kcols[@]} -gt 0 ]; then
	kst_table >"$outdir/kst-table.txt"
	cat "$outdir/kst-table.txt" >&2
fi
nskip=$(printf '%s\n' "${TAP[@]}" | grep -c '^ok [0-9]* - .*# SKIP' || true)
say "$((ntests - bad))/$ntests ok ($nskip skipped)${crashes:+; $crashes}; total $(el "$t_all") s; logs in $outdir"
[ $bad = 0 ]
