# Keysmith — the two commands are `make run` and `make test`; both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := libargon2-dev libsqlite3-dev libssl-dev pkg-config
# What the tests add: Debian's Chromium and its WebDriver for the browser suite; jq, which the README's walkthrough
# uses; nginx and Caddy, which run the README's proxy recipes; PostgreSQL, which the suite runs against a second
# time (a throwaway cluster, e2e/with-postgres.sh).
TEST_APT_PACKAGES := chromium chromium-driver jq nginx caddy postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DB ?= data/keysmith.sqlite
SWIFT_FORMAT := swift format

.PHONY: run test e2e chaos build release deps test-deps apt-install bench-deps bench fuzz format lint clean

## Install missing system packages (skipped when all are present): what the server needs, then what tests add.
deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"

# While installing, a policy-rc.d that says "no" keeps Debian from starting nginx (and its port 80) as a service:
# the tests start their own, on free loopback ports. An existing policy-rc.d is left as it is.
apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  policy=""; if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null && $(SUDO) chmod +x /usr/sbin/policy-rc.d && policy=1; \
	  fi; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing </dev/null; \
	  status=$$?; [ -z "$$policy" ] || $(SUDO) rm -f /usr/sbin/policy-rc.d; exit $$status; \
	fi

## Build release, migrate ./data/keysmith.sqlite and serve http://127.0.0.1:8080.
run: release
	@mkdir -p $(dir $(DB))
	@.build/release/keysmith migrate --db $(DB)
	@echo "Starting Keysmith on http://$${KEYSMITH_HOST:-127.0.0.1}:$${KEYSMITH_PORT:-8080} (Ctrl-C to stop)"
	@exec .build/release/keysmith serve --db $(DB)

# Release builds generate each module's code on every core (whole-module optimisation otherwise gives a module one
# thread, and Keysmith's server module alone then takes a minute on the critical path); `bench` builds its
# baseline with the same flags, so the two share one set of dependencies. The first release build says how long
# it takes before it starts.
RELEASE := -c release -Xswiftc -num-threads -Xswiftc $(shell nproc 2>/dev/null || echo 2)

release: deps
	@[ -x .build/release/keysmith ] || echo "First build of Keysmith: about 5 minutes on 2 cores (measured: docs/build-time.md); later builds take seconds."
	swift build $(RELEASE) --product keysmith

build: deps
	swift build

VENV := .venv
# The test build includes the PostgreSQL store (`make run`'s release build does not).
TEST_TRAITS := --traits PostgreSQL

## Unit, store and HTTP tests, then against a running server: the README's walk-through and its nginx and Caddy
## recipes (read out of README.md, run against real nginx and Caddy), the write-behind at
## SIGTERM/SIGKILL, timeouts, backup and restore, load and brute force, schemathesis and the real-browser suite.
## The store's and the server's tests then run once more on PostgreSQL, each in a schema of its own in a throwaway
## cluster, one at a time: hundreds of PostgreSQL-backed nodes at once, each following its change feed, swamp 2
## cores. (The SQLite file's own suites, its schema and backups, ran in the first pass.)
## They reuse the debug build `swift test` just made (with the PostgreSQL trait), so CI compiles everything once.
test: test-deps $(VENV)/.installed
	swift test $(TEST_TRAITS)
	e2e/with-postgres.sh env KEYSMITH_TEST_STORE=postgres swift test $(TEST_TRAITS) --skip-build --no-parallel \
		--filter 'KeysmithStoreTests|KeysmithServerTests' --skip 'SQLiteFileTests|BackupTests'
	swift build $(TEST_TRAITS) --product keysmith
	e2e/walkthrough.py
	e2e/proxies.py
	e2e/write-behind.sh
	e2e/server-process.py
	e2e/load.sh
	e2e/schemathesis.sh
	e2e/run-browser-tests.sh

## The real-browser suite alone, against the release build; screenshots in e2e/artifacts/.
e2e: test-deps release $(VENV)/.installed
	KEYSMITH_BIN=.build/release/keysmith e2e/run-browser-tests.sh

## Crash safety against the release build: 10 SIGKILLs at random moments under mixed load, each followed by a restart
## on the same database; then every acknowledged change, its audit entry, integrity, quota and usage are checked.
chaos: release
	KEYSMITH_BIN=.build/release/keysmith e2e/chaos.py

## The Python tools of the end-to-end checks, in a project-local venv (rebuilt when the requirements change).
$(VENV)/.installed: e2e/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r e2e/requirements.txt </dev/null
	touch $@

## Benchmarks against the release server on 127.0.0.1, each figure a ratio to a reference measured in the same
## run (run by hand on a quiet machine; figures go in the issue notes). The release build includes the PostgreSQL
## store, for the cluster case: three nodes on one throwaway PostgreSQL (bench/cluster.py).
bench: deps test-deps bench-deps
	swift build $(RELEASE) $(TEST_TRAITS) --product keysmith
	swift build $(RELEASE) $(TEST_TRAITS) --product hello-baseline
	bench/hot_path.py
	bench/keys-list.sh
	e2e/with-postgres.sh bench/cluster.py

bench-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="wrk sqlite3"

## libFuzzer over the token, CIDR, scope, header-template, expiry, form and JSON parsers, 1,000,000 executions each
## (FUZZ_RUNS=…, FUZZ_TARGETS="json form"); its own release build in .build-fuzz, slow the first time. Not part of
## `test`, which replays the committed corpus (Fuzz/corpus); `Fuzz/run.sh --merge` adds what a run found to it.
fuzz: deps
	Fuzz/run.sh $(FUZZ_TARGETS)

format:
	$(SWIFT_FORMAT) format --in-place --parallel --recursive Sources Tests Package.swift

lint:
	$(SWIFT_FORMAT) lint --strict --parallel --recursive Sources Tests Package.swift

clean:
	rm -rf .build .build-fuzz
