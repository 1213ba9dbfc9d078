#!/bin/bash
# scripts/warnings.sh TREE OUT: does the series add compiler or sparse warnings?
#
# Builds, with `make C=2 W=1`, the Xen directories (arch/x86/xen, drivers/xen)
# and every other object whose source the series changes, once in TREE (the
# series applied, configured in OUT) and once in the base, with the same
# .config.  Warnings are compared without line numbers; any that the base does
# not have fail.  Prints one TAP line, the new warnings on stderr.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: warnings.sh TREE OUT"
tree=$(cd "$1" && pwd)
out=$(cd "$2" && pwd)
[ -f "$out/.config" ] || die "$out has no .config: build the tree first"
need_pkgs sparse

# Objects of files the series adds have no base build: they count as
# having no warnings there.
targets="arch/x86/xen/ drivers/xen/"
base_targets=$targets
for f in $(git -C "$tree" diff --name-only --diff-filter=AM base HEAD -- '*.c' '*.S'); do
	case "$f" in arch/x86/xen/*|drivers/xen/*) continue ;; esac
	[ -f "$out/${f%.*}.o" ] || continue
	targets="$targets ${f%.*}.o"
	[ -f "$KREPO/$f" ] && base_targets="$base_targets ${f%.*}.o"
done

# warnings_of SRC OUTDIR TARGETS: normalised warnings of a C=2 W=1 build.
# The objects are removed first: gcc only warns about what it compiles, and
# ccache replays the warnings of a hit, so every run reports all of them.
warnings_of() {
	local t
	for t in $3; do
		case "$t" in
		*/) find "$2/$t" -name '*.o' -delete 2>/dev/null || true ;;
		*) rm -f "$2/$t" ;;
		esac
	done
	# A failing build shows up as its error lines; no warning at all is fine.
	# shellcheck disable=SC2086
	{ make -C "$1" O="$2" -j"$(nproc)" -k C=2 W=1 CC="ccache gcc" HOSTCC="ccache gcc" \
		KBUILD_BUILD_TIMESTAMP=@0 $3 2>&1 >/dev/null || true; } |
		{ grep -E ': (warning|error):|No rule to make target' || true; } |
		sed -E -e "s#^($1|$2|$(realpath --relative-to="$2" "$1"))/##" \
			-e 's/:[0-9]+(:[0-9]+)?:/:/' | sort -u
}

exec 9>/tmp/xen-pvh-kbuild.lock
flock 9
# One per base: an object directory built from one tree looks up to date to the other.
basedir=$CACHE/warnings-base/$BASE
key=$(cat "$0" "$out/.config" <(echo "$base_targets") <(git -C "$KREPO" rev-parse base) |
	sha1sum | cut -c1-12)
if [ ! -f "$basedir/$key.txt" ]; then
	say "base: C=2 W=1 build of $base_targets"
	mkdir -p "$basedir/obj"
	cp "$out/.config" "$basedir/obj/.config"
	make -C "$KREPO" O="$basedir/obj" -s olddefconfig >/dev/null
	warnings_of "$KREPO" "$basedir/obj" "$base_targets" >"$basedir/$key.tmp"
	mv "$basedir/$key.tmp" "$basedir/$key.txt"
fi
say "series: C=2 W=1 build of $targets"
warnings_of "$tree" "$out" "$targets" >"$out/warnings-w1.txt"
new=$(comm -13 "$basedir/$key.txt" "$out/warnings-w1.txt")
desc="C=2 W=1 adds no warning ($(wc -l <"$basedir/$key.txt") in base, $(wc -l <"$out/warnings-w1.txt") with the series): $targets"
if [ -z "$new" ]; then
	echo "ok 1 - $desc"
else
	echo "not ok 1 - $desc"
	echo "$new" | sed 's/^/+ /' >&2
	exit 1
fi
