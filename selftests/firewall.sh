#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed's whitelist firewall end to end (dts/firewall.click): an HTTP
# download through it passes, an unsolicited TCP segment does not; a live
# transfer survives a CLICK-UP upgrade (dts/firewall-log.click) because the
# whitelist lives in a core table, and stalls after a native restart
# (delete + create: state lost). The original edge-list files load and
# carry traffic too.

source "$(dirname "$0")/lib.sh"
ret=0
require_root
require_cmd curl
require_clickup

CMAC=fa:fe:ca:5d:97:6c	# the addresses encap() writes in firewall.click
SMAC=ee:43:35:3d:55:7c
DTS=$REPO/dts

setup_topology
ip -n "$NS_CLI" link set c0 down
ip -n "$NS_CLI" link set c0 address $CMAC up
ip -n "$NS_SRV" link set s0 down
ip -n "$NS_SRV" link set s0 address $SMAC up
ip -n "$NS_CLI" neigh replace $SRV_IP lladdr $SMAC dev c0 nud permanent
ip -n "$NS_SRV" neigh replace $CLI_IP lladdr $CMAC dev s0 nud permanent

start_http_server 4

ne_create fw "$DTS/firewall.click"
check "HTTP download through the firewall" http_fetch "$TMPD/got1"
check "download intact" blob_ok "$TMPD/got1"
ne_counters fw > "$TMPD/c1"
check "handshakes were whitelisted (writestate saw packets)" \
	test "$(counter_of "$TMPD/c1" ws packets)" -ge 1
check "nothing dropped so far" test "$(counter_of "$TMPD/c1" drop packets)" = 0

# An ACK of no session, from the client side: sessioncheck output 2.
cli "$PYTHON" "$SELFTESTS/pkt/tcp_segment.py" $CLI_IP $SRV_IP 40404 8080 A
wait_for 10 counter_is -ge 1 atom_field fw drop packets
ne_counters fw > "$TMPD/c2"
check "unsolicited segment dropped" \
	test "$(counter_of "$TMPD/c2" drop packets)" = 1
check "...and the server never answered it" \
	test "$(counter_of "$TMPD/c2" back_in packets)" = "$(counter_of "$TMPD/c1" back_in packets)"

# A transfer that spans the upgrade: 4 MiB at 12 Mbit/s, ~3 s.
srv tc qdisc add dev s0 root tbf rate 12mbit burst 32kb latency 400ms ||
	die "cannot rate-limit s0"

http_fetch "$TMPD/got2" --max-time 60 & FETCH=$!
wait_for 20 test -s "$TMPD/got2"	# mid-transfer, not before it
out=$(ctl upgrade fw "$DTS/firewall-log.click" -j) || fail "upgrade: $out"
log "upgrade: $out"
wait $FETCH
check "download across a CLICK-UP upgrade completes" blob_ok "$TMPD/got2"
check "generation is 2" test "$(ne_generation fw)" = 2
ne_counters fw > "$TMPD/c3"
check "counters carried over the upgrade" \
	test "$(counter_of "$TMPD/c3" in packets)" -gt "$(counter_of "$TMPD/c2" in packets)"
check "no segment of the live session dropped" \
	test "$(counter_of "$TMPD/c3" drop packets)" = 1

# The native manner: delete the element and its state (tables outlive
# their NE, so the whitelist must go explicitly), create it again. The
# transfer is slowed to ~8 s so it is surely still running when the
# element goes, however slow the emulator; curl gives up on a 6 s stall.
srv tc qdisc change dev s0 root tbf rate 4mbit burst 32kb latency 400ms
http_fetch "$TMPD/got3" --max-time 40 --speed-limit 1000 --speed-time 6 & FETCH=$!
wait_for 20 test -s "$TMPD/got3"
ctl delete fw && ctl state delete fw && ne_create fw "$DTS/firewall.click"
if wait $FETCH && blob_ok "$TMPD/got3"; then
	fail "download survived a native restart (state should be lost)"
else
	pass "native restart (state lost) breaks the live download"
fi
ne_counters fw > "$TMPD/c4"
check "the orphaned session's segments are dropped as illegal" \
	test "$(counter_of "$TMPD/c4" drop packets)" -ge 1

# The original demo files, unchanged.
srv tc qdisc change dev s0 root tbf rate 12mbit burst 32kb latency 400ms
ctl delete fw
ne_create fw "$DTS/type_create.txt"
check "download through the original type_create.txt" http_fetch "$TMPD/got4" --max-time 60
check "download intact" blob_ok "$TMPD/got4"
http_fetch "$TMPD/got5" --max-time 60 & FETCH=$!
wait_for 20 test -s "$TMPD/got5"
out=$(ctl upgrade fw "$DTS/type_update.txt") || fail "upgrade to type_update.txt: $out"
wait $FETCH
check "download across the original upgrade completes" blob_ok "$TMPD/got5"
ctl delete fw

exit $ret
