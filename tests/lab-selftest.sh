#!/bin/bash
# tests/lab-selftest.sh: fast checks of the lab tooling (lab/), no QEMU, a few seconds.
#
# usage: tests/lab-selftest.sh
# Plan parsing, LAB-RESULT -> TAP verdicts on canned lines (passing, failing, panic, timeout,
# refusals), the whole host-side judging of lab/run.sh on canned console logs (--replay),
# a stock guest that Xen crashed among them, dom0-init.sh with a fake xl, and the small
# image tools on synthetic inputs. TAP on stdout; exits 0 even when tests
# fail (the aggregator counts "not ok").
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/lib.sh"
. "$TOP/lab/lablib.sh"
# The init scripts are busybox sh scripts, run here by the host's busybox: a fresh machine
# has none until the lab's first image build installs it, and this suite runs before that.
need_pkgs busybox-static
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
mkdir -p "$tmp/cfg"; guest_files clean ours PVH 'type="pvh"; lab.clean_log; lab.boottrace' "$tmp/cfg"
like "$(grep '^extra=' "$tmp/cfg/clean.cfg")" ' lab.expect_clean_log=1 printk.time=1 initcall_debug log_buf_len=2M lab.dmesg=1"$' \
	"guest_files: lab.clean_log makes the guest check its log; lab.boottrace times its boot and dumps its log"
printf 'x/y | stock | PVH\n' >"$tmp/name.plan"
like "$(plan_parse "$tmp/name.plan")" 'bad guest name' "a guest name with / is rejected"
printf 'r | ours | refuse:foo|bar | type="pvh"; vcpus=1\n' >"$tmp/pipe.plan"
is "$(plan_parse "$tmp/pipe.plan")" 'r|ours|refuse:foo|bar|type="pvh"; vcpus=1' "a refuse regex may contain | when the cfg field is given"
is "$(plan_cfg_lines ' type="pvh"; vcpus=1 ;; ')" $'type="pvh"\nvcpus=1' "cfg field splits on ; and drops empties"

# lab options in the cfg field
printf 'a | stock | PVH | type="pvh"; lab.disk; lab.net; lab.poweroff; lab.args=acpi=off nosmt; lab.mem=1-2\n' >"$tmp/opts.plan"
plan_parse "$tmp/opts.plan" >/dev/null; is $? 0 "plan with every lab option parses"
printf 'a | stock | PVH | lab.shutdown=crash; lab.selftests=xen_vcpu_hotplug; lab.hotplug_cpus=4\n' >"$tmp/o5.plan"
plan_parse "$tmp/o5.plan" >/dev/null; is $? 0 "lab.shutdown=crash and lab.hotplug_cpus=N parse"
printf 'a | stock | PVH | lab.shutdown=halt\n' >"$tmp/o6.plan"
like "$(plan_parse "$tmp/o6.plan")" 'unknown lab option "lab.shutdown=halt"' "lab.shutdown takes poweroff, reboot or crash only"
printf 'a | stock | PVH | lab.disks\n' >"$tmp/o1.plan"
like "$(plan_parse "$tmp/o1.plan")" '^PLAN-ERROR line 1: unknown lab option "lab.disks"' "an unknown lab option is rejected"
printf 'a | stock | PVH | lab.args=console="x"\n' >"$tmp/o2.plan"
like "$(plan_parse "$tmp/o2.plan")" 'unknown lab option' "lab.args with a double quote is rejected (it goes into extra=\"...\")"
printf 'a | stock | PVH | lab.mem=200000\n' >"$tmp/o3.plan"
like "$(plan_parse "$tmp/o3.plan")" 'unknown lab option' "lab.mem without MIN-MAX is rejected"
printf 'r | ours | refuse:x | type="pvh"; lab.disk\n' >"$tmp/o4.plan"
like "$(plan_parse "$tmp/o4.plan")" '"lab.disk" needs a guest that boots' "a device option on a refuse: line is rejected"
printf 'a | stock | PVH | lab.disk=2; lab.net=2; lab.xl=reboot,reboot,shutdown; on_crash="preserve"\nb | ours | PVH | lab.shutdown=sysrq; lab.selftests=xen_suspend; lab.save_rounds=3\n' >"$tmp/o7.plan"
plan_parse "$tmp/o7.plan" >/dev/null; is $? 0 "lab.disk=N, lab.net=N, lab.xl, lab.shutdown=sysrq and lab.save_rounds parse"
printf 'a | stock | PVH | lab.xl=shutdown,reboot\n' >"$tmp/o8.plan"
like "$(plan_parse "$tmp/o8.plan")" 'unknown lab option "lab.xl=shutdown,reboot"' "lab.xl must end the domain last, with shutdown or destroy"
printf 'a | stock | PVH | lab.xl=destroy; lab.shutdown=reboot\n' >"$tmp/o9.plan"
like "$(plan_parse "$tmp/o9.plan")" 'a guest ends one way' "lab.xl and lab.shutdown together are rejected"
printf 'a | stock | PVH | lab.save_rounds=2\n' >"$tmp/o10.plan"
like "$(plan_parse "$tmp/o10.plan")" '"lab.save_rounds=2" needs lab.selftests' "lab.save_rounds needs lab.selftests"
printf 'a | stock | PVH | lab.disk=5\n' >"$tmp/o11.plan"
like "$(plan_parse "$tmp/o11.plan")" 'unknown lab option "lab.disk=5"' "lab.disk takes at most 4 disks"
C='type="pvh"; lab.disk; memory=512; lab.args=acpi=off; lab.args=nosmt'
is "$(plan_xl_lines "$C")" $'type="pvh"\nmemory=512' "plan_xl_lines drops the lab options"
is "$(plan_lab_opt "$C" disk)|$(plan_lab_opt "$C" net)|$(plan_lab_opt "$C" args)" '1||nosmt' \
	"plan_lab_opt: bare option is 1, absent is empty, the last value wins"
printf 'a | stock | PVH | lab.selftests; lab.kst_type=PV; lab.kst_fail=xen_guest:guest_type,xen_vcpu:online_count\nb | stock | PV | lab.selftests=xen_guest,xen_vcpu\n' >"$tmp/k1.plan"
plan_parse "$tmp/k1.plan" >/dev/null; is $? 0 "plan with the selftest options parses"
printf 'a | stock | PVH | lab.selftests=guest\n' >"$tmp/k2.plan"
like "$(plan_parse "$tmp/k2.plan")" 'unknown lab option "lab.selftests=guest"' "lab.selftests= names programs xen_*"
printf 'a | stock | PVH | lab.kst_type=PV\n' >"$tmp/k3.plan"
like "$(plan_parse "$tmp/k3.plan")" '"lab.kst_type=PV" needs lab.selftests' "lab.kst_type without lab.selftests is rejected"
printf 'a | stock | PVH | lab.selftests; lab.kst_fail=guest_type\n' >"$tmp/k4.plan"
like "$(plan_parse "$tmp/k4.plan")" 'unknown lab option "lab.kst_fail=guest_type"' "lab.kst_fail wants PROG:TEST"
printf 'r | ours | refuse:x | lab.selftests\n' >"$tmp/k5.plan"
like "$(plan_parse "$tmp/k5.plan")" '"lab.selftests" needs a guest that boots' "lab.selftests on a refuse: line is rejected"
is "$(mem_range 256)" 196608-262144 "mem_range: memory=256 allows MemTotal 192-256 MiB"
is "$(mem_range 96)" 49152-98304 "mem_range: a small guest must keep half of memory="
is "$(mem_range 256 1-2)" 1-2 "mem_range: lab.mem overrides"

# the xl config and dom0 side run.sh writes for a guest
mkdir -p "$tmp/cfg"
guest_files dev stock PVH 'type="pvh"; lab.disk; lab.net; lab.args=acpi=off; memory=128' "$tmp/cfg"
is "$(grep '^extra=' "$tmp/cfg/dev.cfg")" \
	'extra="console=hvc0 loglevel=6 lab.expect_type=PVH lab.expect_cpus=2 lab.expect_mem_kb=65536-131072 lab.disk=xvda:4 lab.net=10.99.0.1 acpi=off"' \
	"guest_files: extra= carries the expectations, the device tests and lab.args"
is "$(sed -n '/^type=/,$p' "$tmp/cfg/dev.cfg")" $'type="pvh"\nmemory=128\ndisk=[\'/run/lab-disk-dev-0.img,raw,xvda,rw\']\nvif=[\'bridge=xenbr0\']' \
	"guest_files: plan lines after the base, then disk= and vif=; no lab.* line reaches xl"
is "$(cat "$tmp/cfg/dev.lab")" $'DISK=\'/run/lab-disk-dev-0.img\' DISK_MB=16 DISK_WMB=4\nNET=1' "guest_files: the dom0 side of the devices"
is "$(grep '^ramdisk=' "$tmp/cfg/dev.cfg")" 'ramdisk="/lab/guest-initramfs.gz"' "guest_files: a guest without selftests boots the plain image"
guest_files two ours PVH 'type="pvh"; lab.disk=2; lab.net=2' "$tmp/cfg"
is "$(grep -E '^(disk|vif)=' "$tmp/cfg/two.cfg")" $'disk=[\'/run/lab-disk-two-0.img,raw,xvda,rw\',\'/run/lab-disk-two-1.img,raw,xvdb,rw\']\nvif=[\'bridge=xenbr0\',\'bridge=xenbr1\']' \
	"guest_files: lab.disk=2 and lab.net=2 give xvda, xvdb and a vif on each of xenbr0, xenbr1"
like "$(grep '^extra=' "$tmp/cfg/two.cfg")" ' lab.disk=xvda:4,xvdb:4 lab.net=10.99.0.1,10.99.1.1"$' \
	"guest_files: the guest tests each disk, and pings dom0's side of each bridge"
is "$(cat "$tmp/cfg/two.lab")" $'DISK=\'/run/lab-disk-two-0.img /run/lab-disk-two-1.img\' DISK_MB=16 DISK_WMB=4\nNET=2' \
	"guest_files: dom0 makes both images and both bridges"
