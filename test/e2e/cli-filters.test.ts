/**
 * End to end: links and filters through the `provisio` command on a copy of examples/hr500.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { copyHr500, provisio } from '../support/cli.ts'
import { PG_URL, VAULT_KINDS } from '../support/vaults.ts'

for (const kind of VAULT_KINDS) {
  describe(`provisio filter and link (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    let args: (...rest: string[]) => string[]
    before(() => {
      project = copyHr500()
      const database =
        kind === 'postgres' ? ['--database', `${PG_URL}?schema=e2e_f_${process.pid}_${Date.now().toString(36)}`] : []
      args = (...rest) => [...rest, '--project', project.dir, ...database]
      const collected = provisio(args('collect', '--quiet'))
      assert.equal(collected.status, 0, collected.stderr)
    })
    after(() => project.remove())

    it('counts and lists who needs an account', () => {
      assert.equal(provisio(args('filter', 'run', 'needs_account', '--count')).stdout.trim(), '50')
      const json = JSON.parse(provisio(args('filter', 'run', 'needs_account', '--json', '--limit', '3')).stdout) as {
        columns: string[]
        rows: Record<string, unknown>[]
      }
      assert.deepEqual(json.columns, [
        'e.employee_id',
        'e.first_name',
        'e.preferred_name',
        'e.middle_name',
        'e.last_name',
        'c.organizational_unit',
        'account_name',
      ])
      assert.equal(json.rows.length, 3)
      const csv = provisio(args('filter', 'run', 'needs_account', '--csv')).stdout.split('\n')
      assert.equal(
        csv[0],
        'e.employee_id,e.first_name,e.preferred_name,e.middle_name,e.last_name,c.organizational_unit,account_name',
      )
      assert.equal(csv.filter((l) => l !== '').length, 51)
    })

    it('binds parameters and never puts their values into the SQL', () => {
      const hostile = "EN_CO' OR '1'='1'; DROP TABLE hr500__employees; --"
      const sql = provisio(args('filter', 'sql', 'employees_in_unit', '--param', `unit=${hostile}`))
      assert.equal(sql.status, 0, sql.stderr)
      assert.ok(!sql.stdout.split('-- parameters')[0]!.includes('DROP TABLE'))
      assert.equal(
        provisio(args('filter', 'run', 'employees_in_unit', '--param', `unit=${hostile}`, '--count')).stdout.trim(),
        '0',
      )
      assert.equal(
        provisio(args('filter', 'run', 'employees_in_unit', '--param', 'unit=EN_CO', '--count')).stdout.trim(),
        '28',
      )
      const missing = provisio(args('filter', 'run', 'employees_in_unit'))
      assert.equal(missing.status, 1)
      assert.match(missing.stderr, /FLT_MISSING_PARAMETER/)
    })

    it('explains how each item narrows the rows', () => {
      const explained = JSON.parse(provisio(args('filter', 'explain', 'needs_account', '--json')).stdout) as {
        steps: { rows: number }[]
        rows: number
      }
      assert.deepEqual(
        explained.steps.map((s) => s.rows),
        // 570 current contracts of 536 employees; the latest of each (`none` later), then no account.
        [585, 570, 570, 536, 50],
      )
    })

    it('matches a link: only left, common, only right', () => {
      const match = JSON.parse(
        provisio(args('link', 'match', 'employee_account', '--json', '--samples', '2')).stdout,
      ) as {
        left: { only: number; samples: unknown[] }
        common: { count: number }
        right: { only: number }
      }
      assert.deepEqual([match.left.only, match.common.count, match.right.only], [56, 529, 9])
      assert.equal(match.left.samples.length, 2)
    })
  })
}

describe('provisio filter run on a join that multiplies rows', () => {
  it('warns that the rows exceed maxMultiplication and points at explain', () => {
    const project = copyHr500()
    try {
      writeFileSync(
        path.join(project.dir, 'filters', 'multiply.yaml'),
        [
          'kind: Filter',
          'name: every_contract',
          'start: hr500.employees AS e',
          'joins:',
          '  - table: hr500.contracts AS c',
          '    mode: any',
          'maxMultiplication: 1',
          '',
        ].join('\n'),
      )
      assert.equal(provisio(['collect', '--quiet', '--project', project.dir]).status, 0)
      const run = provisio(['filter', 'run', 'every_contract', '--project', project.dir])
      assert.equal(run.status, 0, run.stderr)
      assert.match(
        run.stderr,
        /warning: every_contract gave 777 rows for 585 rows of hr500\.employees, more than maxMultiplication \(1\)/,
      )
      const explained = JSON.parse(
        provisio(['filter', 'explain', 'every_contract', '--json', '--project', project.dir]).stdout,
      ) as { warnings: { code: string }[] }
      assert.equal(explained.warnings[0]?.code, 'FLT_MULTIPLICATION')
    } finally {
      project.remove()
    }
  })
})

describe('provisio validate on filters', () => {
  it('points at the unknown column inside an expression, with a caret and a did-you-mean', () => {
    const project = copyHr500()
    try {
      const file = path.join(project.dir, 'filters', 'accounts.yaml')
      writeFileSync(file, readFileSync(file, 'utf8').replace('where: u.sn != e.last_name', 'where: u.sn != e.lastname'))
      const result = provisio(['validate', '--project', project.dir])
      assert.equal(result.status, 1)
      assert.match(result.stdout, /filters\/accounts\.yaml:\d+:\d+ {2}error: .*'lastname'.*\[EXPR_UNKNOWN_COLUMN\]/)
      assert.match(result.stdout, /\^+/)
      assert.match(result.stdout, /Did you mean 'last_name'\?/)
    } finally {
      project.remove()
    }
  })
})
