/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal types and functions shared between swaplab's files.
 */
#ifndef _SWAPLAB_H
#define _SWAPLAB_H

#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/jump_label.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/mm_types.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

#include "prefetch.h"
#include "uapi/swaplab.h"

struct inode;
struct kobject;
struct ns_common;
struct swaplab_policy_ops;
struct user_struct;

/* The smallest frame budget a user may set, in pages. */
#define SWAPLAB_FRAMES_MIN	16UL
/* Default frame budget: 16 MiB of 4 KiB pages. */
#define SWAPLAB_FRAMES_DEFAULT	4096UL
/* Default region size limit in bytes, and the largest one allowed. */
#define SWAPLAB_REGION_MAX_DEFAULT	((u64)SZ_1G)
#define SWAPLAB_REGION_MAX_LIMIT	BIT_ULL(40)

/*
 * Largest batch of pages reclaim isolates, and so the largest page-out
 * I/O; the simulator's default batch models it.
 */
#define SWAPLAB_RECLAIM_BATCH	32
/*
 * Frames a CPU's admission batch holds at most, and by default: the
 * kernel's folio batch and its LRU batch (core.c).
 */
#define SWAPLAB_ADMIT_BATCH_MAX		31
#define SWAPLAB_ADMIT_BATCH_DEFAULT	15
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
 * struct swaplab_region - one pageable memory object
 * @kref: one reference per open file of the region (a VMA holds its file,
 *	so it needs none of its own: see vma.c), and one per frame of it that
 *	reclaim has isolated
 * @id: number reported to userspace, unique while the module is loaded
 * @max_pages: size limit in pages; faults at or beyond it get SIGBUS
 * @inode: private inode whose address_space holds every VMA mapping the
 *	region, so that (mapping, pgoff) names exactly one page of it
 * @pages: the region's page table: page index -> &struct swaplab_frame
 *	for a resident page (the frame holds a page reference), or a
 *	value entry for a page that is out: its swap slot, if it has one,
 *	and its shadow (shadow.c). An absent entry, or a shadow with no
 *	slot, is a page that reads as zeroes. Entries
 *	change under the xarray's lock, and only with the page concerned
 *	locked (a new page is inserted locked).
 * @nr_resident: number of frame entries in @pages
 * @nr_swapped: number of value entries in @pages that name a slot
 * @nr_pinned: number of pinned frames
 * @nr_faults: faults taken on the region's pages, SIGBUS ones included
 * @nr_major: those of them that read the page from the backing store
 * @pf_lock: serialises the calls to the prefetcher for the region, and
 *	protects @pf_ops and @pf_state (prefetch.c)
 * @pf_ops: the prefetcher @pf_state belongs to; NULL before the first
 *	major fault
 * @pf_state: that prefetcher's state for the region
 * @ra_hits: pages read ahead in the region and then used, since the
 *	region's last major fault
 * @ra_mark: with fault-around, the index of the page read ahead but left
 *	unmapped after the pages a major fault mapped (fault.c)
 * @ra_mapped: how many pages that fault mapped ahead of @ra_mark
 * @ra_async_next: with asynchronous readahead, the first page of the
 *	window it reads next (fault.c)
 * @ra_async_nr: the pages of that window
 * @node: entry in the list of all regions, under swaplab_regions_mutex
 * @rcu: frees the region after a grace period, for lookups by id
 * @name: for a named region, its name; empty for an anonymous one
 * @ipc_ns: for a named region, the IPC namespace its name lives in (a
 *	reference); NULL for an anonymous one
 * @record: record mode's state (record.c), NULL until it is first set
 * @uid: owner of a named region
 * @gid: group of a named region
 * @mode: permission bits of a named region
 * @pager_claimed: the external pager keeps the region's pages
 *	(pagerdata.c; under its rwsem)
 * @pager_node: in pagerdata.c's list of claimed regions (under its mutex)
 *
 * A region is what a process maps from /dev/swaplab: the backing object
 * of every MAP_SHARED mapping of one open file, at any offset. It lives
 * until the last file and the last VMA that use it are gone.
 */