guest_files xlr ours PVH 'type="pvh"; lab.xl=reboot,shutdown; on_crash="preserve"' "$tmp/cfg"
is "$(grep -E '^on_reboot=' "$tmp/cfg/xlr.cfg")" 'on_reboot="restart"' "guest_files: lab.xl with a reboot restarts the domain"
like "$(grep '^extra=' "$tmp/cfg/xlr.cfg")" ' lab.shutdown=wait"$' "guest_files: with lab.xl the guest waits for the toolstack"
is "$(cat "$tmp/cfg/xlr.lab")" $'XL_ACTIONS=\'reboot shutdown\'\nPRESERVE=1' "guest_files: dom0 runs the actions in order, and looks for a preserved crash"
guest_files sav ours PVH 'type="pvh"; lab.selftests=xen_suspend,xen_evtchn; lab.save_rounds=3' "$tmp/cfg"
like "$(grep '^extra=' "$tmp/cfg/sav.cfg")" ' lab.save_rounds=3 lab.kst_limit=280"$' "guest_files: xen_suspend is told its rounds and gets SAVE_ROUND_S more a round"
like "$(cat "$tmp/cfg/sav.lab")" $'\nKST_SAVE=1$' "guest_files: dom0 answers xen_suspend"
is "$(net_dom0 0) $(net_dom0 1)" "10.99.0.1 10.99.1.1" "net_dom0: dom0's address on each bridge, a /24 apart"
guest_files kst ours PVH 'type="pvh"; lab.selftests; lab.kst_type=PV; memory=300' "$tmp/cfg"
is "$(grep -E '^(ramdisk|extra)=' "$tmp/cfg/kst.cfg")" 'ramdisk="/lab/guest-initramfs-kst.gz"
extra="console=hvc0 loglevel=6 lab.expect_type=PVH lab.expect_cpus=2 lab.expect_mem_kb=241664-307200 lab.selftests=all lab.kst_type=PV lab.mem_mb=300 lab.name=kst"' \
	"guest_files: lab.selftests boots the image with the selftests and tells them what to expect"
is "$(cat "$tmp/cfg/kst.lab" 2>/dev/null)" $'KST_GT=240\nKST_BALLOON=1' \
	"guest_files: dom0 gives a guest with selftests more time and answers its balloon selftest"
guest_files kst2 ours PV 'lab.selftests=xen_guest,xen_vcpu' "$tmp/cfg"
is "$(grep -o 'lab.selftests=[^ ]*' "$tmp/cfg/kst2.cfg"):$(cat "$tmp/cfg/kst2.lab")" 'lab.selftests=xen_guest,xen_vcpu:KST_GT=240' \
	"guest_files: only the programs named, and no balloon handshake without xen_balloon"
guest_files sd ours PVH 'type="pvh"; lab.shutdown=reboot' "$tmp/cfg"
like "$(grep '^extra=' "$tmp/cfg/sd.cfg")" ' lab.shutdown=reboot"$' "guest_files: lab.shutdown tells the guest how to end"
guest_files ref ours 'refuse:x' 'type="pvh"' "$tmp/cfg"
is "$(grep '^extra=' "$tmp/cfg/ref.cfg"):$([ -e "$tmp/cfg/ref.lab" ] && echo lab)" 'extra="console=hvc0 loglevel=6 lab.expect_cpus=2":' \
	"guest_files: a refuse: guest gets no type or memory expectation, and no devices"

# --- result fields and verdicts on canned lines ----------------------------------------------
R='LAB-RESULT name=g create_rc=0 guest_type=PVH cpus=2 memkb=217656 kernel=6.12.117+deb12-amd64 marker=1 markers=1 panic=0 timeout=0 secs=14.2 leftover=0 gone=1.0 disk_sha=none domid=1 shutdown=none preserved=none xl_msg=Parsing config from /lab/cfg/g.cfg'
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
SHB=${SHA/4/6}
G2="LAB disk_sha256=$SHA dev=xvda"$'\r'$'\n'"LAB disk_sha256=$SHB dev=xvdb"
is "$(disk_verdict "$(set_r "disk_sha=$SHA,$SHB")" "$G2")" "ok|dom0's images hold what the guest wrote (sha256 xvda ${SHA:0:16}…, xvdb ${SHB:0:16}…)" \
	"disk_verdict: two disks, each image as the guest wrote it, is ok"
like "$(disk_verdict "$(set_r "disk_sha=$SHA,$SHA")" "$G2")" "^not ok\|dom0's image of xvdb holds sha256 ${SHA:0:16}…, the guest wrote ${SHB:0:16}…" \
	"disk_verdict: the second disk's image not as written is not ok"
is "$(disk_verdict "$RD" "$GD"$'\n'"LAB disk_sha256=$SHA2 dev=xvda")" "not ok|dom0's image holds sha256 ${SHA:0:16}…, the guest wrote ${SHA2:0:16}…" \
	"disk_verdict: the guest's last hash of a disk counts (a later rewrite)"

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

# lab.shutdown: the reason xl logged (shutdown= in LAB-RESULT) against the one asked for
with_sd() { echo "${1/ shutdown=none / shutdown=$2 }"; } # with_sd RESULT CODE
is "$(shutdown_verdict "$(with_sd "$R" 3)" "" crash)" 'ok|xl saw shutdown reason crash (code 3), domain gone' \
	"shutdown_verdict: a crash that xl saw as one is ok"
is "$(shutdown_verdict "$(with_sd "$R" 1)" "" reboot)" 'ok|xl saw shutdown reason reboot (code 1), domain gone' \
	"shutdown_verdict: a reboot that xl saw as one is ok"
is "$(shutdown_verdict "$(with_sd "$R" 0)" "" crash)" 'not ok|xl saw poweroff, expected crash (code 3)' \
	"shutdown_verdict: another reason is not ok"
is "$(shutdown_verdict "$(with_sd "$R" none)" "" reboot)" "not ok|xl saw no shutdown reason in xl's log, expected reboot (code 1)" \
	"shutdown_verdict: no reason in xl's log is not ok"
like "$(shutdown_verdict "$(with_sd "$(set_r leftover=1)" 1)" "" reboot)" '^not ok\|xl saw reboot, but the domain outlived' \
	"shutdown_verdict: a domain that stays is not ok"
like "$(shutdown_verdict "$(with_sd "$(set_r marker=0)" 3)" "" crash)" '^not ok\|no LAB-GUEST-DONE' "shutdown_verdict: no marker is not ok"
GS='Kernel panic - not syncing: sysrq triggered crash'
is "$(shutdown_verdict "$(with_sd "$(set_r preserved=sc)" 3)" "$GS" sysrq)" \
	"ok|'$GS', xl saw shutdown reason crash (code 3), preserved by Xen in state 'sc', then destroyed" \
	"shutdown_verdict: a sysrq crash, said on the console and kept by on_crash=preserve, is ok"
like "$(shutdown_verdict "$(with_sd "$R" 3)" 'Kernel panic - not syncing: Attempted to kill init!' sysrq)" \
	"^not ok\|no 'Kernel panic - not syncing: sysrq triggered crash'" "shutdown_verdict: a crash for another reason is not a sysrq crash"

# lab.xl: dom0's xl-action lines and xl's log against the actions asked for
XG=$'dom0: xl-action reboot rc=0 secs=3.3 result=back domid=2: Rebooting domain 1\ndom0: xl-action shutdown rc=0 secs=1.3 result=gone domid=2: x'
XG+=$'\nxl-log: Domain 1 has shut down, reason code 1 0x1\nxl-log: Domain 2 has shut down, reason code 0 0x0'
is "$(xl_verdict "$(set_r markers=2)" "$XG" reboot,shutdown)" "ok|xl reboot: back after 3.3 s, xl shutdown: gone after 1.3 s; shutdown reasons '1 0'; 2 markers" \
	"xl_verdict: a reboot that comes back, then a shutdown, is ok"
like "$(xl_verdict "$(set_r markers=2)" "${XG/result=back/result=there}" reboot,shutdown)" '^not ok\|xl reboot: wanted rc=0 and result=back' \
	"xl_verdict: a reboot after which the domain does not come back is not ok"
like "$(xl_verdict "$(set_r markers=1)" "$XG" reboot,shutdown)" '^not ok\|the guest printed its marker 1 times, wanted 2' \
	"xl_verdict: a rebooted guest that does not reach its marker again is not ok"
like "$(xl_verdict "$(set_r markers=2)" "${XG/code 0 0x0/code 3 0x3}" reboot,shutdown)" "^not ok\|xl logged shutdown reasons '1 3', wanted '1 0'" \
	"xl_verdict: a shutdown that xl saw as a crash is not ok"
like "$(xl_verdict "$(set_r markers=1)" "${XG%%$'\n'*}" destroy)" '^not ok\|xl destroy: wanted rc=0 and result=gone' \
	"xl_verdict: another action than asked is not ok"

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
like "$(cat "$tmp/out/table.txt" 2>/dev/null)" '^wrong +ours +PVH +PV +9.5 +217656 +- +not ok$' "run.sh --replay: table row for a failing guest"

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
# --expect-dom0: dom0's own line, with every PCI device it found reported to Xen
sed 's/^LAB-DOM0-START .*/LAB-DOM0-START uptime=7.8 guest_type=PVH kernel=6.12.117-xen-pvh/
	s/^LAB-DOM0-READY .*/&\r/; s/free_mb=1000/free_mb=1000 pci=2 gsi=IO-APIC:i8042:9,IO-APIC:acpi:0/' \
	"$tmp/clean.log" >"$tmp/d0.log"
printf '(XEN) PCI add device 0000:00:00.0\n(XEN) PCI add device 0000:00:1f.0\n' >>"$tmp/d0.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/d0.log" --expect-dom0 PVH -o "$tmp/out5" "$tmp/one.plan" 2>/dev/null)
is "$?:$(sed -n 3p <<<"$out")" "0:ok 2 - dom0: guest_type PVH, toolstack up, 2 PCI devices reported to Xen, interrupts through IO-APIC (i8042 9) (kernel 6.12.117-xen-pvh)" \
	"run.sh --expect-dom0: dom0 ok when Xen was told of every PCI device it found"
sed '$d' "$tmp/d0.log" >"$tmp/d0b.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/d0b.log" --expect-dom0 PVH -o "$tmp/out5" "$tmp/one.plan" 2>/dev/null)
is "$?:$(sed -n 3p <<<"$out")" "1:not ok 2 - dom0: dom0 found 2 PCI devices, Xen was told of 1" \
	"run.sh --expect-dom0: a PCI device Xen was not told of fails dom0"
sed 's/i8042:9/i8042:0/' "$tmp/d0.log" >"$tmp/d0c.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/d0c.log" --expect-dom0 PVH -o "$tmp/out5" "$tmp/one.plan" 2>/dev/null)
is "$?:$(sed -n 3p <<<"$out")" "1:not ok 2 - dom0: no device interrupt through IO-APIC in dom0 (gsi=IO-APIC:i8042:0,IO-APIC:acpi:0)" \
	"run.sh --expect-dom0: a PVH dom0 without an IO-APIC interrupt fails"
