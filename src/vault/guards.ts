/**
 * Collection guards: limits on how much one collection may add, remove or change in a table, as a
 * count or a percentage of the rows the table held before. They protect the vault (and every target
 * fed from it) from an empty or truncated export. A breached guard rejects the whole collection.
 */

import type { GuardLimit, GuardsConfig } from '../config/index.ts'

/** The guards of one table, as the System document resolves them (src/config/guards.ts). */
export type CollectionGuards = GuardsConfig

export interface TableCounts {
  readonly rowsBefore: number
  readonly rowsAfter: number
  readonly added: number
  readonly changed: number
  readonly removed: number
}

export interface GuardBreach {
  readonly table: string
  readonly guard: 'maxAdded' | 'maxRemoved' | 'maxChanged'
  readonly limit: GuardLimit
  /** The number of rows the guard allows here. */
  readonly allowed: number
  readonly actual: number
  readonly rowsBefore: number
}

function allowedRows(limit: GuardLimit, rowsBefore: number): number {
  return limit.kind === 'count' ? limit.value : Math.floor((limit.value / 100) * rowsBefore)
}

/**
 * The guards a table's counts break. A percentage guard does not apply to a table that was empty
 * before (there is nothing to take a percentage of: the first collection is always accepted).
 */
export function checkGuards(table: string, guards: CollectionGuards, counts: TableCounts): GuardBreach[] {
  const breaches: GuardBreach[] = []
  const check = (guard: GuardBreach['guard'], actual: number) => {
    const limit = guards[guard]
    if (limit === undefined || (limit.kind === 'percent' && counts.rowsBefore === 0)) return
    const allowed = allowedRows(limit, counts.rowsBefore)
    if (actual > allowed) breaches.push({ table, guard, limit, allowed, actual, rowsBefore: counts.rowsBefore })
  }
  check('maxAdded', counts.added)
  check('maxRemoved', counts.removed)
  check('maxChanged', counts.changed)
  return breaches
}

const VERBS = { maxAdded: 'adds', maxRemoved: 'removes', maxChanged: 'changes' } as const

/** `hr500.employees: removes 585 of 585 rows (100%), guard maxRemoved allows 10% (58 rows)` */
export function describeBreach(breach: GuardBreach): string {
  const share = breach.rowsBefore === 0 ? '' : ` (${Math.round((breach.actual / breach.rowsBefore) * 1000) / 10}%)`
  const limit =
    breach.limit.kind === 'percent' ? `${breach.limit.value}% (${breach.allowed} rows)` : `${breach.allowed} rows`
  return `${breach.table}: ${VERBS[breach.guard]} ${breach.actual} of ${breach.rowsBefore} rows${share}, guard ${breach.guard} allows ${limit}`
}