struct swaplab_region {
	struct kref kref;
	u64 id;
	unsigned long max_pages;
	struct inode *inode;
	struct xarray pages;
	atomic_long_t nr_resident;
	atomic_long_t nr_swapped;
	atomic_long_t nr_pinned;
	atomic_long_t nr_faults;
	atomic_long_t nr_major;
	spinlock_t pf_lock;	/* @pf_ops, @pf_state */
	const struct swaplab_prefetch_ops *pf_ops;
	unsigned long pf_state[SWAPLAB_PREFETCH_STATE_MAX / sizeof(unsigned long)];
	atomic_t ra_hits;
	unsigned long ra_mark;
	unsigned int ra_mapped;
	unsigned long ra_async_next;
	unsigned int ra_async_nr;
	struct list_head node;
	struct rcu_head rcu;
	char name[SWAPLAB_NAME_MAX];
	struct ns_common *ipc_ns;
	struct swaplab_record *record;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	bool pager_claimed;
	struct list_head pager_node;
};

struct swaplab_frame;
struct swaplab_record;

/* region.c */
struct swaplab_frame *swaplab_region_admitted_frame(u64 id, u64 index);
bool swaplab_region_has_page(u64 id, u64 index);
bool swaplab_region_owned(const struct swaplab_region *region);
int swaplab_region_init(void);
void swaplab_region_exit(void);
struct swaplab_region *swaplab_region_create(unsigned long max_pages);
void swaplab_region_get(struct swaplab_region *region);
void swaplab_region_put(struct swaplab_region *region);
struct swaplab_frame *swaplab_region_frame_alloc(struct swaplab_region *region,
						 pgoff_t index, gfp_t gfp);
void swaplab_region_frame_free(struct swaplab_frame *f);
void swaplab_region_evicted(struct swaplab_frame *f, void *entry);
struct swaplab_region *swaplab_region_attach(const struct swaplab_attach *at,
					     fmode_t fmode);
struct file *swaplab_region_file(struct swaplab_region *region, int flags,
				 const struct file_operations *fops);
unsigned long swaplab_region_count(void);
u64 swaplab_region_max(void);
int swaplab_region_set_max(u64 bytes);
u64 swaplab_region_id_next(void);
int swaplab_region_set_id_next(u64 id);
void swaplab_region_for_each(void (*fn)(struct swaplab_region *, void *),
			     void *arg);
unsigned long swaplab_region_xa_nodes(struct swaplab_region *region);
unsigned int swaplab_region_frame_size(void);
unsigned int swaplab_region_size(void);
void swaplab_region_info(struct swaplab_region *region,
			 struct swaplab_region_info *info);

/* prefetch.c */
/* The readahead knob's names for adaptive and leap (not numbers of pages). */
#define SWAPLAB_READAHEAD_AUTO	UINT_MAX
#define SWAPLAB_READAHEAD_LEAP	(UINT_MAX - 1)
/* The configured window's default: the kernel's page-cluster 3. */
#define SWAPLAB_PREFETCH_WINDOW_DEFAULT	8
int swaplab_prefetch_select(const char *name);
const char *swaplab_prefetch_name(void);
ssize_t swaplab_prefetch_list(char *buf);
unsigned int swaplab_prefetch_window_size(void);
int swaplab_prefetch_set_window_size(unsigned int pages);
bool swaplab_prefetch_off(void);
unsigned int swaplab_prefetch_readahead(void);
int swaplab_prefetch_set_readahead(unsigned int pages);
int swaplab_prefetch_stat(char *buf, int len);
void swaplab_prefetch_issued(struct swaplab_region *region, unsigned int nr);
void swaplab_prefetch_region_init(struct swaplab_region *region);
unsigned int swaplab_prefetch_ask(struct swaplab_region *region,
				  pgoff_t index, unsigned long *pages,
				  unsigned int max);
