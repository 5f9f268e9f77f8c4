/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * swaplab user ABI: shared, as one copy, by the module, userspace/ and
 * selftests/.
 */
#ifndef _UAPI_SWAPLAB_H
#define _UAPI_SWAPLAB_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SWAPLAB_DEVICE		"/dev/swaplab"
#define SWAPLAB_SYSFS		"/sys/kernel/swaplab"

/*
 * The highest region id: a page's number, the region's id times 2^40 plus
 * its index (swaplab_bpf.h, swaplab record), has 24 bits for the id.
 */
#define SWAPLAB_REGION_ID_MAX	((1U << 24) - 1)

/**
 * struct swaplab_region_info - what SWAPLAB_IOC_REGION_INFO reports
 * @id: the region's number, 1 to %SWAPLAB_REGION_ID_MAX, unique among live
 *	regions: numbers are given in turn and round again, skipping the
 *	live regions', as PIDs are
 * @size: the region's size limit in bytes; mmap() beyond it is refused
 * @resident: pages of the region that hold a frame now
 * @swapped: pages of the region held in swap slots only
 * @pinned: pages of the region pinned with SWAPLAB_IOC_PIN
 * @owner: the id of the process the region is charged to: the thread
 *	group that created it, shown with this id in debugfs's procs table
 *	(0 from a module older than this field)
 * @reserved: zero; room to grow without a new ioctl number
 */
struct swaplab_region_info {
	__u64 id;
	__u64 size;
	__u64 resident;
	__u64 swapped;
	__u64 pinned;
	__u64 owner;
	__u64 reserved[2];
};

#define SWAPLAB_NAME_MAX	64

/* swaplab_attach.flags */
#define SWAPLAB_ATTACH_CREATE	0x1	/* create the region if missing */
#define SWAPLAB_ATTACH_EXCL	0x2	/* with CREATE: fail if it exists */
#define SWAPLAB_ATTACH_CLOEXEC	0x4	/* the new descriptor is O_CLOEXEC */

/**
 * struct swaplab_attach - SWAPLAB_IOC_ATTACH's argument
 * @name: the region's name, NUL-terminated, 1 to 63 characters; names
 *	are per IPC namespace, as System V IPC keys are
 * @size: size limit in bytes when creating (a multiple of the page size);
 *	0 for region_max
 * @flags: %SWAPLAB_ATTACH_CREATE, %SWAPLAB_ATTACH_EXCL,
 *	%SWAPLAB_ATTACH_CLOEXEC
 * @mode: permission bits (as for a file: owner, group, others; read and
 *	write) when creating; 0 means 0600
 * @reserved: must be zero
 */
struct swaplab_attach {
	char name[SWAPLAB_NAME_MAX];
	__u64 size;
	__u32 flags;
	__u32 mode;
	__u64 reserved[4];
};

/**
 * struct swaplab_range - a byte range of the region, page aligned
 * @offset: first byte, a multiple of the page size
 * @length: bytes, a multiple of the page size, not 0
 */
struct swaplab_range {
	__u64 offset;
	__u64 length;
};

/**
 * struct swaplab_move - SWAPLAB_IOC_MOVE's argument
 * @dst_fd: the destination: a file of /dev/swaplab or of a named region
 *	(SWAPLAB_IOC_ATTACH), open for writing (for reading and writing
 *	with %SWAPLAB_MOVE_EXCHANGE); it may be the same region
 * @flags: 0, or %SWAPLAB_MOVE_EXCHANGE: the two ranges exchange their
 *	pages, whatever the destination's hold (a page that reads as
 *	zeroes goes as zeroes), instead of the source's going to a
 *	destination that holds no data
 * @src_offset: first byte to move, in the region of the file the ioctl
 *	is called on, a multiple of the page size
 * @dst_offset: where it goes in @dst_fd's region, a multiple of the page
 *	size
 * @length: bytes, a multiple of the page size, not 0
 * @done: out, also on an error: the bytes from the start of the range
 *	that were dealt with; the pages before @done moved (or changed
 *	places), the rest did not
 */
struct swaplab_move {
	__s32 dst_fd;
	__u32 flags;
	__u64 src_offset;
	__u64 dst_offset;
	__u64 length;
	__u64 done;
};

/* swaplab_move.flags: the two ranges exchange their pages. */
#define SWAPLAB_MOVE_EXCHANGE	0x1

