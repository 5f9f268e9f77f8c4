# SPDX-License-Identifier: GPL-2.0
"""CAR, Clock with Adaptive Replacement (Bansal and Modha, FAST 2004,
Fig. 2): ARC's adaptation over two clocks. T1 holds pages seen once
recently, T2 pages seen at least twice, each a clock of reference bits
(a hit sets the bit); B1 and B2, LRU lists of ids, the pages last
evicted from T1 and from T2. replace() looks at T1's hand while
|T1| >= max(1, p): a page with its bit clear goes to B1's MRU end, one
with it set has it cleared and goes to T2's tail; else at T2's hand: a
clear page goes to B2, a set one has its bit cleared and goes to T2's
tail. A miss with the cache full replaces, then, for a page in neither
list, drops B1's LRU id if |T1| + |B1| = c, else B2's if the directory
holds 2c. A page in neither list goes to T1's tail; one in B1 raises p
by max(1, |B2|/|B1|) (at most c), one in B2 lowers it by
max(1, |B1|/|B2|) (at least 0); either goes to T2's tail, bit clear. A
clock found empty gives way to the other.

Departures (module/policy/policy_car.c) that change the count of a string
replayed one eviction at a time, with no readahead:
  pending       a page faulted in waits, its bit set by the fault, until
                the next search for a victim, which clears the bit and
                puts it at its clock's tail (in the order of the faults):
                hits before then are lost. The paper puts it on its clock
                at once, bit clear. (It still counts in |T1| or |T2|.)
  ghost_est     B1 and B2 are counts, not lists: +1 at each eviction into
                one, -1 at each hit judged in it and at each trim (not
                below 0). A refault is judged in the list it left for if
                fewer than the list's count of evictions went into that
                list after the page's; the evictions from T1 are known
                only at every 2^shift evictions (128 samples covering at
                least 4c), by linear interpolation (rounded down) in
                between, and past the samples by their share over the
                samples.
  trim_always   the trimming of the directory is done at every admission
                of a page in neither list, full or not, and at
                |T1| + |B1| >= c, directory >= 2c. With one eviction at a
                time and a fixed budget it changes no count: memory is
                full at every miss once it has been full, and before then
                the ghost lists are empty, so neither rule can hold; the
                tests at >= and = agree as the lists keep the bounds.
  p_256ths      p is kept in 1/256ths of a page, steps rounded down.
No knob switches any of them off (SIM_KNOBS is empty): pending is the
reference bit the fault sets, ghost_est the shadow records, trim_always
the form of the paper's rule that batched reclaim needs, p_256ths the
kernel's want of floating point.
"""

from collections import OrderedDict

DEPARTURES = {
    "pending": "a new page joins its clock at the next victim search, bit clear",
    "ghost_est": "B1 and B2 are counts, membership by sampled eviction shares",
    "trim_always": "the directory is trimmed at every new admission",
    "p_256ths": "p in 1/256ths of a page",
}
SIM_ARGS = []
# `swaplab sim --knob` switching a departure off: none.
SIM_KNOBS = {}
SAMPLES = 128
ONE = 256


