// SPDX-License-Identifier: GPL-2.0
/*
 * The rmap walks reclaim needs, from region pages to the PTEs and VMAs
 * that map them: harvesting reference bits, and telling whether a page
 * is mlocked (swaplab_harvest_mlocked()) or held by someone swaplab cannot
 * make let go (swaplab_harvest_held()).
 *
 * Harvesting reference bits: test and clear the hardware accessed bit of
 * every PTE that maps a region page, and record it in the page's frame
 * (SWAPLAB_FRAME_REFERENCED), where the policies read it.
 *
 * The VMAs that map a region are exactly those linked into the region's
 * own address_space, so the walk needs no record of its own. It follows
 * the kernel's rmap: holding the address_space's i_mmap_rwsem for read
 * keeps each VMA, and its page tables, from being freed (free_pgtables()
 * unlinks the VMA under that lock first); apply_to_existing_page_range()
 * takes each page table's lock and never allocates.
 *
 * Clearing the accessed bit without a TLB flush leaves TLB entries that
 * will not set it again, so a page in constant use would look idle. A
 * module cannot flush one address (flush_tlb_mm_range() is not
 * exported), so a pass that cleared any bit ends with one flush of every
 * CPU's TLB: one IPI round per pass, not one flush per page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/interval_tree_generic.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/smp.h>

#include "lib/compat.h"
#include "mm/harvest.h"
#include "api/policy.h"
#include "alloc/proc.h"
#include "mm/region.h"
#include "lib/stat.h"

struct swaplab_harvest {
	unsigned long scanned;		/* present PTEs examined */
	unsigned long cleared;		/* accessed bits cleared */
};

static int swaplab_harvest_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct swaplab_harvest *h = data;
	struct swaplab_frame *f;
	pte_t pte = ptep_get(ptep);

	if (!pte_present(pte))
		return 0;
	h->scanned++;
	if (pte_young(pte) && swaplab_ptep_test_and_clear_young(ptep)) {
		h->cleared++;
		/* Mapped, so the frame cannot be freed under the PTL. */
		f = (struct swaplab_frame *)page_private(pte_page(pte));
		if (f) {
			swaplab_frame_referenced(f);
			swaplab_proc_referenced(f->region->proc, f);
		}
	}
	return 0;
}

static void swaplab_harvest_region(struct swaplab_region *region, void *arg)
{
	struct address_space *mapping = region->inode->i_mapping;
	struct vm_area_struct *vma;
	struct rb_node *node;

	if (!atomic_long_read(&region->nr_resident))
		return;
	i_mmap_lock_read(mapping);
	for (node = rb_first_cached(&mapping->i_mmap); node;
	     node = rb_next(node)) {
		vma = rb_entry(node, struct vm_area_struct, shared.rb);
		apply_to_existing_page_range(vma->vm_mm, vma->vm_start,
					     vma->vm_end - vma->vm_start,
					     swaplab_harvest_pte, arg);
	}
	i_mmap_unlock_read(mapping);
	cond_resched();
}

/**
 * swaplab_harvest_referenced() - move accessed bits into the frames
 *
 * Walks every PTE of every VMA of every region; counts the present PTEs
 * it examined in the aging_scanned counter, and flushes every CPU's TLB
 * if it cleared any bit.
 *
 * Context: process context, interrupts on; takes swaplab_regions_mutex
 * and each region's i_mmap_rwsem for read.
 */
void swaplab_harvest_referenced(void)
{
	struct swaplab_harvest h = { };

	swaplab_region_for_each(swaplab_harvest_region, &h);
	swaplab_count_events(SWAPLAB_AGING_SCANNED, h.scanned);
	if (h.cleared) {
		on_each_cpu(swaplab_flush_tlb_local, NULL, 1);
		swaplab_count_event(SWAPLAB_TLB_FLUSHES);
	}
}

/*
 * A region's address_space keeps the VMAs that map it in an interval tree
 * (i_mmap), augmented by the last page offset of each subtree; the
 * kernel's own search of it, vma_interval_tree_iter_first(), is not
 * exported. This is the same tree definition (mm/interval_tree.c), used
 * only to search: the VMAs that cover one page are found in O(log n), so
 * a region split into 60k VMAs by mprotect() costs a victim no more than
 * a region of one. Inserting and removing stay the kernel's.
 */
