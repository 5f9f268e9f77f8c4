// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab msg: message passing between two processes, by moving pages
 * (SWAPLAB_IOC_MOVE) against the ways that copy.
 *
 * A sender and a receiver (forked) pass COUNT messages of each SIZE, one
 * at a time, by each way:
 *
 *   move      the sender writes the message in a swaplab region of its
 *             own and moves its pages to the receiver's region; the
 *             receiver reads it there, then empties its range
 *             (SWAPLAB_IOC_DISCARD) for the next
 *   exchange  the same, the pages exchanged (SWAPLAB_MOVE_EXCHANGE): the
 *             sender gets the receiver's pages, which held the message
 *             before, and writes the next message over them; no discard
 *   memcpy    the sender writes it in its own memory and copies it into a
 *             swaplab region both map
 *   pipe      write() into a pipe, read() out of it
 *   vmsplice  vmsplice() into a pipe with SPLICE_F_GIFT, read() out of it
 *   pvw       process_vm_writev() into the receiver's memory
 *
 * Each message is written whole by the sender first (every byte, the
 * same for every way), then passed; the receiver reads a word of each
 * page, checks it, and answers on a pipe; then the next message. The
 * latency of a message runs from the start of its passing to the end of
 * the receiver's check; the pass time, from that start to the return of
 * the sender's call that passes it (the move, the copy, the write); the
 * throughput is the bytes of all messages over the time from the first
 * write to the last answer. The first two messages of four or more warm
 * up the pages of both sides and are left out of the medians. Sender and receiver
 * share the budget: it must hold three messages of the largest size.
 *
 * Where a page's time goes: the sender's writing of a message (its
 * faults included), the pass, and the receiver's part (the latency less
 * the pass: its wakeup, its reads and their faults; none when it was done
 * first, as a pipe's reader may be), each a median over
 * the messages, per page; for move and exchange, the module's own time
 * in the call, and of it the unmapping (with its TLB flush) and the
 * mapping at the move, from the stat counters move_ns, move_unmap_ns
 * and move_map_ns, averaged over the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <swaplab.h>

#include "cli/cmd.h"
#include "lib/common.h"
#include "lib/sysfs.h"

#define MSG_SIZES_MAX	8
#define MSG_PAGE	4096UL

enum msg_via {
	VIA_MOVE, VIA_EXCHANGE, VIA_MEMCPY, VIA_PIPE, VIA_VMSPLICE, VIA_PVW,
	NR_VIA
};

static const char *const via_names[NR_VIA] = {
	"move", "exchange", "memcpy", "pipe", "vmsplice", "pvw",
};

