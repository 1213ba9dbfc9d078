#!/bin/bash
# xen/build-xl.sh: build Debian's xl with our patches, print the binary's path.
#
# Usage: [XEN=4.17|4.20] xen/build-xl.sh [--force]
#
# Takes Debian's source of the Xen the lab runs, $XEN (xen/fetch-src.sh: 4.17 from bookworm,
# 4.20 from trixie), applies the patches in xen/patches/series on a copy of it and builds
# only tools/xl, against Debian's libxen-dev of the same Xen, so the binary links to the
# sonames the lab's dom0 has: libxenlight.so.$XEN, libxlutil.so.$XEN, libxentoollog.so.1.
# The result goes to $CACHE/xen/xl-patched-$XEN/xl, whose path is printed on stdout.
#
# libxen-dev: 4.17's is bookworm's, installed with apt-get like any build dependency.  4.20's
# is trixie's, which this machine (bookworm) cannot install: it is downloaded with the Xen
# libraries it depends on (scripts/apt-fetch.sh, a private sources list) and unpacked into
# $CACHE/xen/libxen-dev-VERSION.  Those libraries need trixie's glibc (>= 2.38; bookworm has
# 2.36), so xl is linked with -Wl,--allow-shlib-undefined: its own references bind to the
# host's older glibc, which trixie's satisfies too, and the libraries' references are left
# to the dom0's loader.  The host cannot run that xl: the smoke test below runs it with
# trixie's loader and libc from the lab's unpacked Xen 4.20 (lab/fetch.sh), as dom0 will.
#
# Nothing else of the Xen tree is built.  xl needs three things the tree
# only makes during a full tools build, all of which we get elsewhere:
#   - libxl's generated headers (_libxl_types.h, ...): libxen-dev ships them;
#   - tools/config.h from tools/configure (Debian deletes configure, so it
#     would need autoreconf and every tools build dependency): xl uses only
#     the path macros below, pygrub's and the yajl version check, so we write it;
#   - config/Tools.mk for the Makefiles: we call the compiler ourselves,
#     with the flags tools/Rules.mk and debian/rules would give.
#
# The result is cached under a key made of the Xen series, the source version and its
# tools/xl, the libxen-dev version, the patches and this script; a warm run only checks that
# the cached xl still starts.  --force rebuilds anyway.  Compiles go through ccache, niced,
# with at most 2 jobs.

set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
*) die "usage: ${0##*/} [--force]" ;;
esac

PATCHDIR=$HERE/patches
OUT=$CACHE/xen/xl-patched-$XEN
BTREE=$CACHE/xen/build-$XEN	# fixed path per Xen, so ccache hits across rebuilds
MA=x86_64-linux-gnu

need_pkgs gcc make ccache patch dpkg-dev libyajl-dev binutils

