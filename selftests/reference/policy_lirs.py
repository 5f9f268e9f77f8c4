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

The simulator's own (userspace/sim_lirs.c), driven by every reference;
no departure: S is unbounded, as in the paper. With one frame there is
nothing to choose (L_lirs would be 0): every change of page faults.
"""

from collections import OrderedDict

DEPARTURES = {}
SIM_ARGS = []


def faults(refs, frames, dep, knobs=None, tick=0):
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

    def prune():
        while S:
            y = next(iter(S))
            if y in lir:
                return
            del S[y]

    def demote_bottom():
        y, _ = S.popitem(last=False)
        lir.discard(y)
        Q[y] = True
        prune()

    def top(x):
        S.pop(x, None)
        S[x] = True

    for x in refs:
        if x in lir:
            bottom = next(iter(S)) == x
            top(x)
            if bottom:
                prune()
            continue
        if x in resident:
            if x in S:
                top(x)
                lir.add(x)
                del Q[x]
                demote_bottom()
            else:
                top(x)
                Q.move_to_end(x)
            continue
        n += 1
        if len(lir) < llirs and not Q:
            lir.add(x)
            resident.add(x)
            top(x)
            continue
        if len(resident) >= frames:
            y, _ = Q.popitem(last=False)
            resident.discard(y)
        resident.add(x)
        if x in S:
            top(x)
            lir.add(x)
            demote_bottom()
        else:
            top(x)
            Q[x] = True
    return n
