#!/bin/bash
# tests/lab-selftest.sh: fast checks of the lab tooling (lab/), no QEMU, a few seconds.
#
# usage: tests/lab-selftest.sh
# Plan parsing, LAB-RESULT -> TAP verdicts on canned lines (passing, failing, panic, timeout,
# refusals), the whole host-side judging of lab/run.sh on canned console logs (--replay),
# and the small image tools on synthetic inputs. TAP on stdout; exits 0 even when tests
# fail (the aggregator counts "not ok").
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"
. "$TOP/lab/lablib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; shift; local l; for l in "$@"; do echo "#   $l"; done; }
is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok "$3"; else nok "$3" "got:  $1" "want: $2"; fi
}
like() { # like GOT ERE DESCRIPTION
	if grep -qE -- "$2" <<<"$1"; then ok "$3"; else nok "$3" "got:  $1" "want: /$2/"; fi
}

# --- syntax of every lab script -------------------------------------------------------------
bad=
for f in "$TOP"/lab/*.sh; do
	case "${f##*/}" in
	guest-init.sh|dom0-init.sh) busybox sh -n "$f" 2>/dev/null || bad="$bad ${f##*/}" ;;
	*) bash -n "$f" 2>/dev/null || bad="$bad ${f##*/}" ;;
	esac
done
is "${bad:-none}" none "lab scripts parse (bash -n / busybox sh -n)"

# --- plans ----------------------------------------------------------------------------------
bad=
for f in "$TOP"/lab/plans/*.plan; do
	plan_parse "$f" >/dev/null || bad="$bad ${f##*/}"
done
is "${bad:-none}" none "every plan in lab/plans parses"
p=$(plan_parse "$TOP/lab/plans/foundation.plan")
is "$(sed -n 1p <<<"$p")" 'stock-pvh|stock|PVH|type="pvh"' "foundation.plan line 1 parses to name|kernel|expect|cfg"
is "$(grep '^oursn-pvh-refused|' <<<"$p" | cut -d'|' -f3)" \
	'refuse:image not capable of booting inside a HVM container' \
	"foundation.plan refusal keeps its regex"

printf '# c\n\na | stock | PVH\nb | stock | PVX | type="pvh"\n' >"$tmp/bad.plan"
like "$(plan_parse "$tmp/bad.plan")" '^PLAN-ERROR line 4: expect must be' "plan with a bad expect is rejected with its line number"
plan_parse "$tmp/bad.plan" >/dev/null; is $? 1 "plan_parse fails on a bad plan"
printf 'a | stock | PVH\na | stock | PV\n' >"$tmp/dup.plan"
like "$(plan_parse "$tmp/dup.plan")" 'duplicate guest name "a"' "duplicate guest names are rejected"
printf '# nothing\n' >"$tmp/empty.plan"
like "$(plan_parse "$tmp/empty.plan")" 'no guests' "an empty plan is rejected"
printf 'x/y | stock | PVH\n' >"$tmp/name.plan"
like "$(plan_parse "$tmp/name.plan")" 'bad guest name' "a guest name with / is rejected"
printf 'r | ours | refuse:foo|bar | type="pvh"; vcpus=1\n' >"$tmp/pipe.plan"
is "$(plan_parse "$tmp/pipe.plan")" 'r|ours|refuse:foo|bar|type="pvh"; vcpus=1' "a refuse regex may contain | when the cfg field is given"
is "$(plan_cfg_lines ' type="pvh"; vcpus=1 ;; ')" $'type="pvh"\nvcpus=1' "cfg field splits on ; and drops empties"

