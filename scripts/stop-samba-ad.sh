#!/usr/bin/env bash
# Stops the Samba AD DC started by start-samba-ad.sh DIR, with all its child processes (no-op when not running).
set -euo pipefail
dir=${1:?usage: stop-samba-ad.sh DIR}
[ -f "$dir/samba.pid" ] || exit 0
pid=$(tr -d ' \n' <"$dir/samba.pid")
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q samba "/proc/$pid/comm" 2>/dev/null; then
  # samba -D puts itself in its own session, so its pid is the process group of all its workers.
  kill -- "-$pid" 2>/dev/null || kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- "-$pid" 2>/dev/null || true
fi
rm -f "$dir/samba.pid"
