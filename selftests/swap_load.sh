#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Swap under load (the model is netfilter's nft_trans_stress.sh): while a
# long TCP stream and a fast ping run client <-> server through the bridge
# NE, upgrade it N_SWAPS times (default 1000), alternating between
# dags/bridge_plain.click and dags/bridge.click (the Counter atoms come and
# go, the FromDevice/ToDevice atoms carry over).
#
# Pass: not one ping lost, the TCP stream arrives intact (sha256 of what the
# server sent = sha256 of what the client got), generation = 1 + N_SWAPS,
# nothing alarming in dmesg. The figures (swaps, seconds, pings, per-phase
# swap times from `upgrade -j`) are printed as "# " diagnostics.
#
# Env: N_SWAPS (1000, 300 on the debug kernel), PING_INTERVAL (0.002 s),
# PING_CHUNK (500).

. "$(dirname "$0")/lib.sh"

require_clickup
require_cmd ping

NE=br
N_SWAPS=${N_SWAPS:-$(per_kernel 300 1000)}
PING_INTERVAL=${PING_INTERVAL:-0.002}
PING_CHUNK=${PING_CHUNK:-500}
PORT=5002

dmesg_mark
setup_topology
ne_create $NE "$DAGS/bridge.click"
ping_ok 3 || die "no traffic through the NE before the swaps"

# ---- TCP stream: paced writer in ns_srv until $TMPD/stop appears ------------
# Both ends hash on the fly: nothing big lands in the guest's tmpfs.
cat > "$TMPD/stream.py" <<'EOF'
import hashlib, os, socket, sys, time
mode, host, port, stop, out = sys.argv[1:6]
h, n = hashlib.sha256(), 0
if mode == "server":
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(1)
    open(out + ".listening", "w").close()
    c, _ = ls.accept()
    while not os.path.exists(stop):
        b = os.urandom(16384)
        c.sendall(b)
        h.update(b)
        n += len(b)
        time.sleep(0.01)	# ~1.6 MB/s: a long-lived session, not a bulk test
    c.shutdown(socket.SHUT_WR)
else:
    c = socket.create_connection((host, int(port)), timeout=30)
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
c.close()
open(out, "w").write("%s %d\n" % (h.hexdigest(), n))
EOF
bg srv "$PYTHON" "$TMPD/stream.py" server 0.0.0.0 $PORT "$TMPD/stop" "$TMPD/sent"
wait_for 10 test -e "$TMPD/sent.listening" || die "stream server did not start"
bg cli "$PYTHON" "$TMPD/stream.py" client $SRV_IP $PORT "$TMPD/stop" "$TMPD/got"
TCP_PID=$BG_PID

# ---- pings: counted chunks, so every chunk waits for its last reply ---------
cat > "$TMPD/pinger.sh" <<EOF
while [ ! -e "$TMPD/stop" ]; do
	ping -q -c $PING_CHUNK -i $PING_INTERVAL -W 2 $SRV_IP |
		sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' \
		>> "$TMPD/pings"
done
EOF
: > "$TMPD/pings"
bg cli bash "$TMPD/pinger.sh"
PING_PID=$BG_PID
sleep 1

# ---- the swaps ---------------------------------------------------------------
# SWAP_MODE=batch (default): one `clickupctl batch` process, one netlink
# socket, so the wall time is the swaps' and not the emulator's process
# starts; SWAP_MODE=exec: one clickupctl process per swap.
SWAP_MODE=${SWAP_MODE:-batch}
: > "$TMPD/times.json"
for i in $(seq 1 "$N_SWAPS"); do
	if [ $((i % 2)) = 1 ]; then f=bridge_plain; else f=bridge; fi
	echo "upgrade $NE $DAGS/$f.click -j"
done > "$TMPD/swaps.batch"
if [ "$SWAP_MODE" = batch ]; then
	swap_cmd=(ctl batch "$TMPD/swaps.batch")
else
	cat > "$TMPD/swapper.sh" <<EOF
while read -r cmd ne f j; do
	"$CLICKUPCTL" \$cmd \$ne \$f \$j || exit 1
done < "$TMPD/swaps.batch"
EOF
	swap_cmd=(cu bash "$TMPD/swapper.sh")
