#!/bin/bash
# bench/boot-steps.sh: where a guest's boot time goes. Boots our kernel as PVH and as PV and
# Debian's stock 6.12 kernel as PVH in ONE lab run, each with printk timestamps and
# initcall_debug (lab.boottrace), and turns their kernel logs into a table of steps; appends
# it to bench/RESULTS.md.
#
# usage: bench/boot-steps.sh [-k BZIMAGE] [-m SYSTEM.MAP] [-o OUTDIR] [-r RESULTS] [--vcpus N]
#        bench/boot-steps.sh --table CONSOLE.LOG [-m SYSTEM.MAP]
#   -k BZIMAGE  our kernel (default $BUILD/linux/obj/arch/x86/boot/bzImage); copied first
#   -m MAP      System.map of our kernel (default: the one beside BZIMAGE's build), to name
#               its initcalls: it has no kallsyms, so initcall_debug prints addresses
#   -o OUTDIR   default $BUILD/bench/boot-steps: the plan, lab.tap, steps.md, and lab/run.sh's
#               console.log, results.txt, table.txt, timing.txt
#   -r RESULTS  append the dated section to RESULTS (default bench/RESULTS.md; "-" prints it)
#   --vcpus N   vCPUs of every guest (default 2)
#   --table LOG no QEMU: print the table of an earlier run's console log (any guests that
#               booted with lab.boottrace) to stdout
# Every guest: memory=256, no devices. Times are the guest's own printk clock (seconds since
# its kernel started), except the last row, its /proc/uptime when init printed its first line.
# Rows:
#   early setup      kernel start to "tsc: Detected ... MHz": everything before the TSC is
#                    usable, where a calibration against absent timers shows up
#   to first initcall  the rest of start_kernel() (memory, IRQs, timers, console)
#   SMP bring-up     "smp: Bringing up secondary CPUs" to "smp: Brought up"
#   initcalls        the sum of every initcall's own time (initcall_debug)
#   last initcall to init   freeing init memory, waiting for async work, to "Run /init"
#   kernel to init   "Run /init as init process"
# then each guest's largest single steps: an initcall (named), or a gap between two log lines
# that no initcall covers (the line before it named).
# Exit status: 0 when every guest booted and was traced; 1 otherwise; 2 for a usage error.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../scripts/lib.sh"
. "$HERE/lib.sh"

ours='' map='' outdir='' results='' vcpus=2 table=''
cmdline="bench/boot-steps.sh${*:+ $*}"
usage() { sed -n '7,18s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-k|-m|-o|-r|--vcpus|--table) [ $# -ge 2 ] || { say "$1 needs an argument"; usage; } ;;
	esac
	case "$1" in
	-k) ours=$2; shift 2 ;;
	-m) map=$2; shift 2 ;;
	-o) outdir=$2; shift 2 ;;
	-r) results=$2; shift 2 ;;
	--vcpus) vcpus=$2; shift 2 ;;
	--table) table=$2; shift 2 ;;
	-h|--help) usage ;;
	*) say "unknown argument $1"; usage ;;
	esac
done
[[ "$vcpus" =~ ^[1-8]$ ]] || { say "--vcpus wants 1 to 8, not '$vcpus'"; usage; }

