/**
 * The demo's target: a directory database (SQLite) that `provisio demo` creates on its first run
 * from the directory export in files/directory, the way an existing directory would already hold
 * accounts, groups and memberships before Provisio manages it. Later runs leave it alone: it is the target, and what the
 * demo wrote to it stays there.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import Papa from 'papaparse'
import Database from 'better-sqlite3'

/** Where the demo's directory database lives, relative to the project (as systems/directory.yaml says). */
export const DIRECTORY_DATABASE = path.join('.provisio', 'directory.db')

const SCHEMA = `
CREATE TABLE users (
  objectGUID TEXT PRIMARY KEY NOT NULL DEFAULT (lower(
    hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' ||
    substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
  sAMAccountName TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(sAMAccountName) <= 20),
  employeeID TEXT UNIQUE,
  givenName TEXT,
  sn TEXT,
  mail TEXT UNIQUE COLLATE NOCASE,
  department TEXT,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  whenCreated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  password_hash TEXT
);
CREATE TABLE groups (
  objectGUID TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(16)))),
  cn TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT
);
`

/** The memberships table: one (group, member) row each, by the group's cn and the member's sAMAccountName. */
const MEMBERSHIPS_SCHEMA = `
CREATE TABLE group_members (
  group_cn TEXT NOT NULL COLLATE NOCASE REFERENCES groups (cn) ON UPDATE CASCADE ON DELETE CASCADE,
  member TEXT NOT NULL COLLATE NOCASE REFERENCES users (sAMAccountName) ON UPDATE CASCADE ON DELETE CASCADE,
  PRIMARY KEY (group_cn, member)
);`

function readExport(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    delimiter: ';',
    skipEmptyLines: true,
  }).data
}

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value)

/** The exported memberships; an export made before memberships were exported has none. */
function readMemberships(exportDir: string): Record<string, string>[] {
  const file = path.join(exportDir, 'group_members.csv')
  return existsSync(file) ? readExport(file) : []
}

/**
 * A database an earlier demo made has no memberships table: adds it, with the exported memberships
 * whose group and member the database holds (what earlier runs wrote stays). Returns whether it did.
 */
function addMembershipsTable(file: string, exportDir: string): boolean {
  const db = new Database(file)
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'group_members'").get()
    if (table !== undefined) return false
    const members = readMemberships(exportDir)
    db.transaction(() => {
      db.exec(MEMBERSHIPS_SCHEMA)
      const add = db.prepare(
        'INSERT INTO group_members (group_cn, member) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM groups WHERE cn = ?) AND EXISTS (SELECT 1 FROM users WHERE sAMAccountName = ?)',
      )
      for (const m of members) add.run(m['group_cn'], m['member'], m['group_cn'], m['member'])
    })()
    return true
  } finally {
    db.close()
  }
}

/** What {@link seedDirectoryDatabase} did: made the database, added its memberships table, or left it alone. */
export type SeedOutcome = 'created' | 'upgraded' | 'kept'

/**
 * Creates the directory database from the export when it does not exist yet. The database is built
 * under a temporary name and renamed, so a crash never leaves half a directory behind. An existing
 * database is kept, and gains the memberships table when an earlier demo made it without one.
 * Synchronous (better-sqlite3) so that test set-ups can call it directly.
 */
export function seedDirectoryDatabase(projectDir: string): SeedOutcome {
  const file = path.join(projectDir, DIRECTORY_DATABASE)
  const exportDir = path.join(projectDir, 'files', 'directory')
  if (existsSync(file)) return addMembershipsTable(file, exportDir) ? 'upgraded' : 'kept'
  const users = readExport(path.join(exportDir, 'users.csv'))
  const groups = readExport(path.join(exportDir, 'groups.csv'))
  const members = readMemberships(exportDir)
  mkdirSync(path.dirname(file), { recursive: true })
  const building = `${file}.${process.pid}.tmp`
  const db = new Database(building)
  try {
    db.exec(SCHEMA)
    db.exec(MEMBERSHIPS_SCHEMA)
    const addUser = db.prepare(
      'INSERT INTO users (objectGUID, sAMAccountName, employeeID, givenName, sn, mail, department, enabled, whenCreated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const addGroup = db.prepare('INSERT INTO groups (objectGUID, cn, description) VALUES (?, ?, ?)')
    const addMember = db.prepare('INSERT INTO group_members (group_cn, member) VALUES (?, ?)')
    db.transaction(() => {
      for (const u of users) {
        addUser.run(
          u['objectGUID'],
          u['sAMAccountName'],
          orNull(u['employeeID']),
          orNull(u['givenName']),
          orNull(u['sn']),
          orNull(u['mail']),
          orNull(u['department']),
          u['enabled'] === 'TRUE' ? 1 : 0,
          u['whenCreated'],
        )
      }
      for (const g of groups) addGroup.run(g['objectGUID'], g['cn'], orNull(g['description']))
      for (const m of members) addMember.run(m['group_cn'], m['member'])
    })()
    db.close()
    renameSync(building, file)
  } catch (error) {
    if (db.open) db.close()
    rmSync(building, { force: true })
    throw error
  }
  return 'created'
}
