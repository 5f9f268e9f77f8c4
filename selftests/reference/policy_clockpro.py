# SPDX-License-Identifier: GPL-2.0
"""CLOCK-Pro (Jiang, Chen and Zhang, "CLOCK-Pro: An Effective Improvement
of the CLOCK Replacement", USENIX ATC 2005), on the clock that
module/policy/policy_clockpro.c's header describes, which this model takes as
given: two FIFO lists, hot and resident cold, oldest first, HAND_hot at
the head of one and HAND_cold at the head of the other, a hand passing a
page moving it to its list's tail; each page carries its placement, the
evictions counted when it was last put at the clock's head.

The paper's rules on that clock:
  - a cold page is in its test period from its placement until HAND_hot
    passes it: until the oldest hot page's placement (HAND_hot's
    position, which only grows) is beyond its own;
  - HAND_cold, at a page fault with memory full, looks at its head: not
    referenced, it is the victim; referenced (its bit cleared), it turns
    hot if in its test (m_c + 1), else starts a new test at the tail;
    a page turned hot joins the hot tail, and HAND_hot runs while hot
    pages exceed m - m_c;
  - HAND_hot looks at its head: referenced (cleared), the page is placed
    anew at the tail; not, it turns cold, out of test, at the cold tail;
  - an evicted cold page in its test is remembered, non-resident, by its
    placement: a fault on it while its test lasts brings it back hot
    (m_c + 1); HAND_test ends the oldest test when more than m are
    remembered, and a test that ends with no reference costs m_c one;
  - a new page, or one out of test, comes in cold, in test.

The header's bookkeeping, which this model follows as it states it
(none switched off: it is the clock itself): the non-resident tests are
counted in 128 buckets of 2^shift evictions by placement (128 << shift
at least 4m), the oldest live bucket base, whole buckets ending their
tests as HAND_hot passes them, HAND_test taking one from the oldest
non-empty bucket and moving base up to it (so the test boundary is the
later of HAND_hot's position and base's first eviction), the histogram
shifted along as evictions pass 128 buckets; a refault finds its
placement from its refault distance and its age at eviction (evictions
from placement to eviction, kept to 4 significant bits, exact below
16), and is in test when the placement is not before the boundary and
its bucket still counts a page; a resident cold page's ended test costs
m_c one only when HAND_cold reaches it.

Departures (module/policy/policy_clockpro.c) that a switch turns off:
  pending     a page faulted in waits, its bit set by the fault, until
              the next victim search, which clears its bit and puts it
              at its list's tail (in order of the faults); the paper
              puts it on the clock at once, bit clear. No knob: in the
              module the fault's reference is in the page's accessed bit
              until the next harvest.
  mc_range    m_c lies between max(1, m/100) and m less that (off: 1
              and m - 1), and a cold page found referenced after its
              test ended still counts m_c + 1 (off: only one in its
              test). Either way m_c starts at its least, and until the
              first eviction a new page is hot while hot pages are fewer
              than m - m_c. The simulator switches it off with the
              module's knobs mc_min_pct=0 (the range) and mc_late_ref=0
              (the count).
  rescan      HAND_cold's search, having passed as many frames as are
              resident, starts over (up to four times an eviction, the
              core's refreshes of the bits: free in the simulator); past
              2n + 2 looks, n resident, it takes the page at the hand;
              HAND_hot, past 2n + 1 looks, takes the page at its hand.
              The simulator switches the starting over off with the
              knob rescan=0; the module keeps both bounds of looks,
              which only bits set during a search reach (each look
              clears a bit or ends the search), so they change no count
              here.

SIM_KNOBS lists those knobs (common.py): every departure but pending can
be switched off in the simulator.
"""

from collections import OrderedDict

DEPARTURES = {
    "pending": "a new page joins its list at the next search, bit cleared",
    "mc_range": "m_c kept in 1%..99% of m; an ended test still counts +1",
    "rescan": "HAND_cold's search starts over after a lap (4 times)",
}
SIM_ARGS = []
SIM_KNOBS = {"mc_range": "mc_min_pct=0 mc_late_ref=0", "rescan": "rescan=0"}
BUCKETS = 128
RESCANS = 4


def age_round(age):
    """The age kept in a record: exact below 16, else rounded to the
    nearest multiple of the power of two that leaves 4 significant bits
    (halves up)."""
    if age < 16:
        return age
    e = 0
    while age >= (16 << e):
        e += 1
    return ((age + (1 << (e - 1))) >> e) << e


AGE_MAX = 15 << 14


