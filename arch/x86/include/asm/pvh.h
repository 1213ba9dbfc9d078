/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel proper may ask about a boot through the PVH entry
 * (arch/x86/platform/pvh/).
 */
#ifndef _ASM_X86_PVH_H
#define _ASM_X86_PVH_H

#include <linux/init.h>
#include <linux/types.h>

#ifdef CONFIG_PVH
bool __init pvh_booted(void);
u32 __init pvh_start_info_flags(void);
#else
static inline bool pvh_booted(void) { return false; }
static inline u32 pvh_start_info_flags(void) { return 0; }
#endif

#endif /* _ASM_X86_PVH_H */
