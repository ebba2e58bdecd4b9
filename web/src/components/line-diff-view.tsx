/**
 * Two versions of a text as a read-only line diff: lines only in the first marked −, lines only in
 * the second +, each with its line number in its version, and long unchanged runs folded so that
 * the changes are what the eye meets. A diff of thousands of rows shows its first MAX_ROWS and says
 * how many more there are (rendering them all would hold the page).
 */
import { useMemo } from 'react'
import { capped, lineDiff, withContext } from './line-diff.ts'

export function LineDiffView({
  before,
  after,
  beforeLabel,
  afterLabel,
  label,
}: {
  before: string
  after: string
  /** What the first version is, said of its lines (− lines): "their version". */
  beforeLabel: string
  afterLabel: string
  /** The diff's accessible name. */
  label: string
}) {
  const all = useMemo(() => withContext(lineDiff(before, after)), [before, after])
  const changed = all.some((line) => line.op === 'remove' || line.op === 'add')
  const { shown: lines, hidden } = capped(all)
  return (
    <div className="line-diff" role="region" aria-label={label}>
      <div className="line-diff-legend small">
        <span className="diff-remove">− only in {beforeLabel}</span>
        <span className="diff-add">+ only in {afterLabel}</span>
      </div>
      {!changed ? (
        <div className="muted small line-diff-same">
          No difference: {beforeLabel} and {afterLabel} are the same text.
        </div>
      ) : (
        <table>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">Line in {beforeLabel}</th>
              <th scope="col">Line in {afterLabel}</th>
              <th scope="col">Change</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, k) =>
              line.op === 'skip' ? (
                <tr key={k} className="line-diff-skip">
                  <td colSpan={4}>
                    … {line.lines} unchanged line{line.lines === 1 ? '' : 's'}
                  </td>
                </tr>
              ) : (
                <tr key={k} className={line.op === 'same' ? undefined : `diff-${line.op}`}>
                  <td className="line-no">{line.before ?? ''}</td>
                  <td className="line-no">{line.after ?? ''}</td>
                  <td className="line-sign">
                    {line.op === 'remove' ? '−' : line.op === 'add' ? '+' : ''}
                    <span className="visually-hidden">
                      {line.op === 'remove'
                        ? ` only in ${beforeLabel}`
                        : line.op === 'add'
                          ? ` only in ${afterLabel}`
                          : ''}
                    </span>
                  </td>
                  <td className="line-text">{line.text}</td>
                </tr>
              ),
            )}
          </tbody>
          {hidden > 0 ? (
            <tfoot>
              <tr className="line-diff-skip">
                <td colSpan={4}>
                  … {hidden} more row{hidden === 1 ? '' : 's'} of the diff not shown: compare the texts in the editor
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      )}
    </div>
  )
}
