#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bpf atom: a BPF socket filter program, loaded by clickupctl with
# libbpf and handed to the kernel as a descriptor, picks each packet's
# output port.
#
#  1. dts/bpf-split.click (dts/bpf/tcp_port.o: TCP dport 8080 -> output 1)
#     splits crafted frames by TCP port; every counter exact. The same
#     with three outputs, a named program, '-', a return value past the
#     last port (goes to the last one) and a pinned program.
#  2. the program swapped for another version under load: a live TCP
#     transfer through a whitelist firewall whose bpf atom counts port
#     8080 on output 1; 21 upgrades alternate tcp_port.o with
#     tcp_port_9090.o (port 9090 -> 1), ending on the latter: the
#     transfer completes intact, the whitelist table is unchanged, output
#     1 stops counting and output 0 takes over, counters carried over.
#  3. errors: no such file, not a BPF object (text, x86 ELF), no such
#     program, no socket filter, wrong program type (kernel, from an
#     object and pinned), verifier rejection (its log's last lines), bad
#     NOUTPUTS, argument count, missing CAP_BPF (ctl and kernel side),
#     missing CAP_NET_ADMIN.
#
# Needs the BPF objects: `make` builds them when clang is installed.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
require_cmd setpriv mount socat

OBJ=$REPO/dts/bpf/tcp_port.o
OBJ_9090=$SELFTESTS/bpf/tcp_port_9090.o
PROGS=$SELFTESTS/bpf/test_progs.o
XDP_ONLY=$SELFTESTS/bpf/xdp_only.o
PIN=$SELFTESTS/bpf_pin
for f in "$OBJ" "$OBJ_9090" "$PROGS" "$XDP_ONLY"; do
	[ -r "$f" ] || skip "no $f (needs clang: make bpf-progs)"
done
# clickupctl built without libbpf (the ARM cross builds) refuses bpf atoms
grep -aq bpf_object__open_file "$CLICKUPCTL" || skip "$CLICKUPCTL was built without libbpf"
[ -x "$PIN" ] || skip "no $PIN (needs libbpf-dev: make -C selftests)"
modinfo -n clickup_atom_bpf >/dev/null 2>&1 || skip "clickup_atom_bpf not built"

UNPRIV=/proc/sys/kernel/unprivileged_bpf_disabled
UNPRIV0=$(cat $UNPRIV 2>/dev/null)
BPFFS=$TMPD/bpffs
bpf_cleanup() {
	[ -n "$UNPRIV0" ] && echo "$UNPRIV0" > $UNPRIV 2>/dev/null
	umount "$BPFFS" 2>/dev/null
	lib_cleanup
}
trap bpf_cleanup EXIT

dmesg_mark
setup_topology

# ==== 1. split by TCP port ===================================================
log "1. split by TCP port (at ${SECONDS} s)"
ne_create split "$REPO/dts/bpf-split.click"
PKT_LOADED[split]=1

pkt_run <<'EOF_PKT'
send cli eth(ip(payload=tcp(1234, 8080, 'S'))) x5
send cli eth(ip(payload=tcp(1234, 80, 'S'))) x3
send cli eth(ip(payload=tcp(1234, 8081, 'S')))
send cli eth(ip(payload=udp(1234, 8080))) x2
send cli eth(ip(payload=icmp()))
send cli eth(raw(46), type=0x1234)
wait 0.6
expect srv eth(ip(payload=tcp(1234, 8080, 'S'))) x5
expect srv eth(ip(payload=tcp(1234, 80, 'S'))) x3
expect srv eth(ip(payload=tcp(1234, 8081, 'S')))
expect srv eth(ip(payload=udp(1234, 8080))) x2
expect srv eth(ip(payload=icmp()))
expect srv eth(raw(46), type=0x1234)
count srv 13
EOF_PKT
snap split
want split packets 13
want split drops 0
want web packets 5
want other packets 8
ctl show split -j > "$TMPD/split.json"
args=$(jq -c '.[0].atoms[] | select(.name == "split") | .args' "$TMPD/split.json")
[ "$args" = '["bpf/tcp_port.o"]' ] && pass "show: split's args are $args" ||
	fail "show: split's args are $args, want [\"bpf/tcp_port.o\"]"

