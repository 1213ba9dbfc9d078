// SPDX-License-Identifier: GPL-2.0
/*
 * lab/minipvh/main.c: a minimal PVH guest that is not Linux, to tell the
 * lab's guest deaths under TCG from faults of a kernel (lab/README.md,
 * "A PVH guest that is not Linux").
 *
 * The boot vCPU checks hvm_start_info, sets up the hypercall page, the PV
 * console, shared_info and the event-channel upcall vector, then starts
 * the other vCPUs with VCPUOP_initialise + VCPUOP_up.  Then every vCPU
 * runs the same loop for mini.secs seconds: with interrupts off it reads
 * Xen's system time (RDTSC), makes a hypercall and arms its one-shot Xen
 * timer; then it waits for the timer's event, on odd rounds spinning with
 * interrupts off past the deadline before it takes them, on even rounds
 * in STI;HLT.  With mini.hotplug=1 each secondary vCPU also takes itself
 * down (VCPUOP_down) every two seconds and the boot vCPU brings it back
 * (VCPUOP_up), as a CPU offline/online cycle does.  Every interrupt is
 * checked against x86's rules (events.c); a vCPU that stops making rounds
 * is reported with what shared memory says about its event.
 *
 * Command line: mini.secs=N (default 60), mini.hotplug=0|1, and the lab's
 * lab.expect_cpus=N, the vCPUs to run (default 1).  It prints TAP lines,
 * the lab's "LAB key=value" lines and LAB-GUEST-DONE, then powers off.
 * A fault reports the vector and RIP on the console and on port 0xe9 and
 * crashes the domain; a triple fault is Xen's to report.
 */
#include "minipvh.h"

struct cpu cpus[MAX_CPUS];
char hypercall_page[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));
static char ap_stacks[MAX_CPUS][16384] __attribute__((aligned(16)));

static unsigned int ncpus = 1, hotplug, secs = 60, tap;
static u32 xen_version;

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "0"(leaf), "2"(0));
}

static void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr" :: "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)));
}

/* Find Xen's CPUID leaves and have Xen write the hypercall page. */
static void hypercall_init(void)
{
	u32 base, a, b, c, d;

	for (base = 0x40000000; base < 0x40010000; base += 0x100) {
		cpuid(base, &a, &b, &c, &d);
		if (b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e &&
		    a - base >= 2) {
			cpuid(base + 2, &a, &b, &c, &d);
			wrmsr(b, (u64)hypercall_page);
			return;
		}
	}
	debug_puts("minipvh: no Xen CPUID leaves (XenVMMXenVMM): not a Xen guest\n");
	for (;;)
		asm volatile("cli; hlt");
}

/* The value of KEY=N on the command line, or def. */
static unsigned int cmdline_uint(const char *cmdline, const char *key, unsigned int def)
{
	const char *p, *k;
	unsigned int v;

	for (p = cmdline; p && *p; p++) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		for (k = key; *k && *p == *k; k++, p++)
			;
		if (*k || *p != '=')
			continue;
		for (v = 0, p++; *p >= '0' && *p <= '9'; p++)
			v = v * 10 + (*p - '0');
		return v;
	}
	return def;
}

static void parse_start_info(const struct hvm_start_info *si)
{
	const char *cmdline;

	if (si->magic != HVM_START_MAGIC)
		fatal("not ok 1 - hvm_start_info at 0x%lx: magic 0x%x, want 0x%x\n",
		      (u64)si, si->magic, HVM_START_MAGIC);
	cmdline = (const char *)si->cmdline_paddr;
	printk("minipvh: hvm_start_info version %u, command line \"%s\"\n",
	       si->version, cmdline ? cmdline : "");
	printk("ok %u - hvm_start_info: magic ok, version %u\n", ++tap, si->version);
	secs = cmdline_uint(cmdline, "mini.secs", secs);
	hotplug = cmdline_uint(cmdline, "mini.hotplug", 0);
	ncpus = cmdline_uint(cmdline, "lab.expect_cpus", 1);
	if (ncpus < 1 || ncpus > MAX_CPUS)
		fatal("not ok %u - lab.expect_cpus=%u: this guest runs 1 to %u vCPUs\n",
		      ++tap, ncpus, MAX_CPUS);
}

static void cpu_setup(struct cpu *c)
{
	wrmsr(0xc0000101, (u64)c);		/* GS base: this_cpu() */
}

