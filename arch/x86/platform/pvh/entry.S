/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH entry point: the x86/HVM direct boot ABI of Xen's
 * docs/misc/pvh.pandoc, also used by QEMU's "-kernel vmlinux" and other
 * VMMs.  The loader starts us in flat 32-bit protected mode with paging
 * off, %ebx holding the physical address of a struct hvm_start_info and
 * nothing else defined: no stack, no GDT, no IDT.
 *
 * We behave like a tiny boot loader built into the kernel: take over the
 * machine, build page tables for wherever we were loaded, enter long mode,
 * let start_info.c turn hvm_start_info into a struct boot_params, and
 * enter startup_64 through the ordinary 64-bit boot protocol.  Nothing
 * after that point needs to know how the kernel was started.
 *
 * The image may be loaded above its link address, so no physical address
 * is stored at link time.  All of our data is reached relative to %ebp,
 * the run-time address of pvh_anchor, found with a call/pop on a stack
 * slot borrowed from hvm_start_info itself.
 */

#include <linux/elfnote.h>
#include <linux/init.h>
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/boot.h>
#include <asm/desc_defs.h>
#include <asm/msr.h>
#include <asm/page_types.h>
#include <asm/percpu.h>
#include <asm/pgtable_types.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>
#include <xen/interface/elfnote.h>
#include <xen/interface/hvm/start_info.h>

/* Offset of a symbol from pvh_anchor; assembles to a PC-relative fixup. */
#define rel(sym)	((sym) - pvh_anchor)

#define PVH_CS32	0x08
#define PVH_CS64	0x10
#define PVH_DS		0x18

#define PVH_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PVH_LEAF	(PVH_TABLE | _PAGE_PSE)

#define PVH_NR_TABLES	8		/* page-table pages, see pvh_page_tables */

#define PVH_COM1	0x3f8
#define PVH_E9		0xe9

/*
 * Print a message before we own any memory: every character becomes an
 * immediate.  '~' stands for a space, which .irpc would split on.
 */
.macro pvh_puts_nomem str:req
	movw	$PVH_COM1, %dx
	.irpc c, \str
	.byte	0xb0			/* mov $imm8, %al */
	.ifc "\c", "~"
	.byte	0x20
	.else
	.ascii	"\c"
	.endif
	outb	%al, $PVH_E9
	outb	%al, %dx
	.endr
.endm

.macro pvh_newline_nomem
	movb	$0x0a, %al
	outb	%al, $PVH_E9
	outb	%al, %dx
.endm

	__INIT
	.code32
SYM_CODE_START(pvh_entry)
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR
	cld
	testl	%ebx, %ebx
	jz	.Lno_start_info
	cmpl	$XEN_HVM_START_MAGIC_VALUE, (%ebx)
	jne	.Lbad_magic

	/*
	 * Borrow the magic word as a one-slot stack to learn where we run,
	 * then put the value we just checked back.
	 */
	leal	4(%ebx), %esp
	ANNOTATE_INTRA_FUNCTION_CALL
	call	pvh_anchor
pvh_anchor:
	popl	%ebp
	movl	$XEN_HVM_START_MAGIC_VALUE, (%ebx)

	leal	rel(pvh_stack_top)(%ebp), %esp

	/* Our own GDT, so that every selector is one we know. */
	leal	rel(pvh_gdt)(%ebp), %eax
	movl	%eax, rel(pvh_gdt_desc + 2)(%ebp)
	lgdt	rel(pvh_gdt_desc)(%ebp)
	movl	$PVH_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	pushl	$PVH_CS32
	leal	rel(.Lflat32)(%ebp), %eax
	pushl	%eax
	lret
.Lflat32:
	UNWIND_HINT_END_OF_STACK	/* reached by lret */
	call	pvh_check_cpu
	call	pvh_check_load_address
	call	pvh_build_page_tables

	/* Long mode: PAE, our tables, EFER.LME, then paging. */
	movl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	leal	rel(pvh_pml4)(%ebp), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	btsl	$_EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$X86_CR0_PG, %eax
	movl	%eax, %cr0

	pushl	$PVH_CS64
	leal	rel(.Lentry64)(%ebp), %eax
	pushl	%eax
	lret

	/* Without hvm_start_info there is no memory we may borrow. */
.Lno_start_info:
	pvh_puts_nomem "PVH:~entered~with~ebx~=~0:~no~hvm_start_info"
	jmp	.Lnomem_stop
.Lbad_magic:
	pvh_puts_nomem "PVH:~no~hvm_start_info~magic~at~ebx~=~0x"
	movl	$8, %ecx
