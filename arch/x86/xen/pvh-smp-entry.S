/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a secondary vCPU of a Xen PVH guest starts (pvh-smp.c).
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

	.text

/*
 * VCPUOP_initialise starts the vCPU here in 64-bit mode: paging on with
 * the kernel's page tables, interrupts off, the stack at the top of the
 * CPU's idle task, and flat segments whose selectors are all null, with
 * no GDT or IDT loaded.  secondary_startup_64 expects what the real-mode
 * trampoline leaves: the same, but running on __KERNEL_CS.  With a null
 * CS selector the first IRET, which reloads CS from the stack, faults.
 * Load a GDT of our own and switch to __KERNEL_CS; secondary_startup_64
 * then loads the CPU's own GDT, where __KERNEL_CS is the same segment.
 */
SYM_CODE_START(xen_pvh_cpu_entry)
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR
	lgdt	xen_pvh_cpu_gdt_desc(%rip)
	pushq	$__KERNEL_CS
	leaq	.Lkernel_cs(%rip), %rax
	pushq	%rax
	lretq
.Lkernel_cs:
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR		/* reached by lretq, not by an indirect branch */
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

/*
 * Every external-interrupt gate of the IDT that xen_pvh_take_stale_irqs()
 * loads for a moment: take the interrupt and return; the caller sends the
 * EOI.
 */
SYM_CODE_START(xen_pvh_irq_ignore)
	UNWIND_HINT_IRET_ENTRY
	ENDBR
	iretq
SYM_CODE_END(xen_pvh_irq_ignore)

	.section .rodata, "a"
	.balign 8
/* Null descriptors up to __KERNEL_CS, then 64-bit kernel code and data. */
SYM_DATA_START_LOCAL(xen_pvh_cpu_gdt)
	.fill	GDT_ENTRY_KERNEL_CS, 8, 0
	.quad	0x00af9b000000ffff	/* __KERNEL_CS: 64-bit code, DPL 0 */
	.quad	0x00cf93000000ffff	/* __KERNEL_DS: data, DPL 0 */
SYM_DATA_END_LABEL(xen_pvh_cpu_gdt, SYM_L_LOCAL, xen_pvh_cpu_gdt_end)

SYM_DATA_START_LOCAL(xen_pvh_cpu_gdt_desc)
	.word	xen_pvh_cpu_gdt_end - xen_pvh_cpu_gdt - 1
	.quad	xen_pvh_cpu_gdt
SYM_DATA_END(xen_pvh_cpu_gdt_desc)
