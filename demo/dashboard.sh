#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make dashboard` runs this in the qemu VM (docs/dashboard.md): the
# walkthrough's firewall (dts/firewall.click) between the client and the
# server, DASHBOARD_DOWNLOADS downloads running back to back through it,
# and clickupd serving the dashboard in the NE's namespace. The VM's
# user-mode NIC (run-vm.sh VM_HOSTFWD) is moved into that namespace, where
# socat hands the forwarded port to clickupd on its default loopback
# address: http://localhost:DASHBOARD_PORT on the host shows the page.
#
# Knobs: DASHBOARD_PORT (3000, the host's port, printed in the link),
# DASHBOARD_SECS (3600, then the VM powers off), DASHBOARD_DOWNLOADS (10
# parallel), DASHBOARD_MBIT (20, the server's link: the network, not the
# emulator, sets the pace).
DEMO=$(cd "$(dirname "$0")" && pwd)
. "$DEMO/../selftests/lib.sh"

HOST_PORT=${DASHBOARD_PORT:-3000}
SECS=${DASHBOARD_SECS:-3600}
N=${DASHBOARD_DOWNLOADS:-10}
MBIT=${DASHBOARD_MBIT:-20}
CLICKUPD=$REPO/ctl/clickupd

require_clickup
require_cmd curl socat tc
[ -x "$CLICKUPD" ] || die "no $CLICKUPD (make)"
[ -s "$REPO/ctl/www/vendor/elk-api.js" ] || die "the dashboard is not built (make -C ctl/www)"
log_all_netns

setup_topology
# The MACs dts/firewall.click's encap writes (as demo/walkthrough.sh).
ip -n "$NS_CLI" link set c0 address fa:fe:ca:5d:97:6c
ip -n "$NS_SRV" link set s0 address ee:43:35:3d:55:7c
ip -n "$NS_CLI" neigh replace $SRV_IP lladdr ee:43:35:3d:55:7c dev c0 nud permanent
ip -n "$NS_SRV" neigh replace $CLI_IP lladdr fa:fe:ca:5d:97:6c dev s0 nud permanent
ne_create fw "$REPO/dts/firewall.click"
srv tc qdisc replace dev s0 root tbf rate "${MBIT}mbit" burst 128kb latency 100ms ||
	die "tc tbf on s0"

# N files of ~4 s each at the link's share, fetched in N loops.
mkdir -p "$TMPD/www"
bg srv "$PYTHON" "$DEMO/httpserver.py" --dir "$TMPD/www" --port 8080 \
	--files "$N" --size $((MBIT * 1000000 / 8 * 4)) --big 0
wait_for 120 test -e "$TMPD/www/.ready" || die "HTTP server did not start"
for ((i = 0; i < N; i++)); do
	bg cli sh -c "while :; do curl -s -o /dev/null --max-time 120 http://$SRV_IP:8080/f$i; sleep 0.2; done"
done

# clickupd in the NE's namespace, default address, its own token file.
mkdir -p -m 0700 /run/clickupd
bg cu "$CLICKUPD" --www "$REPO/ctl/www"
wait_for 60 test -s /run/clickupd/token || die "clickupd wrote no token"
wait_for 60 cu curl -sf -o /dev/null http://127.0.0.1:3000/api/v1/elements ||
	die "clickupd does not answer"

# The forwarded port: the NIC into the NE's namespace, socat to clickupd.
host_port_forward "$NS_CU" ||
	die "no eth0: start the VM with VM_HOSTFWD (make dashboard does)"

TOKEN=$(cat /run/clickupd/token)
cat <<EOT

========================================================================
 CLICK-UP dashboard: open

     http://localhost:$HOST_PORT/#token=$TOKEN

 (the link carries the token for changes; the page keeps it in the tab).
 Element fw runs dts/firewall.click with $N downloads through it. To
 upgrade: Edit / upgrade, paste dts/firewall-log.click, Upgrade fw.
 The VM stops after $SECS s (DASHBOARD_SECS); Ctrl-C stops it now.
========================================================================

EOT
sleep "$SECS"
