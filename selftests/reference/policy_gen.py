# SPDX-License-Identifier: GPL-2.0
"""Generations in the manner of Linux's multi-gen LRU (MGLRU, Linux 6.1,
Documentation/mm/multigen_lru.rst), balanced by ARC's adaptive target
(Megiddo and Modha, FAST 2003), by the rules module/policy/policy_gen.c's header
states; there is no one paper to follow.

Two types, ARC's lists: probation (used once since it came in) and
protected (used again while resident, or refaulted soon after its
eviction). Generations are numbered: max_seq the youngest, shared; each
type has its own oldest, min_seq, and at most nr_gens (4) generations;
each generation is a FIFO, its head first to go. A reference sets the
page's bit; the fault's does too.

  aging (at a tick, only when some type has fewer than nr_gens
         generations): each type's oldest generation is merged into the
         next, in front of its frames, while the type has nr_gens; then
         max_seq grows by one, and every frame of an older generation
         (each type, oldest generation first, head first) whose bit is
         set has it cleared and is "found referenced";
  found referenced: a probation frame not yet seen is marked seen (its
         fault's bit), and, when eviction found it, goes to probation's
         next generation (after its oldest); any other goes to the
         youngest protected generation;
  eviction: the type is ARC's: probation while it holds more than the
         target p (protected if probation is empty, probation if
         protected is), its oldest generation's head; an empty oldest
         generation makes min_seq advance (a look); a referenced head is
         found referenced; an unreferenced one whose tier is protected
         (below) moves to its type's next generation, within the first
         (frames resident) looks of an eviction; else it goes.
  a fault: a new page, or a refault from far (refault distance, the
         evictions since it left, at least close_pct% of the frames),
         to the youngest probation generation, unseen; from far, its
         tier back to 0 if its type's min_seq has moved nr_gens or more
         (mod 16) since it left, else kept. A close refault (a ghost
         hit): p grows by max(1, (E1+1)/(E0+1)) (at most the frames) if
         it left probation, shrinks by max(1, (E0+1)/(E1+1)) (at least 0)
         if protected, rounded down, E0 and E1 the evictions from each;
         its tier's refaults count one and its tier rises (at most 3);
         it goes to the youngest protected generation, seen.
  tiers: tier t > 0 is protected when
         R_t (E_0 + P_0 + 1) > 2 (R_0 + 1)(E_t + P_t + 1),
         R refaults, E evictions and P protections of each tier.
  every frames evictions E0, E1 and the tiers' counts are halved.

Ticks are the simulator's (common.SimClock).

Departures (module/policy/policy_gen.c) that a switch turns off:
  p_half   p starts at half the frames (ARC: 0); more exactly at
           p_init_pct% of them, rounded down, the module's knob, 50 by
           default. The simulator switches it off with the knob at 0
           (SIM_KNOBS).
  give_up  an eviction past 4 looks a resident frame takes the head of
           the oldest generation whatever its bit. No knob: with three
           frames or more only bits set during a search reach it (each
           bit is cleared at its first look, tiers protect within the
           first (frames resident) looks only), which neither this model
           nor the simulator does, so it changes no count; in the module
           it keeps victim() finite while faults set bits.
"""

from collections import OrderedDict

from common import SimClock

DEPARTURES = {
    "p_half": "p starts at half the frames, not 0",
    "give_up": "past 4 looks a frame, the oldest head is taken",
}
KNOBS = {"nr_gens": 4, "close_pct": 100, "p_init_pct": 50}
# The `swaplab sim` knobs that switch departures off (common.py).
SIM_KNOBS = {"p_half": "p_init_pct=0"}
TICK = True
SIM_ARGS = []
PROB, PROT = 0, 1
TIERS = 4


