#!/bin/bash
# tests/xen-patch.sh: check our xl patches and the patched xl's parsing (TAP).
#
# Usage: [XEN=4.17|4.20] tests/xen-patch.sh
#
# For the Xen the lab runs, $XEN (make check runs it for 4.17, whose source Debian serves).  4.20's xl needs
# trixie's glibc, which this machine (bookworm) lacks: its runs below go through trixie's
# loader and libraries from the lab's unpacked Xen 4.20 (lab/fetch.sh), as in dom0.
#
# Prints TAP ("ok N - ..." / "not ok N - ...", then the plan) and exits 0
# even when checks fail; only a broken environment makes it die early.
#
# What runs here, without Xen:
#   - every patch in xen/patches/series applies (git apply --check and
#     patch --dry-run) in order to a pristine copy of Debian's unpacked
#     source, and has a subject and a Signed-off-by;
#   - xen/build-xl.sh builds the patched xl (cached) linked to the sonames
#     of Debian's $XEN libraries;
#   - "xl -N create" (dry run: print the domain config JSON) for pvh=...
#     configs.  xl opens the hypervisor and xenstore before any subcommand,
#     even a dry run, and fails outside dom0 ("cannot init xl context"), so
#     these run with xen/xl-dryrun-shim.c preloaded: it fakes only those
#     handles, physinfo and version info; the parser, libxlutil and libxl's
#     JSON are the real ones.  Real guest creation is left to the lab
#     (its --xl PATH option).

# The predicates below run through check "$@", which shellcheck cannot see.
# shellcheck disable=SC2317

set -euo pipefail
TESTDIR=$(cd "$(dirname "$0")" && pwd)
. "$TESTDIR/../scripts/lib.sh"
XENDIR=$TOP/xen
PATCHDIR=$XENDIR/patches

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $*"; }
# check DESC CMD...: one TAP line from CMD's exit status.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
diag() { printf '# %s\n' "$@"; }

need_pkgs git patch binutils gcc perl

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t patches < <(grep -v '^[[:space:]]*\(#\|$\)' "$PATCHDIR/series")

# --- the patches ----------------------------------------------------------

say "fetching Debian's xen source"
if src=$("$XENDIR/fetch-src.sh" 2>"$tmp/fetch.log"); then
	say "copying pristine $src"
	cp -a "$src" "$tmp/src"
else
	sed 's/^/# /' "$tmp/fetch.log"
	src=
fi

# Applied one after another, so a later patch is checked on top of the
# earlier ones, as the build applies them.
for p in "${patches[@]}"; do
	if [ -z "$src" ]; then
		not_ok "$p applies to Debian's xen source (source not available)"
	elif [ ! -f "$PATCHDIR/$p" ]; then
		not_ok "$p applies to Debian's xen source (listed in series, missing)"
	elif (cd "$tmp/src" && git apply --check "$PATCHDIR/$p" &&
	      patch -p1 --dry-run --batch --quiet <"$PATCHDIR/$p" >/dev/null &&
	      git apply "$PATCHDIR/$p"); then
		ok "$p applies to the xen source ${src##*/} (git apply --check, patch -p1)"
	else
		not_ok "$p applies to the xen source ${src##*/} (git apply --check, patch -p1)"
	fi
done

for p in "${patches[@]}"; do
	f=$PATCHDIR/$p
	check "$p has a subject" \
		grep -Eq '^Subject: (\[PATCH[^]]*\] )?[a-z0-9/_-]+: .+' "$f"
	check "$p is signed off" \
		grep -q '^Signed-off-by: .\+ <.\+@.\+>$' "$f"
done

unlisted=$(cd "$PATCHDIR" && for f in *.patch; do
	printf '%s\n' "${patches[@]}" | grep -qxF "$f" || echo "$f"; done)
check "every patch in xen/patches is listed in series" test -z "$unlisted"

# --- the patched xl -------------------------------------------------------

say "building patched xl (cached)"
if xl=$("$XENDIR/build-xl.sh" 2>"$tmp/build.log") && [ -x "$xl" ]; then
	ok "patched xl builds: $xl"
else
	sed 's/^/# /' "$tmp/build.log" | tail -20
	not_ok "patched xl builds"
	xl=
fi

want_needed="libc.so.6 libxenlight.so.$XEN libxentoollog.so.1 libxlutil.so.$XEN libyajl.so.2"
if [ -n "$xl" ]; then
	needed=$(readelf -d "$xl" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | xargs)
	check "xl links to Debian $XEN's sonames ($want_needed)" \
		test "$needed" = "$want_needed"