# lab options in the cfg field
printf 'a | stock | PVH | type="pvh"; lab.disk; lab.net; lab.poweroff; lab.args=acpi=off nosmt; lab.mem=1-2\n' >"$tmp/opts.plan"
plan_parse "$tmp/opts.plan" >/dev/null; is $? 0 "plan with every lab option parses"
printf 'a | stock | PVH | lab.disks\n' >"$tmp/o1.plan"
like "$(plan_parse "$tmp/o1.plan")" '^PLAN-ERROR line 1: unknown lab option "lab.disks"' "an unknown lab option is rejected"
printf 'a | stock | PVH | lab.args=console="x"\n' >"$tmp/o2.plan"
like "$(plan_parse "$tmp/o2.plan")" 'unknown lab option' "lab.args with a double quote is rejected (it goes into extra=\"...\")"
printf 'a | stock | PVH | lab.mem=200000\n' >"$tmp/o3.plan"
like "$(plan_parse "$tmp/o3.plan")" 'unknown lab option' "lab.mem without MIN-MAX is rejected"
printf 'r | ours | refuse:x | type="pvh"; lab.disk\n' >"$tmp/o4.plan"
like "$(plan_parse "$tmp/o4.plan")" '"lab.disk" needs a guest that boots' "a device option on a refuse: line is rejected"
C='type="pvh"; lab.disk; memory=512; lab.args=acpi=off; lab.args=nosmt'
is "$(plan_xl_lines "$C")" $'type="pvh"\nmemory=512' "plan_xl_lines drops the lab options"
is "$(plan_lab_opt "$C" disk)|$(plan_lab_opt "$C" net)|$(plan_lab_opt "$C" args)" '1||nosmt' \
	"plan_lab_opt: bare option is 1, absent is empty, the last value wins"
is "$(mem_range 256)" 196608-262144 "mem_range: memory=256 allows MemTotal 192-256 MiB"
is "$(mem_range 96)" 49152-98304 "mem_range: a small guest must keep half of memory="
is "$(mem_range 256 1-2)" 1-2 "mem_range: lab.mem overrides"

# the xl config and dom0 side run.sh writes for a guest
mkdir -p "$tmp/cfg"
guest_files dev stock PVH 'type="pvh"; lab.disk; lab.net; lab.args=acpi=off; memory=128' "$tmp/cfg"
is "$(grep '^extra=' "$tmp/cfg/dev.cfg")" \
	'extra="console=hvc0 loglevel=6 lab.expect_type=PVH lab.expect_cpus=2 lab.expect_mem_kb=65536-131072 lab.disk=xvda:4 lab.net=10.99.0.1 acpi=off"' \
	"guest_files: extra= carries the expectations, the device tests and lab.args"
is "$(sed -n '/^type=/,$p' "$tmp/cfg/dev.cfg")" $'type="pvh"\nmemory=128\ndisk=[\'/run/lab-disk-dev.img,raw,xvda,rw\']\nvif=[\'bridge=xenbr0\']' \
	"guest_files: plan lines after the base, then disk= and vif=; no lab.* line reaches xl"
is "$(cat "$tmp/cfg/dev.lab")" $'DISK=/run/lab-disk-dev.img DISK_MB=16 DISK_WMB=4\nNET=1' "guest_files: the dom0 side of the devices"
guest_files ref ours 'refuse:x' 'type="pvh"' "$tmp/cfg"
is "$(grep '^extra=' "$tmp/cfg/ref.cfg"):$([ -e "$tmp/cfg/ref.lab" ] && echo lab)" 'extra="console=hvc0 loglevel=6 lab.expect_cpus=2":' \
	"guest_files: a refuse: guest gets no type or memory expectation, and no devices"

# --- result fields and verdicts on canned lines ----------------------------------------------
R='LAB-RESULT name=g create_rc=0 guest_type=PVH cpus=2 memkb=217656 kernel=6.12.117+deb12-amd64 marker=1 panic=0 timeout=0 secs=14.2 leftover=0 gone=1.0 disk_sha=none xl_msg=Parsing config from /lab/cfg/g.cfg'
is "$(field "$R" secs)" 14.2 "field reads secs"
is "$(field "$R" xl_msg)" 'Parsing config from /lab/cfg/g.cfg' "field reads the whole xl_msg, spaces included"
is "$(field "${R/secs=14.2/secs=}" secs)" '' "field of an empty value is empty"
set_r() { # set_r KEY=VAL...: R with those fields replaced
	local r=$R kv
	for kv in "$@"; do
		case "$kv" in
		xl_msg=*) r="${r%% xl_msg=*} $kv" ;;	# the rest of the line
		*) r=$(sed -E "s/ ${kv%%=*}=[^ ]*/ $kv/" <<<"$r") ;;
		esac
	done
	echo "$r"
}
G=$'LAB guest_type=PVH\nok 1 - guest_type PVH, expected PVH\nLAB-GUEST-DONE uptime=3'
is "$(verdict PVH "$R" "$G")" 'ok|guest_type PVH (14.2 s)' "verdict: PVH guest that says PVH is ok"
is "$(verdict PV "$(set_r guest_type=PVH)" "$G")" 'not ok|guest_type PVH, expected PV' "verdict: wrong guest_type is not ok"
is "$(verdict PVH "$(set_r guest_type=)" "")" 'not ok|guest_type none, expected PVH' "verdict: no guest_type report is not ok"
like "$(verdict PVH "$(set_r marker=0 panic=1)" $'[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs\nmore')" \
	'^not ok\|panic: \[    1.2\] Kernel panic - not syncing: VFS' "verdict: a panic is not ok and quotes the panic line"
