// SPDX-License-Identifier: GPL-2.0
/*
 * The programs dsm_test.sh and the bench's bench-dsm.sh run on each of two
 * machines, on a region that `swaplab dsm serve` keeps coherent between
 * them. Each prints "ok: ..." and exits 0 when what it checks holds, or
 * says what broke and exits 1; the bench's figures come before, as lines
 * of "bench KEY VALUE".
 *
 *   dsm_prog counter REGION NODE NODES N
 *	adds 1 to a counter N times, each under a spinlock (an atomic
 *	compare-and-swap on another shared page); after a barrier every
 *	node reads NODES * N
 *   dsm_prog ring REGION NODE N
 *	node 0 puts 1 to N through a ring of shared pages, node 1 takes
 *	them out and checks that each is the one after the last
 *   dsm_prog jacobi REGION NODE NODES SIZE ITERS
 *	a Jacobi iteration on a SIZE x SIZE grid of doubles, each node the
 *	rows of its share, a barrier between iterations; every node checks
 *	the grid against the same iteration run alone in its own memory,
 *	byte for byte, and prints the seconds the iterations took, and of
 *	those the seconds in its rows and in the barriers (the keys
 *	dsm_jacobi_one_* on one node, dsm_jacobi_two_nodeNODE_* on two).
 *	Each node writes the first values of its own rows, so that their
 *	pages start on the node that computes them
 *   dsm_prog own REGION NODE PAGES
 *	node 0 writes a pattern on the PAGES pages of the region it
 *	manages (the even pages), has node 1 read one of them, and waits
 *	(in a barrier) until node 1 is done
 *   dsm_prog survive REGION PAGES MS
 *	after the peer's server is gone: the pages this node holds alone
 *	still read their pattern; a page it must ask the peer for, and a
 *	write to one the peer has a copy of, fail with SIGBUS within MS
 *   dsm_prog faults REGION NODE PAGES
 *	what a fault costs, by kind, timed around the access that takes
 *	it (microseconds, p50 and p90 over PAGES pages): node 1 reads
 *	pages it manages (served by its own server), node 0 writes pages
 *	it manages (likewise), node 1 reads those (each from node 0),
 *	node 0 writes them again (each invalidating node 1's copy), and
 *	node 1 writes them (each taken over from node 0); every page is
 *	checked to read what was last written. The node that waits for
 *	the other's faults looks at the barrier only every 5 ms
 *   dsm_prog pingpong REGION NODE ROUNDS
 *	the two nodes take turns writing one word of one page, ROUNDS
 *	times each: the microseconds of a round, in which the page goes
 *	to node 1 and back, on node 0's clock from its first turn to the
 *	end of node 1's last
 *   dsm_prog share REGION NODE N
 *	each node adds 1 to a word N times: first a word on a page of its
 *	own, then its word of one page that both write (false sharing);
 *	the milliseconds of each, and every count checked from both nodes
 *   dsm_prog pinned REGION NODE MS
 *	a page pinned (SWAPLAB_IOC_PIN) cannot be taken back: node 1 pins
 *	its read copy of page 2, and node 0's write to it fails with
 *	SIGBUS within MS and changes nothing (the copy cannot be
 *	invalidated); node 1 pins page 3, which it owns, and node 0 reads
 *	it, but its write fails likewise (the page cannot be handed over).
 *	Once node 1 lets each page go, node 0's write goes through and
 *	node 1 reads it
 *   dsm_prog garbage ADDR:PORT KIND
 *	connects to a server and sends it KIND: junk (no frame), truncated
 *	(half a hello), or hello (a hello for another region); the server
 *	must close the connection within five seconds
 *
 * The region's pages: the first holds the barrier, then each program's
 * own. Every node reaches the region by its name (SWAPLAB_IOC_ATTACH)
 * once its server is ready. A program that has not ended after LIMIT_S
 * seconds (a lock never seen free, a page that never comes) says so and
 * exits 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/common.h"

#define LIMIT_S		480

static long page_size;

static void on_alarm(int sig)
{
	static const char msg[] = "FAIL: no end after the time limit\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *fmt, unsigned long long a, unsigned long long b)
{
	printf("FAIL: ");
	printf(fmt, a, b);
	printf("\n");
	exit(1);
}

/* Map @pages pages of the named region; its file in *@fdp, if given. */
static uint8_t *map_region_fd(const char *name, size_t pages, int *fdp)
{
	struct swaplab_attach at = { 0 };
	int dev, fd;
	void *map;

	memcpy(at.name, name, strnlen(name, sizeof(at.name) - 1));
	dev = open(SWAPLAB_DEVICE, O_RDWR);
	if (dev < 0)
		die(SWAPLAB_DEVICE);
	fd = ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
	if (fd < 0)
		die("SWAPLAB_IOC_ATTACH");
	map = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	close(dev);
	return map;
}

