// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU hotplug under load.  While one thread counts in a busy loop and
 * another sleeps 1 ms at a time on CLOCK_MONOTONIC, the guest's vCPUs go
 * away and come back, XEN_SELFTEST_HOTPLUG_ROUNDS rounds (default 5):
 *
 *  - when XEN_SELFTEST_VCPU_HOST=1 says that someone answers, the test asks
 *    the host on stdout for `xl vcpu-set DOMAIN 1`,
 *
 *	# XEN-SELFTEST-VCPU-REQUEST seq=K vcpus=1
 *
 *    waits (at most 60 s, asking again every 20 s under a new seq) until
 *    one CPU is online, asks for the XEN_SELFTEST_NR_CPUS vCPUs it started
 *    with (or XEN_SELFTEST_HOTPLUG_CPUS, up to maxvcpus: vCPUs the guest
 *    did not boot with are hot-added), and waits until they are all online:
 *    the kernel adds each CPU Xen gives, and user space onlines it (a udev
 *    rule, SUBSYSTEM=="cpu", ACTION=="add");
 *  - then every CPU that can go offline goes offline and online again
 *    through /sys/devices/system/cpu/cpuN/online.
 *
 * Nothing may hang (every wait is bounded, and a write to cpuN/online that
 * takes a minute is reported while it lasts), no CPU may be lost (all of
 * them online after each round), CLOCK_MONOTONIC may never go backwards,
 * the counter must advance in every round, and the kernel may log nothing
 * at warning level or above while the test runs (/dev/kmsg).  Without
 * XEN_SELFTEST_VCPU_HOST the rounds are the in-guest ones alone.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#define ROUNDS		5	/* without XEN_SELFTEST_HOTPLUG_ROUNDS */
#define WAIT_S		60	/* for the host and the CPUs to follow a request */
#define ASK_S		20	/* before asking the host again */
#define STEP_S		60	/* a write to cpuN/online that takes longer hangs */
#define MAX_LOGGED	10	/* kernel log lines quoted */

static int online_count(void)
{
	return xen_cpu_count(XEN_CPU_DIR "/online");
}

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ns_of(&ts);
}

/*
 * The load, and a watchdog: the main thread names what it waits for in
 * step (with its start in step_ns); the timer thread says so once when
 * that lasts STEP_S, so that a hang shows where it is while it lasts.
 */
struct load {
	pthread_t counter, timer;
	int started;
	atomic_int stop;
	atomic_ulong count;		/* the counter thread's increments */
	atomic_ulong ticks;		/* the timer thread's sleeps */
	/* the timer thread's own, read once it is joined */
	unsigned long backwards;	/* CLOCK_MONOTONIC less than before */
	long long worst_back_ns, max_step_ns;
	char step[96];
	atomic_llong step_ns;		/* 0: not waiting */
	atomic_int step_seq;
};

static void *counter_fn(void *arg)
{
	struct load *l = arg;

	while (!atomic_load_explicit(&l->stop, memory_order_relaxed))
		atomic_fetch_add_explicit(&l->count, 1, memory_order_relaxed);
	return NULL;
}

static void *timer_fn(void *arg)
{
	const struct timespec ms = { .tv_nsec = 1000000 };
	struct load *l = arg;
	long long prev = mono_ns(), now, d, since;
	int reported = -1, seq;

	while (!atomic_load(&l->stop)) {
		clock_nanosleep(CLOCK_MONOTONIC, 0, &ms, NULL);
		now = mono_ns();
		d = now - prev;
		if (d < 0) {
			l->backwards++;
			if (-d > l->worst_back_ns)
				l->worst_back_ns = -d;
		} else if (d > l->max_step_ns) {
			l->max_step_ns = d;
		}
		prev = now;
		atomic_fetch_add(&l->ticks, 1);

		seq = atomic_load(&l->step_seq);
		since = atomic_load(&l->step_ns);
		if (since && seq != reported &&
		    now - since > STEP_S * 1000000000LL) {
			reported = seq;
			ksft_print_msg("still %s after %d s\n", l->step, STEP_S);
			fflush(stdout);
		}
	}
	return NULL;
}