is "$(verdict PVH "$(set_r marker=0 timeout=1 secs=150.0 guest_type=)" "")" \
	'not ok|timeout: no LAB-GUEST-DONE after 150.0 s (guest_type not reported)' "verdict: a timeout is not ok"
like "$(verdict PVH "$(set_r marker=0 secs=9.0)" "")" '^not ok\|no LAB-GUEST-DONE marker' "verdict: no marker without timeout (domain died) is not ok"
like "$(verdict PVH "$(set_r marker=1 guest_type=PVH)" $'not ok 2 - cpus online 1 (0), expected 2')" \
	'^not ok\|guest check failed: 2 - cpus online 1' "verdict: a failed guest self-check is not ok"
is "$(verdict PVH "$(set_r leftover=1)" "$G")" 'not ok|leftover domain: it did not go away after poweroff' "verdict: a leftover domain is not ok"
XLREF='xl: Parsing config from /lab/cfg/r.cfg
xl: xc: error: panic: xg_dom_elfloader.c:63: xc_dom_guest_type: image not capable of booting inside a HVM container: Invalid kernel
xl: libxl: error: libxl_dom.c:571:libxl__build_dom: xc_dom_parse_image failed'
RREF=$(set_r create_rc=3 guest_type= marker=0 secs=0.0 "xl_msg=xc:")
is "$(verdict PVH "$RREF" "$XLREF")" 'not ok|xl create rc 3: xc:' "verdict: xl create failing for a guest that should boot is not ok"
like "$(verdict 'refuse:image not capable of booting inside a HVM container' "$RREF" "$XLREF")" '^ok\|refused \(xl create rc 3\)' \
	"verdict: refusal with the wanted message is ok"
like "$(verdict 'refuse:no such message' "$RREF" "$XLREF")" '^not ok\|xl create rc 3, but message mismatch' "verdict: refusal with another message is not ok"
like "$(verdict 'refuse:image not capable' "$R" "$G")" '^not ok\|xl create succeeded \(rc 0, guest_type PVH\)' "verdict: a guest that boots when a refusal is expected is not ok"
like "$(verdict 'refuse:image not capable' "$(set_r create_rc=3 leftover=1)" "$XLREF")" '^not ok\|leftover domain after refused' "verdict: a refusal that leaves a domain is not ok"
like "$(verdict 'refuse:image not capable' "$RREF" 'image not capable (console, not xl)')" '^not ok\|.*mismatch' "verdict: the refusal message must come from xl, not the console"
is "$(verdict PVH "" "")" 'not ok|no result' "verdict: no result line is not ok"

# lab.disk: dom0's hash of the image against the guest's
SHA=434299a7c0328a758744ef5c06e62715c6162a12c7d923c6677cac586551e566
RD=$(set_r gone=4.7 "disk_sha=$SHA")
GD="LAB disk_sha256=$SHA"$'\nok 4 - xvda: 4 MiB written'
is "$(disk_verdict "$RD" "$GD")" "ok|dom0's image holds what the guest wrote (sha256 ${SHA:0:16}…)" "disk_verdict: same hash is ok"
SHA2=${SHA/4/5}
like "$(disk_verdict "$(set_r "disk_sha=$SHA2")" "$GD")" "^not ok\|dom0's image holds sha256 ${SHA2:0:16}…, the guest wrote ${SHA:0:16}…" "disk_verdict: another hash is not ok"
like "$(disk_verdict "$(set_r disk_sha=none)" "$GD")" '^not ok\|dom0 has no hash' "disk_verdict: no hash from dom0 is not ok"
like "$(disk_verdict "$RD" "not ok 4 - xvda: no /dev/xvda after 10 s")" '^not ok\|the guest reported no disk_sha256' "disk_verdict: a guest that wrote nothing is not ok"