# by_port: 80 -> 0, 8080 -> 1, 9090 -> 2, 7777 -> 7 = past the last port
split3() {	# split3 ARGS: a three-way split by by_port
	ne_load split <<-EOF_DAG
	in :: FromDevice(p1) -> sel :: BPF($1);
	out :: ToDevice(p2);
	sel [0] -> p0 :: Counter -> out;
	sel [1] -> p1 :: Counter -> out;
	sel [2] -> p2 :: Counter -> out;
	EOF_DAG
	pkt_run <<-'EOF_PKT'
	send cli eth(ip(payload=tcp(1234, 80, 'S')))
	send cli eth(ip(payload=tcp(1234, 8080, 'S'))) x2
	send cli eth(ip(payload=tcp(1234, 9090, 'S'))) x3
	send cli eth(ip(payload=tcp(1234, 7777, 'S'))) x4
	wait 0.6
	count srv 10
	EOF_PKT
	snap split
	want p0 packets "$2"
	want p1 packets "$3"
	want p2 packets "$4"
}
log "three outputs, named program: bpf($PROGS, by_port, 3)"
split3 "$PROGS, by_port, 3" 1 2 7
log "'-' picks the first socket filter: bpf($PROGS, -, 3)"
split3 "$PROGS, -, 3" 2 4 14

mkdir -p "$BPFFS"
if mount -t bpf bpf "$BPFFS" 2>/dev/null; then
	"$PIN" "$PROGS" by_port "$BPFFS/by_port" || fail "bpf_pin by_port"
	"$PIN" "$PROGS" xdp_pass "$BPFFS/xdp_pass" || fail "bpf_pin xdp_pass"
	log "pinned: bpf($BPFFS/by_port, -, 3)"
	split3 "$BPFFS/by_port, -, 3" 3 6 21
else
	fail "cannot mount a bpffs on $BPFFS"
fi

# ==== 2. program swap under load, whitelist state kept =======================
log "2. program swap under load (at ${SECONDS} s)"
ctl delete split || fail "delete split"
NE=fw
TABLE=fw_bpf
PORT=8080
N_SWAPS=21
fw_dag() {	# fw_dag OBJECT > file
	cat <<-EOF
	in :: FromDevice(p1) -> sel :: BPF($1);
	out :: ToDevice(p2);
	sel [0] -> miss :: Counter -> rs :: ReadState($TABLE);
	sel [1] -> hit :: Counter -> rs;
	rs [0] -> sc :: SessionCheck($TABLE);
	rs [1] -> out;
	sc [0] -> ws :: WriteState($TABLE) -> out;
	sc [1] -> out;
	sc [2] -> drop :: Discard;
	back_in :: FromDevice(p2) -> back_out :: ToDevice(p1);
	EOF
}
fw_dag "$OBJ" > "$TMPD/fw_a.click"
fw_dag "$OBJ_9090" > "$TMPD/fw_b.click"
ne_create $NE "$TMPD/fw_a.click"

flows_now() {	# the table's flows without their expiry, one per line
	ctl state show $TABLE -j > "$TMPD/flows.json" || return 1
	"$PYTHON" - "$TMPD/flows.json" <<-'EOF'
	import json, sys
	for f in json.load(open(sys.argv[1])):
	    f.pop("expires_ms")
	    print(json.dumps(f, sort_keys=True))
	EOF
}

cat > "$TMPD/tcp.py" <<'EOF'
import hashlib, os, socket, sys, threading, time
mode = sys.argv[1]
if mode == "blob":			# blob PORT FILE: send FILE to each client
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
elif mode == "fetch":			# fetch HOST PORT OUT FAST
    # reads 4 KB every 50 ms (OUT.progress: bytes so far) until the file
    # FAST exists, then the rest at full speed; OUT: "sha256 bytes".
    # 4 MB last ~50 s at 80 KB/s: 21 swaps take ~10 s on the debug
    # kernel, and a loaded CI host must not see the transfer end first.
    host, port, out, fast = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.settimeout(60)
    s.connect((host, port))
    h, n, last = hashlib.sha256(), 0, 0
    while True:
        quick = os.path.exists(fast)
        b = s.recv(65536 if quick else 4096)
        if not b:
            break
        h.update(b)
        n += len(b)
        if n - last >= 65536:
            open(out + ".progress", "w").write("%d\n" % n)
            last = n
        if not quick:
            time.sleep(0.05)
    open(out, "w").write("%s %d\n" % (h.hexdigest(), n))
EOF

