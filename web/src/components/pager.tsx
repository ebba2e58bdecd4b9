/**
 * Paging through a list newest first by cursor: each page is asked for `before` the last id of the
 * page above it, so `cursors` holds one cursor per page seen (undefined: the newest page).
 */
import type { Dispatch, SetStateAction } from 'react'

export type Cursors = (number | undefined)[]

/** ← Newer and Older → under a page of `rows`; Older only when the page was full (`size` rows). */
export function CursorPager({
  cursors,
  setCursors,
  rows,
  size,
}: {
  readonly cursors: Cursors
  readonly setCursors: Dispatch<SetStateAction<Cursors>>
  readonly rows: readonly { readonly id: number }[]
  readonly size: number
}) {
  return (
    <div className="pager">
      <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
        ← Newer
      </button>
      <span className="muted small">Page {cursors.length}</span>
      <button type="button" disabled={rows.length < size} onClick={() => setCursors((c) => [...c, rows.at(-1)!.id])}>
        Older →
      </button>
    </div>
  )
}
