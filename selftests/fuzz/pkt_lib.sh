# SPDX-License-Identifier: GPL-2.0
# Topology and helpers of the packet fuzz tests (pkt_fuzz.sh, race.sh),
# sourced after selftests/lib.sh:
#
#   ns_pktfz: i0 ==veth (MTU $FUZZ_MTU)== i1 [frames.click] -> o0 ==== o1 [outframes.click]
#             lo, i1 10.0.0.2: [hooks.click] at the IPv4/IPv6 hooks
#             s0 10.8.0.2 [gso.click] ==veth, GRO on== c0 10.8.0.1 (ns_pktc)
#
# pktfuzz sends on i0; TCP runs c0 -> s0 (GSO/GRO: payload in frags)
# and over lo (fromhook sees 64 KiB GSO skbs).

FZDAGS=$SELFTESTS/fuzz/dags
PKTFUZZ=$SELFTESTS/fuzz/pktfuzz
FUZZ_MTU=${FUZZ_MTU:-16000}
NS=ns_pktfz-$SFX
NC=ns_pktc-$SFX
EXTRA_NS+=("$NS" "$NC")
BPF_OBJ=$REPO/dts/bpf/tcp_port.o

# elapsed: seconds since $T0 (T0=$EPOCHREALTIME at the start)
elapsed() {
	awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

fz() { ip netns exec "$NS" "$@"; }
fzctl() { ip netns exec "$NS" "$CLICKUPCTL" "$@"; }

# fuzz_links: the veth pairs (again, after a race deleted them)
fuzz_links() {
	ip -n "$NS" link add i0 mtu "$FUZZ_MTU" type veth peer name i1 mtu "$FUZZ_MTU" &&
	ip -n "$NS" link add o0 type veth peer name o1 &&
	ip -n "$NS" link add s0 type veth peer name c0 netns "$NC" || return 1
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.i1.disable_ipv6=0 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.i1.rp_filter=0
	ip -n "$NS" addr add 10.0.0.2/24 dev i1
	ip -n "$NS" addr add 10.8.0.2/24 dev s0
	ip -n "$NC" addr add 10.8.0.1/24 dev c0
	for d in i0 i1 o0 o1 s0; do ip -n "$NS" link set "$d" up; done
	ip -n "$NC" link set c0 up
	ip netns exec "$NS" ethtool -K s0 gro on >/dev/null 2>&1
	ip netns exec "$NC" ethtool -K c0 tso on gso on >/dev/null 2>&1
	return 0
}

fuzz_topology() {
	new_ns "$NS" && new_ns "$NC" || die "cannot create namespaces"
	fuzz_links || die "cannot create the veth pairs"
}

# gso.click: on s0, TCP from the client through the whitelist and bpf
# (when dts/bpf/tcp_port.o was built), then to the stack.
gso_dag() {
	local b=Counter
	[ -r "$BPF_OBJ" ] && b="BPF($BPF_OBJ)"
	cat <<EOF
in5 :: FromDevice(s0) -> c5 :: Classifier(12/0800, -);
c5 [0] -> Strip(14) -> chk5 :: CheckIPHeader -> ipc5 :: IPClassifier(tcp, -);
ipc5 [0] -> rs5 :: ReadState(fzg);
rs5 [0] -> sc5 :: SessionCheck(fzg);
rs5 [1] -> b5 :: $b;
sc5 [0] -> ws5 :: WriteState(fzg) -> b5;
sc5 [1] -> b5;
sc5 [2] -> b5;
EOF
	if [ -r "$BPF_OBJ" ]; then
		echo "b5 [0] -> Accept; b5 [1] -> Accept;"
	else
		echo "b5 -> Accept;"
	fi
	echo "ipc5 [1] -> Accept; c5 [1] -> Accept;"
}

# fuzz_nes: create the four NEs (die on failure)
fuzz_nes() {
	local out ne
	gso_dag > "$TMPD/gso.click"
	for ne in "fz1 $FZDAGS/frames.click" "fz2 $FZDAGS/outframes.click" \
		  "fz3 $FZDAGS/hooks.click" "fz5 $TMPD/gso.click"; do
		set -- $ne
		out=$(fzctl create "$1" "$2" 2>&1) || die "create $1 ($2): $out"
	done
}

# atom_counters NE...: one line per NE, "NE: atom packets/drops ..."
atom_counters() {
	local ne
	for ne in "$@"; do
		fzctl show "$ne" -j > "$TMPD/$ne.json" 2>/dev/null || {
			echo "$ne: (show failed)"; continue; }
		"$PYTHON" -S - "$ne" "$TMPD/$ne.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
d = d[0] if isinstance(d, list) else d
print(sys.argv[1] + ":", " ".join("%s %d/%d" % (a["name"], a["packets"], a["drops"])
                                  for a in d["atoms"]))
PY
	done
}

# counter NE ATOM FIELD: one number from the last atom_counters json
counter() {
	jq --arg a "$2" --arg f "$3" \
		"$JQ_NE"' | .atoms[] | select(.name == $a) | .[$f]' "$TMPD/$1.json"
}
