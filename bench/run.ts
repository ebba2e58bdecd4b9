/**
 * `npm run bench [-- SUITE… --sizes 10000,100000,1000000 --sqlite-only --runs N --quick]`: runs
 * benchmark suites and records their figures in bench/RESULTS.md. Suites: collect, filters, engine,
 * ldap, roles, events, server. Without --sizes each suite runs at its own sizes (collect, filters, engine:
 * 10k, 100k, 1M; ldap: 100k entries collected, a tenth of that created; roles: 10k and 100k
 * accounts; events: 1M operations matched, 2,000 webhooks and 500 mails delivered, 20,000 events
 * into the bounded queue; server: 100k employees served over HTTPS, 2,000 requests per kind; these two
 * take no --sizes). `filters --quick` runs 100k only and records nothing. `ldap`, `roles`, `events` and `server` also take --runs (timed runs per measure,
 * the median is kept; default 3) and --quick (a smoke run: 2,000 entries, accounts or employees,
 * 20,000 events matched, one run, no profiles, nothing recorded).
 */
import { parseArgs } from 'node:util'
import { runCollectSuite } from './collect-suite.ts'
import { runEngineSuite } from './engine-suite.ts'
import { runEventsSuite } from './events-suite.ts'
import { runFiltersSuite } from './filters-suite.ts'
import { DEFAULT_SIZES, QUICK_SIZES, runLdapSuite } from './ldap-suite.ts'
import { DEFAULT_SIZES as ROLES_SIZES, QUICK_SIZES as ROLES_QUICK_SIZES, runRolesSuite } from './roles-suite.ts'
import { runServerSuite } from './server-suite.ts'
import { type BenchDatabase, postgresDatabase, sqliteDatabase, stopDatabases } from './support/databases.ts'

const DEFAULT = [10_000, 100_000, 1_000_000]

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sizes: { type: 'string' },
    'sqlite-only': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
  },
})
const given = values.sizes?.split(',').map(Number)

const SUITES: Record<string, (databases: readonly BenchDatabase[]) => Promise<void>> = {
  collect: (databases) => runCollectSuite(given ?? DEFAULT, databases),
  // Filters run on SQLite, the embedded default the targets are set for.
  filters: () =>
    runFiltersSuite(
      (given ?? DEFAULT).filter((n) => n >= 100_000),
      values.quick,
    ),
  engine: (databases) => runEngineSuite(given ?? DEFAULT, databases),
  // The LDAP suite runs on a SQLite vault, with a slapd of its own.
  ldap: () =>
    runLdapSuite(given ?? (values.quick ? QUICK_SIZES : DEFAULT_SIZES), {
      runs: values.quick ? 1 : Number(values.runs),
      quick: values.quick,
    }),
  roles: (databases) =>
    runRolesSuite(given ?? (values.quick ? ROLES_QUICK_SIZES : ROLES_SIZES), databases, {
      runs: values.quick ? 1 : Number(values.runs),
      quick: values.quick,
    }),
  // Events need no vault of their own (the dispatcher's is a SQLite file in the project folder).
  events: () => runEventsSuite({ runs: values.quick ? 1 : Number(values.runs), quick: values.quick }),
  // The API over HTTPS, on a SQLite vault of its own in a server worker.
  server: () => runServerSuite({ runs: values.quick ? 1 : Number(values.runs), quick: values.quick }),
}
/** Suites that measure on PostgreSQL too, when it is there. */
const ON_POSTGRES = new Set(['collect', 'engine', 'roles'])

const names = positionals.length === 0 ? Object.keys(SUITES) : positionals
for (const name of names)
  if (SUITES[name] === undefined) throw new Error(`Unknown suite '${name}'; suites: ${Object.keys(SUITES).join(', ')}`)

const databases: BenchDatabase[] = [sqliteDatabase()]
if (!values['sqlite-only'] && names.some((name) => ON_POSTGRES.has(name))) {
  const postgres = await postgresDatabase()
  if (postgres !== undefined) databases.push(postgres)
}
try {
  for (const name of names) {
    console.log(`suite ${name}`)
    await SUITES[name]!(databases)
  }
} finally {
  stopDatabases()
}
