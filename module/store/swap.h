/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backing store (swap.c): slots, what a slot number names, slot I/O.
 */
#ifndef _SWAPLAB_SWAP_H
#define _SWAPLAB_SWAP_H

#include <linux/bits.h>
#include <linux/types.h>

struct page;

/* The largest store: 1 TiB, as large as the largest region. */
#define SWAPLAB_SWAP_MAX_BYTES	BIT_ULL(40)
/* Largest I/O to the store in pages (1 MiB): a page-in with its readahead. */
#define SWAPLAB_IO_MAX		256

/*
 * A table entry's slot number from %SWAPLAB_SLOTS_MAX up names no slot of
 * the store but where the external pager's page data is (pagerdata.c):
 * with the pager, lost with it, or in a kernel buffer on its way there.
 */
#define SWAPLAB_SLOTS_MAX	BIT(30)
#define SWAPLAB_SLOT_PAGER	SWAPLAB_SLOTS_MAX
#define SWAPLAB_SLOT_LOST	(SWAPLAB_SLOTS_MAX + 1)
#define SWAPLAB_SLOT_OUT(i)	(SWAPLAB_SLOTS_MAX + 2 + (i))
/*
 * From SWAPLAB_SLOT_POOL(0) up, a slot number names an entry of the
 * compressed tier's pool (compress.c); there are SWAPLAB_POOL_IDS of them
 * at most, so that slot + 1 fits the 31 bits of a value entry.
 */
#define SWAPLAB_SLOT_POOL(i)	(SWAPLAB_SLOTS_MAX + BIT(29) + (i))
#define SWAPLAB_POOL_IDS	(BIT(29) - 2)

/**
 * swaplab_slot_on_store() - does a slot number name a slot of the store?
 * @slot: a frame's or a table entry's slot number
 *
 * Return: false for %SWAPLAB_NO_SLOT and the pager's numbers.
 */
static inline bool swaplab_slot_on_store(unsigned long slot)
{
	return slot < SWAPLAB_SLOTS_MAX;
}

/**
 * swaplab_slot_in_pool() - does a slot number name a compressed page?
 * @slot: a frame's or a table entry's slot number
 *
 * Return: true for the compressed tier's numbers (compress.c).
 */
static inline bool swaplab_slot_in_pool(unsigned long slot)
{
	return slot >= SWAPLAB_SLOT_POOL(0) &&
	       slot < SWAPLAB_SLOT_POOL(SWAPLAB_POOL_IDS);
}

/**
 * struct swaplab_swap_metadata - what the store's bookkeeping takes
 * @slots: the store's size in slots
 * @slot_map_bytes: the slot bitmap
 * @csum_bytes: the per-slot checksums, allocated only while they are on
 * @extent_bytes: the extent map
 * @crypt_bytes: the cipher's descriptor and bounce pages (encrypt=1)
 */
struct swaplab_swap_metadata {
	unsigned long slots;
	size_t slot_map_bytes;
	size_t csum_bytes;
	size_t extent_bytes;
	size_t crypt_bytes;
};

int swaplab_swap_attach(const char *path);
void swaplab_swap_metadata(struct swaplab_swap_metadata *md);
ssize_t swaplab_swap_show(char *buf);
u64 swaplab_swap_size_get(void);
int swaplab_swap_size_set(u64 bytes);
unsigned long swaplab_swap_slot_alloc(unsigned int nr, unsigned int *got);
void swaplab_swap_slot_free(unsigned long slot);
unsigned long swaplab_swap_slots_in_use(void);
unsigned long swaplab_swap_slots_total(void);
int swaplab_swap_io(struct page **pages, unsigned int nr, unsigned long slot,
		    bool write);
typedef void (*swaplab_aread_done_t)(void *ctx, int err);
int swaplab_swap_read_async(struct page **pages, unsigned int nr,
			    unsigned long slot, swaplab_aread_done_t done,
			    void *ctx);
int swaplab_swap_init(void);
unsigned long swaplab_swap_out(struct page **pages, unsigned int nr,
			       unsigned int *got);
int swaplab_swap_encrypt_set(bool on);
bool swaplab_swap_encrypt_get(void);
int swaplab_swap_checksum_set(bool on);
bool swaplab_swap_checksum_get(void);
void swaplab_swap_exit(void);

#endif /* _SWAPLAB_SWAP_H */
