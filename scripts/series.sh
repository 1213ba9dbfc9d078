#!/bin/bash
# scripts/series.sh [--check-manifest]: build the series branch and export it.
#
# Reads series/series, and on a fresh branch "xen-pvh" at the base commit
# makes one commit per line: patches applied with `git apply`, our files
# copied in, and MAINTAINERS given the part of MAINTAINERS.pvh that covers
# the files added so far (scripts/maintainers.sh).  The tree is $BUILD/linux/src.
#
# The manifest and our files are written for mainline (BASE=7.3).  For an older base,
# base/$BASE/ holds what differs, at the same paths: base/$BASE/X.patch replaces the hook
# (or strip) patch X.patch where upstream's file differs, and base/$BASE/F.patch, for a file
# F of ours, is applied after F is copied in (an API the older kernel spells differently).
# A commit message series/NAME.msg and the cover text series/cover.txt are files of ours
# too: base/$BASE/series/NAME.msg.patch changes what differs on that base.
#
# The series is then exported with
# `git format-patch --cover-letter` into $BUILD/series as [PATCH vN nn/NN], N
# from series/version; the cover letter is series/cover.txt with the last
# regression matrix of bench/MATRIX.md and series/changelog filled in, and
# git's shortlog and diffstat.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

manifest=$TOP/series/series
tree=$BUILD/linux/src
outdir=$BUILD/series
author="xen-pvh developers <xen-pvh@localhost>"

# manifest_lines: "NAME PATH..." for every commit, comments dropped.
manifest_lines() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e 's/:/ /' "$manifest"
}

