// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PVH guest: which vCPUs exist, and how the secondary ones start.
 *
 * Xen, not the firmware tables, knows the vCPUs of a domain: VCPUOP_is_up
 * answers for each vCPU it created and -ENOENT past the last one.  Xen
 * emulates a local APIC per vCPU with APIC ID 2 * n for vCPU n.  The
 * kernel numbers its CPUs in the order their APIC IDs are registered, so
 * CPU n is vCPU n, and the ACPI processor id of a CPU is its vCPU id, as
 * in the MADT that Xen's toolstack builds; the HVM code takes that id as
 * xen_vcpu_id and xenstore's cpu/N entries use the same N.
 *
 * A secondary vCPU starts through VCPUOP_initialise, which loads a 64-bit
 * register context pointing at xen_pvh_cpu_entry, and VCPUOP_up: no
 * real-mode trampoline and no INIT/SIPI through the emulated local APIC.
 * A CPU taken offline parks its vCPU with VCPUOP_down.  Xen keeps the
 * vCPU initialised, so bringing the CPU back is a VCPUOP_up alone, after
 * which the vCPU starts over at the same entry.  "xen_pvh_cpu_start=native"
 * keeps the PC way instead, the MADT and INIT/SIPI, for comparison and as
 * a fallback.
 */
#define pr_fmt(fmt) "Xen PVH: " fmt

#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/current.h>
#include <asm/mpspec.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/x86_init.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/hvm/hvm_vcpu.h>
#include <xen/interface/vcpu.h>
#include <xen/xen-ops.h>

#include "xen-ops.h"

/* How long an offlined CPU may take to reach VCPUOP_down. */
#define XEN_PVH_DOWN_TIMEOUT_MS	1000

static bool xen_pvh_vcpuop_start __initdata = true;

static int __init xen_pvh_parse_cpu_start(char *arg)
{
	if (!arg)
		return -EINVAL;
	if (!strcmp(arg, "vcpuop"))
		xen_pvh_vcpuop_start = true;
	else if (!strcmp(arg, "native"))
		xen_pvh_vcpuop_start = false;
	else
		return -EINVAL;
	return 0;
}
early_param("xen_pvh_cpu_start", xen_pvh_parse_cpu_start);

static u32 xen_pvh_vcpu_apicid(unsigned int vcpu)
{
	return vcpu * 2;
}

/* vCPU ids are dense: the first one Xen does not know ends the count. */
static unsigned int __init xen_pvh_count_vcpus(void)
{
	unsigned int n = 1;

	while (n < MAX_LOCAL_APIC / 2 &&
	       HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) != -ENOENT)
		n++;
	return n;
}

#ifdef CONFIG_ACPI
static int __init xen_pvh_count_madt_entry(union acpi_subtable_headers *h,
					   const unsigned long end)
{
	return 0;
}

static unsigned int __init xen_pvh_madt_cpus(void)
{
	int lapic, x2apic;

	lapic = acpi_table_parse_madt(ACPI_MADT_TYPE_LOCAL_APIC,
				      xen_pvh_count_madt_entry, 0);
	x2apic = acpi_table_parse_madt(ACPI_MADT_TYPE_LOCAL_X2APIC,
				       xen_pvh_count_madt_entry, 0);
	return max(lapic, 0) + max(x2apic, 0);
}
#else
static unsigned int __init xen_pvh_madt_cpus(void)
{
	return 0;
}
#endif

/*
 * x86_init.mpparse.parse_smp_cfg, after ACPI: register the vCPUs that
 * the MADT did not.  Without an MADT (acpi=off) that is every vCPU, the
 * boot one first as firmware would, or the kernel takes itself for a
 * crash kernel started on another CPU.  When the MADT lists fewer CPUs
 * than Xen has vCPUs, the missing ones are taken to be the last vCPUs.
 */