# a stock dom0 that Xen crashed: the guest it was starting is skipped; another dom0's crash fails it
{ grep -v -E 'LAB-RESULT|LAB-DOM0-DONE' "$tmp/d0.log"; echo '(XEN) d0v1 Triple fault - invoking HVM shutdown action 1'; } >"$tmp/d0x.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/d0x.log" --dom0-kernel stock --expect-dom0 PVH -o "$tmp/out5" "$tmp/one.plan" 2>/dev/null)
is "$?:$(sed -n 2p <<<"$out")" "0:ok 1 - good: # SKIP stock kernel crashed: stock dom0: (XEN) d0v1 Triple fault - invoking HVM shutdown action 1" \
	"run.sh: a guest a stock dom0 never finished because Xen crashed that dom0 is skipped"
out=$("$TOP/lab/run.sh" --replay "$tmp/d0x.log" --dom0-kernel /lab/ours --expect-dom0 PVH -o "$tmp/out5" "$tmp/one.plan" 2>/dev/null)
like "$?:$(sed -n 2p <<<"$out")" '^1:not ok 1 - good: no result from dom0' "run.sh: the same crash of any other dom0 fails the guest"
out=$("$TOP/lab/run.sh" --replay "$tmp/d0.log" --expect-dom0 PV -o "$tmp/out5" "$tmp/one.plan" 2>/dev/null)
is "$?:$(sed -n 3p <<<"$out")" "1:not ok 2 - dom0: dom0 reported guest_type PVH, expected PV" \
	"run.sh --expect-dom0: the wrong dom0 guest_type fails dom0"

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
like "$(cat "$tmp/out5/table.txt")" '^dev +stock +PVH +PVH +14.2 +217656 +- +not ok$' "run.sh --replay: the table row fails when a host-side check fails"

# --- vCPUs (issue 9): maxvcpus, the hotplug stress test's options, host checks -----------------
printf 'a | ours | PVH | vcpus=4; maxvcpus=8; lab.selftests=xen_vcpu,xen_vcpu_hotplug; lab.hotplug_rounds=3; lab.kst_pass=xen_vcpu,xen_vcpu_hotplug:under_load; lab.expect_line=Xen PVH: secondary CPUs start through INIT/SIPI\n' >"$tmp/s1.plan"
plan_parse "$tmp/s1.plan" >/dev/null; is $? 0 "plan with maxvcpus, xen_vcpu_hotplug, lab.hotplug_rounds, lab.kst_pass and lab.expect_line parses"
printf 'a | ours | PVH | lab.hotplug_rounds=3\n' >"$tmp/s2.plan"
like "$(plan_parse "$tmp/s2.plan")" '"lab.hotplug_rounds=3" needs lab.selftests' "lab.hotplug_rounds without lab.selftests is rejected"
printf 'a | ours | PVH | lab.selftests; lab.hotplug_rounds=0\n' >"$tmp/s3.plan"
like "$(plan_parse "$tmp/s3.plan")" 'unknown lab option "lab.hotplug_rounds=0"' "lab.hotplug_rounds=0 is rejected"
printf 'a | ours | PVH | lab.selftests; lab.kst_pass=vcpu\n' >"$tmp/s4.plan"
like "$(plan_parse "$tmp/s4.plan")" 'unknown lab option "lab.kst_pass=vcpu"' "lab.kst_pass names programs xen_* or cases xen_*:TEST"
printf 'r | ours | refuse:x | lab.expect_line=foo\n' >"$tmp/s5.plan"
like "$(plan_parse "$tmp/s5.plan")" '"lab.expect_line=foo" needs a guest that boots' "lab.expect_line on a refuse: line is rejected"
guest_files smp ours PVH 'type="pvh"; vcpus=4; maxvcpus=8; lab.selftests=xen_vcpu' "$tmp/cfg"
is "$(grep -o 'lab.expect_cpus=[^ ]* lab.expect_possible=[^ ]*' "$tmp/cfg/smp.cfg"):$(cat "$tmp/cfg/smp.lab")" \
	'lab.expect_cpus=4 lab.expect_possible=8:KST_GT=240' \
	"guest_files: maxvcpus= becomes lab.expect_possible; xen_vcpu alone gets neither vcpu-set answers nor more time"
is "$(grep -c expect_possible "$tmp/cfg/kst.cfg")" 0 "guest_files: no maxvcpus=, no lab.expect_possible"
guest_files hp ours PVH 'type="pvh"; vcpus=4; maxvcpus="8"; lab.selftests=xen_vcpu_hotplug; lab.hotplug_rounds=3' "$tmp/cfg"
is "$(grep -o 'lab.expect_possible=8 .*lab.name=hp.*"' "$tmp/cfg/hp.cfg" | sed 's/lab.expect_mem_kb=[^ ]* //')" \
	'lab.expect_possible=8 lab.selftests=xen_vcpu_hotplug lab.mem_mb=256 lab.name=hp lab.vcpu_host=1 lab.hotplug_rounds=3 lab.kst_limit=280"' \
	"guest_files: xen_vcpu_hotplug is told dom0 answers, its rounds, and a program limit of 100 s + 60 s a round"
is "$(cat "$tmp/cfg/hp.lab")" $'KST_GT=420\nKST_VCPU=1' "guest_files: dom0 answers xen_vcpu_hotplug's requests and waits 240 s + 60 s a round more"
is "$(kst_gt 'lab.selftests=xen_guest,xen_vcpu_hotplug'):$(kst_limit 'lab.selftests=xen_guest,xen_vcpu_hotplug'):$(kst_gt 'vcpus=4'):$(kst_gt 'lab.selftests')" \
	'540:400:0:240' "kst_gt, kst_limit: 5 rounds without lab.hotplug_rounds; no selftests, no more time; all has no hotplug"
guest_files hpall ours PVH 'lab.selftests' "$tmp/cfg"
like "$(cat "$tmp/cfg/hpall.cfg" "$tmp/cfg/hpall.lab")" '^[^V]*$' "guest_files: lab.selftests (all) gets no vcpu-set answers"

# lab.kst_pass: a skip of a case that must pass is not ok, and so is one that never ran
KP='KST xen_vcpu: 1..2
KST xen_vcpu: ok 1 global.online_count
KST xen_vcpu: ok 2 global.possible_count # SKIP no XEN_SELFTEST_MAX_CPUS to compare
KST-END xen_vcpu rc=0'
is "$(kst_tap "$KP" "" "" xen_vcpu | cut -d'|' -f1,3,4)" 'ok|PASS|xen_vcpu: online_count
not ok|SKIP|xen_vcpu: possible_count: skipped (no XEN_SELFTEST_MAX_CPUS to compare), but the plan wants it to pass' \
	"kst_tap: a program that must pass: its skip is not ok"
is "$(kst_tap "$KP" "" "" "xen_vcpu:online_count" | cut -d'|' -f1,3)" $'ok|PASS\nok|SKIP' "kst_tap: a case that must pass leaves the others' skips alone"
is "$(kst_tap "$KP" "" "" "xen_vcpu:vcpu_id,xen_vcpu_hotplug" | tail -2)" \
	'not ok|xen_vcpu: vcpu_id|NORUN|xen_vcpu: vcpu_id: must pass, but never ran
not ok|xen_vcpu_hotplug: (program)|NORUN|xen_vcpu_hotplug: must pass, but never ran' \
	"kst_tap: a case or a program that must pass and never ran is not ok"
is "$(kst_tap "$KP$'\nKST-END xen_vcpu_hotplug rc=missing'" "" "" xen_vcpu_hotplug | grep -c hotplug)" 1 \
	"kst_tap: a missing program that must pass fails once, as missing"

# lab.expect_line: the kernel's line naming how the secondary CPUs started
GL=$'cfg: extra="console=hvc0 lab.expect_cpus=4"\nLAB dmesg: [    0.52] Xen PVH: secondary CPUs start through INIT/SIPI (xen_pvh_cpu_start=native)\nLAB-GUEST-DONE'
is "$(expect_line_verdict "$R" "$GL" 'Xen PVH: secondary CPUs start through INIT/SIPI')" \
	"ok|the guest console has 'Xen PVH: secondary CPUs start through INIT/SIPI'" "expect_line_verdict: the line is there"
is "$(expect_line_verdict "$R" "$GL" 'Xen PVH: secondary CPUs start through VCPUOP_initialise and VCPUOP_up')" \
	"not ok|no line with 'Xen PVH: secondary CPUs start through VCPUOP_initialise and VCPUOP_up' on the guest console; closest: 'LAB dmesg: [    0.52] Xen PVH: secondary CPUs start through INIT/SIPI (xen_pvh_cpu_start=native)'" \
	"expect_line_verdict: another path's line is not ok, and is quoted"
is "$(expect_line_verdict "$R" "$GL" 'lab.expect_cpus=4')" "not ok|no line with 'lab.expect_cpus=4' on the guest console" \
	"expect_line_verdict: dom0's cfg: lines are not the guest's console"
is "$(expect_line_verdict "" "$GL" 'x')" 'not ok|no result' "expect_line_verdict: no result is not ok"

