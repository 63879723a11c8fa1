# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# `make bench-pkt` (BENCH_PARTS=pkt): the packet path's cost per packet,
# measured in the kernel. Sourced by bench/inside.sh after its topology.
#
# bench/xdpinject feeds one TCP segment of an established flow
# (bench/pktpath.py frame) BENCH_PKTS times into p1's receive path
# (BPF_PROG_RUN, XDP live frames): the netdev ingress hook, the bridge,
# the element and the transmit on p2 run in the kernel, no user space in
# the loop; it prints the kernel's ns per packet. On s0 (bsrv) a netdev
# ingress rule drops the segments (IP id 0xbeef) before bsrv's TCP sees
# them: the same sink for every configuration. Each run is PKT_CHUNKS
# short slices (a few batches each); the host's load only ever adds time
# to a slice, and some slices have none of it: the run's figure is its
# fastest slice (xdpinject also prints the 10th percentile and median).
#
# Per configuration and round: set up, open a real TCP connection
# through it (the handshake makes the flow established for
# sessioncheck/readstate and for conntrack), inject, close. Rounds are
# interleaved; the configurations' order rotates by round.

PKTS=${BENCH_PKTS:-25600}
PKT_ROUNDS=${BENCH_PKT_ROUNDS:-7}
PKT_CHUNKS=${BENCH_PKT_CHUNKS:-100}	# slices per run (xdpinject), its p10 counts
XDPINJECT=${BENCH_XDPINJECT:-$REPO/build/bench/xdpinject}
PKT_CONFIGS=${BENCH_PKT_CONFIGS:-bridge cu-bridge nft-fwd firewall nft-ct nft-bridge nft-ingress element45 nat}
PKT_PROFILE=${BENCH_PKT_PROFILE-bridge cu-bridge firewall nft-ct element45}
# profiled runs are longer, so that the steady state outweighs the
# injector's start (page allocation for its frames)
PKT_PROFILE_PKTS=${BENCH_PKT_PROFILE_PKTS:-$((PKTS * 8))}
SRV_PORT=5001

hold_end() {	# closes the held connection (its stdin) and waits for it
	local fd=${HOLD[1]}
	eval "exec $fd>&-"
	wait "$HOLD_PID" 2>/dev/null
}

pkt_config() {	# pkt_config NAME: the bump in the wire as NAME
	ctl delete pp 2>/dev/null
	cu nft flush ruleset
	case $1 in
	bridge) ;;
	cu-bridge) ctl create pp dts/bridge.click >/dev/null ;;
	firewall) ctl create pp dts/firewall.click >/dev/null ;;
	element45) ctl create pp $B/dags/element45.click >/dev/null ;;
	nat) ctl create pp dts/nat.click >/dev/null ;;
	nft-fwd) cu nft -f $B/nft/ingress-fwd.nft ;;
	nft-ct) cu nft -f $B/nft/fw0.nft ;;
	nft-bridge) cu nft -f $B/nft/bridge-fw.nft ;;
	nft-ingress) cu nft -f $B/nft/ingress-fw.nft ;;
	none) ;;
	*) log "unknown configuration $1"; return 1 ;;
	esac
}

sink() {	# sink on|off: drop the injected segments at s0's ingress
	ip netns exec $SRV nft delete table netdev sink 2>/dev/null
	[ "$1" = on ] || return 0
	ip netns exec $SRV nft -f - <<-'EOF'
	table netdev sink {
		chain in {
			type filter hook ingress device "s0" priority 0;
			ip id 0xbeef drop
		}
	}
	EOF
}

# packets out of p2 and into s0 (the sink): what the injection forwarded
fwd_count() {
	echo "$(cu cat /sys/class/net/p2/statistics/tx_packets) $(ip netns exec $SRV cat /sys/class/net/s0/statistics/rx_packets)"
}

