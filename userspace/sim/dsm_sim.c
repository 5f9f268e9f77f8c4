// SPDX-License-Identifier: GPL-2.0
/*
 * The DSM protocol engine on simulated nodes. Each node has one process
 * that reads and writes the shared pages, a model of what the kernel
 * does for a region its data pager claimed (pages supplied read-only or
 * writable, DATA_REQUEST and DATA_UNLOCK, SWAPLAB_IOC_PAGER_LOCK's FLUSH
 * and CLEAN with the revoke of a waiting write, eviction with
 * DATA_RETURN, pins that FLUSH refuses), and the engine of lib/dsm.c as
 * its server. Nodes talk
 * over FIFO channels, one each way between two nodes, as TCP
 * connections are. A page is one 64-bit word.
 *
 * A seeded random schedule picks, at each step, one thing that can
 * happen: a process's next read or write, the next message on a
 * channel, the next kernel event at a node's server, a server releasing
 * the requests it holds (the dynamic manager) or trying again the
 * take-backs its kernel refused, an eviction, or a page pinned or let go.
 * After each step it checks what the protocol promises:
 *  - at most one node has a page mapped writable;
 *  - every read gets the value of the last write to its page, in the
 *    schedule's order (each page linearizable, so the whole sequentially
 *    consistent);
 *  - a node's mapping never gives more than the engine's access;
 * and at the end that every process finished, nothing stuck.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fifo.h"
#include "sim/dsm_sim.h"

enum { K_PAGER, K_RO, K_RW };		/* a kernel page's mapping */
enum { KR_NONE, KR_DATA, KR_UNLOCK };	/* the kernel's waiting request */

struct kpage {
	uint8_t state;
	bool dirty, pager_copy, pinned;
	uint8_t kreq;
	uint64_t seq;
	uint64_t val;
};

/* A message in flight, and the page it carries. */
struct chan_msg {
	struct fifo_link link;
	struct dsm_msg m;
	uint64_t data;
	bool has_data;
};

/* A kernel event waiting for its node's server. */
struct kev {
	struct fifo_link link;
	uint8_t type;		/* KR_DATA or KR_UNLOCK */
	uint64_t index, seq;
};

struct node;

struct sim {
	const struct dsm_sim_config *cfg;
	struct dsm_sim_result *res;
	struct node *node;
	struct fifo *chan;	/* of struct chan_msg, [from * nodes + to] */
	uint64_t *last;		/* the last value written to each page */
	uint64_t rnd, seq, next_val;
};

struct node {
	struct sim *sim;
	unsigned int id;
	struct dsm_node *eng;
	struct kpage *page;
	struct fifo ev;		/* of struct kev */
	/* The process: its ops left, and the op it is on. */
	uint64_t left;
	bool busy, blocked, is_write;
	uint64_t op_page, op_val;
};

static uint64_t rnd(struct sim *s)
{
	/* xorshift64*: the schedule, from the seed alone. */
	s->rnd ^= s->rnd >> 12;
	s->rnd ^= s->rnd << 25;
	s->rnd ^= s->rnd >> 27;
	return s->rnd * 0x2545f4914f6cdd1dull;
}

static void violation(struct sim *s, const char *what, unsigned int node,
		      uint64_t page)
{
	if (s->res->violation[0])
		return;
	snprintf(s->res->violation, sizeof(s->res->violation),
		 "step %llu, node %u, page %llu: %s",
		 (unsigned long long)s->res->steps, node,
		 (unsigned long long)page, what);
}

static void kernel_event(struct node *nd, uint8_t type, uint64_t index)
{
	struct kev *e = calloc(1, sizeof(*e));
	struct kpage *kp = &nd->page[index];

	if (!e) {
		violation(nd->sim, "out of memory", nd->id, index);
		return;
	}
	kp->kreq = type;
	kp->seq = ++nd->sim->seq;
	e->type = type;
	e->index = index;
	e->seq = kp->seq;
	fifo_push(&nd->ev, &e->link);
	nd->sim->res->faults++;
}