# run.sh on a canned log: lab.expect_line is one more TAP line; lab.kst_pass fails a skip
cat >"$tmp/smp.plan" <<'P'
vcpuop | ours | PVH | vcpus=4; maxvcpus=8; lab.selftests=xen_vcpu; lab.kst_pass=xen_vcpu; lab.expect_line=Xen PVH: secondary CPUs start through VCPUOP_initialise and VCPUOP_up
native | ours | PVH | vcpus=4; maxvcpus=4; lab.args=xen_pvh_cpu_start=native; lab.expect_line=Xen PVH: secondary CPUs start through INIT/SIPI
dead   | ours | PVH | vcpus=4; lab.selftests=xen_vcpu; lab.expect_line=Xen PVH: secondary
P
{
	echo 'LAB-DOM0-READY uptime=10.8 xen=4.17.7 free_mb=1000'
	printf '[vcpuop] %s\n' 'LAB guest_type=PVH' 'LAB dmesg: [    0.31] Xen PVH: secondary CPUs start through VCPUOP_initialise and VCPUOP_up' \
		'ok 1 - cpus possible 8 (0-7), expected 8' 'KST xen_vcpu: 1..2' 'KST xen_vcpu: ok 1 global.online_count' \
		'KST xen_vcpu: ok 2 global.offline_online # SKIP no CPU can go offline (4 online)' 'KST-END xen_vcpu rc=0' 'LAB-GUEST-DONE uptime=3.1'
	set_r | sed 's/name=g /name=vcpuop /'
	printf '[native] %s\n' 'LAB guest_type=PVH' 'LAB-GUEST-DONE uptime=3.1'
	set_r | sed 's/name=g /name=native /'
	echo '[dead]  #2'
	set_r marker=0 guest_type= secs=9.0 | sed 's/name=g /name=dead /'
	echo 'LAB-DOM0-DONE uptime=200'
} >"$tmp/smp.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/smp.log" -o "$tmp/out12" "$tmp/smp.plan" 2>/dev/null)
is "$?:$(sed -n 1,6p <<<"$out")" "1:1..9
ok 1 - vcpuop: guest_type PVH (14.2 s)
ok 2 - vcpuop: expect_line: the guest console has 'Xen PVH: secondary CPUs start through VCPUOP_initialise and VCPUOP_up'
ok 3 - vcpuop: xen_vcpu: online_count
not ok 4 - vcpuop: xen_vcpu: offline_online: skipped (no CPU can go offline (4 online)), but the plan wants it to pass
ok 5 - native: guest_type PVH (14.2 s)" "run.sh --replay: lab.expect_line adds a TAP line; lab.kst_pass fails a skip"
is "$(sed -n 7p <<<"$out")" "not ok 6 - native: expect_line: no line with 'Xen PVH: secondary CPUs start through INIT/SIPI' on the guest console" \
	"run.sh --replay: a missing line is not ok"
is "$(sed -n 8,10p <<<"$out")" "not ok 7 - dead: no LAB-GUEST-DONE marker: guest died after 9.0 s (guest_type not reported)
not ok 8 - dead: expect_line: no line with 'Xen PVH: secondary' on the guest console
not ok 9 - dead: selftests: none ran: no LAB-GUEST-DONE marker: guest died after 9.0 s (guest_type not reported)" \
	"run.sh --replay: a guest that died: its expect_line fails, and its selftests say why they never ran"

# the hotplug helper (/bin/lab-hotplug): what udev's rule does for a CPU that Xen adds
S=$tmp/hpsys; mkdir -p "$S/devices/system/cpu/cpu2" "$S/devices/system/cpu/cpu3"
echo 0 >"$S/devices/system/cpu/cpu2/online"; echo 1 >"$S/devices/system/cpu/cpu3/online"
hp() { # hp SUBSYSTEM ACTION CPU: run the helper on that event, print its console line
	rm -f "$tmp/hp.out"
	SUBSYSTEM=$1 ACTION=$2 DEVPATH=/devices/system/$3 SEQNUM=41 LAB_SYSFS=$S LAB_CONSOLE=$tmp/hp.out \
		busybox sh "$TOP/lab/guest-hotplug.sh"
	echo "$?:$(cat "$tmp/hp.out" 2>/dev/null)"
}
like "$(hp cpu add cpu/cpu2):$(cat "$S/devices/system/cpu/cpu2/online")" \
	'^0:LAB hotplug: add cpu2 \(seq 41\): online 0 -> 1 \(uptime [0-9.]+\):1$' "guest-hotplug.sh: a CPU added offline is put online, and it says so"
like "$(hp cpu add cpu/cpu3)" '^0:LAB hotplug: add cpu3 \(seq 41\): already online 1' "guest-hotplug.sh: a CPU already online is left alone"
like "$(hp cpu add cpu/cpu5)" '^0:LAB hotplug: add cpu5 .*no .*/cpu5/online, not hotpluggable' "guest-hotplug.sh: a CPU without an online file is left alone"
is "$(hp cpu remove cpu/cpu2)|$(hp memory add memory/memory3)|$(hp cpu offline cpu/cpu2)" '0:|0:|0:' \
	"guest-hotplug.sh: other events (remove, offline, another subsystem): nothing, silently"

# dom0-init.sh answers xen_vcpu_hotplug's requests for an xl vcpu-set, with a fake xl: once per
# seq, in order, a request line still being written only once it is whole, none that a kernel
# message cut into (the guest asks again), and only for a guest whose .lab has KST_VCPU=1
V=$tmp/d0v
mkdir -p "$V/t" "$V/fake" "$V/state" "$V/lab/cfg"
sed -e "s#/tmp/#$V/t/#g" -e "s#/run/#$V/run/#g; s#/var/log/xen#$V/log#g; s#/var/lib/xen#$V/lib#g" \
	-e "s#/var/lock#$V/lock#g; s#/lab/#$V/lab/#g; s#/lib/modules/#$V/mod/#g" \
	-e "s#^export PATH=.*#export PATH=$V/fake:\$PATH#; /^mount /d; /^mkdir -p \/dev/d; /^dmesg /d" \
	-e 's/^poweroff -f$/echo POWEROFF/' "$TOP/lab/dom0-init.sh" >"$V/init"
cat >"$V/fake/xl" <<'X'
#!/bin/sh
# a fake xl: a domain is $S/dom.NAME; the guests print vCPU requests when unpaused, and the
# hotplug one goes on as the vcpu-sets come
S=$FAKE_STATE
echo "$*" >>"$S/calls"
req() { printf 'KST xen_vcpu_hotplug: # XEN-SELFTEST-VCPU-REQUEST seq=%s\r\n' "$@" >>"$FAKE_LOG/guest-$g.log"; }
case "$1" in
info) printf 'xen_version            : 4.17.7\nfree_memory            : 1000\n' ;;
list) echo "Name ID Mem VCPUs State Time(s)"; echo "Domain-0 0 1024 2 r----- 1.0" ;;
create) g=$(sed -n 's/^name="\(.*\)"$/\1/p' "$3"); : >"$S/dom.$g"; echo "Parsing config from $3"
	# the xl that watches the domain logs why it ended
	[ "$g" != quiet ] || printf 'Waiting for domain quiet (domid 7) to die [pid 9]\r\nDomain 7 has shut down, reason code 3 0x3\r\n' >"$FAKE_LOG/../xl-$g.log" ;;
domid) [ -f "$S/dom.$2" ] || exit 1; echo 7 ;;
unpause) g=$2
	req '1 vcpus=1[  158.93] ------------[ cut here ]------------' '2 vcpus=1' '2 vcpus=1'
	if [ "$g" = quiet ]; then echo LAB-GUEST-DONE >>"$FAKE_LOG/guest-$g.log"; rm "$S/dom.$g"; fi ;;
vcpu-set) g=$3; n=$(($(cat "$S/n" 2>/dev/null || echo 0) + 1)); echo $n >"$S/n"
	case $n in
	1) req '3 vcpus=4'; printf 'KST xen_vcpu_hotplug: # XEN-SELFTEST-VCPU-REQUEST seq=4 vcpus=' >>"$FAKE_LOG/guest-$g.log" ;;
	2) sleep 1; printf '2\r\n' >>"$FAKE_LOG/guest-$g.log"; req '5 vcpus=9' ;;
	3) ;;
	4) echo "libxl: error: cannot set 9 vCPUs" >&2; echo LAB-GUEST-DONE >>"$FAKE_LOG/guest-$g.log"; rm "$S/dom.$g"; exit 1 ;;
	esac ;;
esac
X
for f in xenstored xen-init-dom0 xenconsoled; do printf '#!/bin/sh\nexit 0\n' >"$V/fake/$f"; done
chmod +x "$V"/fake/*
printf 'GT=30 NET_DOM0=10.99.0.1\n' >"$V/lab/settings"
printf 'hp\nquiet\n' >"$V/lab/guests"
for g in hp quiet; do printf 'name="%s"\n' "$g" >"$V/lab/cfg/$g.cfg"; done
echo KST_VCPU=1 >"$V/lab/cfg/hp.lab"
if outside=$(sed "s#$V/#V/#g" "$V/init" | grep -nE '^[[:space:]]*(mount|dmesg|insmod|poweroff)|[ "=(](/lab|/run|/var|/tmp|/lib)/'); then
	nok "dom0-init.sh with a fake xl (vcpu-set): the script still reaches outside $V" "$(head -3 <<<"$outside")"
else
	mkdir -p "$V/log/console"
	d0=$(FAKE_STATE=$V/state FAKE_LOG=$V/log/console timeout 120 busybox sh "$V/init" 2>&1)
	is "$(grep vcpu-set "$V/state/calls")" $'vcpu-set --ignore-host hp 1\nvcpu-set --ignore-host hp 4\nvcpu-set --ignore-host hp 2\nvcpu-set --ignore-host hp 9' \
		"dom0-init.sh: xl vcpu-set once per request seq, in order, a half-written request once it is whole, none for a cut one or a guest without KST_VCPU"
	like "$d0" '\[hp\] dom0: xl vcpu-set 1: seq=2 rc=0 \([0-9.]+ s, uptime [0-9.]+\)'$'\n' "dom0-init.sh: says what it did, at once"
	like "$d0" '\[hp\] dom0: xl vcpu-set 9: seq=5 rc=1 \([0-9.]+ s, uptime [0-9.]+\): libxl: error: cannot set 9 vCPUs'$'\n' \
		"dom0-init.sh: a failed vcpu-set says why"
	like "$(grep 'LAB-RESULT name=hp ' <<<"$d0")" ' marker=1 ' "dom0-init.sh: the guest that asked for vCPUs still reaches its marker"
	like "$(grep 'LAB-RESULT name=quiet ' <<<"$d0")" ' shutdown=3 ' "dom0-init.sh: reports the shutdown reason from xl's log"
	like "$(grep 'LAB-RESULT name=hp ' <<<"$d0")" ' shutdown=none ' "dom0-init.sh: shutdown=none without xl's log"
	like "$d0" $'\n\\[quiet\\] xl-log: Domain 7 has shut down, reason code 3 0x3\n' "dom0-init.sh: relays xl's log"
fi

# guest-init.sh (run by busybox on the host): lab.expect_possible against the host's possible
# CPUs; the selftests are told it, whether dom0 answers, the rounds, and lab.kst_limit holds
gip() {
	sed "s/^poweroff -f\$/echo POWEROFF/; s/; reboot -f ;;/; echo REBOOT ;;/; s/^PATH=.*/PATH=\$PATH/; /^mount /d; /^	mount -t xenfs/d; s/^rd \/proc\/cmdline; cmdline=.*/cmdline='$1'/;
		s#/kst/#$tmp/smpkst/#g; s#^	for m in xen-evtchn .*##" "$TOP/lab/guest-init.sh" | timeout 60 busybox sh 2>&1
}
np=$(awk -F, '{ for (i = 1; i <= NF; i++) { split($i, r, "-"); n += (2 in r) ? r[2] - r[1] + 1 : 1 } } END { print n }' /sys/devices/system/cpu/possible)
pl=$(cat /sys/devices/system/cpu/possible)
like "$(gip "lab.expect_possible=$np")" "^ok 1 - cpus possible $np \\($pl\\), expected $np\$" "guest-init.sh: possible CPUs as lab.expect_possible says is ok"
like "$(gip "lab.expect_possible=$((np + 1))")" "^not ok 1 - cpus possible $np \\($pl\\), expected $((np + 1))\$" \
	"guest-init.sh: another number of possible CPUs is not ok"
