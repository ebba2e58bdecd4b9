/**
 * The LDAP connector passes the shared conformance suite on both flavours: `ldap` against the
 * OpenLDAP slapd and `ad` against the Samba AD DC that npm test starts (or PROVISIO_TEST_* names).
 * Each subject works in an OU of its own (freshOu), removed afterwards: the DC is shared.
 *
 * The accounts table is a users table keyed by the directory's identifier (entryUUID on ldap,
 * objectGUID on ad) with the DN as reference key; its RDN value and other text carry hostile
 * characters, so DN and filter escaping are exercised on every create, read and lookup.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Client } from 'ldapts'
import { escapeDnValue, type FunctionSchema, type Row } from '../../src/core/index.ts'
import { type ConformanceFixture, describeConformance, hostileText } from '../../src/connectors/conformance/index.ts'
import { ldapConnector } from '../../src/connectors/ldap/index.ts'
import {
  AD_SERVER,
  freshOu,
  LDAP_SERVER,
  skipReason,
  systemConfig,
  testEnv,
  type TestDirectory,
} from '../support/ldap-servers.ts'
import { tableOf } from '../support/sql-targets.ts'

const PAGE_SIZE = 5
const WRONG_PASSWORD = 'Wr0ng-Conformance-Pw!'

/** Short and unique on the shared DC: sAMAccountName allows 20 characters and no specials. */
const RUN = `${(process.pid % 1000).toString(36)}${Date.now().toString(36).slice(-4)}`

function usersTable(server: TestDirectory, base: string) {
  const ad = server.kind === 'ad'
  const columns = ad
    ? [
        'objectGUID',
        'dn',
        { name: 'sAMAccountName', caseInsensitive: true },
        'cn',
        'sn',
        'description',
        'enabled:boolean',
      ]
    : ['entryUUID', 'dn', 'uid', 'cn', 'sn', 'description']
  return tableOf('users', columns, {
    primaryKey: ad ? 'objectGUID' : 'entryUUID',
    referenceKeys: ['dn'],
    options: { base },
  })
}

function userRow(server: TestDirectory, index: number, create: FunctionSchema | undefined): Row {
  const row: Row = {
    cn: hostileText(`u${index}`, index),
    sn: hostileText(`Sn${index}`, index + 1),
    description: hostileText(`Desc ${index}`, index + 2),
  }
  if (server.kind === 'ad') {
    row['sAMAccountName'] = `c${RUN}${index}`
  } else {
    row['uid'] = hostileText(`uid${index}`, index + 3)
  }
  const parameters = new Set(create?.parameters.map((p) => p.name))
  if (parameters.has('password')) row['password'] = `Pw-${index}-S3cr3t!`
  if (parameters.has('enabled') && server.kind === 'ad') row['enabled'] = true
  return row
}

/** The DN of `dn` as the server spells it (what the connector reads back). */
async function serverDn(client: Client, dn: string): Promise<string> {
  const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['1.1'] })
  return searchEntries[0]!.dn
}

/** A user and a group (which needs a member on ldap: a seed user it keeps) in `ou`, unrelated. */
async function makePair(server: TestDirectory, client: Client, ou: string, index: number): Promise<Row> {
  const ad = server.kind === 'ad'
  const name = (prefix: string) => `${prefix}${RUN}${index}`
  const user = ad ? `CN=${escapeDnValue(name('m'))},${ou}` : `uid=${escapeDnValue(name('m'))},${ou}`
  const group = ad ? `CN=${escapeDnValue(name('g'))},${ou}` : `cn=${escapeDnValue(name('g'))},${ou}`
  if (ad) {
    await client.add(user, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: name('m'),
    })
    await client.add(group, { objectClass: ['top', 'group'], sAMAccountName: name('g') })
  } else {
    const seed = `uid=${escapeDnValue(name('s'))},${ou}`
    for (const dn of [user, seed]) {
      await client.add(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
        cn: 'x',
        sn: 'x',
      })
    }
    await client.add(group, { objectClass: ['top', 'groupOfNames'], cn: name('g'), member: seed })
  }
  return { group: await serverDn(client, group), member: await serverDn(client, user) }
}

async function ldapFixture(server: TestDirectory): Promise<ConformanceFixture> {
  const ou = await freshOu(server, 'conformance')
  const projectDir = mkdtempSync(path.join(os.tmpdir(), 'provisio-ldap-conformance-'))
  const config = systemConfig(server, { pageSize: PAGE_SIZE })
  let pairs = 0
  return {
    definition: ldapConnector,
    config,
    env: testEnv(server),
    projectDir,
    accounts: {
      table: usersTable(server, ou.dn),
      row: (index, create) => userRow(server, index, create),
      uniqueParameter: server.kind === 'ad' ? 'sAMAccountName' : 'uid',
      change: { attribute: 'description', value: (index) => hostileText(`Changed ${index}`, index + 4) },
      pageSize: PAGE_SIZE,
    },
    memberships: {
      table: tableOf('memberships', ['group', 'member'], { options: { base: ou.dn } }),
      pair: () => makePair(server, ou.client, ou.dn, pairs++),
    },
    wrongCredentials: { config, env: { TEST_LDAP_PASSWORD: WRONG_PASSWORD } },
    secrets: [server.password, WRONG_PASSWORD],
    async tearDown() {
      await ou.remove()
      rmSync(projectDir, { recursive: true, force: true })
    },
  }
}

describeConformance({
  name: 'ldap (flavour ldap) on OpenLDAP slapd',
  skip: skipReason('ldap'),
  setUp: () => ldapFixture(LDAP_SERVER!),
})
describeConformance({
  name: 'ldap (flavour ad) on Samba AD',
  skip: skipReason('ad'),
  setUp: () => ldapFixture(AD_SERVER!),
})
