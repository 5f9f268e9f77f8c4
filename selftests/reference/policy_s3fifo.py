# SPDX-License-Identifier: GPL-2.0
"""S3-FIFO (Yang, Zhang, Qiu, Yue and Vinayak, "FIFO queues are all you
need for cache eviction", SOSP 2023): a small FIFO S (small_pct, 10% of
memory), a main FIFO M and a ghost FIFO G of ids (ghost_pct, 90%). Every
resident object has a frequency, 0 to 3, raised by each hit. A new object
enters S, or M if its id is in G (looked up after the eviction that made
room for it). Eviction from S: the tail, if its frequency is more than 1,
moves to M; else it leaves and its id enters G. Eviction from M: the
tail, if its frequency is not 0, goes back to M's head with it lowered by
one; else it leaves, remembered nowhere.

Which queue: M when M holds more than its share (memory less S's) or S
is empty, else S, decided again after each object moved, as the authors'
code does and module/policy/policy_s3fifo.c says it follows (the paper's
pseudocode instead evicts from S while S holds 10% of memory or more;
the header does not list this as a departure, so no flag switches it).

Departures (module/policy/policy_s3fifo.c) that change the count of a string
replayed one eviction at a time, with no readahead:
  ref_bit       use is the reference bit: a hit sets it, and it is
                turned into one more count (up to 3) when the page is
                looked at at the tail of S or M, and at each aging tick
                if the knob tick_refs is 1; several hits in between
                count once.
  fault_ref     the faulting access sets the bit too, so a new page's
                bit is cleared at the next eviction (or tick, with
                tick_refs) before anything reads it: hits before then
                are lost. The paper starts it at 0 and counts them.
  s_to_m_one    S to M at a frequency of at least 1, not more than 1.
                The knob move_uses=2 switches it off.
  m_from_zero   a page moving from S to M starts at 0 there. The knob
                move_keeps=1 switches it off.
  ghost_keeps   a hit in G leaves the id there (taking its place in the
                FIFO); the paper takes it out.
  ghost_quanta  G is the ghost clock of the shadow records (1/64 of its
                size a quantum, 254 stamps, cut off by the refault
                distance: common.GhostClock), not an exact FIFO. Needs
                ghost_keeps.
s_to_m_one and m_from_zero have knobs that switch them off (SIM_KNOBS);
ref_bit and fault_ref come of the reference bit, ghost_keeps and
ghost_quanta of the shadow records.

libCacheSim's S3-FIFO departs from the paper in three ways (LIBCACHESIM,
modelled for memory of 20 pages or more: below, libCacheSim's S of one
object or none takes no new object, S3FIFO_insert):
  m_from_zero   as the module: an object moved from S to M is a new
                object in M, its count 0 (S3FIFO_evict_fifo inserts it
                into M and sets no count).
  ghost_first   G is looked in, and the id taken out, when the object
                is looked for (S3FIFO_find), before the eviction that
                makes room for it, which may push the id out of G.
  s_drains      an eviction that starts in S (M at most its share, S
                not empty: S3FIFO_evict) goes on in S, moving objects
                to M, until one leaves S or S is empty
                (S3FIFO_evict_fifo), whatever M's size meanwhile,
                where the order above decides again after each move.
libCacheSim counts past 3 and takes the least of the count and 3 at M's
tail (S3FIFO_evict_main), which decides nothing differently.
"""

from collections import OrderedDict

from common import GhostClock, SimClock

DEPARTURES = {
    "ref_bit": "use is a reference bit counted at the tails and ticks",
    "fault_ref": "hits before the next eviction or tick are lost",
    "s_to_m_one": "S to M at one use, not two",
    "m_from_zero": "a page moved to M starts at count 0",
    "ghost_keeps": "a hit in G leaves the id in",
    "ghost_quanta": "G is a clock of shadow stamps, exact to a quantum",
}
KNOBS = {"small_pct": 10, "ghost_pct": 90, "tick_refs": 1}
# `swaplab sim --knob` switching a departure off: the paper's threshold.
SIM_KNOBS = {"s_to_m_one": "move_uses=2", "m_from_zero": "move_keeps=1"}
# libCacheSim's S3FIFO (cache/eviction/S3FIFO.c) at its defaults
# (fifo-size-ratio=0.10, ghost-size-ratio=0.90, move-to-main-threshold=2:
# the paper's sizes and threshold, truncated as small_pct and ghost_pct
# are here).
LIBCACHESIM = {
    "m_from_zero": "an object moved to M starts at count 0, as the module's",
    "ghost_first": "G looked in, the id taken out, before the eviction",
    "s_drains": "an eviction begun in S goes on there till one leaves S",
}
# It ages at the simulator's ticks (tick.c's clock): --tick matters.
TICK = True
SIM_ARGS = []
FREQ_MAX = 3


