/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `swaplab run`: an unmodified command with its large allocations served
 * by /dev/swaplab through libswaplab-preload.so.
 */
#ifndef SWAPLAB_RUN_H
#define SWAPLAB_RUN_H

int cmd_run(int argc, char **argv);

#endif /* SWAPLAB_RUN_H */
