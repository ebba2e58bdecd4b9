/**
 * Asking the target whether an operation took effect, when its outcome is not known: a crash
 * between applying and recording it, or a connection that broke off after the statement may have
 * committed. The answer comes from the connection's `lookup` of the operation's target row.
 */
import type { Row } from '../../core/index.ts'
import { toProvisioError } from '../../core/index.ts'
import type { StoredOperation } from '../../vault/index.ts'
import type { ExecutionTarget } from './executor.ts'
import { columnOf, lookupKeyOf } from './outcomes.ts'

/** What the target shows: the effect is there (with the row as it holds it now), or why not. */
export type Confirmation =
  { readonly applied: true; readonly row: Row | undefined } | { readonly applied: false; readonly why: string }

/**
 * Whether the target shows the operation's effect: a created row exists, a deleted one is gone,
 * updated attributes hold their new values. Other semantics cannot be confirmed generically.
 * A failing lookup is thrown, as a ProvisioError.
 */
export async function confirmInTarget(operation: StoredOperation, target: ExecutionTarget): Promise<Confirmation> {
  const table = target.table(operation.table)
  const fn = target.function(operation.table, operation.function)
  const key = lookupKeyOf(operation, table, fn)
  if (target.connection.lookup === undefined || key === undefined)
    return { applied: false, why: 'the target cannot be asked whether it was applied.' }
  const row = await target.connection.lookup(table, key.column, key.value).catch((error: unknown) => {
    throw toProvisioError(error)
  })
  switch (operation.semantics) {
    case 'create':
      return row === undefined ? { applied: false, why: 'the row was not created.' } : { applied: true, row }
    case 'delete':
      return row === undefined ? { applied: true, row } : { applied: false, why: 'the row still exists.' }
    case 'update': {
      if (row === undefined) return { applied: false, why: 'the row no longer exists.' }
      const holds = Object.entries(operation.attributes).every(([name, value]) => {
        const column = columnOf(fn, name)
        return !(column in row) || JSON.stringify(row[column] ?? null) === JSON.stringify(value)
      })
      return holds ? { applied: true, row } : { applied: false, why: 'the target does not hold its values.' }
    }
    default:
      return { applied: false, why: 'its effect cannot be confirmed generically.' }
  }
}
