#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The simulator against reference models of its policies: each policy in
# selftests/reference/ is written from its paper in Python, with a switch
# for every departure from the paper that its module/policy/policy_*.c header
# names (lru, opt, arc and lirs are the simulator's own, with none); with
# all of them on it must give `swaplab sim`'s fault count exactly, on the
# same string and frame count. A count that differs is a
# policy that does something its header does not say, or a model that is
# wrong: either way, not ok. Unlike tools/testing/reference.sh, it needs
# nothing but python3, and runs on the host.
#
# Strings: two worked by hand, at 3 and 4 frames, whose textbook counts
# FIFO, LRU and OPT must also give (Belady's 1 2 3 4 1 2 5 1 2 3 4 5:
# FIFO 9 and 10, LRU 10 and 8, OPT 7 and 6; Silberschatz, Galvin and
# Gagne's 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1: FIFO 15 and 10, LRU 12
# and 8, OPT 9 and 8); `swaplab gen` zipf, hotcold, a loop of 300
# pages and a sequential sweep of 200; and a recorded program,
# reference/xz.pages: 6000 data references of xz compressing a file, as
# valgrind's lackey records them, by page (its header says how they were
# taken; `swaplab record` needs the module, so the string is kept in the
# tree). These five at 10, 60 and 250 frames (the loop longer than
# memory; 250 frames make the ghost queues' quantum more than one id).
# The simulator runs one eviction at a time (`run.py --sim-args`); a
# policy that ages at ticks is also compared with a tick every
# reference. Each line also gives the model's count in the paper's
# order, all departures off: the departures' cost.
#
# A departure that a policy knob or a simulator option switches off
# (the model's SIM_KNOBS) is checked off as well: for each policy with
# any, every string again with all of them switched off in the
# simulator, against the model with those departures off and the
# others on, exactly ("sim-paper" lines). Where every departure of a
# policy can be switched off, that is the paper's own order.
#
# The random policy's counts are random: reference/random_check.py
# compares the distribution of its counts over thousands of processes of
# one run with the exact distribution of uniform random replacement, and
# which frame it chooses with the uniform, each check failing a correct
# policy with probability below 1e-6 (its header says how); its lines
# come last.
#
# TAP, planned first; a last line "# reference models: N passed, N
# failed"; exit 1 on any failure or a line missing, 4 (skip) without
# python3.
#
# SWAPLAB: the swaplab CLI (default: userspace/swaplab beside this tree),
#          e.g. a build with a policy changed, which must go red.
# PYTHON:  the Python 3 to run the models with (default: python3).

here=$(cd "$(dirname "$0")" && pwd)
swaplab=${SWAPLAB:-$here/../userspace/swaplab}
python=${PYTHON:-python3}
run="$here/reference/run.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

GEN="zipf hotcold loop seq xz"
SIZES="10 60 250"
HAND="belady sgg"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 6))' 2>/dev/null; then
	echo "1..0 # SKIP no Python 3 ($python)"
	exit 4
fi
if ! policies=$("$python" "$run" --list); then
	echo "1..1"
	echo "not ok 1 - reference models: run.py --list failed"
	exit 1
fi

# The modes of each policy: "module", and "sim-paper" for one that has
# departures the simulator can switch off.
for p in $(echo "$policies" | awk '{ print $1 }'); do
	echo "$p module"
	if ! d=$("$python" "$run" --sim-paper --policy "$p"); then
		echo "$p broken"
	elif [ -n "$d" ]; then
		echo "$p sim-paper"
	fi
done >"$tmp/modes"
if grep -q ' broken$' "$tmp/modes"; then
	echo "1..1"
	echo "not ok 1 - reference models: run.py --sim-paper failed"
	exit 1
fi

# The plan: per policy and mode, every hand string at 3 and 4 frames
# and every generated or recorded one at every size; again with a tick
# every reference for those that tick; and random's checks.
nhand=$(($(echo $HAND | wc -w) * 2))
ngen=$(($(echo $GEN | wc -w) * $(echo $SIZES | wc -w)))
echo "$policies" >"$tmp/policies"
npol=$(wc -l <"$tmp/modes")
ntick=$(awk 'NR == FNR { if ($2 == "tick") t[$1] = 1; next } t[$1]' \
	"$tmp/policies" "$tmp/modes" | wc -l)
