#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reference models of the replacement policies, written from their
papers (common.py says how). Usage:

  run.py --policy NAME --frames N[,N...] [--departures module|paper|A,B]
         [--tick T] [--knob NAME=VALUE]... TRACE
      the fault count at each frame count, one a line;
  run.py --list
      a line a policy: its name, "tick" if it ages at ticks (else "-"),
      and its departures;
  run.py --sim-args --policy NAME
      the `swaplab sim` options whose run is the module's order;
  run.py --jobs FILE
      many runs at once: each line of FILE (- for stdin) is
      "POLICY TICK DEPARTURES FRAMES[,FRAMES...] TRACE" (TICK 0: the
      frame count; DEPARTURES as --departures, "-" for none), and each
      is printed back with the counts appended, comma-separated.

--departures: "module" (the default) switches on every departure the
policy's header names, "paper" none, or a comma-separated list of names
(none: ""). --tick: references per aging tick, as `swaplab sim --tick`
(default: the frame count), for the policies that age at ticks.
"""

import argparse
import importlib
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Departures, read_trace  # noqa: E402

# The modelled policies, simplest first; each is policy_NAME.py here.
POLICIES = ["fifo", "lru", "opt", "clock", "sieve", "2q", "s3fifo", "arc", "lirs",
            "lfu", "car", "aging", "wsclock", "gen", "clockpro"]
# What makes `swaplab sim` a pure policy run, for every policy: one
# eviction at a time. No prefetcher and no page buffering are its
# defaults.
BASE_SIM_ARGS = ["--batch", "1"]


def load(name):
    if name not in POLICIES:
        raise SystemExit("run.py: no model of '%s' (models: %s)" %
                         (name, " ".join(POLICIES)))
    return importlib.import_module("policy_" + name)


def departures(m, spec):
    """The departures --departures SPEC switches on for policy module m."""
    if spec == "module":
        chosen = list(m.DEPARTURES)
    elif spec == "paper":
        chosen = []
    else:
        chosen = [d for d in spec.split(",") if d and d != "-"]
    return Departures(list(m.DEPARTURES), chosen)


def jobs(path):
    """--jobs: one line of counts for each line of the file."""
    f = sys.stdin if path == "-" else open(path, encoding="ascii")
    traces = {}
    with f:
        for line in f:
            words = line.split()
            if not words:
                continue
            if len(words) != 5:
                print("run.py: --jobs: bad line: %s" % line.strip(),
                      file=sys.stderr)
                return 2
            name, tick, spec, frames, path = words
            m = load(name)
            if path not in traces:
                traces[path] = read_trace(path)
            counts = [m.faults(traces[path], int(fr), departures(m, spec),
                               {}, int(tick))
                      for fr in frames.split(",")]
            print(" ".join(words + [",".join(map(str, counts))]),
                  flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(
        description="Fault counts of reference models of the policies.")
    ap.add_argument("--policy")
    ap.add_argument("--frames")
    ap.add_argument("--departures", default="module")
    ap.add_argument("--tick", type=int, default=0)
    ap.add_argument("--knob", action="append", default=[])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--sim-args", action="store_true")
    ap.add_argument("--jobs")
    ap.add_argument("trace", nargs="?")
    a = ap.parse_args()

    if a.list:
        for name in POLICIES:
            m = load(name)
            print(" ".join([name, "tick" if getattr(m, "TICK", False)
                            else "-"] + list(m.DEPARTURES)))
        return 0
    if a.jobs:
        try:
            return jobs(a.jobs)
        except (OSError, ValueError, KeyError) as e:
            print("run.py: %s" % e, file=sys.stderr)
            return 2
    if not a.policy:
        ap.error("--policy is needed")
    m = load(a.policy)
    if a.sim_args:
        print(" ".join(BASE_SIM_ARGS + m.SIM_ARGS))
        return 0
    if not a.frames or not a.trace:
        ap.error("--frames and a TRACE are needed")
    knobs = {}
    for k in a.knob:
        name, sep, value = k.partition("=")
        if not sep:
            ap.error("--knob NAME=VALUE")
        knobs[name] = int(value, 0)
    unknown = set(knobs) - set(getattr(m, "KNOBS", {}))
    if unknown:
        ap.error("unknown knob(s) of %s: %s" % (a.policy,
                                                ", ".join(sorted(unknown))))
    try:
        dep = departures(m, a.departures)
        refs = read_trace(a.trace)
    except (OSError, ValueError) as e:
        print("run.py: %s" % e, file=sys.stderr)
        return 2
    for f in a.frames.split(","):
        frames = int(f)
        if frames < 1:
            ap.error("--frames: at least 1")
        print(m.faults(refs, frames, dep, knobs, a.tick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