1:	roll	$4, %ebx
	movl	%ebx, %eax
	andl	$0xf, %eax
	cmpb	$10, %al
	jb	2f
	addb	$('a' - '0' - 10), %al
2:	addb	$'0', %al
	outb	%al, $PVH_E9
	outb	%al, %dx
	loop	1b
.Lnomem_stop:
	pvh_puts_nomem "~-~cannot~continue"
	pvh_newline_nomem
	jmp	pvh_halt32

	/* 64-bit mode, still on our identity map. */
	.code64
.Lentry64:
	UNWIND_HINT_END_OF_STACK	/* reached by lret */
	movl	$PVH_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	leaq	pvh_stack_top(%rip), %rsp

	/*
	 * C code built with the stack protector reads its canary at
	 * %gs:__stack_chk_guard, a per-CPU variable addressed by its link
	 * address: a GS base of 0, as startup_64 sets, finds the boot CPU's
	 * copy through the high mapping.
	 */
	movl	$MSR_GS_BASE, %ecx
	xorl	%eax, %eax
	xorl	%edx, %edx
	wrmsr

	/*
	 * Direct calls and jumps are relative, so they work from the
	 * identity map; the C code's absolute references to kernel data go
	 * through the high mapping.
	 */
	movl	%ebx, %edi
	leaq	_text(%rip), %rsi
	subq	$LOAD_PHYSICAL_ADDR, %rsi
	call	pvh_prepare_boot_params

	/* The 64-bit boot protocol: %rsi = physical address of boot_params. */
	leaq	pvh_boot_params(%rip), %rsi
	jmp	startup_64
SYM_CODE_END(pvh_entry)

	.code32
/*
 * The 32-bit helpers return with a plain ret: the return thunk is 64-bit
 * code at a virtual address, and paging is still off. The int3 after each
 * ret stops straight-line speculation past it (CONFIG_MITIGATION_SLS, which
 * objtool checks).
 */

/* A 64-bit kernel needs long mode; say so instead of faulting on EFER. */
SYM_CODE_START_LOCAL(pvh_check_cpu)
	UNWIND_HINT_END_OF_STACK
	pushl	%ebx			/* hvm_start_info; cpuid overwrites it */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	.Lno_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	.Lno_long_mode
	popl	%ebx
	ret
	int3
.Lno_long_mode:
	leal	rel(pvh_msg_no_lm)(%ebp), %esi
	jmp	pvh_fail32
SYM_CODE_END(pvh_check_cpu)

/*
 * startup_64 assumes the kernel runs at or above its link address, offset
 * by a multiple of 2 MiB, and our identity map ends at 4 GiB.  It would spin
 * silently on a bad offset, so check here, where we can still say why.
 */
SYM_CODE_START_LOCAL(pvh_check_load_address)
	UNWIND_HINT_END_OF_STACK
	leal	rel(_text)(%ebp), %eax
	cmpl	$LOAD_PHYSICAL_ADDR, %eax
	jb	.Lbelow_link
	testl	$(PMD_SIZE - 1), %eax
	jnz	.Lunaligned
	movl	%ebp, %eax
	addl	$rel(_end), %eax
	jc	.Labove_4g
	ret
	int3
.Lbelow_link:
	leal	rel(pvh_msg_below_link)(%ebp), %esi
	jmp	pvh_fail32
.Lunaligned:
	leal	rel(pvh_msg_unaligned)(%ebp), %esi
	jmp	pvh_fail32
.Labove_4g:
	leal	rel(pvh_msg_above_4g)(%ebp), %esi
	jmp	pvh_fail32
SYM_CODE_END(pvh_check_load_address)

/*
 * Identity map [0, 4 GiB) with 2 MiB pages, for us, for hvm_start_info and
 * its data wherever the loader put them, and for startup_64; and map
 * __START_KERNEL_map to where the image really is, for the C code.
 */
SYM_CODE_START_LOCAL(pvh_build_page_tables)
	UNWIND_HINT_END_OF_STACK
	leal	rel(pvh_page_tables)(%ebp), %edi
	movl	$(PVH_NR_TABLES * PAGE_SIZE / 4), %ecx
	xorl	%eax, %eax
	rep stosl

	leal	rel(pvh_pdpt_low + PVH_TABLE)(%ebp), %eax
	movl	%eax, rel(pvh_pml4)(%ebp)
	leal	rel(pvh_pdpt_high + PVH_TABLE)(%ebp), %eax
	movl	%eax, rel(pvh_pml4 + 511 * 8)(%ebp)

	/* Four page directories, one per GiB, each pointed at by the PDPT. */
	leal	rel(pvh_pd_low + PVH_TABLE)(%ebp), %eax
	leal	rel(pvh_pdpt_low)(%ebp), %edi
	movl	$4, %ecx
