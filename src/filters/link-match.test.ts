import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { matchLink } from './index.ts'
import { CONTEXT, EMPLOYEE_ACCOUNT, EMPLOYEE_LOGIN, TABLE_ROWS, collectFixtures } from './test-fixtures.ts'

const employee = (id: string) => TABLE_ROWS['hr.employees']!.find((e) => e['employee_id'] === id)!
/** A user as the vault gives it back: an empty list is stored as null. */
const user = (dn: string) => {
  const row = TABLE_ROWS['dir.users']!.find((u) => u['dn'] === dn)!
  return { ...row, memberOf: (row['memberOf'] as string[]).length === 0 ? null : row['memberOf']! }
}

for (const kind of VAULT_KINDS) {
  describe(`matchLink (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
      // A second account for E001 (in another case) and a second 'asmith' (Alan Smith).
      await collectFixtures(vault.driver, {
        'hr.employees': [
          ...TABLE_ROWS['hr.employees']!,
          { ...employee('E001'), employee_id: 'E006', first_name: 'Alan' },
        ],
        'dir.users': [...TABLE_ROWS['dir.users']!, { ...user('cn=ann'), dn: 'cn=ann2', employeeID: 'e001' }],
      })
    })
    after(async () => vault.close())

    it('counts rows only on the left, matched pairs and rows only on the right, with samples', async () => {
      const match = await matchLink(vault.driver, EMPLOYEE_ACCOUNT, CONTEXT, { samples: 10 })
      assert.deepEqual(match.left, {
        only: 3,
        samples: [employee('E003'), employee('E005'), { ...employee('E001'), employee_id: 'E006', first_name: 'Alan' }],
      })
      assert.equal(match.common.count, 4)
      assert.deepEqual(
        match.common.samples.map((p) => [p.left['employee_id'], p.right['dn']]),
        [
          ['E001', 'cn=ann'],
          ['E001', 'cn=ann2'],
          ['E002', 'cn=bob'],
          ['E004', 'cn=dan'],
        ],
      )
      assert.deepEqual(match.common.samples[2], { left: employee('E002'), right: user('cn=bob') })
      assert.deepEqual(match.right, { only: 2, samples: [user('cn=svc'), user('cn=old')] })
      assert.deepEqual(match.duplicates, { left: 0, right: 1 })
    })

    it('applies the normalising expression and limits the samples', async () => {
      const match = await matchLink(vault.driver, EMPLOYEE_LOGIN, CONTEXT, { samples: 1 })
      assert.equal(match.left.only, 2) // cdupont and ezoë have no account
      assert.deepEqual(match.left.samples, [employee('E003')])
      // 'asmith' is Ann's and Alan's login, and both cn=ann and cn=ann2 have it: 2 × 2 pairs, plus Bob and Dan.
      assert.equal(match.common.count, 6)
      assert.equal(match.common.samples.length, 1)
      assert.deepEqual(match.duplicates, { left: 1, right: 1 })
    })
  })
}
