#!/usr/bin/env python3
"""Issue 14 against the real binary, over real sockets: a busy port is one line and exit 2; a partial request head, a
trickled body and an idle keep-alive connection are closed by the timeouts; HEAD answers on GET routes; a failed
sign-up keeps no copy of a huge typed email; `keysmith backup` copies a database while keys are being created, and
`keysmith restore` refuses a database in use without --force and brings a backup back. Standard library only."""

import os
import shlex
import socket
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import HOST, REPO, Checks, Client, Server, admin_key, default_project, sign_up  # noqa: E402

checks = Checks()


def closed_within(sock, seconds):
    """True when the server closes `sock` within `seconds` (recv sees EOF or a reset)."""
    sock.settimeout(seconds)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def connect(port):
    sock = socket.create_connection((HOST, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def keysmith(*args, timeout=60):
    path = os.environ.get("KEYSMITH_BIN", ".build/debug/keysmith")
    path = path if os.path.isabs(path) else os.path.join(REPO, path)
    return subprocess.run([path, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def readme_backup_commands(db, backup):
    """The two commands of the README's "Backup and restore", as argument lists for this database and backup file:
    the README's own text is what runs, so the two cannot drift apart."""
    with open(os.path.join(REPO, "README.md")) as readme:
        section = readme.read().split("## Backup and restore", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = []
    for line in section.strip().splitlines():
        words = shlex.split(line.split("#", 1)[0])
        assert words[0] == "keysmith", line
        commands.append([{"data/keysmith.sqlite": db}.get(w, backup if w.startswith("backups/") else w) for w in words[1:]])
    return commands


def busy_port(server):
    started = time.monotonic()
    other = os.path.join(server.work, "other.sqlite")
    result = keysmith("serve", "--db", other, "--host", HOST, "--port", str(server.port), timeout=20)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    checks.check("a busy port exits with status 2", 2, result.returncode)
    checks.check("a busy port says so in one line on stderr", 1, len(lines))
    checks.claim("the line names the port", lines and f"port {server.port}" in lines[-1] and "in use" in lines[-1], lines)
    checks.claim("and it gives up at once", time.monotonic() - started < 10, f"{time.monotonic() - started:.1f} s")


def timeouts(server):
    partial = [connect(server.port) for _ in range(40)]
    for sock in partial:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    started = time.monotonic()
    closed = sum(closed_within(sock, 4) for sock in partial)
    checks.check("40 connections with a partial head are all closed", 40, closed)
    checks.claim("within the idle timeout (1 s) and a margin", time.monotonic() - started < 4, time.monotonic() - started)

    trickle = connect(server.port)
    trickle.sendall(b"POST /api/v1/keys/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1000\r\n\r\n{")
    started = time.monotonic()
    gone = False
    while time.monotonic() - started < 6:
        try:
            trickle.sendall(b" ")  # a byte every 0.3 s: never idle for a second, but never done
        except OSError:
            gone = True
            break
        trickle.settimeout(0.3)
        try:
            if trickle.recv(4096) == b"":
                gone = True
                break
        except socket.timeout:
            pass
        except OSError:
            gone = True
            break
    elapsed = time.monotonic() - started
    checks.claim("a body trickled a byte at a time is cut off by the body timeout (2 s)", gone and 1.5 < elapsed < 4,
                 f"closed={gone} after {elapsed:.1f} s")

    idle = connect(server.port)
    idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    idle.settimeout(2)
    first = idle.recv(4096)
    checks.claim("a complete request is answered", first.startswith(b"HTTP/1.1 200"), first[:40])
    checks.claim("then the idle keep-alive connection is closed", closed_within(idle, 3))
    status, _, _ = Client(server.port).call("GET", "/healthz")
    checks.check("the server still serves after all that", 200, status)


def head_requests(server):
    for path in ["/healthz", "/login", "/signup", "/api/v1/openapi.json", "/docs/api"]:
        sock = connect(server.port)
        sock.sendall(f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        sock.settimeout(5)
        answer = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        checks.claim(f"HEAD {path} answers 200 without a body", head.startswith(b"HTTP/1.1 200") and body == b"",
                     head[:60])


def bounded_signup_memory(server):
    client = Client(server.port)
    status, page, response = client.call("GET", "/signup")
    cookie = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("keysmith_csrf="))
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    huge = "x" * (60 * 1024) + "@example.com"
    body = f"csrf_token={token}&email={huge}&password=short"
    before = rss_kib(server.process.pid)
    statuses = set()
    for _ in range(300):
        status, _, _ = client.call("POST", "/signup", raw=body.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        statuses.add(status)
    grown = rss_kib(server.process.pid) - before
    checks.claim("300 failed sign-ups with a 60 KiB email are refused (422, then 429)", statuses <= {422, 429}, statuses)
    checks.claim("and keep no copy of it: RSS grows by less than 4 MiB", grown < 4096, f"{grown} KiB")


def backup_and_restore(server):
    browser = sign_up(server.base, "backup@example.com", "backup password 123")
    project = default_project(browser)
    token = admin_key(browser)
    api = Client(server.port, headers={"Authorization": f"Bearer {token}", "x-project-id": project})
    status, first, _ = api.call("POST", "/api/v1/keys", {"name": "before the backup"})
    checks.check("a key is created before the backup", 201, status)

    created, stop = [], threading.Event()

    def create_keys():
        client = Client(server.port, headers={"Authorization": f"Bearer {token}", "x-project-id": project})
        while not stop.is_set():
            status, body, _ = client.call("POST", "/api/v1/keys", {"name": f"during {len(created)}"})
            if status == 201:
                created.append(body["id"])

    writers = [threading.Thread(target=create_keys) for _ in range(2)]
    for writer in writers:
        writer.start()
    time.sleep(0.5)
    backup = os.path.join(server.work, "backup.sqlite")
    backup_command, restore_command = readme_backup_commands(server.db, backup)
    result = keysmith(*backup_command)
    time.sleep(0.3)
    stop.set()
    for writer in writers:
        writer.join()
    checks.check("the README's keysmith backup succeeds while keys are being created", 0, result.returncode)
    print("     " + result.stdout.strip())
    copy = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    checks.check("the backup passes SQLite's integrity check", "ok", copy.execute("PRAGMA integrity_check").fetchone()[0])
    keys = copy.execute("SELECT COUNT(*) FROM apiKey").fetchone()[0]
    audited = copy.execute("SELECT COUNT(*) FROM auditEntry WHERE action = 'key.created'").fetchone()[0]
    copy.close()
    checks.claim("it holds a moment between the first and the last creation", 1 <= keys <= 1 + len(created),
                 f"{keys} keys, {len(created)} created during")
    checks.check("every key in it has its audit entry (one consistent instant)", keys, audited)
    again = keysmith("backup", "--db", server.db, "--to", backup)
    checks.check("a second backup to the same file is refused", 2, again.returncode)

    refused = keysmith(*restore_command)
    checks.check("the README's restore refuses a database the server has open", 2, refused.returncode)
    checks.claim("and says why", "in use" in refused.stderr, refused.stderr.strip())
    forced = keysmith(*restore_command, "--force")
    checks.check("--force restores anyway", 0, forced.returncode)
    checks.claim("and tells to restart the server", "restart" in forced.stdout, forced.stdout.strip())
    server.stop()

    fresh = os.path.join(server.work, "restored.sqlite")
    restored = keysmith("restore", "--db", fresh, "--from", backup)
    checks.check("restore into a new file succeeds", 0, restored.returncode)
    checks.claim("and asks for no restart, since no server had it open", "restart" not in restored.stdout, restored.stdout)
    server.db = fresh
    server.start()
    status, answer, _ = Client(server.port).call(
        "POST", "/api/v1/keys/verify", {"project": project, "token": first["token"]})
    checks.claim("a key from before the backup verifies on the restored database", status == 200 and answer["valid"],
                 answer)


def main():
    server = Server(extra_args=["--signup", "open", "--idle-timeout", "1", "--body-timeout", "2"])
    try:
        server.start()
        busy_port(server)
        timeouts(server)
        head_requests(server)
        backup_and_restore(server)
        bounded_signup_memory(server)  # last: it spends this address's sign-up budget
    finally:
        server.cleanup()
    return checks.report("server-process")


if __name__ == "__main__":
    sys.exit(main())
