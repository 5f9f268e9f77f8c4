# SPDX-License-Identifier: GPL-2.0
"""Clock, or second chance (Tanenbaum, Modern Operating Systems, 3.4.5):
the frames form a circle with a hand. On a fault with every frame full
the hand looks at the page it points to: referenced, its bit is cleared
and the hand moves on; not, it is evicted, the new page takes its frame
and the hand moves one past it. Every reference sets the page's bit.

Departure (module/policy/policy_clock.c):
  fault_ref  the fault that brings a page in sets its reference bit (the
             faulting access restarts), where the book loads it with the
             bit clear. `swaplab sim --no-fault-bit` switches it off
             (the simulator's machine, not the policy): the book's
             clock.
"""

DEPARTURES = {
    "fault_ref": "a page faulted in starts referenced, not clear",
}
SIM_ARGS = []
SIM_KNOBS = {"fault_ref": "--no-fault-bit"}
# libCacheSim's Clock (cache/eviction/Clock.c, one-bit counter): the
# book's, a new page inserted unreferenced (Clock_insert), the hand the
# tail of a list that a referenced page leaves for the head
# (Clock_evict).
LIBCACHESIM = {}


def faults(refs, frames, dep, knobs=None, tick=0):
    fault_ref = dep.on("fault_ref")
    slot = []			# the circle of frames: page in each
    where = {}			# resident page -> its slot
    ref = []			# reference bit of each slot
    hand = 0
    n = 0
    for p in refs:
        i = where.get(p)
        if i is not None:
            ref[i] = True
            continue
        n += 1
        if len(slot) < frames:
            where[p] = len(slot)
            slot.append(p)
            ref.append(fault_ref)
            continue
        while ref[hand]:
            ref[hand] = False
            hand = (hand + 1) % frames
        del where[slot[hand]]
        slot[hand] = p
        where[p] = hand
        ref[hand] = fault_ref
        hand = (hand + 1) % frames
    return n
