// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen balloon: its target is visible in sysfs and follows the
 * toolstack, and the memory the guest gives back reaches Xen.  The host
 * side is a person or a lab watching the console: the test prints
 *
 *	# XEN-SELFTEST-BALLOON-REQUEST target_kb=N
 *
 * and waits (bounded) for `xl mem-set DOMAIN Nk`, and for the host to write
 * "K KB" to the guest's xenstore key data/xen-selftest-balloon once Xen's
 * count of the domain's memory holds still: K counts the requests the host
 * answered, KB is that count.  It only asks when XEN_SELFTEST_BALLOON=1 says
 * someone will answer; otherwise it skips.
 */
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#define BALLOON_DIR	"/sys/devices/system/xen_memory/xen_memory0"
#define ANSWER_KEY	"data/xen-selftest-balloon"
#define SHRINK_KB	32768
#define POD_SHRINK_KB	65536	/* what down_and_up gives back */
#define FLOOR_KB	16384	/* below what any guest can give */
#define BUF_KB		32768	/* the data that must survive it */
#define WAIT_S		60	/* for the host and the balloon to follow */

static long read_kb(const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), BALLOON_DIR "/%s", name);
	if (xen_read_line(path, buf, sizeof(buf)))
		return -1;
	return atol(buf);
}

static long meminfo_kb(const char *key)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':') {
			kb = atol(line + strlen(key) + 1);
			break;
		}
	fclose(f);
	return kb;
}

static long xs_read_long(const char *path)
{
	struct xs_conn xs;
	char val[64];
	int r;

	r = xs_open(&xs);
	if (r)
		return r;
	r = xs_read(&xs, path, val, sizeof(val));
	xs_close(&xs);
	return r ? r : atol(val);
}

/* The host's answer: requests answered in *@n, Xen's count in kB returned. */
static long read_answer(long *n)
{
	struct xs_conn xs;
	char val[64];
	long kb = -1;

	*n = -1;
	if (xs_open(&xs))
		return -1;
	if (!xs_read(&xs, ANSWER_KEY, val, sizeof(val)) &&
	    sscanf(val, "%ld %ld", n, &kb) != 2)
		*n = -1;
	xs_close(&xs);
	return kb;
}

/*
 * Ask the host for xenstore memory/target @target_kb; wait until it says
 * Xen's count holds still.  That count in kB, or -ETIMEDOUT.
 */
static long ask_host(long target_kb)
{
	double end = xen_now() + WAIT_S;
	long before, n, kb;

	read_answer(&before);
	if (before < 0) {
		struct xs_conn xs;

		/* ours, so that the host's later writes are ours to read */
		before = 0;
		if (!xs_open(&xs)) {
			xs_write(&xs, ANSWER_KEY, "0 0");
			xs_close(&xs);
		}
	}
	ksft_print_msg("XEN-SELFTEST-BALLOON-REQUEST target_kb=%ld\n", target_kb);
	fflush(stdout);
	do {
		usleep(500 * 1000);
		kb = read_answer(&n);
		if (n > before)
			return kb;
	} while (xen_now() < end);
	return -ETIMEDOUT;
}

/* Wait until the balloon's current_kb is @want; its last value. */
static long wait_current(long want)
{
	double end = xen_now() + WAIT_S;
	long cur;

	while ((cur = read_kb("info/current_kb")) != want && xen_now() < end)
		usleep(200 * 1000);
	return cur;
}

/* Wait until current_kb has not moved for 5 s; its last value. */
static long wait_still(void)
{
	double end = xen_now() + WAIT_S, moved = xen_now();
	long cur = read_kb("info/current_kb"), now;

	while (xen_now() < end && xen_now() - moved < 5) {
		usleep(200 * 1000);
		now = read_kb("info/current_kb");
		if (now != cur) {
			cur = now;
			moved = xen_now();
		}
	}
	return cur;
}

static uint64_t fill(uint64_t *p, size_t n)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = x;
		sum = sum * 31 + x;
	}
	return sum;
}

static uint64_t checksum(const uint64_t *p, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum = sum * 31 + p[i];
	return sum;
}

TEST(target_readable)
{
	long target = read_kb("target_kb"), cur = read_kb("info/current_kb");

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (target < 0)
		SKIP(return, "no %s/target_kb (CONFIG_XEN_BALLOON)",
		     BALLOON_DIR);
	ASSERT_LT(0, target);
	ASSERT_LT(0, cur);
	ksft_print_msg("target_kb %ld current_kb %ld\n", target, cur);
}

