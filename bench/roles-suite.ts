/**
 * Suite `roles` (issue 6): evaluating the memberships of a directory from a role model, at N
 * accounts, N/50 groups and 3N memberships with a churn of 1% (bench/roles/dataset.ts).
 *
 * The project (bench/roles/roles.yaml): an HR source and a directory target, both SQLite files
 * behind the `sql` connector, collected into the vault through it; a role model with one written
 * role (ALL_STAFF) and two generators (a role per department and per location, each with a member
 * filter whose parameter is bound from the generation row: one lifted statement per generator);
 * job `directory_memberships` with one memberships step.
 *
 * - evaluate: evaluateJob of that job (what `provisio job evaluate` runs): load and re-validate the
 *   active model, resolve it (generation and member filters), compare the desired pairs with the
 *   collected memberships, store the plan, check the thresholds. Checked after the clock: the
 *   plan's adds and removes must be exactly the dataset's churn, or the suite fails.
 * - phases: the same parts timed one by one in a process of their own.
 * - one more evaluation at the largest size, CPU-profiled (not timed): where the time goes.
 *
 * Target: evaluate under 5 s at 100k accounts (2,000 groups, 300k memberships).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync, copyFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { summarizeProfile, type ProfileSummary } from './ldap/profile.ts'
import { type RolesExpectation, UNMANAGED_GROUPS, rolesDataset } from './roles/dataset.ts'
import { type BenchDatabase, DATA, dropSchema } from './support/databases.ts'
import { recordSuite, table } from './support/results.ts'

export interface RolesSuiteOptions {
  /** Timed evaluations per size and vault; the median is kept. */
  readonly runs: number
  /** Smoke run: no profile, nothing recorded in RESULTS.md. */
  readonly quick: boolean
}

/** The issue's size, and one tenth of it to see how the cost grows. */
export const DEFAULT_SIZES = [10_000, 100_000] as const
/** A quick run: 2,000 accounts. */
export const QUICK_SIZES = [2_000] as const

/** The issue's target for an evaluation at 100k accounts. */
const TARGET_MS = 5000
const TARGET_SIZE = 100_000

const WORKER = path.join(import.meta.dirname, 'roles', 'worker.ts')
const CONFIG = path.join(import.meta.dirname, 'roles', 'roles.yaml')
const PROFILES = path.join(DATA, 'roles-profiles')

interface Evaluated {
  readonly ms: number
  /** CPU time (user + system) of the evaluating process: what the load of the machine does not inflate. */
  readonly cpuMs: number
  readonly peakRssMB: number
  readonly heapMB: number
  readonly liveHeapMB?: number
  readonly planId: number
  readonly stopped: boolean
  readonly adds: number
  readonly removes: number
  readonly unchanged: number
  readonly otherOperations: number
  readonly addsMissing: readonly string[]
  readonly addsUnexpected: readonly string[]
  readonly removesMissing: readonly string[]
  readonly removesUnexpected: readonly string[]
  /** The 1-minute load average before and after. */
  readonly load: readonly [number, number]
}

interface Phases {
  readonly loadModel: number
  readonly prepare: number
  readonly resolve: number
  readonly plan: number
  readonly ms: number
  readonly cpuMs: Readonly<Record<'loadModel' | 'prepare' | 'resolve' | 'plan', number>>
  readonly roles: number
  readonly notices: number
  readonly granted: number
  readonly peakRssMB: number
}

/** The collected memberships read three ways (bench/roles/worker.ts `reads`). */
type Reads = Readonly<Record<'asPlanned' | 'arrays' | 'rowidOrder', { ms: number; cpuMs: number; rows: number }>>

interface Measure {
  readonly size: number
  readonly vault: string
  readonly expected: RolesExpectation
  readonly collectMs: number
  readonly collectedRows: number
  readonly runs: readonly Evaluated[]
  readonly phases: Phases
  readonly reads: Reads
}

interface VaultAt {
  readonly database: BenchDatabase
  readonly schema: string | undefined
}