void swaplab_prefetch_hit(struct swaplab_region *region, pgoff_t index,
			  unsigned int used);

/* fault.c */
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

struct page *swaplab_fault_lock_resident(struct swaplab_region *region,
					 pgoff_t index, void **entryp);
struct page *swaplab_fault_get_page(struct swaplab_region *region,
				    pgoff_t index, unsigned int *kind,
				    struct swaplab_ahead *ahead);
vm_fault_t swaplab_fault_handler(struct vm_fault *vmf);
int swaplab_fault_lock_page(struct swaplab_region *region, pgoff_t index,
			    struct page *page);

/* range.c */
int swaplab_range_ioctl(struct swaplab_region *region, unsigned int cmd,
			const struct swaplab_range *range);

/* pager.c */
struct swaplab_pager_attach;
struct swaplab_pager_data;
struct swaplab_pager_event;
struct swaplab_pager_page;
struct file *swaplab_pager_file(struct inode *node,
				struct swaplab_pager_attach *arg);
bool swaplab_pager_emit(const struct swaplab_pager_event *ev);
bool swaplab_pager_emit_page(u16 type, u64 region, u64 index, u64 arg);
void swaplab_pager_set_gone(void (*fn)(const char *why));
int swaplab_pager_claim(struct file *pager, struct swaplab_region *region);
bool swaplab_pager_ready(void);
bool swaplab_pager_want(unsigned int nr, unsigned int timeout_ms,
			bool may_rescan, u64 *since);
bool swaplab_pager_pop(struct swaplab_pager_page *pg);
bool swaplab_pager_take_rescan(void);
int swaplab_pager_wait(u64 since);
void swaplab_pager_eject_invalid(void);

/**
 * swaplab_pager_process() - is the current task of the pager's process?
 * @mm: the mm the pager attached with (its mmgrab() keeps the pointer
 *	from naming another mm), or NULL
 * @tgid: the pager's thread group (a reference is held), or NULL
 *
 * The mm alone misses the pager after an exec, which gives the process a
 * new mm but keeps the pager file open: the thread group stays.
 *
 * Context: any task context.
 * Return: true for a thread of the pager's process, or a task sharing
 * the mm it attached with.
 */
static inline bool swaplab_pager_process(const struct mm_struct *mm,
					 const struct pid *tgid)
{
	return (mm && current->mm == mm) || (tgid && task_tgid(current) == tgid);
}

/* pagerdata.c */
void swaplab_pagerdata_init(void);
void swaplab_pagerdata_attach(struct mm_struct *mm, struct pid *tgid,
			      unsigned int timeout_ms, bool all);
void swaplab_pagerdata_region_new(struct swaplab_region *region);
void swaplab_pagerdata_detach(void);
int swaplab_pagerdata_claim(struct swaplab_region *region);
void swaplab_pagerdata_region_gone(struct swaplab_region *region);
struct swaplab_pagerdata_req;
struct swaplab_pagerdata_req *swaplab_pagerdata_request(struct swaplab_frame *f,
							u32 *seq, u64 *gen);
void *swaplab_pagerdata_restore(struct swaplab_region *region, void *entry,
				u64 gen);
void swaplab_pagerdata_cancel(struct swaplab_pagerdata_req *req, u32 seq);
int swaplab_pagerdata_wait(struct swaplab_frame *f,
			   struct swaplab_pagerdata_req *req, u32 seq);
int swaplab_pagerdata_copy_back(struct swaplab_frame *f, unsigned long slot);
bool swaplab_pagerdata_begin(struct swaplab_region *region);
unsigned long swaplab_pagerdata_pageout(struct swaplab_frame *f, bool dirty,
					u32 *seq);
void swaplab_pagerdata_end(void);
bool swaplab_pagerdata_drop(struct swaplab_region *region, pgoff_t index,
			    unsigned long slot);