# lab.poweroff, on console lines as the lab recorded them
RP=$(set_r gone=0.8)
GP=$'LAB-GUEST-DONE uptime=12.00\n[   12.347369] reboot: Power off not available: System halted instead'
is "$(poweroff_verdict "$RP" "$GP")" \
	"not ok|the kernel halted instead of powering off: 'Power off not available: System halted instead' (the domain went 0.8 s after the marker)" \
	"poweroff_verdict: Debian's 6.12 PVH (halts, Xen ends the domain) is not ok"
is "$(poweroff_verdict "$RP" $'LAB-GUEST-DONE uptime=12.00\n[   12.3] reboot: Power down')" \
	"ok|'reboot: Power down', domain gone 0.8 s after the marker" "poweroff_verdict: a real power-off is ok"
is "$(poweroff_verdict "$(set_r leftover=1 gone=none)" 'LAB-GUEST-DONE uptime=23.27')" \
	"not ok|no 'reboot: Power down' on the guest console; the domain outlived the marker by dom0's whole wait: dom0 destroyed it" \
	"poweroff_verdict: Debian's 6.12 PVH with acpi=off (no message, domain stays) is not ok"
like "$(poweroff_verdict "$(set_r leftover=1 gone=none)" $'[ 1.0] reboot: Power down')" \
	"^not ok\|the domain outlived the marker" "poweroff_verdict: 'Power down' without the domain going is not ok"
like "$(poweroff_verdict "$(set_r marker=0)" "")" '^not ok\|no LAB-GUEST-DONE' "poweroff_verdict: no marker is not ok"

# --- run.sh judging canned console logs (no QEMU) --------------------------------------------
cat >"$tmp/canned.plan" <<'P'
good    | stock | PVH
wrong   | ours  | PVH | type="pv"
panicky | ours  | PVH
slow    | ours  | PVH
refused | ours  | refuse:image not capable of booting inside a HVM container | type="pvh"
missing | ours  | PV
P
{
	echo '(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)'
	echo 'LAB-DOM0-START uptime=7.8 guest_type=PV kernel=6.1.0-56-amd64'
	echo 'LAB-DOM0-READY uptime=10.8 xen=4.17.7 free_mb=1000'
	echo '[good] LAB guest_type=PVH'; echo '[good] LAB-GUEST-DONE uptime=3.1'
	echo "${R/name=g/name=good}"
	echo '[wrong] LAB guest_type=PV'; echo '[wrong] LAB-GUEST-DONE uptime=3.1'
	echo "$(set_r guest_type=PV secs=9.5 | sed 's/name=g /name=wrong /')"
	echo '[panicky] [    0.9] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100'
	echo "$(set_r marker=0 panic=1 guest_type= secs=4.0 | sed 's/name=g /name=panicky /')"
	echo "$(set_r marker=0 timeout=1 guest_type= secs=150.3 | sed 's/name=g /name=slow /')"
	sed 's/^xl: /[refused] xl: /' <<<"$XLREF"
	echo "$(sed 's/name=g /name=refused /' <<<"$RREF")"
	echo 'LAB-DOM0-DONE uptime=200'
} >"$tmp/canned.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/canned.log" -o "$tmp/out" "$tmp/canned.plan" 2>"$tmp/err")
rc=$?
is "$rc" 1 "run.sh --replay: exit status 1 when a guest fails"
is "$(sed -n 1p <<<"$out")" "1..6" "run.sh --replay: TAP plan line counts the plan's guests"
is "$(sed -n 2p <<<"$out")" "ok 1 - good: guest_type PVH (14.2 s)" "run.sh --replay: passing guest"
is "$(sed -n 3p <<<"$out")" "not ok 2 - wrong: guest_type PV, expected PVH" "run.sh --replay: wrong guest_type"
like "$(sed -n 4p <<<"$out")" '^not ok 3 - panicky: panic: \[    0.9\] Kernel panic - not syncing: Attempted to kill init' "run.sh --replay: panic"
like "$(sed -n 5p <<<"$out")" '^not ok 4 - slow: timeout: no LAB-GUEST-DONE after 150.3 s' "run.sh --replay: timeout"
like "$(sed -n 6p <<<"$out")" '^ok 5 - refused: refused \(xl create rc 3\)' "run.sh --replay: expected refusal"
like "$(sed -n 7p <<<"$out")" '^not ok 6 - missing: no result from dom0' "run.sh --replay: guest without a result line"
is "$(wc -l <"$tmp/out/results.txt")" 5 "run.sh --replay: results.txt holds the LAB-RESULT lines"
like "$(cat "$tmp/out/table.txt" 2>/dev/null)" '^wrong +ours +PVH +PV +9.5 +217656 +not ok$' "run.sh --replay: table row for a failing guest"

