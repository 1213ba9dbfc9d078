/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the files of the PVH entry.  All of it runs before
 * startup_64, on the page tables entry.S built: the kernel image through
 * its high mapping, physical memory below 4 GiB through an identity map.
 * Nothing of the kernel proper is set up yet, so this code uses no
 * printk, no __pa()/__va() and no paravirt or static-call hooks.
 */
#ifndef _PLATFORM_PVH_H
#define _PLATFORM_PVH_H

#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/types.h>

struct boot_e820_entry;
struct boot_params;

/* early_console.c: port 0xe9, COM1 and, on Xen, the hypervisor console. */
__printf(1, 2) void __init pvh_early_printk(const char *fmt, ...);
void __init __noreturn pvh_early_stop(void);

/* early_xen.c: just enough of Xen to read a memory map and report. */
bool __init pvh_xen_detect(void);
bool __init pvh_on_xen(void);
int __init pvh_xen_memory_map(struct boot_e820_entry *map, unsigned int *nr);
int __init pvh_xen_console_write(const char *s, unsigned int len);
void __init pvh_xen_crash(void);

/* start_info.c: entry.S calls the first and hands the second to startup_64. */
void __init pvh_prepare_boot_params(u32 start_info_pa, unsigned long delta);
extern struct boot_params pvh_boot_params;

#endif /* _PLATFORM_PVH_H */
