#!/usr/bin/env bash
# Stops the cluster started by start-postgres.sh DIR.
set -euo pipefail
dir=${1:?usage: stop-postgres.sh DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -f "$dir/data/postmaster.pid" ] || exit 0
if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null
else "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null; fi
