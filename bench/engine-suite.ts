/**
 * Suite `engine` (issue 4): the soll-ist engine on generated HR sets and a SQL directory target.
 *
 * - plan creates: employees without an account (1% have one), each given a unique name by the name
 *   generator (checked against the vault and the names handed out in the run) and a password
 *   generator (its passwords are made at execution, not planning);
 * - plan updates: every employee has an account, about 1% of them with an outdated surname;
 * - execute creates into the SQL target (the directory, a SQLite file, through the sql connector),
 *   without a password (scrypt costs ~40 ms per hash by design, which would measure scrypt);
 * - the engine's own cost: the same plan executed against a target whose apply resolves at once,
 *   compared with raw inserts of the same rows (better-sqlite3, one prepared statement, batched);
 * - memory: peak RSS, peak heap and live heap of each phase, in its own process.
 *
 * Targets: plan updates under 3 s at 100k; engine overhead under 0.2 ms per operation; memory that
 * does not grow with the plan (100k against 1M).
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { benchProject, type Coverage } from './engine/bench-project.ts'
import type { BenchDatabase } from './support/databases.ts'
import { recordSuite, table } from './support/results.ts'

/** Executing into the SQL target and the raw-insert baseline run up to this size (100k: ~1 minute). */
const SQL_TARGET_MAX = 100_000
/** Plans are measured this often below 1M, keeping the fastest (the machine is shared: the least disturbed run); once at 1M. */
const PLAN_RUNS = 3

const WORKER = path.join(import.meta.dirname, 'engine', 'worker.ts')

interface Figures {
  readonly ms: number
  readonly operations?: number
  readonly unchanged?: number
  readonly failed?: number
  readonly failures?: readonly string[]
  readonly succeeded?: number
  readonly rows?: number
  /** Raw inserts, one transaction each. */
  readonly autocommitMs?: number
  readonly planId?: number
  readonly peakRssMB?: number
  readonly peakHeapMB?: number
  readonly liveHeapMB?: number
  /** The 1-minute load average when the phase started and when it ended. */
  readonly load: readonly [number, number]
}

interface Measure {
  readonly employees: number
  readonly vault: string
  readonly what: string
  /** Filter rows planned (plans only). */
  readonly rows: number | undefined
  readonly operations: number
  /** What the rate and the time each are per: filter rows for plans, operations otherwise. */
  readonly units: number
  readonly figures: Figures
}

/** Where one series keeps its vault: the project's SQLite file, or a PostgreSQL schema of its own. */
interface VaultAt {
  readonly database: BenchDatabase
  readonly schema: string | undefined
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

function worker(task: string, project: string, vault: VaultAt, args: readonly string[] = []): Figures {
  const argv = ['--expose-gc', '--import', 'tsx', WORKER, task, '--project', project, ...args]
  if (vault.database.url !== undefined) argv.push('--database', vault.database.url, '--schema', vault.schema!)
  const before = os.loadavg()[0]!
  const output = execFileSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 24 })
  return { ...(JSON.parse(output.trim().split('\n').at(-1)!) as Figures), load: [before, os.loadavg()[0]!] }
}

function fastest(runs: readonly Figures[]): Figures {
  return runs.reduce((best, run) => (run.ms < best.ms ? run : best))
}

interface Series {
  readonly project: string
  readonly vault: VaultAt
}

/** A fresh project and vault for one series, with every system collected; listed in `made` for removal. */
async function series(
  employees: number,
  database: BenchDatabase,
  name: string,
  coverage: Coverage,
  made: Series[],
): Promise<Series> {
  const label = `${employees}-${database.name}-${name}`
  const project = await benchProject(label, employees, coverage)
  const schema = database.url === undefined ? undefined : `engine_${employees}_${name}`
  if (database.url !== undefined) await dropSchema(database.url, schema!)
  const created = { project, vault: { database, schema } }
  made.push(created)
  const collected = worker('collect', project, created.vault)
  console.log(`  ${label}: collected ${collected.rows?.toLocaleString('en-US')} rows in ${collected.ms} ms`)
  return created
}

/** The series' projects and vaults take gigabytes at 1M and serve no later run: removed once measured. */
async function remove(made: readonly Series[]): Promise<void> {
  for (const { project, vault } of made) {
    rmSync(project, { recursive: true, force: true })
    if (vault.database.url !== undefined) await dropSchema(vault.database.url, vault.schema!)
  }
}

function plan(project: string, vault: VaultAt, mapping: string, runs: number): Figures {
  const figures: Figures[] = []
  for (let i = 0; i < runs; i++) figures.push(worker('plan', project, vault, ['--mapping', mapping]))
  return fastest(figures)
}

async function measureSize(employees: number, database: BenchDatabase, measures: Measure[]): Promise<void> {
  const made: Series[] = []
  try {
    await measureSeries(employees, database, measures, made)
  } finally {
    await remove(made)
  }
}

