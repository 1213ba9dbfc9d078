# bench/lib.sh: helpers shared by the bench scripts; sourced (bash).
# shellcheck shell=bash

# stats: "n median min max" of the numbers on stdin, one a line ("0 - - -" for none); the
# median of an even count is the mean of the middle two. Printed with %g.
stats() {
	sort -g | awk '{ v[++n] = $1 + 0 }
	END {
		if (!n) { print "0 - - -"; exit }
		printf "%d %g %g %g\n", n, (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, v[1], v[n]
	}'
}