/* VCPUOP_initialise in long mode at ap_start, then VCPUOP_up. */
static long start_cpu(struct cpu *c)
{
	struct vcpu_hvm_context ctx = {
		.mode = VCPU_HVM_MODE_64B,
		.rip = (u64)ap_start,
		.rsp = (u64)ap_stacks[c->id + 1],
		.rdi = c->id,
		.rflags = 0x2,
		.cr0 = 0x80050033,		/* PG, AM, WP, NE, ET, MP, PE */
		.cr3 = (u64)pml4,
		.cr4 = 0x20,			/* PAE */
		.efer = 0x500,			/* LMA, LME */
	};
	long rc;

	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, c->id, &ctx);
	if (rc)
		return rc;
	return HYPERVISOR_vcpu_op(VCPUOP_up, c->id, 0);
}

/* On the boot vCPU: bring back each vCPU that took itself down. */
static void hotplug_service(void)
{
	unsigned int i;

	for (i = 1; i < ncpus; i++) {
		if (cpus[i].state != CPU_DOWN ||
		    HYPERVISOR_vcpu_op(VCPUOP_is_up, i, 0) != 0)
			continue;
		cpus[i].state = CPU_RUNNING;
		if (HYPERVISOR_vcpu_op(VCPUOP_up, i, 0))
			fatal("not ok - VCPUOP_up(vCPU %u) after VCPUOP_down failed\n", i);
	}
}

/* Called with interrupts off; returns with them on and the timer's event taken. */
static void wait_timer(struct cpu *c, u64 deadline, int spin_irqs_off)
{
	if (spin_irqs_off) {
		while (clock_ns(c) < deadline)
			cpu_relax();
		irq_enable();
		while (!c->fired)
			cpu_relax();
		return;
	}
	while (!c->fired) {
		safe_halt();
		irq_disable();
	}
	irq_enable();
}

/* On the boot vCPU: a line every 10 s, so that a death has a time. */
static void progress(u64 t, u64 start, u64 *next)
{
	unsigned int i;

	if (t < *next)
		return;
	*next += 10 * NSEC_PER_SEC;
	printk("# %lu s:", (t - start) / NSEC_PER_SEC);
	for (i = 0; i < ncpus; i++)
		printk(" cpu%u %lu", i, cpus[i].iters);
	printk("\n");
}

/* A secondary vCPU parks itself with VCPUOP_down; VCPUOP_up resumes it here. */
static void go_down(struct cpu *c)
{
	irq_disable();
	c->state = CPU_DOWN;
	c->downs++;
	HYPERVISOR_vcpu_op(VCPUOP_down, c->id, 0);
	irq_enable();
}

static void stress(struct cpu *c)
{
	u64 t, start, deadline, end, next_report, next_down, late;

	start = clock_ns(c);
	end = start + secs * NSEC_PER_SEC;
	next_report = start + 10 * NSEC_PER_SEC;
	next_down = start + 2 * NSEC_PER_SEC;
	for (;;) {
		irq_disable();
		t = clock_ns(c);
		if (t >= end)
			break;
		if (HYPERVISOR_xen_version(XENVER_version, 0) != xen_version)
			c->bad_hypercalls++;
		/* 20 us to 1 ms ahead */
		deadline = t + 20000 + (c->iters * 7919 % 980) * 1000;
		c->deadline = deadline;
		timer_arm(c, deadline);
		wait_timer(c, deadline, c->iters & 1);
		late = clock_ns(c) - deadline;
		if ((s64)late > 0 && late > c->late_max_ns)
			c->late_max_ns = late;
		c->iters++;
		if (c->id == 0) {
			hotplug_service();
			progress(t, start, &next_report);
		} else if (hotplug && t >= next_down) {
			go_down(c);
			next_down = clock_ns(c) + 2 * NSEC_PER_SEC;
		}
	}
	irq_enable();
}

void ap_main(unsigned int id)
{
	struct cpu *c = &cpus[id];

	cpu_setup(c);
	c->state = CPU_RUNNING;
	irq_enable();
	stress(c);
	c->state = CPU_DONE;
}

/* What Xen and a stuck vCPU left in shared memory: who owes whom the event. */
static void stuck(struct cpu *c)
{
	struct vcpu_info *vi = &shared->vcpu_info[c->id];
	unsigned int w = c->timer_port / 64, b = c->timer_port % 64;

	printk("# cpu%u stuck: fired %u, upcall_pending %u, pending_sel 0x%lx,",
	       c->id, c->fired, vi->evtchn_upcall_pending, vi->evtchn_pending_sel);
	printk(" port %u pending %lu masked %lu, deadline %ld us ago\n",
	       c->timer_port, (shared->evtchn_pending[w] >> b) & 1,
	       (shared->evtchn_mask[w] >> b) & 1,
	       (s64)(clock_ns(&cpus[0]) - c->deadline) / 1000);
}

