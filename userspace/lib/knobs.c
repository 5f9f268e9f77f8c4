// SPDX-License-Identifier: GPL-2.0
/*
 * Saving swaplab's knobs and putting them back. The restore runs on every
 * way out of `swaplab run` and `swaplab compare`; it uses nothing but
 * async-signal-safe calls on buffers filled at save time, so that a
 * signal handler may call it too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/knobs.h"
#include "lib/sysfs.h"

/**
 * struct saved_knob - a knob's value before the command, and its path
 * @path: the knob's file, made at save time
 * @val: its value, without the newline; empty if it was not saved
 */
struct saved_knob {
	char path[64];
	char val[32];
};

static struct {
	struct saved_knob frames, low, high, policy, region_max;
	struct saved_knob allocation, allocator, load_control, swappiness;
} saved;

/*
 * Set by SIGINT, SIGTERM or SIGHUP: stop after this run and restore.
 * Atomic builtins, so that the handler's store is seen by the loop.
 */
static int stopping;

static void save(struct saved_knob *k, const char *name)
{
	snprintf(k->path, sizeof(k->path), "%s/%s", SWAPLAB_SYSFS, name);
	knob_read(name, k->val, sizeof(k->val));
}

void knobs_save(void)
{
	if (access(SWAPLAB_SYSFS, F_OK))
		return;
	save(&saved.frames, "frames");
	save(&saved.policy, "policy");
	save(&saved.low, "watermark_low");
	save(&saved.high, "watermark_high");
	save(&saved.region_max, "region_max");
	save(&saved.allocation, "allocation");
	save(&saved.allocator, "allocator");
	save(&saved.load_control, "load_control");
	save(&saved.swappiness, "swappiness");
}

static int set_knob(const char *name, const char *val)
{
	int err = knob_write(name, val);

	if (err)
		fprintf(stderr, "swaplab: %s=%s: %s\n", name, val,
			strerror(-err));
	return err;
}

int knobs_set(uint64_t frames, const char *policy, uint64_t region_max)
{
	char f[32], r[32];

	snprintf(f, sizeof(f), "%" PRIu64, frames);
	snprintf(r, sizeof(r), "%" PRIu64, region_max);
	if ((frames && set_knob("frames", f)) ||
	    (policy && set_knob("policy", policy)) ||
	    (region_max && set_knob("region_max", r)))
		return -1;
	return 0;
}

/* write_file() is open(), write(), close() and strlen(): signal-safe. */
static int put_back(const struct saved_knob *k)
{
	return write_file(k->path, k->val);
}

void knobs_restore(void)
{
	int err = errno;

	/* frames first: writing it resets the watermarks. */
	if (saved.frames.val[0])
		put_back(&saved.frames);
	/* Low first, unless it would not fit under the current high. */
	if (saved.high.val[0] && put_back(&saved.low)) {
		put_back(&saved.high);
		put_back(&saved.low);
	} else if (saved.high.val[0]) {
		put_back(&saved.high);
	}
	/*
	 * The policy and the allocation mode as they were together: global
	 * first if it was global (a policy that cannot be local may have
	 * been current), local last.
	 */
	if (!strcmp(saved.allocation.val, "global"))
		put_back(&saved.allocation);
	if (saved.policy.val[0])
		put_back(&saved.policy);
	if (!strcmp(saved.allocation.val, "local"))
		put_back(&saved.allocation);
	if (saved.allocator.val[0])
		put_back(&saved.allocator);
	if (saved.load_control.val[0])
		put_back(&saved.load_control);
	if (saved.swappiness.val[0])
		put_back(&saved.swappiness);
	if (saved.region_max.val[0])
		put_back(&saved.region_max);
	errno = err;
}

static void on_signal(int sig)
{
	__atomic_store_n(&stopping, sig, __ATOMIC_RELAXED);
}

void knobs_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int knobs_stop_signal(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_RELAXED);
}
