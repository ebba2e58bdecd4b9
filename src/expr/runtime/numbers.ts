/**
 * Numeric functions shared by the JS backend and the SQLite functions. `integer` and `number` are
 * both JavaScript numbers; integers are exact within ±2^53.
 */

/** Division always gives a `number`; dividing by zero gives null (SQLite's rule; PostgreSQL would raise). */
export function divide(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null
  return a / b + 0
}

/**
 * Rounds half away from zero, as PostgreSQL does after converting the double to `numeric`; that
 * conversion keeps 15 significant digits, so we do the same first (float8_numeric in PostgreSQL).
 */
export function round(x: number | null): number | null {
  if (x === null) return null
  const text = Math.abs(x).toPrecision(15)
  let result: number
  if (text.includes('e')) {
    result = Math.abs(Number(text)) < 0.5 ? 0 : Number(text)
  } else {
    const [whole, fraction = ''] = text.split('.')
    result = Number(whole) + (fraction[0] !== undefined && fraction[0] >= '5' ? 1 : 0)
  }
  return x < 0 && result !== 0 ? -result : result
}

export function floor(x: number | null): number | null {
  return x === null ? null : Math.floor(x) + 0
}

export function ceil(x: number | null): number | null {
  return x === null ? null : Math.ceil(x) + 0
}

export function abs(x: number | null): number | null {
  return x === null ? null : Math.abs(x)
}

/** Integers written as text (optional sign, 1–15 digits, nothing else), so they stay exact. */
export const INTEGER_TEXT = '^[+-]?[0-9]{1,15}$'
const INTEGER_TEXT_RE = new RegExp(INTEGER_TEXT)

export function toInteger(s: string | null): number | null {
  return s === null || !INTEGER_TEXT_RE.test(s) ? null : Number(s) + 0
}
