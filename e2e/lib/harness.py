"""Shared by the Python e2e checks (chaos.py, load.py), the way server.sh and checks.sh serve the bash ones: a Keysmith
server on a free loopback port and a temporary database, sign-up through the real console, an admin key, keep-alive
JSON clients, and check/report. Python 3 standard library only."""

import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = "127.0.0.1"


class Checks:
    """`check(description, expected, actual)` prints ok/FAIL and counts; `report(name)` prints the totals and returns
    the exit status. `claim(description, condition, detail)` is the same for a property that is not an equality."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, description, expected, actual):
        return self.claim(description, expected == actual, f"expected {expected!r}, got {actual!r}")

    def claim(self, description, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {description}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {description}: {detail}", flush=True)
        return bool(condition)

    def report(self, name):
        print(f"{name}: {self.passed} passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 else 1


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """One keysmith binary, one database file, one port; `start()` may be called again after `kill()`/`stop()` to
    restart on the same database and port."""

    def __init__(self, extra_args=(), env=None):
        self.binary = os.environ.get("KEYSMITH_BIN", ".build/debug/keysmith")
        if not os.path.isabs(self.binary):
            self.binary = os.path.join(REPO, self.binary)
        self.work = tempfile.mkdtemp(prefix="keysmith-e2e.", dir=os.environ.get("TMPDIR", "/tmp"))
        self.db = os.path.join(self.work, "keysmith.sqlite")
        self.log_path = os.path.join(self.work, "server.log")
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, KEYSMITH_ARGON2_MEMORY_KIB="1024", KEYSMITH_ARGON2_ITERATIONS="1")
        self.env.update(env or {})
        self.process = None
        subprocess.run([self.binary, "migrate", "--db", self.db], cwd=REPO, check=True, stdout=subprocess.DEVNULL)

    def start(self, timeout=30):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--host", HOST, "--port", str(self.port), *self.extra_args],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.dump_log()
        raise RuntimeError("server did not start")

    def kill(self):
        """SIGKILL, then reap. Returns the monotonic time just before the signal."""
        moment = time.monotonic()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process = None
        return moment

    def stop(self, timeout=30):
        """SIGTERM and wait for the graceful stop; returns the exit status."""
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self.process = None
        return status

    def dump_log(self, lines=40):
        try:
            with open(self.log_path, errors="replace") as f:
                tail = f.readlines()[-lines:]
            print("--- server log (tail) ---\n" + "".join(tail) + "---", file=sys.stderr)
        except OSError:
            pass

    def cleanup(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        subprocess.run(["rm", "-rf", self.work])


META_CSRF = re.compile(r'name="csrf-token" content="([^"]*)"')


class Browser:
    """A cookie-keeping urllib opener for the console's forms and the session-authenticated API (follows redirects)."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def get_json(self, path):
        return json.loads(self.get(path))

    def csrf(self, path):
        match = META_CSRF.search(self.get(path))
        if not match:
            raise RuntimeError(f"no csrf-token on {path}")
        return match.group(1)

    def post_form(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return response.read().decode()

    def api(self, method, path, body):
        """A management API call with the session cookie and its X-CSRF-Token."""
        token = self.csrf("/keys")
        request = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode(), method=method,
            headers={"Content-Type": "application/json", "X-CSRF-Token": token})
        with self.opener.open(request, timeout=30) as response:
            return json.loads(response.read())


def sign_up(base, email, password):
    """Signs up in the console; returns the signed-in Browser."""
    browser = Browser(base)
    token = browser.csrf("/signup")
    browser.post_form("/signup", {"csrf_token": token, "email": email, "password": password})
    browser.csrf("/keys")  # signed in: the console page carries the session's token
    return browser


def default_project(browser):
    """The Default project of the signed-up user's personal workspace."""
    return browser.get_json("/api/v1/projects")["data"][0]["id"]


def admin_key(browser, name="e2e bot", permissions=("keys:read", "keys:write", "audit:read")):
    """Creates an admin key with the signed-in session; returns its token."""
    return browser.api("POST", "/api/v1/admin-keys", {"name": name, "permissions": list(permissions)})["token"]


class Unknown(Exception):
    """The request may or may not have reached the server (sent, then the connection broke)."""


class Refused(Exception):
    """The connection was refused: the request certainly did not reach a server."""


class Client:
    """One keep-alive connection. `call` returns (status, parsed JSON or text, response); raises Refused or
    Unknown."""

    def __init__(self, port, headers=None, source=None, timeout=20):
        self.port = port
        self.headers = dict(headers or {})
        self.source = source
        self.timeout = timeout
        self.connection = None

    def reset(self):
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def _connect(self):
        source = (self.source, 0) if self.source else None
        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout, source_address=source)
        try:
            self.connection.connect()
        except ConnectionRefusedError as error:
            self.reset()
            raise Refused(str(error)) from error
        except OSError as error:
            self.reset()
            raise Refused(str(error)) from error

    def call(self, method, path, body=None, headers=None, raw=None):
        if self.connection is None:
            self._connect()
        all_headers = dict(self.headers)
        all_headers.update(headers or {})
        payload = raw
        if body is not None:
            payload = json.dumps(body)
            all_headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, payload, all_headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.reset()
            raise Unknown(f"{type(error).__name__}: {error}") from error
        if response.getheader("Connection", "").lower() == "close":
            self.reset()
        text = data.decode(errors="replace")
        if response.getheader("Content-Type", "").startswith("application/json"):
            try:
                return response.status, json.loads(text), response
            except ValueError:
                pass
        return response.status, text, response
