#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The random policy's check: its counts are random, so `swaplab sim`'s
are compared with the distribution of uniform random replacement
(policy_random.py), not with one count. The simulator seeds its
generator the same way at the start of every run (there is no seed
option), so the independent draws come from one run of many processes
(P:PAGE strings), each of which leaves, its pages freed, before the next
begins: each process starts with memory empty, and its fault count is
one draw, independent of the others as far as the generator's numbers
are (they are consumed in turn, none twice).

  random_check.py --plan        the number of checks (lines) --check prints
  random_check.py --write DIR   writes the strings into DIR and prints a
                                line "FILE FRAMES" each: run
                                `swaplab sim FILE --frames FRAMES
                                --policy random --batch 1 --json`
                                into FILE.json
  random_check.py --check DIR   reads the FILE.json and prints one line a
                                check, "ok - ..." or "not ok - ..."

The checks, each failing a correct policy with probability below 1e-6:

  mean     Silberschatz, Galvin and Gagne's string at 3 frames, once in
           each of K processes: the mean count against the exact mean mu
           of the distribution, with sigma its exact standard deviation.
           The K counts are independent and bounded, so their mean is
           normal to a very good approximation (central limit theorem),
           with standard error sigma/sqrt(K); it must be within 5 of
           them of mu: a correct policy is outside with probability
           about 5.7e-7, and one whose mean is off by a quarter of a
           fault (with K = 4000 and sigma about 1.8, 8.9 standard errors)
           is outside almost surely.
  counts   the same counts, their histogram against the exact
           distribution: a chi-square goodness of fit (counts whose
           expectation is under 5 pooled with their neighbours), failing
           at an upper tail probability below 1e-6. It sees a wrong
           shape that the mean alone may not (a bias that keeps the
           mean).
  victims  which frame is chosen: rounds of F + 1 processes, F holders
           each faulting one page in (memory full, the holders admitted
           in order), then a trigger faulting one page in, which evicts
           one holder's page; the trigger leaves, its frame freed, and
           every holder references its page again: the evicted one
           alone faults again, into the free frame, with no eviction.
           The holder with two faults is the victim, one a round, and
           over the rounds each of the F must be chosen equally often:
           a chi-square with F - 1 degrees of freedom, failing at an
           upper tail probability below 1e-6.