long swaplab_pagerdata_supply(const struct swaplab_pager_data *d);
long swaplab_pagerdata_take(const struct swaplab_pager_data *d);
void swaplab_pagerdata_unsent(u32 seq);
unsigned int swaplab_pagerdata_buffers(void);

/* policy_pager.c: the external pager's policy, in the module only. */
extern struct swaplab_policy_ops swaplab_policy_pager;

/* record.c */
int swaplab_record_set(struct swaplab_region *region, u32 arg);
u32 swaplab_record_tag(const struct swaplab_region *region);
void swaplab_record_fault(struct swaplab_region *region, pgoff_t index);
void swaplab_record_free(struct swaplab_region *region);

/* harvest.c */
void swaplab_harvest_referenced(void);
void swaplab_harvest_mkold(struct vm_area_struct *vma, unsigned long addr,
			   unsigned long nr);
bool swaplab_harvest_mlocked(struct swaplab_region *region, pgoff_t index);
bool swaplab_harvest_held(struct swaplab_frame *f);

/* reclaim.c */
#define SWAPLAB_RECLAIM_DELAY_MAX_MS	1000
unsigned int swaplab_reclaim(unsigned int nr, bool *busy);
unsigned int swaplab_reclaim_unmap_delay(void);
int swaplab_reclaim_set_unmap_delay(u64 ms);

/* daemon.c */
int swaplab_daemon_init(void);
void swaplab_daemon_exit(void);
void swaplab_daemon_wake(void);

/* swap.c */

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

/* compress.c */
/* The default of compress_pool_max: a quarter of the default budget. */
#define SWAPLAB_POOL_MAX_DEFAULT	(SWAPLAB_FRAMES_DEFAULT * PAGE_SIZE / 4)
int swaplab_compress_init(void);
void swaplab_compress_exit(void);
int swaplab_compress_select(const char *buf);
ssize_t swaplab_compress_show(char *buf);
u64 swaplab_compress_pool_max(void);
int swaplab_compress_set_pool_max(u64 bytes);
int swaplab_compress_stat(char *buf, int len);
bool swaplab_compress_store(struct swaplab_frame *f, unsigned long *slot);
int swaplab_compress_load(unsigned long slot, struct page *page, bool fault);
void swaplab_compress_drop(unsigned long slot);

/* csum.c */
void swaplab_csum_init(void);
void swaplab_csum_exit(void);
const char *swaplab_csum_driver(void);
u32 swaplab_csum_page(struct page *page);

/* crypt.c */
/* Pages a cipher encrypts at once, into its bounce pages (128 KiB). */
#define SWAPLAB_CRYPT_BATCH	32
struct swaplab_crypt;
struct swaplab_crypt *swaplab_crypt_create(void);
void swaplab_crypt_destroy(struct swaplab_crypt *c);
size_t swaplab_crypt_bytes(const struct swaplab_crypt *c);
int swaplab_crypt_encrypt(struct swaplab_crypt *c, struct page **pages,
			  unsigned int nr, unsigned long slot,
			  struct page **out);
void swaplab_crypt_done(struct swaplab_crypt *c);
int swaplab_crypt_decrypt(struct swaplab_crypt *c, struct page *page,
			  unsigned long slot);

/* core.c */
enum swaplab_admit_reason;
struct swaplab_refault;

void swaplab_core_access(struct swaplab_frame *f);
void swaplab_core_admit(struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			const struct swaplab_refault *refault);
bool swaplab_core_forget(struct swaplab_frame *f);
unsigned long swaplab_core_evicted(struct swaplab_frame *f,
				   unsigned int *record);
unsigned long swaplab_core_eviction_clock(unsigned long *switched_at);
void swaplab_core_assert_held(void);
void swaplab_core_lock(void);
void swaplab_core_unlock(void);
bool swaplab_core_is_current(const struct swaplab_policy_ops *ops);
unsigned int swaplab_core_isolate(struct list_head *list, unsigned int nr,
				  void (*refresh)(void), int (*wait)(u64 since),
				  bool (*unevictable)(struct swaplab_frame *f));
