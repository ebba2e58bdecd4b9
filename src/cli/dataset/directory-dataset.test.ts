import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import Papa from 'papaparse'
import { generateDirectoryDataset } from './directory-dataset.ts'

const EXAMPLE = path.resolve(import.meta.dirname, '..', '..', '..', 'examples', 'hr500', 'files')
const out = mkdtempSync(path.join(os.tmpdir(), 'provisio-directory-'))

function read(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    delimiter: ';',
    skipEmptyLines: true,
  }).data
}

describe('directory dataset', () => {
  after(() => rmSync(out, { recursive: true, force: true }))

  it('is the committed demo export when generated from the demo HR files with seed 500', async () => {
    await generateDirectoryDataset({ hrDir: path.join(EXAMPLE, 'hr500'), outDir: out, seed: 500 })
    for (const file of ['users.csv', 'groups.csv', 'group_members.csv']) {
      assert.ok(
        readFileSync(path.join(out, file)).equals(readFileSync(path.join(EXAMPLE, 'directory', file))),
        `${file} drifted: regenerate it`,
      )
    }
  })

  it('links most employees, leaves some out, adds accounts without employee and misses some groups', () => {
    const employees = read(path.join(EXAMPLE, 'hr500', 'employees.csv'))
    const users = read(path.join(out, 'users.csv'))
    const ids = new Set(employees.map((e) => e['employee_id']))
    const linked = users.filter((u) => ids.has(u['employeeID']))
    assert.ok(linked.length > employees.length * 0.85 && linked.length < employees.length)
    assert.ok(users.some((u) => u['employeeID'] === ''))
    assert.equal(new Set(users.map((u) => u['objectGUID'])).size, users.length)
    assert.equal(new Set(linked.map((u) => u['employeeID'])).size, linked.length)
    const departments = read(path.join(EXAMPLE, 'hr500', 'departments.csv'))
    const groups = read(path.join(out, 'groups.csv'))
    assert.ok(groups.length > 0 && groups.length < departments.length)
  })

  it('puts most accounts in their department group, some in none or another, and some in a group kept by hand', () => {
    const users = read(path.join(out, 'users.csv'))
    const groups = new Set(read(path.join(out, 'groups.csv')).map((g) => g['cn']))
    const members = read(path.join(out, 'group_members.csv'))
    const accounts = new Map(users.map((u) => [u['sAMAccountName'], u]))
    const pairs = new Set(members.map((m) => `${m['group_cn']} ${m['member']}`))
    assert.equal(pairs.size, members.length, 'no pair twice')
    for (const m of members) {
      assert.ok(groups.has(m['group_cn']), `${m['group_cn']} is a group`)
      assert.ok(accounts.has(m['member']), `${m['member']} is an account`)
    }
    const inOwn = users.filter(
      (u) => u['employeeID'] !== '' && pairs.has(`DEPGRP_${u['department']} ${u['sAMAccountName']}`),
    )
    const withGroup = users.filter((u) => u['employeeID'] !== '' && groups.has(`DEPGRP_${u['department']}`))
    assert.ok(inOwn.length > withGroup.length * 0.85 && inOwn.length < withGroup.length, 'most, not all')
    const elsewhere = members.filter(
      (m) =>
        m['group_cn']!.startsWith('DEPGRP_') && m['group_cn'] !== `DEPGRP_${accounts.get(m['member'])!['department']}`,
    )
    assert.ok(elsewhere.length > 0, 'some accounts are in another department group')
    assert.ok(members.some((m) => m['group_cn'] === 'VPN_USERS'))
    assert.ok(
      members.some((m) => accounts.get(m['member'])!['employeeID'] === ''),
      'a service account is a member',
    )
  })
})
