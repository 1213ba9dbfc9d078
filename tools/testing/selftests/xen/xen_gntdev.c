// SPDX-License-Identifier: GPL-2.0
/*
 * Grant tables through /dev/xen/gntalloc and /dev/xen/gntdev.
 *
 * gntalloc shares pages of ours with a domain; it counts every grant it has
 * out against its "limit" parameter, so after many cycles one allocation
 * of the whole limit must still succeed (and one more grant must not): no
 * leak.  gntdev maps the grants of a domain: a grant that does not exist
 * must not map.
 *
 * The only domain a guest can be sure to share with is itself, so the map
 * tests share pages with our own domain and map them back.  That is safe
 * only in a PV guest: in an auto-translated one (PVH, HVM) the map is a
 * host mapping into our own physmap, and Xen (4.17, p2m_add_page()) treats
 * the page it finds at another gfn of ours as an alias to remove: the
 * granted page vanishes from its own gfn (it reads as all ones), and the
 * kernel, which still owns it, later hands it out again and crashes.  Those
 * tests skip there, saying so.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#include <xen/interface/features.h>
#include <xen/gntalloc.h>
#include <xen/gntdev.h>

#define GNTALLOC_DEV	"/dev/xen/gntalloc"
#define GNTDEV_DEV	"/dev/xen/gntdev"
#define LIMIT_PARAM	"/sys/module/xen_gntalloc/parameters/limit"
#define PAGE		4096
#define NPAGES		4
#define CYCLES		200

#define NO_FEATURES	\
	"no " XEN_HYP_DIR "/properties/features: PV or auto-translated?"
#define XLATED		\
	"auto-translated guest: Xen takes a self-mapped grant's page off its gfn"

struct gnt_ctx {
	int alloc_fd, dev_fd, domid;
	const char *no_self_map;	/* why mapping our own grants is unsafe */
};

FIXTURE(gnt) {
	struct gnt_ctx c;
};

FIXTURE_SETUP(gnt)
{
	unsigned long long f;
	int ok;

	self->c.alloc_fd = -1;
	self->c.dev_fd = -1;
	self->c.no_self_map = NULL;
	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	self->c.alloc_fd = open(GNTALLOC_DEV, O_RDWR);
	if (self->c.alloc_fd < 0)
		SKIP(return, "no %s: %s (CONFIG_XEN_GRANT_DEV_ALLOC)",
		     GNTALLOC_DEV, strerror(errno));
	self->c.dev_fd = open(GNTDEV_DEV, O_RDWR);
	if (self->c.dev_fd < 0)
		SKIP(return, "no %s: %s (CONFIG_XEN_GNTDEV)", GNTDEV_DEV,
		     strerror(errno));
	self->c.domid = xs_own_domid();
	if (self->c.domid < 0)
		SKIP(return, "own domid unknown: no xenstore (%s)",
		     strerror(-self->c.domid));
	/* see the top of this file */
	f = xen_features(&ok);
	if (!ok)
		self->c.no_self_map = NO_FEATURES;
	else if (f & (1ULL << XENFEAT_auto_translated_physmap))
		self->c.no_self_map = XLATED;
}

FIXTURE_TEARDOWN(gnt)
{
	if (self->c.alloc_fd >= 0)
		close(self->c.alloc_fd);
	if (self->c.dev_fd >= 0)
		close(self->c.dev_fd);
}

/* Grant @n pages to @domid; their refs in @refs, mmap offset returned. */
static int64_t gnt_alloc(int fd, int domid, unsigned int n, uint32_t *refs)
{
	struct ioctl_gntalloc_alloc_gref *op;
	int64_t ret;

	op = calloc(1, sizeof(*op) + n * sizeof(op->gref_ids[0]));
	if (!op)
		return -ENOMEM;
	op->domid = domid;
	op->flags = GNTALLOC_FLAG_WRITABLE;
	op->count = n;
	if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, op)) {
		ret = -errno;
	} else {
		if (refs)
			memcpy(refs, op->gref_ids, n * sizeof(*refs));
		ret = op->index;
	}
	free(op);
	return ret;
}

