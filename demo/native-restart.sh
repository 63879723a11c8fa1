#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "native manner" of upgrading an element, as a Click-style restart does
# it: delete the element and its state, unload every atom module, load the
# new DAG's modules again, (optionally wait DELAY seconds), create the
# element from the new DAG.  Used as the client's --hook by walkthrough.sh.
#
#   native-restart.sh NS NE DAG DELAY MODULE...
#
# NS is the namespace of the element; MODULE... the atom modules the new DAG
# needs (clickup_atom_<type>).  Prints one line of step timings (ms).
set -u
NS=$1 NE=$2 DAG=$3 DELAY=$4
shift 4
REPO=${CLICKUP_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
CTL=${CLICKUPCTL:-$REPO/ctl/clickupctl}
rc=0

# $EPOCHREALTIME, not $(date): a fork+exec costs 0.1-0.6 s under TCG.
ms() { local t=${EPOCHREALTIME/[.,]/}; printf -v "$1" %d $(( (t - $2) / 1000 )); }
ctl() { ip netns exec "$NS" "$CTL" "$@"; }

t0=${EPOCHREALTIME/[.,]/}
ctl delete "$NE" || rc=1
ms delete_ms "$t0"
t=${EPOCHREALTIME/[.,]/}
# ... and its state: flush the element's tables (NATIVE_TABLES, found by
# walkthrough.sh before the run) in one clickupctl process.
if [ -n "${NATIVE_TABLES:-}" ]; then
	for tb in $NATIVE_TABLES; do echo "state flush $tb"; done |
		ctl batch - >/dev/null || rc=1
fi
ms flush_ms "$t"

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
# No way to flush the tables from userspace (clickupctl without `state`):
# reload the core as well, as a Click restart reloads click.ko.
if [ "${NATIVE_CORE:-0}" = 1 ]; then
	rmmod clickup || rc=1
	set -- clickup "$@"
fi
ms rmmod_ms "$t"

t=${EPOCHREALTIME/[.,]/}
if ! modprobe -a "$@" 2>/dev/null; then
	# A host without the modules installed: load them from the tree.
	for m in "$@"; do
		f=$REPO/atoms/$m.ko
		[ "$m" = clickup ] && f=$REPO/kmod/clickup.ko
		[ -d "/sys/module/$m" ] || insmod "$f" || rc=1
	done
fi
ms modprobe_ms "$t"

sleep "$DELAY"

t=${EPOCHREALTIME/[.,]/}
out=$(ctl create "$NE" "$DAG" 2>&1) || { echo "native: create: $out" >&2; rc=1; }
ms create_ms "$t"
ms total_ms "$t0"
echo "native: delete ${delete_ms} ms, state flush ${flush_ms} ms, rmmod ${rmmod_ms} ms$([ "${NATIVE_CORE:-0}" = 1 ] && echo " (core too)"), modprobe ${modprobe_ms} ms ($#), delay ${DELAY} s, create ${create_ms} ms; total ${total_ms} ms"
exit $rc
