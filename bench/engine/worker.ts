/**
 * One measured phase of the `engine` suite, in its own process so that its peak memory is its own:
 *
 *   collect                        collect every system of the project into the vault
 *   plan --mapping M               evaluate mapping M into a stored plan
 *   execute --plan P --target T    execute plan P on the real target (sql) or on a no-op target (noop)
 *   raw --plan P                   insert plan P's rows straight into copies of the directory database,
 *                                  batched and one transaction each
 *
 * Prints one JSON line with the figures. Run with --expose-gc for the live-heap figure (memory.ts).
 */
import { copyFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadValidProject } from '../../src/config/index.ts'
import { collectSystem } from '../../src/connectors/index.ts'
import { connectorFunctions, evaluatePlan, executePlan, prepareMapping } from '../../src/engine/index.ts'
import { countFilter } from '../../src/filters/index.ts'
import { countOperations, openVaultDriver } from '../../src/vault/index.ts'
import { PRISTINE_DIRECTORY } from './bench-project.ts'
import { MemorySampler } from './memory.ts'
import { executeOnNoopTarget } from './noop-execution.ts'
import { RAW_BATCH, insertRaw, rowsOfPlan } from './raw-inserts.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    project: { type: 'string' },
    database: { type: 'string' },
    schema: { type: 'string' },
    mapping: { type: 'string' },
    plan: { type: 'string' },
    target: { type: 'string' },
  },
})
const task = positionals[0]
const projectDir = values.project!
const project = await loadValidProject(projectDir)
const driver = await openVaultDriver({ projectDir, database: values.database, schema: values.schema })

/** Runs `work` (`total` units of work, reported through its progress callback) with the clock and the memory sampler. */
async function measured<T>(total: number, work: (progress: (done: number) => void) => Promise<T>) {
  const memory = new MemorySampler(total)
  const started = performance.now()
  const result = await work((done) => memory.progress(done))
  const ms = Math.round(performance.now() - started)
  return { ...result, ms, ...memory.stop() }
}

async function run(): Promise<object> {
  switch (task) {
    case 'collect': {
      const started = performance.now()
      let rows = 0
      for (const system of project.systems) {
        const result = await collectSystem({ driver, system, projectDir, force: true })
        rows += result.tables.reduce((n, t) => n + t.rowsAfter, 0)
      }
      return { ms: Math.round(performance.now() - started), rows }
    }
    case 'plan': {
      const mapping = values.mapping!
      const rows = await countFilter(driver, prepareMapping(project, mapping, driver.dialect.name).filter)
      return measured(rows, async (progress) => {
        const evaluation = await evaluatePlan(driver, project, {
          source: { kind: 'mapping', name: mapping },
          steps: [{ mapping }],
          onProgress: (_step, done) => progress(done),
        })
        const step = evaluation.steps[0]!
        return {
          planId: evaluation.planId,
          operations: step.operations,
          unchanged: step.unchanged,
          failed: step.failed,
          failures: [...new Set(step.failures.map((f) => f.code))],
        }
      })
    }
    case 'execute': {
      const planId = Number(values.plan)
      const operations = (await countOperations(driver, planId)).byStatus.planned ?? 0
      return measured(operations, async (progress) => {
        let done = 0
        if (values.target === 'noop') return executeOnNoopTarget(driver, project, planId, () => progress(++done))
        const summary = await executePlan(driver, project, planId, { actor: 'bench', onProgress: progress })
        return { succeeded: summary.succeeded, failed: summary.failed }
      })
    }
    case 'raw': {
      const directory = project.systems.find((s) => s.name === 'directory')!
      const users = directory.tables.find((t) => t.name === 'users')!
      const fn = connectorFunctions(directory, users)!.find((f) => f.name === 'users_create')!
      const { columns, rows } = await rowsOfPlan(driver, Number(values.plan), fn)
      // Each baseline into its own copy of the directory as seeded.
      const timed = (batch: number) => {
        const file = path.join(projectDir, '.provisio', `directory-raw-${batch}.db`)
        copyFileSync(path.join(projectDir, PRISTINE_DIRECTORY), file)
        return Math.round(insertRaw(file, 'users', columns, rows, batch))
      }
      return { ms: timed(RAW_BATCH), autocommitMs: timed(1), rows: rows.length }
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
