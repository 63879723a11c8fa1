#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""`make demo`'s dashboard screenshot, taken in the middle of the
walkthrough's CLICK-UP upgrade (demo/walkthrough.sh, run (b) of round 1):
the host's Chromium (selftests/browser.py) opens element NE's page as
clickupd serves it, previews the upgrade's DAG (--up) in the editor, so
that its layout is cached and the upgraded graph appears at once (a
fresh layout took 8-15 s on the loaded host, longer than the downloads
ran on), draws generation 1 again and says so (--ready FILE); when the
upgrade lands (generation 2 drawn) and the next counter snapshot has
arrived, with the downloads still running, it saves the page as --out.

    dashboard_shot.py --url http://127.0.0.1:3000/ --ne fw --up DAG --ready F --out PNG
"""
import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'selftests'))
from browser import Browser, page_url  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--url', required=True, help="clickupd's address here")
    ap.add_argument('--ne', default='fw')
    ap.add_argument('--up', help="the upgrade's DAG file (its layout is made in advance)")
    ap.add_argument('--ready', required=True, help='created once generation 1 is drawn')
    ap.add_argument('--out', required=True)
    ap.add_argument('--wait', type=float, default=600, help='seconds for the upgrade')
    a = ap.parse_args()
    t0 = time.time()

    def log(m):
        print(f'# dashboard shot [{time.time() - t0:5.1f} s] {m}', flush=True)

    outdir = os.path.dirname(os.path.abspath(a.out))
    # taller than a laptop's window: the counter table and the swaps too
    b = Browser(outdir, url=page_url(f'{a.url}#/ne/{a.ne}'), height=1150, log=log)
    try:
        gen1 = "document.querySelector('#ne-graph svg.dag[data-generation=\"1\"]')"
        b.wait(gen1, 'generation 1 drawn')
        if a.up:
            b.js(f"location.hash = '#/ne/{a.ne}/edit'")
            b.wait("document.getElementById('dag-text')", 'editor')
            # a paste: one input event
            b.js("""const t = document.getElementById('dag-text');
                t.focus(); t.select();
                document.execCommand('insertText', false, arguments[0]);""", open(a.up).read())
            b.wait("document.querySelector('#check-status.ok') && "
                   "document.querySelector('#preview svg.dag')", "the upgrade's preview")
            b.js(f"location.hash = '#/ne/{a.ne}'")
            b.wait(gen1, 'generation 1 drawn again')
        open(a.ready, 'w').close()
        log('generation 1 drawn')
        b.wait("document.querySelector('#ne-graph svg.dag[data-generation=\"2\"]')",
               'the upgrade', timeout=a.wait)
        log('upgraded')
        # one more counter snapshot, so that the rates are the new
        # generation's (the graph's stats carry data-packets)
        b.js("window.__shotMark = document.querySelector('#ne-graph [data-role=stats]')"
             "?.dataset.packets")
        try:
            b.wait("document.querySelector('#ne-graph [data-role=stats]')?.dataset.packets"
                   " !== window.__shotMark", 'a counter snapshot', timeout=30)
        except TimeoutError as e:
            log(f'{e}; the page as it is')
        shutil.move(b.shot('dashboard-shot'), a.out)
        log(f'saved {a.out}')
    finally:
        b.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
