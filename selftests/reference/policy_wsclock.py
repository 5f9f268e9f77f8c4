# SPDX-License-Identifier: GPL-2.0
"""WSClock (Carr and Hennessy, "WSCLOCK: A Simple and Effective Algorithm
for Virtual Memory Management", SOSP 1981; Tanenbaum, Modern Operating
Systems, 3.4.9): the frames form a circle with a hand, each frame
holding its page's time of last use, in the process's virtual time. A
page faulted in takes the victim's frame, its time of last use the
fault's, its reference bit set by the faulting access; the hand moves
one past it. On a fault with memory full the hand looks at the page it
points to: referenced, its bit is cleared, its time set to now, and the
hand moves on; not referenced and older than tau (now - last use >
tau), it is the victim (were it dirty, its write would be scheduled and
the hand would move on: the simulator's pages are all clean); else the
hand moves on. When a whole lap finds no victim, every page being in
the working set, any clean page is claimed: the one at the hand, where
the lap began.

Time counts references here, as `swaplab sim` counts it (the knob
tau_ms is tau in references; default 1000). One process: its virtual
time is the simulator's time, so the header's wall-clock departure does
not change a count, nor does the core's writing of dirty victims.

Departures (module/policy/policy_wsclock.c) that change the count of a string
replayed one eviction at a time, with no readahead:
  oldest_fallback  a lap that finds no page older than tau evicts the
                   oldest page seen unreferenced in it (least time of
                   last use, the first seen of equals), not the page at
                   the hand; with none seen, the page at the hand.
  lap_rescan       the ring has a start (where a page faulted in with
                   the hand there goes: the end); the hand reaching it
                   ends the search's lap, and the search starts over
                   there, with a new lap and no oldest page seen, up to
                   four times an eviction (the core's reference bit
                   refreshes, free in the simulator); after that the
                   lap goes on past the start.

Knobs of `swaplab sim` switch both off (SIM_KNOBS): lap_oldest=0
oldest_fallback, lap_restart=0 lap_rescan (the hand still asks for the
bits afresh at the ring's start, free in the simulator, but goes on
with its lap); both at 0 give the paper's order.
"""

DEPARTURES = {
    "oldest_fallback": "a lap with no page older than tau evicts the oldest seen",
    "lap_rescan": "the hand at the ring's start begins the lap again (4 times)",
}
KNOBS = {"tau_ms": 1000}
# The simulator's knob that switches each departure off.
SIM_KNOBS = {
    "oldest_fallback": "lap_oldest=0",
    "lap_rescan": "lap_restart=0",
}
SIM_ARGS = []
RESCANS = 4


def faults(refs, frames, dep, knobs=None, tick=0):
    k = dict(KNOBS, **(knobs or {}))
    tau = k["tau_ms"]
    oldest_on = dep.on("oldest_fallback")
    rescan_on = dep.on("lap_rescan")

    ring = []			# pages in the order the hand meets them
    hand = 0			# index in ring; len(ring): at the start
    last = {}			# page -> time of last use
    ref = {}			# page -> reference bit

    def victim(now):
        nonlocal hand
        rescans = RESCANS if rescan_on else 0
        while True:
            oldest = None
            restart = False
            for _ in range(len(ring)):
                if hand == len(ring):
                    hand = 0
                    if rescans:
                        rescans -= 1
                        restart = True
                        break
                y = ring[hand]
                if ref[y]:
                    ref[y] = False
                    last[y] = now
                else:
                    if now - last[y] > tau:
                        return hand
                    if oldest is None or last[y] < last[ring[oldest]]:
                        oldest = hand
                hand += 1
                if not rescan_on:
                    hand %= len(ring)
            if restart:
                continue
            if oldest_on and oldest is not None:
                return oldest
            if hand == len(ring):
                hand = 0
            return hand

    n = 0
    for now, x in enumerate(refs):
        if x in ref:
            ref[x] = True
            continue
        n += 1
        if len(ring) >= frames:
            i = victim(now)
            y = ring.pop(i)
            del ref[y], last[y]
            if i < hand:
                hand -= 1
        ring.insert(hand, x)
        hand += 1
        last[x] = now
        ref[x] = True
    return n
