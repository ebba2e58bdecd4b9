import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ProvisioError, type Row, type Value } from '../core/index.ts'
import type { FilterConfig } from '../config/index.ts'
import type { SqlExecutor } from '../vault/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { FEATURE_CASES } from './feature-cases.ts'
import { JOIN_CASES } from './filter-cases.ts'
import { NESTING_CASES } from './nesting-cases.ts'
import {
  BINDING_COLUMN,
  type CompiledFilter,
  compileFilter,
  compileLiftedFilter,
  countFilter,
  type LiftedParameters,
  type ParameterValues,
  runFilter,
} from './index.ts'
import { CONTEXT, collectFixtures, type FilterSpec, filterConfig } from './test-fixtures.ts'

type Kind = 'sqlite' | 'postgres'

async function allRows(db: SqlExecutor, compiled: CompiledFilter): Promise<Row[]> {
  const rows: Row[] = []
  for await (const page of runFilter(db, compiled, { pageSize: 3 })) rows.push(...page)
  return rows
}

/**
 * What the lifted statement must give: for each binding in order, its index and the rows of the
 * plain filter run with `params` and the binding's values. A null value is given as a null default
 * (a run's null means "no value" for compileFilter), which is how :p is null in a plain run.
 */
async function perBinding(
  db: SqlExecutor,
  kind: Kind,
  filter: FilterConfig,
  params: ParameterValues,
  lifted: LiftedParameters,
): Promise<Row[]> {
  const rows: Row[] = []
  for (const [index, tuple] of lifted.bindings.entries()) {
    const values: Record<string, Value> = {}
    const nulls = new Set<string>()
    lifted.parameters.forEach((name, i) => (tuple[i] === null ? nulls.add(name) : (values[name] = tuple[i]!)))
    const parameters = filter.parameters.map((p) => (nulls.has(p.name) ? { ...p, default: null } : p))
    const compiled = compileFilter({ ...filter, parameters }, CONTEXT, kind, { ...params, ...values })
    for (const row of await allRows(db, compiled)) rows.push({ [BINDING_COLUMN]: index, ...row })
  }
  return rows
}

/** Runs the lifted statement, checks it against the per-binding runs and its count, and returns its rows. */
async function equivalent(
  db: SqlExecutor,
  kind: Kind,
  filter: FilterConfig,
  params: ParameterValues,
  lifted: LiftedParameters,
): Promise<Row[]> {
  const compiled = compileLiftedFilter(filter, CONTEXT, kind, params, lifted)
  const rows = await allRows(db, compiled)
  assert.deepEqual(rows, await perBinding(db, kind, filter, params, lifted))
  assert.equal(await countFilter(db, compiled), rows.length)
  return rows
}

/** The rows of each binding, as [binding, ...values in output order]. */
const tuples = (rows: readonly Row[]) => rows.map((r) => Object.values(r))

interface LiftedCase {
  readonly name: string
  readonly filter: FilterSpec
  readonly params?: ParameterValues
  readonly lifted: LiftedParameters
  /** The rows, as [binding, ...values], when the case pins them. */
  readonly rows?: readonly (readonly Value[])[]
}

const UNITS = { parameters: ['unit'], bindings: [['IT'], ['FIN'], ['HR'], ['OPS'], ['NOPE'], [null], ['IT']] }
const UNIT = { unit: { type: 'string' as const } }

