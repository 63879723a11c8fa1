# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the CLICK-UP shell selftests. Source it from bash:
#   . "$(dirname "$0")/lib.sh"
#
# Seed topology (setup_topology):
#
#   ns_cli               ns_cu (the NE, no addresses)         ns_srv
#   c0 10.0.0.1/24 ---- p1  ==fromdevice/todevice==  p2 ---- s0 10.0.0.2/24
#
# Namespace names carry a random suffix so parallel runs do not collide;
# they are in $NS_CLI, $NS_SRV, $NS_CU. IPv6 is off everywhere and the
# neighbours are static, so nothing but the test's own packets crosses the
# NE unless a test asks for ARP (setup_topology dynamic).

ksft_pass=0
ksft_fail=1
ksft_skip=4

SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${CLICKUP_REPO:-$(cd "$SELFTESTS/.." && pwd)}
CLICKUPCTL=${CLICKUPCTL:-$REPO/ctl/clickupctl}
DAGS=$SELFTESTS/dags
# The guest hides /root (pyenv shims); the distribution python is enough.
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
TEST_NAME=$(basename "$0" .sh)

# V=1 (passed into the VM by run-vm.sh): trace every command
[ "${V:-0}" = 1 ] && set -x

# Random, as the kernel's selftests/net/lib.sh names its namespaces.
SFX=$(mktemp -u XXXXXX)
NS_CLI=ns_cli-$SFX
NS_SRV=ns_srv-$SFX
NS_CU=ns_cu-$SFX
CLI_IP=10.0.0.1
SRV_IP=10.0.0.2

TMPD=$(mktemp -d "/tmp/clickup-$TEST_NAME.XXXXXX")
ret=$ksft_pass
BG_PIDS=()
EXTRA_NS=()

log()  { echo "# $*"; }
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; ret=$ksft_fail; }
# Record a failure with a reason; keep going.
check() {	# check "what" cmd...
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}
die()  { echo "not ok - $*"; exit $ksft_fail; }
skip() { echo "ok - # SKIP $*"; exit $ksft_skip; }

# ---- prerequisites ------------------------------------------------------

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

# Loads clickup.ko; atoms come by autoload. Skips when it cannot load.
require_clickup() {
	require_root
	require_cmd ip
	[ -x "$CLICKUPCTL" ] || skip "no $CLICKUPCTL (build ctl/)"
	[ -n "$PYTHON" ] || skip "needs python3"
	require_cmd jq
	if [ ! -d /sys/module/clickup ]; then
		modprobe clickup 2>"$TMPD/modprobe.err" ||
			skip "cannot load clickup.ko: $(head -n1 "$TMPD/modprobe.err")"
	fi
}

# ---- cleanup ------------------------------------------------------------

lib_cleanup() {
	local pid ns
	[ -z "${LOG_ALL_NETNS_OLD:-}" ] ||
		sysctl -qw net.netfilter.nf_log_all_netns="$LOG_ALL_NETNS_OLD"
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for ns in "$NS_CLI" "$NS_SRV" "$NS_CU" "${EXTRA_NS[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$TMPD"
}
# Tests with their own cleanup call lib_cleanup from it.
trap lib_cleanup EXIT

# log_all_netns: atoms in the test's namespaces may log (the kernel logs
# for non-initial netns only with net.netfilter.nf_log_all_netns=1, as its
# LOG target does); restored at exit.
log_all_netns() {
	LOG_ALL_NETNS_OLD=$(sysctl -n net.netfilter.nf_log_all_netns)
	sysctl -qw net.netfilter.nf_log_all_netns=1
}

