/* SPDX-License-Identifier: GPL-2.0 */
/* lab/minipvh/minipvh.h: what the minimal guest's files share. */
#ifndef MINIPVH_H
#define MINIPVH_H

#include "xen.h"

#define MAX_CPUS	8
#define UPCALL_VECTOR	0xf3
#define NSEC_PER_SEC	1000000000UL
#define BAD_RIPS	4

/* One per vCPU; GS points at it, so the upcall handler finds its own. */
struct cpu {
	struct cpu *self;
	u32 id;
	u32 timer_port;
	volatile u32 fired;		/* the one-shot timer's event arrived */
	volatile u32 state;		/* CPU_* below */
	u64 iters, upcalls, backwards, timer_errors, bad_hypercalls, downs;
	u64 if_off, in_shadow;		/* interrupts where x86 forbids them */
	u64 bad_rip[BAD_RIPS];		/* where the first IF=0 ones came */
	u64 last_ns, late_max_ns, deadline;
};

/* What the CPU pushes for an interrupt in long mode. */
struct irq_frame {
	u64 rip, cs, rflags, rsp, ss;
};
#define X86_EFLAGS_IF	0x200
enum { CPU_OFF, CPU_RUNNING, CPU_DOWN, CPU_DONE };

extern struct cpu cpus[MAX_CPUS];
extern struct shared_info *shared;

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	asm volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

static inline void cpu_relax(void) { asm volatile("pause" ::: "memory"); }
static inline void irq_disable(void) { asm volatile("cli" ::: "memory"); }
static inline void irq_enable(void) { asm volatile("sti" ::: "memory"); }

/* head.S */
extern char pml4[], ap_start[], shadow_hlt[];
void idt_init(void);
void safe_halt(void);

/* main.c, called from head.S */
void minipvh_main(u64 start_info);
void ap_main(unsigned int id);
void trap_fatal(u64 vector, u64 error, u64 rip, u64 cr2);

/* console.c */
void console_init(void);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void debug_puts(const char *s);
void __attribute__((noreturn)) shutdown(unsigned int reason);
void __attribute__((noreturn)) fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* clock.c */
u64 clock_ns(struct cpu *c);

/* events.c */
void events_init(void);
void timer_bind(struct cpu *c);
void timer_arm(struct cpu *c, u64 deadline_ns);
void evtchn_upcall(struct irq_frame *f);

#endif