static int gnt_dealloc(int fd, uint64_t index, unsigned int n)
{
	struct ioctl_gntalloc_dealloc_gref op = { .index = index, .count = n };

	return ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &op) ? -errno : 0;
}

/* Map @n grants of @domid; the mmap offset for them is returned. */
static int64_t gnt_map(int fd, int domid, unsigned int n, const uint32_t *refs)
{
	struct ioctl_gntdev_map_grant_ref *op;
	unsigned int i;
	int64_t ret;

	op = calloc(1, sizeof(*op) + n * sizeof(op->refs[0]));
	if (!op)
		return -ENOMEM;
	op->count = n;
	for (i = 0; i < n; i++) {
		op->refs[i].domid = domid;
		op->refs[i].ref = refs[i];
	}
	ret = ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, op) ? -errno : op->index;
	free(op);
	return ret;
}

static int gnt_unmap(int fd, uint64_t index, unsigned int n)
{
	struct ioctl_gntdev_unmap_grant_ref op = { .index = index, .count = n };

	return ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &op) ? -errno : 0;
}

/*
 * Share @n pages with our own domain and fill them; with @map, map them
 * through gntdev and check writes both ways; tear it all down.  Returns 0
 * or the number of the step that failed.
 */
static int share_cycle(struct __test_metadata *_metadata,
		       const struct gnt_ctx *c, unsigned int n,
		       unsigned int seed, int map)
{
	uint32_t refs[NPAGES];
	int64_t aidx, didx;
	unsigned char *a, *d;
	size_t len = (size_t)n * PAGE, i;

	aidx = gnt_alloc(c->alloc_fd, c->domid, n, refs);
	EXPECT_LE(0, aidx) TH_LOG("gntalloc: %s", strerror(-aidx));
	if (aidx < 0)
		return 1;
	a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 c->alloc_fd, aidx);
	EXPECT_NE(MAP_FAILED, a) TH_LOG("gntalloc mmap: %s", strerror(errno));
	if (a == MAP_FAILED)
		return 2;
	for (i = 0; i < len; i++)
		a[i] = (unsigned char)(i * 7 + seed);

	if (map) {
		didx = gnt_map(c->dev_fd, c->domid, n, refs);
		EXPECT_LE(0, didx) TH_LOG("gntdev map: %s", strerror(-didx));
		if (didx < 0)
			return 3;
		d = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 c->dev_fd, didx);
		EXPECT_NE(MAP_FAILED, d) TH_LOG("gntdev mmap: %s",
						strerror(errno));
		if (d == MAP_FAILED)
			return 4;
		EXPECT_EQ(0, memcmp(a, d, len)) TH_LOG("mapped grant differs");
		for (i = 0; i < len; i += 97)
			d[i] = (unsigned char)~a[i];
		for (i = 0; i < len; i += 97) {
			if (a[i] != (unsigned char)~(unsigned char)(i * 7 + seed)) {
				EXPECT_EQ((unsigned char)~(unsigned char)(i * 7 + seed),
					  a[i]) TH_LOG("byte %zu", i);
				return 5;
			}
		}
		EXPECT_EQ(0, munmap(d, len));
		EXPECT_EQ(0, gnt_unmap(c->dev_fd, didx, n));
	} else {
		/* what we wrote is there (the page stayed ours) */
		for (i = 0; i < len; i++)
			if (a[i] != (unsigned char)(i * 7 + seed))
				break;
		EXPECT_EQ(len, i) TH_LOG("shared page lost byte %zu", i);
	}
	EXPECT_EQ(0, munmap(a, len));
	EXPECT_EQ(0, gnt_dealloc(c->alloc_fd, aidx, n));
	return _metadata->exit_code == KSFT_PASS ? 0 : 6;
}

/*
 * @CYCLES cycles of share_cycle(), then gntalloc's whole limit can be
 * allocated at once, and one grant more cannot: every grant came back.
 */
