#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an entry hands back to the stack (issue 10):
# 1. L3 entries (fromhook) whose atoms move the data pointer (strip,
#    unstrip, encap, checkipheader) and then accept: the stack must get its
#    packet back as it gave it, or TCP (non-linear, GRO'd skbs) breaks and
#    a non-linear skb pulled past its head is a BUG().
# 2. todevice reachable from an L3 entry is refused with a message.
# 3. unstrip(N) past the frame's start transmits zeros, never headroom:
#    a VLAN-tagged frame leaves the 4 bytes of its old MAC header in front
#    of the untagged one (skb_vlan_untag), so stale bytes are certain.
# 4. CHECKSUM_COMPLETE stays valid: the test atom rxcsum
#    (selftests/atoms) makes packets look as an offloading NIC delivers
#    them; after atoms that pull and push, the stack (accept) or the peer
#    (todevice, veth) must find the sum matching, or the kernel logs
#    "hw csum failure" with a stack. Offloads are off on the client so its
#    packets carry final checksums, as a NIC receives them.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
require_cmd curl
dmesg_mark
setup_topology
ne_create br "$REPO/dts/bridge.click"
start_http_server 1
sctl() { ip netns exec "$NS_SRV" "$CLICKUPCTL" "$@"; }

# ---- 1. L3 entries that move data, then accept ----------------------------
n=0
while IFS='|' read -r hook chain; do
	n=$((n + 1))
	printf 'h :: FromHook(ipv4, %s) -> %s -> c :: Counter -> Accept;\n' \
		"$hook" "$chain" > "$TMPD/l3.click"
	out=$(sctl create l3 "$TMPD/l3.click" 2>&1) ||
		die "create $hook/$chain: $out"
	check "$hook: $chain -> accept: HTTP download intact" \
		http_fetch "$TMPD/got$n" --max-time 60
	check "$hook: $chain: blob intact" blob_ok "$TMPD/got$n"
	sctl show l3 -j > "$TMPD/l3.json"
	got=$(json_eval "$TMPD/l3.json" \
		"[a['packets'] for a in d[0]['atoms'] if a['name'] == 'c'][0]")
	check "$hook: $chain: packets reached accept ($got)" test "$got" -ge 4
	sctl delete l3
done <<'EOF'
prerouting|Strip(14)
prerouting|Strip(20) -> Unstrip(6)
prerouting|Encap(0x0800, 02:00:00:00:00:01, 02:00:00:00:00:02)
prerouting|Unstrip(14) -> CheckIPHeader(14)
output|Strip(14)
output|Unstrip(14)
output|Encap(0x0800, 02:00:00:00:00:01, 02:00:00:00:00:02)
EOF
check "ping passes with the L3 elements gone" ping_ok 2

# ---- 2. todevice under an L3 entry ----------------------------------------
ctl delete br
rejects "h :: FromHook(ipv4, forward) -> s :: Strip(0) -> t :: ToDevice(lo);" \
	"atom 't' (todevice) needs frames but is reachable from L3 entry 'h' (fromhook)"
rejects "h :: FromHook(ipv6, output) -> c :: Classifier(0/60, -); c[0] -> t :: ToDevice(lo); c[1] -> Accept;" \
	"atom 't' (todevice) needs frames but is reachable from L3 entry 'h'"
# The same atom under a netdev entry is fine, beside an L3 entry too.
printf '%s\n' 'FromDevice(p1) -> ToDevice(p2); FromHook(ipv4, forward) -> Accept;' > "$TMPD/ok.click"
out=$(ctl create ok "$TMPD/ok.click" 2>&1)
check "todevice on a netdev path beside an L3 entry is accepted ($out)" \
	ctl delete ok

# ---- 3. unstrip zeroes what was never part of the frame -------------------
ne_load un <<'EOF_DAG'
FromDevice(p1) -> Strip(14) -> u :: Unstrip(18) -> ToDevice(p2);
EOF_DAG
pkt_run <<'EOF_PKT'
let P = bytes(range(100, 146))
let V = eth(h('0005 88b5') + P, dst='aa:bb:cc:dd:ee:ff', type=0x8100)
send cli V x2
wait 0.6
expect srv h('00000000') + eth(P, dst='aa:bb:cc:dd:ee:ff', type=0x88b5) x2
count srv 2
EOF_PKT

# ---- 4. CHECKSUM_COMPLETE kept valid across pull and push -----------------
ctl delete un
ne_create br "$REPO/dts/bridge.click"
RX=$REPO/selftests/atoms/clickup_atom_rxcsum.ko
[ -f "$RX" ] || die "test atom not built: $RX (make example-atom)"
grep -q '^clickup_atom_rxcsum ' /proc/modules || insmod "$RX" || die "insmod $RX"
cli ethtool -K c0 tx off tso off gso off >/dev/null
n=0
# WHERE|ENTRY|ATOMS|EXIT: an NE in the server's netns (srv) or in the
# element's (cu: replacing the bridge, with the way back).
while IFS='|' read -r where entry chain exit; do
	n=$((n + 1))
	{
		echo "$entry -> rx :: RxCsum -> $chain -> c :: Counter -> $exit;"
		echo "rx [1] -> p :: Counter -> Discard;"
		[ "$where" = srv ] || echo "FromDevice(p2) -> ToDevice(p1);"
	} > "$TMPD/cs.click"
	if [ "$where" = srv ]; then
		run() { sctl "$@"; }
	else
		run() { ctl "$@"; }
		ctl delete br
	fi
	out=$(run create cs "$TMPD/cs.click" 2>&1) || die "create cs: $out"
	mark=$(dmesg | wc -l)
	what="COMPLETE, $entry -> $chain -> $exit"
	check "$what: HTTP download intact" http_fetch "$TMPD/cs$n" --max-time 60
	check "$what: blob intact" blob_ok "$TMPD/cs$n"
	run show cs -j > "$TMPD/cs.json"
	got=$(json_eval "$TMPD/cs.json" \
		"[a['packets'] for a in d[0]['atoms'] if a['name'] == 'c'][0]")
	left=$(json_eval "$TMPD/cs.json" \
		"[a['packets'] for a in d[0]['atoms'] if a['name'] == 'p'][0]")
	check "$what: $got packets made COMPLETE, $left left as they were" \
		test "$got" -ge 4 -a "$left" = 0
	check "$what: no hw csum failure" \
		sh -c "! dmesg | tail -n +$((mark + 1)) | grep 'hw csum failure'"
	run delete cs
	[ "$where" = srv ] || ne_create br "$REPO/dts/bridge.click"
done <<'EOF_CS'
srv|FromDevice(s0)|Strip(14) -> Unstrip(14)|Accept
srv|FromDevice(s0)|Strip(14) -> CheckIPHeader -> Strip(20) -> Unstrip(34)|Accept
srv|FromHook(ipv4, prerouting)|Strip(20) -> Unstrip(20)|Accept
cu|FromDevice(p1)|Strip(14) -> CheckIPHeader -> Unstrip(14)|ToDevice(p2)
EOF_CS
rmmod clickup_atom_rxcsum

check "dmesg clean" dmesg_clean
exit $ret
