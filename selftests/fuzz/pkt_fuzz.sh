#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzz through every atom type (pkt_lib.sh has the topology):
# pktfuzz sends seeded random and mutated frames (truncated at every
# layer, IP options, fragments, VLAN/QinQ, bad checksums, wrong
# IHL/length/doff, IPv6 extension headers, min and beyond-MTU sizes) into
# frames.click for FUZZ_SECONDS (default 10), while TCP runs through
# gso.click (veth, GSO/GRO: payload in frags) and hooks.click (loopback).
# Fails on a kernel splat, a failed or corrupted transfer, NEs that stop
# answering or cannot be deleted. FUZZ_SEED=N replays the frames.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pkt_lib.sh"

require_clickup
require_cmd socat sha256sum ss
[ -x "$PKTFUZZ" ] || skip "no $PKTFUZZ (make -C selftests)"

SECS=${FUZZ_SECONDS:-10}
COUNT=${FUZZ_PKT_COUNT:-100000000}
SEED=${FUZZ_SEED:-$(( (RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM ))}
MB=${FUZZ_TCP_MB:-4}

T0=$EPOCHREALTIME
dmesg_mark
fuzz_topology
fuzz_nes
log "setup done at $(elapsed) s"

sum=$(make_blob "$TMPD/blob" "$MB")
# data flows client -> server: into s0, where gso.click sees it
bg fz socat -u TCP-LISTEN:5001,bind=10.8.0.2,reuseaddr "CREATE:$TMPD/got-veth"
sv=$BG_PID
bg fz socat -u TCP-LISTEN:5002,bind=127.0.0.1,reuseaddr "CREATE:$TMPD/got-lo"
sl=$BG_PID
wait_for 10 fz sh -c "ss -ltn | grep -q ':5002 '" || die "socat servers did not start"

log "pktfuzz for $SECS s, seed $SEED (replay: FUZZ_SEED=$SEED), MTU $FUZZ_MTU"
ip netns exec "$NC" socat -u "FILE:$TMPD/blob" TCP:10.8.0.2:5001,connect-timeout=10 &
tv=$!
fz socat -u "FILE:$TMPD/blob" TCP:127.0.0.1:5002,connect-timeout=10 &
tl=$!
fz "$PKTFUZZ" -i i0 --seed "$SEED" -n "$COUNT" -t "$SECS" --mtu "$FUZZ_MTU" \
	> "$TMPD/pktfuzz.out" || fail "pktfuzz exited $?"
cat "$TMPD/pktfuzz.out"
sent=$(awk '/sent-total/ { print $3 }' "$TMPD/pktfuzz.out")

check "TCP over veth through gso.click" wait "$tv"
check "TCP over loopback through hooks.click" wait "$tl"
wait "$sv" "$sl"	# the servers have closed their files
check "veth transfer intact" test "$(sha256sum < "$TMPD/got-veth" | cut -d' ' -f1)" = "$sum"
check "loopback transfer intact" test "$(sha256sum < "$TMPD/got-lo" | cut -d' ' -f1)" = "$sum"

log "fuzz and transfers done at $(elapsed) s"
atom_counters fz1 fz2 fz3 fz5 | sed 's/^/# /'
got=$(counter fz1 in packets)
log "fz1 in: $got of $sent frames sent (the rest: veth backlog drops)"
check "fromdevice saw the fuzzed frames" \
	test "${got:-0}" -gt 0 -a "${got:-0}" -le "${sent:-0}"
p=$(counter fz5 in5 packets); b=$(counter fz5 in5 bytes)
log "gso.click in5: $p packets, $b bytes, $(( b / (p ? p : 1) )) bytes per packet"
check "GSO/GRO skbs longer than the MTU reached fromdevice" \
	test $(( b / (p ? p : 1) )) -gt 1514
p=$(counter fz3 h4 packets); b=$(counter fz3 h4 bytes)
log "hooks.click h4: $p packets, $(( b / (p ? p : 1) )) bytes per packet"

for ne in fz1 fz2 fz3 fz5; do
	check "delete $ne after the fuzz" fzctl delete "$ne"
done
check "no kernel warning during the fuzz" dmesg_clean
exit $ret
