// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PVH domU: a PC without the PC's devices.
 *
 * Xen emulates one device for a PVH domU, the local APIC of each vCPU
 * (its emulation flags are XEN_X86_EMU_LAPIC alone).  There is no PIC,
 * PIT, HPET, I/O APIC, RTC, 8042, PCI configuration space or ACPI PM and
 * GPE register block; a port access to any of them is a trip into Xen
 * that reads all ones.  Nor are the CPUs' P-states the guest's.  The ACPI
 * tables the toolstack builds still say otherwise in places: the MADT
 * claims a PC-compatible PIC, and the FADT points at PM1 and GPE0 blocks
 * that nothing backs.  Believing them costs boot time and fills the log
 * with errors (every GPE reads as raised), so xen_pvh_legacy_init() tells
 * the kernel once, while the platform is set up, what is absent.  Without
 * ACPI (acpi=off) the same holds.  dom0 does not come here: those devices
 * are the host's.
 */
#include <linux/acpi.h>
#include <linux/cpufreq.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <asm/i8259.h>
#include <asm/pci_x86.h>
#include <asm/x86_init.h>

#include "xen-ops.h"

#ifdef CONFIG_PCI
/*
 * Xen answers no PCI configuration cycle of a domU on ports 0xcf8/0xcfc.
 * A domU with config space would have it as ECAM that an MCFG table
 * describes, found before this runs.
 */
static int __init xen_pvh_pci_arch_init(void)
{
	if (raw_pci_ext_ops)
		return 1;
	pr_info("Xen PVH: no PCI configuration space\n");
	return 0;
}

static void __init xen_pvh_no_pci_ports(void)
{
	pci_probe &= ~(PCI_PROBE_CONF1 | PCI_PROBE_CONF2);
	x86_init.pci.arch_init = xen_pvh_pci_arch_init;
}
#else
static inline void xen_pvh_no_pci_ports(void) {}
#endif

#ifdef CONFIG_ACPI
/*
 * Without a PIC or an I/O APIC the SCI has no line to arrive on, and the
 * FADT's PM1 and GPE0 blocks read as all ones, which ACPICA takes for
 * every event being enabled and raised.  That is an ACPI machine without
 * fixed hardware: run ACPI hardware-reduced.  This runs after the FADT
 * has been parsed and before ACPICA enables its events.
 */
static void __init xen_pvh_acpi_reduced_hw(void)
{
	if (acpi_disabled || acpi_gbl_reduced_hardware)
		return;
	acpi_gbl_reduced_hardware = TRUE;
	pr_info("Xen PVH: no ACPI PM or GPE registers: ACPI runs hardware-reduced\n");
}

static void __init xen_pvh_no_acpi_hw(void)
{
	/* No interrupt is routed through ACPI: each one is an event channel. */
	acpi_noirq_set();
	x86_init.hyper.guest_late_init = xen_pvh_acpi_reduced_hw;
}
#else
static inline void xen_pvh_no_acpi_hw(void) {}
#endif

void __init xen_pvh_legacy_init(void)
{
	x86_platform.legacy.i8042 = X86_LEGACY_I8042_PLATFORM_ABSENT;
	x86_platform.legacy.rtc = 0;
	/* No CMOS to hold a warm-reset vector. */
	x86_platform.legacy.warm_reset = 0;

	/* No PIC: no ISA interrupts to reserve or route. */
	legacy_pic = &null_legacy_pic;
	/* No PIT or HPET: Xen's timer is every CPU's clock event device. */
	x86_init.timers.timer_init = x86_init_noop;

	/* The physical CPUs' P-states are Xen's: no cpufreq driver registers. */
	disable_cpufreq();

	xen_pvh_no_pci_ports();
	xen_pvh_no_acpi_hw();
}
