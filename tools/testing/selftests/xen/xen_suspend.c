// SPDX-License-Identifier: GPL-2.0
/*
 * Save and restore.  The guest is saved to a file and restored from it
 * while it runs, XEN_SELFTEST_SAVE_ROUNDS rounds (default 1).  The host
 * side is whoever watches the console: the test prints
 *
 *	# XEN-SELFTEST-SAVE-REQUEST seq=K
 *
 * and waits (bounded) for `xl save DOMAIN FILE` and `xl restore FILE`.  It
 * only asks when XEN_SELFTEST_SAVE=1 says someone will answer; otherwise it
 * skips.  The restored domain has a new domid: that is how the test knows
 * the round is over.
 *
 * While it waits, one thread per online CPU, bound to it, reads
 * CLOCK_MONOTONIC every millisecond.  After each round:
 *  - no thread may have seen the clock go backwards, neither against its
 *    own last reading nor against the newest reading of any thread;
 *  - every thread must have run again after the restore: every vCPU came
 *    back, and so did its timer;
 *  - as many CPUs are online as before.
 * The largest step of CLOCK_MONOTONIC a thread saw is the downtime the guest
 * saw; CLOCK_BOOTTIME, which must not go back either, also counts the time
 * the guest was suspended, as the kernel reads it from Xen's wallclock on
 * resume.  Both are printed:
 *
 *	# XEN-SELFTEST-SAVE seq=K downtime_ms=N away_ms=M domid=A->B cpus=C
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#define ROUNDS		1	/* without XEN_SELFTEST_SAVE_ROUNDS */
#define WAIT_S		300	/* for the host to save and restore us */
#define AFTER_MS	1000	/* the threads run this long after a restore */
#define MAX_CPUS	64

struct clock_thread {
	pthread_t thread;
	int cpu;
	long long last_ns;	/* this thread's newest reading */
	long long max_step_ns;
	long long back_ns;	/* the worst step backwards, 0 if none */
	long long boot_ns, boot_step_ns, boot_back_ns;	/* CLOCK_BOOTTIME */
	unsigned long after;	/* readings since the restore was seen */
	int bound;		/* 0, or -errno of sched_setaffinity */
};

static atomic_llong newest_ns;	/* the newest reading of any thread */
static atomic_int stop, restored;

static long long clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* Note the step from @prev to @now in *@step (largest) and *@back (worst). */
static void note(long long now, long long prev, long long *step,
		 long long *back)
{
	if (now < prev && prev - now > *back)
		*back = prev - now;
	if (now - prev > *step)
		*step = now - prev;
}

static void *clock_fn(void *arg)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	struct clock_thread *c = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(c->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		c->bound = -errno;
	c->last_ns = mono_ns();
	c->boot_ns = clock_ns(CLOCK_BOOTTIME);
	while (!atomic_load(&stop)) {
		/* read the shared newest first: ours must not be older */
		long long seen = atomic_load(&newest_ns), now = mono_ns();
		long long boot = clock_ns(CLOCK_BOOTTIME);

		note(now, c->last_ns, &c->max_step_ns, &c->back_ns);
		note(boot, c->boot_ns, &c->boot_step_ns, &c->boot_back_ns);
		c->boot_ns = boot;
		if (now < seen && seen - now > c->back_ns)
			c->back_ns = seen - now;
		while (seen < now &&
		       !atomic_compare_exchange_weak(&newest_ns, &seen, now))
			;
		c->last_ns = now;
		if (atomic_load(&restored))
			c->after++;
		nanosleep(&ms, NULL);
	}
	return NULL;
}

/* Wait until our domid is not @old any more: the restored domain. */
static int wait_new_domid(int old)
{
	double end = xen_now() + WAIT_S;
	int id;

	do {
		usleep(200 * 1000);
		/* xenstore may not answer around the suspend: ask again */
		id = xs_own_domid();
		if (id >= 0 && id != old)
			return id;
	} while (xen_now() < end);
	return -ETIMEDOUT;
}

