#!/bin/bash
# scripts/series-check.sh [FULL=1]: review the exported series as a maintainer would.
#
# In the series tree ($BUILD/linux/src, reset to the base) it applies
# $BUILD/series with `git am`, then checks, printing TAP:
#   - the applied tree is the series branch's tree (the export lost nothing);
#   - scripts/checkpatch.pl --strict on every patch: 0 errors, 0 warnings,
#     0 checks, but for UNKNOWN_COMMIT_ID: the base is a source package
#     without upstream history, so no commit a Fixes: tag names is in it;
#     the tag's form (12 digits, quoted subject) is checked here instead;
#   - the cover letter is [PATCH vN 00/NN] (N from series/version) and has
#     the changelog, how to test, the matrix, shortlog and diffstat;
#   - scripts/get_maintainer.pl names MAINTAINERS.pvh's section for every
#     patch that touches a file the section covers, and only for those;
#   - the tip builds with CONFIG_XEN_PVH=y and =n (FULL=1: every patch), and objtool,
#     which checks the whole vmlinux, warns about nothing in either build;
#   - `make C=1 W=1` adds no warning in the directories the series touches.
# The same tree and object directories as `make kernel` are used on
# purpose: kbuild names sources by absolute path, so only builds in the same
# place share ccache hits, and the y build of the tip is then nearly free.
# The n directory's first build starts from a copy of the y one (seed_objdir).
# The tree is left on branch xen-pvh, whose tree the applied one equals.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

full=${FULL:-0}
series=$BUILD/series
tree=$BUILD/linux/src
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

# checkpatch runs scripts/spdxcheck.py, which needs ply and GitPython.
need_pkgs python3-ply python3-git

[ -d "$series" ] || die "no exported series in $series: run 'make series' first"
patches=$(ls "$series"/0*.patch | grep -v '/0000-cover-letter.patch$')

[ -e "$tree/.git" ] || die "no series tree in $tree: run 'make series' first"
say "applying $(echo "$patches" | wc -l) patches with git am on the base in $tree"
git -C "$tree" am --abort >/dev/null 2>&1 || true
git -C "$tree" checkout -q -f --detach base
git -C "$tree" clean -q -fdx
# shellcheck disable=SC2086
if out=$(git -C "$tree" -c user.name=check -c user.email=check@localhost am -q $patches 2>&1); then
	tap ok "series applies with git am"
else
	tap fail "series applies with git am" "$out"
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	git -C "$tree" checkout -q -f xen-pvh
	die "the exported series does not apply; nothing else checked"
fi
if git -C "$tree" diff --quiet xen-pvh HEAD 2>/dev/null; then
	tap ok "applied tree equals branch xen-pvh"
else
	tap fail "applied tree equals branch xen-pvh" "$(git -C "$tree" diff --stat xen-pvh HEAD | tail -3)"
fi

# The cover letter: versioned subject, every part filled in, git's shortlog and diffstat.
version=$(cat "$TOP/series/version")
nr=$(printf '%02d' "$(echo "$patches" | wc -l)")
want="[PATCH v$version 00/$nr]"
[ "$version" != 1 ] || want="[PATCH 00/$nr]"
cover=$series/0000-cover-letter.patch
missing=$(for part in "Subject: $want" "Changes in v$version:" "How to test:" \
	"Regression matrix" " files changed, " "xen-pvh developers ("; do
	grep -qF -- "$part" "$cover" || echo "no \"$part\""
done; grep -o '@[A-Z]*@\|\*\*\* [A-Z]* HERE \*\*\*' "$cover" | sed 's/^/left unfilled: /' || true)
if [ -z "$missing" ]; then
	tap ok "cover letter: $want, changelog, how to test, matrix, shortlog, diffstat"
else
	tap fail "cover letter: $want, changelog, how to test, matrix, shortlog, diffstat" "$missing"
fi

