// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab micro: microbenchmarks of one mechanism each, measured in the
 * same process against the stock kernel's counterpart.
 *
 *   fault    a resident-page fault on swaplab (the page is in a frame,
 *            its PTE was zapped by MADV_DONTNEED) against its like for
 *            like on the stock kernel, the shmem refault (the page is in
 *            the page cache, its PTE zapped by MADV_DONTNEED the same
 *            way), and, as a separate figure, the anonymous first touch
 *            (allocate, zero, map); MADV_NOHUGEPAGE on the stock
 *            mappings, and the three measured in turn in each round;
 *            each figure is per page touched, with the faults the kernel
 *            counted per page (the touches are writes, and fault-around
 *            maps several pages a fault for read faults only: 1.000
 *            shows one page a fault)
 *   metadata fill a region through the budget and print debugfs
 *            metadata while the region lives, with its per-page figures
 *   rawread  the disk's raw O_DIRECT sequential read bandwidth, the
 *            physical limit of any swap-in
 *   anon     write private anonymous memory, pass after pass: pressure
 *            for the stock kernel's own reclaim (kswapd)
 *   hog      lock memory and hold it: a smaller machine, so that little
 *            anonymous memory puts the whole machine under pressure
 *   threads  fault throughput with 1, 2 and 4 threads, each faulting a
 *            slice of its own of one mapping: resident faults (swaplab
 *            against the shmem refault, as in fault) and major faults
 *            with no reclaim while they run (swaplab's pages evicted by
 *            shrinking the budget and emptying page buffering's pool,
 *            readahead=0, at admit_batch as set and at 0; the stock
 *            kernel's anonymous pages pushed to its swap with
 *            MADV_PAGEOUT, page-cluster=0)
 *   tier     a major fault served from the compressed tier against one
 *            from the disk, on pages half text and half zero bytes, and
 *            the pool's pages per byte; the stock kernel's zswap against its swap device the
 *            same way (MADV_PAGEOUT, page-cluster=0), same algorithm
 *
 * Times are wall clock; each figure is the median of several rounds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <swaplab.h>

#include "cli/cmd.h"
#include "lib/common.h"
#include "lib/debugfs.h"
#include "lib/knobs.h"
#include "lib/replay.h"
#include "lib/stock.h"
#include "lib/sysfs.h"

#define ROUNDS 5
#define MT_ROUNDS 3
#define MT_THREADS_MAX 16

static void usage_micro(FILE *f)
{
	fprintf(f,
		"usage: swaplab micro fault [--size SIZE]\n"
		"       swaplab micro metadata [--size SIZE] [--read]\n"
		"       swaplab micro rawread FILE [--bs SIZE]\n"
		"       swaplab micro anon --size SIZE [--passes N]\n"
		"       swaplab micro hog --size SIZE [--seconds N]\n"
		"       swaplab micro threads [--size SIZE] [--threads LIST] [--swapfile FILE]\n"
		"       swaplab micro tier [--size SIZE] [--alg NAME] [--swapfile FILE]\n"
		"  fault:   ns per resident-page fault on swaplab, per shmem\n"
		"           refault and per anonymous first touch (default 8M;\n"
		"           the frame budget must hold SIZE)\n"
		"  metadata: write SIZE of a region (default 64M) through the\n"
		"           budget, print debugfs metadata and bytes per page;\n"
		"           --read: read it instead, so that its pages leave\n"
		"           clean and without a slot (their history is shadow\n"
		"           entries of their own, up to the knob shadow_max)\n"
		"  rawread: MiB/s reading FILE with O_DIRECT (default bs 1M)\n"
		"  anon:    write SIZE of private anonymous memory N times\n"
		"  hog:     lock SIZE of memory and hold it N seconds (default 600)\n"
		"           or until killed; prints 'locked' once it holds it\n"
		"  threads: resident and major faults a second with each number\n"
		"           of threads in LIST (default 1,2,4; at most 16), on\n"
		"           SIZE (default 8M) split between them, swaplab against\n"
		"           the stock kernel; FILE: a swap file to make if the\n"
		"           stock kernel has no swap\n"
		"  tier:    ns per major fault from the compressed tier (compress=NAME,\n"
		"           default lz4) and from the disk, on SIZE (default 8M) of\n"
		"           pages half text, half zeros, and the pool's ratio; the\n"
		"           stock kernel's zswap with NAME against its swap the\n"
		"           same way\n");
}

/* Minor faults this process has taken so far. */
static long minflt_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Read one word of each of @pages pages, in order. */
static void read_pages(const uint8_t *map, size_t pages, long page_size)
{
	for (size_t p = 0; p < pages; p++) {
		uint64_t v = *(const uint64_t *)(map + p * page_size);

		/* Make the load happen: each one may fault. */
		__asm__ __volatile__("" : : "r"(v) : "memory");
	}
}

/*
 * Write one word of each of @pages pages; seconds per page. Adds the
 * minor faults taken to *@faults when @faults is not NULL.
 */
static double touch_pages(uint8_t *map, size_t pages, long page_size,
			  long *faults)
{
	long f0 = minflt_now();
	double t0 = replay_now(), dt;

	for (size_t p = 0; p < pages; p++) {
		*(uint64_t *)(map + p * page_size) = p + 1;
		/* Keep every store, in order: each one may fault. */
		__asm__ __volatile__("" : : : "memory");
	}
	dt = replay_now() - t0;
	if (faults)
		*faults += minflt_now() - f0;
	return dt / pages;
}

