/**
 * Declared tables for connector tests, written short: columns as `name` or `name:type` (or a
 * partial ColumnSchema with its name), in a system called `dir`.
 */
import type { ColumnSchema, ColumnType, TableSchema } from '../../src/core/index.ts'

export type ColumnSpec = string | (Partial<ColumnSchema> & { name: string })

function toColumn(spec: ColumnSpec): ColumnSchema {
  if (typeof spec !== 'string') return { type: 'string', source: spec.name, ...spec }
  const at = spec.lastIndexOf(':')
  const [name, type] = at < 0 ? [spec, 'string'] : [spec.slice(0, at), spec.slice(at + 1)]
  return { name, type: type as ColumnType, source: name }
}

/** A declared table of system `dir`. */
export function tableOf(
  name: string,
  columns: readonly ColumnSpec[],
  more: { primaryKey?: string; referenceKeys?: string[]; options?: Record<string, unknown> } = {},
): TableSchema {
  return {
    system: 'dir',
    name,
    columns: columns.map(toColumn),
    ...(more.primaryKey === undefined ? {} : { primaryKey: more.primaryKey }),
    referenceKeys: more.referenceKeys ?? [],
    options: more.options ?? {},
  }
}
