#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "native manner" of upgrading an element, as a Click-style restart does
# it: delete the element and its state, unload every atom module, load the
# new DAG's modules again, (optionally wait DELAY seconds), create the
# element from the new DAG.  Used as the client's --hook by walkthrough.sh.
#
#   [NATIVE_SHOW=FILE] native-restart.sh NS NE DAG DELAY MODULE...
#
# NS is the namespace of the element; MODULE... the atom modules the new DAG
# needs (clickup_atom_<type>).  The state tables outlive their NE (see
# docs/state.md), so "and its state" is explicit: `clickupctl state delete`
# of every table of the namespace (the demo's namespace holds only this NE).
# NATIVE_SHOW: where to write `show NE -j` just before the delete (the old
# element's counters).  Prints one line of step timings (ms).
set -u
NS=$1 NE=$2 DAG=$3 DELAY=$4
shift 4
REPO=${CLICKUP_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
CTL=${CLICKUPCTL:-$REPO/ctl/clickupctl}
SHOW=${NATIVE_SHOW:-/dev/null}
rc=0

# $EPOCHREALTIME, not $(date): a fork+exec costs 0.1-0.6 s under TCG.
ms() { local t=${EPOCHREALTIME/[.,]/}; printf -v "$1" %d $(( (t - $2) / 1000 )); }
ctl() { ip netns exec "$NS" "$CTL" "$@"; }

t0=${EPOCHREALTIME/[.,]/}
# The tables now, then one clickupctl process: the old element's counters,
# delete it, delete its tables.
tables=$(ctl state list 2>/dev/null | awk 'NR > 1 {print $1}')
{
	echo "show $NE -j"
	echo "delete $NE"
	for tb in $tables; do echo "state delete $tb"; done
} | ctl batch - >"$SHOW" || rc=1
ms delete_ms "$t0"

# Unload every atom module; the old DAG holds them until its RCU grace
# period ends, so retry for up to 10 s.
t=${EPOCHREALTIME/[.,]/}
for ((i = 0; i < 100; i++)); do
	mods=()
	for m in /sys/module/clickup_atom_*; do
		[ -d "$m" ] && mods+=("${m##*/}")
	done
	[ ${#mods[@]} -eq 0 ] && break
	rmmod "${mods[@]}" 2>/dev/null || sleep 0.1
done
[ ${#mods[@]} -eq 0 ] || { echo "native: cannot unload ${mods[*]}" >&2; rc=1; }
ms rmmod_ms "$t"

t=${EPOCHREALTIME/[.,]/}
if ! modprobe -a "$@" 2>/dev/null; then
	# A host without the modules installed: load them from the tree.
	for m in "$@"; do
		[ -d "/sys/module/$m" ] || insmod "$REPO/atoms/$m.ko" || rc=1
	done
fi
ms modprobe_ms "$t"

sleep "$DELAY"

t=${EPOCHREALTIME/[.,]/}
out=$(ctl create "$NE" "$DAG" 2>&1) || { echo "native: create: $out" >&2; rc=1; }
ms create_ms "$t"
ms total_ms "$t0"
echo "native: delete + state delete ($(echo $tables)) ${delete_ms} ms, rmmod ${rmmod_ms} ms, modprobe ${modprobe_ms} ms ($#), delay ${DELAY} s, create ${create_ms} ms; total ${total_ms} ms"
exit $rc
