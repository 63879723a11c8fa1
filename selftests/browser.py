# SPDX-License-Identifier: GPL-2.0
"""Headless Chromium from Debian (/usr/bin/chromium) driven by selenium,
for the dashboard's browser tests (dashboard.py) and `make demo`'s
screenshot.

Chromium is started here with a DevTools port and chromedriver attaches to
it (debuggerAddress): under the test VM's emulated CPU Chromium takes far
longer to start than chromedriver's fixed 60 s launch timeout allows.
Nothing is downloaded: no webdriver manager, no bundled browser.
"""
import os
import subprocess
import time
import urllib.request

CHROMIUM = os.environ.get('CHROMIUM', '/usr/lib/chromium/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
# Every wait of a test (seconds): the emulated VM on a busy host is slow.
WAIT = float(os.environ.get('BROWSER_WAIT', '180'))

FLAGS = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--no-first-run', '--no-default-browser-check', '--disable-extensions',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-default-apps', '--disable-breakpad',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    # the network service in the browser process: as a process of its own
    # it was seen to crash at start-up in the busy guest (its peers gave up
    # waiting), and the page's first requests never came back
    '--enable-features=NetworkServiceInProcess',
    '--mute-audio', '--password-store=basic', '--hide-scrollbars',
    # V8's interpreter only: under TCG, JIT-compiled code costs more to
    # translate than it saves (ELK's layout in node in the guest: 2.5-3.5x
    # faster jitless)
    '--js-flags=--jitless',
]

# Polls expr (a JS expression) in the page every 250 ms and answers when
# it is truthy: one WebDriver round trip per wait, not one per poll (each
# costs the emulated browser CPU time the page needs).
WAIT_JS = '''
const done = arguments[arguments.length - 1];
const f = new Function('return (' + arguments[0] + ');');
const tick = () => {
    let v = null;
    try { v = f(); } catch (e) { v = null; }
    if (v) done(v); else setTimeout(tick, 250);
};
tick();
'''


class Browser:
    def __init__(self, outdir, url='about:blank', width=1366, height=768, port=9229, log=print):
        """Starts Chromium on url: opening the page first, not navigating
        to it later, spares a second renderer process (one costs tens of
        seconds under emulation)."""
        self.outdir = outdir
        self.log = log
        self.t0 = time.time()
        os.makedirs(outdir, exist_ok=True)
        prof = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'chromium-{os.getpid()}')
        # no D-Bus in the VM: do not let Chromium wait for one
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS='disabled:',
                   DBUS_SYSTEM_BUS_ADDRESS='disabled:')
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f'--window-size={width},{height}',
             f'--remote-debugging-port={port}', f'--user-data-dir={prof}',
             url],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(outdir, 'chromium.log'), 'w'))
        self._until(lambda: self._devtools(port), WAIT * 2, 'Chromium DevTools port')
        self.log(f'chromium up in {time.time() - self.t0:.1f} s')
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        opts = webdriver.ChromeOptions()
        opts.add_experimental_option('debuggerAddress', f'127.0.0.1:{port}')
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.d.set_script_timeout(WAIT)
        self.d.set_page_load_timeout(WAIT)
        self.log(f'chromedriver attached at {time.time() - self.t0:.1f} s')

    def _devtools(self, port):
        if self.proc.poll() is not None:
            raise RuntimeError(f'chromium exited with {self.proc.returncode}')
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/json/version', timeout=5).read()
            return True
        except OSError:
            return False

    @staticmethod
    def _until(fn, timeout, what, every=0.3):
        end = time.time() + timeout
        while True:
            v = fn()
            if v:
                return v
            if time.time() > end:
                raise TimeoutError(f'{what}: not within {timeout:.0f} s')
            time.sleep(every)

    def get(self, url):
        self.d.get(url)

    def js(self, script, *args):
        """Runs script (a function body; `return` for a value)."""
        return self.d.execute_script(script, *args)

    def wait(self, expr, what, timeout=None):
        """Waits (in the page) until the JS expression expr is truthy;
        returns its value. TimeoutError after timeout (BROWSER_WAIT) s."""
        from selenium.common.exceptions import TimeoutException
        t = timeout or WAIT
        self.d.set_script_timeout(t)
        try:
            return self.d.execute_async_script(WAIT_JS, expr)
        except TimeoutException:
            raise TimeoutError(f'{what}: not within {t:.0f} s') from None

    def wait_py(self, fn, what, timeout=None, every=1.0):
        """Polls fn (Python) every `every` s until truthy."""
        return self._until(fn, timeout or WAIT, what, every)

    def shot(self, name):
        path = os.path.join(self.outdir, f'{name}.png')
        self.d.save_screenshot(path)
        return path

    def console(self):
        try:
            return [e['message'] for e in self.d.get_log('browser')]
        except Exception:	# not every attach mode keeps the log
            return []

    def close(self):
        try:
            self.d.quit()
        except Exception:
            pass
        self.proc.kill()
        self.proc.wait()
