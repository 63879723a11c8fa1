# SPDX-License-Identifier: GPL-2.0
"""A headless Chromium on the host, driven from the test VM, for the
dashboard's browser tests (dashboard.py) and `make demo`'s screenshot.

run-vm.sh with VM_BROWSER=1 (selftests/vm/host-browser.sh) runs Debian's
chromedriver on the host and gives the guest CLICKUP_WEBDRIVER, where the
guest reaches it, and CLICKUP_BROWSER_URL, the host's end of a port
forwarded to the guest's port 3000 (clickupd). The browser thus runs
where a user's runs, at host speed: in the emulated guest Chromium took
about a minute to start and ELK's layout 400-900 s (docs/testing.md).

The client here speaks the W3C WebDriver protocol (JSON over HTTP) with
the standard library: importing selenium took 10-26 s in the loaded
guest, this takes under 4. Nothing downloads a browser.
"""
import base64
import json
import os
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

WEBDRIVER = os.environ.get('CLICKUP_WEBDRIVER')
# Every wait of a test (seconds): generous, the guest side may be slow.
WAIT = float(os.environ.get('BROWSER_WAIT', '180'))

FLAGS = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--no-first-run', '--no-default-browser-check', '--disable-extensions',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--mute-audio', '--password-store=basic', '--hide-scrollbars',
]

# W3C key codes (send_keys)
CONTROL = '\ue009'
END = '\ue010'
ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

# Polls expr (a JS expression) in the page every 250 ms and answers when
# it is truthy: one WebDriver round trip per wait, not one per poll.
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


class WebDriverError(RuntimeError):
    def __init__(self, error, message):
        super().__init__(f'{error}: {message}')
        self.error = error


def available():
    """None if a host browser is there, else why not."""
    if WEBDRIVER:
        return None
    return os.environ.get('CLICKUP_BROWSER_SKIP',
                          'no browser on the host: run in the VM with VM_BROWSER=1 (make check does)')


def page_url(local):
    """The URL the host's browser opens for a page the guest serves at
    local (port 3000 of the guest's forwarding namespace)."""
    u = urlsplit(local)
    base = os.environ['CLICKUP_BROWSER_URL'].rstrip('/')
    return base + (u.path or '/') + (f'?{u.query}' if u.query else '') + \
        (f'#{u.fragment}' if u.fragment else '')


class Element:
    def __init__(self, b, eid):
        self.b, self.eid = b, eid

    def _call(self, method, what, body=None):
        return self.b._session(method, f'/element/{self.eid}/{what}', body)

    def click(self):
        self._call('POST', 'click', {})

    def clear(self):
        self._call('POST', 'clear', {})

    def send_keys(self, *keys):
        self._call('POST', 'value', {'text': ''.join(keys)})


class Browser:
    def __init__(self, outdir, url='about:blank', width=1366, height=768, log=print):
        """Opens a session of the host's Chromium on url (page_url())."""
        if not WEBDRIVER:
            raise RuntimeError(available())
        self.outdir = outdir
        self.log = log
        self.t0 = time.time()
        self.sid = None
        os.makedirs(outdir, exist_ok=True)
        caps = {'browserName': 'chrome',
                'goog:chromeOptions': {'args': FLAGS + [f'--window-size={width},{height}']},
                'goog:loggingPrefs': {'browser': 'ALL'}}
        v = self._call('POST', '/session', {'capabilities': {'alwaysMatch': caps}}, WAIT)
        self.sid = v['sessionId']
        self.log(f'host chromium {v["capabilities"].get("browserVersion")} up in '
                 f'{time.time() - self.t0:.1f} s')
        self._session('POST', '/timeouts', {'script': int(WAIT * 1000),
                                            'pageLoad': int(WAIT * 1000)})
        self.get(url)
        self.log(f'page loaded at {time.time() - self.t0:.1f} s')

    def _call(self, method, path, body=None, timeout=60):
        # chromedriver answers only requests whose Host is localhost (its
        # DNS-rebinding check); the guest reaches it at another address.
        req = urllib.request.Request(WEBDRIVER.rstrip('/') + path, method=method,
                                     headers={'Host': 'localhost',
                                              'Content-Type': 'application/json'},
                                     data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.load(r)['value']
        except urllib.error.HTTPError as e:
            v = json.load(e).get('value', {})
            raise WebDriverError(v.get('error', str(e.code)), v.get('message', '')) from None

    def _session(self, method, path, body=None, timeout=None):
        return self._call(method, f'/session/{self.sid}{path}', body, timeout or WAIT + 60)

    def get(self, url):
        self._session('POST', '/url', {'url': url})

    def js(self, script, *args):
        """Runs script (a function body; `return` for a value)."""
        return self._session('POST', '/execute/sync', {'script': script, 'args': list(args)})

    def find(self, css):
        v = self._session('POST', '/element', {'using': 'css selector', 'value': css})
        return Element(self, v[ELEMENT])

    def wait(self, expr, what, timeout=None):
        """Waits (in the page) until the JS expression expr is truthy;
        returns its value. TimeoutError after timeout (BROWSER_WAIT) s."""
        t = timeout or WAIT
        self._session('POST', '/timeouts', {'script': int(t * 1000)})
        try:
            return self._session('POST', '/execute/async', {'script': WAIT_JS, 'args': [expr]},
                                 timeout=t + 60)
        except WebDriverError as e:
            if e.error == 'script timeout':
                raise TimeoutError(f'{what}: not within {t:.0f} s') from None
            raise

    def wait_py(self, fn, what, timeout=None, every=1.0):
        """Polls fn (Python) every `every` s until truthy."""
        t = timeout or WAIT
        end = time.time() + t
        while True:
            v = fn()
            if v:
                return v
            if time.time() > end:
                raise TimeoutError(f'{what}: not within {t:.0f} s')
            time.sleep(every)

    def shot(self, name):
        path = os.path.join(self.outdir, f'{name}.png')
        with open(path, 'wb') as f:
            f.write(base64.b64decode(self._session('GET', '/screenshot')))
        return path

    def console(self):
        try:
            return [e['message'] for e in self._session('POST', '/se/log', {'type': 'browser'})]
        except (WebDriverError, OSError):
            return []

    def close(self):
        if self.sid:
            try:
                self._session('DELETE', '', timeout=30)
            except (WebDriverError, OSError):
                pass
            self.sid = None
