#!/usr/bin/env bash
# Installs Debian's Chromium for the Studio's browser tests (driven by playwright-core, which never
# downloads a browser) when it is missing. Needs root; prints why it cannot otherwise.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "install-chromium: Chromium is not installed and this is not root, so it cannot be installed with apt." >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
if [ -z "${PROVISIO_APT_UPDATE_STAMP:-}" ] || [ ! -e "$PROVISIO_APT_UPDATE_STAMP" ]; then
  apt-get update -qq -o DPkg::Lock::Timeout=120 >/dev/null
  if [ -n "${PROVISIO_APT_UPDATE_STAMP:-}" ]; then touch "$PROVISIO_APT_UPDATE_STAMP"; fi
fi
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 chromium >/dev/null