/* One way, one size: what is set up before the fork. */
struct msg_run {
	enum msg_via via;
	size_t size;
	unsigned int count;
	uint8_t *send;		/* the sender's message */
	uint8_t *recv;		/* where the receiver reads it */
	int send_fd;		/* move, exchange: the sender's region */
	int recv_fd;		/* move, exchange: the receiver's region */
	int data[2];		/* pipe, vmsplice: the pipe */
	int go[2];		/* sender -> receiver: a message is there */
	int ack[2];		/* receiver -> sender: checked */
	double *stamp;		/* shared: each message's start, its end */
	double passed;		/* when the sender's call returned */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The word page @p of message @m carries. */
static uint64_t msg_word(unsigned int m, size_t p)
{
	return mix64(((uint64_t)m << 32) ^ p ^ 0x5bd1e995);
}

static int full_read(int fd, uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* The receiver: COUNT messages, each checked; exit 0 if all were right. */
static void msg_receiver(struct msg_run *r)
{
	struct swaplab_range all = { .offset = 0, .length = r->size };
	size_t pages = r->size / MSG_PAGE;
	char c;

	for (unsigned int m = 0; m < r->count; m++) {
		if (r->via == VIA_PIPE || r->via == VIA_VMSPLICE) {
			if (full_read(r->data[0], r->recv, r->size))
				_exit(1);
		} else if (read(r->go[0], &c, 1) != 1) {
			_exit(1);
		}
		/* Read memory every time: the message changed under us. */
		__asm__ __volatile__("" : : : "memory");
		for (size_t p = 0; p < pages; p++)
			if (*(uint64_t *)(r->recv + p * MSG_PAGE) !=
			    msg_word(m, p))
				_exit(3);
		r->stamp[2 * m + 1] = now_s();
		if (r->via == VIA_MOVE &&
		    ioctl(r->recv_fd, SWAPLAB_IOC_DISCARD, &all))
			_exit(1);
		if (write(r->ack[1], &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

/* Pass message @m by @r's way: 0, or -1 with errno. */
static int msg_pass(struct msg_run *r, pid_t receiver)
{
	struct iovec local = { .iov_base = r->send, .iov_len = r->size };
	struct iovec remote = { .iov_base = r->recv, .iov_len = r->size };
	struct swaplab_move mv = {
		.dst_fd = r->recv_fd, .length = r->size,
	};
	size_t off = 0;
	char c = 1;
	ssize_t n;

	switch (r->via) {
	case VIA_EXCHANGE:
		mv.flags = SWAPLAB_MOVE_EXCHANGE;
		fallthrough;
	case VIA_MOVE:
		if (ioctl(r->send_fd, SWAPLAB_IOC_MOVE, &mv))
			return -1;
		break;
	case VIA_MEMCPY:
		memcpy(r->recv, r->send, r->size);
		break;
	case VIA_PVW:
		n = process_vm_writev(receiver, &local, 1, &remote, 1, 0);
		if (n != (ssize_t)r->size)
			return -1;
		break;
	case VIA_PIPE:
		for (; off < r->size; off += n) {
			n = write(r->data[1], r->send + off, r->size - off);
			if (n <= 0)
				return -1;
		}
		r->passed = now_s();
		return 0;
	case VIA_VMSPLICE:
		for (; off < r->size; off += n) {
			local.iov_base = r->send + off;
			local.iov_len = r->size - off;
			n = vmsplice(r->data[1], &local, 1, SPLICE_F_GIFT);
			if (n <= 0)
				return -1;
		}
		r->passed = now_s();
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
	/* The pass ends here; telling the receiver is not part of it. */
	r->passed = now_s();
	return write(r->go[1], &c, 1) == 1 ? 0 : -1;
}

static void *map_anon(size_t size, bool shared)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *map_region(size_t size, int *fd)
{
	void *p;

	*fd = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void msg_unset(struct msg_run *r)
{
	int *fds[] = { &r->send_fd, &r->recv_fd, &r->data[0], &r->data[1],
		       &r->go[0], &r->go[1], &r->ack[0], &r->ack[1] };

	if (r->send)
		munmap(r->send, r->size);
	if (r->recv)
		munmap(r->recv, r->size);
	if (r->stamp)
		munmap(r->stamp, 2 * r->count * sizeof(double));
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
}

/* Everything the way needs, before the fork: 0 or -1 with errno. */
static int msg_set(struct msg_run *r)
{
	int pipe_size = r->size < (1 << 20) ? (int)r->size : 1 << 20;
	int *fds[] = { &r->send_fd, &r->recv_fd, &r->data[0], &r->data[1],
		       &r->go[0], &r->go[1], &r->ack[0], &r->ack[1] };

	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		*fds[i] = -1;
	r->stamp = map_anon(2 * r->count * sizeof(double), true);
	if (!r->stamp || pipe2(r->go, O_CLOEXEC) || pipe2(r->ack, O_CLOEXEC))
		return -1;
	switch (r->via) {
	case VIA_MOVE:
	case VIA_EXCHANGE:
		r->send = map_region(r->size, &r->send_fd);
		r->recv = r->send ? map_region(r->size, &r->recv_fd) : NULL;
		break;
	case VIA_MEMCPY:
		r->send = map_anon(r->size, false);
		r->recv = r->send ? map_region(r->size, &r->recv_fd) : NULL;
		break;
	case VIA_PIPE:
	case VIA_VMSPLICE:
		if (pipe2(r->data, O_CLOEXEC))
			return -1;
		/* As large as a message, up to pipe-max-size's default. */
		fcntl(r->data[1], F_SETPIPE_SZ, pipe_size);
		r->send = map_anon(r->size, false);
		r->recv = r->send ? map_anon(r->size, false) : NULL;
		break;
	case VIA_PVW:
		r->send = map_anon(r->size, false);
		r->recv = r->send ? map_anon(r->size, false) : NULL;
		break;
	default:
		break;
	}
	return r->send && r->recv ? 0 : -1;
}

/* Counter @name's rise from @a to @b, in microseconds a page of @pages. */
static double msg_ns_per_page(const struct stat_set *a,
			      const struct stat_set *b, const char *name,
			      size_t pages)
{
	return (stat_value(b, name) - stat_value(a, name)) / 1e3 / pages;
}

/* One way, one size: print its line; 0, or 1 if it failed. */
static int msg_run_one(enum msg_via via, size_t size, unsigned int count)
{
	struct msg_run r = { .via = via, .size = size, .count = count };
	size_t pages = size / MSG_PAGE;
	double t0 = 0, t1, *lat = NULL, *pass = NULL, *wr = NULL, *recv;
	bool moves = via == VIA_MOVE || via == VIA_EXCHANGE;
	struct stat_set before, after;
	int status, err = 0;
	pid_t pid;
	char c;

	if (msg_set(&r)) {
		fprintf(stderr, "swaplab: msg %s %zu: %s\n", via_names[via],
			size, strerror(errno));
		msg_unset(&r);
		return 1;
	}
	pass = calloc(count, sizeof(*pass));
	wr = calloc(count, sizeof(*wr));
	if (moves && read_stats(&before))
		moves = false;
	pid = pass && wr ? fork() : -1;
	if (pid == 0)
		msg_receiver(&r);
	if (pid < 0) {
		free(pass);
		free(wr);
		msg_unset(&r);
		return 1;
	}
	for (unsigned int m = 0; m < count && !err; m++) {
		double w0 = now_s();

		if (!m)
			t0 = w0;
		memset(r.send, (int)(m & 0xff) | 1, size);
		for (size_t p = 0; p < pages; p++)
			*(uint64_t *)(r.send + p * MSG_PAGE) = msg_word(m, p);
		r.stamp[2 * m] = now_s();
		wr[m] = r.stamp[2 * m] - w0;
		if (!msg_pass(&r, pid)) {
			pass[m] = r.passed - r.stamp[2 * m];
			if (read(r.ack[0], &c, 1) == 1)
				continue;
		}
		fprintf(stderr, "swaplab: msg %s %zu: message %u: %s\n",
			via_names[via], size, m, strerror(errno));
		err = 1;
	}
	t1 = now_s();
	if (err)
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		if (!err)
			fprintf(stderr, "swaplab: msg %s %zu: the receiver %s\n",
				via_names[via], size,
				WIFEXITED(status) && WEXITSTATUS(status) == 3 ?
				"read a wrong word" : "failed");
		err = 1;
	}
	if (moves && read_stats(&after))
		moves = false;
	lat = err ? NULL : calloc(2 * count, sizeof(*lat));
	if (lat) {
		/* The first two messages warm both sides' pages up. */
		unsigned int w = count >= 4 ? 2 : 0, n = count - w;
		unsigned int p99 = (n * 99) / 100 < n ? (n * 99) / 100 : n - 1;

		recv = lat + count;
		for (unsigned int m = 0; m < count; m++) {
			lat[m] = r.stamp[2 * m + 1] - r.stamp[2 * m];
			/* A pipe's reader may be done before write() returns. */
			recv[m] = lat[m] > pass[m] ? lat[m] - pass[m] : 0;
		}
		qsort(lat + w, n, sizeof(*lat), cmp_double);
		qsort(pass + w, n, sizeof(*pass), cmp_double);
		qsort(wr + w, n, sizeof(*wr), cmp_double);
		qsort(recv + w, n, sizeof(*recv), cmp_double);
		printf("msg via=%s size=%zu count=%u time_s=%.3f mib_per_s=%.1f lat_p50_us=%.1f lat_p99_us=%.1f lat_us_per_page=%.3f pass_us_per_page=%.3f write_us_per_page=%.3f recv_us_per_page=%.3f",
		       via_names[via], size, count, t1 - t0,
		       count * (double)size / (1 << 20) / (t1 - t0),
		       lat[w + n / 2] * 1e6, lat[w + p99] * 1e6,
		       lat[w + n / 2] * 1e6 / pages,
		       pass[w + n / 2] * 1e6 / pages,
		       wr[w + n / 2] * 1e6 / pages,
		       recv[w + n / 2] * 1e6 / pages);
		if (moves)
			printf(" kernel_us_per_page=%.3f unmap_us_per_page=%.3f map_us_per_page=%.3f",
			       msg_ns_per_page(&before, &after, "move_ns",
					       count * pages),
			       msg_ns_per_page(&before, &after,
					       "move_unmap_ns", count * pages),
			       msg_ns_per_page(&before, &after, "move_map_ns",
					       count * pages));
		printf("\n");
		fflush(stdout);
	} else if (!err) {
		err = 1;
	}
	free(lat);
	free(pass);
	free(wr);
	msg_unset(&r);
	return err;
}

/* Messages of @size: as many as make 64 MiB, 4 to 1000. */
static unsigned int msg_count_for(size_t size)
{
	size_t n = ((size_t)64 << 20) / size;

	return n < 4 ? 4 : n > 1000 ? 1000 : (unsigned int)n;
}

static void usage_msg(FILE *f)
{
	fprintf(f,
		"usage: swaplab msg [--sizes LIST] [--count N] [--via LIST]\n"
		"  Pass messages from one process to another by moving\n"
		"  swaplab pages and by copying, and print for each way and size:\n"
		"    msg via=WAY size=BYTES count=N time_s=... mib_per_s=...\n"
		"        lat_p50_us=... lat_p99_us=... lat_us_per_page=...\n"
		"        pass_us_per_page=... write_us_per_page=...\n"
		"        recv_us_per_page=... [kernel_us_per_page=...\n"
		"        unmap_us_per_page=... map_us_per_page=...]\n"
		"  --sizes LIST  message sizes, multiples of 4K (default\n"
		"                4K,64K,1M,16M)\n"
		"  --count N     messages of each size (default: 64 MiB worth,\n"
		"                4 to 1000)\n"
		"  --via LIST    of move,exchange,memcpy,pipe,vmsplice,pvw (default\n"
		"                all)\n"
		"  The frames knob must hold three messages of the largest size.\n");
}

/* Parse a list of ways into @on; -1 for a name not known. */
static int parse_via(char *list, bool *on)
{
	char *tok;
	int n = 0;

	memset(on, 0, NR_VIA * sizeof(*on));
	while ((tok = strsep(&list, ","))) {
		int i;

		for (i = 0; i < NR_VIA; i++)
			if (!strcmp(tok, via_names[i]))
				break;
		if (i == NR_VIA)
			return -1;
		on[i] = true;
		n++;
	}
	return n ? 0 : -1;
}

int cmd_msg(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "via", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t sizes[MSG_SIZES_MAX] = { 4096, 65536, 1 << 20, 16 << 20 };
	unsigned int nsizes = 4, count = 0;
	bool on[NR_VIA], bad = false;
	uint64_t largest = 0;
	unsigned long frames;
	int opt, err = 0;
	char *tok, *list, *end;

	/* Every way unless --via says otherwise. */
	for (int v = 0; v < NR_VIA; v++)
		on[v] = true;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			nsizes = 0;
			list = optarg;
			while (!bad && (tok = strsep(&list, ","))) {
				bad |= nsizes == MSG_SIZES_MAX ||
				       parse_size(tok, &sizes[nsizes]) ||
				       !sizes[nsizes] ||
				       sizes[nsizes] % MSG_PAGE;
				nsizes++;
			}
			bad |= !nsizes;
			break;
		case 'c':
			count = strtoul(optarg, &end, 10);
			bad |= *end || !count || count > 1000000;
			break;
		case 'v':
			bad |= parse_via(optarg, on) < 0;
			break;
		case 'h':
			usage_msg(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || optind != argc) {
		usage_msg(stderr);
		return 2;
	}
	if (need_module())
		return 1;
	for (unsigned int i = 0; i < nsizes; i++)
		if (sizes[i] > largest)
			largest = sizes[i];
	frames = knob_ulong("frames");
	if (frames < 3 * largest / MSG_PAGE) {
		fprintf(stderr,
			"swaplab: msg: the budget (%lu frames) holds fewer than three messages of %llu bytes\n",
			frames, (unsigned long long)largest);
		return 1;
	}
	for (unsigned int i = 0; i < nsizes; i++)
		for (int v = 0; v < NR_VIA; v++)
			if (on[v])
				err |= msg_run_one(v, sizes[i], count ? count :
						   msg_count_for(sizes[i]));
	return err;
}
