/**
 * A test bed for the engine and jobs: a project with an HR source (`hr.people`, written straight
 * into the vault) and a real SQL target (`dir.accounts`, a SQLite file or a PostgreSQL schema from
 * sql-targets.ts) holding accounts, a link between them, filters, generators, mappings and a job.
 * The vault is one of VAULT_KINDS. Everything is real: the target is written through the SQL
 * connector and collected back; tests look at it through the target's admin handle.
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Issue, Row } from '../../src/core/index.ts'
import { type ValidatedProject, validateProject } from '../../src/config/index.ts'
import { collectSystem } from '../../src/connectors/index.ts'
import { checkMappings } from '../../src/engine/index.ts'
import { writeCollection } from '../../src/vault/index.ts'
import { type SqlTarget, type TargetKind, createSqlTarget } from './sql-targets.ts'
import { type TestVault, createTestVault } from './vaults.ts'

/** A person of hr.people as the tests write it; absent fields are null. */
export interface Person {
  readonly id: string
  readonly first_name?: string | null
  readonly last_name?: string | null
  readonly mail?: string | null
  readonly title?: string | null
  readonly tags?: readonly string[] | null
  readonly quota?: number | null
  /** `active` or `left`. @default 'active' */
  readonly status?: string
  /** The account (dir.accounts.employee_id) the person should own, when not their own id. */
  readonly account?: string | null
}

/** An account as inserted into the target database directly (as if it existed before Provisio). */
export interface Account {
  readonly employee_id: string
  readonly login: string
  readonly mail?: string | null
  readonly given_name?: string | null
  readonly family_name?: string | null
  readonly title?: string | null
  readonly tags?: readonly string[] | null
  readonly quota?: number | null
  readonly enabled?: boolean
}

const DDL = {
  sqlite: `CREATE TABLE accounts (
    employee_id TEXT PRIMARY KEY NOT NULL,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(login) <= 20),
    mail TEXT UNIQUE COLLATE NOCASE,
    given_name TEXT, family_name TEXT, title TEXT,
    tags TEXT, quota REAL,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    password_hash TEXT)`,
  postgres: `CREATE TABLE accounts (
    employee_id TEXT PRIMARY KEY NOT NULL,
    login TEXT NOT NULL CHECK (length(login) <= 20),
    mail TEXT,
    given_name TEXT, family_name TEXT, title TEXT,
    tags TEXT[], quota DOUBLE PRECISION,
    enabled BOOLEAN NOT NULL DEFAULT true,
    password_hash TEXT);
    CREATE UNIQUE INDEX accounts_login ON accounts (lower(login));
    CREATE UNIQUE INDEX accounts_mail ON accounts (lower(mail))`,
}

function systems(targetConfig: Record<string, unknown>, execution: string): string {
  return `kind: System
name: hr
connector: csv
config: {}
tables:
  people:
    primaryKey: id
    columns:
      id: string
      first_name: string
      last_name: string
      mail: string
      title: string
      tags: 'string[]'
      quota: number
      status: string
      account: string
---
kind: System
name: dir
connector: sql
config: ${JSON.stringify(targetConfig)}
execution: ${execution}
tables:
  accounts:
    options:
      mandatory: [login]
      disable: { column: enabled }
      password: { column: password_hash, hash: scrypt }
    primaryKey: employee_id
    referenceKeys: [login]
    columns:
      employee_id: string
      login: { type: string, caseInsensitive: true }
      mail: { type: string, caseInsensitive: true }
      given_name: string
      family_name: string
      title: string
      tags: 'string[]'
      quota: number
      enabled: boolean
---
kind: Link
name: person_account
left: hr.people.id
right: dir.accounts.employee_id
`
}