def faults(refs, frames, dep, knobs=None, tick=0):
    k = dict(KNOBS, **(knobs or {}))
    nr_gens = k["nr_gens"]
    close_pct = k["close_pct"]
    give_up = dep.on("give_up")

    gens = [{0: OrderedDict()}, {0: OrderedDict()}]	# type -> seq -> FIFO
    min_seq = [0, 0]
    max_seq = 0
    where = {}			# resident page -> (type, seq)
    seen, tier, ref = {}, {}, {}
    target = frames * k["p_init_pct"] // 100 if dep.on("p_half") else 0
    ev = [0, 0]
    tstat = [[0, 0, 0] for _ in range(TIERS)]	# evicted, protected, refaulted
    since = 0
    evictions = 0
    record = {}			# page -> (left protected, tier, min_seq), stamp
    clock = SimClock(frames, tick)

    def gen(t, s):
        return gens[t].setdefault(s, OrderedDict())

    def put(x, t, s):
        where[x] = (t, s)
        gen(t, s)[x] = True

    def take(x):
        t, s = where.pop(x)
        del gens[t][s][x]

    def nxt(t):
        return min_seq[t] + 1 if min_seq[t] < max_seq else max_seq

    def found(x, evicting):
        t, _ = where[x]
        if t == PROB and not seen[x]:
            seen[x] = True
            if evicting:
                take(x)
                put(x, PROB, nxt(PROB))
            return
        take(x)
        put(x, PROT, max_seq)

    def age():
        nonlocal max_seq
        for t in (PROB, PROT):
            while max_seq - min_seq[t] + 1 >= nr_gens:
                o = gens[t].pop(min_seq[t], OrderedDict())
                n = gen(t, min_seq[t] + 1)
                merged = OrderedDict(o)
                merged.update(n)
                gens[t][min_seq[t] + 1] = merged
                for x in o:
                    where[x] = (t, min_seq[t] + 1)
                min_seq[t] += 1
        max_seq += 1
        young = max_seq
        for t in (PROB, PROT):
            for s in range(min_seq[t], young):
                for x in list(gen(t, s)):
                    if where.get(x) == (t, s) and ref[x]:
                        ref[x] = False
                        found(x, False)

    def do_tick():
        for t in (PROB, PROT):
            if max_seq - min_seq[t] + 1 < nr_gens:
                age()
                return

    def nr_type(t):
        return sum(len(gens[t][s]) for s in gens[t])

    def tier_protected(i):
        e0, p0, r0 = tstat[0]
        ei, pi, ri = tstat[i]
        return i and ri * (e0 + p0 + 1) > 2 * (r0 + 1) * (ei + pi + 1)

    def victim():
        nr = len(where)
        steps = 0
        while True:
            n0, n1 = nr_type(PROB), nr_type(PROT)
            if not n1:
                t = PROB
            elif not n0:
                t = PROT
            else:
                t = PROB if n0 > target else PROT
            oldest = gen(t, min_seq[t])
            if not oldest:
                min_seq[t] += 1
                steps += 1
                continue
            x = next(iter(oldest))
            if give_up and steps > 4 * nr:
                return x
            if ref[x]:
                ref[x] = False
                found(x, True)
                steps += 1
                continue
            if steps < nr and tier_protected(tier[x]):
                tstat[tier[x]][1] += 1
                take(x)
                put(x, t, nxt(t))
                steps += 1
                continue
            return x

    def evict(x):
        nonlocal since, evictions
        t, _ = where[x]
        take(x)
        ev[t] += 1
        tstat[tier[x]][0] += 1
        since += 1
        if since >= frames:
            since = 0
            ev[0] //= 2
            ev[1] //= 2
            for st in tstat:
                for i in range(3):
                    st[i] //= 2
        record[x] = (t == PROT, tier[x], min_seq[t] & 15, evictions)
        evictions += 1
        del seen[x], ref[x]

    def admit(x):
        nonlocal target
        seen[x] = False
        tier[x] = 0
        r = record.get(x)
        if r is None:
            put(x, PROB, max_seq)
            return
        prot, tr, mseq, stamp = r
        tier[x] = tr
        d = evictions - stamp
        if d * 100 >= frames * close_pct:
            if ((min_seq[PROT if prot else PROB] - mseq) & 15) >= nr_gens:
                tier[x] = 0
            put(x, PROB, max_seq)
            return
        e0, e1 = ev[0] + 1, ev[1] + 1
        if prot:
            target = max(target - max(e0 // e1, 1), 0)
        else:
            target = min(target + max(e1 // e0, 1), frames)
        tstat[tr][2] += 1
        tier[x] = min(tr + 1, TIERS - 1)
        seen[x] = True
        put(x, PROT, max_seq)

    n = 0
    for t, x in enumerate(refs):
        if clock.due(t):
            do_tick()
        if x in where:
            ref[x] = True
            continue
        n += 1
        full = len(where) >= frames
        if full and clock.reclaim_due():
            do_tick()
        if full:
            evict(victim())
        admit(x)
        ref[x] = True
        clock.admitted()
    return n
