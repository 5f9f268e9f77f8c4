// SPDX-License-Identifier: GPL-2.0
/*
 * The privilege model of Documentation/admin-guide/swaplab-privilege.rst,
 * walked as a matrix: every operation on every kind of file swaplab hands
 * out, every kind of knob, as root, as the owner of the device node, as a
 * member of its group and as another user, with the node shared with the
 * group at mode 0660 as the admin guide suggests. Each cell runs in a
 * child that takes the identity and does the one operation; the child's
 * errno is compared with the table. A cell that behaves other than the
 * table says fails, and prints what it got.
 *
 * The files a cell works on are the identity's own (it opens the node,
 * attaches a region) or, in the rows marked "held", files root opened and
 * the child inherited: what any holder of a file may do with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest.h"
#include "swaplab_util.h"

/* The identities: the node is OWNER_UID's, its group GROUP_GID's. */
enum who { ROOT, OWNER, MEMBER, OTHER, NR_WHO };
#define OWNER_UID	65534
#define GROUP_GID	65534
#define MEMBER_UID	65533
#define OTHER_UID	65532

static const char *const who_name[NR_WHO] = {
	"root", "node owner", "group member", "other user",
};

/* Files root made before the cells run, inherited by every child. */
static struct {
	int dev;		/* root's open of the node, O_RDWR */
	int region;		/* a named region's file, root's, mode 0600 */
	int pager;		/* root's pager file */
	size_t ring_bytes;	/* its ring's size */
	int ro_dev;		/* root's open of the node, O_RDONLY */
	/* A file of root's, mode 0600, on the store's file system, open: */
	int file_ro;		/* O_RDONLY */
	int file_wo;		/* O_WRONLY */
	int file_rw;		/* O_RDWR */
} held;

/* A cell's answer when two calls that should agree do not. */
#define DISAGREE	EIO

/* The errno of a call that returned @ret, 0 if it succeeded. */
static int err_of(long ret)
{
	return ret < 0 ? errno : 0;
}

/* The identity's own open of the node; -errno on failure. */
static int own_dev(int flags)
{
	int fd = open(SWAPLAB_DEVICE, flags);

	return fd < 0 ? -errno : fd;
}

static int range_op(int fd, unsigned long cmd)
{
	struct swaplab_range r = { 0, page_size };

	return err_of(ioctl(fd, cmd, &r));
}

/* A named region attached through @dev: its fd, or -errno. */
static int attach(int dev, const char *name, __u32 flags, __u32 mode)
{
	struct swaplab_attach at = { .flags = flags, .mode = mode };
	int fd;

	snprintf(at.name, sizeof(at.name), "%s", name);
	fd = ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
	return fd < 0 ? -errno : fd;
}

/* MOVE one page, at @src_off of @src's region to @dst_off of @dst's. */
static int move_page(int src, __u64 src_off, int dst, __u64 dst_off)
{
	struct swaplab_move mv = {
		.dst_fd = dst,
		.src_offset = src_off,
		.dst_offset = dst_off,
		.length = page_size,
	};

	return err_of(ioctl(src, SWAPLAB_IOC_MOVE, &mv));
}

/*
 * Does the page at @off of @fd's region start with @want? 0 if it does,
 * DISAGREE if not, mmap's errno if it cannot be mapped. Reading faults
 * the page in: a page that read as zeroes then holds a zeroed frame.
 */
static int page_reads(int fd, off_t off, char want)
{
	char *p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, off);
	int err;

	if (p == MAP_FAILED)
		return errno;
	err = p[0] == want ? 0 : DISAGREE;
	munmap(p, page_size);
	return err;
}

/* --- The operations: each returns 0 or the errno it got ------------ */

static int op_open(void)
{
	int fd = own_dev(O_RDWR);

	return fd < 0 ? -fd : 0;
}

/* Map, write and read back a page of the identity's own region. */
static int op_mmap(void)
{
	int fd = own_dev(O_RDWR);
	char *p;

	if (fd < 0)
		return -fd;
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return errno;
	p[0] = 42;
	return p[0] == 42 ? 0 : DISAGREE;
}

static int op_info(void)
{
	struct swaplab_region_info info;
	int fd = own_dev(O_RDWR);

	if (fd < 0)
		return -fd;
	return err_of(ioctl(fd, SWAPLAB_IOC_REGION_INFO, &info));
}

static int op_pin(void)
{
	int fd = own_dev(O_RDWR), err;

	if (fd < 0)
		return -fd;
	err = range_op(fd, SWAPLAB_IOC_PIN);
	return err ?: range_op(fd, SWAPLAB_IOC_UNPIN);
}

static int op_discard(void)
{
	int fd = own_dev(O_RDWR);

	return fd < 0 ? -fd : range_op(fd, SWAPLAB_IOC_DISCARD);
}

static int op_prefetch(void)
{
	int fd = own_dev(O_RDWR);

	return fd < 0 ? -fd : range_op(fd, SWAPLAB_IOC_PREFETCH);
}