fi
log "swapping $N_SWAPS times under load ($SWAP_MODE mode)..."
t0=$(date +%s.%N)
"${swap_cmd[@]}" >> "$TMPD/times.json" 2> "$TMPD/swap.err"
swap_rc=$?
t1=$(date +%s.%N)
sleep 1
touch "$TMPD/stop"

# let the last ping chunk and the stream finish
wait_for 30 bash -c "! kill -0 $PING_PID 2>/dev/null" || fail "pinger did not stop"
wait_for 30 bash -c "! kill -0 $TCP_PID 2>/dev/null" || fail "TCP client did not finish"
wait_for 10 test -s "$TMPD/sent" || fail "stream server did not finish"

# ---- verdicts ---------------------------------------------------------------
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
if [ "$swap_rc" = 0 ]; then
	pass "$N_SWAPS upgrades succeeded"
else
	fail "upgrades stopped (rc $swap_rc): $(head -n 3 "$TMPD/swap.err")"
fi

gen=$(ne_generation $NE)
if [ "$gen" = $((1 + N_SWAPS)) ]; then
	pass "generation $gen = 1 + $N_SWAPS"
else
	fail "generation $gen, want $((1 + N_SWAPS))"
fi

read -r sent recv < <(awk '{ s += $1; r += $2 } END { print s + 0, r + 0 }' "$TMPD/pings")
lost=$((sent - recv))
if [ "$sent" -gt 0 ] && [ "$lost" = 0 ]; then
	pass "ping: $sent sent, 0 lost"
else
	fail "ping: $sent sent, $lost lost"
fi

read -r sum bytes < "$TMPD/sent" 2>/dev/null
read -r gsum gbytes < "$TMPD/got" 2>/dev/null
if [ -n "$sum" ] && [ "$sum" = "$gsum" ] && [ "$bytes" = "$gbytes" ]; then
	pass "TCP stream intact: $bytes bytes, sha256 matches"
else
	fail "TCP stream: sent ${bytes:-?} bytes sha256 ${sum:-?}, got ${gbytes:-?} bytes sha256 ${gsum:-?}"
fi

check "dmesg clean" dmesg_clean

# ---- figures ----------------------------------------------------------------
log "swap-under-load figures (TCG guest, $SWAP_MODE mode):"
log "  swaps:         $N_SWAPS in $secs s ($(awk -v n="$N_SWAPS" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0) ? n / s : 0 }') swaps/s wall clock, ctl parsing included)"
log "  pings:         $sent sent, $lost lost (interval $PING_INTERVAL s)"
log "  TCP stream:    ${bytes:-?} bytes across all swaps"
"$PYTHON" - "$TMPD/times.json" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
dec, i, docs = json.JSONDecoder(), 0, []
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    try:
        d, i = dec.raw_decode(text, i)
    except ValueError as e:
        print("#   cannot parse upgrade -j output at %d: %s" % (i, e))
        break
    docs.append(d)
# The brief said {"times": {"validate": ns, ...}}; ctl prints the flat
# {"validate_ns": ..., "loaded": ...}. Accept both.
def norm(d):
    t = dict(d.get("times", {}))
    for k, v in d.items():
        if k.endswith("_ns"):
            t[k[:-3]] = v
        elif k in ("loaded", "new_atoms", "migrated"):
            t[k] = v
    return t
ts = [norm(d) for d in docs]
print("#   kernel swap times from 'upgrade -j' (%d swaps), microseconds:" % len(ts))
print("#     %-12s %10s %10s %10s" % ("phase", "median", "p99", "max"))
for k in ("validate", "load", "instantiate", "publish", "total"):
    v = sorted(t[k] for t in ts if k in t)
    if not v:
        print("#     %-12s (missing)" % k)
        continue
    q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
    print("#     %-12s %10.1f %10.1f %10.1f" % (k, q(0.5) / 1e3, q(0.99) / 1e3, v[-1] / 1e3))
for k in ("loaded", "new_atoms", "migrated"):
    v = sorted(set(t.get(k) for t in ts))
    print("#     %-12s values seen: %s" % (k, v))
EOF
exit $ret
