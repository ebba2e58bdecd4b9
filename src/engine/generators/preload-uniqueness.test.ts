import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import type { ColumnRef } from '../../config/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import { createNameGenerator } from './name-generator.ts'
import { HandedOutNames } from './name-uniqueness.ts'
import { preloadUniqueness, uniqueInColumns } from './preload-uniqueness.ts'
import { collectUsers, EMPLOYEES, employee, nameGenerator } from './test-fixtures.ts'

const SAM: ColumnRef = { system: 'directory', table: 'users', column: 'sAMAccountName' }
const PROXY: ColumnRef = { system: 'directory', table: 'users', column: 'proxyAddresses' }

const USERS = [
  {
    objectGUID: 'g1',
    sAMAccountName: 'JDoe',
    mail: 'jdoe@corp.example',
    proxyAddresses: ['SMTP:jdoe@corp.example', 'smtp:j.doe@corp.example'],
    uid: 1,
  },
  { objectGUID: 'g2', sAMAccountName: 'ŁUKASZ.ÆRØ', mail: null, proxyAddresses: [], uid: 2 },
  {
    objectGUID: 'g3',
    sAMAccountName: "x'); DROP TABLE users; --",
    mail: 'x@corp.example',
    proxyAddresses: ['SMTP:X@corp.example'],
    uid: 3,
  },
  { objectGUID: 'g4', sAMAccountName: null, mail: null, proxyAddresses: [], uid: 4 },
]

const GENERATOR = [
  'kind: NameGenerator',
  'name: accounts',
  'names:',
  '  username:',
  '    methods: ["lower(left(e.first_name, 1) || e.last_name)"]',
  '    iteration: { max: 9 }',
  '    maxLength: 20',
  '    uniqueIn: [directory.users.sAMAccountName]',
  '  proxyAddresses:',
  '    multiValued: true',
  "    methods: [\"'SMTP:' || generated.username || '@corp.example'\"]",
  '    uniqueIn: [Directory.users.proxyAddresses]',
].join('\n')

for (const kind of VAULT_KINDS) {
  describe(`preloadUniqueness (${kind})`, () => {
    let vault: TestVault | undefined
    afterEach(async () => {
      await vault?.close()
      vault = undefined
    })

    it('loads the current values of string and string[] columns, lower-cased, without nulls', async () => {
      vault = await createTestVault(kind)
      await collectUsers(vault.driver, USERS)
      const taken = await preloadUniqueness(vault.driver, [SAM, PROXY, SAM])
      assert.equal(taken.count(SAM), 3)
      assert.equal(taken.isTaken(SAM, 'jdoe'), true)
      assert.equal(taken.isTaken(SAM, 'łukasz.ærø'), true)
      assert.equal(taken.isTaken(SAM, "x'); drop table users; --"), true)
      assert.equal(taken.isTaken(SAM, 'JDoe'), false) // callers pass lower-cased values
      assert.equal(taken.count(PROXY), 3)
      assert.equal(taken.isTaken(PROXY, 'smtp:x@corp.example'), true)
    })

    it('reads only current rows: values of removed accounts are free again', async () => {
      vault = await createTestVault(kind)
      await collectUsers(vault.driver, USERS)
      await collectUsers(vault.driver, USERS.slice(1))
      const taken = await preloadUniqueness(vault.driver, [SAM, PROXY])
      assert.equal(taken.isTaken(SAM, 'jdoe'), false)
      assert.equal(taken.isTaken(PROXY, 'smtp:jdoe@corp.example'), false)
      assert.equal(taken.isTaken(PROXY, 'smtp:x@corp.example'), true)
    })

    it('feeds a name generator: vault values and names handed out earlier in the run are both taken', async () => {
      vault = await createTestVault(kind)
      await collectUsers(vault.driver, USERS)
      const generator = await nameGenerator(GENERATOR)
      const taken = await preloadUniqueness(vault.driver, uniqueInColumns([generator]))
      const names = createNameGenerator(generator, EMPLOYEES.scope, {
        uniqueness: taken,
        handedOut: new HandedOutNames(),
      })
      const values = ['1', '2', '3'].map((id) => {
        const outcome = names.generate(EMPLOYEES.toEvalRow(employee(id, 'John', 'Doe')))
        return outcome.ok ? outcome.values : outcome.error.code
      })
      assert.deepEqual(values, [
        { username: 'jdoe2', proxyAddresses: ['SMTP:jdoe2@corp.example'] },
        { username: 'jdoe3', proxyAddresses: ['SMTP:jdoe3@corp.example'] },
        { username: 'jdoe4', proxyAddresses: ['SMTP:jdoe4@corp.example'] },
      ])
    })

    it('refuses a table that was never collected, with a hint to collect it', async () => {
      vault = await createTestVault(kind)
      await assert.rejects(
        preloadUniqueness(vault.driver, [SAM]),
        (error: Error & { code?: string; hint?: string }) => {
          assert.equal(error.code, 'ENG_UNIQUENESS_NOT_COLLECTED')
          assert.equal(
            error.message,
            'Generated names must be unique in directory.users.sAMAccountName, but directory.users has never been collected.',
          )
          assert.equal(error.hint, 'Run `provisio collect directory`, then try again.')
          return true
        },
      )
    })

    it('refuses a column declared after the table was collected', async () => {
      vault = await createTestVault(kind)
      await collectUsers(vault.driver, USERS)
      const late: ColumnRef = { system: 'directory', table: 'users', column: 'employeeID' }
      await assert.rejects(preloadUniqueness(vault.driver, [late]), /collected before the column was declared/)
    })
  })
}