/** A lifted parameter in every place an expression can use it, in every join mode. */
const LIFTED_CASES: readonly LiftedCase[] = [
  {
    name: 'the main where',
    filter: { parameters: { g: { type: 'integer' } }, where: 'grade >= :g', output: ['e.employee_id'] },
    lifted: { parameters: ['g'], bindings: [[7], [1], [11], [null], ['5']] },
    rows: [
      [0, 'E001'],
      [0, 'E003'],
      [1, 'E001'],
      [1, 'E002'],
      [1, 'E003'],
      [1, 'E004'],
      [1, 'E005'],
      [4, 'E001'],
      [4, 'E003'],
      [4, 'E005'],
    ],
  },
  {
    name: "an any join's where",
    filter: {
      parameters: UNIT,
      joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'c.unit = :unit' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    lifted: UNITS,
    rows: [
      [0, 'E002', 'C2'],
      [0, 'E002', 'C3'],
      [0, 'E004', 'C5'],
      [1, 'E001', 'C1'],
      [1, 'E004', 'C6'],
      [2, 'E003', 'C4'],
      [6, 'E002', 'C2'],
      [6, 'E002', 'C3'],
      [6, 'E004', 'C5'],
    ],
  },
  {
    name: "a multiple join's where (counted per binding)",
    filter: {
      parameters: UNIT,
      joins: [{ table: 'hr.contracts AS c', mode: 'multiple', where: 'c.unit = :unit' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    lifted: UNITS,
    rows: [
      [0, 'E002', 'C2'],
      [0, 'E002', 'C3'],
      [6, 'E002', 'C2'],
      [6, 'E002', 'C3'],
    ],
  },
  {
    name: "a multiple join's where that other bindings meet more often",
    filter: {
      parameters: UNIT,
      joins: [{ table: 'hr.contracts AS c', mode: 'multiple', where: 'c.unit != :unit' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    lifted: UNITS,
    rows: [
      [1, 'E002', 'C2'],
      [1, 'E002', 'C3'],
      ...[2, 3, 4].flatMap((b) => [
        [b, 'E002', 'C2'],
        [b, 'E002', 'C3'],
        [b, 'E004', 'C5'],
        [b, 'E004', 'C6'],
      ]),
    ],
  },
  {
    name: "a multiple join's where that also reads its parent",
    filter: {
      parameters: UNIT,
      joins: [{ table: 'hr.contracts AS c', mode: 'multiple', where: 'c.unit = :unit and e.grade > 0' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    lifted: UNITS,
  },
  {
    name: "an optional join's where",
    filter: {
      parameters: UNIT,
      joins: [{ table: 'hr.contracts AS c', mode: 'optional', where: 'c.unit = :unit' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    lifted: UNITS,
  },
  {
    name: "a none join's where",
    filter: {
      parameters: UNIT,
      joins: [{ table: 'hr.contracts AS c', mode: 'none', where: 'c.unit = :unit' }],
      output: ['e.employee_id'],
    },
    lifted: UNITS,
  },
  {
    name: "an all join's where",
    filter: {
      parameters: UNIT,
      joins: [{ table: 'hr.contracts AS c', mode: 'all', where: 'c.unit = :unit' }],
      output: ['e.employee_id'],
    },
    lifted: UNITS,
    rows: [
      [0, 'E002'],
      [1, 'E001'],
      [2, 'E003'],
      [6, 'E002'],
    ],
  },
  {
    name: 'a multiple join nested in an optional join',
    filter: {
      parameters: UNIT,
      start: 'hr.departments AS d',
      joins: [
        {
          table: 'hr.employees AS m',
          mode: 'optional',
          joins: [{ table: 'hr.contracts AS c', mode: 'multiple', where: 'c.unit = :unit' }],
        },
      ],
      output: ['d.unit', 'm.employee_id', 'c.contract_id'],
    },
    lifted: UNITS,
  },
  {
    name: 'joins nested under none and all',
    filter: {
      parameters: { unit: { type: 'string' }, name: { type: 'string' } },
      joins: [
        {
          table: 'hr.contracts AS c',
          mode: 'none',
          where: 'c.unit = :unit',
          joins: [{ table: 'hr.departments AS d', mode: 'any', where: 'd.name != :name' }],
        },
        {
          table: 'dir.users AS u',
          mode: 'all',
          via: 'employee_account',
          where: 'u.sAMAccountName != :name',
          joins: [{ table: 'hr.employees AS x', mode: 'none', via: 'employee_account', where: 'x.last_name = :name' }],
        },
      ],
      output: ['e.employee_id'],
    },
    lifted: {
      parameters: ['unit', 'name'],
      bindings: [
        ['IT', 'IT'],
        ['IT', 'Finance'],
        ['FIN', 'asmith'],
        ['HR', 'Smith'],
        [null, null],
      ],
    },
  },
  {
    name: 'computed columns',
    filter: {
      parameters: UNIT,
      columns: { label: "coalesce(:unit, 'none') || '/' || e.employee_id", lifted: ':unit is null' },
      where: "e.employee_id in ('E001', 'E002')",
      output: ['label', 'lifted'],
    },
    lifted: UNITS,
    rows: [
      [0, 'IT/E001', false],
      [0, 'IT/E002', false],
      [1, 'FIN/E001', false],
      [1, 'FIN/E002', false],
      [2, 'HR/E001', false],
      [2, 'HR/E002', false],
      [3, 'OPS/E001', false],
      [3, 'OPS/E002', false],
      [4, 'NOPE/E001', false],
      [4, 'NOPE/E002', false],
      [5, 'none/E001', true],
      [5, 'none/E002', true],
      [6, 'IT/E001', false],
      [6, 'IT/E002', false],
    ],
  },
  {
    name: 'lookups, case-insensitive and multi-valued',
    filter: {
      parameters: { group: { type: 'string' } },
      start: 'hr.departments AS d',
      lookups: [
        { name: 'group_exists', mode: 'include', value: ':group', in: 'dir.groups.cn', caseInsensitive: true },
        { name: 'not_a_member_of', mode: 'exclude', value: ":group || ''", in: 'dir.users.memberOf' },
      ],
      output: ['d.unit'],
    },
    lifted: { parameters: ['group'], bindings: [['ALL STAFF'], ['Finance'], ['finance'], ['nope'], [null]] },
  },
  {
    name: 'a lifted and a fixed parameter in one where',
    filter: {
      parameters: { unit: { type: 'string' }, since: { type: 'date' } },
      joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'c.unit = :unit and c.start_date >= :since' }],
      output: ['c.contract_id'],
    },
    params: { since: '2024-01-01' },
    lifted: UNITS,
    rows: [
      [0, 'C3'],
      [0, 'C5'],
      [1, 'C6'],
      [6, 'C3'],
      [6, 'C5'],
    ],
  },
  {
    name: 'a where over a join through a case-insensitive link',
    filter: {
      parameters: { enabled: { type: 'boolean' } },
      joins: [{ table: 'dir.users AS u', mode: 'any', via: 'employee_account', where: 'u.enabled = :enabled' }],
      output: ['e.employee_id', 'u.dn'],
    },
    lifted: { parameters: ['enabled'], bindings: [[true], ['no'], [null]] },
    rows: [
      [0, 'E001', 'cn=ann'],
      [0, 'E002', 'cn=bob'],
      [1, 'E004', 'cn=dan'],
    ],
  },
]

/** The existing compiler cases with a lifted parameter they never use: every binding gives the case's rows. */
function unusedLift(filter: FilterSpec): { filter: FilterSpec; lifted: LiftedParameters; params: ParameterValues } {
  return {
    filter: { ...filter, parameters: { ...filter.parameters, lifted_unused: { type: 'string' } } },
    lifted: { parameters: ['lifted_unused'], bindings: [['a'], ["b'"], ['a']] },
    params: {},
  }
}

for (const kind of VAULT_KINDS) {
  describe(`compileLiftedFilter (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
      await collectFixtures(vault.driver)
    })
    after(async () => vault.close())

    for (const c of LIFTED_CASES) {
      it(`gives each binding the rows of its own run: ${c.name}`, async () => {
        const rows = await equivalent(vault.driver, kind, filterConfig(c.filter), c.params ?? {}, c.lifted)
        if (c.rows !== undefined) assert.deepEqual(tuples(rows), c.rows)
      })
    }

    it('gives the same rows unordered when asked (ordered: false), without sorting them', async () => {
      for (const c of LIFTED_CASES) {
        const filter = filterConfig(c.filter)
        const ordered = await allRows(
          vault.driver,
          compileLiftedFilter(filter, CONTEXT, kind, c.params ?? {}, c.lifted),
        )
        const compiled = compileLiftedFilter(filter, CONTEXT, kind, c.params ?? {}, { ...c.lifted, ordered: false })
        assert.doesNotMatch(compiled.sql, /ORDER BY/)
        const key = (r: Row) => JSON.stringify(Object.values(r))
        const unordered = await allRows(vault.driver, compiled)
        assert.deepEqual(unordered.map(key).sort(), ordered.map(key).sort(), c.name)
      }
    })

    it("gives every binding the case's rows when the lifted parameter is unused, in every compiler case", async () => {
      for (const c of [...JOIN_CASES, ...NESTING_CASES, ...FEATURE_CASES]) {
        const { filter, lifted } = unusedLift(c.filter)
        const rows = await equivalent(vault.driver, kind, filterConfig(filter), c.params ?? {}, lifted)
        const expected = lifted.bindings.flatMap((_b, i) => c.rows.map((r) => [i, ...r]))
        assert.deepEqual(tuples(rows), expected, c.name)
      }
    })

    it('lifts the parameters of the compiler cases that declare some, with their values and nulls', async () => {
      for (const c of FEATURE_CASES.filter((f) => Object.keys(f.filter.parameters ?? {}).length > 0)) {
        const filter = filterConfig(c.filter)
        const names = filter.parameters.map((p) => p.name)
        const given = filter.parameters.map((p) => c.params?.[p.name] ?? p.default ?? null)
        const lifted = { parameters: names, bindings: [given, names.map(() => null), given] }
        const rows = await equivalent(vault.driver, kind, filter, {}, lifted)
        assert.deepEqual(
          tuples(rows.filter((r) => r[BINDING_COLUMN] === 0)),
          c.rows.map((r) => [0, ...r]),
        )
      }
    })

    it('parses each value as its type and reads it back with that type', async () => {
      const filter = filterConfig({
        parameters: {
          s: { type: 'string' },
          i: { type: 'integer' },
          n: { type: 'number' },
          b: { type: 'boolean' },
          d: { type: 'date' },
          t: { type: 'datetime' },
          l: { type: 'string[]' },
        },
        where: "e.employee_id = 'E001'",
        columns: { s: ':s', i: ':i', n: ':n', b: ':b', d: ':d', t: ':t', l: ':l' },
        output: ['s', 'i', 'n', 'b', 'd', 't', 'l'],
      })
      const lifted = {
        parameters: ['s', 'i', 'n', 'b', 'd', 't', 'l'],
        bindings: [
          ['x', 42, 2.5, true, '2024-02-29', '2026-01-31T10:00:00Z', ['b', 'a']],
          ['', '-7', '5', 'no', ' 2026-12-01 ', '2026-01-31 10:00+01:00', '["z"]'],
          ['5', 9007199254740991, 5.0, false, '0001-01-01', '2026-01-31T10:00:00.123Z', []],
          [null, null, null, null, null, null, null],
        ],
      }
      const rows = await equivalent(vault.driver, kind, filter, {}, lifted)
      assert.deepEqual(tuples(rows), [
        [0, 'x', 42, 2.5, true, '2024-02-29', '2026-01-31T10:00:00.000Z', ['a', 'b']],
        [1, '', -7, 5, false, '2026-12-01', '2026-01-31T09:00:00.000Z', ['z']],
        [2, '5', 9007199254740991, 5, false, '0001-01-01', '2026-01-31T10:00:00.123Z', []],
        [3, null, null, null, null, null, null, null],
      ])
    })

    it('compares typed values as a bound value compares', async () => {
      const filter = filterConfig({
        parameters: {
          i: { type: 'integer' },
          n: { type: 'number' },
          b: { type: 'boolean' },
          d: { type: 'date' },
          t: { type: 'datetime' },
          l: { type: 'string[]' },
        },
        joins: [
          {
            table: 'hr.contracts AS c',
            mode: 'any',
            where: 'c.fte >= :n and c.start_date >= :d and to_date(:t) >= c.start_date and contains(:l, c.unit)',
          },
        ],
        where: 'e.grade >= :i and e.active = :b',
        output: ['c.contract_id'],
      })
      const lifted = {
        parameters: ['i', 'n', 'b', 'd', 't', 'l'],
        bindings: [
          [1, 0.5, true, '2020-01-01', '2026-12-31T23:00:00Z', ['IT', 'FIN']],
          [0, 1, true, '2000-01-01', '2026-01-01T00:00:00Z', ['FIN', 'IT']],
          [0, 0, false, '2000-01-01', '2026-01-01T00:00:00Z', ['HR']],
          [4, 0.6, true, '2025-09-01', '2025-09-01T00:00:00Z', ['IT']],
        ],
      }
      const rows = await equivalent(vault.driver, kind, filter, {}, lifted)
      assert.deepEqual(tuples(rows), [
        [0, 'C1'],
        [0, 'C2'],
        [0, 'C3'],
        [0, 'C5'],
        [1, 'C1'],
        [1, 'C3'],
        [2, 'C4'],
      ])
    })

    it('binds hostile strings as values, never as SQL', async () => {
      const hostile = [
        "O'Brien",
        "'; DROP TABLE hr__employees__versions; --",
        '"#b"."#p0"',
        '?',
        '$1',
        '\\',
        '["x"]',
        'null',
        'Zoë 🙂 日本',
        "') OR 1=1 --",
      ]
      const filter = filterConfig({
        parameters: { name: { type: 'string' } },
        columns: { echo: ':name' },
        where: "e.last_name = :name or e.employee_id = 'E005'",
        output: ['e.employee_id', 'echo'],
      })
      const rows = await equivalent(
        vault.driver,
        kind,
        filter,
        {},
        {
          parameters: ['name'],
          bindings: hostile.map((h) => [h]),
        },
      )
      assert.deepEqual(
        tuples(rows),
        hostile.flatMap((h, i) => [...(i === 0 ? [[i, 'E002', h]] : []), [i, 'E005', h]]),
      )
      const employees = compileFilter(filterConfig({ output: ['e.employee_id'] }), CONTEXT, kind)
      assert.equal(await countFilter(vault.driver, employees), 5)
    })

    it('yields no rows for no bindings, and counts none', async () => {
      const compiled = compileLiftedFilter(
        filterConfig({
          parameters: UNIT,
          joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'c.unit = :unit' }],
        }),
        CONTEXT,
        kind,
        {},
        { parameters: ['unit'], bindings: [] },
      )
      assert.equal(compiled.columns[0]?.name, BINDING_COLUMN)
      assert.deepEqual(await allRows(vault.driver, compiled), [])
      assert.equal(await countFilter(vault.driver, compiled), 0)
    })

    it('streams a limited number of rows in binding order', async () => {
      const compiled = compileLiftedFilter(
        filterConfig({ parameters: UNIT, where: "e.employee_id != 'E003'", output: ['e.employee_id'] }),
        CONTEXT,
        kind,
        {},
        { parameters: ['unit'], bindings: [['b'], ['a'], ['b']] },
      )
      const rows: Row[] = []
      for await (const page of runFilter(vault.driver, compiled, { limit: 6, pageSize: 4 })) rows.push(...page)
      assert.deepEqual(tuples(rows), [
        [0, 'E001'],
        [0, 'E002'],
        [0, 'E004'],
        [0, 'E005'],
        [1, 'E001'],
        [1, 'E002'],
      ])
    })
  })
}

describe('compileLiftedFilter', () => {
  const filter = filterConfig({
    parameters: { unit: { type: 'string' }, since: { type: 'date', default: '2024-01-01' }, g: { type: 'integer' } },
    joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'c.unit = :unit and c.start_date >= :since' }],
    where: 'e.grade >= :g',
    output: ['e.employee_id'],
  })

  function thrown(fn: () => unknown, code: string): ProvisioError {
    try {
      fn()
    } catch (error) {
      assert.ok(error instanceof ProvisioError, String(error))
      assert.equal(error.code, code, error.message)
      return error
    }
    assert.fail(`expected ${code}`)
  }

  it('reads each lifted parameter from the bindings table joined after the start table, ordered by binding', () => {
    const lifted = { parameters: ['unit'], bindings: [['IT'], ['FIN']] }
    const sqlite = compileLiftedFilter(filter, CONTEXT, 'sqlite', { g: 1 }, lifted)
    assert.deepEqual(
      [sqlite.sql, sqlite.params],
      [
        [
          `WITH "#b" AS MATERIALIZED (SELECT "key" AS "#binding", CAST(json_extract("value", '$[0]') AS TEXT) AS "#p0" FROM json_each(?))`,
          'SELECT "#b"."#binding" AS "#binding", "e"."employee_id" AS "e.employee_id"',
          'FROM "hr__employees" AS "e"',
          'INNER JOIN "#b" AS "#b" ON TRUE',
          'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."unit" = "#b"."#p0") AND ("c"."start_date" >= ?))',
          'WHERE ("e"."grade" >= ?)',
          'ORDER BY "#b"."#binding", "e"."_rid", "c"."_rid"',
        ].join('\n'),
        ['[["IT"],["FIN"]]', '2024-01-01', 1n],
      ],
    )
    const postgres = compileLiftedFilter(filter, CONTEXT, 'postgres', { g: 1 }, lifted)
    assert.deepEqual(
      [postgres.sql, postgres.params],
      [
        [
          'SELECT "#b"."#binding" AS "#binding", "e"."employee_id" AS "e.employee_id"',
          'FROM "hr__employees" AS "e"',
          'INNER JOIN (SELECT ("#j"."#i" - 1) AS "#binding", ("#j"."value" ->> 0)::text AS "#p0" FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS "#j"("value", "#i")) AS "#b" ON TRUE',
          'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."unit" = "#b"."#p0") AND ("c"."start_date" >= ?::date))',
          'WHERE ("e"."grade" >= ?::int8)',
          'ORDER BY "#b"."#binding", "e"."_rid", "c"."_rid"',
        ].join('\n'),
        ['[["IT"],["FIN"]]', '2024-01-01', 1],
      ],
    )
    assert.deepEqual(postgres.columns, [
      { name: '#binding', type: 'integer' },
      { name: 'e.employee_id', type: 'string' },
    ])
    assert.deepEqual(postgres.parameters, { since: '2024-01-01', g: 1 })
  })

  it('needs no value for a lifted parameter without a default, and still for the others', () => {
    compileLiftedFilter(filter, CONTEXT, 'sqlite', { g: 1 }, { parameters: ['unit'], bindings: [['IT']] })
    compileLiftedFilter(filter, CONTEXT, 'sqlite', {}, { parameters: ['unit', 'g'], bindings: [['IT', 1]] })
    const error = thrown(
      () => compileLiftedFilter(filter, CONTEXT, 'sqlite', {}, { parameters: ['unit'], bindings: [['IT']] }),
      'FLT_MISSING_PARAMETER',
    )
    assert.match(error.message, /'g'/)
  })

  it('names the binding, the parameter and the value that does not fit its type', () => {
    const error = thrown(
      () =>
        compileLiftedFilter(
          filter,
          CONTEXT,
          'sqlite',
          {},
          {
            parameters: ['unit', 'g'],
            bindings: [
              ['IT', 1],
              ['FIN', 'seven'],
            ],
          },
        ),
      'FLT_INVALID_PARAMETER',
    )
    assert.equal(
      error.message,
      `Binding 1 gives "seven" for parameter 'g' of filter test_filter, which is not a valid integer.`,
    )
    assert.deepEqual(error.details, { binding: 1, parameter: 'g', type: 'integer' })
  })

  it('refuses a binding with too few or too many values', () => {
    const error = thrown(
      () => compileLiftedFilter(filter, CONTEXT, 'sqlite', { g: 1 }, { parameters: ['unit'], bindings: [['IT'], []] }),
      'FLT_INVALID_PARAMETER',
    )
    assert.match(error.message, /^Binding 1 of filter test_filter gives 0 values for the 1 lifted parameter \(unit\)/)
  })

  it('refuses a lifted parameter the filter does not declare, with a suggestion', () => {
    const error = thrown(
      () => compileLiftedFilter(filter, CONTEXT, 'sqlite', { g: 1 }, { parameters: ['units'], bindings: [['IT']] }),
      'FLT_UNKNOWN_PARAMETER',
    )
    assert.equal(error.message, "The filter test_filter has no parameter 'units' to lift.")
    assert.equal(error.hint, "Did you mean 'unit'?")
  })

  it('refuses a parameter lifted twice, or given a run value as well', () => {
    thrown(
      () => compileLiftedFilter(filter, CONTEXT, 'sqlite', { g: 1 }, { parameters: ['unit', 'unit'], bindings: [] }),
      'FLT_INVALID_PARAMETER',
    )
    const error = thrown(
      () =>
        compileLiftedFilter(filter, CONTEXT, 'sqlite', { g: 1, unit: 'IT' }, { parameters: ['unit'], bindings: [] }),
      'FLT_INVALID_PARAMETER',
    )
    assert.match(error.message, /'unit' of filter test_filter is lifted/)
  })

  it('still refuses run values for parameters the filter does not declare', () => {
    thrown(
      () => compileLiftedFilter(filter, CONTEXT, 'sqlite', { g: 1, nope: 1 }, { parameters: ['unit'], bindings: [] }),
      'FLT_UNKNOWN_PARAMETER',
    )
  })
})