/* swaplab_file_map.flags */
/*
 * A private mapping of the file: a page written becomes the region's own
 * and goes to swaplab's store, never to the file (MAP_PRIVATE's
 * copy-on-write). Without it the region shares the file: written pages
 * go back to the file.
 */
#define SWAPLAB_FILE_PRIVATE	0x1
#define SWAPLAB_FILE_CLOEXEC	0x2	/* the new descriptor is O_CLOEXEC */

/**
 * struct swaplab_file_map - SWAPLAB_IOC_FILE's argument
 * @fd: an open regular file, readable, on a file system that does direct
 *	I/O; for a shared mapping also writable if the region is to be
 *	mapped writable
 * @flags: %SWAPLAB_FILE_PRIVATE, %SWAPLAB_FILE_CLOEXEC
 * @offset: the byte of the file that is the region's first, a multiple
 *	of the page size, below the file's size
 * @length: the region's size in bytes, a multiple of the page size, not
 *	0; it may reach past the file's end, where faults get SIGBUS
 * @reserved: must be zero
 */
struct swaplab_file_map {
	__s32 fd;
	__u32 flags;
	__u64 offset;
	__u64 length;
	__u64 reserved[2];
};

#define SWAPLAB_IOC_MAGIC	0xB7

/* Describe the region behind this open file. */
#define SWAPLAB_IOC_REGION_INFO	_IOR(SWAPLAB_IOC_MAGIC, 0x01, struct swaplab_region_info)
/*
 * Open the named region: returns a new file descriptor for it, with this
 * file's access mode. This file is left as it was. (Number 0x02 was an
 * ATTACH that switched this file itself to the named region; it is
 * retired and fails with ENOTTY.)
 */
#define SWAPLAB_IOC_ATTACH	_IOW(SWAPLAB_IOC_MAGIC, 0x07, struct swaplab_attach)
/* Bring a range in and keep it resident until unpinned. */
#define SWAPLAB_IOC_PIN		_IOW(SWAPLAB_IOC_MAGIC, 0x03, struct swaplab_range)
#define SWAPLAB_IOC_UNPIN	_IOW(SWAPLAB_IOC_MAGIC, 0x04, struct swaplab_range)
/* Read the swapped-out pages of a range in now (will-need). */
#define SWAPLAB_IOC_PREFETCH	_IOW(SWAPLAB_IOC_MAGIC, 0x05, struct swaplab_range)
/*
 * Drop a range's frames and slots: it reads as zeroes afterwards (in a
 * private region of a file, as the file; EOPNOTSUPP in a shared one).
 */
#define SWAPLAB_IOC_DISCARD	_IOW(SWAPLAB_IOC_MAGIC, 0x06, struct swaplab_range)
/*
 * Record mode, for `swaplab record`: keep at most this many pages of the
 * region mapped (a __u32, 1 to SWAPLAB_RECORD_WINDOW_MAX; 0 turns it off),
 * so that every other touch of a page faults and shows in the
 * swaplab_fault tracepoint. Needs a writable file (EBADF) and to be the
 * region's creator (the same effective uid) or have CAP_SYS_ADMIN
 * (EPERM): it changes the paging of every process that maps the region.
 * Holding another user's region file, named or anonymous, is not enough.
 *
 * The argument's bits from SWAPLAB_RECORD_TAG_SHIFT up are a tag (0 to
 * SWAPLAB_RECORD_TAG_MAX) that the region's swaplab_fault events carry in
 * their field "tag", so that a recorder selects the regions of its
 * command with an event filter (`swaplab record` uses its pid). A tag
 * with record mode off is -EINVAL.
 */
#define SWAPLAB_IOC_RECORD	_IOW(SWAPLAB_IOC_MAGIC, 0x08, __u32)
/*
 * Attach as the external pager: returns the pager file, which maps the
 * ring of events. One pager at a time (EBUSY); needs CAP_SYS_ADMIN or
 * ownership of the device node (EPERM).
 */
