// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PVH as the hardware domain (dom0, Xen's "dom0=pvh").
 *
 * Xen builds a PVH dom0 from the host itself.  Its memory map is the
 * host's, with the host RAM that dom0 was not given marked unusable, and
 * its ACPI tables are the host's, edited by Xen.  Three things follow,
 * and xen_pvh_dom0_init() sets them up once, while the platform is being
 * set up:
 *
 * - dom0 maps other domains' memory (privcmd, gntdev, the backends) and
 *   needs guest-physical space where nothing is.  A hole in the host map
 *   may hide the MMIO of a device the kernel has not found, but an
 *   unusable range is host RAM, which no device decodes.  Those ranges,
 *   turned into reserved RAM, become the pool that
 *   CONFIG_XEN_UNPOPULATED_ALLOC hands out.
 * - the host's ACPI tables describe C- and P-states that only Xen may
 *   program: no cpuidle or cpufreq driver of ours.
 * - the console is Xen's (hvc0).
 */
#include <linux/cpufreq.h>
#include <linux/cpuidle.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/pfn.h>
#include <asm/bootparam.h>
#include <asm/e820/api.h>
#include <asm/setup.h>
#include <xen/xen.h>

#include "xen-ops.h"

/*
 * At most as much space for foreign mappings as dom0 has RAM: each page
 * of it costs a struct page (64 bytes) of dom0's RAM, 1/64 of the space.
 */
static unsigned long __init xen_pvh_dom0_foreign_budget(void)
{
	unsigned long pages = 0;
	u32 i;

	for (i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];

		if (e->type == E820_TYPE_RAM)
			pages += PFN_DOWN(e->addr + e->size) - PFN_UP(e->addr);
	}
	return pages;
}

/*
 * Runs before the e820 map reaches memblock, so the ranges taken get a
 * struct page like any RAM; xen_add_extra_mem() keeps them reserved, and
 * arch_xen_unpopulated_init() gives them to the unpopulated allocator.
 */
static void __init xen_pvh_dom0_foreign_space(void)
{
	unsigned long budget, taken = 0;
	u32 i;

	if (!IS_ENABLED(CONFIG_XEN_UNPOPULATED_ALLOC)) {
		pr_info("Xen PVH dom0: no CONFIG_XEN_UNPOPULATED_ALLOC: foreign mappings take ballooned RAM\n");
		return;
	}

	budget = xen_pvh_dom0_foreign_budget();
	/*
	 * e820__range_update() changes a whole entry in place and appends
	 * the RAM part of a split one: neither is met again as unusable.
	 */
	for (i = 0; i < e820_table->nr_entries && taken < budget; i++) {
		const struct e820_entry *e = &e820_table->entries[i];
		unsigned long start = PFN_UP(e->addr);
		unsigned long end = PFN_DOWN(e->addr + e->size);

		if (e->type != E820_TYPE_UNUSABLE || start >= end)
			continue;
		end = min(end, start + budget - taken);
		e820__range_update(PFN_PHYS(start), PFN_PHYS(end - start),
				   E820_TYPE_UNUSABLE, E820_TYPE_RAM);
		xen_add_extra_mem(start, end - start);
		pr_info("Xen PVH dom0: foreign mappings in [mem %#018llx-%#018llx] (unusable host RAM)\n",
			PFN_PHYS(start), PFN_PHYS(end) - 1);
		taken += end - start;
	}

	if (!taken) {
		pr_info("Xen PVH dom0: Xen's map has no unusable range: foreign mappings use free address space\n");
		return;
	}
	e820__update_table(e820_table);
	pr_info("Xen PVH dom0: %lu MiB for foreign mappings (at most dom0's RAM, %lu MiB)\n",
		taken >> (20 - PAGE_SHIFT), budget >> (20 - PAGE_SHIFT));
}

void __init xen_pvh_dom0_init(void)
{
	/* Xen hands the host's tables over; without them there is no machine. */
	if (!boot_params.acpi_rsdp_addr)
		panic("Xen PVH dom0: start_info gives no ACPI RSDP; the hardware domain needs the host's ACPI tables\n");

	xen_add_preferred_consoles();

	/* Xen alone programs C- and P-states. */
	disable_cpuidle();
	disable_cpufreq();

	xen_pvh_dom0_foreign_space();
}
