import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { ProvisioError, type TableSchema } from '../core/index.ts'
import { readInWorker } from './read-in-worker.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-worker-'))
const table: TableSchema = {
  system: 'hr',
  name: 'people',
  primaryKey: 'id',
  referenceKeys: [],
  options: {},
  columns: [
    { name: 'id', type: 'string', source: 'id' },
    { name: 'born', type: 'date', source: 'born' },
    { name: 'tags', type: 'string[]', source: 'tags' },
  ],
}
const config = { folder: dir, encoding: 'utf-8', delimiter: 'auto', quote: '"', header: true }

describe('readInWorker', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('delivers every row, in order, prepared for the vault, with their lines', async () => {
    const lines = [
      'id;born;tags',
      ...Array.from({ length: 12_001 }, (_, i) => `${i};2020-01-${String((i % 28) + 1).padStart(2, '0')};b|a`),
    ]
    writeFileSync(path.join(dir, 'people.csv'), lines.join('\n'))
    const ids: string[] = []
    let last = 0
    for await (const page of readInWorker({ connector: 'csv', config, projectDir: dir, table, ahead: 1 })) {
      for (const [i, prepared] of page.prepared!.entries()) {
        ids.push(prepared[0] as string) // [key, hash, ...stored]
        last = page.lines![i]!
      }
      assert.equal(page.prepared![0]![4], '["a","b"]')
    }
    assert.equal(ids.length, 12_001)
    assert.equal(ids[0], '0')
    assert.equal(ids.at(-1), '12000')
    assert.equal(last, 12_002)
  })

  it('brings the connector error back with its code, hint and issues', async () => {
    writeFileSync(path.join(dir, 'people.csv'), 'id;born;tags\n1;31-02-2020;x\n')
    await assert.rejects(
      async () => {
        for await (const _page of readInWorker({ connector: 'csv', config, projectDir: dir, table })) void _page
      },
      (error: unknown) => {
        assert.ok(error instanceof ProvisioError)
        assert.equal(error.code, 'CON_CSV_INVALID_VALUE')
        assert.equal(error.issues[0]?.line, 2)
        assert.ok(error.hint !== undefined)
        return true
      },
    )
  })
})
