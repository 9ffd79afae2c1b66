#!/usr/bin/env python3
"""The reverse-proxy recipes against real servers: the README's nginx `auth_request` and Caddy `forward_auth` blocks,
read out of README.md, and the two the console's project page shows, each run by Debian's nginx and Caddy in front of
a recording upstream, with a real Keysmith as the gate. Each must pass a valid key with its identity and headers but
without the client's credentials, answer 401 without a key or with a wrong or disabled one, 403 without the scope
or from an address the key may not use (whatever X-Forwarded-For the client sends), and 429 with Retry-After over
the rate limit — never a 500."""

import html
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import readme  # noqa: E402
from harness import HOST, Checks, Client, Server, admin_key, default_project, free_port, sign_up  # noqa: E402

checks = Checks()
CREDENTIALS = ("authorization", "x-api-key", "x-api-secret")


class Upstream:
    """The service behind the proxy: answers 200 and remembers the headers of every request it saw."""

    def __init__(self):
        self.seen = []
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append({name.lower(): value for name, value in self.headers.items()})
                body = b'{"upstream": "reached"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def wait_for_port(port, process, log, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    with open(log, errors="replace") as f:
        print(f.read()[-3000:], file=sys.stderr)
    raise RuntimeError("the proxy did not start")


class Nginx:
    """Debian's nginx in the foreground, one process, everything under a temporary prefix."""

    def __init__(self, locations, work):
        self.port = free_port()
        self.work = work
        temp = " ".join(f"{kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        config = (f"daemon off; master_process off; worker_processes 1; pid {work}/nginx.pid;\n"
                  f"error_log {work}/error.log info;\nevents {{}}\n"
                  f"http {{\n access_log off; {temp}\n server {{\n  listen {HOST}:{self.port};\n{locations}\n }}\n}}\n")
        self.config = os.path.join(work, "nginx.conf")
        with open(self.config, "w") as f:
            f.write(config)
        self.log = os.path.join(work, "error.log")

    def __enter__(self):
        result = subprocess.run(["nginx", "-t", "-e", self.log, "-p", self.work, "-c", self.config], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"nginx refuses the recipe:\n{result.stderr}")
        self.process = subprocess.Popen(["nginx", "-e", self.log, "-p", self.work, "-c", self.config],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, self.log)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


class Caddy:
    """Debian's Caddy in the foreground, with its admin endpoint and automatic HTTPS off, data in a temporary folder."""

    def __init__(self, site, work):
        self.port = free_port()
        lines = site.strip("\n").split("\n")
        lines[0] = f"http://{HOST}:{self.port} {{"
        lines.insert(1, f"    bind {HOST}")
        self.config = os.path.join(work, "Caddyfile")
        with open(self.config, "w") as f:
            f.write("{\n    admin off\n    auto_https off\n}\n\n" + "\n".join(lines) + "\n")
        self.log = os.path.join(work, "caddy.log")
        self.env = dict(os.environ, HOME=work, XDG_DATA_HOME=work, XDG_CONFIG_HOME=work)

    def __enter__(self):
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(["caddy", "run", "--config", self.config, "--adapter", "caddyfile"],
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, self.log)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


class Keys:
    """The keys one recipe is tried with, made through the management API with an admin key."""

    def __init__(self, server, admin, label):
        self.manager = Client(server.port, headers={"Authorization": f"Bearer {admin}"})

        def make(name, **fields):
            status, key, _ = self.manager.call("POST", "/api/v1/keys", {"name": f"{label}: {name}", **fields})
            assert status == 201, (status, key)
            return key

        self.good = make("orders service", scopes=["orders:read"],
                         responseHeaders=[{"name": "X-Customer-Id", "value": "${key.name}"}])
        self.unscoped = make("no scope")
        self.limited = make("limited", scopes=["orders:read"], rateLimit={"limit": 2, "window": "minute"})
        self.elsewhere = make("office only", scopes=["orders:read"], ipAllowlist=["10.0.0.0/8"])
        self.disabled = make("disabled", scopes=["orders:read"])
        status, _, _ = self.manager.call("POST", f"/api/v1/keys/{self.disabled['id']}/disable", {})
        assert status == 200, status


