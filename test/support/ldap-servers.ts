/**
 * Real directories for the LDAP connector's tests: an OpenLDAP slapd and a Samba AD domain
 * controller, started on loopback by scripts/test.sh (scripts/start-slapd.sh, start-samba-ad.sh),
 * which passes them on in environment variables. A suite whose server is absent is skipped with
 * the reason `skipReason` gives, and the rest of the run goes on.
 *
 * Each test works in an OU of its own (`freshOu`), created with a plain ldapts client and removed
 * with everything in it afterwards, so that tests never see each other's entries: the Samba DC is
 * one per machine and shared by every test file.
 */
import { readFileSync } from 'node:fs'
import { Client } from 'ldapts'
import { parseDn } from '../../src/connectors/ldap/ldap-dn.ts'

export type DirectoryKind = 'ldap' | 'ad'

export interface TestDirectory {
  readonly kind: DirectoryKind
  /** What a System's `config:` needs (the password as a literal: tests pass it through `env`). */
  readonly url: string
  /** slapd: the plain ldap:// URL beside `url` (ldaps://), for StartTLS tests; AD: undefined. */
  readonly plainUrl: string | undefined
  readonly bindDN: string
  readonly password: string
  readonly baseDN: string
  /** The PEM file of the CA that issued the server's certificate. */
  readonly caFile: string
}

const env = process.env

/** slapd from PROVISIO_TEST_LDAP_URL (ldap://), PROVISIO_TEST_LDAPS_URL, PROVISIO_TEST_LDAP_CA. */
export const LDAP_SERVER: TestDirectory | undefined =
  env['PROVISIO_TEST_LDAPS_URL'] && env['PROVISIO_TEST_LDAP_CA']
    ? {
        kind: 'ldap',
        url: env['PROVISIO_TEST_LDAPS_URL'],
        plainUrl: env['PROVISIO_TEST_LDAP_URL'],
        bindDN: 'cn=admin,dc=example,dc=test',
        password: 'secret',
        baseDN: 'dc=example,dc=test',
        caFile: env['PROVISIO_TEST_LDAP_CA'],
      }
    : undefined

/** Samba AD from PROVISIO_TEST_AD_URL (ldaps://) and PROVISIO_TEST_AD_CA. */
export const AD_SERVER: TestDirectory | undefined =
  env['PROVISIO_TEST_AD_URL'] && env['PROVISIO_TEST_AD_CA']
    ? {
        kind: 'ad',
        url: env['PROVISIO_TEST_AD_URL'],
        plainUrl: undefined,
        bindDN: 'CN=Administrator,CN=Users,DC=example,DC=test',
        password: 'Passw0rd!Test',
        baseDN: 'DC=example,DC=test',
        caFile: env['PROVISIO_TEST_AD_CA'],
      }
    : undefined

/** The servers present, for `for (const server of TEST_DIRECTORIES)` suites. */
export const TEST_DIRECTORIES: readonly TestDirectory[] = [LDAP_SERVER, AD_SERVER].filter(
  (s): s is TestDirectory => s !== undefined,
)

/** Why a suite for `kind` is skipped, or false when its server is there (for `describe(…, { skip })`). */
export function skipReason(kind: DirectoryKind): string | false {
  if (kind === 'ldap' && LDAP_SERVER === undefined)
    return 'no OpenLDAP slapd (PROVISIO_TEST_LDAPS_URL unset; npm test starts one as root)'
  if (kind === 'ad' && AD_SERVER === undefined)
    return 'no Samba AD DC (PROVISIO_TEST_AD_URL unset; npm test starts one as root)'
  return false
}

/** A bound plain ldapts client, for setting up and inspecting what the connector did. Unbind it. */
export async function adminClient(server: TestDirectory): Promise<Client> {
  const client = new Client({ url: server.url, tlsOptions: { ca: readFileSync(server.caFile) } })
  await client.bind(server.bindDN, server.password)
  return client
}

/** The raw `config:` of an LDAP system on `server`; the password comes from env TEST_LDAP_PASSWORD (see `testEnv`). */
export function systemConfig(server: TestDirectory, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    flavour: server.kind,
    url: server.url,
    bindDN: server.bindDN,
    password: '${env:TEST_LDAP_PASSWORD}',
    baseDN: server.baseDN,
    tls: { ca: server.caFile },
    ...overrides,
  }
}

/** The environment `systemConfig`'s reference resolves in. */
export function testEnv(server: TestDirectory): Record<string, string> {
  return { TEST_LDAP_PASSWORD: server.password }
}

let counter = 0

/** Deletes `dn` and everything below it, children first. */
export async function deleteTree(client: Client, dn: string): Promise<void> {
  let entries: { dn: string }[]
  try {
    ;({ searchEntries: entries } = await client.search(dn, { scope: 'sub', attributes: ['1.1'], paged: true }))
  } catch {
    return // already gone
  }
  // Deepest first: a DN with more RDNs is further down (parsed: AD writes a value ending in a
  // backslash as `\\`, so a comma after a backslash may still separate RDNs).
  const depth = (d: string) => parseDn(d).length
  for (const entry of entries.sort((a, b) => depth(b.dn) - depth(a.dn))) {
    await client.del(entry.dn).catch(() => undefined)
  }
}

export interface FreshOu {
  /** The OU's DN: use it as the base of every table of the test. */
  readonly dn: string
  readonly client: Client
  /** Creates a child OU (`OU=name,<dn>`) and returns its DN. */
  child(name: string): Promise<string>
  /** Deletes the OU and everything in it, and unbinds. */
  remove(): Promise<void>
}

/** An empty OU of the test's own under the server's base DN. */
export async function freshOu(server: TestDirectory, label = 'test'): Promise<FreshOu> {
  const client = await adminClient(server)
  const name = `${label}-${process.pid}-${Date.now().toString(36)}-${counter++}`
  const ou = server.kind === 'ad' ? 'OU' : 'ou'
  const dn = `${ou}=${name},${server.baseDN}`
  await client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: name })
  return {
    dn,
    client,
    async child(childName: string) {
      const childDn = `${ou}=${childName},${dn}`
      await client.add(childDn, { objectClass: ['top', 'organizationalUnit'], ou: childName })
      return childDn
    },
    async remove() {
      try {
        await deleteTree(client, dn)
      } finally {
        await client.unbind().catch(() => undefined)
      }
    },
  }
}
