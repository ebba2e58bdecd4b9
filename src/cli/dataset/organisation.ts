/**
 * The department tree and its heads. Small datasets use the base organisation as it is (33
 * departments for HR500's 585 employees); larger ones add teams under the base units, about one
 * department per 250 employees and at most 5,000, with generated codes that stay unique and in the
 * `XX_YYYY` style. Each department has one head "slot": employee i (for i below the slot count) is
 * the holder of slot i, so department managers follow from indices without remembering employees.
 */
import {
  BASE_DEPARTMENTS,
  BOARD,
  DIVISION_REPORTS_TO,
  OFFICES,
  TEAM_WORDS,
  type BaseDepartment,
} from './department-data.ts'
import { Random, cumulate, pickWeighted } from './random.ts'

/** One department as it is written to departments.csv. */
export interface Department {
  readonly code: string
  readonly name: string
  /** Index of the parent department; -1 for the root. */
  readonly parent: number
  readonly location: string
  readonly costCenter: string
  /** Job titles of the people in the department (empty for the root and the divisions). */
  readonly titles: readonly string[]
  /** Index of the head slot (and so of the employee) that manages the department. */
  readonly headSlot: number
}

/** A management position held by the employee with the same index. */
export interface HeadSlot {
  readonly department: number
  readonly title: string
  /** Slot of the person this head reports to; -1 for the board. */
  readonly managerSlot: number
}

/** The organisation a dataset is generated against. */
export interface Organisation {
  /** Parents always come before their children. */
  readonly departments: readonly Department[]
  readonly slots: readonly HeadSlot[]
  /** Indices of the departments regular employees work in, with cumulative weights for drawing one. */
  readonly units: Int32Array
  readonly unitWeights: Float64Array
}

/** Most departments a dataset gets, whatever its size. */
export const MAX_DEPARTMENTS = 5000
/** Employees per department that large datasets aim for. */
const EMPLOYEES_PER_DEPARTMENT = 250
const STREAM_DEPARTMENTS = 0x0de9
const FOUR_LETTERS = 26 ** 4

/** How many departments a dataset of this many employees gets. */
export function departmentCount(employees: number): number {
  return Math.min(MAX_DEPARTMENTS, Math.max(BASE_DEPARTMENTS.length, Math.round(employees / EMPLOYEES_PER_DEPARTMENT)))
}

/** Builds the department tree and head slots for a dataset of `employees` people. */
export function buildOrganisation(employees: number, seed: number): Organisation {
  const departments: Department[] = []
  const unitList: number[] = []
  const weights: number[] = []
  const indexOf = new Map<string, number>()
  const perDivision = new Map<string, number>()

  const costCenter = (division: string): string => {
    const ordinal = perDivision.get(division) ?? 0
    perDivision.set(division, ordinal + 1)
    const divisionNumber = BASE_DEPARTMENTS.findIndex((d) => d.code === division) + 1
    return `${divisionNumber}${String(ordinal).padStart(4, '0')}`
  }
  const add = (dept: Omit<Department, 'headSlot' | 'costCenter'>, division: string, weight: number): void => {
    const index = departments.length
    // The root is headed by the CEO (slot 0); the board members take slots 1 and 2.
    const headSlot = index === 0 ? 0 : index + BOARD.length - 1
    departments.push({ ...dept, costCenter: costCenter(division), headSlot })
    indexOf.set(dept.code, index)
    if (weight > 0) {
      unitList.push(index)
      weights.push(weight)
    }
  }

  for (const base of BASE_DEPARTMENTS) {
    const parent = base.parent === '' ? -1 : (indexOf.get(base.parent) as number)
    add(
      { code: base.code, name: base.name, parent, location: base.location, titles: base.titles },
      base.code.slice(0, 2),
      base.weight,
    )
  }
  addTeams(departmentCount(employees) - BASE_DEPARTMENTS.length, seed, indexOf, add)

  return {
    departments,
    slots: headSlots(departments),
    units: Int32Array.from(unitList),
    unitWeights: cumulate(weights),
  }
}

type AddDepartment = (dept: Omit<Department, 'headSlot' | 'costCenter'>, division: string, weight: number) => void

/** Adds `count` generated teams under the base units, in proportion to the units' weights. */
function addTeams(count: number, seed: number, indexOf: Map<string, number>, add: AddDepartment): void {
  const baseUnits = BASE_DEPARTMENTS.filter((d) => d.weight > 0)
  const cumulative = cumulate(baseUnits.map((d) => d.weight))
  const averageWeight = baseUnits.reduce((sum, d) => sum + d.weight, 0) / baseUnits.length
  /** Per base unit: how many teams it has, and the teams directly under it (which may get sub-teams). */
  const teamsOf = new Map<string, { count: number; direct: string[] }>()
  const perDivision = new Map<string, number>()
  const rng = new Random(seed, STREAM_DEPARTMENTS, 0)

  for (let t = 0; t < count; t++) {
    const base = baseUnits[pickWeighted(cumulative, rng.float())] as BaseDepartment
    const teams = teamsOf.get(base.code) ?? { count: 0, direct: [] }
    teamsOf.set(base.code, teams)
    // Now and then a team sits under an earlier team: five levels, as in a large company, but no deeper.
    const isSubTeam = teams.direct.length > 0 && rng.chance(0.35)
    const parentCode = isSubTeam ? rng.pick(teams.direct) : base.code
    const division = base.code.slice(0, 2)
    const ordinal = perDivision.get(division) ?? 0
    perDivision.set(division, ordinal + 1)
    // 7919 is coprime with 26^4, so distinct ordinals give distinct four-letter codes per division.
    const code = `${division}_${letters((ordinal * 7919 + 4111) % FOUR_LETTERS)}`
    const word = TEAM_WORDS[teams.count % TEAM_WORDS.length] as string
    const round = Math.floor(teams.count / TEAM_WORDS.length)
    const name = `${base.name} ${word}${round > 0 ? ` ${round + 1}` : ''}`
    const location = rng.chance(0.5) ? base.location : rng.pick(OFFICES)
    add(
      { code, name, parent: indexOf.get(parentCode) as number, location, titles: base.titles },
      division,
      averageWeight,
    )
    teams.count++
    if (!isSubTeam) teams.direct.push(code)
  }
}

/** Four capital letters for a number below 26^4. */
function letters(n: number): string {
  let out = ''
  for (let k = 0; k < 4; k++) {
    out = String.fromCharCode(65 + (n % 26)) + out
    n = Math.floor(n / 26)
  }
  return out
}

/** The board first (slots 0–2), then one head per department in department order. */
function headSlots(departments: readonly Department[]): HeadSlot[] {
  const slots: HeadSlot[] = BOARD.map((title) => ({ department: 0, title, managerSlot: -1 }))
  departments.forEach((dept, index) => {
    if (index === 0) return
    const parent = departments[dept.parent] as Department
    const isDivision = dept.parent === 0
    const title = isDivision ? `Director ${dept.name}` : `Manager ${dept.name}`
    const managerSlot = isDivision ? (DIVISION_REPORTS_TO[dept.code] ?? 0) : parent.headSlot
    slots.push({ department: index, title, managerSlot })
  })
  return slots
}

/**
 * The employee who manages a department: the holder of its head slot, or, when the dataset has
 * fewer employees than slots, the nearest ancestor's head that exists.
 */
export function headOf(org: Organisation, department: number, employees: number): number {
  let dept = org.departments[department] as Department
  while (dept.headSlot >= employees) dept = org.departments[dept.parent] as Department
  return dept.headSlot
}
