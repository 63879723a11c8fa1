#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seed's walkthrough, measured (`make demo` runs it in the VM; on a Linux
# host with module support run it as root: see docs/demo.md).
#
# Topology (selftests/lib.sh): client ns -- p1 [NE] p2 -- server ns.
# 1. Firewall: 50 parallel HTTP downloads through the firewall element,
#    three runs: (a) no upgrade, (b) CLICK-UP upgrade at DEMO_AT of the
#    bytes, (c) the native manner at the same point (delete the element and
#    its state, rmmod/modprobe every atom module, create it again).
# 2. NAT: one large download through the NAT element, upgraded at 40 % and
#    50 %: CLICK-UP (state kept) versus native (state lost), and native with
#    1 s / 5 s of upgrade delay at 50 %.
# The server's egress (s0, in its namespace) is shaped with tbf to
# DEMO_MBIT (40) Mbit/s: the network, not the emulator's CPU, sets the pace,
# so runs are comparable and the native manner's cost (bytes sent twice /
# rate + downtime) shows. Sizes default to ~DEMO_SECS (20) s of transfer at
# that rate. Each scenario runs DEMO_REPEAT (3) times, interleaved.
# Results (JSON per run, tables.txt) go to $CLICKUP_OUT/demo or build/demo.
#
# Knobs (environment): DEMO_FILES (50), DEMO_MBIT (40; 0 = no shaping),
# DEMO_SECS (20), DEMO_SIZE (bytes per file), DEMO_BIG (bytes of the NAT
# transfer), DEMO_REPEAT (3), DEMO_AT (0.4), DEMO_STALL (client stall
# timeout before a retry, 15 s), DEMO_PARTS ("fw nat"),
# DEMO_FW_DAG/DEMO_FW_UP/DEMO_NAT_DAG/DEMO_NAT_UP (DAG files; default the
# dts/ files, or the bridge stand-ins in demo/dags/ while those are missing).

DEMO=$(cd "$(dirname "$0")" && pwd)
. "$DEMO/../selftests/lib.sh"

FILES=${DEMO_FILES:-50}
MBIT=${DEMO_MBIT:-40}
SECS=${DEMO_SECS:-20}
# Bytes that take SECS at MBIT (at 0: the sizes of an unshaped VM run).
if [ "$MBIT" -gt 0 ]; then
	bytes=$((MBIT * 1000000 / 8 * SECS))
else
	bytes=400000000
fi
SIZE=${DEMO_SIZE:-$((bytes / FILES / 1000 * 1000))}
BIG=${DEMO_BIG:-$((bytes / 1000000 * 1000000))}
REPEAT=${DEMO_REPEAT:-3}
AT=${DEMO_AT:-0.4}
STALL=${DEMO_STALL:-15}
PARTS=${DEMO_PARTS:-fw nat}
PORT=8080
OUTDIR=${DEMO_OUT:-${CLICKUP_OUT:-$REPO/build}/demo}
NE=fw
NAT_IP=${DEMO_NAT_IP:-}

pick() {	# pick ENVVALUE PREFERRED FALLBACK
	if [ -n "$1" ]; then echo "$1"
	elif [ -e "$REPO/$2" ]; then echo "$REPO/$2"
	else echo "$DEMO/dags/$3"; fi
}
FW_DAG=$(pick "${DEMO_FW_DAG:-}" dts/firewall.click bridge.click)
FW_UP=$(pick "${DEMO_FW_UP:-}" dts/firewall-log.click bridge-up.click)
NAT_DAG=$(pick "${DEMO_NAT_DAG:-}" dts/nat.click bridge.click)
NAT_UP=$(pick "${DEMO_NAT_UP:-}" dts/nat-log.click bridge-up.click)

banner() { echo; echo "### $*"; }
hard_fail() {	# loud, then exit 1
	echo
	echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	echo "!!! demo FAILED: $*"
	echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	ctl show 2>&1 | sed 's/^/# /'
	exit 1
}

require_clickup
log_all_netns	# the log atoms run in the demo's netns
require_cmd curl timeout modprobe rmmod
if [ ! -d /sys/module/clickup ]; then
	hard_fail "clickup.ko is not loaded"
fi

