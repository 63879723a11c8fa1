#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile TCP peers against the stateful firewall of dts/firewall.click
# (table fw, policy strict), and the same traffic against a Linux bridge
# filtering with nftables and conntrack:
#
#   ct state established,related accept; ct state invalid drop;
#   ct state new iifname p1 accept; drop      (p1: the inside)
#
# Both run side by side in the VM, each between its own client (inside)
# and server (outside) namespaces with the same addresses. Cases:
#
#   inbound SYN     the server connects to a port the client listens on
#   flood           300 spoofed SYN + ACK "handshakes" from unused inside
#                   addresses at a table limit of 64, then a real connection
#   oow RST         a RST with a random sequence number, far from the
#                   window, into a live download (from the outside)
#   oow data        the same with 100 bytes of data
#   port reuse      a connection closed cleanly, then the same 4-tuple again
#   idle timeout    an assured connection idle past a 20 s established
#                   timeout, then the server speaks
#
# CLICK-UP must do what conntrack does (or better: the flood); the output
# ends with the comparison table. Tools: selftests/pkt/hostile.py (raw
# sockets), socat, nft.
# Env: SIDES ("cu ct"; "cu" on the debug kernel: the conntrack side tests
# Linux, not CLICK-UP, and costs two minutes under the checkers; each
# check still holds CLICK-UP to what conntrack does).

source "$(dirname "$0")/lib.sh"
ret=0
require_root
require_cmd nft socat tc
require_clickup

HOSTILE=$SELFTESTS/pkt/hostile.py
CMAC=fa:fe:ca:5d:97:6c	# the addresses encap() writes in firewall.click
SMAC=ee:43:35:3d:55:7c
NSN_CLI=nsn_cli-$SFX
NSN_BR=nsn_br-$SFX
NSN_SRV=nsn_srv-$SFX
EXTRA_NS+=("$NSN_CLI" "$NSN_BR" "$NSN_SRV")
CT_MAX_WAS=
SIDES=${SIDES:-$(per_kernel cu "cu ct")}
has_ct() { [[ " $SIDES " == *" ct "* ]]; }
declare -A RES	# RES[case,side]: what happened
dmesg_mark

cleanup() {
	[ -z "$CT_MAX_WAS" ] || sysctl -qw net.netfilter.nf_conntrack_max="$CT_MAX_WAS"
	lib_cleanup
}
trap cleanup EXIT

# ---- the two setups ----------------------------------------------------------
setup_topology
ip -n "$NS_CLI" link set c0 down
ip -n "$NS_CLI" link set c0 address $CMAC up
ip -n "$NS_SRV" link set s0 down
ip -n "$NS_SRV" link set s0 address $SMAC up
ip -n "$NS_CLI" neigh replace $SRV_IP lladdr $SMAC dev c0 nud permanent
ip -n "$NS_SRV" neigh replace $CLI_IP lladdr $CMAC dev s0 nud permanent
ne_create fw "$REPO/dts/firewall.click"
ctl state set fw policy strict >/dev/null || die "state set fw policy strict"

# the nftables + conntrack side: a bridge between its own client and server
setup_ct() {
	for ns in "$NSN_CLI" "$NSN_BR" "$NSN_SRV"; do
		new_ns "$ns" || die "netns $ns"
	done
	ip -n "$NSN_BR" link add p1 type veth peer name c0 netns "$NSN_CLI" &&
	ip -n "$NSN_BR" link add p2 type veth peer name s0 netns "$NSN_SRV" &&
	ip -n "$NSN_BR" link add br0 type bridge &&
	ip -n "$NSN_BR" link set p1 master br0 &&
	ip -n "$NSN_BR" link set p2 master br0 || die "bridge setup"
	for l in p1 p2 br0; do ip -n "$NSN_BR" link set $l up; done
	ip -n "$NSN_CLI" addr add $CLI_IP/24 dev c0
	ip -n "$NSN_SRV" addr add $SRV_IP/24 dev s0
	ip -n "$NSN_CLI" link set c0 address $CMAC up
	ip -n "$NSN_SRV" link set s0 address $SMAC up
	ip -n "$NSN_CLI" neigh replace $SRV_IP lladdr $SMAC dev c0 nud permanent
	ip -n "$NSN_SRV" neigh replace $CLI_IP lladdr $CMAC dev s0 nud permanent
	ip netns exec "$NSN_BR" nft -f - <<-'EOF' || die "nft ruleset"
	table bridge fw {
		chain forward {
			type filter hook forward priority 0; policy drop;
			ether type arp accept
			ct state established,related counter accept
			ct state invalid counter drop
			ct state new iifname "p1" counter accept
			counter drop
		}
	}
	EOF
}
! has_ct || setup_ct
CT_MAX_WAS=$(sysctl -n net.netfilter.nf_conntrack_max) || die "no nf_conntrack_max"

