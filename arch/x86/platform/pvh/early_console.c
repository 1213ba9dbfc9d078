// SPDX-License-Identifier: GPL-2.0
/*
 * Messages from the PVH entry, before any console driver exists.
 *
 * A line goes to every place someone may be looking: Xen's console through
 * console_io (a PVH dom0, or any guest of a debug Xen), else port 0xe9
 * (Xen prints it as the domain's debug output at guest_loglvl=all; QEMU
 * with -debugcon), and COM1 (QEMU's -serial, for direct boot without Xen).
 * A port with no device behind it simply drops what is written to it.
 */
#include <linux/kernel.h>
#include <linux/stdarg.h>
#include <linux/io.h>
#include <linux/processor.h>

#include "pvh.h"

#define PVH_E9		0xe9
#define PVH_COM1	0x3f8
#define PVH_COM1_LSR	(PVH_COM1 + 5)
#define PVH_LSR_THRE	0x20
#define PVH_COM1_POLLS	10000

static char pvh_line[160] __initdata;

static void __init pvh_com1_putc(char c)
{
	int i;

	/* Bounded: on Xen there is no UART and the LSR reads all ones. */
	for (i = 0; i < PVH_COM1_POLLS && !(inb(PVH_COM1_LSR) & PVH_LSR_THRE); i++)
		cpu_relax();
	outb(c, PVH_COM1);
}

static void __init pvh_early_write(const char *s, unsigned int len)
{
	bool xen_printed = pvh_on_xen() && pvh_xen_console_write(s, len) == 0;
	unsigned int i;

	for (i = 0; i < len; i++) {
		if (!xen_printed)
			outb(s[i], PVH_E9);
		pvh_com1_putc(s[i]);
	}
}

/* Appends to pvh_line at *pos; the line is cut short rather than overrun. */
static void __init pvh_put(unsigned int *pos, char c)
{
	if (*pos < sizeof(pvh_line) - 1)
		pvh_line[(*pos)++] = c;
}

static void __init pvh_put_num(unsigned int *pos, unsigned long long v, unsigned int base)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		pvh_put(pos, digits[--n]);
}

/*
 * A printf for the few conversions our messages use: %s, %u, %x, %llu,
 * %llx.  vsnprintf() is not usable here: it is instrumented library code.
 */
void __init pvh_early_printk(const char *fmt, ...)
{
	unsigned int pos = 0;
	const char *s;
	bool ll;
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			pvh_put(&pos, *fmt);
			continue;
		}
		fmt++;
		ll = fmt[0] == 'l' && fmt[1] == 'l';
		if (ll)
			fmt += 2;
		switch (*fmt) {
		case 's':
			for (s = va_arg(ap, const char *); *s; s++)
				pvh_put(&pos, *s);
			break;
		case 'u':
			pvh_put_num(&pos, ll ? va_arg(ap, unsigned long long) :
					       va_arg(ap, unsigned int), 10);
			break;
		case 'x':
			pvh_put_num(&pos, ll ? va_arg(ap, unsigned long long) :
					       va_arg(ap, unsigned int), 16);
			break;
		default:
			pvh_put(&pos, '%');
			if (!*fmt)
				fmt--;
			else
				pvh_put(&pos, *fmt);
		}
	}
	va_end(ap);
	pvh_early_write(pvh_line, pos);
}

/*
 * After a fatal message.  On Xen, report a crash so that the toolstack
 * acts on it; otherwise (or if that returns) halt for good.
 */
void __init pvh_early_stop(void)
{
	pvh_early_printk("PVH: cannot continue, stopping%s\n",
			 pvh_on_xen() ? " (reporting a crash to Xen)" : "");
	if (pvh_on_xen())
		pvh_xen_crash();
	for (;;)
		asm volatile("cli; hlt");
}
