#!/usr/bin/env bash
# Starts a throwaway OpenLDAP server (slapd) on loopback for tests.
# Usage: scripts/start-slapd.sh DIR PORT LDAPS_PORT
#   → prints three lines on stdout: the ldap:// URL (StartTLS works on it), the ldaps:// URL, the CA file.
# Suffix dc=example,dc=test with ou=people and ou=groups; bind as cn=admin,dc=example,dc=test with the
# TEST-ONLY password "secret" (see docs/development.md). Schemas core, cosine, nis, inetorgperson;
# memberof + refint overlays (groupOfNames/member → memberOf); paged results and entryUUID are built in.
# Each start builds a fresh config and an empty directory in DIR (the CA and server cert in DIR are kept
# and reused); if the slapd of DIR is already running it is left alone and only its URLs are printed.
# Stop it with scripts/stop-slapd.sh DIR.
# Optional environment, for benchmarks (unset: the defaults above and below):
#   SLAPD_LOAD_LDIF=FILE   more entries loaded offline with `slapadd -q` after the base entries, before the
#                          server starts (far faster than adding them over LDAP: ~100k entries in seconds)
#   SLAPD_DBNOSYNC=1       olcDbNoSync TRUE: the mdb database does not flush to disk on every commit
#   SLAPD_MAXSIZE=BYTES    olcDbMaxSize of the mdb database (default 1073741824, 1 GiB)
set -euo pipefail
usage="usage: start-slapd.sh DIR PORT LDAPS_PORT"
dir=${1:?$usage}
port=${2:-3389}
sport=${3:-3636}
suffix="dc=example,dc=test"
admin="cn=admin,$suffix"
password="secret" # test-only
die() { echo "start-slapd: $*" >&2; exit 1; }
command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || die "slapd is not installed; run scripts/install-ldap.sh (as root)"
command -v ldapsearch >/dev/null 2>&1 || die "ldapsearch is not installed; run scripts/install-ldap.sh (as root)"
export PATH="$PATH:/usr/sbin:/sbin"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ca="$dir/ca.pem"
ldap_url="ldap://127.0.0.1:$port"
ldaps_url="ldaps://127.0.0.1:$sport"

ready() { # a bind as admin plus a base search over LDAPS, StartTLS and plain LDAP
  LDAPTLS_CACERT="$ca" LDAPTLS_REQCERT=demand ldapsearch -x -o nettimeout=2 -H "$ldaps_url" -D "$admin" -w "$password" -b "$suffix" -s base dn >/dev/null 2>&1 &&
  LDAPTLS_CACERT="$ca" LDAPTLS_REQCERT=demand ldapsearch -x -ZZ -o nettimeout=2 -H "$ldap_url" -D "$admin" -w "$password" -b "$suffix" -s base dn >/dev/null 2>&1
}
print_urls() { echo "$ldap_url"; echo "$ldaps_url"; echo "$ca"; }

if [ -f "$dir/slapd.pid" ] && kill -0 "$(cat "$dir/slapd.pid")" 2>/dev/null; then
  ready || die "a slapd (pid $(cat "$dir/slapd.pid")) already runs for $dir but does not answer on $ldap_url/$ldaps_url; stop it with scripts/stop-slapd.sh $dir"
  print_urls; exit 0
fi
for p in "$port" "$sport"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p on 127.0.0.1 is already in use"; fi
done

