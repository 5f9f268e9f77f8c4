# SPDX-License-Identifier: GPL-2.0
"""2Q, the full version (Johnson and Shasha, "2Q: A Low Overhead High
Performance Buffer Management Replacement Algorithm", VLDB 1994, Fig. 2):

  on a reference to X:
    X in Am:     move X to the head of Am
    X in A1in:   nothing (correlated references)
    X in A1out:  reclaimfor(X); put X at the head of Am
    otherwise:   reclaimfor(X); put X at the head of A1in
  reclaimfor(X), memory full:
    |A1in| > Kin: page out the tail of A1in, its id to the head of A1out,
                  dropping A1out's tail past Kout ids
    otherwise:    page out the tail of Am, remembered nowhere

Kin is kin_pct (25) of the frames, at least one; Kout kout_pct (50). A1in
is taken from, whatever its size, when Am is empty.

Departures (module/policy/policy_2q.c) that change the count of a string
replayed one eviction at a time, with no readahead:
  am_clock        Am is CLOCK over the reference bits, not LRU: a page
                  enters it just behind the hand, referenced by its fault;
                  a hit sets its bit.
  a1out_late      A1out is looked in after the reclaim that makes room
                  for X, whose victim from A1in may push X's id out;
                  the paper decides before.
  a1out_keeps     a hit in A1out leaves the id there (still taking its
                  place in the FIFO); the paper takes it out.
  a1out_quanta    A1out is the ghost clock of the shadow records (1/64
                  of Kout a quantum, 254 stamps, cut off by the refault
                  distance: common.GhostClock), not an exact FIFO.
                  Needs a1out_keeps.
"""

from collections import OrderedDict

from common import GhostClock
from ring import Ring

DEPARTURES = {
    "am_clock": "Am is CLOCK over reference bits, not LRU",
    "a1out_late": "A1out looked in after the reclaim, not before",
    "a1out_keeps": "a hit in A1out leaves the id in",
    "a1out_quanta": "A1out is a clock of shadow stamps, exact to a quantum",
}
KNOBS = {"kin_pct": 25, "kout_pct": 50}
SIM_ARGS = []
# libCacheSim's TwoQ (cache/eviction/TwoQ.c) is the paper's full version:
# A1out looked in, and a hit taking the id out, before the reclaim
# (TwoQ_find), Kin and Kout its Ain-size-ratio 0.25 and Aout-size-ratio
# 0.5 of the cache, truncated; Am an LRU bounded at c - Kin (TwoQ_insert
# through Am's own get), a bound the paper's order never passes with
# pages of one size (Am grows only at a reclaim from A1in over Kin).
LIBCACHESIM = {}


def faults(refs, frames, dep, knobs=None, tick=0):
    k = dict(KNOBS, **(knobs or {}))
    kin = max(frames * k["kin_pct"] // 100, 1)
    kout = frames * k["kout_pct"] // 100
    am_clock = dep.on("am_clock")
    late = dep.on("a1out_late")
    keeps = dep.on("a1out_keeps")
    quanta = dep.on("a1out_quanta")
    if quanta and not keeps:
        raise ValueError("a1out_quanta needs a1out_keeps")

    a1in = OrderedDict()	# oldest first
    am = Ring() if am_clock else OrderedDict()	# LRU: oldest first
    ref = {}			# reference bits of Am's pages (am_clock)
    # A1out: exact, an OrderedDict of ids (oldest first) when a hit takes
    # the id out; else each page's place in the sequence of ids entered
    # (or its ghost clock stamp), its last eviction's, None from Am.
    a1out = OrderedDict()
    entered = 0
    record = {}
    ghost = GhostClock()
    evictions = 0
    stamp = {}			# page -> eviction number when it left

    def in_a1out(x):
        if not keeps:
            return x in a1out
        r = record.get(x)
        if r is None:
            return False
        if quanta:
            return ghost.holds(kout, r, evictions - stamp[x])
        return entered - r <= kout

    def reclaim():
        nonlocal entered, evictions
        if a1in and (len(a1in) > kin or not am):
            y, _ = a1in.popitem(last=False)
            if keeps:
                if kout:
                    if quanta:
                        record[y] = ghost.enter(kout)
                    else:
                        entered += 1
                        record[y] = entered
                else:
                    record[y] = None
            elif kout:
                a1out[y] = True
                if len(a1out) > kout:
                    a1out.popitem(last=False)
        elif am_clock:
            y = am.sweep(ref)
            am.remove(y)
            del ref[y]
            record[y] = None
        else:
            y, _ = am.popitem(last=False)
            record[y] = None
        stamp[y] = evictions
        evictions += 1

    n = 0
    for x in refs:
        if x in a1in:
            continue
        if x in am:
            if am_clock:
                ref[x] = True
            else:
                am.move_to_end(x)
            continue
        n += 1
        full = len(a1in) + len(am) >= frames
        hot = None if late else in_a1out(x)
        if hot and not keeps:
            del a1out[x]
        if full:
            reclaim()
        if hot is None:
            hot = in_a1out(x)
            if hot and not keeps:
                del a1out[x]
        if hot:
            if am_clock:
                am.add_behind_hand(x)
                ref[x] = True
            else:
                am[x] = True
        else:
            a1in[x] = True
    return n