if ! nrandom=$("$python" "$here/reference/random_check.py" --plan); then
	echo "1..1"
	echo "not ok 1 - reference models: random_check.py --plan failed"
	exit 1
fi
plan=$((npol * (nhand + ngen) + ntick * ngen + nrandom))
echo "1..$plan"

n=0 pass=0 fail=0
ok() { n=$((n + 1)) pass=$((pass + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)) fail=$((fail + 1)); echo "not ok $n - $*"; }

if [ ! -x "$swaplab" ]; then
	echo "# no swaplab at $swaplab (make -C userspace)"
	echo "# reference models: 0 passed, $plan failed"
	exit 1
fi

echo "1 2 3 4 1 2 5 1 2 3 4 5" >"$tmp/belady"
echo "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1" >"$tmp/sgg"
"$swaplab" gen zipf --pages 1000 --refs 6000 >"$tmp/zipf"
"$swaplab" gen hotcold --pages 1000 --refs 6000 >"$tmp/hotcold"
"$swaplab" gen loop --pages 300 --refs 3000 >"$tmp/loop"
"$swaplab" gen seq --pages 200 --refs 2000 >"$tmp/seq"
cp "$here/reference/xz.pages" "$tmp/xz"

# textbook POLICY STRING FRAMES: the count worked by hand, if any.
textbook() {
	case $1.$2.$3 in
	fifo.belady.3) echo 9 ;; fifo.belady.4) echo 10 ;;
	lru.belady.3) echo 10 ;; lru.belady.4) echo 8 ;;
	opt.belady.3) echo 7 ;; opt.belady.4) echo 6 ;;
	fifo.sgg.3) echo 15 ;; fifo.sgg.4) echo 10 ;;
	lru.sgg.3) echo 12 ;; lru.sgg.4) echo 8 ;;
	opt.sgg.3) echo 9 ;; opt.sgg.4) echo 8 ;;
	esac
}

# The runs: a line "POLICY MODE TICK SIZES STRING" each, TICK 0 for the
# simulator's default (the frame count).
while read -r p mode; do
	for s in $HAND; do
		echo "$p $mode 0 3,4 $s"
	done
	for s in $GEN; do
		echo "$p $mode 0 $(echo $SIZES | tr ' ' ,) $s"
	done
	if awk -v p="$p" '$1 == p && $2 == "tick" { f = 1 } END { exit !f }' "$tmp/policies"; then
		for s in $GEN; do
			echo "$p $mode 1 $(echo $SIZES | tr ' ' ,) $s"
		done
	fi
done <"$tmp/modes" >"$tmp/runs"
while read -r p mode; do
	if [ "$mode" = module ]; then
		echo "$p $mode $("$python" "$run" --sim-args --policy "$p")"
	else
		echo "$p $mode $("$python" "$run" --sim-args --sim-paper --policy "$p")"
	fi
done <"$tmp/modes" >"$tmp/simargs"
# The departures the sim-paper lines switch off, as "POLICY A, B".
awk '$2 == "sim-paper" { print $1 }' "$tmp/modes" | while read -r p; do
	echo "$p $("$python" "$run" --sim-paper --policy "$p" | paste -s -d, - | sed 's/,/, /g')"
done >"$tmp/off"

# The models, all in two processes (one a core): as the module runs and
# as the paper does, and with what the simulator can switch off, off.
awk -v d="$tmp" '
	$2 == "module" { print $1, $3, "module", $4, d "/" $5; print $1, $3, "paper", $4, d "/" $5 }
	$2 == "sim-paper" { print $1, $3, "sim-paper", $4, d "/" $5 }' \
	"$tmp/runs" >"$tmp/jobs"
half=$((($(wc -l <"$tmp/jobs") + 1) / 2))
head -n "$half" "$tmp/jobs" >"$tmp/jobs.1"
tail -n +"$((half + 1))" "$tmp/jobs" >"$tmp/jobs.2"
"$python" "$run" --jobs "$tmp/jobs.1" >"$tmp/models.1" 2>"$tmp/err.1" &
"$python" "$run" --jobs "$tmp/jobs.2" >"$tmp/models.2" 2>"$tmp/err.2"
wait
cat "$tmp/models.1" "$tmp/models.2" >"$tmp/models"
err=$(cat "$tmp/err.1" "$tmp/err.2" | head -n 1)

