#!/usr/bin/env python3
"""Issue 14, `make chaos`: SIGKILLs at random moments under mixed load, each followed by a restart on the same SQLite
file; then every acknowledged change is in the database, `PRAGMA integrity_check` is ok, every change has its audit
entry (and no change that did not land has one), no quota was over-admitted, and a kill lost at most the usage of
about the last flush interval (DESIGN §7.6–7.8).

Load, from several threads on keep-alive connections: mutators (each owns the keys it creates, so each key's changes
are sequential) create keys, rename them, change descriptions, rotate them with a grace period and disable/enable
them through an admin key; verifiers verify fixed keys and a key with a quota through POST /api/v1/keys/verify.
Every request is recorded with its outcome: acknowledged (2xx), failed (a 4xx, or a refused connection) or unknown
(cut by the kill, or a 5xx: it may or may not have landed). A value is allowed in the database when it was set by the
last acknowledged change or by an unknown one sent after it.

Environment: KEYSMITH_BIN (default .build/debug/keysmith), CHAOS_KILLS (10), CHAOS_SEED (random),
CHAOS_QUOTA (initial quota of the metered key), CHAOS_USAGE_WINDOW (seconds of usage a kill may lose, 1.5)."""

import collections
import itertools
import os
import random
import sqlite3
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the working tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import Checks, Client, Refused, Server, Unknown, admin_key, default_project, sign_up  # noqa: E402

KILLS = int(os.environ.get("CHAOS_KILLS", "10"))
SEED = int(os.environ.get("CHAOS_SEED", str(random.SystemRandom().randrange(1 << 32))))
QUOTA = int(os.environ.get("CHAOS_QUOTA", "800"))
QUOTA_RATE = 100  # verifications a second of the metered key: the quota runs out about halfway, debug or release
USAGE_WINDOW = float(os.environ.get("CHAOS_USAGE_WINDOW", "1.5"))
MUTATORS = 4
STABLE_VERIFIERS = 2
STABLE_KEYS = 3
TIME_BUDGET = 170  # seconds for the whole run; beyond it the run fails rather than hang a CI job
MUTATION_KINDS = ("create", "name", "description", "rotate", "disable", "enable")


class Epochs:
    """Which server incarnation is up. Workers wait here after their connection broke, until the next one is up."""

    def __init__(self):
        self.cond = threading.Condition()
        self.epoch = 1
        self.up = False
        self.stopping = False

    def wait_up(self, after=0):
        """The current epoch once it is up and greater than `after`; None when the run is stopping."""
        with self.cond:
            while not self.stopping and (not self.up or self.epoch <= after):
                self.cond.wait(0.5)
            return None if self.stopping else self.epoch

    def set_down(self):
        with self.cond:
            self.up = False

    def set_up(self, epoch):
        with self.cond:
            self.epoch, self.up = epoch, True
            self.cond.notify_all()

    def stop(self):
        with self.cond:
            self.stopping = True
            self.cond.notify_all()


def outcome_of(status):
    if 200 <= status < 300:
        return "ack"
    return "unknown" if status >= 500 else "fail"


