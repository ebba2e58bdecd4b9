/**
 * The HR500 CSV files as the end-to-end tests read and change them (semicolon-separated, UTF-8 with
 * a byte order mark, CRLF, dates DD-MM-YYYY), and the rules of the examples' filters written again
 * over them: the oracle the tests compare targets with, independent of Provisio.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** HR500's "today" (the filters' default). */
export const TODAY = '2026-12-01'

export type CsvRow = Record<string, string>

function parseLine(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"'
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (c === ';' && !quoted) {
      fields.push(field)
      field = ''
    } else {
      field += c
    }
  }
  fields.push(field)
  return fields
}

const formatField = (value: string) => (/[;"]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

export class CsvFile {
  constructor(readonly file: string) {}

  private lines(): { header: string[]; lines: string[] } {
    const lines = readFileSync(this.file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
    return { header: parseLine(lines[0]!), lines }
  }

  rows(): CsvRow[] {
    const { header, lines } = this.lines()
    return lines
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => {
        const fields = parseLine(l)
        return Object.fromEntries(header.map((h, i) => [h, fields[i] ?? '']))
      })
  }

  /** Sets columns of the rows `match` picks; every other line stays byte for byte. */
  edit(match: (row: CsvRow) => boolean, change: (row: CsvRow) => CsvRow): void {
    const { header, lines } = this.lines()
    const edited = lines.map((line, i) => {
      if (i === 0 || line === '') return line
      const fields = parseLine(line)
      const row = Object.fromEntries(header.map((h, j) => [h, fields[j] ?? '']))
      return match(row) ? header.map((h) => formatField(change(row)[h] ?? '')).join(';') : line
    })
    writeFileSync(this.file, `\uFEFF${edited.join('\r\n')}`)
  }

  /** Adds a row after the last one (columns it does not name are empty). */
  append(row: CsvRow): void {
    const { header, lines } = this.lines()
    const kept = lines.filter((l, i) => i === 0 || l !== '')
    kept.push(header.map((h) => formatField(row[h] ?? '')).join(';'))
    writeFileSync(this.file, `\uFEFF${kept.join('\r\n')}\r\n`)
  }
}

/** `DD-MM-YYYY` as `YYYY-MM-DD`, which sorts. */
export const isoDate = (date: string) => (date === '' ? '' : date.split('-').reverse().join('-'))

/** Whether a contract runs on TODAY, as the filters' `c.start_date <= :today and (c.end_date is null or c.end_date >= :today)`. */
export function isCurrent(contract: CsvRow): boolean {
  const start = isoDate(contract['start_date']!)
  const end = isoDate(contract['end_date']!)
  return start <= TODAY && (end === '' || end >= TODAY)
}

/** The departments (organizational units) each employee has a current contract in. */
export function currentUnits(hrDir: string): Map<string, Set<string>> {
  const units = new Map<string, Set<string>>()
  for (const c of new CsvFile(path.join(hrDir, 'contracts.csv')).rows()) {
    if (!isCurrent(c)) continue
    const id = c['employee_id']!
    let set = units.get(id)
    if (set === undefined) units.set(id, (set = new Set()))
    set.add(c['organizational_unit']!)
  }
  return units
}

/** Every department's organizational unit, in file order. */
export function departmentUnits(hrDir: string): string[] {
  return new CsvFile(path.join(hrDir, 'departments.csv')).rows().map((d) => d['organizational_unit']!)
}