rm -rf "$OUTDIR"
mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"

# Atom modules a DAG needs: clickup_atom_<type>, from `clickupctl check -j`.
dag_modules() {
	"$CLICKUPCTL" check -j "$1" | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted({"clickup_atom_" + a["type"] for a in d["atoms"]})))'
}
# Every state table of the netns (the core keeps them after an NE is
# deleted: docs/state.md).
state_tables() {
	ctl state list 2>/dev/null | awk 'NR > 1 {print $1}' | xargs
}
# Connections left over from the previous run (a native run abandons its
# broken ones; the server retransmits to them for minutes and the client's
# orphaned sockets answer) would cross the next run's element, be dropped
# as illegal and blur its counters: kill them on both ends first.
kill_old_conns() {
	local ns
	for ns in "$NS_SRV" "$NS_CLI"; do
		ip netns exec "$ns" ss -K -tn state all exclude listening \
			"( sport = :$PORT or dport = :$PORT )" >/dev/null 2>&1
	done
}
fresh_ne() {	# fresh_ne DAG: (re)create the element from DAG, no state left
	local out tb
	kill_old_conns
	ctl delete $NE >/dev/null 2>&1
	for tb in $(state_tables); do
		ctl state delete "$tb" >/dev/null 2>&1
	done
	out=$(ctl create $NE "$1" 2>&1) || hard_fail "clickupctl create $NE $1: $out"
}
loud() {	# a failure banner; the walkthrough goes on and exits 1
	echo
	echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	echo "!!! demo FAILED: $*"
	echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	ret=1
}

for f in "$FW_DAG" "$FW_UP" "$NAT_DAG" "$NAT_UP"; do
	out=$("$CLICKUPCTL" check "$f" 2>&1) || hard_fail "DAG $f: $out"
done

setup_topology
# The MACs dts/firewall.click's encap writes (the seed's hosts).
ip -n "$NS_CLI" link set c0 address fa:fe:ca:5d:97:6c
ip -n "$NS_SRV" link set s0 address ee:43:35:3d:55:7c
ip -n "$NS_CLI" neigh replace $SRV_IP lladdr ee:43:35:3d:55:7c dev c0 nud permanent
ip -n "$NS_SRV" neigh replace $CLI_IP lladdr fa:fe:ca:5d:97:6c dev s0 nud permanent
CMAC=$(ip -n "$NS_CLI" -br link show c0 | awk '{print $3}')
NAT_IP=${NAT_IP:-$(sed -n 's/.*NAT_IP[ =:]*\([0-9.]*\).*/\1/p' "$NAT_DAG" | head -n1)}
NAT_IP=${NAT_IP:-10.0.0.254}
# Nobody answers ARP for the NAT address: the server reaches it through the
# NE with the client's MAC (the NE translates the IP back).
ip -n "$NS_SRV" neigh replace "$NAT_IP" lladdr "$CMAC" dev s0 nud permanent
# The network sets the pace: the server's egress is a DEMO_MBIT link.
if [ "$MBIT" -gt 0 ]; then
	out=$(ip netns exec "$NS_SRV" tc qdisc replace dev s0 root tbf \
		rate "${MBIT}mbit" burst 128kb latency 100ms 2>&1) ||
		hard_fail "tc tbf on s0: $out"
fi

# Files are generated before the server listens (tmpfs: ~50 * SIZE + BIG).
mkdir -p "$TMPD/www"
nbig=0
case " $PARTS " in *" nat "*) nbig=$BIG ;; esac
bg srv "$PYTHON" "$DEMO/httpserver.py" --dir "$TMPD/www" --port $PORT \
	--files "$FILES" --size "$SIZE" --big "$nbig"
wait_for 120 test -e "$TMPD/www/.ready" || hard_fail "HTTP server did not start in 120 s"

cat >"$OUTDIR/meta.json" <<EOF
{"kernel": "$(uname -r)", "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "cpus": $(nproc), "vm": $([ -n "${CLICKUP_OUT:-}" ] && echo true || echo false),
 "files": $FILES, "size": $SIZE, "big": $BIG, "at": $AT, "stall": $STALL,
 "mbit": $MBIT, "repeat": $REPEAT,
 "fw_dag": "${FW_DAG#"$REPO"/}", "fw_up": "${FW_UP#"$REPO"/}",
 "nat_dag": "${NAT_DAG#"$REPO"/}", "nat_up": "${NAT_UP#"$REPO"/}",
 "nat_ip": "$NAT_IP", "token": "${DEMO_TOKEN:-}"}
