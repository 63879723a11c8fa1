#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The demo's HTTP client: N parallel downloads, as the seed's wgetTest.py.

    client.py --url http://10.0.0.2:8080/f%d -n 50 --out run.json
              [--at 0.4 --hook 'CMD'] [--stall 15] [--deadline 300]

Each download is one thread that GETs its file over a fresh TCP connection
(HTTP/1.0).  A download whose connection fails, is reset, or delivers
nothing for --stall seconds is retried from byte 0 (no Range), as a naive
wget loop does; the bytes of the abandoned attempt count as "sent twice".

--at F --hook CMD runs CMD (sh -c) once, when F of the expected bytes have
been delivered: that is how the walkthrough upgrades mid-transfer.  With
--hook-batch BCMD, BCMD (e.g. `clickupctl batch -`) is started at once and
CMD is written to its stdin at the trigger; the hook ends with its first
output line.

Writes a JSON report: per download its attempts (start, end, bytes, error),
a timeline of delivered bytes and completed downloads sampled every
--sample seconds, the longest gap between two received chunks (any
download) and when it happened, and the hook's start/end/output.  Times are
seconds since the client started.  Exit 0 when every download completed.
"""
import argparse
import json
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

lock = threading.Lock()
state = {
    "delivered": 0,      # body bytes received, all attempts
    "completed": 0,
    "last_rx": None,
    "max_gap": 0.0,
    "gap_start": None,
    "bins": {},          # 100 ms bin -> bytes: exact, unlike a sampler
}                        # thread that the GIL can starve for seconds
go = threading.Event()
T0 = time.monotonic()
stop = threading.Event()
trigger = threading.Event()


def now():
    return time.monotonic() - T0


def account(n):
    t = now()
    with lock:
        state["delivered"] += n
        b = int(t * 10)
        state["bins"][b] = state["bins"].get(b, 0) + n
        last = state["last_rx"]
        if last is not None and t - last > state["max_gap"]:
            state["max_gap"] = t - last
            state["gap_start"] = last
        state["last_rx"] = t
        return state["delivered"]


def attempt(host, port, path, stall, connect_timeout, rec, on_bytes):
    """One GET. Returns (ok, body_bytes, error)."""
    body = 0
    try:
        s = socket.create_connection((host, port), timeout=connect_timeout)
    except OSError as e:
        return False, 0, "connect: %s" % (e.strerror or e.__class__.__name__)
    try:
        rec["port"] = s.getsockname()[1]
        s.settimeout(stall)
        s.sendall(("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" % (path, host)).encode())
        head = b""
        length = None
        while length is None:
            buf = s.recv(65536)
            if not buf:
                return False, body, "closed in header"
            head += buf
            i = head.find(b"\r\n\r\n")
            if i < 0:
                continue
            status = head.split(b"\r\n", 1)[0]
            if b" 200 " not in status + b" ":
                return False, 0, "status %s" % status.decode(errors="replace")
            for line in head[:i].split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v)
            if length is None:
                return False, 0, "no content-length"
            rest = len(head) - i - 4
            if rest:
                body += rest
                on_bytes(rest)
        rec["length"] = length
        while body < length:
            if stop.is_set():
                return False, body, "deadline"
            buf = s.recv(262144)
            if not buf:
                return False, body, "closed at %d/%d" % (body, length)
            body += len(buf)
            on_bytes(len(buf))
        return True, body, None
    except socket.timeout:
        return False, body, "stalled %.0f s" % stall
    except OSError as e:
        return False, body, e.strerror or e.__class__.__name__
    finally:
        s.close()


def download(i, a, host, port, path, expected_total, rec):
    def on_bytes(n):
        d = account(n)
        if a.at is not None and d >= a.at * expected_total:
            trigger.set()

    go.wait()               # all threads exist before any download starts
    rec["start"] = now()
    while not stop.is_set():
        at = {"start": now()}
        ok, n, err = attempt(host, port, path, a.stall, a.connect_timeout,
                             at, on_bytes)
        if "length" in at:
            rec["length"] = at.pop("length")
        at.update(end=now(), bytes=n, ok=ok)
        if err:
            at["error"] = err
        rec["attempts"].append(at)
        if ok:
            rec["end"] = at["end"]
            rec["bytes"] = n
            with lock:
                state["completed"] += 1
            return
        time.sleep(a.retry_wait)
    rec["end"] = None


def start_batch(a):
    """--hook-batch: started before the downloads, fed at the trigger: no
    process start (0.1-5 s under a loaded TCG guest) between the trigger
    and the upgrade.  With --hook-warm, that line is run and its one
    output line awaited first, so the process is up (exec'd, socket open)
    before the downloads start and does not compete with them."""
    if not a.hook_batch:
        return None
    batch = subprocess.Popen(a.hook_batch, shell=True, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    if a.hook_warm:
        batch.stdin.write(a.hook_warm + "\n")
        batch.stdin.flush()
        batch.stdout.readline()
    return batch


def run_hook(a, out, batch):
    if not trigger.wait():
        return
    if stop.is_set():
        if batch:
            batch.kill()
        return
    with lock:
        out["delivered_at_start"] = state["delivered"]
    out["start"] = now()
    if batch:
        batch.stdin.write(a.hook + "\n")
        batch.stdin.flush()
        out["output"] = batch.stdout.readline()
        out["end"] = now()
        batch.stdin.close()
        try:
            out["rc"] = batch.wait(timeout=a.hook_timeout)
        except subprocess.TimeoutExpired:
            batch.kill()
            out["rc"] = -1
        out["output"] += batch.stdout.read()
        return
    try:
        p = subprocess.run(a.hook, shell=True, capture_output=True, text=True,
                           timeout=a.hook_timeout)
        out["rc"] = p.returncode
        out["output"] = (p.stdout + p.stderr)[-4000:]
    except subprocess.TimeoutExpired:
        out["rc"] = -1
        out["output"] = "hook timed out after %s s" % a.hook_timeout
    out["end"] = now()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True, help="with %%d for the index")
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--size", type=int, required=True,
                    help="bytes per file (to place --at)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--at", type=float)
    ap.add_argument("--hook", help="sh -c command, or a line for --hook-batch")
    ap.add_argument("--hook-batch",
                    help="command started at once; --hook is written to its stdin at the trigger")
    ap.add_argument("--hook-warm",
                    help="a line for --hook-batch run before the downloads start")
    ap.add_argument("--hook-timeout", type=float, default=120)
    ap.add_argument("--stall", type=float, default=15.0)
    ap.add_argument("--connect-timeout", type=float,
                    help="default: --stall")
    ap.add_argument("--retry-wait", type=float, default=0.1)
    ap.add_argument("--sample", type=float, default=0.05)
    ap.add_argument("--deadline", type=float, default=300)
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    if a.connect_timeout is None:
        a.connect_timeout = a.stall

    u = urlsplit(a.url)
    host, port = u.hostname, u.port or 80
    expected = a.n * a.size
    recs = [{"id": i, "attempts": [], "start": None, "end": None,
             "bytes": 0} for i in range(a.n)]
    hook = {}
    timeline = []

    ht = None
    if a.hook and a.at is not None:
        batch = start_batch(a)
        ht = threading.Thread(target=run_hook, args=(a, hook, batch), daemon=True)
        ht.start()

    wall0 = time.time()
    threads = []
    for i in range(a.n):
        path = u.path.replace("%d", str(i)) if "%d" in u.path else u.path
        t = threading.Thread(target=download,
                             args=(i, a, host, port, path, expected, recs[i]),
                             daemon=True)
        threads.append(t)
        t.start()

    # Time 0 is when every thread exists and the downloads start.
    global T0
    T0 = time.monotonic()
    go.set()
    deadline = a.deadline
    while True:
        t = now()
        with lock:
            timeline.append([round(t, 4), state["delivered"], state["completed"]])
            done = state["completed"] == a.n
        if done or t > deadline:
            break
        time.sleep(a.sample)
    timed_out = not done
    stop.set()
    trigger.set()           # release the hook thread if it never fired
    for t in threads:
        t.join(timeout=a.stall + 2)
    if ht is not None and hook.get("start") is not None:
        ht.join(timeout=a.hook_timeout)
    with lock:
        timeline.append([round(now(), 4), state["delivered"], state["completed"]])

    ends = [r["end"] for r in recs if r["end"] is not None]
    failed = sum(1 for r in recs if r["end"] is None)
    restarted = sum(1 for r in recs if len(r["attempts"]) > 1)
    twice = sum(at["bytes"] for r in recs for at in r["attempts"] if not at["ok"])
    report = {
        "label": a.label,
        "url": a.url, "n": a.n, "size": a.size, "at": a.at, "hook_cmd": a.hook,
        "stall_timeout": a.stall, "wall_start": wall0,
        "total_time": max(ends) if ends and not failed else None,
        "last_end": max(ends) if ends else None,
        "timed_out": timed_out,
        "failed": failed,
        "restarted": restarted,
        "attempts_failed": sum(1 for r in recs for at in r["attempts"] if not at["ok"]),
        "bytes_twice": twice,
        "delivered": state["delivered"],
        "max_gap": state["max_gap"],
        "gap_start": state["gap_start"],
        "hook": hook,
        "downloads": recs,
        "timeline": timeline,
        "bins_100ms": sorted(state["bins"].items()),
    }
    with open(a.out, "w") as f:
        json.dump(report, f)
    print("%s: %d/%d complete in %s s, %d restarted, %d failed, %d bytes twice, "
          "longest gap %.3f s%s" % (
              a.label or "client", a.n - failed, a.n,
              "%.2f" % report["total_time"] if report["total_time"] else "-",
              restarted, failed, twice, state["max_gap"],
              " (hook %.2f-%.2f s rc %s)" % (hook["start"], hook["end"], hook.get("rc"))
              if hook.get("end") is not None else ""))
    sys.exit(0 if not failed and not timed_out else 1)


if __name__ == "__main__":
    main()
