# SPDX-License-Identifier: GPL-2.0
"""Random replacement: on a fault with every frame full, the victim is a
resident page chosen uniformly at random, each with probability
1/frames, whatever its past (Belady, "A study of replacement algorithms
for a virtual-storage computer", IBM Systems Journal 5(2), 1966, RAND).

Its count on a string is a random variable, so the simulator is checked
against its distribution, not one count (random_check.py):
distribution() gives it exactly, over the sets of resident pages;
faults() draws one count, for a Monte-Carlo estimate where the sets are
too many. module/policy/policy_random.c's header names no departure.
"""

import random

DEPARTURES = {}
SIM_ARGS = []


def distribution(refs, frames):
    """The exact distribution of the fault count: {count: probability}.
    A Markov chain over (resident set, faults so far); a miss with the
    set full leads to each of its frames-1-subsets plus the page, each
    with probability 1/frames."""
    now = {(frozenset(), 0): 1.0}
    for x in refs:
        nxt = {}
        for (res, n), pr in now.items():
            if x in res:
                nxt[(res, n)] = nxt.get((res, n), 0.0) + pr
            elif len(res) < frames:
                k = (res | {x}, n + 1)
                nxt[k] = nxt.get(k, 0.0) + pr
            else:
                share = pr / len(res)
                for y in res:
                    k = ((res - {y}) | {x}, n + 1)
                    nxt[k] = nxt.get(k, 0.0) + share
        now = nxt
    dist = {}
    for (_, n), pr in now.items():
        dist[n] = dist.get(n, 0.0) + pr
    return dist


def faults(refs, frames, dep=None, knobs=None, tick=0, rng=None):
    """One draw of the fault count, with rng (a random.Random)."""
    rng = rng or random.Random(1)
    res = []
    where = {}
    n = 0
    for x in refs:
        if x in where:
            continue
        n += 1
        if len(res) >= frames:
            i = rng.randrange(len(res))
            del where[res[i]]
            res[i] = x
        else:
            res.append(x)
        where[x] = True
    return n
