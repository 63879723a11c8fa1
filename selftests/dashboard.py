#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The dashboard in a real browser (headless Chromium from Debian, driven
by selenium) against a real clickupd and the kernel module: started by
dashboard.sh, which builds the topology, creates element fw from
dts/firewall.click and starts clickupd in the NE's namespace (where this
runs). Prints TAP lines ("ok - ..." / "not ok - ..."); exit 1 on failure.

Environment (from dashboard.sh): URL, TOKEN_FILE, CLICKUPCTL, NS_CLI,
NS_SRV, SRV_IP, BLOB_SUM, BLOB_SIZE, UP_DAG, SHOTS.
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
from browser import Browser  # noqa: E402

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
    v = b.js(f"""const r = document.querySelector('#atom-table tr[data-atom="{atom}"]
        td[data-counter={field}]'); return r ? r.dataset.value : null""")
    return int(v) if v is not None else -1


def main():
    token = open(E['TOKEN_FILE']).read().strip()
    shots = E['SHOTS']
    b = Browser(shots, url=f'{URL}#/ne/{NE}', log=log)
    try:
        run(b, token, shots)
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


def run(b, token, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    # 1. The graph drawn is the element's DAG: every atom, every edge.
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
    ports = b.js("""return [...document.querySelectorAll('#ne-graph g.node[data-atom="sc"] g.port.out')]
        .map(p => p.textContent).join(',')""")
    check('numbered output ports drawn (sc: 0,1,2)', ports == '0,1,2', ports)

    # 2. Counters rise under traffic, live (event stream; no reload).
    p0 = atom_counter(b, 'in')
    s0 = b.js("""return document.querySelector('#ne-graph g.node[data-atom="in"] [data-role=stats]')
        .dataset.packets""")
    n = 30
    subprocess.run(['ip', 'netns', 'exec', E['NS_CLI'], 'ping', '-q', '-c', str(n), '-i', '0.05',
                    '-W', '2', E['SRV_IP']], capture_output=True)
    try:
        b.wait(f"""+(document.querySelector('#atom-table tr[data-atom="in"] td[data-counter=packets]')
            ?.dataset.value) >= {p0 + n}""", f'in.packets >= {p0 + n}')
        ok = True
    except TimeoutError:
        ok = False
    check(f'counter of atom in rose by >= {n} packets under traffic (table)', ok,
          f'{p0} -> {atom_counter(b, "in")}')
    s1 = b.js("""return document.querySelector('#ne-graph g.node[data-atom="in"] [data-role=stats]')
        .dataset.packets""")
    check('graph node counters follow', int(s1) >= int(s0) + n, f'{s0} -> {s1}')
    b.shot('dashboard-element')

    # 3. A request without the token (or with a wrong one, or from another
    #    origin) is refused, and changes nothing.
    st, _ = http('DELETE', f'/api/v1/elements/{NE}')
    check('DELETE without the token is refused (401)', st == 401, f'status {st}')
    st, _ = http('PUT', f'/api/v1/elements/{NE}', token='x' * len(token), body='a :: Discard;')
    check('PUT with a wrong token is refused', st in (401, 403), f'status {st}')
    st, _ = http('DELETE', f'/api/v1/elements/{NE}', token=token, origin='http://evil.example')
    check('DELETE from another origin is refused, token or not', st == 403, f'status {st}')
    check('... and the element is untouched', (ctl_show() or {}).get('generation') == 1)

    # 4. An invalid DAG shows its error at its line, as it is typed.
    b.js("location.hash = '#/ne/fw/edit'")
    b.wait("document.getElementById('dag-text')", 'editor')
    paste(b, 'in  :: FromDevice(p1);\nout :: ToDevice(p2);\n')
    b.wait("document.querySelector('#check-status.ok')", 'a valid start checks ok')
    ta = b.d.find_element(By.ID, 'dag-text')
    ta.send_keys(Keys.CONTROL, Keys.END)
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

    # 5. The upgrade text: the diff says what migrates.
    up = open(E['UP_DAG']).read()
    paste(b, up)
    b.wait("document.querySelector('#check-status.ok') && document.querySelector('#diff')", 'diff')
    b.wait("document.querySelector('#preview svg.dag')", 'preview')
    added = b.js("return [...document.querySelectorAll('#diff [data-diff=added] li')].map(l => l.dataset.atom)")
    removed = b.js("return document.querySelectorAll('#diff [data-diff=removed] li').length")
    migrated = b.js("return document.querySelectorAll('#diff [data-diff=migrated] li').length")
    check('diff before the upgrade: log new, nothing removed, the rest migrated',
          added == ['log'] and removed == 0 and migrated == len(want_atoms),
          f'added {added}, removed {removed}, migrated {migrated}')
    b.shot('dashboard-diff')

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
    b.d.find_element(By.ID, 'submit-btn').click()
    # the page has no token yet: the daemon's 401 opens the token dialog
    b.wait("document.getElementById('token-dialog').open", 'token dialog')
    check('the page asks for the token: the tokenless PUT was refused',
          (ctl_show() or {}).get('generation') == 1)
    b.d.find_element(By.ID, 'token-input').send_keys(token)
    b.d.find_element(By.ID, 'token-ok').click()
    b.wait("location.hash === '#/ne/fw' && document.querySelector('#ne-graph svg.dag[data-generation=\"2\"]')",
           'the upgraded graph')
    in_flight = curl.poll() is None and os.path.getsize(dst) < size
    ne = ctl_show()
    check('upgrade from the page: generation 2 with the log atom',
          ne and ne['generation'] == 2 and any(a['name'] == 'log' for a in ne['atoms']))
    check('... while the download was in flight', in_flight,
          f'curl rc {curl.poll()}, {os.path.getsize(dst)} of {size} bytes')
    nodes, edges = page_dag(b)
    want_atoms, want_edges = dag_sets(ne)
    check('... and the graph redrawn with the new DAG', set(nodes) == want_atoms and edges == want_edges)
    b.wait("document.querySelector('#ne-swaps li.swap[data-generation=\"2\"] .bar .seg')", 'timeline entry')
    phases = b.js("return [...document.querySelectorAll('#ne-swaps li.swap[data-generation=\"2\"] .ph')]"
                  ".map(p => p.textContent)")
    check('timeline shows the swap with its phase times', len(phases) == 4, str(phases))
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

    # 7. State tables: the firewall's whitelist with its flows; filter, delete one.
    b.js("location.hash = '#/tables/fw'")
    b.wait("document.querySelectorAll('#flows tbody tr').length > 0", 'flows of table fw')
    nflows = b.js("return document.querySelectorAll('#flows tbody tr').length")
    b.d.find_element(By.ID, 'flow-filter').send_keys('no-such-flow')
    shown = b.wait("document.querySelectorAll('#flows tbody tr').length === 0", 'filter hides all')
    check(f'state table fw listed with {nflows} flow(s); the filter narrows them', shown)
    b.d.find_element(By.ID, 'flow-filter').clear()
    b.d.find_element(By.ID, 'flow-filter').send_keys(E['SRV_IP'])
    b.wait("document.querySelectorAll('#flows tbody tr').length > 0", 'filter by address')
    b.shot('dashboard-state')
    # (the dialog-free delete: the token is in sessionStorage now)
    b.d.find_element(By.CSS_SELECTOR, '#flows tbody tr button.danger').click()
    try:
        b.wait(f"document.querySelector('#flows').dataset.count < {nflows}", 'one flow fewer')
        ok = True
    except TimeoutError:
        ok = False
    check('a flow deleted from the page', ok)

    # 8. Delete the element from the page.
    b.js("location.hash = '#/ne/fw'")
    b.wait("document.getElementById('delete-btn')", 'element page')
    b.js("window.confirm = () => true")	# the confirm() dialog, answered
    b.d.find_element(By.ID, 'delete-btn').click()
    b.wait_py(lambda: ctl_show() is None, 'element gone')
    b.wait("!document.querySelector('#ne-list a[data-ne=\"fw\"]')", 'gone from the list')
    check('element deleted from the page', True)


if __name__ == '__main__':
    sys.exit(main())