printf '(XEN) ****************************************\n(XEN) Panic on CPU 0:\n(XEN) Invalid hardware domain\n' >"$tmp/nodom0.log"
out=$(REPLAY_RC=0 "$TOP/lab/run.sh" --replay "$tmp/nodom0.log" -o "$tmp/out2" "$tmp/canned.plan" 2>/dev/null)
is "$(grep -c '^not ok .*QEMU never reached dom0 (.*Panic on CPU 0: (XEN) Invalid hardware domain' <<<"$out")" 6 \
	"run.sh --replay: Xen panic before dom0 fails every guest with that reason"
out=$(REPLAY_RC=124 "$TOP/lab/run.sh" --replay "$tmp/nodom0.log" -t 77 -o "$tmp/out3" "$tmp/canned.plan" 2>/dev/null)
like "$(sed -n 2p <<<"$out")" 'QEMU killed at the 77 s limit' "run.sh --replay: a QEMU timeout is named as such"
printf 'good | stock | PVH\n' >"$tmp/one.plan"
grep -v -E "Kernel panic|Panic on" "$tmp/canned.log" >"$tmp/clean.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/clean.log" -o "$tmp/out4" "$tmp/one.plan" 2>/dev/null)
is "$?:$out" "0:1..1"$'\n'"ok 1 - good: guest_type PVH (14.2 s)" "run.sh --replay: exit status 0 and TAP when every guest is ok (clean log)"

# a plan with host-side checks: one more TAP line per lab.disk / lab.poweroff, after the guest's
cat >"$tmp/dev.plan" <<'P'
dev   | stock | PVH | type="pvh"; lab.disk; lab.net; lab.poweroff
plain | ours  | PV  | type="pv"
gone  | ours  | PV  | lab.disk
P
{
	echo 'LAB-DOM0-START uptime=7.8 guest_type=PV kernel=6.1.0-56-amd64'
	echo 'LAB-DOM0-READY uptime=10.8 xen=4.17.7 free_mb=1000'
	printf '[dev] %s\n' "LAB disk_sha256=$SHA" 'ok 4 - xvda: 4 MiB written' 'ok 5 - eth0 got an address by DHCP: 10.99.0.110' \
		'LAB-GUEST-DONE uptime=72.06' '[   74.1] reboot: Power off not available: System halted instead'
	echo "${RD/name=g/name=dev}"
	echo '[plain] LAB-GUEST-DONE uptime=3.1'
	echo "$(set_r guest_type=PV | sed 's/name=g /name=plain /')"
	echo 'LAB-DOM0-DONE uptime=200'
} >"$tmp/dev.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/dev.log" -o "$tmp/out5" "$tmp/dev.plan" 2>/dev/null)
is "$(sed -n 1p <<<"$out")" "1..6" "run.sh --replay: lab.disk and lab.poweroff add a TAP line each"
is "$(sed -n 2,4p <<<"$out")" "ok 1 - dev: guest_type PVH (14.2 s)
ok 2 - dev: disk: dom0's image holds what the guest wrote (sha256 ${SHA:0:16}…)
not ok 3 - dev: poweroff: the kernel halted instead of powering off: 'Power off not available: System halted instead' (the domain went 4.7 s after the marker)" \
	"run.sh --replay: the guest's line, then its disk and poweroff checks"
