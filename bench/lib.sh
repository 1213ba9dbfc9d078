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
	bench_copy_kernel "$ours" "$tmp/bzImage"
	ours_sum=$(sha256sum <"$tmp/bzImage" | cut -c1-16)
}

# bench_upstream COPY: a private copy of upstream's PVH built with our config ($upstream, by
# default scripts/build-upstream.sh's), its sha256 prefix in $up_sum.
bench_upstream() {
	upstream=${upstream:-$BUILD/upstream/obj/arch/x86/boot/bzImage}
	[ -f "$upstream" ] || die "no kernel $upstream (scripts/build-upstream.sh builds it)"
	bench_copy_kernel "$upstream" "$1"
	up_sum=$(sha256sum <"$1" | cut -c1-16)
}

# bench_copy_kernel BZIMAGE COPY: a private copy of a kernel, so that a rebuild during the run
# does not change what is measured; a kernel being relinked under us shows as a size or mtime
# change during the copy.
bench_copy_kernel() {
	local try s0 s1
	say "copying the kernel $1"
	for try in 1 2 3; do
		s0=$(stat -c %s.%Y "$1"); cp "$1" "$2"; s1=$(stat -c %s.%Y "$1")
		[ "$s0" = "$s1" ] && [ "$(stat -c %s "$2")" = "${s1%.*}" ] && break
		[ $try = 3 ] && die "$1 keeps changing (being rebuilt?): try again later"
		say "$1 changed while copying it; waiting 30 s"; sleep 30
	done
	[ "$(dd if="$2" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] ||
		die "$1 is not a bzImage (no HdrS header)"
}

# ratio A B: A / B to two places (0 when B is 0), "-" when either is "-"
ratio() {
	if [ "$1" = - ] || [ "$2" = - ]; then echo -
	else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; fi
}

# above R MAX: true when the ratio R is more than MAX (a missed target)
above() { awk -v r="$1" -v m="$2" 'BEGIN { exit !(r > m) }'; }

# bench_record: the section on stdin goes to stdout when $results is "-", else is appended
# to $results
bench_record() {
	if [ "$results" = - ]; then cat; else cat >>"$results"; say "appended to $results"; fi
}
