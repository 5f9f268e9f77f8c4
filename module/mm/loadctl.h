/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load control (loadctl.c): deactivating a process when the processes
 * thrash, and making its faults wait until it is active again.
 */
#ifndef _SWAPLAB_LOADCTL_H
#define _SWAPLAB_LOADCTL_H

#include <linux/mm_types.h>
#include <linux/types.h>

struct swaplab_proc;

/* The bound on a spell deactivated, in ms: its range and default. */
#define SWAPLAB_LC_MAX_MS_MIN		100
#define SWAPLAB_LC_MAX_MS_MAX		60000
#define SWAPLAB_LC_MAX_MS_DEFAULT	2000
/* The full stall share that deactivates, in percent: default. */
#define SWAPLAB_LC_PSI_DEFAULT		20

vm_fault_t swaplab_loadctl_fault(struct vm_fault *vmf, struct swaplab_proc *p);
void swaplab_loadctl_fault_end(struct swaplab_proc *p);
bool swaplab_loadctl_enabled(void);
int swaplab_loadctl_set(bool on);
unsigned int swaplab_loadctl_max_ms(void);
int swaplab_loadctl_set_max_ms(unsigned int ms);
unsigned int swaplab_loadctl_psi(void);
int swaplab_loadctl_set_psi(unsigned int pct);
void swaplab_loadctl_exit(void);

#endif /* _SWAPLAB_LOADCTL_H */
