# SPDX-License-Identifier: GPL-2.0
#
# Random (module/policy_random.c) in the simulator. Sourced by
# sim_test.sh, whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# A loop a little larger than memory: 110 pages, 20 passes, through 100
# frames ($tmp/loop110 from sim_test.sh). LRU, FIFO and clock each evict
# exactly the page the loop needs next and fault on every reference
# (2200). Random evicts the page needed next only by chance, 1 time in
# 100, so most of the loop stays: its faults must be well under half of
# LRU's, and no fewer than OPT's (300). The simulator's generator is
# seeded, so the count is the same every run (454); the test holds the
# bounds, not the draw.
r=$(faults "$tmp/loop110" 100 random)
l=$(faults "$tmp/loop110" 100 lru)
o=$(faults "$tmp/loop110" 100 opt)
if [ -n "$r" ] && [ -n "$l" ] && [ -n "$o" ] && [ "$l" = 2200 ] &&
   [ $((r * 2)) -lt "$l" ] && [ "$r" -ge "$o" ]; then
	ok "random on a loop of 110 pages, 100 frames: $r faults, lru $l, opt $o"
else
	not_ok "random on a loop of 110 pages, 100 frames: ${r:-missing} faults, lru ${l:-missing} (2200 wanted), opt ${o:-missing}"
fi
