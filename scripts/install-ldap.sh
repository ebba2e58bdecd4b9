#!/usr/bin/env bash
# Installs OpenLDAP's server and client tools (Debian slapd + ldap-utils) when they are missing.
# Needs root. The package's postinst may try to start the system slapd; policy-rc.d usually denies
# that, and either way we never use /etc/ldap (start-slapd.sh builds a private config per DIR).
set -euo pipefail
if command -v slapd >/dev/null 2>&1 && command -v ldapsearch >/dev/null 2>&1 && command -v slapadd >/dev/null 2>&1; then
  echo "install-ldap: slapd and ldap-utils are already installed" >&2
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-ldap: slapd/ldap-utils are not installed and this is not root, so they cannot be installed with apt." >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-ldap: apt-get install slapd ldap-utils openssl" >&2
# scripts/test.sh runs several installs and wants one apt-get update: the first that needs it leaves the stamp.
if [ -z "${PROVISIO_APT_UPDATE_STAMP:-}" ] || [ ! -e "$PROVISIO_APT_UPDATE_STAMP" ]; then
  apt-get update -qq -o DPkg::Lock::Timeout=120 >/dev/null
  if [ -n "${PROVISIO_APT_UPDATE_STAMP:-}" ]; then touch "$PROVISIO_APT_UPDATE_STAMP"; fi
fi
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 slapd ldap-utils openssl >/dev/null
# Debian's postinst may have started a system slapd on :389 if policy-rc.d allowed it; we do not want it.
if command -v service >/dev/null 2>&1; then service slapd stop >/dev/null 2>&1 || true; fi
echo "install-ldap: done (slapd $(dpkg-query -W -f='${Version}' slapd))" >&2
