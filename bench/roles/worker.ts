/**
 * One phase of the `roles` suite, in its own process so that its peak memory is its own:
 *
 *   setup                   collect both systems into the vault and activate the development model
 *   evaluate [--profile F]  evaluate job directory_memberships (one memberships step) into a stored plan,
 *                           then check the plan against the dataset's expectation (not timed)
 *   phases                  the evaluation's parts one by one: load the active model, prepare it,
 *                           resolve it (generation and member filters), plan the memberships
 *   reads                   the collected memberships read three ways (what planning reads, what it
 *                           costs, and what a table scan would cost): a what-if for the vault's read
 *
 * Prints one JSON line with the figures. Run with --expose-gc for the live-heap figure.
 */
import { readFileSync } from 'node:fs'
import v8 from 'node:v8'
import { parseArgs } from 'node:util'
import { loadValidProject } from '../../src/config/index.ts'
import { collectSystem } from '../../src/connectors/index.ts'
import { activateDevelopmentModel, loadActiveRoleModel } from '../../src/engine/index.ts'
import { planMemberships } from '../../src/engine/roles/plan-memberships.ts'
import { resolveRoleModel } from '../../src/engine/roles/resolve-roles.ts'
import { prepareRoleModel } from '../../src/engine/roles/role-runtime.ts'
import { evaluateJob } from '../../src/jobs/index.ts'
import {
  openReader,
  openVaultDriver,
  requireVaultTable,
  streamCurrentColumns,
  streamOperations,
} from '../../src/vault/index.ts'
import { profiled } from '../ldap/profile.ts'
import type { RolesExpectation } from './dataset.ts'

/** The job and the system of bench/roles/roles.yaml. */
const JOB = 'directory_memberships'
const SYSTEM = 'directory'
const MEMBERSHIPS = 'group_members'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    project: { type: 'string' },
    database: { type: 'string' },
    schema: { type: 'string' },
    expected: { type: 'string' },
    profile: { type: 'string' },
  },
})
const task = positionals[0]
const projectDir = values.project!
const project = await loadValidProject(projectDir)
const driver = await openVaultDriver({ projectDir, database: values.database, schema: values.schema })

const MB = 2 ** 20
const round = (ms: number) => Math.round(ms)

/**
 * The process's memory after a phase: peak RSS (maxRSS), the V8 heap's committed size at the end
 * (V8 keeps what it grew to for a while: close to the peak), and the live heap after a full collection.
 */
function memory() {
  const committed = v8.getHeapStatistics().total_heap_size
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  return {
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapMB: Math.round(committed / MB),
    liveHeapMB: gc === undefined ? undefined : Math.round(v8.getHeapStatistics().used_heap_size / MB),
  }
}

/** Milliseconds of CPU (user and system) the process used since `since`. */
function cpuOf(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return round((used.user + used.system) / 1000)
}

/** The plan's membership operations as `group\tmember` in lower case, by semantics. */
async function planPairs(planId: number) {
  const adds: string[] = []
  const removes: string[] = []
  let other = 0
  for await (const page of streamOperations(driver, planId)) {
    for (const op of page) {
      const key = `${String(op.attributes['group'])}\t${String(op.attributes['member'])}`.toLowerCase()
      if (op.semantics === 'membership-add') adds.push(key)
      else if (op.semantics === 'membership-remove') removes.push(key)
      else other++
    }
  }
  return { adds: adds.sort(), removes: removes.sort(), other }
}

/** Up to 5 entries of `a` that `b` lacks. */
function missing(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b)
  return a.filter((x) => !set.has(x)).slice(0, 5)
}