def try_recipe(label, proxy_port, path, upstream, keys, gate_has_scope, forwards_customer):
    client = Client(proxy_port)

    def call(headers=None):
        before = len(upstream.seen)
        status, body, response = client.call("GET", path, headers=headers)
        reached = upstream.seen[before:]
        return status, response, reached

    def bearer(key, extra=None):
        return {"Authorization": f"Bearer {key['token']}", **(extra or {})}

    status, _, reached = call(bearer(keys.good))
    checks.check(f"{label}: a valid key reaches the upstream", (200, 1), (status, len(reached)))
    seen = reached[0] if reached else {}
    checks.check(f"{label}: the upstream learns the key's id", keys.good["id"], seen.get("x-keysmith-key-id"))
    if forwards_customer:
        checks.check(f"{label}: the key's response header reaches the upstream", f"{label}: orders service",
                     seen.get("x-customer-id"))
    checks.check(f"{label}: the upstream never sees the client's Bearer token", [],
                 [name for name in CREDENTIALS if seen.get(name)])
    key_id, secret = keys.good["token"].rsplit("_", 1)
    status, _, reached = call({"x-api-key": key_id, "x-api-secret": secret})
    checks.check(f"{label}: key id + secret headers pass too", 200, status)
    checks.check(f"{label}: … and neither reaches the upstream", [],
                 [name for name in CREDENTIALS if reached and reached[0].get(name)])

    for case, headers, expected in (
        ("no key", None, 401),
        ("a wrong secret", {"Authorization": f"Bearer {keys.good['token'][:-1]}x"}, 401),
        ("a disabled key", bearer(keys.disabled), 401),
        ("a key from an address it may not use, whatever X-Forwarded-For says",
         bearer(keys.elsewhere, {"X-Forwarded-For": "10.1.2.3"}), 403),
    ) + ((("a key without the gate's scope", bearer(keys.unscoped), 403),) if gate_has_scope else ()):
        status, _, reached = call(headers)
        checks.check(f"{label}: {case} is {expected} and reaches nothing", (expected, 0), (status, len(reached)))

    statuses = [call(bearer(keys.limited)) for _ in range(3)]
    status, response, reached = statuses[-1]
    checks.check(f"{label}: over the rate limit the client gets 429, not 500", [200, 200, 429], [s[0] for s in statuses])
    retry_after = response.getheader("Retry-After") or ""
    checks.claim(f"{label}: … with Retry-After in seconds", retry_after.isdigit() and 0 < int(retry_after) <= 60,
                 repr(retry_after))
    checks.check(f"{label}: … and the upstream is not reached", 0, len(reached))


def console_snippets(browser, project):
    page = browser.get(f"/projects/{project}")
    blocks = [html.unescape(code) for code in re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", page, re.S)]
    nginx = next(block for block in blocks if "auth_request" in block)
    caddy = next(block for block in blocks if "forward_auth" in block)
    return nginx, caddy


def main():
    for program in ("nginx", "caddy"):
        if shutil.which(program) is None:
            print(f"proxies: {program} is not installed (make test-deps installs it)", file=sys.stderr)
            return 1
    server = Server(extra_args=["--trusted-proxy", HOST])
    server.start()
    work = tempfile.mkdtemp(prefix="keysmith-proxies.")
    upstream = Upstream()
    try:
        browser = sign_up(server.base, "proxies@example.com", "proxy recipes password")
        project = default_project(browser)
        admin = admin_key(browser, "proxy recipes")
        guide = readme.section("Protect your API in 5 minutes")
        [readme_nginx] = readme.code_blocks(guide, "nginx")
        [readme_caddy] = readme.code_blocks(guide, "caddyfile")
        readme_nginx = readme.fill(readme_nginx, {
            "http://orders:9000": f"http://{HOST}:{upstream.port}", "http://127.0.0.1:8080": server.base,
            "prj_…": project})
        readme_caddy = readme.fill(readme_caddy, {
            "orders:9000": f"{HOST}:{upstream.port}", "127.0.0.1:8080": f"{HOST}:{server.port}", "prj_…": project})
        console_nginx, console_caddy = console_snippets(browser, project)
        console_nginx = readme.fill(console_nginx, {"127.0.0.1:9000": f"{HOST}:{upstream.port}"})
        console_caddy = readme.fill(console_caddy, {"127.0.0.1:9000": f"{HOST}:{upstream.port}"})

        recipes = (
            ("README nginx", Nginx, readme_nginx, "/orders/list", True, True),
            ("README Caddy", Caddy, readme_caddy, "/orders/list", True, True),
            ("console nginx", Nginx, console_nginx, "/api/list", False, False),
            ("console Caddy", Caddy, console_caddy, "/api/list", False, False),
        )
        for index, (label, proxy, config, path, gate_has_scope, forwards_customer) in enumerate(recipes):
            folder = os.path.join(work, str(index))
            os.makedirs(folder)
            keys = Keys(server, admin, label)
            with proxy(config, folder) as running:
                try_recipe(label, running.port, path, upstream, keys, gate_has_scope, forwards_customer)
    except Exception:
        server.dump_log()
        raise
    finally:
        upstream.server.shutdown()
        server.stop()
        server.cleanup()
        subprocess.run(["rm", "-rf", work])
    return checks.report("proxies")


if __name__ == "__main__":
    sys.exit(main())
