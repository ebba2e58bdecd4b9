/**
 * The HR500-compatible dataset generator: employees.csv, departments.csv and contracts.csv in the
 * layout that examples/hr500/systems/hr500.yaml reads (semicolons, UTF-8 with BOM, CRLF, DD-MM-YYYY
 * dates, decimal commas). It reproduces NIM's HR500 test source at any size up to a million
 * employees and more, with the awkward data real HR exports hold: diacritics, apostrophes and
 * hyphens in names, namesakes, people with several contracts at once, leavers, future starters,
 * transfers, and a manager hierarchy.
 *
 * Output is a pure function of (employees, seed, referenceDate): every value is drawn from seeded
 * streams keyed by the employee's index, and no clock, locale or time zone is consulted. Rows are
 * streamed: memory holds the departments, a few counters per department and the indices of team
 * leads (about one employee in eight), never the rows.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DAYS_PER_YEAR, civilOf, formatDay, parseIsoDay } from './calendar.ts'
import { type Contract, ContractGenerator, formatFte } from './contract-generator.ts'
import { CsvWriter } from './csv-writer.ts'
import { type Organisation, buildOrganisation, headOf } from './organisation.ts'
import { createPermutation } from './permutation.ts'
import { NameGenerator, generateContact } from './person-generator.ts'
import { Random, mix32 } from './random.ts'
import { type Career, Workforce } from './workforce.ts'

/** Options of {@link generateHrDataset}. */
export interface HrDatasetOptions {
  /** Number of employee rows, from 1 to {@link MAX_EMPLOYEES}. */
  readonly employees: number
  /** Any safe integer; the same seed gives the same files. */
  readonly seed: number
  /** Folder the three files are written to; created when missing. Existing files are replaced. */
  readonly outDir: string
  /**
   * The day the export is taken, YYYY-MM-DD: leavers ended before it, future starters begin after it.
   * Fixed rather than today so that committed demo data does not change with the calendar.
   * @default '2026-12-01'
   */
  readonly referenceDate?: string
  /** Called now and then with the employees written so far and the total. */
  readonly onProgress?: (done: number, total: number) => void
}

/** One file the generator wrote. */
export interface HrDatasetFile {
  /** Table name in hr500.yaml: employees, departments or contracts. */
  readonly table: string
  readonly path: string
  /** Data rows, header excluded. */
  readonly rows: number
}

/** What {@link generateHrDataset} wrote. */
export interface HrDatasetResult {
  readonly files: readonly HrDatasetFile[]
}

/** Largest dataset the identifier ranges are sized for. */
export const MAX_EMPLOYEES = 10_000_000
/** Default of {@link HrDatasetOptions.referenceDate}. */
export const DEFAULT_REFERENCE_DATE = '2026-12-01'

const EMPLOYEE_HEADER = [
  'employee_id',
  'ssn',
  'first_name',
  'middle_name',
  'last_name',
  'preferred_name',
  'gender',
  'birth_date',
  'personal_email',
  'personal_phone',
  'city',
  'country',
  'manager_id',
]
const DEPARTMENT_HEADER = ['organizational_unit', 'name', 'parent_unit', 'manager_id', 'cost_center', 'location']
const CONTRACT_HEADER = [
  'contract_id',
  'employee_id',
  'organizational_unit',
  'job_title',
  'start_date',
  'end_date',
  'fte',
  'contract_type',
]

const STREAM_PERSON = 0x9e5
/** Valid US-style numbers: areas 001–899 except 666, groups 01–99, serials 0001–9999. */
const SSN_SPACE = 898 * 99 * 9999
/** Upper bound of contracts per employee, which sizes the contract-id range. */
const MAX_CONTRACTS_PER_EMPLOYEE = 3
/** Employees between two checks whether a buffer should be written out. */
const FLUSH_EVERY = 512

/**
 * Generates the HR500 dataset into `outDir`.
 *
 * @example
 * const result = await generateHrDataset({ employees: 585, seed: 500, outDir: 'examples/hr500/files/hr500' })
 * console.log(describeDataset(result))
 */
