#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""nftables' counterpart of `clickupctl batch -` for bench/bench.py: one
long-lived process holding one libnftables context, one command per
stdin line, exactly one reply line per command on stdout:

    load PATH    Nftables.cmd_from_file(PATH) (what `nft -f PATH` does)
    flush        flush ruleset

Reply: "ok", or "error TEXT" (TEXT: libnftables' message on one line).
bench.py times the write of the command and the read of the reply, as it
does for clickupctl, so both sides pay the same pipe round trip and the
same wake-up of a second process.
"""
import sys

from nftables import Nftables


def main():
    n = Nftables()
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        verb, _, arg = line.rstrip("\n").partition(" ")
        if verb == "load" and arg:
            rc, _, err = n.cmd_from_file(arg)
        elif verb == "flush" and not arg:
            rc, _, err = n.cmd("flush ruleset")
        else:
            rc, err = 1, "unknown command: " + line.strip()
        sys.stdout.write("ok\n" if rc == 0 else "error %s\n" % (" ".join(err.split()) or rc))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
