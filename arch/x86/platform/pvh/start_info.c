// SPDX-License-Identifier: GPL-2.0
/*
 * Turn the loader's struct hvm_start_info into the struct boot_params that
 * startup_64 expects, checking everything we are about to trust.
 *
 * Runs before startup_64 (see pvh.h for what that allows).  The loader's
 * data is read through the identity map, so it has to lie below 4 GiB;
 * Xen promises to try.  It may lie in memory the map calls reserved (QEMU
 * keeps it in its option ROM), so that is not checked.  Whatever we keep
 * is copied into the image, into initdata rather than .bss, which
 * startup_64 clears before it copies boot_params.
 */
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/processor.h>
#include <asm/bootparam.h>
#include <asm/e820/types.h>
#include <asm/page.h>
#include <asm/pvh.h>
#include <asm/sections.h>
#include <asm/setup.h>
#include <xen/interface/hvm/start_info.h>

#include "pvh.h"

#define PVH_BOOT_PROTOCOL	0x020c	/* the first with 64-bit ext_* fields */
#define PVH_LOADER_XEN		0x90	/* type_of_loader: Xen, version 0 */
#define PVH_LOADER_OTHER	0xff	/* type_of_loader: not in the list */

/* hvm_start_info up to rsdp_paddr is version 0; memmap_* came with 1. */
#define PVH_START_INFO_V0_SIZE	offsetof(struct hvm_start_info, memmap_paddr)

/* The last e820 slot is kept for the legacy ISA hole. */
#define PVH_MAX_MAP_ENTRIES	(E820_MAX_ENTRIES_ZEROPAGE - 1)

#define PVH_ISA_START		0xa0000
#define PVH_ISA_END		0x100000

struct boot_params pvh_boot_params __initdata;
static char pvh_cmdline[COMMAND_LINE_SIZE] __initdata;
static struct hvm_start_info pvh_start_info __initdata;
static bool pvh_entered __initdata;

/* For the summary printed once printk works. */
static bool pvh_map_from_xen __initdata;
static bool pvh_have_initrd __initdata;

/* Physical extent of the image (through _end: .bss is ours too). */
static u64 pvh_kernel_start __initdata, pvh_kernel_end __initdata;

/* Physical address of a kernel symbol, from the load offset. */
static u64 __init pvh_kernel_pa(const void *p, unsigned long delta)
{
	return (unsigned long)p - __START_KERNEL_map + delta;
}

/* Can [pa, pa + len) be read through the identity map without harm? */
static bool __init pvh_range_ok(u64 pa, u64 len)
{
	u64 end = pa + len;

	if (end < pa || end > SZ_4G)
		return false;
	return end <= pvh_kernel_start || pa >= pvh_kernel_end;
}

static void *__init pvh_phys(u64 pa)
{
	return (void *)(unsigned long)pa;
}

static void __init pvh_copy_start_info(u32 pa)
{
	const struct hvm_start_info *si = pvh_phys(pa);
	size_t size = PVH_START_INFO_V0_SIZE;

	if (pvh_range_ok(pa, size) && si->version >= 1)
		size = sizeof(*si);
	if (!pvh_range_ok(pa, size)) {
		pvh_early_printk("PVH: hvm_start_info at 0x%x overlaps the kernel or 4 GiB\n",
				 pa);
		pvh_early_stop();
	}
	memcpy(&pvh_start_info, si, size);
	if (si->version > 1)
		pvh_early_printk("PVH: start_info version %u is newer than 1; using its version 1 fields\n",
				 si->version);
}

static void __init pvh_add_e820(u64 addr, u64 size, u32 type)
{
	struct boot_params *bp = &pvh_boot_params;
	struct boot_e820_entry *e = &bp->e820_table[bp->e820_entries++];

	e->addr = addr;
	e->size = size;
	e->type = type;
}

