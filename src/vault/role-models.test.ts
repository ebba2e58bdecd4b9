import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ProvisioError } from '../core/index.ts'
import { rejects } from '../../test/support/errors.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { type ActivateRoleModel, activateRoleModel, getActiveRoleModel, getRoleModel, listRoleModels } from './index.ts'

/** A fixed clock per call, so activation and retirement times are known. */
function at(iso: string) {
  return { now: () => new Date(iso) }
}

function model(name: string, overrides: Partial<ActivateRoleModel> = {}): ActivateRoleModel {
  return {
    name,
    source: `kind: RoleModel\nname: ${name}\nroles: []\n`,
    hash: `hash-${name}`,
    file: 'roles/access.yaml',
    actor: 'cli',
    roles: 2,
    generators: 1,
    ...overrides,
  }
}

for (const kind of VAULT_KINDS) {
  describe(`role models in the vault (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it('has no active model before the first activation', async () => {
      assert.equal(await getActiveRoleModel(vault.driver), undefined)
      assert.deepEqual(await listRoleModels(vault.driver), [])
    })

    it('stores an activated model as the active one', async () => {
      const stored = await activateRoleModel(vault.driver, model('access', { clock: at('2026-12-01T08:00:00.000Z') }))
      assert.deepEqual(stored, {
        id: stored.id,
        name: 'access',
        state: 'active',
        source: 'kind: RoleModel\nname: access\nroles: []\n',
        hash: 'hash-access',
        file: 'roles/access.yaml',
        activatedAt: '2026-12-01T08:00:00.000Z',
        activatedBy: 'cli',
        retiredAt: undefined,
        roles: 2,
        generators: 1,
        filters: {},
      })
      assert.deepEqual(await getActiveRoleModel(vault.driver), stored)
      assert.deepEqual(await getRoleModel(vault.driver, stored.id), stored)
    })

    it('makes the active model history when another is activated, and lists newest first', async () => {
      const before = (await getActiveRoleModel(vault.driver))!
      const second = await activateRoleModel(
        vault.driver,
        model('access', { hash: 'hash-2', actor: 'anna', roles: 5, clock: at('2026-12-02T09:30:00.000Z') }),
      )
      const third = await activateRoleModel(
        vault.driver,
        model('access', { hash: 'hash-3', clock: at('2026-12-03T10:00:00.000Z') }),
      )
      assert.equal((await getActiveRoleModel(vault.driver))?.id, third.id)
      const retired = await getRoleModel(vault.driver, before.id)
      assert.equal(retired.state, 'history')
      assert.equal(retired.retiredAt, '2026-12-02T09:30:00.000Z')
      assert.equal(retired.source, before.source, 'history keeps the source as activated')
      const middle = await getRoleModel(vault.driver, second.id)
      assert.deepEqual(
        [middle.state, middle.retiredAt, middle.activatedBy, middle.roles],
        ['history', '2026-12-03T10:00:00.000Z', 'anna', 5],
      )
      const all = await listRoleModels(vault.driver)
      assert.deepEqual(
        all.map((m) => [m.id, m.state]),
        [
          [third.id, 'active'],
          [second.id, 'history'],
          [before.id, 'history'],
        ],
      )
      assert.deepEqual(
        (await listRoleModels(vault.driver, { limit: 2 })).map((m) => m.id),
        [third.id, second.id],
      )
      const counted = await vault.driver.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM role_models WHERE state = 'active'`,
      )
      assert.equal(Number(counted[0]?.n), 1)
    })

    it('says when a role model id is unknown, with a hint to list them', async () => {
      const error = await rejects(getRoleModel(vault.driver, 987654), 'VLT_UNKNOWN_ROLE_MODEL')
      assert.match(error.message, /987654/)
      assert.match(error.hint ?? '', /provisio roles history/)
    })

    it('keeps unicode, quotes and SQL-looking text in the source exactly', async () => {
      const source = [
        'kind: RoleModel',
        "name: 'zoë''s model'",
        'description: "Ångström — 日本語 \\"quoted\\" 🎉"',
        'roles: [{ name: x, filter: "a\'); DROP TABLE role_models; --" }]',
        '  trailing blanks  \t',
        '',
      ].join('\r\n')
      const stored = await activateRoleModel(vault.driver, model("zoë's model", { source, file: 'röles/ü.yaml' }))
      const read = await getRoleModel(vault.driver, stored.id)
      assert.equal(read.source, source)
      assert.equal(read.name, "zoë's model")
      assert.equal(read.file, 'röles/ü.yaml')
    })

    it('never leaves two active models when activations race', async () => {
      // PostgreSQL: the driver's pool runs each activation in a transaction of its own connection, at
      // once. SQLite: one connection, whose transactions queue (another process would wait for the lock).
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_v, i) => activateRoleModel(vault.driver, model(`race-${i}`))),
      )
      const won = results.filter((r) => r.status === 'fulfilled')
      assert.ok(won.length >= 1, 'at least one activation succeeds')
      for (const lost of results.filter((r) => r.status === 'rejected')) {
        const reason: unknown = lost.reason
        assert.ok(reason instanceof ProvisioError, String(reason))
        assert.equal(reason.code, 'VLT_ROLE_MODEL_CONFLICT')
        assert.equal(reason.retry, 'safe')
      }
      const active = await vault.driver.query<{ id: number }>(`SELECT id FROM role_models WHERE state = 'active'`)
      assert.equal(active.length, 1)
      const newest = (await listRoleModels(vault.driver, { limit: 1 }))[0]!
      assert.equal(Number(active[0]!.id), newest.id, 'the active model is the newest one')
    })

    it('refuses a second active row in the database itself', async () => {
      await assert.rejects(
        vault.driver.run(
          `INSERT INTO role_models (name, state, source, hash, file, activated_at, activated_by, roles, generators)
           VALUES ('x', 'active', '', '', '', '', '', 0, 0)`,
        ),
      )
    })
  })
}
