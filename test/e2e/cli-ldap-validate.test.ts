/**
 * `provisio validate` on LDAP systems, offline (no directory needed): the connector's own table
 * checks (ConnectorDefinition.checkTable) are reported at the table in the YAML, beside the schema
 * checks of the config and options.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { provisio } from '../support/cli.ts'

const SYSTEM = `kind: System
name: dir
connector: ldap
config:
  flavour: ldap
  url: ldaps://ldap.example.test
  bindDN: cn=provisio,dc=example,dc=test
  password: \${env:LDAP_PASSWORD}
  baseDN: dc=example,dc=test
tables:
  users:
    primaryKey: entryUUID
    columns:
      entryUUID: string
      uid: string
      userPassword: string
      enabled: boolean
  memberships:
    columns:
      group: string
`

describe('provisio validate with an ldap system', () => {
  it('reports columns and options the connector refuses, at the table, without connecting', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-e2e-ldap-'))
    try {
      mkdirSync(path.join(dir, 'systems'))
      writeFileSync(path.join(dir, 'systems', 'dir.yaml'), SYSTEM)
      const result = provisio(['validate', '--project', dir])
      assert.equal(result.status, 1, result.stdout + result.stderr)
      const lines = result.stdout.split('\n').filter((l) => l.includes('CON_INVALID_TABLE'))
      assert.equal(lines.length, 3, result.stdout)
      assert.match(
        lines.join('\n'),
        /systems\/dir\.yaml:12:\d+ +error: Table dir\.users: column userPassword reads userPassword, which holds a secret/,
      )
      assert.match(
        lines.join('\n'),
        /Table dir\.users: the column enabled needs the option `disable: \{ attribute, disabledValue \}`/,
      )
      assert.match(
        lines.join('\n'),
        /systems\/dir\.yaml:19:\d+ +error: Table dir\.memberships: .*declare the column member/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('accepts the AD example as it is', () => {
    const result = provisio(['validate', '--project', 'examples/hr500-ad'])
    assert.equal(result.status, 0, result.stdout + result.stderr)
  })
})
