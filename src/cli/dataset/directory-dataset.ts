/**
 * A directory export that goes with an HR dataset: `users.csv` (accounts, most of them linked to an
 * employee by employeeID) and `groups.csv` (one group per department for most departments). It is the
 * second system of the demo and of the filters benchmark: who has no account yet, whose account
 * differs from HR, which department groups are missing.
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

async function unitsOf(hrDir: string): Promise<string[]> {
  const units: string[] = []
  for await (const d of csvRecords(path.join(hrDir, 'departments.csv'))) units.push(d['organizational_unit'] ?? '')
  return units
}

async function writeUsers(options: DirectoryDatasetOptions): Promise<number> {
  const departments = await departmentsByEmployee(options.hrDir)
  const units = await unitsOf(options.hrDir)
  const users = await CsvWriter.open(path.join(options.outDir, 'users.csv'), USER_HEADER)
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
      // Some accounts exist without an employee: service accounts and left-overs (about 2%).
      if (hashUnit(options.seed, 6, i) < 0.02) {
        users.writeRow([guid(options.seed, 7, i), serviceName(sam, taken), '', 'Service', sam, '', '', 'TRUE', created])
      }
      await users.flushIfFull()
    }
    await users.close()
    return users.rows
  } catch (error) {
    await users.abort()
    throw error
  }
}

async function writeGroups(options: DirectoryDatasetOptions): Promise<number> {
  const groups = await CsvWriter.open(path.join(options.outDir, 'groups.csv'), GROUP_HEADER)
  let index = 0
  try {
    for await (const d of csvRecords(path.join(options.hrDir, 'departments.csv'))) {
      const i = index++
      // One in five departments has no group yet: the groups a filter should propose to create.
      if (hashUnit(options.seed, 8, i) < 0.2) continue
      groups.writeRow([guid(options.seed, 9, i), `DEPGRP_${d['organizational_unit']}`, d['name'] ?? ''])
    }
    await groups.close()
    return groups.rows
  } catch (error) {
    await groups.abort()
    throw error
  }
}

export async function generateDirectoryDataset(options: DirectoryDatasetOptions): Promise<DirectoryDatasetResult> {
  await mkdir(options.outDir, { recursive: true })
  const users = await writeUsers(options)
  const groups = await writeGroups(options)
  return {
    files: [
      { table: 'users', path: path.join(options.outDir, 'users.csv'), rows: users },
      { table: 'groups', path: path.join(options.outDir, 'groups.csv'), rows: groups },
    ],
  }
}
