// SPDX-License-Identifier: GPL-2.0
/*
 * The few Xen services the PVH entry needs before the kernel's Xen code
 * exists: is this Xen, the memory map of a start_info without one, a
 * console line and a crash report.  The kernel's hypercall wrappers go
 * through a static call that patches itself, so they cannot be used yet;
 * the instruction is picked here from the CPU vendor instead.
 */
#include <linux/types.h>
#include <asm/bootparam.h>
#include <asm/cpuid/api.h>
#include <linux/processor.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/interface/sched.h>

#include "pvh.h"

#define XEN_CPUID_FIRST		0x40000000
#define XEN_CPUID_LAST		0x40010000
#define XEN_CPUID_STRIDE	0x100

static bool pvh_xen __initdata;
static bool pvh_xen_vmmcall __initdata;

/* Does @leaf return @sig in ebx, ecx, edx (in that order)? */
static bool __init cpuid_signature_is(u32 leaf, const char sig[12])
{
	u32 regs[4] = { leaf, 0, 0, 0 };
	const char *p = (const char *)&regs[1];
	int i;

	native_cpuid(&regs[0], &regs[1], &regs[2], &regs[3]);
	for (i = 0; i < 12; i++)
		if (p[i] != sig[i])
			return false;
	return true;
}

bool __init pvh_xen_detect(void)
{
	u32 leaf;

	for (leaf = XEN_CPUID_FIRST; leaf < XEN_CPUID_LAST; leaf += XEN_CPUID_STRIDE) {
		if (cpuid_signature_is(leaf, "XenVMMXenVMM")) {
			pvh_xen = true;
			break;
		}
	}
	/* CPUID 0 has the vendor in ebx, edx, ecx: hence the odd spelling. */
	pvh_xen_vmmcall = cpuid_signature_is(0, "AuthcAMDenti") ||
			  cpuid_signature_is(0, "HygouinenGen");
	return pvh_xen;
}

bool __init pvh_on_xen(void)
{
	return pvh_xen;
}

/*
 * A 64-bit HVM guest passes the op in %rax and arguments in %rdi, %rsi,
 * %rdx; a debug Xen scribbles over the argument registers a call does not
 * use.
 */
static long __init pvh_hypercall3(unsigned int op, unsigned long a1, unsigned long a2,
				  unsigned long a3)
{
	unsigned long ret = op;

	if (pvh_xen_vmmcall)
		asm volatile("vmmcall"
			     : "+a" (ret), "+D" (a1), "+S" (a2), "+d" (a3)
			     : : "r10", "r8", "memory");
	else
		asm volatile("vmcall"
			     : "+a" (ret), "+D" (a1), "+S" (a2), "+d" (a3)
			     : : "r10", "r8", "memory");
	return ret;
}

/* A guest handle is a virtual address: Xen walks our page tables. */
int __init pvh_xen_memory_map(struct boot_e820_entry *map, unsigned int *nr)
{
	struct xen_memory_map memmap = { .nr_entries = *nr };
	int rc;

	set_xen_guest_handle(memmap.buffer, map);
	rc = pvh_hypercall3(__HYPERVISOR_memory_op, XENMEM_memory_map,
			    (unsigned long)&memmap, 0);
	if (!rc)
		*nr = memmap.nr_entries;
	return rc;
}

/* Refused to a domU by a release build of Xen: the caller has fallbacks. */
int __init pvh_xen_console_write(const char *s, unsigned int len)
{
	return pvh_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len,
			      (unsigned long)s);
}

/* Let the toolstack see a crash (on_crash=) rather than a hung guest. */
void __init pvh_xen_crash(void)
{
	struct sched_shutdown reason = { .reason = SHUTDOWN_crash };

	pvh_hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&reason, 0);
}
