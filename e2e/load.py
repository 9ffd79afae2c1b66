#!/usr/bin/env python3
"""Issue 14, load (run by e2e/load.sh in `make test`):

1. 1,000 concurrent key creations through an admin key (64 threads, keep-alive connections) give exactly 1,000 keys
   and 1,000 "key created" audit entries — counted through the API and in the SQLite file. An answer 503 OVERLOADED
   (the Argon2 queue is full, nothing was created) is retried after its Retry-After, as a client would.
2. A 10,000-request sign-in brute force on user A from one address (127.0.0.1) is throttled: at most ~20 passwords
   are checked (401), every other answer is 429. Meanwhile user B signs in normally, from the flooding address and
   from its own, and the real A signs in from another address (127.0.0.2: Linux routes all of 127/8 to lo, and with no
   trusted proxy the socket address is the client address): an account is never locked from elsewhere.

Environment: KEYSMITH_BIN (default .build/debug/keysmith)."""

import collections
import os
import re
import statistics
import sqlite3
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the working tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import META_CSRF, Checks, Client, Refused, Server, Unknown, admin_key, sign_up  # noqa: E402

KEYS = 1000
CREATE_THREADS = 64
FLOOD = 10_000
FLOOD_THREADS = 32
FLOOD_TIME_LIMIT = 75  # seconds; a flood that takes longer is a failure, not a hang
MAX_CHECKED = 20  # passwords of A actually checked from the flooding address (the budget is 10 per 15 minutes)
B_SIGN_INS = 5
SIGN_IN_LATENCY = 5.0  # seconds a normal sign-in may take while the flood runs (debug build, 2 cores)
OTHER_ADDRESS_LATENCY = 10.0  # the real A from elsewhere may be slowed down (about a second), never shut out
ALICE, BOB = "alice@example.com", "bob@example.com"
PASSWORD_A, PASSWORD_B = "alice's real password 1", "bob's real password 2"


def create_keys(server, admin):
    """KEYS creations from CREATE_THREADS threads; returns (ids, answers by status, 503 retries, seconds)."""
    lock = threading.Lock()
    todo = iter(range(KEYS))
    ids, statuses, retries, errors = [], collections.Counter(), [0], []

    def worker():
        client = Client(server.port, {"Authorization": f"Bearer {admin}"}, timeout=60)
        while True:
            with lock:
                number = next(todo, None)
            if number is None:
                return
            for _ in range(30):
                try:
                    status, answer, response = client.call("POST", "/api/v1/keys", {"name": f"load {number}"})
                except (Unknown, Refused) as error:
                    with lock:
                        errors.append(repr(error))
                    break
                if status == 503:  # OVERLOADED: nothing was created; wait as told and send it again
                    with lock:
                        retries[0] += 1
                    time.sleep(min(1.0, float(response.getheader("Retry-After", "1"))))
                    continue
                with lock:
                    statuses[status] += 1
                    if status == 201:
                        ids.append(answer["id"])
                break

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CREATE_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return ids, statuses, retries[0], errors, time.monotonic() - started


def pages(client, path):
    """Every item of a cursor-paginated list."""
    items, cursor = [], None
    while True:
        query = {"limit": "100", **({"cursor": cursor} if cursor else {})}
        status, answer, _ = client.call("GET", f"{path}?{urllib.parse.urlencode(query)}")
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {answer}")
        items += answer["data"]
        cursor = answer.get("next_cursor")
        if not cursor:
            return items


class LoginForm:
    """The pre-login CSRF cookie and token of one visitor, fetched with GET /login from `source`."""

    def __init__(self, port, source=None):
        self.client = Client(port, source=source, timeout=60)
        status, page, response = self.client.call("GET", "/login")
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("keysmith_csrf=")]
        match = META_CSRF.search(page)
        if status != 200 or not cookies or not match:
            raise RuntimeError(f"GET /login: {status}, no CSRF cookie or token")
        self.cookie, self.token = cookies[0], match.group(1)

    def post(self, email, password):
        """(status, Location, Set-Cookie names, response, seconds)"""
        body = urllib.parse.urlencode({"csrf_token": self.token, "email": email, "password": password})
        t0 = time.monotonic()
        status, _, response = self.client.call(
            "POST", "/login", raw=body,
            headers={"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"})
        return status, response, time.monotonic() - t0


