/* SPDX-License-Identifier: GPL-2.0 */
/* `swaplab micro`: microbenchmarks of single mechanisms, against stock. */
#ifndef SWAPLAB_MICRO_H
#define SWAPLAB_MICRO_H

int cmd_micro(int argc, char **argv);

#endif /* SWAPLAB_MICRO_H */
