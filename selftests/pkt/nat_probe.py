#!/usr/bin/env python3
"""Probes for the NAT tests (selftests/hostile_nat.sh).

usage:
  nat_probe.py echo-server ADDR PORT    UDP echo server (runs until killed)
  nat_probe.py udp-echo HOST PORT SIZE  one SIZE-byte datagram, echoed back;
                                        prints intact, corrupt or timeout
  nat_probe.py refused HOST PORT        a datagram to a closed port; prints
                                        refused (ICMP port unreachable came
                                        back to this socket) or silence
  nat_probe.py delay-server ADDR PORT   UDP server answering a datagram "N"
                                        N seconds later (runs until killed)
  nat_probe.py delayed HOST PORT SECS   asks for a reply SECS seconds late;
                                        prints replied or silence (the
                                        NAT forgot the mapping meanwhile)
  nat_probe.py spray COUNT ADDR...      COUNT UDP datagrams to random ports
                                        of each ADDR (A.B.C.D or A.B.0.0/16:
                                        random hosts in the /16)
"""
import os
import random
import socket
import sys
import threading


def echo_server(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


def delay_server(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    while True:
        data, peer = s.recvfrom(100)
        threading.Timer(float(data), s.sendto, (data, peer)).start()


def delayed(host, port, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(secs.encode(), (host, int(port)))
    s.settimeout(float(secs) + 3)
    try:
        s.recv(100)
        print("replied")
    except socket.timeout:
        print("silence")


def udp_echo(host, port, size):
    data = os.urandom(int(size))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1)
    for _ in range(5):	# the first one may wait for ARP
        s.sendto(data, (host, int(port)))
        try:
            got = s.recv(65535)
        except socket.timeout:
            continue
        print("intact" if got == data else "corrupt %d bytes" % len(got))
        return
    print("timeout")


def refused(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, int(port)))
    s.settimeout(1)
    for _ in range(5):
        try:
            s.send(b"probe")
            s.recv(100)
        except ConnectionRefusedError:
            print("refused")
            return
        except socket.timeout:
            continue
    print("silence")


def spray(count, addrs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent = 0
    for addr in addrs:
        for _ in range(int(count)):
            dst = addr
            if addr.endswith("/16"):
                a, b = addr.split(".")[:2]
                dst = "%s.%s.%d.%d" % (a, b, random.randint(0, 255),
                                       random.randint(1, 254))
            try:
                s.sendto(b"spray", (dst, random.randint(1, 65535)))
                sent += 1
            except OSError:
                pass	# an ICMP error of an earlier one, reported here
    print(sent)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "echo-server":
        echo_server(*args)
    elif cmd == "udp-echo":
        udp_echo(*args)
    elif cmd == "refused":
        refused(*args)
    elif cmd == "delay-server":
        delay_server(*args)
    elif cmd == "delayed":
        delayed(*args)
    elif cmd == "spray":
        spray(args[0], args[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
