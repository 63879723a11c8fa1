#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
"""Races and bounds of the clickup genl family (issue 10), on raw sockets.

1. An NE dump that spans several messages while NEs are created and
   deleted between its parts must carry NLM_F_DUMP_INTR (as nf_tables
   dumps do), so readers know to retry.
2. A DAG dump of an atom larger than a default dump skb (16 arguments of
   255 bytes) must work from a fresh socket, whose first dump part the
   kernel sizes before any recvmsg() told it the reader's buffer size.
3. Formatted extack texts belong to their request: 6 processes in 6
   netns fail deletes of NEs named after themselves, all at once; every
   reply must name the caller's own NE (a shared text buffer leaked other
   tenants' names, or changed under netlink_ack()).
4. max_nes bounds the NEs of a netns, with a message.
Runs as root in its own netns (unshare); clickupctl builds the DAGs.
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLM_F_DUMP_INTR = 16
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
# uapi/linux/clickup.h
CMD_NE_DEL, CMD_NE_GET, CMD_DAG_GET = 4, 5, 6
A_NE_NAME = 2

REPO = os.environ.get('CLICKUP_REPO',
                      os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CTL = os.path.join(REPO, 'ctl', 'clickupctl')
failed = False


def result(ok, what):
    global failed
    print(('ok - ' if ok else 'not ok - ') + what, flush=True)
    failed |= not ok


def attr(t, data):
    n = 4 + len(data)
    return struct.pack('HH', n, t) + data + b'\0' * ((4 - n % 4) % 4)


def attrs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        n, t = struct.unpack_from('HH', buf, off)
        if n < 4:
            break
        out[t & 0x3fff] = buf[off + 4:off + n]
        off += (n + 3) & ~3
    return out


def request(sk, family, cmd, flags, payload=b'', seq=1):
    msg = struct.pack('BBH', cmd, 1, 0) + payload
    sk.send(struct.pack('IHHII', 16 + len(msg), family,
                        NLM_F_REQUEST | flags, seq, 0) + msg)


def messages(sk, bufsize=1 << 16):
    """Yields (type, flags, payload) until DONE or an error."""
    while True:
        data = sk.recv(bufsize)
        off = 0
        while off + 16 <= len(data):
            n, typ, flags, _, _ = struct.unpack_from('IHHII', data, off)
            payload = data[off + 16:off + n]
            if typ == NLMSG_ERROR:
                err = -struct.unpack_from('i', payload)[0]
                if err:
                    raise OSError(err, os.strerror(err))
                return
            if typ == NLMSG_DONE:	# carries the dump's errno
                err = -struct.unpack_from('i', payload)[0] if payload else 0
                if err > 0:
                    raise OSError(err, os.strerror(err))
                return
            yield typ, flags, payload
            off += (n + 3) & ~3


def family_id():
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC) as sk:
        request(sk, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK,
                attr(CTRL_ATTR_FAMILY_NAME, b'clickup\0'))
        for _, _, p in messages(sk):
            return struct.unpack('H', attrs(p[4:])[CTRL_ATTR_FAMILY_ID][:2])[0]
    raise SystemExit('no clickup family')


def set_max_nes(n):
    try:
        with open('/sys/module/clickup/parameters/max_nes', 'w') as p:
            p.write(str(n))
    except FileNotFoundError:	# a clickup.ko without the bound
        pass


def ctl(*args):
    r = subprocess.run([CTL, *args], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit('clickupctl %s: %s' % (' '.join(args), r.stderr))


def main():
    fam = family_id()
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, 'h.click'), 'w') as f:
        f.write('FromHook(ipv4, forward) -> Accept;\n')

    # 1. 150 NEs, read in parts of ~4 KiB while others come and go. The
    # kernel fills the next part as recv() returns one, so the churn
    # after the first recv() lands before the third part.
    set_max_nes(200)
    with open(os.path.join(tmp, 'batch'), 'w') as b:
        for i in range(150):
            b.write('create ne%03d-%s %s\n' % (i, 'x' * 20, f.name))
    ctl('batch', b.name)
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    request(sk, fam, CMD_NE_GET, NLM_F_DUMP)
    seen, intr, churned = 0, False, False
    for _, flags, _ in messages(sk, 4096):
        seen += 1
        intr |= bool(flags & NLM_F_DUMP_INTR)
        if not churned:	# between the first part and the next
            ctl('create', 'churn', f.name)
            ctl('delete', 'ne000-' + 'x' * 20)
            churned = True
    sk.close()
    result(seen >= 140, 'NE dump read (%d messages)' % seen)
    result(intr, 'NE dump raced by create/delete carries NLM_F_DUMP_INTR')

    # A quiet dump is not flagged.
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    request(sk, fam, CMD_NE_GET, NLM_F_DUMP)
    flags = [fl for _, fl, _ in messages(sk)]
    sk.close()
    result(len(flags) == 150 and not any(fl & NLM_F_DUMP_INTR for fl in flags),
           'a quiet NE dump: 150 NEs, not flagged')

    # 2. One atom of ~5 KiB: 16 classifier patterns of 254 bytes.
    pat = ' '.join(['0/00'] * 51)[:254].rstrip()
    with open(os.path.join(tmp, 'big.click'), 'w') as g:
        # c first: the dump's first part is sized before any recv().
        g.write('c :: Classifier(%s);\nFromHook(ipv4, forward) -> c;\n'
                % ', '.join([pat] * 16))
        for p in range(16):
            g.write('c[%d] -> Discard;\n' % p)
    ctl('create', 'big', g.name)
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    request(sk, fam, CMD_DAG_GET, NLM_F_DUMP, attr(A_NE_NAME, b'big\0'))
    try:
        sizes = [len(p) for _, _, p in messages(sk)]
        result(len(sizes) == 18 and sizes[0] > 4096,
               'DAG dump of a %d-byte atom from a fresh socket (%d atoms)'
               % (max(sizes, default=0), len(sizes)))
    except OSError as e:
        result(False, 'DAG dump of a big atom from a fresh socket: %s' % e)
    sk.close()

    # 4. max_nes: 151 NEs exist here now (150 - 1 + churn + big).
    set_max_nes(151)
    r = subprocess.run([CTL, 'create', 'one-too-many', f.name],
                       capture_output=True, text=True)
    set_max_nes(64)
    result(r.returncode != 0 and 'No space left on device: this netns has 151 '
           'network elements, the most allowed (clickup max_nes)' in r.stderr,
           'max_nes refuses the next NE: %s' % r.stderr.strip())

    # 3. Extack texts under concurrency, one netns per process.
    procs = [subprocess.Popen(['unshare', '-n', sys.executable, '-S',
                               os.path.abspath(__file__), 'extack', str(i)],
                              stdout=subprocess.PIPE, text=True)
             for i in range(6)]
    for i, pr in enumerate(procs):
        out = pr.communicate()[0].strip()
        result(pr.returncode == 0, 'extack worker %d: %s' % (i, out))
    return 1 if failed else 0


def extack_worker(me, count=1500):
    """Deletes of NE 'tenant<me>-<n>' (none exist): each reply's text must
    name exactly that NE."""
    NLMSGERR_ATTR_MSG = 1
    fam = family_id()
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sk.setsockopt(270, 11, 1)	# SOL_NETLINK, NETLINK_EXT_ACK
    sk.setsockopt(270, 10, 1)	# NETLINK_CAP_ACK: no echo of the request
    bad = 0
    for n in range(count):
        name = ('tenant%d-%d' % (me, n)).encode()
        request(sk, fam, CMD_NE_DEL, NLM_F_ACK,
                attr(A_NE_NAME, name + b'\0'), seq=n + 1)
        data = sk.recv(65536)
        n_len, typ, flags = struct.unpack_from('IHH', data)
        err = -struct.unpack_from('i', data, 16)[0]
        # NLMSG_ERROR: error, the request's header, then TLVs.
        tlv = attrs(data[16 + 4 + 16:n_len])
        msg = tlv.get(NLMSGERR_ATTR_MSG, b'').rstrip(b'\0').decode()
        if typ != NLMSG_ERROR or msg != "no network element '%s'" % name.decode():
            bad += 1
            if bad <= 3:
                print('reply %d: errno %d %r' % (n, err, msg))
    print('%d requests, %d foreign or missing texts' % (count, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'extack':
        sys.exit(extack_worker(int(sys.argv[2])))
    if os.environ.get('NL_DUMP_INNER') != '1':
        # A netns of our own, so NE names and counts are ours alone.
        os.environ['NL_DUMP_INNER'] = '1'
        sys.exit(subprocess.call(['unshare', '-n', sys.executable, '-S',
                                  os.path.abspath(__file__)]))
    sys.exit(main())