static uint8_t *map_region(const char *name, size_t pages)
{
	return map_region_fd(name, pages, NULL);
}

/* Sleep @us microseconds. */
static void pause_us(long us)
{
	struct timespec ts = { us / 1000000, us % 1000000 * 1000 };

	nanosleep(&ts, NULL);
}

static void pause_a_little(void)
{
	pause_us(200);
}

/*
 * A barrier of @nodes machines on page 0: the last to come starts the
 * next generation. Spinning reads a copy, which the last one's write
 * invalidates; a waiter looks every @us microseconds.
 */
static void barrier_every(uint8_t *map, unsigned int nodes, long us)
{
	uint32_t *count = (uint32_t *)map, *gen = count + 1;
	uint32_t g = __atomic_load_n(gen, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(count, 1, __ATOMIC_ACQ_REL) == nodes) {
		__atomic_store_n(count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(gen, g + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(gen, __ATOMIC_ACQUIRE) == g)
		pause_us(us);
}

static void barrier(uint8_t *map, unsigned int nodes)
{
	barrier_every(map, nodes, 200);
}

/*
 * A barrier whose waiters look every 5 ms: a node waiting while the other
 * times its faults leaves its machine idle but for a rare wakeup, as the
 * other machine is while its program takes faults from the nbd store.
 */
static void barrier_idle(uint8_t *map, unsigned int nodes)
{
	barrier_every(map, nodes, 5000);
}

static unsigned long arg_ul(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		printf("FAIL: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

/* Pages 1 (the lock) and 2 (the counter), on pages apart. */
static int run_counter(const char *region, unsigned int node,
		       unsigned int nodes, unsigned long n)
{
	uint8_t *map = map_region(region, 3);
	uint32_t *lock = (uint32_t *)(map + page_size);
	uint64_t *count = (uint64_t *)(map + 2 * page_size), v;

	barrier(map, nodes);
	for (unsigned long i = 0; i < n; i++) {
		uint32_t free_ = 0;

		for (;;) {
			while (__atomic_load_n(lock, __ATOMIC_RELAXED))
				pause_a_little();
			if (__atomic_compare_exchange_n(lock, &free_, node + 1, false,
							__ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				break;
			free_ = 0;
		}
		*count += 1;
		__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
		/* A moment out of the lock: the other node gets its turns. */
		pause_a_little();
	}
	barrier(map, nodes);
	v = __atomic_load_n(count, __ATOMIC_ACQUIRE);
	if (v != (uint64_t)nodes * n)
		fail("the counter is %llu, not %llu", v, (uint64_t)nodes * n);
	printf("ok: counter %llu after %lu increments on each of %u nodes\n",
	       (unsigned long long)v, n, nodes);
	return 0;
}

#define RING_PAGES	4

/* Page 1: the head, page 2: the tail, then the slots. */
static int run_ring(const char *region, unsigned int node, unsigned long n)
{
	uint8_t *map = map_region(region, 3 + RING_PAGES);
	uint64_t *head = (uint64_t *)(map + page_size);
	uint64_t *tail = (uint64_t *)(map + 2 * page_size);
	uint64_t *slot = (uint64_t *)(map + 3 * page_size);
	uint64_t slots = RING_PAGES * page_size / sizeof(uint64_t);

	barrier(map, 2);
	for (uint64_t i = 0; i < n; i++) {
		if (node == 0) {
			while (i - __atomic_load_n(tail, __ATOMIC_ACQUIRE) == slots)
				pause_a_little();
			slot[i % slots] = i + 1;
			__atomic_store_n(head, i + 1, __ATOMIC_RELEASE);
		} else {
			uint64_t v;

			while (__atomic_load_n(head, __ATOMIC_ACQUIRE) == i)
				pause_a_little();
			v = slot[i % slots];
			if (v != i + 1)
				fail("the ring gave %llu where %llu was due", v, i + 1);
			__atomic_store_n(tail, i + 1, __ATOMIC_RELEASE);
		}
	}
	barrier(map, 2);
	printf("ok: %s %lu values through a ring of %llu slots in order\n",
	       node ? "took" : "put", n, (unsigned long long)slots);
	return 0;
}

/* One Jacobi step of rows [@lo, @hi) from @a into @b; the border stays. */
static void jacobi_rows(const double *a, double *b, unsigned long size,
			unsigned long lo, unsigned long hi)
{
	for (unsigned long r = lo; r < hi; r++) {
		if (r == 0 || r == size - 1)
			continue;
		for (unsigned long c = 1; c < size - 1; c++)
			b[r * size + c] = 0.25 * (a[(r - 1) * size + c] +
						  a[(r + 1) * size + c] +
						  a[r * size + c - 1] +
						  a[r * size + c + 1]);
	}
}

/* The grid at the start: 1.0 along the top and the left, 0 elsewhere. */
static void jacobi_init(double *g, unsigned long size)
{
	for (unsigned long r = 0; r < size; r++)
		for (unsigned long c = 0; c < size; c++)
			g[r * size + c] = (r == 0 || c == 0) ? 1.0 : 0.0;
}

/* Seconds from @t0 to @t1. */
static double secs_between(const struct timespec *t0, const struct timespec *t1)
{
	return (t1->tv_sec - t0->tv_sec) + (t1->tv_nsec - t0->tv_nsec) / 1e9;
}

/* Seconds since @t0. */
static double secs_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return secs_between(t0, &t1);
}

static int run_jacobi(const char *region, unsigned int node,
		      unsigned int nodes, unsigned long size, unsigned long iters)
{
	size_t bytes = size * size * sizeof(double);
	size_t gpages = (bytes + page_size - 1) / page_size;
	uint8_t *map = map_region(region, 1 + 2 * gpages);
	double *g[2] = { (double *)(map + page_size),
			 (double *)(map + (1 + gpages) * page_size) };
	double *l[2] = { malloc(bytes), malloc(bytes) };
	unsigned long lo = size * node / nodes, hi = size * (node + 1) / nodes;
	double rows = 0, waits = 0, total;
	struct timespec t0, t;
	char key[32];

	if (!l[0] || !l[1])
		die("malloc");
	jacobi_init(l[0], size);
	jacobi_init(l[1], size);
	/* This node's rows of both grids: their pages start here. */
	for (int k = 0; k < 2; k++)
		memcpy(g[k] + lo * size, l[k] + lo * size,
		       (hi - lo) * size * sizeof(double));
	barrier(map, nodes);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < iters; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		jacobi_rows(g[i % 2], g[(i + 1) % 2], size, lo, hi);
		rows += secs_since(&t);
		clock_gettime(CLOCK_MONOTONIC, &t);
		barrier(map, nodes);
		waits += secs_since(&t);
	}
	total = secs_since(&t0);
	for (unsigned long i = 0; i < iters; i++)
		jacobi_rows(l[i % 2], l[(i + 1) % 2], size, 0, size);
	if (memcmp(g[iters % 2], l[iters % 2], bytes))
		fail("the grid differs from the one computed alone (%llu x %llu)",
		     size, size);
	barrier(map, nodes);
	if (nodes == 1)
		snprintf(key, sizeof(key), "one");
	else
		snprintf(key, sizeof(key), "two_node%u", node);
	printf("bench dsm_jacobi_%s_s %.3f\n", key, total);
	printf("bench dsm_jacobi_%s_rows_s %.3f\n", key, rows);
	printf("bench dsm_jacobi_%s_barriers_s %.3f\n", key, waits);
	printf("ok: jacobi %lux%lu, %lu iterations, rows %lu-%lu here, equal to the one computed alone; %.3f s (rows %.3f s, barriers %.3f s)\n",
	       size, size, iters, lo, hi - 1, total, rows, waits);
	return 0;
}

/* Page @p's word @w, in the pattern of node 0's pages. */
static uint64_t own_word(size_t p, size_t w)
{
	return pattern(p, w, 0xd5a);
}

static int run_own(const char *region, unsigned int node, unsigned long pages)
{
	uint8_t *map = map_region(region, 2 + 2 * pages);
	size_t words = page_size / sizeof(uint64_t);

	if (node == 0)
		for (size_t p = 2; p < 2 + 2 * pages; p += 2)
			for (size_t w = 0; w < words; w++)
				((uint64_t *)(map + p * page_size))[w] = own_word(p, w);
	barrier(map, 2);
	/* Node 1 reads page 2: a copy of it is node 1's now. */
	if (node == 1 && *(uint64_t *)(map + 2 * page_size) != own_word(2, 0))
		fail("page %llu reads %llx", 2, *(uint64_t *)(map + 2 * page_size));
	barrier(map, 2);
	printf("ok: node %u done with the pages of node 0\n", node);
	return 0;
}

static sigjmp_buf bus_jmp;

static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/* Touch @at (a write if @wr): whether it got SIGBUS, and in how long. */
static bool touch_bus(uint8_t *at, bool wr, double *secs)
{
	struct timespec t0;
	bool bus = false;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sigsetjmp(bus_jmp, 1))
		bus = true;
	else if (wr)
		__atomic_store_n(at, 1, __ATOMIC_RELAXED);
	else
		(void)__atomic_load_n(at, __ATOMIC_RELAXED);
	*secs = secs_since(&t0);
	return bus;
}

static int run_survive(const char *region, unsigned long pages, unsigned long ms)
{
	uint8_t *map = map_region(region, 2 + 2 * pages);
	size_t words = page_size / sizeof(uint64_t);
	struct sigaction sa = { .sa_handler = on_bus };
	double secs;

	sigaction(SIGBUS, &sa, NULL);
	/* Node 0's pages but page 2, which node 1 has a copy of. */
	for (size_t p = 4; p < 2 + 2 * pages; p += 2)
		for (size_t w = 0; w < words; w++)
			if (((uint64_t *)(map + p * page_size))[w] != own_word(p, w))
				fail("page %llu word %llu lost", p, w);
	/* Page 3 is node 1's to manage: no one answers. */
	if (!touch_bus(map + 3 * page_size, false, &secs))
		fail("a read of page %llu that only the peer can serve did not fail (%llu)",
		     3, 0);
	if (secs * 1000 > ms * 2 + 1000)
		fail("a read of page 3 failed after %llu ms, the timeout %llu",
		     secs * 1000, ms);
	/* Page 2: a write must invalidate node 1's copy, which cannot be. */
	if (!touch_bus(map + 2 * page_size, true, &secs))
		fail("a write to page %llu with a copy on the lost peer went on (%llu)",
		     2, 0);
	if (*(uint64_t *)(map + 2 * page_size) != own_word(2, 0))
		fail("page %llu changed by a write that failed (%llu)", 2, 0);
	printf("ok: %lu pages of this node intact; the peer's pages fail with SIGBUS after %.1f s\n",
	       pages - 1, secs);
	return 0;
}

static uint64_t *word0(uint8_t *map, size_t p)
{
	return (uint64_t *)(map + p * page_size);
}

/* Pin page @p of the region open at @fd, or let it go. */
static void pin(int fd, size_t p, bool on)
{
	struct swaplab_range r = { .offset = p * page_size,
				   .length = page_size };

	if (ioctl(fd, on ? SWAPLAB_IOC_PIN : SWAPLAB_IOC_UNPIN, &r))
		die(on ? "SWAPLAB_IOC_PIN" : "SWAPLAB_IOC_UNPIN");
}

/* Page @p reads @v, or fail. */
static void check_word(uint8_t *map, size_t p, uint64_t v)
{
	if (*word0(map, p) != v)
		fail("page %llu reads %llx", p, *word0(map, p));
}

/*
 * A write to page @p, which the peer holds pinned, fails with SIGBUS
 * after the timeout (@ms) and leaves @was; the seconds it took.
 */
static double write_refused(uint8_t *map, size_t p, uint64_t was,
			    unsigned long ms)
{
	double secs;

	if (!touch_bus(map + p * page_size, true, &secs))
		fail("a write to page %llu, pinned on the peer, went on (%llu)",
		     p, 0);
	if (secs * 1000 > ms * 2 + 1000)
		fail("the write to page %llu failed after %llu ms", p,
		     secs * 1000);
	check_word(map, p, was);
	return secs;
}

static int run_pinned(const char *region, unsigned int node, unsigned long ms)
{
	struct sigaction sa = { .sa_handler = on_bus };
	double copy_s = 0, owned_s = 0;
	uint8_t *map;
	int fd;

	map = map_region_fd(region, 4, &fd);
	sigaction(SIGBUS, &sa, NULL);
	/* Page 2 is node 0's; node 1 pins its read copy. */
	if (node == 0)
		*word0(map, 2) = 0xa1;
	barrier(map, 2);
	if (node == 1) {
		check_word(map, 2, 0xa1);
		pin(fd, 2, true);
	}
	barrier(map, 2);
	if (node == 0)
		copy_s = write_refused(map, 2, 0xa1, ms);
	barrier(map, 2);
	if (node == 1) {
		check_word(map, 2, 0xa1);
		pin(fd, 2, false);
	}
	barrier(map, 2);
	if (node == 0)
		*word0(map, 2) = 0xa2;
	barrier(map, 2);
	if (node == 1)
		check_word(map, 2, 0xa2);
	/* Page 3 is node 1's, pinned there; node 0 reads it, then writes. */
	if (node == 1) {
		*word0(map, 3) = 0xb1;
		pin(fd, 3, true);
	}
	barrier(map, 2);
	if (node == 0) {
		check_word(map, 3, 0xb1);
		owned_s = write_refused(map, 3, 0xb1, ms);
	}
	barrier(map, 2);
	if (node == 1) {
		check_word(map, 3, 0xb1);
		pin(fd, 3, false);
	}
	barrier(map, 2);
	if (node == 0)
		*word0(map, 3) = 0xb2;
	barrier(map, 2);
	if (node == 1)
		check_word(map, 3, 0xb2);
	barrier(map, 2);
	if (node == 0)
		printf("ok: writes to a copy and to a page pinned on node 1 failed with SIGBUS after %.1f and %.1f s, changing nothing, and went through once it let go\n",
		       copy_s, owned_s);
	else
		printf("ok: node 1 read each page pinned as it was, and node 0's writes once it let go\n");
	close(fd);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* "bench dsm_KIND_p50_us V" and p90, of the @n microseconds in @us. */
static void print_lat(const char *kind, double *us, size_t n)
{
	qsort(us, n, sizeof(*us), cmp_double);
	printf("bench dsm_%s_p50_us %.1f\n", kind, us[(n - 1) / 2]);
	printf("bench dsm_%s_p90_us %.1f\n", kind, us[(n * 9 - 1) / 10]);
}

/*
 * Time one access to word @w of page @p, a write of @v if @wr, into
 * *@us (microseconds); the value read (or written).
 */
static uint64_t timed_access(uint8_t *map, size_t p, size_t w, bool wr,
			     uint64_t v, double *us)
{
	uint64_t *at = (uint64_t *)(map + p * page_size) + w;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (wr)
		__atomic_store_n(at, v, __ATOMIC_RELAXED);
	else
		v = __atomic_load_n(at, __ATOMIC_RELAXED);
	*us = secs_since(&t0) * 1e6;
	return v;
}

/* Node 0's pages of run_faults() are the even ones from 2, node 1's the odd. */
static size_t faults_page(unsigned int node, size_t k)
{
	return 2 + 2 * k + node;
}

/* Check page @p: word 0 @w0, word 1 @w1, the rest own_word(). */
static void faults_check(uint8_t *map, size_t p, uint64_t w0, uint64_t w1)
{
	uint64_t *word = (uint64_t *)(map + p * page_size);

	if (word[0] != w0)
		fail("page %llu word 0 reads %llx", p, word[0]);
	if (word[1] != w1)
		fail("page %llu word 1 reads %llx", p, word[1]);
	for (size_t w = 2; w < page_size / sizeof(uint64_t); w++)
		if (word[w] != own_word(p, w))
			fail("page %llu word %llu lost", p, w);
}

static int run_faults(const char *region, unsigned int node, unsigned long pages)
{
	size_t words = page_size / sizeof(uint64_t);
	uint8_t *map;
	double *us;
	size_t p;

	if (!pages)
		fail("no pages to time", 0, 0);
	map = map_region(region, 2 + 2 * pages);
	us = calloc(pages, sizeof(*us));
	if (!us)
		die("calloc");
	/*
	 * First touches of the pages each node manages, one node at a time:
	 * node 0 writes its pages, then node 1 reads its own.
	 */
	barrier_idle(map, 2);
	if (node == 0) {
		for (size_t k = 0; k < pages; k++) {
			p = faults_page(0, k);
			timed_access(map, p, 0, true, own_word(p, 0), &us[k]);
			for (size_t w = 1; w < words; w++)
				((uint64_t *)(map + p * page_size))[w] = own_word(p, w);
		}
		print_lat("local_write", us, pages);
	}
	barrier_idle(map, 2);
	if (node == 1) {
		for (size_t k = 0; k < pages; k++) {
			p = faults_page(1, k);
			if (timed_access(map, p, 0, false, 0, &us[k]))
				fail("page %llu of node 1 first reads %llx", p,
				     *(uint64_t *)(map + p * page_size));
		}
		print_lat("local_read", us, pages);
	}
	barrier_idle(map, 2);
	/* Node 1 reads node 0's pages: a copy of each comes over. */
	if (node == 1) {
		for (size_t k = 0; k < pages; k++) {
			p = faults_page(0, k);
			timed_access(map, p, 0, false, 0, &us[k]);
			faults_check(map, p, own_word(p, 0), own_word(p, 1));
		}
		print_lat("remote_read", us, pages);
	}
	barrier_idle(map, 2);
	/* Node 0 writes them again: node 1's copies go first. */
	if (node == 0) {
		for (size_t k = 0; k < pages; k++)
			timed_access(map, faults_page(0, k), 0, true,
				     ~own_word(faults_page(0, k), 0), &us[k]);
		print_lat("upgrade", us, pages);
	}
	barrier_idle(map, 2);
	/* Node 1 writes them: each page, and its ownership, comes over. */
	if (node == 1) {
		for (size_t k = 0; k < pages; k++) {
			p = faults_page(0, k);
			timed_access(map, p, 1, true, ~own_word(p, 1), &us[k]);
			faults_check(map, p, ~own_word(p, 0), ~own_word(p, 1));
		}
		print_lat("remote_write", us, pages);
	}
	barrier_idle(map, 2);
	for (size_t k = 0; k < pages; k++) {
		p = faults_page(0, k);
		faults_check(map, p, ~own_word(p, 0), ~own_word(p, 1));
	}
	barrier_idle(map, 2);
	printf("ok: node %u timed its faults on %lu pages, every page as last written\n",
	       node, pages);
	return 0;
}

/* Page 1's first word: whose turn it is, a round being two turns. */
static int run_pingpong(const char *region, unsigned int node,
			unsigned long rounds)
{
	uint8_t *map = map_region(region, 2);
	uint64_t *turn = (uint64_t *)(map + page_size), v;
	struct timespec t0;
	double secs;

	if (!rounds)
		fail("no rounds to time", 0, 0);
	barrier(map, 2);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < rounds; i++) {
		uint64_t mine = 2 * i + node;

		while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != mine)
			pause_a_little();
		__atomic_store_n(turn, mine + 1, __ATOMIC_RELEASE);
	}
	/* Node 0's clock runs to the end of node 1's last turn. */
	while (node == 0 &&
	       __atomic_load_n(turn, __ATOMIC_ACQUIRE) != 2 * (uint64_t)rounds)
		pause_a_little();
	secs = secs_since(&t0);
	barrier(map, 2);
	v = __atomic_load_n(turn, __ATOMIC_ACQUIRE);
	if (v != 2 * (uint64_t)rounds)
		fail("the turn is %llu after the rounds, not %llu", v,
		     2 * (uint64_t)rounds);
	if (node == 0)
		printf("bench dsm_pingpong_us %.1f\n", secs * 1e6 / rounds);
	printf("ok: %lu rounds of one page between two nodes, %.1f us a round\n",
	       rounds, secs * 1e6 / rounds);
	return 0;
}

/* @n additions of 1 to *@at, one load and one store each: milliseconds. */
static double share_add(uint64_t *at, unsigned long n)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < n; i++)
		__atomic_store_n(at, __atomic_load_n(at, __ATOMIC_RELAXED) + 1,
				 __ATOMIC_RELAXED);
	return secs_since(&t0) * 1e3;
}

