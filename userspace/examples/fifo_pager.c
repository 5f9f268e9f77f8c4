// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_pager: a complete external pager for swaplab in one file, using
 * nothing but the module's uapi header. It is the example of the
 * researchers' guide (Documentation/admin-guide/swaplab/policies.rst):
 * `swaplab pager` does the same for any policy file, with more options.
 *
 *	fifo_pager COMMAND [ARG...]
 *
 * As root: attach as the pager (SWAPLAB_IOC_PAGER_ATTACH), map the ring
 * of events, select the "pager" policy, run COMMAND, and until it exits
 * keep the resident pages in the order they came in and name the oldest
 * whenever reclaim asks (a WANT event). The policy selected before comes
 * back at the end, and the exit status is COMMAND's. The pager's own
 * regions are never its to order; those of COMMAND are.
 *
 * Under allocation=local the kernel wants victims among one process's
 * pages: each event names the process (@proc, 0 under global), and the
 * answer to a WANT is the oldest pages of the process it names, tagged
 * with it. One queue serves: it is walked past the other processes'.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>

#define POLICY_KNOB	"/sys/kernel/swaplab/policy"
#define BUCKETS		65536

/* A resident page, in the FIFO queue and in a hash bucket. */
struct page {
	uint64_t region, index;
	uint32_t proc;			/* its process under local, or 0 */
	struct page *prev, *next;	/* the queue, oldest first */
	struct page *hnext;		/* the bucket */
};

static struct page *buckets[BUCKETS];
static struct page *oldest, *newest;

static struct page **bucket(uint64_t region, uint64_t index)
{
	return &buckets[(region * 0x9e3779b97f4a7c15ull ^ index) % BUCKETS];
}

static struct page *lookup(uint64_t region, uint64_t index)
{
	struct page *p = *bucket(region, index);

	while (p && (p->region != region || p->index != index))
		p = p->hnext;
	return p;
}

/* ADMIT: a page came in (new, refaulted, read ahead, back): the newest. */
static void admit(uint64_t region, uint64_t index, uint32_t proc)
{
	struct page *p;

	if (lookup(region, index))
		return;
	p = calloc(1, sizeof(*p));
	if (!p) {
		perror("fifo_pager");
		exit(1);
	}
	p->region = region;
	p->index = index;
	p->proc = proc;
	p->hnext = *bucket(region, index);
	*bucket(region, index) = p;
	p->prev = newest;
	if (newest)
		newest->next = p;
	else
		oldest = p;
	newest = p;
}

/* REMOVE, or named as a victim: out of the queue and the table. */
static void forget(struct page *p)
{
	struct page **h = bucket(p->region, p->index);

	while (*h != p)
		h = &(*h)->hnext;
	*h = p->hnext;
	if (p->prev)
		p->prev->next = p->next;
	else
		oldest = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		newest = p->prev;
	free(p);
}

/*
 * WANT: name up to @nr of the oldest pages of @proc's (of all, under
 * global). Each leaves the queue now, as the kernel's reclaim isolates
 * its victims: if its eviction fails, it comes back as an ADMIT
 * (SWAPLAB_PAGER_RETURN), the newest.
 */
static void want(int pfd, uint64_t nr, uint32_t proc)
{
	struct swaplab_pager_page v[SWAPLAB_PAGER_VICTIMS_MAX];
	struct swaplab_pager_victims arg = {
		.pages = (uintptr_t)v, .proc = proc,
	};
	struct page *p = oldest, *next;

	for (; p && arg.nr < nr && arg.nr < SWAPLAB_PAGER_VICTIMS_MAX; p = next) {
		next = p->next;
		if (p->proc != proc)
			continue;
		v[arg.nr].region = p->region;
		v[arg.nr].index = p->index;
		arg.nr++;
		forget(p);
	}
	/* With none to name, the kernel chooses (pager_fallback). */
	if (arg.nr && ioctl(pfd, SWAPLAB_PAGER_IOC_VICTIMS, &arg))
		perror("fifo_pager: SWAPLAB_PAGER_IOC_VICTIMS");
}

static void event(int pfd, const struct swaplab_pager_event *e)
{
	struct page *p;

	switch (e->type) {
	case SWAPLAB_PAGER_SELECT:
		/*
		 * Selected (again): every resident page is admitted anew.
		 * Under local a SELECT of each process follows; nothing to
		 * do for those.
		 */
		while (oldest && !e->proc)
			forget(oldest);
		break;
	case SWAPLAB_PAGER_ADMIT:
		admit(e->region, e->index, e->proc);
		break;
	case SWAPLAB_PAGER_REMOVE:
		p = lookup(e->region, e->index);
		if (p)
			forget(p);
		break;
	case SWAPLAB_PAGER_WANT:
		want(pfd, e->arg, e->proc);
		break;
	default:
		/* EVICTED, REFERENCED, ACCESS, DESELECT...: FIFO needs none. */
		break;
	}
}

/* Read every event the kernel has written; the ring's head is ours. */
static void drain(int pfd, struct swaplab_pager_ring *ring)
{
	const struct swaplab_pager_event *ev =
		(const void *)((char *)ring + SWAPLAB_PAGER_RING_EVENTS);
	uint64_t head = ring->head;
	uint64_t tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);

	while (head != tail)
		event(pfd, &ev[head++ & ring->mask]);
	__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
}

static int write_policy(const char *name)
{
	int fd = open(POLICY_KNOB, O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, name, strlen(name));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(name) ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct swaplab_pager_attach at = {
		.entries = 4096, .flags = SWAPLAB_PAGER_CLOEXEC, .wakeup = 64,
	};
	struct swaplab_pager_ring *ring;
	char before[64] = "";
	int dev, pfd, status = 0, fd;
	ssize_t n;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: fifo_pager COMMAND [ARG...]\n");
		return 2;
	}
	dev = open("/dev/swaplab", O_RDWR | O_CLOEXEC);
	pfd = dev < 0 ? -1 : ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, &at);
	/*
	 * The pager file stands alone. An open /dev/swaplab is a region of
	 * this process's, kept for nothing.
	 */
	if (dev >= 0)
		close(dev);
	if (pfd < 0) {
		perror("fifo_pager: attach");
		return 1;
	}
	ring = mmap(NULL, at.ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		    pfd, 0);
	fd = open(POLICY_KNOB, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, before, sizeof(before) - 1);
	if (fd >= 0)
		close(fd);
	if (ring == MAP_FAILED || n <= 0 || write_policy("pager")) {
		perror("fifo_pager: the ring, or selecting the pager policy");
		return 1;
	}
	before[strcspn(before, "\n")] = '\0';

	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, WNOHANG) == 0) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };

		/* Woken at a WANT at once, or by 64 events waiting. */
		poll(&p, 1, 100);
		drain(pfd, ring);
	}
	if (ring->lost)
		fprintf(stderr, "fifo_pager: %llu events lost (ring full)\n",
			(unsigned long long)ring->lost);
	/* Before the pager file closes: the kernel falls back meanwhile. */
	write_policy(before);
	close(pfd);
	if (pid < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
