#!/bin/bash
# scripts/series-check.sh [FULL=1]: review the exported series as a maintainer would.
#
# On a fresh worktree of the base ($BUILD/check/src) it applies $BUILD/series with
# `git am`, then checks, printing TAP:
#   - the applied tree is the series branch's tree (the export lost nothing);
#   - scripts/checkpatch.pl --strict on every patch: 0 errors, 0 warnings,
#     0 checks;
#   - the tip builds with CONFIG_XEN_PVH=y and =n (FULL=1: every patch);
#   - `make C=1 W=1` adds no warning in the directories the series touches.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

full=${FULL:-0}
series=$BUILD/series
tree=$BUILD/check/src
n=0
failed=0
tap() {	# tap ok|fail DESC [DETAIL]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
}

[ -d "$series" ] || die "no exported series in $series: run 'make series' first"
patches=$(ls "$series"/0*.patch | grep -v '/0000-cover-letter.patch$')

say "applying $(echo "$patches" | wc -l) patches with git am on a fresh base in $tree"
git -C "$KREPO" worktree prune
if [ -e "$tree/.git" ]; then
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	git -C "$tree" checkout -q -f --detach base
	git -C "$tree" clean -q -fdx
else
	rm -rf "$tree"
	git -C "$KREPO" worktree add -q -f --detach "$tree" base
fi
# shellcheck disable=SC2086
if out=$(git -C "$tree" -c user.name=check -c user.email=check@localhost am -q $patches 2>&1); then
	tap ok "series applies with git am"
else
	tap fail "series applies with git am" "$out"
	git -C "$tree" am --abort >/dev/null 2>&1 || true
fi
if git -C "$tree" diff --quiet xen-pvh HEAD 2>/dev/null; then
	tap ok "applied tree equals branch xen-pvh"
else
	tap fail "applied tree equals branch xen-pvh" "$(git -C "$tree" diff --stat xen-pvh HEAD | tail -3)"
fi

for p in $patches; do
	name=${p##*/}
	out=$(cd "$tree" && ./scripts/checkpatch.pl --strict --quiet "$p" 2>&1) || true
	sob=$(grep -c '^Signed-off-by: ' "$p" || true)
	if [ -z "$out" ] && [ "$sob" -ge 1 ]; then
		tap ok "checkpatch --strict clean, signed off: $name"
	else
		tap fail "checkpatch --strict clean, signed off: $name" "${out:-no Signed-off-by}"
	fi
done

# build_at REV PVH: build the tree at REV; TAP ok, skip (no CONFIG_XEN_PVH yet) or fail.
build_at() {
	local rev=$1 pvh=$2 desc log
	desc="builds with CONFIG_XEN_PVH=$pvh: $(git -C "$tree" log -1 --format=%s "$rev")"
	git -C "$tree" checkout -q -f --detach "$rev"
	log=$BUILD/check/build-$pvh.log
	if "$TOP/scripts/build-kernel.sh" --pvh "$pvh" "$tree" "$BUILD/check/obj-$pvh" \
		"$TOP/configs/domU.config" >"$log" 2>&1; then
		if [ "$(cat "$BUILD/check/obj-$pvh/pvh")" = none ] && [ "$pvh" = y ]; then
			n=$((n + 1))
			echo "ok $n - $desc # SKIP no CONFIG_XEN_PVH in the tree at this patch"
		else
			tap ok "$desc ($(cat "$BUILD/check/obj-$pvh/build-seconds") s)"
		fi
	else
		tap fail "$desc" "$(tail -15 "$log")"
	fi
}

tip=$(git -C "$tree" rev-parse HEAD)
if [ "$full" = 1 ]; then
	revs=$(git -C "$tree" rev-list --reverse base..HEAD)
else
	revs=$tip
fi
for rev in $revs; do
	build_at "$rev" y
	build_at "$rev" n
done
git -C "$tree" checkout -q -f --detach "$tip"

"$TOP/scripts/warnings.sh" "$tree" "$BUILD/check/obj-y" >"$BUILD/warnings.tap" 2>"$BUILD/warnings.log" ||
	true
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap ok "${line#ok * - }" ;;
	"not ok "*) tap fail "${line#not ok * - }" "$(grep '^+' "$BUILD/warnings.log" | head -20)" ;;
	esac
done <"$BUILD/warnings.tap"

say "series-check: $((n - failed)) of $n passed"
[ "$failed" = 0 ]
