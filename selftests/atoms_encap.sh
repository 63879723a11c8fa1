#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# encap: strip(14) -> encap(TYPE, SRC, DST) replaces a frame's Ethernet
# header with exactly those fields (hex and decimal EtherTypes), whether
# the stripped header was another or already that one; encap on a whole
# frame stacks a second header on it. Invalid EtherTypes and MAC
# addresses are rejected with their message.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
dmesg_mark
setup_topology

ne_load en <<'EOF_DAG'
in :: FromDevice(p1) -> c :: Classifier(12/0800, 12/86dd, 12/88b6, -);
out :: ToDevice(p2);
c [0] -> Strip(14) -> e1 :: Encap(0x86dd, 0a:0b:0c:0d:0e:0f, 12:34:56:78:9A:bc) -> out;
c [1] -> Strip(14) -> e2 :: Encap(2048, fe:ff:ff:ff:ff:ff, ff:ff:ff:ff:ff:ff) -> out;
c [2] -> Strip(14) -> e4 :: Encap(0x88b6, 02:00:00:00:00:aa, 02:00:00:00:00:bb) -> out;
c [3] -> e3 :: Encap(0x88b5, 02:00:00:00:00:aa, 02:00:00:00:00:bb) -> out;
EOF_DAG

pkt_run <<'EOF_PKT'
let P = ip(payload=udp(1000, 2000, b'hello'))
send cli eth(P)
send cli eth(P, type=0x86dd)
send cli eth(raw(30, 7), type=0x1234)
send cli eth(raw(30, 9), type=0x88b6, src='02:00:00:00:00:aa', dst='02:00:00:00:00:bb')
send cli eth(raw(30, 9), type=0x88b6, src='02:00:00:00:00:aa', dst='02:00:00:00:00:cc')
wait 0.6
expect srv eth(P, dst='12:34:56:78:9a:bc', src='0a:0b:0c:0d:0e:0f', type=0x86dd)
expect srv eth(P, dst='ff:ff:ff:ff:ff:ff', src='fe:ff:ff:ff:ff:ff', type=0x0800)
expect srv eth(eth(raw(30, 7), type=0x1234), dst='02:00:00:00:00:bb', src='02:00:00:00:00:aa', type=0x88b5)
expect srv eth(raw(30, 9), dst='02:00:00:00:00:bb', src='02:00:00:00:00:aa', type=0x88b6) x2
count srv 5
EOF_PKT

snap en
want e1 packets 1
want e3 bytes 44
want e4 packets 2
want out bytes $((14 + 33 + 14 + 33 + 14 + 44 + 2 * (14 + 30)))

# ---- invalid arguments ---------------------------------------------------
d() { echo "FromHook(ipv4, forward) -> Encap($1) -> Discard;"; }
M=02:00:00:00:00:01
rejects "$(d "0x0800, not-a-mac, $M")" "Invalid argument: atom 'encap@2' (encap): argument 2: 'not-a-mac' is not a MAC address"
rejects "$(d "0x0800, $M:ff, $M")" "(encap): argument 2: '$M:ff' is not a MAC address"
rejects "$(d "0x0800, 02-00-00-00-00-01, $M")" "(encap): argument 2: '02-00-00-00-00-01' is not a MAC address"
rejects "$(d "0x0800, $M, 02:00:00:00:00")" "(encap): argument 3: '02:00:00:00:00' is not a MAC address"
rejects "$(d "0x0800, $M, 02:00:00:00:00:0g")" "(encap): argument 3: '02:00:00:00:00:0g' is not a MAC address"
rejects "$(d "0x10000, $M, $M")" "(encap): argument 1: '0x10000' is not an ethertype from 0 to 0xffff"
rejects "$(d "ip, $M, $M")" "(encap): argument 1: 'ip' is not an ethertype from 0 to 0xffff"
rejects "$(d "0x0800, $M")" "(encap): takes 3 arguments, not 2"

check "dmesg clean" dmesg_clean
exit $ret
