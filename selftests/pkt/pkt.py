#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Inject crafted frames and check what comes out, across namespaces.

One process does a whole exchange: it opens AF_PACKET sockets in any
number of network namespaces (setns), sends frames, waits, and checks the
frames that arrived. The script comes on stdin, one command per line
('#' comments):

  tx NAME NS IFACE            a sending socket NAME on IFACE in netns NS
  rx NAME NS IFACE            a capturing socket (incoming frames only)
  let NAME [=] EXPR           name a frame (or any value) for later EXPRs
  send TX EXPR [xN]           send the frame EXPR (N times)
  wait SECONDS                collect frames for that long (default 0.5,
                              done before the first check if not given)
  expect RX EXPR [xN]         EXPR arrived on RX (N times), exactly
  expect_tail RX N EXPR       a frame of N bytes more than EXPR, ending
                              with EXPR, arrived on RX (once)
  count RX N                  exactly N frames arrived on RX in all
  dump RX                     print what arrived on RX

NS is a name in /var/run/netns ('-' for the current one). EXPR is a Python
expression over the frame builders below (eth, ip, tcp, udp, icmp, raw,
h), e.g.  eth(ip('10.0.0.1', '10.0.0.2', tcp(1234, 80, 'S'))).
Output is TAP-like ("ok - ...", "not ok - ..."); exit 1 if a check failed.

  pkt.py hex EXPR             print EXPR's bytes as hex (no sockets)