/*
 * One round of a refault: fill @map, zap its PTEs, time the faults that
 * map the pages again. -1 if madvise fails.
 */
static double refault_round(uint8_t *map, size_t pages, long page_size,
			    long *faults)
{
	touch_pages(map, pages, page_size, NULL);
	if (madvise(map, pages * page_size, MADV_DONTNEED))
		return -1;
	return touch_pages(map, pages, page_size, faults);
}

static double median(double *v, int n)
{
	replay_sort(v, n);
	return v[n / 2];
}

/* A shared or private anonymous mapping of 4 KiB pages; NULL on error. */
static uint8_t *stock_map(uint64_t size, int flags)
{
	uint8_t *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    flags | MAP_ANONYMOUS, -1, 0);

	if (map == MAP_FAILED)
		return NULL;
	if (madvise(map, size, MADV_NOHUGEPAGE)) {
		munmap(map, size);
		return NULL;
	}
	return map;
}

static int micro_fault(uint64_t size)
{
	long page_size = sysconf(_SC_PAGESIZE);
	size_t pages = size / page_size;
	double sl[ROUNDS], anon[ROUNDS], shm[ROUNDS];
	struct stat_set before, after;
	uint8_t *map, *shmap, *amap;
	long fsl = 0, fshm = 0, fanon = 0;
	uint64_t major;
	int fd;

	if (!pages || knob_ulong("frames") < pages + 64) {
		fprintf(stderr, "swaplab: micro fault: frames must hold %zu pages and 64 more\n",
			pages);
		return 1;
	}
	map = region_map(size, &fd);
	if (!map)
		return 1;
	shmap = stock_map(size, MAP_SHARED);
	if (!shmap) {
		perror("swaplab: micro fault: shmem");
		munmap(map, size);
		close(fd);
		return 1;
	}
	read_stats(&before);
	for (int i = 0; i < ROUNDS; i++) {
		sl[i] = refault_round(map, pages, page_size, &fsl);
		shm[i] = refault_round(shmap, pages, page_size, &fshm);
		amap = stock_map(size, MAP_PRIVATE);
		anon[i] = amap ? touch_pages(amap, pages, page_size, &fanon) : -1;
		if (amap)
			munmap(amap, size);
		if (sl[i] < 0 || shm[i] < 0 || anon[i] < 0) {
			perror("swaplab: micro fault: madvise or mmap");
			munmap(shmap, size);
			munmap(map, size);
			close(fd);
			return 1;
		}
	}
	read_stats(&after);
	munmap(shmap, size);
	munmap(map, size);
	close(fd);

	major = stat_value(&after, "major_faults") -
		stat_value(&before, "major_faults");
	printf("micro fault: %zu pages, median of %d rounds\n", pages, ROUNDS);
	/*
	 * ns per page touched, and the faults the kernel counted per page:
	 * below 1 where a fault maps several pages (fault-around).
	 */
	printf("  swaplab resident fault  %8.0f ns a page, %.3f faults a page\n",
	       median(sl, ROUNDS) * 1e9, (double)fsl / ROUNDS / pages);
	printf("  stock shmem refault     %8.0f ns a page, %.3f faults a page\n",
	       median(shm, ROUNDS) * 1e9, (double)fshm / ROUNDS / pages);
	printf("  stock anon first touch  %8.0f ns a page, %.3f faults a page\n",
	       median(anon, ROUNDS) * 1e9, (double)fanon / ROUNDS / pages);
	printf("  ratio vs shmem          %8.2f\n",
	       median(sl, ROUNDS) / median(shm, ROUNDS));
	printf("  ratio vs anon           %8.2f\n",
	       median(sl, ROUNDS) / median(anon, ROUNDS));
	/* Every refault must have found its page in a frame. */
	printf("  swaplab major faults    %8" PRIu64 "\n", major);
	return major != 0;
}

/* Attribute @attr of slab cache @cache in /sys/kernel/slab; 0 if unknown. */
static uint64_t slab_attr(const char *cache, const char *attr)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", cache, attr);
	if (read_file(path, buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 10);
}

/*
 * What @bytes of objects of slab cache @cache take of the kernel's
 * memory: debugfs counts each object at its object size, and the slab
 * spends its pages over the objects it holds, alignment and the room
 * left at a slab's end included. Printed as "slab CACHE OBJECT_SIZE
 * FOOTPRINT BYTES"; 0 when /sys/kernel/slab does not say.
 */
static uint64_t slab_bytes(const char *cache, uint64_t bytes, long page_size)
{
	uint64_t object = slab_attr(cache, "object_size");
	uint64_t objs = slab_attr(cache, "objs_per_slab");
	uint64_t order = slab_attr(cache, "order");
	uint64_t footprint, total;

	if (!object || !objs || order > 10)
		return 0;
	footprint = ((uint64_t)page_size << order) / objs;
	total = bytes / object * footprint;
	printf("slab %s %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", cache, object,
	       footprint, total);
	return total;
}

/*
 * Write (or with @readonly, read) every page of a @size region, through
 * the budget, then print debugfs metadata while the region still lives:
 * every line, then the region's own bytes per page (page table, frame
 * descriptors, region) apart from the store's bytes per slot, which
 * depend on the store's size and not on the region's; then the table and
 * the frame descriptors as their slabs spend them (slab_bytes()).
 */
