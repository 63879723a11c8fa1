#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The dashboard in a real browser (Debian's headless Chromium on the
host, driven over WebDriver: browser.py) against a real clickupd and the
kernel module in the VM: started by dashboard.sh, which builds the
topology, creates element fw from dts/firewall.click and starts clickupd
in the NE's namespace (where this runs). Atom names, ports and tables are
read from the element and the API, not assumed. Prints TAP lines
("ok - ..." / "not ok - ..."); exit 1 on failure.

Environment (from dashboard.sh): URL, TOKEN_FILE, CLICKUPCTL, NS_CLI,
NS_SRV, SRV_IP, BLOB_SUM, BLOB_SIZE, UP_DAG, SHOTS; CLICKUP_WEBDRIVER and
CLICKUP_BROWSER_URL (run-vm.sh).
"""
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import CONTROL, END, Browser, page_url  # noqa: E402

E = os.environ
URL = E['URL']
NE = 'fw'
failed = 0
T0 = time.time()


def log(msg):
    print(f'# [{time.time() - T0:6.1f} s] {msg}', flush=True)


def check(what, ok, detail=''):
    global failed
    if ok:
        print(f'ok - {what}', flush=True)
    else:
        failed += 1
        print(f'not ok - {what}' + (f': {detail}' if detail else ''), flush=True)
    return ok


def ctl_show():
    """The element as clickupctl sees it (None when absent)."""
    p = subprocess.run([E['CLICKUPCTL'], '-j', 'show', NE], capture_output=True, text=True)
    if p.returncode:
        return None
    d = json.loads(p.stdout)
    return d[0] if isinstance(d, list) else d


def dag_sets(ne):
    """Atom names and (src, port, dst, dst_port) edges by name."""
    names = {a['index']: a['name'] for a in ne['atoms']}
    edges = {(a['name'], e['port'], names[e['dst']], e.get('dst_port', 0))
             for a in ne['atoms'] for e in a.get('edges', [])}
    return set(names.values()), edges


def types_of(atoms):
    return {a['name']: a['type'].lower() for a in atoms}


def page_dag(b, sel='#ne-graph svg.dag'):
    nodes = b.js(f"return [...document.querySelectorAll('{sel} g.node')].map(n => n.dataset.atom)")
    edges = b.js(f"""return [...document.querySelectorAll('{sel} path.edge')].map(e =>
        [e.dataset.src, +e.dataset.port, e.dataset.dst, +e.dataset.dstPort])""")
    return nodes, {tuple(e) for e in edges}


def http(method, path, token=None, body=None, origin=None):
    """A request as another program (or page) would send it: status, body."""
    req = urllib.request.Request(URL.rstrip('/') + path, method=method,
                                 data=body.encode() if body is not None else None)
    if token:
        req.add_header('Authorization', f'Bearer {token}')
    if origin:
        req.add_header('Origin', origin)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def paste(b, text):
    """Replaces the editor's text as a paste does (one input event)."""
    b.js("""const t = document.getElementById('dag-text');
        t.focus(); t.select();
        document.execCommand('insertText', false, arguments[0]);""", text)


def atom_counter(b, atom, field='packets'):
    v = b.js("""const r = document.querySelector(
        `#atom-table tr[data-atom="${arguments[0]}"] td[data-counter=${arguments[1]}]`);
        return r ? r.dataset.value : null""", atom, field)
    return int(v) if v is not None else -1


def node_packets(b, atom):
    v = b.js("""const n = document.querySelector(
        `#ne-graph g.node[data-atom="${arguments[0]}"] [data-role=stats]`);
        return n ? n.dataset.packets : null""", atom)
    return int(v) if v is not None else -1


