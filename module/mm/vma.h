/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vm_operations of a /dev/swaplab mapping (vma.c).
 */
#ifndef _SWAPLAB_VMA_H
#define _SWAPLAB_VMA_H

extern const struct vm_operations_struct swaplab_vma_ops;

#endif /* _SWAPLAB_VMA_H */