#define SWAPLAB_IOC_PAGER_ATTACH	_IOWR(SWAPLAB_IOC_MAGIC, 0x09, struct swaplab_pager_attach)
/*
 * On a region's file, open for reading and writing: the pager whose pager
 * file descriptor the __s32 argument is (attached with
 * %SWAPLAB_PAGER_DATA) keeps the region's pages from now on: dirty pages
 * leaving memory go to it (DATA_RETURN), and faults on them ask it back
 * (DATA_REQUEST). Until the pager detaches. EBUSY if the region is
 * claimed already, EOPNOTSUPP for a region of a file (SWAPLAB_IOC_FILE),
 * EINVAL if the pager does not serve data, EBADF if the descriptor is not
 * a pager's, or if the region's file is not open for both reading and
 * writing (the pager is handed the region's contents).
 */
#define SWAPLAB_IOC_PAGER_CLAIM		_IOW(SWAPLAB_IOC_MAGIC, 0x0a, __s32)
/*
 * On a region's file, writable: the weight of the process the region is
 * charged to (its creator's thread group), a __u32 from 1 to
 * SWAPLAB_WEIGHT_MAX, SWAPLAB_WEIGHT_DEFAULT at first. The proportional
 * allocator shares the budget in proportion to size times weight, and
 * load control deactivates the lowest weight first. EINVAL out of range;
 * EBADF on a read-only file; EPERM on a region not one's own, named or
 * anonymous (as SWAPLAB_IOC_RECORD: the weight is its creator's
 * process's), or to raise it above the default without CAP_SYS_NICE (as
 * nice(2)). Nothing changes on error.
 */
#define SWAPLAB_IOC_SET_WEIGHT		_IOW(SWAPLAB_IOC_MAGIC, 0x0b, __u32)
/*
 * On a region's file, open for reading and writing: move the pages of a
 * range to another region, or elsewhere in this one (struct
 * swaplab_move). No byte is copied: a resident page moves with its
 * frame, one swapped out with its slot, one in the compressed tier with
 * its entry. Afterwards the source range reads as zeroes, as after
 * SWAPLAB_IOC_DISCARD, and both ranges are unmapped from every process
 * that maps them; the next access to a moved resident page maps it with
 * no I/O. The destination range must hold no page: none touched since
 * it was created or discarded (what history it had is dropped).
 * EINVAL for a bad range (unaligned, empty, past either region's end,
 * overlapping itself in one region), flags not zero, or a descriptor
 * that is not a region's; EOPNOTSUPP if either region is a file's
 * (SWAPLAB_IOC_FILE); EBADF for a destination not open for writing,
 * or this file not open for reading and writing; EEXIST if the
 * destination holds a page (resident, or in a slot); EBUSY for a pinned
 * or mlocked page, a page another task holds (get_user_pages(), a pipe)
 * past a short wait, or a region the external pager keeps pages of;
 * EINTR on a fatal signal; ENOMEM. Nothing changes when the checks that
 * come before the first page fail; after, @done says how far the move
 * went.
 */
#define SWAPLAB_IOC_MOVE		_IOWR(SWAPLAB_IOC_MAGIC, 0x0c, struct swaplab_move)
/*
 * On any file of the device: a new region whose pages are those of a file
 * (struct swaplab_file_map), and its descriptor. A page's first fault
 * reads it from the file, by direct I/O, not through the page cache; a
 * clean page leaves memory with no write and is read from the file again
 * at its next fault; a page past the end of the file faults with SIGBUS,
 * as the kernel's mappings of files do. Shared: a dirty page is written
 * back to the file when it leaves memory (or, if that write would wait
 * for the file's lock, goes to the store until then), at fsync() or
 * msync(MS_SYNC) on the region's file, and when the region goes. Private
 * (%SWAPLAB_FILE_PRIVATE): it goes to the store and the file is never
 * written. The new file has the access mode of @fd, but read-only for a
 * shared mapping of a file @fd cannot write, so that the region's
 * mappings can do nothing @fd could not; PROT_EXEC is refused (EPERM) for
 * a file on a noexec mount. The region holds the file open. Others'
 * read() and write() of the file are not coherent with the region's
 * pages: Documentation/admin-guide/swaplab/regions.rst gives the rule.
 * EBADF for a bad @fd; EACCES for one not open for reading; ENODEV for
 * a file that is not a regular file (a directory, a pipe, a socket, a
 * device), as mmap() answers; EINVAL for bad flags, a non-zero reserved
 * field, an unaligned or empty range, @offset at or past the file's end,
 * a range past the size limit of regions, or a file whose file system
 * cannot do direct I/O that fails rather than wait (FMODE_NOWAIT), or
 * cannot read into the page cache (tmpfs, memfd). Nothing is made on
 * error.
 */
