import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { type HrTables, type Table, day, readHrTables } from './dataset-analysis.ts'
import { type HrDatasetResult, describeDataset, generateHrDataset, isReferenceDate } from './hr-dataset.ts'

const DEMO_DIR = fileURLToPath(new URL('../../../examples/hr500/files/hr500/', import.meta.url))
const FILES = ['employees.csv', 'departments.csv', 'contracts.csv']

let root = ''
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'provisio-hr-'))
})
after(async () => {
  await rm(root, { recursive: true, force: true })
})

let runs = 0
async function generate(
  employees: number,
  seed: number,
  referenceDate?: string,
): Promise<{ dir: string; result: HrDatasetResult }> {
  const dir = join(root, `run-${runs++}`)
  const result = await generateHrDataset({
    employees,
    seed,
    outDir: dir,
    ...(referenceDate === undefined ? {} : { referenceDate }),
  })
  return { dir, result }
}

async function digest(dir: string): Promise<string> {
  const hash = createHash('sha256')
  for (const file of FILES) hash.update(await readFile(join(dir, file)))
  return hash.digest('hex')
}

const unique = (table: Table, column: string): boolean => new Set(table.map((r) => r[column])).size === table.length

/** Checks every key and relation that hr500.yaml declares, plus the hierarchy. */
function assertIntegrity(tables: HrTables): void {
  const { employees, departments, contracts } = tables
  for (const [table, column] of [
    [employees, 'employee_id'],
    [employees, 'ssn'],
    [contracts, 'contract_id'],
    [departments, 'organizational_unit'],
  ] as const) {
    assert.ok(unique(table, column), `${column} is not unique`)
  }
  const employeeIds = new Set(employees.map((e) => e.employee_id))
  const units = new Set(departments.map((d) => d.organizational_unit))
  for (const c of contracts) {
    assert.ok(employeeIds.has(c.employee_id), `contract ${c.contract_id} names unknown employee ${c.employee_id}`)
    assert.ok(units.has(c.organizational_unit), `contract ${c.contract_id} names unknown unit ${c.organizational_unit}`)
    if (c.end_date !== '')
      assert.ok(day(c.start_date) <= day(c.end_date), `contract ${c.contract_id} ends before it starts`)
  }
  for (const d of departments) {
    assert.ok(
      d.parent_unit === '' || units.has(d.parent_unit),
      `${d.organizational_unit} has unknown parent ${d.parent_unit}`,
    )
    assert.ok(employeeIds.has(d.manager_id), `${d.organizational_unit} has unknown manager ${d.manager_id}`)
  }
  assert.equal(departments.filter((d) => d.parent_unit === '').length, 1, 'exactly one root department')
  const managerOf = new Map(employees.map((e) => [e.employee_id, e.manager_id]))
  for (const e of employees) {
    assert.ok(
      e.manager_id === '' || employeeIds.has(e.manager_id),
      `${e.employee_id} has unknown manager ${e.manager_id}`,
    )
    const seen = new Set<string>()
    for (let id = e.employee_id ?? ''; id !== ''; id = managerOf.get(id) ?? '') {
      assert.ok(!seen.has(id), `manager cycle through ${id}`)
      seen.add(id)
    }
  }
  const employed = new Set(contracts.map((c) => c.employee_id))
  assert.ok(
    employees.every((e) => employed.has(e.employee_id)),
    'every employee has a contract',
  )
}

