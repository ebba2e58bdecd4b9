/**
 * Values of plans and the audit travel as JSON text: a Row's types (numbers, booleans, string
 * arrays) survive the round trip identically on SQLite and PostgreSQL.
 */
import type { Row, Value } from '../../core/index.ts'
import type { SqlValue } from '../driver/sql-driver.ts'

/** JSON text of a value, or SQL null for absent. */
export function toJson(value: Row | Value | readonly string[] | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value)
}

export function fromJson<T>(text: unknown): T | undefined {
  return typeof text === 'string' ? (JSON.parse(text) as T) : undefined
}

/** A key as searchable text: scalars as they print, a (malformed) array as JSON; null and absent as SQL null. */
export function keyText(value: Value | undefined): string | null {
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? value : Array.isArray(value) ? JSON.stringify(value) : String(value)
}

/** A nullable text column as an optional property. */
export function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value)
}

/** `?, ?, ?` for an IN list of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ')
}

/** Splits values into chunks for IN lists, within both databases' bound-parameter limits. */
export function* chunks<T>(values: readonly T[], size: number): Iterable<T[]> {
  for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size)
}

export type { SqlValue }
