import type { SqlValue, VaultTable } from '../vault/index.ts'

/** Compiles a --where expression over a table's columns to SQL with bound values. */
export function compileWhere(_text: string, _table: VaultTable, _dialect: 'sqlite' | 'postgres'): { sql: string; params: SqlValue[] } {
  throw new Error('compileWhere: wired to src/expr when the expression language lands')
}
