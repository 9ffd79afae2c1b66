#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster: initdb in a temporary folder, a free loopback port, trust
# authentication for a `keysmith` role that owns a `keysmith` database. The command sees the cluster's URL as
# KEYSMITH_TEST_POSTGRES (and its pieces as PGHOST/PGPORT/PGUSER, for psql); the cluster is stopped and removed
# when the command ends, however it ends.
#
#   e2e/with-postgres.sh swift test --traits PostgreSQL
#
# PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user Debian's package creates.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: e2e/with-postgres.sh COMMAND [ARGS...]" >&2
  exit 2
fi

bin=""
for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && bin="$candidate"; done
if [ -z "$bin" ]; then
  echo "with-postgres: no PostgreSQL server found (make test-deps installs Debian's postgresql)" >&2
  exit 1
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); fi

folder="$(mktemp -d /tmp/keysmith-pg.XXXXXX)"
chmod 755 "$folder"
[ ${#as_owner[@]} -eq 0 ] || chown postgres "$folder"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$folder/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 ||
  { cat "$folder/initdb.log" >&2; exit 1; }
# fsync off: a throwaway cluster's data need not survive a power cut, and the tests write a lot.
"${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $folder -c fsync=off -c synchronous_commit=off -c max_connections=1000" \
  start >/dev/null || { cat "$folder/server.log" >&2; exit 1; }
"$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE keysmith LOGIN CREATEDB" -c "CREATE DATABASE keysmith OWNER keysmith" >/dev/null

export KEYSMITH_TEST_POSTGRES="postgres://keysmith@127.0.0.1:$port/keysmith?sslmode=disable"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=keysmith PGDATABASE=keysmith
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($folder)" >&2
"$@"
