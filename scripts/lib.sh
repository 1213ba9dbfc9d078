# scripts/lib.sh: shared settings for the xen-pvh tooling; sourced, never run.
#
# Where things live:
#   BASE   the kernel series the series is built for: 7.3 (mainline, the default) or 6.12
#          (the LTS backport)
#   CACHE  downloads, unpacked trees, ccache, lab images (kept by `make clean`)
#   BUILD  this clone's outputs for BASE: series tree, exported patches, kernels, lab runs
#   XEN    the Xen the lab boots: 4.20 (trixie's, the default, under QEMU 10 with the lab's
#          fixes, lab/build-qemu.sh) or 4.17 (bookworm's, under the host's QEMU 7.2):
#          lab/fetch.sh, lab/README.md
# All may be overridden from the environment or the make command line.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${BASE:-7.3}
case "$BASE" in
7.3|6.12) ;;
*) printf '%s: error: BASE=%s: the series is for 7.3 (mainline) or 6.12 (LTS)\n' \
	"${0##*/}" "$BASE" >&2; exit 1 ;;
esac
XEN=${XEN:-4.20}
case "$XEN" in
4.17|4.20) ;;
*) printf '%s: error: XEN=%s: the lab boots Xen 4.17 or 4.20\n' "${0##*/}" "$XEN" >&2; exit 1 ;;
esac
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-pvh}
BUILD=${BUILD:-$TOP/build/$BASE}
KREPO=$CACHE/linux-$BASE	# git repo holding BASE's "base" commit
export BASE XEN
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
# kbuild passes absolute paths (the source tree, -I, -fmacro-prefix-map), so ccache only
# hits for the same paths.  The kernel trees live in $BUILD, inside the clone: with the
# clone as ccache's base directory those paths hash relative to the object directory, and a
# fresh clone at a new path hits what an earlier clone compiled (the README has the rates).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
export CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-time_macros,include_file_mtime,include_file_ctime}

say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# need_pkgs PKG...: apt-get install whatever is missing (root on Debian).
need_pkgs() {
	local p missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	say "installing:$missing"
	[ "$(id -u)" = 0 ] || die "need root to apt-get install:$missing"
	if [ -z "$(find /var/lib/apt/lists -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
		apt-get update -q >/dev/null || die "apt-get update failed"
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
		>/dev/null || die "apt-get install failed:$missing"
}

# private_apt DIR TYPE SUITES DAYS: set apt_opts, the options that make apt-get and apt-cache
# use a sources list of our own (TYPE deb or deb-src; SUITES of Debian's main archive, main
# component) with its lists and cache below DIR, so that the machine's own apt setup is never
# touched; the lists are refreshed when older than DAYS days, or when APT_REFRESH=1.  The
# sandbox user _apt cannot enter $CACHE (under /root): apt runs as root, and downloads are
# still checked against the signed Release files.
private_apt() {
	local dir=$1 type=$2 suites=$3 days=$4 lists='*_Packages*'
	[ "$type" = deb ] || lists='*_Sources*'
	need_pkgs debian-archive-keyring
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	printf '%s\n' "Types: $type" "URIs: http://deb.debian.org/debian" "Suites: $suites" \
		"Components: main" "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" \
		>"$dir/private.sources"
	apt_opts=(-o "Dir::Etc::SourceList=$dir/private.sources" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State=$dir" -o "Dir::State::Lists=$dir/lists" -o Dir::State::status=/dev/null
		-o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root)
	if [ "${APT_REFRESH:-0}" = 1 ] ||
	   [ -z "$(find "$dir/lists" -maxdepth 1 -name "$lists" -mtime "-$days" 2>/dev/null | head -1)" ]; then
		say "updating the private apt lists ($type: $suites)"
		apt-get "${apt_opts[@]}" -q update >&2 || die "apt-get update (private lists) failed"
	fi
}

# kernel_version DIR: "6.12.117" from a kernel tree's top Makefile.
kernel_version() {
	awk -F' *= *' '
		$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		END { if (v != "") printf "%s.%s.%s\n", v, p, s }' "$1/Makefile" 2>/dev/null
}

# seed_objdir FROM TO: a kernel object directory TO that was never built starts as a copy of
# the built FROM (timestamps kept, installed modules left out). kbuild records which CONFIG_
# options each object read, so TO's first build recompiles only what its configuration
# changes: on configs/domU.config, 161 s for =n from =y against 830 s cold.
seed_objdir() {
	[ -f "$1/vmlinux" ] && [ ! -f "$2/vmlinux" ] || return 0
	say "starting $2 as a copy of $1: only what the configuration changes recompiles"
	rm -rf "$2"
	cp -a "$1" "$2"
	rm -rf "$2/modules-root" "$2/modules"
}