/** Filters, generators, mappings and the job every bed has; tests add their own documents. */
export const ENGINE_DOCUMENTS = `kind: Filter
name: joiners
description: Active people without an account.
start: hr.people AS p
where: p.status = 'active'
joins:
  - table: dir.accounts AS a
    mode: none
    via: person_account
---
kind: Filter
name: everyone
description: Every person, with their account when they have one.
start: hr.people AS p
joins:
  - table: dir.accounts AS a
    mode: optional
    via: person_account
---
kind: Filter
name: leavers
description: People who left (whether or not they still have an account).
start: hr.people AS p
where: p.status = 'left'
---
kind: NameGenerator
name: logins
filter: joiners
names:
  login:
    methods: ["left(p.first_name, 1) || p.last_name"]
    iteration: { start: 2, max: 9 }
    maxLength: 20
    lowercase: true
    allowedCharacters: "[a-z0-9]"
    uniqueIn: [dir.accounts.login]
  mail:
    methods: ["generated.login || '@example.test'"]
    uniqueIn: [dir.accounts.mail]
---
kind: PasswordGenerator
name: initial
length: { min: 16, max: 16 }
# A recognisable start (pw-<id>-), so that tests can prove a password is stored nowhere.
parts: ["'pw-' || p.id || '-'", random]
---
kind: Mapping
name: create_accounts
system: dir
table: accounts
function: accounts_create
filter: joiners
nameGenerator: logins
passwordGenerator: initial
attributes:
  employee_id: p.id
  login: generated.login
  mail: generated.mail
  given_name: p.first_name
  family_name: p.last_name
  title: p.title
  tags: p.tags
  quota: p.quota * 10
  enabled: true
  password: generated.password
---
kind: Mapping
name: update_accounts
system: dir
table: accounts
function: accounts_update
filter: everyone
key: coalesce(p.account, p.id)
attributes:
  given_name: p.first_name
  family_name: p.last_name
  mail: coalesce(p.mail, a.mail)   # HR may not know the address the account was given
  title: p.title
  tags: p.tags
  quota: p.quota * 10
---
kind: Mapping
name: delete_leavers
system: dir
table: accounts
function: accounts_delete
filter: leavers
key: p.id
---
kind: Mapping
name: disable_leavers
system: dir
table: accounts
function: accounts_disable
filter: leavers
key: p.id
`

export interface EngineBedOptions {
  /** @default 'sqlite' */
  readonly target?: TargetKind | undefined
  /** The `execution:` block of the target system (YAML flow). @default '{ concurrency: 4, maxAttempts: 3 }' */
  readonly execution?: string | undefined
}

export interface EngineBed {
  readonly vault: TestVault
  readonly target: SqlTarget
  readonly dir: string
  /** The project as last loaded. */
  readonly project: ValidatedProject
  /** Writes `documents` (plus the standard ones) as the project's engine documents and validates; throws on errors. */
  load(documents?: string): Promise<ValidatedProject>
  /** Collects `people` as the current rows of hr.people. */
  people(people: readonly Person[]): Promise<void>
  /** Inserts accounts into the target database directly. */
  insertAccounts(accounts: readonly Account[]): Promise<void>
  /** Collects dir (the target) through the SQL connector. */
  collectTarget(): Promise<void>
  /** The target's rows (password_hash included), ordered by employee_id, in data-model shapes. */
  accounts(): Promise<Row[]>
  /**
   * Everything the vault holds, as text: every table's rows as JSON and, for SQLite, the database
   * files' bytes (freed pages and the WAL included). For proving that a value is stored nowhere.
   */
  vaultText(): Promise<string>
  close(): Promise<void>
}

function errorsOf(issues: readonly Issue[]): string[] {
  return issues
    .filter((i) => i.severity !== 'warning')
    .map((i) => `${i.file}:${i.line}:${i.column} ${i.code} ${i.message}`)
}

function personRow(p: Person): Row {
  return {
    id: p.id,
    first_name: p.first_name ?? null,
    last_name: p.last_name ?? null,
    mail: p.mail ?? null,
    title: p.title ?? null,
    tags: p.tags === undefined || p.tags === null ? null : [...p.tags],
    quota: p.quota ?? null,
    status: p.status ?? 'active',
    account: p.account ?? null,
  }
}