else
	not_ok "xl links to Debian $XEN's sonames # no xl"
fi

# The pod in the patched build tree is what the patch makes of the man page.
pod_ok() {
	local pod=$CACHE/xen/build-$XEN/docs/man/xl.cfg.5.pod.in
	grep -q '^=item B<pvh=BOOLEAN>' "$pod" && podchecker "$pod" 2>/dev/null
}
check "xl.cfg(5) documents pvh=BOOLEAN and is valid pod" pod_ok

# --- parse behaviour, dry run ---------------------------------------------

# The lab's unpacked Xen $XEN (lab/fetch.sh): Debian's own xl for the control below, and
# for 4.20 trixie's loader and libc, without which its xl does not run on this machine.
labenv=$CACHE/lab/lab.env
# xen_root: that tree, from lab.env (nothing if lab/fetch.sh has not unpacked Xen $XEN)
xen_root() {
	# shellcheck source=/dev/null
	(. "$labenv" 2>/dev/null && [ -n "$XEN_VERSION" ] && echo "$XEN_ROOT") || true
}
xroot=$(xen_root)
if [ -z "$xroot" ] && "$TOP/lab/fetch.sh" >/dev/null 2>&1; then xroot=$(xen_root); fi
xlib=${xroot:+$xroot/usr/lib/x86_64-linux-gnu}
# xlrun: what runs an xl of this Xen here (nothing for 4.17's: bookworm's own)
xlrun=()
if [ "$XEN" != 4.17 ]; then
	if [ -n "$xlib" ] && [ -x "$xlib/ld-linux-x86-64.so.2" ]; then
		xlrun=("$xlib/ld-linux-x86-64.so.2" --library-path "$xlib")
	else
		not_ok "trixie's loader and libc for Xen $XEN's xl (lab/fetch.sh failed)"
		xl=
	fi
fi

# The shim is compiled against the libxl headers xl was (build-xl.sh's info): libxl's
# structures differ between Xen releases.
shim=$CACHE/xen/xl-dryrun-shim-$XEN.so
info=${xl:+$(dirname "$xl")/info}
if [ -n "$xl" ] && { [ ! -f "$shim" ] || [ "$XENDIR/xl-dryrun-shim.c" -nt "$shim" ] ||
	[ "$info" -nt "$shim" ]; }; then
	say "building $shim"
	mkdir -p "${shim%/*}"
	gcc -Wall -O2 -shared -fPIC -I "$(sed -n 's/^include //p' "$info")" -o "$shim" \
		"$XENDIR/xl-dryrun-shim.c" || die "cannot build $shim"
fi

if [ -n "$xl" ] && ! [ -e /dev/xen/privcmd ]; then
	if ${xlrun[@]+"${xlrun[@]}"} "$xl" -N create /dev/null >/dev/null 2>"$tmp/err"; then
		diag "xl -N create ran without the shim: this looks like dom0"
	else
		diag "without Xen, xl -N create fails: $(tail -1 "$tmp/err")"
		diag "so the dry runs below preload xen/xl-dryrun-shim.c"
	fi
fi

