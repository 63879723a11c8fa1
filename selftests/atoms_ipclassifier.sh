#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ipclassifier: crafted IPv4 frames go through strip(14) -> checkipheader
# -> ipclassifier(...); output i re-encaps with EtherType 0x88b0+i, so the
# frame seen at s0 tells which expression matched first: protocols, ports
# on either side, TCP flags, ICMP types, src net / dst host, ip proto,
# 'not' and 'and'. Non-first fragments never match ports or flags; frames
# that match nothing are dropped and counted at ipclassifier. A second
# DAG classifies whole frames (network header set by the stack), where a
# non-IP frame only matches '-'. Invalid expressions are rejected with the
# failing word.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
dmesg_mark
setup_topology

ne_load ipc <<'EOF_DAG'
in :: FromDevice(p1) -> Strip(14) -> CheckIPHeader -> ipc :: IPClassifier(
	tcp dst port 80 and tcp syn,
	tcp dst port 80,
	udp port 53,
	icmp type 8,
	src net 10.1.0.0/16 and not icmp,
	dst host 10.0.0.9,
	ip proto 47,
	tcp opt ack && ! src port 1234);
out :: ToDevice(p2);
ipc [0] -> Encap(0x88b0, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [1] -> Encap(0x88b1, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [2] -> Encap(0x88b2, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [3] -> Encap(0x88b3, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [4] -> Encap(0x88b4, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [5] -> Encap(0x88b5, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [6] -> Encap(0x88b6, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [7] -> Encap(0x88b7, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
EOF_DAG

# "output ip-packet" per line; output - : dropped
CASES="
0 ip(payload=tcp(1234, 80, 'S'))
1 ip(payload=tcp(1234, 80, 'A'))
2 ip(payload=udp(53, 9999))
2 ip(payload=udp(9999, 53))
- ip(payload=tcp(1000, 53, 'S'))
3 ip(payload=icmp(8))
- ip(payload=icmp(0))
4 ip('10.1.2.3', '10.0.0.2', tcp(1000, 22, 'S'))
- ip('10.1.2.3', '10.0.0.2', icmp(0))
5 ip('10.0.0.1', '10.0.0.9', udp(1, 2))
6 ip(payload=raw(8), proto=47)
7 ip(payload=tcp(1000, 443, 'PA'))
- ip(payload=tcp(1234, 443, 'PA'))
- ip(payload=tcp(1234, 80, 'S'), frag=100)
"
{
	echo "$CASES" | awk 'NF { $1 = ""; print "send cli eth(" substr($0, 2) ")" }'
	echo "wait 0.8"
	echo "$CASES" | awk 'NF && $1 != "-" {
		o = $1; $1 = ""
		print "expect srv eth(" substr($0, 2) ", type=0x88b" o ")" }'
	echo "count srv 9"
} | pkt_run

snap ipc
want ipc packets 14
want ipc drops 5
want out packets 9

# Whole frames: the network header is the one the stack set (byte 14).
ne_load ipc <<'EOF_DAG'
in :: FromDevice(p1) -> ipc :: IPClassifier(udp, not tcp, -);
out :: ToDevice(p2);
ipc [0] -> Encap(0x88c0, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [1] -> Encap(0x88c1, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
ipc [2] -> Encap(0x88c2, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;
EOF_DAG
pkt_run <<'EOF_PKT'
send cli eth(ip(payload=udp()))
send cli eth(ip(payload=icmp()))
send cli eth(ip(payload=tcp()))
send cli eth(raw(28), type=0x0806)
wait 0.6
expect srv eth(eth(ip(payload=udp())), type=0x88c0)
expect srv eth(eth(ip(payload=icmp())), type=0x88c1)
expect srv eth(eth(ip(payload=tcp())), type=0x88c2)
expect srv eth(eth(raw(28), type=0x0806), type=0x88c2)
count srv 4
EOF_PKT

# ---- invalid arguments ---------------------------------------------------
d() { echo "FromHook(ipv4, forward) -> IPClassifier($1) -> Discard;"; }
rejects "$(d 'tcp port abc')" "Invalid argument: atom 'ipclassifier@2' (ipclassifier): argument 1: 'port' needs a number from 0 to 65535, not 'abc'"
rejects "$(d 'udp, port 65536')" "(ipclassifier): argument 2: 'port' needs a number from 0 to 65535, not '65536'"
rejects "$(d 'host 10.0.0.300')" "(ipclassifier): argument 1: 'host' needs an IPv4 address, not '10.0.0.300'"
rejects "$(d 'net 10.0.0.0/33')" "(ipclassifier): argument 1: 'net' needs A.B.C.D/LEN (LEN 0 to 32), not '10.0.0.0/33'"
rejects "$(d 'net 10.0.0.0')" "(ipclassifier): argument 1: 'net' needs A.B.C.D/LEN (LEN 0 to 32), not '10.0.0.0'"
rejects "$(d 'tcp or udp')" "(ipclassifier): argument 1: 'or' is not supported"
rejects "$(d 'tcp and (udp)')" "(ipclassifier): argument 1: '(udp)' is not supported"
rejects "$(d 'foo')" "(ipclassifier): argument 1: unknown word 'foo'"
rejects "$(d 'src 10.0.0.1')" "(ipclassifier): argument 1: 'src' needs host, net or port after it, not '10.0.0.1'"
rejects "$(d 'ip proto 300')" "(ipclassifier): argument 1: 'ip proto' needs a number from 0 to 255, not '300'"
rejects "$(d 'ip tos 1')" "(ipclassifier): argument 1: 'ip' must be followed by 'proto'"
rejects "$(d 'tcp and')" "(ipclassifier): argument 1: pattern ends with 'and'"
rejects "$(d 'and tcp')" "(ipclassifier): argument 1: 'and' without a primitive before it"
rejects "$(d 'tcp opt xyz')" "(ipclassifier): argument 1: 'tcp opt' needs syn, ack, fin, rst, psh or urg, not 'xyz'"
rejects "$(d 'icmp type')" "(ipclassifier): argument 1: 'icmp type' needs a number from 0 to 255"
rejects "$(d 'tcp src host 10.0.0.1')" "(ipclassifier): argument 1: 'src' after a protocol must be port, not 'host'"
rejects "$(d 'not')" "(ipclassifier): argument 1: nothing after 'not'"
rejects "$(d 'tcp -')" "(ipclassifier): argument 1: '-' must be the whole pattern"
rejects "$(d 'tcp, ')" "(ipclassifier): argument 2: empty pattern"
rejects "FromHook(ipv4, forward) -> IPClassifier -> Discard;" "(ipclassifier): no patterns"

check "dmesg clean" dmesg_clean
exit $ret