static int op_record(void)
{
	int fd = own_dev(O_RDWR), err;
	__u32 w = 4, off = 0;

	if (fd < 0)
		return -fd;
	err = err_of(ioctl(fd, SWAPLAB_IOC_RECORD, &w));
	return err ?: err_of(ioctl(fd, SWAPLAB_IOC_RECORD, &off));
}

/*
 * A page written in one open of the node, moved to another: the byte is
 * there, and the source, through the mapping it was written by, reads
 * zero.
 */
static int op_move(void)
{
	int src = own_dev(O_RDWR), dst = own_dev(O_RDWR), err;
	char *p;

	if (src < 0)
		return -src;
	if (dst < 0)
		return -dst;
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, src, 0);
	if (p == MAP_FAILED)
		return errno;
	p[0] = 42;
	err = move_page(src, 0, dst, 0);
	if (err)
		return err;
	err = page_reads(dst, 0, 42);
	if (err)
		return err;
	return p[0] == 0 ? 0 : DISAGREE;
}

/* The weight of one's own region's process, lowered and put back. */
static int op_weight(void)
{
	int fd = own_dev(O_RDWR), err;
	__u32 low = 50, back = SWAPLAB_WEIGHT_DEFAULT;

	if (fd < 0)
		return -fd;
	err = err_of(ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, &low));
	return err ?: err_of(ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, &back));
}

/* Raised above the default: CAP_SYS_NICE's, as a higher priority is. */
static int op_weight_raise(void)
{
	int fd = own_dev(O_RDWR), err;
	__u32 high = 300, back = SWAPLAB_WEIGHT_DEFAULT;

	if (fd < 0)
		return -fd;
	err = err_of(ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, &high));
	return err ?: err_of(ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, &back));
}

/*
 * A named region of one's own, 0600, made through one's own open of the
 * node, its name @prefix and the uid: its file, or -errno.
 */
static int own_region(const char *prefix)
{
	int fd = own_dev(O_RDWR);
	char name[32];

	if (fd < 0)
		return fd;
	snprintf(name, sizeof(name), "%s-%d", prefix, getuid());
	return attach(fd, name, SWAPLAB_ATTACH_CREATE, 0600);
}

static int op_attach_create(void)
{
	int r = own_region("priv-own");

	return r < 0 ? -r : 0;
}

static int pager_attach(int fd, __u32 flags)
{
	struct swaplab_pager_attach at = {
		.flags = flags,
		.entries = flags & SWAPLAB_PAGER_DATA ? 256 : 64,
	};
	int p = ioctl(fd, SWAPLAB_IOC_PAGER_ATTACH, &at);

	if (p < 0)
		return errno;
	close(p);
	return 0;
}

static int op_pager_events(void)
{
	int fd = own_dev(O_RDWR);

	return fd < 0 ? -fd : pager_attach(fd, 0);
}

static int op_pager_data_all(void)
{
	int fd = own_dev(O_RDWR);

	return fd < 0 ? -fd :
	       pager_attach(fd, SWAPLAB_PAGER_DATA | SWAPLAB_PAGER_DATA_ALL);
}

/* PAGER_ATTACH on one's own named region's file: not the node. */
static int op_pager_on_region(void)
{
	int r = own_region("priv-pr");

	return r < 0 ? -r :
	       pager_attach(r, SWAPLAB_PAGER_DATA | SWAPLAB_PAGER_DATA_ALL);
}

/* Named regions root made: attach each read-write, or read-only. */
static int attach_root_region(const char *name, int flags)
{
	int fd = own_dev(flags), r;

	if (fd < 0)
		return -fd;
	r = attach(fd, name, 0, 0);
	return r < 0 ? -r : 0;
}

static int op_attach_root_0600(void)
{
	return attach_root_region("priv-root-0600", O_RDWR);
}

static int op_attach_root_0660(void)
{
	return attach_root_region("priv-root-0660", O_RDWR);
}

/* RECORD on root's group-writable region: not one's own to set. */
static int op_record_root_0660(void)
{
	int fd = own_dev(O_RDWR), r;
	__u32 w = 1, off = 0;

	if (fd < 0)
		return -fd;
	r = attach(fd, "priv-root-0660", 0, 0);
	if (r < 0)
		return -r;
	if (ioctl(r, SWAPLAB_IOC_RECORD, &w))
		return errno;
	return err_of(ioctl(r, SWAPLAB_IOC_RECORD, &off));
}

/* SET_WEIGHT on root's group-writable region: not one's own to set. */
static int op_weight_root_0660(void)
{
	int fd = own_dev(O_RDWR), r;
	__u32 w = 50, back = SWAPLAB_WEIGHT_DEFAULT;

	if (fd < 0)
		return -fd;
	r = attach(fd, "priv-root-0660", 0, 0);
	if (r < 0)
		return -r;
	if (ioctl(r, SWAPLAB_IOC_SET_WEIGHT, &w))
		return errno;
	return err_of(ioctl(r, SWAPLAB_IOC_SET_WEIGHT, &back));
}

/*
 * MOVE a page of one's own into root's group-writable region and back
 * out: the byte arrives there, and comes back to the mapping it was
 * written by. Root's page is not read once it has left, so the region is
 * left empty for the next identity's move into it.
 */
