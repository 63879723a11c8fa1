#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The NAT of issue 11 side by side with nftables + conntrack, on the same
# routed topology and the same traffic:
#
#   ns_cli                 ns_cu (the NAT)               ns_rtr               ns_srv
#   c0 192.168.1.2 ---- p1 192.168.1.1 | p2 10.0.0.254 ---- r0 10.0.0.1
#                                                           r1 10.0.1.1 ---- s0 10.0.1.2
#
# "cu" runs selftests/dags/nat_gw.click in ns_cu (no addresses there:
# arpresponder answers for them); "nft" gives ns_cu the addresses,
# forwarding and an nftables NAT gateway ruleset (masquerade, and
# established/related only from the outside). The router reaches the
# server over a route with MTU 1280, so a client's full-size segments need
# path MTU discovery through the NAT. Cases, per mode:
#   arp     the router learns the NAT address's MAC by asking
#   frag    a 3000-byte UDP datagram to an echo server and back, intact
#   unreach a datagram to a closed port: ECONNREFUSED at the client
#   pmtud   a 2 MiB upload with DF completes; the client caches MTU 1280
#   spray   200 UDP datagrams from the outside to the NAT address and to
#           random addresses routed through it: no new mapping, nothing
#           comes back out
#   expiry  with a short UDP timeout, a reply 2 s late passes and one two
#           timeouts late does not (both: conntrack's sysctls, the NAT
#           table's udp_unreplied/udp_replied)
# Both modes must pass every case they run; the table compares them.
# Env: NAT_MODES ("nft cu"; "cu" on the debug kernel: the nft mode checks
# Linux's NAT, not ours, and costs two minutes under the checkers).

source "$(dirname "$0")/lib.sh"
ret=0
require_root
require_cmd nft socat
require_clickup

NS_RTR=ns_rtr-$SFX
EXTRA_NS+=("$NS_RTR")
rtr() { ip netns exec "$NS_RTR" "$@"; }

GW_IP=192.168.1.1
CIP=192.168.1.2
NAT_IP=10.0.0.254
RTR_IP=10.0.0.1
SIP=10.0.1.2
GW_MAC=02:00:00:00:01:01
CLI_MAC=02:00:00:00:01:02
NAT_MAC=02:00:00:00:02:fe
RTR_MAC=02:00:00:00:02:01
PROBE=("$PYTHON" "$SELFTESTS/pkt/nat_probe.py")
UDP_TIMEOUT=8