TEST(follows_host)
{
	long old = read_kb("target_kb"), now, req, xs;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (old < 0)
		SKIP(return, "no %s/target_kb (CONFIG_XEN_BALLOON)",
		     BALLOON_DIR);
	if (xen_env_long("XEN_SELFTEST_BALLOON") != 1)
		SKIP(return, "no XEN_SELFTEST_BALLOON: nobody runs xl mem-set");
	xs = xs_read_long("memory/target");
	ASSERT_LT(0, xs);
	req = xs - SHRINK_KB;
	ASSERT_LT(SHRINK_KB, req);

	ASSERT_LE(0, ask_host(req)) TH_LOG("no answer from the host in %d s",
					   WAIT_S);
	now = read_kb("target_kb");
	/* the guest's target moves by what the host took away */
	ASSERT_EQ(old - SHRINK_KB, now);
	ASSERT_EQ(req, xs_read_long("memory/target"));
	ksft_print_msg("target_kb %ld -> %ld\n", old, now);
}

/*
 * Down and up, with a populate-on-demand guest (maxmem above memory): the
 * balloon gives POD_SHRINK_KB back, MemTotal and Xen's count fall by that
 * much, then it takes it again.  In between, a target below what the
 * guest can give: the balloon stops short of it, and the guest goes on.
 * A buffer filled before keeps its data through all of it.
 */
FIXTURE(pod) {
};

FIXTURE_SETUP(pod)
{
}

FIXTURE_TEARDOWN(pod)
{
}

/* four requests of up to WAIT_S each, and the balloon's moves */
TEST_F_TIMEOUT(pod, down_and_up, 8 * WAIT_S)
{
	long xs0, t0, cur, mem0, mem, xen0, xen, floor_xs, booted;
	size_t n = BUF_KB * 1024 / sizeof(uint64_t);
	uint64_t *buf, sum;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	t0 = read_kb("target_kb");
	if (t0 < 0)
		SKIP(return, "no %s/target_kb (CONFIG_XEN_BALLOON)",
		     BALLOON_DIR);
	if (xen_env_long("XEN_SELFTEST_BALLOON") != 1)
		SKIP(return, "no XEN_SELFTEST_BALLOON: nobody runs xl mem-set");
	xs0 = xs_read_long("memory/target");
	ASSERT_LT(0, xs0);
	/* memory= as booted (follows_host may have lowered the target) */
	booted = xen_env_long("XEN_SELFTEST_MEM_MB") * 1024;
	if (xs_read_long("memory/static-max") <= (booted > 0 ? booted : xs0))
		SKIP(return, "maxmem is memory: not a populate-on-demand guest");
	/* the balloon settles to its boot target first */
	ASSERT_EQ(t0, wait_current(t0));
	buf = mmap(NULL, n * sizeof(*buf), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	sum = fill(buf, n);
	mem0 = meminfo_kb("MemTotal");
	/* where Xen's count starts: an answer to the target we have */
	xen0 = ask_host(xs0);
	ASSERT_LT(0, xen0) TH_LOG("no answer from the host in %d s", WAIT_S);

	xen = ask_host(xs0 - POD_SHRINK_KB);
	ASSERT_LT(0, xen) TH_LOG("no answer from the host in %d s", WAIT_S);
	cur = wait_current(t0 - POD_SHRINK_KB);
	EXPECT_EQ(t0 - POD_SHRINK_KB, cur);
	mem = meminfo_kb("MemTotal");
	EXPECT_EQ(mem0 - POD_SHRINK_KB, mem);
	/* xl list counts whole MiB */
	EXPECT_GE(xen0 - POD_SHRINK_KB + 1024, xen)
		TH_LOG("Xen's count %ld -> %ld kB: the pages did not go back",
		       xen0, xen);
	ksft_print_msg("down: current_kb %ld -> %ld, MemTotal %ld -> %ld, Xen %ld -> %ld kB\n",
		       t0, cur, mem0, mem, xen0, xen);

	floor_xs = xs0 - (t0 - FLOOR_KB);
	xen = ask_host(floor_xs);
	ASSERT_LT(0, xen) TH_LOG("no answer from the host in %d s", WAIT_S);
	cur = wait_still();
	EXPECT_LT(FLOOR_KB, cur);
	/* below what the guest can give: it keeps what it needs */
	ksft_print_msg("target %d kB: the balloon stops at %ld kB, Xen at %ld kB\n",
		       FLOOR_KB, cur, xen);
	EXPECT_EQ(sum, checksum(buf, n)) TH_LOG("the buffer changed");

	xen = ask_host(xs0);
	ASSERT_LT(0, xen) TH_LOG("no answer from the host in %d s", WAIT_S);
	cur = wait_current(t0);
	EXPECT_EQ(t0, cur);
	mem = meminfo_kb("MemTotal");
	EXPECT_EQ(mem0, mem);
	ksft_print_msg("up: current_kb %ld, MemTotal %ld, Xen %ld kB\n",
		       cur, mem, xen);
	EXPECT_EQ(sum, checksum(buf, n)) TH_LOG("the buffer changed");
	munmap(buf, n * sizeof(*buf));
}

TEST_HARNESS_MAIN
