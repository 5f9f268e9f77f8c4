# SPDX-License-Identifier: GPL-2.0
"""LFU with dynamic aging, LFU-DA (Arlitt, Cherkasova, Dilley, Friedrich
and Jin, "Evaluating content management techniques for Web proxy
caches", 2000): every page has a frequency count F, 1 when it comes in
and one more at each hit, and a key K = F + L, L the inflation factor,
the key of the last page evicted. The page with the smallest key is
evicted (of equal keys, the one that got its key first), and a hit sets
K again with the current L. The cost C_i is 1 for every page. A page
evicted forgets its count (in-cache frequency).

Departures (module/policy/policy_lfu.c) that change the count of a string
replayed one eviction at a time, with no readahead:
  ref_bit        F counts the times the page's reference bit was found
                 set: at each tick (common.SimClock) and when the search
                 for a victim looks at it; several hits in between count
                 once. The fault's own access sets the bit, and the first
                 look after it only clears a "fresh" mark (the key is
                 still set again with the current L).
  max_count      F saturates at 15 (the knob max_count, 1 to 63: no
                 value of it switches this off).
  second_chance  a candidate found referenced by the search is counted,
                 its key set again, and the search goes on. Needs ref_bit.
                 The knob second_chance=0 switches it off.
  remember       a refault starts from the count the page left with,
                 halved once for each frame count's worth of evictions
                 it spent out (none after 8), plus one. The knob
                 remember=0 switches it off.

libCacheSim's LFUDA departs from the paper in two ways (LIBCACHESIM,
modelled with ref_bit and remember off, every page's cost 1):
  hit_adds_l     a hit adds L to the page's key, K + L, where the paper
                 sets it to F + L (LFUDA_find); with L still 0, before
                 the first eviction, a hit leaves the key as it is and
                 only moves the page to the end of its key's list.
  l_lists        eviction takes the oldest page of the list at key L
                 (key 1 while L is 0: get_min_freq_node), and sets L to
                 that key; whenever the list at key L empties, by an
                 eviction (LFUDA_evict) or by its page's hit
                 (LFUDA_find: its new key computed with L before the
                 move, and the page not yet at it), L moves to the least
                 key above it that has pages, looking no further than
                 the largest key a hit has given (update_min_freq; none:
                 L stays). The paper takes the least key, which L then
                 is; here a page whose key falls below L stays until its
                 next hit. Should L stay at a key whose list has emptied
                 (every key with pages beyond the largest a hit has
                 given), the next eviction finds no page there:
                 libCacheSim fails (a segmentation fault; seen with
                 swaplab gen loop, rand and hotcold strings at 20
                 frames), and so does the model, with an error.

Order at a tick: the pages are looked at by key modulo 64 (the module's
ring of buckets), those found referenced going to the end of their new
key's place.
"""

from collections import OrderedDict

from common import SimClock

DEPARTURES = {
    "ref_bit": "F counts reference bits seen at ticks and looks, not hits",
    "max_count": "F saturates at 15",
    "second_chance": "a referenced candidate is counted and skipped",
    "remember": "a refault restarts from the halved remembered count",
}
KNOBS = {"max_count": 15}
# `swaplab sim --knob` switching a departure off.
SIM_KNOBS = {"second_chance": "second_chance=0", "remember": "remember=0"}
# libCacheSim's LFUDA (cache/eviction/LFUDA.c), every cost 1.
LIBCACHESIM = {
    "hit_adds_l": "a hit adds L to the key (K + L), not F + L",
    "l_lists": "eviction takes from the list at key L, which moves up "
               "when it empties",
}
TICK = True
SIM_ARGS = []
RECORD_MAX = 255
BUCKETS = 64


def faults(refs, frames, dep, knobs=None, tick=0):
    k = dict(KNOBS, **(knobs or {}))
    ref_bit = dep.on("ref_bit")
    cap = k["max_count"] if dep.on("max_count") else float("inf")
    chance = dep.on("second_chance")
    remember = dep.on("remember")
    if chance and not ref_bit:
        raise ValueError("second_chance needs ref_bit")
    adds_l = dep.on("hit_adds_l")
    l_lists = dep.on("l_lists")
    if (adds_l or l_lists) and (ref_bit or remember):
        raise ValueError("libCacheSim's flags go with ref_bit and "
                         "remember off")

    by_key = {}			# key -> OrderedDict of pages, oldest first
    key, count, fresh, bit = {}, {}, {}, {}
    shadow = {}			# evicted page -> (record, eviction stamp)
    L = 0
    maxk = 0			# l_lists: the largest key a hit has given
    evictions = 0
    clock = SimClock(frames, tick)

    def place(x, kk, tail=True):
        key[x] = kk
        by_key.setdefault(kk, OrderedDict())[x] = True

    def unplace(x):
        b = by_key[key[x]]
        del b[x]
        if not b:
            del by_key[key[x]]

    def sample(x):
        # The bit looked at: True if it was set (the key set again).
        if not bit[x]:
            fresh[x] = False
            return False
        bit[x] = False
        if fresh[x]:
            fresh[x] = False
        elif count[x] < cap:
            count[x] += 1
        key[x] = L + count[x]
        return True

    def do_tick():
        if not ref_bit:
            return
        moved = []
        for kk in sorted(by_key, key=lambda v: (v % BUCKETS, v)):
            for x in list(by_key[kk]):
                if sample(x):
                    del by_key[kk][x]
                    moved.append(x)
            if not by_key[kk]:
                del by_key[kk]
        later = {}
        for x in moved:
            later.setdefault(key[x], []).append(x)
        for kk in sorted(later, key=lambda v: (v % BUCKETS, v)):
            for x in later[kk]:
                place(x, kk)

    def next_key():
        # l_lists: the least key with pages above L, up to maxk; or L.
        above = [kk for kk in by_key if L < kk <= maxk]
        return min(above) if above else L

    def evict():
        nonlocal L, evictions
        while True:
            if l_lists:
                kk = max(L, 1)
                if kk not in by_key:
                    raise ValueError("l_lists: no page at key L = %d "
                                     "(libCacheSim would fail)" % L)
            else:
                kk = min(by_key)
            x = next(iter(by_key[kk]))
            if chance:
                del by_key[kk][x]
                if not by_key[kk]:
                    del by_key[kk]
                if sample(x):
                    place(x, key[x])
                    continue
                place(x, kk)	# put back only to unplace below
            break
        unplace(x)
        L = key[x]
        if l_lists and L not in by_key:
            L = next_key()
        shadow[x] = (min(count[x], RECORD_MAX), evictions)
        evictions += 1
        del key[x], count[x], fresh[x], bit[x]

    n = 0
    for t, x in enumerate(refs):
        if clock.due(t):
            do_tick()
        if x in key:
            if ref_bit:
                bit[x] = True
            else:
                if count[x] < cap:
                    count[x] += 1
                old = key[x]
                new = old + L if adds_l else L + count[x]
                unplace(x)
                if l_lists:
                    maxk = max(maxk, new)
                    if old == L and L not in by_key:
                        L = next_key()
                place(x, new)
            continue
        n += 1
        full = len(key) >= frames
        if full and clock.reclaim_due():
            do_tick()
        if full:
            evict()
        c = 1
        if remember and x in shadow:
            rec, stamp = shadow[x]
            halvings = (evictions - stamp) // frames
            rec = rec >> halvings if halvings < 8 else 0
            c = min(rec + 1, cap)
        count[x] = c
        fresh[x] = True
        bit[x] = ref_bit
        place(x, L + c)
        clock.admitted()
    return n
