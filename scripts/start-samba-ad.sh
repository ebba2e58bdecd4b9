#!/usr/bin/env bash
# Provisions and starts a throwaway Samba AD DC (realm EXAMPLE.TEST, NetBIOS domain EXAMPLE) on loopback.
# Usage: scripts/start-samba-ad.sh DIR
#   → prints three lines on stdout: the ldaps:// URL, the bind DN, the CA file.
# Bind as CN=Administrator,CN=Users,DC=example,DC=test (or Administrator@EXAMPLE.TEST) with the TEST-ONLY
# password "Passw0rd!Test" (see docs/development.md). Password complexity, length, history and age checks are off.
# Ports are fixed by Samba (389, 636, 3268, 3269 on 127.0.0.1), so only one DC can run per network namespace.
# Plain-LDAP simple binds are refused by Samba ("strong auth required"); use LDAPS.
# The server cert (CA at DIR/private/tls/ca.pem) is made here and names DC1.example.test, localhost and
# 127.0.0.1, so normal TLS hostname checks pass for ldaps://127.0.0.1.
# Each start provisions a fresh domain in DIR (the CA and server cert are kept); if the DC of DIR is already
# running it is left alone and only its details are printed. Stop it with scripts/stop-samba-ad.sh DIR.
set -euo pipefail
dir=${1:?usage: start-samba-ad.sh DIR}
password='Passw0rd!Test' # test-only
binddn="CN=Administrator,CN=Users,DC=example,DC=test"
url="ldaps://127.0.0.1:636"
die() { echo "start-samba-ad: $*" >&2; exit 1; }
export PATH="$PATH:/usr/sbin:/sbin"
command -v samba >/dev/null 2>&1 && command -v samba-tool >/dev/null 2>&1 || die "Samba AD DC is not installed; run scripts/install-samba.sh (as root)"
command -v ldapsearch >/dev/null 2>&1 || die "ldapsearch is not installed; run scripts/install-samba.sh (as root)"
[ "$(id -u)" = "0" ] || die "Samba AD DC must run as root (it binds to the fixed ports 389/636)"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ca="$dir/private/tls/ca.pem"
tlsdir="$dir/tls" # kept across restarts; copied into private/tls after each provision

ready() { LDAPTLS_CACERT="$ca" LDAPTLS_REQCERT=demand ldapsearch -x -o nettimeout=2 -H "$url" -D "$binddn" -w "$password" -b "" -s base dn >/dev/null 2>&1; }
print_info() { echo "$url"; echo "$binddn"; echo "$ca"; }
group_kill() { # the daemon runs in its own session; its pid is also its process group
  local pid=$1
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- "-$pid" 2>/dev/null || true
}

if [ -f "$dir/samba.pid" ] && kill -0 "$(cat "$dir/samba.pid")" 2>/dev/null; then
  ready || die "a Samba (pid $(cat "$dir/samba.pid")) already runs for $dir but does not answer on $url; stop it with scripts/stop-samba-ad.sh $dir"
  print_info; exit 0
fi
for p in 389 636 3268 3269; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p on 127.0.0.1 is already in use (another DC or LDAP server?)"; fi
done

if [ ! -s "$tlsdir/cert.pem" ] || [ ! -s "$tlsdir/key.pem" ] || [ ! -s "$tlsdir/ca.pem" ]; then
  mkdir -p "$tlsdir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Provisio test AD CA" \
    -keyout "$tlsdir/ca.key" -out "$tlsdir/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=DC1.example.test" \
    -keyout "$tlsdir/key.pem" -out "$tlsdir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:DC1.example.test,DNS:example.test,DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >"$tlsdir/server.ext"
  openssl x509 -req -in "$tlsdir/server.csr" -CA "$tlsdir/ca.pem" -CAkey "$tlsdir/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tlsdir/server.ext" -out "$tlsdir/cert.pem" >/dev/null 2>&1
  rm -f "$tlsdir/server.csr" "$tlsdir/server.ext" "$tlsdir/ca.srl"
  chmod 600 "$tlsdir/ca.key" "$tlsdir/key.pem"
fi

rm -rf "$dir/etc" "$dir/private" "$dir/state" "$dir/cache" "$dir/bind-dns" "$dir/samba.pid" "$dir"/log.*
samba-tool domain provision --realm=EXAMPLE.TEST --domain=EXAMPLE --server-role=dc --dns-backend=NONE \
  --adminpass="$password" --host-name=dc1 --targetdir="$dir" \
  --option="interfaces=lo" --option="bind interfaces only=yes" \
  --option="server services=ldap" --option="prefork children=1" \
  --option="pid directory=$dir" --option="log file=$dir/log.%m" >"$dir/provision.log" 2>&1 \
  || { tail -n 20 "$dir/provision.log" >&2; die "samba-tool domain provision failed (log above, full log $dir/provision.log)"; }
samba-tool domain passwordsettings set --complexity=off --min-pwd-length=0 --history-length=0 --min-pwd-age=0 --max-pwd-age=0 \
  -H "$dir/private/sam.ldb" >>"$dir/provision.log" 2>&1 \
  || { tail -n 20 "$dir/provision.log" >&2; die "turning password complexity off failed (log $dir/provision.log)"; }
# Samba uses private/tls/{key,cert,ca}.pem when they exist instead of generating its own.
mkdir -p "$dir/private/tls"
cp "$tlsdir/key.pem" "$tlsdir/cert.pem" "$tlsdir/ca.pem" "$dir/private/tls/"
chmod 600 "$dir/private/tls/key.pem"

setsid samba -s "$dir/etc/smb.conf" -D </dev/null >"$dir/samba-start.log" 2>&1 \
  || { cat "$dir/samba-start.log" >&2; die "samba failed to start (log above, see also $dir/log.samba)"; }
pid=""
for _ in $(seq 1 50); do [ -s "$dir/samba.pid" ] && pid=$(tr -d ' \n' <"$dir/samba.pid") && [ -n "$pid" ] && break; sleep 0.1; done
[ -n "$pid" ] || die "samba did not write $dir/samba.pid within 5 s (see $dir/log.samba)"
trap 'group_kill "$pid"; rm -f "$dir/samba.pid"' ERR INT TERM
for _ in $(seq 1 300); do # up to about 30 s
  if ! kill -0 "$pid" 2>/dev/null; then
    trap - ERR INT TERM; rm -f "$dir/samba.pid"
    tail -n 20 "$dir/log.samba" >&2 || true
    die "samba exited during startup (log above, full log $dir/log.samba)"
  fi
  if ready; then trap - ERR INT TERM; print_info; exit 0; fi
  sleep 0.1
done
trap - ERR INT TERM
group_kill "$pid"; rm -f "$dir/samba.pid"
tail -n 20 "$dir/log.samba" >&2 || true
die "Samba did not answer an LDAPS bind as Administrator on $url within 30 s; stopped it (log $dir/log.samba)"