static int online_cpus(int *cpus)
{
	int cpu, n = 0;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		char path[64];

		snprintf(path, sizeof(path), XEN_CPU_DIR "/cpu%d", cpu);
		if (access(path, F_OK))
			continue;
		/* cpu0 has no online file: it is always online */
		if (xen_cpu_online(cpu) == 0)
			continue;
		cpus[n++] = cpu;
	}
	return n;
}

/* one clock thread per online CPU */
struct clock_set {
	struct clock_thread c[MAX_CPUS];
	int cpus[MAX_CPUS];
	int n;
};

static void stop_threads(struct clock_set *set)
{
	int i;

	atomic_store(&stop, 1);
	for (i = 0; i < set->n; i++) {
		if (set->c[i].thread)
			pthread_join(set->c[i].thread, NULL);
		set->c[i].thread = 0;
	}
}

static void start_threads(struct __test_metadata *_metadata,
			  struct clock_set *set)
{
	int i;

	atomic_store(&stop, 0);
	atomic_store(&restored, 0);
	atomic_store(&newest_ns, mono_ns());
	for (i = 0; i < set->n; i++) {
		struct clock_thread *c = &set->c[i];

		memset(c, 0, sizeof(*c));
		c->cpu = set->cpus[i];
		ASSERT_EQ(0, pthread_create(&c->thread, NULL, clock_fn, c));
	}
}

FIXTURE(save) {
	struct clock_set set;
};

FIXTURE_SETUP(save)
{
	memset(self, 0, sizeof(*self));
}

FIXTURE_TEARDOWN(save)
{
	stop_threads(&self->set);
}

TEST_F_TIMEOUT(save, restore_keeps_running, 7200)
{
	long rounds = xen_env_long("XEN_SELFTEST_SAVE_ROUNDS");
	struct clock_set *set = &self->set;
	int cpus[MAX_CPUS];
	long k;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (xen_env_long("XEN_SELFTEST_SAVE") != 1)
		SKIP(return, "no XEN_SELFTEST_SAVE: nobody runs xl save/restore");
	if (rounds < 0)
		rounds = ROUNDS;
	set->n = online_cpus(set->cpus);
	ASSERT_LT(0, set->n);

	for (k = 1; k <= rounds; k++) {
		long long step = 0, away = 0;
		int old = xs_own_domid(), new, i;

		ASSERT_LE(0, old) TH_LOG("no domid in xenstore: %s",
					 strerror(-old));
		start_threads(_metadata, set);
		/* let every thread take its first readings */
		usleep(AFTER_MS * 1000);
		ksft_print_msg("XEN-SELFTEST-SAVE-REQUEST seq=%ld\n", k);
		fflush(stdout);
		new = wait_new_domid(old);
		atomic_store(&restored, 1);
		usleep(AFTER_MS * 1000);
		stop_threads(set);
		ASSERT_LE(0, new) TH_LOG("round %ld: still domain %d after %d s",
					 k, old, WAIT_S);

		for (i = 0; i < set->n; i++) {
			struct clock_thread *c = &set->c[i];

			EXPECT_EQ(0, c->bound) TH_LOG("cannot bind to CPU %d",
						      c->cpu);
			EXPECT_EQ(0, c->back_ns)
				TH_LOG("round %ld: CPU %d saw CLOCK_MONOTONIC go back by %lld ns",
				       k, c->cpu, c->back_ns);
			EXPECT_EQ(0, c->boot_back_ns)
				TH_LOG("round %ld: CPU %d saw CLOCK_BOOTTIME go back by %lld ns",
				       k, c->cpu, c->boot_back_ns);
			EXPECT_LT(0, c->after)
				TH_LOG("round %ld: CPU %d never ran after the restore",
				       k, c->cpu);
			if (c->max_step_ns > step)
				step = c->max_step_ns;
			if (c->boot_step_ns > away)
				away = c->boot_step_ns;
		}
		ASSERT_EQ(set->n, online_cpus(cpus))
			TH_LOG("round %ld: CPUs online before and after", k);
		ksft_print_msg("XEN-SELFTEST-SAVE seq=%ld downtime_ms=%lld away_ms=%lld",
			       k, step / 1000000, away / 1000000);
		printf(" domid=%d->%d cpus=%d\n", old, new, set->n);
		if (_metadata->exit_code)
			return;
	}
}

TEST_HARNESS_MAIN
