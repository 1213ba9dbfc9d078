#!/bin/bash
# xen/build-xl.sh: build Debian's xl with our patches, print the binary's path.
#
# Usage: xen/build-xl.sh [--force]
#
# Takes Debian's Xen 4.17 source (xen/fetch-src.sh), applies the patches in
# xen/patches/series on a copy of it and builds only tools/xl, against the
# installed Debian Xen libraries and headers (libxen-dev), so the binary
# links to the sonames the lab's dom0 has: libxenlight.so.4.17,
# libxlutil.so.4.17, libxentoollog.so.1.  The result goes to
# $CACHE/xen/xl-patched/xl, whose path is printed on stdout.
#
# Nothing else of the Xen tree is built.  xl needs three things the tree
# only makes during a full tools build, all of which we get elsewhere:
#   - libxl's generated headers (_libxl_types.h, ...): libxen-dev ships them;
#   - tools/config.h from tools/configure (Debian deletes configure, so it
#     would need autoreconf and every tools build dependency): xl uses only
#     the path macros below and the yajl version check, so we write it;
#   - config/Tools.mk for the Makefiles: we call the compiler ourselves,
#     with the flags tools/Rules.mk and debian/rules would give.
#
# The result is cached under a key made of the source version, the
# libxen-dev version, the patches and this script; a warm run only checks
# that the cached xl still starts.  --force rebuilds anyway.  Compiles go
# through ccache, niced, with at most 2 jobs.

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
OUT=$CACHE/xen/xl-patched
BTREE=$CACHE/xen/build	# fixed path, so ccache hits across rebuilds

need_pkgs gcc make ccache patch dpkg-dev libxen-dev libyajl-dev

src=$("$HERE/fetch-src.sh")
srcver=${src##*/xen-}
devver=$(dpkg-query -W -f='${Version}' libxen-dev)
# Same sonames either way, but say so if the dom0 gets other libraries than
# the ones we compile and link against.
if [ -f "$CACHE/lab/lab.env" ]; then
	# 4.17's, whatever $XEN selects: this xl is 4.17's
	labver=$(. "$CACHE/lab/lab.env" && echo "${XEN417_VERSION:-${XEN_VERSION:-}}")
	[ -z "$labver" ] || [ "$labver" = "$devver" ] ||
		say "warning: libxen-dev is $devver, the lab's Xen libraries are $labver"
fi

mapfile -t patches < <(grep -v '^[[:space:]]*\(#\|$\)' "$PATCHDIR/series")
key=$( {
	printf 'src %s\ndev %s\n' "$srcver" "$devver"
	sha256sum "$0"
	for p in "${patches[@]}"; do sha256sum "$PATCHDIR/$p"; done
	} | sed "s|  .*/|  |" | sha256sum | cut -c1-16)

# The dom0 initramfs gets the lab's unpacked libraries, not this machine's.
LABLIB=$CACHE/lab/root/usr/lib/x86_64-linux-gnu

# smoke_test XL: does it load and reach main()?  Every real subcommand
# first opens the hypervisor, so "xl" alone (usage, exit 1) is what can run
# outside dom0; it still resolves every library and symbol (BIND_NOW).
smoke_test() {
	local xl=$1 out lib
	out=$(LD_BIND_NOW=1 "$xl" 2>&1) || true
	grep -q '^Usage xl' <<<"$out" || die "$xl does not run: $out"
	if [ -d "$LABLIB" ]; then
		for lib in $(readelf -d "$xl" | sed -n 's/.*(NEEDED).*\[\(libxen[^]]*\|libxlutil[^]]*\)\]/\1/p'); do
			[ -e "$LABLIB/$lib" ] || die "$lib, needed by $xl, is not in $LABLIB"
		done
		out=$(LD_BIND_NOW=1 LD_LIBRARY_PATH=$LABLIB "$xl" 2>&1) || true
		grep -q '^Usage xl' <<<"$out" ||
			die "$xl does not run against $LABLIB: $out"
	fi
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
# --localstatedir=/var --with-libexec-leaf-dir=xen-4.17, Linux) computes them
# in m4/paths.m4; Debian's own xl has the same strings.
cat >"$BTREE/tools/config.h" <<'EOF'
/* Written by xen-pvh's xen/build-xl.sh instead of tools/configure. */
#define XEN_CONFIG_DIR "/etc/xen"
#define XEN_SCRIPT_DIR "/etc/xen/scripts"
#define XEN_LOCK_DIR "/var/lock"
#define XEN_RUN_DIR "/var/run/xen"
#define XEN_LOG_DIR "/var/log/xen"
#define XEN_LIB_DIR "/var/lib/xen"
#define XEN_DUMP_DIR "/var/lib/xen/dump"
#define XENFIRMWAREDIR "/usr/lib/xen-4.17/boot"
#define HAVE_YAJL_YAJL_VERSION_H 1
EOF

cd "$BTREE"	# dpkg-buildflags maps this dir to "." in debug info
# Flags of tools/Rules.mk + Config.mk + tools/xl/Makefile, then Debian's
# hardening flags as debian/rules adds them.  -idirafter: only
# xen-tools/libs.h is taken from the tree; the libxl and public Xen headers
# must be the installed ones that match the libraries we link to.
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
say "compiling tools/xl (${#srcs[@]} files, ccache, -j2)"
# shellcheck disable=SC2086
printf '%s\n' "${srcs[@]}" | nice -n 10 xargs -P2 -I{} \
	ccache gcc $cflags -c {} -o {}.o >&2 ||
	die "compiling tools/xl failed"
say "linking xl"
# shellcheck disable=SC2086
nice -n 10 gcc $dpkg_ldflags -pthread -o xl ./*.c.o \
	-lxlutil -lxenlight -lxentoollog -lyajl >&2 ||
	die "linking xl failed"

smoke_test "$BTREE/tools/xl/xl"
mkdir -p "$OUT"
# Stripped, as Debian ships it: it goes into the dom0 initramfs.
install -s -m 755 xl "$OUT/xl.new"
mv "$OUT/xl.new" "$OUT/xl"
printf '%s\n' "$key" >"$OUT/key"
printf 'xen source %s\nlibxen-dev %s\npatches %s\n' \
	"$srcver" "$devver" "${patches[*]}" >"$OUT/info"
say "built $OUT/xl ($key)"
printf '%s\n' "$OUT/xl"
