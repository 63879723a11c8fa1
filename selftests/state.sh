#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# State tables with real TCP sessions through the whitelist firewall
# (dts/firewall.click and its upgrade dts/firewall-log.click, table "fw";
# or, when the stateless atoms are not built, a minimal whitelist DAG with
# only readstate/sessioncheck/writestate and a variant with a counter):
#
#  1. sessions persist across N_SWAPS (1000) upgrades: parallel echo
#     connections exchange data the whole time, every byte checked; the
#     table's flows are the same after the swaps and nothing was refused;
#  2. table-full policy: max 3, five connections: three work, two are
#     refused (SYN dropped) and counted, the three keep working;
#  3. flush breaks an established connection; deleting one flow breaks
#     that one only;
#  4. timeout: a flow closed by RST goes to CLOSE and the GC removes it
#     (entries drop, "expired" counts it);
#  5. save/restore round trip (show -j identical but for expiry), and a
#     corrupted or truncated file is refused with a clear error, nothing
#     loaded, the running table untouched; -j outputs are valid JSON;
#  6. upgrade of clickup.ko itself: a transfer is paused, the state saved,
#     the NE deleted, every clickup module unloaded and clickup reloaded,
#     the NE created again and the state restored: the transfer completes
#     intact. Without the restore the same sequence leaves it broken.
#
# Env: N_SWAPS (1000, 200 on the debug kernel), STREAMS (4).

. "$(dirname "$0")/lib.sh"

require_clickup
require_cmd modprobe rmmod

NE=fw
TABLE=fw
N_SWAPS=${N_SWAPS:-$(per_kernel 200 1000)}
STREAMS=${STREAMS:-4}
PORT=5001		# echo server
BLOB_PORT=5002		# bulk transfer server

dmesg_mark
setup_topology

# ---- the DAGs --------------------------------------------------------------
have_mod() { modinfo -n "$1" >/dev/null 2>&1; }
if have_mod clickup_atom_classifier && have_mod clickup_atom_strip &&
   have_mod clickup_atom_checkipheader && have_mod clickup_atom_ipclassifier &&
   have_mod clickup_atom_encap && have_mod clickup_atom_log; then
	DAG_A=$REPO/dts/firewall.click
	DAG_B=$REPO/dts/firewall-log.click
	DROP=drop
	# encap writes the seed's addresses: give the interfaces those MACs
	ip -n "$NS_CLI" link set c0 address fa:fe:ca:5d:97:6c
	ip -n "$NS_SRV" link set s0 address ee:43:35:3d:55:7c
	ip -n "$NS_CLI" neigh replace $SRV_IP lladdr ee:43:35:3d:55:7c dev c0 nud permanent
	ip -n "$NS_SRV" neigh replace $CLI_IP lladdr fa:fe:ca:5d:97:6c dev s0 nud permanent
else
	log "stateless atoms not built: minimal whitelist DAG"
	DAG_A=$TMPD/wl.click
	DAG_B=$TMPD/wl-counter.click
	DROP=drop
	cat > "$DAG_A" <<-'EOF'
	in :: FromDevice(p1) -> rs :: ReadState(fw);
	out :: ToDevice(p2);
	rs [0] -> sc :: SessionCheck(fw);
	rs [1] -> out;
	sc [0] -> ws :: WriteState(fw) -> out;
	sc [1] -> out;
	sc [2] -> drop :: Discard;
	back_in :: FromDevice(p2) -> back_out :: ToDevice(p1);
	EOF
	sed 's/sc \[2\] -> drop/sc [2] -> Counter -> drop/' "$DAG_A" > "$DAG_B"
fi
log "DAGs: $DAG_A <-> $DAG_B"
ne_create $NE "$DAG_A"

# ---- helpers -----------------------------------------------------------------
# table_field FIELD: one field of table $TABLE from `state -j` (-1: none)
table_field() {
	ctl state -j > "$TMPD/tables.json" || { echo -1; return 1; }
	jq --arg t "$TABLE" --arg f "$1" \
		'([.[] | select(.name == $t) | .[$f]] + [-1])[0]' "$TMPD/tables.json"
}

