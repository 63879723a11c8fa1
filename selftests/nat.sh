#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dts/nat.click end to end: the client's TCP connections and pings reach
# the server from 10.0.0.254 with a mapped port (echo id) and the replies
# find their way back; the server learns 10.0.0.254's MAC by ARP, answered
# by the NE's arpresponder; a live transfer survives the upgrade to
# dts/nat-log.click (mappings in the core table "natmap"); a reply with no
# mapping goes to nat's output 2, which the upgrade logs before dropping.
# (hostile_nat.sh has the hostile and ICMP/fragment cases.)

source "$(dirname "$0")/lib.sh"
ret=0
require_root
require_cmd curl
require_clickup
log_all_netns

NAT_IP=10.0.0.254
DTS=$REPO/dts

setup_topology
# One host inside, with the MAC dts/nat.click answers ARP for 10.0.0.254
# with; the server has no entry for 10.0.0.254 and asks.
CMAC=$(sed -n 's/.*\$CLIENT_MAC \([0-9a-f:]\{17\}\).*/\1/p' "$DTS/nat.click")
ip -n "$NS_CLI" link set c0 address "$CMAC" &&
ip -n "$NS_SRV" neigh replace $CLI_IP lladdr "$CMAC" dev s0 nud permanent ||
	die "cannot give the client MAC $CMAC"

start_http_server 4

ne_create nat "$DTS/nat.click"
check "HTTP download through the NAT" http_fetch "$TMPD/got1" --max-time 60
check "download intact" blob_ok "$TMPD/got1"
check "the server saw the NAT address, not the client's" \
	grep -q "^$NAT_IP " "$TMPD/http.log"
check "...and never the client's own" \
	bash -c "! grep -q '^$CLI_IP ' '$TMPD/http.log'"
check "ping through the NAT (echo id mapped)" ping_ok 2
neigh=$(ip -n "$NS_SRV" neigh show $NAT_IP dev s0)
check "the server's ARP for $NAT_IP was answered ($neigh)" \
	bash -c "[[ '$neigh' == *'lladdr $CMAC'* && '$neigh' != *PERMANENT* ]]"

ctl state show natmap -j > "$TMPD/map.json" 2>/dev/null
check "one flow per mapping in natmap, its REPLY tuple to the NAT address" \
	test "$(jq --arg nat "$NAT_IP" '[(if type == "array" then . else .flows end)[] | select(.reply.daddr == $nat)] | length' "$TMPD/map.json")" -ge 1

# A transfer across the upgrade: 4 MiB at 12 Mbit/s.
srv tc qdisc add dev s0 root tbf rate 12mbit burst 32kb latency 400ms ||
	die "cannot rate-limit s0"
http_fetch "$TMPD/got2" --max-time 60 & FETCH=$!
wait_for 20 test -s "$TMPD/got2"	# mid-transfer, not before it
out=$(ctl upgrade nat "$DTS/nat-log.click" -j) || fail "upgrade: $out"
log "upgrade: $out"
wait $FETCH
check "download across a CLICK-UP upgrade of the NAT completes" blob_ok "$TMPD/got2"

# A reply to the NAT address with no mapping: logged, then dropped.
dmesg -C
srv "$PYTHON" "$SELFTESTS/pkt/tcp_segment.py" $SRV_IP $NAT_IP 8080 29999 A
discards() { ne_counters nat | awk '$1 ~ /^discard@/ {print $2}'; }
wait_for 10 counter_is -ge 1 discards
ne_counters nat > "$TMPD/c"
check "unmapped reply reaches nat output 2 and is dropped" \
	test "$(awk '$1 ~ /^discard@/ {print $2}' "$TMPD/c")" = 1
check "...with a log line" bash -c "dmesg | grep -q nat-miss"

ctl delete nat
exit $ret