mkdir -p "$tmp/smpkst"
printf '#!/bin/sh\necho "1..1"; echo "# env $XEN_SELFTEST_NR_CPUS/$XEN_SELFTEST_MAX_CPUS/$XEN_SELFTEST_VCPU_HOST/$XEN_SELFTEST_HOTPLUG_ROUNDS/$XEN_SELFTEST_HOTPLUG_CPUS"; echo "ok 1 global.x"\n' >"$tmp/smpkst/xen_env"
printf '#!/bin/sh\necho "1..1"; exec sleep 5\n' >"$tmp/smpkst/xen_slow"
chmod +x "$tmp/smpkst/"*
gi=$(gip 'lab.selftests=xen_env,xen_slow lab.expect_cpus=4 lab.expect_possible=8 lab.vcpu_host=1 lab.hotplug_rounds=7 lab.hotplug_cpus=6 lab.kst_limit=2')
like "$gi" $'\nKST xen_env: # env 4/8/1/7/6\n' "guest-init.sh: the selftests get XEN_SELFTEST_MAX_CPUS, _VCPU_HOST, _HOTPLUG_ROUNDS and _HOTPLUG_CPUS"
like "$gi" $'\nKST-END xen_slow rc=timeout limit=2s\n' "guest-init.sh: lab.kst_limit sets the selftests' limit"
like "$gi" $'\nLAB cpus_possible=[0-9][0-9,-]*\nLAB hotplug_helper=none\n' "guest-init.sh: reports the possible CPUs; the hotplug helper starts only as PID 1"
like "$gi" $'\nLAB powering off\nPOWEROFF' "guest-init.sh: powers off without lab.shutdown"
like "$(gip 'lab.shutdown=reboot')" $'\nLAB rebooting\nREBOOT$' "guest-init.sh: lab.shutdown=reboot reboots"
gi=$(gip 'lab.shutdown=crash'; echo "rc=$?")
like "$gi" $'\nLAB crashing: init exits\nrc=3$' "guest-init.sh: lab.shutdown=crash ends PID 1 (a panic), no power-off"

# --- guest selftests: KST console lines -> TAP, negative checks, the side-by-side table ----------
KST='KST xen_guest: TAP version 13
KST xen_guest: 1..3
KST xen_guest: #  RUN           global.hypervisor_type ...
KST xen_guest: ok 1 global.hypervisor_type
KST xen_guest: #  RUN           global.guest_type ...
KST xen_guest: # xen_guest.c:52:guest_type:Expected want (PV) == buf (PVH)
KST xen_guest: # guest_type: Test failed
KST xen_guest: not ok 2 global.guest_type
KST xen_guest: ok 3 global.memory_map # SKIP no XEN_SELFTEST_MEM_MB to compare
KST-END xen_guest rc=1
KST xen_evtchn: 1..2
KST xen_evtchn: ok 1 evtchn.bind_notify_unbind
KST xen_evtchn: #  RUN           evtchn.many_ports ...
KST-END xen_evtchn rc=139
KST-END xen_balloon rc=missing
KST xen_gntdev: 1..1
KST xen_gntdev: #  RUN           gnt.share_map_unmap ...
KST-END xen_gntdev rc=timeout limit=240s
KST xen_vcpu: 1..1
KST xen_vcpu: #  RUN           global.offline_online ...
KST xen_vcpu: # offline_online: Test terminated by timeout
KST xen_vcpu: not ok 1 global.offline_online
KST-END xen_vcpu rc=1'
k=$(kst_tap "$KST")
is "$(sed -n 1p <<<"$k")" 'ok|xen_guest: hypervisor_type|PASS|xen_guest: hypervisor_type' "kst_tap: a passing case"
is "$(sed -n 2p <<<"$k")" 'not ok|xen_guest: guest_type|FAIL|xen_guest: guest_type: xen_guest.c:52:guest_type:Expected want (PV) == buf (PVH)' \
	"kst_tap: a failing case quotes its failed assertion"
is "$(sed -n 3p <<<"$k")" 'ok|xen_guest: memory_map|SKIP|xen_guest: memory_map # SKIP no XEN_SELFTEST_MEM_MB to compare' \
	"kst_tap: a skip stays a SKIP with its reason"
is "$(sed -n 5p <<<"$k")" 'not ok|xen_evtchn: (program)|CRASH|xen_evtchn: exited rc 139, 1 of 2 cases never reported' \
	"kst_tap: a program that dies before its last case is not ok"
is "$(sed -n 6p <<<"$k")" 'not ok|xen_balloon: (program)|MISSING|xen_balloon: missing from the guest image' "kst_tap: a missing program is not ok"
like "$(sed -n 7p <<<"$k")" "^not ok\|xen_gntdev: \(program\)\|TIMEOUT\|xen_gntdev: still running at the guest's limit .*1 of 1 cases never reported \(running: gnt.share_map_unmap\)" \
	"kst_tap: a program still running at the guest's limit is not ok and names the case it was in"
is "$(sed -n 8p <<<"$k")" 'not ok|xen_vcpu: offline_online|FAIL|xen_vcpu: offline_online: offline_online: Test terminated by timeout' \
	"kst_tap: a case the harness timed out says so"
k=$(kst_tap "$KST" "xen_guest:guest_type,xen_guest:memory_map,xen_vcpu:getcpu_vdso")
like "$(sed -n 2p <<<"$k")" '^ok\|xen_guest: guest_type\|XFAIL\|xen_guest: guest_type: failed as it must: xen_guest.c:52' \
	"kst_tap: a negative check whose case fails is ok"
like "$(sed -n 3p <<<"$k")" '^not ok\|xen_guest: memory_map\|XPASS\|.*skipped \(no XEN_SELFTEST_MEM_MB to compare\), but it must fail' \
	"kst_tap: a negative check whose case skips is not ok"
is "$(tail -1 <<<"$k")" 'not ok|xen_vcpu: getcpu_vdso|NORUN|xen_vcpu: getcpu_vdso: must fail, but never ran' \
	"kst_tap: a negative check whose case never ran is not ok"
k=$(kst_tap "$KST" "" "xen_guest:guest_type,xen_guest:hypervisor_type,xen_guest:memory_map")
is "$(sed -n 2p <<<"$k")" 'ok|xen_guest: guest_type|KNOWN|xen_guest: guest_type: known failure (the plan says why): xen_guest.c:52:guest_type:Expected want (PV) == buf (PVH)' \
	"kst_tap: a known failure that fails is ok, and says it is known"
is "$(sed -n 1p <<<"$k")" 'not ok|xen_guest: hypervisor_type|FIXED|xen_guest: hypervisor_type: passed: the known failure is gone, drop it from the plan' \
	"kst_tap: a known failure that passes is not ok: the plan must drop it"
is "$(sed -n 3p <<<"$k" | cut -d'|' -f3)" SKIP "kst_tap: a known failure that skips stays a skip"
is "$(kst_tap $'KST xen_vcpu: 1..1\r\nKST xen_vcpu: ok 1 global.online_count\r\nKST-END xen_vcpu rc=0\r')" \
	'ok|xen_vcpu: online_count|PASS|xen_vcpu: online_count' "kst_tap: CRs the serial console leaves are ignored"
is "$(kst_tap $'KST xen_vcpu: 1..1\nKST xen_vcpu: ok 1 global.online_count\nKST-END xen_vcpu rc=1')" \
	'ok|xen_vcpu: online_count|PASS|xen_vcpu: online_count
not ok|xen_vcpu: (program)|CRASH|xen_vcpu: exited rc 1 without a failed case' "kst_tap: a non-zero exit without a failed case is not ok"
is "$(kst_tap $'KST xen_vcpu: 1..2\nKST xen_vcpu: ok 1 global.online_count')" \
	'ok|xen_vcpu: online_count|PASS|xen_vcpu: online_count
not ok|xen_vcpu: (program)|CRASH|xen_vcpu: output ends without KST-END: the guest stopped while it ran' \
	"kst_tap: output that stops in the middle of a program is not ok"
is "$(kst_tap 'LAB guest_type=PV')" 'not ok|selftests: (none)|NONE|selftests: no selftest output from the guest' \
	"kst_tap: no selftest output at all is not ok"

