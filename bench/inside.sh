#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, the part that runs in the VM (selftests/vm/run-vm.sh), as
# root: every measurement of bench/README.md in one boot, results as JSON
# and text in $BENCH_OUT (default $CLICKUP_OUT/bench).
#
# Knobs: BENCH_RUNS (swaps per case, default 50), NATIVE_RUNS (native
# manner, default BENCH_RUNS), BENCH_SECS (seconds per traffic run,
# default 5), BENCH_ROUNDS (interleaved rounds of the traffic runs,
# default 3), BENCH_STATE_DIR (where the host put state-N.bin files),
# BENCH_PARTS (default "upgrade bpf path pkt loss state mem hostile"); part pkt's own
# knobs are in bench/pkt.sh.
set -u
REPO=${CLICKUP_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$REPO" || exit 1
OUT=${BENCH_OUT:-${CLICKUP_OUT:-/tmp}/bench}
mkdir -p "$OUT"
PY=/usr/bin/python3
B=$REPO/bench
CTL=$REPO/ctl/clickupctl
RUNS=${BENCH_RUNS:-50}
SECS=${BENCH_SECS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
PARTS=${BENCH_PARTS:-upgrade bpf path pkt loss state mem hostile}
STATE_DIR=${BENCH_STATE_DIR:-$REPO/build/bench}
export CLICKUP_REPO=$REPO NATIVE_RUNS=${NATIVE_RUNS:-$RUNS}
# bench.py reads the DAG/ruleset files from tmpfs, not the 9p root
export BENCH_FILES=/tmp/bench-files
mkdir -p $BENCH_FILES/dts
cp -r $B/dags $B/nft $BENCH_FILES/ && cp dts/*.click $BENCH_FILES/dts/ && cp -r dts/bpf $BENCH_FILES/dts/

CLI=bcli SRV=bsrv CU=bcu
CMAC=fa:fe:ca:5d:97:6c SMAC=ee:43:35:3d:55:7c
log() { echo "# bench: $*"; }
cu() { ip netns exec $CU "$@"; }
ctl() { ip netns exec $CU "$CTL" "$@"; }
t_ms() { echo $(( (${EPOCHREALTIME/./} - $1) / 1000 )); }
part() { [[ " $PARTS " == *" $1 "* ]]; }
# perf_addrs DATA OUT: a perf record's sampled addresses, counted, and this
# boot's kernel and module symbols to name them with (report_pkt.py): the
# guest's perf leaves module text unnamed
perf_addrs() {
	perf script -i "$1" -F ip 2>/dev/null | sort | uniq -c | sort -rn | head -5000 >"$2"
	grep -E ' [tT] ' /proc/kallsyms >"$OUT/kallsyms.txt"
}

cleanup() {
	local ns
	for ns in $CLI $SRV $CU; do
		ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del $ns 2>/dev/null
	done
}
trap cleanup EXIT

modprobe clickup || { log "cannot load clickup"; exit 1; }
sysctl -qw kernel.perf_event_paranoid=-1 kernel.kptr_restrict=0 2>/dev/null
rm -f "$OUT"/*.json "$OUT"/*.txt

# ---- topology: the seed's, with p1 and p2 also in a Linux bridge ----------
#   bcli c0 10.0.0.1 -- p1 [bcu: br0 | CLICK-UP NE | nft bridge table] p2 -- s0 10.0.0.2 bsrv
# A CLICK-UP element (fromdevice = netdev ingress) takes every frame before
# the bridge sees it; with no element the bridge forwards (baseline (a)).
for ns in $CLI $SRV $CU; do
	ip netns add $ns && ip -n $ns link set lo up
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n $CU link add p1 type veth peer name c0 netns $CLI
ip -n $CU link add p2 type veth peer name s0 netns $SRV
ip -n $CLI link set c0 address $CMAC
ip -n $SRV link set s0 address $SMAC
ip -n $CU link add br0 type bridge stp_state 0 forward_delay 0
ip -n $CU link set p1 master br0
ip -n $CU link set p2 master br0
for l in p1 p2 br0; do ip -n $CU link set $l up; done
ip -n $CLI addr add 10.0.0.1/24 dev c0 && ip -n $CLI link set c0 up
ip -n $SRV addr add 10.0.0.2/24 dev s0 && ip -n $SRV link set s0 up
# Segmentation offloads off: the element sees MTU-sized packets, as a
# bump in the wire behind a NIC without GRO would (veth would otherwise
# hand it 64 KiB TCP super-packets, hiding any per-packet cost).
ip netns exec $CLI ethtool -K c0 tso off gso off gro off >/dev/null 2>&1 || log "WARNING: ethtool -K c0 failed"
ip netns exec $SRV ethtool -K s0 tso off gso off gro off >/dev/null 2>&1 || log "WARNING: ethtool -K s0 failed"
ip -n $CLI neigh replace 10.0.0.2 lladdr $SMAC dev c0 nud permanent
ip -n $SRV neigh replace 10.0.0.1 lladdr $CMAC dev s0 nud permanent
ip netns exec $CLI ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null || log "WARNING: no ping over the bridge"

{
	echo "{\"kernel\": \"$(uname -r)\", \"cpus\": $(nproc), \"date\": \"$(date -u '+%Y-%m-%d %H:%M:%S UTC')\","
	echo " \"runs\": $RUNS, \"native_runs\": $NATIVE_RUNS, \"secs\": $SECS, \"rounds\": $ROUNDS,"
	echo " \"cpu_model\": \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\","
	echo " \"parts\": \"$PARTS\", \"token\": \"${BENCH_TOKEN:-}\"}"
} >"$OUT/meta.json"

rc=0

# ---- 1. upgrade latency vs new atom types ----------------------------------
if part upgrade; then
	log "part 1: upgrade latency, $RUNS runs per case (native $NATIVE_RUNS)"
	t=${EPOCHREALTIME/./}
	cu $PY $B/bench.py upgrade "$OUT/upgrade.json" "$RUNS" || { log "part 1 FAILED"; rc=1; }
	log "part 1: $(t_ms $t) ms"
	# Where a swap's wall time goes: 40 preloaded upgrades in one batch
	# under strace -T (each syscall's duration). Its own overhead inflates
	# the user-space part; the syscalls' times are what matters.
	if command -v strace >/dev/null; then
		ctl create fw $BENCH_FILES/dts/firewall.click >/dev/null
		for i in $(seq 20); do
			echo "upgrade fw $BENCH_FILES/dags/fw1.click -j"
			echo "upgrade fw $BENCH_FILES/dts/firewall.click -j"
		done >/tmp/strace-batch.txt
		ip netns exec $CU strace -f -T -tt -o "$OUT/strace-upgrade.txt" \
			"$CTL" batch /tmp/strace-batch.txt >"$OUT/strace-upgrade.json"
		ctl delete fw
	fi
fi

# ---- 1b. upgrades that keep a bpf atom's object: reload vs reuse ------------
if part bpf; then
	log "part bpf: $RUNS upgrades of dts/bpf-split.click per mode"
	if [ -e dts/bpf/tcp_port.o ]; then
		cu $PY $B/bench.py bpfswap "$OUT/bpfswap.json" "$RUNS" || { log "part bpf FAILED"; rc=1; }
	else
		log "part bpf: no dts/bpf/tcp_port.o (clang), skipped"
	fi
fi

# ---- 3. packet path cost ----------------------------------------------------
# /proc/stat busy jiffies (all CPUs: user+nice+system+irq+softirq+steal)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }
# packets into the element (p1, p2 rx) and out of it (p2, p1 tx)
rxpk() {
	local d=/sys/class/net
	cu cat $d/p1/statistics/rx_packets $d/p2/statistics/rx_packets \
		$d/p2/statistics/tx_packets $d/p1/statistics/tx_packets | paste -sd' '
}

config() {	# config NAME: set the bump in the wire up as NAME
	ctl delete pp 2>/dev/null
	cu nft flush ruleset
	case $1 in
	bridge) ;;
	cu-bridge) ctl create pp dts/bridge.click >/dev/null ;;
	firewall) ctl create pp dts/firewall.click >/dev/null ;;
	nft) cu nft -f $B/nft/fw0.nft ;;
	element45) ctl create pp $B/dags/element45.click >/dev/null ;;
	esac
}

traffic() {	# traffic CONFIG PROTO ROUND
	local cfg=$1 proto=$2 r=$3 f="$OUT/path-$1-$2-$3" b0 b1 p0 p1 args=()
	[ "$proto" = udp ] && args=(-u -b 0 -l 1400)
	b0=$(busy) p0=$(rxpk)
	ip netns exec $CLI timeout $((SECS + 20)) iperf3 -c 10.0.0.2 -t "$SECS" -J "${args[@]}" >"$f.iperf.json" 2>"$f.err"
	b1=$(busy) p1=$(rxpk)
	echo "{\"config\": \"$cfg\", \"proto\": \"$proto\", \"round\": $r, \"busy0\": [${b0// /, }], \"busy1\": [${b1// /, }], \"rx0\": [${p0// /, }], \"rx1\": [${p1// /, }], \"hz\": $(getconf CLK_TCK)}" >"$f.json"
}

if part path; then
	log "part 3: packet path, $ROUNDS rounds x 5 configs x tcp/udp, $SECS s each"
	t=${EPOCHREALTIME/./}
	ip netns exec $SRV iperf3 -s >/dev/null 2>&1 &
	sleep 1
	CONFIGS="bridge cu-bridge firewall nft element45"
	for r in $(seq 1 "$ROUNDS"); do
		for cfg in $CONFIGS; do
			config $cfg
			ip netns exec $CLI ping -c 1 -W 2 10.0.0.2 >/dev/null || log "WARNING: $cfg: no ping"
			traffic $cfg tcp $r
			traffic $cfg udp $r
			if [ "$cfg" = nft ] && [ "$r" = 1 ]; then
				cu sysctl net.netfilter.nf_conntrack_count >"$OUT/conntrack-count.txt" 2>&1
			fi
		done
	done
	# profiles, outside the timed runs (perf's sampling costs CPU too):
	# cpu-clock samples of the whole guest during one TCP run per config
	for cfg in bridge firewall nft element45; do
		config $cfg
		perf record -q -e cpu-clock -F 499 -a -o /tmp/perf-$cfg.data -- \
			ip netns exec $CLI iperf3 -c 10.0.0.2 -t "$SECS" >/dev/null 2>&1
		perf_addrs /tmp/perf-$cfg.data "$OUT/perf-$cfg.txt"
		rm -f /tmp/perf-$cfg.data
	done
	config none
	kill %1 2>/dev/null; wait 2>/dev/null
	log "part 3: $(t_ms $t) ms"
fi

# ---- 3b. packet path, per packet in the kernel (bench/pkt.sh) ---------------
if part pkt; then
	t=${EPOCHREALTIME/./}
	# shellcheck source=bench/pkt.sh
	. $B/pkt.sh
	pkt_part || { log "part pkt FAILED"; rc=1; }
	log "part pkt: $(t_ms $t) ms"
fi

# ---- 4. loss during swaps ---------------------------------------------------
if part loss; then
	PPS=${BENCH_PPS:-5000}
	log "part 4: UDP stream at $PPS pps through the firewall, 10 s, with and without swaps"
	config none
	ctl create fw dts/firewall.click >/dev/null
	for mode in control swaps; do
		before=$(rxpk)
		ip netns exec $SRV $PY $B/udpflow.py recv 9000 "$OUT/loss-$mode-recv.json" &
		rpid=$!
		for i in $(seq 100); do [ -e "$OUT/loss-$mode-recv.json.ready" ] && break; sleep 0.1; done
		ip netns exec $CLI $PY $B/udpflow.py send 10.0.0.2 9000 12 "$PPS" >"$OUT/loss-$mode-send.json" &
		spid=$!
		sleep 1
		if [ $mode = swaps ]; then
			cu $PY $B/bench.py swaploss "$OUT/loss-swaps.json" 10
		else
			sleep 10
		fi
		wait $spid; wait $rpid
		rm -f "$OUT/loss-$mode-recv.json.ready"
		after=$(rxpk)
		ctl show fw -j >"$OUT/loss-$mode-show.json"
		cu cat /sys/class/net/p2/statistics/tx_packets /sys/class/net/p2/statistics/tx_dropped \
			>"$OUT/loss-$mode-p2.txt"
		echo "rx before $before after $after" >>"$OUT/loss-$mode-p2.txt"
		ip netns exec $SRV cat /proc/net/snmp | grep '^Udp:' >"$OUT/loss-$mode-snmp.txt"
	done
	ctl delete fw
	log "part 4 done"
fi

# ---- 2. swap cost vs state size --------------------------------------------
if part state; then
	log "part 2: swap latency with 0, 100000, 1000000 flows"
	config none
	ctl create fw dts/firewall.click >/dev/null
	ctl upgrade fw dts/firewall-log.click >/dev/null	# log loaded once
	for n in 0 100000 1000000; do
		ctl state flush fw
		if [ "$n" != 0 ]; then
			f=$STATE_DIR/state-$n.bin
			[ -s "$f" ] || { f=/tmp/state-$n.bin; $PY $B/bench.py mkstate "$f" "$n"; }
			t=${EPOCHREALTIME/./}
			ctl state restore fw "$f" >"$OUT/restore-$n.txt" 2>&1 || { log "restore $n FAILED"; rc=1; }
			echo "restore_ms $(t_ms $t)" >>"$OUT/restore-$n.txt"
		fi
		ctl state list -j >"$OUT/statelist-$n.json"
		free -k >"$OUT/free-$n.txt"
		cu $PY $B/bench.py statesize "$OUT/state-$n.json" "$RUNS" "$n" || { log "part 2 $n FAILED"; rc=1; }
	done
	grep -E '^(clickup_flow|nf_conntrack|kmalloc-64|# name)' /proc/slabinfo >"$OUT/slabinfo-1M.txt"
	ctl state flush fw
	ctl delete fw
fi

# ---- 5. state memory ---------------------------------------------------------
if part mem; then
	log "part 5: memory per entry"
	cu nft -f $B/nft/fw0.nft	# nf_conntrack loaded and in use in bcu
	{
		grep -E '^(# name|nf_conntrack |clickup_flow)' /proc/slabinfo
		for s in nf_conntrack_buckets nf_conntrack_max; do
			echo "$s $(cu sysctl -n net.netfilter.$s)"
		done
		echo "nf_conntrack_expect_max $(cu sysctl -n net.netfilter.nf_conntrack_expect_max 2>/dev/null)"
		ls /sys/kernel/slab 2>/dev/null | grep -E 'nf_conntrack|clickup' | while read -r s; do
			echo "slab $s object_size $(cat /sys/kernel/slab/$s/object_size) slab_size $(cat /sys/kernel/slab/$s/slab_size) aliases $(cat /sys/kernel/slab/$s/aliases 2>/dev/null)"
		done
		ls -l /sys/kernel/slab/ | grep -E 'clickup|nf_conntrack' || true
	} >"$OUT/mem.txt"
	cu nft flush ruleset
fi

# ---- 6. hostile peers, CLICK-UP beside nftables + conntrack ----------------
# The selftests' own cases and tables (docs/testing.md "Hostile peers"):
# the same traffic against both in this VM.
if part hostile; then
	for t in hostile_tcp hostile_nat; do
		log "part hostile: $t.sh"
		"$REPO/selftests/$t.sh" >"$OUT/$t.txt" 2>&1
		r=$?
		echo "exit $r" >>"$OUT/$t.txt"
		[ $r = 0 ] || { log "part hostile: $t.sh FAILED (exit $r)"; rc=1; }
	done
fi

dmesg | grep -iE 'clickup' | tail -n 20 >"$OUT/dmesg-tail.txt"
log "done, rc $rc"
exit $rc