# model POLICY TICK DEPARTURES STRING FRAMES: a model's count.
model() {
	awk -v p="$1" -v t="$2" -v d="$3" -v s="$tmp/$4" -v f="$5" '
		$1 == p && $2 == t && $3 == d && $5 == s {
			n = split($4, fr, ","); split($6, c, ",")
			for (i = 1; i <= n; i++)
				if (fr[i] == f)
					print c[i]
		}' "$tmp/models"
}

# sim STRING FRAMES TICK POLICY MODE: the simulator's count, from one
# run of every policy for each string, size, tick and run.py --sim-args,
# or, if that run has no count for POLICY, from a run of POLICY alone.
sim() {
	a=$(awk -v p="$4" -v m="$5" '$1 == p && $2 == m { $1 = $2 = ""; print }' "$tmp/simargs")
	o="$tmp/sim.$1.$2.$3.$(echo "$a" | tr -c 'a-z0-9\n' _)"
	if [ ! -e "$o" ]; then
		if [ "$3" = 0 ]; then
			"$swaplab" sim "$tmp/$1" --frames "$2" --policy all $a
		else
			"$swaplab" sim "$tmp/$1" --frames "$2" --policy all $a --tick "$3"
		fi >"$o" 2>&1
	fi
	c=$(awk -v p="$4" '$1 == p { print $2 }' "$o")
	if [ -n "$c" ]; then
		echo "$c"
		return
	fi
	# One policy that fails must not hide the others' counts.
	if [ "$3" = 0 ]; then
		"$swaplab" sim "$tmp/$1" --frames "$2" --policy "$4" $a
	else
		"$swaplab" sim "$tmp/$1" --frames "$2" --policy "$4" $a --tick "$3"
	fi 2>&1 | awk -v p="$4" '$1 == p { print $2 }'
}

while read -r p mode t sizes s; do
	for f in $(echo "$sizes" | tr , ' '); do
		if [ "$mode" = module ]; then
			mf=$(model "$p" "$t" module "$s" "$f")
			k=$(textbook "$p" "$s" "$f")
			on=
		else
			mf=$(model "$p" "$t" sim-paper "$s" "$f")
			k=
			on=" with $(awk -v p="$p" '$1 == p { sub(/^[^ ]* /, ""); print }' "$tmp/off") off"
		fi
		qf=$(model "$p" "$t" paper "$s" "$f")
		sf=$(sim "$s" "$f" "$t" "$p" "$mode")
		[ "$t" = 0 ] && at="$p$on, $s, $f frames" ||
			at="$p$on, $s, $f frames, --tick $t"
		what="model $mf, sim $sf${k:+, textbook $k}; paper ${qf:-?}"
		if [ -z "$mf" ] || [ -z "$sf" ]; then
			not_ok "$at: no count (model '$mf'${err:+: $err}, sim '$sf')"
		elif [ "$mf" != "$sf" ] || { [ -n "$k" ] && [ "$k" != "$sf" ]; }; then
			not_ok "$at: $what: differ"
		else
			ok "$at: $what"
		fi
	done
done <"$tmp/runs"

# random: the strings, a run of each, and the checks' verdicts.
mkdir "$tmp/random"
"$python" "$here/reference/random_check.py" --write "$tmp/random" |
while read -r f fr; do
	"$swaplab" sim "$f" --frames "$fr" --policy random --batch 1 --json \
		>"$f.json" 2>"$f.err" || cat "$f.err" >&2
done
"$python" "$here/reference/random_check.py" --check "$tmp/random" \
	>"$tmp/random/verdicts" 2>&1
i=0
while [ "$i" -lt "$nrandom" ]; do
	i=$((i + 1))
	l=$(sed -n "${i}p" "$tmp/random/verdicts")
	case $l in
	"ok - "*) ok "${l#ok - }" ;;
	"not ok - "*) not_ok "${l#not ok - }" ;;
	*) not_ok "random: check $i: no verdict (${l:-none})" ;;
	esac
done

status=0
if [ "$n" -ne "$plan" ]; then
	echo "# reference models: $n lines of the $plan planned"
	status=1
fi
[ "$fail" -eq 0 ] || status=1
echo "# reference models: $pass passed, $fail failed"
exit $status