1:	movl	%eax, (%edi)
	addl	$PAGE_SIZE, %eax
	addl	$8, %edi
	loop	1b

	movl	$PVH_LEAF, %eax
	leal	rel(pvh_pd_low)(%ebp), %edi
	movl	$(4 * PTRS_PER_PMD), %ecx
1:	movl	%eax, (%edi)
	addl	$PMD_SIZE, %eax
	addl	$8, %edi
	loop	1b

	/* __START_KERNEL_map is PML4 slot 511, PDPT slot 510. */
	leal	rel(pvh_pd_high + PVH_TABLE)(%ebp), %eax
	movl	%eax, rel(pvh_pdpt_high + 510 * 8)(%ebp)

	/* Physical address of offset 0 of the high map: _text - link offset. */
	leal	rel(_text)(%ebp), %eax
	subl	$LOAD_PHYSICAL_ADDR, %eax
	orl	$PVH_LEAF, %eax
	leal	rel(pvh_pd_high)(%ebp), %edi
	movl	$(KERNEL_IMAGE_SIZE / PMD_SIZE), %ecx
1:	movl	%eax, (%edi)
	addl	$PMD_SIZE, %eax
	jc	2f
	addl	$8, %edi
	loop	1b
2:	ret
	int3
SYM_CODE_END(pvh_build_page_tables)

/* Print the string at %esi to port 0xe9 and COM1, then stop. */
SYM_CODE_START_LOCAL(pvh_fail32)
	UNWIND_HINT_END_OF_STACK
	movw	$PVH_COM1, %dx
1:	lodsb
	testb	%al, %al
	jz	pvh_halt32
	outb	%al, $PVH_E9
	outb	%al, %dx
	jmp	1b
SYM_CODE_END(pvh_fail32)

/* On Xen, the last vCPU halting with interrupts off ends the domain. */
SYM_CODE_START_LOCAL(pvh_halt32)
	UNWIND_HINT_END_OF_STACK
1:	cli
	hlt
	jmp	1b
SYM_CODE_END(pvh_halt32)

	__INITRODATA
pvh_msg_no_lm:
	.asciz	"PVH: this CPU has no long mode; a 64-bit kernel cannot run - cannot continue\n"
pvh_msg_below_link:
	.asciz	"PVH: kernel loaded below its link address - cannot continue\n"
pvh_msg_unaligned:
	.asciz	"PVH: kernel not loaded at a 2 MiB aligned address - cannot continue\n"
pvh_msg_above_4g:
	.asciz	"PVH: kernel image does not end below 4 GiB - cannot continue\n"

	__INITDATA
	.balign	8
pvh_gdt:
	.quad	0
	.quad	GDT_ENTRY(DESC_CODE32, 0, 0xfffff)	/* PVH_CS32 */
	.quad	GDT_ENTRY(DESC_CODE64, 0, 0xfffff)	/* PVH_CS64 */
	.quad	GDT_ENTRY(DESC_DATA32, 0, 0xfffff)	/* PVH_DS */
pvh_gdt_end:
pvh_gdt_desc:
	.word	pvh_gdt_end - pvh_gdt - 1
	.long	0				/* base: set at run time */

	.balign	PAGE_SIZE
pvh_page_tables:
pvh_pml4:
	.skip	PAGE_SIZE
pvh_pdpt_low:
	.skip	PAGE_SIZE
pvh_pd_low:
	.skip	4 * PAGE_SIZE
pvh_pdpt_high:
	.skip	PAGE_SIZE
pvh_pd_high:
	.skip	PAGE_SIZE

	.balign	16
pvh_stack:
	.skip	2 * PAGE_SIZE
pvh_stack_top:

	/*
	 * The entry's physical address, as 8 bytes: QEMU reads a size_t.
	 * The relocation note tells loaders that know it (Xen 4.17 ignores
	 * it) where else the image may go: what pvh_check_load_address allows.
	 */
	ELFNOTE(Xen, XEN_ELFNOTE_PHYS32_ENTRY, .quad pvh_entry - __START_KERNEL_map)
	ELFNOTE(Xen, XEN_ELFNOTE_PHYS32_RELOC,
		.long CONFIG_PHYSICAL_ALIGN; .long LOAD_PHYSICAL_ADDR; .long 0xffffffff)