bg() {	# bg cmd... : run in background, killed at cleanup; pid in $BG_PID
	"$@" &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# ---- namespaces ---------------------------------------------------------

ns_exec() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
cli() { ip netns exec "$NS_CLI" "$@"; }
srv() { ip netns exec "$NS_SRV" "$@"; }
cu()  { ip netns exec "$NS_CU" "$@"; }
ctl() { ip netns exec "$NS_CU" "$CLICKUPCTL" "$@"; }

new_ns() {	# new_ns NAME: lo up, no IPv6 noise
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
	ns_exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	return 0
}

# setup_topology [dynamic]: the seed topology; "dynamic" keeps ARP on.
setup_topology() {
	local mode=${1:-static}

	new_ns "$NS_CLI" && new_ns "$NS_SRV" && new_ns "$NS_CU" ||
		die "cannot create namespaces"
	ip -n "$NS_CU" link add p1 type veth peer name c0 netns "$NS_CLI" &&
	ip -n "$NS_CU" link add p2 type veth peer name s0 netns "$NS_SRV" ||
		die "cannot create veth pairs"
	ip -n "$NS_CU" link set p1 up
	ip -n "$NS_CU" link set p2 up
	ip -n "$NS_CLI" addr add $CLI_IP/24 dev c0
	ip -n "$NS_SRV" addr add $SRV_IP/24 dev s0
	ip -n "$NS_CLI" link set c0 up
	ip -n "$NS_SRV" link set s0 up
	if [ "$mode" = static ]; then
		local cmac smac
		cmac=$(ip -n "$NS_CLI" -br link show c0 | awk '{print $3}')
		smac=$(ip -n "$NS_SRV" -br link show s0 | awk '{print $3}')
		ip -n "$NS_CLI" neigh replace $SRV_IP lladdr "$smac" dev c0 nud permanent
		ip -n "$NS_SRV" neigh replace $CLI_IP lladdr "$cmac" dev s0 nud permanent
	fi
}

# ---- the NE -------------------------------------------------------------

# ne_create NE FILE [ctl opts]: create in $NS_CU, die on failure.
ne_create() {
	local out
	out=$(ctl create "$1" "$2" 2>&1) || die "clickupctl create $1 $2: $out"
}

ne_json() {	# ne_json NE > file: `show NE -j`
	ctl show "$1" -j
}

# JQ_NE: the NE of `show NE -j` (an array of one) or of create/upgrade -j.
JQ_NE='(if type == "array" then .[0] else . end)'

# ne_counters NE: prints "name packets bytes drops" per atom, and
# "generation G" first.
ne_counters() {
	ctl show "$1" -j > "$TMPD/show.json" || return 1
	jq -r "$JQ_NE"' | "generation \(.generation)",
		(.atoms[] | "\(.name) \(.packets) \(.bytes) \(.drops)")' "$TMPD/show.json"
}

# atom_field NE ATOM FIELD: one field of one atom, from `show NE -j`.
atom_field() {
	ctl show "$1" -j > "$TMPD/atom.json" || return 1
	jq -e --arg a "$2" --arg f "$3" \
		"$JQ_NE"' | .atoms[] | select(.name == $a) | .[$f]' "$TMPD/atom.json"
}

# counter_of FILE ATOM FIELD: from ne_counters output
counter_of() {
	awk -v a="$2" -v f="$3" '$1 == a {
		if (f == "packets") print $2; else if (f == "bytes") print $3;
		else print $4 }' "$1"
}

ne_generation() {
	ctl show "$1" -j > "$TMPD/gen.json" 2>/dev/null || { echo -1; return 1; }
	jq "$JQ_NE.generation" "$TMPD/gen.json"
}

# ---- traffic ------------------------------------------------------------

ping_ok() {	# ping_ok [count]: client -> server
	cli ping -q -c "${1:-3}" -i 0.2 -W 1 $SRV_IP >/dev/null 2>&1
}

pingq() {	# pingq COUNT: quiet, 0.1 s apart; prints the summary on failure
	cli ping -q -c "$1" -i 0.1 -W 2 $SRV_IP > "$TMPD/ping.out" 2>&1 && return 0
	sed 's/^/# /' "$TMPD/ping.out"
	return 1
}

ping_fails() {
	! cli ping -q -c 2 -i 0.2 -W 1 $SRV_IP >/dev/null 2>&1
}

# Under the debug kernel (KASAN, lockdep) in TCG a process start or a
# handshake takes several times longer: bounds stretch by SLOW, as the
# kernel's selftests do under KSFT_MACHINE_SLOW.
# SLOW may come from the host too (run-vm.sh: its load per core).
SLOW=${SLOW:-1}
case $(uname -r) in
*debug*) SLOW=$((SLOW * 5)) KSFT_MACHINE_SLOW=yes DEBUG_KERNEL=yes ;;
*) [ "$SLOW" = 1 ] && KSFT_MACHINE_SLOW=no || KSFT_MACHINE_SLOW=yes
   DEBUG_KERNEL=no ;;
esac
export SLOW KSFT_MACHINE_SLOW

# per_kernel DEBUG_N N: prints DEBUG_N on the debug kernel, else N. For a
# test that repeats one kernel path (N swaps, N flows, N bytes): the
# checkers see the same paths in fewer rounds, and the list fits CI.
per_kernel() {
	if [ "$DEBUG_KERNEL" = yes ]; then echo "$1"; else echo "$2"; fi
}

