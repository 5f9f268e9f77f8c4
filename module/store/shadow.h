/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow entries (shadow.c): what the core remembers of a page that left
 * memory.
 */
#ifndef _SWAPLAB_SHADOW_H
#define _SWAPLAB_SHADOW_H

#include <linux/types.h>
#include <linux/xarray.h>

#include "api/policy.h"

struct swaplab_refault;

#define SWAPLAB_SHADOW_DIST_BUCKETS	24

void *swaplab_shadow_entry(unsigned long slot, unsigned long stamp,
			   unsigned int record, bool in_ws);
unsigned long swaplab_shadow_slot(const void *entry);
void *swaplab_shadow_reslot(const void *entry, unsigned long slot);
void *swaplab_shadow_forget(const void *entry);
bool swaplab_shadow_refault(const void *entry, unsigned long now,
			    unsigned long switched, struct swaplab_refault *r);
void swaplab_shadow_drop(const void *entry);
unsigned long swaplab_shadow_count(void);
unsigned long swaplab_shadow_max(void);
int swaplab_shadow_set_max(unsigned long nr);
void swaplab_shadow_init(void);
u64 swaplab_shadow_distance_read(unsigned int bucket);

/**
 * swaplab_shadow_has_data() - does a table entry hold a page?
 * @entry: an entry of a region's table, or NULL
 *
 * Return: true for a frame, or a value entry naming a slot anywhere;
 * false for none, or a shadow with no slot (a page that reads as zeroes).
 */
static inline bool swaplab_shadow_has_data(const void *entry)
{
	return entry && (!xa_is_value(entry) ||
			 swaplab_shadow_slot(entry) != SWAPLAB_NO_SLOT);
}

#endif /* _SWAPLAB_SHADOW_H */