BLOB_SUM=$(make_blob "$TMPD/blob" 4)
bg srv "$PYTHON" "$TMPD/tcp.py" blob $PORT "$TMPD/blob"
wait_for 10 srv sh -c "ss -ltn | grep -q ':$PORT '" || die "blob server did not start"
bg cli "$PYTHON" "$TMPD/tcp.py" fetch $SRV_IP $PORT "$TMPD/fetch" "$TMPD/fast"
progress_over() { [ "$(cat "$TMPD/fetch.progress" 2>/dev/null || echo 0)" -ge "$1" ]; }
wait_for 30 progress_over 131072 || die "transfer through $NE did not start"
flows_now > "$TMPD/before" || fail "state show $TABLE"
for i in $(seq 1 $N_SWAPS); do
	if [ $((i % 2)) = 1 ]; then echo "upgrade $NE $TMPD/fw_b.click"
	else echo "upgrade $NE $TMPD/fw_a.click"; fi
done > "$TMPD/swaps.batch"
p0=$(cat "$TMPD/fetch.progress")
t0=$(date +%s)
ctl batch "$TMPD/swaps.batch" > /dev/null 2> "$TMPD/swap.err"
swap_rc=$?
t1=$(date +%s)
p1=$(cat "$TMPD/fetch.progress")
# the checks below need the flow alive and sending after the swaps
[ -s "$TMPD/fetch" ] && fail "2: the transfer ended during the $((t1 - t0)) s of swaps: the reader must be slower"
[ "$swap_rc" = 0 ] && pass "2: $N_SWAPS upgrades (each loads the object again) in $((t1 - t0)) s, transfer at $p0 -> $p1 bytes" ||
	fail "2: upgrades stopped (rc $swap_rc): $(head -n 2 "$TMPD/swap.err")"
flows_now > "$TMPD/after"
ne_counters $NE > "$TMPD/c1"
# port 8080 now misses: wait for the transfer to send more through
wait_for 10 counter_is -gt "$(counter_of "$TMPD/c1" miss packets)" atom_field $NE miss packets
ne_counters $NE > "$TMPD/c2"
touch "$TMPD/fast"
if wait_for 60 test -s "$TMPD/fetch"; then
	read -r sum bytes < "$TMPD/fetch"
	[ "$sum" = "$BLOB_SUM" ] &&
		pass "2: the transfer completed intact across the swaps ($bytes bytes, sha256 ok)" ||
		fail "2: transfer ended with sha256 $sum ($bytes bytes), want $BLOB_SUM"
else
	fail "2: transfer did not complete in 60 s"
fi
n_est=$(grep -c '"state": "established"' "$TMPD/before")
if [ "$n_est" = 1 ] && cmp -s "$TMPD/before" "$TMPD/after"; then
	pass "2: table $TABLE unchanged across the swaps (1 established flow)"
else
	fail "2: table: $n_est established before; $(diff "$TMPD/before" "$TMPD/after" | head -n 4 | tr '\n' ' ')"
fi
h1=$(counter_of "$TMPD/c1" hit packets); h2=$(counter_of "$TMPD/c2" hit packets)
m1=$(counter_of "$TMPD/c1" miss packets); m2=$(counter_of "$TMPD/c2" miss packets)
if [ "$h1" -gt 0 ] && [ "$h2" = "$h1" ] && [ "$m2" -gt "$m1" ]; then
	pass "2: after the swap to tcp_port_9090.o port 8080 leaves on output 0 (hit stays $h1, miss $m1 -> $m2)"
else
	fail "2: hit $h1 -> $h2, miss $m1 -> $m2 (want hit > 0 and unchanged, miss growing)"
fi
ne_counters $NE > "$TMPD/c3"
s3=$(counter_of "$TMPD/c3" sel packets)
h3=$(counter_of "$TMPD/c3" hit packets); m3=$(counter_of "$TMPD/c3" miss packets)
d3=$(counter_of "$TMPD/c3" drop packets)
[ "$s3" = $((h3 + m3)) ] && pass "2: sel's counter carried over every swap ($s3 = hit $h3 + miss $m3)" ||
	fail "2: sel $s3 packets, hit $h3 + miss $m3"
[ "$d3" = 0 ] && pass "2: the whitelist dropped nothing" || fail "2: the whitelist dropped $d3"
ctl delete $NE || fail "delete $NE"

