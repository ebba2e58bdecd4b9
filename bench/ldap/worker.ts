/**
 * One measured Provisio phase of the `ldap` suite, in its own process (its CPU time and peak memory
 * are its own). Prints one JSON line:
 *
 *   collect --project P [--incremental]
 *                                  collectSystem of system `ldap` into the project's vault, as the
 *                                  CLI runs it (with --incremental: from the last collection's
 *                                  watermark); the connection's read is timed (see instrumentReads)
 *   read --project P               the connection's read of the users table, pages drained and
 *                                  counted, nothing stored: the work of the plain search
 *   prepare --project P            setup, not measured: collects every system and evaluates mapping
 *                                  create_entries into a stored plan
 *   execute --project P --plan N   executePlan: the real path of `plan execute` (LDAP connector,
 *                                  bounded concurrency, retries, status, audit and write-back)
 *   execute-noop --project P --plan N
 *                                  the same plan against a target that does nothing (bench/engine's
 *                                  no-op connection): the engine's own cost per operation
 *
 * With --profile FILE, the measured work is CPU-profiled into FILE (profile.ts).
 */
import { parseArgs } from 'node:util'
import { loadValidProject } from '../../src/config/index.ts'
import type { Connection, ReadPage } from '../../src/connectors/index.ts'
import { collectSystem, openSystem, requireConnector } from '../../src/connectors/index.ts'
import { evaluatePlan, executePlan } from '../../src/engine/index.ts'
import { silentLogger } from '../../src/core/index.ts'
import { countOperations, openVaultDriver } from '../../src/vault/index.ts'
import { executeOnNoopTarget } from '../engine/noop-execution.ts'
import { profiled } from './profile.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    project: { type: 'string' },
    plan: { type: 'string' },
    profile: { type: 'string' },
    incremental: { type: 'boolean', default: false },
  },
})
const task = positionals[0]
const projectDir = values.project!
const project = await loadValidProject(projectDir)
const driver = await openVaultDriver({ projectDir })
const ldap = project.systems.find((s) => s.name === 'ldap')!

/** Time spent waiting for the LDAP connection's pages (reading, decoding, making rows), and what they held. */
interface ReadTiming {
  ms: number
  pages: number
  rows: number
}

async function* timed(pages: AsyncIterable<ReadPage>, timing: ReadTiming): AsyncIterable<ReadPage> {
  const iterator = pages[Symbol.asyncIterator]()
  for (;;) {
    const started = performance.now()
    const next = await iterator.next()
    timing.ms += performance.now() - started
    if (next.done === true) return
    timing.pages++
    timing.rows += next.value.rows.length
    yield next.value
  }
}

/**
 * Wraps the LDAP connector's connections so that their reads are timed, leaving collectSystem as it
 * is: the time the vault waits for pages is the read's part, the rest of the collection the vault's
 * (the vault works synchronously between pages, so the two do not overlap on this thread).
 */
function instrumentReads(): ReadTiming {
  const timing: ReadTiming = { ms: 0, pages: 0, rows: 0 }
  const definition = requireConnector('ldap')
  const open = definition.open.bind(definition)
  definition.open = async (config, context): Promise<Connection> => {
    const c = await open(config, context)
    return {
      check: () => c.check(),
      discover: () => c.discover(),
      read: (options) => timed(c.read(options), timing),
      ...(c.estimateSize === undefined ? {} : { estimateSize: (table) => c.estimateSize!(table) }),
      apply: (operation, context) => c.apply(operation, context),
      ...(c.lookup === undefined ? {} : { lookup: (table, column, value) => c.lookup!(table, column, value) }),
      close: () => c.close(),
    }
  }
  return timing
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return Math.round((used.user + used.system) / 1000)
}

async function clocked<T extends object>(work: () => Promise<T>): Promise<T & { ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const result = await profiled(values.profile, work)
  return { ...result, ms: Math.round(performance.now() - started), cpuMs: cpuMs(cpu) }
}

async function run(): Promise<object> {
  switch (task) {
    case 'collect': {
      const timing = instrumentReads()
      const result = await clocked(async () => {
        const incremental = values.incremental
        const collected = await collectSystem({ driver, system: ldap, projectDir, force: true, incremental })
        const t = collected.tables[0]!
        return { rows: t.rowsAfter, added: t.added, changed: t.changed, removed: t.removed }
      })
      return { ...result, readMs: Math.round(timing.ms), readPages: timing.pages, readRows: timing.rows }
    }
    case 'read': {
      return clocked(async () => {
        const { connection } = await openSystem(ldap, { projectDir, env: process.env, logger: silentLogger })
        let rows = 0
        try {
          for await (const page of connection.read({ table: ldap.tables[0]! })) rows += page.rows.length
        } finally {
          await connection.close()
        }
        return { rows }
      })
    }
    case 'prepare': {
      const started = performance.now()
      for (const system of project.systems) await collectSystem({ driver, system, projectDir, force: true })
      const evaluation = await evaluatePlan(driver, project, {
        source: { kind: 'mapping', name: 'create_entries' },
        steps: [{ mapping: 'create_entries' }],
      })
      const step = evaluation.steps[0]!
      return {
        ms: Math.round(performance.now() - started),
        planId: evaluation.planId,
        operations: step.operations,
        failed: step.failed,
        failures: [...new Set(step.failures.map((f) => f.code))],
      }
    }
    case 'execute': {
      const planId = Number(values.plan)
      const planned = (await countOperations(driver, planId)).byStatus.planned ?? 0
      const result = await clocked(async () => {
        const summary = await executePlan(driver, project, planId, { actor: 'bench' })
        return { succeeded: summary.succeeded, failed: summary.failed }
      })
      return { ...result, planned, failures: result.failed > 0 ? await failureCodes(planId) : [] }
    }
    case 'execute-noop': {
      const planId = Number(values.plan)
      return clocked(() => executeOnNoopTarget(driver, project, planId, () => undefined))
    }
    default:
      throw new Error(`Unknown task '${task}'`)
  }
}

/** The distinct error codes and a first message of the failed operations, for the suite to show. */
async function failureCodes(planId: number): Promise<string[]> {
  const rows = await driver.query<{ error_code: string; message: string }>(
    "SELECT error_code, MIN(message) AS message FROM plan_operations WHERE plan_id = ? AND status = 'failed' GROUP BY error_code",
    [planId],
  )
  return rows.map((r) => `${r.error_code}: ${r.message}`)
}

try {
  const result = await run()
  console.log(JSON.stringify({ ...result, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }))
} finally {
  await driver.close()
}
