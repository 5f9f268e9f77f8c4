#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /sys/kernel/swaplab/pressure: the time tasks wait for swaplab's frames
# and I/O, in /proc/pressure/memory's two lines. Paging a region four
# times the budget in a random order, with the daemon off (the faulting
# thread reclaims) and on (it waits for swaplabd), makes some's total
# grow and its avg10 leave zero; with two processes paging at once, full
# (both stalled) grows, and less than some (either); idle, the totals
# stay; full's total is never above some's; the file cannot be written.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "pressure"
tap_plan 8
p=$knobs/pressure
num='[0-9]+\.[0-9][0-9]'
fmt="avg10=$num avg60=$num avg300=$num total=[0-9]+\$"

# field STATE NAME: NAME's value on STATE's line (some or full).
field() {
	awk -v s="$1" -v n="$2" '$1 == s { for (i = 2; i <= NF; i++)
		if (index($i, n "=") == 1) print substr($i, length(n) + 2) }' $p
}

show() {
	sed 's/^/# /' $p
}

if [ "$(wc -l <$p)" = 2 ] &&
   sed -n 1p $p | grep -Eq "^some $fmt" &&
   sed -n 2p $p | grep -Eq "^full $fmt"; then
	ok "pressure: some and full lines in /proc/pressure/memory's format"
else
	show
	not_ok "pressure: format"
fi

s_frames=$(cat $knobs/frames) s_daemon=$(cat $knobs/daemon)
echo 1024 >$knobs/frames

# paging DAEMON: some's total grows over a random run at 4x the budget.
paging() {
	echo "$1" >$knobs/daemon
	before=$(field some total)
	if ! swaplab bench rand --size 16M --passes 3 >/tmp/swaplab-psi.log 2>&1; then
		sed 's/^/# /' /tmp/swaplab-psi.log
		not_ok "pressure: daemon=$1: bench rand failed"
		return
	fi
	after=$(field some total)
	echo "# daemon=$1: some total $before -> $after us"
	show
	if [ "$after" -gt "$before" ]; then
		ok "pressure: daemon=$1: some total grows under paging"
	else
		not_ok "pressure: daemon=$1: some total $before -> $after"
	fi
}
paging 0
paging 1

# Two processes paging at once, each in its own region: each is a group,
# and full counts only while every active group is stalled (both, until
# one ends). Each stalls on most of its faults (a free frame from
# swaplabd, its page's read), so full grows; some grows more, as it also
# counts the time one is stalled while the other runs.
echo 1 >$knobs/daemon
some=$(field some total) full=$(field full total)
swaplab bench rand --size 8M --passes 3 >/tmp/swaplab-psi2.log 2>&1 &
other=$!
swaplab bench rand --size 8M --passes 3 >/tmp/swaplab-psi.log 2>&1
rc=$?
wait $other || rc=$?
dsome=$(($(field some total) - some)) dfull=$(($(field full total) - full))
echo "# two processes: some +$dsome us, full +$dfull us"
show
if [ $rc != 0 ]; then
	sed 's/^/# /' /tmp/swaplab-psi.log /tmp/swaplab-psi2.log
	not_ok "pressure: two processes: bench rand failed"
elif [ "$dfull" -gt 0 ] && [ "$dfull" -lt "$dsome" ]; then
	ok "pressure: two processes: full grows (+$dfull us), less than some (+$dsome us)"
else
	not_ok "pressure: two processes: full +$dfull us, some +$dsome us"
fi

avg=$(field some avg10)
if [ "${avg%.*}${avg#*.}" -gt 0 ]; then
	ok "pressure: some avg10 $avg after paging"
else
	show
	not_ok "pressure: some avg10 still $avg after paging"
fi

echo "$s_frames" >$knobs/frames
echo "$s_daemon" >$knobs/daemon

some=$(field some total) full=$(field full total)
sleep 3
if [ "$(field some total)" = "$some" ] && [ "$(field full total)" = "$full" ]; then
	ok "pressure: totals unchanged while idle"
else
	show
	not_ok "pressure: totals moved while idle (some $some, full $full before)"
fi

some=$(field some total) full=$(field full total)
if [ "$full" -le "$some" ]; then
	ok "pressure: full total $full <= some total $some"
else
	not_ok "pressure: full total $full > some total $some"
fi

if (echo "some avg10=0.00" >$p) 2>/dev/null; then
	not_ok "pressure: a write succeeded"
else
	ok "pressure: writes fail"
fi
tap_end