# on SIDE cli|srv|mid CMD...: run in that side's namespace
on() {
	local side=$1 who=$2; shift 2
	case $side/$who in
	cu/cli) ip netns exec "$NS_CLI" "$@" ;;
	cu/srv) ip netns exec "$NS_SRV" "$@" ;;
	cu/mid) ip netns exec "$NS_CU" "$@" ;;
	ct/cli) ip netns exec "$NSN_CLI" "$@" ;;
	ct/srv) ip netns exec "$NSN_SRV" "$@" ;;
	ct/mid) ip netns exec "$NSN_BR" "$@" ;;
	esac
}

# CLICK-UP table counter FIELD (state -j); ct_count: conntrack entries;
# nft_invalid: packets the nft rule "ct state invalid drop" dropped.
fw_field() {
	ctl state -j > "$TMPD/t.json" &&
	jq -r --arg f "$1" '.[] | select(.name == "fw") | .[$f]' "$TMPD/t.json"
}
ct_count() { on ct mid sysctl -n net.netfilter.nf_conntrack_count; }
nft_invalid() {
	on ct mid nft list chain bridge fw forward |
		awk '/ct state invalid/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
invalid_of() {	# invalid_of SIDE: the tracker's count of invalid packets
	if [ "$1" = cu ]; then fw_field invalid; else nft_invalid; fi
}

# Peers: a blob server, a one-line server (closes first), a listener
# that speaks after a pause.
BLOB=$TMPD/blob
BLOB_SUM=$(make_blob "$BLOB" 4)
cat > "$TMPD/peer.py" <<'EOF'
import socket, sys, time
mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "reuse":		# two connections from one source port
    out = []
    for i in range(2):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 40000))
        s.settimeout(8)
        try:
            # our own socket may still be in LAST_ACK for a moment
            for t in range(50):
                try:
                    s.connect((host, port))
                    break
                except OSError as e:
                    if e.errno not in (98, 99) or t == 49:
                        raise
                    time.sleep(0.05)
            data = b""
            while True:
                d = s.recv(100)
                if not d:
                    break
                data += d
            out.append("ok" if data == b"hi\n" else "short")
        except OSError as e:
            out.append("failed(%s)" % type(e).__name__)
        s.close()
    print(" ".join(out))
elif mode == "idle-client":	# connect, then wait for the server's word
    s = socket.socket()
    s.settimeout(int(sys.argv[4]))
    s.connect((host, port))
    s.sendall(b"x")
    try:
        print("received" if s.recv(100) else "closed")
    except socket.timeout:
        print("nothing")
elif mode == "idle-server":	# accept, read, say something after a pause
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((host, port))
    l.listen()
    c, _ = l.accept()
    c.recv(100)
    time.sleep(float(sys.argv[4]))
    c.sendall(b"late")
    time.sleep(5)
EOF
for side in $SIDES; do
	bg on $side srv socat -U "TCP-LISTEN:8080,reuseaddr,fork" "OPEN:$BLOB,rdonly"
	bg on $side srv socat "TCP-LISTEN:7000,reuseaddr,fork" "SYSTEM:echo hi"
	bg on $side cli socat -u "TCP-LISTEN:9000,reuseaddr,fork" "OPEN:/dev/null"
done
for side in $SIDES; do
	wait_for 30 on $side srv sh -c "ss -ltn | grep -q ':7000 '" ||
		die "$side: servers did not start"
	wait_for 30 on $side cli sh -c "ss -ltn | grep -q ':9000 '" ||
		die "$side: client listener did not start"
done
fetch() {	# fetch SIDE DST [socat opts]: the blob from the server
	on "$1" cli socat -u "TCP:$SRV_IP:8080,connect-timeout=5${3:+,$3}" "CREATE:$2"
}
fetch cu "$TMPD/warm" && blob_ok "$TMPD/warm" || die "no download through CLICK-UP"
if has_ct; then
	fetch ct "$TMPD/warm" && blob_ok "$TMPD/warm" || die "no download through the bridge"