static int op_move_root_0660(void)
{
	int fd = own_dev(O_RDWR), r, err;
	char *p;

	if (fd < 0)
		return -fd;
	r = attach(fd, "priv-root-0660", 0, 0);
	if (r < 0)
		return -r;
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return errno;
	p[0] = 42;
	err = move_page(fd, 0, r, 0);
	if (err)
		return err;
	err = page_reads(r, 0, 42);
	if (err)
		return err;
	err = move_page(r, 0, fd, 0);
	if (err)
		return err;
	return p[0] == 42 ? 0 : DISAGREE;
}

static int op_attach_root_0644_rw(void)
{
	return attach_root_region("priv-root-0644", O_RDWR);
}

static int op_attach_root_0644_ro(void)
{
	return attach_root_region("priv-root-0644", O_RDONLY);
}

/* A read-only region file: changing its pages is refused. */
static int ro_region(void)
{
	int fd = own_dev(O_RDONLY);

	if (fd < 0)
		return fd;
	return attach(fd, "priv-root-0644", 0, 0);
}

static int op_ro_discard(void)
{
	int r = ro_region();

	return r < 0 ? -r : range_op(r, SWAPLAB_IOC_DISCARD);
}

static int op_ro_prefetch(void)
{
	int r = ro_region();

	return r < 0 ? -r : range_op(r, SWAPLAB_IOC_PREFETCH);
}

static int op_ro_pin(void)
{
	int r = ro_region();

	return r < 0 ? -r : range_op(r, SWAPLAB_IOC_PIN);
}

static int op_ro_record(void)
{
	int r = ro_region();
	__u32 w = 4;

	return r < 0 ? -r : err_of(ioctl(r, SWAPLAB_IOC_RECORD, &w));
}

static int op_ro_weight(void)
{
	int r = ro_region();
	__u32 w = 50;

	return r < 0 ? -r : err_of(ioctl(r, SWAPLAB_IOC_SET_WEIGHT, &w));
}

static int op_ro_mmap_write(void)
{
	int r = ro_region();
	void *p;

	if (r < 0)
		return -r;
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, r, 0);
	return p == MAP_FAILED ? errno : 0;
}

static int op_ro_claim(void)
{
	int r = ro_region();

	return r < 0 ? -r : err_of(ioctl(r, SWAPLAB_IOC_PAGER_CLAIM, &held.pager));
}

/* Take a page of @region_fd back as the pager whose file is @pager_fd. */
static int pager_lock(int region_fd, int pager_fd)
{
	struct swaplab_pager_lock lk = {
		.pager_fd = pager_fd, .op = SWAPLAB_PAGER_LOCK_PROTECT,
		.nr = 1,
	};
	__u8 status;

	lk.status = (uintptr_t)&status;
	return err_of(ioctl(region_fd, SWAPLAB_IOC_PAGER_LOCK, &lk));
}

static int op_ro_pager_lock(void)
{
	int r = ro_region();

	return r < 0 ? -r : pager_lock(r, held.pager);
}

/* MOVE from a read-only region file to one's own open of the node. */
static int op_ro_move(void)
{
	int r = ro_region(), fd;

	if (r < 0)
		return -r;
	fd = own_dev(O_RDWR);
	return fd < 0 ? -fd : move_page(r, 0, fd, 0);
}

/* MOVE from one's own open of the node to a read-only region file. */
static int op_ro_move_dst(void)
{
	int fd = own_dev(O_RDWR), r;

	if (fd < 0)
		return -fd;
	r = ro_region();
	return r < 0 ? -r : move_page(fd, 0, r, 0);
}

/*
 * MOVE from one's own open of the node made write-only: its pages could
 * be read at the destination, so the source must be readable too.
 */
static int op_wo_move(void)
{
	int src = own_dev(O_WRONLY), dst;

	if (src < 0)
		return -src;
	dst = own_dev(O_RDWR);
	return dst < 0 ? -dst : move_page(src, 0, dst, 0);
}

/*
 * PAGER_CLAIM through one's own open of the node made write-only: the
 * pager would be handed pages the file cannot read.
 */
static int op_wo_claim(void)
{
	int fd = own_dev(O_WRONLY);

	return fd < 0 ? -fd : err_of(ioctl(fd, SWAPLAB_IOC_PAGER_CLAIM,
					   &held.pager));
}

/*
 * RECORD and SET_WEIGHT through root's anonymous region, held: they would
 * change the paging of root's process, which the holder does not own.
 * Each is put back when it was let through.
 */
static int op_held_record(void)
{
	__u32 w = 1, off = 0;

	if (ioctl(held.dev, SWAPLAB_IOC_RECORD, &w))
		return errno;
	return err_of(ioctl(held.dev, SWAPLAB_IOC_RECORD, &off));
}

static int op_held_weight(void)
{
	__u32 w = 50, back = SWAPLAB_WEIGHT_DEFAULT;

	if (ioctl(held.dev, SWAPLAB_IOC_SET_WEIGHT, &w))
		return errno;
	return err_of(ioctl(held.dev, SWAPLAB_IOC_SET_WEIGHT, &back));
}

/* Held files: what any holder may do with a file root opened. */
static int op_held_info(void)
{
	struct swaplab_region_info info;

	return err_of(ioctl(held.region, SWAPLAB_IOC_REGION_INFO, &info));
}