const count = (n: number) => n.toLocaleString('en-US')
const secs = (ms: number) => (ms / 1000).toFixed(2)
const loadText = (load: readonly [number, number]) => `${load[0].toFixed(1)}–${load[1].toFixed(1)}`

function worker<T>(task: string, project: string, vault: VaultAt, args: readonly string[] = []): T {
  const argv = ['--expose-gc', '--import', 'tsx', WORKER, task, '--project', project, ...args]
  if (vault.database.url !== undefined) argv.push('--database', vault.database.url, '--schema', vault.schema!)
  const before = os.loadavg()[0]!
  const output = execFileSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 24 })
  return { ...(JSON.parse(output.trim().split('\n').at(-1)!) as T), load: [before, os.loadavg()[0]!] }
}

/** A fresh project folder: the configuration, and the dataset's two databases under data/. */
function project(name: string, dataDir: string): string {
  const dir = path.join(DATA, name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  copyFileSync(CONFIG, path.join(dir, 'roles.yaml'))
  // Only read (collected), never written: the evaluation plans, it does not execute.
  symlinkSync(dataDir, path.join(dir, 'data'))
  return dir
}

/** The ways an evaluation can differ from the churn the dataset made; empty when it is right. */
function problems(run: Evaluated, expected: RolesExpectation): string[] {
  const found: string[] = []
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) found.push(`${what}: ${count(got)}, expected ${count(want)}`)
  }
  expect('adds', run.adds, expected.movers)
  expect('removes', run.removes, expected.movers + expected.strays)
  expect('unchanged', run.unchanged, expected.desired - expected.movers)
  expect('other operations', run.otherOperations, 0)
  const sample = (what: string, pairs: readonly string[]) => {
    if (pairs.length > 0) found.push(`${what}: ${pairs.map((p) => p.replace('\t', ' ← ')).join(', ')}`)
  }
  sample('adds missing', run.addsMissing)
  sample('adds not expected', run.addsUnexpected)
  sample('removes missing', run.removesMissing)
  sample('removes not expected', run.removesUnexpected)
  if (run.stopped) found.push('the plan stopped at a threshold')
  return found
}

function median<T extends { ms: number }>(runs: readonly T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!
}

