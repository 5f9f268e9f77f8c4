// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab dsm serve: one node of distributed shared memory. It creates the
 * named region, attaches as its data pager and claims it, takes every
 * page back so that each first touch asks, connects to the peers of its
 * configuration, and then runs the protocol engine (lib/dsm.c) on what
 * the kernel asks (the events of its pager ring) and what the peers send
 * (lib/dsm_net.c): the engine acts through the pager's ioctls and
 * messages to peers. Processes on the node map the region by its name
 * (SWAPLAB_IOC_ATTACH) once the server says it is ready.
 *
 * At SIGINT, SIGTERM or SIGHUP it tells its peers it is stopping, and
 * goes on serving them until each has said so too (or is gone), at most
 * LINGER_MS; a second signal stops it at once. Then it prints what it did;
 * exit 1 if a peer was lost or the kernel refused a call.
 * Documentation/admin-guide/swaplab/dsm.rst.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <swaplab.h>

#include "cli/cmd.h"
#include "lib/dsm.h"
#include "lib/dsm_net.h"
#include "lib/pager_ring.h"
#include "lib/span.h"
#include "lib/sysfs.h"

/* How long a server that is to stop waits for its peers to stop too. */
#define LINGER_MS	30000

/*
 * The dynamic manager: how long a node holds the requests for a page it
 * was just given (lib/dsm.c), so that the faulting process can use it.
 */
#define HOLD_MS		2

/*
 * How often a take-back the kernel refused (a pinned page) is tried
 * again (lib/dsm.c, dsm_retry()).
 */
#define RETRY_MS	10

/*
 * A fault's request is timed from the moment the server takes it from the
 * ring to its SUPPLY or UNLOCK, apart by whether the node had to ask a
 * peer (a request sent for the page meanwhile); a peer's message from its
 * arrival to the answer this node sends: a page, or an acknowledgment.
 */
enum span_kind {
	SPAN_PAGE_HERE,		/* DATA_REQUEST to SUPPLY, served by this node */
	SPAN_PAGE_PEER,		/* DATA_REQUEST to SUPPLY, asked of a peer */
	SPAN_WRITE_HERE,	/* DATA_UNLOCK to UNLOCK, granted here */
	SPAN_WRITE_PEER,	/* DATA_UNLOCK to UNLOCK, asked of a peer */
	SPAN_READ_ANSWER,	/* READ_REQ or FWD_READ to the PAGE sent */
	SPAN_WRITE_ANSWER,	/* WRITE_REQ or FWD_WRITE to the PAGE sent */
	SPAN_INVALIDATE,	/* INVALIDATE to the INV_ACK sent */
	SPAN_KINDS
};

static const char *const span_name[SPAN_KINDS] = {
	[SPAN_PAGE_HERE] = "page requests served here",
	[SPAN_PAGE_PEER] = "page requests asked of a peer",
	[SPAN_WRITE_HERE] = "write requests granted here",
	[SPAN_WRITE_PEER] = "write requests asked of a peer",
	[SPAN_READ_ANSWER] = "peers' reads",
	[SPAN_WRITE_ANSWER] = "peers' writes",
	[SPAN_INVALIDATE] = "invalidations",
};

/* The stop signals caught: the first stops the node, the second at once. */
static int stops;

static void on_stop(int sig)
{
	(void)sig;
	__atomic_add_fetch(&stops, 1, __ATOMIC_RELAXED);
}

static int stops_caught(void)
{
	return __atomic_load_n(&stops, __ATOMIC_RELAXED);
}

