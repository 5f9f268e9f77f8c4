# SPDX-License-Identifier: GPL-2.0
"""Belady's MIN (L. A. Belady, "A study of replacement algorithms for a
virtual-storage computer", IBM Systems Journal 5(2), 1966): evict the
page whose next use is furthest away, or that is not used again. Ties
between pages never used again do not change the count. The simulator's
own; no departure."""

import heapq

from common import next_uses

DEPARTURES = {}
SIM_ARGS = []


def faults(refs, frames, dep, knobs=None, tick=0):
    nxt = next_uses(refs)
    when = {}			# resident page -> its next use
    heap = []			# (-next use, page), stale entries skipped
    n = 0
    for t, p in enumerate(refs):
        if p not in when:
            n += 1
            if len(when) >= frames:
                while True:
                    u, v = heapq.heappop(heap)
                    if when.get(v) == -u:
                        del when[v]
                        break
        when[p] = nxt[t]
        heapq.heappush(heap, (-nxt[t], p))
    return n
