#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's views of the module: `swaplab status --json` is one object
# with every knob and every counter, numbers as numbers; a process
# holding a region has its row in both views of status; `swaplab top`
# prints a header, then one line of rates per interval.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "status and top"
tap_plan 4
if ! swaplab status --json >/tmp/swaplab-status.json 2>/tmp/swaplab-status.err; then
	sed 's/^/# /' /tmp/swaplab-status.err
	not_ok "status --json: swaplab status --json failed"
else
	missing=
	while read -r name value; do
		grep -q "^    \"$name\": [0-9][0-9]*,\?$" /tmp/swaplab-status.json ||
			missing="$missing $name"
	done </sys/kernel/swaplab/stat
	for knob in frames policy swapfile; do
		grep -q "^    \"$knob\": " /tmp/swaplab-status.json ||
			missing="$missing $knob"
	done
	# The debugfs figures: regions, processes, latency per kind,
	# metadata.
	for key in '"regions": \[' '"procs": \[' '"fault_latency_ns": {' \
		   '"major": {"faults": [0-9]*, "p50": [0-9]*' '"total_bytes": [0-9]'; do
		grep -q "^ *$key" /tmp/swaplab-status.json ||
			missing="$missing $key"
	done
	if [ "$(head -n1 /tmp/swaplab-status.json)" = "{" ] &&
	   [ "$(tail -n1 /tmp/swaplab-status.json)" = "}" ] &&
	   grep -q '^    "policy": "[a-z]*",$' /tmp/swaplab-status.json &&
	   [ -z "$missing" ]; then
		ok "status --json: every counter and knob"
	else
		sed 's/^/# /' /tmp/swaplab-status.json
		not_ok "status --json: missing or malformed:$missing"
	fi
fi

# This shell opens the device: a region, charged to this shell.
exec 3<>/dev/swaplab
swaplab status --json >/tmp/swaplab-status.json 2>&1
swaplab status >/tmp/swaplab-status.txt 2>&1
exec 3<&-
id=$(sed -n 's/^    {"id": \([0-9]*\), "pid": '"$$"', "state": "live", "regions": 1, .*/\1/p' \
	/tmp/swaplab-status.json)
if [ -n "$id" ] &&
   grep -q "^    {\"id\": [0-9]*, .*\"proc\": $id}" /tmp/swaplab-status.json &&
   sed -n '/^processes:/,$p' /tmp/swaplab-status.txt |
	grep -qE "^ +$id +$$ +live +1 "; then
	ok "status: the shell holding a region has its process row, id $id"
else
	sed 's/^/# /' /tmp/swaplab-status.json /tmp/swaplab-status.txt
	not_ok "status: no process row for this shell ($$) and its region"
fi

if timeout 30 swaplab top --interval 200 --count 2 >/tmp/swaplab-top.log 2>&1 &&
   [ "$(wc -l </tmp/swaplab-top.log)" = 3 ] &&
   head -n1 /tmp/swaplab-top.log | grep -q 'faults/s' &&
   tail -n1 /tmp/swaplab-top.log | grep -qE '^ +[0-9]+ +[0-9]+ '; then
	ok "top: two lines of rates"
else
	sed 's/^/# /' /tmp/swaplab-top.log
	not_ok "top"
fi
timeout 30 swaplab top --bogus >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then
	ok "top: an unknown option exits 2"
else
	not_ok "top: an unknown option exited $rc"
fi
tap_end