# flows_now: `state show -j` without the expiry, one flow per line
flows_now() {
	ctl state show $TABLE -j > "$TMPD/flows.json" || return 1
	"$PYTHON" - "$TMPD/flows.json" <<-'EOF'
	import json, sys
	for f in json.load(open(sys.argv[1])):
	    f.pop("expires_ms")
	    print(json.dumps(f, sort_keys=True))
	EOF
}

drops() {	# packets the firewall's Discard has dropped
	ne_counters $NE > "$TMPD/cnt" && counter_of "$TMPD/cnt" $DROP packets
}

cat > "$TMPD/tcp.py" <<'EOF'
import hashlib, os, random, signal, socket, struct, sys, threading, time

def rt(s, n, rnd):
    """One echo round trip of n checked bytes."""
    data = rnd.randbytes(n)
    s.sendall(data)
    got = b""
    while len(got) < n:
        b = s.recv(n - len(got))
        if not b:
            raise EOFError("closed by peer")
        got += b
    if got != data:
        raise ValueError("echoed data differs")

def connect(host, port, timeout):
    s = socket.create_connection((host, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s

mode = sys.argv[1]
if mode == "echo":			# echo PORT
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", int(sys.argv[2])))
    ls.listen(64)
    def serve(c):
        try:
            while True:
                b = c.recv(65536)
                if not b:
                    break
                c.sendall(b)
        except OSError:
            pass
        c.close()
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()

elif mode == "blob":			# blob PORT FILE: send FILE to each client
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", int(sys.argv[2])))
    ls.listen(8)
    data = open(sys.argv[3], "rb").read()
    while True:
        c, _ = ls.accept()
        def send(c=c):
            try:
                c.sendall(data)
            except OSError:
                pass
            c.close()
        threading.Thread(target=send, daemon=True).start()

elif mode == "stream":			# stream HOST PORT N STOP OUT
    host, port, n, stop, out = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
    res = [None] * n
    socks = [connect(host, port, 10) for _ in range(n)]
    open(out + ".ready", "w").close()
    def run(i):
        rnd, total, s = random.Random(i), 0, socks[i]
        try:
            while not os.path.exists(stop):
                rt(s, 16384, rnd)
                total += 16384
                time.sleep(0.005)
            res[i] = "ok %d" % total
        except Exception as e:
            res[i] = "FAIL after %d bytes: %s" % (total, e)
    ts = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in ts: t.start()
    for t in ts: t.join()
    open(out, "w").write("".join("%d %s\n" % (i, r) for i, r in enumerate(res)))

elif mode == "steps":			# steps HOST PORT N DIR
    # open N connections (connect timeout 3 s) with one round trip each;
    # DIR/ports: local port or '-'; DIR/ready; wait for DIR/go; one more
    # round trip each (3 s); DIR/result: 1/0 per connection.
    host, port, n, d = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    socks, ports = [], []
    for i in range(n):
        try:
            s = connect(host, port, 3)
            rt(s, 1000, random.Random(i))
            socks.append(s)
            ports.append(str(s.getsockname()[1]))
        except Exception:
            socks.append(None)
            ports.append("-")
    open(d + "/ports", "w").write(" ".join(ports) + "\n")
    open(d + "/ready", "w").close()
    while not os.path.exists(d + "/go"):
        time.sleep(0.05)
    res = []
    for i, s in enumerate(socks):
        ok = 0
        if s:
            try:
                s.settimeout(3)
                rt(s, 1000, random.Random(100 + i))
                ok = 1
            except Exception:
                pass
        res.append(str(ok))
    open(d + "/result", "w").write(" ".join(res) + "\n")
    for s in socks:
        if s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()

elif mode == "rst":			# rst HOST PORT: a session ended by RST
    s = connect(sys.argv[2], int(sys.argv[3]), 3)
    rt(s, 1000, random.Random(0))
    print(s.getsockname()[1])
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()

elif mode == "fetch":			# fetch HOST PORT OUT PAUSE_AT
    # small receive buffer, so most of the transfer is still to come when
    # the client stops itself after PAUSE_AT bytes (OUT.paused)
    host, port, out, pause = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)
    s.settimeout(120)
    s.connect((host, port))
    h, n, paused = hashlib.sha256(), 0, False
    while True:
        b = s.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
        if not paused and n >= pause:
            paused = True
            open(out + ".paused", "w").write("%d %d\n" % (os.getpid(), n))
            os.kill(os.getpid(), signal.SIGSTOP)
    open(out, "w").write("%s %d\n" % (h.hexdigest(), n))
EOF

bg srv "$PYTHON" "$TMPD/tcp.py" echo $PORT
wait_for 10 srv sh -c "ss -ltn | grep -q ':$PORT '" || die "echo server did not start"

# steps_start DIR N: connections of the "steps" mode, in the background
steps_start() {
	rm -rf "$1"; mkdir -p "$1"
	bg cli "$PYTHON" "$TMPD/tcp.py" steps $SRV_IP $PORT "$2" "$1"
	wait_for 30 test -e "$1/ready"
}
steps_finish() {	# steps_finish DIR: prints the result line
	touch "$1/go"
	wait_for 30 test -s "$1/result" && cat "$1/result"
}

# ==== 1. sessions persist across swaps =======================================
log "1. sessions persist across swaps (at ${SECONDS} s)"
refused0=$(table_field refused)
bg cli "$PYTHON" "$TMPD/tcp.py" stream $SRV_IP $PORT "$STREAMS" "$TMPD/stop" "$TMPD/streams"
wait_for 20 test -e "$TMPD/streams.ready" || die "stream client could not connect through $NE"
streams_in_table() {	# every stream's flow established; the flows in before1
	flows_now > "$TMPD/before1" &&
		[ "$(grep -c '"state": "established"' "$TMPD/before1")" -ge "$STREAMS" ]
}
wait_for 10 streams_in_table || log "1: fewer than $STREAMS established flows after 10 s"
for i in $(seq 1 "$N_SWAPS"); do
	if [ $((i % 2)) = 1 ]; then echo "upgrade $NE $DAG_B"; else echo "upgrade $NE $DAG_A"; fi
done > "$TMPD/swaps.batch"
log "upgrading $N_SWAPS times while $STREAMS sessions exchange data..."
t0=$(date +%s)
ctl batch "$TMPD/swaps.batch" > /dev/null 2> "$TMPD/swap.err"
swap_rc=$?
t1=$(date +%s)
sleep 1
flows_now > "$TMPD/after1"
touch "$TMPD/stop"
wait_for 30 test -s "$TMPD/streams" || fail "stream client did not finish"
[ "$swap_rc" = 0 ] && pass "1: $N_SWAPS upgrades in $((t1 - t0)) s" ||
	fail "1: upgrades stopped (rc $swap_rc): $(head -n 2 "$TMPD/swap.err")"
if [ -s "$TMPD/streams" ] && ! grep -qv ' ok ' "$TMPD/streams"; then
	pass "1: $STREAMS sessions kept working, every echoed byte intact ($(awk '{ s += $3 } END { print s }' "$TMPD/streams") bytes)"
else
	fail "1: sessions broke: $(tr '\n' ';' < "$TMPD/streams" 2>/dev/null)"
fi
n_est=$(grep -c '"state": "established"' "$TMPD/before1")
if [ "$n_est" -ge "$STREAMS" ] && cmp -s "$TMPD/before1" "$TMPD/after1"; then
	pass "1: table entries unchanged across the swaps ($n_est established)"
else
	fail "1: table changed: before $(wc -l < "$TMPD/before1") flows, after $(wc -l < "$TMPD/after1"): $(diff "$TMPD/before1" "$TMPD/after1" | head -n 4 | tr '\n' ' ')"
fi
refused1=$(table_field refused)
[ "$refused1" = "$refused0" ] && pass "1: refused stays $refused1" ||
	fail "1: refused went from $refused0 to $refused1"

# ==== 2. table-full policy ===================================================
log "2. table-full policy (at ${SECONDS} s)"
ctl state flush $TABLE
ctl state set $TABLE max 3 || fail "2: state set $TABLE max 3"
max=$(table_field max)
[ "$max" = 3 ] && pass "2: state set $TABLE max 3 (state -j says max $max)" ||
	fail "2: state -j says max $max, want 3"
refused0=$(table_field refused)
steps_start "$TMPD/full" 5 || fail "2: connections did not settle"
read -r -a ports < "$TMPD/full/ports"
entries=$(table_field entries)
refused1=$(table_field refused)
res=$(steps_finish "$TMPD/full")
if [[ "${ports[*]}" =~ ^[0-9]+\ [0-9]+\ [0-9]+\ -\ -$ ]]; then
	pass "2: first 3 connections established, 4th and 5th refused"
else
	fail "2: connections: ${ports[*]} (want 3 ports then - -)"
fi
[ "$entries" = 3 ] && pass "2: entries 3 = max" || fail "2: entries $entries, want 3"
if [ $((refused1 - refused0)) -ge 2 ]; then
	pass "2: refused counts the refused SYNs ($((refused1 - refused0)))"
else
	fail "2: refused went from $refused0 to $refused1, want at least +2"
fi
[ "$res" = "1 1 1 0 0" ] && pass "2: the first 3 keep working" ||
	fail "2: round trips after the refusals: '$res', want '1 1 1 0 0'"
ctl state set $TABLE max 1048576

# ==== 3. flush; delete one flow ==============================================
log "3. flush; delete one flow (at ${SECONDS} s)"
ctl state flush $TABLE
steps_start "$TMPD/flush" 1 || fail "3: connection did not settle"
before=$(table_field entries)
ctl state flush $TABLE || fail "3: state flush $TABLE"
after=$(table_field entries)
res=$(steps_finish "$TMPD/flush")
if [ "$before" -ge 1 ] && [ "$after" = 0 ] && [ "$res" = 0 ]; then
	pass "3: flush: entries $before -> 0, the established connection breaks"
else
	fail "3: flush: entries $before -> $after, round trip after flush: '$res' (want 0)"
fi
d0=$(drops)

ctl state flush $TABLE
steps_start "$TMPD/del" 2 || fail "3: connections did not settle"
read -r -a ports < "$TMPD/del/ports"
ctl state delete $TABLE tcp $CLI_IP:"${ports[0]}" $SRV_IP:$PORT
del_rc=$?
entries=$(table_field entries)
res=$(steps_finish "$TMPD/del")
if [ "$del_rc" = 0 ] && [ "$entries" = 1 ] && [ "$res" = "0 1" ]; then
	pass "3: delete one flow: that connection breaks, the other works"
else
	fail "3: delete one flow: rc $del_rc, entries $entries, round trips '$res' (want '0 1')"
fi
d1=$(drops)
[ "${d1:-0}" -gt "${d0:-0}" ] && pass "3: the broken connections' segments were dropped as illegal ($d0 -> $d1)" ||
	fail "3: drop counter $d0 -> $d1"
# A kernel error: exit 2, as ip(8) (clickupctl(8), EXIT STATUS).
out=$(ctl state delete $TABLE tcp 10.9.9.9:1 10.9.9.8:2 2>&1)
[ $? = 2 ] && [[ "$out" == *"No such file or directory"* ]] &&
	pass "3: deleting a flow that is not there: $out" ||
	fail "3: deleting a missing flow: $out"

# ==== 4. timeout expiry ======================================================
log "4. timeout expiry (at ${SECONDS} s)"
ctl state flush $TABLE
exp0=$(table_field expired)
rport=$(cli "$PYTHON" "$TMPD/tcp.py" rst $SRV_IP $PORT) || fail "4: rst client failed"
flows_now > "$TMPD/rst"
if grep -q "\"sport\": $rport, \"state\": \"close\"" "$TMPD/rst"; then
	pass "4: the flow ended by RST is in state close"
else
	fail "4: after RST: $(cat "$TMPD/rst")"
fi
t0=$(date +%s)
entries_are() { [ "$(table_field entries)" = "$1" ]; }
if wait_for 25 entries_are 0; then
	exp1=$(table_field expired)
	[ $((exp1 - exp0)) = 1 ] &&
		pass "4: the GC removed it after $(( $(date +%s) - t0 )) s, expired $exp0 -> $exp1" ||
		fail "4: entries 0 but expired $exp0 -> $exp1"
else
	fail "4: still $(table_field entries) entries 25 s after the RST"
fi

# ==== 5. save/restore round trip; damaged files ==============================
log "5. save/restore round trip; damaged files (at ${SECONDS} s)"
ctl state flush $TABLE
steps_start "$TMPD/sr" 3 || fail "5: connections did not settle"
flows_now > "$TMPD/before5"
ctl state save $NE "$TMPD/fw.state" > "$TMPD/save.out" || fail "5: state save $NE"
ctl state flush $TABLE
out=$(ctl state restore $NE "$TMPD/fw.state")
flows_now > "$TMPD/after5"
if [ "$(wc -l < "$TMPD/before5")" = 3 ] && cmp -s "$TMPD/before5" "$TMPD/after5" &&
   [ "$out" = "table $TABLE: 3 flows restored" ]; then
	pass "5: save, flush, restore: the same 3 flows ($out)"
else
	fail "5: round trip: '$out'; $(diff "$TMPD/before5" "$TMPD/after5" | head -n 4 | tr '\n' ' ')"
fi
res=$(steps_finish "$TMPD/sr")
[ "$res" = "1 1 1" ] && pass "5: the sessions work on the restored flows" ||
	fail "5: round trips after the restore: '$res'"
for f in state show; do
	if [ $f = state ]; then ctl state -j > "$TMPD/j.json"; else ctl state show $TABLE -j > "$TMPD/j.json"; fi
	check "5: '$f -j' is valid JSON" "$PYTHON" -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMPD/j.json"
done

size=$(stat -c %s "$TMPD/fw.state")
cp "$TMPD/fw.state" "$TMPD/flip.state"
printf '\xff' | dd of="$TMPD/flip.state" bs=1 seek=$((size - 20)) conv=notrunc status=none
head -c $((size - 7)) "$TMPD/fw.state" > "$TMPD/trunc.state"
# into an empty table (nothing may be loaded) and a full one (untouched)
for t in flip trunc; do
	want="checksum mismatch"; [ $t = trunc ] && want="truncated at byte $((size - 7))"
	for base in empty running; do
		ctl state flush $TABLE
		[ $base = running ] && ctl state restore $NE "$TMPD/fw.state" > /dev/null
		flows_now > "$TMPD/pre"
		ins0=$(table_field inserted)
		out=$(ctl state restore $NE "$TMPD/$t.state" 2>&1)
		rc=$?
		flows_now > "$TMPD/post"
		ins1=$(table_field inserted)
		if [ $rc = 1 ] && [[ "$out" == "clickupctl: state restore $NE: $TMPD/$t.state: $want"* ]] &&
		   cmp -s "$TMPD/pre" "$TMPD/post" && [ "$ins0" = "$ins1" ]; then
			pass "5: $t file, $base table: '$out', table untouched"
		else
			fail "5: $t file, $base table: rc $rc, '$out', inserted $ins0 -> $ins1"
		fi
	done
done

# a big file: many FLOW_NEW messages in (clickupctl puts ~460 flows in
# one), a multi-message dump out
NB=$(per_kernel 1500 5000)
"$PYTHON" - "$TMPD/bulk.state" $NB <<'EOF'
import socket, struct, sys, zlib
n = int(sys.argv[2])
recs = b"".join(struct.pack("<BBBB", 6, 3, 0, 0) + socket.inet_aton("10.1.%d.%d" % (i >> 8, i & 255)) +
                socket.inet_aton("10.2.0.1") + struct.pack("!HH", 1024 + i, 80) + b"\0" * 16
                for i in range(n))
body = b"bulk".ljust(32, b"\0") + struct.pack("<II", 1 << 20, n) + recs
hdr = (b"CLICKUP-STATE".ljust(16, b"\0") + struct.pack("<IIIIII", 1, 96, 40, 32, 1, 0) +
       struct.pack("<QQ", 96 + len(body) + 4, 0) + b"gen".ljust(32, b"\0") + b"\0" * 8)
data = hdr + body
open(sys.argv[1], "wb").write(data + struct.pack("<I", zlib.crc32(data)))
EOF
out=$(ctl state restore $NE "$TMPD/bulk.state")
ctl state show bulk -j > "$TMPD/bulk.json"
nb=$(jq '[.[] | select(.state == "established") | [.saddr, .sport]] | unique | length' "$TMPD/bulk.json")
if [ "$out" = "table bulk: $NB flows restored (not used by $NE)" ] && [ "$nb" = "$NB" ]; then
	pass "5: $NB flows restored in several messages and dumped back: $out"
else
	fail "5: bulk restore: '$out', show -j has $nb distinct established flows"
fi
ctl state delete bulk || fail "5: state delete bulk"

# ==== 6. clickup.ko upgrade with a paused transfer ===========================
log "6. clickup.ko upgrade with a paused transfer (at ${SECONDS} s)"
# the client pauses after 1 MB: the rest is what crosses the reload
BLOB_SUM=$(make_blob "$TMPD/blob" "$(per_kernel 4 16)")
bg srv "$PYTHON" "$TMPD/tcp.py" blob $BLOB_PORT "$TMPD/blob"
wait_for 10 srv sh -c "ss -ltn | grep -q ':$BLOB_PORT '" || die "blob server did not start"

# core_upgrade TAG RESTORE(yes|no): pause a transfer, upgrade the core,
# resume. Sets $fetch_pid (the client); the result lands in $TMPD/TAG.
core_upgrade() {
	local tag=$1 restore=$2 m
	ctl state flush $TABLE
	bg cli "$PYTHON" "$TMPD/tcp.py" fetch $SRV_IP $BLOB_PORT "$TMPD/$tag" 1048576
	wait_for 30 test -s "$TMPD/$tag.paused" || { fail "6 ($tag): transfer did not start"; return 1; }
	# the segments in flight have passed: the table stands still
	wait_for 10 settled "$TMPD/$tag.flows" flows_now
	ctl state save $NE "$TMPD/$tag.state" > /dev/null || fail "6 ($tag): state save"
	ctl delete $NE || fail "6 ($tag): delete $NE"
	for m in $(clickup_modules); do
		rmmod "$m" || fail "6 ($tag): rmmod $m"
	done
	rmmod clickup || { fail "6 ($tag): rmmod clickup"; show_refcnts; return 1; }
	[ ! -d /sys/module/clickup ] || fail "6 ($tag): clickup still loaded"
	modprobe clickup || { fail "6 ($tag): modprobe clickup"; return 1; }
	ne_create $NE "$DAG_A"
	if [ "$restore" = yes ]; then
		out=$(ctl state restore $NE "$TMPD/$tag.state") ||
			fail "6 ($tag): state restore"
		log "6 ($tag): $out"
	fi
	# the client process kept its socket all along: wake it up
	read -r fetch_pid _ < "$TMPD/$tag.paused"
	kill -CONT "$fetch_pid"
	return 0
}

if core_upgrade restored yes; then
	if wait_for 60 test -s "$TMPD/restored"; then
		read -r sum bytes < "$TMPD/restored"
		[ "$sum" = "$BLOB_SUM" ] &&
			pass "6: with save/restore across a clickup.ko reload the paused transfer completes ($bytes bytes, sha256 ok)" ||
			fail "6: transfer completed with sha256 $sum ($bytes bytes), want $BLOB_SUM"
	else
		fail "6: with restore: transfer did not complete in 60 s after resuming"
	fi
fi
if core_upgrade lost no; then
	d0=$(drops)
	sleep 10
	d1=$(drops)
	if [ ! -s "$TMPD/lost" ] && [ "${d1:-0}" -gt 0 ]; then
		pass "6: without the restore the transfer stays broken (10 s, $d1 segments dropped as illegal)"
	else
		fail "6: without restore: result '$(cat "$TMPD/lost" 2>/dev/null)', drops $d0 -> $d1"
	fi
	kill -KILL "$fetch_pid" 2>/dev/null
fi

check "dmesg clean" dmesg_clean
log "done in ${SECONDS} s"
exit $ret
