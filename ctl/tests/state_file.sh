#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Offline tests of the state save file (TAP): a file written by an
# independent Python implementation of docs/state.md must be accepted by
# `clickupctl state check`, and every kind of damage must be refused with
# a clear one-line error before anything is sent to the kernel.
#   tests/state_file.sh [path/to/clickupctl]
. "$(dirname "$0")/lib.sh" "$@"
PY=$(command -v /usr/bin/python3 || command -v python3)

# expect NAME RC STDERR-SUBSTRING -- CMD...
expect() {
	local name=$1 rc=$2 err=$3
	shift 4
	"$@" > out.txt 2> err.txt
	local got=$?
	if [ "$got" != "$rc" ]; then
		nok "$name" "exit $got, want $rc" "stderr: $(head -c 300 err.txt)"
	elif [ -n "$err" ] && ! grep -qF -- "$err" err.txt; then
		nok "$name" "stderr lacks: $err" "stderr: $(head -c 300 err.txt)"
	elif [ "$rc" = 1 ] && [[ "$name" != usage* ]] && [ "$(wc -l < err.txt)" != 1 ]; then
		nok "$name" "want exactly one line on stderr" "$(cat err.txt)"
	else
		ok "$name"
	fi
}

# mk.py OUT [mutation]: writes the reference file (format version 1, as
# clickupctl wrote it before issue 11), optionally damaged in a way that
# keeps the checksum right (so the structural checks speak); mutation
# "v2" writes the current version 2 instead.
cat > mk.py <<'X'
import socket, struct, sys, zlib
out = sys.argv[1]
mut = sys.argv[2] if len(sys.argv) > 2 else ""
a = socket.inet_aton
def rec(proto, st, idir, fdir, sa, da, sp, dp, xa="0.0.0.0", xp=0, tmo=0):
    return (struct.pack("<BBBB", proto, st, idir, fdir) + a(sa) + a(da) +
            struct.pack("!HH", sp, dp) + a(xa) + struct.pack("!H", xp) + b"\0\0" +
            struct.pack("<I", tmo) + b"\0" * 4)
def tcp(end, maxend, maxwin, maxack, scale, flags):
    return struct.pack("<IIIIBB", end, maxend, maxwin, maxack, scale, flags) + b"\0\0"
def rec2(proto, st, status, sa, da, sp, dp, rsa, rda, rsp, rdp, tmo, t0=None, t1=None):
    return (struct.pack("<BBBB", proto, st, status, 0) + a(sa) + a(da) +
            struct.pack("!HH", sp, dp) + a(rsa) + a(rda) + struct.pack("!HH", rsp, rdp) +
            struct.pack("<I", tmo) + (t0 or tcp(0, 0, 0, 0, 0, 0)) +
            (t1 or tcp(0, 0, 0, 0, 0, 0)) + b"\0" * 8)
if mut.startswith("v2"):
    ver, rsize = 2, 80
    tables = [
        (b"fw", 1000, [rec2(6, 3, 3, "10.0.0.1", "10.0.0.2", 40000, 5001,
                            "10.0.0.2", "10.0.0.1", 5001, 40000, 431999000,
                            tcp(1000, 66000, 64240, 2000, 7, 0x12),
                            tcp(2000, 3000, 65535, 1000, 14, 0x13))]),
        (b"nat", 1 << 20, [rec2(17, 7, 1, "192.168.1.5", "8.8.8.8", 5353, 53,
                                "8.8.8.8", "203.0.113.1", 53, 61000, 300000)]),
    ]
    if mut == "v2status":
        tables[0][2][0] = tables[0][2][0][:2] + b"\x04" + tables[0][2][0][3:]
    if mut == "v2scale":
        r = tables[0][2][0]
        tables[0][2][0] = r[:32 + 16] + b"\x0f" + r[32 + 17:]
else:
    ver, rsize = 1, 32
    tables = [
        (b"fw", 1000, [rec(6, 3, 0, 0, "10.0.0.1", "10.0.0.2", 40000, 5001, tmo=431999000),
                       rec(6, 6, 1, 0, "10.0.0.1", "10.0.0.2", 40001, 5001, tmo=9000)]),
        # a mapping: the outbound record and its partner, keyed by the reply
        (b"nat", 1 << 20, [rec(17, 7, 0, 0, "192.168.1.5", "8.8.8.8", 5353, 53,
                               "203.0.113.1", 61000, 300000),
                           rec(17, 7, 0, 0, "8.8.8.8", "203.0.113.1", 53, 61000,
                               "192.168.1.5", 5353, 300000)]),
    ]