# steps_table CONSOLE MAP: the markdown tables of every traced guest in CONSOLE
steps_table() {
	awk -v mapfile="$2" '
	function fn(s) {	# an initcall: "name+0x0/0x80" or "0xffffffff81234567"
		sub(/\+0x.*/, "", s)
		if (s ~ /^0x[0-9a-f]+$/ && (substr(s, 3) in sym)) return sym[substr(s, 3)]
		return s
	}
	function names(s,   a) {	# the initcall addresses in a line of text, named
		while (match(s, /0xffffffff[0-9a-f]+/)) {
			a = substr(s, RSTART, RLENGTH)
			s = substr(s, 1, RSTART - 1) ((substr(a, 3) in sym) ? sym[substr(a, 3)] : "@" substr(a, 3)) substr(s, RSTART + RLENGTH)
		}
		gsub(/@ffffffff/, "0xffffffff", s)
		return s
	}
	function sec(v) { return sprintf("%.3f", v) }
	function add_step(g, d, what) { ns[g]++; sd[g, ns[g]] = d; sw[g, ns[g]] = what }
	BEGIN {
		# System.map: "ffffffff81234567 t name"
		if (mapfile != "") while ((getline l < mapfile) > 0) { split(l, f, " "); if (f[2] ~ /^[tT]$/) sym[tolower(f[1])] = f[3] }
		nrows = split("early setup|to first initcall|SMP bring-up|initcalls|last initcall to init|kernel to init|uptime at init", rows, "|")
	}
	/^\[[A-Za-z0-9_.-]+\] / {
		g = substr($1, 2, length($1) - 2)
		line = substr($0, length($1) + 2)
	}
	/^\[[A-Za-z0-9_.-]+\] LAB-GUEST-START uptime=/ { if (!(g in up)) up[g] = substr(line, index(line, "=") + 1) }
	/^\[[A-Za-z0-9_.-]+\] LAB-DMESG: \[ *[0-9]+\.[0-9]+\] / {
		if (!(g in seen)) { seen[g] = 1; order[++ng] = g }
		l = substr(line, 12); t = substr(l, 2, index(l, "]") - 2) + 0; text = substr(l, index(l, "]") + 2)
		if (text ~ /^tsc: Detected [0-9.]+ MHz processor/ && !((g, "tsc") in m)) m[g, "tsc"] = t
		if (text ~ /^smp: Bringing up secondary CPUs/) m[g, "smp0"] = t
		if (text ~ /^smp: Brought up/) m[g, "smp1"] = t
		if (text ~ /^Run \/init as init process/) m[g, "init"] = t
		if (text ~ /^calling  / && !((g, "call0") in m)) m[g, "call0"] = t
		if (text ~ /^initcall .* returned .* after [0-9]+ usecs/) {
			n = split(text, w, " "); us = w[n - 1] + 0
			m[g, "icsum"] += us / 1e6; m[g, "lastret"] = t
			if (us >= 10000) add_step(g, us / 1e6, "initcall " fn(w[2]))
			covered = 1
		} else covered = 0
		# a gap no initcall accounts for (an initcall covers the gap that ends in its return)
		if ((g, "pt") in m && t - m[g, "pt"] >= 0.02 && !covered)
			add_step(g, t - m[g, "pt"], "after \"" substr(names(m[g, "pl"]), 1, 60) "\"")
		m[g, "pt"] = t; m[g, "pl"] = text
	}
	END {
		if (!ng) exit 1
		printf "| step (s, guest printk clock) |"; for (i = 1; i <= ng; i++) printf " %s |", order[i]; printf "\n|---|"
		for (i = 1; i <= ng; i++) printf "---|"; printf "\n"
		for (r = 1; r <= nrows; r++) {
			printf "| %s |", rows[r]
			for (i = 1; i <= ng; i++) {
				g = order[i]; v = "-"
				if (r == 1 && (g, "tsc") in m) v = sec(m[g, "tsc"])
				if (r == 2 && (g, "tsc") in m && (g, "call0") in m) v = sec(m[g, "call0"] - m[g, "tsc"])
				if (r == 3 && (g, "smp0") in m && (g, "smp1") in m) v = sec(m[g, "smp1"] - m[g, "smp0"])
				if (r == 4 && (g, "icsum") in m) v = sec(m[g, "icsum"])
				if (r == 5 && (g, "init") in m && (g, "lastret") in m) v = sec(m[g, "init"] - m[g, "lastret"])
				if (r == 6 && (g, "init") in m) v = sec(m[g, "init"])
				if (r == 7 && g in up) v = up[g]
				printf " %s |", v
			}
			printf "\n"
		}
		for (i = 1; i <= ng; i++) {
			g = order[i]
			printf "\nLargest steps of %s:\n\n| s | step |\n|---|---|\n", g
			for (k = 1; k <= 8; k++) {
				best = 0
				for (j = 1; j <= ns[g]; j++) if (!((g, j) in used) && (!best || sd[g, j] > sd[g, best])) best = j
				if (!best) break
				used[g, best] = 1
				printf "| %s | %s |\n", sec(sd[g, best]), sw[g, best]
			}
		}
	}' "$1"
}

if [ -n "$table" ]; then
	[ -s "$table" ] || die "--table: no console log $table"
	[ -z "$map" ] || [ -s "$map" ] || die "-m: no System.map $map"
	steps_table "$table" "$map" || die "no guest in $table booted with lab.boottrace (LAB-DMESG lines)"
	exit 0
fi

map=${map:-$(dirname "${ours:-$BUILD/linux/obj/arch/x86/boot/bzImage}")/../../../System.map}
[ -s "$map" ] || die "no System.map $map (-m names it)"
bench_prepare boot-steps
cp "$map" "$tmp/System.map"

plan=$outdir/boot-steps.plan
cfg="memory=256; vcpus=$vcpus; lab.boottrace"
{
	echo "# generated by $cmdline on $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "ours-pvh  | ours  | PVH | type=\"pvh\"; $cfg"
	echo "ours-pv   | ours  | PV  | type=\"pv\"; $cfg"
	echo "stock-pvh | stock | PVH | type=\"pvh\"; $cfg"
} >"$plan"
runcmd=(lab/run.sh -o "$outdir" -k ours="$tmp/bzImage" "$plan")
say "one lab run, 3 guests with printk timestamps and initcall_debug: ${runcmd[*]}"
set +e
(cd "$TOP" && "${runcmd[@]}") >"$outdir/lab.tap"
labrc=$?
set -e
say "lab run ended (rc $labrc); TAP in $outdir/lab.tap"

steps=$(steps_table "$outdir/console.log" "$tmp/System.map") || steps=''
traced=$(grep -c '^| step' <<<"$steps" || true)
head=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): boot steps, ours as PVH and PV, stock as PVH"
	echo
	echo "Command: \`$cmdline\` (\`make bench\` runs it without arguments), one lab run:"
	echo "\`lab/run.sh -o ${outdir#"$TOP"/} -k ours=COPY ${plan#"$TOP"/}\`; commit $head."
	echo "Every guest: memory=256, vcpus=$vcpus, \`printk.time=1 initcall_debug\` (lab.boottrace)."
	echo
	if [ -n "$steps" ]; then printf '%s\n' "$steps"; else echo "No guest was traced (lab.tap has why)."; fi
	echo
} >"$outdir/steps.md"
cat "$outdir/steps.md" >&2
bench_record <"$outdir/steps.md"
[ $labrc = 0 ] && [ "$traced" = 1 ] || { say "FAILED: not every guest booted (lab/run.sh rc $labrc)"; exit 1; }
say "ok: 3 guests traced"
