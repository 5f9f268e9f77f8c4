#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Mutants of the DSM protocol engine (userspace/lib/dsm.c), each a
# mistake the protocol must not survive, built into the simulator of
# `swaplab dsm sim` (userspace/sim/dsm_sim.c) and run on the host: every
# mutant must break a promise the simulator checks (one writer or many
# readers a page, every read the last write, no mapping beyond the
# node's access, nothing stuck), and the engine as it is must keep them
# all on the same schedules. A mutant whose text no longer matches the
# engine is a failure too: the list goes with the code.
#
# Each runs 20 seeds of 3 nodes and 4 pages, half writes, evictions and
# pins at 5% of the steps, with the fixed manager and with the dynamic.
# TAP on standard output; exit 1 on any failure.

here=$(cd "$(dirname "$0")" && pwd)
top=$here/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}

# name|a sed -E script that makes the mutant
mutants='invalidation skipped|s/readers &= ~\(1ull << n->id\);/readers = 0;/
ownership without the data|/^\tmemcpy\(copy_of\(n, m->index\), data, n->page_size\);$/{N;s/^[^\n]*\n(\tpg->owner = true;)$/\1/}
a refused take-back taken as done|s/^(\t)if \(st < 0\)$/\1if (0)/
a write before the last acknowledgment|s/^(\t)if \(!pg->acks\)$/\1if (1)/
an owner that shares its page writable|s/if \(!take_back\(n, index, DSM_CLEAN\)\) \{/if (0) {/'

PLANNED=$(($(printf '%s\n' "$mutants" | wc -l) + 1))
echo "1..$PLANNED"
status=0
results=0
ok() { echo "ok - dsm mutants: $*"; results=$((results + 1)); }
not_ok() { echo "not ok - dsm mutants: $*"; results=$((results + 1)); status=1; }

# The simulator's driver: 20 seeds of one shape under each manager;
# exit 1 at the first broken promise, printing it.
cat >"$tmp/main.c" <<'EOF'
#include <stdio.h>
#include "sim/dsm_sim.h"

int main(void)
{
	struct dsm_sim_config cfg = {
		.nodes = 3, .pages = 4, .ops = 2000, .write_pct = 50,
		.evict_pct = 5, .pin_pct = 5,
	};
	struct dsm_sim_result res;

	for (int m = DSM_MGR_FIXED; m <= DSM_MGR_DYNAMIC; m++) {
		cfg.manager = m;
		for (cfg.seed = 1; cfg.seed <= 20; cfg.seed++) {
			int rc = dsm_sim_run(&cfg, &res);

			if (rc) {
				printf("%s manager, seed %llu: %s\n",
				       dsm_manager_name(m),
				       (unsigned long long)cfg.seed,
				       rc < 0 ? "error" : res.violation);
				return 1;
			}
		}
	}
	printf("every promise kept\n");
	return 0;
}
EOF

# build SRC OUT: the simulator's driver with SRC as the engine.
build() {
	$CC -O1 -I"$top/userspace" -I"$top/userspace/sim" -o "$2" \
		"$tmp/main.c" "$top/userspace/sim/dsm_sim.c" "$1" \
		>"$tmp/cc.log" 2>&1
}

if build "$top/userspace/lib/dsm.c" "$tmp/sim" && out=$("$tmp/sim"); then
	ok "the engine as it is: $out"
else
	not_ok "the engine as it is: $(cat "$tmp/cc.log") $out"
fi

printf '%s\n' "$mutants" | while IFS='|' read -r name script; do
	sed -E "$script" "$top/userspace/lib/dsm.c" >"$tmp/mutant.c"
	if cmp -s "$top/userspace/lib/dsm.c" "$tmp/mutant.c"; then
		not_ok "$name: its text is no longer in the engine"
	elif ! build "$tmp/mutant.c" "$tmp/mutant"; then
		not_ok "$name: does not build: $(head -c 300 "$tmp/cc.log")"
	elif out=$("$tmp/mutant"); then
		not_ok "$name: every promise kept"
	else
		ok "$name: $out"
	fi
done >"$tmp/tap"
cat "$tmp/tap"
grep -q '^not ok' "$tmp/tap" && status=1
results=$((results + $(grep -c '^\(not \)\{0,1\}ok' "$tmp/tap")))
if [ "$results" != "$PLANNED" ]; then
	echo "not ok - dsm mutants: the plan: $results results, $PLANNED planned"
	status=1
fi
exit $status