/* The engine's actions on its node. */
static int op_supply(void *ctx, uint64_t index, uint64_t seq,
		     const void *data, bool rdonly)
{
	struct node *nd = ctx;
	struct kpage *kp = &nd->page[index];

	if (kp->kreq != KR_DATA || kp->seq != seq)
		return -ESRCH;
	memcpy(&kp->val, data, sizeof(kp->val));
	kp->state = rdonly ? K_RO : K_RW;
	kp->pager_copy = true;
	kp->dirty = false;
	kp->kreq = KR_NONE;
	nd->blocked = false;	/* the access is tried again */
	return 0;
}

static int op_unlock(void *ctx, uint64_t index, uint64_t seq,
		     const void *data)
{
	struct node *nd = ctx;
	struct kpage *kp = &nd->page[index];

	if (kp->kreq != KR_UNLOCK || kp->seq != seq)
		return -ESRCH;
	if (data) {
		memcpy(&kp->val, data, sizeof(kp->val));
		kp->pager_copy = true;
		kp->dirty = false;
	}
	kp->state = K_RW;
	kp->kreq = KR_NONE;
	nd->blocked = false;
	return 0;
}

static int op_lock(void *ctx, enum dsm_lock_op op, uint64_t index, void *buf)
{
	struct node *nd = ctx;
	struct kpage *kp = &nd->page[index];
	bool written;

	/* A page-in waiting for the pager: not here yet, left waiting. */
	if (kp->kreq == KR_DATA || kp->state == K_PAGER)
		return DSM_ABSENT;
	/* Pinned: FLUSH refuses, and nothing changes. */
	if (op == DSM_FLUSH && kp->pinned) {
		nd->sim->res->refused++;
		return -EBUSY;
	}
	/* A write waiting for its grant faults again. */
	if (kp->kreq == KR_UNLOCK) {
		kp->kreq = KR_NONE;
		nd->blocked = false;
	}
	written = kp->dirty || !kp->pager_copy;
	if (written)
		memcpy(buf, &kp->val, sizeof(kp->val));
	if (op == DSM_FLUSH) {
		kp->state = K_PAGER;
	} else {
		kp->state = K_RO;
		kp->pager_copy = true;
	}
	kp->dirty = false;
	return written ? DSM_WRITTEN : DSM_UNCHANGED;
}

static int op_send(void *ctx, unsigned int to, const struct dsm_msg *m,
		   const void *data)
{
	struct node *nd = ctx;
	struct sim *s = nd->sim;
	struct fifo *c = &s->chan[nd->id * s->cfg->nodes + to];
	struct chan_msg *cm = calloc(1, sizeof(*cm));

	if (!cm)
		return -ENOMEM;
	cm->m = *m;
	if (data) {
		memcpy(&cm->data, data, sizeof(cm->data));
		cm->has_data = true;
	}
	fifo_push(c, &cm->link);
	s->res->msgs[m->type]++;
	return 0;
}

static void op_log(void *ctx, const char *line)
{
	struct node *nd = ctx;

	if (nd->sim->cfg->log)
		fprintf(nd->sim->cfg->log, "%s\n", line);
}

static const struct dsm_ops sim_ops = {
	.supply = op_supply, .unlock = op_unlock, .lock = op_lock,
	.send = op_send, .log = op_log,
};

/* The process's next access, or its current one again after a fault. */
static void step_process(struct node *nd)
{
	struct sim *s = nd->sim;
	struct kpage *kp;

	if (!nd->busy) {
		nd->busy = true;
		nd->op_page = rnd(s) % s->cfg->pages;
		nd->is_write = rnd(s) % 100 < s->cfg->write_pct;
		nd->op_val = ++s->next_val;
	}
	kp = &nd->page[nd->op_page];
	if (kp->state == K_PAGER) {
		kernel_event(nd, KR_DATA, nd->op_page);
		nd->blocked = true;
		return;
	}
	if (nd->is_write && kp->state == K_RO) {
		kernel_event(nd, KR_UNLOCK, nd->op_page);
		nd->blocked = true;
		return;
	}
	if (nd->is_write) {
		kp->val = nd->op_val;
		kp->dirty = true;
		s->last[nd->op_page] = nd->op_val;
		s->res->writes++;
	} else {
		if (kp->val != s->last[nd->op_page])
			violation(s, "a read did not see the last write", nd->id,
				  nd->op_page);
		s->res->reads++;
	}
	nd->busy = false;
	nd->left--;
}

static void step_event(struct node *nd)
{
	struct kev *e = fifo_entry(fifo_pop(&nd->ev), struct kev, link);

	if (e->type == KR_DATA)
		dsm_on_request(nd->eng, e->index, e->seq);
	else
		dsm_on_unlock(nd->eng, e->index, e->seq);
	free(e);
}

static void step_chan(struct sim *s, unsigned int c)
{
	struct chan_msg *cm = fifo_entry(fifo_pop(&s->chan[c]), struct chan_msg,
					 link);
	struct node *to = &s->node[c % s->cfg->nodes];
	int err;

	err = dsm_on_msg(to->eng, &cm->m, cm->has_data ? &cm->data : NULL);
	if (err) {
		char what[96];

		snprintf(what, sizeof(what), "%s from node %u refused (%d)",
			 dsm_msg_name(cm->m.type), cm->m.from, err);
		violation(s, what, to->id, cm->m.index);
	}
	free(cm);
}

/* Evict a page the kernel has mapped and no fault holds. */
static void step_evict(struct node *nd)
{
	uint64_t p = rnd(nd->sim) % nd->sim->cfg->pages;
	struct kpage *kp = &nd->page[p];

	if (kp->state == K_PAGER || kp->kreq != KR_NONE || kp->pinned)
		return;
	/* Written since the pager's copy: DATA_RETURN, and TAKE. */
	if (kp->dirty || !kp->pager_copy)
		dsm_on_return(nd->eng, p, &kp->val);
	kp->state = K_PAGER;
	kp->dirty = false;
	nd->sim->res->evictions++;
}

/*
 * Pin a page the kernel has mapped (SWAPLAB_IOC_PIN), while the node's
 * process runs, or let a pinned one go.
 */
static void step_pin(struct node *nd)
{
	uint64_t p = rnd(nd->sim) % nd->sim->cfg->pages;
	struct kpage *kp = &nd->page[p];

	if (kp->pinned) {
		kp->pinned = false;
	} else if (kp->state != K_PAGER && nd->left) {
		kp->pinned = true;
		nd->sim->res->pins++;
	}
}

/* The processes are done with their pins: every page let go. */
static void unpin_all(struct sim *s)
{
	for (unsigned int i = 0; i < s->cfg->nodes; i++)
		for (uint64_t p = 0; p < s->cfg->pages; p++)
			s->node[i].page[p].pinned = false;
}

/* What the protocol promises of every page after each step. */
static void check(struct sim *s)
{
	for (uint64_t p = 0; p < s->cfg->pages; p++) {
		unsigned int writers = 0;

		for (unsigned int i = 0; i < s->cfg->nodes; i++) {
			struct kpage *kp = &s->node[i].page[p];
			enum dsm_access a = dsm_access(s->node[i].eng, p);

			if (kp->state == K_RW)
				writers++;
			if ((kp->state == K_RW && a != DSM_WRITE) ||
			    (kp->state == K_RO && a == DSM_NIL))
				violation(s, "mapped beyond the node's access",
					  i, p);
			if (kp->state != K_PAGER && kp->val != s->last[p])
				violation(s, "a mapped copy is not the last write",
					  i, p);
		}
		if (writers > 1)
			violation(s, "two nodes have the page writable", 0, p);
	}
}

static void sim_free(struct sim *s)
{
	struct fifo_link *l;

	for (unsigned int i = 0; s->node && i < s->cfg->nodes; i++) {
		struct node *nd = &s->node[i];

		dsm_node_free(nd->eng);
		free(nd->page);
		while ((l = fifo_pop(&nd->ev)))
			free(fifo_entry(l, struct kev, link));
	}
	for (unsigned int c = 0; s->chan && c < s->cfg->nodes * s->cfg->nodes;
	     c++) {
		while ((l = fifo_pop(&s->chan[c])))
			free(fifo_entry(l, struct chan_msg, link));
	}
	free(s->node);
	free(s->chan);
	free(s->last);
}