void swaplab_core_putback(struct list_head *list);
void swaplab_core_park(struct list_head *list);
void swaplab_core_pin(struct swaplab_frame *f);
void swaplab_core_unpin(struct swaplab_frame *f);
bool swaplab_core_take(struct swaplab_frame *f);
void swaplab_core_tick(bool (*due)(void));
unsigned long swaplab_core_last_tick(void);
unsigned long swaplab_core_admitted(void);
unsigned int swaplab_core_policy_flags(void);
int swaplab_core_switch(struct swaplab_policy_ops *ops, void *state,
			struct swaplab_policy_ops **old, void **old_state);
void swaplab_core_resize(void);
struct swaplab_policy_ops *swaplab_core_detach(void **state);
void swaplab_core_policy_name(char *name);
void swaplab_core_drain(void);
unsigned int swaplab_core_admit_batch(void);
int swaplab_core_set_admit_batch(unsigned int size);
int swaplab_core_init(void);
void swaplab_core_exit(void);

/* shadow.c */
void *swaplab_shadow_entry(unsigned long slot, unsigned long stamp,
			   unsigned int record);
unsigned long swaplab_shadow_slot(const void *entry);
void *swaplab_shadow_reslot(const void *entry, unsigned long slot);
bool swaplab_shadow_refault(const void *entry, struct swaplab_refault *r);
void swaplab_shadow_drop(const void *entry);
unsigned long swaplab_shadow_count(void);
unsigned long swaplab_shadow_max(void);
int swaplab_shadow_set_max(unsigned long nr);
void swaplab_shadow_init(void);
u64 swaplab_shadow_distance_read(unsigned int bucket);
#define SWAPLAB_SHADOW_DIST_BUCKETS	24

/* policy.c */
/* The policy selected at load, and after an eBPF one detaches. */
#define SWAPLAB_DEFAULT_POLICY	"gen"
int swaplab_policy_init(struct swaplab_policy_ops **builtin, int nr);
void swaplab_policy_exit(struct swaplab_policy_ops **builtin, int nr);
int swaplab_policy_set(const char *name);
void swaplab_policy_retire(struct swaplab_policy_ops *ops);
bool swaplab_policy_leave(struct swaplab_policy_ops *ops);
int swaplab_policy_sysfs_init(struct kobject *parent);
void swaplab_policy_sysfs_exit(void);
ssize_t swaplab_policy_show_current(char *buf);
ssize_t swaplab_policy_show_available(char *buf);

/* tick.c */
bool swaplab_tick_due(void);
void swaplab_tick(void);
void swaplab_tick_start(void);
unsigned int swaplab_tick_interval_ms(void);
int swaplab_tick_set_interval_ms(unsigned int ms);
void swaplab_tick_exit(void);

/* vma.c */
extern const struct vm_operations_struct swaplab_vma_ops;

/* chardev.c */
int swaplab_chardev_init(umode_t mode);
void swaplab_chardev_exit(void);

/* frames.c */

/* Reclaim passes in a row that free nothing before giving up. */
#define SWAPLAB_MAX_RECLAIM_RETRIES	16

/**
 * struct swaplab_reclaimer - how the frame budget gets frames back
 * @wake: wake the page daemon if free frames are below the low watermark,
 *	and end its stall: something it waits for changed. Any process
 *	context.
 * @reclaim: evict up to @nr pages in the calling thread, for a fault that
 *	reclaims for itself (daemon=0); as swaplab_reclaim(), which it is
 *
 * frames.c is below the daemon and reclaim and calls neither by name;
 * swaplab_daemon_init() registers these with swaplab_frames_set_reclaimer().
 */
struct swaplab_reclaimer {
	void (*wake)(void);
	unsigned int (*reclaim)(unsigned int nr, bool *busy);
};