static void step_begin(struct load *l, const char *fmt, ...)
{
	va_list ap;

	atomic_store(&l->step_ns, 0);
	va_start(ap, fmt);
	vsnprintf(l->step, sizeof(l->step), fmt, ap);
	va_end(ap);
	atomic_fetch_add(&l->step_seq, 1);
	atomic_store(&l->step_ns, mono_ns());
}

static void step_end(struct load *l)
{
	atomic_store(&l->step_ns, 0);
}

static void load_stop(struct load *l)
{
	if (!l->started)
		return;
	atomic_store(&l->stop, 1);
	pthread_join(l->counter, NULL);
	pthread_join(l->timer, NULL);
	l->started = 0;
}

FIXTURE(hotplug) {
	struct load l;
	int host;	/* someone answers our requests */
	int seq;	/* the last request's */
};

FIXTURE_SETUP(hotplug)
{
}

/*
 * Nothing: the test cleans up after itself.  With the harness of Linux
 * 6.12 the teardown did not run after a failed ASSERT here (the forked
 * test process takes itself for its parent after the longjmp, and aborts);
 * so once the threads run, the test checks with EXPECT and leaves through
 * its own clean-up.
 */
FIXTURE_TEARDOWN(hotplug)
{
}

/*
 * Ask the host for @want vCPUs and wait until that many CPUs are online;
 * the number online in the end.  A request the host does not seem to have
 * seen in ASK_S is made again under a new seq: the console it goes through
 * is shared with the kernel's, whose messages may cut into its line.
 */
static int host_vcpus(int *seq, int want, double *took)
{
	double t0 = xen_now(), end = t0 + WAIT_S, ask = 0;
	int online;

	while ((online = online_count()) != want && xen_now() < end) {
		if (xen_now() >= ask) {
			if (ask)
				ksft_print_msg("seq=%d: %d CPUs online after %d s: asking again\n",
					       *seq, online, ASK_S);
			ksft_print_msg("XEN-SELFTEST-VCPU-REQUEST seq=%d vcpus=%d\n",
				       ++*seq, want);
			fflush(stdout);
			ask = xen_now() + ASK_S;
		}
		usleep(100 * 1000);
	}
	*took = xen_now() - t0;
	return online;
}

static const char offline_hint[] =
	"; a CPU given back stays offline until user space onlines it";

/* Write @on to cpu@cpu/online; 0 or -errno, and how long it took. */
static int set_online(struct load *l, int cpu, int on, double *took)
{
	char path[64];
	double t0 = xen_now();
	int r;

	snprintf(path, sizeof(path), XEN_CPU_DIR "/cpu%d/online", cpu);
	step_begin(l, "writing %d to cpu%d/online", on, cpu);
	r = xen_write_str(path, on ? "1" : "0");
	step_end(l);
	*took = xen_now() - t0;
	return r;
}

/* "online 0-3, present 0-7": for the messages */
static const char *cpu_lists(char *buf, size_t len)
{
	char on[64] = "?", pr[64] = "?";

	xen_read_line(XEN_CPU_DIR "/online", on, sizeof(on));
	xen_read_line(XEN_CPU_DIR "/present", pr, sizeof(pr));
	snprintf(buf, len, "online %s, present %s", on, pr);
	return buf;
}

/*
 * The kernel's log lines at warning level or above (facility 0, level
 * <= 4) since the test started, the first MAX_LOGGED quoted; -1 if records
 * were lost (the log wrapped) or it cannot be read.
 */
