#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""`make demo`'s dashboard screenshot, taken in the middle of the
walkthrough's CLICK-UP upgrade (demo/walkthrough.sh, run (b) of round 1):
the host's Chromium (selftests/browser.py) opens element NE's page as
clickupd serves it, draws generation 1 and says so (--ready FILE); when
the upgrade lands (generation 2 drawn) and the next counter snapshot has
arrived, with the downloads still running, it saves the page as --out.

    dashboard_shot.py --url http://127.0.0.1:3000/ --ne fw --ready F --out PNG
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
    ap.add_argument('--ready', required=True, help='created once generation 1 is drawn')
    ap.add_argument('--out', required=True)
    ap.add_argument('--wait', type=float, default=600, help='seconds for the upgrade')
    a = ap.parse_args()
    t0 = time.time()

    def log(m):
        print(f'# dashboard shot [{time.time() - t0:5.1f} s] {m}', flush=True)

    outdir = os.path.dirname(os.path.abspath(a.out))
    b = Browser(outdir, url=page_url(f'{a.url}#/ne/{a.ne}'), log=log)
    try:
        b.wait("document.querySelector('#ne-graph svg.dag[data-generation=\"1\"]')",
               'generation 1 drawn')
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