static int op_held_discard(void)
{
	return range_op(held.region, SWAPLAB_IOC_DISCARD);
}

static int op_held_dev_pager(void)
{
	return pager_attach(held.dev, 0);
}

static int op_held_ro_discard(void)
{
	return range_op(held.ro_dev, SWAPLAB_IOC_DISCARD);
}

static int op_held_victims(void)
{
	struct swaplab_pager_victims v = { .flags = SWAPLAB_PAGER_RESCAN };

	return err_of(ioctl(held.pager, SWAPLAB_PAGER_IOC_VICTIMS, &v));
}

static int op_held_pager_map(void)
{
	void *ring = mmap(NULL, held.ring_bytes, PROT_READ | PROT_WRITE,
			  MAP_SHARED, held.pager, 0);
	struct pollfd pfd = { .fd = held.pager, .events = POLLIN };

	if (ring == MAP_FAILED)
		return errno;
	return poll(&pfd, 1, 0) < 0 ? errno : 0;
}

/* Operations of one kind of file, asked of another. */
static int op_victims_on_dev(void)
{
	struct swaplab_pager_victims v = { .flags = SWAPLAB_PAGER_RESCAN };

	return err_of(ioctl(held.dev, SWAPLAB_PAGER_IOC_VICTIMS, &v));
}

static int op_info_on_pager(void)
{
	struct swaplab_region_info info;

	return err_of(ioctl(held.pager, SWAPLAB_IOC_REGION_INFO, &info));
}

static int op_data_on_events_pager(void)
{
	struct swaplab_pager_data d = { 0 };
	int err = err_of(ioctl(held.pager, SWAPLAB_PAGER_IOC_TAKE, &d));

	/* The three page data ioctls, one errno. */
	if (err_of(ioctl(held.pager, SWAPLAB_PAGER_IOC_SUPPLY, &d)) != err ||
	    err_of(ioctl(held.pager, SWAPLAB_PAGER_IOC_UNLOCK, &d)) != err)
		return DISAGREE;
	return err;
}

static int op_claim_with_dev(void)
{
	return err_of(ioctl(held.region, SWAPLAB_IOC_PAGER_CLAIM, &held.dev));
}

static int op_pager_lock_with_dev(void)
{
	return pager_lock(held.region, held.dev);
}

/* An events-only pager claims nothing: it takes no page back. */
static int op_pager_lock_events_pager(void)
{
	return pager_lock(held.region, held.pager);
}

/* Knobs. */
static int read_file(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY), err = 0;

	if (fd < 0)
		return errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		err = errno;
	close(fd);
	return err;
}

static char frames_val[32], timeout_val[32];

static int op_knob_write(void)
{
	return -write_knob("frames", frames_val);
}

static int op_policy_knob_write(void)
{
	return -write_knob("policies/pager/timeout_ms", timeout_val);
}

static int op_knob_read(void)
{
	return read_file(SWAPLAB_SYSFS "/frames");
}

static int op_stat_read(void)
{
	return read_file(SWAPLAB_SYSFS "/stat");
}

static int op_debugfs_read(void)
{
	static const char *const files[] = {
		SWAPLAB_DEBUGFS "/regions", SWAPLAB_DEBUGFS "/metadata",
		SWAPLAB_DEBUGFS "/fault_latency", SWAPLAB_DEBUGFS "/procs",
	};
	int err = read_file(files[0]);

	/* One answer for all four. */
	for (int i = 1; i < 4; i++)
		if (read_file(files[i]) != err)
			return DISAGREE;
	return err;
}

/*
 * Write the test hooks, root's alone: each opened for writing, and root
 * writes back what it reads, so that nothing changes.
 */
static int op_debugfs_hooks_write(void)
{
	static const char *const files[] = {
		SWAPLAB_DEBUGFS "/region_id_next",
		SWAPLAB_DEBUGFS "/reclaim_unmap_delay_ms",
		SWAPLAB_DEBUGFS "/file_read_delay_ms",
	};
	int err = -1;

	for (int i = 0; i < 3; i++) {
		char val[32] = "";
		int fd = open(files[i], O_WRONLY), e = 0, rd;
		ssize_t len;

		if (fd < 0) {
			e = errno;
		} else {
			rd = open(files[i], O_RDONLY);
			len = rd < 0 ? -1 : read(rd, val, sizeof(val) - 1);
			if (len <= 0 || write(fd, val, len) != len)
				e = EIO;
			if (rd >= 0)
				close(rd);
			close(fd);
		}
		/* One answer for all. */
		if (err >= 0 && e != err)
			return DISAGREE;
		err = e;
	}
	return err;
}

/*
 * A region of the first page of @backing (a held file of root's), shared
 * or private as @flags say, made through the identity's own open of the
 * node, and mapped with @prot; a write, if @prot allows one, goes to its
 * second byte. The first byte is the file's.
 */
