/**
 * The data of the `roles` suite, generated for a number of accounts N, with a churn of 1% whose
 * every consequence is known, so the suite can check the plan it measures:
 *
 * - hr.db (the HR source, a SQLite file behind the `sql` connector): N employees; N/100 departments
 *   and N/100 − 6 locations (with the 5 unmanaged groups and ALL_STAFF: 2N/100 groups); contracts with
 *   a department and a location each: 94.5% of the people have one current contract, 3% two (in two
 *   departments and at two locations), 2% only ended ones (leavers), 0.5% one that starts after the
 *   reference day; 5% also have an old, ended contract.
 * - directory.db (the target, a SQLite file behind the `sql` connector): an account per employee,
 *   N/1000 service accounts, the groups (DEPGRP_<unit>, LOCGRP_<location>, ALL_STAFF and 5 unmanaged
 *   APP_ groups), and the memberships table `group_members` as it stood before the churn: each
 *   current employee in the department and location group of every current contract and in
 *   ALL_STAFF (1% of those rows with the group written in lower case: the columns are
 *   case-insensitive, the pairs are the same).
 *
 * The churn (N/100 each): movers, people with one current contract whose department HR changed
 * (the directory still has them in the old group: one add and one remove each); stray memberships in
 * managed groups that no role grants (employees of other units, leavers, service accounts; half of
 * them with the member in upper case: one remove each); and memberships in unmanaged groups, which
 * must stay. Expected: adds = movers, removes = movers + strays, unchanged = desired pairs − movers.
 *
 * Deterministic (seeded streams of src/cli/dataset's Random) and cached in bench/.data.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { Random } from '../../src/cli/dataset/random.ts'
import { DATA } from '../support/databases.ts'

/** The day the member filters take as today; contracts are current on it or not. */
export const REFERENCE_DATE = '2026-12-01'
/** Bumped whenever the generated data changes, so that caches of older versions are not reused. */
const VERSION = 1
const SEED = 6

/** Groups no role references: their memberships must stay whatever the model says. */
export const UNMANAGED_GROUPS = ['APP_CRM', 'APP_ERP', 'VPN_USERS', 'WIFI_GUEST', 'PRINTERS'] as const

/** What was generated, and what a memberships step must plan for it. */
export interface RolesExpectation {
  readonly accounts: number
  readonly employees: number
  readonly serviceAccounts: number
  readonly departments: number
  readonly locations: number
  readonly groups: number
  /** Groups some role references (DEPGRP_, LOCGRP_, ALL_STAFF). */
  readonly managedGroups: number
  readonly contracts: number
  readonly currentContracts: number
  /** Rows of the memberships table. */
  readonly memberships: number
  /** (group, member) pairs the role model grants. */
  readonly desired: number
  readonly movers: number
  readonly strays: number
  /** Memberships in unmanaged groups (never touched). */
  readonly unmanaged: number
  /** The pairs to add and to remove, `group\tmember` in lower case, sorted. */
  readonly adds: readonly string[]
  readonly removes: readonly string[]
}

