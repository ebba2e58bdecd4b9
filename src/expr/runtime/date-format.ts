/**
 * format_date() and to_date() with the tokens YYYY, MM, DD, HH, mm, ss (case-sensitive; everything
 * else is literal text). The format is known when the expression is checked, so each backend gets
 * it translated: a to_char() template for PostgreSQL, a regular expression for to_date().
 */
import { formatDateParts, isValidDate, localParts, parseDate, timeFromIso } from './dates.ts'

export type FormatToken = 'YYYY' | 'MM' | 'DD' | 'HH' | 'mm' | 'ss'
export type FormatPart = { readonly token: FormatToken } | { readonly literal: string }

const TOKENS: readonly FormatToken[] = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss']
/** https://www.postgresql.org/docs/current/functions-formatting.html#FUNCTIONS-FORMATTING-DATETIME-TABLE */
const TO_CHAR: Readonly<Record<FormatToken, string>> = {
  YYYY: 'YYYY',
  MM: 'MM',
  DD: 'DD',
  HH: 'HH24',
  mm: 'MI',
  ss: 'SS',
}

export function parseFormat(format: string): FormatPart[] {
  const parts: FormatPart[] = []
  let literal = ''
  for (let i = 0; i < format.length;) {
    const token = TOKENS.find((t) => format.startsWith(t, i))
    if (token === undefined) {
      literal += format[i]
      i++
      continue
    }
    if (literal !== '') parts.push({ literal })
    literal = ''
    parts.push({ token })
    i += token.length
  }
  if (literal !== '') parts.push({ literal })
  return parts
}

/**
 * The PostgreSQL to_char() template: tokens mapped, literal text in double quotes, where a
 * backslash takes the next character literally, so `\` and `"` get a backslash.
 * https://www.postgresql.org/docs/current/functions-formatting.html (usage notes for date/time formatting)
 */
export function toCharTemplate(format: string): string {
  return parseFormat(format)
    .map((p) => ('token' in p ? TO_CHAR[p.token] : `"${p.literal.replace(/["\\]/g, '\\$&')}"`))
    .join('')
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** Formats a date or datetime; a datetime is shown as wall-clock time in `timeZone`. */
export function formatDate(value: string | null, isDatetime: boolean, format: string, timeZone: string): string | null {
  if (value === null) return null
  const p = isDatetime
    ? localParts(timeFromIso(value), timeZone)
    : { ...parseDate(value)!, hour: 0, minute: 0, second: 0 }
  const fields: Record<FormatToken, string> = {
    YYYY: pad(p.year, 4),
    MM: pad(p.month, 2),
    DD: pad(p.day, 2),
    HH: pad(p.hour, 2),
    mm: pad(p.minute, 2),
    ss: pad(p.second, 2),
  }
  return parseFormat(format)
    .map((part) => ('token' in part ? fields[part.token] : part.literal))
    .join('')
}

/** Why `format` cannot parse dates, or undefined: it needs YYYY, MM and DD once each and no time tokens. */
export function toDateFormatProblem(format: string): string | undefined {
  const tokens = parseFormat(format).flatMap((p) => ('token' in p ? [p.token] : []))
  for (const t of ['YYYY', 'MM', 'DD'] as const) {
    const n = tokens.filter((x) => x === t).length
    if (n !== 1) return `The format must contain ${t} exactly once; it contains it ${n} times.`
  }
  const time = tokens.find((t) => t === 'HH' || t === 'mm' || t === 'ss')
  return time === undefined ? undefined : `to_date() reads dates only; remove ${time} from the format.`
}

/**
 * A regular expression that matches text in `format`, with groups for year, month and day, and the
 * group number of each. Literal characters are escaped with a backslash when they are not letters or
 * digits, which both JavaScript (without the u flag) and PostgreSQL read as the character itself.
 */
export function toDatePattern(format: string): {
  readonly pattern: string
  readonly year: number
  readonly month: number
  readonly day: number
} {
  const order: FormatToken[] = []
  let pattern = '^'
  for (const part of parseFormat(format)) {
    if ('token' in part) {
      order.push(part.token)
      pattern += part.token === 'YYYY' ? '([0-9]{4})' : '([0-9]{2})'
    } else {
      for (const c of part.literal) pattern += /[\p{L}\p{N}]/u.test(c) || c.codePointAt(0)! > 0x7f ? c : `\\${c}`
    }
  }
  return {
    pattern: `${pattern}$`,
    year: order.indexOf('YYYY') + 1,
    month: order.indexOf('MM') + 1,
    day: order.indexOf('DD') + 1,
  }
}

const patterns = new Map<string, { re: RegExp; year: number; month: number; day: number }>()

/** Reads a date written in `format`; null when the text does not match or the day does not exist. */
export function toDate(text: string | null, format: string): string | null {
  if (text === null) return null
  let entry = patterns.get(format)
  if (entry === undefined) {
    const p = toDatePattern(format)
    entry = { re: new RegExp(p.pattern), year: p.year, month: p.month, day: p.day }
    patterns.set(format, entry)
  }
  const m = entry.re.exec(text)
  if (m === null) return null
  const [year, month, day] = [Number(m[entry.year]), Number(m[entry.month]), Number(m[entry.day])]
  return isValidDate(year, month, day) ? formatDateParts({ year, month, day }) : null
}
