/**
 * One measured collection, in its own process so that its peak memory (maxRSS) is its own.
 * Prints one JSON line: duration, rows read, per-table counts, peak RSS.
 */
import { parseArgs } from 'node:util'
import { loadValidProject } from '../src/config/index.ts'
import { collectSystem } from '../src/connectors/index.ts'
import { openVaultDriver } from '../src/vault/index.ts'

const { values } = parseArgs({
  options: { project: { type: 'string' }, database: { type: 'string' }, schema: { type: 'string' } },
})
const projectDir = values.project!
const project = await loadValidProject(projectDir)
const driver = await openVaultDriver({ projectDir, database: values.database, schema: values.schema })
const started = performance.now()
const tables = []
for (const system of project.systems) {
  const result = await collectSystem({ driver, system, projectDir, force: true })
  tables.push(...result.tables)
}
const ms = performance.now() - started
await driver.close()
const rows = tables.reduce((n, t) => n + t.rowsAfter, 0)
console.log(
  JSON.stringify({ ms: Math.round(ms), rows, tables, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }),
)