like "$(sed -n 5,7p <<<"$out")" $'^ok 4 - plain: .*\nnot ok 5 - gone: no result from dom0.*\nnot ok 6 - gone: disk: no result from dom0' \
	"run.sh --replay: a guest without a result fails its host-side checks too"
like "$(cat "$tmp/out5/table.txt")" '^dev +stock +PVH +PVH +14.2 +217656 +not ok$' "run.sh --replay: the table row fails when a host-side check fails"

# --- image tools on synthetic inputs -----------------------------------------------------------
# a fake ELF "vmlinux" carrying a Xen PVH entry note, and a fake bzImage holding it gzipped
{ printf '\177ELF'; head -c 5000 /dev/urandom
  printf '\x04\x00\x00\x00\x08\x00\x00\x00\x12\x00\x00\x00Xen\x00\x30\x0a\x00\x01\x00\x00\x00\x00'
  head -c 3000 /dev/urandom; } >"$tmp/vmlinux"
{ head -c 20000 /dev/zero; gzip -c "$tmp/vmlinux"; head -c 300 /dev/zero; } >"$tmp/bzImage"
if "$TOP/lab/extract-vmlinux.sh" "$tmp/bzImage" "$tmp/vmlinux.out" 2>/dev/null && cmp -s "$tmp/vmlinux" "$tmp/vmlinux.out"; then
	ok "extract-vmlinux.sh recovers the ELF from a bzImage-like file"
else nok "extract-vmlinux.sh recovers the ELF from a bzImage-like file"; fi
"$TOP/lab/extract-vmlinux.sh" "$tmp/vmlinux.out" "$tmp/none" 2>/dev/null
is $? 1 "extract-vmlinux.sh fails on a file without a compressed payload"

if command -v busybox >/dev/null; then
	CACHE=$tmp/cache "$TOP/lab/mk-guest-initramfs.sh" "$tmp/g.gz" >/dev/null 2>&1
	mkdir -p "$tmp/g" && (cd "$tmp/g" && zcat "$tmp/g.gz" | cpio -id --quiet 2>/dev/null)
	if cmp -s "$tmp/g/init" "$TOP/lab/guest-init.sh" && [ -x "$tmp/g/bin/busybox" ] && [ -x "$tmp/g/init" ]; then
		ok "guest initramfs holds /init = guest-init.sh and busybox"
	else nok "guest initramfs holds /init = guest-init.sh and busybox"; fi
	like "$(CACHE=$tmp/cache "$TOP/lab/mk-guest-initramfs.sh" "$tmp/g.gz" 2>&1 >/dev/null)" 'reusing' \
		"guest initramfs is reused when nothing changed"
	# the guest's report, run by busybox on the host: same builtins, real /proc and /sys
	gi=$(sed 's/^poweroff -f$/echo POWEROFF/; s/^PATH=.*/PATH=$PATH/; /^mount /d' "$TOP/lab/guest-init.sh" | busybox sh 2>&1)
	like "$gi" '^LAB ncpus=[1-9]' "guest-init.sh counts online CPUs"
	like "$gi" $'LAB-GUEST-DONE uptime=[0-9.]+\nPOWEROFF$' "guest-init.sh ends with the marker, then poweroff"
	# its MemTotal check, with a command line of ours instead of the host's
	gim() {
		sed "s/^poweroff -f\$/echo POWEROFF/; s/^PATH=.*/PATH=\$PATH/; /^mount /d; s/^rd \/proc\/cmdline; cmdline=.*/cmdline='$1'/" \
			"$TOP/lab/guest-init.sh" | busybox sh 2>&1
	}
	kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
	like "$(gim "lab.expect_mem_kb=$((kb - 1))-$((kb + 1))")" "^ok 1 - MemTotal $kb kB, expected $((kb - 1))-$((kb + 1)) kB$" \
		"guest-init.sh: MemTotal inside lab.expect_mem_kb is ok"
	like "$(gim "lab.expect_mem_kb=1-$((kb - 1))")" "^not ok 1 - MemTotal $kb kB, expected 1-$((kb - 1)) kB$" \
		"guest-init.sh: MemTotal above lab.expect_mem_kb is not ok"
else
	nok "busybox available for the initramfs tests" "install busybox-static"
fi
echo "1..$n"
exit 0
