// SPDX-License-Identifier: GPL-2.0
/*
 * What a Xen guest reports about itself: hypervisor type, guest type (PV,
 * PVH or HVM) against the expectation XEN_SELFTEST_GUEST_TYPE, the feature
 * bits Xen gives that mode, and the memory map against XEN_SELFTEST_MEM_MB.
 */
#include <dirent.h>

#include <xen/interface/features.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#define ISA_START	0xa0000ULL
#define ISA_END		0x100000ULL
#define MAX_RANGES	256
#define FW_MEMMAP	"/sys/firmware/memmap"

struct range {
	unsigned long long start, end;	/* inclusive */
	char name[64];
};

static const char *read_guest_type(char *buf, size_t len)
{
	if (xen_read_line(XEN_HYP_DIR "/guest_type", buf, len))
		return NULL;
	return buf;
}

TEST(hypervisor_type)
{
	char buf[32];

	if (xen_read_line(XEN_HYP_DIR "/type", buf, sizeof(buf)))
		SKIP(return, "no " XEN_HYP_DIR "/type: not running on Xen");
	ASSERT_STREQ("xen", buf);
}

TEST(guest_type)
{
	const char *want = getenv("XEN_SELFTEST_GUEST_TYPE");
	char buf[32];

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	ASSERT_NE(NULL, read_guest_type(buf, sizeof(buf)))
		TH_LOG("no %s/guest_type", XEN_HYP_DIR);
	ASSERT_TRUE(!strcmp(buf, "PV") || !strcmp(buf, "PVH") ||
		    !strcmp(buf, "HVM"))
		TH_LOG("unknown guest_type '%s'", buf);
	if (!want || !*want)
		SKIP(return, "guest_type %s, no XEN_SELFTEST_GUEST_TYPE given",
		     buf);
	ASSERT_STREQ(want, buf);
}

TEST(features)
{
	char type[32], hex[64];
	unsigned long long f;
	char *end;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	if (xen_read_line(XEN_HYP_DIR "/properties/features", hex, sizeof(hex)))
		SKIP(return, "no %s/properties/features", XEN_HYP_DIR);
	ASSERT_NE(NULL, read_guest_type(type, sizeof(type)));
	f = strtoull(hex, &end, 16);
	ASSERT_EQ('\0', *end) TH_LOG("features '%s' is not hex", hex);
	ksft_print_msg("guest_type %s features %s\n", type, hex);

#define FEAT(x) (!!(f & (1ULL << XENFEAT_##x)))
	/* a PV guest owns its page tables; HVM and PVH run translated */
	if (!strcmp(type, "PV")) {
		EXPECT_EQ(0, FEAT(auto_translated_physmap));
		EXPECT_EQ(0, FEAT(hvm_callback_vector));
		EXPECT_EQ(0, FEAT(hvm_safe_pvclock));
		EXPECT_EQ(1, FEAT(gnttab_map_avail_bits));
	} else {
		EXPECT_EQ(1, FEAT(auto_translated_physmap));
		EXPECT_EQ(1, FEAT(writable_page_tables));
		EXPECT_EQ(1, FEAT(hvm_callback_vector));
		EXPECT_EQ(1, FEAT(hvm_safe_pvclock));
		EXPECT_EQ(0, FEAT(gnttab_map_avail_bits));
	}
	/* PVH has no emulated devices and so no PIRQs */
	if (!strcmp(type, "PVH"))
		EXPECT_EQ(0, FEAT(hvm_pirqs));
#undef FEAT
}

