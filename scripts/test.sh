#!/usr/bin/env bash
# `npm test`: type-check, lint, then every test against real servers. Installs (as root, with apt)
# and starts what the tests need on loopback — PostgreSQL, an OpenLDAP slapd and a Samba AD DC —
# and stops them afterwards, also when tests fail or the run is interrupted. A server whose
# PROVISIO_TEST_* variables are already set is used as it is, nothing is started for it (see
# docs/development.md). Where a server cannot be had, the suites that need it are skipped and named,
# and the rest still runs.
#
# Usage: scripts/test.sh [TEST_FILE...]   with files: only those, without type-check and lint.
# PROVISIO_TEST_NO_INSTALL=1 never installs; PROVISIO_TEST_PG_PORT and PROVISIO_TEST_SLAPD_PORT are
# where the search for free ports starts (default 55433 and 3389). Samba AD's ports are fixed (389, 636).
set -uo pipefail
files=()
for file in "$@"; do files+=("$(readlink -f "$file")"); done
cd "$(dirname "$0")/.."
# slapd and samba live in /usr/sbin, which a non-root PATH often lacks; the install scripts look them up.
export PATH="$PATH:/usr/sbin:/sbin"

free_port() {
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
port_taken() { (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
last_line() { tail -n 1 "$1" 2>/dev/null; }

work=$(mktemp -d /tmp/provisio-test.XXXXXX)
chmod 755 "$work"
preparer=""
made_dist=0
cleanup() {
  trap '' INT TERM # a second Ctrl-C must not leave servers running
  # A server still being installed or started is waited for (apt is never cut off mid-install, and
  # each start script gives up within 30 s), so that it is stopped too.
  if [ -n "$preparer" ] && kill -0 "$preparer" 2>/dev/null; then
    echo "# waiting for the test servers to finish starting, to stop them" >&2
  fi
  [ -n "$preparer" ] && wait "$preparer" 2>/dev/null
  [ -d "$work/pg" ] && bash scripts/stop-postgres.sh "$work/pg" >/dev/null 2>&1
  [ -d "$work/slapd" ] && bash scripts/stop-slapd.sh "$work/slapd" >/dev/null 2>&1
  [ -d "$work/samba" ] && bash scripts/stop-samba-ad.sh "$work/samba" >/dev/null 2>&1
  rm -rf "$work"
  if [ "$made_dist" = 1 ]; then rm -rf dist; fi
}
child=""
on_signal() {
  [ -n "$child" ] && kill -TERM -- "-$child" 2>/dev/null
  exit "$1"
}
# Runs a command as its own process group in the background and waits for it: bash runs a trap
# only after a foreground command ends but interrupts `wait` at once, so INT and TERM stop the run
# (the whole group: npx's and the test runner's children too) without delay.
run() {
  setsid "$@" &
  child=$!
  wait "$child"
}
trap cleanup EXIT

# What to start: every server the environment does not already name.
want_pg=0 want_ldap=0 want_ad=0
[ -z "${PROVISIO_TEST_PG_URL:-}" ] && want_pg=1
[ -z "${PROVISIO_TEST_LDAPS_URL:-}" ] && want_ldap=1
[ -z "${PROVISIO_TEST_AD_URL:-}" ] && want_ad=1
if [ "$want_ad" = 1 ] && port_taken 636; then
  echo "Samba AD suites: port 636 on 127.0.0.1 is taken (another DC or LDAP server?) and a Samba AD DC needs it; to test against that server, set PROVISIO_TEST_AD_URL and PROVISIO_TEST_AD_CA" >"$work/ad.skip"
  want_ad=0
fi

# Each step leaves $work/<server>.env (the variables to export) or $work/<server>.skip (why not).
install_server() { # install_server <server> <script>: one after the other, never two apt runs at once
  [ "${PROVISIO_TEST_NO_INSTALL:-}" = 1 ] && return 0
  bash "scripts/$2" 2>"$work/$1-install.log"
}
start_pg() {
  local url
  if url=$(bash scripts/start-postgres.sh "$work/pg" "$(free_port "${PROVISIO_TEST_PG_PORT:-55433}")" 2>"$work/pg-start.log"); then
    printf 'export PROVISIO_TEST_PG_URL=%q\n' "$url" >"$work/pg.env"
  else
    echo "PostgreSQL vault suites: the server did not start ($(last_line "$work/pg-start.log"))" >"$work/pg.skip"
  fi
}
start_slapd() {
  local port sport out
  port=$(free_port "${PROVISIO_TEST_SLAPD_PORT:-3389}")
  sport=$(free_port $((port + 1)))
  if out=$(bash scripts/start-slapd.sh "$work/slapd" "$port" "$sport" 2>"$work/slapd-start.log"); then
    mapfile -t lines <<<"$out"
    printf 'export PROVISIO_TEST_LDAP_URL=%q PROVISIO_TEST_LDAPS_URL=%q PROVISIO_TEST_LDAP_CA=%q\n' \
      "${lines[0]}" "${lines[1]}" "${lines[2]}" >"$work/ldap.env"
  else
    echo "OpenLDAP suites: slapd did not start ($(last_line "$work/slapd-start.log"))" >"$work/ldap.skip"
  fi
}
start_ad() {
  local out
  if out=$(bash scripts/start-samba-ad.sh "$work/samba" 2>"$work/ad-start.log"); then
    mapfile -t lines <<<"$out"
    printf 'export PROVISIO_TEST_AD_URL=%q PROVISIO_TEST_AD_CA=%q\n' "${lines[0]}" "${lines[2]}" >"$work/ad.env"
  else
    echo "Samba AD suites: the DC did not start ($(last_line "$work/ad-start.log"))" >"$work/ad.skip"
  fi
}
prepare_servers() {
  # One apt-get update for all installs: the install scripts skip theirs once this stamp exists.
  export PROVISIO_APT_UPDATE_STAMP="$work/apt-updated"
  if [ "$want_pg" = 1 ]; then
    if install_server pg install-postgres.sh; then start_pg & else
      echo "PostgreSQL vault suites: $(last_line "$work/pg-install.log")" >"$work/pg.skip"
    fi
  fi
  if [ "$want_ldap" = 1 ]; then
    if install_server ldap install-ldap.sh; then start_slapd & else
      echo "OpenLDAP suites: $(last_line "$work/ldap-install.log")" >"$work/ldap.skip"
    fi
  fi
  if [ "$want_ad" = 1 ]; then
    if install_server ad install-samba.sh; then start_ad & else
      echo "Samba AD suites: $(last_line "$work/ad-install.log")" >"$work/ad.skip"
    fi
  fi
  if [ -z "${PROVISIO_TEST_CHROMIUM:-}" ] && ! install_server chromium install-chromium.sh; then
    echo "Studio browser suites: $(last_line "$work/chromium-install.log")" >"$work/chromium.skip"
  fi
  wait # for the starts, which run side by side
}

# The servers install and start in the background while the code is type-checked and linted. An
# interrupt must not cut that off (apt mid-install, a server half started and then not stopped): it
# ignores INT and TERM, and cleanup waits for it, then stops what it started.
trap '' INT TERM
prepare_servers </dev/null >"$work/prepare.log" 2>&1 &
preparer=$!
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

if [ ${#files[@]} -eq 0 ]; then
  echo "# type-check"
  run npx tsc --noEmit -p . || exit 1
  run npx tsc --noEmit -p web/tsconfig.json || exit 1
  echo "# lint"
  run npx eslint --max-warnings 0 . || exit 1
  mapfile -t files < <(find src test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
fi

# Longest first, so that the two runners end together: the Samba AD story (minutes on its own),
# then the other end-to-end files, then the many short ones, which fill in at the end.
mapfile -t files < <(printf '%s\n' "${files[@]}" |
  awk '{ print (/ad-hr500\.test\.ts$/ ? 0 : /(^|\/)test\/e2e\// ? 1 : 2) "\t" $0 }' | sort -k1,1n -k2 | cut -f2-)

# The browser suites drive the built Studio: build it (about a second) whatever files were named.
echo "# build the Studio"
run npm run --silent build:studio || exit 1

# The end-to-end suites run the `provisio` command hundreds of times. bin/provisio.mjs runs the
# compiled build when there is one and the sources through tsx otherwise, which costs about half a
# second more per command (~30% of those suites' time). So: compile it afresh (about 10 s; an older
# build would test old code), and remove it afterwards when this run made it, so that no build is
# left to shadow later source edits.
echo "# compile the command for the end-to-end suites"
[ -e dist ] || made_dist=1
run npm run --silent build || exit 1

wait "$preparer"
skipped=()
for server in pg ldap ad chromium; do
  # shellcheck disable=SC1090
  [ -f "$work/$server.env" ] && source "$work/$server.env"
  [ -f "$work/$server.skip" ] && skipped+=("$(cat "$work/$server.skip")")
done
for reason in "${skipped[@]}"; do echo "# skipped: $reason"; done
export PROVISIO_TEST_QUIET=1
# TAP on stdout as before (CI reads its summary); each file's time into a file, its head printed
# after the summary: where the minutes go.
run node --import tsx --test --test-concurrency=2 \
  --test-reporter=tap --test-reporter-destination=stdout \
  --test-reporter=./scripts/test-file-times.mjs --test-reporter-destination="$work/file-times.txt" \
  "${files[@]}"
status=$?
if [ -s "$work/file-times.txt" ]; then
  echo "# the slowest test files (seconds of their tests; two run side by side):"
  head -n 12 "$work/file-times.txt" | sed "s|$PWD/||; s|^|#   |"
fi
exit "$status"