/* Version 1 and later: the map comes with start_info. */
static void __init pvh_memmap_from_start_info(void)
{
	const struct hvm_start_info *si = &pvh_start_info;
	const struct hvm_memmap_table_entry *map = pvh_phys(si->memmap_paddr);
	u32 nr = si->memmap_entries;
	u32 i;

	if (!si->memmap_paddr) {
		pvh_early_printk("PVH: start_info has %u memory map entries but memmap_paddr is 0\n",
				 nr);
		pvh_early_stop();
	}
	if (!pvh_range_ok(si->memmap_paddr, (u64)nr * sizeof(*map))) {
		pvh_early_printk("PVH: memory map at 0x%llx (%u entries) is out of range\n",
				 si->memmap_paddr, nr);
		pvh_early_stop();
	}
	if (nr > PVH_MAX_MAP_ENTRIES) {
		pvh_early_printk("PVH: memory map has %u entries; using the first %u\n",
				 nr, PVH_MAX_MAP_ENTRIES);
		nr = PVH_MAX_MAP_ENTRIES;
	}
	for (i = 0; i < nr; i++) {
		u64 addr = map[i].addr, size = map[i].size;

		if (!size || addr + size < addr) {
			pvh_early_printk("PVH: memory map entry %u (0x%llx, size 0x%llx, type %u) is empty or wraps; skipped\n",
					 i, addr, size, map[i].type);
			continue;
		}
		/* XEN_HVM_MEMMAP_TYPE_* are the ACPI, and so the e820, numbers. */
		pvh_add_e820(addr, size, map[i].type);
	}
}

/* Version 0 (a PVH dom0), or no entries: ask Xen. */
static void __init pvh_memmap_from_xen(void)
{
	unsigned int nr = PVH_MAX_MAP_ENTRIES;
	int rc;

	if (!pvh_on_xen()) {
		pvh_early_printk("PVH: start_info v%u has no memory map and the loader is not Xen\n",
				 pvh_start_info.version);
		pvh_early_stop();
	}
	rc = pvh_xen_memory_map(pvh_boot_params.e820_table, &nr);
	if (rc) {
		pvh_early_printk("PVH: XENMEM_memory_map failed: %d\n", rc);
		pvh_early_stop();
	}
	if (!nr) {
		pvh_early_printk("PVH: XENMEM_memory_map returned no entries\n");
		pvh_early_stop();
	}
	pvh_boot_params.e820_entries = nr;
	pvh_map_from_xen = true;
}

static void __init pvh_setup_memmap(void)
{
	struct boot_params *bp = &pvh_boot_params;
	bool ram = false;
	int i;

	if (pvh_start_info.version >= 1 && pvh_start_info.memmap_entries)
		pvh_memmap_from_start_info();
	else
		pvh_memmap_from_xen();

	for (i = 0; i < bp->e820_entries; i++)
		ram |= bp->e820_table[i].type == E820_TYPE_RAM;
	if (!ram) {
		pvh_early_printk("PVH: memory map has no RAM\n");
		pvh_early_stop();
	}
	/*
	 * No firmware, so nothing else reserves the legacy VGA/ROM hole; a
	 * PVH domU's map even calls it RAM.  Where entries overlap, e820
	 * keeps the reserved type.
	 */
	pvh_add_e820(PVH_ISA_START, PVH_ISA_END - PVH_ISA_START, E820_TYPE_RESERVED);
}

static void __init pvh_setup_cmdline(unsigned long delta)
{
	u64 pa = pvh_start_info.cmdline_paddr;
	const char *src = pvh_phys(pa);
	u64 cmdline_pa;
	size_t n;

	for (n = 0; pa; n++) {
		if (!pvh_range_ok(pa + n, 1)) {
			pvh_early_printk("PVH: command line at 0x%llx is out of range\n", pa);
			pvh_early_stop();
		}
		if (!src[n])
			break;
		if (n == COMMAND_LINE_SIZE - 1) {
			pvh_early_printk("PVH: command line longer than %u bytes; truncated\n",
					 COMMAND_LINE_SIZE - 1);
			break;
		}
		pvh_cmdline[n] = src[n];
	}
	cmdline_pa = pvh_kernel_pa(pvh_cmdline, delta);
	pvh_boot_params.hdr.cmd_line_ptr = lower_32_bits(cmdline_pa);
	pvh_boot_params.ext_cmd_line_ptr = upper_32_bits(cmdline_pa);
}