static void __init xen_pvh_parse_smp_cfg(void)
{
	unsigned int nr = xen_pvh_count_vcpus();
	unsigned int first = 0, vcpu;

	if (acpi_lapic) {
		first = xen_pvh_madt_cpus();
		if (first != nr)
			pr_warn("the MADT lists %u CPUs, Xen has %u vCPUs: using Xen's\n",
				first, nr);
	} else {
		register_lapic_address(APIC_DEFAULT_PHYS_BASE);
	}

	for (vcpu = first; vcpu < nr; vcpu++)
		topology_register_apic(xen_pvh_vcpu_apicid(vcpu), vcpu, true);

	smp_found_config = 1;
	pr_info("%u vCPUs from Xen%s\n", nr, acpi_lapic ? ", checked against the MADT" : "");
}

#ifdef CONFIG_ACPI_HOTPLUG_CPU
/*
 * Called before a CPU that xl vcpu-set added is registered.  Xen adds
 * vCPUs through xenstore (drivers/xen/cpu_hotplug.c), not through ACPI:
 * a vCPU that the MADT listed as disabled has an APIC ID the kernel knows
 * but has not given to its CPU, and without it the CPU cannot start.
 * Give it, as ACPI's processor hot-add would; a vCPU already mapped stays
 * as it is.
 */
void xen_pvh_map_vcpu(int cpu)
{
	int mapped;

	if (!xen_pvh_domain())
		return;
	mapped = topology_hotplug_apic(xen_pvh_vcpu_apicid(cpu), cpu);
	if (mapped != cpu)
		pr_err("vCPU %d: APIC ID %#x gives CPU %d, not %d\n",
		       cpu, xen_pvh_vcpu_apicid(cpu), mapped, cpu);
}
#endif

/*
 * The state secondary_startup_64 expects from the real-mode trampoline:
 * long mode, the kernel's page tables and EFER, interrupts off, and a
 * stack; it loads the GDT and IDT itself.
 */
static int xen_pvh_vcpu_initialise(unsigned int cpu)
{
	struct task_struct *idle = per_cpu(current_task, cpu);
	struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
	struct vcpu_hvm_x86_64 *regs = &ctx.cpu_regs.x86_64;
	u64 efer;

	rdmsrq(MSR_EFER, efer);
	regs->rip = (unsigned long)xen_pvh_cpu_entry;
	regs->rsp = idle->thread.sp;
	regs->rflags = X86_EFLAGS_FIXED;
	regs->cr0 = read_cr0();
	regs->cr3 = __pa_symbol(init_top_pgt);
	regs->cr4 = X86_CR4_PAE;
	if (pgtable_l5_enabled())
		regs->cr4 |= X86_CR4_LA57;
	regs->efer = efer;

	return HYPERVISOR_vcpu_op(VCPUOP_initialise, xen_vcpu_nr(cpu), &ctx);
}

/* apic->wakeup_secondary_cpu_64: the trampoline's start_ip is not used. */
static int xen_pvh_wakeup_cpu(u32 apicid, unsigned long start_ip,
			      unsigned int cpu)
{
	const char *op = "VCPUOP_initialise";
	int rc;

	/* Xen keeps a vCPU initialised across VCPUOP_down. */
	rc = xen_pvh_vcpu_initialise(cpu);
	if (rc == -EEXIST) {
		op = "VCPUOP_is_up";
		rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, xen_vcpu_nr(cpu), NULL);
		if (rc > 0)
			rc = -EBUSY;
	}
	if (!rc) {
		op = "VCPUOP_up";
		rc = HYPERVISOR_vcpu_op(VCPUOP_up, xen_vcpu_nr(cpu), NULL);
	}
	if (rc)
		pr_err("CPU %u (vCPU %u) stays offline: %s failed: %d\n",
		       cpu, xen_vcpu_nr(cpu), op, rc);
	return rc;
}

/*
 * An IDT whose external-interrupt gates all lead to xen_pvh_irq_ignore,
 * which returns at once; loaded for a moment by xen_pvh_take_stale_irqs().
 */