static void no_leak(struct __test_metadata *_metadata,
		    const struct gnt_ctx *c, int map)
{
	char buf[32];
	long limit = 1024;
	int64_t idx;
	int i;

	if (!xen_read_line(LIMIT_PARAM, buf, sizeof(buf)))
		limit = atol(buf);
	ASSERT_LT(NPAGES, limit);
	/* the limit is enforced: one grant more than it is refused */
	ASSERT_EQ(-ENOSPC, gnt_alloc(c->alloc_fd, c->domid, limit + 1, NULL));
	for (i = 0; i < CYCLES; i++) {
		ASSERT_EQ(0, share_cycle(_metadata, c, 1 + i % NPAGES, i, map))
			TH_LOG("cycle %d", i);
	}
	idx = gnt_alloc(c->alloc_fd, c->domid, limit, NULL);
	ASSERT_LE(0, idx) TH_LOG("%ld grants after %d cycles: %s", limit,
				 CYCLES, strerror(-idx));
	ASSERT_EQ(-ENOSPC, gnt_alloc(c->alloc_fd, c->domid, 1, NULL));
	ASSERT_EQ(0, gnt_dealloc(c->alloc_fd, idx, limit));
	ksft_print_msg("%d share%s cycles, then all %ld grants\n", CYCLES,
		       map ? "/map/unmap" : "", limit);
}

/* gntalloc alone: share, write, read, end the share; no leak. */
TEST_F_TIMEOUT(gnt, alloc_no_leak, 90)
{
	no_leak(_metadata, &self->c, 0);
}

/* A grant that does not exist does not map, and gntdev stays usable. */
TEST_F(gnt, map_bad_ref)
{
	uint32_t ref = 0x0fffffff;	/* far past any grant table */
	int64_t didx;
	void *d;

	didx = gnt_map(self->c.dev_fd, self->c.domid, 1, &ref);
	ASSERT_LE(0, didx) TH_LOG("gntdev map: %s", strerror(-didx));
	/* gntdev asks Xen for the mapping when it is mmapped */
	d = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->c.dev_fd, didx);
	EXPECT_EQ(MAP_FAILED, d) TH_LOG("grant ref %#x mapped", ref);
	if (d != MAP_FAILED)
		munmap(d, PAGE);
	ASSERT_EQ(0, gnt_unmap(self->c.dev_fd, didx, 1));
	/* the index is free again: unmapping it twice fails */
	ASSERT_EQ(-ENOENT, gnt_unmap(self->c.dev_fd, didx, 1));
}

TEST_F(gnt, share_map_unmap)
{
	if (self->c.no_self_map)
		SKIP(return, "%s", self->c.no_self_map);
	ASSERT_EQ(0, share_cycle(_metadata, &self->c, 1, 1, 1));
	ASSERT_EQ(0, share_cycle(_metadata, &self->c, NPAGES, 2, 1));
}

/* The mapping shows the owner's later writes, not a copy. */
TEST_F(gnt, map_is_shared)
{
	uint32_t ref;
	int64_t aidx, didx;
	uint32_t *a, *d;

	if (self->c.no_self_map)
		SKIP(return, "%s", self->c.no_self_map);
	aidx = gnt_alloc(self->c.alloc_fd, self->c.domid, 1, &ref);
	ASSERT_LE(0, aidx);
	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->c.alloc_fd, aidx);
	ASSERT_NE(MAP_FAILED, a);
	didx = gnt_map(self->c.dev_fd, self->c.domid, 1, &ref);
	ASSERT_LE(0, didx);
	d = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->c.dev_fd, didx);
	ASSERT_NE(MAP_FAILED, d);
	a[10] = 0x12345678;
	ASSERT_EQ(0x12345678, d[10]);
	d[11] = 0x9abcdef0;
	ASSERT_EQ(0x9abcdef0, a[11]);
	ASSERT_EQ(0, munmap(d, PAGE));
	ASSERT_EQ(0, gnt_unmap(self->c.dev_fd, didx, 1));
	ASSERT_EQ(0, munmap(a, PAGE));
	ASSERT_EQ(0, gnt_dealloc(self->c.alloc_fd, aidx, 1));
}

/* share, map, unmap, many times: every grant comes back */
TEST_F_TIMEOUT(gnt, map_no_leak, 90)
{
	if (self->c.no_self_map)
		SKIP(return, "%s", self->c.no_self_map);
	no_leak(_metadata, &self->c, 1);
}

TEST_HARNESS_MAIN