void swaplab_frames_init(unsigned long budget);
void swaplab_frames_set_reclaimer(const struct swaplab_reclaimer *r);
bool swaplab_frames_get(void);
void swaplab_frames_put(void);
unsigned long swaplab_frames_budget(void);
int swaplab_frames_set_budget(unsigned long budget);
unsigned long swaplab_frames_used(void);
unsigned long swaplab_frames_free(void);
bool swaplab_frames_pin_get(void);
void swaplab_frames_pin_put(void);
unsigned long swaplab_frames_pinned(void);
unsigned long swaplab_frames_watermark(bool high);
unsigned long swaplab_frames_watermark_working(bool high);
int swaplab_frames_set_watermarks(unsigned long low, unsigned long high);
bool swaplab_frames_daemon_enabled(void);
void swaplab_frames_daemon_enable(bool on);
bool swaplab_frames_below_low(void);
bool swaplab_frames_balanced(void);
void swaplab_frames_wake(void);
void swaplab_frames_reclaim_failed(void);
int swaplab_frames_reserve(void);

/* memlock.c */
int swaplab_memlock_charge(unsigned long nr, struct user_struct **userp);
void swaplab_memlock_uncharge(struct user_struct *user, unsigned long nr);

/* pagebuf.c */
void swaplab_pagebuf_add(unsigned long slot, struct page *page);
bool swaplab_pagebuf_holds(unsigned long slot);
struct page *swaplab_pagebuf_take(unsigned long slot);
void swaplab_pagebuf_forget(unsigned long slot);
void swaplab_pagebuf_trim(unsigned long keep);
unsigned long swaplab_pagebuf_pages(void);
bool swaplab_pagebuf_enabled(void);
void swaplab_pagebuf_enable(bool on);

/* stat.c */
enum swaplab_stat_item {
	SWAPLAB_FAULTS,
	SWAPLAB_MAJOR_FAULTS,
	SWAPLAB_ZERO_FILLS,
	SWAPLAB_SWAP_INS,
	SWAPLAB_SWAP_OUTS,
	SWAPLAB_EVICTIONS,
	SWAPLAB_CLEAN_EVICTIONS,
	SWAPLAB_DAEMON_WAKEUPS,
	SWAPLAB_DIRECT_RECLAIMS,
	SWAPLAB_ALLOC_STALLS,
	SWAPLAB_IO_ERRORS,
	SWAPLAB_SIGBUS,
	SWAPLAB_AGING_SCANNED,
	SWAPLAB_SWAP_OUT_IOS,
	SWAPLAB_TLB_FLUSHES,
	SWAPLAB_AGING_TICKS,
	SWAPLAB_READAHEAD_HITS,
	SWAPLAB_READAHEAD_PAGES,
	SWAPLAB_READAHEAD_MISSES,
	SWAPLAB_SWAP_FULL,
	SWAPLAB_CSUM_ERRORS,
	SWAPLAB_HELD_PARKED,
	SWAPLAB_FAULTS_KILLED,
	SWAPLAB_WRITE_NOTIFY,
	SWAPLAB_REFAULTS,
	SWAPLAB_REFAULTS_PREDICTED,
	SWAPLAB_ADMIT_BATCHED,
	SWAPLAB_ADMIT_DRAINS,
	SWAPLAB_SHADOWS_DROPPED,
	SWAPLAB_PAGER_EVENTS,
	SWAPLAB_PAGER_EVENTS_LOST,
	SWAPLAB_PAGER_FALLBACK,
	SWAPLAB_PAGER_ANSWERS,
	SWAPLAB_PAGER_INVALID,
	SWAPLAB_PAGER_TIMEOUTS,
	SWAPLAB_PAGER_SELF,
	SWAPLAB_PAGER_EJECTIONS,
	SWAPLAB_PAGER_DATA_IN,
	SWAPLAB_PAGER_DATA_OUT,
	SWAPLAB_PAGER_DATA_CLEAN,
	SWAPLAB_PAGER_DATA_FULL,
	SWAPLAB_PAGER_DATA_TIMEOUTS,
	SWAPLAB_PAGER_DATA_STALE,
	SWAPLAB_PAGER_DATA_FLUSHED,
	SWAPLAB_PAGER_LOST,
	SWAPLAB_BPF_ANSWERS,
	SWAPLAB_BPF_INVALID,
	SWAPLAB_BPF_FALLBACK,
	SWAPLAB_BPF_TIMEOUTS,
	SWAPLAB_BPF_EJECTIONS,
	SWAPLAB_READAHEAD_MAPPED,
	SWAPLAB_COMPRESS_STORED,
	SWAPLAB_COMPRESS_REJECTED,
	SWAPLAB_SAME_FILLED,
	SWAPLAB_COMPRESS_WRITEBACK,
	SWAPLAB_COMPRESS_HITS,
	SWAPLAB_PAGEBUF_HITS,
	SWAPLAB_PAGEBUF_DROPS,
	SWAPLAB_RECLAIM_UNMAPS,
	SWAPLAB_READAHEAD_ASYNC,
	NR_SWAPLAB_STAT_ITEMS
};

