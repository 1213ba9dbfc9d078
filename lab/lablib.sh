# lab/lablib.sh: host-side helpers shared by the lab scripts and tests/lab-selftest.sh; sourced.
# shellcheck shell=bash
# Needs scripts/lib.sh (say, die) sourced first.

# --- image caching: rebuild an image only when the content of its inputs changed ----------
# input_key FILE...: one hash over the files' contents (and names)
input_key() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || die "input_key: missing $f"
		printf '%s\n' "$f"; sha256sum <"$f"
	done | sha256sum | cut -c1-16
}
key_matches() { [ -s "$1" ] && [ -f "$1.key" ] && [ "$(cat "$1.key")" = "$2" ]; }
key_write() { echo "$2" >"$1.key"; }

# --- the stack's departures from Xen's defaults -------------------------------------------
# GUEST_XL: xl lines every plan guest gets before its own; PVH_DOM0_VCPUS: a PVH dom0's vCPUs.
# Xen 4.17 runs under the host's QEMU 7.2, whose TCG has the faults of lab/README.md ("Guest
# deaths under TCG"): an interrupt delivered in STI's shadow, EVENTINJ delivered twice, and
# every vCPU's FPU load rewriting the first CPU's nested-paging flag. Under Xen's defaults
# (RDTSC trapped, as qemu64 has no invariant TSC, and vCPUs moving between physical CPUs)
# they kill guests by triple fault, Linux or not; native TSC and every guest vCPU on physical
# CPU 1 make that rare (the table's 4.17 rows), and a PVH dom0, whose RDTSC Xen always
# traps, gets one vCPU. Xen 4.20 runs under lab/build-qemu.sh's QEMU 10 with lab/qemu's
# fixes, which ended the deaths: there guests and dom0 keep Xen's defaults.
if [ "$XEN" = 4.17 ]; then
	GUEST_XL=('tsc_mode="native"' 'cpus="1"') PVH_DOM0_VCPUS=1
else
	GUEST_XL=() PVH_DOM0_VCPUS=2
fi