src=$("$HERE/fetch-src.sh")
srcver=${src##*/}; srcver=${srcver#xen-}

# devinc, devlib: where libxen-dev's headers and libraries are; devflags, devldflags: how
# the compiler and linker get there (nothing for the installed ones)
devflags=() devldflags=()
if [ "$XEN" = 4.17 ]; then
	need_pkgs libxen-dev
	devver=$(dpkg-query -W -f='${Version}' libxen-dev)
	devinc=/usr/include devlib=/usr/lib/$MA
else
	devdeb=$("$TOP/scripts/apt-fetch.sh" "libxen-dev/trixie")
	devver=$(dpkg-deb -f "$devdeb" Version)
	dev=$CACHE/xen/libxen-dev-$devver
	if [ ! -f "$dev/.unpacked" ]; then
		# the libraries its .so links point to, at exactly its version ("libxenmisc4.20 (= V)")
		mapfile -t libs < <(dpkg-deb -f "$devdeb" Depends |
			tr ',' '\n' | sed -n 's/^ *\([^ ]*\) (= \([^)]*\))$/\1=\2/p')
		[ ${#libs[@]} -gt 0 ] || die "libxen-dev $devver: no Xen libraries among its Depends"
		mapfile -t libdebs < <("$TOP/scripts/apt-fetch.sh" "${libs[@]}")
		[ ${#libdebs[@]} = ${#libs[@]} ] || die "scripts/apt-fetch.sh failed for ${libs[*]}"
		say "unpacking libxen-dev $devver and ${#libdebs[@]} Xen libraries into $dev"
		rm -rf "$dev" "$dev.tmp"
		for d in "$devdeb" "${libdebs[@]}"; do
			dpkg-deb -x "$d" "$dev.tmp" || die "dpkg-deb -x $d failed"
		done
		touch "$dev.tmp/.unpacked"
		mv "$dev.tmp" "$dev"
	fi
	devinc=$dev/usr/include devlib=$dev/usr/lib/$MA
	# -I: before /usr/include, which may hold bookworm's libxen-dev 4.17
	devflags=(-I "$devinc")
	# shellcheck disable=SC2054 # the commas belong to -Wl
	devldflags=(-L "$devlib" -Wl,-rpath-link,"$devlib" -Wl,--allow-shlib-undefined)
fi
if [ ! -f "$devinc/libxl.h" ] || [ ! -e "$devlib/libxenlight.so" ]; then
	die "no libxl.h in $devinc or libxenlight.so in $devlib (libxen-dev $devver)"
fi

# The lab's unpacked Xen of this series (lab/fetch.sh): its libraries are the ones dom0 gets.
labroot=
if [ -f "$CACHE/lab/lab.env" ]; then
	labver=$(. "$CACHE/lab/lab.env" && v=XEN${XEN//./}_VERSION && echo "${!v:-}")
	labroot=$(. "$CACHE/lab/lab.env" && r=XEN${XEN//./}_ROOT && echo "${!r:-}")
	[ -n "$labver" ] || labroot=
	# Same sonames either way, but say so if the dom0 gets other libraries than
	# the ones we compile and link against.
	[ -z "$labver" ] || [ "$labver" = "$devver" ] ||
		say "warning: libxen-dev is $devver, the lab's Xen $XEN libraries are $labver"
fi

mapfile -t patches < <(grep -v '^[[:space:]]*\(#\|$\)' "$PATCHDIR/series")
key=$( {
	printf 'xen %s\nsrc %s\ndev %s\n' "$XEN" "$srcver" "$devver"
	# the sources themselves: an XEN_SRC_DIR tree may change under the same name
	(cd "$src" && sha256sum tools/xl/*.[ch] tools/include/xen-tools/*.h)
	sha256sum "$0"
	for p in "${patches[@]}"; do sha256sum "$PATCHDIR/$p"; done
	} | sed "s|  .*/|  |" | sha256sum | cut -c1-16)

# smoke_test XL: does it load and reach main()?  Every real subcommand
# first opens the hypervisor, so "xl" alone (usage, exit 1) is what can run
# outside dom0; it still resolves every library and symbol (BIND_NOW).
# 4.17's runs on this machine; against the lab's libraries too when they are unpacked.
# 4.20's runs only with trixie's loader and libc, which the lab's 4.20 tree has: every
# library must come from there, as in dom0; without that tree only its sonames are checked.
smoke_test() {
	local xl=$1 out lib lablib=${labroot:+$labroot/usr/lib/$MA} ld
	for lib in $(readelf -d "$xl" | sed -n 's/.*(NEEDED).*\[\(libxen[^]]*\|libxlutil[^]]*\)\]/\1/p'); do
		[ -e "$devlib/$lib" ] || die "$lib, needed by $xl, is not in libxen-dev $devver"
		[ -z "$lablib" ] || [ -e "$lablib/$lib" ] || die "$lib, needed by $xl, is not in $lablib"
	done
	if [ "$XEN" = 4.17 ]; then
		out=$(LD_BIND_NOW=1 "$xl" 2>&1) || true
		grep -q '^Usage xl' <<<"$out" || die "$xl does not run: $out"
		[ -n "$lablib" ] || return 0
		out=$(LD_BIND_NOW=1 LD_LIBRARY_PATH=$lablib "$xl" 2>&1) || true
	else
		if [ -z "$lablib" ]; then
			say "note: XEN=4.20 lab/fetch.sh unpacks trixie's libc: until then $xl is not run here"
			return 0
		fi
		ld=$lablib/ld-linux-x86-64.so.2
		[ -x "$ld" ] || die "no trixie loader $ld (lab/fetch.sh)"
		out=$("$ld" --library-path "$lablib" --list "$xl" 2>&1) || die "$ld --list $xl: $out"
		# the loader falls back on the host's paths, whose bookworm libraries would not do
		! awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$out" | grep -v "^$lablib/" >&2 ||
			die "$xl: libraries from outside $lablib (above)"
		out=$(LD_BIND_NOW=1 "$ld" --library-path "$lablib" "$xl" 2>&1) || true
	fi
	grep -q '^Usage xl' <<<"$out" || die "$xl does not run against $lablib: $out"
}

if [ "$force" = 0 ] && [ -x "$OUT/xl" ] && [ "$(cat "$OUT/key" 2>/dev/null)" = "$key" ]; then
	say "cached xl ($key) is up to date"
	smoke_test "$OUT/xl"
	printf '%s\n' "$OUT/xl"
	exit 0
fi

say "preparing $BTREE from $src"
rm -rf "$BTREE"
cp -a "$src" "$BTREE"
for p in "${patches[@]}"; do
	say "applying $p"
	patch -d "$BTREE" -p1 --forward --batch --quiet <"$PATCHDIR/$p" >&2 ||
		die "$p does not apply to xen $srcver"
done

# Values as Debian's ./configure (--prefix=/usr --sysconfdir=/etc
# --localstatedir=/var --with-libexec-leaf-dir=xen-$XEN, Linux) computes them
# in m4/paths.m4; Debian's own xl has the same strings.  Debian builds pygrub, so its
# xl takes bootloader="pygrub" (4.20's refuses it without HAVE_PYGRUB; 4.17's never asks).
cat >"$BTREE/tools/config.h" <<EOF
/* Written by xen-pvh's xen/build-xl.sh instead of tools/configure. */
#define XEN_CONFIG_DIR "/etc/xen"
#define XEN_SCRIPT_DIR "/etc/xen/scripts"
#define XEN_LOCK_DIR "/var/lock"
#define XEN_RUN_DIR "/var/run/xen"
#define XEN_LOG_DIR "/var/log/xen"
#define XEN_LIB_DIR "/var/lib/xen"
#define XEN_DUMP_DIR "/var/lib/xen/dump"
#define XENFIRMWAREDIR "/usr/lib/xen-$XEN/boot"
#define HAVE_PYGRUB 1
#define HAVE_YAJL_YAJL_VERSION_H 1
EOF

cd "$BTREE"	# dpkg-buildflags maps this dir to "." in debug info
# Flags of tools/Rules.mk + Config.mk + tools/xl/Makefile, then Debian's
# hardening flags as debian/rules adds them.  -idirafter: only
# xen-tools/*.h is taken from the tree; the libxl and public Xen headers
# must be libxen-dev's, which match the libraries we link to.
dpkg_cflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS)
dpkg_cppflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)
dpkg_ldflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get LDFLAGS)
cflags="-std=gnu99 -fno-strict-aliasing -Wall -Wstrict-prototypes
	-Wno-unused-but-set-variable -Wno-unused-local-typedefs -Werror
	-O2 -fomit-frame-pointer
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__
	-D_FILE_OFFSET_BITS=64 -D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE
	-D__XEN_TOOLS__ -DBUILD_ID -fPIC -pthread
	-Wno-format-zero-length -Wmissing-declarations -Wformat-nonliteral
	-Wshadow -include $BTREE/tools/config.h
	-idirafter $BTREE/tools/include
	$dpkg_cppflags $dpkg_cflags"
export CCACHE_DIR CCACHE_BASEDIR CCACHE_NOHASHDIR CCACHE_SLOPPINESS

cd "$BTREE/tools/xl"
srcs=(./*.c)
say "compiling tools/xl of xen $srcver (${#srcs[@]} files, ccache, -j2)"
# shellcheck disable=SC2086
printf '%s\n' "${srcs[@]}" | nice -n 10 xargs -P2 -I{} \
	ccache gcc ${devflags[@]+"${devflags[@]}"} $cflags -c {} -o {}.o >&2 ||
	die "compiling tools/xl failed"
say "linking xl"
# shellcheck disable=SC2086
nice -n 10 gcc $dpkg_ldflags -pthread -o xl ./*.c.o ${devldflags[@]+"${devldflags[@]}"} \
	-lxlutil -lxenlight -lxentoollog -lyajl >&2 ||
	die "linking xl failed"

smoke_test "$BTREE/tools/xl/xl"
mkdir -p "$OUT"
# Stripped, as Debian ships it: it goes into the dom0 initramfs.
install -s -m 755 xl "$OUT/xl.new"
mv "$OUT/xl.new" "$OUT/xl"
printf '%s\n' "$key" >"$OUT/key"
# what it was built from; "include" is the libxen-dev it was compiled against
printf 'xen %s\nxen source %s\nlibxen-dev %s\ninclude %s\npatches %s\n' \
	"$XEN" "$src" "$devver" "$devinc" "${patches[*]}" >"$OUT/info"
say "built $OUT/xl ($key)"
printf '%s\n' "$OUT/xl"