def sign_in(port, email, password, source=None):
    """A normal sign-in: GET /login, POST the right password. Returns (ok, status, seconds, detail)."""
    form = LoginForm(port, source)
    try:
        status, response, seconds = form.post(email, password)
    finally:
        form.client.reset()
    location = response.getheader("Location", "")
    session = any(c.startswith("keysmith_session=") for c in response.headers.get_all("Set-Cookie") or [])
    ok = status == 303 and session and "/login" not in location
    return ok, status, seconds, f"{status} → {location or '-'}"


def main():
    checks = Checks()
    server = Server(extra_args=["--signup", "open"])
    try:
        server.start()
        started = time.monotonic()

        # ---- 1. 1,000 concurrent key creations
        browser = sign_up(server.base, ALICE, PASSWORD_A)
        admin = admin_key(browser, "load bot")
        ids, statuses, retries, errors, create_seconds = create_keys(server, admin)
        checks.check(f"{KEYS} concurrent creations all answer 201", {201: KEYS}, dict(statuses))
        checks.claim("no creation was cut off", not errors, "; ".join(errors[:3]))
        checks.check("the answers name 1,000 distinct keys", KEYS, len(set(ids)))
        api = Client(server.port, {"Authorization": f"Bearer {admin}"}, timeout=60)
        listed = [key for key in pages(api, "/api/v1/keys") if key["name"].startswith("load ")]
        checks.check("the API lists exactly 1,000 of them", KEYS, len(listed))
        checks.check("the listed keys are the created ones", sorted(ids), sorted(key["id"] for key in listed))
        audit = [entry for entry in pages(api, "/api/v1/audit") if entry["action"] == "key.created"]
        checks.check("the API's audit log has exactly 1,000 'key created' entries", KEYS, len(audit))
        checks.check("one for each created key", sorted(ids), sorted(entry["subject"] for entry in audit))
        api.reset()
        database = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True, timeout=10)
        stored_keys = database.execute("SELECT COUNT(*) FROM apiKey WHERE name LIKE 'load %'").fetchone()[0]
        stored_audit = database.execute(
            "SELECT COUNT(*), COUNT(DISTINCT subject) FROM auditEntry WHERE action = 'key.created'").fetchone()
        database.close()
        checks.check("the database holds exactly 1,000 keys", KEYS, stored_keys)
        checks.check("the database holds exactly 1,000 'key created' entries, one per key", (KEYS, KEYS),
                     tuple(stored_audit))

        # ---- 2. the sign-in brute force
        sign_up(server.base, BOB, PASSWORD_B)
        try:
            probe = Client(server.port, source="127.0.0.2")
            probe_status = probe.call("GET", "/healthz")[0]
            probe.reset()
        except (Refused, Unknown) as error:
            probe_status = repr(error)
        checks.check("a client bound to 127.0.0.2 reaches the server on 127.0.0.1", 200, probe_status)

        answers = collections.Counter()
        retry_after_missing = [0]
        lock = threading.Lock()
        sent = [0]
        flood_deadline = time.monotonic() + FLOOD_TIME_LIMIT

        def attacker():
            form = LoginForm(server.port)
            while time.monotonic() < flood_deadline:
                with lock:
                    if sent[0] >= FLOOD:
                        return
                    sent[0] += 1
                    guess = sent[0]
                try:
                    status, response, _ = form.post(ALICE, f"guess {guess}")
                except (Unknown, Refused) as error:
                    status, response = type(error).__name__, None
                with lock:
                    answers[status] += 1
                    if status == 429 and not response.getheader("Retry-After"):
                        retry_after_missing[0] += 1

        flood_started = time.monotonic()
        attackers = [threading.Thread(target=attacker, daemon=True) for _ in range(FLOOD_THREADS)]
        for thread in attackers:
            thread.start()
        # Once the flood is under way, B signs in (from the flooding address and from its own) and the real A from
        # elsewhere, while the guesses keep coming.
        while sum(answers.values()) < 200 and time.monotonic() < flood_deadline and any(t.is_alive() for t in attackers):
            time.sleep(0.05)
        bob, alice_elsewhere = [], []
        for attempt in range(B_SIGN_INS):
            source = "127.0.0.1" if attempt % 2 == 0 else "127.0.0.3"
            ok, status, seconds, detail = sign_in(server.port, BOB, PASSWORD_B, source)
            bob.append((ok, seconds, detail, source, sum(answers.values()) < FLOOD))
        ok, status, seconds, detail = sign_in(server.port, ALICE, PASSWORD_A, "127.0.0.2")
        alice_elsewhere.append((ok, seconds, detail, sum(answers.values()) < FLOOD))
        for thread in attackers:
            thread.join(timeout=max(1, flood_deadline - time.monotonic() + 5))
        flood_seconds = time.monotonic() - flood_started
        ok, status, seconds, detail = sign_in(server.port, ALICE, PASSWORD_A, "127.0.0.2")
        alice_elsewhere.append((ok, seconds, detail, False))
        still_blocked = LoginForm(server.port)
        blocked_status = still_blocked.post(ALICE, PASSWORD_A)[0]
        still_blocked.client.reset()

        total = sum(answers.values())
        checks.check(f"the flood sent all {FLOOD} guesses within {FLOOD_TIME_LIMIT}s", FLOOD, total)
        checks.claim(f"at most {MAX_CHECKED} of A's guesses from one address were password-checked (401)",
                     answers[401] <= MAX_CHECKED, f"{answers[401]} answers 401")
        checks.check("every other guess was refused with 429", total - answers[401], answers[429])
        checks.check("every 429 carries Retry-After", 0, retry_after_missing[0])
        for ok, seconds, detail, source, during in bob:
            checks.claim(f"B signs in from {source} {'during' if during else 'after'} the flood "
                         f"({seconds * 1000:.0f} ms)", ok and seconds <= SIGN_IN_LATENCY, detail)
        checks.claim("B's sign-ins happened while the flood ran", sum(1 for b in bob if b[4]) >= 3,
                     f"only {sum(1 for b in bob if b[4])} of {len(bob)} did: the flood ended too soon")
        for ok, seconds, detail, during in alice_elsewhere:
            checks.claim(f"the real A signs in from 127.0.0.2 {'during' if during else 'after'} the flood "
                         f"({seconds * 1000:.0f} ms)", ok and seconds <= OTHER_ADDRESS_LATENCY, detail)
        checks.check("A's right password from the flooding address is still refused (429)", 429, blocked_status)

        latencies = [b[1] * 1000 for b in bob]
        print("\nfigures:")
        print(f"  creations: {KEYS} from {CREATE_THREADS} threads in {create_seconds:.1f}s "
              f"({KEYS / create_seconds:.0f}/s), {retries} answers 503 retried")
        print(f"  brute force: {total} requests from {FLOOD_THREADS} threads in {flood_seconds:.1f}s "
              f"({total / flood_seconds:.0f}/s): 401 {answers[401]}, 429 {answers[429]}, "
              f"other {dict((k, v) for k, v in answers.items() if k not in (401, 429))}")
        print(f"  B's sign-ins: {', '.join(f'{ms:.0f}' for ms in latencies)} ms "
              f"(median {statistics.median(latencies):.0f}, max {max(latencies):.0f})")
        print(f"  A from 127.0.0.2: {', '.join(f'{a[1] * 1000:.0f} ms ({a[2]})' for a in alice_elsewhere)}")
        print(f"  elapsed {time.monotonic() - started:.0f}s")
        return checks.report("load")
    except Exception:
        server.dump_log()
        raise
    finally:
        server.stop()
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
