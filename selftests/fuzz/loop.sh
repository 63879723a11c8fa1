#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A forwarding loop: fromdevice(x1) -> todevice(x0) on the two ends of a
# veth pair sends one frame round forever. Deleting the NE ends it; so
# must deleting its netns: the NE, its modules and the netns must be
# freed. Finding of the fuzz work (see docs/testing.md "Fuzzers"): the
# looping skb still belongs to the sender's packet socket (veth does not
# orphan it within a netns), the socket pins the netns, so the netns,
# the NE and the loop lived on forever, burning a CPU. todevice now
# orphans what it sends (skb_orphan), so the netns goes and the loop with
# it.

. "$(dirname "$0")/../lib.sh"

require_clickup
PKTFUZZ=$SELFTESTS/fuzz/pktfuzz
[ -x "$PKTFUZZ" ] || skip "no $PKTFUZZ (make -C selftests)"

N=ns_loop-$SFX
EXTRA_NS+=("$N")
loop_up() {
	new_ns "$N" &&
	ip -n "$N" link add x0 type veth peer name x1 &&
	ip -n "$N" link set x0 up && ip -n "$N" link set x1 up || die "topology"
	echo 'FromDevice(x1) -> c :: Counter -> ToDevice(x0);' > "$TMPD/loop.click"
	ip netns exec "$N" "$CLICKUPCTL" create loop "$TMPD/loop.click" >/dev/null ||
		die "create loop"
	ip netns exec "$N" "$PKTFUZZ" -i x0 -n 1 --seed 1 >/dev/null
}
looping() {
	ip netns exec "$N" "$CLICKUPCTL" show loop -j > "$TMPD/l.json" &&
	grep -q '"name":"c","type":"counter","args":\[\],"outputs":1,"packets":[0-9]\{4,\}' "$TMPD/l.json"
}

dmesg_mark
loop_up
check "one frame loops (counter past 1000)" wait_for 30 looping
check "clickupctl delete ends the loop" \
	ip netns exec "$N" "$CLICKUPCTL" delete loop
ip netns del "$N"

loop_up
check "one frame loops again" wait_for 30 looping
ip netns del "$N"
check "ip netns del frees the looping NE (counter module unused in 60 s)" \
	wait_for 60 test "$(refcnt clickup_atom_counter)" = 0
check "no kernel warning" dmesg_clean
exit $ret
