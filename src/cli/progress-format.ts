/**
 * The figures of a progress stage (rate, ETA) and how they read on a terminal or in a log line.
 */
import { formatCount, formatDuration } from './output.ts'

/** A stage's rate is averaged over this long at least before an ETA is given from it. */
export const STABLE_MS = 1000

export interface StageFigures {
  readonly done: number
  readonly total?: number | undefined
  readonly elapsedMs: number
  /** Per second, averaged over the whole stage. */
  readonly rate: number
  /** Once the rate is stable and the total known. */
  readonly etaSeconds?: number | undefined
}

export function stageFigures(done: number, total: number | undefined, elapsedMs: number): StageFigures {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0
  const eta = total !== undefined && elapsedMs >= STABLE_MS && rate > 0 ? Math.max(0, (total - done) / rate) : undefined
  return { done, total, elapsedMs, rate, etaSeconds: eta }
}

/** `[########............]`: the share done of `width` cells. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total <= 0 ? width : Math.min(width, Math.max(0, Math.floor((done / total) * width)))
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** `04:07` or, from an hour on, `1:04:07`. */
export function formatEta(seconds: number): string {
  const s = Math.ceil(seconds)
  const two = (n: number) => String(n).padStart(2, '0')
  const hours = Math.floor(s / 3600)
  const rest = `${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`
  return hours > 0 ? `${hours}:${rest}` : rest
}

/** `1,200/5,000 rows (24%)` or, without a total, `1,200 rows`. */
export function formatDone(f: StageFigures, unit: string): string {
  const suffix = unit === '' ? '' : ` ${unit}`
  if (f.total === undefined) return `${formatCount(f.done)}${suffix}`
  const share = f.total === 0 ? 100 : Math.floor((f.done / f.total) * 100)
  return `${formatCount(f.done)}/${formatCount(f.total)}${suffix} (${share}%)`
}

export function formatRate(rate: number): string {
  return `${formatCount(Math.round(rate))}/s`
}

/** What a finished stage did: `5,000 rows in 6.2 s (806/s)`. */
export function formatFinished(f: StageFigures, unit: string): string {
  return `${formatCount(f.done)}${unit === '' ? '' : ` ${unit}`} in ${formatDuration(Math.round(f.elapsedMs))} (${formatRate(f.rate)})`
}
