// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels through /dev/xen/evtchn: a loopback pair (an unbound port
 * and an interdomain port bound to it, both ours), notified both ways, many
 * pairs at once, from every online CPU, and unbound again.
 */
#include <sched.h>
#include <sys/ioctl.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#include <xen/evtchn.h>

#define EVTCHN_DEV	"/dev/xen/evtchn"
#define DOMID_SELF	0x7ff0U
#define NPAIRS		64
#define WAIT_MS		5000

static unsigned int own_domid(void)
{
	int d = xs_own_domid();

	return d < 0 ? DOMID_SELF : (unsigned int)d;
}

static int open_evtchn(void)
{
	return open(EVTCHN_DEV, O_RDWR);
}

static int wait_ports(int fd, const unsigned int *want, int n);

/* A loopback pair: *@a unbound for our own domain, *@b bound to it. */
static int bind_pair(int fd, unsigned int domid, unsigned int *a,
		     unsigned int *b)
{
	struct ioctl_evtchn_bind_unbound_port u = { .remote_domain = domid };
	struct ioctl_evtchn_bind_interdomain i = { .remote_domain = domid };
	int r;

	r = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &u);
	if (r < 0)
		return -errno;
	*a = r;
	i.remote_port = *a;
	r = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &i);
	if (r < 0)
		return -errno;
	*b = r;
	/*
	 * Xen sets the new interdomain port pending, in case the other end
	 * signalled before the bind: take that event, so that from here on
	 * every event is one we sent.
	 */
	return wait_ports(fd, b, 1);
}

static int notify(int fd, unsigned int port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	return ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) ? -errno : 0;
}

static int unbind(int fd, unsigned int port)
{
	struct ioctl_evtchn_unbind u = { .port = port };

	return ioctl(fd, IOCTL_EVTCHN_UNBIND, &u) ? -errno : 0;
}

/*
 * Read pending ports until every port of @want (@n of them) has fired once;
 * each is unmasked again.  Returns 0, -ETIMEDOUT, -EPROTO for a port that
 * fired twice or was not expected, or another -errno.
 */
static int wait_ports(int fd, const unsigned int *want, int n)
{
	unsigned int got[NPAIRS * 2], seen[NPAIRS * 2] = { 0 };
	double end = xen_now() + WAIT_MS / 1000.0;
	int left = n, i, j;

	while (left > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int ms = (end - xen_now()) * 1000;
		ssize_t len;

		if (ms <= 0 || poll(&pfd, 1, ms) == 0)
			return -ETIMEDOUT;
		len = read(fd, got, sizeof(got));
		if (len < 0)
			return -errno;
		for (i = 0; i < len / (ssize_t)sizeof(got[0]); i++) {
			for (j = 0; j < n && want[j] != got[i]; j++)
				;
			if (j == n || seen[j]++)
				return -EPROTO;
			left--;
		}
		if (write(fd, got, len) != len)	/* unmask */
			return -errno;
	}
	return 0;
}

FIXTURE(evtchn) {
	int fd;
	unsigned int domid;
};

FIXTURE_SETUP(evtchn)
{
	self->fd = -1;
	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	self->fd = open_evtchn();
	if (self->fd < 0)
		SKIP(return, "no %s: %s (CONFIG_XEN_DEV_EVTCHN)", EVTCHN_DEV,
		     strerror(errno));
	self->domid = own_domid();
}

FIXTURE_TEARDOWN(evtchn)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(evtchn, bind_notify_unbind)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	unsigned int a, b;

	ASSERT_EQ(0, bind_pair(self->fd, self->domid, &a, &b));
	ASSERT_NE(a, b);
	ASSERT_EQ(0, poll(&p, 1, 100)) TH_LOG("an event before any notify");
	ASSERT_EQ(0, notify(self->fd, b));
	ASSERT_EQ(0, wait_ports(self->fd, &a, 1));
	ASSERT_EQ(0, notify(self->fd, a));
	ASSERT_EQ(0, wait_ports(self->fd, &b, 1));
	/* again: the port was unmasked, so it fires a second time */
	ASSERT_EQ(0, notify(self->fd, b));
	ASSERT_EQ(0, wait_ports(self->fd, &a, 1));
	ASSERT_EQ(0, unbind(self->fd, b));
	ASSERT_EQ(0, unbind(self->fd, a));
	/* an unbound port is no longer ours to notify or unbind */
	EXPECT_EQ(-ENOTCONN, notify(self->fd, b));
	EXPECT_EQ(-ENOTCONN, unbind(self->fd, a));
}

TEST_F(evtchn, many_ports)
{
	unsigned int a[NPAIRS], b[NPAIRS];
	int i, r, round;

	for (i = 0; i < NPAIRS; i++) {
		ASSERT_EQ(0, bind_pair(self->fd, self->domid, &a[i], &b[i]))
			TH_LOG("pair %d", i);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0, r = 0; i < NPAIRS && !r; i++)
			r = notify(self->fd, b[i]);
		ASSERT_EQ(0, r);
		ASSERT_EQ(0, wait_ports(self->fd, a, NPAIRS))
			TH_LOG("round %d", round);
		for (i = 0, r = 0; i < NPAIRS && !r; i++)
			r = notify(self->fd, a[i]);
		ASSERT_EQ(0, r);
		ASSERT_EQ(0, wait_ports(self->fd, b, NPAIRS))
			TH_LOG("round %d", round);
	}
	for (i = 0; i < NPAIRS; i++) {
		ASSERT_EQ(0, unbind(self->fd, a[i]));
		ASSERT_EQ(0, unbind(self->fd, b[i]));
	}
}

TEST_F(evtchn, each_online_cpu)
{
	cpu_set_t all, one;
	unsigned int a, b;
	int cpu, n = 0;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &all))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
		ASSERT_EQ(cpu, xen_getcpu());
		ASSERT_EQ(0, bind_pair(self->fd, self->domid, &a, &b));
		ASSERT_EQ(0, notify(self->fd, b));
		ASSERT_EQ(0, wait_ports(self->fd, &a, 1)) TH_LOG("cpu %d", cpu);
		ASSERT_EQ(0, notify(self->fd, a));
		ASSERT_EQ(0, wait_ports(self->fd, &b, 1)) TH_LOG("cpu %d", cpu);
		ASSERT_EQ(0, unbind(self->fd, a));
		ASSERT_EQ(0, unbind(self->fd, b));
		n++;
	}
	sched_setaffinity(0, sizeof(all), &all);
	ksft_print_msg("event channel pairs on %d online CPUs\n", n);
	ASSERT_LT(0, n);
}

/*
 * Closing the device closes its ports in Xen too: Xen hands out the lowest
 * free port, so binding as many again gets the very same ports back.
 */
TEST_F(evtchn, close_frees_ports)
{
	unsigned int a[8], b[8], a2[8], b2[8];
	int fd2, i, r;

	fd2 = open_evtchn();
	ASSERT_LE(0, fd2);
	for (i = 0, r = 0; i < 8 && !r; i++)
		r = bind_pair(fd2, self->domid, &a[i], &b[i]);
	ASSERT_EQ(0, r);
	ASSERT_EQ(0, close(fd2));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, bind_pair(self->fd, self->domid, &a2[i], &b2[i]));
		EXPECT_EQ(a[i], a2[i]);
		EXPECT_EQ(b[i], b2[i]);
	}
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, unbind(self->fd, a2[i]));
		ASSERT_EQ(0, unbind(self->fd, b2[i]));
	}
}

TEST_HARNESS_MAIN
