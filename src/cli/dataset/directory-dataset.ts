/**
 * A directory export that goes with an HR dataset: `users.csv` (accounts, most of them linked to an
 * employee by employeeID), `groups.csv` (one group per department for most departments, and a group
 * kept by hand) and `group_members.csv` (who is in which group). It is the second system of the demo
 * and of the filters benchmark: who has no account yet, whose account differs from HR, which
 * department groups are missing, and which memberships a role model would add or remove.
 *
 * Deterministic like the HR generator: the same HR files and seed give the same bytes. Streams the
 * HR employees file line by line, so any size works in bounded memory.
 */
import { createReadStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import Papa from 'papaparse'
import { transliterate } from '../../expr/index.ts'
import { CsvWriter } from './csv-writer.ts'
import { hash3, hashUnit } from './random.ts'

export interface DirectoryDatasetOptions {
  /** The folder with the HR dataset's employees.csv and departments.csv. */
  readonly hrDir: string
  readonly outDir: string
  readonly seed: number
  /** Share of employees that have an account. @default 0.93 */
  readonly coverage?: number
}

export interface DirectoryDatasetResult {
  readonly files: readonly { readonly table: string; readonly path: string; readonly rows: number }[]
}

const USER_HEADER = [
  'objectGUID',
  'sAMAccountName',
  'employeeID',
  'givenName',
  'sn',
  'mail',
  'department',
  'enabled',
  'whenCreated',
]
const GROUP_HEADER = ['objectGUID', 'cn', 'description']
const MEMBER_HEADER = ['group_cn', 'member']

/**
 * Groups no department owns, kept by hand in the directory: a role model over departments never
 * references them, so their members are never touched.
 */
const HAND_GROUPS = [{ cn: 'VPN_USERS', description: 'Remote access, granted by the helpdesk' }]

/** A department and whether the directory has its DEPGRP_ group yet. */
interface Department {
  readonly unit: string
  readonly name: string
  readonly hasGroup: boolean
}

const departmentGroup = (unit: string) => `DEPGRP_${unit}`

/** A stable GUID-shaped id from the seed, a stream and an index. */
function guid(seed: number, stream: number, index: number): string {
  const hex = (n: number) => hash3(seed, stream, n).toString(16).padStart(8, '0')
  const a = hex(index * 4)
  const b = hex(index * 4 + 1)
  const c = hex(index * 4 + 2)
  const d = hex(index * 4 + 3)
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`
}

/**
 * A directory-style account name: initial, surname and the id's last digits, at most 20 characters.
 * Two people with the same initial, surname and last three digits get one more digit each time, so
 * names stay unique (as a directory requires) at any size; `taken` holds the names given so far.
 */
function accountName(first: string, last: string, id: string, taken: Set<string>): string {
  const clean = (s: string) => (transliterate(s) ?? '').toLowerCase().replace(/[^a-z]/g, '')
  const stem = `${clean(first).slice(0, 1)}${clean(last).slice(0, 12)}`
  for (let digits = 3; ; digits++) {
    const suffix = digits <= id.length ? id.slice(-digits) : `${id}${digits - id.length}`
    const name = `${stem.slice(0, 20 - suffix.length)}${suffix}`
    if (!taken.has(name)) {
      taken.add(name)
      return name
    }
  }
}

/** `svc_<account>`, cut to 20 characters; a cut that collides gets a counter instead of its last characters. */
function serviceName(account: string, taken: Set<string>): string {
  let name = `svc_${account}`.slice(0, 20)
  for (let n = 2; taken.has(name); n++) name = `svc_${account}`.slice(0, 20 - String(n).length) + String(n)
  taken.add(name)
  return name
}

async function* csvRecords(file: string): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    const fields = Papa.parse<string[]>(line.replace(/^\uFEFF/, ''), { delimiter: ';' }).data[0] ?? []
    if (header === undefined) header = fields
    else yield Object.fromEntries(header.map((name, i) => [name, fields[i] ?? '']))
  }
}

/** `DD-MM-YYYY` as a sortable `YYYYMMDD`. */
function sortableDate(text: string | undefined): string {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text ?? '')
  return m === null ? '' : `${m[3]}${m[2]}${m[1]}`
}

/**
 * Each employee's department as the directory knows it: the unit of the contract that started
 * last. One string per employee, so a million employees cost tens of megabytes, not the file.
 */
async function departmentsByEmployee(hrDir: string): Promise<Map<string, string>> {
  const latest = new Map<string, { start: string; unit: string }>()
  for await (const c of csvRecords(path.join(hrDir, 'contracts.csv'))) {
    const id = c['employee_id'] ?? ''
    const start = sortableDate(c['start_date'])
    const known = latest.get(id)
    if (known === undefined || start > known.start) latest.set(id, { start, unit: c['organizational_unit'] ?? '' })
  }
  return new Map([...latest].map(([id, { unit }]) => [id, unit]))
}

async function departmentsOf(options: DirectoryDatasetOptions): Promise<Department[]> {
  const departments: Department[] = []
  for await (const d of csvRecords(path.join(options.hrDir, 'departments.csv'))) {
    // One in five departments has no group yet: the groups a filter should propose to create.
    const hasGroup = hashUnit(options.seed, 8, departments.length) >= 0.2
    departments.push({ unit: d['organizational_unit'] ?? '', name: d['name'] ?? '', hasGroup })
  }
  return departments
}

/**
 * The memberships of one employee's account, as a directory that nobody kept in line has them: most
 * people are in the group of the department the directory shows (which is outdated for some), some
 * in none, a few also in another department's group or in a group kept by hand.
 */
function* membershipsOf(
  options: DirectoryDatasetOptions,
  i: number,
  /** The unit of the department the account shows, when that department has a group. */
  own: string | undefined,
  /** The units whose department has a group. */
  groups: readonly string[],
): Generator<string> {
  if (own !== undefined && hashUnit(options.seed, 11, i) < 0.94) yield departmentGroup(own)
  if (groups.length > 1 && hashUnit(options.seed, 12, i) < 0.03) {
    const other = groups[hash3(options.seed, 13, i) % groups.length]!
    if (other !== own) yield departmentGroup(other)
  }
  if (hashUnit(options.seed, 14, i) < 0.08) yield HAND_GROUPS[0]!.cn
}

async function writeUsers(
  options: DirectoryDatasetOptions,
  departmentList: readonly Department[],
): Promise<{ users: number; memberships: number }> {
  const departments = await departmentsByEmployee(options.hrDir)
  const units = departmentList.map((d) => d.unit)
  const groups = departmentList.filter((d) => d.hasGroup).map((d) => d.unit)
  const grouped = new Set(groups)
  const users = await CsvWriter.open(path.join(options.outDir, 'users.csv'), USER_HEADER)
  const members = await CsvWriter.open(path.join(options.outDir, 'group_members.csv'), MEMBER_HEADER)
  const coverage = options.coverage ?? 0.93
  const taken = new Set<string>()
  let index = 0
  try {
    for await (const e of csvRecords(path.join(options.hrDir, 'employees.csv'))) {
      const i = index++
      if (hashUnit(options.seed, 1, i) >= coverage) continue
      const id = e['employee_id']!
      const first = e['preferred_name'] || e['first_name']!
      // About 1% of accounts carry an outdated surname: the update a filter should find.
      const sn = hashUnit(options.seed, 2, i) < 0.01 ? `${e['last_name']}-Old` : e['last_name']!
      const sam = accountName(first, e['last_name']!, id, taken)
      const enabled = hashUnit(options.seed, 3, i) < 0.97 ? 'TRUE' : 'FALSE'
      const created = new Date(
        Date.UTC(2015, 0, 1) + (hash3(options.seed, 4, i) % (3600 * 24 * 3650)) * 1000,
      ).toISOString()
      // About 2% of accounts still show a department the person has left: another update to find.
      const current = departments.get(id) ?? ''
      const moved = units.length > 1 && hashUnit(options.seed, 10, i) < 0.02
      const department = moved ? units[(units.indexOf(current) + 1) % units.length]! : current
      users.writeRow([
        guid(options.seed, 5, i),
        sam,
        id,
        first,
        sn,
        `${sam}@corp.example`,
        department,
        enabled,
        created,
      ])
      for (const group of membershipsOf(options, i, grouped.has(department) ? department : undefined, groups))
        members.writeRow([group, sam])
      // Some accounts exist without an employee: service accounts and left-overs (about 2%).
      if (hashUnit(options.seed, 6, i) < 0.02) {
        const service = serviceName(sam, taken)
        users.writeRow([guid(options.seed, 7, i), service, '', 'Service', sam, '', '', 'TRUE', created])
        // One in four was put into its owner's department group by hand: a member no role grants.
        if (grouped.has(department) && hashUnit(options.seed, 15, i) < 0.25)
          members.writeRow([departmentGroup(department), service])
      }
      await users.flushIfFull()
      await members.flushIfFull()
    }
    await users.close()
    await members.close()
    return { users: users.rows, memberships: members.rows }
  } catch (error) {
    await users.abort()
    await members.abort()
    throw error
  }
}

async function writeGroups(options: DirectoryDatasetOptions, departments: readonly Department[]): Promise<number> {
  const groups = await CsvWriter.open(path.join(options.outDir, 'groups.csv'), GROUP_HEADER)
  try {
    for (const [i, d] of departments.entries())
      if (d.hasGroup) groups.writeRow([guid(options.seed, 9, i), departmentGroup(d.unit), d.name])
    for (const [i, g] of HAND_GROUPS.entries()) groups.writeRow([guid(options.seed, 16, i), g.cn, g.description])
    await groups.close()
    return groups.rows
  } catch (error) {
    await groups.abort()
    throw error
  }
}

export async function generateDirectoryDataset(options: DirectoryDatasetOptions): Promise<DirectoryDatasetResult> {
  await mkdir(options.outDir, { recursive: true })
  const departments = await departmentsOf(options)
  const { users, memberships } = await writeUsers(options, departments)
  const groups = await writeGroups(options, departments)
  return {
    files: [
      { table: 'users', path: path.join(options.outDir, 'users.csv'), rows: users },
      { table: 'groups', path: path.join(options.outDir, 'groups.csv'), rows: groups },
      { table: 'group_members', path: path.join(options.outDir, 'group_members.csv'), rows: memberships },
    ],
  }
}
