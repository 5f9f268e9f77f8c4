# SPDX-License-Identifier: GPL-2.0
#
# WSClock (module/policy/policy_wsclock.c) in the simulator. Sourced by
# sim_test.sh, whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# The working-set window. 3 frames, batch 1; time is the reference's
# number. The hand clears a referenced page's bit and stamps it with the
# time; it evicts the first unreferenced page last stamped more than tau
# ago, and after a lap that found none, the oldest stamped (the first
# such in the lap for a tie).
#  - 1 2 3 fill the ring. 1 is used. 5 faults at time 4: the hand clears
#    and stamps all three (time 4) and, finding none older than tau,
#    evicts 1, the first: ring 5 2 3, the hand at 2. 3 and 5 are used.
#  - 1 faults at time 7. 2 is unreferenced, stamped at 4.
#    - tau 2: 2 is older than tau, so the hand stops there and evicts
#      it, leaving 3's and 5's bits set. At time 8, 4 faults: the hand
#      finds 3, then (after a lap) 5 and 1 referenced, and clears and
#      stamps them; 3, cleared first, is the one unreferenced page it
#      met, so it goes: the last reference, 3, faults again. 7 faults.
#    - tau 1000: no page is older than tau, so the hand laps: it clears
#      and stamps 3 and 5 at time 7 and evicts 2, the oldest. At time 8
#      (4 faults), 3 and 5 are unreferenced since, both stamped at 7, and
#      5 comes first in the lap: 5 is evicted, and the last 3 is a hit.
#      6 faults.
# Clock faults as tau 2 does, 7; LRU 6. A smaller window evicts sooner.
echo "1 2 3 1 5 3 5 1 4 3" | tr ' ' '\n' >"$tmp/wsclock-tau"
expect "wsclock, tau 2: stops at the first page out of the window" \
	"$(faults "$tmp/wsclock-tau" 3 wsclock --knob tau_ms=2)" 7
expect "wsclock, tau 1000: laps and evicts the oldest" \
	"$(faults "$tmp/wsclock-tau" 3 wsclock --knob tau_ms=1000)" 6
expect "clock on the same string" "$(faults "$tmp/wsclock-tau" 3 clock)" 7
expect "lru on the same string" "$(faults "$tmp/wsclock-tau" 3 lru)" 6

# Its known counts on the zipf string at the module's batch, whole and
# resized (sim_test.sh's known).
known wsclock 7405 4356