static int kmsg_bad(struct __test_metadata *_metadata, int fd)
{
	char rec[2048], *msg, *end;
	int bad = 0, lost = 0;
	unsigned long prio;
	ssize_t len;

	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE) {
			lost = 1;
			continue;
		}
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno != EAGAIN) {
			TH_LOG("reading /dev/kmsg: %s", strerror(errno));
			return -1;
		}
		if (len <= 0)
			break;
		rec[len] = '\0';
		prio = strtoul(rec, &end, 10);
		msg = strchr(rec, ';');
		if (end == rec || !msg || prio >> 3 || (prio & 7) > 4)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = '\0';
		if (bad++ < MAX_LOGGED)
			TH_LOG("kernel log, level %lu: %s", prio & 7, msg);
	}
	if (bad > MAX_LOGGED)
		TH_LOG("and %d more such kernel log lines", bad - MAX_LOGGED);
	if (lost) {
		TH_LOG("the kernel log wrapped while the test ran: lines were lost");
		return -1;
	}
	return bad;
}

TEST_F_TIMEOUT(hotplug, under_load, 7200)
{
	long n = xen_env_long("XEN_SELFTEST_NR_CPUS");
	long up = xen_env_long("XEN_SELFTEST_HOTPLUG_CPUS");
	long rounds = xen_env_long("XEN_SELFTEST_HOTPLUG_ROUNDS");
	int possible = xen_cpu_count(XEN_CPU_DIR "/possible");
	struct load *l = &self->l;
	int r, cpu, online, cycled, kmsg, bad;
	double t_down, t_up, t_cpu, t_max, took, t_round;
	unsigned long c0, k0;
	char lists[160], hostmsg[96];

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (n < 0)
		SKIP(return, "no XEN_SELFTEST_NR_CPUS: how many vCPUs to come back to");
	if (n < 2)
		SKIP(return, "%ld vCPU: none to take away", n);
	if (rounds < 0)
		rounds = ROUNDS;
	if (!rounds)
		SKIP(return, "XEN_SELFTEST_HOTPLUG_ROUNDS=0");
	self->host = xen_env_long("XEN_SELFTEST_VCPU_HOST") == 1;
	ASSERT_EQ(n, online_count())
		TH_LOG("before the test: %s", cpu_lists(lists, sizeof(lists)));
	/* the host brings the guest back to @up vCPUs; the guest alone, to @n */
	if (up < 0 || !self->host)
		up = n;
	ASSERT_LE(up, possible)
		TH_LOG("XEN_SELFTEST_HOTPLUG_CPUS=%ld, but %d CPUs possible", up, possible);

	/* only what the kernel logs from now on */
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg) TH_LOG("cannot read /dev/kmsg: %s", strerror(errno));
	ASSERT_LE(0, lseek(kmsg, 0, SEEK_END));

	if (!self->host)
		ksft_print_msg("%s\n",
			       "no XEN_SELFTEST_VCPU_HOST: nobody runs xl vcpu-set, the CPUs go offline and online from inside only");
	ASSERT_EQ(0, pthread_create(&l->counter, NULL, counter_fn, l));
	ASSERT_EQ(0, pthread_create(&l->timer, NULL, timer_fn, l)) {
		atomic_store(&l->stop, 1);
		pthread_join(l->counter, NULL);
	}
	l->started = 1;

	for (r = 1; r <= rounds; r++) {
		t_round = xen_now();
		c0 = atomic_load(&l->count);
		k0 = atomic_load(&l->ticks);
		t_down = 0;
		t_up = 0;
		if (self->host) {
			online = host_vcpus(&self->seq, 1, &t_down);
			EXPECT_EQ(1, online)
				TH_LOG("round %d: %d CPUs online %.1f s after asking for 1 (%s)",
				       r, online, t_down,
				       cpu_lists(lists, sizeof(lists)));
			if (_metadata->exit_code)
				goto out;
			online = host_vcpus(&self->seq, up, &t_up);
			EXPECT_EQ(up, online)
				TH_LOG("round %d: %d CPUs online %.1f s after asking %ld (%s%s)",
				       r, online, t_up, up,
				       cpu_lists(lists, sizeof(lists)), offline_hint);
			if (_metadata->exit_code)
				goto out;
		}

		cycled = 0;
		t_cpu = 0;
		t_max = 0;
		for (cpu = 0; cpu < possible; cpu++) {
			if (xen_cpu_online(cpu) != 1)
				continue;	/* not hotpluggable, or offline */
			EXPECT_EQ(0, set_online(l, cpu, 0, &took))
				TH_LOG("round %d: cpu%d offline", r, cpu);
			if (_metadata->exit_code)
				goto out;
			t_cpu += took;
			t_max = took > t_max ? took : t_max;
			EXPECT_GT(STEP_S, took)
				TH_LOG("round %d: cpu%d offline took %.1f s", r, cpu, took);
			EXPECT_EQ(0, xen_cpu_online(cpu));
			EXPECT_EQ(up - 1, online_count())
				TH_LOG("round %d: cpu%d offline: %s", r, cpu,
				       cpu_lists(lists, sizeof(lists)));
			if (_metadata->exit_code)
				goto out;
			EXPECT_EQ(0, set_online(l, cpu, 1, &took))
				TH_LOG("round %d: cpu%d online", r, cpu);
			if (_metadata->exit_code)
				goto out;
			t_cpu += took;
			t_max = took > t_max ? took : t_max;
			EXPECT_GT(STEP_S, took)
				TH_LOG("round %d: cpu%d online took %.1f s", r, cpu, took);
			EXPECT_EQ(1, xen_cpu_online(cpu));
			if (_metadata->exit_code)
				goto out;
			cycled++;
		}
		EXPECT_LT(0, cycled)
			TH_LOG("round %d: no CPU can go offline (%s)", r,
			       cpu_lists(lists, sizeof(lists)));
		EXPECT_EQ(up, online_count())
			TH_LOG("round %d: CPUs lost: %s", r,
			       cpu_lists(lists, sizeof(lists)));
		EXPECT_LT(c0, atomic_load(&l->count))
			TH_LOG("round %d: the counter did not advance", r);
		EXPECT_LT(k0, atomic_load(&l->ticks))
			TH_LOG("round %d: the 1 ms sleeps did not advance", r);
		if (_metadata->exit_code)
			goto out;
		hostmsg[0] = '\0';
		if (self->host)
			snprintf(hostmsg, sizeof(hostmsg),
				 "host: 1 vCPU in %.1f s, %ld back in %.1f s; ",
				 t_down, up, t_up);
		ksft_print_msg("round %d/%ld: %.1f s; %s%d CPUs off and on: %.1f s (max %.2f)\n",
			       r, rounds, xen_now() - t_round, hostmsg, cycled,
			       t_cpu, t_max);
		fflush(stdout);
	}

out:
	load_stop(l);
	ksft_print_msg("counter %lu, %lu sleeps of 1 ms, largest %s %.1f ms\n",
		       atomic_load(&l->count), atomic_load(&l->ticks),
		       "CLOCK_MONOTONIC step between them", l->max_step_ns / 1e6);
	EXPECT_EQ(0, l->backwards)
		TH_LOG("CLOCK_MONOTONIC went backwards %lu times, by up to %lld ns",
		       l->backwards, l->worst_back_ns);
	bad = kmsg_bad(_metadata, kmsg);
	EXPECT_EQ(0, bad)
		TH_LOG("the kernel logged warnings (or worse) while CPUs came and went");
	close(kmsg);

	/* whatever happened, leave the guest with the vCPUs it should have */
	if (online_count() != up) {
		if (self->host && online_count() < up)
			host_vcpus(&self->seq, up, &took);
		for (cpu = 0; cpu < possible; cpu++)
			if (xen_cpu_online(cpu) == 0)
				set_online(l, cpu, 1, &took);
		ksft_print_msg("after the failure: %s\n", cpu_lists(lists, sizeof(lists)));
	}
	fflush(stdout);
}

TEST_HARNESS_MAIN