/**
 * struct swaplab_stat_cpu - one CPU's event counters
 * @count: one counter per &enum swaplab_stat_item, only ever incremented
 */
struct swaplab_stat_cpu {
	unsigned long count[NR_SWAPLAB_STAT_ITEMS];
};

DECLARE_PER_CPU(struct swaplab_stat_cpu, swaplab_stat_cpu);

/**
 * swaplab_count_event() - count one event
 * @item: which counter
 *
 * Context: any; lock-free (this_cpu_inc()).
 */
static inline void swaplab_count_event(enum swaplab_stat_item item)
{
	this_cpu_inc(swaplab_stat_cpu.count[item]);
}

/**
 * swaplab_count_events() - count several events
 * @item: which counter
 * @nr: how many
 *
 * Context: any; lock-free.
 */
static inline void swaplab_count_events(enum swaplab_stat_item item,
					unsigned long nr)
{
	this_cpu_add(swaplab_stat_cpu.count[item], nr);
}

unsigned long swaplab_stat_read(enum swaplab_stat_item item);
const char *swaplab_stat_name(enum swaplab_stat_item item);

/* latency.c */
/*
 * Fault latency histogram: log-linear buckets, four to an octave (values
 * below 4 ns have a bucket each), up to 2^40 ns.
 */
#define SWAPLAB_LAT_SUB_BITS	2
#define SWAPLAB_LAT_BUCKETS	(40 << SWAPLAB_LAT_SUB_BITS)
/* Fault kinds the histogram tells apart: minor, zero-fill, major. */
#define SWAPLAB_LAT_KINDS	3

DECLARE_STATIC_KEY_FALSE(swaplab_latency_on);

/**
 * swaplab_latency_start() - the clock at a fault's start, if faults are timed
 *
 * Two clock reads a fault are not free (under emulation they are a tenth
 * of a resident fault), so, as the kernel does with delay accounting, the
 * histogram is off unless the knob fault_latency turns it on; off, the
 * fault path pays one patched-out branch.
 *
 * Context: any.
 * Return: ktime_get_ns(), or 0 when fault_latency is off.
 */
static inline u64 swaplab_latency_start(void)
{
	return static_branch_unlikely(&swaplab_latency_on) ? ktime_get_ns() : 0;
}

void swaplab_latency_record(unsigned int kind, u64 start);
bool swaplab_latency_enabled(void);
void swaplab_latency_enable(bool on);
u64 swaplab_latency_read(unsigned int kind, unsigned int bucket);
u64 swaplab_latency_bucket_low(unsigned int bucket);

/* debugfs.c */
void swaplab_debugfs_init(void);
void swaplab_debugfs_exit(void);

/* sysfs.c */
int swaplab_sysfs_parse_size(const char *buf, u64 *bytes);
int swaplab_sysfs_init(void);
void swaplab_sysfs_exit(void);

#endif /* _SWAPLAB_H */
