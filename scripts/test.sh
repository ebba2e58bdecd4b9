#!/usr/bin/env bash
# `npm test`: type-check, lint, then every test against real servers. Installs (as root, with apt)
# and starts what the tests need on loopback, and stops it afterwards. Where a server cannot be had,
# the suites that need it are skipped and named, and the rest still runs.
set -uo pipefail
cd "$(dirname "$0")/.."

free_port() {
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

work=$(mktemp -d /tmp/provisio-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  [ -d "$work/pg" ] && bash scripts/stop-postgres.sh "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

skipped=()
if [ -z "${PROVISIO_TEST_PG_URL:-}" ]; then
  if bash scripts/install-postgres.sh 2>"$work/pg-install.log"; then
    if url=$(bash scripts/start-postgres.sh "$work/pg" "$(free_port 55433)" 2>"$work/pg-start.log"); then
      export PROVISIO_TEST_PG_URL=$url
    else
      skipped+=("PostgreSQL vault suites: the server did not start ($(tail -n 1 "$work/pg-start.log"))")
    fi
  else
    skipped+=("PostgreSQL vault suites: $(tail -n 1 "$work/pg-install.log")")
  fi
fi

echo "# type-check"
npx tsc --noEmit -p . || exit 1
echo "# lint"
npx eslint --max-warnings 0 . || exit 1

for reason in "${skipped[@]}"; do echo "# skipped: $reason"; done
export PROVISIO_TEST_QUIET=1
mapfile -t files < <(find src test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
node --import tsx --test --test-concurrency=2 "${files[@]}"