/*
 * A clock step back is reported, not failed: with tsc_mode="native" on TSCs that
 * are not in step (QEMU's vCPU threads), a vCPU that moves sees one (lab/README.md).
 */
static void report(struct cpu *c)
{
	unsigned int i;
	int ok = c->state == CPU_DONE && !c->timer_errors && !c->bad_hypercalls &&
		 !c->if_off && !c->in_shadow && c->iters;

	printk("%s %u - cpu%u: %lu rounds of rdtsc, hypercall, one-shot timer in %u s",
	       ok ? "ok" : "not ok", ++tap, c->id, c->iters, secs);
	printk(" (%lu upcalls, %lu downs, timer at most %lu us late; clock back %lu,",
	       c->upcalls, c->downs, c->late_max_ns / 1000, c->backwards);
	printk(" timer errors %lu, bad hypercalls %lu%s)\n", c->timer_errors,
	       c->bad_hypercalls, c->state == CPU_DONE ? "" : ", never finished");
	if (c->if_off) {
		printk("# cpu%u: %lu interrupts taken with IF=0, at RIP", c->id, c->if_off);
		for (i = 0; i < c->if_off && i < BAD_RIPS; i++)
			printk(" 0x%lx", c->bad_rip[i]);
		printk("\n");
	}
	if (c->in_shadow)
		printk("# cpu%u: %lu interrupts taken inside STI's shadow, at the HLT of sti;hlt (0x%lx)\n",
		       c->id, c->in_shadow, (u64)shadow_hlt);
	if (c->state != CPU_DONE)
		stuck(c);
}

void minipvh_main(u64 start_info)
{
	unsigned int i, done;
	u64 deadline;
	long rc;

	for (i = 0; i < MAX_CPUS; i++) {
		cpus[i].self = &cpus[i];
		cpus[i].id = i;
	}
	cpu_setup(&cpus[0]);
	idt_init();
	hypercall_init();
	console_init();
	printk("minipvh: a minimal PVH guest (lab/minipvh)\n");
	parse_start_info((const struct hvm_start_info *)start_info);
	xen_version = HYPERVISOR_xen_version(XENVER_version, 0);
	events_init();
	for (i = 0; i < ncpus; i++)
		timer_bind(&cpus[i]);
	printk("ok %u - Xen %u.%u: hypercall page, shared_info, upcall vector, timers\n",
	       ++tap, xen_version >> 16, xen_version & 0xffff);
	cpus[0].state = CPU_RUNNING;
	for (i = 1; i < ncpus; i++) {
		rc = start_cpu(&cpus[i]);
		if (rc)
			fatal("not ok %u - vCPU %u: VCPUOP_initialise/up failed: %ld\n",
			      ++tap, i, rc);
	}
	printk("ok %u - %u vCPUs started with VCPUOP_initialise and VCPUOP_up\n", ++tap, ncpus);
	printk("LAB guest_type=PVH\nLAB ncpus=%u\nLAB kernel=minipvh\n", ncpus);
	printk("# %u vCPUs for %u s, hotplug %s\n", ncpus, secs, hotplug ? "on" : "off");
	irq_enable();
	stress(&cpus[0]);
	cpus[0].state = CPU_DONE;

	/* the others end by their own clocks; give them 30 s more */
	deadline = clock_ns(&cpus[0]) + 30 * NSEC_PER_SEC;
	do {
		hotplug_service();
		for (done = 0, i = 0; i < ncpus; i++)
			done += cpus[i].state == CPU_DONE;
	} while (done < ncpus && clock_ns(&cpus[0]) < deadline);
	for (i = 0; i < ncpus; i++)
		report(&cpus[i]);
	printk("1..%u\nLAB-GUEST-DONE\n", tap);
	shutdown(SHUTDOWN_poweroff);
}

void trap_fatal(u64 vector, u64 error, u64 rip, u64 cr2)
{
	fatal("not ok - cpu%u: exception %lu, error 0x%lx, at RIP 0x%lx (CR2 0x%lx)\n",
	      this_cpu()->id, vector, error, rip, cr2);
}
