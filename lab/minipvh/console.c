// SPDX-License-Identifier: GPL-2.0
/*
 * lab/minipvh/console.c: output on the PV console ring (what xenconsoled
 * logs as the guest's console), and on Xen's debug port 0xe9 ("(dN) ..."
 * in Xen's own log) for what must be seen even without the ring: a guest
 * that cannot set it up, a fatal exception.
 */
#include <stdarg.h>
#include "minipvh.h"

static volatile struct xencons_interface *ring;
static u32 ring_port;
static volatile char lock;

static void e9_putc(char ch)
{
	asm volatile("outb %0, $0xe9" :: "a"(ch));
}

void debug_puts(const char *s)
{
	while (*s)
		e9_putc(*s++);
}

static long hvm_param(u32 index, u64 *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

	*value = p.value;
	return rc;
}

void console_init(void)
{
	u64 pfn, port;

	if (hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn) || !pfn ||
	    hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &port))
		fatal("minipvh: no PV console (HVM_PARAM_CONSOLE_PFN/EVTCHN)\n");
	ring = (struct xencons_interface *)(pfn << 12);
	ring_port = port;
}

static void ring_write(const char *s, unsigned int n)
{
	u32 prod = ring->out_prod;

	while (n--) {
		while (prod - ring->out_cons >= sizeof(ring->out)) {
			HYPERVISOR_event_channel_op(EVTCHNOP_send, &ring_port);
			cpu_relax();
		}
		ring->out[prod++ % sizeof(ring->out)] = *s++;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	ring->out_prod = prod;
	HYPERVISOR_event_channel_op(EVTCHNOP_send, &ring_port);
}

static char *put_num(char *p, char *end, u64 v, unsigned int base, int neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && p < end)
		*p++ = '-';
	while (n && p < end)
		*p++ = tmp[--n];
	return p;
}

/* %s %c %d %u %x, each with an optional l; nothing else. */
static unsigned int format(char *buf, unsigned int size, const char *fmt, va_list ap)
{
	char *p = buf, *end = buf + size;
	const char *s;
	int l;

	for (; *fmt && p < end; fmt++) {
		if (*fmt != '%') {
			*p++ = *fmt;
			continue;
		}
		l = fmt[1] == 'l';
		fmt += 1 + l;
		switch (*fmt) {
		case 's':
			for (s = va_arg(ap, const char *); *s && p < end; )
				*p++ = *s++;
			break;
		case 'c':
			*p++ = (char)va_arg(ap, int);
			break;
		case 'd': {
			s64 v = l ? va_arg(ap, long) : va_arg(ap, int);

			p = put_num(p, end, v < 0 ? -v : v, 10, v < 0);
			break;
		}
		case 'u':
			p = put_num(p, end, l ? va_arg(ap, u64) : va_arg(ap, u32), 10, 0);
			break;
		case 'x':
			p = put_num(p, end, l ? va_arg(ap, u64) : va_arg(ap, u32), 16, 0);
			break;
		default:
			*p++ = *fmt;
		}
	}
	return p - buf;
}

static void vprintk(int fatal_too, const char *fmt, va_list ap)
{
	char buf[256];
	unsigned int n = format(buf, sizeof(buf) - 1, fmt, ap), i;

	if (fatal_too)
		for (i = 0; i < n; i++)
			e9_putc(buf[i]);
	if (!ring)
		return;
	/* A fatal error must not wait for a lock its own CPU may hold. */
	if (fatal_too) {
		if (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE))
			return;
	} else {
		while (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE))
			cpu_relax();
	}
	ring_write(buf, n);
	__atomic_clear(&lock, __ATOMIC_RELEASE);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(0, fmt, ap);
	va_end(ap);
}

void shutdown(unsigned int reason)
{
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &reason);
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(1, fmt, ap);
	va_end(ap);
	shutdown(SHUTDOWN_crash);
}
