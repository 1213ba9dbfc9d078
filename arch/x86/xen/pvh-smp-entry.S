/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a secondary vCPU of a Xen PVH guest starts (pvh-smp.c).
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/unwind_hints.h>

	.text

/*
 * VCPUOP_initialise starts the vCPU here in 64-bit mode: paging on with
 * the kernel's page tables, flat segments with null selectors, no GDT or
 * IDT loaded, interrupts off, and the stack at the top of the CPU's idle
 * task.  That is what the real-mode trampoline leaves behind, so the
 * kernel's own secondary CPU path takes over from here.
 */
SYM_CODE_START(xen_pvh_cpu_entry)
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR
	jmp	secondary_startup_64
SYM_CODE_END(xen_pvh_cpu_entry)

/*
 * xen_pvh_cpu_restart(stack): a vCPU that VCPUOP_up resumed after
 * VCPUOP_down starts over, as if VCPUOP_initialise had just started it.
 */
SYM_FUNC_START(xen_pvh_cpu_restart)
	mov	%rdi, %rsp
	UNWIND_HINT_END_OF_STACK
	jmp	xen_pvh_cpu_entry
SYM_FUNC_END(xen_pvh_cpu_restart)
