/**
 * The demo's target: a directory database (SQLite) that `provisio demo` creates on its first run
 * from the directory export in files/directory, the way an existing directory would already hold
 * accounts before Provisio manages it. Later runs leave it alone: it is the target, and what the
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
);`

function readExport(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    delimiter: ';',
    skipEmptyLines: true,
  }).data
}

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value)

/**
 * Creates the directory database from the export when it does not exist yet; returns whether it
 * did. The database is built under a temporary name and renamed, so a crash never leaves half a
 * directory behind. Synchronous (better-sqlite3) so that test set-ups can call it directly.
 */
export function seedDirectoryDatabase(projectDir: string): boolean {
  const file = path.join(projectDir, DIRECTORY_DATABASE)
  if (existsSync(file)) return false
  const exportDir = path.join(projectDir, 'files', 'directory')
  const users = readExport(path.join(exportDir, 'users.csv'))
  const groups = readExport(path.join(exportDir, 'groups.csv'))
  mkdirSync(path.dirname(file), { recursive: true })
  const building = `${file}.${process.pid}.tmp`
  const db = new Database(building)
  try {
    db.exec(SCHEMA)
    const addUser = db.prepare(
      'INSERT INTO users (objectGUID, sAMAccountName, employeeID, givenName, sn, mail, department, enabled, whenCreated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const addGroup = db.prepare('INSERT INTO groups (objectGUID, cn, description) VALUES (?, ?, ?)')
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
    })()
    db.close()
    renameSync(building, file)
  } catch (error) {
    if (db.open) db.close()
    rmSync(building, { force: true })
    throw error
  }
  return true
}