build() {	# build cu|nft: the four namespaces, fresh
	local ns

	for ns in "$NS_CLI" "$NS_CU" "$NS_RTR" "$NS_SRV"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	{ wait; } 2>/dev/null	# the servers of the last mode; no "Terminated" notes
	BG_PIDS=()
	for ns in "$NS_CLI" "$NS_CU" "$NS_RTR" "$NS_SRV"; do
		ip netns del "$ns" 2>/dev/null
		new_ns "$ns" || die "cannot create namespace $ns"
	done
	ip -n "$NS_CU" link add p1 address $GW_MAC type veth \
		peer name c0 address $CLI_MAC netns "$NS_CLI" &&
	ip -n "$NS_CU" link add p2 address $NAT_MAC type veth \
		peer name r0 address $RTR_MAC netns "$NS_RTR" &&
	ip -n "$NS_RTR" link add r1 type veth peer name s0 netns "$NS_SRV" ||
		die "cannot create veth pairs"
	ip -n "$NS_CLI" addr add $CIP/24 dev c0
	ip -n "$NS_RTR" addr add $RTR_IP/24 dev r0
	ip -n "$NS_RTR" addr add 10.0.1.1/24 dev r1
	ip -n "$NS_SRV" addr add $SIP/24 dev s0
	ip -n "$NS_CU" link set p1 up
	ip -n "$NS_CU" link set p2 up
	ip -n "$NS_CLI" link set c0 up
	ip -n "$NS_RTR" link set r0 up
	ip -n "$NS_RTR" link set r1 up
	ip -n "$NS_SRV" link set s0 up
	ip -n "$NS_CLI" route add default via $GW_IP
	ip -n "$NS_SRV" route add default via 10.0.1.1
	rtr sysctl -qw net.ipv4.ip_forward=1
	# The bottleneck: past the NAT, on the way to the server only.
	ip -n "$NS_RTR" route replace 10.0.1.0/24 dev r1 src 10.0.1.1 mtu 1280 ||
		die "cannot set the route MTU"
	# Spray targets: random outside addresses routed to the NAT.
	ip -n "$NS_RTR" route add 172.16.0.0/16 via $NAT_IP
	if [ "$1" = cu ]; then
		ctl create natgw "$DAGS/nat_gw.click" > "$TMPD/create.out" 2>&1 ||
			die "create: $(cat "$TMPD/create.out")"
		# the same UDP timeouts as conntrack's below
		ctl state set natgw udp_unreplied $UDP_TIMEOUT udp_replied $UDP_TIMEOUT ||
			die "cannot set the NAT table's UDP timeouts"
		return
	fi
	ip -n "$NS_CU" addr add $GW_IP/24 dev p1
	ip -n "$NS_CU" addr add $NAT_IP/24 dev p2
	ip -n "$NS_CU" route add default via $RTR_IP
	cu sysctl -qw net.ipv4.ip_forward=1
	cu nft -f - <<-EOF || die "nft ruleset refused"
	table ip gw {
		chain input {
			type filter hook input priority 0; policy drop;
			ct state established,related accept
			iifname { "lo", "p1" } accept
		}
		chain forward {
			type filter hook forward priority 0; policy drop;
			ct state established,related accept
			iifname "p1" oifname "p2" accept
		}
		chain post {
			type nat hook postrouting priority 100;
			oifname "p2" masquerade
		}
	}
	EOF
	cu sysctl -qw net.netfilter.nf_conntrack_udp_timeout=$UDP_TIMEOUT \
		net.netfilter.nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT ||
		die "cannot set conntrack's UDP timeouts"
}

mappings() {	# mappings MODE PATTERN: the NAT's entries now (cu: matching PATTERN)
	if [ "$1" = cu ]; then
		ctl state show natgw > "$TMPD/flows.txt" 2>/dev/null || { echo -1; return; }
		grep -c -- "$2" "$TMPD/flows.txt"
	else
		# Confirmed conntrack entries (expired ones until reaped);
		# /proc/net/nf_conntrack is not in every kernel.
		cu sysctl -n net.netfilter.nf_conntrack_count
	fi
}

T0=${EPOCHREALTIME/./}
stamp() {	# elapsed seconds since the start, for the log
	echo "$(( (${EPOCHREALTIME/./} - T0) / 1000000 ))s"
}

declare -A R T	# R[mode,case]: what happened; T[mode,case]: pass/FAIL

result() {	# result MODE CASE OK WHAT
	R[$1,$2]=$4
	if [ "$3" = 0 ]; then
		T[$1,$2]=pass
		pass "$1: $2: $4 ($(stamp))"
	else
		T[$1,$2]=FAIL
		fail "$1: $2: $4 ($(stamp))"
	fi
}

