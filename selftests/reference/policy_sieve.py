# SPDX-License-Identifier: GPL-2.0
"""SIEVE (Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is Simpler than
LRU", NSDI 2024): one queue, new objects in at the head, unvisited; a
hit sets the object's visited bit and moves nothing. To evict, the hand
(starting at the tail the first time) moves towards the head, clearing
the visited bits it passes, and evicts the first unvisited object; it
then rests on that object's neighbour towards the head, or, past the
head, starts again at the tail.

Departure (module/policy/policy_sieve.c) that changes the count of a string
replayed one eviction at a time, with no readahead:
  fault_ref  the visited bit is the reference bit, which the faulting
             access sets: a new page enters with it set and the next
             eviction clears it before the hand moves, so every hit
             between a page's fault and the next eviction is lost (and
             every hit before memory first fills).
"""

DEPARTURES = {
    "fault_ref": "hits between a page's fault and the next eviction are lost",
}
SIM_ARGS = []
# libCacheSim's Sieve (cache/eviction/Sieve.c): the paper's, a new object
# unvisited (Sieve_insert), a hit setting it visited (Sieve_find).
LIBCACHESIM = {}


def faults(refs, frames, dep, knobs=None, tick=0):
    fault_ref = dep.on("fault_ref")
    # The queue as links: toward the head (newer) and toward the tail.
    newer, older = {}, {}
    head = tail = None
    hand = None			# None: start at the tail
    visited = {}
    fresh = []			# in since the last eviction
    n = 0
    for p in refs:
        if p in visited:
            visited[p] = True
            continue
        n += 1
        if len(visited) >= frames:
            if fault_ref:
                for x in fresh:
                    if x in visited:
                        visited[x] = False
                fresh = []
            x = hand if hand is not None else tail
            while visited[x]:
                visited[x] = False
                x = newer[x] if newer[x] is not None else tail
            hand = newer[x]
            o, w = older[x], newer[x]
            if o is not None:
                newer[o] = w
            else:
                tail = w
            if w is not None:
                older[w] = o
            else:
                head = o
            del visited[x], newer[x], older[x]
        visited[p] = False
        newer[p], older[p] = None, head
        if head is not None:
            newer[head] = p
        else:
            tail = p
        head = p
        fresh.append(p)
    return n