static int file_op(int backing, __u32 flags, int prot)
{
	struct swaplab_file_map fm = {
		.fd = backing, .flags = flags, .length = page_size,
	};
	int dev = own_dev(O_RDWR), r;
	char *p;

	if (dev < 0)
		return -dev;
	r = ioctl(dev, SWAPLAB_IOC_FILE, &fm);
	if (r < 0)
		return errno;
	p = mmap(NULL, page_size, prot, MAP_SHARED, r, 0);
	if (p == MAP_FAILED)
		return errno;
	/* Each access a fault of its own: the first reads, the second writes. */
	if (__atomic_load_n(&p[0], __ATOMIC_RELAXED) != 'F')
		return DISAGREE;
	if (prot & PROT_WRITE)
		__atomic_store_n(&p[1], 'w', __ATOMIC_RELAXED);
	return 0;
}

static int op_file_read(void)
{
	return file_op(held.file_ro, 0, PROT_READ);
}

static int op_file_ro_shared_write(void)
{
	return file_op(held.file_ro, 0, PROT_READ | PROT_WRITE);
}

static int op_file_ro_private_write(void)
{
	return file_op(held.file_ro, SWAPLAB_FILE_PRIVATE,
		       PROT_READ | PROT_WRITE);
}

static int op_file_rw_shared_write(void)
{
	return file_op(held.file_rw, 0, PROT_READ | PROT_WRITE);
}

static int op_file_wo(void)
{
	return file_op(held.file_wo, 0, PROT_READ);
}

/*
 * The table. Each row: what is done, then the errno expected of root,
 * the node's owner, a member of its group, another user (0: allowed).
 * The other user cannot open the node at all (EACCES), so rows on files
 * of its own give EACCES in its column.
 */
