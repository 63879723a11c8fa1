#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A paced UDP stream with sequence numbers, for `make bench`'s loss
during swaps.

    udpflow.py recv PORT OUT.json        until idle 2 s after the first packet
                                         (OUT.json.ready once it listens)
    udpflow.py send HOST PORT SECS PPS   prints a JSON summary

Each datagram carries its sequence number (u64) in 64 bytes. The
receiver reports how many distinct sequence numbers arrived, the missing
ones as ranges, duplicates, reordering (a number lower than the highest
seen) and the longest gap in arrival time.
"""
import json
import socket
import struct
import sys
import time


def recv(port, out):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # 32 MiB, past net.core.rmem_max (SO_RCVBUFFORCE, root): a receiver
    # descheduled for a while must not lose what the element delivered
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)   # SO_RCVBUFFORCE
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
    s.bind(("0.0.0.0", int(port)))
    open(out + ".ready", "w").close()
    seen = bytearray(1 << 24)
    n = dup = reord = 0
    hi = -1
    last = None
    gap = 0.0
    s.settimeout(60)
    while True:
        try:
            d = s.recv(2048)
        except socket.timeout:
            break
        t = time.monotonic()
        if last is not None:
            gap = max(gap, t - last)
        last = t
        s.settimeout(2)
        q = struct.unpack_from("<Q", d)[0]
        if q == 0xffffffffffffffff:
            break       # the sender's end marker
        if q >= len(seen):
            continue
        if seen[q]:
            dup += 1
            continue
        seen[q] = 1
        n += 1
        if q < hi:
            reord += 1
        hi = max(hi, q)
    missing, i = [], 0
    while i <= hi:
        if not seen[i]:
            j = i
            while j <= hi and not seen[j]:
                j += 1
            missing.append([i, j - 1])
            i = j
        else:
            i += 1
    json.dump({"received": n, "highest": hi, "duplicates": dup, "reordered": reord,
               "missing_ranges": missing[:200], "missing": sum(b - a + 1 for a, b in missing),
               "max_gap_ms": gap * 1e3}, open(out, "w"))


def send(host, port, secs, pps):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, int(port)))
    pps, secs = float(pps), float(secs)
    pad = b"\0" * 56
    q = 0
    t0 = time.monotonic()
    end = t0 + secs
    errs = 0
    while True:
        t = time.monotonic()
        if t >= end:
            break
        due = int((t - t0) * pps) + 1
        while q < due:
            try:
                s.send(struct.pack("<Q", q) + pad)
            except OSError:
                errs += 1
            q += 1
        time.sleep(0.0005)
    el = time.monotonic() - t0
    time.sleep(0.5)
    for _ in range(5):
        try:
            s.send(struct.pack("<Q", 0xffffffffffffffff) + pad)
        except OSError:
            pass
        time.sleep(0.05)
    print(json.dumps({"sent": q, "seconds": el, "pps": q / el, "send_errors": errs}))


if __name__ == "__main__":
    {"recv": recv, "send": send}[sys.argv[1]](*sys.argv[2:])
