/**
 * Suite `ldap` (issue 5): Provisio against a plain ldapts script doing the same work at the same
 * concurrency, in the same run, on a slapd of the suite's own (bench/ldap/directory.ts).
 *
 * - collect: collectSystem of a users table of n entries (entryUUID, dn and ten attributes) into a
 *   SQLite vault, first into an empty vault and again unchanged (in full, and incrementally from
 *   the first's watermark), against a paged search of the same entries and attributes at the same
 *   page size that only counts them; plus Provisio's read alone (the connection's pages drained,
 *   nothing stored) and the collection's split between waiting for LDAP and the vault's work;
 * - create: executePlan of a plan of n/10 creates (planned from a CSV source through a filter and
 *   a mapping, as `plan execute` runs it) with concurrency C, against the plain script's adds over C
 *   connections, C in flight, with and without reading each created entry back; plus the same plan
 *   against a no-op target (the engine's own cost).
 *
 * Every measure runs in its own process, `runs` times in rotating order, and the median is kept.
 * What-if measures repeat some with a larger V8 young generation (the profiles show Provisio's
 * reads spending much of their time in the garbage collector). One more run of each phase is
 * CPU-profiled (not timed) to say where Provisio's time goes.
 *
 * Target: Provisio within 10% of the plain script.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  ADMIN_PASSWORD,
  type BenchDirectory,
  PERSON_ATTRIBUTES,
  SUFFIX,
  createCsv,
  createOu,
  installDirectory,
  peopleLdif,
  peopleOu,
  serverCpuSeconds,
  startDirectory,
  stopDirectory,
} from './ldap/directory.ts'
import { type ProfileSummary, summarizeProfile } from './ldap/profile.ts'
import {
  CONCURRENCY,
  PASSWORD_ENV,
  collectProject,
  createFunction,
  createProject,
  projectDir,
  searchOf,
} from './ldap/project.ts'
import { DATA } from './support/databases.ts'
import { recordSuite, table } from './support/results.ts'

export interface LdapSuiteOptions {
  /** Timed runs of each measure; the median is kept. */
  readonly runs: number
  /** Smoke run: no profiles, nothing recorded in RESULTS.md. */
  readonly quick: boolean
}

/** The sizes of a quick run: collect 2,000 entries, create 200. */
export const QUICK_SIZES = [2_000] as const
/** The issue's sizes: collect 100k entries, create 10k. */
export const DEFAULT_SIZES = [100_000] as const

/** The projects hold vaults of some 50 MB at 100k and serve no later run: removed once measured. */
const RM = { recursive: true, force: true } as const

const WORKER = path.join(import.meta.dirname, 'ldap', 'worker.ts')
const PLAIN = path.join(import.meta.dirname, 'ldap', 'plain.ts')
const PROFILES = path.join(DATA, 'ldap-profiles')

/** What one measured process printed, with what the suite saw around it. */
interface Figures {
  readonly ms: number
  readonly cpuMs: number
  readonly maxRssMB: number
  readonly rows?: number
  readonly entries?: number
  readonly added?: number
  readonly readBack?: number
  readonly succeeded?: number
  readonly failed?: number
  readonly failures?: readonly string[]
  readonly readMs?: number
  readonly readRows?: number
  /** slapd's CPU seconds during the process. */
  readonly serverCpuS: number
  /** The 1-minute load average before and after. */
  readonly load: readonly [number, number]
}

interface Measure {
  readonly size: number
  readonly what: string
  /** Entries read or operations applied. */
  readonly units: number
  readonly runs: Figures[]
}

const count = (n: number) => n.toLocaleString('en-US')
const secs = (ms: number) => (ms / 1000).toFixed(2)

/**
 * The V8 flag of the what-if measures: a young generation of 64 MiB semi-spaces instead of 16. The
 * profiles show Provisio's reads spending about 40% of their CPU in the garbage collector, promoting
 * pages that outlive two scavenges; this says what a larger young generation would save.
 */
const SEMI_SPACE = '--max-semi-space-size=64'

