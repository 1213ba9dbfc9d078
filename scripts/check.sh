#!/bin/bash
# scripts/check.sh SUITE...: run test suites, print their TAP, and close with
# one line "N passed, N failed, N skipped".
#
# A SUITE is a command that prints TAP lines ("ok N - ...", "not ok N - ...",
# "... # SKIP reason") on stdout.  A suite that exits non-zero without
# printing a failure counts as one failed test, so a crash cannot pass.
# Exits non-zero if anything failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

pass=0 fail=0 skip=0
log=$BUILD/check.log
mkdir -p "$BUILD"
: >"$log"
start=$(date +%s)
for suite in "$@"; do
	echo "# suite: $suite" | tee -a "$log"
	t0=$(date +%s)
	out=$(mktemp)
	bash -c "$suite" >"$out" 2> >(tee -a "$log" >&2)
	rc=$?
	tee -a "$log" <"$out"
	sp=$(grep -c '^ok ' "$out")
	ss=$(grep -c -i '^ok .*# skip' "$out")
	sp=$((sp - ss))
	sf=$(grep -c '^not ok ' "$out")
	if [ "$rc" != 0 ] && [ "$sf" = 0 ]; then
		echo "not ok - $suite exited $rc without reporting a failure" | tee -a "$log"
		sf=1
	fi
	rm -f "$out"
	echo "# $suite: $sp passed, $sf failed, $ss skipped in $(( $(date +%s) - t0 ))s" | tee -a "$log"
	pass=$((pass + sp)) fail=$((fail + sf)) skip=$((skip + ss))
done
echo "# total time $(( $(date +%s) - start ))s, log in $log"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
