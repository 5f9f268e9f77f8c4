# SPDX-License-Identifier: GPL-2.0
"""ARC (Megiddo and Modha, "ARC: A Self-Tuning, Low Overhead Replacement
Cache", FAST 2003, Fig. 4): T1 holds pages seen once since they came
in, T2 pages seen again, each LRU; B1 and B2 the ids last evicted from
each. A hit in B1 raises the target p of T1 by max(1, |B2|/|B1|), one in
B2 lowers it by max(1, |B1|/|B2|); REPLACE evicts T1's LRU page into B1
if T1 is over p (or at p, for a hit in B2), else T2's into B2. A new
page with |T1| + |B1| = c drops B1's LRU id and replaces, or, with B1
empty, evicts T1's LRU page outright; else, with the directory at 2c,
it drops B2's LRU id; then it replaces if memory is full.

The simulator's own (userspace/sim/sim_arc.c), driven by every reference;
no departure: p is a real number, as the paper's adaptation is a ratio.
REPLACE takes from T1 when T2 is empty, whatever p (the figure leaves
that case, which must evict something, unsaid).
"""

from collections import OrderedDict

DEPARTURES = {}
SIM_ARGS = []
# libCacheSim's ARC (cache/eviction/ARC.c): the paper's, as here.
LIBCACHESIM = {}


def faults(refs, frames, dep, knobs=None, tick=0):
    c = frames
    T1, T2, B1, B2 = (OrderedDict() for _ in range(4))	# LRU first
    p = 0.0
    n = 0

    def replace(in_b2):
        if T1 and ((in_b2 and len(T1) == p) or len(T1) > p) or not T2:
            y, _ = T1.popitem(last=False)
            B1[y] = True
        else:
            y, _ = T2.popitem(last=False)
            B2[y] = True

    for x in refs:
        if x in T1:
            del T1[x]
            T2[x] = True
            continue
        if x in T2:
            T2.move_to_end(x)
            continue
        n += 1
        if x in B1:
            delta = 1 if len(B1) >= len(B2) else len(B2) / len(B1)
            p = min(p + delta, c)
            replace(False)
            del B1[x]
            T2[x] = True
            continue
        if x in B2:
            delta = 1 if len(B2) >= len(B1) else len(B1) / len(B2)
            p = max(p - delta, 0)
            replace(True)
            del B2[x]
            T2[x] = True
            continue
        if len(T1) + len(B1) == c:
            if len(T1) < c:
                B1.popitem(last=False)
                replace(False)
            else:
                T1.popitem(last=False)
        else:
            total = len(T1) + len(T2) + len(B1) + len(B2)
            if total >= c:
                if total == 2 * c:
                    B2.popitem(last=False)
                replace(False)
        T1[x] = True
    return n
