#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The built-in policies are listed once, in module/api/policy_list.h; the
# module, the simulator and the bench take the list from there. This host
# check fails when anything that cannot take it from there disagrees:
#  - each listed policy has its file, module/policy/policy_<name>.c,
#    defining swaplab_policy_<name> named "<name>", and each
#    module/policy/policy_*.c file is listed (the policies from outside,
#    the external pager's and the example policy module, are in
#    module/ext/);
#  - each has its own test, selftests/policies/<name>.sh;
#  - the table of policies in the admin guide (Documentation/admin-guide/
#    swaplab/policies.rst, "The policies") and the one in README.md have
#    a row for each listed policy and pager, in the list's order, and no
#    other;
#  - the ABI's available_policies entry names exactly the listed ones and
#    pager, in the list's order;
#  - the simulator's `swaplab sim --policy all` replays every one, if the
#    simulator is built (policies_test.sh takes its list from there, and
#    checks that the module registers the same).
# And the allocators, listed once in module/api/alloc_list.h: `swaplab sim
# --help` and swaplab.1 name them all as --allocator's values.
#
# Usage: policy_list.sh
# Prints TAP; exits non-zero on any difference.

set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - policy list: $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - policy list: $1"; }

list=$(sed -n 's/^SWAPLAB_POLICY(\([a-z0-9_]*\))$/\1/p' "$top/module/api/policy_list.h")
# The same, on one line.
words=$(echo "$list" | tr '\n' ' ')
words=${words% }
# Every line that names SWAPLAB_POLICY must be in the form the build reads.
odd=$(grep -n '^SWAPLAB_POLICY' "$top/module/api/policy_list.h" |
	grep -v '^[0-9]*:SWAPLAB_POLICY([a-z0-9_]*)$')
if [ -n "$list" ] && [ -z "$odd" ]; then
	ok "module/api/policy_list.h names $(echo "$list" | wc -l) policies: $words"
else
	not_ok "module/api/policy_list.h: no policy, or lines the build cannot read: ${odd:-none}"
fi

bad=
for p in $list; do
	f=$top/module/policy/policy_$p.c
	if [ ! -f "$f" ]; then
		bad="$bad $p (no module/policy/policy_$p.c)"
	elif ! grep -q "^struct swaplab_policy_ops swaplab_policy_$p = {" "$f" ||
	     ! grep -qE "^[[:space:]]*\.name[[:space:]]*= \"$p\"," "$f"; then
		bad="$bad $p (policy_$p.c defines no swaplab_policy_$p named \"$p\")"
	fi
done
for f in "$top"/module/policy/policy_*.c; do
	p=${f##*/policy_}
	p=${p%.c}
	grep -qx "$p" <<<"$list" || bad="$bad $p (module/policy/policy_$p.c is not listed)"
done
if [ -z "$bad" ]; then
	ok "each listed policy has its module/policy/policy_<name>.c, and each such file is listed"
else
	not_ok "files and list differ:$bad"
fi

bad=
for p in $list; do
	[ -f "$top/selftests/policies/$p.sh" ] || bad="$bad $p"
done
if [ -z "$bad" ]; then
	ok "each listed policy has its test, selftests/policies/<name>.sh"
else
	not_ok "no selftests/policies/<name>.sh for:$bad"
fi

# The first column of the guide's table: the names between its second
# and third rule, after the heading "The policies".
guide=$(awk '/^The policies$/ { on = 1 } on && /^=+ +=+$/ { r++; next }
	     r == 2 && /^[a-z0-9_]+ / { print $1 } r == 3 { exit }' \
	"$top/Documentation/admin-guide/swaplab/policies.rst" | tr '\n' ' ')
guide=${guide% }
if [ "$guide" = "$words pager" ]; then
	ok "the admin guide's table of policies has a row for each listed policy and pager, in order"
else
	not_ok "the admin guide's table of policies has '${guide:-no row}', the list and pager are '$words pager'"
fi
# README's table: the rows under "## Policies" whose first cell starts
# with a name in backquotes, but mru's (a module of its own,
# policy_mru_mod.c, not built in).
readme=$(awk '/^## / { on = ($0 == "## Policies") } on && /^\| `[a-z0-9_]+`/ {
		split($0, c, "`"); if (c[2] != "mru") print c[2] }' "$top/README.md" |
	tr '\n' ' ')
readme=${readme% }
if [ "$readme" = "$words pager" ]; then
	ok "README's table of policies has a row for each listed policy and pager, in order"
else
	not_ok "README's table of policies has '${readme:-no row}', the list and pager are '$words pager'"
fi

abi=$(awk '/Built in:/ { on = 1 } on { printf "%s ", $0 } on && / pager/ { exit }' \
	"$top/Documentation/ABI/testing/sysfs-kernel-swaplab" |
	sed 's/.*Built in: //; s/ pager .*/ pager/; s/[[:space:]][[:space:]]*/ /g')
if [ "$abi" = "$words pager" ]; then
	ok "the ABI's available_policies names the list and pager"
else
	not_ok "the ABI's available_policies names '$abi', the list '$words pager'"
fi

if [ -x "$top/userspace/swaplab" ]; then
	echo 1 2 3 4 1 2 5 1 2 3 4 5 >"${TMPDIR:-/tmp}/policy_list.$$"
	sim=$("$top/userspace/swaplab" sim "${TMPDIR:-/tmp}/policy_list.$$" --frames 3 \
		--policy all | awk 'NR > 1 { print $1 }')
	rm -f "${TMPDIR:-/tmp}/policy_list.$$"
	bad=
	for p in $list; do
		grep -qx "$p" <<<"$sim" || bad="$bad $p"
	done
	if [ -n "$sim" ] && [ -z "$bad" ]; then
		ok "swaplab sim --policy all replays each listed policy"
	else
		not_ok "swaplab sim --policy all lacks:${bad:- every policy (no output)}"
	fi
else
	not_ok "no userspace/swaplab to ask: build it first (make userspace)"
fi

# The allocators, listed once in module/api/alloc_list.h: the simulator
# compiles them from there; its --help and the manual page name each.
alist=$(sed -n 's/^SWAPLAB_ALLOCATOR(\([a-z0-9_]*\))$/\1/p' "$top/module/api/alloc_list.h")
aword=$(echo "$alist" | tr '\n' '|' | sed 's/|$//')
# The help is read whole first: piped into grep -q, which leaves at the
# match, its second write could die of SIGPIPE, failing the pipe.
help=$([ -x "$top/userspace/swaplab" ] && "$top/userspace/swaplab" sim --help)
if [ -n "$help" ] && grep -qF -- "--allocator $aword]" <<<"$help" &&
   grep -qF -- "\fB\-\-allocator $(echo "$alist" | sed 's/$/\\fR|\\fB/' | tr -d '\n' | sed 's/\\fR|\\fB$/\\fR]/')" \
	"$top/userspace/cli/swaplab.1"; then
	ok "swaplab sim --help and swaplab.1 name the allocators of the list ($aword)"
else
	not_ok "swaplab sim --help or swaplab.1 does not name the allocators $aword as --allocator's"
fi

echo "# policy list: pass $passed fail $failed"
[ $failed = 0 ]