async function run(): Promise<object> {
  switch (task) {
    case 'setup': {
      const started = performance.now()
      let rows = 0
      for (const system of project.systems) {
        const result = await collectSystem({ driver, system, projectDir, force: true })
        rows += result.tables.reduce((n, t) => n + t.rowsAfter, 0)
      }
      const collectMs = round(performance.now() - started)
      const activation = await activateDevelopmentModel(driver, project, { actor: 'bench' })
      return { ms: collectMs, rows, activeModel: activation.active.id }
    }
    case 'evaluate': {
      const started = performance.now()
      const cpu = process.cpuUsage()
      const evaluation = await profiled(values.profile, () => evaluateJob(driver, project, JOB, { actor: 'bench' }))
      const ms = round(performance.now() - started)
      const cpuMs = cpuOf(cpu)
      const figures = memory()
      const step = (semantics: string) => evaluation.steps.filter((s) => s.semantics === semantics)
      const sum = (semantics: string, key: 'operations' | 'unchanged') =>
        step(semantics).reduce((n, s) => n + s[key], 0)
      // The check, after the clock: the plan's pairs against the dataset's.
      const expected = JSON.parse(readFileSync(values.expected!, 'utf8')) as RolesExpectation
      const pairs = await planPairs(evaluation.planId)
      return {
        ms,
        cpuMs,
        ...figures,
        planId: evaluation.planId,
        stopped: evaluation.stopped,
        adds: sum('membership-add', 'operations'),
        removes: sum('membership-remove', 'operations'),
        unchanged: sum('membership-add', 'unchanged'),
        otherOperations: pairs.other,
        addsMissing: missing(expected.adds, pairs.adds),
        addsUnexpected: missing(pairs.adds, expected.adds),
        removesMissing: missing(expected.removes, pairs.removes),
        removesUnexpected: missing(pairs.removes, expected.removes),
      }
    }
    case 'phases': {
      const { reader, release } = await openReader(driver)
      try {
        const times: Record<string, number> = {}
        const cpu: Record<string, number> = {}
        const timed = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
          const started = performance.now()
          const used = process.cpuUsage()
          const result = await work()
          times[name] = round(performance.now() - started)
          cpu[name] = cpuOf(used)
          return result
        }
        const model = await timed('loadModel', () => loadActiveRoleModel(driver, project))
        const runtime = await timed('prepare', () => prepareRoleModel(project, model.config, driver.dialect.name))
        const resolved = await timed('resolve', () => resolveRoleModel(reader, runtime, { systems: new Set([SYSTEM]) }))
        const plans = await timed('plan', () => planMemberships(reader, resolved, SYSTEM))
        return {
          ...times,
          ms: Object.values(times).reduce((a, b) => a + b, 0),
          cpuMs: cpu,
          roles: resolved.roles.length,
          notices: resolved.notices.length,
          granted: resolved.roles.reduce(
            (n, r) => n + r.items.reduce((m, i) => m + i.groups.length * i.members.length, 0),
            0,
          ),
          adds: plans.reduce((n, p) => n + p.adds.length, 0),
          removes: plans.reduce((n, p) => n + p.removes.length, 0),
          ...memory(),
        }
      } finally {
        await release()
      }
    }
    case 'reads': {
      // The memberships table's current rows, as planMemberships reads them (in row order, decoded
      // into objects), as plain arrays without the order (on SQLite a scan of an index with a lookup
      // per row), and in row order as plain arrays: twice each, the faster kept.
      const versions = (await requireVaultTable(driver, `${SYSTEM}.${MEMBERSHIPS}`)).versions
      const current = `SELECT "group_cn", "member" FROM ${versions} WHERE _to IS NULL`
      const reads: Record<string, () => AsyncIterable<unknown[]>> = {
        asPlanned: () => streamCurrentColumns(driver, SYSTEM, MEMBERSHIPS, ['group_cn', 'member']),
        arrays: () => driver.streamArrays(current),
        rowidOrder: () => driver.streamArrays(`${current} ORDER BY _rid`),
      }
      const figures: Record<string, { ms: number; cpuMs: number; rows: number }> = {}
      for (const [name, read] of Object.entries(reads)) {
        for (let i = 0; i < 2; i++) {
          const started = performance.now()
          const used = process.cpuUsage()
          let rows = 0
          for await (const page of read()) rows += page.length
          const run = { ms: round(performance.now() - started), cpuMs: cpuOf(used), rows }
          if (figures[name] === undefined || run.cpuMs < figures[name].cpuMs) figures[name] = run
        }
      }
      return figures
    }
    default:
      throw new Error(`Unknown task '${task}'`)
  }
}

try {
  console.log(JSON.stringify(await run()))
} finally {
  await driver.close()
}
