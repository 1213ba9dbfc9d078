// SPDX-License-Identifier: GPL-2.0
/*
 * The grant table of a Xen PVH guest.
 *
 * An HVM guest maps its grant frames into the MMIO BAR of Xen's platform
 * PCI device; a PVH guest has no such device.  It gives up guest frames
 * to the balloon instead and has Xen put the grant table there
 * (XENMEM_add_to_physmap with XENMAPSPACE_grant_table, done by
 * gnttab_init() for an auto-translated guest).
 */
#include <linux/init.h>
#include <linux/printk.h>
#include <xen/grant_table.h>
#include <xen/xen.h>
#include <xen/xen-ops.h>

static int __init xen_pvh_grant_frames_init(void)
{
	struct grant_frames *frames = &xen_auto_xlat_grant_frames;
	unsigned int nr;
	int rc;

	if (!xen_pvh_domain())
		return 0;

	/* All of them now: gnttab_expand() can only use frames given here. */
	nr = gnttab_max_grant_frames();
	rc = xen_xlate_map_ballooned_pages(&frames->pfn, &frames->vaddr, nr);
	if (rc) {
		pr_err("Xen PVH: no frames for the grant table (%u wanted): %d\n", nr, rc);
		return rc;
	}
	frames->count = nr;

	rc = gnttab_init();
	if (rc)
		pr_err("Xen PVH: grant table setup failed: %d\n", rc);
	return rc;
}

/* After balloon_init (subsys), before any frontend (device) grants. */
subsys_initcall_sync(xen_pvh_grant_frames_init);
