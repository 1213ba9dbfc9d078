// SPDX-License-Identifier: GPL-2.0
/*
 * Power off and restart a Xen PVH guest through SCHEDOP_shutdown.
 *
 * The ACPI tables Xen builds for a PVH guest describe no S5 state, and
 * there is no 8042 or reset register to restart with.  Without a
 * power-off handler, reboot(2) turns a power-off into a halt, and the
 * domain then ends only because Xen sees every vCPU halted, reported as
 * a power-off that the guest never asked for.  Ask Xen, as a PV guest does.
 */
#include <linux/init.h>
#include <linux/reboot.h>
#include <asm/reboot.h>
#include <xen/interface/sched.h>
#include <xen/xen.h>

#include "xen-ops.h"

static void xen_pvh_power_off(void)
{
	xen_reboot(SHUTDOWN_poweroff);
}

static int __init xen_pvh_shutdown_init(void)
{
	if (!xen_pvh_domain())
		return 0;

	/* Platform priority: an ACPI S5 handler, should one appear, goes first. */
	register_platform_power_off(xen_pvh_power_off);
	/* Restarts and crash reboots, instead of trying ACPI, 8042, triple fault. */
	machine_ops.emergency_restart = xen_emergency_restart;
	return 0;
}
arch_initcall(xen_pvh_shutdown_init);
