#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# log: frames pass through unchanged and each gets one kernel log line:
# TCP with ports and tcpdump flags, UDP with ports, ICMP type/code, other
# protocols, non-IP frames with MACs and EtherType; found whether the
# frame still has its MAC header or was stripped (default prefix: the
# atom's name). Per-atom rate limit: 20 lines per 5 s, the rest counted
# and reported when the atom goes (NE deleted). Invalid prefixes are rejected.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
log_all_netns
dmesg_mark
setup_topology

PFX=tlog$$
ne_load lg <<EOF_DAG
in :: FromDevice(p1) -> l :: Log("$PFX") -> c :: Classifier(12/0800, -);
out :: ToDevice(p2);
c [0] -> Strip(14) -> l2 :: Log -> out;
c [1] -> out;
EOF_DAG

pkt_run <<'EOF_PKT'
send cli eth(ip(payload=tcp(1234, 80, 'SA')))
send cli eth(ip(payload=tcp(4321, 22, 'FPA')))
send cli eth(ip('10.0.0.1', '10.0.0.2', udp(5353, 53)))
send cli eth(ip(payload=icmp(8)))
send cli eth(ip(payload=raw(8), proto=47))
send cli eth(raw(28), type=0x0806, dst='ff:ff:ff:ff:ff:ff')
send cli eth(ip(payload=udp(7, 7))) x30
wait 0.8
expect srv eth(ip(payload=tcp(1234, 80, 'SA')))
expect srv eth(raw(28), type=0x0806, dst='ff:ff:ff:ff:ff:ff')
expect srv eth(ip(payload=udp(7, 7))) x30
count srv 36
EOF_PKT

dmesg_new > "$TMPD/dmesg"
has() {	# has LINE: a kernel log line ends with LINE
	if grep -qF -- "$1" "$TMPD/dmesg"; then
		pass "logged: $1"
	else
		fail "not logged: $1"
		sed 's/^/# dmesg: /' "$TMPD/dmesg" | tail -n 20
	fi
}
has "$PFX: in p1 len 54: IP 10.0.0.1.1234 > 10.0.0.2.80: tcp [S.]"
has "$PFX: in p1 len 54: IP 10.0.0.1.4321 > 10.0.0.2.22: tcp [FP.]"
has "$PFX: in p1 len 42: IP 10.0.0.1.5353 > 10.0.0.2.53: udp"
has "$PFX: in p1 len 42: IP 10.0.0.1 > 10.0.0.2: icmp type 8 code 0"
has "$PFX: in p1 len 42: IP 10.0.0.1 > 10.0.0.2: proto 47"
has "$PFX: in p1 len 42: ether 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff type 0x0806"
has "l2: in p1 len 40: IP 10.0.0.1.1234 > 10.0.0.2.80: tcp [S.]"
has "l2: in p1 len 28: IP 10.0.0.1 > 10.0.0.2: icmp type 8 code 0"
# 36 frames in well under 5 s: 20 lines each, the rest counted
n=$(grep -c "$PFX: in p1" "$TMPD/dmesg")
if [ "$n" = 20 ]; then pass "l: rate limited to 20 lines"; else fail "l: $n lines logged, want 20"; fi
n=$(grep -c "l2: in p1" "$TMPD/dmesg")
if [ "$n" = 20 ]; then pass "l2: rate limited to 20 lines"; else fail "l2: $n lines logged, want 20"; fi
out=$(ctl delete lg 2>&1) || fail "delete: $out"
if wait_for 5 sh -c "dmesg | tail -n +$((DMESG_START + 1)) | grep -q 'output lines suppressed due to ratelimiting'"; then
	pass "suppressed lines reported at destroy"
else
	fail "no report of suppressed lines"
fi

# ---- invalid arguments ---------------------------------------------------
long=$(printf 'x%.0s' $(seq 64))
rejects "FromHook(ipv4, forward) -> Log($long) -> Discard;" \
	"(log): argument 1: '$long' is longer than 63 bytes"
rejects "FromHook(ipv4, forward) -> Log(a, b) -> Discard;" "(log): takes 0 to 1 arguments, not 2"

check "dmesg clean" dmesg_clean
exit $ret