run_cases() {	# run_cases MODE
	local m=$1 out n0 n1 t0 secs mtu refl neigh pat

	bg srv "${PROBE[@]}" echo-server $SIP 7007
	bg srv "${PROBE[@]}" delay-server $SIP 7008
	bg srv socat -u TCP-LISTEN:5001,reuseaddr "CREATE:$TMPD/up-$m"
	wait_for 20 srv sh -c "ss -lun | grep -q ':7007 ' && ss -lun | grep -q ':7008 ' && ss -ltn | grep -q ':5001 '" ||
		die "$m: servers did not start"

	out=$(cli "${PROBE[@]}" udp-echo $SIP 7007 3000)
	result "$m" frag "$([ "$out" = intact ]; echo $?)" "3000-byte UDP both ways: $out"

	neigh=$(ip -n "$NS_RTR" neigh show $NAT_IP dev r0)
	[[ "$neigh" == *"lladdr $NAT_MAC"* && "$neigh" != *PERMANENT* ]]
	result "$m" arp $? "router's entry for $NAT_IP: ${neigh:-none}"

	# Idle expiry: a reply 2 s late finds the mapping, one 2 timeouts
	# late does not.
	out=$(cli "${PROBE[@]}" delayed $SIP 7008 2)
	n1=$(cli "${PROBE[@]}" delayed $SIP 7008 $((UDP_TIMEOUT * 2)))
	[ "$out" = replied ] && [ "$n1" = silence ]
	result "$m" expiry $? "UDP timeout $UDP_TIMEOUT s: a reply 2 s late: $out; $((UDP_TIMEOUT * 2)) s late: $n1"

	out=$(cli "${PROBE[@]}" refused $SIP 9)
	result "$m" unreach "$([ "$out" = refused ]; echo $?)" "UDP to a closed port: $out"

	t0=${EPOCHREALTIME/./}
	timeout $((60 * SLOW)) ip netns exec "$NS_CLI" socat -u "FILE:$TMPD/blob" \
		"TCP:$SIP:5001,connect-timeout=5" 2> "$TMPD/up.err"
	wait_for 10 bash -c "[ \"\$(sha256sum < '$TMPD/up-$m' | cut -d' ' -f1)\" = $BLOB_SUM ]"
	out=$?
	secs=$(( (${EPOCHREALTIME/./} - t0) / 100000 ))
	mtu=$(cli ip route get $SIP | grep -o 'mtu [0-9]*')
	[ "$out" = 0 ] && [ "$mtu" = "mtu 1280" ]
	result "$m" pmtud $? "2 MiB upload $([ "$out" = 0 ] && echo "intact in $((secs / 10)).$((secs % 10)) s" || echo "stalled: $(head -c 200 "$TMPD/up.err")"), client route: ${mtu:-no mtu cached}"

	rtr nft -f - <<-EOF || die "router counter refused"
	table ip spy {
		chain pre {
			type filter hook prerouting priority -300;
			iifname "r0" meta l4proto udp counter
		}
	}
	EOF
	# cu: flows naming the router, the sprayer; nft: confirmed entries
	# (the round trip below adds one).
	pat="10\.0\.0\.1:"
	n0=$(mappings "$m" "$pat")
	out=$(rtr "${PROBE[@]}" spray 100 $NAT_IP 172.16.0.0/16)
	# A round trip through the NAT after the spray: what it reflected
	# would be back by now.
	cli "${PROBE[@]}" udp-echo $SIP 7007 100 > /dev/null
	sleep 0.5
	n1=$(mappings "$m" "$pat")
	refl=$(rtr nft list chain ip spy pre | sed -n 's/.*packets \([0-9]*\).*/\1/p')
	# The round trip's reply came in on r0 too: one packet.
	refl=$((refl - 1))
	# nft's count also drops as conntrack reaps expired entries: no
	# growth is the test.
	[ "$m" = nft ] && n1=$((n1 - 1))
	[ "$n1" -le "$n0" ] && [ "$refl" = 0 ]
	result "$m" spray $? "$out datagrams: $([ "$n1" -le "$n0" ] && echo "no" || echo "$((n1 - n0))") new entries, $refl reflected"
}

BLOB_SUM=$(make_blob "$TMPD/blob" 2)
modes=${NAT_MODES:-$(per_kernel cu "nft cu")}
for m in $modes; do
	log "---- $m ($(stamp)) ----"
	build "$m"
	log "built ($(stamp))"
	run_cases "$m"
	if [ "$m" = cu ]; then
		ctl show natgw > "$TMPD/show.txt" 2>&1
		sed 's/^/# /' "$TMPD/show.txt"
		ctl delete natgw
	fi
done

log ""
log "| case | nftables + conntrack | CLICK-UP nat |"
log "|---|---|---|"
for c in arp frag unreach pmtud spray expiry; do
	log "| $c | ${T[nft,$c]:-not run}${R[nft,$c]:+: ${R[nft,$c]}} | ${T[cu,$c]:-not run}${R[cu,$c]:+: ${R[cu,$c]}} |"
done
exit $ret