# check_style PATCH: checkpatch --strict, the Fixes: form, a Signed-off-by.
check_style() {
	local p=$1 name=${1##*/} out sob
	# Debian's python3 (with apt's ply), not one earlier in PATH.
	out=$(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet \
		--ignore UNKNOWN_COMMIT_ID "$p" 2>&1) || true
	out=$out$(grep '^Fixes:' "$p" | grep -v '^Fixes: [0-9a-f]\{12\} ("[^"]*")$' |
		sed 's/^/bad Fixes: tag: /' || true)
	sob=$(grep -c '^Signed-off-by: ' "$p" || true)
	if [ -z "$out" ] && [ "$sob" -ge 1 ]; then
		tap ok "checkpatch --strict clean, signed off: $name"
	else
		tap fail "checkpatch --strict clean, signed off: $name" "${out:-no Signed-off-by}"
	fi
}

# The section's title, and its F: paths as one extended regex.
title=$(head -1 "$TOP/MAINTAINERS.pvh")
covered=$(sed -n 's/^F:\t//p' "$TOP/MAINTAINERS.pvh" | sed 's/[.]/[.]/g; s/^/^/; s/[^/]$/&$/' |
	paste -sd'|')

# check_maintainer PATCH: get_maintainer.pl names the section iff PATCH touches a file of it.
check_maintainer() {
	local p=$1 name=${1##*/} touches names
	touches=$(sed -n 's|^+++ b/||p; s|^--- a/||p' "$p" | grep -E "$covered" | head -1 || true)
	names=$(cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --no-fixes \
		"$p" 2>&1 | grep -c ":$title)" || true)
	if [ -n "$touches" ] && [ "$names" -ge 1 ]; then
		tap ok "get_maintainer.pl names $title: $name"
	elif [ -z "$touches" ] && [ "$names" = 0 ]; then
		tap ok "get_maintainer.pl does not name $title (no file of it touched): $name"
	else
		tap fail "get_maintainer.pl names $title if and only if a file of it is touched: $name" \
			"touches: ${touches:-none}; lines naming $title: $names"
	fi
}

for p in $patches; do
	check_style "$p"
	check_maintainer "$p"
done

# objdir PVH: the object directory of a y or n build; y is `make kernel`'s.
objdir() {
	if [ "$1" = y ]; then echo "$BUILD/linux/obj"; else echo "$BUILD/linux/obj-n"; fi
}

# build_at REV PVH: build the tree at REV; TAP ok, skip (no CONFIG_XEN_PVH yet) or fail.
build_at() {
	local rev=$1 pvh=$2 desc obj log
	desc="builds with CONFIG_XEN_PVH=$pvh: $(git -C "$tree" log -1 --format=%s "$rev")"
	git -C "$tree" checkout -q -f --detach "$rev"
	obj=$(objdir "$pvh")
	log=$obj.log
	[ "$pvh" = y ] || seed_objdir "$(objdir y)" "$obj"
	if "$TOP/scripts/build-kernel.sh" --pvh "$pvh" "$tree" "$obj" \
		"$TOP/configs/domU.config" >"$log" 2>&1; then
		if [ "$(cat "$obj/pvh")" = none ] && [ "$pvh" = y ]; then
			n=$((n + 1))
			echo "ok $n - $desc # SKIP no CONFIG_XEN_PVH in the tree at this patch"
		else
			tap ok "$desc ($(cat "$obj/build-seconds") s)"
		fi
		if grep -q 'objtool: ' "$log"; then
			tap fail "objtool has no warning: $desc" "$(grep 'objtool: ' "$log" | head -10)"
		else
			tap ok "objtool has no warning: $desc"
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

"$TOP/scripts/warnings.sh" "$tree" "$(objdir y)" >"$BUILD/warnings.tap" 2>"$BUILD/warnings.log" ||
	true
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap ok "${line#ok * - }" ;;
	"not ok "*) tap fail "${line#not ok * - }" "$(grep '^+' "$BUILD/warnings.log" | head -20)" ;;
	esac
done <"$BUILD/warnings.tap"
grep -q '^\(not \)\?ok ' "$BUILD/warnings.tap" ||
	tap fail "C=2 W=1 comparison ran" "$(tail -5 "$BUILD/warnings.log")"

git -C "$tree" checkout -q -f xen-pvh
say "series-check: $((n - failed)) of $n passed"
[ "$failed" = 0 ]
