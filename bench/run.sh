#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: generate the state files, run bench/inside.sh in the qemu
# VM (one boot), keep its results in build/bench/results/, then print the
# tables, draw docs/img/bench-*.png and rewrite the bench section of
# docs/results.md (bench/report.py).
#
#   bench/run.sh             the whole thing
#   bench/run.sh --report    only redraw tables/plots/docs from build/bench/results
# Knobs (passed into the VM): BENCH_RUNS (50), NATIVE_RUNS (= BENCH_RUNS),
# BENCH_SECS (5), BENCH_ROUNDS (3), BENCH_PPS (5000), BENCH_PARTS, and
# part pkt's (bench/pkt.sh). With BENCH_PARTS (some parts only, e.g.
# `make bench-pkt`), results go to build/bench/results-PARTS/ and only
# those parts' plots and docs text (upgrade, pkt) are rewritten.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
RES=$REPO/build/bench/results
PARTIAL=${BENCH_PARTS:+${BENCH_PARTS// /-}}
[ -z "$PARTIAL" ] || RES=$RES-$PARTIAL
PY=/usr/bin/python3
rc=0

if [ "${1:-}" != --report ]; then
	mkdir -p build/bench
	# part pkt's injector, for the guest (its libbpf is the host's)
	cc -O2 -Wall -Wextra -Werror -o build/bench/xdpinject bench/xdpinject.c \
		$(pkg-config --cflags --libs libbpf)
	for n in 100000 1000000; do
		[ -s "build/bench/state-$n.bin" ] || "$PY" bench/bench.py mkstate "build/bench/state-$n.bin" "$n"
	done
	mapfile -t knobs < <(env | grep -E '^(BENCH_|NATIVE_RUNS=)' | grep -v -E '^BENCH_(TOKEN|PARTS)=' || true)
	parts=${BENCH_PARTS:-upgrade bpf path pkt loss state mem hostile}
	rm -rf "$RES.new"
	mkdir -p "$RES.new"
	# vm_run PARTS [QEMU ARGS]: one boot; its results into $RES.new
	vm_run() {
		local token=$$.$RANDOM
		# build/vm/out/ is shared by every run-vm.sh of this checkout:
		# take our results right away and check they are ours.
		# the host's load while the VM runs, for the docs' header
		while sleep 30; do cut -d' ' -f1 /proc/loadavg; done >>"$RES.new/host-load.txt" &
		local sampler=$!
		VM_QEMU_ARGS=${2:-} VM_MEM=${VM_MEM:-2G} VM_TIMEOUT=${VM_TIMEOUT:-3600} \
			./selftests/vm/run-vm.sh env "${knobs[@]}" BENCH_PARTS="$1" \
			BENCH_TOKEN="$token" BENCH_STATE_DIR="$REPO/build/bench" \
			./bench/inside.sh || rc=$?
		kill "$sampler"
		if ! grep -qs "\"token\": \"$token\"" build/vm/out/bench/meta.json; then
			echo "bench: no results of this run in build/vm/out/bench (see build/vm/serial.log)" >&2
			exit 1
		fi
		cp -r build/vm/out/bench/. "$RES.new/"
	}
	# BENCH_PKT_ICOUNT=1: part pkt in a boot of its own under -icount
	# shift=0 (guest time = instructions executed, 1 ns each, whatever
	# the host's load). Off by default: that boot ran >6 min without
	# reaching init on the loaded 2-core host; the probe ratio of
	# bench/pkt.sh does the cancelling instead.
	main=$parts
	if [[ " $parts " == *" pkt "* ]] && [ "${BENCH_PKT_ICOUNT:-0}" != 0 ]; then
		main=$(echo " $parts " | sed 's/ pkt / /; s/^ *//; s/ *$//')
		vm_run pkt "-icount shift=0"
		mv "$RES.new/meta.json" "$RES.new/pkt-vm.json"
	fi
	[ -z "$main" ] || vm_run "$main"
	[ -s "$RES.new/meta.json" ] || mv "$RES.new/pkt-vm.json" "$RES.new/meta.json"
	cp build/vm/out/dmesg.txt "$RES.new/" 2>/dev/null || true
	rm -rf "$RES"
	mv "$RES.new" "$RES"
fi

[ -s "$RES/meta.json" ] || { echo "bench: no results in $RES" >&2; exit 1; }
"$PY" bench/report.py tables "$RES"
"$PY" bench/report.py plot "$RES" docs/img
if [ -z "$PARTIAL" ]; then
	"$PY" bench/report.py markdown "$RES" docs/img docs/results.md
else
	for p in $BENCH_PARTS; do
		case $p in
		upgrade | pkt | state | mem | hostile) "$PY" bench/report.py markdown-part "$RES" docs/img docs/results.md "$p" ;;
		esac
	done
fi
[ "$rc" = 0 ] || echo "bench: the VM run FAILED (exit $rc); tables above may be partial" >&2
exit "$rc"