def main():
    token = open(E['TOKEN_FILE']).read().strip()
    shots = E['SHOTS']
    b = Browser(shots, url=page_url(f'{URL}#/ne/{NE}'), log=log)
    try:
        run(b, token)
    finally:
        try:
            log(f'layouts (atoms, ms): {b.js("return JSON.stringify(window.clickupLayouts)")}')
        except Exception:
            pass
        for m in b.console():
            log(f'console: {m}')
        b.close()
    log(f'done in {time.time() - T0:.0f} s')
    return 1 if failed else 0


def run(b, token):
    log('step 1')
    # 1. The graph drawn is the element's DAG: every atom, every edge, the
    #    numbered output ports of the atom with the most.
    b.wait("document.body.dataset.ready === '1'", 'page start')
    b.wait("document.querySelector('#ne-graph svg.dag[data-generation=\"1\"]')", 'graph of generation 1')
    log('graph drawn')
    ne = ctl_show()
    want_atoms, want_edges = dag_sets(ne)
    nodes, edges = page_dag(b)
    check(f'graph has the {len(want_atoms)} atoms of fw', set(nodes) == want_atoms and
          len(nodes) == len(want_atoms), f'page {sorted(nodes)} vs {sorted(want_atoms)}')
    check(f'graph has the {len(want_edges)} edges of fw (ports included)', edges == want_edges,
          f'missing {want_edges - edges}, extra {edges - want_edges}')
    fan, top = max(((a['name'], max((e['port'] for e in a.get('edges', [])), default=0))
                    for a in ne['atoms']), key=lambda x: x[1])
    ports = b.js("""return [...document.querySelectorAll(
        `#ne-graph g.node[data-atom="${arguments[0]}"] g.port.out`)].map(p => +p.textContent)""", fan)
    check(f'numbered output ports drawn ({fan}: 0..{top} at least)',
          top >= 1 and ports == list(range(len(ports))) and len(ports) > top, str(ports))

    log('step 2')
    # 2. Counters rise under traffic, live (event stream; no reload): the
    #    atom reading the client's side (p1).
    entry = next(a['name'] for a in ne['atoms']
                 if a['type'].lower() == 'fromdevice' and a.get('args') == ['p1'])
    p0, s0 = atom_counter(b, entry), node_packets(b, entry)
    n = 30
    subprocess.run(['ip', 'netns', 'exec', E['NS_CLI'], 'ping', '-q', '-c', str(n), '-i', '0.05',
                    '-W', '2', E['SRV_IP']], capture_output=True)
    try:
        b.wait(f"""+(document.querySelector('#atom-table tr[data-atom="{entry}"] td[data-counter=packets]')
            ?.dataset.value) >= {p0 + n}""", f'{entry}.packets >= {p0 + n}')
        ok = True
    except TimeoutError:
        ok = False
    check(f'counter of atom {entry} rose by >= {n} packets under traffic (table)', ok,
          f'{p0} -> {atom_counter(b, entry)}')
    s1 = node_packets(b, entry)
    check('graph node counters follow', s0 >= 0 and s1 >= s0 + n, f'{s0} -> {s1}')
    b.shot('dashboard-element')

    log('step 3')
    # 3. A request without the token (or with a wrong one, or from another
    #    origin) is refused, and changes nothing.
    st, _ = http('DELETE', f'/api/v1/elements/{NE}')
    check('DELETE without the token is refused (401)', st == 401, f'status {st}')
    st, _ = http('PUT', f'/api/v1/elements/{NE}', token='x' * len(token), body='a :: Discard;')
    check('PUT with a wrong token is refused', st in (401, 403), f'status {st}')
    st, _ = http('DELETE', f'/api/v1/elements/{NE}', token=token, origin='http://evil.example')
    check('DELETE from another origin is refused, token or not', st == 403, f'status {st}')
    check('... and the element is untouched', (ctl_show() or {}).get('generation') == 1)

    log('step 4')
    # 4. An invalid DAG shows its error at its line, as it is typed.
    b.js("location.hash = '#/ne/fw/edit'")
    b.wait("document.getElementById('dag-text')", 'editor')
    paste(b, 'in  :: FromDevice(p1);\nout :: ToDevice(p2);\n')
    b.wait("document.querySelector('#check-status.ok')", 'a valid start checks ok')
    ta = b.find('#dag-text')
    ta.send_keys(CONTROL, END)
    ta.send_keys('in -> -> out;')
    b.wait("document.querySelector('#check-status.err[data-line]')", 'error status')
    line = b.js("return document.getElementById('check-status').dataset.line")
    msg = b.js("return document.getElementById('check-status').textContent")
    gut = b.js("return [...document.querySelectorAll('.gutter div.err')].map(d => d.dataset.line)")
    check('invalid DAG: error at line 3 while typing', line == '3', f'line {line}: {msg}')
    check('... the gutter marks line 3', gut == ['3'], str(gut))
    check('... the submit button is disabled',
          b.js("return document.getElementById('submit-btn').disabled") is True)
    b.shot('dashboard-error')

    log('step 5')
    # 5. The upgrade text: the diff says what is new, removed, migrated
    #    (the kernel's rule: same name and type migrates).
    up = open(E['UP_DAG']).read()
    chk = subprocess.run([E['CLICKUPCTL'], '-j', 'check', E['UP_DAG']], capture_output=True,
                         text=True, check=True)
    cur, new = types_of(ne['atoms']), types_of(json.loads(chk.stdout)['atoms'])
    want = {'added': sorted(a for a in new if cur.get(a) != new[a]),
            'removed': sorted(a for a in cur if new.get(a) != cur[a]),
            'migrated': sorted(a for a in new if cur.get(a) == new[a])}
    paste(b, up)
    b.wait("document.querySelector('#check-status.ok') && document.querySelector('#diff')", 'diff')
    b.wait("document.querySelector('#preview svg.dag')", 'preview')
    got = b.js("""const r = {};
        for (const k of ['added', 'removed', 'migrated'])
            r[k] = [...document.querySelectorAll(`#diff [data-diff=${k}] li`)]
                .map(l => l.dataset.atom).sort();
        return r;""")
    check(f'diff before the upgrade: new {want["added"]}, removed {want["removed"]}, '
          f'{len(want["migrated"])} migrated', got == want and want['added'], f'page {got}')
    b.shot('dashboard-diff')

    log('step 6')
    # 6. Submitted from the page while a download runs: the download is
    #    intact. The server's egress is slowed (tbf) so that it is still
    #    running when the swap is done; then it is let go.
    subprocess.run(['ip', 'netns', 'exec', E['NS_SRV'], 'tc', 'qdisc', 'replace', 'dev', 's0',
                    'root', 'tbf', 'rate', '512kbit', 'burst', '16kb', 'latency', '1s'], check=True)
    dst = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'download')
    curl = subprocess.Popen(['ip', 'netns', 'exec', E['NS_CLI'], 'curl', '-s', '-o', dst,
                             f'http://{E["SRV_IP"]}:8080/blob'])
    b.wait_py(lambda: os.path.exists(dst) and os.path.getsize(dst) > 64 * 1024, 'download started')
    size = int(E['BLOB_SIZE'])
    b.find('#submit-btn').click()
    # the page has no token yet: the daemon's 401 opens the token dialog
    b.wait("document.getElementById('token-dialog').open", 'token dialog')
    check('the page asks for the token: the tokenless PUT was refused',
          (ctl_show() or {}).get('generation') == 1)
    b.find('#token-input').send_keys(token)
    b.find('#token-ok').click()
    b.wait("location.hash === '#/ne/fw' && document.querySelector('#ne-graph svg.dag[data-generation=\"2\"]')",
           'the upgraded graph')
    in_flight = curl.poll() is None and os.path.getsize(dst) < size
    ne = ctl_show()
    check(f'upgrade from the page: generation 2 with {want["added"]}',
          ne and ne['generation'] == 2 and set(want['added']) <= {a['name'] for a in ne['atoms']})
    check('... while the download was in flight', in_flight,
          f'curl rc {curl.poll()}, {os.path.getsize(dst)} of {size} bytes')
    nodes, edges = page_dag(b)
    want_atoms, want_edges = dag_sets(ne)
    check('... and the graph redrawn with the new DAG', set(nodes) == want_atoms and edges == want_edges)
    b.wait("document.querySelector('#ne-swaps li.swap[data-generation=\"2\"] .bar .seg')", 'swap entry')
    phases = b.js("return [...document.querySelectorAll('#ne-swaps li.swap[data-generation=\"2\"] .ph')]"
                  ".map(p => p.textContent)")
    check('the element\'s swaps show the upgrade with its phase times', len(phases) == 4, str(phases))
    b.shot('dashboard-upgrade')
    subprocess.run(['ip', 'netns', 'exec', E['NS_SRV'], 'tc', 'qdisc', 'del', 'dev', 's0', 'root'])
    try:
        rc = curl.wait(timeout=180)
    except subprocess.TimeoutExpired:
        curl.kill()
        rc = 'timeout'
    got = hashlib.sha256(open(dst, 'rb').read()).hexdigest() if os.path.exists(dst) else ''
    check('the download crossing the upgrade is complete and intact', rc == 0 and got == E['BLOB_SUM'],
          f'curl rc {rc}, sha256 {got[:12]} vs {E["BLOB_SUM"][:12]}')

    log('step 7')
    # 7. The timeline: the create and the upgrade, with the upgrade's phases.
    b.js("location.hash = '#/timeline'")
    try:
        n = b.wait("""document.querySelector('main li.swap[data-generation="2"] .bar .seg') &&
            document.querySelectorAll('main li.swap .ph').length""", 'timeline')
    except TimeoutError:
        n = 0
    check('timeline lists the upgrade with its phases', n >= 4, f'{n} phase labels')
    b.shot('dashboard-timeline')

    log('step 8')
    # 8. State tables: the fullest (the firewall's whitelist) with its
    #    flows; filter, delete one.
    st, body = http('GET', '/api/v1/tables')
    tables = json.loads(body) if st == 200 else []
    table = max(tables, key=lambda t: t['entries'])['name'] if tables else None
    check('the API lists a state table with flows', table and
          max(t['entries'] for t in tables) > 0, body[:200])
    b.js(f"location.hash = '#/tables/{table}'")
    b.wait("document.querySelectorAll('#flows tbody tr').length > 0", f'flows of table {table}')
    nflows = b.js("return document.querySelectorAll('#flows tbody tr').length")
    b.find('#flow-filter').send_keys('no-such-flow')
    shown = b.wait("document.querySelectorAll('#flows tbody tr').length === 0", 'filter hides all')
    check(f'state table {table} listed with {nflows} flow(s); the filter narrows them', shown)
    b.find('#flow-filter').clear()
    b.find('#flow-filter').send_keys(E['SRV_IP'])
    b.wait("document.querySelectorAll('#flows tbody tr').length > 0", 'filter by address')
    b.shot('dashboard-state')
    # (the dialog-free delete: the token is in sessionStorage now)
    b.find('#flows tbody tr button.danger').click()
    try:
        b.wait(f"document.querySelector('#flows').dataset.count < {nflows}", 'one flow fewer')
        ok = True
    except TimeoutError:
        ok = False
    check('a flow deleted from the page', ok)

    log('step 9')
    # 9. Delete the element from the page.
    b.js("location.hash = '#/ne/fw'")
    b.wait("document.getElementById('delete-btn')", 'element page')
    b.js("window.confirm = () => true")	# the confirm() dialog, answered
    b.find('#delete-btn').click()
    b.wait_py(lambda: ctl_show() is None, 'element gone')
    b.wait("!document.querySelector('#ne-list a[data-ne=\"fw\"]')", 'gone from the list')
    check('element deleted from the page', True)


if __name__ == '__main__':
    sys.exit(main())