fi
log "sides $SIDES carry a download (at ${SECONDS} s)"

# like_ct CASE WANT: conntrack's result in CASE (up to a ",") is WANT, or
# its side did not run. ct_says CASE: that result, for the messages.
like_ct() {
	! has_ct || [ "${RES[$1,ct]%%,*}" = "$2" ]
}
ct_says() { echo "${RES[$1,ct]:-not run}"; }

# ---- inbound SYN to an inside host ------------------------------------------
n0=$(fw_field inserted)
for side in $SIDES; do
	if on $side srv socat -u "TCP:$CLI_IP:9000,connect-timeout=3" - </dev/null \
		>/dev/null 2>&1; then
		RES[syn,$side]="connected"
	else
		RES[syn,$side]="dropped"
	fi
done
n1=$(fw_field inserted)
ok=no
[ "${RES[syn,cu]}/$((n1 - n0))" = dropped/0 ] && like_ct syn dropped && ok=yes
check "inbound SYN: dropped by CLICK-UP as by conntrack ($(ct_says syn)), no flow made" \
	test $ok = yes

# ---- out-of-window RST and data into a live download ------------------------
for side in $SIDES; do
	# The server's data trickles (12 KB/s) until the injection is done,
	# so the download is live when it lands however slow the VM is;
	# then at full speed. hostile.py sends past the qdisc: the crafted
	# segments never queue behind the data.
	on $side srv tc qdisc add dev s0 root tbf rate 96kbit burst 16kb latency 400ms
	inv0=$(invalid_of $side)
	fetch $side "$TMPD/dl-$side" & FETCH=$!
	wait_for 20 test -s "$TMPD/dl-$side"
	# one hostile.py run; it learns the client's port from the live
	# connection
	o1=$(on $side srv "$PYTHON" "$HOSTILE" inject both s0 "$SRV_IP:8080" "$CLI_IP:0" 2>&1)
	port=$(echo "$o1" | sed -n 's/^port \([0-9]*\):.*/\1/p')
	log "$side: $o1"
	inv1=$(invalid_of $side)
	if [ "$side" = cu ]; then
		ctl state show fw -j > "$TMPD/dl.json"
		st=$(jq -r --argjson p "${port:-0}" '[.[] | select(.sport == $p) | .state] + ["none"] | .[0]' "$TMPD/dl.json")
	else
		st=-
	fi
	on $side srv tc qdisc del dev s0 root
	if wait $FETCH && blob_ok "$TMPD/dl-$side"; then
		r="download completes"
	else
		r="download broken"
		log "$side: port '$port', got $(stat -c %s "$TMPD/dl-$side") bytes"
		[ $side = cu ] && ctl state show fw | sed 's/^/# /' && ne_counters fw | sed 's/^/# /'
	fi
	RES[rst,$side]="$r, $((inv1 - inv0)) invalid"
	[ $side = cu ] && RES[rst,$side]+=", flow $st"
done
ok=no
[ "${RES[rst,cu]%%,*}" = "download completes" ] && like_ct rst "download completes" && ok=yes
check "oow RST + data: the download completes, as with conntrack ($(ct_says rst)): ${RES[rst,cu]}" \
	test $ok = yes
case ${RES[rst,cu]#*, } in
"2 invalid, flow "*close*|"2 invalid, flow none") ok_state=no ;;
"2 invalid, flow "*) ok_state=yes ;;
*) ok_state=no ;;
esac
check "oow RST and data: both counted invalid (strict: dropped), the flow not closed by them" \
	test "$ok_state" = yes

# ---- port reuse right after a clean close -----------------------------------
for side in $SIDES; do
	RES[reuse,$side]=$(on $side cli "$PYTHON" "$TMPD/peer.py" reuse $SRV_IP 7000)
done
ok=no
[ "${RES[reuse,cu]}" = "ok ok" ] && like_ct reuse "ok ok" && ok=yes
check "port reuse after a clean close works, as with conntrack ($(ct_says reuse)): ${RES[reuse,cu]}" \
	test $ok = yes

# ---- idle assured session past a short timeout ------------------------------
ctl state set fw tcp_established 20 tcp_unack 20 >/dev/null || fail "state set fw timeouts"
! has_ct ||
	on ct mid sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_established=20 \
		net.netfilter.nf_conntrack_tcp_timeout_unacknowledged=20