def faults(refs, frames, dep, knobs=None, tick=0):
    k = dict(KNOBS, **(knobs or {}))
    small = max(frames * k["small_pct"] // 100, 1)
    main = frames - small if frames > small else 0
    gsize = frames * k["ghost_pct"] // 100
    ref_bit = dep.on("ref_bit")
    fault_ref = dep.on("fault_ref")
    thr = 1 if dep.on("s_to_m_one") else 2
    from_zero = dep.on("m_from_zero")
    keeps = dep.on("ghost_keeps")
    quanta = dep.on("ghost_quanta")
    if quanta and not keeps:
        raise ValueError("ghost_quanta needs ghost_keeps")
    first = dep.on("ghost_first")
    drains = dep.on("s_drains")
    if first and keeps:
        raise ValueError("ghost_first is libCacheSim's, ghost_keeps the "
                         "module's: not both")
    tick_refs = ref_bit and k["tick_refs"]

    S, M = OrderedDict(), OrderedDict()	# oldest first
    freq, bit = {}, {}
    fresh = []			# in since the last eviction or tick
    # G as in policy_2q.py: exact with hits taking ids out, else by the
    # place of each page's last id in the sequence entered.
    G = OrderedDict()
    entered = 0
    record = {}
    ghost = GhostClock()
    evictions = 0
    stamp = {}
    clock = SimClock(frames, tick)

    def in_g(x):
        if not keeps:
            return x in G
        r = record.get(x)
        if r is None:
            return False
        if quanta:
            return ghost.holds(gsize, r, evictions - stamp[x])
        return entered - r <= gsize

    def settle():
        # The fault's own reference is its insertion, not a use.
        for x in fresh:
            if x in bit:
                bit[x] = False
        fresh.clear()

    def look(x):
        if ref_bit and bit[x]:
            bit[x] = False
            freq[x] = min(freq[x] + 1, FREQ_MAX)

    def do_tick():
        if tick_refs:
            if fault_ref:
                settle()
            for x, b in bit.items():
                if b:
                    look(x)

    def evict():
        nonlocal entered, evictions
        if fault_ref:
            settle()
        stay = False		# s_drains: S's turn lasts till one leaves
        while True:
            if S and (stay or len(M) <= main or not M):
                x = next(iter(S))
                look(x)
                if freq[x] >= thr:
                    del S[x]
                    M[x] = True
                    if from_zero:
                        freq[x] = 0
                    stay = drains
                    continue
                del S[x]
                if keeps:
                    if not gsize:
                        record[x] = None
                    elif quanta:
                        record[x] = ghost.enter(gsize)
                    else:
                        entered += 1
                        record[x] = entered
                elif gsize:
                    G[x] = True
                    if len(G) > gsize:
                        G.popitem(last=False)
                break
            x = next(iter(M))
            look(x)
            if freq[x]:
                freq[x] -= 1
                M.move_to_end(x)
                continue
            del M[x]
            record[x] = None
            break
        del freq[x], bit[x]
        stamp[x] = evictions
        evictions += 1

    n = 0
    for t, x in enumerate(refs):
        if clock.due(t):
            do_tick()
        if x in freq:
            if ref_bit:
                bit[x] = True
            elif not (fault_ref and x in fresh):
                freq[x] = min(freq[x] + 1, FREQ_MAX)
            continue
        n += 1
        full = len(freq) >= frames
        if full and clock.reclaim_due():
            do_tick()
        if first:
            hot = in_g(x)
            if hot:
                del G[x]
        if full:
            evict()
        if not first:
            hot = in_g(x)
            if hot and not keeps:
                del G[x]
        (M if hot else S)[x] = True
        freq[x] = 0
        bit[x] = ref_bit and fault_ref
        if fault_ref:
            fresh.append(x)
        clock.admitted()
    return n
