# shellcheck shell=bash
# Sourced by run-vm.sh (every arch): run the prepared VM and turn
# what came back into an exit code and the closing "N passed, N failed,
# N skipped" line. Expects QEMU (array), RUN, OUT, KVER.

# vm_run_and_verdict NAME DESC LOGDIR: exits with the command's code (or a
# failure for a timeout, a crash, or kernel problems in dmesg).
vm_run_and_verdict() {
	local name=$1 desc=$2 logdir=$3
	local start qrc ms secs rc bad l tap passed skipped failed
	local problems=()

	start=$(date +%s%N)
	set +e +o pipefail
	timeout --foreground -k 10 "${VM_TIMEOUT:-1500}" "${QEMU[@]}" </dev/null 2>&1 |
		tee "$RUN/serial.log"
	qrc=${PIPESTATUS[0]}
	set -e -o pipefail
	ms=$((($(date +%s%N) - start) / 1000000))
	secs=$((ms / 1000)).$((ms % 1000 / 100))

	if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
		problems+=("qemu timed out after ${VM_TIMEOUT:-1500} s (VM_TIMEOUT)")
	elif [ "$qrc" -ne 0 ]; then
		problems+=("qemu exited with $qrc")
	fi
	rc=
	[ -s "$OUT/rc" ] && rc=$(tr -dc 0-9 <"$OUT/rc")
	[ -n "$rc" ] || problems+=("no exit code came back from the guest (crash/panic/timeout?)")

	local BAD='WARNING:|BUG:|Oops|general protection|Call Trace|kernel BUG|refcount_t:|list_add corruption|list_del corruption|UBSAN|KASAN|rcu.*detected (expedited )?stall|hung_task|unregister_netdevice: waiting|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|DEBUG_LOCKS_WARN_ON|lock held when returning|bad unlock balance|locking correctness validator|Disabling lock debugging|ODEBUG:|kmemleak: .*(disabled|pool empty|suspected memory leak)'
	local OK_LINES='loading out-of-tree module taints kernel|module verification failed'
	local klog=$OUT/dmesg.txt
	[ -s "$klog" ] || klog=$RUN/serial.log
	if bad=$(tr -d '\r' <"$klog" | grep -E "$BAD" | grep -vE "$OK_LINES"); then
		problems+=("kernel problems in $(basename "$klog"):")
		while IFS= read -r l; do problems+=("    $l"); done <<<"$bad"
	fi

	# kmemleak (debug kernel): guest-init.sh scans after the command, leaks
	# from before it (boot) cleared; one line per report with its stack.
	if [ -s "$OUT/kmemleak.txt" ]; then
		problems+=("kmemleak: $(grep -c '^unreferenced object' "$OUT/kmemleak.txt") unreferenced object(s), full reports in $logdir/out/kmemleak.txt:")
		while IFS= read -r l; do problems+=("    $l"); done < <(awk '
			/^unreferenced object/ { if (o) print o; o = $0; n = 0; next }
			/^ +\[<[0-9a-f]+>\]/ && n < 6 { o = o " < " $NF; n++ }
			END { if (o) print o }' "$OUT/kmemleak.txt")
	fi

	# TAP accounting (top-level lines only; a runner's copy is preferred).
	tap=$OUT/tap.txt
	[ -s "$tap" ] || tap=$RUN/serial.log
	count() { tr -d '\r' <"$tap" | grep -cE "$1" || true; }
	passed=$(count '^ok [0-9]+')
	skipped=$(count '^ok [0-9]+.*# *(SKIP|skip)')
	failed=$(count '^not ok [0-9]+')
	passed=$((passed - skipped))
	[ ${#problems[@]} -eq 0 ] || failed=$((failed + 1))
	[ "${rc:-1}" = 0 ] || [ "$failed" -gt 0 ] || failed=1

	echo
	echo "$name: $desc, qemu rc $qrc, command rc ${rc:-none}, ${secs} s;" \
		"log: $logdir/serial.log, results: $logdir/out/"
	if [ ${#problems[@]} -gt 0 ]; then
		for l in "${problems[@]}"; do echo "$name: FAIL: $l"; done
		if [ -z "$rc" ]; then
			rc=1
			[ "$qrc" -ne 124 ] && [ "$qrc" -ne 137 ] || rc=124
		elif [ "$rc" = 0 ]; then
			rc=1
		fi
	fi
	echo "$passed passed, $failed failed, $skipped skipped"
	exit "$rc"
}
