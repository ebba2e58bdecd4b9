import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import { type NewOperation, countOperations, createPlan, insertOperations, streamOperations } from '../index.ts'

/** Decoded, an operation takes about 500 bytes of heap: holding all of them would take some 100 MB. */
const OPERATIONS = 200_000

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Live heap now, after a full collection: what is really held, not garbage waiting to be collected. */
function liveHeap(): number {
  gc()
  return process.memoryUsage().heapUsed
}

async function* operations(): AsyncIterable<NewOperation> {
  for (let i = 0; i < OPERATIONS; i++) {
    yield {
      id: `op-${i}`,
      step: 0,
      mapping: 'hr-create',
      system: 'directory',
      table: 'accounts',
      function: 'accounts_create',
      semantics: 'create',
      attributes: { login: `user${i}`, mail: `user${i}@example.org` },
    }
  }
}

for (const kind of VAULT_KINDS) {
  describe(`a large plan (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it('stores 200,000 operations and streams them back in order, in bounded memory', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'large' } })
      const baseline = liveHeap()
      let peak = 0
      const inserted = await insertOperations(
        vault.driver,
        planId,
        (async function* () {
          let n = 0
          for await (const op of operations()) {
            if (++n % 50_000 === 0) peak = Math.max(peak, liveHeap() - baseline)
            yield op
          }
        })(),
      )
      assert.equal(inserted.count, OPERATIONS)
      let seen = 0
      let expected = 1
      let pages = 0
      for await (const page of streamOperations(vault.driver, planId, { pageSize: 2000 })) {
        for (const op of page) assert.equal(op.seq, expected++)
        seen += page.length
        if (++pages % 25 === 0) peak = Math.max(peak, liveHeap() - baseline)
      }
      assert.equal(seen, OPERATIONS)
      assert.equal((await countOperations(vault.driver, planId)).byStatus.planned, OPERATIONS)
      assert.ok(peak < 64 * 1024 * 1024, `live heap grew by ${Math.round(peak / 1048576)} MB`)
    })
  })
}