# ==== 3. errors ==============================================================
log "3. errors (at ${SECONDS} s)"
d() {	# a DAG with a bpf atom f taking $1
	echo "f :: BPF($1); FromHook(ipv4, forward) -> f; f[0] -> Discard; f[1] -> Discard;"
}
rejects "$(d /nonexistent/x.o)" "bpf atom 'f' ($TMPD/bad.click:1): /nonexistent/x.o: No such file or directory"
echo "not an object" > "$TMPD/text.o"
rejects "$(d "$TMPD/text.o")" "$TMPD/text.o: not a BPF object (not an ELF file)"
rejects "$(d /bin/true)" "/bin/true: not a BPF object (ELF for machine 62, not BPF: build it with clang -target bpf)"
rejects "$(d "$PROGS, nosuch")" "$PROGS: no program 'nosuch' in it (programs: "
rejects "$(d "$XDP_ONLY")" "$XDP_ONLY: no socket filter program (SEC(\"socket\")) in it (programs: xdp_only)"
rejects "$(d "$PROGS, xdp_pass")" "Invalid argument: atom 'f' (bpf): program is not a socket filter ($TMPD/bad.click:1)"
[ -e "$BPFFS/xdp_pass" ] &&
	rejects "$(d "$BPFFS/xdp_pass")" "Invalid argument: atom 'f' (bpf): program is not a socket filter"
[ -e "$BPFFS/by_port" ] &&
	rejects "$(d "$BPFFS/by_port, by_port")" "a pinned program takes no PROGRAM"
rejects "$(d "$PROGS, bad_ctx")" "$PROGS: verifier rejected program 'bad_ctx': "
log "$("$CLICKUPCTL" create "bad-$SFX" "$TMPD/bad.click" 2>&1)"
rejects "$(d "$PROGS, bad_ctx")" "invalid bpf_context access"
rejects "$(d "$OBJ, -, 0")" "Invalid argument: atom 'f' (bpf): argument 3: '0' is not a number from 1 to 64"
rejects "$(d "$OBJ, -, 65")" "(bpf): argument 3: '65' is not a number from 1 to 64"
rejects "$(d "")" "atom 'f' (bpf): takes 1 to 3 arguments, not 0"

# rejects_as 'SETPRIV OPTS' 'DAG' 'MESSAGE'
rejects_as() {
	local out

	printf '%s\n' "$2" > "$TMPD/bad.click"
	# shellcheck disable=SC2086
	if out=$(setpriv $1 "$CLICKUPCTL" create "bad-$SFX" "$TMPD/bad.click" 2>&1); then
		"$CLICKUPCTL" delete "bad-$SFX" >/dev/null 2>&1
		fail "accepted without caps ($1): $2"
		return
	fi
	case $out in
	*"$3"*) pass "rejected ($1): $out" ;;
	*) fail "rejected ($1) with another message: $out (want: $3)" ;;
	esac
}
NOBPF="--bounding-set=-bpf,-sys_admin"
rejects_as "$NOBPF" "$(d "$OBJ")" "$OBJ: Operation not permitted (loading BPF programs needs CAP_BPF or CAP_SYS_ADMIN)"
# opening a pinned program needs no CAP_BPF: the kernel refuses to run it
[ -e "$BPFFS/by_port" ] &&
	rejects_as "$NOBPF" "$(d "$BPFFS/by_port")" "Operation not permitted: atom 'f' (bpf): running a BPF program needs CAP_BPF ($TMPD/bad.click:1)"
# with unprivileged BPF allowed clickupctl loads the program, and the
# kernel refuses to run it for a process without CAP_BPF
if [ -n "$UNPRIV0" ] && echo 0 > $UNPRIV 2>/dev/null; then
	rejects_as "$NOBPF" "$(d "$OBJ")" "Operation not permitted: atom 'f' (bpf): running a BPF program needs CAP_BPF"
	echo "$UNPRIV0" > $UNPRIV
else
	log "kernel.unprivileged_bpf_disabled is not writable: kernel-side CAP_BPF check not tried"
fi
rejects_as "--bounding-set=-net_admin" "$(d "$OBJ")" "Operation not permitted"

# every program released: the module can go
wait_for 10 sh -c '[ "$(cat /sys/module/clickup_atom_bpf/refcnt 2>/dev/null)" = 0 ]' ||
	fail "clickup_atom_bpf still in use: refcnt $(refcnt clickup_atom_bpf)"
rmmod clickup_atom_bpf && pass "clickup_atom_bpf unloads" || fail "rmmod clickup_atom_bpf"

check "dmesg clean" dmesg_clean
log "done in ${SECONDS} s"
exit $ret