# run.sh on a canned log: stock and ours side by side, and the negative check as a plan line
cat >"$tmp/kst.plan" <<'P'
s-pvh  | stock | PVH | type="pvh"; lab.selftests
o-pvh  | ours  | PVH | type="pvh"; lab.selftests
plain  | ours  | PV  | type="pv"
neg    | ours  | PVH | type="pvh"; lab.selftests=xen_guest; lab.kst_type=PV; lab.kst_fail=xen_guest:guest_type
P
kst_log() { # the console of that plan: NEG_OK=1 makes the negative check's case pass
	echo 'LAB-DOM0-READY uptime=10.8 xen=4.17.7 free_mb=1000'
	for g in s-pvh o-pvh plain neg; do
		t=PVH; [ $g = plain ] && t=PV
		echo "[$g] LAB guest_type=$t"
		if [ $g != plain ]; then
			printf "[$g] KST xen_guest: %s\n" 'TAP version 13' '1..2' 'ok 1 global.hypervisor_type' '#  RUN           global.guest_type ...'
			if [ $g = neg ] && [ "${NEG_OK:-}" != 1 ]; then
				echo "[$g] KST xen_guest: # xen_guest.c:52:guest_type:Expected want (PV) == buf (PVH)"
				echo "[$g] KST xen_guest: not ok 2 global.guest_type"
			else echo "[$g] KST xen_guest: ok 2 global.guest_type"; fi
			echo "[$g] KST-END xen_guest rc=0"
		fi
		if [ $g = s-pvh ] || [ $g = o-pvh ]; then
			echo "[$g] KST xen_vcpu: 1..1"
			if [ $g = s-pvh ]; then echo "[$g] KST xen_vcpu: ok 1 global.offline_online # SKIP no CPU can go offline"
			else echo "[$g] KST xen_vcpu: ok 1 global.offline_online"; fi
			echo "[$g] KST-END xen_vcpu rc=0"
		fi
		echo "[$g] LAB-GUEST-DONE uptime=3.1"
		set_r guest_type=$t | sed "s/name=g /name=$g /"
	done
}
kst_log >"$tmp/kst.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/kst.log" -o "$tmp/out6" "$tmp/kst.plan" 2>/dev/null)
is "$?" 0 "run.sh --replay: guests with selftests and a negative check, all ok: exit 0"
is "$(sed -n 1p <<<"$out")" "1..12" "run.sh --replay: one TAP line per guest and per selftest case"
is "$(sed -n 2,5p <<<"$out")" 'ok 1 - s-pvh: guest_type PVH (14.2 s)
ok 2 - s-pvh: xen_guest: hypervisor_type
ok 3 - s-pvh: xen_guest: guest_type
ok 4 - s-pvh: xen_vcpu: offline_online # SKIP no CPU can go offline' "run.sh --replay: a guest's selftest cases follow its line"
is "$(sed -n 10p <<<"$out")" 'ok 9 - plain: guest_type PV (14.2 s)' "run.sh --replay: a guest without lab.selftests has no selftest lines"
like "$(sed -n 13p <<<"$out")" '^ok 12 - neg: xen_guest: guest_type: failed as it must: xen_guest.c:52:guest_type:Expected want \(PV\) == buf \(PVH\)$' \
	"run.sh --replay: the negative check (PV expected of a PVH guest) is ok because the case fails"
kt=$(cat "$tmp/out6/kst-table.txt" 2>/dev/null)
like "$(sed -n 1p <<<"$kt")" '^Xen selftest case +s-pvh \(stock\) +o-pvh \(ours\) +neg \(ours\) +stock vs ours$' \
	"kst-table.txt: a column per guest that ran the selftests, named with its kernel"
like "$(sed -n 2p <<<"$kt")" '^ +PVH +PVH +PVH, negative *$' "kst-table.txt: each column's guest type; the negative check marked"
like "$kt" $'\nxen_guest: guest_type +PASS +PASS +XFAIL +same\n' "kst-table.txt: a negative check takes no part in the comparison"
like "$kt" $'\nxen_vcpu: offline_online +SKIP +PASS +- +differs: PVH$' "kst-table.txt: a case where stock and ours differ is marked"
# the same plan, where things go wrong: the negative check's case passes, one of ours fails,
# and the stock guest printed no selftest output at all
NEG_OK=1 kst_log | sed 's/^\[o-pvh\] KST xen_vcpu: ok 1/[o-pvh] KST xen_vcpu: not ok 1/; /^\[s-pvh\] KST/d' >"$tmp/kst.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/kst.log" -o "$tmp/out7" "$tmp/kst.plan" 2>/dev/null)
is "$?" 1 "run.sh --replay: exit 1 when a selftest case fails"
is "$(grep 'neg: xen_guest: guest_type' <<<"$out")" 'not ok 10 - neg: xen_guest: guest_type: passed, but it must fail' \
	"run.sh --replay: a negative check whose case passes is not ok"
like "$(cat "$tmp/out7/table.txt")" $'\nneg +ours +PVH +PVH +14.2 +217656 +not ok' "run.sh --replay: the guest's table row fails with its selftests"
is "$(grep 'o-pvh: xen_vcpu' <<<"$out")" 'not ok 6 - o-pvh: xen_vcpu: offline_online: failed' "run.sh --replay: a failing selftest case is not ok"
is "$(sed -n 3p <<<"$out")" 'not ok 2 - s-pvh: selftests: no selftest output from the guest' \
	"run.sh --replay: a guest that should run them but printed none is not ok"
grep -v '^\[o-pvh\]\|name=o-pvh ' "$tmp/kst.log" >"$tmp/kst3.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/kst3.log" -o "$tmp/out9" "$tmp/kst.plan" 2>/dev/null)
like "$(grep 'o-pvh' <<<"$out")" $'^not ok 3 - o-pvh: no result from dom0.*\nnot ok 4 - o-pvh: selftests: none ran: no result from dom0' \
	"run.sh --replay: a guest without a result fails its selftests too, with one line"

# --- a stock guest that Xen crashed is skipped, not failed (issue 9) ---------------------------
# Debian's 6.12, booted only to compare with ours, sometimes triple-faults under TCG. Its failed
# lines become "ok # SKIP" quoting Xen's line only when Xen's console says Xen crashed that
# guest's own domain (domid= of its LAB-RESULT) while it ran; nothing else excuses a guest.
xen_crash_line /dev/null x 1 >/dev/null; is "$?:$(xen_crash_line /dev/null x none)" 0: "xen_crash_line: no domid recorded, no crash line"
printf '%s\n' 'LAB-GUEST-BEGIN name=sv uptime=1.0' '(XEN) d4v0 Triple fault - invoking HVM shutdown action 1' \
	'LAB-RESULT name=sv create_rc=0' >"$tmp/sv.log"
is "$(xen_crash_line "$tmp/sv.log" sv 4,5)" '(XEN) d4v0 Triple fault - invoking HVM shutdown action 1' \
	"xen_crash_line: a crash of any of the domains a restored guest has had counts"
is "$(xen_crash_line "$tmp/sv.log" sv 14,5)" '' "xen_crash_line: another domain's crash does not"
cat >"$tmp/crash.plan" <<'P'
st-crash    | stock | PVH | type="pvh"; lab.disk
st-nocrash  | stock | PVH | type="pvh"
st-slow     | stock | PVH | type="pvh"
ours-crash  | ours  | PVH | type="pvh"
st-other    | stock | PVH | type="pvh"
st-dc       | stock | PV  | type="pv"
st-wrong    | stock | PV  | type="pv"
st-old-dom0 | stock | PVH | type="pvh"
st-good     | stock | PVH | type="pvh"
P
res_dom() { # res_dom NAME DOMID KEY=VAL...: NAME's LAB-RESULT with those fields, domid=DOMID
	local g=$1 d=$2; shift 2
	set_r "$@" "domid=$d" | sed "s/name=g /name=$g /"
}
DIED=(marker=0 guest_type= secs=9.0 gone=none)
{
	echo '(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)'
	echo 'LAB-DOM0-START uptime=7.8 guest_type=PV kernel=6.1.0-56-amd64'
	echo 'LAB-DOM0-READY uptime=10.8 xen=4.17.7 free_mb=1000'
	# (1) its own domain triple-faults while it runs
	echo 'LAB-GUEST-BEGIN name=st-crash uptime=11.0'
	echo '(XEN) d1v1 Triple fault - invoking HVM shutdown action 1'
	echo '(XEN) *** Dumping Dom1 vcpu#1 state: ***'
	echo '(XEN) RIP:    0008:[<ffffffff81e4a2b1>]'
	echo '[st-crash] [    0.000000] Linux version 6.12.117+deb12-amd64'
	res_dom st-crash 1 "${DIED[@]}"
	# (2) dies without a Xen crash line; then a timeout without one
	echo 'LAB-GUEST-BEGIN name=st-nocrash uptime=30.0'
	res_dom st-nocrash 2 "${DIED[@]}"
	echo 'LAB-GUEST-BEGIN name=st-slow uptime=40.0'
	res_dom st-slow 3 marker=0 timeout=1 guest_type= secs=150.3
	# (3) our kernel, its own domain triple-faults
	echo 'LAB-GUEST-BEGIN name=ours-crash uptime=200.0'
	echo '(XEN) d4v0 Triple fault - invoking HVM shutdown action 1'
	res_dom ours-crash 4 "${DIED[@]}"
	# (4) crash lines of other domains (5 left by someone, 16, 60), and of its own domain
	# outside its run or relayed from a guest console: none is Xen crashing domain 6 while it ran
	echo '(XEN) d6v0 Triple fault - invoking HVM shutdown action 1'
	echo 'LAB-GUEST-BEGIN name=st-other uptime=210.0'
	echo '(XEN) d5v0 Triple fault - invoking HVM shutdown action 1'
	echo '(XEN) [  212.5] d16v0 Triple fault - invoking HVM shutdown action 1'
	echo '(XEN) Domain 60 (vcpu#0) crashed on cpu#1:'
	echo '[st-other] (XEN) d6v0 Triple fault - invoking HVM shutdown action 1'
	res_dom st-other 6 "${DIED[@]}"
	echo '(XEN) d6v1 Triple fault - invoking HVM shutdown action 1'
	# domain_crash(): its domid is on the line after
	echo 'LAB-GUEST-BEGIN name=st-dc uptime=220.0'
	echo '(XEN) domain_crash called from arch/x86/pv/traps.c:94'
	echo '(XEN) Domain 7 (vcpu#0) crashed on cpu#1:'
	res_dom st-dc 7 "${DIED[@]}"
	# a wrong guest_type, no crash line
	echo 'LAB-GUEST-BEGIN name=st-wrong uptime=230.0'
	echo '[st-wrong] LAB-GUEST-DONE uptime=3.1'
	res_dom st-wrong 8 guest_type=PVH
	# a dom0 that recorded no domid: nothing to match Xen's line with
	echo 'LAB-GUEST-BEGIN name=st-old-dom0 uptime=240.0'
	echo '(XEN) d9v0 Triple fault - invoking HVM shutdown action 1'
	set_r "${DIED[@]}" | sed 's/name=g /name=st-old-dom0 /'
	echo 'LAB-GUEST-BEGIN name=st-good uptime=250.0'
	echo '[st-good] LAB-GUEST-DONE uptime=3.1'
	res_dom st-good 10
	echo 'LAB-DOM0-DONE uptime=300'
} >"$tmp/crash.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/crash.log" -o "$tmp/out10" "$tmp/crash.plan" 2>"$tmp/err10")
is "$?" 1 "stock crash: exit 1 while other guests fail"
is "$(sed -n 1,3p <<<"$out")" '1..10
ok 1 - st-crash: # SKIP stock kernel crashed: (XEN) d1v1 Triple fault - invoking HVM shutdown action 1
ok 2 - st-crash: disk: # SKIP stock kernel crashed: (XEN) d1v1 Triple fault - invoking HVM shutdown action 1' \
	"stock crash (1): a stock guest whose own domain triple-faulted is skipped, quoting Xen, host-side checks too"
