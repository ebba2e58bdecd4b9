import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CollectionResult, TableResult } from '../../vault/index.ts'
import { renderCollection } from './collect.ts'

function result(tables: TableResult[]): CollectionResult {
  return {
    id: 12,
    system: 'ad',
    kind: 'collect',
    status: 'succeeded',
    startedAt: '2026-12-04T15:46:10.000Z',
    durationMs: 412,
    forced: false,
    tables,
    overriddenGuards: [],
  }
}

const counts = { rowsBefore: 1200, rowsAfter: 1201, added: 1, changed: 3, removed: 0 }

describe('renderCollection', () => {
  it('prints a full collection as always, without a read column', () => {
    const text = renderCollection(
      result([{ table: 'users', ...counts, incremental: false, watermark: '7', since: null }]),
    )
    assert.equal(
      text,
      [
        'Collected ad in 412 ms (collection 12)',
        '  table  before  after  added  changed  removed',
        '  users   1,200  1,201      1        3        0',
      ].join('\n'),
    )
  })

  it('says per table how it was read once incremental reads were asked for, and that removals were not seen', () => {
    const text = renderCollection(
      result([
        { table: 'users', ...counts, incremental: true, watermark: '123', since: '100' },
        { table: 'groups', ...counts, incremental: false, watermark: '123', since: '100' },
        {
          table: 'memberships',
          rowsBefore: 3400,
          rowsAfter: 3390,
          added: 0,
          changed: 0,
          removed: 10,
          incremental: false,
          watermark: null,
          since: null,
        },
      ]),
    )
    assert.equal(
      text,
      [
        'Collected ad in 412 ms (collection 12)',
        '  table        before  after  added  changed  removed  read',
        '  users         1,200  1,201      1        3        -  incremental: 4 changed',
        '  groups        1,200  1,201      1        3        0  full',
        '  memberships   3,400  3,390      0        0       10  full',
        '  incremental reads do not see removed rows: collect in full (without --incremental) regularly',
      ].join('\n'),
    )
  })
})
