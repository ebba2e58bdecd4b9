/**
 * The HR500 demo set (585 employees, seed 500) must hold the data that breaks naive provisioning.
 * Each case is counted on the parsed files, so the counts below are what a connector will see.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type HrAnalysis, type HrTables, analyseHrTables, readHrTables } from './dataset-analysis.ts'
import { generateHrDataset } from './hr-dataset.ts'

describe('the HR500 demo set', () => {
  let dir = ''
  let tables: HrTables
  let counts: HrAnalysis
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provisio-hr500-'))
    await generateHrDataset({ employees: 585, seed: 500, outDir: dir })
    tables = await readHrTables(dir)
    counts = analyseHrTables(tables, '2026-12-01')
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const names = (): string[] => tables.employees.flatMap((e) => [e.first_name ?? '', e.last_name ?? ''])

  it('has names with diacritics from many alphabets', () => {
    assert.ok(counts.namesWithDiacritics >= 100, `${counts.namesWithDiacritics}`)
    const letters = names().join(' ').toLowerCase()
    for (const ch of ['é', 'ë', 'ø', 'æ', 'ł', 'ü', 'ß', 'ç', 'ễ']) assert.ok(letters.includes(ch), `no ${ch}`)
  })

  it("has apostrophes (O'Brien, D'Angelo, in 't Veld) and hyphens (Jean-Luc, Smith-Jones)", () => {
    assert.ok(counts.namesWithApostrophes >= 5, `${counts.namesWithApostrophes}`)
    assert.ok(counts.hyphenatedNames >= 10, `${counts.hyphenatedNames}`)
    assert.ok(
      tables.employees.some((e) => (e.first_name ?? '').includes('-')),
      'a hyphenated first name',
    )
    assert.ok(
      tables.employees.some((e) => (e.last_name ?? '').includes('-')),
      'a hyphenated last name',
    )
  })

  it('keeps name particles in middle_name for some people and leaves it empty for most', () => {
    assert.ok(counts.namesWithParticles >= 40 && counts.namesWithParticles < 585 / 3, `${counts.namesWithParticles}`)
  })

  it('has several pairs of different people with the same full name', () => {
    assert.ok(counts.duplicateNameGroups >= 3, `${counts.duplicateNameGroups}`)
  })

  it('sets preferred_name for a few people only, and gender X for some', () => {
    assert.ok(counts.preferredNames >= 5 && counts.preferredNames < 585 / 10, `${counts.preferredNames}`)
    assert.ok(counts.genderX >= 1, `${counts.genderX}`)
  })

  it('has about 5% of people with concurrent contracts in different departments', () => {
    assert.ok(counts.concurrent >= 20 && counts.concurrent <= 45, `${counts.concurrent}`)
  })

  it('has about 6% leavers whose every contract ended before the reference date', () => {
    assert.ok(counts.leavers >= 25 && counts.leavers <= 45, `${counts.leavers}`)
  })

  it('has about 3% future starters whose first contract starts after the reference date', () => {
    assert.ok(counts.futureStarters >= 10 && counts.futureStarters <= 25, `${counts.futureStarters}`)
  })

  it('has people whose contract ended and who continued the next day in another department', () => {
    assert.ok(counts.departmentChanges >= 20, `${counts.departmentChanges}`)
  })

  it('has 1.25 to 1.4 contracts per employee on average', () => {
    assert.ok(
      counts.contractsPerEmployee >= 1.25 && counts.contractsPerEmployee <= 1.4,
      `${counts.contractsPerEmployee}`,
    )
  })

  it('has a manager hierarchy of several levels with about one manager per eight people', () => {
    assert.ok(counts.hierarchyDepth >= 4 && counts.hierarchyDepth < 10, `${counts.hierarchyDepth}`)
    const perManager = 585 / counts.distinctManagers
    assert.ok(perManager >= 5 && perManager <= 11, `${perManager}`)
    assert.ok(counts.withoutManager >= 1 && counts.withoutManager <= 5, `${counts.withoutManager}`)
  })

  it('has values that must be quoted (a ; or " in names and job titles)', () => {
    assert.ok(counts.quotedValues >= 5, `${counts.quotedValues}`)
    assert.ok(tables.departments.some((d) => (d.name ?? '').includes(';')))
    assert.ok(tables.contracts.some((c) => (c.job_title ?? '').includes('"')))
  })

  it('has personal e-mail addresses and phone numbers in several layouts', () => {
    const providers = new Set(tables.employees.map((e) => (e.personal_email ?? '').split('@')[1]))
    assert.ok(providers.size >= 10, `${providers.size} providers`)
    const phones = tables.employees.map((e) => e.personal_phone ?? '')
    assert.ok(
      phones.some((p) => p.includes('(')) && phones.some((p) => p.includes('-')) && phones.some((p) => p.includes(' ')),
    )
  })

  it('has a Helpdesk (EN_CO) with a couple of dozen current people, as in the NIM tutorials', () => {
    const current = tables.contracts.filter((c) => c.organizational_unit === 'EN_CO' && c.end_date === '')
    assert.ok(current.length >= 15 && current.length <= 40, `${current.length}`)
  })
})
