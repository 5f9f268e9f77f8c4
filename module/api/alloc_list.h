/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of allocators (alloc.h): the module's table, its build,
 * the simulator's and the documentation's checks read it. The first is
 * the default. No include guard: each reader defines SWAPLAB_ALLOCATOR().
 */
SWAPLAB_ALLOCATOR(equal)
SWAPLAB_ALLOCATOR(proportional)
SWAPLAB_ALLOCATOR(ws)
SWAPLAB_ALLOCATOR(pff)