# --- plans -------------------------------------------------------------------------------
# plan_parse FILE: validated plan lines on stdout as NAME|KERNEL|EXPECT|CFG (fields trimmed,
# CFG lines still ';'-separated). Comments (#) and blank lines are skipped. Returns 1, with
# "PLAN-ERROR line N: why" on stdout, at the first bad line.
plan_parse() {
	awk -F'|' '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
	function bad(why) { printf "PLAN-ERROR line %d: %s\n", NR, why; err = 1; exit 1 }
	/^[ \t]*(#|$)/ { next }
	{
		if (NF < 3) bad("want at least 3 |-separated fields: name | kernel | expect [| cfg]")
		name = trim($1); kernel = trim($2); expect = trim($3)
		# the expect field may hold "|" inside a refuse regex: everything up to the last
		# field is the expect when there are more than 4 fields
		cfg = (NF >= 4) ? trim($NF) : ""
		for (i = 4; i < NF; i++) expect = expect "|" $i
		expect = trim(expect)
		if (name !~ /^[A-Za-z0-9][A-Za-z0-9_.-]*$/) bad("bad guest name \"" name "\"")
		if (kernel !~ /^[A-Za-z0-9][A-Za-z0-9_.-]*$/) bad("bad kernel name \"" kernel "\"")
		if (expect !~ /^(PV|PVH|HVM|refuse:.+)$/) bad("expect must be PV, PVH, HVM or refuse:REGEX, not \"" expect "\"")
		if (seen[name]++) bad("duplicate guest name \"" name "\"")
		# lab.* items of the cfg field are options of the lab (plans/README), not xl lines
		nc = split(cfg, c, ";")
		for (i = 1; i <= nc; i++) {
			o = trim(c[i]); sub(/^[ \t]+/, "", o)
			if (o !~ /^lab\./) continue
			if (o !~ /^lab\.(disk(=[1-4])?|net(=[1-4])?|poweroff|clean_log|boottrace|args=[^"\\]+|mem=[0-9]+-[0-9]+|expect_line=.+|selftests|selftests=xen_[a-z_]+(,xen_[a-z_]+)*|kst_type=(PV|PVH|HVM|none)|kst_(fail|known)=xen_[a-z_]+:[a-z0-9_]+(,xen_[a-z_]+:[a-z0-9_]+)*|kst_pass=xen_[a-z_]+(:[a-z0-9_]+)?(,xen_[a-z_]+(:[a-z0-9_]+)?)*|hotplug_(rounds|cpus)=[1-9][0-9]*|save_rounds=[1-9][0-9]*|shutdown=(poweroff|reboot|crash|sysrq)|xl=(reboot,)*(shutdown|destroy))$/)
				bad("unknown lab option \"" o "\" (lab.disk[=N], lab.net[=N], lab.poweroff, lab.clean_log, lab.boottrace, lab.args=ARGS, lab.mem=MIN-MAX, lab.expect_line=TEXT, lab.selftests[=PROG,...], lab.kst_type=TYPE, lab.kst_fail=PROG:TEST,..., lab.kst_known=PROG:TEST,..., lab.kst_pass=PROG[:TEST],..., lab.hotplug_rounds=N, lab.hotplug_cpus=N, lab.save_rounds=N, lab.shutdown=poweroff|reboot|crash|sysrq, lab.xl=[reboot,...]shutdown|destroy)")
			if (expect ~ /^refuse:/ && o !~ /^lab\.args=/)
				bad("\"" o "\" needs a guest that boots, not refuse:")
			if (o ~ /^lab\.selftests/) kst = 1
			if (o ~ /^lab\.(shutdown|xl)=/) ends[++ne] = o
			if (o ~ /^lab\.(kst_|hotplug_|save_)/) kopt = o
		}
		if (kopt != "" && !kst) bad("\"" kopt "\" needs lab.selftests")
		if (ne > 1) bad("\"" ends[1] "\" and \"" ends[2] "\": a guest ends one way")
		kst = 0; kopt = ""; ne = 0
		n++
		print name "|" kernel "|" expect "|" cfg
	}
	END { if (!err && !n) { print "PLAN-ERROR: no guests in plan"; exit 1 } }' "$1"
}

# plan_cfg_lines CFG: the plan's xl config lines, one per line (split on ';', trimmed)
plan_cfg_lines() {
	awk -v s="$1" 'BEGIN { n = split(s, a, ";")
		for (i = 1; i <= n; i++) { l = a[i]; sub(/^[ \t]+/, "", l); sub(/[ \t]+$/, "", l); if (l != "") print l } }'
}

# plan_xl_lines CFG: the plan's xl config lines, without its lab.* options
plan_xl_lines() {
	plan_cfg_lines "$1" | grep -v '^lab\.' || true
}

# plan_lab_opt CFG KEY: value of the plan's option lab.KEY=VALUE (the last one), "1" for a
# bare lab.KEY, nothing when the plan does not set it
plan_lab_opt() {
	plan_cfg_lines "$1" | sed -n -e "s/^lab\.$2=//p" -e "s/^lab\.$2\$/1/p" | tail -1
}

# mem_range MEMORY_MIB [MIN-MAX]: the MemTotal range (kB) a guest with memory=MEMORY_MIB
# must report: MIN-MAX if given, else at most MEMORY_MIB, and at least MEMORY_MIB less 64 MiB
# for what the kernel keeps for itself, but no less than half of MEMORY_MIB. Measured at
# memory=256 (262144 kB): Debian's 6.12 keeps 217656 kB as PVH, 217148 kB as PV; our PV
# kernel 245616 kB (lab/README.md).
mem_range() {
	local kb=$(($1 * 1024)) lo
	if [ -n "${2:-}" ]; then echo "$2"; return; fi
	lo=$((kb - 65536))
	[ $lo -ge $((kb / 2)) ] || lo=$((kb / 2))
	echo "$lo-$kb"
}

# --- guest configs ------------------------------------------------------------------------
# lab.disk: a DISK_MB MiB image in dom0 per disk, of which the guest writes the first DISK_WMB
# MiB; lab.net: dom0's address on its bridge xenbr0 (the guests get theirs from its udhcpd),
# the next bridges' are in the next /24s (xenbr1: 10.99.1.1)
DISK_MB=16 DISK_WMB=4 NET_DOM0=10.99.0.1
# the disks' names: xvd + one of these (lab.disk=N, at most 4)
XVD=abcd
# lab.selftests: seconds a guest that runs them gets beyond the per-guest limit (they take
# 40-80 s under TCG; guest-init.sh gives up a program after KST_LIMIT s)
KST_GT=240 KST_LIMIT=100
# xen_vcpu_hotplug: its rounds (XEN_SELFTEST_HOTPLUG_ROUNDS, lab.hotplug_rounds; the program's
# own default), and the seconds a round may take under TCG (a round took about 10-20 s): the
# program's limit in the guest, and the guest's in dom0, grow by that much per round
HOTPLUG_ROUNDS=5 HOTPLUG_ROUND_S=60
# xen_suspend: its rounds without lab.save_rounds, and the seconds a round may take under TCG
# (xl save and xl restore of a 256 MiB guest took about 6 s, the guest's I/O makes it more)
SAVE_ROUNDS=1 SAVE_ROUND_S=60

# net_dom0 K: dom0's address on bridge xenbrK: NET_DOM0 in the K-th /24 after its own
net_dom0() {
	local a=${NET_DOM0%.*}
	echo "${a%.*}.$((${a##*.} + $1)).${NET_DOM0##*.}"
}

# kst_limit CFG: seconds guest-init.sh gives each selftest program of such a guest before it
# gives it up: KST_LIMIT, and for xen_vcpu_hotplug HOTPLUG_ROUND_S more per round, for
# xen_suspend SAVE_ROUND_S more per round
kst_limit() {
	local kst r l=$KST_LIMIT
	kst=$(plan_lab_opt "$1" selftests)
	case ",$kst," in *,xen_vcpu_hotplug,*)
		r=$(plan_lab_opt "$1" hotplug_rounds)
		l=$((l + ${r:-$HOTPLUG_ROUNDS} * HOTPLUG_ROUND_S)) ;;
	esac
	case ",$kst," in *,xen_suspend,*)
		r=$(plan_lab_opt "$1" save_rounds)
		l=$((l + ${r:-$SAVE_ROUNDS} * SAVE_ROUND_S)) ;;
	esac
	echo $l
}

# kst_gt CFG: seconds such a guest gets beyond the per-guest limit (dom0 and run.sh's whole-run
# limit): none without lab.selftests, KST_GT, plus what kst_limit adds
kst_gt() {
	if [ -z "$(plan_lab_opt "$1" selftests)" ]; then echo 0
	else echo $((KST_GT + $(kst_limit "$1") - KST_LIMIT)); fi
}

# guest_files NAME KERNEL EXPECT CFG DIR: write DIR/NAME.cfg, the guest's xl config: the base
# (memory=256, vcpus=2, destroy on every exit, extra= with what guest-init.sh checks), the
# plan's xl lines, then the devices its lab options ask for; and, when it has devices or
# selftests, DIR/NAME.lab, their dom0 side for dom0-init.sh. A guest with
# lab.selftests boots the image with the selftests (guest-initramfs-kst.gz) and is told on
# its command line which to run and what to expect (guest-init.sh).
guest_files() {
	local name=$1 kname=$2 expect=$3 cfg=$4 dir=$5 xlc vcpus maxv mem args extra kst kt r l c d k sd xa restart='' devs=() lab=()
	local ramdisk=/lab/guest-initramfs.gz
	xlc=$(plan_xl_lines "$cfg")
	vcpus=$(sed -n 's/^vcpus *= *"\{0,1\}\([0-9]*\)"\{0,1\}$/\1/p' <<<"$xlc" | tail -1)
	maxv=$(sed -n 's/^maxvcpus *= *"\{0,1\}\([0-9]*\)"\{0,1\}$/\1/p' <<<"$xlc" | tail -1)
	mem=$(sed -n 's/^memory *= *"\{0,1\}\([0-9]*\)"\{0,1\}$/\1/p' <<<"$xlc" | tail -1)
	# maxvcpus=: the vCPUs the domain may have, all possible CPUs of the guest
	args="lab.expect_cpus=${vcpus:-2}${maxv:+ lab.expect_possible=$maxv}"
	case "$expect" in
	refuse:*) ;;
	*) args="lab.expect_type=$expect $args lab.expect_mem_kb=$(mem_range "${mem:-256}" "$(plan_lab_opt "$cfg" mem)")" ;;
	esac
	c=$(plan_lab_opt "$cfg" disk)
	if [ -n "$c" ]; then
		# xvda, xvdb, ...: an image each
		l='' xa='' r=''
		for ((k = 0; k < c; k++)); do
			d=xvd${XVD:k:1}
			l="$l${l:+,}'/run/lab-disk-$name-$k.img,raw,$d,rw'"
			xa="$xa${xa:+ }/run/lab-disk-$name-$k.img"
			r="$r${r:+,}$d:$DISK_WMB"
		done
		devs+=("disk=[$l]")
		lab+=("DISK='$xa' DISK_MB=$DISK_MB DISK_WMB=$DISK_WMB")
		args="$args lab.disk=$r"
	fi
	c=$(plan_lab_opt "$cfg" net)
	if [ -n "$c" ]; then
		# one vif on each of xenbr0, xenbr1, ...; dom0's side of each
		l='' r=''
		for ((k = 0; k < c; k++)); do
			l="$l${l:+,}'bridge=xenbr$k'"
			r="$r${r:+,}$(net_dom0 $k)"
		done
		devs+=("vif=[$l]")
		lab+=("NET=$c")
		args="$args lab.net=$r"
	fi
	sd=$(plan_lab_opt "$cfg" shutdown)
	[ -z "$sd" ] || args="$args lab.shutdown=$sd"
	# lab.xl: the guest waits after its marker for dom0's xl reboot, shutdown or destroy; a
	# domain that xl reboot restarts comes back with the same config
	xa=$(plan_lab_opt "$cfg" xl)
	if [ -n "$xa" ]; then
		args="$args lab.shutdown=wait"
		lab+=("XL_ACTIONS='${xa//,/ }'")
		case ",$xa," in *,reboot,*) restart=1 ;; esac
	fi
	# on_crash="preserve": dom0 must find the crashed domain, then destroys it
	grep -q '^on_crash *= *"\{0,1\}preserve' <<<"$xlc" && lab+=("PRESERVE=1")
	kst=$(plan_lab_opt "$cfg" selftests)
	if [ -n "$kst" ]; then
		# the guest image with the selftests; what they expect of the guest
		ramdisk=/lab/guest-initramfs-kst.gz
		[ "$kst" != 1 ] || kst=all
		kt=$(plan_lab_opt "$cfg" kst_type)
		args="$args lab.selftests=$kst${kt:+ lab.kst_type=$kt} lab.mem_mb=${mem:-256} lab.name=$name"
		lab+=("KST_GT=$(kst_gt "$cfg")")
		# dom0 answers the balloon test's request for an xl mem-set
		case ",$kst," in ,all,|*,xen_balloon,*) lab+=("KST_BALLOON=1") ;; esac
		# and xen_vcpu_hotplug's for an xl vcpu-set, which the guest is told (it is not one of
		# "all": a plan names it, with the vCPUs it needs)
		case ",$kst," in *,xen_vcpu_hotplug,*) lab+=("KST_VCPU=1"); args="$args lab.vcpu_host=1" ;; esac
		# and xen_suspend's for xl save and xl restore, while the guest does I/O (guest-init.sh)
		r=$(plan_lab_opt "$cfg" save_rounds)
		case ",$kst," in *,xen_suspend,*) lab+=("KST_SAVE=1"); args="$args lab.save_rounds=${r:-$SAVE_ROUNDS}" ;; esac
		r=$(plan_lab_opt "$cfg" hotplug_rounds)
		l=$(kst_limit "$cfg")
		c=$(plan_lab_opt "$cfg" hotplug_cpus)
		args="$args${r:+ lab.hotplug_rounds=$r}${c:+ lab.hotplug_cpus=$c}"
		[ "$l" = $KST_LIMIT ] || args="$args lab.kst_limit=$l"
	fi
	# lab.clean_log: the guest checks that its kernel logged no error line; lab.boottrace:
	# it copies its whole kernel log, timestamped and with every initcall timed, to the console
	[ -z "$(plan_lab_opt "$cfg" clean_log)" ] || args="$args lab.expect_clean_log=1"
	[ -z "$(plan_lab_opt "$cfg" boottrace)" ] ||
		args="$args printk.time=1 initcall_debug log_buf_len=2M lab.dmesg=1"
	extra=$(plan_lab_opt "$cfg" args)
	# the plan's lines come after the base: in an xl config the last assignment of a key wins
	{
		echo "name=\"$name\""
		echo "kernel=\"/lab/kernels/$kname\""
		echo "ramdisk=\"$ramdisk\""
		echo "memory=256"
		echo "vcpus=2"
		echo "on_poweroff=\"destroy\""
		if [ -n "$restart" ]; then echo "on_reboot=\"restart\""; else echo "on_reboot=\"destroy\""; fi
		echo "on_crash=\"destroy\""
		[ ${#GUEST_XL[@]} = 0 ] || printf '%s\n' "${GUEST_XL[@]}"
		echo "extra=\"console=hvc0 loglevel=6 $args${extra:+ $extra}\""
		[ -z "$xlc" ] || printf '%s\n' "$xlc"
		[ ${#devs[@]} = 0 ] || printf '%s\n' "${devs[@]}"
	} >"$dir/$name.cfg"
	rm -f "$dir/$name.lab"
	[ ${#lab[@]} = 0 ] || printf '%s\n' "${lab[@]}" >"$dir/$name.lab"
}

# --- results -------------------------------------------------------------------------------
# field LINE KEY: value of KEY=... in a LAB-RESULT line (xl_msg is last and takes the rest)
field() {
	local line=$1 key=$2
	if [ "$key" = xl_msg ]; then
		case "$line" in *" xl_msg="*) printf '%s\n' "${line#* xl_msg=}" ;; esac
		return 0
	fi
	line=" ${line%% xl_msg=*} "
	# pure bash: this runs a dozen times per guest
	if [[ "$line" =~ \ $key=([^ ]*)\  ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
	return 0
}

# verdict EXPECT RESULT-LINE GUEST-LINES: "ok|DESCRIPTION" or "not ok|REASON" (no name).
# GUEST-LINES: what dom0 printed for this guest (xl output as "xl: ...", console lines), with
# the "[name] " prefix removed. Only the guest's own report proves a mode.
verdict() {
	local expect=$1 r=$2 glines=$3 rc gt marker panic secs left to re plines msg nok
	if [ -z "$r" ]; then echo "not ok|no result"; return; fi
	rc=$(field "$r" create_rc); gt=$(field "$r" guest_type); marker=$(field "$r" marker)
	panic=$(field "$r" panic); secs=$(field "$r" secs); left=$(field "$r" leftover)
	to=$(field "$r" timeout); msg=$(field "$r" xl_msg)
	plines=$(grep -E 'Kernel panic|BUG:|Oops|general protection' <<<"$glines" | head -1)
	case "$expect" in
	refuse:*)
		re=${expect#refuse:}
		if [ "$rc" = 0 ]; then
			echo "not ok|xl create succeeded (rc 0, guest_type ${gt:-?}), expected a refusal matching /$re/"
		elif ! grep '^xl: ' <<<"$glines" | grep -qE -- "$re"; then
			echo "not ok|xl create rc $rc, but message mismatch: wanted /$re/, got '${msg:-no xl output}'"
		elif [ "$left" != 0 ]; then
			echo "not ok|leftover domain after refused xl create (rc $rc)"
		else
			echo "ok|refused (xl create rc $rc): /$re/"
		fi ;;
	*)
		nok=$(grep -E '^not ok [0-9]+' <<<"$glines" | head -1)
		if [ "$rc" != 0 ]; then
			echo "not ok|xl create rc ${rc:-?}: ${msg:-no xl output}"
		elif [ "$panic" = 1 ]; then
			echo "not ok|panic: ${plines:-panic seen in the guest console}"
		elif [ "$marker" != 1 ] && [ "$to" = 1 ]; then
			echo "not ok|timeout: no LAB-GUEST-DONE after ${secs:-?} s (guest_type ${gt:-not reported})"
		elif [ "$marker" != 1 ]; then
			echo "not ok|no LAB-GUEST-DONE marker: guest died after ${secs:-?} s (guest_type ${gt:-not reported})"
		elif [ "$gt" != "$expect" ]; then
			echo "not ok|guest_type ${gt:-none}, expected $expect"
		elif [ -n "$nok" ]; then
			echo "not ok|guest check failed: ${nok#not ok }"
		elif [ "$left" != 0 ]; then
			echo "not ok|leftover domain: it did not go away after poweroff"
		else
			echo "ok|guest_type $gt ($secs s)"
		fi ;;
	esac
}

# xen_crash_line CONSOLE NAME DOMIDS: the first line of Xen's own console (a "(XEN) " line, not
# a "[name] " line dom0 relayed) that reports one of the domains DOMIDS (comma-separated: a
# restored or rebooted guest has had several) crashed, between dom0's "LAB-GUEST-BEGIN
# name=NAME" and its "LAB-RESULT name=NAME" (while that guest ran); empty if there is none, if
# DOMIDS is not a list of numbers (no domid= recorded: nothing is excused), or if the log has
# no such window. What Xen 4.17 prints, DOMID 2:
#   (XEN) d2v1 Triple fault - invoking HVM shutdown action 1      hvm_triple_fault() (HVM, PVH)
#   (XEN) domain_crash called from FILE:LINE                      domain_crash(): no domid, so
#   (XEN) Domain 2 (vcpu#0) crashed on cpu#1:                     only with the line after it
#   (XEN) Domain 2 reported crashed by domain 0 on cpu#0:
# (console_timestamps may put "[...] " after "(XEN) "). Printed from "(XEN) " on, CRs dropped;
# a domain_crash line before the Domain line is joined to it with "; ".
xen_crash_line() {
	local d=$3
	[[ "$d" =~ ^[0-9]+(,[0-9]+)*$ ]] || return 0
	[ -f "$1" ] || return 0
	# as a regular expression: (1|2)
	d="(${d//,/|})"
	awk -v name="$2" -v d="$d" '
	{ sub(/\r+$/, "") }
	!inw && index($0, "LAB-GUEST-BEGIN name=" name " ") { inw = 1; next }
	!inw { next }
	index($0, "LAB-RESULT name=" name " ") { exit }
	/^\[[A-Za-z0-9][A-Za-z0-9_.-]*\] / { next }	# a guest console or dom0, not Xen
	{
		p = index($0, "(XEN) "); if (!p) next
		x = substr($0, p); t = substr(x, 7); sub(/^\[[^]]*\] /, "", t)
		if (t ~ ("^d" d "v[0-9]+ Triple fault")) { print x; exit }
		if (t ~ ("^Domain " d " (\\(vcpu#[0-9]+\\) crashed on cpu#|reported crashed by domain )")) {
			sub(/:$/, "", x)
			if (dc != "") x = dc "; " substr(x, 7)
			print x; exit
		}
		dc = (t ~ /^domain_crash called from /) ? x : ""
	}' "$1"
}

# disk_verdict RESULT-LINE GUEST-LINES: the host's half of lab.disk: each image dom0 hashed
# after the domain ended (disk_sha= in LAB-RESULT: one hash per disk, xvda's first, comma-
# separated) must hold what the guest last wrote to that disk ("LAB disk_sha256=HASH dev=DEV"
# on its console; a line without dev= is xvda's). "ok|..." or "not ok|...".
disk_verdict() {
	local r=$1 glines=$2 want got hs k=0 d ok=()
	if [ -z "$r" ]; then echo "not ok|no result"; return; fi
	got=$(field "$r" disk_sha)
	if [ -z "$got" ] || [ "$got" = none ]; then
		echo "not ok|dom0 has no hash of the disk image"; return
	fi
	IFS=, read -r -a hs <<<"$got"
	for got in "${hs[@]}"; do
		d=xvd${XVD:k:1}
		want=$(tr -d '\r' <<<"$glines" | sed -n -e "s/^LAB disk_sha256=\([0-9a-f]*\) dev=$d\$/\1/p" \
			-e "$([ $k = 0 ] && echo 's/^LAB disk_sha256=\([0-9a-f]*\)$/\1/p')" | tail -1)
		k=$((k + 1))
		# one disk: xvda goes without saying
		[ ${#hs[@]} = 1 ] && d='' || d=" $d"
		if [ -z "$want" ]; then
			echo "not ok|the guest reported no disk_sha256${d:+ for$d}: it wrote nothing to its disk"; return
		elif [ "$got" != "$want" ]; then
			echo "not ok|dom0's image${d:+ of$d} holds sha256 ${got:0:16}…, the guest wrote ${want:0:16}…"; return
		fi
		ok+=("${d# }${d:+ }${got:0:16}…")
	done
	d=$(printf '%s, ' "${ok[@]}")
	if [ $k = 1 ]; then echo "ok|dom0's image holds what the guest wrote (sha256 ${d%, })"
	else echo "ok|dom0's images hold what the guest wrote (sha256 ${d%, })"; fi
}

# poweroff_verdict RESULT-LINE GUEST-LINES: lab.poweroff: the guest's poweroff must be a real
# power-off ("reboot: Power down", then SCHEDOP_shutdown ends the domain), not the halt that
# "Power off not available: System halted instead" announces, after which Xen only ends a
# PVH domain because all its vCPUs are down. The domain must be gone before dom0 gives up
# waiting (gone= in LAB-RESULT: seconds from the marker). "ok|..." or "not ok|...".
poweroff_verdict() {
	local r=$1 glines=$2 gone left halt why=
	if [ -z "$r" ]; then echo "not ok|no result"; return; fi
	if [ "$(field "$r" marker)" != 1 ]; then
		echo "not ok|no LAB-GUEST-DONE marker: the guest never got to power off"; return
	fi
	gone=$(field "$r" gone); left=$(field "$r" leftover)
	halt=$(grep -m1 -o 'Power off not available.*' <<<"$glines")
	if [ -n "$halt" ]; then why="the kernel halted instead of powering off: '$halt'"
	elif ! grep -q 'reboot: Power down' <<<"$glines"; then why="no 'reboot: Power down' on the guest console"; fi
	if [ "$left" != 0 ] || [ -z "$gone" ] || [ "$gone" = none ]; then
		why="${why:+$why; }the domain outlived the marker by dom0's whole wait: dom0 destroyed it"
	elif [ -n "$why" ]; then
		why="$why (the domain went $gone s after the marker)"
	fi
	if [ -n "$why" ]; then echo "not ok|$why"
	else echo "ok|'reboot: Power down', domain gone $gone s after the marker"; fi
}

# shutdown_verdict RESULT-LINE GUEST-LINES REASON: lab.shutdown=REASON: the guest ended itself
# with REASON (guest-init.sh: poweroff -f, reboot -f, PID 1 exiting or sysrq c, both a panic)
# after its marker, and the xl that watched the domain logged that shutdown reason (shutdown=
# in LAB-RESULT: 0 poweroff, 1 reboot, 3 crash); the domain is gone (the lab's on_poweroff,
# on_reboot and on_crash are "destroy"; with on_crash="preserve", dom0 found it crashed,
# preserved=, and destroyed it). A sysrq crash must also say why on the console: "Kernel
# panic - not syncing: sysrq triggered crash". "ok|..." or "not ok|...".
shutdown_verdict() {
	# Xen's SHUTDOWN_* reasons, indexed by their code (xen/interface/sched.h)
	local reasons=(poweroff reboot suspend crash watchdog soft_reset)
	local r=$1 glines=$2 want=$3 code=none raw got i pan='' pres
	if [ -z "$r" ]; then echo "not ok|no result"; return; fi
	if [ "$(field "$r" marker)" != 1 ]; then
		echo "not ok|no LAB-GUEST-DONE marker: the guest never got to $want"; return
	fi
	if [ "$want" = sysrq ]; then
		pan=$(grep -m1 -o 'Kernel panic - not syncing: .*' <<<"$glines" | tr -d '\r')
		[ "$pan" = "Kernel panic - not syncing: sysrq triggered crash" ] ||
			{ echo "not ok|no 'Kernel panic - not syncing: sysrq triggered crash' on the console (${pan:-no panic line})"; return; }
		want=crash
	fi
	for i in "${!reasons[@]}"; do [ "${reasons[$i]}" != "$want" ] || code=$i; done
	raw=$(field "$r" shutdown)
	case $raw in
	''|none) got="no shutdown reason in xl's log" ;;
	[0-5]) got=${reasons[$raw]} ;;
	*) got="reason code $raw" ;;
	esac
	if [ "$raw" != "$code" ]; then
		echo "not ok|xl saw $got, expected $want (code $code)"
	elif [ "$(field "$r" leftover)" != 0 ]; then
		echo "not ok|xl saw $want, but the domain outlived dom0's wait"
	else
		pres=$(field "$r" preserved)
		case $pres in ''|none) pres='' ;; *) pres=", preserved by Xen in state '$pres', then destroyed" ;; esac
		echo "ok|${pan:+'$pan', }xl saw shutdown reason $want (code $code)${pres:-, domain gone}"
	fi
}

# xl_verdict RESULT-LINE GUEST-LINES ACTIONS: lab.xl=ACTIONS: after each marker of the guest,
# dom0 ran the next of the comma-separated xl commands (reboot, shutdown, destroy) on it
# ("dom0: xl-action ..." lines): each must succeed, a reboot must bring the domain back (it
# boots to a marker again), the last must leave no domain, the xl that watched it must log a
# shutdown reason for each reboot (1) and shutdown (0), in order, and the guest as many markers
# as there were actions. "ok|..." or "not ok|...".
xl_verdict() {
	local r=$1 glines=$2 acts a k=0 l want codes='' got mk say=()
	if [ -z "$r" ]; then echo "not ok|no result"; return; fi
	IFS=, read -r -a acts <<<"$3"
	mapfile -t l < <(sed -n 's/^dom0: xl-action //p' <<<"$glines")
	for a in "${acts[@]}"; do
		if [ $k -ge ${#l[@]} ]; then echo "not ok|dom0 never ran xl $a (${#l[@]} of ${#acts[@]} actions ran)"; return; fi
		want=gone; [ "$a" != reboot ] || want=back
		case "${l[k]}" in
		"$a rc=0 "*"result=$want "*) say+=("xl $a: $want after $(sed -n 's/.* secs=\([^ ]*\).*/\1/p' <<<"${l[k]}") s") ;;
		*) echo "not ok|xl $a: wanted rc=0 and result=$want: ${l[k]}"; return ;;
		esac
		case $a in reboot) codes="$codes 1" ;; shutdown) codes="$codes 0" ;; esac
		k=$((k + 1))
	done
	got=$(sed -n 's/^xl-log: .*has shut down, reason code \([0-9]*\).*/\1/p' <<<"$glines" | tr '\n' ' ')
	mk=$(field "$r" markers)
	if [ "${got% }" != "${codes# }" ]; then echo "not ok|xl logged shutdown reasons '${got% }', wanted '${codes# }'"
	elif [ "$mk" != ${#acts[@]} ]; then echo "not ok|the guest printed its marker ${mk:-no} times, wanted ${#acts[@]}"
	elif [ "$(field "$r" leftover)" != 0 ]; then echo "not ok|a domain was left behind"
	else
		a=$(printf '%s, ' "${say[@]}")
		echo "ok|${a%, }; shutdown reasons '${got% }'; $mk markers"
	fi
}

# expect_line_verdict RESULT-LINE GUEST-LINES TEXT: lab.expect_line=TEXT: some line of the
# guest's console (not dom0's "cfg:", "xl:" or "dom0:" lines about it) contains TEXT, such as
# the line in which the kernel names how its secondary CPUs start (guest-init.sh copies it from
# dmesg as "LAB dmesg: ..."). When none does, the line that shares the longest start of TEXT
# (three words at least) is quoted. "ok|..." or "not ok|...".
expect_line_verdict() {
	local r=$1 glines=$2 text=$3 near
	if [ -z "$r" ]; then echo "not ok|no result"; return; fi
	glines=$(grep -v -E '^(cfg|xl|dom0): ' <<<"$glines")
	if grep -qF -- "$text" <<<"$glines"; then echo "ok|the guest console has '$text'"; return; fi
	near=$(awk -v t="$text" '
		BEGIN { nw = split(t, w, " ") }
		{ sub(/\r+$/, ""); l[NR] = $0 }
		END {
			for (k = nw - 1; k >= 3; k--) {
				p = w[1]; for (j = 2; j <= k; j++) p = p " " w[j]
				for (i = 1; i <= NR; i++) if (index(l[i], p)) { print substr(l[i], 1, 160); exit }
			}
		}' <<<"$glines")
	echo "not ok|no line with '$text' on the guest console${near:+; closest: '$near'}"
}

# --- guest selftests (tools/testing/selftests/xen) -------------------------------------------
# kst_tap GUEST-LINES [FAIL-LIST [KNOWN-LIST [PASS-LIST]]]: the selftest cases a guest ran,
# from its console lines "KST PROG: LINE" (the program's own output) and "KST-END PROG
# rc=N|timeout ...|missing" (guest-init.sh), one per line as "STATUS|ROW|CELL|DESCRIPTION":
#   ok|xen_evtchn: many_ports|PASS|xen_evtchn: many_ports
#   ok|xen_guest: memory_map|SKIP|xen_guest: memory_map # SKIP reason
#   not ok|xen_guest: guest_type|FAIL|xen_guest: guest_type: its first failed assertion
# ROW names the case (for the side-by-side table): "PROG: TEST", the harness's fixture name
# dropped. FAIL-LIST (comma-separated PROG:TEST) names cases that must fail (negative checks):
# their failure is ok (XFAIL), a pass or a skip is not (XPASS). KNOWN-LIST names cases that
# fail for a known bug the plan documents: their failure is ok (KNOWN), a pass is not (FIXED:
# the plan must drop it), a skip stays a skip. PASS-LIST names programs (PROG: every case) or
# cases (PROG:TEST) that must pass: a skip is not ok there, nor one that never ran. A program
# that is missing, ends before reporting every case of its plan ("1..N"), exits non-zero
# without a failed case, or was still running at the guest's limit, gives a "not ok" line of
# its own (row "PROG: (program)"), and so does a guest without any selftest output.
kst_tap() {
	awk -v xf="${2:-}" -v kn="${3:-}" -v mp="${4:-}" '
	BEGIN {
		n = split(xf, a, ","); for (i = 1; i <= n; i++) if (a[i] != "") want_fail[a[i]] = 1
		m = split(kn, b, ","); for (i = 1; i <= m; i++) if (b[i] != "") known[b[i]] = 1
		q = split(mp, c, ","); for (i = 1; i <= q; i++) if (c[i] != "") must_pass[c[i]] = 1
	}
	function emit(st, row, cell, d) { print st "|" row "|" cell "|" d }
	function prog_line(p, cell, why) { emit("not ok", p ": (program)", cell, p ": " why) }
	{ sub(/\r+$/, "") }	# the serial console may leave a CR
	/^KST-END / {
		p = $2; rc = $3; sub(/^rc=/, "", rc); any = 1; ended[p] = 1
		if (!(p in pseen)) { pseen[p] = 1; progs[++np] = p }
		left = plan[p] - seen[p]
		never = (plan[p] == "") ? "" : ", " left " of " plan[p] " cases never reported"
		if (rc == "missing") prog_line(p, "MISSING", "missing from the guest image")
		else if (rc == "timeout")
			prog_line(p, "TIMEOUT", "still running at the guest'"'"'s limit (" $4 "), given up" never \
				(running[p] != "" ? " (running: " running[p] ")" : ""))
		else if (plan[p] == "") prog_line(p, "CRASH", "no TAP plan (rc " rc ")")
		else if (left > 0) prog_line(p, "CRASH", "exited rc " rc never)
		else if (rc != 0 && !failed[p]) prog_line(p, "CRASH", "exited rc " rc " without a failed case")
		next
	}
	!/^KST [A-Za-z0-9_]+: / { next }
	{
		any = 1; p = $2; sub(/:$/, "", p)
		if (!(p in pseen)) { pseen[p] = 1; progs[++np] = p }
		l = substr($0, length("KST " p ": ") + 1)
		if (l ~ /^1\.\.[0-9]+$/) { plan[p] = substr(l, 4) + 0; next }
		if (l ~ /^#  RUN /) {
			why[p] = ""; other[p] = ""; nwhy[p] = 0
			running[p] = l; sub(/^#  RUN +/, "", running[p]); sub(/ \.\.\.$/, "", running[p])
			next
		}
		# what went wrong in the running case: its failed assertion and TH_LOG ("# FILE.c:LINE:
		# TEST:..."), else what the harness said ("# TEST: Test terminated by timeout")
		if (l ~ /^# [A-Za-z0-9_]+\.c:[0-9]+:/) {
			if (nwhy[p]++ < 2) why[p] = why[p] (why[p] != "" ? " / " : "") substr(l, 3)
			next
		}
		if (l ~ /^# [A-Za-z0-9_]+: Test /) { if (other[p] == "") other[p] = substr(l, 3); next }
		if (l !~ /^(not )?ok [0-9]+ /) next
		st = (l ~ /^not /) ? "not ok" : "ok"
		rest = l; sub(/^(not )?ok [0-9]+ /, "", rest)
		skip = ""
		if (match(rest, / # [Ss][Kk][Ii][Pp]/)) {
			skip = substr(rest, RSTART + 7); sub(/^ +/, "", skip); rest = substr(rest, 1, RSTART - 1)
		}
		t = rest; sub(/^[A-Za-z0-9_]+\./, "", t)	# the harness fixture name
		row = p ": " t; seen[p]++; running[p] = ""; reported[p ":" t] = 1
		w = (why[p] != "") ? why[p] : other[p]
		if (st == "not ok") failed[p] = 1
		if ((p ":" t) in want_fail) {
			if (st == "not ok") emit("ok", row, "XFAIL", row ": failed as it must: " w)
			else if (skip != "") emit("not ok", row, "XPASS", row ": skipped (" skip "), but it must fail")
			else emit("not ok", row, "XPASS", row ": passed, but it must fail")
		} else if ((p ":" t) in known && skip == "") {
			if (st == "not ok") emit("ok", row, "KNOWN", row ": known failure (the plan says why): " w)
			else emit("not ok", row, "FIXED", row ": passed: the known failure is gone, drop it from the plan")
		} else if (st == "not ok") emit("not ok", row, "FAIL", row ": " (w != "" ? w : "failed"))
		else if (skip != "" && ((p in must_pass) || ((p ":" t) in must_pass)))
			emit("not ok", row, "SKIP", row ": skipped (" skip "), but the plan wants it to pass")
		else if (skip != "") emit("ok", row, "SKIP", row " # SKIP " skip)
		else emit("ok", row, "PASS", row)
		why[p] = ""; other[p] = ""; nwhy[p] = 0
	}
	END {
		if (!any) emit("not ok", "selftests: (none)", "NONE", "selftests: no selftest output from the guest")
		for (i = 1; i <= np; i++)
			if (!(progs[i] in ended))
				prog_line(progs[i], "CRASH", "output ends without KST-END: the guest stopped while it ran" \
					(running[progs[i]] != "" ? " " running[progs[i]] : ""))
		# a negative check whose case never ran proves nothing
		for (i = 1; i <= n; i++)
			if (a[i] != "" && !(a[i] in reported)) {
				split(a[i], pt, ":")
				emit("not ok", pt[1] ": " pt[2], "NORUN", pt[1] ": " pt[2] ": must fail, but never ran")
			}
		# nor does a case, or a program, that must pass
		for (i = 1; i <= q; i++) {
			if (c[i] == "") continue
			if (c[i] ~ /:/) {
				if (c[i] in reported) continue
				split(c[i], pt, ":")
				emit("not ok", pt[1] ": " pt[2], "NORUN", pt[1] ": " pt[2] ": must pass, but never ran")
			} else if (!(c[i] in pseen) && any)
				emit("not ok", c[i] ": (program)", "NORUN", c[i] ": must pass, but never ran")
		}
	}
	' <<<"$1"
}
