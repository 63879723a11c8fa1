#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# strip and unstrip: a classifier in ns_cu fans crafted frames out to
# strip/unstrip chains; what arrives at s0 has exactly the bytes expected:
#   strip(20) -> encap            new header + the frame from byte 20
#   strip(20) -> unstrip(6) -> encap   new header + the frame from byte 14
#   strip(14) -> unstrip(14)      the frame itself
#   unstrip(128)                  128 more bytes (beyond the headroom of a
#                                 veth frame: skb_cow_head makes room)
#   strip(0)                      the frame itself
# A frame shorter than strip's N is dropped and counted at strip. Invalid
# lengths are rejected with their message.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
dmesg_mark
setup_topology

ne_load st <<'EOF_DAG'
in :: FromDevice(p1) -> c :: Classifier(14/01, 14/02, 14/03, 14/04, 14/05);
out :: ToDevice(p2);
enc :: Encap(0x88b6, 02:00:00:00:00:aa, 02:00:00:00:00:bb) -> out;
c [0] -> s20 :: Strip(20) -> enc;
c [1] -> s20b :: Strip(20) -> u6 :: Unstrip(6) -> enc;
c [2] -> s14 :: Strip(14) -> u14 :: Unstrip(14) -> out;
c [3] -> u128 :: Unstrip(128) -> out;
c [4] -> s0 :: Strip(0) -> out;
EOF_DAG

pkt_run <<'EOF_PKT'
let F = lambda k: eth(bytes([k]) + bytes(range(100, 145)), type=0x88b5)
let E = lambda b: eth(b, dst='02:00:00:00:00:bb', src='02:00:00:00:00:aa', type=0x88b6)
send cli F(1)
send cli F(1)[:19]
send cli F(2) x2
send cli F(3)
send cli F(4)
send cli F(5)
wait 0.6
expect srv E(F(1)[20:])
expect srv E(F(2)[14:]) x2
expect srv F(3)
expect_tail srv 128 F(4)
expect srv F(5)
count srv 6
EOF_PKT

snap st
want s20 packets 2
want s20 drops 1
want s20b packets 2
want u6 packets 2
want u6 bytes $((2 * (60 - 20)))
want enc bytes $((60 - 20 + 2 * (60 - 14)))
want u128 bytes 60
want out bytes $((54 + 2 * 60 + 60 + 188 + 60))
want s0 drops 0

# ---- invalid arguments ---------------------------------------------------
for a in -1 129 abc 0x10 1e3; do
	rejects "FromHook(ipv4, forward) -> Strip($a) -> Discard;" \
		"(strip): argument 1: '$a' is not a number from 0 to 128"
	rejects "FromHook(ipv4, forward) -> Unstrip($a) -> Discard;" \
		"(unstrip): argument 1: '$a' is not a number from 0 to 128"
done
rejects "FromHook(ipv4, forward) -> Strip -> Discard;" "(strip): takes 1 argument, not 0"
rejects "FromHook(ipv4, forward) -> Unstrip(1, 2) -> Discard;" "(unstrip): takes 1 argument, not 2"

check "dmesg clean" dmesg_clean
exit $ret
