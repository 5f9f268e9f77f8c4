#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reference models of the replacement policies, written from their
papers (common.py says how). Usage:

  run.py --policy NAME --frames N[,N...] [--departures module|paper|A,B]
         [--reference REF] [--tick T] [--knob NAME=VALUE]... TRACE
      the fault count at each frame count, one a line;
  run.py --list
      a line a policy: its name, "tick" if it ages at ticks (else "-"),
      and its departures;
  run.py --list --reference REF
      a line a policy that has REF's order: its name and REF's flags;
  run.py --sim-args --policy NAME [--sim-paper]
      the `swaplab sim` options whose run is the module's order, or,
      with --sim-paper, the order with every departure off that a
      simulator option or policy knob switches off (SIM_KNOBS);
  run.py --sim-paper --policy NAME
      those departures, one a line (none: no line);
  run.py --jobs FILE
      many runs at once: each line of FILE (- for stdin) is
      "POLICY TICK DEPARTURES FRAMES[,FRAMES...] TRACE" (TICK 0: the
      frame count; DEPARTURES as --departures, "-" for none), and each
      is printed back with the counts appended, comma-separated.

--departures: "module" (the default) switches on every departure the
policy's header names, "paper" none, "sim-paper" those that no
simulator option or knob switches off, or a comma-separated list of
names (none: ""). --tick: references per aging tick, as `swaplab sim --tick`
(default: the frame count), for the policies that age at ticks.

--reference REF: the order of another simulator, REF one of REFERENCES
(libcachesim: libCacheSim's cachesim): every flag of the model's table
for it (LIBCACHESIM) on, each a way in which that simulator departs
from the paper, read from its code, and, unless --departures says
otherwise, none of the module's departures ("paper"). A policy whose
model has no such table has no such order (an error); an empty table
says the simulator runs the paper's order. The flags are not the
module's: --list and --departures module never name them, and the
module's order never switches them on.
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
# The other simulators whose order a model may know: --reference NAME
# takes the flags of the model's table named here.
REFERENCES = {"libcachesim": "LIBCACHESIM"}


def load(name):
    if name not in POLICIES:
        raise SystemExit("run.py: no model of '%s' (models: %s)" %
                         (name, " ".join(POLICIES)))
    return importlib.import_module("policy_" + name)


def reference_flags(m, ref):
    """{flag: what it changes} of policy module m for reference REF,
    or None if the model knows no order of REF; {} for no REF."""
    if ref is None:
        return {}
    if ref not in REFERENCES:
        raise SystemExit("run.py: no reference '%s' (references: %s)" %
                         (ref, " ".join(sorted(REFERENCES))))
    return getattr(m, REFERENCES[ref], None)


def all_reference_flags(m):
    """Every reference flag that policy module m declares, any reference,
    that is not one of its departures too: a model asks for these with
    dep.on() whatever the order run, so they are always declared."""
    out = []
    for attr in REFERENCES.values():
        for f in getattr(m, attr, {}) or {}:
            if f not in m.DEPARTURES and f not in out:
                out.append(f)
    return out


def departures(m, spec, ref=None):
    """The departures --departures SPEC switches on for policy module m,
    with the flags of reference REF's order (--reference) on too."""
    if spec is None:
        spec = "paper" if ref else "module"
    flags = reference_flags(m, ref)
    if flags is None:
        raise ValueError("the model of %s has no %s order (no %s table)" %
                         (m.__name__[len("policy_"):], ref, REFERENCES[ref]))
    if spec == "module":
        chosen = list(m.DEPARTURES)
    elif spec == "paper":
        chosen = []
    elif spec == "sim-paper":
        chosen = [d for d in m.DEPARTURES if d not in sim_paper(m)]
    else:
        chosen = [d for d in spec.split(",") if d and d != "-"]
    unknown = set(chosen) - set(m.DEPARTURES)
    if unknown:
        # A reference's flag is not a departure of the module.
        raise ValueError("unknown departure(s): %s (known: %s)" %
                         (", ".join(sorted(unknown)),
                          ", ".join(m.DEPARTURES) or "none"))
    chosen += [f for f in flags if f not in chosen]
    return Departures(list(m.DEPARTURES) + all_reference_flags(m), chosen)


def sim_paper(m):
    """{departure: [`swaplab sim` options]}: the departures of policy
    module m that a simulator option switches off, from its SIM_KNOBS,
    where "NAME=VALUE" is a policy knob and "--OPTION" an option of its
    own."""
    out = {}
    for d, opts in getattr(m, "SIM_KNOBS", {}).items():
        if d not in m.DEPARTURES:
            raise SystemExit("run.py: SIM_KNOBS names %s, not a departure"
                             % d)
        args = []
        for o in opts.split():
            args += [o] if o.startswith("--") else ["--knob", o]
        out[d] = args
    return out


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
    ap.add_argument("--departures")
    ap.add_argument("--reference")
    ap.add_argument("--tick", type=int, default=0)
    ap.add_argument("--knob", action="append", default=[])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--sim-args", action="store_true")
    ap.add_argument("--sim-paper", action="store_true")
    ap.add_argument("--jobs")
    ap.add_argument("trace", nargs="?")
    a = ap.parse_args()

    if a.list:
        for name in POLICIES:
            m = load(name)
            if a.reference:
                flags = reference_flags(m, a.reference)
                if flags is not None:
                    print(" ".join([name] + list(flags)))
                continue
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
        args = BASE_SIM_ARGS + m.SIM_ARGS
        if a.sim_paper:
            for opts in sim_paper(m).values():
                args += opts
        print(" ".join(args))
        return 0
    if a.sim_paper:
        for d in sim_paper(m):
            print(d)
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
        dep = departures(m, a.departures, a.reference)
        refs = read_trace(a.trace)
    except (OSError, ValueError) as e:
        print("run.py: %s" % e, file=sys.stderr)
        return 2
    for f in a.frames.split(","):
        frames = int(f)
        if frames < 1:
            ap.error("--frames: at least 1")
        try:
            print(m.faults(refs, frames, dep, knobs, a.tick))
        except ValueError as e:
            # Flags that do not go together, or an order that fails.
            print("run.py: %s" % e, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
