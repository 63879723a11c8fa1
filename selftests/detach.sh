#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A device that leaves and comes back must never leave an element open
# (issue 10). The element drops everything arriving on p1; p1 has an
# address in the NE's netns, so whatever the element lets through, that
# stack answers. p1 moves to another netns and back (same ifindex): the
# hook is gone with it. show, show -j and monitor must say the entry is
# detached, and the next upgrade must re-attach it: before the fix the
# upgrade reported success while nothing was hooked, and pings passed.

. "$(dirname "$0")/lib.sh"

require_clickup
dmesg_mark
setup_topology
NS_TMP=ns_tmp-$SFX
EXTRA_NS+=("$NS_TMP")
new_ns "$NS_TMP" || die "netns $NS_TMP"

cu ip addr add 10.0.0.3/24 dev p1
cat > "$TMPD/block.click" <<'DAG'
in :: FromDevice(p1) -> d :: Discard;
DAG
ne_create blk "$TMPD/block.click"
ping3() { cli ping -c 2 -i 0.2 -W 1 -q 10.0.0.3 > /dev/null 2>&1; }
cli ip neigh replace 10.0.0.3 lladdr "$(cu cat /sys/class/net/p1/address)" dev c0
if ping3; then
	fail "attached element lets pings through"
else
	pass "attached: pings to the NE's netns are dropped"
fi

ip netns exec "$NS_CU" "$CLICKUPCTL" monitor -j > "$TMPD/mon.json" &
MON_PID=$!
BG_PIDS+=("$MON_PID")
wait_subscribed "$MON_PID"
idx=$(cu cat /sys/class/net/p1/ifindex)
cu ip link set p1 netns "$NS_TMP" || die "move p1 away"
ip -n "$NS_TMP" link set p1 netns "$NS_CU" || die "move p1 back"
check "p1 came back with the same ifindex" \
	test "$(cu cat /sys/class/net/p1/ifindex)" = "$idx"
cu ip link set p1 up
cu ip addr add 10.0.0.3/24 dev p1

out=$(ctl show blk)
check "show says the entry is detached: $(head -n1 <<<"$out")" \
	grep -q "1 DETACHED" <<<"$out"
check "show marks the atom" grep -q "in :: fromdevice(p1).*DETACHED" <<<"$out"
ne_json blk > "$TMPD/blk.json"
check "show -j: nr_detached 1" \
	test "$(jq '.[0].nr_detached' "$TMPD/blk.json")" = 1
check "show -j: atom in detached" \
	test "$(jq '.[0].atoms[] | select(.name == "in") | .detached' "$TMPD/blk.json")" = true
check "monitor saw the detach event" \
	wait_for 5 grep -q '"event":"detach","name":"blk"' "$TMPD/mon.json"
kill "$MON_PID" 2>/dev/null
check "detached: pings now reach the NE's netns (nothing hooked)" ping3

out=$(ctl upgrade blk "$TMPD/block.click" 2>&1)
check "upgrade succeeds: $out" test "$(ne_generation blk)" = 2
ne_json blk > "$TMPD/blk.json"
check "after the upgrade: nr_detached 0" \
	test "$(jq '.[0].nr_detached' "$TMPD/blk.json")" = 0
d0=$(jq '.[0].atoms[] | select(.name == "d") | .packets' "$TMPD/blk.json")
if ping3; then
	fail "upgrade reported success but the element is not hooked: pings pass"
else
	pass "upgrade re-attached the entry: pings dropped again"
fi
ne_json blk > "$TMPD/blk.json"
d1=$(jq '.[0].atoms[] | select(.name == "d") | .packets' "$TMPD/blk.json")
check "the discard counted them ($d0 -> $d1)" test "$d1" -ge $((d0 + 2))

# A device that is gone for good: the upgrade fails with a message and
# the element keeps its (detached) DAG.
cu ip link set p1 netns "$NS_TMP"
out=$(ctl upgrade blk "$TMPD/block.click" 2>&1)
case $out in
*"(fromdevice): argument 1: no device 'p1' in this netns"*) pass "upgrade without the device fails: $out" ;;
*) fail "upgrade without the device: $out" ;;
esac
check "generation unchanged" test "$(ne_generation blk)" = 2
ctl delete blk

check "dmesg clean" dmesg_clean
exit $ret
