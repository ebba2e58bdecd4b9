/**
 * Which tasks to run again when the scheduler starts: those whose last run was interrupted — by a
 * graceful stop (`interrupted`), or by a process that died (left `running` with the task's lease
 * free). Running such a task again starts it from the beginning: it collects and evaluates afresh
 * and settles what the interrupted run left in doubt; the old plan's unapplied operations are not
 * executed from it.
 */
import type { ProvisioError } from '../core/index.ts'
import type { ValidatedProject } from '../config/index.ts'
import { type SqlDriver, acquireExecutionLease, listRuns } from '../vault/index.ts'

/** The enabled tasks of the project whose most recent run ended interrupted, in project order. */
export async function tasksToResume(db: SqlDriver, project: ValidatedProject): Promise<string[]> {
  const names: string[] = []
  for (const task of project.tasks) {
    if (!task.enabled) continue
    const [last] = await listRuns(db, { kind: 'task', name: task.name, limit: 1 })
    if (last?.status === 'interrupted' || (last?.status === 'running' && (await leaseIsFree(db, task.name))))
      names.push(task.name)
  }
  return names
}

/**
 * Whether no live process holds the task's lease: then its `running` run belongs to a process that
 * died (runTask marks it interrupted when it next starts the task). Asked by taking the lease, the
 * one atomic test the vault has, and giving it back at once.
 */
async function leaseIsFree(db: SqlDriver, task: string): Promise<boolean> {
  try {
    const lease = await acquireExecutionLease(db, [`task:${task}`], { holder: `resume check of task ${task}` })
    await lease.release()
    return true
  } catch (error) {
    if ((error as ProvisioError).code === 'VLT_EXECUTION_BUSY') return false
    throw error
  }
}
