#!/usr/bin/env python3
"""DESIGN §9's figures: three Keysmith nodes on one PostgreSQL, measured in one run on 127.0.0.1, one table.

- Propagation: a key is verified on nodes 2 and 3 (so both hold it, secret proven), then disabled through node 1;
  each of nodes 2 and 3 is polled until it refuses. 20 disables, then one rotate-now and one delete.
- Verification rate per node: wrk on one node's verify route, as a ratio to the same route of an SQLite node
  started in the same run (the embedded default), alternating BENCH_ROUNDS times.
- Quota and rate limit: a key with 300 uses left, and one limited to 300 an hour, each hammered through all three
  nodes at once; admitted uses must be ≤ 300.
- Fail closed: every node's LISTEN connection is terminated and a key disabled at once; nodes 2 and 3 must refuse
  it within 2 s, whether or not their feed has come back yet.

Run inside e2e/with-postgres.sh (`make bench` does), after a release build with the PostgreSQL trait.
"""

import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hot_path import CONNECTIONS, KEYSMITH, ROUNDS, SECONDS, Console, Server, percentile, wrk  # noqa: E402

URL = os.environ.get("KEYSMITH_TEST_POSTGRES", "")
ROWS = []


def verify(port, project, token):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/api/v1/keys/verify", json.dumps({"project": project, "token": token}),
                       {"Content-Type": "application/json"})
    answer = json.loads(connection.getresponse().read())
    connection.close()
    return answer


def until_refused(port, project, token, deadline=10.0):
    """Seconds until `port` stops answering VALID for the token, polling as fast as one client can."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"project": project, "token": token})
    while time.monotonic() - started < deadline:
        connection.request("POST", "/api/v1/keys/verify", body, {"Content-Type": "application/json"})
        if not json.loads(connection.getresponse().read())["valid"]:
            return time.monotonic() - started
    return float("inf")


def until_accepted(ports, project, token, deadline=10.0):
    started = time.monotonic()
    for port in ports:
        while not verify(port, project, token)["valid"]:
            if time.monotonic() - started > deadline:
                sys.exit(f"cluster bench: node on port {port} never accepted a new key")
            time.sleep(0.01)


def propagation(nodes, console, project):
    """Milliseconds from a change's response on node 1 until nodes 2 and 3 refuse, for each change."""
    others = [node.port for node in nodes[1:]]

    def measure(change):
        key = console.create_key(f"propagation {random.random()}")
        until_accepted(others, project, key["token"])
        results = {}
        threads = []
        ready = threading.Barrier(len(others) + 1)

        def poll(port):
            ready.wait()
            results[port] = until_refused(port, project, key["token"])

        for port in others:
            threads.append(threading.Thread(target=poll, args=(port,)))
            threads[-1].start()
        ready.wait()
        change(key["id"])  # the pollers start their clocks as it is sent; the commit is inside it
        for thread in threads:
            thread.join()
        return [seconds * 1000 for seconds in results.values()]

    disables = []
    for _ in range(20):
        disables += measure(lambda key_id: console.api("POST", f"/api/v1/keys/{key_id}/disable"))
    rotate = measure(lambda key_id: console.api("POST", f"/api/v1/keys/{key_id}/rotate", {"grace": "0s"}))
    delete = measure(lambda key_id: console.api("DELETE", f"/api/v1/keys/{key_id}"))

    def cells(name, samples, count):
        p99 = percentile(samples, 99)
        ROWS.append((name, f"{statistics.median(samples):.0f}", f"{p99:.0f}", f"{max(samples):.0f}", count,
                     "p99 ≤ 1,000 ms", "yes" if p99 <= 1000 else "NO"))

    cells("disable on node 1 → refused on nodes 2 and 3", disables, f"{len(disables)} (20 disables × 2 nodes)")
    cells("rotate-now on node 1 → old secret refused on 2 and 3", rotate, "2")
    cells("delete on node 1 → refused on 2 and 3", delete, "2")


def verification_rates(nodes, sqlite_node, console, sqlite_console, project, sqlite_project):
    """verify.lua on one PostgreSQL node against the same on the SQLite node, alternating."""
    token = console.create_key("rate", scopes=["orders:*"])["token"]
    sqlite_token = sqlite_console.create_key("rate", scopes=["orders:*"])["token"]
    until_accepted([node.port for node in nodes], project, token)

    def run(port, token, project):
        return wrk(port, script="verify.lua", env={"BENCH_TOKEN": token, "BENCH_PROJECT": project})

    for node in nodes + [sqlite_node]:  # warm up: the first seconds of a process are slower
        wrk(node.port, "/healthz", seconds=1)
    for index, node in enumerate(nodes, start=1):
        pairs = []
        for _ in range(ROUNDS):
            pairs.append((run(node.port, token, project), run(sqlite_node.port, sqlite_token, sqlite_project)))
        rate = statistics.median(result["rate"] for result, _ in pairs)
        reference = statistics.median(reference["rate"] for _, reference in pairs)
        p99 = statistics.median(result["p99"] for result, _ in pairs)
        ROWS.append((f"verify on node {index} (PostgreSQL), req/s", f"{rate:,.0f}", f"p99 {p99:.2f} ms",
                     f"{rate / reference:.0%} of SQLite's {reference:,.0f}", "", "", ""))


