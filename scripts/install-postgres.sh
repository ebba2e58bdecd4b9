#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages when it is missing. Needs root; prints why it cannot otherwise.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "install-postgres: PostgreSQL is not installed and this is not root, so it cannot be installed with apt." >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
# apt's lists may be missing on a fresh machine; the lock may be held by a parallel install for a moment.
# scripts/test.sh runs several installs and wants one apt-get update: the first that needs it leaves the stamp.
if [ -z "${PROVISIO_APT_UPDATE_STAMP:-}" ] || [ ! -e "$PROVISIO_APT_UPDATE_STAMP" ]; then
  apt-get update -qq -o DPkg::Lock::Timeout=120 >/dev/null
  if [ -n "${PROVISIO_APT_UPDATE_STAMP:-}" ]; then touch "$PROVISIO_APT_UPDATE_STAMP"; fi
fi
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 postgresql >/dev/null
