#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A policy in a module of its own (swaplab_mru.ko, whose path is the
# first argument when modprobe cannot find it): it registers, can be
# selected, cannot be unloaded while selected, and beats fifo and aging
# on the loop it is for; then loaded, selected and unloaded again and
# again under load.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

mru_ko=${1:-swaplab_mru.ko}
need_swaplab "policy module"
if ! modprobe -q swaplab_mru 2>/dev/null && ! insmod "$mru_ko" 2>/dev/null; then
	# The script's one result is its SKIP.
	tap_plan 1
	skip "policy module" "swaplab_mru.ko not found"
	tap_end
fi
tap_plan 6
frames=$(cat $knobs/frames) policy=$(cat $knobs/policy)
if grep -qw mru $knobs/available_policies &&
   echo mru >$knobs/policy && [ "$(cat $knobs/policy)" = mru ]; then
	ok "policy module: mru registered and selected"
else
	not_ok "policy module: mru not registered or not selectable"
fi
echo 1024 >$knobs/frames
if swaplab bench seq --size 8M --passes 2 >/tmp/swaplab-mru.log 2>&1; then
	ok "policy module: 8 MiB over a 4 MiB budget verified under mru"
else
	sed 's/^/# /' /tmp/swaplab-mru.log
	not_ok "policy module: workload under mru"
fi
# A loop a little larger than the budget (288 pages, 256 frames) is
# what MRU is for: every other policy here faults on every reference
# (8640), MRU keeps most of the loop (2144 on 6.12). On the module,
# daemon=0, MRU must take under half the faults of fifo and aging.
swaplab gen loop --pages 288 --refs 8640 >/tmp/swaplab-loop.trace
daemon=$(cat $knobs/daemon) ra=$(cat $knobs/readahead)
pb=$(cat $knobs/page_buffering)
echo 0 >$knobs/daemon
echo 0 >$knobs/readahead
echo 0 >$knobs/page_buffering
echo 256 >$knobs/frames
loopf=
for p in mru fifo aging; do
	echo $p >$knobs/policy
	swaplab bench trace /tmp/swaplab-loop.trace >/tmp/swaplab-loop.log 2>&1
	loopf="$loopf $(modfaults /tmp/swaplab-loop.log)"
done
echo mru >$knobs/policy
echo "$daemon" >$knobs/daemon
echo "$ra" >$knobs/readahead
echo "$pb" >$knobs/page_buffering
read -r f_mru f_fifo f_aging <<EOT
$loopf
EOT
if [ -n "$f_aging" ] && [ $((2 * f_mru)) -lt "$f_fifo" ] &&
   [ $((2 * f_mru)) -lt "$f_aging" ]; then
	ok "policy module: mru beats fifo and aging on a loop over the budget ($f_mru against $f_fifo and $f_aging faults)"
else
	not_ok "policy module: mru $f_mru faults on a loop over the budget, fifo ${f_fifo:-missing}, aging ${f_aging:-missing}"
fi
if rmmod swaplab_mru 2>/dev/null; then
	not_ok "policy module: rmmod succeeded while selected"
else
	ok "policy module: rmmod refused while selected"
fi
echo aging >$knobs/policy
echo "$frames" >$knobs/frames
if rmmod swaplab_mru && ! grep -qw mru $knobs/available_policies; then
	ok "policy module: unregistered by rmmod once deselected"
else
	not_ok "policy module: rmmod after deselecting"
fi

# Under load, 20 rounds of: load the policy module, select it,
# switch away, unload it. Reclaim and the aging work read the
# current policy without its mutex; they must never touch a
# policy module's ops once it is gone (the debug kernel's KASAN
# would report it; the run fails on any report). The verifying
# workload runs again and again until the rounds are done, so the
# count does not depend on the machine's speed.
echo 1024 >$knobs/frames
rm -f /tmp/swaplab-mru-stop /tmp/swaplab-mru-fail /tmp/swaplab-mru-loop.log
(
	while [ ! -e /tmp/swaplab-mru-stop ]; do
		swaplab bench seq --size 8M --passes 1 \
			>>/tmp/swaplab-mru-loop.log 2>&1 ||
			{ touch /tmp/swaplab-mru-fail; exit 1; }
	done
) &
load=$!
rounds=0
while [ $rounds -lt 20 ]; do
	{ modprobe -q swaplab_mru 2>/dev/null || insmod "$mru_ko"; } &&
		echo mru >$knobs/policy && echo clock >$knobs/policy &&
		echo aging >$knobs/policy && rmmod swaplab_mru || break
	rounds=$((rounds + 1))
done
touch /tmp/swaplab-mru-stop
wait $load
if [ $rounds = 20 ] && [ ! -e /tmp/swaplab-mru-fail ] &&
   ! grep -qw mru $knobs/available_policies; then
	ok "policy module: 20 load/select/unload rounds under load, data verified"
else
	tail -n 20 /tmp/swaplab-mru-loop.log | sed 's/^/# /'
	not_ok "policy module: $rounds of 20 load/select/unload rounds under load"
fi
echo "$frames" >$knobs/frames
echo "$policy" >$knobs/policy
tap_end
