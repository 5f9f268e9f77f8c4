# SPDX-License-Identifier: GPL-2.0
"""Aging, NFU with aging (Tanenbaum, Modern Operating Systems, 3.4.7):
every page has an 8-bit counter and a reference bit, set by every
reference, the fault's included. At every clock tick each counter is
shifted right one bit and the page's reference bit is put in at the
leftmost, then cleared. The page with the smallest counter is evicted;
a new page starts at zero. Ties go to the page longest at its counter
value, the counters' order at a tick being the order of the old
counters (then of that order), as the module's buckets keep them.
Ticks are the simulator's (common.SimClock).

Departure (module/policy/policy_aging.c):
  fault_top  a page faulted in starts with its counter's top bit set,
             as if the fault's reference had been shifted in at the last
             tick, and that reference is consumed; the book starts it at
             zero, to take the fault's reference at the next tick. (The
             faulting access restarts once the page is in and sets the bit
             again, as the simulator says, so the next tick counts it
             too.)

The knob fault_top=0 of `swaplab sim` switches fault_top off
(SIM_KNOBS): the module's page then starts at zero, its bit set.
"""

from collections import OrderedDict

from common import SimClock

DEPARTURES = {
    "fault_top": "a new page starts with its counter's top bit set",
}
KNOBS = {"bits": 8}
# The simulator's knob that switches each departure off.
SIM_KNOBS = {"fault_top": "fault_top=0"}
TICK = True
SIM_ARGS = []


def faults(refs, frames, dep, knobs=None, tick=0):
    k = dict(KNOBS, **(knobs or {}))
    top = 1 << (k["bits"] - 1)
    mask = (top << 1) - 1
    fault_top = dep.on("fault_top")
    bucket = [OrderedDict() for _ in range(mask + 1)]	# oldest first
    counter, bit = {}, {}
    clock = SimClock(frames, tick)

    def do_tick():
        nxt = [[] for _ in range(mask + 1)]
        for b in bucket:
            for x in b:
                c = (counter[x] & mask) >> 1
                if bit[x]:
                    c |= top
                    bit[x] = False
                counter[x] = c
                nxt[c].append(x)
            b.clear()
        for c, xs in enumerate(nxt):
            for x in xs:
                bucket[c][x] = True

    n = 0
    for t, x in enumerate(refs):
        if clock.due(t):
            do_tick()
        if x in counter:
            bit[x] = True
            continue
        n += 1
        full = len(counter) >= frames
        if full and clock.reclaim_due():
            do_tick()
        if full:
            for b in bucket:
                if b:
                    y, _ = b.popitem(last=False)
                    del counter[y], bit[y]
                    break
        counter[x] = top if fault_top else 0
        bit[x] = True
        bucket[counter[x]][x] = True
        clock.admitted()
    return n
