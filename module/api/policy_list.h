/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The built-in replacement policies, one line each, in the order the
 * module registers them and the simulator lists them. This file is the
 * only list:
 *  - SWAPLAB_POLICY(name) stands for module/policy_<name>.c, whose ops
 *    are struct swaplab_policy_ops swaplab_policy_<name>, named "<name>";
 *  - C code defines SWAPLAB_POLICY() and includes this file (policy.h
 *    declares the ops, main.c and the simulator build their tables);
 *  - module/Kbuild and userspace/Makefile build the objects it names;
 *  - tools/testing/bench-report reads it for the recorded programs' table;
 *  - tools/testing/policy_list.sh checks that each policy has its file,
 *    its test (selftests/policies/<name>.sh) and its documentation entry.
 *
 * Each line is exactly "SWAPLAB_POLICY(name)": the build reads it with
 * sed. The external pager (policy_pager.c) is not a built-in algorithm
 * and is registered apart.
 */
SWAPLAB_POLICY(aging)
SWAPLAB_POLICY(clock)
SWAPLAB_POLICY(fifo)
SWAPLAB_POLICY(random)
SWAPLAB_POLICY(wsclock)
SWAPLAB_POLICY(s3fifo)
SWAPLAB_POLICY(sieve)
SWAPLAB_POLICY(2q)
SWAPLAB_POLICY(car)
SWAPLAB_POLICY(clockpro)
SWAPLAB_POLICY(lfu)
SWAPLAB_POLICY(gen)
SWAPLAB_POLICY(adapt)