if mut == "state":
    tables[0][2][0] = tables[0][2][0][:1] + b"\x09" + tables[0][2][0][2:]
if mut == "dup":
    tables[1] = (b"fw",) + tables[1][1:]
body = b""
for name, mx, recs in tables:
    cnt = len(recs) + (1 if mut == "count" and name == b"nat" else 0)
    body += name.ljust(32, b"\0") + struct.pack("<II", mx, cnt) + b"".join(recs)
ver = 3 if mut == "version" else ver
size = 96 + len(body) + 4
hdr = (b"CLICKUP-STATE".ljust(16, b"\0") +
       struct.pack("<IIIIII", ver, 96, 40, rsize, len(tables), 0) +
       struct.pack("<QQ", size, (1 << 62) if mut == "future" else 1700000000) + b"fw".ljust(32, b"\0") + b"\0" * 8)
assert len(hdr) == 96
data = hdr + body
data += struct.pack("<I", zlib.crc32(data) & 0xffffffff)
open(out, "wb").write(data)
X
"$PY" mk.py good.state || { echo "Bail out! cannot run python"; exit 1; }
size=$(stat -c %s good.state)

expect "a version 1 file (before issue 11) is still valid" 0 "" -- \
	"$CTL" state check good.state
if grep -qF "good.state: ok: version 1, NE fw, saved 2023-11-14T22:13:20Z, 2 tables, 3 flows" out.txt &&
   grep -qx "table nat: max 1048576, 1 flow" out.txt; then
	ok "check: summary line and tables (the NAT pair is one flow)"
else
	nok "check: summary line and tables" "$(cat out.txt)"
fi
"$CTL" state check -j good.state > g.json
if jq -e '.tables[0].name == "fw" and .tables[0].max == 1000 and
	  (.tables[0].flows[0] | del(.tcp_orig, .tcp_reply)) == {"key":"tcp-10.0.0.1:40000-10.0.0.2:5001","proto":"tcp","proto_num":6,
		"saddr":"10.0.0.1","sport":40000,"daddr":"10.0.0.2","dport":5001,
		"reply":{"saddr":"10.0.0.2","sport":5001,"daddr":"10.0.0.1","dport":40000},
		"state":"established","assured":true,"seen_reply":true,"expires_ms":431999000} and
	  .tables[0].flows[1].state == "close" and .tables[0].flows[1].saddr == "10.0.0.2" and
	  .tables[0].flows[1].sport == 5001 and .tables[0].flows[1].assured == false and
	  .tables[1].flows[0].saddr == "192.168.1.5" and .tables[1].flows[0].sport == 5353 and
	  .tables[1].flows[0].reply == {"saddr":"8.8.8.8","sport":53,"daddr":"203.0.113.1","dport":61000} and
	  .tables[1].flows[0].proto == "udp" and .tables[1].flows[0].state == "generic"' g.json > /dev/null; then
	ok "check -j: version 1 converted (key by init_dir, NAT pair to one flow with its REPLY tuple)"
else
	nok "check -j: version 1 conversion" "$(cat g.json)"
fi

"$PY" mk.py v2.state v2
expect "a version 2 file is valid" 0 "" -- "$CTL" state check v2.state
"$CTL" state check -j v2.state > g2.json
if grep -qF "v2.state: ok: version 2, NE fw" out.txt &&
   jq -e '.tables[0].flows[0].tcp_orig == {"end":1000,"maxend":66000,"maxwin":64240,"maxack":2000,"scale":7,"flags":18} and
	  .tables[0].flows[0].tcp_reply == {"end":2000,"maxend":3000,"maxwin":65535,"maxack":1000,"scale":14,"flags":19} and
	  .tables[0].flows[0].assured == true and
	  .tables[1].flows[0].reply == {"saddr":"8.8.8.8","sport":53,"daddr":"203.0.113.1","dport":61000} and
	  .tables[1].flows[0].assured == true and .tables[1].flows[0].seen_reply == false' g2.json > /dev/null; then
	ok "check -j: every version 2 field decoded"
else
	nok "check -j: version 2 fields" "$(cat out.txt g2.json)"
fi
"$PY" mk.py v2s.state v2status
expect "version 2: an unknown status bit" 1 "v2s.state: table 'fw', flow 0 at byte 136: bad record" -- \
	"$CTL" state check v2s.state
