# SPDX-License-Identifier: GPL-2.0
"""Exact LRU: evict the page whose last use is the oldest. The
simulator's own (userspace/sim/sim.c), driven by every reference; no
departure."""

from collections import OrderedDict

DEPARTURES = {}
SIM_ARGS = []
# libCacheSim's LRU (cache/eviction/LRU.c): the same.
LIBCACHESIM = {}


def faults(refs, frames, dep, knobs=None, tick=0):
    stack = OrderedDict()	# least recently used first
    n = 0
    for p in refs:
        if p in stack:
            stack.move_to_end(p)
            continue
        n += 1
        if len(stack) >= frames:
            stack.popitem(last=False)
        stack[p] = True
    return n
