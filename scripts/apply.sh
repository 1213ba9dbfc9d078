#!/bin/bash
# scripts/apply.sh KERNEL: apply the exported series to a user's kernel git tree.
#
# Refuses, changing nothing, a tree that is not a git work tree, has
# uncommitted changes or untracked files, is in the middle of a rebase or am,
# or is not Linux 6.12.y.  Applies with `git am`; if a patch does not apply,
# the am is aborted, so the tree is left exactly as it was.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] && [ -n "$1" ] || die "usage: make apply KERNEL=/path/to/linux-6.12.y-git-tree"
k=$1
series=$BUILD/series

[ -d "$k" ] || die "refusing $k: no such directory"
git -C "$k" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	die "refusing $k: not a git work tree (git am needs one)"
top=$(git -C "$k" rev-parse --show-toplevel)
ver=$(kernel_version "$top")
case "$ver" in
6.12.*) ;;
"") die "refusing $top: no Linux top-level Makefile with VERSION/PATCHLEVEL/SUBLEVEL" ;;
*) die "refusing $top: it is Linux $ver, the series is for 6.12.y" ;;
esac
gitdir=$(git -C "$top" rev-parse --git-dir)
case "$gitdir" in /*) ;; *) gitdir=$top/$gitdir ;; esac
{ [ -d "$gitdir/rebase-apply" ] || [ -d "$gitdir/rebase-merge" ]; } &&
	die "refusing $top: a rebase or git am is in progress"
dirty=$(git -C "$top" status --porcelain --untracked-files=normal | head -5)
[ -z "$dirty" ] || die "refusing $top: the tree has uncommitted changes or untracked files:
$dirty"

[ -d "$series" ] || die "no exported series in $series: run 'make series' first"
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