"$PY" mk.py v2w.state v2scale
expect "version 2: a window scale over 14" 1 "v2w.state: table 'fw', flow 0 at byte 136: bad record" -- \
	"$CTL" state check v2w.state

"$PY" mk.py future.state future
expect "a valid file saved at an impossible time (no crash)" 0 "" -- \
	"$CTL" state check future.state
grep -qF "saved at 4611686018427387904 s (not a date)" out.txt &&
	ok "check: an unrepresentable time is printed as a number" ||
	nok "check: unrepresentable time" "$(cat out.txt)"

# ---- damage ------------------------------------------------------------------
cp good.state flip.state
printf '\x5a' | dd of=flip.state bs=1 seek=$((96 + 40 + 5)) conv=notrunc status=none
expect "one flipped byte: checksum mismatch" 1 \
	"clickupctl: state check: flip.state: checksum mismatch (stored crc32" -- \
	"$CTL" state check flip.state
head -c $((size - 10)) good.state > trunc.state
expect "truncated file: truncated at byte N" 1 \
	"trunc.state: truncated at byte $((size - 10)) (the header says $size bytes)" -- \
	"$CTL" state check trunc.state
head -c 50 good.state > trunc2.state
expect "truncated inside the header" 1 "trunc2.state: truncated at byte 50" -- \
	"$CTL" state check trunc2.state
: > empty.state
expect "empty file: truncated at byte 0" 1 "empty.state: truncated at byte 0" -- \
	"$CTL" state check empty.state
{ cat good.state; printf 'junk'; } > junk.state
expect "trailing junk" 1 "junk.state: trailing junk after byte $size" -- \
	"$CTL" state check junk.state
{ printf 'CLICKUP-STATF'; tail -c +14 good.state; } > magic.state
expect "bad magic" 1 "magic.state: bad magic: not a clickupctl state file" -- \
	"$CTL" state check magic.state
"$PY" mk.py version.state version
expect "another format version" 1 \
	"version.state: unsupported format version 3 (this clickupctl reads 1 and 2)" -- \
	"$CTL" state check version.state
"$PY" mk.py count.state count
expect "a count that does not match the records" 1 "count.state: table sections end past the checksum" -- \
	"$CTL" state check count.state
"$PY" mk.py state.state state
expect "an out-of-range flow state" 1 "state.state: table 'fw', flow 0 at byte 136: bad record" -- \
	"$CTL" state check state.state
"$PY" mk.py dup.state dup
expect "a table twice" 1 "dup.state: table 'fw' appears twice" -- \
	"$CTL" state check dup.state
expect "stdin is read as '<stdin>'" 1 "<stdin>: checksum mismatch" -- \
	bash -c "'$CTL' state check - < flip.state"
# restore checks the file before it opens the netlink socket
expect "restore refuses a damaged file before talking to the kernel" 1 \
	"clickupctl: state restore fw: flip.state: checksum mismatch" -- \
	"$CTL" state restore fw flip.state
expect "restore: missing file" 1 "nosuch.state: No such file or directory" -- \
	"$CTL" state restore fw nosuch.state

# ---- usage -------------------------------------------------------------------
expect "usage: set needs WHAT VALUE" 1 "usage: clickupctl state" -- "$CTL" state set fw 3
expect "usage: bad policy" 1 "bad policy 'lax'" -- "$CTL" state set fw policy lax
expect "usage: unknown timeout" 1 "unknown setting 'tcp_nope'" -- "$CTL" state set fw tcp_nope 5
expect "usage: zero timeout" 1 "bad timeout '0'" -- "$CTL" state set fw tcp_close 0
expect "usage: bad limit" 1 "bad limit 'x'" -- "$CTL" state set fw max x
expect "usage: bad protocol" 1 "bad protocol 'sctpx'" -- \
	"$CTL" state delete fw sctpx 1.2.3.4:1 1.2.3.5:2
expect "usage: bad endpoint" 1 "bad endpoint '1.2.3.4:70000'" -- \
	"$CTL" state delete fw tcp 1.2.3.4:70000 1.2.3.5:2
expect "usage: delete with a partial key" 1 "wrong number of arguments" -- \
	"$CTL" state delete fw tcp 1.2.3.4:1
expect "usage: unknown subcommand" 1 "unknown subcommand 'frob'" -- "$CTL" state frob
expect "usage: save needs NE FILE" 1 "state save: wrong number of arguments" -- "$CTL" state save fw

echo "1..$n"
[ "$failed" = 0 ]