# wait_for SECONDS cmd...: poll every 0.1 s until cmd succeeds, wall-clock
# bound, x SLOW (the kernel's lib.sh calls it slowwait).
wait_for() {
	local deadline=$(( ${EPOCHREALTIME/./} + $1 * SLOW * 1000000 )); shift
	while :; do
		"$@" && return 0
		[ "${EPOCHREALTIME/./}" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# counter_is OP N cmd...: the number cmd prints compares to N with test(1)'s
# OP (-eq, -ge, ...); for wait_for, as the kernel's until_counter_is.
counter_is() {
	local op=$1 n=$2 v
	shift 2
	v=$("$@") && [ -n "$v" ] && [ "$v" "$op" "$n" ]
}

# settled FILE cmd...: cmd prints what it printed at the previous call
# (kept in FILE, which starts absent): nothing moved in between. For
# wait_for, e.g. counters once the traffic has stopped.
settled() {
	local f=$1 r=1
	shift
	"$@" > "$f.new" || return 1
	cmp -s "$f.new" "$f" && r=0
	mv "$f.new" "$f"
	return $r
}

# wait_subscribed PID: the generic netlink socket of process PID (as libnl
# numbers them: PID in the low 22 bits of the port id) has joined a
# multicast group. /proc/net/netlink shows only groups 1-32: a later group
# times out after 10 s, and says so.
nl_subscribed() {
	awk -v pid="$1" '$2 == 16 && $3 % 4194304 == pid && $4 != "00000000" { f = 1 }
		END { exit !f }' "/proc/$1/net/netlink"
}
wait_subscribed() {
	wait_for 10 nl_subscribed "$1" ||
		log "process $1 has joined no netlink group 1-32 after 10 s (a group above 32 does not show)"
}

# make_blob FILE MB: random payload; prints its sha256
make_blob() {
	head -c "$(( $2 * 1024 * 1024 ))" /dev/urandom > "$1"
	sha256sum "$1" | cut -d' ' -f1
}

# tcp_transfer SRCFILE DSTFILE: server sends SRCFILE to the client over
# one TCP connection (socat), client writes DSTFILE.
start_tcp_server() {	# start_tcp_server FILE PORT
	bg srv socat -u "FILE:$1" "TCP-LISTEN:$2,reuseaddr"
	wait_for 5 srv sh -c "ss -ltn | grep -q ':$2 '"
}

tcp_fetch() {	# tcp_fetch PORT DSTFILE
	cli socat -u "TCP:$SRV_IP:$1,connect-timeout=$((5 * SLOW))" "CREATE:$2"
}

# start_http_server MB: a $MB MiB random blob served over HTTP on
# $SRV_IP:8080 from the server ns; request log in $TMPD/http.log; sets
# BLOB_SUM. http_fetch DST [curl opts] downloads it from the client ns;
# blob_ok FILE compares a download with it.
start_http_server() {
	mkdir -p "$TMPD/www"
	BLOB_SUM=$(make_blob "$TMPD/www/blob" "$1")
	bg srv "$PYTHON" -m http.server 8080 --bind $SRV_IP \
		--directory "$TMPD/www" 2> "$TMPD/http.log"
	wait_for 30 srv sh -c "ss -ltn | grep -q ':8080 '" ||
		die "http server did not start"
}

http_fetch() {	# curl's --max-time and --speed-time stretch by SLOW
	local dst=$1 a opts=() scale=0; shift
	for a; do
		if [ $scale = 1 ]; then a=$((a * SLOW)); fi
		opts+=("$a")
		case $a in --max-time | --speed-time) scale=1 ;; *) scale=0 ;; esac
	done
	cli curl -s -o "$dst" "${opts[@]}" "http://$SRV_IP:8080/blob"
}

blob_ok() { [ "$(sha256sum < "$1" | cut -d' ' -f1)" = "$BLOB_SUM" ]; }

# ---- modules ------------------------------------------------------------

refcnt() {	# refcnt MODULE: prints -1 if not loaded
	cat "/sys/module/$1/refcnt" 2>/dev/null || echo -1
}

clickup_modules() {	# atom modules currently loaded
	local m
	for m in /sys/module/clickup_atom_*; do
		[ -d "$m" ] && basename "$m"
	done
}

# all_refcnts_zero: no atom module in use, and clickup used by nothing
# but the atom modules linked against it (each loaded atom module holds
# one reference on clickup: /sys/module/clickup/holders).
all_refcnts_zero() {
	local m holders
	for m in $(clickup_modules); do
		[ "$(refcnt "$m")" = 0 ] || return 1
	done
	holders=$(ls /sys/module/clickup/holders 2>/dev/null | wc -l)
	[ "$(refcnt clickup)" = "$holders" ]
}

