#!/usr/bin/env bash
# Stops the slapd started by start-slapd.sh DIR (no-op when it is not running).
set -euo pipefail
dir=${1:?usage: stop-slapd.sh DIR}
[ -f "$dir/slapd.pid" ] || exit 0
pid=$(cat "$dir/slapd.pid")
if kill -0 "$pid" 2>/dev/null && grep -q slapd "/proc/$pid/comm" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
fi
rm -f "$dir/slapd.pid" "$dir/slapd.args" "$dir/ldapi"
