#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bridge NE (dags/bridge.click) in ns_cu carries ping and a TCP
# transfer between client and server; its counters match the traffic;
# upgrading keeps counters of atoms that keep name and type; deleting the
# NE stops traffic (p1/p2 have no addresses: without the NE frames go
# nowhere), recreating it restores traffic.
#
# Counting is exact: IPv6 is off and the neighbours are static, so the
# only frames crossing the NE are the test's own. A ping is 84 bytes of
# IPv4, 98 bytes of Ethernet frame, and atoms see whole frames.

. "$(dirname "$0")/lib.sh"

require_clickup
require_cmd socat sha256sum ping ss

NE=br
FRAME=98	# ping -s 56: 8 ICMP + 20 IP + 14 Ethernet + 56
MB=${TRAFFIC_MB:-4}

dmesg_mark
setup_topology

expect_eq() {	# expect_eq WHAT WANT GOT
	if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1: want $2, got $3"; fi
}

snap() {	# snap FILE: counters of the NE
	ne_counters $NE > "$1" || die "clickupctl show $NE -j failed"
}

# ---- no NE: nothing crosses ------------------------------------------------
check "no NE: ping fails" ping_fails

# ---- create, ping, exact counters -------------------------------------------
ne_create $NE "$DAGS/bridge.click"
N=10
check "NE created: ping -c $N passes" pingq $N
snap "$TMPD/c1"
expect_eq "generation after create" 1 "$(awk '$1=="generation"{print $2}' "$TMPD/c1")"
for a in in1 c12 out2; do
	expect_eq "$a packets (requests)" $N "$(counter_of "$TMPD/c1" $a packets)"
done
for a in in2 c21 out1; do
	expect_eq "$a packets (replies)" $N "$(counter_of "$TMPD/c1" $a packets)"
done
expect_eq "c12 bytes" $((N * FRAME)) "$(counter_of "$TMPD/c1" c12 bytes)"
expect_eq "c21 bytes" $((N * FRAME)) "$(counter_of "$TMPD/c1" c21 bytes)"
for a in in1 c12 out2 in2 c21 out1; do
	expect_eq "$a drops" 0 "$(counter_of "$TMPD/c1" $a drops)"
done

# ---- TCP: a few MB server -> client, sha256 compared ------------------------
sum=$(make_blob "$TMPD/blob" "$MB")
start_tcp_server "$TMPD/blob" 5001 || die "socat server did not listen"
t0=$(date +%s.%N)
if tcp_fetch 5001 "$TMPD/got"; then
	t1=$(date +%s.%N)
	got=$(sha256sum "$TMPD/got" | cut -d' ' -f1)
	expect_eq "TCP ${MB} MB sha256" "$sum" "$got"
	log "TCP ${MB} MB through the NE in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
else
	fail "TCP transfer through the NE"
fi
# FIN/ACK stragglers: two snapshots in a row agree
wait_for 10 settled "$TMPD/c2" ne_counters $NE || fail "counters still moving 10 s after the transfer"
req=$(counter_of "$TMPD/c2" c12 packets)
rep=$(counter_of "$TMPD/c2" c21 packets)
# every atom on a path sees every packet of it
expect_eq "in1 packets = c12 packets" "$req" "$(counter_of "$TMPD/c2" in1 packets)"
expect_eq "out2 packets = c12 packets" "$req" "$(counter_of "$TMPD/c2" out2 packets)"
expect_eq "in1 bytes = c12 bytes" "$(counter_of "$TMPD/c2" c12 bytes)" \
	"$(counter_of "$TMPD/c2" in1 bytes)"
expect_eq "in2 packets = c21 packets" "$rep" "$(counter_of "$TMPD/c2" in2 packets)"
expect_eq "out1 packets = c21 packets" "$rep" "$(counter_of "$TMPD/c2" out1 packets)"
rbytes=$(counter_of "$TMPD/c2" c21 bytes)
if [ "${rbytes:-0}" -gt $((MB * 1024 * 1024)) ]; then
	pass "c21 bytes $rbytes > payload $((MB * 1024 * 1024))"
else
	fail "c21 bytes ${rbytes:-?} <= payload $((MB * 1024 * 1024))"
fi
if [ "${req:-0}" -gt "$N" ] && [ "${rep:-0}" -gt "$N" ]; then
	pass "TCP counted both ways ($((req - N)) / $((rep - N)) packets)"
else
	fail "TCP not counted: c12 ${req:-?}, c21 ${rep:-?}"
fi

# ---- upgrade keeps counters of atoms with the same name and type ------------
out=$(ctl upgrade $NE "$DAGS/bridge.click" 2>&1) || fail "upgrade: $out"
snap "$TMPD/c3"
expect_eq "generation after upgrade" 2 "$(awk '$1=="generation"{print $2}' "$TMPD/c3")"
for a in in1 c12 out2 in2 c21 out1; do
	expect_eq "$a packets carried over" "$(counter_of "$TMPD/c2" $a packets)" \
		"$(counter_of "$TMPD/c3" $a packets)"
done
M=5
check "after upgrade: ping -c $M passes" pingq $M
snap "$TMPD/c4"
expect_eq "c12 packets after upgrade + ping" $((req + M)) "$(counter_of "$TMPD/c4" c12 packets)"
expect_eq "c21 packets after upgrade + ping" $((rep + M)) "$(counter_of "$TMPD/c4" c21 packets)"

# ---- delete stops traffic, recreate restores it ------------------------------
out=$(ctl delete $NE 2>&1) || fail "delete: $out"
check "NE deleted: show fails" bash -c "! ip netns exec $NS_CU $CLICKUPCTL show $NE >/dev/null 2>&1"
check "NE deleted: ping fails" ping_fails
ne_create $NE "$DAGS/bridge.click"
check "NE recreated: ping passes" pingq 3
snap "$TMPD/c5"
expect_eq "recreated: generation" 1 "$(awk '$1=="generation"{print $2}' "$TMPD/c5")"
expect_eq "recreated: c12 counts from zero" 3 "$(counter_of "$TMPD/c5" c12 packets)"

check "dmesg clean" dmesg_clean
exit $ret
