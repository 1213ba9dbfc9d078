// SPDX-License-Identifier: GPL-2.0
/*
 * xenstore through /dev/xen/xenbus (or xenfs' /proc/xen/xenbus), speaking
 * the wire protocol of xs_wire.h: our own domid and name, a write and read
 * under our data/ directory, and a watch that fires.
 */
#include "../kselftest_harness.h"
#include "xen_util.h"

#define NODE		"data/kselftest"
#define WNODE		"data/kselftest-watch"
#define TOKEN		"kselftest-token"

FIXTURE(xs) {
	struct xs_conn xs;
};

FIXTURE_SETUP(xs)
{
	int r;

	self->xs.fd = -1;
	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	r = xs_open(&self->xs);
	if (r)
		SKIP(return, "no %s nor %s: %s", XENBUS_DEV, XENBUS_PROC,
		     strerror(-r));
}

FIXTURE_TEARDOWN(xs)
{
	xs_close(&self->xs);
}

TEST_F(xs, own_domid_and_name)
{
	char val[256], path[64], name2[256];
	int domid;

	ASSERT_EQ(0, xs_read(&self->xs, "domid", val, sizeof(val)));
	domid = atoi(val);
	ASSERT_LT(0, domid) TH_LOG("domid '%s': a domU is never domain 0", val);
	ASSERT_EQ(0, xs_read(&self->xs, "name", val, sizeof(val)));
	ASSERT_NE(0, strlen(val));
	if (getenv("XEN_SELFTEST_NAME"))
		EXPECT_STREQ(getenv("XEN_SELFTEST_NAME"), val);

	/* the daemon agrees on where our relative paths live */
	snprintf(path, sizeof(path), "%d", domid);
	ASSERT_LT(0, xs_request(&self->xs, XS_GET_DOMAIN_PATH, path,
				strlen(path) + 1, name2, sizeof(name2), NULL));
	snprintf(path, sizeof(path), "/local/domain/%d", domid);
	ASSERT_STREQ(path, name2);
	snprintf(path, sizeof(path), "/local/domain/%d/name", domid);
	ASSERT_EQ(0, xs_read(&self->xs, path, name2, sizeof(name2)));
	ASSERT_STREQ(val, name2);
	ksft_print_msg("domid %d name %s\n", domid, val);
}

TEST_F(xs, write_read_remove)
{
	char want[64], val[256];
	char reply[64];

	snprintf(want, sizeof(want), "kselftest-%d", getpid());
	ASSERT_EQ(0, xs_write(&self->xs, NODE, want));
	ASSERT_EQ(0, xs_read(&self->xs, NODE, val, sizeof(val)));
	ASSERT_STREQ(want, val);
	ASSERT_EQ(0, xs_write(&self->xs, NODE, "second"));
	ASSERT_EQ(0, xs_read(&self->xs, NODE, val, sizeof(val)));
	ASSERT_STREQ("second", val);
	ASSERT_LE(0, xs_request(&self->xs, XS_RM, NODE, sizeof(NODE), reply,
				sizeof(reply), NULL));
	ASSERT_EQ(-ENOENT, xs_read(&self->xs, NODE, val, sizeof(val)));
	/* outside our own directory we may not write */
	ASSERT_EQ(-EACCES, xs_write(&self->xs, "/local/domain/0/kselftest",
				    "x"));
}

/* Wait until *@events reaches @want, reading watch events (up to 5 s). */
static int wait_events(struct xs_conn *xs, int *events, int want)
{
	struct xsd_sockmsg hdr;
	char buf[512];
	size_t pl;
	int r;

	while (*events < want) {
		r = xs_recv(xs, &hdr, buf, sizeof(buf), 5000);
		if (r)
			return r;
		if (hdr.type != XS_WATCH_EVENT)
			return -EPROTO;
		/* payload: path NUL token NUL */
		pl = strlen(buf);
		if (pl + 1 >= hdr.len || strcmp(buf + pl + 1, TOKEN))
			return -EPROTO;
		if (pl < strlen(WNODE) ||
		    strcmp(buf + pl - strlen(WNODE), WNODE))
			return -EPROTO;
		(*events)++;
	}
	return 0;
}

TEST_F(xs, watch_fires)
{
	char req[128], reply[64], val[128];
	struct pollfd p;
	int events = 0;
	size_t wlen, len;

	ASSERT_EQ(0, xs_write(&self->xs, WNODE, "0"));
	/* XS_WATCH and XS_UNWATCH: path NUL token NUL */
	wlen = snprintf(req, sizeof(req), "%s%c%s", WNODE, 0, TOKEN) + 1;
	ASSERT_LE(0, xs_request(&self->xs, XS_WATCH, req, wlen, reply,
				sizeof(reply), &events));
	/* a new watch fires once at once */
	ASSERT_EQ(0, wait_events(&self->xs, &events, 1));
	/* the event may come before the write's reply: count it there too */
	len = snprintf(val, sizeof(val), "%s%c1", WNODE, 0);
	ASSERT_LE(0, xs_request(&self->xs, XS_WRITE, val, len, reply,
				sizeof(reply), &events));
	ASSERT_EQ(0, wait_events(&self->xs, &events, 2))
		TH_LOG("no watch event after a write");
	ASSERT_LE(0, xs_request(&self->xs, XS_UNWATCH, req, wlen, reply,
				sizeof(reply), &events));
	events = 0;
	ASSERT_EQ(0, xs_write(&self->xs, WNODE, "2"));
	p.fd = self->xs.fd;
	p.events = POLLIN;
	EXPECT_EQ(0, poll(&p, 1, 500)) TH_LOG("event after unwatch");
	EXPECT_EQ(0, events);
	ASSERT_LE(0, xs_request(&self->xs, XS_RM, WNODE, sizeof(WNODE), reply,
				sizeof(reply), NULL));
}

TEST_HARNESS_MAIN