#define A EACCES
static const struct cell {
	const char *what;
	const char *row;	/* the admin guide's row, as written there */
	int (*op)(void);
	int expect[NR_WHO];
} cells[] = {
	{ "node: open O_RDWR",
	  "node: ``open``, ``mmap`` ``MAP_SHARED``",
	  op_open, { 0, 0, 0, A } },
	{ "node: mmap MAP_SHARED, write, read",
	  "node: ``open``, ``mmap`` ``MAP_SHARED``",
	  op_mmap, { 0, 0, 0, A } },
	{ "node: REGION_INFO",
	  "node: ``REGION_INFO``, ``PIN``/``UNPIN``, ``PREFETCH``, ``DISCARD``, ``RECORD``",
	  op_info, { 0, 0, 0, A } },
	{ "node: PIN and UNPIN",
	  "node: ``REGION_INFO``, ``PIN``/``UNPIN``, ``PREFETCH``, ``DISCARD``, ``RECORD``",
	  op_pin, { 0, 0, 0, A } },
	{ "node: DISCARD",
	  "node: ``REGION_INFO``, ``PIN``/``UNPIN``, ``PREFETCH``, ``DISCARD``, ``RECORD``",
	  op_discard, { 0, 0, 0, A } },
	{ "node: PREFETCH",
	  "node: ``REGION_INFO``, ``PIN``/``UNPIN``, ``PREFETCH``, ``DISCARD``, ``RECORD``",
	  op_prefetch, { 0, 0, 0, A } },
	{ "node: RECORD on and off",
	  "node: ``REGION_INFO``, ``PIN``/``UNPIN``, ``PREFETCH``, ``DISCARD``, ``RECORD``",
	  op_record, { 0, 0, 0, A } },
	{ "node: MOVE a page to another open of the node",
	  "node: ``MOVE`` between one's own regions",
	  op_move, { 0, 0, 0, A } },
	{ "node: SET_WEIGHT, lowered and put back",
	  "node: ``SET_WEIGHT`` at or below the default",
	  op_weight, { 0, 0, 0, A } },
	{ "node: SET_WEIGHT, raised above the default",
	  "node: ``SET_WEIGHT`` above the default",
	  op_weight_raise, { 0, EPERM, EPERM, A } },
	{ "node: ATTACH, create a named region",
	  "node: ``ATTACH`` (create a named region)",
	  op_attach_create, { 0, 0, 0, A } },
	{ "node: PAGER_ATTACH, events",
	  "node: ``PAGER_ATTACH``, events",
	  op_pager_events, { 0, 0, EPERM, A } },
	{ "node: PAGER_ATTACH, default data pager",
	  "node: ``PAGER_ATTACH``, default data pager (``SWAPLAB_PAGER_DATA_ALL``)",
	  op_pager_data_all, { 0, EPERM, EPERM, A } },
	{ "region file: PAGER_ATTACH",
	  "region file: ``PAGER_ATTACH``",
	  op_pager_on_region, { ENOTTY, ENOTTY, ENOTTY, A } },
	{ "ATTACH root's region, mode 0600",
	  "``ATTACH`` a region of mode 0600, not one's own",
	  op_attach_root_0600, { 0, A, A, A } },
	{ "ATTACH root's region, mode 0660, the node's group",
	  "``ATTACH`` a region of mode 0660, the node's group",
	  op_attach_root_0660, { 0, 0, 0, A } },
	{ "root's region, mode 0660, the node's group: RECORD",
	  "``RECORD``, ``SET_WEIGHT`` on a named region of another's, mode 0660, the node's group",
	  op_record_root_0660, { 0, EPERM, EPERM, A } },
	{ "root's region, mode 0660, the node's group: SET_WEIGHT",
	  "``RECORD``, ``SET_WEIGHT`` on a named region of another's, mode 0660, the node's group",
	  op_weight_root_0660, { 0, EPERM, EPERM, A } },
	{ "root's region, mode 0660, the node's group: MOVE in and out",
	  "``MOVE`` into and out of a named region of another's, mode 0660, the node's group",
	  op_move_root_0660, { 0, 0, 0, A } },
	{ "ATTACH root's region, mode 0644, read-write",
	  "``ATTACH`` a region of mode 0644, read-write",
	  op_attach_root_0644_rw, { 0, A, A, A } },
	{ "ATTACH root's region, mode 0644, read-only",
	  "``ATTACH`` a region of mode 0644, read-only",
	  op_attach_root_0644_ro, { 0, 0, 0, A } },
	{ "read-only region file: DISCARD",
	  "read-only region file: ``DISCARD``, ``PIN``, ``RECORD``, ``SET_WEIGHT``, ``PAGER_CLAIM``, ``MOVE``",
	  op_ro_discard, { EBADF, EBADF, EBADF, A } },
	{ "read-only region file: PIN",
	  "read-only region file: ``DISCARD``, ``PIN``, ``RECORD``, ``SET_WEIGHT``, ``PAGER_CLAIM``, ``MOVE``",
	  op_ro_pin, { EBADF, EBADF, EBADF, A } },
	{ "read-only region file: RECORD",
	  "read-only region file: ``DISCARD``, ``PIN``, ``RECORD``, ``SET_WEIGHT``, ``PAGER_CLAIM``, ``MOVE``",
	  op_ro_record, { EBADF, EBADF, EBADF, A } },
	{ "read-only region file: SET_WEIGHT",
	  "read-only region file: ``DISCARD``, ``PIN``, ``RECORD``, ``SET_WEIGHT``, ``PAGER_CLAIM``, ``MOVE``",
	  op_ro_weight, { EBADF, EBADF, EBADF, A } },
	{ "read-only region file: MOVE from it",
	  "read-only region file: ``DISCARD``, ``PIN``, ``RECORD``, ``SET_WEIGHT``, ``PAGER_CLAIM``, ``MOVE``",
	  op_ro_move, { EBADF, EBADF, EBADF, A } },
	{ "read-only region file: MOVE to it, from one's own open of the node",
	  "read-only region file: ``DISCARD``, ``PIN``, ``RECORD``, ``SET_WEIGHT``, ``PAGER_CLAIM``, ``MOVE``",
	  op_ro_move_dst, { EBADF, EBADF, EBADF, A } },
	{ "write-only open of the node: MOVE from it",
	  "write-only file: ``MOVE`` from it, ``PAGER_CLAIM``",
	  op_wo_move, { EBADF, EBADF, EBADF, A } },
	{ "write-only open of the node: PAGER_CLAIM",
	  "write-only file: ``MOVE`` from it, ``PAGER_CLAIM``",
	  op_wo_claim, { EBADF, EBADF, EBADF, A } },
	{ "read-only region file: PREFETCH",
	  "read-only region file: ``PREFETCH``",
	  op_ro_prefetch, { 0, 0, 0, A } },
	{ "read-only region file: mmap PROT_WRITE",
	  "read-only region file: ``mmap`` ``PROT_WRITE``",
	  op_ro_mmap_write, { A, A, A, A } },
	{ "read-only region file: PAGER_CLAIM",
	  "read-only region file: ``DISCARD``, ``PIN``, ``RECORD``, ``SET_WEIGHT``, ``PAGER_CLAIM``, ``MOVE``",
	  op_ro_claim, { EBADF, EBADF, EBADF, A } },
	{ "read-only region file: PAGER_LOCK",
	  "read-only region file: ``PAGER_LOCK``",
	  op_ro_pager_lock, { EBADF, EBADF, EBADF, A } },
	{ "held region file: REGION_INFO",
	  "held region file: ``REGION_INFO``, ``DISCARD``",
	  op_held_info, { 0, 0, 0, 0 } },
	{ "held region file: DISCARD",
	  "held region file: ``REGION_INFO``, ``DISCARD``",
	  op_held_discard, { 0, 0, 0, 0 } },
	{ "held read-only node file: DISCARD",
	  "held read-only node file: ``DISCARD``",
	  op_held_ro_discard, { EBADF, EBADF, EBADF, EBADF } },
	{ "held node file: RECORD",
	  "held node file, another's anonymous region: ``RECORD``, ``SET_WEIGHT``",
	  op_held_record, { 0, EPERM, EPERM, EPERM } },
	{ "held node file: SET_WEIGHT, lowered",
	  "held node file, another's anonymous region: ``RECORD``, ``SET_WEIGHT``",
	  op_held_weight, { 0, EPERM, EPERM, EPERM } },
	{ "held node file: PAGER_ATTACH, events",
	  "held node file: ``PAGER_ATTACH``, events",
	  op_held_dev_pager, { 0, 0, EPERM, EPERM } },
	{ "held pager file: VICTIMS",
	  "held pager file: ``VICTIMS``, ``poll``, ``mmap``",
	  op_held_victims, { 0, 0, 0, 0 } },
	{ "held pager file: mmap the ring, poll",
	  "held pager file: ``VICTIMS``, ``poll``, ``mmap``",
	  op_held_pager_map, { 0, 0, 0, 0 } },
	{ "held node file: VICTIMS (a pager's ioctl)",
	  "held node file: ``VICTIMS`` (a pager's ioctl)",
	  op_victims_on_dev, { ENOTTY, ENOTTY, ENOTTY, ENOTTY } },
	{ "held pager file: REGION_INFO (a region's ioctl)",
	  "held pager file: ``REGION_INFO`` (a region's ioctl)",
	  op_info_on_pager, { ENOTTY, ENOTTY, ENOTTY, ENOTTY } },
	{ "held pager file, events only: TAKE and SUPPLY",
	  "held events-only pager file: ``TAKE``, ``SUPPLY``, ``UNLOCK``",
	  op_data_on_events_pager, { EINVAL, EINVAL, EINVAL, EINVAL } },
	{ "held region file: PAGER_CLAIM naming a node file",
	  "``PAGER_CLAIM`` naming a file that is not a pager's",
	  op_claim_with_dev, { EBADF, EBADF, EBADF, EBADF } },
	{ "held region file: PAGER_LOCK naming a node file",
	  "``PAGER_LOCK`` naming a file that is not a pager's",
	  op_pager_lock_with_dev, { EBADF, EBADF, EBADF, EBADF } },
	{ "held region file: PAGER_LOCK naming an events-only pager",
	  "``PAGER_LOCK`` by a pager that did not claim the region",
	  op_pager_lock_events_pager, { EPERM, EPERM, EPERM, EPERM } },
	{ "held file open for reading: FILE, mmap PROT_READ",
	  "held file open for reading: ``FILE``, ``mmap`` ``PROT_READ``",
	  op_file_read, { 0, 0, 0, A } },
	{ "held read-only file: FILE shared, mmap PROT_WRITE",
	  "held read-only file: ``FILE`` shared, ``mmap`` ``PROT_WRITE``",
	  op_file_ro_shared_write, { A, A, A, A } },
	{ "held read-only file: FILE private, mmap PROT_WRITE",
	  "held read-only file: ``FILE`` private, ``mmap`` ``PROT_WRITE``",
	  op_file_ro_private_write, { 0, 0, 0, A } },
	{ "held read-write file: FILE shared, mmap PROT_WRITE",
	  "held read-write file: ``FILE`` shared, ``mmap`` ``PROT_WRITE``",
	  op_file_rw_shared_write, { 0, 0, 0, A } },
	{ "held write-only file: FILE",
	  "held write-only file: ``FILE``",
	  op_file_wo, { A, A, A, A } },
	{ "sysfs: write frames",
	  "sysfs: write a knob, or a policy's knob",
	  op_knob_write, { 0, A, A, A } },
	{ "sysfs: write policies/pager/timeout_ms",
	  "sysfs: write a knob, or a policy's knob",
	  op_policy_knob_write, { 0, A, A, A } },
	{ "sysfs: read frames",
	  "sysfs: read a knob or ``stat``",
	  op_knob_read, { 0, 0, 0, 0 } },
	{ "sysfs: read stat",
	  "sysfs: read a knob or ``stat``",
	  op_stat_read, { 0, 0, 0, 0 } },
	{ "debugfs: read regions, metadata, fault_latency, procs",
	  "debugfs: read ``regions``, ``metadata``, ``fault_latency``, ``procs``",
	  op_debugfs_read, { 0, A, A, A } },
	{ "debugfs: write region_id_next, reclaim_unmap_delay_ms, file_read_delay_ms",
	  "debugfs: write the test hooks ``region_id_next``, ``reclaim_unmap_delay_ms``, ``file_read_delay_ms``",
	  op_debugfs_hooks_write, { 0, A, A, A } },
};