static int micro_metadata(uint64_t size, bool readonly)
{
	long page_size = sysconf(_SC_PAGESIZE);
	size_t pages = size / page_size;
	uint64_t region, slots, table, frames, md_pages;
	struct stat_set md;
	uint8_t *map;
	int fd, rc = 0;

	map = region_map(size, &fd);
	if (!map)
		return 1;
	if (readonly)
		read_pages(map, pages, page_size);
	else
		touch_pages(map, pages, page_size, NULL);
	if (debugfs_metadata(&md) || !stat_value(&md, "pages")) {
		fprintf(stderr, "swaplab: micro metadata: no debugfs metadata\n");
		rc = 1;
		goto out;
	}
	for (int i = 0; i < md.n; i++)
		printf("metadata %s %" PRIu64 "\n", md.name[i], md.value[i]);
	region = stat_value(&md, "xa_node_bytes") +
		 stat_value(&md, "frame_descriptor_bytes") +
		 stat_value(&md, "region_bytes");
	slots = stat_value(&md, "store_slots");
	printf("region bytes per page %.2f (table %.2f, frames %.2f, region %.2f) for %" PRIu64 " pages\n",
	       (double)region / stat_value(&md, "pages"),
	       (double)stat_value(&md, "xa_node_bytes") / stat_value(&md, "pages"),
	       (double)stat_value(&md, "frame_descriptor_bytes") / stat_value(&md, "pages"),
	       (double)stat_value(&md, "region_bytes") / stat_value(&md, "pages"),
	       stat_value(&md, "pages"));
	if (slots)
		printf("store bytes per slot %.3f (checksums %.3f) for %" PRIu64 " slots\n",
		       (double)stat_value(&md, "store_bytes") / slots,
		       (double)stat_value(&md, "slot_csum_bytes") / slots, slots);
	md_pages = stat_value(&md, "pages");
	table = slab_bytes("radix_tree_node", stat_value(&md, "xa_node_bytes"),
			   page_size);
	frames = slab_bytes("swaplab_frame",
			    stat_value(&md, "frame_descriptor_bytes"), page_size);
	if (table && frames)
		printf("region bytes per page as the slabs spend them %.2f (table %.2f, frames %.2f, region %.2f)\n",
		       (double)(table + frames + stat_value(&md, "region_bytes")) / md_pages,
		       (double)table / md_pages, (double)frames / md_pages,
		       (double)stat_value(&md, "region_bytes") / md_pages);
	else
		printf("region bytes per page as the slabs spend them: missing (no /sys/kernel/slab)\n");
out:
	munmap(map, size);
	close(fd);
	return rc;
}

static int micro_rawread(const char *path, uint64_t bs)
{
	uint64_t total = 0;
	double t0, dt;
	void *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (posix_memalign(&buf, 4096, bs)) {
		close(fd);
		return 1;
	}
	t0 = replay_now();
	while ((n = read(fd, buf, bs)) > 0)
		total += n;
	dt = replay_now() - t0;
	close(fd);
	free(buf);
	if (n < 0 || !total) {
		fprintf(stderr, "swaplab: %s: read: %s\n", path,
			n < 0 ? strerror(errno) : "empty");
		return 1;
	}
	printf("micro rawread: %" PRIu64 " MiB in %.3f s, %.1f MiB/s (O_DIRECT, %" PRIu64 " KiB reads)\n",
	       total >> 20, dt, total / dt / (1 << 20), bs >> 10);
	return 0;
}

static int micro_anon(uint64_t size, int passes)
{
	long page_size = sysconf(_SC_PAGESIZE);
	size_t pages = size / page_size;
	double t0 = replay_now();
	uint64_t bad = 0;
	uint8_t *map;

	map = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		perror("swaplab: mmap");
		return 1;
	}
	for (int pass = 0; pass < passes; pass++)
		for (size_t p = 0; p < pages; p++) {
			uint64_t *w = (uint64_t *)(map + p * page_size);

			if (*w != (pass ? pattern(p, 0, pass) : 0))
				bad++;
			*w = pattern(p, 0, pass + 1);
		}
	printf("micro anon: %zu pages, %d passes in %.3f s, %" PRIu64 " mismatches\n",
	       pages, passes, replay_now() - t0, bad);
	munmap(map, size);
	return bad != 0;
}

static int micro_hog(uint64_t size, int seconds)
{
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED,
			 -1, 0);

	if (map == MAP_FAILED) {
		perror("swaplab: micro hog");
		return 1;
	}
	printf("micro hog: locked %" PRIu64 " MiB\n", size >> 20);
	fflush(stdout);
	sleep(seconds);
	munmap(map, size);
	return 0;
}

/* One thread's share of a multi-threaded fault run. */
struct mt_job {
	uint8_t *map;
	size_t pages;
	long page_size;
	bool write;
};

/* Start line of a multi-threaded run: threads wait until @go is set. */
static pthread_mutex_t mt_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mt_cond = PTHREAD_COND_INITIALIZER;
static int mt_go;	/* 1: fault, -1: give up; under mt_lock */

static void *mt_worker(void *arg)
{
	struct mt_job *j = arg;
	int go;

	pthread_mutex_lock(&mt_lock);
	while (!mt_go)
		pthread_cond_wait(&mt_cond, &mt_lock);
	go = mt_go;
	pthread_mutex_unlock(&mt_lock);
	if (go < 0)
		return NULL;
	if (j->write)
		touch_pages(j->map, j->pages, j->page_size, NULL);
	else
		read_pages(j->map, j->pages, j->page_size);
	return NULL;
}