/* By convention of every PVH loader, module 0 is the initrd. */
static void __init pvh_setup_initrd(void)
{
	const struct hvm_start_info *si = &pvh_start_info;
	const struct hvm_modlist_entry *mod = pvh_phys(si->modlist_paddr);
	struct boot_params *bp = &pvh_boot_params;
	u64 end;

	if (!si->nr_modules)
		return;
	if (!si->modlist_paddr) {
		pvh_early_printk("PVH: start_info has %u modules but modlist_paddr is 0\n",
				 si->nr_modules);
		pvh_early_stop();
	}
	if (!pvh_range_ok(si->modlist_paddr, (u64)si->nr_modules * sizeof(*mod))) {
		pvh_early_printk("PVH: module list at 0x%llx (%u entries) is out of range\n",
				 si->modlist_paddr, si->nr_modules);
		pvh_early_stop();
	}
	if (si->nr_modules > 1)
		pvh_early_printk("PVH: %u modules given; only module 0 (the initrd) is used\n",
				 si->nr_modules);
	if (!mod->size) {
		pvh_early_printk("PVH: initrd has size 0; booting without it\n");
		return;
	}
	/* Not read here, so it may lie above 4 GiB; it must not be in our way. */
	end = mod->paddr + mod->size;
	if (!mod->paddr || end < mod->paddr ||
	    (end > pvh_kernel_start && mod->paddr < pvh_kernel_end)) {
		pvh_early_printk("PVH: initrd at 0x%llx, size 0x%llx, is out of range\n",
				 mod->paddr, mod->size);
		pvh_early_stop();
	}
	bp->hdr.ramdisk_image = lower_32_bits(mod->paddr);
	bp->hdr.ramdisk_size = lower_32_bits(mod->size);
	bp->ext_ramdisk_image = upper_32_bits(mod->paddr);
	bp->ext_ramdisk_size = upper_32_bits(mod->size);
	pvh_have_initrd = true;
}

/*
 * Called by entry.S with the physical address of hvm_start_info and the
 * offset of the image from its link address.  Fills pvh_boot_params or
 * stops with a message naming what is wrong.
 */
void __init pvh_prepare_boot_params(u32 start_info_pa, unsigned long delta)
{
	struct setup_header *hdr = &pvh_boot_params.hdr;
	bool xen = pvh_xen_detect();

	pvh_kernel_start = pvh_kernel_pa(_text, delta);
	pvh_kernel_end = pvh_kernel_pa(_end, delta);

	if (xen && !IS_ENABLED(CONFIG_XEN_PVH)) {
		pvh_early_printk("PVH: started by Xen, but this kernel is built without CONFIG_XEN_PVH\n");
		pvh_early_stop();
	}

	pvh_copy_start_info(start_info_pa);
	pvh_setup_memmap();
	pvh_setup_cmdline(delta);
	pvh_setup_initrd();

	/* 0 when there is no ACPI: the kernel then boots without it. */
	pvh_boot_params.acpi_rsdp_addr = pvh_start_info.rsdp_paddr;

	hdr->version = PVH_BOOT_PROTOCOL;
	hdr->type_of_loader = xen ? PVH_LOADER_XEN : PVH_LOADER_OTHER;
	/* Xen: no RTC, no PnP BIOS, no BIOS regions to keep. */
	hdr->hardware_subarch = xen ? X86_SUBARCH_XEN : X86_SUBARCH_PC;
	pvh_entered = true;
}

bool __init pvh_booted(void)
{
	return pvh_entered;
}

u32 __init pvh_start_info_flags(void)
{
	return pvh_start_info.flags;
}

/* Makes the boot path visible in dmesg. */
static int __init pvh_report(void)
{
	if (!pvh_entered)
		return 0;
	pr_info("PVH: booted through the PVH entry: start_info v%u, %u memory map entries (%s), %s initrd\n",
		pvh_start_info.version, pvh_boot_params.e820_entries,
		pvh_map_from_xen ? "from XENMEM_memory_map" : "from start_info",
		pvh_have_initrd ? "with" : "no");
	return 0;
}
early_initcall(pvh_report);
