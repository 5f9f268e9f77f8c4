# SPDX-License-Identifier: GPL-2.0
"""A clock's circle of pages of changing size: a hand, pages put in just
behind it (the last it reaches), and a sweep that clears referenced
pages and stops at the first unreferenced one."""


class Ring:
    def __init__(self):
        self.nxt = {}
        self.prv = {}
        self.hand = None

    def __len__(self):
        return len(self.nxt)

    def __contains__(self, x):
        return x in self.nxt

    def add_behind_hand(self, x):
        h = self.hand
        if h is None:
            self.nxt[x] = self.prv[x] = x
            self.hand = x
            return
        b = self.prv[h]
        self.nxt[b], self.prv[x] = x, b
        self.nxt[x], self.prv[h] = h, x

    def remove(self, x):
        n, b = self.nxt.pop(x), self.prv.pop(x)
        if n == x:
            self.hand = None
            return
        self.nxt[b], self.prv[n] = n, b
        if self.hand == x:
            self.hand = n

    def sweep(self, ref):
        """Move the hand over pages whose ref[] is set, clearing it, to
        the first whose is not: the victim, at the hand, not removed."""
        while ref[self.hand]:
            ref[self.hand] = False
            self.hand = self.nxt[self.hand]
        return self.hand
