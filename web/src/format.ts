/** How values read in the Studio: times in the browser's zone, counts grouped, durations short. */

export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—'
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  return at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US')
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  return `${m} min ${Math.round(s % 60)} s`
}

/** Between two ISO times (the second absent: until now). */
export function durationBetween(start: string | null | undefined, end: string | null | undefined): string {
  if (start === null || start === undefined) return '—'
  const to = end === null || end === undefined ? Date.now() : new Date(end).getTime()
  return formatDuration(to - new Date(start).getTime())
}

/** A cell: null as an em dash, objects as compact JSON, booleans as yes/no. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') return value.toLocaleString('en-US')
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return typeof value === 'bigint' ? value.toString() : typeof value
}