/** A list as the target stores it: JSON text in SQLite, an array literal (`{"a","b"}`) for text[] in PostgreSQL. */
function listLiteral(kind: TargetKind, values: readonly string[]): string {
  if (kind === 'sqlite') return JSON.stringify(values)
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`
}

function tagsOut(kind: TargetKind, raw: unknown): string[] | null {
  if (raw === null || raw === undefined) return null
  const list = kind === 'sqlite' ? (JSON.parse(raw as string) as string[]) : (raw as string[])
  return [...list].sort()
}

/** A fresh bed: target database with the accounts table, vault of `vaultKind`, project validated. */
export async function createEngineBed(
  vaultKind: 'sqlite' | 'postgres',
  options: EngineBedOptions = {},
): Promise<EngineBed> {
  const kind = options.target ?? 'sqlite'
  const target = await createSqlTarget(kind)
  await target.ddl(DDL)
  const dir = target.projectDir
  await mkdir(path.join(dir, 'systems'), { recursive: true })
  await writeFile(
    path.join(dir, 'systems', 'systems.yaml'),
    systems(target.config, options.execution ?? '{ concurrency: 4, maxAttempts: 3 }'),
  )
  const vault = await createTestVault(vaultKind, dir)
  let project: ValidatedProject | undefined
  const bed: EngineBed = {
    vault,
    target,
    dir,
    get project() {
      if (project === undefined) throw new Error('call load() first')
      return project
    },
    async load(documents = '') {
      await writeFile(
        path.join(dir, 'engine.yaml'),
        documents === '' ? ENGINE_DOCUMENTS : `${ENGINE_DOCUMENTS}---\n${documents}`,
      )
      const validated = await validateProject(dir)
      const errors = [...errorsOf(validated.issues), ...errorsOf(checkMappings(validated.project))]
      if (errors.length > 0) throw new Error(`The bed's project has errors:\n${errors.join('\n')}`)
      project = validated.project
      return project
    },
    async people(people) {
      const hr = bed.project.systems.find((s) => s.name === 'hr')!
      await writeCollection(vault.driver, {
        system: 'hr',
        tables: hr.tables.map((schema) => ({
          schema,
          read: async function* () {
            yield { rows: people.map(personRow) }
          },
        })),
      })
    },
    async insertAccounts(accounts) {
      for (const a of accounts) {
        const tags = a.tags === undefined || a.tags === null ? null : listLiteral(kind, a.tags)
        const enabled = a.enabled ?? true
        await target.admin.run(
          'INSERT INTO accounts (employee_id, login, mail, given_name, family_name, title, tags, quota, enabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            a.employee_id,
            a.login,
            a.mail ?? null,
            a.given_name ?? null,
            a.family_name ?? null,
            a.title ?? null,
            tags,
            a.quota ?? null,
            kind === 'sqlite' ? (enabled ? 1 : 0) : enabled,
          ],
        )
      }
    },
    async collectTarget() {
      const system = bed.project.systems.find((s) => s.name === 'dir')!
      await collectSystem({ driver: vault.driver, system, projectDir: dir })
    },
    async accounts() {
      const rows = await target.admin.query<Record<string, unknown>>('SELECT * FROM accounts ORDER BY employee_id')
      return rows.map((r) => ({
        employee_id: r['employee_id'] as string,
        login: r['login'] as string,
        mail: (r['mail'] as string | null) ?? null,
        given_name: (r['given_name'] as string | null) ?? null,
        family_name: (r['family_name'] as string | null) ?? null,
        title: (r['title'] as string | null) ?? null,
        tags: tagsOut(kind, r['tags']),
        quota: r['quota'] === null ? null : Number(r['quota']),
        enabled: r['enabled'] === true || r['enabled'] === 1,
        password_hash: (r['password_hash'] as string | null) ?? null,
      }))
    },
    async vaultText() {
      const db = vault.driver
      const tables =
        db.dialect.name === 'sqlite'
          ? await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
          : await db.query<{ name: string }>(
              'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
              [vault.schema!],
            )
      const parts: string[] = []
      for (const { name } of tables) {
        const rows = await db.query(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
        parts.push(`${name}: ${JSON.stringify(rows)}`)
      }
      if (db.dialect.name === 'sqlite') {
        for (const file of [db.location, `${db.location}-wal`])
          if (existsSync(file)) parts.push(readFileSync(file).toString('latin1'))
      }
      return parts.join('\n')
    },
    async close() {
      await vault.close()
      await target.close()
    },
  }
  return bed
}