async function measureSeries(
  employees: number,
  database: BenchDatabase,
  measures: Measure[],
  made: Series[],
): Promise<void> {
  const add = (what: string, figures: Figures) => {
    // A plan reads filter rows and gives operations; an execution or an insert handles operations.
    const planned = figures.planId === undefined ? undefined : (figures.operations ?? 0)
    const rows = planned === undefined ? undefined : planned + (figures.unchanged ?? 0) + (figures.failed ?? 0)
    const operations = planned ?? figures.rows ?? (figures.succeeded ?? 0) + (figures.failed ?? 0)
    measures.push({ employees, vault: database.name, what, rows, operations, units: rows ?? operations, figures })
    const failed = figures.failed ? `, ${figures.failed} failed (${figures.failures?.join(', ') ?? ''})` : ''
    console.log(
      `  ${count(employees)} ${database.name} ${what}: ${rows === undefined ? '' : `${count(rows)} rows, `}${count(operations)} operations in ${figures.ms} ms${failed}, peak ${figures.peakRssMB ?? '-'} MB RSS, load ${loadText(figures)}`,
    )
  }
  const runs = employees >= 1_000_000 ? 1 : PLAN_RUNS

  const creates = await series(employees, database, 'creates', 'few', made)
  add('plan creates', plan(creates.project, creates.vault, 'create_accounts', runs))
  const withoutPassword = plan(creates.project, creates.vault, 'create_accounts_without_password', 1)
  add('plan creates, no password', withoutPassword)
  add(
    'execute, no-op target',
    worker('execute', creates.project, creates.vault, ['--plan', String(withoutPassword.planId), '--target', 'noop']),
  )

  if (employees <= SQL_TARGET_MAX) {
    const sql = await series(employees, database, 'sql', 'few', made)
    const planned = plan(sql.project, sql.vault, 'create_accounts_without_password', 1)
    add(
      'execute, SQL target',
      worker('execute', sql.project, sql.vault, ['--plan', String(planned.planId), '--target', 'sql']),
    )
    // The baseline does not depend on the vault: once, beside the SQLite vault's figures.
    if (database.name === 'sqlite') {
      const raw = worker('raw', sql.project, sql.vault, ['--plan', String(planned.planId)])
      add('raw inserts, batched', raw)
      add('raw inserts, one commit each', { ...raw, ms: raw.autocommitMs! })
    }
  }

  const updates = await series(employees, database, 'updates', 'all', made)
  add('plan updates', plan(updates.project, updates.vault, 'update_accounts', runs))
}

const count = (n: number) => n.toLocaleString('en-US')
const loadText = (f: Figures) => `${f.load[0].toFixed(1)}–${f.load[1].toFixed(1)}`
const usEach = (m: Measure) => (m.units === 0 ? '-' : ((m.figures.ms * 1000) / m.units).toFixed(1))
const perSecond = (m: Measure) => (m.figures.ms === 0 ? '-' : count(Math.round(m.units / (m.figures.ms / 1000))))

function figuresTable(measures: readonly Measure[]): string {
  return table(
    [
      'employees',
      'vault',
      'measure',
      'filter rows',
      'operations',
      'seconds',
      'rows or operations/s',
      'µs each',
      'peak RSS MB',
      'peak heap MB',
      'live heap MB',
      'load',
    ],
    measures.map((m) => [
      count(m.employees),
      m.vault,
      m.what,
      m.rows === undefined ? '' : count(m.rows),
      count(m.operations),
      (m.figures.ms / 1000).toFixed(2),
      perSecond(m),
      usEach(m),
      m.figures.peakRssMB ?? '-',
      m.figures.peakHeapMB ?? '-',
      m.figures.liveHeapMB ?? '-',
      loadText(m.figures),
    ]),
  )
}

/**
 * Per size and vault: the engine's µs per operation (no-op target), the SQL target's, and the raw
 * baselines', with the SQL target's cost against the batched baseline.
 */
function overheadTable(measures: readonly Measure[]): string {
  const rows: string[][] = []
  const find = (employees: number, vault: string, what: string) =>
    measures.find((m) => m.employees === employees && m.vault === vault && m.what === what)
  const us = (m: Measure) => (m.figures.ms * 1000) / m.operations
  for (const key of new Set(measures.map((m) => `${m.employees}\u0000${m.vault}`))) {
    const [e, vault] = key.split('\u0000') as [string, string]
    const employees = Number(e)
    const noop = find(employees, vault, 'execute, no-op target')
    const sql = find(employees, vault, 'execute, SQL target')
    const batched = find(employees, 'sqlite', 'raw inserts, batched')
    const each = find(employees, 'sqlite', 'raw inserts, one commit each')
    if (noop === undefined || sql === undefined || batched === undefined || each === undefined) continue
    rows.push([
      count(employees),
      vault,
      us(noop).toFixed(1),
      us(sql).toFixed(1),
      us(batched).toFixed(1),
      us(each).toFixed(1),
      `${(us(sql) / us(batched)).toFixed(0)}×`,
    ])
  }
  return table(
    [
      'employees',
      'vault',
      'engine µs/op (no-op target)',
      'SQL target µs/op',
      'raw inserts µs/row, batched',
      'raw inserts µs/row, one commit each',
      'SQL target / raw batched',
    ],
    rows,
  )
}

