#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for tests and benchmarks.
# Usage: scripts/start-postgres.sh DIR PORT   → prints the connection URL on stdout.
# Stop it with scripts/stop-postgres.sh DIR.
set -euo pipefail
dir=${1:?usage: start-postgres.sh DIR PORT}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
run() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
# The postgres user must be able to reach DIR; /tmp-like parents are fine, a root-only home is not.
if [ ! -f "$dir/data/PG_VERSION" ]; then
  run "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || run "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
fi
run "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
run "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres vault 2>/dev/null || true
echo "postgres://postgres@127.0.0.1:$port/vault"