#undef A

/* Become @who for good: groups, gid, uid (root stays root). */
static int become(enum who who)
{
	static const uid_t uid[NR_WHO] = {
		0, OWNER_UID, MEMBER_UID, OTHER_UID,
	};
	gid_t grp = GROUP_GID;
	struct rlimit lots = { 1 << 24, 1 << 24 };

	/* Pins and pager rings count against RLIMIT_MEMLOCK. */
	if (setrlimit(RLIMIT_MEMLOCK, &lots))
		return -1;
	if (who == ROOT)
		return 0;
	if (setgroups(who == OTHER ? 0 : 1, &grp))
		return -1;
	if (setresgid(uid[who], uid[who], uid[who]) ||
	    setresuid(uid[who], uid[who], uid[who]))
		return -1;
	return 0;
}

/* Run @c as @who in a child: the errno it got, or -1 if it died. */
static int run_cell(const struct cell *c, enum who who)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (become(who))
			_exit(255);
		_exit(c->op());
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

/*
 * A file of root's, mode 0600, of one page that starts with 'F', beside
 * the store's swap file (a file system that does direct I/O), unlinked
 * and held open three ways.
 */
static int held_files(void)
{
	char path[512], *slash;
	int fd;

	if (read_knob("swapfile", path, sizeof(path) - 32) || !path[0])
		return -1;
	slash = strrchr(path, '/');
	if (!slash)
		return -1;
	snprintf(slash, path + sizeof(path) - slash, "/swaplab-priv.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, "F", 1) != 1 || ftruncate(fd, page_size) || fsync(fd)) {
		unlink(path);
		return -1;
	}
	held.file_rw = fd;
	held.file_ro = open(path, O_RDONLY);
	held.file_wo = open(path, O_WRONLY);
	unlink(path);
	return held.file_ro < 0 || held.file_wo < 0 ? -1 : 0;
}

