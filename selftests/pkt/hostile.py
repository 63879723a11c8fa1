#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile TCP peer, for selftests/hostile_tcp.sh (raw sockets only).

  hostile.py inject KIND IFACE SRC:SPORT DST:DPORT
      Watch IFACE for a segment DST:DPORT -> SRC:SPORT of a live
      connection (DPORT 0: any; its ACK number is where SRC's next byte
      is expected),
      then send, as SRC, out of IFACE to that segment's sender (past
      IFACE's qdisc), one segment to DST whose sequence number is
      random but 256 MiB to 1 GiB ahead of that, so past any window:
      KIND "rst" (a RST), "data" (100 bytes, ACK set) or "both" (the
      RST, then the data). Prints the numbers used.
  hostile.py flood N DST:DPORT NET
      N spoofed "handshakes": a SYN, then the ACK that would complete it
      (sequence number right after the SYN's, a random ACK number), from
      addresses NET.100 + i % 150 and ports 20000 + i, to DST:DPORT.
  hostile.py send SRC:SPORT DST:DPORT FLAGS [SEQ [ACK]]
      One segment, FLAGS of "SAFRP".
"""
import random
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
SOL_PACKET, PACKET_QDISC_BYPASS = 263, 20  # linux/socket.h, if_packet.h


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def endpoint(s):
    a, p = s.rsplit(":", 1)
    return a, int(p)


def segment(src, sport, dst, dport, flags, seq, ack, payload=b""):
    bits = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}
    fl = sum(bits[c] for c in flags)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, 5 << 4, fl, 29200, 0, 0) + payload
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(src),
                         socket.inet_aton(dst), 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp),
                     random.randrange(65536), 0, 64, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


def raw_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def send(pkt, dst):
    raw_socket().sendto(pkt, (dst, 0))


def send_link(iface, mac, pkt):
    """pkt out of iface to mac, past iface's qdisc: a crafted segment
    never waits (or is dropped) behind a shaped download's queue."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_IP))
    s.setsockopt(SOL_PACKET, PACKET_QDISC_BYPASS, 1)
    s.sendto(pkt, (iface, ETH_P_IP, 0, 0, mac))


def sniff_ack(iface, src, sport, dst, dport, timeout=20):
    """The ACK number, port and sender's MAC of a segment dst:dport ->
    src:sport (any port if dport is 0) seen on iface."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_IP))
    s.bind((iface, ETH_P_IP))
    s.settimeout(1)
    want = (socket.inet_aton(dst), socket.inet_aton(src))
    end = time.time() + timeout
    while time.time() < end:
        try:
            p, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        if len(p) < 40 or p[9] != 6 or (p[12:16], p[16:20]) != want:
            continue
        off = (p[0] & 15) * 4
        psrc, pdst, _, ack = struct.unpack("!HHII", p[off:off + 12])
        if pdst == sport and dport in (psrc, 0) and p[off + 13] & 16:
            return ack, psrc, addr[4]
    sys.exit("no segment %s:%d -> %s:%d seen on %s" %
             (dst, dport, src, sport, iface))


def main():
    cmd = sys.argv[1]
    if cmd == "inject":
        kind, iface = sys.argv[2], sys.argv[3]
        (src, sport), (dst, dport) = endpoint(sys.argv[4]), endpoint(sys.argv[5])
        expected, dport, mac = sniff_ack(iface, src, sport, dst, dport)
        seq = expected + random.randrange(1 << 28, 1 << 30)
        if kind in ("rst", "both"):
            send_link(iface, mac, segment(src, sport, dst, dport, "R", seq, 0))
        if kind in ("data", "both"):
            send_link(iface, mac, segment(src, sport, dst, dport, "PA", seq,
                                          random.randrange(1 << 32), b"x" * 100))
        print("port %d: expected seq %u, sent %s with seq %u" %
              (dport, expected, kind, seq & 0xFFFFFFFF))
    elif cmd == "flood":
        n = int(sys.argv[2])
        dst, dport = endpoint(sys.argv[3])
        net = sys.argv[4]
        s = raw_socket()
        for i in range(n):
            src = "%s.%d" % (net, 100 + i % 150)
            sport = 20000 + i
            isn = random.randrange(1 << 32)
            s.sendto(segment(src, sport, dst, dport, "S", isn, 0), (dst, 0))
            s.sendto(segment(src, sport, dst, dport, "A", isn + 1,
                             random.randrange(1 << 32)), (dst, 0))
        print("sent %d spoofed handshakes" % n)
    elif cmd == "send":
        (src, sport), (dst, dport) = endpoint(sys.argv[2]), endpoint(sys.argv[3])
        seq = int(sys.argv[5]) if len(sys.argv) > 5 else random.randrange(1 << 32)
        ack = int(sys.argv[6]) if len(sys.argv) > 6 else 0
        send(segment(src, sport, dst, dport, sys.argv[4], seq, ack), dst)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