def faults(refs, frames, dep, knobs=None, tick=0):
    pending_on = dep.on("pending")
    mc_range = dep.on("mc_range")
    rescan_on = dep.on("rescan")

    m = max(frames, 1)
    if mc_range:
        mc_min = max(m // 100, 1)
        mc_max = m - mc_min if m > 2 * mc_min else mc_min
    else:
        mc_min, mc_max = 1, max(m - 1, 1)
    mc = mc_min
    shift = 0
    while (BUCKETS << shift) < 4 * m:
        shift += 1

    hot, cold = OrderedDict(), OrderedDict()	# head first
    pend = []
    ref, placed, test = {}, {}, {}		# test: a cold page's status
    nhot = ncold = 0				# pending ones counted
    evictions = 0
    hot_hand = 0
    base = 0
    hist = [0] * BUCKETS
    ntest = 0
    swept = 0
    record = {}		# page -> (age kept, eviction number) if in test

    def mc_up():
        nonlocal mc
        mc = min(mc + 1, mc_max)

    def mc_down(k):
        nonlocal mc
        mc = max(mc - k, mc_min)

    def expire(b):
        nonlocal ntest
        k = hist[b % BUCKETS]
        ntest -= k
        mc_down(k)
        hist[b % BUCKETS] = 0

    def boundary():
        return max(hot_hand, base << shift)

    def hand_moved():
        nonlocal hot_hand, base
        if hot:
            h = placed[next(iter(hot))]
            hot_hand = max(hot_hand, h)
        while (base + 1) << shift <= hot_hand:
            expire(base)
            base += 1

    def run_hot():
        nonlocal nhot, ncold
        limit = 2 * nhot + 1
        steps = 0
        while hot:
            x = next(iter(hot))
            placed[x] = evictions
            if (not rescan_on or steps < limit) and ref[x]:
                ref[x] = False
                hot.move_to_end(x)
                steps += 1
                continue
            del hot[x]
            test[x] = False
            cold[x] = True
            nhot -= 1
            ncold += 1
            break
        hand_moved()

    def balance():
        while nhot + mc > m and hot:
            run_hot()

    def test_hand():
        nonlocal base, ntest
        i = 0
        while i < BUCKETS and not hist[base % BUCKETS]:
            base += 1
            i += 1
        if hist[base % BUCKETS]:
            hist[base % BUCKETS] -= 1
            ntest -= 1
            mc_down(1)

    def cold_referenced(x):
        nonlocal nhot, ncold
        in_test = placed[x] >= boundary()
        if test[x] and (in_test or mc_range):
            mc_up()
        placed[x] = evictions
        if not test[x] or not in_test:
            test[x] = True
            cold.move_to_end(x)
            return
        del cold[x]
        hot[x] = True
        ncold -= 1
        nhot += 1
        hand_moved()
        balance()

    def flush():
        for x in pend:
            ref[x] = False
            if x in hotset:
                hotset.discard(x)
                hot[x] = True
            else:
                cold[x] = True
        pend.clear()
        hand_moved()

    def victim():
        nonlocal swept
        rescans = RESCANS if rescan_on else 0
        while True:
            if pending_on:
                flush()
            balance()
            limit = 2 * (nhot + ncold) + 2
            steps = 0
            restart = False
            while True:
                if not cold:
                    run_hot()
                    steps += 1
                    continue
                x = next(iter(cold))
                if (rescan_on and steps >= limit) or not ref[x]:
                    swept = 0
                    return x
                ref[x] = False
                cold_referenced(x)
                steps += 1
                if rescan_on:
                    swept += 1
                    if swept >= nhot + ncold and rescans:
                        rescans -= 1
                        swept = 0
                        restart = True
                        break
            if not restart:
                return x

    def evict(x):
        nonlocal ncold, evictions, ntest, base
        del cold[x]
        ncold -= 1
        age = evictions - placed[x]
        while (evictions >> shift) >= base + BUCKETS:
            expire(base)
            base += 1
        evictions += 1
        was = test.pop(x)
        p = placed.pop(x)
        del ref[x]
        record.pop(x, None)
        if not was:
            return
        if p < boundary() or age > AGE_MAX:
            mc_down(1)
            return
        hist[(p >> shift) % BUCKETS] += 1
        ntest += 1
        while ntest > m:
            test_hand()
        record[x] = (age_round(age), evictions - 1)

    def refault_in_test(x):
        nonlocal ntest
        r = record.pop(x, None)
        if r is None:
            return False
        age, stamp = r
        d = evictions - stamp
        if d + age > evictions:
            return False
        p = evictions - d - age
        b = p >> shift
        if p < boundary() or b >= base + BUCKETS or not hist[b % BUCKETS]:
            return False
        hist[b % BUCKETS] -= 1
        ntest -= 1
        return True

    hotset = set()		# pending pages that are hot
    n = 0
    for x in refs:
        if x in ref:
            ref[x] = True
            continue
        n += 1
        if nhot + ncold >= frames:
            evict(victim())
        warm = not evictions and nhot + mc < m
        if refault_in_test(x):
            mc_up()
            warm = True
        placed[x] = evictions
        test[x] = not warm
        if warm:
            nhot += 1
        else:
            ncold += 1
        if pending_on:
            ref[x] = True
            pend.append(x)
            if warm:
                hotset.add(x)
        else:
            ref[x] = False
            (hot if warm else cold)[x] = True
    return n