# cfg NAME LINE...: a minimal PV-bootable config plus the given lines.
cfg() {
	local name=$1; shift
	{
		echo 'name = "t"'
		echo 'kernel = "/boot/vmlinuz"'
		echo 'memory = 256'
		printf '%s\n' "$@"
	} >"$tmp/$name.cfg"
}
# dry XL NAME: xl -N create NAME.cfg; JSON to NAME.out, stderr to NAME.err,
# exit status to NAME.rc.  Reads no other state: no xl.conf on this machine.
dry() {
	local rc=0
	LD_PRELOAD=$shim ${xlrun[@]+"${xlrun[@]}"} "$1" -N create "$tmp/$2.cfg" \
		>"$tmp/$2.out" 2>"$tmp/$2.err" || rc=$?
	echo "$rc" >"$tmp/$2.rc"
}
# show NAME: NAME's stderr as TAP diagnostics, then fail.
show() { sed 's/^/#   /' "$tmp/$1.err"; return 1; }
# type_is NAME TYPE: the dry run succeeded and built a TYPE guest.
type_is() {
	local type
	type=$(sed -n 's/^ *"type": "\(.*\)",\?$/\1/p' "$tmp/$1.out" | head -1)
	if [ "$(cat "$tmp/$1.rc")" != 0 ] || [ "$type" != "$2" ]; then
		show "$1"
	fi
}
# refused NAME KEY...: the dry run failed, printed no config, and its error
# names every KEY in quotes, as xl's messages do.
refused() {
	local name=$1 key; shift
	[ "$(cat "$tmp/$name.rc")" != 0 ] && [ ! -s "$tmp/$name.out" ] || show "$name" || return
	for key; do grep -q "\"$key\"" "$tmp/$name.err" || show "$name" || return; done
}
# note_lines NAME: the lines that tell about pvh=1 and type="pvh".
note_lines() { grep 'pvh=1' "$tmp/$1.err" | grep 'type="pvh"'; }
noted() { note_lines "$1" >/dev/null; }
not_noted() { ! noted "$1"; }
noted_once() { [ "$(note_lines "$1" | wc -l)" = 1 ]; }
# same_config A B: the two dry runs printed the same JSON but for the uuid.
same_config() {
	[ -s "$tmp/$1.out" ] && diff <(grep -v '"uuid"' "$tmp/$1.out") <(grep -v '"uuid"' "$tmp/$2.out") >/dev/null
}

if [ -n "$xl" ]; then
	cfg pvh1 'pvh = 1';			dry "$xl" pvh1
	cfg typepvh 'type = "pvh"';		dry "$xl" typepvh
	cfg pvh1pvh 'pvh = 1' 'type = "pvh"';	dry "$xl" pvh1pvh
	cfg pvh1hvm 'pvh = 1' 'type = "hvm"';	dry "$xl" pvh1hvm
	cfg pvh1pv 'pvh = 1' 'type = "pv"';	dry "$xl" pvh1pv
	cfg pvh1gen 'pvh = 1' 'builder = "generic"'; dry "$xl" pvh1gen
	cfg pvh1bhvm 'pvh = 1' 'builder = "hvm"'; dry "$xl" pvh1bhvm
	cfg pvh0 'pvh = 0';			dry "$xl" pvh0
	cfg none;				dry "$xl" none
	cfg pvh0hvm 'pvh = 0' 'type = "hvm"';	dry "$xl" pvh0hvm
	cfg pvhyes 'pvh = "yes"';		dry "$xl" pvhyes

	check 'pvh=1 makes a PVH guest' type_is pvh1 pvh
	check 'pvh=1 prints a note that type="pvh" is the current spelling' \
		noted_once pvh1
	check 'pvh=1 gives the same domain config as type="pvh"' \
		same_config pvh1 typepvh
	check 'type="pvh" alone prints no pvh note' not_noted typepvh
	check 'pvh=1 with type="pvh" is accepted' type_is pvh1pvh pvh
	check 'pvh=1 with type="hvm" fails naming "pvh" and "type"' \
		refused pvh1hvm pvh type
	check 'pvh=1 with type="pv" fails naming "pvh" and "type"' \
		refused pvh1pv pvh type
	check 'pvh=1 with builder="generic" fails naming "pvh" and "builder"' \
		refused pvh1gen pvh builder
	check 'pvh=1 with builder="hvm" fails naming "pvh" and "builder"' \
		refused pvh1bhvm pvh builder
	check 'pvh=0 stays PV' type_is pvh0 pv
	check 'pvh=0 prints no note' not_noted pvh0
	check 'no pvh key stays PV' type_is none pv
	check 'pvh=0 leaves type="hvm" alone' type_is pvh0hvm hvm
	check 'pvh="yes" (not a number) is an error' refused pvhyes pvh
else
	not_ok 'dry-run parse checks # no patched xl'
fi

# Control: Debian's own xl, as the lab unpacks it, shows the bug we fix; if
# it did not, the checks above would prove nothing about the patch.
stock=$xroot/usr/lib/xen-$XEN/bin/xl
if [ -n "$xroot" ] && [ -x "$stock" ] && [ -n "$xl" ]; then
	LD_LIBRARY_PATH=$xlib dry "$stock" pvh1
	check "control: Debian's unpatched xl ignores pvh=1 and makes a PV guest" \
		type_is pvh1 pv
else
	ok "control: Debian's unpatched xl ignores pvh=1 # SKIP no patched xl, or no $stock (lab/fetch.sh failed)"
fi

echo "1..$n"
say "$((n - failed)) passed, $failed failed"
exit 0
