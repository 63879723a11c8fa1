# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # HB_* are read by run-vm.sh
# Sourced by run-vm.sh when VM_BROWSER=1: a headless Chromium on this
# host, where a user's browser runs, for the guest's browser tests
# (dashboard.sh) and `make demo`'s screenshot. Under TCG the guest's own
# Chromium took ~1 min to start and ELK's layout 400-900 s; here both take
# seconds.
#
#   guest python (WebDriver) --> 10.0.2.100:4444 --guestfwd--> socat -->
#       chromedriver on 127.0.0.1:DRIVER (this host) --> Chromium -->
#       127.0.0.1:PAGE --hostfwd--> guest 10.0.2.15:3000 (clickupd)
#
# Both ports are free loopback ports picked here, so concurrent VMs
# (run-shards.sh) do not collide. The NIC is qemu's user-mode one with
# restrict=on: the guest reaches nothing but those two rules. The guest
# learns the addresses from CLICKUP_WEBDRIVER and CLICKUP_BROWSER_URL, or
# why there is no browser from CLICKUP_BROWSER_SKIP (the test then skips).
#
# host_browser_start DIR: sets HB_NIC (the -nic rules, without "user,")
# and HB_ENV (lines for the guest's cmd.sh); chromedriver's log is
# DIR/chromedriver.log. host_browser_stop: ends chromedriver and the
# browsers it started (its process group).

HB_PID=
HB_NIC=
HB_ENV=
HB_GUEST_DRIVER=10.0.2.100:4444
HB_GUEST_PAGE=3000

hb_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

host_browser_start() {
	local dir=$1 driver page c
	for c in /usr/bin/chromium /usr/bin/chromedriver /usr/bin/socat; do
		if [ ! -x "$c" ]; then
			HB_ENV="export CLICKUP_BROWSER_SKIP=$(printf %q "no $c on the host (selftests/vm/deps.sh installs it)")"
			return 0
		fi
	done
	# A port picked free can be taken before chromedriver binds it: retry.
	for _ in 1 2 3; do
		driver=$(hb_free_port)
		# its own process group: the browsers it starts end with it
		setsid /usr/bin/chromedriver --port="$driver" --log-level=WARNING \
			>>"$dir/chromedriver.log" 2>&1 </dev/null &
		HB_PID=$!
		for c in $(seq 100); do
			curl -sf -o /dev/null "http://127.0.0.1:$driver/status" && break 2
			kill -0 "$HB_PID" 2>/dev/null || break
			sleep 0.2
		done
		host_browser_stop
	done
	if [ -z "$HB_PID" ]; then
		HB_ENV="export CLICKUP_BROWSER_SKIP=$(printf %q "chromedriver did not start on the host (see ${dir##*/}/chromedriver.log)")"
		return 0
	fi
	page=$(hb_free_port)
	HB_NIC="hostfwd=tcp:127.0.0.1:$page-:$HB_GUEST_PAGE"
	HB_NIC+=",guestfwd=tcp:$HB_GUEST_DRIVER-cmd:socat STDIO TCP:127.0.0.1:$driver"
	HB_ENV="export CLICKUP_WEBDRIVER=http://$HB_GUEST_DRIVER CLICKUP_BROWSER_URL=http://127.0.0.1:$page/"
}

host_browser_stop() {
	[ -n "$HB_PID" ] || return 0
	kill -- "-$HB_PID" 2>/dev/null || true
	wait "$HB_PID" 2>/dev/null || true
	HB_PID=
}
