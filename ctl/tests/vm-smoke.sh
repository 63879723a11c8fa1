#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Manual smoke run of clickupctl against the real clickup.ko, inside the
# project's VM (not part of `make test`, which must run without it):
#   selftests/vm/run-vm.sh ctl/tests/vm-smoke.sh
# Prints every command with its output and exit status for a human to read.
cd "$(dirname "$0")/../.." || exit 1
C=$PWD/ctl/clickupctl
D=$PWD/selftests/dags
modprobe clickup || exit 4
for d in p1 p2; do ip link add $d type dummy && ip link set $d up; done
run() { echo "\$ clickupctl $*"; "$C" "$@"; echo "[exit $?]"; }
"$C" monitor > /tmp/mon.txt 2>&1 & mon=$!
"$C" monitor -j > /tmp/monj.txt 2>&1 & monj=$!
sleep 0.5
run atoms
run atoms -j
run create fw "$D/bridge.click"
run show
run show fw -j
run upgrade fw "$D/bridge_plain.click" -j
run upgrade fw "$D/bridge_unknown.click"
run upgrade fw "$D/bridge_nodev.click"
run create fw "$D/bridge.click"
run upgrade fw "$D/bridge.click"
run show
run show nosuch
run delete fw
run delete fw
printf 'create a %s\nupgrade a %s\nshow a -j\ndelete a\n' "$D/bridge.click" "$D/bridge_plain.click" > /tmp/batch.txt
run batch /tmp/batch.txt
sleep 0.5
kill $mon $monj
echo "--- monitor"; cat /tmp/mon.txt
echo "--- monitor -j"; cat /tmp/monj.txt
