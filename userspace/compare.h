/* SPDX-License-Identifier: GPL-2.0 */
/* `swaplab compare`: one reference string on swaplab and the stock kernel. */
#ifndef SWAPLAB_COMPARE_H
#define SWAPLAB_COMPARE_H

int cmd_compare(int argc, char **argv);

#endif /* SWAPLAB_COMPARE_H */
