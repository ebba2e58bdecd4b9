/**
 * Durations as administrators write them in YAML: milliseconds as a number (`1500`), or text with a
 * unit (`500ms`, `1.5s`, `1m`, `1h`), resolved to milliseconds. Shared by the configuration kinds and
 * the connectors' `config:` blocks.
 */
import { z } from 'zod'

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/

/** A duration: milliseconds as a number (`1500`), or text with a unit (`500ms`, `1.5s`, `1m`, `1h`). */
export const durationSchema = z.union([z.number(), z.string()]).transform((raw, ctx): number => {
  const ms = typeof raw === 'number' ? raw : parseDuration(raw)
  if (ms !== undefined && Number.isFinite(ms) && ms >= 0 && ms <= 24 * UNIT_MS['h']!) return Math.round(ms)
  ctx.addIssue({
    code: 'custom',
    message: `Expected a duration of 0 to 24h: milliseconds (1500) or a number with ms, s, m or h ('1s'), received ${typeof raw === 'string' ? `'${raw}'` : raw}.`,
  })
  return z.NEVER
})

function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  if (match === null) return undefined
  return Number(match[1]) * UNIT_MS[match[2]!]!
}

