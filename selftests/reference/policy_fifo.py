# SPDX-License-Identifier: GPL-2.0
"""FIFO (Tanenbaum, Modern Operating Systems, 3.4.3): evict the page that
has been resident longest, whatever its use. module/policy/policy_fifo.c names
no departure."""

from collections import deque

DEPARTURES = {}
SIM_ARGS = []
# libCacheSim's FIFO (cache/eviction/FIFO.c): the book's.
LIBCACHESIM = {}


def faults(refs, frames, dep, knobs=None, tick=0):
    resident = set()
    queue = deque()		# oldest first
    n = 0
    for p in refs:
        if p in resident:
            continue
        n += 1
        if len(resident) >= frames:
            resident.discard(queue.popleft())
        queue.append(p)
        resident.add(p)
    return n
