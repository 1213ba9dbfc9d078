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

# bench_prepare NAME: what a bench script that boots our kernel sets up first. The defaults
# of its -k, -o and -r ($ours, $outdir under $BUILD/bench/NAME, $results); $outdir made and
# absolute; $tmp, a private directory removed on exit, with a copy of our kernel in
# $tmp/bzImage (a rebuild during the run does not change what is measured) and its sha256
# prefix in $ours_sum.
bench_prepare() {
	ours=${ours:-$BUILD/linux/obj/arch/x86/boot/bzImage}
	outdir=${outdir:-$BUILD/bench/$1}
	results=${results:-$TOP/bench/RESULTS.md}
	[ -f "$ours" ] || die "no kernel $ours (make kernel builds it)"
	mkdir -p "$outdir"
	outdir=$(cd "$outdir" && pwd)
	tmp=$(mktemp -d "/tmp/bench-$1.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	say "copying our kernel $ours"
	cp "$ours" "$tmp/bzImage"
	ours_sum=$(sha256sum <"$tmp/bzImage" | cut -c1-16)
}