def faults(refs, frames, dep, knobs=None, tick=0):
    c = frames
    pending_on = dep.on("pending")
    est = dep.on("ghost_est")
    trim_always = dep.on("trim_always")
    fixed = dep.on("p_256ths")

    T1, T2 = OrderedDict(), OrderedDict()	# hand first
    bit = {}
    pend = []			# faulted in, waiting: (page, to T2)
    nt = [0, 0]			# |T1|, |T2|, pending ones included
    B1, B2 = OrderedDict(), OrderedDict()	# LRU first (exact)
    nb = [0, 0]			# |B1|, |B2| (estimates, with ghost_est)
    p = 0			# in 1/256ths with p_256ths
    pmax = c * ONE if fixed else c
    one = ONE if fixed else 1
    # ghost_est: where each evicted page went, and when.
    record, stamp = {}, {}
    hist = [0]			# evictions from T1 after e evictions
    shift = 0
    while (SAMPLES << shift) < 4 * c:
        shift += 1

    def nb1():
        return nb[0] if est else len(B1)

    def nb2():
        return nb[1] if est else len(B2)

    def t1_at(e):
        E = len(hist) - 1
        at = (e >> shift) << shift
        if at == E:
            return hist[E]
        if at + (1 << shift) <= E:
            hi, span = hist[at + (1 << shift)], 1 << shift
        else:
            hi, span = hist[E], E - at
        lo = hist[at]
        return lo + (hi - lo) * (e - at) // span

    def in_ghost(b2, x):
        size = nb[1] if b2 else nb[0]
        E = len(hist) - 1
        dist = E - stamp[x]
        if not size or not dist or dist > E:
            return False
        e = E - dist + 1
        after = E - e
        oldest = max((E >> shift) - (SAMPLES - 1), 0) << shift
        if e >= oldest:
            n = hist[E] - t1_at(e)
            if b2:
                n = after - n
            return n < size
        span = E - oldest
        if not span:
            return True
        later = hist[E] - t1_at(oldest)
        if b2:
            later = span - later
        return later * after < size * span

    def flush():
        for x, to2 in pend:
            bit[x] = False
            (T2 if to2 else T1)[x] = True
        pend.clear()

    def replace():
        if pending_on:
            flush()
        while True:
            t1 = nt[0] * (ONE if fixed else 1) >= max(p, one)
            if not (T1 if t1 else T2):
                t1 = not t1
            Q = T1 if t1 else T2
            x = next(iter(Q))
            if bit[x]:
                bit[x] = False
                del Q[x]
                T2[x] = True
                if t1:
                    nt[0] -= 1
                    nt[1] += 1
                continue
            del Q[x], bit[x]
            if t1:
                nt[0] -= 1
            else:
                nt[1] -= 1
            if est:
                nb[0 if t1 else 1] += 1
                record[x] = 0 if t1 else 1
                stamp[x] = len(hist) - 1
                hist.append(hist[-1] + (1 if t1 else 0))
            else:
                (B1 if t1 else B2)[x] = True
            return

    def trim():
        if trim_always:
            if nt[0] + nb1() >= c:
                drop(0)
            elif nt[0] + nt[1] + nb1() + nb2() >= 2 * c:
                drop(1)
        else:
            if nt[0] + nb1() == c:
                drop(0)
            elif nt[0] + nt[1] + nb1() + nb2() == 2 * c:
                drop(1)

    def drop(i):
        if est:
            if nb[i]:
                nb[i] -= 1
        else:
            B = B2 if i else B1
            if B:
                B.popitem(last=False)

    def adapt(b2, x):
        nonlocal p
        hit, other = (nb2(), nb1()) if b2 else (nb1(), nb2())
        if fixed:
            step = (other * ONE) // hit if other > hit else ONE
        else:
            step = other / hit if other > hit else 1
        if b2:
            p = max(p - step, 0)
            if est:
                nb[1] -= 1
            else:
                del B2[x]
        else:
            p = min(p + step, pmax)
            if est:
                nb[0] -= 1
            else:
                del B1[x]

    n = 0
    for x in refs:
        if x in bit:
            bit[x] = True
            continue
        n += 1
        full = nt[0] + nt[1] >= c
        if full:
            replace()
        if est:
            r = record.get(x)
            hit = None if r is None else (r if in_ghost(r == 1, x) else None)
        else:
            hit = 0 if x in B1 else 1 if x in B2 else None
        if hit is None:
            if trim_always or full:
                trim()
        else:
            adapt(hit == 1, x)
        to2 = hit is not None
        nt[1 if to2 else 0] += 1
        if pending_on:
            bit[x] = True
            pend.append((x, to2))
        else:
            bit[x] = False
            (T2 if to2 else T1)[x] = True
    return n
