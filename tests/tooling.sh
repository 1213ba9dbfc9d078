#!/bin/bash
# tests/tooling.sh: tests of the series tooling that need no kernel build.
# `make apply` must refuse bad trees without touching them; the manifest check
# must notice a file that is in no commit.  Prints TAP.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"
n=0
tap() {	# tap COND-EXIT-STATUS DESC
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fake_tree DIR VERSION PATCHLEVEL SUBLEVEL: a committed git tree that looks like Linux.
fake_tree() {
	mkdir -p "$1"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\nEXTRAVERSION =\n' "$2" "$3" "$4" >"$1/Makefile"
	echo "int x;" >"$1/file.c"
	git -C "$1" init -q
	git -C "$1" add -A
	git -C "$1" -c user.name=t -c user.email=t@t commit -q -m init
}
# state DIR: everything `make apply` must leave alone.
state() { git -C "$1" rev-parse HEAD; git -C "$1" status --porcelain; cat "$1/file.c"; }

# A series that cannot apply to the fake trees, so a wrong refusal check
# would show up as a changed tree rather than pass by accident.
export BUILD=$tmp/build
mkdir -p "$BUILD/series"
cat >"$BUILD/series/0001-test.patch" <<'P'
From: t <t@t>
Subject: [PATCH] test

Signed-off-by: t <t@t>
---
diff --git a/file.c b/file.c
--- a/file.c
+++ b/file.c
@@ -1 +1 @@
-int y;
+int z;
P

fake_tree "$tmp/dirty" 6 12 117
echo "int dirty;" >>"$tmp/dirty/file.c"
before=$(state "$tmp/dirty")
msg=$("$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/dirty" 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "uncommitted changes" && [ "$(state "$tmp/dirty")" = "$before" ]
tap $? "apply refuses a dirty 6.12 tree with a clear message and leaves it as it was"

fake_tree "$tmp/untracked" 6 12 117
echo new >"$tmp/untracked/new.c"
before=$(state "$tmp/untracked")
msg=$("$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/untracked" 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "untracked" && [ "$(state "$tmp/untracked")" = "$before" ]
tap $? "apply refuses a tree with untracked files and leaves it as it was"

fake_tree "$tmp/old" 6 1 0
before=$(state "$tmp/old")
msg=$("$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/old" 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "it is Linux 6.1.0, the series is for 7.3.y (mainline) and 6.12.y (LTS)" && [ "$(state "$tmp/old")" = "$before" ]
tap $? "apply refuses a Linux 6.1 tree with a clear message and leaves it as it was"

fake_tree "$tmp/v613" 6 13 2
msg=$("$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/v613" 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "it is Linux 6.13.2"
tap $? "apply refuses a Linux 6.13 tree"

fake_tree "$tmp/v72" 7 2 13
before=$(state "$tmp/v72")
msg=$("$TOP/scripts/apply.sh" "$tmp/v72" 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "it is Linux 7.2.13" && [ "$(state "$tmp/v72")" = "$before" ]
tap $? "apply refuses a Linux 7.2 tree before building any series, and leaves it as it was"

mkdir -p "$tmp/nogit"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 1\n' >"$tmp/nogit/Makefile"
msg=$("$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/nogit" 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "not a git work tree" && [ ! -e "$tmp/nogit/.git" ]
tap $? "apply refuses a tree that is not a git work tree"

fake_tree "$tmp/clean" 6 12 117
before=$(state "$tmp/clean")
msg=$("$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/clean" 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "does not apply" && [ "$(state "$tmp/clean")" = "$before" ] &&
	[ ! -d "$tmp/clean/.git/rebase-apply" ]
tap $? "a series that does not apply is aborted and the tree is left as it was"

sed -i 's/^-int y;/-int x;/' "$BUILD/series/0001-test.patch"
"$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/clean" >/dev/null 2>&1 && grep -q 'int z;' "$tmp/clean/file.c" &&
	[ "$(git -C "$tmp/clean" log -1 --format=%s)" = test ]
tap $? "a series that applies is committed with git am"

fake_tree "$tmp/v73" 7 3 4
"$TOP/scripts/apply.sh" --series "$BUILD/series" "$tmp/v73" >/dev/null 2>&1 && grep -q 'int z;' "$tmp/v73/file.c"
tap $? "a Linux 7.3 tree is taken too"
unset BUILD

# The manifest check, on a copy of this repo's files with one file in no commit.
mkdir -p "$tmp/repo"
(cd "$TOP" && git ls-files --cached --others --exclude-standard | grep -v '^build/' |
	cpio -pdm --quiet "$tmp/repo")
git -C "$tmp/repo" init -q
git -C "$tmp/repo" add -A
BUILD=$tmp/b "$tmp/repo/scripts/series.sh" --check-manifest >/dev/null 2>&1
tap $? "series/series names every file of ours exactly once"
mkdir -p "$tmp/repo/drivers/xen"
echo "/* orphan */" >"$tmp/repo/drivers/xen/orphan.c"
git -C "$tmp/repo" add -A
msg=$(BUILD=$tmp/b "$tmp/repo/scripts/series.sh" --check-manifest 2>&1); rc=$?
[ $rc != 0 ] && echo "$msg" | grep -q "drivers/xen/orphan.c is not named in series/series"
tap $? "a file of ours that is in no commit is reported"
