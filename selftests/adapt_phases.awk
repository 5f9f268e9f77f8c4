# SPDX-License-Identifier: GPL-2.0
#
# A string in phases, for the adaptive policy's tests (policies/adapt.sh
# in the simulator, policies_test.sh on the module): a loop of L pages,
# P passes; then S sets of K pages, one after the other, each read R
# times in a scrambled order (a different one each pass); then the loop
# again, on pages of its own. One page number a line.
#
# Usage: awk -v L=... -v P=... -v S=... -v K=... -v R=... -f adapt_phases.awk

function loop(base, n, passes,   p, x) {
	for (p = 0; p < passes; p++)
		for (x = 0; x < n; x++)
			print base + x
}

BEGIN {
	loop(1000000, L, P)
	for (s = 0; s < S; s++)
		for (r = 0; r < R; r++)
			for (i = 0; i < K; i++)
				print s * K + (i * (2 * r + 7) * 7919) % K
	loop(2000000, L, P)
}
