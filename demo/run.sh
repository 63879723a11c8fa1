#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: run demo/walkthrough.sh in the qemu VM (default) or on this
# host (VM=0, as root, on a kernel the modules were built for), then print
# the tables, draw the PNGs (docs/img/) and rewrite the demo section of
# docs/results.md from the run's JSON (kept in build/demo/).
#
#   demo/run.sh            VM (selftests/vm/run-vm.sh)
#   VM=0 demo/run.sh       this host
#   demo/run.sh --report   only redraw tables/plots/docs from build/demo/
# Knobs of the walkthrough itself (DEMO_*): see demo/walkthrough.sh.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
RES=$REPO/build/demo
IMG=$REPO/docs/img
PY=$(command -v /usr/bin/python3 || command -v python3)
rc=0

if [ "${1:-}" != --report ]; then
	# Every DEMO_* knob goes to the guest on its command line.
	mapfile -t knobs < <(env | grep '^DEMO_' || true)
	token=$$.$RANDOM
	if [ "${VM:-1}" != 0 ]; then
		# build/vm/out/ is shared by every run-vm.sh of this checkout: take
		# our results right away and check they are ours.
		# VM_BROWSER: the host's Chromium for the dashboard screenshot.
		# VM_TIMEOUT: the walkthrough takes ~24 min on a quiet 2-core
		# host and came within 20 s of 40 min at load 10.
		VM_BROWSER=${VM_BROWSER:-1} VM_TIMEOUT=${VM_TIMEOUT:-4800} ./selftests/vm/run-vm.sh \
			env "${knobs[@]}" DEMO_TOKEN="$token" ./demo/walkthrough.sh || rc=$?
		rm -rf "$RES.new"
		cp -r build/vm/out/demo "$RES.new" 2>/dev/null || true
		if ! grep -qs "\"token\": \"$token\"" "$RES.new/meta.json"; then
			echo "demo: no results of this run in build/vm/out/demo (see build/vm/serial.log)" >&2
			exit 1
		fi
		rm -rf "$RES"
		mv "$RES.new" "$RES"
	else
		[ "$(id -u)" = 0 ] || { echo "demo: VM=0 needs root (modules, namespaces)" >&2; exit 1; }
		# The core and every atom from the tree unless installed (modprobe).
		if [ ! -d /sys/module/clickup ]; then
			modprobe clickup 2>/dev/null || insmod kmod/clickup.ko
		fi
		for ko in atoms/*.ko; do
			m=$(basename "$ko" .ko)
			[ -d "/sys/module/$m" ] || modprobe "$m" 2>/dev/null || insmod "$ko"
		done
		env "${knobs[@]}" DEMO_TOKEN="$token" DEMO_OUT="$RES" ./demo/walkthrough.sh || rc=$?
	fi
fi

[ -s "$RES/meta.json" ] || { echo "demo: no results in $RES" >&2; exit 1; }
echo
"$PY" demo/report.py tables "$RES"
echo
"$PY" demo/report.py plot "$RES" "$IMG"
"$PY" demo/report.py markdown "$RES" "$IMG" docs/results.md
# the dashboard in the middle of the upgrade (walkthrough.sh, when the VM
# had the host's browser)
[ ! -s "$RES/dashboard-demo.png" ] || cp "$RES/dashboard-demo.png" "$IMG/dashboard-demo.png"
[ "$rc" = 0 ] || echo "demo: the walkthrough FAILED (exit $rc); tables above are partial" >&2
exit "$rc"
