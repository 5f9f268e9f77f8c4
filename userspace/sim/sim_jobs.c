// SPDX-License-Identifier: GPL-2.0
/*
 * Replays on every core. A table, a curve or a prefetch table is a list
 * of replays of one string, which is read once and shared: each replay
 * reads it and writes only what is its own (its configuration's copy,
 * its counters, its per-process figures, and the state sim_run()
 * allocates). Up to --jobs threads take the replays in the list's order,
 * and the caller's report hears each one in that order as soon as it and
 * every one before it are done, so the output is the same, and in the
 * same order, whatever the number of threads. With one job there is no
 * thread: each replay runs and is reported in turn, as it always did.
 *
 * The one state the replays shared, policy_random.c's generator, is the
 * thread's own (sim.c), seeded at the start of each replay.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/sim_jobs.h"

/**
 * sim_job_init() - a replay of @policy with a copy of @cfg
 * @j: the job
 * @policy: its policy
 * @cfg: the configuration; the job has counters and per-process arrays
 *	of its own where @cfg has them
 *
 * Return: 0, or -1 without memory (nothing to free).
 */
int sim_job_init(struct sim_job *j, const char *policy,
		 const struct sim_config *cfg)
{
	size_t n = cfg->procs ? cfg->procs->n : 1;

	memset(j, 0, sizeof(*j));
	j->policy = policy;
	j->cfg = *cfg;
	j->cfg.stats = &j->stats;
	j->cfg.proc_faults = NULL;
	j->cfg.proc_end = NULL;
	if (cfg->proc_faults)
		j->cfg.proc_faults = calloc(n, sizeof(*j->cfg.proc_faults));
	if (cfg->proc_end)
		j->cfg.proc_end = calloc(n, sizeof(*j->cfg.proc_end));
	if ((cfg->proc_faults && !j->cfg.proc_faults) ||
	    (cfg->proc_end && !j->cfg.proc_end)) {
		sim_job_free(j);
		return -1;
	}
	return 0;
}

/**
 * sim_job_free() - free what a job has of its own
 * @j: the job
 */
void sim_job_free(struct sim_job *j)
{
	free(j->cfg.proc_faults);
	free(j->cfg.proc_end);
	j->cfg.proc_faults = NULL;
	j->cfg.proc_end = NULL;
}

/**
 * sim_jobs_default() - the number of jobs by default
 *
 * Return: the cores online, at least 1.
 */
unsigned int sim_jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

struct sim_jobs {
	struct sim_job *job;
	size_t n;
	const unsigned long *refs;
	size_t nrefs;
	unsigned long npages;
	pthread_mutex_t lock;	/* @next, every job's @done */
	pthread_cond_t done;	/* a job is done */
	size_t next;		/* the first job no thread has taken */
};

static void sim_jobs_one(struct sim_jobs *js, struct sim_job *j)
{
	j->faults = sim_run(j->policy, js->refs, js->nrefs, js->npages,
			    &j->cfg);
}

static void *sim_jobs_worker(void *arg)
{
	struct sim_jobs *js = arg;
	struct sim_job *j;

	for (;;) {
		pthread_mutex_lock(&js->lock);
		j = js->next < js->n ? &js->job[js->next++] : NULL;
		pthread_mutex_unlock(&js->lock);
		if (!j)
			return NULL;
		sim_jobs_one(js, j);
		pthread_mutex_lock(&js->lock);
		j->done = true;
		pthread_cond_broadcast(&js->done);
		pthread_mutex_unlock(&js->lock);
	}
}

/**
 * sim_jobs_run() - run a list of replays, @jobs at a time
 * @job: the replays, each made by sim_job_init()
 * @n: how many
 * @jobs: threads to run them on, at least 1; never more than @n
 * @refs: the string they replay
 * @nrefs: its length
 * @npages: its page ids are below this
 * @report: called for each job, in the list's order, in the calling
 *	thread, once it and every job before it have run
 * @arg: for @report
 *
 * A thread that cannot be started leaves its replays to the others;
 * with none started, the calling thread runs them all.
 *
 * Return: 0.
 */
int sim_jobs_run(struct sim_job *job, size_t n, unsigned int jobs,
		 const unsigned long *refs, size_t nrefs, unsigned long npages,
		 void (*report)(struct sim_job *j, size_t i, void *arg),
		 void *arg)
{
	struct sim_jobs js = {
		.job = job, .n = n, .refs = refs, .nrefs = nrefs,
		.npages = npages,
	};
	pthread_t *tid = NULL;
	unsigned int started = 0;

	if (jobs > n)
		jobs = n;
	if (jobs > 1)
		tid = calloc(jobs, sizeof(*tid));
	if (!tid) {
		for (size_t i = 0; i < n; i++) {
			sim_jobs_one(&js, &job[i]);
			report(&job[i], i, arg);
		}
		return 0;
	}
	pthread_mutex_init(&js.lock, NULL);
	pthread_cond_init(&js.done, NULL);
	for (unsigned int t = 0; t < jobs; t++)
		if (!pthread_create(&tid[started], NULL, sim_jobs_worker, &js))
			started++;
	if (!started)
		sim_jobs_worker(&js);
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&js.lock);
		while (!job[i].done)
			pthread_cond_wait(&js.done, &js.lock);
		pthread_mutex_unlock(&js.lock);
		report(&job[i], i, arg);
	}
	for (unsigned int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_cond_destroy(&js.done);
	pthread_mutex_destroy(&js.lock);
	free(tid);
	return 0;
}
