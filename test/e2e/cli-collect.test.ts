/**
 * End to end: the `provisio` command on a copy of examples/hr500, on the embedded vault and (when
 * available) on PostgreSQL.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { PG_URL, VAULT_KINDS } from '../support/vaults.ts'
import { copyHr500, provisio } from '../support/cli.ts'

for (const kind of VAULT_KINDS) {
  describe(`provisio collect on examples/hr500 (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    let args: (...rest: string[]) => string[]
    before(() => {
      project = copyHr500()
      // Each PostgreSQL run gets a schema of its own (the URL's ?schema= parameter).
      const database =
        kind === 'postgres' ? ['--database', `${PG_URL}?schema=e2e_${process.pid}_${Date.now().toString(36)}`] : []
      args = (...rest) => [...rest, '--project', project.dir, ...database]
    })
    after(() => project.remove())

    it('runs the demo: validates, collects 585 employees and shows the vault', () => {
      const result = provisio(args('demo'))
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /valid: directory \(sql, 3 tables\), hr500 \(csv, 3 tables\)/)
      assert.match(result.stdout, /group_members\s+0\s+437\s+437\s+0\s+0/)
      assert.match(result.stdout, /employees\s+0\s+585\s+585\s+0\s+0/)
      assert.match(result.stdout, /hr500\.employees\s+585/)
      // Roles: the demo activates the role model, and runs the job again to fill the groups it created.
      assert.match(
        result.stdout,
        /No role model was active: activated roles\/role-model\.yaml \('access'\) as role model 1\./,
      )
      assert.match(result.stdout, /Memberships planned: 62 adds, 54 removes; 342 members/)
      assert.match(result.stdout, /6 role\(s\) grant a group that does not exist yet \(DEP_FI, /)
      assert.match(
        result.stdout,
        /This run created groups or accounts \(create_department_groups 6, create_accounts 50\)/,
      )
      assert.match(result.stdout, /Memberships planned: 166 adds, 0 removes; 404 members/)
    })

    it('runs the demo again: the role model is active and there is nothing left to do', () => {
      const result = provisio(args('demo'))
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /Role model 1 \('access', from roles\/role-model\.yaml\) is active\./)
      assert.match(result.stdout, /Nothing to do: the directory already matches HR500 and the role model\./)
      assert.match(result.stdout, /Memberships planned: 0 adds, 0 removes; 570 members/)
      assert.doesNotMatch(result.stdout, /runs the job once more/)
    })

    it('says there were no changes when collecting the same files again', () => {
      const result = provisio(args('collect', 'hr500'))
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /Collected hr500 in .* \(collection \d+\): no changes/)
    })

    it('reads through worker threads to the same rows and fingerprints (no changes found)', () => {
      const result = provisio(args('collect', 'hr500', '--json'), { env: { PROVISIO_READ_WORKER_BYTES: '0' } })
      assert.equal(result.status, 0, result.stderr)
      const { collections } = JSON.parse(result.stdout) as {
        collections: { tables: { added: number; changed: number; removed: number }[] }[]
      }
      assert.deepEqual(
        collections[0]!.tables.map((t) => t.added + t.changed + t.removed),
        [0, 0, 0],
      )
    })

    it('reads a system whose connector cannot read incrementally in full with --incremental, and says so', () => {
      const result = provisio(args('collect', 'hr500', '--incremental', '--json'))
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stderr, /note: hr500 was read in full: the csv connector cannot read incrementally\./)
      const { collections } = JSON.parse(result.stdout) as {
        collections: {
          id: number
          tables: { table: string; incremental: boolean; watermark: unknown; since: unknown }[]
        }[]
      }
      assert.deepEqual(
        collections[0]!.tables.map((t) => [t.table, t.incremental, t.watermark, t.since]),
        [
          ['employees', false, null, null],
          ['departments', false, null, null],
          ['contracts', false, null, null],
        ],
      )
      const listed = JSON.parse(
        provisio(args('collections', '--system', 'hr500', '--limit', '1', '--json')).stdout,
      ) as {
        collections: { id: number; tables: { incremental: boolean; watermark: unknown }[] }[]
      }
      assert.equal(listed.collections[0]!.id, collections[0]!.id)
      assert.ok(listed.collections[0]!.tables.every((t) => t.incremental === false && t.watermark === null))
      const text = provisio(args('collections', '--system', 'hr500', '--limit', '1'))
      assert.match(text.stdout, /^\s*id\s+system\s+kind\s+read\s+status/)
      assert.match(text.stdout, new RegExp(`\\n\\s*${collections[0]!.id}\\s+hr500\\s+collect\\s+full\\s+succeeded`))
    })

    it('rejects a truncated export with the guard that stopped it and keeps the vault', () => {
      const file = path.join(project.dir, 'files', 'hr500', 'employees.csv')
      const original = readFileSync(file)
      const lines = original.toString('utf8').split('\r\n')
      writeFileSync(file, lines.slice(0, 100).join('\r\n') + '\r\n')
      const rejected = provisio(args('collect', 'hr500'))
      assert.equal(rejected.status, 1)
      assert.match(
        rejected.stderr,
        /hr500\.employees: removes 486 of 585 rows \(83\.1%\), guard maxRemoved allows 10% \(58 rows\) \[VLT_GUARD_REJECTED\]/,
      )
      const count = JSON.parse(provisio(args('vault', 'tables', '--json')).stdout) as {
        tables: { table: string; rows: number }[]
      }
      assert.equal(count.tables.find((t) => t.table === 'employees')?.rows, 585)
      const forced = JSON.parse(provisio(args('collect', 'hr500', '--force', '--json')).stdout) as {
        collections: { tables: { table: string; removed: number }[] }[]
      }
      assert.equal(forced.collections[0]!.tables.find((t) => t.table === 'employees')!.removed, 486)
      writeFileSync(file, original)
    })

    it('rejects a file with a bad value, naming file, line, column and value, and keeps the vault', () => {
      const file = path.join(project.dir, 'files', 'hr500', 'contracts.csv')
      const original = readFileSync(file)
      const lines = original.toString('utf8').split('\r\n')
      lines[5] = lines[5]!.replace(/;\d\d-\d\d-\d{4};/, ';31-02-2020;')
      writeFileSync(file, lines.join('\r\n'))
      const failed = provisio(args('collect', 'hr500'))
      assert.equal(failed.status, 1)
      assert.match(failed.stderr, /files\/hr500\/contracts\.csv:6:\d+ {2}error: .*\[CON_CSV_INVALID_VALUE\]/)
      assert.match(failed.stderr, /"31-02-2020"/)
      const list = JSON.parse(provisio(args('collections', '--system', 'hr500', '--limit', '1', '--json')).stdout) as {
        collections: { status: string; errorCode: string }[]
      }
      assert.deepEqual(
        [list.collections[0]!.status, list.collections[0]!.errorCode],
        ['failed', 'CON_CSV_INVALID_VALUE'],
      )
      writeFileSync(file, original)
    })

    it('restores the state of a past collection with vault load', () => {
      const list = JSON.parse(provisio(args('collections', '--system', 'hr500', '--json')).stdout) as {
        collections: { id: number; status: string }[]
      }
      const first = list.collections.filter((c) => c.status === 'succeeded').at(-1)!
      const loaded = provisio(args('vault', 'load', String(first.id), '--force', '--json'))
      assert.equal(loaded.status, 0, loaded.stderr)
      const rows = JSON.parse(provisio(args('vault', 'query', 'hr500.employees', '--limit', '1', '--json')).stdout) as {
        total: number
      }
      assert.equal(rows.total, 585)
    })

    it('shows the history of a changed row with old and new values', () => {
      const file = path.join(project.dir, 'files', 'hr500', 'employees.csv')
      const original = readFileSync(file, 'utf8')
      const lines = original.split('\r\n')
      const header = lines[0]!.replace(/^\uFEFF/, '').split(';')
      const fields = lines[1]!.split(';')
      const key = fields[header.indexOf('employee_id')]!
      const city = fields[header.indexOf('city')]!
      fields[header.indexOf('city')] = 'Nieuw-Vennep'
      lines[1] = fields.join(';')
      writeFileSync(file, lines.join('\r\n'))
      assert.equal(provisio(args('collect', 'hr500')).status, 0)
      const history = provisio(args('vault', 'history', 'hr500.employees', '--key', key))
      assert.match(
        history.stdout,
        new RegExp(
          `changed  ${key}\\n    city: ${JSON.stringify(city).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} → "Nieuw-Vennep"`,
        ),
      )
      writeFileSync(file, original)
    })
  })
}

describe('provisio validate', () => {
  it('reports every problem with file, line and a hint, and exits 1', () => {
    const project = copyHr500()
    try {
      const file = path.join(project.dir, 'systems', 'hr500.yaml')
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .replace('primaryKey: employee_id', 'primarykey: employee_id')
          .replace('connector: csv', 'connector: cvs'),
      )
      const result = provisio(['validate', '--project', project.dir])
      assert.equal(result.status, 1)
      assert.match(
        result.stdout,
        /systems\/hr500\.yaml:\d+:\d+  error: Unknown key 'primarykey'.*\n.*\n    hint: Did you mean 'primaryKey'\?/,
      )
      assert.match(
        result.stdout,
        /error: There is no connector of type 'cvs'\. \[CON_UNKNOWN_CONNECTOR\]\n.*\n    hint: Did you mean 'csv'\?/,
      )
      assert.match(result.stdout, /2 error\(s\) in 1 file\(s\)/)
      const json = JSON.parse(provisio(['validate', '--project', project.dir, '--json']).stdout) as {
        valid: boolean
        errors: number
      }
      assert.equal(json.valid, false)
    } finally {
      project.remove()
    }
  })

  it('explains a missing project folder', () => {
    const result = provisio(['validate', '--project', '/nonexistent/provisio'])
    assert.equal(result.status, 1)
    assert.match(result.stderr, /CLI_PROJECT_NOT_FOUND/)
  })

  it('prints help with examples for every command', () => {
    for (const command of [
      ['validate'],
      ['collect'],
      ['collections'],
      ['vault', 'query'],
      ['vault', 'history'],
      ['vault', 'load'],
      ['dataset', 'hr'],
      ['demo'],
    ]) {
      const result = provisio([...command, '--help'])
      assert.equal(result.status, 0, command.join(' '))
      assert.match(result.stdout, /Examples:/, command.join(' '))
    }
    assert.match(provisio(['collect', '--help']).stdout, /provisio collect \S+ --incremental/)
  })
})