export async function generateHrDataset(options: HrDatasetOptions): Promise<HrDatasetResult> {
  const { employees, seed, outDir } = options
  if (!Number.isInteger(employees) || employees < 1 || employees > MAX_EMPLOYEES) {
    throw new RangeError(`employees must be a whole number from 1 to ${MAX_EMPLOYEES}, not ${employees}.`)
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, not ${seed}.`)
  const referenceDate = options.referenceDate ?? DEFAULT_REFERENCE_DATE
  const referenceDay = parseIsoDay(referenceDate)
  if (referenceDay === undefined)
    throw new RangeError(`referenceDate must be a date as YYYY-MM-DD, not ${referenceDate}.`)

  const key = mix32((seed >>> 0) ^ mix32(Math.floor(seed / 2 ** 32) | 0))
  const org = buildOrganisation(employees, key)
  const ids = employeeIds(employees, key)

  await mkdir(outDir, { recursive: true })
  const paths = {
    employees: join(outDir, 'employees.csv'),
    departments: join(outDir, 'departments.csv'),
    contracts: join(outDir, 'contracts.csv'),
  }
  const writers: CsvWriter[] = []
  const openWriter = async (path: string, header: readonly string[]): Promise<CsvWriter> => {
    const writer = await CsvWriter.open(path, header)
    writers.push(writer)
    return writer
  }
  try {
    const departments = await openWriter(paths.departments, DEPARTMENT_HEADER)
    writeDepartments(departments, org, employees, ids)
    const people = await openWriter(paths.employees, EMPLOYEE_HEADER)
    const contracts = await openWriter(paths.contracts, CONTRACT_HEADER)
    await writePeople({ org, employees, key, referenceDay, ids, people, contracts, onProgress: options.onProgress })
    for (const writer of writers) await writer.close()
    return {
      files: [
        { table: 'employees', path: paths.employees, rows: people.rows },
        { table: 'departments', path: paths.departments, rows: departments.rows },
        { table: 'contracts', path: paths.contracts, rows: contracts.rows },
      ],
    }
  } catch (error) {
    // Leave no half-written export behind; files already complete from an earlier run stay as they were.
    await Promise.all(writers.map((w) => w.abort()))
    throw error
  }
}

/** True when `text` is a real calendar date written YYYY-MM-DD, as {@link HrDatasetOptions.referenceDate} needs. */
export function isReferenceDate(text: string): boolean {
  return parseIsoDay(text) !== undefined
}

/** One line per file, for the CLI: `employees     585 rows  examples/hr500/files/hr500/employees.csv`. */
export function describeDataset(result: HrDatasetResult): string {
  const width = Math.max(...result.files.map((f) => String(f.rows).length))
  return result.files.map((f) => `${f.table.padEnd(12)} ${String(f.rows).padStart(width)} rows  ${f.path}`).join('\n')
}

/** Eight-digit employee ids: 10000000 plus a seeded permutation of the index, so ids look issued, not counted. */
function employeeIds(employees: number, key: number): (index: number) => string {
  const span = Math.min(90_000_000, Math.max(100_000, employees * 20))
  const permute = createPermutation(span, key ^ 0x1d1d)
  return (index) => String(10_000_000 + permute(index))
}

function writeDepartments(writer: CsvWriter, org: Organisation, employees: number, ids: (i: number) => string): void {
  for (const [index, dept] of org.departments.entries()) {
    const parent = dept.parent < 0 ? '' : (org.departments[dept.parent]?.code ?? '')
    writer.writeRow([dept.code, dept.name, parent, ids(headOf(org, index, employees)), dept.costCenter, dept.location])
  }
}

interface PeopleContext {
  readonly org: Organisation
  readonly employees: number
  readonly key: number
  readonly referenceDay: number
  readonly ids: (index: number) => string
  readonly people: CsvWriter
  readonly contracts: CsvWriter
  readonly onProgress: ((done: number, total: number) => void) | undefined
}

/** Streams employees.csv and contracts.csv together, one employee and their contracts at a time. */
async function writePeople(ctx: PeopleContext): Promise<void> {
  const { org, employees, key, ids } = ctx
  const workforce = new Workforce(org, employees, key)
  const names = new NameGenerator(key)
  const contractGenerator = new ContractGenerator(org, ctx.referenceDay)
  const unitOfDepartment = new Map(Array.from(org.units, (dept, unit) => [dept, unit]))
  const ssn = createPermutation(SSN_SPACE, key ^ 0x55a)
  const contractDigits = Math.max(7, String(MAX_CONTRACTS_PER_EMPLOYEE * employees).length)
  const contractId = createPermutation(10 ** contractDigits, key ^ 0xc0c0)
  const progressStep = Math.max(1, Math.min(10_000, Math.ceil(employees / 100)))
  const rng = new Random(key, STREAM_PERSON, 0)
  let contractCount = 0

  for (let i = 0; i < employees; i++) {
    rng.reseed(key, STREAM_PERSON, i)
    const career = workforce.careerOf(i)
    const slot = workforce.isHead(i) ? org.slots[i] : undefined
    const unit = slot !== undefined ? (unitOfDepartment.get(slot.department) ?? -1) : workforce.unitOf(i)
    const department = slot !== undefined ? slot.department : (org.units[unit] as number)
    const placement = workforce.place(i, career, unit, rng)
    const teamLeadTitle = placement.isTeamLead ? `Team Lead ${org.departments[department]?.name}` : undefined
    const contracts = contractGenerator.generate(
      { career, department, unit, mainTitle: slot?.title ?? teamLeadTitle },
      rng,
    )
    const birthDay = birthDayFor(contracts, career, ctx.referenceDay, rng)
    const identity = names.identityOf(i)
    const contact = generateContact(identity, civilOf(birthDay)[0], rng)
    const employeeId = ids(i)
    ctx.people.writeRow([
      employeeId,
      formatSsn(ssn(i)),
      identity.firstName,
      identity.middleName,
      identity.lastName,
      contact.preferredName,
      identity.gender,
      formatDay(birthDay),
      contact.personalEmail,
      contact.personalPhone,
      contact.city,
      contact.country,
      placement.manager < 0 ? '' : ids(placement.manager),
    ])
    for (const contract of contracts) {
      const id = `C${String(contractId(contractCount++)).padStart(contractDigits, '0')}`
      ctx.contracts.writeRow(contractFields(id, employeeId, contract, org))
    }
    if (i % FLUSH_EVERY === FLUSH_EVERY - 1) {
      await ctx.people.flushIfFull()
      await ctx.contracts.flushIfFull()
    }
    if ((i + 1) % progressStep === 0 || i + 1 === employees) ctx.onProgress?.(i + 1, employees)
  }
}

function contractFields(id: string, employeeId: string, contract: Contract, org: Organisation): string[] {
  return [
    id,
    employeeId,
    org.departments[contract.department]?.code ?? '',
    contract.jobTitle,
    formatDay(contract.start),
    contract.end < 0 ? '' : formatDay(contract.end),
    formatFte(contract.fte),
    contract.type,
  ]
}

/**
 * A birth day that fits the career: interns start at 18–24, heads at 28–50, everyone else at 19–45,
 * and nobody is older than 67 on the reference date.
 */
function birthDayFor(contracts: readonly Contract[], career: Career, referenceDay: number, rng: Random): number {
  const first = contracts[0] as Contract
  const tenureYears = Math.max(0, Math.floor((referenceDay - first.start) / DAYS_PER_YEAR))
  const [low, high] = first.type === 'intern' ? [18, 24] : career === 'head' ? [28, 50] : [19, 45]
  const age = rng.between(low, Math.max(low, Math.min(high, 66 - tenureYears)))
  return first.start - Math.floor(age * DAYS_PER_YEAR) - rng.int(365)
}

/** 999-99-9999 from a number below {@link SSN_SPACE}. */
function formatSsn(n: number): string {
  const areaIndex = Math.floor(n / (99 * 9999))
  const rest = n % (99 * 9999)
  const area = areaIndex + 1 >= 666 ? areaIndex + 2 : areaIndex + 1
  const group = Math.floor(rest / 9999) + 1
  const serial = (rest % 9999) + 1
  return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`
}
