# SPDX-License-Identifier: GPL-2.0
#
# Clock (module/policy/policy_clock.c) in the simulator. Sourced by sim_test.sh,
# whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# Second chance, and what one bit cannot tell. 3 frames, batch 1; every
# reference sets the page's bit, and a fault's restart sets it too.
#  - 1 2 3 fill the ring (in that order, all referenced). 4 faults: the
#    hand clears 1, 2 and 3 in a lap and evicts 1 on the next: ring 4 2 3,
#    the hand at 2, only 4 referenced.
#  - 2 is used (referenced again). 5 faults: the hand clears 2 and passes
#    it, and evicts 3, unreferenced since the lap: second chance kept 2,
#    which FIFO evicts here (it faults on the next 2 as well). Ring 4 2 5.
#  - 2 and 4 are used, so all three bits are set again. 6 faults: the hand
#    clears the ring in a lap and evicts 4, the first it meets, though 4
#    is the most recently used. LRU evicts 5, unused the longest, and hits
#    on the last 4, where clock faults.
# So clock faults 7 times: 1 2 3 4 5 6 4. LRU 6 (1 2 3 4 5 6); FIFO 8
# (1 2 3 4 5 2 6 4).
echo "1 2 3 4 2 5 2 4 6 4" | tr ' ' '\n' >"$tmp/clock-chance"
expect "clock: second chance keeps 2, one bit loses 4's order, 3 frames" \
	"$(faults "$tmp/clock-chance" 3 clock)" 7
expect "lru on the same string" "$(faults "$tmp/clock-chance" 3 lru)" 6
expect "fifo on the same string" "$(faults "$tmp/clock-chance" 3 fifo)" 8

# Its known counts on the zipf string at the module's batch, whole and
# resized (sim_test.sh's known).
known clock 7564 4431