static gate_desc xen_pvh_ignore_idt[IDT_ENTRIES] __ro_after_init;

/* This CPU took a stale upcall vector and owes itself an upcall. */
static DEFINE_PER_CPU(bool, xen_pvh_upcall_owed);

static bool xen_pvh_irr_pending(void)
{
	unsigned int i;

	for (i = 0; i < APIC_ISR_NR; i++)
		if (apic_read(APIC_IRR + i * 0x10))
			return true;
	return false;
}

/*
 * VCPUOP_down and VCPUOP_up, unlike INIT, leave the local APIC as it was.
 * Xen posts the upcall vector to a vCPU when an event arrives for it, or
 * when HVMOP_set_evtchn_upcall_vector finds one pending, and on the way
 * down, with interrupts already off, one arrives: the vector is pending in
 * the IRR when VCPUOP_up resumes the vCPU, and setup_local_APIC() would
 * find it there ("APIC: Stale IRR").  Take whatever is pending now, still
 * on the old context but through an IDT that only returns, and acknowledge
 * it; the events behind an upcall vector are handled once the CPU takes
 * interrupts again (xen_pvh_setup_percpu_clockev()).
 */
static void xen_pvh_take_stale_irqs(void)
{
	struct desc_ptr idt = {
		.address = (unsigned long)xen_pvh_ignore_idt,
		.size = sizeof(xen_pvh_ignore_idt) - 1,
	};
	unsigned int n;

	if (!xen_pvh_irr_pending())
		return;
	this_cpu_write(xen_pvh_upcall_owed, true);
	load_idt(&idt);
	/* Taken offline, the CPU soft-disabled its APIC, which holds back the IRR. */
	apic_write(APIC_SPIV, apic_read(APIC_SPIV) | APIC_SPIV_APIC_ENABLED);
	for (n = 0; n < NR_VECTORS && xen_pvh_irr_pending(); n++) {
		/*
		 * Xen injects a pending vector when it enters the vCPU with
		 * interrupts enabled; reading the APIC exits to Xen.
		 */
		native_irq_enable();
		apic_read(APIC_ID);
		native_irq_disable();
		apic_eoi();
	}
	load_current_idt();
}

static void __noreturn xen_pvh_play_dead(void)
{
	play_dead_common();
	HYPERVISOR_vcpu_op(VCPUOP_down, xen_vcpu_nr(smp_processor_id()), NULL);

	/* VCPUOP_up got here: start over as a freshly started CPU would. */
	xen_pvh_take_stale_irqs();
	xen_pvh_cpu_restart(current->thread.sp);
}

static void (*xen_hvm_setup_percpu_clockev)(void);

/*
 * x86_cpuinit.setup_percpu_clockev, the first thing a starting CPU does
 * with interrupts enabled: if it took a stale upcall vector, send it the
 * vector again, or the events pending behind it would wait for the next
 * one, and Xen posts no new upcall while the old one is unhandled.
 */
static void xen_pvh_setup_percpu_clockev(void)
{
	xen_hvm_setup_percpu_clockev();
	if (this_cpu_read(xen_pvh_upcall_owed)) {
		this_cpu_write(xen_pvh_upcall_owed, false);
		__apic_send_IPI_self(HYPERVISOR_CALLBACK_VECTOR);
	}
}

static void (*xen_hvm_cleanup_dead_cpu)(unsigned int cpu);

/*
 * The dead CPU reports itself before it reaches VCPUOP_down: the CPU is
 * offline only once Xen says its vCPU is down, or a quick online would
 * VCPUOP_up a vCPU that is still running and then lose it.
 */