describe('generateHrDataset', () => {
  it('gives byte-identical files for the same employees, seed and reference date', async () => {
    const [a, b] = await Promise.all([generate(585, 500), generate(585, 500)])
    assert.equal(await digest(a.dir), await digest(b.dir))
  })

  it('gives different data for a different seed or reference date', async () => {
    const base = await digest((await generate(585, 500)).dir)
    assert.notEqual(await digest((await generate(585, 501)).dir), base)
    assert.notEqual(await digest((await generate(585, 500, '2027-06-01')).dir), base)
  })

  it('matches the committed examples/hr500 files exactly, so they never drift', async () => {
    const { dir } = await generate(585, 500)
    for (const file of FILES) {
      const fresh = await readFile(join(dir, file))
      const committed = await readFile(join(DEMO_DIR, file))
      assert.ok(
        fresh.equals(committed),
        `${file} differs from a fresh generation; regenerate it with employees=585 seed=500`,
      )
    }
  })

  it('writes the semicolon-separated, BOM-prefixed, CRLF-terminated layout of hr500.yaml', async () => {
    const { dir } = await generate(585, 500)
    const headers = {
      'employees.csv':
        'employee_id;ssn;first_name;middle_name;last_name;preferred_name;gender;birth_date;personal_email;personal_phone;city;country;manager_id',
      'departments.csv': 'organizational_unit;name;parent_unit;manager_id;cost_center;location',
      'contracts.csv': 'contract_id;employee_id;organizational_unit;job_title;start_date;end_date;fte;contract_type',
    }
    for (const [file, header] of Object.entries(headers)) {
      const bytes = await readFile(join(dir, file))
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${file} starts with a BOM`)
      const text = bytes.toString('utf8').slice(1)
      assert.ok(text.startsWith(`${header}\r\n`), `${file} header`)
      assert.ok(text.endsWith('\r\n'))
      assert.equal(text.replaceAll('\r\n', '').includes('\n'), false, `${file} has a bare LF`)
    }
  })

  it('reports exact row counts and describes them', async () => {
    const { dir, result } = await generate(585, 500)
    const tables = await readHrTables(dir)
    assert.deepEqual(
      result.files.map((f) => [f.table, f.rows]),
      [
        ['employees', 585],
        ['departments', tables.departments.length],
        ['contracts', tables.contracts.length],
      ],
    )
    assert.equal(tables.employees.length, 585)
    assert.ok(tables.departments.length >= 25 && tables.departments.length <= 35)
    assert.match(describeDataset(result), /^employees +585 rows {2}.*employees\.csv$/m)
    assert.deepEqual((await readdir(dir)).sort(), [...FILES].sort(), 'no partial files are left behind')
  })

  it('keeps every key unique and every relation of hr500.yaml intact', async () => {
    assertIntegrity(await readHrTables((await generate(585, 500)).dir))
  })

  it('formats ids, dates, FTEs and codes as hr500.yaml expects', async () => {
    const { employees, departments, contracts } = await readHrTables((await generate(585, 500)).dir)
    const date = /^\d{2}-\d{2}-\d{4}$/
    for (const e of employees) {
      assert.match(e.employee_id ?? '', /^\d{8}$/)
      assert.match(e.ssn ?? '', /^\d{3}-\d{2}-\d{4}$/)
      assert.match(e.birth_date ?? '', date)
      assert.match(e.gender ?? '', /^[MFX]$/)
      assert.match(e.personal_email ?? '', /^[a-z0-9][a-z0-9.-]*@[a-z0-9.-]+\.[a-z]+$/)
      assert.match(e.personal_phone ?? '', /^(\+|00)[\d ()./-]+$/)
    }
    for (const d of departments) assert.match(d.organizational_unit ?? '', /^[A-Z]{2}(_[A-Z]{2,4})?$/)
    for (const c of contracts) {
      assert.match(c.contract_id ?? '', /^C\d{7}$/)
      assert.match(c.start_date ?? '', date)
      assert.match(c.end_date ?? '', /^(\d{2}-\d{2}-\d{4})?$/)
      assert.match(c.fte ?? '', /^(1|0,\d{1,2})$/)
      assert.match(c.contract_type ?? '', /^(permanent|temporary|intern|external)$/)
    }
  })

  it('does not look sequential in its employee ids', async () => {
    const { employees } = await readHrTables((await generate(585, 500)).dir)
    const ids = employees.map((e) => Number(e.employee_id))
    const steps = ids.slice(1).filter((id, k) => id === (ids[k] as number) + 1).length
    assert.ok(steps < 5, `${steps} consecutive ids`)
  })

  for (const employees of [1, 7, 40]) {
    it(`stays consistent with only ${employees} employee(s), fewer than there are department heads`, async () => {
      const { dir, result } = await generate(employees, 3)
      assert.equal(result.files[0]?.rows, employees)
      assertIntegrity(await readHrTables(dir))
    })
  }

  it('scales the department tree for large datasets with unique generated codes', async () => {
    const { dir } = await generate(25_000, 11)
    const tables = await readHrTables(dir)
    assertIntegrity(tables)
    assert.equal(tables.departments.length, 100)
    const parentOf = new Map(tables.departments.map((d) => [d.organizational_unit, d.parent_unit]))
    const depth = (code: string): number => (code === '' ? 0 : 1 + depth(parentOf.get(code) ?? ''))
    assert.ok(Math.max(...tables.departments.map((d) => depth(d.organizational_unit ?? ''))) >= 4)
  })

  it('reports progress up to the total', async () => {
    const calls: [number, number][] = []
    await generateHrDataset({
      employees: 300,
      seed: 1,
      outDir: join(root, 'progress'),
      onProgress: (done, total) => calls.push([done, total]),
    })
    assert.deepEqual(calls.at(-1), [300, 300])
    assert.ok(calls.every(([done], k) => k === 0 || done > (calls[k - 1] as [number, number])[0]))
  })

  it('tells real YYYY-MM-DD reference dates from others, for the CLI to check first', () => {
    assert.equal(isReferenceDate('2026-12-01'), true)
    assert.equal(isReferenceDate('2026-02-30'), false)
    assert.equal(isReferenceDate('01-12-2026'), false)
  })

  it('rejects options it cannot honour', async () => {
    const outDir = join(root, 'rejected')
    await assert.rejects(generateHrDataset({ employees: 0, seed: 1, outDir }), RangeError)
    await assert.rejects(generateHrDataset({ employees: 2.5, seed: 1, outDir }), RangeError)
    await assert.rejects(generateHrDataset({ employees: 10, seed: 0.5, outDir }), RangeError)
    await assert.rejects(generateHrDataset({ employees: 10, seed: 1, outDir, referenceDate: '2026-13-01' }), RangeError)
  })
})