static unsigned long swaplab_vma_start(struct vm_area_struct *vma)
{
	return vma->vm_pgoff;
}

static unsigned long swaplab_vma_last(struct vm_area_struct *vma)
{
	return vma->vm_pgoff + vma_pages(vma) - 1;
}

INTERVAL_TREE_DEFINE(struct vm_area_struct, shared.rb, unsigned long,
		     shared.rb_subtree_last, swaplab_vma_start,
		     swaplab_vma_last, static __maybe_unused, swaplab_vma_it)

static int swaplab_harvest_mkold_pte(pte_t *ptep, unsigned long addr,
				     void *data)
{
	if (pte_present(ptep_get(ptep)))
		swaplab_ptep_test_and_clear_young(ptep);
	return 0;
}

/**
 * swaplab_harvest_mkold() - make PTEs just installed old
 * @vma: a VMA the caller holds (its mmap or VMA lock)
 * @addr: the first address, page aligned, inside @vma
 * @nr: how many pages from @addr, all inside @vma
 *
 * For pages mapped before anybody used them (fault-around): x86's page
 * protections install PTEs young, and the next harvest would take them
 * for references. No TLB entry can hold a PTE nobody has used yet, so no
 * flush is needed; one used in between loses that one reference.
 *
 * Context: process context; takes the page tables' locks.
 */
void swaplab_harvest_mkold(struct vm_area_struct *vma, unsigned long addr,
			   unsigned long nr)
{
	apply_to_existing_page_range(vma->vm_mm, addr, nr << PAGE_SHIFT,
				     swaplab_harvest_mkold_pte, NULL);
}

/* The pages a move just mapped from @addr of @vma, in order. */
struct swaplab_harvest_placed {
	struct vm_area_struct *vma;
	unsigned long addr;
	struct page **pages;
};

/*
 * Under the page table's lock: a PTE of a page the caller holds locked,
 * unless something else stands there now, made old; and, for a dirty
 * page, writable and dirty, as a write fault leaves it.
 */
static int swaplab_harvest_placed_pte(pte_t *ptep, unsigned long addr,
				      void *data)
{
	struct swaplab_harvest_placed *pl = data;
	struct page *page = pl->pages[(addr - pl->addr) >> PAGE_SHIFT];
	pte_t pte = ptep_get(ptep);

	if (!pte_present(pte) || pte_pfn(pte) != page_to_pfn(page))
		return 0;
	if (!folio_test_dirty(page_folio(page))) {
		swaplab_ptep_test_and_clear_young(ptep);
		return 0;
	}
	/* Writable first: x86 keeps a read-only PTE's dirty bit aside. */
	pte = pte_mkdirty(swaplab_pte_mkwrite(pte_mkold(pte)));
	set_pte_at(pl->vma->vm_mm, addr, ptep, pte);
	return 0;
}

/**
 * swaplab_harvest_placed() - settle the PTEs a move just installed
 * @vma: a VMA the caller holds (its mmap lock), of the region @pages are in
 * @addr: the first address, page aligned, inside @vma
 * @pages: the pages vm_insert_pages() mapped from @addr, each locked by
 *	the caller
 * @nr: how many, all inside @vma
 *
 * The PTEs are made old, as swaplab_harvest_mkold() makes them. In a
 * shared writable mapping, a page already dirty is also made writable
 * and dirty: a page is made clean only once it is unmapped everywhere
 * (range.c, reclaim.c), so its writes need no fault to be tracked, and
 * the first write takes none. A clean page stays read-only until its
 * first write, which page_mkwrite marks dirty. A PTE that changes while
 * it is rewritten (the accessed bit set by a use in between) loses that
 * one reference; none can have been written through.
 *
 * Context: process context; takes the page tables' locks.
 */
void swaplab_harvest_placed(struct vm_area_struct *vma, unsigned long addr,
			    struct page **pages, unsigned long nr)
{
	struct swaplab_harvest_placed pl = {
		.vma = vma, .addr = addr, .pages = pages,
	};