EOF

# The dashboard, photographed in the middle of round 1's CLICK-UP upgrade
# (demo/dashboard_shot.py -> dashboard-demo.png): clickupd in the NE's
# namespace, the host's browser (run-vm.sh VM_BROWSER=1, which demo/run.sh
# sets) at the VM's forwarded port. Without one, no picture, said once.
SHOT=
if [[ " $PARTS " = *" fw "* ]]; then
	if [ ! -x "$REPO/ctl/clickupd" ]; then
		echo "# no dashboard screenshot: no ctl/clickupd (make)"
	elif host_browser_ready "$NS_CU"; then
		SHOT=1
	else
		echo "# no dashboard screenshot: $HOST_BROWSER_WHY"
	fi
fi
shot_start() {	# clickupd and the page, generation 1 drawn
	# ip netns exec execs clickupd: $BG_PID is its pid (cu, a function,
	# would leave a subshell between)
	bg ip netns exec "$NS_CU" "$REPO/ctl/clickupd" --token-file "$TMPD/token" \
		--www "$REPO/ctl/www"
	CLICKUPD_PID=$BG_PID
	wait_for 60 cu curl -sf -o /dev/null http://127.0.0.1:3000/api/v1/atoms || {
		loud "clickupd does not answer: no dashboard screenshot"
		return 1
	}
	bg cu "$PYTHON" "$DEMO/dashboard_shot.py" --url http://127.0.0.1:3000/ --ne $NE \
		--up "$FW_UP" --ready "$TMPD/shot.ready" --out "$OUTDIR/dashboard-demo.png"
	SHOT_PID=$BG_PID
	wait_for 180 test -e "$TMPD/shot.ready" ||
		loud "the dashboard did not draw $NE within 180 s"
}
shot_end() {	# after the run: the picture saved, clickupd gone
	wait_for 120 sh -c "! kill -0 $SHOT_PID 2>/dev/null"
	wait "$SHOT_PID" || loud "the dashboard screenshot failed (see above)"
	kill "$CLICKUPD_PID" 2>/dev/null
	[ -s "$OUTDIR/dashboard-demo.png" ] || loud "no dashboard screenshot"
}

# CLICK-UP: a `clickupctl batch` started with the client, fed the upgrade
# line at the trigger (see client.py --hook-batch).
cu_hook() {	# cu_hook DAG: client options in CU[@]
	CU=(--hook-batch "ip netns exec $NS_CU $CLICKUPCTL batch -" --hook-warm "check $1"
	    --hook "upgrade $NE $1")
}
native_hook() {	# native_hook LABEL DAG DELAY: the native manner, see native-restart.sh
	echo "NATIVE_SHOW=$OUTDIR/$1-before.json $DEMO/native-restart.sh $NS_CU $NE $2 $3 $(dag_modules "$2")"
}

client() {	# client LABEL URL N SIZE [--at F --hook CMD]: one run, bounded
	local label=$1 url=$2 n=$3 size=$4 rc=0 l0
	shift 4
	l0=$(dmesg | wc -l)
	timeout -k 5 $((DEADLINE + 60)) ip netns exec "$NS_CLI" "$PYTHON" \
		"$DEMO/client.py" --label "$label" --url "$url" -n "$n" \
		--size "$size" --stall "$STALL" --deadline "$DEADLINE" \
		--out "$OUTDIR/$label.json" "$@" || rc=$?
	# What the element counted (every atom's drops, the discard atoms'
	# packets) and what its log atoms said, before the next fresh_ne.
	ctl show $NE -j >"$OUTDIR/$label-show.json" 2>/dev/null
	dmesg | tail -n +$((l0 + 1)) | grep -E 'fw-drop|nat-miss|clickup' >"$OUTDIR/$label-dmesg.txt"
	return $rc
}

