// SPDX-License-Identifier: GPL-2.0
/*
 * vCPUs of a Xen guest: as many online as the domain was given
 * (XEN_SELFTEST_NR_CPUS) and as many possible as it may have
 * (XEN_SELFTEST_MAX_CPUS); on every online CPU, getcpu() says that CPU, from
 * the system call and from the vDSO, and in an HVM container (PVH, HVM) Xen
 * runs it on the vCPU of the same number; and every CPU that can go offline
 * goes offline and comes back online.
 */
#include <cpuid.h>
#include <sched.h>
#include <sys/auxv.h>

#include "../kselftest_harness.h"
#include "../vDSO/parse_vdso.h"
#include "xen_util.h"

static int set_online(int cpu, int on)
{
	char path[64];

	snprintf(path, sizeof(path), XEN_CPU_DIR "/cpu%d/online", cpu);
	return xen_write_str(path, on ? "1" : "0");
}

TEST(online_count)
{
	long want = xen_env_long("XEN_SELFTEST_NR_CPUS");
	int online = xen_cpu_count(XEN_CPU_DIR "/online");

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	ASSERT_LT(0, online);
	ASSERT_LE(online, xen_cpu_count(XEN_CPU_DIR "/possible"));
	ASSERT_EQ(online, sysconf(_SC_NPROCESSORS_ONLN));
	if (want < 0)
		SKIP(return, "%d online, no XEN_SELFTEST_NR_CPUS to compare",
		     online);
	ASSERT_EQ(want, online);
}

TEST(possible_count)
{
	long want = xen_env_long("XEN_SELFTEST_MAX_CPUS");

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (want < 0)
		SKIP(return, "no XEN_SELFTEST_MAX_CPUS to compare");
	ASSERT_EQ(want, xen_cpu_count(XEN_CPU_DIR "/possible"));
}

typedef long (*getcpu_t)(unsigned int *cpu, unsigned int *node, void *unused);

/* The vDSO's getcpu (x86: __vdso_getcpu, version LINUX_2.6); NULL if none. */
static getcpu_t vdso_getcpu(void)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);

	if (!ehdr)
		return NULL;
	vdso_init_from_sysinfo_ehdr(ehdr);
	return (getcpu_t)vdso_sym("LINUX_2.6", "__vdso_getcpu");
}

/* Pin ourselves to @cpu; 0 or -errno. */
static int pin(int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) ? -errno : 0;
}

/* The kernel's own answer, on every CPU we may run on. */
TEST(getcpu_syscall)
{
	cpu_set_t all;
	int cpu, n = 0;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &all))
			continue;
		ASSERT_EQ(0, pin(cpu));
		ASSERT_EQ(cpu, xen_getcpu());
		n++;
	}
	ASSERT_LT(0, n);
}

/*
 * Xen's view of a CPU: in an HVM container CPUID is Xen's to answer, and
 * its leaf 1 gives the initial APIC ID of the vCPU that executes it, which
 * Xen sets to twice the vCPU id.  The kernel's CPU n must be vCPU n: the
 * per-CPU vcpu_info, timers and event channels, and xenstore's cpu/N
 * entries all go by that number.  A PV guest's CPUID shows the host's.
 */
TEST(vcpu_id)
{
	unsigned int eax, ebx, ecx, edx;
	char type[16] = "";
	cpu_set_t all;
	int cpu, bad = 0;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	xen_read_line(XEN_HYP_DIR "/guest_type", type, sizeof(type));
	if (!strcmp(type, "PV"))
		SKIP(return, "a PV guest's CPUID does not show its vCPU");
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &all))
			continue;
		ASSERT_EQ(0, pin(cpu));
		ASSERT_NE(0, __get_cpuid(1, &eax, &ebx, &ecx, &edx));
		if (ebx >> 24 != 2U * cpu) {
			TH_LOG("CPU %d runs on the vCPU with APIC ID %#x (vCPU %u)",
			       cpu, ebx >> 24, ebx >> 25);
			bad++;
		}
	}
	EXPECT_EQ(0, bad);
}

/*
 * The vDSO's getcpu reads the CPU number without entering the kernel: the
 * TSC_AUX MSR through RDPID, or the limit of the per-CPU GDT entry
 * GDT_ENTRY_CPUNODE through LSL, both set up as each CPU comes up.  A CPU
 * whose entry was never written makes LSL fail and getcpu return garbage.
 * glibc's sched_getcpu() uses the vDSO when rseq is not available.
 */
TEST(getcpu_vdso)
{
	getcpu_t vgetcpu = vdso_getcpu();
	cpu_set_t all;
	unsigned int got, node;
	int cpu, bad = 0;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (!vgetcpu)
		SKIP(return, "no vDSO, or no __vdso_getcpu in it");
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &all))
			continue;
		ASSERT_EQ(0, pin(cpu));
		ASSERT_EQ(cpu, xen_getcpu());
		got = ~0U;
		node = ~0U;
		ASSERT_EQ(0, vgetcpu(&got, &node, NULL));
		if (got != (unsigned int)cpu) {
			TH_LOG("CPU %d: vDSO getcpu says CPU %u (%#x), node %u",
			       cpu, got, got, node);
			bad++;
		}
		got = sched_getcpu();
		if (got != (unsigned int)cpu) {
			TH_LOG("CPU %d: sched_getcpu() says %d", cpu, (int)got);
			bad++;
		}
	}
	EXPECT_EQ(0, bad);
}

TEST(offline_online)
{
	int possible = xen_cpu_count(XEN_CPU_DIR "/possible");
	int online = xen_cpu_count(XEN_CPU_DIR "/online");
	int cpu, done = 0;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	ASSERT_LT(0, possible);
	for (cpu = 0; cpu < possible; cpu++) {
		if (xen_cpu_online(cpu) != 1)
			continue;	/* not hotpluggable, or offline */
		ASSERT_EQ(0, set_online(cpu, 0)) TH_LOG("cpu%d offline", cpu);
		ASSERT_EQ(0, xen_cpu_online(cpu));
		ASSERT_EQ(online - 1, xen_cpu_count(XEN_CPU_DIR "/online"));
		ASSERT_EQ(0, set_online(cpu, 1)) TH_LOG("cpu%d online", cpu);
		ASSERT_EQ(1, xen_cpu_online(cpu));
		ASSERT_EQ(online, xen_cpu_count(XEN_CPU_DIR "/online"));
		done++;
	}
	if (!done)
		SKIP(return, "no CPU can go offline (%d online)", online);
	ksft_print_msg("%d CPUs went offline and online again\n", done);
}

TEST_HARNESS_MAIN
