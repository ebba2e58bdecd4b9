/**
 * Reads a generated HR dataset back and counts what it contains: the awkward cases the generator
 * promises, the shape of the hierarchy and the integrity of its relations. The tests assert on these
 * counts; they are also handy to describe a dataset by hand. It parses with papaparse rather than
 * with the writer's own logic, so a quoting mistake cannot hide behind itself.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Papa from 'papaparse'
import { parseIsoDay } from './calendar.ts'

/** A table as parsed rows keyed by column name. */
export type Table = readonly Readonly<Record<string, string>>[]

/** The three tables of a dataset folder. */
export interface HrTables {
  readonly employees: Table
  readonly departments: Table
  readonly contracts: Table
}

/** Parses employees.csv, departments.csv and contracts.csv from a folder (BOM, `;`, CRLF, quotes). */
export async function readHrTables(dir: string): Promise<HrTables> {
  const read = async (name: string): Promise<Table> => {
    const text = await readFile(join(dir, name), 'utf8')
    const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
      header: true,
      delimiter: ';',
      newline: '\r\n',
      skipEmptyLines: 'greedy',
    })
    if (parsed.errors.length > 0) throw new Error(`${name}: ${JSON.stringify(parsed.errors.slice(0, 3))}`)
    return parsed.data
  }
  return {
    employees: await read('employees.csv'),
    departments: await read('departments.csv'),
    contracts: await read('contracts.csv'),
  }
}

/** Counts of the awkward cases and of the hierarchy. */
export interface HrAnalysis {
  readonly namesWithDiacritics: number
  readonly namesWithApostrophes: number
  readonly hyphenatedNames: number
  readonly namesWithParticles: number
  /** Groups of two or more people with the same first, middle and last name. */
  readonly duplicateNameGroups: number
  readonly preferredNames: number
  readonly genderX: number
  /** People with current contracts in two or more departments at once. */
  readonly concurrent: number
  /** People whose every contract ended before the reference date. */
  readonly leavers: number
  /** People whose first contract starts after the reference date. */
  readonly futureStarters: number
  /** People with an ended contract followed by one in another department. */
  readonly departmentChanges: number
  readonly contractsPerEmployee: number
  readonly distinctManagers: number
  readonly withoutManager: number
  /** Longest chain from an employee up to someone without a manager; Infinity when there is a cycle. */
  readonly hierarchyDepth: number
  /** Field values that the writer had to quote (they hold `;` or `"`). */
  readonly quotedValues: number
}

const NON_ASCII = /[^\x00-\x7f]/

/** Analyses parsed tables against the reference date (YYYY-MM-DD). */
export function analyseHrTables(tables: HrTables, referenceDate: string): HrAnalysis {
  const ref = parseIsoDay(referenceDate) as number
  const { employees, contracts } = tables
  const names = employees.flatMap((e) => [e.first_name ?? '', e.middle_name ?? '', e.last_name ?? ''])
  const byEmployee = groupBy(contracts, (c) => c.employee_id ?? '')
  const fullNames = groupBy(employees, (e) => `${e.first_name}|${e.middle_name}|${e.last_name}`)
  let concurrent = 0
  let leavers = 0
  let futureStarters = 0
  let departmentChanges = 0
  for (const list of byEmployee.values()) {
    const spans = list.map((c) => ({
      unit: c.organizational_unit,
      start: day(c.start_date),
      end: c.end_date === '' ? Infinity : day(c.end_date),
    }))
    const current = spans.filter((s) => s.start <= ref && s.end >= ref)
    if (new Set(current.map((s) => s.unit)).size >= 2) concurrent++
    if (spans.every((s) => s.end < ref)) leavers++
    if (Math.min(...spans.map((s) => s.start)) > ref) futureStarters++
    if (spans.some((a) => a.end < ref && spans.some((b) => b.unit !== a.unit && b.start === a.end + 1)))
      departmentChanges++
  }
  const managers = new Map(employees.map((e) => [e.employee_id ?? '', e.manager_id ?? '']))
  return {
    namesWithDiacritics: names.filter((n) => NON_ASCII.test(n)).length,
    namesWithApostrophes: names.filter((n) => n.includes("'")).length,
    hyphenatedNames: names.filter((n) => n.includes('-')).length,
    namesWithParticles: employees.filter((e) => e.middle_name !== '').length,
    duplicateNameGroups: [...fullNames.values()].filter((g) => g.length >= 2).length,
    preferredNames: employees.filter((e) => e.preferred_name !== '').length,
    genderX: employees.filter((e) => e.gender === 'X').length,
    concurrent,
    leavers,
    futureStarters,
    departmentChanges,
    contractsPerEmployee: contracts.length / employees.length,
    distinctManagers: new Set([...managers.values()].filter((m) => m !== '')).size,
    withoutManager: [...managers.values()].filter((m) => m === '').length,
    hierarchyDepth: hierarchyDepth(managers),
    quotedValues: [tables.employees, tables.departments, contracts]
      .flatMap((t) => t.flatMap((row) => Object.values(row)))
      .filter((v) => /[;"]/.test(v)).length,
  }
}

/** Parses DD-MM-YYYY into a day number. */
export function day(text: string | undefined): number {
  const [d, m, y] = (text ?? '').split('-')
  const days = parseIsoDay(`${y}-${m}-${d}`)
  if (days === undefined) throw new Error(`Not a DD-MM-YYYY date: ${text}`)
  return days
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [row])
    else group.push(row)
  }
  return groups
}

/** Longest manager chain; Infinity when following managers ever revisits a person. */
function hierarchyDepth(managers: ReadonlyMap<string, string>): number {
  let deepest = 0
  for (const start of managers.keys()) {
    const seen = new Set<string>()
    let id = start
    while (id !== '') {
      if (seen.has(id)) return Infinity
      seen.add(id)
      id = managers.get(id) ?? ''
    }
    deepest = Math.max(deepest, seen.size)
  }
  return deepest
}