#define SWAPLAB_IOC_FILE		_IOW(SWAPLAB_IOC_MAGIC, 0x0d, struct swaplab_file_map)
/*
 * On a region's file, open for reading and writing: the data pager that
 * claimed the region (SWAPLAB_IOC_PAGER_CLAIM) takes a range of its pages
 * back, as Mach's memory_object_lock_request: see struct
 * swaplab_pager_lock. EBADF if the file is not open for both, or
 * @pager_fd is not a pager's file; EPERM if that pager has not claimed
 * the region; EINVAL for a bad @op, range or @reserved; EFAULT. A page
 * the call did is done whatever comes after it (@done says how far it
 * went); EINTR on a fatal signal, EBUSY at a page pinned (FLUSH).
 */
#define SWAPLAB_IOC_PAGER_LOCK		_IOWR(SWAPLAB_IOC_MAGIC, 0x0e, struct swaplab_pager_lock)
/* Process numbers (REGION_INFO's @owner, the pager's @proc): 1 to this. */
#define SWAPLAB_PROC_MAX		((1U << 22) - 1)
#define SWAPLAB_WEIGHT_DEFAULT		100
#define SWAPLAB_WEIGHT_MAX		10000
#define SWAPLAB_RECORD_WINDOW_MAX	16
#define SWAPLAB_RECORD_WINDOW_MASK	0xffu
#define SWAPLAB_RECORD_TAG_SHIFT	8
#define SWAPLAB_RECORD_TAG_MAX		0xffffffu

/*
 * The external pager (Mach's design): a process attaches as the pager and
 * reads what happens to every page in a ring of events it maps from its
 * pager file, while the "pager" policy is selected.
 */

/* swaplab_pager_attach.flags */
#define SWAPLAB_PAGER_CLOEXEC	0x1	/* the pager file is O_CLOEXEC */
/* It keeps the pages of the regions it claims (SWAPLAB_IOC_PAGER_CLAIM). */
#define SWAPLAB_PAGER_DATA	0x2
/*
 * With SWAPLAB_PAGER_DATA: the default pager, as Mach's: every region
 * made while it is attached, by any process but its own, is claimed.
 */
#define SWAPLAB_PAGER_DATA_ALL	0x4

/**
 * struct swaplab_pager_attach - SWAPLAB_IOC_PAGER_ATTACH's argument
 * @entries: in: events the ring holds, a power of two from
 *	%SWAPLAB_PAGER_ENTRIES_MIN to %SWAPLAB_PAGER_ENTRIES_MAX; 0 for
 *	%SWAPLAB_PAGER_ENTRIES_DEF
 * @flags: in: %SWAPLAB_PAGER_CLOEXEC
 * @ring_bytes: out: bytes to mmap() from the pager file at offset 0
 *	(MAP_SHARED): a &struct swaplab_pager_ring, then the events
 * @wakeup: in: wake a pager sleeping in poll() only once this many
 *	events wait unread (0 or 1: at every event; at most @entries); a
 *	WANT, SELECT or DESELECT wakes it at once. poll() itself reports
 *	POLLIN whenever an event waits. Fewer wake-ups, fewer system calls
 *	an event.
 * @pad: zero
 * @data_timeout_ms: in, with %SWAPLAB_PAGER_DATA: how long a fault
 *	waits for a page it asked for (DATA_REQUEST) before it fails with
 *	SIGBUS; 0 for %SWAPLAB_PAGER_DATA_TIMEOUT_DEF, at most
 *	%SWAPLAB_PAGER_DATA_TIMEOUT_MAX. Must be 0 without the flag.
 * @reserved: must be zero
 */
struct swaplab_pager_attach {
	__u32 entries;
	__u32 flags;
	__u64 ring_bytes;
	__u32 wakeup;
	__u32 pad;
	__u32 data_timeout_ms;
	__u32 reserved;
};

#define SWAPLAB_PAGER_DATA_TIMEOUT_DEF	1000
#define SWAPLAB_PAGER_DATA_TIMEOUT_MAX	60000

#define SWAPLAB_PAGER_ENTRIES_MIN	64
#define SWAPLAB_PAGER_ENTRIES_MAX	65536
#define SWAPLAB_PAGER_ENTRIES_DEF	4096

