# SPDX-License-Identifier: GPL-2.0
"""LIRS (Jiang and Zhang, "LIRS: An Efficient Low Inter-reference
Recency Set Replacement Policy to Improve Buffer Cache Performance",
SIGMETRICS 2002, section 3): L_lirs frames hold LIR pages, L_hirs
(1% of the frames, at least one) resident HIR pages, kept in queue Q,
the victims' source. Stack S holds pages by recency, LIR and HIR,
resident or not, pruned so that its bottom is LIR. The first L_lirs
pages seen become LIR.

  LIR page:            to the top of S; prune if it was at the bottom.
  resident HIR, in S:  to the top of S as LIR, out of Q; the bottom LIR
                       page becomes HIR, to the end of Q; prune.
  resident HIR, not:   to the top of S, to the end of Q.
  a miss:              evict Q's front (a page in S stays there, not
                       resident); the new page goes to the top of S;
                       if it was in S, as LIR, the bottom LIR page going
                       to Q as above; else as HIR, to the end of Q.

The simulator's own (userspace/sim/sim_lirs.c), driven by every reference;
no departure: S is unbounded, as in the paper. With one frame there is
nothing to choose (L_lirs would be 0): every change of page faults.

libCacheSim's LIRS (cache/eviction/LIRS.c) departs from the paper in
three ways (LIBCACHESIM), modelled for memory of two pages or more:
  two_limits    the LIR set and Q are each held to their own limit,
                L_lirs and L_hirs, rather than memory as a whole: a new
                page is LIR whenever fewer than L_lirs pages are
                (LIRS_insert); a promotion to LIR demotes S's bottom LIR
                page only when L_lirs pages are LIR (hit_RD_HIRinS,
                LIRS_can_insert); a demotion evicts Q's front only when
                Q holds L_hirs pages (evictLIR), which is how a miss on
                a page in S evicts; a miss on another page evicts only
                when both are full (LIRS_can_insert). In the paper's
                order both are full whenever memory is, so alone this
                changes nothing.
  hir_q_hit     a hit on a resident HIR page that is not in S, besides
                moving it to the top of S (as HIR) and the end of Q,
                demotes S's bottom LIR page as a promotion does
                (hit_RD_HIRinQ calls evictLIR), leaving the LIR set one
                short. Q being full, its front is evicted to make room,
                and with L_hirs = 1 that is the page hit itself: it
                stays resident, in S, out of Q and out of the counts,
                until its next reference promotes it or a prune drops
                it. Needs two_limits.
  limit_stack   after every reference, while S holds more than twice
                the frames, the entry of S that has been a non-resident
                HIR page longest leaves it (limitStack, through the list
                LRU_nh that evictHIR appends to).
"""

from collections import OrderedDict

DEPARTURES = {}
SIM_ARGS = []
LIBCACHESIM = {
    "two_limits": "the LIR set and Q each held to its own limit",
    "hir_q_hit": "a hit on a resident HIR page out of S demotes a LIR page",
    "limit_stack": "S bounded at 2c, non-resident HIR entries dropped",
}


def faults(refs, frames, dep, knobs=None, tick=0):
    two_limits = dep.on("two_limits")
    q_hit = dep.on("hir_q_hit")
    limit_stack = dep.on("limit_stack")
    if q_hit and not two_limits:
        raise ValueError("hir_q_hit needs two_limits")
    n = 0
    if frames == 1:
        last = None
        for x in refs:
            n += x != last
            last = x
        return n
    lhirs = max(frames // 100, 1)
    llirs = frames - lhirs
    S = OrderedDict()	# bottom first: page -> True
    Q = OrderedDict()	# front first
    lir = set()
    resident = set()
    gone = OrderedDict()	# non-resident HIR pages in S, longest first

    def prune():
        while S:
            y = next(iter(S))
            if y in lir:
                return
            del S[y]
            gone.pop(y, None)
            if y not in Q:
                # hir_q_hit's page left out of Q: it leaves memory.
                resident.discard(y)

    def evict_front():
        y, _ = Q.popitem(last=False)
        resident.discard(y)
        if y in S:
            gone[y] = True

    def demote_bottom():
        y, _ = S.popitem(last=False)
        lir.discard(y)
        if two_limits and len(Q) >= lhirs:
            evict_front()
        Q[y] = True
        prune()

    def top(x):
        S.pop(x, None)
        S[x] = True

    for x in refs:
        if limit_stack:
            gone.pop(x, None)
        if x in lir:
            bottom = next(iter(S)) == x
            top(x)
            if bottom:
                prune()
        elif x in resident:
            if x in S:
                top(x)
                Q.pop(x, None)
                full = len(lir) >= llirs
                lir.add(x)
                if full or not two_limits:
                    demote_bottom()
            else:
                Q.move_to_end(x)
                if q_hit and len(lir) >= llirs:
                    demote_bottom()
                    # Perhaps x itself was Q's front: still resident.
                    resident.add(x)
                top(x)
        else:
            n += 1
            if two_limits:
                full = len(lir) >= llirs and len(Q) >= lhirs
                if full and x not in S:
                    evict_front()
                resident.add(x)
                if x in S:
                    top(x)
                    full = len(lir) >= llirs
                    lir.add(x)
                    if full:
                        demote_bottom()
                elif len(lir) < llirs:
                    lir.add(x)
                    top(x)
                else:
                    top(x)
                    Q[x] = True
            elif len(lir) < llirs and not Q:
                lir.add(x)
                resident.add(x)
                top(x)
            else:
                if len(resident) >= frames:
                    evict_front()
                resident.add(x)
                if x in S:
                    top(x)
                    lir.add(x)
                    demote_bottom()
                else:
                    top(x)
                    Q[x] = True
        if limit_stack:
            while len(S) > 2 * frames and gone:
                y, _ = gone.popitem(last=False)
                del S[y]
    return n
