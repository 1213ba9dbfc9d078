/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab/minipvh/head.S: the PVH entry of a minimal guest that is not Linux.
 *
 * Xen enters at pvh_start in 32-bit protected mode with paging off and the
 * physical address of struct hvm_start_info in %ebx (docs/misc/pvh.pandoc).
 * We load our own GDT, identity-map the first 4 GiB with 2 MiB pages (the
 * console ring and the other special pages sit just below 4 GiB), enter
 * long mode and call minipvh_main(start_info).  Secondary vCPUs start in
 * long mode directly (VCPUOP_initialise, VCPU_HVM_MODE_64B) at ap_start,
 * with their CPU number in %rdi and their stack in %rsp.
 */
#define XEN_ELFNOTE_XEN_VERSION		5
#define XEN_ELFNOTE_GUEST_OS		6
#define XEN_ELFNOTE_LOADER		8
#define XEN_ELFNOTE_PHYS32_ENTRY	18

#define CODE64		0x08
#define DATA		0x10
#define CODE32		0x18
#define UPCALL_VECTOR	0xf3

#define ELFNOTE(type, desc)				\
	.balign 4;					\
	.long 2f - 1f, 4f - 3f, type;			\
1:	.asciz "Xen";					\
2:	.balign 4;					\
3:	desc;						\
4:	.balign 4

	.section .note.xen, "a"
	ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz "minipvh")
	ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	ELFNOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	ELFNOTE(XEN_ELFNOTE_PHYS32_ENTRY, .long pvh_start)

	.section .text.entry, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cld
	lgdt	gdt_desc
	mov	$DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$boot_stack_top, %esp
	ljmp	$CODE32, $1f
1:	mov	%cr4, %eax
	or	$0x20, %eax			/* PAE */
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER */
	rdmsr
	or	$0x100, %eax			/* LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80010001, %eax		/* PG, WP, PE */
	mov	%eax, %cr0
	ljmp	$CODE64, $long_mode

	.code64
long_mode:
	mov	$boot_stack_top, %rsp
	lidt	idt_desc(%rip)
	mov	%ebx, %edi			/* zero-extends: start_info's address */
	call	minipvh_main
	jmp	halt_forever

/* A secondary vCPU: Xen's 64-bit context has no selectors of ours yet. */
	.globl ap_start
ap_start:
	lgdt	gdt_desc(%rip)
	pushq	$CODE64
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	mov	$DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	lidt	idt_desc(%rip)
	call	ap_main
halt_forever:
	cli
	hlt
	jmp	halt_forever

/*
 * Interrupts: exceptions 0-31 report and crash the domain (trap_fatal);
 * the event-channel upcall vector calls evtchn_upcall.  An exception
 * without an error code pushes a zero so both look alike.
 */
.macro SAVE_REGS
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
.endm
.macro RESTORE_REGS
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
.endm

/* 32 stubs of 16 bytes each, from exc_stubs; vectors with an error code do not push one. */
	.balign 16
exc_stubs:
	.set v, 0
	.rept 32
	.balign 16
	.if !(v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30)
	pushq	$0
	.endif
	pushq	$v
	jmp	exc_common
	.set v, v + 1
	.endr

exc_common:
	mov	(%rsp), %rdi			/* vector */
	mov	8(%rsp), %rsi			/* error code */
	mov	16(%rsp), %rdx			/* RIP */
	mov	%cr2, %rcx
	and	$~15, %rsp
	call	trap_fatal
	jmp	halt_forever

upcall:
	SAVE_REGS
	push	%rbp
	mov	%rsp, %rbp
	lea	80(%rsp), %rdi			/* the interrupt frame: RIP, CS, RFLAGS, ... */
	and	$~15, %rsp
	call	evtchn_upcall
	mov	%rbp, %rsp
	pop	%rbp
	RESTORE_REGS
	iretq

/*
 * Wait for an interrupt as every kernel's idle loop does: STI holds
 * interrupts off for one more instruction, so one that is pending arrives
 * after HLT, never between the two (evtchn_upcall checks shadow_hlt).
 */
	.globl safe_halt, shadow_hlt
safe_halt:
	sti
shadow_hlt:
	hlt
	ret

/* Fill the IDT once, on the boot CPU, before interrupts are enabled. */
.macro GATE_TO reg
	mov	\reg, %rax
	movw	%ax, (%rdi)
	movw	$CODE64, 2(%rdi)
	movl	$0x8e00, 4(%rdi)		/* present, DPL 0, 64-bit interrupt gate */
	shr	$16, %rax
	movw	%ax, 6(%rdi)
	shr	$16, %rax
	movl	%eax, 8(%rdi)
	movl	$0, 12(%rdi)
.endm
	.globl idt_init
idt_init:
	push	%rbp
	leaq	idt(%rip), %rdi
	leaq	exc_stubs(%rip), %rsi
	mov	$32, %ecx
1:	GATE_TO %rsi
	add	$16, %rdi
	add	$16, %rsi
	loop	1b
	leaq	idt + UPCALL_VECTOR * 16(%rip), %rdi
	leaq	upcall(%rip), %rsi
	GATE_TO %rsi
	pop	%rbp
	ret

	.section .rodata
	.balign 8
gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* CODE64 */
	.quad	0x00cf92000000ffff		/* DATA */
	.quad	0x00cf9a000000ffff		/* CODE32 */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt
idt_desc:
	.word	256 * 16 - 1
	.quad	idt

/* Identity map of 0-4 GiB: PML4[0] -> PDPT[0..3] -> four page directories of 2 MiB pages. */
	.section .data.page_aligned, "aw"
	.balign 4096
	.globl pml4
pml4:
	.quad	pdpt + 0x3
	.fill	511, 8, 0
pdpt:
	.quad	pd + 0x3, pd + 0x1003, pd + 0x2003, pd + 0x3003
	.fill	508, 8, 0
pd:
	.set i, 0
	.rept 2048
	.quad	(i << 21) | 0x83
	.set i, i + 1
	.endr

	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
idt:
	.skip	4096
	.skip	16384
boot_stack_top:
