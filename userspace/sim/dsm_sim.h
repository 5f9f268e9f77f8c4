/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `swaplab dsm sim`: the DSM protocol engine (lib/dsm.c) on simulated
 * nodes, each with a model of the kernel's side of the data pager, linked
 * by FIFO channels, driven by a seeded random schedule (dsm_sim.c).
 */
#ifndef SWAPLAB_SIM_DSM_SIM_H
#define SWAPLAB_SIM_DSM_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/dsm.h"

/**
 * struct dsm_sim_config - what to simulate
 * @nodes: nodes, 1 to %DSM_NODES_MAX
 * @pages: pages of the shared region
 * @ops: reads and writes each node's process makes
 * @write_pct: of them, writes, in percent
 * @evict_pct: how often, in percent of the steps, a node evicts a page
 * @pin_pct: how often, in percent of the steps, a node's process pins a
 *	page or lets a pinned one go (FLUSH refuses a pinned page)
 * @seed: the schedule's seed
 * @manager: &enum dsm_manager_kind, every node's
 * @log: where to write each step and access change, or NULL
 */
struct dsm_sim_config {
	unsigned int nodes;
	uint64_t pages;
	uint64_t ops;
	unsigned int write_pct;
	unsigned int evict_pct;
	unsigned int pin_pct;
	uint64_t seed;
	enum dsm_manager_kind manager;
	FILE *log;
};

/**
 * struct dsm_sim_result - what happened
 * @steps: steps of the schedule
 * @reads: reads done, each checked against the last write
 * @writes: writes done
 * @faults: the kernel's requests (DATA_REQUEST, DATA_UNLOCK)
 * @evictions: pages the kernel models evicted
 * @pins: pages pinned
 * @refused: take-backs (FLUSH) refused for a pin
 * @msgs: messages sent between nodes, by &enum dsm_msg_type
 * @violation: what went wrong first, "" if nothing
 */
struct dsm_sim_result {
	uint64_t steps, reads, writes, faults, evictions, pins, refused;
	uint64_t msgs[DSM_MSG_MAX + 1];
	char violation[256];
};

int dsm_sim_run(const struct dsm_sim_config *cfg, struct dsm_sim_result *res);

#endif /* SWAPLAB_SIM_DSM_SIM_H */