/**
 * dsm_sim_run() - simulate the protocol
 * @cfg: what to simulate
 * @res: what happened (zeroed first)
 *
 * Return: 0 if the run ended with every process done and no promise
 * broken; 1 if one was broken (@res->violation says which, and where);
 * -EINVAL for a bad @cfg; -ENOMEM.
 */
int dsm_sim_run(const struct dsm_sim_config *cfg, struct dsm_sim_result *res)
{
	unsigned int nodes = cfg->nodes, nchan = nodes * nodes;
	struct sim s = { .cfg = cfg, .res = res };
	int ret = -ENOMEM;

	memset(res, 0, sizeof(*res));
	if (!nodes || nodes > DSM_NODES_MAX || !cfg->pages ||
	    cfg->pages > (1u << 20) || cfg->write_pct > 100 ||
	    cfg->evict_pct > 100 || cfg->pin_pct > 100)
		return -EINVAL;
	s.rnd = cfg->seed * 2 + 1;
	s.node = calloc(nodes, sizeof(*s.node));
	s.chan = calloc(nchan, sizeof(*s.chan));
	s.last = calloc(cfg->pages, sizeof(*s.last));
	if (!s.node || !s.chan || !s.last)
		goto out;
	for (unsigned int i = 0; i < nodes; i++) {
		struct node *nd = &s.node[i];

		nd->sim = &s;
		nd->id = i;
		nd->left = cfg->ops;
		/* Every page flushed at the start: the first touch asks. */
		nd->page = calloc(cfg->pages, sizeof(*nd->page));
		nd->eng = dsm_node_new(i, nodes, cfg->pages, sizeof(uint64_t),
				       cfg->manager, &sim_ops, nd);
		if (!nd->page || !nd->eng)
			goto out;
	}
	for (;;) {
		/* What can happen now, each as likely as the others. */
		unsigned int can[4 * DSM_NODES_MAX + DSM_NODES_MAX * DSM_NODES_MAX];
		unsigned int n = 0, retries = 0, pick;

		for (unsigned int i = 0; i < nodes; i++) {
			if (s.node[i].left && !s.node[i].blocked)
				can[n++] = i;
			if (!fifo_empty(&s.node[i].ev))
				can[n++] = nodes + i;
		}
		for (unsigned int c = 0; c < nchan; c++)
			if (!fifo_empty(&s.chan[c]))
				can[n++] = 2 * nodes + c;
		for (unsigned int i = 0; i < nodes; i++)
			if (dsm_held(s.node[i].eng))
				can[n++] = 2 * nodes + nchan + i;
		for (unsigned int i = 0; i < nodes; i++)
			if (dsm_pending(s.node[i].eng))
				can[n + retries++] = 3 * nodes + nchan + i;
		/*
		 * Only take-backs refused can go on: the pins that hold them
		 * outlive every process that could let go; let them go.
		 */
		if (!n && retries)
			unpin_all(&s);
		n += retries;
		if (!n)
			break;
		pick = can[rnd(&s) % n];
		res->steps++;
		if (pick < nodes)
			step_process(&s.node[pick]);
		else if (pick < 2 * nodes)
			step_event(&s.node[pick - nodes]);
		else if (pick < 2 * nodes + nchan)
			step_chan(&s, pick - 2 * nodes);
		else if (pick < 3 * nodes + nchan)
			dsm_release(s.node[pick - 2 * nodes - nchan].eng);
		else
			dsm_retry(s.node[pick - 3 * nodes - nchan].eng);
		if (cfg->evict_pct && rnd(&s) % 100 < cfg->evict_pct)
			step_evict(&s.node[rnd(&s) % nodes]);
		if (cfg->pin_pct && rnd(&s) % 100 < cfg->pin_pct)
			step_pin(&s.node[rnd(&s) % nodes]);
		check(&s);
		if (res->violation[0])
			break;
	}
	for (unsigned int i = 0; i < nodes && !res->violation[0]; i++)
		if (s.node[i].left)
			violation(&s, "stuck: its process waits for ever", i,
				  s.node[i].op_page);
	ret = res->violation[0] ? 1 : 0;
out:
	sim_free(&s);
	return ret;
}