/* Page 1: the words both write; pages 2 and 3: node 0's and node 1's own. */
static int run_share(const char *region, unsigned int node, unsigned long n)
{
	uint8_t *map = map_region(region, 4);
	uint64_t *same = (uint64_t *)(map + page_size);
	double apart_ms, same_ms;

	barrier(map, 2);
	apart_ms = share_add((uint64_t *)(map + (2 + node) * page_size), n);
	barrier(map, 2);
	same_ms = share_add(&same[node], n);
	barrier(map, 2);
	for (unsigned int k = 0; k < 2; k++) {
		if (same[k] != n)
			fail("node %llu's word of the shared page is %llu", k, same[k]);
		if (*(uint64_t *)(map + (2 + k) * page_size) != n)
			fail("node %llu's own page is %llu", k,
			     *(uint64_t *)(map + (2 + k) * page_size));
	}
	barrier(map, 2);
	printf("bench dsm_share_apart_ms_node%u %.1f\n", node, apart_ms);
	printf("bench dsm_share_same_ms_node%u %.1f\n", node, same_ms);
	printf("ok: %lu additions on a page of its own in %.1f ms, on one page both write in %.1f ms; every count right\n",
	       n, apart_ms, same_ms);
	return 0;
}

static int run_garbage(const char *addr, const char *kind)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char host[64], buf[256];
	const char *colon = strrchr(addr, ':');
	struct timeval tv = { 5, 0 };
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!colon || colon - addr >= (long)sizeof(host))
		return 2;
	memcpy(host, addr, colon - addr);
	host[colon - addr] = 0;
	sa.sin_port = htons(arg_ul(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return 2;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(buf, 0, sizeof(buf));
	if (!strcmp(kind, "junk")) {
		for (size_t i = 0; i < 64; i++)
			buf[i] = "not a frame"[i % 11];
		len = 64;
	} else if (!strcmp(kind, "truncated") || !strcmp(kind, "hello")) {
		/* "SLDM", a hello (0x40), from node 1, 88 bytes after it. */
		memcpy(buf, "SLDM\x40\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x58", 16);
		/*
		 * version 2, 2 nodes, 4096 bytes a page, 1 page, "nowhere",
		 * the fixed manager (0) and zeroes
		 */
		memcpy(buf + 32, "\x00\x02\x00\x02\x00\x00\x10\x00", 8);
		buf[32 + 15] = 1;
		memcpy(buf + 32 + 16, "nowhere", 7);
		len = strcmp(kind, "hello") ? 20 : 120;
	} else {
		return 2;
	}
	if (send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len)
		die("send");
	if (!strcmp(kind, "truncated"))
		shutdown(fd, SHUT_WR);
	/* The server closes: end of file (or a reset), not a time-out. */
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0 && errno == EAGAIN) {
		printf("FAIL: the server kept a connection that sent %s open for 5 s\n",
		       kind);
		return 1;
	}
	printf("ok: the server closed the connection that sent %s\n", kind);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	page_size = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	alarm(LIMIT_S);
	if (argc == 6 && !strcmp(argv[1], "counter"))
		return run_counter(argv[2], arg_ul(argv[3]), arg_ul(argv[4]),
			       arg_ul(argv[5]));
	if (argc == 5 && !strcmp(argv[1], "ring"))
		return run_ring(argv[2], arg_ul(argv[3]), arg_ul(argv[4]));
	if (argc == 7 && !strcmp(argv[1], "jacobi"))
		return run_jacobi(argv[2], arg_ul(argv[3]), arg_ul(argv[4]),
			      arg_ul(argv[5]), arg_ul(argv[6]));
	if (argc == 5 && !strcmp(argv[1], "own"))
		return run_own(argv[2], arg_ul(argv[3]), arg_ul(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "survive"))
		return run_survive(argv[2], arg_ul(argv[3]), arg_ul(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "faults"))
		return run_faults(argv[2], arg_ul(argv[3]), arg_ul(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "pingpong"))
		return run_pingpong(argv[2], arg_ul(argv[3]), arg_ul(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "share"))
		return run_share(argv[2], arg_ul(argv[3]), arg_ul(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "pinned"))
		return run_pinned(argv[2], arg_ul(argv[3]), arg_ul(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "garbage"))
		return run_garbage(argv[2], argv[3]);
	fprintf(stderr, "usage: see the head of dsm_prog.c\n");
	return 2;
}
