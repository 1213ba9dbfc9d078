// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PVH guest: what sets it apart from a Xen HVM guest, decided once.
 *
 * A PVH guest is an HVM guest that Xen started at the PVH entry, with no
 * device model.  The kernel's HVM code (shared_info, vcpu_info, event
 * channels through the callback vector, timers, XenBus, the console)
 * applies to it unchanged.  What differs is installed here, into the
 * hypervisor descriptor while it is being detected, so that shared code
 * asks xen_pvh_domain() only where PV and HVM answers are both wrong.
 */
#include <linux/init.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <asm/apic.h>
#include <asm/hypervisor.h>
#include <asm/paravirt.h>
#include <asm/pvh.h>
#include <linux/smp.h>
#include <asm/x86_init.h>
#include <asm/xen/events.h>
#include <xen/events.h>
#include <xen/features.h>
#include <xen/xen.h>

#include "xen-ops.h"

bool xen_pvh __ro_after_init;
EXPORT_SYMBOL_GPL(xen_pvh);

static void (*xen_hvm_init_platform)(void) __initdata;

#ifdef CONFIG_SMP
static void (*xen_hvm_prepare_cpus)(unsigned int max_cpus) __initdata;

/*
 * Without an MADT or MP table (acpi=off) the kernel takes the machine for
 * a uniprocessor PC whose PIT ticks, and starts no per-CPU timer.  A PVH
 * guest has no PIT: Xen's timer is the only one, so start it anyway, or
 * the first sleep never ends.
 */
static void __init xen_pvh_smp_prepare_cpus(unsigned int max_cpus)
{
	xen_hvm_prepare_cpus(max_cpus);
	if (apic_intr_mode == APIC_PIC || apic_intr_mode == APIC_VIRTUAL_WIRE_NO_CONFIG)
		x86_init.timers.setup_percpu_clockev();
}

static void __init xen_pvh_smp_init(void)
{
	xen_hvm_prepare_cpus = smp_ops.smp_prepare_cpus;
	smp_ops.smp_prepare_cpus = xen_pvh_smp_prepare_cpus;
}
#else
static inline void xen_pvh_smp_init(void) {}
#endif

static void __init xen_pvh_init_platform(void)
{
	xen_hvm_init_platform();

	/* Without a PCI platform device there is no other way in. */
	if (!xen_feature(XENFEAT_hvm_callback_vector))
		panic("Xen PVH: the hypervisor offers no HVM callback vector; event channels cannot be delivered\n");

	pv_info.name = "Xen PVH";
	xen_pvh_smp_init();

	/* No 8042 to probe, no CMOS for a warm-reset vector. */
	x86_platform.legacy.i8042 = X86_LEGACY_I8042_PLATFORM_ABSENT;
	x86_platform.legacy.warm_reset = 0;
}

/*
 * Called while Xen is being detected, before any hypervisor callback has
 * been installed, with the HVM descriptor to adapt.
 */
void __init xen_pvh_detect(struct hypervisor_x86 *h)
{
	if (!pvh_booted())
		return;

	xen_pvh = true;
	xen_start_flags = pvh_start_info_flags();

	/* There is no bare-metal platform to fall back to. */
	if (nopv) {
		pr_info("Xen PVH: \"nopv\" ignored: a PVH guest has no bare-metal fallback\n");
		nopv = false;
	}
	if (!xen_have_vector_callback) {
		pr_warn("Xen PVH: xen_no_vector_callback ignored: PVH has no other event delivery\n");
		xen_have_vector_callback = true;
	}

	h->name = "Xen PVH";
	xen_hvm_init_platform = h->init.init_platform;
	h->init.init_platform = xen_pvh_init_platform;
}
