# SPDX-License-Identifier: GPL-2.0
"""What every reference model shares: the string, the departures and the
simulator's clock.

Each policy_NAME.py is a replacement policy written from its paper, in
plain Python, sharing no code with module/ or userspace/. It names the
departures from the paper that the header of module/policy/policy_NAME.c lists
(DEPARTURES, each with one line saying what it changes), and its
faults() computes the fault count with any subset of them on: none is the
paper's order, all of them the module's. SIM_ARGS are the options of
`swaplab sim` under which the simulator's run is the module's order and
nothing else (no readahead, no page buffering, one eviction at a time);
the check compares the count with all departures on against that run.
SIM_KNOBS maps each departure that the simulator can switch off to how:
"NAME=VALUE" is a policy knob (`--knob`), "--OPTION" a simulator
option; with them all, the simulator must give the model's count with
those departures off, which is the paper's order when every departure
is switched off.

Another simulator's order: LIBCACHESIM, where the model has it, maps
each way in which libCacheSim's implementation of the policy departs
from the paper (a flag) to one line saying what it changes, each read
from libCacheSim's source (the model cites the file and function) and
written here, none of its code copied; run.py --reference libcachesim
switches them all on, with none of the module's departures. A flag may
bear the name of one of the module's departures where libCacheSim
departs in the same way; the others are not departures of the module,
and --departures never names them. An empty table: libCacheSim runs
the paper's order. faults() asks for a flag with dep.on() as for a
departure.

A fault is every miss, first touches included, as `swaplab sim` counts.
"""

import sys


def read_trace(path):
    """The reference string of a `swaplab sim` pages file: numbers
    separated by white space, '#' starting a comment; P:PAGE is page PAGE
    of process P, and only process 0 is taken (one process). '-' is
    stdin."""
    f = sys.stdin if path == "-" else open(path, encoding="ascii")
    refs = []
    with f:
        for line in f:
            line = line.split("#", 1)[0]
            for word in line.split():
                proc, sep, page = word.partition(":")
                if sep:
                    if int(proc, 0) != 0:
                        raise ValueError("%s: process %s: one process only"
                                         % (path, proc))
                    word = page
                refs.append(int(word, 0))
    return refs


class Departures:
    """The departures switched on for one run. `on(NAME)` is true when
    NAME is; asking for a name the policy does not declare is an error,
    so a misspelt flag cannot silently mean "paper"."""

    def __init__(self, declared, chosen):
        unknown = set(chosen) - set(declared)
        if unknown:
            raise ValueError("unknown departure(s): %s (known: %s)" %
                             (", ".join(sorted(unknown)),
                              ", ".join(declared) or "none"))
        self.declared = declared
        self.chosen = frozenset(chosen)

    def on(self, name):
        if name not in self.declared:
            raise KeyError("departure %s is not declared" % name)
        return name in self.chosen


class SimClock:
    """The simulator's aging clock, which is the module's (tick.c): a tick
    before every TICK-th reference (not the first), and, at a fault that
    finds memory full, one more if max(FRAMES / 8, 32) pages have been
    faulted in since the last tick (reclaim's own tick). Only policies
    that have a tick() see it; the others ignore the clock.

    Use: due(t) before reference t; if it says so, the policy ticks.
    At a fault with memory full: reclaim_due() before evicting; then
    admitted() once the page is in."""

    def __init__(self, frames, tick):
        self.tick = tick if tick else frames
        self.fault_tick = max(frames // 8, 32)
        self.count = 0

    def due(self, t):
        if t and t % self.tick == 0:
            self.count = 0
            return True
        return False

    def reclaim_due(self):
        if self.count >= self.fault_tick:
            self.count = 0
            return True
        return False

    def admitted(self):
        self.count += 1


class GhostClock:
    """A ghost queue of a bounded number of ids kept, as the module keeps
    it, in each evicted page's shadow record (policy.h, "A ghost queue
    kept as a clock over records"): an id entering is stamped with the
    quantum of the queue's insertion clock (1/64 of its capacity, at
    least one id), modulo 254; at the refault the age of the stamp says,
    to one quantum, whether at most capacity ids entered since, as long
    as the refault distance (evictions since the page left) rules out a
    wrap of the stamps."""

    QUANTA = 64
    STAMPS = 254

    def __init__(self):
        self.quanta = 0
        self.fill = 0

    @classmethod
    def quantum(cls, size):
        nq = min(size, cls.QUANTA)
        return (size + nq - 1) // nq if nq else 1

    def enter(self, size):
        record = 1 + self.quanta % self.STAMPS
        self.fill += 1
        if self.fill >= self.quantum(size):
            self.fill = 0
            self.quanta += 1
        return record

    def holds(self, size, record, distance):
        q = self.quantum(size)
        if not record or record > self.STAMPS or not size:
            return False
        if distance // q >= self.STAMPS - 1:
            return False
        age = (self.quanta + self.STAMPS - (record - 1)) % self.STAMPS
        return age * q <= size


def next_uses(refs):
    """For each reference, the index of the next reference to the same
    page (len(refs) if none)."""
    nxt = [0] * len(refs)
    last = {}
    for t in range(len(refs) - 1, -1, -1):
        nxt[t] = last.get(refs[t], len(refs))
        last[refs[t]] = t
    return nxt
