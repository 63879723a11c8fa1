#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkipheader: after strip(14), good IPv4 headers (also with options and
# with trailing padding, which is kept) leave on output 0 and, re-encapped
# with the same addresses, arrive at s0 byte for byte; bad ones (checksum,
# version, ihl < 5, header longer than the packet, total length below the
# header or beyond the packet, truncated header) leave on output 1, here
# sent back out p1 (todevice restores the stripped MAC header) and seen at
# c0. With output 1 unconnected the core drops and counts them at
# checkipheader. checkipheader(14) checks a whole frame in place.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
dmesg_mark
setup_topology

ne_load ck <<'EOF_DAG'
in :: FromDevice(p1) -> Strip(14) -> chk :: CheckIPHeader
   -> Encap(0x0800, 02:00:00:00:00:01, 02:00:00:00:00:02) -> ToDevice(p2);
chk [1] -> bad :: Counter -> ToDevice(p1);
EOF_DAG

BAD="
eth(ip(payload=udp(), badsum=True))
eth(ip(payload=udp(), version=6))
eth(ip(payload=udp(), ihl=4))
eth(ip(payload=udp(), ihl=15, options=b''))
eth(ip(payload=udp(), tot=29))
eth(ip(payload=udp(), tot=19))
eth(ip(payload=udp())[:12])
"
{
	echo "send cli eth(ip(payload=tcp()))"
	echo "send cli eth(ip(payload=tcp(), ihl=7))"
	echo "send cli eth(ip(payload=udp()) + raw(10, 0xee))"
	echo "$BAD" | sed -n 's/^eth/send cli eth/p'
	echo "wait 0.6"
	echo "expect srv eth(ip(payload=tcp()))"
	echo "expect srv eth(ip(payload=tcp(), ihl=7))"
	echo "expect srv eth(ip(payload=udp()) + raw(10, 0xee))"
	echo "count srv 3"
	echo "$BAD" | sed -n 's/^eth/expect cli eth/p'
	echo "count cli 7"
} | pkt_run

snap ck
want chk packets 10
want chk drops 0
want bad packets 7

# output 1 unconnected: the core drops at chk; offset 14: a whole frame
ne_load ck <<'EOF_DAG'
in :: FromDevice(p1) -> chk :: CheckIPHeader(14) -> ToDevice(p2);
EOF_DAG
pkt_run <<'EOF_PKT'
send cli eth(ip(payload=icmp()))
send cli eth(ip(payload=icmp(), badsum=True))
send cli eth(ip(payload=icmp(), tot=100))
wait 0.6
expect srv eth(ip(payload=icmp()))
count srv 1
count cli 0
EOF_PKT
snap ck
want chk packets 13
want chk drops 2

# ---- invalid arguments ---------------------------------------------------
for a in abc -1 129; do
	rejects "FromHook(ipv4, forward) -> CheckIPHeader($a) -> Discard;" \
		"Invalid argument: atom 'checkipheader@2' (checkipheader): argument 1: '$a' is not a number from 0 to 128"
done
rejects "FromHook(ipv4, forward) -> CheckIPHeader(1, 2) -> Discard;" \
	"(checkipheader): takes 0 to 1 arguments, not 2"

check "dmesg clean" dmesg_clean
exit $ret