async function measure(
  size: number,
  database: BenchDatabase,
  runs: number,
  dataDir: string,
  expected: RolesExpectation,
): Promise<Measure> {
  const name = `roles-${size}-${database.name}`
  const dir = project(name, dataDir)
  const schema = database.url === undefined ? undefined : `roles_${size}`
  const vault = { database, schema }
  if (database.url !== undefined) await dropSchema(database.url, schema!)
  try {
    const setup = worker<{ ms: number; rows: number }>('setup', dir, vault)
    console.log(
      `  ${count(size)} ${database.name}: collected ${count(setup.rows)} rows in ${setup.ms} ms, model activated`,
    )
    // The parts first: they also warm the vault's pages for the timed runs.
    const phases = worker<Phases>('phases', dir, vault)
    console.log(
      `  ${count(size)} ${database.name} phases: load model ${phases.loadModel} ms, prepare ${phases.prepare} ms, resolve ${phases.resolve} ms (${count(phases.roles)} roles, ${count(phases.granted)} pairs granted), plan ${phases.plan} ms`,
    )
    const reads = worker<Reads>('reads', dir, vault)
    const evaluated: Evaluated[] = []
    for (let i = 0; i < runs; i++) {
      const run = worker<Evaluated>('evaluate', dir, vault, ['--expected', path.join(dataDir, 'expected.json')])
      const wrong = problems(run, expected)
      if (wrong.length > 0)
        throw new Error(
          `roles ${count(size)} ${database.name}: the plan is not the churn made:\n  ${wrong.join('\n  ')}`,
        )
      console.log(
        `  ${count(size)} ${database.name} evaluate: ${count(run.adds)} adds, ${count(run.removes)} removes, ${count(run.unchanged)} unchanged in ${run.ms} ms, ${run.cpuMs} ms CPU (checked), peak ${run.peakRssMB} MB RSS, load ${loadText(run.load)}`,
      )
      evaluated.push(run)
    }
    return {
      size,
      vault: database.name,
      expected,
      collectMs: setup.ms,
      collectedRows: setup.rows,
      runs: evaluated,
      phases,
      reads,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    if (database.url !== undefined) await dropSchema(database.url, schema!)
  }
}

/** One more evaluation, CPU-profiled (not timed), on a fresh SQLite vault. */
function profile(size: number, dataDir: string, database: BenchDatabase): ProfileSummary {
  const dir = project(`roles-profile-${size}`, dataDir)
  try {
    const vault = { database, schema: undefined }
    worker('setup', dir, vault)
    mkdirSync(PROFILES, { recursive: true })
    const file = path.join(PROFILES, `evaluate-${size}.cpuprofile`)
    worker('evaluate', dir, vault, ['--expected', path.join(dataDir, 'expected.json'), '--profile', file])
    return summarizeProfile(file, 15)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function figuresTable(measures: readonly Measure[]): string {
  return table(
    [
      'accounts',
      'groups',
      'memberships',
      'vault',
      'adds',
      'removes',
      'unchanged',
      'runs',
      'evaluate median s',
      'min–max s',
      `< ${TARGET_MS / 1000} s`,
      'CPU s',
      'peak RSS MB',
      'V8 heap MB',
      'live heap MB',
      'load',
    ],
    measures.map((m) => {
      const run = median(m.runs)
      const times = m.runs.map((r) => r.ms)
      return [
        count(m.expected.accounts),
        count(m.expected.groups),
        count(m.expected.memberships),
        m.vault,
        count(run.adds),
        count(run.removes),
        count(run.unchanged),
        m.runs.length,
        secs(run.ms),
        `${secs(Math.min(...times))}–${secs(Math.max(...times))}`,
        run.ms < TARGET_MS ? 'yes' : `**no** (${secs(run.ms)} s)`,
        secs(run.cpuMs),
        run.peakRssMB,
        run.heapMB,
        run.liveHeapMB ?? '-',
        loadText(run.load),
      ]
    }),
  )
}

function phasesTable(measures: readonly Measure[]): string {
  return table(
    [
      'accounts',
      'vault',
      'roles',
      'pairs granted',
      'load + validate model ms (CPU)',
      'prepare ms (CPU)',
      'resolve ms (CPU)',
      'plan (compare) ms (CPU)',
      'sum ms',
      'evaluate median ms',
    ],
    measures.map((m) => {
      const p = m.phases
      const run = median(m.runs)
      return [
        count(m.expected.accounts),
        m.vault,
        count(p.roles),
        count(p.granted),
        `${p.loadModel} (${p.cpuMs.loadModel})`,
        `${p.prepare} (${p.cpuMs.prepare})`,
        `${p.resolve} (${p.cpuMs.resolve})`,
        `${p.plan} (${p.cpuMs.plan})`,
        p.ms,
        run.ms,
      ]
    }),
  )
}

function profileTables(size: number, summary: ProfileSummary): string {
  const share = (ms: number) => `${ms} (${Math.round((ms / summary.totalMs) * 100)}%)`
  // The profile's line numbers are those of tsx's compiled code, not of the source: left out, and
  // the functions of one name and file taken together.
  const merged = new Map<string, { part: string; ms: number }>()
  for (const f of summary.functions) {
    const name = f.name.replace(/:\d+$/, '')
    merged.set(name, { part: f.part, ms: (merged.get(name)?.ms ?? 0) + f.ms })
  }
  const functions = [...merged].sort((a, b) => b[1].ms - a[1].ms).map(([name, f]) => [`\`${name}\``, f.part, f.ms])
  return `Where the time goes: one more evaluation at ${count(size)} accounts on SQLite, CPU-profiled (V8's sampling profiler, started right before the evaluation; not among the timed runs), self time by part of the program (a native call, such as a SQLite statement, counts for the program code that made it):

${table(
  ['part', 'ms of self time (share)'],
  summary.parts.map((p) => [p.part, share(p.ms)]),
)}

The functions with the most self time:

${table(['function', 'part', 'ms'], functions)}`
}

function readsTable(measures: readonly Measure[]): string {
  const cell = (r: { ms: number; cpuMs: number }) => `${r.ms} (${r.cpuMs})`
  return table(
    [
      'accounts',
      'vault',
      'memberships read',
      'as planning reads them (rows as objects) ms (CPU)',
      'without ORDER BY, rows as arrays ms (CPU)',
      'in rowid order (a table scan), rows as arrays ms (CPU)',
    ],
    measures.map((m) => [
      count(m.expected.accounts),
      m.vault,
      count(m.reads.asPlanned.rows),
      cell(m.reads.asPlanned),
      cell(m.reads.arrays),
      cell(m.reads.rowidOrder),
    ]),
  )
}

/** What the figures say at the largest size, computed from them (the same sentences every run, with its numbers). */
function findings(measures: readonly Measure[]): string {
  const largest = Math.max(...measures.map((m) => m.size))
  const lines = measures
    .filter((m) => m.size === largest)
    .map((m) => {
      const run = median(m.runs)
      const p = m.phases
      const verdict = run.ms < TARGET_MS ? 'met' : '**missed**'
      const busy = run.load[0] > 2 || run.load[1] > 2 ? ' (load above the 2 cores: other work shared the machine)' : ''
      const cpu = p.cpuMs.resolve + p.cpuMs.plan
      return `- ${m.vault}: an evaluation at ${count(m.expected.accounts)} accounts took ${secs(run.ms)} s (median of ${m.runs.length}) and ${secs(run.cpuMs)} s of the process's CPU${m.vault === 'postgres' ? ' (the server’s work not counted)' : ''}, load ${loadText(run.load)}${busy}: the target of ${TARGET_MS / 1000} s is ${verdict}. Of the CPU the parts used, resolving the model took ${cpu === 0 ? 0 : Math.round((p.cpuMs.resolve / cpu) * 100)}% and comparing with the collected memberships ${cpu === 0 ? 0 : Math.round((p.cpuMs.plan / cpu) * 100)}%.`
    })
  return `What the figures say:\n\n${lines.join('\n')}`
}

function datasetTable(measures: readonly Measure[]): string {
  const sizes = [...new Map(measures.map((m) => [m.size, m])).values()]
  return table(
    [
      'accounts (service)',
      'departments',
      'locations',
      'groups (managed)',
      'contracts (current)',
      'memberships',
      'pairs granted',
      'movers',
      'strays',
      'unmanaged memberships',
      'rows collected',
    ],
    sizes.map(({ expected: e, collectedRows }) => [
      `${count(e.accounts)} (${count(e.serviceAccounts)})`,
      count(e.departments),
      count(e.locations),
      `${count(e.groups)} (${count(e.managedGroups)})`,
      `${count(e.contracts)} (${count(e.currentContracts)})`,
      count(e.memberships),
      count(e.desired),
      count(e.movers),
      count(e.strays),
      count(e.unmanaged),
      count(collectedRows),
    ]),
  )
}

export async function runRolesSuite(
  sizes: readonly number[],
  databases: readonly BenchDatabase[],
  options: RolesSuiteOptions,
): Promise<void> {
  const measures: Measure[] = []
  let profiled: ProfileSummary | undefined
  for (const size of sizes) {
    const started = performance.now()
    const { dir, expected } = rolesDataset(size)
    console.log(
      `  ${count(size)}: dataset of ${count(expected.accounts)} accounts, ${count(expected.groups)} groups, ${count(expected.memberships)} memberships ready in ${Math.round(performance.now() - started)} ms`,
    )
    for (const database of databases) measures.push(await measure(size, database, options.runs, dir, expected))
    if (!options.quick && size === sizes.at(-1)) profiled = profile(size, dir, databases[0]!)
  }
  console.log(`\n${figuresTable(measures)}\n\n${phasesTable(measures)}\n\n${readsTable(measures)}\n`)
  if (profiled !== undefined) console.log(`${profileTables(sizes.at(-1)!, profiled)}\n`)
  if (options.quick) {
    console.log('  quick run: not recorded in bench/RESULTS.md')
    return
  }
  recordSuite(
    'roles',
    `Evaluating the memberships of a directory from a role model (issue 6), on generated data (bench/roles/dataset.ts): N employee accounts plus N/1000 service accounts; an HR source with N/100 departments, N/100 − 6 locations and contracts (94.5% of the people with one current contract, 3% with two in two departments and at two locations, 2% leavers, 0.5% future starters, 5% with an old ended contract too); a directory with a group per department (DEPGRP_) and per location (LOCGRP_), ALL_STAFF and ${UNMANAGED_GROUPS.length} unmanaged groups, and its memberships table as it stood before a churn of 1%: **movers** (N/100 people with one contract whose department HR changed: one add and one remove each), **strays** (N/100 memberships in managed groups that no role grants: other units' employees, leavers, service accounts, half of them with the member in upper case: one remove each), and N/100 memberships in unmanaged groups (must stay); 1% of the unchanged rows spell the group in lower case (case-insensitive columns: the same pairs). Both systems are SQLite files behind the \`sql\` connector, collected into the vault through it (the directory's \`group_members\` is a memberships table, \`memberships: { group: group_cn, member: member }\`).

The role model (bench/roles/roles.yaml, validated as any project): role all_staff (member filter current_staff: employees with a contract running on the reference day, joined to their account) → ALL_STAFF; generator department_roles (one role per department; member filter staff_in_unit with \`unit\` bound from the generation row, so one lifted statement for all departments) → \`'DEPGRP_' || d.organizational_unit\`; generator location_roles (the same per location) → \`'LOCGRP_' || l.code\`. It is activated once after collecting.

- **evaluate**: \`evaluateJob\` of job directory_memberships (one step, \`memberships: directory\`, thresholds 5% for adds and removes), what \`provisio job evaluate\` runs: load the active model from the vault and validate it again against the project, resolve it (the generation filters, the groups, the three member statements), compare the granted pairs with the collected memberships, store the plan, check the thresholds. Each run in its own process, on the same vault (each adds a plan); the median of ${options.runs} runs is shown. After the clock, each run's plan is checked against the churn the dataset made (the counts, and every pair added and removed): a wrong plan fails the suite.
- **phases**: the same parts timed one by one in a process of their own (run before the timed evaluations): loading and validating the active model, preparing it (compiling filters and expressions), resolving it, planning (comparing with the collected memberships). Storing the plan and checking the thresholds are not among them (as many operations as the churn: a small part).

Memory: peak RSS is the process's maxRSS; "V8 heap" the heap's committed size right after the evaluation (what it grew to); live heap the used heap after a full collection at the end.

Target: evaluate under ${TARGET_MS / 1000} s at ${count(TARGET_SIZE)} accounts (2,000 groups, 300k memberships, 1% churn).

Datasets:

${datasetTable(measures)}

${figuresTable(measures)}

The parts of an evaluation (wall-clock ms, the process's CPU ms in brackets; on PostgreSQL the server's work is not in the CPU figure):

${phasesTable(measures)}

What reading the collected memberships costs, and what it could (the faster of two reads each, in a process of its own). Planning reads the current rows of the memberships table in row order (\`SELECT … FROM <table>__versions WHERE _to IS NULL ORDER BY _rid\`: on SQLite a scan of the table), decoded into objects; beside it the same rows as plain arrays without the order (on SQLite, for a table without a primary key, that statement scans the partial index on \`_key\` and looks each row up in the table) and in row order:

${readsTable(measures)}

${findings(measures)}
${profiled === undefined ? '' : `\n${profileTables(sizes.at(-1)!, profiled)}\n`}`,
  )
}
