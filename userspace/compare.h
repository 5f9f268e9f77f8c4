/* SPDX-License-Identifier: GPL-2.0 */
/* `swaplab compare`: one reference string on swaplab and the stock kernel. */
#ifndef SWAPLAB_COMPARE_H
#define SWAPLAB_COMPARE_H

int cmd_compare(int argc, char **argv);

/*
 * What compare (and `swaplab run`) change on the machine is put back by
 * one function, on every way out: save swaplab's knobs (frames, the
 * watermarks, policy, region_max) before changing them, restore them
 * and whatever else was changed (lru_gen, the cgroup, the swap file).
 */
void compare_save_knobs(void);
void compare_restore(void);
/* SIGINT, SIGTERM and SIGHUP set a flag instead of killing: restore. */
void compare_catch_signals(void);
/* The signal caught, or 0. */
int compare_stop_signal(void);

#endif /* SWAPLAB_COMPARE_H */
