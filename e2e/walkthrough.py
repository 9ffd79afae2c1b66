#!/usr/bin/env python3
"""The README's "Protect your API in 5 minutes", run as a reader runs it: its shell blocks are read out of README.md
and run in order by bash against a real server (step 1's placeholders filled in with the project and the admin key
made the way its prose says), then what each step promises is checked. The proxy recipes of step 4 are
proxies.py's."""

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import readme  # noqa: E402
from harness import Checks, Client, Server, admin_key, default_project, sign_up  # noqa: E402

checks = Checks()


class Shell:
    """Runs blocks one after another as if typed into one shell: what a block exports, the next one sees."""

    def __init__(self, work):
        self.state = os.path.join(work, "shell-state")
        open(self.state, "w").close()

    def run(self, block):
        script = f"set -euo pipefail\nsource {self.state}\n{block}\nexport -p > {self.state}\n"
        result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                                env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")})
        if result.returncode != 0:
            raise RuntimeError(f"README block failed ({result.returncode}):\n{block}\n--- stderr ---\n{result.stderr}")
        return result.stdout

    def value(self, name):
        return self.run(f'printf %s "${name}"')


def json_lines(output):
    """The JSON values curl printed one after another (the API's answers end without a newline)."""
    decoder, values, position = json.JSONDecoder(), [], 0
    while position < len(output):
        if output[position].isspace():
            position += 1
            continue
        value, position = decoder.raw_decode(output, position)
        values.append(value)
    return values


def readme_answer(block, label):
    """A `# label: STATUS BODY` comment of a README block, as (status, body)."""
    match = re.search(rf"^# {re.escape(label)}:\s+(\d{{3}}) (.*)$", block, re.M)
    if not match:
        raise LookupError(f"no “# {label}:” line in:\n{block}")
    return int(match.group(1)), match.group(2).strip()


def main():
    server = Server()
    server.start()
    work = tempfile.mkdtemp(prefix="keysmith-walkthrough.")
    try:
        walk(server, Shell(work))
    except Exception:
        server.dump_log()
        raise
    finally:
        server.stop()
        server.cleanup()
        subprocess.run(["rm", "-rf", work])
    return checks.report("walkthrough")


def walk(server, shell):
    guide = readme.section("Protect your API in 5 minutes")
    blocks = readme.code_blocks(guide, "sh")
    checks.check("the walkthrough has five shell blocks", 5, len(blocks))
    setup, create, whoami, verify, revoke = blocks

    # 1. The admin key is made in the console with exactly the permissions the README names.
    named = re.search(r"on \*Admin keys\* create one with\s+(.*?), and copy", guide, re.S)
    permissions = re.findall(r"`([a-z]+:[a-z]+)`", named.group(1)) if named else []
    checks.claim("step 1 names the admin key's permissions", permissions, guide[:400])
    browser = sign_up(server.base, "readme@example.com", "readme walkthrough password")
    project = default_project(browser)
    admin = admin_key(browser, "deploy bot", permissions)
    shell.run(readme.fill(setup, {"http://127.0.0.1:8080": server.base, "prj_…": project, "ksa_…": admin}))
    checks.check("step 1 exports the project", project, shell.value("PROJECT"))

    # 2. The key, created by the README's curl with that admin key.
    shell.run(create)
    token, key_id, secret = shell.value("TOKEN"), shell.value("KEY_ID"), shell.value("SECRET")
    checks.claim("step 2 gives a token", re.fullmatch(r"[a-z0-9]+_live_[0-9A-Za-z]+_[0-9A-Za-z]+", token), token)
    checks.check("the token is the key id, '_', the secret", token, f"{key_id}_{secret}")
    manager = Client(server.port, headers={"Authorization": f"Bearer {admin}"})
    status, key, _ = manager.call("GET", f"/api/v1/keys/{key_id}")
    checks.check("the admin key reads the new key", 200, status)
    checks.check("with the README's name", "orders service", key.get("name"))
    checks.check("its scope", ["orders:read"], key.get("scopes"))
    checks.check("its rate limit", {"limit": 100, "window": "minute"}, key.get("rateLimit"))
    checks.check("its response header", [("X-Customer-Id", "${key.name}")],
                 [(header["name"], header["value"]) for header in key.get("responseHeaders", [])])
    expires = datetime.datetime.fromisoformat(key.get("expiresAt", "").replace("Z", "+00:00"))
    days = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 86400
    checks.claim("its expiry 90 days out (\"ttl\": \"90d\")", 89.9 < days <= 90, key.get("expiresAt"))

    # 3. The three forms of whoami, and the two refusals the README quotes, byte for byte.
    answers = json_lines(shell.run(whoami))
    checks.check("three whoami answers", 3, len(answers))
    checks.check("each names the key", [key_id] * 3, [answer.get("id") for answer in answers])
    client = Client(server.port)
    for label, headers in (("no key", {}), ("a bad key", {"Authorization": f"Bearer {token[:-1]}x"})):
        expected_status, expected_body = readme_answer(whoami, label)
        status, body, response = client.call("GET", "/api/v1/whoami", headers=headers)
        checks.check(f"whoami with {label}: the README's status", expected_status, status)
        checks.check(f"whoami with {label}: the README's body", json.loads(expected_body), body)
    answer = json_lines(shell.run(verify))
    checks.check("verify from a backend: one answer", 1, len(answer))
    checks.check("verify says what the README shows", (True, "VALID", key_id, "orders service"),
                 tuple(answer[0].get(field) for field in ("valid", "code", "keyId", "name")) if answer else None)

    # The gate's rules beside the recipes: only this project's keys pass, and nothing else is a key there.
    other = browser.api("POST", "/api/v1/projects", {"name": "Staging"})
    bearer = {"Authorization": f"Bearer {token}"}
    checks.check("/auth with the scope passes", 200,
                 client.call("GET", f"/api/v1/auth?project={project}&scope=orders:read", headers=bearer)[0])
    checks.check("/auth without a project is 400", 400, client.call("GET", "/api/v1/auth", headers=bearer)[0])
    checks.check("another project's gate does not know the key", 401,
                 client.call("GET", f"/api/v1/auth?project={other['id']}", headers=bearer)[0])
    checks.check("an admin key is no key at a gate", 401,
                 client.call("GET", f"/api/v1/auth?project={project}", headers={"Authorization": f"Bearer {admin}"})[0])
    checks.check("a project key manages nothing", 401, client.call("GET", "/api/v1/keys", headers=bearer)[0])

    # 5. Disable, then delete: at once, everywhere.
    output = json_lines(shell.run(revoke))
    checks.check("disable then delete: two answers", 2, len(output))
    checks.check("delete answers what the README shows", {"message": "API key deleted"}, output[-1] if output else None)
    checks.check("the key is refused at once", 401, client.call("GET", "/api/v1/whoami", headers=bearer)[0])
    checks.check("verify of a deleted key says NOT_FOUND", "NOT_FOUND",
                 json_lines(shell.run(verify))[0].get("code"))


if __name__ == "__main__":
    sys.exit(main())
