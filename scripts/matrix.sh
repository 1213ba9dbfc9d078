#!/bin/bash
# scripts/matrix.sh [--full] [--record] [--base BASE=LABDIR]...: the regression matrix, from
# the lab runs' verdicts.
#
# One row per kernel build and base, one column per way to boot it; each cell is the
# verdict of the lab run that boots it (lab/run.sh's results.tap: every TAP
# line of that guest, or of dom0, must be ok; qemu-direct.sh's and
# xen-refuses-pvh-dom0.sh's OUTLOG.tap), so a cell passes only on what the
# guest itself reported.  The runs are make check's (and with --full, make
# check-full's); this script runs nothing.  A cell that cannot run in this
# lab says why (lab/README.md, "The regression matrix").
# Prints the table and TAP, one line per cell; --record also writes it to
# bench/MATRIX.md with the commit it ran on.  Without --full the cells that
# only make check-full runs (HVM guests, the real configurations) say so.
# Each --base names a base and the lab directory of its runs; the first is the primary
# base, whose every plan runs, the others are backports, which make check boots through
# the plans whose code differs by base (the Makefile's BACKPORT_CHECKS).  Default: BASE's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

full=0 record=0 bases=()
usage="usage: scripts/matrix.sh [--full] [--record] [--base BASE=LABDIR]..."
while [ $# -gt 0 ]; do
	case "$1" in
	--full) full=1 ;;
	--record) record=1 ;;
	--base) [ $# -ge 2 ] && [[ "$2" == *=* ]] || die "$usage"; bases+=("$2"); shift ;;
	*) die "$usage" ;;
	esac
	shift
done
[ ${#bases[@]} -gt 0 ] || bases=("$BASE=${LAB_OUT:-$BUILD/lab}")

cols=("PV domU" "PVH domU" "HVM domU" "PV dom0" "PVH dom0" "QEMU direct")
# WHICH | ROW | a source per column: run:OUTDIR:GUEST, tap:FILE (under the base's lab
# directory), or why:KEY (a cell that cannot run here; KEY names its reason below).  full:
# before a source: make check-full's.  WHICH: the primary base's row, a backport's, or any.
cells() {
	cat <<'EOF'
primary  | ours, domU.config, XEN_PVH=y      | run:foundation:ours-pv | run:pvh:ours-pvh | full:run:matrix-hvm:ours-hvm | run:dom0-pv:dom0 | run:dom0-pvh:dom0 | tap:qemu-direct.log.tap
primary  | ours, domU.config, XEN_PVH=n      | run:foundation:oursn-pv | run:foundation:oursn-pvh-refused | full:run:matrix-hvm:oursn-hvm | run:dom0-pv-n:dom0 | tap:xen-refuses-pvh-dom0-n.log.tap | tap:qemu-direct-n.log.tap
backport | ours, domU.config, XEN_PVH=y      | why:backport | run:pvh:ours-pvh | why:backport | why:backport | run:dom0-pvh:dom0 | tap:qemu-direct.log.tap
any      | defconfig + xen.config, XEN_PVH=y | full:run:matrix-config-defxen:pv | full:run:matrix-config-defxen:pvh | full:run:matrix-config-defxen:hvm | full:run:matrix-dom0-defxen-pv:dom0 | full:run:matrix-dom0-defxen-pvh:dom0 | full:tap:qemu-direct-defxen.log.tap
primary  | Debian's config, XEN_PVH=y        | full:run:matrix-config-debian:pv | full:run:matrix-config-debian:pvh | full:run:matrix-config-debian:hvm | full:run:matrix-dom0-debian-pv:dom0 | full:run:matrix-dom0-debian-pvh:dom0 | full:tap:qemu-direct-debian.log.tap
EOF
}
# A cell that does not run: KEY="why".
declare -A WHY=(
	[backport]="A backport boots our domU.config kernel through the plans whose code differs by base (pvh, smp, PVH dom0); its PV and HVM paths boot in the defconfig + xen.config row (make check-full)."
)

# verdict SOURCE: "ok DETAIL", "FAIL DETAIL", "none DETAIL" (not run) or "why KEY".
verdict() {
	local src=$1 kind rest dir guest tapf lines bad
	kind=${src%%:*} rest=${src#*:}
	case "$kind" in
	run)
		dir=${rest%%:*} guest=${rest#*:}
		tapf=$lab/$dir/results.tap
		[ -f "$tapf" ] || { echo "none no $dir run"; return; }
		lines=$(grep -E "^(not )?ok [0-9]+ - $guest(:| |$)" "$tapf" || true)
		[ -n "$lines" ] || { echo "none $guest not in the $dir run"; return; }
		bad=$(grep -m1 '^not ok' <<<"$lines" || true)
		if [ -n "$bad" ]; then echo "FAIL ${bad#not ok * - }"
		else echo "ok $(wc -l <<<"$lines") checks (lab $dir)"; fi
		;;
	tap)
		tapf=$lab/$rest
		[ -f "$tapf" ] || { echo "none no ${rest%.tap}"; return; }
		if grep -q '^ok ' "$tapf"; then echo "ok $(sed 's/^ok [0-9]* - //' "$tapf" | head -1)"
		else echo "FAIL $(sed 's/^not ok [0-9]* - //' "$tapf" | head -1)"; fi
		;;
	why) echo "why $rest" ;;
	*) die "bad cell source $src" ;;
	esac
}

