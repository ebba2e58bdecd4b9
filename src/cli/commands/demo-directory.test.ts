import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { DIRECTORY_DATABASE, seedDirectoryDatabase } from './demo-directory.ts'

const EXPORT = path.resolve(import.meta.dirname, '..', '..', '..', 'examples', 'hr500', 'files', 'directory')
const dirs: string[] = []

/** A project folder with the demo's directory export (without the files named in `leftOut`). */
function project(leftOut: string[] = []): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-demo-directory-'))
  dirs.push(dir)
  cpSync(EXPORT, path.join(dir, 'files', 'directory'), {
    recursive: true,
    filter: (source) => !leftOut.includes(path.basename(source)),
  })
  return dir
}

function count(dir: string, table: string): number {
  const db = new Database(path.join(dir, DIRECTORY_DATABASE), { readonly: true })
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('the demo directory database', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('is created from the export with its accounts, groups and memberships, then kept', () => {
    const dir = project()
    assert.equal(seedDirectoryDatabase(dir), 'created')
    assert.deepEqual(
      ['users', 'groups', 'group_members'].map((t) => count(dir, t)),
      [538, 28, 437],
    )
    assert.equal(seedDirectoryDatabase(dir), 'kept')
  })

  it('gains the memberships table when an earlier demo made it without one', () => {
    const dir = project()
    seedDirectoryDatabase(dir)
    const db = new Database(path.join(dir, DIRECTORY_DATABASE))
    db.exec('DROP TABLE group_members')
    db.prepare("DELETE FROM groups WHERE cn = 'VPN_USERS'").run()
    db.close()
    assert.equal(seedDirectoryDatabase(dir), 'upgraded')
    // The exported memberships of groups the database no longer holds are left out.
    assert.equal(count(dir, 'group_members'), 437 - 41)
    assert.equal(seedDirectoryDatabase(dir), 'kept')
  })

  it('starts with no memberships from an export that has none', () => {
    const dir = project(['group_members.csv'])
    assert.equal(seedDirectoryDatabase(dir), 'created')
    assert.equal(count(dir, 'group_members'), 0)
  })
})
