#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The demo's HTTP file server (the seed ran Tomcat; this is enough).

    httpserver.py --dir DIR --port PORT [--files N --size BYTES] [--big BYTES]

Generates DIR/f0 .. f{N-1} of SIZE bytes each at start (f0 random, the
others hard links to it: 50 files cost the memory of one) and DIR/big of
BIG bytes when asked (sparse: zeros, no memory on tmpfs), then serves DIR over HTTP/1.0 with one thread
per connection, as python3 -m http.server does.  Writes DIR/.ready when it
listens.  No Range support: a client that retries starts from byte 0, as a
naive wget loop does.
"""
import argparse
import functools
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


def make_file(path, size):
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    chunk = os.urandom(1 << 20)
    with open(path + ".tmp", "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(chunk))
            f.write(chunk[:n])
            left -= n
    os.rename(path + ".tmp", path)


class Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # quiet: 50 lines per run is noise
        pass

    def copyfile(self, source, outputfile):
        # Big writes: fewer syscalls per byte under emulation.
        while True:
            buf = source.read(256 * 1024)
            if not buf:
                break
            try:
                outputfile.write(buf)
            except (BrokenPipeError, ConnectionResetError):
                return


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up is part of the experiment


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--bind", default="0.0.0.0")
    ap.add_argument("--files", type=int, default=0)
    ap.add_argument("--size", type=int, default=0)
    ap.add_argument("--big", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    if a.files:
        f0 = os.path.join(a.dir, "f0")
        make_file(f0, a.size)
        for i in range(1, a.files):
            p = os.path.join(a.dir, "f%d" % i)
            if not os.path.exists(p):
                os.link(f0, p)
    if a.big:
        with open(os.path.join(a.dir, "big"), "wb") as f:
            f.truncate(a.big)
    handler = functools.partial(Handler, directory=a.dir)
    srv = Server((a.bind, a.port), handler)
    open(os.path.join(a.dir, ".ready"), "w").close()
    sys.stdout.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
