/**
 * The CSV connector (read-only) passes the shared conformance suite: its rows are seeded by writing
 * the file, with every field quoted, then read back through the connector.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Row } from '../../src/core/index.ts'
import { type ConformanceFixture, describeConformance, hostileText } from '../../src/connectors/conformance/index.ts'
import { csvConnector } from '../../src/connectors/csv/index.ts'
import { tableOf } from '../support/sql-targets.ts'

const COLUMNS = ['id', 'username', 'display_name']

const quoted = (value: Row[string]) => `"${String(value).replaceAll('"', '""')}"`

async function csvFixture(): Promise<ConformanceFixture> {
  const projectDir = mkdtempSync(path.join(os.tmpdir(), 'provisio-csv-conformance-'))
  const file = path.join(projectDir, 'files', 'accounts.csv')
  mkdirSync(path.dirname(file))
  const rows: Row[] = []
  const write = () =>
    writeFileSync(file, [COLUMNS, ...rows.map((r) => COLUMNS.map((c) => quoted(r[c] ?? '')))].join('\r\n') + '\r\n')
  write()
  return {
    definition: csvConnector,
    config: { folder: 'files' },
    env: {},
    projectDir,
    accounts: {
      table: tableOf('accounts', ['id:integer', 'username', 'display_name'], {
        primaryKey: 'id',
        referenceKeys: ['username'],
        options: { file: 'accounts.csv' },
      }),
      row: (index) => ({
        id: 1000 + index,
        username: hostileText(`user${index}`, index),
        display_name: hostileText(`Display ${index}`, index + 1),
      }),
      async seed(more) {
        rows.push(...more)
        write()
      },
    },
    secrets: [],
    discovers: 'accounts',
    async tearDown() {
      rmSync(projectDir, { recursive: true, force: true })
    },
  }
}

describeConformance({ name: 'csv', setUp: csvFixture })