def quota(nodes, console, project, name="quota of 300", **fields):
    """300 uses left (or a limit of 300 per hour), 3 × 16 clients through the three nodes, 1,500 attempts in all."""
    key = console.create_key(name, **(fields or {"quota": {"remaining": 300}}))
    until_accepted([node.port for node in nodes], project, key["token"])  # spends up to 3
    admitted, lock = [3], threading.Lock()

    def hammer(port):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        body = json.dumps({"project": project, "token": key["token"]})
        for _ in range(1_500 // 48):
            connection.request("POST", "/api/v1/keys/verify", body, {"Content-Type": "application/json"})
            if json.loads(connection.getresponse().read())["valid"]:
                with lock:
                    admitted[0] += 1

    threads = [threading.Thread(target=hammer, args=(node.port,)) for node in nodes for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ROWS.append((f"{name} through 3 nodes (1,500 attempts + 3 warm-up)", f"{admitted[0]} admitted", "", "", "",
                 "≤ 300", "yes" if admitted[0] <= 300 else "NO"))


def fail_closed(nodes, console, project):
    """Cut every node's LISTEN connection, disable at once; nodes 2 and 3 must refuse within 2 s."""
    key = console.create_key("fail closed")
    others = [node.port for node in nodes[1:]]
    until_accepted(others, project, key["token"])
    results, threads = {}, []
    cut = subprocess.run(
        ["psql", "-qtA", "-c",
         "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE 'node-%.listen'"],
        capture_output=True, text=True, check=True).stdout.strip()
    console.api("POST", f"/api/v1/keys/{key['id']}/disable")

    def poll(port):
        results[port] = until_refused(port, project, key["token"])

    for port in others:
        threads.append(threading.Thread(target=poll, args=(port,)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    worst = max(results.values()) * 1000
    ROWS.append((f"LISTEN cut on all nodes ({cut} connections), disable → refused on 2 and 3",
                 f"{min(results.values()) * 1000:.0f}", "", f"{worst:.0f}", "2",
                 "≤ 2,000 ms", "yes" if worst <= 2000 else "NO"))


def main():
    if not URL:
        sys.exit("cluster bench: run it inside e2e/with-postgres.sh (KEYSMITH_TEST_POSTGRES is not set)")
    work = tempfile.mkdtemp(prefix="keysmith-cluster-")
    servers = []
    try:
        email, password = "bench@example.com", f"bench password {random.random()}"
        sqlite = os.path.join(work, "reference.sqlite")
        for database in (URL, sqlite):
            subprocess.run([KEYSMITH, "migrate", "--db", database], check=True, capture_output=True)
            subprocess.run([KEYSMITH, "user", "create", "--db", database, "--email", email, "--password-stdin"],
                           input=password + "\n", text=True, check=True, capture_output=True)
        nodes = [Server(work, URL) for _ in range(3)]
        sqlite_node = Server(work, sqlite)
        servers.extend(nodes + [sqlite_node])
        for server in servers:
            server.start()
        console = Console(nodes[0].port, email, password)
        sqlite_console = Console(sqlite_node.port, email, password)
        project = console.api("GET", "/api/v1/projects")["data"][0]["id"]
        sqlite_project = sqlite_console.api("GET", "/api/v1/projects")["data"][0]["id"]
        time.sleep(1)  # every node follows the feed by now

        propagation(nodes, console, project)
        fail_closed(nodes, console, project)
        quota(nodes, console, project)
        quota(nodes, console, project, "rate limit of 300 per hour", rateLimit={"limit": 300, "window": "hour"})
        verification_rates(nodes, sqlite_node, console, sqlite_console, project, sqlite_project)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nKeysmith cluster: 3 nodes on one PostgreSQL, 127.0.0.1, {os.cpu_count()} cores (wrk -t1 -c{CONNECTIONS}, "
          f"{SECONDS} s per run, medians of {ROUNDS})\n")
    header = ("case", "p50 / value", "p99", "max", "samples", "target", "met")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for cells in ROWS:
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