"""
import ctypes
import os
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 3
PACKET_OUTGOING = 4

MAC_SRC = '02:00:00:00:00:01'
MAC_DST = '02:00:00:00:00:02'


# ---- frame builders ------------------------------------------------------

def h(s):
    """Bytes from hex, spaces and colons ignored."""
    return bytes.fromhex(s.replace(':', '').replace(' ', ''))


def raw(n, byte=0):
    return bytes([byte]) * n


def mac(s):
    return h(s)


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(payload=b'', dst=MAC_DST, src=MAC_SRC, type=0x0800):
    return mac(dst) + mac(src) + struct.pack('!H', type) + payload


class L4(bytes):
    """A transport header + payload that wants the IP pseudo header."""
    proto = 0

    def finish(self, src, dst):
        return bytes(self)


class _TCP(L4):
    proto = 6

    def finish(self, src, dst):
        b = bytearray(self)
        if b[16:18] == b'\0\0':
            ph = src + dst + struct.pack('!BBH', 0, 6, len(b))
            struct.pack_into('!H', b, 16, csum(ph + bytes(b)))
        return bytes(b)


class _UDP(L4):
    proto = 17

    def finish(self, src, dst):
        b = bytearray(self)
        ph = src + dst + struct.pack('!BBH', 0, 17, len(b))
        struct.pack_into('!H', b, 6, csum(ph + bytes(b)) or 0xffff)
        return bytes(b)


class _ICMP(L4):
    proto = 1


TCP_FLAGS = {'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16, '.': 16, 'U': 32}


def tcp(sport=1234, dport=80, flags='S', payload=b'', seq=1, ack=0):
    f = 0
    for c in flags:
        f |= TCP_FLAGS[c]
    return _TCP(struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, f,
                            65535, 0, 0) + payload)


def udp(sport=1234, dport=53, payload=b''):
    return _UDP(struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) +
                payload)


def icmp(type=8, code=0, payload=b'\0\1\0\1'):
    b = bytearray(struct.pack('!BBH', type, code, 0) + payload)
    struct.pack_into('!H', b, 2, csum(bytes(b)))
    return _ICMP(bytes(b))


def ip(src='10.0.0.1', dst='10.0.0.2', payload=b'', proto=None, ttl=64,
       ihl=5, tot=None, badsum=False, frag=0, version=4, options=None):
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    if isinstance(payload, L4):
        if proto is None:
            proto = payload.proto
        payload = payload.finish(s, d)
    if proto is None:
        proto = 253
    if options is None:
        options = b'\1' * max(0, (ihl - 5) * 4)	# NOPs
    hl = 20 + len(options)
    if tot is None:
        tot = hl + len(payload)
    hdr = bytearray(struct.pack('!BBHHHBBH4s4s', (version << 4) | ihl, 0,
                                tot, 1, frag, ttl, proto, 0, s, d) + options)
    c = csum(bytes(hdr))
    if badsum:
        c ^= 0x5555
    struct.pack_into('!H', hdr, 10, c)
    return bytes(hdr) + payload


BUILDERS = {n: globals()[n] for n in
            ('h', 'raw', 'eth', 'ip', 'tcp', 'udp', 'icmp', 'csum')}
BUILDERS.update(MAC_SRC=MAC_SRC, MAC_DST=MAC_DST)


def frame(expr, names=None):
    v = eval(expr, dict(BUILDERS, **(names or {})))
    if isinstance(v, str):
        v = h(v)
    return bytes(v)


# ---- namespaces and sockets ------------------------------------------------

libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            e = ctypes.get_errno()
            raise OSError(e, 'setns %s: %s' % (path, os.strerror(e)))
    finally:
        os.close(fd)


def open_socket(ns, ifname, capture):
    home = '/proc/self/ns/net'
    home_fd = os.open(home, os.O_RDONLY)
    try:
        if ns != '-':
            setns('/var/run/netns/' + ns)
        proto = socket.htons(ETH_P_ALL) if capture else 0
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, proto)
        s.bind((ifname, ETH_P_ALL if capture else 0))
    finally:
        if ns != '-':
            libc.setns(home_fd, CLONE_NEWNET)
        os.close(home_fd)
    if capture:
        s.setblocking(False)
    return s


# ---- the script ----------------------------------------------------------

class Run:
    def __init__(self):
        self.tx, self.rx, self.got = {}, {}, {}
        self.failed = False
        self.collected = False
        self.names = {}

    def report(self, ok, what):
        print('%s - %s' % ('ok' if ok else 'not ok', what))
        if not ok:
            self.failed = True

    def collect(self, secs):
        end = time.monotonic() + secs
        by_fd = {s.fileno(): n for n, s in self.rx.items()}
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select(list(by_fd), [], [], left)
            for fd in r:
                name = by_fd[fd]
                while True:
                    try:
                        data, addr = self.rx[name].recvfrom(65535)
                    except BlockingIOError:
                        break
                    if addr[2] != PACKET_OUTGOING:
                        self.got[name].append(data)
        self.collected = True

    def need(self):
        if not self.collected:
            self.collect(0.5)

    def dump(self, name):
        for d in self.got[name]:
            print('# %s: %s' % (name, d.hex()))

    def line(self, words, text):
        cmd = words[0]
        if cmd in ('tx', 'rx'):
            name, ns, ifname = words[1:4]
            s = open_socket(ns, ifname, cmd == 'rx')
            if cmd == 'tx':
                self.tx[name] = s
            else:
                self.rx[name] = s
                self.got[name] = []
            return
        if cmd == 'let':
            expr = text.split(None, 2)[2]
            if expr.startswith('='):
                expr = expr[1:]
            self.names[words[1]] = eval(expr.strip(),
                                        dict(BUILDERS, **self.names))
            return
        if cmd == 'wait':
            self.collect(float(words[1]))
            return
        if cmd == 'dump':
            self.need()
            self.dump(words[1])
            return
        if cmd == 'count':
            self.need()
            name, n = words[1], int(words[2])
            got = len(self.got[name])
            self.report(got == n, '%s: %d frame(s) arrived, want %d' %
                        (name, got, n))
            if got != n:
                self.dump(name)
            return
        if cmd == 'expect_tail':
            self.need()
            name, extra = words[1], int(words[2])
            expr = text.split(None, 3)[3]
            data = frame(expr, self.names)
            n = sum(1 for d in self.got[name]
                    if len(d) == len(data) + extra and d.endswith(data))
            self.report(n == 1, '%s: %d bytes + %s (%d arrived)' %
                        (name, extra, expr, n))
            if n != 1:
                self.dump(name)
            return
        # send/expect TARGET EXPR [xN]
        target = words[1]
        expr = text.split(None, 2)[2]
        times = 1
        tail = expr.rsplit(None, 1)
        if len(tail) == 2 and tail[1].startswith('x') and tail[1][1:].isdigit():
            expr, times = tail[0], int(tail[1][1:])
        data = frame(expr, self.names)
        if cmd == 'send':
            for _ in range(times):
                self.tx[target].send(data)
            return
        if cmd == 'expect':
            self.need()
            got = self.got[target]
            n = sum(1 for d in got if d == data)
            what = '%s: %s' % (target, expr)
            if times > 1:
                what += ' x%d' % times
            self.report(n == times, '%s (%d arrived)' % (what, n))
            if n != times:
                print('# want:  %s' % data.hex())
                self.dump(target)
            return
        raise SystemExit('pkt.py: unknown command %r' % cmd)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == 'hex':
        print(frame(' '.join(sys.argv[2:])).hex())
        return 0
    if len(sys.argv) != 2 or sys.argv[1] != 'run':
        print(__doc__, file=sys.stderr)
        return 2
    run = Run()
    for text in sys.stdin:
        text = text.split('#', 1)[0].strip() if text.lstrip().startswith('#') \
            else text.strip()
        if not text:
            continue
        run.line(text.split(), text)
    return 1 if run.failed else 0


if __name__ == '__main__':
    sys.exit(main())