# check_manifest: every commit has a message, every path exists, and every
# file of ours is named exactly once, so nothing is left out or kept twice.
check_manifest() {
	local name path src listed ours dup errs=0
	while read -r name paths; do
		[ -f "$TOP/series/$name.msg" ] || { say "$name: no series/$name.msg"; errs=1; }
		grep -q '^Signed-off-by: ' "$TOP/series/$name.msg" 2>/dev/null ||
			{ say "$name: message has no Signed-off-by"; errs=1; }
		for path in $paths; do
			src=${path%%=*}
			[ -f "$TOP/$src" ] || { say "$name: $src does not exist"; errs=1; }
		done
	done < <(manifest_lines)
	for path in $(cd "$TOP" && git ls-files --cached --others --exclude-standard -- base); do
		src=${path#base/*/}
		case "$src" in
		series/*.msg.patch|series/cover.txt.patch)
			[ -f "$TOP/${src%.patch}" ] || { say "$path: no ${src%.patch} to change"; errs=1; } ;;
		*.patch) manifest_lines | tr ' ' '\n' | sed 's/=.*//' | grep -qx -e "$src" -e "${src%.patch}" ||
			{ say "$path: no commit names $src or ${src%.patch}"; errs=1; } ;;
		*) say "$path: base/ holds only patches"; errs=1 ;;
		esac
	done
	listed=$(manifest_lines | cut -d' ' -f2- | tr ' ' '\n' | sed 's/=.*//' | sed '/^$/d' | sort)
	dup=$(echo "$listed" | uniq -d)
	[ -z "$dup" ] || { say "named more than once in series/series: $dup"; errs=1; }
	ours=$(cd "$TOP" && git ls-files --cached --others --exclude-standard -- \
		arch drivers include Documentation tools Kconfig.pvh 'series/*.patch' | grep -v '/\.gitkeep$' | sort)
	for path in $(comm -23 <(echo "$ours") <(echo "$listed")); do
		say "$path is not named in series/series"
		errs=1
	done
	for path in $(ls "$TOP"/series/*.msg 2>/dev/null); do
		name=$(basename "$path" .msg)
		manifest_lines | grep -q "^$name " || { say "series/$name.msg: no such commit"; errs=1; }
	done
	return $errs
}

# for_base FILE: the path of a text of ours (a commit message, the cover text) as this base
# has it: FILE itself, or a copy changed by base/$BASE/FILE.patch.
for_base() {
	local p=$TOP/base/$BASE/$1.patch out
	[ -f "$p" ] || { echo "$TOP/$1"; return; }
	out=$BUILD/texts/$1
	mkdir -p "${out%/*}"
	patch -s -o "$out" "$TOP/$1" "$p" || die "$p does not apply to $1"
	echo "$out"
}

# apply_one NAME PATCH: apply one of our patches to the tree and its index.
apply_one() {
	git -C "$tree" apply --index --whitespace=error-all "$TOP/$2" ||
		die "$1: $2 does not apply to $(kernel_version "$tree")"
}

# commit_one NAME PATH...: one commit of the series.
commit_one() {
	local name=$1 path src dst n=$2
	shift 2
	for path in "$@"; do
		src=${path%%=*}
		dst=${path#*=}
		case "$src" in
		*.patch)
			[ -f "$TOP/base/$BASE/$src" ] && src=base/$BASE/$src
			apply_one "$name" "$src"
			;;
		*)
			install -D -m 644 "$TOP/$src" "$tree/$dst"
			git -C "$tree" add -f "$dst"
			[ ! -f "$TOP/base/$BASE/$src.patch" ] || apply_one "$name" "base/$BASE/$src.patch"
			;;
		esac
	done
	"$TOP/scripts/maintainers.sh" "$tree"
	# Fixed dates keep commit ids, and so the exported patches, stable.
	GIT_AUTHOR_DATE="@$((1700000000 + n)) +0000" GIT_COMMITTER_DATE="@$((1700000000 + n)) +0000" \
		git -C "$tree" -c user.name="${author% <*}" -c user.email=xen-pvh@localhost \
		commit -q --allow-empty-message -F "$(for_base "series/$name.msg")" ||
		die "$name: commit failed (no change?)"
}

need_pkgs git python3
check_manifest || die "series/series and the files do not match (see above)"
[ "${1:-}" = --check-manifest ] && { say "series/series names every file once"; exit 0; }
ver=$("$TOP/scripts/base.sh")

say "building branch xen-pvh on base $ver in $tree"
# The tree is a clone of its own, not a worktree of $KREPO: the cache is
# shared by every checkout of this project on the machine, and a branch can
# be checked out in only one worktree.  --local hardlinks the objects, so the
# clone is quick and survives base.sh replacing $KREPO.
if [ ! -d "$tree/.git" ]; then
	rm -rf "$tree"
	git -C "$KREPO" worktree prune
	mkdir -p "$BUILD"
	git clone -q --local --no-checkout "$KREPO" "$tree"
fi
git -C "$tree" fetch -q -f "$KREPO" "+refs/tags/base:refs/tags/base"
git -C "$tree" checkout -q -f -B xen-pvh base
git -C "$tree" clean -q -fdx

n=0
while read -r name paths; do
	n=$((n + 1))
	say "[$n] $name"
	# shellcheck disable=SC2086
	commit_one "$name" "$n" $paths
done < <(manifest_lines)

"$TOP/scripts/maintainers.sh" --check "$tree" ||
	die "MAINTAINERS.pvh and the files the series adds do not match (see above)"

version=$(cat "$TOP/series/version")
[[ "$version" =~ ^[1-9][0-9]*$ ]] || die "series/version must hold a version number, not '$version'"
prefix=PATCH
[ "$version" = 1 ] || prefix="PATCH v$version"
say "exporting $n patches to $outdir as [$prefix]"
rm -rf "$outdir"
git -C "$tree" -c user.name="${author% <*}" -c user.email=xen-pvh@localhost \
	format-patch -q --cover-letter --thread=shallow \
	--subject-prefix="$prefix" -o "$outdir" base..xen-pvh >/dev/null
cover=$(ls "$outdir"/0000-cover-letter.patch)
cover_txt=$(for_base series/cover.txt)
subject=$(head -1 "$cover_txt")
# The cover text, with @MATRIX@ replaced by the last table of bench/MATRIX.md and
# @CHANGELOG@ by series/changelog.
python3 - "$cover" "$TOP" "$ver" "$cover_txt" <<'PY'
import os
import re
import sys
cover, top, ver, cover_txt = sys.argv[1:5]
subject, body = open(cover_txt).read().split("\n", 1)
matrix = "Regression matrix: none recorded yet (make check-full writes bench/MATRIX.md)."
path = f"{top}/bench/MATRIX.md"
if os.path.exists(path):
    runs = re.split(r"(?m)^## ", open(path).read())
    if len(runs) > 1:
        matrix = "Regression matrix (bench/MATRIX.md, " + runs[-1].strip()
        matrix = matrix.replace("\n", ")\n", 1)
body = body.replace("@MATRIX@", matrix.strip())
body = body.replace("@CHANGELOG@", open(f"{top}/series/changelog").read().strip())
s = open(cover).read()
s = s.replace("*** SUBJECT HERE ***", subject)
s = s.replace("*** BLURB HERE ***", body.strip("\n") + f"\n\nBased on Linux {ver} (Debian linux-source-{ver.rsplit('.', 1)[0]}).")
open(cover, "w").write(s)
PY
say "series: $(git -C "$tree" rev-list --count base..xen-pvh) commits on $ver; cover letter '$subject'"
ls "$outdir"