/**
 * struct swaplab_pager_ring - the head of the pager's mapping
 * @head: the next event the pager will read; only the pager writes it,
 *	after it has read the events before it
 * @tail: the next event the kernel will write; the kernel writes it
 *	after the events before it (read it with acquire semantics)
 * @mask: events in the ring, less one; event n is at n & @mask
 * @pad: zero
 * @lost: events the kernel dropped because the ring was full: the
 *	pager's picture is then incomplete
 * @reserved: zero
 *
 * The events follow at offset %SWAPLAB_PAGER_RING_EVENTS.
 */
struct swaplab_pager_ring {
	__u64 head;
	__u64 tail;
	__u32 mask;
	__u32 pad;
	__u64 lost;
	__u64 reserved[4];
};

#define SWAPLAB_PAGER_RING_EVENTS	64

/* swaplab_pager_event.type */
enum swaplab_pager_event_type {
	SWAPLAB_PAGER_ADMIT = 1,	/* a page became resident */
	SWAPLAB_PAGER_REMOVE = 2,	/* taken out: evicting, pinned, freed */
	SWAPLAB_PAGER_EVICTED = 3,	/* a page removed has left memory */
	SWAPLAB_PAGER_RESIZE = 4,	/* the budget is now @arg frames */
	SWAPLAB_PAGER_SELECT = 5,	/* "pager" selected; @arg: frames */
	SWAPLAB_PAGER_DESELECT = 6,	/* another policy was selected */
	SWAPLAB_PAGER_WANT = 7,		/* victims wanted: @arg of them */
	SWAPLAB_PAGER_REFERENCED = 8,	/* the page was used since the last */
	SWAPLAB_PAGER_ACCESS = 9,	/* a fault found the page resident */
	/* Page data, for a pager attached with SWAPLAB_PAGER_DATA: */
	SWAPLAB_PAGER_DATA_REQUEST = 10, /* supply the page: @arg, the seq */
	SWAPLAB_PAGER_DATA_RETURN = 11,	/* take the page: @arg, the seq */
	SWAPLAB_PAGER_DATA_KEPT = 12,	/* left memory clean: yours is all */
	SWAPLAB_PAGER_DATA_DISCARD = 13, /* your copy is stale: drop it */
	SWAPLAB_PAGER_REGION_GONE = 14,	/* drop every page of the region */
	/*
	 * A write to a page supplied read-only (%SWAPLAB_PAGER_SUPPLY_RDONLY)
	 * waits for write access: answer with SWAPLAB_PAGER_IOC_UNLOCK,
	 * @arg the seq (Mach's data_unlock).
	 */
	SWAPLAB_PAGER_DATA_UNLOCK = 15,
};

/*
 * swaplab_pager_event.reason, for SWAPLAB_PAGER_WANT: the pager may answer
 * with %SWAPLAB_PAGER_RESCAN (the kernel's rescans for this batch are not
 * spent).
 */
#define SWAPLAB_PAGER_WANT_MAY_RESCAN	0x1

/* swaplab_pager_event.reason, for SWAPLAB_PAGER_ADMIT */
enum swaplab_pager_admit_reason {
	SWAPLAB_PAGER_NEW = 0,		/* first touch, no history */
	SWAPLAB_PAGER_REFAULT = 1,	/* evicted before: @record, @arg */
	SWAPLAB_PAGER_READAHEAD = 2,	/* read ahead, not yet used */
	/* Back after a remove, not evicted; or moved, at its new place. */
	SWAPLAB_PAGER_RETURN = 3,
	/*
	 * Resident when "pager" was selected; or, under allocation=local,
	 * moved (SWAPLAB_IOC_MOVE) from another process's state.
	 */
	SWAPLAB_PAGER_SWITCH = 4,
};

/**
 * struct swaplab_pager_event - one event in the pager's ring
 * @region: the page's region id (SWAPLAB_IOC_REGION_INFO's @id)
 * @index: the page's index in the region
 * @arg: ADMIT with REFAULT: the refault distance (evictions from the
 *	budget since the page left); RESIZE, SELECT: the budget in frames;
 *	WANT: how many victims reclaim still wants for its batch
 * @type: &enum swaplab_pager_event_type
 * @reason: ADMIT: &enum swaplab_pager_admit_reason; WANT:
 *	%SWAPLAB_PAGER_WANT_MAY_RESCAN or 0
 * @record: ADMIT with REFAULT: the page's non-resident record, 0 to 255
 * @proc: the policy state the event is for. Under allocation=local each
 *	process (the thread group its regions are charged to) has a state
 *	of its own, named by the process's number (REGION_INFO's @owner,
 *	debugfs procs): SELECT and RESIZE give its allocation, WANT asks
 *	for victims among its pages only, and its pages' events carry it.
 *	0 for the state of the whole budget: every event under
 *	allocation=global, SELECT (first, before the processes' own) and
 *	DESELECT, and the page data events.
 */