export interface RolesDataset {
  /** The folder holding hr.db and directory.db. */
  readonly dir: string
  readonly expected: RolesExpectation
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')
const unit = (d: number) => `D${pad(d + 1, 4)}`
const location = (l: number) => `L${pad(l + 1, 4)}`
const account = (i: number) => `u${pad(i + 1, 7)}`
const employeeId = (i: number) => `E${pad(i + 1, 7)}`
const pair = (group: string, member: string) => `${group}\t${member}`.toLowerCase()

const STREAM_PEOPLE = 1
const STREAM_CHURN = 2

interface Contract {
  readonly id: string
  readonly employee: number
  unit: number
  readonly location: number
  readonly start: string
  readonly end: string | null
}

/** A date in year range [from, to], drawn from `random` (days 1–28: every month has them). */
function dateIn(random: Random, from: number, to: number): string {
  return `${random.between(from, to)}-${pad(random.between(1, 12), 2)}-${pad(random.between(1, 28), 2)}`
}

/** Draws each person's contracts: who is current, in which departments and at which locations. */
function drawPeople(n: number, departments: number, locations: number) {
  const contracts: Contract[] = []
  /** Per person: the indices into `contracts` of its current contracts. */
  const current: number[][] = []
  const random = new Random(SEED, STREAM_PEOPLE)
  let next = 1
  const add = (employee: number, c: Omit<Contract, 'id' | 'employee'>) => {
    contracts.push({ id: `C${pad(next++, 8)}`, employee, ...c })
    return contracts.length - 1
  }
  for (let i = 0; i < n; i++) {
    random.reseed(SEED, STREAM_PEOPLE, i)
    const kind = random.float()
    const mine: number[] = []
    if (random.chance(0.05)) {
      add(i, {
        unit: random.int(departments),
        location: random.int(locations),
        start: dateIn(random, 2008, 2012),
        end: '2014-12-31',
      })
    }
    const running = () => (random.chance(0.2) ? dateIn(random, 2027, 2029) : null)
    if (kind < 0.02) {
      add(i, {
        unit: random.int(departments),
        location: random.int(locations),
        start: dateIn(random, 2015, 2020),
        end: dateIn(random, 2021, 2025),
      })
    } else if (kind < 0.025) {
      add(i, {
        unit: random.int(departments),
        location: random.int(locations),
        start: dateIn(random, 2027, 2027),
        end: null,
      })
    } else {
      const first = { unit: random.int(departments), location: random.int(locations) }
      mine.push(add(i, { ...first, start: dateIn(random, 2015, 2025), end: running() }))
      if (kind < 0.055 && departments > 1 && locations > 1) {
        // A second current contract, in another department and at another location.
        const second = {
          unit: (first.unit + 1 + random.int(departments - 1)) % departments,
          location: (first.location + 1 + random.int(locations - 1)) % locations,
        }
        mine.push(add(i, { ...second, start: dateIn(random, 2015, 2025), end: running() }))
      }
    }
    current.push(mine)
  }
  return { contracts, current }
}

/** `count` distinct entries of `from`, drawn with a partial Fisher–Yates shuffle. */
function sample<T>(random: Random, from: readonly T[], count: number): T[] {
  const pool = [...from]
  const k = Math.min(count, pool.length)
  for (let i = 0; i < k; i++) {
    const j = i + random.int(pool.length - i)
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, k)
}

/** Generates the dataset for `n` employee accounts into `dir` (replaced). */
function generate(n: number, dir: string): RolesExpectation {
  const departments = Math.max(2, Math.round(n / 100))
  const locations = Math.max(2, Math.round(n / 100) - 6)
  const serviceAccounts = Math.max(2, Math.round(n / 1000))
  const churn = Math.max(1, Math.round(n / 100))
  const { contracts, current } = drawPeople(n, departments, locations)
  const random = new Random(SEED, STREAM_CHURN)

  // Movers: people with one current contract whose department HR has changed since.
  const single = current.flatMap((mine) => (mine.length === 1 ? [mine[0]!] : []))
  const movers = sample(random, single, churn).map((c) => {
    const contract = contracts[c]!
    const before = contract.unit
    contract.unit = (before + 1 + random.int(departments - 1)) % departments
    return { employee: contract.employee, before, after: contract.unit }
  })

  // What the role model grants (as HR has it now), and the memberships the target has.
  const deptGroup = (d: number) => `DEPGRP_${unit(d)}`
  const locGroup = (l: number) => `LOCGRP_${location(l)}`
  const desired: [string, string][] = []
  current.forEach((mine, i) => {
    if (mine.length === 0) return
    desired.push(['ALL_STAFF', account(i)])
    for (const c of mine)
      desired.push([deptGroup(contracts[c]!.unit), account(i)], [locGroup(contracts[c]!.location), account(i)])
  })
  const desiredSet = new Set(desired.map(([g, m]) => pair(g, m)))
  const moved = new Map(movers.map((m) => [pair(deptGroup(m.after), account(m.employee)), deptGroup(m.before)]))
  const memberships: [string, string][] = desired.map(([g, m]) => {
    const old = moved.get(pair(g, m))
    if (old !== undefined) return [old, m]
    // 1% of the rows spell the group in lower case: the same pair to a case-insensitive column.
    return random.chance(0.01) ? [g.toLowerCase(), m] : [g, m]
  })
  const present = new Set(memberships.map(([g, m]) => pair(g, m)))

  // Strays in managed groups: current employees, leavers and future starters, service accounts.
  const managed = [
    'ALL_STAFF',
    ...Array.from({ length: departments }, (_, d) => deptGroup(d)),
    ...Array.from({ length: locations }, (_, l) => locGroup(l)),
  ]
  const notCurrent = current.flatMap((mine, i) => (mine.length === 0 ? [i] : []))
  const service = (s: number) => `svc_${pad(s + 1, 5)}`
  const strays: [string, string][] = []
  while (strays.length < churn) {
    const draw = random.float()
    let member =
      draw < 0.6
        ? account(random.int(n))
        : draw < 0.8 && notCurrent.length > 0
          ? account(random.pick(notCurrent))
          : service(random.int(serviceAccounts))
    if (random.chance(0.5)) member = member.toUpperCase()
    const group = random.pick(managed)
    const key = pair(group, member)
    if (desiredSet.has(key) || present.has(key)) continue
    present.add(key)
    strays.push([group, member])
  }
  // Memberships in groups no role references: they stay.
  const unmanaged: [string, string][] = []
  while (unmanaged.length < churn) {
    const group = random.pick(UNMANAGED_GROUPS)
    const member = random.chance(0.9) ? account(random.int(n)) : service(random.int(serviceAccounts))
    const key = pair(group, member)
    if (present.has(key)) continue
    present.add(key)
    unmanaged.push([group, member])
  }

  mkdirSync(dir, { recursive: true })
  writeHr(path.join(dir, 'hr.db'), n, departments, locations, contracts)
  const groups = [...managed, ...UNMANAGED_GROUPS]
  const rows = [...memberships, ...strays, ...unmanaged]
  writeDirectory(path.join(dir, 'directory.db'), n, serviceAccounts, groups, rows)
  return {
    accounts: n + serviceAccounts,
    employees: n,
    serviceAccounts,
    departments,
    locations,
    groups: groups.length,
    managedGroups: managed.length,
    contracts: contracts.length,
    currentContracts: current.reduce((sum, mine) => sum + mine.length, 0),
    memberships: rows.length,
    desired: desired.length,
    movers: movers.length,
    strays: strays.length,
    unmanaged: unmanaged.length,
    adds: movers.map((m) => pair(deptGroup(m.after), account(m.employee))).sort(),
    removes: [
      ...movers.map((m) => pair(deptGroup(m.before), account(m.employee))),
      ...strays.map(([g, m]) => pair(g, m)),
    ].sort(),
  }
}

/** A SQLite file written in one transaction per table under a temporary name, then renamed. */
function writeDatabase(file: string, ddl: string, fill: (db: Database.Database) => void): void {
  const building = `${file}.${process.pid}.tmp`
  rmSync(building, { force: true })
  const db = new Database(building)
  try {
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.exec(ddl)
    db.transaction(() => fill(db))()
  } finally {
    db.close()
  }
  renameSync(building, file)
}

function writeHr(
  file: string,
  n: number,
  departments: number,
  locations: number,
  contracts: readonly Contract[],
): void {
  const ddl = `
CREATE TABLE employees (employee_id TEXT PRIMARY KEY NOT NULL, first_name TEXT, last_name TEXT);
CREATE TABLE departments (organizational_unit TEXT PRIMARY KEY NOT NULL, name TEXT);
CREATE TABLE locations (code TEXT PRIMARY KEY NOT NULL, name TEXT);
CREATE TABLE contracts (contract_id TEXT PRIMARY KEY NOT NULL, employee_id TEXT NOT NULL,
  organizational_unit TEXT NOT NULL, location TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT);`
  writeDatabase(file, ddl, (db) => {
    const employee = db.prepare('INSERT INTO employees VALUES (?, ?, ?)')
    for (let i = 0; i < n; i++) employee.run(employeeId(i), `First${i + 1}`, `Last${i + 1}`)
    const department = db.prepare('INSERT INTO departments VALUES (?, ?)')
    for (let d = 0; d < departments; d++) department.run(unit(d), `Department ${d + 1}`)
    const site = db.prepare('INSERT INTO locations VALUES (?, ?)')
    for (let l = 0; l < locations; l++) site.run(location(l), `Location ${l + 1}`)
    const contract = db.prepare('INSERT INTO contracts VALUES (?, ?, ?, ?, ?, ?)')
    for (const c of contracts)
      contract.run(c.id, employeeId(c.employee), unit(c.unit), location(c.location), c.start, c.end)
  })
}

function writeDirectory(
  file: string,
  n: number,
  serviceAccounts: number,
  groups: readonly string[],
  memberships: readonly (readonly [string, string])[],
): void {
  const ddl = `
CREATE TABLE users (sAMAccountName TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, employeeID TEXT UNIQUE, displayName TEXT);
CREATE TABLE groups (cn TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, description TEXT);
CREATE TABLE group_members (group_cn TEXT NOT NULL COLLATE NOCASE, member TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (group_cn, member));`
  writeDatabase(file, ddl, (db) => {
    const user = db.prepare('INSERT INTO users VALUES (?, ?, ?)')
    for (let i = 0; i < n; i++) user.run(account(i), employeeId(i), `First${i + 1} Last${i + 1}`)
    for (let s = 0; s < serviceAccounts; s++) user.run(`svc_${pad(s + 1, 5)}`, null, `Service ${s + 1}`)
    const group = db.prepare('INSERT INTO groups VALUES (?, ?)')
    for (const cn of groups) group.run(cn, `Group ${cn}`)
    const member = db.prepare('INSERT INTO group_members VALUES (?, ?)')
    for (const [g, m] of memberships) member.run(g, m)
  })
}

/** The dataset for `n` employee accounts, generated once and cached in bench/.data. */
export function rolesDataset(n: number): RolesDataset {
  const dir = path.join(DATA, `roles-data-${n}`)
  const marker = path.join(dir, '.complete')
  const expectedFile = path.join(dir, 'expected.json')
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(VERSION)) {
    return { dir, expected: JSON.parse(readFileSync(expectedFile, 'utf8')) as RolesExpectation }
  }
  rmSync(dir, { recursive: true, force: true })
  const expected = generate(n, dir)
  writeFileSync(expectedFile, JSON.stringify(expected))
  writeFileSync(marker, String(VERSION))
  return { dir, expected }
}
