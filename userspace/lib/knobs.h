/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Saving swaplab's knobs before a command changes them, and putting them
 * back on every way out, also after SIGINT, SIGTERM or SIGHUP; shared by
 * `swaplab run` and `swaplab compare`.
 */
#ifndef SWAPLAB_KNOBS_H
#define SWAPLAB_KNOBS_H

#include <stdint.h>

/*
 * Save frames, the watermarks, the policy and region_max (nothing if the
 * module is not loaded), with the paths knobs_restore() writes them to.
 */
void knobs_save(void);
/*
 * Set frames (0: leave it), the policy (NULL: leave it) and region_max
 * (0: leave it); 0, or -1 with a message.
 */
int knobs_set(uint64_t frames, const char *policy, uint64_t region_max);
/*
 * Put back what knobs_save() saved. Async-signal-safe: only open(),
 * write(), close() and strlen() on what was prepared at save time, and
 * errno preserved; so it may be called from a signal handler.
 */
void knobs_restore(void);
/* SIGINT, SIGTERM and SIGHUP set a flag instead of killing: restore. */
void knobs_catch_signals(void);
/* The signal caught, or 0. */
int knobs_stop_signal(void);

#endif /* SWAPLAB_KNOBS_H */
