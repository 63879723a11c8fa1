#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dashboard in a real browser: Debian's headless Chromium, driven over
# WebDriver (dashboard.py, browser.py), against clickupd and the kernel
# module. The walkthrough's firewall (dts/firewall.click) runs between the
# client and the server; clickupd serves the page in the NE's namespace.
# The browser runs on the host, as a user's does (run-vm.sh VM_BROWSER=1,
# which `make check` sets; without it the test skips), and reaches
# clickupd through the VM's forwarded port; dashboard.py runs here and
# drives it. Asserted (dashboard.py): the graph has the DAG's atoms,
# edges and numbered ports; counters rise under traffic; requests without
# the token, with a wrong one or from another origin are refused; an
# invalid DAG shows its error at its line as it is typed; the diff before
# the upgrade; an upgrade submitted from the page while a download runs
# keeps the download intact and lands in the timeline; state table flows
# (filter, delete one); delete from the page. Screenshots in
# $CLICKUP_OUT/dashboard/ (build/vm/out/dashboard/ on the host).
. "$(dirname "$0")/lib.sh"

CLICKUPD=${CLICKUPD:-$REPO/ctl/clickupd}
WWW=$REPO/ctl/www
PORT=3000
SHOTS=${CLICKUP_OUT:-$TMPD}/dashboard

# first: without a browser nothing else is worth its time
[ -n "${CLICKUP_WEBDRIVER:-}" ] ||
	skip "no browser on the host: ${CLICKUP_BROWSER_SKIP:-run in the VM with VM_BROWSER=1 (make check does)}"
require_clickup
require_cmd curl tc
[ -x "$CLICKUPD" ] || skip "no $CLICKUPD (build ctl/)"
[ -s "$WWW/vendor/elk-api.js" ] || die "ctl/www/vendor/ is empty: the dashboard is not built (make -C ctl/www)"

setup_topology
# The MACs dts/firewall.click's encap writes (as demo/walkthrough.sh).
ip -n "$NS_CLI" link set c0 address fa:fe:ca:5d:97:6c
ip -n "$NS_SRV" link set s0 address ee:43:35:3d:55:7c
ip -n "$NS_CLI" neigh replace $SRV_IP lladdr ee:43:35:3d:55:7c dev c0 nud permanent
ip -n "$NS_SRV" neigh replace $CLI_IP lladdr fa:fe:ca:5d:97:6c dev s0 nud permanent
ne_create fw "$REPO/dts/firewall.click"
log "topology and element fw: $SECONDS s"

BLOB_MB=4
start_http_server $BLOB_MB
log "http server: $SECONDS s"
http_fetch "$TMPD/first" || die "a download through the firewall fails"
log "first download: $SECONDS s"

umask 077
bg cu "$CLICKUPD" --listen 127.0.0.1 --port $PORT --token-file "$TMPD/token" \
	--www "$WWW"
wait_for 60 test -s "$TMPD/token" || die "clickupd wrote no token"
wait_for 60 cu curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/atoms" ||
	die "clickupd does not answer on 127.0.0.1:$PORT"
log "clickupd: $SECONDS s"
host_browser "$NS_CU"
log "the host's browser reachable: $SECONDS s"
dmesg_mark

mkdir -p "$SHOTS"
start=$(date +%s)
cu env URL="http://127.0.0.1:$PORT/" TOKEN_FILE="$TMPD/token" CLICKUPCTL="$CLICKUPCTL" \
	NS_CLI="$NS_CLI" NS_SRV="$NS_SRV" SRV_IP="$SRV_IP" BLOB_SUM="$BLOB_SUM" \
	BLOB_SIZE=$((BLOB_MB * 1024 * 1024)) UP_DAG="$REPO/dts/firewall-log.click" \
	SHOTS="$SHOTS" TMPDIR="$TMPD" HOME="$TMPD" \
	/usr/bin/python3 "$SELFTESTS/dashboard.py" || ret=$ksft_fail
log "browser part: $(($(date +%s) - start)) s"
check "clickupd still serving" cu curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/elements"
check "dmesg clean" dmesg_clean
exit $ret
