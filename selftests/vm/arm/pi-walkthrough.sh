#!/bin/bash
# The firewall walkthrough of docs/raspberry-pi.md, run in the test VM so
# the document shows real output:
#
#   make ARCH=arm64 && selftests/vm/run-vm.sh --arch arm64 \
#       selftests/vm/arm/pi-walkthrough.sh
#
# The VM plays the Pi: its own namespace has eth0 (towards a client) and
# eth1 (towards a server), the two ends of veth pairs whose other ends are
# in namespaces "client" (192.168.7.10) and "server" (192.168.7.20, an HTTP
# server). dts/firewall.click is loaded between eth0 and eth1. Every
# command is echoed with "$ " before its output; the transcript also goes
# to $CLICKUP_OUT/walkthrough.txt.
set -uo pipefail

REPO=${CLICKUP_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
CTL=$REPO/ctl/clickupctl
OUTF=${CLICKUP_OUT:-/tmp}/walkthrough.txt
exec > >(tee "$OUTF") 2>&1
W=$(mktemp -d)
cd "$W" || exit 1

run() {	# run CMD...: echo it like a shell prompt, then run it
	if [ "$1" = sh ] && [ "$2" = -c ]; then
		echo "\$ $3"
	else
		echo "\$ ${*/#$REPO\//}"
	fi
	"$@"
}
quiet() { "$@" >/dev/null 2>&1; }

# --- the wires (on a Pi: the real eth0 and eth1) ---------------------------
quiet ip netns add client
quiet ip netns add server
ip link add eth0 type veth peer name c0 netns client
ip link add eth1 type veth peer name s0 netns server
ip -n client link set c0 address fa:fe:ca:5d:97:6c
ip -n server link set s0 address ee:43:35:3d:55:7c
for ns in client server; do
	ip -n $ns link set lo up
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip -n client addr add 192.168.7.10/24 dev c0
ip -n server addr add 192.168.7.20/24 dev s0
ip -n client link set c0 up
ip -n server link set s0 up
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link set eth0 up
ip link set eth1 up
ip -n client neigh replace 192.168.7.20 lladdr ee:43:35:3d:55:7c dev c0 nud permanent
ip -n server neigh replace 192.168.7.10 lladdr fa:fe:ca:5d:97:6c dev s0 nud permanent
mkdir -p www && head -c 1048576 /dev/urandom >www/blob
ip netns exec server python3 -m http.server 8080 --bind 192.168.7.20 \
	--directory "$W/www" >/dev/null 2>&1 &
srv=$!
for _ in $(seq 50); do
	ip netns exec server ss -ltn | grep -q ':8080 ' && break
	sleep 0.2
done

echo "## 1. load"
run uname -rm
run modprobe clickup
sleep 0.2
run sh -c 'dmesg | grep -i clickup'
run sh -c 'lsmod | grep clickup'

echo "## 2. the firewall between eth0 and eth1"
run ip -br link show eth0
run ip -br link show eth1
sed -e 's/FromDevice(p1)/FromDevice(eth0)/; s/ToDevice(p1)/ToDevice(eth0)/' \
	-e 's/FromDevice(p2)/FromDevice(eth1)/; s/ToDevice(p2)/ToDevice(eth1)/' \
	"$REPO/dts/firewall.click" >firewall.click
echo "\$ sed -e 's/(p1)/(eth0)/' -e 's/(p2)/(eth1)/' dts/firewall.click > firewall.click"
run grep -E 'Device' firewall.click
run "$CTL" check firewall.click
run "$CTL" create fw firewall.click
run sh -c 'lsmod | grep clickup'
run sh -c 'dmesg | grep -i clickup | tail -n 5'

echo "## 3. traffic"
run ip netns exec client curl -s -o /dev/null \
	-w 'HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n' \
	http://192.168.7.20:8080/blob
echo "\$ # an ACK that belongs to no session, from the client side"
run ip netns exec client python3 "$REPO/selftests/pkt/tcp_segment.py" \
	192.168.7.10 192.168.7.20 40404 8080 A
sleep 0.5
run "$CTL" show fw
run "$CTL" state list
run "$CTL" state show fw

echo "## 4. unload"
run "$CTL" delete fw
run sh -c 'modprobe -r $(lsmod | awk "/^clickup_atom_/ {print \$1}") && modprobe -r clickup'
run sh -c 'dmesg | grep -i clickup | tail -n 3'

kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null
ip link del eth0
ip link del eth1
ip netns del client
ip netns del server
exit 0