# ---- 1. the firewall, 50 parallel downloads ---------------------------------
if [[ " $PARTS " = *" fw "* ]]; then
	DEADLINE=${DEMO_DEADLINE:-$((SECS * 6 + 60))}
	URL="http://$SRV_IP:$PORT/f%d"
	banner "firewall: ${FW_DAG#"$REPO"/} -> ${FW_UP#"$REPO"/}, $FILES downloads of $SIZE bytes, $REPEAT rounds"

	fresh_ne "$FW_DAG"
	# One request first: a firewall that blocks traffic is a wrong DAG.
	timeout 60 ip netns exec "$NS_CLI" curl -s -o /dev/null --max-time 50 \
		"http://$SRV_IP:$PORT/f0" ||
		hard_fail "a single HTTP download through ${FW_DAG#"$REPO"/} fails: the firewall blocks legal traffic"

	fresh_ne "$FW_DAG"	# warm-up (page cache, python, TCP), not reported
	client fw-warmup "$URL" "$FILES" "$((SIZE / 5))" >/dev/null

	# Rounds of (a), (b), (c): a slow phase of the host hits all three.
	for ((i = 1; i <= REPEAT; i++)); do
		fresh_ne "$FW_DAG"
		client fw-a-$i "$URL" "$FILES" "$SIZE"
		jq -e '.failed == 0 and .restarted == 0' "$OUTDIR/fw-a-$i.json" >/dev/null ||
			loud "run (a) $i, no upgrade: downloads failed or restarted (the firewall dropped legal traffic, or the client starved)"

		fresh_ne "$FW_DAG"
		cu_hook "$FW_UP"
		shot=
		[ "$i" != 1 ] || [ -z "$SHOT" ] || ! shot_start || shot=1
		client fw-b-$i "$URL" "$FILES" "$SIZE" --at "$AT" "${CU[@]}"
		[ -z "$shot" ] || shot_end

		fresh_ne "$FW_DAG"
		client fw-c-$i "$URL" "$FILES" "$SIZE" --at "$AT" --hook "$(native_hook fw-c-$i "$FW_UP" 0)"
	done
	ctl show $NE >"$OUTDIR/fw-final-show.txt" 2>&1
fi

# ---- 2. NAT, one large transfer ---------------------------------------------
if [[ " $PARTS " = *" nat "* ]]; then
	DEADLINE=${DEMO_NAT_DEADLINE:-$((SECS * 6 + 60))}
	URL="http://$SRV_IP:$PORT/big"
	banner "NAT: ${NAT_DAG#"$REPO"/} -> ${NAT_UP#"$REPO"/}, one download of $BIG bytes (server sees $NAT_IP), $REPEAT rounds"
	nat() {	# nat LABEL [client args]
		fresh_ne "$NAT_DAG"
		client "$@" || echo "# $1: the transfer did not complete"
	}
	nat nat-warmup "$URL" 1 "$((BIG / 5))" >/dev/null	# not reported
	cu_hook "$NAT_UP"
	for ((i = 1; i <= REPEAT; i++)); do
		nat nat-none-$i "$URL" 1 "$BIG"
		nat nat-cu-40-$i "$URL" 1 "$BIG" --at 0.4 "${CU[@]}"
		nat nat-cu-50-$i "$URL" 1 "$BIG" --at 0.5 "${CU[@]}"
		nat nat-native-40-$i "$URL" 1 "$BIG" --at 0.4 --hook "$(native_hook nat-native-40-$i "$NAT_UP" 0)"
		nat nat-native-50-$i "$URL" 1 "$BIG" --at 0.5 --hook "$(native_hook nat-native-50-$i "$NAT_UP" 0)"
		nat nat-native-50-d1-$i "$URL" 1 "$BIG" --at 0.5 --hook "$(native_hook nat-native-50-d1-$i "$NAT_UP" 1)"
		nat nat-native-50-d5-$i "$URL" 1 "$BIG" --at 0.5 --hook "$(native_hook nat-native-50-d5-$i "$NAT_UP" 5)"
	done
fi

banner "results"
"$PYTHON" "$DEMO/report.py" tables "$OUTDIR" | tee "$OUTDIR/tables.txt"
check "dmesg clean" dmesg_clean
exit $ret