struct swaplab_pager_event {
	__u64 region;
	__u64 index;
	__u64 arg;
	__u16 type;
	__u8 reason;
	__u8 record;
	__u32 proc;
};

/**
 * struct swaplab_pager_page - a page, by its stable identity
 * @region: the region's id
 * @index: the page's index in it
 */
struct swaplab_pager_page {
	__u64 region;
	__u64 index;
};

#define SWAPLAB_PAGER_VICTIMS_MAX	256

/**
 * struct swaplab_pager_victims - SWAPLAB_PAGER_IOC_VICTIMS's argument
 * @pages: the address of @nr &struct swaplab_pager_page: the pages to
 *	evict, in the order to evict them
 * @nr: how many, 0 (only with %SWAPLAB_PAGER_RESCAN) to
 *	%SWAPLAB_PAGER_VICTIMS_MAX
 * @queued: out: how many of them were queued; the rest did not fit
 * @flags: in: %SWAPLAB_PAGER_RESCAN
 * @proc: in: the state the victims are for, the @proc of the WANT
 *	answered: under allocation=local only that process's reclaim takes
 *	them (and skips, as invalid, a page that is not its own); 0 under
 *	global
 */
struct swaplab_pager_victims {
	__u64 pages;
	__u32 nr;
	__u32 queued;
	__u32 flags;
	__u32 proc;
};

/*
 * swaplab_pager_victims.flags: in answer to a WANT with
 * %SWAPLAB_PAGER_WANT_MAY_RESCAN, once these victims are taken, have the
 * pages' reference bits harvested from the page tables, as the kernel
 * does for a clock policy whose hand went round, and the pages found
 * used sent as REFERENCED events before the next WANT. Ignored unless
 * every page of the call was queued, and when the WANT did not allow it.
 */
#define SWAPLAB_PAGER_RESCAN		0x1

/*
 * On the pager file: the pages to evict next, in order, and perhaps a
 * harvest after them, in one call. The pages are checked when reclaim
 * takes them: a page that is not resident and evictable by then is
 * skipped and counted (pager_invalid in stat).
 */
#define SWAPLAB_PAGER_IOC_VICTIMS	_IOWR(SWAPLAB_IOC_MAGIC, 0x20, struct swaplab_pager_victims)

/**
 * struct swaplab_pager_data - SWAPLAB_PAGER_IOC_SUPPLY's, _TAKE's and
 *	_UNLOCK's argument: one page's contents, as Mach's data_supply,
 *	data_return and data_unlock carry them
 * @region: the page's region id, as the event gave it
 * @index: the page's index, as the event gave it
 * @seq: the event's @arg
 * @buf: the address of PAGE_SIZE bytes: SUPPLY copies from it, TAKE into
 *	it; UNLOCK copies from it, or keeps the page's contents if it is 0
 * @flags: SUPPLY: %SWAPLAB_PAGER_SUPPLY_RDONLY or 0; TAKE and UNLOCK: 0
 *	(the name @reserved is kept for the programs that zero it)
 */
struct swaplab_pager_data {
	__u64 region;
	__u64 index;
	__u64 seq;
	__u64 buf;
	union {
		__u64 flags;
		__u64 reserved;
	};
};

/*
 * swaplab_pager_data.flags, for SUPPLY: the page is mapped without write
 * permission; a write to it waits for the pager's UNLOCK (DATA_UNLOCK).
 */
#define SWAPLAB_PAGER_SUPPLY_RDONLY	0x1

/*
 * On the pager file, in answer to DATA_REQUEST: the page's contents; the
 * fault that waits maps them. ESRCH if the request is not waiting any
 * more (it timed out, its process was killed), EINVAL if @region or
 * @index is not the request's, EFAULT for a bad @buf. Nothing changes on
 * an error.
 */