static void mt_start(int go)
{
	pthread_mutex_lock(&mt_lock);
	mt_go = go;
	pthread_cond_broadcast(&mt_cond);
	pthread_mutex_unlock(&mt_lock);
}

/*
 * Fault the @pages pages of @map with @nt threads, each its own slice
 * (reads, or writes with @write): the faults the process took a second,
 * from the start to the last thread done, or -1 if a thread could not
 * be made. *@faults gets those faults: major ones, or minor with !@major.
 */
static double mt_run(uint8_t *map, size_t pages, long page_size, int nt,
		     bool write, bool major, long *faults)
{
	struct mt_job job[MT_THREADS_MAX];
	pthread_t th[MT_THREADS_MAX];
	struct rusage r0, r1;
	double t0, dt;
	int i, made;

	mt_go = 0;
	for (made = 0; made < nt; made++) {
		size_t lo = pages * made / nt, hi = pages * (made + 1) / nt;

		job[made] = (struct mt_job){ map + lo * page_size, hi - lo,
					     page_size, write };
		if (pthread_create(&th[made], NULL, mt_worker, &job[made]))
			break;
	}
	getrusage(RUSAGE_SELF, &r0);
	t0 = replay_now();
	mt_start(made == nt ? 1 : -1);
	for (i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	dt = replay_now() - t0;
	getrusage(RUSAGE_SELF, &r1);
	*faults = major ? r1.ru_majflt - r0.ru_majflt :
			  r1.ru_minflt - r0.ru_minflt;
	return made == nt && dt > 0 ? *faults / dt : -1;
}

/*
 * Evict every page swaplab holds: shrink the budget to its least, wait
 * until the daemon has evicted down to it, empty page buffering's pool
 * (its pages would come back with no I/O: the figures here are of faults
 * that read the store, as the stock side's after MADV_PAGEOUT), and give
 * the budget back (the caller's knobs_restore() puts the watermarks back
 * too). 0, or -1 if the pages did not go within a minute.
 */
static int mt_evict_all(unsigned long frames)
{
	char buf[32], pb[8] = "";
	int i, rc = -1;

	if (knob_write("frames", "16"))
		return -1;
	for (i = 0; i < 6000; i++) {
		struct stat_set s;

		if (!read_stats(&s) && stat_value(&s, "resident") <= 16) {
			rc = 0;
			break;
		}
		usleep(10000);
	}
	/* Off empties the pool; on again, it keeps what is evicted later. */
	if (!knob_read("page_buffering", pb, sizeof(pb)) && atoi(pb) &&
	    (knob_write("page_buffering", "0") ||
	     knob_write("page_buffering", "1")))
		rc = -1;
	snprintf(buf, sizeof(buf), "%lu", frames);
	if (knob_write("frames", buf))
		return -1;
	return rc;
}

/* The figures of one kind of fault at one number of threads. */
struct mt_fig {
	double rate;		/* faults a second, median of the rounds */
	double per_page;	/* faults the kernel counted a page */
	const char *missing;	/* why there is no figure, or NULL */
};

static void mt_put(struct mt_fig *fig, double *rate, long faults,
		   size_t pages, int rounds)
{
	if (rounds < MT_ROUNDS) {
		if (!fig->missing)
			fig->missing = "a round failed";
		return;
	}
	fig->rate = median(rate, rounds);
	fig->per_page = (double)faults / rounds / pages;
}

static void mt_print(const char *what, int nt, const struct mt_fig *fig)
{
	if (fig->missing)
		printf("  threads %d %-22s missing (%s)\n", nt, what,
		       fig->missing);
	else
		printf("  threads %d %-22s %10.0f faults/s, %.3f faults a page\n",
		       nt, what, fig->rate, fig->per_page);
}

/* Both sides' resident faults with @nt threads: write faults after a zap. */
static int mt_resident(uint8_t *map, uint8_t *shmap, size_t pages,
		       long page_size, int nt, struct mt_fig *sl,
		       struct mt_fig *shm)
{
	double rsl[MT_ROUNDS], rshm[MT_ROUNDS];
	long fsl = 0, fshm = 0, f;
	int i;

	for (i = 0; i < MT_ROUNDS; i++) {
		touch_pages(map, pages, page_size, NULL);
		touch_pages(shmap, pages, page_size, NULL);
		if (madvise(map, pages * page_size, MADV_DONTNEED) ||
		    madvise(shmap, pages * page_size, MADV_DONTNEED))
			return -1;
		rsl[i] = mt_run(map, pages, page_size, nt, true, false, &f);
		fsl += f;
		rshm[i] = mt_run(shmap, pages, page_size, nt, true, false, &f);
		fshm += f;
		if (rsl[i] < 0 || rshm[i] < 0)
			return -1;
	}
	mt_put(sl, rsl, fsl, pages, MT_ROUNDS);
	mt_put(shm, rshm, fshm, pages, MT_ROUNDS);
	return 0;
}

/*
 * swaplab's major faults with @nt threads: every page evicted first, so
 * that each read fault reads its page and no reclaim runs meanwhile.
 */
static int mt_major_swaplab(uint8_t *map, size_t pages, long page_size,
			    int nt, unsigned long frames, struct mt_fig *fig)
{
	double rate[MT_ROUNDS];
	long faults = 0, f;
	int i;

	for (i = 0; i < MT_ROUNDS; i++) {
		if (mt_evict_all(frames))
			return -1;
		rate[i] = mt_run(map, pages, page_size, nt, false, true, &f);
		if (rate[i] < 0)
			return -1;
		faults += f;
	}
	mt_put(fig, rate, faults, pages, MT_ROUNDS);
	return 0;
}

/*
 * Give each page of @amap (written) a copy in the stock kernel's swap:
 * push them out, wait for the writes, and read them back, so that each
 * later MADV_PAGEOUT drops them at once, clean, as swaplab's evictions
 * drop its clean pages. Without it the first round's pages would still
 * be in the swap cache, under writeback, when read back: minor faults.
 * 0, or an errno.
 */
static int mt_stock_warm(uint8_t *amap, size_t pages, long page_size)
{
	int i;

	if (madvise(amap, pages * page_size, MADV_PAGEOUT))
		return errno;
	for (i = 0; i < 1000 && stock_vmstat("nr_writeback"); i++)
		usleep(10000);
	read_pages(amap, pages, page_size);
	return 0;
}

/*
 * The stock kernel's major faults with @nt threads: anonymous pages
 * pushed to swap with MADV_PAGEOUT, then read back. Missing (not a
 * failure) when the kernel refuses MADV_PAGEOUT.
 */
static void mt_major_stock(uint8_t *amap, size_t pages, long page_size,
			   int nt, struct mt_fig *fig)
{
	double rate[MT_ROUNDS];
	long faults = 0, f;
	int i;

	for (i = 0; i < MT_ROUNDS; i++) {
		if (madvise(amap, pages * page_size, MADV_PAGEOUT)) {
			fig->missing = strerror(errno);
			break;
		}
		rate[i] = mt_run(amap, pages, page_size, nt, false, true, &f);
		if (rate[i] < 0)
			break;
		faults += f;
	}
	mt_put(fig, rate, faults, pages, i);
}

static int micro_threads(uint64_t size, const int *threads, int nr,
			 const char *swapfile)
{
	long page_size = sysconf(_SC_PAGESIZE);
	size_t pages = size / page_size;
	struct mt_fig res[2], maj[3];
	char ra[32], batch[32], pc[32] = "";
	unsigned long frames = knob_ulong("frames");
	uint8_t *map = NULL, *shmap = NULL, *amap = NULL;
	int fd = -1, rc = 1, i;
	bool have_swap;

	if (!pages || frames < pages + 64) {
		fprintf(stderr, "swaplab: micro threads: frames must hold %zu pages and 64 more\n",
			pages);
		return 1;
	}
	if (knob_read("readahead", ra, sizeof(ra)) ||
	    knob_read("admit_batch", batch, sizeof(batch))) {
		fprintf(stderr, "swaplab: micro threads: cannot read the knobs\n");
		return 1;
	}
	knobs_save();
	knobs_catch_signals();
	have_swap = !stock_swap(swapfile, 2 * size, page_size);
	if (have_swap && (read_file("/proc/sys/vm/page-cluster", pc, sizeof(pc)) ||
			  write_file("/proc/sys/vm/page-cluster", "0")))
		have_swap = false;
	map = region_map(size, &fd);
	shmap = stock_map(size, MAP_SHARED);
	amap = stock_map(size, MAP_PRIVATE);
	if (!map || !shmap || !amap || knob_write("readahead", "0")) {
		perror("swaplab: micro threads: mmap or readahead");
		goto out;
	}
	touch_pages(amap, pages, page_size, NULL);
	if (have_swap) {
		int err = mt_stock_warm(amap, pages, page_size);

		if (err) {
			fprintf(stderr, "swaplab: micro threads: MADV_PAGEOUT: %s\n",
				strerror(err));
			have_swap = false;
		}
	}
	printf("micro threads: %zu pages split between the threads, median of %d rounds; admit_batch %s, checksum %lu\n",
	       pages, MT_ROUNDS, batch, knob_ulong("checksum"));
	for (i = 0; i < nr && !knobs_stop_signal(); i++) {
		memset(maj, 0, sizeof(maj));
		memset(res, 0, sizeof(res));
		if (mt_resident(map, shmap, pages, page_size, threads[i],
				&res[0], &res[1]) ||
		    knob_write("admit_batch", batch) ||
		    mt_major_swaplab(map, pages, page_size, threads[i], frames,
				     &maj[0]) ||
		    knob_write("admit_batch", "0") ||
		    mt_major_swaplab(map, pages, page_size, threads[i], frames,
				     &maj[1])) {
			perror("swaplab: micro threads");
			goto out;
		}
		if (!have_swap)
			maj[2].missing = "the stock kernel has no swap";
		else
			mt_major_stock(amap, pages, page_size, threads[i], &maj[2]);
		mt_print("resident swaplab", threads[i], &res[0]);
		mt_print("resident shmem", threads[i], &res[1]);
		mt_print("major swaplab", threads[i], &maj[0]);
		mt_print("major swaplab-unbatched", threads[i], &maj[1]);
		mt_print("major stock", threads[i], &maj[2]);
		fflush(stdout);
	}
	rc = knobs_stop_signal() ? 1 : 0;
out:
	knob_write("readahead", ra);
	knob_write("admit_batch", batch);
	if (pc[0])
		write_file("/proc/sys/vm/page-cluster", pc);
	if (amap)
		munmap(amap, size);
	if (shmap)
		munmap(shmap, size);
	if (map)
		munmap(map, size);
	if (fd >= 0)
		close(fd);
	knobs_restore();
	stock_restore();
	return rc;
}

/*
 * Page @p of the tier's workload, at a stated ratio: its first half is
 * text (words of a small vocabulary, separated by spaces, as prose is),
 * the rest zero bytes, as a heap page of short strings and cleared
 * padding. lz4 takes such a page to about a third (the text half alone
 * compresses about 1.6x in a 4 KiB page: so does real prose, which needs
 * the window of a whole file for more).
 */
static void tier_text(uint8_t *page, size_t p, long page_size)
{
	static const char * const words[] = {
		"the", "of", "and", "to", "in", "a", "is", "that", "for", "it",
		"as", "was", "with", "be", "by", "on", "not", "he", "this",
		"are", "or", "his", "from", "at", "which", "but", "have", "an",
		"had", "they", "you", "were", "their", "one", "all", "we",
		"can", "her", "has", "there", "been", "if", "more", "when",
		"will", "would", "who", "so", "no", "page", "memory", "swap",
		"frame", "fault", "policy", "kernel", "process", "store",
		"daemon", "region", "slot", "evict", "compress", "pool",
	};
	uint64_t state = (p + 1) * 0x9E3779B97F4A7C15ull;
	long at = 0, text = page_size / 2;

	while (at < text) {
		const char *w = words[prng_next(&state) % 64];
		size_t len = strlen(w);

		if (at + (long)len + 1 > text)
			len = text - at - 1;
		memcpy(page + at, w, len);
		at += len;
		page[at++] = ' ';
	}
	memset(page + at, 0, page_size - at);
}

static void tier_fill(uint8_t *map, size_t pages, long page_size)
{
	for (size_t p = 0; p < pages; p++)
		tier_text(map + p * page_size, p, page_size);
}

/* Pages of @map that differ from tier_fill()'s text. */
static size_t tier_bad(const uint8_t *map, size_t pages, long page_size)
{
	uint8_t *want = malloc(page_size);
	size_t bad = 0;

	if (!want)
		return pages;
	for (size_t p = 0; p < pages; p++) {
		tier_text(want, p, page_size);
		bad += !!memcmp(map + p * page_size, want, page_size);
	}
	free(want);
	return bad;
}

/* Major faults of a read of every page, in ns a fault; -1 if none. */
static double tier_read(const uint8_t *map, size_t pages, long page_size)
{
	struct rusage r0, r1;
	double t0, dt;
	long majors;

	getrusage(RUSAGE_SELF, &r0);
	t0 = replay_now();
	read_pages(map, pages, page_size);
	dt = replay_now() - t0;
	getrusage(RUSAGE_SELF, &r1);
	majors = r1.ru_majflt - r0.ru_majflt;
	return majors > 0 ? dt * 1e9 / majors : -1;
}

/* One side's figures: ns a fault, median of rounds, and the faults. */
struct tier_fig {
	double ns;
	const char *missing;
};

static void tier_print(const char *what, const struct tier_fig *f)
{
	if (f->missing)
		printf("  %-22s missing (%s)\n", what, f->missing);
	else
		printf("  %-22s %10.0f ns a major fault\n", what, f->ns);
}

/*
 * swaplab's major faults, every page evicted before each round (to the
 * pool with the tier on, to the disk with it off): ns a fault.
 */
static void tier_swaplab(uint8_t *map, size_t pages, long page_size,
			 unsigned long frames, struct tier_fig *fig)
{
	double ns[MT_ROUNDS];
	int i;

	for (i = 0; i < MT_ROUNDS; i++) {
		if (mt_evict_all(frames)) {
			fig->missing = "pages not evicted";
			return;
		}
		ns[i] = tier_read(map, pages, page_size);
		if (ns[i] < 0) {
			fig->missing = "no major fault";
			return;
		}
	}
	fig->ns = median(ns, MT_ROUNDS);
}

/* The same on the stock kernel: anonymous pages and MADV_PAGEOUT. */
static void tier_stock(uint8_t *amap, size_t pages, long page_size,
		       struct tier_fig *fig)
{
	double ns[MT_ROUNDS];
	int i;

	for (i = 0; i < MT_ROUNDS; i++) {
		if (madvise(amap, pages * page_size, MADV_PAGEOUT)) {
			fig->missing = strerror(errno);
			return;
		}
		for (int w = 0; w < 1000 && stock_vmstat("nr_writeback"); w++)
			usleep(10000);
		ns[i] = tier_read(amap, pages, page_size);
		if (ns[i] < 0) {
			fig->missing = "no major fault";
			return;
		}
	}
	fig->ns = median(ns, MT_ROUNDS);
}

/* A number from a file of one (zswap's debugfs); -1 if unreadable. */
static double tier_read_num(const char *path)
{
	char buf[64];

	return read_file(path, buf, sizeof(buf)) ? -1 : strtod(buf, NULL);
}

#define ZSWAP_PARAM	"/sys/module/zswap/parameters/"
#define ZSWAP_DEBUG	"/sys/kernel/debug/zswap/"

/* zswap's parameters as found, to put back. */
static char zswap_saved[3][64];
static const char * const zswap_params[3] = {
	ZSWAP_PARAM "enabled", ZSWAP_PARAM "compressor",
	ZSWAP_PARAM "max_pool_percent",
};

/*
 * The stock side: @pages of text in fresh anonymous memory, pushed out
 * with zswap on (@alg) and then, in fresh memory again, with it off. A
 * figure is missing where the kernel has no swap, no zswap, or refuses.
 */
static void tier_stock_both(size_t pages, long page_size, const char *alg,
			    const char *swapfile, struct tier_fig *zs,
			    struct tier_fig *disk, double *ratio)
{
	uint64_t size = pages * page_size;
	double stored, bytes;
	uint8_t *amap;
	int i, err;

	*ratio = -1;
	if (stock_swap(swapfile, 2 * size, page_size)) {
		zs->missing = "the stock kernel has no swap";
		disk->missing = zs->missing;
		return;
	}
	for (i = 0; i < 3; i++)
		if (read_file(zswap_params[i], zswap_saved[i],
			      sizeof(zswap_saved[i])))
			zswap_saved[i][0] = '\0';
	if (!zswap_saved[0][0] || write_file(zswap_params[1], alg) ||
	    write_file(zswap_params[2], "50") ||
	    write_file(zswap_params[0], "Y")) {
		zs->missing = "no zswap, or it refused the algorithm";
	} else {
		amap = stock_map(size, MAP_PRIVATE);
		if (!amap) {
			zs->missing = "mmap";
		} else {
			tier_fill(amap, pages, page_size);
			if (madvise(amap, size, MADV_PAGEOUT))
				zs->missing = strerror(errno);
			stored = tier_read_num(ZSWAP_DEBUG "stored_pages");
			bytes = tier_read_num(ZSWAP_DEBUG "pool_total_size");
			if (stored > 0 && bytes > 0)
				*ratio = stored * page_size / bytes;
			tier_read(amap, pages, page_size);
			if (!zs->missing)
				tier_stock(amap, pages, page_size, zs);
			if (tier_bad(amap, pages, page_size))
				zs->missing = "pages read back wrong";
			munmap(amap, size);
		}
	}
	if (zswap_saved[0][0])
		write_file(zswap_params[0], "N");
	amap = stock_map(size, MAP_PRIVATE);
	if (!amap) {
		disk->missing = "mmap";
		return;
	}
	tier_fill(amap, pages, page_size);
	/* A copy of each page in swap first, as mt_stock_warm() says. */
	err = mt_stock_warm(amap, pages, page_size);
	if (err)
		disk->missing = strerror(err);
	else
		tier_stock(amap, pages, page_size, disk);
	if (tier_bad(amap, pages, page_size))
		disk->missing = "pages read back wrong";
	munmap(amap, size);
}

static int micro_tier(uint64_t size, const char *alg, const char *swapfile)
{
	long page_size = sysconf(_SC_PAGESIZE);
	size_t pages = size / page_size;
	unsigned long frames = knob_ulong("frames");
	char ra[32], comp[64], pmax[32], pc[32] = "", buf[32];
	struct tier_fig pool = { 0 }, disk = { 0 }, zs = { 0 }, zdisk = { 0 };
	double ratio = -1, zratio;
	struct stat_set st;
	uint8_t *map = NULL;
	int fd = -1, rc = 1, i;

	if (!pages || frames < pages + 64) {
		fprintf(stderr, "swaplab: micro tier: frames must hold %zu pages and 64 more\n",
			pages);
		return 1;
	}
	if (knob_read("readahead", ra, sizeof(ra)) ||
	    knob_read("compress", comp, sizeof(comp)) ||
	    knob_read("compress_pool_max", pmax, sizeof(pmax))) {
		fprintf(stderr, "swaplab: micro tier: cannot read the knobs (no compressed tier?)\n");
		return 1;
	}
	knobs_save();
	knobs_catch_signals();
	snprintf(buf, sizeof(buf), "%" PRIu64, 2 * size);
	if (knob_write("readahead", "0") || knob_write("compress", alg) ||
	    knob_write("compress_pool_max", buf)) {
		fprintf(stderr, "swaplab: micro tier: compress=%s refused\n", alg);
		goto out;
	}
	map = region_map(size, &fd);
	if (!map) {
		perror("swaplab: micro tier: mmap");
		goto out;
	}
	/* The tier on: each round's pages go to the pool, come back dirty. */
	tier_fill(map, pages, page_size);
	if (mt_evict_all(frames) || read_stats(&st)) {
		pool.missing = "pages not evicted";
	} else if (stat_value(&st, "compress_pool_bytes") > 0) {
		ratio = (double)stat_value(&st, "compress_pool_pages") *
			page_size / stat_value(&st, "compress_pool_bytes");
	}
	tier_read(map, pages, page_size);
	if (!pool.missing)
		tier_swaplab(map, pages, page_size, frames, &pool);
	/* Off, and the pool written back: the same faults from the disk. */
	if (knob_write("compress", "off") ||
	    knob_write("compress_pool_max", "0")) {
		disk.missing = "compress=off refused";
	} else {
		tier_fill(map, pages, page_size);
		tier_swaplab(map, pages, page_size, frames, &disk);
	}
	if (tier_bad(map, pages, page_size)) {
		fprintf(stderr, "swaplab: micro tier: pages read back wrong\n");
		goto out;
	}
	if (read_file("/proc/sys/vm/page-cluster", pc, sizeof(pc)) ||
	    write_file("/proc/sys/vm/page-cluster", "0")) {
		pc[0] = '\0';
		zs.missing = "page-cluster not set";
		zdisk.missing = zs.missing;
		zratio = -1;
	} else {
		tier_stock_both(pages, page_size, alg, swapfile, &zs, &zdisk,
				&zratio);
	}
	printf("micro tier: %zu pages, half text and half zero bytes, %s, median of %d rounds, readahead 0, page-cluster 0\n",
	       pages, alg, MT_ROUNDS);
	tier_print("swaplab pool", &pool);
	tier_print("swaplab disk", &disk);
	tier_print("stock zswap", &zs);
	tier_print("stock disk", &zdisk);
	if (ratio > 0)
		printf("  swaplab pool ratio     %10.2f pages of memory a page of pool\n",
		       ratio);
	else
		printf("  swaplab pool ratio     missing\n");
	if (zratio > 0)
		printf("  stock zswap ratio      %10.2f pages of memory a page of pool\n",
		       zratio);
	else
		printf("  stock zswap ratio      missing\n");
	rc = knobs_stop_signal() ? 1 : 0;
out:
	if (map)
		munmap(map, size);
	if (fd >= 0)
		close(fd);
	knob_write("readahead", ra);
	knob_write("compress", comp);
	knob_write("compress_pool_max", pmax);
	if (pc[0])
		write_file("/proc/sys/vm/page-cluster", pc);
	for (i = 2; i >= 0; i--)
		if (zswap_saved[i][0])
			write_file(zswap_params[i], zswap_saved[i]);
	knobs_restore();
	stock_restore();
	return rc;
}

/* "1,2,4" into @threads; the count, or -1 if malformed. */
static int parse_threads(const char *s, int *threads)
{
	int n = 0;
	char *end;

	while (*s) {
		long v = strtol(s, &end, 10);

		if (end == s || v < 1 || v > MT_THREADS_MAX || n == MT_THREADS_MAX)
			return -1;
		threads[n++] = v;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return n ? n : -1;
}

int cmd_micro(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "bs", required_argument, NULL, 'b' },
		{ "passes", required_argument, NULL, 'p' },
		{ "seconds", required_argument, NULL, 't' },
		{ "read", no_argument, NULL, 'R' },
		{ "threads", required_argument, NULL, 'T' },
		{ "swapfile", required_argument, NULL, 'S' },
		{ "alg", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t size = 0, bs = 1 << 20;
	int opt, passes = 2, seconds = 600, nr_threads = 3;
	int threads[MT_THREADS_MAX] = { 1, 2, 4 };
	bool bad = false, readonly = false, mt_opts = false;
	const char *swapfile = NULL, *alg = NULL;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			bad |= parse_size(optarg, &size) || !size;
			break;
		case 'b':
			bad |= parse_size(optarg, &bs) || !bs || bs % 4096;
			break;
		case 'p':
			passes = atoi(optarg);
			bad |= passes < 1;
			break;
		case 't':
			seconds = atoi(optarg);
			bad |= seconds < 0;
			break;
		case 'R':
			readonly = true;
			break;
		case 'T':
			nr_threads = parse_threads(optarg, threads);
			bad |= nr_threads < 0;
			mt_opts = true;
			break;
		case 'S':
			swapfile = optarg;
			break;
		case 'A':
			alg = optarg;
			break;
		case 'h':
			usage_micro(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	/*
	 * --read is metadata's alone, --threads threads', --alg tier's,
	 * --swapfile both of theirs.
	 */
	bad |= readonly && (optind != argc - 1 ||
			    strcmp(argv[optind], "metadata"));
	bad |= mt_opts && (optind != argc - 1 ||
			   strcmp(argv[optind], "threads"));
	bad |= alg && (optind != argc - 1 || strcmp(argv[optind], "tier"));
	bad |= swapfile && (optind != argc - 1 ||
			    (strcmp(argv[optind], "threads") &&
			     strcmp(argv[optind], "tier")));
	if (!bad && optind == argc - 1 && !strcmp(argv[optind], "tier"))
		return need_module() ? 1 :
		       micro_tier(size ? size : 8 << 20, alg ? alg : "lz4",
				  swapfile);
	if (!bad && optind == argc - 1 && !strcmp(argv[optind], "threads"))
		return need_module() ? 1 :
		       micro_threads(size ? size : 8 << 20, threads,
				     nr_threads, swapfile);
	if (!bad && optind == argc - 1 && !strcmp(argv[optind], "fault"))
		return access(SWAPLAB_DEVICE, F_OK) ?
		       (fprintf(stderr, "swaplab: module not loaded\n"), 1) :
		       micro_fault(size ? size : 8 << 20);
	if (!bad && optind == argc - 1 && !strcmp(argv[optind], "metadata"))
		return access(SWAPLAB_DEVICE, F_OK) ?
		       (fprintf(stderr, "swaplab: module not loaded\n"), 1) :
		       micro_metadata(size ? size : 64 << 20, readonly);
	if (!bad && optind == argc - 2 && !strcmp(argv[optind], "rawread"))
		return micro_rawread(argv[optind + 1], bs);
	if (!bad && optind == argc - 1 && !strcmp(argv[optind], "anon"))
		return micro_anon(size ? size : 8 << 20, passes);
	if (!bad && optind == argc - 1 && !strcmp(argv[optind], "hog"))
		return micro_hog(size ? size : 8 << 20, seconds);
	usage_micro(stderr);
	return 2;
}