/* Root's files and regions, before the cells. */
static int setup(void)
{
	static const char *const names[] = { "priv-root-0600", "priv-root-0660",
				"priv-root-0644" };
	const __u32 modes[] = { 0600, 0660, 0644 };
	int fd;

	if (chown(SWAPLAB_DEVICE, OWNER_UID, GROUP_GID) ||
	    chmod(SWAPLAB_DEVICE, 0660))
		return -1;
	held.dev = open(SWAPLAB_DEVICE, O_RDWR);
	held.ro_dev = open(SWAPLAB_DEVICE, O_RDONLY);
	if (held.dev < 0 || held.ro_dev < 0)
		return -1;
	/* Regions made with the node's group as their group. */
	if (setresgid(-1, GROUP_GID, -1))
		return -1;
	for (int i = 0; i < 3; i++) {
		fd = attach(held.dev, names[i],
			    SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL,
			    modes[i]);
		if (fd < 0)
			return -1;
		if (i == 0)
			held.region = fd;
	}
	if (setresgid(-1, 0, -1))
		return -1;
	if (held_files())
		return -1;
	if (read_knob("frames", frames_val, sizeof(frames_val)) ||
	    read_knob("policies/pager/timeout_ms", timeout_val,
		      sizeof(timeout_val)))
		return -1;
	return 0;
}

/* Root's pager, held while the cells run; the pager cells need none. */
static int attach_held_pager(void)
{
	struct swaplab_pager_attach at = { .entries = 64 };

	held.pager = ioctl(held.dev, SWAPLAB_IOC_PAGER_ATTACH, &at);
	held.ring_bytes = at.ring_bytes;
	return held.pager < 0 ? -1 : 0;
}

/*
 * --table: the cells as the admin guide's rows, one line each: the row,
 * then the four expected answers ("-" allowed, else the errno's name),
 * tab-separated; tools/testing/privilege_table.sh checks them against the
 * guide. Needs neither root nor the module.
 */
static void print_table(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
		printf("%s", cells[i].row);
		for (int w = 0; w < NR_WHO; w++)
			printf("\t%s", cells[i].expect[w] ?
			       strerrorname_np(cells[i].expect[w]) : "-");
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	size_t n = ARRAY_SIZE(cells);
	struct stat node;
	int t = 0, failed = 0;

	if (argc == 2 && !strcmp(argv[1], "--table")) {
		print_table();
		return 0;
	}
	page_size = sysconf(_SC_PAGESIZE);
	printf("TAP version 13\n");
	if (geteuid() || stat(SWAPLAB_DEVICE, &node)) {
		printf("1..0 # SKIP needs root and %s\n", SWAPLAB_DEVICE);
		return 4;
	}
	printf("1..%zu\n", n * NR_WHO);
	if (setup()) {
		printf("# setup failed: %s\n", strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		/* Pager cells attach one of their own: no pager then. */
		bool wants_pager = c->op == op_held_victims ||
				   c->op == op_info_on_pager ||
				   c->op == op_data_on_events_pager ||
				   c->op == op_held_pager_map ||
				   c->op == op_ro_claim ||
				   c->op == op_ro_pager_lock ||
				   c->op == op_pager_lock_events_pager;

		if (wants_pager && attach_held_pager()) {
			printf("# could not attach root's pager: %s\n",
			       strerror(errno));
			failed++;
		}
		for (int w = 0; w < NR_WHO; w++) {
			int got = run_cell(c, w), want = c->expect[w];
			bool ok = got == want;

			t++;
			if (!ok)
				failed++;
			printf("%s %d - %s: %s: %s%s%s\n", ok ? "ok" : "not ok",
			       t, c->what, who_name[w],
			       got < 0 ? "died" : got ? strerror(got) : "allowed",
			       ok ? "" : ", the table says ",
			       ok ? "" : want ? strerror(want) : "allowed");
		}
		if (wants_pager) {
			close(held.pager);
			held.pager = -1;
		}
	}
	close(held.file_ro);
	close(held.file_wo);
	close(held.file_rw);
	close(held.region);
	close(held.dev);
	close(held.ro_dev);
	if (chown(SWAPLAB_DEVICE, node.st_uid, node.st_gid) ||
	    chmod(SWAPLAB_DEVICE, node.st_mode & 07777))
		printf("# could not give %s its owner and mode back\n",
		       SWAPLAB_DEVICE);
	printf("# %d of %d cells as the table says\n", t - failed, t);
	return failed ? 1 : 0;
}
