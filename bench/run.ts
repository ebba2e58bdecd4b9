/**
 * `npm run bench [-- SUITE… --sizes 10000,100000,1000000 --sqlite-only]`: runs benchmark suites and
 * records their figures in bench/RESULTS.md. Suites: collect, filters, engine.
 */
import { parseArgs } from 'node:util'
import { runCollectSuite } from './collect-suite.ts'
import { runEngineSuite } from './engine-suite.ts'
import { runFiltersSuite } from './filters-suite.ts'
import { type BenchDatabase, postgresDatabase, sqliteDatabase, stopDatabases } from './support/databases.ts'

const SUITES: Record<string, (sizes: readonly number[], databases: readonly BenchDatabase[]) => Promise<void>> = {
  collect: runCollectSuite,
  // Filters run on SQLite, the embedded default the targets are set for.
  filters: (sizes) => runFiltersSuite(sizes.filter((n) => n >= 100_000)),
  engine: runEngineSuite,
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    'sqlite-only': { type: 'boolean', default: false },
  },
})
const sizes = values.sizes.split(',').map(Number)
const names = positionals.length === 0 ? Object.keys(SUITES) : positionals
for (const name of names)
  if (SUITES[name] === undefined) throw new Error(`Unknown suite '${name}'; suites: ${Object.keys(SUITES).join(', ')}`)

const databases: BenchDatabase[] = [sqliteDatabase()]
if (!values['sqlite-only']) {
  const postgres = await postgresDatabase()
  if (postgres !== undefined) databases.push(postgres)
}
try {
  for (const name of names) {
    console.log(`suite ${name}`)
    await SUITES[name]!(sizes, databases)
  }
} finally {
  stopDatabases()
}