/* Top-level /proc/iomem ranges; returns how many, or -errno. */
static int read_iomem(struct range *r, int max)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	int n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && n < max) {
		unsigned long long s, e;
		int off = 0;

		if (line[0] == ' ')
			continue;	/* a child of the line above */
		if (sscanf(line, "%llx-%llx : %n", &s, &e, &off) != 2 || !off)
			continue;
		r[n].start = s;
		r[n].end = e;
		snprintf(r[n].name, sizeof(r[n].name), "%s", line + off);
		r[n].name[strcspn(r[n].name, "\n")] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

/* /sys/firmware/memmap/N/{start,end,type}, in any order; count or -errno */
static int read_fw_memmap(struct range *r, int max)
{
	DIR *d = opendir(FW_MEMMAP);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		char p[300], v[64];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), FW_MEMMAP "/%s/start", de->d_name);
		if (xen_read_line(p, v, sizeof(v)))
			continue;
		r[n].start = strtoull(v, NULL, 0);
		snprintf(p, sizeof(p), FW_MEMMAP "/%s/end", de->d_name);
		if (xen_read_line(p, v, sizeof(v)))
			continue;
		r[n].end = strtoull(v, NULL, 0);
		snprintf(p, sizeof(p), FW_MEMMAP "/%s/type", de->d_name);
		if (xen_read_line(p, r[n].name, sizeof(r[n].name)))
			continue;
		n++;
	}
	closedir(d);
	return n;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Checks one memory map: sorted, no two ranges overlap, and, with @isa, no
 * RAM in the ISA range.  Returns the bytes of RAM in it.
 */
static unsigned long long check_map(struct __test_metadata *_metadata,
				    const char *what, struct range *r, int n,
				    int isa)
{
	unsigned long long ram = 0;
	int i;

	qsort(r, n, sizeof(*r), cmp_range);
	for (i = 0; i < n; i++) {
		EXPECT_LE(r[i].start, r[i].end);
		if (i)
			EXPECT_LT(r[i - 1].end, r[i].start)
				TH_LOG("%s: %#llx-%#llx overlaps %#llx-%#llx",
				       what, r[i - 1].start, r[i - 1].end,
				       r[i].start, r[i].end);
		if (strcmp(r[i].name, "System RAM"))
			continue;
		ram += r[i].end - r[i].start + 1;
		if (isa)
			EXPECT_TRUE(r[i].end < ISA_START ||
				    r[i].start >= ISA_END)
				TH_LOG("%s: RAM %#llx-%#llx in the ISA range",
				       what, r[i].start, r[i].end);
	}
	return ram;
}

TEST(memory_map)
{
	long want_mb = xen_env_long("XEN_SELFTEST_MEM_MB");
	static struct range r[MAX_RANGES];
	unsigned long long ram, fw_ram;
	int n;

	if (!xen_on_xen())
		SKIP(return, "not running on Xen");
	n = read_iomem(r, MAX_RANGES);
	ASSERT_LT(0, n) TH_LOG("cannot read /proc/iomem: %d", n);
	/* what the kernel uses: the ISA range is never RAM to it */
	ram = check_map(_metadata, "/proc/iomem", r, n, 1);
	ksft_print_msg("/proc/iomem: %d ranges, %llu KiB RAM\n", n, ram >> 10);

	/* what the kernel was given, if CONFIG_FIRMWARE_MEMMAP shows it */
	n = read_fw_memmap(r, MAX_RANGES);
	if (n > 0) {
		fw_ram = check_map(_metadata, FW_MEMMAP, r, n, 0);
		ksft_print_msg(FW_MEMMAP ": %d ranges, %llu KiB RAM\n", n,
			       fw_ram >> 10);
	}

	if (want_mb < 0)
		SKIP(return, "%llu KiB RAM, no XEN_SELFTEST_MEM_MB given",
		     ram >> 10);
	/*
	 * The toolstack's memory= is the upper bound; the guest loses the
	 * ISA range and a few pages Xen keeps for itself (start info,
	 * xenstore and console rings), never more than 4 MiB here.
	 */
	EXPECT_LE(ram >> 10, (unsigned long long)want_mb << 10);
	EXPECT_GE(ram >> 10, ((unsigned long long)want_mb - 4) << 10);
}

TEST_HARNESS_MAIN
