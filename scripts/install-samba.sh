#!/usr/bin/env bash
# Installs a Samba AD DC (Debian samba + samba-ad-dc and friends) plus ldap-utils when missing.
# Needs root. The packages' postinst may try to start system smbd/nmbd/samba-ad-dc; policy-rc.d usually
# denies that, and start-samba-ad.sh never uses /etc/samba (it provisions into its own DIR).
set -euo pipefail
if command -v samba >/dev/null 2>&1 && command -v samba-tool >/dev/null 2>&1 && command -v ldapsearch >/dev/null 2>&1; then
  echo "install-samba: samba AD DC and ldap-utils are already installed" >&2
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-samba: Samba AD DC is not installed and this is not root, so it cannot be installed with apt." >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
pkgs="samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind python3-samba ldap-utils"
echo "install-samba: apt-get install $pkgs" >&2
# scripts/test.sh runs several installs and wants one apt-get update: the first that needs it leaves the stamp.
if [ -z "${PROVISIO_APT_UPDATE_STAMP:-}" ] || [ ! -e "$PROVISIO_APT_UPDATE_STAMP" ]; then
  apt-get update -qq -o DPkg::Lock::Timeout=120 >/dev/null
  if [ -n "${PROVISIO_APT_UPDATE_STAMP:-}" ]; then touch "$PROVISIO_APT_UPDATE_STAMP"; fi
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 $pkgs >/dev/null
# If policy-rc.d allowed the system daemons to start, stop them: they would hold the fixed AD ports.
if command -v service >/dev/null 2>&1; then
  for s in samba-ad-dc smbd nmbd winbind; do service "$s" stop >/dev/null 2>&1 || true; done
fi
echo "install-samba: done (samba $(dpkg-query -W -f='${Version}' samba))" >&2
