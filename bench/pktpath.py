#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of the packet-path part (bench/pkt.sh):

  pktpath.py frame SMAC DMAC SRC SPORT DST DPORT
      a 64-byte TCP segment (ACK|PSH, 10 bytes of payload, IP id 0xbeef
      so that the sink on s0 knows it) as hex, for bench/xdpinject
  pktpath.py serve ADDR PORT
      accept TCP connections and hold each until its peer closes
  pktpath.py hold SRC SPORT DST DPORT SMAC DMAC
      open one connection from SRC:SPORT (its handshake goes through the
      element, which makes the flow established), print "ready" and the
      frame of that flow (as `frame`), hold it until stdin closes
"""
import socket
import struct
import sys
import threading

SINK_ID = 0xBEEF


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(smac, dmac, src, sport, dst, dport):
    mac = lambda m: bytes(int(x, 16) for x in m.split(":"))
    payload = b"clickup-b\n"
    saddr, daddr = socket.inet_aton(src), socket.inet_aton(dst)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 1000, 1000, 5 << 4, 0x18, 65535, 0, 0) + payload
    pseudo = saddr + daddr + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), SINK_ID, 0x4000, 64, 6, 0, saddr, daddr)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    f = mac(dmac) + mac(smac) + b"\x08\x00" + ip + tcp
    assert len(f) == 64, len(f)
    return f.hex()


def serve(addr, port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(64)
    print("ready", flush=True)

    def drain(c):
        while c.recv(4096):
            pass
        c.close()
    while True:
        c, _ = ls.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()


def hold(src, sport, dst, dport, smac, dmac):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    s.settimeout(10)
    s.connect((dst, dport))
    s.sendall(b"x")		# the handshake's last ACK, then data: established
    print("ready", frame(smac, dmac, src, sport, dst, dport), flush=True)
    sys.stdin.read()
    s.close()


def main(a):
    if a[0] == "frame":
        print(frame(a[1], a[2], a[3], int(a[4]), a[5], int(a[6])))
    elif a[0] == "serve":
        serve(a[1], int(a[2]))
    elif a[0] == "hold":
        hold(a[1], int(a[2]), a[3], int(a[4]), a[5], a[6])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