class Mutator(threading.Thread):
    """Creates keys and changes only its own ones, one request at a time, recording every request."""

    names = itertools.count(1)

    def __init__(self, index, server, admin, epochs, rng):
        super().__init__(name=f"mutator-{index}", daemon=True)
        self.index, self.server, self.epochs, self.rng = index, server, epochs, rng
        self.client = Client(server.port, {"Authorization": f"Bearer {admin}"})
        self.keys = []  # {"handle", "id", "status" (believed), "tokens": [acked tokens], "dirty"}
        self.ops = collections.defaultdict(list)  # handle → [op], in the order sent
        self.unknown_creates = []  # handles whose create may or may not have landed
        self.error = None

    def run(self):
        try:
            self.loop()
        except Exception as error:  # a bug of this script: make it visible, do not hang the run
            self.error = repr(error)
            self.epochs.stop()

    def loop(self):
        epoch = self.epochs.wait_up()
        client_epoch = epoch
        while epoch is not None:
            if epoch != client_epoch:
                self.client.reset()
                client_epoch = epoch
            try:
                self.step(epoch)
            except (Unknown, Refused):
                epoch = self.epochs.wait_up(after=epoch)
                continue
            epoch = self.epochs.wait_up()

    def record(self, handle, kind, value, epoch, t0, outcome, status):
        op = {"kind": kind, "value": value, "epoch": epoch, "t0": t0, "t1": time.monotonic(), "outcome": outcome,
              "status": status}
        self.ops[handle].append(op)
        return op

    def call(self, handle, kind, value, epoch, method, path, body):
        """One recorded change; re-raises Unknown/Refused after recording it."""
        t0 = time.monotonic()
        try:
            status, answer, _ = self.client.call(method, path, body)
        except Unknown:
            self.record(handle, kind, value, epoch, t0, "unknown", None)
            raise
        except Refused:
            self.record(handle, kind, value, epoch, t0, "fail", "refused")
            raise
        return self.record(handle, kind, value, epoch, t0, outcome_of(status), status), answer

    def step(self, epoch):
        usable = [k for k in self.keys if k["id"]]
        choice = self.rng.random()
        if len(usable) < 2 or choice < 0.2:
            return self.create(epoch)
        key = self.rng.choice(usable)
        if key["dirty"]:  # an earlier change was cut: learn the state it left (a read, not a recorded change)
            status, answer, _ = self.client.call("GET", f"/api/v1/keys/{key['id']}")
            if status == 200:
                key["status"], key["dirty"] = answer["status"], False
        path = f"/api/v1/keys/{key['id']}"
        serial = next(self.names)
        if choice < 0.4:
            value = f"{key['handle']} renamed {serial}"
            op, _ = self.call(key["handle"], "name", value, epoch, "PATCH", path, {"name": value})
        elif choice < 0.55:
            value = f"description {serial} of {key['handle']}"
            op, _ = self.call(key["handle"], "description", value, epoch, "PATCH", path, {"description": value})
        elif choice < 0.7:
            op, answer = self.call(key["handle"], "rotate", None, epoch, "POST", path + "/rotate", {"grace": "1h"})
            if op["outcome"] == "ack":
                op["value"] = answer["token"]
                key["tokens"].append(answer["token"])
        else:
            kind = "disable" if key["status"] == "active" else "enable"
            op, answer = self.call(key["handle"], kind, None, epoch, "POST", f"{path}/{kind}", None)
            if op["outcome"] == "ack":
                key["status"] = answer["status"]
            elif op["status"] == 409:
                key["dirty"] = True
        if op["outcome"] != "ack":
            key["dirty"] = True

    def create(self, epoch):
        handle = f"chaos {self.index}-{next(self.names)}"
        key = {"handle": handle, "id": None, "status": None, "tokens": [], "dirty": False}
        self.keys.append(key)
        try:
            op, answer = self.call(handle, "create", handle, epoch, "POST", "/api/v1/keys", {"name": handle})
        except Unknown:
            self.unknown_creates.append(handle)
            raise
        if op["outcome"] == "ack":
            key["id"], key["status"] = answer["id"], answer["status"]
            key["tokens"].append(answer["token"])
        elif op["outcome"] == "unknown":
            self.unknown_creates.append(handle)


class Verifier(threading.Thread):
    """Verifies its keys round-robin; counts answers per (key, epoch) and keeps the times of VALID ones."""

    def __init__(self, name, server, project, keys, epochs, rate=None):
        super().__init__(name=name, daemon=True)
        self.server, self.project, self.keys, self.epochs = server, project, keys, epochs
        self.interval = 1 / rate if rate else 0
        self.client = Client(server.port)
        self.codes = collections.defaultdict(collections.Counter)  # (key id, epoch) → code → count
        self.valid_times = collections.defaultdict(list)  # (key id, epoch) → monotonic times of acked VALID answers
        self.error = None

    def run(self):
        try:
            self.loop()
        except Exception as error:
            self.error = repr(error)
            self.epochs.stop()

    def loop(self):
        epoch = self.epochs.wait_up()
        client_epoch = epoch
        for key_id, token in itertools.cycle(self.keys):
            if epoch is None:
                return
            if epoch != client_epoch:
                self.client.reset()
                client_epoch = epoch
            try:
                status, answer, _ = self.client.call(
                    "POST", "/api/v1/keys/verify", {"project": self.project, "token": token})
            except Unknown:
                self.codes[(key_id, epoch)]["unknown"] += 1
                epoch = self.epochs.wait_up(after=epoch)
                continue
            except Refused:
                epoch = self.epochs.wait_up(after=epoch)
                continue
            code = answer["code"] if status == 200 else f"HTTP {status}"
            self.codes[(key_id, epoch)][code] += 1
            if code == "VALID":
                self.valid_times[(key_id, epoch)].append(time.monotonic())
            if self.interval:
                time.sleep(self.interval)
            epoch = self.epochs.wait_up()