# pkt_run CFG ROUND SPORT: one measurement, JSON line appended to pkt.jsonl
pkt_run() {
	local cfg=$1 r=$2 sport=$3 hex res ready c0 c1 t0=${EPOCHREALTIME/./}
	pkt_config "$cfg" || return 1
	coproc HOLD { ip netns exec $CLI $PY $B/pktpath.py hold 10.0.0.1 "$sport" 10.0.0.2 $SRV_PORT $CMAC $SMAC 2>&1; }
	read -r -t 30 ready hex <&"${HOLD[0]}"
	if [ "$ready" != ready ]; then
		log "WARNING: $cfg: no connection through it: $ready"
		hold_end
		return 1
	fi
	sink on
	c0=$(fwd_count)
	res=$(cu "$XDPINJECT" p1 "$hex" "$PKTS" 64 "$PKT_CHUNKS" 2>&1) || { log "WARNING: $cfg: xdpinject: $res"; res=null; }
	c1=$(fwd_count)
	sink off
	echo "{\"config\": \"$cfg\", \"round\": $r, \"sport\": $sport, \"res\": $res, \"fwd0\": [${c0// /, }], \"fwd1\": [${c1// /, }], \"run_ms\": $(( (${EPOCHREALTIME/./} - t0) / 1000 ))}" >>"$OUT/pkt.jsonl"
	hold_end
	return 0
}

pkt_part() {
	local r cfg sport=40000 n cfgs hex
	log "part pkt: $PKT_ROUNDS rounds x {$PKT_CONFIGS}, $PKTS packets each"
	[ -x "$XDPINJECT" ] || { log "no $XDPINJECT (make bench-pkt builds it)"; return 1; }
	rm -f "$OUT/pkt.jsonl"
	echo "{\"pkts\": $PKTS, \"chunks\": $PKT_CHUNKS, \"rounds\": $PKT_ROUNDS, \"configs\": \"$PKT_CONFIGS\"}" >"$OUT/pkt-meta.json"
	# the bridge forwards to s0 whatever it learnt; conntrack tolerates
	# the injected segments' sequence numbers (they repeat)
	cu bridge fdb replace $SMAC dev p2 master static
	cu bridge fdb replace $CMAC dev p1 master static
	# the NAT's replies: bsrv answers 10.0.0.254 (the NAT's address)
	ip -n $SRV neigh replace 10.0.0.254 lladdr $CMAC dev s0 nud permanent
	cu sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=1 2>/dev/null ||
		{ modprobe nf_conntrack && cu sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=1; }
	ip netns exec $SRV $PY $B/pktpath.py serve 10.0.0.2 $SRV_PORT >/dev/null 2>&1 &
	local spid=$!
	sleep 1
	read -ra cfgs <<<"$PKT_CONFIGS"
	n=${#cfgs[@]}
	for r in $(seq 1 "$PKT_ROUNDS"); do
		for i in $(seq 0 $((n - 1))); do
			cfg=${cfgs[$(( (i + r - 1) % n ))]}
			pkt_run "$cfg" "$r" $((sport++)) || log "WARNING: $cfg round $r failed"
		done
	done
	# where the time goes: one profiled run per configuration
	for cfg in $PKT_PROFILE; do
		pkt_config "$cfg"
		coproc HOLD { ip netns exec $CLI $PY $B/pktpath.py hold 10.0.0.1 $((sport++)) 10.0.0.2 $SRV_PORT $CMAC $SMAC 2>&1; }
		read -r -t 30 _ hex <&"${HOLD[0]}"
		sink on
		perf record -q -e cpu-clock -F 999 -a -o /tmp/perf-pkt.data -- \
			ip netns exec $CU "$XDPINJECT" p1 "$hex" "$PKT_PROFILE_PKTS" >/dev/null 2>&1
		sink off
		perf_addrs /tmp/perf-pkt.data "$OUT/perf-pkt-$cfg.txt"
		rm -f /tmp/perf-pkt.data
		hold_end
	done
	lsmod >"$OUT/pkt-lsmod.txt"
	pkt_config none
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	return 0
}
