#!/usr/bin/env python3
"""Send one crafted IPv4/TCP segment through a raw socket.

usage: tcp_segment.py SRC DST SPORT DPORT FLAGS
FLAGS is a string of S, A, F, R, P (e.g. "A" for a bare ACK).
"""
import socket
import struct
import sys

from hostile import csum  # the one Internet checksum of selftests/pkt


def main():
    src, dst, sport, dport, flags = sys.argv[1:6]
    bits = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}
    fl = sum(bits[c] for c in flags)
    tcp = struct.pack("!HHIIBBHHH", int(sport), int(dport), 12345, 67890,
                      5 << 4, fl, 65535, 0, 0)
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(src),
                         socket.inet_aton(dst), 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    s.sendto(tcp, (dst, 0))


if __name__ == "__main__":
    main()