idle_flows() {	# the assured bits of the flows to port 7100
	ctl state show fw -j > "$TMPD/idle0.json" &&
	jq -c '[.[] | select(.dport == 7100) | .assured]' "$TMPD/idle0.json"
}
IDLE_PIDS=()
for side in $SIDES; do
	bg on $side srv "$PYTHON" "$TMPD/peer.py" idle-server $SRV_IP 7100 28
	wait_for 30 on $side srv sh -c "ss -ltn | grep -q ':7100 '"
	on $side cli "$PYTHON" "$TMPD/peer.py" idle-client $SRV_IP 7100 36 > "$TMPD/idle-$side" &
	IDLE_PIDS+=($!)
done
idle_assured() { [ "$(idle_flows)" = "[true]" ]; }
wait_for 20 idle_assured
a0=$(idle_flows)
wait "${IDLE_PIDS[@]}"
for side in $SIDES; do RES[idle,$side]="server's data $(cat "$TMPD/idle-$side")"; done
ctl state show fw -j > "$TMPD/idle.json"
n=$(jq '[.[] | select(.dport == 7100)] | length' "$TMPD/idle.json")
RES[idle,cu]+=", flow gone"
[ "$n" = 0 ] || RES[idle,cu]+=" (not: $n)"
ok=no
[ "$a0" = "[true]" ] && [ "${RES[idle,cu]}" = "server's data nothing, flow gone" ] &&
	like_ct idle "server's data nothing" && ok=yes
check "idle timeout: the assured flow ($a0) expired, the server's late data dropped as with conntrack ($(ct_says idle))" \
	test $ok = yes
ctl state set fw tcp_established 432000 tcp_unack 300 >/dev/null

# ---- spoofed handshake flood at a table limit of 64 -------------------------
ctl state flush fw
ctl state set fw max 64 >/dev/null || fail "state set fw max 64"
sysctl -qw net.netfilter.nf_conntrack_max=64 || fail "nf_conntrack_max 64"
for side in $SIDES; do
	on $side cli "$PYTHON" "$HOSTILE" flood 300 "$SRV_IP:7000" 10.0.0 >/dev/null
	t0=${EPOCHREALTIME/./}
	out=$(on $side cli socat -u "TCP:$SRV_IP:7000,connect-timeout=15" - 2>&1)
	t=$(( (${EPOCHREALTIME/./} - t0) / 100000 ))
	if [ "$out" = hi ]; then
		RES[flood,$side]="connects ($((t / 10)).$((t % 10)) s)"
	else
		RES[flood,$side]="refused"
	fi
done
[ -z "${RES[flood,ct]:-}" ] || RES[flood,ct]+=", $(ct_count) entries"
ctl state show fw -j > "$TMPD/flood.json"
ctl state -j > "$TMPD/t.json"
read -r n ev unas leg <<< "$(jq -r --arg c "$CLI_IP" '[length, 0,
	([.[] | select(.saddr != $c and (.assured | not))] | length),
	([.[] | select(.saddr == $c and .assured)] | length)] | map(tostring) | join(" ")' \
	"$TMPD/flood.json")"
ev=$(fw_field evicted)
RES[flood,cu]+=", $n entries, $ev evicted"
log "flood: CLICK-UP ${RES[flood,cu]}; conntrack $(ct_says flood)"
check "flood: a real connection still works through CLICK-UP" \
	test "${RES[flood,cu]%% *}" = connects
check "flood: the table stays at its limit (64), unassured flows evicted ($ev)" \
	test "$n" -le 64 -a "$ev" -ge 200
check "flood: every spoofed flow is unassured ($unas), the real one assured ($leg)" \
	test "$unas" = "$((n - leg))" -a "$leg" = 1
ctl state set fw max 1048576 >/dev/null
sysctl -qw net.netfilter.nf_conntrack_max="$CT_MAX_WAS"

# ---- the comparison ---------------------------------------------------------
echo "#"
printf '# %-14s | %-44s | %s\n' "case" "nftables + conntrack" "CLICK-UP (firewall.click, strict)"
printf '# %-14s-+-%-44s-+-%s\n' "--------------" "--------------------------------------------" "------------------------------"
for c in "syn:inbound SYN" "flood:flood at 64" "rst:oow RST+data" \
	 "reuse:port reuse" "idle:idle timeout"; do
	printf '# %-14s | %-44s | %s\n' "${c#*:}" "$(ct_says "${c%%:*}")" "${RES[${c%%:*},cu]}"
done
log "took ${SECONDS} s"
check "no kernel warning" dmesg_clean
exit $ret
