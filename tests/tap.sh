# tests/tap.sh: TAP helpers for the tests; sourced, never run.
#
#   tap STATUS DESCRIPTION [DETAIL...]   STATUS 0 is "ok"; details follow a failure
#   skip DESCRIPTION REASON
# $failed is 1 once any test failed: end a test script with `exit $failed`.
n=0 failed=0
tap() {
	local st=$1 d=$2 l
	shift 2
	n=$((n + 1))
	if [ "$st" = 0 ]; then echo "ok $n - $d"; return; fi
	failed=1
	echo "not ok $n - $d"
	for l in "$@"; do echo "#   $l"; done
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