is "$(grep -- ' - st-nocrash: ' <<<"$out")" 'not ok 3 - st-nocrash: no LAB-GUEST-DONE marker: guest died after 9.0 s (guest_type not reported)' \
	"stock crash (2): a stock guest that dies without a Xen crash line is not ok"
like "$(grep -- ' - st-slow: ' <<<"$out")" '^not ok 4 - st-slow: timeout: ' "stock crash: a stock timeout without a Xen crash line is not ok"
is "$(grep -- ' - ours-crash: ' <<<"$out")" 'not ok 5 - ours-crash: no LAB-GUEST-DONE marker: guest died after 9.0 s (guest_type not reported)' \
	"stock crash (3): our kernel with a Xen triple fault of its own domain is not ok"
is "$(grep -- ' - st-other: ' <<<"$out")" 'not ok 6 - st-other: no LAB-GUEST-DONE marker: guest died after 9.0 s (guest_type not reported)' \
	"stock crash (4): crash lines of other domains, or of its own outside its run or not from Xen, excuse nothing"
is "$(grep -- ' - st-dc: ' <<<"$out")" 'ok 7 - st-dc: # SKIP stock kernel crashed: (XEN) domain_crash called from arch/x86/pv/traps.c:94; Domain 7 (vcpu#0) crashed on cpu#1' \
	"stock crash: Xen's domain_crash of a stock PV guest is skipped, with the line naming its domain"
is "$(grep -- ' - st-wrong: ' <<<"$out")" 'not ok 8 - st-wrong: guest_type PVH, expected PV' "stock crash: a stock guest with a wrong guest_type and no crash line is not ok"
like "$(grep -- ' - st-old-dom0: ' <<<"$out")" '^not ok 9 - st-old-dom0: no LAB-GUEST-DONE marker' \
	"stock crash: without a domid from dom0, a crash line excuses nothing"
is "$(grep -- ' - st-good: ' <<<"$out")" 'ok 10 - st-good: guest_type PVH (14.2 s)' "stock crash: a passing stock guest stays ok"
like "$(cat "$tmp/out10/table.txt")" $'\nst-crash +stock +PVH +- +9.0 +217656 +skip: stock kernel crashed\n.*\nstock kernel crashes: 2 \\(st-crash, st-dc\\): their failures are skipped$' \
	"stock crash: the table marks the row and counts the crashes"
like "$(cat "$tmp/err10")" 'run.sh: 4/10 ok \(3 skipped\); stock kernel crashes: 2 \(st-crash, st-dc\); total' "stock crash: the summary counts the crashes"
like "$(cat "$tmp/err10")" 'stock kernel crashed, skipped: st-crash: no LAB-GUEST-DONE marker: guest died after 9.0 s' \
	"stock crash: the progress output keeps what failed"

# a plan that fails only because the stock kernel crashed passes make check, with the skips counted;
# a stock guest with selftests: its failed lines are skipped, and its column leaves the comparison
cat >"$tmp/crash2.plan" <<'P'
st-crash | stock | PVH | type="pvh"; lab.disk
s-kst    | stock | PVH | type="pvh"; lab.selftests
o-kst    | ours  | PVH | type="pvh"; lab.selftests
P
{
	echo 'LAB-DOM0-READY uptime=10.8 xen=4.17.7 free_mb=1000'
	echo 'LAB-GUEST-BEGIN name=st-crash uptime=11.0'
	echo '(XEN) d1v1 Triple fault - invoking HVM shutdown action 1'
	res_dom st-crash 1 "${DIED[@]}"
	echo 'LAB-GUEST-BEGIN name=s-kst uptime=20.0'
	echo '(XEN) d2v0 Triple fault - invoking HVM shutdown action 1'
	printf '[s-kst] KST xen_guest: %s\n' '1..2' 'ok 1 global.hypervisor_type' '#  RUN           global.guest_type ...'
	res_dom s-kst 2 "${DIED[@]}"
	echo 'LAB-GUEST-BEGIN name=o-kst uptime=40.0'
	printf '[o-kst] KST xen_guest: %s\n' '1..2' 'ok 1 global.hypervisor_type' 'ok 2 global.guest_type'
	echo '[o-kst] KST-END xen_guest rc=0'
	echo '[o-kst] LAB-GUEST-DONE uptime=3.1'
	res_dom o-kst 3
	echo 'LAB-DOM0-DONE uptime=300'
} >"$tmp/crash2.log"
out=$("$TOP/lab/run.sh" --replay "$tmp/crash2.log" -o "$tmp/out11" "$tmp/crash2.plan" 2>/dev/null)
is "$?" 0 "stock crash: a run whose only failures are stock crashes exits 0"
is "$(sed -n 4,6p <<<"$out")" 'ok 3 - s-kst: # SKIP stock kernel crashed: (XEN) d2v0 Triple fault - invoking HVM shutdown action 1
ok 4 - s-kst: xen_guest: hypervisor_type
ok 5 - s-kst: xen_guest: # SKIP stock kernel crashed: (XEN) d2v0 Triple fault - invoking HVM shutdown action 1' \
	"stock crash: a crashed stock guest's selftest cases that passed stay ok, the rest are skipped"
kt=$(cat "$tmp/out11/kst-table.txt" 2>/dev/null)
like "$(sed -n 2p <<<"$kt")" '^ +PVH, crashed +PVH *$' "stock crash: kst-table.txt marks the crashed guest's column"
like "$kt" $'\nxen_guest: guest_type +- +PASS +same\n' "stock crash: a crashed guest's column takes no part in the comparison"
printf '%s\n' "$out" >"$tmp/crash2.tap"
cs=$(BUILD=$tmp/build "$TOP/scripts/check.sh" "cat $tmp/crash2.tap" 2>/dev/null | tail -1)
is "$cs" "4 passed, 0 failed, 4 skipped" "stock crash: scripts/check.sh counts the crashed stock guest's lines as skipped"

# dom0-init.sh on the host with a fake xl: creates a guest paused, notes its domid, then unpauses
# it; a domain an earlier guest left (its destroy failed) is not the next guest's leftover.
# Everything it would touch outside $tmp/d0 is taken out first (busybox runs its own applets
# whatever PATH says: mount, dmesg, insmod and poweroff must not reach the host).
D=$tmp/d0
mkdir -p "$D/t" "$D/fake" "$D/state" "$D/lab/cfg"
sed -e "s#/tmp/#$D/t/#g" -e "s#/run/#$D/run/#g; s#/var/log/xen#$D/log#g; s#/var/lib/xen#$D/lib#g" \
	-e "s#/var/lock#$D/lock#g; s#/lab/#$D/lab/#g; s#/lib/modules/#$D/mod/#g" \
	-e "s#^export PATH=.*#export PATH=$D/fake:\$PATH#; /^mount /d; /^mkdir -p \/dev/d; /^dmesg /d" \
	-e 's/^poweroff -f$/echo POWEROFF/' "$TOP/lab/dom0-init.sh" >"$D/init"
cat >"$D/fake/xl" <<'X'
#!/bin/sh
# a fake xl: domains are files $S/dom.ID holding their name
S=$FAKE_STATE
echo "$*" >>"$S/calls"
name_of() { for f in "$S"/dom.*; do [ -f "$f" ] || continue; [ "$(cat "$f")" = "$1" ] && echo "${f##*.}"; done; }
case "$1" in
info) printf 'xen_version            : 4.17.7\nfree_memory            : 1000\n' ;;
list) echo "Name ID Mem VCPUs State Time(s)"; echo "Domain-0 0 1024 2 r----- 1.0"
	for f in "$S"/dom.*; do [ -f "$f" ] && echo "$(cat "$f") ${f##*.} 256 2 -b---- 0.1"; done ;;
create) p=; [ "$2" = -p ] && { p=1; shift; }
	n=$(sed -n 's/^name="\(.*\)"$/\1/p' "$2"); id=$(cat "$S/next" 2>/dev/null || echo 1)
	echo $((id + 2)) >"$S/next"	# domids need not follow each other
	echo "$n" >"$S/dom.$id"; [ -z "$p" ] || : >"$S/paused.$n"; echo "Parsing config from $2" ;;
domid) id=$(name_of "$2"); [ -n "$id" ] || { echo "Can't get domid of domain name '$2'" >&2; exit 1; }; echo "$id" ;;
unpause) [ -f "$S/paused.$2" ] || { echo "$2 is not paused" >&2; exit 1; }; rm "$S/paused.$2"
	if [ "$(cat "$S/behave.$2" 2>/dev/null)" = done ]; then	# it boots, reports and powers off
		printf 'LAB guest_type=PVH\nLAB-GUEST-DONE uptime=1.0\n' >"$FAKE_LOG/guest-$2.log"
		rm "$S/dom.$(name_of "$2")"
	fi ;;
destroy) id=$(name_of "$2"); [ -n "$id" ] || id=$2
	[ -f "$S/stuck.$id" ] && { echo "libxl: error: cannot destroy $id" >&2; exit 1; }; rm -f "$S/dom.$id" ;;
