/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the Xen guest selftests: sysfs reads, the guest's
 * expectations from the environment, and a minimal xenstore client that
 * speaks the wire protocol of xs_wire.h over /dev/xen/xenbus.
 *
 * Expectations (all optional; a check without its expectation is skipped):
 *   XEN_SELFTEST_GUEST_TYPE  PV, PVH or HVM: what the toolstack built
 *   XEN_SELFTEST_NR_CPUS     vCPUs the domain was given
 *   XEN_SELFTEST_MAX_CPUS    vCPUs the domain may have (xl maxvcpus)
 *   XEN_SELFTEST_MEM_MB      memory the domain was given, in MiB
 *   XEN_SELFTEST_BALLOON     1 if a host answers the balloon request line
 */
#ifndef XEN_SELFTEST_UTIL_H
#define XEN_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <xen/interface/io/xs_wire.h>

/* the uapi headers of evtchn and gntdev use these Xen types undefined */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define XEN_HYP_DIR	"/sys/hypervisor"
#define XENBUS_DEV	"/dev/xen/xenbus"
#define XENBUS_PROC	"/proc/xen/xenbus"

/* Read the first line of @path into @buf, without its newline. */
static inline int xen_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char *nl;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

static inline int xen_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/* Non-zero if we run as a Xen guest with the hypervisor sysfs present. */
#define XEN_CPU_DIR	"/sys/devices/system/cpu"

/* How many CPUs a list such as "0-3,5" names; -1 if it cannot be read. */
static inline int xen_cpu_count(const char *path)
{
	char buf[256], *p;
	int n = 0;

	if (xen_read_line(path, buf, sizeof(buf)))
		return -1;
	for (p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		char *end;
		long a = strtol(p, &end, 10);

		if (end == p)
			continue;
		n += *end == '-' ? strtol(end + 1, NULL, 10) - a + 1 : 1;
	}
	return n;
}

/* cpuN/online: 1 or 0; -1 if it cannot be read (not hotpluggable). */
static inline int xen_cpu_online(int cpu)
{
	char path[64], buf[8];

	snprintf(path, sizeof(path), XEN_CPU_DIR "/cpu%d/online", cpu);
	if (xen_read_line(path, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

static inline int xen_on_xen(void)
{
	char buf[32];

	return !xen_read_line(XEN_HYP_DIR "/type", buf, sizeof(buf)) &&
	       !strcmp(buf, "xen");
}

/*
 * The XENFEAT_* bits Xen gives this guest, from /sys/hypervisor (0 if that
 * cannot be read: then *ok is 0).
 */
static inline unsigned long long xen_features(int *ok)
{
	char hex[64], *end;
	unsigned long long f;

	*ok = 0;
	if (xen_read_line(XEN_HYP_DIR "/properties/features", hex, sizeof(hex)))
		return 0;
	f = strtoull(hex, &end, 16);
	*ok = end != hex && !*end;
	return *ok ? f : 0;
}

/* A non-negative integer expectation from the environment, or -1. */
static inline long xen_env_long(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 0);
	return (*end || v < 0) ? -1 : v;
}

/*
 * The CPU we run on, as the kernel says it: the getcpu system call, not
 * sched_getcpu(), which may take it from the vDSO (see xen_vcpu's
 * getcpu_vdso).  -errno on failure.
 */
static inline int xen_getcpu(void)
{
	unsigned int cpu;

	return syscall(SYS_getcpu, &cpu, NULL, NULL) ? -errno : (int)cpu;
}

static inline double xen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- xenstore ---------------------------------------------------------- */

struct xs_conn {
	int fd;
	uint32_t req_id;
};

static inline int xs_open(struct xs_conn *xs)
{
	xs->req_id = 0;
	xs->fd = open(XENBUS_DEV, O_RDWR);
	if (xs->fd < 0)
		xs->fd = open(XENBUS_PROC, O_RDWR);
	return xs->fd < 0 ? -errno : 0;
}

static inline void xs_close(struct xs_conn *xs)
{
	if (xs->fd >= 0)
		close(xs->fd);
	xs->fd = -1;
}

/* Read exactly @len bytes, waiting at most @timeout_ms for each part. */
static inline int xs_read_all(int fd, void *buf, size_t len, int timeout_ms)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r = poll(&pfd, 1, timeout_ms);

		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, p, len);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * Receive one message: its header in @hdr, its payload (NUL terminated) in
 * @buf of @len bytes.  Returns 0, or a negative errno.
 */
static inline int xs_recv(struct xs_conn *xs, struct xsd_sockmsg *hdr,
			  char *buf, size_t len, int timeout_ms)
{
	int r = xs_read_all(xs->fd, hdr, sizeof(*hdr), timeout_ms);

	if (r)
		return r;
	if (hdr->len >= len)
		return -E2BIG;
	r = xs_read_all(xs->fd, buf, hdr->len, timeout_ms);
	if (r)
		return r;
	buf[hdr->len] = '\0';
	return 0;
}

/*
 * Send request @type with payload @data (@dlen bytes) and wait for its reply,
 * into @reply of @rlen bytes.  Watch events that arrive in between are
 * counted in *@events (if not NULL) and dropped.  Returns the reply's length,
 * or a negative errno (the daemon's XS_ERROR string is mapped to its errno).
 */
static inline int xs_request(struct xs_conn *xs, uint32_t type,
			     const void *data, uint32_t dlen,
			     char *reply, size_t rlen, int *events)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = ++xs->req_id, .len = dlen,
	};
	char msg[sizeof(hdr) + 4096];
	unsigned int i;
	int r;

	if (dlen > sizeof(msg) - sizeof(hdr))
		return -E2BIG;
	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), data, dlen);
	dlen += sizeof(hdr);
	if (write(xs->fd, msg, dlen) != (ssize_t)dlen)
		return errno ? -errno : -EIO;
	for (;;) {
		r = xs_recv(xs, &hdr, reply, rlen, 10000);
		if (r)
			return r;
		if (hdr.type == XS_WATCH_EVENT) {
			if (events)
				(*events)++;
			continue;
		}
		if (hdr.req_id != xs->req_id)
			return -EPROTO;
		if (hdr.type != XS_ERROR)
			return hdr.len;
		for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
			if (!strcmp(reply, xsd_errors[i].errstring))
				return -xsd_errors[i].errnum;
		return -EIO;
	}
}

/* XS_READ of @path into @val (NUL terminated); returns 0 or -errno. */
static inline int xs_read(struct xs_conn *xs, const char *path, char *val,
			  size_t len)
{
	int r = xs_request(xs, XS_READ, path, strlen(path) + 1, val, len, NULL);

	return r < 0 ? r : 0;
}

static inline int xs_write(struct xs_conn *xs, const char *path,
			   const char *val)
{
	char buf[1024], reply[64];
	size_t pl = strlen(path) + 1, vl = strlen(val);
	int r;

	if (pl + vl > sizeof(buf))
		return -E2BIG;
	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	r = xs_request(xs, XS_WRITE, buf, pl + vl, reply, sizeof(reply), NULL);
	return r < 0 ? r : 0;
}

/* Our own domid, from the relative xenstore path "domid"; -errno if none. */
static inline int xs_own_domid(void)
{
	struct xs_conn xs;
	char val[32];
	int r;

	r = xs_open(&xs);
	if (r)
		return r;
	r = xs_read(&xs, "domid", val, sizeof(val));
	xs_close(&xs);
	return r ? r : atoi(val);
}

#endif /* XEN_SELFTEST_UTIL_H */
