/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replays on every core (sim_jobs.c): a list of replays of one string,
 * each with a configuration of its own, run a number at a time on
 * threads, their results handed over in the order of the list.
 */
#ifndef SWAPLAB_SIM_JOBS_H
#define SWAPLAB_SIM_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/sim.h"

/**
 * struct sim_job - one replay
 * @policy: its policy
 * @cfg: its configuration, its own copy: its outputs (@cfg.stats,
 *	@cfg.proc_faults, @cfg.proc_end) point into this job
 * @stats: its counters
 * @faults: what sim_run() returned: its faults, or -1
 * @done: it has run (under the list's lock)
 */
struct sim_job {
	const char *policy;
	struct sim_config cfg;
	struct sim_stats stats;
	long faults;
	bool done;
};

int sim_job_init(struct sim_job *j, const char *policy,
		 const struct sim_config *cfg);
void sim_job_free(struct sim_job *j);

int sim_jobs_run(struct sim_job *job, size_t n, unsigned int jobs,
		 const unsigned long *refs, size_t nrefs, unsigned long npages,
		 void (*report)(struct sim_job *j, size_t i, void *arg),
		 void *arg);
unsigned int sim_jobs_default(void);

#endif /* SWAPLAB_SIM_JOBS_H */
