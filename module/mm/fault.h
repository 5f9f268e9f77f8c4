/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault path (fault.c).
 */
#ifndef _SWAPLAB_FAULT_H
#define _SWAPLAB_FAULT_H

#include <linux/mm_types.h>
#include <linux/types.h>

struct page;
struct swaplab_region;
struct vm_fault;

bool swaplab_fault_around(void);
void swaplab_fault_set_around(bool on);
bool swaplab_fault_readahead_async(void);
void swaplab_fault_set_readahead_async(bool on);

/**
 * struct swaplab_ahead - pages a major fault read ahead, for its caller to map
 * @pages: the pages, each locked and with a reference for the caller, in
 *	index order from the faulting page's next; kmalloc()ed: kfree() it
 * @nr: how many (0: nothing was kept, and @pages is NULL)
 * @mark: the index of the first page read ahead and not kept: its first
 *	fault tells the readahead window that the pages before it were used
 */
struct swaplab_ahead {
	struct page **pages;
	unsigned int nr;
	pgoff_t mark;
};

struct page *swaplab_fault_lock_entry(struct swaplab_region *region,
				      pgoff_t index, void **entryp, bool use);
struct page *swaplab_fault_trylock_entry(struct swaplab_region *region,
					 pgoff_t index, void **entryp);
unsigned int swaplab_fault_trylock_run(struct swaplab_region *region,
				       pgoff_t first, unsigned int nr,
				       void **entries, struct page **pages);
struct page *swaplab_fault_lock_resident(struct swaplab_region *region,
					 pgoff_t index, void **entryp);
struct page *swaplab_fault_get_page(struct swaplab_region *region,
				    pgoff_t index, unsigned int *kind,
				    struct swaplab_ahead *ahead);
vm_fault_t swaplab_fault_handler(struct vm_fault *vmf);
int swaplab_fault_lock_page(struct swaplab_region *region, pgoff_t index,
			    struct page *page);

#endif /* _SWAPLAB_FAULT_H */