function child(script: string, args: readonly string[], directory: BenchDirectory, v8Flags: string[] = []): Figures {
  const before = { load: os.loadavg()[0]!, server: serverCpuSeconds(directory.pid) }
  const output = execFileSync(process.execPath, [...v8Flags, '--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, [PASSWORD_ENV]: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const figures = JSON.parse(output.trim().split('\n').at(-1)!) as Omit<Figures, 'serverCpuS' | 'load'>
  return {
    ...figures,
    serverCpuS: serverCpuSeconds(directory.pid) - before.server,
    load: [before.load, os.loadavg()[0]!],
  }
}

/** The run with the median time (the middle one; of an even number, the faster middle one). */
function median(runs: readonly Figures[]): Figures {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

/** Rotates `blocks` by `run`, so that no measure always goes first (cold) or last. */
function rotated<T>(blocks: readonly T[], run: number): T[] {
  const k = run % blocks.length
  return [...blocks.slice(k), ...blocks.slice(0, k)]
}

class Measures {
  readonly all: Measure[] = []

  add(size: number, what: string, units: number, figures: Figures): void {
    let measure = this.all.find((m) => m.size === size && m.what === what)
    if (measure === undefined) this.all.push((measure = { size, what, units, runs: [] }))
    measure.runs.push(figures)
    const problems = [
      figures.failed ? `${figures.failed} failed: ${figures.failures?.join('; ')}` : '',
      figures.readRows !== undefined && figures.readRows !== figures.rows ? `${count(figures.readRows)} rows read` : '',
    ].filter((p) => p !== '')
    console.log(
      `  ${count(size)} ${what}: ${secs(figures.ms)} s, client CPU ${secs(figures.cpuMs)} s, slapd CPU ${figures.serverCpuS.toFixed(2)} s, peak ${figures.maxRssMB} MB${problems.length === 0 ? '' : ` (${problems.join(', ')})`}, load ${figures.load[0].toFixed(1)}–${figures.load[1].toFixed(1)}`,
    )
  }

  get(size: number, what: string): Measure | undefined {
    return this.all.find((m) => m.size === size && m.what === what)
  }
}

// The measures' names, as the tables show them.
const COLLECT_FIRST = 'collect, first (empty vault)'
const COLLECT_AGAIN = 'collect, unchanged again'
const COLLECT_INCREMENTAL = 'collect, unchanged again, incremental'
const READ_ONLY = 'read only (connection.read, nothing stored)'
const PLAIN_SEARCH = 'plain paged search (counting)'
const EXECUTE = 'create: executePlan'
const EXECUTE_NOOP = 'create: executePlan, no-op target'
const PLAIN_ADD = 'plain add'
const PLAIN_ADD_READ = 'plain add + read-back'
/** The what-if measures' names: the measure's name with this suffix. */
const WITH_SEMI_SPACE = `, ${SEMI_SPACE}`

function plainSearchArgs(size: number, directory: BenchDirectory, profile?: string): string[] {
  const base = `${peopleOu(size)},${SUFFIX}`
  const search = searchOf(base)
  return [
    'search',
    '--url',
    directory.url,
    '--base',
    base,
    '--filter',
    search.filter,
    '--attributes',
    search.attributes.join(','),
    '--page-size',
    String(search.pageSize),
    ...(profile === undefined ? [] : ['--profile', profile]),
  ]
}

function plainAddArgs(csvFolder: string, ou: string, directory: BenchDirectory, readBack: boolean): string[] {
  const args = ['add', '--url', directory.url, '--csv', path.join(csvFolder, 'people.csv'), '--ou', ou]
  args.push('--concurrency', String(CONCURRENCY))
  // Provisio's create reads the new entry back as a row of the table: the attributes its search asks for.
  if (readBack) args.push('--read-back', searchOf(ou).attributes.join(','))
  return args
}

async function measureCollect(size: number, directory: BenchDirectory, runs: number, measures: Measures) {
  const base = `${peopleOu(size)},${SUFFIX}`
  // Warm-up, not counted: the first read after loading brings slapd's database into memory.
  child(PLAIN, plainSearchArgs(size, directory), directory)
  for (let run = 0; run < runs; run++) {
    const blocks: (() => void)[] = [
      () => {
        const project = collectProject(`collect-${size}`, directory.url, base)
        measures.add(size, COLLECT_FIRST, size, child(WORKER, ['collect', '--project', project], directory))
        measures.add(size, COLLECT_AGAIN, size, child(WORKER, ['collect', '--project', project], directory))
        const incremental = child(WORKER, ['collect', '--project', project, '--incremental'], directory)
        measures.add(size, COLLECT_INCREMENTAL, size, incremental)
      },
      () => {
        const project = collectProject(`read-${size}`, directory.url, base)
        measures.add(size, READ_ONLY, size, child(WORKER, ['read', '--project', project], directory))
      },
      () => measures.add(size, PLAIN_SEARCH, size, child(PLAIN, plainSearchArgs(size, directory), directory)),
      () => {
        const project = collectProject(`collect-semi-${size}`, directory.url, base)
        const collect = child(WORKER, ['collect', '--project', project], directory, [SEMI_SPACE])
        measures.add(size, COLLECT_FIRST + WITH_SEMI_SPACE, size, collect)
        const read = child(WORKER, ['read', '--project', project], directory, [SEMI_SPACE])
        measures.add(size, READ_ONLY + WITH_SEMI_SPACE, size, read)
        const plain = child(PLAIN, plainSearchArgs(size, directory), directory, [SEMI_SPACE])
        measures.add(size, PLAIN_SEARCH + WITH_SEMI_SPACE, size, plain)
      },
    ]
    for (const block of rotated(blocks, run)) block()
  }
  for (const name of ['collect', 'read', 'collect-semi']) rmSync(projectDir(`${name}-${size}`), RM)
}

interface PreparedPlan {
  readonly project: string
  readonly planId: number
}

/** A project with a stored plan of creates into the new OU `ou`, collected and evaluated (setup). */
async function preparePlan(name: string, ou: string, creates: number, directory: BenchDirectory) {
  const dn = await createOu(directory.url, ou)
  const project = createProject(name, directory.url, dn, createCsv(creates))
  const prepared = child(WORKER, ['prepare', '--project', project], directory) as Figures & {
    planId: number
    operations: number
  }
  if (prepared.operations !== creates)
    throw new Error(`The plan of ${name} has ${prepared.operations} operations, not ${creates}`)
  return { project, planId: prepared.planId, ms: prepared.ms }
}

async function measureCreate(size: number, directory: BenchDirectory, runs: number, measures: Measures) {
  const creates = Math.max(1, Math.round(size / 10))
  const csv = createCsv(creates)
  // Warm-up, not counted: slapd's first adds allocate pages the later ones reuse.
  child(PLAIN, plainAddArgs(csv, await createOu(directory.url, `warmup-${size}`), directory, false), directory)
  for (let run = 0; run < runs; run++) {
    const tag = `${size}-${run}`
    const provisio: PreparedPlan = await preparePlan(`create-${tag}`, `provisio-${tag}`, creates, directory)
    const noop: PreparedPlan = await preparePlan(`noop-${tag}`, `noop-${tag}`, creates, directory)
    const semi: PreparedPlan = await preparePlan(`semi-${tag}`, `semi-${tag}`, creates, directory)
    const addOu = await createOu(directory.url, `plain-${tag}`)
    const readOu = await createOu(directory.url, `plain-read-${tag}`)
    const blocks: (() => void)[] = [
      () => {
        const args = ['execute', '--project', provisio.project, '--plan', String(provisio.planId)]
        measures.add(size, EXECUTE, creates, child(WORKER, args, directory))
      },
      () => measures.add(size, PLAIN_ADD, creates, child(PLAIN, plainAddArgs(csv, addOu, directory, false), directory)),
      () => {
        const args = plainAddArgs(csv, readOu, directory, true)
        measures.add(size, PLAIN_ADD_READ, creates, child(PLAIN, args, directory))
      },
      () => {
        const args = ['execute-noop', '--project', noop.project, '--plan', String(noop.planId)]
        measures.add(size, EXECUTE_NOOP, creates, child(WORKER, args, directory))
      },
      () => {
        const args = ['execute', '--project', semi.project, '--plan', String(semi.planId)]
        measures.add(size, EXECUTE + WITH_SEMI_SPACE, creates, child(WORKER, args, directory, [SEMI_SPACE]))
      },
    ]
    for (const block of rotated(blocks, run)) block()
    for (const p of [provisio, noop, semi]) rmSync(p.project, RM)
  }
}

interface Profiled {
  readonly what: string
  readonly summary: ProfileSummary
}

/** One profiled (untimed) run of each phase at `size`. */
async function profile(size: number, directory: BenchDirectory): Promise<Profiled[]> {
  rmSync(PROFILES, { recursive: true, force: true })
  mkdirSync(PROFILES, { recursive: true })
  const base = `${peopleOu(size)},${SUFFIX}`
  const file = (name: string) => path.join(PROFILES, `${name}.cpuprofile`)
  const profiled: Profiled[] = []
  const run = (what: string, name: string, script: string, args: readonly string[]) => {
    child(script, [...args, '--profile', file(name)], directory)
    profiled.push({ what, summary: summarizeProfile(file(name)) })
  }
  const collect = collectProject(`profile-collect-${size}`, directory.url, base)
  run(COLLECT_FIRST, 'collect-first', WORKER, ['collect', '--project', collect])
  run(COLLECT_AGAIN, 'collect-again', WORKER, ['collect', '--project', collect])
  run(READ_ONLY, 'read', WORKER, ['read', '--project', collect])
  run(PLAIN_SEARCH, 'plain-search', PLAIN, plainSearchArgs(size, directory))
  const creates = Math.max(1, Math.round(size / 10))
  const plan = await preparePlan(`profile-create-${size}`, `profile-provisio-${size}`, creates, directory)
  run(EXECUTE, 'execute', WORKER, ['execute', '--project', plan.project, '--plan', String(plan.planId)])
  const ou = await createOu(directory.url, `profile-plain-${size}`)
  run(PLAIN_ADD_READ, 'plain-add-read', PLAIN, plainAddArgs(createCsv(creates), ou, directory, true))
  writeFileSync(path.join(PROFILES, 'summaries.json'), JSON.stringify(profiled, null, 2))
  for (const dir of [collect, plan.project]) rmSync(dir, RM)
  for (const p of profiled) {
    console.log(`  profile ${count(size)} ${p.what}: ${p.summary.totalMs} ms sampled`)
    for (const part of p.summary.parts.slice(0, 8)) console.log(`    ${part.ms} ms  ${part.part}`)
    for (const f of p.summary.functions.slice(0, 8)) console.log(`      ${f.ms} ms  ${f.name}`)
  }
  return profiled
}

const rate = (units: number, ms: number) => count(Math.round(units / (ms / 1000)))
const range = (m: Measure) => {
  const times = m.runs.map((r) => r.ms)
  return `${secs(Math.min(...times))}–${secs(Math.max(...times))}`
}
const loadText = (m: Measure) => {
  const loads = m.runs.flatMap((r) => r.load)
  return `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`
}

function figuresTable(measures: Measures): string {
  return table(
    [
      'entries',
      'measure',
      'entries or operations',
      'runs',
      'median s',
      'min–max s',
      'per second',
      'client CPU s',
      'slapd CPU s',
      'peak RSS MB',
      'load',
    ],
    measures.all.map((m) => {
      const f = median(m.runs)
      return [
        count(m.size),
        m.what,
        count(m.units),
        m.runs.length,
        secs(f.ms),
        range(m),
        rate(m.units, f.ms),
        secs(f.cpuMs),
        f.serverCpuS.toFixed(2),
        f.maxRssMB,
        loadText(m),
      ]
    }),
  )
}

/** Provisio against the plain script, each pair at each size, with the 10% target. */
function comparisonTable(measures: Measures, sizes: readonly number[]): string {
  const pairs: [string, string, string][] = [
    [COLLECT_FIRST, PLAIN_SEARCH, 'the issue’s comparison; Provisio also stores every row'],
    [COLLECT_AGAIN, PLAIN_SEARCH, 'Provisio reads everything again and compares'],
    [COLLECT_INCREMENTAL, PLAIN_SEARCH, 'Provisio reads only what changed (nothing); the plain script all'],
    [READ_ONLY, PLAIN_SEARCH, 'the same work: both read and hold nothing'],
    [EXECUTE, PLAIN_ADD_READ, 'the same work: add, then read the entry back'],
    [EXECUTE, PLAIN_ADD, 'add only: Provisio does more (read-back, vault)'],
  ]
  const rows: string[][] = []
  for (const size of sizes)
    for (const [ours, theirs, note] of pairs) {
      const a = measures.get(size, ours)
      const b = measures.get(size, theirs)
      if (a === undefined || b === undefined) continue
      const ratio = median(a.runs).ms / median(b.runs).ms
      // A run whose operations failed did less than the plain script: its time proves nothing.
      const failed = a.runs.reduce((n, r) => n + (r.failed ?? 0), 0)
      const verdict =
        failed > 0
          ? `invalid: ${count(failed)} operations failed`
          : ratio <= 1.1
            ? 'met'
            : `missed (+${Math.round((ratio - 1) * 100)}%)`
      rows.push([
        count(size),
        ours,
        theirs,
        secs(median(a.runs).ms),
        secs(median(b.runs).ms),
        ratio.toFixed(2),
        verdict,
        note,
      ])
    }
  return table(['entries', 'Provisio', 'plain script', 'Provisio s', 'plain s', 'ratio', '≤ 1.10', 'note'], rows)
}

/** Where a collection's time goes: waiting for LDAP pages against the vault's work. */
function collectSplitTable(measures: Measures, sizes: readonly number[]): string {
  const rows: string[][] = []
  for (const size of sizes)
    for (const what of [COLLECT_FIRST, COLLECT_AGAIN, COLLECT_INCREMENTAL]) {
      const m = measures.get(size, what)
      if (m === undefined) continue
      const f = median(m.runs)
      const read = f.readMs ?? 0
      rows.push([
        count(size),
        what,
        count(f.readRows ?? 0),
        secs(f.ms),
        secs(read),
        secs(f.ms - read),
        `${Math.round(((f.ms - read) / f.ms) * 100)}%`,
      ])
    }
  return table(
    ['entries', 'collection', 'rows read from LDAP', 'total s', 'waiting for LDAP pages s', 'vault s', 'vault share'],
    rows,
  )
}

/** Per operation: Provisio's execution, the plain script's, and the engine's own cost (no-op target). */
function createSplitTable(measures: Measures, sizes: readonly number[]): string {
  const rows: string[][] = []
  for (const size of sizes) {
    const execute = measures.get(size, EXECUTE)
    const noop = measures.get(size, EXECUTE_NOOP)
    const plain = measures.get(size, PLAIN_ADD_READ)
    const add = measures.get(size, PLAIN_ADD)
    if (execute === undefined || noop === undefined || plain === undefined || add === undefined) continue
    const us = (m: Measure, f: (x: Figures) => number) => ((f(median(m.runs)) * 1000) / m.units).toFixed(0)
    rows.push([
      count(size),
      count(execute.units),
      us(execute, (f) => f.ms),
      us(plain, (f) => f.ms),
      us(add, (f) => f.ms),
      us(noop, (f) => f.ms),
      us(execute, (f) => f.cpuMs),
      us(plain, (f) => f.cpuMs),
      us(execute, (f) => f.serverCpuS * 1000),
      us(plain, (f) => f.serverCpuS * 1000),
    ])
  }
  return table(
    [
      'entries',
      'creates',
      'Provisio µs/op',
      'plain add + read-back µs/op',
      'plain add µs/op',
      'engine alone (no-op target) µs/op',
      'Provisio client CPU µs/op',
      'plain client CPU µs/op',
      'slapd CPU µs/op (Provisio run)',
      'slapd CPU µs/op (plain run)',
    ],
    rows,
  )
}

/** Each what-if measure against the same measure with V8's defaults. */
function semiSpaceTable(measures: Measures, sizes: readonly number[]): string {
  const rows: string[][] = []
  for (const size of sizes)
    for (const what of [COLLECT_FIRST, READ_ONLY, PLAIN_SEARCH, EXECUTE]) {
      const normal = measures.get(size, what)
      const larger = measures.get(size, what + WITH_SEMI_SPACE)
      if (normal === undefined || larger === undefined) continue
      const [a, b] = [median(normal.runs), median(larger.runs)]
      rows.push([count(size), what, secs(a.ms), secs(a.cpuMs), secs(b.ms), secs(b.cpuMs), (b.ms / a.ms).toFixed(2)])
    }
  return table(
    [
      'entries',
      'measure',
      'default s',
      'default client CPU s',
      `${SEMI_SPACE} s`,
      `${SEMI_SPACE} client CPU s`,
      'ratio',
    ],
    rows,
  )
}

function profileTable(profiles: readonly Profiled[]): string {
  const parts = [...new Set(profiles.flatMap((p) => p.summary.parts.slice(0, 6).map((x) => x.part)))]
  const rows = parts.map((part) => [
    part,
    ...profiles.map((p) => {
      const ms = p.summary.parts.find((x) => x.part === part)?.ms ?? 0
      return `${ms} (${Math.round((ms / p.summary.totalMs) * 100)}%)`
    }),
  ])
  rows.push(['total sampled', ...profiles.map((p) => String(p.summary.totalMs))])
  return table(['ms of self time (share)', ...profiles.map((p) => p.what)], rows)
}

export async function runLdapSuite(sizes: readonly number[], options: LdapSuiteOptions): Promise<void> {
  const missing = installDirectory()
  if (missing !== undefined) {
    console.log(`  skipped: no OpenLDAP server to measure against (${missing})`)
    return
  }
  const base = `${peopleOu(sizes[0]!)},${SUFFIX}`
  const fn = createFunction(base)
  const given = fn === undefined ? [] : PERSON_ATTRIBUTES.filter((a) => fn.parameters.some((p) => p.name === a))
  if (fn !== undefined && given.length < PERSON_ATTRIBUTES.length)
    console.log(
      `  note: ${fn.name} takes ${given.length} of the ${PERSON_ATTRIBUTES.length} attributes the plain script adds`,
    )

  let started = performance.now()
  const ldif = await peopleLdif(sizes)
  const ldifSeconds = (performance.now() - started) / 1000
  const loaded = sizes.reduce((n, s) => n + s, 0)
  const directory = startDirectory(ldif, loaded * 3)
  console.log(
    `  slapd ${directory.url} (pid ${directory.pid}): ${count(loaded)} entries loaded with slapadd in ${directory.setupSeconds.toFixed(1)} s (LDIF ${ldifSeconds.toFixed(1)} s), database ${Math.round(directory.databaseBytes / 2 ** 20)} MB`,
  )
  const measures = new Measures()
  let profiles: Profiled[] = []
  started = performance.now()
  try {
    for (const size of sizes) {
      await measureCollect(size, directory, options.runs, measures)
      if (fn === undefined) console.log('  create skipped: the LDAP connector declares no create function yet')
      else await measureCreate(size, directory, options.runs, measures)
    }
    if (!options.quick) profiles = await profile(sizes.at(-1)!, directory)
  } finally {
    stopDirectory()
  }
  const sortedSizes = [...sizes]
  const body = `Provisio against a plain ldapts 8.2 script doing the same work at the same concurrency, in the same run, on a slapd of the suite's own (OpenLDAP ${slapdVersion()}, mdb, \`olcDbNoSync\`, plain \`ldap://\` on loopback: TLS would cost both clients the same; bench/ldap/directory.ts). Setup, not measured: ${count(loaded)} generated people (\`ou=people-<n>\`, inetOrgPerson with ${PERSON_ATTRIBUTES.length} attributes: ${PERSON_ATTRIBUTES.join(', ')}) loaded offline with \`slapadd -q\` (scripts/start-slapd.sh's SLAPD_LOAD_LDIF) in ${directory.setupSeconds.toFixed(1)} s including the server's start, ${Math.round(directory.databaseBytes / 2 ** 20)} MB of database. Both clients bind as the admin (no size limit). Every measure runs in its own process, ${options.runs} times in rotating order, after an uncounted warm-up; the median run is shown. "client CPU" is the measuring process's CPU time (user + system), "slapd CPU" the server's during the same process, "load" the 1-minute load average before and after each run (2 cores: above 2, other work shared the machine; slapd and the client share the same 2 cores).

- **${COLLECT_FIRST}**, **${COLLECT_AGAIN}**: \`collectSystem\` of system \`ldap\` (connector ldap, flavour ldap) with table \`users\` over \`ou=people-<n>\`: entryUUID (primary key), dn and the ${PERSON_ATTRIBUTES.length} attributes, page size ${searchOf(base).pageSize} (the connector's default), into a fresh SQLite vault, then again into the same vault with nothing changed, in full (the default) and incrementally (\`incremental: true\`, from the watermark the last collection recorded: the entries changed since, by modifyTimestamp, five minutes of clock skew allowed; the loaded people carry a modifyTimestamp of 2025). The connection's read is timed inside the same run (the time the vault waits for each page), which splits the collection into LDAP and vault.
- **${READ_ONLY}**: the connection's read of the same table, pages drained and counted, nothing stored.
- **${PLAIN_SEARCH}**: one ldapts client, \`searchPaginated\` with the same base, filter, attributes and page size as Provisio's read, counting entries. It stores nothing: compared with a collection it skips the vault's whole part, so only "read only" is the same work.
- **${EXECUTE}**: \`executePlan\` (what \`provisio plan execute\` runs) of a stored plan of n/10 \`${fn?.name ?? '(create)'}\` operations, planned beforehand (not timed) from a CSV source of the same people through a filter (people without an entry, a none join on uid) and a mapping giving ${given.length} attributes as they are; \`execution.concurrency: ${CONCURRENCY}\` and \`connections: ${CONCURRENCY}\`. Provisio's create adds the entry and reads it back as a row for the vault (its entryUUID is the primary key); each outcome is settled in the vault (status, audit, write-back) in group commits.
- **${PLAIN_ADD}**: the same people added by ${CONCURRENCY} ldapts clients, one add in flight on each. **${PLAIN_ADD_READ}**: the same, each add followed by a base search of the new entry for the table's attributes (entryUUID among them): the same work as Provisio's create against the directory, without the vault.
- **${EXECUTE_NOOP}**: the same plan executed through the engine against a target that does nothing (bench/engine/noop-execution.ts): the engine's and the vault's own cost.
- **…${WITH_SEMI_SPACE}**: what-if measures, not the default: the same process with V8's young generation at 64 MiB semi-spaces instead of 16, because the profiles put much of Provisio's time in the garbage collector.

Target: Provisio within 10% of the plain script.

${figuresTable(measures)}

Provisio against the plain script (ratio of the median times; above 1.10 misses the target):

${comparisonTable(measures, sortedSizes)}

Where a collection's time goes:

${collectSplitTable(measures, sortedSizes)}

Creates, per operation:

${createSplitTable(measures, sortedSizes)}

What a larger young generation would change (\`node ${SEMI_SPACE}\`; medians of as many runs):

${semiSpaceTable(measures, sortedSizes)}
${
  profiles.length === 0
    ? ''
    : `
Where the client's time goes: one more run of each phase at ${count(sizes.at(-1)!)} entries, CPU-profiled (V8's sampling profiler, started right before the measured work; not among the timed runs), self time by part of the program; "idle" is time the process waited for the server (or for nothing to do):

${profileTable(profiles)}

Node's and native functions count for the program code that called them (a SQLite statement for the vault, Buffer slicing for ldapts). "socket writes" is \`writeBuffer\`: on loopback the kernel hands each request to slapd inside that call, and the profiler counts the time the call takes, waiting for a core included.

${findings(measures, sizes.at(-1)!, profiles)}`
}`
  console.log(`  measured in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  console.log(`\n${comparisonTable(measures, sortedSizes)}\n\n${collectSplitTable(measures, sortedSizes)}\n`)
  if (measures.get(sortedSizes[0]!, EXECUTE) !== undefined) console.log(`${createSplitTable(measures, sortedSizes)}\n`)
  console.log(`${semiSpaceTable(measures, sortedSizes)}\n`)
  if (options.quick) console.log('  quick run: not recorded in bench/RESULTS.md')
  else recordSuite('ldap', body)
}

/** What the figures and profiles say, computed from them (the same sentences every run, with its numbers). */
function findings(measures: Measures, size: number, profiles: readonly Profiled[]): string {
  const lines: string[] = []
  const f = (what: string) => {
    const m = measures.get(size, what)
    return m === undefined ? undefined : { m, f: median(m.runs) }
  }
  const part = (what: string, name: string) =>
    profiles.find((p) => p.what === what)?.summary.parts.find((x) => x.part === name)?.ms ?? 0
  const gc = 'garbage collector'
  const read = f(READ_ONLY)
  const plain = f(PLAIN_SEARCH)
  const readSemi = f(READ_ONLY + WITH_SEMI_SPACE)
  if (read !== undefined && plain !== undefined) {
    lines.push(
      `- Reading: Provisio's read alone took ${secs(read.f.ms)} s and ${secs(read.f.cpuMs)} s of client CPU, the plain search ${secs(plain.f.ms)} s and ${secs(plain.f.cpuMs)} s; slapd spent about the same on both (${read.f.serverCpuS.toFixed(2)} s against ${plain.f.serverCpuS.toFixed(2)} s). In the profiles the garbage collector took ${part(READ_ONLY, gc)} ms of Provisio's read against ${part(PLAIN_SEARCH, gc)} ms of the plain search.${readSemi === undefined ? '' : ` With ${SEMI_SPACE}, Provisio's read took ${secs(readSemi.f.ms)} s and ${secs(readSemi.f.cpuMs)} s of CPU.`}`,
    )
  }
  const first = f(COLLECT_FIRST)
  if (first !== undefined && first.f.readMs !== undefined) {
    lines.push(
      `- Collecting: of the first collection's ${secs(first.f.ms)} s, ${secs(first.f.readMs)} s went to waiting for LDAP pages and ${secs(first.f.ms - first.f.readMs)} s to the vault.`,
    )
  }
  const execute = f(EXECUTE)
  const same = f(PLAIN_ADD_READ)
  const noop = f(EXECUTE_NOOP)
  if (execute !== undefined && same !== undefined && noop !== undefined) {
    const us = (ms: number) => Math.round((ms * 1000) / execute.m.units)
    lines.push(
      `- Creating: Provisio's client used ${us(execute.f.cpuMs)} µs of CPU per create against the plain script's ${us(same.f.cpuMs)} µs (add + read-back); the engine and the vault alone (no-op target) use ${us(noop.f.cpuMs)} µs. slapd needed ${us(execute.f.serverCpuS * 1000)} µs per create in Provisio's run and ${us(same.f.serverCpuS * 1000)} µs in the plain script's: client and server share the machine's 2 cores, so every µs of client CPU is taken from the server. The profiles put ${part(EXECUTE, gc)} ms of Provisio's execution in the garbage collector against ${part(PLAIN_ADD_READ, gc)} ms of the plain script's.`,
    )
  }
  return lines.length === 0 ? '' : `What the figures say:\n\n${lines.join('\n')}`
}

function slapdVersion(): string {
  // slapd -VV prints its version on stderr.
  const run = spawnSync('/usr/sbin/slapd', ['-VV'], { encoding: 'utf8' })
  return /slapd ([\d.]+)/.exec(`${run.stdout}${run.stderr}`)?.[1] ?? 'unknown'
}