	if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) !=
	    (VM_SHARED | VM_WRITE)) {
		swaplab_harvest_mkold(vma, addr, nr);
		return;
	}
	apply_to_existing_page_range(vma->vm_mm, addr, nr << PAGE_SHIFT,
				     swaplab_harvest_placed_pte, &pl);
}

/**
 * swaplab_harvest_vmas() - call @fn on each VMA that maps a range
 * @region: the region
 * @first: the range's first page index
 * @last: its last
 * @fn: called with each VMA whose pages overlap [@first, @last], under the
 *	region's i_mmap_rwsem for read (the VMA cannot go meanwhile); it
 *	must not sleep on anything that lock's writers hold (a VMA's mm's
 *	mmap_lock, for one: only trylocks). Returns false to stop.
 * @arg: passed to @fn
 *
 * Context: process context; takes the region's i_mmap_rwsem for read.
 */
void swaplab_harvest_vmas(struct swaplab_region *region,
			  pgoff_t first, pgoff_t last,
			  bool (*fn)(struct vm_area_struct *, void *),
			  void *arg)
{
	struct address_space *mapping = region->inode->i_mapping;
	struct vm_area_struct *vma;

	i_mmap_lock_read(mapping);
	vma = swaplab_vma_it_iter_first(&mapping->i_mmap, first, last);
	while (vma && fn(vma, arg))
		vma = swaplab_vma_it_iter_next(vma, first, last);
	i_mmap_unlock_read(mapping);
}

/**
 * swaplab_harvest_range_mlocked() - is a page of a range mlocked?
 * @region: the region
 * @first: the range's first page index
 * @last: its last
 *
 * The page's PG_mlocked cannot tell: region pages are not on the LRU, so
 * the kernel keeps no mlock count for them, and the first munlock (one of
 * two locking processes exiting) clears the flag. The VMAs can: a page is
 * mlocked while any VM_LOCKED VMA of the region covers it.
 *
 * Context: process context; takes the region's i_mmap_rwsem for read.
 * Return: true if some VM_LOCKED VMA maps a page of [@first, @last].
 */
bool swaplab_harvest_range_mlocked(struct swaplab_region *region,
				   pgoff_t first, pgoff_t last)
{
	struct address_space *mapping = region->inode->i_mapping;
	struct vm_area_struct *vma;
	bool locked = false;

	i_mmap_lock_read(mapping);
	for (vma = swaplab_vma_it_iter_first(&mapping->i_mmap, first, last);
	     vma && !locked;
	     vma = swaplab_vma_it_iter_next(vma, first, last))
		locked = READ_ONCE(vma->vm_flags) & VM_LOCKED;
	i_mmap_unlock_read(mapping);
	return locked;
}

/**
 * swaplab_harvest_mlocked() - is a region page mapped by an mlocked VMA?
 * @region: the region
 * @index: the page's index in it
 *
 * Context: process context; takes the region's i_mmap_rwsem for read.
 * Return: true if some VM_LOCKED VMA maps @index.
 */
bool swaplab_harvest_mlocked(struct swaplab_region *region, pgoff_t index)
{
	return swaplab_harvest_range_mlocked(region, index, index);
}

/**
 * swaplab_harvest_held() - does someone outside swaplab hold a frame's page?
 * @f: the frame
 *
 * The region's table holds one reference and every PTE that maps the page
 * one more; anything beyond those is a user swaplab cannot make let go:
 * get_user_pages() for I/O, a pipe the page was vmsplice()d into, a
 * long-term pin. Such a page cannot be evicted until it is released.
 * Racy by nature (a fault may map the page meanwhile): a page wrongly
 * judged free is found held again by reclaim, which re-checks it locked.
 *
 * Context: any.
 * Return: true if the page has references other than the table's and its
 * mappings'.
 */
bool swaplab_harvest_held(struct swaplab_frame *f)
{
	struct folio *folio = page_folio(f->page);

	return folio_maybe_dma_pinned(folio) ||
	       folio_ref_count(folio) > 1 + swaplab_folio_mapcount(folio);
}