def snapshot(db, quota_key):
    """Read-only look at the database while no server runs: usage per key, the quota balance, integrity."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        usage = dict(connection.execute("SELECT keyId, SUM(count) FROM keyUsage GROUP BY keyId"))
        remaining = connection.execute("SELECT quotaRemaining FROM apiKey WHERE id = ?", (quota_key,)).fetchone()[0]
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()
    return {"usage": usage, "remaining": remaining, "integrity": integrity}


def allowed_values(ops, kinds, initial):
    """The values a field may hold after `ops` (in the order sent): the last acknowledged one's, or any unknown one
    sent after it. `kinds` maps an op kind to the value it sets (a function of the op)."""
    relevant = [op for op in ops if op["kind"] in kinds and op["outcome"] != "fail"]
    last_ack = max((i for i, op in enumerate(relevant) if op["outcome"] == "ack"), default=None)
    base = initial if last_ack is None else kinds[relevant[last_ack]["kind"]](relevant[last_ack])
    later = relevant[(last_ack + 1) if last_ack is not None else 0:]
    return {base} | {kinds[op["kind"]](op) for op in later}, base, later


def main():
    started = time.monotonic()
    rng = random.Random(SEED)
    print(f"chaos: {os.environ.get('KEYSMITH_BIN', '.build/debug/keysmith')}, seed {SEED}, {KILLS} kills, "
          f"quota {QUOTA}, usage window {USAGE_WINDOW}s", flush=True)
    checks = Checks()
    server = Server()
    epochs = Epochs()
    workers = []
    try:
        server.start()
        browser = sign_up(server.base, "chaos@example.com", f"chaos password {SEED}")
        admin = admin_key(browser, "chaos bot")
        project = default_project(browser)
        setup = Client(server.port, {"Authorization": f"Bearer {admin}"})

        def create(body):
            status, answer, _ = setup.call("POST", "/api/v1/keys", body)
            assert status == 201, (status, answer)
            return answer["id"], answer["token"]

        stable = [create({"name": f"stable {i}"}) for i in range(STABLE_KEYS)]
        quota_key = create({"name": "metered", "quota": {"remaining": QUOTA}})
        setup.reset()
        stable_ids = {key_id for key_id, _ in stable}

        mutators = [Mutator(i, server, admin, epochs, random.Random(rng.random())) for i in range(MUTATORS)]
        verifiers = [Verifier(f"verifier-{i}", server, project, stable[i::STABLE_VERIFIERS], epochs)
                     for i in range(STABLE_VERIFIERS)]
        metered = Verifier("verifier-quota", server, project, [quota_key], epochs, rate=QUOTA_RATE)
        workers = [*mutators, *verifiers, metered]
        for worker in workers:
            worker.start()

        kills = []  # {"epoch", "at", "snapshot", "restart"}
        epochs.set_up(1)
        for number in range(1, KILLS + 1):
            time.sleep(rng.uniform(0.5, 3.0))
            if epochs.stopping:
                break
            at = server.kill()
            epochs.set_down()
            shot = snapshot(server.db, quota_key[0])
            t0 = time.monotonic()
            if number == KILLS:  # the load ends with the last kill; the last incarnation is for the checks
                epochs.stop()
            server.start()
            kills.append({"epoch": number, "at": at, "snapshot": shot, "restart": time.monotonic() - t0})
            print(f"kill {number}: at +{at - started:.1f}s, restarted in {kills[-1]['restart']:.2f}s", flush=True)
            if number < KILLS:
                epochs.set_up(number + 1)
            if time.monotonic() - started > TIME_BUDGET:
                break
        epochs.stop()
        for worker in workers:
            worker.join(timeout=30)
        for worker in workers:
            checks.claim(f"{worker.name} ran without a script error", worker.error is None, worker.error)
        checks.check("every kill happened", KILLS, len(kills))
        checks.claim("the run stayed within its time budget", time.monotonic() - started <= TIME_BUDGET,
                     f"{time.monotonic() - started:.0f}s")

        # ---- the last incarnation: acknowledged secrets still verify, through the server itself
        client = Client(server.port)
        api = Client(server.port, {"Authorization": f"Bearer {admin}"})
        token_failures = []
        tokens_checked = 0
        final_status = {}
        for mutator in mutators:
            for key in mutator.keys:
                if not key["id"]:
                    continue
                status, answer, _ = api.call("GET", f"/api/v1/keys/{key['id']}")
                if status != 200:
                    token_failures.append(f"GET {key['id']} → {status}")
                    continue
                final_status[key["id"]] = answer["status"]
                if answer["status"] != "active":
                    continue
                for token in key["tokens"]:
                    tokens_checked += 1
                    status, answer, _ = client.call("POST", "/api/v1/keys/verify", {"project": project, "token": token})
                    if status != 200 or answer.get("code") != "VALID":
                        token_failures.append(f"{key['id']} token #{key['tokens'].index(token)}: {status} {answer}")
        checks.claim(f"every acknowledged token of the active keys still verifies ({tokens_checked} tokens, grace 1h)",
                     not token_failures, "; ".join(token_failures[:5]))
        client.reset()
        api.reset()

        exit_status = server.stop()
        checks.check("the last incarnation stops cleanly on SIGTERM", 0, exit_status)
        return verdict(checks, server, kills, mutators, verifiers, metered, stable_ids, quota_key[0], started)
    except Exception:
        server.dump_log()
        raise
    finally:
        epochs.stop()
        server.cleanup()


def verdict(checks, server, kills, mutators, verifiers, metered, stable_ids, quota_id, started):
    connection = sqlite3.connect(server.db, timeout=10)
    rows = connection.execute("SELECT id, name, description, status FROM apiKey").fetchall()
    stored = {name: {"id": key_id, "name": name, "description": description, "status": status}
              for key_id, name, description, status in rows}
    by_id = {row["id"]: row for row in stored.values()}
    audit = collections.Counter(connection.execute(
        "SELECT subject, action FROM auditEntry WHERE action LIKE 'key.%'").fetchall())
    usage = dict(connection.execute("SELECT keyId, SUM(count) FROM keyUsage GROUP BY keyId"))
    remaining = connection.execute("SELECT quotaRemaining FROM apiKey WHERE id = ?", (quota_id,)).fetchone()[0]
    integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    try:
        connection.execute("INSERT INTO apiKeySearch(apiKeySearch) VALUES('integrity-check')")
        fts = "ok"
    except sqlite3.DatabaseError as error:
        fts = str(error)
    connection.close()

    # ---- integrity
    per_kill_integrity = [k["snapshot"]["integrity"] for k in kills]
    checks.claim("PRAGMA integrity_check is ok after every kill",
                 all(result == ["ok"] for result in per_kill_integrity),
                 str([r for r in per_kill_integrity if r != ["ok"]][:3]))
    checks.check("PRAGMA integrity_check is ok at the end", ["ok"], integrity)
    checks.check("the key search index (FTS5) matches the keys", "ok", fts)

    # ---- every acknowledged change is present, nothing that did not land is
    counts = {kind: collections.Counter() for kind in MUTATION_KINDS}
    missing, wrong, audit_problems = [], [], []
    sent_names = {"stable 0", "stable 1", "stable 2", "metered"}
    for mutator in mutators:
        for handle, ops in mutator.ops.items():
            for op in ops:
                counts[op["kind"]][op["outcome"]] += 1
            create = ops[0]
            names = {op["value"] for op in ops if op["kind"] in ("create", "name")}
            sent_names |= names
            row = next((stored[name] for name in names if name in stored), None)
            if create["outcome"] == "fail":
                if row:
                    wrong.append(f"{handle}: refused create, yet the key exists ({row['id']})")
                continue
            if row is None:
                if create["outcome"] == "ack":
                    missing.append(f"{handle}: acknowledged create (epoch {create['epoch']}) but no such key")
                continue
            # name, description, status: the last acknowledged value or one of an unknown change sent after it
            for field, kinds, initial in (
                ("name", {"create": lambda op: op["value"], "name": lambda op: op["value"]}, None),
                ("description", {"description": lambda op: op["value"]}, ""),
                ("status", {"create": lambda op: "active", "disable": lambda op: "disabled",
                            "enable": lambda op: "active"}, None),
            ):
                allowed, base, _ = allowed_values(ops, kinds, initial)
                if row[field] not in allowed:
                    wrong.append(f"{handle} ({row['id']}): {field} is {row[field]!r}, acknowledged {base!r}, "
                                 f"allowed {sorted(map(str, allowed))}")
            # audit entries: at least every acknowledged change (and any unknown change seen to have landed), at
            # most those plus the unknown ones; never one for a refused change
            actions = {"create": "key.created", "name": "key.updated", "description": "key.updated",
                       "rotate": "key.rotated", "disable": "key.disabled", "enable": "key.enabled"}
            landed = collections.Counter()
            for field, kinds in (("name", ("name",)), ("description", ("description",))):
                _, base, later = allowed_values(ops, {k: (lambda op: op["value"]) for k in kinds}, None)
                if row[field] != base and any(op["value"] == row[field] for op in later):
                    landed["key.updated"] += 1
            if create["outcome"] == "unknown":
                landed["key.created"] += 1  # the key exists, so its creation landed
            low, high = collections.Counter(landed), collections.Counter()
            for op in ops:
                action = actions[op["kind"]]
                if op["outcome"] == "ack":
                    low[action] += 1
                    high[action] += 1
                elif op["outcome"] == "unknown":
                    high[action] += 1
            low["key.activated"] = high["key.activated"] = 1  # created active
            for action in ("key.created", "key.activated", "key.updated", "key.rotated", "key.disabled",
                           "key.enabled"):
                have = audit[(row["id"], action)]
                if not low[action] <= have <= max(high[action], low[action]):
                    audit_problems.append(f"{row['id']} {action}: {have} entries, expected "
                                          f"{low[action]}..{max(high[action], low[action])}")
    strangers = sorted(name for name in stored if name not in sent_names)
    checks.claim("every acknowledged key creation is in the database", not missing, "; ".join(missing[:5]))
    checks.claim("every stored name, description and status is the last acknowledged one (or an in-flight one's)",
                 not wrong, "; ".join(wrong[:5]))
    checks.claim("no key exists that was never asked for", not strangers, str(strangers[:5]))
    checks.claim("every change has its audit entry, and no change that did not land has one",
                 not audit_problems, "; ".join(audit_problems[:5]))
    orphans = sorted({subject for subject, _ in audit if subject not in by_id})
    checks.claim("every key audit entry names a stored key", not orphans, str(orphans[:5]))

    # ---- verifications and usage
    codes = collections.Counter()
    valid_times = collections.defaultdict(list)
    per_epoch = collections.defaultdict(collections.Counter)
    for verifier in (*verifiers, metered):
        for (key_id, epoch), counter in verifier.codes.items():
            codes.update(counter)
            per_epoch[(key_id, epoch)].update(counter)
        for key, times in verifier.valid_times.items():
            valid_times[key].extend(times)
    stable_refusals = collections.Counter()
    for (key_id, _), counter in per_epoch.items():
        if key_id in stable_ids:
            stable_refusals.update({code: n for code, n in counter.items()
                                    if code not in ("VALID", "unknown", "HTTP 503")})
    checks.claim("the stable keys answer VALID every time", not stable_refusals, str(dict(stable_refusals)))

    losses, usage_problems = [], []
    previous = {}
    admitted_so_far = 0
    quota_problems = []
    for kill in kills:
        epoch, shot = kill["epoch"], kill["snapshot"]
        total_lost, worst_window = 0, 0.0
        for key_id in (*sorted(stable_ids), quota_id):
            acked = per_epoch[(key_id, epoch)]["VALID"]
            unknown = per_epoch[(key_id, epoch)]["unknown"]
            delta = shot["usage"].get(key_id, 0) - previous.get(key_id, 0)
            lost = acked - delta
            times = sorted(valid_times[(key_id, epoch)])
            allowed = sum(1 for t in times if t >= kill["at"] - USAGE_WINDOW)
            if delta > acked + unknown:
                usage_problems.append(f"kill {epoch} {key_id}: {delta} uses stored, only {acked}+{unknown} sent")
            if lost > allowed:
                usage_problems.append(f"kill {epoch} {key_id}: lost {lost} uses, only {allowed} were acknowledged in "
                                      f"the last {USAGE_WINDOW}s")
            if lost > 0:  # the lost uses are the newest ones: the oldest of them tells how far back the loss reached
                total_lost += lost
                worst_window = max(worst_window, kill["at"] - times[-lost] if lost <= len(times) else float("inf"))
        losses.append((total_lost, worst_window))
        previous = shot["usage"]
        admitted_so_far += per_epoch[(quota_id, epoch)]["VALID"]
        if shot["remaining"] + admitted_so_far > QUOTA:
            quota_problems.append(f"after kill {epoch}: {shot['remaining']} stored + {admitted_so_far} admitted")
    unchanged = [key_id for key_id in stable_ids if usage.get(key_id, 0) != previous.get(key_id, 0)]
    checks.claim("a kill loses at most the usage acknowledged in the last flush interval",
                 not usage_problems, "; ".join(usage_problems[:5]))
    checks.claim("the restart and SIGTERM keep the stored usage of the stable keys as it was", not unchanged,
                 str({k: (previous.get(k), usage.get(k)) for k in unchanged}))
    admitted = sum(per_epoch[(quota_id, e)]["VALID"] for e in range(1, len(kills) + 1))
    recorded = usage.get(quota_id, 0)
    checks.claim("the quota is never over-admitted after a kill", not quota_problems, "; ".join(quota_problems[:5]))
    checks.claim(f"the quota key admitted {admitted} ≤ {QUOTA}", admitted <= QUOTA)
    checks.claim(f"stored remaining {remaining} + admitted max({admitted}, recorded {recorded}) ≤ {QUOTA}",
                 remaining + max(admitted, recorded) <= QUOTA)
    checks.claim("the quota ran out during the run (so over-admission was possible to see)",
                 per_epoch_codes(per_epoch, quota_id)["USAGE_EXCEEDED"] > 0,
                 f"raise the load or lower CHAOS_QUOTA ({QUOTA})")

    # ---- figures for the closing note
    elapsed = time.monotonic() - started
    print("\nfigures:")
    print(f"  kills: {len(kills)}, restarts {min(k['restart'] for k in kills):.2f}–"
          f"{max(k['restart'] for k in kills):.2f}s, elapsed {elapsed:.0f}s, seed {SEED}")
    for kind in MUTATION_KINDS:
        c = counts[kind]
        print(f"  {kind:12} acknowledged {c['ack']:5}, cut by a kill/5xx {c['unknown']:3}, refused {c['fail']:3}")
    print(f"  keys stored: {len(stored)} (incl. {len(stable_ids)} stable + 1 metered)")
    print(f"  verifications: {sum(codes.values())} ({', '.join(f'{k} {v}' for k, v in codes.most_common())})")
    print(f"  usage lost per kill: {[lost for lost, _ in losses]}, max {max(l for l, _ in losses)} "
          f"(oldest lost use acknowledged {max(w for _, w in losses):.2f}s before its kill; allowed {USAGE_WINDOW}s)")
    print(f"  quota: initial {QUOTA}, admitted (acknowledged VALID) {admitted}, recorded uses {recorded}, "
          f"stored remaining {remaining}, lost to kills (leases) {QUOTA - remaining - max(admitted, recorded)}")
    print(f"  integrity_check: {'ok' if all(r == ['ok'] for r in per_kill_integrity) else 'FAILED'} after every "
          f"kill, {integrity[0] if integrity else '?'} at the end; FTS5 {fts}")
    return checks.report("chaos")


def per_epoch_codes(per_epoch, key_id):
    total = collections.Counter()
    for (key, _), counter in per_epoch.items():
        if key == key_id:
            total.update(counter)
    return total


if __name__ == "__main__":
    sys.exit(main())
