// SPDX-License-Identifier: GPL-2.0
/*
 * lab/minipvh/clock.c: Xen system time from this vCPU's vcpu_time_info and
 * the TSC, the read every PV clock does (Linux's pvclock_clocksource_read):
 * an RDTSC between two reads of an even version.  With tsc_mode="default"
 * on a CPU without an invariant TSC, Xen traps and emulates every RDTSC.
 */
#include "minipvh.h"

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static u64 scale(u64 delta, u32 mul, s8 shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (u64)(((unsigned __int128)delta * mul) >> 32);
}

/* Counts a read that went back on this vCPU (c->backwards). */
u64 clock_ns(struct cpu *c)
{
	volatile struct vcpu_time_info *t = &shared->vcpu_info[c->id].time;
	u32 version;
	u64 ns;

	do {
		version = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		ns = t->system_time + scale(rdtsc() - t->tsc_timestamp,
					    t->tsc_to_system_mul, t->tsc_shift);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != t->version);

	if (ns < c->last_ns)
		c->backwards++;
	else
		c->last_ns = ns;
	return ns;
}