# Self-signed CA plus a server cert for 127.0.0.1/localhost, kept across restarts of the same DIR.
if [ ! -s "$dir/server.pem" ] || [ ! -s "$dir/server.key" ] || [ ! -s "$ca" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=Provisio test CA" -keyout "$dir/ca.key" -out "$ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$ca" -CAkey "$dir/ca.key" -CAcreateserial -days 3650 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" >/dev/null 2>&1
  rm -f "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl"
  chmod 600 "$dir/ca.key" "$dir/server.key"
fi

rm -rf "$dir/slapd.d" "$dir/data"
mkdir -p "$dir/slapd.d" "$dir/data"
hash=$(slappasswd -s "$password")
# ldapi (for cn=config changes as this OS user via -Y EXTERNAL) only when the socket path fits.
ldapi=""
if [ ${#dir} -le 90 ]; then ldapi="ldapi://$(printf '%s' "$dir/ldapi" | sed 's|/|%2F|g')"; fi
cat >"$dir/config.ldif" <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/slapd.pid
olcArgsFile: $dir/slapd.args
olcTLSCACertificateFile: $ca
olcTLSCertificateFile: $dir/server.pem
olcTLSCertificateKeyFile: $dir/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: {0}back_mdb
olcModuleLoad: {1}memberof
olcModuleLoad: {2}refint

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=gidNumber=$(id -g)+uidNumber=$(id -u),cn=peercred,cn=external,cn=auth manage by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: $dir/data
olcDbMaxSize: ${SLAPD_MAXSIZE:-1073741824}${SLAPD_DBNOSYNC:+
olcDbNoSync: TRUE}
olcSuffix: $suffix
olcRootDN: $admin
olcRootPW: $hash
olcDbIndex: objectClass eq
olcDbIndex: entryUUID eq
olcDbIndex: uid,cn,mail,member,memberUid eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by self write by users read by * none

dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfRefInt: TRUE
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf

dn: olcOverlay={1}refint,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcRefintConfig
olcOverlay: {1}refint
olcRefintAttribute: member
LDIF
cat >"$dir/base.ldif" <<LDIF
dn: $suffix
objectClass: dcObject
objectClass: organization
dc: example
o: Example Test

dn: ou=people,$suffix
objectClass: organizationalUnit
ou: people

dn: ou=groups,$suffix
objectClass: organizationalUnit
ou: groups
LDIF
slapadd -n 0 -F "$dir/slapd.d" -l "$dir/config.ldif" >"$dir/slapadd.log" 2>&1 \
  || { cat "$dir/slapadd.log" >&2; die "building cn=config with slapadd failed (log above)"; }
slapadd -b "$suffix" -F "$dir/slapd.d" -l "$dir/base.ldif" >>"$dir/slapadd.log" 2>&1 \
  || { cat "$dir/slapadd.log" >&2; die "loading $suffix with slapadd failed (log above)"; }
if [ -n "${SLAPD_LOAD_LDIF:-}" ]; then
  slapadd -q -b "$suffix" -F "$dir/slapd.d" -l "$SLAPD_LOAD_LDIF" >>"$dir/slapadd.log" 2>&1 \
    || { tail -n 20 "$dir/slapadd.log" >&2; die "loading $SLAPD_LOAD_LDIF with slapadd failed (log above)"; }
fi

# Foreground slapd (-d) in its own session, so its log goes to DIR/slapd.log and it holds no caller's pipes.
rm -f "$dir/slapd.pid"
setsid slapd -d "${SLAPD_DEBUG:-none}" -F "$dir/slapd.d" -h "$ldap_url/ $ldaps_url/${ldapi:+ $ldapi}" \
  </dev/null >"$dir/slapd.log" 2>&1 &
pid=$!
echo "$pid" >"$dir/slapd.pid" # slapd writes the same pid itself once it runs
cleanup() { kill "$pid" 2>/dev/null || true; sleep 0.2; kill -9 "$pid" 2>/dev/null || true; rm -f "$dir/slapd.pid"; }
trap 'cleanup' ERR INT TERM
for _ in $(seq 1 100); do # up to about 10 s
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$dir/slapd.log" >&2; rm -f "$dir/slapd.pid"; die "slapd exited during startup (log above, full log $dir/slapd.log)"
  fi
  if ready; then trap - ERR INT TERM; print_urls; exit 0; fi
  sleep 0.1
done
cleanup
tail -n 20 "$dir/slapd.log" >&2
die "slapd did not answer a bind on $ldap_url (StartTLS) and $ldaps_url within 10 s; stopped it (log $dir/slapd.log)"