#define SWAPLAB_PAGER_IOC_SUPPLY	_IOW(SWAPLAB_IOC_MAGIC, 0x21, struct swaplab_pager_data)
/*
 * In answer to DATA_RETURN: copy the page out; from then on the pager
 * holds its only copy. ESRCH if a fault took it back first (the pager
 * must not keep what it got), or if the DATA_RETURN was not this
 * pager's (a page an earlier pager left in a buffer is not another's to
 * take); EINVAL, EFAULT as for SUPPLY.
 */
#define SWAPLAB_PAGER_IOC_TAKE		_IOW(SWAPLAB_IOC_MAGIC, 0x22, struct swaplab_pager_data)
/*
 * In answer to DATA_UNLOCK: the write goes on, the page writable from
 * now on, its contents replaced by @buf's unless @buf is 0. ESRCH if the
 * write is not waiting any more (it timed out, its process was killed,
 * SWAPLAB_IOC_PAGER_LOCK took the page back meanwhile); EINVAL, EFAULT as
 * for SUPPLY. Nothing changes on an error.
 */
#define SWAPLAB_PAGER_IOC_UNLOCK	_IOW(SWAPLAB_IOC_MAGIC, 0x23, struct swaplab_pager_data)

/* swaplab_pager_lock.op */
enum swaplab_pager_lock_op {
	/*
	 * Unmap the page from every process and drop its frame, and any
	 * copy of it the kernel keeps: the pager holds it from now on, and
	 * the next fault asks for it (DATA_REQUEST), also for a page never
	 * touched here. Mach's flush.
	 */
	SWAPLAB_PAGER_LOCK_FLUSH = 1,
	/* Hand the page's contents over if written, and make it read-only. */
	SWAPLAB_PAGER_LOCK_CLEAN = 2,
	/* Make the page read-only in every process; hand nothing over. */
	SWAPLAB_PAGER_LOCK_PROTECT = 3,
};

/* swaplab_pager_lock.status: what each page was when the call did it. */
enum swaplab_pager_lock_status {
	/* Not in memory here: the pager holds it, or it was never touched. */
	SWAPLAB_PAGER_LOCK_ABSENT = 0,
	/* Unchanged since it was supplied, or last cleaned. */
	SWAPLAB_PAGER_LOCK_CLEAN_PAGE = 1,
	/* Written since: FLUSH and CLEAN copied its contents into @buf. */
	SWAPLAB_PAGER_LOCK_WRITTEN = 2,
};

#define SWAPLAB_PAGER_LOCK_MAX		256	/* pages a call */

/**
 * struct swaplab_pager_lock - SWAPLAB_IOC_PAGER_LOCK's argument
 * @pager_fd: in: the pager file of the data pager that claimed the region
 * @op: in: &enum swaplab_pager_lock_op
 * @index: in: the first page
 * @nr: in: how many pages, 1 to %SWAPLAB_PAGER_LOCK_MAX
 * @done: out: how many pages the call did, from @index on, whatever it
 *	returns
 * @buf: in: the address of @nr pages: page i's contents go to
 *	@buf + i * PAGE_SIZE if it was written (FLUSH, CLEAN); 0 with
 *	PROTECT
 * @status: in: the address of @nr bytes, &enum swaplab_pager_lock_status
 *	for each page done
 * @reserved: must be zero
 *
 * Each page is done whole, atomically against faults: a write to it is
 * either in the contents handed over, or comes after the call, at a
 * fault that finds it flushed (DATA_REQUEST) or read-only (DATA_UNLOCK).
 * A write that waits for write access to a page when the call comes
 * faults again after it (an UNLOCK of its DATA_UNLOCK then fails with
 * ESRCH); a page a fault waits for from the pager is ABSENT, its
 * DATA_REQUEST still to be answered. A FLUSH stops at a page pinned with
 * SWAPLAB_IOC_PIN or for direct I/O (EBUSY). A @buf the kernel cannot
 * write leaves its page as it was (EFAULT); a @status it cannot write
 * fails the call after that page, which @done counts.
 */
struct swaplab_pager_lock {
	__s32 pager_fd;
	__u32 op;
	__u64 index;
	__u32 nr;
	__u32 done;
	__u64 buf;
	__u64 status;
	__u64 reserved;
};

#endif /* _UAPI_SWAPLAB_H */
