// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PVH: the TSC frequency comes from Xen.
 *
 * Xen tells each guest the frequency of its TSC in the time leaf of its
 * CPUID range.  Left alone, the kernel would time the TSC against the PIT
 * or the HPET, which a PVH domU does not have: each read of an absent
 * timer is a trip into Xen that finds nothing, and the calibration only
 * gives up after some 100000 of them.  Taking Xen's figure for both the
 * CPU and the TSC frequency skips that, and the refined calibration too;
 * loops_per_jiffy then follows from it (tsc_init() sets lpj_fine) instead
 * of from a timed delay loop.  dom0 has the host's timers, but Xen's
 * figure is the one its TSC runs at as well.
 */
#include <linux/cache.h>
#include <linux/cpufeature.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <asm/x86_init.h>
#include <asm/xen/hypervisor.h>

#include "xen-ops.h"

/* The time leaf: base + 3, sub-leaf 0; ECX is the guest TSC in kHz. */
#define XEN_CPUID_TIME_LEAF	3

static unsigned int xen_pvh_tsc_khz_val __ro_after_init;

static unsigned long xen_pvh_tsc_khz(void)
{
	return xen_pvh_tsc_khz_val;
}

void __init xen_pvh_time_init(void)
{
	u32 eax, ebx, ecx, edx;

	cpuid_count(xen_cpuid_base() + XEN_CPUID_TIME_LEAF, 0,
		    &eax, &ebx, &ecx, &edx);
	if (!ecx) {
		pr_warn("Xen PVH: Xen gives no TSC frequency; timing the TSC against legacy timers\n");
		return;
	}

	xen_pvh_tsc_khz_val = ecx;
	setup_force_cpu_cap(X86_FEATURE_TSC_KNOWN_FREQ);
	x86_platform.calibrate_tsc = xen_pvh_tsc_khz;
	x86_platform.calibrate_cpu = xen_pvh_tsc_khz;
	pr_info("Xen PVH: TSC runs at %u.%03u MHz (from Xen)\n",
		ecx / 1000, ecx % 1000);
}