static void catch_stops(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

struct server {
	int dev, region_fd;
	struct pager_ring pr;
	size_t page_size;
	uint64_t region, pages;
	struct dsm_node *node;
	struct dsm_net net;
	uint8_t *page;			/* a page taken from the kernel */
	FILE *log;
	/* What happened: */
	uint64_t requests, unlocks, taken, kept, discards, supplied,
		 granted, stale, errors, refused;
	uint64_t sent[DSM_MSG_MAX + 1], received[DSM_MSG_MAX + 1];
	struct span span[SPAN_KINDS];
	uint8_t *asked;			/* a page asked of a peer since its fault */
};

static int spans_init(struct server *s)
{
	s->asked = calloc(s->pages, 1);
	if (!s->asked)
		return -1;
	for (int k = 0; k < SPAN_KINDS; k++)
		if (span_init(&s->span[k], s->pages))
			return -1;
	return 0;
}

static void spans_free(struct server *s)
{
	for (int k = 0; k < SPAN_KINDS; k++)
		span_free(&s->span[k]);
	free(s->asked);
}

/*
 * A fault's request for page @index is answered: one sample of @here's
 * kind, or of the kind after it (asked of a peer) if a request went out.
 */
static void span_close_fault(struct server *s, enum span_kind here,
			     uint64_t index)
{
	enum span_kind k = here;

	if (index >= s->pages)
		return;
	if (s->asked[index]) {
		k = here + 1;	/* SPAN_PAGE_PEER or SPAN_WRITE_PEER */
		span_move(&s->span[here], &s->span[k], index);
		s->asked[index] = 0;
	}
	span_close(&s->span[k], index);
}

static void log_line(void *ctx, const char *line)
{
	struct server *s = ctx;
	struct timespec ts;

	if (!s->log)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(s->log, "%lld.%06ld %s\n", (long long)ts.tv_sec,
		ts.tv_nsec / 1000, line);
	fflush(s->log);
}

static void logfmt(struct server *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_line(s, line);
}

/* A call the kernel refused for another reason than a fault gone. */
static int kernel_error(struct server *s, const char *call, uint64_t index)
{
	int err = errno;

	if (err == ESRCH) {
		s->stale++;
	} else {
		s->errors++;
		fprintf(stderr, "swaplab dsm: %s of page %" PRIu64 ": %s\n",
			call, index, strerror(err));
		logfmt(s, "%s of page %" PRIu64 ": %s", call, index,
		       strerror(err));
	}
	return -err;
}

/* A fault's request for page @index went stale: no sample. */
static void span_drop_fault(struct server *s, enum span_kind here,
			    uint64_t index)
{
	span_drop(&s->span[here], index);
	if (index < s->pages)
		s->asked[index] = 0;
}

/*
 * A message goes to a peer: a request this node makes for itself, or an
 * invalidation before it writes, marks the page asked; a page or an
 * acknowledgment answers a peer's message; a request for another node
 * handed on (the fixed manager's forward to the owner, or the dynamic
 * manager's to the next probable owner) is not this node's to answer.
 */
static void span_sent(struct server *s, const struct dsm_msg *m)
{
	switch (m->type) {
	case DSM_READ_REQ:
	case DSM_WRITE_REQ:
	case DSM_FWD_READ:
	case DSM_FWD_WRITE:
	case DSM_INVALIDATE:
		if (m->requester == s->net.id) {
			if (m->index < s->pages)
				s->asked[m->index] = 1;
		} else if (m->type == DSM_READ_REQ ||
			   m->type == DSM_FWD_READ) {
			span_drop(&s->span[SPAN_READ_ANSWER], m->index);
		} else if (m->type != DSM_INVALIDATE) {
			span_drop(&s->span[SPAN_WRITE_ANSWER], m->index);
		}
		break;
	case DSM_PAGE:
		span_close(&s->span[m->flags & DSM_PAGE_OWNER ?
				    SPAN_WRITE_ANSWER : SPAN_READ_ANSWER],
			   m->index);
		break;
	case DSM_INV_ACK:
		span_close(&s->span[SPAN_INVALIDATE], m->index);
		break;
	}
}

/* A peer's message that this node may answer starts its clock. */
static void span_received(struct server *s, const struct dsm_msg *m)
{
	switch (m->type) {
	case DSM_READ_REQ:
	case DSM_FWD_READ:
		span_open(&s->span[SPAN_READ_ANSWER], m->index);
		break;
	case DSM_WRITE_REQ:
	case DSM_FWD_WRITE:
		span_open(&s->span[SPAN_WRITE_ANSWER], m->index);
		break;
	case DSM_INVALIDATE:
		span_open(&s->span[SPAN_INVALIDATE], m->index);
		break;
	}
}

static int op_supply(void *ctx, uint64_t index, uint64_t seq,
		     const void *data, bool rdonly)
{
	struct server *s = ctx;
	struct swaplab_pager_data d = {
		.region = s->region, .index = index, .seq = seq,
		.buf = (uintptr_t)data,
		.flags = rdonly ? SWAPLAB_PAGER_SUPPLY_RDONLY : 0,
	};

	if (ioctl(s->pr.fd, SWAPLAB_PAGER_IOC_SUPPLY, &d)) {
		span_drop_fault(s, SPAN_PAGE_HERE, index);
		return kernel_error(s, "SUPPLY", index);
	}
	span_close_fault(s, SPAN_PAGE_HERE, index);
	s->supplied++;
	return 0;
}

static int op_unlock(void *ctx, uint64_t index, uint64_t seq,
		     const void *data)
{
	struct server *s = ctx;
	struct swaplab_pager_data d = {
		.region = s->region, .index = index, .seq = seq,
		.buf = (uintptr_t)data,
	};

	if (ioctl(s->pr.fd, SWAPLAB_PAGER_IOC_UNLOCK, &d)) {
		span_drop_fault(s, SPAN_WRITE_HERE, index);
		return kernel_error(s, "UNLOCK", index);
	}
	span_close_fault(s, SPAN_WRITE_HERE, index);
	s->granted++;
	return 0;
}

/*
 * Take pages back: FLUSH or CLEAN, @nr of them; their status bytes.
 * With @may_pin, a page pinned is no error but -EBUSY, for the engine to
 * try again.
 */
static int lock_pages(struct server *s, uint32_t op, uint64_t index,
		      uint32_t nr, void *buf, uint8_t *status, bool may_pin)
{
	struct swaplab_pager_lock l = {
		.pager_fd = s->pr.fd, .op = op, .index = index, .nr = nr,
		.buf = (uintptr_t)buf, .status = (uintptr_t)status,
	};

	if (ioctl(s->region_fd, SWAPLAB_IOC_PAGER_LOCK, &l)) {
		if (may_pin && errno == EBUSY) {
			s->refused++;
			return -EBUSY;
		}
		return kernel_error(s, op == SWAPLAB_PAGER_LOCK_FLUSH ?
				    "FLUSH" : "CLEAN", index + l.done);
	}
	return 0;
}

static int op_lock(void *ctx, enum dsm_lock_op op, uint64_t index, void *buf)
{
	struct server *s = ctx;
	uint8_t status;
	int err;

	err = lock_pages(s, op == DSM_FLUSH ? SWAPLAB_PAGER_LOCK_FLUSH :
			 SWAPLAB_PAGER_LOCK_CLEAN, index, 1, buf, &status,
			 true);
	if (err)
		return err;
	return status == SWAPLAB_PAGER_LOCK_WRITTEN ? DSM_WRITTEN :
	       status == SWAPLAB_PAGER_LOCK_CLEAN_PAGE ? DSM_UNCHANGED :
							 DSM_ABSENT;
}

static int op_send(void *ctx, unsigned int to, const struct dsm_msg *m,
		   const void *data)
{
	struct server *s = ctx;
	int err = dsm_net_send(&s->net, to, m, data);

	if (err)
		return err;
	span_sent(s, m);
	s->sent[m->type]++;
	if (s->log)
		logfmt(s, "sent %s%s page %" PRIu64 " to %u",
		       dsm_msg_name(m->type),
		       m->flags & DSM_PAGE_OWNER ? "+owner" : "", m->index, to);
	return 0;
}

static const struct dsm_ops server_ops = {
	.supply = op_supply, .unlock = op_unlock, .lock = op_lock,
	.send = op_send, .log = log_line,
};

static int deliver(void *ctx, const struct dsm_msg *m,
		   const void *data)
{
	struct server *s = ctx;

	s->received[m->type]++;
	span_received(s, m);
	/* Logged before the engine acts: what it does follows the message. */
	if (s->log)
		logfmt(s, "got %s%s page %" PRIu64 " from %u",
		       dsm_msg_name(m->type),
		       m->flags & DSM_PAGE_OWNER ? "+owner" : "", m->index,
		       m->from);
	return dsm_on_msg(s->node, m, data);
}

/*
 * A page the kernel evicted written (DATA_RETURN): take it, and it is the
 * node's copy. ESRCH: a fault took it back first, and it is the kernel's.
 */
static void take(struct server *s, const struct swaplab_pager_event *e)
{
	struct swaplab_pager_data d = {
		.region = s->region, .index = e->index, .seq = e->arg,
		.buf = (uintptr_t)s->page,
	};

	if (ioctl(s->pr.fd, SWAPLAB_PAGER_IOC_TAKE, &d)) {
		kernel_error(s, "TAKE", e->index);
		return;
	}
	s->taken++;
	dsm_on_return(s->node, e->index, s->page);
}

/*
 * DATA_DISCARD: the kernel sent the page to its own store (the pager was
 * behind) or it was discarded. The node's page must be its copy: take
 * it back from the store, written or not.
 */
static void discarded(struct server *s, uint64_t index)
{
	uint8_t status;

	s->discards++;
	if (!lock_pages(s, SWAPLAB_PAGER_LOCK_FLUSH, index, 1, s->page,
			&status, false) && status == SWAPLAB_PAGER_LOCK_WRITTEN)
		dsm_on_return(s->node, index, s->page);
}

/* One event of the ring; false at the region's end. */
static bool on_event(struct server *s, const struct swaplab_pager_event *e)
{
	if (e->region != s->region)
		return true;
	switch (e->type) {
	case SWAPLAB_PAGER_DATA_REQUEST:
		s->requests++;
		span_open(&s->span[SPAN_PAGE_HERE], e->index);
		dsm_on_request(s->node, e->index, e->arg);
		break;
	case SWAPLAB_PAGER_DATA_UNLOCK:
		s->unlocks++;
		span_open(&s->span[SPAN_WRITE_HERE], e->index);
		dsm_on_unlock(s->node, e->index, e->arg);
		break;
	case SWAPLAB_PAGER_DATA_RETURN:
		take(s, e);
		break;
	case SWAPLAB_PAGER_DATA_KEPT:
		s->kept++;
		break;
	case SWAPLAB_PAGER_DATA_DISCARD:
		discarded(s, e->index);
		break;
	case SWAPLAB_PAGER_REGION_GONE:
		log_line(s, "the region is gone");
		return false;
	}
	return true;
}

/* Handle every event waiting in the ring; false at the region's end. */
static bool drain(struct server *s)
{
	uint64_t head = __atomic_load_n(&s->pr.ring->head, __ATOMIC_ACQUIRE);
	uint64_t tail = __atomic_load_n(&s->pr.ring->tail, __ATOMIC_ACQUIRE);
	bool more = true;

	while (head != tail && more)
		more = on_event(s, &s->pr.ev[head++ & s->pr.ring->mask]);
	__atomic_store_n(&s->pr.ring->head, head, __ATOMIC_RELEASE);
	return more;
}

/* Create the region, attach as its data pager, claim it, take it all. */
static int setup_region(struct server *s, const char *name, uint64_t size,
			unsigned int mode, unsigned int timeout_ms)
{
	struct swaplab_attach at = {
		.size = size, .mode = mode,
		.flags = SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL |
			 SWAPLAB_ATTACH_CLOEXEC,
	};
	struct swaplab_pager_attach pa = {
		.entries = SWAPLAB_PAGER_ENTRIES_DEF,
		.flags = SWAPLAB_PAGER_CLOEXEC | SWAPLAB_PAGER_DATA,
		.wakeup = 1, .data_timeout_ms = timeout_ms,
	};
	struct swaplab_region_info info;
	uint8_t status[SWAPLAB_PAGER_LOCK_MAX];
	void *buf;

	memcpy(at.name, name, strnlen(name, sizeof(at.name) - 1));
	s->dev = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC);
	if (s->dev < 0) {
		fprintf(stderr, "swaplab dsm: %s: %s\n", SWAPLAB_DEVICE,
			strerror(errno));
		return -1;
	}
	s->region_fd = ioctl(s->dev, SWAPLAB_IOC_ATTACH, &at);
	if (s->region_fd < 0 ||
	    ioctl(s->region_fd, SWAPLAB_IOC_REGION_INFO, &info)) {
		fprintf(stderr, "swaplab dsm: creating region %s: %s%s\n", name,
			strerror(errno), errno == EEXIST ?
			" (a region of that name exists: the server creates it)" : "");
		return -1;
	}
	s->region = info.id;
	if (pager_ring_attach(&s->pr, &pa, "swaplab dsm"))
		return -1;
	if (ioctl(s->region_fd, SWAPLAB_IOC_PAGER_CLAIM, &s->pr.fd)) {
		fprintf(stderr, "swaplab dsm: claiming region %s: %s\n", name,
			strerror(errno));
		return -1;
	}
	/* Every page the pager's: the first touch of each asks. */
	buf = malloc(SWAPLAB_PAGER_LOCK_MAX * s->page_size);
	if (!buf)
		return -1;
	for (uint64_t i = 0; i < s->pages; i += SWAPLAB_PAGER_LOCK_MAX) {
		uint64_t nr = s->pages - i < SWAPLAB_PAGER_LOCK_MAX ?
			      s->pages - i : SWAPLAB_PAGER_LOCK_MAX;

		if (lock_pages(s, SWAPLAB_PAGER_LOCK_FLUSH, i, nr, buf, status,
			       false)) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	return 0;
}

static void teardown(struct server *s)
{
	dsm_net_close(&s->net);
	pager_ring_detach(&s->pr);
	if (s->region_fd >= 0)
		close(s->region_fd);
	if (s->dev >= 0)
		close(s->dev);
	dsm_node_free(s->node);
	spans_free(s);
	free(s->page);
	if (s->log && s->log != stderr)
		fclose(s->log);
}

/* "SEP NAME P50/P90 (N)", the kind's microseconds, or "SEP NAME none". */
static void print_span(struct span *sp, const char *sep, const char *name)
{
	uint32_t p50, p90;

	if (span_quantiles(sp, &p50, &p90))
		printf("%s %s %" PRIu32 "/%" PRIu32 " (%zu)", sep, name, p50,
		       p90, sp->n);
	else
		printf("%s %s none", sep, name);
}

static void report(struct server *s)
{
	unsigned int lost = dsm_net_peers_lost(&s->net);

	printf("swaplab dsm: node %u: %" PRIu64 " page requests, %" PRIu64
	       " write requests, %" PRIu64 " pages supplied, %" PRIu64
	       " writes granted, %" PRIu64 " pages taken, %" PRIu64
	       " kept clean, %" PRIu64 " discarded, %" PRIu64
	       " stale answers, %" PRIu64 " kernel errors, %" PRIu64
	       " events lost, %u peers lost, %" PRIu64
	       " take-backs refused (pinned)\n",
	       s->net.id, s->requests, s->unlocks, s->supplied, s->granted,
	       s->taken, s->kept, s->discards, s->stale, s->errors,
	       s->pr.ring ? (uint64_t)s->pr.ring->lost : 0, lost, s->refused);
	printf("swaplab dsm: node %u: sent", s->net.id);
	for (unsigned int t = 1; t <= DSM_MSG_MAX; t++)
		printf(" %s=%" PRIu64, dsm_msg_name(t), s->sent[t]);
	printf("; received");
	for (unsigned int t = 1; t <= DSM_MSG_MAX; t++)
		printf(" %s=%" PRIu64, dsm_msg_name(t), s->received[t]);
	printf("\n");
	printf("swaplab dsm: node %u: time to answer, us p50/p90 (count):",
	       s->net.id);
	for (int k = 0; k < SPAN_KINDS; k++)
		print_span(&s->span[k], k ? ";" : "", span_name[k]);
	printf("\n");
}

static int serve(struct server *s)
{
	struct pollfd pfd[DSM_NODES_MAX + 2];
	int64_t leave_by = 0, held_since = -1, retry_at = 0;

	for (;;) {
		int timeout = 500;
		unsigned int n;

		if (dsm_held(s->node)) {
			int64_t now = dsm_net_now_ms();

			if (held_since < 0)
				held_since = now;
			if (now - held_since >= HOLD_MS) {
				dsm_release(s->node);
				held_since = -1;
			} else {
				timeout = HOLD_MS;
			}
		}
		if (dsm_pending(s->node)) {
			int64_t now = dsm_net_now_ms();

			if (now >= retry_at) {
				dsm_retry(s->node);
				retry_at = now + RETRY_MS;
			}
			if (timeout > RETRY_MS)
				timeout = RETRY_MS;
		}
		if (stops_caught() && !leave_by) {
			log_line(s, "stopping");
			dsm_net_bye(&s->net);
			leave_by = dsm_net_now_ms() + LINGER_MS;
		}
		/*
		 * Every peer stopping too: close this end of each connection
		 * once all is written, and read on until each peer has closed
		 * its own (it may still answer what it had before our bye).
		 */
		if (leave_by && (stops_caught() > 1 || dsm_net_now_ms() > leave_by ||
				 (dsm_net_all_bye(&s->net) && dsm_net_finish(&s->net))))
			break;
		pfd[0] = (struct pollfd){ .fd = s->pr.fd, .events = POLLIN };
		n = dsm_net_pollfds(&s->net, pfd + 1);
		if (poll(pfd, n + 1, timeout) < 0 && errno != EINTR) {
			perror("swaplab dsm: poll");
			return -1;
		}
		if (!drain(s))
			break;
		dsm_net_service(&s->net, pfd + 1, n, deliver, s);
	}
	return 0;
}

void usage_dsm_serve(FILE *f)
{
	fprintf(f,
		"usage: swaplab dsm serve --node N --peers ADDR:PORT,ADDR:PORT[,...]\n"
		"                         --region NAME --size BYTES [--timeout MS]\n"
		"                         [--wait SEC] [--mode OCTAL] [--log FILE]\n"
		"                         [--ready FILE] [--manager fixed|dynamic]\n"
		"  one node of distributed shared memory: creates region NAME, keeps its\n"
		"  pages coherent with the other nodes' (--peers, node 0's address first;\n"
		"  this node listens at its own), and serves until SIGTERM or SIGINT.\n"
		"  --manager: how a fault finds a page's owner, the same on every node:\n"
		"  through the page's fixed manager (the default) or along probable\n"
		"  owners (dynamic);\n"
		"  --timeout: how long a fault waits for a page (default 5000 ms);\n"
		"  --wait: for the peers to connect (default 60 s); --mode: the\n"
		"  region's permission bits (default 0600); --log: each connection and\n"
		"  change of a page's access; --ready: written once every peer is up\n");
}

/* Parse --node, --peers and the rest; 0, or 2 for a wrong usage. */
int dsm_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "peers", required_argument, NULL, 'p' },
		{ "region", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "wait", required_argument, NULL, 'w' },
		{ "mode", required_argument, NULL, 'm' },
		{ "log", required_argument, NULL, 'l' },
		{ "ready", required_argument, NULL, 'R' },
		{ "manager", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct server s = { .dev = -1, .region_fd = -1, .pr = { .fd = -1 } };
	const char *peers = NULL, *region = NULL, *log = NULL, *ready = NULL;
	unsigned long node = ~0UL, timeout = 5000, wait_s = 60, mode = 0600;
	enum dsm_manager_kind manager = DSM_MGR_FIXED;
	uint64_t size = 0;
	bool bad = false;
	char *end;
	int c, err, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		errno = 0;
		end = NULL;
		switch (c) {
		case 'n':
			node = strtoul(optarg, &end, 10);
			break;
		case 'p':
			peers = optarg;
			break;
		case 'r':
			region = optarg;
			break;
		case 's':
			bad |= parse_size(optarg, &size) != 0;
			break;
		case 't':
			timeout = strtoul(optarg, &end, 10);
			bad |= !timeout || timeout > SWAPLAB_PAGER_DATA_TIMEOUT_MAX;
			break;
		case 'w':
			wait_s = strtoul(optarg, &end, 10);
			bad |= !wait_s || wait_s > 3600;
			break;
		case 'm':
			mode = strtoul(optarg, &end, 8);
			bad |= mode > 0777;
			break;
		case 'l':
			log = optarg;
			break;
		case 'R':
			ready = optarg;
			break;
		case 'M':
			bad |= dsm_parse_manager(optarg, &manager) != 0;
			break;
		case 'h':
			usage_dsm_serve(stdout);
			return 0;
		default:
			bad = true;
		}
		bad |= end && (errno || end == optarg || *end || optarg[0] == '-');
	}
	s.page_size = sysconf(_SC_PAGESIZE);
	if (bad || optind != argc || !peers || !region || !size ||
	    node >= DSM_NODES_MAX || size % s.page_size ||
	    strlen(region) >= DSM_REGION_NAME_MAX || !region[0]) {
		usage_dsm_serve(stderr);
		return 2;
	}
	s.net.id = node;
	if (dsm_net_parse_peers(&s.net, peers)) {
		fprintf(stderr, "swaplab dsm: --peers: %s: a list of two to %d ADDR:PORT, node %lu among them\n",
			peers, DSM_NODES_MAX, node);
		usage_dsm_serve(stderr);
		return 2;
	}
	s.pages = size / s.page_size;
	s.net.hello = (struct dsm_hello){
		.version = DSM_WIRE_VERSION, .nodes = s.net.hello.nodes,
		.page_size = s.page_size, .pages = s.pages, .manager = manager,
	};
	memcpy(s.net.hello.region, region, strlen(region) + 1);
	s.net.log = log_line;
	s.net.ctx = &s;
	if (log) {
		s.log = strcmp(log, "-") ? fopen(log, "w") : stderr;
		if (!s.log) {
			fprintf(stderr, "swaplab dsm: %s: %s\n", log, strerror(errno));
			return 1;
		}
	}
	catch_stops();
	s.page = malloc(s.page_size);
	if (!s.page || spans_init(&s) ||
	    setup_region(&s, region, size, mode, timeout))
		goto out;
	s.node = dsm_node_new(node, s.net.hello.nodes, s.pages, s.page_size,
			      manager, &server_ops, &s);
	if (!s.node) {
		perror("swaplab dsm");
		goto out;
	}
	err = dsm_net_listen(&s.net);
	if (err) {
		fprintf(stderr, "swaplab dsm: listening: %s\n", strerror(-err));
		goto out;
	}
	err = dsm_net_connect(&s.net, wait_s * 1000, &stops);
	if (err) {
		if (err == -EINTR)
			fprintf(stderr, "swaplab dsm: stopped while the peers connected\n");
		else
			fprintf(stderr, "swaplab dsm: the peers did not all connect in %lu s\n",
				wait_s);
		goto out;
	}
	printf("swaplab dsm: node %lu of %u: serving region %s, %" PRIu64
	       " pages, the %s manager\n", node, s.net.hello.nodes, region,
	       s.pages, dsm_manager_name(manager));
	fflush(stdout);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (!f || fclose(f)) {
			fprintf(stderr, "swaplab dsm: %s: %s\n", ready,
				strerror(errno));
			goto out;
		}
	}
	if (serve(&s))
		goto out;
	rc = s.errors || dsm_net_peers_lost(&s.net);
	report(&s);
	if (rc)
		fprintf(stderr, "swaplab dsm: node %lu: %s\n", node, s.errors ?
			"the kernel refused calls (see above)" : "a peer was lost");
out:
	teardown(&s);
	return rc;
}
