#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# classifier: crafted frames from c0 go through fromdevice(p1) ->
# classifier(...) and come out where the first matching pattern sends
# them (s0, back at c0, a discard) or are dropped at the classifier when
# no pattern matches; counters agree. Masks, '?' wildcards, '!' negation,
# terms past the end of a short frame, '-'. Every invalid argument is
# rejected with its message.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
dmesg_mark
setup_topology

ne_load cl <<'EOF_DAG'
in :: FromDevice(p1);
c :: Classifier(12/0800 23/06, 12/0800 23/11, 12/0806, 12/88b5 14/a?ab%f0ff,
                !12/0800 0/02);
c [0] -> tcp :: Counter -> ToDevice(p2);
c [1] -> udp :: Counter -> ud :: Discard;
c [2] -> arp :: Counter -> ToDevice(p1);
c [3] -> exp :: Counter -> out2 :: ToDevice(p2);
c [4] -> other :: Counter -> out2;
in -> c;
EOF_DAG

pkt_run <<'EOF_PKT'
send cli eth(ip(payload=tcp(1234, 80, 'S'))) x3
send cli eth(ip(payload=udp(1234, 53))) x2
send cli eth(h('0001 0800 0604 0001') + raw(20, 1), type=0x0806)
send cli eth(h('a5ab') + raw(30), type=0x88b5) x2
send cli eth(h('b5ab') + raw(30), type=0x88b5)
send cli eth(b'', type=0x88b5)
send cli eth(ip(payload=icmp())) x2
send cli eth(h('b5ab') + raw(30), type=0x88b5, dst='04:00:00:00:00:02')
wait 0.6
expect srv eth(ip(payload=tcp(1234, 80, 'S'))) x3
expect srv eth(h('a5ab') + raw(30), type=0x88b5) x2
expect srv eth(h('b5ab') + raw(30), type=0x88b5)
expect srv eth(b'', type=0x88b5)
count srv 7
expect cli eth(h('0001 0800 0604 0001') + raw(20, 1), type=0x0806)
count cli 1
EOF_PKT

snap cl
want c packets 13
want c drops 3
want tcp packets 3
want udp packets 2
want ud drops 2
want arp packets 1
want exp packets 2
want other packets 2

# '-' matches everything: the seed's Classifier(12/0800, -)
ne_load cl <<'EOF_DAG'
in :: FromDevice(p1) -> c :: Classifier(12/0800, -);
c [0] -> ToDevice(p2);
c [1] -> nonip :: Counter -> ToDevice(p1);
EOF_DAG
pkt_run <<'EOF_PKT'
send cli eth(ip(payload=icmp()))
send cli eth(raw(46), type=0x1234)
expect srv eth(ip(payload=icmp()))
count srv 1
expect cli eth(raw(46), type=0x1234)
count cli 1
EOF_PKT
snap cl
want nonip packets 1
want c drops 3

# ---- invalid arguments ---------------------------------------------------
d() { echo "FromHook(ipv4, forward) -> Classifier($1) -> Discard;"; }
rejects "$(d '12/08zz')" "Invalid argument: atom 'classifier@2' (classifier): argument 1: term '12/08zz': bad hex value '08zz'"
rejects "$(d '12/0800 23/6')" "(classifier): argument 1: term '23/6': value '6' has an odd number of hex digits"
rejects "$(d '-, 4096/00')" "(classifier): argument 2: term '4096/00': offset too large"
rejects "$(d '4095/0000')" "(classifier): argument 1: term '4095/0000': offset too large"
rejects "$(d '12/0800%ff')" "(classifier): argument 1: term '12/0800%ff': mask 'ff' is not as long as value"
rejects "$(d '12/0800%zzzz')" "(classifier): argument 1: term '12/0800%zzzz': bad hex mask 'zzzz'"
rejects "$(d 'x/00')" "(classifier): argument 1: term 'x/00': offset is not a decimal number"
rejects "$(d '12')" "(classifier): argument 1: term '12': expected OFFSET/VALUE[%MASK]"
rejects "$(d '12/')" "(classifier): argument 1: term '12/': missing value"
rejects "$(d '/08')" "(classifier): argument 1: term '/08': missing offset"
rejects "$(d '12/0800, ')" "(classifier): argument 2: empty pattern"
rejects "$(d '12/0?%z0')" "(classifier): argument 1: term '12/0?%z0': bad hex mask 'z0'"
rejects "$(d '0/000000000000000000000000000000000000000000000000000000000000000000')" \
	"value longer than 32 bytes"
rejects "FromHook(ipv4, forward) -> Classifier -> Discard;" "(classifier): no patterns"
rejects "FromHook(ipv4, forward) -> c :: Classifier(12/0800, -) -> Discard;" \
	"atom 'c': output port 1 is not connected"

check "dmesg clean" dmesg_clean
exit $ret