rev=$(git -C "$TOP" rev-parse --short HEAD)
# bench/size.sh writes RESULTS.md in the same run: the run's own output is not a change.
dirty=$(git -C "$TOP" status --porcelain --untracked-files=no -- . \
	':!bench/RESULTS.md' ':!bench/MATRIX.md' | head -1)
table="| base | kernel |$(printf ' %s |' "${cols[@]}")"$'\n'"|---|---|$(printf -- '---|%.0s' "${cols[@]}")"
notes='' n=0 failed=0 tapout=''
declare -A NOTE=()
for b in "${!bases[@]}"; do
	base=${bases[$b]%%=*} lab=${bases[$b]#*=} role=primary
	[ "$b" = 0 ] || role=backport
	while IFS='|' read -r which row srcs; do
		which=$(echo "$which" | tr -d ' ') row=$(echo "$row" | sed 's/^ *//; s/ *$//')
		[ "$which" = any ] || [ "$which" = "$role" ] || continue
		IFS='|' read -r -a S <<<"$srcs"
		line="| $base | $row |"
		for i in "${!cols[@]}"; do
			src=$(echo "${S[$i]}" | tr -d ' ')
			if [ "${src%%:*}" = full ]; then
				src=${src#full:}
				if [ "$full" = 0 ]; then line+=" (check-full) |"; continue; fi
			fi
			v=$(verdict "$src")
			word=${v%% *} detail=${v#* }
			case "$word" in
			ok) line+=" ok |" ;;
			FAIL) line+=" **FAIL** |" ;;
			none) line+=" not run |" ;;
			why)
				if [ -z "${NOTE[$detail]:-}" ]; then
					NOTE[$detail]=$(( ${#NOTE[@]} + 1 ))
					notes+="[${NOTE[$detail]}] ${WHY[$detail]}"$'\n'
				fi
				line+=" n/a [${NOTE[$detail]}] |"
				continue
				;;
			esac
			n=$((n + 1))
			case "$word" in
			ok) tapout+="ok $n - matrix: $base, $row, ${cols[$i]}: $detail"$'\n' ;;
			*) failed=$((failed + 1))
			   tapout+="not ok $n - matrix: $base, $row, ${cols[$i]}: ${word/none/not run}: $detail"$'\n' ;;
			esac
		done
		table+=$'\n'"$line"
	done < <(cells)
done

printf '%s' "$tapout"
echo "1..$n"
{
	echo "Regression matrix, commit $rev${dirty:+ (with uncommitted changes)}:"
	echo "$table"
	echo
	printf '%s' "$notes"
} >&2

if [ "$record" = 1 ]; then
	out=$TOP/bench/MATRIX.md
	{
		echo "# The regression matrix"
		echo
		echo "Written by \`scripts/matrix.sh --record\` after the lab runs of \`make check-full\`"
		echo "(\`make matrix\` runs just those); each cell is the verdict of the guest's own"
		echo "TAP lines in that run (see the script). Cells marked n/a do not run; the note says"
		echo "why, and lab/README.md (\"The regression matrix\") what was tried."
		echo
		echo "## $(date -u +%Y-%m-%d), commit $rev${dirty:+ (with uncommitted changes)}"
		echo
		echo "$table"
		echo
		printf '%s' "$notes" | sed 's/^/- /'
		echo
		echo "$((n - failed)) of $n cells passed."
	} >"$out"
	say "wrote $out"
fi
[ "$failed" = 0 ]
