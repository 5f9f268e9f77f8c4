#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The privilege model is written once for people, in the table of
# Documentation/admin-guide/swaplab-privilege.rst, and once for the
# machine, in privilege_test's cells. This host check keeps the two the
# same: every cell must name a row of the table and expect what the row
# says for root, the node's owner, a group member and another user, and
# every row must be walked by at least one cell.
#
# Usage: privilege_table.sh [PRIVILEGE_TEST]
#        (default: selftests/privilege_test, which make -C selftests builds)
# Prints TAP; exits non-zero on any difference.

set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
test_bin=${1:-$top/selftests/privilege_test}
doc=$top/Documentation/admin-guide/swaplab-privilege.rst
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - privilege table: $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - privilege table: $1"; }

# The table's rows, as "operation<TAB>root<TAB>owner<TAB>group<TAB>other":
# a row starts at "   * - ", its first cell may go on over lines indented
# seven spaces, and each further cell is a "     - " line ("\-" is
# allowed); the sixth, the kernel's analogue, is not compared. The header
# row is left out.
awk '
	/^\.\. list-table::/ { on = 1; next }
	on && /^[^ ]/ { on = 0 }
	!on { next }
	function flush() {
		if (n == 6 && row[0] != "operation")
			printf "%s\t%s\t%s\t%s\t%s\n", row[0], row[1], row[2], row[3], row[4]
	}
	/^   \* - / { flush(); n = 0; delete row; row[n++] = substr($0, 8); next }
	/^     - / { v = substr($0, 8); if (v == "\\-") v = "-"; row[n++] = v; next }
	/^     -$/ { row[n++] = ""; next }
	/^       [^ ]/ && n == 1 { sub(/^ +/, ""); row[0] = row[0] " " $0; next }
	END { flush() }
' "$doc" >"$tmp/doc"

if ! "$test_bin" --table >"$tmp/cells" 2>"$tmp/err" || [ ! -s "$tmp/cells" ]; then
	not_ok "$test_bin --table failed: $(head -n1 "$tmp/err")"
	echo "# privilege table: $passed passed, $failed failed"
	exit 1
fi
if [ -s "$tmp/doc" ]; then
	ok "$(wc -l <"$tmp/doc") rows in the admin guide, $(wc -l <"$tmp/cells") cells in privilege_test"
else
	not_ok "no rows read from $doc"
fi

# Each cell: its row exists, with the same four answers.
while IFS=$'\t' read -r row r o g u; do
	want=$(awk -F'\t' -v row="$row" '$1 == row' "$tmp/doc")
	if [ -z "$want" ]; then
		not_ok "privilege_test names a row the admin guide does not have: '$row'"
	elif [ "$want" != "$row"$'\t'"$r"$'\t'"$o"$'\t'"$g"$'\t'"$u" ]; then
		not_ok "'$row': privilege_test expects $r $o $g $u, the admin guide says $(cut -f2- <<<"$want" | tr '\t' ' ')"
	fi
done <"$tmp/cells"
# Each row: walked by a cell.
while IFS=$'\t' read -r row _; do
	awk -F'\t' -v row="$row" '$1 == row { found = 1 } END { exit !found }' \
		"$tmp/cells" || not_ok "no cell of privilege_test walks the admin guide's row '$row'"
done <"$tmp/doc"
[ "$failed" = 0 ] && ok "every cell agrees with its row, and every row has a cell"
echo "# privilege table: $passed passed, $failed failed"
[ "$failed" = 0 ]