static void xen_pvh_cleanup_dead_cpu(unsigned int cpu)
{
	unsigned int ms;

	xen_hvm_cleanup_dead_cpu(cpu);
	for (ms = 0; ms < XEN_PVH_DOWN_TIMEOUT_MS; ms++) {
		if (HYPERVISOR_vcpu_op(VCPUOP_is_up, xen_vcpu_nr(cpu), NULL) <= 0)
			return;
		usleep_range(1000, 2000);
	}
	pr_err("CPU %u (vCPU %u) did not reach VCPUOP_down in %u ms\n",
	       cpu, xen_vcpu_nr(cpu), XEN_PVH_DOWN_TIMEOUT_MS);
}

static void __init xen_pvh_use_vcpuop(void)
{
	unsigned int v;

	for (v = FIRST_EXTERNAL_VECTOR; v < NR_VECTORS; v++)
		pack_gate(&xen_pvh_ignore_idt[v], GATE_INTERRUPT,
			  (unsigned long)xen_pvh_irq_ignore, 0, 0, __KERNEL_CS);

	apic_update_callback(wakeup_secondary_cpu_64, xen_pvh_wakeup_cpu);

	/*
	 * Parallel bring-up starts every AP at once to hide the INIT/SIPI
	 * delays and the microcode load; VCPUOP_up has neither.  What is left
	 * are APs that spin in cpuhp_ap_sync_alive() until the boot CPU gets
	 * to them, and a spinning vCPU takes its physical CPU away from the
	 * vCPUs that do the work whenever Xen shares one between them.
	 */
	x86_cpuinit.parallel_bringup = false;
	smp_ops.play_dead = xen_pvh_play_dead;
	xen_hvm_cleanup_dead_cpu = smp_ops.cleanup_dead_cpu;
	smp_ops.cleanup_dead_cpu = xen_pvh_cleanup_dead_cpu;
}

static void (*xen_hvm_prepare_cpus)(unsigned int max_cpus) __initdata;

/*
 * Without an MADT or MP table (acpi=off with the native start) the kernel
 * takes the machine for a uniprocessor PC whose PIT ticks and starts no
 * per-CPU timer.  A PVH guest has no PIT: Xen's timer is the only one, so
 * start it anyway, or the first sleep never ends.
 */
static void __init xen_pvh_smp_prepare_cpus(unsigned int max_cpus)
{
	xen_hvm_prepare_cpus(max_cpus);

	/*
	 * Every vCPU runs at the TSC frequency Xen gives (lpj_fine comes from
	 * it), and timing a delay loop on a vCPU that Xen can preempt at any
	 * moment measures nothing better, only slower: let the secondary CPUs
	 * take that value too.  "lpj=" still wins.
	 */
	if (!preset_lpj)
		preset_lpj = lpj_fine;
	if (apic_intr_mode == APIC_PIC || apic_intr_mode == APIC_VIRTUAL_WIRE_NO_CONFIG)
		x86_init.timers.setup_percpu_clockev();
	if (xen_pvh_vcpuop_start) {
		xen_hvm_setup_percpu_clockev = x86_cpuinit.setup_percpu_clockev;
		x86_cpuinit.setup_percpu_clockev = xen_pvh_setup_percpu_clockev;
	}
	pr_info("secondary CPUs start through %s\n",
		xen_pvh_vcpuop_start ? "VCPUOP_initialise and VCPUOP_up" :
		"INIT/SIPI");
}

/* Called from the PVH init_platform, once the HVM smp_ops are in place. */
void __init xen_pvh_smp_init(void)
{
	xen_hvm_prepare_cpus = smp_ops.smp_prepare_cpus;
	smp_ops.smp_prepare_cpus = xen_pvh_smp_prepare_cpus;

	/* There is no MP table to look for, nor to parse before ACPI. */
	x86_init.mpparse.find_mptable = x86_init_noop;
	x86_init.mpparse.early_parse_smp_cfg = x86_init_noop;

	if (!xen_pvh_vcpuop_start)
		return;

	x86_init.mpparse.parse_smp_cfg = xen_pvh_parse_smp_cfg;
	xen_pvh_use_vcpuop();
}
