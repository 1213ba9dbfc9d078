/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab/minipvh/xen.h: the few parts of Xen's guest ABI the minimal guest
 * uses (numbers and layouts from xen/include/public), and its hypercalls.
 */
#ifndef MINIPVH_XEN_H
#define MINIPVH_XEN_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed char s8;
typedef long s64;

/* Hypercalls and their sub-operations. */
#define __HYPERVISOR_memory_op		12
#define __HYPERVISOR_xen_version	17
#define __HYPERVISOR_vcpu_op		24
#define __HYPERVISOR_sched_op		29
#define __HYPERVISOR_event_channel_op	32
#define __HYPERVISOR_hvm_op		34

#define XENVER_version			0
#define XENMEM_add_to_physmap		7
#define XENMAPSPACE_shared_info		0
#define DOMID_SELF			0x7ff0

#define VCPUOP_initialise		0
#define VCPUOP_up			1
#define VCPUOP_down			2
#define VCPUOP_is_up			3
#define VCPUOP_stop_periodic_timer	7
#define VCPUOP_set_singleshot_timer	8
#define VCPU_HVM_MODE_64B		1

#define SCHEDOP_shutdown		2
#define SHUTDOWN_poweroff		0
#define SHUTDOWN_crash			3

#define EVTCHNOP_bind_virq		1
#define EVTCHNOP_send			4
#define EVTCHNOP_unmask			9
#define VIRQ_TIMER			0

#define HVMOP_set_param			0
#define HVMOP_get_param			1
#define HVM_PARAM_CALLBACK_IRQ		0
#define HVM_PARAM_CONSOLE_PFN		17
#define HVM_PARAM_CONSOLE_EVTCHN	18
#define HVM_CALLBACK_VECTOR(v)		((2UL << 56) | (v))

#define HVM_START_MAGIC			0x336ec578

struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
};

struct vcpu_time_info {
	u32 version;
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time;
	u32 tsc_to_system_mul;
	s8 tsc_shift;
	u8 flags;
	u8 pad1[2];
};

struct vcpu_info {
	u8 evtchn_upcall_pending;
	u8 evtchn_upcall_mask;
	u64 evtchn_pending_sel;
	u64 arch_cr2;
	u64 arch_pad;
	struct vcpu_time_info time;
};

#define XEN_LEGACY_MAX_VCPUS		32
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	u64 evtchn_pending[64];
	u64 evtchn_mask[64];
};

struct xencons_interface {
	char in[1024];
	char out[2048];
	u32 in_cons, in_prod;
	u32 out_cons, out_prod;
};

struct xen_add_to_physmap {
	u16 domid;
	u16 size;
	u32 space;
	u64 idx;
	u64 gpfn;
};

struct xen_hvm_param {
	u16 domid;
	u32 index;
	u64 value;
};

struct evtchn_bind_virq {
	u32 virq;
	u32 vcpu;
	u32 port;
};

struct vcpu_set_singleshot_timer {
	u64 timeout_abs_ns;
	u32 flags;
};

struct vcpu_hvm_context {
	u32 mode;
	u32 pad;
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
	u64 cr0, cr3, cr4, efer;
};

/* Filled by Xen when we write its address to the MSR CPUID leaf base+2 names. */
extern char hypercall_page[4096];

static inline long hypercall2(int nr, unsigned long a1, unsigned long a2)
{
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	long ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret), "+r"(rdi), "+r"(rsi)
		     : [entry] "r"(hypercall_page + nr * 32)
		     : "memory", "rcx", "rdx", "r8", "r10", "r11");
	return ret;
}

static inline long hypercall3(int nr, unsigned long a1, unsigned long a2,
			      unsigned long a3)
{
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	register unsigned long rdx asm("rdx") = a3;
	long ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
		     : [entry] "r"(hypercall_page + nr * 32)
		     : "memory", "rcx", "r8", "r10", "r11");
	return ret;
}

#define HYPERVISOR_vcpu_op(op, vcpu, arg) \
	hypercall3(__HYPERVISOR_vcpu_op, (op), (vcpu), (unsigned long)(arg))
#define HYPERVISOR_event_channel_op(op, arg) \
	hypercall2(__HYPERVISOR_event_channel_op, (op), (unsigned long)(arg))
#define HYPERVISOR_hvm_op(op, arg) \
	hypercall2(__HYPERVISOR_hvm_op, (op), (unsigned long)(arg))
#define HYPERVISOR_sched_op(op, arg) \
	hypercall2(__HYPERVISOR_sched_op, (op), (unsigned long)(arg))
#define HYPERVISOR_memory_op(op, arg) \
	hypercall2(__HYPERVISOR_memory_op, (op), (unsigned long)(arg))
#define HYPERVISOR_xen_version(op, arg) \
	hypercall2(__HYPERVISOR_xen_version, (op), (unsigned long)(arg))

#endif