"""

import json
import math
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from policy_random import distribution  # noqa: E402

SGG = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]
COUNT_FRAMES = 3
COUNT_PROCS = 4000	# processes: at most 4096 (`swaplab sim`)
HOLDERS = 7
ROUNDS = 4096 // (HOLDERS + 1)
Z = 5.0			# standard errors allowed the mean
ALPHA = 1e-6		# the chi-squares' failure probability
PLAN = 3


def chi2_upper(x, df):
    """P(X >= x) for X chi-square with df degrees of freedom: the
    regularised upper incomplete gamma Q(df/2, x/2), from the series of
    the lower one (enough terms for x up to some hundreds)."""
    a, y = df / 2.0, x / 2.0
    if y <= 0:
        return 1.0
    term = total = 1.0 / a
    k = 1
    while term > total * 1e-17:
        term *= y / (a + k)
        total += term
        k += 1
        if k > 100000:
            break
    lower = math.exp(-y + a * math.log(y) - math.lgamma(a)) * total
    return max(0.0, 1.0 - lower)


def chi2(observed, expected):
    """The statistic, after pooling adjacent cells whose expectation is
    under 5 (the last pooled with the one before if still under)."""
    obs, exp = [], []
    o = e = 0.0
    for oi, ei in zip(observed, expected):
        o += oi
        e += ei
        if e >= 5:
            obs.append(o)
            exp.append(e)
            o = e = 0.0
    if e and exp:
        obs[-1] += o
        exp[-1] += e
    stat = sum((oi - ei) ** 2 / ei for oi, ei in zip(obs, exp))
    return stat, len(exp) - 1


def write(d):
    with open(os.path.join(d, "random.counts"), "w", encoding="ascii") as f:
        for p in range(COUNT_PROCS):
            f.write(" ".join("%d:%d" % (p, x) for x in SGG) + "\n")
    with open(os.path.join(d, "random.victims"), "w", encoding="ascii") as f:
        for r in range(ROUNDS):
            base = r * (HOLDERS + 1)
            hold = ["%d:0" % (base + i) for i in range(HOLDERS)]
            f.write(" ".join(hold + ["%d:0" % (base + HOLDERS)] + hold)
                    + "\n")
    print(os.path.join(d, "random.counts"), COUNT_FRAMES)
    print(os.path.join(d, "random.victims"), HOLDERS)


def per_process(path):
    """The fault count of each process of the run in path."""
    with open(path, encoding="ascii") as f:
        run = json.load(f)
    for pol in run["policies"]:
        if pol["policy"] == "random":
            procs = sorted(pol["processes"], key=lambda q: q["process"])
            return [q["faults"] for q in procs]
    raise ValueError("%s: no row of random" % path)


def check_counts(d):
    dist = distribution(SGG, COUNT_FRAMES)
    mu = sum(n * p for n, p in dist.items())
    sigma = math.sqrt(sum((n - mu) ** 2 * p for n, p in dist.items()))
    counts = per_process(os.path.join(d, "random.counts.json"))
    k = len(counts)
    if k != COUNT_PROCS:
        return ["not ok - random, sgg, 3 frames: %d processes, not %d"
                % (k, COUNT_PROCS)] * 2
    mean = sum(counts) / k
    se = sigma / math.sqrt(k)
    z = (mean - mu) / se
    lines = ["%s - random, sgg, 3 frames, %d processes: mean %.4f, "
             "exact %.4f, standard error %.4f: %+.2f of them (bound %g)"
             % ("ok" if abs(z) <= Z else "not ok", k, mean, mu, se, z, Z)]
    lo, hi = min(dist), max(dist)
    cells = range(min(lo, min(counts)), max(hi, max(counts)) + 1)
    observed = [counts.count(n) for n in cells]
    expected = [k * dist.get(n, 0.0) for n in cells]
    outside = sum(o for o, e in zip(observed, expected) if e == 0)
    stat, df = chi2(observed, expected)
    p = chi2_upper(stat, df)
    lines.append("%s - random, sgg, 3 frames, %d processes: counts' "
                 "chi-square %.2f, %d df, p %.3g (bound %g)%s"
                 % ("ok" if p >= ALPHA and not outside else "not ok", k,
                    stat, df, p, ALPHA,
                    ", %d impossible counts" % outside if outside else ""))
    return lines


def check_victims(d):
    faults = per_process(os.path.join(d, "random.victims.json"))
    what = "random, victims among %d frames, %d rounds" % (HOLDERS, ROUNDS)
    if len(faults) != ROUNDS * (HOLDERS + 1):
        return ["not ok - %s: %d processes, not %d" %
                (what, len(faults), ROUNDS * (HOLDERS + 1))]
    chosen = [0] * HOLDERS
    for r in range(ROUNDS):
        row = faults[r * (HOLDERS + 1):(r + 1) * (HOLDERS + 1)]
        twice = [i for i in range(HOLDERS) if row[i] == 2]
        if len(twice) != 1 or row[HOLDERS] != 1 or \
           any(row[i] != 1 for i in range(HOLDERS) if i not in twice):
            return ["not ok - %s: round %d's faults are %s, not one "
                    "holder with 2" % (what, r, row)]
        chosen[twice[0]] += 1
    stat, df = chi2(chosen, [ROUNDS / HOLDERS] * HOLDERS)
    p = chi2_upper(stat, df)
    return ["%s - %s: chosen %s, chi-square %.2f, %d df, p %.3g (bound %g)"
            % ("ok" if p >= ALPHA else "not ok", what,
               " ".join(map(str, chosen)), stat, df, p, ALPHA)]


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--plan":
        print(PLAN)
        return 0
    if len(sys.argv) != 3 or sys.argv[1] not in ("--write", "--check"):
        print("usage: random_check.py --plan | --write DIR | --check DIR",
              file=sys.stderr)
        return 2
    d = sys.argv[2]
    if sys.argv[1] == "--write":
        write(d)
        return 0
    lines = []
    for part in (check_counts, check_victims):
        try:
            lines += part(d)
        except (OSError, ValueError, KeyError) as e:
            n = 2 if part is check_counts else 1
            lines += ["not ok - random: %s" % e] * n
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