show_refcnts() {
	local m
	for m in clickup $(clickup_modules); do
		log "  $m refcnt $(refcnt "$m")"
	done
	log "  clickup holders: $(ls /sys/module/clickup/holders 2>/dev/null | tr '\n' ' ')"
}

# ---- dmesg --------------------------------------------------------------

DMESG_BAD='WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|kernel BUG|rcu.*detected (expedited )?stall|refcount_t|list_(add|del) corruption|unregister_netdevice: waiting|use-after-free|double free|Call Trace|hung_task|soft lockup'

dmesg_mark() {
	DMESG_START=$(dmesg 2>/dev/null | wc -l)
}

# dmesg_new: kernel lines since dmesg_mark
dmesg_new() {
	dmesg 2>/dev/null | tail -n +"$(( ${DMESG_START:-0} + 1 ))"
}

# dmesg_clean: nothing alarming since dmesg_mark (prints it otherwise)
dmesg_clean() {
	local bad
	bad=$(dmesg_new | grep -E "$DMESG_BAD")
	[ -z "$bad" ] && return 0
	echo "$bad" | head -n 40 | sed 's/^/# dmesg: /'
	return 1
}

# ---- the host's port forward and browser (run-vm.sh) ------------------

# host_port_forward NS: the VM's user-mode NIC (run-vm.sh VM_HOSTFWD or
# VM_BROWSER) into NS, where socat hands the host's forwarded port (guest
# port 3000) to clickupd at its default address, 127.0.0.1:3000 of NS.
# Returns 1 without such a NIC (not given, or no virtio_net).
HOSTFWD_IP=10.0.2.15	# qemu user-mode networking's guest address
host_port_forward() {
	local ns=$1
	# a module on Debian's kernel, built into the debug kernel
	modprobe virtio_net 2>/dev/null || [ -e /sys/class/net/eth0 ] || return 1
	wait_for 30 test -e /sys/class/net/eth0 || return 1
	ip link set eth0 netns "$ns" &&
		ip -n "$ns" addr add $HOSTFWD_IP/24 dev eth0 &&
		ip -n "$ns" link set eth0 up || return 1
	bg ns_exec "$ns" socat TCP-LISTEN:3000,bind=$HOSTFWD_IP,fork,reuseaddr TCP:127.0.0.1:3000
}

# host_browser_ready NS: a browser on the host (run-vm.sh VM_BROWSER=1,
# `make check`, `make demo`) that opens clickupd of NS (127.0.0.1:3000) at
# $CLICKUP_BROWSER_URL, driven from NS at $CLICKUP_WEBDRIVER
# (selftests/browser.py). Returns 1 when there is none, 2 when it does not
# answer, the reason in $HOST_BROWSER_WHY. host_browser NS: the same,
# skipping the test without one, failing it when it does not answer.
host_browser_ready() {
	local ns=$1
	HOST_BROWSER_WHY=
	if [ -z "${CLICKUP_WEBDRIVER:-}" ]; then
		HOST_BROWSER_WHY="no browser on the host: ${CLICKUP_BROWSER_SKIP:-run in the VM with VM_BROWSER=1 (make check does)}"
	elif ! command -v socat >/dev/null || ! command -v curl >/dev/null; then
		HOST_BROWSER_WHY="needs socat and curl"
	elif ! host_port_forward "$ns"; then
		HOST_BROWSER_WHY="no user-mode NIC in the guest (virtio_net missing?)"
	# chromedriver answers to Host: localhost only (browser.py says so too)
	elif ! wait_for 60 ns_exec "$ns" curl -sf -o /dev/null -H 'Host: localhost' \
		"$CLICKUP_WEBDRIVER/status"; then
		HOST_BROWSER_WHY="the host's chromedriver does not answer at $CLICKUP_WEBDRIVER"
		return 2
	fi
	[ -z "$HOST_BROWSER_WHY" ]
}
host_browser() {
	local rc=0
	host_browser_ready "$1" || rc=$?
	[ $rc != 1 ] || skip "$HOST_BROWSER_WHY"
	[ $rc = 0 ] || die "$HOST_BROWSER_WHY"
}

# ---- statistics ---------------------------------------------------------

# stats FILE: one number per line -> "n min median p99 max"
stats() {
	"$PYTHON" - "$1" <<'EOF'
import sys
v = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
if not v:
    print("0 0 0 0 0"); sys.exit()
q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
print(len(v), v[0], q(0.5), q(0.99), v[-1])
EOF
}