esac
X
for f in xenstored xen-init-dom0 xenconsoled; do printf '#!/bin/sh\nexit 0\n' >"$D/fake/$f"; done
chmod +x "$D"/fake/*
printf 'GT=2 NET_DOM0=10.99.0.1\n' >"$D/lab/settings"
printf 'stuck\nnext\n' >"$D/lab/guests"
for g in stuck next; do printf 'name="%s"\nkernel="/lab/kernels/stock"\n' "$g" >"$D/lab/cfg/$g.cfg"; done
echo "done" >"$D/state/behave.next"
: >"$D/state/stuck.1"	# the first guest hangs, and its domain (1) cannot be destroyed
if outside=$(sed "s#$D/#D/#g" "$D/init" | grep -nE '^[[:space:]]*(mount|dmesg|insmod|poweroff)|[ "=(](/lab|/run|/var|/tmp|/lib)/'); then
	nok "dom0-init.sh with a fake xl: the script still reaches outside $D" "$(head -3 <<<"$outside")"
else
	d0=$(FAKE_STATE=$D/state FAKE_LOG=$D/log/console timeout 60 busybox sh "$D/init" 2>&1)
	is "$(grep -E '^(create|domid|unpause)' "$D/state/calls" | sed -n 1,3p | sed "s#$D#D#")" \
		$'create -p D/lab/cfg/stuck.cfg\ndomid stuck\nunpause stuck' "dom0-init.sh: xl create -p, xl domid, then xl unpause"
	like "$(grep 'LAB-RESULT name=stuck ' <<<"$d0")" ' timeout=1 .* leftover=1 .* domid=1 shutdown=none preserved=none xl_msg=' \
		"dom0-init.sh: LAB-RESULT has the domid; a domain it cannot destroy is its own leftover"
	like "$(grep 'LAB-RESULT name=next ' <<<"$d0")" ' marker=1 .* leftover=0 .* domid=3 shutdown=none preserved=none xl_msg=' \
		"dom0-init.sh: the next guest has its own domid and is not blamed for the earlier domain"
	like "$d0" $'\n\\[next\\] dom0: destroying domain 1, left by an earlier guest\n' "dom0-init.sh: says whose domain it destroys"
	like "$d0" $'LAB-DOM0-DONE uptime=[0-9.]+\nPOWEROFF$' "dom0-init.sh: every guest ran, then power-off"
fi

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

CACHE=$tmp/cache "$TOP/lab/mk-guest-initramfs.sh" "$tmp/g.gz" >/dev/null 2>&1
mkdir -p "$tmp/g" && (cd "$tmp/g" && zcat "$tmp/g.gz" | cpio -id --quiet 2>/dev/null)
if cmp -s "$tmp/g/init" "$TOP/lab/guest-init.sh" && [ -x "$tmp/g/bin/busybox" ] && [ -x "$tmp/g/init" ]; then
	ok "guest initramfs holds /init = guest-init.sh and busybox"
else nok "guest initramfs holds /init = guest-init.sh and busybox"; fi
if cmp -s "$tmp/g/bin/lab-hotplug" "$TOP/lab/guest-hotplug.sh" && [ -x "$tmp/g/bin/lab-hotplug" ] && [ -L "$tmp/g/bin/uevent" ]; then
	ok "guest initramfs holds the CPU hotplug helper /bin/lab-hotplug and busybox's uevent"
else nok "guest initramfs holds the CPU hotplug helper /bin/lab-hotplug and busybox's uevent"; fi
like "$(CACHE=$tmp/cache "$TOP/lab/mk-guest-initramfs.sh" "$tmp/g.gz" 2>&1 >/dev/null)" 'reusing' \
	"guest initramfs is reused when nothing changed"
# the image of the guests with lab.selftests: the binaries and their list in /kst
mkdir -p "$tmp/kst"
printf '#!/bin/sh\necho "1..1"\n' >"$tmp/kst/xen_fake" && chmod +x "$tmp/kst/xen_fake"
echo xen_fake >"$tmp/kst/progs"
CACHE=$tmp/cache "$TOP/lab/mk-guest-initramfs.sh" -s "$tmp/kst" "$tmp/gk.gz" >/dev/null 2>&1
is "$(zcat "$tmp/gk.gz" 2>/dev/null | cpio -t --quiet 2>/dev/null | grep '^kst/' | sort | tr '\n' ' ')" 'kst/progs kst/xen_fake ' \
	"guest initramfs -s puts the selftest binaries and their list in /kst"
is "$(zcat "$tmp/g.gz" | cpio -t --quiet 2>/dev/null | grep -c '^kst')" 0 "the plain guest initramfs has no selftests"
# guest-init.sh running selftests: fake programs in a /kst of our own, a short limit
for f in pass hang orphan; do
	case $f in
	pass) b='echo "1..1"; echo "ok 1 global.x"; exit 0' ;;
	hang) b='echo "1..1"; echo "#  RUN           global.y ..."; exec sleep 6' ;;
	orphan) b='echo "1..1"; echo "ok 1 global.z"; sleep 6 & exit 3' ;;
	esac
	printf '#!/bin/sh\n%s\n' "$b" >"$tmp/kst/xen_$f"; chmod +x "$tmp/kst/xen_$f"
done
gik() {
	sed "s/^poweroff -f\$/echo POWEROFF/; s/^PATH=.*/PATH=\$PATH/; /^mount /d; s/^rd \/proc\/cmdline; cmdline=.*/cmdline='$1'/;
		s#/kst/#$tmp/kst/#g; s/^KST_LIMIT=.*/KST_LIMIT=3/; s#^	for m in xen-evtchn .*##" "$TOP/lab/guest-init.sh" | timeout 60 busybox sh 2>&1
}
gi=$(gik 'lab.selftests=xen_pass,xen_hang,xen_orphan,xen_none lab.expect_type=PV')
like "$gi" $'\nKST xen_pass: ok 1 global.x\nKST-END xen_pass rc=0\n' "guest-init.sh: a selftest's output, prefixed, then its exit status"
like "$gi" $'\nKST xen_hang: #  RUN           global.y ...\nKST-END xen_hang rc=timeout limit=3s\n' \
	"guest-init.sh: a selftest still running at the limit is given up"
like "$gi" $'\nKST xen_orphan: ok 1 global.z\nKST-END xen_orphan rc=3\n' \
	"guest-init.sh: a selftest that exits while a child holds its output ends with its status"
like "$gi" $'\nKST-END xen_none rc=missing\nLAB-KST-DONE' "guest-init.sh: a selftest missing from the image is named"
like "$gi" 'LAB-KST-BEGIN uptime=[0-9.]+ expect_type=PV progs=xen_pass,xen_hang,xen_orphan,xen_none' \
	"guest-init.sh: the selftests are told the guest type"
like "$gi" $'LAB-GUEST-DONE uptime=[0-9.]+\nPOWEROFF$' "guest-init.sh: the guest reaches its marker after the selftests"
# (the command substitution itself waits for the stray sleeps: time the guest's own stamps)
is "$(awk '/^LAB-GUEST-START/ { sub(/.*=/, ""); a = $0 } /^LAB-GUEST-DONE/ { sub(/.*=/, ""); print ($0 - a < 15) }' <<<"$gi")" 1 \
	"guest-init.sh: a hanging selftest holds the guest up for its limit only"
like "$(gik 'lab.selftests=all')" 'progs=xen_fake' "guest-init.sh: lab.selftests=all runs the list of /kst/progs"
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
# its kernel log check, on a log of ours: levels 0-3 of any facility count (<11> is user.err)
printf '%s\n' '<6>[    0.1] Linux version x' '<3>[    0.2] PCI: Fatal: oops' '<4>[    0.3] a warning' \
	'<11>[    0.4] from user space' '<12>[    0.5] user warning' 'a continuation line' >"$tmp/kmsg"
gil() {
	sed "s/^poweroff -f\$/echo POWEROFF/; s/^PATH=.*/PATH=\$PATH/; /^mount /d; s/^rd \/proc\/cmdline; cmdline=.*/cmdline='$1'/; s|dmesg -r 2>/dev/null|cat $tmp/kmsg|" \
		"$TOP/lab/guest-init.sh" | busybox sh 2>&1
}
out=$(gil "lab.expect_clean_log=1")
like "$out" $'LAB log_error: \\[    0.2\\] PCI: Fatal: oops\nLAB log_error: \\[    0.4\\] from user space\nLAB log_errors=2' \
	"guest-init.sh quotes and counts the log's lines of level err and above"
like "$out" '^not ok 1 - kernel log: 2 lines of level err or above, expected none$' "guest-init.sh: lab.expect_clean_log fails on error lines"
printf '<6>[    0.1] Linux version x\n' >"$tmp/kmsg"
like "$(gil "lab.expect_clean_log=1")" '^ok 1 - kernel log: 0 lines of level err or above, expected none$' \
	"guest-init.sh: lab.expect_clean_log passes on a log without errors"
is "$(gil "lab.dmesg=1" | grep '^LAB-DMESG: ')" 'LAB-DMESG: [    0.1] Linux version x' \
	"guest-init.sh: lab.dmesg copies the log to the console, without the level"

# bench/boot-steps.sh --table: the steps of a traced guest, its initcalls named from a System.map
cat >"$tmp/steps.log" <<'LOG'
[g1] LAB-DMESG: [    0.000000] Linux version x
[g1] LAB-DMESG: [    0.500000] tsc: Detected 2000.000 MHz processor
[g1] LAB-DMESG: [    0.600000] calling  0xffffffff81000010 @ 1
[g1] LAB-DMESG: [    0.650000] smp: Bringing up secondary CPUs ...
[g1] LAB-DMESG: [    0.700000] smp: Brought up 1 node, 2 CPUs
[g1] LAB-DMESG: [    0.700100] calling  0xffffffff81000020 @ 1
[g1] LAB-DMESG: [    1.000000] initcall 0xffffffff81000020 returned 0 after 299900 usecs
[g1] LAB-DMESG: [    1.400000] Run /init as init process
[g1] LAB-GUEST-START uptime=1.90
LOG
printf 'ffffffff81000020 t slow_init\n' >"$tmp/steps.map"
out=$("$TOP/bench/boot-steps.sh" --table "$tmp/steps.log" -m "$tmp/steps.map" 2>&1)
like "$out" $'\\| early setup \\| 0.500 \\|\n\\| to first initcall \\| 0.100 \\|\n\\| SMP bring-up \\| 0.050 \\|\n\\| initcalls \\| 0.300 \\|\n\\| last initcall to init \\| 0.400 \\|\n\\| kernel to init \\| 1.400 \\|\n\\| uptime at init \\| 1.90 \\|' \
	"boot-steps.sh: the milestones of a traced guest"
like "$out" $'\\| 0.500 \\| after "Linux version x" \\|\n\\| 0.400 \\| after "initcall slow_init returned 0 after 299900 usecs" \\|\n\\| 0.300 \\| initcall slow_init \\|' \
	"boot-steps.sh: its largest steps, the initcall named from the System.map"
"$TOP/bench/boot-steps.sh" --table "$tmp/name.plan" >/dev/null 2>&1
is $? 1 "boot-steps.sh: a log without a traced guest is an error"

# XEN selects the lab's Xen (scripts/lib.sh): 4.20 by default, 4.17, nothing else
is "$(env -u XEN bash -c '. "$1/scripts/lib.sh"; echo "$XEN"' _ "$TOP")|$(XEN=4.17 bash -c '. "$1/scripts/lib.sh"; echo "$XEN"' _ "$TOP")" \
	'4.20|4.17' "scripts/lib.sh: XEN is 4.20 by default and may be 4.17"
out=$(XEN=4.19 bash -c '. "$1/scripts/lib.sh"; echo reached' _ "$TOP" 2>&1)
is "$?|$out" "1|_: error: XEN=4.19: the lab boots Xen 4.17 or 4.20" "scripts/lib.sh refuses any other XEN, saying why"
echo "1..$n"
exit 0
