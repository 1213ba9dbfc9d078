// SPDX-License-Identifier: GPL-2.0
/*
 * lab/minipvh/events.c: shared_info, event channels through the HVM callback
 * vector, and each vCPU's one-shot Xen timer (VIRQ_TIMER).
 */
#include "minipvh.h"

static char shared_page[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));
struct shared_info *shared = (struct shared_info *)shared_page;

/* Map shared_info over our page, and have Xen raise UPCALL_VECTOR for events. */
void events_init(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.gpfn = (u64)shared_page >> 12,
	};
	struct xen_hvm_param p = {
		.domid = DOMID_SELF,
		.index = HVM_PARAM_CALLBACK_IRQ,
		.value = HVM_CALLBACK_VECTOR(UPCALL_VECTOR),
	};
	long rc;

	rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc)
		fatal("XENMEM_add_to_physmap(shared_info) failed: %ld\n", rc);
	rc = HYPERVISOR_hvm_op(HVMOP_set_param, &p);
	if (rc)
		fatal("HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ, vector 0x%x) failed: %ld\n",
		      UPCALL_VECTOR, rc);
}

/* Bind vCPU c's VIRQ_TIMER to a port of its own, unmasked, periodic timer off. */
void timer_bind(struct cpu *c)
{
	struct evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = c->id };
	long rc;

	rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, c->id, 0);
	if (rc)
		fatal("VCPUOP_stop_periodic_timer(vCPU %u) failed: %ld\n", c->id, rc);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind);
	if (rc)
		fatal("EVTCHNOP_bind_virq(VIRQ_TIMER, vCPU %u) failed: %ld\n", c->id, rc);
	c->timer_port = bind.port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &c->timer_port);
	if (rc)
		fatal("EVTCHNOP_unmask(port %u) failed: %ld\n", c->timer_port, rc);
}

/* The calling vCPU's one-shot timer, at Xen system time deadline_ns. */
void timer_arm(struct cpu *c, u64 deadline_ns)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline_ns };

	c->fired = 0;
	if (HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, c->id, &t))
		c->timer_errors++;
}

/*
 * The interrupt itself must come where x86 allows it: with IF set in the
 * interrupted RFLAGS, and never inside STI's one-instruction shadow, that
 * is at the HLT of safe_halt.  Count each that does not; one in the shadow
 * would return to the HLT and sleep through the event it just took, so it
 * returns past the HLT instead (what the CPU would have done).
 */
static void check_delivery(struct cpu *c, struct irq_frame *f)
{
	if (!(f->rflags & X86_EFLAGS_IF)) {
		if (c->if_off < BAD_RIPS)
			c->bad_rip[c->if_off] = f->rip;
		c->if_off++;
	}
	if (f->rip == (u64)shadow_hlt) {
		c->in_shadow++;
		f->rip++;
	}
}

/*
 * UPCALL_VECTOR: take this vCPU's pending ports.  Only its own timer port
 * is handled here; a port bound to another vCPU stays pending for that one.
 */
void evtchn_upcall(struct irq_frame *f)
{
	struct cpu *c = this_cpu();
	struct vcpu_info *vi = &shared->vcpu_info[c->id];
	u64 sel, pend;
	unsigned int i, port;

	c->upcalls++;
	check_delivery(c, f);
	vi->evtchn_upcall_pending = 0;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		i = __builtin_ctzl(sel);
		sel &= sel - 1;
		pend = shared->evtchn_pending[i] & ~shared->evtchn_mask[i];
		while (pend) {
			port = i * 64 + __builtin_ctzl(pend);
			pend &= pend - 1;
			if (port != c->timer_port)
				continue;
			__atomic_and_fetch(&shared->evtchn_pending[i], ~(1UL << (port % 64)),
					   __ATOMIC_SEQ_CST);
			c->fired = 1;
		}
	}
}
