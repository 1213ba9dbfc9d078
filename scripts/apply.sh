#!/bin/bash
# scripts/apply.sh [--series DIR] KERNEL: apply the series for KERNEL's version to a user's
# kernel git tree.
#
# Refuses, changing nothing, a tree that is not a git work tree, has
# uncommitted changes or untracked files, is in the middle of a rebase or am,
# or is neither Linux 7.3.y nor 6.12.y.  Builds and exports the series of the
# tree's base (scripts/series.sh with BASE=7.3 or 6.12), then applies it with
# `git am`; if a patch does not apply, the am is aborted, so the tree is left
# exactly as it was.  --series DIR applies an export made before (the patches in DIR)
# instead of building one.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=
if [ "${1:-}" = --series ]; then
	series=${2:-}
	shift 2 || true
fi
[ $# = 1 ] && [ -n "$1" ] || die "usage: make apply KERNEL=/path/to/linux-7.3.y-or-6.12.y-git-tree"
k=$1

[ -d "$k" ] || die "refusing $k: no such directory"
git -C "$k" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	die "refusing $k: not a git work tree (git am needs one)"
top=$(git -C "$k" rev-parse --show-toplevel)
ver=$(kernel_version "$top")
case "$ver" in
7.3.*) base=7.3 ;;
6.12.*) base=6.12 ;;
"") die "refusing $top: no Linux top-level Makefile with VERSION/PATCHLEVEL/SUBLEVEL" ;;
*) die "refusing $top: it is Linux $ver, the series is for 7.3.y (mainline) and 6.12.y (LTS)" ;;
esac
gitdir=$(git -C "$top" rev-parse --git-dir)
case "$gitdir" in /*) ;; *) gitdir=$top/$gitdir ;; esac
{ [ -d "$gitdir/rebase-apply" ] || [ -d "$gitdir/rebase-merge" ]; } &&
	die "refusing $top: a rebase or git am is in progress"
dirty=$(git -C "$top" status --porcelain --untracked-files=normal | head -5)
[ -z "$dirty" ] || die "refusing $top: the tree has uncommitted changes or untracked files:
$dirty"

if [ -z "$series" ]; then
	# $BUILD is the default base's directory; each base has its own beside it.
	build=${BUILD%/*}/$base
	say "building the $base series for Linux $ver"
	BASE=$base BUILD=$build "$TOP/scripts/series.sh" >/dev/null ||
		die "could not build the $base series; $top is unchanged"
	series=$build/series
fi
[ -d "$series" ] || die "no exported series in $series"
patches=$(ls "$series"/0*.patch | grep -v '/0000-cover-letter.patch$')
head=$(git -C "$top" rev-parse HEAD)
say "applying $(echo "$patches" | wc -l) patches to $top (Linux $ver, HEAD ${head:0:12})"
# shellcheck disable=SC2086
if ! git -C "$top" am -q --3way $patches; then
	git -C "$top" am --abort
	[ "$(git -C "$top" rev-parse HEAD)" = "$head" ] || git -C "$top" reset -q --hard "$head"
	die "the series does not apply to $top (Linux $ver); the tree is unchanged"
fi
say "applied: $(git -C "$top" log --oneline "$head"..HEAD | wc -l) commits on top of ${head:0:12}"
