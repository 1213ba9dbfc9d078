// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen balloon: its target is visible in sysfs and follows the
 * toolstack.  The host side of the second test is a person or a lab
 * watching the console: the test prints
 *
 *	# XEN-SELFTEST-BALLOON-REQUEST target_kb=N
 *
 * and waits (bounded) for `xl mem-set DOMAIN Nk`.  It only asks when
 * XEN_SELFTEST_BALLOON=1 says someone will answer; otherwise it skips.
 */
#include "../kselftest_harness.h"
#include "xen_util.h"

#define BALLOON_DIR	"/sys/devices/system/xen_memory/xen_memory0"
#define SHRINK_KB	32768
#define WAIT_S		60

static long read_kb(const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), BALLOON_DIR "/%s", name);
	if (xen_read_line(path, buf, sizeof(buf)))
		return -1;
	return atol(buf);
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
	long old = read_kb("target_kb"), now = old, req;
	struct xs_conn xs;
	char val[32];
	double end;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (old < 0)
		SKIP(return, "no %s/target_kb (CONFIG_XEN_BALLOON)",
		     BALLOON_DIR);
	if (xen_env_long("XEN_SELFTEST_BALLOON") != 1)
		SKIP(return, "no XEN_SELFTEST_BALLOON: nobody runs xl mem-set");
	ASSERT_EQ(0, xs_open(&xs));
	ASSERT_EQ(0, xs_read(&xs, "memory/target", val, sizeof(val)));
	xs_close(&xs);
	req = atol(val) - SHRINK_KB;
	ASSERT_LT(SHRINK_KB, req);

	ksft_print_msg("XEN-SELFTEST-BALLOON-REQUEST target_kb=%ld\n", req);
	fflush(stdout);
	end = xen_now() + WAIT_S;
	while (now == old && xen_now() < end) {
		usleep(200 * 1000);
		now = read_kb("target_kb");
	}
	ASSERT_NE(old, now) TH_LOG("target_kb still %ld after %d s", old,
				   WAIT_S);
	/* the guest's target moves by what the host took away */
	ASSERT_EQ(old - SHRINK_KB, now);
	ASSERT_EQ(0, xs_open(&xs));
	ASSERT_EQ(0, xs_read(&xs, "memory/target", val, sizeof(val)));
	xs_close(&xs);
	ASSERT_EQ(req, atol(val));
	ksft_print_msg("target_kb %ld -> %ld\n", old, now);
}

TEST_HARNESS_MAIN