/**
 * Per measure and vault, the memory at each size: whether it grows with the plan. The last column is
 * the live heap's growth per 1,000 rows or operations between the smallest and the largest size.
 */
function memoryTable(measures: readonly Measure[]): string {
  const sizes = [...new Set(measures.map((m) => m.employees))].sort((a, b) => a - b)
  const rows: string[][] = []
  for (const key of new Set(
    measures.filter((m) => m.figures.peakRssMB !== undefined).map((m) => `${m.what}\u0000${m.vault}`),
  )) {
    const [what, vault] = key.split('\u0000') as [string, string]
    const at = sizes.map((employees) =>
      measures.find((m) => m.employees === employees && m.vault === vault && m.what === what),
    )
    const cells = at.map((m) =>
      m === undefined
        ? ''
        : `${m.figures.liveHeapMB ?? '-'} / ${m.figures.peakHeapMB ?? '-'} / ${m.figures.peakRssMB ?? '-'}`,
    )
    const measured = at.filter((m): m is Measure => m?.figures.liveHeapMB !== undefined)
    const first = measured[0]
    const last = measured.at(-1)
    const growth =
      first === undefined || last === undefined || last.units === first.units
        ? ''
        : `${(((last.figures.liveHeapMB! - first.figures.liveHeapMB!) * 2 ** 20) / ((last.units - first.units) / 1000) / 1024).toFixed(1)} KiB`
    rows.push([what, vault, ...cells, growth])
  }
  return table(
    ['measure', 'vault', ...sizes.map((n) => `${count(n)}: live / peak heap / RSS MB`), 'live heap growth per 1,000'],
    rows,
  )
}

export async function runEngineSuite(sizes: readonly number[], databases: readonly BenchDatabase[]): Promise<void> {
  const measures: Measure[] = []
  for (const employees of sizes) for (const database of databases) await measureSize(employees, database, measures)
  recordSuite(
    'engine',
    `The soll-ist engine on generated HR sets (\`provisio dataset hr --seed 42\`) and directory exports (\`provisio dataset directory\`) loaded into the directory target, a SQLite file behind the \`sql\` connector (examples/hr500's systems, bench/engine/engine.yaml's filters, generators and mappings). Each phase runs in its own process (bench/engine/worker.ts), on a fresh vault collected from both systems; "load" is the 1-minute load average when the phase started and when it ended (2 cores: above 2, other work shared the machine).

- **plan creates**: employees without an account (1% of them have one) → \`users_create\` with the name generator (sAMAccountName and mail, unique against the vault and the names handed out in the run) and the password generator, whose passwords are generated at execution, not planning (the plan stores the source row instead).
- **plan creates, no password**: the same without the password parameter: the plan executed next.
- **execute, no-op target**: that plan executed against a target whose \`apply\` resolves at once with the row a SQL target would read back, driven as \`executePlan\` drives it (executeStep, markRunning, OutcomeWriter: status, audit and write-back to the vault in group commits). This is the engine's own cost per operation.
- **execute, SQL target**: the same plan (in a second vault) executed into the directory database through the \`sql\` connector: one \`INSERT … RETURNING\` per operation, each its own transaction, concurrency 4. Without a password: the connector hashes passwords with scrypt, which costs ~40 ms per hash by design (~25 operations/s per core), so with passwords this would measure scrypt, not the engine. Up to ${count(SQL_TARGET_MAX)} employees.
- **raw inserts**: the same rows inserted into copies of the directory database with better-sqlite3 and one prepared statement (WAL, synchronous=NORMAL and a 64 MiB page cache, as Provisio opens SQLite): batched in transactions of 5,000, the least any tool could spend; and one transaction per row, what any target that commits each operation on its own costs, engine or not.
- **plan updates**: every employee has an account, ~1% with an outdated surname → \`users_update\` of employeeID, givenName and sn, each filter row's account looked up in the vault and compared; only differences become operations.

Plans are run ${PLAN_RUNS} times below 1M and the fastest run is kept (the least disturbed by other work); executions and 1M plans run once. Rates and times each are per filter row for plans, per operation otherwise. Memory: peak RSS is the phase process's maxRSS; peak heap the largest used V8 heap sampled (garbage included); live heap the used heap after a full collection forced halfway and at the end of the phase (what is still reachable: the figure that shows whether memory grows with the plan). By design a plan keeps one small entry per row while it runs: the names handed out (creates: sAMAccountName and mail), the target keys planned (updates: two rows for one target row are refused); an execution keeps nothing per operation.

Targets: plan updates < 3 s at 100k; engine overhead < 0.2 ms per operation; memory that does not grow with the plan.

${figuresTable(measures)}

Engine overhead and the SQL target against raw inserts:

${overheadTable(measures)}

Memory against the size of the plan:

${memoryTable(measures)}`,
  )
}
