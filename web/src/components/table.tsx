/** Tables of rows: columns with an optional renderer, a row click, and a "load more" for paged lists. */
import type { ReactNode } from 'react'
import { formatValue } from '../format.ts'
import { Empty } from './feedback.tsx'

export interface Column<R> {
  readonly key: string
  readonly title: ReactNode
  /** @default the row's value at `key`, formatted */
  readonly render?: ((row: R) => ReactNode) | undefined
  readonly align?: 'left' | 'right' | undefined
}

export function DataTable<R>({
  columns,
  rows,
  empty = 'Nothing here yet.',
  onRowClick,
  rowKey,
  label,
}: {
  columns: readonly Column<R>[]
  rows: readonly R[]
  empty?: ReactNode
  onRowClick?: ((row: R) => void) | undefined
  rowKey?: ((row: R, index: number) => string | number) | undefined
  label?: string | undefined
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>
  return (
    <div className="table-wrap">
      <table className={onRowClick === undefined ? 'data' : 'data clickable'} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.align === 'right' ? 'num' : undefined}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey?.(row, i) ?? i} onClick={onRowClick === undefined ? undefined : () => onRowClick(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.align === 'right' ? 'num' : undefined}>
                  {c.render !== undefined ? c.render(row) : formatValue((row as Record<string, unknown>)[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Columns for rows of unknown shape (vault rows, filter results): one per key of the first rows. */
export function columnsOf(rows: readonly Record<string, unknown>[], limit = 12): Column<Record<string, unknown>>[] {
  const keys: string[] = []
  for (const row of rows.slice(0, 20)) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key)
  return keys.slice(0, limit).map((key) => ({ key, title: key }))
}
