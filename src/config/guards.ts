/**
 * Collection guards (DESIGN.md §8): a collection that would add, remove or change more rows than
 * allowed is rejected before anything is written, so an empty or truncated export never empties
 * the vault. A guard is a count (`500`) or a percentage of the current rows (`'10%'`).
 */
import { z } from 'zod'
import { configHints } from './schema-walk.ts'

/** One resolved guard: at most `value` rows, or at most `value` percent of the table's current rows. */
export type GuardLimit =
  { readonly kind: 'count'; readonly value: number } | { readonly kind: 'percent'; readonly value: number }

/** The resolved guards of one table; an absent field means no limit. */
export interface GuardsConfig {
  readonly maxAdded?: GuardLimit | undefined
  readonly maxRemoved?: GuardLimit | undefined
  readonly maxChanged?: GuardLimit | undefined
}

const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/

/**
 * A guard value as written: a non-negative whole number of rows, or a percentage from 0% to 100%
 * (decimals allowed, `12.5%`).
 */
export const guardLimitSchema = z.union([z.number(), z.string()]).transform((raw, ctx): GuardLimit => {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 0) return { kind: 'count', value: raw }
    ctx.addIssue({ code: 'custom', message: `A row count must be a whole number of 0 or more, received ${raw}.` })
    return z.NEVER
  }
  const match = PERCENT.exec(raw.trim())
  const percent = match?.[1] === undefined ? undefined : Number(match[1])
  if (percent === undefined) {
    ctx.addIssue({ code: 'custom', message: `Expected a row count (500) or a percentage ('10%'), received '${raw}'.` })
    return z.NEVER
  }
  if (percent > 100) {
    ctx.addIssue({ code: 'custom', message: `A percentage guard is at most 100%, received '${raw}'.` })
    return z.NEVER
  }
  return { kind: 'percent', value: percent }
})
configHints.add(guardLimitSchema, { expected: "a row count (500) or a percentage ('10%')" })

/** The `guards:` block of a system or a table. */
export const guardsSchema = z.strictObject({
  /** Most rows one collection may add. @default no limit */
  maxAdded: guardLimitSchema.optional(),
  /** Most rows one collection may remove. @default '10%' when the system sets no guards at all */
  maxRemoved: guardLimitSchema.optional(),
  /** Most rows one collection may change. @default no limit */
  maxChanged: guardLimitSchema.optional(),
})

/**
 * The guards a system gets when its document has no `guards:` block: removing more than a tenth of
 * a table in one collection is far more often a broken export than a real change.
 */
export const DEFAULT_GUARDS: GuardsConfig = { maxRemoved: { kind: 'percent', value: 10 } }

/** A table's guards: the system's (or {@link DEFAULT_GUARDS}), overridden field by field by the table's. */
export function resolveGuards(system: GuardsConfig | undefined, table: GuardsConfig | undefined): GuardsConfig {
  const base = system ?? DEFAULT_GUARDS
  return {
    ...pick(base),
    ...pick(table ?? {}),
  }
}

function pick(guards: GuardsConfig): GuardsConfig {
  return Object.fromEntries(Object.entries(guards).filter(([, v]) => v !== undefined))
}
