# SPDX-License-Identifier: GPL-2.0
#
# Aging (module/policy/policy_aging.c) in the simulator. Sourced by sim_test.sh,
# whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# What a counter shifted once a tick cannot tell: the order of the uses
# within one tick. 3 frames, batch 1, a tick every 4 references (before
# the fifth, the ninth, ...).
#  - 1 2 3 fault; each starts with its counter's top bit (128), and its
#    restart sets its bit again. 1 is used. At the tick every counter is
#    shifted and the bit added: 192 for all three, in their order of
#    admission.
#  - 4 faults: the smallest counter, oldest first, is 1's, though 1 is the
#    most recently used. LRU evicts 2, unused the longest.
#  - 1 is used: a fault under aging, a hit under LRU.
# So aging faults 5 times, LRU 4. With a tick before every reference the
# counters keep the order: at 4's fault 1 has 152 (used in the last
# tick), 2 48 and 3 96, and 2 is evicted as under LRU (FIFO, which evicts
# 1, faults 5 times).
echo "1 2 3 1 4 1" | tr ' ' '\n' >"$tmp/aging-tick"
expect "aging: uses within one tick are equal, 3 frames, a tick every 4" \
	"$(faults "$tmp/aging-tick" 3 aging --tick 4)" 5
expect "aging: a tick every reference orders them, as LRU" \
	"$(faults "$tmp/aging-tick" 3 aging --tick 1)" 4
expect "lru on the same string" "$(faults "$tmp/aging-tick" 3 lru)" 4

# Its known counts on the zipf string at the module's batch, whole and
# resized (sim_test.sh's known); sim_test.sh also holds it within 1.1x of
# exact LRU on the generated workloads.
known aging 7334 4242
