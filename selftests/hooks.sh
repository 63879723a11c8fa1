#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Entry hooks other than bump-in-the-wire: an IPv4 input hook whose
# verdicts decide (discard ICMP, accept the rest), a netdev ingress entry
# that hands frames back to the stack (accept must restore the data
# pointer), and a device removed under a live element (the notifier
# detaches the hook; an upgrade attaches the new device).

source "$(dirname "$0")/lib.sh"
ret=0
require_root
require_cmd curl
require_clickup

setup_topology
ne_create br "$REPO/dts/bridge.click"
start_http_server 1
sctl() { ip netns exec "$NS_SRV" "$CLICKUPCTL" "$@"; }
scount() {	# scount NE ATOM: packets counted at ATOM
	sctl show "$1" -j > "$TMPD/s.json" &&
	jq --arg a "$2" '.[0].atoms[] | select(.name == $a) | .packets' "$TMPD/s.json"
}

# 1. IPv4 input hook in the server: ICMP discarded, the rest accepted.
cat > "$TMPD/in.click" <<'DAG'
h :: FromHook(ipv4, input) -> c :: IPClassifier(icmp, -);
c [0] -> d :: Discard;
c [1] -> a :: Accept;
DAG
out=$(sctl create in4 "$TMPD/in.click" 2>&1) || die "create in4: $out"
check "input hook: ping is discarded" ping_fails
check "input hook: HTTP is accepted" http_fetch "$TMPD/got1" --max-time 30
check "download intact" blob_ok "$TMPD/got1"
check "discard counted the echo requests" test "$(scount in4 d)" -ge 2
check "accept counted the HTTP segments" test "$(scount in4 a)" -ge 3
sctl delete in4
check "ping passes again once the element is deleted" ping_ok 2

# 2. netdev ingress entry that accepts: frames go back to the stack whole.
cat > "$TMPD/acc.click" <<'DAG'
s :: FromDevice(s0) -> n :: Counter -> Accept;
DAG
out=$(sctl create acc "$TMPD/acc.click" 2>&1) || die "create acc: $out"
check "ingress accept: ping passes" ping_ok 4
check "ingress accept: HTTP passes" http_fetch "$TMPD/got2" --max-time 30
check "download intact" blob_ok "$TMPD/got2"
check "ingress accept: frames counted" test "$(scount acc n)" -ge 4
sctl delete acc

# 3. A device removed under a live element, then re-attached by upgrade.
cu ip link add d0 type dummy && cu ip link set d0 up || die "dummy d0"
cat > "$TMPD/d.click" <<'DAG'
FromDevice(d0) -> Discard;
DAG
ne_create dmy "$TMPD/d.click"
cu ip link del d0
check "element outlives its device" ctl show dmy
check "traffic on the other element unaffected" ping_ok 2
cu ip link add d0 type dummy && cu ip link set d0 up
out=$(ctl upgrade dmy "$TMPD/d.click" 2>&1)
check "upgrade attaches the new d0 ($out)" test "$(ne_generation dmy)" = 2
ctl delete dmy
cu ip link del d0

exit $ret
